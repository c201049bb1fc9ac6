use super::*;
use crate::Encode;
use alloc::string::ToString;
use alloc::vec;
use proptest::prelude::*;

fn h(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn ip(a: u8, b: u8, c: u8, d: u8) -> Ipv4Addr {
    Ipv4Addr::new(a, b, c, d)
}

fn emit(m: &Igmp) -> Vec<u8> {
    let mut out = vec![0u8; m.header_len()];
    m.emit(&mut out, &EmitContext::default()).unwrap();
    out
}

/// Parses `bytes`, checks the checksum, and checks that emitting gives the same bytes back.
fn roundtrip(bytes: &[u8]) -> Igmp {
    let v = IgmpView::parse(bytes).unwrap();
    v.verify_checksum().unwrap();
    assert_eq!(v.compute_checksum(), v.checksum());
    let m = Igmp::parse(bytes).unwrap();
    assert_eq!(emit(&m), bytes);
    m
}

// Ryu book, "IGMP snooping": hosts join and leave group 225.0.0.1. Frames built with scapy
// 2.8 (/work/main/.venv) the way a Linux host sends them: TOS 0xc0, DF, TTL 1, IPv4 Router
// Alert option; the report goes to the group (01:00:5e:00:00:01), the leave to 224.0.0.2.
// Ethernet padding to 60 bytes added by hand.
const RYU_V2_REPORT_FRAME: &str = "01005e000001000000000002080046c00020000040000102f9140a000002\
                                   e100000194040000160008fee1000001";
const RYU_V2_LEAVE_FRAME: &str = "01005e000002000000000002080046c00020000040000102fa130a000002\
                                  e000000294040000170007fee1000001";

// Real captures (tcpdump hex dumps) from gopacket's layers/igmp_test.go; IGMP bytes only.
/// `IP 10.60.0.132 > 224.0.1.60: igmp v1 report 224.0.1.60`
const GP_V1_REPORT: &str = "12000cc3e000013c";
/// `IP 10.60.0.189 > 224.0.0.1: igmp query v2`
const GP_V2_QUERY: &str = "1164ee9b00000000";
/// `IP 10.60.5.103 > 239.255.255.253: igmp v2 report 239.255.255.253`
const GP_V2_REPORT: &str = "1600fa01effffffd";
/// `IP 192.168.1.254 > 224.0.0.1: igmp query v3 [max resp time 2.4s]`
const GP_V3_QUERY: &str = "1118ecd30000000002140000";
/// `IP 192.168.1.66 > 224.0.0.22: igmp v3 report, 2 group record(s)`
const GP_V3_REPORT: &str = "2200f33c0000000202000000efc3070202000000effffffa";

// Built with scapy 2.8 (scapy.layers.igmp): a v3 report with one record of each type.
const V3_REPORT_6: &str = "220070230000000601000002e10000010a0000010a00000302000000e1000002\
                           03000001e1000003c0a8010104000000e100000405000003e80101010a010101\
                           0a0101020a01010306000001e80101020a020202";
// Built with scapy 2.8: queries from 10.0.0.1.
const V1_QUERY: &str = "1100eeff00000000";
const V2_GENERAL_QUERY: &str = "1164ee9b00000000";
const V2_GROUP_QUERY: &str = "110a0df4e1000001";
const V3_GENERAL_QUERY: &str = "1164ec1e00000000027d0000";
const V3_GROUP_QUERY: &str = "110a0b77e1000001027d0000";
const V3_GROUP_SOURCE_QUERY: &str = "110ae56ee80101010a7d00020a0101010a010102";
// Serialized by os-ken: a v3 report whose second record carries one word of aux data.
const V3_REPORT_AUX: &str = "22004a2f0000000201000001e10000010a00000102010000e100000261626364";

#[test]
fn ryu_book_v2_report() {
    let mut frame = h(RYU_V2_REPORT_FRAME);
    frame.resize(60, 0);
    let bytes = &frame[38..46];
    let v = IgmpView::parse(bytes).unwrap();
    assert_eq!(v.kind(), MessageKind::ReportV2);
    assert_eq!(v.msg_type(), IgmpType::REPORT_V2);
    assert_eq!(v.group_address(), ip(225, 0, 0, 1));
    assert_eq!(v.max_resp_time(), None);
    assert_eq!(
        crate::MacAddr::from_ipv4_multicast(v.group_address()).octets(),
        frame[..6]
    );
    let m = roundtrip(bytes);
    // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
    assert_eq!(
        m.to_string(),
        "igmp(address='225.0.0.1',csum=2302,maxresp=0,msgtype=22)"
    );
    let built = Igmp::v2_report(ip(225, 0, 0, 1));
    assert_eq!(
        built.to_string(),
        "igmp(address='225.0.0.1',csum=None,maxresp=0,msgtype=22)"
    );
    assert_eq!(emit(&built), bytes);
    assert_eq!(built.ip_destination(), Some(ip(225, 0, 0, 1)));
    assert!(built.kind().is_report());
    assert_eq!(
        step_igmp(bytes).unwrap(),
        Step {
            header_len: 8,
            end: 8,
            next: Next::Payload
        }
    );
}

#[test]
fn ryu_book_v2_leave() {
    let frame = h(RYU_V2_LEAVE_FRAME);
    let bytes = &frame[38..46];
    let m = roundtrip(bytes);
    assert_eq!(m.kind(), MessageKind::LeaveV2);
    assert_eq!(m.group(), Some(ip(225, 0, 0, 1)));
    // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
    assert_eq!(
        m.to_string(),
        "igmp(address='225.0.0.1',csum=2046,maxresp=0,msgtype=23)"
    );
    let built = Igmp::v2_leave(ip(225, 0, 0, 1));
    assert_eq!(emit(&built), bytes);
    assert_eq!(built.ip_destination(), Some(ALL_ROUTERS));
    assert!(!built.kind().is_report());
}

#[test]
fn real_v1_report() {
    let m = roundtrip(&h(GP_V1_REPORT));
    assert_eq!(m.kind(), MessageKind::ReportV1);
    assert_eq!(m.kind().version(), Some(1));
    // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
    assert_eq!(
        m.to_string(),
        "igmp(address='224.0.1.60',csum=3267,maxresp=0,msgtype=18)"
    );
    assert_eq!(emit(&Igmp::v1_report(ip(224, 0, 1, 60))), h(GP_V1_REPORT));
}

#[test]
fn real_v2_query_and_report() {
    let q = roundtrip(&h(GP_V2_QUERY));
    assert_eq!(q.kind(), MessageKind::QueryV2);
    assert_eq!(q.max_resp_time(), Some(Duration::from_secs(10)));
    assert_eq!(q.ip_destination(), Some(ALL_SYSTEMS));
    // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
    assert_eq!(
        q.to_string(),
        "igmp(address='0.0.0.0',csum=61083,maxresp=100,msgtype=17)"
    );
    assert_eq!(
        emit(&Igmp::general_query_v2(DEFAULT_QUERY_RESPONSE_INTERVAL)),
        h(GP_V2_QUERY)
    );
    let r = roundtrip(&h(GP_V2_REPORT));
    assert_eq!(r.kind(), MessageKind::ReportV2);
    assert_eq!(
        r.to_string(),
        "igmp(address='239.255.255.253',csum=64001,maxresp=0,msgtype=22)"
    );
}

#[test]
fn real_v3_query() {
    let bytes = h(GP_V3_QUERY);
    let v = IgmpView::parse(&bytes[..]).unwrap();
    assert_eq!(v.kind(), MessageKind::QueryV3);
    assert_eq!(v.max_resp_time(), Some(Duration::from_millis(2400)));
    assert_eq!(v.qrv(), 2);
    assert_eq!(v.qqic(), 20);
    assert_eq!(v.qqi(), Some(Duration::from_secs(20)));
    assert!(!v.s_flag());
    assert_eq!(v.num_sources(), 0);
    assert_eq!(v.sources().count(), 0);
    let m = roundtrip(&bytes);
    // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
    assert_eq!(
        m.to_string(),
        "igmpv3_query(address='0.0.0.0',csum=60627,maxresp=24,msgtype=17,num=0,qqic=20,qrv=2,s_flg=0,srcs=[])"
    );
}

#[test]
fn real_v3_report() {
    let bytes = h(GP_V3_REPORT);
    let v = IgmpView::parse(&bytes[..]).unwrap();
    assert_eq!(v.kind(), MessageKind::ReportV3);
    assert_eq!(v.num_group_records(), 2);
    assert_eq!(v.group_address(), Ipv4Addr::UNSPECIFIED);
    let recs: Vec<_> = v.group_records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].record_type(), RecordType::IS_EX);
    assert_eq!(recs[0].multicast_address(), ip(239, 195, 7, 2));
    assert_eq!(recs[0].offset(), 8);
    assert_eq!(recs[1].multicast_address(), ip(239, 255, 255, 250));
    assert_eq!(recs[1].offset(), 16);
    let m = roundtrip(&bytes);
    // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
    assert_eq!(
        m.to_string(),
        "igmpv3_report(csum=62268,msgtype=34,record_num=2,records=[\
         igmpv3_report_group(address='239.195.7.2',aux=None,aux_len=0,num=0,srcs=[],type_=2), \
         igmpv3_report_group(address='239.255.255.250',aux=None,aux_len=0,num=0,srcs=[],type_=2)])"
    );
    assert_eq!(m.ip_destination(), Some(ALL_IGMPV3_ROUTERS));
}

