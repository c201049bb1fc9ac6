//! OXM fields and matches: os-ken's `OFPMatch` `oxm_fields` list.

use super::*;

// ---------------------------------------------------------------------------------------------
// OXM fields
// ---------------------------------------------------------------------------------------------

/// How os-ken renders an OXM value (`os_ken.lib.type_desc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum T {
    /// A big-endian unsigned integer of this many bytes.
    Int(usize),
    /// A MAC address, `"0a:1b:2c:3d:4e:5f"`.
    Mac,
    /// An IPv4 address.
    Ipv4,
    /// An IPv6 address.
    Ipv6,
}

impl T {
    const fn size(self) -> usize {
        match self {
            T::Int(n) => n,
            T::Mac => 6,
            T::Ipv4 => 4,
            T::Ipv6 => 16,
        }
    }
}

/// Where an OXM field lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum K {
    /// A class with 32-bit headers, and the field number.
    Std(u16, u8),
    /// An experimenter field (class 0xffff): experimenter id and field number.
    Exp(u32, u8),
    /// ONF's EXT-256 experimenter field: field 0, then a 16-bit `exp_type` after the
    /// experimenter id.
    Ext256(u32, u16),
}

/// One OXM field os-ken knows by name (`ofproto_v1_3.oxm_types`, Nicira's included).
#[derive(Debug)]
pub(super) struct D {
    pub(super) name: &'static str,
    pub(super) k: K,
    pub(super) t: T,
}

pub(super) const fn d(name: &'static str, k: K, t: T) -> D {
    D { name, k, t }
}

pub(super) const ONF_EXPERIMENTER_ID: u32 = 0x4f4e_4600;

