//! Matches and fields in `ovs-ofctl` notation.

use super::*;
use alloc::string::String;

// ---------------------------------------------------------------------------------------
// Display in ovs-ofctl notation.
// ---------------------------------------------------------------------------------------

/// Comma-separated items.
struct List<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    empty: bool,
}

impl List<'_, '_> {
    fn item(&mut self, args: fmt::Arguments<'_>) -> fmt::Result {
        if !self.empty {
            self.f.write_str(",")?;
        }
        self.empty = false;
        self.f.write_fmt(args)
    }
}

/// C's `%#x`: `0` for zero, `0x...` otherwise.
struct AltHex(u64);

impl fmt::Display for AltHex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            f.write_str("0")
        } else {
            write!(f, "{:#x}", self.0)
        }
    }
}

/// An IPv6 address as glibc's `inet_ntop` writes it (OVS prints with it): like Rust's,
/// except that IPv4-compatible addresses (`::a.b.c.d`, first 96 bits zero, not `::` or
/// `::x`) keep the dotted quad.
struct Ipv6Ntop(Ipv6Addr);

impl fmt::Display for Ipv6Ntop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0.segments();
        let o = self.0.octets();
        match (s, o) {
            ([0, 0, 0, 0, 0, 0, w6, _], [.., a, b, c, d]) if w6 != 0 => {
                write!(f, "::{a}.{b}.{c}.{d}")
            }
            _ => write!(f, "{}", self.0),
        }
    }
}

/// `addr`, `addr/N` (CIDR) or `addr/mask`, as OVS's `ip_format_masked`.
struct Ipv4Masked(Ipv4Addr, Option<Ipv4Addr>);

impl fmt::Display for Ipv4Masked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let m = self.1.map_or(u32::MAX, u32::from);
        if m != u32::MAX {
            if (!m & (!m).wrapping_add(1)) == 0 {
                write!(f, "/{}", m.count_ones())?;
            } else {
                write!(f, "/{}", Ipv4Addr::from(m))?;
            }
        }
        Ok(())
    }
}

/// `addr`, `addr/N` (CIDR) or `addr/mask`, as OVS's `ipv6_format_masked`.
struct Ipv6Masked(Ipv6Addr, Option<Ipv6Addr>);

impl fmt::Display for Ipv6Masked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Ipv6Ntop(self.0))?;
        let m = self.1.map_or(u128::MAX, u128::from);
        if m != u128::MAX {
            if (!m & (!m).wrapping_add(1)) == 0 {
                write!(f, "/{}", m.count_ones())?;
            } else {
                write!(f, "/{}", Ipv6Ntop(Ipv6Addr::from(m)))?;
            }
        }
        Ok(())
    }
}

/// `mac` or `mac/mask`, as OVS's `eth_format_masked`.
struct MacMasked(MacAddr, Option<MacAddr>);

impl fmt::Display for MacMasked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        match self.1 {
            Some(m) if m != MacAddr::BROADCAST => write!(f, "/{m}"),
            _ => Ok(()),
        }
    }
}

/// `0x...` or `0x.../0x...`, as OVS's `format_be64_masked`.
struct U64Masked(u64, Option<u64>);

impl fmt::Display for U64Masked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", AltHex(self.0))?;
        match self.1 {
            Some(m) if m != u64::MAX => write!(f, "/{}", AltHex(m)),
            _ => Ok(()),
        }
    }
}

/// The VLAN TCI OVS builds from `vlan_vid` and `vlan_pcp`, and how it prints it.
#[derive(Default, Clone, Copy)]
struct Tci {
    value: u16,
    mask: u16,
}

impl Tci {
    fn vid(&mut self, v: u16, m: Option<u16>) {
        let m = m.unwrap_or(u16::MAX) & 0x1fff;
        self.value = (self.value & !0x1fff) | (v & m);
        self.mask = m | (self.mask & 0xe000);
    }

    fn pcp(&mut self, p: u8) {
        self.value = (self.value & !0xe000) | (u16::from(p & 7) << 13) | 0x1000;
        self.mask |= 0xf000;
    }

