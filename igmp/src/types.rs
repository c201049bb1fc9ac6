//! What a [`Snooper`](crate::Snooper) hands out: frames to send, events, forwarding decisions,
//! and read-only views of its state.

use alloc::vec::Vec;
use core::fmt;
use core::net::Ipv4Addr;

use sdnwire_packet::time::Instant;
use sdnwire_packet::MacAddr;

/// A VLAN: an 802.1Q VLAN id (0 to 4095) or [`VlanId::UNTAGGED`].
///
/// VLANs order by id, the untagged VLAN last. `Display` prints the id, or `untagged`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "Option<u16>", into = "Option<u16>")
)]
pub struct VlanId(u16);

impl VlanId {
    /// Untagged traffic.
    pub const UNTAGGED: VlanId = VlanId(4096);

    /// VLAN `vid`, or `None` above 4095.
    pub const fn new(vid: u16) -> Option<VlanId> {
        if vid < 4096 {
            Some(VlanId(vid))
        } else {
            None
        }
    }

    /// The 802.1Q VLAN id, `None` for the untagged VLAN.
    pub const fn vid(self) -> Option<u16> {
        if self.0 < 4096 {
            Some(self.0)
        } else {
            None
        }
    }

    /// Whether this is an 802.1Q VLAN (not [`VlanId::UNTAGGED`]).
    pub const fn is_tagged(self) -> bool {
        self.0 < 4096
    }

    /// `vid & 0x0fff` (the 12 bits of an 802.1Q tag).
    pub(crate) const fn from_tag(vid: u16) -> VlanId {
        VlanId(vid & 0x0fff)
    }

    /// 0..=4096: the untagged VLAN is 4096.
    pub(crate) const fn code(self) -> u32 {
        self.0 as u32
    }

    pub(crate) fn from_code(code: u32) -> VlanId {
        u16::try_from(code)
            .ok()
            .and_then(VlanId::new)
            .unwrap_or(VlanId::UNTAGGED)
    }
}

impl Default for VlanId {
    /// [`VlanId::UNTAGGED`].
    fn default() -> Self {
        VlanId::UNTAGGED
    }
}

impl From<VlanId> for Option<u16> {
    fn from(v: VlanId) -> Option<u16> {
        v.vid()
    }
}

impl TryFrom<Option<u16>> for VlanId {
    type Error = &'static str;
    /// `None`: untagged; `Some(vid)`: an 802.1Q VLAN (refused above 4095).
    fn try_from(v: Option<u16>) -> Result<VlanId, &'static str> {
        match v {
            None => Ok(VlanId::UNTAGGED),
            Some(vid) => VlanId::new(vid).ok_or("VLAN id above 4095"),
        }
    }
}

impl fmt::Display for VlanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.vid() {
            Some(v) => fmt::Display::fmt(&v, f),
            None => f.pad("untagged"),
        }
    }
}

/// What a frame from [`poll_transmit`](crate::Snooper::poll_transmit) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum TransmitKind {
    /// Our own general query (we are the VLAN's querier).
    GeneralQuery,
    /// Our own group-specific or group-and-source-specific query (RFC 3376 §6.6.3), out of the
    /// port whose records called for it.
    GroupQuery,
    /// Another querier's query, flooded (RFC 4541 §2.1.1 (2)).
    ForwardedQuery,
    /// A membership report passed on to the router ports (RFC 4541 §2.1.1 (1)).
    ForwardedReport,
    /// A leave for a group nobody here joined, passed on to the router ports.
    ForwardedLeave,
    /// A leave held back while the group had other members and released to the router ports
    /// when its last member went (Ryu's igmplib).
    ReleasedLeave,
}

impl TransmitKind {
    /// Whether the frame is one we built (a query), not one we forward.
    pub fn is_ours(self) -> bool {
        matches!(self, TransmitKind::GeneralQuery | TransmitKind::GroupQuery)
    }
}

