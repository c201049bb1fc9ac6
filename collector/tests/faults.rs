//! Faults an sFlow collector meets in the field, over UDP loopback with datagrams built with
//! `sdnwire-sflow`: an agent that restarts (its datagram sequence numbers, uptime and counters
//! start again from zero) is counted as a restart and its interface rates carry on without a
//! spike; and every datagram is accounted for: after a mix of good, duplicate, malformed and
//! truncated datagrams, `/analyzer/json` and `/agents/json` add up to what was sent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::indexing_slicing, clippy::std_instead_of_core)]

mod common;

use std::thread::sleep;
use std::time::{Duration, Instant};

use common::*;
use sdnwire_collector::config::Config;

fn wait_for(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        sleep(Duration::from_millis(20));
    }
}

fn received(addr: std::net::SocketAddr) -> u64 {
    get(addr, "/analyzer/json").json()["sFlowDatagramsReceived"]
        .as_u64()
        .unwrap()
}

/// `ifinpkts` of the agent's interface 3, if the collector has a rate.
fn ifinpkts(addr: std::net::SocketAddr) -> Option<f64> {
    get(addr, "/metric/10.9.0.1/json").json()["3.ifinpkts"].as_f64()
}

#[test]
fn an_agent_that_restarts_is_counted_and_its_rates_carry_on() {
    let svc = start(Config::default());
    let a = svc.http_addr;
    let sock = agent_socket();
    let to = svc.sflow_addrs[0];
    // 100 packets every 200 ms: 500 packets/s (the rate uses the collector's clock, so allow
    // for the scheduling of a loaded machine).
    let ok = |r: f64| (250.0..1000.0).contains(&r);
    let mut sent = 0;
    let mut send = |seq: u32, uptime: u32, pkts: u32| {
        let d = datagram(
            "10.9.0.1",
            seq,
            uptime,
            vec![counter_sample(seq, 3, u64::from(pkts) * 100, pkts, 0)],
        );
        sock.send_to(&d, to).unwrap();
        sent += 1;
        wait_for("the datagram", 10, || received(a) == sent);
        sleep(Duration::from_millis(200));
    };
    for i in 0..6u32 {
        send(1000 + i, 500_000 + 200 * i, 1_000_000 + 100 * i);
    }
    let before = ifinpkts(a).expect("a rate before the restart");
    assert!(ok(before), "{before}");
    // The agent restarts: sequence number 1, uptime 0, counters from 0.
    let mut seen = Vec::new();
    for i in 0..6u32 {
        send(1 + i, 200 * i, 100 * i);
        if let Some(r) = ifinpkts(a) {
            seen.push(r);
        }
    }
    // Never a spike (a counter going from 1000500 to 0 is a reset, not a wrap), and rates again.
    assert!(seen.iter().all(|r| ok(*r)), "{seen:?}");
    let after = ifinpkts(a).expect("a rate after the restart");
    assert!(ok(after), "{after}");
    let agents = get(a, "/agents/json").json();
    assert_eq!(agents["10.9.0.1"]["sFlowAgentRestarts"], 1, "{agents}");
    assert_eq!(agents["10.9.0.1"]["sFlowDatagramsReceived"], 12, "{agents}");
    assert_eq!(agents["10.9.0.1"]["sFlowDatagramsBad"], 0, "{agents}");
    let an = get(a, "/analyzer/json").json();
    assert_eq!(an["sFlowAgentRestarts"], 1, "{an}");
    assert_eq!(an["sFlowCounterSamples"], 12, "{an}");
    // Still served by every path that reads it.
    let m = get(a, "/metric/ALL/sum:ifinpkts/json").json();
    assert!(ok(m[0]["metricValue"].as_f64().unwrap()), "{m}");
}

