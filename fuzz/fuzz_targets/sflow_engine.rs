//! The sFlow analytics engine fed arbitrary input with clock steps: never panics, bounds hold,
//! queries and Graphite output stay well-formed, and no event is lost silently: a runtime that
//! keeps what the events tell (and reads the state on `Event::Resync`) ends with the engine's
//! state.
//!
//! Seed with the Open vSwitch datagrams wrapped as steps (what `scripts/fuzz-smoke.sh` does):
//! `cargo fuzz run -s none sflow_engine fuzz/corpus/sflow_engine fuzz/regressions/sflow_engine`.
//!
//! Input: a sequence of steps `[kind: u8][dt_ms: u16][len: u16][len bytes]`:
//! - kind % 4 == 0 or 1: the bytes are a datagram for `Engine::handle_datagram` (seed with the
//!   files of sflow/testdata, wrapped as steps, or let the fuzzer find the header);
//! - kind % 4 == 2: the bytes are a sampled Ethernet header for `handle_flow_sample` (the header
//!   walk without the datagram codec in front);
//! - kind % 4 == 3: the bytes are counters for `handle_counter_sample` and `handle_agent_datagram`.
#![no_main]

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

use sdnwire_sflow::{GenericInterface, Instant};
use sdnwire_sflow_analytics::{
    Config, CounterSampleInput, Engine, Event, FlowDefinition, FlowSampleInput, HeaderProtocol,
    Overflow,
};

/// What the runtime was told: flow table totals, refusals, restarts per agent.
#[derive(Debug, Default, PartialEq)]
struct Told {
    flows: BTreeMap<String, (u64, u64)>,
    interfaces_refused: u64,
    agents_refused: u64,
    restarts: BTreeMap<(IpAddr, u32), u64>,
}

impl Told {
    fn read(e: &Engine) -> Told {
        let mut t = Told {
            interfaces_refused: e.stats().interfaces_refused,
            agents_refused: e.stats().agents_refused,
            ..Told::default()
        };
        for d in e.definitions() {
            let s = e.flow_stats(d.name()).unwrap();
            if s.evicted + s.refused > 0 {
                t.flows.insert(d.name().to_string(), (s.evicted, s.refused));
            }
        }
        for a in e.agent_infos() {
            if a.restarts > 0 {
                t.restarts.insert((a.agent, a.sub_agent), a.restarts);
            }
        }
        t
    }

