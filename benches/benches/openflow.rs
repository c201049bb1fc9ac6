//! `openflow` side by side with `rovs-openflow` 0.2 (the Rust OpenFlow 1.3 crate of the rovs
//! project) on the same inputs: PACKET_IN decode, a 1000-entry flow-stats walk, FlowMod
//! encode and FLOW_MOD decode. Inputs and implementations are in `ofimpl/`.
//!
//! Run: `cargo bench -p benches --bench openflow -- --warm-up-time 1 --measurement-time 3`;
//! then `python3 scripts/bench-ratios-openflow.py` prints the tables and target checks of
//! BENCHMARKS.md. Before any timing, `ofimpl::check_all()` asserts that every implementation
//! computes the same values (`cargo test -p benches --test openflow_agree` runs it too).

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::hint::black_box;

use bytes::Bytes;
use criterion::Criterion;
use sdnwire_openflow::Encode;

mod ofimpl;

use ofimpl::{FlowModSummary, FlowSummary, PacketInSummary};

fn packet_in_group(c: &mut Criterion) {
    // What a controller does with the decoded values: hand them on.
    fn sink(s: &PacketInSummary<'_>) {
        black_box(s);
    }
    let msg = ofimpl::PACKET_IN;
    let shared = Bytes::from_static(ofimpl::PACKET_IN);
    let mut g = c.benchmark_group("openflow_packet_in/ovs_icmp_echo");
    g.bench_function("ours_view", |b| {
        b.iter(|| ofimpl::packet_in_ours_view(black_box(msg), sink))
    });
    g.bench_function("ours_view_match", |b| {
        b.iter(|| ofimpl::packet_in_ours_view_match(black_box(msg), sink))
    });
    g.bench_function("ours_owned", |b| {
        b.iter(|| ofimpl::packet_in_ours_owned(black_box(msg), sink))
    });
    g.bench_function("rovs", |b| {
        b.iter(|| ofimpl::packet_in_rovs(black_box(&shared), sink))
    });
    g.bench_function("handwritten", |b| {
        b.iter(|| ofimpl::packet_in_handwritten(black_box(msg), sink))
    });
    g.bench_function("handwritten_owned", |b| {
        b.iter(|| ofimpl::packet_in_handwritten_owned(black_box(msg), sink))
    });
    g.finish();
}

fn flow_stats_group(c: &mut Criterion) {
    // Every entry's values are folded into one number, the same cheap work for everyone.
    fn fold(acc: &mut u64) -> impl FnMut(&FlowSummary) + '_ {
        move |s| *acc = acc.wrapping_add(s.fold())
    }
    let msgs = ofimpl::flow_stats_reply();
    let shared: Vec<Bytes> = msgs.iter().map(|m| Bytes::from(m.clone())).collect();
    let mut g = c.benchmark_group(format!("openflow_flow_stats/{}_entries", ofimpl::FLOWS));
    g.bench_function("ours_view", |b| {
        b.iter(|| {
            let mut acc = 0;
            let ok = ofimpl::flows_ours_view(black_box(&msgs), fold(&mut acc));
            (ok, acc)
        })
    });
    g.bench_function("ours_iter", |b| {
        b.iter(|| {
            let mut acc = 0;
            let ok = ofimpl::flows_ours_iter(black_box(&msgs), fold(&mut acc));
            (ok, acc)
        })
    });
    g.bench_function("ours_owned", |b| {
        b.iter(|| {
            let mut acc = 0;
            let ok = ofimpl::flows_ours_owned(black_box(&msgs), fold(&mut acc));
            (ok, acc)
        })
    });
    g.bench_function("rovs", |b| {
        b.iter(|| {
            let mut acc = 0;
            let ok = ofimpl::flows_rovs(black_box(&shared), fold(&mut acc));
            (ok, acc)
        })
    });
    g.bench_function("handwritten", |b| {
        b.iter(|| {
            let mut acc = 0;
            let ok = ofimpl::flows_handwritten(black_box(&msgs), fold(&mut acc));
            (ok, acc)
        })
    });
    g.bench_function("handwritten_owned", |b| {
        b.iter(|| {
            let mut acc = 0;
            let ok = ofimpl::flows_handwritten_owned(black_box(&msgs), fold(&mut acc));
            (ok, acc)
        })
    });
    g.bench_function("handwritten_vec", |b| {
        b.iter(|| {
            let mut acc = 0;
            let ok = ofimpl::flows_handwritten_vec(black_box(&msgs), fold(&mut acc));
            (ok, acc)
        })
    });
    g.bench_function("handwritten_inline", |b| {
        b.iter(|| {
            let mut acc = 0;
            let ok = ofimpl::flows_handwritten_inline(black_box(&msgs), fold(&mut acc));
            (ok, acc)
        })
    });
    g.bench_function("handwritten_inline1p", |b| {
        b.iter(|| {
            let mut acc = 0;
            let ok = ofimpl::flows_handwritten_inline1p(black_box(&msgs), fold(&mut acc));
            (ok, acc)
        })
    });
    g.bench_function("handwritten_inline2", |b| {
        b.iter(|| {
            let mut acc = 0;
            let ok = ofimpl::flows_handwritten_inline2(black_box(&msgs), fold(&mut acc));
            (ok, acc)
        })
    });
    g.bench_function("handwritten_flat", |b| {
        b.iter(|| {
            let mut acc = 0;
            let ok = ofimpl::flows_handwritten_flat(black_box(&msgs), fold(&mut acc));
            (ok, acc)
        })
    });
    g.finish();
}

