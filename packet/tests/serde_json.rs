//! The `serde` feature: layers serialize in the shape of Ryu's `to_jsondict()`
//! (`{"ipv4": {"src": "10.0.0.1", ...}}`) and come back equal.
#![cfg(feature = "serde")]

use sdnwire_packet::Encode;
use sdnwire_packet::Packet;

#[test]
fn ping_json_shape_and_round_trip() {
    let frame = std::fs::read(format!(
        "{}/testdata/ping_echo_request.bin",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let pkt = Packet::parse(&frame).unwrap();
    let json = serde_json::to_value(&pkt).unwrap();
    let layers = json["layers"].as_array().unwrap();
    assert_eq!(layers[0]["ethernet"]["src"], "00:00:00:00:00:01");
    assert_eq!(layers[0]["ethernet"]["ethertype"], 2048);
    assert_eq!(layers[1]["ipv4"]["src"], "10.0.0.1");
    assert_eq!(layers[1]["ipv4"]["total_length"], 84);
    assert_eq!(layers[1]["ipv4"]["header_length"], 5);
    assert_eq!(layers[2]["icmp"]["type"], 8);
    assert_eq!(layers[2]["icmp"]["data"]["echo"]["seq"], 1);
    let back: Packet = serde_json::from_value(json).unwrap();
    assert_eq!(back, pkt);
    assert_eq!(back.to_vec().unwrap(), frame);
}

#[test]
fn every_fixture_survives_json() {
    let dir = format!("{}/testdata", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("bin") {
            continue;
        }
        let frame = std::fs::read(&path).unwrap();
        let pkt = Packet::parse(&frame).unwrap();
        let text = serde_json::to_string(&pkt).unwrap();
        let back: Packet = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()));
        assert_eq!(back.to_vec().unwrap(), frame, "{}", path.display());
    }
}

