//! Match fields in ovs-ofctl notation: their names, how their values are written, and how
//! Open vSwitch turns them into OXM/NXM TLVs for OpenFlow 1.3.
//!
//! Open vSwitch does not keep a flow's fields in the order they were written: it stores them
//! in its `struct flow` and wildcard masks (where `tp_src` serves TCP, UDP, SCTP and ICMP
//! types, `nw_src` IPv4 and ARP addresses, `nw_proto` the IP protocol and the ARP opcode),
//! and writes the TLVs in one fixed order (`nx_put_raw`), leaving out the fields whose
//! prerequisites the flow does not meet. (`ovs-ofctl` logs what `ofputil_normalize_match`
//! would change but sends the match as `nx_put_raw` writes it.) [`Flow`] models exactly that, so
//! that the match we build is byte for byte the one `ovs-ofctl` sends.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::{Ipv4Addr, Ipv6Addr};

use crate::oxm::{OxmField, OFPXMC_EXPERIMENTER, OFPXMC_NXM_1, OFPXMC_OPENFLOW_BASIC};

/// ONF's experimenter id, for the OXMs Open vSwitch borrows from OpenFlow 1.5 in 1.3
/// (`tcp_flags`, `actset_output`).
pub(crate) const ONF_EXPERIMENTER_ID: u32 = 0x4f4e_4600;

/// Where a field's bits live in [`Flow`] (a member of OVS's `struct flow`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Slot {
    DpHash,
    RecircId,
    ConjId,
    InPort,
    ActsetOutput,
    DlSrc,
    DlDst,
    DlType,
    VlanTci,
    MplsLse,
    NwSrc,
    NwDst,
    Ipv6Src,
    Ipv6Dst,
    NwFrag,
    NwTos,
    NwTtl,
    Ipv6Label,
    NwProto,
    TpSrc,
    TpDst,
    TcpFlags,
    NdTarget,
    ArpSha,
    ArpTha,
    TunId,
    TunSrc,
    TunDst,
    TunIpv6Src,
    TunIpv6Dst,
    TunGbpId,
    TunGbpFlags,
    Reg(u8),
    PktMark,
    CtState,
    CtZone,
    CtMark,
    CtLabel,
    Metadata,
}

const N_SLOTS: usize = 38 + 16;

impl Slot {
    fn index(self) -> usize {
        use Slot::*;
        match self {
            DpHash => 0,
            RecircId => 1,
            ConjId => 2,
            InPort => 3,
            ActsetOutput => 4,
            DlSrc => 5,
            DlDst => 6,
            DlType => 7,
            VlanTci => 8,
            MplsLse => 9,
            NwSrc => 10,
            NwDst => 11,
            Ipv6Src => 12,
            Ipv6Dst => 13,
            NwFrag => 14,
            NwTos => 15,
            NwTtl => 16,
            Ipv6Label => 17,
            NwProto => 18,
            TpSrc => 19,
            TpDst => 20,
            TcpFlags => 21,
            NdTarget => 22,
            ArpSha => 23,
            ArpTha => 24,
            TunId => 25,
            TunSrc => 26,
            TunDst => 27,
            TunIpv6Src => 28,
            TunIpv6Dst => 29,
            TunGbpId => 30,
            TunGbpFlags => 31,
            PktMark => 32,
            CtState => 33,
            CtZone => 34,
            CtMark => 35,
            CtLabel => 36,
            Metadata => 37,
            Reg(i) => 38 + usize::from(i & 15),
        }
    }
}

/// How a field's value is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Fmt {
    /// An integer, decimal or `0x` hex.
    Int,
    /// `xx:xx:xx:xx:xx:xx`.
    Mac,
    /// Dotted quad, `/N` or `/mask`.
    Ipv4,
    /// IPv6, `/N` or `/mask`.
    Ipv6,
    /// A port number or name (`LOCAL`, `CONTROLLER`, ...).
    Port,
    /// `no`, `yes`, `first`, `later`, `not_later`.
    Frag,
    /// `+syn-ack` or an integer.
    TcpFlags,
    /// `+trk-new` or an integer.
    CtState,
}

/// What the packet must be for a field to mean something (OVS's `enum mf_prereqs`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Prereq {
    None,
    Eth,
    Vlan,
    Mpls,
    IpAny,
    Ipv4,
    Ipv6,
    Arp,
    Tcp,
    Udp,
    Sctp,
    Icmp4,
    Icmp6,
    Nd,
    NdSol,
    NdAdv,
}

/// One field of the ovs-ofctl notation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FieldDef {
    /// Its names (the first is the one OVS prints in `set_field`).
    pub names: &'static [&'static str],
    /// Where its bits go.
    pub slot: Slot,
    /// Bytes of the value on the wire.
    pub bytes: u8,
    /// Maskable with `/`.
    pub maskable: bool,
    /// Value notation.
    pub fmt: Fmt,
    /// Prerequisites.
    pub prereq: Prereq,
    /// OXM/NXM class and field, as OVS writes it in OpenFlow 1.3.
    pub class: u16,
    /// The field number.
    pub field: u8,
    /// Experimenter id for class 0xffff (0 otherwise).
    pub exp: u32,
    /// How setting it works when not the plain copy of value and mask into `slot`.
    pub special: Special,
}

/// The fields whose value goes into their slot shifted, or with side effects.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Special {
    None,
    /// `dl_vlan`: 12-bit VID, sets the CFI bit.
    DlVlan,
    /// `vlan_vid`: VID with CFI (OXM's `OFPVID_PRESENT`), at most 13 bits.
    VlanVid,
    /// `dl_vlan_pcp` / `vlan_pcp`: 3 bits at 13, sets CFI.
    VlanPcp,
    /// `mpls_label` (20 bits at 12), `mpls_tc` (3 at 9), `mpls_bos` (1 at 8), `mpls_ttl`.
    MplsLabel,
    MplsTc,
    MplsBos,
    MplsTtl,
    /// `nw_tos`: the DSCP bits of the ToS byte.
    NwTos,
    /// `ip_dscp`: 6 bits at 2.
    IpDscp,
    /// `nw_ecn`: 2 bits.
    NwEcn,
    /// `ipv6_label`: 20 bits.
    Ipv6Label,
    /// One byte stored in a 16-bit transport port (ICMP type and code).
    Icmp,
    /// `arp_op`: 16 bits on the wire, kept in OVS's 8-bit `nw_proto`.
    ArpOp,
    /// `xregN`: two 32-bit registers.
    Xreg(u8),
}

macro_rules! f {
    ($names:expr, $slot:expr, $bytes:expr, $mask:expr, $fmt:ident, $pre:ident, $class:expr, $field:expr) => {
        f!(
            $names,
            $slot,
            $bytes,
            $mask,
            $fmt,
            $pre,
            $class,
            $field,
            0,
            Special::None
        )
    };
    ($names:expr, $slot:expr, $bytes:expr, $mask:expr, $fmt:ident, $pre:ident, $class:expr, $field:expr, $exp:expr, $sp:expr) => {
        FieldDef {
            names: $names,
            slot: $slot,
            bytes: $bytes,
            maskable: $mask,
            fmt: Fmt::$fmt,
            prereq: Prereq::$pre,
            class: $class,
            field: $field,
            exp: $exp,
            special: $sp,
        }
    };
}

const B: u16 = OFPXMC_OPENFLOW_BASIC;
const N1: u16 = OFPXMC_NXM_1;
const X: u16 = OFPXMC_EXPERIMENTER;

