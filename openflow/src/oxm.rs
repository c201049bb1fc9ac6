//! The OpenFlow 1.3 match (`ofp_match`) and its OXM TLVs (spec §7.2.3).
//!
//! An `ofp_match` is `type` (always [`OFPMT_OXM`]), `length` (4 + the OXM TLVs, without the
//! padding), the TLVs, and zero padding to a multiple of 8. Each OXM TLV is a 32-bit header
//! (`class`:16, `field`:7, `hasmask`:1, `length`:8) followed by `length` bytes: the value, then
//! the mask of the same size when `hasmask` is set.
//!
//! - [`Match`] is the owned match: an ordered list of [`OxmField`]s, kept exactly as on the
//!   wire (order and duplicates included), with a builder (`Match::new().in_port(1)...`).
//! - [`MatchView`] borrows the bytes; [`MatchView::fields`] iterates [`OxmFieldView`]s without
//!   allocating. [`MatchView::parse`] checks the framing of every TLV once, so the iterator
//!   never yields an error for a parsed view.
//! - [`OxmField`] has one variant per OpenFlow-basic field of 1.3 (all 40 of them) with typed
//!   values and, where Table 12 of the spec allows one, an optional mask. Everything else is
//!   kept raw in [`OxmField::Raw`] and re-encoded unchanged: experimenter OXMs (class
//!   `0xffff`, whose payload starts with the experimenter id), other classes (Nicira's
//!   `0x0000`/`0x0001`, ...), unknown basic fields, basic fields whose length does not fit
//!   their type, and basic fields carrying a mask where the spec allows none. Parsing is about
//!   exactness, so those are never refused; [`Match::validate`] reports them.
//! - Values wider than the spec's bit width (a `vlan_pcp` of 9, a `vlan_vid` with bits above
//!   13) are kept as they are in their wire-sized integer; [`Match::validate`] reports them
//!   (masks may be wider: OVS accepts a `vlan_vid` mask of `0xffff`).
//! - [`Match::validate`] is a separate call (prerequisites, duplicates, masks, widths) under
//!   the OpenFlow 1.3 specification's rules; [`Match::validate_with`] takes the rules
//!   ([`MatchRules::OpenVswitch`]: exactly what Open vSwitch 3.1 accepts, such as masked
//!   transport ports, with the `OFPBMC_*` code it refuses the rest with, checked against a
//!   running OVS in the tests).
//! - `Display` prints the match in `ovs-ofctl` notation (see [`Match`]'s `Display`), checked
//!   in the tests against `ovs-ofctl ofp-parse` and a running OVS's `dump-flows`.
//!
//! Contract: after [`Match::parse`] or [`MatchView::parse`] succeeds, encoding gives back the
//! same bytes (padding included); no accessor panics; encoding fails only for values that do
//! not fit their wire field (a `pbb_isid` above 24 bits, a raw payload over 255 bytes, a match
//! over 65535 bytes).

use alloc::vec::Vec;
use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};

use bytes::BufMut;
use sdnwire_packet::MacAddr;

use crate::codec::{len16, pad8, put_zeros, Reader, WireWrite};
use crate::codec_error::{Error, Result};
use crate::types::PortNo;
use sdnwire_inline::InlineVec;

/// `OFPMT_OXM`: the only match type of OpenFlow 1.3.
pub const OFPMT_OXM: u16 = 1;
/// `OFPMT_STANDARD`: the deprecated OpenFlow 1.1 match; refused.
pub const OFPMT_STANDARD: u16 = 0;
/// Length of the `ofp_match` header (`type`, `length`).
pub const MATCH_HEADER_LEN: usize = 4;
/// Length of an OXM TLV header.
pub const OXM_HEADER_LEN: usize = 4;

/// `OFPXMC_NXM_0`: Nicira's original NXM fields (class `0x0000`).
pub const OFPXMC_NXM_0: u16 = 0x0000;
/// `OFPXMC_NXM_1`: Nicira's extension NXM fields (class `0x0001`).
pub const OFPXMC_NXM_1: u16 = 0x0001;
/// `OFPXMC_OPENFLOW_BASIC`: the spec's fields (class `0x8000`).
pub const OFPXMC_OPENFLOW_BASIC: u16 = 0x8000;
/// `OFPXMC_EXPERIMENTER`: experimenter fields (class `0xffff`); the payload starts with the
/// 32-bit experimenter id.
pub const OFPXMC_EXPERIMENTER: u16 = 0xffff;

/// `OFPVID_PRESENT`: the bit of `vlan_vid` that says a VLAN tag is present.
pub const OFPVID_PRESENT: u16 = 0x1000;
/// `OFPVID_NONE`: `vlan_vid` value matching packets without a VLAN tag.
pub const OFPVID_NONE: u16 = 0x0000;

/// A 32-bit OXM header (`class`:16, `field`:7, `hasmask`:1, `length`:8), as it appears before
/// every TLV and, alone, in table features' OXM lists.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct OxmHeader(pub u32);

impl OxmHeader {
    /// Builds a header. `field` keeps its low 7 bits.
    pub const fn new(class: u16, field: u8, hasmask: bool, length: u8) -> Self {
        OxmHeader(
            (class as u32) << 16
                | ((field & 0x7f) as u32) << 9
                | (hasmask as u32) << 8
                | length as u32,
        )
    }

    /// The OXM class.
    pub const fn class(self) -> u16 {
        (self.0 >> 16) as u16
    }

