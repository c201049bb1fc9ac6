//! Sans-I/O IEEE 802.1AX-2014 link aggregation (LACP) for switch agents and SDN controllers.
//!
//! A [`Bond`] holds the per-port state machines of 802.1AX-2014 §6.4 for a set of ports of
//! one system: receive, periodic transmission, selection, mux (coupled control), transmit
//! (with the 3-per-fast-period rate limit and NTT), actor and partner churn detection, and a
//! marker responder. It does no I/O and reads no clock: the runtime hands it received frames,
//! link changes and the current [`Instant`] (nanoseconds since an origin the runtime picks;
//! a simulation starts at [`Instant::ZERO`], a real runtime uses
//! `sdnwire_packet::time::Clock`), and drains what it must send and what happened. A
//! per-port [`Mode::Lacplib`] reproduces Ryu's `lacplib` (answer every LACPDU,
//! enable/disable the port as PDUs come and go).
//!
//! The crate is `no_std` + `alloc`; the default `std` feature adds nothing to the API but
//! `std` builds of its dependencies, and `serde` derives `Serialize`/`Deserialize` for the
//! owned types (configuration, events, states, counters, [`Transmit`]).
//!
//! # Using a bond
//!
//! A [`Bond`] has the shape of every state machine of this workspace (quinn-proto's, with
//! str0m's discipline on time). Its methods, sorted as quinn-proto sorts its `Connection`'s:
//!
//! * **Construction**: [`Bond::new(config, now)`](Bond::new): the bond runs from `now`;
//!   [`Bond::poll_timeout`] is valid at once.
//! * **Getters** (no side effect): [`Bond::port_state`] (what `ovs-appctl lacp/show` shows;
//!   always the truth), [`Bond::counters`] (`lacp/show-stats`), [`Bond::stats`] (bad input
//!   and dropped events), [`Bond::ports`], [`Bond::config`], [`Bond::pending_transmits`],
//!   [`Bond::pending_events`].
//! * **Inputs** (`handle_*`, each with the current time): [`Bond::handle_frame`] for every
//!   slow-protocols frame received on a member port (the whole Ethernet frame),
//!   [`Bond::handle_link`] when a link goes up or down, [`Bond::handle_pdu_timeout`] when
//!   the runtime learned by other means that LACPDUs stopped, and [`Bond::handle_timeout`]
//!   when the instant of [`Bond::poll_timeout`] has come (calling it early or twice is
//!   harmless). Bad input (an unknown port, a malformed or foreign frame) is an [`Error`]
//!   that says what and which port, is counted in [`Bond::stats`], changes no state and is
//!   never an event.
//! * **Mutators** (configuration, each with the current time but `add_port`):
//!   [`Bond::add_port`], [`Bond::remove_port`], [`Bond::set_port_config`].
//! * **Outputs** (`poll_*`), after every input or mutator, **in this order**:
//!   1. [`Bond::poll_transmit`] until `None`: each call writes one frame into the caller's
//!      buffer and says on which port to send it;
//!   2. [`Bond::poll_event`] until `None`: state changes, port by port. No event is lost:
//!      when more than [`Config::max_events`] pile up, the bond delivers [`Event::Resync`]
//!      and the runtime reads [`Bond::port_state`] instead;
//!   3. [`Bond::poll_timeout`]: sleep until that instant (or the next input), then call
//!      [`Bond::handle_timeout`]. No state changes before it unless an input comes.
//!
//! Time never goes backwards for a bond: a `now` earlier than the latest one seen counts as
//! the latest. Memory is allocated when the bond is created ([`Config::max_ports`],
//! [`Config::max_events`]); after that, inputs and outputs allocate nothing (the caller's
//! transmit buffer grows once, to [`FRAME_LEN`] bytes).
//!
//! ```
//! use core::time::Duration;
//! use sdnwire_lacp::{Bond, Config, Event, Instant, PortConfig};
//! use sdnwire_packet::MacAddr;
//!
//! let mut now = Instant::ZERO;
//! let mut a = Bond::new(Config::new(MacAddr::new(2, 0, 0, 0, 0, 1)), now);
//! let mut b = Bond::new(Config::new(MacAddr::new(2, 0, 0, 0, 0, 2)), now);
//! a.add_port(1, PortConfig::new(MacAddr::new(2, 0, 0, 0, 1, 1))).unwrap();
//! b.add_port(1, PortConfig::new(MacAddr::new(2, 0, 0, 0, 2, 1))).unwrap();
//! let mut buf = Vec::new();
//! let mut enabled = false;
//! for _ in 0..100 {
//!     // Timers (and, at first, the new ports' start).
//!     a.handle_timeout(now);
//!     b.handle_timeout(now);
//!     // Carry every frame across the (perfect) link, then read the events.
//!     while let Some(tx) = a.poll_transmit(&mut buf) {
//!         b.handle_frame(now, tx.port, &buf).unwrap();
//!     }
//!     while let Some(tx) = b.poll_transmit(&mut buf) {
//!         a.handle_frame(now, tx.port, &buf).unwrap();
//!     }
//!     while let Some(ev) = a.poll_event() {
//!         enabled |= ev == Event::PortEnabled { port: 1 };
//!     }
//!     while b.poll_event().is_some() {}
//!     // Jump the virtual clock to the next wake-up.
//!     let wake = [a.poll_timeout(), b.poll_timeout()].into_iter().flatten().min();
//!     now = wake.unwrap_or(now + Duration::from_secs(1)).max(now);
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
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Parsers face hostile input: no panicking index, unwrap, expect or panic in library code
// (the workspace lints warn everywhere; here they are errors outside tests).
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod bond;
mod config;
mod error;
mod event;
mod state;
mod transmit;

pub use bond::Bond;
pub use config::{
    Config, Mode, PortConfig, Rate, AGGREGATE_WAIT_TIME, CHURN_DETECTION_TIME, FAST_PERIODIC_TIME,
    LONG_TIMEOUT_TIME, MAX_TX_PER_FAST_PERIOD, SHORT_TIMEOUT_TIME, SLOW_PERIODIC_TIME,
};
pub use error::{BadFrame, Error};
pub use event::Event;
pub use state::{ChurnState, Counters, MuxState, PeriodicState, PortState, RxState, Stats};
pub use transmit::{Transmit, TransmitKind};

/// The time type of every state machine of the workspace, re-exported from
/// `sdnwire_packet::time`.
pub use sdnwire_packet::time::Instant;

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The slow protocols EtherType.
pub const ETHERTYPE_SLOW: u16 = 0x8809;
/// Length of every frame a bond sends: a 14-byte Ethernet header and a 110-byte LACPDU or
/// marker PDU (no padding needed).
pub const FRAME_LEN: usize = 124;
