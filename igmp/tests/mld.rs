//! MLD snooping (RFC 4541 §3) through the same state machine as IGMP: MLDv1 (RFC 2710) and
//! MLDv2 (RFC 3810) joins and Dones, source filtering, queries (ours and others'), querier
//! election by lowest IPv6 address, link-scope groups flooded, the frames we build (checksums,
//! Hop-by-Hop Router Alert, hop limit 1), and what either family makes of the other's frames.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::net::Ipv6Addr;
use core::time::Duration;

use sdnwire_igmp::{
    link_local_from_mac, Config, Egress, Error, Event, FilterMode, Forward, Instant,
    LastMemberQueries, MldSnooper, QuerierConfig, Snooper, TransmitKind, VlanId,
};
use sdnwire_packet::icmpv6::{
    Icmpv6Data, Icmpv6Type, Icmpv6View, Mld, Mldv2Query, Mldv2ReportGroup,
};
use sdnwire_packet::ipv6::{Ipv6ExtHeader, Ipv6View};
use sdnwire_packet::{Encode, Ethernet, Icmpv6, IpPair, IpProtocol, Ipv6, MacAddr};

const T0: Instant = Instant::ZERO;
const U: VlanId = VlanId::UNTAGGED;

fn a(s: &str) -> Ipv6Addr {
    s.parse().unwrap()
}

fn g() -> Ipv6Addr {
    a("ff0e::1:2")
}

fn host(n: u16) -> Ipv6Addr {
    Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, n)
}

fn mac_of(dst: Ipv6Addr) -> MacAddr {
    let o = dst.octets();
    MacAddr::new(0x33, 0x33, o[12], o[13], o[14], o[15])
}

/// An MLD frame as hosts send it: hop limit 1, Hop-by-Hop Router Alert (MLD).
fn frame(src: Ipv6Addr, dst: Ipv6Addr, msg: Icmpv6) -> Vec<u8> {
    let mut ip = Ipv6::new(src, dst).with_ext_header(Ipv6ExtHeader::router_alert(0));
    ip.hop_limit = 1;
    let last = src.octets()[15];
    (Ethernet::new(mac_of(dst), MacAddr::new(2, 0, 0, 0, 1, last)) / ip / msg)
        .to_vec()
        .unwrap()
}

fn v1(t: Icmpv6Type, maxresp: u16, src: Ipv6Addr, dst: Ipv6Addr, group: Ipv6Addr) -> Vec<u8> {
    let body = Icmpv6Data::Mld(Mld {
        maxresp,
        reserved: 0,
        address: group,
    });
    frame(src, dst, Icmpv6::new(t, body))
}

fn v1_report(h: u16, group: Ipv6Addr) -> Vec<u8> {
    v1(Icmpv6Type::MLD_LISTENER_REPORT, 0, host(h), group, group)
}

fn v1_done(h: u16, group: Ipv6Addr) -> Vec<u8> {
    v1(
        Icmpv6Type::MLD_LISTENER_DONE,
        0,
        host(h),
        a("ff02::2"),
        group,
    )
}

fn v1_query(src: Ipv6Addr, group: Option<Ipv6Addr>) -> Vec<u8> {
    let dst = group.unwrap_or(a("ff02::1"));
    let grp = group.unwrap_or(Ipv6Addr::UNSPECIFIED);
    v1(Icmpv6Type::MLD_LISTENER_QUERY, 10_000, src, dst, grp)
}

fn v2_query(src: Ipv6Addr, group: Option<Ipv6Addr>, srcs: &[Ipv6Addr]) -> Vec<u8> {
    let mut q = Mldv2Query::general(10_000);
    q.address = group.unwrap_or(Ipv6Addr::UNSPECIFIED);
    q.srcs = srcs.to_vec();
    let dst = group.unwrap_or(a("ff02::1"));
    frame(
        src,
        dst,
        Icmpv6::new(Icmpv6Type::MLD_LISTENER_QUERY, Icmpv6Data::Mldv2Query(q)),
    )
}

