//! `sdnwire-manager --app simple_switch_lacp_13` (the LACP switch over the lacplib context;
//! the Ryu book's "Link Aggregation" chapter) against a real Open vSwitch, with a real LACP
//! partner: OVS's own bond, then our `sdnwire-lacp` crate.
//!
//! The scenarios are `sdnwire_testkit::scenario::lacp`'s (described there), the ones the
//! examples' `controller` runs too: the same switch behaviour through lacplib as a context.
//! Skipped loudly when Open vSwitch is not installed; a failure when CI=true.

sdnwire_testkit::lacp_scenarios!(std::process::Command::new(env!(
    "CARGO_BIN_EXE_sdnwire-manager"
)));