/// os-ken's OF1.3 OXM names: the 40 OpenFlow-basic fields, ONF's, the packet registers and
/// Nicira's (NXM_0, NXM_1 and experimenter fields), as `os_ken.ofproto.ofproto_v1_3`
/// and `nicira_ext` define them.
pub(super) static OXM: [D; 130] = [
    d("in_port", K::Std(0x8000, 0), T::Int(4)),
    d("in_phy_port", K::Std(0x8000, 1), T::Int(4)),
    d("metadata", K::Std(0x8000, 2), T::Int(8)),
    d("eth_dst", K::Std(0x8000, 3), T::Mac),
    d("eth_src", K::Std(0x8000, 4), T::Mac),
    d("eth_type", K::Std(0x8000, 5), T::Int(2)),
    d("vlan_vid", K::Std(0x8000, 6), T::Int(2)),
    d("vlan_pcp", K::Std(0x8000, 7), T::Int(1)),
    d("ip_dscp", K::Std(0x8000, 8), T::Int(1)),
    d("ip_ecn", K::Std(0x8000, 9), T::Int(1)),
    d("ip_proto", K::Std(0x8000, 10), T::Int(1)),
    d("ipv4_src", K::Std(0x8000, 11), T::Ipv4),
    d("ipv4_dst", K::Std(0x8000, 12), T::Ipv4),
    d("tcp_src", K::Std(0x8000, 13), T::Int(2)),
    d("tcp_dst", K::Std(0x8000, 14), T::Int(2)),
    d("udp_src", K::Std(0x8000, 15), T::Int(2)),
    d("udp_dst", K::Std(0x8000, 16), T::Int(2)),
    d("sctp_src", K::Std(0x8000, 17), T::Int(2)),
    d("sctp_dst", K::Std(0x8000, 18), T::Int(2)),
    d("icmpv4_type", K::Std(0x8000, 19), T::Int(1)),
    d("icmpv4_code", K::Std(0x8000, 20), T::Int(1)),
    d("arp_op", K::Std(0x8000, 21), T::Int(2)),
    d("arp_spa", K::Std(0x8000, 22), T::Ipv4),
    d("arp_tpa", K::Std(0x8000, 23), T::Ipv4),
    d("arp_sha", K::Std(0x8000, 24), T::Mac),
    d("arp_tha", K::Std(0x8000, 25), T::Mac),
    d("ipv6_src", K::Std(0x8000, 26), T::Ipv6),
    d("ipv6_dst", K::Std(0x8000, 27), T::Ipv6),
    d("ipv6_flabel", K::Std(0x8000, 28), T::Int(4)),
    d("icmpv6_type", K::Std(0x8000, 29), T::Int(1)),
    d("icmpv6_code", K::Std(0x8000, 30), T::Int(1)),
    d("ipv6_nd_target", K::Std(0x8000, 31), T::Ipv6),
    d("ipv6_nd_sll", K::Std(0x8000, 32), T::Mac),
    d("ipv6_nd_tll", K::Std(0x8000, 33), T::Mac),
    d("mpls_label", K::Std(0x8000, 34), T::Int(4)),
    d("mpls_tc", K::Std(0x8000, 35), T::Int(1)),
    d("mpls_bos", K::Std(0x8000, 36), T::Int(1)),
    d("pbb_isid", K::Std(0x8000, 37), T::Int(3)),
    d("tunnel_id", K::Std(0x8000, 38), T::Int(8)),
    d("ipv6_exthdr", K::Std(0x8000, 39), T::Int(2)),
    d("pbb_uca", K::Ext256(0x4f4e4600, 2560), T::Int(1)),
    d("tcp_flags", K::Exp(0x4f4e4600, 42), T::Int(2)),
    d("actset_output", K::Exp(0x4f4e4600, 43), T::Int(4)),
    d("xreg0", K::Std(0x8001, 0), T::Int(8)),
    d("xreg1", K::Std(0x8001, 1), T::Int(8)),
    d("xreg2", K::Std(0x8001, 2), T::Int(8)),
    d("xreg3", K::Std(0x8001, 3), T::Int(8)),
    d("xreg4", K::Std(0x8001, 4), T::Int(8)),
    d("xreg5", K::Std(0x8001, 5), T::Int(8)),
    d("xreg6", K::Std(0x8001, 6), T::Int(8)),
    d("xreg7", K::Std(0x8001, 7), T::Int(8)),
    d("in_port_nxm", K::Std(0x0000, 0), T::Int(2)),
    d("eth_dst_nxm", K::Std(0x0000, 1), T::Mac),
    d("eth_src_nxm", K::Std(0x0000, 2), T::Mac),
    d("eth_type_nxm", K::Std(0x0000, 3), T::Int(2)),
    d("vlan_tci", K::Std(0x0000, 4), T::Int(2)),
    d("nw_tos", K::Std(0x0000, 5), T::Int(1)),
    d("ip_proto_nxm", K::Std(0x0000, 6), T::Int(1)),
    d("ipv4_src_nxm", K::Std(0x0000, 7), T::Ipv4),
    d("ipv4_dst_nxm", K::Std(0x0000, 8), T::Ipv4),
    d("tcp_src_nxm", K::Std(0x0000, 9), T::Int(2)),
    d("tcp_dst_nxm", K::Std(0x0000, 10), T::Int(2)),
    d("udp_src_nxm", K::Std(0x0000, 11), T::Int(2)),
    d("udp_dst_nxm", K::Std(0x0000, 12), T::Int(2)),
    d("icmpv4_type_nxm", K::Std(0x0000, 13), T::Int(1)),
    d("icmpv4_code_nxm", K::Std(0x0000, 14), T::Int(1)),
    d("arp_op_nxm", K::Std(0x0000, 15), T::Int(2)),
    d("arp_spa_nxm", K::Std(0x0000, 16), T::Ipv4),
    d("arp_tpa_nxm", K::Std(0x0000, 17), T::Ipv4),
    d("tunnel_id_nxm", K::Std(0x0001, 16), T::Int(8)),
    d("arp_sha_nxm", K::Std(0x0001, 17), T::Mac),
    d("arp_tha_nxm", K::Std(0x0001, 18), T::Mac),
    d("ipv6_src_nxm", K::Std(0x0001, 19), T::Ipv6),
    d("ipv6_dst_nxm", K::Std(0x0001, 20), T::Ipv6),
    d("icmpv6_type_nxm", K::Std(0x0001, 21), T::Int(1)),
    d("icmpv6_code_nxm", K::Std(0x0001, 22), T::Int(1)),
    d("nd_target", K::Std(0x0001, 23), T::Ipv6),
    d("nd_sll", K::Std(0x0001, 24), T::Mac),
    d("nd_tll", K::Std(0x0001, 25), T::Mac),
    d("ip_frag", K::Std(0x0001, 26), T::Int(1)),
    d("ipv6_label", K::Std(0x0001, 27), T::Int(4)),
    d("ip_ecn_nxm", K::Std(0x0001, 28), T::Int(1)),
    d("nw_ttl", K::Std(0x0001, 29), T::Int(1)),
    d("mpls_ttl", K::Std(0x0001, 30), T::Int(1)),
    d("tun_ipv4_src", K::Std(0x0001, 31), T::Ipv4),
    d("tun_ipv4_dst", K::Std(0x0001, 32), T::Ipv4),
    d("pkt_mark", K::Std(0x0001, 33), T::Int(4)),
    d("tcp_flags_nxm", K::Std(0x0001, 34), T::Int(2)),
    d("conj_id", K::Std(0x0001, 37), T::Int(4)),
    d("tun_gbp_id", K::Std(0x0001, 38), T::Int(2)),
    d("tun_gbp_flags", K::Std(0x0001, 39), T::Int(1)),
    d("tun_flags", K::Std(0x0001, 104), T::Int(2)),
    d("ct_state", K::Std(0x0001, 105), T::Int(4)),
    d("ct_zone", K::Std(0x0001, 106), T::Int(2)),
    d("ct_mark", K::Std(0x0001, 107), T::Int(4)),
    d("ct_label", K::Std(0x0001, 108), T::Int(16)),
    d("tun_ipv6_src", K::Std(0x0001, 109), T::Ipv6),
    d("tun_ipv6_dst", K::Std(0x0001, 110), T::Ipv6),
    d("_recirc_id", K::Std(0x0001, 36), T::Int(4)),
    d("_dp_hash", K::Exp(0x00002320, 0), T::Int(4)),
    d("nsh_flags", K::Exp(0x005ad650, 1), T::Int(1)),
    d("nsh_mdtype", K::Exp(0x005ad650, 2), T::Int(1)),
    d("nsh_np", K::Exp(0x005ad650, 3), T::Int(1)),
    d("nsh_spi", K::Exp(0x005ad650, 4), T::Int(4)),
    d("nsh_si", K::Exp(0x005ad650, 5), T::Int(1)),
    d("nsh_c1", K::Exp(0x005ad650, 6), T::Int(4)),
    d("nsh_c2", K::Exp(0x005ad650, 7), T::Int(4)),
    d("nsh_c3", K::Exp(0x005ad650, 8), T::Int(4)),
    d("nsh_c4", K::Exp(0x005ad650, 9), T::Int(4)),
    d("nsh_ttl", K::Exp(0x005ad650, 10), T::Int(1)),
    d("reg0", K::Std(0x0001, 0), T::Int(4)),
    d("reg1", K::Std(0x0001, 1), T::Int(4)),
    d("reg2", K::Std(0x0001, 2), T::Int(4)),
    d("reg3", K::Std(0x0001, 3), T::Int(4)),
    d("reg4", K::Std(0x0001, 4), T::Int(4)),
    d("reg5", K::Std(0x0001, 5), T::Int(4)),
    d("reg6", K::Std(0x0001, 6), T::Int(4)),
    d("reg7", K::Std(0x0001, 7), T::Int(4)),
    d("reg8", K::Std(0x0001, 8), T::Int(4)),
    d("reg9", K::Std(0x0001, 9), T::Int(4)),
    d("reg10", K::Std(0x0001, 10), T::Int(4)),
    d("reg11", K::Std(0x0001, 11), T::Int(4)),
    d("reg12", K::Std(0x0001, 12), T::Int(4)),
    d("reg13", K::Std(0x0001, 13), T::Int(4)),
    d("reg14", K::Std(0x0001, 14), T::Int(4)),
    d("reg15", K::Std(0x0001, 15), T::Int(4)),
    d("xxreg0", K::Std(0x0001, 111), T::Int(16)),
    d("xxreg1", K::Std(0x0001, 112), T::Int(16)),
    d("xxreg2", K::Std(0x0001, 113), T::Int(16)),
    d("xxreg3", K::Std(0x0001, 114), T::Int(16)),
];

