//! One scenario per behaviour setting of [`Config`] (each setting does one thing: the test
//! shows that thing, with the setting on and off), and the presets' documented choices.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod support;

use core::net::Ipv4Addr;
use core::time::Duration;

use sdnwire_igmp::{
    ActOnLeaves, Config, Error, Event, FilterMode, ForwardLeaves, LastMemberQueries, PortSet,
    QuerierConfig, StrictAging, Subnet, TransmitKind, Unregistered, VlanId,
};
use sdnwire_packet::igmp::{IgmpType, IgmpV3Query, RecordType};
use sdnwire_packet::{Encode, Ethernet, Igmp, Ipv4, MacAddr, Packet};
use support::*;

const U: VlanId = VlanId::UNTAGGED;

fn g() -> Ipv4Addr {
    ip("239.1.2.3")
}

fn host(n: u8) -> Ipv4Addr {
    Ipv4Addr::new(10, 1, 0, n)
}

/// A router querier (10.0.0.254) on port 9.
const ROUTER_PORT: u32 = 9;

fn router_query(sim: &mut Sim) {
    sim.frame(ROUTER_PORT, &v2_query(ip("10.0.0.254"), None, 10));
}

fn kinds(sent: &[Sent]) -> Vec<TransmitKind> {
    sent.iter().map(|t| t.kind).collect()
}

// ------------------------------------------------------------------ source_filtering

#[test]
fn without_source_filtering_v3_records_are_read_as_v2_joins_and_leaves() {
    // The Linux bridge's `mcast_igmp_version 2`: sources ignored, BLOCK and ALLOW are joins,
    // TO_IN({}) a leave.
    let cfg = Config {
        source_filtering: false,
        query_version: 2,
        fast_leave: PortSet::All,
        ..Config::linux_bridge()
    };
    let mut sim = Sim::new(snooper(cfg));
    sim.frame(
        1,
        &v3_report(host(1), RecordType::ALLOW, g(), &["10.9.9.9"]),
    );
    sim.frame(
        2,
        &v3_report(host(2), RecordType::BLOCK, g(), &["10.9.9.9"]),
    );
    assert_eq!(sim.sn.group_ports(U, g()), &[1, 2]);
    for port in [1, 2] {
        let (mode, sources, _) = sim.state(g(), port).unwrap();
        assert_eq!(
            (mode, sources),
            (FilterMode::Exclude, vec![]),
            "port {port}"
        );
    }
    // Every source reaches both ports, the blocked one too.
    assert!(sim.forwards(g(), "10.9.9.9", 2));
    assert!(sim.forwards(g(), "10.8.8.8", 1));
    sim.frame(1, &v3_report(host(1), RecordType::TO_IN, g(), &[]));
    assert_eq!(sim.sn.group_ports(U, g()), &[2]);
    // IS_IN with sources is a join too.
    sim.frame(
        3,
        &v3_report(host(3), RecordType::IS_IN, g(), &["10.9.9.9"]),
    );
    assert_eq!(sim.sn.group_ports(U, g()), &[2, 3]);

    // With source filtering (the default), the same BLOCK on a new port creates nothing and
    // ALLOW keeps its source list.
    let mut sim = Sim::new(snooper(Config::default()));
    sim.frame(
        1,
        &v3_report(host(1), RecordType::ALLOW, g(), &["10.9.9.9"]),
    );
    sim.frame(
        2,
        &v3_report(host(2), RecordType::BLOCK, g(), &["10.9.9.9"]),
    );
    assert_eq!(sim.sn.group_ports(U, g()), &[1]);
    assert_eq!(sim.state(g(), 1).unwrap().0, FilterMode::Include);
}

// ------------------------------------------------------------------ forward_leaves