    fn write(self, l: &mut List<'_, '_>) -> fmt::Result {
        let (vid_mask, pcp_mask) = (self.mask & 0x0fff, self.mask & 0xe000);
        if self.mask == 0 {
            Ok(())
        } else if self.mask & 0x1000 != 0
            && self.value & 0x1000 != 0
            && (vid_mask == 0 || vid_mask == 0x0fff)
            && (pcp_mask == 0 || pcp_mask == 0xe000)
            && (vid_mask != 0 || pcp_mask != 0)
        {
            if vid_mask != 0 {
                l.item(format_args!("dl_vlan={}", self.value & 0x0fff))?;
            }
            if pcp_mask != 0 {
                l.item(format_args!("dl_vlan_pcp={}", self.value >> 13))?;
            }
            Ok(())
        } else if self.mask == 0xffff {
            l.item(format_args!("vlan_tci={:#06x}", self.value))
        } else {
            l.item(format_args!(
                "vlan_tci={:#06x}/{:#06x}",
                self.value, self.mask
            ))
        }
    }
}

/// True when a masked field's mask is all zeros: OVS then does not match on it at all and
/// prints nothing.
pub(super) fn is_wildcard(f: &OxmField) -> bool {
    match f {
        OxmField::Metadata(_, Some(0)) | OxmField::TunnelId(_, Some(0)) => true,
        OxmField::EthDst(_, Some(m))
        | OxmField::EthSrc(_, Some(m))
        | OxmField::ArpSha(_, Some(m))
        | OxmField::ArpTha(_, Some(m)) => *m == MacAddr::ZERO,
        OxmField::Ipv4Src(_, Some(m))
        | OxmField::Ipv4Dst(_, Some(m))
        | OxmField::ArpSpa(_, Some(m))
        | OxmField::ArpTpa(_, Some(m)) => m.is_unspecified(),
        OxmField::Ipv6Src(_, Some(m)) | OxmField::Ipv6Dst(_, Some(m)) => m.is_unspecified(),
        OxmField::Ipv6Flabel(_, Some(0)) | OxmField::VlanVid(_, Some(0)) => true,
        _ => false,
    }
}

/// Writes one typed field in ovs-ofctl notation (`in_port=1`, `nw_src=10.0.0.0/24`).
fn write_field(l: &mut List<'_, '_>, f: &OxmField) -> fmt::Result {
    match f {
        OxmField::InPort(p) => l.item(format_args!("in_port={p}")),
        OxmField::InPhyPort(p) => l.item(format_args!("in_phy_port={p}")),
        OxmField::Metadata(v, m) => l.item(format_args!("metadata={}", U64Masked(*v, *m))),
        OxmField::EthDst(v, m) => l.item(format_args!("dl_dst={}", MacMasked(*v, *m))),
        OxmField::EthSrc(v, m) => l.item(format_args!("dl_src={}", MacMasked(*v, *m))),
        OxmField::EthType(t) => l.item(format_args!("dl_type={t:#06x}")),
        OxmField::VlanVid(v, m) => {
            let mut t = Tci::default();
            t.vid(*v, *m);
            t.write(l)
        }
        OxmField::VlanPcp(p) => {
            let mut t = Tci::default();
            t.pcp(*p);
            t.write(l)
        }
        OxmField::IpDscp(d) => l.item(format_args!("nw_tos={}", u32::from(*d) << 2)),
        OxmField::IpEcn(e) => l.item(format_args!("nw_ecn={e}")),
        OxmField::IpProto(p) => l.item(format_args!("nw_proto={p}")),
        OxmField::Ipv4Src(v, m) => l.item(format_args!("nw_src={}", Ipv4Masked(*v, *m))),
        OxmField::Ipv4Dst(v, m) => l.item(format_args!("nw_dst={}", Ipv4Masked(*v, *m))),
        OxmField::TcpSrc(p) | OxmField::UdpSrc(p) | OxmField::SctpSrc(p) => {
            l.item(format_args!("tp_src={p}"))
        }
        OxmField::TcpDst(p) | OxmField::UdpDst(p) | OxmField::SctpDst(p) => {
            l.item(format_args!("tp_dst={p}"))
        }
        OxmField::Icmpv4Type(t) | OxmField::Icmpv6Type(t) => l.item(format_args!("icmp_type={t}")),
        OxmField::Icmpv4Code(c) | OxmField::Icmpv6Code(c) => l.item(format_args!("icmp_code={c}")),
        OxmField::ArpOp(o) => l.item(format_args!("arp_op={o}")),
        OxmField::ArpSpa(v, m) => l.item(format_args!("arp_spa={}", Ipv4Masked(*v, *m))),
        OxmField::ArpTpa(v, m) => l.item(format_args!("arp_tpa={}", Ipv4Masked(*v, *m))),
        OxmField::ArpSha(v, m) => l.item(format_args!("arp_sha={}", MacMasked(*v, *m))),
        OxmField::ArpTha(v, m) => l.item(format_args!("arp_tha={}", MacMasked(*v, *m))),
        OxmField::Ipv6Src(v, m) => l.item(format_args!("ipv6_src={}", Ipv6Masked(*v, *m))),
        OxmField::Ipv6Dst(v, m) => l.item(format_args!("ipv6_dst={}", Ipv6Masked(*v, *m))),
        // OVS treats a mask of all 20 label bits as no mask.
        OxmField::Ipv6Flabel(v, m) => match m {
            Some(m) if *m != u32::MAX && *m != 0xfffff => {
                l.item(format_args!("ipv6_label={v:#07x}/{m:#07x}"))
            }
            _ => l.item(format_args!("ipv6_label={v:#07x}")),
        },
        OxmField::Ipv6NdTarget(a) => l.item(format_args!("nd_target={}", Ipv6Ntop(*a))),
        OxmField::Ipv6NdSll(a) => l.item(format_args!("nd_sll={a}")),
        OxmField::Ipv6NdTll(a) => l.item(format_args!("nd_tll={a}")),
        OxmField::MplsLabel(v) => l.item(format_args!("mpls_label={v}")),
        OxmField::MplsTc(v) => l.item(format_args!("mpls_tc={v}")),
        OxmField::MplsBos(v) => l.item(format_args!("mpls_bos={v}")),
        OxmField::PbbIsid(v, m) => match m {
            Some(m) => l.item(format_args!("pbb_isid={v:#x}/{m:#x}")),
            None => l.item(format_args!("pbb_isid={v}")),
        },
        OxmField::TunnelId(v, m) => l.item(format_args!("tun_id={}", U64Masked(*v, *m))),
        OxmField::Ipv6Exthdr(v, m) => match m {
            Some(m) => l.item(format_args!("ipv6_exthdr={v:#x}/{m:#x}")),
            None => l.item(format_args!("ipv6_exthdr={v:#x}")),
        },
        OxmField::Raw(r) => write_raw(l, r.class, r.field, r.hasmask, &r.payload),
    }
}

