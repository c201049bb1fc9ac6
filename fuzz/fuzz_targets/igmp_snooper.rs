//! The `igmp` snooper, of IGMP or of MLD (the input picks the address family), driven by
//! operations read from the input: a frame (raw bytes, or a valid IGMP or MLD frame assembled
//! from a few fuzzed fields so that the deep states are reached) on a port
//! and VLAN, a time step, a port going down, a configuration change; the timers of the
//! configurations are fuzzed too (defaults, short ones, any), and their behaviour (a preset,
//! then each setting overridden or not: source filtering, last member queries, leaves, strict
//! aging, suppression, adopted querier timers, proxy reporting, report subnets, fast leave).
//! After every operation the
//! invariants that hostile input must not break are checked: bounds on groups, sources, VLANs
//! and queues; memberships well formed; `forward_ports` consistent with the memberships and
//! never back out of the ingress port; no timer left in the past after `handle_timeout`; no
//! event lost (a view built from the events alone, and from the state on `Event::Resync`,
//! equals the snooper's groups after every operation); `poll_timeout` never late (a
//! `handle_timeout` before it changes nothing).
#![no_main]

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sdnwire_igmp::{
    ActOnLeaves, Address, Config, Event, FilterMode, Forward, ForwardLeaves, Instant,
    LastMemberQueries, PortSet, QuerierConfig, Snooper, StrictAging, Subnet, VlanId,
};

const MAX_GROUPS_VLAN: usize = 8;
const MAX_GROUPS_PORT: usize = 4;
const MAX_SOURCES: usize = 6;
const MAX_VLANS: usize = 4;
const MAX_TX: usize = 32;
const MAX_EV: usize = 64;

#[derive(Arbitrary, Debug)]
enum Op {
    Raw {
        port: u8,
        vlan: Option<u16>,
        bytes: Vec<u8>,
    },
    Igmp {
        port: u8,
        vlan: Option<u8>,
        src: u8,
        msg_type: u8,
        code: u8,
        group: u8,
        records: Vec<(u8, u8, Vec<u8>)>,
    },
    Advance(u32),
    PortDown(u8),
    Reconfigure {
        querier: bool,
        timers: Timers,
        behaviour: Behaviour,
    },
}

/// The behaviour settings of a configuration: a preset, then each setting overridden or not.
#[derive(Arbitrary, Debug)]
struct Behaviour {
    /// rfc, linux_bridge, open_vswitch, ryu_igmplib, ryu_igmplib_querier.
    preset: u8,
    source_filtering: Option<bool>,
    last_member_queries: Option<u8>,
    act_on_leaves: Option<u8>,
    forward_leaves: Option<bool>,
    strict_aging: Option<u8>,
    report_suppression: Option<bool>,
    router_port_from_unspecified: Option<bool>,
    adopt_querier_timers: bool,
    proxy_reporting: bool,
    /// A subnet for untagged reports: 10.1.0.0/(16 + n % 17).
    subnet: Option<u8>,
    fast_leave_all: bool,
    query_version: Option<u8>,
}

/// The timers of a configuration: the defaults, short ones, or any (each derived interval
/// set or left derived, so that an older host present interval can be shorter than the group
/// membership interval, a last member query time longer than it, ...).
#[derive(Arbitrary, Debug)]
enum Timers {
    Default,
    Short,
    Any {
        robustness: u8,
        query_ms: u16,
        response_ms: u16,
        lmqi_ms: u16,
        lmqc: Option<u8>,
        membership_ms: Option<u32>,
        older_host_ms: Option<u32>,
        other_querier_ms: Option<u32>,
    },
}

fn group(g: u8) -> Ipv4Addr {
    match g % 10 {
        9 => Ipv4Addr::new(224, 0, 0, 251),
        8 => Ipv4Addr::new(10, 0, 0, 1),
        n => Ipv4Addr::new(239, 0, 0, n),
    }
}

fn group6(g: u8) -> Ipv6Addr {
    match g % 10 {
        9 => Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0xfb),
        8 => Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
        n => Ipv6Addr::new(0xff0e, 0, 0, 0, 0, 0, 0, u16::from(n)),
    }
}

/// The family under test: its snooper and the frames assembled from fuzzed fields.
trait Family: Address {
    fn snooper(config: Config, now: Instant) -> Snooper<Self>;
    /// A frame of one of the family's message types (or `msg_type` itself).
    fn frame(src: u8, pick: u8, code: u8, g: u8, records: &[(u8, u8, Vec<u8>)]) -> Vec<u8>;
}

