//! Configuration: timers (RFC 3376 §8), limits and switch behaviour (RFC 4541).

use alloc::vec;
use alloc::vec::Vec;
use core::fmt;
use core::net::Ipv4Addr;
use core::time::Duration;

use sdnwire_packet::MacAddr;

use crate::vlan::VlanId;

/// The secret key of the snooper's forwarding-table hash. Group addresses come from the
/// network: with a key an attacker does not know, chosen groups cannot be made to collide (and
/// a table that still sees long probe chains rehashes with a key derived from this one).
///
/// The runtime supplies it: [`HashKey::random`] (with the `std` feature) draws one from the
/// standard library's per-process random keys; without `std`, take 128 bits from the
/// platform's random source and use [`HashKey::new`]. `Debug` does not print it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HashKey(pub [u64; 2]);

impl HashKey {
    /// A key from 128 random bits.
    pub const fn new(k0: u64, k1: u64) -> HashKey {
        HashKey([k0, k1])
    }

    /// A fresh random key (the standard library's `RandomState`).
    #[cfg(feature = "std")]
    pub fn random() -> HashKey {
        use core::hash::BuildHasher;
        let a = std::collections::hash_map::RandomState::new();
        let b = std::collections::hash_map::RandomState::new();
        HashKey([
            a.hash_one(0x243f_6a88_85a3_08d3_u64),
            b.hash_one(0x1319_8a2e_0370_7344_u64),
        ])
    }
}

impl Default for HashKey {
    /// [`HashKey::random`] with `std`; without `std`, a fixed key (zero) that gives no
    /// protection against chosen group addresses: supply your own.
    fn default() -> HashKey {
        #[cfg(feature = "std")]
        {
            HashKey::random()
        }
        #[cfg(not(feature = "std"))]
        {
            HashKey([0, 0])
        }
    }
}

impl fmt::Debug for HashKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HashKey(..)")
    }
}

/// What to do with multicast traffic for a group that no port has joined (RFC 4541 §2.1.2 (3)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Unregistered {
    /// Flood it to every port of the VLAN (the RFC's default, and OVS's).
    #[default]
    Flood,
    /// Send it to the router ports only (what the Linux bridge does).
    RouterPorts,
    /// Drop it.
    Drop,
}

/// Our own querier (RFC 3376 §6.1, RFC 4541 §2.1.1's "proxy querier"), and Ryu's igmplib's
/// pseudo-querier (`IgmpQuerier`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QuerierConfig {
    /// IPv4 source address of our queries. `0.0.0.0` is allowed (RFC 4541 §2.1.1 (4), what the
    /// Linux bridge sends when it has no address): such a querier loses every election.
    pub address: Ipv4Addr,
    /// The port behind which the multicast server (source) sits, for a network without a
    /// multicast router (Ryu's igmplib's `IgmpQuerier`). It counts as a static router port: its
    /// traffic goes to member ports, every group's traffic goes to it.
    pub server_port: Option<u32>,
    /// VLANs on which the querier runs from the start. VLANs seen later in frames get a
    /// querier too.
    ///
    /// Each listed VLAN is a VLAN instance and counts towards [`Config::max_vlans`]: the
    /// first `max_vlans` distinct ones in list order start; each one beyond is not started and
    /// counts once in `Stats::limit_refusals` of [`Snooper::new`](crate::Snooper::new) (as a
    /// frame of a new VLAN refused by the bound would).
    pub vlans: Vec<VlanId>,
}

impl QuerierConfig {
    /// A querier with source `address` on the untagged VLAN, no server port.
    pub fn new(address: Ipv4Addr) -> Self {
        QuerierConfig {
            address,
            server_port: None,
            vlans: vec![VlanId::UNTAGGED],
        }
    }
}

