//! Criterion benchmarks of the sdnwire crates side by side with etherparse, smoltcp, pdu and pnet.
//!
//! This library is empty. The benchmarks are in `benches/peers.rs`, the per-library code they
//! time in `benches/common/`, and `tests/agree.rs` checks that every library computes the same
//! values. Results and the command that produced them: BENCHMARKS.md at the workspace root.
