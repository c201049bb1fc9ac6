//! `simple_switch_lacp_13` (the Ryu book's "Link Aggregation" chapter) against a real Open
//! vSwitch, with a real LACP partner: OVS's own bond, then our `sdnwire-lacp` crate.
//!
//! The scenarios are `sdnwire_testkit::scenario::lacp`'s (described there), the ones the
//! framework's `sdnwire-manager` runs too. Skipped loudly when Open vSwitch is not installed;
//! a failure when CI=true.

sdnwire_testkit::lacp_scenarios!(std::process::Command::new(env!("CARGO_BIN_EXE_controller")));
