//! IGMP, the Internet Group Management Protocol: version 1 (RFC 1112), version 2 (RFC 2236) and
//! version 3 (RFC 3376).
//!
//! IGMPv1 and IGMPv2 messages (queries, reports, leaves) share one 8-byte layout:
//!
//! ```text
//!  0               1               2               3
//! +---------------+---------------+-------------------------------+
//! |     Type      | Max Resp Time |           Checksum            |  v1: Version|Type, Unused
//! +---------------+---------------+-------------------------------+
//! |                         Group Address                         |
//! +---------------------------------------------------------------+
//! ```
//!
//! An IGMPv3 query (type 0x11, at least 12 bytes) carries more after the same 8 bytes; the Max
//! Resp Code and QQIC use the floating-point format of RFC 3376 §4.1.1 ([`decode_float`]):
//!
//! ```text
//! +---------------+---------------+-------------------------------+
//! |  Type = 0x11  | Max Resp Code |           Checksum            |
//! +---------------+---------------+-------------------------------+
//! |                         Group Address                         |
//! +-------+-+-----+---------------+-------------------------------+
//! | Resv  |S| QRV |     QQIC      |     Number of Sources (N)     |
//! +-------+-+-----+---------------+-------------------------------+
//! |                  Source Address [1] ... [N]                   |
//! +---------------------------------------------------------------+
//! ```
//!
//! An IGMPv3 report (type 0x22) is a list of group records:
//!
//! ```text
//! +---------------+---------------+-------------------------------+
//! |  Type = 0x22  |   Reserved    |           Checksum            |
//! +---------------+---------------+-------------------------------+
//! |           Reserved            |  Number of Group Records (M)  |
//! +-------------------------------+-------------------------------+
//! | Group Record [1] ... [M]:                                     |
//! | +-------------+---------------+-----------------------------+ |
//! | | Record Type | Aux Data Len  |    Number of Sources (N)    | |
//! | +-------------+---------------+-----------------------------+ |
//! | |                    Multicast Address                      | |
//! | +-----------------------------------------------------------+ |
//! | |               Source Address [1] ... [N]                  | |
//! | +-----------------------------------------------------------+ |
//! | |          Auxiliary Data (Aux Data Len 32-bit words)       | |
//! | +-----------------------------------------------------------+ |
//! +---------------------------------------------------------------+
//! ```
//!
//! # Message length and version
//!
//! The buffer handed to [`IgmpView::parse`] and [`Igmp::parse`] is the whole IGMP
//! message, i.e. the IPv4 payload. The *message length* is where the message's own fields say it
//! ends: 8 bytes for IGMPv1/v2 messages, 12 + 4·N for an IGMPv3 query, the end of the last group
//! record for an IGMPv3 report, and the whole buffer for a type this module does not know. Bytes
//! past it are the RFC's *additional data* (RFC 2236 §2.5, RFC 3376 §4.1.10 and §4.2.11): kept,
//! covered by the checksum, otherwise ignored.
//!
//! The version of a query follows RFC 3376 §7.1: 8 bytes with Max Resp Time 0 is IGMPv1, 8 bytes
//! otherwise IGMPv2, 12 bytes or more IGMPv3. A query of 9, 10 or 11 bytes, which the RFC says to
//! ignore, is an error ([`Error::BadLength`] on the message length), not a raw message.
//!
//! Messages of other types (DVMRP, mtrace, multicast router discovery, ...) are kept raw
//! ([`IgmpUnknown`]); they need only the 4 bytes of type, code and checksum.
//!
//! In a [`Packet`](crate::Packet), the IGMP layer is the whole IPv4 payload, as the checksum
//! is: additional data past the message's own length stays in the layer (`additional`), while
//! Ethernet padding past the IPv4 total length is the packet's trailer.
//!
//! # Contract
//!
//! Once [`IgmpView::parse`] succeeds, every count (number of sources, number of group records, aux
//! data length) has been checked against the buffer: no accessor panics and the iterators yield no
//! error. [`Protocol::emit`] and [`Encode`] never panic: a short buffer is
//! `ErrorKind::ShortBuffer`, a value that does not fit its field `ErrorKind::Unencodable`. For any
//! bytes on which [`Igmp::parse`] succeeds, emitting the result gives back the same bytes.

use alloc::vec::Vec;
use core::fmt;
use core::iter::FusedIterator;
use core::net::Ipv4Addr;
use core::time::Duration;

use crate::checksum;
use crate::encode::{room, Encode};
use crate::error::{need, Error, LayerKind, Result};
use crate::layer::{emit_room, EmitContext, Next, Protocol, Step};
use crate::raw::{be16, put16, put_bytes, slice, tail, wire_struct, U16};
use crate::repr::{List, Opt, PyBytes, Quoted};
use crate::stack::Layer;

const LAYER: LayerKind = LayerKind::Igmp;

/// Byte offsets of the fields, as in the RFC diagrams.
mod field {
    /// Type (and, in IGMPv1, version).
    pub(super) const TYPE: usize = 0;
    /// Max Resp Time / Max Resp Code / Unused / Reserved.
    pub(super) const CODE: usize = 1;
    /// Checksum.
    pub(super) const CHECKSUM: usize = 2;
    /// Group Address (4 bytes), in every message but the IGMPv3 report.
    pub(super) const GROUP: usize = 4;
    /// IGMPv3 query: Resv, S and QRV.
    pub(super) const FLAGS: usize = 8;
    /// IGMPv3 query: Number of Sources.
    pub(super) const NUM_SOURCES: usize = 10;
    /// IGMPv3 query: first source address.
    pub(super) const SOURCES: usize = 12;
    /// IGMPv3 report: Number of Group Records.
    pub(super) const NUM_RECORDS: usize = 6;
    /// IGMPv3 report: first group record.
    pub(super) const RECORDS: usize = 8;
    /// Group record: Aux Data Len.
    pub(super) const REC_AUX_LEN: usize = 1;
    /// Group record: Number of Sources.
    pub(super) const REC_NUM_SOURCES: usize = 2;
}

wire_struct! {
    /// The 8 bytes of an IGMPv1/v2 message, also the front of an IGMPv3 query.
    pub(crate) struct Header {
        msg_type: u8,
        code: u8,
        checksum: U16,
        group: [u8; 4],
    }
}

wire_struct! {
    /// Bytes 8..12 of an IGMPv3 query.
    pub(crate) struct QueryExt {
        flags: u8,
        qqic: u8,
        num_sources: U16,
    }
}

wire_struct! {
    /// The 8-byte header of an IGMPv3 report.
    pub(crate) struct ReportHeader {
        msg_type: u8,
        reserved1: u8,
        checksum: U16,
        reserved2: U16,
        num_records: U16,
    }
}

wire_struct! {
    /// The 8-byte header of an IGMPv3 group record.
    pub(crate) struct RecordHeader {
        record_type: u8,
        aux_len: u8,
        num_sources: U16,
        address: [u8; 4],
    }
}

/// `224.0.0.1`, all systems on this subnet: where general queries go.
pub const ALL_SYSTEMS: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 1);
/// `224.0.0.2`, all routers on this subnet: where IGMPv2 leaves go.
pub const ALL_ROUTERS: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 2);
/// `224.0.0.22`, all IGMPv3-capable routers: where IGMPv3 reports go.
pub const ALL_IGMPV3_ROUTERS: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 22);

/// Default Robustness Variable (RFC 3376 §8.1, RFC 2236 §8.1).
pub const DEFAULT_ROBUSTNESS: u8 = 2;
/// Default Query Interval, 125 s (RFC 3376 §8.2).
pub const DEFAULT_QUERY_INTERVAL: Duration = Duration::from_secs(125);
/// Default Query Response Interval, the Max Resp Time of general queries: 10 s (RFC 3376 §8.3).
pub const DEFAULT_QUERY_RESPONSE_INTERVAL: Duration = Duration::from_secs(10);
/// Default Last Member Query Interval, the Max Resp Time of group-specific queries: 1 s
/// (RFC 3376 §8.8).
pub const DEFAULT_LAST_MEMBER_QUERY_INTERVAL: Duration = Duration::from_secs(1);
/// The response time an IGMPv1 query implies (its Max Resp Time field is 0): 10 s
/// (RFC 2236 §4, RFC 3376 §7.1).
pub const V1_MAX_RESP_TIME: Duration = Duration::from_secs(10);

/// An IGMP message type (IANA "IGMP Type Numbers"). Open: any value parses, the constants name
/// the ones this module decodes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct IgmpType(pub u8);

impl IgmpType {
    /// Membership Query, all versions (0x11).
    pub const QUERY: IgmpType = IgmpType(0x11);
    /// IGMPv1 Membership Report (0x12).
    pub const REPORT_V1: IgmpType = IgmpType(0x12);
    /// IGMPv2 Membership Report (0x16).
    pub const REPORT_V2: IgmpType = IgmpType(0x16);
    /// IGMPv2 Leave Group (0x17).
    pub const LEAVE: IgmpType = IgmpType(0x17);
    /// IGMPv3 Membership Report (0x22).
    pub const REPORT_V3: IgmpType = IgmpType(0x22);
}

impl fmt::Display for IgmpType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for IgmpType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match *self {
            IgmpType::QUERY => "QUERY",
            IgmpType::REPORT_V1 => "REPORT_V1",
            IgmpType::REPORT_V2 => "REPORT_V2",
            IgmpType::LEAVE => "LEAVE",
            IgmpType::REPORT_V3 => "REPORT_V3",
            _ => return write!(f, "IgmpType({:#04x})", self.0),
        };
        write!(f, "IgmpType::{name}")
    }
}

impl From<u8> for IgmpType {
    fn from(v: u8) -> Self {
        IgmpType(v)
    }
}

impl From<IgmpType> for u8 {
    fn from(v: IgmpType) -> Self {
        v.0
    }
}

/// The type of an IGMPv3 group record (RFC 3376 §4.2.12). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct RecordType(pub u8);

impl RecordType {
    /// MODE_IS_INCLUDE: current state, include mode.
    pub const IS_IN: RecordType = RecordType(1);
    /// MODE_IS_EXCLUDE: current state, exclude mode.
    pub const IS_EX: RecordType = RecordType(2);
    /// CHANGE_TO_INCLUDE_MODE: filter mode change to include.
    pub const TO_IN: RecordType = RecordType(3);
    /// CHANGE_TO_EXCLUDE_MODE: filter mode change to exclude.
    pub const TO_EX: RecordType = RecordType(4);
    /// ALLOW_NEW_SOURCES: source list change.
    pub const ALLOW: RecordType = RecordType(5);
    /// BLOCK_OLD_SOURCES: source list change.
    pub const BLOCK: RecordType = RecordType(6);

    /// A current-state record (IS_IN, IS_EX), sent in reply to a query.
    pub const fn is_current_state(self) -> bool {
        matches!(self.0, 1 | 2)
    }

    /// A filter-mode-change record (TO_IN, TO_EX).
    pub const fn is_filter_mode_change(self) -> bool {
        matches!(self.0, 3 | 4)
    }

    /// A source-list-change record (ALLOW, BLOCK).
    pub const fn is_source_list_change(self) -> bool {
        matches!(self.0, 5 | 6)
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.0 {
            1 => "IS_IN",
            2 => "IS_EX",
            3 => "TO_IN",
            4 => "TO_EX",
            5 => "ALLOW",
            6 => "BLOCK",
            v => return write!(f, "RecordType({v})"),
        };
        write!(f, "RecordType::{name}")
    }
}

impl From<u8> for RecordType {
    fn from(v: u8) -> Self {
        RecordType(v)
    }
}

impl From<RecordType> for u8 {
    fn from(v: RecordType) -> Self {
        v.0
    }
}

/// What a message is, with the version decided as RFC 3376 §7.1 says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MessageKind {
    /// IGMPv1 query: type 0x11, 8 bytes, Max Resp Time 0.
    QueryV1,
    /// IGMPv2 query: type 0x11, 8 bytes, Max Resp Time non-zero.
    QueryV2,
    /// IGMPv3 query: type 0x11, 12 bytes or more.
    QueryV3,
    /// IGMPv1 membership report (0x12).
    ReportV1,
    /// IGMPv2 membership report (0x16).
    ReportV2,
    /// IGMPv2 leave group (0x17).
    LeaveV2,
    /// IGMPv3 membership report (0x22).
    ReportV3,
    /// Any other type, kept raw.
    Unknown,
}

impl MessageKind {
    /// The IGMP version of the message (`None` for an unknown type).
    pub const fn version(self) -> Option<u8> {
        match self {
            MessageKind::QueryV1 | MessageKind::ReportV1 => Some(1),
            MessageKind::QueryV2 | MessageKind::ReportV2 | MessageKind::LeaveV2 => Some(2),
            MessageKind::QueryV3 | MessageKind::ReportV3 => Some(3),
            MessageKind::Unknown => None,
        }
    }

    /// A membership query, any version.
    pub const fn is_query(self) -> bool {
        matches!(
            self,
            MessageKind::QueryV1 | MessageKind::QueryV2 | MessageKind::QueryV3
        )
    }

    /// A membership report, any version (a leave is not a report).
    pub const fn is_report(self) -> bool {
        matches!(
            self,
            MessageKind::ReportV1 | MessageKind::ReportV2 | MessageKind::ReportV3
        )
    }
}

fn kind_of(msg_type: u8, code: u8, message_len: usize) -> MessageKind {
    match IgmpType(msg_type) {
        IgmpType::QUERY if message_len >= IgmpV3Query::MIN_LEN => MessageKind::QueryV3,
        IgmpType::QUERY if code == 0 => MessageKind::QueryV1,
        IgmpType::QUERY => MessageKind::QueryV2,
        IgmpType::REPORT_V1 => MessageKind::ReportV1,
        IgmpType::REPORT_V2 => MessageKind::ReportV2,
        IgmpType::LEAVE => MessageKind::LeaveV2,
        IgmpType::REPORT_V3 => MessageKind::ReportV3,
        _ => MessageKind::Unknown,
    }
}

// ---------------------------------------------------------------------------------------------
// Time codes

/// Decodes the floating-point format of RFC 3376 §4.1.1 / §4.1.7 used by the Max Resp Code and
/// QQIC fields: a code below 128 is the value itself; otherwise
/// `(mant | 0x10) << (exp + 3)` with `exp` in bits 4–6 and `mant` in bits 0–3. The result is in
/// the field's unit (1/10 s for Max Resp Code, seconds for QQIC), at most 31744.
pub const fn decode_float(code: u8) -> u16 {
    if code < 0x80 {
        code as u16
    } else {
        let exp = (code >> 4) & 0x07;
        let mant = (code & 0x0f) as u16;
        (mant | 0x10) << (exp + 3)
    }
}

