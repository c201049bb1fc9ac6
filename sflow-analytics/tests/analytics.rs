//! The analytics engine through its public API: synthetic sample streams of known rates give
//! the expected top-N and metric values within the smoothing error; counter wraps, counter
//! resets and agent restarts give no spike; bounds hold under floods; arbitrary input never
//! panics.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::std_instead_of_core, clippy::cast_possible_truncation)]

use core::time::Duration;
use std::net::IpAddr;

use proptest::prelude::*;
use sdnwire_packet::tcp::TcpFlags;
use sdnwire_packet::{Encode, Ethernet, Ipv4, MacAddr, Tcp, Udp};
use sdnwire_sflow::{EthernetCounters, GenericInterface, Instant};
use sdnwire_sflow_analytics::{
    Config, CounterSampleInput, DatagramStatus, Engine, Event, FlowDefinition, FlowSampleInput,
    HeaderProtocol, Metric, Overflow, QueryError,
};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// The first 128 bytes of a 1500-byte TCP frame from `src` to `dst` port `dport`.
fn tcp_header(src: &str, dst: &str, dport: u16) -> Vec<u8> {
    let frame = (Ethernet::new(
        MacAddr::new(0, 0, 0, 0, 0, 2),
        MacAddr::new(0, 0, 0, 0, 0, 1),
    ) / Ipv4::new(src.parse().unwrap(), dst.parse().unwrap())
        / Tcp::new(40000, dport, TcpFlags::ACK))
    .with_payload(vec![0u8; 1446])
    .to_vec()
    .unwrap();
    frame[..128].to_vec()
}

fn udp_header(src: &str, dst: &str, dport: u16) -> Vec<u8> {
    (Ethernet::new(
        MacAddr::new(0, 0, 0, 0, 0, 2),
        MacAddr::new(0, 0, 0, 0, 0, 1),
    ) / Ipv4::new(src.parse().unwrap(), dst.parse().unwrap())
        / Udp::new(40000, dport))
    .with_payload(vec![0u8; 50])
    .to_vec()
    .unwrap()
}

fn sample<'a>(agent: &str, header: &'a [u8], rate: u32, len: u32) -> FlowSampleInput<'a> {
    FlowSampleInput {
        agent: ip(agent),
        input_ifindex: 1,
        output_ifindex: 2,
        sampling_rate: rate,
        frame_length: len,
        header_protocol: HeaderProtocol::ETHERNET,
        header,
    }
}

fn within(value: f64, expected: f64, tolerance: f64) -> bool {
    (value - expected).abs() <= tolerance * expected
}

#[test]
fn top_n_of_known_rates() {
    let mut e = Engine::new(Config::default(), Instant::ZERO);
    e.add_flow(
        FlowDefinition::new("pairs", "ipsource,ipdestination", "bytes")
            .unwrap()
            .with_time_constant(Duration::from_secs(5)),
    )
    .unwrap();
    e.add_flow(
        FlowDefinition::new("web", "ipdestination,tcpdestinationport", "frames")
            .unwrap()
            .with_filter("ipprotocol=6&tcpdestinationport=80,443")
            .unwrap(),
    )
    .unwrap();
    let a = tcp_header("10.0.0.1", "10.0.1.1", 80);
    let b = tcp_header("10.0.0.2", "10.0.1.2", 443);
    let c = tcp_header("10.0.0.3", "10.0.1.3", 22);
    let d = udp_header("10.0.0.4", "10.0.1.4", 53);
    let t0 = Instant::ZERO;
    // Every 10 ms for 60 s (12 τ): a: one sample per tick at rate 100 of 1500-byte frames
    // (15 MB/s); b: every 2nd tick (7.5 MB/s); c: every 5th (3 MB/s); d: every 10th of 100
    // bytes (100 kB/s).
    for tick in 0..6000u64 {
        let now = t0 + Duration::from_millis(10 * tick);
        e.handle_flow_sample(now, &sample("192.0.2.1", &a, 100, 1500));
        if tick % 2 == 0 {
            e.handle_flow_sample(now, &sample("192.0.2.1", &b, 100, 1500));
        }
        if tick % 5 == 0 {
            e.handle_flow_sample(now, &sample("192.0.2.1", &c, 100, 1500));
        }
        if tick % 10 == 0 {
            e.handle_flow_sample(now, &sample("192.0.2.1", &d, 100, 100));
        }
    }
    let top = e.top("pairs", 3).unwrap();
    let keys: Vec<&str> = top.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "10.0.0.1,10.0.1.1",
            "10.0.0.2,10.0.1.2",
            "10.0.0.3,10.0.1.3"
        ]
    );
    // The smoothing error of a stream of discrete samples is below 1 % here.
    assert!(within(top[0].value, 15e6, 0.01), "{top:?}");
    assert!(within(top[1].value, 7.5e6, 0.01), "{top:?}");
    assert!(within(top[2].value, 3e6, 0.01), "{top:?}");
    assert_eq!(e.top("pairs", 10).unwrap().len(), 4);
    assert!(within(e.flow_total("pairs").unwrap(), 25.6e6, 0.01));
    // The filtered definition: frames per second of ports 80 and 443 only.
    let web = e.top("web", 10).unwrap();
    assert_eq!(web.len(), 2);
    assert_eq!(web[0].key, "10.0.1.1,80");
    assert!(within(web[0].value, 10_000.0, 0.01));
    assert!(within(web[1].value, 5_000.0, 0.01));
    let stats = e.flow_stats("web").unwrap();
    assert_eq!(stats.active, 2);
    assert_eq!(stats.filtered, 1200 + 600);
    assert!(e.top("nope", 1).is_none());

    // The streams stop: after τ·ln(2) the rates halve; after the idle timeout they are gone.
    let last = t0 + Duration::from_millis(10 * 5999);
    e.handle_timeout(last + Duration::from_secs_f64(5.0 * std::f64::consts::LN_2));
    let top = e.top("pairs", 1).unwrap();
    assert!(within(top[0].value, 7.5e6, 0.01), "{top:?}");
    e.handle_timeout(last + Duration::from_secs(61));
    assert_eq!(e.top("pairs", 10).unwrap().len(), 0);
    assert_eq!(e.flow_stats("pairs").unwrap().expired, 4);
}

#[test]
fn rates_follow_a_step_with_the_time_constant() {
    let mut e = Engine::new(Config::default(), Instant::ZERO);
    e.add_flow(
        FlowDefinition::new("f", "ipsource", "frames")
            .unwrap()
            .with_time_constant(Duration::from_secs(2)),
    )
    .unwrap();
    let h = tcp_header("10.0.0.1", "10.0.0.2", 80);
    let t0 = Instant::ZERO;
    // 1000 frames/s from t=0: after τ the rate reads 1 − 1/e of it.
    for ms in 0..=2000u64 {
        e.handle_flow_sample(
            t0 + Duration::from_millis(ms),
            &sample("10.1.1.1", &h, 1, 64),
        );
    }
    let v = e.top("f", 1).unwrap()[0].value;
    assert!(within(v, 1000.0 * (1.0 - (-1.0f64).exp()), 0.01), "{v}");
}