pub(super) fn oxm_by_key(k: K) -> Option<&'static D> {
    OXM.iter().find(|d| d.k == k)
}

pub(super) fn oxm_by_name(name: &str) -> Option<&'static D> {
    OXM.iter().find(|d| d.name == name)
}

/// A value of `t` (exactly `t.size()` bytes) as os-ken shows it.
pub(super) fn value_json(t: T, b: &[u8]) -> Value {
    match t {
        T::Int(_) => {
            let v = b.iter().fold(0u128, |a, &x| (a << 8) | u128::from(x));
            match u64::try_from(v) {
                Ok(v) => Value::from(v),
                Err(_) => Value::String(v.to_string()),
            }
        }
        T::Mac => MacAddr::from_slice(b).map_or(Value::Null, |m| mac_text(&m)),
        T::Ipv4 => <[u8; 4]>::try_from(b).map_or(Value::Null, |a| ipv4_text(a.into())),
        T::Ipv6 => <[u8; 16]>::try_from(b).map_or(Value::Null, |a| ipv6_text(&a.into())),
    }
}

/// The wire bytes of a value of `t`.
pub(super) fn value_bytes(t: T, v: &Value, p: &P<'_>) -> R<Vec<u8>> {
    match t {
        T::Int(size) => {
            let x: u128 = match v {
                Value::String(s) => s.parse().ok(),
                _ => v.as_u64().map(u128::from),
            }
            .ok_or_else(|| p.err("expected an unsigned integer"))?;
            if size < 16 && x >> (8 * size) != 0 {
                return Err(p.err(format!("{x} does not fit {size} bytes")));
            }
            let be = x.to_be_bytes();
            Ok(be.get(16 - size.min(16)..).unwrap_or(&be).to_vec())
        }
        T::Mac => Ok(mac_of(v, p)?.octets().to_vec()),
        T::Ipv4 => Ok(ipv4_of(v, p)?.octets().to_vec()),
        T::Ipv6 => Ok(ipv6_of(v, p)?.octets().to_vec()),
    }
}

