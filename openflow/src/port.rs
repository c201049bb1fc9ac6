//! Ports: the port description (`ofp_port`), PORT_STATUS and PORT_MOD.
//!
//! [`Port`] is a fixed 64-byte structure, so the owned value is also the view: it is `Copy` and
//! parsing it allocates nothing. It is reused by the PORT_DESC multipart reply.
//!
//! The port name is kept as the 16 bytes of the wire (a NUL-padded string, possibly with junk
//! after the NUL), so that parse → encode is exact; [`Port::name`] gives it as a `&str`.
//!
//! The bit sets ([`PortConfig`], [`PortState`], [`PortFeatures`]) are open: unknown bits are
//! kept and printed in hex.

use core::fmt;

use bytes::BufMut;
use sdnwire_packet::MacAddr;

use crate::codec::{put_zeros, MessageBody, Reader, WireWrite};
use crate::codec_error::Result;
use crate::header::MsgType;
use crate::types::PortNo;

/// Defines an open bit-set newtype: named constants, set operations, and `Display` as
/// ovs-ofctl prints it (names separated by spaces, unknown bits in hex, `0` when empty).
macro_rules! bitset {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($ty:ty) {
            $(
                $(#[$fmeta:meta])*
                const $flag:ident = $val:expr => $disp:literal;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[cfg_attr(
            feature = "serde",
            derive(serde::Serialize, serde::Deserialize),
            serde(transparent)
        )]
        $vis struct $name(pub $ty);

        impl $name {
            $(
                $(#[$fmeta])*
                pub const $flag: $name = $name($val);
            )*
            /// Every named bit, with the name ovs-ofctl prints.
            pub const NAMED: &'static [($name, &'static str)] = &[$(($name($val), $disp)),*];
            /// No bit set.
            pub const EMPTY: $name = $name(0);
            /// Every named bit.
            pub const ALL: $name = $name(0 $(| $val)*);

            /// The raw bits.
            pub const fn bits(self) -> $ty {
                self.0
            }

            /// True when every bit of `other` is set in `self`.
            pub const fn contains(self, other: $name) -> bool {
                self.0 & other.0 == other.0
            }

            /// True when `self` and `other` have a bit in common.
            pub const fn intersects(self, other: $name) -> bool {
                self.0 & other.0 != 0
            }

            /// True when no bit is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// The bits of both.
            #[must_use]
            pub const fn union(self, other: $name) -> $name {
                $name(self.0 | other.0)
            }

            /// The bits of `self` that are not in `other`.
            #[must_use]
            pub const fn difference(self, other: $name) -> $name {
                $name(self.0 & !other.0)
            }

            /// The set bits that no constant names.
            pub const fn unknown_bits(self) -> $ty {
                self.0 & !Self::ALL.0
            }

            /// The names of the named bits that are set, lowest bit first.
            pub fn names(self) -> impl Iterator<Item = &'static str> {
                Self::NAMED
                    .iter()
                    .filter(move |(b, _)| self.contains(*b) && !b.is_empty())
                    .map(|&(_, n)| n)
            }
        }

        impl From<$ty> for $name {
            fn from(v: $ty) -> Self {
                $name(v)
            }
        }

        impl From<$name> for $ty {
            fn from(v: $name) -> Self {
                v.0
            }
        }

        impl core::ops::BitOr for $name {
            type Output = $name;
            fn bitor(self, rhs: $name) -> $name {
                $name(self.0 | rhs.0)
            }
        }

        impl core::ops::BitOrAssign for $name {
            fn bitor_assign(&mut self, rhs: $name) {
                self.0 |= rhs.0;
            }
        }

        impl core::ops::BitAnd for $name {
            type Output = $name;
            fn bitand(self, rhs: $name) -> $name {
                $name(self.0 & rhs.0)
            }
        }

        impl core::ops::BitAndAssign for $name {
            fn bitand_assign(&mut self, rhs: $name) {
                self.0 &= rhs.0;
            }
        }

        impl core::ops::Sub for $name {
            type Output = $name;
            fn sub(self, rhs: $name) -> $name {
                self.difference(rhs)
            }
        }

        impl core::fmt::Display for $name {
            /// The names of the set bits separated by spaces (ovs-ofctl style), unknown bits in
            /// hex, `0` when no bit is set.
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                if self.is_empty() {
                    return f.write_str("0");
                }
                let mut first = true;
                for n in self.names() {
                    if !first {
                        f.write_str(" ")?;
                    }
                    first = false;
                    f.write_str(n)?;
                }
                let unknown = self.unknown_bits();
                if unknown != 0 {
                    if !first {
                        f.write_str(" ")?;
                    }
                    write!(f, "{:#x}", unknown)?;
                }
                Ok(())
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{}({})", stringify!($name), self)
            }
        }
    };
}
pub(crate) use bitset;