#[test]
fn v3_report_every_record_type() {
    let bytes = h(V3_REPORT_6);
    let v = IgmpView::parse(&bytes[..]).unwrap();
    assert_eq!(v.message_len(), bytes.len());
    let recs: Vec<_> = v.group_records().map(Result::unwrap).collect();
    let types: Vec<u8> = recs.iter().map(|r| r.record_type().0).collect();
    assert_eq!(types, [1, 2, 3, 4, 5, 6]);
    let counts: Vec<u16> = recs.iter().map(GroupRecordView::num_sources).collect();
    assert_eq!(counts, [2, 0, 1, 0, 3, 1]);
    let allow: Vec<_> = recs[4].sources().map(Result::unwrap).collect();
    assert_eq!(allow, [ip(10, 1, 1, 1), ip(10, 1, 1, 2), ip(10, 1, 1, 3)]);
    assert!(recs[0].record_type().is_current_state());
    assert!(recs[2].record_type().is_filter_mode_change());
    assert!(recs[5].record_type().is_source_list_change());
    assert!(recs.iter().all(|r| r.aux_data().is_empty()));
    let m = roundtrip(&bytes);
    // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
    assert_eq!(
        m.to_string(),
        "igmpv3_report(csum=28707,msgtype=34,record_num=6,records=[\
         igmpv3_report_group(address='225.0.0.1',aux=None,aux_len=0,num=2,srcs=['10.0.0.1', '10.0.0.3'],type_=1), \
         igmpv3_report_group(address='225.0.0.2',aux=None,aux_len=0,num=0,srcs=[],type_=2), \
         igmpv3_report_group(address='225.0.0.3',aux=None,aux_len=0,num=1,srcs=['192.168.1.1'],type_=3), \
         igmpv3_report_group(address='225.0.0.4',aux=None,aux_len=0,num=0,srcs=[],type_=4), \
         igmpv3_report_group(address='232.1.1.1',aux=None,aux_len=0,num=3,srcs=['10.1.1.1', '10.1.1.2', '10.1.1.3'],type_=5), \
         igmpv3_report_group(address='232.1.1.2',aux=None,aux_len=0,num=1,srcs=['10.2.2.2'],type_=6)])"
    );
    let built = Igmp::v3_report(vec![
        GroupRecord::new(
            RecordType::IS_IN,
            ip(225, 0, 0, 1),
            vec![ip(10, 0, 0, 1), ip(10, 0, 0, 3)],
        ),
        GroupRecord::new(RecordType::IS_EX, ip(225, 0, 0, 2), vec![]),
        GroupRecord::new(
            RecordType::TO_IN,
            ip(225, 0, 0, 3),
            vec![ip(192, 168, 1, 1)],
        ),
        GroupRecord::new(RecordType::TO_EX, ip(225, 0, 0, 4), vec![]),
        GroupRecord::new(
            RecordType::ALLOW,
            ip(232, 1, 1, 1),
            vec![ip(10, 1, 1, 1), ip(10, 1, 1, 2), ip(10, 1, 1, 3)],
        ),
        GroupRecord::new(RecordType::BLOCK, ip(232, 1, 1, 2), vec![ip(10, 2, 2, 2)]),
    ]);
    assert_eq!(emit(&built), bytes);
}

