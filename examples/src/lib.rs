//! Runnable programs that drive the workspace's sans-I/O crates over real sockets.
//!
//! The `controller` binary is an OpenFlow 1.3 controller on tokio that runs the Ryu book's
//! applications ([`apps`]) against real switches (Open vSwitch: see `scripts/ovs.sh`), one
//! instance per connection; `sdnwire-controller`'s `sdnwire-manager` runs the same
//! applications' code in Ryu's model (`scripts/run-demo.sh` runs it):
//!
//! ```text
//! cargo run -p examples --bin controller -- --app simple_switch_13,simple_monitor
//! ```
//!
//! Every protocol decision is made by the library crates: [`sdnwire_openflow::connection::Connection`]
//! does the handshake, keepalive and request correlation, `sdnwire-openflow` encodes and decodes every
//! message, `sdnwire-packet` parses and builds the frames. The applications ([`app::App`]) react to the
//! connection's events with a clock they are given; [`runtime`] is the only code that touches a
//! socket or reads the time.

pub mod app;
pub mod apps;
pub mod runtime;
pub mod settings;

#[cfg(test)]
mod fake;

// The workspace's README and this crate's: every code block is checked by `cargo test --doc`
// (shell and text blocks are marked as such, Rust blocks compile).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct WorkspaceReadme;
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ExamplesReadme;
