//! Ryu's igmplib, message for message: what its `IgmpSnooper` and `IgmpQuerier` (os-ken's
//! `os_ken/lib/igmplib.py`) send and decide, reproduced by the `ryu_igmplib` presets, one
//! behaviour per test (the differential test `osken_igmplib.rs` runs os-ken itself).

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod support;

use core::net::Ipv4Addr;
use core::time::Duration;

use sdnwire_igmp::{Config, Event, Querier, TransmitKind, VlanId};
use sdnwire_packet::igmp::IgmpType;
use sdnwire_packet::{Ethernet, Igmp, Ipv4, MacAddr, Packet};
use support::*;

const U: VlanId = VlanId::UNTAGGED;

fn g() -> Ipv4Addr {
    ip("225.0.0.1")
}

/// Ryu's igmplib's `IgmpSnooper`.
fn ryu() -> Config {
    Config::ryu_igmplib()
}

/// Ryu's igmplib's `IgmpQuerier`, the multicast server behind port 2, a query every 60 s.
fn ryu_querier() -> Querier {
    Querier::pseudo(ip("192.168.0.100"), 2, Duration::from_secs(60), T0)
}

/// The querier's address, MAC and port in the snooper tests.
const QUERIER: &str = "192.168.0.254";
const QPORT: u32 = 4;

/// A snooper that has seen one general query (Max Resp Time 10 s) on port 4 at t = 0.
fn with_querier() -> Sim {
    let mut sim = Sim::new(snooper(ryu()));
    sim.frame(QPORT, &v2_query(ip(QUERIER), None, 10));
    sim.take_sent();
    sim.take_events();
    sim
}

/// An IGMPv2 query's fields: (Ethernet source, IPv4 source, group, Max Resp Time in 1/10 s).
fn query_fields(frame: &[u8]) -> (MacAddr, Ipv4Addr, Ipv4Addr, u8) {
    let pkt = Packet::parse(frame).unwrap();
    let eth = pkt.get::<Ethernet>().unwrap();
    let ipv4 = pkt.get::<Ipv4>().unwrap();
    match pkt.get::<Igmp>().unwrap() {
        Igmp::V2(q) if q.msgtype == IgmpType::QUERY => (eth.src, ipv4.src, q.address, q.maxresp),
        other => panic!("not an IGMPv2 query: {other:?}"),
    }
}

#[test]
fn a_leave_is_ignored_while_no_querier_is_known() {
    // igmplib's `_do_leave`: "no querier exists." and nothing else.
    let mut sim = Sim::new(snooper(ryu()));
    sim.frame(1, &v2_report(ip("192.168.0.1"), g()));
    sim.take_sent();
    sim.take_events();
    sim.frame(1, &v2_leave(ip("192.168.0.1"), g()));
    assert_eq!(
        sim.take_sent(),
        vec![],
        "no group-specific query, nothing forwarded"
    );
    sim.run_until(5.0);
    assert_eq!(sim.take_events(), vec![]);
    assert_eq!(sim.sn.group_ports(U, g()), &[1]);
}

#[test]
fn the_group_specific_query_comes_from_the_querier_once_and_waits_one_second() {
    let mut sim = with_querier();
    sim.frame(1, &v2_report(ip("192.168.0.1"), g()));
    sim.frame(3, &v2_report(ip("192.168.0.3"), g()));
    sim.take_sent();
    sim.take_events();
    sim.run_until(5.0);
    sim.frame(3, &v2_leave(ip("192.168.0.3"), g()));
    let sent = sim.take_sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].kind, TransmitKind::GroupQuery);
    assert_eq!(sent[0].egress, Out::Ports(vec![3]));
    // igmplib builds it with the querier's MAC and IPv4 address, Max Resp Time 1 s.
    assert_eq!(
        query_fields(&sent[0].frame),
        (host_mac(254), ip(QUERIER), g(), 10)
    );
    // One query only, and the port goes after igmplib's last member query interval (1 s).
    sim.run_until(5.9);
    assert_eq!(sim.take_sent(), vec![]);
    assert_eq!(sim.sn.group_ports(U, g()), &[1, 3]);
    sim.run_until(6.01);
    assert_eq!(
        sim.take_events(),
        vec![Event::MemberChanged {
            vlan: U,
            group: g(),
            ports: vec![1]
        }]
    );
    assert_eq!(
        sim.take_sent(),
        vec![],
        "no second query, the leave is not forwarded"
    );
}