impl fmt::Display for TransmitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransmitKind::GeneralQuery => "general query",
            TransmitKind::GroupQuery => "group query",
            TransmitKind::ForwardedQuery => "forwarded query",
            TransmitKind::ForwardedReport => "forwarded report",
            TransmitKind::ForwardedLeave => "forwarded leave",
            TransmitKind::ReleasedLeave => "released leave",
        })
    }
}

/// Whether the frame in the buffer carries an 802.1Q tag, and which one it should carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Tag {
    /// No tag in the buffer, and the frame belongs to the untagged VLAN: send it as it is.
    None,
    /// No tag in the buffer; the frame belongs to 802.1Q VLAN `vid`: push a tag with this id on
    /// ports that carry the VLAN tagged (trunks), send it as it is on the VLAN's access ports.
    /// Frames we build (queries) are written without a tag.
    Push(u16),
    /// The buffer holds the frame as it arrived, with its tag(s) (a forwarded frame): send it as
    /// it is on trunks, pop the tag on access ports.
    InFrame,
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::None => f.write_str("untagged"),
            Tag::Push(v) => write!(f, "push vlan {v}"),
            Tag::InFrame => f.write_str("tag in frame"),
        }
    }
}

/// A frame the snooper wants sent, from [`poll_transmit`](crate::Snooper::poll_transmit); the
/// frame itself is in the caller's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Transmit {
    /// What the frame is.
    pub kind: TransmitKind,
    /// The VLAN the frame belongs to.
    pub vlan: VlanId,
    /// Whether the frame in the buffer is tagged, and with what to tag it.
    pub tag: Tag,
    /// Where it goes.
    pub egress: Egress,
}

impl fmt::Display for Transmit {
    /// `general query vlan untagged: flood`, `forwarded report vlan 10: router ports except 3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} vlan {}: {}", self.kind, self.vlan, self.egress)
    }
}

/// The ports a [`Transmit`] goes out of. `Copy`: no port list is allocated per frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Egress {
    /// Every port of the VLAN, except `except` (the port the frame came in on).
    Flood {
        /// The port to leave out.
        except: Option<u32>,
    },
    /// This one port.
    Port(u32),
    /// The VLAN's router ports as [`Snooper::router_ports`](crate::Snooper::router_ports) lists
    /// them when the frame is polled, except `except` (the port the frame came in on). The list
    /// had a port other than `except` when the frame was queued; if it has none when polled
    /// (a port went down meanwhile), the frame goes nowhere.
    RouterPorts {
        /// The port to leave out.
        except: Option<u32>,
    },
}

impl fmt::Display for Egress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, except) = match *self {
            Egress::Flood { except } => ("flood", except),
            Egress::Port(p) => return write!(f, "port {p}"),
            Egress::RouterPorts { except } => ("router ports", except),
        };
        f.write_str(what)?;
        match except {
            Some(p) => write!(f, " except {p}"),
            None => Ok(()),
        }
    }
}

/// Where traffic for a (VLAN, group, source) goes: [`Snooper::forward_ports`](crate::Snooper::forward_ports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Forward<'a> {
    /// To every port of the VLAN but the one it came in on: a link-local group (224.0.0.x,
    /// RFC 4541 §2.1.2 (2)), or an unregistered group with
    /// [`Unregistered::Flood`](crate::Unregistered::Flood).
    Flood,
    /// To these ports (sorted, never empty, never the ingress port): member ports that want
    /// this source (RFC 3376 §6.3) and router ports.
    Ports(PortList<'a>),
    /// Nowhere.
    Drop,
}

impl<'a> Forward<'a> {
    /// The ports, or `None` for [`Forward::Flood`]; empty for [`Forward::Drop`].
    pub fn ports(&self) -> Option<PortList<'a>> {
        match *self {
            Forward::Flood => None,
            Forward::Ports(p) => Some(p),
            Forward::Drop => Some(PortList::EMPTY),
        }
    }
}