fn v2_report(h: u16, recs: &[(u8, Ipv6Addr, &[Ipv6Addr])]) -> Vec<u8> {
    let records = recs
        .iter()
        .map(|(t, g, s)| Mldv2ReportGroup::new(*t, *g, s.to_vec()))
        .collect();
    frame(host(h), a("ff02::16"), Icmpv6::mldv2_report(records))
}

const IS_EX: u8 = Mldv2ReportGroup::MODE_IS_EXCLUDE;
const TO_IN: u8 = Mldv2ReportGroup::CHANGE_TO_INCLUDE_MODE;
const TO_EX: u8 = Mldv2ReportGroup::CHANGE_TO_EXCLUDE_MODE;
const ALLOW: u8 = Mldv2ReportGroup::ALLOW_NEW_SOURCES;
const BLOCK: u8 = Mldv2ReportGroup::BLOCK_OLD_SOURCES;

fn s(n: u16) -> Ipv6Addr {
    Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, n)
}

/// A query the snooper sent, read back with the packet library (checksum checked).
#[derive(Debug, Clone, PartialEq, Eq)]
struct SentQuery {
    /// MLD version: 1 (24-byte message) or 2.
    version: u8,
    src: Ipv6Addr,
    dst: Ipv6Addr,
    group: Ipv6Addr,
    sources: Vec<Ipv6Addr>,
    s_flag: bool,
    max_resp_ms: u32,
}

fn read_query(f: &[u8]) -> Option<SentQuery> {
    assert_eq!(&f[12..14], &[0x86, 0xdd], "IPv6");
    let ip = Ipv6View::parse(&f[14..]).unwrap();
    assert_eq!(ip.hop_limit(), 1);
    assert_eq!(ip.next_header(), IpProtocol::HOPOPT);
    // Hop-by-Hop: ICMPv6 next, 8 bytes, Router Alert 0 (MLD), two Pad1 (as the Linux
    // bridge's queries).
    assert_eq!(&f[54..62], &[58, 0, 5, 2, 0, 0, 0, 0]);
    assert_eq!(&f[0..6], &mac_of(ip.dst()).octets()[..]);
    let msg = &f[62..];
    let v = Icmpv6View::parse(msg).unwrap();
    v.verify_checksum(&IpPair::V6(ip.src(), ip.dst())).unwrap();
    v.check_body().unwrap();
    if v.msg_type() != Icmpv6Type::MLD_LISTENER_QUERY {
        return None;
    }
    let decoded = Icmpv6::parse(msg).unwrap();
    Some(match decoded.data {
        Icmpv6Data::Mld(m) => SentQuery {
            version: 1,
            src: ip.src(),
            dst: ip.dst(),
            group: m.address,
            sources: vec![],
            s_flag: false,
            max_resp_ms: u32::from(m.maxresp),
        },
        Icmpv6Data::Mldv2Query(q) => SentQuery {
            version: 2,
            src: ip.src(),
            dst: ip.dst(),
            group: q.address,
            sources: q.srcs.clone(),
            s_flag: q.s_flg,
            max_resp_ms: q.max_resp_delay_ms(),
        },
        other => panic!("not a query: {other:?}"),
    })
}

/// A snooper of MLD on a virtual clock.
struct Sim {
    sn: MldSnooper,
    now: Instant,
    sent: Vec<(TransmitKind, Egress, Vec<u8>)>,
    events: Vec<Event<Ipv6Addr>>,
    buf: Vec<u8>,
}

impl Sim {
    fn new(config: Config) -> Sim {
        let mut s = Sim {
            sn: Snooper::mld(config, T0),
            now: T0,
            sent: vec![],
            events: vec![],
            buf: vec![],
        };
        s.drain();
        s
    }

    fn drain(&mut self) {
        while let Some(tx) = self.sn.poll_transmit(&mut self.buf) {
            self.sent.push((tx.kind, tx.egress, self.buf.clone()));
        }
        while let Some(e) = self.sn.poll_event() {
            self.events.push(e);
        }
    }

