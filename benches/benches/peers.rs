//! `packet` side by side with etherparse, smoltcp, pdu and pnet on the same real frames.
//!
//! Run: `cargo bench -p benches -- --warm-up-time 1 --measurement-time 3`; then
//! `python3 scripts/bench-ratios.py` turns criterion's estimates into the tables of
//! BENCHMARKS.md. Before any timing, `common::check::all()` asserts that every implementation
//! computes the same values (the same 5-tuple, the same decoded fields, the same reply bytes).

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::hint::black_box;

use criterion::Criterion;

mod common;

use common::{decode, five_tuple, reply, Decoded};

fn five_tuple_group(c: &mut Criterion) {
    for frame in common::five_tuple_frames() {
        let mut g = c.benchmark_group(format!("five_tuple/{}", frame.name));
        for (lib, f) in five_tuple::ALL {
            g.bench_function(*lib, |b| b.iter(|| f(black_box(&frame.bytes))));
        }
        g.finish();
    }
}

fn full_decode_group(c: &mut Criterion) {
    // What a view's reader does with the values: hand them on. `black_box(&Decoded)` makes the
    // compiler materialize every field.
    fn sink(d: &Decoded<&[u8]>) {
        black_box(d);
    }
    for frame in common::decode_frames() {
        let mut g = c.benchmark_group(format!("full_decode/{}", frame.name));
        let f = &frame.bytes[..];
        // The owned decoders' results are read where they are (`black_box(&result)`), as the
        // views' values are (`sink`), and dropped in the iteration.
        g.bench_function("ours_packet", |b| {
            b.iter(|| {
                let p = decode::ours_packet(black_box(f));
                black_box(&p);
            })
        });
        g.bench_function("handwritten_owned", |b| {
            b.iter(|| {
                let p = decode::handwritten_owned(black_box(f));
                black_box(&p);
            })
        });
        let mut reused = sdnwire_packet::Packet::new();
        g.bench_function("ours_packet_into", |b| {
            b.iter(|| {
                let r = decode::ours_packet_into(black_box(f), &mut reused);
                black_box(&r);
                black_box(&reused);
            })
        });
        g.bench_function("ours_view", |b| {
            b.iter(|| decode::ours_view(black_box(f), sink))
        });
        g.bench_function("etherparse_headers", |b| {
            b.iter(|| {
                let h = decode::etherparse_headers(black_box(f));
                black_box(&h);
            })
        });
        g.bench_function("etherparse_sliced", |b| {
            b.iter(|| decode::etherparse_sliced(black_box(f), sink))
        });
        g.bench_function("smoltcp", |b| {
            b.iter(|| {
                let r = decode::smoltcp(black_box(f));
                black_box(&r);
            })
        });
        g.bench_function("pdu", |b| b.iter(|| decode::pdu(black_box(f), sink)));
        g.bench_function("pnet", |b| b.iter(|| decode::pnet(black_box(f), sink)));
        g.bench_function("handwritten_view", |b| {
            b.iter(|| common::handwritten::view_decode(black_box(f), sink))
        });
        g.finish();
    }
}

fn build_icmp_echo_reply_group(c: &mut Criterion) {
    let mut g = c.benchmark_group("build_icmp_echo_reply/eth_ipv4_icmp_echo");
    for (lib, f) in reply::ALL {
        let mut out = Vec::with_capacity(1514);
        g.bench_function(*lib, |b| {
            b.iter(|| {
                let r = f(black_box(common::PING_ECHO_REQUEST), &mut out);
                black_box(&out);
                r
            })
        });
    }
    g.finish();
}

fn main() {
    common::check::all();
    let mut c = Criterion::default().configure_from_args();
    five_tuple_group(&mut c);
    full_decode_group(&mut c);
    build_icmp_echo_reply_group(&mut c);
    c.final_summary();
}
