//! Scenario tests on a virtual clock: every RFC 3376 §6.4 transition (table-driven), the
//! queries they schedule and what happens when those go unanswered; host compatibility
//! (§7.3.2); querier election and router ports (RFC 4541); Ryu's igmplib's flows (join,
//! second member, leave with and without remaining members, query timeout, pseudo-querier);
//! fast leave, VLANs, limits and bad frames.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod support;

use core::net::Ipv4Addr;
use core::time::Duration;

use sdnwire_igmp::{
    Config, Error, Event, FilterMode, Forward, LastMemberQueries, Limit, PortList, PortSet,
    Querier, QuerierConfig, Unregistered, VlanId,
};
use sdnwire_igmp::{Tag, TransmitKind};
use sdnwire_packet::igmp::RecordType;
use sdnwire_packet::Encode;
use support::*;

const G: &str = "239.1.2.3";

fn g() -> Ipv4Addr {
    ip(G)
}

/// A snooper that carries out RFC 3376 §6.4's "Send Q(G)" and "Send Q(G,S)" itself, querier
/// or not (what the RFC table tests watch).
fn querying() -> Config {
    Config {
        last_member_queries: LastMemberQueries::Always,
        ..Config::default()
    }
}

fn s(n: u8) -> Ipv4Addr {
    Ipv4Addr::new(10, 0, 0, n)
}

fn s_str(n: u8) -> String {
    s(n).to_string()
}

/// Expected timer of a source, in seconds from t0 with the default timers (GMI 260 s,
/// LMQT 2 s): the initial state is set up at t = 0, the record arrives at t = 10.
#[derive(Debug, Clone, Copy, PartialEq)]
enum T {
    /// GMI from t = 0 (left as it was): 260.
    G0,
    /// GMI from t = 10 (set by the record): 270.
    G1,
    /// Lowered to LMQT at t = 10: 12.
    L,
    /// Excluded: timer zero (EXCLUDE mode's Y list).
    Z,
}