macro_rules! regs {
    ($($i:literal $name:literal),*) => {
        [$( f!(&[$name], Slot::Reg($i), 4, true, Int, None, N1, $i), )*]
    };
}

/// The registers, `reg0` to `reg15` (`NXM_NX_REG0..15`).
pub(crate) static REGS: [FieldDef; 16] = regs!(
    0 "reg0", 1 "reg1", 2 "reg2", 3 "reg3", 4 "reg4", 5 "reg5", 6 "reg6", 7 "reg7",
    8 "reg8", 9 "reg9", 10 "reg10", 11 "reg11", 12 "reg12", 13 "reg13", 14 "reg14", 15 "reg15"
);

macro_rules! xregs {
    ($($i:literal $name:literal),*) => {
        [$( f!(&[$name], Slot::Reg(2 * $i), 8, true, Int, None, B, 0, 0, Special::Xreg($i)), )*]
    };
}

/// The 64-bit registers `xreg0` to `xreg7`: OVS sends each as two 32-bit registers in
/// OpenFlow 1.3.
pub(crate) static XREGS: [FieldDef; 8] = xregs!(
    0 "xreg0", 1 "xreg1", 2 "xreg2", 3 "xreg3", 4 "xreg4", 5 "xreg5", 6 "xreg6", 7 "xreg7"
);

/// Every other field, by ovs-ofctl's names (OVS's `meta-flow.h`), with the header OVS
/// writes in OpenFlow 1.3.
pub(crate) static FIELDS: &[FieldDef] = &[
    f!(&["dp_hash"], Slot::DpHash, 4, true, Int, None, N1, 35),
    f!(&["recirc_id"], Slot::RecircId, 4, false, Int, None, N1, 36),
    f!(&["conj_id"], Slot::ConjId, 4, false, Int, None, N1, 37),
    f!(
        &["tun_id", "tunnel_id"],
        Slot::TunId,
        8,
        true,
        Int,
        None,
        B,
        38
    ),
    f!(&["tun_src"], Slot::TunSrc, 4, true, Ipv4, None, N1, 31),
    f!(&["tun_dst"], Slot::TunDst, 4, true, Ipv4, None, N1, 32),
    f!(
        &["tun_ipv6_src"],
        Slot::TunIpv6Src,
        16,
        true,
        Ipv6,
        None,
        N1,
        109
    ),
    f!(
        &["tun_ipv6_dst"],
        Slot::TunIpv6Dst,
        16,
        true,
        Ipv6,
        None,
        N1,
        110
    ),
    f!(&["tun_gbp_id"], Slot::TunGbpId, 2, true, Int, None, N1, 38),
    f!(
        &["tun_gbp_flags"],
        Slot::TunGbpFlags,
        1,
        true,
        Int,
        None,
        N1,
        39
    ),
    f!(&["metadata"], Slot::Metadata, 8, true, Int, None, B, 2),
    f!(&["in_port"], Slot::InPort, 4, false, Port, None, B, 0),
    f!(
        &["actset_output"],
        Slot::ActsetOutput,
        4,
        false,
        Port,
        None,
        X,
        43,
        ONF_EXPERIMENTER_ID,
        Special::None
    ),
    f!(&["pkt_mark"], Slot::PktMark, 4, true, Int, None, N1, 33),
    f!(
        &["ct_state"],
        Slot::CtState,
        4,
        true,
        CtState,
        None,
        N1,
        105
    ),
    f!(&["ct_zone"], Slot::CtZone, 2, false, Int, None, N1, 106),
    f!(&["ct_mark"], Slot::CtMark, 4, true, Int, None, N1, 107),
    f!(&["ct_label"], Slot::CtLabel, 16, true, Int, None, N1, 108),
    f!(&["eth_src", "dl_src"], Slot::DlSrc, 6, true, Mac, Eth, B, 4),
    f!(&["eth_dst", "dl_dst"], Slot::DlDst, 6, true, Mac, Eth, B, 3),
    f!(
        &["eth_type", "dl_type"],
        Slot::DlType,
        2,
        false,
        Int,
        Eth,
        B,
        5
    ),
    f!(
        &["vlan_tci"],
        Slot::VlanTci,
        2,
        true,
        Int,
        Eth,
        N1,
        0,
        0,
        Special::None
    ),
    f!(
        &["dl_vlan"],
        Slot::VlanTci,
        2,
        false,
        Int,
        Eth,
        B,
        6,
        0,
        Special::DlVlan
    ),
    f!(
        &["vlan_vid"],
        Slot::VlanTci,
        2,
        true,
        Int,
        Eth,
        B,
        6,
        0,
        Special::VlanVid
    ),
    f!(
        &["dl_vlan_pcp"],
        Slot::VlanTci,
        1,
        false,
        Int,
        Eth,
        B,
        7,
        0,
        Special::VlanPcp
    ),
    f!(
        &["vlan_pcp"],
        Slot::VlanTci,
        1,
        false,
        Int,
        Vlan,
        B,
        7,
        0,
        Special::VlanPcp
    ),
    f!(
        &["mpls_label"],
        Slot::MplsLse,
        4,
        false,
        Int,
        Mpls,
        B,
        34,
        0,
        Special::MplsLabel
    ),
    f!(
        &["mpls_tc"],
        Slot::MplsLse,
        1,
        false,
        Int,
        Mpls,
        B,
        35,
        0,
        Special::MplsTc
    ),
    f!(
        &["mpls_bos"],
        Slot::MplsLse,
        1,
        false,
        Int,
        Mpls,
        B,
        36,
        0,
        Special::MplsBos
    ),
    f!(
        &["mpls_ttl"],
        Slot::MplsLse,
        1,
        false,
        Int,
        Mpls,
        N1,
        30,
        0,
        Special::MplsTtl
    ),
    f!(
        &["ip_src", "nw_src"],
        Slot::NwSrc,
        4,
        true,
        Ipv4,
        Ipv4,
        B,
        11
    ),
    f!(
        &["ip_dst", "nw_dst"],
        Slot::NwDst,
        4,
        true,
        Ipv4,
        Ipv4,
        B,
        12
    ),
    f!(&["ipv6_src"], Slot::Ipv6Src, 16, true, Ipv6, Ipv6, B, 26),
    f!(&["ipv6_dst"], Slot::Ipv6Dst, 16, true, Ipv6, Ipv6, B, 27),
    f!(
        &["ipv6_label"],
        Slot::Ipv6Label,
        4,
        true,
        Int,
        Ipv6,
        B,
        28,
        0,
        Special::Ipv6Label
    ),
    f!(
        &["nw_proto", "ip_proto"],
        Slot::NwProto,
        1,
        false,
        Int,
        IpAny,
        B,
        10
    ),
    f!(
        &["nw_tos"],
        Slot::NwTos,
        1,
        false,
        Int,
        IpAny,
        N1,
        0,
        0,
        Special::NwTos
    ),
    f!(
        &["ip_dscp"],
        Slot::NwTos,
        1,
        false,
        Int,
        IpAny,
        B,
        8,
        0,
        Special::IpDscp
    ),
    f!(
        &["nw_ecn", "ip_ecn"],
        Slot::NwTos,
        1,
        false,
        Int,
        IpAny,
        B,
        9,
        0,
        Special::NwEcn
    ),
    f!(&["nw_ttl"], Slot::NwTtl, 1, false, Int, IpAny, N1, 29),
    f!(
        &["ip_frag", "nw_frag"],
        Slot::NwFrag,
        1,
        true,
        Frag,
        IpAny,
        N1,
        26
    ),
    f!(
        &["arp_op"],
        Slot::NwProto,
        2,
        false,
        Int,
        Arp,
        B,
        21,
        0,
        Special::ArpOp
    ),
    f!(&["arp_spa"], Slot::NwSrc, 4, true, Ipv4, Arp, B, 22),
    f!(&["arp_tpa"], Slot::NwDst, 4, true, Ipv4, Arp, B, 23),
    f!(&["arp_sha"], Slot::ArpSha, 6, true, Mac, Arp, B, 24),
    f!(&["arp_tha"], Slot::ArpTha, 6, true, Mac, Arp, B, 25),
    f!(
        &["tcp_src", "tp_src"],
        Slot::TpSrc,
        2,
        true,
        Int,
        Tcp,
        B,
        13
    ),
    f!(
        &["tcp_dst", "tp_dst"],
        Slot::TpDst,
        2,
        true,
        Int,
        Tcp,
        B,
        14
    ),
    f!(
        &["tcp_flags"],
        Slot::TcpFlags,
        2,
        true,
        TcpFlags,
        Tcp,
        X,
        42,
        ONF_EXPERIMENTER_ID,
        Special::None
    ),
    f!(&["udp_src"], Slot::TpSrc, 2, true, Int, Udp, B, 15),
    f!(&["udp_dst"], Slot::TpDst, 2, true, Int, Udp, B, 16),
    f!(&["sctp_src"], Slot::TpSrc, 2, true, Int, Sctp, B, 17),
    f!(&["sctp_dst"], Slot::TpDst, 2, true, Int, Sctp, B, 18),
    f!(
        &["icmp_type"],
        Slot::TpSrc,
        1,
        false,
        Int,
        Icmp4,
        B,
        19,
        0,
        Special::Icmp
    ),
    f!(
        &["icmp_code"],
        Slot::TpDst,
        1,
        false,
        Int,
        Icmp4,
        B,
        20,
        0,
        Special::Icmp
    ),
    f!(
        &["icmpv6_type"],
        Slot::TpSrc,
        1,
        false,
        Int,
        Icmp6,
        B,
        29,
        0,
        Special::Icmp
    ),
    f!(
        &["icmpv6_code"],
        Slot::TpDst,
        1,
        false,
        Int,
        Icmp6,
        B,
        30,
        0,
        Special::Icmp
    ),
    f!(&["nd_target"], Slot::NdTarget, 16, true, Ipv6, Nd, B, 31),
    f!(&["nd_sll"], Slot::ArpSha, 6, true, Mac, NdSol, B, 32),
    f!(&["nd_tll"], Slot::ArpTha, 6, true, Mac, NdAdv, B, 33),
];