#[test]
fn time_never_goes_backwards() {
    let mut e = Engine::new(Config::default(), Instant::ZERO);
    e.add_flow(FlowDefinition::new("f", "ipsource", "frames").unwrap())
        .unwrap();
    let h = tcp_header("10.0.0.1", "10.0.0.2", 80);
    let t0 = Instant::ZERO + Duration::from_secs(100);
    e.handle_flow_sample(t0, &sample("10.1.1.1", &h, 1, 64));
    let v = e.top("f", 1).unwrap()[0].value;
    // An earlier instant counts as t0: the value does not grow as if time had been added.
    e.handle_flow_sample(t0 - Duration::from_secs(50), &sample("10.1.1.1", &h, 1, 64));
    let v2 = e.top("f", 1).unwrap()[0].value;
    assert!(within(v2, 2.0 * v, 1e-9), "{v} {v2}");
    assert!(e.poll_timeout().unwrap() > t0);
}

/// Handling the timeout at the instant `poll_timeout` returned sweeps: the deadline moves
/// forward, so a runtime that sleeps until `poll_timeout` never spins on one instant.
fn assert_deadline_moves(epoch: Instant, start: Instant) {
    let mut e = Engine::new(Config::default(), epoch);
    e.handle_timeout(start);
    let next = e.poll_timeout().unwrap();
    assert!(
        next > start,
        "epoch {epoch:?} start {start:?}: deadline {next:?}"
    );
    e.handle_timeout(next);
    let again = e.poll_timeout().unwrap();
    assert!(
        again > next,
        "epoch {epoch:?} start {start:?}: handle_timeout({next:?}) left the deadline at {again:?}"
    );
    // Exactly one sweep interval after the instant handled.
    assert_eq!(again, next + Duration::from_secs(1));
}

#[test]
fn handle_timeout_at_poll_timeout_always_moves_the_deadline() {
    // The instant where a floating-point deadline came out one nanosecond short.
    assert_deadline_moves(Instant::ZERO, Instant::from_nanos(31_519_444_781));
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        // xorshift64
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..10_000 {
        // Up to about 11.6 days of nanoseconds, from an origin and from a random epoch.
        let start = next() % 1_000_000_000_000_000;
        assert_deadline_moves(Instant::ZERO, Instant::from_nanos(start));
        let epoch = next() % 1_000_000_000_000_000;
        assert_deadline_moves(
            Instant::from_nanos(epoch),
            Instant::from_nanos(epoch.saturating_add(start)),
        );
    }
}

#[test]
fn flow_tables_stay_bounded_and_keep_the_heavy_flows() {
    let mut e = Engine::new(Config::default(), Instant::ZERO);
    e.add_flow(
        FlowDefinition::new("evict", "ipsource,udpsourceport", "frames")
            .unwrap()
            .with_max_flows(100, Overflow::EvictSmallest),
    )
    .unwrap();
    e.add_flow(
        FlowDefinition::new("refuse", "ipsource,udpsourceport", "frames")
            .unwrap()
            .with_max_flows(100, Overflow::Refuse),
    )
    .unwrap();
    let heavy = udp_header("10.9.9.9", "10.0.0.1", 53);
    let t0 = Instant::ZERO;
    let mut max_active = 0;
    for i in 0..100_000u32 {
        let now = t0 + Duration::from_micros(u64::from(i) * 100);
        let src = std::net::Ipv4Addr::from(0x0a00_0000 + i);
        let flood = udp_header(&src.to_string(), "10.0.0.1", 53);
        e.handle_flow_sample(now, &sample("10.1.1.1", &flood, 1, 64));
        if i % 10 == 0 {
            e.handle_flow_sample(now, &sample("10.1.1.1", &heavy, 1, 64));
        }
        max_active = max_active.max(e.flow_stats("evict").unwrap().active);
    }
    assert!(max_active <= 100, "{max_active}");
    let ev = e.flow_stats("evict").unwrap();
    assert!(ev.evicted > 99_000 - 100, "{ev:?}");
    assert_eq!(e.top("evict", 1).unwrap()[0].key, "10.9.9.9,40000");
    let rf = e.flow_stats("refuse").unwrap();
    assert_eq!(rf.active, 100);
    assert!(rf.refused > 99_000, "{rf:?}");
    // Table-full events, at most one per definition per second of engine time (10 s here).
    let mut events = Vec::new();
    while let Some(ev) = e.poll_event() {
        events.push(ev);
    }
    let full = |name: &str| {
        events
            .iter()
            .filter(
                |ev| matches!(ev, Event::FlowTableFull { definition, .. } if definition == name),
            )
            .count()
    };
    assert!((1..=11).contains(&full("evict")), "{events:?}");
    assert!((1..=11).contains(&full("refuse")), "{events:?}");
    // The events carry totals: the last of each definition says what the accessors say, and
    // they never go down.
    e.handle_timeout(t0 + Duration::from_secs(20));
    while let Some(ev) = e.poll_event() {
        events.push(ev);
    }
    assert!(!events.contains(&Event::Resync), "{events:?}");
    let (mut evicted, mut refused) = (0, 0);
    for ev in &events {
        if let Event::FlowTableFull {
            definition,
            total_evicted,
            total_refused,
        } = ev
        {
            if definition == "evict" {
                assert!(*total_evicted >= evicted);
                evicted = *total_evicted;
            } else {
                assert!(*total_refused >= refused);
                refused = *total_refused;
            }
        }
    }
    assert_eq!((evicted, refused), (ev.evicted, rf.refused));
}

fn counters(seq: u32, ifindex: u32, octets: u64, pkts: u32, fcs: u32) -> CounterSampleInput {
    CounterSampleInput {
        agent: ip("10.0.0.1"),
        source_index: ifindex,
        sequence: seq,
        generic: Some(GenericInterface {
            if_index: ifindex,
            if_type: 6,
            if_speed: 100_000_000,
            if_direction: 1,
            if_status: 3,
            if_in_octets: octets,
            if_in_ucast_pkts: pkts,
            if_in_multicast_pkts: 0,
            if_in_broadcast_pkts: 0,
            if_out_octets: octets / 2,
            if_out_ucast_pkts: pkts / 2,
            if_in_unknown_protos: u32::MAX, // unknown to the agent
            ..GenericInterface::default()
        }),
        ethernet: Some(EthernetCounters {
            dot3_stats_fcs_errors: fcs,
            ..EthernetCounters::default()
        }),
    }
}