#[test]
fn a_leave_held_back_is_discarded_once_its_port_is_gone() {
    // igmplib's `_do_timeout_for_leave` forgets the leave when members remain; the group that
    // later times out has no leave to pass on.
    let mut sim = with_querier();
    sim.frame(1, &v2_report(ip("192.168.0.1"), g()));
    sim.frame(2, &v2_report(ip("192.168.0.2"), g()));
    sim.frame(1, &v2_leave(ip("192.168.0.1"), g()));
    sim.run_until(30.0);
    assert_eq!(sim.sn.group_ports(U, g()), &[2]);
    sim.take_sent();
    sim.take_events();
    // A general query nobody answers: the group goes after its Max Resp Time.
    sim.frame(QPORT, &v2_query(ip(QUERIER), None, 10));
    sim.run_until(40.5);
    assert_eq!(
        sim.take_events(),
        vec![Event::GroupRemoved {
            vlan: U,
            group: g()
        }]
    );
    let sent = sim.take_sent();
    assert!(
        sent.iter().all(|t| t.kind == TransmitKind::ForwardedQuery),
        "no leave released: {sent:?}"
    );
}

#[test]
fn a_query_discards_a_leave_held_back() {
    // igmplib's `_do_query` resets the group's leave: a group that then times out releases none.
    let mut sim = with_querier();
    sim.frame(1, &v2_report(ip("192.168.0.1"), g()));
    sim.frame(2, &v2_report(ip("192.168.0.2"), g()));
    sim.run_until(5.0);
    sim.frame(1, &v2_leave(ip("192.168.0.1"), g()));
    // The querier's general query comes while the leave's query is out.
    sim.run_until(5.5);
    sim.frame(QPORT, &v2_query(ip(QUERIER), None, 10));
    sim.take_sent();
    sim.take_events();
    sim.run_until(16.0);
    assert_eq!(
        sim.take_events(),
        vec![
            Event::MemberChanged {
                vlan: U,
                group: g(),
                ports: vec![2]
            },
            Event::GroupRemoved {
                vlan: U,
                group: g()
            }
        ]
    );
    assert_eq!(sim.take_sent(), vec![], "no leave released");
}

#[test]
fn a_general_query_answered_by_one_member_keeps_every_port() {
    // igmplib's snooper keeps one reply status per group, not per port.
    let mut sim = with_querier();
    sim.frame(1, &v2_report(ip("192.168.0.1"), g()));
    sim.frame(2, &v2_report(ip("192.168.0.2"), g()));
    sim.run_until(60.0);
    sim.frame(QPORT, &v2_query(ip(QUERIER), None, 10));
    sim.run_until(61.0);
    sim.frame(2, &v2_report(ip("192.168.0.2"), g()));
    sim.take_events();
    sim.run_until(75.0);
    assert_eq!(sim.take_events(), vec![]);
    assert_eq!(sim.sn.group_ports(U, g()), &[1, 2]);
}

#[test]
fn the_querier_queries_every_interval_from_the_start_without_startup_queries() {
    // igmplib's `IgmpQuerier._send_query`: a query, then one every 60 s.
    let mut sim = Sim::new(ryu_querier().into_inner());
    assert_eq!(sim.take_queries().len(), 1);
    sim.run_until(59.9);
    assert_eq!(sim.take_queries(), vec![], "no startup queries");
    sim.run_until(60.1);
    assert_eq!(sim.take_queries().len(), 1);
}

#[test]
fn the_querier_drops_a_leaving_port_at_once_and_sends_nothing() {
    // igmplib's `IgmpQuerier._do_leave`: the port's flow goes, no query (it "does not send a
    // specific QUERY in response to LEAVE"); its reports go nowhere.
    let mut sim = Sim::new(ryu_querier().into_inner());
    sim.take_sent();
    sim.frame(1, &v2_report(ip("192.168.0.1"), g()));
    sim.frame(3, &v2_report(ip("192.168.0.3"), g()));
    assert_eq!(
        sim.take_sent(),
        vec![],
        "reports are not sent to the server port"
    );
    sim.take_events();
    sim.frame(3, &v2_leave(ip("192.168.0.3"), g()));
    assert_eq!(sim.take_sent(), vec![]);
    assert_eq!(
        sim.take_events(),
        vec![Event::MemberChanged {
            vlan: U,
            group: g(),
            ports: vec![1]
        }]
    );
}
