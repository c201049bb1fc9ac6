//! proptest over arbitrary input sequences, for both address families (IGMP and MLD): random
//! bytes, mutated frames, valid v1/v2/v3 reports (MLDv1/MLDv2), leaves (Dones), queries
//! (including from 0.0.0.0, and for MLD from a global address), port downs and time steps,
//! on several ports and VLANs, under random configurations (timers, and the behaviour settings:
//! a preset, then each setting left or drawn). After every step: no panic, every bound held, queues bounded,
//! each membership well formed (RFC 3376 §6.2.1), no expired timer left behind after
//! `handle_timeout`, `forward_ports` equal to a model of §6.3 built from `memberships()`, and the
//! member ports that the events announce equal to `group_ports`.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod support;

use core::net::{Ipv4Addr, Ipv6Addr};
use core::time::Duration;
use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use sdnwire_igmp::{
    ActOnLeaves, Address, Config, Egress, Event, FilterMode, Forward, ForwardLeaves, Instant,
    LastMemberQueries, PortSet, QuerierConfig, Snooper, StrictAging, Subnet, VlanId,
};
use sdnwire_packet::icmpv6::{Icmpv6Data, Icmpv6Type, Mld, Mldv2Query, Mldv2ReportGroup};
use sdnwire_packet::igmp::RecordType;
use sdnwire_packet::ipv6::Ipv6ExtHeader;
use sdnwire_packet::{Encode, Ethernet, Icmpv6, Ipv6, MacAddr};
use support::*;

const MAX_GROUPS_VLAN: usize = 4;
const MAX_GROUPS_PORT: usize = 3;
const MAX_SOURCES: usize = 4;
const MAX_VLANS: usize = 3;
const MAX_TX: usize = 16;
const MAX_EV: usize = 64;

fn group(i: u8) -> Ipv4Addr {
    if i == 7 {
        Ipv4Addr::new(224, 0, 0, 251) // link-local
    } else {
        Ipv4Addr::new(239, 0, 0, i)
    }
}

fn source(i: u8) -> String {
    format!("10.0.0.{i}")
}

fn group6(i: u8) -> Ipv6Addr {
    if i == 7 {
        Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0xfb) // link-local scope
    } else {
        Ipv6Addr::new(0xff0e, 0, 0, 0, 0, 0, 0, u16::from(i))
    }
}

fn source6(i: u8) -> Ipv6Addr {
    Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, u16::from(i))
}

/// The family under test: its snooper, and the frames of each [`Msg`].
trait Family: Address {
    fn snooper(config: Config, now: Instant) -> Snooper<Self>;
    fn build(m: &Msg) -> Vec<u8>;
    /// A source no record names.
    fn unlisted() -> Self;
}

impl Family for Ipv4Addr {
    fn snooper(config: Config, now: Instant) -> Snooper<Self> {
        Snooper::new(config, now)
    }
    fn build(m: &Msg) -> Vec<u8> {
        build(m)
    }
    fn unlisted() -> Self {
        Ipv4Addr::new(10, 9, 9, 9)
    }
}

impl Family for Ipv6Addr {
    fn snooper(config: Config, now: Instant) -> Snooper<Self> {
        Snooper::mld(config, now)
    }
    fn build(m: &Msg) -> Vec<u8> {
        build6(m)
    }
    fn unlisted() -> Self {
        source6(99)
    }
}

/// An MLD frame as hosts send it (hop limit 1, Hop-by-Hop Router Alert).
fn mld_frame(src: Ipv6Addr, dst: Ipv6Addr, msg: Icmpv6) -> Vec<u8> {
    let mut ip = Ipv6::new(src, dst).with_ext_header(Ipv6ExtHeader::router_alert(0));
    ip.hop_limit = 1;
    let o = dst.octets();
    let mac = MacAddr::new(0x33, 0x33, o[12], o[13], o[14], o[15]);
    (Ethernet::new(mac, MacAddr::new(2, 0, 0, 0, 1, src.octets()[15])) / ip / msg)
        .to_vec()
        .unwrap()
}

fn mld_v1(t: Icmpv6Type, maxresp: u16, src: Ipv6Addr, dst: Ipv6Addr, g: Ipv6Addr) -> Vec<u8> {
    let body = Icmpv6Data::Mld(Mld {
        maxresp,
        reserved: 0,
        address: g,
    });
    mld_frame(src, dst, Icmpv6::new(t, body))
}