    fn apply(&mut self, e: &Engine, ev: Event) {
        match ev {
            Event::FlowTableFull {
                definition,
                total_evicted,
                total_refused,
            } => {
                self.flows
                    .insert(definition, (total_evicted, total_refused));
            }
            Event::InterfaceTableFull { total_refused } => self.interfaces_refused = total_refused,
            Event::AgentTableFull { total_refused } => self.agents_refused = total_refused,
            Event::AgentRestarted {
                agent,
                sub_agent,
                restarts,
            } => {
                self.restarts.insert((agent, sub_agent), restarts);
            }
            Event::Resync => *self = Told::read(e),
            other => panic!("unexpected event {other:?}"),
        }
    }
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    b.get(i..i + 4)
        .map_or(0, |s| u32::from_be_bytes(s.try_into().unwrap_or([0; 4])))
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let t0 = Instant::ZERO;
    let mut e = Engine::new(
        Config {
            max_interfaces: 16,
            max_agents: 4,
            max_events: 8,
            // Agents are never forgotten here, so that what the runtime was told of their
            // restarts stays comparable with the engine's state.
            agent_timeout: Duration::from_secs(1 << 40),
            ..Config::default()
        },
        t0,
    );
    let defs = [
        FlowDefinition::new("pairs", "ipsource,ipdestination", "bytes")
            .unwrap()
            .with_max_flows(8, Overflow::EvictSmallest),
        FlowDefinition::new(
            "l4",
            "ipprotocol,tcpdestinationport,udpdestinationport,icmptype",
            "frames",
        )
        .unwrap()
        .with_filter("!(ipprotocol=6&tcpdestinationport=22)|vlan=1,2")
        .unwrap()
        .with_max_flows(4, Overflow::Refuse)
        .with_time_constant(Duration::from_millis(50)),
        FlowDefinition::new("l2", "macsource,vlan,arpipsender,ipsource6,agent", "ipttl")
            .unwrap()
            .with_max_flows(4, Overflow::EvictSmallest),
    ];
    for d in defs {
        e.add_flow(d).unwrap();
    }
    let mut now = t0;
    let mut told = Told::default();
    let mut rest = data;
    while let [kind, d0, d1, l0, l1, tail @ ..] = rest {
        now += Duration::from_millis(u64::from(u16::from_be_bytes([*d0, *d1])));
        let len = usize::from(u16::from_be_bytes([*l0, *l1])).min(tail.len());
        let (bytes, next) = tail.split_at(len);
        rest = next;
        match kind % 4 {
            0 | 1 => {
                let _ = e.handle_datagram(now, bytes);
            }
            2 => e.handle_flow_sample(
                now,
                &FlowSampleInput {
                    agent: IpAddr::from([10, 0, 0, kind >> 6]),
                    input_ifindex: u32::from(*d0),
                    output_ifindex: u32::from(*d1),
                    sampling_rate: u32::from(*l0) << 8,
                    frame_length: u32::from(*l1) * 64,
                    header_protocol: HeaderProtocol(u32::from(kind >> 2) % 13),
                    header: bytes,
                },
            ),
            _ => {
                let agent = IpAddr::from([10, 0, 0, kind >> 6]);
                e.handle_agent_datagram(
                    now,
                    agent,
                    u32::from(kind >> 5 & 1),
                    u32_at(bytes, 0),
                    u32_at(bytes, 4),
                );
                let g = GenericInterface {
                    if_index: u32_at(bytes, 8) % 32,
                    if_speed: u64::from(u32_at(bytes, 12)) << (kind % 32),
                    if_status: u32_at(bytes, 16),
                    if_in_octets: u64::from(u32_at(bytes, 20)) << 32 | u64::from(u32_at(bytes, 24)),
                    if_in_ucast_pkts: u32_at(bytes, 28),
                    if_out_octets: u64::from(u32_at(bytes, 32)),
                    if_out_errors: u32_at(bytes, 36),
                    ..GenericInterface::default()
                };
                e.handle_counter_sample(
                    now,
                    &CounterSampleInput {
                        agent,
                        source_index: g.if_index,
                        sequence: u32_at(bytes, 40),
                        generic: Some(g),
                        ethernet: None,
                    },
                );
            }
        }
        assert!(e.flow_stats("pairs").unwrap().active <= 8);
        assert!(e.flow_stats("l4").unwrap().active <= 4);
        assert!(e.flow_stats("l2").unwrap().active <= 4);
        assert!(e.interfaces().count() <= 16);
        assert!(e.agents() <= 4);
        // The runtime drains now and then (kind's bit 2), as a busy one would.
        if kind & 4 != 0 {
            let mut n = 0;
            while let Some(ev) = e.poll_event() {
                n += 1;
                told.apply(&e, ev);
            }
            assert!(n <= 8);
        }
    }
    e.handle_timeout(now + Duration::from_secs(2));
    let mut events = 0;
    while let Some(ev) = e.poll_event() {
        events += 1;
        told.apply(&e, ev);
    }
    assert!(events <= 8);
    assert_eq!(
        told,
        Told::read(&e),
        "the runtime was not told the engine's state"
    );
    for name in ["pairs", "l4", "l2"] {
        for f in e.top(name, 10).unwrap() {
            assert!(f.value.is_finite() && f.value >= 0.0);
        }
    }
    let r = e
        .metric(
            "ALL",
            "max:ifinoctets,sum:ifouterrors,avg:ifinutilization,ifspeed",
        )
        .unwrap();
    for m in r {
        assert!(m.value.map_or(true, |v| v.is_finite() && v >= 0.0));
    }
    let mut out = String::new();
    e.write_graphite_metrics(&mut out, "sflow", 1);
    e.write_graphite_flows(&mut out, "sflow", "pairs", 10, 1);
    for line in out.lines() {
        assert_eq!(line.split(' ').count(), 3, "{line}");
    }
});
