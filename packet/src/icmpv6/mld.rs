//! Multicast Listener Discovery bodies: MLDv1 (RFC 2710) and MLDv2 (RFC 3810).

use super::*;
use crate::bytes::{wire_struct, U16};

/// MLDv1 query, report or done body (Ryu's `mld`), RFC 2710 §3.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mld {
    /// Maximum response delay in milliseconds (queries only).
    pub maxresp: u16,
    /// The reserved 16 bits.
    pub reserved: u16,
    /// Multicast address (`::` in a general query).
    pub address: Ipv6Addr,
}

/// MLDv2 query body (Ryu's `mldv2_query`), RFC 3810 §5.1.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mldv2Query {
    /// Maximum response code (see [`Mldv2Query::max_resp_delay_ms`]).
    pub maxresp: u16,
    /// The reserved 16 bits after it.
    pub reserved: u16,
    /// Multicast address (`::` in a general query).
    pub address: Ipv6Addr,
    /// The reserved 4 bits in front of the S flag.
    pub resv: u8,
    /// S flag: suppress router-side processing.
    pub s_flg: bool,
    /// Querier's robustness variable (3 bits).
    pub qrv: u8,
    /// Querier's query interval code.
    pub qqic: u8,
    /// Number of sources; `None` counts `srcs`.
    pub num: Option<u16>,
    /// Source addresses.
    pub srcs: Vec<Ipv6Addr>,
    /// Bytes after the sources (RFC 3810 §5.1.12: ignored, but covered by the checksum).
    pub trailing: Vec<u8>,
}

/// Decodes MLDv2's 16-bit floating-point code (RFC 3810 §5.1.3).
pub(super) fn mld_code16(code: u16) -> u32 {
    if code < 0x8000 {
        u32::from(code)
    } else {
        let exp = (code >> 12) & 7;
        let mant = code & 0x0fff;
        (u32::from(mant) | 0x1000) << (exp + 3)
    }
}

impl Mldv2Query {
    /// A general query (address `::`, no sources), QRV 2, query interval 125 s.
    pub fn general(maxresp: u16) -> Self {
        Mldv2Query {
            maxresp,
            reserved: 0,
            address: Ipv6Addr::UNSPECIFIED,
            resv: 0,
            s_flg: false,
            qrv: 2,
            qqic: 125,
            num: None,
            srcs: Vec::new(),
            trailing: Vec::new(),
        }
    }

    /// The maximum response delay in milliseconds that `maxresp` encodes.
    pub fn max_resp_delay_ms(&self) -> u32 {
        mld_code16(self.maxresp)
    }

    /// The querier's query interval in seconds that `qqic` encodes (RFC 3810 §5.1.9).
    pub fn qqi_secs(&self) -> u32 {
        if self.qqic < 0x80 {
            u32::from(self.qqic)
        } else {
            (u32::from(self.qqic & 0x0f) | 0x10) << (((self.qqic >> 4) & 7) + 3)
        }
    }

    pub(super) fn len(&self) -> usize {
        24 + 16 * self.srcs.len() + self.trailing.len()
    }
}

/// One multicast address record of an MLDv2 report (Ryu's `mldv2_report_group`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mldv2ReportGroup {
    /// Record type ([`Mldv2ReportGroup::MODE_IS_INCLUDE`], ...).
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub type_: u8,
    /// Auxiliary data length in 32-bit words; `None` computes it from `aux`.
    pub aux_len: Option<u8>,
    /// Number of sources; `None` counts `srcs`.
    pub num: Option<u16>,
    /// Multicast address.
    pub address: Ipv6Addr,
    /// Source addresses.
    pub srcs: Vec<Ipv6Addr>,
    /// Auxiliary data.
    pub aux: Vec<u8>,
}

impl Mldv2ReportGroup {
    /// MODE_IS_INCLUDE.
    pub const MODE_IS_INCLUDE: u8 = 1;
    /// MODE_IS_EXCLUDE.
    pub const MODE_IS_EXCLUDE: u8 = 2;
    /// CHANGE_TO_INCLUDE_MODE.
    pub const CHANGE_TO_INCLUDE_MODE: u8 = 3;
    /// CHANGE_TO_EXCLUDE_MODE.
    pub const CHANGE_TO_EXCLUDE_MODE: u8 = 4;
    /// ALLOW_NEW_SOURCES.
    pub const ALLOW_NEW_SOURCES: u8 = 5;
    /// BLOCK_OLD_SOURCES.
    pub const BLOCK_OLD_SOURCES: u8 = 6;

    /// A record of `type_` for `address` with `srcs`, counts computed.
    pub fn new(type_: u8, address: Ipv6Addr, srcs: Vec<Ipv6Addr>) -> Self {
        Mldv2ReportGroup {
            type_,
            aux_len: None,
            num: None,
            address,
            srcs,
            aux: Vec::new(),
        }
    }

