//! [`InlineVec`]: a vector that keeps up to `N` items in the value that holds it and moves
//! them to the heap past that, so that the sdnwire crates' owned types hold their short lists
//! and small byte strings without an allocation (sdnwire-sflow's sample records, sampled
//! headers and port names; sdnwire-openflow's match fields and PACKET_IN frames); and
//! [`IntoIter`], its items moved out.
//!
//! The inline room is part of the value's size whether it is used or not: an
//! `InlineVec<T, N>` takes `N * size_of::<T>()` bytes (at least two words: the heap buffer's
//! pointer and length overlap the inline items) plus one word (the length inline, the
//! capacity once on the heap). The crates that use it say the cost on each type.
//!
//! ```
//! # use sdnwire_inline::InlineVec;
//! use core::mem::size_of;
//! assert_eq!(size_of::<InlineVec<u8, 128>>(), 128 + size_of::<usize>());
//! assert_eq!(size_of::<InlineVec<u8, 4>>(), 3 * size_of::<usize>()); // as a `Vec<u8>`
//! ```
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
/// Two methods differ from `Vec`'s where `Vec`'s would panic: [`insert`](Self::insert) past
/// the end gives the item back as an error, [`remove`](Self::remove) out of range gives `None`.
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

    /// Appends the item `make` returns, moving to the heap when the inline room is exceeded.
    ///
    /// The same items as `push(make())`, with `make` called once room for the item is made,
    /// so that the optimizer can build a large item where it stays rather than aside and then
    /// copied (`push` receives the item whole; a copy of a few hundred bytes just written is
    /// slow). That is what it does once `make` is inlined into this call, not a promise: where
    /// it is not, the item is still built aside and moved in.
    ///
    /// If `make` panics, the list keeps the items it had and no item is added; only the room
    /// may have grown already (past the inline room, the items moved to the heap), where
    /// `push(make())` would not have touched the list.
    ///
    /// ```
    /// use sdnwire_inline::InlineVec;
    ///
    /// let mut v: InlineVec<[u32; 64], 2> = InlineVec::new();
    /// for i in 0..3 {
    ///     v.push_with(|| [i; 64]);
    /// }
    /// assert_eq!(v.len(), 3);
    /// assert!(!v.is_inline());
    /// assert_eq!(v[2], [2; 64]);
    /// ```
    #[inline(always)]
    pub fn push_with<F: FnOnce() -> T>(&mut self, make: F) {
        self.0.extend(core::iter::once_with(make));
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
    #[inline]
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

impl<T: PartialEq, const N: usize> PartialEq<&mut [T]> for InlineVec<T, N> {
    fn eq(&self, other: &&mut [T]) -> bool {
        self.as_slice() == &**other
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

/// A clone of the items (as `Vec<T>::from(&[T])`; [`InlineVec::from_slice`] copies `Copy`
/// items in one move).
impl<T: Clone, const N: usize> From<&[T]> for InlineVec<T, N> {
    fn from(items: &[T]) -> Self {
        items.iter().cloned().collect()
    }
}

/// A clone of the items (as `Vec<T>::from(&mut [T])`).
impl<T: Clone, const N: usize> From<&mut [T]> for InlineVec<T, N> {
    fn from(items: &mut [T]) -> Self {
        items.iter().cloned().collect()
    }
}

impl<T: Clone, const N: usize, const M: usize> From<&[T; M]> for InlineVec<T, N> {
    fn from(items: &[T; M]) -> Self {
        items.iter().cloned().collect()
    }
}

/// The boxed slice's items: moved inline when they fit, else kept on the heap (no copy).
impl<T, const N: usize> From<alloc::boxed::Box<[T]>> for InlineVec<T, N> {
    fn from(items: alloc::boxed::Box<[T]>) -> Self {
        Vec::from(items).into()
    }
}

/// An owned vector as `From<Vec<T>>` takes it (no copy past `N`), a borrowed slice cloned.
impl<T: Clone, const N: usize> From<alloc::borrow::Cow<'_, [T]>> for InlineVec<T, N> {
    fn from(items: alloc::borrow::Cow<'_, [T]>) -> Self {
        match items {
            alloc::borrow::Cow::Borrowed(s) => s.into(),
            alloc::borrow::Cow::Owned(v) => v.into(),
        }
    }
}

/// The string's bytes (as `Vec<u8>::from(String)`): moved inline when they fit, else kept on
/// the heap (no copy).
impl<const N: usize> From<alloc::string::String> for InlineVec<u8, N> {
    fn from(s: alloc::string::String) -> Self {
        s.into_bytes().into()
    }
}

/// The string's bytes (as `Vec<u8>::from(&str)`).
impl<const N: usize> From<&str> for InlineVec<u8, N> {
    fn from(s: &str) -> Self {
        Self::from_slice(s.as_bytes())
    }
}

/// The bytes (as `Vec<u8>::from(Bytes)`): copied inline when they fit; past that, the buffer
/// is taken over without a copy when the `Bytes` is its only owner.
#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl<const N: usize> From<bytes::Bytes> for InlineVec<u8, N> {
    fn from(b: bytes::Bytes) -> Self {
        if b.len() <= N {
            Self::from_slice(&b)
        } else {
            Vec::from(b).into()
        }
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

/// Appends copies of the items (as `Vec`'s `Extend<&T>`).
impl<'a, T: Copy + 'a, const N: usize> Extend<&'a T> for InlineVec<T, N> {
    fn extend<I: IntoIterator<Item = &'a T>>(&mut self, iter: I) {
        self.0.extend(iter.into_iter().copied());
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
        // Inline when the items fit; past that the decoded vector is kept, not copied.
        Ok(if v.len() <= N {
            v.into_iter().collect()
        } else {
            v.into()
        })
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

    /// What a user wrote with the `Vec<T>` an `InlineVec` replaces still compiles and means
    /// the same: the conversions, extensions and comparisons `Vec` has.
    #[test]
    fn converts_extends_and_compares_as_the_vector_it_replaces() {
        use alloc::borrow::Cow;
        use alloc::boxed::Box;
        use alloc::string::String;
        let mut frame = [1u8, 2, 3];
        let a: InlineVec<u8, 4> = (&mut frame[..]).into();
        let b: InlineVec<u8, 4> = Box::<[u8]>::from(&frame[..]).into();
        let c: InlineVec<u8, 4> = Cow::Borrowed(&frame[..]).into();
        let d: InlineVec<u8, 4> = Cow::<[u8]>::Owned(vec![1, 2, 3]).into();
        let e: InlineVec<u8, 2> = String::from("abc").into();
        assert_eq!([&a, &b, &c, &d], [&[1, 2, 3]; 4]);
        assert_eq!(e, *b"abc");
        let mut f: InlineVec<u8, 4> = InlineVec::new();
        f.extend(&[1u8, 2]);
        f.extend([3u8].iter());
        assert_eq!(f, a);
        let frame: &mut [u8] = &mut frame;
        assert!(f == frame);
    }

    #[cfg(feature = "bytes")]
    #[test]
    fn converts_from_bytes_as_the_vector_does() {
        let short: InlineVec<u8, 4> = bytes::Bytes::from_static(b"abc").into();
        assert!(short.is_inline() && short == *b"abc");
        let long: InlineVec<u8, 2> = bytes::Bytes::from(vec![1u8, 2, 3]).into();
        assert!(!long.is_inline() && long == [1, 2, 3]);
    }

    /// Equality, hashing and ordering are the `Vec`'s (and the slice's, as `Borrow<[T]>`
    /// requires), whatever the storage.
    #[test]
    fn hashes_and_orders_as_the_vector_it_replaces() {
        extern crate std;
        use core::hash::BuildHasher;
        let h = std::collections::hash_map::RandomState::new();
        let lists: [&[u16]; 6] = [&[], &[0], &[1, 2], &[1, 2, 3], &[1, 3], &[0, 0, 0, 0, 0]];
        for x in lists {
            let inline: InlineVec<u16, 8> = InlineVec::from_slice(x);
            let heap: InlineVec<u16, 1> = InlineVec::from_slice(x);
            let v = x.to_vec();
            assert_eq!(h.hash_one(&inline), h.hash_one(&v));
            assert_eq!(h.hash_one(&heap), h.hash_one(&v));
            assert_eq!(h.hash_one(&inline), h.hash_one(x));
            for y in lists {
                let other: InlineVec<u16, 8> = InlineVec::from_slice(y);
                let w = y.to_vec();
                assert_eq!(inline.cmp(&other), v.cmp(&w));
                assert_eq!(inline.partial_cmp(&other), v.partial_cmp(&w));
                assert_eq!(inline == other, v == w);
            }
        }
        let mut set = std::collections::HashSet::new();
        set.insert(InlineVec::<u16, 1>::from_slice(&[1, 2]));
        assert!(set.contains(&[1u16, 2][..]));
    }

    /// `push_with` gives the list `push` gives (items, storage, room), across the inline
    /// room; a `make` that panics leaves the items as they were (each dropped once).
    #[test]
    fn push_with_is_push_and_a_panicking_make_adds_nothing() {
        extern crate std;
        use alloc::rc::Rc;
        use core::panic::AssertUnwindSafe;
        use std::panic::catch_unwind;
        let mut a: InlineVec<[u32; 16], 3> = InlineVec::new();
        let mut b: InlineVec<[u32; 16], 3> = InlineVec::new();
        for i in 0..20 {
            a.push([i; 16]);
            b.push_with(|| [i; 16]);
            assert_eq!(a, b);
            assert_eq!((a.is_inline(), a.capacity()), (b.is_inline(), b.capacity()));
        }
        let item = Rc::new(());
        for n in 0..6 {
            let mut v: InlineVec<Rc<()>, 3> = InlineVec::new();
            for _ in 0..n {
                v.push(item.clone());
            }
            let r = catch_unwind(AssertUnwindSafe(|| {
                v.push_with(|| -> Rc<()> { panic!("make fails") });
            }));
            assert!(r.is_err());
            assert_eq!(v.len(), n);
            assert_eq!(Rc::strong_count(&item), n + 1);
            v.push_with(|| item.clone());
            assert_eq!(v.len(), n + 1);
            drop(v);
            assert_eq!(Rc::strong_count(&item), 1);
        }
    }

    /// The size the crate's documentation states: `N` items (at least two words' worth) and
    /// one word.
    #[test]
    fn size_is_what_the_docs_say() {
        use core::mem::size_of;
        let w = size_of::<usize>();
        assert_eq!(size_of::<InlineVec<u8, 128>>(), 128 + w);
        assert_eq!(size_of::<InlineVec<u64, 4>>(), 32 + w);
        assert_eq!(size_of::<InlineVec<u8, 2>>(), 3 * w);
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
        assert!(back.is_inline());
        let long: InlineVec<u16, 1> = serde_json::from_str(&json).unwrap();
        assert_eq!(long, inline);
        assert!(!long.is_inline());
    }
}

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
