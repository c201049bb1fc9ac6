//! simple_switch_igmp_13 against two real Open vSwitch bridges, as the Ryu book's IGMP
//! snooping example runs it.
//!
//! The scenario is `sdnwire_testkit::scenario::igmp`'s (described there), the one the
//! framework's `sdnwire-manager` runs too. Skipped loudly when Open vSwitch is not installed;
//! a failure when CI=true.

use std::process::Command;

use sdnwire_testkit::scenario::igmp;

#[test]
fn igmp_snooping_over_two_switches() {
    let program = Command::new(env!("CARGO_BIN_EXE_controller"));
    // The example begins every line about a datapath, igmplib's and the application's alike,
    // with `[dpid ID] simple_switch_igmp_13: `.
    let dpid = |id: &str| format!("[dpid {id}] simple_switch_igmp_13: ");
    igmp::snooping_over_two_switches(
        program,
        igmp::Logs {
            snooper: dpid,
            app: dpid,
        },
    );
}
