//! Fixed wire layouts and big-endian reads, checked: the one mechanism every `sdnwire-*` codec
//! declares its fixed headers with.
//!
//! A fixed layout is a `#[repr(C)]` struct of unaligned network-endian fields ([`U16`],
//! [`U32`], [`U64`], their signed [`I16`], [`I32`], [`I64`], `u8`, byte arrays) deriving
//! zerocopy 0.8's `FromBytes`, `IntoBytes`, `KnownLayout`, `Immutable` and `Unaligned`: no
//! hand-written `unsafe`, no alignment trap. Every such struct is a [`FixedLayout`] (a blanket
//! implementation), whose accessors check the length and answer [`TooShort`] (how many bytes
//! were needed, how many there were) instead of panicking or reading zeros:
//!
//! ```
//! use sdnwire_packet::wire::{FixedLayout, TooShort, U16};
//! use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};
//!
//! /// A UDP header (RFC 768).
//! #[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy)]
//! #[repr(C)]
//! struct UdpHeader {
//!     src_port: U16,
//!     dst_port: U16,
//!     len: U16,
//!     csum: U16,
//! }
//!
//! let bytes = [0x00, 0x44, 0x00, 0x43, 0x00, 0x08, 0x00, 0x00, 0xff];
//! let (h, rest) = UdpHeader::ref_from_front(&bytes)?;
//! assert_eq!((h.src_port.get(), h.dst_port.get(), rest.len()), (68, 67, 1));
//! // A cut header is an error that says what was missing, never a header of zeros.
//! assert_eq!(
//!     UdpHeader::ref_from_front(&bytes[..5]).err(),
//!     Some(TooShort { needed: 8, available: 5 })
//! );
//! # Ok::<(), TooShort>(())
//! ```
//!
//! The structs stay private to the crate that declares them (a zerocopy rename must never become
//! a breaking change of ours); the public API is the accessors of the views built on them. A
//! crate that declares layouts needs `zerocopy` (feature `derive`) as a direct dependency, since
//! the derives name it.
//!
//! [`be16`] and [`be32`] read one big-endian integer at an offset and give `None` out of range;
//! [`put16`] and [`put32`] write one and answer [`TooShort`] out of range.

use core::fmt;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

pub use zerocopy::network_endian::{I16, I32, I64, U16, U32, U64};

/// A buffer shorter than the structure read from or written to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TooShort {
    /// Bytes the access needed, counted from the start of the buffer it was given.
    pub needed: usize,
    /// Bytes the buffer had.
    pub available: usize,
}

impl fmt::Display for TooShort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "buffer too short: {} bytes needed, {} available",
            self.needed, self.available
        )
    }
}

impl core::error::Error for TooShort {}

fn too_short(needed: usize, available: usize) -> TooShort {
    TooShort { needed, available }
}

/// A fixed wire layout read and written through checked references: implemented for every
/// type that derives zerocopy's `FromBytes`, `IntoBytes`, `KnownLayout`, `Immutable` and
/// `Unaligned` (see the [module documentation](self)).
///
/// No method panics; a buffer shorter than the layout is [`TooShort`].
pub trait FixedLayout: FromBytes + IntoBytes + KnownLayout + Immutable + Unaligned + Sized {
    /// Size of the layout on the wire.
    const WIRE_LEN: usize = core::mem::size_of::<Self>();

    /// The layout at the front of `buf`, and the bytes after it.
    #[inline]
    fn ref_from_front(buf: &[u8]) -> Result<(&Self, &[u8]), TooShort> {
        Self::ref_from_prefix(buf).map_err(|_| too_short(Self::WIRE_LEN, buf.len()))
    }

    /// The layout at byte `at` of `buf`.
    #[inline]
    fn ref_at(buf: &[u8], at: usize) -> Result<&Self, TooShort> {
        let needed = at.saturating_add(Self::WIRE_LEN);
        match buf.get(at..) {
            Some(rest) => Self::ref_from_prefix(rest)
                .map(|(h, _)| h)
                .map_err(|_| too_short(needed, buf.len())),
            None => Err(too_short(needed, buf.len())),
        }
    }

    /// The layout at the front of `buf`, mutably.
    #[inline]
    fn mut_from_front(buf: &mut [u8]) -> Result<&mut Self, TooShort> {
        let available = buf.len();
        Self::mut_from_prefix(buf)
            .map(|(h, _)| h)
            .map_err(|_| too_short(Self::WIRE_LEN, available))
    }