impl Family for Ipv4Addr {
    fn snooper(config: Config, now: Instant) -> Snooper<Self> {
        Snooper::new(config, now)
    }
    fn frame(src: u8, pick: u8, code: u8, g: u8, records: &[(u8, u8, Vec<u8>)]) -> Vec<u8> {
        let t = [0x11, 0x12, 0x16, 0x17, 0x22, pick][usize::from(pick % 6)];
        igmp_frame(src, t, code, g, records)
    }
}

impl Family for Ipv6Addr {
    fn snooper(config: Config, now: Instant) -> Snooper<Self> {
        Snooper::mld(config, now)
    }
    fn frame(src: u8, pick: u8, code: u8, g: u8, records: &[(u8, u8, Vec<u8>)]) -> Vec<u8> {
        let t = [130, 131, 132, 143, pick][usize::from(pick % 5)];
        mld_frame(src, t, code, g, records)
    }
}

/// Ethernet + IPv6 (hop limit 1, Hop-by-Hop Router Alert) + an ICMPv6 message of type `t`:
/// MLDv2 reports get records, queries with code ≥ 0x80 the MLDv2 form and a source list.
/// Sources 0 and 1 send from `::` and from a global address, the others from link-local ones.
fn mld_frame(src: u8, t: u8, code: u8, g: u8, records: &[(u8, u8, Vec<u8>)]) -> Vec<u8> {
    let mut m = vec![t, 0, 0, 0];
    if t == 143 {
        let recs: Vec<_> = records.iter().take(8).collect();
        m.extend_from_slice(&[0, 0, 0, recs.len() as u8]);
        for (rt, grp, srcs) in recs {
            let srcs: Vec<_> = srcs.iter().take(10).collect();
            m.extend_from_slice(&[*rt % 8, 0, 0, srcs.len() as u8]);
            m.extend_from_slice(&group6(*grp).octets());
            for s in srcs {
                let a = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, u16::from(*s % 12));
                m.extend_from_slice(&a.octets());
            }
        }
    } else {
        m.extend_from_slice(&[0, code, 0, 0]);
        m.extend_from_slice(&group6(g).octets());
        if t == 130 && code >= 0x80 {
            m.extend_from_slice(&[0x02, 125, 0, (code & 3)]);
            for i in 0..(code & 3) {
                let a = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, u16::from(i));
                m.extend_from_slice(&a.octets());
            }
        }
    }
    let from = match src % 6 {
        0 => Ipv6Addr::UNSPECIFIED,
        1 => Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 1, 1),
        n => Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, u16::from(n)),
    };
    let dst = match t {
        143 => Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x16),
        132 => Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 2),
        _ => group6(g),
    };
    // The pseudo-header: source, destination, length, next header 58.
    let mut pseudo = Vec::new();
    pseudo.extend_from_slice(&from.octets());
    pseudo.extend_from_slice(&dst.octets());
    pseudo.extend_from_slice(&(m.len() as u32).to_be_bytes());
    pseudo.extend_from_slice(&[0, 0, 0, 58]);
    pseudo.extend_from_slice(&m);
    let c = checksum(&pseudo);
    m[2..4].copy_from_slice(&c.to_be_bytes());
    let o = dst.octets();
    let mut f = vec![
        0x33, 0x33, o[12], o[13], o[14], o[15], 2, 0, 0, 0, 1, src, 0x86, 0xdd,
    ];
    let payload = 8 + m.len();
    f.extend_from_slice(&[0x60, 0, 0, 0, (payload >> 8) as u8, payload as u8, 0, 1]);
    f.extend_from_slice(&from.octets());
    f.extend_from_slice(&dst.octets());
    f.extend_from_slice(&[58, 0, 5, 2, 0, 0, 1, 0]);
    f.extend_from_slice(&m);
    f
}

fn checksum(b: &[u8]) -> u16 {
    let mut s: u32 = 0;
    for c in b.chunks(2) {
        let w = (u32::from(c[0]) << 8) | u32::from(*c.get(1).unwrap_or(&0));
        s += w;
    }
    while s >> 16 != 0 {
        s = (s & 0xffff) + (s >> 16);
    }
    !(s as u16)
}