    /// The field number within the class (7 bits).
    pub const fn field(self) -> u8 {
        ((self.0 >> 9) & 0x7f) as u8
    }

    /// The `hasmask` bit.
    pub const fn hasmask(self) -> bool {
        self.0 & 0x100 != 0
    }

    /// The payload length (value, plus mask when `hasmask`; experimenter id included).
    pub const fn length(self) -> u8 {
        (self.0 & 0xff) as u8
    }

    /// The spec's name of an OpenFlow-basic field (`"in_port"`, `"eth_dst"`, as os-ken names
    /// them), `None` for other classes and unknown fields.
    pub fn basic_name(self) -> Option<&'static str> {
        if self.class() == OFPXMC_OPENFLOW_BASIC {
            basic_field_info(self.field()).map(|i| i.name)
        } else {
            None
        }
    }
}

impl fmt::Debug for OxmHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.basic_name() {
            Some(n) => write!(
                f,
                "OxmHeader({n}{}, len {})",
                if self.hasmask() { "/mask" } else { "" },
                self.length()
            ),
            None => write!(
                f,
                "OxmHeader(class {:#06x}, field {}, hasmask {}, len {})",
                self.class(),
                self.field(),
                self.hasmask(),
                self.length()
            ),
        }
    }
}

/// What the spec says about one OpenFlow-basic field (Table 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicFieldInfo {
    /// The field number (`OFPXMT_OFB_*`).
    pub field: u8,
    /// The spec's name without prefix, lower case, as os-ken names it (`"ipv4_src"`).
    pub name: &'static str,
    /// Length of the value on the wire (the mask, when present, has the same length).
    pub len: usize,
    /// Whether the spec allows a mask.
    pub maskable: bool,
    /// Significant bits of the value (`vlan_vid` 13, `pbb_isid` 24, ...).
    pub bits: u32,
}

/// The spec's facts about OpenFlow-basic field `field`, if it is one of the 40 of 1.3.
pub fn basic_field_info(field: u8) -> Option<&'static BasicFieldInfo> {
    BASIC_FIELDS.get(usize::from(field))
}

/// A value type of an OXM field: reads from and writes to exactly its wire length.
trait OxmValue: Copy {
    /// Decodes from the value bytes (`b.len()` is the field's wire length).
    fn read(b: &[u8]) -> Option<Self>;
    /// Whether the value fits `len` bytes.
    fn fits(self, len: usize) -> bool;
    /// Writes the value in `len` bytes (the caller checked [`OxmValue::fits`]).
    fn write<B: BufMut>(self, len: usize, out: &mut B);
}

fn read_uint(b: &[u8]) -> Option<u64> {
    if b.len() > 8 {
        return None;
    }
    Some(b.iter().fold(0u64, |a, &x| (a << 8) | u64::from(x)))
}

fn write_uint<B: BufMut>(v: u64, len: usize, out: &mut B) {
    let be = v.to_be_bytes();
    out.put_slice(be.get(8usize.saturating_sub(len)..).unwrap_or(&be));
}

fn uint_fits(v: u64, len: usize) -> bool {
    len >= 8 || v >> (8 * len) == 0
}

macro_rules! uint_value {
    ($($t:ty),*) => {$(
        impl OxmValue for $t {
            fn read(b: &[u8]) -> Option<Self> {
                if b.len() > core::mem::size_of::<$t>() {
                    return None;
                }
                read_uint(b).and_then(|v| <$t>::try_from(v).ok())
            }
            fn fits(self, len: usize) -> bool {
                uint_fits(u64::from(self), len)
            }
            fn write<B: BufMut>(self, len: usize, out: &mut B) {
                write_uint(u64::from(self), len, out)
            }
        }
    )*};
}
uint_value!(u8, u16, u32, u64);

impl OxmValue for PortNo {
    fn read(b: &[u8]) -> Option<Self> {
        u32::read(b).map(PortNo)
    }
    fn fits(self, len: usize) -> bool {
        self.0.fits(len)
    }
    fn write<B: BufMut>(self, len: usize, out: &mut B) {
        self.0.write(len, out)
    }
}

impl OxmValue for MacAddr {
    fn read(b: &[u8]) -> Option<Self> {
        <[u8; 6]>::try_from(b).ok().map(MacAddr)
    }
    fn fits(self, len: usize) -> bool {
        len == 6
    }
    fn write<B: BufMut>(self, _len: usize, out: &mut B) {
        out.put_slice(&self.0)
    }
}

impl OxmValue for Ipv4Addr {
    fn read(b: &[u8]) -> Option<Self> {
        <[u8; 4]>::try_from(b).ok().map(Ipv4Addr::from)
    }
    fn fits(self, len: usize) -> bool {
        len == 4
    }
    fn write<B: BufMut>(self, _len: usize, out: &mut B) {
        out.put_slice(&self.octets())
    }
}

impl OxmValue for Ipv6Addr {
    fn read(b: &[u8]) -> Option<Self> {
        <[u8; 16]>::try_from(b).ok().map(Ipv6Addr::from)
    }
    fn fits(self, len: usize) -> bool {
        len == 16
    }
    fn write<B: BufMut>(self, _len: usize, out: &mut B) {
        out.put_slice(&self.octets())
    }
}

