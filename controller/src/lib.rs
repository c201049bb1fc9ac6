//! An OpenFlow 1.3 controller framework on tokio, in Ryu's programming model.
//!
//! - An **application** ([`App`]) is one value that sees every switch (Ryu's `RyuApp`). It
//!   registers handlers per event type and connection phase ([`Handlers::on_message`],
//!   [`Handlers::on_state_change`], ...: Ryu's `@set_ev_cls(ofp_event.EventOFPPacketIn,
//!   MAIN_DISPATCHER)`), and runs on a thread of its own, fed by a bounded queue: a slow
//!   application delays only itself, and the events that do not fit its queue are counted,
//!   logged and reported to it ([`App::on_overflow`], [`QueueCounters`]); none is lost
//!   silently, and a switch's state changes are never dropped (they wait for room, in order:
//!   [`ManagerConfig::queue_len`]).
//! - A [`Datapath`] is a switch as applications hold it (Ryu's `Datapath`): send messages,
//!   make requests whose replies (multipart replies reassembled) come back as futures
//!   ([`ReplyFuture`]) or as events.
//! - Applications publish events of their own types ([`Ctx::publish`]) to the applications
//!   that registered for them ([`Handlers::on_event`]; Ryu's `send_event_to_observers`).
//! - A **context** is an application others require as a service ([`Service`],
//!   [`Builder::context`]; Ryu's `_CONTEXTS`): [`apps::lacplib`] for
//!   [`apps::simple_switch_lacp_13`], [`apps::igmplib`] for [`apps::simple_switch_igmp_13`].
//! - Timers ([`Ctx::after`]) and spawned work ([`Ctx::spawn`]) call back into the
//!   application on its thread, where it may change its state.
//! - The [`Manager`] accepts switches (a tokio task per connection, over the sans-I/O
//!   [`sdnwire_openflow::Connection`]), routes each event to the applications that registered
//!   for it, and shuts down cleanly ([`Manager::run`]). The `sdnwire-manager` binary is
//!   `ryu-manager`: `sdnwire-manager --app simple_switch_13 --app simple_monitor_13`.
//!
//! TLS toward switches: [`tls`]; two managers with OpenFlow roles: [`roles`].
//!
//! The crate's README shows an application of one's own in twenty lines; the Ryu book's
//! applications are in [`apps`], registered by name in [`apps::APPS`].
//!
//! # Threads, and what they cost
//!
//! Connections are tokio tasks; each application is a thread of its own that runs the
//! runtime's futures for it (timers, spawned work) and calls its handlers in order, as each
//! Ryu application is a greenlet of its own. A handler may block or compute without stalling
//! the switches or the other applications (the flood test measures that). The price is two
//! thread wake-ups per PACKET_IN answered (the application's thread, then the connection's
//! task): about 4x the round-trip latency of a bare connection with one PACKET_IN outstanding,
//! 1.2x with 64 (BENCHMARKS.md, `examples/packet_in_rtt.rs`).
//!
//! # Time
//!
//! The manager reads one clock ([`clock`]), the workspace's [`Instant`]: connections,
//! handlers ([`Ctx::now`]) and the state machines applications drive get the same value.

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
pub mod app;
pub mod apps;
pub mod datapath;
pub mod manager;
pub mod roles;
pub mod tls;

pub use app::{App, Ctx, Handlers, OfEvent, OfHandler, OfKind, Phases, QueueOverflow, TimerId};
pub use datapath::{Datapath, ReplyFuture, RequestError};
pub use manager::{
    clock, shutdown_signal, BuildError, Builder, Level, Manager, ManagerConfig, ManagerHandle,
    QueueCounters, Service,
};
pub use roles::RoleConfig;
pub use sdnwire_openflow::connection::State;
pub use sdnwire_packet::time::Instant;

// The crate's README: every Rust block compiles.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct Readme;