impl T {
    fn secs(self) -> Option<f64> {
        match self {
            T::G0 => Some(260.0),
            T::G1 => Some(270.0),
            T::L => Some(12.0),
            T::Z => None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Init {
    /// INCLUDE({1, 2}), timers G0.
    Inc,
    /// EXCLUDE(X = {1, 2} with G0, Y = {3, 4}), group timer G0.
    Exc,
}

struct Row {
    name: &'static str,
    init: Init,
    rec: RecordType,
    srcs: &'static [u8],
    mode: FilterMode,
    sources: &'static [(u8, T)],
    group_timer: Option<T>,
    /// "Send Q(G)".
    q_group: bool,
    /// "Send Q(G,X)": the sources queried.
    q_sources: &'static [u8],
    /// After LMQT without an answer (t = 12.5).
    after_mode: FilterMode,
    after: &'static [(u8, T)],
}

use FilterMode::{Exclude as EX, Include as IN};
use T::*;

/// RFC 3376 §6.4.1 and §6.4.2, every row. INCLUDE rows use B = {2, 3}; EXCLUDE rows A = {2, 3,
/// 5}.
const TABLE: &[Row] = &[
    // INCLUDE (A), IS_IN (B) -> INCLUDE (A+B), (B)=GMI
    Row {
        name: "INCLUDE(A) IS_IN(B)",
        init: Init::Inc,
        rec: RecordType::IS_IN,
        srcs: &[2, 3],
        mode: IN,
        sources: &[(1, G0), (2, G1), (3, G1)],
        group_timer: None,
        q_group: false,
        q_sources: &[],
        after_mode: IN,
        after: &[(1, G0), (2, G1), (3, G1)],
    },
    // INCLUDE (A), IS_EX (B) -> EXCLUDE (A*B, B-A), (B-A)=0, Delete (A-B), Group Timer=GMI
    Row {
        name: "INCLUDE(A) IS_EX(B)",
        init: Init::Inc,
        rec: RecordType::IS_EX,
        srcs: &[2, 3],
        mode: EX,
        sources: &[(2, G0), (3, Z)],
        group_timer: Some(G1),
        q_group: false,
        q_sources: &[],
        after_mode: EX,
        after: &[(2, G0), (3, Z)],
    },
    // INCLUDE (A), ALLOW (B) -> INCLUDE (A+B), (B)=GMI
    Row {
        name: "INCLUDE(A) ALLOW(B)",
        init: Init::Inc,
        rec: RecordType::ALLOW,
        srcs: &[2, 3],
        mode: IN,
        sources: &[(1, G0), (2, G1), (3, G1)],
        group_timer: None,
        q_group: false,
        q_sources: &[],
        after_mode: IN,
        after: &[(1, G0), (2, G1), (3, G1)],
    },
    // INCLUDE (A), BLOCK (B) -> INCLUDE (A), Send Q(G,A*B)
    Row {
        name: "INCLUDE(A) BLOCK(B)",
        init: Init::Inc,
        rec: RecordType::BLOCK,
        srcs: &[2, 3],
        mode: IN,
        sources: &[(1, G0), (2, L)],
        group_timer: None,
        q_group: false,
        q_sources: &[2],
        after_mode: IN,
        after: &[(1, G0)],
    },
    // INCLUDE (A), TO_EX (B) -> EXCLUDE (A*B, B-A), (B-A)=0, Delete (A-B), Send Q(G,A*B),
    // Group Timer=GMI
    Row {
        name: "INCLUDE(A) TO_EX(B)",
        init: Init::Inc,
        rec: RecordType::TO_EX,
        srcs: &[2, 3],
        mode: EX,
        sources: &[(2, L), (3, Z)],
        group_timer: Some(G1),
        q_group: false,
        q_sources: &[2],
        after_mode: EX,
        after: &[(2, Z), (3, Z)],
    },
    // INCLUDE (A), TO_IN (B) -> INCLUDE (A+B), (B)=GMI, Send Q(G,A-B)
    Row {
        name: "INCLUDE(A) TO_IN(B)",
        init: Init::Inc,
        rec: RecordType::TO_IN,
        srcs: &[2, 3],
        mode: IN,
        sources: &[(1, L), (2, G1), (3, G1)],
        group_timer: None,
        q_group: false,
        q_sources: &[1],
        after_mode: IN,
        after: &[(2, G1), (3, G1)],
    },
    // EXCLUDE (X,Y), IS_IN (A) -> EXCLUDE (X+A, Y-A), (A)=GMI
    Row {
        name: "EXCLUDE(X,Y) IS_IN(A)",
        init: Init::Exc,
        rec: RecordType::IS_IN,
        srcs: &[2, 3, 5],
        mode: EX,
        sources: &[(1, G0), (2, G1), (3, G1), (4, Z), (5, G1)],
        group_timer: Some(G0),
        q_group: false,
        q_sources: &[],
        after_mode: EX,
        after: &[(1, G0), (2, G1), (3, G1), (4, Z), (5, G1)],
    },
    // EXCLUDE (X,Y), IS_EX (A) -> EXCLUDE (A-Y, Y*A), (A-X-Y)=GMI, Delete (X-A), Delete (Y-A),
    // Group Timer=GMI
    Row {
        name: "EXCLUDE(X,Y) IS_EX(A)",
        init: Init::Exc,
        rec: RecordType::IS_EX,
        srcs: &[2, 3, 5],
        mode: EX,
        sources: &[(2, G0), (3, Z), (5, G1)],
        group_timer: Some(G1),
        q_group: false,
        q_sources: &[],
        after_mode: EX,
        after: &[(2, G0), (3, Z), (5, G1)],
    },
    // EXCLUDE (X,Y), ALLOW (A) -> EXCLUDE (X+A, Y-A), (A)=GMI
    Row {
        name: "EXCLUDE(X,Y) ALLOW(A)",
        init: Init::Exc,
        rec: RecordType::ALLOW,
        srcs: &[2, 3, 5],
        mode: EX,
        sources: &[(1, G0), (2, G1), (3, G1), (4, Z), (5, G1)],
        group_timer: Some(G0),
        q_group: false,
        q_sources: &[],
        after_mode: EX,
        after: &[(1, G0), (2, G1), (3, G1), (4, Z), (5, G1)],
    },
    // EXCLUDE (X,Y), BLOCK (A) -> EXCLUDE (X+(A-Y), Y), (A-X-Y)=Group Timer, Send Q(G,A-Y)
    Row {
        name: "EXCLUDE(X,Y) BLOCK(A)",
        init: Init::Exc,
        rec: RecordType::BLOCK,
        srcs: &[2, 3, 5],
        mode: EX,
        sources: &[(1, G0), (2, L), (3, Z), (4, Z), (5, L)],
        group_timer: Some(G0),
        q_group: false,
        q_sources: &[2, 5],
        after_mode: EX,
        after: &[(1, G0), (2, Z), (3, Z), (4, Z), (5, Z)],
    },
    // EXCLUDE (X,Y), TO_EX (A) -> EXCLUDE (A-Y, Y*A), (A-X-Y)=Group Timer, Delete (X-A),
    // Delete (Y-A), Send Q(G,A-Y), Group Timer=GMI
    Row {
        name: "EXCLUDE(X,Y) TO_EX(A)",
        init: Init::Exc,
        rec: RecordType::TO_EX,
        srcs: &[2, 3, 5],
        mode: EX,
        sources: &[(2, L), (3, Z), (5, L)],
        group_timer: Some(G1),
        q_group: false,
        q_sources: &[2, 5],
        after_mode: EX,
        after: &[(2, Z), (3, Z), (5, Z)],
    },
    // EXCLUDE (X,Y), TO_IN (A) -> EXCLUDE (X+A, Y-A), (A)=GMI, Send Q(G,X-A), Send Q(G)
    Row {
        name: "EXCLUDE(X,Y) TO_IN(A)",
        init: Init::Exc,
        rec: RecordType::TO_IN,
        srcs: &[2, 3, 5],
        mode: EX,
        sources: &[(1, L), (2, G1), (3, G1), (4, Z), (5, G1)],
        group_timer: Some(L),
        q_group: true,
        q_sources: &[1],
        after_mode: IN,
        after: &[(2, G1), (3, G1), (5, G1)],
    },
];

fn strs(ns: &[u8]) -> Vec<String> {
    ns.iter().map(|&n| s_str(n)).collect()
}

fn report(rtype: RecordType, ns: &[u8]) -> Vec<u8> {
    let v = strs(ns);
    let r: Vec<&str> = v.iter().map(String::as_str).collect();
    v3_report(ip("10.1.0.1"), rtype, g(), &r)
}

fn expect_sources(list: &[(u8, T)]) -> Vec<(Ipv4Addr, Option<f64>)> {
    list.iter().map(|&(n, t)| (s(n), t.secs())).collect()
}

#[test]
fn rfc3376_6_4_every_transition() {
    for row in TABLE {
        let mut sim = Sim::new(snooper(querying()));
        match row.init {
            Init::Inc => sim.frame(1, &report(RecordType::ALLOW, &[1, 2])),
            Init::Exc => {
                sim.frame(1, &report(RecordType::IS_EX, &[3, 4]));
                sim.frame(1, &report(RecordType::ALLOW, &[1, 2]));
            }
        }
        sim.take_sent();
        sim.run_until(10.0);
        sim.frame(1, &report(row.rec, row.srcs));
        let (mode, sources, gt) = sim.state(g(), 1).expect(row.name);
        assert_eq!(mode, row.mode, "{}: mode", row.name);
        assert_eq!(
            sources,
            expect_sources(row.sources),
            "{}: sources",
            row.name
        );
        assert_eq!(
            gt,
            row.group_timer.and_then(T::secs),
            "{}: group timer",
            row.name
        );

        // The queries it schedules: out of the reporting port, to the group, IGMPv3, TTL 1
        // with Router Alert, S flag clear (the timers were just lowered to LMQT).
        let mut expected = vec![];
        if row.q_group {
            expected.push(vec![]);
        }
        if !row.q_sources.is_empty() {
            expected.push(row.q_sources.iter().map(|&n| s(n)).collect());
        }
        let sent = sim.take_queries();
        let got: Vec<Vec<Ipv4Addr>> = sent.iter().map(|q| q.sources.clone()).collect();
        assert_eq!(got, expected, "{}: queries at once", row.name);
        for q in &sent {
            assert_eq!(q.egress, Out::Ports(vec![1]), "{}", row.name);
            assert_eq!(
                (q.version, q.group, q.dst_ip, q.ttl),
                (3, g(), g(), 1),
                "{}",
                row.name
            );
            assert!(q.router_alert && !q.s_flag, "{}", row.name);
        }
        // Last Member Query Count (2) in all: one retransmission one LMQI later.
        sim.run_until(11.0);
        let again: Vec<Vec<Ipv4Addr>> = sim
            .take_queries()
            .iter()
            .map(|q| q.sources.clone())
            .collect();
        assert_eq!(again, expected, "{}: retransmission", row.name);
        // Nobody answers: the lowered timers run out at LMQT.
        sim.run_until(12.5);
        assert!(
            sim.take_queries().is_empty(),
            "{}: no third query",
            row.name
        );
        let (mode, sources, _) = sim.state(g(), 1).expect(row.name);
        assert_eq!(mode, row.after_mode, "{}: mode after LMQT", row.name);
        assert_eq!(
            sources,
            expect_sources(row.after),
            "{}: sources after LMQT",
            row.name
        );
        // Forwarding follows §6.3 (port 1 is the only port).
        for &(n, t) in row.after {
            assert_eq!(sim.forwards(g(), &s_str(n), 1), t != Z, "{}: {n}", row.name);
        }
        assert_eq!(
            sim.forwards(g(), "10.0.0.99", 1),
            row.after_mode == EX,
            "{}",
            row.name
        );
    }
}

#[test]
fn an_answer_to_a_group_and_source_query_keeps_the_source() {
    let mut sim = Sim::new(snooper(querying()));
    sim.frame(1, &report(RecordType::ALLOW, &[1, 2]));
    sim.run_until(10.0);
    sim.frame(1, &report(RecordType::BLOCK, &[2]));
    assert_eq!(sim.take_queries().len(), 1);
    sim.run_until(10.5);
    // Another host behind port 1 still wants 10.0.0.2: IS_IN answers the query.
    sim.frame(1, &report(RecordType::IS_IN, &[2]));
    sim.run_until(11.0);
    // The retransmission carries the S flag now (timer above LMQT: suppress router-side
    // processing, §6.6.3.2).
    let q = sim.take_queries();
    assert_eq!(q.len(), 1);
    assert!(q[0].s_flag);
    sim.run_until(20.0);
    let (_, sources, _) = sim.state(g(), 1).unwrap();
    assert_eq!(sources, vec![(s(1), Some(260.0)), (s(2), Some(270.5))]);
}

#[test]
fn exclude_falls_back_to_include_when_the_group_timer_expires() {
    // §6.5: with sources still running, INCLUDE with those; with none, the record goes.
    let mut sim = Sim::new(snooper(Config::default()));
    sim.frame(1, &report(RecordType::IS_EX, &[3]));
    sim.run_until(100.0);
    sim.frame(1, &report(RecordType::ALLOW, &[1]));
    sim.take_events();
    sim.run_until(260.5);
    let (mode, sources, gt) = sim.state(g(), 1).unwrap();
    assert_eq!((mode, gt), (FilterMode::Include, None));
    assert_eq!(sources, vec![(s(1), Some(360.0))]);
    assert_eq!(
        sim.take_events(),
        vec![Event::SourcesChanged {
            vlan: VlanId::UNTAGGED,
            group: g()
        }]
    );
    sim.run_until(360.5);
    assert!(sim.state(g(), 1).is_none());
    assert_eq!(
        sim.take_events(),
        vec![Event::GroupRemoved {
            vlan: VlanId::UNTAGGED,
            group: g()
        }]
    );
}

#[test]
fn forwarding_per_source_over_several_ports() {
    // §6.3 per port; the group's table merges them, with router ports getting everything.
    let mut sim = Sim::new(snooper(Config {
        router_ports: vec![9],
        ..Config::default()
    }));
    sim.frame(1, &report(RecordType::IS_IN, &[1, 2]));
    sim.frame(2, &report(RecordType::IS_EX, &[2, 3]));
    sim.frame(3, &report(RecordType::IS_IN, &[3]));
    let f = |src: u8| {
        sim.sn
            .forward_ports(VlanId::UNTAGGED, g(), s(src), 9999)
            .ports()
            .unwrap()
            .to_vec()
    };
    assert_eq!(f(1), vec![1, 2, 9]);
    assert_eq!(f(2), vec![1, 9]);
    assert_eq!(f(3), vec![3, 9]);
    assert_eq!(f(7), vec![2, 9]);
    assert_eq!(sim.sn.group_ports(VlanId::UNTAGGED, g()), &[1, 2, 3]);
}

// ---------------------------------------------------------------------------------------------
// Host compatibility (§7.3.2)

#[test]
fn v2_compat_ignores_block_and_to_ex_sources() {
    let mut sim = Sim::new(snooper(querying()));
    sim.frame(1, &v2_report(ip("10.1.0.2"), g()));
    assert_eq!(
        sim.sn
            .membership(VlanId::UNTAGGED, g(), 1)
            .unwrap()
            .compat_version,
        2
    );
    sim.frame(1, &report(RecordType::TO_EX, &[7]));
    let (mode, sources, _) = sim.state(g(), 1).unwrap();
    assert_eq!((mode, sources), (FilterMode::Exclude, vec![]));
    sim.frame(1, &report(RecordType::BLOCK, &[7]));
    assert_eq!(sim.state(g(), 1).unwrap().1, vec![]);
    // A leave still works (TO_IN({})): Q(G), as an IGMPv2 group-specific query.
    sim.take_sent();
    sim.frame(1, &v2_leave(ip("10.1.0.2"), g()));
    let q = sim.take_queries();
    assert_eq!(q.len(), 1);
    assert_eq!((q[0].version, q[0].group), (2, g()));
    // After the older host present interval (260 s) the port is back in IGMPv3 mode.
    let mut sim = Sim::new(snooper(querying()));
    sim.frame(1, &v2_report(ip("10.1.0.2"), g()));
    sim.run_until(200.0);
    sim.frame(1, &report(RecordType::IS_EX, &[]));
    sim.run_until(261.0);
    assert_eq!(
        sim.sn
            .membership(VlanId::UNTAGGED, g(), 1)
            .unwrap()
            .compat_version,
        3
    );
    // TO_EX({7}) in EXCLUDE({}, {}): 7 takes the group timer, then Q(G,{7}) lowers it to LMQT,
    // and unanswered it is excluded.
    sim.frame(1, &report(RecordType::TO_EX, &[7]));
    assert_eq!(sim.state(g(), 1).unwrap().1, vec![(s(7), Some(263.0))]);
    assert_eq!(sim.take_queries().len(), 1);
    sim.run_until(263.5);
    assert_eq!(sim.state(g(), 1).unwrap().1, vec![(s(7), None)]);
}

/// An older host present interval shorter than the group membership interval: a v2 report
/// that only refreshes a group (the steady state) still starts the port's compatibility timer,
/// `poll_timeout` says when it runs out, and IGMPv3 mode comes back on time.
#[test]
fn short_older_host_interval_is_scheduled_on_a_refresh() {
    let c = Config {
        older_host_present_interval: Some(Duration::from_secs(15)),
        ..Config::default()
    };
    let mut sim = Sim::new(snooper(c));
    sim.frame(1, &report(RecordType::IS_EX, &[]));
    sim.run_until(10.0);
    // IS_EX({}) again, from an IGMPv2 host: a refresh of the group timer, and v2 mode until 25.
    sim.frame(1, &v2_report(ip("10.1.0.2"), g()));
    let m = sim.sn.membership(VlanId::UNTAGGED, g(), 1).unwrap();
    assert_eq!(m.compat_version, 2);
    let due = sim.sn.poll_timeout().unwrap();
    assert!(sim.secs(due) <= 25.0, "poll_timeout at {} s", sim.secs(due));
    sim.run_until(25.5);
    let m = sim.sn.membership(VlanId::UNTAGGED, g(), 1).unwrap();
    assert_eq!(m.compat_version, 3);
    // Back in IGMPv3 mode, TO_EX({7}) keeps its source.
    sim.frame(1, &report(RecordType::TO_EX, &[7]));
    assert_eq!(sim.state(g(), 1).unwrap().1.len(), 1);
}

/// An older host present interval shortened by `set_config`: a v2 report that refreshes a
/// running compatibility timer moves it earlier, and `poll_timeout` follows.
#[test]
fn shortened_older_host_interval_moves_the_deadline_earlier() {
    let c = Config {
        older_host_present_interval: Some(Duration::from_secs(200)),
        ..Config::default()
    };
    let mut sim = Sim::new(snooper(c.clone()));
    sim.frame(1, &v2_report(ip("10.1.0.2"), g()));
    sim.run_until(10.0);
    let now = sim.now;
    sim.sn.set_config(
        now,
        Config {
            older_host_present_interval: Some(Duration::from_secs(15)),
            ..c
        },
    );
    sim.frame(1, &v2_report(ip("10.1.0.2"), g()));
    let m = sim.sn.membership(VlanId::UNTAGGED, g(), 1).unwrap();
    let timer = sim.secs(m.compat_timer.unwrap());
    assert_eq!((m.compat_version, timer), (2, 25.0));
    let due = sim.secs(sim.sn.poll_timeout().unwrap());
    assert!(
        due <= timer,
        "poll_timeout at {due} s, compatibility timer at {timer} s"
    );
    sim.run_until(25.5);
    let m = sim.sn.membership(VlanId::UNTAGGED, g(), 1).unwrap();
    assert_eq!(m.compat_version, 3);
}

#[test]
fn v1_compat_ignores_leaves_and_to_in() {
    let mut sim = Sim::new(snooper(Config::default()));
    sim.frame(1, &v1_report(ip("10.1.0.2"), g()));
    assert_eq!(
        sim.sn
            .membership(VlanId::UNTAGGED, g(), 1)
            .unwrap()
            .compat_version,
        1
    );
    sim.take_sent();
    sim.frame(1, &v2_leave(ip("10.1.0.2"), g()));
    sim.frame(1, &report(RecordType::TO_IN, &[]));
    assert!(sim.take_queries().is_empty());
    sim.run_until(30.0);
    assert!(sim.state(g(), 1).is_some());
}

// ---------------------------------------------------------------------------------------------
// Querier election and router ports

#[test]
fn querier_election_lowest_address_wins_and_times_out() {
    let cfg = Config {
        querier: Some(QuerierConfig::new(ip("10.0.0.5"))),
        ..Config::default()
    };
    let mut sim = Sim::new(snooper(cfg));
    // We start as querier: QuerierChanged(us) and a general query flooded to everyone.
    let ev = sim.take_events();
    assert!(matches!(ev.as_slice(), [Event::QuerierChanged { querier: Some(q), .. }] if q.is_us()));
    let q = sim.take_queries();
    assert_eq!(q.len(), 1);
    assert_eq!(
        (q[0].group, q[0].dst_ip, q[0].src_ip),
        (Ipv4Addr::UNSPECIFIED, ip("224.0.0.1"), ip("10.0.0.5"))
    );
    assert_eq!(q[0].egress, Out::Flood { except: None });
    // Startup: 2 queries a quarter query interval apart, then every 125 s.
    sim.run_until(31.25);
    assert_eq!(sim.take_queries().len(), 1);
    sim.run_until(156.0);
    assert!(sim.take_queries().is_empty());
    sim.run_until(156.25);
    assert_eq!(sim.take_queries().len(), 1);
    // A higher address does not win (but its port is a router port).
    sim.frame(
        4,
        &v3_query(ip("10.0.0.9"), None, &[], Duration::from_secs(10)),
    );
    assert!(sim.sn.querier(VlanId::UNTAGGED).unwrap().is_us());
    assert_eq!(sim.sn.router_ports(VlanId::UNTAGGED), &[4]);
    // A lower one does.
    sim.frame(
        7,
        &v3_query(ip("10.0.0.1"), None, &[], Duration::from_secs(10)),
    );
    let q = sim.sn.querier(VlanId::UNTAGGED).unwrap();
    assert_eq!((q.address, q.port), (ip("10.0.0.1"), Some(7)));
    let ev = sim.take_events();
    assert!(ev.contains(&Event::RouterPortAdded {
        vlan: VlanId::UNTAGGED,
        port: 7
    }));
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::QuerierChanged { querier: Some(q), .. } if q.port == Some(7))));
    // The query is flooded (except back to where it came from); we stop querying.
    let sent = sim.take_sent();
    assert_eq!(sent.last().unwrap().egress, Out::Flood { except: Some(7) });
    sim.run_until(400.0);
    // Other querier present interval: 2 × 125 + 5 = 255 s after its last query (t = 156.25):
    // we take over at t = 411.25.
    assert!(sim.take_queries().is_empty());
    sim.run_until(411.0);
    assert!(!sim.sn.querier(VlanId::UNTAGGED).unwrap().is_us());
    sim.run_until(411.25);
    assert!(sim.sn.querier(VlanId::UNTAGGED).unwrap().is_us());
    assert_eq!(sim.take_queries().len(), 1);
    let ev = sim.take_events();
    assert!(
        ev.contains(&Event::RouterPortRemoved {
            vlan: VlanId::UNTAGGED,
            port: 7
        }),
        "{ev:?}"
    );
}