#[test]
fn interface_metrics_from_counter_deltas_without_spikes() {
    let mut e = Engine::new(Config::default(), Instant::ZERO);
    let agent = ip("10.0.0.1");
    let t0 = Instant::ZERO;
    // 1 MB/s and 1000 packets/s in, sampled every 20 s; the packet counter starts near the top
    // of its 32 bits and wraps; the octets start near the top of 64 bits and wrap too.
    let mut octets: u64 = u64::MAX - 30_000_000;
    let mut pkts: u32 = u32::MAX - 30_000;
    let mut fcs: u32 = 0;
    let mut dseq = 1u32;
    let mut uptime = 1_000_000u32;
    let mut seen = Vec::new();
    for round in 0..30u32 {
        let now = t0 + Duration::from_secs(20 * u64::from(round));
        if round == 15 {
            // The agent restarts: datagram sequence and uptime back to small values, counters
            // back to 0.
            dseq = 1;
            uptime = 2000;
            octets = 0;
            pkts = 0;
            fcs = 0;
        }
        let status = e.handle_agent_datagram(now, agent, 0, dseq, uptime);
        assert_eq!(
            status,
            if round == 15 {
                DatagramStatus::Restarted
            } else {
                DatagramStatus::New
            }
        );
        // The sample sequence numbers restart with the agent too (from 1, below the last).
        let seq = if round >= 15 { round - 14 } else { round + 1 };
        e.handle_counter_sample(now, &counters(seq, 3, octets, pkts, fcs));
        if let Some(v) = e.interface_metric(agent, 3, Metric::IfInOctets) {
            seen.push(v);
            assert!(within(v, 1e6, 1e-9), "round {round}: {v}");
            let p = e.interface_metric(agent, 3, Metric::IfInUcastPkts).unwrap();
            assert!(within(p, 1000.0, 1e-9), "round {round}: {p}");
            assert!(within(
                e.interface_metric(agent, 3, Metric::IfInPkts).unwrap(),
                1000.0,
                1e-9
            ));
            let fcs_rate = e.interface_metric(agent, 3, Metric::EthFcsErrors).unwrap();
            assert!(within(fcs_rate, 0.5, 1e-9), "round {round}: {fcs_rate}");
            assert!(within(
                e.interface_metric(agent, 3, Metric::IfInUtilization)
                    .unwrap(),
                8.0,
                1e-9
            ));
        }
        octets = octets.wrapping_add(20_000_000);
        pkts = pkts.wrapping_add(20_000);
        fcs = fcs.wrapping_add(10);
        dseq += 1;
        uptime += 20_000;
    }
    // Every sample but the first gives values; the restart's keeps the previous ones.
    assert_eq!(seen.len(), 29);
    assert_eq!(e.interface_metric(agent, 3, Metric::IfSpeed), Some(1e8));
    assert_eq!(
        e.interface_metric(agent, 3, Metric::IfOperStatus),
        Some(1.0)
    );
    assert_eq!(
        e.interface_metric(agent, 3, Metric::IfInUnknownProtos),
        None
    );
    assert_eq!(e.stats().agent_restarts, 1);
    assert_eq!(
        e.poll_event(),
        Some(Event::AgentRestarted {
            agent,
            sub_agent: 0,
            restarts: 1,
        })
    );
}

#[test]
fn counter_reset_without_sequence_reset_gives_no_spike() {
    let mut e = Engine::new(Config::default(), Instant::ZERO);
    let agent = ip("10.0.0.1");
    let t0 = Instant::ZERO;
    let mut max = 0.0f64;
    // The counters drop to 0 at round 5 (a line card reset) while the sequence numbers go on.
    for round in 0..10u32 {
        let now = t0 + Duration::from_secs(20 * u64::from(round));
        let (octets, pkts) = if round < 5 {
            (
                5_000_000_000 + u64::from(round) * 20_000_000,
                3_000_000_000 + round * 20_000,
            )
        } else {
            (u64::from(round - 5) * 20_000_000, (round - 5) * 20_000)
        };
        e.handle_counter_sample(now, &counters(round + 1, 7, octets, pkts, 0));
        for m in [
            Metric::IfInOctets,
            Metric::IfInUcastPkts,
            Metric::IfOutOctets,
        ] {
            if let Some(v) = e.interface_metric(agent, 7, m) {
                max = max.max(
                    v / if m == Metric::IfInUcastPkts {
                        1e-3
                    } else {
                        1.0
                    },
                );
            }
        }
    }
    assert!(max <= 1e6 * 1.000001, "spike: {max}");
    assert!(within(
        e.interface_metric(agent, 7, Metric::IfInOctets).unwrap(),
        1e6,
        1e-9
    ));
}

#[test]
fn late_and_duplicate_datagrams() {
    let mut e = Engine::new(Config::default(), Instant::ZERO);
    let a = ip("10.0.0.1");
    let t = Instant::ZERO;
    assert_eq!(
        e.handle_agent_datagram(t, a, 0, 100, 50_000),
        DatagramStatus::New
    );
    assert_eq!(
        e.handle_agent_datagram(t, a, 0, 100, 50_000),
        DatagramStatus::Duplicate
    );
    assert_eq!(
        e.handle_agent_datagram(t, a, 0, 101, 50_100),
        DatagramStatus::New
    );
    assert_eq!(
        e.handle_agent_datagram(t, a, 0, 99, 49_900),
        DatagramStatus::Late
    );
    assert_eq!(
        e.handle_agent_datagram(t, a, 1, 5, 50_000),
        DatagramStatus::New
    );
    assert_eq!(
        e.handle_agent_datagram(t, a, 0, 3, 50_200),
        DatagramStatus::Restarted
    );
    assert_eq!(e.stats().duplicate_datagrams, 1);
    // The sequence number wraps: not a restart.
    assert_eq!(
        e.handle_agent_datagram(t, a, 2, u32::MAX, 1000),
        DatagramStatus::New
    );
    assert_eq!(
        e.handle_agent_datagram(t, a, 2, 0, 1100),
        DatagramStatus::New
    );
    // The uptime wraps after 49.7 days: not a restart.
    assert_eq!(
        e.handle_agent_datagram(t, a, 3, 10, u32::MAX - 10),
        DatagramStatus::New
    );
    assert_eq!(
        e.handle_agent_datagram(t, a, 3, 11, 500),
        DatagramStatus::New
    );
}

/// An sFlow v5 datagram from agent 10.0.0.1 with `samples` (each already framed), XDR by hand.
fn datagram(sequence: u32, uptime_ms: u32, samples: &[Vec<u8>]) -> Vec<u8> {
    let mut d = Vec::new();
    for w in [5u32, 1, 0x0a00_0001, 0, sequence, uptime_ms] {
        d.extend_from_slice(&w.to_be_bytes());
    }
    d.extend_from_slice(&(samples.len() as u32).to_be_bytes());
    for s in samples {
        d.extend_from_slice(s);
    }
    d
}

/// A flow sample (format 1) with one raw packet header record holding `header`.
fn raw_flow_sample(header: &[u8]) -> Vec<u8> {
    let mut record = Vec::new();
    // header_protocol Ethernet, frame_length, stripped, header length, header (padded).
    for w in [1u32, 1500, 0, header.len() as u32] {
        record.extend_from_slice(&w.to_be_bytes());
    }
    record.extend_from_slice(header);
    record.resize(record.len().next_multiple_of(4), 0);
    let mut body = Vec::new();
    // sequence, source id, sampling rate, sample pool, drops, input, output, one record.
    for w in [1u32, 3, 100, 1000, 0, 3, 4, 1, 1, record.len() as u32] {
        body.extend_from_slice(&w.to_be_bytes());
    }
    body.extend_from_slice(&record);
    let mut s = Vec::new();
    s.extend_from_slice(&1u32.to_be_bytes());
    s.extend_from_slice(&(body.len() as u32).to_be_bytes());
    s.extend_from_slice(&body);
    s
}

/// A flow sample header whose length runs past the end of the datagram.
fn overrunning_sample() -> Vec<u8> {
    [1u32, 1000].iter().flat_map(|w| w.to_be_bytes()).collect()
}

fn engine_with_flows() -> Engine {
    let mut e = Engine::new(Config::default(), Instant::ZERO);
    e.add_flow(FlowDefinition::new("f", "ipsource", "frames").unwrap())
        .unwrap();
    e
}

/// Everything a caller can observe of an engine, its events drained.
#[derive(Debug, PartialEq)]
struct Observed {
    agents: usize,
    agent_infos: Vec<sdnwire_sflow_analytics::AgentInfo>,
    top: Vec<sdnwire_sflow_analytics::Flow>,
    flow_stats: sdnwire_sflow_analytics::FlowTableStats,
    interfaces: Vec<(IpAddr, u32)>,
    events: Vec<Event>,
    stats: sdnwire_sflow_analytics::Stats,
    poll_timeout: Option<Instant>,
}

