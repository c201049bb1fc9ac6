//! What a [`Snooper`](crate::Snooper) hands out: frames to send, events, forwarding decisions,
//! and read-only views of its state.

use core::fmt;
use core::net::Ipv4Addr;
use std::time::Instant;

use sdnwire_packet::MacAddr;

/// A VLAN: `None` for untagged traffic, `Some(vid)` for an 802.1Q VLAN.
pub type VlanId = Option<u16>;

/// A frame the snooper wants sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    /// The whole Ethernet frame. Frames we build are untagged: the runtime adds the VLAN tag of
    /// [`vlan`](Transmit::vlan) if its ports need one. Frames we forward are passed on as they
    /// arrived (tag included, if they had one).
    pub frame: Vec<u8>,
    /// The VLAN the frame belongs to.
    pub vlan: VlanId,
    /// Where it goes.
    pub egress: Egress,
}

/// The ports a [`Transmit`] goes out of.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Egress {
    /// Every port of the VLAN, except `except` (the port the frame came in on).
    Flood {
        /// The port to leave out.
        except: Option<u32>,
    },
    /// These ports (sorted, never empty).
    Ports(Vec<u32>),
}

/// Where traffic for a (VLAN, group, source) goes: [`Snooper::forward_ports`](crate::Snooper::forward_ports).
///
/// The caller leaves out the port the traffic came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Forward<'a> {
    /// To every port of the VLAN: a link-local group (224.0.0.x, RFC 4541 §2.1.2 (2)), or an
    /// unregistered group with [`Unregistered::Flood`](crate::Unregistered::Flood).
    Flood,
    /// To these ports (sorted, never empty): member ports that want this source (RFC 3376
    /// §6.3) and router ports.
    Ports(&'a [u32]),
    /// Nowhere.
    Drop,
}

impl<'a> Forward<'a> {
    /// The ports, or `None` for [`Forward::Flood`]; empty for [`Forward::Drop`].
    pub fn ports(&self) -> Option<&'a [u32]> {
        match *self {
            Forward::Flood => None,
            Forward::Ports(p) => Some(p),
            Forward::Drop => Some(&[]),
        }
    }
}

/// Filter mode of a port's membership (RFC 3376 §6.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum FilterMode {
    /// Traffic from the listed sources only.
    Include,
    /// Traffic from every source except the excluded ones.
    Exclude,
}

impl fmt::Display for FilterMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FilterMode::Include => "include",
            FilterMode::Exclude => "exclude",
        })
    }
}

/// A source of a membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceRef {
    /// The source address.
    pub addr: Ipv4Addr,
    /// When its source timer runs out. `None` in EXCLUDE mode: the source is excluded (its
    /// timer is zero, the RFC's "exclude list"); in INCLUDE mode every source has a timer.
    pub timer: Option<Instant>,
}

impl SourceRef {
    /// Whether traffic from this source is forwarded to the port (RFC 3376 §6.3): a running
    /// timer.
    pub fn forwarded(&self) -> bool {
        self.timer.is_some()
    }
}

/// One port's membership of one group: the RFC 3376 §6 router state, kept per port as the
/// Linux bridge keeps it. [`Snooper::memberships`](crate::Snooper::memberships) lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipRef<'a> {
    /// VLAN.
    pub vlan: VlanId,
    /// Group address.
    pub group: Ipv4Addr,
    /// Port.
    pub port: u32,
    /// Filter mode.
    pub mode: FilterMode,
    /// Group timer: when an EXCLUDE-mode membership falls back to INCLUDE (`None` in INCLUDE
    /// mode).
    pub group_timer: Option<Instant>,
    /// Sources, sorted by address: the include list (INCLUDE), or the requested and excluded
    /// lists (EXCLUDE; excluded ones have no timer).
    pub sources: &'a [SourceRef],
    /// Group compatibility mode (RFC 3376 §7.3.2): 1, 2 or 3.
    pub compat_version: u8,
}

impl MembershipRef<'_> {
    /// Source addresses whose traffic is forwarded (timer running).
    pub fn forwarded_sources(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        self.sources
            .iter()
            .filter(|s| s.forwarded())
            .map(|s| s.addr)
    }

    /// Excluded source addresses (EXCLUDE mode, timer zero).
    pub fn excluded_sources(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        self.sources
            .iter()
            .filter(|s| !s.forwarded())
            .map(|s| s.addr)
    }
}

