//! The sFlow analytics engine: flow samples per second through `Engine::handle_flow_sample`.
//!
//! Inputs: 4096 sampled headers (the first 128 bytes of 1500-byte TCP/UDP frames, as Open
//! vSwitch samples them) spread over 1024 IPv4 address pairs, so that every flow exists after
//! the first pass and the measurement is the steady state (no allocation per sample). Groups:
//! - `pairs_bytes`: one definition, keys `ipsource,ipdestination`, value `bytes` (the typical
//!   definition the target is stated for: ≥ 5 million samples per second per core);
//! - `five_tuple_filtered`: keys `ipsource,ipdestination,ipprotocol,tcpsourceport,
//!   tcpdestinationport`, filter `ipprotocol=6&tcpdestinationport=80,443`;
//! - `three_definitions`: the two above and `macsource,macdestination,vlan` frames together (one
//!   header decode shared by three tables).
//!
//! Throughput is in elements (samples): criterion prints samples per second.
//!
//! `CARGO_TARGET_DIR=/work/targets/sflow-analytics cargo bench -p benches --bench sflow_engine
//! -- --warm-up-time 1 --measurement-time 3`
#![allow(missing_docs)]

use std::hint::black_box;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use packet::tcp::TcpFlags;
use packet::{Ethernet, Ipv4, MacAddr, Tcp, Udp, Vlan};
use sflow::analytics::{Engine, FlowDefinition, FlowSampleInput, HeaderProtocol};

const SAMPLES: usize = 4096;
const PAIRS: usize = 1024;

fn headers() -> Vec<Vec<u8>> {
    (0..SAMPLES)
        .map(|i| {
            let pair = i % PAIRS;
            let src = std::net::Ipv4Addr::new(10, 0, (pair >> 8) as u8, pair as u8);
            let dst = std::net::Ipv4Addr::new(10, 1, (pair >> 4) as u8, (pair * 7) as u8);
            let eth = Ethernet::new(
                MacAddr::new(0, 0, 0, 0, 1, (pair % 32) as u8),
                MacAddr::new(0, 0, 0, 0, 2, (pair % 16) as u8),
            ) / Vlan::new(100 + (pair % 4) as u16);
            let ip = Ipv4::new(src, dst);
            let port = [80, 443, 53, 8080][i % 4];
            let frame = if port == 53 {
                (eth / ip / Udp::new(40000 + (i % 100) as u16, port))
                    .with_payload(vec![0u8; 1450])
                    .serialize()
                    .unwrap()
            } else {
                (eth / ip / Tcp::new(40000 + (i % 100) as u16, port, TcpFlags::ACK))
                    .with_payload(vec![0u8; 1430])
                    .serialize()
                    .unwrap()
            };
            frame[..128].to_vec()
        })
        .collect()
}

fn inputs(headers: &[Vec<u8>]) -> Vec<FlowSampleInput<'_>> {
    let agent: IpAddr = "192.0.2.1".parse().unwrap();
    headers
        .iter()
        .enumerate()
        .map(|(i, h)| FlowSampleInput {
            agent,
            input_ifindex: 1 + (i % 8) as u32,
            output_ifindex: 9,
            sampling_rate: 1000,
            frame_length: 1518,
            header_protocol: HeaderProtocol::ETHERNET,
            header: h,
        })
        .collect()
}

fn pairs() -> FlowDefinition {
    FlowDefinition::new("pairs", "ipsource,ipdestination", "bytes").unwrap()
}

fn five_tuple() -> FlowDefinition {
    FlowDefinition::new(
        "web",
        "ipsource,ipdestination,ipprotocol,tcpsourceport,tcpdestinationport",
        "bytes",
    )
    .unwrap()
    .with_filter("ipprotocol=6&tcpdestinationport=80,443")
    .unwrap()
}

fn macs() -> FlowDefinition {
    FlowDefinition::new("macs", "macsource,macdestination,vlan", "frames").unwrap()
}

fn bench_engine(c: &mut Criterion) {
    let headers = headers();
    let samples = inputs(&headers);
    let mut g = c.benchmark_group("sflow_engine");
    g.throughput(Throughput::Elements(SAMPLES as u64));
    let cases: [(&str, fn() -> Vec<FlowDefinition>); 3] = [
        ("pairs_bytes", || vec![pairs()]),
        ("five_tuple_filtered", || vec![five_tuple()]),
        ("three_definitions", || vec![pairs(), five_tuple(), macs()]),
    ];
    for (name, defs) in cases {
        let mut engine = Engine::default();
        for d in defs() {
            engine.add_flow(d).unwrap();
        }
        let start = Instant::now();
        let mut tick = 0u64;
        // First pass: every flow exists before the measurement.
        for s in &samples {
            engine.handle_flow_sample(start, s);
        }
        g.bench_function(name, |b| {
            b.iter(|| {
                // One datagram's worth of samples per millisecond of engine time.
                for chunk in samples.chunks(8) {
                    tick += 1;
                    let now = start + Duration::from_micros(tick * 125);
                    for s in chunk {
                        engine.handle_flow_sample(now, black_box(s));
                    }
                }
            })
        });
        assert!(engine.top("pairs", 1).map_or(true, |t| !t.is_empty()));
    }
    g.finish();
}

criterion_group!(benches, bench_engine);
criterion_main!(benches);
