use super::*;
use crate::ipv6::{Ipv6, Ipv6View};
use crate::{CodecError, Encode, Ethernet, Packet};
use alloc::string::ToString;
use alloc::vec;
use proptest::prelude::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn a(s: &str) -> Ipv6Addr {
    s.parse().unwrap()
}

/// The ICMPv6 message of an Ethernet + IPv6 frame, and its pseudo-header addresses.
fn icmp_of(frame: &[u8]) -> (Vec<u8>, Ipv6Addr, Ipv6Addr) {
    let v = Ipv6View::parse(&frame[14..]).unwrap();
    let IpPair::V6(s, d) = v.decode().pseudo_header_addrs() else {
        unreachable!()
    };
    (v.upper_layer_payload().to_vec(), s, d)
}

/// `ping -6 fd00::2` from a Linux host (captured, scripts/capture-fixtures.sh).
const ECHO_REQUEST: &[u8] = include_bytes!("../../testdata/icmpv6_echo_request.bin");
/// A Linux host joining its solicited-node group (captured).
const MLDV2_REPORT: &[u8] = include_bytes!("../../testdata/mldv2_report.bin");
/// A Linux host's duplicate address detection, with a nonce option (type 14, captured).
const NEIGHBOR_SOLICIT: &[u8] = include_bytes!("../../testdata/icmpv6_neighbor_solicitation.bin");

/// Frames built with scapy 2.8.0 (its checksums), and what os-ken 4.2.2 printed for their
/// ICMPv6 layer (`str(packet.Packet(frame))`), except where a comment says otherwise.
const SCAPY: &[(&str, &str, &str)] = &[
    (
        "echo reply",
        "525400123456525400abcdef86dd6005e1a900403a4020010db800000000000000000000000120010db800000000000000000000000281004e0d1c2d0001101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f4041424344454647",
        r##"icmpv6(code=0,csum=19981,data=echo(data=b'\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFG',id=7213,seq=1),type_=129)"##,
    ),
    (
        "MLDv2 report, two records, sources",
        "33330000001652540012345686dd6000000000580001fe80000000000000505400fffe123456ff0200000000000000000000000000163a000502000001008f008f910000000204000000ff0200000000000000000000000000fb01000002ff05000000000000000000000001000320010db800000000000000000000000720010db8000000000000000000000008",
        r#"icmpv6(code=0,csum=36753,data=mldv2_report(record_num=2,records=[mldv2_report_group(address='ff02::fb',aux=None,aux_len=0,num=0,srcs=[],type_=4), mldv2_report_group(address='ff05::1:3',aux=None,aux_len=0,num=2,srcs=['2001:db8::7', '2001:db8::8'],type_=1)]),type_=143)"#,
    ),
    (
        "MLDv2 report, aux data",
        "33330000001652540012345686dd6000000000280001fe80000000000000505400fffe123456ff0200000000000000000000000000163a000502000001008f0064700000000102010000ff0e0000000000000000000000001234aabbccdd",
        r#"icmpv6(code=0,csum=25712,data=mldv2_report(record_num=1,records=[mldv2_report_group(address='ff0e::1234',aux=b'\xaa\xbb\xcc\xdd',aux_len=1,num=0,srcs=[],type_=2)]),type_=143)"#,
    ),
    (
        "MLDv2 general query",
        "333300000001525400abcdef86dd6000000000240001fe800000000000000000000000000001ff0200000000000000000000000000013a00050200000100820056962710000000000000000000000000000000000000027d0000",
        r#"icmpv6(code=0,csum=22166,data=mldv2_query(address='::',maxresp=10000,num=0,qqic=125,qrv=2,s_flg=0,srcs=[]),type_=130)"#,
    ),
    (
        "MLDv2 group-and-source query",
        "333300000001525400abcdef86dd6000000000340001fe800000000000000000000000000001ff0500000000000000000000000100033a000502000001008200441e03e80000ff0500000000000000000000000100030b3c000120010db8000000000000000000000007",
        r#"icmpv6(code=0,csum=17438,data=mldv2_query(address='ff05::1:3',maxresp=1000,num=1,qqic=60,qrv=3,s_flg=1,srcs=['2001:db8::7']),type_=130)"#,
    ),
    (
        "MLDv1 report",
        "3333ff12345652540012345686dd6000000000200001fe80000000000000505400fffe123456ff0200000000000000000001ff1234563a000502000001008300959500000000ff0200000000000000000001ff123456",
        r#"icmpv6(code=0,csum=38293,data=mld(address='ff02::1:ff12:3456',maxresp=0),type_=131)"#,
    ),
    (
        "neighbor solicitation",
        "3333ff00000152540012345686dd6000000000203afffe80000000000000505400fffe123456ff0200000000000000000001ff0000018700722200000000fe8000000000000000000000000000010101525400123456",
        r#"icmpv6(code=0,csum=29218,data=nd_neighbor(dst='fe80::1',option=nd_option_sla(data=None,hw_src='52:54:00:12:34:56',length=1),res=0),type_=135)"#,
    ),
    (
        "neighbor advertisement",
        "525400123456525400abcdef86dd6000000000203afffe800000000000000000000000000001fe80000000000000505400fffe1234568800f572e0000000fe8000000000000000000000000000010201525400abcdef",
        r#"icmpv6(code=0,csum=62834,data=nd_neighbor(dst='fe80::1',option=nd_option_tla(data=None,hw_src='52:54:00:ab:cd:ef',length=1),res=7),type_=136)"#,
    ),
    (
        "router solicitation",
        "33330000000252540012345686dd6000000000103afffe80000000000000505400fffe123456ff020000000000000000000000000002850071b5000000000101525400123456",
        r#"icmpv6(code=0,csum=29109,data=nd_router_solicit(option=nd_option_sla(data=None,hw_src='52:54:00:12:34:56',length=1),res=0),type_=133)"#,
    ),
    (
        "router solicitation, no option",
        "33330000000252540012345686dd6000000000083aff00000000000000000000000000000000ff02000000000000000000000000000285007bb800000000",
        r#"icmpv6(code=0,csum=31672,data=nd_router_solicit(option=None,res=0),type_=133)"#,
    ),
    (
        // os-ken lets the SLA option swallow the options after it, and prints
        // nd_option_mtu(length=0,...) whatever the wire says; this string is os-ken's
        // repr of each option (nd_option_sla(...), nd_option_pi(...)) in its list, with
        // the MTU option's real length.
        "router advertisement",
        "333300000001525400abcdef86dd6000000000403afffe800000000000000000000000000001ff02000000000000000000000000000186000ca34048070800000000000000000101525400abcdef05010000000005dc030440c000015180000038400000000020010db8000000000000000000000000",
        r#"icmpv6(code=0,csum=3235,data=nd_router_advert(ch_l=64,options=[nd_option_sla(data=None,hw_src='52:54:00:ab:cd:ef',length=1), nd_option_mtu(length=1,mtu=1500), nd_option_pi(length=4,pl=64,pre_l=14400,prefix='2001:db8::',res1=6,res2=0,val_l=86400)],rea_t=0,res=1,ret_t=0,rou_l=1800),type_=134)"#,
    ),
    (
        "time exceeded (traceroute)",
        "525400123456525400abcdef86dd60000000003c3a4020010db800000000000000000000000120010db8000000000000000000000002030030240000000060000000000c110120010db800000000000000000000000220010db8000100000000000000000009829a829b000cda5b61626364",
        r#"icmpv6(code=0,csum=12324,data=b'\x00\x00\x00\x00`\x00\x00\x00\x00\x0c\x11\x01 \x01\r\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02 \x01\r\xb8\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\t\x82\x9a\x82\x9b\x00\x0c\xda[abcd',type_=3)"#,
    ),
    (
        "destination unreachable, port",
        "525400123456525400abcdef86dd60000000003c3a4020010db800000000000000000000000120010db8000000000000000000000002010432200000000060000000000c110120010db800000000000000000000000220010db8000100000000000000000009829a829b000cda5b61626364",
        r#"icmpv6(code=4,csum=12832,data=b'\x00\x00\x00\x00`\x00\x00\x00\x00\x0c\x11\x01 \x01\r\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02 \x01\r\xb8\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\t\x82\x9a\x82\x9b\x00\x0c\xda[abcd',type_=1)"#,
    ),
    (
        "packet too big",
        "525400123456525400abcdef86dd60000000003c3a4020010db800000000000000000000000120010db800000000000000000000000202002c240000050060000000000c110120010db800000000000000000000000220010db8000100000000000000000009829a829b000cda5b61626364",
        r#"icmpv6(code=0,csum=11300,data=b'\x00\x00\x05\x00`\x00\x00\x00\x00\x0c\x11\x01 \x01\r\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02 \x01\r\xb8\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\t\x82\x9a\x82\x9b\x00\x0c\xda[abcd',type_=2)"#,
    ),
    (
        "parameter problem",
        "525400123456525400abcdef86dd60000000003c3a4020010db800000000000000000000000120010db800000000000000000000000204012efb0000002860000000000c110120010db800000000000000000000000220010db8000100000000000000000009829a829b000cda5b61626364",
        r#"icmpv6(code=1,csum=12027,data=b'\x00\x00\x00(`\x00\x00\x00\x00\x0c\x11\x01 \x01\r\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02 \x01\r\xb8\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\t\x82\x9a\x82\x9b\x00\x0c\xda[abcd',type_=4)"#,
    ),
];

