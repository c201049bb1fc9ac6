//! The sFlow analytics engine fed arbitrary input with clock steps: never panics, bounds hold,
//! queries and Graphite output stay well-formed.
//!
//! Input: a sequence of steps `[kind: u8][dt_ms: u16][len: u16][len bytes]`:
//! - kind % 4 == 0 or 1: the bytes are a datagram for `Engine::handle_datagram` (seed with the
//!   files of sflow/testdata, wrapped as steps, or let the fuzzer find the header);
//! - kind % 4 == 2: the bytes are a sampled Ethernet header for `handle_flow_sample` (the header
//!   walk without the datagram codec in front);
//! - kind % 4 == 3: the bytes are counters for `handle_counter_sample` and `handle_agent_datagram`.
#![no_main]

use std::net::IpAddr;
use std::time::{Duration, Instant};

use sdnwire_sflow::analytics::{
    Config, CounterSampleInput, Engine, FlowDefinition, FlowSampleInput, HeaderProtocol, Overflow,
};
use sdnwire_sflow::GenericInterface;

fn u32_at(b: &[u8], i: usize) -> u32 {
    b.get(i..i + 4)
        .map_or(0, |s| u32::from_be_bytes(s.try_into().unwrap_or([0; 4])))
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut e = Engine::new(Config {
        max_interfaces: 16,
        max_agents: 4,
        max_events: 8,
        ..Config::default()
    });
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
    let t0 = Instant::now();
    let mut now = t0;
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
    }
    e.handle_timeout(now + Duration::from_secs(1));
    let mut events = 0;
    while e.poll_event().is_some() {
        events += 1;
    }
    assert!(events <= 8);
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
