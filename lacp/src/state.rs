//! What the getters report: the states of the per-port machines and the per-port counters.

use core::fmt;
use core::time::Duration;

use sdnwire_packet::slow::{LacpInfo, LacpState};

use crate::config::{Mode, Rate};

/// The receive machine's state (802.1AX-2014 §6.4.12). INITIALIZE is transient and never
/// observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RxState {
    /// The link is down (port_enabled is false).
    PortDisabled,
    /// The link is up but LACP is disabled on the port: it runs as an individual link.
    LacpDisabled,
    /// No LACPDU for `current_while`: the partner is kept with a short timeout for one more
    /// short timeout.
    Expired,
    /// No LACPDU for two timeouts in a row, or none ever: the partner is the administrative
    /// default.
    Defaulted,
    /// The partner information comes from an LACPDU received within `current_while`.
    Current,
}

impl fmt::Display for RxState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RxState::PortDisabled => "PORT_DISABLED",
            RxState::LacpDisabled => "LACP_DISABLED",
            RxState::Expired => "EXPIRED",
            RxState::Defaulted => "DEFAULTED",
            RxState::Current => "CURRENT",
        })
    }
}

/// The periodic transmission machine's state (§6.4.13). PERIODIC_TX is transient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PeriodicState {
    /// No periodic transmission: link down, LACP disabled, or both ends passive.
    NoPeriodic,
    /// Every fast_periodic_time (1 s): the partner asks for a short timeout.
    Fast,
    /// Every slow_periodic_time (30 s): the partner asks for a long timeout.
    Slow,
}

impl fmt::Display for PeriodicState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PeriodicState::NoPeriodic => "NO_PERIODIC",
            PeriodicState::Fast => "FAST_PERIODIC",
            PeriodicState::Slow => "SLOW_PERIODIC",
        })
    }
}

/// The mux machine's state (§6.4.15, coupled control: collecting and distributing switch
/// together).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum MuxState {
    /// Not attached to any aggregator.
    Detached,
    /// Selected, waiting `wait_while` (aggregate_wait_time, 2 s) for the other ports of the
    /// aggregator before attaching.
    Waiting,
    /// Attached to the aggregator, in sync, waiting for the partner to be in sync.
    Attached,
    /// Attached, and collecting and distributing.
    CollectingDistributing,
}

impl fmt::Display for MuxState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MuxState::Detached => "DETACHED",
            MuxState::Waiting => "WAITING",
            MuxState::Attached => "ATTACHED",
            MuxState::CollectingDistributing => "COLLECTING_DISTRIBUTING",
        })
    }
}

/// An actor or partner churn detection machine's state (§6.4.17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ChurnState {
    /// Out of sync, timing churn_detection_time (60 s).
    Monitor,
    /// In sync.
    NoChurn,
    /// Out of sync for longer than churn_detection_time.
    Churn,
}

impl fmt::Display for ChurnState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChurnState::Monitor => "CHURN_MONITOR",
            ChurnState::NoChurn => "NO_CHURN",
            ChurnState::Churn => "CHURN",
        })
    }
}

/// Per-port counters, as Open vSwitch's `ovs-appctl lacp/show-stats` shows them and more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Counters {
    /// LACPDUs sent (OVS: "TX PDUs").
    pub tx_pdus: u64,
    /// Marker Response PDUs sent.
    pub tx_marker_responses: u64,
    /// Valid LACPDUs received (OVS: "RX PDUs").
    pub rx_pdus: u64,
    /// Marker Information PDUs received (OVS: "RX Marker Request PDUs").
    pub rx_marker_requests: u64,
    /// Marker Response PDUs received.
    pub rx_marker_responses: u64,
    /// Malformed LACP or marker PDUs received (OVS: "RX Bad PDUs").
    pub rx_bad: u64,
    /// Frames that are not LACP or marker (another EtherType or slow-protocols subtype).
    pub rx_foreign: u64,
    /// Valid PDUs received while the link was down or LACP disabled, ignored.
    pub rx_ignored: u64,
    /// LACPDUs whose actor is this bond's own system (a loop), ignored.
    pub rx_looped: u64,
    /// Times the receive machine went CURRENT → EXPIRED (OVS: "Link Expired").
    pub link_expired: u64,
    /// Times the receive machine entered DEFAULTED (OVS: "Link Defaulted").
    pub link_defaulted: u64,
    /// Link up/down changes from [`Bond::handle_link`](crate::Bond::handle_link) (OVS:
    /// "Carrier Status Changed").
    pub carrier_changed: u64,
    /// Times actor churn was detected.
    pub actor_churn: u64,
    /// Times partner churn was detected.
    pub partner_churn: u64,
    /// LACPDU transmissions held back by the rate limit (3 per fast_periodic_time).
    pub tx_rate_limited: u64,
    /// Marker responses replaced by a newer request before they were sent.
    pub tx_marker_dropped: u64,
}