/// A sorted list of ports borrowed from the snooper's forwarding table, with the ingress port
/// left out: two slices, no copy.
#[derive(Debug, Clone, Copy, Eq)]
pub struct PortList<'a> {
    head: &'a [u32],
    tail: &'a [u32],
}

impl<'a> PortList<'a> {
    /// No ports.
    pub const EMPTY: PortList<'static> = PortList {
        head: &[],
        tail: &[],
    };

    /// `ports` (sorted) without `except`.
    pub(crate) fn without(ports: &'a [u32], except: u32) -> PortList<'a> {
        match ports.binary_search(&except) {
            Ok(i) => PortList {
                head: ports.get(..i).unwrap_or(&[]),
                tail: ports.get(i + 1..).unwrap_or(&[]),
            },
            Err(_) => PortList {
                head: ports,
                tail: &[],
            },
        }
    }

    /// The ports, in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + 'a {
        self.head.iter().chain(self.tail).copied()
    }

    /// Number of ports.
    pub fn len(&self) -> usize {
        self.head.len() + self.tail.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `port` is one of them.
    pub fn contains(&self, port: u32) -> bool {
        self.head.binary_search(&port).is_ok() || self.tail.binary_search(&port).is_ok()
    }

    /// The ports in a new `Vec`.
    pub fn to_vec(&self) -> Vec<u32> {
        self.iter().collect()
    }
}

impl<'a> From<&'a [u32]> for PortList<'a> {
    /// A sorted slice of ports.
    fn from(ports: &'a [u32]) -> PortList<'a> {
        PortList {
            head: ports,
            tail: &[],
        }
    }
}

impl PartialEq for PortList<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl PartialEq<[u32]> for PortList<'_> {
    fn eq(&self, other: &[u32]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

impl<const N: usize> PartialEq<[u32; N]> for PortList<'_> {
    fn eq(&self, other: &[u32; N]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

impl fmt::Display for PortList<'_> {
    /// `1,3,7`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_ports(f, self.iter())
    }
}

fn write_ports(f: &mut fmt::Formatter<'_>, ports: impl Iterator<Item = u32>) -> fmt::Result {
    for (i, p) in ports.enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        write!(f, "{p}")?;
    }
    Ok(())
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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

impl fmt::Display for MembershipRef<'_> {
    /// A row of `ovs-appctl mdb/show` (port, VLAN, group) followed by the RFC 3376 state:
    /// `    3    10  239.1.1.1        exclude v3 excluded 10.0.0.1` or
    /// `    3  untagged  239.1.1.1    include v3 sources 10.0.0.1,10.0.0.2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:>5}  {:>4}  {:<15}  {} v{}",
            self.port, self.vlan, self.group, self.mode, self.compat_version
        )?;
        let list =
            |f: &mut fmt::Formatter<'_>, word: &str, it: &mut dyn Iterator<Item = Ipv4Addr>| {
                let mut first = true;
                for a in it {
                    if first {
                        write!(f, " {word} {a}")?;
                        first = false;
                    } else {
                        write!(f, ",{a}")?;
                    }
                }
                Ok(())
            };
        list(f, "sources", &mut self.forwarded_sources())?;
        list(f, "excluded", &mut self.excluded_sources())
    }
}

/// The querier of a VLAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

impl fmt::Display for QuerierInfo {
    /// `querier 10.0.0.1 port 4 v2` (`port local` when we are the querier).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "querier {} port ", self.address)?;
        match self.port {
            Some(p) => write!(f, "{p}")?,
            None => f.write_str("local")?,
        }
        write!(f, " v{}", self.version)
    }
}

/// Which bound refused an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::GroupsPerVlan => "max_groups_per_vlan",
            Limit::GroupsPerPort => "max_groups_per_port",
            Limit::SourcesPerGroup => "max_sources_per_group",
            Limit::Vlans => "max_vlans",
        })
    }
}