#[test]
fn v3_report_aux_data() {
    let bytes = h(V3_REPORT_AUX);
    let v = IgmpView::parse(&bytes[..]).unwrap();
    let recs: Vec<_> = v.group_records().map(Result::unwrap).collect();
    assert_eq!(recs[1].aux_data_len(), 1);
    assert_eq!(recs[1].aux_data(), b"abcd");
    assert_eq!(recs[1].record_len(), 12);
    assert_eq!(GroupRecord::parse(recs[1].as_bytes()).unwrap().aux, b"abcd");
    let m = roundtrip(&bytes);
    // os-ken 2.x serialized these bytes and printed this.
    assert_eq!(
        m.to_string(),
        "igmpv3_report(csum=18991,msgtype=34,record_num=2,records=[\
         igmpv3_report_group(address='225.0.0.1',aux=None,aux_len=0,num=1,srcs=['10.0.0.1'],type_=1), \
         igmpv3_report_group(address='225.0.0.2',aux=b'abcd',aux_len=1,num=0,srcs=[],type_=2)])"
    );
    // Aux data that is not a whole number of words is padded, as os-ken does.
    let mut rec = GroupRecord::new(RecordType::IS_EX, ip(225, 0, 0, 2), vec![]);
    rec.aux = b"abcde".to_vec();
    let out = emit(&Igmp::v3_report(vec![rec]));
    assert_eq!(out.len(), 8 + 8 + 8);
    assert_eq!(&out[9..10], &[2]);
    assert_eq!(&out[16..], b"abcde\0\0\0");
}

#[test]
fn queries_of_every_version() {
    let v1 = roundtrip(&h(V1_QUERY));
    assert_eq!(v1.kind(), MessageKind::QueryV1);
    assert_eq!(v1.max_resp_time(), Some(V1_MAX_RESP_TIME));
    assert_eq!(emit(&Igmp::general_query_v1()), h(V1_QUERY));
    // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
    assert_eq!(
        v1.to_string(),
        "igmp(address='0.0.0.0',csum=61183,maxresp=0,msgtype=17)"
    );

    let v2 = roundtrip(&h(V2_GENERAL_QUERY));
    assert_eq!(v2.kind(), MessageKind::QueryV2);
    assert_eq!(
        emit(&Igmp::general_query_v2(Duration::from_secs(10))),
        h(V2_GENERAL_QUERY)
    );

    let v2g = roundtrip(&h(V2_GROUP_QUERY));
    assert_eq!(v2g.kind(), MessageKind::QueryV2);
    assert_eq!(v2g.group(), Some(ip(225, 0, 0, 1)));
    assert_eq!(v2g.ip_destination(), Some(ip(225, 0, 0, 1)));
    assert_eq!(
        v2g.to_string(),
        "igmp(address='225.0.0.1',csum=3572,maxresp=10,msgtype=17)"
    );
    let built = Igmp::group_query_v2(ip(225, 0, 0, 1), DEFAULT_LAST_MEMBER_QUERY_INTERVAL);
    assert_eq!(emit(&built), h(V2_GROUP_QUERY));
    // A zero response time would make an IGMPv1 query: the constructor keeps 0.1 s.
    assert_eq!(
        Igmp::general_query_v2(Duration::ZERO).kind(),
        MessageKind::QueryV2
    );

    let v3 = roundtrip(&h(V3_GENERAL_QUERY));
    assert_eq!(v3.kind(), MessageKind::QueryV3);
    assert_eq!(v3.ip_destination(), Some(ALL_SYSTEMS));
    // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
    assert_eq!(
        v3.to_string(),
        "igmpv3_query(address='0.0.0.0',csum=60446,maxresp=100,msgtype=17,num=0,qqic=125,qrv=2,s_flg=0,srcs=[])"
    );
    assert_eq!(
        emit(&Igmp::general_query_v3(DEFAULT_QUERY_RESPONSE_INTERVAL)),
        h(V3_GENERAL_QUERY)
    );

    let v3g = roundtrip(&h(V3_GROUP_QUERY));
    assert_eq!(
        v3g.to_string(),
        "igmpv3_query(address='225.0.0.1',csum=2935,maxresp=10,msgtype=17,num=0,qqic=125,qrv=2,s_flg=0,srcs=[])"
    );
    assert_eq!(
        emit(&Igmp::group_query_v3(
            ip(225, 0, 0, 1),
            Duration::from_secs(1)
        )),
        h(V3_GROUP_QUERY)
    );
}

#[test]
fn group_and_source_specific_query() {
    let bytes = h(V3_GROUP_SOURCE_QUERY);
    let v = IgmpView::parse(&bytes[..]).unwrap();
    assert_eq!(v.kind(), MessageKind::QueryV3);
    assert!(v.s_flag());
    assert_eq!(v.num_sources(), 2);
    let srcs: Vec<_> = v.sources().map(Result::unwrap).collect();
    assert_eq!(srcs, [ip(10, 1, 1, 1), ip(10, 1, 1, 2)]);
    assert_eq!(v.additional_data(), b"");
    let m = roundtrip(&bytes);
    // os-ken 2.x: str(igmp.igmp.parser(bytes)[0])
    assert_eq!(
        m.to_string(),
        "igmpv3_query(address='232.1.1.1',csum=58734,maxresp=10,msgtype=17,num=2,qqic=125,qrv=2,s_flg=1,\
         srcs=['10.1.1.1', '10.1.1.2'])"
    );
    let built: Igmp = IgmpV3Query::new(ip(232, 1, 1, 1), srcs)
        .with_max_resp(Duration::from_secs(1))
        .with_s_flag(true)
        .into();
    assert_eq!(emit(&built), bytes);
    assert_eq!(built.ip_destination(), Some(ip(232, 1, 1, 1)));
}

#[test]
fn float_codes() {
    assert_eq!(decode_float(0), 0);
    assert_eq!(decode_float(0x7f), 127);
    assert_eq!(decode_float(0x80), 128);
    assert_eq!(decode_float(0x8f), 248);
    assert_eq!(decode_float(0x90), 256);
    assert_eq!(decode_float(0xff), 31744);
    // Every code encodes back to itself, and decoding is increasing.
    for c in 0..=255u8 {
        assert_eq!(encode_float(u32::from(decode_float(c))), c);
        if c > 0 {
            assert!(decode_float(c - 1) < decode_float(c));
        }
    }
    // The encoder picks the smallest representable value not below the request.
    for v in 0..=32_000u32 {
        let c = encode_float(v);
        if v <= 31744 {
            assert!(u32::from(decode_float(c)) >= v, "{v}");
            assert!(c == 0 || u32::from(decode_float(c - 1)) < v, "{v}");
        } else {
            assert_eq!(c, 0xff);
        }
    }
    assert_eq!(encode_float(u32::MAX), 0xff);
}