bitset! {
    /// Port administrative configuration (`ofp_port_config`, OFPPC_*).
    pub struct PortConfig(u32) {
        /// OFPPC_PORT_DOWN: the port is administratively down.
        const PORT_DOWN = 1 << 0 => "PORT_DOWN";
        /// OFPPC_NO_RECV: drop all packets received by the port.
        const NO_RECV = 1 << 2 => "NO_RECV";
        /// OFPPC_NO_FWD: drop packets forwarded to the port.
        const NO_FWD = 1 << 5 => "NO_FWD";
        /// OFPPC_NO_PACKET_IN: do not send packet-in messages for the port.
        const NO_PACKET_IN = 1 << 6 => "NO_PACKET_IN";
    }
}

bitset! {
    /// Port state (`ofp_port_state`, OFPPS_*).
    pub struct PortState(u32) {
        /// OFPPS_LINK_DOWN: no physical link present.
        const LINK_DOWN = 1 << 0 => "LINK_DOWN";
        /// OFPPS_BLOCKED: the port is blocked.
        const BLOCKED = 1 << 1 => "BLOCKED";
        /// OFPPS_LIVE: live for fast failover groups.
        const LIVE = 1 << 2 => "LIVE";
    }
}

bitset! {
    /// Port features: rates, medium, auto-negotiation, pause (`ofp_port_features`, OFPPF_*).
    ///
    /// The rate constants are named `RATE_10MB_HD` ... `RATE_1TB_FD` for the spec's
    /// `OFPPF_10MB_HD` ... `OFPPF_1TB_FD` (identifiers cannot start with a digit).
    pub struct PortFeatures(u32) {
        /// OFPPF_10MB_HD: 10 Mb half-duplex.
        const RATE_10MB_HD = 1 << 0 => "10MB-HD";
        /// OFPPF_10MB_FD: 10 Mb full-duplex.
        const RATE_10MB_FD = 1 << 1 => "10MB-FD";
        /// OFPPF_100MB_HD: 100 Mb half-duplex.
        const RATE_100MB_HD = 1 << 2 => "100MB-HD";
        /// OFPPF_100MB_FD: 100 Mb full-duplex.
        const RATE_100MB_FD = 1 << 3 => "100MB-FD";
        /// OFPPF_1GB_HD: 1 Gb half-duplex.
        const RATE_1GB_HD = 1 << 4 => "1GB-HD";
        /// OFPPF_1GB_FD: 1 Gb full-duplex.
        const RATE_1GB_FD = 1 << 5 => "1GB-FD";
        /// OFPPF_10GB_FD: 10 Gb full-duplex.
        const RATE_10GB_FD = 1 << 6 => "10GB-FD";
        /// OFPPF_40GB_FD: 40 Gb full-duplex.
        const RATE_40GB_FD = 1 << 7 => "40GB-FD";
        /// OFPPF_100GB_FD: 100 Gb full-duplex.
        const RATE_100GB_FD = 1 << 8 => "100GB-FD";
        /// OFPPF_1TB_FD: 1 Tb full-duplex.
        const RATE_1TB_FD = 1 << 9 => "1TB-FD";
        /// OFPPF_OTHER: another rate, not in the list.
        const OTHER = 1 << 10 => "OTHER";
        /// OFPPF_COPPER: copper medium.
        const COPPER = 1 << 11 => "COPPER";
        /// OFPPF_FIBER: fiber medium.
        const FIBER = 1 << 12 => "FIBER";
        /// OFPPF_AUTONEG: auto-negotiation.
        const AUTONEG = 1 << 13 => "AUTO_NEG";
        /// OFPPF_PAUSE: pause.
        const PAUSE = 1 << 14 => "AUTO_PAUSE";
        /// OFPPF_PAUSE_ASYM: asymmetric pause.
        const PAUSE_ASYM = 1 << 15 => "AUTO_PAUSE_ASYM";
    }
}