fn flow_mod_group(c: &mut Criterion) {
    let mut g = c.benchmark_group("openflow_flow_mod/learning_switch");
    let mut out = Vec::with_capacity(128);
    g.bench_function("ours_build_encode", |b| {
        b.iter(|| {
            let ok = ofimpl::flow_mod_ours_build_encode(&mut out);
            black_box(&out);
            ok
        })
    });
    let built = ofimpl::flow_mod_ours();
    g.bench_function("ours_encode", |b| {
        b.iter(|| {
            let ok = ofimpl::flow_mod_ours_encode(black_box(&built), &mut out);
            black_box(&out);
            ok
        })
    });
    g.bench_function("rovs_build_encode", |b| {
        b.iter(ofimpl::flow_mod_rovs_build_encode)
    });
    let flow = ofimpl::flow_mod_rovs();
    g.bench_function("rovs_encode", |b| {
        b.iter(|| ofimpl::flow_mod_rovs_encode(black_box(&flow)))
    });
    g.finish();
}

fn flow_mod_parse_group(c: &mut Criterion) {
    fn sink(s: &FlowModSummary) {
        black_box(s.fold());
    }
    for (name, m) in [
        ("learning_switch", ofimpl::flow_mod_ours()),
        ("router", ofimpl::flow_mod_router()),
    ] {
        let msg = m.to_vec().unwrap();
        let shared = Bytes::from(msg.clone());
        let mut g = c.benchmark_group(format!("openflow_flow_mod_parse/{name}"));
        g.bench_function("ours_view", |b| {
            b.iter(|| ofimpl::flow_mod_parse_ours_view(black_box(&msg), sink))
        });
        g.bench_function("ours_iter", |b| {
            b.iter(|| ofimpl::flow_mod_parse_ours_iter(black_box(&msg), sink))
        });
        g.bench_function("ours_owned", |b| {
            b.iter(|| ofimpl::flow_mod_parse_ours_owned(black_box(&msg), sink))
        });
        g.bench_function("rovs", |b| {
            b.iter(|| ofimpl::flow_mod_parse_rovs(black_box(&shared), sink))
        });
        g.bench_function("handwritten", |b| {
            b.iter(|| ofimpl::flow_mod_parse_handwritten(black_box(&msg), sink))
        });
        g.bench_function("handwritten_owned", |b| {
            b.iter(|| ofimpl::flow_mod_parse_handwritten_owned(black_box(&msg), sink))
        });
        g.bench_function("handwritten_vec", |b| {
            b.iter(|| ofimpl::flow_mod_parse_handwritten_vec(black_box(&msg), sink))
        });
        g.bench_function("handwritten_inline", |b| {
            b.iter(|| ofimpl::flow_mod_parse_handwritten_inline(black_box(&msg), sink))
        });
        g.bench_function("handwritten_inline1p", |b| {
            b.iter(|| ofimpl::flow_mod_parse_handwritten_inline1p(black_box(&msg), sink))
        });
        g.bench_function("handwritten_inline2", |b| {
            b.iter(|| ofimpl::flow_mod_parse_handwritten_inline2(black_box(&msg), sink))
        });
        g.bench_function("handwritten_flat", |b| {
            b.iter(|| ofimpl::flow_mod_parse_handwritten_flat(black_box(&msg), sink))
        });
        g.bench_function("handwritten_flat8", |b| {
            b.iter(|| ofimpl::flow_mod_parse_handwritten_flat8(black_box(&msg), sink))
        });
        g.finish();
    }
}

fn main() {
    ofimpl::check_all();
    let mut c = Criterion::default().configure_from_args();
    packet_in_group(&mut c);
    flow_stats_group(&mut c);
    flow_mod_group(&mut c);
    flow_mod_parse_group(&mut c);
    c.final_summary();
}
