//! Slow protocols (IEEE 802.3 annex 57A, EtherType 0x8809, destination `01:80:c2:00:00:02`):
//! the Link Aggregation Control Protocol (IEEE 802.1AX-2014 §6.4.2, LACPDU, subtype 1) and the
//! marker protocol (802.1AX-2014 §6.5.3, formerly 802.3 annex 43B, subtype 2).
//!
//! ```text
//! LACPDU (110 bytes for version 1)
//! offset
//!   0 | subtype = 1 | version |
//!   2 | actor TLV: type 1 | length 20 | system priority:2 | system:6 | key:2 |
//!     |   port priority:2 | port:2 | state:1 | reserved:3 |
//!  22 | partner TLV: type 2 | length 20 | (same fields as the actor TLV) |
//!  42 | collector TLV: type 3 | length 16 | max delay:2 | reserved:12 |
//!  58 | further TLVs: type:1 | length:1 | value:length-2 |  (version 2, unknown; none in v1)
//!   t | terminator TLV: type 0 | length 0 |     (t = 58 in version 1)
//! t+2 | reserved:50 |
//! t+52  end of the PDU (110 in version 1); anything after it is trailer
//!
//! Marker PDU (110 bytes)
//!  0        1        2        3        4       6             12             16    18
//! +--------+--------+--------+--------+-------+-------------+--------------+-----+
//! |subtype |version |TLV type|len = 16|req.   |requester    |requester     | pad |
//! |   2    |        | 1 or 2 |        |port   |system       |transaction id|     |
//! +--------+--------+--------+--------+-------+-------------+--------------+-----+
//! | terminator: type 0, length 0 (18..20) | reserved: 90 (20..110)               |
//! +----------------------------------------------------------------------------- +
//! ```
//!
//! # What is accepted
//!
//! * The actor, partner and collector TLVs sit at fixed offsets and must carry their types (1,
//!   2, 3) and lengths (20, 20, 16), as Open vSwitch checks (its `parse_lacp_packet` drops a PDU
//!   whose actor or partner TLV is off); any other value is an error at that field's offset.
//! * After the collector TLV, TLVs are read until the terminator (type 0), **in every version**:
//!   802.1AX-2014 §6.4.2.4's version-2 TLVs (port algorithm, port conversation ID digest, port
//!   conversation masks 1-4, port conversation service mapping) and TLVs of types we do not
//!   know are kept as raw [`LacpTlv`]s, in order, and written back unchanged. A version-1 PDU
//!   that carries such TLVs is therefore *kept*, not refused, in the spirit of 802.1AX's
//!   forward compatibility (a receiver skips TLVs it does not understand); the version number
//!   is not checked at all (os-ken accepts only 1; Linux bonding and Open vSwitch do not look).
//!   Bytes that do not form a TLV chain are an error with their offset: a TLV length below 2
//!   (the length counts the 2-byte header) or running past the buffer, a terminator whose
//!   length is not 0, or fewer than the 50 reserved bytes after the terminator. Linux bonding
//!   reads fixed offsets and ignores bytes 58..110 altogether, so it accepts PDUs we refuse
//!   there; a byte string that is junk at offset 58 is not something any peer sends.
//! * Every reserved byte (3 after each state, 12 in the collector TLV, 50 after the
//!   terminator, and the marker's 2 pad and 90 reserved bytes) is kept in
//!   [`LacpReserved`] / [`Marker`], so the round trip is exact even when they are not zero.
//! * The PDU ends 50 bytes after the terminator. Bytes after it (Ethernet padding, an FCS, HP's
//!   IRF MAD data that Wireshark shows after the reserved field) are never part of the PDU: as
//!   a layer of a [`Packet`] they land in its `trailer`.
//! * A marker PDU has a fixed layout: its TLV must have length 16 and be followed by a
//!   terminator of type 0 and length 0, then 90 reserved bytes. Its TLV type is open
//!   ([`MarkerTlvType`]): a type other than information (1) or response (2) still parses.
//!
//! TLV lengths are always computed from the values on emit: a parsed TLV's length is by
//! construction the one its value gives, so there is no length field to keep.
//!
//! Contract (smoltcp's `new_checked`): once [`LacpView::parse`] / [`MarkerView::parse`] succeed, no
//! accessor panics, and the TLV iterator cannot fail; [`Protocol::emit`] and
//! [`Encode`] never panic: a short buffer is `ErrorKind::ShortBuffer`, a value that
//! does not fit its field `ErrorKind::Unencodable`.

use alloc::vec::Vec;
use core::fmt;
use core::ops::{BitAnd, BitOr, BitOrAssign, Not};

use crate::bytes::{wire_struct, U16, U32};
use crate::encode::Encode;
use crate::error::{need, Error, LayerKind, Result};
use crate::ethernet::Ethernet;
use crate::layer::{emit_room, EmitContext, Next, Protocol, Step};
use crate::mac::MacAddr;
use crate::notation::{PyBytes, Quoted};
use crate::stack::{Layer, Packet};

/// Slow protocols subtype of LACP.
pub const SUBTYPE_LACP: u8 = 1;
/// Slow protocols subtype of the marker protocol.
pub const SUBTYPE_MARKER: u8 = 2;

mod lacp;
mod marker;

pub use lacp::*;
pub use marker::*;

/// Byte offsets in an LACPDU.
mod field {
    pub(super) const SUBTYPE: usize = 0;
    pub(super) const ACTOR: usize = 2;
    pub(super) const PARTNER: usize = 22;
    pub(super) const COLLECTOR: usize = 42;
    pub(super) const TLVS: usize = 58;
    /// Marker PDU: the marker TLV's type and length, then the terminator.
    pub(super) const MARKER_TLV: usize = 2;
    pub(super) const MARKER_TERMINATOR: usize = 18;
}

/// Length of the actor and partner information TLVs.
const INFO_TLV_LEN: u8 = 20;
/// Length of the collector information TLV.
const COLLECTOR_TLV_LEN: u8 = 16;
/// Length of the marker information / response TLV.
const MARKER_TLV_LEN: u8 = 16;
/// Reserved bytes after an LACPDU's terminator.
const LACP_TAIL: usize = 50;

/// Serde for byte arrays longer than 32 (which serde's derive does not cover): a sequence of
/// numbers, as the shorter arrays are written.
#[cfg(feature = "serde")]
mod byte_array {
    use core::fmt;
    use serde::de::{Error as _, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer, const N: usize>(
        a: &[u8; N],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(a.iter())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        d: D,
    ) -> Result<[u8; N], D::Error> {
        struct V<const N: usize>;
        impl<'de, const N: usize> Visitor<'de> for V<N> {
            type Value = [u8; N];
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{N} bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<[u8; N], E> {
                v.try_into().map_err(|_| E::invalid_length(v.len(), &self))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<[u8; N], A::Error> {
                let mut out = [0u8; N];
                for (i, b) in out.iter_mut().enumerate() {
                    *b = seq
                        .next_element()?
                        .ok_or_else(|| A::Error::invalid_length(i, &self))?;
                }
                if seq.next_element::<u8>()?.is_some() {
                    return Err(A::Error::invalid_length(N + 1, &self));
                }
                Ok(out)
            }
        }
        d.deserialize_tuple(N, V::<N>)
    }
}

#[cfg(test)]
mod tests;