/// [`build`] for MLD: v1 and v2 reports are MLDv1 reports, leaves Dones, v3 reports MLDv2
/// reports, v2 queries MLDv1 queries, v3 queries MLDv2 queries (from `::` for querier 0 and
/// from a global address for querier 3, both dropped).
fn build6(m: &Msg) -> Vec<u8> {
    let host = |h: u8| Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 1, u16::from(h));
    let all_nodes = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
    let querier = |s: u8| match s {
        0 => Ipv6Addr::UNSPECIFIED,
        3 => Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 1, 3),
        _ => Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 2, u16::from(s)),
    };
    match m {
        Msg::Raw(b) => b.clone(),
        Msg::Mutated(inner, at, b) => {
            let mut f = build6(inner);
            if let Some(x) = f.get_mut(*at) {
                *x ^= b | 1;
            }
            f
        }
        Msg::V1Report(h, g) | Msg::V2Report(h, g) => mld_v1(
            Icmpv6Type::MLD_LISTENER_REPORT,
            0,
            host(*h),
            group6(*g),
            group6(*g),
        ),
        Msg::Leave(h, g) => mld_v1(
            Icmpv6Type::MLD_LISTENER_DONE,
            0,
            host(*h),
            Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 2),
            group6(*g),
        ),
        Msg::V3Report(h, recs) => {
            let records = recs
                .iter()
                .map(|(t, g, s)| {
                    Mldv2ReportGroup::new(*t, group6(*g), s.iter().map(|&i| source6(i)).collect())
                })
                .collect();
            mld_frame(
                host(*h),
                Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x16),
                Icmpv6::mldv2_report(records),
            )
        }
        Msg::V2Query(s, g) => {
            let grp = g.map(group6);
            mld_v1(
                Icmpv6Type::MLD_LISTENER_QUERY,
                10_000,
                querier(*s),
                grp.unwrap_or(all_nodes),
                grp.unwrap_or(Ipv6Addr::UNSPECIFIED),
            )
        }
        Msg::V3Query(s, g, x) => {
            let grp = g.map(group6);
            let mut q = Mldv2Query::general(5_000);
            q.address = grp.unwrap_or(Ipv6Addr::UNSPECIFIED);
            q.srcs = x.iter().map(|&i| source6(i)).collect();
            mld_frame(
                querier(*s),
                grp.unwrap_or(all_nodes),
                Icmpv6::new(Icmpv6Type::MLD_LISTENER_QUERY, Icmpv6Data::Mldv2Query(q)),
            )
        }
    }
}

#[derive(Debug, Clone)]
enum Msg {
    Raw(Vec<u8>),
    Mutated(Box<Msg>, usize, u8),
    V1Report(u8, u8),
    V2Report(u8, u8),
    Leave(u8, u8),
    V3Report(u8, Vec<(u8, u8, Vec<u8>)>),
    V2Query(u8, Option<u8>),
    V3Query(u8, Option<u8>, Vec<u8>),
}

#[derive(Debug, Clone)]
enum Op {
    Frame {
        port: u32,
        vlan: Option<VlanId>,
        msg: Msg,
    },
    Advance(u64),
    PortDown(u32),
}

fn msg() -> impl Strategy<Value = Msg> {
    let simple = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..90).prop_map(Msg::Raw),
        (1..5u8, 0..8u8).prop_map(|(h, g)| Msg::V1Report(h, g)),
        (1..5u8, 0..8u8).prop_map(|(h, g)| Msg::V2Report(h, g)),
        (1..5u8, 0..8u8).prop_map(|(h, g)| Msg::Leave(h, g)),
        (
            1..5u8,
            prop::collection::vec((0..8u8, 0..8u8, prop::collection::vec(1..7u8, 0..6)), 1..4)
        )
            .prop_map(|(h, r)| Msg::V3Report(h, r)),
        (0..4u8, prop::option::of(0..8u8)).prop_map(|(s, g)| Msg::V2Query(s, g)),
        (
            0..4u8,
            prop::option::of(0..8u8),
            prop::collection::vec(1..7u8, 0..3)
        )
            .prop_map(|(s, g, x)| Msg::V3Query(s, g, x)),
    ];
    simple.prop_recursive(1, 2, 1, |inner| {
        (inner, 0..80usize, any::<u8>()).prop_map(|(m, at, b)| Msg::Mutated(Box::new(m), at, b))
    })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..5u32, prop::option::of(0..4u16), msg())
            .prop_map(|(port, vlan, msg)| Op::Frame {
                port,
                vlan: vlan.and_then(VlanId::new),
                msg,
            }),
        3 => (0..400_000u64).prop_map(Op::Advance),
        1 => (0..5u32).prop_map(Op::PortDown),
    ]
}