#[test]
fn every_datagram_is_accounted_for() {
    let svc = start(Config::default());
    let a = svc.http_addr;
    let r = request(
        a,
        "PUT",
        "/flow/pairs/json",
        Some(r#"{"keys":"ipsource,ipdestination","value":"frames"}"#),
    );
    assert_eq!(r.status, 204);
    let sock = agent_socket();
    let to = svc.sflow_addrs[0];
    let frame = tcp_frame([10, 0, 0, 1], [10, 0, 0, 2], 1000, 80);
    let good = |agent: &str, seq: u32| {
        datagram(
            agent,
            seq,
            1000 + seq,
            vec![
                flow_sample(seq, 1, 1, &frame, 64),
                flow_sample(seq + 10_000, 1, 1, &frame, 64),
            ],
        )
    };
    let (mut n_good, mut n_dup, mut n_bad) = ([0u64; 2], [0u64; 2], [0u64; 2]);
    let agents = ["10.9.1.1", "10.9.1.2"];
    let mut sent = 0u64;
    for seq in 1..=60u32 {
        let k = (seq % 2) as usize;
        let d = good(agents[k], seq);
        let send = |bytes: &[u8]| {
            sock.send_to(bytes, to).unwrap();
        };
        match seq % 6 {
            // A repeat of the datagram just sent.
            0 => {
                send(&d);
                send(&d);
                n_good[k] += 1;
                n_dup[k] += 1;
                sent += 2;
            }
            // Truncated: the last 30 bytes of the second sample cut off.
            1 => {
                send(&d[..d.len() - 30]);
                n_bad[k] += 1;
                sent += 1;
            }
            // Malformed: a sample whose length runs past the end (the agent address stays
            // readable, but a datagram the engine refused is counted against its UDP source:
            // its header is not trusted).
            2 => {
                let mut m = d.clone();
                let at = 28; // first sample's length field (version, type, addr, sub, seq, up, n, tag)
                m[at + 4..at + 8].copy_from_slice(&u32::MAX.to_be_bytes());
                send(&m);
                n_bad[k] += 1;
                sent += 1;
            }
            _ => {
                send(&d);
                n_good[k] += 1;
                sent += 1;
            }
        }
        // Paced: the test is about the collector's accounting, not the kernel's buffer.
        if seq % 10 == 0 {
            wait_for("the datagrams", 10, || received(a) == sent);
        }
    }
    // Plus garbage without even a header.
    for junk in [&b""[..], &b"\x00\x00\x00\x05"[..], &[0xff; 100][..]] {
        sock.send_to(junk, to).unwrap();
        sent += 1;
    }
    wait_for("every datagram", 10, || received(a) == sent);
    let an = get(a, "/analyzer/json").json();
    let total_good: u64 = n_good.iter().sum();
    let total_dup: u64 = n_dup.iter().sum();
    let total_bad: u64 = n_bad.iter().sum::<u64>() + 3;
    assert_eq!(an["sFlowDatagramsReceived"], sent, "{an}");
    assert_eq!(an["sFlowDatagramsBad"], total_bad, "{an}");
    assert_eq!(an["sFlowDatagramsDuplicate"], total_dup, "{an}");
    // Accepted + rejected + dropped (as duplicates) = received.
    assert_eq!(total_good + total_bad + total_dup, sent);
    assert_eq!(an["sFlowFlowSamples"], 2 * total_good, "{an}");
    assert_eq!(an["sFlowAgentsRefused"], 0, "{an}");
    let per = get(a, "/agents/json").json();
    let mut attributed = 0;
    for (k, agent) in agents.iter().enumerate() {
        let p = &per[*agent];
        assert_eq!(p["sFlowDatagramsReceived"], n_good[k] + n_dup[k], "{per}");
        assert_eq!(p["sFlowDatagramsBad"], 0, "{per}");
        assert_eq!(p["sFlowDatagramsDuplicates"], n_dup[k], "{per}");
        attributed += p["sFlowDatagramsReceived"].as_u64().unwrap();
    }
    // What was refused (cut, malformed, no header) is counted against the address it came
    // from.
    let from = &per["127.0.0.1"];
    assert_eq!(from["sFlowDatagramsReceived"], total_bad, "{per}");
    assert_eq!(from["sFlowDatagramsBad"], total_bad, "{per}");
    assert_eq!(attributed + total_bad, sent, "{per}");
    assert_eq!(an["sFlowDatagramsUntracked"], 0, "{an}");
    // The good ones were all taken: 2 frames per good datagram, one flow.
    let flows = get(a, "/activeflows/ALL/pairs/json").json();
    assert_eq!(flows[0]["key"], "10.0.0.1,10.0.0.2", "{flows}");
}