struct Hex<'a>(&'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0x")?;
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// A raw TLV: `oxm:CLASS:FIELD=0xVALUE[/0xMASK]`, with the experimenter id after the class
/// for experimenter TLVs (`oxm:0xffff:0x00002320:5=0x...`). ovs-ofctl has no notation for
/// TLVs it does not know (it refuses them).
fn write_raw(
    l: &mut List<'_, '_>,
    class: u16,
    field: u8,
    hasmask: bool,
    payload: &[u8],
) -> fmt::Result {
    let (v, m) = split_value_mask(class, hasmask, payload);
    let exp = experimenter_of(class, payload);
    match (exp, m) {
        (Some(e), Some(m)) => l.item(format_args!(
            "oxm:{class:#06x}:{e:#010x}:{field}={}/{}",
            Hex(v),
            Hex(m)
        )),
        (Some(e), None) => l.item(format_args!(
            "oxm:{class:#06x}:{e:#010x}:{field}={}",
            Hex(v)
        )),
        (None, Some(m)) => l.item(format_args!(
            "oxm:{class:#06x}:{field}={}/{}",
            Hex(v),
            Hex(m)
        )),
        (None, None) => l.item(format_args!("oxm:{class:#06x}:{field}={}", Hex(v))),
    }
}

/// A field as the match formatter sees it.
#[derive(Clone)]
enum View<'a> {
    Typed(OxmField),
    Raw(u16, u8, bool, &'a [u8]),
}

impl<'a> View<'a> {
    fn typed(&self) -> Option<&OxmField> {
        match self {
            View::Typed(t) => Some(t),
            View::Raw(..) => None,
        }
    }

    /// A masked transport port or neighbour discovery field (raw: the spec allows no mask on
    /// them, Open vSwitch does): field number, value and mask.
    fn ovs_masked(&self) -> Option<(u8, &'a [u8], &'a [u8])> {
        let View::Raw(OFPXMC_OPENFLOW_BASIC, field, true, p) = *self else {
            return None;
        };
        let len = match field {
            ofb::TCP_SRC..=ofb::SCTP_DST => 2,
            ofb::IPV6_ND_TARGET => 16,
            ofb::IPV6_ND_SLL | ofb::IPV6_ND_TLL => 6,
            _ => return None,
        };
        if p.len() != 2 * len {
            return None;
        }
        let (v, m) = p.split_at_checked(len)?;
        Some((field, v, m))
    }
}

