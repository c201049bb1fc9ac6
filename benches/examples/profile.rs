//! Runs one benchmarked implementation in a loop, for a profiler (perf is unreliable on shared
//! machines; callgrind counts instructions exactly):
//!
//! ```sh
//! cargo build --profile bench -p benches --example profile
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out \
//!     target/release/examples/profile five_tuple ours_view eth_ipv4_udp 100000
//! callgrind_annotate --inclusive=yes /tmp/cg.out | head -40
//! ```
//!
//! Groups and names are those of the benchmark ids: `five_tuple <lib> <frame>`,
//! `full_decode <lib> <frame>`, `build_icmp_echo_reply <lib> eth_ipv4_icmp_echo`.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::hint::black_box;

#[path = "../benches/common/mod.rs"]
mod common;

use common::{decode, five_tuple, reply, Decoded};

fn sink(d: &Decoded<&[u8]>) {
    black_box(d);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [group, lib, frame, iters] = &args[..] else {
        eprintln!("usage: profile <group> <lib> <frame> <iterations>");
        std::process::exit(2);
    };
    let n: u64 = iters.parse().expect("iterations");
    let frames = match group.as_str() {
        "five_tuple" => common::five_tuple_frames(),
        _ => common::decode_frames(),
    };
    let f = &frames
        .iter()
        .find(|f| f.name == frame)
        .expect("frame name")
        .bytes[..];
    match group.as_str() {
        "five_tuple" => {
            let (_, x) = five_tuple::ALL
                .iter()
                .find(|(l, _)| l == lib)
                .expect("lib name");
            for _ in 0..n {
                black_box(x(black_box(f)));
            }
        }
        "full_decode" => {
            // `ours_packet_into`'s packet, reused from frame to frame.
            let mut reused = sdnwire_packet::Packet::new();
            for _ in 0..n {
                match lib.as_str() {
                    "ours_packet" => {
                        let p = decode::ours_packet(black_box(f));
                        black_box(&p);
                    }
                    "handwritten_owned" => {
                        let p = decode::handwritten_owned(black_box(f));
                        black_box(&p);
                    }
                    "ours_packet_into" => {
                        let r = decode::ours_packet_into(black_box(f), &mut reused);
                        black_box(&r);
                        black_box(&reused);
                    }
                    "ours_view" => {
                        let _ = black_box(decode::ours_view(black_box(f), sink));
                    }
                    "etherparse_headers" => {
                        let h = decode::etherparse_headers(black_box(f));
                        black_box(&h);
                    }
                    "etherparse_sliced" => {
                        let _ = black_box(decode::etherparse_sliced(black_box(f), sink));
                    }
                    "smoltcp" => {
                        let r = decode::smoltcp(black_box(f));
                        black_box(&r);
                    }
                    "pdu" => {
                        let _ = black_box(decode::pdu(black_box(f), sink));
                    }
                    "pnet" => {
                        let _ = black_box(decode::pnet(black_box(f), sink));
                    }
                    "handwritten_view" => {
                        let _ = black_box(common::handwritten::view_decode(black_box(f), sink));
                    }
                    other => panic!("no decoder {other}"),
                }
            }
        }
        "build_icmp_echo_reply" => {
            let (_, x) = reply::ALL.iter().find(|(l, _)| l == lib).expect("lib name");
            let mut out = Vec::with_capacity(1514);
            for _ in 0..n {
                black_box(x(black_box(f), &mut out));
                black_box(&out);
            }
        }
        other => panic!("no group {other}"),
    }
}
