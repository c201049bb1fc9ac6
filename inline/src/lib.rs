//! [`InlineVec`]: a vector that keeps up to `N` items in the value that holds it and moves
//! them to the heap past that, so that the sdnwire crates' owned types hold their short lists
//! and small byte strings without an allocation (sdnwire-sflow's sample records, sampled
//! headers and port names; sdnwire-openflow's match fields, PACKET_IN frames, instruction and
//! action lists); and [`IntoIter`], its items moved out.
//!
//! The inline room is part of the value's size whether it is used or not: an
//! `InlineVec<T, N>` takes `N * size_of::<T>()` bytes plus a length and a pointer (a heap
//! vector's three words overlap the inline items). The crates that use it say the cost on each
//! type.
//!
//! `no_std` (with `alloc`); the `serde` feature serializes it as the `Vec<T>` it stands for.

#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

extern crate alloc;

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::{Deref, DerefMut};

use smallvec::SmallVec;

/// A vector that keeps up to `N` items inline and moves to the heap past that.
///
/// It dereferences to a slice (`len`, `iter`, indexing, `first`, pattern matching through
/// `as_slice()`), compares, hashes and orders by content whatever its storage, converts from
/// and into `Vec<T>` (a vector whose capacity is past `N` is kept as it is, without a copy),
/// compares with slices, arrays and vectors on either side of `==`, and serializes as the vector
/// it stands for (a sequence), so JSON does not depend on it.
///
/// ```
/// use sdnwire_inline::InlineVec;
/// let mut v: InlineVec<u32, 2> = InlineVec::new();
/// v.push(1);
/// v.push(2);
/// assert!(v.is_inline());
/// v.push(3);
/// assert!(!v.is_inline());
/// assert_eq!(v, [1, 2, 3]);
/// assert_eq!(v, InlineVec::<u32, 8>::from(vec![1, 2, 3]).as_slice());
/// ```
#[derive(Clone)]
pub struct InlineVec<T, const N: usize>(SmallVec<[T; N]>);

impl<T, const N: usize> InlineVec<T, N> {
    /// Items kept inline.
    pub const INLINE: usize = N;

    /// An empty vector (nothing allocated).
    #[inline]
    pub fn new() -> Self {
        InlineVec(SmallVec::new())
    }

    /// An empty vector with room for `n` items: inline when `n` is at most `N`, one allocation
    /// otherwise.
    #[inline]
    pub fn with_capacity(n: usize) -> Self {
        InlineVec(SmallVec::with_capacity(n))
    }

    /// Makes room for `additional` more items (no allocation while they fit inline; past
    /// that, room for more may be made, as `Vec::reserve` does).
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        self.0.reserve(additional);
    }

    /// Makes room for exactly `additional` more items (no allocation while they fit inline).
    #[inline]
    pub fn reserve_exact(&mut self, additional: usize) {
        self.0.reserve_exact(additional);
    }

    /// The items.
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        self.0.as_slice()
    }

    /// The items, mutably.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        self.0.as_mut_slice()
    }

    /// The items it can hold without allocating again: `N` while inline, the heap buffer's
    /// capacity once spilled.
    pub fn capacity(&self) -> usize {
        self.0.capacity()
    }

    /// True while the items are stored inline (no heap allocation).
    pub fn is_inline(&self) -> bool {
        !self.0.spilled()
    }

    /// Appends an item, moving to the heap when the inline room is exceeded.
    #[inline]
    pub fn push(&mut self, item: T) {
        self.0.push(item);
    }

    /// Removes the last item and returns it.
    pub fn pop(&mut self) -> Option<T> {
        self.0.pop()
    }

    /// Inserts `item` at `index`, moving the items after it up. When `index` is past the end
    /// nothing is inserted and the item comes back as the error (where `Vec::insert` would
    /// panic).
    pub fn insert(&mut self, index: usize, item: T) -> Result<(), T> {
        if index > self.0.len() {
            return Err(item);
        }
        self.0.insert(index, item);
        Ok(())
    }

    /// Removes the item at `index` and returns it, moving the items after it down (`None`
    /// when there is none).
    pub fn remove(&mut self, index: usize) -> Option<T> {
        (index < self.0.len()).then(|| self.0.remove(index))
    }

    /// Keeps the first `len` items and drops the others.
    pub fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }

    /// Keeps the items for which `keep` is true, in order.
    pub fn retain(&mut self, keep: impl FnMut(&mut T) -> bool) {
        self.0.retain(keep);
    }

    /// Removes every item (keeps a heap buffer, if there is one).
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The items as a vector (no copy when they are on the heap).
    pub fn into_vec(self) -> Vec<T> {
        self.0.into_vec()
    }
}