fn build(m: &Msg) -> Vec<u8> {
    let host = |h: u8| Ipv4Addr::new(10, 1, 0, h);
    match m {
        Msg::Raw(b) => b.clone(),
        Msg::Mutated(inner, at, b) => {
            let mut f = build(inner);
            if let Some(x) = f.get_mut(*at) {
                *x ^= b | 1;
            }
            f
        }
        Msg::V1Report(h, g) => v1_report(host(*h), group(*g)),
        Msg::V2Report(h, g) => v2_report(host(*h), group(*g)),
        Msg::Leave(h, g) => v2_leave(host(*h), group(*g)),
        Msg::V3Report(h, recs) => {
            let owned: Vec<(RecordType, Ipv4Addr, Vec<String>)> = recs
                .iter()
                .map(|(t, g, s)| {
                    (
                        RecordType(*t),
                        group(*g),
                        s.iter().map(|&i| source(i)).collect(),
                    )
                })
                .collect();
            let refs: Vec<Vec<&str>> = owned
                .iter()
                .map(|(_, _, s)| s.iter().map(String::as_str).collect())
                .collect();
            let recs: Vec<(RecordType, Ipv4Addr, &[&str])> = owned
                .iter()
                .zip(&refs)
                .map(|((t, g, _), s)| (*t, *g, s.as_slice()))
                .collect();
            v3_report_records(host(*h), &recs)
        }
        Msg::V2Query(s, g) => v2_query(querier_addr(*s), g.map(group), 10),
        Msg::V3Query(s, g, x) => {
            let srcs: Vec<String> = x.iter().map(|&i| source(i)).collect();
            let refs: Vec<&str> = srcs.iter().map(String::as_str).collect();
            v3_query(
                querier_addr(*s),
                g.map(group),
                &refs,
                Duration::from_secs(5),
            )
        }
    }
}

fn querier_addr(s: u8) -> Ipv4Addr {
    if s == 0 {
        Ipv4Addr::UNSPECIFIED
    } else {
        Ipv4Addr::new(10, 0, 1, s)
    }
}

/// The timers of a configuration: the defaults, short ones, or any (the derived intervals
/// set or left derived, an older host present interval shorter or longer than the group
/// membership interval).
#[derive(Debug, Clone)]
struct Timers {
    robustness: u8,
    query_ms: u64,
    response_ms: u64,
    lmqi_ms: u64,
    lmqc: Option<u8>,
    membership_ms: Option<u64>,
    older_host_ms: Option<u64>,
    other_querier_ms: Option<u64>,
}

fn timers() -> impl Strategy<Value = Option<Timers>> {
    let any_timers = (
        1u8..=4,
        500u64..200_000,
        100u64..20_000,
        50u64..3_000,
        proptest::option::of(1u8..=4),
        proptest::option::of(500u64..300_000),
        proptest::option::of(500u64..300_000),
        proptest::option::of(500u64..300_000),
    )
        .prop_map(|(r, q, resp, lmqi, lmqc, gmi, ohpi, oqpi)| Timers {
            robustness: r,
            query_ms: q,
            response_ms: resp.min(q),
            lmqi_ms: lmqi,
            lmqc,
            membership_ms: gmi,
            older_host_ms: ohpi,
            other_querier_ms: oqpi,
        });
    prop_oneof![
        Just(None),
        Just(Some(Timers {
            robustness: 2,
            query_ms: 3_000,
            response_ms: 1_000,
            lmqi_ms: 300,
            lmqc: None,
            membership_ms: None,
            older_host_ms: None,
            other_querier_ms: None,
        })),
        any_timers.prop_map(Some),
    ]
}

