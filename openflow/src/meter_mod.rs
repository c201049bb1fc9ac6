//! OFPT_METER_MOD (`ofp_meter_mod`) and meter bands (`ofp_meter_band_*`), which meter
//! configuration multipart replies reuse.
//!
//! A band starts with `type` and `len`; `len` covers the whole band, is at least 16 and a
//! multiple of 8, within the band list, and exactly 16 for drop and DSCP-remark bands.
//! [`BandsView`] walks a band list without allocating.

use alloc::vec::Vec;
use core::fmt;
use core::ops::{BitAnd, BitOr, BitOrAssign};

use bytes::BufMut;

use crate::codec::{len16, put_zeros, ElementLen, MessageBody, Reader, WireWrite};
use crate::codec_error::{Error, Result};
use crate::header::MsgType;
use crate::types::MeterId;

/// Length of the fixed part of every band (`ofp_meter_band_header`: type, len, rate,
/// burst_size).
pub const BAND_HEADER_LEN: usize = 12;
/// Length of drop, DSCP-remark and bare experimenter bands, and the minimum of any band.
pub const BAND_LEN: usize = 16;
/// Length of the METER_MOD body before its bands (`ofp_meter_mod` minus the header).
pub const METER_MOD_BODY_LEN: usize = 8;

crate::types::open_enum! {
    /// A meter mod command (`ofp_meter_mod_command`). Open: any value parses.
    pub struct MeterModCommand(u16) as "OFPMC_" {
        /// OFPMC_ADD: a new meter.
        ADD = 0,
        /// OFPMC_MODIFY: modify a meter.
        MODIFY = 1,
        /// OFPMC_DELETE: delete a meter.
        DELETE = 2,
    }
}

/// Meter configuration flags (`ofp_meter_flags`), a bit set. Unknown bits are kept.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct MeterFlags(pub u16);

impl MeterFlags {
    /// No flags.
    pub const EMPTY: MeterFlags = MeterFlags(0);
    /// OFPMF_KBPS: rates in kb/s.
    pub const KBPS: MeterFlags = MeterFlags(1);
    /// OFPMF_PKTPS: rates in packets/s.
    pub const PKTPS: MeterFlags = MeterFlags(2);
    /// OFPMF_BURST: use the bands' burst sizes.
    pub const BURST: MeterFlags = MeterFlags(4);
    /// OFPMF_STATS: collect statistics.
    pub const STATS: MeterFlags = MeterFlags(8);

    /// True when every bit of `other` is set.
    pub const fn contains(self, other: MeterFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when no bit is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl BitOr for MeterFlags {
    type Output = MeterFlags;
    fn bitor(self, rhs: MeterFlags) -> MeterFlags {
        MeterFlags(self.0 | rhs.0)
    }
}

impl BitOrAssign for MeterFlags {
    fn bitor_assign(&mut self, rhs: MeterFlags) {
        self.0 |= rhs.0;
    }
}

impl BitAnd for MeterFlags {
    type Output = MeterFlags;
    fn bitand(self, rhs: MeterFlags) -> MeterFlags {
        MeterFlags(self.0 & rhs.0)
    }
}

impl fmt::Display for MeterFlags {
    /// As ovs-ofctl prints them: `kbps burst stats` (space separated), unknown bits as hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = [
            (MeterFlags::KBPS, "kbps"),
            (MeterFlags::PKTPS, "pktps"),
            (MeterFlags::BURST, "burst"),
            (MeterFlags::STATS, "stats"),
        ];
        let mut first = true;
        for (flag, name) in names {
            if self.contains(flag) {
                if !first {
                    f.write_str(" ")?;
                }
                first = false;
                f.write_str(name)?;
            }
        }
        let unknown = self.0 & !0xf;
        if unknown != 0 {
            if !first {
                f.write_str(" ")?;
            }
            write!(f, "{unknown:#x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for MeterFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MeterFlags({:#x}: {self})", self.0)
    }
}

crate::types::open_enum! {
    /// A meter band type (`ofp_meter_band_type`). Open: any value parses.
    pub struct MeterBandType(u16) as "OFPMBT_", unknown "{:#x}" {
        /// OFPMBT_DROP: drop packets.
        DROP = 1,
        /// OFPMBT_DSCP_REMARK: raise the drop precedence of the DSCP.
        DSCP_REMARK = 2,
        /// OFPMBT_EXPERIMENTER.
        EXPERIMENTER = 0xffff,
    }
}

impl MeterBandType {
    const fn what(self) -> &'static str {
        match self.0 {
            1 => "ofp_meter_band_drop",
            2 => "ofp_meter_band_dscp_remark",
            0xffff => "ofp_meter_band_experimenter",
            _ => "ofp_meter_band_header",
        }
    }
}

