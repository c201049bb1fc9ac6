//! Samples: flow samples (compact 1 and expanded 3), counters samples (compact 2 and expanded
//! 4), discarded-packet samples (5, sflow_drops.txt), and samples of other formats kept as
//! bytes.
//!
//! The compact forms pack the data source's class in the top 8 bits of `source_id` and an
//! interface's format in the top 2 bits of `input`/`output`; the expanded forms give each its
//! own 32-bit word. Views and owned values present both as a [`DataSource`] and an
//! [`Interface`]; the variant ([`Sample::Flow`] or [`Sample::ExpandedFlow`], ...) says which
//! form is on the wire.

use alloc::vec::Vec;
use bytes::BufMut;
use core::fmt;

use crate::counters::{CounterRecord, CounterRecordView, CounterRecords};
use crate::error::{Error, Result};
use crate::flow::{FlowRecord, FlowRecordView, FlowRecords};
use crate::record::{check_count, DataFormat, Records};
use crate::xdr::{pad_len, Opaque, Reader};

/// The data source a sample comes from (`sflow_data_source`): a class (0 ifIndex, 1
/// smonVlanDataSource, 2 entPhysicalEntry) and an index in that class.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DataSource {
    /// The source's type (8 bits in the compact sample forms).
    pub class: u32,
    /// The source's index (24 bits in the compact sample forms): an ifIndex for class 0.
    pub index: u32,
}

impl DataSource {
    /// Splits a compact `source_id` (class in the top 8 bits).
    pub const fn from_compact(v: u32) -> Self {
        DataSource {
            class: v >> 24,
            index: v & 0x00ff_ffff,
        }
    }
    /// The compact `source_id` (class and index masked to 8 and 24 bits).
    pub const fn to_compact(self) -> u32 {
        ((self.class & 0xff) << 24) | (self.index & 0x00ff_ffff)
    }
}

impl fmt::Display for DataSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.class, self.index)
    }
}

/// An input or output interface of a flow sample (`interface` / `interface_expanded`): a
/// format and a value. Format 0: the value is an ifIndex (0 unknown); format 1: the packet was
/// discarded and the value is the reason; format 2: the packet went to several interfaces and
/// the value is their number (0 unknown).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Interface {
    /// 0 single interface, 1 discarded, 2 multiple interfaces (2 bits in the compact form).
    pub format: u32,
    /// ifIndex, discard reason or interface count (30 bits in the compact form).
    pub value: u32,
}

impl Interface {
    /// A single interface, by ifIndex.
    pub const fn if_index(index: u32) -> Self {
        Interface {
            format: 0,
            value: index,
        }
    }
    /// Splits a compact interface word (format in the top 2 bits).
    pub const fn from_compact(v: u32) -> Self {
        Interface {
            format: v >> 30,
            value: v & 0x3fff_ffff,
        }
    }
    /// The compact word (format and value masked to 2 and 30 bits).
    pub const fn to_compact(self) -> u32 {
        ((self.format & 3) << 30) | (self.value & 0x3fff_ffff)
    }
    /// The ifIndex, when the format is 0 (single interface); `Some(0)` means unknown.
    pub const fn ifindex(self) -> Option<u32> {
        if self.format == 0 {
            Some(self.value)
        } else {
            None
        }
    }
}

// ---------------------------------------------------------------- flow sample

/// Zero-copy view of a flow sample (compact or expanded).
#[derive(Clone, Copy, Debug)]
pub struct FlowSampleView<'a> {
    expanded: bool,
    sequence: u32,
    source: DataSource,
    sampling_rate: u32,
    sample_pool: u32,
    drops: u32,
    input: Interface,
    output: Interface,
    count: u32,
    records: &'a [u8],
    records_offset: usize,
    offset: usize,
}

