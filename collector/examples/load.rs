//! A load run: an in-process collector with two flow definitions takes Open vSwitch's real
//! flow-sample datagrams (sflow-analytics/testdata) sent over UDP loopback as fast as one
//! sender can, with the sequence numbers and source addresses varied (64 agents, 2000
//! distinct flows), while a client polls `/metric` every 100 ms. Prints what was sent, what the
//! collector took (its `/analyzer/json`), the rate, and the kernel's drops (what the
//! collector did not read in time).
//!
//! ```text
//! cargo run --release -p sdnwire-collector --example load [DATAGRAMS]   (default 200000)
//! ```
//!
//! `sweep` mode finds the rate the collector sustains with zero loss: bursts of N datagrams
//! (default 20000) sent paced at increasing rates (one batch every millisecond), each followed
//! by a check that `/analyzer/json` counted all N; meanwhile a client GETs `/metric` every
//! 20 ms and the p50/p99 of those requests' latency is printed per rate. The collector's
//! socket keeps the kernel's default receive buffer (`net.core.rmem_default`, printed): tokio's
//! `UdpSocket` has no setter for `SO_RCVBUF` and no crate is added for one.
//!
//! ```text
//! cargo run --release -p sdnwire-collector --example load -- sweep [N] [RATE...]
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::indexing_slicing, clippy::std_instead_of_core)]
#![allow(clippy::cast_possible_truncation)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use sdnwire_collector::collector::FlowSpec;
use sdnwire_collector::config::Config;
use sdnwire_collector::log::{self, Level};
use sdnwire_collector::server::Service;

fn get(addr: SocketAddr, path: &str) -> serde_json::Value {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let at = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    serde_json::from_slice(&out[at..]).unwrap()
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("sweep") {
        sweep();
        return;
    }
    let n: u64 = std::env::args()
        .nth(1)
        .map_or(200_000, |a| a.parse().expect("a number of datagrams"));
    log::set_level(Level::Warn);
    let mut config = Config {
        sflow_listen: vec!["127.0.0.1:0".parse().unwrap()],
        http_listen: "127.0.0.1:0".parse().unwrap(),
        ..Config::default()
    };
    config.flows = vec![
        (
            "pairs".into(),
            FlowSpec::new("ipsource,ipdestination", "bytes"),
        ),
        (
            "ports".into(),
            FlowSpec::new("ipprotocol,udpdestinationport,tcpdestinationport", "frames"),
        ),
    ];
    let svc = Service::bind(config).unwrap().spawn().unwrap();
    let to = svc.sflow_addrs[0];
    let http = svc.http_addr;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../sflow-analytics/testdata/");
    let base = std::fs::read(format!("{root}ovs-flow-0.bin")).unwrap();
    // Agent address at bytes 8..12 (IPv4), sequence number at 16..20: vary both so the engine
    // follows 64 agents and never sees a duplicate.
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let poller = std::thread::spawn(move || {
        let mut polls = 0u32;
        let mut worst = Duration::ZERO;
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3600) {
            let t = Instant::now();
            let m = get(http, "/metric/ALL/pairs,sum:ifinoctets/json");
            worst = worst.max(t.elapsed());
            polls += 1;
            assert!(m.is_array(), "{m}");
            std::thread::sleep(Duration::from_millis(100));
            if DONE.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
        }
        (polls, worst)
    });
    let mut d = base.clone();
    let start = Instant::now();
    for i in 0..n {
        let agent = (i % 64) as u8;
        d[8..12].copy_from_slice(&[10, 1, 0, agent]);
        d[16..20].copy_from_slice(&((i / 64 + 1) as u32).to_be_bytes());
        sock.send_to(&d, to).unwrap();
    }
    let sent_in = start.elapsed();
    // Let the collector drain its socket.
    let mut taken = 0;
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(100));
        let t = get(http, "/analyzer/json")["sFlowDatagramsReceived"]
            .as_u64()
            .unwrap();
        if t == taken && t > 0 {
            break;
        }
        taken = t;
    }
    DONE.store(true, std::sync::atomic::Ordering::Relaxed);
    let (polls, worst) = poller.join().unwrap();
    let an = get(http, "/analyzer/json");
    let taken = an["sFlowDatagramsReceived"].as_u64().unwrap();
    println!(
        "sent {n} datagrams ({} bytes each, {} flow samples in all) in {:.2} s ({:.0}/s)",
        base.len(),
        an["sFlowFlowSamples"],
        sent_in.as_secs_f64(),
        n as f64 / sent_in.as_secs_f64()
    );
    println!(
        "taken {taken} ({:.1}%), bad {}, lost in the kernel's socket buffer {}",
        100.0 * taken as f64 / n as f64,
        an["sFlowDatagramsBad"],
        n - taken
    );
    println!(
        "collector rate at least {:.0} datagrams/s; {polls} /metric polls meanwhile, slowest {:.1} ms",
        taken as f64 / sent_in.as_secs_f64(),
        worst.as_secs_f64() * 1000.0
    );
    let agents = get(http, "/agents/json");
    println!("agents followed: {}", agents.as_object().unwrap().len());
}