/// The querier of a VLAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QuerierInfo {
    /// Its IPv4 address (ours if we are the querier).
    pub address: Ipv4Addr,
    /// The port its queries come in on; `None` when we are the querier.
    pub port: Option<u32>,
    /// Its MAC address.
    pub mac: MacAddr,
    /// The IGMP version of its queries.
    pub version: u8,
}

impl QuerierInfo {
    /// Whether the querier is us.
    pub fn is_us(&self) -> bool {
        self.port.is_none()
    }
}

/// Which bound refused an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// [`Config::max_groups_per_vlan`](crate::Config::max_groups_per_vlan).
    GroupsPerVlan,
    /// [`Config::max_groups_per_port`](crate::Config::max_groups_per_port).
    GroupsPerPort,
    /// [`Config::max_sources_per_group`](crate::Config::max_sources_per_group).
    SourcesPerGroup,
    /// [`Config::max_vlans`](crate::Config::max_vlans).
    Vlans,
}

/// Why a frame was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BadFrame {
    /// The Ethernet, VLAN, IPv4 or IGMP layer did not parse (or a checksum was wrong).
    Parse(sdnwire_packet::Error),
    /// A report, leave or group-specific query about an address that is not multicast.
    NotMulticast(Ipv4Addr),
    /// A VLAN id above 4095.
    BadVlan(u16),
}

impl fmt::Display for BadFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadFrame::Parse(e) => write!(f, "{e}"),
            BadFrame::NotMulticast(a) => write!(f, "group address {a} is not multicast"),
            BadFrame::BadVlan(v) => write!(f, "VLAN id {v} is above 4095"),
        }
    }
}

/// Something that changed, for the application (the seed igmplib's
/// `EventMulticastGroupStateChanged` and more).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A group got its first member port (igmplib's `MG_GROUP_ADDED`).
    GroupAdded {
        /// VLAN.
        vlan: VlanId,
        /// Group.
        group: Ipv4Addr,
        /// Member ports, sorted.
        ports: Vec<u32>,
    },
    /// A group's member ports changed (igmplib's `MG_MEMBER_CHANGED`).
    MemberChanged {
        /// VLAN.
        vlan: VlanId,
        /// Group.
        group: Ipv4Addr,
        /// Member ports, sorted.
        ports: Vec<u32>,
    },
    /// A group lost its last member port (igmplib's `MG_GROUP_REMOVED`).
    GroupRemoved {
        /// VLAN.
        vlan: VlanId,
        /// Group.
        group: Ipv4Addr,
    },
    /// The per-source forwarding of a group changed while its member ports did not (IGMPv3
    /// source lists): look up [`forward_ports`](crate::Snooper::forward_ports) again.
    SourcesChanged {
        /// VLAN.
        vlan: VlanId,
        /// Group.
        group: Ipv4Addr,
    },
    /// The VLAN's querier changed (`None`: no querier any more).
    QuerierChanged {
        /// VLAN.
        vlan: VlanId,
        /// The new querier.
        querier: Option<QuerierInfo>,
    },
    /// A port became a router port (learned from a query or a PIM hello).
    RouterPortAdded {
        /// VLAN.
        vlan: VlanId,
        /// Port.
        port: u32,
    },
    /// A learned router port timed out.
    RouterPortRemoved {
        /// VLAN.
        vlan: VlanId,
        /// Port.
        port: u32,
    },
    /// An input was refused because a bound was reached; state did not grow.
    LimitReached {
        /// VLAN.
        vlan: VlanId,
        /// The port the input came in on.
        port: u32,
        /// The group.
        group: Ipv4Addr,
        /// Which bound.
        limit: Limit,
    },
    /// A frame was refused.
    BadFrame {
        /// The port it came in on.
        port: u32,
        /// Its VLAN, as given.
        vlan: VlanId,
        /// Why.
        reason: BadFrame,
    },
}

/// Counters, from [`Snooper::stats`](crate::Snooper::stats).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Stats {
    /// Frames handed to `handle_frame`.
    pub frames: u64,
    /// Frames that were neither IGMP nor PIM (ignored).
    pub ignored: u64,
    /// Frames refused as bad.
    pub bad_frames: u64,
    /// Queries received.
    pub queries: u64,
    /// Reports received (v1, v2, v3).
    pub reports: u64,
    /// Group records handled (one per v1/v2 report or leave, one per v3 record).
    pub records: u64,
    /// Leaves received.
    pub leaves: u64,
    /// Inputs refused by a bound.
    pub limit_refusals: u64,
    /// Queries we built.
    pub queries_sent: u64,
    /// Frames dropped because the transmit queue was full.
    pub transmits_dropped: u64,
    /// Events dropped because the event queue was full.
    pub events_dropped: u64,
}
