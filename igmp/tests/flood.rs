//! Floods past every bound, and a runtime that knows only what the snooper told it.
//!
//! Many groups, ports and VLANs join and leave (IGMPv2 reports and leaves, IGMPv3 records with
//! more sources than allowed), queriers come and go on several ports, ports go down and time
//! runs, so that every bound of the [`Config`] is hit: groups per VLAN and per port, sources per
//! group, VLANs, and (the runtime drains events only now and then) the event queue. The
//! "runtime" applies only what `poll_event` says (and, on `Event::Resync`, reads
//! `groups()`, `router_ports()` and `querier()`); at checkpoints and at the end its view must
//! equal the snooper's exact state. Between wake-ups, a `handle_timeout` earlier than
//! `poll_timeout` must change nothing (no deadline is ever later than `poll_timeout` said).

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod support;

use core::net::Ipv4Addr;
use core::time::Duration;
use std::collections::{BTreeMap, BTreeSet};

use sdnwire_igmp::{
    Config, Error, Event, Instant, Limit, PortSet, QuerierConfig, QuerierInfo, Snooper, VlanId,
};
use sdnwire_packet::igmp::RecordType;
use support::*;

const PORTS: u32 = 12;
const GROUPS: u32 = 40;

/// xorshift64*: the same sequence on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// What the runtime believes, from the events alone.
#[derive(Debug, Default, PartialEq, Eq)]
struct View {
    groups: BTreeMap<(VlanId, Ipv4Addr), Vec<u32>>,
    routers: BTreeMap<VlanId, BTreeSet<u32>>,
    queriers: BTreeMap<VlanId, QuerierInfo>,
}

impl View {
    /// The snooper's state, read through its accessors.
    fn truth(sn: &Snooper) -> View {
        let mut v = View {
            groups: sn
                .groups()
                .map(|(vlan, g, ports)| ((vlan, g), ports.to_vec()))
                .collect(),
            ..View::default()
        };
        for vlan in sn.vlans() {
            let routers: BTreeSet<u32> = sn.router_ports(vlan).iter().copied().collect();
            if !routers.is_empty() {
                v.routers.insert(vlan, routers);
            }
            if let Some(q) = sn.querier(vlan) {
                v.queriers.insert(vlan, q);
            }
        }
        v
    }

    fn apply(&mut self, sn: &Snooper, ev: Event) {
        match ev {
            Event::GroupAdded { vlan, group, ports } => {
                assert!(!ports.is_empty());
                assert!(
                    self.groups.insert((vlan, group), ports).is_none(),
                    "added twice"
                );
            }
            Event::MemberChanged { vlan, group, ports } => {
                assert!(!ports.is_empty());
                assert!(
                    self.groups.insert((vlan, group), ports).is_some(),
                    "changed before added"
                );
            }
            Event::GroupRemoved { vlan, group } => {
                assert!(
                    self.groups.remove(&(vlan, group)).is_some(),
                    "removed before added"
                );
            }
            Event::RouterPortAdded { vlan, port } => {
                assert!(
                    self.routers.entry(vlan).or_default().insert(port),
                    "router added twice"
                );
            }
            Event::RouterPortRemoved { vlan, port } => {
                let set = self
                    .routers
                    .get_mut(&vlan)
                    .expect("router removed before added");
                assert!(set.remove(&port), "router removed before added");
                if set.is_empty() {
                    self.routers.remove(&vlan);
                }
            }
            Event::QuerierChanged { vlan, querier } => match querier {
                Some(q) => {
                    self.queriers.insert(vlan, q);
                }
                None => {
                    self.queriers.remove(&vlan);
                }
            },
            Event::Resync => *self = View::truth(sn),
            _ => {}
        }
    }
}

struct Runtime {
    sn: Snooper,
    view: View,
    now: Instant,
    buf: Vec<u8>,
    max_events: usize,
    /// Events and resyncs seen.
    events: usize,
    resyncs: usize,
}

impl Runtime {
    fn drain(&mut self) {
        while self.sn.poll_transmit(&mut self.buf).is_some() {}
        let mut n = 0;
        while let Some(ev) = self.sn.poll_event() {
            n += 1;
            if ev == Event::Resync {
                self.resyncs += 1;
            }
            self.view.apply(&self.sn, ev);
        }
        assert!(n <= self.max_events + 1, "the queue is bounded: {n} events");
        self.events += n;
    }

    fn checkpoint(&mut self, what: &str) {
        self.drain();
        assert_eq!(self.view, View::truth(&self.sn), "{what}");
    }