/// OFP_MAX_PORT_NAME_LEN: bytes of the port name field, NUL terminator included.
pub const MAX_PORT_NAME_LEN: usize = 16;

/// Builds a 16-byte NUL-padded port name field from `name`, truncated (at a character
/// boundary) to 15 bytes so that a NUL always ends it.
pub fn port_name(name: &str) -> [u8; MAX_PORT_NAME_LEN] {
    let mut out = [0u8; MAX_PORT_NAME_LEN];
    let mut end = name.len().min(MAX_PORT_NAME_LEN - 1);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    for (o, b) in out.iter_mut().zip(name.as_bytes().iter().take(end)) {
        *o = *b;
    }
    out
}

/// The name in a NUL-padded field: the bytes before the first NUL, cut to their longest valid
/// UTF-8 prefix.
pub(crate) fn nul_terminated_str(field: &[u8]) -> &str {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    let bytes = field.get(..end).unwrap_or(field);
    match core::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => bytes
            .get(..e.valid_up_to())
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or(""),
    }
}

/// A port description (`ofp_port`, 64 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Port {
    /// The port number.
    pub port_no: PortNo,
    /// The port's hardware address.
    pub hw_addr: MacAddr,
    /// The name field exactly as on the wire: NUL-padded, 16 bytes. See [`Port::name`] and
    /// [`port_name`].
    pub name: [u8; MAX_PORT_NAME_LEN],
    /// Administrative configuration.
    pub config: PortConfig,
    /// Link state.
    pub state: PortState,
    /// Current features.
    pub curr: PortFeatures,
    /// Features advertised by the port.
    pub advertised: PortFeatures,
    /// Features supported by the port.
    pub supported: PortFeatures,
    /// Features advertised by the peer.
    pub peer: PortFeatures,
    /// Current bit rate in kbps.
    pub curr_speed: u32,
    /// Maximum bit rate in kbps.
    pub max_speed: u32,
}

impl Port {
    /// Encoded length of `ofp_port`.
    pub const LEN: usize = 64;

    /// A port with the given number, address and name, every other field zero.
    pub fn new(port_no: impl Into<PortNo>, hw_addr: MacAddr, name: &str) -> Port {
        Port {
            port_no: port_no.into(),
            hw_addr,
            name: port_name(name),
            ..Port::default()
        }
    }

    /// The name: the bytes before the first NUL (cut to their longest valid UTF-8 prefix, as
    /// the spec does not say which encoding names use; Open vSwitch uses UTF-8).
    pub fn name(&self) -> &str {
        nul_terminated_str(&self.name)
    }

    /// Sets the name (see [`port_name`]).
    pub fn set_name(&mut self, name: &str) {
        self.name = port_name(name);
    }

    /// Parses an `ofp_port`.
    pub fn parse(r: &mut Reader<'_>) -> Result<Port> {
        let port_no = PortNo(r.u32("ofp_port.port_no")?);
        r.pad(4, "ofp_port.pad")?;
        let hw_addr = MacAddr(r.array("ofp_port.hw_addr")?);
        r.pad(2, "ofp_port.pad2")?;
        let name = r.array("ofp_port.name")?;
        Ok(Port {
            port_no,
            hw_addr,
            name,
            config: PortConfig(r.u32("ofp_port.config")?),
            state: PortState(r.u32("ofp_port.state")?),
            curr: PortFeatures(r.u32("ofp_port.curr")?),
            advertised: PortFeatures(r.u32("ofp_port.advertised")?),
            supported: PortFeatures(r.u32("ofp_port.supported")?),
            peer: PortFeatures(r.u32("ofp_port.peer")?),
            curr_speed: r.u32("ofp_port.curr_speed")?,
            max_speed: r.u32("ofp_port.max_speed")?,
        })
    }
}

