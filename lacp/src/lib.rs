//! Sans-I/O IEEE 802.1AX-2014 link aggregation (LACP) for switch agents and SDN controllers.
//!
//! A [`Bond`] holds the per-port state machines of 802.1AX-2014 §6.4 for a set of ports of
//! one system: receive, periodic transmission, selection, mux (coupled control), transmit
//! (with the 3-per-fast-period rate limit and NTT), actor and partner churn detection, and a
//! marker responder. It does no I/O and reads no clock: the runtime hands it received frames,
//! link changes and the current [`Instant`](std::time::Instant), and drains what it must send
//! and what happened. A per-port [`Mode::Lacplib`] reproduces the seed Ryu `lacplib`
//! (answer every LACPDU, enable/disable the port as PDUs come and go).
//!
//! # Using a bond (the order of calls, as quinn-proto documents its `Connection`)
//!
//! * **Configuration**: [`Bond::new`], [`Bond::add_port`], [`Bond::remove_port`],
//!   [`Bond::set_port_config`].
//! * **Inputs** (`handle_*`, each with the current time): [`Bond::handle_frame`] for every
//!   slow-protocols frame received on a member port (the whole Ethernet frame),
//!   [`Bond::handle_link`] when a link goes up or down, [`Bond::handle_timeout`] when the
//!   instant of [`Bond::poll_timeout`] has come (calling it early or twice is harmless).
//! * **Outputs**, after every input, in this order: [`Bond::poll_transmit`] until `None`
//!   (send each frame on its port), [`Bond::poll_event`] until `None`, then
//!   [`Bond::poll_timeout`] to learn when to call [`Bond::handle_timeout`] next.
//! * **Getters**: [`Bond::port_state`] (what `ovs-appctl lacp/show` shows),
//!   [`Bond::counters`] (`lacp/show-stats`), [`Bond::ports`].
//!
//! Time never goes backwards for a bond: a `now` earlier than the latest one seen counts as
//! the latest. Memory is allocated when the bond is created ([`Config::max_ports`],
//! [`Config::max_events`]); after that, inputs and outputs allocate nothing.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use sdnwire_lacp::{Bond, Config, Event, PortConfig};
//! use sdnwire_packet::MacAddr;
//!
//! let mut a = Bond::new(Config::new(MacAddr::new(2, 0, 0, 0, 0, 1)));
//! let mut b = Bond::new(Config::new(MacAddr::new(2, 0, 0, 0, 0, 2)));
//! a.add_port(1, PortConfig::new(MacAddr::new(2, 0, 0, 0, 1, 1))).unwrap();
//! b.add_port(1, PortConfig::new(MacAddr::new(2, 0, 0, 0, 2, 1))).unwrap();
//! let mut now = Instant::now();
//! a.handle_link(now, 1, true).unwrap();
//! b.handle_link(now, 1, true).unwrap();
//! let mut enabled = false;
//! for _ in 0..100 {
//!     // Carry every frame across the (perfect) link.
//!     while let Some(tx) = a.poll_transmit() {
//!         let (port, frame) = (tx.port, tx.frame.to_vec());
//!         b.handle_frame(now, port, &frame);
//!     }
//!     while let Some(tx) = b.poll_transmit() {
//!         let (port, frame) = (tx.port, tx.frame.to_vec());
//!         a.handle_frame(now, port, &frame);
//!     }
//!     while let Some(ev) = a.poll_event() {
//!         enabled |= ev == Event::PortEnabled { port: 1 };
//!     }
//!     while b.poll_event().is_some() {}
//!     // Jump the virtual clock to the next wake-up.
//!     let wake = [a.poll_timeout(), b.poll_timeout()].into_iter().flatten().min();
//!     now = wake.unwrap_or(now + Duration::from_secs(1)).max(now);
//!     a.handle_timeout(now);
//!     b.handle_timeout(now);
//! }
//! assert!(enabled);
//! assert!(a.port_state(1).unwrap().collecting_distributing());
//! ```
//!
//! # What it does not do
//! * Independent collecting/distributing control, the 802.1AX-2014 DRNI (distributed
//!   relay), version-2 TLVs (conversation-sensitive collection), limits on the number of
//!   links per aggregator (no STANDBY ports), and the marker *generator* (it answers
//!   markers, it does not send them).
//! * Frame distribution: it says which ports may carry traffic; hashing flows onto them is
//!   the runtime's business.
#![cfg_attr(docsrs, feature(doc_auto_cfg))]
#![cfg_attr(
    not(test),
    warn(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

mod bond;
mod config;
mod error;
mod event;
mod state;

pub use bond::{Bond, Transmit};
pub use config::{
    Config, Mode, PortConfig, Rate, AGGREGATE_WAIT_TIME, CHURN_DETECTION_TIME, FAST_PERIODIC_TIME,
    LONG_TIMEOUT_TIME, MAX_TX_PER_FAST_PERIOD, SHORT_TIMEOUT_TIME, SLOW_PERIODIC_TIME,
};
pub use error::Error;
pub use event::{BadFrame, Event};
pub use state::{ChurnState, Counters, MuxState, PeriodicState, PortState, RxState};

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The slow protocols EtherType.
pub const ETHERTYPE_SLOW: u16 = 0x8809;
/// Length of every frame a bond sends: a 14-byte Ethernet header and a 110-byte LACPDU or
/// marker PDU (no padding needed).
pub const FRAME_LEN: usize = 124;
