//! An sFlow v5 collector service in the model of sFlow-RT, over the
//! [`sdnwire_sflow_analytics`] engine: sFlow datagrams in on UDP 6343, sFlow-RT's REST API out
//! on port 8008 (flow definitions, `/metric`, `/activeflows`, `/agents`, `/analyzer`, ...), flow
//! and metric definitions in the XML files sFlow-RT's users keep, and Graphite output as
//! sflow2graphite sends it.
//!
//! The binary is `sflow-collector` (`cargo install --path collector`). The library is what
//! the binary is made of, for tests and for programs that embed the service:
//!
//! * [`collector::Collector`]: the state (engine, definitions, per-agent counters), no I/O;
//! * [`api::handle`]: the REST API as a function from a request to a reply, no I/O;
//! * [`config`]: the XML configuration, flow and metric files;
//! * [`server::Service`]: the sockets and the runtime (tokio, one thread; hyper's HTTP/1.1
//!   server).
//!
//! ```no_run
//! use sdnwire_collector::{config::Config, server::Service};
//! # fn main() -> std::io::Result<()> {
//! let config = Config::parse("collector.xml", r#"
//!     <collector>
//!       <sflow listen="0.0.0.0:6343"/>
//!       <http listen="127.0.0.1:8008"/>
//!       <flows><flow name="pairs" keys="ipsource,ipdestination" value="bytes"/></flows>
//!     </collector>"#).map_err(std::io::Error::other)?;
//! Service::bind(config)?.run()
//! # }
//! ```

// Input from the network and from files is hostile: no panicking index, unwrap, expect or panic
// in library code (the workspace lints warn everywhere; here they are errors outside tests).
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]
pub mod log;

pub mod api;
pub mod collector;
pub mod config;
pub mod graphite;
pub mod server;

/// The README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
