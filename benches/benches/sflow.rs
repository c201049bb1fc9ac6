//! sFlow datagram decoding: ours (zero-copy views, and owned values) side by side with the two
//! published Rust sFlow parsers, flowparser-sflow 0.3 and sflow-parser 0.7, on the same
//! datagrams: the Open vSwitch fixtures (sflow/testdata, captured by
//! scripts/capture-sflow.sh) and a synthetic datagram of eight flow samples (128-byte
//! sampled header + extended switch + IPv4 data each, as a busy switch sends them).
//!
//! Every implementation does the same work: decode the whole datagram and touch every
//! sample and record, summing the same fields (sampling rate, interfaces, frame length, header
//! length, VLANs, IPv4 ports, interface octets, FCS errors, port name length, and one per other
//! record). The sums are checked equal before anything is timed.
//!
//!   CARGO_TARGET_DIR=... cargo bench -p benches --bench sflow -- --warm-up-time 1 --measurement-time 3

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(missing_docs)] // criterion_group! generates an undocumented function
use criterion::{black_box, criterion_group, Criterion};

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../sflow/testdata");
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("sflow/testdata")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    v.sort();
    v
}

/// Eight flow samples: raw header (128 bytes of a TCP/IPv4 frame), extended switch, IPv4 data.
fn synthetic() -> Vec<u8> {
    use sdnwire_sflow::*;
    let mut frame = vec![0u8; 128];
    frame[12] = 0x08;
    frame[14] = 0x45;
    frame[23] = 6;
    let samples = (0..8u32)
        .map(|i| {
            Sample::Flow(FlowSample {
                sequence_number: 1000 + i,
                source_id: DataSource { class: 0, index: 3 },
                sampling_rate: 1024,
                sample_pool: 1024 * (1000 + i),
                drops: 0,
                input: Interface::if_index(3),
                output: Interface::if_index(4 + i),
                records: vec![
                    FlowRecord::RawHeader(RawPacketHeader {
                        header_protocol: HeaderProtocol::ETHERNET,
                        frame_length: 1518,
                        stripped: 4,
                        header: frame.clone().into(),
                    }),
                    FlowRecord::ExtendedSwitch(ExtendedSwitch {
                        src_vlan: 10,
                        src_priority: 0,
                        dst_vlan: 20 + i,
                        dst_priority: 0,
                    }),
                    FlowRecord::Ipv4(Ipv4Data {
                        length: 1500,
                        protocol: 6,
                        src_ip: "10.0.0.1".parse().unwrap(),
                        dst_ip: "10.0.0.2".parse().unwrap(),
                        src_port: 40000 + i,
                        dst_port: 443,
                        tcp_flags: 0x10,
                        tos: 0,
                    }),
                ],
            })
        })
        .collect();
    Datagram {
        agent_address: Address::V4("192.0.2.1".parse().unwrap()),
        sub_agent_id: 0,
        sequence_number: 77,
        uptime: 123_456,
        samples,
    }
    .to_vec()
    .unwrap()
}

fn ours(bytes: &[u8]) -> u64 {
    use sdnwire_sflow::{CounterRecordView as C, DatagramView, FlowRecordView as F, SampleView};
    let Ok(d) = DatagramView::parse(bytes) else {
        return 0;
    };
    let mut sum = u64::from(d.sequence_number());
    for s in d.samples() {
        let Ok(s) = s else { return 0 };
        match s {
            SampleView::Flow(f) | SampleView::ExpandedFlow(f) => {
                sum += u64::from(f.sampling_rate())
                    + u64::from(f.input().to_compact().unwrap_or(0))
                    + u64::from(f.output().to_compact().unwrap_or(0));
                for r in f.records() {
                    let Ok(r) = r else { return 0 };
                    sum += match r {
                        F::RawHeader(h) => u64::from(h.frame_length()) + h.header().len() as u64,
                        F::ExtendedSwitch(x) => u64::from(x.src_vlan() + x.dst_vlan()),
                        F::Ipv4(x) => u64::from(x.src_port() + x.dst_port()),
                        _ => 1,
                    };
                }
            }
            SampleView::Counters(c) | SampleView::ExpandedCounters(c) => {
                for r in c.records() {
                    let Ok(r) = r else { return 0 };
                    sum += match r {
                        C::GenericInterface(g) => g.if_in_octets() + g.if_out_octets(),
                        C::Ethernet(e) => u64::from(e.dot3_stats_fcs_errors()),
                        C::PortName(p) => p.name().len() as u64,
                        _ => 1,
                    };
                }
            }
            _ => sum += 1,
        }
    }
    sum
}