/// Where a field of [`View::ovs_masked`] is in the match, its value and its mask.
type OvsMasked<'a> = (usize, &'a [u8], &'a [u8]);

/// A field of [`View::ovs_masked`] as ovs-ofctl prints it: `tp_src=0x50/0xfff0`,
/// `nd_target=fe80::/64`, `nd_sll=00:00:00:00:00:01/ff:ff:ff:00:00:00`; nothing for an
/// all-zero mask, the plain value for an all-ones one.
fn write_ovs_masked(l: &mut List<'_, '_>, field: u8, v: &[u8], m: &[u8]) -> fmt::Result {
    if m.iter().all(|&b| b == 0) {
        return Ok(());
    }
    let whole = m.iter().all(|&b| b == 0xff);
    match (field, <[u8; 2]>::try_from(v), <[u8; 2]>::try_from(m)) {
        (ofb::TCP_SRC..=ofb::SCTP_DST, Ok(v), Ok(m)) => {
            let name = if (field - ofb::TCP_SRC) % 2 == 0 {
                "tp_src"
            } else {
                "tp_dst"
            };
            let (v, m) = (u16::from_be_bytes(v), u16::from_be_bytes(m));
            if whole {
                l.item(format_args!("{name}={v}"))
            } else {
                l.item(format_args!("{name}={v:#x}/{m:#x}"))
            }
        }
        _ => match (<[u8; 16]>::try_from(v), <[u8; 16]>::try_from(m)) {
            (Ok(v), Ok(m)) => l.item(format_args!(
                "nd_target={}",
                Ipv6Masked(Ipv6Addr::from(v), Some(Ipv6Addr::from(m)))
            )),
            _ => match (MacAddr::from_slice(v), MacAddr::from_slice(m)) {
                (Some(v), Some(m)) => {
                    let name = if field == ofb::IPV6_ND_SLL {
                        "nd_sll"
                    } else {
                        "nd_tll"
                    };
                    l.item(format_args!("{name}={}", MacMasked(v, Some(m))))
                }
                _ => Ok(()),
            },
        },
    }
}

/// The order in which OVS's `match_format` prints fields (by basic field number), after the
/// protocol shorthand, with the fields OVS does not know (`in_phy_port`, `ipv6_exthdr`,
/// `pbb_isid`) where they fit best. `vlan_vid`/`vlan_pcp` are printed together at the VLAN
/// slot, `eth_type`/`ip_proto` at theirs unless the shorthand covers them.
const OVS_ORDER: [u8; 39] = [
    ofb::TUNNEL_ID,
    ofb::METADATA,
    ofb::IN_PORT,
    ofb::IN_PHY_PORT,
    ofb::VLAN_VID, // with VLAN_PCP
    ofb::ETH_SRC,
    ofb::ETH_DST,
    ofb::ETH_TYPE,
    ofb::IPV6_SRC,
    ofb::IPV6_DST,
    ofb::IPV6_FLABEL,
    ofb::IPV6_EXTHDR,
    ofb::ARP_SPA,
    ofb::ARP_TPA,
    ofb::IPV4_SRC,
    ofb::IPV4_DST,
    ofb::IP_PROTO,
    ofb::ARP_OP,
    ofb::ARP_SHA,
    ofb::ARP_THA,
    ofb::IP_DSCP,
    ofb::IP_ECN,
    ofb::MPLS_LABEL,
    ofb::MPLS_TC,
    ofb::MPLS_BOS,
    ofb::PBB_ISID,
    ofb::ICMPV4_TYPE,
    ofb::ICMPV4_CODE,
    ofb::ICMPV6_TYPE,
    ofb::ICMPV6_CODE,
    ofb::IPV6_ND_TARGET,
    ofb::IPV6_ND_SLL,
    ofb::IPV6_ND_TLL,
    ofb::TCP_SRC,
    ofb::TCP_DST,
    ofb::UDP_SRC,
    ofb::UDP_DST,
    ofb::SCTP_SRC,
    ofb::SCTP_DST,
];

