//! Owned storage that keeps small contents inline, so that [`Packet::parse`](crate::Packet::parse)
//! of a common frame allocates nothing:
//!
//! * [`SmallBytes`]: a byte string that keeps up to [`SmallBytes::INLINE`] (62) bytes inline
//!   and moves to the heap past that. IPv4 and TCP options (at most 40 bytes each), Ethernet
//!   padding (at most 46 bytes), and the payloads of control frames and of a Linux `ping`
//!   (56 bytes) fit inline.
//! * [`Layers`]: the layer list of a [`Packet`](crate::Packet), [`Layers::INLINE`] (8) layers
//!   inline, on the heap past that.
//!
//! Both dereference to slices (`&[u8]`, `&[Layer]`), compare by content whatever their
//! storage, and serialize as the vectors they replace (a sequence), so JSON does not change.

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::{Deref, DerefMut};

use smallvec::SmallVec;

use crate::stack::Layer;

/// A byte string stored inline up to [`SmallBytes::INLINE`] bytes, on the heap past that.
///
/// Dereferences to `&[u8]`; compares, hashes and orders as its bytes; converts from `&[u8]`,
/// byte arrays and `Vec<u8>` (a vector is kept as it is, without a copy).
///
/// ```
/// use sdnwire_packet::SmallBytes;
/// let mut b = SmallBytes::from(&[1, 2, 3][..]);
/// b.extend_from_slice(&[4]);
/// assert_eq!(b, [1, 2, 3, 4]);
/// assert!(b.is_inline());
/// b.extend_from_slice(&[0; 100]);
/// assert_eq!((b.len(), b.is_inline()), (104, false));
/// ```
#[derive(Clone)]
pub struct SmallBytes(BytesRepr);

#[derive(Clone)]
enum BytesRepr {
    Inline {
        len: u8,
        buf: [u8; SmallBytes::INLINE],
    },
    Heap(Vec<u8>),
}

impl SmallBytes {
    /// Bytes kept inline.
    pub const INLINE: usize = 62;

    /// An empty string.
    #[inline]
    pub const fn new() -> Self {
        SmallBytes(BytesRepr::Inline {
            len: 0,
            buf: [0; Self::INLINE],
        })
    }

    /// A copy of `bytes` (inline when it fits).
    #[inline]
    pub fn from_slice(bytes: &[u8]) -> Self {
        match u8::try_from(bytes.len()) {
            Ok(len) if bytes.len() <= Self::INLINE => {
                let mut buf = [0; Self::INLINE];
                // Most option areas and trailers are empty: no call to `memcpy` for them.
                if let (false, Some(dst)) = (bytes.is_empty(), buf.get_mut(..bytes.len())) {
                    dst.copy_from_slice(bytes);
                }
                SmallBytes(BytesRepr::Inline { len, buf })
            }
            _ => SmallBytes(BytesRepr::Heap(bytes.to_vec())),
        }
    }