#[test]
fn durations() {
    assert_eq!(duration_to_max_resp_code(Duration::from_secs(10)), 100);
    assert_eq!(
        duration_to_max_resp_code(Duration::from_millis(12_800)),
        0x80
    );
    assert_eq!(
        duration_to_max_resp_code(Duration::from_millis(12_900)),
        0x81
    );
    assert_eq!(
        max_resp_code_to_duration(0x81),
        Duration::from_millis(13_600)
    );
    assert_eq!(duration_to_max_resp_code(Duration::from_nanos(1)), 1);
    assert_eq!(duration_to_max_resp_code(Duration::ZERO), 0);
    assert_eq!(
        duration_to_max_resp_code(Duration::from_millis(3_174_400)),
        0xff
    );
    assert_eq!(duration_to_max_resp_code(Duration::MAX), 0xff);
    assert_eq!(
        max_resp_code_to_duration(0xff),
        Duration::from_millis(3_174_400)
    );
    assert_eq!(duration_to_qqic(DEFAULT_QUERY_INTERVAL), 125);
    assert_eq!(duration_to_qqic(Duration::from_secs(130)), 0x81);
    assert_eq!(qqic_to_duration(0x81), Duration::from_secs(136));
    assert_eq!(duration_to_qqic(Duration::from_millis(1001)), 2);
    assert_eq!(
        duration_to_max_resp_time(Duration::from_millis(25_600)),
        255
    );
    assert_eq!(duration_to_max_resp_time(Duration::from_millis(50)), 1);
    assert_eq!(max_resp_time_to_duration(100), Duration::from_secs(10));
    let q = IgmpV3Query::default()
        .with_qqi(Duration::from_secs(300))
        .with_qrv(9);
    assert_eq!(q.qqi(), Duration::from_secs(304));
    assert_eq!(q.qrv, 0);
}

fn err(bytes: &[u8]) -> Error {
    let e = IgmpView::parse(bytes).unwrap_err();
    assert_eq!(Igmp::parse(bytes).unwrap_err(), e);
    assert_eq!(step_igmp(bytes).unwrap_err(), e);
    assert_eq!(e.layer(), LayerKind::Igmp);
    e
}

#[test]
fn truncated_headers() {
    assert!(matches!(
        err(&[]),
        Error::Truncated {
            offset: 0,
            needed: 4,
            available: 0,
            ..
        }
    ));
    assert!(matches!(
        err(&[0x30, 0, 0]),
        Error::Truncated {
            needed: 4,
            available: 3,
            ..
        }
    ));
    for t in [0x11u8, 0x12, 0x16, 0x17, 0x22] {
        let mut b = h("160008fee1000001");
        b[0] = t;
        for n in 4..8 {
            assert!(
                matches!(err(&b[..n]), Error::Truncated { needed: 8, .. }),
                "{t} {n}"
            );
        }
    }
    // Unknown types need only type, code and checksum (RFC 4286 solicitations are 4 bytes).
    let m = Igmp::parse(&[0x31, 0, 0xce, 0xff]).unwrap();
    assert_eq!(m.kind(), MessageKind::Unknown);
    assert_eq!(
        m.to_string(),
        "igmp(csum=52991,data=b'',maxresp=0,msgtype=49)"
    );
    assert_eq!(emit(&m), [0x31, 0, 0xce, 0xff]);
}

#[test]
fn query_lengths() {
    let mut b = h(V3_GENERAL_QUERY);
    for n in 9..12 {
        let e = err(&b[..n]);
        assert!(
            matches!(e, Error::BadLength { offset: 0, field: "message length", value, .. } if value == n),
            "{e}"
        );
    }
    // Number of sources beyond the buffer.
    b[11] = 1;
    assert!(matches!(
        err(&b),
        Error::BadLength {
            offset: 10,
            field: "number of sources",
            value: 1,
            ..
        }
    ));
    b[10] = 0xff;
    b[11] = 0xff;
    assert!(matches!(
        err(&b),
        Error::BadLength {
            offset: 10,
            value: 65535,
            ..
        }
    ));
    let mut g = h(V3_GROUP_SOURCE_QUERY);
    g[11] = 3;
    assert!(matches!(
        err(&g),
        Error::BadLength {
            offset: 10,
            value: 3,
            ..
        }
    ));
    g.extend_from_slice(&[1, 2, 3]);
    assert!(matches!(
        err(&g),
        Error::BadLength {
            offset: 10,
            value: 3,
            ..
        }
    ));
    g.push(4);
    assert_eq!(IgmpView::parse(&g[..]).unwrap().sources().count(), 3);
}

#[test]
fn report_counts() {
    // Number of group records beyond the buffer: nothing left, or a partial record header.
    let mut b = h(GP_V3_REPORT);
    b[7] = 3;
    assert!(matches!(
        err(&b),
        Error::Truncated {
            offset: 24,
            what: "group record",
            needed: 8,
            available: 0,
            ..
        }
    ));
    b.extend_from_slice(&[4, 0, 0, 0]);
    assert!(matches!(
        err(&b),
        Error::Truncated {
            offset: 24,
            available: 4,
            ..
        }
    ));
    b[7] = 0xff;
    assert!(matches!(err(&b), Error::Truncated { offset: 24, .. }));
    // Number of sources of record 1 (at 16) beyond the buffer, then of record 0 (at 8).
    let mut b = h(GP_V3_REPORT);
    b[19] = 2;
    assert!(matches!(
        err(&b),
        Error::BadLength {
            offset: 18,
            field: "number of sources",
            value: 2,
            ..
        }
    ));
    let mut b = h(GP_V3_REPORT);
    b[10..12].copy_from_slice(&[0xff, 0xff]);
    assert!(matches!(
        err(&b),
        Error::BadLength {
            offset: 10,
            value: 65535,
            ..
        }
    ));
    // Aux data len beyond the buffer.
    let mut b = h(V3_REPORT_AUX);
    b[21] = 2;
    assert!(matches!(
        err(&b),
        Error::BadLength {
            offset: 21,
            field: "aux data len",
            value: 2,
            ..
        }
    ));
    b[21] = 0xff;
    assert!(matches!(
        err(&b),
        Error::BadLength {
            offset: 21,
            value: 255,
            ..
        }
    ));
    // A record view on its own.
    assert!(matches!(
        GroupRecordView::parse(&[1, 0, 0, 1, 225, 0, 0, 1, 10, 0, 0]),
        Err(Error::BadLength { offset: 2, .. })
    ));
    assert!(matches!(
        GroupRecordView::parse(&[1, 0, 0]),
        Err(Error::Truncated { needed: 8, .. })
    ));
}