/// The field named `name` (OVS's names are case-sensitive; the `NXM_*`/`OXM_*` names are
/// looked up by [`nxm_field`]).
pub(crate) fn field(name: &str) -> Option<&'static FieldDef> {
    if let Some(d) = FIELDS.iter().find(|d| d.names.contains(&name)) {
        return Some(d);
    }
    if let Some(d) = REGS.iter().find(|d| d.names.first() == Some(&name)) {
        return Some(d);
    }
    XREGS.iter().find(|d| d.names.first() == Some(&name))
}

/// The field OVS names `NXM_OF_*`/`NXM_NX_*`/`OXM_OF_*` (as in `load:`, `move:`), with the
/// header OVS writes for that name (the name picks the header: `NXM_OF_IN_PORT` is the
/// 16-bit Nicira one, `OXM_OF_IN_PORT` the 32-bit OpenFlow one).
pub(crate) fn nxm_field(name: &str) -> Option<(u32, &'static FieldDef)> {
    let n = |c: u16, f: u8, len: u8| (u32::from(c) << 16) | (u32::from(f) << 9) | u32::from(len);
    let by = |s: &str| field(s);
    let (hdr, def) = match name {
        "NXM_OF_IN_PORT" => (n(0, 0, 2), by("in_port")?),
        "NXM_OF_ETH_DST" => (n(0, 1, 6), by("eth_dst")?),
        "NXM_OF_ETH_SRC" => (n(0, 2, 6), by("eth_src")?),
        "NXM_OF_ETH_TYPE" => (n(0, 3, 2), by("eth_type")?),
        "NXM_OF_VLAN_TCI" => (n(0, 4, 2), by("vlan_tci")?),
        "NXM_OF_IP_TOS" => (n(0, 5, 1), by("nw_tos")?),
        "NXM_OF_IP_PROTO" => (n(0, 6, 1), by("nw_proto")?),
        "NXM_OF_IP_SRC" => (n(0, 7, 4), by("ip_src")?),
        "NXM_OF_IP_DST" => (n(0, 8, 4), by("ip_dst")?),
        "NXM_OF_TCP_SRC" => (n(0, 9, 2), by("tcp_src")?),
        "NXM_OF_TCP_DST" => (n(0, 10, 2), by("tcp_dst")?),
        "NXM_OF_UDP_SRC" => (n(0, 11, 2), by("udp_src")?),
        "NXM_OF_UDP_DST" => (n(0, 12, 2), by("udp_dst")?),
        "NXM_OF_ICMP_TYPE" => (n(0, 13, 1), by("icmp_type")?),
        "NXM_OF_ICMP_CODE" => (n(0, 14, 1), by("icmp_code")?),
        "NXM_OF_ARP_OP" => (n(0, 15, 2), by("arp_op")?),
        "NXM_OF_ARP_SPA" => (n(0, 16, 4), by("arp_spa")?),
        "NXM_OF_ARP_TPA" => (n(0, 17, 4), by("arp_tpa")?),
        "NXM_NX_TUN_ID" => (n(1, 16, 8), by("tun_id")?),
        "NXM_NX_ARP_SHA" => (n(1, 17, 6), by("arp_sha")?),
        "NXM_NX_ARP_THA" => (n(1, 18, 6), by("arp_tha")?),
        "NXM_NX_IPV6_SRC" => (n(1, 19, 16), by("ipv6_src")?),
        "NXM_NX_IPV6_DST" => (n(1, 20, 16), by("ipv6_dst")?),
        "NXM_NX_ND_TARGET" => (n(1, 23, 16), by("nd_target")?),
        "NXM_NX_ND_SLL" => (n(1, 24, 6), by("nd_sll")?),
        "NXM_NX_ND_TLL" => (n(1, 25, 6), by("nd_tll")?),
        "NXM_NX_IP_TTL" => (n(1, 29, 1), by("nw_ttl")?),
        "NXM_NX_IPV6_LABEL" => (n(1, 27, 4), by("ipv6_label")?),
        "NXM_NX_TUN_IPV4_SRC" => (n(1, 31, 4), by("tun_src")?),
        "NXM_NX_TUN_IPV4_DST" => (n(1, 32, 4), by("tun_dst")?),
        "NXM_NX_PKT_MARK" => (n(1, 33, 4), by("pkt_mark")?),
        "NXM_NX_CT_MARK" => (n(1, 107, 4), by("ct_mark")?),
        "NXM_NX_CT_LABEL" => (n(1, 108, 16), by("ct_label")?),
        "NXM_NX_CT_ZONE" => (n(1, 106, 2), by("ct_zone")?),
        "OXM_OF_IN_PORT" => (n(B, 0, 4), by("in_port")?),
        "OXM_OF_METADATA" => (n(B, 2, 8), by("metadata")?),
        "OXM_OF_ETH_DST" => (n(B, 3, 6), by("eth_dst")?),
        "OXM_OF_ETH_SRC" => (n(B, 4, 6), by("eth_src")?),
        "OXM_OF_ETH_TYPE" => (n(B, 5, 2), by("eth_type")?),
        "OXM_OF_VLAN_VID" => (n(B, 6, 2), by("vlan_vid")?),
        "OXM_OF_IPV4_SRC" => (n(B, 11, 4), by("ip_src")?),
        "OXM_OF_IPV4_DST" => (n(B, 12, 4), by("ip_dst")?),
        "OXM_OF_TUNNEL_ID" => (n(B, 38, 8), by("tun_id")?),
        _ => {
            let i = name.strip_prefix("NXM_NX_REG")?;
            let i: u8 = i.parse().ok().filter(|i| *i < 16)?;
            let d = REGS.get(usize::from(i))?;
            (n(N1, i, 4), d)
        }
    };
    Some((hdr, def))
}