/// Where Open vSwitch's `match_format` prints a Nicira (or ONF) field it has a name for:
/// before the protocol shorthand (`pkt_mark`, `conj_id`, `ct_*`), after it with the
/// registers, or after the place of an OpenFlow field (`tun_src` after `tun_id`, `nw_ttl`
/// after `nw_ecn`, `tcp_flags` after the ports). The last number orders fields in a place.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NxPlace {
    BeforeShorthand(u8),
    Registers(u8),
    After(u8, u8),
}

/// `+name-name` for the bits of `mask` (lowest first), or `None` for a bit without a name.
fn flags_masked(names: &[&str], v: u32, mask: u32) -> Option<String> {
    let mut t = String::new();
    for i in 0..32 {
        if mask & (1 << i) != 0 {
            t.push(if v & (1 << i) != 0 { '+' } else { '-' });
            t.push_str(names.get(i)?);
        }
    }
    Some(t)
}

/// The names of the bits of `v` joined by `|` (lowest first), `0` for none, as OVS's
/// `format_flags`; `None` for a bit without a name.
fn flags_exact(names: &[&str], v: u32) -> Option<String> {
    if v == 0 {
        return Some("0".into());
    }
    let mut t = String::new();
    for i in 0..32 {
        if v & (1 << i) != 0 {
            if !t.is_empty() {
                t.push('|');
            }
            t.push_str(names.get(i)?);
        }
    }
    Some(t)
}

const CT_STATE_NAMES: [&str; 8] = ["new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat"];
const TCP_FLAG_NAMES: [&str; 9] = ["fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"];

/// ONF's experimenter id, which Open vSwitch uses for `tcp_flags` and `actset_output`.
const ONF_ID: [u8; 4] = [0x4f, 0x4e, 0x46, 0x00];