#[test]
fn iterators_report_what_the_view_did_not_check() {
    let mut s = Sources::new(&[10, 0, 0, 1, 10, 0], 12, 3);
    assert_eq!(s.next().unwrap().unwrap(), ip(10, 0, 0, 1));
    assert!(matches!(
        s.next(),
        Some(Err(Error::Truncated {
            offset: 16,
            available: 2,
            ..
        }))
    ));
    assert!(s.next().is_none());
    let buf = h("2200000000000002020000000000000001");
    let mut r = GroupRecords {
        buf: &buf,
        offset: 8,
        remaining: 2,
    };
    assert!(r.next().unwrap().is_ok());
    assert!(matches!(
        r.next(),
        Some(Err(Error::Truncated {
            offset: 16,
            available: 1,
            ..
        }))
    ));
    assert!(r.next().is_none());
}

#[test]
fn bad_checksum() {
    let mut b = h(GP_V2_REPORT);
    b[3] ^= 1;
    let v = IgmpView::parse(&b[..]).unwrap();
    assert_eq!(
        v.verify_checksum(),
        Err(Error::BadChecksum {
            layer: LayerKind::Igmp,
            offset: 2,
            computed: 0xfa01,
            found: 0xfa00
        })
    );
    // Parsing does not check it, and keeps the bad value.
    assert_eq!(emit(&Igmp::parse(&b).unwrap()), b);
}

#[test]
fn additional_data() {
    // RFC 2236 §2.5: a longer v2 message; the checksum covers the whole IP payload.
    let mut b = h(GP_V2_REPORT);
    b.extend_from_slice(&[0xde, 0xad]);
    let mut v = IgmpView::parse(&mut b[..]).unwrap();
    assert_eq!(v.message_len(), 8);
    assert_eq!(v.additional_data(), [0xde, 0xad]);
    assert_eq!(v.message(), &h(GP_V2_REPORT)[..]);
    v.fill_checksum();
    v.verify_checksum().unwrap();
    let m = roundtrip(&b);
    let Igmp::V2(ref inner) = m else {
        panic!("{m:?}")
    };
    assert_eq!(inner.additional, [0xde, 0xad]);
    assert!(m
        .to_string()
        .starts_with("igmp(additional=b'\\xde\\xad',address="));
    assert_eq!(
        step_igmp(&b).unwrap(),
        Step {
            header_len: 10,
            end: 10,
            next: Next::Payload
        }
    );
    let mut fresh = m.clone();
    fresh.clear_computed();
    assert_eq!(emit(&fresh), b);

    // RFC 3376 §4.1.10: bytes past the sources of a v3 query.
    let mut q = h(V3_GROUP_SOURCE_QUERY);
    q.extend_from_slice(&[1, 2, 3, 4, 5]);
    IgmpView::parse(&mut q[..]).unwrap().fill_checksum();
    let m = roundtrip(&q);
    assert_eq!(step_igmp(&q).unwrap().end, 25);
    assert!(m
        .to_string()
        .starts_with("igmpv3_query(additional=b'\\x01\\x02\\x03\\x04\\x05',address="));

    // RFC 3376 §4.2.11: bytes past the last record of a v3 report.
    let mut r = h(GP_V3_REPORT);
    r.push(9);
    IgmpView::parse(&mut r[..]).unwrap().fill_checksum();
    roundtrip(&r);
    assert_eq!(step_igmp(&r).unwrap().end, 25);

    // An unknown type is all message.
    let u = h("1300000000000000abcd");
    assert_eq!(step_igmp(&u).unwrap().end, 10);
}

#[test]
fn setters_keep_the_checksum() {
    let mut b = h(GP_V2_QUERY);
    let mut v = IgmpView::parse(&mut b[..]).unwrap();
    v.set_max_resp_code(0);
    assert_eq!(v.kind(), MessageKind::QueryV1);
    v.set_group_address(ip(225, 1, 2, 3));
    v.verify_checksum().unwrap();
    assert_eq!(v.group_address(), ip(225, 1, 2, 3));
    assert_eq!(v.compute_checksum(), v.checksum());

    let mut b = h(V3_GROUP_SOURCE_QUERY);
    let mut v = IgmpView::parse(&mut b[..]).unwrap();
    v.set_s_flag(false);
    v.set_qrv(7);
    v.set_qqic(0x90);
    v.set_max_resp_code(0xff);
    v.verify_checksum().unwrap();
    assert!(!v.s_flag());
    assert_eq!(v.qrv(), 7);
    assert_eq!(v.qqic(), 0x90);
    assert_eq!(v.qqi(), Some(Duration::from_secs(256)));
    assert_eq!(v.num_sources(), 2);

    // Nothing to set on a v3 report's group address (bytes 4-8 are counts there).
    let mut b = h(GP_V3_REPORT);
    let mut v = IgmpView::parse(&mut b[..]).unwrap();
    v.set_group_address(ip(1, 2, 3, 4));
    v.set_qrv(3);
    assert_eq!(b, h(GP_V3_REPORT));
    let mut v = IgmpView::parse(&mut b[..]).unwrap();
    v.set_checksum(0);
    assert!(v.verify_checksum().is_err());
    v.fill_checksum();
    v.verify_checksum().unwrap();
    assert_eq!(v.into_inner(), &h(GP_V3_REPORT)[..]);
}

#[test]
fn v3_fields_are_zero_on_other_messages() {
    let b = h(GP_V2_REPORT);
    let v = IgmpView::parse(&b[..]).unwrap();
    assert_eq!(
        (v.num_sources(), v.qrv(), v.qqic(), v.query_reserved()),
        (0, 0, 0, 0)
    );
    assert_eq!(v.qqi(), None);
    assert_eq!(v.num_group_records(), 0);
    assert_eq!(v.report_reserved(), 0);
    assert_eq!(v.group_records().count(), 0);
    assert_eq!(v.sources().count(), 0);
}

#[test]
fn emit_refuses_what_would_not_parse_back() {
    let ctx = EmitContext::default();
    let mut buf = [0u8; 64];
    let bad = Igmp::V2(IgmpV2::new(IgmpType::REPORT_V3, 0, ip(225, 0, 0, 1)));
    assert!(matches!(
        bad.emit(&mut buf, &ctx),
        Err(Error::Unencodable {
            what: "msgtype",
            ..
        })
    ));
    let mut q = IgmpV2::new(IgmpType::QUERY, 100, Ipv4Addr::UNSPECIFIED);
    q.additional = vec![0; 4];
    assert!(Igmp::V2(q).emit(&mut buf, &ctx).is_err());
    let q = IgmpV3Query {
        qrv: 8,
        ..IgmpV3Query::default()
    };
    assert!(Igmp::V3Query(q).emit(&mut buf, &ctx).is_err());
    let q = IgmpV3Query {
        resv: 16,
        ..IgmpV3Query::default()
    };
    assert!(Igmp::V3Query(q).emit(&mut buf, &ctx).is_err());
    let mut rec = GroupRecord::new(RecordType::IS_IN, ip(225, 0, 0, 1), vec![]);
    rec.aux = vec![0; 1024];
    let r = Igmp::v3_report(vec![rec]);
    let mut big = vec![0u8; r.header_len()];
    assert!(matches!(
        r.emit(&mut big, &ctx),
        Err(Error::Unencodable {
            what: "aux_len",
            ..
        })
    ));
    // Too small a buffer.
    assert!(Igmp::v2_report(ip(225, 0, 0, 1))
        .emit(&mut buf[..7], &ctx)
        .is_err());
}

