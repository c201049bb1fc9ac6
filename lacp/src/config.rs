//! Configuration of a bond and of its ports.

use core::fmt;
use core::time::Duration;

use sdnwire_packet::MacAddr;

/// How a port speaks LACP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Mode {
    /// Active LACP (802.1AX LACP_Activity = 1): the port transmits LACPDUs periodically
    /// whether or not the partner does.
    #[default]
    Active,
    /// Passive LACP (LACP_Activity = 0): the port transmits only once it has heard an
    /// active partner. Two passive ends never aggregate.
    Passive,
    /// Ryu's `lacplib` behaviour (what the Ryu book's `simple_switch_lacp_13` runs), not
    /// 802.1AX: no machines run; each received
    /// LACPDU is answered at once with a PDU whose partner fields are the received actor fields
    /// (actor system priority 0xffff, port priority 0xff, the received key, state bits copied
    /// from the received actor state with activity, defaulted and expired clear, collector max
    /// delay 0); the port is watched with the timeout the received actor's timeout bit asks for
    /// (3 s short, 90 s long): [`Event::PortEnabled`](crate::Event::PortEnabled) when PDUs
    /// arrive on a disabled port, [`Event::PortDisabled`](crate::Event::PortDisabled) when
    /// they stop.
    Lacplib,
}

impl fmt::Display for Mode {
    /// `active`, `passive` (as `ovs-appctl lacp/show`'s `status`), `lacplib`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Active => "active",
            Mode::Passive => "passive",
            Mode::Lacplib => "lacplib",
        })
    }
}

/// The LACP timeout an actor asks its partner to use (the actor state's LACP_Timeout bit).
///
/// It decides the partner's transmission period (fast: every 1 s, slow: every 30 s) and the
/// actor's own `current_while` timeout (short: 3 s, long: 90 s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Rate {
    /// Short timeout: the partner transmits every second, the link is declared expired 3 s
    /// after the last LACPDU.
    #[default]
    Fast,
    /// Long timeout: the partner transmits every 30 s, the link is declared expired 90 s
    /// after the last LACPDU.
    Slow,
}

impl fmt::Display for Rate {
    /// `fast` or `slow`, as `ovs-appctl lacp/show`'s `lacp_time`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rate::Fast => "fast",
            Rate::Slow => "slow",
        })
    }
}

impl Rate {
    /// The periodic transmission time a partner asking for this rate gets
    /// (fast_periodic_time 1 s, slow_periodic_time 30 s).
    pub const fn periodic_time(self) -> Duration {
        match self {
            Rate::Fast => FAST_PERIODIC_TIME,
            Rate::Slow => SLOW_PERIODIC_TIME,
        }
    }

    /// The `current_while` timeout of this rate (short 3 s, long 90 s).
    pub const fn timeout(self) -> Duration {
        match self {
            Rate::Fast => SHORT_TIMEOUT_TIME,
            Rate::Slow => LONG_TIMEOUT_TIME,
        }
    }

    /// The rate an LACP_Timeout bit stands for (1 = short = fast).
    pub const fn from_timeout_bit(short: bool) -> Self {
        if short {
            Rate::Fast
        } else {
            Rate::Slow
        }
    }
}

/// 802.1AX-2014 §6.4.4: fast_periodic_time, 1 s.
pub const FAST_PERIODIC_TIME: Duration = Duration::from_secs(1);
/// 802.1AX-2014 §6.4.4: slow_periodic_time, 30 s.
pub const SLOW_PERIODIC_TIME: Duration = Duration::from_secs(30);
/// 802.1AX-2014 §6.4.4: short_timeout_time, 3 s.
pub const SHORT_TIMEOUT_TIME: Duration = Duration::from_secs(3);
/// 802.1AX-2014 §6.4.4: long_timeout_time, 90 s.
pub const LONG_TIMEOUT_TIME: Duration = Duration::from_secs(90);
/// 802.1AX-2014 §6.4.4: aggregate_wait_time, 2 s.
pub const AGGREGATE_WAIT_TIME: Duration = Duration::from_secs(2);
/// 802.1AX-2014 §6.4.4: churn_detection_time, 60 s.
pub const CHURN_DETECTION_TIME: Duration = Duration::from_secs(60);
/// 802.1AX-2014 §6.4.16: at most this many LACPDUs in any fast_periodic_time interval.
pub const MAX_TX_PER_FAST_PERIOD: usize = 3;