/// The field os-ken knows for a TLV, and the bytes after its (experimenter) header.
pub(super) fn oxm_known(class: u16, field: u8, payload: &[u8]) -> Option<(&'static D, &[u8])> {
    if class == OFPXMC_EXPERIMENTER {
        let exp = u32::from_be_bytes(*payload.first_chunk::<4>()?);
        let rest = payload.get(4..)?;
        if exp == ONF_EXPERIMENTER_ID && field == 0 {
            let t = u16::from_be_bytes(*rest.first_chunk::<2>()?);
            Some((oxm_by_key(K::Ext256(exp, t))?, rest.get(2..)?))
        } else {
            Some((oxm_by_key(K::Exp(exp, field))?, rest))
        }
    } else {
        Some((oxm_by_key(K::Std(class, field))?, payload))
    }
}

/// os-ken's name for a field it does not know: `field_<class << 7 | field>`.
pub(super) fn unknown_name(class: u16, field: u8) -> String {
    format!(
        "field_{}",
        (u32::from(class) << 7) | u32::from(field & 0x7f)
    )
}

/// `(field, value, mask)` of a TLV given by its parts.
pub(super) fn oxm_parts_json(
    class: u16,
    field: u8,
    hasmask: bool,
    payload: &[u8],
) -> (Value, Value, Value) {
    if let Some((d, body)) = oxm_known(class, field, payload) {
        let size = d.t.size();
        if body.len() == if hasmask { 2 * size } else { size } {
            let (v, m) = body.split_at(size);
            let mask = if hasmask {
                value_json(d.t, m)
            } else {
                Value::Null
            };
            return (Value::String(d.name.to_owned()), value_json(d.t, v), mask);
        }
    }
    // Unknown, or a length that does not fit the type: base64, the mask being the second
    // half of what follows an experimenter id.
    let body_len = if class == OFPXMC_EXPERIMENTER && payload.len() >= 4 {
        payload.len() - 4
    } else {
        payload.len()
    };
    let mask_len = if hasmask { body_len - body_len / 2 } else { 0 };
    let (v, m) = payload.split_at(payload.len() - mask_len);
    (
        Value::String(unknown_name(class, field)),
        b64v(v),
        if hasmask { b64v(m) } else { Value::Null },
    )
}