/// A Nicira or ONF TLV as `match_format` prints it (`reg5=0xabcd/0xffff`,
/// `tun_src=192.168.2.3`, `ct_state=+est+trk`, `conj_id=7`, `tcp_flags=+syn-ack`), with where
/// it goes; `None` when OVS has no such text for it or the text would not read back as the
/// same TLV (a mask of all ones or all zeros, value bits outside the mask, a length that is
/// not the field's).
fn nx_named(class: u16, field: u8, hasmask: bool, p: &[u8]) -> Option<(NxPlace, String)> {
    use alloc::format;
    let (field, p) = match class {
        OFPXMC_NXM_1 => (u16::from(field), p),
        0xffff if p.get(..4) == Some(&ONF_ID[..]) => (1000 + u16::from(field), p.get(4..)?),
        _ => return None,
    };
    let width = match field {
        0..=15 | 31 | 32 | 33 | 35 | 36 | 37 | 105 | 107 | 1043 => 4,
        38 | 106 | 1042 => 2,
        26 | 29 | 30 | 39 => 1,
        108..=110 => 16,
        _ => return None,
    };
    if p.len() != width * if hasmask { 2 } else { 1 } {
        return None;
    }
    let (v, m) = p.split_at(width);
    if hasmask {
        let (zero, ones) = (m.iter().all(|b| *b == 0), m.iter().all(|b| *b == 0xff));
        let outside = v.iter().zip(m).any(|(v, m)| v & !m != 0);
        if zero || ones || outside {
            return None;
        }
    }
    let num = |b: &[u8]| b.iter().fold(0u32, |a, x| (a << 8) | u32::from(*x));
    let full = if width >= 4 {
        u32::MAX
    } else {
        (1 << (8 * width)) - 1
    };
    let (val, mask) = if width <= 4 {
        (num(v), if hasmask { num(m) } else { full })
    } else {
        (0, 0)
    };
    let hex32 = |name: &str| {
        let mut t = format!("{name}={}", AltHex(u64::from(val)));
        if mask != u32::MAX {
            t.push_str(&format!("/{}", AltHex(u64::from(mask))));
        }
        t
    };
    let place = NxPlace::BeforeShorthand;
    Some(match field {
        0..=15 => (
            NxPlace::Registers(u8::try_from(field).ok()?),
            hex32(&format!("reg{field}")),
        ),
        33 => (place(0), hex32("pkt_mark")),
        36 if !hasmask => (place(1), hex32("recirc_id")),
        35 => (place(2), hex32("dp_hash")),
        37 if !hasmask => (place(3), format!("conj_id={val}")),
        1043 if !hasmask => {
            // actset_output, a port: a number or a reserved name.
            let port = match PortNo(val).reserved_name() {
                Some(n) if val >= 0xffff_fff8 => n.into(),
                _ if val < 0xff00 => format!("{val}"),
                _ => return None,
            };
            (place(4), format!("actset_output={port}"))
        }
        105 if hasmask => {
            // OVS matches the 8 state bits it knows: a mask of all of them is an exact
            // match (`ct_state=est|trk`), the rest `+est-new`.
            let t = if mask == 0xff {
                flags_exact(&CT_STATE_NAMES, val)?
            } else {
                flags_masked(&CT_STATE_NAMES, val, mask)?
            };
            (place(5), format!("ct_state={t}"))
        }
        106 if !hasmask => (place(6), format!("ct_zone={val}")),
        107 => (place(7), hex32("ct_mark")),
        108 => {
            let hex = |b: &[u8]| {
                let mut t = String::new();
                for x in b.iter().skip_while(|x| **x == 0) {
                    if t.is_empty() {
                        t.push_str(&format!("0x{x:x}"));
                    } else {
                        t.push_str(&format!("{x:02x}"));
                    }
                }
                if t.is_empty() {
                    t.push('0');
                }
                t
            };
            let mut t = format!("ct_label={}", hex(v));
            if hasmask {
                t.push('/');
                t.push_str(&hex(m));
            }
            (place(8), t)
        }
        31 | 32 => {
            let a = Ipv4Addr::from(val);
            let mk = hasmask.then(|| Ipv4Addr::from(mask));
            let name = if field == 31 { "tun_src" } else { "tun_dst" };
            (
                NxPlace::After(ofb::TUNNEL_ID, 1 + u8::from(field == 32)),
                format!("{name}={}", Ipv4Masked(a, mk)),
            )
        }
        109 | 110 => {
            let a = Ipv6Addr::from(<[u8; 16]>::try_from(v).ok()?);
            let mk = if hasmask {
                Some(Ipv6Addr::from(<[u8; 16]>::try_from(m).ok()?))
            } else {
                None
            };
            let name = if field == 109 {
                "tun_ipv6_src"
            } else {
                "tun_ipv6_dst"
            };
            (
                NxPlace::After(ofb::TUNNEL_ID, 3 + u8::from(field == 110)),
                format!("{name}={}", Ipv6Masked(a, mk)),
            )
        }
        38 => {
            let t = if hasmask {
                format!("tun_gbp_id={val:#x}/{mask:#x}")
            } else {
                format!("tun_gbp_id={val}")
            };
            (NxPlace::After(ofb::TUNNEL_ID, 5), t)
        }
        // OVS prints the value alone even when masked; a masked one stays raw here.
        39 if !hasmask => (
            NxPlace::After(ofb::TUNNEL_ID, 6),
            format!("tun_gbp_flags={}", AltHex(u64::from(val))),
        ),
        29 if !hasmask => (NxPlace::After(ofb::IP_ECN, 0), format!("nw_ttl={val}")),
        26 => {
            let t = match (hasmask, val, mask) {
                (false, 0, _) => "no",
                (false, 1, _) => "first",
                (false, 3, _) => "later",
                (true, 1, 1) => "yes",
                (true, 0, 1) => "no",
                (true, 2, 2) => "later",
                (true, 0, 2) => "not_later",
                _ => return None,
            };
            (NxPlace::After(ofb::IP_ECN, 1), format!("nw_frag={t}"))
        }
        30 if !hasmask => (NxPlace::After(ofb::MPLS_TC, 0), format!("mpls_ttl={val}")),
        1042 => {
            // tcp_flags: 12 bits. A mask of exactly those 12 bits reads back unmasked.
            let t = if hasmask {
                if mask & 0xf000 != 0 || mask == 0x0fff {
                    return None;
                }
                flags_masked(&TCP_FLAG_NAMES, val, mask)?
            } else {
                flags_exact(&TCP_FLAG_NAMES, val)?
            };
            (NxPlace::After(ofb::SCTP_DST, 0), format!("tcp_flags={t}"))
        }
        _ => return None,
    })
}