/// A meter band, owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MeterBand {
    /// OFPMBT_DROP.
    Drop {
        /// Rate for the band (kb/s or packets/s per the meter's flags).
        rate: u32,
        /// Burst size.
        burst_size: u32,
    },
    /// OFPMBT_DSCP_REMARK.
    DscpRemark {
        /// Rate for the band.
        rate: u32,
        /// Burst size.
        burst_size: u32,
        /// Number of drop-precedence levels to add.
        prec_level: u8,
    },
    /// OFPMBT_EXPERIMENTER, kept raw: `data` follows the experimenter id, so that
    /// `16 + data.len()` is the band's length (a multiple of 8).
    Experimenter {
        /// Rate for the band.
        rate: u32,
        /// Burst size.
        burst_size: u32,
        /// Experimenter id.
        experimenter: u32,
        /// Everything after the experimenter id.
        data: Vec<u8>,
    },
    /// A band type this codec does not know, kept raw: `data` follows `burst_size`, so that
    /// `12 + data.len()` is the band's length.
    Unknown {
        /// The band type.
        type_: MeterBandType,
        /// Rate for the band.
        rate: u32,
        /// Burst size.
        burst_size: u32,
        /// Everything after `burst_size`.
        data: Vec<u8>,
    },
}

impl MeterBand {
    /// A drop band.
    pub fn drop(rate: u32, burst_size: u32) -> MeterBand {
        MeterBand::Drop { rate, burst_size }
    }

    /// A DSCP-remark band.
    pub fn dscp_remark(rate: u32, burst_size: u32, prec_level: u8) -> MeterBand {
        MeterBand::DscpRemark {
            rate,
            burst_size,
            prec_level,
        }
    }

    /// The band's type number.
    pub fn band_type(&self) -> MeterBandType {
        match self {
            MeterBand::Drop { .. } => MeterBandType::DROP,
            MeterBand::DscpRemark { .. } => MeterBandType::DSCP_REMARK,
            MeterBand::Experimenter { .. } => MeterBandType::EXPERIMENTER,
            MeterBand::Unknown { type_, .. } => *type_,
        }
    }

    /// The band's rate.
    pub fn rate(&self) -> u32 {
        match self {
            MeterBand::Drop { rate, .. }
            | MeterBand::DscpRemark { rate, .. }
            | MeterBand::Experimenter { rate, .. }
            | MeterBand::Unknown { rate, .. } => *rate,
        }
    }

    /// The band's burst size.
    pub fn burst_size(&self) -> u32 {
        match self {
            MeterBand::Drop { burst_size, .. }
            | MeterBand::DscpRemark { burst_size, .. }
            | MeterBand::Experimenter { burst_size, .. }
            | MeterBand::Unknown { burst_size, .. } => *burst_size,
        }
    }

    /// Parses one band, checking its length field.
    pub fn parse(r: &mut Reader<'_>) -> Result<MeterBand> {
        Ok(MeterBandView::parse(r)?.decode())
    }
}

crate::codec::owned_list_fns!(MeterBand, BandsView, "a band", "band");

crate::codec::impl_encode!(MeterBand);

impl WireWrite for MeterBand {
    fn encoded_len(&self) -> usize {
        match self {
            MeterBand::Drop { .. } | MeterBand::DscpRemark { .. } => BAND_LEN,
            MeterBand::Experimenter { data, .. } => BAND_LEN + data.len(),
            MeterBand::Unknown { data, .. } => BAND_HEADER_LEN + data.len(),
        }
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        let ty = self.band_type();
        let len = self.encoded_len();
        if matches!(self, MeterBand::Unknown { .. }) && ty.name().is_some() {
            return Err(Error::Unencodable {
                what: "ofp_meter_band_header",
                reason: "MeterBand::Unknown with the type of a known band",
            });
        }
        if len % 8 != 0 || len < BAND_LEN {
            return Err(Error::Unencodable {
                what: ty.what(),
                reason: "band length is not a multiple of 8 of at least 16",
            });
        }
        out.put_u16(ty.0);
        out.put_u16(len16(ty.what(), len)?);
        out.put_u32(self.rate());
        out.put_u32(self.burst_size());
        match self {
            MeterBand::Drop { .. } => put_zeros(out, 4),
            MeterBand::DscpRemark { prec_level, .. } => {
                out.put_u8(*prec_level);
                put_zeros(out, 3);
            }
            MeterBand::Experimenter {
                experimenter, data, ..
            } => {
                out.put_u32(*experimenter);
                out.put_slice(data);
            }
            MeterBand::Unknown { data, .. } => out.put_slice(data),
        }
        Ok(())
    }
}

impl MeterBand {
    /// Displays the band as ovs-ofctl prints it in a meter with `flags` (see
    /// [`DisplayBand`]).
    pub fn display(&self, flags: MeterFlags) -> DisplayBand<'_> {
        DisplayBand {
            band: self.as_ref(),
            flags,
        }
    }
}