#[test]
fn forward_leaves_always_passes_every_leave_on_at_once() {
    for (setting, forwarded_at_once) in [
        (ForwardLeaves::Always, true),
        (ForwardLeaves::LastMember, false),
    ] {
        let mut sim = Sim::new(snooper(Config {
            forward_leaves: setting,
            ..Config::default()
        }));
        router_query(&mut sim);
        sim.frame(1, &v2_report(host(1), g()));
        sim.frame(2, &v2_report(host(2), g()));
        sim.take_sent();
        // A member leaves while another remains.
        sim.frame(1, &v2_leave(host(1), g()));
        let sent = sim.take_sent();
        let leaves: Vec<_> = sent
            .iter()
            .filter(|t| t.kind == TransmitKind::ForwardedLeave)
            .collect();
        assert_eq!(leaves.len(), usize::from(forwarded_at_once), "{setting:?}");
        if forwarded_at_once {
            assert_eq!(leaves[0].egress, Out::Ports(vec![ROUTER_PORT]));
            assert_eq!(leaves[0].frame, v2_leave(host(1), g()));
        }
    }
}

// ------------------------------------------------------------------ act_on_leaves

#[test]
fn act_on_leaves_unless_other_querier_ignores_leaves_while_a_router_queries() {
    let cfg = Config {
        act_on_leaves: ActOnLeaves::UnlessOtherQuerier,
        last_member_queries: LastMemberQueries::LowerTimers,
        ..Config::default()
    };
    // With a querier present: the leave changes nothing (the router will query the group).
    let mut sim = Sim::new(snooper(cfg.clone()));
    router_query(&mut sim);
    sim.frame(1, &v2_report(host(1), g()));
    let before = sim.state(g(), 1).unwrap();
    sim.frame(1, &v2_leave(host(1), g()));
    assert_eq!(sim.state(g(), 1).unwrap(), before);
    sim.run_until(10.0);
    assert_eq!(sim.sn.group_ports(U, g()), &[1]);
    // Without one: the timer is lowered to the last member query time (2 s).
    let mut sim = Sim::new(snooper(cfg));
    sim.frame(1, &v2_report(host(1), g()));
    sim.frame(1, &v2_leave(host(1), g()));
    assert_eq!(sim.state(g(), 1).unwrap().2, Some(2.0));
    sim.run_until(2.5);
    assert_eq!(sim.sn.group_ports(U, g()), &[] as &[u32]);
}

#[test]
fn act_on_leaves_when_querier_known_waits_for_a_query() {
    let cfg = Config {
        act_on_leaves: ActOnLeaves::WhenQuerierKnown,
        fast_leave: PortSet::All,
        ..Config::default()
    };
    let mut sim = Sim::new(snooper(cfg));
    sim.frame(1, &v2_report(host(1), g()));
    sim.frame(1, &v2_leave(host(1), g()));
    assert_eq!(
        sim.sn.group_ports(U, g()),
        &[1],
        "no querier known: ignored"
    );
    router_query(&mut sim);
    sim.frame(1, &v2_leave(host(1), g()));
    assert_eq!(sim.sn.group_ports(U, g()), &[] as &[u32]);
}

// ------------------------------------------------------------------ last_member_queries

#[test]
fn last_member_queries_say_who_sends_and_who_lowers() {
    // (setting, queries sent, group timer after the leave), with a router as querier.
    for (setting, sent, timer) in [
        (LastMemberQueries::Querier, 0, Some(260.0)),
        (LastMemberQueries::LowerTimers, 0, Some(2.0)),
        (LastMemberQueries::Always, 1, Some(2.0)),
    ] {
        let mut sim = Sim::new(snooper(Config {
            last_member_queries: setting,
            ..Config::default()
        }));
        router_query(&mut sim);
        sim.frame(1, &v2_report(host(1), g()));
        sim.take_sent();
        sim.frame(1, &v2_leave(host(1), g()));
        assert_eq!(sim.take_queries().len(), sent, "{setting:?}");
        assert_eq!(sim.state(g(), 1).unwrap().2, timer, "{setting:?}");
    }
    // Our own querier sends them with the RFC's setting.
    let mut sim = Sim::new(snooper(Config {
        querier: Some(QuerierConfig::new(ip("10.0.0.1"))),
        ..Config::default()
    }));
    sim.frame(1, &v2_report(host(1), g()));
    sim.take_sent();
    sim.frame(1, &v2_leave(host(1), g()));
    let q = sim.take_queries();
    assert_eq!(q.len(), 1);
    assert_eq!(
        (q[0].src_ip, q[0].dst_ip, q[0].group),
        (ip("10.0.0.1"), g(), g())
    );
}

