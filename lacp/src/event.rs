//! What a [`Bond`](crate::Bond) tells its runtime.

use core::fmt;
use core::time::Duration;

use sdnwire_packet::slow::LacpInfo;

use crate::state::RxState;

/// Something that happened on a port, returned by [`Bond::poll_event`](crate::Bond::poll_event).
///
/// With coupled mux control (the only one implemented), collecting and distributing switch
/// together: [`Collecting`](Event::Collecting) then [`Distributing`](Event::Distributing) with
/// `on: true`, then [`PortEnabled`](Event::PortEnabled); and in reverse when they stop.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
    /// LACPDUs arrive). The seed lacplib's `EventSlaveStateChanged(enabled=True)`.
    ///
    /// [`Mode::Lacplib`]: crate::Mode::Lacplib
    PortEnabled {
        /// The port.
        port: u32,
    },
    /// The port no longer carries traffic. The seed lacplib's
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
    /// The timeout the partner asks for (its LACP_Timeout bit) changed. In
    /// [`Mode::Lacplib`](crate::Mode::Lacplib) this is when the seed re-installs its LACP flow
    /// with the new `idle_timeout`.
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
    /// A frame that is not a valid slow-protocols PDU for us arrived on the port; it was
    /// counted ([`Counters::rx_bad`](crate::Counters::rx_bad) or
    /// [`Counters::rx_foreign`](crate::Counters::rx_foreign)) and ignored.
    BadPdu {
        /// The port.
        port: u32,
        /// Why it was refused.
        reason: BadFrame,
    },
    /// A frame arrived for a port that is not in the bond; it was ignored.
    UnknownPort {
        /// The port identifier the runtime gave.
        port: u32,
    },
}

impl Event {
    /// The port the event is about.
    pub fn port(&self) -> u32 {
        match *self {
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
            | Event::PartnerChurn { port, .. }
            | Event::BadPdu { port, .. }
            | Event::UnknownPort { port } => port,
        }
    }
}

/// Why a received frame was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum BadFrame {
    /// Shorter than an Ethernet header.
    Truncated {
        /// Bytes received.
        len: usize,
    },
    /// Not a slow-protocols frame (EtherType other than 0x8809; a VLAN tag counts as other).
    NotSlowProtocols {
        /// The EtherType found at offset 12.
        ethertype: u16,
    },
    /// A slow protocol other than LACP and marker (OAM, OSSP, ...).
    UnknownSubtype {
        /// The subtype octet (offset 14).
        subtype: u8,
    },
    /// An LACPDU or marker PDU that `sdnwire_packet::slow` refuses; offsets in the error are from
    /// the start of the PDU (frame offset 14).
    Malformed(#[cfg_attr(feature = "serde", serde(skip))] sdnwire_packet::Error),
    /// A marker PDU whose TLV type is neither information nor response.
    UnknownMarkerType {
        /// The TLV type octet.
        tlv_type: u8,
    },
}

impl fmt::Display for BadFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadFrame::Truncated { len } => {
                write!(f, "frame of {len} bytes is shorter than an Ethernet header")
            }
            BadFrame::NotSlowProtocols { ethertype } => {
                write!(
                    f,
                    "EtherType {ethertype:#06x} is not slow protocols (0x8809)"
                )
            }
            BadFrame::UnknownSubtype { subtype } => {
                write!(
                    f,
                    "slow protocols subtype {subtype} is neither LACP nor marker"
                )
            }
            BadFrame::Malformed(e) => write!(f, "malformed PDU (offsets from byte 14): {e}"),
            BadFrame::UnknownMarkerType { tlv_type } => {
                write!(
                    f,
                    "marker TLV type {tlv_type} is neither information nor response"
                )
            }
        }
    }
}