/// Ethernet + IPv4 (Router Alert) + an IGMP message of the given type; v3 reports get records,
/// v3 queries (code ≥ 0x80 picks the long form) a source list.
fn igmp_frame(src: u8, msg_type: u8, code: u8, g: u8, records: &[(u8, u8, Vec<u8>)]) -> Vec<u8> {
    let mut m = vec![msg_type, code, 0, 0];
    if msg_type == 0x22 {
        m[1] = 0;
        let recs: Vec<_> = records.iter().take(8).collect();
        m.extend_from_slice(&[0, 0, 0, recs.len() as u8]);
        for (t, grp, srcs) in recs {
            let srcs: Vec<_> = srcs.iter().take(10).collect();
            m.extend_from_slice(&[*t % 8, 0, 0, srcs.len() as u8]);
            m.extend_from_slice(&group(*grp).octets());
            for s in srcs {
                m.extend_from_slice(&[10, 0, 0, s % 12]);
            }
        }
    } else {
        m.extend_from_slice(&group(g).octets());
        if msg_type == 0x11 && code >= 0x80 {
            m.extend_from_slice(&[0x02, 125, 0, (code & 3)]);
            for i in 0..(code & 3) {
                m.extend_from_slice(&[10, 0, 0, i]);
            }
        }
    }
    let c = checksum(&m);
    m[2..4].copy_from_slice(&c.to_be_bytes());
    let total = 24 + m.len();
    let dst = if msg_type == 0x22 {
        [224, 0, 0, 22]
    } else {
        group(g).octets()
    };
    let mut ip = vec![
        0x46,
        0xc0,
        (total >> 8) as u8,
        total as u8,
        0,
        0,
        0,
        0,
        1,
        2,
        0,
        0,
    ];
    ip.extend_from_slice(&[10, 1, 0, src % 5]);
    ip.extend_from_slice(&dst);
    ip.extend_from_slice(&[0x94, 0x04, 0, 0]);
    let c = checksum(&ip);
    ip[10..12].copy_from_slice(&c.to_be_bytes());
    let mut f = vec![
        0x01,
        0x00,
        0x5e,
        dst[1] & 0x7f,
        dst[2],
        dst[3],
        2,
        0,
        0,
        0,
        0,
        src,
        0x08,
        0x00,
    ];
    f.extend_from_slice(&ip);
    f.extend_from_slice(&m);
    f.resize(f.len().max(60), 0);
    f
}

fn config(querier: bool, timers: &Timers, b: &Behaviour) -> Config {
    let base = match b.preset % 5 {
        0 => Config::rfc(),
        1 => Config::linux_bridge(),
        2 => Config::open_vswitch(),
        3 => Config::ryu_igmplib(),
        _ => Config::ryu_igmplib_querier(5),
    };
    let server = base.querier.as_ref().and_then(|q| q.server_port);
    let mut c = Config {
        max_groups_per_vlan: MAX_GROUPS_VLAN,
        max_groups_per_port: MAX_GROUPS_PORT,
        max_sources_per_group: MAX_SOURCES,
        max_vlans: MAX_VLANS,
        max_queued_transmits: MAX_TX,
        max_queued_events: MAX_EV,
        fast_leave: if b.fast_leave_all {
            PortSet::All
        } else {
            PortSet::Ports(vec![2])
        },
        router_ports: vec![7],
        querier: querier.then(|| QuerierConfig {
            server_port: server,
            ..QuerierConfig::new(Ipv4Addr::new(10, 1, 0, 2))
        }),
        adopt_querier_timers: b.adopt_querier_timers,
        proxy_reporting: b.proxy_reporting,
        report_subnets: b
            .subnet
            .map(|n| Subnet {
                vlan: VlanId::UNTAGGED,
                address: Ipv4Addr::new(10, 1, 0, 0),
                prefix_len: 16 + n % 17,
            })
            .into_iter()
            .collect(),
        ..base
    };
    if let Some(v) = b.source_filtering {
        c.source_filtering = v;
    }
    if let Some(v) = b.query_version {
        c.query_version = v % 4;
    }
    if let Some(v) = b.last_member_queries {
        c.last_member_queries = match v % 3 {
            0 => LastMemberQueries::Querier,
            1 => LastMemberQueries::LowerTimers,
            _ => LastMemberQueries::Always,
        };
    }
    if let Some(v) = b.act_on_leaves {
        c.act_on_leaves = match v % 3 {
            0 => ActOnLeaves::Always,
            1 => ActOnLeaves::WhenQuerierKnown,
            _ => ActOnLeaves::UnlessOtherQuerier,
        };
    }
    if let Some(v) = b.forward_leaves {
        c.forward_leaves = if v {
            ForwardLeaves::Always
        } else {
            ForwardLeaves::LastMember
        };
    }
    if let Some(v) = b.strict_aging {
        c.strict_aging = match v % 3 {
            0 => StrictAging::Off,
            1 => StrictAging::PerPort,
            _ => StrictAging::PerGroup,
        };
    }
    if let Some(v) = b.report_suppression {
        c.report_suppression = v;
    }
    if let Some(v) = b.router_port_from_unspecified {
        c.router_port_from_unspecified = v;
    }
    let ms = |n: u64| Duration::from_millis(n);
    // Up to about 5 minutes each, so that a run of time steps sees them all run out.
    let bounded = |n: u32| ms(u64::from(n % 300_000));
    match *timers {
        Timers::Default => {}
        Timers::Short => {
            c.query_interval = Duration::from_secs(2);
            c.query_response_interval = Duration::from_millis(500);
            c.last_member_query_interval = Duration::from_millis(100);
        }
        Timers::Any {
            robustness,
            query_ms,
            response_ms,
            lmqi_ms,
            lmqc,
            membership_ms,
            older_host_ms,
            other_querier_ms,
        } => {
            c.robustness = robustness % 5;
            c.query_interval = ms(u64::from(query_ms) * 4);
            c.query_response_interval = ms(u64::from(response_ms.min(query_ms)));
            c.last_member_query_interval = ms(u64::from(lmqi_ms % 5_000));
            c.last_member_query_count = lmqc.map(|n| n % 5);
            c.membership_interval = membership_ms.map(bounded);
            c.older_host_present_interval = older_host_ms.map(bounded);
            c.other_querier_present_interval = other_querier_ms.map(bounded);
        }
    }
    c
}

