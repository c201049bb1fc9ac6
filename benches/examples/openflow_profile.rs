//! Runs one OpenFlow benchmark function N times, for profilers (callgrind, perf):
//!
//! ```sh
//! cargo build --profile bench -p benches --example openflow_profile
//! valgrind --tool=callgrind target/release/examples/openflow_profile openflow_flow_stats rovs 200
//! ```
//!
//! Arguments: the group prefix (`openflow_packet_in`, `openflow_flow_stats`,
//! `openflow_flow_mod`), the implementation (a function id of `benches/openflow.rs`) and the
//! number of iterations. `scripts/bench-ratios-openflow.py --callgrind` runs it at two
//! iteration counts and divides the difference, so the setup is not counted.
#![allow(missing_docs)]

use core::hint::black_box;

use bytes::Bytes;

#[path = "../benches/ofimpl/mod.rs"]
mod ofimpl;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [group, lib, n] = &args[..] else {
        eprintln!("usage: openflow_profile GROUP IMPLEMENTATION ITERATIONS");
        std::process::exit(2);
    };
    let n: usize = n.parse().expect("ITERATIONS is a number");
    let mut ok = true;
    match group.as_str() {
        "openflow_packet_in" => {
            let msg = ofimpl::PACKET_IN;
            let shared = Bytes::from_static(msg);
            let sink = |s: &ofimpl::PacketInSummary<'_>| {
                black_box(s);
            };
            for _ in 0..n {
                ok &= match lib.as_str() {
                    "ours_view" => ofimpl::packet_in_ours_view(black_box(msg), sink),
                    "ours_view_match" => ofimpl::packet_in_ours_view_match(black_box(msg), sink),
                    "ours_owned" => ofimpl::packet_in_ours_owned(black_box(msg), sink),
                    "rovs" => ofimpl::packet_in_rovs(black_box(&shared), sink),
                    "handwritten" => ofimpl::packet_in_handwritten(black_box(msg), sink),
                    other => panic!("unknown implementation {other}"),
                };
            }
        }
        "openflow_flow_stats" => {
            let msgs = ofimpl::flow_stats_reply();
            let shared: Vec<Bytes> = msgs.iter().map(|m| Bytes::from(m.clone())).collect();
            for _ in 0..n {
                let mut acc = 0u64;
                let sink = |s: &ofimpl::FlowSummary| {
                    acc = acc.wrapping_add(s.packet_count ^ s.cookie);
                };
                ok &= match lib.as_str() {
                    "ours_view" => ofimpl::flows_ours_view(black_box(&msgs), sink),
                    "ours_owned" => ofimpl::flows_ours_owned(black_box(&msgs), sink),
                    "rovs" => ofimpl::flows_rovs(black_box(&shared), sink),
                    "handwritten" => ofimpl::flows_handwritten(black_box(&msgs), sink),
                    other => panic!("unknown implementation {other}"),
                };
                black_box(acc);
            }
        }
        "openflow_flow_mod" => {
            let mut out = Vec::with_capacity(128);
            let built = ofimpl::flow_mod_ours();
            let flow = ofimpl::flow_mod_rovs();
            for _ in 0..n {
                match lib.as_str() {
                    "ours_build_encode" => ok &= ofimpl::flow_mod_ours_build_encode(&mut out),
                    "ours_encode" => {
                        ok &= ofimpl::flow_mod_ours_encode(black_box(&built), &mut out)
                    }
                    "rovs_build_encode" => {
                        black_box(ofimpl::flow_mod_rovs_build_encode());
                    }
                    "rovs_encode" => {
                        black_box(ofimpl::flow_mod_rovs_encode(black_box(&flow)));
                    }
                    other => panic!("unknown implementation {other}"),
                }
                black_box(&out);
            }
        }
        other => panic!("unknown group {other}"),
    }
    assert!(ok, "an implementation failed on its input");
}