fn fmt_match<'a, I>(f: &mut fmt::Formatter<'_>, items: I) -> fmt::Result
where
    I: Iterator<Item = View<'a>> + Clone,
{
    // The first typed occurrence of every basic field, with its position.
    let mut first: [Option<(usize, OxmField)>; 40] = core::array::from_fn(|_| None);
    for (i, v) in items.clone().enumerate() {
        if let Some(t) = v.typed() {
            if let Some(slot @ None) = first.get_mut(usize::from(t.field())) {
                *slot = Some((i, t.clone()));
            }
        }
    }
    // The first masked transport port or neighbour discovery field, which Open vSwitch takes
    // with a mask where the spec allows none (raw TLVs here): position, value, mask.
    let mut masked: [Option<OvsMasked<'a>>; 40] = [None; 40];
    for (i, v) in items.clone().enumerate() {
        if let Some((field, value, mask)) = v.ovs_masked() {
            if let Some(slot @ None) = masked.get_mut(usize::from(field)) {
                *slot = Some((i, value, mask));
            }
        }
    }
    let get = |code: u8| first.get(usize::from(code)).and_then(|x| x.as_ref());
    let eth_type = match get(ofb::ETH_TYPE) {
        Some((_, OxmField::EthType(t))) => Some(*t),
        _ => None,
    };
    let ip_proto = match get(ofb::IP_PROTO) {
        Some((_, OxmField::IpProto(p))) => Some(*p),
        _ => None,
    };
    // The Nicira fields OVS names, with their place and position.
    let mut named: Vec<(NxPlace, usize, String)> = Vec::new();
    for (i, v) in items.clone().enumerate() {
        if let View::Raw(c, fl, hm, p) = v {
            if let Some((place, text)) = nx_named(c, fl, hm, p) {
                named.push((place, i, text));
            }
        }
    }
    let mut l = List { f, empty: true };
    let write_named = |l: &mut List<'_, '_>, pick: &dyn Fn(NxPlace) -> Option<u8>| {
        let mut these: Vec<(u8, usize, &str)> = named
            .iter()
            .filter_map(|(p, i, t)| pick(*p).map(|k| (k, *i, t.as_str())))
            .collect();
        these.sort();
        these
            .iter()
            .try_for_each(|(_, _, t)| l.item(format_args!("{t}")))
    };
    write_named(&mut l, &|p| match p {
        NxPlace::BeforeShorthand(k) => Some(k),
        _ => None,
    })?;
    let (short, skip_proto) = match (eth_type, ip_proto) {
        (Some(0x0800), Some(1)) => (Some("icmp"), true),
        (Some(0x0800), Some(6)) => (Some("tcp"), true),
        (Some(0x0800), Some(17)) => (Some("udp"), true),
        (Some(0x0800), Some(132)) => (Some("sctp"), true),
        (Some(0x0800), _) => (Some("ip"), false),
        (Some(0x86dd), Some(58)) => (Some("icmp6"), true),
        (Some(0x86dd), Some(6)) => (Some("tcp6"), true),
        (Some(0x86dd), Some(17)) => (Some("udp6"), true),
        (Some(0x86dd), Some(132)) => (Some("sctp6"), true),
        (Some(0x86dd), _) => (Some("ipv6"), false),
        (Some(0x0806), _) => (Some("arp"), false),
        (Some(0x8035), _) => (Some("rarp"), false),
        (Some(0x8847), _) => (Some("mpls"), false),
        (Some(0x8848), _) => (Some("mplsm"), false),
        _ => (None, false),
    };
    if let Some(s) = short {
        l.item(format_args!("{s}"))?;
    }
    write_named(&mut l, &|p| match p {
        NxPlace::Registers(k) => Some(k),
        _ => None,
    })?;
    for code in OVS_ORDER {
        match code {
            ofb::VLAN_VID => {
                let mut vlan: [Option<&(usize, OxmField)>; 2] =
                    [get(ofb::VLAN_VID), get(ofb::VLAN_PCP)];
                vlan.sort_by_key(|x| x.map(|(i, _)| *i));
                let mut tci = Tci::default();
                for (_, v) in vlan.into_iter().flatten() {
                    match v {
                        OxmField::VlanVid(v, m) => tci.vid(*v, *m),
                        OxmField::VlanPcp(p) => tci.pcp(*p),
                        _ => {}
                    }
                }
                tci.write(&mut l)?;
            }
            ofb::ETH_TYPE if short.is_some() => {}
            ofb::IP_PROTO if skip_proto => {}
            _ => {
                if let Some((_, v)) = get(code) {
                    if !is_wildcard(v) {
                        write_field(&mut l, v)?;
                    }
                } else if let Some((_, v, m)) = masked.get(usize::from(code)).copied().flatten() {
                    write_ovs_masked(&mut l, code, v, m)?;
                }
            }
        }
        write_named(&mut l, &|p| match p {
            NxPlace::After(c, k) if c == code => Some(k),
            _ => None,
        })?;
    }
    // Everything else, in wire order: raw TLVs and repeated fields.
    for (i, v) in items.enumerate() {
        match v {
            View::Raw(c, fl, hm, p) => {
                let printed = get(fl).is_none()
                    && masked
                        .get(usize::from(fl))
                        .copied()
                        .flatten()
                        .is_some_and(|(j, ..)| j == i);
                let was_named = named.iter().any(|(_, j, _)| *j == i);
                if !(was_named || c == OFPXMC_OPENFLOW_BASIC && printed) {
                    write_raw(&mut l, c, fl, hm, p)?;
                }
            }
            View::Typed(t) => {
                let is_first = get(t.field()).is_some_and(|(j, _)| *j == i);
                if !is_first && !is_wildcard(&t) {
                    write_field(&mut l, &t)?;
                }
            }
        }
    }
    Ok(())
}

impl fmt::Display for OxmField {
    /// The field alone in ovs-ofctl notation (`dl_dst=00:00:00:00:00:02`,
    /// `nw_src=10.0.0.0/24`, `dl_type=0x0800`), as [`Match`]'s `Display` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_field(&mut List { f, empty: true }, self)
    }
}