impl<'a> FlowSampleView<'a> {
    pub(crate) fn new(data: &'a [u8], offset: usize, expanded: bool) -> Result<Self> {
        if !expanded {
            // The compact header in one bounds check: the common case (switches, OVS).
            if let Some(h) = data.first_chunk::<32>() {
                let w = |i: usize| sdnwire_packet::wire::be32(h, i * 4);
                let count = w(7);
                let rest = data.get(32..).unwrap_or(&[]);
                check_count(count, rest.len(), offset + 28, "flow record count")?;
                return Ok(FlowSampleView {
                    expanded,
                    sequence: w(0),
                    source: DataSource::from_compact(w(1)),
                    sampling_rate: w(2),
                    sample_pool: w(3),
                    drops: w(4),
                    input: Interface::from_compact(w(5)),
                    output: Interface::from_compact(w(6)),
                    count,
                    records: rest,
                    records_offset: offset + 32,
                    offset,
                });
            }
        }
        let mut r = Reader::new(data, offset);
        let sequence = r.u32("flow sample sequence number")?;
        let source = if expanded {
            DataSource {
                class: r.u32("source id type")?,
                index: r.u32("source id index")?,
            }
        } else {
            DataSource::from_compact(r.u32("source id")?)
        };
        let sampling_rate = r.u32("sampling rate")?;
        let sample_pool = r.u32("sample pool")?;
        let drops = r.u32("drops")?;
        let (input, output) = if expanded {
            let i = Interface {
                format: r.u32("input format")?,
                value: r.u32("input value")?,
            };
            let o = Interface {
                format: r.u32("output format")?,
                value: r.u32("output value")?,
            };
            (i, o)
        } else {
            (
                Interface::from_compact(r.u32("input")?),
                Interface::from_compact(r.u32("output")?),
            )
        };
        let at = r.offset();
        let count = r.u32("flow record count")?;
        check_count(count, r.remaining(), at, "flow record count")?;
        Ok(FlowSampleView {
            expanded,
            sequence,
            source,
            sampling_rate,
            sample_pool,
            drops,
            input,
            output,
            count,
            records: r.rest(),
            records_offset: r.offset(),
            offset,
        })
    }

    /// The sample was sent in the expanded form (format 3).
    pub fn is_expanded(&self) -> bool {
        self.expanded
    }
    /// Offset of the sample's data in the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// Incremented with each flow sample of this source.
    pub fn sequence_number(&self) -> u32 {
        self.sequence
    }
    /// The data source.
    pub fn source_id(&self) -> DataSource {
        self.source
    }
    /// One packet in `sampling_rate` is sampled.
    pub fn sampling_rate(&self) -> u32 {
        self.sampling_rate
    }
    /// Packets that could have been sampled (total packets seen).
    pub fn sample_pool(&self) -> u32 {
        self.sample_pool
    }
    /// Samples dropped for lack of resources.
    pub fn drops(&self) -> u32 {
        self.drops
    }
    /// Input interface.
    pub fn input(&self) -> Interface {
        self.input
    }
    /// Output interface.
    pub fn output(&self) -> Interface {
        self.output
    }
    /// Number of flow records the sample says it holds.
    pub fn record_count(&self) -> u32 {
        self.count
    }
    /// The flow records.
    pub fn records(&self) -> FlowRecords<'a> {
        Records::new(self.records, self.records_offset, self.count)
    }
    /// The owned sample.
    pub fn to_owned(&self) -> Result<FlowSample> {
        let mut records = Vec::with_capacity(self.count as usize);
        for rec in self.records() {
            records.push(rec?.to_owned()?);
        }
        Ok(FlowSample {
            sequence_number: self.sequence,
            source_id: self.source,
            sampling_rate: self.sampling_rate,
            sample_pool: self.sample_pool,
            drops: self.drops,
            input: self.input,
            output: self.output,
            records,
        })
    }
}

/// A flow sample: one sampled packet, described by flow records.
#[derive(Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct FlowSample {
    /// Incremented with each flow sample of this source.
    pub sequence_number: u32,
    /// The data source.
    pub source_id: DataSource,
    /// One packet in `sampling_rate` is sampled.
    pub sampling_rate: u32,
    /// Packets that could have been sampled.
    pub sample_pool: u32,
    /// Samples dropped for lack of resources.
    pub drops: u32,
    /// Input interface.
    pub input: Interface,
    /// Output interface.
    pub output: Interface,
    /// The flow records.
    pub records: Vec<FlowRecord>,
}

