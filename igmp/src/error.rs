//! Bad or refused input: the `Err` of [`Snooper::handle_frame`](crate::Snooper::handle_frame).

use core::fmt;
use core::net::Ipv4Addr;

use crate::vlan::VlanId;

/// Why [`Snooper::handle_frame`](crate::Snooper::handle_frame) refused a frame (or a part of
/// it): what was wrong and on which port. Each is counted in
/// [`Stats`](crate::Stats) (`bad_frames` or `limit_refusals`); none is ever an
/// [`Event`](crate::Event), so a flood of bad input cannot crowd events out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error<A = Ipv4Addr> {
    /// The Ethernet, VLAN, IPv4 or IGMP layer did not parse, or a checksum was wrong. The
    /// state is unchanged. The inner error says which layer, field and byte offset
    /// ([`CodecError`](crate::CodecError)).
    #[error("port {port}: {error}")]
    Parse {
        /// The port the frame came in on.
        port: u32,
        /// The VLAN the runtime gave, if it gave one.
        vlan: Option<VlanId>,
        /// What the packet library found.
        error: sdnwire_packet::Error,
    },
    /// A report, leave, record or group-specific query about an address that is not multicast.
    /// The frame is refused whole: none of its records is handled, it is not forwarded, the
    /// state is unchanged.
    #[error("port {port}, vlan {vlan}: group address {group} is not multicast")]
    NotMulticast {
        /// The port the frame came in on.
        port: u32,
        /// Its VLAN.
        vlan: VlanId,
        /// The address.
        group: A,
    },
    /// A report or leave whose IPv4 source is on none of the subnets
    /// [`Config::report_subnets`](crate::Config::report_subnets) lists for its VLAN (RFC 3376
    /// §9.2); for MLD, a report or Done whose source is neither link-local nor `::` (RFC 3810
    /// §5.2.13). The frame is refused whole, as [`Error::NotMulticast`] is.
    #[error("port {port}, vlan {vlan}: report from {address}, not on the VLAN's subnets")]
    ForeignSource {
        /// The port the frame came in on.
        port: u32,
        /// Its VLAN.
        vlan: VlanId,
        /// The report's source address.
        address: A,
    },
    /// A group record (or a frame of a new VLAN) was refused because a bound of
    /// [`Config`](crate::Config) was reached; the state did not grow. The other records of an
    /// IGMPv3 report are handled; this names the first refused one.
    #[error("port {port}, vlan {vlan}: group {group} refused, {limit} reached")]
    Limit {
        /// The port the frame came in on.
        port: u32,
        /// Its VLAN.
        vlan: VlanId,
        /// The group (`0.0.0.0` for [`Limit::Vlans`]).
        group: A,
        /// Which bound.
        limit: Limit,
    },
}

impl<A> Error<A> {
    /// The port the refused frame came in on.
    pub fn port(&self) -> u32 {
        match *self {
            Error::Parse { port, .. }
            | Error::NotMulticast { port, .. }
            | Error::ForeignSource { port, .. }
            | Error::Limit { port, .. } => port,
        }
    }

    /// Whether the input was malformed (as opposed to refused by a bound).
    pub fn is_bad_frame(&self) -> bool {
        !matches!(self, Error::Limit { .. })
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
