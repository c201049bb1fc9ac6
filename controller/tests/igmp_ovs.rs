//! `sdnwire-manager --app simple_switch_igmp_13` (the IGMP switch over the igmplib context)
//! against two real Open vSwitch bridges, as the Ryu book's IGMP snooping example runs it.
//!
//! The scenario is `sdnwire_testkit::scenario::igmp`'s (described there), the one the
//! examples' `controller` runs too: the same switch behaviour through igmplib as a context,
//! which logs as Ryu does (`[igmplib] DPID: ..`, `[simple_switch_igmp_13] DPID: ..`).
//! Skipped loudly when Open vSwitch is not installed; a failure when CI=true.

use std::process::Command;

use sdnwire_testkit::scenario::igmp;

#[test]
fn igmp_snooping_through_the_igmplib_context_over_two_switches() {
    igmp::snooping_over_two_switches(
        Command::new(env!("CARGO_BIN_EXE_sdnwire-manager")),
        igmp::Logs {
            snooper: |dpid| format!("[igmplib] {dpid}: "),
            app: |dpid| format!("[simple_switch_igmp_13] {dpid}: "),
        },
    );
}