fn scapy(name: &str) -> Vec<u8> {
    hex(SCAPY.iter().find(|(n, _, _)| *n == name).unwrap().1)
}

fn parse_scapy(name: &str) -> Icmpv6 {
    Icmpv6::parse(&icmp_of(&scapy(name)).0).unwrap()
}

/// Every frame: Display as os-ken, checksum verifies, emit gives the bytes back with the
/// checksum kept and with it recomputed.
#[test]
fn frames_print_verify_and_re_encode() {
    let captured = [ECHO_REQUEST, MLDV2_REPORT, NEIGHBOR_SOLICIT].map(<[u8]>::to_vec);
    let all = captured
        .iter()
        .cloned()
        .chain(SCAPY.iter().map(|(_, h, _)| hex(h)));
    for (i, frame) in all.enumerate() {
        let (msg, src, dst) = icmp_of(&frame);
        let icmp = Icmpv6::parse(&msg).unwrap();
        if let Some((name, _, ryu)) = SCAPY.get(i.wrapping_sub(3)) {
            assert_eq!(icmp.to_string(), *ryu, "{name}");
        }
        Icmpv6View::parse(&msg[..])
            .unwrap()
            .verify_checksum(&IpPair::V6(src, dst))
            .unwrap();
        assert_eq!(icmp.header_len(), msg.len());
        let mut out = vec![0u8; msg.len()];
        icmp.emit(&mut out, &EmitContext::default()).unwrap();
        assert_eq!(out, msg);
        let computed = Icmpv6 {
            csum: None,
            ..icmp.clone()
        };
        let ctx = EmitContext {
            ip: Some(IpPair::V6(src, dst)),
            ..EmitContext::default()
        };
        out.fill(0);
        computed.emit(&mut out, &ctx).unwrap();
        assert_eq!(out, msg);
        assert_eq!(
            step_icmpv6(&msg).unwrap(),
            Step {
                header_len: msg.len(),
                end: msg.len(),
                next: Next::Payload
            }
        );
    }
}