#[test]
fn group_queries_to_all_hosts_changes_only_the_destination() {
    let mut sim = Sim::new(snooper(Config {
        last_member_queries: LastMemberQueries::Always,
        group_queries_to_all_hosts: true,
        ..Config::default()
    }));
    sim.frame(1, &v2_report(host(1), g()));
    sim.frame(1, &v2_leave(host(1), g()));
    let q = sim.take_queries();
    assert_eq!(q.len(), 1);
    assert_eq!((q[0].dst_ip, q[0].group), (ip("224.0.0.1"), g()));
}

// ------------------------------------------------------------------ strict_aging

#[test]
fn strict_aging_per_port_and_per_group() {
    // Ports 1 and 2 joined; a general query (Max Resp Time 10 s) only port 1 answers.
    for (aging, after) in [
        (StrictAging::Off, vec![1, 2]),
        (StrictAging::PerPort, vec![1]),
        (StrictAging::PerGroup, vec![1, 2]),
    ] {
        let mut sim = Sim::new(snooper(Config {
            strict_aging: aging,
            ..Config::default()
        }));
        sim.frame(1, &v2_report(host(1), g()));
        sim.frame(2, &v2_report(host(2), g()));
        sim.frame(2, &v2_report(host(2), ip("239.9.9.9")));
        router_query(&mut sim);
        sim.run_until(3.0);
        sim.frame(1, &v2_report(host(1), g()));
        sim.run_until(10.5);
        assert_eq!(sim.sn.group_ports(U, g()), after, "{aging:?}");
        // The group nobody answered for is gone unless aging is off.
        assert_eq!(
            sim.sn.group_ports(U, ip("239.9.9.9")).is_empty(),
            aging != StrictAging::Off,
            "{aging:?}"
        );
    }
}

// ------------------------------------------------------------------ adopt_querier_timers

/// An IGMPv3 general query from 10.0.0.254 with `qrv` and a query interval code `qqic`.
fn v3_query_with(qrv: u8, qqic: u8) -> Vec<u8> {
    v3_query_from(ip("10.0.0.254"), qrv, qqic)
}

fn v3_query_from(src: Ipv4Addr, qrv: u8, qqic: u8) -> Vec<u8> {
    let mut q =
        IgmpV3Query::new(Ipv4Addr::UNSPECIFIED, vec![]).with_max_resp(Duration::from_secs(10));
    q.qrv = qrv;
    q.qqic = qqic;
    let mut iph = Ipv4::new(src, ip("224.0.0.1"));
    iph.ttl = 1;
    iph.option = vec![0x94, 0x04, 0, 0].into();
    (Ethernet::new(MacAddr::new(1, 0, 0x5e, 0, 0, 1), host_mac(254)) / iph / Igmp::V3Query(q))
        .with_min_len(60)
        .to_vec()
        .unwrap()
}

