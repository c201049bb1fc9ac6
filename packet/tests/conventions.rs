//! The workspace conventions (docs/API.md) as they apply to this crate: every owned value
//! encodes through `Encode` and refuses a short buffer or a value that does not fit with an
//! error of the right kind (never a panic, never a truncation); every view prints what its
//! decoded value prints; every owned type survives serde.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::net::{Ipv4Addr, Ipv6Addr};
use core::time::Duration;

use sdnwire_packet::arp::ArpView;
use sdnwire_packet::ethernet::{EthernetView, VlanView};
use sdnwire_packet::icmp::IcmpView;
use sdnwire_packet::icmpv6::{Icmpv6View, Mldv2ReportGroup, NdOption};
use sdnwire_packet::igmp::{
    GroupRecord, GroupRecordView, IgmpType, IgmpUnknown, IgmpV2, IgmpV3Query, IgmpV3Report,
    IgmpView, RecordType,
};
use sdnwire_packet::ipv4::Ipv4View;
use sdnwire_packet::ipv6::{Ipv6ExtHeader, Ipv6View};
use sdnwire_packet::lldp::{LldpTlv, LldpView};
use sdnwire_packet::slow::{LacpInfo, LacpState, LacpTlv, LacpTlvType, LacpView, MarkerView};
use sdnwire_packet::tcp::{TcpFlags, TcpOption, TcpView};
use sdnwire_packet::udp::UdpView;
use sdnwire_packet::{
    Arp, CodecError, Encode, Error, ErrorKind, Ethernet, Icmpv6, Igmp, IpProtocol, Ipv4, Ipv6,
    Lacp, Layer, LayerKind, Lldp, MacAddr, Marker, Packet, PacketView, Tcp, Udp, Vlan,
};

const MAC1: MacAddr = MacAddr([0x02, 0, 0, 0, 0, 1]);
const MAC2: MacAddr = MacAddr([0x02, 0, 0, 0, 0, 2]);

fn fixtures() -> Vec<Vec<u8>> {
    let dir = format!("{}/testdata", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("bin"))
        .collect();
    paths.sort();
    for p in paths {
        out.push(std::fs::read(p).unwrap());
    }
    assert!(out.len() >= 12);
    out
}

