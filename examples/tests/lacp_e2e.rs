//! `simple_switch_lacp_13` (the Ryu book's "Link Aggregation" chapter) against a real Open
//! vSwitch, with a real LACP partner: a second OVS bridge whose bond (`lacp=active`, fast rate)
//! has its two members wired, by dummy-port unix streams, to the two ports of the controller's
//! switch that form the LACP group.
//!
//! ```text
//!   h1 ── q3 [br1: bond1 = q1 + q2, OVS's own LACP] q1 ══ p1 [br0: controller] p3 ── h2
//!                                                   q2 ══ p2
//! ```
//!
//! Ryu's lacplib failover, step by step: both group ports enabled (the partner's bond says current
//! and attached with the switch's LOCAL MAC as partner system, the controller installed the
//! priority-65535 LACP flows with idle_timeout 3 and send_flow_rem); a ping learns h1 behind
//! the bond's active member; that member's cable is cut (its stream goes nowhere): the LACP
//! flow idles out, FLOW_REMOVED disables the port, every learned-MAC flow is deleted, and the
//! ping goes over the live port; the cable back, the port is enabled again.
//!
//! A second test puts our own `lacp` crate (802.1AX, active, fast: the role Linux bonding plays
//! in the book) at the other end of the two cables instead, through OVS and the controller's
//! lacplib responder: both ends enable both links; our side falling silent on one link is
//! seen by the controller (port disabled) and, since the responder only answers, by our side
//! too (the link stops distributing); speaking again brings both back.
//!
//! The scenarios are `sdnwire_testkit::scenario::lacp`'s, shared with the other controller's
//! tests. Skipped loudly when Open vSwitch is not installed; a failure when CI=true.

sdnwire_testkit::lacp_scenarios!(std::process::Command::new(env!("CARGO_BIN_EXE_controller")));