#[test]
fn explicit_fields_are_written_as_they_are() {
    let mut rec = GroupRecord::new(RecordType::IS_IN, ip(225, 0, 0, 1), vec![ip(10, 0, 0, 1)]);
    rec.num = Some(7);
    rec.aux_len = Some(0);
    rec.aux = b"xy".to_vec();
    let mut r = IgmpV3Report::new(vec![rec]);
    r.csum = Some(0x1234);
    r.record_num = Some(9);
    r.reserved1 = 1;
    r.reserved2 = 2;
    let out = emit(&Igmp::V3Report(r));
    assert_eq!(
        out,
        h("2201123400020009010000 07e10000010a0000017879 0000"
            .replace(' ', "")
            .as_str())
    );
}

#[test]
fn checksum_covers_what_follows() {
    // A payload after the IGMP message (inside the IP payload) is covered by the checksum.
    let m = Igmp::v2_report(ip(225, 0, 0, 1));
    let mut buf = vec![0u8; 12];
    buf[8..].copy_from_slice(b"tail");
    m.emit(&mut buf, &EmitContext::default()).unwrap();
    assert_eq!(checksum::checksum(&buf), 0);
    assert_eq!(&buf[8..], b"tail");
}

#[test]
fn clear_computed_after_editing() {
    let mut m = Igmp::parse(&h(V3_REPORT_6)).unwrap();
    if let Igmp::V3Report(r) = &mut m {
        r.records.truncate(2);
        r.records[0].srcs.push(ip(10, 0, 0, 9));
        r.records[1].aux = vec![1, 2, 3, 4];
    }
    m.clear_computed();
    let out = emit(&m);
    let v = IgmpView::parse(&out[..]).unwrap();
    v.verify_checksum().unwrap();
    assert_eq!(v.num_group_records(), 2);
    let recs: Vec<_> = v.group_records().map(Result::unwrap).collect();
    assert_eq!(recs[0].num_sources(), 3);
    assert_eq!(recs[1].aux_data(), [1, 2, 3, 4]);
    let mut q = Igmp::parse(&h(V3_GROUP_SOURCE_QUERY)).unwrap();
    if let Igmp::V3Query(q) = &mut q {
        q.srcs.pop();
    }
    q.clear_computed();
    let out = emit(&q);
    assert_eq!(IgmpView::parse(&out[..]).unwrap().num_sources(), 1);
}

#[test]
fn debug_names() {
    assert_eq!(alloc::format!("{:?}", IgmpType::LEAVE), "IgmpType::LEAVE");
    assert_eq!(alloc::format!("{:?}", IgmpType(0x30)), "IgmpType(0x30)");
    assert_eq!(
        alloc::format!("{:?}", RecordType::TO_EX),
        "RecordType::TO_EX"
    );
    assert_eq!(alloc::format!("{:?}", RecordType(9)), "RecordType(9)");
    assert_eq!(MessageKind::ReportV3.version(), Some(3));
    assert!(MessageKind::QueryV1.is_query());
    assert_eq!(MessageKind::Unknown.version(), None);
}

#[test]
fn layer_access() {
    let layer: Layer = Igmp::v2_report(ip(225, 0, 0, 1)).into();
    assert_eq!(layer.get::<Igmp>().unwrap().group(), Some(ip(225, 0, 0, 1)));
    assert_eq!(layer.header_len(), 8);
}

#[cfg(feature = "serde")]
#[test]
fn serde_json_shape() {
    let m = Igmp::parse(&h(V3_GROUP_SOURCE_QUERY)).unwrap();
    let j = serde_json::to_value(&m).unwrap();
    // Shaped like os-ken's to_jsondict(): class name, then its attributes.
    assert_eq!(j["igmpv3_query"]["address"], "232.1.1.1");
    assert_eq!(j["igmpv3_query"]["srcs"][1], "10.1.1.2");
    assert_eq!(j["igmpv3_query"]["csum"], 58734);
    assert_eq!(serde_json::from_value::<Igmp>(j).unwrap(), m);
    let r = Igmp::parse(&h(V3_REPORT_6)).unwrap();
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["igmpv3_report"]["records"][4]["type_"], 5);
    assert_eq!(serde_json::from_value::<Igmp>(j).unwrap(), r);
}

// ---- whole frames through Packet::parse / PacketView ----

use crate::ipv4::{Ipv4, FLAG_DF};
use crate::{Ethernet, MacAddr, Packet, PacketView};

// Real captures from gopacket's layers/igmp_test.go (tcpdump hex dumps, Ethernet padding
// included), the IGMP bytes of which are the GP_* fixtures above.
const GP_V1_REPORT_FRAME: &str = "01005e00013c0030c1bf5755080045000 01c6a7f000001026365\
    0a3c0084e000013c12000cc3e000013c000000000000ffffffffffff045200000000";
const GP_V2_QUERY_FRAME: &str = "01005e0000010001636fc800080045c0001c01530000010 2ccd30a3c00bd\
    e00000011164ee9b0000000000000000000000000000000000000000000000000000";
const GP_V2_REPORT_FRAME: &str = "01005e7ffffd001558dcd9f60800460000 2079f00000010 2ab470a3c0567\
    effffffd940400001600fa01effffffd000000000000000000000000000000000000";
const GP_V3_QUERY_FRAME: &str = "01005e00000100264 46c1eda080046c0002417f140000102297bc0a801fe\
    e00000019404000011 18ecd300000000021400000000000000000000000000000000";
const GP_V3_REPORT_FRAME: &str = "01005e000016002 52e51c381080046580030013c000001028133c0a80142\
    e0000016940400002200f33c0000000202000000efc3070202000000effffffa";

fn frame(s: &str) -> Vec<u8> {
    h(&s.replace(' ', ""))
}