impl FlowSample {
    /// Bytes of the sample's data on the wire, compact (`expanded == false`) or expanded.
    pub fn encoded_len(&self, expanded: bool) -> usize {
        (if expanded { 44 } else { 32 })
            + self
                .records
                .iter()
                .map(FlowRecord::encoded_len)
                .sum::<usize>()
    }
    /// Writes the sample's data, compact or expanded. The compact form keeps the low 8/24 bits
    /// of the data source and the low 2/30 bits of the interfaces.
    pub fn encode<B: BufMut>(&self, buf: &mut B, expanded: bool) {
        buf.put_u32(self.sequence_number);
        if expanded {
            buf.put_u32(self.source_id.class);
            buf.put_u32(self.source_id.index);
        } else {
            buf.put_u32(self.source_id.to_compact());
        }
        buf.put_u32(self.sampling_rate);
        buf.put_u32(self.sample_pool);
        buf.put_u32(self.drops);
        if expanded {
            buf.put_u32(self.input.format);
            buf.put_u32(self.input.value);
            buf.put_u32(self.output.format);
            buf.put_u32(self.output.value);
        } else {
            buf.put_u32(self.input.to_compact());
            buf.put_u32(self.output.to_compact());
        }
        buf.put_u32(u32::try_from(self.records.len()).unwrap_or(u32::MAX));
        for r in &self.records {
            r.encode(buf);
        }
    }
}

// ---------------------------------------------------------------- counters sample

/// Zero-copy view of a counters sample (compact or expanded).
#[derive(Clone, Copy, Debug)]
pub struct CountersSampleView<'a> {
    expanded: bool,
    sequence: u32,
    source: DataSource,
    count: u32,
    records: &'a [u8],
    records_offset: usize,
    offset: usize,
}

impl<'a> CountersSampleView<'a> {
    pub(crate) fn new(data: &'a [u8], offset: usize, expanded: bool) -> Result<Self> {
        let mut r = Reader::new(data, offset);
        let sequence = r.u32("counters sample sequence number")?;
        let source = if expanded {
            DataSource {
                class: r.u32("source id type")?,
                index: r.u32("source id index")?,
            }
        } else {
            DataSource::from_compact(r.u32("source id")?)
        };
        let at = r.offset();
        let count = r.u32("counter record count")?;
        check_count(count, r.remaining(), at, "counter record count")?;
        Ok(CountersSampleView {
            expanded,
            sequence,
            source,
            count,
            records: r.rest(),
            records_offset: r.offset(),
            offset,
        })
    }
    /// The sample was sent in the expanded form (format 4).
    pub fn is_expanded(&self) -> bool {
        self.expanded
    }
    /// Offset of the sample's data in the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// Incremented with each counters sample of this source.
    pub fn sequence_number(&self) -> u32 {
        self.sequence
    }
    /// The data source.
    pub fn source_id(&self) -> DataSource {
        self.source
    }
    /// Number of counter records the sample says it holds.
    pub fn record_count(&self) -> u32 {
        self.count
    }
    /// The counter records.
    pub fn records(&self) -> CounterRecords<'a> {
        Records::new(self.records, self.records_offset, self.count)
    }
    /// The owned sample.
    pub fn to_owned(&self) -> Result<CountersSample> {
        let mut records = Vec::with_capacity(self.count as usize);
        for rec in self.records() {
            records.push(rec?.to_owned()?);
        }
        Ok(CountersSample {
            sequence_number: self.sequence,
            source_id: self.source,
            records,
        })
    }
}

/// A counters sample: the counters of one data source.
#[derive(Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct CountersSample {
    /// Incremented with each counters sample of this source.
    pub sequence_number: u32,
    /// The data source.
    pub source_id: DataSource,
    /// The counter records.
    pub records: Vec<CounterRecord>,
}

impl CountersSample {
    /// Bytes of the sample's data on the wire, compact or expanded.
    pub fn encoded_len(&self, expanded: bool) -> usize {
        (if expanded { 16 } else { 12 })
            + self
                .records
                .iter()
                .map(CounterRecord::encoded_len)
                .sum::<usize>()
    }
    /// Writes the sample's data, compact or expanded.
    pub fn encode<B: BufMut>(&self, buf: &mut B, expanded: bool) {
        buf.put_u32(self.sequence_number);
        if expanded {
            buf.put_u32(self.source_id.class);
            buf.put_u32(self.source_id.index);
        } else {
            buf.put_u32(self.source_id.to_compact());
        }
        buf.put_u32(u32::try_from(self.records.len()).unwrap_or(u32::MAX));
        for r in &self.records {
            r.encode(buf);
        }
    }
}