fn check<A: Family>(sn: &Snooper<A>, now: Instant, after_timeout: bool) {
    let mut groups = std::collections::BTreeMap::<_, usize>::new();
    let mut ports = std::collections::BTreeMap::<_, usize>::new();
    for m in sn.memberships() {
        assert!(m.sources.len() <= MAX_SOURCES);
        assert!(m.sources.windows(2).all(|w| w[0].addr < w[1].addr));
        *ports.entry((m.vlan, m.port)).or_default() += 1;
        if sn.group_ports(m.vlan, m.group).first() == Some(&m.port) {
            *groups.entry(m.vlan).or_default() += 1;
        }
        match m.mode {
            FilterMode::Include => {
                assert!(!m.sources.is_empty() && m.group_timer.is_none());
                assert!(m.sources.iter().all(|s| s.timer.is_some()));
            }
            FilterMode::Exclude => assert!(m.group_timer.is_some()),
        }
        if after_timeout {
            assert!(m.group_timer.is_none_or(|t| t > now));
            assert!(m.sources.iter().all(|s| s.timer.is_none_or(|t| t > now)));
            assert!(m.compat_timer.is_none_or(|t| t > now));
        }
        for s in m.sources {
            // From a port that is no member: the member's decision.
            let fwd = match sn.forward_ports(m.vlan, m.group, s.addr, 99) {
                Forward::Ports(p) => p.contains(m.port),
                Forward::Drop => false,
                Forward::Flood => panic!("joined group floods"),
                other => panic!("unknown forwarding {other:?}"),
            };
            let want = match m.mode {
                FilterMode::Include => true,
                FilterMode::Exclude => s.timer.is_some(),
            };
            let server = sn.config().querier.as_ref().and_then(|q| q.server_port);
            assert!(
                fwd == want || sn.router_ports(m.vlan).contains(&m.port) || server == Some(m.port)
            );
            // From the member's own port: never back to it.
            if let Forward::Ports(p) = sn.forward_ports(m.vlan, m.group, s.addr, m.port) {
                assert!(!p.contains(m.port) && !p.is_empty());
            }
        }
    }
    assert!(groups.len() <= MAX_VLANS && groups.values().all(|&n| n <= MAX_GROUPS_VLAN));
    assert!(ports.values().all(|&n| n <= MAX_GROUPS_PORT));
    if after_timeout {
        assert!(sn.poll_timeout().is_none_or(|t| t > now));
    }
}