fn v4(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

fn v6(s: &str) -> Ipv6Addr {
    s.parse().unwrap()
}

/// Built frames for the protocols the captures lack (LLDP, LACP, marker, IGMPv1/v2/unknown,
/// IPv6 extension headers, TCP options, QinQ).
fn built() -> Vec<Packet> {
    let eth = || Ethernet::new(MAC2, MAC1);
    let ip = || Ipv4::new(v4("10.0.0.1"), v4("224.0.0.22"));
    let mut tcp = Tcp::new(1, 2, TcpFlags::SYN);
    tcp = tcp
        .with_options(&[
            TcpOption::MaximumSegmentSize(1460),
            TcpOption::SackPermitted,
            TcpOption::Timestamps {
                ts_val: 1,
                ts_ecr: 0,
            },
            TcpOption::NoOperation,
            TcpOption::WindowScale(7),
        ])
        .unwrap();
    let actor = LacpInfo::new(0x8000, MAC1, 1, 0xff, 3, LacpState(0x3d));
    let mut lacp = Lacp::new(actor, LacpInfo::default(), 0);
    lacp.tlvs.push(LacpTlv::port_algorithm(1));
    vec![
        eth() / Lldp::new(MAC1, "eth0", 120).with(LldpTlv::system_name("sw1")),
        eth() / lacp,
        eth() / Marker::information(3, MAC1, 7),
        eth() / Arp::request(MAC1, v4("10.0.0.1"), v4("10.0.0.2")),
        eth() / Vlan::new(10) / Vlan::new(20) / ip() / Udp::new(1, 2),
        (eth() / ip() / tcp).with_payload(&b"data"[..]),
        eth() / ip() / Igmp::v2_report(v4("239.1.1.1")),
        eth() / ip() / Igmp::general_query_v3(Duration::from_secs(10)),
        eth()
            / ip()
            / Igmp::v3_report(vec![GroupRecord {
                aux: vec![1, 2, 3, 4],
                ..GroupRecord::new(RecordType::IS_EX, v4("239.1.1.1"), vec![v4("10.0.0.9")])
            }]),
        eth()
            / ip()
            / Igmp::Unknown(IgmpUnknown {
                msgtype: IgmpType(0x30),
                maxresp: 1,
                csum: None,
                data: vec![9; 6],
            }),
        eth()
            / Ipv6::new(v6("fe80::1"), v6("ff02::16"))
                .with_ext_header(Ipv6ExtHeader::router_alert(0))
            / Icmpv6::mldv2_report(vec![Mldv2ReportGroup::new(
                Mldv2ReportGroup::CHANGE_TO_EXCLUDE_MODE,
                v6("ff05::1:3"),
                vec![],
            )]),
    ]
}

/// Every frame, captured and built, parsed back (so that every computed field is set and each
/// layer encodes on its own exactly as it sits in the frame).
fn packets() -> Vec<(Vec<u8>, Packet)> {
    let mut out = Vec::new();
    for f in fixtures() {
        let p = Packet::parse(&f).unwrap();
        out.push((f, p));
    }
    for p in built() {
        let f = p.to_vec().unwrap();
        let back = Packet::parse(&f).unwrap_or_else(|e| panic!("{p}: {e}"));
        out.push((f, back));
    }
    out
}

type Value = (String, Box<dyn Encode<Error = Error>>);

/// Representative values of every type that implements `Encode`, each encodable as it is.
fn values() -> Vec<Value> {
    let mut v: Vec<Value> = Vec::new();
    let mut push = |name: &str, e: Box<dyn Encode<Error = Error>>| v.push((name.to_string(), e));
    for (_, p) in packets() {
        for l in &p.layers {
            push(&format!("layer {l}"), Box::new(l.clone()));
            match l {
                Layer::Ethernet(x) => push("Ethernet", Box::new(x.clone())),
                Layer::Vlan(x) => push("Vlan", Box::new(x.clone())),
                Layer::Arp(x) => push("Arp", Box::new(x.clone())),
                Layer::Ipv4(x) => push("Ipv4", Box::new(x.clone())),
                Layer::Ipv6(x) => {
                    push("Ipv6", Box::new(x.clone()));
                    for h in &x.ext_hdrs {
                        push("Ipv6ExtHeader", Box::new(h.clone()));
                    }
                }
                Layer::Icmp(x) => {
                    push("Icmp", Box::new(x.clone()));
                    push("IcmpData", Box::new(x.data.clone()));
                }
                Layer::Icmpv6(x) => {
                    push("Icmpv6", Box::new(x.clone()));
                    push("Icmpv6Data", Box::new(x.data.clone()));
                    if let sdnwire_packet::icmpv6::Icmpv6Data::Mldv2Report(r) = &x.data {
                        for g in &r.records {
                            push("Mldv2ReportGroup", Box::new(g.clone()));
                        }
                    }
                    if let sdnwire_packet::icmpv6::Icmpv6Data::NdNeighbor(n) = &x.data {
                        for o in &n.options {
                            push("NdOption", Box::new(o.clone()));
                        }
                    }
                }
                Layer::Igmp(x) => {
                    push("Igmp", Box::new(x.clone()));
                    match x {
                        Igmp::V2(m) => push("IgmpV2", Box::new(m.clone())),
                        Igmp::V3Query(m) => push("IgmpV3Query", Box::new(m.clone())),
                        Igmp::V3Report(m) => {
                            push("IgmpV3Report", Box::new(m.clone()));
                            for r in &m.records {
                                push("GroupRecord", Box::new(r.clone()));
                            }
                        }
                        Igmp::Unknown(m) => push("IgmpUnknown", Box::new(m.clone())),
                        _ => {}
                    }
                }
                Layer::Udp(x) => push("Udp", Box::new(x.clone())),
                Layer::Tcp(x) => {
                    push("Tcp", Box::new(x.clone()));
                    for o in x.option_list() {
                        push("TcpOption", Box::new(o.clone()));
                    }
                }
                Layer::Lacp(x) => {
                    push("Lacp", Box::new((**x).clone()));
                    for t in &x.tlvs {
                        push("LacpTlv", Box::new(t.clone()));
                    }
                }
                Layer::Marker(x) => push("Marker", Box::new((**x).clone())),
                Layer::Lldp(x) => {
                    push("Lldp", Box::new(x.clone()));
                    for t in &x.tlvs {
                        push("LldpTlv", Box::new(t.clone()));
                    }
                }
                _ => {}
            }
        }
        push("Packet with min_len", Box::new(p.clone().with_min_len(60)));
        push("Packet", Box::new(p));
    }
    // Values the frames above do not hold.
    push(
        "TcpOption::Sack",
        Box::new(TcpOption::Sack(vec![(1, 2), (3, 4)])),
    );
    push("TcpOption::EndOfList", Box::new(TcpOption::EndOfList));
    push(
        "TcpOption::Unknown",
        Box::new(TcpOption::Unknown {
            kind: 30,
            data: vec![1, 2, 3],
        }),
    );
    push("TcpOption::Raw", Box::new(TcpOption::Raw(vec![0, 0, 0])));
    push("NdOption", Box::new(NdOption::source_link_addr(MAC1)));
    push(
        "Ipv6ExtHeader::fragment",
        Box::new(Ipv6ExtHeader {
            nxt: Some(IpProtocol::UDP),
            ..Ipv6ExtHeader::fragment(10, true, 7)
        }),
    );
    push(
        "IgmpV2",
        Box::new(IgmpV2::new(IgmpType::LEAVE, 0, v4("239.1.1.1"))),
    );
    push(
        "IgmpV3Query",
        Box::new(IgmpV3Query::new(v4("239.1.1.1"), vec![v4("10.0.0.1")])),
    );
    push(
        "IgmpV3Report",
        Box::new(IgmpV3Report::new(vec![GroupRecord::new(
            RecordType::ALLOW,
            v4("239.1.1.1"),
            vec![v4("10.0.0.1"), v4("10.0.0.2")],
        )])),
    );
    v
}

#[test]
fn every_value_encodes_exactly_and_refuses_a_short_buffer() {
    let values = values();
    let names: std::collections::BTreeSet<&str> = values
        .iter()
        .map(|(n, _)| n.split(' ').next().unwrap())
        .collect();
    for t in [
        "Ethernet",
        "Vlan",
        "Arp",
        "Ipv4",
        "Ipv6",
        "Ipv6ExtHeader",
        "Icmp",
        "Icmpv6",
        "IcmpData",
        "Icmpv6Data",
        "Mldv2ReportGroup",
        "NdOption",
        "Igmp",
        "IgmpV2",
        "IgmpV3Query",
        "IgmpV3Report",
        "IgmpUnknown",
        "GroupRecord",
        "Udp",
        "Tcp",
        "TcpOption",
        "Lacp",
        "LacpTlv",
        "Marker",
        "Lldp",
        "LldpTlv",
        "layer",
        "Packet",
    ] {
        assert!(names.contains(t), "no value of {t}");
    }
    for (name, v) in &values {
        let n = v.encoded_len();
        assert!(n > 0, "{name}");
        // A buffer of exactly encoded_len() bytes, and one longer: n bytes written.
        let mut buf = vec![0u8; n + 3];
        assert_eq!(v.encode(&mut buf[..n]), Ok(n), "{name}");
        let exact = buf[..n].to_vec();
        buf.fill(0xee);
        assert_eq!(v.encode(&mut buf), Ok(n), "{name}");
        assert_eq!(buf[..n], exact[..], "{name}");
        assert_eq!(
            buf[n..],
            [0xee; 3],
            "{name}: bytes past the value were written"
        );
        assert_eq!(v.to_vec().unwrap(), exact, "{name}");
        let mut out = vec![1, 2];
        assert_eq!(v.encode_append(&mut out), Ok(n), "{name}");
        assert_eq!(out[2..], exact[..], "{name}");
        // One byte short, and every shorter length: ShortBuffer, nothing written.
        for short in (0..n).rev().take(64) {
            let mut b = vec![0x5au8; short];
            let e = v.encode(&mut b).expect_err(name);
            assert_eq!(e.kind(), ErrorKind::ShortBuffer, "{name} into {short}: {e}");
            assert_eq!(
                e,
                Error::ShortBuffer {
                    needed: n,
                    available: short
                },
                "{name}"
            );
            assert_eq!(e.offset(), None);
            assert!(
                b.iter().all(|&x| x == 0x5a),
                "{name}: wrote into a short buffer"
            );
        }
    }
}

#[test]
fn parsed_frames_still_round_trip_exactly() {
    for (frame, p) in packets() {
        assert_eq!(p.to_vec().unwrap(), frame, "{p}");
        // A body on its own is the message after its first 4 bytes.
        for l in &p.layers {
            let (whole, body) = match l {
                Layer::Icmp(m) => (m.to_vec().unwrap(), m.data.to_vec().unwrap()),
                Layer::Icmpv6(m) => (m.to_vec().unwrap(), m.data.to_vec().unwrap()),
                _ => continue,
            };
            assert_eq!(whole[4..], body[..], "{l}");
        }
        for l in &p.layers {
            // Each layer on its own is its header as it sits in the frame (protocols that end
            // the stack: the whole message).
            let bytes = l.to_vec().unwrap();
            assert!(
                frame.windows(bytes.len()).any(|w| w == bytes),
                "{l} encodes to bytes not in its frame"
            );
        }
    }
}

fn assert_unencodable<E: Encode<Error = Error>>(what: &str, v: &E, layer: LayerKind) {
    let e = v.to_vec().expect_err(what);
    assert_eq!(e.kind(), ErrorKind::Unencodable, "{what}: {e}");
    assert_eq!(e.context(), layer.name(), "{what}: {e}");
    assert_eq!(e.offset(), None, "{what}");
    assert!(e.field().is_some(), "{what}");
    // Into a buffer of the right size too: an error, not a truncated value.
    let mut buf = vec![0u8; v.encoded_len()];
    assert_eq!(
        v.encode(&mut buf).map_err(|e| e.kind()),
        Err(ErrorKind::Unencodable)
    );
}

#[test]
fn values_that_do_not_fit_their_field_are_unencodable() {
    let eth = || Ethernet::new(MAC2, MAC1);
    let ip4 = || Ipv4::new(v4("10.0.0.1"), v4("10.0.0.2"));
    // A payload past the 16-bit lengths of IPv4 and UDP.
    let big = (eth() / ip4() / Udp::new(1, 2)).with_payload(vec![0u8; 65_536]);
    assert_unencodable("IPv4 total length", &big, LayerKind::Udp);
    let big = (eth() / ip4()).with_payload(vec![0u8; 65_516]);
    assert_unencodable("IPv4 total length", &big, LayerKind::Ipv4);
    let ip6 = Ipv6 {
        nxt: Some(IpProtocol::UDP),
        ..Ipv6::new(v6("::1"), v6("::2"))
    };
    let big = (eth() / ip6).with_payload(vec![0u8; 65_536]);
    assert_unencodable("IPv6 payload length", &big, LayerKind::Ipv6);
    // A UDP header on its own has no IP layer for its pseudo-header.
    assert_unencodable("UDP checksum", &Udp::new(1, 2), LayerKind::Udp);
    // LLDP: a TLV past 511 bytes, on its own and in a PDU.
    let long = LldpTlv::system_name(vec![b'a'; 512]);
    assert_unencodable("LLDP TLV", &long, LayerKind::Lldp);
    assert_unencodable(
        "LLDPDU",
        &Lldp::new(MAC1, "eth0", 120).with(long.clone()),
        LayerKind::Lldp,
    );
    assert_eq!(
        LldpTlv::system_name(vec![b'a'; 511])
            .to_vec()
            .unwrap()
            .len(),
        513
    );
    // LACP: a TLV value past 253 bytes, a terminator TLV.
    let long = LacpTlv::new(LacpTlvType(0x10), vec![0u8; 254]);
    assert_unencodable("LACP TLV", &long, LayerKind::Lacp);
    assert_unencodable(
        "LACP terminator",
        &LacpTlv::new(LacpTlvType::TERMINATOR, vec![]),
        LayerKind::Lacp,
    );
    let mut lacp = Lacp::default();
    lacp.tlvs.push(long);
    assert_unencodable("LACPDU", &lacp, LayerKind::Lacp);
    // TCP: an option past its 8-bit length, options past 40 bytes.
    let opt = TcpOption::Unknown {
        kind: 30,
        data: vec![0; 254],
    };
    assert_unencodable("TCP option", &opt, LayerKind::Tcp);
    let mut tcp = Tcp::new(1, 2, TcpFlags::SYN);
    tcp.csum = Some(0);
    tcp = tcp
        .with_options(&[TcpOption::Sack(vec![(0, 0); 5])])
        .unwrap();
    assert_unencodable("TCP options", &tcp, LayerKind::Tcp);
    // An option past its 8-bit length cannot even go into the options area.
    assert_eq!(
        Tcp::new(1, 2, TcpFlags::SYN)
            .with_options([&opt])
            .unwrap_err()
            .kind(),
        sdnwire_packet::ErrorKind::Unencodable
    );
    let mut tcp = Tcp::new(1, 2, TcpFlags::SYN);
    tcp.csum = Some(0);
    tcp.option = [1u8; 41].into();
    assert_unencodable("TCP options", &tcp, LayerKind::Tcp);
    // IGMPv3: a group record with more than 255 words of aux data or 65 535 sources, a query
    // with a QRV past 3 bits.
    let rec = GroupRecord {
        aux: vec![0; 1024],
        ..GroupRecord::new(RecordType::IS_IN, v4("239.1.1.1"), vec![])
    };
    assert_unencodable("group record aux", &rec, LayerKind::Igmp);
    let rec = GroupRecord::new(
        RecordType::IS_IN,
        v4("239.1.1.1"),
        vec![v4("10.0.0.1"); 65_536],
    );
    assert_unencodable("group record sources", &rec, LayerKind::Igmp);
    assert_unencodable(
        "IGMPv3 report",
        &IgmpV3Report::new(vec![rec]),
        LayerKind::Igmp,
    );
    let q = IgmpV3Query {
        qrv: 8,
        ..IgmpV3Query::default()
    };
    assert_unencodable("IGMPv3 QRV", &q, LayerKind::Igmp);
    // IPv6: an extension header on its own without a next header, or with data its length
    // unit cannot express; an ND option whose length is not a multiple of 8.
    assert_unencodable(
        "extension header nxt",
        &Ipv6ExtHeader::router_alert(0),
        LayerKind::Ipv6,
    );
    let odd = Ipv6ExtHeader {
        nxt: Some(IpProtocol::UDP),
        ..Ipv6ExtHeader::hop_by_hop(vec![0; 5])
    };
    assert_unencodable("extension header size", &odd, LayerKind::Ipv6);
    assert_unencodable(
        "ND option",
        &NdOption::new(NdOption::MTU, vec![0; 5]),
        LayerKind::Icmpv6,
    );
}

#[test]
fn every_view_prints_what_its_decoded_value_prints() {
    for (frame, p) in packets() {
        let v = PacketView::parse(&frame).unwrap();
        assert_eq!(v.to_string(), p.to_string());
        assert_eq!(v.decode(), p);
        for s in v.spans() {
            let b = &frame[s.start..s.end];
            let (view, owned) = match s.kind {
                LayerKind::Ethernet => {
                    let x = EthernetView::parse(b).unwrap();
                    (x.to_string(), x.decode().to_string())
                }
                LayerKind::Vlan => {
                    let x = VlanView::parse(b).unwrap();
                    (x.to_string(), x.decode().to_string())
                }
                LayerKind::Arp => {
                    let x = ArpView::parse(b).unwrap();
                    (x.to_string(), x.decode().to_string())
                }
                LayerKind::Ipv4 => {
                    let x = Ipv4View::parse(b).unwrap();
                    for o in x.option_iter() {
                        let o = o.unwrap();
                        assert!(o.to_string().starts_with("ipv4_option(kind="));
                    }
                    (x.to_string(), x.decode().to_string())
                }
                LayerKind::Ipv6 => {
                    let x = Ipv6View::parse(b).unwrap();
                    for h in x.ext_headers() {
                        let h = h.unwrap();
                        assert_eq!(h.to_string(), h.decode().to_string());
                    }
                    (x.to_string(), x.decode().to_string())
                }
                LayerKind::Icmp => {
                    let x = IcmpView::parse(b).unwrap();
                    (x.to_string(), x.decode().to_string())
                }
                LayerKind::Icmpv6 => {
                    let x = Icmpv6View::parse(b).unwrap();
                    (x.to_string(), x.decode().unwrap().to_string())
                }
                LayerKind::Igmp => {
                    let x = IgmpView::parse(b).unwrap();
                    for r in x.group_records() {
                        let r: GroupRecordView<'_> = r.unwrap();
                        assert_eq!(r.to_string(), r.decode().to_string());
                    }
                    (x.to_string(), x.decode().to_string())
                }
                LayerKind::Udp => {
                    let x = UdpView::parse(b).unwrap();
                    (x.to_string(), x.decode().to_string())
                }
                LayerKind::Tcp => {
                    let x = TcpView::parse(b).unwrap();
                    for o in x.option_iter() {
                        let o = o.unwrap();
                        assert_eq!(o.to_string(), o.decode().to_string());
                    }
                    (x.to_string(), x.decode().to_string())
                }
                LayerKind::Lacp => {
                    let x = LacpView::parse(b).unwrap();
                    for t in x.tlvs() {
                        let t = t.unwrap();
                        assert_eq!(t.to_string(), t.decode().to_string());
                    }
                    (x.to_string(), x.decode().to_string())
                }
                LayerKind::Marker => {
                    let x = MarkerView::parse(b).unwrap();
                    (x.to_string(), x.decode().to_string())
                }
                LayerKind::Lldp => {
                    let x = LldpView::parse(b).unwrap();
                    for t in x.tlvs() {
                        let t = t.unwrap();
                        assert_eq!(t.to_string(), t.decode().to_string());
                    }
                    (x.to_string(), x.decode().to_string())
                }
                k => panic!("{k}"),
            };
            assert_eq!(view, owned);
            // ... which is what the layer of the parsed packet prints.
            let mut layer = p.layers[v.spans().position(|x| x == s).unwrap()].clone();
            // A VLAN view holds the 4 bytes after the TPID, so it prints a tag without one
            // (`vlan`, never Ryu's `svlan`); the packet's layer knows its TPID.
            if let Layer::Vlan(t) = &mut layer {
                t.tpid = None;
            }
            assert_eq!(view, layer.to_string());
        }
    }
}

#[test]
fn a_malformed_icmpv6_body_prints_its_error() {
    // An echo request of 6 bytes: the view holds type, code and checksum, the body is short.
    let v = Icmpv6View::parse(&[128, 0, 0x12, 0x34, 0, 1][..]).unwrap();
    let e = v.decode().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Truncated);
    assert_eq!(
        v.to_string(),
        format!("icmpv6(code=0,csum=4660,data=<{e}>,type_=128)")
    );
}