// ---------------------------------------------------------------- discarded packet sample

/// Zero-copy view of a discarded-packet sample (format 5, sflow_drops.txt).
#[derive(Clone, Copy, Debug)]
pub struct DiscardedSampleView<'a> {
    sequence: u32,
    source: DataSource,
    drops: u32,
    input: u32,
    output: u32,
    reason: u32,
    count: u32,
    records: &'a [u8],
    records_offset: usize,
    offset: usize,
}

impl<'a> DiscardedSampleView<'a> {
    pub(crate) fn new(data: &'a [u8], offset: usize) -> Result<Self> {
        let mut r = Reader::new(data, offset);
        let sequence = r.u32("discarded sample sequence number")?;
        let source = DataSource {
            class: r.u32("source id type")?,
            index: r.u32("source id index")?,
        };
        let drops = r.u32("drops")?;
        let input = r.u32("input")?;
        let output = r.u32("output")?;
        let reason = r.u32("reason")?;
        let at = r.offset();
        let count = r.u32("discard record count")?;
        check_count(count, r.remaining(), at, "discard record count")?;
        Ok(DiscardedSampleView {
            sequence,
            source,
            drops,
            input,
            output,
            reason,
            count,
            records: r.rest(),
            records_offset: r.offset(),
            offset,
        })
    }
    /// Offset of the sample's data in the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// Incremented with each discard sample of this source.
    pub fn sequence_number(&self) -> u32 {
        self.sequence
    }
    /// The data source.
    pub fn source_id(&self) -> DataSource {
        self.source
    }
    /// Discard events lost for lack of resources.
    pub fn drops(&self) -> u32 {
        self.drops
    }
    /// Input ifIndex (0 unknown).
    pub fn input(&self) -> u32 {
        self.input
    }
    /// Output ifIndex (0 unknown).
    pub fn output(&self) -> u32 {
        self.output
    }
    /// The drop reason (sflow_drops.txt's `drop_reason`: 0 net_unreachable ... 259+ Linux).
    pub fn reason(&self) -> u32 {
        self.reason
    }
    /// Number of flow records the sample says it holds.
    pub fn record_count(&self) -> u32 {
        self.count
    }
    /// The flow records that describe the discarded packet.
    pub fn records(&self) -> FlowRecords<'a> {
        Records::new(self.records, self.records_offset, self.count)
    }
    /// The owned sample.
    pub fn to_owned(&self) -> Result<DiscardedSample> {
        let mut records = Vec::with_capacity(self.count as usize);
        for rec in self.records() {
            records.push(rec?.to_owned()?);
        }
        Ok(DiscardedSample {
            sequence_number: self.sequence,
            source_id: self.source,
            drops: self.drops,
            input: self.input,
            output: self.output,
            reason: self.reason,
            records,
        })
    }
}

/// A discarded-packet sample (format 5).
#[derive(Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct DiscardedSample {
    /// Incremented with each discard sample of this source.
    pub sequence_number: u32,
    /// The data source.
    pub source_id: DataSource,
    /// Discard events lost for lack of resources.
    pub drops: u32,
    /// Input ifIndex.
    pub input: u32,
    /// Output ifIndex.
    pub output: u32,
    /// The drop reason.
    pub reason: u32,
    /// Flow records describing the packet.
    pub records: Vec<FlowRecord>,
}

impl DiscardedSample {
    /// Bytes of the sample's data on the wire.
    pub fn encoded_len(&self) -> usize {
        32 + self
            .records
            .iter()
            .map(FlowRecord::encoded_len)
            .sum::<usize>()
    }
    /// Writes the sample's data.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u32(self.sequence_number);
        buf.put_u32(self.source_id.class);
        buf.put_u32(self.source_id.index);
        buf.put_u32(self.drops);
        buf.put_u32(self.input);
        buf.put_u32(self.output);
        buf.put_u32(self.reason);
        buf.put_u32(u32::try_from(self.records.len()).unwrap_or(u32::MAX));
        for r in &self.records {
            r.encode(buf);
        }
    }
}