    fn frame(&mut self, port: u32, f: &[u8]) -> Result<(), Error<Ipv6Addr>> {
        let r = self.sn.handle_frame(self.now, port, None, f);
        self.drain();
        r
    }

    fn run_until(&mut self, secs: f64) {
        let end = T0 + Duration::from_secs_f64(secs);
        while let Some(t) = self.sn.poll_timeout().filter(|&t| t <= end) {
            self.now = t.max(self.now);
            self.sn.handle_timeout(self.now);
            self.drain();
        }
        self.now = end;
        self.sn.handle_timeout(end);
        self.drain();
    }

    fn at(&mut self, secs: f64) {
        self.now = T0 + Duration::from_secs_f64(secs);
    }

    fn queries(&mut self) -> Vec<(Egress, SentQuery)> {
        core::mem::take(&mut self.sent)
            .into_iter()
            .filter_map(|(_, e, f)| read_query(&f).map(|q| (e, q)))
            .collect()
    }

    fn ports(&self, group: Ipv6Addr, source: Ipv6Addr) -> Vec<u32> {
        match self.sn.forward_ports(U, group, source, 99) {
            Forward::Ports(p) => p.to_vec(),
            Forward::Drop => vec![],
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn mldv1_join_and_done_with_a_querier() {
    let mut sim = Sim::new(Config::default());
    // A router's MLDv1 query on port 1: a router port, and the querier.
    sim.frame(1, &v1_query(host(1), None)).unwrap();
    assert_eq!(sim.sn.router_ports(U), [1]);
    let q = sim.sn.querier(U).unwrap();
    assert_eq!((q.address, q.port, q.version), (host(1), Some(1), 1));
    // Flooded, except back out of port 1.
    assert!(matches!(
        sim.sent.last(),
        Some((
            TransmitKind::ForwardedQuery,
            Egress::Flood { except: Some(1) },
            _
        ))
    ));
    sim.sent.clear();

    sim.at(1.0);
    sim.frame(3, &v1_report(3, g())).unwrap();
    assert!(sim.events.contains(&Event::GroupAdded {
        vlan: U,
        group: g(),
        ports: vec![3]
    }));
    // Forwarded to the router port only.
    assert!(matches!(
        sim.sent.as_slice(),
        [(
            TransmitKind::ForwardedReport,
            Egress::RouterPorts { except: Some(3) },
            _
        )]
    ));
    let m = sim.sn.membership(U, g(), 3).unwrap();
    assert_eq!((m.mode, m.compat_version), (FilterMode::Exclude, 1));
    // Traffic from any source goes to port 3 and the router port.
    assert_eq!(sim.ports(g(), s(7)), [1, 3]);
    sim.sent.clear();

    // A second listener on port 4, then port 3's Done: the port stays until a last listener
    // query goes unanswered (the querier sends it; we only lower the timer, as RFC 4541 says).
    sim.frame(4, &v1_report(4, g())).unwrap();
    sim.at(2.0);
    sim.frame(1, &v1_query(host(1), Some(g()))).unwrap();
    sim.frame(3, &v1_done(3, g())).unwrap();
    assert_eq!(sim.sn.group_ports(U, g()), [3, 4]);
    sim.frame(4, &v1_report(4, g())).unwrap();
    sim.run_until(30.0);
    assert_eq!(sim.sn.group_ports(U, g()), [4]);
    assert!(sim.sn.stats().leaves >= 1);
}

#[test]
fn mldv1_done_is_answered_by_our_last_listener_query() {
    let config = Config {
        last_member_queries: LastMemberQueries::Always,
        ..Config::default()
    };
    let mut sim = Sim::new(config);
    sim.frame(3, &v1_report(3, g())).unwrap();
    sim.sent.clear();
    sim.at(5.0);
    sim.frame(3, &v1_done(3, g())).unwrap();
    let qs = sim.queries();
    assert_eq!(qs.len(), 1, "{qs:?}");
    let (egress, q) = &qs[0];
    assert_eq!(*egress, Egress::Port(3));
    // An MLDv1 Multicast-Address-Specific Query (the port is in MLDv1 mode), to the group, from
    // our link-local address, Maximum Response Delay = the last listener query interval.
    assert_eq!(q.version, 1);
    assert_eq!((q.dst, q.group), (g(), g()));
    assert_eq!(q.src, link_local_from_mac(Config::default().mac));
    assert_eq!(q.max_resp_ms, 1000);
    // Unanswered: a second one a second later, then the group goes at 5 + 2 s.
    sim.run_until(6.5);
    assert_eq!(sim.queries().len(), 1);
    sim.run_until(7.5);
    assert!(sim.events.contains(&Event::GroupRemoved {
        vlan: U,
        group: g()
    }));
    assert_eq!(sim.sn.group_count(), 0);
}

#[test]
fn mldv2_source_filtering_per_port() {
    let config = Config {
        last_member_queries: LastMemberQueries::Always,
        ..Config::default()
    };
    let mut sim = Sim::new(config);
    // Port 3: INCLUDE {s1, s2}; port 4: EXCLUDE {s1}.
    sim.frame(3, &v2_report(3, &[(ALLOW, g(), &[s(1), s(2)])]))
        .unwrap();
    sim.frame(4, &v2_report(4, &[(IS_EX, g(), &[s(1)])]))
        .unwrap();
    assert_eq!(sim.ports(g(), s(1)), [3]);
    assert_eq!(sim.ports(g(), s(2)), [3, 4]);
    assert_eq!(sim.ports(g(), s(9)), [4]);
    let m = sim.sn.membership(U, g(), 4).unwrap();
    assert_eq!((m.mode, m.compat_version), (FilterMode::Exclude, 2));
    assert_eq!(m.excluded_sources().collect::<Vec<_>>(), [s(1)]);
    // Reports are forwarded whole (no router port yet: nothing sent but our own queries).
    assert!(sim
        .sent
        .iter()
        .all(|(k, _, _)| *k != TransmitKind::ForwardedReport));

    // BLOCK {s2} on port 3: a Multicast Address and Source Specific Query for s2 out of port 3.
    sim.sent.clear();
    sim.at(10.0);
    sim.frame(3, &v2_report(3, &[(BLOCK, g(), &[s(2)])]))
        .unwrap();
    let qs = sim.queries();
    assert_eq!(qs.len(), 1);
    let (egress, q) = &qs[0];
    assert_eq!(*egress, Egress::Port(3));
    assert_eq!((q.version, q.group, q.dst), (2, g(), g()));
    assert_eq!(q.sources, [s(2)]);
    assert!(!q.s_flag);
    // Nobody answers: s2 goes from port 3 after LMQT.
    sim.run_until(12.5);
    assert_eq!(sim.ports(g(), s(2)), [4]);
    assert_eq!(sim.ports(g(), s(1)), [3]);

    // TO_IN {} on port 3 is a leave of port 3; TO_EX {} on port 4 keeps it EXCLUDE {}.
    sim.frame(3, &v2_report(3, &[(TO_IN, g(), &[])])).unwrap();
    sim.frame(4, &v2_report(4, &[(TO_EX, g(), &[])])).unwrap();
    sim.run_until(20.0);
    assert_eq!(sim.sn.group_ports(U, g()), [4]);
    assert_eq!(sim.ports(g(), s(1)), [4]);
}

#[test]
fn mldv1_host_puts_the_port_in_compatibility_mode() {
    let mut sim = Sim::new(Config::default());
    sim.frame(3, &v1_report(3, g())).unwrap();
    // RFC 3810 §8.3.2: BLOCK is ignored and TO_EX's sources dropped in MLDv1 mode.
    sim.frame(3, &v2_report(3, &[(TO_EX, g(), &[s(1)])]))
        .unwrap();
    sim.frame(3, &v2_report(3, &[(BLOCK, g(), &[s(2)])]))
        .unwrap();
    let m = sim.sn.membership(U, g(), 3).unwrap();
    assert_eq!(m.compat_version, 1);
    assert_eq!(m.sources, &[]);
    assert_eq!(sim.ports(g(), s(1)), [3]);
    // The Older Version Querier Present... of hosts: after 260 s the port is MLDv2 again.
    sim.frame(3, &v2_report(3, &[(IS_EX, g(), &[])])).unwrap();
    sim.run_until(262.0);
    let m = sim.sn.membership(U, g(), 3);
    assert!(m.is_none(), "{m:?}");
}

#[test]
fn querier_election_by_lowest_ipv6_address() {
    let config = Config {
        querier: Some(QuerierConfig::new("0.0.0.0".parse().unwrap())),
        mac: MacAddr::new(0x02, 0, 0, 0, 0, 0x50),
        ..Config::default()
    };
    let ours = link_local_from_mac(config.mac);
    assert_eq!(ours, a("fe80::ff:fe00:50"));
    let mut sim = Sim::new(config);
    // Our general query goes out at once: MLDv2, to ff02::1, from our link-local address.
    let qs = sim.queries();
    assert_eq!(qs.len(), 1);
    let (egress, q) = &qs[0];
    assert_eq!(*egress, Egress::Flood { except: None });
    assert_eq!((q.version, q.src, q.dst), (2, ours, a("ff02::1")));
    assert_eq!(q.group, Ipv6Addr::UNSPECIFIED);
    assert_eq!(q.max_resp_ms, 10_000);
    let me = sim.sn.querier(U).unwrap();
    assert!(me.is_us());
    assert_eq!((me.address, me.version), (ours, 2));

    // A higher address loses: we stay the querier (its port is a router port all the same).
    sim.frame(1, &v2_query(a("fe80::1:0:0:1"), None, &[]))
        .unwrap();
    assert!(sim.sn.querier(U).unwrap().is_us());
    assert_eq!(sim.sn.router_ports(U), [1]);
    // A lower one wins, and we stop querying until it is gone.
    sim.frame(2, &v2_query(a("fe80::2"), None, &[])).unwrap();
    let q = sim.sn.querier(U).unwrap();
    assert_eq!((q.address, q.port), (a("fe80::2"), Some(2)));
    sim.sent.clear();
    sim.run_until(200.0);
    assert!(sim.queries().is_empty());
    // Other Querier Present Interval: 255 s; then we take over and query again.
    sim.run_until(256.0);
    assert!(sim.sn.querier(U).unwrap().is_us());
    assert!(!sim.queries().is_empty());
}

#[test]
fn an_mldv1_querier_is_reported_as_mldv1() {
    let config = Config {
        querier: Some(QuerierConfig::new("0.0.0.0".parse().unwrap())),
        ..Config::default()
    };
    let mut sim = Sim::new(config);
    // An MLDv1 router with a lower address than ours wins the election.
    sim.frame(1, &v1_query(a("fe80::1"), None)).unwrap();
    let q = sim.sn.querier(U).unwrap();
    assert_eq!((q.address, q.port, q.version), (a("fe80::1"), Some(1), 1));
    assert!(sim.events.iter().any(|e| matches!(
        e,
        Event::QuerierChanged { querier: Some(q), .. } if q.version == 1 && !q.is_us()
    )));
    assert_eq!(
        sim.events.last().unwrap().to_string(),
        "querier changed: vlan untagged querier fe80::1 port 1 v1"
    );
}

#[test]
fn queries_from_global_addresses_are_dropped() {
    let mut sim = Sim::new(Config::default());
    sim.frame(1, &v2_query(a("2001:db8::1"), None, &[]))
        .unwrap();
    assert!(sim.sn.router_ports(U).is_empty());
    assert_eq!(sim.sn.querier(U), None);
    assert!(sim.sent.is_empty());
    assert_eq!(sim.sn.stats().ignored, 1);
}

#[test]
fn link_scope_groups_are_flooded_and_never_tracked() {
    let config = Config {
        unregistered: sdnwire_igmp::Unregistered::Drop,
        ..Config::default()
    };
    let mut sim = Sim::new(config);
    for grp in ["ff02::fb", "ff02::1:ff00:3", "ff01::1", "ff00::9"] {
        sim.frame(3, &v1_report(3, a(grp))).unwrap();
        sim.frame(3, &v2_report(3, &[(IS_EX, a(grp), &[])]))
            .unwrap();
        assert_eq!(
            sim.sn.forward_ports(U, a(grp), s(1), 1),
            Forward::Flood,
            "{grp}"
        );
    }
    assert_eq!(sim.sn.group_count(), 0);
    // Site scope and wider are tracked; unregistered ones dropped as configured.
    sim.frame(3, &v1_report(3, a("ff05::1:3"))).unwrap();
    assert_eq!(sim.sn.group_ports(U, a("ff05::1:3")), [3]);
    assert_eq!(
        sim.sn.forward_ports(U, a("ff05::9"), s(1), 1),
        Forward::Drop
    );
    // Not multicast: flooded (it is not ours to forward).
    assert_eq!(sim.sn.forward_ports(U, s(5), s(1), 1), Forward::Flood);
}

/// The scope is the low four bits of the second byte whatever the flags (RFC 4291 §2.7):
/// transient (ff12::), prefix-based (ff32::, RFC 3306) and embedded-RP (ff72::) link-scope
/// groups are link-scope groups as ff02:: ones are; ff1e:: (transient, global) is tracked.
#[test]
fn link_scope_is_read_from_the_scope_bits_whatever_the_flags() {
    let config = Config {
        unregistered: sdnwire_igmp::Unregistered::Drop,
        ..Config::default()
    };
    let mut sim = Sim::new(config);
    for grp in [
        "ff12::1234",
        "ff32:40:fd00::1",
        "ff72::9",
        "ff11::1",
        "ff10::1",
    ] {
        sim.frame(3, &v1_report(3, a(grp))).unwrap();
        sim.frame(3, &v2_report(3, &[(IS_EX, a(grp), &[])]))
            .unwrap();
        assert_eq!(
            sim.sn.forward_ports(U, a(grp), s(1), 1),
            Forward::Flood,
            "{grp}"
        );
        assert!(sim.sn.group_ports(U, a(grp)).is_empty(), "{grp}");
    }
    assert_eq!(sim.sn.group_count(), 0);
    sim.frame(3, &v1_report(3, a("ff1e::1:3"))).unwrap();
    assert_eq!(sim.sn.group_ports(U, a("ff1e::1:3")), [3]);
    assert_eq!(
        sim.sn.forward_ports(U, a("ff15::9"), s(1), 1),
        Forward::Drop
    );
}

#[test]
fn bad_and_foreign_frames() {
    let mut sim = Sim::new(Config::default());
    // A bad ICMPv6 checksum: refused with the offset of the checksum field in the frame.
    let mut f = v1_report(3, g());
    f[62 + 2] ^= 0xff;
    match sim.frame(3, &f) {
        Err(Error::Parse { error, .. }) => {
            assert_eq!(sdnwire_packet::CodecError::offset(&error), Some(64))
        }
        other => panic!("{other:?}"),
    }
    // A report for a unicast address: refused whole.
    match sim.frame(3, &v1_report(3, s(1))) {
        Err(Error::NotMulticast { group, .. }) => assert_eq!(group, s(1)),
        other => panic!("{other:?}"),
    }
    // A report from an address that is neither link-local nor :: (RFC 3810 §5.2.13).
    let global = v1(
        Icmpv6Type::MLD_LISTENER_REPORT,
        0,
        a("2001:db8::3"),
        g(),
        g(),
    );
    match sim.frame(3, &global) {
        Err(Error::ForeignSource { address, .. }) => assert_eq!(address, a("2001:db8::3")),
        other => panic!("{other:?}"),
    }
    // From :: (a host without an address yet): taken.
    sim.frame(
        3,
        &v1(
            Icmpv6Type::MLD_LISTENER_REPORT,
            0,
            Ipv6Addr::UNSPECIFIED,
            g(),
            g(),
        ),
    )
    .unwrap();
    assert_eq!(sim.sn.group_ports(U, g()), [3]);
    sim.sn.handle_port_down(sim.now, 3);
    // MLD without the Hop-by-Hop header is not MLD to a snooper (as to the Linux bridge).
    let body = Icmpv6Data::Mld(Mld {
        maxresp: 0,
        reserved: 0,
        address: g(),
    });
    let bare = (Ethernet::new(mac_of(g()), MacAddr::new(2, 0, 0, 0, 1, 3))
        / Ipv6::new(host(3), g())
        / Icmpv6::new(Icmpv6Type::MLD_LISTENER_REPORT, body))
    .to_vec()
    .unwrap();
    sim.frame(3, &bare).unwrap();
    assert_eq!(sim.sn.group_count(), 0);
    // IGMP is not MLD's, and MLD is not IGMP's.
    let igmp = {
        use sdnwire_packet::igmp::{IgmpType, IgmpV2};
        use sdnwire_packet::{Igmp, Ipv4};
        let grp = "239.1.1.1".parse().unwrap();
        let mut ip = Ipv4::new("10.0.0.3".parse().unwrap(), grp);
        ip.ttl = 1;
        (Ethernet::new(
            MacAddr::new(1, 0, 0x5e, 1, 1, 1),
            MacAddr::new(2, 0, 0, 0, 0, 3),
        ) / ip
            / Igmp::V2(IgmpV2::new(IgmpType::REPORT_V2, 0, grp)))
        .to_vec()
        .unwrap()
    };
    sim.frame(3, &igmp).unwrap();
    assert_eq!(sim.sn.group_count(), 0);
    let mut v4 = Snooper::new(Config::default(), T0);
    v4.handle_frame(T0, 3, None, &v1_report(3, g())).unwrap();
    v4.handle_frame(T0, 3, None, &igmp).unwrap();
    assert_eq!(v4.group_count(), 1);
    assert_eq!(v4.stats().ignored, 1);
}

#[test]
fn mldv1_queries_when_configured() {
    let config = Config {
        querier: Some(QuerierConfig::new("0.0.0.0".parse().unwrap())),
        query_version: 2,
        ..Config::default()
    };
    let mut sim = Sim::new(config);
    let qs = sim.queries();
    assert_eq!(qs.len(), 1);
    assert_eq!(qs[0].1.version, 1);
    assert_eq!(qs[0].1.max_resp_ms, 10_000);
    assert_eq!(sim.sn.querier(U).unwrap().version, 1);
}

#[test]
fn proxy_reporting_sends_mldv1_reports_and_dones() {
    let config = Config {
        proxy_reporting: true,
        router_ports: vec![1],
        ..Config::default()
    };
    let mut sim = Sim::new(config);
    sim.frame(3, &v2_report(3, &[(IS_EX, g(), &[])])).unwrap();
    let sent = core::mem::take(&mut sim.sent);
    assert_eq!(sent.len(), 1);
    let (kind, egress, f) = &sent[0];
    assert_eq!(*kind, TransmitKind::ProxyReport);
    assert_eq!(*egress, Egress::RouterPorts { except: None });
    let ip = Ipv6View::parse(&f[14..]).unwrap();
    assert_eq!(ip.dst(), g());
    let msg = Icmpv6View::parse(&f[62..]).unwrap();
    msg.verify_checksum(&IpPair::V6(ip.src(), ip.dst()))
        .unwrap();
    assert_eq!(msg.msg_type(), Icmpv6Type::MLD_LISTENER_REPORT);
    assert_eq!(msg.mld(), Some((0, g())));
    sim.frame(3, &v2_report(3, &[(TO_IN, g(), &[])])).unwrap();
    // Not the querier: the group timer runs out on its own (GMI, 260 s).
    sim.run_until(300.0);
    let done = sim
        .sent
        .iter()
        .find(|(k, _, _)| *k == TransmitKind::ProxyLeave)
        .expect("a Done");
    let ip = Ipv6View::parse(&done.2[14..]).unwrap();
    assert_eq!(ip.dst(), a("ff02::2"));
    let msg = Icmpv6View::parse(&done.2[62..]).unwrap();
    msg.verify_checksum(&IpPair::V6(ip.src(), ip.dst()))
        .unwrap();
    assert_eq!(msg.msg_type(), Icmpv6Type::MLD_LISTENER_DONE);
}

#[test]
fn vlans_and_display() {
    let mut sn = Snooper::mld(Config::default(), T0);
    let vlan = VlanId::new(10).unwrap();
    sn.handle_frame(T0, 3, Some(vlan), &v1_report(3, g()))
        .unwrap();
    assert_eq!(sn.group_ports(vlan, g()), [3]);
    assert!(sn.group_ports(U, g()).is_empty());
    let ev = sn.poll_event().unwrap();
    assert_eq!(
        ev.to_string(),
        "group added: vlan 10 group ff0e::1:2 ports 3"
    );
    let m = sn.memberships().next().unwrap();
    assert!(m.to_string().contains("ff0e::1:2"), "{m}");
}

#[cfg(feature = "serde")]
#[test]
fn mld_events_and_memberships_serialize() {
    let mut sim = Sim::new(Config::default());
    sim.frame(3, &v2_report(3, &[(ALLOW, g(), &[s(1)])]))
        .unwrap();
    let ev = sim.events[0].clone();
    let json = serde_json::to_string(&ev).unwrap();
    assert!(json.contains("\"ff0e::1:2\""), "{json}");
    let back: Event<Ipv6Addr> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, ev);
    let m = sim.sn.membership(U, g(), 3).unwrap();
    let json = serde_json::to_string(&m).unwrap();
    assert!(json.contains("\"2001:db8::1\""), "{json}");
}

/// A group-and-source-specific query for more sources than a 1500-byte frame holds is split
/// into frames that each fit (at most 89 IPv6 sources: 1500 − 40 − 8 − 28 bytes, 16 each), as
/// IGMP's are; the sources of the pieces are those the record calls for.
#[test]
fn source_specific_queries_fit_a_1500_byte_mtu() {
    let config = Config {
        querier: Some(QuerierConfig::new("0.0.0.0".parse().unwrap())),
        max_sources_per_group: 200,
        ..Config::default()
    };
    let mut sim = Sim::new(config);
    sim.queries();
    let all: Vec<Ipv6Addr> = (1..=200).map(s).collect();
    // INCLUDE(200 sources), in reports that each fit a 1500-byte frame.
    for part in all.chunks(50) {
        sim.frame(3, &v2_report(3, &[(ALLOW, g(), part)])).unwrap();
    }
    assert_eq!(sim.sn.memberships().count(), 1);
    sim.sent.clear();
    // INCLUDE(A) + TO_IN({}): Q(G, A) for all 200 sources (RFC 3810 §7.4.2).
    sim.frame(3, &v2_report(3, &[(TO_IN, g(), &[])])).unwrap();
    let queries: Vec<Vec<u8>> = sim
        .sent
        .iter()
        .filter(|(k, _, _)| *k == TransmitKind::GroupQuery)
        .map(|(_, _, f)| f.clone())
        .collect();
    assert!(!queries.is_empty());
    let mut asked = Vec::new();
    for f in &queries {
        assert!(f.len() <= 1514, "a {}-byte query frame", f.len());
        let q = read_query(f).unwrap();
        assert_eq!(q.group, g());
        asked.extend(q.sources);
    }
    asked.sort_unstable();
    asked.dedup();
    assert_eq!(asked, all);
}
