//! Every OpenFlow benchmark implementation (ours and rovs-openflow's) computes the same values
//! on the benchmarks' inputs: the PACKET_IN fields and frame, the 1000 flow-stats summaries,
//! byte-identical FlowMod messages.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

#[path = "../benches/ofimpl/mod.rs"]
mod ofimpl;

#[test]
fn every_implementation_agrees() {
    ofimpl::check_all();
}