/// Configuration of a [`Bond`](crate::Bond): the system (the switch or host) that owns the
/// ports, and the bounds on memory.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Config {
    /// The actor's system identifier (a MAC address, usually the switch's LOCAL port MAC or
    /// the bond's MAC).
    pub system: MacAddr,
    /// The actor's system priority (lower is better; 802.1AX's default is 32768).
    pub system_priority: u16,
    /// Most ports [`Bond::add_port`](crate::Bond::add_port) accepts. Every per-port structure
    /// is allocated for this many ports when the bond is created.
    pub max_ports: usize,
    /// Most events kept for [`Bond::poll_event`](crate::Bond::poll_event). When an event does
    /// not fit, the queue is emptied, events are dropped until the runtime polls
    /// [`Event::Resync`](crate::Event::Resync), and the drops are counted
    /// ([`Stats::events_dropped`](crate::Stats::events_dropped)): nothing is lost, the
    /// runtime reads [`Bond::port_state`](crate::Bond::port_state) instead. A bond of `n`
    /// ports that settles makes a few events per port per input; 0 turns every batch of
    /// events into one `Resync`.
    pub max_events: usize,
}

impl Config {
    /// A configuration for `system` with priority 32768, at most 64 ports and 1024 queued
    /// events.
    pub const fn new(system: MacAddr) -> Self {
        Config {
            system,
            system_priority: 32768,
            max_ports: 64,
            max_events: 1024,
        }
    }

    /// This configuration with another system priority.
    #[must_use]
    pub const fn system_priority(mut self, priority: u16) -> Self {
        self.system_priority = priority;
        self
    }

    /// This configuration with another port bound.
    #[must_use]
    pub const fn max_ports(mut self, max_ports: usize) -> Self {
        self.max_ports = max_ports;
        self
    }

    /// This configuration with another event queue bound.
    #[must_use]
    pub const fn max_events(mut self, max_events: usize) -> Self {
        self.max_events = max_events;
        self
    }
}

/// Configuration of one port of a bond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PortConfig {
    /// The port's own MAC address: the Ethernet source of every frame sent on it.
    pub mac: MacAddr,
    /// The administrative (and operational) key. Ports aggregate only with ports of the
    /// same key.
    pub key: u16,
    /// The port priority (lower is better; 802.1AX's default is 32768).
    pub priority: u16,
    /// The port number sent in LACPDUs; `None` uses the port identifier given to
    /// [`Bond::add_port`](crate::Bond::add_port), which must then fit in 16 bits.
    pub number: Option<u16>,
    /// Active, passive, or Ryu's lacplib responder.
    pub mode: Mode,
    /// The timeout this port asks its partner for (its actor LACP_Timeout bit).
    pub rate: Rate,
    /// The actor's Aggregation bit: `false` makes the port an individual link that never
    /// shares an aggregator.
    pub aggregatable: bool,
    /// 802.1AX's LACP_Enabled: `false` puts the receive machine in LACP_DISABLED, where the
    /// port runs as an individual link without LACP.
    pub lacp_enabled: bool,
}

impl PortConfig {
    /// An active, fast, aggregatable port with key 1 and priority 32768.
    pub const fn new(mac: MacAddr) -> Self {
        PortConfig {
            mac,
            key: 1,
            priority: 32768,
            number: None,
            mode: Mode::Active,
            rate: Rate::Fast,
            aggregatable: true,
            lacp_enabled: true,
        }
    }

    /// This configuration with another MAC address.
    #[must_use]
    pub const fn mac(mut self, mac: MacAddr) -> Self {
        self.mac = mac;
        self
    }

    /// This configuration with another key.
    #[must_use]
    pub const fn key(mut self, key: u16) -> Self {
        self.key = key;
        self
    }

    /// This configuration with another port priority.
    #[must_use]
    pub const fn priority(mut self, priority: u16) -> Self {
        self.priority = priority;
        self
    }

    /// This configuration with an explicit wire port number.
    #[must_use]
    pub const fn number(mut self, number: u16) -> Self {
        self.number = Some(number);
        self
    }

    /// This configuration with another mode.
    #[must_use]
    pub const fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// This configuration with another rate.
    #[must_use]
    pub const fn rate(mut self, rate: Rate) -> Self {
        self.rate = rate;
        self
    }

    /// This configuration with the Aggregation bit set or clear.
    #[must_use]
    pub const fn aggregatable(mut self, aggregatable: bool) -> Self {
        self.aggregatable = aggregatable;
        self
    }

    /// This configuration with LACP enabled or disabled.
    #[must_use]
    pub const fn lacp_enabled(mut self, enabled: bool) -> Self {
        self.lacp_enabled = enabled;
        self
    }
}