impl MeterBand {
    /// The band as a borrowed view.
    pub fn as_ref(&self) -> MeterBandView<'_> {
        match self {
            MeterBand::Drop { rate, burst_size } => MeterBandView::Drop {
                rate: *rate,
                burst_size: *burst_size,
            },
            MeterBand::DscpRemark {
                rate,
                burst_size,
                prec_level,
            } => MeterBandView::DscpRemark {
                rate: *rate,
                burst_size: *burst_size,
                prec_level: *prec_level,
            },
            MeterBand::Experimenter {
                rate,
                burst_size,
                experimenter,
                data,
            } => MeterBandView::Experimenter {
                rate: *rate,
                burst_size: *burst_size,
                experimenter: *experimenter,
                data,
            },
            MeterBand::Unknown {
                type_,
                rate,
                burst_size,
                data,
            } => MeterBandView::Unknown {
                type_: *type_,
                rate: *rate,
                burst_size: *burst_size,
                data,
            },
        }
    }
}

/// A meter band borrowed from an encoded list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MeterBandView<'a> {
    /// OFPMBT_DROP.
    Drop {
        /// Rate.
        rate: u32,
        /// Burst size.
        burst_size: u32,
    },
    /// OFPMBT_DSCP_REMARK.
    DscpRemark {
        /// Rate.
        rate: u32,
        /// Burst size.
        burst_size: u32,
        /// Drop-precedence levels to add.
        prec_level: u8,
    },
    /// OFPMBT_EXPERIMENTER, borrowed.
    Experimenter {
        /// Rate.
        rate: u32,
        /// Burst size.
        burst_size: u32,
        /// Experimenter id.
        experimenter: u32,
        /// Everything after the experimenter id.
        data: &'a [u8],
    },
    /// An unknown band type, borrowed.
    Unknown {
        /// The band type.
        type_: MeterBandType,
        /// Rate.
        rate: u32,
        /// Burst size.
        burst_size: u32,
        /// Everything after `burst_size`.
        data: &'a [u8],
    },
}

impl<'a> MeterBandView<'a> {
    /// Reads one band from `r`, checking its length field: at least 16, a multiple of 8,
    /// within `r`, exactly 16 for drop and DSCP-remark bands; padding must be zero.
    pub fn parse(r: &mut Reader<'a>) -> Result<MeterBandView<'a>> {
        const BAND: ElementLen = ElementLen {
            head: "ofp_meter_band_header",
            min: BAND_LEN,
            below_min: "below the 16-byte minimum of a meter band",
            past_end: "past the end of the band list",
        };
        let (ty, what, mut b) = BAND.take(r, |ty| {
            let ty = MeterBandType(ty);
            let fixed = matches!(ty, MeterBandType::DROP | MeterBandType::DSCP_REMARK)
                .then_some((BAND_LEN, "drop and DSCP-remark bands are exactly 16 bytes"));
            (ty.what(), fixed)
        })?;
        let ty = MeterBandType(ty);
        let rate = b.u32("ofp_meter_band_header.rate")?;
        let burst_size = b.u32("ofp_meter_band_header.burst_size")?;
        let band = match ty {
            MeterBandType::DROP => {
                b.pad(4, "ofp_meter_band_drop.pad")?;
                MeterBandView::Drop { rate, burst_size }
            }
            MeterBandType::DSCP_REMARK => {
                let prec_level = b.u8("ofp_meter_band_dscp_remark.prec_level")?;
                b.pad(3, "ofp_meter_band_dscp_remark.pad")?;
                MeterBandView::DscpRemark {
                    rate,
                    burst_size,
                    prec_level,
                }
            }
            MeterBandType::EXPERIMENTER => MeterBandView::Experimenter {
                rate,
                burst_size,
                experimenter: b.u32("ofp_meter_band_experimenter.experimenter")?,
                data: b.rest(),
            },
            _ => MeterBandView::Unknown {
                type_: ty,
                rate,
                burst_size,
                data: b.rest(),
            },
        };
        b.finish(what)?;
        Ok(band)
    }

    /// The band's type number.
    pub fn band_type(&self) -> MeterBandType {
        match self {
            MeterBandView::Drop { .. } => MeterBandType::DROP,
            MeterBandView::DscpRemark { .. } => MeterBandType::DSCP_REMARK,
            MeterBandView::Experimenter { .. } => MeterBandType::EXPERIMENTER,
            MeterBandView::Unknown { type_, .. } => *type_,
        }
    }

    /// The owned band.
    pub fn decode(&self) -> MeterBand {
        match *self {
            MeterBandView::Drop { rate, burst_size } => MeterBand::Drop { rate, burst_size },
            MeterBandView::DscpRemark {
                rate,
                burst_size,
                prec_level,
            } => MeterBand::DscpRemark {
                rate,
                burst_size,
                prec_level,
            },
            MeterBandView::Experimenter {
                rate,
                burst_size,
                experimenter,
                data,
            } => MeterBand::Experimenter {
                rate,
                burst_size,
                experimenter,
                data: data.to_vec(),
            },
            MeterBandView::Unknown {
                type_,
                rate,
                burst_size,
                data,
            } => MeterBand::Unknown {
                type_,
                rate,
                burst_size,
                data: data.to_vec(),
            },
        }
    }
}

fn fmt_hex(f: &mut fmt::Formatter<'_>, data: &[u8]) -> fmt::Result {
    data.iter().try_for_each(|b| write!(f, "{b:02x}"))
}

impl<'a> MeterBandView<'a> {
    /// Displays the band as ovs-ofctl prints it in a meter with `flags` (see
    /// [`DisplayBand`]).
    pub fn display(&self, flags: MeterFlags) -> DisplayBand<'a> {
        DisplayBand { band: *self, flags }
    }
}