/// Whether Open vSwitch refuses to write field `name` (its first name) with a set-field
/// action ("... is read-only"): the parser refuses such an action, and the printer does not
/// name one (it would not read back). One list for both, so that they cannot drift apart.
pub(crate) fn read_only(name: &str) -> bool {
    matches!(
        name,
        "dp_hash"
            | "recirc_id"
            | "conj_id"
            | "actset_output"
            | "ct_state"
            | "ct_zone"
            | "eth_type"
            | "mpls_bos"
            | "nw_proto"
            | "ip_frag"
            | "tcp_flags"
    )
}

/// The field whose OF1.3 header (class, field) is this, for TLVs written raw.
pub(crate) fn by_header(class: u16, field_no: u8, exp: u32) -> Option<&'static FieldDef> {
    FIELDS
        .iter()
        .chain(REGS.iter())
        .filter(|d| {
            !matches!(d.special, Special::DlVlan | Special::Xreg(_))
                && d.names != ["dl_vlan_pcp"]
                && d.names != ["vlan_tci"]
                && d.names != ["nw_tos"]
        })
        .find(|d| d.class == class && d.field == field_no && d.exp == exp)
}

/// Value and mask of one slot (the value is kept masked, as OVS keeps it).
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(crate) struct Wild {
    pub v: u128,
    pub m: u128,
}

/// OVS's flow and wildcards, as far as ovs-ofctl's fields set them.
#[derive(Clone, Debug)]
pub(crate) struct Flow {
    slots: [Wild; N_SLOTS],
    /// A field that needs Ethernet was set: OVS matches the default packet type.
    pub ethernet: bool,
    /// Every prerequisite holds (a group's buckets, which have no match).
    any: bool,
}

impl Default for Flow {
    fn default() -> Self {
        Flow {
            slots: [Wild::default(); N_SLOTS],
            ethernet: false,
            any: false,
        }
    }
}

const CFI: u128 = 0x1000;

impl Flow {
    /// True for a flow made by [`Flow::permissive`].
    pub(crate) fn is_permissive(&self) -> bool {
        self.any
    }

    /// A flow for which every prerequisite holds.
    pub(crate) fn permissive() -> Flow {
        Flow {
            any: true,
            ..Flow::default()
        }
    }

    pub(crate) fn get(&self, s: Slot) -> Wild {
        self.slots.get(s.index()).copied().unwrap_or_default()
    }

    fn put(&mut self, s: Slot, v: u128, m: u128) {
        if let Some(w) = self.slots.get_mut(s.index()) {
            *w = Wild { v: v & m, m };
        }
    }

    /// Replaces the bits of `bits` in a slot by `v` under `m` (both already in place).
    fn merge(&mut self, s: Slot, bits: u128, v: u128, m: u128) {
        let w = self.get(s);
        self.put(
            s,
            (w.v & !bits) | (v & m & bits),
            (w.m & !bits) | (m & bits),
        );
    }

    /// The Ethernet type, if matched exactly.
    pub(crate) fn dl_type(&self) -> Option<u16> {
        let w = self.get(Slot::DlType);
        (w.m == 0xffff).then_some(lo16(w.v))
    }

    fn nw_proto(&self) -> Option<u8> {
        let w = self.get(Slot::NwProto);
        (w.m == 0xff).then_some(lo8(w.v))
    }

    /// Sets `dl_type` (and `nw_proto`), as a shorthand (`tcp`, `arp`) does.
    pub(crate) fn set_proto(&mut self, dl_type: u16, nw_proto: Option<u8>) {
        self.ethernet = true;
        self.put(Slot::DlType, u128::from(dl_type), 0xffff);
        if let Some(p) = nw_proto {
            self.put(Slot::NwProto, u128::from(p), 0xff);
        }
    }

    /// Sets field `d` to `v` under mask `m` (`m` all ones of the field's width for an exact
    /// value), as OVS's `mf_set` does.
    pub(crate) fn set(&mut self, d: &FieldDef, v: u128, m: u128) {
        if d.prereq != Prereq::None {
            self.ethernet = true;
        }
        if m == 0 {
            // "0/0" (or an empty value): the field's bits become wildcards.
            let (slot, bits) = match d.special {
                Special::None | Special::Ipv6Label => (d.slot, u128::MAX),
                Special::DlVlan | Special::VlanVid => (Slot::VlanTci, 0x1fff),
                Special::VlanPcp => (Slot::VlanTci, 0xe000),
                Special::MplsLabel => (Slot::MplsLse, 0xffff_f000),
                Special::MplsTc => (Slot::MplsLse, 0xe00),
                Special::MplsBos => (Slot::MplsLse, 0x100),
                Special::MplsTtl => (Slot::MplsLse, 0xff),
                Special::NwTos | Special::IpDscp => (Slot::NwTos, 0xfc),
                Special::NwEcn => (Slot::NwTos, 0x03),
                Special::Icmp | Special::ArpOp => (d.slot, u128::MAX),
                Special::Xreg(i) => {
                    self.put(Slot::Reg(2 * i), 0, 0);
                    (Slot::Reg(2 * i + 1), u128::MAX)
                }
            };
            self.merge(slot, bits, 0, 0);
            return;
        }
        match d.special {
            // OVS keeps the 8 connection states it supports.
            Special::None if d.slot == Slot::CtState => self.put(d.slot, v & 0xff, m & 0xff),
            Special::None => self.put(d.slot, v, m),
            Special::DlVlan => {
                if v == 0xffff {
                    // OFP10_VLAN_NONE: no VLAN tag.
                    self.put(Slot::VlanTci, 0, 0xffff);
                } else {
                    self.merge(Slot::VlanTci, 0x1fff, v | CFI, 0x1fff);
                }
            }
            Special::VlanVid => {
                let m = m & 0x1fff;
                self.merge(Slot::VlanTci, 0x1fff, v, m);
            }
            Special::VlanPcp => {
                self.merge(Slot::VlanTci, 0xf000, (v << 13) | CFI, 0xf000);
            }
            Special::MplsLabel => self.merge(Slot::MplsLse, 0xffff_f000, v << 12, 0xffff_f000),
            Special::MplsTc => self.merge(Slot::MplsLse, 0xe00, v << 9, 0xe00),
            Special::MplsBos => self.merge(Slot::MplsLse, 0x100, v << 8, 0x100),
            Special::MplsTtl => self.merge(Slot::MplsLse, 0xff, v, 0xff),
            Special::NwTos => self.merge(Slot::NwTos, 0xfc, v, 0xfc),
            Special::IpDscp => self.merge(Slot::NwTos, 0xfc, v << 2, 0xfc),
            Special::NwEcn => self.merge(Slot::NwTos, 0x03, v, 0x03),
            // OVS takes a mask of all 20 label bits as an exact match.
            Special::Ipv6Label => {
                let m = if m & 0xfffff == 0xfffff {
                    u128::from(u32::MAX)
                } else {
                    m
                };
                self.put(Slot::Ipv6Label, v, m)
            }
            Special::Icmp => self.put(d.slot, v, 0xffff),
            Special::ArpOp => self.put(Slot::NwProto, v & 0xff, 0xff),
            Special::Xreg(i) => {
                let lo = |x: u128| x & 0xffff_ffff;
                self.put(Slot::Reg(2 * i), v >> 32, m >> 32);
                self.put(Slot::Reg(2 * i + 1), lo(v), lo(m));
            }
        }
    }