#[test]
fn adopt_querier_timers_takes_qrv_and_qqic_from_the_elected_querier() {
    for (adopt, gmi) in [(true, 3.0 * 30.0 + 10.0), (false, 2.0 * 125.0 + 10.0)] {
        let mut sim = Sim::new(snooper(Config {
            adopt_querier_timers: adopt,
            ..Config::default()
        }));
        // QRV 3, QQIC 30 (30 s).
        sim.frame(ROUTER_PORT, &v3_query_with(3, 30));
        sim.frame(1, &v2_report(host(1), g()));
        assert_eq!(sim.state(g(), 1).unwrap().2, Some(gmi), "adopt {adopt}");
    }
    // A QRV of 0 keeps our robustness; the interval is still adopted.
    let mut sim = Sim::new(snooper(Config {
        adopt_querier_timers: true,
        ..Config::default()
    }));
    sim.frame(ROUTER_PORT, &v3_query_with(0, 30));
    sim.frame(1, &v2_report(host(1), g()));
    assert_eq!(sim.state(g(), 1).unwrap().2, Some(2.0 * 30.0 + 10.0));
    // A query from a higher address (not elected) changes nothing.
    sim.frame(ROUTER_PORT, &v3_query_from(ip("10.0.0.255"), 7, 100));
    assert_eq!(sim.take_errors(), vec![]);
    sim.frame(2, &v2_report(host(2), g()));
    let (_, _, t) = sim.state(g(), 2).unwrap();
    assert_eq!(t, Some(2.0 * 30.0 + 10.0));
}

// ------------------------------------------------------------------ report_subnets

#[test]
fn report_subnets_refuse_reports_from_elsewhere() {
    let mut sim = Sim::new(snooper(Config {
        report_subnets: vec![Subnet {
            vlan: U,
            address: ip("10.1.0.0"),
            prefix_len: 24,
        }],
        router_ports: vec![ROUTER_PORT],
        ..Config::default()
    }));
    sim.frame(1, &v2_report(ip("10.2.0.1"), g()));
    assert_eq!(
        sim.take_errors(),
        vec![Error::ForeignSource {
            port: 1,
            vlan: U,
            address: ip("10.2.0.1")
        }]
    );
    assert_eq!(sim.sn.group_count(), 0);
    assert_eq!(sim.take_sent(), vec![], "not forwarded");
    assert_eq!(sim.sn.stats().bad_frames, 1);
    // On the subnet, and from 0.0.0.0 (RFC 3376 §4.2.13): accepted.
    sim.frame(1, &v2_report(host(1), g()));
    sim.frame(
        2,
        &v3_report(Ipv4Addr::UNSPECIFIED, RecordType::IS_EX, g(), &[]),
    );
    assert_eq!(sim.take_errors(), vec![]);
    assert_eq!(sim.sn.group_ports(U, g()), &[1, 2]);
    // Another VLAN has no subnet listed: any source.
    let tagged = {
        let f = v2_report(ip("10.2.0.1"), g());
        let mut t = f[..12].to_vec();
        t.extend_from_slice(&[0x81, 0x00, 0x00, 0x0a]);
        t.extend_from_slice(&f[12..]);
        t
    };
    sim.frame(3, &tagged);
    assert_eq!(sim.take_errors(), vec![]);
}

// ------------------------------------------------------------------ proxy_reporting

#[test]
fn proxy_reporting_summarises_membership_toward_the_router_ports() {
    let mut sim = Sim::new(snooper(Config {
        proxy_reporting: true,
        router_ports: vec![ROUTER_PORT],
        querier: None,
        mac: MacAddr::new(2, 0, 0, 0, 0, 0x77),
        ..Config::default()
    }));
    // The first member: our report, not the host's.
    sim.frame(1, &v2_report(host(1), g()));
    let sent = sim.take_sent();
    assert_eq!(kinds(&sent), vec![TransmitKind::ProxyReport]);
    assert_eq!(sent[0].egress, Out::Ports(vec![ROUTER_PORT]));
    let pkt = Packet::parse(&sent[0].frame).unwrap();
    let ipv4 = pkt.get::<Ipv4>().unwrap();
    assert_eq!((ipv4.src, ipv4.dst), (Ipv4Addr::UNSPECIFIED, g()));
    assert_eq!(
        pkt.get::<Ethernet>().unwrap().src,
        MacAddr::new(2, 0, 0, 0, 0, 0x77)
    );
    match pkt.get::<Igmp>().unwrap() {
        Igmp::V2(m) => assert_eq!((m.msgtype, m.address), (IgmpType::REPORT_V2, g())),
        other => panic!("{other:?}"),
    }
    // More members, v3 reports, leaves of members that remain: nothing goes up.
    sim.frame(2, &v2_report(host(2), g()));
    sim.frame(3, &v3_report(host(3), RecordType::IS_EX, g(), &[]));
    sim.frame(2, &v2_leave(host(2), g()));
    assert_eq!(sim.take_sent(), vec![]);
    // A general query from the router: flooded, and answered with one report per group.
    sim.frame(ROUTER_PORT, &v2_query(ip("10.0.0.254"), None, 10));
    assert_eq!(
        kinds(&sim.take_sent()),
        vec![TransmitKind::ForwardedQuery, TransmitKind::ProxyReport]
    );
    // The last member goes: our leave.
    sim.frame(1, &v2_leave(host(1), g()));
    sim.frame(3, &v3_report(host(3), RecordType::TO_IN, g(), &[]));
    sim.run_until(300.0);
    let sent = sim.take_sent();
    assert_eq!(sim.sn.group_count(), 0);
    let leaves: Vec<_> = sent
        .iter()
        .filter(|t| t.kind == TransmitKind::ProxyLeave)
        .collect();
    assert_eq!(leaves.len(), 1);
    assert!(sent
        .iter()
        .all(|t| matches!(t.kind, TransmitKind::ProxyLeave | TransmitKind::GroupQuery)));
}