/// Encodes `value` in the floating-point format of RFC 3376 §4.1.1, rounding **up**: the code
/// is the one whose [`decode_float`] is the smallest representable value not below `value`.
/// Values above 31744 (the largest representable) saturate to code 0xff.
///
/// Rounding up means a querier never announces a shorter response time (or query interval)
/// than it asked for; its own timers should use the decoded value.
pub const fn encode_float(value: u32) -> u8 {
    if value < 0x80 {
        // Fits: checked just above.
        #[allow(clippy::cast_possible_truncation)]
        return value as u8;
    }
    let mut exp = 0u32;
    while exp < 8 {
        let unit = 1u32 << (exp + 3);
        let mant = value.div_ceil(unit);
        if mant <= 0x1f {
            // exp < 8 and mant <= 31: both fit in a byte.
            #[allow(clippy::cast_possible_truncation)]
            return 0x80 | ((exp as u8) << 4) | ((mant as u8) & 0x0f);
        }
        exp += 1;
    }
    0xff
}

/// `d` in whole units of `unit_nanos`, rounded up, saturating at `u32::MAX`.
fn ceil_units(d: Duration, unit_nanos: u128) -> u32 {
    u32::try_from(d.as_nanos().div_ceil(unit_nanos)).unwrap_or(u32::MAX)
}

const TENTH_NANOS: u128 = 100_000_000;
const SECOND_NANOS: u128 = 1_000_000_000;

/// The response time an IGMPv3 Max Resp Code stands for (RFC 3376 §4.1.1, units of 1/10 s).
pub fn max_resp_code_to_duration(code: u8) -> Duration {
    Duration::from_millis(u64::from(decode_float(code)) * 100)
}

/// The IGMPv3 Max Resp Code for `d`: `d` rounded up to 1/10 s, then [`encode_float`] (rounds
/// up; saturates at 3174.4 s).
pub fn duration_to_max_resp_code(d: Duration) -> u8 {
    encode_float(ceil_units(d, TENTH_NANOS))
}

/// The interval an IGMPv3 QQIC stands for (RFC 3376 §4.1.7, seconds).
pub fn qqic_to_duration(code: u8) -> Duration {
    Duration::from_secs(u64::from(decode_float(code)))
}

/// The IGMPv3 QQIC for `d`: `d` rounded up to whole seconds, then [`encode_float`] (rounds up;
/// saturates at 31744 s).
pub fn duration_to_qqic(d: Duration) -> u8 {
    encode_float(ceil_units(d, SECOND_NANOS))
}

/// The response time an IGMPv2 Max Resp Time stands for (RFC 2236 §2.2, units of 1/10 s).
pub fn max_resp_time_to_duration(time: u8) -> Duration {
    Duration::from_millis(u64::from(time) * 100)
}

/// The IGMPv2 Max Resp Time for `d`: `d` rounded up to 1/10 s, saturating at 255 (25.5 s).
/// Note that 0 in a query makes it an IGMPv1 query; the query constructors use at least 1.
pub fn duration_to_max_resp_time(d: Duration) -> u8 {
    u8::try_from(ceil_units(d, TENTH_NANOS)).unwrap_or(u8::MAX)
}

// ---------------------------------------------------------------------------------------------
// Length checks

/// Bytes of the group record at `off` in `buf`, with its counts checked against `buf`.
fn record_len(buf: &[u8], off: usize) -> Result<usize> {
    need(LAYER, buf, off, RecordHeader::LEN, "group record")?;
    let h = RecordHeader::view(tail(buf, off));
    let n = usize::from(h.num_sources.get());
    let aux = usize::from(h.aux_len);
    let sources_end = off
        .saturating_add(RecordHeader::LEN)
        .saturating_add(n.saturating_mul(4));
    if sources_end > buf.len() {
        return Err(Error::BadLength {
            layer: LAYER,
            offset: off + field::REC_NUM_SOURCES,
            field: "number of sources",
            value: n,
            reason: "the group record's sources run past the end of the message",
        });
    }
    let end = sources_end.saturating_add(aux.saturating_mul(4));
    if end > buf.len() {
        return Err(Error::BadLength {
            layer: LAYER,
            offset: off + field::REC_AUX_LEN,
            field: "aux data len",
            value: aux,
            reason: "the auxiliary data runs past the end of the message",
        });
    }
    Ok(end - off)
}

/// The message length of the IGMP message in `buf` (see the module doc), every count checked.
fn message_len(buf: &[u8]) -> Result<usize> {
    need(LAYER, buf, 0, 4, "header")?;
    let msg_type = IgmpType(buf.first().copied().unwrap_or(0));
    match msg_type {
        IgmpType::QUERY => {
            need(LAYER, buf, 0, Header::LEN, "header")?;
            match buf.len() {
                8 => Ok(8),
                9..=11 => Err(Error::BadLength {
                    layer: LAYER,
                    offset: 0,
                    field: "message length",
                    value: buf.len(),
                    reason: "a query is 8 bytes (IGMPv1/v2) or at least 12 (IGMPv3); \
                             RFC 3376 section 7.1 says to ignore other lengths",
                }),
                _ => {
                    let n = usize::from(be16(buf, field::NUM_SOURCES));
                    let end = field::SOURCES.saturating_add(n.saturating_mul(4));
                    if end > buf.len() {
                        Err(Error::BadLength {
                            layer: LAYER,
                            offset: field::NUM_SOURCES,
                            field: "number of sources",
                            value: n,
                            reason: "the sources run past the end of the message",
                        })
                    } else {
                        Ok(end)
                    }
                }
            }
        }
        IgmpType::REPORT_V1 | IgmpType::REPORT_V2 | IgmpType::LEAVE => {
            need(LAYER, buf, 0, Header::LEN, "header")?;
            Ok(Header::LEN)
        }
        IgmpType::REPORT_V3 => {
            need(LAYER, buf, 0, ReportHeader::LEN, "header")?;
            let m = be16(buf, field::NUM_RECORDS);
            let mut off = field::RECORDS;
            for _ in 0..m {
                off += record_len(buf, off)?;
            }
            Ok(off)
        }
        _ => Ok(buf.len()),
    }
}

/// The walker's step over an IGMP message: the whole IPv4 payload is the layer.
pub(crate) fn step_igmp(buf: &[u8]) -> Result<Step> {
    // Validates the message; its checksum covers the whole IP payload (RFC 2236 §2.3,
    // RFC 3376 §4.1.2), so bytes past the message's own end stay in the layer (the owned
    // type's `additional`), not in the packet's trailer.
    message_len(buf)?;
    Ok(Step {
        header_len: buf.len(),
        end: buf.len(),
        next: Next::Payload,
    })
}

// ---------------------------------------------------------------------------------------------
// View

/// A checked, zero-copy view of an IGMP message (any version).
///
/// The buffer is the whole message (the IPv4 payload); see the module doc for how its length is
/// read. Accessors of fields a message kind does not have return 0 / empty (the IGMPv3 query
/// fields on an IGMPv2 report, say).
#[derive(Debug, Clone, Copy)]
pub struct IgmpView<T: AsRef<[u8]>> {
    buffer: T,
    len: usize,
}

impl<T: AsRef<[u8]>> IgmpView<T> {
    /// Length of an IGMPv1/v2 message.
    pub const V2_LEN: usize = 8;
    /// Smallest IGMPv3 query.
    pub const V3_QUERY_MIN_LEN: usize = 12;

    /// Wraps `buffer`, the whole IGMP message, checking every length and count in it.
    pub fn parse(buffer: T) -> Result<Self> {
        let len = message_len(buffer.as_ref())?;
        Ok(IgmpView { buffer, len })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn buf(&self) -> &[u8] {
        self.buffer.as_ref()
    }

    /// The message type.
    pub fn msg_type(&self) -> IgmpType {
        IgmpType(self.buf().get(field::TYPE).copied().unwrap_or(0))
    }

    /// What the message is (version decided by RFC 3376 §7.1).
    pub fn kind(&self) -> MessageKind {
        kind_of(self.msg_type().0, self.max_resp_code(), self.len)
    }

    /// The byte after the type: Max Resp Time (IGMPv2 query), Max Resp Code (IGMPv3 query),
    /// unused / reserved otherwise.
    pub fn max_resp_code(&self) -> u8 {
        self.buf().get(field::CODE).copied().unwrap_or(0)
    }

    /// For a query, the time within which reports are due: 10 s for an IGMPv1 query, the Max
    /// Resp Time for IGMPv2, the decoded Max Resp Code for IGMPv3. `None` for other messages.
    pub fn max_resp_time(&self) -> Option<Duration> {
        match self.kind() {
            MessageKind::QueryV1 => Some(V1_MAX_RESP_TIME),
            MessageKind::QueryV2 => Some(max_resp_time_to_duration(self.max_resp_code())),
            MessageKind::QueryV3 => Some(max_resp_code_to_duration(self.max_resp_code())),
            _ => None,
        }
    }

    /// The checksum field.
    pub fn checksum(&self) -> u16 {
        be16(self.buf(), field::CHECKSUM)
    }

    /// The checksum the message should carry: over the whole buffer (additional data included,
    /// as the RFCs say), with the checksum field taken as zero.
    pub fn compute_checksum(&self) -> u16 {
        let b = self.buf();
        !checksum::fold(checksum::sum(checksum::sum(0, slice(b, 0, 2)), tail(b, 4)))
    }

    /// Checks the checksum over the whole buffer.
    pub fn verify_checksum(&self) -> Result<()> {
        if checksum::checksum(self.buf()) == 0 {
            Ok(())
        } else {
            Err(Error::BadChecksum {
                layer: LAYER,
                offset: field::CHECKSUM,
                computed: self.compute_checksum(),
                found: self.checksum(),
            })
        }
    }

    /// The Group Address (bytes 4–8): the group a report or leave is about, the group a
    /// group-specific query asks about, 0.0.0.0 in a general query. A v3 report has no such
    /// field (0.0.0.0 is returned); for an unknown type it is whatever bytes 4–8 hold.
    pub fn group_address(&self) -> Ipv4Addr {
        if self.kind() == MessageKind::ReportV3 {
            return Ipv4Addr::UNSPECIFIED;
        }
        Ipv4Addr::from(Header::view(self.buf()).group)
    }

    fn query_ext(&self) -> Option<&QueryExt> {
        (self.kind() == MessageKind::QueryV3)
            .then(|| QueryExt::view(tail(self.buf(), field::FLAGS)))
    }

    /// IGMPv3 query: the 4 reserved bits before the S flag (0 otherwise).
    pub fn query_reserved(&self) -> u8 {
        self.query_ext().map_or(0, |e| e.flags >> 4)
    }

    /// IGMPv3 query: the S flag, "suppress router-side processing" (false otherwise).
    pub fn s_flag(&self) -> bool {
        self.query_ext().is_some_and(|e| e.flags & 0x08 != 0)
    }

    /// IGMPv3 query: the Querier's Robustness Variable (3 bits; 0 otherwise).
    pub fn qrv(&self) -> u8 {
        self.query_ext().map_or(0, |e| e.flags & 0x07)
    }

    /// IGMPv3 query: the Querier's Query Interval Code (0 otherwise).
    pub fn qqic(&self) -> u8 {
        self.query_ext().map_or(0, |e| e.qqic)
    }

    /// IGMPv3 query: the Querier's Query Interval, decoded from QQIC (`None` otherwise).
    pub fn qqi(&self) -> Option<Duration> {
        self.query_ext().map(|e| qqic_to_duration(e.qqic))
    }

    /// IGMPv3 query: the Number of Sources (0 otherwise).
    pub fn num_sources(&self) -> u16 {
        self.query_ext().map_or(0, |e| e.num_sources.get())
    }

    /// IGMPv3 query: the source addresses (empty otherwise).
    pub fn sources(&self) -> Sources<'_> {
        let n = self.num_sources();
        let end = field::SOURCES.saturating_add(usize::from(n) * 4);
        Sources::new(slice(self.buf(), field::SOURCES, end), field::SOURCES, n)
    }

    /// IGMPv3 report: the reserved 16 bits before the number of records (0 otherwise).
    pub fn report_reserved(&self) -> u16 {
        if self.kind() == MessageKind::ReportV3 {
            ReportHeader::view(self.buf()).reserved2.get()
        } else {
            0
        }
    }

    /// IGMPv3 report: the Number of Group Records (0 otherwise).
    pub fn num_group_records(&self) -> u16 {
        if self.kind() == MessageKind::ReportV3 {
            ReportHeader::view(self.buf()).num_records.get()
        } else {
            0
        }
    }