    /// The bytes.
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        match &self.0 {
            BytesRepr::Inline { len, buf } => buf.get(..usize::from(*len)).unwrap_or(&[]),
            BytesRepr::Heap(v) => v,
        }
    }

    /// The bytes, mutably.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        match &mut self.0 {
            BytesRepr::Inline { len, buf } => buf.get_mut(..usize::from(*len)).unwrap_or(&mut []),
            BytesRepr::Heap(v) => v,
        }
    }

    /// Replaces the bytes with a copy of `bytes`, in the storage it has when they fit (a heap
    /// buffer is kept; inline, the bytes past the new length are left as they were and never
    /// read).
    #[inline]
    pub(crate) fn assign(&mut self, bytes: &[u8]) {
        match &mut self.0 {
            BytesRepr::Heap(v) => {
                v.clear();
                v.extend_from_slice(bytes);
            }
            BytesRepr::Inline { len, buf } => {
                match (buf.get_mut(..bytes.len()), u8::try_from(bytes.len())) {
                    (Some(dst), Ok(n)) => {
                        if !bytes.is_empty() {
                            dst.copy_from_slice(bytes);
                        }
                        *len = n;
                    }
                    _ => *self = Self::from_slice(bytes),
                }
            }
        }
    }

    /// True while the bytes are stored inline (no heap allocation).
    pub fn is_inline(&self) -> bool {
        matches!(self.0, BytesRepr::Inline { .. })
    }

    /// Appends `more`, moving to the heap when the inline room is exceeded.
    pub fn extend_from_slice(&mut self, more: &[u8]) {
        match &mut self.0 {
            BytesRepr::Inline { len, buf } => {
                let at = usize::from(*len);
                let end = at + more.len();
                match (buf.get_mut(at..end), u8::try_from(end)) {
                    (Some(dst), Ok(new_len)) => {
                        dst.copy_from_slice(more);
                        *len = new_len;
                    }
                    _ => {
                        let mut v = Vec::with_capacity(end);
                        v.extend_from_slice(buf.get(..at).unwrap_or(&[]));
                        v.extend_from_slice(more);
                        self.0 = BytesRepr::Heap(v);
                    }
                }
            }
            BytesRepr::Heap(v) => v.extend_from_slice(more),
        }
    }

    /// Appends one byte.
    pub fn push(&mut self, b: u8) {
        self.extend_from_slice(&[b]);
    }

    /// Removes every byte (keeps a heap buffer, if there is one).
    pub fn clear(&mut self) {
        match &mut self.0 {
            BytesRepr::Inline { len, .. } => *len = 0,
            BytesRepr::Heap(v) => v.clear(),
        }
    }

    /// The bytes as a vector.
    pub fn into_vec(self) -> Vec<u8> {
        match self.0 {
            BytesRepr::Inline { .. } => self.as_slice().to_vec(),
            BytesRepr::Heap(v) => v,
        }
    }
}

impl Default for SmallBytes {
    fn default() -> Self {
        Self::new()
    }
}

impl Deref for SmallBytes {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl DerefMut for SmallBytes {
    #[inline]
    fn deref_mut(&mut self) -> &mut [u8] {
        self.as_mut_slice()
    }
}

impl AsRef<[u8]> for SmallBytes {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl AsMut<[u8]> for SmallBytes {
    fn as_mut(&mut self) -> &mut [u8] {
        self.as_mut_slice()
    }
}

impl Borrow<[u8]> for SmallBytes {
    fn borrow(&self) -> &[u8] {
        self.as_slice()
    }
}

impl fmt::Debug for SmallBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_slice(), f)
    }
}