/// The behaviour settings: a preset (rfc, linux_bridge, open_vswitch, ryu_igmplib), then each
/// setting left or drawn.
#[derive(Debug, Clone)]
struct Behaviour {
    preset: u8,
    source_filtering: Option<bool>,
    last_member_queries: Option<LastMemberQueries>,
    act_on_leaves: Option<ActOnLeaves>,
    forward_leaves: Option<ForwardLeaves>,
    strict_aging: Option<StrictAging>,
    report_suppression: Option<bool>,
    adopt_querier_timers: bool,
    proxy_reporting: bool,
    subnet_len: Option<u8>,
}

fn behaviour() -> impl Strategy<Value = Behaviour> {
    (
        (
            0..4u8,
            prop::option::of(any::<bool>()),
            prop::option::of(prop_oneof![
                Just(LastMemberQueries::Querier),
                Just(LastMemberQueries::LowerTimers),
                Just(LastMemberQueries::Always),
            ]),
            prop::option::of(prop_oneof![
                Just(ActOnLeaves::Always),
                Just(ActOnLeaves::WhenQuerierKnown),
                Just(ActOnLeaves::UnlessOtherQuerier),
            ]),
            prop::option::of(prop_oneof![
                Just(ForwardLeaves::Always),
                Just(ForwardLeaves::LastMember),
            ]),
        ),
        (
            prop::option::of(prop_oneof![
                Just(StrictAging::Off),
                Just(StrictAging::PerPort),
                Just(StrictAging::PerGroup),
            ]),
            prop::option::of(any::<bool>()),
            any::<bool>(),
            any::<bool>(),
            prop::option::of(8..33u8),
        ),
    )
        .prop_map(
            |((preset, sf, lmq, aol, fl), (sa, rs, adopt, proxy, subnet_len))| Behaviour {
                preset,
                source_filtering: sf,
                last_member_queries: lmq,
                act_on_leaves: aol,
                forward_leaves: fl,
                strict_aging: sa,
                report_suppression: rs,
                adopt_querier_timers: adopt,
                proxy_reporting: proxy,
                subnet_len,
            },
        )
}

fn config(with_querier: bool, timers: Option<Timers>) -> Config {
    config_with(with_querier, timers, None)
}

fn config_with(with_querier: bool, timers: Option<Timers>, b: Option<Behaviour>) -> Config {
    let base = match b.as_ref().map_or(0, |b| b.preset) {
        0 => Config::rfc(),
        1 => Config::linux_bridge(),
        2 => Config::open_vswitch(),
        _ => Config::ryu_igmplib(),
    };
    let mut c = Config {
        max_groups_per_vlan: MAX_GROUPS_VLAN,
        max_groups_per_port: MAX_GROUPS_PORT,
        max_sources_per_group: MAX_SOURCES,
        max_vlans: MAX_VLANS,
        max_queued_transmits: MAX_TX,
        max_queued_events: MAX_EV,
        fast_leave: PortSet::Ports(vec![1]),
        router_ports: vec![4],
        querier: with_querier.then(|| QuerierConfig::new(Ipv4Addr::new(10, 0, 1, 2))),
        ..base
    };
    if let Some(b) = b {
        c.source_filtering = b.source_filtering.unwrap_or(c.source_filtering);
        c.last_member_queries = b.last_member_queries.unwrap_or(c.last_member_queries);
        c.act_on_leaves = b.act_on_leaves.unwrap_or(c.act_on_leaves);
        c.forward_leaves = b.forward_leaves.unwrap_or(c.forward_leaves);
        c.strict_aging = b.strict_aging.unwrap_or(c.strict_aging);
        c.report_suppression = b.report_suppression.unwrap_or(c.report_suppression);
        c.adopt_querier_timers = b.adopt_querier_timers;
        c.proxy_reporting = b.proxy_reporting;
        c.report_subnets = b
            .subnet_len
            .map(|len| Subnet {
                vlan: VlanId::UNTAGGED,
                address: Ipv4Addr::new(10, 0, 0, 0),
                prefix_len: len,
            })
            .into_iter()
            .collect();
    }
    if let Some(t) = timers {
        let ms = Duration::from_millis;
        c.robustness = t.robustness;
        c.query_interval = ms(t.query_ms);
        c.query_response_interval = ms(t.response_ms);
        c.last_member_query_interval = ms(t.lmqi_ms);
        c.last_member_query_count = t.lmqc;
        c.membership_interval = t.membership_ms.map(ms);
        c.older_host_present_interval = t.older_host_ms.map(ms);
        c.other_querier_present_interval = t.other_querier_ms.map(ms);
    }
    c
}

