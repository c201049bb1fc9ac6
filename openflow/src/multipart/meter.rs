//! OFPMP_METER, OFPMP_METER_CONFIG and OFPMP_METER_FEATURES replies.

use super::*;

/// A band's counters in meter statistics (`ofp_meter_band_stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MeterBandStats {
    /// Packets in the band.
    pub packet_band_count: u64,
    /// Bytes in the band.
    pub byte_band_count: u64,
}

impl MeterBandStats {
    /// Encoded length.
    pub const LEN: usize = METER_BAND_STATS_LEN;

    /// Parses the structure.
    pub fn parse(r: &mut Reader<'_>) -> Result<MeterBandStats> {
        Ok(MeterBandStats {
            packet_band_count: r.u64("ofp_meter_band_stats.packet_band_count")?,
            byte_band_count: r.u64("ofp_meter_band_stats.byte_band_count")?,
        })
    }
}

crate::codec::impl_encode!(MeterBandStats);

impl WireWrite for MeterBandStats {
    fn encoded_len(&self) -> usize {
        Self::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u64(self.packet_band_count);
        out.put_u64(self.byte_band_count);
        Ok(())
    }
}

/// The fixed part of `ofp_meter_stats`.
#[derive(Clone, Copy)]
struct MeterHead {
    meter_id: MeterId,
    flow_count: u32,
    packet_in_count: u64,
    byte_in_count: u64,
    duration_sec: u32,
    duration_nsec: u32,
}

impl MeterHead {
    fn fmt(
        &self,
        f: &mut fmt::Formatter<'_>,
        bands: impl Iterator<Item = Result<MeterBandStats>>,
    ) -> fmt::Result {
        f.write_str("meter:")?;
        fmt_meter_id(f, self.meter_id)?;
        write!(
            f,
            " flow_count:{} packet_in_count:{} byte_in_count:{} duration:{} bands:",
            self.flow_count,
            self.packet_in_count,
            self.byte_in_count,
            DisplayDuration {
                sec: self.duration_sec,
                nsec: self.duration_nsec
            }
        )?;
        let bands = bands.enumerate().map(|(i, b)| b.map(|b| (i, b)));
        crate::codec::fmt_items(f, bands, "", " ", |f, (i, b)| {
            write!(
                f,
                "{i}: packet_count:{} byte_count:{}",
                b.packet_band_count, b.byte_band_count
            )
        })
    }
}

/// One meter's statistics (`ofp_meter_stats`), owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct MeterStats {
    /// The meter.
    pub meter_id: MeterId,
    /// Flows bound to the meter.
    pub flow_count: u32,
    /// Packets in input.
    pub packet_in_count: u64,
    /// Bytes in input.
    pub byte_in_count: u64,
    /// Seconds the meter has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// One entry per band.
    pub band_stats: Vec<MeterBandStats>,
}

impl MeterStats {
    /// Parses one entry (see [`MeterStatsView::parse`]).
    pub fn parse(r: &mut Reader<'_>) -> Result<MeterStats> {
        MeterStatsView::parse(r)?.decode()
    }

    fn head(&self) -> MeterHead {
        MeterHead {
            meter_id: self.meter_id,
            flow_count: self.flow_count,
            packet_in_count: self.packet_in_count,
            byte_in_count: self.byte_in_count,
            duration_sec: self.duration_sec,
            duration_nsec: self.duration_nsec,
        }
    }
}

crate::codec::impl_encode!(MeterStats);

impl WireWrite for MeterStats {
    fn encoded_len(&self) -> usize {
        METER_STATS_LEN + METER_BAND_STATS_LEN * self.band_stats.len()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        let len = len16("ofp_meter_stats", self.encoded_len())?;
        out.put_u32(self.meter_id.0);
        out.put_u16(len);
        put_zeros(out, 6);
        out.put_u32(self.flow_count);
        out.put_u64(self.packet_in_count);
        out.put_u64(self.byte_in_count);
        out.put_u32(self.duration_sec);
        out.put_u32(self.duration_nsec);
        self.band_stats.iter().try_for_each(|b| b.write(out))
    }
}

impl fmt::Display for MeterStats {
    /// ovs-ofctl's lines on one: `meter:100 flow_count:0 packet_in_count:0 byte_in_count:0
    /// duration:0.00048s bands: 0: packet_count:0 byte_count:0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.head().fmt(f, self.band_stats.iter().map(|b| Ok(*b)))
    }
}

/// One meter's statistics, borrowed.
#[derive(Debug, Clone)]
pub struct MeterStatsView<'a> {
    /// The meter.
    pub meter_id: MeterId,
    /// Flows bound to the meter.
    pub flow_count: u32,
    /// Packets in input.
    pub packet_in_count: u64,
    /// Bytes in input.
    pub byte_in_count: u64,
    /// Seconds alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// The band counters.
    pub band_stats: Entries<'a, MeterBandStats>,
}