impl PartialEq for SmallBytes {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for SmallBytes {}

impl Hash for SmallBytes {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl PartialOrd for SmallBytes {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SmallBytes {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

macro_rules! bytes_eq {
    ($($t:ty),*) => {$(
        impl PartialEq<$t> for SmallBytes {
            fn eq(&self, other: &$t) -> bool {
                self.as_slice() == &other[..]
            }
        }
        impl PartialEq<SmallBytes> for $t {
            fn eq(&self, other: &SmallBytes) -> bool {
                &self[..] == other.as_slice()
            }
        }
    )*};
}
bytes_eq!([u8], &[u8], Vec<u8>);

impl<const N: usize> PartialEq<[u8; N]> for SmallBytes {
    fn eq(&self, other: &[u8; N]) -> bool {
        self.as_slice() == other
    }
}

impl<const N: usize> PartialEq<&[u8; N]> for SmallBytes {
    fn eq(&self, other: &&[u8; N]) -> bool {
        self.as_slice() == *other
    }
}

impl From<&[u8]> for SmallBytes {
    fn from(b: &[u8]) -> Self {
        Self::from_slice(b)
    }
}

impl From<&mut [u8]> for SmallBytes {
    fn from(b: &mut [u8]) -> Self {
        Self::from_slice(b)
    }
}

impl<const N: usize> From<[u8; N]> for SmallBytes {
    fn from(b: [u8; N]) -> Self {
        Self::from_slice(&b)
    }
}

impl<const N: usize> From<&[u8; N]> for SmallBytes {
    fn from(b: &[u8; N]) -> Self {
        Self::from_slice(b)
    }
}

/// Keeps the vector as it is (no copy), on the heap.
impl From<Vec<u8>> for SmallBytes {
    fn from(v: Vec<u8>) -> Self {
        SmallBytes(BytesRepr::Heap(v))
    }
}

impl From<&Vec<u8>> for SmallBytes {
    fn from(v: &Vec<u8>) -> Self {
        Self::from_slice(v)
    }
}

impl From<SmallBytes> for Vec<u8> {
    fn from(b: SmallBytes) -> Self {
        b.into_vec()
    }
}

impl FromIterator<u8> for SmallBytes {
    fn from_iter<I: IntoIterator<Item = u8>>(iter: I) -> Self {
        let mut b = SmallBytes::new();
        b.extend(iter);
        b
    }
}

impl Extend<u8> for SmallBytes {
    fn extend<I: IntoIterator<Item = u8>>(&mut self, iter: I) {
        for x in iter {
            self.push(x);
        }
    }
}

impl<'a> IntoIterator for &'a SmallBytes {
    type Item = &'a u8;
    type IntoIter = core::slice::Iter<'a, u8>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for SmallBytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        // A sequence of numbers, as the `Vec<u8>` this replaces.
        s.collect_seq(self.as_slice())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for SmallBytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let v = <Vec<u8> as serde::Deserialize>::deserialize(d)?;
        Ok(SmallBytes::from_slice(&v))
    }
}

/// The layers of a [`Packet`](crate::Packet), outermost first: [`Layers::INLINE`] inline, on
/// the heap past that. Dereferences to `&[Layer]` (`len`, `iter`, indexing, `first`, `last`)
/// and `&mut [Layer]`.
///
/// ```
/// use sdnwire_packet::{Ethernet, Layers, MacAddr, Udp};
/// let mut l = Layers::new();
/// l.push(Ethernet::new(MacAddr::BROADCAST, MacAddr::new(2, 0, 0, 0, 0, 1)).into());
/// l.push(Udp::new(1, 2).into());
/// assert_eq!(l.len(), 2);
/// assert!(l.is_inline());
/// ```
#[derive(Clone)]
pub struct Layers(SmallVec<[Layer; INLINE_LAYERS]>);

/// [`Layers::INLINE`].
const INLINE_LAYERS: usize = 8;

impl Layers {
    /// Layers kept inline: Ethernet, two VLAN tags, an IP-in-IP tunnel and a transport header
    /// with room to spare.
    pub const INLINE: usize = INLINE_LAYERS;

    /// No layers.
    #[inline]
    pub fn new() -> Self {
        Layers(SmallVec::new())
    }

    /// The layers.
    #[inline]
    pub fn as_slice(&self) -> &[Layer] {
        self.0.as_slice()
    }

    /// The layers, mutably.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [Layer] {
        self.0.as_mut_slice()
    }

    /// True while the layers are stored inline (no heap allocation).
    pub fn is_inline(&self) -> bool {
        !self.0.spilled()
    }

    /// Adds a layer on top (the innermost).
    #[inline]
    pub fn push(&mut self, layer: Layer) {
        self.0.push(layer);
    }

    /// Adds a layer on top, written straight into the room the list has for it.
    ///
    /// The same as [`push`](Self::push). A push that may grow holds the layer across the call
    /// that grows the list, and that call may unwind (dropping the layer), so the compiler
    /// builds the layer in a stack temporary and copies its 104 bytes into the slot, the
    /// copy's wide loads waiting on the fields just stored. Here the list's own "full" tests
    /// come first, in the order and shape of `SmallVec::push`'s, so that the compiler sees
    /// the push's growth as not taken and stores the layer's fields in its slot; only a full
    /// list (past [`Layers::INLINE`] layers, or a full heap buffer) takes the growing push, out
    /// of line.
    #[inline(always)]
    pub(crate) fn push_fast(&mut self, layer: Layer) {
        let full = if self.0.spilled() {
            self.0.len() == self.0.capacity()
        } else {
            self.0.len() == INLINE_LAYERS
        };
        if full {
            push_growing(self, layer);
        } else {
            self.0.push(layer);
        }
    }