fn observe(e: &mut Engine) -> Observed {
    let mut agent_infos: Vec<_> = e.agent_infos().collect();
    agent_infos.sort_by_key(|a| (a.agent, a.sub_agent));
    Observed {
        agents: e.agents(),
        agent_infos,
        top: e.top("f", 10).unwrap(),
        flow_stats: e.flow_stats("f").unwrap(),
        interfaces: e.interfaces().collect(),
        events: core::iter::from_fn(|| e.poll_event()).collect(),
        stats: e.stats(),
        poll_timeout: e.poll_timeout(),
    }
}

#[test]
fn a_good_datagram_built_here_is_taken() {
    // The builder above makes datagrams the engine takes: the refusals below are real.
    let mut e = engine_with_flows();
    let h = tcp_header("10.1.1.1", "10.2.2.2", 80);
    let good = datagram(7, 1000, &[raw_flow_sample(&h)]);
    assert_eq!(
        e.handle_datagram(Instant::from_secs(1), &good),
        Ok(DatagramStatus::New)
    );
    assert_eq!(e.agents(), 1);
    assert_eq!(e.stats().flow_samples, 1);
    assert_eq!(e.top("f", 10).unwrap().len(), 1);
}

#[test]
fn a_refused_datagram_changes_nothing_on_a_fresh_engine() {
    let mut e = engine_with_flows();
    let mut fresh = engine_with_flows();
    let h = tcp_header("10.1.1.1", "10.2.2.2", 80);
    // A header, a good sample, then a sample that runs past the end.
    let bad = datagram(7, 1000, &[raw_flow_sample(&h), overrunning_sample()]);
    assert!(e.handle_datagram(Instant::from_secs(5), &bad).is_err());
    let mut expected = observe(&mut fresh);
    expected.stats.datagrams = 1;
    expected.stats.bad_datagrams = 1;
    assert_eq!(observe(&mut e), expected);
}

#[test]
fn a_refused_datagram_cannot_fake_an_agent_restart() {
    let mut e = engine_with_flows();
    let h = tcp_header("10.1.1.1", "10.2.2.2", 80);
    let good = datagram(1000, 600_000, &[raw_flow_sample(&h)]);
    assert_eq!(
        e.handle_datagram(Instant::from_secs(1), &good),
        Ok(DatagramStatus::New)
    );
    let mut before = observe(&mut e);
    // Sequence number and uptime back to small values (a restart, were it taken), with a
    // good sample from another source, then a sample that runs past the end.
    let h2 = tcp_header("10.9.9.9", "10.2.2.2", 80);
    let bad = datagram(1, 10, &[raw_flow_sample(&h2), overrunning_sample()]);
    assert!(e.handle_datagram(Instant::from_millis(1500), &bad).is_err());
    before.stats.datagrams += 1;
    before.stats.bad_datagrams += 1;
    assert_eq!(observe(&mut e), before);
    // The same datagram with the bad sample dropped is a restart: the test above is real.
    let good_restart = datagram(1, 10, &[raw_flow_sample(&h2)]);
    assert_eq!(
        e.handle_datagram(Instant::from_millis(1500), &good_restart),
        Ok(DatagramStatus::Restarted)
    );
}

fn two_agents() -> Engine {
    let mut e = Engine::new(Config::default(), Instant::ZERO);
    let t0 = Instant::ZERO;
    for (i, dt) in [0u64, 10].into_iter().enumerate() {
        for (agent, ifindex, rate) in [
            ("10.0.0.1", 1, 1000u64),
            ("10.0.0.1", 2, 3000),
            ("10.0.0.2", 1, 8000),
        ] {
            let mut s = counters(i as u32 + 1, ifindex, rate * dt, 0, 0);
            s.agent = ip(agent);
            e.handle_counter_sample(t0 + Duration::from_secs(dt), &s);
        }
    }
    e
}

#[test]
fn metric_queries_like_sflow_rt() {
    let e = two_agents();
    let r = e.metric("ALL", "ifinoctets").unwrap();
    let got: Vec<(IpAddr, u32, f64)> = r
        .iter()
        .map(|m| (m.agent.unwrap(), m.ifindex.unwrap(), m.value.unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (ip("10.0.0.1"), 1, 1000.0),
            (ip("10.0.0.1"), 2, 3000.0),
            (ip("10.0.0.2"), 1, 8000.0)
        ]
    );
    let r = e
        .metric(
            "ALL",
            "max:ifinoctets,sum:ifinoctets,avg:ifinoctets,min:ifoutoctets",
        )
        .unwrap();
    assert_eq!(r[0].metric_name, "max:ifinoctets");
    assert_eq!(
        (r[0].agent, r[0].ifindex, r[0].value),
        (Some(ip("10.0.0.2")), Some(1), Some(8000.0))
    );
    assert_eq!(
        (r[1].value, r[1].count, r[1].agent),
        (Some(12000.0), 3, None)
    );
    assert_eq!(r[2].value, Some(4000.0));
    assert_eq!(
        (r[3].agent, r[3].ifindex, r[3].value),
        (Some(ip("10.0.0.1")), Some(1), Some(500.0))
    );
    let r = e.metric("10.0.0.1", "sum:ifinoctets").unwrap();
    assert_eq!(r[0].value, Some(4000.0));
    let r = e.metric("10.0.0.1;10.0.0.2", "max:ifinoctets").unwrap();
    assert_eq!(r[0].value, Some(8000.0));
    let r = e.metric("10.0.0.9", "max:ifinoctets").unwrap();
    assert_eq!((r[0].value, r[0].count), (None, 0));
    assert_eq!(
        e.metric("ALL", "ifinoctets,max:ifnope").unwrap_err(),
        QueryError::UnknownMetric {
            name: "ifnope".into(),
            offset: 15
        }
    );
    assert_eq!(
        e.metric("ALL", "top:ifinoctets").unwrap_err().to_string(),
        "unknown aggregate `top` at offset 0: expected max, min, sum or avg"
    );
    assert!(matches!(
        e.metric("10.0.0.1;host", "ifinoctets").unwrap_err(),
        QueryError::BadAgent { offset: 9, .. }
    ));
}

#[test]
fn graphite_lines() {
    let e = two_agents();
    let mut out = String::new();
    e.write_graphite_metrics(&mut out, "sflow", 1_700_000_000);
    assert!(
        out.contains("sflow.10_0_0_1.1.ifinoctets 1000 1700000000\n"),
        "{out}"
    );
    assert!(out.contains("sflow.10_0_0_2.1.ifinoctets 8000 1700000000\n"));
    assert!(out.contains("sflow.10_0_0_2.1.ifspeed 100000000 1700000000\n"));
    for line in out.lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        assert_eq!(parts.len(), 3, "{line}");
        assert_eq!(parts[0].split('.').count(), 4, "{line}");
        assert!(parts[1].parse::<f64>().unwrap().is_finite());
    }

    let mut e = Engine::new(Config::default(), Instant::ZERO);
    e.add_flow(FlowDefinition::new("tcp", "ipsource6,tcpdestinationport", "frames").unwrap())
        .unwrap();
    let frame = (Ethernet::new(
        MacAddr::new(0, 0, 0, 0, 0, 2),
        MacAddr::new(0, 0, 0, 0, 0, 1),
    ) / sdnwire_packet::Ipv6::new(
        "2001:db8::1".parse().unwrap(),
        "2001:db8::2".parse().unwrap(),
    ) / Tcp::new(1, 443, TcpFlags::ACK))
    .to_vec()
    .unwrap();
    e.handle_flow_sample(Instant::ZERO, &sample("2001:db8::ff", &frame, 10, 100));
    let mut out = String::new();
    assert!(e.write_graphite_flows(&mut out, "", "tcp", 10, 42));
    assert!(out.starts_with("tcp.2001_db8__1.443 "), "{out}");
    assert!(out.ends_with(" 42\n"));
    assert!(!e.write_graphite_flows(&mut out, "", "udp", 10, 42));
}

