//! What a [`Bond`](crate::Bond) tells its runtime.

use core::fmt;
use core::time::Duration;

use sdnwire_packet::slow::LacpInfo;

use crate::state::RxState;

/// Something that happened on a port, returned by [`Bond::poll_event`](crate::Bond::poll_event).
///
/// With coupled mux control (the only one implemented), collecting and distributing switch
/// together: [`Collecting`](Event::Collecting) then [`Distributing`](Event::Distributing) with
/// `on: true`, then [`PortEnabled`](Event::PortEnabled); and in reverse when they stop. A
/// [`Mode::Lacplib`](crate::Mode::Lacplib) port says the same when LACPDUs start and stop.
///
/// Every event is a change of [`Bond::port_state`](crate::Bond::port_state): a runtime that
/// applies them in order to a port's state read when it added the port (and reads the state
/// again after [`Event::Resync`]) has the bond's own view of the aggregator, attached,
/// collecting, distributing, enabled, the partner's identity, the lacplib partner timeout,
/// the receive machine's state and churn.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Event {
    /// The selection logic chose an aggregator for the port (Selected = SELECTED). The
    /// aggregator is named by the identifier of the port whose aggregator it is.
    PortSelected {
        /// The port.
        port: u32,
        /// The aggregator.
        aggregator: u32,
    },
    /// The port left its aggregator (Selected = UNSELECTED): new partner, new key, link
    /// down, LACP disabled.
    PortUnselected {
        /// The port.
        port: u32,
        /// The aggregator it left.
        aggregator: u32,
    },
    /// The mux machine attached the port to its aggregator (ATTACHED).
    Attached {
        /// The port.
        port: u32,
    },
    /// The mux machine detached the port from its aggregator (DETACHED).
    Detached {
        /// The port.
        port: u32,
    },
    /// Collection of frames received on the port started or stopped.
    Collecting {
        /// The port.
        port: u32,
        /// Whether the port now collects.
        on: bool,
    },
    /// Distribution of frames on the port started or stopped.
    Distributing {
        /// The port.
        port: u32,
        /// Whether the port now distributes.
        on: bool,
    },
    /// The port now carries traffic (collecting and distributing; in [`Mode::Lacplib`]:
    /// LACPDUs arrive). Ryu's lacplib `EventSlaveStateChanged(enabled=True)`.
    ///
    /// [`Mode::Lacplib`]: crate::Mode::Lacplib
    PortEnabled {
        /// The port.
        port: u32,
    },
    /// The port no longer carries traffic. Ryu's lacplib
    /// `EventSlaveStateChanged(enabled=False)`: flush what was learned through it.
    PortDisabled {
        /// The port.
        port: u32,
    },
    /// The partner's identity (system, key, port) on the port changed: a received LACPDU
    /// named another partner, or the port fell back to the administrative defaults.
    PartnerChanged {
        /// The port.
        port: u32,
        /// The new operational partner information.
        partner: LacpInfo,
    },
    /// [`Mode::Lacplib`](crate::Mode::Lacplib) only: the timeout the partner asks for (its
    /// LACP_Timeout bit), given when the port is enabled and whenever it changes while the
    /// port stays enabled ([`PortState::partner_timeout`](crate::PortState::partner_timeout)).
    /// This is when Ryu's lacplib re-installs its LACP flow with the new `idle_timeout`.
    PartnerTimeout {
        /// The port.
        port: u32,
        /// 3 s (short) or 90 s (long).
        timeout: Duration,
    },
    /// The receive machine changed state (CURRENT, EXPIRED, DEFAULTED, ...).
    Receive {
        /// The port.
        port: u32,
        /// The new state.
        state: RxState,
    },
    /// Actor churn (the actor not in sync for churn_detection_time, 60 s) started or ended.
    ActorChurn {
        /// The port.
        port: u32,
        /// Whether churn is now detected.
        on: bool,
    },
    /// Partner churn started or ended.
    PartnerChurn {
        /// The port.
        port: u32,
        /// Whether churn is now detected.
        on: bool,
    },
    /// Events were dropped because [`Config::max_events`](crate::Config::max_events) were
    /// already queued: what the runtime learned from events may be out of date. Read
    /// [`Bond::port_state`](crate::Bond::port_state) for every port (the getters are always
    /// the truth); the events that follow are changes from that state.
    Resync,
}

impl Event {
    /// The port the event is about; `None` for [`Event::Resync`], which is about them all.
    pub fn port(&self) -> Option<u32> {
        Some(match *self {
            Event::PortSelected { port, .. }
            | Event::PortUnselected { port, .. }
            | Event::Attached { port }
            | Event::Detached { port }
            | Event::Collecting { port, .. }
            | Event::Distributing { port, .. }
            | Event::PortEnabled { port }
            | Event::PortDisabled { port }
            | Event::PartnerChanged { port, .. }
            | Event::PartnerTimeout { port, .. }
            | Event::Receive { port, .. }
            | Event::ActorChurn { port, .. }
            | Event::PartnerChurn { port, .. } => port,
            Event::Resync => return None,
        })
    }
}

impl fmt::Display for Event {
    /// `port 1: ` and what happened, in `ovs-appctl lacp/show`'s words where it has them:
    /// `port 1: attached`, `port 1: receive CURRENT`, `port 1: collecting distributing`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let on_off = |on: bool| if on { "" } else { "not " };
        match self {
            Event::PortSelected { port, aggregator } => {
                write!(f, "port {port}: selected aggregator {aggregator}")
            }
            Event::PortUnselected { port, aggregator } => {
                write!(f, "port {port}: unselected from aggregator {aggregator}")
            }
            Event::Attached { port } => write!(f, "port {port}: attached"),
            Event::Detached { port } => write!(f, "port {port}: detached"),
            Event::Collecting { port, on } => write!(f, "port {port}: {}collecting", on_off(*on)),
            Event::Distributing { port, on } => {
                write!(f, "port {port}: {}distributing", on_off(*on))
            }
            Event::PortEnabled { port } => write!(f, "port {port}: may_enable: true"),
            Event::PortDisabled { port } => write!(f, "port {port}: may_enable: false"),
            Event::PartnerChanged { port, partner } => write!(
                f,
                "port {port}: partner sys_id: {} sys_priority: {} port_id: {} port_priority: {} key: {}",
                partner.system,
                partner.system_priority,
                partner.port,
                partner.port_priority,
                partner.key
            ),
            Event::PartnerTimeout { port, timeout } => {
                write!(f, "port {port}: partner timeout {} s", timeout.as_secs())
            }
            Event::Receive { port, state } => write!(f, "port {port}: receive {state}"),
            Event::ActorChurn { port, on } => {
                write!(f, "port {port}: actor churn {}", if *on { "CHURN" } else { "NO_CHURN" })
            }
            Event::PartnerChurn { port, on } => write!(
                f,
                "port {port}: partner churn {}",
                if *on { "CHURN" } else { "NO_CHURN" }
            ),
            Event::Resync => f.write_str("resync: events were dropped, read every port's state"),
        }
    }
}
