//! Crate-internal byte helpers for buffers whose lengths a view's `parse` (or an encoder's room
//! check) has already checked: lenient reads and writes that never panic, and the
//! `wire_struct!` macro this crate declares its fixed headers with.
//!
//! Nothing here is public: the public, checked counterparts are in [`crate::wire`] (reads that
//! return `None` out of range, [`FixedLayout`](crate::wire::FixedLayout)). The lenient forms
//! exist because a checked view's accessors "can only be wrong through a length the check
//! already refused" (smoltcp's `new_checked` contract); the macro's `view` asserts in debug
//! builds that it is never reached out of range.
//!
//! Every wire struct is `#[repr(C)]` over unaligned network-endian fields and derives zerocopy's
//! `FromBytes`/`IntoBytes`, so a header is read or written through a reference with no
//! hand-written `unsafe` and no alignment trap. The structs stay private to the crate: the public
//! API is the views' accessors.

pub(crate) use zerocopy::network_endian::{U16, U32, U64};

/// A value of the type made of zero bytes, available in `const` context.
pub(crate) trait Zeroed: Sized {
    /// The all-zero value.
    const ZERO: Self;
}

impl Zeroed for u8 {
    const ZERO: Self = 0;
}
impl Zeroed for U16 {
    const ZERO: Self = U16::ZERO;
}
impl Zeroed for U32 {
    const ZERO: Self = U32::ZERO;
}
impl Zeroed for U64 {
    const ZERO: Self = U64::ZERO;
}
impl<const N: usize> Zeroed for [u8; N] {
    const ZERO: Self = [0; N];
}

/// Declares a wire struct: `#[repr(C)]`, zerocopy derives, a `ZERO` value, and
/// `view` / `view_mut` constructors over the front of a byte slice.
///
/// The fields must be `u8`, byte arrays or [`U16`](crate::bytes::U16)/`U32`/`U64`; the crate that
/// uses the macro needs `zerocopy` (with its `derive` feature) as a dependency. The struct and its
/// fields are `pub(crate)`: wire layouts stay private, accessors are the API.
///
/// `view` never panics: on a slice shorter than the struct (which a checked view rules out
/// before any accessor runs) it returns an all-zero struct instead.
macro_rules! wire_struct {
    (
        $(#[$meta:meta])*
        pub(crate) struct $name:ident { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(
            zerocopy::FromBytes,
            zerocopy::IntoBytes,
            zerocopy::KnownLayout,
            zerocopy::Immutable,
            zerocopy::Unaligned,
            Clone,
            Copy,
            Debug,
        )]
        #[repr(C)]
        pub(crate) struct $name { $( $(#[$fmeta])* pub(crate) $field: $ty ),* }

        impl $crate::bytes::Zeroed for $name {
            const ZERO: Self = Self { $( $field: <$ty as $crate::bytes::Zeroed>::ZERO ),* };
        }

        #[allow(dead_code)]
        impl $name {
            /// Size of the struct on the wire.
            pub(crate) const LEN: usize = core::mem::size_of::<Self>();

            /// The struct at the front of a checked view's buffer (see the macro's documentation).
            #[inline]
            pub(crate) fn view(buf: &[u8]) -> &Self {
                static ZERO: $name = <$name as $crate::bytes::Zeroed>::ZERO;
                match <Self as zerocopy::FromBytes>::ref_from_prefix(buf) {
                    Ok((h, _)) => h,
                    Err(_) => {
                        debug_assert!(buf.len() >= Self::LEN, "checked view read past its check");
                        &ZERO
                    }
                }
            }

            /// The struct at the front of `buf`, mutably; `None` if `buf` is too short.
            #[inline]
            pub(crate) fn view_mut(buf: &mut [u8]) -> Option<&mut Self> {
                <Self as zerocopy::FromBytes>::mut_from_prefix(buf).ok().map(|(h, _)| h)
            }

            /// Writes the struct to the front of `buf`; returns `false` if `buf` is too short.
            #[inline]
            pub(crate) fn write_to(&self, buf: &mut [u8]) -> bool {
                zerocopy::IntoBytes::write_to_prefix(self, buf).is_ok()
            }
        }
    };
}
pub(crate) use wire_struct;

/// Reads a big-endian `u16` at `at`, or 0 past the end of `buf`.
#[inline]
pub(crate) fn be16(buf: &[u8], at: usize) -> u16 {
    match buf.get(at..).and_then(|b| b.first_chunk::<2>()) {
        Some(b) => u16::from_be_bytes(*b),
        None => 0,
    }
}

/// Reads a big-endian `u32` at `at`, or 0 past the end of `buf`.
#[inline]
pub(crate) fn be32(buf: &[u8], at: usize) -> u32 {
    match buf.get(at..).and_then(|b| b.first_chunk::<4>()) {
        Some(b) => u32::from_be_bytes(*b),
        None => 0,
    }
}

/// Writes a big-endian `u16` at `at`; does nothing past the end of `buf`.
#[inline]
pub(crate) fn put16(buf: &mut [u8], at: usize, v: u16) {
    if let Some(b) = buf.get_mut(at..).and_then(|b| b.first_chunk_mut::<2>()) {
        *b = v.to_be_bytes();
    }
}

/// Writes a big-endian `u32` at `at`; does nothing past the end of `buf`.
#[inline]
pub(crate) fn put32(buf: &mut [u8], at: usize, v: u32) {
    if let Some(b) = buf.get_mut(at..).and_then(|b| b.first_chunk_mut::<4>()) {
        *b = v.to_be_bytes();
    }
}

/// Copies `src` into `buf` at `at`; does nothing if it does not fit.
#[inline]
pub(crate) fn put_bytes(buf: &mut [u8], at: usize, src: &[u8]) {
    if let Some(dst) = at
        .checked_add(src.len())
        .and_then(|end| buf.get_mut(at..end))
    {
        dst.copy_from_slice(src);
    }
}

/// `buf[from..to]`, clamped to the buffer (never panics; empty when out of range).
#[inline]
pub(crate) fn slice(buf: &[u8], from: usize, to: usize) -> &[u8] {
    let to = to.min(buf.len());
    buf.get(from..to).unwrap_or(&[])
}

/// `buf[from..]`, or empty when `from` is past the end.
#[inline]
pub(crate) fn tail(buf: &[u8], from: usize) -> &[u8] {
    buf.get(from..).unwrap_or(&[])
}
