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

use crate::bytes::{be16, put16, put_bytes, slice, tail, wire_struct, U16};
use crate::checksum;
use crate::encode::{room, Encode};
use crate::error::{need, Error, LayerKind, Result};
use crate::layer::{emit_room, EmitContext, Next, Protocol, Step};
use crate::notation::{List, Opt, PyBytes, Quoted};
use crate::stack::Layer;
use crate::wire::FixedLayout;

const LAYER: LayerKind = LayerKind::Igmp;

mod query;
mod report;
mod timecode;

pub use query::*;
pub use report::*;
pub use timecode::*;

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

crate::notation::open_newtype_from!(IgmpType(u8));

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

crate::notation::open_newtype_from!(RecordType(u8));

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
// Length checks

/// Bytes of the group record at `off` in `buf`, with its counts checked against `buf`.
fn record_len(buf: &[u8], off: usize) -> Result<usize> {
    record_at(buf, off).map(|(_, len)| len)
}

/// The header of the group record at `off` in `buf` and the record's length, its counts
/// checked against `buf`.
pub(super) fn record_at(buf: &[u8], off: usize) -> Result<(&RecordHeader, usize)> {
    let h = RecordHeader::at(LAYER, buf, off, "group record")?;
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
    Ok((h, end - off))
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
    /// field (0.0.0.0 is returned); for an unknown type it is whatever bytes 4–8 hold
    /// (0.0.0.0 when the message is shorter than 8 bytes).
    pub fn group_address(&self) -> Ipv4Addr {
        if self.kind() == MessageKind::ReportV3 {
            return Ipv4Addr::UNSPECIFIED;
        }
        Header::ref_from_front(self.buf())
            .map_or(Ipv4Addr::UNSPECIFIED, |(h, _)| Ipv4Addr::from(h.group))
    }

    fn query_ext(&self) -> Option<&QueryExt> {
        // `parse` made a v3 query at least 12 bytes long: the read cannot fail on one.
        (self.kind() == MessageKind::QueryV3)
            .then(|| QueryExt::at(LAYER, self.buf(), field::FLAGS, "query").ok())
            .flatten()
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
        self.report_header().map_or(0, |h| h.reserved2.get())
    }

    /// The v3 report header (`parse` made a v3 report at least 8 bytes long: the read cannot
    /// fail on one).
    fn report_header(&self) -> Option<&ReportHeader> {
        (self.kind() == MessageKind::ReportV3)
            .then(|| ReportHeader::at(LAYER, self.buf(), 0, "header").ok())
            .flatten()
    }

    /// IGMPv3 report: the Number of Group Records (0 otherwise).
    pub fn num_group_records(&self) -> u16 {
        self.report_header().map_or(0, |h| h.num_records.get())
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

// ---------------------------------------------------------------------------------------------
// Owned representations

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
        // Every kind but `Unknown` is at least the 8-byte header long (`parse` checked it), so
        // the checked reads below succeed on every view; a view too short for its kind's header
        // decodes as `Unknown`, its bytes kept.
        let head = Header::at(LAYER, buf, 0, "header").ok();
        let report = v.report_header();
        match (v.kind(), head, report) {
            (
                MessageKind::QueryV1
                | MessageKind::QueryV2
                | MessageKind::ReportV1
                | MessageKind::ReportV2
                | MessageKind::LeaveV2,
                Some(h),
                _,
            ) => Igmp::V2(IgmpV2 {
                msgtype: IgmpType(h.msg_type),
                maxresp: h.code,
                csum: Some(h.checksum.get()),
                address: Ipv4Addr::from(h.group),
                additional: v.additional_data().to_vec(),
            }),
            (MessageKind::QueryV3, Some(h), _) => {
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
            (MessageKind::ReportV3, _, Some(rh)) => {
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
            _ => Igmp::Unknown(IgmpUnknown {
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

/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for IgmpView<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}
#[cfg(test)]
mod tests;