impl fmt::Display for Counters {
    /// The lines of `ovs-appctl lacp/show-stats` for one member, then ours:
    /// `TX PDUs: 63`, `RX PDUs: 62`, ... one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "TX PDUs: {}", self.tx_pdus)?;
        writeln!(f, "RX PDUs: {}", self.rx_pdus)?;
        writeln!(f, "RX Bad PDUs: {}", self.rx_bad)?;
        writeln!(f, "RX Marker Request PDUs: {}", self.rx_marker_requests)?;
        writeln!(f, "Link Expired: {}", self.link_expired)?;
        writeln!(f, "Link Defaulted: {}", self.link_defaulted)?;
        writeln!(f, "Carrier Status Changed: {}", self.carrier_changed)?;
        writeln!(f, "TX Marker Response PDUs: {}", self.tx_marker_responses)?;
        writeln!(f, "RX Marker Response PDUs: {}", self.rx_marker_responses)?;
        writeln!(f, "RX Foreign Frames: {}", self.rx_foreign)?;
        writeln!(f, "RX Ignored PDUs: {}", self.rx_ignored)?;
        writeln!(f, "RX Looped PDUs: {}", self.rx_looped)?;
        writeln!(f, "Actor Churn: {}", self.actor_churn)?;
        writeln!(f, "Partner Churn: {}", self.partner_churn)?;
        writeln!(f, "TX Rate Limited: {}", self.tx_rate_limited)?;
        write!(f, "TX Marker Responses Dropped: {}", self.tx_marker_dropped)
    }
}

/// The bond's own counters, from [`Bond::stats`](crate::Bond::stats): bad input (which is
/// an error, never an event) and the event queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Stats {
    /// Inputs (`handle_frame`, `handle_link`, `handle_pdu_timeout`) for a port that is not
    /// in the bond ([`Error::UnknownPort`](crate::Error::UnknownPort)).
    pub unknown_port: u64,
    /// Frames refused by `handle_frame` ([`Error::BadFrame`](crate::Error::BadFrame)), on
    /// every port, removed ones included; the port's [`Counters::rx_bad`] or
    /// [`Counters::rx_foreign`] counts it too.
    pub bad_frames: u64,
    /// Events dropped because [`Config::max_events`](crate::Config::max_events) were
    /// already queued (the queued ones included: an overflow empties the queue).
    pub events_dropped: u64,
    /// [`Event::Resync`](crate::Event::Resync)s owed: one per overflow.
    pub resyncs: u64,
}

impl fmt::Display for Stats {
    /// `unknown port: 0, bad frames: 0, events dropped: 0, resyncs: 0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown port: {}, bad frames: {}, events dropped: {}, resyncs: {}",
            self.unknown_port, self.bad_frames, self.events_dropped, self.resyncs
        )
    }
}

/// A port's state, as `ovs-appctl lacp/show` shows it: actor and partner information and
/// the state of every machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PortState {
    /// The port identifier.
    pub port: u32,
    /// The port's mode.
    pub mode: Mode,
    /// The rate the port asks of its partner.
    pub rate: Rate,
    /// The link is up (802.1AX port_enabled).
    pub link_up: bool,
    /// The actor's operational information, as sent in the next LACPDU.
    pub actor: LacpInfo,
    /// The partner's operational information (received, or the administrative default).
    pub partner: LacpInfo,
    /// The receive machine.
    pub receive: RxState,
    /// The periodic transmission machine.
    pub periodic: PeriodicState,
    /// The mux machine.
    pub mux: MuxState,
    /// The aggregator the selection logic chose (Selected = SELECTED), if any.
    pub aggregator: Option<u32>,
    /// The actor churn machine.
    pub actor_churn: ChurnState,
    /// The partner churn machine.
    pub partner_churn: ChurnState,
    /// The actor's Collecting bit (in [`Mode::Lacplib`], which has no mux machine: the port
    /// is enabled).
    pub collecting: bool,
    /// The actor's Distributing bit (in [`Mode::Lacplib`]: the port is enabled).
    pub distributing: bool,
    /// In [`Mode::Lacplib`]: the port is enabled (LACPDUs arrive). In the 802.1AX modes:
    /// the port is collecting and distributing.
    pub enabled: bool,
    /// In [`Mode::Lacplib`], while the port is enabled: the timeout the partner asks for
    /// (3 s or 90 s; what the last [`Event::PartnerTimeout`](crate::Event::PartnerTimeout)
    /// said). `None` otherwise.
    pub partner_timeout: Option<Duration>,
}