/// Everything a timer can change, to compare before and after a wake-up.
fn snapshot<A: Family>(sn: &Snooper<A>) -> String {
    let m: Vec<String> = sn.memberships().map(|m| format!("{m:?}")).collect();
    let v: Vec<String> = sn
        .vlans()
        .map(|v| format!("{v:?} {:?} {:?}", sn.router_ports(v), sn.querier(v)))
        .collect();
    format!("{m:?} {v:?} {:?}", sn.stats())
}

/// §6.3 from the memberships: does `port`'s state forward `src`?
fn model_forwards<A: Family>(sn: &Snooper<A>, vlan: VlanId, g: A, src: A) -> BTreeSet<u32> {
    let mut ports: BTreeSet<u32> = sn.router_ports(vlan).iter().copied().collect();
    for m in sn.memberships().filter(|m| m.vlan == vlan && m.group == g) {
        let entry = m.sources.iter().find(|s| s.addr == src);
        let fwd = match m.mode {
            FilterMode::Include => entry.is_some(),
            FilterMode::Exclude => entry.is_none_or(|s| s.timer.is_some()),
        };
        if fwd {
            ports.insert(m.port);
        }
    }
    ports
}

fn check<A: Family>(
    sn: &Snooper<A>,
    now: Instant,
    after_timeout: bool,
    announced: &BTreeMap<(VlanId, A), Vec<u32>>,
) {
    let mut per_vlan: BTreeMap<VlanId, BTreeSet<A>> = BTreeMap::new();
    let mut per_port: BTreeMap<(VlanId, u32), usize> = BTreeMap::new();
    let mut members: BTreeMap<(VlanId, A), Vec<u32>> = BTreeMap::new();
    for m in sn.memberships() {
        per_vlan.entry(m.vlan).or_default().insert(m.group);
        *per_port.entry((m.vlan, m.port)).or_default() += 1;
        members.entry((m.vlan, m.group)).or_default().push(m.port);
        assert!(m.sources.len() <= MAX_SOURCES, "sources bound");
        assert!(
            m.sources.windows(2).all(|w| w[0].addr < w[1].addr),
            "sorted, unique"
        );
        assert!(m.group.is_multicast_group() && !m.group.is_link_local_group());
        match m.mode {
            FilterMode::Include => {
                assert!(!m.sources.is_empty(), "INCLUDE({{}}) is deleted");
                assert!(m.group_timer.is_none());
                assert!(m.sources.iter().all(|s| s.timer.is_some()));
            }
            FilterMode::Exclude => assert!(m.group_timer.is_some()),
        }
        if after_timeout {
            assert!(
                m.group_timer.is_none_or(|t| t > now),
                "expired group timer left"
            );
            assert!(
                m.sources.iter().all(|s| s.timer.is_none_or(|t| t > now)),
                "expired source timer left"
            );
            assert!(
                m.compat_timer.is_none_or(|t| t > now),
                "expired older host present timer left"
            );
        }
        // forward_ports agrees with §6.3 for the listed sources and one unlisted.
        let mut probes: Vec<A> = m.sources.iter().map(|s| s.addr).collect();
        probes.push(A::unlisted());
        for src in probes {
            // From every port (0 to 4) and from one outside: never back out of the ingress.
            for ingress in 0..=5 {
                let mut expect = model_forwards(sn, m.vlan, m.group, src);
                expect.remove(&ingress);
                let got: BTreeSet<u32> = match sn.forward_ports(m.vlan, m.group, src, ingress) {
                    Forward::Ports(p) => {
                        assert!(!p.is_empty() && !p.contains(ingress));
                        p.iter().collect()
                    }
                    Forward::Drop => BTreeSet::new(),
                    Forward::Flood => panic!("a joined group floods"),
                    other => panic!("unknown forwarding {other:?}"),
                };
                assert_eq!(
                    got, expect,
                    "forward_ports({:?}, {}, {src}, {ingress})",
                    m.vlan, m.group
                );
            }
        }
    }
    assert!(per_vlan.len() <= MAX_VLANS);
    assert!(
        per_vlan.values().all(|g| g.len() <= MAX_GROUPS_VLAN),
        "groups per VLAN bound"
    );
    assert!(
        per_port.values().all(|&n| n <= MAX_GROUPS_PORT),
        "groups per port bound"
    );
    for ((vlan, g), ports) in &members {
        assert_eq!(sn.group_ports(*vlan, *g), ports.as_slice());
    }
    assert_eq!(&members, announced, "events describe the member ports");
    if after_timeout {
        assert!(
            sn.poll_timeout().is_none_or(|t| t > now),
            "poll_timeout in the past"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_sequences_hold_every_invariant(
        ops in prop::collection::vec(op(), 1..60),
        with_querier in any::<bool>(),
        timers in timers(),
        behaviour in prop::option::of(behaviour()),
        mld in any::<bool>(),
    ) {
        let config = config_with(with_querier, timers, behaviour);
        if mld {
            arbitrary_sequences::<Ipv6Addr>(ops, config)?;
        } else {
            arbitrary_sequences::<Ipv4Addr>(ops, config)?;
        }
    }
}

fn arbitrary_sequences<A: Family>(ops: Vec<Op>, config: Config) -> Result<(), TestCaseError> {
    let t0 = Instant::from_secs(1);
    let mut now = t0;
    let mut sn = A::snooper(config, t0);
    let mut announced: BTreeMap<(VlanId, A), Vec<u32>> = BTreeMap::new();
    for op in ops {
        let mut after_timeout = false;
        match op {
            Op::Frame { port, vlan, msg } => {
                let before = sn.stats();
                match sn.handle_frame(now, port, vlan, &A::build(&msg)) {
                    Ok(()) => {
                        prop_assert_eq!(before.bad_frames, sn.stats().bad_frames);
                        prop_assert_eq!(before.limit_refusals, sn.stats().limit_refusals);
                    }
                    Err(e) => {
                        prop_assert_eq!(e.port(), port);
                        // Counted: as a bad frame or as a refusal.
                        let counted = sn.stats().bad_frames + sn.stats().limit_refusals;
                        prop_assert!(counted > before.bad_frames + before.limit_refusals);
                    }
                }
            }
            Op::Advance(ms) => {
                let end = now + Duration::from_millis(ms);
                // Jump from wake-up to wake-up, as a runtime would.
                let mut steps = 0;
                while let Some(t) = sn.poll_timeout().filter(|&t| t <= end) {
                    if t > now {
                        // Nothing is due before poll_timeout: halfway there, a wake-up
                        // changes nothing and sends nothing.
                        drain(&mut sn, &mut announced);
                        let before = snapshot(&sn);
                        sn.handle_timeout(now + (t - now) / 2);
                        prop_assert_eq!(
                            &before,
                            &snapshot(&sn),
                            "a change due before poll_timeout"
                        );
                        prop_assert!(
                            sn.poll_event().is_none(),
                            "an event due before poll_timeout"
                        );
                        prop_assert!(
                            sn.poll_transmit(&mut Vec::new()).is_none(),
                            "a frame due before poll_timeout"
                        );
                        prop_assert_eq!(sn.poll_timeout(), Some(t));
                    }
                    now = now.max(t);
                    sn.handle_timeout(now);
                    steps += 1;
                    prop_assert!(steps < 100_000, "timer loop");
                    drain(&mut sn, &mut announced);
                }
                now = end;
                sn.handle_timeout(now);
                after_timeout = true;
            }
            Op::PortDown(p) => sn.handle_port_down(now, p),
        }
        drain(&mut sn, &mut announced);
        check(&sn, now, after_timeout, &announced);
    }
    Ok(())
}

/// Membership traffic for two groups on two ports (reports of every version, IS_EX/IS_IN/
/// ALLOW/BLOCK/TO_EX/TO_IN records, leaves) and short time steps, under any timers: the
/// sequences where host compatibility, group and source timers interleave.
fn timer_op() -> impl Strategy<Value = Op> {
    let m = prop_oneof![
        (1..3u8, 0..2u8).prop_map(|(h, g)| Msg::V1Report(h, g)),
        (1..3u8, 0..2u8).prop_map(|(h, g)| Msg::V2Report(h, g)),
        (1..3u8, 0..2u8).prop_map(|(h, g)| Msg::Leave(h, g)),
        (
            1..3u8,
            prop::collection::vec((1..7u8, 0..2u8, prop::collection::vec(1..4u8, 0..3)), 1..3)
        )
            .prop_map(|(h, r)| Msg::V3Report(h, r)),
    ];
    prop_oneof![
        3 => (2..4u32, m).prop_map(|(port, msg)| Op::Frame { port, vlan: None, msg }),
        2 => (0..30_000u64).prop_map(Op::Advance),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Under any timers, a runtime that sleeps until `poll_timeout` is never late: halfway to
    /// it nothing changes, and at it every expired timer is gone.
    #[test]
    fn poll_timeout_is_never_late_under_any_timers(
        ops in prop::collection::vec(timer_op(), 1..40),
        timers in timers(),
        mld in any::<bool>(),
    ) {
        if mld {
            never_late::<Ipv6Addr>(ops, config(false, timers))?;
        } else {
            never_late::<Ipv4Addr>(ops, config(false, timers))?;
        }
    }
}

fn never_late<A: Family>(ops: Vec<Op>, config: Config) -> Result<(), TestCaseError> {
    let t0 = Instant::from_secs(1);
    let mut now = t0;
    let mut sn = A::snooper(config, t0);
    let mut announced: BTreeMap<(VlanId, A), Vec<u32>> = BTreeMap::new();
    drain(&mut sn, &mut announced);
    for op in ops {
        let after_timeout = matches!(op, Op::Advance(_));
        match op {
            Op::Frame { port, vlan, msg } => {
                let _ = sn.handle_frame(now, port, vlan, &A::build(&msg));
            }
            Op::Advance(ms) => {
                let end = now + Duration::from_millis(ms);
                while let Some(t) = sn.poll_timeout().filter(|&t| t <= end) {
                    if t > now {
                        let before = snapshot(&sn);
                        sn.handle_timeout(now + (t - now) / 2);
                        prop_assert_eq!(
                            &before,
                            &snapshot(&sn),
                            "a change due before poll_timeout"
                        );
                        prop_assert!(sn.poll_event().is_none());
                    }
                    now = now.max(t);
                    sn.handle_timeout(now);
                    drain(&mut sn, &mut announced);
                }
                now = end;
                sn.handle_timeout(now);
            }
            Op::PortDown(p) => sn.handle_port_down(now, p),
        }
        drain(&mut sn, &mut announced);
        check(&sn, now, after_timeout, &announced);
    }
    Ok(())
}

fn drain<A: Family>(sn: &mut Snooper<A>, announced: &mut BTreeMap<(VlanId, A), Vec<u32>>) {
    let mut n = 0;
    let mut buf = Vec::new();
    while let Some(tx) = sn.poll_transmit(&mut buf) {
        n += 1;
        assert!(buf.len() >= 60, "a whole frame");
        if let Egress::RouterPorts { except } = tx.egress {
            assert!(sn.router_ports(tx.vlan).iter().any(|&p| Some(p) != except));
        }
    }
    assert!(n <= MAX_TX, "transmit queue bound");
    let mut e = 0;
    while let Some(ev) = sn.poll_event() {
        e += 1;
        match ev {
            Event::GroupAdded { vlan, group, ports } => {
                assert!(
                    announced.insert((vlan, group), ports).is_none(),
                    "added twice"
                );
            }
            Event::MemberChanged { vlan, group, ports } => {
                assert!(
                    announced.insert((vlan, group), ports).is_some(),
                    "changed before added"
                );
            }
            Event::GroupRemoved { vlan, group } => {
                assert!(
                    announced.remove(&(vlan, group)).is_some(),
                    "removed before added"
                );
            }
            Event::Resync => {
                *announced = sn
                    .groups()
                    .map(|(v, g, ports)| ((v, g), ports.to_vec()))
                    .collect();
            }
            _ => {}
        }
    }
    assert!(e <= MAX_EV + 1, "event queue bound (and a resync)");
}