    /// IGMPv3 report: the group records (empty otherwise).
    pub fn group_records(&self) -> GroupRecords<'_> {
        GroupRecords {
            buf: slice(self.buf(), 0, self.len),
            offset: field::RECORDS,
            remaining: self.num_group_records(),
        }
    }

    /// The length the message's fields give (see the module doc).
    pub fn message_len(&self) -> usize {
        self.len
    }

    /// The message, without additional data.
    pub fn message(&self) -> &[u8] {
        slice(self.buf(), 0, self.len)
    }

    /// Bytes of the buffer past the message length (RFC 3376 "additional data").
    pub fn additional_data(&self) -> &[u8] {
        tail(self.buf(), self.len)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> IgmpView<T> {
    /// Replaces the 16-bit word at the even offset `at` and updates the checksum incrementally.
    fn set_word(&mut self, at: usize, new: u16) {
        let buf = self.buffer.as_mut();
        let old = be16(buf, at);
        let sum = be16(buf, field::CHECKSUM);
        put16(buf, at, new);
        put16(buf, field::CHECKSUM, checksum::update16(sum, old, new));
    }

    /// Sets the byte after the type (Max Resp Time / Code), keeping the checksum right.
    ///
    /// On an 8-byte query this can turn an IGMPv2 query into an IGMPv1 one (0) and back.
    pub fn set_max_resp_code(&mut self, code: u8) {
        let t = self.msg_type().0;
        self.set_word(field::TYPE, u16::from_be_bytes([t, code]));
    }

    /// Sets the Group Address, keeping the checksum right. Does nothing on an IGMPv3 report,
    /// whose bytes 4–8 hold the number of group records.
    pub fn set_group_address(&mut self, group: Ipv4Addr) {
        if self.kind() == MessageKind::ReportV3 || self.len < Header::LEN {
            return;
        }
        let [a, b, c, d] = group.octets();
        self.set_word(field::GROUP, u16::from_be_bytes([a, b]));
        self.set_word(field::GROUP + 2, u16::from_be_bytes([c, d]));
    }

    fn set_flags_qqic(&mut self, flags: u8, qqic: u8) {
        if self.kind() == MessageKind::QueryV3 {
            self.set_word(field::FLAGS, u16::from_be_bytes([flags, qqic]));
        }
    }

    /// IGMPv3 query: sets the S flag, keeping the checksum right (does nothing otherwise).
    pub fn set_s_flag(&mut self, s: bool) {
        let flags = (self.query_reserved() << 4) | (u8::from(s) << 3) | self.qrv();
        self.set_flags_qqic(flags, self.qqic());
    }

    /// IGMPv3 query: sets the QRV (low 3 bits of `qrv`), keeping the checksum right (does
    /// nothing otherwise).
    pub fn set_qrv(&mut self, qrv: u8) {
        let flags = (self.query_reserved() << 4) | (u8::from(self.s_flag()) << 3) | (qrv & 7);
        self.set_flags_qqic(flags, self.qqic());
    }

    /// IGMPv3 query: sets the QQIC, keeping the checksum right (does nothing otherwise).
    pub fn set_qqic(&mut self, qqic: u8) {
        let flags = (self.query_reserved() << 4) | (u8::from(self.s_flag()) << 3) | self.qrv();
        self.set_flags_qqic(flags, qqic);
    }

    /// Sets the checksum field as is.
    pub fn set_checksum(&mut self, sum: u16) {
        put16(self.buffer.as_mut(), field::CHECKSUM, sum);
    }

    /// Computes the checksum over the whole buffer and writes it.
    pub fn fill_checksum(&mut self) {
        let sum = self.compute_checksum();
        self.set_checksum(sum);
    }
}

/// Iterator over IPv4 source addresses (of an IGMPv3 query or group record).
///
/// Yields `Err` once, then stops, if the list is cut short (which a checked view rules out).
#[derive(Debug, Clone)]
pub struct Sources<'a> {
    data: &'a [u8],
    base: usize,
    index: usize,
    remaining: u16,
}

impl<'a> Sources<'a> {
    fn new(data: &'a [u8], base: usize, count: u16) -> Self {
        Sources {
            data,
            base,
            index: 0,
            remaining: count,
        }
    }
}

impl Iterator for Sources<'_> {
    type Item = Result<Ipv4Addr>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let at = self.index.saturating_mul(4);
        self.index += 1;
        match self.data.get(at..).and_then(<[u8]>::first_chunk::<4>) {
            Some(b) => Some(Ok(Ipv4Addr::from(*b))),
            None => {
                self.remaining = 0;
                let available = self.data.len().saturating_sub(at);
                Some(Err(Error::truncated(
                    LAYER,
                    self.base + at,
                    "source address",
                    4,
                    available,
                )))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(usize::from(self.remaining)))
    }
}

impl FusedIterator for Sources<'_> {}

/// Iterator over the group records of an IGMPv3 report.
///
/// Yields `Err` once, then stops, if a record does not fit (which a checked view rules out).
#[derive(Debug, Clone)]
pub struct GroupRecords<'a> {
    buf: &'a [u8],
    offset: usize,
    remaining: u16,
}

impl<'a> Iterator for GroupRecords<'a> {
    type Item = Result<GroupRecordView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        match record_len(self.buf, self.offset) {
            Ok(len) => {
                let end = self.offset + len;
                let r = GroupRecordView {
                    bytes: slice(self.buf, self.offset, end),
                    offset: self.offset,
                };
                self.offset = end;
                Some(Ok(r))
            }
            Err(e) => {
                self.remaining = 0;
                Some(Err(e))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(usize::from(self.remaining)))
    }
}

impl FusedIterator for GroupRecords<'_> {}

/// A checked, zero-copy view of one IGMPv3 group record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupRecordView<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> GroupRecordView<'a> {
    /// Length of a record without sources or auxiliary data.
    pub const HEADER_LEN: usize = 8;

    /// The group record at the front of `buf` (bytes after it are ignored), its counts checked.
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        let len = record_len(buf, 0)?;
        Ok(GroupRecordView {
            bytes: slice(buf, 0, len),
            offset: 0,
        })
    }

    fn h(&self) -> &'a RecordHeader {
        RecordHeader::view(self.bytes)
    }

    /// The record type.
    pub fn record_type(&self) -> RecordType {
        RecordType(self.h().record_type)
    }

    /// The Aux Data Len field, in 32-bit words.
    pub fn aux_data_len(&self) -> u8 {
        self.h().aux_len
    }

    /// The Number of Sources field.
    pub fn num_sources(&self) -> u16 {
        self.h().num_sources.get()
    }

    /// The multicast address the record is about.
    pub fn multicast_address(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.h().address)
    }

    /// The source addresses.
    pub fn sources(&self) -> Sources<'a> {
        let n = self.num_sources();
        let end = Self::HEADER_LEN + usize::from(n) * 4;
        Sources::new(
            slice(self.bytes, Self::HEADER_LEN, end),
            self.offset + Self::HEADER_LEN,
            n,
        )
    }

    /// The auxiliary data (`aux_data_len() * 4` bytes).
    pub fn aux_data(&self) -> &'a [u8] {
        tail(
            self.bytes,
            Self::HEADER_LEN + usize::from(self.num_sources()) * 4,
        )
    }

    /// Bytes of the whole record.
    pub fn record_len(&self) -> usize {
        self.bytes.len()
    }

    /// The record's bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Offset of the record in the message it was read from.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

// ---------------------------------------------------------------------------------------------
// Owned representations

/// An IGMPv1 or IGMPv2 message (os-ken's `igmp`): a v1/v2 query, a v1 or v2 report, a leave.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IgmpV2 {
    /// Message type (in IGMPv1, version and type: 0x11 query, 0x12 report).
    pub msgtype: IgmpType,
    /// Max Resp Time in 1/10 s (queries; 0 in an IGMPv1 query and in reports and leaves).
    pub maxresp: u8,
    /// Checksum; `None` computes it on emit.
    pub csum: Option<u16>,
    /// Group address (0.0.0.0 in a general query).
    pub address: Ipv4Addr,
    /// Bytes past the 8-byte message (RFC 2236 §2.5), covered by the checksum. Must be empty
    /// for a query, whose length decides its version.
    pub additional: Vec<u8>,
}

impl Default for IgmpV2 {
    /// An IGMPv1 general query, as os-ken's `igmp()` default.
    fn default() -> Self {
        IgmpV2 {
            msgtype: IgmpType::QUERY,
            maxresp: 0,
            csum: None,
            address: Ipv4Addr::UNSPECIFIED,
            additional: Vec::new(),
        }
    }
}

impl IgmpV2 {
    /// Length of the message (without additional data).
    pub const LEN: usize = 8;

    /// A message of type `msgtype` about `address`, checksum computed on emit.
    pub fn new(msgtype: IgmpType, maxresp: u8, address: Ipv4Addr) -> Self {
        IgmpV2 {
            msgtype,
            maxresp,
            address,
            ..IgmpV2::default()
        }
    }

    /// What the message is.
    pub fn kind(&self) -> MessageKind {
        kind_of(self.msgtype.0, self.maxresp, Self::LEN)
    }

    /// For a query, the time within which reports are due (10 s for an IGMPv1 query).
    pub fn max_resp_time(&self) -> Option<Duration> {
        match self.kind() {
            MessageKind::QueryV1 => Some(V1_MAX_RESP_TIME),
            MessageKind::QueryV2 => Some(max_resp_time_to_duration(self.maxresp)),
            _ => None,
        }
    }

    fn msg_len(&self) -> usize {
        Self::LEN + self.additional.len()
    }

    fn write(&self, out: &mut [u8]) -> Result<()> {
        if self.msgtype == IgmpType::REPORT_V3 {
            return Err(unencodable(
                "msgtype",
                "type 0x22 has the IGMPv3 report layout: use IgmpV3Report",
            ));
        }
        if self.msgtype == IgmpType::QUERY && !self.additional.is_empty() {
            return Err(unencodable(
                "additional",
                "a query's length decides its version: an IGMPv2 query carries no additional data",
            ));
        }
        Header {
            msg_type: self.msgtype.0,
            code: self.maxresp,
            checksum: U16::ZERO,
            group: self.address.octets(),
        }
        .write_to(out);
        put_bytes(out, Self::LEN, &self.additional);
        Ok(())
    }
}

/// An IGMPv3 membership query (os-ken's `igmpv3_query`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IgmpV3Query {
    /// Max Resp Code (floating-point format, 1/10 s: see [`max_resp_code_to_duration`]).
    pub maxresp: u8,
    /// Checksum; `None` computes it on emit.
    pub csum: Option<u16>,
    /// Group address: 0.0.0.0 for a general query.
    pub address: Ipv4Addr,
    /// The 4 reserved bits before the S flag (0–15).
    pub resv: u8,
    /// S flag: suppress router-side processing.
    pub s_flg: bool,
    /// Querier's Robustness Variable (0–7).
    pub qrv: u8,
    /// Querier's Query Interval Code (floating-point format, seconds: see [`qqic_to_duration`]).
    pub qqic: u8,
    /// Number of Sources; `None` counts `srcs` on emit.
    pub num: Option<u16>,
    /// Source addresses (a group-and-source-specific query).
    pub srcs: Vec<Ipv4Addr>,
    /// Bytes past the sources (RFC 3376 §4.1.10), covered by the checksum.
    pub additional: Vec<u8>,
}

impl Default for IgmpV3Query {
    /// A general query with the RFC 3376 §8 defaults: Max Resp Code 100 (10 s), QRV 2, QQIC 125.
    fn default() -> Self {
        IgmpV3Query {
            maxresp: 100,
            csum: None,
            address: Ipv4Addr::UNSPECIFIED,
            resv: 0,
            s_flg: false,
            qrv: DEFAULT_ROBUSTNESS,
            qqic: 125,
            num: None,
            srcs: Vec::new(),
            additional: Vec::new(),
        }
    }
}

impl IgmpV3Query {
    /// Smallest query (no sources).
    pub const MIN_LEN: usize = 12;

    /// A query for `group` (0.0.0.0: general) and `srcs` (empty: not source-specific), with the
    /// defaults of [`IgmpV3Query::default`].
    pub fn new(group: Ipv4Addr, srcs: Vec<Ipv4Addr>) -> Self {
        IgmpV3Query {
            address: group,
            srcs,
            ..IgmpV3Query::default()
        }
    }

    /// Sets the Max Resp Code from a duration ([`duration_to_max_resp_code`]: rounds up).
    #[must_use]
    pub fn with_max_resp(mut self, d: Duration) -> Self {
        self.maxresp = duration_to_max_resp_code(d);
        self
    }

    /// Sets the Querier's Robustness Variable (values above 7 are sent as 0, RFC 3376 §4.1.6).
    #[must_use]
    pub fn with_qrv(mut self, qrv: u8) -> Self {
        self.qrv = if qrv > 7 { 0 } else { qrv };
        self
    }

    /// Sets the QQIC from the querier's query interval ([`duration_to_qqic`]: rounds up).
    #[must_use]
    pub fn with_qqi(mut self, d: Duration) -> Self {
        self.qqic = duration_to_qqic(d);
        self
    }

    /// Sets the S flag.
    #[must_use]
    pub fn with_s_flag(mut self, s: bool) -> Self {
        self.s_flg = s;
        self
    }

    /// The decoded Max Resp Code.
    pub fn max_resp_time(&self) -> Duration {
        max_resp_code_to_duration(self.maxresp)
    }

    /// The decoded QQIC.
    pub fn qqi(&self) -> Duration {
        qqic_to_duration(self.qqic)
    }

    fn msg_len(&self) -> usize {
        Self::MIN_LEN + self.srcs.len() * 4 + self.additional.len()
    }

    fn write(&self, out: &mut [u8]) -> Result<()> {
        if self.resv > 15 || self.qrv > 7 {
            return Err(unencodable("resv/qrv", "resv must be 0-15 and qrv 0-7"));
        }
        let num = match self.num {
            Some(n) => n,
            None => u16::try_from(self.srcs.len())
                .map_err(|_| unencodable("num", "more than 65535 sources"))?,
        };
        Header {
            msg_type: IgmpType::QUERY.0,
            code: self.maxresp,
            checksum: U16::ZERO,
            group: self.address.octets(),
        }
        .write_to(out);
        let flags = (self.resv << 4) | (u8::from(self.s_flg) << 3) | self.qrv;
        QueryExt {
            flags,
            qqic: self.qqic,
            num_sources: U16::new(num),
        }
        .write_to(out.get_mut(field::FLAGS..).unwrap_or(&mut []));
        let mut at = field::SOURCES;
        for s in &self.srcs {
            put_bytes(out, at, &s.octets());
            at += 4;
        }
        put_bytes(out, at, &self.additional);
        Ok(())
    }
}

/// One group record of an IGMPv3 report (os-ken's `igmpv3_report_group`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GroupRecord {
    /// Record type.
    pub type_: RecordType,
    /// Aux Data Len in 32-bit words; `None` computes it from `aux` on emit.
    pub aux_len: Option<u8>,
    /// Number of Sources; `None` counts `srcs` on emit.
    pub num: Option<u16>,
    /// The multicast address the record is about.
    pub address: Ipv4Addr,
    /// Source addresses.
    pub srcs: Vec<Ipv4Addr>,
    /// Auxiliary data. Emitted padded with zeros to a multiple of 4 bytes, as os-ken does.
    pub aux: Vec<u8>,
}

impl Default for GroupRecord {
    /// A record of type 0 for 0.0.0.0, as os-ken's `igmpv3_report_group()` default.
    fn default() -> Self {
        GroupRecord {
            type_: RecordType(0),
            aux_len: None,
            num: None,
            address: Ipv4Addr::UNSPECIFIED,
            srcs: Vec::new(),
            aux: Vec::new(),
        }
    }
}

impl GroupRecord {
    /// A record of `type_` for `group` and `srcs`, without auxiliary data.
    pub fn new(type_: RecordType, group: Ipv4Addr, srcs: Vec<Ipv4Addr>) -> Self {
        GroupRecord {
            type_,
            address: group,
            srcs,
            ..GroupRecord::default()
        }
    }