    /// [`push_fast`](Self::push_fast), then `fill` on the layer pushed (the ICMP echo's data,
    /// copied into the layer where it lies). A list with inline room pushes in a branch of its
    /// own, which cannot grow: there the compiler writes the layer's constant parts (the
    /// echo's zeroed inline buffer) straight into the slot, where through `push_fast` it
    /// built them in a stack temporary and copied them in. A full list, or one on the heap,
    /// takes `push_fast`.
    #[inline(always)]
    pub(crate) fn push_fast_fill(&mut self, layer: Layer, fill: impl FnOnce(&mut Layer)) {
        if !self.0.spilled() && self.0.len() < INLINE_LAYERS {
            self.0.push(layer);
        } else {
            self.push_fast(layer);
        }
        if let Some(last) = self.0.last_mut() {
            fill(last);
        }
    }

    /// Removes the innermost layer and returns it.
    pub fn pop(&mut self) -> Option<Layer> {
        self.0.pop()
    }

    /// Inserts `layer` at `index`, moving the layers after it up: a VLAN tag pushed after
    /// the Ethernet header is `insert(1, vlan.into())`. When `index` is past the end nothing
    /// is inserted and the layer comes back as the error (where `Vec::insert` would panic).
    pub fn insert(&mut self, index: usize, layer: Layer) -> Result<(), Layer> {
        if index > self.0.len() {
            return Err(layer);
        }
        self.0.insert(index, layer);
        Ok(())
    }

    /// Removes the layer at `index` and returns it, moving the layers after it down (`None`
    /// when there is none): a VLAN tag popped is `remove(1)`.
    pub fn remove(&mut self, index: usize) -> Option<Layer> {
        (index < self.0.len()).then(|| self.0.remove(index))
    }

    /// Keeps the first `len` layers and drops the others.
    #[inline]
    pub fn truncate(&mut self, len: usize) {
        if len == 0 && self.forget_plain() {
            return;
        }
        self.0.truncate(len);
    }

    /// When the layers are inline and none owns heap memory (the common layers: see
    /// `Layer::owns_heap`), removes them all without running their drop glue (forgetting
    /// them is dropping them: there is nothing to free) and returns true; otherwise leaves
    /// them and returns false.
    #[inline(always)]
    fn forget_plain(&mut self) -> bool {
        let plain = !self.0.spilled() && !self.0.iter().any(Layer::owns_heap);
        if plain {
            core::mem::forget(core::mem::take(&mut self.0));
        }
        plain
    }

    /// Keeps the layers for which `keep` is true, in order.
    pub fn retain(&mut self, keep: impl FnMut(&mut Layer) -> bool) {
        self.0.retain(keep);
    }

    /// Removes every layer (and gives back a heap buffer, if there is one).
    pub fn clear(&mut self) {
        *self = Layers::new();
    }