fn ours_owned(bytes: &[u8]) -> u64 {
    use sdnwire_sflow::{CounterRecord as C, Datagram, FlowRecord as F, Sample};
    let Ok(d) = Datagram::parse(bytes) else {
        return 0;
    };
    let mut sum = u64::from(d.sequence_number);
    for s in &d.samples {
        match s {
            Sample::Flow(f) | Sample::ExpandedFlow(f) => {
                sum += u64::from(f.sampling_rate)
                    + u64::from(f.input.to_compact().unwrap_or(0))
                    + u64::from(f.output.to_compact().unwrap_or(0));
                for r in &f.records {
                    sum += match r {
                        F::RawHeader(h) => u64::from(h.frame_length) + h.header.data.len() as u64,
                        F::ExtendedSwitch(x) => u64::from(x.src_vlan + x.dst_vlan),
                        F::Ipv4(x) => u64::from(x.src_port + x.dst_port),
                        _ => 1,
                    };
                }
            }
            Sample::Counters(c) | Sample::ExpandedCounters(c) => {
                for r in &c.records {
                    sum += match r {
                        C::GenericInterface(g) => g.if_in_octets + g.if_out_octets,
                        C::Ethernet(e) => u64::from(e.dot3_stats_fcs_errors),
                        C::PortName(p) => p.name.data.len() as u64,
                        _ => 1,
                    };
                }
            }
            _ => sum += 1,
        }
    }
    sum
}

fn flowparser(parser: &flowparser_sflow::SflowParser, bytes: &[u8]) -> u64 {
    use flowparser_sflow::{CounterRecord as C, FlowRecord as F, SflowSample};
    let res = parser.parse_bytes(bytes);
    if res.error.is_some() {
        return 0;
    }
    let mut sum = 0u64;
    for d in &res.datagrams {
        sum += u64::from(d.sequence_number);
        for s in &d.samples {
            let mut flow = |rate: u32, input: u32, output: u32, records: &[F]| {
                sum += u64::from(rate) + u64::from(input) + u64::from(output);
                for r in records {
                    sum += match r {
                        F::RawPacketHeader(h) => u64::from(h.frame_length) + h.header.len() as u64,
                        F::ExtendedSwitch(x) => u64::from(x.src_vlan + x.dst_vlan),
                        F::SampledIpv4(x) => u64::from(x.src_port + x.dst_port),
                        _ => 1,
                    };
                }
            };
            match s {
                SflowSample::Flow(f) => flow(f.sampling_rate, f.input, f.output, &f.records),
                SflowSample::Counter(c) => {
                    for r in &c.records {
                        sum += match r {
                            C::GenericInterface(g) => g.if_in_octets + g.if_out_octets,
                            C::EthernetInterface(e) => u64::from(e.dot3_stats_fcs_errors),
                            C::PortName(p) => p.name.len() as u64,
                            _ => 1,
                        };
                    }
                }
                _ => sum += 1,
            }
        }
    }
    sum
}

fn sflow_parser(bytes: &[u8]) -> u64 {
    use sflow_parser::models::core::{CounterData as C, FlowData as F};
    use sflow_parser::SampleData;
    let Ok(d) = sflow_parser::parse_datagram(bytes) else {
        return 0;
    };
    let mut sum = u64::from(d.sequence_number);
    for s in &d.samples {
        match &s.sample_data {
            SampleData::FlowSample(f) => {
                sum += u64::from(f.sampling_rate) + u64::from(f.input.0) + u64::from(f.output.0);
                for r in &f.flow_records {
                    sum += match &r.flow_data {
                        F::SampledHeader(h) => u64::from(h.frame_length) + h.header.len() as u64,
                        F::ExtendedSwitch(x) => u64::from(x.src_vlan + x.dst_vlan),
                        F::SampledIpv4(x) => u64::from(x.src_port + x.dst_port),
                        _ => 1,
                    };
                }
            }
            SampleData::CountersSample(c) => {
                for r in &c.counters {
                    sum += match &r.counter_data {
                        C::GenericInterface(g) => g.if_in_octets + g.if_out_octets,
                        C::EthernetInterface(e) => u64::from(e.dot3_stats_fcs_errors),
                        C::OpenFlowPortName(p) => p.port_name.len() as u64,
                        _ => 1,
                    };
                }
            }
            _ => sum += 1,
        }
    }
    sum
}