/// The IPv4 header a Linux host puts in front of IGMP: TOS 0xc0, DF, TTL 1, Router Alert.
fn igmp_ip(src: Ipv4Addr, dst: Ipv4Addr) -> Ipv4 {
    let mut ip = Ipv4::new(src, dst);
    ip.tos = 0xc0;
    ip.flags = FLAG_DF;
    ip.ttl = 1;
    ip.option = vec![0x94, 0x04, 0x00, 0x00].into();
    ip
}

#[test]
fn ryu_book_frames() {
    let host = MacAddr::new(0, 0, 0, 0, 0, 2);
    for (hex, msg, dst) in [
        (
            RYU_V2_REPORT_FRAME,
            Igmp::v2_report(ip(225, 0, 0, 1)),
            ip(225, 0, 0, 1),
        ),
        (
            RYU_V2_LEAVE_FRAME,
            Igmp::v2_leave(ip(225, 0, 0, 1)),
            ALL_ROUTERS,
        ),
    ] {
        let mut wire = h(hex);
        wire.resize(60, 0);
        let pkt = Packet::parse(&wire).unwrap();
        assert_eq!(pkt.layers.len(), 3);
        let got = pkt.get::<Igmp>().unwrap();
        assert_eq!(got.group(), Some(ip(225, 0, 0, 1)));
        assert!(pkt.payload.is_empty());
        assert_eq!(pkt.trailer, [0; 14]);
        assert_eq!(pkt.to_vec().unwrap(), wire);
        assert_eq!(msg.ip_destination(), Some(dst));

        let built = Ethernet::new(MacAddr::from_ipv4_multicast(dst), host)
            / igmp_ip(ip(10, 0, 0, 2), dst)
            / msg;
        assert_eq!(built.with_min_len(60).to_vec().unwrap(), wire);

        let view = PacketView::parse(&wire).unwrap();
        let igmp = IgmpView::parse(view.bytes(LayerKind::Igmp).unwrap()).unwrap();
        igmp.verify_checksum().unwrap();
        assert_eq!(igmp.group_address(), ip(225, 0, 0, 1));
    }
    let mut wire = h(RYU_V2_REPORT_FRAME);
    wire.resize(60, 0);
    let pkt = Packet::parse(&wire).unwrap();
    // os-ken 2.x: str(packet.Packet(frame)), without the padding os-ken does not print.
    assert_eq!(
        pkt.to_string(),
        "ethernet(dst='01:00:5e:00:00:01',ethertype=2048,src='00:00:00:00:00:02'), \
         ipv4(csum=63764,dst='225.0.0.1',flags=2,header_length=6,identification=0,offset=0,\
         option=b'\\x94\\x04\\x00\\x00',proto=2,src='10.0.0.2',tos=192,total_length=32,ttl=1,version=4), \
         igmp(address='225.0.0.1',csum=2302,maxresp=0,msgtype=22), \
         b'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00'"
    );
}

#[test]
fn captured_frames() {
    for (hex, igmp, kind) in [
        (GP_V1_REPORT_FRAME, GP_V1_REPORT, MessageKind::ReportV1),
        (GP_V2_QUERY_FRAME, GP_V2_QUERY, MessageKind::QueryV2),
        (GP_V2_REPORT_FRAME, GP_V2_REPORT, MessageKind::ReportV2),
        (GP_V3_QUERY_FRAME, GP_V3_QUERY, MessageKind::QueryV3),
        (GP_V3_REPORT_FRAME, GP_V3_REPORT, MessageKind::ReportV3),
    ] {
        let wire = frame(hex);
        let pkt = Packet::parse(&wire).unwrap();
        let m = pkt.get::<Igmp>().unwrap();
        assert_eq!(m.kind(), kind, "{hex}");
        assert_eq!(*m, Igmp::parse(&h(igmp)).unwrap());
        assert!(pkt.payload.is_empty());
        assert_eq!(pkt.to_vec().unwrap(), wire);
        let view = PacketView::parse(&wire).unwrap();
        let span = view.span(LayerKind::Igmp).unwrap();
        assert_eq!(span.header_len, igmp.len() / 2);
        assert_eq!(view.trailer().len(), wire.len() - span.end);
    }
}

#[test]
fn frames_with_bad_counts_and_additional_data() {
    // A v3 query whose number of sources runs past the IPv4 payload: the error offset
    // counts from the frame's first byte (14 Ethernet + 24 IPv4 + 10).
    let mut wire = frame(GP_V3_QUERY_FRAME);
    wire[38 + 11] = 1;
    let e = Packet::parse(&wire).unwrap_err();
    assert!(
        matches!(
            e,
            Error::BadLength {
                layer: LayerKind::Igmp,
                offset: 48,
                ..
            }
        ),
        "{e}"
    );
    let (partial, err) = Packet::parse_partial(&wire);
    assert!(err.is_some());
    assert_eq!(partial.layers.len(), 2);
    assert_eq!(partial.to_vec().unwrap(), wire);

    // A v2 report with 4 bytes of additional data inside the IPv4 payload: the IGMP layer
    // keeps them (its checksum covers them), and the frame serializes back unchanged.
    let mut igmp = h(GP_V2_REPORT);
    igmp.extend_from_slice(&[1, 2, 3, 4]);
    IgmpView::parse(&mut igmp[..]).unwrap().fill_checksum();
    let mut ip = igmp_ip(ip(10, 0, 0, 2), ip(239, 255, 255, 253));
    ip.proto = Some(crate::IpProtocol::IGMP);
    let wire = (Ethernet::new(MacAddr::BROADCAST, MacAddr::new(0, 0, 0, 0, 0, 2)) / ip)
        .with_payload(igmp.clone())
        .to_vec()
        .unwrap();
    let pkt = Packet::parse(&wire).unwrap();
    assert_eq!(pkt.get::<Igmp>().unwrap().kind(), MessageKind::ReportV2);
    let Some(Igmp::V2(inner)) = pkt.get::<Igmp>() else {
        panic!("{pkt}")
    };
    assert_eq!(inner.additional, [1, 2, 3, 4]);
    assert!(pkt.trailer.is_empty());
    assert_eq!(pkt.to_vec().unwrap(), wire);
    // Rebuilt with the checksum left to the serializer, it covers the additional bytes.
    let mut rebuilt = pkt.clone();
    if let Some(Igmp::V2(m)) = rebuilt.get_mut::<Igmp>() {
        m.csum = None;
    }
    assert_eq!(rebuilt.to_vec().unwrap(), wire);
    // The view over the whole IPv4 payload sees the additional data and checks the
    // checksum over all of it, as the RFCs say.
    let view = PacketView::parse(&wire).unwrap();
    let payload = view.ipv4().unwrap().payload().to_vec();
    let v = IgmpView::parse(&payload[..]).unwrap();
    assert_eq!(v.additional_data(), [1, 2, 3, 4]);
    v.verify_checksum().unwrap();
}

