//! What a [`Snooper`](crate::Snooper) tells the application: [`Event`]s, drained with
//! [`poll_event`](crate::Snooper::poll_event).

use alloc::vec::Vec;
use core::fmt;
use core::net::Ipv4Addr;

use crate::forward::write_ports;
use crate::querier::QuerierInfo;
use crate::vlan::VlanId;

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
pub enum Event<A = Ipv4Addr> {
    /// A group got its first member port (igmplib's `MG_GROUP_ADDED`).
    GroupAdded {
        /// VLAN.
        vlan: VlanId,
        /// Group.
        group: A,
        /// Member ports, sorted.
        ports: Vec<u32>,
    },
    /// A group's member ports changed (igmplib's `MG_MEMBER_CHANGED`).
    MemberChanged {
        /// VLAN.
        vlan: VlanId,
        /// Group.
        group: A,
        /// Member ports, sorted.
        ports: Vec<u32>,
    },
    /// A group lost its last member port (igmplib's `MG_GROUP_REMOVED`).
    GroupRemoved {
        /// VLAN.
        vlan: VlanId,
        /// Group.
        group: A,
    },
    /// The per-source forwarding of a group changed while its member ports did not (IGMPv3
    /// source lists): look up [`forward_ports`](crate::Snooper::forward_ports) again.
    SourcesChanged {
        /// VLAN.
        vlan: VlanId,
        /// Group.
        group: A,
    },
    /// The VLAN's querier changed (`None`: no querier any more).
    QuerierChanged {
        /// VLAN.
        vlan: VlanId,
        /// The new querier.
        querier: Option<QuerierInfo<A>>,
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

impl<A: fmt::Display> fmt::Display for Event<A> {
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