/// A band in ovs-ofctl notation: `type=drop rate=1000`, then ` burst_size=N` when the meter
/// has the burst flag, then ` prec_level=N` for DSCP remark; experimenter and unknown bands
/// print their ids and data in hex.
#[derive(Debug, Clone, Copy)]
pub struct DisplayBand<'a> {
    band: MeterBandView<'a>,
    flags: MeterFlags,
}

impl fmt::Display for DisplayBand<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (rate, burst_size) = match self.band {
            MeterBandView::Drop { rate, burst_size }
            | MeterBandView::DscpRemark {
                rate, burst_size, ..
            }
            | MeterBandView::Experimenter {
                rate, burst_size, ..
            }
            | MeterBandView::Unknown {
                rate, burst_size, ..
            } => (rate, burst_size),
        };
        match self.band {
            MeterBandView::Drop { .. } => f.write_str("type=drop")?,
            MeterBandView::DscpRemark { .. } => f.write_str("type=dscp_remark")?,
            MeterBandView::Experimenter { .. } => f.write_str("type=experimenter")?,
            MeterBandView::Unknown { type_, .. } => write!(f, "type={}", type_.0)?,
        }
        write!(f, " rate={rate}")?;
        if self.flags.contains(MeterFlags::BURST) {
            write!(f, " burst_size={burst_size}")?;
        }
        match self.band {
            MeterBandView::DscpRemark { prec_level, .. } => write!(f, " prec_level={prec_level}"),
            MeterBandView::Experimenter {
                experimenter, data, ..
            } => {
                write!(f, " experimenter={experimenter:#x} data=")?;
                fmt_hex(f, data)
            }
            MeterBandView::Unknown { data, .. } => {
                f.write_str(" data=")?;
                fmt_hex(f, data)
            }
            MeterBandView::Drop { .. } => Ok(()),
        }
    }
}

crate::codec::reader_list! {
    /// A borrowed, encoded band list (METER_MOD, meter configuration replies), walked without
    /// allocating. After the first error it yields nothing more.
    pub struct BandsView<'a> of MeterBandView<'a> => MeterBand {
        parse: MeterBandView::parse,
        from_reader: pub,
        check_first: true,
        validate("Checks every band without allocating."): |_b| Ok(()),
        decode("Decodes every band."): |b| Ok(b.decode()),
    }
}

/// The body of OFPT_METER_MOD, owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MeterMod {
    /// Add, modify or delete.
    pub command: MeterModCommand,
    /// Meter flags.
    pub flags: MeterFlags,
    /// The meter.
    pub meter_id: MeterId,
    /// The bands (none for delete).
    pub bands: Vec<MeterBand>,
}

impl MeterMod {
    /// Adds a meter.
    pub fn add(meter_id: impl Into<MeterId>, flags: MeterFlags, bands: Vec<MeterBand>) -> Self {
        MeterMod {
            command: MeterModCommand::ADD,
            flags,
            meter_id: meter_id.into(),
            bands,
        }
    }

    /// Replaces a meter's flags and bands.
    pub fn modify(meter_id: impl Into<MeterId>, flags: MeterFlags, bands: Vec<MeterBand>) -> Self {
        MeterMod {
            command: MeterModCommand::MODIFY,
            ..MeterMod::add(meter_id, flags, bands)
        }
    }

    /// Deletes a meter ([`MeterId::ALL`]: every meter).
    pub fn delete(meter_id: impl Into<MeterId>) -> Self {
        MeterMod {
            command: MeterModCommand::DELETE,
            ..MeterMod::add(meter_id, MeterFlags::EMPTY, Vec::new())
        }
    }
}

crate::codec::impl_encode!(MeterMod);

impl WireWrite for MeterMod {
    fn encoded_len(&self) -> usize {
        METER_MOD_BODY_LEN + MeterBand::list_len(&self.bands)
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u16(self.command.0);
        out.put_u16(self.flags.0);
        out.put_u32(self.meter_id.0);
        MeterBand::encode_list(&self.bands, out)
    }
}

