use crate::CodecError as _;
extern crate std;

use super::*;
use crate::simple::testutil::{corpus, corpus_json};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use proptest::prelude::*;

fn mac(s: &str) -> MacAddr {
    s.parse().unwrap()
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn parse(b: &[u8]) -> Result<Match> {
    let mut r = Reader::new(b, 0);
    let m = Match::parse(&mut r)?;
    r.finish("test")?;
    Ok(m)
}

/// Parses, checks the view agrees, and that encoding gives the same bytes back.
fn exact(b: &[u8]) -> Match {
    let m = parse(b).unwrap();
    let v = MatchView::parse(&mut Reader::new(b, 0)).unwrap();
    assert_eq!(v.decode(), m);
    assert_eq!(v.encoded_len(), b.len());
    assert_eq!(m.encoded_len(), b.len());
    assert_eq!(m.to_vec().unwrap(), b);
    assert_eq!(v.to_string(), m.to_string());
    m
}

/// A FLOW_MOD (ADD, table 0, default priority, no instructions) around a match.
pub(super) fn flow_mod(m: &Match, xid: u32) -> Vec<u8> {
    let mut v = Vec::new();
    let len = 8 + 40 + m.encoded_len();
    v.put_u8(4);
    v.put_u8(14);
    v.put_u16(u16::try_from(len).unwrap());
    v.put_u32(xid);
    v.put_u64(0); // cookie
    v.put_u64(0); // cookie_mask
    v.put_u8(0); // table
    v.put_u8(0); // ADD
    v.put_u16(0);
    v.put_u16(0);
    v.put_u16(0x8000); // OFP_DEFAULT_PRIORITY: ovs-ofctl omits it
    v.put_u32(0xffff_ffff);
    v.put_u32(0xffff_ffff);
    v.put_u32(0xffff_ffff);
    v.put_u16(0);
    v.put_u16(0);
    m.write(&mut v).unwrap();
    assert_eq!(v.len(), len);
    v
}

/// `ovs-ofctl ofp-parse` of many messages at once: for each, the match as ovs-ofctl
/// prints it (`Ok`), or its decode error (`Err`). None when ovs-ofctl is missing.
pub(super) fn ovs_matches(msgs: &[Vec<u8>]) -> Option<Vec<Result<String, String>>> {
    if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::OvsOfctl]) {
        return None;
    }
    let path = std::env::temp_dir().join(format!(
        "oxm-test-{}-{}.bin",
        std::process::id(),
        msgs.len()
    ));
    std::fs::write(&path, msgs.concat()).unwrap();
    let out = std::process::Command::new("ovs-ofctl")
        .arg("ofp-parse")
        .arg(&path)
        .output();
    let _ = std::fs::remove_file(&path);
    let out = match out {
        Ok(o) => o,
        Err(e) => panic!("ovs-ofctl: {e}"),
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let res: Vec<_> = text
        .lines()
        .filter(|l| l.starts_with("OFPT_"))
        .map(|l| {
            let rest = l.split_once("): ").unwrap().1;
            if let Some(e) = rest.strip_prefix("***decode error: ") {
                Err(e.trim_end_matches('*').to_string())
            } else {
                let m = rest.strip_prefix("ADD").unwrap();
                let m = m.strip_suffix("actions=drop").unwrap().trim();
                Ok(m.to_string())
            }
        })
        .collect();
    assert_eq!(res.len(), msgs.len(), "ovs-ofctl output: {text}");
    Some(res)
}

// ---------------------------------------------------------------- real bytes

/// Where the match starts in corpus messages that carry one.
const CORPUS: &[(&str, usize)] = &[
    ("4-2-ofp_flow_mod", 48),
    ("4-3-ofp_flow_mod", 48),
    ("4-46-ofp_flow_mod", 48),
    ("4-60-ofp_flow_mod", 48),
    ("libofproto-OFP13-flow_mod", 48),
    ("libofproto-OFP13-flow_mod_conjunction", 48),
    ("libofproto-OFP13-flow_mod_match_conj", 48),
    ("ovs-ofctl-of13-match_conj", 48),
    ("ovs-ofctl-of13-match_load_nx_register", 48),
    ("ovs-ofctl-of13-match_move_nx_register", 48),
    ("ovs-ofctl-of13-match_pkt_mark", 48),
    ("ovs-ofctl-of13-match_pkt_mark_masked", 48),
    ("4-4-ofp_packet_in", 24),
    ("4-59-ofp_packet_in", 24),
    ("libofproto-OFP13-packet_in", 24),
    ("4-40-ofp_flow_removed", 48),
    ("libofproto-OFP13-flow_removed", 48),
    ("4-11-ofp_flow_stats_request", 48),
    ("4-25-ofp_aggregate_stats_request", 48),
];

fn json_match(v: &serde_json::Value) -> Option<&serde_json::Value> {
    match v {
        serde_json::Value::Object(o) => o
            .get("OFPMatch")
            .or_else(|| o.values().find_map(json_match)),
        serde_json::Value::Array(a) => a.iter().find_map(json_match),
        _ => None,
    }
}

/// A typed field's value as os-ken's JSON writes it.
fn json_value(f: &OxmField) -> (serde_json::Value, serde_json::Value) {
    use serde_json::json;
    macro_rules! j {
        ($v:expr, $m:expr, $conv:expr) => {
            ($conv($v), $m.map_or(serde_json::Value::Null, $conv))
        };
    }
    let s = |x: &dyn fmt::Display| json!(x.to_string());
    match f {
        OxmField::InPort(p) | OxmField::InPhyPort(p) => (json!(p.0), json!(null)),
        OxmField::Metadata(v, m) | OxmField::TunnelId(v, m) => j!(*v, *m, |x: u64| json!(x)),
        OxmField::EthDst(v, m)
        | OxmField::EthSrc(v, m)
        | OxmField::ArpSha(v, m)
        | OxmField::ArpTha(v, m) => j!(*v, *m, |x: MacAddr| s(&x)),
        OxmField::Ipv4Src(v, m)
        | OxmField::Ipv4Dst(v, m)
        | OxmField::ArpSpa(v, m)
        | OxmField::ArpTpa(v, m) => j!(*v, *m, |x: Ipv4Addr| s(&x)),
        OxmField::Ipv6Src(v, m) | OxmField::Ipv6Dst(v, m) => {
            j!(*v, *m, |x: Ipv6Addr| s(&x))
        }
        OxmField::Ipv6NdTarget(a) => (s(a), json!(null)),
        OxmField::Ipv6NdSll(a) | OxmField::Ipv6NdTll(a) => (s(a), json!(null)),
        OxmField::VlanVid(v, m) | OxmField::Ipv6Exthdr(v, m) => {
            j!(*v, *m, |x: u16| json!(x))
        }
        OxmField::Ipv6Flabel(v, m) | OxmField::PbbIsid(v, m) => {
            j!(*v, *m, |x: u32| json!(x))
        }
        OxmField::EthType(v)
        | OxmField::TcpSrc(v)
        | OxmField::TcpDst(v)
        | OxmField::UdpSrc(v)
        | OxmField::UdpDst(v)
        | OxmField::SctpSrc(v)
        | OxmField::SctpDst(v)
        | OxmField::ArpOp(v) => (json!(v), json!(null)),
        OxmField::VlanPcp(v)
        | OxmField::IpDscp(v)
        | OxmField::IpEcn(v)
        | OxmField::IpProto(v)
        | OxmField::Icmpv4Type(v)
        | OxmField::Icmpv4Code(v)
        | OxmField::Icmpv6Type(v)
        | OxmField::Icmpv6Code(v)
        | OxmField::MplsTc(v)
        | OxmField::MplsBos(v) => (json!(v), json!(null)),
        OxmField::MplsLabel(v) => (json!(v), json!(null)),
        OxmField::Raw(_) => unreachable!(),
    }
}

