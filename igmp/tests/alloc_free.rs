//! No allocation per transmitted frame: once the caller's buffer and the snooper's queue have
//! grown, forwarding reports to the router ports, sending our own general queries and
//! `forward_ports` lookups allocate nothing.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod support;

use core::time::Duration;

use sdnwire_igmp::{Config, Forward, QuerierConfig, TransmitKind, VlanId};
use support::*;

#[test]
fn transmitting_allocates_nothing_per_frame() {
    let mut sn = snooper(Config {
        router_ports: vec![9],
        report_suppression: false,
        querier: Some(QuerierConfig::new(ip("10.0.0.250"))),
        // General queries every 10 s; memberships that outlive the test.
        query_interval: Duration::from_secs(10),
        startup_query_count: Some(1),
        membership_interval: Some(Duration::from_secs(3600)),
        ..Config::default()
    });
    let mut buf = Vec::with_capacity(1536);
    let groups: Vec<_> = (1..=16u8).map(|i| ip(&format!("239.1.1.{i}"))).collect();
    let reports: Vec<Vec<u8>> = groups
        .iter()
        .map(|&g| v2_report(ip("10.0.0.3"), g))
        .collect();
    let mut now = T0;
    // Warm-up: the groups exist, the queue and the buffer have grown.
    for _ in 0..3 {
        for r in &reports {
            sn.handle_frame(now, 3, None, r).unwrap();
        }
        while sn.poll_transmit(&mut buf).is_some() {}
        while sn.poll_event().is_some() {}
    }
    let wake = sn.poll_timeout().unwrap();
    sn.handle_timeout(wake);
    while sn.poll_transmit(&mut buf).is_some() {}
    now = wake;

    let mut sent = 0;
    let mut queries = 0;
    let mut lookups = 0;
    let info = allocation_counter::measure(|| {
        for _ in 0..10 {
            now += Duration::from_secs(1);
            for r in &reports {
                sn.handle_frame(now, 3, None, r).unwrap();
                while let Some(tx) = sn.poll_transmit(&mut buf) {
                    assert_eq!(tx.kind, TransmitKind::ForwardedReport);
                    sent += 1;
                }
            }
            for &g in &groups {
                if let Forward::Ports(p) = sn.forward_ports(VlanId::UNTAGGED, g, ip("10.9.9.9"), 9)
                {
                    lookups += p.len();
                }
            }
        }
        // Our querier's next general queries (the startup ones, then every query interval).
        let mut wakes = 0;
        while queries < 3 {
            wakes += 1;
            assert!(wakes < 20);
            let t = sn.poll_timeout().unwrap();
            sn.handle_timeout(t);
            while let Some(tx) = sn.poll_transmit(&mut buf) {
                assert_eq!(tx.kind, TransmitKind::GeneralQuery);
                queries += 1;
            }
        }
    });
    assert_eq!((sent, lookups), (160, 160));
    assert_eq!(queries, 3);
    assert_eq!(info.count_total, 0, "allocations: {info:?}");
}

/// The same for MLD: MLDv1 and MLDv2 reports passed on, our MLDv2 general queries (with the
/// ICMPv6 checksum over the pseudo-header), lookups of IPv6 groups.
#[test]
fn mld_allocates_nothing_per_frame() {
    use core::net::Ipv6Addr;
    use sdnwire_igmp::Snooper;
    use sdnwire_packet::icmpv6::{Icmpv6Data, Icmpv6Type, Mld, Mldv2ReportGroup};
    use sdnwire_packet::ipv6::Ipv6ExtHeader;
    use sdnwire_packet::{Encode, Ethernet, Icmpv6, Ipv6, MacAddr};

    let frame = |dst: Ipv6Addr, msg: Icmpv6| {
        let mut ip = Ipv6::new("fe80::3".parse().unwrap(), dst)
            .with_ext_header(Ipv6ExtHeader::router_alert(0));
        ip.hop_limit = 1;
        let o = dst.octets();
        (Ethernet::new(
            MacAddr::new(0x33, 0x33, o[12], o[13], o[14], o[15]),
            MacAddr::new(2, 0, 0, 0, 0, 3),
        ) / ip
            / msg)
            .to_vec()
            .unwrap()
    };
    let mut sn = Snooper::mld(
        Config {
            router_ports: vec![9],
            report_suppression: false,
            querier: Some(QuerierConfig::new(ip("0.0.0.0"))),
            query_interval: Duration::from_secs(10),
            startup_query_count: Some(1),
            membership_interval: Some(Duration::from_secs(3600)),
            ..Config::default()
        },
        T0,
    );
    let mut buf = Vec::with_capacity(1536);
    let groups: Vec<Ipv6Addr> = (1..=16u16)
        .map(|i| Ipv6Addr::new(0xff0e, 0, 0, 0, 0, 0, 1, i))
        .collect();
    let source: Ipv6Addr = "2001:db8::9".parse().unwrap();
    let reports: Vec<Vec<u8>> = groups
        .iter()
        .enumerate()
        .map(|(i, &g)| {
            if i % 2 == 0 {
                let body = Icmpv6Data::Mld(Mld {
                    maxresp: 0,
                    reserved: 0,
                    address: g,
                });
                frame(g, Icmpv6::new(Icmpv6Type::MLD_LISTENER_REPORT, body))
            } else {
                let rec = Mldv2ReportGroup::new(
                    Mldv2ReportGroup::MODE_IS_INCLUDE,
                    g,
                    vec![source, "2001:db8::a".parse().unwrap()],
                );
                frame("ff02::16".parse().unwrap(), Icmpv6::mldv2_report(vec![rec]))
            }
        })
        .collect();
    let mut now = T0;
    for _ in 0..3 {
        for r in &reports {
            sn.handle_frame(now, 3, None, r).unwrap();
        }
        while sn.poll_transmit(&mut buf).is_some() {}
        while sn.poll_event().is_some() {}
    }
    let wake = sn.poll_timeout().unwrap();
    sn.handle_timeout(wake);
    while sn.poll_transmit(&mut buf).is_some() {}
    now = wake;

    let (mut sent, mut queries, mut lookups) = (0, 0, 0);
    let info = allocation_counter::measure(|| {
        for _ in 0..10 {
            now += Duration::from_secs(1);
            for r in &reports {
                sn.handle_frame(now, 3, None, r).unwrap();
                while let Some(tx) = sn.poll_transmit(&mut buf) {
                    assert_eq!(tx.kind, TransmitKind::ForwardedReport);
                    sent += 1;
                }
            }
            for &g in &groups {
                if let Forward::Ports(p) = sn.forward_ports(VlanId::UNTAGGED, g, source, 9) {
                    lookups += p.len();
                }
            }
        }
        let mut wakes = 0;
        while queries < 3 {
            wakes += 1;
            assert!(wakes < 20);
            let t = sn.poll_timeout().unwrap();
            sn.handle_timeout(t);
            while let Some(tx) = sn.poll_transmit(&mut buf) {
                assert_eq!(tx.kind, TransmitKind::GeneralQuery);
                queries += 1;
            }
        }
    });
    assert_eq!((sent, lookups), (160, 160));
    assert_eq!(queries, 3);
    assert_eq!(info.count_total, 0, "allocations: {info:?}");
}