    /// Parses the record at the front of `buf`.
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(GroupRecordView::parse(buf)?.decode())
    }

    fn padded_aux_len(&self) -> usize {
        self.aux.len().div_ceil(4) * 4
    }

    fn record_len(&self) -> usize {
        GroupRecordView::HEADER_LEN + self.srcs.len() * 4 + self.padded_aux_len()
    }

    fn write(&self, out: &mut [u8]) -> Result<()> {
        let num = match self.num {
            Some(n) => n,
            None => u16::try_from(self.srcs.len())
                .map_err(|_| unencodable("num", "more than 65535 sources in a group record"))?,
        };
        let aux_len = match self.aux_len {
            Some(n) => n,
            None => u8::try_from(self.padded_aux_len() / 4)
                .map_err(|_| unencodable("aux_len", "more than 255 words of auxiliary data"))?,
        };
        RecordHeader {
            record_type: self.type_.0,
            aux_len,
            num_sources: U16::new(num),
            address: self.address.octets(),
        }
        .write_to(out);
        let mut at = GroupRecordView::HEADER_LEN;
        for s in &self.srcs {
            put_bytes(out, at, &s.octets());
            at += 4;
        }
        put_bytes(out, at, &self.aux);
        let pad_from = at + self.aux.len();
        if let Some(pad) = out.get_mut(pad_from..at + self.padded_aux_len()) {
            pad.fill(0);
        }
        Ok(())
    }
}

impl GroupRecordView<'_> {
    /// The owned record: copies it out of the view.
    pub fn decode(&self) -> GroupRecord {
        let v = self;
        let mut srcs = Vec::new();
        for s in v.sources().flatten() {
            srcs.push(s);
        }
        GroupRecord {
            type_: v.record_type(),
            aux_len: Some(v.aux_data_len()),
            num: Some(v.num_sources()),
            address: v.multicast_address(),
            srcs,
            aux: v.aux_data().to_vec(),
        }
    }
}

/// An IGMPv3 membership report (os-ken's `igmpv3_report`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IgmpV3Report {
    /// Checksum; `None` computes it on emit.
    pub csum: Option<u16>,
    /// The reserved byte after the type.
    pub reserved1: u8,
    /// The reserved 16 bits before the number of records.
    pub reserved2: u16,
    /// Number of Group Records; `None` counts `records` on emit.
    pub record_num: Option<u16>,
    /// The group records.
    pub records: Vec<GroupRecord>,
    /// Bytes past the last record (RFC 3376 §4.2.11), covered by the checksum.
    pub additional: Vec<u8>,
}

impl IgmpV3Report {
    /// Length of the report header.
    pub const HEADER_LEN: usize = 8;

    /// A report of `records`.
    pub fn new(records: Vec<GroupRecord>) -> Self {
        IgmpV3Report {
            records,
            ..IgmpV3Report::default()
        }
    }

    fn msg_len(&self) -> usize {
        Self::HEADER_LEN
            + self
                .records
                .iter()
                .map(GroupRecord::record_len)
                .sum::<usize>()
            + self.additional.len()
    }

    fn write(&self, out: &mut [u8]) -> Result<()> {
        let m = match self.record_num {
            Some(n) => n,
            None => u16::try_from(self.records.len())
                .map_err(|_| unencodable("record_num", "more than 65535 group records"))?,
        };
        ReportHeader {
            msg_type: IgmpType::REPORT_V3.0,
            reserved1: self.reserved1,
            checksum: U16::ZERO,
            reserved2: U16::new(self.reserved2),
            num_records: U16::new(m),
        }
        .write_to(out);
        let mut at = Self::HEADER_LEN;
        for r in &self.records {
            let len = r.record_len();
            r.write(out.get_mut(at..at + len).unwrap_or(&mut []))?;
            at += len;
        }
        put_bytes(out, at, &self.additional);
        Ok(())
    }
}

/// A message of a type this module does not decode, kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IgmpUnknown {
    /// Message type.
    pub msgtype: IgmpType,
    /// The byte after the type.
    pub maxresp: u8,
    /// Checksum; `None` computes it on emit.
    pub csum: Option<u16>,
    /// Everything after the checksum.
    pub data: Vec<u8>,
}

/// An IGMP message, any version (the layer Ryu calls `igmp`, `igmpv3_query` or `igmpv3_report`
/// depending on the message).
///
/// Build one with the constructors ([`Igmp::v2_report`], [`Igmp::general_query_v3`], ...) or a
/// variant's struct; parse one with [`Igmp::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Igmp {
    /// An IGMPv1/v2 query, report or leave.
    #[cfg_attr(feature = "serde", serde(rename = "igmp"))]
    V2(IgmpV2),
    /// An IGMPv3 query.
    #[cfg_attr(feature = "serde", serde(rename = "igmpv3_query"))]
    V3Query(IgmpV3Query),
    /// An IGMPv3 report.
    #[cfg_attr(feature = "serde", serde(rename = "igmpv3_report"))]
    V3Report(IgmpV3Report),
    /// Any other type, kept raw.
    #[cfg_attr(feature = "serde", serde(rename = "igmp_unknown"))]
    Unknown(IgmpUnknown),
}

impl From<IgmpV2> for Igmp {
    fn from(v: IgmpV2) -> Self {
        Igmp::V2(v)
    }
}

impl From<IgmpV3Query> for Igmp {
    fn from(v: IgmpV3Query) -> Self {
        Igmp::V3Query(v)
    }
}

impl From<IgmpV3Report> for Igmp {
    fn from(v: IgmpV3Report) -> Self {
        Igmp::V3Report(v)
    }
}

impl From<IgmpUnknown> for Igmp {
    fn from(v: IgmpUnknown) -> Self {
        Igmp::Unknown(v)
    }
}

fn unencodable(what: &'static str, reason: &'static str) -> Error {
    Error::Unencodable {
        layer: LAYER,
        what,
        reason,
    }
}

impl Igmp {
    /// Parses the IGMP message in `buf` (the whole IPv4 payload; additional data is kept).
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(IgmpView::parse(buf)?.decode())
    }

    /// An IGMPv1 membership report for `group`.
    pub fn v1_report(group: Ipv4Addr) -> Self {
        Igmp::V2(IgmpV2::new(IgmpType::REPORT_V1, 0, group))
    }

    /// An IGMPv1 general query (Max Resp Time 0).
    pub fn general_query_v1() -> Self {
        Igmp::V2(IgmpV2::new(IgmpType::QUERY, 0, Ipv4Addr::UNSPECIFIED))
    }

    /// An IGMPv2 membership report for `group`.
    pub fn v2_report(group: Ipv4Addr) -> Self {
        Igmp::V2(IgmpV2::new(IgmpType::REPORT_V2, 0, group))
    }

    /// An IGMPv2 leave for `group` (sent to [`ALL_ROUTERS`]).
    pub fn v2_leave(group: Ipv4Addr) -> Self {
        Igmp::V2(IgmpV2::new(IgmpType::LEAVE, 0, group))
    }

    /// An IGMPv2 general query. `max_resp` is rounded up to 1/10 s and kept within
    /// 0.1–25.5 s (0 would make it an IGMPv1 query).
    pub fn general_query_v2(max_resp: Duration) -> Self {
        Self::group_query_v2(Ipv4Addr::UNSPECIFIED, max_resp)
    }

    /// An IGMPv2 group-specific query for `group` (usually with
    /// [`DEFAULT_LAST_MEMBER_QUERY_INTERVAL`]); `max_resp` as in [`Igmp::general_query_v2`].
    pub fn group_query_v2(group: Ipv4Addr, max_resp: Duration) -> Self {
        let t = duration_to_max_resp_time(max_resp).max(1);
        Igmp::V2(IgmpV2::new(IgmpType::QUERY, t, group))
    }

    /// An IGMPv3 query for `group` (0.0.0.0: general) and `srcs` (non-empty: group-and-source
    /// specific), `max_resp` encoded with [`duration_to_max_resp_code`], QRV 2 and QQIC 125 s.
    pub fn v3_query(group: Ipv4Addr, srcs: Vec<Ipv4Addr>, max_resp: Duration) -> Self {
        Igmp::V3Query(IgmpV3Query::new(group, srcs).with_max_resp(max_resp))
    }

    /// An IGMPv3 general query (see [`Igmp::v3_query`]).
    pub fn general_query_v3(max_resp: Duration) -> Self {
        Self::v3_query(Ipv4Addr::UNSPECIFIED, Vec::new(), max_resp)
    }

    /// An IGMPv3 group-specific query (see [`Igmp::v3_query`]).
    pub fn group_query_v3(group: Ipv4Addr, max_resp: Duration) -> Self {
        Self::v3_query(group, Vec::new(), max_resp)
    }

    /// An IGMPv3 report of `records`.
    pub fn v3_report(records: Vec<GroupRecord>) -> Self {
        Igmp::V3Report(IgmpV3Report::new(records))
    }

    /// The message type.
    pub fn msgtype(&self) -> IgmpType {
        match self {
            Igmp::V2(m) => m.msgtype,
            Igmp::V3Query(_) => IgmpType::QUERY,
            Igmp::V3Report(_) => IgmpType::REPORT_V3,
            Igmp::Unknown(m) => m.msgtype,
        }
    }

    /// What the message is.
    pub fn kind(&self) -> MessageKind {
        match self {
            Igmp::V2(m) => m.kind(),
            Igmp::V3Query(_) => MessageKind::QueryV3,
            Igmp::V3Report(_) => MessageKind::ReportV3,
            Igmp::Unknown(_) => MessageKind::Unknown,
        }
    }

    /// The checksum field (`None`: computed on emit).
    pub fn csum(&self) -> Option<u16> {
        match self {
            Igmp::V2(m) => m.csum,
            Igmp::V3Query(m) => m.csum,
            Igmp::V3Report(m) => m.csum,
            Igmp::Unknown(m) => m.csum,
        }
    }

    /// The group address of a v1/v2 message or an IGMPv3 query (`None` for a v3 report, which
    /// has one per record, and for unknown types).
    pub fn group(&self) -> Option<Ipv4Addr> {
        match self {
            Igmp::V2(m) => Some(m.address),
            Igmp::V3Query(m) => Some(m.address),
            Igmp::V3Report(_) | Igmp::Unknown(_) => None,
        }
    }

    /// For a query, the time within which reports are due (see [`IgmpView::max_resp_time`]).
    pub fn max_resp_time(&self) -> Option<Duration> {
        match self {
            Igmp::V2(m) => m.max_resp_time(),
            Igmp::V3Query(m) => Some(m.max_resp_time()),
            Igmp::V3Report(_) | Igmp::Unknown(_) => None,
        }
    }

    /// Resets every computed field (checksum, counts, aux data lengths) to `None`, so that the
    /// next emit recomputes them: call it after editing a parsed message.
    pub fn clear_computed(&mut self) {
        match self {
            Igmp::V2(m) => m.csum = None,
            Igmp::V3Query(m) => {
                m.csum = None;
                m.num = None;
            }
            Igmp::V3Report(m) => {
                m.csum = None;
                m.record_num = None;
                for r in &mut m.records {
                    r.num = None;
                    r.aux_len = None;
                }
            }
            Igmp::Unknown(m) => m.csum = None,
        }
    }

    /// The IPv4 destination the RFCs prescribe for this message: the group for a v1/v2 report
    /// and a group-specific query, [`ALL_ROUTERS`] for a leave, [`ALL_SYSTEMS`] for a general
    /// query, [`ALL_IGMPV3_ROUTERS`] for a v3 report; `None` for an unknown type.
    pub fn ip_destination(&self) -> Option<Ipv4Addr> {
        let group_or_all = |g: Ipv4Addr| if g.is_unspecified() { ALL_SYSTEMS } else { g };
        match self.kind() {
            MessageKind::QueryV1 | MessageKind::QueryV2 | MessageKind::QueryV3 => {
                self.group().map(group_or_all)
            }
            MessageKind::ReportV1 | MessageKind::ReportV2 => self.group(),
            MessageKind::LeaveV2 => Some(ALL_ROUTERS),
            MessageKind::ReportV3 => Some(ALL_IGMPV3_ROUTERS),
            MessageKind::Unknown => None,
        }
    }
}

impl<T: AsRef<[u8]>> IgmpView<T> {
    /// The owned value: copies the message out of a checked view.
    pub fn decode(&self) -> Igmp {
        let v = self;
        let buf = v.buffer.as_ref();
        let h = Header::view(buf);
        match v.kind() {
            MessageKind::QueryV1
            | MessageKind::QueryV2
            | MessageKind::ReportV1
            | MessageKind::ReportV2
            | MessageKind::LeaveV2 => Igmp::V2(IgmpV2 {
                msgtype: IgmpType(h.msg_type),
                maxresp: h.code,
                csum: Some(h.checksum.get()),
                address: Ipv4Addr::from(h.group),
                additional: v.additional_data().to_vec(),
            }),
            MessageKind::QueryV3 => {
                let mut srcs = Vec::new();
                for s in v.sources().flatten() {
                    srcs.push(s);
                }
                Igmp::V3Query(IgmpV3Query {
                    maxresp: h.code,
                    csum: Some(h.checksum.get()),
                    address: Ipv4Addr::from(h.group),
                    resv: v.query_reserved(),
                    s_flg: v.s_flag(),
                    qrv: v.qrv(),
                    qqic: v.qqic(),
                    num: Some(v.num_sources()),
                    srcs,
                    additional: v.additional_data().to_vec(),
                })
            }
            MessageKind::ReportV3 => {
                let rh = ReportHeader::view(buf);
                let mut records = Vec::new();
                for r in v.group_records().flatten() {
                    records.push(r.decode());
                }
                Igmp::V3Report(IgmpV3Report {
                    csum: Some(rh.checksum.get()),
                    reserved1: rh.reserved1,
                    reserved2: rh.reserved2.get(),
                    record_num: Some(rh.num_records.get()),
                    records,
                    additional: v.additional_data().to_vec(),
                })
            }
            MessageKind::Unknown => Igmp::Unknown(IgmpUnknown {
                msgtype: v.msg_type(),
                maxresp: v.max_resp_code(),
                csum: Some(v.checksum()),
                data: tail(buf, 4).to_vec(),
            }),
        }
    }
}

impl Protocol for Igmp {
    const KIND: LayerKind = LayerKind::Igmp;

    fn header_len(&self) -> usize {
        match self {
            Igmp::V2(m) => m.msg_len(),
            Igmp::V3Query(m) => m.msg_len(),
            Igmp::V3Report(m) => m.msg_len(),
            Igmp::Unknown(m) => 4 + m.data.len(),
        }
    }