#[test]
fn captured_echo_request() {
    let (msg, _, _) = icmp_of(ECHO_REQUEST);
    let v = Icmpv6View::parse(&msg[..]).unwrap();
    assert_eq!(
        (v.msg_type(), v.code(), v.checksum()),
        (Icmpv6Type::ECHO_REQUEST, 0, 25365)
    );
    assert_eq!(v.body().len(), 60);
    let icmp = v.decode().unwrap();
    let Icmpv6Data::Echo(e) = &icmp.data else {
        panic!("{icmp:?}")
    };
    assert_eq!((e.id, e.seq, e.data.len()), (7163, 1, 56));
    // The reply a responder builds verifies against the swapped addresses.
    let reply = Packet::new()
        .push(Ethernet::new(
            crate::MacAddr::new(0, 0, 0, 0, 0, 1),
            crate::MacAddr::new(0, 0, 0, 0, 0, 2),
        ))
        .push(Ipv6::new(a("fd00::2"), a("fd00::1")))
        .push(Icmpv6::echo_reply(e.id, e.seq, e.data.clone()));
    let frame = reply.to_vec().unwrap();
    let (rmsg, s, d) = icmp_of(&frame);
    Icmpv6View::parse(&rmsg[..])
        .unwrap()
        .verify_checksum(&IpPair::V6(s, d))
        .unwrap();
    let back = Packet::parse(&frame).unwrap();
    let r = back.get::<Icmpv6>().unwrap();
    assert_eq!((r.type_, &r.data), (Icmpv6Type::ECHO_REPLY, &icmp.data));
}

#[test]
fn captured_mldv2_report() {
    let icmp = Icmpv6::parse(&icmp_of(MLDV2_REPORT).0).unwrap();
    let Icmpv6Data::Mldv2Report(r) = &icmp.data else {
        panic!("{icmp:?}")
    };
    assert_eq!(
        (r.reserved, r.record_num, r.trailing.len()),
        (0, Some(1), 0)
    );
    assert_eq!(
        r.records,
        vec![Mldv2ReportGroup {
            aux_len: Some(0),
            num: Some(0),
            ..Mldv2ReportGroup::new(
                Mldv2ReportGroup::CHANGE_TO_EXCLUDE_MODE,
                a("ff02::1:ff00:2"),
                vec![]
            )
        }]
    );
}

#[test]
fn captured_neighbor_solicitation_keeps_unknown_option() {
    let icmp = Icmpv6::parse(&icmp_of(NEIGHBOR_SOLICIT).0).unwrap();
    let Icmpv6Data::NdNeighbor(n) = &icmp.data else {
        panic!("{icmp:?}")
    };
    assert_eq!((n.res, n.reserved, n.dst), (0, 0, a("fe80::200:ff:fe00:1")));
    // RFC 7527 nonce option (type 14), which os-ken shows as raw bytes too.
    assert_eq!(
        n.options,
        vec![NdOption {
            type_: 14,
            length: Some(1),
            data: hex("a76c6f7f16e9")
        }]
    );
    assert_eq!(n.options[0].link_addr(), None);
}

#[test]
fn decoded_fields() {
    let Icmpv6Data::Mldv2Query(q) = parse_scapy("MLDv2 group-and-source query").data else {
        panic!()
    };
    assert_eq!(
        (q.maxresp, q.max_resp_delay_ms(), q.address),
        (1000, 1000, a("ff05::1:3"))
    );
    assert_eq!(
        (q.resv, q.s_flg, q.qrv, q.qqic, q.qqi_secs()),
        (0, true, 3, 60, 60)
    );
    assert_eq!(
        (q.num, &q.srcs[..], q.trailing.len()),
        (Some(1), &[a("2001:db8::7")][..], 0)
    );
    let big = Mldv2Query {
        maxresp: 0x8000,
        qqic: 0x80,
        ..q.clone()
    };
    assert_eq!((big.max_resp_delay_ms(), big.qqi_secs()), (32768, 128));
    let max = Mldv2Query {
        maxresp: 0xffff,
        qqic: 0xff,
        ..q
    };
    assert_eq!(
        (max.max_resp_delay_ms(), max.qqi_secs()),
        (8_387_584, 31744)
    );

    let Icmpv6Data::NdRouterAdvert(ra) = parse_scapy("router advertisement").data else {
        panic!()
    };
    // O flag set; flags 8 is scapy's default router preference (RFC 4191 Prf 01).
    assert_eq!(
        (ra.ch_l, ra.res, ra.flags, ra.rou_l, ra.rea_t, ra.ret_t),
        (64, 1, 8, 1800, 0, 0)
    );
    assert_eq!(
        ra.options.iter().map(|o| o.type_).collect::<Vec<_>>(),
        [NdOption::SLA, NdOption::MTU, NdOption::PI]
    );
    assert_eq!(
        ra.options[0].link_addr(),
        Some(crate::MacAddr::new(0x52, 0x54, 0, 0xab, 0xcd, 0xef))
    );
    assert_eq!(
        ra.options[1],
        NdOption {
            length: Some(1),
            ..NdOption::mtu(1500)
        }
    );

    let Icmpv6Data::NdNeighbor(na) = parse_scapy("neighbor advertisement").data else {
        panic!()
    };
    assert_eq!(
        na.res,
        NdNeighbor::ROUTER | NdNeighbor::SOLICITED | NdNeighbor::OVERRIDE
    );

    let te = parse_scapy("time exceeded (traceroute)");
    let Icmpv6Data::TimeExceeded { unused: 0, data } = &te.data else {
        panic!("{te:?}")
    };
    // The invoking packet: the traceroute probe's IPv6 header, UDP header and data.
    let inner = Ipv6::parse(data).unwrap();
    assert_eq!((inner.dst, inner.hop_limit), (a("2001:db8:1::9"), 1));
    assert!(matches!(
        parse_scapy("packet too big").data,
        Icmpv6Data::PacketTooBig { mtu: 1280, .. }
    ));
    assert!(matches!(
        parse_scapy("parameter problem").data,
        Icmpv6Data::ParamProblem { pointer: 40, .. }
    ));
    let du = parse_scapy("destination unreachable, port");
    assert!(matches!(
        (du.code, &du.data),
        (4, Icmpv6Data::DestUnreachable { unused: 0, .. })
    ));
}

