//! Runs one path of the connection benchmark (`benches/openflow_connection.rs`) over N
//! PACKET_INs, for profilers (callgrind, perf):
//!
//! ```sh
//! cargo build --profile bench -p benches --example openflow_connection_profile
//! valgrind --tool=callgrind target/release/examples/openflow_connection_profile connection 10000
//! ```
//!
//! Arguments: the path (`connection`, `connection_copy` or `views`) and the number of messages, a multiple of
//! 1000: the stream of 1000 messages is handled N / 1000 times (the connection is set up, and
//! the stream built, once). Run it at N = 10000 and N = 20000 and divide the difference by
//! 10000 to get the instructions per message without the setup.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(missing_docs)]

use core::hint::black_box;

#[path = "../benches/ofconn/mod.rs"]
mod ofconn;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, n] = &args[..] else {
        eprintln!("usage: openflow_connection_profile connection|connection_copy|views MESSAGES");
        std::process::exit(2);
    };
    let n: usize = n.parse().expect("MESSAGES is a number");
    assert_eq!(n % ofconn::MESSAGES, 0, "MESSAGES is a multiple of 1000");
    let passes = n / ofconn::MESSAGES;
    let stream = ofconn::stream(ofconn::MESSAGES);
    let frames = ofconn::frames(&stream);
    let shared = bytes::Bytes::from(stream.clone());
    let mut conn = ofconn::established();
    let mut tx = Vec::new();
    let sink = |r: &ofconn::PacketInRead| {
        black_box(r);
    };
    let mut total = 0;
    match path.as_str() {
        "connection" | "connection_copy" => {
            let input = if path == "connection" {
                ofconn::Input::Shared
            } else {
                ofconn::Input::Copied
            };
            for _ in 0..passes {
                total +=
                    ofconn::via_connection(&mut conn, &mut tx, black_box(&shared), input, sink)
                        .expect("every message is a PACKET_IN event");
            }
        }
        "views" => {
            for _ in 0..passes {
                total += ofconn::via_views(black_box(&frames), sink).expect("every view parses");
            }
        }
        other => panic!("unknown path {other}"),
    }
    assert_eq!(total, n);
}
