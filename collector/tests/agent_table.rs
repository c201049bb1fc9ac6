//! The agent table under a flood of made-up agent addresses: no I/O, the collector driven with
//! its own clock. Made-up agents fill the table (the datagrams of agents past it are counted as
//! untracked), leave it after the engine's `agent_timeout` as they leave the engine, and a
//! datagram that does not decode is counted against its UDP source, not the agent its header
//! claims.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::indexing_slicing, clippy::std_instead_of_core)]

mod common;

use std::net::IpAddr;
use std::time::Duration;

use common::*;
use sdnwire_collector::collector::Collector;
use sdnwire_sflow_analytics::{Config as EngineConfig, Instant};

const MAX: u32 = 16;
const TIMEOUT: Duration = Duration::from_secs(60);

fn collector() -> Collector {
    let config = EngineConfig {
        max_agents: MAX as usize,
        agent_timeout: TIMEOUT,
        ..EngineConfig::default()
    };
    Collector::new(config, Instant::ZERO)
}

fn one_sample(agent: &str, seq: u32) -> Vec<u8> {
    let frame = tcp_frame([10, 0, 0, 1], [10, 0, 0, 2], 1000, 80);
    datagram(
        agent,
        seq,
        1000 * seq,
        vec![flow_sample(seq, 1, 100, &frame, 64)],
    )
}

#[test]
fn made_up_agents_leave_the_table_and_real_agents_come_back() {
    let mut c = collector();
    let spoofer: IpAddr = "192.0.2.66".parse().unwrap();
    for i in 0..MAX {
        let agent = format!("198.51.{}.{}", i / 256, i % 256);
        c.handle_datagram(Instant::ZERO, spoofer, &one_sample(&agent, 1));
    }
    assert_eq!(c.agents().len(), MAX as usize);
    assert_eq!(c.stats.agents_untracked, 0);

    // The table is full: the real agent is not followed, and that is counted.
    let real: IpAddr = "10.9.0.1".parse().unwrap();
    let t1 = Instant::from_secs(1);
    c.handle_datagram(t1, real, &one_sample("10.9.0.1", 1));
    c.handle_timeout(t1);
    assert!(!c.agents().contains_key(&real));
    assert_eq!(c.stats.agents_untracked, 1);

    // The real agent keeps sending; the made-up ones do not.
    let mut seq = 2;
    let mut t = 2;
    while t <= TIMEOUT.as_secs() + 1 {
        let now = Instant::from_secs(t);
        c.handle_datagram(now, real, &one_sample("10.9.0.1", seq));
        c.handle_timeout(now);
        seq += 1;
        t += 1;
    }
    // Past the timeout the made-up agents are gone and the real agent is followed.
    assert!(c.agents().len() <= 1, "{:?}", c.agents().keys());
    let now = Instant::from_secs(t);
    c.handle_datagram(now, real, &one_sample("10.9.0.1", seq));
    let a = c.agents().get(&real).expect("the real agent is followed");
    assert_eq!(a.datagrams, 1);
    assert_eq!(a.source, Some(real));
    // Every datagram of the real agent before that was counted as untracked.
    assert_eq!(c.stats.agents_untracked, u64::from(seq - 1));
}

#[test]
fn a_datagram_that_does_not_decode_counts_against_its_source() {
    let mut c = collector();
    let from: IpAddr = "192.0.2.7".parse().unwrap();
    let mut bad = one_sample("203.0.113.9", 1);
    bad.truncate(bad.len() - 4);
    c.handle_datagram(Instant::ZERO, from, &bad);
    assert!(!c
        .agents()
        .contains_key(&"203.0.113.9".parse::<IpAddr>().unwrap()));
    let a = c
        .agents()
        .get(&from)
        .expect("counted against the UDP source");
    assert_eq!(a.bad_datagrams, 1);
    assert_eq!(a.datagrams, 1);
}
