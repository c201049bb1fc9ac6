//! Fixed-layout records: one macro declares the private zerocopy wire struct, the zero-copy
//! view (`XxxView<'a>`, a checked reference into the datagram) and the owned struct of a record
//! made only of fixed-size fields, so that the three never disagree.

use core::net::{Ipv4Addr, Ipv6Addr};
use sdnwire_packet::MacAddr;

use crate::error::Result;
use crate::xdr::{PaddedMac, Writer};
use sdnwire_packet::wire::{U32, U64};
use zerocopy::network_endian::I32;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// A wire field type: how it reads as a Rust value and how that value is written back.
pub(crate) trait Field: Copy {
    /// What the view's accessor returns.
    type Native: Copy;
    /// What the owned struct holds (the native value, plus padding where there is some).
    type Owned: Copy;
    const DEFAULT: Self::Owned;
    fn get(&self) -> Self::Native;
    fn own(&self) -> Self::Owned;
    fn put(v: &Self::Owned, w: &mut Writer<'_>) -> Result<()>;
}

impl Field for U32 {
    type Native = u32;
    type Owned = u32;
    const DEFAULT: u32 = 0;
    #[inline]
    fn get(&self) -> u32 {
        U32::get(*self)
    }
    fn own(&self) -> u32 {
        self.get()
    }
    fn put(v: &u32, w: &mut Writer<'_>) -> Result<()> {
        w.u32(*v)
    }
}

impl Field for u8 {
    type Native = u8;
    type Owned = u8;
    const DEFAULT: u8 = 0;
    #[inline]
    fn get(&self) -> u8 {
        *self
    }
    fn own(&self) -> u8 {
        *self
    }
    fn put(v: &u8, w: &mut Writer<'_>) -> Result<()> {
        w.bytes(&[*v])
    }
}

impl Field for I32 {
    type Native = i32;
    type Owned = i32;
    const DEFAULT: i32 = 0;
    #[inline]
    fn get(&self) -> i32 {
        I32::get(*self)
    }
    fn own(&self) -> i32 {
        self.get()
    }
    fn put(v: &i32, w: &mut Writer<'_>) -> Result<()> {
        w.bytes(&v.to_be_bytes())
    }
}

impl Field for U64 {
    type Native = u64;
    type Owned = u64;
    const DEFAULT: u64 = 0;
    #[inline]
    fn get(&self) -> u64 {
        U64::get(*self)
    }
    fn own(&self) -> u64 {
        self.get()
    }
    fn put(v: &u64, w: &mut Writer<'_>) -> Result<()> {
        w.u64(*v)
    }
}

/// An XDR `float` (IEEE 754 single precision, big-endian).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy)]
#[repr(transparent)]
pub(crate) struct F32(U32);

impl Field for F32 {
    type Native = f32;
    type Owned = f32;
    const DEFAULT: f32 = 0.0;
    #[inline]
    fn get(&self) -> f32 {
        f32::from_bits(self.0.get())
    }
    fn own(&self) -> f32 {
        self.get()
    }
    fn put(v: &f32, w: &mut Writer<'_>) -> Result<()> {
        w.u32(v.to_bits())
    }
}

/// A MAC address as sFlow sends it: `opaque mac[6]`, padded to eight bytes.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy)]
#[repr(transparent)]
pub(crate) struct Mac8([u8; 8]);

impl Field for Mac8 {
    type Native = MacAddr;
    type Owned = PaddedMac;
    const DEFAULT: PaddedMac = PaddedMac {
        mac: MacAddr::ZERO,
        padding: [0; 2],
    };
    #[inline]
    fn get(&self) -> MacAddr {
        let [a, b, c, d, e, f, _, _] = self.0;
        MacAddr([a, b, c, d, e, f])
    }
    fn own(&self) -> PaddedMac {
        let [a, b, c, d, e, f, p, q] = self.0;
        PaddedMac {
            mac: MacAddr([a, b, c, d, e, f]),
            padding: [p, q],
        }
    }
    fn put(v: &PaddedMac, w: &mut Writer<'_>) -> Result<()> {
        w.bytes(&v.mac.0)?;
        w.bytes(&v.padding)
    }
}

/// An IPv4 address (`ip_v4`, four bytes).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy)]
#[repr(transparent)]
pub(crate) struct Ip4([u8; 4]);

impl Field for Ip4 {
    type Native = Ipv4Addr;
    type Owned = Ipv4Addr;
    const DEFAULT: Ipv4Addr = Ipv4Addr::UNSPECIFIED;
    #[inline]
    fn get(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.0)
    }
    fn own(&self) -> Ipv4Addr {
        self.get()
    }
    fn put(v: &Ipv4Addr, w: &mut Writer<'_>) -> Result<()> {
        w.bytes(&v.octets())
    }
}

/// An IPv6 address (`ip_v6`, sixteen bytes).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy)]
#[repr(transparent)]
pub(crate) struct Ip6([u8; 16]);

impl Field for Ip6 {
    type Native = Ipv6Addr;
    type Owned = Ipv6Addr;
    const DEFAULT: Ipv6Addr = Ipv6Addr::UNSPECIFIED;
    #[inline]
    fn get(&self) -> Ipv6Addr {
        Ipv6Addr::from(self.0)
    }
    fn own(&self) -> Ipv6Addr {
        self.get()
    }
    fn put(v: &Ipv6Addr, w: &mut Writer<'_>) -> Result<()> {
        w.bytes(&v.octets())
    }
}

