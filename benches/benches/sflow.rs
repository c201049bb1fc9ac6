//! sFlow datagram decoding: ours (zero-copy views, and owned values) side by side with the two
//! published Rust sFlow parsers, flowparser-sflow 0.3 and sflow-parser 0.7, on the same
//! datagrams: the Open vSwitch fixtures (sflow/testdata, captured by
//! scripts/capture-sflow.sh) and a synthetic datagram of eight flow samples (128-byte
//! sampled header + extended switch + IPv4 data each, as a busy switch sends them).
//!
//! Every implementation does the same work, what a collector does: decode the whole datagram
//! and read every field of the datagram, of every sample and of every record into a plain
//! struct (`sflow_common::Item`; the sampled header and the port name as borrowed bytes).
//! Every implementation's items are checked equal before anything is timed (and by
//! `cargo test -p benches --test sflow_agree`), but for sflow-parser's LAG records, which it
//! reads four bytes off (`sflow_common::check_agree`).
//!
//!   CARGO_TARGET_DIR=... cargo bench -p benches --bench sflow -- --warm-up-time 1 --measurement-time 3

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(missing_docs)] // criterion_group! generates an undocumented function
use criterion::{black_box, criterion_group, Criterion};

mod sflow_common;
use sflow_common::{
    all_items, check_agree, check_floor, flowparser, groups, handwritten_owned, ours, ours_owned,
    sflow_parser, Fold,
};

/// One implementation over a group's datagrams: the number of items read.
fn run(imp: &str, parser: &flowparser_sflow::SflowParser, dgrams: &[Vec<u8>]) -> u64 {
    let mut out = Fold::default();
    for d in dgrams {
        let d = black_box(d.as_slice());
        let ok = match imp {
            "ours" => ours(d, &mut out),
            "ours_owned" => ours_owned(d, &mut out),
            "handwritten_owned" => handwritten_owned(d, &mut out),
            "flowparser_sflow" => flowparser(parser, d, &mut out),
            _ => sflow_parser(d, &mut out),
        };
        assert!(ok);
    }
    out.0
}

/// `handwritten_owned` is the hand-written owned floor of `Datagram::parse`
/// (`sflow_common::floor`), checked equal (value) to it before timing.
const IMPLS: [&str; 5] = [
    "ours",
    "ours_owned",
    "handwritten_owned",
    "flowparser_sflow",
    "sflow_parser",
];

fn bench(c: &mut Criterion) {
    let parser = flowparser_sflow::SflowParser::default();
    for (name, dgrams) in &groups() {
        assert!(!dgrams.is_empty(), "{name}: no datagrams");
        // Same work: every implementation must read the same items.
        for d in dgrams {
            check_agree(name, all_items(&parser, d));
            check_floor(name, d);
        }
        let mut g = c.benchmark_group(*name);
        for imp in IMPLS {
            g.bench_function(imp, |b| b.iter(|| run(imp, &parser, dgrams)));
        }
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
    let groups = groups();
    let dgrams = &groups
        .iter()
        .find(|(g, _)| *g == group)
        .expect("group: sflow_ovs_flow, sflow_ovs_counters, sflow_synthetic_8_flow_samples")
        .1;
    assert!(IMPLS.contains(&imp), "IMPL: one of {IMPLS:?}");
    let parser = flowparser_sflow::SflowParser::default();
    for d in dgrams {
        check_agree(group, all_items(&parser, d));
        check_floor(group, d);
    }
    let mut sum = 0u64;
    for _ in 0..n {
        sum += run(imp, &parser, dgrams);
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