#[test]
fn interface_table_bounded_with_event() {
    let mut e = Engine::new(
        Config {
            max_interfaces: 10,
            ..Config::default()
        },
        Instant::ZERO,
    );
    let t0 = Instant::ZERO;
    for i in 0..1000u32 {
        e.handle_counter_sample(
            t0 + Duration::from_millis(u64::from(i) * 10),
            &counters(1, i, 0, 0, 0),
        );
    }
    assert_eq!(e.interfaces().count(), 10);
    assert_eq!(e.stats().interfaces_refused, 990);
    // The sweep after the last sample reports the last refusals.
    e.handle_timeout(t0 + Duration::from_secs(11));
    let mut refused = 0;
    while let Some(ev) = e.poll_event() {
        if let Event::InterfaceTableFull { total_refused } = ev {
            assert!(total_refused > refused);
            refused = total_refused;
        }
    }
    assert_eq!(refused, 990);
    // Interfaces not heard from for the metric timeout go.
    e.handle_timeout(t0 + Duration::from_secs(100));
    assert_eq!(e.interfaces().count(), 0);
}

/// What a runtime knows from the engine's events: the totals of each flow table, of refused
/// interfaces and agents, and the restarts of each agent.
#[derive(Debug, Default, PartialEq, Eq)]
struct Told {
    flows: std::collections::BTreeMap<String, (u64, u64)>,
    interfaces_refused: u64,
    agents_refused: u64,
    restarts: std::collections::BTreeMap<(IpAddr, u32), u64>,
}

impl Told {
    /// The state, read from the accessors (what a runtime does on `Event::Resync`).
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