#[test]
fn a_query_from_0_0_0_0_elects_nobody_and_makes_no_router_port() {
    let mut sim = Sim::new(snooper(Config::default()));
    sim.frame(
        3,
        &v3_query(Ipv4Addr::UNSPECIFIED, None, &[], Duration::from_secs(10)),
    );
    assert!(sim.sn.querier(VlanId::UNTAGGED).is_none());
    assert!(sim.sn.router_ports(VlanId::UNTAGGED).is_empty());
    // Still flooded.
    assert_eq!(sim.take_sent()[0].egress, Out::Flood { except: Some(3) });
}

#[test]
fn igmplib_snooper_learns_the_port_of_a_0_0_0_0_querier() {
    // Ryu's igmplib's pseudo-querier queries from 0.0.0.0 and its snoopers learn its port from it:
    // Config::ryu_igmplib does, still without electing it.
    let mut sim = Sim::new(snooper(Config::ryu_igmplib()));
    sim.frame(
        4,
        &v3_query(Ipv4Addr::UNSPECIFIED, None, &[], Duration::from_secs(10)),
    );
    assert!(sim.sn.querier(VlanId::UNTAGGED).is_none());
    assert_eq!(sim.sn.router_ports(VlanId::UNTAGGED), &[4]);
    sim.take_sent();
    // A report now goes to the querier's port.
    sim.frame(1, &v2_report(ip("10.1.0.1"), g()));
    let sent = sim.take_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].egress, Out::Ports(vec![4]));
}