impl<'a> MeterStatsView<'a> {
    /// Reads one entry, checking its `len` (at least 40, within `r`, 40 plus a whole number of
    /// 16-byte band counters) and padding.
    pub fn parse(r: &mut Reader<'a>) -> Result<MeterStatsView<'a>> {
        let len = usize::from(r.peek_u16(4, "ofp_meter_stats.len")?);
        let len_at = r.offset() + 4;
        if len < METER_STATS_LEN {
            return Err(Reader::bad_length(
                "ofp_meter_stats",
                len_at,
                len,
                "below the 40-byte meter stats",
            ));
        }
        if len > r.remaining() {
            return Err(Reader::bad_length(
                "ofp_meter_stats",
                len_at,
                len,
                "past the end of the multipart body",
            ));
        }
        if (len - METER_STATS_LEN) % METER_BAND_STATS_LEN != 0 {
            return Err(Reader::bad_length(
                "ofp_meter_stats",
                len_at,
                len,
                "not 40 plus a whole number of 16-byte band counters",
            ));
        }
        let mut e = r.sub(len, "ofp_meter_stats")?;
        let meter_id = MeterId(e.u32("ofp_meter_stats.meter_id")?);
        e.u16("ofp_meter_stats.len")?;
        e.pad(6, "ofp_meter_stats.pad")?;
        Ok(MeterStatsView {
            meter_id,
            flow_count: e.u32("ofp_meter_stats.flow_count")?,
            packet_in_count: e.u64("ofp_meter_stats.packet_in_count")?,
            byte_in_count: e.u64("ofp_meter_stats.byte_in_count")?,
            duration_sec: e.u32("ofp_meter_stats.duration_sec")?,
            duration_nsec: e.u32("ofp_meter_stats.duration_nsec")?,
            band_stats: Entries::from_reader(e),
        })
    }

    fn head(&self) -> MeterHead {
        MeterHead {
            meter_id: self.meter_id,
            flow_count: self.flow_count,
            packet_in_count: self.packet_in_count,
            byte_in_count: self.byte_in_count,
            duration_sec: self.duration_sec,
            duration_nsec: self.duration_nsec,
        }
    }

    /// The owned entry.
    pub fn decode(&self) -> Result<MeterStats> {
        Ok(MeterStats {
            meter_id: self.meter_id,
            flow_count: self.flow_count,
            packet_in_count: self.packet_in_count,
            byte_in_count: self.byte_in_count,
            duration_sec: self.duration_sec,
            duration_nsec: self.duration_nsec,
            band_stats: self.band_stats.decode()?,
        })
    }
}

view_entry!(MeterStatsView => MeterStats, |v| v.band_stats.validate());

impl fmt::Display for MeterStatsView<'_> {
    /// As [`MeterStats`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.head().fmt(f, self.band_stats.clone())
    }
}

fn fmt_meter_config_head(
    f: &mut fmt::Formatter<'_>,
    flags: MeterFlags,
    meter_id: MeterId,
) -> fmt::Result {
    f.write_str("meter=")?;
    fmt_meter_id(f, meter_id)?;
    if !flags.is_empty() {
        write!(f, " {flags}")?;
    }
    f.write_str(" bands=")
}

/// One meter's configuration (`ofp_meter_config`), owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MeterConfig {
    /// Meter flags.
    pub flags: MeterFlags,
    /// The meter.
    pub meter_id: MeterId,
    /// The bands.
    pub bands: Vec<MeterBand>,
}

impl MeterConfig {
    /// Parses one entry (see [`MeterConfigView::parse`]).
    pub fn parse(r: &mut Reader<'_>) -> Result<MeterConfig> {
        MeterConfigView::parse(r)?.decode()
    }
}

crate::codec::impl_encode!(MeterConfig);

impl WireWrite for MeterConfig {
    fn encoded_len(&self) -> usize {
        METER_CONFIG_LEN + MeterBand::list_len(&self.bands)
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u16(len16("ofp_meter_config", self.encoded_len())?);
        out.put_u16(self.flags.0);
        out.put_u32(self.meter_id.0);
        MeterBand::encode_list(&self.bands, out)
    }
}

impl fmt::Display for MeterConfig {
    /// ovs-ofctl's lines on one: `meter=100 pktps burst stats bands= type=drop rate=1000
    /// burst_size=10`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_meter_config_head(f, self.flags, self.meter_id)?;
        self.bands
            .iter()
            .try_for_each(|b| write!(f, " {}", b.display(self.flags)))
    }
}