/// The value bits of a typed value, as a 128-bit integer (for mask and width checks).
trait Bits {
    fn bits(self) -> u128;
}
macro_rules! bits_uint {
    ($($t:ty),*) => {$( impl Bits for $t { fn bits(self) -> u128 { u128::from(self) } } )*};
}
bits_uint!(u8, u16, u32, u64);
impl Bits for PortNo {
    fn bits(self) -> u128 {
        u128::from(self.0)
    }
}
impl Bits for MacAddr {
    fn bits(self) -> u128 {
        self.0.iter().fold(0u128, |a, &x| (a << 8) | u128::from(x))
    }
}
impl Bits for Ipv4Addr {
    fn bits(self) -> u128 {
        u128::from(u32::from(self))
    }
}
impl Bits for Ipv6Addr {
    fn bits(self) -> u128 {
        u128::from(self)
    }
}

/// What the builder methods take for a field of type `T`: `T` itself, and for ports,
/// addresses the plain number or octets (`in_port(1)`, `eth_dst([0, 0, 0, 0, 0, 2])`).
///
/// Integers convert only from themselves, so literals infer (`eth_type(0x0800)`).
pub trait IntoOxmValue<T> {
    /// The value.
    fn into_value(self) -> T;
}

macro_rules! into_value {
    ($($from:ty => $to:ty, |$v:ident| $e:expr;)*) => {$(
        impl IntoOxmValue<$to> for $from {
            fn into_value(self) -> $to {
                let $v = self;
                $e
            }
        }
    )*};
}
into_value! {
    u8 => u8, |v| v;
    u16 => u16, |v| v;
    u32 => u32, |v| v;
    u64 => u64, |v| v;
    PortNo => PortNo, |v| v;
    u32 => PortNo, |v| PortNo(v);
    MacAddr => MacAddr, |v| v;
    [u8; 6] => MacAddr, |v| MacAddr(v);
    Ipv4Addr => Ipv4Addr, |v| v;
    [u8; 4] => Ipv4Addr, |v| Ipv4Addr::from(v);
    Ipv6Addr => Ipv6Addr, |v| v;
    [u8; 16] => Ipv6Addr, |v| Ipv6Addr::from(v);
    [u16; 8] => Ipv6Addr, |v| Ipv6Addr::from(v);
}