/// The solicitation scapy built, rebuilt with our builder from owned values.
#[test]
fn build_neighbor_solicitation_like_scapy() {
    let mac = crate::MacAddr::new(0x52, 0x54, 0, 0x12, 0x34, 0x56);
    let target = a("fe80::1");
    let group = a("ff02::1:ff00:1");
    let mut ip = Ipv6::new(a("fe80::5054:ff:fe12:3456"), group);
    ip.hop_limit = 255;
    let frame = (Ethernet::new(crate::MacAddr::from_ipv6_multicast(group), mac)
        / ip
        / Icmpv6::neighbor_solicit(target, Some(mac)))
    .to_vec()
    .unwrap();
    assert_eq!(frame, scapy("neighbor solicitation"));
}

#[test]
fn checksum_verification() {
    let (mut msg, src, dst) = icmp_of(ECHO_REQUEST);
    let good = be16(&msg, 2);
    Icmpv6View::parse(&msg[..])
        .unwrap()
        .verify_checksum(&IpPair::V6(src, dst))
        .unwrap();
    msg[2..4].copy_from_slice(&0x1234u16.to_be_bytes());
    let e = Icmpv6View::parse(&msg[..])
        .unwrap()
        .verify_checksum(&IpPair::V6(src, dst))
        .unwrap_err();
    assert_eq!(
        e,
        Error::BadChecksum {
            layer: L,
            offset: 2,
            computed: good,
            found: 0x1234
        }
    );
    // Wrong addresses in the pseudo-header fail too.
    let mut v = Icmpv6View::parse(&mut msg[..]).unwrap();
    v.fill_checksum(&IpPair::V6(src, dst));
    assert_eq!(v.checksum(), good);
    v.verify_checksum(&IpPair::V6(src, dst)).unwrap();
    assert!(
        v.verify_checksum(&IpPair::V6(dst, src)).is_ok(),
        "the sum is symmetric in src and dst"
    );
    assert!(v.verify_checksum(&IpPair::V6(src, a("fd00::3"))).is_err());
    // A flipped data bit.
    msg[20] ^= 1;
    assert!(matches!(
        Icmpv6View::parse(&msg[..])
            .unwrap()
            .verify_checksum(&IpPair::V6(src, dst)),
        Err(Error::BadChecksum { .. })
    ));
    // An odd-length message.
    let mut odd = Icmpv6::echo_request(1, 2, &b"abc"[..]);
    let mut out = vec![0u8; odd.header_len()];
    let ctx = EmitContext {
        ip: Some(IpPair::V6(src, dst)),
        ..EmitContext::default()
    };
    odd.emit(&mut out, &ctx).unwrap();
    Icmpv6View::parse(&out[..])
        .unwrap()
        .verify_checksum(&IpPair::V6(src, dst))
        .unwrap();
    odd.csum = Some(0);
    odd.emit(&mut out, &ctx).unwrap();
    assert_eq!(be16(&out, 2), 0);
}

fn perr(b: &[u8]) -> Error {
    Icmpv6::parse(b).unwrap_err()
}

/// `type | code | checksum` and `body`.
fn msg(t: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![t, 0, 0, 0];
    v.extend_from_slice(body);
    v
}