/// One meter's configuration, borrowed.
#[derive(Debug, Clone)]
pub struct MeterConfigView<'a> {
    /// Meter flags.
    pub flags: MeterFlags,
    /// The meter.
    pub meter_id: MeterId,
    /// The bands, checked when iterated.
    pub bands: BandsView<'a>,
}

impl<'a> MeterConfigView<'a> {
    /// Reads one entry, checking its `length` (at least 8, within `r`); the bands fill the
    /// rest of the entry and are checked when iterated.
    pub fn parse(r: &mut Reader<'a>) -> Result<MeterConfigView<'a>> {
        let len = usize::from(r.peek_u16(0, "ofp_meter_config.length")?);
        check_len(
            r,
            len,
            METER_CONFIG_LEN,
            "ofp_meter_config",
            "below the 8-byte meter configuration",
        )?;
        let mut e = r.sub(len, "ofp_meter_config")?;
        e.u16("ofp_meter_config.length")?;
        let flags = MeterFlags(e.u16("ofp_meter_config.flags")?);
        let meter_id = MeterId(e.u32("ofp_meter_config.meter_id")?);
        Ok(MeterConfigView {
            flags,
            meter_id,
            bands: BandsView::from_reader(e),
        })
    }

    /// The owned entry.
    pub fn decode(&self) -> Result<MeterConfig> {
        Ok(MeterConfig {
            flags: self.flags,
            meter_id: self.meter_id,
            bands: self.bands.decode()?,
        })
    }
}

view_entry!(MeterConfigView => MeterConfig, |v| v.bands.validate());

impl fmt::Display for MeterConfigView<'_> {
    /// As [`MeterConfig`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_meter_config_head(f, self.flags, self.meter_id)?;
        crate::codec::fmt_items(f, self.bands.clone(), "", " ", |f, b| {
            b.display(self.flags).fmt(f)
        })
    }
}

/// Meter features (`ofp_meter_features`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MeterFeatures {
    /// Maximum number of meters.
    pub max_meter: u32,
    /// Supported band types: bit `1 << t` for each band type `t`.
    pub band_types: u32,
    /// Supported meter flags (`ofp_meter_flags` bits).
    pub capabilities: u32,
    /// Maximum bands per meter.
    pub max_bands: u8,
    /// Maximum color value.
    pub max_color: u8,
}

impl MeterFeatures {
    /// Encoded length.
    pub const LEN: usize = METER_FEATURES_LEN;

    /// Parses the structure.
    pub fn parse(r: &mut Reader<'_>) -> Result<MeterFeatures> {
        need(r, Self::LEN, "ofp_meter_features")?;
        let m = MeterFeatures {
            max_meter: r.u32("ofp_meter_features.max_meter")?,
            band_types: r.u32("ofp_meter_features.band_types")?,
            capabilities: r.u32("ofp_meter_features.capabilities")?,
            max_bands: r.u8("ofp_meter_features.max_bands")?,
            max_color: r.u8("ofp_meter_features.max_color")?,
        };
        r.pad(2, "ofp_meter_features.pad")?;
        Ok(m)
    }
}

crate::codec::impl_encode!(MeterFeatures);

impl WireWrite for MeterFeatures {
    fn encoded_len(&self) -> usize {
        Self::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u32(self.max_meter);
        out.put_u32(self.band_types);
        out.put_u32(self.capabilities);
        out.put_u8(self.max_bands);
        out.put_u8(self.max_color);
        put_zeros(out, 2);
        Ok(())
    }
}

impl fmt::Display for MeterFeatures {
    /// ovs-ofctl's lines on one: `max_meter:16777216 max_bands:255 max_color:0 band_types:
    /// drop dscp_remark capabilities: kbps pktps burst stats` (unknown bits in hex).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "max_meter:{} max_bands:{} max_color:{} band_types:",
            self.max_meter, self.max_bands, self.max_color
        )?;
        if self.band_types & (1 << 1) != 0 {
            f.write_str(" drop")?;
        }
        if self.band_types & (1 << 2) != 0 {
            f.write_str(" dscp_remark")?;
        }
        let unknown = self.band_types & !0b110;
        if unknown != 0 {
            write!(f, " {unknown:#x}")?;
        }
        f.write_str(" capabilities:")?;
        let known = MeterFlags((self.capabilities & 0xf) as u16);
        if !known.is_empty() {
            write!(f, " {known}")?;
        }
        let unknown = self.capabilities & !0xf;
        if unknown != 0 {
            write!(f, " {unknown:#x}")?;
        }
        Ok(())
    }
}

impl fmt::Display for MeterBandStats {
    /// `packet_count:N byte_count:M`, as ovs-ofctl prints each band of a meter.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "packet_count:{} byte_count:{}",
            self.packet_band_count, self.byte_band_count
        )
    }
}
