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
use core::fmt;

use crate::counters::{CounterRecord, CounterRecords};
use crate::error::Result;
use crate::flow::{FlowRecord, FlowRecords};
use crate::inline::InlineVec;
use crate::record::{check_count, decode_records, DataFormat, Records};
use crate::text::named;
use crate::xdr::{fit_bits, impl_encode, pad_len, Opaque, Reader, Wire, Writer};

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
    /// The compact `source_id`, or `None` when the class does not fit its 8 bits or the
    /// index its 24 bits.
    pub const fn to_compact(self) -> Option<u32> {
        if self.class > 0xff || self.index > 0x00ff_ffff {
            None
        } else {
            Some((self.class << 24) | self.index)
        }
    }

    /// Reads the data source of a sample: the two words `source_id_type` and
    /// `source_id_index` of the expanded forms, or the one compact `source_id` word.
    fn read(r: &mut Reader<'_>, expanded: bool) -> Result<Self> {
        Ok(if expanded {
            DataSource {
                class: r.u32("source id type")?,
                index: r.u32("source id index")?,
            }
        } else {
            DataSource::from_compact(r.u32("source id")?)
        })
    }

    /// Writes the data source as [`read`](Self::read) reads it.
    fn write(self, w: &mut Writer<'_>, expanded: bool) -> Result<()> {
        if expanded {
            w.u32(self.class)?;
            w.u32(self.index)
        } else {
            self.write_compact(w)
        }
    }

    /// Writes the compact `source_id`, or [`Error::Unencodable`](crate::Error::Unencodable).
    fn write_compact(self, w: &mut Writer<'_>) -> Result<()> {
        let class = fit_bits(
            self.class,
            8,
            "source id type",
            "8 bits in a compact sample",
        )?;
        let index = fit_bits(
            self.index,
            24,
            "source id index",
            "24 bits in a compact sample",
        )?;
        w.u32((class << 24) | index)
    }
}

