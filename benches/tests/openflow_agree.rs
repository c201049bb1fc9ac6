//! Every OpenFlow benchmark implementation (ours and rovs-openflow's) computes the same values
//! on the benchmarks' inputs: the PACKET_IN fields and frame, the 1000 flow-stats summaries,
//! byte-identical FlowMod messages.

#[path = "../benches/ofimpl/mod.rs"]
mod ofimpl;

#[test]
fn every_implementation_agrees() {
    ofimpl::check_all();
}