    /// Everything the snooper's state says, to see that nothing moved.
    fn snapshot(&self) -> String {
        let m: Vec<String> = self.sn.memberships().map(|m| format!("{m:?}")).collect();
        format!("{m:?} {:?}", View::truth(&self.sn))
    }

    /// Runs time to `end`, waking at each `poll_timeout` (as a runtime does), and checks that
    /// waking earlier changes nothing.
    fn run_to(&mut self, end: Instant, rng: &mut Rng) {
        while let Some(t) = self.sn.poll_timeout().filter(|&t| t <= end) {
            if t > self.now && rng.below(4) == 0 {
                let early = self.now + (t - self.now) / 2;
                self.drain();
                let (before, stats) = (self.snapshot(), self.sn.stats());
                self.sn.handle_timeout(early);
                assert!(
                    self.sn.poll_transmit(&mut self.buf).is_none(),
                    "a frame before poll_timeout"
                );
                assert_eq!(self.sn.poll_event(), None, "an event before poll_timeout");
                assert_eq!(before, self.snapshot(), "state changed before poll_timeout");
                assert_eq!(stats, self.sn.stats());
                assert_eq!(self.sn.poll_timeout(), Some(t));
            }
            self.now = self.now.max(t);
            self.sn.handle_timeout(self.now);
            // Not drained every time: the event queue overflows.
            if rng.below(3) == 0 {
                self.drain();
            }
        }
        self.now = end;
        self.sn.handle_timeout(end);
    }
}

fn config(querier: bool) -> Config {
    Config {
        max_groups_per_vlan: 14,
        max_groups_per_port: 3,
        max_sources_per_group: 3,
        max_vlans: 3,
        max_queued_events: 8,
        max_queued_transmits: 8,
        fast_leave: PortSet::Ports(vec![11, 12]),
        querier: querier.then(|| QuerierConfig {
            vlans: vec![VlanId::UNTAGGED, VlanId::new(1).unwrap()],
            ..QuerierConfig::new(ip("10.0.0.200"))
        }),
        query_interval: Duration::from_secs(20),
        query_response_interval: Duration::from_secs(2),
        ..Config::default()
    }
}

fn flood(seed: u64, querier: bool) -> (Runtime, [u64; 4]) {
    let mut rng = Rng(seed);
    let cfg = config(querier);
    let max_events = cfg.max_queued_events;
    let mut rt = Runtime {
        sn: Snooper::new(cfg, T0),
        view: View::default(),
        now: T0,
        buf: Vec::new(),
        max_events,
        events: 0,
        resyncs: 0,
    };
    // Refusals by kind: groups per VLAN, per port, sources, VLANs.
    let mut refused = [0u64; 4];
    let vlans = [
        None,
        Some(VlanId::new(1).unwrap()),
        Some(VlanId::new(2).unwrap()),
        Some(VlanId::new(3).unwrap()),
    ];
    for step in 0..6_000u32 {
        let port = 1 + u32::try_from(rng.below(u64::from(PORTS))).unwrap();
        let vlan = vlans[usize::try_from(rng.below(4)).unwrap()];
        let g = Ipv4Addr::from(0xef00_0000 + u32::try_from(rng.below(u64::from(GROUPS))).unwrap());
        let host = Ipv4Addr::new(10, 1, 0, u8::try_from(port).unwrap());
        let srcs: Vec<String> = (0..rng.below(6))
            .map(|_| format!("10.9.0.{}", 1 + rng.below(8)))
            .collect();
        let srcs: Vec<&str> = srcs.iter().map(String::as_str).collect();
        let frame = match rng.below(20) {
            0..=5 => v2_report(host, g),
            6..=8 => v2_leave(host, g),
            9 => v3_report(host, RecordType::IS_EX, g, &srcs),
            10 | 11 => v3_report(host, RecordType::ALLOW, g, &srcs),
            12 => v3_report(host, RecordType::BLOCK, g, &srcs),
            13 => v3_report(host, RecordType::TO_IN, g, &[]),
            14 => v3_report_records(
                host,
                &[
                    (RecordType::IS_IN, g, &srcs[..]),
                    (RecordType::IS_EX, Ipv4Addr::from(u32::from(g) ^ 1), &[]),
                ],
            ),
            15 => {
                // A router on a port: general or group-specific queries, v2 or v3.
                let q = Ipv4Addr::new(10, 0, 0, 100 + u8::try_from(port).unwrap());
                if rng.below(2) == 0 {
                    v2_query(q, (rng.below(3) == 0).then_some(g), 10)
                } else {
                    v3_query(q, None, &[], Duration::from_secs(10))
                }
            }
            16 => {
                rt.sn.handle_port_down(rt.now, port);
                Vec::new()
            }
            17 => {
                let end = rt.now + Duration::from_millis(rng.below(4_000));
                rt.run_to(end, &mut rng);
                Vec::new()
            }
            18 => {
                // A long pause: timers run out.
                let end = rt.now + Duration::from_secs(rng.below(300));
                rt.run_to(end, &mut rng);
                Vec::new()
            }
            _ => {
                let mut f = v2_report(host, g);
                let at = usize::try_from(rng.below(f.len() as u64)).unwrap();
                f[at] ^= 0x5a; // bad input
                f
            }
        };
        if !frame.is_empty() {
            let before = rt.sn.stats();
            match rt.sn.handle_frame(rt.now, port, vlan, &frame) {
                Ok(()) => {}
                Err(Error::Limit { limit, port: p, .. }) => {
                    assert_eq!(p, port);
                    let i = match limit {
                        Limit::GroupsPerVlan => 0,
                        Limit::GroupsPerPort => 1,
                        Limit::SourcesPerGroup => 2,
                        Limit::Vlans => 3,
                        _ => unreachable!(),
                    };
                    refused[i] += 1;
                    assert!(rt.sn.stats().limit_refusals > before.limit_refusals);
                }
                Err(e) => {
                    assert_eq!(e.port(), port);
                    assert!(rt.sn.stats().bad_frames > before.bad_frames, "{e}");
                }
            }
        }
        // The runtime drains now and then only: bursts overflow the event queue.
        if rng.below(12) == 0 {
            rt.drain();
        }
        if step % 500 == 499 {
            rt.checkpoint(&format!("seed {seed:#x}, checkpoint at step {step}"));
        }
    }
    let end = rt.now + Duration::from_secs(1_000);
    let mut r = Rng(seed ^ 1);
    rt.run_to(end, &mut r);
    rt.checkpoint(&format!("seed {seed:#x}, after every timer ran out"));
    (rt, refused)
}