    /// Whether the flow meets a prerequisite (OVS's `mf_are_prereqs_ok`).
    pub(crate) fn prereq_ok(&self, p: Prereq) -> bool {
        if self.any {
            return true;
        }
        let dl = self.dl_type();
        let proto = self.nw_proto();
        let ip = matches!(dl, Some(0x0800 | 0x86dd));
        let tp_src = {
            let w = self.get(Slot::TpSrc);
            (w.m == 0xffff).then_some(lo16(w.v))
        };
        let icmp6 = dl == Some(0x86dd) && proto == Some(58);
        let nd = icmp6 && {
            let c = self.get(Slot::TpDst);
            c.m == 0xffff && c.v == 0 && matches!(tp_src, Some(135 | 136))
        };
        match p {
            Prereq::None | Prereq::Eth => true,
            Prereq::Vlan => {
                let w = self.get(Slot::VlanTci);
                w.m & CFI != 0 && w.v & CFI != 0
            }
            Prereq::Mpls => matches!(dl, Some(0x8847 | 0x8848)),
            Prereq::IpAny => ip,
            Prereq::Ipv4 => dl == Some(0x0800),
            Prereq::Ipv6 => dl == Some(0x86dd),
            Prereq::Arp => matches!(dl, Some(0x0806 | 0x8035)),
            Prereq::Tcp => ip && proto == Some(6),
            Prereq::Udp => ip && proto == Some(17),
            Prereq::Sctp => ip && proto == Some(132),
            Prereq::Icmp4 => dl == Some(0x0800) && proto == Some(1),
            Prereq::Icmp6 => icmp6,
            Prereq::Nd => nd,
            Prereq::NdSol => nd && tp_src == Some(135),
            Prereq::NdAdv => nd && tp_src == Some(136),
        }
    }

    /// The OXM/NXM TLVs OVS writes for this flow in OpenFlow 1.3 (`nx_put_raw`), then
    /// `extra` (TLVs this notation has no name for, written raw).
    pub(crate) fn to_oxms(&self, extra: &[OxmField]) -> Vec<OxmField> {
        let mut e = Emit {
            out: Vec::new(),
            implied_ethernet: false,
        };
        let g = |s: Slot| self.get(s);
        let basic = |f: u8| (B, f, 0u32);
        let nx = |f: u8| (N1, f, 0u32);
        let onf = |f: u8| (X, f, ONF_EXPERIMENTER_ID);

        e.masked(nx(35), 4, g(Slot::DpHash), false);
        e.exact(nx(36), 4, g(Slot::RecircId), false);
        e.exact(nx(37), 4, g(Slot::ConjId), false);
        e.exact(basic(0), 4, g(Slot::InPort), false);
        e.exact(onf(43), 4, g(Slot::ActsetOutput), false);
        e.masked(basic(4), 6, g(Slot::DlSrc), true);
        e.masked(basic(3), 6, g(Slot::DlDst), true);
        e.masked(basic(5), 2, g(Slot::DlType), true);
        // 802.1Q, as OXM's vlan_vid (with OFPVID_PRESENT) and vlan_pcp.
        let tci = g(Slot::VlanTci);
        let vid = Wild {
            v: tci.v & 0x1fff,
            m: tci.m & 0x1fff,
        };
        if vid.m == 0x1fff {
            e.put(basic(6), 2, vid.v, None, true);
        } else if vid.m != 0 {
            e.put(basic(6), 2, vid.v, Some(vid.m), true);
        }
        if vid.v != 0 && (tci.m >> 13) & 7 != 0 {
            e.put(basic(7), 1, (tci.v >> 13) & 7, None, true);
        }
        let dl = lo16(g(Slot::DlType).v);
        if matches!(dl, 0x8847 | 0x8848) {
            let lse = g(Slot::MplsLse);
            if lse.m & 0xe00 != 0 {
                e.put(basic(35), 1, (lse.v >> 9) & 7, None, true);
            }
            if lse.m & 0x100 != 0 {
                e.put(basic(36), 1, (lse.v >> 8) & 1, None, true);
            }
            if lse.m & 0xff != 0 {
                e.put(nx(30), 1, lse.v & 0xff, None, true);
            }
            if lse.m & 0xffff_f000 != 0 {
                e.put(basic(34), 4, lse.v >> 12, None, true);
            }
        }
        if matches!(dl, 0x0800 | 0x86dd) {
            if dl == 0x0800 {
                e.masked(basic(11), 4, g(Slot::NwSrc), true);
                e.masked(basic(12), 4, g(Slot::NwDst), true);
            } else {
                e.masked(basic(26), 16, g(Slot::Ipv6Src), true);
                e.masked(basic(27), 16, g(Slot::Ipv6Dst), true);
            }
            let frag = g(Slot::NwFrag);
            let fm = if frag.m & 3 == 3 { 0xff } else { frag.m & 3 };
            e.masked(
                nx(26),
                1,
                Wild {
                    v: frag.v & 3,
                    m: fm,
                },
                true,
            );
            let tos = g(Slot::NwTos);
            if tos.m & 0xfc != 0 {
                e.put(basic(8), 1, tos.v >> 2, None, true);
            }
            if tos.m & 3 != 0 {
                e.put(basic(9), 1, tos.v & 3, None, true);
            }
            if g(Slot::NwTtl).m != 0 {
                e.put(nx(29), 1, g(Slot::NwTtl).v, None, true);
            }
            e.masked(basic(28), 4, g(Slot::Ipv6Label), true);
            let proto = g(Slot::NwProto);
            if proto.m != 0 {
                e.put(basic(10), 1, proto.v, None, true);
                let (tps, tpd) = (g(Slot::TpSrc), g(Slot::TpDst));
                match proto.v {
                    6 => {
                        e.masked(basic(13), 2, tps, true);
                        e.masked(basic(14), 2, tpd, true);
                        e.masked(onf(42), 2, g(Slot::TcpFlags), true);
                    }
                    17 => {
                        e.masked(basic(15), 2, tps, true);
                        e.masked(basic(16), 2, tpd, true);
                    }
                    132 => {
                        e.masked(basic(17), 2, tps, true);
                        e.masked(basic(18), 2, tpd, true);
                    }
                    1 if dl == 0x0800 => {
                        if tps.m != 0 {
                            e.put(basic(19), 1, tps.v & 0xff, None, true);
                        }
                        if tpd.m != 0 {
                            e.put(basic(20), 1, tpd.v & 0xff, None, true);
                        }
                    }
                    58 if dl == 0x86dd => {
                        if tps.m != 0 {
                            e.put(basic(29), 1, tps.v & 0xff, None, true);
                        }
                        if tpd.m != 0 {
                            e.put(basic(30), 1, tpd.v & 0xff, None, true);
                        }
                        if tpd.v == 0 && matches!(tps.v, 135 | 136) {
                            e.masked(basic(31), 16, g(Slot::NdTarget), true);
                            if tps.v == 135 {
                                e.masked(basic(32), 6, g(Slot::ArpSha), true);
                            } else {
                                e.masked(basic(33), 6, g(Slot::ArpTha), true);
                            }
                        }
                    }
                    _ => {}
                }
            }
        } else if matches!(dl, 0x0806 | 0x8035) {
            let op = g(Slot::NwProto);
            if op.m != 0 {
                e.put(basic(21), 2, op.v, None, true);
            }
            e.masked(basic(22), 4, g(Slot::NwSrc), true);
            e.masked(basic(23), 4, g(Slot::NwDst), true);
            e.masked(basic(24), 6, g(Slot::ArpSha), true);
            e.masked(basic(25), 6, g(Slot::ArpTha), true);
        }
        e.masked(basic(38), 8, g(Slot::TunId), false);
        e.masked(nx(31), 4, g(Slot::TunSrc), false);
        e.masked(nx(32), 4, g(Slot::TunDst), false);
        e.masked(nx(109), 16, g(Slot::TunIpv6Src), false);
        e.masked(nx(110), 16, g(Slot::TunIpv6Dst), false);
        e.masked(nx(38), 2, g(Slot::TunGbpId), false);
        e.masked(nx(39), 1, g(Slot::TunGbpFlags), false);
        for i in 0..16u8 {
            e.masked(nx(i), 4, g(Slot::Reg(i)), false);
        }
        e.masked(nx(33), 4, g(Slot::PktMark), false);
        e.masked(nx(105), 4, g(Slot::CtState), false);
        e.masked(nx(106), 2, g(Slot::CtZone), false);
        e.masked(nx(107), 4, g(Slot::CtMark), false);
        e.masked(nx(108), 16, g(Slot::CtLabel), false);
        e.masked(basic(2), 8, g(Slot::Metadata), false);
        if self.ethernet && !e.implied_ethernet {
            // OVS's default packet type (Ethernet), which it writes first when no other TLV
            // implies it.
            e.out
                .insert(0, OxmField::from_parts(B, 44, false, &[0, 0, 0, 0]));
        }
        e.out.extend(extra.iter().cloned());
        e.out
    }
}