#[test]
fn negative_lengths() {
    assert!(matches!(
        perr(&[128, 0, 0]),
        Error::Truncated {
            layer: L,
            what: "header",
            needed: 4,
            available: 3,
            ..
        }
    ));
    assert!(step_icmpv6(&[128]).is_err());
    assert!(matches!(
        perr(&msg(128, &[0, 1, 0])),
        Error::Truncated {
            what: "echo message",
            needed: 8,
            available: 7,
            ..
        }
    ));
    for t in [1, 2, 3, 4, 133] {
        assert!(
            matches!(perr(&msg(t, &[0; 3])), Error::Truncated { needed: 8, .. }),
            "{t}"
        );
    }
    assert!(matches!(
        perr(&msg(134, &[0; 11])),
        Error::Truncated {
            what: "router advertisement",
            needed: 16,
            ..
        }
    ));
    assert!(matches!(
        perr(&msg(135, &[0; 19])),
        Error::Truncated { needed: 24, .. }
    ));
    assert!(matches!(
        perr(&msg(136, &[0; 4])),
        Error::Truncated { needed: 24, .. }
    ));
    for t in [130, 131, 132] {
        assert!(matches!(
            perr(&msg(t, &[0; 19])),
            Error::Truncated {
                what: "MLD message",
                needed: 24,
                ..
            }
        ));
    }
    // RFC 3810 §8.1: a 26-byte query is neither MLDv1 nor MLDv2; a long v1 report is no
    // MLDv2 message either. Both are kept as raw bytes.
    assert_eq!(
        Icmpv6::parse(&msg(130, &[7; 22])).unwrap().data,
        Icmpv6Data::Raw(vec![7; 22])
    );
    assert_eq!(
        Icmpv6::parse(&msg(131, &[7; 21])).unwrap().data,
        Icmpv6Data::Raw(vec![7; 21])
    );
    assert_eq!(
        Icmpv6::parse(&msg(200, &[])).unwrap().data,
        Icmpv6Data::Raw(vec![])
    );

    // MLDv2 query: 2 sources announced, 1 there.
    let mut q = msg(130, &[0; 24]);
    q[27] = 2;
    q.extend_from_slice(&[0; 16]);
    assert!(matches!(
        perr(&q),
        Error::BadLength {
            field: "num",
            value: 2,
            offset: 26,
            ..
        }
    ));
    q.extend_from_slice(&[0; 16]);
    assert!(Icmpv6::parse(&q).is_ok());
    q.extend_from_slice(&[9; 3]);
    let Icmpv6Data::Mldv2Query(p) = Icmpv6::parse(&q).unwrap().data else {
        panic!()
    };
    assert_eq!(p.trailing, [9; 3]);

    // MLDv2 report.
    assert!(matches!(
        perr(&msg(143, &[0; 3])),
        Error::Truncated {
            what: "MLDv2 report header",
            ..
        }
    ));
    let mut r = msg(143, &[0, 0, 0, 2]);
    r.extend_from_slice(&[4, 0, 0, 0]);
    r.extend_from_slice(&[0; 16]);
    assert!(matches!(
        perr(&r),
        Error::BadLength {
            field: "record_num",
            value: 2,
            offset: 6,
            ..
        }
    ));
    r.extend_from_slice(&[4, 0, 0]);
    assert!(matches!(
        perr(&r),
        Error::Truncated {
            what: "multicast address record",
            offset: 28,
            needed: 20,
            available: 3,
            ..
        }
    ));
    let mut r = msg(143, &[0, 0, 0, 1, 4, 0, 0, 1]);
    r.extend_from_slice(&[0; 16 + 15]);
    assert!(matches!(
        perr(&r),
        Error::BadLength {
            field: "num",
            value: 1,
            offset: 10,
            ..
        }
    ));
    let mut r = msg(143, &[0, 0, 0, 1, 4, 2, 0, 0]);
    r.extend_from_slice(&[0; 16 + 7]);
    assert!(matches!(
        perr(&r),
        Error::BadLength {
            field: "aux_len",
            value: 2,
            offset: 9,
            ..
        }
    ));
    r.push(0);
    let Icmpv6Data::Mldv2Report(p) = Icmpv6::parse(&r).unwrap().data else {
        panic!()
    };
    assert_eq!(p.records[0].aux, [0; 8]);
    r.push(5);
    let Icmpv6Data::Mldv2Report(p) = Icmpv6::parse(&r).unwrap().data else {
        panic!()
    };
    assert_eq!(p.trailing, [5]);

    // ND options.
    let ns = msg(135, &[0; 20]);
    let with = |o: &[u8]| [&ns[..], o].concat();
    assert!(matches!(
        perr(&with(&[1])),
        Error::Truncated {
            what: "ND option",
            offset: 24,
            needed: 2,
            available: 1,
            ..
        }
    ));
    assert!(matches!(
        perr(&with(&[1, 0, 0, 0, 0, 0, 0, 0])),
        Error::BadLength {
            field: "option length",
            value: 0,
            offset: 25,
            ..
        }
    ));
    assert!(matches!(
        perr(&with(&[1, 2, 0, 0, 0, 0, 0, 0])),
        Error::BadLength {
            field: "option length",
            value: 2,
            offset: 25,
            ..
        }
    ));
    assert!(matches!(
        perr(&with(&[1, 1, 0, 0, 0, 0, 0, 0, 3])),
        Error::Truncated { offset: 32, .. }
    ));
    let rs = msg(133, &[0; 4]);
    assert!(matches!(
        perr(&[&rs[..], &[1, 1, 0, 0]].concat()),
        Error::BadLength { offset: 9, .. }
    ));
    let ra = msg(134, &[0; 12]);
    assert!(matches!(
        perr(&[&ra[..], &[5, 0]].concat()),
        Error::BadLength {
            value: 0,
            offset: 17,
            ..
        }
    ));
}

#[test]
fn emit_errors() {
    let echo = Icmpv6::echo_request(1, 1, vec![]);
    assert!(matches!(
        echo.emit(&mut [0u8; 7], &EmitContext::default()),
        Err(Error::Unencodable { what: "header", .. })
    ));
    assert!(matches!(
        echo.emit(&mut [0u8; 8], &EmitContext::default()),
        Err(Error::Unencodable { what: "csum", .. })
    ));
    let v4 = EmitContext {
        ip: Some(IpPair::V4([10, 0, 0, 1].into(), [10, 0, 0, 2].into())),
        ..EmitContext::default()
    };
    assert!(matches!(
        echo.emit(&mut [0u8; 8], &v4),
        Err(Error::Unencodable { what: "csum", .. })
    ));
    let ctx = EmitContext {
        ip: Some(IpPair::V6(a("::1"), a("::2"))),
        ..EmitContext::default()
    };
    echo.emit(&mut [0u8; 8], &ctx).unwrap();

    let ns = |o: NdOption| {
        Icmpv6::new(
            Icmpv6Type::ND_NEIGHBOR_SOLICIT,
            Icmpv6Data::NdNeighbor(NdNeighbor {
                res: 0,
                reserved: 0,
                dst: a("::1"),
                options: vec![o],
            }),
        )
    };
    let bad = ns(NdOption::new(1, [0; 5]));
    let mut out = vec![0u8; bad.header_len()];
    assert!(matches!(
        bad.emit(&mut out, &ctx),
        Err(Error::Unencodable {
            what: "ND option",
            ..
        })
    ));
    let given = ns(NdOption {
        length: Some(1),
        ..NdOption::new(1, [0; 5])
    });
    given.emit(&mut out, &ctx).unwrap();
    let big = ns(NdOption::new(1, vec![0; 2046]));
    let mut out = vec![0u8; big.header_len()];
    assert!(big.emit(&mut out, &ctx).is_err());

    let mut g = Mldv2ReportGroup::new(1, a("ff05::1"), vec![]);
    g.aux = vec![1, 2, 3];
    let r = Icmpv6::mldv2_report(vec![g]);
    let mut out = vec![0u8; r.header_len()];
    assert!(matches!(
        r.emit(&mut out, &ctx),
        Err(Error::Unencodable { what: "aux", .. })
    ));

    let mut q = Mldv2Query::general(1000);
    q.qrv = 8;
    let q = Icmpv6::new(Icmpv6Type::MLD_LISTENER_QUERY, Icmpv6Data::Mldv2Query(q));
    assert!(q.emit(&mut [0u8; 28], &ctx).is_err());
    let na = Icmpv6::new(
        Icmpv6Type::ND_NEIGHBOR_ADVERT,
        Icmpv6Data::NdNeighbor(NdNeighbor {
            res: 8,
            reserved: 0,
            dst: a("::1"),
            options: vec![],
        }),
    );
    assert!(na.emit(&mut [0u8; 24], &ctx).is_err());
    let ra = Icmpv6::new(
        Icmpv6Type::ND_ROUTER_ADVERT,
        Icmpv6Data::NdRouterAdvert(NdRouterAdvert {
            res: 4,
            ..NdRouterAdvert::default()
        }),
    );
    assert!(ra.emit(&mut [0u8; 16], &ctx).is_err());
}

