//! Graphite output against a fake carbon plaintext listener on loopback that goes down and
//! comes back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::indexing_slicing, clippy::std_instead_of_core)]

mod common;

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{sleep, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::*;
use sdnwire_collector::config::{Config, GraphiteConfig};

/// A carbon line receiver: every line it reads, in order.
struct Carbon {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

fn carbon(port: u16, lines: Arc<Mutex<Vec<String>>>) -> Carbon {
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let stop = Arc::new(AtomicBool::new(false));
    let (l, s) = (lines, stop.clone());
    let thread = std::thread::spawn(move || {
        for conn in listener.incoming() {
            if s.load(Ordering::SeqCst) {
                return;
            }
            let conn = conn.unwrap();
            conn.set_read_timeout(Some(Duration::from_millis(20)))
                .unwrap();
            let mut r = BufReader::new(conn);
            let mut line = String::new();
            while !s.load(Ordering::SeqCst) {
                match r.read_line(&mut line) {
                    Ok(0) => break,
                    Ok(_) if line.ends_with('\n') => {
                        l.lock().unwrap().push(line.trim_end().to_string());
                        line.clear();
                    }
                    Ok(_) | Err(_) => {}
                }
            }
            if s.load(Ordering::SeqCst) {
                // Dropping the connection and the listener: carbon is down.
                return;
            }
        }
    });
    Carbon { port, stop, thread }
}

impl Carbon {
    fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake a blocked accept.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        self.thread.join().unwrap();
    }
}

fn wait_for(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        sleep(Duration::from_millis(20));
    }
}

#[test]
fn lines_reach_carbon_and_survive_a_restart() {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let c = carbon(0, lines.clone());
    let port = c.port;
    let svc = start(Config {
        metrics: vec![
            "max:ifspeed".into(),
            "ifspeed".into(),
            "sum:ifinoctets".into(),
        ],
        graphite: Some(GraphiteConfig {
            server: format!("127.0.0.1:{port}"),
            prefix: "test".into(),
            interval: Duration::from_millis(250),
            per_agent: true,
            buffer: 4,
        }),
        ..Config::default()
    });
    let sock = agent_socket();
    sock.send_to(
        &datagram("192.0.2.1", 1, 100, vec![counter_sample(1, 3, 1000, 10, 0)]),
        svc.sflow_addrs[0],
    )
    .unwrap();
    wait_for("a line at carbon", 10, || lines.lock().unwrap().len() >= 2);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    {
        let got = lines.lock().unwrap();
        // sflow2graphite's plaintext: PATH VALUE TIMESTAMP, `.`/`:` made `_` in components.
        // One counter sample gives ifspeed, not yet a rate: sum:ifinoctets has no line.
        for (l, metric) in got.iter().take(2).zip(["max_ifspeed", "ifspeed"]) {
            let parts: Vec<&str> = l.split(' ').collect();
            assert_eq!(parts.len(), 3, "{l}");
            assert_eq!(parts[0], format!("test.192_0_2_1.{metric}"));
            assert_eq!(parts[1], "1000000000");
            let ts: u64 = parts[2].parse().unwrap();
            assert!(ts.abs_diff(now) <= 5, "{ts} vs {now}");
        }
    }
    // Carbon goes down: lines wait in the 4-line buffer, older ones are dropped.
    c.stop();
    let before = lines.lock().unwrap().len();
    wait_for("the collector to see carbon down", 10, || {
        get(svc.http_addr, "/analyzer/json").json()["graphiteConnected"] == false
    });
    wait_for("lines dropped", 10, || {
        get(svc.http_addr, "/analyzer/json").json()["graphiteLinesDropped"]
            .as_u64()
            .unwrap()
            >= 4
    });
    let down_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    sleep(Duration::from_millis(600));
    // Carbon comes back on the same port: the collector reconnects and sends the buffer.
    let c = carbon(port, lines.clone());
    wait_for("lines after the restart", 10, || {
        lines.lock().unwrap().len() >= before + 6
    });
    c.stop();
    let an = get(svc.http_addr, "/analyzer/json").json();
    let got = lines.lock().unwrap().clone();
    // The buffered lines came first, whole, with the timestamps of when they were made.
    let after: Vec<&String> = got[before..].iter().collect();
    assert!(after.len() >= 4);
    for l in &after[..4] {
        assert!(
            l.starts_with("test.192_0_2_1.") && l.split(' ').count() == 3,
            "{l}"
        );
        let ts: u64 = l.split(' ').nth(2).unwrap().parse().unwrap();
        assert!(ts <= down_at + 2, "a buffered line is from the outage: {l}");
    }
    // Nothing lost silently: every line the collector counts as sent reached carbon, and
    // every other one is counted as dropped.
    assert_eq!(an["graphiteLinesSent"].as_u64().unwrap(), got.len() as u64);
    assert_eq!(an["graphiteConnects"], 2);
    assert!(an["graphiteLinesDropped"].as_u64().unwrap() >= 4);
}