    /// Writes the message. A checksum left to compute covers all of `buf`: the message and
    /// anything the packet carries after it, i.e. the whole IPv4 payload, as the RFCs say.
    fn emit(&self, buf: &mut [u8], _ctx: &EmitContext) -> Result<()> {
        let len = self.header_len();
        emit_room(LAYER, buf, len)?;
        let out = buf.get_mut(..len).unwrap_or(&mut []);
        match self {
            Igmp::V2(m) => m.write(out)?,
            Igmp::V3Query(m) => m.write(out)?,
            Igmp::V3Report(m) => m.write(out)?,
            Igmp::Unknown(m) => {
                put_bytes(out, 0, &[m.msgtype.0, m.maxresp, 0, 0]);
                put_bytes(out, 4, &m.data);
            }
        }
        let sum = match self.csum() {
            Some(c) => c,
            None => checksum::checksum(buf),
        };
        put16(buf, field::CHECKSUM, sum);
        Ok(())
    }

    fn from_layer(layer: &Layer) -> Option<&Self> {
        match layer {
            Layer::Igmp(v) => Some(v),
            _ => None,
        }
    }

    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self> {
        match layer {
            Layer::Igmp(v) => Some(v),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Display, in os-ken's notation. Attributes os-ken does not have (additional data, reserved
// bits) are shown only when they hold something, so ordinary messages print as os-ken does.

/// `['10.0.0.1', '10.0.0.2']`, as os-ken prints a list of addresses.
struct Addrs<'a>(&'a [Ipv4Addr]);

impl fmt::Display for Addrs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, a) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "'{a}'")?;
        }
        f.write_str("]")
    }
}

fn additional(f: &mut fmt::Formatter<'_>, data: &[u8]) -> fmt::Result {
    if data.is_empty() {
        Ok(())
    } else {
        write!(f, "additional={},", PyBytes(data))
    }
}

impl fmt::Display for IgmpV2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("igmp(")?;
        additional(f, &self.additional)?;
        write!(
            f,
            "address={},csum={},maxresp={},msgtype={})",
            Quoted(self.address),
            Opt(self.csum),
            self.maxresp,
            self.msgtype
        )
    }
}

impl fmt::Display for IgmpV3Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("igmpv3_query(")?;
        additional(f, &self.additional)?;
        write!(
            f,
            "address={},csum={},maxresp={},msgtype={},num={},qqic={},qrv={},",
            Quoted(self.address),
            Opt(self.csum),
            self.maxresp,
            IgmpType::QUERY,
            Opt(self.num),
            self.qqic,
            self.qrv
        )?;
        if self.resv != 0 {
            write!(f, "resv={},", self.resv)?;
        }
        write!(
            f,
            "s_flg={},srcs={})",
            u8::from(self.s_flg),
            Addrs(&self.srcs)
        )
    }
}

impl fmt::Display for GroupRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("igmpv3_report_group(")?;
        write!(f, "address={},aux=", Quoted(self.address))?;
        if self.aux.is_empty() {
            f.write_str("None")?;
        } else {
            PyBytes(&self.aux).fmt(f)?;
        }
        write!(
            f,
            ",aux_len={},num={},srcs={},type_={})",
            Opt(self.aux_len),
            Opt(self.num),
            Addrs(&self.srcs),
            self.type_
        )
    }
}

impl fmt::Display for IgmpV3Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("igmpv3_report(")?;
        additional(f, &self.additional)?;
        write!(
            f,
            "csum={},msgtype={},record_num={},records={}",
            Opt(self.csum),
            IgmpType::REPORT_V3,
            Opt(self.record_num),
            List(&self.records)
        )?;
        if self.reserved1 != 0 {
            write!(f, ",reserved1={}", self.reserved1)?;
        }
        if self.reserved2 != 0 {
            write!(f, ",reserved2={}", self.reserved2)?;
        }
        f.write_str(")")
    }
}

impl fmt::Display for IgmpUnknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "igmp(csum={},data={},maxresp={},msgtype={})",
            Opt(self.csum),
            PyBytes(&self.data),
            self.maxresp,
            self.msgtype
        )
    }
}

impl fmt::Display for Igmp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Igmp::V2(m) => m.fmt(f),
            Igmp::V3Query(m) => m.fmt(f),
            Igmp::V3Report(m) => m.fmt(f),
            Igmp::Unknown(m) => m.fmt(f),
        }
    }
}

/// Writes one IGMP message of `len` bytes with `write`, then its checksum (`csum`, or computed
/// over the message).
fn encode_message(
    buf: &mut [u8],
    len: usize,
    csum: Option<u16>,
    write: impl FnOnce(&mut [u8]) -> Result<()>,
) -> Result<usize> {
    let out = room(buf, len)?;
    write(out)?;
    let sum = match csum {
        Some(c) => c,
        None => checksum::checksum(out),
    };
    put16(out, field::CHECKSUM, sum);
    Ok(len)
}

/// The message on its own, checksum computed over it when `csum` is `None` (as
/// [`Igmp::V2`] encodes it).
impl Encode for IgmpV2 {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.msg_len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        encode_message(buf, self.msg_len(), self.csum, |out| self.write(out))
    }
}

/// The message on its own, checksum computed over it when `csum` is `None`.
impl Encode for IgmpV3Query {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.msg_len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        encode_message(buf, self.msg_len(), self.csum, |out| self.write(out))
    }
}

/// The message on its own, checksum computed over it when `csum` is `None`.
impl Encode for IgmpV3Report {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.msg_len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        encode_message(buf, self.msg_len(), self.csum, |out| self.write(out))
    }
}

/// The message on its own, checksum computed over it when `csum` is `None`.
impl Encode for IgmpUnknown {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        4 + self.data.len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        encode_message(buf, 4 + self.data.len(), self.csum, |out| {
            put_bytes(out, 0, &[self.msgtype.0, self.maxresp, 0, 0]);
            put_bytes(out, 4, &self.data);
            Ok(())
        })
    }
}

/// One group record on its own, as it sits in a report: counts computed when `None`,
/// auxiliary data padded with zeros to a multiple of 4 bytes. More than 65 535 sources or 255
/// words of auxiliary data do not fit their fields and are [`Error::Unencodable`].
impl Encode for GroupRecord {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.record_len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        let n = self.record_len();
        self.write(room(buf, n)?)?;
        Ok(n)
    }
}