#[test]
fn counts_computed_on_emit() {
    let q = Mldv2Query {
        srcs: vec![a("2001:db8::1"), a("2001:db8::2")],
        ..Mldv2Query::general(10000)
    };
    let mut g = Mldv2ReportGroup::new(
        Mldv2ReportGroup::MODE_IS_INCLUDE,
        a("ff05::2"),
        vec![a("2001:db8::9")],
    );
    g.aux = vec![1, 2, 3, 4, 5, 6, 7, 8];
    let ctx = EmitContext {
        ip: Some(IpPair::V6(a("fe80::1"), a("ff02::1"))),
        ..EmitContext::default()
    };
    for m in [
        Icmpv6::new(Icmpv6Type::MLD_LISTENER_QUERY, Icmpv6Data::Mldv2Query(q)),
        Icmpv6::mldv2_report(vec![g, Mldv2ReportGroup::new(4, a("ff02::fb"), vec![])]),
        Icmpv6::new(
            Icmpv6Type::ND_ROUTER_ADVERT,
            Icmpv6Data::NdRouterAdvert(NdRouterAdvert {
                ch_l: 64,
                res: 2,
                options: vec![
                    NdOption::mtu(9000),
                    NdOption::source_link_addr(crate::MacAddr::BROADCAST),
                ],
                ..NdRouterAdvert::default()
            }),
        ),
    ] {
        let mut out = vec![0u8; m.header_len()];
        m.emit(&mut out, &ctx).unwrap();
        let back = Icmpv6::parse(&out).unwrap();
        Icmpv6View::parse(&out[..])
            .unwrap()
            .verify_checksum(&IpPair::V6(a("fe80::1"), a("ff02::1")))
            .unwrap();
        let mut out2 = vec![0u8; back.header_len()];
        back.emit(&mut out2, &EmitContext::default()).unwrap();
        assert_eq!(out, out2);
        match back.data {
            Icmpv6Data::Mldv2Query(q) => assert_eq!(q.num, Some(2)),
            Icmpv6Data::Mldv2Report(r) => {
                assert_eq!(r.record_num, Some(2));
                assert_eq!((r.records[0].num, r.records[0].aux_len), (Some(1), Some(2)));
            }
            Icmpv6Data::NdRouterAdvert(ra) => {
                assert_eq!(
                    ra.options.iter().map(|o| o.length).collect::<Vec<_>>(),
                    [Some(1), Some(1)]
                );
            }
            other => panic!("{other:?}"),
        }
    }
}

fn arb_addr() -> impl Strategy<Value = Ipv6Addr> {
    any::<[u8; 16]>().prop_map(Ipv6Addr::from)
}

fn arb_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}

fn arb_options() -> impl Strategy<Value = Vec<NdOption>> {
    let opt = (any::<u8>(), 1u8..4).prop_flat_map(|(t, l)| {
        proptest::collection::vec(any::<u8>(), usize::from(l) * 8 - 2).prop_map(move |data| {
            NdOption {
                type_: t,
                length: Some(l),
                data,
            }
        })
    });
    proptest::collection::vec(opt, 0..3)
}

fn arb_group() -> impl Strategy<Value = Mldv2ReportGroup> {
    (
        any::<u8>(),
        arb_addr(),
        proptest::collection::vec(arb_addr(), 0..3),
        0u8..3,
    )
        .prop_flat_map(|(t, address, srcs, aux_len)| {
            proptest::collection::vec(any::<u8>(), usize::from(aux_len) * 4).prop_map(move |aux| {
                Mldv2ReportGroup {
                    type_: t,
                    aux_len: Some(aux_len),
                    num: Some(u16::try_from(srcs.len()).unwrap()),
                    address,
                    srcs: srcs.clone(),
                    aux,
                }
            })
        })
}