#[test]
fn pim_hello_makes_a_router_port_and_reports_go_only_there() {
    let mut sim = Sim::new(snooper(Config::default()));
    // PIMv2 hello: version 2 type 0, to 224.0.0.13, protocol 103.
    let mut iph = sdnwire_packet::Ipv4::new(ip("10.0.0.254"), ip("224.0.0.13"));
    iph.ttl = 1;
    iph.proto = Some(sdnwire_packet::IpProtocol(103));
    let hello = (sdnwire_packet::Ethernet::new(
        sdnwire_packet::MacAddr::new(1, 0, 0x5e, 0, 0, 13),
        host_mac(254),
    ) / iph)
        .with_payload(vec![
            0x20, 0x00, 0xdf, 0xff, 0x00, 0x01, 0x00, 0x02, 0x00, 0x69,
        ])
        .with_min_len(60)
        .to_vec()
        .unwrap();
    sim.frame(5, &hello);
    assert_eq!(sim.sn.router_ports(VlanId::UNTAGGED), &[5]);
    sim.frame(1, &v2_report(ip("10.1.0.1"), g()));
    let sent = sim.take_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].egress, Out::Ports(vec![5]));
    // Multicast data goes to the member and the router port.
    assert_eq!(
        sim.sn.forward_ports(VlanId::UNTAGGED, g(), s(1), 9999),
        Forward::Ports(PortList::from(&[1, 5][..]))
    );
    // Never back out of the port it came in on.
    assert_eq!(
        sim.sn
            .forward_ports(VlanId::UNTAGGED, g(), s(1), 5)
            .ports()
            .unwrap(),
        [1]
    );
    assert_eq!(
        sim.sn
            .forward_ports(VlanId::UNTAGGED, g(), s(1), 1)
            .ports()
            .unwrap(),
        [5]
    );
}

