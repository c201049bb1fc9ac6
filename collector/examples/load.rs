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

static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