#[test]
fn os_ken_corpus() {
    let mut seen_raw = 0;
    for &(name, at) in CORPUS {
        let Some(msg) = corpus(name) else { return };
        let Some(json) = corpus_json(name) else {
            return;
        };
        let mut r = Reader::new(&msg[at..], at);
        let v = MatchView::parse(&mut r).unwrap_or_else(|e| panic!("{name}: {e}"));
        let b = &msg[at..at + v.encoded_len()];
        let m = exact(b);
        let jm = json_match(&json).unwrap_or_else(|| panic!("{name}: no OFPMatch"));
        assert_eq!(jm["length"], v.length(), "{name}");
        let jf = jm["oxm_fields"].as_array().unwrap();
        assert_eq!(jf.len(), m.fields.len(), "{name}");
        for (f, j) in m.fields.iter().zip(jf) {
            let j = &j["OXMTlv"];
            match f.name() {
                Some(n) => {
                    assert_eq!(j["field"], n, "{name}");
                    let (val, mask) = json_value(f);
                    assert_eq!(j["value"], val, "{name} {n}");
                    assert_eq!(j["mask"], mask, "{name} {n}");
                }
                None => {
                    // os-ken's extension fields (Nicira's, ONF's, OF1.4's pbb_uca):
                    // kept raw here.
                    seen_raw += 1;
                    let n = j["field"].as_str().unwrap();
                    assert!(basic_field_info(f.field()).is_none_or(|i| i.name != n));
                }
            }
        }
        // The view's getters agree with the owned ones.
        assert_eq!(v.in_port(), m.get_in_port());
        assert_eq!(v.eth_dst_masked(), m.get_eth_dst_masked());
    }
    assert!(seen_raw > 5);
}

#[test]
fn corpus_all_fields() {
    // os-ken's 4-60 FLOW_MOD carries every field of 1.3 (and three extension fields).
    let Some(msg) = corpus("4-60-ofp_flow_mod") else {
        return;
    };
    let v = MatchView::parse(&mut Reader::new(&msg[48..], 48)).unwrap();
    let m = v.decode();
    assert!(m.validate().is_err());
    let typed: Vec<u8> = m
        .fields
        .iter()
        .filter(|f| f.name().is_some())
        .map(|f| f.field())
        .collect();
    // Every field but vlan_pcp, eth_type after metadata.
    let mut expected = vec![0, 1, 2, 5, 3, 4, 6];
    expected.extend(8..40);
    assert_eq!(typed, expected);
    assert_eq!(v.in_port(), Some(PortNo(84281096)));
    assert_eq!(v.in_phy_port(), Some(PortNo(16909060)));
    assert_eq!(v.eth_type(), Some(0x0806));
    assert_eq!(v.vlan_vid(), Some(999));
    assert_eq!(v.pbb_isid(), Some(11259375));
    assert_eq!(v.ipv6_exthdr_masked(), Some((500, None)));
    assert_eq!(v.tunnel_id(), Some(651061555542690057));
    assert_eq!(v.mpls_label(), Some(624485));
    assert_eq!(v.ipv6_nd_sll(), Some(mac("00:00:00:00:02:9a")));
    assert_eq!(m.get_ipv6_flabel(), Some(541473));
    // pbb_uca (ONF's experimenter field for 1.3) and Nicira's tunnel addresses stay raw.
    let raw: Vec<(u16, u8)> = m
        .fields
        .iter()
        .filter(|f| matches!(f, OxmField::Raw(_)))
        .map(|f| (f.class(), f.field()))
        .collect();
    assert_eq!(raw, [(0xffff, 0), (0x0001, 31), (0x0001, 32)]);
    let exp: Vec<_> = m.fields.iter().filter_map(OxmField::experimenter).collect();
    assert_eq!(exp, [0x4f4e4600]);
}

#[test]
fn corpus_display_matches_ovs() {
    // The corpus matches OVS accepts, printed by ovs-ofctl ofp-print (the match part).
    for (name, at, expected) in [
        ("4-3-ofp_flow_mod", 48, "in_port=6,dl_src=f2:0b:a4:7d:f8:ea"),
        ("4-46-ofp_flow_mod", 48, "dl_dst=f2:0b:a4:7d:f8:ea"),
        (
            "4-4-ofp_packet_in",
            24,
            "arp,in_port=6,dl_src=f2:0b:a4:7d:f8:ea,dl_dst=ff:ff:ff:ff:ff:ff,\
                 arp_spa=10.0.0.1,arp_tpa=10.0.0.3,arp_op=1,arp_sha=f2:0b:a4:7d:f8:ea,\
                 arp_tha=00:00:00:00:00:00",
        ),
        ("4-40-ofp_flow_removed", 48, "dl_dst=f2:0b:a4:7d:f8:ea"),
        // Nicira's tunnel addresses after tun_id, pkt_mark before the rest.
        (
            "libofproto-OFP13-flow_removed",
            48,
            "ip,tun_id=0xc350,tun_src=192.168.2.3,tun_dst=192.168.2.4,in_port=43981,\
                 dl_vlan=999,dl_dst=aa:bb:cc:99:88:77,nw_dst=192.168.2.1",
        ),
        (
            "ovs-ofctl-of13-match_pkt_mark_masked",
            48,
            "pkt_mark=0xd431/0xffff,dl_vlan=1234",
        ),
    ] {
        let Some(msg) = corpus(name) else { return };
        let v = MatchView::parse(&mut Reader::new(&msg[at..], at)).unwrap();
        assert_eq!(v.to_string(), expected, "{name}");
    }
}

// ---------------------------------------------------------------- encoding