fn bench(c: &mut Criterion) {
    let parser = flowparser_sflow::SflowParser::default();
    let mut inputs: Vec<(String, Vec<Vec<u8>>)> = vec![];
    let fx = fixtures();
    let flows: Vec<Vec<u8>> = fx
        .iter()
        .filter(|(n, _)| n.contains("flow"))
        .map(|(_, b)| b.clone())
        .collect();
    let counters: Vec<Vec<u8>> = fx
        .iter()
        .filter(|(n, _)| n.contains("counters"))
        .map(|(_, b)| b.clone())
        .collect();
    inputs.push(("sflow_ovs_flow".into(), flows));
    inputs.push(("sflow_ovs_counters".into(), counters));
    inputs.push(("sflow_synthetic_8_flow_samples".into(), vec![synthetic()]));

    for (name, dgrams) in &inputs {
        assert!(!dgrams.is_empty(), "{name}: no datagrams");
        // Same work: every implementation must see the same sums.
        for d in dgrams {
            let want = ours(d);
            assert!(want > 0, "{name}: ours failed");
            assert_eq!(ours_owned(d), want, "{name}: owned");
            assert_eq!(flowparser(&parser, d), want, "{name}: flowparser-sflow");
            assert_eq!(sflow_parser(d), want, "{name}: sflow-parser");
        }
        let mut g = c.benchmark_group(name.as_str());
        g.bench_function("ours", |b| {
            b.iter(|| dgrams.iter().map(|d| ours(black_box(d))).sum::<u64>())
        });
        g.bench_function("ours_owned", |b| {
            b.iter(|| dgrams.iter().map(|d| ours_owned(black_box(d))).sum::<u64>())
        });
        g.bench_function("flowparser_sflow", |b| {
            b.iter(|| {
                dgrams
                    .iter()
                    .map(|d| flowparser(&parser, black_box(d)))
                    .sum::<u64>()
            })
        });
        g.bench_function("sflow_parser", |b| {
            b.iter(|| {
                dgrams
                    .iter()
                    .map(|d| sflow_parser(black_box(d)))
                    .sum::<u64>()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);

/// `SFLOW_CALLGRIND=GROUP:IMPL:N` runs one implementation N times on one group's datagrams
/// and exits, for instruction counts under valgrind (run at two N and divide the difference,
/// so that setup is not counted):
///
/// ```sh
/// valgrind --tool=callgrind --callgrind-out-file=/dev/null \
///   SFLOW_CALLGRIND=sflow_ovs_flow:ours:1000 target/release/deps/sflow-HASH --bench
/// ```
fn profile(spec: &str) {
    let mut it = spec.split(':');
    let (Some(group), Some(imp), Some(n)) = (it.next(), it.next(), it.next()) else {
        panic!("SFLOW_CALLGRIND=GROUP:IMPL:N");
    };
    let n: usize = n.parse().expect("N");
    let fx = fixtures();
    let dgrams: Vec<Vec<u8>> = match group {
        "sflow_ovs_flow" => fx
            .iter()
            .filter(|(n, _)| n.contains("flow"))
            .map(|(_, b)| b.clone())
            .collect(),
        "sflow_ovs_counters" => fx
            .iter()
            .filter(|(n, _)| n.contains("counters"))
            .map(|(_, b)| b.clone())
            .collect(),
        _ => vec![synthetic()],
    };
    let parser = flowparser_sflow::SflowParser::default();
    let mut sum = 0u64;
    for _ in 0..n {
        for d in &dgrams {
            sum += match imp {
                "ours" => ours(black_box(d)),
                "ours_owned" => ours_owned(black_box(d)),
                "flowparser_sflow" => flowparser(&parser, black_box(d)),
                _ => sflow_parser(black_box(d)),
            };
        }
    }
    black_box(sum);
}

fn main() {
    if let Ok(spec) = std::env::var("SFLOW_CALLGRIND") {
        profile(&spec);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