    /// Takes one event; `Resync` reads the accessors.
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

/// Drives an engine with a flood of everything that makes events (flow tables overflowing,
/// interfaces and agents past their bounds, 64 agents restarting every other step), draining
/// the events only every seventh step; returns what the runtime was told, the state the
/// engine holds, and the most events one drain gave.
fn event_flood(max_events: usize) -> (Told, Told, usize, Engine) {
    let mut e = Engine::new(
        Config {
            max_events,
            max_interfaces: 4,
            max_agents: 64,
            ..Config::default()
        },
        Instant::ZERO,
    );
    for name in ["a", "b", "c"] {
        let overflow = if name == "c" {
            Overflow::Refuse
        } else {
            Overflow::EvictSmallest
        };
        e.add_flow(
            FlowDefinition::new(name, "ipsource", "frames")
                .unwrap()
                .with_max_flows(2, overflow),
        )
        .unwrap();
    }
    let mut told = Told::default();
    let mut most = 0;
    let steps = 1000u32;
    for step in 0..steps {
        let now = Instant::ZERO + Duration::from_millis(u64::from(step) * 100);
        for a in 0..80u8 {
            // Odd steps: sequence number and uptime back to the start, a restart.
            let (seq, up) = if step % 2 == 0 {
                (1000 + step, 100_000 + step)
            } else {
                (1, 0)
            };
            e.handle_agent_datagram(now, IpAddr::from([10, 1, 0, a]), 0, seq, up);
        }
        for i in 0..10u32 {
            e.handle_counter_sample(now, &counters(step, i, u64::from(step), step, 0));
        }
        let header = udp_header(&format!("10.2.{}.{}", step % 256, step % 7), "10.0.0.1", 53);
        e.handle_flow_sample(now, &sample("10.1.1.1", &header, 1, 64));
        if step % 7 == 0 {
            let mut n = 0;
            while let Some(ev) = e.poll_event() {
                n += 1;
                told.apply(&e, ev);
            }
            most = most.max(n);
        }
    }
    // A last sweep reports what is left; the runtime drains.
    e.handle_timeout(Instant::ZERO + Duration::from_millis(u64::from(steps) * 100 + 2_000));
    while let Some(ev) = e.poll_event() {
        told.apply(&e, ev);
    }
    let truth = Told::read(&e);
    (told, truth, most, e)
}

#[test]
fn an_event_flood_past_the_queue_resyncs_and_the_runtime_rebuilds_the_state() {
    // A queue of 8: most events are dropped, each time behind a Resync.
    let (told, truth, most, e) = event_flood(8);
    assert!(most <= 8, "{most}");
    let s = e.stats();
    assert!(s.events_dropped > 10_000, "{s:?}");
    assert!(s.resyncs > 10, "{s:?}");
    assert_eq!(s.agent_restarts, 64 * 500);
    assert_eq!(truth.restarts.len(), 64);
    assert!(truth.restarts.values().all(|r| *r == 500));
    assert!(truth.interfaces_refused > 0 && truth.agents_refused > 0);
    assert_eq!(truth.flows.len(), 3);
    assert_eq!(told, truth);

    // A queue large enough for the flood: no Resync, and the events alone tell the same.
    let (told_all, truth_all, _, e) = event_flood(1 << 20);
    assert_eq!(e.stats().resyncs, 0);
    assert_eq!(e.stats().events_dropped, 0);
    assert_eq!(told_all, truth_all);
    assert_eq!(truth_all, truth);
}

#[test]
fn a_queue_of_one_holds_only_the_resync() {
    let mut e = Engine::new(
        Config {
            max_events: 1,
            ..Config::default()
        },
        Instant::ZERO,
    );
    let agent = ip("10.0.0.9");
    e.handle_agent_datagram(Instant::ZERO, agent, 0, 1000, 100_000);
    e.handle_agent_datagram(Instant::ZERO, agent, 0, 1, 0);
    e.handle_agent_datagram(Instant::ZERO, agent, 0, 1000, 100_000);
    e.handle_agent_datagram(Instant::ZERO, agent, 0, 1, 0);
    assert_eq!(e.poll_event(), Some(Event::Resync));
    assert_eq!(e.poll_event(), None);
    assert_eq!(e.agent_infos().next().unwrap().restarts, 2);
    assert_eq!(e.stats().events_dropped, 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Arbitrary headers, rates, counters and clock steps: no panic, the bounds hold, every
    /// value is finite and non-negative.
    #[test]
    fn arbitrary_inputs_keep_bounds(
        steps in proptest::collection::vec(
            (0u64..5_000_000, any::<bool>(), proptest::collection::vec(any::<u8>(), 0..160),
             any::<u32>(), any::<u32>(), any::<u64>(), any::<u32>(), 0u32..4, any::<u16>()),
            1..200)
    ) {
        let mut e = Engine::new(Config { max_interfaces: 8, max_agents: 4, max_events: 16, ..Config::default() }, Instant::ZERO);
        e.add_flow(FlowDefinition::new("a", "ipsource,ipdestination", "bytes").unwrap()
            .with_max_flows(16, Overflow::EvictSmallest)).unwrap();
        e.add_flow(FlowDefinition::new("b", "macsource,ethernetprotocol,vlan,icmptype", "ipttl").unwrap()
            .with_filter("!(ipprotocol=6)|vlan!=1").unwrap()
            .with_max_flows(4, Overflow::Refuse)).unwrap();
        let t0 = Instant::ZERO;
        let mut now = t0;
        for (dt_us, is_flow, bytes, x, y, big, seq, agent, proto) in steps {
            now += Duration::from_micros(dt_us);
            let agent = IpAddr::from([10, 0, 0, agent as u8]);
            if is_flow {
                let mut header = bytes.clone();
                if proto % 3 == 0 && header.len() > 14 {
                    // Make a plausible Ethernet/IPv4 start more likely.
                    header[12] = 0x08;
                    header[13] = 0x00;
                    header[14] = 0x45;
                }
                e.handle_flow_sample(now, &FlowSampleInput {
                    agent, input_ifindex: x, output_ifindex: y, sampling_rate: x % 10_000,
                    frame_length: y, header_protocol: HeaderProtocol(u32::from(proto % 13)),
                    header: &header,
                });
            } else {
                e.handle_agent_datagram(now, agent, x % 2, seq, y);
                let mut c = counters(seq, x % 20, big, y, x);
                c.agent = agent;
                if let Some(g) = c.generic.as_mut() { g.if_speed = big >> (x % 64); }
                e.handle_counter_sample(now, &c);
            }
            prop_assert!(e.flow_stats("a").unwrap().active <= 16);
            prop_assert!(e.flow_stats("b").unwrap().active <= 4);
            prop_assert!(e.interfaces().count() <= 8);
            prop_assert!(e.agents() <= 4);
        }
        let mut n = 0;
        while e.poll_event().is_some() { n += 1; }
        prop_assert!(n <= 16);
        for name in ["a", "b"] {
            for f in e.top(name, 100).unwrap() {
                prop_assert!(f.value.is_finite() && f.value >= 0.0, "{:?}", f);
            }
        }
        for (a, i) in e.interfaces().collect::<Vec<_>>() {
            for m in Metric::ALL {
                if let Some(v) = e.interface_metric(a, i, *m) {
                    prop_assert!(v.is_finite() && v >= 0.0, "{} {}", m, v);
                }
            }
        }
        let mut out = String::new();
        e.write_graphite_metrics(&mut out, "p", 1);
        e.write_graphite_flows(&mut out, "p", "a", 10, 1);
        prop_assert!(e.metric("ALL", "max:ifinoctets,sum:ifoutpkts,ifspeed").is_ok());
    }
}

/// The Open vSwitch fixtures (scripts/capture-sflow.sh), in the agent's datagram order, each
/// fed at its agent uptime.
const OVS: &[(&str, &[u8])] = &[
    (
        "counters-0",
        include_bytes!("../testdata/ovs-counters-0.bin"),
    ),
    (
        "counters-1",
        include_bytes!("../testdata/ovs-counters-1.bin"),
    ),
    ("flow-0", include_bytes!("../testdata/ovs-flow-0.bin")),
    ("flow-1", include_bytes!("../testdata/ovs-flow-1.bin")),
    (
        "counters-2",
        include_bytes!("../testdata/ovs-counters-2.bin"),
    ),
    (
        "counters-3",
        include_bytes!("../testdata/ovs-counters-3.bin"),
    ),
    (
        "counters-4",
        include_bytes!("../testdata/ovs-counters-4.bin"),
    ),
];

#[test]
fn open_vswitch_datagrams_drive_flows_and_metrics() {
    let mut e = Engine::new(Config::default(), Instant::ZERO);
    e.add_flow(
        FlowDefinition::new("proto", "ipsource,ipdestination,ipprotocol", "frames").unwrap(),
    )
    .unwrap();
    e.add_flow(FlowDefinition::new("ports", "inputifindex,outputifindex", "bytes").unwrap())
        .unwrap();
    e.add_flow(
        FlowDefinition::new("arp", "arpipsender,arpiptarget,arpoperation", "frames")
            .unwrap()
            .with_filter("ethernetprotocol=0x0806")
            .unwrap(),
    )
    .unwrap();
    let agent = ip("127.0.0.1");
    let t0 = Instant::ZERO;
    let mut out_104 = Vec::new();
    let mut in_102 = Vec::new();
    for (name, bytes) in OVS {
        let d = sdnwire_sflow::DatagramView::parse(bytes).unwrap();
        let now = t0 + Duration::from_millis(u64::from(d.uptime()));
        assert_eq!(
            e.handle_datagram(now, bytes),
            Ok(DatagramStatus::New),
            "{name}"
        );
        out_104.push(e.interface_metric(agent, 104, Metric::IfOutOctets));
        in_102.push(e.interface_metric(agent, 102, Metric::IfInOctets));
    }
    assert_eq!(e.stats().datagrams, 7);
    assert_eq!(e.stats().flow_samples, 9 + 5);
    assert_eq!(e.stats().counter_samples, 4 + 4 + 1 + 3 + 4 + 4);
    // ifOutOctets of port 104: 124, 248, 372, 496, 496 bytes at 0, 1, 2, 3, 4 s.
    assert_eq!(
        out_104,
        [
            None,
            Some(124.0),
            Some(124.0),
            Some(124.0),
            Some(124.0),
            Some(124.0),
            Some(0.0)
        ]
    );
    // ifInOctets of port 102: 0 at 0 and 1 s, 499 at 2 s, 499 after.
    assert_eq!(
        in_102,
        [
            None,
            Some(0.0),
            Some(0.0),
            Some(0.0),
            Some(499.0),
            Some(0.0),
            Some(0.0)
        ]
    );
    assert_eq!(e.interface_metric(agent, 104, Metric::IfSpeed), Some(1e8));
    assert_eq!(
        e.interface_metric(agent, 104, Metric::IfAdminStatus),
        Some(1.0)
    );
    // OVS marks every dot3 counter unknown: no eth_ metric.
    assert_eq!(e.interface_metric(agent, 104, Metric::EthFcsErrors), None);
    let sum = e.metric("127.0.0.1", "sum:ifoutoctets").unwrap();
    assert_eq!(sum[0].count, 4);

    // Flows: ICMP, TCP and UDP between 10.0.0.1 and 10.0.0.2 (the 199-byte frames sampled to
    // 128 bytes included), both directions of ports 101 and 102, one ARP flow.
    let top = e.top("proto", 10).unwrap();
    let keys: Vec<&str> = top.iter().map(|f| f.key.as_str()).collect();
    assert!(keys.contains(&"10.0.0.1,10.0.0.2,1"), "{keys:?}");
    assert!(keys.contains(&"10.0.0.1,10.0.0.2,6"), "{keys:?}");
    assert!(keys.contains(&"10.0.0.1,10.0.0.2,17"), "{keys:?}");
    let ports = e.top("ports", 10).unwrap();
    let keys: Vec<&str> = ports.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys.len(), 2);
    assert!(keys.contains(&"101,102") && keys.contains(&"102,101"));
    let arp = e.top("arp", 10).unwrap();
    assert_eq!(arp.len(), 1, "{arp:?}");
    assert_eq!(e.flow_stats("arp").unwrap().counted, 2);

    // The same datagram again is a duplicate and changes nothing.
    let (_, last) = OVS[6];
    let now = t0 + Duration::from_secs(4);
    assert_eq!(e.handle_datagram(now, last), Ok(DatagramStatus::Duplicate));
    // A truncated datagram (a late one: its samples are walked) is an error, and counted.
    let (_, flow0) = OVS[2];
    assert!(matches!(
        e.handle_datagram(now, &flow0[..100]),
        Err(sdnwire_sflow::Error::Truncated { .. } | sdnwire_sflow::Error::BadLength { .. })
    ));
    assert_eq!(e.stats().bad_datagrams, 1);
}

/// Where `sdnwire_packet::FlowKey` decodes a sampled header, the engine reads the same fields.
#[test]
fn keys_agree_with_packet_flow_key_on_ovs_headers() {
    let mut checked = 0;
    for (_, bytes) in OVS {
        let d = sdnwire_sflow::DatagramView::parse(bytes).unwrap();
        for s in d.samples() {
            let Some(f) = s.unwrap().as_flow().copied() else {
                continue;
            };
            for r in f.records() {
                if let sdnwire_sflow::FlowRecordView::RawHeader(h) = r.unwrap() {
                    checked += agree(h.header());
                }
            }
        }
    }
    assert!(checked >= 10, "{checked}");
}

/// Compares the engine's fields with `FlowKey::parse` of `frame`; 1 if compared, 0 if FlowKey
/// refused the frame.
fn agree(frame: &[u8]) -> usize {
    match sdnwire_packet::FlowKey::parse(frame) {
        Ok(k) => {
            agree_cut(frame, frame.len(), &k);
            1
        }
        Err(_) => 0,
    }
}

/// The engine's fields of the first `n` bytes of `frame` (a sampled header) against `k`, the
/// `FlowKey` of the whole frame: every field the engine has equals the key's, and every field
/// whose header lies within the `n` bytes is there. Fragments included: both read a first
/// fragment's ports and no later fragment's (Open vSwitch's reading).
fn agree_cut(frame: &[u8], n: usize, k: &sdnwire_packet::FlowKey) {
    use sdnwire_packet::walk::{Fragment, Walker};
    use sdnwire_packet::{EtherType, IpProtocol, LayerKind};
    use sdnwire_sflow_analytics::{Fields, Key};
    let f = Fields::decode(&sample("10.0.0.9", &frame[..n], 1, 64));
    let num = |key| f.number(key);
    // Where each part of the whole frame ends: the tags, the IP header, the transport's fixed
    // header.
    let mut w = Walker::new(frame);
    let (mut tags_end, mut ip_end) = (14, None);
    while let Some(kind) = w.peek() {
        let s = w.next().unwrap().unwrap();
        match kind {
            LayerKind::Ethernet | LayerKind::Vlan => tags_end = s.start + s.header_len,
            LayerKind::Ipv4 | LayerKind::Ipv6 => {
                ip_end = Some(s.start + s.header_len);
                break;
            }
            _ => break,
        }
    }
    let l4_fixed = match k.protocol {
        IpProtocol::TCP => 20,
        IpProtocol::UDP | IpProtocol::ICMP | IpProtocol::ICMPV6 => 8,
        _ => usize::MAX,
    };
    let ctx = format!("{k:?}, {n} of {} bytes", frame.len());
    let whole = |end: usize| n >= end;
    // Present => equal; within the bytes => present.
    let check = |got: Option<u64>, want: Option<u64>, end: usize, what: &str| {
        if got.is_some() || whole(end) {
            assert_eq!(got, want, "{what}: {ctx}");
        }
    };
    check(num(Key::Vlan), k.vlan.map(u64::from), tags_end, "vlan");
    check(
        num(Key::EthernetProtocol),
        Some(u64::from(k.ethertype.0)),
        tags_end,
        "ethertype",
    );
    let Some(ip_end) = ip_end.filter(|_| k.is_ip()) else {
        assert_eq!(num(Key::IpProtocol), None, "{ctx}");
        return;
    };
    let mut b = [0u8; 16];
    match (k.src, k.dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) if k.ethertype == EtherType::IPV4 => {
            if f.write(Key::IpSource, &mut b) || whole(ip_end) {
                assert!(f.write(Key::IpSource, &mut b), "{ctx}");
                assert_eq!(b[..4], s.octets());
                assert!(f.write(Key::IpDestination, &mut b));
                assert_eq!(b[..4], d.octets());
            }
        }
        (IpAddr::V6(s), IpAddr::V6(d)) => {
            if f.write(Key::IpSource6, &mut b) || whole(ip_end) {
                assert!(f.write(Key::IpSource6, &mut b), "{ctx}");
                assert_eq!(b, s.octets());
                assert!(f.write(Key::IpDestination6, &mut b));
                assert_eq!(b, d.octets());
            }
        }
        _ => unreachable!("{ctx}"),
    }
    if whole(ip_end) {
        assert_eq!(num(Key::IpProtocol), Some(u64::from(k.protocol.0)), "{ctx}");
    }
    let l4_end = ip_end.saturating_add(l4_fixed);
    let later = k.fragment && w.fragment() == Fragment::Later;
    let (sp, dp) = (Some(u64::from(k.src_port)), Some(u64::from(k.dst_port)));
    let ports = |a, b| (num(a), num(b));
    let (want, keys) = match k.protocol {
        IpProtocol::TCP => ((sp, dp), (Key::TcpSourcePort, Key::TcpDestinationPort)),
        IpProtocol::UDP => ((sp, dp), (Key::UdpSourcePort, Key::UdpDestinationPort)),
        IpProtocol::ICMP | IpProtocol::ICMPV6 => ((sp, dp), (Key::IcmpType, Key::IcmpCode)),
        _ => return,
    };
    let got = ports(keys.0, keys.1);
    if later {
        assert_eq!(got, (None, None), "later fragment: {ctx}");
        assert_eq!((k.src_port, k.dst_port), (0, 0), "{ctx}");
    } else if got.0.is_some() || whole(l4_end) {
        assert_eq!(got, want, "ports: {ctx}");
    }
}