/// `ovs-appctl lacp/show`'s words for the bits of an actor or partner state.
fn write_lacp_state(f: &mut fmt::Formatter<'_>, s: LacpState) -> fmt::Result {
    let bits = [
        (s.activity(), "activity"),
        (s.timeout(), "timeout"),
        (s.aggregation(), "aggregation"),
        (s.synchronization(), "synchronized"),
        (s.collecting(), "collecting"),
        (s.distributing(), "distributing"),
        (s.defaulted(), "defaulted"),
        (s.expired(), "expired"),
    ];
    let mut sep = "";
    for (on, name) in bits {
        if on {
            write!(f, "{sep}{name}")?;
            sep = " ";
        }
    }
    Ok(())
}

fn write_info(f: &mut fmt::Formatter<'_>, who: &str, i: &LacpInfo) -> fmt::Result {
    writeln!(f, "  {who} sys_id: {}", i.system)?;
    writeln!(f, "  {who} sys_priority: {}", i.system_priority)?;
    writeln!(f, "  {who} port_id: {}", i.port)?;
    writeln!(f, "  {who} port_priority: {}", i.port_priority)?;
    writeln!(f, "  {who} key: {}", i.key)?;
    write!(f, "  {who} state: ")?;
    write_lacp_state(f, i.state)
}

impl fmt::Display for PortState {
    /// A member's block of `ovs-appctl lacp/show`, then the machines' states:
    ///
    /// ```text
    /// member: 1: current attached
    ///   port_id: 1
    ///   port_priority: 32768
    ///   may_enable: true
    ///   ...
    ///   actor state: activity timeout aggregation synchronized collecting distributing
    ///   ...
    ///   receive: CURRENT, periodic: FAST_PERIODIC, mux: COLLECTING_DISTRIBUTING, ...
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "member: {}:", self.port)?;
        match self.receive {
            RxState::Current => f.write_str(" current")?,
            RxState::Expired => f.write_str(" expired")?,
            RxState::Defaulted => f.write_str(" defaulted")?,
            RxState::PortDisabled | RxState::LacpDisabled => {}
        }
        if self.attached() {
            f.write_str(" attached")?;
        }
        writeln!(f)?;
        writeln!(f, "  port_id: {}", self.actor.port)?;
        writeln!(f, "  port_priority: {}", self.actor.port_priority)?;
        writeln!(f, "  may_enable: {}", self.enabled)?;
        writeln!(f)?;
        write_info(f, "actor", &self.actor)?;
        writeln!(f)?;
        writeln!(f)?;
        write_info(f, "partner", &self.partner)?;
        writeln!(f)?;
        writeln!(f)?;
        writeln!(
            f,
            "  mode: {}, lacp_time: {}, link: {}",
            self.mode,
            self.rate,
            if self.link_up { "up" } else { "down" }
        )?;
        write!(
            f,
            "  receive: {}, periodic: {}, mux: {}, actor churn: {}, partner churn: {}",
            self.receive, self.periodic, self.mux, self.actor_churn, self.partner_churn
        )?;
        if let Some(a) = self.aggregator {
            write!(f, ", aggregator: {a}")?;
        }
        if let Some(t) = self.partner_timeout {
            write!(f, ", partner timeout: {} s", t.as_secs())?;
        }
        Ok(())
    }
}

impl PortState {
    /// True when the port is attached to its aggregator (ATTACHED or
    /// COLLECTING_DISTRIBUTING), as `lacp/show`'s "attached".
    pub fn attached(&self) -> bool {
        matches!(
            self.mux,
            MuxState::Attached | MuxState::CollectingDistributing
        )
    }

    /// True when the partner information is current (`lacp/show`'s "current").
    pub fn current(&self) -> bool {
        self.receive == RxState::Current
    }

    /// True when the receive machine is EXPIRED.
    pub fn expired(&self) -> bool {
        self.receive == RxState::Expired
    }

    /// True when the partner information is the administrative default.
    pub fn defaulted(&self) -> bool {
        self.actor.state.defaulted()
    }

    /// True when the port collects and distributes.
    pub fn collecting_distributing(&self) -> bool {
        self.mux == MuxState::CollectingDistributing
    }
}