/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for IgmpView<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}
/// What the decoded value prints.
impl fmt::Display for GroupRecordView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Encode;
    use alloc::string::ToString;
    use alloc::vec;
    use proptest::prelude::*;

    fn h(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn ip(a: u8, b: u8, c: u8, d: u8) -> Ipv4Addr {
        Ipv4Addr::new(a, b, c, d)
    }

    fn emit(m: &Igmp) -> Vec<u8> {
        let mut out = vec![0u8; m.header_len()];
        m.emit(&mut out, &EmitContext::default()).unwrap();
        out
    }

    /// Parses `bytes`, checks the checksum, and checks that emitting gives the same bytes back.
    fn roundtrip(bytes: &[u8]) -> Igmp {
        let v = IgmpView::parse(bytes).unwrap();
        v.verify_checksum().unwrap();
        assert_eq!(v.compute_checksum(), v.checksum());
        let m = Igmp::parse(bytes).unwrap();
        assert_eq!(emit(&m), bytes);
        m
    }

    // Ryu book, "IGMP snooping": hosts join and leave group 225.0.0.1. Frames built with scapy
    // 2.8 (/work/main/.venv) the way a Linux host sends them: TOS 0xc0, DF, TTL 1, IPv4 Router
    // Alert option; the report goes to the group (01:00:5e:00:00:01), the leave to 224.0.0.2.
    // Ethernet padding to 60 bytes added by hand.
    const RYU_V2_REPORT_FRAME: &str =
        "01005e000001000000000002080046c00020000040000102f9140a000002\
                                       e100000194040000160008fee1000001";
    const RYU_V2_LEAVE_FRAME: &str = "01005e000002000000000002080046c00020000040000102fa130a000002\
                                      e000000294040000170007fee1000001";

    // Real captures (tcpdump hex dumps) from gopacket's layers/igmp_test.go; IGMP bytes only.
    /// `IP 10.60.0.132 > 224.0.1.60: igmp v1 report 224.0.1.60`
    const GP_V1_REPORT: &str = "12000cc3e000013c";
    /// `IP 10.60.0.189 > 224.0.0.1: igmp query v2`
    const GP_V2_QUERY: &str = "1164ee9b00000000";
    /// `IP 10.60.5.103 > 239.255.255.253: igmp v2 report 239.255.255.253`
    const GP_V2_REPORT: &str = "1600fa01effffffd";
    /// `IP 192.168.1.254 > 224.0.0.1: igmp query v3 [max resp time 2.4s]`
    const GP_V3_QUERY: &str = "1118ecd30000000002140000";
    /// `IP 192.168.1.66 > 224.0.0.22: igmp v3 report, 2 group record(s)`
    const GP_V3_REPORT: &str = "2200f33c0000000202000000efc3070202000000effffffa";

    // Built with scapy 2.8 (scapy.layers.igmp): a v3 report with one record of each type.
    const V3_REPORT_6: &str = "220070230000000601000002e10000010a0000010a00000302000000e1000002\
                               03000001e1000003c0a8010104000000e100000405000003e80101010a010101\
                               0a0101020a01010306000001e80101020a020202";
    // Built with scapy 2.8: queries from 10.0.0.1.
    const V1_QUERY: &str = "1100eeff00000000";
    const V2_GENERAL_QUERY: &str = "1164ee9b00000000";
    const V2_GROUP_QUERY: &str = "110a0df4e1000001";
    const V3_GENERAL_QUERY: &str = "1164ec1e00000000027d0000";
    const V3_GROUP_QUERY: &str = "110a0b77e1000001027d0000";
    const V3_GROUP_SOURCE_QUERY: &str = "110ae56ee80101010a7d00020a0101010a010102";
    // Serialized by os-ken: a v3 report whose second record carries one word of aux data.
    const V3_REPORT_AUX: &str = "22004a2f0000000201000001e10000010a00000102010000e100000261626364";

    #[test]
    fn ryu_book_v2_report() {
        let mut frame = h(RYU_V2_REPORT_FRAME);
        frame.resize(60, 0);
        let bytes = &frame[38..46];
        let v = IgmpView::parse(bytes).unwrap();
        assert_eq!(v.kind(), MessageKind::ReportV2);
        assert_eq!(v.msg_type(), IgmpType::REPORT_V2);
        assert_eq!(v.group_address(), ip(225, 0, 0, 1));
        assert_eq!(v.max_resp_time(), None);
        assert_eq!(
            crate::MacAddr::from_ipv4_multicast(v.group_address()).octets(),
            frame[..6]
        );
        let m = roundtrip(bytes);
        // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
        assert_eq!(
            m.to_string(),
            "igmp(address='225.0.0.1',csum=2302,maxresp=0,msgtype=22)"
        );
        let built = Igmp::v2_report(ip(225, 0, 0, 1));
        assert_eq!(
            built.to_string(),
            "igmp(address='225.0.0.1',csum=None,maxresp=0,msgtype=22)"
        );
        assert_eq!(emit(&built), bytes);
        assert_eq!(built.ip_destination(), Some(ip(225, 0, 0, 1)));
        assert!(built.kind().is_report());
        assert_eq!(
            step_igmp(bytes).unwrap(),
            Step {
                header_len: 8,
                end: 8,
                next: Next::Payload
            }
        );
    }

    #[test]
    fn ryu_book_v2_leave() {
        let frame = h(RYU_V2_LEAVE_FRAME);
        let bytes = &frame[38..46];
        let m = roundtrip(bytes);
        assert_eq!(m.kind(), MessageKind::LeaveV2);
        assert_eq!(m.group(), Some(ip(225, 0, 0, 1)));
        // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
        assert_eq!(
            m.to_string(),
            "igmp(address='225.0.0.1',csum=2046,maxresp=0,msgtype=23)"
        );
        let built = Igmp::v2_leave(ip(225, 0, 0, 1));
        assert_eq!(emit(&built), bytes);
        assert_eq!(built.ip_destination(), Some(ALL_ROUTERS));
        assert!(!built.kind().is_report());
    }

    #[test]
    fn real_v1_report() {
        let m = roundtrip(&h(GP_V1_REPORT));
        assert_eq!(m.kind(), MessageKind::ReportV1);
        assert_eq!(m.kind().version(), Some(1));
        // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
        assert_eq!(
            m.to_string(),
            "igmp(address='224.0.1.60',csum=3267,maxresp=0,msgtype=18)"
        );
        assert_eq!(emit(&Igmp::v1_report(ip(224, 0, 1, 60))), h(GP_V1_REPORT));
    }

    #[test]
    fn real_v2_query_and_report() {
        let q = roundtrip(&h(GP_V2_QUERY));
        assert_eq!(q.kind(), MessageKind::QueryV2);
        assert_eq!(q.max_resp_time(), Some(Duration::from_secs(10)));
        assert_eq!(q.ip_destination(), Some(ALL_SYSTEMS));
        // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
        assert_eq!(
            q.to_string(),
            "igmp(address='0.0.0.0',csum=61083,maxresp=100,msgtype=17)"
        );
        assert_eq!(
            emit(&Igmp::general_query_v2(DEFAULT_QUERY_RESPONSE_INTERVAL)),
            h(GP_V2_QUERY)
        );
        let r = roundtrip(&h(GP_V2_REPORT));
        assert_eq!(r.kind(), MessageKind::ReportV2);
        assert_eq!(
            r.to_string(),
            "igmp(address='239.255.255.253',csum=64001,maxresp=0,msgtype=22)"
        );
    }

    #[test]
    fn real_v3_query() {
        let bytes = h(GP_V3_QUERY);
        let v = IgmpView::parse(&bytes[..]).unwrap();
        assert_eq!(v.kind(), MessageKind::QueryV3);
        assert_eq!(v.max_resp_time(), Some(Duration::from_millis(2400)));
        assert_eq!(v.qrv(), 2);
        assert_eq!(v.qqic(), 20);
        assert_eq!(v.qqi(), Some(Duration::from_secs(20)));
        assert!(!v.s_flag());
        assert_eq!(v.num_sources(), 0);
        assert_eq!(v.sources().count(), 0);
        let m = roundtrip(&bytes);
        // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
        assert_eq!(
            m.to_string(),
            "igmpv3_query(address='0.0.0.0',csum=60627,maxresp=24,msgtype=17,num=0,qqic=20,qrv=2,s_flg=0,srcs=[])"
        );
    }

    #[test]
    fn real_v3_report() {
        let bytes = h(GP_V3_REPORT);
        let v = IgmpView::parse(&bytes[..]).unwrap();
        assert_eq!(v.kind(), MessageKind::ReportV3);
        assert_eq!(v.num_group_records(), 2);
        assert_eq!(v.group_address(), Ipv4Addr::UNSPECIFIED);
        let recs: Vec<_> = v.group_records().map(Result::unwrap).collect();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].record_type(), RecordType::IS_EX);
        assert_eq!(recs[0].multicast_address(), ip(239, 195, 7, 2));
        assert_eq!(recs[0].offset(), 8);
        assert_eq!(recs[1].multicast_address(), ip(239, 255, 255, 250));
        assert_eq!(recs[1].offset(), 16);
        let m = roundtrip(&bytes);
        // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
        assert_eq!(
            m.to_string(),
            "igmpv3_report(csum=62268,msgtype=34,record_num=2,records=[\
             igmpv3_report_group(address='239.195.7.2',aux=None,aux_len=0,num=0,srcs=[],type_=2), \
             igmpv3_report_group(address='239.255.255.250',aux=None,aux_len=0,num=0,srcs=[],type_=2)])"
        );
        assert_eq!(m.ip_destination(), Some(ALL_IGMPV3_ROUTERS));
    }

    #[test]
    fn v3_report_every_record_type() {
        let bytes = h(V3_REPORT_6);
        let v = IgmpView::parse(&bytes[..]).unwrap();
        assert_eq!(v.message_len(), bytes.len());
        let recs: Vec<_> = v.group_records().map(Result::unwrap).collect();
        let types: Vec<u8> = recs.iter().map(|r| r.record_type().0).collect();
        assert_eq!(types, [1, 2, 3, 4, 5, 6]);
        let counts: Vec<u16> = recs.iter().map(GroupRecordView::num_sources).collect();
        assert_eq!(counts, [2, 0, 1, 0, 3, 1]);
        let allow: Vec<_> = recs[4].sources().map(Result::unwrap).collect();
        assert_eq!(allow, [ip(10, 1, 1, 1), ip(10, 1, 1, 2), ip(10, 1, 1, 3)]);
        assert!(recs[0].record_type().is_current_state());
        assert!(recs[2].record_type().is_filter_mode_change());
        assert!(recs[5].record_type().is_source_list_change());
        assert!(recs.iter().all(|r| r.aux_data().is_empty()));
        let m = roundtrip(&bytes);
        // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
        assert_eq!(
            m.to_string(),
            "igmpv3_report(csum=28707,msgtype=34,record_num=6,records=[\
             igmpv3_report_group(address='225.0.0.1',aux=None,aux_len=0,num=2,srcs=['10.0.0.1', '10.0.0.3'],type_=1), \
             igmpv3_report_group(address='225.0.0.2',aux=None,aux_len=0,num=0,srcs=[],type_=2), \
             igmpv3_report_group(address='225.0.0.3',aux=None,aux_len=0,num=1,srcs=['192.168.1.1'],type_=3), \
             igmpv3_report_group(address='225.0.0.4',aux=None,aux_len=0,num=0,srcs=[],type_=4), \
             igmpv3_report_group(address='232.1.1.1',aux=None,aux_len=0,num=3,srcs=['10.1.1.1', '10.1.1.2', '10.1.1.3'],type_=5), \
             igmpv3_report_group(address='232.1.1.2',aux=None,aux_len=0,num=1,srcs=['10.2.2.2'],type_=6)])"
        );
        let built = Igmp::v3_report(vec![
            GroupRecord::new(
                RecordType::IS_IN,
                ip(225, 0, 0, 1),
                vec![ip(10, 0, 0, 1), ip(10, 0, 0, 3)],
            ),
            GroupRecord::new(RecordType::IS_EX, ip(225, 0, 0, 2), vec![]),
            GroupRecord::new(
                RecordType::TO_IN,
                ip(225, 0, 0, 3),
                vec![ip(192, 168, 1, 1)],
            ),
            GroupRecord::new(RecordType::TO_EX, ip(225, 0, 0, 4), vec![]),
            GroupRecord::new(
                RecordType::ALLOW,
                ip(232, 1, 1, 1),
                vec![ip(10, 1, 1, 1), ip(10, 1, 1, 2), ip(10, 1, 1, 3)],
            ),
            GroupRecord::new(RecordType::BLOCK, ip(232, 1, 1, 2), vec![ip(10, 2, 2, 2)]),
        ]);
        assert_eq!(emit(&built), bytes);
    }

    #[test]
    fn v3_report_aux_data() {
        let bytes = h(V3_REPORT_AUX);
        let v = IgmpView::parse(&bytes[..]).unwrap();
        let recs: Vec<_> = v.group_records().map(Result::unwrap).collect();
        assert_eq!(recs[1].aux_data_len(), 1);
        assert_eq!(recs[1].aux_data(), b"abcd");
        assert_eq!(recs[1].record_len(), 12);
        assert_eq!(GroupRecord::parse(recs[1].as_bytes()).unwrap().aux, b"abcd");
        let m = roundtrip(&bytes);
        // os-ken 2.x serialized these bytes and printed this.
        assert_eq!(
            m.to_string(),
            "igmpv3_report(csum=18991,msgtype=34,record_num=2,records=[\
             igmpv3_report_group(address='225.0.0.1',aux=None,aux_len=0,num=1,srcs=['10.0.0.1'],type_=1), \
             igmpv3_report_group(address='225.0.0.2',aux=b'abcd',aux_len=1,num=0,srcs=[],type_=2)])"
        );
        // Aux data that is not a whole number of words is padded, as os-ken does.
        let mut rec = GroupRecord::new(RecordType::IS_EX, ip(225, 0, 0, 2), vec![]);
        rec.aux = b"abcde".to_vec();
        let out = emit(&Igmp::v3_report(vec![rec]));
        assert_eq!(out.len(), 8 + 8 + 8);
        assert_eq!(&out[9..10], &[2]);
        assert_eq!(&out[16..], b"abcde\0\0\0");
    }

    #[test]
    fn queries_of_every_version() {
        let v1 = roundtrip(&h(V1_QUERY));
        assert_eq!(v1.kind(), MessageKind::QueryV1);
        assert_eq!(v1.max_resp_time(), Some(V1_MAX_RESP_TIME));
        assert_eq!(emit(&Igmp::general_query_v1()), h(V1_QUERY));
        // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
        assert_eq!(
            v1.to_string(),
            "igmp(address='0.0.0.0',csum=61183,maxresp=0,msgtype=17)"
        );

        let v2 = roundtrip(&h(V2_GENERAL_QUERY));
        assert_eq!(v2.kind(), MessageKind::QueryV2);
        assert_eq!(
            emit(&Igmp::general_query_v2(Duration::from_secs(10))),
            h(V2_GENERAL_QUERY)
        );

        let v2g = roundtrip(&h(V2_GROUP_QUERY));
        assert_eq!(v2g.kind(), MessageKind::QueryV2);
        assert_eq!(v2g.group(), Some(ip(225, 0, 0, 1)));
        assert_eq!(v2g.ip_destination(), Some(ip(225, 0, 0, 1)));
        assert_eq!(
            v2g.to_string(),
            "igmp(address='225.0.0.1',csum=3572,maxresp=10,msgtype=17)"
        );
        let built = Igmp::group_query_v2(ip(225, 0, 0, 1), DEFAULT_LAST_MEMBER_QUERY_INTERVAL);
        assert_eq!(emit(&built), h(V2_GROUP_QUERY));
        // A zero response time would make an IGMPv1 query: the constructor keeps 0.1 s.
        assert_eq!(
            Igmp::general_query_v2(Duration::ZERO).kind(),
            MessageKind::QueryV2
        );

        let v3 = roundtrip(&h(V3_GENERAL_QUERY));
        assert_eq!(v3.kind(), MessageKind::QueryV3);
        assert_eq!(v3.ip_destination(), Some(ALL_SYSTEMS));
        // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
        assert_eq!(
            v3.to_string(),
            "igmpv3_query(address='0.0.0.0',csum=60446,maxresp=100,msgtype=17,num=0,qqic=125,qrv=2,s_flg=0,srcs=[])"
        );
        assert_eq!(
            emit(&Igmp::general_query_v3(DEFAULT_QUERY_RESPONSE_INTERVAL)),
            h(V3_GENERAL_QUERY)
        );

        let v3g = roundtrip(&h(V3_GROUP_QUERY));
        assert_eq!(
            v3g.to_string(),
            "igmpv3_query(address='225.0.0.1',csum=2935,maxresp=10,msgtype=17,num=0,qqic=125,qrv=2,s_flg=0,srcs=[])"
        );
        assert_eq!(
            emit(&Igmp::group_query_v3(
                ip(225, 0, 0, 1),
                Duration::from_secs(1)
            )),
            h(V3_GROUP_QUERY)
        );
    }

    #[test]
    fn group_and_source_specific_query() {
        let bytes = h(V3_GROUP_SOURCE_QUERY);
        let v = IgmpView::parse(&bytes[..]).unwrap();
        assert_eq!(v.kind(), MessageKind::QueryV3);
        assert!(v.s_flag());
        assert_eq!(v.num_sources(), 2);
        let srcs: Vec<_> = v.sources().map(Result::unwrap).collect();
        assert_eq!(srcs, [ip(10, 1, 1, 1), ip(10, 1, 1, 2)]);
        assert_eq!(v.additional_data(), b"");
        let m = roundtrip(&bytes);
        // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
        assert_eq!(
            m.to_string(),
            "igmpv3_query(address='232.1.1.1',csum=58734,maxresp=10,msgtype=17,num=2,qqic=125,qrv=2,s_flg=1,\
             srcs=['10.1.1.1', '10.1.1.2'])"
        );
        let built: Igmp = IgmpV3Query::new(ip(232, 1, 1, 1), srcs)
            .with_max_resp(Duration::from_secs(1))
            .with_s_flag(true)
            .into();
        assert_eq!(emit(&built), bytes);
        assert_eq!(built.ip_destination(), Some(ip(232, 1, 1, 1)));
    }

    #[test]
    fn float_codes() {
        assert_eq!(decode_float(0), 0);
        assert_eq!(decode_float(0x7f), 127);
        assert_eq!(decode_float(0x80), 128);
        assert_eq!(decode_float(0x8f), 248);
        assert_eq!(decode_float(0x90), 256);
        assert_eq!(decode_float(0xff), 31744);
        // Every code encodes back to itself, and decoding is increasing.
        for c in 0..=255u8 {
            assert_eq!(encode_float(u32::from(decode_float(c))), c);
            if c > 0 {
                assert!(decode_float(c - 1) < decode_float(c));
            }
        }
        // The encoder picks the smallest representable value not below the request.
        for v in 0..=32_000u32 {
            let c = encode_float(v);
            if v <= 31744 {
                assert!(u32::from(decode_float(c)) >= v, "{v}");
                assert!(c == 0 || u32::from(decode_float(c - 1)) < v, "{v}");
            } else {
                assert_eq!(c, 0xff);
            }
        }
        assert_eq!(encode_float(u32::MAX), 0xff);
    }

    #[test]
    fn durations() {
        assert_eq!(duration_to_max_resp_code(Duration::from_secs(10)), 100);
        assert_eq!(
            duration_to_max_resp_code(Duration::from_millis(12_800)),
            0x80
        );
        assert_eq!(
            duration_to_max_resp_code(Duration::from_millis(12_900)),
            0x81
        );
        assert_eq!(
            max_resp_code_to_duration(0x81),
            Duration::from_millis(13_600)
        );
        assert_eq!(duration_to_max_resp_code(Duration::from_nanos(1)), 1);
        assert_eq!(duration_to_max_resp_code(Duration::ZERO), 0);
        assert_eq!(
            duration_to_max_resp_code(Duration::from_millis(3_174_400)),
            0xff
        );
        assert_eq!(duration_to_max_resp_code(Duration::MAX), 0xff);
        assert_eq!(
            max_resp_code_to_duration(0xff),
            Duration::from_millis(3_174_400)
        );
        assert_eq!(duration_to_qqic(DEFAULT_QUERY_INTERVAL), 125);
        assert_eq!(duration_to_qqic(Duration::from_secs(130)), 0x81);
        assert_eq!(qqic_to_duration(0x81), Duration::from_secs(136));
        assert_eq!(duration_to_qqic(Duration::from_millis(1001)), 2);
        assert_eq!(
            duration_to_max_resp_time(Duration::from_millis(25_600)),
            255
        );
        assert_eq!(duration_to_max_resp_time(Duration::from_millis(50)), 1);
        assert_eq!(max_resp_time_to_duration(100), Duration::from_secs(10));
        let q = IgmpV3Query::default()
            .with_qqi(Duration::from_secs(300))
            .with_qrv(9);
        assert_eq!(q.qqi(), Duration::from_secs(304));
        assert_eq!(q.qrv, 0);
    }

    fn err(bytes: &[u8]) -> Error {
        let e = IgmpView::parse(bytes).unwrap_err();
        assert_eq!(Igmp::parse(bytes).unwrap_err(), e);
        assert_eq!(step_igmp(bytes).unwrap_err(), e);
        assert_eq!(e.layer(), LayerKind::Igmp);
        e
    }

    #[test]
    fn truncated_headers() {
        assert!(matches!(
            err(&[]),
            Error::Truncated {
                offset: 0,
                needed: 4,
                available: 0,
                ..
            }
        ));
        assert!(matches!(
            err(&[0x30, 0, 0]),
            Error::Truncated {
                needed: 4,
                available: 3,
                ..
            }
        ));
        for t in [0x11u8, 0x12, 0x16, 0x17, 0x22] {
            let mut b = h("160008fee1000001");
            b[0] = t;
            for n in 4..8 {
                assert!(
                    matches!(err(&b[..n]), Error::Truncated { needed: 8, .. }),
                    "{t} {n}"
                );
            }
        }
        // Unknown types need only type, code and checksum (RFC 4286 solicitations are 4 bytes).
        let m = Igmp::parse(&[0x31, 0, 0xce, 0xff]).unwrap();
        assert_eq!(m.kind(), MessageKind::Unknown);
        assert_eq!(
            m.to_string(),
            "igmp(csum=52991,data=b'',maxresp=0,msgtype=49)"
        );
        assert_eq!(emit(&m), [0x31, 0, 0xce, 0xff]);
    }

    #[test]
    fn query_lengths() {
        let mut b = h(V3_GENERAL_QUERY);
        for n in 9..12 {
            let e = err(&b[..n]);
            assert!(
                matches!(e, Error::BadLength { offset: 0, field: "message length", value, .. } if value == n),
                "{e}"
            );
        }
        // Number of sources beyond the buffer.
        b[11] = 1;
        assert!(matches!(
            err(&b),
            Error::BadLength {
                offset: 10,
                field: "number of sources",
                value: 1,
                ..
            }
        ));
        b[10] = 0xff;
        b[11] = 0xff;
        assert!(matches!(
            err(&b),
            Error::BadLength {
                offset: 10,
                value: 65535,
                ..
            }
        ));
        let mut g = h(V3_GROUP_SOURCE_QUERY);
        g[11] = 3;
        assert!(matches!(
            err(&g),
            Error::BadLength {
                offset: 10,
                value: 3,
                ..
            }
        ));
        g.extend_from_slice(&[1, 2, 3]);
        assert!(matches!(
            err(&g),
            Error::BadLength {
                offset: 10,
                value: 3,
                ..
            }
        ));
        g.push(4);
        assert_eq!(IgmpView::parse(&g[..]).unwrap().sources().count(), 3);
    }

    #[test]
    fn report_counts() {
        // Number of group records beyond the buffer: nothing left, or a partial record header.
        let mut b = h(GP_V3_REPORT);
        b[7] = 3;
        assert!(matches!(
            err(&b),
            Error::Truncated {
                offset: 24,
                what: "group record",
                needed: 8,
                available: 0,
                ..
            }
        ));
        b.extend_from_slice(&[4, 0, 0, 0]);
        assert!(matches!(
            err(&b),
            Error::Truncated {
                offset: 24,
                available: 4,
                ..
            }
        ));
        b[7] = 0xff;
        assert!(matches!(err(&b), Error::Truncated { offset: 24, .. }));
        // Number of sources of record 1 (at 16) beyond the buffer, then of record 0 (at 8).
        let mut b = h(GP_V3_REPORT);
        b[19] = 2;
        assert!(matches!(
            err(&b),
            Error::BadLength {
                offset: 18,
                field: "number of sources",
                value: 2,
                ..
            }
        ));
        let mut b = h(GP_V3_REPORT);
        b[10..12].copy_from_slice(&[0xff, 0xff]);
        assert!(matches!(
            err(&b),
            Error::BadLength {
                offset: 10,
                value: 65535,
                ..
            }
        ));
        // Aux data len beyond the buffer.
        let mut b = h(V3_REPORT_AUX);
        b[21] = 2;
        assert!(matches!(
            err(&b),
            Error::BadLength {
                offset: 21,
                field: "aux data len",
                value: 2,
                ..
            }
        ));
        b[21] = 0xff;
        assert!(matches!(
            err(&b),
            Error::BadLength {
                offset: 21,
                value: 255,
                ..
            }
        ));
        // A record view on its own.
        assert!(matches!(
            GroupRecordView::parse(&[1, 0, 0, 1, 225, 0, 0, 1, 10, 0, 0]),
            Err(Error::BadLength { offset: 2, .. })
        ));
        assert!(matches!(
            GroupRecordView::parse(&[1, 0, 0]),
            Err(Error::Truncated { needed: 8, .. })
        ));
    }

    #[test]
    fn iterators_report_what_the_view_did_not_check() {
        let mut s = Sources::new(&[10, 0, 0, 1, 10, 0], 12, 3);
        assert_eq!(s.next().unwrap().unwrap(), ip(10, 0, 0, 1));
        assert!(matches!(
            s.next(),
            Some(Err(Error::Truncated {
                offset: 16,
                available: 2,
                ..
            }))
        ));
        assert!(s.next().is_none());
        let buf = h("2200000000000002020000000000000001");
        let mut r = GroupRecords {
            buf: &buf,
            offset: 8,
            remaining: 2,
        };
        assert!(r.next().unwrap().is_ok());
        assert!(matches!(
            r.next(),
            Some(Err(Error::Truncated {
                offset: 16,
                available: 1,
                ..
            }))
        ));
        assert!(r.next().is_none());
    }

    #[test]
    fn bad_checksum() {
        let mut b = h(GP_V2_REPORT);
        b[3] ^= 1;
        let v = IgmpView::parse(&b[..]).unwrap();
        assert_eq!(
            v.verify_checksum(),
            Err(Error::BadChecksum {
                layer: LayerKind::Igmp,
                offset: 2,
                computed: 0xfa01,
                found: 0xfa00
            })
        );
        // Parsing does not check it, and keeps the bad value.
        assert_eq!(emit(&Igmp::parse(&b).unwrap()), b);
    }

    #[test]
    fn additional_data() {
        // RFC 2236 §2.5: a longer v2 message; the checksum covers the whole IP payload.
        let mut b = h(GP_V2_REPORT);
        b.extend_from_slice(&[0xde, 0xad]);
        let mut v = IgmpView::parse(&mut b[..]).unwrap();
        assert_eq!(v.message_len(), 8);
        assert_eq!(v.additional_data(), [0xde, 0xad]);
        assert_eq!(v.message(), &h(GP_V2_REPORT)[..]);
        v.fill_checksum();
        v.verify_checksum().unwrap();
        let m = roundtrip(&b);
        let Igmp::V2(ref inner) = m else {
            panic!("{m:?}")
        };
        assert_eq!(inner.additional, [0xde, 0xad]);
        assert!(m
            .to_string()
            .starts_with("igmp(additional=b'\\xde\\xad',address="));
        assert_eq!(
            step_igmp(&b).unwrap(),
            Step {
                header_len: 10,
                end: 10,
                next: Next::Payload
            }
        );
        let mut fresh = m.clone();
        fresh.clear_computed();
        assert_eq!(emit(&fresh), b);

        // RFC 3376 §4.1.10: bytes past the sources of a v3 query.
        let mut q = h(V3_GROUP_SOURCE_QUERY);
        q.extend_from_slice(&[1, 2, 3, 4, 5]);
        IgmpView::parse(&mut q[..]).unwrap().fill_checksum();
        let m = roundtrip(&q);
        assert_eq!(step_igmp(&q).unwrap().end, 25);
        assert!(m
            .to_string()
            .starts_with("igmpv3_query(additional=b'\\x01\\x02\\x03\\x04\\x05',address="));

        // RFC 3376 §4.2.11: bytes past the last record of a v3 report.
        let mut r = h(GP_V3_REPORT);
        r.push(9);
        IgmpView::parse(&mut r[..]).unwrap().fill_checksum();
        roundtrip(&r);
        assert_eq!(step_igmp(&r).unwrap().end, 25);

        // An unknown type is all message.
        let u = h("1300000000000000abcd");
        assert_eq!(step_igmp(&u).unwrap().end, 10);
    }

    #[test]
    fn setters_keep_the_checksum() {
        let mut b = h(GP_V2_QUERY);
        let mut v = IgmpView::parse(&mut b[..]).unwrap();
        v.set_max_resp_code(0);
        assert_eq!(v.kind(), MessageKind::QueryV1);
        v.set_group_address(ip(225, 1, 2, 3));
        v.verify_checksum().unwrap();
        assert_eq!(v.group_address(), ip(225, 1, 2, 3));
        assert_eq!(v.compute_checksum(), v.checksum());

        let mut b = h(V3_GROUP_SOURCE_QUERY);
        let mut v = IgmpView::parse(&mut b[..]).unwrap();
        v.set_s_flag(false);
        v.set_qrv(7);
        v.set_qqic(0x90);
        v.set_max_resp_code(0xff);
        v.verify_checksum().unwrap();
        assert!(!v.s_flag());
        assert_eq!(v.qrv(), 7);
        assert_eq!(v.qqic(), 0x90);
        assert_eq!(v.qqi(), Some(Duration::from_secs(256)));
        assert_eq!(v.num_sources(), 2);

        // Nothing to set on a v3 report's group address (bytes 4-8 are counts there).
        let mut b = h(GP_V3_REPORT);
        let mut v = IgmpView::parse(&mut b[..]).unwrap();
        v.set_group_address(ip(1, 2, 3, 4));
        v.set_qrv(3);
        assert_eq!(b, h(GP_V3_REPORT));
        let mut v = IgmpView::parse(&mut b[..]).unwrap();
        v.set_checksum(0);
        assert!(v.verify_checksum().is_err());
        v.fill_checksum();
        v.verify_checksum().unwrap();
        assert_eq!(v.into_inner(), &h(GP_V3_REPORT)[..]);
    }

    #[test]
    fn v3_fields_are_zero_on_other_messages() {
        let b = h(GP_V2_REPORT);
        let v = IgmpView::parse(&b[..]).unwrap();
        assert_eq!(
            (v.num_sources(), v.qrv(), v.qqic(), v.query_reserved()),
            (0, 0, 0, 0)
        );
        assert_eq!(v.qqi(), None);
        assert_eq!(v.num_group_records(), 0);
        assert_eq!(v.report_reserved(), 0);
        assert_eq!(v.group_records().count(), 0);
        assert_eq!(v.sources().count(), 0);
    }

    #[test]
    fn emit_refuses_what_would_not_parse_back() {
        let ctx = EmitContext::default();
        let mut buf = [0u8; 64];
        let bad = Igmp::V2(IgmpV2::new(IgmpType::REPORT_V3, 0, ip(225, 0, 0, 1)));
        assert!(matches!(
            bad.emit(&mut buf, &ctx),
            Err(Error::Unencodable {
                what: "msgtype",
                ..
            })
        ));
        let mut q = IgmpV2::new(IgmpType::QUERY, 100, Ipv4Addr::UNSPECIFIED);
        q.additional = vec![0; 4];
        assert!(Igmp::V2(q).emit(&mut buf, &ctx).is_err());
        let q = IgmpV3Query {
            qrv: 8,
            ..IgmpV3Query::default()
        };
        assert!(Igmp::V3Query(q).emit(&mut buf, &ctx).is_err());
        let q = IgmpV3Query {
            resv: 16,
            ..IgmpV3Query::default()
        };
        assert!(Igmp::V3Query(q).emit(&mut buf, &ctx).is_err());
        let mut rec = GroupRecord::new(RecordType::IS_IN, ip(225, 0, 0, 1), vec![]);
        rec.aux = vec![0; 1024];
        let r = Igmp::v3_report(vec![rec]);
        let mut big = vec![0u8; r.header_len()];
        assert!(matches!(
            r.emit(&mut big, &ctx),
            Err(Error::Unencodable {
                what: "aux_len",
                ..
            })
        ));
        // Too small a buffer.
        assert!(Igmp::v2_report(ip(225, 0, 0, 1))
            .emit(&mut buf[..7], &ctx)
            .is_err());
    }

    #[test]
    fn explicit_fields_are_written_as_they_are() {
        let mut rec = GroupRecord::new(RecordType::IS_IN, ip(225, 0, 0, 1), vec![ip(10, 0, 0, 1)]);
        rec.num = Some(7);
        rec.aux_len = Some(0);
        rec.aux = b"xy".to_vec();
        let mut r = IgmpV3Report::new(vec![rec]);
        r.csum = Some(0x1234);
        r.record_num = Some(9);
        r.reserved1 = 1;
        r.reserved2 = 2;
        let out = emit(&Igmp::V3Report(r));
        assert_eq!(
            out,
            h("2201123400020009010000 07e10000010a0000017879 0000"
                .replace(' ', "")
                .as_str())
        );
    }

    #[test]
    fn checksum_covers_what_follows() {
        // A payload after the IGMP message (inside the IP payload) is covered by the checksum.
        let m = Igmp::v2_report(ip(225, 0, 0, 1));
        let mut buf = vec![0u8; 12];
        buf[8..].copy_from_slice(b"tail");
        m.emit(&mut buf, &EmitContext::default()).unwrap();
        assert_eq!(checksum::checksum(&buf), 0);
        assert_eq!(&buf[8..], b"tail");
    }

    #[test]
    fn clear_computed_after_editing() {
        let mut m = Igmp::parse(&h(V3_REPORT_6)).unwrap();
        if let Igmp::V3Report(r) = &mut m {
            r.records.truncate(2);
            r.records[0].srcs.push(ip(10, 0, 0, 9));
            r.records[1].aux = vec![1, 2, 3, 4];
        }
        m.clear_computed();
        let out = emit(&m);
        let v = IgmpView::parse(&out[..]).unwrap();
        v.verify_checksum().unwrap();
        assert_eq!(v.num_group_records(), 2);
        let recs: Vec<_> = v.group_records().map(Result::unwrap).collect();
        assert_eq!(recs[0].num_sources(), 3);
        assert_eq!(recs[1].aux_data(), [1, 2, 3, 4]);
        let mut q = Igmp::parse(&h(V3_GROUP_SOURCE_QUERY)).unwrap();
        if let Igmp::V3Query(q) = &mut q {
            q.srcs.pop();
        }
        q.clear_computed();
        let out = emit(&q);
        assert_eq!(IgmpView::parse(&out[..]).unwrap().num_sources(), 1);
    }

    #[test]
    fn debug_names() {
        assert_eq!(alloc::format!("{:?}", IgmpType::LEAVE), "IgmpType::LEAVE");
        assert_eq!(alloc::format!("{:?}", IgmpType(0x30)), "IgmpType(0x30)");
        assert_eq!(
            alloc::format!("{:?}", RecordType::TO_EX),
            "RecordType::TO_EX"
        );
        assert_eq!(alloc::format!("{:?}", RecordType(9)), "RecordType(9)");
        assert_eq!(MessageKind::ReportV3.version(), Some(3));
        assert!(MessageKind::QueryV1.is_query());
        assert_eq!(MessageKind::Unknown.version(), None);
    }

    #[test]
    fn layer_access() {
        let layer: Layer = Igmp::v2_report(ip(225, 0, 0, 1)).into();
        assert_eq!(layer.get::<Igmp>().unwrap().group(), Some(ip(225, 0, 0, 1)));
        assert_eq!(layer.header_len(), 8);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_json_shape() {
        let m = Igmp::parse(&h(V3_GROUP_SOURCE_QUERY)).unwrap();
        let j = serde_json::to_value(&m).unwrap();
        // Shaped like os-ken's to_jsondict(): class name, then its attributes.
        assert_eq!(j["igmpv3_query"]["address"], "232.1.1.1");
        assert_eq!(j["igmpv3_query"]["srcs"][1], "10.1.1.2");
        assert_eq!(j["igmpv3_query"]["csum"], 58734);
        assert_eq!(serde_json::from_value::<Igmp>(j).unwrap(), m);
        let r = Igmp::parse(&h(V3_REPORT_6)).unwrap();
        let j = serde_json::to_value(&r).unwrap();
        assert_eq!(j["igmpv3_report"]["records"][4]["type_"], 5);
        assert_eq!(serde_json::from_value::<Igmp>(j).unwrap(), r);
    }

    // ---- whole frames through Packet::parse / PacketView ----

    use crate::ipv4::{Ipv4, FLAG_DF};
    use crate::{Ethernet, MacAddr, Packet, PacketView};

    // Real captures from gopacket's layers/igmp_test.go (tcpdump hex dumps, Ethernet padding
    // included), the IGMP bytes of which are the GP_* fixtures above.
    const GP_V1_REPORT_FRAME: &str = "01005e00013c0030c1bf5755080045000 01c6a7f000001026365\
        0a3c0084e000013c12000cc3e000013c000000000000ffffffffffff045200000000";
    const GP_V2_QUERY_FRAME: &str = "01005e0000010001636fc800080045c0001c01530000010 2ccd30a3c00bd\
        e00000011164ee9b0000000000000000000000000000000000000000000000000000";
    const GP_V2_REPORT_FRAME: &str =
        "01005e7ffffd001558dcd9f60800460000 2079f00000010 2ab470a3c0567\
        effffffd940400001600fa01effffffd000000000000000000000000000000000000";
    const GP_V3_QUERY_FRAME: &str = "01005e00000100264 46c1eda080046c0002417f140000102297bc0a801fe\
        e00000019404000011 18ecd300000000021400000000000000000000000000000000";
    const GP_V3_REPORT_FRAME: &str =
        "01005e000016002 52e51c381080046580030013c000001028133c0a80142\
        e0000016940400002200f33c0000000202000000efc3070202000000effffffa";

    fn frame(s: &str) -> Vec<u8> {
        h(&s.replace(' ', ""))
    }

    /// The IPv4 header a Linux host puts in front of IGMP: TOS 0xc0, DF, TTL 1, Router Alert.
    fn igmp_ip(src: Ipv4Addr, dst: Ipv4Addr) -> Ipv4 {
        let mut ip = Ipv4::new(src, dst);
        ip.tos = 0xc0;
        ip.flags = FLAG_DF;
        ip.ttl = 1;
        ip.option = vec![0x94, 0x04, 0x00, 0x00];
        ip
    }

    #[test]
    fn ryu_book_frames() {
        let host = MacAddr::new(0, 0, 0, 0, 0, 2);
        for (hex, msg, dst) in [
            (
                RYU_V2_REPORT_FRAME,
                Igmp::v2_report(ip(225, 0, 0, 1)),
                ip(225, 0, 0, 1),
            ),
            (
                RYU_V2_LEAVE_FRAME,
                Igmp::v2_leave(ip(225, 0, 0, 1)),
                ALL_ROUTERS,
            ),
        ] {
            let mut wire = h(hex);
            wire.resize(60, 0);
            let pkt = Packet::parse(&wire).unwrap();
            assert_eq!(pkt.layers.len(), 3);
            let got = pkt.get::<Igmp>().unwrap();
            assert_eq!(got.group(), Some(ip(225, 0, 0, 1)));
            assert!(pkt.payload.is_empty());
            assert_eq!(pkt.trailer, [0; 14]);
            assert_eq!(pkt.to_vec().unwrap(), wire);
            assert_eq!(msg.ip_destination(), Some(dst));

            let built = Ethernet::new(MacAddr::from_ipv4_multicast(dst), host)
                / igmp_ip(ip(10, 0, 0, 2), dst)
                / msg;
            assert_eq!(built.with_min_len(60).to_vec().unwrap(), wire);

            let view = PacketView::parse(&wire).unwrap();
            let igmp = IgmpView::parse(view.bytes(LayerKind::Igmp).unwrap()).unwrap();
            igmp.verify_checksum().unwrap();
            assert_eq!(igmp.group_address(), ip(225, 0, 0, 1));
        }
        let mut wire = h(RYU_V2_REPORT_FRAME);
        wire.resize(60, 0);
        let pkt = Packet::parse(&wire).unwrap();
        // os-ken 2.x: str(packet.Packet(frame)), without the padding os-ken does not print.
        assert_eq!(
            pkt.to_string(),
            "ethernet(dst='01:00:5e:00:00:01',ethertype=2048,src='00:00:00:00:00:02'), \
             ipv4(csum=63764,dst='225.0.0.1',flags=2,header_length=6,identification=0,offset=0,\
             option=b'\\x94\\x04\\x00\\x00',proto=2,src='10.0.0.2',tos=192,total_length=32,ttl=1,version=4), \
             igmp(address='225.0.0.1',csum=2302,maxresp=0,msgtype=22), \
             b'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00'"
        );
    }

    #[test]
    fn captured_frames() {
        for (hex, igmp, kind) in [
            (GP_V1_REPORT_FRAME, GP_V1_REPORT, MessageKind::ReportV1),
            (GP_V2_QUERY_FRAME, GP_V2_QUERY, MessageKind::QueryV2),
            (GP_V2_REPORT_FRAME, GP_V2_REPORT, MessageKind::ReportV2),
            (GP_V3_QUERY_FRAME, GP_V3_QUERY, MessageKind::QueryV3),
            (GP_V3_REPORT_FRAME, GP_V3_REPORT, MessageKind::ReportV3),
        ] {
            let wire = frame(hex);
            let pkt = Packet::parse(&wire).unwrap();
            let m = pkt.get::<Igmp>().unwrap();
            assert_eq!(m.kind(), kind, "{hex}");
            assert_eq!(*m, Igmp::parse(&h(igmp)).unwrap());
            assert!(pkt.payload.is_empty());
            assert_eq!(pkt.to_vec().unwrap(), wire);
            let view = PacketView::parse(&wire).unwrap();
            let span = view.span(LayerKind::Igmp).unwrap();
            assert_eq!(span.header_len, igmp.len() / 2);
            assert_eq!(view.trailer().len(), wire.len() - span.end);
        }
    }

    #[test]
    fn frames_with_bad_counts_and_additional_data() {
        // A v3 query whose number of sources runs past the IPv4 payload: the error offset
        // counts from the frame's first byte (14 Ethernet + 24 IPv4 + 10).
        let mut wire = frame(GP_V3_QUERY_FRAME);
        wire[38 + 11] = 1;
        let e = Packet::parse(&wire).unwrap_err();
        assert!(
            matches!(
                e,
                Error::BadLength {
                    layer: LayerKind::Igmp,
                    offset: 48,
                    ..
                }
            ),
            "{e}"
        );
        let (partial, err) = Packet::parse_partial(&wire);
        assert!(err.is_some());
        assert_eq!(partial.layers.len(), 2);
        assert_eq!(partial.to_vec().unwrap(), wire);

        // A v2 report with 4 bytes of additional data inside the IPv4 payload: the IGMP layer
        // keeps them (its checksum covers them), and the frame serializes back unchanged.
        let mut igmp = h(GP_V2_REPORT);
        igmp.extend_from_slice(&[1, 2, 3, 4]);
        IgmpView::parse(&mut igmp[..]).unwrap().fill_checksum();
        let mut ip = igmp_ip(ip(10, 0, 0, 2), ip(239, 255, 255, 253));
        ip.proto = Some(crate::IpProtocol::IGMP);
        let wire = (Ethernet::new(MacAddr::BROADCAST, MacAddr::new(0, 0, 0, 0, 0, 2)) / ip)
            .with_payload(igmp.clone())
            .to_vec()
            .unwrap();
        let pkt = Packet::parse(&wire).unwrap();
        assert_eq!(pkt.get::<Igmp>().unwrap().kind(), MessageKind::ReportV2);
        let Some(Igmp::V2(inner)) = pkt.get::<Igmp>() else {
            panic!("{pkt}")
        };
        assert_eq!(inner.additional, [1, 2, 3, 4]);
        assert!(pkt.trailer.is_empty());
        assert_eq!(pkt.to_vec().unwrap(), wire);
        // Rebuilt with the checksum left to the serializer, it covers the additional bytes.
        let mut rebuilt = pkt.clone();
        if let Some(Igmp::V2(m)) = rebuilt.get_mut::<Igmp>() {
            m.csum = None;
        }
        assert_eq!(rebuilt.to_vec().unwrap(), wire);
        // The view over the whole IPv4 payload sees the additional data and checks the
        // checksum over all of it, as the RFCs say.
        let view = PacketView::parse(&wire).unwrap();
        let payload = view.ipv4().unwrap().payload().to_vec();
        let v = IgmpView::parse(&payload[..]).unwrap();
        assert_eq!(v.additional_data(), [1, 2, 3, 4]);
        v.verify_checksum().unwrap();
    }

    // ---- property tests ----

    fn addr() -> impl Strategy<Value = Ipv4Addr> {
        any::<[u8; 4]>().prop_map(Ipv4Addr::from)
    }

    fn words(max: usize) -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(any::<[u8; 4]>(), 0..max).prop_map(|w| w.concat())
    }

    fn record() -> impl Strategy<Value = GroupRecord> {
        (
            any::<u8>(),
            addr(),
            prop::collection::vec(addr(), 0..4),
            words(3),
        )
            .prop_map(|(t, a, srcs, aux)| GroupRecord {
                type_: RecordType(t),
                aux_len: None,
                num: None,
                address: a,
                srcs,
                aux,
            })
    }

    fn message() -> impl Strategy<Value = Igmp> {
        let v2 = (
            prop::sample::select(vec![0x11u8, 0x12, 0x16, 0x17]),
            any::<u8>(),
            addr(),
            prop::collection::vec(any::<u8>(), 0..8),
        )
            .prop_map(|(t, code, a, add)| {
                let additional = if t == 0x11 { Vec::new() } else { add };
                Igmp::V2(IgmpV2 {
                    msgtype: IgmpType(t),
                    maxresp: code,
                    csum: None,
                    address: a,
                    additional,
                })
            });
        let q = (
            any::<u8>(),
            addr(),
            0u8..16,
            any::<bool>(),
            0u8..8,
            any::<u8>(),
            prop::collection::vec(addr(), 0..6),
            prop::collection::vec(any::<u8>(), 0..8),
        )
            .prop_map(
                |(maxresp, address, resv, s_flg, qrv, qqic, srcs, additional)| {
                    Igmp::V3Query(IgmpV3Query {
                        maxresp,
                        csum: None,
                        address,
                        resv,
                        s_flg,
                        qrv,
                        qqic,
                        num: None,
                        srcs,
                        additional,
                    })
                },
            );
        let r = (
            any::<u8>(),
            any::<u16>(),
            prop::collection::vec(record(), 0..5),
            prop::collection::vec(any::<u8>(), 0..8),
        )
            .prop_map(|(reserved1, reserved2, records, additional)| {
                Igmp::V3Report(IgmpV3Report {
                    csum: None,
                    reserved1,
                    reserved2,
                    record_num: None,
                    records,
                    additional,
                })
            });
        let u = (
            any::<u8>().prop_filter("unknown type", |t| {
                !matches!(t, 0x11 | 0x12 | 0x16 | 0x17 | 0x22)
            }),
            any::<u8>(),
            prop::collection::vec(any::<u8>(), 0..16),
        )
            .prop_map(|(t, code, data)| {
                Igmp::Unknown(IgmpUnknown {
                    msgtype: IgmpType(t),
                    maxresp: code,
                    csum: None,
                    data,
                })
            });
        prop_oneof![v2, q, r, u]
    }

    /// Exercises every accessor of a checked view (none may panic).
    fn touch(v: &IgmpView<&[u8]>) {
        let _ = (
            v.msg_type(),
            v.kind(),
            v.max_resp_code(),
            v.max_resp_time(),
            v.checksum(),
        );
        let _ = (
            v.compute_checksum(),
            v.verify_checksum(),
            v.group_address(),
            v.query_reserved(),
        );
        let _ = (
            v.s_flag(),
            v.qrv(),
            v.qqic(),
            v.qqi(),
            v.report_reserved(),
            v.message(),
        );
        let _ = v.additional_data();
        assert!(v.sources().all(|s| s.is_ok()));
        for r in v.group_records() {
            let r = r.unwrap();
            let _ = (
                r.record_type(),
                r.aux_data_len(),
                r.multicast_address(),
                r.aux_data(),
            );
            assert!(r.sources().all(|s| s.is_ok()));
        }
    }

    fn bytes_strategy() -> impl Strategy<Value = Vec<u8>> {
        (
            prop::sample::select(vec![0x11u8, 0x12, 0x16, 0x17, 0x22, 0x13]),
            prop::collection::vec(any::<u8>(), 0..64),
        )
            .prop_map(|(t, mut b)| {
                if let Some(first) = b.first_mut() {
                    *first = t;
                }
                b
            })
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_round_trip(b in bytes_strategy()) {
            let step = step_igmp(&b);
            if let Ok(m) = Igmp::parse(&b) {
                prop_assert_eq!(emit(&m), b.clone());
                let v = IgmpView::parse(&b[..]).unwrap();
                touch(&v);
                let st = step.unwrap();
                prop_assert_eq!(st.end, b.len());
                prop_assert!(v.message_len() <= st.end);
                prop_assert!(st.header_len <= st.end && st.end <= b.len());
                let inner = Igmp::parse(&b[..st.end]).unwrap();
                prop_assert_eq!(emit(&inner), b[..st.end].to_vec());
            } else {
                prop_assert!(step.is_err());
            }
        }

        #[test]
        fn generated_messages_round_trip(m in message(), csum in any::<Option<u16>>()) {
            let bytes = emit(&m);
            let v = IgmpView::parse(&bytes[..]).unwrap();
            touch(&v);
            v.verify_checksum().unwrap();
            prop_assert_eq!(v.message_len() + v.additional_data().len(), bytes.len());
            let mut back = Igmp::parse(&bytes).unwrap();
            prop_assert_eq!(emit(&back), bytes.clone());
            back.clear_computed();
            prop_assert_eq!(&back, &m);
            prop_assert_eq!(back.kind(), m.kind());
            // An explicit checksum is written as it is.
            let mut with = m.clone();
            match &mut with {
                Igmp::V2(x) => x.csum = csum,
                Igmp::V3Query(x) => x.csum = csum,
                Igmp::V3Report(x) => x.csum = csum,
                Igmp::Unknown(x) => x.csum = csum,
            }
            let out = emit(&with);
            prop_assert_eq!(be16(&out, 2), csum.unwrap_or(be16(&bytes, 2)));
        }

        #[test]
        fn mutated_messages_never_panic(m in message(), at in any::<usize>(), x in any::<u8>(), cut in any::<usize>()) {
            let mut bytes = emit(&m);
            let n = bytes.len();
            if let Some(b) = bytes.get_mut(at % n) {
                *b ^= x;
            }
            bytes.truncate(cut % (n + 1));
            if let Ok(v) = IgmpView::parse(&bytes[..]) {
                touch(&v);
                prop_assert_eq!(emit(&Igmp::parse(&bytes).unwrap()), bytes.clone());
            }
        }
    }
}