    pub(super) fn len(&self) -> usize {
        20 + 16 * self.srcs.len() + self.aux.len()
    }
}

/// MLDv2 report body (Ryu's `mldv2_report`), RFC 3810 §5.2.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mldv2Report {
    /// The reserved 16 bits.
    pub reserved: u16,
    /// Number of records; `None` counts `records`.
    pub record_num: Option<u16>,
    /// Multicast address records.
    pub records: Vec<Mldv2ReportGroup>,
    /// Bytes after the last record.
    pub trailing: Vec<u8>,
}

impl Mldv2Report {
    pub(super) fn len(&self) -> usize {
        4 + self
            .records
            .iter()
            .map(Mldv2ReportGroup::len)
            .sum::<usize>()
            + self.trailing.len()
    }
}

/// Checks an MLDv2 query's source count; returns where the sources end.
pub(super) fn check_mldv2_query(msg: &[u8]) -> Result<usize> {
    let num = be16(msg, 26);
    let srcs_end = 28 + 16 * usize::from(num);
    if srcs_end > msg.len() {
        return Err(Error::BadLength {
            layer: L,
            offset: 26,
            field: "num",
            value: usize::from(num),
            reason: "more sources than the message holds",
        });
    }
    Ok(srcs_end)
}

pub(super) fn parse_mldv2_query(msg: &[u8]) -> Result<Mldv2Query> {
    let num = be16(msg, 26);
    let srcs_end = check_mldv2_query(msg)?;
    let flags = byte(msg, 24);
    Ok(Mldv2Query {
        maxresp: be16(msg, 4),
        reserved: be16(msg, 6),
        address: addr(msg, 8),
        resv: flags >> 4,
        s_flg: flags & 0x08 != 0,
        qrv: flags & 0x07,
        qqic: byte(msg, 25),
        num: Some(num),
        srcs: addrs(msg, 28, usize::from(num)),
        trailing: tail(msg, srcs_end).to_vec(),
    })
}

wire_struct! {
    /// The fixed 20 bytes of an MLDv2 multicast address record (RFC 3810 §5.2.4).
    pub(crate) struct RecordHead {
        record_type: u8,
        aux_len: u8,
        num: U16,
        address: [u8; 16],
    }
}

/// Offset of the Nr of Mcast Address Records field of an MLDv2 report.
const RECORD_NUM: usize = 6;
/// Where the first record of an MLDv2 report starts.
const RECORDS: usize = 8;

/// The record at `off` of the MLDv2 report `msg` (one of `record_num`), its counts checked:
/// its fixed head, where its sources end and where it ends.
fn record_at(msg: &[u8], off: usize, record_num: u16) -> Result<(&RecordHead, usize, usize)> {
    if off == msg.len() {
        return Err(Error::BadLength {
            layer: L,
            offset: RECORD_NUM,
            field: "record_num",
            value: usize::from(record_num),
            reason: "more records than the message holds",
        });
    }
    let h = RecordHead::at(L, msg, off, "multicast address record")?;
    let num = h.num.get();
    let srcs_end = off + RecordHead::LEN + 16 * usize::from(num);
    if srcs_end > msg.len() {
        return Err(Error::BadLength {
            layer: L,
            offset: off + 2,
            field: "num",
            value: usize::from(num),
            reason: "more sources than the message holds",
        });
    }
    let end = srcs_end + 4 * usize::from(h.aux_len);
    if end > msg.len() {
        return Err(Error::BadLength {
            layer: L,
            offset: off + 1,
            field: "aux_len",
            value: usize::from(h.aux_len),
            reason: "auxiliary data runs past the end of the message",
        });
    }
    Ok((h, srcs_end, end))
}

/// Walks the records of an MLDv2 report, checking every count and length, and hands each
/// record's offset, sources end and end to `each`. Returns where the records end. Allocates
/// nothing.
pub(super) fn walk_mldv2_report(
    msg: &[u8],
    mut each: impl FnMut(usize, usize, usize),
) -> Result<usize> {
    need(L, msg, 0, RECORDS, "MLDv2 report header")?;
    let record_num = be16(msg, RECORD_NUM);
    let mut off = RECORDS;
    for _ in 0..record_num {
        let (_, srcs_end, end) = record_at(msg, off, record_num)?;
        each(off, srcs_end, end);
        off = end;
    }
    Ok(off)
}

/// The multicast address records of an MLDv2 report, as
/// [`Icmpv6View::mldv2_records`](super::Icmpv6View::mldv2_records) gives them: each record
/// checked as [`Icmpv6::parse`](super::Icmpv6::parse) checks it; the first record that does
/// not fit (a source count or auxiliary length past the end, fewer records than the header
/// counts) is an `Err` with its offset in the message, after which the iterator ends.
/// Allocates nothing.
#[derive(Debug, Clone)]
pub struct Mldv2Records<'a> {
    msg: &'a [u8],
    off: usize,
    record_num: u16,
    remaining: u16,
}

