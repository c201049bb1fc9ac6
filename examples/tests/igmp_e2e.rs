//! simple_switch_igmp_13 against two real Open vSwitch bridges, as the Ryu book's IGMP
//! snooping example runs it: s1 (datapath 1) is the querier with the multicast server behind
//! its port 2, s2 (datapath 2) snoops; the bridges are linked port 4 ↔ port 4 (dummy ports
//! over a unix socket). Hosts on ports 1–3 join and leave 225.0.0.1 and 225.0.0.2 (IGMPv2
//! reports and leaves injected with netdev-dummy/receive, built by `sdnwire-packet`); multicast frames
//! injected on the server port must come out of the member ports only (tx_pcap on every host
//! port of both bridges), before and after the leaves, and the controller must have installed
//! the Ryu book's IGMP snooping flows (`ip,in_port=4,nw_dst=225.0.0.1 actions=output:1,output:3` on s2) and
//! logged the Ryu book's "Multicast Group Added/Member Changed/Removed" lines.
//!
//! The scenario is `sdnwire_testkit::scenario::igmp`'s, shared with the other controller's
//! tests. Skipped loudly when Open vSwitch is not installed; a failure when CI=true.

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
