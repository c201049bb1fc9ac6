//! Runs one OpenFlow benchmark function N times, for profilers (callgrind, perf):
//!
//! ```sh
//! cargo build --profile bench -p benches --example openflow_profile
//! valgrind --tool=callgrind target/release/examples/openflow_profile openflow_flow_stats rovs 200
//! ```
//!
//! Arguments: the group prefix (`openflow_packet_in`, `openflow_flow_stats`,
//! `openflow_flow_mod`, `openflow_flow_mod_parse`; a group id such as
//! `openflow_flow_mod_parse/router` picks that input), the implementation (a function id of `benches/openflow.rs`) and the
//! number of iterations. `scripts/bench-ratios-openflow.py --callgrind` runs it at two
//! iteration counts and divides the difference, so the setup is not counted.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(missing_docs)]

use core::hint::black_box;

use bytes::Bytes;
use sdnwire_openflow::Encode;

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
    // The group id (`openflow_flow_mod_parse/router`) or its prefix.
    let (prefix, id) = group.split_once('/').unwrap_or((group.as_str(), ""));
    match prefix {
        // `openflow_profile check - 0`: the agreement check of `cargo test -p benches`.
        "check" => ofimpl::check_all(),
        // `openflow_profile sizes - 0`: the sizes of the candidate owned types.
        "sizes" => {
            for (name, size) in ofimpl::inline_floor_sizes() {
                println!("{name}: {size}");
            }
        }
        "openflow_packet_in" => {
            let msg = ofimpl::PACKET_IN;
            let shared = Bytes::from_static(msg);
            let sink = |s: &ofimpl::PacketInSummary<'_>| {
                black_box(s);
            };
            // The implementation is chosen once, outside the loop, so that the loop body is
            // the call alone (a `match` on the name per iteration would be counted too).
            macro_rules! run {
                ($f:expr, $input:expr) => {
                    for _ in 0..n {
                        ok &= $f(black_box($input), sink);
                    }
                };
            }
            match lib.as_str() {
                "ours_view" => run!(ofimpl::packet_in_ours_view, msg),
                "ours_view_match" => run!(ofimpl::packet_in_ours_view_match, msg),
                "ours_owned" => run!(ofimpl::packet_in_ours_owned, msg),
                "rovs" => run!(ofimpl::packet_in_rovs, &shared),
                "handwritten" => run!(ofimpl::packet_in_handwritten, msg),
                "handwritten_owned" => run!(ofimpl::packet_in_handwritten_owned, msg),
                other => panic!("unknown implementation {other}"),
            }
        }
        "openflow_flow_stats" => {
            let msgs = ofimpl::flow_stats_reply();
            let shared: Vec<Bytes> = msgs.iter().map(|m| Bytes::from(m.clone())).collect();
            macro_rules! run {
                ($f:expr, $input:expr) => {
                    for _ in 0..n {
                        // The fold of benches/openflow.rs: every value read is used, so
                        // that the compiler cannot drop any of the work.
                        let mut acc = 0u64;
                        let sink = |s: &ofimpl::FlowSummary| acc = acc.wrapping_add(s.fold());
                        ok &= $f(black_box($input), sink);
                        black_box(acc);
                    }
                };
            }
            match lib.as_str() {
                "ours_view" => run!(ofimpl::flows_ours_view, &msgs),
                "ours_iter" => run!(ofimpl::flows_ours_iter, &msgs),
                "ours_owned" => run!(ofimpl::flows_ours_owned, &msgs),
                "rovs" => run!(ofimpl::flows_rovs, &shared),
                "handwritten" => run!(ofimpl::flows_handwritten, &msgs),
                "handwritten_owned" => run!(ofimpl::flows_handwritten_owned, &msgs),
                "handwritten_vec" => run!(ofimpl::flows_handwritten_vec, &msgs),
                "handwritten_inline" => run!(ofimpl::flows_handwritten_inline, &msgs),
                "handwritten_inline1p" => run!(ofimpl::flows_handwritten_inline1p, &msgs),
                "handwritten_inline2" => run!(ofimpl::flows_handwritten_inline2, &msgs),
                "handwritten_flat" => run!(ofimpl::flows_handwritten_flat, &msgs),
                other => panic!("unknown implementation {other}"),
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
        "openflow_flow_mod_parse" => {
            let m = if id == "router" {
                ofimpl::flow_mod_router()
            } else {
                ofimpl::flow_mod_ours()
            };
            let msg = m.to_vec().expect("the flow encodes");
            let shared = Bytes::from(msg.clone());
            let sink = |s: &ofimpl::FlowModSummary| {
                black_box(s.fold());
            };
            macro_rules! run {
                ($f:expr, $input:expr) => {
                    for _ in 0..n {
                        ok &= $f(black_box($input), sink);
                    }
                };
            }
            match lib.as_str() {
                "ours_view" => run!(ofimpl::flow_mod_parse_ours_view, &msg),
                "ours_iter" => run!(ofimpl::flow_mod_parse_ours_iter, &msg),
                "ours_owned" => run!(ofimpl::flow_mod_parse_ours_owned, &msg),
                "rovs" => run!(ofimpl::flow_mod_parse_rovs, &shared),
                "handwritten" => run!(ofimpl::flow_mod_parse_handwritten, &msg),
                "handwritten_owned" => run!(ofimpl::flow_mod_parse_handwritten_owned, &msg),
                "handwritten_vec" => run!(ofimpl::flow_mod_parse_handwritten_vec, &msg),
                "handwritten_inline" => run!(ofimpl::flow_mod_parse_handwritten_inline, &msg),
                "handwritten_inline1p" => {
                    run!(ofimpl::flow_mod_parse_handwritten_inline1p, &msg)
                }
                "handwritten_inline2" => run!(ofimpl::flow_mod_parse_handwritten_inline2, &msg),
                "handwritten_flat" => run!(ofimpl::flow_mod_parse_handwritten_flat, &msg),
                "handwritten_flat8" => run!(ofimpl::flow_mod_parse_handwritten_flat8, &msg),
                other => panic!("unknown implementation {other}"),
            }
        }
        other => panic!("unknown group {other}"),
    }
    assert!(ok, "an implementation failed on its input");
}