crate::codec::impl_encode!(Port);

impl WireWrite for Port {
    fn encoded_len(&self) -> usize {
        Port::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u32(self.port_no.0);
        put_zeros(out, 4);
        out.put_slice(&self.hw_addr.0);
        put_zeros(out, 2);
        out.put_slice(&self.name);
        out.put_u32(self.config.0);
        out.put_u32(self.state.0);
        out.put_u32(self.curr.0);
        out.put_u32(self.advertised.0);
        out.put_u32(self.supported.0);
        out.put_u32(self.peer.0);
        out.put_u32(self.curr_speed);
        out.put_u32(self.max_speed);
        Ok(())
    }
}

impl fmt::Display for Port {
    /// ovs-ofctl's port description on one line:
    /// `1(eth0): addr:ff:ff:ff:ff:ff:ff, config: 0, state: LIVE, current: 100MB-FD COPPER, ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}({}): addr:{}, config: {}, state: {}",
            self.port_no,
            self.name(),
            self.hw_addr,
            self.config,
            self.state
        )?;
        for (label, v) in [
            ("current", self.curr),
            ("advertised", self.advertised),
            ("supported", self.supported),
            ("peer", self.peer),
        ] {
            if !v.is_empty() {
                write!(f, ", {label}: {v}")?;
            }
        }
        if self.curr_speed != 0 || self.max_speed != 0 {
            write!(
                f,
                ", speed: {} Mbps now, {} Mbps max",
                self.curr_speed / 1000,
                self.max_speed / 1000
            )?;
        }
        Ok(())
    }
}

/// Why a PORT_STATUS was sent (`ofp_port_reason`, OFPPR_*). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct PortReason(pub u8);

impl PortReason {
    /// OFPPR_ADD: the port was added.
    pub const ADD: PortReason = PortReason(0);
    /// OFPPR_DELETE: the port was removed.
    pub const DELETE: PortReason = PortReason(1);
    /// OFPPR_MODIFY: some attribute of the port changed.
    pub const MODIFY: PortReason = PortReason(2);

    /// The name ovs-ofctl prints (`ADD`, `DEL`, `MOD`), if the reason is known.
    pub const fn name(self) -> Option<&'static str> {
        match self.0 {
            0 => Some("ADD"),
            1 => Some("DEL"),
            2 => Some("MOD"),
            _ => None,
        }
    }
}

impl fmt::Display for PortReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "reason_{}", self.0),
        }
    }
}

impl fmt::Debug for PortReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PortReason({self})")
    }
}

/// OFPT_PORT_STATUS: a port was added, removed or changed (`ofp_port_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PortStatus {
    /// What happened.
    pub reason: PortReason,
    /// The port as it is now.
    pub desc: Port,
}

impl PortStatus {
    /// Body length: reason, 7 bytes of padding, the port.
    pub const LEN: usize = 8 + Port::LEN;
}

impl MessageBody for PortStatus {
    const TYPE: MsgType = MsgType::PORT_STATUS;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        let reason = PortReason(r.u8("ofp_port_status.reason")?);
        r.pad(7, "ofp_port_status.pad")?;
        let desc = Port::parse(r)?;
        r.finish("ofp_port_status")?;
        Ok(PortStatus { reason, desc })
    }
}

crate::codec::impl_encode!(PortStatus);

impl WireWrite for PortStatus {
    fn encoded_len(&self) -> usize {
        PortStatus::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u8(self.reason.0);
        put_zeros(out, 7);
        self.desc.write(out)
    }
}

impl fmt::Display for PortStatus {
    /// `OFPT_PORT_STATUS ADD: 7(eth0): addr:..., ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OFPT_PORT_STATUS {}: {}", self.reason, self.desc)
    }
}

/// OFPT_PORT_MOD: changes a port's configuration (`ofp_port_mod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PortMod {
    /// The port to change.
    pub port_no: PortNo,
    /// The port's hardware address, as a sanity check (the switch refuses a mismatch).
    pub hw_addr: MacAddr,
    /// New values of the bits selected by `mask`.
    pub config: PortConfig,
    /// The configuration bits to change.
    pub mask: PortConfig,
    /// Features to advertise; zero leaves them unchanged.
    pub advertise: PortFeatures,
}