impl MessageBody for MeterMod {
    const TYPE: MsgType = MsgType::METER_MOD;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        MeterModView::parse(r)?.decode()
    }
}

/// The body of OFPT_METER_MOD, borrowed.
#[derive(Debug, Clone)]
pub struct MeterModView<'a> {
    /// Add, modify or delete.
    pub command: MeterModCommand,
    /// Meter flags.
    pub flags: MeterFlags,
    /// The meter.
    pub meter_id: MeterId,
    /// The bands, checked when iterated.
    pub bands: BandsView<'a>,
}

impl<'a> MeterModView<'a> {
    /// Reads the body (everything after the header); the bands take the rest and are checked
    /// when iterated.
    pub fn parse(r: &mut Reader<'a>) -> Result<MeterModView<'a>> {
        let command = MeterModCommand(r.u16("ofp_meter_mod.command")?);
        let flags = MeterFlags(r.u16("ofp_meter_mod.flags")?);
        let meter_id = MeterId(r.u32("ofp_meter_mod.meter_id")?);
        let rest = r.sub(r.remaining(), "ofp_meter_mod.bands")?;
        Ok(MeterModView {
            command,
            flags,
            meter_id,
            bands: BandsView::from_reader(rest),
        })
    }

    /// Checks every band without allocating.
    pub fn validate(&self) -> Result<()> {
        self.bands.validate()
    }

    /// The owned body.
    pub fn decode(&self) -> Result<MeterMod> {
        Ok(MeterMod {
            command: self.command,
            flags: self.flags,
            meter_id: self.meter_id,
            bands: self.bands.decode()?,
        })
    }
}

fn fmt_meter_head(
    f: &mut fmt::Formatter<'_>,
    command: MeterModCommand,
    flags: MeterFlags,
    meter_id: MeterId,
) -> fmt::Result {
    match command {
        MeterModCommand::ADD => f.write_str("ADD ")?,
        MeterModCommand::MODIFY => f.write_str("MOD ")?,
        MeterModCommand::DELETE => f.write_str("DEL ")?,
        c => write!(f, "cmd:{} ", c.0)?,
    }
    match meter_id {
        MeterId::ALL => f.write_str("meter=all")?,
        MeterId::SLOWPATH => f.write_str("meter=slowpath")?,
        MeterId::CONTROLLER => f.write_str("meter=controller")?,
        m => write!(f, "meter={}", m.0)?,
    }
    if !flags.is_empty() {
        write!(f, " {flags}")?;
    }
    f.write_str(" bands=")
}

impl fmt::Display for MeterMod {
    /// As ovs-ofctl prints a METER_MOD's body: `ADD meter=1 kbps burst stats bands=`, then
    /// each band on its own line (see [`MeterBand::display`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_meter_head(f, self.command, self.flags, self.meter_id)?;
        self.bands
            .iter()
            .try_for_each(|b| write!(f, "\n{}", b.display(self.flags)))
    }
}

impl fmt::Display for MeterModView<'_> {
    /// As [`MeterMod`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_meter_head(f, self.command, self.flags, self.meter_id)?;
        crate::codec::fmt_items(f, self.bands.clone(), "", "\n", |f, b| {
            b.display(self.flags).fmt(f)
        })
    }
}

impl fmt::Display for MeterBand {
    /// As in a meter with the `burst` flag (see [`DisplayBand`]): `type=drop rate=1000
    /// burst_size=100`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display(MeterFlags::BURST).fmt(f)
    }
}

impl fmt::Display for MeterBandView<'_> {
    /// As [`MeterBand`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display(MeterFlags::BURST).fmt(f)
    }
}