/// The low 8 bits.
pub(crate) fn lo8(x: u128) -> u8 {
    u8::try_from(x & 0xff).unwrap_or_default()
}

/// The low 16 bits.
pub(crate) fn lo16(x: u128) -> u16 {
    u16::try_from(x & 0xffff).unwrap_or_default()
}

/// Writes TLVs as OVS's `nxm_put*` do.
struct Emit {
    out: Vec<OxmField>,
    implied_ethernet: bool,
}

fn ones(bytes: usize) -> u128 {
    if bytes >= 16 {
        u128::MAX
    } else {
        (1u128 << (8 * bytes)) - 1
    }
}

fn be_bytes(v: u128, bytes: usize) -> impl Iterator<Item = u8> {
    let b = v.to_be_bytes();
    b.into_iter().skip(16usize.saturating_sub(bytes))
}

impl Emit {
    /// `nxm_put`: nothing under an all-zero mask, the value alone under all ones.
    fn masked(&mut self, h: (u16, u8, u32), bytes: usize, w: Wild, prereq: bool) {
        let m = w.m & ones(bytes);
        if m == 0 {
            return;
        }
        let mask = (m != ones(bytes)).then_some(m);
        self.put(h, bytes, w.v, mask, prereq);
    }

    /// `nxm_put` of a field without a mask: present when any bit is matched.
    fn exact(&mut self, h: (u16, u8, u32), bytes: usize, w: Wild, prereq: bool) {
        if w.m != 0 {
            self.put(h, bytes, w.v, None, prereq);
        }
    }

    fn put(
        &mut self,
        (class, field, exp): (u16, u8, u32),
        bytes: usize,
        v: u128,
        m: Option<u128>,
        prereq: bool,
    ) {
        let mut payload = Vec::with_capacity(4 + 2 * bytes);
        if class == X {
            payload.extend_from_slice(&exp.to_be_bytes());
        }
        payload.extend(be_bytes(v, bytes));
        if let Some(m) = m {
            payload.extend(be_bytes(m, bytes));
        }
        self.implied_ethernet |= prereq;
        self.out
            .push(OxmField::from_parts(class, field, m.is_some(), &payload));
    }
}

// ---------------------------------------------------------------------------------------
// Values.
// ---------------------------------------------------------------------------------------

/// An integer as OVS reads one: decimal, or hexadecimal after `0x` (any number of digits).
pub(crate) fn parse_uint(s: &str) -> Option<u128> {
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        // Hex digits only: `from_str_radix` alone would also take a sign (`0x+5`).
        if h.is_empty() || h.len() > 32 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u128::from_str_radix(h, 16).ok()
    } else {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    }
}

/// A byte written as exactly two hex digits (no sign, which `from_str_radix` would take).
pub(crate) fn hex_byte(s: &str) -> Option<u8> {
    if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u8::from_str_radix(s, 16).ok()
}

/// A dotted quad of decimal numbers up to 255. (OVS scans each number with `%hhu`, which
/// takes it modulo 256: `300.0.0.1` is 44.0.0.1 to ovs-ofctl; we refuse it.)
pub(crate) fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    let mut o = [0u8; 4];
    let mut n = 0;
    for (i, p) in s.split('.').enumerate() {
        if p.is_empty() || p.len() > 10 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *o.get_mut(i)? = p.parse::<u8>().ok()?;
        n = i + 1;
    }
    (n == 4).then(|| Ipv4Addr::from(o))
}

/// A MAC address: six groups of one or two hex digits.
pub(crate) fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    let mut n = 0;
    for (i, p) in s.split(':').enumerate() {
        if p.is_empty() || p.len() > 2 {
            return None;
        }
        *out.get_mut(i)? = u8::from_str_radix(p, 16).ok()?;
        n = i + 1;
    }
    (n == 6).then_some(out)
}

fn mac_u128(m: [u8; 6]) -> u128 {
    m.iter().fold(0u128, |a, &b| (a << 8) | u128::from(b))
}

/// A port as OVS's `ofputil_port_from_string` reads one for OpenFlow 1.1+: a decimal number
/// (no hex) below 0xff00, OpenFlow 1.0's reserved numbers 0xff00..=0xffff (which map to
/// 0xffffff00..), a number from 0xffffff00 (OpenFlow 1.1's), or a reserved name.
pub(crate) fn parse_port(s: &str) -> Option<u32> {
    const NAMES: [(&str, u32); 8] = [
        ("IN_PORT", 0xffff_fff8),
        ("TABLE", 0xffff_fff9),
        ("NORMAL", 0xffff_fffa),
        ("FLOOD", 0xffff_fffb),
        ("ALL", 0xffff_fffc),
        ("CONTROLLER", 0xffff_fffd),
        ("LOCAL", 0xffff_fffe),
        ("ANY", 0xffff_ffff),
    ];
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let v = u32::try_from(parse_uint(s)?).ok()?;
        return match v {
            0..=0xfeff | 0xffff_ff00.. => Some(v),
            0xff00..=0xffff => Some(v | 0xffff_0000),
            _ => None,
        };
    }
    if s.eq_ignore_ascii_case("NONE") {
        return Some(0xffff_ffff);
    }
    NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(s))
        .map(|(_, v)| *v)
}