macro_rules! oxm_table {
    (
        exact {$(
            $(#[$edoc:meta])*
            $ev:ident($ety:ty) = $ecode:ident $enum:literal, $elen:literal, $ebits:literal,
                $ename:literal, $ebuild:ident, $eget:ident, $eoget:ident;
        )*}
        masked {$(
            $(#[$mdoc:meta])*
            $mv:ident($mty:ty) = $mcode:ident $mnum:literal, $mlen:literal, $mbits:literal,
                $mname:literal, $mbuild:ident, $mbuildm:ident, $mget:ident, $mgetm:ident,
                $moget:ident, $mogetm:ident;
        )*}
    ) => {
        /// OpenFlow-basic field numbers (`OFPXMT_OFB_*`), for class [`OFPXMC_OPENFLOW_BASIC`].
        pub mod ofb {
            $(
                #[doc = concat!("`OFPXMT_OFB_", stringify!($ecode), "`: ", $ename, ".")]
                pub const $ecode: u8 = $enum;
            )*
            $(
                #[doc = concat!("`OFPXMT_OFB_", stringify!($mcode), "`: ", $mname, " (maskable).")]
                pub const $mcode: u8 = $mnum;
            )*
        }

        static BASIC_FIELDS: [BasicFieldInfo; 40] = {
            let mut t = [BasicFieldInfo { field: 0, name: "", len: 0, maskable: false, bits: 0 }; 40];
            $( t[$enum] = BasicFieldInfo { field: $enum, name: $ename, len: $elen, maskable: false, bits: $ebits }; )*
            $( t[$mnum] = BasicFieldInfo { field: $mnum, name: $mname, len: $mlen, maskable: true, bits: $mbits }; )*
            t
        };

        /// One OXM TLV, owned.
        ///
        /// The 40 OpenFlow-basic fields of 1.3 are typed; maskable ones carry `Option<mask>`
        /// (`None`: no mask on the wire; `Some(all ones)` is kept as a mask). Integers have
        /// their wire size (`vlan_vid` is a `u16` of which the spec uses 13 bits, `pbb_isid` a
        /// `u32` sent in 3 bytes); bits beyond the spec's width are kept and reported by
        /// [`Match::validate`]. Everything else is [`OxmField::Raw`].
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum OxmField {
            $( $(#[$edoc])* $ev($ety), )*
            $( $(#[$mdoc])* $mv($mty, Option<$mty>), )*
            /// Any other TLV, kept as it was on the wire: experimenter fields, other classes,
            /// unknown basic fields, and basic fields of the wrong length or with a mask the
            /// spec does not allow.
            Raw(RawOxm),
        }

        impl OxmField {
            /// The OXM class ([`OFPXMC_OPENFLOW_BASIC`] for every typed variant).
            pub fn class(&self) -> u16 {
                match self {
                    OxmField::Raw(r) => r.class,
                    _ => OFPXMC_OPENFLOW_BASIC,
                }
            }

            /// The field number within its class (`ofb::*` for basic fields).
            pub fn field(&self) -> u8 {
                match self {
                    $( OxmField::$ev(..) => $enum, )*
                    $( OxmField::$mv(..) => $mnum, )*
                    OxmField::Raw(r) => r.field,
                }
            }

            /// Whether a mask is present.
            pub fn hasmask(&self) -> bool {
                match self {
                    $( OxmField::$mv(_, m) => m.is_some(), )*
                    OxmField::Raw(r) => r.hasmask,
                    _ => false,
                }
            }

            /// The payload length (the header's `length` byte, as a `usize`).
            pub fn payload_len(&self) -> usize {
                match self {
                    $( OxmField::$ev(..) => $elen, )*
                    $( OxmField::$mv(_, m) => if m.is_some() { 2 * $mlen } else { $mlen }, )*
                    OxmField::Raw(r) => r.payload.len(),
                }
            }

            /// The spec's name of a typed field (`"eth_dst"`), `None` for [`OxmField::Raw`].
            pub fn name(&self) -> Option<&'static str> {
                match self {
                    $( OxmField::$ev(..) => Some($ename), )*
                    $( OxmField::$mv(..) => Some($mname), )*
                    OxmField::Raw(_) => None,
                }
            }

            /// Decodes a TLV's parts: a typed variant when the class is basic, the field is
            /// known, the length fits its type and a mask is only present where allowed;
            /// [`OxmField::Raw`] otherwise.
            pub fn from_parts(class: u16, field: u8, hasmask: bool, payload: &[u8]) -> OxmField {
                OxmField::from_parts_inline(class, field, hasmask, payload)
            }

            /// [`from_parts`](Self::from_parts) inlined into the owned decoders' loops (the
            /// match's TLVs, set-field actions), so that the field is built where it is
            /// pushed rather than returned through memory.
            #[inline(always)]
            pub(crate) fn from_parts_inline(class: u16, field: u8, hasmask: bool, payload: &[u8]) -> OxmField {
                if class == OFPXMC_OPENFLOW_BASIC {
                    if let Some(f) = decode_basic(field, hasmask, payload) {
                        return f;
                    }
                }
                OxmField::Raw(RawOxm { class, field, hasmask, payload: payload.to_vec() })
            }

            fn put_payload<B: BufMut>(&self, out: &mut B) -> Result<()> {
                match self {
                    $( OxmField::$ev(v) => {
                        if !v.fits($elen) {
                            return Err(Error::Unencodable { what: $ename, reason: "value wider than its OXM field" });
                        }
                        v.write($elen, out);
                    } )*
                    $( OxmField::$mv(v, m) => {
                        if !v.fits($mlen) || !m.map_or(true, |m| m.fits($mlen)) {
                            return Err(Error::Unencodable { what: $mname, reason: "value wider than its OXM field" });
                        }
                        v.write($mlen, out);
                        if let Some(m) = m {
                            m.write($mlen, out);
                        }
                    } )*
                    OxmField::Raw(r) => out.put_slice(&r.payload),
                }
                Ok(())
            }

            /// Value and mask as integers, with the field's significant bit width, for
            /// validation (`None` for raw fields).
            fn value_bits(&self) -> Option<(u128, Option<u128>, u32)> {
                match self {
                    $( OxmField::$ev(v) => Some((v.bits(), None, $ebits)), )*
                    $( OxmField::$mv(v, m) => Some((v.bits(), m.map(Bits::bits), $mbits)), )*
                    OxmField::Raw(_) => None,
                }
            }
        }

        // Inlined into `from_parts` and `typed`: returned through memory, the
        // `Option<OxmField>` cost a copy per field (~23 instructions).
        #[inline(always)]
        fn decode_basic(field: u8, hasmask: bool, p: &[u8]) -> Option<OxmField> {
            match field {
                $( $enum => {
                    if hasmask || p.len() != $elen {
                        return None;
                    }
                    <$ety as OxmValue>::read(p).map(OxmField::$ev)
                } )*
                $( $mnum => {
                    if hasmask {
                        if p.len() != 2 * $mlen {
                            return None;
                        }
                        let (v, m) = p.split_at($mlen);
                        Some(OxmField::$mv(<$mty as OxmValue>::read(v)?, Some(<$mty as OxmValue>::read(m)?)))
                    } else {
                        if p.len() != $mlen {
                            return None;
                        }
                        Some(OxmField::$mv(<$mty as OxmValue>::read(p)?, None))
                    }
                } )*
                _ => None,
            }
        }

        /// Builder: one method per field, appending it (order is kept, nothing is replaced).
        impl Match {
            $(
                #[doc = concat!("Appends `", $ename, "` (no mask allowed).")]
                #[must_use]
                pub fn $ebuild(mut self, value: impl IntoOxmValue<$ety>) -> Self {
                    self.fields.push(OxmField::$ev(value.into_value()));
                    self
                }
            )*
            $(
                #[doc = concat!("Appends `", $mname, "` without a mask.")]
                #[must_use]
                pub fn $mbuild(mut self, value: impl IntoOxmValue<$mty>) -> Self {
                    self.fields.push(OxmField::$mv(value.into_value(), None));
                    self
                }

                #[doc = concat!("Appends `", $mname, "` with a mask (1 bits are matched).")]
                #[must_use]
                pub fn $mbuildm(mut self, value: impl IntoOxmValue<$mty>, mask: impl IntoOxmValue<$mty>) -> Self {
                    self.fields.push(OxmField::$mv(value.into_value(), Some(mask.into_value())));
                    self
                }
            )*
        }

        /// Typed getters: the first typed field of that kind (raw fields are skipped).
        ///
        /// Named `get_*` because the plain names are the builder's.
        impl Match {
            $(
                #[doc = concat!("The value of the first `", $ename, "` field.")]
                pub fn $eoget(&self) -> Option<$ety> {
                    self.fields.iter().find_map(|f| match f { OxmField::$ev(v) => Some(*v), _ => None })
                }
            )*
            $(
                #[doc = concat!("The value of the first `", $mname, "` field (its mask ignored: see `", stringify!($mogetm), "`).")]
                pub fn $moget(&self) -> Option<$mty> {
                    self.$mogetm().map(|(v, _)| v)
                }

                #[doc = concat!("Value and mask of the first `", $mname, "` field.")]
                pub fn $mogetm(&self) -> Option<($mty, Option<$mty>)> {
                    self.fields.iter().find_map(|f| match f { OxmField::$mv(v, m) => Some((*v, *m)), _ => None })
                }
            )*
        }

        /// Typed getters: the first typed field of that kind (raw fields are skipped).
        impl MatchView<'_> {
            $(
                #[doc = concat!("The value of the first `", $ename, "` field.")]
                pub fn $eget(&self) -> Option<$ety> {
                    match self.basic($enum)? { OxmField::$ev(v) => Some(v), _ => None }
                }
            )*
            $(
                #[doc = concat!("The value of the first `", $mname, "` field (its mask ignored: see `", stringify!($mgetm), "`).")]
                pub fn $mget(&self) -> Option<$mty> {
                    self.$mgetm().map(|(v, _)| v)
                }

                #[doc = concat!("Value and mask of the first `", $mname, "` field.")]
                pub fn $mgetm(&self) -> Option<($mty, Option<$mty>)> {
                    match self.basic($mnum)? { OxmField::$mv(v, m) => Some((v, m)), _ => None }
                }
            )*
        }
    };
}

oxm_table! {
    exact {
        /// `in_port`: switch input port.
        InPort(PortNo) = IN_PORT 0, 4, 32, "in_port", in_port, in_port, get_in_port;
        /// `in_phy_port`: switch physical input port.
        InPhyPort(PortNo) = IN_PHY_PORT 1, 4, 32, "in_phy_port", in_phy_port, in_phy_port, get_in_phy_port;
        /// `eth_type`: Ethernet frame type.
        EthType(u16) = ETH_TYPE 5, 2, 16, "eth_type", eth_type, eth_type, get_eth_type;
        /// `vlan_pcp`: VLAN priority (3 bits).
        VlanPcp(u8) = VLAN_PCP 7, 1, 3, "vlan_pcp", vlan_pcp, vlan_pcp, get_vlan_pcp;
        /// `ip_dscp`: IP DSCP (6 bits of the ToS field).
        IpDscp(u8) = IP_DSCP 8, 1, 6, "ip_dscp", ip_dscp, ip_dscp, get_ip_dscp;
        /// `ip_ecn`: IP ECN (2 bits of the ToS field).
        IpEcn(u8) = IP_ECN 9, 1, 2, "ip_ecn", ip_ecn, ip_ecn, get_ip_ecn;
        /// `ip_proto`: IP protocol.
        IpProto(u8) = IP_PROTO 10, 1, 8, "ip_proto", ip_proto, ip_proto, get_ip_proto;
        /// `tcp_src`: TCP source port.
        TcpSrc(u16) = TCP_SRC 13, 2, 16, "tcp_src", tcp_src, tcp_src, get_tcp_src;
        /// `tcp_dst`: TCP destination port.
        TcpDst(u16) = TCP_DST 14, 2, 16, "tcp_dst", tcp_dst, tcp_dst, get_tcp_dst;
        /// `udp_src`: UDP source port.
        UdpSrc(u16) = UDP_SRC 15, 2, 16, "udp_src", udp_src, udp_src, get_udp_src;
        /// `udp_dst`: UDP destination port.
        UdpDst(u16) = UDP_DST 16, 2, 16, "udp_dst", udp_dst, udp_dst, get_udp_dst;
        /// `sctp_src`: SCTP source port.
        SctpSrc(u16) = SCTP_SRC 17, 2, 16, "sctp_src", sctp_src, sctp_src, get_sctp_src;
        /// `sctp_dst`: SCTP destination port.
        SctpDst(u16) = SCTP_DST 18, 2, 16, "sctp_dst", sctp_dst, sctp_dst, get_sctp_dst;
        /// `icmpv4_type`: ICMP type.
        Icmpv4Type(u8) = ICMPV4_TYPE 19, 1, 8, "icmpv4_type", icmpv4_type, icmpv4_type, get_icmpv4_type;
        /// `icmpv4_code`: ICMP code.
        Icmpv4Code(u8) = ICMPV4_CODE 20, 1, 8, "icmpv4_code", icmpv4_code, icmpv4_code, get_icmpv4_code;
        /// `arp_op`: ARP opcode.
        ArpOp(u16) = ARP_OP 21, 2, 16, "arp_op", arp_op, arp_op, get_arp_op;
        /// `icmpv6_type`: ICMPv6 type.
        Icmpv6Type(u8) = ICMPV6_TYPE 29, 1, 8, "icmpv6_type", icmpv6_type, icmpv6_type, get_icmpv6_type;
        /// `icmpv6_code`: ICMPv6 code.
        Icmpv6Code(u8) = ICMPV6_CODE 30, 1, 8, "icmpv6_code", icmpv6_code, icmpv6_code, get_icmpv6_code;
        /// `ipv6_nd_target`: target address of an IPv6 neighbour discovery message.
        Ipv6NdTarget(Ipv6Addr) = IPV6_ND_TARGET 31, 16, 128, "ipv6_nd_target", ipv6_nd_target, ipv6_nd_target, get_ipv6_nd_target;
        /// `ipv6_nd_sll`: source link-layer address option of a neighbour solicitation.
        Ipv6NdSll(MacAddr) = IPV6_ND_SLL 32, 6, 48, "ipv6_nd_sll", ipv6_nd_sll, ipv6_nd_sll, get_ipv6_nd_sll;
        /// `ipv6_nd_tll`: target link-layer address option of a neighbour advertisement.
        Ipv6NdTll(MacAddr) = IPV6_ND_TLL 33, 6, 48, "ipv6_nd_tll", ipv6_nd_tll, ipv6_nd_tll, get_ipv6_nd_tll;
        /// `mpls_label`: MPLS label (20 bits).
        MplsLabel(u32) = MPLS_LABEL 34, 4, 20, "mpls_label", mpls_label, mpls_label, get_mpls_label;
        /// `mpls_tc`: MPLS traffic class (3 bits).
        MplsTc(u8) = MPLS_TC 35, 1, 3, "mpls_tc", mpls_tc, mpls_tc, get_mpls_tc;
        /// `mpls_bos`: MPLS bottom-of-stack bit (1 bit).
        MplsBos(u8) = MPLS_BOS 36, 1, 1, "mpls_bos", mpls_bos, mpls_bos, get_mpls_bos;
    }
    masked {
        /// `metadata`: metadata passed between tables.
        Metadata(u64) = METADATA 2, 8, 64, "metadata", metadata, metadata_masked, metadata, metadata_masked, get_metadata, get_metadata_masked;
        /// `eth_dst`: Ethernet destination address.
        EthDst(MacAddr) = ETH_DST 3, 6, 48, "eth_dst", eth_dst, eth_dst_masked, eth_dst, eth_dst_masked, get_eth_dst, get_eth_dst_masked;
        /// `eth_src`: Ethernet source address.
        EthSrc(MacAddr) = ETH_SRC 4, 6, 48, "eth_src", eth_src, eth_src_masked, eth_src, eth_src_masked, get_eth_src, get_eth_src_masked;
        /// `vlan_vid`: VLAN id (12 bits) with [`OFPVID_PRESENT`] (13 bits in all).
        VlanVid(u16) = VLAN_VID 6, 2, 13, "vlan_vid", vlan_vid, vlan_vid_masked, vlan_vid, vlan_vid_masked, get_vlan_vid, get_vlan_vid_masked;
        /// `ipv4_src`: IPv4 source address.
        Ipv4Src(Ipv4Addr) = IPV4_SRC 11, 4, 32, "ipv4_src", ipv4_src, ipv4_src_masked, ipv4_src, ipv4_src_masked, get_ipv4_src, get_ipv4_src_masked;
        /// `ipv4_dst`: IPv4 destination address.
        Ipv4Dst(Ipv4Addr) = IPV4_DST 12, 4, 32, "ipv4_dst", ipv4_dst, ipv4_dst_masked, ipv4_dst, ipv4_dst_masked, get_ipv4_dst, get_ipv4_dst_masked;
        /// `arp_spa`: ARP source IPv4 address.
        ArpSpa(Ipv4Addr) = ARP_SPA 22, 4, 32, "arp_spa", arp_spa, arp_spa_masked, arp_spa, arp_spa_masked, get_arp_spa, get_arp_spa_masked;
        /// `arp_tpa`: ARP target IPv4 address.
        ArpTpa(Ipv4Addr) = ARP_TPA 23, 4, 32, "arp_tpa", arp_tpa, arp_tpa_masked, arp_tpa, arp_tpa_masked, get_arp_tpa, get_arp_tpa_masked;
        /// `arp_sha`: ARP source hardware address.
        ArpSha(MacAddr) = ARP_SHA 24, 6, 48, "arp_sha", arp_sha, arp_sha_masked, arp_sha, arp_sha_masked, get_arp_sha, get_arp_sha_masked;
        /// `arp_tha`: ARP target hardware address.
        ArpTha(MacAddr) = ARP_THA 25, 6, 48, "arp_tha", arp_tha, arp_tha_masked, arp_tha, arp_tha_masked, get_arp_tha, get_arp_tha_masked;
        /// `ipv6_src`: IPv6 source address.
        Ipv6Src(Ipv6Addr) = IPV6_SRC 26, 16, 128, "ipv6_src", ipv6_src, ipv6_src_masked, ipv6_src, ipv6_src_masked, get_ipv6_src, get_ipv6_src_masked;
        /// `ipv6_dst`: IPv6 destination address.
        Ipv6Dst(Ipv6Addr) = IPV6_DST 27, 16, 128, "ipv6_dst", ipv6_dst, ipv6_dst_masked, ipv6_dst, ipv6_dst_masked, get_ipv6_dst, get_ipv6_dst_masked;
        /// `ipv6_flabel`: IPv6 flow label (20 bits).
        Ipv6Flabel(u32) = IPV6_FLABEL 28, 4, 20, "ipv6_flabel", ipv6_flabel, ipv6_flabel_masked, ipv6_flabel, ipv6_flabel_masked, get_ipv6_flabel, get_ipv6_flabel_masked;
        /// `pbb_isid`: PBB I-SID (24 bits, 3 bytes on the wire).
        PbbIsid(u32) = PBB_ISID 37, 3, 24, "pbb_isid", pbb_isid, pbb_isid_masked, pbb_isid, pbb_isid_masked, get_pbb_isid, get_pbb_isid_masked;
        /// `tunnel_id`: logical port metadata of a tunnel.
        TunnelId(u64) = TUNNEL_ID 38, 8, 64, "tunnel_id", tunnel_id, tunnel_id_masked, tunnel_id, tunnel_id_masked, get_tunnel_id, get_tunnel_id_masked;
        /// `ipv6_exthdr`: IPv6 extension header pseudo-field (9 bits, `OFPIEH_*` flags).
        Ipv6Exthdr(u16) = IPV6_EXTHDR 39, 2, 9, "ipv6_exthdr", ipv6_exthdr, ipv6_exthdr_masked, ipv6_exthdr, ipv6_exthdr_masked, get_ipv6_exthdr, get_ipv6_exthdr_masked;
    }
}

/// An OXM TLV kept as raw bytes: it is re-encoded exactly as it was read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RawOxm {
    /// The OXM class.
    pub class: u16,
    /// The field number (7 bits on the wire).
    pub field: u8,
    /// The `hasmask` bit.
    pub hasmask: bool,
    /// Everything after the header: for [`OFPXMC_EXPERIMENTER`] the 4-byte experimenter id
    /// first, then value and mask.
    pub payload: Vec<u8>,
}

crate::codec::impl_encode!(RawOxm);

impl WireWrite for RawOxm {
    fn encoded_len(&self) -> usize {
        OXM_HEADER_LEN + self.payload.len()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        let len = u8::try_from(self.payload.len()).map_err(|_| Error::Unencodable {
            what: "oxm_header",
            reason: "payload longer than 255 bytes",
        })?;
        if self.field > 0x7f {
            return Err(Error::Unencodable {
                what: "oxm_header",
                reason: "field number wider than 7 bits",
            });
        }
        out.put_u32(OxmHeader::new(self.class, self.field, self.hasmask, len).0);
        out.put_slice(&self.payload);
        Ok(())
    }
}

impl RawOxm {
    /// The experimenter id of an experimenter TLV (class `0xffff`, at least 4 bytes).
    pub fn experimenter(&self) -> Option<u32> {
        experimenter_of(self.class, &self.payload)
    }

    /// Value and mask bytes (see [`OxmFieldView::value`]).
    pub fn value_mask(&self) -> (&[u8], Option<&[u8]>) {
        split_value_mask(self.class, self.hasmask, &self.payload)
    }
}

#[inline]
fn experimenter_of(class: u16, payload: &[u8]) -> Option<u32> {
    if class == OFPXMC_EXPERIMENTER {
        payload.first_chunk::<4>().map(|b| u32::from_be_bytes(*b))
    } else {
        None
    }
}

#[inline]
fn split_value_mask(class: u16, hasmask: bool, payload: &[u8]) -> (&[u8], Option<&[u8]>) {
    let body = if experimenter_of(class, payload).is_some() {
        payload.get(4..).unwrap_or(&[])
    } else {
        payload
    };
    if hasmask {
        let (v, m) = body.split_at(body.len() / 2);
        (v, Some(m))
    } else {
        (body, None)
    }
}

impl OxmField {
    /// Reads one OXM TLV (header and payload) from `r`.
    pub fn parse(r: &mut Reader<'_>) -> Result<OxmField> {
        OxmFieldView::parse(r).map(|f| f.decode())
    }

    /// The TLV's header (for a raw payload over 255 bytes, which cannot be encoded, the
    /// length reads 255).
    pub fn header(&self) -> OxmHeader {
        OxmHeader::new(
            self.class(),
            self.field(),
            self.hasmask(),
            u8::try_from(self.payload_len()).unwrap_or(u8::MAX),
        )
    }

    /// The experimenter id of a raw experimenter TLV.
    pub fn experimenter(&self) -> Option<u32> {
        match self {
            OxmField::Raw(r) => r.experimenter(),
            _ => None,
        }
    }
}

crate::codec::impl_encode!(OxmField);

impl WireWrite for OxmField {
    fn encoded_len(&self) -> usize {
        OXM_HEADER_LEN + self.payload_len()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        let len = u8::try_from(self.payload_len()).map_err(|_| Error::Unencodable {
            what: "oxm_header",
            reason: "payload longer than 255 bytes",
        })?;
        if self.field() > 0x7f {
            return Err(Error::Unencodable {
                what: "oxm_header",
                reason: "field number wider than 7 bits",
            });
        }
        out.put_u32(OxmHeader::new(self.class(), self.field(), self.hasmask(), len).0);
        self.put_payload(out)
    }
}

/// One OXM TLV borrowed from a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OxmFieldView<'a> {
    header: OxmHeader,
    payload: &'a [u8],
    offset: usize,
}

impl<'a> OxmFieldView<'a> {
    /// Reads one OXM TLV from `r`: the 4-byte header, then `length` bytes, which must be in
    /// `r` ([`Error::BadLength`] at the length byte otherwise).
    #[inline]
    pub fn parse(r: &mut Reader<'a>) -> Result<OxmFieldView<'a>> {
        let offset = r.offset();
        let header = OxmHeader(r.u32("oxm_header")?);
        let len = usize::from(header.length());
        if len > r.remaining() {
            return Err(Reader::bad_length(
                "oxm_header.length",
                offset + 3,
                len,
                "OXM payload runs past the end of its container",
            ));
        }
        let payload = r.bytes(len, "oxm payload")?;
        Ok(OxmFieldView {
            header,
            payload,
            offset,
        })
    }

    /// The view of a TLV whose framing a caller has checked: `tlv` holds the 4-byte header
    /// and exactly the payload its length byte counts (a set-field action's OXM), at `offset`
    /// in the message.
    #[inline]
    pub(crate) fn from_tlv(tlv: &'a [u8], offset: usize) -> OxmFieldView<'a> {
        match tlv.split_first_chunk::<OXM_HEADER_LEN>() {
            Some((h, payload)) => OxmFieldView {
                header: OxmHeader(u32::from_be_bytes(*h)),
                payload,
                offset,
            },
            // Not reached (the callers checked the framing): an empty TLV, not a panic.
            None => OxmFieldView {
                header: OxmHeader(0),
                payload: &[],
                offset,
            },
        }
    }

    /// The TLV's header.
    #[inline]
    pub fn header(&self) -> OxmHeader {
        self.header
    }

    /// The OXM class.
    #[inline]
    pub fn class(&self) -> u16 {
        self.header.class()
    }

    /// The field number within the class.
    #[inline]
    pub fn field(&self) -> u8 {
        self.header.field()
    }

    /// The `hasmask` bit.
    #[inline]
    pub fn hasmask(&self) -> bool {
        self.header.hasmask()
    }

    /// Everything after the header (experimenter id, value, mask).
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// The experimenter id of an experimenter TLV (class `0xffff` with at least 4 bytes).
    #[inline]
    pub fn experimenter(&self) -> Option<u32> {
        experimenter_of(self.class(), self.payload)
    }

    /// The value bytes: the payload (after the experimenter id, if any), or its first half
    /// when `hasmask` is set.
    #[inline]
    pub fn value(&self) -> &'a [u8] {
        split_value_mask(self.class(), self.hasmask(), self.payload).0
    }

    /// The mask bytes when `hasmask` is set: the second half of the payload (after the
    /// experimenter id, if any; one byte longer than the value if the length is odd).
    #[inline]
    pub fn mask(&self) -> Option<&'a [u8]> {
        split_value_mask(self.class(), self.hasmask(), self.payload).1
    }

    /// Offset of the TLV from the start of the message.
    #[inline]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Bytes of the TLV, header included.
    #[inline]
    pub fn len(&self) -> usize {
        OXM_HEADER_LEN + self.payload.len()
    }

    /// Always false: a TLV has at least its header.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The typed field if this is a well-formed basic field.
    pub fn typed(&self) -> Option<OxmField> {
        if self.class() == OFPXMC_OPENFLOW_BASIC {
            decode_basic(self.field(), self.hasmask(), self.payload)
        } else {
            None
        }
    }

    /// The owned field (typed where possible, [`OxmField::Raw`] otherwise).
    pub fn decode(&self) -> OxmField {
        OxmField::from_parts(self.class(), self.field(), self.hasmask(), self.payload)
    }
}

/// The OXM fields a controller matches and sets most, unmasked (in_port, eth_dst, eth_src,
/// eth_type, vlan_vid, ip_proto, ipv4_src, ipv4_dst), told by their whole 32-bit header (class,
/// field, mask bit and length in one test): for one of them, binds `$f` to the field
/// `$payload` holds and runs `$push` (which ends in `continue`), so that each field is built
/// in the arm that pushes it; for any other header, nothing. The values are those of
/// [`OxmField::from_parts`] (the header fixes the length the typed value needs), which the
/// owned decodes call for every other TLV.
macro_rules! push_common_oxm {
    ($header:expr, $payload:expr, |$f:ident| $push:block) => {{
        let payload: &[u8] = $payload;
        macro_rules! arm {
            ($n:literal, |$p:ident| $v:expr) => {
                if let Some($p) = payload.first_chunk::<$n>() {
                    let $f = $v;
                    $push
                }
            };
        }
        use $crate::oxm::OxmField as F;
        match $header {
            0x8000_0004 => arm!(4, |p| F::InPort($crate::types::PortNo(u32::from_be_bytes(
                *p
            )))),
            0x8000_0606 => arm!(6, |p| F::EthDst(sdnwire_packet::MacAddr(*p), None)),
            0x8000_0806 => arm!(6, |p| F::EthSrc(sdnwire_packet::MacAddr(*p), None)),
            0x8000_0a02 => arm!(2, |p| F::EthType(u16::from_be_bytes(*p))),
            0x8000_0c02 => arm!(2, |p| F::VlanVid(u16::from_be_bytes(*p), None)),
            0x8000_1401 => arm!(1, |p| F::IpProto(p[0])),
            0x8000_1604 => arm!(4, |p| F::Ipv4Src(core::net::Ipv4Addr::from(*p), None)),
            0x8000_1804 => arm!(4, |p| F::Ipv4Dst(core::net::Ipv4Addr::from(*p), None)),
            _ => {}
        }
    }};
}
pub(crate) use push_common_oxm;

mod display;
mod ofp_match;
mod validate;

pub use ofp_match::*;
pub use validate::*;

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)]
mod tests;

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)]
mod ovs_tests;