#[test]
fn parse_errors_say_kind_layer_field_and_offset() {
    // An IPv6 header behind an IPv4 EtherType: the IP version is a BadVersion.
    let mut f = (Ethernet::new(MAC2, MAC1) / Ipv4::new(v4("10.0.0.1"), v4("10.0.0.2")))
        .to_vec()
        .unwrap();
    f[14] = 0x65;
    let e = Packet::parse(&f).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadVersion);
    assert_eq!(
        (e.context(), e.field(), e.offset(), e.value()),
        ("ipv4", Some("version"), Some(14), Some(6))
    );
    let mut b = f[14..].to_vec();
    b.resize(40, 0);
    b[0] = 0x45;
    let e = Ipv6View::parse(&b).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::BadVersion, Some(0)));
    // A UDP length past the end of the frame: BadLength at the length field, counted from the
    // frame's first byte.
    let mut f =
        (Ethernet::new(MAC2, MAC1) / Ipv4::new(v4("10.0.0.1"), v4("10.0.0.2")) / Udp::new(1, 2))
            .to_vec()
            .unwrap();
    f[38..40].copy_from_slice(&100u16.to_be_bytes());
    let e = Packet::parse(&f).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadLength);
    assert_eq!(
        (e.context(), e.field(), e.offset(), e.value()),
        ("udp", Some("length"), Some(38), Some(100))
    );
    // A truncated TCP header.
    let f = (Ethernet::new(MAC2, MAC1)
        / Ipv4::new(v4("10.0.0.1"), v4("10.0.0.2"))
        / Tcp::new(1, 2, TcpFlags::SYN))
    .to_vec()
    .unwrap();
    let e = TcpView::parse(&f[34..50]).unwrap_err();
    assert_eq!(
        (e.kind(), e.context(), e.offset()),
        (ErrorKind::Truncated, "tcp", Some(0))
    );
}
