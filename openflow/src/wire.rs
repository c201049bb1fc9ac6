//! Fixed wire layouts of the hot structures as zerocopy structs, for the views' fast paths.
//!
//! Each struct is `#[repr(C)]` over unaligned network-endian fields, so reading one is a
//! single bounds check (`FromBytes::ref_from_prefix`) followed by loads at constant offsets:
//! no `unsafe`, no alignment trap, no per-field `Result`. The structs are private: the views'
//! fields and accessors are the API. A fast path that finds anything unusual (a bad length, a
//! non-zero pad byte, a short buffer) returns `None` and the caller runs the general
//! field-by-field parser, which builds the exact error; so the errors are the same whichever
//! path runs.

use zerocopy::network_endian::{U16, U32, U64};
use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

/// `ofp_packet_in`'s fixed part followed by its `ofp_match` header (20 bytes).
#[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct PacketInHead {
    pub(crate) buffer_id: U32,
    pub(crate) total_len: U16,
    pub(crate) reason: u8,
    pub(crate) table_id: u8,
    pub(crate) cookie: U64,
    pub(crate) match_type: U16,
    pub(crate) match_len: U16,
}

/// `ofp_flow_stats`'s fixed part followed by its `ofp_match` header (52 bytes).
#[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct FlowStatsHead {
    pub(crate) length: U16,
    pub(crate) table_id: u8,
    pub(crate) pad: u8,
    pub(crate) duration_sec: U32,
    pub(crate) duration_nsec: U32,
    pub(crate) priority: U16,
    pub(crate) idle_timeout: U16,
    pub(crate) hard_timeout: U16,
    pub(crate) flags: U16,
    pub(crate) pad2: [u8; 4],
    pub(crate) cookie: U64,
    pub(crate) packet_count: U64,
    pub(crate) byte_count: U64,
    pub(crate) match_type: U16,
    pub(crate) match_len: U16,
}

/// `ofp_instruction` / `ofp_action_header` with the 4 bytes that follow (8 bytes: the
/// minimum length of both).
#[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct TlvHead8 {
    pub(crate) type_: U16,
    pub(crate) len: U16,
    pub(crate) body: [u8; 4],
}

/// `ofp_action_output` (16 bytes).
#[derive(FromBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct ActionOutput {
    pub(crate) type_: U16,
    pub(crate) len: U16,
    pub(crate) port: U32,
    pub(crate) max_len: U16,
    pub(crate) pad: [u8; 6],
}

/// True when the `n` (< 8) bytes before `end` in `buf` are zero: the padding of a structure
/// whose padded end is at `end`, checked with one 8-byte load (the 8 bytes before `end` must be
/// in `buf`). `None` when they are not.
#[inline(always)]
pub(crate) fn pad_is_zero(buf: &[u8], end: usize, n: usize) -> Option<bool> {
    let window: &[u8; 8] = buf.get(end.checked_sub(8)?..end)?.try_into().ok()?;
    let mask = (1u64 << ((n & 7) * 8)) - 1;
    Some(u64::from_be_bytes(*window) & mask == 0)
}

/// Walks the framing of OXM TLVs packed in `oxms` (a header of 4 bytes whose last byte is
/// the payload length, then the payload): true when they fill it exactly.
#[inline(always)]
pub(crate) fn oxm_framing_ok(oxms: &[u8]) -> bool {
    let mut rest = oxms;
    while let Some((h, tail)) = rest.split_first_chunk::<4>() {
        match tail.get(usize::from(h[3])..) {
            Some(t) => rest = t,
            None => return false,
        }
    }
    rest.is_empty()
}