#[test]
fn layout() {
    // in_port=1, eth_dst, eth_type, ipv4_dst/24: header, TLVs, padding.
    let m = Match::new()
        .in_port(1)
        .eth_dst([0, 0, 0, 0, 0, 2])
        .eth_type(0x0800)
        .ipv4_dst_masked([10, 0, 0, 0], [255, 255, 255, 0]);
    let b = m.to_vec().unwrap();
    assert_eq!(
        b,
        hex("0001 0028
                 80000004 00000001
                 80000606 000000000002
                 80000a02 0800
                 80001908 0a000000 ffffff00")
    );
    assert_eq!(m.length(), 0x28);
    assert_eq!(exact(&b), m);
    assert_eq!(
        m.to_string(),
        "ip,in_port=1,dl_dst=00:00:00:00:00:02,nw_dst=10.0.0.0/24"
    );
    m.validate().unwrap();
    // Empty match: 4 bytes of header, 4 of padding.
    assert_eq!(Match::new().to_vec().unwrap(), hex("0001 0004 00000000"));
    assert_eq!(Match::new().to_string(), "");
}

/// One example per basic field, its encoding as os-ken writes it (checked by
/// `every_field_vs_os_ken`), and how it prints alone.
fn examples() -> Vec<(OxmField, &'static str, &'static str)> {
    let v6 = |s: &str| s.parse::<Ipv6Addr>().unwrap();
    let v4 = |s: &str| s.parse::<Ipv4Addr>().unwrap();
    vec![
        (
            OxmField::InPort(PortNo(1)),
            "80000004 00000001",
            "in_port=1",
        ),
        (
            OxmField::InPort(PortNo::LOCAL),
            "80000004 fffffffe",
            "in_port=LOCAL",
        ),
        (
            OxmField::InPhyPort(PortNo(2)),
            "80000204 00000002",
            "in_phy_port=2",
        ),
        (
            OxmField::Metadata(0x1234, None),
            "80000408 0000000000001234",
            "metadata=0x1234",
        ),
        (
            OxmField::Metadata(0x10, Some(0xff)),
            "80000510 0000000000000010 00000000000000ff",
            "metadata=0x10/0xff",
        ),
        (
            OxmField::EthDst(mac("00:00:00:00:00:02"), None),
            "80000606 000000000002",
            "dl_dst=00:00:00:00:00:02",
        ),
        (
            OxmField::EthDst(mac("01:00:00:00:00:00"), Some(mac("01:00:00:00:00:00"))),
            "8000070c 010000000000 010000000000",
            "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00",
        ),
        (
            OxmField::EthSrc(mac("f2:0b:a4:7d:f8:ea"), None),
            "80000806 f20ba47df8ea",
            "dl_src=f2:0b:a4:7d:f8:ea",
        ),
        (
            OxmField::EthSrc(mac("f2:0b:a4:00:00:00"), Some(mac("ff:ff:ff:00:00:00"))),
            "8000090c f20ba4000000 ffffff000000",
            "dl_src=f2:0b:a4:00:00:00/ff:ff:ff:00:00:00",
        ),
        (OxmField::EthType(0x0800), "80000a02 0800", "dl_type=0x0800"),
        (
            OxmField::VlanVid(0x1000 | 10, None),
            "80000c02 100a",
            "dl_vlan=10",
        ),
        (
            OxmField::VlanVid(0, None),
            "80000c02 0000",
            "vlan_tci=0x0000/0x1fff",
        ),
        (
            OxmField::VlanVid(0x1000, Some(0x1000)),
            "80000d04 1000 1000",
            "vlan_tci=0x1000/0x1000",
        ),
        (OxmField::VlanPcp(3), "80000e01 03", "dl_vlan_pcp=3"),
        (OxmField::IpDscp(46), "80001001 2e", "nw_tos=184"),
        (OxmField::IpEcn(2), "80001201 02", "nw_ecn=2"),
        (OxmField::IpProto(6), "80001401 06", "nw_proto=6"),
        (
            OxmField::Ipv4Src(v4("10.0.0.1"), None),
            "80001604 0a000001",
            "nw_src=10.0.0.1",
        ),
        (
            OxmField::Ipv4Src(v4("10.0.0.0"), Some(v4("255.0.255.0"))),
            "80001708 0a000000 ff00ff00",
            "nw_src=10.0.0.0/255.0.255.0",
        ),
        (
            OxmField::Ipv4Dst(v4("192.168.2.1"), None),
            "80001804 c0a80201",
            "nw_dst=192.168.2.1",
        ),
        (
            OxmField::Ipv4Dst(v4("192.168.0.0"), Some(v4("255.255.0.0"))),
            "80001908 c0a80000 ffff0000",
            "nw_dst=192.168.0.0/16",
        ),
        (OxmField::TcpSrc(8080), "80001a02 1f90", "tp_src=8080"),
        (OxmField::TcpDst(80), "80001c02 0050", "tp_dst=80"),
        (OxmField::UdpSrc(68), "80001e02 0044", "tp_src=68"),
        (OxmField::UdpDst(67), "80002002 0043", "tp_dst=67"),
        (OxmField::SctpSrc(1000), "80002202 03e8", "tp_src=1000"),
        (OxmField::SctpDst(2000), "80002402 07d0", "tp_dst=2000"),
        (OxmField::Icmpv4Type(8), "80002601 08", "icmp_type=8"),
        (OxmField::Icmpv4Code(0), "80002801 00", "icmp_code=0"),
        (OxmField::ArpOp(1), "80002a02 0001", "arp_op=1"),
        (
            OxmField::ArpSpa(v4("10.0.0.1"), None),
            "80002c04 0a000001",
            "arp_spa=10.0.0.1",
        ),
        (
            OxmField::ArpSpa(v4("10.0.0.0"), Some(v4("255.255.255.0"))),
            "80002d08 0a000000 ffffff00",
            "arp_spa=10.0.0.0/24",
        ),
        (
            OxmField::ArpTpa(v4("10.0.0.3"), None),
            "80002e04 0a000003",
            "arp_tpa=10.0.0.3",
        ),
        (
            OxmField::ArpTpa(v4("10.0.0.0"), Some(v4("255.0.0.0"))),
            "80002f08 0a000000 ff000000",
            "arp_tpa=10.0.0.0/8",
        ),
        (
            OxmField::ArpSha(mac("f2:0b:a4:7d:f8:ea"), None),
            "80003006 f20ba47df8ea",
            "arp_sha=f2:0b:a4:7d:f8:ea",
        ),
        (
            OxmField::ArpSha(mac("f2:0b:00:00:00:00"), Some(mac("ff:ff:00:00:00:00"))),
            "8000310c f20b00000000 ffff00000000",
            "arp_sha=f2:0b:00:00:00:00/ff:ff:00:00:00:00",
        ),
        (
            OxmField::ArpTha(mac("00:00:00:00:00:00"), None),
            "80003206 000000000000",
            "arp_tha=00:00:00:00:00:00",
        ),
        (
            OxmField::ArpTha(mac("00:00:00:00:00:01"), Some(mac("00:00:00:00:00:ff"))),
            "8000330c 000000000001 0000000000ff",
            "arp_tha=00:00:00:00:00:01/00:00:00:00:00:ff",
        ),
        (
            OxmField::Ipv6Src(v6("fe80::f00b:a4ff:fe48:28a5"), None),
            "80003410 fe80000000000000f00ba4fffe4828a5",
            "ipv6_src=fe80::f00b:a4ff:fe48:28a5",
        ),
        (
            OxmField::Ipv6Src(v6("2001:db8::"), Some(v6("ffff:ffff::"))),
            "80003520 20010db8000000000000000000000000 ffffffff000000000000000000000000",
            "ipv6_src=2001:db8::/32",
        ),
        (
            OxmField::Ipv6Dst(v6("::1.2.3.4"), None),
            "80003610 00000000000000000000000001020304",
            "ipv6_dst=::1.2.3.4",
        ),
        (
            OxmField::Ipv6Dst(v6("2001::1"), Some(v6("ffff::ffff"))),
            "80003720 20010000000000000000000000000001 ffff000000000000000000000000ffff",
            "ipv6_dst=2001::1/ffff::ffff",
        ),
        (
            OxmField::Ipv6Flabel(0x12345, None),
            "80003804 00012345",
            "ipv6_label=0x12345",
        ),
        (
            OxmField::Ipv6Flabel(0x12300, Some(0xfff00)),
            "80003908 00012300 000fff00",
            "ipv6_label=0x12300/0xfff00",
        ),
        (OxmField::Icmpv6Type(135), "80003a01 87", "icmp_type=135"),
        (OxmField::Icmpv6Code(0), "80003c01 00", "icmp_code=0"),
        (
            OxmField::Ipv6NdTarget(v6("fe80::a60:6eff:fe7f:74e7")),
            "80003e10 fe800000000000000a606efffe7f74e7",
            "nd_target=fe80::a60:6eff:fe7f:74e7",
        ),
        (
            OxmField::Ipv6NdSll(mac("00:00:00:00:02:9a")),
            "80004006 00000000029a",
            "nd_sll=00:00:00:00:02:9a",
        ),
        (
            OxmField::Ipv6NdTll(mac("00:00:00:00:02:2b")),
            "80004206 00000000022b",
            "nd_tll=00:00:00:00:02:2b",
        ),
        (
            OxmField::MplsLabel(624485),
            "80004404 00098765",
            "mpls_label=624485",
        ),
        (OxmField::MplsTc(5), "80004601 05", "mpls_tc=5"),
        (OxmField::MplsBos(1), "80004801 01", "mpls_bos=1"),
        (
            OxmField::PbbIsid(0xabcdef, None),
            "80004a03 abcdef",
            "pbb_isid=11259375",
        ),
        (
            OxmField::PbbIsid(0xab0000, Some(0xff0000)),
            "80004b06 ab0000 ff0000",
            "pbb_isid=0xab0000/0xff0000",
        ),
        (
            OxmField::TunnelId(50000, None),
            "80004c08 000000000000c350",
            "tun_id=0xc350",
        ),
        (
            OxmField::TunnelId(0, Some(0xffff)),
            "80004d10 0000000000000000 000000000000ffff",
            "tun_id=0/0xffff",
        ),
        (
            OxmField::Ipv6Exthdr(500, None),
            "80004e02 01f4",
            "ipv6_exthdr=0x1f4",
        ),
        (
            OxmField::Ipv6Exthdr(0x40, Some(0x1c0)),
            "80004f04 0040 01c0",
            "ipv6_exthdr=0x40/0x1c0",
        ),
    ]
}

#[test]
fn every_field() {
    let ex = examples();
    let mut seen = [false; 40];
    for (f, wire, text) in &ex {
        let b = f.to_vec().unwrap();
        assert_eq!(b, hex(wire), "{f:?}");
        assert_eq!(f.encoded_len(), b.len());
        let mut r = Reader::new(&b, 0);
        assert_eq!(&OxmField::parse(&mut r).unwrap(), f);
        assert!(r.is_empty());
        let fr = OxmFieldView::parse(&mut Reader::new(&b, 0)).unwrap();
        assert_eq!(fr.decode(), *f);
        assert_eq!(fr.header(), f.header());
        assert_eq!(fr.len(), b.len());
        assert_eq!(f.to_string(), *text, "{f:?}");
        assert_eq!(fr.to_string(), *text);
        let info = basic_field_info(f.field()).unwrap();
        assert_eq!(Some(info.name), f.name());
        assert_eq!(f.header().basic_name(), f.name());
        assert_eq!(fr.value().len(), info.len);
        assert_eq!(fr.mask().map(<[u8]>::len), f.hasmask().then_some(info.len));
        seen[usize::from(f.field())] = true;
        // The builder and getters on both sides agree.
        let m = Match::new().push(f.clone());
        let enc = m.to_vec().unwrap();
        let v = MatchView::parse(&mut Reader::new(&enc, 0)).unwrap();
        assert_eq!(v.basic(f.field()).as_ref(), Some(f));
    }
    assert!(seen.iter().all(|&s| s), "every basic field has an example");
}

/// Runs os-ken (the venv's python) on a script reading JSON on stdin; None when the venv
/// is missing (skipped loudly).
fn os_ken_python(script: &str, input: &str) -> Option<String> {
    use std::io::Write;
    if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::Python(&["os_ken"])]) {
        return None;
    }
    let py = sdnwire_testkit::osken::python();
    let child = std::process::Command::new(&py)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => panic!("os-ken python {}: {e}", py.display()),
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "os-ken failed");
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn every_field_vs_os_ken() {
    // os-ken serializes OFPMatch(**{field: value or (value, mask)}); its TLV must be ours.
    let ex = examples();
    let input = serde_json::Value::Array(
        ex.iter()
            .map(|(f, _, _)| {
                let (v, m) = json_value(f);
                serde_json::json!([f.name().unwrap(), v, m])
            })
            .collect(),
    )
    .to_string();
    let script = "
import json, sys
from os_ken.ofproto import ofproto_v1_3_parser as p
for name, v, m in json.load(sys.stdin):
    mm = p.OFPMatch(**{name: v if m is None else (v, m)})
    b = bytearray()
    mm.serialize(b, 0)
    print(bytes(b[4:mm.length]).hex())
";
    let Some(out) = os_ken_python(script, &input) else {
        return;
    };
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), ex.len());
    for ((f, wire, _), line) in ex.iter().zip(lines) {
        assert_eq!(hex(line), hex(wire), "{f:?}");
        assert_eq!(hex(line), f.to_vec().unwrap(), "{f:?}");
    }
}