impl PortMod {
    /// Body length.
    pub const LEN: usize = 32;

    /// A PORT_MOD setting the `mask` bits of the port's configuration to their values in
    /// `config`, leaving the advertised features unchanged.
    pub fn new(
        port_no: impl Into<PortNo>,
        hw_addr: MacAddr,
        config: PortConfig,
        mask: PortConfig,
    ) -> PortMod {
        PortMod {
            port_no: port_no.into(),
            hw_addr,
            config,
            mask,
            advertise: PortFeatures::EMPTY,
        }
    }
}

impl MessageBody for PortMod {
    const TYPE: MsgType = MsgType::PORT_MOD;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        let port_no = PortNo(r.u32("ofp_port_mod.port_no")?);
        r.pad(4, "ofp_port_mod.pad")?;
        let hw_addr = MacAddr(r.array("ofp_port_mod.hw_addr")?);
        r.pad(2, "ofp_port_mod.pad2")?;
        let config = PortConfig(r.u32("ofp_port_mod.config")?);
        let mask = PortConfig(r.u32("ofp_port_mod.mask")?);
        let advertise = PortFeatures(r.u32("ofp_port_mod.advertise")?);
        r.pad(4, "ofp_port_mod.pad3")?;
        r.finish("ofp_port_mod")?;
        Ok(PortMod {
            port_no,
            hw_addr,
            config,
            mask,
            advertise,
        })
    }
}

crate::codec::impl_encode!(PortMod);

impl WireWrite for PortMod {
    fn encoded_len(&self) -> usize {
        PortMod::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u32(self.port_no.0);
        put_zeros(out, 4);
        out.put_slice(&self.hw_addr.0);
        put_zeros(out, 2);
        out.put_u32(self.config.0);
        out.put_u32(self.mask.0);
        out.put_u32(self.advertise.0);
        put_zeros(out, 4);
        Ok(())
    }
}