// ------------------------------------------------------------------ fast leave

#[test]
fn fast_leave_all_ports() {
    let mut sim = Sim::new(snooper(Config {
        fast_leave: PortSet::All,
        ..Config::default()
    }));
    sim.frame(1, &v2_report(host(1), g()));
    sim.frame(7, &v2_report(host(7), g()));
    sim.take_events();
    sim.frame(7, &v2_leave(host(7), g()));
    assert_eq!(
        sim.take_events(),
        vec![Event::MemberChanged {
            vlan: U,
            group: g(),
            ports: vec![1]
        }]
    );
    assert!(PortSet::All.contains(12345));
    assert!(!PortSet::none().contains(1));
}

// ------------------------------------------------------------------ presets

#[test]
fn presets_are_what_they_say() {
    let d = Config::default();
    assert_eq!(
        d,
        Config {
            hash_key: d.hash_key,
            ..Config::rfc()
        }
    );
    assert!(!d.report_suppression && d.source_filtering && d.query_version == 3);
    assert_eq!(d.last_member_queries, LastMemberQueries::Querier);
    assert_eq!(d.forward_leaves, ForwardLeaves::Always);

    let l = Config::linux_bridge();
    assert_eq!(l.act_on_leaves, ActOnLeaves::UnlessOtherQuerier);
    assert_eq!(l.last_member_queries, LastMemberQueries::LowerTimers);
    assert_eq!(l.unregistered, Unregistered::RouterPorts);
    assert!(l.router_port_from_unspecified && l.source_filtering);

    let o = Config::open_vswitch();
    assert!(!o.source_filtering && !o.router_port_from_unspecified);
    assert_eq!(o.fast_leave, PortSet::All);
    assert_eq!(o.gmi(), Duration::from_secs(300));

    let r = Config::ryu_igmplib();
    assert_eq!((r.lmqc(), r.lmqi()), (1, Duration::from_secs(1)));
    assert!(r.report_suppression && r.router_port_from_unspecified && r.querier.is_none());
    assert_eq!(r.strict_aging, StrictAging::PerGroup);
    assert_eq!(r.forward_leaves, ForwardLeaves::LastMember);
    assert_eq!(r.act_on_leaves, ActOnLeaves::WhenQuerierKnown);

    let q = Config::ryu_igmplib_querier(2);
    let qc = q.querier.clone().unwrap();
    assert_eq!(
        (qc.address, qc.server_port),
        (Ipv4Addr::UNSPECIFIED, Some(2))
    );
    assert_eq!(
        (q.query_interval, q.startup_query_count()),
        (Duration::from_secs(60), 1)
    );
    assert_eq!(q.strict_aging, StrictAging::PerPort);
    assert_eq!(q.fast_leave, PortSet::All);
}