/// A generated frame: tags, IPv4 (fragment flags and offsets) or IPv6 (hop-by-hop, routing,
/// destination options and fragment headers), TCP, UDP, ICMP or ICMPv6, a payload.
fn arb_frame() -> impl Strategy<Value = Vec<u8>> {
    use sdnwire_packet::ipv6::Ipv6ExtHeader;
    use sdnwire_packet::{Icmp, Icmpv6, IpProtocol, Ipv6, Layer, Packet};
    let ext = prop_oneof![
        Just(Ipv6ExtHeader::hop_by_hop([1, 4, 0, 0, 0, 0])),
        Just(Ipv6ExtHeader::new(
            IpProtocol::IPV6_OPTS,
            [1, 4, 0, 0, 0, 0]
        )),
        Just(Ipv6ExtHeader::new(
            IpProtocol::IPV6_ROUTE,
            [253, 0, 0, 0, 0, 0]
        )),
        (0u16..3, any::<bool>(), any::<u32>())
            .prop_map(|(o, m, id)| Ipv6ExtHeader::fragment(o, m, id)),
    ];
    let ip = prop_oneof![
        (
            any::<[u8; 4]>(),
            any::<[u8; 4]>(),
            0u8..8,
            prop_oneof![Just(0u16), 0u16..4]
        )
            .prop_map(|(a, b, flags, offset)| {
                let mut h = Ipv4::new(a.into(), b.into());
                h.flags = flags;
                h.offset = offset;
                Layer::Ipv4(h)
            }),
        (
            any::<[u8; 16]>(),
            any::<[u8; 16]>(),
            proptest::collection::vec(ext, 0..3)
        )
            .prop_map(|(a, b, exts)| {
                let mut h = Ipv6::new(a.into(), b.into());
                h.ext_hdrs = exts;
                Layer::Ipv6(h)
            }),
    ];
    (
        proptest::collection::vec(0u16..4095, 0..3),
        ip,
        0u8..3,
        any::<u16>(),
        any::<u16>(),
        0usize..1500,
    )
        .prop_filter_map(
            "a stack the serializer refuses",
            |(vids, ip, proto, sp, dp, payload)| {
                let v6 = matches!(ip, Layer::Ipv6(_));
                let mut p = Packet::new().push(Ethernet::new(
                    MacAddr::new(2, 0, 0, 0, 0, 1),
                    MacAddr::new(2, 0, 0, 0, 0, 2),
                ));
                for v in vids {
                    p = p.push(sdnwire_packet::Vlan::new(v));
                }
                let l4: Layer = match (proto, v6) {
                    (0, _) => Tcp::new(sp, dp, TcpFlags::ACK).into(),
                    (1, _) => Udp::new(sp, dp).into(),
                    (_, false) => Icmp::echo_request(sp, dp, Vec::new()).into(),
                    (_, true) => Icmpv6::echo_request(sp, dp, Vec::new()).into(),
                };
                p.push(ip)
                    .push(l4)
                    .with_payload(vec![0u8; payload])
                    .to_vec()
                    .ok()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Generated frames, fragments and IPv6 extension headers included: the engine's fields
    /// equal `sdnwire_packet::FlowKey`'s on the whole frame, on its first 128 bytes (what an
    /// agent samples, which FlowKey itself refuses) and on a cut anywhere: a field is there
    /// when its header is, and is then the key's.
    #[test]
    fn keys_agree_with_packet_flow_key(frame in arb_frame(), cut in any::<prop::sample::Index>()) {
        let k = sdnwire_packet::FlowKey::parse(&frame).unwrap();
        prop_assert_eq!(agree(&frame), 1);
        agree_cut(&frame, frame.len().min(128), &k);
        agree_cut(&frame, cut.index(frame.len() + 1), &k);
    }
}

/// Once its flows exist, a sample allocates nothing (datagram decode, header walk, filter,
/// key, table update), nor does a counter sample of a known interface.
#[test]
fn steady_state_allocates_nothing() {
    let mut e = Engine::new(Config::default(), Instant::ZERO);
    e.add_flow(FlowDefinition::new("pairs", "ipsource,ipdestination", "bytes").unwrap())
        .unwrap();
    e.add_flow(
        FlowDefinition::new("web", "ipsource,tcpdestinationport", "frames")
            .unwrap()
            .with_filter("ipprotocol=6&(tcpdestinationport=80|ipsource=10.0.0.0/8)")
            .unwrap(),
    )
    .unwrap();
    let t0 = Instant::ZERO;
    let mut uptime = 0;
    let mut feed = |e: &mut Engine, round: u64| {
        for (_, bytes) in OVS {
            let mut d = bytes.to_vec();
            // A fresh sequence number and uptime: not a duplicate.
            uptime += 1000;
            d[16..20].copy_from_slice(&(round as u32 * 10 + 1).to_be_bytes());
            d[20..24].copy_from_slice(&(uptime as u32).to_be_bytes());
            let now = t0 + Duration::from_millis(round * 100);
            let _ = e.handle_datagram(now, &d);
        }
    };
    for round in 0..5 {
        feed(&mut e, round);
    }
    let datagrams: Vec<Vec<u8>> = OVS
        .iter()
        .enumerate()
        .map(|(i, (_, b))| {
            let mut d = b.to_vec();
            d[16..20].copy_from_slice(&(1000 + i as u32).to_be_bytes());
            d[20..24].copy_from_slice(&(1_000_000 + i as u32).to_be_bytes());
            d
        })
        .collect();
    let before = e.stats();
    let info = allocation_counter::measure(|| {
        for d in &datagrams {
            e.handle_datagram(t0 + Duration::from_millis(550), d)
                .unwrap();
        }
    });
    assert_eq!(e.stats().flow_samples - before.flow_samples, 14);
    assert_eq!(e.stats().counter_samples - before.counter_samples, 20);
    assert_eq!(info.count_total, 0, "allocations: {info:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The OVS datagrams with bytes overwritten at random and cut at random: never a panic,
    /// the bounds hold, errors are counted.
    #[test]
    fn mutated_datagrams(
        edits in proptest::collection::vec((0usize..7, any::<prop::sample::Index>(), any::<u8>(), 0usize..1400, 0u64..3000), 1..40)
    ) {
        let mut e = Engine::new(Config { max_interfaces: 3, max_events: 4, ..Config::default() }, Instant::ZERO);
        e.add_flow(FlowDefinition::new("f", "ipsource,ipdestination,udpsourceport", "bytes").unwrap()
            .with_max_flows(2, Overflow::EvictSmallest)).unwrap();
        let t0 = Instant::ZERO;
        let mut now = t0;
        for (which, at, byte, cut, dt) in edits {
            let mut d = OVS[which].1.to_vec();
            let i = at.index(d.len());
            d[i] = byte;
            d.truncate(cut.max(1));
            now += Duration::from_millis(dt);
            let _ = e.handle_datagram(now, &d);
            prop_assert!(e.flow_stats("f").unwrap().active <= 2);
            prop_assert!(e.interfaces().count() <= 3);
        }
        let s = e.stats();
        prop_assert!(s.bad_datagrams <= s.datagrams);
        for f in e.top("f", 5).unwrap() {
            prop_assert!(f.value.is_finite() && f.value >= 0.0);
        }
    }
}

/// sFlow-RT's `lastUpdate`: the time since a flow's last sample and an interface's last
/// counter sample, at the engine's latest `now`.
#[test]
fn last_update_of_flows_and_interfaces() {
    let t0 = Instant::ZERO;
    let mut e = Engine::new(Config::default(), t0);
    e.add_flow(FlowDefinition::new("pairs", "ipsource,ipdestination", "frames").unwrap())
        .unwrap();
    let a = tcp_header("10.0.0.1", "10.0.0.2", 80);
    let b = tcp_header("10.0.0.3", "10.0.0.4", 80);
    e.handle_flow_sample(
        t0 + Duration::from_millis(100),
        &sample("10.0.0.1", &a, 10, 100),
    );
    e.handle_counter_sample(t0 + Duration::from_millis(200), &counters(1, 3, 0, 0, 0));
    e.handle_flow_sample(
        t0 + Duration::from_millis(700),
        &sample("10.0.0.1", &b, 1, 100),
    );
    assert_eq!(
        e.interface_last_update(ip("10.0.0.1"), 3),
        Some(Duration::from_millis(500))
    );
    assert_eq!(e.interface_last_update(ip("10.0.0.1"), 4), None);
    e.handle_timeout(t0 + Duration::from_millis(900));
    let top = e.top("pairs", 2).unwrap();
    assert_eq!(top[0].key, "10.0.0.1,10.0.0.2");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    assert!(
        (ms(top[0].last_update) - 800.0).abs() < 1e-6,
        "{:?}",
        top[0].last_update
    );
    assert!(
        (ms(top[1].last_update) - 200.0).abs() < 1e-6,
        "{:?}",
        top[1].last_update
    );
    assert!((ms(e.interface_last_update(ip("10.0.0.1"), 3).unwrap()) - 700.0).abs() < 1e-6);
}