// ---- property tests ----

fn addr() -> impl Strategy<Value = Ipv4Addr> {
    any::<[u8; 4]>().prop_map(Ipv4Addr::from)
}

fn words(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<[u8; 4]>(), 0..max).prop_map(|w| w.concat())
}

fn record() -> impl Strategy<Value = GroupRecord> {
    (
        any::<u8>(),
        addr(),
        prop::collection::vec(addr(), 0..4),
        words(3),
    )
        .prop_map(|(t, a, srcs, aux)| GroupRecord {
            type_: RecordType(t),
            aux_len: None,
            num: None,
            address: a,
            srcs,
            aux,
        })
}

fn message() -> impl Strategy<Value = Igmp> {
    let v2 = (
        prop::sample::select(vec![0x11u8, 0x12, 0x16, 0x17]),
        any::<u8>(),
        addr(),
        prop::collection::vec(any::<u8>(), 0..8),
    )
        .prop_map(|(t, code, a, add)| {
            let additional = if t == 0x11 { Vec::new() } else { add };
            Igmp::V2(IgmpV2 {
                msgtype: IgmpType(t),
                maxresp: code,
                csum: None,
                address: a,
                additional,
            })
        });
    let q = (
        any::<u8>(),
        addr(),
        0u8..16,
        any::<bool>(),
        0u8..8,
        any::<u8>(),
        prop::collection::vec(addr(), 0..6),
        prop::collection::vec(any::<u8>(), 0..8),
    )
        .prop_map(
            |(maxresp, address, resv, s_flg, qrv, qqic, srcs, additional)| {
                Igmp::V3Query(IgmpV3Query {
                    maxresp,
                    csum: None,
                    address,
                    resv,
                    s_flg,
                    qrv,
                    qqic,
                    num: None,
                    srcs,
                    additional,
                })
            },
        );
    let r = (
        any::<u8>(),
        any::<u16>(),
        prop::collection::vec(record(), 0..5),
        prop::collection::vec(any::<u8>(), 0..8),
    )
        .prop_map(|(reserved1, reserved2, records, additional)| {
            Igmp::V3Report(IgmpV3Report {
                csum: None,
                reserved1,
                reserved2,
                record_num: None,
                records,
                additional,
            })
        });
    let u = (
        any::<u8>().prop_filter("unknown type", |t| {
            !matches!(t, 0x11 | 0x12 | 0x16 | 0x17 | 0x22)
        }),
        any::<u8>(),
        prop::collection::vec(any::<u8>(), 0..16),
    )
        .prop_map(|(t, code, data)| {
            Igmp::Unknown(IgmpUnknown {
                msgtype: IgmpType(t),
                maxresp: code,
                csum: None,
                data,
            })
        });
    prop_oneof![v2, q, r, u]
}

/// Exercises every accessor of a checked view (none may panic).
fn touch(v: &IgmpView<&[u8]>) {
    let _ = (
        v.msg_type(),
        v.kind(),
        v.max_resp_code(),
        v.max_resp_time(),
        v.checksum(),
    );
    let _ = (
        v.compute_checksum(),
        v.verify_checksum(),
        v.group_address(),
        v.query_reserved(),
    );
    let _ = (
        v.s_flag(),
        v.qrv(),
        v.qqic(),
        v.qqi(),
        v.report_reserved(),
        v.message(),
    );
    let _ = v.additional_data();
    assert!(v.sources().all(|s| s.is_ok()));
    for r in v.group_records() {
        let r = r.unwrap();
        let _ = (
            r.record_type(),
            r.aux_data_len(),
            r.multicast_address(),
            r.aux_data(),
        );
        assert!(r.sources().all(|s| s.is_ok()));
    }
}

fn bytes_strategy() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(vec![0x11u8, 0x12, 0x16, 0x17, 0x22, 0x13]),
        prop::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(|(t, mut b)| {
            if let Some(first) = b.first_mut() {
                *first = t;
            }
            b
        })
}

proptest! {
    #[test]
    fn arbitrary_bytes_round_trip(b in bytes_strategy()) {
        let step = step_igmp(&b);
        if let Ok(m) = Igmp::parse(&b) {
            prop_assert_eq!(emit(&m), b.clone());
            let v = IgmpView::parse(&b[..]).unwrap();
            touch(&v);
            let st = step.unwrap();
            prop_assert_eq!(st.end, b.len());
            prop_assert!(v.message_len() <= st.end);
            prop_assert!(st.header_len <= st.end && st.end <= b.len());
            let inner = Igmp::parse(&b[..st.end]).unwrap();
            prop_assert_eq!(emit(&inner), b[..st.end].to_vec());
        } else {
            prop_assert!(step.is_err());
        }
    }

    #[test]
    fn generated_messages_round_trip(m in message(), csum in any::<Option<u16>>()) {
        let bytes = emit(&m);
        let v = IgmpView::parse(&bytes[..]).unwrap();
        touch(&v);
        v.verify_checksum().unwrap();
        prop_assert_eq!(v.message_len() + v.additional_data().len(), bytes.len());
        let mut back = Igmp::parse(&bytes).unwrap();
        prop_assert_eq!(emit(&back), bytes.clone());
        back.clear_computed();
        prop_assert_eq!(&back, &m);
        prop_assert_eq!(back.kind(), m.kind());
        // An explicit checksum is written as it is.
        let mut with = m.clone();
        match &mut with {
            Igmp::V2(x) => x.csum = csum,
            Igmp::V3Query(x) => x.csum = csum,
            Igmp::V3Report(x) => x.csum = csum,
            Igmp::Unknown(x) => x.csum = csum,
        }
        let out = emit(&with);
        prop_assert_eq!(be16(&out, 2), csum.unwrap_or(be16(&bytes, 2)));
    }

    #[test]
    fn mutated_messages_never_panic(m in message(), at in any::<usize>(), x in any::<u8>(), cut in any::<usize>()) {
        let mut bytes = emit(&m);
        let n = bytes.len();
        if let Some(b) = bytes.get_mut(at % n) {
            *b ^= x;
        }
        bytes.truncate(cut % (n + 1));
        if let Ok(v) = IgmpView::parse(&bytes[..]) {
            touch(&v);
            prop_assert_eq!(emit(&Igmp::parse(&bytes).unwrap()), bytes.clone());
        }
    }
}