impl<'a> Mldv2Records<'a> {
    /// The records of `msg`, a whole MLDv2 report at least 8 bytes long.
    pub(super) fn new(msg: &'a [u8]) -> Self {
        let record_num = be16(msg, RECORD_NUM);
        Mldv2Records {
            msg,
            off: RECORDS,
            record_num,
            remaining: record_num,
        }
    }

    /// Where the records end, once every record has been read (the report's trailing bytes
    /// start there).
    pub fn offset(&self) -> usize {
        self.off
    }
}

impl<'a> Iterator for Mldv2Records<'a> {
    type Item = Result<Mldv2RecordView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        crate::bytes::next_counted(&mut self.remaining, || {
            let (h, srcs_end, end) = record_at(self.msg, self.off, self.record_num)?;
            let r = Mldv2RecordView {
                h,
                sources: slice(self.msg, self.off + RecordHead::LEN, srcs_end),
                aux: slice(self.msg, srcs_end, end),
                offset: self.off,
            };
            self.off = end;
            Ok(r)
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(usize::from(self.remaining)))
    }
}

impl core::iter::FusedIterator for Mldv2Records<'_> {}

/// One multicast address record of an MLDv2 report (RFC 3810 §5.2.4), borrowed: what
/// [`Mldv2Records`] yields. Its lengths are checked; accessors read plain values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mldv2RecordView<'a> {
    h: &'a RecordHead,
    sources: &'a [u8],
    aux: &'a [u8],
    offset: usize,
}

impl<'a> Mldv2RecordView<'a> {
    /// Record type ([`Mldv2ReportGroup::MODE_IS_INCLUDE`], ...).
    pub fn record_type(&self) -> u8 {
        self.h.record_type
    }

    /// Auxiliary data length, in 32-bit words.
    pub fn aux_len(&self) -> u8 {
        self.h.aux_len
    }

    /// Number of sources.
    pub fn num_sources(&self) -> u16 {
        self.h.num.get()
    }

    /// The multicast address.
    pub fn address(&self) -> Ipv6Addr {
        Ipv6Addr::from(self.h.address)
    }

    /// The source addresses (as many as [`num_sources`](Self::num_sources) says).
    pub fn sources(&self) -> impl ExactSizeIterator<Item = Ipv6Addr> + Clone + 'a {
        self.sources
            .chunks_exact(16)
            .map(|c| Ipv6Addr::from(c.first_chunk::<16>().copied().unwrap_or_default()))
    }

    /// The auxiliary data.
    pub fn aux(&self) -> &'a [u8] {
        self.aux
    }

    /// Offset of the record in the ICMPv6 message.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The record's length in bytes: 20, the sources and the auxiliary data.
    pub fn record_len(&self) -> usize {
        RecordHead::LEN + self.sources.len() + self.aux.len()
    }

    /// The owned record, counts kept as found.
    pub fn decode(&self) -> Mldv2ReportGroup {
        Mldv2ReportGroup {
            type_: self.record_type(),
            aux_len: Some(self.aux_len()),
            num: Some(self.num_sources()),
            address: self.address(),
            srcs: self.sources().collect(),
            aux: self.aux.to_vec(),
        }
    }
}

/// What the decoded value prints.
impl fmt::Display for Mldv2RecordView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

pub(super) fn parse_mldv2_report(msg: &[u8]) -> Result<Mldv2Report> {
    need(L, msg, 0, RECORDS, "MLDv2 report header")?;
    let mut it = Mldv2Records::new(msg);
    let mut records = Vec::new();
    for r in it.by_ref() {
        records.push(r?.decode());
    }
    Ok(Mldv2Report {
        reserved: be16(msg, 4),
        record_num: Some(be16(msg, RECORD_NUM)),
        records,
        trailing: tail(msg, it.offset()).to_vec(),
    })
}

impl fmt::Display for Mld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mld(address={},maxresp={})",
            Quoted(self.address),
            self.maxresp
        )
    }
}

impl fmt::Display for Mldv2Query {
    /// Ryu's attributes; the reserved bits and trailing bytes are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mldv2_query(address={},maxresp={},num={},qqic={},qrv={},s_flg={},srcs={})",
            Quoted(self.address),
            self.maxresp,
            Opt(self.num),
            self.qqic,
            self.qrv,
            u8::from(self.s_flg),
            AddrList(&self.srcs)
        )
    }
}

impl fmt::Display for Mldv2ReportGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mldv2_report_group(address={},aux={},aux_len={},num={},srcs={},type_={})",
            Quoted(self.address),
            BytesOrNone(&self.aux),
            Opt(self.aux_len),
            Opt(self.num),
            AddrList(&self.srcs),
            self.type_
        )
    }
}

impl fmt::Display for Mldv2Report {
    /// Ryu's attributes; the reserved bits and trailing bytes are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mldv2_report(record_num={},records={})",
            Opt(self.record_num),
            List(&self.records)
        )
    }
}
