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

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(
    missing_docs,
    clippy::std_instead_of_core,
    clippy::cast_possible_truncation
)]

use std::hint::black_box;
use std::net::IpAddr;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sdnwire_packet::tcp::TcpFlags;
use sdnwire_packet::{Encode, Ethernet, Ipv4, MacAddr, Tcp, Udp, Vlan};
use sdnwire_sflow::Instant;
use sdnwire_sflow_analytics::{Config, Engine, FlowDefinition, FlowSampleInput, HeaderProtocol};

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
                    .to_vec()
                    .unwrap()
            } else {
                (eth / ip / Tcp::new(40000 + (i % 100) as u16, port, TcpFlags::ACK))
                    .with_payload(vec![0u8; 1430])
                    .to_vec()
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
    type Defs = fn() -> Vec<FlowDefinition>;
    let cases: [(&str, Defs); 3] = [
        ("pairs_bytes", || vec![pairs()]),
        ("five_tuple_filtered", || vec![five_tuple()]),
        ("three_definitions", || vec![pairs(), five_tuple(), macs()]),
    ];
    for (name, defs) in cases {
        let start = Instant::ZERO;
        let mut engine = Engine::new(Config::default(), start);
        for d in defs() {
            engine.add_flow(d).unwrap();
        }
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
        assert!(engine.top("pairs", 1).is_none_or(|t| !t.is_empty()));
    }
    g.finish();
}

/// The same samples in sFlow datagrams of 8 flow samples (about 1.3 kB each, as Open vSwitch
/// sends them): `Engine::handle_datagram` decodes the datagram with the codec's views and feeds
/// the engine; throughput in samples.
fn bench_datagrams(c: &mut Criterion) {
    use sdnwire_sflow::{
        Address, DataSource, Datagram, FlowRecord, FlowSample, Interface, RawPacketHeader, Sample,
    };
    let headers = headers();
    let mut datagrams: Vec<Vec<u8>> = headers
        .chunks(8)
        .enumerate()
        .map(|(i, chunk)| {
            Datagram {
                agent_address: Address::V4("192.0.2.1".parse().unwrap()),
                sequence_number: i as u32 + 1,
                uptime: 1000 + i as u32,
                samples: chunk
                    .iter()
                    .enumerate()
                    .map(|(j, h)| {
                        Sample::Flow(FlowSample {
                            sequence_number: (i * 8 + j) as u32,
                            source_id: DataSource { class: 0, index: 1 },
                            sampling_rate: 1000,
                            sample_pool: 1000,
                            input: Interface::if_index(1),
                            output: Interface::if_index(9),
                            records: vec![FlowRecord::RawHeader(RawPacketHeader {
                                header_protocol: sdnwire_sflow::HeaderProtocol::ETHERNET,
                                frame_length: 1518,
                                stripped: 4,
                                header: h.clone().into(),
                            })]
                            .into(),
                            ..Default::default()
                        })
                    })
                    .collect(),
                ..Default::default()
            }
            .to_vec()
            .unwrap()
        })
        .collect();
    let mut g = c.benchmark_group("sflow_engine_datagrams");
    g.throughput(Throughput::Elements(SAMPLES as u64));
    let start = Instant::ZERO;
    let mut engine = Engine::new(Config::default(), start);
    engine.add_flow(pairs()).unwrap();
    let mut tick = 0u64;
    g.bench_function("pairs_bytes", |b| {
        b.iter(|| {
            for d in &mut datagrams {
                tick += 1;
                let now = start + Duration::from_micros(tick * 125);
                // A fresh sequence number and uptime (bytes 16..24 of an IPv4 agent's
                // header), as the agent would send.
                d[16..20].copy_from_slice(&(tick as u32).to_be_bytes());
                d[20..24].copy_from_slice(&((tick / 8) as u32).to_be_bytes());
                let _ = engine.handle_datagram(now, black_box(d));
            }
        })
    });
    let stats = engine.stats();
    assert_eq!((stats.bad_datagrams, stats.duplicate_datagrams), (0, 0));
    assert_eq!(stats.flow_samples, stats.datagrams * 8);
    g.finish();
}

criterion_group!(benches, bench_engine, bench_datagrams);
criterion_main!(benches);