/// The service the load runs use: two flow definitions.
fn service() -> sdnwire_collector::server::Running {
    log::set_level(Level::Warn);
    let mut config = Config {
        sflow_listen: vec!["127.0.0.1:0".parse().unwrap()],
        http_listen: "127.0.0.1:0".parse().unwrap(),
        ..Config::default()
    };
    config.flows = vec![
        (
            "pairs".into(),
            FlowSpec::new("ipsource,ipdestination", "bytes"),
        ),
        (
            "ports".into(),
            FlowSpec::new("ipprotocol,udpdestinationport,tcpdestinationport", "frames"),
        ),
    ];
    Service::bind(config).unwrap().spawn().unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn sweep() {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let n: u64 = args.first().map_or(20_000, |a| a.parse().expect("N"));
    let rates: Vec<u64> = if args.len() > 1 {
        args[1..]
            .iter()
            .map(|a| a.parse().expect("a rate"))
            .collect()
    } else {
        vec![
            5_000, 10_000, 20_000, 40_000, 60_000, 80_000, 100_000, 150_000,
        ]
    };
    let rmem = std::fs::read_to_string("/proc/sys/net/core/rmem_default").unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "sweep: bursts of {n} datagrams; receive buffer net.core.rmem_default = {} bytes; load average {}",
        rmem.trim(),
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    let svc = service();
    let to = svc.sflow_addrs[0];
    let http = svc.http_addr;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../sflow-analytics/testdata/");
    let mut d = std::fs::read(format!("{root}ovs-flow-0.bin")).unwrap();
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut seq = 0u64;
    let mut best = None;
    println!("rate/s     sent    counted  lost   achieved/s  /metric p50 ms  p99 ms  polls");
    for rate in rates {
        let before = get(http, "/analyzer/json")["sFlowDatagramsReceived"]
            .as_u64()
            .unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop2 = stop.clone();
        let poller = std::thread::spawn(move || {
            let mut lat = Vec::new();
            while !stop2.load(std::sync::atomic::Ordering::Relaxed) {
                let t = Instant::now();
                let m = get(http, "/metric/ALL/pairs,sum:ifinoctets/json");
                lat.push(t.elapsed());
                assert!(m.is_array(), "{m}");
                std::thread::sleep(Duration::from_millis(20));
            }
            lat
        });
        let per_ms = rate.div_ceil(1000).max(1);
        let start = Instant::now();
        let mut sent = 0u64;
        while sent < n {
            let tick = Duration::from_micros(sent * 1_000_000 / rate);
            while start.elapsed() < tick {
                std::hint::spin_loop();
            }
            for _ in 0..per_ms.min(n - sent) {
                let agent = (seq % 64) as u8;
                d[8..12].copy_from_slice(&[10, 1, 0, agent]);
                d[16..20].copy_from_slice(&((seq / 64 + 1) as u32).to_be_bytes());
                sock.send_to(&d, to).unwrap();
                seq += 1;
                sent += 1;
            }
        }
        let took = start.elapsed();
        // Drain: the count stops moving.
        let mut counted = 0;
        for _ in 0..50 {
            std::thread::sleep(Duration::from_millis(100));
            let c = get(http, "/analyzer/json")["sFlowDatagramsReceived"]
                .as_u64()
                .unwrap()
                - before;
            if c == counted && c > 0 {
                break;
            }
            counted = c;
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let mut lat = poller.join().unwrap();
        lat.sort();
        println!(
            "{rate:<10} {n:<7} {counted:<8} {:<6} {:<11.0} {:<15.2} {:<7.2} {}",
            n - counted,
            n as f64 / took.as_secs_f64(),
            percentile(&lat, 0.5),
            percentile(&lat, 0.99),
            lat.len()
        );
        if counted == n {
            best = Some((rate, n as f64 / took.as_secs_f64(), lat));
        }
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    match best {
        Some((rate, achieved, lat)) => println!(
            "highest zero-loss rate: {rate}/s asked, {achieved:.0}/s sent; /metric p50 {:.2} ms, p99 {:.2} ms; load average {}",
            percentile(&lat, 0.5),
            percentile(&lat, 0.99),
            load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
        ),
        None => println!("no rate without loss"),
    }
}

static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