pub(super) fn oxm_tlv(name: Value, value: Value, mask: Value) -> Value {
    cls(
        "OXMTlv",
        [("field", name), ("mask", mask), ("value", value)],
    )
}

pub(super) fn mask_of<X: Copy>(m: &Option<X>, f: impl Fn(X) -> Value) -> Value {
    m.map_or(Value::Null, f)
}

pub(super) fn oxm_to(f: &OxmField) -> Value {
    use OxmField as F;
    let mac = |m: MacAddr| mac_text(&m);
    let ip6 = |a: Ipv6Addr| ipv6_text(&a);
    let (v, m) = match f {
        F::InPort(v) | F::InPhyPort(v) => (n(v.0), Value::Null),
        F::EthType(v)
        | F::TcpSrc(v)
        | F::TcpDst(v)
        | F::UdpSrc(v)
        | F::UdpDst(v)
        | F::SctpSrc(v)
        | F::SctpDst(v)
        | F::ArpOp(v) => (n(*v), Value::Null),
        F::VlanPcp(v)
        | F::IpDscp(v)
        | F::IpEcn(v)
        | F::IpProto(v)
        | F::Icmpv4Type(v)
        | F::Icmpv4Code(v)
        | F::Icmpv6Type(v)
        | F::Icmpv6Code(v)
        | F::MplsTc(v)
        | F::MplsBos(v) => (n(*v), Value::Null),
        F::MplsLabel(v) => (n(*v), Value::Null),
        F::Ipv6NdTarget(v) => (ip6(*v), Value::Null),
        F::Ipv6NdSll(v) | F::Ipv6NdTll(v) => (mac(*v), Value::Null),
        F::Metadata(v, m) | F::TunnelId(v, m) => (n(*v), mask_of(m, n)),
        F::EthDst(v, m) | F::EthSrc(v, m) | F::ArpSha(v, m) | F::ArpTha(v, m) => {
            (mac(*v), mask_of(m, mac))
        }
        F::VlanVid(v, m) | F::Ipv6Exthdr(v, m) => (n(*v), mask_of(m, n)),
        F::Ipv4Src(v, m) | F::Ipv4Dst(v, m) | F::ArpSpa(v, m) | F::ArpTpa(v, m) => {
            (ipv4_text(*v), mask_of(m, ipv4_text))
        }
        F::Ipv6Src(v, m) | F::Ipv6Dst(v, m) => (ip6(*v), mask_of(m, ip6)),
        F::Ipv6Flabel(v, m) | F::PbbIsid(v, m) => (n(*v), mask_of(m, n)),
        F::Raw(r) => {
            let (name, v, m) = oxm_parts_json(r.class, r.field, r.hasmask, &r.payload);
            return oxm_tlv(name, v, m);
        }
    };
    let name = Value::String(f.name().unwrap_or_default().to_owned());
    oxm_tlv(name, v, m)
}