impl fmt::Display for Match {
    /// The match in ovs-ofctl notation, as `ovs-ofctl -O OpenFlow13 dump-flows` and
    /// `ofp-print` print it (the part after `priority=N,`):
    /// `tcp,in_port=1,dl_dst=00:00:00:00:00:02,nw_src=10.0.0.0/24,tp_dst=80`.
    ///
    /// As OVS does, fields are printed in OVS's order, not the wire's; `eth_type` and
    /// `ip_proto` become the shorthand `ip`, `tcp`, `udp`, `sctp`, `icmp`, `ipv6`, `tcp6`,
    /// `udp6`, `sctp6`, `icmp6`, `arp`, `rarp`, `mpls`, `mplsm` where one exists;
    /// `vlan_vid`/`vlan_pcp` print as `dl_vlan=`/`dl_vlan_pcp=` or `vlan_tci=value/mask`;
    /// `ip_dscp` as `nw_tos=` (the DSCP shifted left by 2); fields with an all-zero mask
    /// are not printed (they match anything). Masked TCP, UDP and SCTP ports and neighbour
    /// discovery fields, which Open vSwitch accepts and the spec does not (they stay raw TLVs),
    /// print as OVS prints them: `tp_src=0x50/0xfff0`, `nd_target=fe80::/64`. An empty match
    /// prints nothing.
    ///
    /// Where OVS has nothing to print (it refuses such matches), we still print everything:
    /// `in_phy_port=`, `pbb_isid=`, `ipv6_exthdr=` (OVS 3.1 does not support them in
    /// OpenFlow 1.3); repeated fields and raw TLVs (`oxm:0x0001:5=0x...`) follow the rest in
    /// wire order; fields without their prerequisites print under the name of their own kind
    /// (`nw_src=` for `ipv4_src`), where OVS would name the bits by the `eth_type`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_match(
            f,
            self.fields.iter().map(|x| match x {
                OxmField::Raw(r) => View::Raw(r.class, r.field, r.hasmask, &r.payload),
                t => View::Typed(t.clone()),
            }),
        )
    }
}

impl fmt::Display for MatchView<'_> {
    /// As [`Match`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_match(
            f,
            self.fields()
                .filter_map(|x| x.ok())
                .map(|x| match x.typed() {
                    Some(t) => View::Typed(t),
                    None => View::Raw(x.class(), x.field(), x.hasmask(), x.payload()),
                }),
        )
    }
}

impl fmt::Display for OxmFieldView<'_> {
    /// As [`OxmField`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut l = List { f, empty: true };
        match self.typed() {
            Some(t) => write_field(&mut l, &t),
            None => write_raw(
                &mut l,
                self.class(),
                self.field(),
                self.hasmask(),
                self.payload,
            ),
        }
    }
}

impl fmt::Display for RawOxm {
    /// As [`OxmField::Raw`] prints in a match (ovs-ofctl's notation for a field it has no
    /// name for).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_raw(
            &mut List { f, empty: true },
            self.class,
            self.field,
            self.hasmask,
            &self.payload,
        )
    }
}

impl fmt::Display for BasicFieldInfo {
    /// The field's name, as os-ken names it (`ipv4_src`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}