#[test]
fn builder_methods() {
    let v4 = Ipv4Addr::new(10, 0, 0, 1);
    let v6 = Ipv6Addr::LOCALHOST;
    let m1 = mac("00:00:00:00:00:01");
    let m = Match::new()
        .in_port(1)
        .in_phy_port(PortNo(2))
        .metadata(3)
        .metadata_masked(3, 0xff)
        .eth_dst(m1)
        .eth_dst_masked(m1, MacAddr::BROADCAST)
        .eth_src([0, 0, 0, 0, 0, 1])
        .eth_src_masked(m1, m1)
        .eth_type(0x0800)
        .vlan_vid(0x1001)
        .vlan_vid_masked(0x1000, 0x1000)
        .vlan_pcp(1)
        .ip_dscp(1)
        .ip_ecn(1)
        .ip_proto(6)
        .ipv4_src(v4)
        .ipv4_src_masked(v4, v4)
        .ipv4_dst([1, 2, 3, 4])
        .ipv4_dst_masked(v4, v4)
        .tcp_src(1)
        .tcp_dst(2)
        .udp_src(3)
        .udp_dst(4)
        .sctp_src(5)
        .sctp_dst(6)
        .icmpv4_type(7)
        .icmpv4_code(8)
        .arp_op(1)
        .arp_spa(v4)
        .arp_spa_masked(v4, v4)
        .arp_tpa(v4)
        .arp_tpa_masked(v4, v4)
        .arp_sha(m1)
        .arp_sha_masked(m1, m1)
        .arp_tha(m1)
        .arp_tha_masked(m1, m1)
        .ipv6_src(v6)
        .ipv6_src_masked(v6, v6)
        .ipv6_dst([0u8; 16])
        .ipv6_dst_masked(v6, v6)
        .ipv6_flabel(1)
        .ipv6_flabel_masked(1, 1)
        .icmpv6_type(135)
        .icmpv6_code(0)
        .ipv6_nd_target(v6)
        .ipv6_nd_sll(m1)
        .ipv6_nd_tll(m1)
        .mpls_label(1)
        .mpls_tc(1)
        .mpls_bos(1)
        .pbb_isid(1)
        .pbb_isid_masked(1, 1)
        .tunnel_id(1)
        .tunnel_id_masked(1, 1)
        .ipv6_exthdr(1)
        .ipv6_exthdr_masked(1, 1);
    assert_eq!(m.fields.len(), 56);
    let b = m.to_vec().unwrap();
    assert_eq!(exact(&b), m);
    assert_eq!(m.get_in_port(), Some(PortNo(1)));
    assert_eq!(m.get_metadata_masked(), Some((3, None)));
    assert_eq!(m.get_eth_src(), Some(m1));
    assert_eq!(m.get_ipv4_dst(), Some(Ipv4Addr::new(1, 2, 3, 4)));
    assert_eq!(m.get_ipv6_dst(), Some(Ipv6Addr::UNSPECIFIED));
    assert_eq!(m.get_pbb_isid_masked(), Some((1, None)));
    assert_eq!(m.get_tcp_dst(), Some(2));
    assert_eq!(Match::new().get_tcp_dst(), None);
    let v = MatchView::parse(&mut Reader::new(&b, 0)).unwrap();
    assert_eq!(v.tcp_dst(), Some(2));
    assert_eq!(v.vlan_vid_masked(), Some((0x1001, None)));
    assert_eq!(v.ipv6_nd_tll(), Some(m1));
    assert_eq!(v.fields().count(), 56);
    assert!(matches!(
        m.validate(),
        Err(MatchError::Duplicate {
            index: 3,
            first: 2,
            ..
        })
    ));
}