/// A valid (type, body) pair: the type selects the body's variant on parse.
fn arb_data() -> impl Strategy<Value = (u8, Icmpv6Data)> {
    let word = || (any::<u32>(), arb_bytes(48));
    prop_oneof![
        (
            prop_oneof![Just(128u8), Just(129)],
            any::<u16>(),
            any::<u16>(),
            arb_bytes(40)
        )
            .prop_map(|(t, id, seq, data)| (t, Icmpv6Data::Echo(Echo { id, seq, data }))),
        word().prop_map(|(unused, data)| (1, Icmpv6Data::DestUnreachable { unused, data })),
        word().prop_map(|(mtu, data)| (2, Icmpv6Data::PacketTooBig { mtu, data })),
        word().prop_map(|(unused, data)| (3, Icmpv6Data::TimeExceeded { unused, data })),
        word().prop_map(|(pointer, data)| (4, Icmpv6Data::ParamProblem { pointer, data })),
        (130u8..133, any::<u16>(), any::<u16>(), arb_addr()).prop_map(
            |(t, maxresp, reserved, address)| (
                t,
                Icmpv6Data::Mld(Mld {
                    maxresp,
                    reserved,
                    address
                })
            )
        ),
        (
            any::<(u16, u16, u8, bool, u8, u8)>(),
            arb_addr(),
            proptest::collection::vec(arb_addr(), 0..3),
            arb_bytes(6)
        )
            .prop_map(
                |((maxresp, reserved, resv, s_flg, qrv, qqic), address, srcs, trailing)| {
                    let num = Some(u16::try_from(srcs.len()).unwrap());
                    let q = Mldv2Query {
                        maxresp,
                        reserved,
                        address,
                        resv: resv & 15,
                        s_flg,
                        qrv: qrv & 7,
                        qqic,
                        num,
                        srcs,
                        trailing,
                    };
                    (130, Icmpv6Data::Mldv2Query(q))
                }
            ),
        (
            any::<u16>(),
            proptest::collection::vec(arb_group(), 0..3),
            arb_bytes(6)
        )
            .prop_map(|(reserved, records, trailing)| {
                let record_num = Some(u16::try_from(records.len()).unwrap());
                (
                    143,
                    Icmpv6Data::Mldv2Report(Mldv2Report {
                        reserved,
                        record_num,
                        records,
                        trailing,
                    }),
                )
            }),
        (any::<u32>(), arb_options()).prop_map(|(res, options)| (
            133,
            Icmpv6Data::NdRouterSolicit(NdRouterSolicit { res, options })
        )),
        (any::<(u8, u8, u16, u32, u32)>(), arb_options()).prop_map(
            |((ch_l, fl, rou_l, rea_t, ret_t), options)| {
                let ra = NdRouterAdvert {
                    ch_l,
                    res: fl >> 6,
                    flags: fl & 0x3f,
                    rou_l,
                    rea_t,
                    ret_t,
                    options,
                };
                (134, Icmpv6Data::NdRouterAdvert(ra))
            }
        ),
        (
            prop_oneof![Just(135u8), Just(136)],
            any::<u32>(),
            arb_addr(),
            arb_options()
        )
            .prop_map(|(t, w, dst, options)| {
                #[allow(clippy::cast_possible_truncation)]
                let res = (w >> 29) as u8;
                (
                    t,
                    Icmpv6Data::NdNeighbor(NdNeighbor {
                        res,
                        reserved: w & 0x1fff_ffff,
                        dst,
                        options,
                    }),
                )
            }),
        (
            any::<u8>().prop_filter("unmodelled type", |t| !matches!(t, 1..=4 | 128..=136 | 143)),
            arb_bytes(40)
        )
            .prop_map(|(t, b)| (t, Icmpv6Data::Raw(b))),
    ]
}

fn check_round_trip(bytes: &[u8]) {
    match Icmpv6::parse(bytes) {
        Ok(m) => {
            assert_eq!(m.header_len(), bytes.len());
            let mut out = vec![0u8; bytes.len()];
            m.emit(&mut out, &EmitContext::default()).unwrap();
            assert_eq!(out, bytes);
            let _ = m.to_string();
        }
        Err(e) => assert_eq!(e.layer(), L),
    }
}