impl fmt::Display for PortMod {
    /// `OFPT_PORT_MOD port: 1: addr:aa:bb:cc:99:88:77, config: PORT_DOWN, mask: PORT_DOWN,
    /// advertise: UNCHANGED` (ovs-ofctl's fields on one line).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "OFPT_PORT_MOD port: {}: addr:{}, config: {}, mask: {}, advertise: ",
            self.port_no, self.hw_addr, self.config, self.mask
        )?;
        if self.advertise.is_empty() {
            f.write_str("UNCHANGED")
        } else {
            write!(f, "{}", self.advertise)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec_error::Error;
    use crate::simple::testutil::*;
    use crate::CodecError as _;
    use alloc::format;
    use alloc::string::ToString;
    use proptest::prelude::*;

    fn check_port_json(p: &Port, j: &serde_json::Value) {
        assert_eq!(u64::from(p.port_no.0), j["port_no"].as_u64().unwrap());
        assert_eq!(p.hw_addr.to_string(), j["hw_addr"].as_str().unwrap());
        assert_eq!(p.name(), j["name"].as_str().unwrap());
        assert_eq!(u64::from(p.config.0), j["config"].as_u64().unwrap());
        assert_eq!(u64::from(p.state.0), j["state"].as_u64().unwrap());
        assert_eq!(u64::from(p.curr.0), j["curr"].as_u64().unwrap());
        assert_eq!(u64::from(p.advertised.0), j["advertised"].as_u64().unwrap());
        assert_eq!(u64::from(p.supported.0), j["supported"].as_u64().unwrap());
        assert_eq!(u64::from(p.peer.0), j["peer"].as_u64().unwrap());
        assert_eq!(u64::from(p.curr_speed), j["curr_speed"].as_u64().unwrap());
        assert_eq!(u64::from(p.max_speed), j["max_speed"].as_u64().unwrap());
    }

    #[test]
    fn os_ken_port_status() {
        for name in ["4-39-ofp_port_status", "libofproto-OFP13-port_status"] {
            let Some(msg) = corpus(name) else { return };
            let ps: PortStatus = parse_msg(&msg);
            let Some(json) = corpus_json(name) else {
                return;
            };
            let j = &json["OFPPortStatus"];
            assert_eq!(u64::from(ps.reason.0), j["reason"].as_u64().unwrap());
            check_port_json(&ps.desc, &j["desc"]["OFPPort"]);
        }
        let Some(msg) = corpus("4-39-ofp_port_status") else {
            return;
        };
        let ps: PortStatus = parse_msg(&msg);
        assert_eq!(ps.desc.name(), "私のポート");
        assert_eq!(ps.reason, PortReason::ADD);
        assert_eq!(
            ps.to_string(),
            "OFPT_PORT_STATUS ADD: 7(私のポート): addr:f2:0b:a4:d0:3f:70, config: 0, \
             state: LIVE, current: 100MB-FD COPPER AUTO_NEG, advertised: COPPER AUTO_NEG, \
             supported: 100MB-FD COPPER AUTO_NEG, peer: 100MB-FD COPPER AUTO_NEG, \
             speed: 5 Mbps now, 5 Mbps max"
        );
    }

    #[test]
    fn os_ken_port_mod() {
        for name in ["4-22-ofp_port_mod", "libofproto-OFP13-port_mod"] {
            let Some(msg) = corpus(name) else { return };
            let pm: PortMod = parse_msg(&msg);
            let Some(json) = corpus_json(name) else {
                return;
            };
            let j = &json["OFPPortMod"];
            assert_eq!(u64::from(pm.port_no.0), j["port_no"].as_u64().unwrap());
            assert_eq!(pm.hw_addr.to_string(), j["hw_addr"].as_str().unwrap());
            assert_eq!(u64::from(pm.config.0), j["config"].as_u64().unwrap());
            assert_eq!(u64::from(pm.mask.0), j["mask"].as_u64().unwrap());
            assert_eq!(u64::from(pm.advertise.0), j["advertise"].as_u64().unwrap());
        }
        let Some(msg) = corpus("libofproto-OFP13-port_mod") else {
            return;
        };
        let pm: PortMod = parse_msg(&msg);
        assert_eq!(
            pm.to_string(),
            "OFPT_PORT_MOD port: 1: addr:aa:bb:cc:99:88:77, config: PORT_DOWN, \
             mask: PORT_DOWN, advertise: 100MB-FD COPPER AUTO_NEG"
        );
    }

    #[test]
    fn name_kept_exactly() {
        let mut p = Port::new(1, MacAddr::ZERO, "eth0");
        assert_eq!(p.name(), "eth0");
        // Junk after the NUL is kept and re-encoded, but not part of the name.
        p.name[10] = b'x';
        let b = p.to_vec().unwrap();
        assert_eq!(b[16 + 10], b'x');
        let q = parse_bytes(&b, Port::parse).unwrap();
        assert_eq!(q, p);
        assert_eq!(q.name(), "eth0");
        // No NUL at all: all 16 bytes.
        p.name = *b"0123456789abcdef";
        assert_eq!(p.name(), "0123456789abcdef");
        // Invalid UTF-8: the valid prefix.
        p.name = port_name("ab");
        p.name[2] = 0xff;
        assert_eq!(p.name(), "ab");
        // Building truncates to 15 bytes at a character boundary.
        assert_eq!(port_name("0123456789abcdefgh")[15], 0);
        p.set_name("ポートポートポート");
        assert_eq!(p.name(), "ポートポー");
    }

    #[test]
    fn bit_names() {
        assert_eq!(
            (PortConfig::PORT_DOWN | PortConfig::NO_PACKET_IN).to_string(),
            "PORT_DOWN NO_PACKET_IN"
        );
        assert_eq!(
            (PortState::LINK_DOWN | PortState(0x100)).to_string(),
            "LINK_DOWN 0x100"
        );
        assert_eq!(
            (PortFeatures::RATE_10GB_FD | PortFeatures::FIBER | PortFeatures::PAUSE_ASYM)
                .to_string(),
            "10GB-FD FIBER AUTO_PAUSE_ASYM"
        );
        assert_eq!(PortFeatures::ALL.0, 0xffff);
        assert_eq!(format!("{:?}", PortConfig::NO_FWD), "PortConfig(NO_FWD)");
        let mut c = PortConfig::PORT_DOWN;
        c |= PortConfig::NO_RECV;
        assert!(c.contains(PortConfig::NO_RECV));
        assert_eq!(c - PortConfig::PORT_DOWN, PortConfig::NO_RECV);
        assert_eq!(c & PortConfig::NO_FWD, PortConfig::EMPTY);
        assert_eq!(PortReason(9).to_string(), "reason_9");
    }

    #[test]
    fn negative_lengths() {
        let ps = PortStatus {
            reason: PortReason::MODIFY,
            desc: Port::new(3, MacAddr::BROADCAST, "p3"),
        };
        let good = ps.to_vec().unwrap();
        assert_eq!(good.len(), PortStatus::LEN);
        for n in 0..good.len() {
            let e = parse_bytes(&good[..n], PortStatus::parse_body).unwrap_err();
            assert!(matches!(e, Error::Truncated { .. }), "{n}: {e}");
            assert!((8..=8 + n).contains(&e.offset().unwrap()), "{n}: {e}");
        }
        let mut long = good.clone();
        long.push(0);
        assert!(matches!(
            parse_bytes(&long, PortStatus::parse_body),
            Err(Error::TrailingBytes { offset: 80, .. })
        ));
        for (i, off) in [(1, 9), (7, 15), (8 + 4, 20), (8 + 14, 30)] {
            let mut bad = good.clone();
            bad[i] = 1;
            let e = parse_bytes(&bad, PortStatus::parse_body).unwrap_err();
            assert!(matches!(e, Error::BadValue { .. }), "{i}: {e}");
            assert_eq!(e.offset().unwrap(), off);
        }

        let pm = PortMod::new(1, MacAddr::BROADCAST, PortConfig::EMPTY, PortConfig::NO_FWD);
        let good = pm.to_vec().unwrap();
        assert_eq!(good.len(), PortMod::LEN);
        for n in 0..good.len() {
            let e = parse_bytes(&good[..n], PortMod::parse_body).unwrap_err();
            assert!(matches!(e, Error::Truncated { .. }), "{n}: {e}");
        }
        let mut long = good.clone();
        long.push(0);
        assert!(matches!(
            parse_bytes(&long, PortMod::parse_body),
            Err(Error::TrailingBytes { offset: 40, .. })
        ));
        for (i, off) in [(4, 12), (14, 22), (31, 39)] {
            let mut bad = good.clone();
            bad[i] = 1;
            let e = parse_bytes(&bad, PortMod::parse_body).unwrap_err();
            assert!(matches!(e, Error::BadValue { .. }), "{i}: {e}");
            assert_eq!(e.offset().unwrap(), off);
        }
    }

    #[test]
    fn ovs_decodes_what_we_encode() {
        let mut p = Port::new(5, "02:00:00:00:00:05".parse().unwrap(), "veth5");
        p.config = PortConfig::NO_RECV;
        p.state = PortState::LINK_DOWN;
        p.curr = PortFeatures::RATE_10GB_FD | PortFeatures::FIBER;
        p.advertised = PortFeatures::RATE_1GB_FD | PortFeatures::AUTONEG;
        p.supported = PortFeatures::RATE_1GB_FD
            | PortFeatures::RATE_10GB_FD
            | PortFeatures::PAUSE
            | PortFeatures::PAUSE_ASYM;
        p.peer = PortFeatures::RATE_10MB_HD | PortFeatures::OTHER | PortFeatures::COPPER;
        p.curr_speed = 10_000_000;
        p.max_speed = 40_000_000;
        let ps = PortStatus {
            reason: PortReason::DELETE,
            desc: p,
        };
        let Some(s) = ofp_print(&message(MsgType::PORT_STATUS, &ps)) else {
            return;
        };
        for want in [
            "OFPT_PORT_STATUS",
            "DEL: 5(veth5): addr:02:00:00:00:00:05",
            "config:     NO_RECV",
            "state:      LINK_DOWN",
            "current:    10GB-FD FIBER",
            "advertised: 1GB-FD AUTO_NEG",
            "supported:  1GB-FD 10GB-FD AUTO_PAUSE AUTO_PAUSE_ASYM",
            "peer:       10MB-HD OTHER COPPER",
            "speed: 10000 Mbps now, 40000 Mbps max",
        ] {
            assert!(s.contains(want), "{want} not in {s}");
        }
        let pm = PortMod {
            port_no: PortNo(2),
            hw_addr: "02:00:00:00:00:02".parse().unwrap(),
            config: PortConfig::PORT_DOWN | PortConfig::NO_FWD,
            mask: PortConfig::PORT_DOWN | PortConfig::NO_FWD | PortConfig::NO_PACKET_IN,
            advertise: PortFeatures::RATE_100MB_FD,
        };
        let s = ofp_print(&message(MsgType::PORT_MOD, &pm)).unwrap();
        for want in [
            "OFPT_PORT_MOD",
            "port: 2: addr:02:00:00:00:00:02",
            "config: PORT_DOWN NO_FWD",
            "mask:   PORT_DOWN NO_FWD NO_PACKET_IN",
            "advertise: 100MB-FD",
        ] {
            assert!(s.contains(want), "{want} not in {s}");
        }
        let pm = PortMod::new(2, MacAddr::ZERO, PortConfig::EMPTY, PortConfig::EMPTY);
        let s = ofp_print(&message(MsgType::PORT_MOD, &pm)).unwrap();
        assert!(s.contains("advertise: UNCHANGED"), "{s}");
        assert!(pm.to_string().ends_with("advertise: UNCHANGED"));
    }

    fn arb_port() -> impl Strategy<Value = Port> {
        (
            any::<u32>(),
            any::<[u8; 6]>(),
            any::<[u8; 16]>(),
            any::<[u32; 8]>(),
        )
            .prop_map(|(port_no, mac, name, v)| Port {
                port_no: PortNo(port_no),
                hw_addr: MacAddr(mac),
                name,
                config: PortConfig(v[0]),
                state: PortState(v[1]),
                curr: PortFeatures(v[2]),
                advertised: PortFeatures(v[3]),
                supported: PortFeatures(v[4]),
                peer: PortFeatures(v[5]),
                curr_speed: v[6],
                max_speed: v[7],
            })
    }

    proptest! {
        #[test]
        fn port_status_owned(reason: u8, desc in arb_port()) {
            let ps = PortStatus { reason: PortReason(reason), desc };
            let b = ps.to_vec().unwrap();
            prop_assert_eq!(b.len(), ps.encoded_len());
            prop_assert_eq!(parse_bytes(&b, PortStatus::parse_body).unwrap(), ps);
            let _ = ps.to_string();
        }

        #[test]
        fn port_mod_owned(port_no: u32, mac: [u8; 6], config: u32, mask: u32, advertise: u32) {
            let pm = PortMod {
                port_no: PortNo(port_no),
                hw_addr: MacAddr(mac),
                config: PortConfig(config),
                mask: PortConfig(mask),
                advertise: PortFeatures(advertise),
            };
            let b = pm.to_vec().unwrap();
            prop_assert_eq!(parse_bytes(&b, PortMod::parse_body).unwrap(), pm);
        }

        #[test]
        fn port_status_any_bytes(mut b in proptest::collection::vec(any::<u8>(), 70..80),
                                 zero_pad: bool) {
            if zero_pad {
                b[1..8].fill(0);
                b[12..16].fill(0);
                b[22..24].fill(0);
            }
            if let Ok(ps) = parse_bytes(&b, PortStatus::parse_body) {
                prop_assert_eq!(ps.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn port_mod_any_bytes(mut b in proptest::collection::vec(any::<u8>(), 30..34),
                              zero_pad: bool) {
            if zero_pad {
                b[4..8].fill(0);
                b[14..16].fill(0);
                b[28..30].fill(0);
                if b.len() >= 32 {
                    b[28..32].fill(0);
                }
            }
            if let Ok(pm) = parse_bytes(&b, PortMod::parse_body) {
                prop_assert_eq!(pm.to_vec().unwrap(), b);
            }
        }
    }
}