#[test]
fn raw_fields_are_kept() {
    // Nicira reg0 (class 1, field 0), a masked Nicira field, an experimenter field with
    // its id (ONF 0x4f4e4600, pbb_uca), an unknown basic field (41), a basic field of a
    // wrong length, a mask on in_port, a masked field with an odd length, a zero-length
    // TLV.
    let body = hex("00010004 0000000a
                     00010108 00000001 000000ff
                     ffff0a05 4f4e4600 01
                     80005201 01
                     80000003 000001
                     80000108 00000001 ffffffff
                     80000705 0102030405
                     00020000
                     ffff0002 4f4e");
    let len = 4 + body.len();
    let mut bytes = Vec::new();
    bytes.put_u16(1);
    bytes.put_u16(len as u16);
    bytes.extend_from_slice(&body);
    bytes.resize(bytes.len() + pad8(len), 0);
    let m = exact(&bytes);
    assert_eq!(m.fields.len(), 9);
    assert!(m.fields.iter().all(|f| matches!(f, OxmField::Raw(_))));
    let OxmField::Raw(r) = &m.fields[2] else {
        panic!()
    };
    assert_eq!(r.experimenter(), Some(0x4f4e4600));
    assert_eq!(r.value_mask(), (&[1u8][..], None));
    assert_eq!(m.fields[2].experimenter(), Some(0x4f4e4600));
    let OxmField::Raw(r) = &m.fields[1] else {
        panic!()
    };
    assert_eq!(
        r.value_mask(),
        (&hex("00000001")[..], Some(&hex("000000ff")[..]))
    );
    let OxmField::Raw(r) = &m.fields[6] else {
        panic!()
    };
    assert_eq!(r.value_mask(), (&hex("0102")[..], Some(&hex("030405")[..])));
    let OxmField::Raw(r) = &m.fields[8] else {
        panic!()
    };
    assert_eq!(r.experimenter(), None);
    let v = MatchView::parse(&mut Reader::new(&bytes, 0)).unwrap();
    let fs: Vec<_> = v.fields().map(|f| f.unwrap()).collect();
    assert_eq!(fs[2].experimenter(), Some(0x4f4e4600));
    assert_eq!(fs[2].value(), [1]);
    assert_eq!(fs[1].value(), hex("00000001"));
    assert_eq!(fs[1].mask(), Some(&hex("000000ff")[..]));
    assert_eq!(fs[4].offset(), 4 + 8 + 12 + 9 + 5);
    assert_eq!(fs[0].typed(), None);
    // Getters skip raw fields: the in_port with a mask and the 3-byte in_port are not
    // in_ports.
    assert_eq!(v.in_port(), None);
    assert_eq!(m.get_in_port(), None);
    assert_eq!(
        m.to_string(),
        "reg0=0xa,reg0=0x1/0xff,\
             oxm:0xffff:0x4f4e4600:5=0x01,oxm:0x8000:41=0x01,oxm:0x8000:0=0x000001,\
             oxm:0x8000:0=0x00000001/0xffffffff,oxm:0x8000:3=0x0102/0x030405,\
             oxm:0x0002:0=0x,oxm:0xffff:0=0x4f4e"
    );
    // validate names the first problem: reg0 twice.
    assert_eq!(
        m.validate(),
        Err(MatchError::Duplicate {
            index: 1,
            header: OxmHeader::new(0x0001, 0, true, 8),
            first: 0,
        })
    );
    let errs: Vec<_> = m
        .fields
        .iter()
        .map(|f| {
            Match::new()
                .push(f.clone())
                .validate()
                .err()
                .map(|e| e.to_string())
        })
        .collect();
    assert_eq!(
        errs,
        [
            None,
            None,
            None,
            Some("field 0 (class 0x8000 field 41): unknown OpenFlow-basic field".into()),
            Some("field 0 (in_port): length does not fit the field's type".into()),
            Some("field 0 (in_port/mask): mask on a field that allows none".into()),
            Some("field 0 (eth_dst/mask): length does not fit the field's type".into()),
            None,
            Some(
                "field 0 (class 0xffff field 0): experimenter OXM shorter than its experimenter id"
                    .into()
            ),
        ]
    );
}

// ---------------------------------------------------------------- negative

#[test]
fn bad_match_header() {
    let err = |b: &[u8]| parse(b).unwrap_err();
    // Too short for the header.
    for n in 0..4 {
        assert!(matches!(
            err(&hex("00010004")[..n]),
            Error::Truncated { offset: 0 | 2, .. }
        ));
    }
    // Type: OFPMT_STANDARD and anything but OFPMT_OXM are refused.
    for ty in [0u16, 2, 0xffff] {
        let mut b = hex("00000004 00000000");
        b[..2].copy_from_slice(&ty.to_be_bytes());
        assert_eq!(
            err(&b),
            Error::BadValue {
                what: "ofp_match.type",
                offset: 0,
                value: u64::from(ty),
                expected: "OFPMT_OXM (1)"
            }
        );
    }
    // Length below the header.
    for len in 0..4u8 {
        assert_eq!(
            err(&[0, 1, 0, len, 0, 0, 0, 0]),
            Error::BadLength {
                what: "ofp_match.length",
                offset: 2,
                value: usize::from(len),
                reason: "less than the 4-byte ofp_match header"
            }
        );
    }
    // Length past the buffer.
    assert_eq!(
        err(&hex("0001000c 80000004 000000")),
        Error::BadLength {
            what: "ofp_match.length",
            offset: 2,
            value: 12,
            reason: "runs past the end of the buffer"
        }
    );
    // Padding missing or short.
    for n in 0..4 {
        let b = hex("0001000c 80000004 00000001 00000000");
        assert!(matches!(
            err(&b[..12 + n]),
            Error::Truncated {
                what: "ofp_match.pad",
                offset: 12,
                needed: 4,
                ..
            }
        ));
    }
    // Padding not zero, at the offset of the first non-zero byte.
    assert_eq!(
        err(&hex("0001000c 80000004 00000001 00000100")),
        Error::BadValue {
            what: "ofp_match.pad",
            offset: 14,
            value: 1,
            expected: "zero padding"
        }
    );
    // Offsets count from the start of the message (a FLOW_MOD's match is at 48).
    let b = hex("00010003 00000000");
    let e = Match::parse(&mut Reader::new(&b, 48)).unwrap_err();
    assert_eq!(e.offset().unwrap(), 50);
}

#[test]
fn bad_oxm_lengths() {
    // TLV payload runs past the match's length: the error points at its length byte.
    let b = hex("0001000c 80000005 00000001 00000000");
    assert_eq!(
        parse(&b).unwrap_err(),
        Error::BadLength {
            what: "oxm_header.length",
            offset: 7,
            value: 5,
            reason: "OXM payload runs past the end of its container"
        }
    );
    // ... in a match at offset 48, second TLV.
    let b = hex("00010010 80000004 00000001 800006ff 00000000");
    let e = MatchView::parse(&mut Reader::new(&b, 48)).unwrap_err();
    assert_eq!(
        e,
        Error::BadLength {
            what: "oxm_header.length",
            offset: 48 + 15,
            value: 255,
            reason: "OXM payload runs past the end of its container"
        }
    );
    // 1 to 3 bytes left where a TLV header should be.
    for extra in 1..4usize {
        let len = 4 + 8 + extra;
        let mut b = vec![0, 1, 0, len as u8];
        b.extend(hex("80000004 00000001"));
        b.extend(core::iter::repeat_n(0x80, extra));
        b.resize(len + pad8(len), 0);
        assert_eq!(
            parse(&b).unwrap_err(),
            Error::Truncated {
                what: "oxm_header",
                offset: 12,
                needed: 4,
                available: extra
            }
        );
    }
    // A TLV declaring one byte too many or too few for its type is kept raw, not
    // refused: only framing errors are errors.
    for tlv in [
        "80000003 000001",
        "80000005 0000000100",
        "80000a01 08",
        "80000a03 080000",
    ] {
        let t = hex(tlv);
        let m = Match::new().push(OxmField::parse(&mut Reader::new(&t, 0)).unwrap());
        assert!(matches!(m.fields[0], OxmField::Raw(_)));
        assert_eq!(exact(&m.to_vec().unwrap()), m);
        assert!(matches!(
            m.validate(),
            Err(MatchError::MalformedBasic { .. })
        ));
    }
    // Every maskable field with the mask bit but a length for the value alone, and
    // every field with a mask that allows none: raw.
    for f in 0..40u8 {
        let info = basic_field_info(f).unwrap();
        let payload = vec![0u8; info.len];
        let t = OxmField::from_parts(OFPXMC_OPENFLOW_BASIC, f, true, &payload);
        assert!(matches!(t, OxmField::Raw(_)), "{f}");
        let t = OxmField::from_parts(
            OFPXMC_OPENFLOW_BASIC,
            f,
            true,
            &[payload.clone(), payload.clone()].concat(),
        );
        assert_eq!(matches!(t, OxmField::Raw(_)), !info.maskable, "{f}");
        for n in [0, info.len - 1, info.len + 1] {
            let t = OxmField::from_parts(OFPXMC_OPENFLOW_BASIC, f, false, &vec![0u8; n]);
            assert!(matches!(t, OxmField::Raw(_)), "{f} {n}");
        }
    }
    // The iterator yields the error once, then stops.
    let b = hex("80000004 00000001 80000009 00");
    let items: Vec<_> = OxmIter::new_unchecked(&b, 100).collect();
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert_eq!(items[1].as_ref().unwrap_err().offset().unwrap(), 111);
    // A header cut short: the error once (at the cut header), then nothing, however often
    // the iterator is asked.
    let b = hex("80000004 00000001 8000");
    let mut it = OxmIter::new_unchecked(&b, 100);
    assert!(it.next().unwrap().is_ok());
    assert_eq!(it.next().unwrap().unwrap_err().offset().unwrap(), 108);
    assert!(it.next().is_none());
    assert!(it.next().is_none());
}

#[test]
fn unencodable() {
    let e = |m: Match| m.to_vec().unwrap_err();
    assert_eq!(
        e(Match::new().pbb_isid(0x0100_0000)),
        Error::Unencodable {
            what: "pbb_isid",
            reason: "value wider than its OXM field"
        }
    );
    assert!(matches!(
        e(Match::new().pbb_isid_masked(1, 0x0100_0000)),
        Error::Unencodable { .. }
    ));
    let raw = |field: u8, n: usize| {
        OxmField::Raw(RawOxm {
            class: 1,
            field,
            hasmask: false,
            payload: vec![0; n],
        })
    };
    assert!(raw(1, 255).to_vec().is_ok());
    assert_eq!(
        raw(1, 256).to_vec().unwrap_err(),
        Error::Unencodable {
            what: "oxm_header",
            reason: "payload longer than 255 bytes"
        }
    );
    assert_eq!(
        raw(128, 1).to_vec().unwrap_err(),
        Error::Unencodable {
            what: "oxm_header",
            reason: "field number wider than 7 bits"
        }
    );
    // 256 TLVs of 259 bytes: longer than a 16-bit length.
    let big: Match = (0..256).map(|_| raw(1, 255)).collect();
    assert_eq!(
        e(big),
        Error::Unencodable {
            what: "ofp_match.length",
            reason: "length does not fit in 16 bits"
        }
    );
    // The longest match that fits (with its padding).
    let m: Match = (0..252).map(|_| raw(1, 255)).collect();
    assert_eq!(m.length(), 4 + 252 * 259);
    assert_eq!(exact(&m.to_vec().unwrap()), m);
}

// ---------------------------------------------------------------- validate

#[test]
fn validate_prerequisites() {
    use MatchError::*;
    let v4 = Ipv4Addr::new(10, 0, 0, 1);
    let ok = [
        Match::new(),
        Match::new().in_port(1).in_phy_port(1),
        Match::new()
            .eth_type(0x0800)
            .ipv4_src(v4)
            .ip_proto(6)
            .tcp_dst(80),
        Match::new()
            .eth_type(0x86dd)
            .ip_proto(17)
            .udp_src(53)
            .ipv6_flabel(5),
        Match::new()
            .eth_type(0x0800)
            .ip_proto(132)
            .sctp_src(1)
            .sctp_dst(2),
        Match::new()
            .eth_type(0x0800)
            .ip_proto(1)
            .icmpv4_type(8)
            .icmpv4_code(0),
        Match::new()
            .eth_type(0x86dd)
            .ip_proto(58)
            .icmpv6_type(135)
            .ipv6_nd_target(Ipv6Addr::LOCALHOST)
            .ipv6_nd_sll([0; 6]),
        Match::new()
            .eth_type(0x86dd)
            .ip_proto(58)
            .icmpv6_type(136)
            .icmpv6_code(0)
            .ipv6_nd_tll([0; 6]),
        Match::new()
            .eth_type(0x0806)
            .arp_op(1)
            .arp_spa(v4)
            .arp_tha([1; 6]),
        Match::new()
            .eth_type(0x8848)
            .mpls_label(0xfffff)
            .mpls_tc(7)
            .mpls_bos(1),
        Match::new().eth_type(0x88e7).pbb_isid_masked(0x10, 0xf0),
        Match::new().eth_type(0x86dd).ipv6_exthdr_masked(1, 0x1ff),
        Match::new().vlan_vid(0x1005).vlan_pcp(7),
        Match::new().vlan_vid_masked(0x1000, 0x1000).vlan_pcp(0),
        Match::new().vlan_vid_masked(0x1000, 0xffff),
        Match::new().eth_type(0x0800).ip_dscp(63).ip_ecn(3),
        Match::new()
            .tunnel_id(7)
            .metadata_masked(0, 0)
            .eth_dst_masked([1, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]),
    ];
    for m in &ok {
        assert_eq!(m.validate(), Ok(()), "{m}");
    }
    let h = |f: u8, mask: bool| {
        let i = basic_field_info(f).unwrap();
        OxmHeader::new(0x8000, f, mask, (i.len * (1 + usize::from(mask))) as u8)
    };
    let bad = [
        (
            Match::new().ipv4_src(v4),
            MissingPrerequisite {
                index: 0,
                header: h(ofb::IPV4_SRC, false),
                requires: "eth_type=0x0800",
            },
        ),
        (
            Match::new().eth_type(0x86dd).ipv4_dst(v4),
            MissingPrerequisite {
                index: 1,
                header: h(ofb::IPV4_DST, false),
                requires: "eth_type=0x0800",
            },
        ),
        (
            Match::new().ipv4_src(v4).eth_type(0x0800),
            PrerequisiteAfter {
                index: 0,
                header: h(ofb::IPV4_SRC, false),
                requires: "eth_type=0x0800",
                at: 1,
            },
        ),
        (
            Match::new().eth_type(0x0800).tcp_src(1),
            MissingPrerequisite {
                index: 1,
                header: h(ofb::TCP_SRC, false),
                requires: "ip_proto=6",
            },
        ),
        (
            Match::new().eth_type(0x0800).ip_proto(17).tcp_src(1),
            MissingPrerequisite {
                index: 2,
                header: h(ofb::TCP_SRC, false),
                requires: "ip_proto=6",
            },
        ),
        (
            Match::new().ip_proto(6),
            MissingPrerequisite {
                index: 0,
                header: h(ofb::IP_PROTO, false),
                requires: "eth_type=0x0800 or eth_type=0x86dd",
            },
        ),
        (
            Match::new()
                .eth_type(0x86dd)
                .ip_proto(58)
                .icmpv6_type(128)
                .ipv6_nd_target(Ipv6Addr::LOCALHOST),
            MissingPrerequisite {
                index: 3,
                header: h(ofb::IPV6_ND_TARGET, false),
                requires: "icmpv6_type=135 or icmpv6_type=136",
            },
        ),
        (
            Match::new()
                .eth_type(0x86dd)
                .ip_proto(58)
                .icmpv6_type(136)
                .ipv6_nd_sll([0; 6]),
            MissingPrerequisite {
                index: 3,
                header: h(ofb::IPV6_ND_SLL, false),
                requires: "icmpv6_type=135",
            },
        ),
        (
            Match::new().vlan_pcp(1),
            MissingPrerequisite {
                index: 0,
                header: h(ofb::VLAN_PCP, false),
                requires: "vlan_vid with OFPVID_PRESENT (vlan_vid!=NONE)",
            },
        ),
        (
            Match::new().vlan_vid(0).vlan_pcp(1),
            MissingPrerequisite {
                index: 1,
                header: h(ofb::VLAN_PCP, false),
                requires: "vlan_vid with OFPVID_PRESENT (vlan_vid!=NONE)",
            },
        ),
        (
            Match::new().in_phy_port(1),
            MissingPrerequisite {
                index: 0,
                header: h(ofb::IN_PHY_PORT, false),
                requires: "in_port",
            },
        ),
        (
            Match::new().eth_type(0x0800).mpls_tc(1),
            MissingPrerequisite {
                index: 1,
                header: h(ofb::MPLS_TC, false),
                requires: "eth_type=0x8847 or eth_type=0x8848",
            },
        ),
        (
            Match::new().pbb_isid(1),
            MissingPrerequisite {
                index: 0,
                header: h(ofb::PBB_ISID, false),
                requires: "eth_type=0x88e7",
            },
        ),
        (
            Match::new().arp_op(1),
            MissingPrerequisite {
                index: 0,
                header: h(ofb::ARP_OP, false),
                requires: "eth_type=0x0806",
            },
        ),
        (
            Match::new().in_port(1).in_port(2),
            Duplicate {
                index: 1,
                header: h(ofb::IN_PORT, false),
                first: 0,
            },
        ),
        (
            Match::new().eth_dst([0; 6]).eth_dst_masked([0; 6], [0; 6]),
            Duplicate {
                index: 1,
                header: h(ofb::ETH_DST, true),
                first: 0,
            },
        ),
        (
            Match::new().metadata_masked(3, 1),
            ValueOutsideMask {
                index: 0,
                header: h(ofb::METADATA, true),
            },
        ),
        (
            Match::new()
                .eth_type(0x0800)
                .ipv4_dst_masked([10, 0, 0, 1], [255, 255, 255, 0]),
            ValueOutsideMask {
                index: 1,
                header: h(ofb::IPV4_DST, true),
            },
        ),
        (
            Match::new().vlan_vid(0x2000),
            TooWide {
                index: 0,
                header: h(ofb::VLAN_VID, false),
                bits: 13,
            },
        ),
        (
            Match::new().vlan_vid(0x1000).vlan_pcp(8),
            TooWide {
                index: 1,
                header: h(ofb::VLAN_PCP, false),
                bits: 3,
            },
        ),
        (
            Match::new().eth_type(0x0800).ip_dscp(64),
            TooWide {
                index: 1,
                header: h(ofb::IP_DSCP, false),
                bits: 6,
            },
        ),
        (
            Match::new().eth_type(0x0800).ip_ecn(4),
            TooWide {
                index: 1,
                header: h(ofb::IP_ECN, false),
                bits: 2,
            },
        ),
        (
            Match::new().eth_type(0x86dd).ipv6_flabel(1 << 20),
            TooWide {
                index: 1,
                header: h(ofb::IPV6_FLABEL, false),
                bits: 20,
            },
        ),
        (
            Match::new().eth_type(0x8847).mpls_label(1 << 20),
            TooWide {
                index: 1,
                header: h(ofb::MPLS_LABEL, false),
                bits: 20,
            },
        ),
        (
            Match::new().eth_type(0x8847).mpls_bos(2),
            TooWide {
                index: 1,
                header: h(ofb::MPLS_BOS, false),
                bits: 1,
            },
        ),
        (
            Match::new().eth_type(0x86dd).ipv6_exthdr(0x200),
            TooWide {
                index: 1,
                header: h(ofb::IPV6_EXTHDR, false),
                bits: 9,
            },
        ),
    ];
    for (m, e) in &bad {
        assert_eq!(m.validate(), Err(*e), "{m}");
        assert!(!e.to_string().is_empty());
    }
    assert_eq!(
        bad[2].1.to_string(),
        "field 0 (ipv4_src) needs eth_type=0x0800 before it, found at field 1"
    );
    assert_eq!(
        bad[16].1.to_string(),
        "field 0 (metadata/mask): value has bits set outside the mask"
    );
    // Where Open vSwitch departs from the spec: ICMP fields need their IP version's
    // eth_type, neighbour discovery fields an ICMPv6 code of 0, and three fields are
    // unknown to it.
    let ovs = |m: &Match| m.validate_with(MatchRules::OpenVswitch);
    let icmp_over_v6 = Match::new().eth_type(0x86dd).ip_proto(1).icmpv4_type(8);
    assert_eq!(icmp_over_v6.validate(), Ok(()));
    assert_eq!(
        ovs(&icmp_over_v6),
        Err(MissingPrerequisite {
            index: 2,
            header: h(ofb::ICMPV4_TYPE, false),
            requires: "eth_type=0x0800, then ip_proto=1",
        })
    );
    let nd_code = Match::new()
        .eth_type(0x86dd)
        .ip_proto(58)
        .icmpv6_type(135)
        .icmpv6_code(1)
        .ipv6_nd_target(Ipv6Addr::LOCALHOST);
    assert_eq!(nd_code.validate(), Ok(()));
    assert_eq!(
        ovs(&nd_code),
        Err(MissingPrerequisite {
            index: 4,
            header: h(ofb::IPV6_ND_TARGET, false),
            requires: "ICMPv6 with icmpv6_type=135 or 136 and icmpv6_code=0",
        })
    );
    for (m, at) in [(&ok[1], 1), (&ok[10], 1), (&ok[11], 1)] {
        assert_eq!(
            ovs(m).map_err(|e| (e.index(), e.code())),
            Err((at, crate::error_message::BadMatchCode::BAD_FIELD)),
            "{m}"
        );
    }
    // The rest of the list is valid for both.
    for (i, m) in ok.iter().enumerate() {
        if ![1, 10, 11].contains(&i) {
            assert_eq!(ovs(m), Ok(()), "{m}");
        }
    }
}

// ---------------------------------------------------------------- Display details

#[test]
fn display_details() {
    let d = |m: Match| m.to_string();
    // Shorthands.
    let ip = || Match::new().eth_type(0x0800);
    let ip6 = || Match::new().eth_type(0x86dd);
    assert_eq!(d(ip()), "ip");
    assert_eq!(d(ip().ip_proto(1)), "icmp");
    assert_eq!(d(ip().ip_proto(6)), "tcp");
    assert_eq!(d(ip().ip_proto(17)), "udp");
    assert_eq!(d(ip().ip_proto(132)), "sctp");
    assert_eq!(d(ip().ip_proto(47)), "ip,nw_proto=47");
    assert_eq!(d(ip6()), "ipv6");
    assert_eq!(d(ip6().ip_proto(58)), "icmp6");
    assert_eq!(d(ip6().ip_proto(6)), "tcp6");
    assert_eq!(d(ip6().ip_proto(17)), "udp6");
    assert_eq!(d(ip6().ip_proto(132)), "sctp6");
    assert_eq!(d(ip6().ip_proto(0)), "ipv6,nw_proto=0");
    assert_eq!(d(Match::new().eth_type(0x0806)), "arp");
    assert_eq!(d(Match::new().eth_type(0x8035)), "rarp");
    assert_eq!(d(Match::new().eth_type(0x8847)), "mpls");
    assert_eq!(d(Match::new().eth_type(0x8848)), "mplsm");
    assert_eq!(d(Match::new().eth_type(0x88cc)), "dl_type=0x88cc");
    // OVS's order, not the wire's.
    assert_eq!(
        d(ip()
            .ip_proto(6)
            .tcp_dst(80)
            .ipv4_src_masked([10, 0, 0, 0], [255, 255, 255, 0])
            .eth_dst([0, 0, 0, 0, 0, 2])
            .in_port(1)),
        "tcp,in_port=1,dl_dst=00:00:00:00:00:02,nw_src=10.0.0.0/24,tp_dst=80"
    );
    // VLAN forms.
    assert_eq!(
        d(Match::new().vlan_vid(0x1000 | 10).vlan_pcp(3)),
        "dl_vlan=10,dl_vlan_pcp=3"
    );
    assert_eq!(
        d(Match::new().vlan_vid_masked(0x1000, 0x1000).vlan_pcp(3)),
        "dl_vlan_pcp=3"
    );
    assert_eq!(d(Match::new().vlan_vid_masked(0x1001, 0x1fff)), "dl_vlan=1");
    assert_eq!(
        d(Match::new().vlan_vid_masked(0x1000, 0x1f00)),
        "vlan_tci=0x1000/0x1f00"
    );
    assert_eq!(d(Match::new().vlan_vid(0)), "vlan_tci=0x0000/0x1fff");
    // Zero masks match anything: nothing printed.
    assert_eq!(
        d(Match::new()
            .ipv4_src_masked([0; 4], [0; 4])
            .metadata_masked(0, 0)),
        ""
    );
    // Masks: CIDR, non-CIDR, all ones.
    assert_eq!(
        d(Match::new().ipv6_src_masked([0u16; 8], [0xffff, 0, 0, 0, 0, 0, 0, 0])),
        "ipv6_src=::/16"
    );
    assert_eq!(
        d(Match::new().ipv4_dst_masked([1, 2, 3, 4], [255; 4])),
        "nw_dst=1.2.3.4"
    );
    assert_eq!(
        d(Match::new().ipv4_dst_masked([1, 0, 3, 0], [255, 0, 255, 0])),
        "nw_dst=1.0.3.0/255.0.255.0"
    );
    assert_eq!(d(Match::new().metadata(0)), "metadata=0");
    assert_eq!(
        d(Match::new().tunnel_id_masked(0x10, 0xf0)),
        "tun_id=0x10/0xf0"
    );
    // IPv6 as inet_ntop writes it.
    assert_eq!(
        d(Match::new().ipv6_dst("::ffff:1.2.3.4".parse::<Ipv6Addr>().unwrap())),
        "ipv6_dst=::ffff:1.2.3.4"
    );
    assert_eq!(
        d(Match::new().ipv6_dst("::1.2.3.4".parse::<Ipv6Addr>().unwrap())),
        "ipv6_dst=::1.2.3.4"
    );
    assert_eq!(
        d(Match::new().ipv6_dst(Ipv6Addr::LOCALHOST)),
        "ipv6_dst=::1"
    );
    assert_eq!(
        d(Match::new().ipv6_dst("::2:3".parse::<Ipv6Addr>().unwrap())),
        "ipv6_dst=::0.2.0.3"
    );
    assert_eq!(
        d(Match::new().ipv6_dst("1:0:0:1::".parse::<Ipv6Addr>().unwrap())),
        "ipv6_dst=1:0:0:1::"
    );
    assert_eq!(
        d(Match::new().ipv6_dst("1:0:1:0:1:0:1:0".parse::<Ipv6Addr>().unwrap())),
        "ipv6_dst=1:0:1:0:1:0:1:0"
    );
    // Repeats and raw TLVs follow, in wire order.
    assert_eq!(
        d(Match::new().in_port(2).eth_type(0x0800).in_port(1)),
        "ip,in_port=2,in_port=1"
    );
}

// ---------------------------------------------------------------- proptest

/// Any TLV: a class among those seen in practice (or any), any field, any mask bit, a
/// payload of the basic field's size (so that most basic ones are typed) or any size.
fn arb_tlv() -> impl Strategy<Value = (u16, u8, bool, Vec<u8>)> {
    (
        prop_oneof![
            4 => Just(OFPXMC_OPENFLOW_BASIC),
            1 => Just(OFPXMC_NXM_0),
            1 => Just(OFPXMC_NXM_1),
            1 => Just(OFPXMC_EXPERIMENTER),
            1 => any::<u16>(),
        ],
        prop_oneof![4 => 0u8..40, 1 => 0u8..128],
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(any::<u8>(), 0..40),
    )
        .prop_map(|(class, field, hasmask, sized, mut payload)| {
            if sized {
                if let Some(i) = basic_field_info(field) {
                    let n = if hasmask { 2 * i.len } else { i.len };
                    payload.resize(n, 0xa5);
                }
            }
            (class, field, hasmask, payload)
        })
}

fn arb_field() -> impl Strategy<Value = OxmField> {
    arb_tlv().prop_map(|(c, f, m, p)| OxmField::from_parts(c, f, m, &p))
}

fn tlv_bytes(c: u16, f: u8, m: bool, p: &[u8]) -> Vec<u8> {
    let mut v = OxmHeader::new(c, f, m, p.len() as u8)
        .0
        .to_be_bytes()
        .to_vec();
    v.extend_from_slice(p);
    v
}

/// Well-framed matches, then a few bytes changed.
fn arb_match_bytes() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(arb_tlv(), 0..8),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
    )
        .prop_map(|(tlvs, edits)| {
            let body: Vec<u8> = tlvs
                .iter()
                .flat_map(|(c, f, m, p)| tlv_bytes(*c, *f, *m, p))
                .collect();
            let len = 4 + body.len();
            let mut b = vec![0, 1];
            b.extend_from_slice(&(len as u16).to_be_bytes());
            b.extend(body);
            b.resize(len + pad8(len), 0);
            for (i, x) in edits {
                let i = i.index(b.len());
                b[i] = x;
            }
            b
        })
}