type View<A> = BTreeMap<(VlanId, A), Vec<u32>>;

fn truth<A: Family>(sn: &Snooper<A>) -> View<A> {
    sn.groups().map(|(v, g, p)| ((v, g), p.to_vec())).collect()
}

/// Drains the snooper (one reused buffer), applying the events to the runtime's view.
fn drain<A: Family>(sn: &mut Snooper<A>, buf: &mut Vec<u8>, view: &mut View<A>) {
    let mut n = 0;
    while sn.poll_transmit(buf).is_some() {
        assert!(buf.len() >= 14);
        n += 1;
    }
    assert!(buf.is_empty());
    assert!(n <= MAX_TX);
    let mut e = 0;
    while let Some(ev) = sn.poll_event() {
        e += 1;
        match ev {
            Event::GroupAdded { vlan, group, ports } => {
                assert!(view.insert((vlan, group), ports).is_none());
            }
            Event::MemberChanged { vlan, group, ports } => {
                assert!(view.insert((vlan, group), ports).is_some());
            }
            Event::GroupRemoved { vlan, group } => {
                assert!(view.remove(&(vlan, group)).is_some());
            }
            Event::Resync => *view = truth(sn),
            _ => {}
        }
    }
    assert!(e <= MAX_EV + 1);
}

/// Everything observable of the state.
fn snapshot<A: Family>(sn: &Snooper<A>) -> String {
    let m: Vec<String> = sn.memberships().map(|m| format!("{m:?}")).collect();
    let v: Vec<String> = sn
        .vlans()
        .map(|v| format!("{v:?} {:?} {:?}", sn.router_ports(v), sn.querier(v)))
        .collect();
    format!("{m:?} {v:?} {:?}", sn.stats())
}

fuzz_target!(|input: (bool, Timers, Behaviour, Vec<Op>)| {
    let (mld, timers, behaviour, ops) = input;
    if mld {
        run::<Ipv6Addr>(timers, behaviour, ops);
    } else {
        run::<Ipv4Addr>(timers, behaviour, ops);
    }
});

fn run<A: Family>(timers: Timers, behaviour: Behaviour, ops: Vec<Op>) {
    let mut now = Instant::from_secs(1);
    let mut sn = A::snooper(config(true, &timers, &behaviour), now);
    let mut buf = Vec::new();
    let mut view = View::new();
    // Running from `now`: its first general query is queued already.
    drain(&mut sn, &mut buf, &mut view);
    for op in ops.into_iter().take(200) {
        let mut after_timeout = false;
        match op {
            Op::Raw { port, vlan, bytes } => {
                let vlan = vlan.and_then(VlanId::new);
                let _ = sn.handle_frame(now, u32::from(port % 8), vlan, &bytes);
            }
            Op::Igmp {
                port,
                vlan,
                src,
                msg_type,
                code,
                group,
                records,
            } => {
                let f = A::frame(src, msg_type, code, group, &records);
                let vlan = vlan.and_then(|v| VlanId::new(u16::from(v % 6)));
                let _ = sn.handle_frame(now, u32::from(port % 8), vlan, &f);
            }
            Op::Advance(ms) => {
                let end = now + Duration::from_millis(u64::from(ms % 600_000));
                let mut steps = 0u32;
                while let Some(t) = sn.poll_timeout().filter(|&t| t <= end) {
                    if t > now {
                        // Nothing is due before poll_timeout.
                        let before = snapshot(&sn);
                        sn.handle_timeout(now + (t - now) / 2);
                        assert!(sn.poll_transmit(&mut buf).is_none());
                        assert!(sn.poll_event().is_none());
                        assert_eq!(before, snapshot(&sn));
                        assert_eq!(sn.poll_timeout(), Some(t));
                    }
                    now = now.max(t);
                    sn.handle_timeout(now);
                    drain(&mut sn, &mut buf, &mut view);
                    steps += 1;
                    assert!(steps < 1_000_000);
                }
                now = end;
                sn.handle_timeout(now);
                after_timeout = true;
            }
            Op::PortDown(p) => sn.handle_port_down(now, u32::from(p % 8)),
            Op::Reconfigure {
                querier,
                timers,
                behaviour,
            } => sn.set_config(now, config(querier, &timers, &behaviour)),
        }
        drain(&mut sn, &mut buf, &mut view);
        assert_eq!(view, truth(&sn), "an event was lost");
        check(&sn, now, after_timeout);
    }
}
