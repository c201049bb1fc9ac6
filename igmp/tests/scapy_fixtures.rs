//! Frames built by scapy 2.8.0 (`/work/main/.venv/bin/python`, script in each comment), pasted
//! as bytes: the snooper reads scapy's reports, and the queries it builds are byte for byte
//! what scapy builds for the same fields (IPv4 TOS 0xc0, TTL 1, Router Alert, identification 0,
//! checksums, padding to 60 bytes).

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod support;

use sdnwire_igmp::{
    Config, Event, FilterMode, LastMemberQueries, QuerierConfig, TransmitKind, VlanId,
};
use sdnwire_packet::MacAddr;
use support::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

// Ether(src="02:00:00:00:00:0a", dst="01:00:5e:01:02:03")/IP(src="10.1.0.10", dst="239.1.2.3",
//   ttl=1, id=0, options=[IPOption_Router_Alert()])/IGMP(type=0x16, gaddr="239.1.2.3")
const V2_REPORT: &str = "01005e01020302000000000a080046c0002000000000010229090a01000aef010203940400001600f8faef0102030000000000000000000000000000";
// Ether(src="02:00:00:00:00:0a", dst="01:00:5e:00:00:02")/IP(src="10.1.0.10", dst="224.0.0.2",
//   ttl=1, id=0, options=[IPOption_Router_Alert()])/IGMP(type=0x17, gaddr="239.1.2.3")
const V2_LEAVE: &str = "01005e00000202000000000a080046c000200000000001023a0b0a01000ae0000002940400001700f7faef0102030000000000000000000000000000";
// Ether(src="02:00:00:00:00:0b", dst="01:00:5e:00:00:16")/IP(src="10.1.0.11", dst="224.0.0.22",
//   ttl=1, id=0, tos=0xc0, options=[IPOption_Router_Alert()])/IGMPv3_MR(type=0x22, records=[
//   IGMPv3_MR_Group(rtype=2, maddr="239.1.2.3", srcaddrs=["10.0.0.7"]),
//   IGMPv3_MR_Group(rtype=1, maddr="239.4.5.6", srcaddrs=["10.0.0.1", "10.0.0.2"])])
const V3_REPORT: &str = "01005e00001602000000000b080046c0003c00000000010239da0a01000be0000016940400002200d7e00000000202000001ef0102030a00000701000002ef0405060a0000010a000002";
// Ether(src="02:00:00:00:00:01", dst="01:00:5e:00:00:01")/IP(src="10.0.0.5", dst="224.0.0.1",
//   ttl=1, id=0, tos=0xc0, options=[IPOption_Router_Alert()])/IGMPv3_MQ(type=0x11, mrcode=100,
//   gaddr="0.0.0.0", qrv=2, qqic=125), padded to 60 bytes
const V3_QUERY: &str = "01005e000001020000000001080046c000240000000001023a0e0a000005e0000001940400001164ec1e00000000027d000000000000000000000000";
// Ether(src="02:00:00:00:00:01", dst="01:00:5e:01:02:03")/IP(src="10.0.0.5", dst="239.1.2.3",
//   ttl=1, id=0, tos=0xc0, options=[IPOption_Router_Alert()])/IGMPv3_MQ(type=0x11, mrcode=10,
//   gaddr="239.1.2.3", qrv=2, qqic=125, srcaddrs=["10.0.0.7"]), padded to 60 bytes
const V3_GROUP_SOURCE_QUERY: &str = "01005e010203020000000001080046c0002800000000010229070a000005ef01020394040000110af16bef010203027d00010a000007000000000000";
// Ether(src="02:00:00:00:00:01", dst="01:00:5e:00:00:01")/IP(src="10.0.0.5", dst="224.0.0.1",
//   ttl=1, id=0, tos=0xc0, options=[IPOption_Router_Alert()])/IGMP(type=0x11, mrcode=100,
//   gaddr="0.0.0.0")
const V2_QUERY: &str = "01005e000001020000000001080046c000200000000001023a120a000005e0000001940400001164ee9b000000000000000000000000000000000000";

fn querier_config(version: u8) -> Config {
    Config {
        querier: Some(QuerierConfig::new(ip("10.0.0.5"))),
        mac: MacAddr::new(0x02, 0, 0, 0, 0, 1),
        query_version: version,
        ..Config::default()
    }
}

#[test]
fn reads_scapy_reports_and_leaves() {
    // The leave's group-specific query lowers the timer although no querier is known.
    let mut sim = Sim::new(snooper(Config {
        last_member_queries: LastMemberQueries::Always,
        ..Config::default()
    }));
    sim.frame(1, &hex(V2_REPORT));
    sim.frame(2, &hex(V3_REPORT));
    assert_eq!(sim.sn.stats().bad_frames, 0);
    let g1 = ip("239.1.2.3");
    let g2 = ip("239.4.5.6");
    assert_eq!(sim.sn.group_ports(VlanId::UNTAGGED, g1), &[1, 2]);
    let m = sim.sn.membership(VlanId::UNTAGGED, g1, 2).unwrap();
    assert_eq!(m.mode, FilterMode::Exclude);
    assert_eq!(
        m.excluded_sources().collect::<Vec<_>>(),
        vec![ip("10.0.0.7")]
    );
    let m = sim.sn.membership(VlanId::UNTAGGED, g2, 2).unwrap();
    assert_eq!(m.mode, FilterMode::Include);
    assert_eq!(
        m.forwarded_sources().collect::<Vec<_>>(),
        vec![ip("10.0.0.1"), ip("10.0.0.2")]
    );
    sim.take_events();
    sim.frame(1, &hex(V2_LEAVE));
    sim.run_until(3.0);
    assert_eq!(
        sim.take_events(),
        vec![Event::MemberChanged {
            vlan: VlanId::UNTAGGED,
            group: g1,
            ports: vec![2]
        }]
    );
}

#[test]
fn our_general_queries_are_scapys_bytes() {
    for (version, expected) in [(3, V3_QUERY), (2, V2_QUERY)] {
        // Ready at construction, written into a reused buffer holding an older frame.
        let mut sn = snooper(querier_config(version));
        let mut buf = vec![0xee; 300];
        let tx = sn.poll_transmit(&mut buf).unwrap();
        assert_eq!(tx.kind, TransmitKind::GeneralQuery);
        assert_eq!(buf, hex(expected), "IGMPv{version} general query");
    }
}

#[test]
fn our_group_and_source_queries_are_scapys_bytes() {
    let mut sim = Sim::new(snooper(querier_config(3)));
    sim.take_sent();
    let g = ip("239.1.2.3");
    sim.frame(
        1,
        &v3_report(
            ip("10.1.0.1"),
            sdnwire_packet::igmp::RecordType::ALLOW,
            g,
            &["10.0.0.7"],
        ),
    );
    sim.frame(
        1,
        &v3_report(
            ip("10.1.0.1"),
            sdnwire_packet::igmp::RecordType::BLOCK,
            g,
            &["10.0.0.7"],
        ),
    );
    let q: Vec<_> = sim
        .take_sent()
        .into_iter()
        .filter(|t| decode_query(t).is_some())
        .collect();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].frame, hex(V3_GROUP_SOURCE_QUERY));
    assert_eq!(q[0].egress, Out::Ports(vec![1]));
}