impl<T: Copy, const N: usize> InlineVec<T, N> {
    /// A copy of `items` (inline when they fit).
    #[inline]
    pub fn from_slice(items: &[T]) -> Self {
        InlineVec(SmallVec::from_slice(items))
    }

    /// Appends a copy of `items`.
    pub fn extend_from_slice(&mut self, items: &[T]) {
        self.0.extend_from_slice(items);
    }
}

impl<T, const N: usize> Default for InlineVec<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, const N: usize> Deref for InlineVec<T, N> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T, const N: usize> DerefMut for InlineVec<T, N> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

impl<T, const N: usize> AsRef<[T]> for InlineVec<T, N> {
    fn as_ref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T, const N: usize> AsMut<[T]> for InlineVec<T, N> {
    fn as_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

impl<T, const N: usize> Borrow<[T]> for InlineVec<T, N> {
    fn borrow(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: fmt::Debug, const N: usize> fmt::Debug for InlineVec<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_slice(), f)
    }
}

impl<T: PartialEq, const N: usize, const M: usize> PartialEq<InlineVec<T, M>> for InlineVec<T, N> {
    fn eq(&self, other: &InlineVec<T, M>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Eq, const N: usize> Eq for InlineVec<T, N> {}

impl<T: Hash, const N: usize> Hash for InlineVec<T, N> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl<T: PartialOrd, const N: usize> PartialOrd for InlineVec<T, N> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        self.as_slice().partial_cmp(other.as_slice())
    }
}

impl<T: Ord, const N: usize> Ord for InlineVec<T, N> {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

impl<T: PartialEq, const N: usize> PartialEq<[T]> for InlineVec<T, N> {
    fn eq(&self, other: &[T]) -> bool {
        self.as_slice() == other
    }
}

impl<T: PartialEq, const N: usize> PartialEq<&[T]> for InlineVec<T, N> {
    fn eq(&self, other: &&[T]) -> bool {
        self.as_slice() == *other
    }
}

impl<T: PartialEq, const N: usize> PartialEq<Vec<T>> for InlineVec<T, N> {
    fn eq(&self, other: &Vec<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: PartialEq, const N: usize> PartialEq<InlineVec<T, N>> for Vec<T> {
    fn eq(&self, other: &InlineVec<T, N>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: PartialEq, const N: usize, const M: usize> PartialEq<[T; M]> for InlineVec<T, N> {
    fn eq(&self, other: &[T; M]) -> bool {
        self.as_slice() == other
    }
}

impl<T: PartialEq, const N: usize, const M: usize> PartialEq<&[T; M]> for InlineVec<T, N> {
    fn eq(&self, other: &&[T; M]) -> bool {
        self.as_slice() == *other
    }
}

impl<T: PartialEq, const N: usize> PartialEq<InlineVec<T, N>> for [T] {
    fn eq(&self, other: &InlineVec<T, N>) -> bool {
        self == other.as_slice()
    }
}

impl<T: PartialEq, const N: usize> PartialEq<InlineVec<T, N>> for &[T] {
    fn eq(&self, other: &InlineVec<T, N>) -> bool {
        *self == other.as_slice()
    }
}

impl<T: PartialEq, const N: usize, const M: usize> PartialEq<InlineVec<T, N>> for [T; M] {
    fn eq(&self, other: &InlineVec<T, N>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

/// Moves the items inline when the vector's capacity is at most `N`; keeps the vector as it
/// is (no copy) otherwise.
impl<T, const N: usize> From<Vec<T>> for InlineVec<T, N> {
    fn from(v: Vec<T>) -> Self {
        InlineVec(SmallVec::from_vec(v))
    }
}

impl<T: Copy, const N: usize> From<&[T]> for InlineVec<T, N> {
    fn from(items: &[T]) -> Self {
        Self::from_slice(items)
    }
}

impl<T: Copy, const N: usize, const M: usize> From<&[T; M]> for InlineVec<T, N> {
    fn from(items: &[T; M]) -> Self {
        Self::from_slice(items)
    }
}

/// The string's bytes (as `Vec<u8>::from(&str)`).
impl<const N: usize> From<&str> for InlineVec<u8, N> {
    fn from(s: &str) -> Self {
        Self::from_slice(s.as_bytes())
    }
}

impl<T, const N: usize, const M: usize> From<[T; M]> for InlineVec<T, N> {
    fn from(items: [T; M]) -> Self {
        items.into_iter().collect()
    }
}

impl<T, const N: usize> From<InlineVec<T, N>> for Vec<T> {
    fn from(v: InlineVec<T, N>) -> Self {
        v.into_vec()
    }
}

impl<T, const N: usize> FromIterator<T> for InlineVec<T, N> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        InlineVec(iter.into_iter().collect())
    }
}

impl<T, const N: usize> Extend<T> for InlineVec<T, N> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl<'a, T, const N: usize> IntoIterator for &'a InlineVec<T, N> {
    type Item = &'a T;
    type IntoIter = core::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<'a, T, const N: usize> IntoIterator for &'a mut InlineVec<T, N> {
    type Item = &'a mut T;
    type IntoIter = core::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_mut_slice().iter_mut()
    }
}

/// Moves the items out where they are stored: nothing is allocated, inline or not.
impl<T, const N: usize> IntoIterator for InlineVec<T, N> {
    type Item = T;
    type IntoIter = IntoIter<T, N>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        IntoIter(self.0.into_iter())
    }
}

/// The items of an [`InlineVec`] moved out of it (its `into_iter()`), front or back, read
/// where the vector stored them: no allocation, as a `Vec`'s `into_iter` makes none.
#[derive(Clone)]
pub struct IntoIter<T, const N: usize>(smallvec::IntoIter<[T; N]>);

impl<T, const N: usize> IntoIter<T, N> {
    /// The items not yet moved out.
    pub fn as_slice(&self) -> &[T] {
        self.0.as_slice()
    }
}

impl<T, const N: usize> Iterator for IntoIter<T, N> {
    type Item = T;
    #[inline]
    fn next(&mut self) -> Option<T> {
        self.0.next()
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<T, const N: usize> DoubleEndedIterator for IntoIter<T, N> {
    #[inline]
    fn next_back(&mut self) -> Option<T> {
        self.0.next_back()
    }
}

impl<T, const N: usize> ExactSizeIterator for IntoIter<T, N> {}

impl<T, const N: usize> core::iter::FusedIterator for IntoIter<T, N> {}

impl<T: fmt::Debug, const N: usize> fmt::Debug for IntoIter<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IntoIter").field(&self.as_slice()).finish()
    }
}

#[cfg(feature = "serde")]
impl<T: serde::Serialize, const N: usize> serde::Serialize for InlineVec<T, N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        // A sequence, as the `Vec<T>` this stands for.
        s.collect_seq(self.as_slice())
    }
}

#[cfg(feature = "serde")]
impl<'de, T: serde::Deserialize<'de>, const N: usize> serde::Deserialize<'de> for InlineVec<T, N> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let v = <Vec<T> as serde::Deserialize>::deserialize(d)?;
        Ok(v.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn spills_past_inline_keeps_order_and_compares_by_content() {
        let mut v: InlineVec<u16, 4> = InlineVec::new();
        for i in 0..10u16 {
            v.push(i);
            assert_eq!(v.is_inline(), usize::from(i) < 4);
        }
        assert_eq!(v, (0..10).collect::<Vec<u16>>());
        let heap: InlineVec<u16, 1> = InlineVec::from(vec![1, 2]);
        let inline: InlineVec<u16, 4> = InlineVec::from(vec![1, 2]);
        assert!(!heap.is_inline() && inline.is_inline());
        assert_eq!(heap, inline);
        let mut w = inline.clone();
        assert_eq!(w.insert(3, 9), Err(9));
        w.insert(0, 0).unwrap();
        assert_eq!(w, [0, 1, 2]);
        assert_eq!(w.remove(1), Some(1));
        assert_eq!(w.remove(5), None);
        w.retain(|x| *x != 0);
        assert_eq!(w.clone().into_vec(), vec![2]);
        w.clear();
        assert!(w.is_empty());
        assert_eq!(InlineVec::<u8, 2>::from([1u8, 2, 3]).into_iter().count(), 3);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serializes_as_the_vector_it_stands_for() {
        let inline: InlineVec<u16, 4> = InlineVec::from([1, 2]);
        let heap: InlineVec<u16, 1> = InlineVec::from([1, 2]);
        let json = serde_json::to_string(&vec![1u16, 2]).unwrap();
        assert_eq!(serde_json::to_string(&inline).unwrap(), json);
        assert_eq!(serde_json::to_string(&heap).unwrap(), json);
        let back: InlineVec<u16, 4> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, inline);
    }
}

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