/// Everything a [`Snooper`](crate::Snooper) can be told. `Config::default()` has the RFC 3376
/// §8 defaults (robustness 2, query interval 125 s, response interval 10 s, last member query
/// interval 1 s), floods unregistered groups and has no querier of its own.
///
/// Durations of zero are raised to 1 ms, a robustness of 0 to 1 (RFC 3376 §8.1: it MUST NOT
/// be zero). The intervals that the RFC derives (group membership, other querier present, older
/// host present, last member query time) are derived unless set.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Config {
    /// Robustness Variable (§8.1).
    pub robustness: u8,
    /// Query Interval (§8.2): between our general queries, and part of the derived intervals.
    pub query_interval: Duration,
    /// Query Response Interval (§8.3): the Max Resp Time of our general queries.
    pub query_response_interval: Duration,
    /// Last Member Query Interval (§8.8): Max Resp Time of group (-and-source) specific
    /// queries and the time between their retransmissions.
    pub last_member_query_interval: Duration,
    /// Last Member Query Count (§8.9); `None`: the robustness variable.
    pub last_member_query_count: Option<u8>,
    /// Startup Query Interval (§8.6); `None`: a quarter of the query interval.
    pub startup_query_interval: Option<Duration>,
    /// Startup Query Count (§8.7); `None`: the robustness variable.
    pub startup_query_count: Option<u8>,
    /// Group Membership Interval (§8.4); `None`: robustness × query interval + response
    /// interval.
    pub membership_interval: Option<Duration>,
    /// Other Querier Present Interval (§8.5); `None`: robustness × query interval + half the
    /// response interval.
    pub other_querier_present_interval: Option<Duration>,
    /// Older Host Present Interval (§8.13); `None`: robustness × query interval + response
    /// interval.
    pub older_host_present_interval: Option<Duration>,
    /// How long a router port learned from a query or a PIM hello stays one; `None`: the other
    /// querier present interval.
    pub router_port_interval: Option<Duration>,
    /// IGMP version of the queries we send (2 or 3; 1 is taken as 2). Lowered per VLAN while an
    /// older querier is present (§7.3.1) and per port and group while older hosts are
    /// (§7.3.2).
    pub query_version: u8,
    /// Our own querier, if any.
    pub querier: Option<QuerierConfig>,
    /// Source MAC address of the frames we build.
    pub mac: MacAddr,
    /// Traffic for groups nobody joined.
    pub unregistered: Unregistered,
    /// Ports on which a leave (or a TO_IN / BLOCK that empties the port's state) removes the
    /// port at once, without a group-specific query (one host per port).
    pub fast_leave_ports: Vec<u32>,
    /// Static router ports, on every VLAN: they get every group's traffic and the reports.
    pub router_ports: Vec<u32>,
    /// IGMPv1/v2 report suppression, as Ryu's igmplib does: only the first report for a
    /// group after a query goes to the router ports (RFC 4541 §2.1.1 (1)). IGMPv3 reports are
    /// always forwarded.
    pub report_suppression: bool,
    /// Send the group (-and-source) specific queries that a port's records call for (RFC 3376
    /// §6.4.2's "Send Q(G)", "Send Q(G,X)") out of that port even when we are not the VLAN's
    /// querier, as Ryu's igmplib does on a leave. When false, only our own querier sends
    /// them; otherwise the real querier's queries, which pass through us, lower the timers
    /// (§6.6.1).
    pub always_send_group_queries: bool,
    /// Ryu's igmplib's strict aging: a general query that no member of a group answers within
    /// its Max Resp Time removes the group's ports (the RFC waits the whole membership
    /// interval).
    pub expire_on_query: bool,
    /// A query from `0.0.0.0` makes its port a router port. RFC 4541 §2.1.1 (4) lets such a
    /// query (a proxy querier's) take no part in the election, and Open vSwitch ignores it;
    /// Ryu's igmplib's snooper and the Linux bridge learn the querier's port from it, which
    /// Ryu's igmplib's pseudo-querier (it queries from `0.0.0.0`) relies on. It never takes part in
    /// the election either way.
    pub router_port_from_unspecified: bool,
    /// Largest number of groups per VLAN; a report for one more is refused
    /// ([`Error::Limit`](crate::Error::Limit)).
    pub max_groups_per_vlan: usize,
    /// Largest number of groups one port may be a member of, per VLAN.
    pub max_groups_per_port: usize,
    /// Largest number of sources one port keeps for one group.
    pub max_sources_per_group: usize,
    /// Largest number of VLAN instances (the querier's [`QuerierConfig::vlans`] included: a
    /// VLAN beyond the bound is refused, counted in `Stats::limit_refusals`).
    pub max_vlans: usize,
    /// Largest number of frames waiting in [`poll_transmit`](crate::Snooper::poll_transmit);
    /// more are dropped and counted (`Stats::transmits_dropped`), as a switch drops what its
    /// transmit queue cannot hold. Draining after every input (the polling order) keeps the
    /// queue short: one input queues a few frames, a timeout one query per due port.
    pub max_queued_transmits: usize,
    /// Largest number of events waiting in [`poll_event`](crate::Snooper::poll_event). One
    /// more event drops the queued ones (counted in `Stats::events_dropped`) and
    /// [`Event::Resync`](crate::Event::Resync) comes next: nothing is lost, the state
    /// accessors are the truth.
    pub max_queued_events: usize,
    /// The key of the forwarding table's hash ([`HashKey`]): supplied by the runtime;
    /// `Config::default()` draws a random one with `std` (so two defaults compare unequal
    /// unless their keys are made equal).
    ///
    /// With the `serde` feature the key is a secret that is never serialised (a saved or
    /// logged configuration does not leak it); a deserialised configuration gets a fresh
    /// [`HashKey::default`] (random with `std`): set it again if you need a particular one.
    #[cfg_attr(feature = "serde", serde(skip_serializing, default))]
    pub hash_key: HashKey,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            robustness: sdnwire_packet::igmp::DEFAULT_ROBUSTNESS,
            query_interval: sdnwire_packet::igmp::DEFAULT_QUERY_INTERVAL,
            query_response_interval: sdnwire_packet::igmp::DEFAULT_QUERY_RESPONSE_INTERVAL,
            last_member_query_interval: sdnwire_packet::igmp::DEFAULT_LAST_MEMBER_QUERY_INTERVAL,
            last_member_query_count: None,
            startup_query_interval: None,
            startup_query_count: None,
            membership_interval: None,
            other_querier_present_interval: None,
            older_host_present_interval: None,
            router_port_interval: None,
            query_version: 3,
            querier: None,
            mac: MacAddr::new(0x02, 0, 0, 0, 0, 0x01),
            unregistered: Unregistered::Flood,
            fast_leave_ports: Vec::new(),
            router_ports: Vec::new(),
            report_suppression: true,
            always_send_group_queries: true,
            expire_on_query: false,
            router_port_from_unspecified: false,
            max_groups_per_vlan: 4096,
            max_groups_per_port: 1024,
            max_sources_per_group: 64,
            max_vlans: 4097,
            max_queued_transmits: 1024,
            max_queued_events: 4096,
            hash_key: HashKey::default(),
        }
    }
}