// ---------------------------------------------------------------- unknown sample and the enums

/// A sample of a format (or enterprise) this crate does not decode.
#[derive(Clone, Copy, Debug)]
pub struct UnknownSampleView<'a> {
    format: DataFormat,
    data: &'a [u8],
    padding: &'a [u8],
    offset: usize,
}

impl<'a> UnknownSampleView<'a> {
    /// Enterprise and format.
    pub fn data_format(&self) -> DataFormat {
        self.format
    }
    /// The sample's data.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }
    /// Offset of the sample's data in the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// The owned sample.
    pub fn to_owned(&self) -> UnknownSample {
        UnknownSample {
            format: self.format,
            data: Opaque::with_padding(self.data, self.padding),
        }
    }
}

/// A sample kept as enterprise, format and bytes, re-encoded unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnknownSample {
    /// Enterprise and format.
    pub format: DataFormat,
    /// The sample's data.
    pub data: Opaque,
}

/// Zero-copy view of one sample of a datagram.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum SampleView<'a> {
    /// Flow sample (format 1).
    Flow(FlowSampleView<'a>),
    /// Counters sample (format 2).
    Counters(CountersSampleView<'a>),
    /// Expanded flow sample (format 3).
    ExpandedFlow(FlowSampleView<'a>),
    /// Expanded counters sample (format 4).
    ExpandedCounters(CountersSampleView<'a>),
    /// Discarded-packet sample (format 5).
    Discarded(DiscardedSampleView<'a>),
    /// A sample of another format or enterprise.
    Unknown(UnknownSampleView<'a>),
}

impl<'a> SampleView<'a> {
    /// Reads one sample at the reader (format, length, data).
    #[inline]
    pub(crate) fn read(r: &mut Reader<'a>) -> Result<Self> {
        let format = DataFormat::from_u32(r.u32("sample data_format")?);
        let (data, padding) = r.opaque("sample length")?;
        let offset = r.offset() - data.len() - padding.len();
        if format.enterprise == 0 {
            match format.format {
                1 => return FlowSampleView::new(data, offset, false).map(SampleView::Flow),
                2 => return CountersSampleView::new(data, offset, false).map(SampleView::Counters),
                3 => return FlowSampleView::new(data, offset, true).map(SampleView::ExpandedFlow),
                4 => {
                    return CountersSampleView::new(data, offset, true)
                        .map(SampleView::ExpandedCounters)
                }
                5 => return DiscardedSampleView::new(data, offset).map(SampleView::Discarded),
                _ => {}
            }
        }
        Ok(SampleView::Unknown(UnknownSampleView {
            format,
            data,
            padding,
            offset,
        }))
    }

    /// The sample's enterprise and format.
    pub fn data_format(&self) -> DataFormat {
        match self {
            SampleView::Flow(_) => DataFormat::standard(1),
            SampleView::Counters(_) => DataFormat::standard(2),
            SampleView::ExpandedFlow(_) => DataFormat::standard(3),
            SampleView::ExpandedCounters(_) => DataFormat::standard(4),
            SampleView::Discarded(_) => DataFormat::standard(5),
            SampleView::Unknown(u) => u.format,
        }
    }

    /// The flow sample, compact or expanded.
    pub fn as_flow(&self) -> Option<&FlowSampleView<'a>> {
        match self {
            SampleView::Flow(s) | SampleView::ExpandedFlow(s) => Some(s),
            _ => None,
        }
    }

    /// The counters sample, compact or expanded.
    pub fn as_counters(&self) -> Option<&CountersSampleView<'a>> {
        match self {
            SampleView::Counters(s) | SampleView::ExpandedCounters(s) => Some(s),
            _ => None,
        }
    }

    /// Walks every record of the sample (checking each), allocating nothing.
    pub fn validate(&self) -> Result<()> {
        match self {
            SampleView::Flow(s) | SampleView::ExpandedFlow(s) => {
                for r in s.records() {
                    r?;
                }
            }
            SampleView::Counters(s) | SampleView::ExpandedCounters(s) => {
                for r in s.records() {
                    r?;
                }
            }
            SampleView::Discarded(s) => {
                for r in s.records() {
                    r?;
                }
            }
            SampleView::Unknown(_) => {}
        }
        Ok(())
    }

    /// The owned sample.
    pub fn to_owned(&self) -> Result<Sample> {
        Ok(match self {
            SampleView::Flow(s) => Sample::Flow(s.to_owned()?),
            SampleView::Counters(s) => Sample::Counters(s.to_owned()?),
            SampleView::ExpandedFlow(s) => Sample::ExpandedFlow(s.to_owned()?),
            SampleView::ExpandedCounters(s) => Sample::ExpandedCounters(s.to_owned()?),
            SampleView::Discarded(s) => Sample::Discarded(s.to_owned()?),
            SampleView::Unknown(u) => Sample::Unknown(u.to_owned()),
        })
    }
}

/// An owned sample.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Sample {
    /// Flow sample, compact form (format 1).
    Flow(FlowSample),
    /// Counters sample, compact form (format 2).
    Counters(CountersSample),
    /// Flow sample, expanded form (format 3).
    ExpandedFlow(FlowSample),
    /// Counters sample, expanded form (format 4).
    ExpandedCounters(CountersSample),
    /// Discarded-packet sample (format 5).
    Discarded(DiscardedSample),
    /// A sample kept as bytes.
    Unknown(UnknownSample),
}

impl Sample {
    /// The sample's enterprise and format.
    pub fn data_format(&self) -> DataFormat {
        match self {
            Sample::Flow(_) => DataFormat::standard(1),
            Sample::Counters(_) => DataFormat::standard(2),
            Sample::ExpandedFlow(_) => DataFormat::standard(3),
            Sample::ExpandedCounters(_) => DataFormat::standard(4),
            Sample::Discarded(_) => DataFormat::standard(5),
            Sample::Unknown(u) => u.format,
        }
    }

    fn data_len(&self) -> usize {
        match self {
            Sample::Flow(s) => s.encoded_len(false),
            Sample::Counters(s) => s.encoded_len(false),
            Sample::ExpandedFlow(s) => s.encoded_len(true),
            Sample::ExpandedCounters(s) => s.encoded_len(true),
            Sample::Discarded(s) => s.encoded_len(),
            Sample::Unknown(u) => u.data.data.len(),
        }
    }

    /// Bytes on the wire: format, length, data (and padding for an unknown sample whose length
    /// is not a multiple of four).
    pub fn encoded_len(&self) -> usize {
        let n = self.data_len();
        8 + n + pad_len(n)
    }

    /// Writes the sample.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u32(self.data_format().to_u32());
        buf.put_u32(u32::try_from(self.data_len()).unwrap_or(u32::MAX));
        match self {
            Sample::Flow(s) => s.encode(buf, false),
            Sample::Counters(s) => s.encode(buf, false),
            Sample::ExpandedFlow(s) => s.encode(buf, true),
            Sample::ExpandedCounters(s) => s.encode(buf, true),
            Sample::Discarded(s) => s.encode(buf),
            Sample::Unknown(u) => u.data.encode_unprefixed(buf),
        }
    }
}

/// Iterator over the samples of a datagram, yielding each sample's view or the error that
/// stops the walk; after the last sample it checks that nothing follows.
#[derive(Clone, Debug)]
pub struct Samples<'a> {
    r: Reader<'a>,
    left: u32,
    done: bool,
}

impl<'a> Samples<'a> {
    pub(crate) fn new(r: Reader<'a>, count: u32) -> Self {
        Samples {
            r,
            left: count,
            done: false,
        }
    }
}

impl<'a> Iterator for Samples<'a> {
    type Item = Result<SampleView<'a>>;
    #[inline]
    fn next(&mut self) -> Option<Result<SampleView<'a>>> {
        if self.done {
            return None;
        }
        if self.left == 0 {
            self.done = true;
            return match self.r.finish("datagram") {
                Ok(()) => None,
                Err(e) => Some(Err(e)),
            };
        }
        self.left -= 1;
        let s = SampleView::read(&mut self.r);
        if s.is_err() {
            self.done = true;
        }
        Some(s)
    }
}

impl core::iter::FusedIterator for Samples<'_> {}

#[allow(dead_code)]
fn _kinds(_: FlowRecordView<'_>, _: CounterRecordView<'_>, _: Error) {}