#[test]
fn lines_across_agents_for_flows_and_aggregates() {
    let svc = start(Config::default());
    let sock = agent_socket();
    let r = request(
        svc.http_addr,
        "PUT",
        "/flow/pairs/json",
        Some(r#"{"keys":"ipsource,ipdestination","value":"frames"}"#),
    );
    assert_eq!(r.status, 204);
    let frame = tcp_frame([10, 0, 0, 1], [10, 0, 0, 2], 1, 2);
    for (i, agent) in [(0, "192.0.2.1"), (1, "192.0.2.2")] {
        let samples = vec![
            counter_sample(1, 1, 0, 0, 0),
            flow_sample(1, 1, 10, &frame, 100),
        ];
        sock.send_to(&datagram(agent, 1, 100 + i, samples), svc.sflow_addrs[0])
            .unwrap();
    }
    wait_for("two agents", 10, || {
        get(svc.http_addr, "/analyzer/json").json()["sFlowFlowSamples"] == 2
    });
    let c = svc.state.lock().unwrap();
    let metrics = ["sum:ifspeed".to_string(), "pairs".into(), "nosuch".into()];
    let (lines, errors) =
        sdnwire_collector::graphite::lines(&c, &metrics, "net", false, 1_700_000_000);
    assert_eq!(lines[0], "net.sum_ifspeed 2000000000 1700000000\n");
    assert!(lines[1].starts_with("net.pairs "), "{lines:?}");
    assert_eq!(lines.len(), 2);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains("unknown metric `nosuch`"));
    let (lines, _) = sdnwire_collector::graphite::lines(&c, &metrics, "", true, 1);
    let paths: Vec<&str> = lines.iter().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "192_0_2_1.sum_ifspeed",
            "192_0_2_2.sum_ifspeed",
            "192_0_2_1.pairs",
            "192_0_2_2.pairs"
        ]
    );
}

#[test]
fn a_carbon_that_stops_reading_is_dropped_and_lines_are_buffered() {
    // Carbon accepts one connection and never reads from it; later connections are refused.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = std::thread::spawn(move || listener.accept().unwrap().0);
    // Each interval makes far more than the socket buffers of loopback hold: 4000 lines of
    // 2 kB (a long prefix), 8 MB.
    let per_interval = 4000;
    let svc = start(Config {
        metrics: vec!["ifspeed".into(); per_interval],
        graphite: Some(GraphiteConfig {
            server: format!("127.0.0.1:{port}"),
            prefix: "p".repeat(2000),
            interval: Duration::from_millis(250),
            per_agent: false,
            buffer: 2 * per_interval,
        }),
        ..Config::default()
    });
    let sock = agent_socket();
    sock.send_to(
        &datagram("192.0.2.1", 1, 100, vec![counter_sample(1, 3, 1000, 10, 0)]),
        svc.sflow_addrs[0],
    )
    .unwrap();
    let conn = held.join().unwrap();
    let analyzer = || get(svc.http_addr, "/analyzer/json").json();
    wait_for("a connection", 10, || analyzer()["graphiteConnects"] == 1);
    // The write stalls; after one interval (at least a second) the collector gives up on it.
    wait_for("the collector to drop the stalled connection", 10, || {
        analyzer()["graphiteConnected"] == false
    });
    // The ticker keeps running: lines are made and buffered, the oldest dropped and counted.
    wait_for("lines dropped", 10, || {
        analyzer()["graphiteLinesDropped"].as_u64().unwrap() >= per_interval as u64
    });
    let an = analyzer();
    assert_eq!(an["graphiteConnected"], false, "{an}");
    assert_eq!(an["graphiteLinesSent"], 0, "{an}");
    assert_eq!(an["graphiteConnects"], 1, "{an}");
    drop(conn);
}