impl Config {
    /// Ryu's igmplib's pseudo-querier (`IgmpQuerier`): our querier at `address`, the
    /// multicast server behind `server_port`, a general query every 60 s, IGMPv2 queries, and
    /// strict aging ([`expire_on_query`](Config::expire_on_query)).
    pub fn pseudo_querier(address: Ipv4Addr, server_port: u32) -> Self {
        Config {
            query_interval: Duration::from_secs(60),
            query_version: 2,
            expire_on_query: true,
            querier: Some(QuerierConfig {
                server_port: Some(server_port),
                ..QuerierConfig::new(address)
            }),
            ..Config::default()
        }
    }

    /// Ryu's igmplib's snooper (`IgmpSnooper`): IGMPv2 group-specific queries out of the
    /// port a leave came from, only the first report after a query passed to the querier, and
    /// strict aging ([`expire_on_query`](Config::expire_on_query)); no querier of its own.
    pub fn igmplib_snooper() -> Self {
        Config {
            query_version: 2,
            report_suppression: true,
            always_send_group_queries: true,
            expire_on_query: true,
            router_port_from_unspecified: true,
            ..Config::default()
        }
    }

    /// Robustness variable, at least 1.
    pub fn robustness(&self) -> u8 {
        self.robustness.max(1)
    }

    fn qi(&self) -> Duration {
        at_least(self.query_interval)
    }

    fn qri(&self) -> Duration {
        at_least(self.query_response_interval)
    }

    /// Last member query interval, at least 1 ms.
    pub fn lmqi(&self) -> Duration {
        at_least(self.last_member_query_interval)
    }

    /// Last member query count (§8.9), at least 1.
    pub fn lmqc(&self) -> u8 {
        self.last_member_query_count
            .unwrap_or(self.robustness())
            .max(1)
    }

    /// Last member query time (§8.14): count × interval.
    pub fn lmqt(&self) -> Duration {
        self.lmqi().saturating_mul(u32::from(self.lmqc()))
    }

    /// Group membership interval (§8.4).
    pub fn gmi(&self) -> Duration {
        self.membership_interval.map(at_least).unwrap_or_else(|| {
            self.qi()
                .saturating_mul(u32::from(self.robustness()))
                .saturating_add(self.qri())
        })
    }

    /// Other querier present interval (§8.5).
    pub fn oqpi(&self) -> Duration {
        self.other_querier_present_interval
            .map(at_least)
            .unwrap_or_else(|| {
                self.qi()
                    .saturating_mul(u32::from(self.robustness()))
                    .saturating_add(self.qri() / 2)
            })
    }

    /// Older host present interval (§8.13).
    pub fn ohpi(&self) -> Duration {
        self.older_host_present_interval
            .map(at_least)
            .unwrap_or_else(|| {
                self.qi()
                    .saturating_mul(u32::from(self.robustness()))
                    .saturating_add(self.qri())
            })
    }

    /// How long a learned router port lasts.
    pub fn router_port_timeout(&self) -> Duration {
        self.router_port_interval
            .map(at_least)
            .unwrap_or_else(|| self.oqpi())
    }

    /// Startup query interval (§8.6).
    pub fn startup_query_interval(&self) -> Duration {
        self.startup_query_interval
            .map(at_least)
            .unwrap_or_else(|| at_least(self.qi() / 4))
    }

    /// Startup query count (§8.7), at least 1.
    pub fn startup_query_count(&self) -> u8 {
        self.startup_query_count.unwrap_or(self.robustness()).max(1)
    }

    pub(crate) fn query_interval(&self) -> Duration {
        self.qi()
    }

    pub(crate) fn query_response_interval(&self) -> Duration {
        self.qri()
    }
}

fn at_least(d: Duration) -> Duration {
    d.max(Duration::from_millis(1))
}
