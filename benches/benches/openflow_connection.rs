//! The connection path against the zero-copy view: PACKET_INs per second through a
//! `Connection` in MAIN (64 KiB reads, framing, events, each read by the application's
//! callback) and through `MessageView::parse` over the same bytes already cut into frames.
//! Inputs and both paths are in `ofconn/`.
//!
//! Run: `cargo bench -p benches --bench openflow_connection -- --warm-up-time 1
//! --measurement-time 3` (throughput in messages per second). Before any timing,
//! `ofconn::check` asserts that both paths read the same values (`cargo test -p benches --test
//! openflow_connection_agree` runs it too).

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::hint::black_box;

use bytes::Bytes;
use criterion::{Criterion, Throughput};

mod ofconn;

fn connection_group(c: &mut Criterion) {
    let stream = ofconn::stream(ofconn::MESSAGES);
    let frames = ofconn::frames(&stream);
    let mut conn = ofconn::established();
    let mut tx = Vec::new();
    let mut g = c.benchmark_group(format!(
        "openflow_connection/packet_in_x{}",
        ofconn::MESSAGES
    ));
    g.throughput(Throughput::Elements(ofconn::MESSAGES as u64));
    let shared = Bytes::from(stream.clone());
    for (name, input) in [
        ("connection", ofconn::Input::Shared),
        ("connection_copy", ofconn::Input::Copied),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                ofconn::via_connection(&mut conn, &mut tx, black_box(&shared), input, |r| {
                    black_box(r);
                })
                .unwrap()
            })
        });
    }
    g.bench_function("views", |b| {
        b.iter(|| {
            ofconn::via_views(black_box(&frames), |r| {
                black_box(r);
            })
            .unwrap()
        })
    });
    g.finish();
}

fn main() {
    ofconn::check(ofconn::MESSAGES);
    let mut c = Criterion::default().configure_from_args();
    connection_group(&mut c);
    c.final_summary();
}