/// Something that changed, for the application (Ryu's igmplib's
/// `EventMulticastGroupStateChanged` and more), from
/// [`poll_event`](crate::Snooper::poll_event).
///
/// Events only report changes of state; bad input and refused input are the `Err` of the
/// `handle_*` call instead. No event is lost silently: when the queue
/// ([`Config::max_queued_events`](crate::Config::max_queued_events)) overflows, the queued
/// events (and any until the resync is polled) are dropped and [`Event::Resync`] comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
    /// A learned router port timed out or went down.
    RouterPortRemoved {
        /// VLAN.
        vlan: VlanId,
        /// Port.
        port: u32,
    },
    /// The event queue overflowed and events were dropped: forget what the earlier events
    /// said and read the state again ([`memberships`](crate::Snooper::memberships) or
    /// [`group_ports`](crate::Snooper::group_ports) per group,
    /// [`router_ports`](crate::Snooper::router_ports) and
    /// [`querier`](crate::Snooper::querier) per VLAN of [`vlans`](crate::Snooper::vlans)),
    /// which is always the truth; then go on applying the events that follow (they are changes
    /// made after this event was polled).
    Resync,
}

impl fmt::Display for Event {
    /// `ovs-appctl mdb/show`'s words: `group added: vlan 10 group 239.1.1.1 ports 1,3`,
    /// `router port added: vlan untagged port 4`, `querier changed: vlan 10 querier 10.0.0.1
    /// port 4 v2`, `resync`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::GroupAdded { vlan, group, ports } => {
                write!(f, "group added: vlan {vlan} group {group} ports ")?;
                write_ports(f, ports.iter().copied())
            }
            Event::MemberChanged { vlan, group, ports } => {
                write!(f, "member changed: vlan {vlan} group {group} ports ")?;
                write_ports(f, ports.iter().copied())
            }
            Event::GroupRemoved { vlan, group } => {
                write!(f, "group removed: vlan {vlan} group {group}")
            }
            Event::SourcesChanged { vlan, group } => {
                write!(f, "sources changed: vlan {vlan} group {group}")
            }
            Event::QuerierChanged { vlan, querier } => match querier {
                Some(q) => write!(f, "querier changed: vlan {vlan} {q}"),
                None => write!(f, "querier changed: vlan {vlan} no querier"),
            },
            Event::RouterPortAdded { vlan, port } => {
                write!(f, "router port added: vlan {vlan} port {port}")
            }
            Event::RouterPortRemoved { vlan, port } => {
                write!(f, "router port removed: vlan {vlan} port {port}")
            }
            Event::Resync => f.write_str("resync"),
        }
    }
}

/// Counters, from [`Snooper::stats`](crate::Snooper::stats).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Stats {
    /// Frames handed to `handle_frame`.
    pub frames: u64,
    /// Frames that were neither IGMP nor PIM (ignored).
    pub ignored: u64,
    /// Frames refused as bad (`handle_frame` returned [`Error::Parse`](crate::Error::Parse) or
    /// [`Error::NotMulticast`](crate::Error::NotMulticast)).
    pub bad_frames: u64,
    /// Queries received.
    pub queries: u64,
    /// Reports received (v1, v2, v3).
    pub reports: u64,
    /// Group records handled (one per v1/v2 report or leave, one per v3 record).
    pub records: u64,
    /// Leaves received.
    pub leaves: u64,
    /// Inputs (group records, new VLANs) refused by a bound ([`Error::Limit`](crate::Error::Limit)),
    /// and the querier VLANs of the configuration that [`Config::max_vlans`](crate::Config::max_vlans)
    /// kept from starting.
    pub limit_refusals: u64,
    /// Queries we built.
    pub queries_sent: u64,
    /// Frames dropped because the transmit queue was full
    /// ([`Config::max_queued_transmits`](crate::Config::max_queued_transmits)).
    pub transmits_dropped: u64,
    /// Events dropped because the event queue overflowed (each overflow is followed by an
    /// [`Event::Resync`]).
    pub events_dropped: u64,
    /// [`Event::Resync`]s delivered.
    pub resyncs: u64,
}
