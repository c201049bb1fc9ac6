//! IGMPv3 membership reports (RFC 3376 §4.2): group records and their sources.

use super::*;

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
    pub(super) fn new(data: &'a [u8], base: usize, count: u16) -> Self {
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
    pub(super) buf: &'a [u8],
    pub(super) offset: usize,
    pub(super) remaining: u16,
}

impl<'a> Iterator for GroupRecords<'a> {
    type Item = Result<GroupRecordView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        crate::bytes::next_counted(&mut self.remaining, || {
            let (h, len) = record_at(self.buf, self.offset)?;
            let end = self.offset + len;
            let r = GroupRecordView {
                h,
                bytes: slice(self.buf, self.offset, end),
                offset: self.offset,
            };
            self.offset = end;
            Ok(r)
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(usize::from(self.remaining)))
    }
}

impl FusedIterator for GroupRecords<'_> {}

/// A checked, zero-copy view of one IGMPv3 group record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupRecordView<'a> {
    /// The record's fixed header, read (checked) by the constructor.
    h: &'a RecordHeader,
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> GroupRecordView<'a> {
    /// Length of a record without sources or auxiliary data.
    pub const HEADER_LEN: usize = 8;

    /// The group record at the front of `buf` (bytes after it are ignored), its counts checked.
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        let (h, len) = record_at(buf, 0)?;
        Ok(GroupRecordView {
            h,
            bytes: slice(buf, 0, len),
            offset: 0,
        })
    }

    fn h(&self) -> &'a RecordHeader {
        self.h
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

    pub(super) fn write(&self, out: &mut [u8]) -> Result<()> {
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

    pub(super) fn msg_len(&self) -> usize {
        Self::HEADER_LEN
            + self
                .records
                .iter()
                .map(GroupRecord::record_len)
                .sum::<usize>()
            + self.additional.len()
    }

    pub(super) fn write(&self, out: &mut [u8]) -> Result<()> {
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

/// What the decoded value prints.
impl fmt::Display for GroupRecordView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}