    /// A copy of the layout at the front of `buf`.
    #[inline]
    fn read_front(buf: &[u8]) -> Result<Self, TooShort> {
        Self::read_from_prefix(buf)
            .map(|(h, _)| h)
            .map_err(|_| too_short(Self::WIRE_LEN, buf.len()))
    }

    /// Writes the layout to the front of `buf`.
    #[inline]
    fn write_front(&self, buf: &mut [u8]) -> Result<(), TooShort> {
        let available = buf.len();
        self.write_to_prefix(buf)
            .map_err(|_| too_short(Self::WIRE_LEN, available))
    }
}

impl<T: FromBytes + IntoBytes + KnownLayout + Immutable + Unaligned> FixedLayout for T {}

/// The `N` bytes at `at`, or `None` past the end of `buf`.
#[inline]
fn chunk<const N: usize>(buf: &[u8], at: usize) -> Option<&[u8; N]> {
    buf.get(at..).and_then(<[u8]>::first_chunk::<N>)
}

/// Reads a big-endian `u16` at `at`; `None` when it does not fit in `buf`.
#[inline]
pub fn be16(buf: &[u8], at: usize) -> Option<u16> {
    chunk::<2>(buf, at).map(|b| u16::from_be_bytes(*b))
}

/// Reads a big-endian `u32` at `at`; `None` when it does not fit in `buf`.
#[inline]
pub fn be32(buf: &[u8], at: usize) -> Option<u32> {
    chunk::<4>(buf, at).map(|b| u32::from_be_bytes(*b))
}

/// Writes a big-endian `u16` at `at`; [`TooShort`] (and nothing written) when it does not fit.
#[inline]
pub fn put16(buf: &mut [u8], at: usize, v: u16) -> Result<(), TooShort> {
    put(buf, at, &v.to_be_bytes())
}

/// Writes a big-endian `u32` at `at`; [`TooShort`] (and nothing written) when it does not fit.
#[inline]
pub fn put32(buf: &mut [u8], at: usize, v: u32) -> Result<(), TooShort> {
    put(buf, at, &v.to_be_bytes())
}

fn put(buf: &mut [u8], at: usize, src: &[u8]) -> Result<(), TooShort> {
    let available = buf.len();
    let end = at.saturating_add(src.len());
    match buf.get_mut(at..end) {
        Some(dst) => {
            dst.copy_from_slice(src);
            Ok(())
        }
        None => Err(too_short(end, available)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy, Debug)]
    #[repr(C)]
    struct Two {
        a: U16,
        b: u8,
    }

    #[test]
    fn reads_are_checked() {
        assert_eq!(be16(&[1, 2], 0), Some(0x0102));
        assert_eq!(be16(&[1, 2], 1), None);
        assert_eq!(be16(&[1, 2], usize::MAX), None);
        assert_eq!(be32(&[1, 2, 3, 4, 5], 1), Some(0x0203_0405));
        assert_eq!(be32(&[1, 2, 3], 0), None);
    }

    #[test]
    fn writes_are_checked() {
        let mut b = [0u8; 3];
        assert_eq!(put16(&mut b, 1, 0xabcd), Ok(()));
        assert_eq!(b, [0, 0xab, 0xcd]);
        assert_eq!(
            put32(&mut b, 0, 1),
            Err(TooShort {
                needed: 4,
                available: 3
            })
        );
        assert_eq!(b, [0, 0xab, 0xcd]);
        assert!(put16(&mut b, usize::MAX, 1).is_err());
    }

    #[test]
    fn layouts_are_checked() {
        let b = [0, 7, 9, 1];
        let (t, rest) = Two::ref_from_front(&b).unwrap();
        assert_eq!((t.a.get(), t.b, rest), (7, 9, &[1][..]));
        assert_eq!(Two::ref_at(&b, 1).unwrap().a.get(), 0x0709);
        assert_eq!(
            Two::ref_at(&b, 2).err(),
            Some(TooShort {
                needed: 5,
                available: 4
            })
        );
        assert_eq!(
            Two::ref_at(&b, usize::MAX).err().map(|e| e.needed),
            Some(usize::MAX)
        );
        assert_eq!(
            Two::read_front(&b[..2]).err(),
            Some(TooShort {
                needed: 3,
                available: 2
            })
        );
        let mut out = [0u8; 2];
        assert!(t.write_front(&mut out).is_err());
        let mut out = [0u8; 3];
        t.write_front(&mut out).unwrap();
        assert_eq!(out, [0, 7, 9]);
        Two::mut_from_front(&mut out).unwrap().b = 4;
        assert_eq!(out[2], 4);
        assert_eq!(Two::WIRE_LEN, 3);
    }
}