impl<const N: usize> Field for [u8; N] {
    type Native = [u8; N];
    type Owned = [u8; N];
    const DEFAULT: [u8; N] = [0; N];
    #[inline]
    fn get(&self) -> [u8; N] {
        *self
    }
    fn own(&self) -> [u8; N] {
        *self
    }
    fn put(v: &[u8; N], w: &mut Writer<'_>) -> Result<()> {
        w.bytes(v)
    }
}

/// Declares fixed-layout records. For each:
/// `Owned / View / Wire = LEN { field: WireType, ... }` generates
/// - `Wire`, a private `#[repr(C)]` zerocopy struct (its size checked against `LEN` at compile
///   time);
/// - `View<'a>`, a `Copy` reference into the datagram with one accessor per field;
/// - `Owned`, a struct with public fields, `Default`, and an encoder.
macro_rules! fixed_records {
    ($(
        $(#[$m:meta])*
        $name:ident / $view:ident / $wire:ident = $len:literal {
            $( $(#[$fm:meta])* $field:ident : $wty:ident ),* $(,)?
        }
    )*) => { $(
        // A `sdnwire_packet::wire::FixedLayout` (the workspace's one fixed-layout mechanism).
        #[derive(zerocopy::FromBytes, zerocopy::IntoBytes, zerocopy::KnownLayout, zerocopy::Immutable, zerocopy::Unaligned)]
        #[repr(C)]
        struct $wire { $( $field: $wty ),* }

        const _: () = assert!(core::mem::size_of::<$wire>() == $len);

        #[doc = concat!("Zero-copy view of a [`", stringify!($name), "`] record: a checked ",
                        "reference into the datagram; accessors cannot fail.")]
        #[derive(Clone, Copy)]
        pub struct $view<'a> {
            w: &'a $wire,
            offset: usize,
        }

        #[allow(clippy::len_without_is_empty)]
        impl<'a> $view<'a> {
            /// Size of the record's data on the wire.
            pub const LEN: usize = $len;

            /// The record over `data`, which must be exactly `LEN` bytes; `offset` is where
            /// `data` starts in the datagram (for the error).
            pub(crate) fn new(data: &'a [u8], offset: usize) -> $crate::Result<Self> {
                match <$wire as sdnwire_packet::wire::FixedLayout>::ref_from_front(data) {
                    Ok((w, [])) => Ok($view { w, offset }),
                    _ => Err($crate::Error::BadLength {
                        offset,
                        what: concat!(stringify!($name), " record length"),
                        value: data.len() as u64,
                        reason: concat!("must be ", stringify!($len)),
                    }),
                }
            }

            /// Offset of the record's data in the datagram.
            pub fn offset(&self) -> usize {
                self.offset
            }

            /// The record's bytes.
            pub fn as_bytes(&self) -> &'a [u8] {
                zerocopy::IntoBytes::as_bytes(self.w)
            }

            $(
                $(#[$fm])*
                #[inline]
                pub fn $field(&self) -> $crate::fixed_layout::native!($wty) {
                    $crate::fixed_layout::Field::get(&self.w.$field)
                }
            )*

            /// The owned record (cannot fail: every field was checked by the length).
            pub fn decode(&self) -> $name {
                $name { $( $field: $crate::fixed_layout::Field::own(&self.w.$field) ),* }
            }
        }

        /// What the decoded record prints.
        impl core::fmt::Display for $view<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Display::fmt(&self.decode(), f)
            }
        }

        /// sflowtool's text: one `fieldName value` line per field.
        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                $( $crate::text::line(f, stringify!($field), &self.$field)?; )*
                Ok(())
            }
        }

        impl core::fmt::Debug for $view<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($view))
                    $( .field(stringify!($field), &self.$field()) )*
                    .finish()
            }
        }

        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
        pub struct $name {
            $( $(#[$fm])* pub $field: $crate::fixed_layout::owned!($wty) ),*
        }

        impl Default for $name {
            fn default() -> Self {
                $name { $( $field: <$wty as $crate::fixed_layout::Field>::DEFAULT ),* }
            }
        }

        impl $name {
            /// Size of the record's data on the wire.
            pub const LEN: usize = $len;
        }

        /// The record's data (without the record's format and length): always `LEN` bytes.
        impl $crate::xdr::Wire for $name {
            fn wire_len(&self) -> usize {
                $len
            }
            fn write(&self, w: &mut $crate::xdr::Writer<'_>) -> $crate::Result<()> {
                $( <$wty as $crate::fixed_layout::Field>::put(&self.$field, w)?; )*
                Ok(())
            }
        }
        $crate::xdr::impl_encode!($name);
    )* };
}
pub(crate) use fixed_records;

/// The Rust type a wire field type reads as (kept out of public signatures so that the
/// private `Field` trait never shows).
macro_rules! native {
    (U32) => {
        u32
    };
    (U64) => {
        u64
    };
    (I32) => {
        i32
    };
    (F32) => {
        f32
    };
    (u8) => {
        u8
    };
    (Mac8) => {
        sdnwire_packet::MacAddr
    };
    (Ip4) => {
        core::net::Ipv4Addr
    };
    (Ip6) => {
        core::net::Ipv6Addr
    };
}
pub(crate) use native;

/// The type an owned struct holds for a wire field type.
macro_rules! owned {
    (Mac8) => {
        $crate::xdr::PaddedMac
    };
    ($t:ident) => {
        $crate::fixed_layout::native!($t)
    };
}
pub(crate) use owned;