impl fmt::Display for BandsView<'_> {
    /// The bands separated by spaces, as after ovs-ofctl's `bands=`; a band that fails its
    /// checks prints as `<error: ...>` and ends the list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::codec::fmt_list(f, self.clone(), " ")
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use alloc::string::ToString;
    use alloc::vec;
    use alloc::vec::Vec;

    use proptest::prelude::*;

    use super::*;
    use crate::action::test_support::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: alloc::string::String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn parse(body: &[u8]) -> Result<MeterMod> {
        let mut r = Reader::new(body, 8);
        let m = MeterMod::parse_body(&mut r)?;
        r.finish("ofp_meter_mod")?;
        Ok(m)
    }

    fn check_band_json(b: &MeterBand, j: &serde_json::Value) {
        let (name, j) = j.as_object().unwrap().iter().next().unwrap();
        assert_eq!(j["type"], b.band_type().0);
        assert_eq!(j["len"], b.encoded_len());
        assert_eq!(j["rate"], b.rate());
        assert_eq!(j["burst_size"], b.burst_size());
        match (name.as_str(), b) {
            ("OFPMeterBandDrop", MeterBand::Drop { .. }) => {}
            ("OFPMeterBandDscpRemark", MeterBand::DscpRemark { prec_level, .. }) => {
                assert_eq!(j["prec_level"], *prec_level);
            }
            (
                "OFPMeterBandExperimenter",
                MeterBand::Experimenter {
                    experimenter, data, ..
                },
            ) => {
                assert_eq!(j["experimenter"], *experimenter);
                assert!(data.is_empty());
            }
            (n, b) => panic!("os-ken's {n} decoded as {b:?}"),
        }
    }

    #[test]
    fn os_ken_meter_mods() {
        for name in [
            "4-45-ofp_meter_mod.packet",
            "libofproto-OFP13-meter_mod.packet",
        ] {
            let Some((m, json)) = corpus(name) else {
                return;
            };
            let mm = parse(&m[8..]).unwrap();
            let j = &json["OFPMeterMod"];
            assert_eq!(j["command"], mm.command.0);
            assert_eq!(j["flags"], mm.flags.0);
            assert_eq!(j["meter_id"], mm.meter_id.0);
            let jb = j["bands"].as_array().unwrap();
            assert_eq!(mm.bands.len(), jb.len(), "{name}");
            for (b, j) in mm.bands.iter().zip(jb) {
                check_band_json(b, j);
            }
            assert_eq!(mm.to_vec().unwrap(), &m[8..], "{name}");
            let view = MeterModView::parse(&mut Reader::new(&m[8..], 8)).unwrap();
            assert_eq!(view.decode().unwrap(), mm);
            assert_eq!(view.to_string(), mm.to_string());
        }
        assert_eq!(MeterMod::TYPE, MsgType::METER_MOD);
    }

    /// ovs-ofctl prints os-ken's libofproto METER_MOD as we do.
    #[test]
    fn os_ken_meter_mod_printed() {
        let Some((m, _)) = corpus("libofproto-OFP13-meter_mod.packet") else {
            return;
        };
        let Some(printed) = ofp_print(&m) else {
            return;
        };
        let mm = parse(&m[8..]).unwrap();
        assert_eq!(
            printed,
            alloc::format!("OFPT_METER_MOD (OF1.3) (xid=0x0): {mm}\n")
        );
    }

    /// Meter configuration replies reuse the band list: os-ken's 4-48 through [`BandsView`].
    #[test]
    fn os_ken_meter_config_bands() {
        let Some((m, json)) = corpus("4-48-ofp_meter_config_reply.packet") else {
            return;
        };
        // Multipart header (16 bytes), then ofp_meter_config: length, flags, meter_id, bands.
        let len = usize::from(u16::from_be_bytes([m[16], m[17]]));
        let flags = MeterFlags(u16::from_be_bytes([m[18], m[19]]));
        let bytes = &m[24..16 + len];
        let bands = BandsView::new_unchecked(bytes, 24).decode().unwrap();
        let jb = json["OFPMeterConfigStatsReply"]["body"][0]["OFPMeterConfigStats"]["bands"]
            .as_array()
            .unwrap();
        assert_eq!(bands.len(), jb.len());
        for (b, j) in bands.iter().zip(jb) {
            check_band_json(b, j);
        }
        let mut again = Vec::new();
        MeterBand::encode_list(&bands, &mut again).unwrap();
        assert_eq!(again, bytes);
        if let Some(printed) = ofp_print(&m) {
            for b in BandsView::new_unchecked(bytes, 24) {
                let line = b.unwrap().display(flags).to_string();
                assert!(printed.lines().any(|l| l == line), "{line:?} in {printed}");
            }
        }
        assert_eq!(
            MeterBand::parse_list(&mut Reader::new(bytes, 24)).unwrap(),
            bands
        );
    }

    /// ovs-ofctl decodes the METER_MODs we encode and prints what we print.
    #[test]
    fn ofctl_agrees() {
        let mods = vec![
            MeterMod::add(MeterId(1), MeterFlags::KBPS, vec![MeterBand::drop(1000, 0)]),
            MeterMod::add(
                MeterId(1),
                MeterFlags::KBPS,
                vec![MeterBand::drop(1000, 10)],
            ),
            MeterMod::modify(
                MeterId(2),
                MeterFlags::KBPS | MeterFlags::BURST,
                vec![MeterBand::drop(1000, 10), MeterBand::dscp_remark(5, 6, 1)],
            ),
            MeterMod::add(
                MeterId(3),
                MeterFlags::PKTPS | MeterFlags::BURST | MeterFlags::STATS,
                vec![MeterBand::drop(7, 8), MeterBand::drop(9, 10)],
            ),
            MeterMod::add(MeterId(4), MeterFlags::PKTPS, vec![]),
            MeterMod::delete(MeterId(5)),
            MeterMod::delete(MeterId::ALL),
            MeterMod::delete(MeterId::SLOWPATH),
            MeterMod::delete(MeterId::CONTROLLER),
        ];
        for mm in mods {
            let m = msg(MeterMod::TYPE.0, &mm.to_vec().unwrap());
            let Some(printed) = ofp_print(&m) else {
                return;
            };
            assert_eq!(
                printed,
                alloc::format!("OFPT_METER_MOD (OF1.3) (xid=0x1): {mm}\n"),
                "{mm:?}"
            );
        }
    }

    fn err(body: &str) -> Error {
        parse(&hex(body)).unwrap_err()
    }

    #[test]
    fn bad_lengths() {
        assert!(matches!(
            err("0000 0001 000000"),
            Error::Truncated { offset: 12, .. }
        ));
        // Band header cut short.
        assert!(matches!(
            err("0000 0001 00000001  0001 00"),
            Error::Truncated { offset: 16, .. }
        ));
        // Below 16.
        assert!(matches!(
            err("0000 0001 00000001  0001 000c 000003e8 0000000a"),
            Error::BadLength {
                offset: 18,
                value: 12,
                ..
            }
        ));
        // Not a multiple of 8.
        assert!(matches!(
            err("ffff 0001 00000001  ffff 0014 000003e8 0000000a 00000001 00000000"),
            Error::BadLength {
                offset: 18,
                value: 20,
                ..
            }
        ));
        // Past the end.
        assert!(matches!(
            err("0000 0001 00000001  0001 0018 000003e8 0000000a 00000000"),
            Error::BadLength {
                offset: 18,
                value: 24,
                ..
            }
        ));
        // Drop and DSCP remark are exactly 16.
        for ty in ["0001", "0002"] {
            let b = alloc::format!(
                "0000 0001 00000001  {ty} 0018 000003e8 0000000a 00000000 0000000000000000"
            );
            assert!(matches!(
                err(&b),
                Error::BadLength {
                    offset: 18,
                    value: 24,
                    ..
                }
            ));
        }
        // Experimenter and unknown bands may be longer.
        let b = hex("0000 0001 00000001  ffff 0018 000003e8 0000000a 000003e7 0102030405060708");
        let mm = parse(&b).unwrap();
        assert_eq!(
            mm.bands,
            vec![MeterBand::Experimenter {
                rate: 1000,
                burst_size: 10,
                experimenter: 999,
                data: hex("0102030405060708")
            }]
        );
        assert_eq!(mm.to_vec().unwrap(), b);
        let b = hex("0000 0001 00000001  0003 0010 000003e8 0000000a 01020304");
        let mm = parse(&b).unwrap();
        assert_eq!(
            mm.bands,
            vec![MeterBand::Unknown {
                type_: MeterBandType(3),
                rate: 1000,
                burst_size: 10,
                data: hex("01020304")
            }]
        );
        assert_eq!(mm.to_vec().unwrap(), b);
        assert_eq!(
            mm.bands[0].display(MeterFlags::BURST).to_string(),
            "type=3 rate=1000 burst_size=10 data=01020304"
        );
    }

    #[test]
    fn bad_padding() {
        assert!(matches!(
            err("0000 0001 00000001  0001 0010 000003e8 0000000a 00000100"),
            Error::BadValue { offset: 30, .. }
        ));
        assert!(matches!(
            err("0000 0001 00000001  0002 0010 000003e8 0000000a 01000001"),
            Error::BadValue { offset: 31, .. }
        ));
    }

    #[test]
    fn iteration_stops_after_error() {
        let b = hex("0001 0010 000003e8 0000000a 00000000  0001 0008 00000000");
        let mut it = BandsView::new_unchecked(&b, 0);
        assert!(matches!(
            it.next().unwrap().unwrap(),
            MeterBandView::Drop { rate: 1000, .. }
        ));
        assert!(it.next().unwrap().is_err());
        assert!(it.next().is_none());
    }

    #[test]
    fn unencodable() {
        let b = MeterBand::Unknown {
            type_: MeterBandType::DROP,
            rate: 1,
            burst_size: 2,
            data: vec![0; 4],
        };
        assert!(matches!(b.to_vec(), Err(Error::Unencodable { .. })));
        let b = MeterBand::Experimenter {
            rate: 1,
            burst_size: 2,
            experimenter: 3,
            data: vec![1, 2],
        };
        assert!(matches!(b.to_vec(), Err(Error::Unencodable { .. })));
        let b = MeterBand::Unknown {
            type_: MeterBandType(3),
            rate: 1,
            burst_size: 2,
            data: vec![],
        };
        assert!(matches!(b.to_vec(), Err(Error::Unencodable { .. })));
    }

    #[test]
    fn names_and_flags() {
        assert_eq!(MeterBandType::DSCP_REMARK.to_string(), "OFPMBT_DSCP_REMARK");
        assert_eq!(MeterModCommand::MODIFY.to_string(), "OFPMC_MODIFY");
        let f = MeterFlags::KBPS | MeterFlags::STATS;
        assert!(f.contains(MeterFlags::KBPS) && !f.contains(MeterFlags::BURST));
        assert_eq!(f.to_string(), "kbps stats");
        assert_eq!(MeterFlags(0x31).to_string(), "kbps 0x30");
        assert_eq!(alloc::format!("{f:?}"), "MeterFlags(0x9: kbps stats)");
        let mut g = MeterFlags::EMPTY;
        g |= MeterFlags::PKTPS;
        assert_eq!(g & MeterFlags::PKTPS, MeterFlags::PKTPS);
        let mm = MeterMod {
            command: MeterModCommand(9),
            flags: MeterFlags::EMPTY,
            meter_id: MeterId(1),
            bands: vec![],
        };
        assert_eq!(mm.to_string(), "cmd:9 meter=1 bands=");
    }

    fn arb_band() -> impl Strategy<Value = MeterBand> {
        let data = |extra: usize| {
            (0usize..3, proptest::collection::vec(any::<u8>(), 24))
                .prop_map(move |(n, b)| b[..8 * n + extra].to_vec())
        };
        prop_oneof![
            (any::<u32>(), any::<u32>())
                .prop_map(|(rate, burst_size)| MeterBand::Drop { rate, burst_size }),
            (any::<u32>(), any::<u32>(), any::<u8>()).prop_map(|(rate, burst_size, prec_level)| {
                MeterBand::DscpRemark {
                    rate,
                    burst_size,
                    prec_level,
                }
            }),
            (any::<u32>(), any::<u32>(), any::<u32>(), data(0)).prop_map(
                |(rate, burst_size, experimenter, data)| MeterBand::Experimenter {
                    rate,
                    burst_size,
                    experimenter,
                    data
                }
            ),
            (
                any::<u16>().prop_filter("unknown", |t| MeterBandType(*t).name().is_none()),
                any::<u32>(),
                any::<u32>(),
                data(4)
            )
                .prop_map(|(t, rate, burst_size, data)| MeterBand::Unknown {
                    type_: MeterBandType(t),
                    rate,
                    burst_size,
                    data
                }),
        ]
    }

    fn arb_meter_mod() -> impl Strategy<Value = MeterMod> {
        (
            any::<u16>(),
            any::<u16>(),
            any::<u32>(),
            proptest::collection::vec(arb_band(), 0..4),
        )
            .prop_map(|(c, f, m, bands)| MeterMod {
                command: MeterModCommand(c),
                flags: MeterFlags(f),
                meter_id: MeterId(m),
                bands,
            })
    }

    /// Bodies shaped like METER_MODs: bands of plausible types and lengths.
    fn arb_body() -> impl Strategy<Value = Vec<u8>> {
        let band = (
            prop_oneof![(0u16..4), Just(0xffffu16)],
            0usize..3,
            proptest::collection::vec(prop_oneof![3 => Just(0u8), 1 => any::<u8>()], 36),
            prop_oneof![4 => Just(None), 1 => (0u16..40).prop_map(Some)],
        )
            .prop_map(|(ty, n, body, badlen)| {
                let len = match ty {
                    1 | 2 => 16,
                    _ => 16 + 8 * n,
                };
                let len = badlen.map_or(len, usize::from);
                let mut v = ty.to_be_bytes().to_vec();
                v.extend_from_slice(&u16::try_from(len).unwrap().to_be_bytes());
                v.extend_from_slice(&body[..len.saturating_sub(4).min(36)]);
                v
            });
        (
            proptest::collection::vec(any::<u8>(), 8),
            proptest::collection::vec(band, 0..4),
        )
            .prop_map(|(mut head, bands)| {
                head.extend(bands.concat());
                head
            })
    }

    proptest! {
        #[test]
        fn any_bytes_round_trip(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(m) = parse(&b) {
                prop_assert_eq!(m.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn shaped_bytes_round_trip(b in arb_body()) {
            let view = MeterModView::parse(&mut Reader::new(&b, 8));
            match parse(&b) {
                Ok(m) => {
                    prop_assert!(view.unwrap().validate().is_ok());
                    prop_assert_eq!(m.to_vec().unwrap(), b);
                }
                Err(_) => prop_assert!(view.map_or(true, |v| v.validate().is_err())),
            }
        }

        #[test]
        fn values_round_trip(m in arb_meter_mod()) {
            let b = m.to_vec().unwrap();
            prop_assert_eq!(b.len(), m.encoded_len());
            prop_assert_eq!(parse(&b).unwrap(), m.clone());
            let view = MeterModView::parse(&mut Reader::new(&b, 8)).unwrap();
            prop_assert_eq!(view.to_string(), m.to_string());
        }
    }
}