/// One value of every owned type (and of every open newtype) goes to JSON and comes back
/// equal.
#[test]
fn every_owned_type_round_trips_through_json() {
    use core::fmt::Debug;
    use sdnwire_packet::arp::{ArpOp, ArpRawAddrs};
    use sdnwire_packet::flow::FlowKey;
    use sdnwire_packet::icmp::{IcmpData, IcmpType};
    use sdnwire_packet::icmpv6::{
        Echo, Icmpv6Data, Icmpv6Type, Mld, Mldv2Query, Mldv2Report, Mldv2ReportGroup, NdNeighbor,
        NdOption, NdRouterAdvert, NdRouterSolicit,
    };
    use sdnwire_packet::igmp::{
        GroupRecord, IgmpType, IgmpUnknown, IgmpV2, IgmpV3Query, IgmpV3Report, RecordType,
    };
    use sdnwire_packet::ipv6::Ipv6ExtHeader;
    use sdnwire_packet::lldp::{ChassisIdSubtype, LldpTlv, LldpTlvType, PortIdSubtype};
    use sdnwire_packet::slow::{
        LacpInfo, LacpReserved, LacpState, LacpTlv, LacpTlvType, MarkerTlvType,
    };
    use sdnwire_packet::tcp::{TcpFlags, TcpOption};
    use sdnwire_packet::time::Instant;
    use sdnwire_packet::{
        Arp, ErrorKind, EtherType, Ethernet, Icmp, Icmpv6, Igmp, IpProtocol, Ipv4, Ipv6, Lacp,
        Layer, LayerKind, Lldp, MacAddr, Marker, Tcp, Udp, Vlan,
    };

    fn rt<T>(v: T) -> usize
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + Debug,
    {
        let text = serde_json::to_string(&v).unwrap();
        let back: T = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} from {text}: {e}", core::any::type_name::<T>()));
        assert_eq!(back, v, "{text}");
        1
    }

    let mac = MacAddr::new(2, 0, 0, 0, 0, 1);
    let a4 = "10.0.0.1".parse().unwrap();
    let a6: core::net::Ipv6Addr = "ff02::16".parse().unwrap();
    let echo = Echo {
        id: 1,
        seq: 2,
        data: b"x".to_vec(),
    };
    let group = Mldv2ReportGroup::new(Mldv2ReportGroup::CHANGE_TO_EXCLUDE_MODE, a6, vec![a6]);
    let nd_neighbor = NdNeighbor {
        res: 0,
        reserved: 0,
        dst: a6,
        options: vec![NdOption::source_link_addr(mac)],
    };
    let record = GroupRecord::new(RecordType::IS_EX, a4, vec![a4]);
    let info = LacpInfo::new(1, mac, 2, 3, 4, LacpState(0x3d));
    let mut lacp = Lacp::new(info, LacpInfo::default(), 5);
    lacp.tlvs.push(LacpTlv::port_algorithm(1));
    let tcp = Tcp::new(1, 2, TcpFlags::SYN)
        .with_options(&[
            TcpOption::MaximumSegmentSize(1460),
            TcpOption::Sack(vec![(1, 2)]),
            TcpOption::Timestamps {
                ts_val: 1,
                ts_ecr: 2,
            },
            TcpOption::Unknown {
                kind: 30,
                data: vec![1],
            },
        ])
        .unwrap();
    let arp_raw = ArpRawAddrs {
        sha: vec![1; 8],
        spa: vec![2; 16],
        tha: vec![3; 8],
        tpa: vec![4; 16],
    };
    let mut n = 0;
    n += rt(Arp::request(mac, a4, a4));
    n += rt(arp_raw);
    n += rt(ArpOp(1));
    n += rt(Ethernet::new(mac, mac));
    n += rt(Vlan::new(100));
    n += rt(EtherType::IPV4);
    n += rt(MacAddr::BROADCAST);
    n += rt(FlowKey::default());
    n += rt(IcmpData::Echo {
        id: 1,
        seq: 2,
        data: vec![3].into(),
    });
    n += rt(Icmp::echo_request(1, 2, b"ping".to_vec()));
    n += rt(IcmpType::ECHO_REQUEST);
    n += rt(echo.clone());
    n += rt(Mld {
        maxresp: 1,
        reserved: 0,
        address: a6,
    });
    n += rt(Mldv2Query::general(1000));
    n += rt(group.clone());
    n += rt(Mldv2Report {
        records: vec![group.clone()],
        ..Mldv2Report::default()
    });
    n += rt(NdOption::mtu(1500));
    n += rt(nd_neighbor.clone());
    n += rt(NdRouterSolicit::default());
    n += rt(NdRouterAdvert::default());
    n += rt(Icmpv6Data::Echo(echo));
    n += rt(Icmpv6::neighbor_solicit(a6, Some(mac)));
    n += rt(Icmpv6Type::ND_NEIGHBOR_SOLICIT);
    n += rt(IgmpV2::new(IgmpType::REPORT_V2, 0, a4));
    n += rt(IgmpV3Query::new(a4, vec![a4]));
    n += rt(record.clone());
    n += rt(IgmpV3Report::new(vec![record.clone()]));
    n += rt(IgmpUnknown::default());
    n += rt(Igmp::v3_report(vec![record]));
    n += rt(IgmpType::QUERY);
    n += rt(RecordType::IS_IN);
    n += rt(sdnwire_packet::igmp::MessageKind::LeaveV2);
    n += rt(Ipv4::new(a4, a4));
    n += rt(IpProtocol::UDP);
    n += rt(Ipv6ExtHeader::router_alert(0));
    n += rt(Ipv6::new(a6, a6).with_ext_header(Ipv6ExtHeader::fragment(1, true, 2)));
    n += rt(LldpTlv::chassis_mac(mac));
    n += rt(LldpTlv::system_name("sw1"));
    n += rt(Lldp::new(mac, "eth0", 120));
    n += rt(LldpTlvType::SYSTEM_NAME);
    n += rt(ChassisIdSubtype(4));
    n += rt(PortIdSubtype(5));
    n += rt(info);
    n += rt(LacpTlv::port_algorithm(1));
    n += rt(LacpReserved {
        terminator: [7; 50],
        ..LacpReserved::ZERO
    });
    n += rt(lacp.clone());
    n += rt(LacpState(0x3d));
    n += rt(LacpTlvType::ACTOR);
    n += rt(Marker::information(1, mac, 2));
    n += rt(MarkerTlvType::RESPONSE);
    n += rt(tcp.clone());
    n += rt(TcpFlags::SYN);
    n += rt(TcpOption::NoOperation);
    n += rt(Udp::new(1, 2));
    n += rt(Layer::from(lacp));
    n += rt(Packet::new().push(Ethernet::new(mac, mac)).with_min_len(60));
    n += rt(Instant::from_nanos(5));
    n += rt(LayerKind::Ipv6);
    n += rt(ErrorKind::Unencodable);
    assert_eq!(n, 59);
}