fn check_exact(b: &[u8]) {
    let mut r = Reader::new(b, 8);
    if let Ok(m) = Match::parse(&mut r) {
        let used = b.len() - r.remaining();
        assert_eq!(m.to_vec().unwrap(), b[..used]);
        assert_eq!(m.encoded_len(), used);
        let v = MatchView::parse(&mut Reader::new(b, 8)).unwrap();
        assert_eq!(v.decode(), m);
        assert!(v.fields().all(|f| f.is_ok()));
        assert_eq!(v.to_string(), m.to_string());
        // Neither rule set panics; an error names a field of the match.
        for rules in [MatchRules::OpenFlow13, MatchRules::OpenVswitch] {
            if let Err(e) = m.validate_with(rules) {
                assert!(e.index() < m.fields.len(), "{e}");
                assert!(!e.to_string().is_empty());
            }
        }
        for f in &m.fields {
            let _ = f.to_string();
        }
    } else {
        assert!(MatchView::parse(&mut Reader::new(b, 8)).is_err());
    }
}

proptest! {
    #[test]
    fn prop_bytes_round_trip(b in arb_match_bytes()) {
        check_exact(&b);
    }

    #[test]
    fn prop_any_bytes(b in prop::collection::vec(any::<u8>(), 0..64)) {
        check_exact(&b);
        // With a valid header in front, so the TLV parser sees arbitrary bytes.
        let len = 4 + b.len();
        let mut m = vec![0, 1];
        m.extend_from_slice(&(len as u16).to_be_bytes());
        m.extend_from_slice(&b);
        m.resize(len + pad8(len), 0);
        check_exact(&m);
    }

    #[test]
    fn prop_values_round_trip(fields in prop::collection::vec(arb_field(), 0..10)) {
        let m = Match::from(fields);
        let b = m.to_vec().unwrap();
        prop_assert_eq!(b.len(), m.encoded_len());
        prop_assert_eq!(b.len() % 8, 0);
        let back = parse(&b).unwrap();
        prop_assert_eq!(&back, &m);
        for f in &m.fields {
            prop_assert_eq!(f.header().length() as usize, f.payload_len());
        }
    }

    #[test]
    fn prop_single_field(f in arb_field()) {
        let b = f.to_vec().unwrap();
        let mut r = Reader::new(&b, 0);
        let fr = OxmFieldView::parse(&mut r).unwrap();
        prop_assert!(r.is_empty());
        prop_assert_eq!(fr.decode(), f.clone());
        prop_assert_eq!(fr.header(), f.header());
        prop_assert_eq!(fr.to_string(), f.to_string());
        // A typed field stays typed; a basic field of the spec's shape is never raw.
        if let Some(i) = basic_field_info(f.field()) {
            let shaped = f.class() == OFPXMC_OPENFLOW_BASIC
                && (!f.hasmask() || i.maskable)
                && f.payload_len() == i.len * (1 + usize::from(f.hasmask()));
            prop_assert_eq!(shaped, f.name().is_some());
        }
    }
}