/// With `serde`, the shape of Ryu's `to_jsondict()` for the same frames (os-ken 4.2.2
/// printed `{"icmpv6": {"code": 0, "csum": 25365, "data": {"echo": {..., "id": 7163,
/// "seq": 1}}, "type": 128}}` and `{"icmpv6": {..., "data": {"mldv2_report": {"record_num":
/// 1, "records": [...]}}, "type": 143}}`); bytes are arrays here, base64 in Ryu.
#[cfg(feature = "serde")]
#[test]
fn json_shape_and_round_trip() {
    let pkt = Packet::parse(ECHO_REQUEST).unwrap();
    let j = serde_json::to_value(&pkt).unwrap();
    let icmp = &j["layers"][2]["icmpv6"];
    assert_eq!(
        (&icmp["type"], &icmp["code"], &icmp["csum"]),
        (&128.into(), &0.into(), &25365.into())
    );
    assert_eq!(
        (&icmp["data"]["echo"]["id"], &icmp["data"]["echo"]["seq"]),
        (&7163.into(), &1.into())
    );
    let back: Packet = serde_json::from_value(j).unwrap();
    assert_eq!(back, pkt);

    let pkt = Packet::parse(MLDV2_REPORT).unwrap();
    let j = serde_json::to_value(&pkt).unwrap();
    let r = &j["layers"][2]["icmpv6"]["data"]["mldv2_report"];
    assert_eq!(r["record_num"], 1);
    assert_eq!(r["records"][0]["address"], "ff02::1:ff00:2");
    assert_eq!(r["records"][0]["type"], 4);
    let back: Packet = serde_json::from_value(j).unwrap();
    assert_eq!(back.to_vec().unwrap(), MLDV2_REPORT);
    for (_, h, _) in SCAPY {
        let pkt = Packet::parse(&hex(h)).unwrap();
        let back: Packet = serde_json::from_str(&serde_json::to_string(&pkt).unwrap()).unwrap();
        assert_eq!(back, pkt);
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_round_trip(bytes in arb_bytes(120)) {
        check_round_trip(&bytes);
    }

    #[test]
    fn arbitrary_bodies_of_known_types_round_trip(
        t in prop_oneof![1u8..=4, 128u8..=137, Just(143)],
        body in arb_bytes(100),
    ) {
        check_round_trip(&msg(t, &body));
    }

    #[test]
    fn owned_values_round_trip((t, data) in arb_data(), code in any::<u8>(), csum in any::<u16>()) {
        let m = Icmpv6 { type_: Icmpv6Type(t), code, csum: Some(csum), data };
        let mut out = vec![0u8; m.header_len()];
        m.emit(&mut out, &EmitContext::default()).unwrap();
        prop_assert_eq!(Icmpv6::parse(&out).unwrap(), m);
    }

    #[test]
    fn computed_checksums_verify((t, data) in arb_data(), src in arb_addr(), dst in arb_addr()) {
        let m = Icmpv6 { type_: Icmpv6Type(t), code: 0, csum: None, data };
        let mut out = vec![0u8; m.header_len()];
        m.emit(&mut out, &EmitContext { ip: Some(IpPair::V6(src, dst)), ..EmitContext::default() }).unwrap();
        Icmpv6View::parse(&out[..]).unwrap().verify_checksum(&IpPair::V6(src, dst)).unwrap();
    }
}

/// The view's MLDv2 records are the decoded records, field for field, on the captured report
/// and on scapy's reports (sources, auxiliary data).
#[test]
fn mldv2_record_views_match_decode() {
    let frames = [
        MLDV2_REPORT.to_vec(),
        scapy("MLDv2 report, two records, sources"),
    ];
    let mut seen = 0;
    for f in &frames {
        let (m, _, _) = icmp_of(f);
        let Icmpv6Data::Mldv2Report(r) = Icmpv6::parse(&m).unwrap().data else {
            panic!()
        };
        let v = Icmpv6View::parse(&m[..]).unwrap();
        assert_eq!(
            v.mldv2_report_header(),
            Some((r.reserved, r.record_num.unwrap()))
        );
        let views: Vec<_> = v.mldv2_records().unwrap().map(Result::unwrap).collect();
        let decoded: Vec<_> = views.iter().map(Mldv2RecordView::decode).collect();
        assert_eq!(decoded, r.records);
        let mut at = 8;
        for (rv, g) in views.iter().zip(&r.records) {
            assert_eq!(rv.offset(), at);
            assert_eq!(rv.sources().len(), g.srcs.len());
            assert_eq!(rv.to_string(), g.to_string());
            at += rv.record_len();
            seen += 1;
        }
    }
    assert_eq!(seen, 3);
    // Auxiliary data and trailing bytes.
    let mut r = msg(143, &[0, 0, 0, 1, 2, 1, 0, 1]);
    r.extend_from_slice(&[0xff; 16]);
    r.extend_from_slice(&[0x20; 16]);
    r.extend_from_slice(&[0xaa, 0xbb, 0xcc, 0xdd, 9]);
    let v = Icmpv6View::parse(&r[..]).unwrap();
    let mut it = v.mldv2_records().unwrap();
    let rec = it.next().unwrap().unwrap();
    assert_eq!(
        (
            rec.record_type(),
            rec.aux_len(),
            rec.num_sources(),
            rec.aux()
        ),
        (2, 1, 1, &[0xaa, 0xbb, 0xcc, 0xdd][..])
    );
    assert_eq!(
        rec.sources().collect::<Vec<_>>(),
        [Ipv6Addr::from([0x20; 16])]
    );
    assert_eq!(rec.address(), Ipv6Addr::from([0xff; 16]));
    assert!(it.next().is_none());
    assert_eq!(it.offset(), r.len() - 1);
}

/// Every malformed report: the view's records give the error `Icmpv6::parse` gives (layer,
/// field, offset), once, then end; records before the bad one come first.
#[test]
fn mldv2_record_views_refuse_what_decode_refuses() {
    let rec = |t: u8, aux: u8, num: u16| {
        let mut v = vec![t, aux];
        v.extend_from_slice(&num.to_be_bytes());
        v.extend_from_slice(&[0xff; 16]);
        v
    };
    let good = rec(1, 0, 0);
    let cases: Vec<(Vec<u8>, usize)> = vec![
        // two records counted, one present
        ([&[0, 0, 0, 2][..], &good].concat(), 1),
        // a record cut inside its fixed part
        ([&[0, 0, 0, 2][..], &good, &good[..19]].concat(), 1),
        // sources past the end
        (
            [&[0, 0, 0, 2][..], &good, &rec(1, 0, 2), &[0; 16]].concat(),
            1,
        ),
        // auxiliary data past the end
        ([&[0, 0, 0, 1][..], &rec(1, 3, 0), &[0; 11]].concat(), 0),
        // no record at all
        (vec![0, 0, 0, 1], 0),
    ];
    for (body, ok_before) in cases {
        let m = msg(143, &body);
        let want = perr(&m);
        let v = Icmpv6View::parse(&m[..]).unwrap();
        assert_eq!(v.check_body(), Err(want.clone()));
        let items: Vec<_> = v.mldv2_records().unwrap().collect();
        assert_eq!(items.len(), ok_before + 1, "{body:x?}");
        assert!(items[..ok_before].iter().all(Result::is_ok));
        assert_eq!(items[ok_before].as_ref().err(), Some(&want));
        assert!(want.offset().is_some());
        assert_eq!(want.layer(), LayerKind::Icmpv6);
    }
    // Not a report, or shorter than the report header: no records (check_body says why).
    assert!(Icmpv6View::parse(&msg(128, &[0; 4])[..])
        .unwrap()
        .mldv2_records()
        .is_none());
    let short = msg(143, &[0, 0, 0]);
    let v = Icmpv6View::parse(&short[..]).unwrap();
    assert!(v.mldv2_records().is_none());
    assert!(v.mldv2_report_header().is_none());
    assert!(v.check_body().is_err());
}