const TCP_FLAGS: [(&str, u128); 9] = [
    ("fin", 0x001),
    ("syn", 0x002),
    ("rst", 0x004),
    ("psh", 0x008),
    ("ack", 0x010),
    ("urg", 0x020),
    ("ece", 0x040),
    ("cwr", 0x080),
    ("ns", 0x100),
];

const CT_STATES: [(&str, u128); 8] = [
    ("new", 0x01),
    ("est", 0x02),
    ("rel", 0x04),
    ("rpl", 0x08),
    ("inv", 0x10),
    ("trk", 0x20),
    ("snat", 0x40),
    ("dnat", 0x80),
];

/// `+a-b+c` flag notation: value and mask.
fn parse_flags(s: &str, names: &[(&str, u128)]) -> Result<(u128, u128), String> {
    let (mut v, mut m) = (0u128, 0u128);
    let mut rest = s;
    while !rest.is_empty() {
        let set = match rest.as_bytes().first() {
            Some(b'+') => true,
            Some(b'-') => false,
            _ => return Err(alloc::format!("{rest}: flags must start with + or -")),
        };
        rest = rest.get(1..).unwrap_or("");
        let end = rest.find(['+', '-']).unwrap_or(rest.len());
        let name = rest.get(..end).unwrap_or("");
        rest = rest.get(end..).unwrap_or("");
        let bit = names
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, b)| *b)
            .ok_or_else(|| alloc::format!("{name}: unknown flag"))?;
        if m & bit != 0 {
            return Err(alloc::format!("{name}: flag specified more than once"));
        }
        m |= bit;
        if set {
            v |= bit;
        }
    }
    Ok((v, m))
}

/// Parses `value[/mask]` for field `d`: value and mask, in the field's own width (the mask
/// all ones when there is none).
pub(crate) fn parse_value(d: &FieldDef, s: &str) -> Result<(u128, u128), String> {
    let name = d.names.first().copied().unwrap_or("");
    let full = ones(usize::from(d.bytes));
    let (vs, ms) = match s.split_once('/') {
        Some((v, m)) => (v, Some(m)),
        None => (s, None),
    };
    let int = |t: &str| -> Result<u128, String> {
        let v = parse_uint(t).ok_or_else(|| alloc::format!("{t}: invalid value for {name}"))?;
        if v > full {
            return Err(alloc::format!(
                "{t}: value too large for {}-byte field {name}",
                d.bytes
            ));
        }
        Ok(v)
    };
    let (v, m) = match d.fmt {
        Fmt::Int => {
            let v = int(vs)?;
            let m = match ms {
                Some(m) => int(m)?,
                None => full,
            };
            (v, m)
        }
        Fmt::Mac => {
            let v =
                parse_mac(vs).ok_or_else(|| alloc::format!("{vs}: invalid Ethernet address"))?;
            let m = match ms {
                Some(m) => mac_u128(
                    parse_mac(m).ok_or_else(|| alloc::format!("{m}: invalid Ethernet mask"))?,
                ),
                None => full,
            };
            (mac_u128(v), m)
        }
        Fmt::Ipv4 => {
            let v = parse_ipv4(vs).ok_or_else(|| {
                if vs
                    .split('.')
                    .any(|p| p.parse::<u64>().is_ok_and(|x| x > 255))
                {
                    alloc::format!("{vs}: invalid IP address (a number above 255)")
                } else {
                    alloc::format!("{vs}: invalid IP address")
                }
            })?;
            let m = match ms {
                None => full,
                Some(m) => match parse_ipv4(m).filter(|_| m.contains('.')) {
                    Some(a) => u128::from(u32::from(a)),
                    None => {
                        let n: u32 = m
                            .parse()
                            .ok()
                            .filter(|n| *n <= 32)
                            .ok_or_else(|| alloc::format!("{m}: invalid IP mask"))?;
                        u128::from(u32::MAX.checked_shl(32 - n).unwrap_or(0))
                    }
                },
            };
            (u128::from(u32::from(v)), m)
        }
        Fmt::Ipv6 => {
            let v: Ipv6Addr = vs
                .parse()
                .map_err(|_| alloc::format!("{vs}: invalid IPv6 address"))?;
            let m = match ms {
                None => full,
                Some(m) => match m.parse::<Ipv6Addr>() {
                    Ok(a) => u128::from(a),
                    Err(_) => {
                        let n: u32 = m
                            .parse()
                            .ok()
                            .filter(|n| *n <= 128)
                            .ok_or_else(|| alloc::format!("{m}: invalid IPv6 mask"))?;
                        u128::MAX.checked_shl(128 - n).unwrap_or(0)
                    }
                },
            };
            (u128::from(v), m)
        }
        Fmt::Port => {
            if ms.is_some() {
                return Err(alloc::format!("{s}: invalid or unknown port for {name}"));
            }
            let p = parse_port(vs)
                .ok_or_else(|| alloc::format!("{vs}: invalid or unknown port for {name}"))?;
            (u128::from(p), full)
        }
        Fmt::Frag => {
            if ms.is_some() {
                return Err(alloc::format!("{s}: unknown fragment type"));
            }
            match vs {
                "no" => (0, 3),
                "yes" => (1, 1),
                "first" => (1, 3),
                "later" => (3, 3),
                "not_later" => (0, 2),
                _ => return Err(alloc::format!("{vs}: unknown fragment type")),
            }
        }
        Fmt::TcpFlags | Fmt::CtState => {
            if vs.starts_with(['+', '-']) {
                if ms.is_some() {
                    return Err(alloc::format!("{s}: invalid flags"));
                }
                let names: &[(&str, u128)] = if d.fmt == Fmt::TcpFlags {
                    &TCP_FLAGS
                } else {
                    &CT_STATES
                };
                parse_flags(vs, names)?
            } else if vs.starts_with(|c: char| c.is_ascii_alphabetic()) && ms.is_none() {
                // `syn|ack`: exactly these flags (as ovs-ofctl prints an exact match).
                let names: &[(&str, u128)] = if d.fmt == Fmt::TcpFlags {
                    &TCP_FLAGS
                } else {
                    &CT_STATES
                };
                let mut v = 0;
                for n in vs.split('|') {
                    v |= names
                        .iter()
                        .find(|(x, _)| *x == n)
                        .map(|(_, b)| *b)
                        .ok_or_else(|| alloc::format!("{n}: unknown flag"))?;
                }
                (v, full)
            } else {
                let v = int(vs)?;
                let m = match ms {
                    Some(m) => int(m)?,
                    None => full,
                };
                (v, m)
            }
        }
    };
    if !d.maskable && !matches!(d.fmt, Fmt::Frag) && m != 0 && m != full {
        return Err(alloc::format!("{s}: invalid mask for field {name}"));
    }
    check_width(d, v, m)?;
    Ok((v & m, m))
}