/// The match's one-pass decode against the general OXM decode (each TLV's view decoded
/// through [`OxmField::from_parts`]), the list of fields and where it is kept.
fn check_decode_equals_general(v: &MatchView<'_>) {
    let want: Vec<OxmField> = v.fields().map(|f| f.unwrap().decode()).collect();
    let got = v.decode();
    assert_eq!(got.fields, want, "{:02x?}", v.field_bytes());
    if !got.fields.is_inline() {
        assert_eq!(got.fields.capacity(), got.fields.len());
    }
}

/// Match bytes (header, TLVs, padding) holding `tlvs`.
fn match_of(tlvs: &[u8]) -> Vec<u8> {
    let len = 4 + tlvs.len();
    let mut b = vec![0, 1];
    b.extend_from_slice(&(len as u16).to_be_bytes());
    b.extend_from_slice(tlvs);
    b.resize(len + pad8(len), 0);
    b
}

/// The fields the one-pass match decode tells by their whole header (in_port, eth_dst,
/// eth_src, eth_type, vlan_vid, ip_proto, ipv4_src, ipv4_dst unmasked) and every neighbour of
/// theirs (every basic field, the mask bit set or not, every length up to 17, other classes)
/// decode to what the general OXM decode gives: each alone, and five in one match (past the
/// inline room).
#[test]
fn match_decode_by_header_equals_the_general_decode() {
    let mut n = 0;
    for class in [OFPXMC_OPENFLOW_BASIC, OFPXMC_NXM_1, 0x8001, 0x0080] {
        for field in 0..=40u8 {
            for hasmask in [false, true] {
                for len in 0..=17u8 {
                    let p: Vec<u8> = (0..len)
                        .map(|i| i.wrapping_mul(37).wrapping_add(field))
                        .collect();
                    let tlv = tlv_bytes(class, field, hasmask, &p);
                    for copies in [1, 5] {
                        let b = match_of(&tlv.repeat(copies));
                        let v = MatchView::parse(&mut Reader::new(&b, 8)).unwrap();
                        check_decode_equals_general(&v);
                        let m = v.decode();
                        assert_eq!(m.fields.len(), copies);
                        assert_eq!(m.fields[0], OxmField::from_parts(class, field, hasmask, &p));
                        n += 1;
                    }
                }
            }
        }
    }
    assert_eq!(n, 4 * 41 * 2 * 18 * 2);
}

proptest! {
    /// Generated matches (every class, basic fields of every length, a few bytes changed): the
    /// one-pass decode equals the general OXM decode on every match the view accepts.
    #[test]
    fn prop_match_decode_equals_the_general_decode(b in arb_match_bytes()) {
        if let Ok(v) = MatchView::parse(&mut Reader::new(&b, 8)) {
            check_decode_equals_general(&v);
        }
    }
}