impl fmt::Display for Interface {
    /// The ifIndex for format 0; `discard=N` and `multiple=N` (sflowtool's words) for 1 and 2.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.format {
            0 => write!(f, "{}", self.value),
            1 => write!(f, "discard={}", self.value),
            2 => write!(f, "multiple={}", self.value),
            n => write!(f, "format{n}={}", self.value),
        }
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
    /// The compact word, or `None` when the format does not fit its 2 bits or the value its
    /// 30 bits.
    pub const fn to_compact(self) -> Option<u32> {
        if self.format > 3 || self.value > 0x3fff_ffff {
            None
        } else {
            Some((self.format << 30) | self.value)
        }
    }

    /// Writes the compact word, or [`Error::Unencodable`](crate::Error::Unencodable).
    fn write_compact(self, w: &mut Writer<'_>, what: &'static str) -> Result<()> {
        let format = fit_bits(
            self.format,
            2,
            what,
            "format: 2 bits in a compact flow sample",
        )?;
        let value = fit_bits(self.value, 30, what, "30 bits in a compact flow sample")?;
        w.u32((format << 30) | value)
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

/// A flow or discarded-packet sample's records: four kept inline (a sampled header, extended
/// switch, router and gateway data: what switches send), on the heap past that.
pub type FlowRecordList = InlineVec<FlowRecord, 4>;

/// A counters sample's records: five kept inline (Open vSwitch's interface sample: generic,
/// Ethernet, LAG, OpenFlow port and port name), on the heap past that.
pub type CounterRecordList = InlineVec<CounterRecord, 5>;

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
    #[inline(always)]
    pub(crate) fn new(data: &'a [u8], offset: usize, expanded: bool) -> Result<Self> {
        if !expanded {
            // The compact header in one bounds check: the common case (switches, OVS).
            if let Some(h) = data.first_chunk::<32>() {
                let w = |i: usize| sdnwire_packet::wire::be32(h, i * 4).unwrap_or_default();
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
        let source = DataSource::read(&mut r, expanded)?;
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
    /// The owned sample (fails with the first record that does not decode).
    pub fn decode(&self) -> Result<FlowSample> {
        let mut s = self.without_records();
        self.records()
            .decode_into(&mut s.records, FlowRecord::push_from_raw)?;
        Ok(s)
    }

    /// The owned sample's fields, with no records yet.
    #[inline(always)]
    fn without_records(&self) -> FlowSample {
        FlowSample {
            sequence_number: self.sequence,
            source_id: self.source,
            sampling_rate: self.sampling_rate,
            sample_pool: self.sample_pool,
            drops: self.drops,
            input: self.input,
            output: self.output,
            records: FlowRecordList::new(),
        }
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
    /// The flow records (the first [`FlowRecordList::INLINE`] kept inline).
    pub records: FlowRecordList,
}

impl FlowSample {
    fn data_len(&self, expanded: bool) -> usize {
        (if expanded { 44 } else { 32 })
            + self.records.iter().map(FlowRecord::wire_len).sum::<usize>()
    }

    fn write_data(&self, w: &mut Writer<'_>, expanded: bool) -> Result<()> {
        w.u32(self.sequence_number)?;
        self.source_id.write(w, expanded)?;
        w.u32(self.sampling_rate)?;
        w.u32(self.sample_pool)?;
        w.u32(self.drops)?;
        if expanded {
            w.u32(self.input.format)?;
            w.u32(self.input.value)?;
            w.u32(self.output.format)?;
            w.u32(self.output.value)?;
        } else {
            self.input.write_compact(w, "input interface")?;
            self.output.write_compact(w, "output interface")?;
        }
        w.len(self.records.len(), "flow record count")?;
        for r in &self.records {
            r.write(w)?;
        }
        Ok(())
    }

    fn fmt_text(&self, f: &mut fmt::Formatter<'_>, expanded: bool) -> fmt::Result {
        named(
            f,
            "sampleType",
            if expanded {
                "FLOWSAMPLE_EXPANDED"
            } else {
                "FLOWSAMPLE"
            },
        )?;
        named(f, "sampleSequenceNo", self.sequence_number)?;
        named(f, "sourceId", self.source_id)?;
        named(f, "meanSkipCount", self.sampling_rate)?;
        named(f, "samplePool", self.sample_pool)?;
        named(f, "dropEvents", self.drops)?;
        named(f, "inputPort", self.input)?;
        named(f, "outputPort", self.output)?;
        for r in &self.records {
            fmt::Display::fmt(r, f)?;
        }
        Ok(())
    }
}

/// `Wire`, `Encode` and `Display` of a flow or counters sample in both forms: the compact form
/// on the sample itself, the expanded form on [`Expanded`]`(&sample)`. Both forms are written
/// by the sample's `data_len`/`write_data` and printed by its `fmt_text`, given which form.
macro_rules! sample_forms {
    ($t:ty, $(#[$compact:meta])* , $(#[$text:meta])*) => {
        $(#[$compact])*
        impl Wire for $t {
            fn wire_len(&self) -> usize {
                self.data_len(false)
            }
            fn write(&self, w: &mut Writer<'_>) -> Result<()> {
                self.write_data(w, false)
            }
        }

        $(#[$text])*
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.fmt_text(f, false)
            }
        }

        /// The sample's data in the expanded form.
        impl Wire for Expanded<'_, $t> {
            fn wire_len(&self) -> usize {
                self.0.data_len(true)
            }
            fn write(&self, w: &mut Writer<'_>) -> Result<()> {
                self.0.write_data(w, true)
            }
        }

        /// sflowtool's text of an expanded sample.
        impl fmt::Display for Expanded<'_, $t> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt_text(f, true)
            }
        }

        impl_encode!($t, Expanded<'_, $t>);
    };
}

sample_forms!(
    FlowSample,
    /// The sample's data in the compact form (`flow_sample`, format 1), without the sample's
    /// format and length ([`Sample`] writes those; [`Expanded`] writes the expanded form). A
    /// source class past 255, a source index past 2^24 - 1, an interface format past 3 or an
    /// interface value past 2^30 - 1 is [`Error::Unencodable`](crate::Error::Unencodable): the
    /// compact form has no room for them (use [`Sample::ExpandedFlow`]).
    ,
    /// sflowtool's text of a compact flow sample.
);

/// A flow or counters sample in its expanded form (`flow_sample_expanded`, format 3;
/// `counters_sample_expanded`, format 4): [`Encode`](sdnwire_packet::Encode) and `Display` of
/// the sample's data with a 32-bit word for each of the data source's class and index and the
/// interfaces' format and value.
///
/// ```
/// use sdnwire_sflow::{DataSource, Encode, Expanded, FlowSample};
/// let s = FlowSample { source_id: DataSource { class: 0, index: 1 << 24 }, ..Default::default() };
/// assert!(s.to_vec().is_err()); // the compact form has 24 bits for the index
/// assert_eq!(Expanded(&s).to_vec().unwrap().len(), 44);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Expanded<'a, T>(pub &'a T);

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
    #[inline(always)]
    pub(crate) fn new(data: &'a [u8], offset: usize, expanded: bool) -> Result<Self> {
        let mut r = Reader::new(data, offset);
        let sequence = r.u32("counters sample sequence number")?;
        let source = DataSource::read(&mut r, expanded)?;
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
    /// The owned sample (fails with the first record that does not decode).
    pub fn decode(&self) -> Result<CountersSample> {
        let mut s = self.without_records();
        self.records()
            .decode_into(&mut s.records, CounterRecord::push_from_raw)?;
        Ok(s)
    }

    /// The owned sample's fields, with no records yet.
    #[inline(always)]
    fn without_records(&self) -> CountersSample {
        CountersSample {
            sequence_number: self.sequence,
            source_id: self.source,
            records: CounterRecordList::new(),
        }
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
    /// The counter records (the first [`CounterRecordList::INLINE`] kept inline).
    pub records: CounterRecordList,
}

impl CountersSample {
    fn data_len(&self, expanded: bool) -> usize {
        (if expanded { 16 } else { 12 })
            + self
                .records
                .iter()
                .map(CounterRecord::wire_len)
                .sum::<usize>()
    }

    fn write_data(&self, w: &mut Writer<'_>, expanded: bool) -> Result<()> {
        w.u32(self.sequence_number)?;
        self.source_id.write(w, expanded)?;
        w.len(self.records.len(), "counter record count")?;
        for r in &self.records {
            r.write(w)?;
        }
        Ok(())
    }

    fn fmt_text(&self, f: &mut fmt::Formatter<'_>, expanded: bool) -> fmt::Result {
        named(
            f,
            "sampleType",
            if expanded {
                "COUNTERSSAMPLE_EXPANDED"
            } else {
                "COUNTERSSAMPLE"
            },
        )?;
        named(f, "sampleSequenceNo", self.sequence_number)?;
        named(f, "sourceId", self.source_id)?;
        for r in &self.records {
            fmt::Display::fmt(r, f)?;
        }
        Ok(())
    }
}

sample_forms!(
    CountersSample,
    /// The sample's data in the compact form (`counters_sample`, format 2), without the
    /// sample's format and length. A source class past 255 or index past 2^24 - 1 is
    /// [`Error::Unencodable`](crate::Error::Unencodable) (use [`Expanded`] /
    /// [`Sample::ExpandedCounters`]).
    ,
    /// sflowtool's text of a compact counters sample.
);

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
        let source = DataSource::read(&mut r, true)?;
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
    /// The owned sample (fails with the first record that does not decode).
    pub fn decode(&self) -> Result<DiscardedSample> {
        let mut s = self.without_records();
        self.records()
            .decode_into(&mut s.records, FlowRecord::push_from_raw)?;
        Ok(s)
    }

    /// The owned sample's fields, with no records yet.
    #[inline(always)]
    fn without_records(&self) -> DiscardedSample {
        DiscardedSample {
            sequence_number: self.sequence,
            source_id: self.source,
            drops: self.drops,
            input: self.input,
            output: self.output,
            reason: self.reason,
            records: FlowRecordList::new(),
        }
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
    /// Flow records describing the packet (the first [`FlowRecordList::INLINE`] kept inline).
    pub records: FlowRecordList,
}

/// The sample's data, without the sample's format and length.
impl Wire for DiscardedSample {
    fn wire_len(&self) -> usize {
        32 + self.records.iter().map(FlowRecord::wire_len).sum::<usize>()
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        w.u32(self.sequence_number)?;
        self.source_id.write(w, true)?;
        w.u32(self.drops)?;
        w.u32(self.input)?;
        w.u32(self.output)?;
        w.u32(self.reason)?;
        w.len(self.records.len(), "discard record count")?;
        for r in &self.records {
            r.write(w)?;
        }
        Ok(())
    }
}
impl_encode!(DiscardedSample);

/// sflowtool's text.
impl fmt::Display for DiscardedSample {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        named(f, "sampleType", "DISCARDED_PACKET")?;
        named(f, "sampleSequenceNo", self.sequence_number)?;
        named(f, "sourceId", self.source_id)?;
        named(f, "dropEvents", self.drops)?;
        named(f, "inputPort", self.input)?;
        named(f, "outputPort", self.output)?;
        named(f, "discardCode", self.reason)?;
        for r in &self.records {
            fmt::Display::fmt(r, f)?;
        }
        Ok(())
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
    pub fn decode(&self) -> UnknownSample {
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

/// The sample's data and its padding to four bytes, without the sample's format and length.
impl Wire for UnknownSample {
    fn wire_len(&self) -> usize {
        self.data.unprefixed_len()
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        self.data.write_unprefixed(w)
    }
}
impl_encode!(UnknownSample);

/// sflowtool's text: the sample's length and bytes.
impl fmt::Display for UnknownSample {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        named(f, "sampleLength", self.data.data.len())?;
        f.write_str("sampleBytes ")?;
        crate::xdr::write_hex(f, &self.data.data)?;
        f.write_str("\n")
    }
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
    #[inline(always)]
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
            SampleView::Flow(s) | SampleView::ExpandedFlow(s) => s.records().validate()?,
            SampleView::Counters(s) | SampleView::ExpandedCounters(s) => s.records().validate()?,
            SampleView::Discarded(s) => s.records().validate()?,
            SampleView::Unknown(_) => {}
        }
        Ok(())
    }

    /// The owned sample appended to `out` (the datagram's list), its records decoded in
    /// place: a sample holds its records inline, so building it elsewhere and moving it in
    /// would copy several hundred bytes each time. Fails with the first record that does not
    /// decode (what [`decode`](SampleView::decode) gives); `out` then ends with the sample as
    /// far as it was decoded.
    #[inline(always)]
    pub(crate) fn decode_into(&self, out: &mut Vec<Sample>) -> Result<()> {
        // `resize_with` makes room before the sample is built, so that it is built where it
        // stays (`push` would build it aside, then copy its several hundred bytes).
        let n = out.len() + 1;
        match self {
            SampleView::Flow(v) => out.resize_with(n, || Sample::Flow(v.without_records())),
            SampleView::ExpandedFlow(v) => {
                out.resize_with(n, || Sample::ExpandedFlow(v.without_records()));
            }
            SampleView::Counters(v) => {
                out.resize_with(n, || Sample::Counters(v.without_records()));
            }
            SampleView::ExpandedCounters(v) => {
                out.resize_with(n, || Sample::ExpandedCounters(v.without_records()));
            }
            SampleView::Discarded(v) => {
                out.resize_with(n, || Sample::Discarded(v.without_records()));
            }
            SampleView::Unknown(u) => out.push(Sample::Unknown(u.decode())),
        }
        match (self, out.last_mut()) {
            (
                SampleView::Flow(v) | SampleView::ExpandedFlow(v),
                Some(Sample::Flow(s) | Sample::ExpandedFlow(s)),
            ) => v
                .records()
                .decode_into(&mut s.records, FlowRecord::push_from_raw),
            (
                SampleView::Counters(v) | SampleView::ExpandedCounters(v),
                Some(Sample::Counters(s) | Sample::ExpandedCounters(s)),
            ) => v
                .records()
                .decode_into(&mut s.records, CounterRecord::push_from_raw),
            (SampleView::Discarded(v), Some(Sample::Discarded(s))) => v
                .records()
                .decode_into(&mut s.records, FlowRecord::push_from_raw),
            _ => Ok(()),
        }
    }

    /// The owned sample (fails with the first record that does not decode).
    pub fn decode(&self) -> Result<Sample> {
        Ok(match self {
            SampleView::Flow(s) => Sample::Flow(s.decode()?),
            SampleView::Counters(s) => Sample::Counters(s.decode()?),
            SampleView::ExpandedFlow(s) => Sample::ExpandedFlow(s.decode()?),
            SampleView::ExpandedCounters(s) => Sample::ExpandedCounters(s.decode()?),
            SampleView::Discarded(s) => Sample::Discarded(s.decode()?),
            SampleView::Unknown(u) => Sample::Unknown(u.decode()),
        })
    }
}

/// The owned decode's walk of a datagram's samples (`samples`, at `offset` in the datagram,
/// `count` of them), in the shape of a hand-written decoder: the bytes as a local slice, each
/// sample built in its slot of the list (allocated once, at the announced count) and its
/// records decoded into it by [`decode_records`]. The checks are those of the views' walk
/// ([`Samples`], [`SampleView::read`], then each sample's records): where that walk gives an
/// error this gives `None`, building no error value; [`DatagramView::decode`] then takes the
/// error from the views' walk, out of line.
///
/// [`DatagramView::decode`]: crate::DatagramView::decode
#[inline(always)]
pub(crate) fn decode_samples(samples: &[u8], offset: usize, count: u32) -> Option<Vec<Sample>> {
    let mut out: Vec<Sample> = Vec::with_capacity(count as usize);
    let end = offset + samples.len();
    let mut b = samples;
    for _ in 0..count {
        let (format, rest) = b.split_first_chunk::<4>()?;
        let (len, rest) = rest.split_first_chunk::<4>()?;
        let len = u32::from_be_bytes(*len) as usize;
        let (all, rest) = rest.split_at_checked(len.checked_add(pad_len(len))?)?;
        let (data, padding) = all.split_at_checked(len)?;
        b = rest;
        let at = end - rest.len() - all.len();
        let n = out.len() + 1;
        // `resize_with` makes room before the sample is built, so that it is built where it
        // stays (`push` would build it aside, then copy its several hundred bytes).
        match u32::from_be_bytes(*format) {
            f @ (1 | 3) => {
                let v = FlowSampleView::new(data, at, f == 3).ok()?;
                if f == 1 {
                    out.resize_with(n, || Sample::Flow(v.without_records()));
                } else {
                    out.resize_with(n, || Sample::ExpandedFlow(v.without_records()));
                }
                let Some(Sample::Flow(s) | Sample::ExpandedFlow(s)) = out.last_mut() else {
                    return None;
                };
                decode_records::<_, _, true>(v.records, v.records_offset, v.count, &mut s.records)?;
            }
            f @ (2 | 4) => {
                let v = CountersSampleView::new(data, at, f == 4).ok()?;
                if f == 2 {
                    out.resize_with(n, || Sample::Counters(v.without_records()));
                } else {
                    out.resize_with(n, || Sample::ExpandedCounters(v.without_records()));
                }
                let Some(Sample::Counters(s) | Sample::ExpandedCounters(s)) = out.last_mut() else {
                    return None;
                };
                decode_records::<_, _, true>(v.records, v.records_offset, v.count, &mut s.records)?;
            }
            5 => {
                let v = DiscardedSampleView::new(data, at).ok()?;
                out.resize_with(n, || Sample::Discarded(v.without_records()));
                let Some(Sample::Discarded(s)) = out.last_mut() else {
                    return None;
                };
                decode_records::<_, _, false>(
                    v.records,
                    v.records_offset,
                    v.count,
                    &mut s.records,
                )?;
            }
            f => out.push(Sample::Unknown(UnknownSample {
                format: DataFormat::from_u32(f),
                data: Opaque::with_padding(data, padding),
            })),
        }
    }
    // Nothing after the last sample.
    b.is_empty().then_some(out)
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
            Sample::Flow(s) => s.data_len(false),
            Sample::Counters(s) => s.data_len(false),
            Sample::ExpandedFlow(s) => s.data_len(true),
            Sample::ExpandedCounters(s) => s.data_len(true),
            Sample::Discarded(s) => s.wire_len(),
            Sample::Unknown(u) => u.data.data.len(),
        }
    }
}

/// The whole sample: format, length, data (and padding for an unknown sample whose length
/// is not a multiple of four).
impl Wire for Sample {
    fn wire_len(&self) -> usize {
        let n = self.data_len();
        8 + n + pad_len(n)
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        self.data_format().write(w)?;
        w.len(self.data_len(), "sample length")?;
        match self {
            Sample::Flow(s) => s.write_data(w, false),
            Sample::Counters(s) => s.write_data(w, false),
            Sample::ExpandedFlow(s) => s.write_data(w, true),
            Sample::ExpandedCounters(s) => s.write_data(w, true),
            Sample::Discarded(s) => s.write(w),
            Sample::Unknown(u) => u.write(w),
        }
    }
}
impl_encode!(Sample);

/// sflowtool's text: `startSample`, `sampleType_tag`, the sample, `endSample`.
impl fmt::Display for Sample {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("startSample ----------------------\n")?;
        named(f, "sampleType_tag", self.data_format())?;
        match self {
            Sample::Flow(s) => s.fmt_text(f, false),
            Sample::Counters(s) => s.fmt_text(f, false),
            Sample::ExpandedFlow(s) => s.fmt_text(f, true),
            Sample::ExpandedCounters(s) => s.fmt_text(f, true),
            Sample::Discarded(s) => fmt::Display::fmt(s, f),
            Sample::Unknown(u) => fmt::Display::fmt(u, f),
        }?;
        f.write_str("endSample   ----------------------\n")
    }
}

/// What the decoded sample prints (or the error that stops its decoding).
impl fmt::Display for SampleView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decode() {
            Ok(v) => fmt::Display::fmt(&v, f),
            Err(e) => writeln!(f, "error {e}"),
        }
    }
}

/// What the decoded sample prints (or the error that stops its decoding).
impl fmt::Display for FlowSampleView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decode() {
            Ok(v) => v.fmt_text(f, self.expanded),
            Err(e) => writeln!(f, "error {e}"),
        }
    }
}

/// What the decoded sample prints (or the error that stops its decoding).
impl fmt::Display for CountersSampleView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decode() {
            Ok(v) => v.fmt_text(f, self.expanded),
            Err(e) => writeln!(f, "error {e}"),
        }
    }
}

/// What the decoded sample prints (or the error that stops its decoding).
impl fmt::Display for DiscardedSampleView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decode() {
            Ok(v) => fmt::Display::fmt(&v, f),
            Err(e) => writeln!(f, "error {e}"),
        }
    }
}

/// What the decoded sample prints.
impl fmt::Display for UnknownSampleView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
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
    #[inline(always)]
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