/// Class, field, experimenter header bytes and value type of a field named as os-ken does.
pub(super) fn oxm_name_parts(name: &str, p: &P<'_>) -> R<(u16, u8, Vec<u8>, Option<T>)> {
    if let Some(num) = name.strip_prefix("field_") {
        let num = num
            .parse::<u32>()
            .ok()
            .filter(|x| *x >> 23 == 0)
            .ok_or_else(|| p.err(format!("bad field number in {name:?}")))?;
        let class = u16::try_from(num >> 7).unwrap_or(u16::MAX);
        let field = u8::try_from(num & 0x7f).unwrap_or(0);
        return Ok((class, field, Vec::new(), None));
    }
    let d = oxm_by_name(name).ok_or_else(|| p.err(format!("unknown OXM field {name:?}")))?;
    Ok(match d.k {
        K::Std(c, f) => (c, f, Vec::new(), Some(d.t)),
        K::Exp(e, f) => (OFPXMC_EXPERIMENTER, f, e.to_be_bytes().to_vec(), Some(d.t)),
        K::Ext256(e, t) => {
            let mut h = e.to_be_bytes().to_vec();
            h.extend_from_slice(&t.to_be_bytes());
            (OFPXMC_EXPERIMENTER, 0, h, Some(d.t))
        }
    })
}

/// Reads `{"OXMTlv": {"field": .., "value": .., "mask": ..}}`.
pub(super) fn oxm_from(v: &Value, p: &P<'_>) -> R<OxmField> {
    let o = expect_class(v, p, "OXMTlv")?;
    let name = o.str("field")?;
    let (class, field, mut payload, t) = oxm_name_parts(name, &o.p.k("field"))?;
    let value = o.get("value")?;
    let mask = o.opt("mask");
    let enc = |v: &Value, p: &P<'_>| match t {
        Some(t) => value_bytes(t, v, p),
        None => bytes(v, p),
    };
    payload.extend(enc(value, &o.p.k("value"))?);
    if let Some(m) = mask {
        payload.extend(enc(m, &o.p.k("mask"))?);
    }
    if payload.len() > 255 {
        return Err(o.p.err("OXM payload longer than 255 bytes"));
    }
    Ok(OxmField::from_parts(class, field, mask.is_some(), &payload))
}

/// The attributes of `{"<name>": {...}}`, or an error naming the class expected.
pub(super) fn expect_class<'v, 'p>(v: &'v Value, p: &'p P<'p>, name: &'p str) -> R<O<'v, 'p>> {
    let (c, m) = class_of(v, p)?;
    if c != name {
        return Err(p.err(format!("expected class {name}, found {c}")));
    }
    Ok(O { m, p: p.k(name) })
}

pub(super) fn match_to(m: &Match) -> Value {
    cls(
        "OFPMatch",
        [
            ("length", nu(m.length())),
            ("oxm_fields", list(&m.fields, oxm_to)),
            ("type", n(OFPMT_OXM)),
        ],
    )
}

pub(super) fn match_from(v: &Value, p: &P<'_>) -> R<Match> {
    let o = expect_class(v, p, "OFPMatch")?;
    o.check("type", u64::from(OFPMT_OXM))?;
    Ok(Match {
        fields: from_list(&o, "oxm_fields", oxm_from)?.into(),
    })
}

/// An NXM/OXM header (no value) by os-ken's name (`oxm_to_user_header`): `None` for an
/// experimenter-class header (os-ken reads 8 bytes there; the NX actions decoded here take
/// 4-byte headers only).
pub(super) fn header_name(h: u32) -> Option<String> {
    let h = OxmHeader(h);
    if h.class() == OFPXMC_EXPERIMENTER {
        return None;
    }
    Some(match oxm_by_key(K::Std(h.class(), h.field())) {
        Some(d) => d.name.to_owned(),
        None => unknown_name(h.class(), h.field()),
    })
}

/// The header os-ken writes for a name (`oxm_serialize_header`): no mask, the type's length
/// (0 for `field_N`).
pub(super) fn header_of(name: &str, p: &P<'_>) -> R<u32> {
    let (class, field, exp, t) = oxm_name_parts(name, p)?;
    if !exp.is_empty() || class == OFPXMC_EXPERIMENTER {
        return Err(p.err("an experimenter OXM header is not supported here"));
    }
    let len = t.map_or(0, T::size);
    Ok(OxmHeader::new(class, field, false, u8::try_from(len).unwrap_or(0)).0)
}