    /// The layers as a vector.
    pub fn into_vec(mut self) -> Vec<Layer> {
        core::mem::take(&mut self.0).into_vec()
    }
}

/// [`Layers::push_fast`]'s growing push, out of line (with the drop of `layer` should the
/// growth unwind).
#[cold]
#[inline(never)]
fn push_growing(layers: &mut Layers, layer: Layer) {
    #[cfg(test)]
    tests::GROWING_PUSHES.with(|n| n.set(n.get() + 1));
    layers.0.push(layer);
}

/// Inline layers that own no heap memory (Ethernet, VLAN, UDP, ARP of Ethernet and IPv4
/// addresses, IPv4, TCP and ICMP echo with their bytes inline) are dropped without a call to
/// their drop glue each; a list with any other layer, or on the heap, is dropped layer by layer.
impl Drop for Layers {
    #[inline]
    fn drop(&mut self) {
        self.forget_plain();
    }
}

impl Default for Layers {
    fn default() -> Self {
        Self::new()
    }
}

impl Deref for Layers {
    type Target = [Layer];
    #[inline]
    fn deref(&self) -> &[Layer] {
        self.as_slice()
    }
}

impl DerefMut for Layers {
    #[inline]
    fn deref_mut(&mut self) -> &mut [Layer] {
        self.as_mut_slice()
    }
}

impl fmt::Debug for Layers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl PartialEq for Layers {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl PartialEq<[Layer]> for Layers {
    fn eq(&self, other: &[Layer]) -> bool {
        self.as_slice() == other
    }
}

impl PartialEq<Vec<Layer>> for Layers {
    fn eq(&self, other: &Vec<Layer>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<const N: usize> PartialEq<[Layer; N]> for Layers {
    fn eq(&self, other: &[Layer; N]) -> bool {
        self.as_slice() == other
    }
}

impl From<Vec<Layer>> for Layers {
    fn from(v: Vec<Layer>) -> Self {
        Layers(SmallVec::from_vec(v))
    }
}

impl From<Layers> for Vec<Layer> {
    fn from(l: Layers) -> Self {
        l.into_vec()
    }
}

impl FromIterator<Layer> for Layers {
    fn from_iter<I: IntoIterator<Item = Layer>>(iter: I) -> Self {
        let mut l = Layers::new();
        l.extend(iter);
        l
    }
}

impl Extend<Layer> for Layers {
    fn extend<I: IntoIterator<Item = Layer>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl<'a> IntoIterator for &'a Layers {
    type Item = &'a Layer;
    type IntoIter = core::slice::Iter<'a, Layer>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<'a> IntoIterator for &'a mut Layers {
    type Item = &'a mut Layer;
    type IntoIter = core::slice::IterMut<'a, Layer>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_mut_slice().iter_mut()
    }
}

impl IntoIterator for Layers {
    type Item = Layer;
    type IntoIter = LayersIntoIter;
    fn into_iter(self) -> Self::IntoIter {
        let mut l = self;
        LayersIntoIter(core::mem::take(&mut l.0).into_iter())
    }
}

/// The layers of a [`Layers`] moved out of it (its `into_iter()`), front or back, read where
/// they are stored: no allocation, as a `Vec`'s `into_iter` makes none.
#[derive(Clone)]
pub struct LayersIntoIter(smallvec::IntoIter<[Layer; INLINE_LAYERS]>);

impl LayersIntoIter {
    /// The layers not yet moved out.
    pub fn as_slice(&self) -> &[Layer] {
        self.0.as_slice()
    }
}

impl Iterator for LayersIntoIter {
    type Item = Layer;
    #[inline]
    fn next(&mut self) -> Option<Layer> {
        self.0.next()
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for LayersIntoIter {
    #[inline]
    fn next_back(&mut self) -> Option<Layer> {
        self.0.next_back()
    }
}

impl ExactSizeIterator for LayersIntoIter {}

impl core::iter::FusedIterator for LayersIntoIter {}

impl fmt::Debug for LayersIntoIter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LayersIntoIter")
            .field(&self.as_slice())
            .finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Layers {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.as_slice())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Layers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        let v = <Vec<Layer> as serde::Deserialize>::deserialize(d)?;
        Ok(v.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Udp;
    use alloc::vec;
    use core::cell::Cell;

    #[test]
    fn small_bytes_spill_and_compare_by_content() {
        let mut b = SmallBytes::new();
        for i in 0..u8::try_from(SmallBytes::INLINE).unwrap() {
            b.push(i);
        }
        assert!(b.is_inline());
        let inline = b.clone();
        b.push(0xff);
        assert!(!b.is_inline());
        assert_eq!(b.len(), SmallBytes::INLINE + 1);
        assert_eq!(b[..SmallBytes::INLINE], inline[..]);
        let heap = SmallBytes::from(inline.to_vec());
        assert!(!heap.is_inline());
        assert_eq!(heap, inline);
        assert!(!SmallBytes::from_slice(&[1; 63]).is_inline());
        assert!(SmallBytes::from_slice(&[1; 62]).is_inline());
        let mut c = SmallBytes::from(&[1, 2][..]);
        c.clear();
        assert!(c.is_empty());
        assert_eq!(SmallBytes::from([7u8; 3]).into_vec(), vec![7, 7, 7]);
    }

    #[test]
    fn layers_spill_past_inline_and_keep_order() {
        let mut l = Layers::new();
        for i in 0..20u16 {
            l.push(Udp::new(i, 0).into());
            assert_eq!(l.is_inline(), usize::from(i) < Layers::INLINE);
        }
        let ports: Vec<u16> = l.iter().map(|x| x.get::<Udp>().unwrap().src_port).collect();
        assert_eq!(ports, (0..20).collect::<Vec<u16>>());
        assert_eq!(l.pop().unwrap().get::<Udp>().unwrap().src_port, 19);
        let mut s = Layers::new();
        s.push(Udp::new(1, 0).into());
        s.push(Udp::new(2, 0).into());
        assert_eq!(s.pop().unwrap().get::<Udp>().unwrap().src_port, 2);
        assert_eq!(s.len(), 1);
        assert_eq!(Layers::from(s.clone().into_vec()), s);
        assert_eq!(s.into_iter().count(), 1);
    }

    std::thread_local! {
        /// The growing pushes [`Layers::push_fast`] took on this thread (each test runs on a
        /// thread of its own, so the tests running beside it do not disturb the count).
        pub(super) static GROWING_PUSHES: Cell<usize> = const { Cell::new(0) };
    }

    /// What `f` gives, and how many times it took `push_fast`'s growing push.
    fn growing_pushes<R>(f: impl FnOnce() -> R) -> (R, usize) {
        let before = GROWING_PUSHES.with(Cell::get);
        let r = f();
        (r, GROWING_PUSHES.with(Cell::get) - before)
    }

    /// `push_fast` fills the inline room, then grows out of line past it and again when the
    /// heap buffer is full, as `push` does: the same layers in the same order, in the same
    /// storage; the growing push is taken exactly when the list is full, never while it has
    /// room.
    #[test]
    fn push_fast_fills_the_room_then_grows_as_push_does() {
        let mut fast = Layers::new();
        let mut slow = Layers::new();
        for i in 0..40u16 {
            let full = fast.len() == fast.0.capacity();
            let ((), grew) = growing_pushes(|| fast.push_fast(Udp::new(i, 0).into()));
            slow.push(Udp::new(i, 0).into());
            assert_eq!(fast, slow);
            assert_eq!(fast.is_inline(), usize::from(i) < Layers::INLINE);
            assert_eq!(fast.0.capacity(), slow.0.capacity());
            assert_eq!(grew, usize::from(full), "push {i}");
            assert_eq!(full, matches!(i, 8 | 16 | 32), "push {i}");
        }
        let ports: Vec<u16> = fast
            .iter()
            .map(|x| x.get::<Udp>().unwrap().src_port)
            .collect();
        assert_eq!(ports, (0..40).collect::<Vec<u16>>());
        // A heap buffer emptied (`truncate`) is filled again without growing, up to its
        // capacity, and not at the inline room's size.
        fast.truncate(0);
        assert!(!fast.is_inline());
        let cap = fast.0.capacity();
        for i in 0..cap {
            let ((), grew) = growing_pushes(|| fast.push_fast(Udp::new(0, 0).into()));
            assert_eq!(grew, 0, "push {i} of {cap}");
        }
        let ((), grew) = growing_pushes(|| fast.push_fast(Udp::new(0, 0).into()));
        assert_eq!((grew, fast.len()), (1, cap + 1));
        // Cleared, the list is inline again and grows at the ninth layer.
        fast.clear();
        let ((), grew) = growing_pushes(|| {
            for _ in 0..Layers::INLINE {
                fast.push_fast(Udp::new(0, 0).into());
            }
        });
        assert_eq!((grew, fast.is_inline()), (0, true));
        let ((), grew) = growing_pushes(|| fast.push_fast(Udp::new(0, 0).into()));
        assert_eq!((grew, fast.is_inline()), (1, false));
    }

    /// Ethernet / `tags` 802.1Q tags / IPv4 / UDP with a 4-byte payload: `tags + 3` layers.
    fn tagged(tags: u16) -> alloc::vec::Vec<u8> {
        use crate::{Encode, Ethernet, Ipv4, MacAddr, Packet, Vlan};
        let mut p = Packet::new().push(Ethernet::new(
            MacAddr::BROADCAST,
            MacAddr::new(2, 0, 0, 0, 0, 1),
        ));
        for vid in 1..=tags {
            p = p.push(Vlan::new(vid));
        }
        p.push(Ipv4::new([10, 0, 0, 1].into(), [10, 0, 0, 2].into()))
            .push(Udp::new(7, 9))
            .with_payload(&b"tags"[..])
            .to_vec()
            .unwrap()
    }

    /// The owned decode (`Packet::parse`, `parse_partial`, `parse_into`, the view's `decode`)
    /// writes each layer into the room its list has, and takes the growing push, out of line,
    /// only when the list is full: never for a frame of up to [`Layers::INLINE`] layers, at the
    /// ninth layer and the seventeenth (a heap buffer of 16) of a deeper one, and never into a
    /// reused packet whose heap buffer has room. Frames of 3 to 38 layers decode to every layer
    /// in order, once (every tag's VLAN ID, then IPv4 and UDP), and encode back to their bytes.
    #[test]
    fn the_owned_decode_grows_the_list_only_when_it_is_full() {
        use crate::{Encode, Ipv4, LayerKind, Packet, PacketView, Vlan};
        let check = |p: &Packet, tags: u16, bytes: &[u8]| {
            let kinds: alloc::vec::Vec<LayerKind> = p.layers.iter().map(Layer::kind).collect();
            let mut want = vec![LayerKind::Ethernet];
            want.extend((0..tags).map(|_| LayerKind::Vlan));
            want.extend([LayerKind::Ipv4, LayerKind::Udp]);
            assert_eq!(kinds, want, "{tags} tags");
            let vids: alloc::vec::Vec<u16> = p.get_all::<Vlan>().map(|v| v.vid).collect();
            assert_eq!(vids, (1..=tags).collect::<alloc::vec::Vec<u16>>());
            assert_eq!(
                p.get::<Ipv4>().unwrap().dst,
                core::net::Ipv4Addr::new(10, 0, 0, 2)
            );
            assert_eq!(p.get::<Udp>().unwrap().dst_port, 9);
            assert_eq!(p.payload, b"tags");
            assert_eq!(p.to_vec().unwrap(), bytes, "{tags} tags");
        };
        let mut reused = Packet::new();
        for tags in 0..=35u16 {
            let bytes = tagged(tags);
            let n = usize::from(tags) + 3;
            let grows = usize::from(n > 8) + usize::from(n > 16) + usize::from(n > 32);
            let (p, g) = growing_pushes(|| Packet::parse(&bytes).unwrap());
            check(&p, tags, &bytes);
            assert_eq!(
                (g, p.layers.is_inline()),
                (grows, n <= Layers::INLINE),
                "{n}"
            );
            let ((q, err), g) = growing_pushes(|| Packet::parse_partial(&bytes));
            assert_eq!((&q, err, g), (&p, None, grows), "{n}");
            let (d, g) = growing_pushes(|| PacketView::parse(&bytes).unwrap().decode());
            assert_eq!((&d, g), (&p, grows), "{n}");
            // One packet reused for frames of more and more layers grows only past the room
            // it already has: at 9 and 17 layers, then at 33.
            let (r, g) = growing_pushes(|| reused.parse_into(&bytes));
            assert_eq!((r, &reused), (Ok(()), &p), "{n}");
            assert_eq!(g, usize::from(matches!(n, 9 | 17 | 33)), "{n}");
        }
        // Its heap buffer (64 layers) has room for any of them, deep or shallow, in any order.
        for tags in (0..=35u16).rev().chain([5, 20, 0, 35, 13]) {
            let bytes = tagged(tags);
            let (r, g) = growing_pushes(|| reused.parse_into(&bytes));
            assert_eq!((r, g), (Ok(()), 0), "{tags} tags");
            check(&reused, tags, &bytes);
            assert!(!reused.layers.is_inline());
        }
        // An error keeps the buffer too; cleared, the packet is inline and grows at 9 again.
        assert!(reused.parse_into(&[0; 3]).is_err());
        assert!(!reused.layers.is_inline());
        reused.layers.clear();
        let (r, g) = growing_pushes(|| reused.parse_into(&tagged(5)));
        assert_eq!((r, g, reused.layers.is_inline()), (Ok(()), 0, true));
        let (r, g) = growing_pushes(|| reused.parse_into(&tagged(6)));
        assert_eq!((r, g, reused.layers.is_inline()), (Ok(()), 1, false));
    }

    /// `push_fast_fill`: the same list as `push` then a change of the last layer, whatever
    /// the storage (inline room, the spill, the heap buffer full and growing), and `fill`
    /// sees the layer just pushed, once.
    #[test]
    fn push_fast_fill_fills_the_layer_it_pushed() {
        let mut fast = Layers::new();
        let mut slow = Layers::new();
        for i in 0..40u16 {
            let mut seen = 0;
            fast.push_fast_fill(Udp::new(i, 0).into(), |last| {
                seen += 1;
                let Layer::Udp(udp) = last else {
                    panic!("not the layer pushed: {last:?}")
                };
                assert_eq!(udp.src_port, i);
                udp.dst_port = i + 1;
            });
            slow.push(Udp::new(i, i + 1).into());
            assert_eq!(seen, 1);
            assert_eq!(fast, slow);
            assert_eq!(fast.is_inline(), usize::from(i) < Layers::INLINE);
            assert_eq!(fast.0.capacity(), slow.0.capacity());
        }
    }

    /// What a `Vec<Layer>` allowed and a switch agent does: push a VLAN tag after the
    /// Ethernet header and pop it again, drop the layers above IP, filter layers out.
    #[test]
    fn layers_insert_remove_truncate_and_retain_as_a_vector_does() {
        use crate::{Encode, Ethernet, Ipv4, MacAddr, Packet, Vlan};
        let eth = Ethernet::new(MacAddr::BROADCAST, MacAddr::new(2, 0, 0, 0, 0, 1));
        let ip = Ipv4::new([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        let plain = (eth.clone() / ip.clone() / Udp::new(1, 2))
            .to_vec()
            .unwrap();
        let mut p = Packet::new()
            .push(eth.clone())
            .push(ip.clone())
            .push(Udp::new(1, 2));
        let udp_only = p.layers.clone();
        p.layers.insert(1, Vlan::new(7).into()).unwrap();
        let back = p.layers.insert(9, Vlan::new(8).into()).unwrap_err();
        assert_eq!(back.get::<Vlan>().unwrap().vid, 8);
        let tagged = (eth / Vlan::new(7) / ip / Udp::new(1, 2)).to_vec().unwrap();
        assert_eq!(p.to_vec().unwrap(), tagged);
        assert_eq!(p.layers.remove(1).unwrap().get::<Vlan>().unwrap().vid, 7);
        assert!(p.layers.remove(3).is_none());
        assert_eq!(p.layers, udp_only);
        assert_eq!(p.to_vec().unwrap(), plain);
        let mut l = udp_only.clone();
        l.retain(|x| x.get::<Udp>().is_none());
        assert_eq!(l.len(), 2);
        let mut t = udp_only;
        t.truncate(1);
        assert_eq!(t.len(), 1);
        assert!(t.first().unwrap().get::<Ethernet>().is_some());
    }
}