#[test]
fn the_runtime_rebuilds_the_exact_state_past_every_limit() {
    let mut totals = [0u64; 4];
    let (mut resyncs, mut dropped, mut groups) = (0, 0, 0);
    for (i, seed) in [0x9e37_79b9_7f4a_7c15_u64, 0x1234_5678, 0xdead_beef_cafe]
        .into_iter()
        .enumerate()
    {
        let (rt, refused) = flood(seed, i != 1);
        for (t, r) in totals.iter_mut().zip(refused) {
            *t += r;
        }
        let st = rt.sn.stats();
        assert_eq!(st.resyncs, rt.resyncs as u64);
        resyncs += rt.resyncs;
        dropped += st.events_dropped;
        groups = groups.max(rt.sn.group_count());
        eprintln!(
            "flood {seed:#x}: {} events and {} resyncs delivered, {} dropped; refusals {refused:?}; {st:?}",
            rt.events, rt.resyncs, st.events_dropped
        );
    }
    // Every bound was hit, and the event queue overflowed.
    assert!(
        totals.iter().all(|&n| n > 0),
        "refusals by bound: {totals:?}"
    );
    assert!(
        resyncs > 0 && dropped > 0,
        "the event queue never overflowed"
    );
}

#[test]
fn without_overflow_the_events_alone_rebuild_the_state() {
    // A queue that holds a burst: no resync, the events say everything.
    let mut rng = Rng(77);
    let mut rt = Runtime {
        sn: Snooper::new(
            Config {
                max_queued_events: 100_000,
                ..config(true)
            },
            T0,
        ),
        view: View::default(),
        now: T0,
        buf: Vec::new(),
        max_events: 100_000,
        events: 0,
        resyncs: 0,
    };
    for step in 0..2_000u32 {
        let port = 1 + u32::try_from(rng.below(u64::from(PORTS))).unwrap();
        let g = Ipv4Addr::from(0xef00_0000 + u32::try_from(rng.below(u64::from(GROUPS))).unwrap());
        let host = Ipv4Addr::new(10, 1, 0, u8::try_from(port).unwrap());
        let f = match rng.below(4) {
            0 | 1 => v2_report(host, g),
            2 => v2_leave(host, g),
            _ => {
                let end = rt.now + Duration::from_secs(rng.below(100));
                rt.run_to(end, &mut rng);
                continue;
            }
        };
        let _ = rt.sn.handle_frame(rt.now, port, None, &f);
        if step % 100 == 99 {
            rt.checkpoint("no overflow");
        }
    }
    rt.checkpoint("the end");
    assert_eq!(rt.resyncs, 0);
    assert_eq!(rt.sn.stats().events_dropped, 0);
}