#[test]
fn link_local_groups_flood_and_unregistered_groups_follow_the_config() {
    for (unreg, expect) in [
        (Unregistered::Flood, Forward::Flood),
        (
            Unregistered::RouterPorts,
            Forward::Ports(PortList::from(&[8][..])),
        ),
        (Unregistered::Drop, Forward::Drop),
    ] {
        let mut sim = Sim::new(snooper(Config {
            unregistered: unreg,
            router_ports: vec![8],
            ..Config::default()
        }));
        sim.frame(1, &v2_report(ip("10.1.0.1"), ip("224.0.0.251")));
        assert_eq!(sim.sn.group_count(), 0, "224.0.0.x is never tracked");
        assert_eq!(
            sim.sn
                .forward_ports(VlanId::UNTAGGED, ip("224.0.0.251"), s(1), 9999),
            Forward::Flood
        );
        assert_eq!(
            sim.sn
                .forward_ports(VlanId::UNTAGGED, ip("239.9.9.9"), s(1), 9999),
            expect
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Ryu's igmplib's flows

/// A querier (router) on port 4, hosts on ports 1-3: Ryu's igmplib's topology.
fn igmplib_sim(cfg: Config) -> Sim {
    let mut sim = Sim::new(snooper(cfg));
    sim.frame(4, &v2_query(ip("192.168.0.254"), None, 10));
    sim.take_sent();
    sim.take_events();
    sim
}

#[test]
fn igmplib_join_second_member_and_leaves() {
    let mut sim = igmplib_sim(Config::ryu_igmplib());
    let h1 = ip("192.168.0.1");
    let h2 = ip("192.168.0.2");
    // Join: GroupAdded, the report goes to the querier.
    sim.frame(1, &v2_report(h1, g()));
    assert_eq!(
        sim.take_events(),
        vec![Event::GroupAdded {
            vlan: VlanId::UNTAGGED,
            group: g(),
            ports: vec![1]
        }]
    );
    let sent = sim.take_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].egress, Out::Ports(vec![4]));
    // Second member: MemberChanged; only the first report after a query goes to the querier.
    sim.frame(3, &v2_report(h2, g()));
    assert_eq!(
        sim.take_events(),
        vec![Event::MemberChanged {
            vlan: VlanId::UNTAGGED,
            group: g(),
            ports: vec![1, 3]
        }]
    );
    assert!(sim.take_sent().is_empty());
    assert_eq!(
        sim.sn
            .forward_ports(VlanId::UNTAGGED, g(), ip("192.168.0.100"), 9999),
        Forward::Ports(PortList::from(&[1, 3, 4][..]))
    );
    // Leave with a member left: a group-specific query out of that port only; the leave is
    // not forwarded; the port goes after LMQT (2 s).
    sim.run_until(5.0);
    sim.frame(3, &v2_leave(h2, g()));
    let sent = sim.take_sent();
    assert_eq!(sent.len(), 1);
    let q = decode_query(&sent[0]).unwrap();
    assert_eq!(
        (q.version, q.group, q.egress),
        (2, g(), Out::Ports(vec![3]))
    );
    sim.run_until(7.5);
    assert_eq!(
        sim.take_events(),
        vec![Event::MemberChanged {
            vlan: VlanId::UNTAGGED,
            group: g(),
            ports: vec![1]
        }]
    );
    assert!(
        sim.take_sent().iter().all(|t| decode_query(t).is_some()),
        "no leave forwarded"
    );
    // Last member leaves: query, then GroupRemoved and the leave forwarded to the querier.
    sim.frame(1, &v2_leave(h1, g()));
    assert_eq!(sim.take_queries().len(), 1);
    sim.run_until(10.5);
    assert_eq!(
        sim.take_events(),
        vec![Event::GroupRemoved {
            vlan: VlanId::UNTAGGED,
            group: g()
        }]
    );
    let sent = sim.take_sent();
    let leaves: Vec<_> = sent.iter().filter(|t| decode_query(t).is_none()).collect();
    assert_eq!(leaves.len(), 1);
    assert_eq!(leaves[0].egress, Out::Ports(vec![4]));
    assert_eq!(leaves[0].frame, v2_leave(h1, g()));
    assert_eq!(
        sim.sn
            .forward_ports(VlanId::UNTAGGED, g(), ip("192.168.0.100"), 9999),
        Forward::Flood
    );
}

#[test]
fn igmplib_a_report_answering_the_leave_query_keeps_the_port() {
    let mut sim = igmplib_sim(Config::ryu_igmplib());
    sim.frame(1, &v2_report(ip("192.168.0.1"), g()));
    sim.frame(1, &v2_leave(ip("192.168.0.1"), g()));
    sim.run_until(0.5);
    sim.frame(1, &v2_report(ip("192.168.0.9"), g()));
    sim.run_until(10.0);
    assert_eq!(sim.sn.group_ports(VlanId::UNTAGGED, g()), &[1]);
    // Only the first report went to the querier: the answer to our own group-specific query
    // changes nothing it needs to know (and the leave was never passed on).
    let fwd: Vec<_> = sim
        .take_sent()
        .into_iter()
        .filter(|t| decode_query(t).is_none())
        .collect();
    assert_eq!(fwd.len(), 1);
    assert_eq!(fwd[0].frame, v2_report(ip("192.168.0.1"), g()));
}

#[test]
fn igmplib_query_timeout_drops_groups_nobody_answered() {
    let mut sim = igmplib_sim(Config::ryu_igmplib());
    sim.frame(1, &v2_report(ip("192.168.0.1"), g()));
    sim.frame(2, &v2_report(ip("192.168.0.2"), g()));
    sim.frame(2, &v2_report(ip("192.168.0.2"), ip("239.1.1.1")));
    sim.take_events();
    sim.take_sent();
    sim.run_until(60.0);
    // A general query (Max Resp Time 10 s): only port 1 answers for G.
    sim.frame(4, &v2_query(ip("192.168.0.254"), None, 10));
    assert_eq!(sim.take_sent()[0].egress, Out::Flood { except: Some(4) });
    sim.run_until(63.0);
    sim.frame(1, &v2_report(ip("192.168.0.1"), g()));
    // The first report after the query is forwarded to the querier.
    assert_eq!(sim.take_sent()[0].egress, Out::Ports(vec![4]));
    sim.run_until(70.5);
    // Ryu's igmplib's snooper keeps one reply status per group: port 1's answer keeps port 2
    // in G too (os-ken's `IgmpSnooper._do_timeout_for_query`).
    assert_eq!(
        sim.take_events(),
        vec![Event::GroupRemoved {
            vlan: VlanId::UNTAGGED,
            group: ip("239.1.1.1")
        },]
    );
    assert_eq!(sim.sn.group_ports(VlanId::UNTAGGED, g()), &[1, 2]);
}

#[test]
fn igmplib_pseudo_querier() {
    // Running from T0: its first general query is ready without a handle_timeout call.
    let mut q = Querier::pseudo(ip("192.168.0.100"), 2, Duration::from_secs(60), T0);
    // No startup queries (os-ken's `IgmpQuerier._send_query`): the next one 60 s later.
    assert_eq!(q.poll_timeout(), Some(T0 + Duration::from_secs(60)));
    let mut sent = Vec::new();
    drain_transmits(&mut q, &mut Vec::new(), &mut sent);
    assert_eq!(sent.len(), 1);
    let tx = &sent[0];
    assert_eq!(
        (tx.kind, tx.vlan, tx.tag),
        (TransmitKind::GeneralQuery, VlanId::UNTAGGED, Tag::None)
    );
    let sq = decode_query(tx).unwrap();
    assert_eq!(
        (sq.version, sq.group, sq.src_ip, sq.egress.clone()),
        (
            2,
            Ipv4Addr::UNSPECIFIED,
            ip("192.168.0.100"),
            Out::Flood { except: None }
        )
    );
    assert_eq!(
        q.router_ports(VlanId::UNTAGGED),
        &[] as &[u32],
        "the server port is not a router port"
    );
    let mut sim = Sim::new(q.into_inner());
    // Every 60 s.
    sim.take_sent();
    sim.run_until(15.5);
    assert_eq!(sim.take_queries().len(), 0);
    sim.run_until(60.5);
    assert_eq!(sim.take_queries().len(), 1);
    sim.frame(1, &v2_report(ip("192.168.0.1"), ip("225.0.0.1")));
    sim.frame(3, &v2_report(ip("192.168.0.3"), ip("225.0.0.1")));
    sim.frame(3, &v2_report(ip("192.168.0.3"), ip("225.0.0.2")));
    assert_eq!(
        sim.sn
            .forward_ports(VlanId::UNTAGGED, ip("225.0.0.1"), ip("192.168.0.200"), 2),
        Forward::Ports(PortList::from(&[1, 3][..])),
        "the server's traffic goes to the members, never back to the server port"
    );
    // Port 3 stops answering: gone after the next query's response interval.
    sim.run_until(120.5);
    sim.frame(1, &v2_report(ip("192.168.0.1"), ip("225.0.0.1")));
    sim.take_events();
    sim.run_until(131.0);
    let mut ev = sim.take_events();
    ev.sort_by_key(|e| format!("{e:?}"));
    assert_eq!(
        ev,
        vec![
            Event::GroupRemoved {
                vlan: VlanId::UNTAGGED,
                group: ip("225.0.0.2")
            },
            Event::MemberChanged {
                vlan: VlanId::UNTAGGED,
                group: ip("225.0.0.1"),
                ports: vec![1]
            },
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Fast leave, VLANs, bounds, bad frames

#[test]
fn fast_leave_removes_the_port_at_once() {
    let mut sim = Sim::new(snooper(Config {
        fast_leave: PortSet::Ports(vec![1]),
        ..Config::default()
    }));
    sim.frame(1, &v2_report(ip("10.1.0.1"), g()));
    sim.frame(2, &v2_report(ip("10.1.0.2"), g()));
    sim.take_events();
    sim.take_sent();
    sim.frame(1, &v2_leave(ip("10.1.0.1"), g()));
    assert!(sim.take_queries().is_empty());
    assert_eq!(
        sim.take_events(),
        vec![Event::MemberChanged {
            vlan: VlanId::UNTAGGED,
            group: g(),
            ports: vec![2]
        }]
    );
    // v3 BLOCK on a fast-leave port drops the sources at once.
    sim.frame(1, &report(RecordType::ALLOW, &[1, 2]));
    sim.frame(1, &report(RecordType::BLOCK, &[1]));
    assert_eq!(sim.state(g(), 1).unwrap().1.len(), 1);
}

#[test]
fn vlans_are_separate_instances() {
    let mut sim = Sim::new(snooper(Config::default()));
    let now = sim.now;
    // A tagged frame: VLAN read from the tag.
    let mut tagged = v2_report(ip("10.1.0.1"), g());
    let mut with_tag = tagged[..12].to_vec();
    with_tag.extend_from_slice(&[0x81, 0x00, 0x00, 0x0a]);
    with_tag.extend_from_slice(&tagged[12..]);
    tagged = with_tag;
    let v10 = VlanId::new(10).unwrap();
    let v20 = VlanId::new(20).unwrap();
    sim.sn.handle_frame(now, 1, None, &tagged).unwrap();
    sim.sn
        .handle_frame(now, 2, Some(v20), &v2_report(ip("10.1.0.2"), g()))
        .unwrap();
    sim.drain();
    assert_eq!(sim.sn.group_ports(v10, g()), &[1]);
    assert_eq!(sim.sn.group_ports(v20, g()), &[2]);
    assert_eq!(sim.sn.group_ports(VlanId::UNTAGGED, g()), &[] as &[u32]);
    let vlans: Vec<_> = sim.sn.vlans().collect();
    assert_eq!(vlans, vec![v10, v20]);
    assert_eq!(sim.take_events().len(), 2);
    // Reports go to the router ports as they came: the tagged one with its tag in the frame,
    // the one whose tag the runtime took off with the tag to push.
    sim.sn.set_config(
        now,
        Config {
            router_ports: vec![7],
            ..sim.sn.config().clone()
        },
    );
    // (Other groups: a second report for g() would be suppressed.)
    let plain = v2_report(ip("10.1.0.3"), ip("239.9.9.9"));
    let mut tagged = plain[..12].to_vec();
    tagged.extend_from_slice(&[0x81, 0x00, 0x00, 0x0a]);
    tagged.extend_from_slice(&plain[12..]);
    sim.frame(3, &tagged);
    sim.sn.handle_frame(now, 4, Some(v20), &plain).unwrap();
    sim.drain();
    let sent = sim.take_sent();
    let what: Vec<_> = sent
        .iter()
        .map(|s| (s.kind, s.vlan, s.tag, s.egress.clone()))
        .collect();
    assert_eq!(
        what,
        vec![
            (
                TransmitKind::ForwardedReport,
                v10,
                Tag::InFrame,
                Out::Ports(vec![7])
            ),
            (
                TransmitKind::ForwardedReport,
                v20,
                Tag::Push(20),
                Out::Ports(vec![7])
            ),
        ]
    );
    assert_eq!(sent[0].frame, tagged);
}

#[test]
fn limits_refuse_and_never_grow() {
    let mut sim = Sim::new(snooper(Config {
        max_groups_per_vlan: 3,
        max_groups_per_port: 2,
        max_sources_per_group: 4,
        ..Config::default()
    }));
    for i in 1..=3 {
        sim.frame(1, &v2_report(ip("10.1.0.1"), Ipv4Addr::new(239, 0, 0, i)));
    }
    assert_eq!(sim.sn.group_count(), 2);
    assert_eq!(
        sim.take_errors(),
        vec![Error::Limit {
            vlan: VlanId::UNTAGGED,
            port: 1,
            group: ip("239.0.0.3"),
            limit: Limit::GroupsPerPort
        }]
    );
    sim.frame(2, &v2_report(ip("10.1.0.2"), ip("239.0.0.3")));
    sim.frame(3, &v2_report(ip("10.1.0.3"), ip("239.0.0.4")));
    assert_eq!(sim.sn.group_count(), 3);
    assert_eq!(
        sim.take_errors(),
        vec![Error::Limit {
            vlan: VlanId::UNTAGGED,
            port: 3,
            group: ip("239.0.0.4"),
            limit: Limit::GroupsPerVlan
        }]
    );
    sim.frame(
        2,
        &v3_report(
            ip("10.1.0.2"),
            RecordType::ALLOW,
            ip("239.0.0.3"),
            &["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"],
        ),
    );
    assert!(matches!(
        sim.take_errors()[..],
        [Error::Limit {
            limit: Limit::SourcesPerGroup,
            port: 2,
            ..
        }]
    ));
    sim.frame(
        2,
        &v3_report(
            ip("10.1.0.2"),
            RecordType::ALLOW,
            ip("239.0.0.3"),
            &["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"],
        ),
    );
    sim.frame(
        2,
        &v3_report(
            ip("10.1.0.2"),
            RecordType::IS_IN,
            ip("239.0.0.3"),
            &["10.0.0.5"],
        ),
    );
    let m = sim
        .sn
        .membership(VlanId::UNTAGGED, ip("239.0.0.3"), 2)
        .unwrap();
    assert_eq!(m.sources.len(), 4);
    assert_eq!(sim.take_errors().len(), 1);
    assert_eq!(sim.sn.stats().limit_refusals, 4);
    // Refusals are never events.
    assert!(sim.take_events().iter().all(|e| matches!(
        e,
        Event::GroupAdded { .. } | Event::MemberChanged { .. } | Event::SourcesChanged { .. }
    )));
}

#[test]
fn bad_frames_are_counted_and_reported() {
    let mut sim = Sim::new(snooper(Config::default()));
    let mut f = v2_report(ip("10.1.0.1"), g());
    let last = 14 + 24 + 7;
    f[last] ^= 0xff; // IGMP group byte: checksum now wrong
    sim.frame(1, &f);
    sim.frame(1, &f[..20]);
    sim.frame(1, &v2_report(ip("10.1.0.1"), ip("10.1.2.3")));
    let errors = sim.take_errors();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        matches!(&errors[0], Error::Parse { port: 1, vlan: None, error } if error.to_string().contains("checksum"))
    );
    assert!(matches!(&errors[1], Error::Parse { port: 1, .. }));
    assert!(
        matches!(&errors[2], Error::NotMulticast { port: 1, group, .. } if *group == ip("10.1.2.3"))
    );
    assert!(errors.iter().all(|e| e.port() == 1 && e.is_bad_frame()));
    assert!(sim.take_events().is_empty(), "bad input is never an event");
    assert_eq!(sim.sn.stats().bad_frames, 3);
    assert_eq!(sim.sn.group_count(), 0);
}

/// Everything a runtime can read of a snooper, for "nothing changed" checks.
fn snapshot(sn: &sdnwire_igmp::Snooper) -> String {
    let mut out = String::new();
    for m in sn.memberships() {
        out += &format!("m {m:?}\n");
    }
    for (v, g, ports) in sn.groups() {
        out += &format!("g {v} {g} {ports:?}\n");
    }
    for v in sn.vlans() {
        out += &format!(
            "v {v} routers {:?} querier {:?}\n",
            sn.router_ports(v),
            sn.querier(v)
        );
    }
    out += &format!("timeout {:?}\n", sn.poll_timeout());
    out
}

#[test]
fn refused_frames_create_no_state() {
    let v10 = VlanId::new(10).unwrap();
    let v20 = VlanId::new(20).unwrap();
    let config = Config {
        max_vlans: 2,
        querier: Some(QuerierConfig::new(ip("10.0.0.254"))),
        ..Config::default()
    };
    let mut sim = Sim::new(snooper(config));
    sim.frame(2, &v2_report(ip("10.1.0.2"), g()));
    sim.drain();
    sim.take_sent();
    sim.take_events();
    assert!(sim.take_errors().is_empty());
    let before = snapshot(&sim.sn);
    let stats = sim.sn.stats();
    let mut broken = v2_report(ip("10.1.0.1"), g());
    broken[14 + 24 + 7] ^= 0xff; // IGMP group byte: checksum now wrong
    let refused: Vec<Vec<u8>> = vec![
        v1_report(ip("10.1.0.1"), ip("10.1.2.3")),
        v2_report(ip("10.1.0.1"), ip("10.1.2.3")),
        v2_leave(ip("10.1.0.1"), ip("10.1.2.3")),
        v2_query(ip("10.0.0.1"), Some(ip("10.1.2.3")), 1),
        v3_query(
            ip("10.0.0.1"),
            Some(ip("10.1.2.3")),
            &[],
            Duration::from_secs(1),
        ),
        // A valid record before and after the bad one: none of them is applied.
        v3_report_records(
            ip("10.1.0.1"),
            &[
                (RecordType::IS_EX, ip("239.9.9.9"), &[]),
                (RecordType::ALLOW, ip("10.1.2.3"), &["10.0.0.7"]),
                (RecordType::TO_EX, g(), &[]),
            ],
        ),
        broken,
        sim_truncated(),
    ];
    let mut buf = Vec::new();
    let mut n = 0;
    for f in &refused {
        for vlan in [None, Some(VlanId::UNTAGGED), Some(v10), Some(v20)] {
            for port in [1, 2] {
                let err = sim.sn.handle_frame(sim.now, port, vlan, f).unwrap_err();
                n += 1;
                assert!(err.is_bad_frame(), "{err:?}");
                assert_eq!(err.port(), port);
                assert_eq!(snapshot(&sim.sn), before, "{err:?}");
                assert_eq!(sim.sn.poll_transmit(&mut buf), None, "{err:?}");
                assert!(buf.is_empty());
                assert_eq!(sim.sn.poll_event(), None, "{err:?}");
                let mut expected = stats;
                expected.frames += n;
                expected.bad_frames += n;
                assert_eq!(sim.sn.stats(), expected, "{err:?}");
            }
        }
    }
    // No VLAN instance was created: the bound (2) still admits a new VLAN, with its querier.
    assert_eq!(sim.sn.vlans().collect::<Vec<_>>(), vec![VlanId::UNTAGGED]);
    sim.sn
        .handle_frame(sim.now, 3, Some(v10), &v2_report(ip("10.1.0.3"), g()))
        .unwrap();
    assert!(sim.sn.querier(v10).is_some());
    assert_eq!(sim.sn.group_ports(v10, g()), &[3]);
}

#[test]
fn querier_vlans_beyond_the_bound_are_counted() {
    let v = |n| VlanId::new(n).unwrap();
    let config = Config {
        max_vlans: 2,
        querier: Some(QuerierConfig {
            vlans: vec![v(30), VlanId::UNTAGGED, v(30), v(10), v(20)],
            ..QuerierConfig::new(ip("10.0.0.254"))
        }),
        ..Config::default()
    };
    let mut sim = Sim::new(snooper(config));
    // The first two distinct VLANs of the list start; 10 and 20 are refused, each counted.
    assert_eq!(
        sim.sn.vlans().collect::<Vec<_>>(),
        vec![v(30), VlanId::UNTAGGED]
    );
    assert_eq!(sim.sn.stats().limit_refusals, 2);
    assert!(sim.sn.querier(v(10)).is_none());
    sim.drain();
    let mut queried: Vec<VlanId> = sim.take_sent().iter().map(|s| s.vlan).collect();
    queried.sort();
    queried.dedup();
    assert_eq!(queried.len(), 2);
    assert!(queried.contains(&v(30)) && queried.contains(&VlanId::UNTAGGED));
    // Refused again at input time, as the bound says.
    let err = sim
        .sn
        .handle_frame(sim.now, 1, Some(v(10)), &v2_report(ip("10.1.0.1"), g()))
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Limit {
            limit: Limit::Vlans,
            ..
        }
    ));
    assert_eq!(sim.sn.stats().limit_refusals, 3);
}

fn sim_truncated() -> Vec<u8> {
    v2_report(ip("10.1.0.1"), g())[..20].to_vec()
}

#[test]
fn time_never_goes_backwards() {
    let mut sim = Sim::new(snooper(Config::default()));
    sim.run_until(100.0);
    let now = sim.now;
    sim.sn
        .handle_frame(sim.t0, 1, None, &v2_report(ip("10.1.0.1"), g()))
        .unwrap();
    let m = sim.sn.membership(VlanId::UNTAGGED, g(), 1).unwrap();
    assert_eq!(m.group_timer, Some(now + Duration::from_secs(260)));
}

#[test]
fn refreshes_raise_timers_without_changing_the_lists() {
    // The steady state (hosts answering queries): IS_IN / ALLOW of listed sources and IS_EX of
    // the whole list take a fast path; the result must be the §6.4 one.
    let mut sim = Sim::new(snooper(Config::default()));
    sim.frame(1, &report(RecordType::ALLOW, &[1, 2]));
    sim.frame(2, &report(RecordType::IS_EX, &[3]));
    sim.frame(2, &report(RecordType::ALLOW, &[1]));
    sim.take_events();
    sim.run_until(10.0);
    sim.frame(1, &report(RecordType::IS_IN, &[2]));
    sim.frame(2, &report(RecordType::IS_EX, &[1, 3]));
    sim.frame(2, &report(RecordType::IS_IN, &[1]));
    assert_eq!(
        sim.state(g(), 1).unwrap(),
        (
            FilterMode::Include,
            vec![(s(1), Some(260.0)), (s(2), Some(270.0))],
            None
        )
    );
    assert_eq!(
        sim.state(g(), 2).unwrap(),
        (
            FilterMode::Exclude,
            vec![(s(1), Some(270.0)), (s(3), None)],
            Some(270.0)
        )
    );
    assert!(sim.take_events().is_empty());
    // The group timers still fire where they now are.
    sim.run_until(260.5);
    assert_eq!(sim.state(g(), 1).unwrap().1, vec![(s(2), Some(270.0))]);
    sim.run_until(270.5);
    assert!(sim.state(g(), 1).is_none() && sim.state(g(), 2).is_none());
}

#[test]
fn our_query_version_going_back_up_is_announced() {
    // An IGMPv2 querier with a lower address wins; its port goes down and we take over with
    // IGMPv2 queries (§7.3.1: older querier present); when that timer runs out our queries are
    // IGMPv3 again, and the event says so: the events always describe `querier()`.
    let mut sim = Sim::new(snooper(Config {
        querier: Some(QuerierConfig::new(ip("10.0.0.200"))),
        ..Config::default()
    }));
    sim.frame(4, &v2_query(ip("10.0.0.1"), None, 10));
    sim.take_events();
    let now = sim.now;
    sim.sn.handle_port_down(now, 4);
    sim.drain();
    let last = |ev: Vec<Event>| {
        ev.into_iter().rev().find_map(|e| match e {
            Event::QuerierChanged { querier, .. } => querier,
            _ => None,
        })
    };
    let q = last(sim.take_events()).unwrap();
    assert!(q.is_us());
    assert_eq!(q.version, 2);
    sim.run_until(300.0);
    let q = last(sim.take_events()).expect("the version change is announced");
    assert_eq!((q.is_us(), q.version), (true, 3));
    assert_eq!(sim.sn.querier(VlanId::UNTAGGED), Some(q));
}

#[test]
fn an_older_querier_keeps_its_version_for_the_older_version_querier_interval() {
    // RFC 3376 §8.12: the older version is kept for RV·QI + QRI (2 × 125 + 10 = 260 s), the
    // other querier for RV·QI + QRI/2 (255 s). An IGMPv2 querier with a lower address is heard
    // once at t = 0: from 255 s we are the querier again, with IGMPv2 queries until 260 s.
    let mut sim = Sim::new(snooper(Config {
        querier: Some(QuerierConfig::new(ip("10.0.0.200"))),
        ..Config::default()
    }));
    let t0 = sim.now;
    sim.frame(4, &v2_query(ip("10.0.0.1"), None, 10));
    assert!(!sim.sn.querier(VlanId::UNTAGGED).unwrap().is_us());
    sim.run_until(257.0);
    let q = sim.sn.querier(VlanId::UNTAGGED).unwrap();
    assert_eq!((q.is_us(), q.version), (true, 2), "{:?}", sim.now - t0);
    sim.run_until(261.0);
    let q = sim.sn.querier(VlanId::UNTAGGED).unwrap();
    assert_eq!((q.is_us(), q.version), (true, 3));
}

#[test]
fn an_older_querier_that_loses_the_election_still_lowers_our_version() {
    // RFC 3376 §7.3.1: the querier uses the lowest version present on the network. An IGMPv2
    // querier with a higher address than ours loses the election; while it is heard (the
    // older version querier interval, 260 s) our queries are IGMPv2, then IGMPv3 again.
    let mut sim = Sim::new(snooper(Config {
        querier: Some(QuerierConfig::new(ip("10.0.0.1"))),
        ..Config::default()
    }));
    sim.run_until(1.0);
    let q = sim.sn.querier(VlanId::UNTAGGED).unwrap();
    assert_eq!((q.is_us(), q.version), (true, 3));
    sim.take_queries();
    sim.frame(4, &v2_query(ip("10.0.0.200"), None, 10));
    let q = sim.sn.querier(VlanId::UNTAGGED).unwrap();
    assert_eq!((q.is_us(), q.version), (true, 2));
    let ours = |sent: Vec<SentQuery>| -> Vec<u8> {
        sent.iter()
            .filter(|q| q.src_ip == ip("10.0.0.1"))
            .map(|q| q.version)
            .collect()
    };
    sim.run_until(200.0);
    assert_eq!(ours(sim.take_queries()), [2, 2]);
    sim.run_until(300.0);
    assert_eq!(ours(sim.take_queries()), [3]);
    let q = sim.sn.querier(VlanId::UNTAGGED).unwrap();
    assert_eq!((q.is_us(), q.version), (true, 3));
}