/// OVS's `mf_is_value_valid`: fields narrower than their bytes take no value wider than
/// their bits. (ovs-ofctl checks this for `set_field` but silently cuts such a value to its
/// bits in a match, `dl_vlan_pcp=9` matching PCP 1; we refuse both, as encoding never
/// changes a value.)
fn check_width(d: &FieldDef, v: u128, _m: u128) -> Result<(), String> {
    let ok = match (d.fmt, d.special) {
        (Fmt::TcpFlags, _) => v <= 0xfff,
        (Fmt::CtState, _) => v <= 0xff,
        // OpenFlow 1.0's OFP_VLAN_NONE, "no VLAN tag", besides the 12-bit VIDs.
        (_, Special::DlVlan) => v <= 0xfff || v == 0xffff,
        (_, Special::VlanVid) => v <= 0x1fff,
        (_, Special::VlanPcp | Special::MplsTc) => v <= 7,
        (_, Special::MplsLabel | Special::Ipv6Label) => v <= 0xf_ffff,
        (_, Special::MplsBos) => v <= 1,
        (_, Special::NwTos) => v & 3 == 0,
        (_, Special::IpDscp) => v <= 0x3f,
        (_, Special::NwEcn) => v <= 3,
        (_, Special::ArpOp) => v <= 0xff,
        _ => true,
    };
    if ok {
        Ok(())
    } else if d.fmt == Fmt::TcpFlags {
        Err(alloc::format!("{v:#x}: unknown TCP flag(s)"))
    } else if d.fmt == Fmt::CtState {
        Err(alloc::format!("{v:#x}: unknown ct_state flag(s)"))
    } else {
        let name = d.names.first().copied().unwrap_or("");
        Err(alloc::format!(
            "{v:#x} is not a valid value for field {name}"
        ))
    }
}

// ---------------------------------------------------------------------------------------
// Names for printing: the reverse of the tables above.
// ---------------------------------------------------------------------------------------

/// The `NXM_*`/`OXM_*` names [`nxm_field`] reads, in the order Open vSwitch registers them
/// (its `nxm_field_by_mf_id(id, 0)` picks the first name of a field, so a field with both an
/// NXM and an OXM name prints by its NXM one).
const NXM_NAMES: [&str; 43] = [
    "NXM_OF_IN_PORT",
    "NXM_OF_ETH_DST",
    "NXM_OF_ETH_SRC",
    "NXM_OF_ETH_TYPE",
    "NXM_OF_VLAN_TCI",
    "NXM_OF_IP_TOS",
    "NXM_OF_IP_PROTO",
    "NXM_OF_IP_SRC",
    "NXM_OF_IP_DST",
    "NXM_OF_TCP_SRC",
    "NXM_OF_TCP_DST",
    "NXM_OF_UDP_SRC",
    "NXM_OF_UDP_DST",
    "NXM_OF_ICMP_TYPE",
    "NXM_OF_ICMP_CODE",
    "NXM_OF_ARP_OP",
    "NXM_OF_ARP_SPA",
    "NXM_OF_ARP_TPA",
    "NXM_NX_TUN_ID",
    "NXM_NX_ARP_SHA",
    "NXM_NX_ARP_THA",
    "NXM_NX_IPV6_SRC",
    "NXM_NX_IPV6_DST",
    "NXM_NX_ND_TARGET",
    "NXM_NX_ND_SLL",
    "NXM_NX_ND_TLL",
    "NXM_NX_IP_TTL",
    "NXM_NX_IPV6_LABEL",
    "NXM_NX_TUN_IPV4_SRC",
    "NXM_NX_TUN_IPV4_DST",
    "NXM_NX_PKT_MARK",
    "NXM_NX_CT_MARK",
    "NXM_NX_CT_LABEL",
    "NXM_NX_CT_ZONE",
    "OXM_OF_IN_PORT",
    "OXM_OF_METADATA",
    "OXM_OF_ETH_DST",
    "OXM_OF_ETH_SRC",
    "OXM_OF_ETH_TYPE",
    "OXM_OF_VLAN_VID",
    "OXM_OF_IPV4_SRC",
    "OXM_OF_IPV4_DST",
    "OXM_OF_TUNNEL_ID",
];

/// The name Open vSwitch prints for the field of NXM/OXM header `hdr` in a subfield
/// (`mf_format_subfield`), with the field's width in bits as OVS counts it; `None` for a
/// masked header or one the tables do not know.
pub(crate) fn nxm_name(hdr: u32) -> Option<(&'static str, u16)> {
    if hdr & 0x100 != 0 {
        return None;
    }
    let len = hdr & 0xff;
    let reg = |name: &'static str| -> Option<(&'static str, u16)> { Some((name, 32)) };
    // The field this exact header is.
    let def = def_by_header(hdr);
    let Some(def) = def else {
        // The registers.
        if hdr >> 16 == u32::from(N1) && len == 4 {
            return match (hdr >> 9) & 0x7f {
                i @ 0..=15 => reg(REG_NAMES.get(usize::try_from(i).ok()?).copied()?),
                _ => None,
            };
        }
        return None;
    };
    if let Slot::Reg(i) = def.slot {
        return reg(REG_NAMES.get(usize::from(i))?);
    }
    let name = NXM_NAMES
        .iter()
        .copied()
        .find(|n| nxm_field(n).is_some_and(|(h, d)| core::ptr::eq(d, def) && h & 0xff == len))?;
    let bits = u16::try_from(len * 8).unwrap_or(u16::MAX);
    Some((name, ovs_bits(def).min(bits)))
}

/// The registers' NXM names.
const REG_NAMES: [&str; 16] = [
    "NXM_NX_REG0",
    "NXM_NX_REG1",
    "NXM_NX_REG2",
    "NXM_NX_REG3",
    "NXM_NX_REG4",
    "NXM_NX_REG5",
    "NXM_NX_REG6",
    "NXM_NX_REG7",
    "NXM_NX_REG8",
    "NXM_NX_REG9",
    "NXM_NX_REG10",
    "NXM_NX_REG11",
    "NXM_NX_REG12",
    "NXM_NX_REG13",
    "NXM_NX_REG14",
    "NXM_NX_REG15",
];

/// A field's width in bits as Open vSwitch counts it (`mf_field.n_bits`): fewer than its
/// bytes hold for the VLAN id (12), the IPv6 flow label (20), ...
pub(crate) fn ovs_bits(d: &FieldDef) -> u16 {
    match (d.special, d.names.first().copied()) {
        (Special::VlanVid, _) => 12,
        (Special::Ipv6Label, _) | (Special::MplsLabel, _) => 20,
        (Special::MplsTc, _) | (Special::VlanPcp, _) => 3,
        (Special::MplsBos, _) => 1,
        (Special::IpDscp, _) => 6,
        (Special::NwEcn, _) => 2,
        (_, Some("ip_frag")) => 2,
        (_, Some("tcp_flags")) => 12,
        _ => u16::from(d.bytes) * 8,
    }
}

/// The field whose NXM/OXM header (without mask) is `hdr`: by its `NXM_*`/`OXM_*` name,
/// or by class and field number.
pub(crate) fn def_by_header(hdr: u32) -> Option<&'static FieldDef> {
    if let Some(d) = NXM_NAMES
        .iter()
        .filter_map(|n| nxm_field(n))
        .find(|(h, _)| *h == hdr)
        .map(|(_, d)| d)
    {
        return Some(d);
    }
    let class = u16::try_from(hdr >> 16).ok()?;
    let field = u8::try_from((hdr >> 9) & 0x7f).ok()?;
    let d = by_header(class, field, 0)?;
    (u32::from(d.bytes) == hdr & 0xff).then_some(d)
}
