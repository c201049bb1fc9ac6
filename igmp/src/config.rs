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
    /// IPv4 source address of our IGMP queries (an MLD snooper's come from the link-local
    /// address of [`Config::mac`]). `0.0.0.0` is allowed (RFC 4541 §2.1.1 (4), what the
    /// Linux bridge sends when it has no address): such a querier loses every election.
    pub address: Ipv4Addr,
    /// The port behind which the multicast server (source) sits, for a network without a
    /// multicast router (Ryu's igmplib's `IgmpQuerier`). Every group's traffic goes to it and
    /// its traffic goes to the member ports ([`Snooper::forward_ports`](crate::Snooper::forward_ports)),
    /// as if it were a router port; it is not one for IGMP: reports and leaves are not sent to
    /// it, and [`Snooper::router_ports`](crate::Snooper::router_ports) does not list it.
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

/// A set of ports: the ports listed, or every port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PortSet {
    /// These ports (none when empty).
    Ports(Vec<u32>),
    /// Every port.
    All,
}

impl PortSet {
    /// No port.
    pub const fn none() -> PortSet {
        PortSet::Ports(Vec::new())
    }

    /// Whether `port` is in the set.
    pub fn contains(&self, port: u32) -> bool {
        match self {
            PortSet::Ports(p) => p.contains(&port),
            PortSet::All => true,
        }
    }
}

impl Default for PortSet {
    /// No port.
    fn default() -> PortSet {
        PortSet::none()
    }
}

/// Who carries out the "Send Q(G)" and "Send Q(G,S)" actions of RFC 3376 §6.4 (a leave, a
/// TO_IN, a BLOCK or a TO_EX asks whether anybody still listens): who sends the last member
/// queries and lowers the timers to the Last Member Query Time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LastMemberQueries {
    /// RFC 3376 §6.4 and §6.6.3: our querier, while it is the VLAN's querier, sends them (out
    /// of the port the record came in on) and lowers the timers. Otherwise nothing is sent or
    /// lowered here: the querier's own queries lower the timers as they pass (§6.6.1).
    #[default]
    Querier,
    /// As [`Querier`](LastMemberQueries::Querier), and while another querier is the VLAN's
    /// (or none is), the timers are lowered anyway, without sending anything: the Linux
    /// bridge with `mcast_querier 0`.
    LowerTimers,
    /// Sent out of the port and the timers lowered, querier or not: Ryu's igmplib's snooper.
    Always,
}

/// When a leave (an IGMPv2 leave, or a record that says "no longer listening" with
/// [`Config::source_filtering`] off) is acted on. A leave not acted on changes nothing and is
/// still forwarded as [`Config::forward_leaves`] says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ActOnLeaves {
    /// Always (RFC 3376, Open vSwitch).
    #[default]
    Always,
    /// Only while a querier (another one or ours) is known on the VLAN: Ryu's igmplib's
    /// snooper ignores a leave before it has seen a query.
    WhenQuerierKnown,
    /// Not while another querier is the VLAN's (it will query the group itself): the Linux
    /// bridge.
    UnlessOtherQuerier,
}

/// Which leaves go to the router ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ForwardLeaves {
    /// Every leave, at once (RFC 4541 §2.1.1 (1), Open vSwitch, the Linux bridge).
    #[default]
    Always,
    /// Ryu's igmplib's snooper: a leave from a member port is held back and passed on when the
    /// group's last member goes because of it; it is discarded when a query for the group
    /// comes or when its port goes while other members remain. A leave for a group nobody
    /// joined here goes on at once.
    LastMember,
}

/// Aging stricter than the group membership interval: Ryu's igmplib's, where a general query
/// nobody answers within its Max Resp Time removes the ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum StrictAging {
    /// The RFC 3376 timers only (group membership interval).
    #[default]
    Off,
    /// A member port that sends no report for the group within a general query's Max Resp
    /// Time leaves it: Ryu's igmplib's `IgmpQuerier`.
    PerPort,
    /// A group for which no port sends a report within a query's Max Resp Time is removed
    /// with all its ports; one answer keeps every port: Ryu's igmplib's `IgmpSnooper`.
    PerGroup,
}

/// An IPv4 subnet of a VLAN, for [`Config::report_subnets`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Subnet {
    /// The VLAN.
    pub vlan: VlanId,
    /// An address of the subnet.
    pub address: Ipv4Addr,
    /// The prefix length (0 to 32; more counts as 32).
    pub prefix_len: u8,
}

impl Subnet {
    /// Whether `addr` is in the subnet.
    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        let len = u32::from(self.prefix_len.min(32));
        let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
        u32::from(addr) & mask == u32::from(self.address) & mask
    }
}

/// Everything a [`Snooper`](crate::Snooper) can be told. `Config::default()` is
/// [`Config::rfc`]: RFC 3376 §8's timers (robustness 2, query interval 125 s, response
/// interval 10 s, last member query interval 1 s) and RFC 4541's switch, no querier of its
/// own. The presets [`Config::linux_bridge`], [`Config::open_vswitch`],
/// [`Config::ryu_igmplib`] and [`Config::ryu_igmplib_querier`] copy the switches people run.
///
/// Each setting does one thing, said beside it. Durations of zero are raised to 1 ms, a
/// robustness of 0 to 1 (RFC 3376 §8.1: it MUST NOT be zero). The intervals that the RFC
/// derives (group membership, other querier present, older host present, last member query
/// time) are derived unless set.
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
    /// Adopt the elected querier's Robustness Variable and Query Interval from its IGMPv3
    /// queries (their QRV and QQIC fields) while it is the VLAN's querier, as RFC 3376 §4.1.6
    /// and §4.1.7 ask of non-queriers: the derived intervals of that VLAN follow. Off: the
    /// configured values always (Open vSwitch, the Linux bridge, Ryu's igmplib).
    pub adopt_querier_timers: bool,
    /// IGMP version of the queries we send (2 or 3; 1 is taken as 2); for an MLD snooper, 3
    /// sends MLDv2 queries and 2 MLDv1 queries (the bridge's `mcast_mld_version 2` and `1`).
    /// Lowered per VLAN while an
    /// older querier is present (§7.3.1) and per port and group while older hosts are
    /// (§7.3.2). It changes nothing else: [`source_filtering`](Config::source_filtering) says
    /// how IGMPv3 reports are read.
    pub query_version: u8,
    /// Keep IGMPv3 (MLDv2) source lists (RFC 3376 §6.4, RFC 3810 §7.4). Off: IGMPv2 (MLDv1)
    /// operation, as the Linux bridge's
    /// `mcast_igmp_version 2`: an IGMPv3 record is read as an IGMPv2 message for its group, a
    /// leave if it is IS_IN({}) or TO_IN({}) and a join of every source otherwise; sources
    /// are ignored.
    pub source_filtering: bool,
    /// Our own querier, if any.
    pub querier: Option<QuerierConfig>,
    /// Source MAC address of the frames we build; an MLD snooper's queries come from its
    /// link-local address ([`link_local_from_mac`](crate::link_local_from_mac)).
    pub mac: MacAddr,
    /// Traffic for groups nobody joined.
    pub unregistered: Unregistered,
    /// Ports on which nobody else can still listen (one host per port): the last member
    /// queries a record would start there are not sent, and what they would have asked about
    /// goes at once (a leave or TO_IN({}) removes the port, a BLOCK or TO_EX stops the sources
    /// it names), whoever is the querier.
    pub fast_leave: PortSet,
    /// Static router ports, on every VLAN: they get every group's traffic and the reports.
    pub router_ports: Vec<u32>,
    /// IGMPv1/v2 report suppression (RFC 4541 §2.1.1 (1)), as Ryu's igmplib does: only the
    /// first report for a group after a query goes to the router ports. IGMPv3 reports are
    /// always forwarded.
    pub report_suppression: bool,
    /// Who sends the last member queries and lowers the timers ([`LastMemberQueries`]).
    pub last_member_queries: LastMemberQueries,
    /// Send our group-specific queries to 224.0.0.1 (all systems), as Ryu's igmplib does,
    /// rather than to the group's address (RFC 3376 §4.1.12, RFC 2236 §9). Hosts answer
    /// either.
    pub group_queries_to_all_hosts: bool,
    /// When a leave is acted on ([`ActOnLeaves`]).
    pub act_on_leaves: ActOnLeaves,
    /// Which leaves go to the router ports ([`ForwardLeaves`]).
    pub forward_leaves: ForwardLeaves,
    /// Aging stricter than the RFC's ([`StrictAging`]).
    pub strict_aging: StrictAging,
    /// A query from `0.0.0.0` makes its port a router port. RFC 4541 §2.1.1 (4) lets such a
    /// query (a proxy querier's) take no part in the election, and Open vSwitch ignores it;
    /// Ryu's igmplib's snooper and the Linux bridge learn the querier's port from it, which
    /// Ryu's igmplib's querier (it queries from `0.0.0.0`) relies on. It never takes part in
    /// the election either way.
    pub router_port_from_unspecified: bool,
    /// IGMP: where a report's IPv4 source must be, per VLAN (RFC 3376 §9.2: a report from a source
    /// that is not on the interface's subnet, other than `0.0.0.0`, is ignored). A report on a
    /// VLAN with one or more subnets listed whose source is in none of them is refused
    /// ([`Error::ForeignSource`](crate::Error::ForeignSource)); VLANs not listed accept any
    /// source.
    pub report_subnets: Vec<Subnet>,
    /// Proxy reporting (RFC 4541 §2.1.1 (1)): the reports and leaves of hosts are not
    /// forwarded; instead the router ports get our own summary: an IGMPv2 report when a group
    /// gets its first member port, a leave when it loses its last, and one report per group
    /// in answer to a general query. Sent from our querier's address (`0.0.0.0` without one)
    /// and [`mac`](Config::mac).
    pub proxy_reporting: bool,
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
    /// [`Config::rfc`].
    fn default() -> Self {
        Config::rfc()
    }
}

impl Config {
    /// RFC 3376 and RFC 4541 as written: the §8 timer defaults, IGMPv3 with source filtering,
    /// every report and leave forwarded to the router ports (no report suppression), last
    /// member queries by our querier only, unregistered groups flooded, no querier of its own.
    /// `Config::default()`.
    pub fn rfc() -> Self {
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
            adopt_querier_timers: false,
            query_version: 3,
            source_filtering: true,
            querier: None,
            mac: MacAddr::new(0x02, 0, 0, 0, 0, 0x01),
            unregistered: Unregistered::Flood,
            fast_leave: PortSet::none(),
            router_ports: Vec::new(),
            report_suppression: false,
            last_member_queries: LastMemberQueries::Querier,
            group_queries_to_all_hosts: false,
            act_on_leaves: ActOnLeaves::Always,
            forward_leaves: ForwardLeaves::Always,
            strict_aging: StrictAging::Off,
            router_port_from_unspecified: false,
            report_subnets: Vec::new(),
            proxy_reporting: false,
            max_groups_per_vlan: 4096,
            max_groups_per_port: 1024,
            max_sources_per_group: 64,
            max_vlans: 4097,
            max_queued_transmits: 1024,
            max_queued_events: 4096,
            hash_key: HashKey::default(),
        }
    }

    /// The Linux kernel bridge (`br_multicast.c`) with `mcast_snooping 1 mcast_querier 0
    /// mcast_igmp_version 3` and its default timers (those of the RFC): source filtering,
    /// router ports learned from queries from `0.0.0.0` too, leaves ignored while another
    /// querier is present, timers lowered on a leave without a query when it is not the
    /// querier, unregistered groups sent to the router ports. For `mcast_igmp_version 2` set
    /// [`query_version`](Config::query_version) to 2 and
    /// [`source_filtering`](Config::source_filtering) off.
    pub fn linux_bridge() -> Self {
        Config {
            router_port_from_unspecified: true,
            act_on_leaves: ActOnLeaves::UnlessOtherQuerier,
            last_member_queries: LastMemberQueries::LowerTimers,
            unregistered: Unregistered::RouterPorts,
            ..Config::rfc()
        }
    }

    /// Open vSwitch's snooping (`mcast_snooping_enable=true`, OVS 3.x): groups per port without
    /// sources (IGMPv3 source lists ignored), a leave removes the port at once on every port,
    /// no query of its own, queries from `0.0.0.0` ignored, every report and leave forwarded
    /// to the router ports, unregistered groups flooded, entries aging after 300 s.
    pub fn open_vswitch() -> Self {
        Config {
            source_filtering: false,
            query_version: 2,
            fast_leave: PortSet::All,
            membership_interval: Some(Duration::from_secs(300)),
            ..Config::rfc()
        }
    }

    /// Ryu's igmplib's snooper (`IgmpSnooper`, os-ken's `os_ken/lib/igmplib.py`): the
    /// querier's port learned from every query (from `0.0.0.0` too); a leave ignored until a
    /// querier is known, answered by one IGMPv2 group-specific query out of its port, from the
    /// querier's address and MAC to 224.0.0.1, Max Resp Time 1 s, and the port gone 1 s later if nothing
    /// answered; the leave passed to the querier only when the group's last member went
    /// ([`ForwardLeaves::LastMember`]); only the first report after a query passed on; a
    /// group that nobody answers for within a query's Max Resp Time removed
    /// ([`StrictAging::PerGroup`]); no querier of its own.
    pub fn ryu_igmplib() -> Self {
        Config {
            query_version: 2,
            last_member_query_interval: Duration::from_secs(1),
            last_member_query_count: Some(1),
            report_suppression: true,
            last_member_queries: LastMemberQueries::Always,
            group_queries_to_all_hosts: true,
            act_on_leaves: ActOnLeaves::WhenQuerierKnown,
            forward_leaves: ForwardLeaves::LastMember,
            strict_aging: StrictAging::PerGroup,
            router_port_from_unspecified: true,
            ..Config::rfc()
        }
    }

    /// Ryu's igmplib's querier (`IgmpQuerier`): a network without a multicast router, the
    /// multicast server behind `server_port`. An IGMPv2 general query from `0.0.0.0` flooded at
    /// once and every 60 s (no startup queries), Max Resp Time 10 s; a member port that sends
    /// no report within it is dropped ([`StrictAging::PerPort`]); a leave drops its port at
    /// once, without a query (fast leave on every port); reports go nowhere. Set
    /// [`QuerierConfig::address`] for queries from an address of yours.
    pub fn ryu_igmplib_querier(server_port: u32) -> Self {
        Config {
            query_interval: Duration::from_secs(60),
            query_response_interval: Duration::from_secs(10),
            startup_query_count: Some(1),
            query_version: 2,
            fast_leave: PortSet::All,
            strict_aging: StrictAging::PerPort,
            querier: Some(QuerierConfig {
                server_port: Some(server_port),
                ..QuerierConfig::new(Ipv4Addr::UNSPECIFIED)
            }),
            ..Config::rfc()
        }
    }

    /// Robustness variable, at least 1.
    pub fn robustness(&self) -> u8 {
        self.robustness.max(1)
    }

    fn qi(&self) -> Duration {
        at_least(self.query_interval)
    }

    /// The derived timers, with a querier's robustness and query interval in place of ours
    /// when given (RFC 3376 §4.1.6, §4.1.7).
    pub(crate) fn timers_with(&self, adopted: Option<(u8, Duration)>) -> Timers {
        match adopted {
            None => Timers {
                gmi: self.gmi(),
                lmqt: self.lmqt(),
                lmqc: self.lmqc(),
                lmqi: self.lmqi(),
                ohpi: self.ohpi(),
                oqpi: self.oqpi(),
                ovqi: self.older_version_querier_interval(),
                router: self.router_port_timeout(),
            },
            Some((qrv, qi)) => {
                let c = Config {
                    robustness: qrv,
                    query_interval: qi,
                    ..self.without_lists()
                };
                c.timers_with(None)
            }
        }
    }

    /// A copy without the lists (cheap to make).
    fn without_lists(&self) -> Config {
        Config {
            querier: None,
            fast_leave: PortSet::none(),
            router_ports: Vec::new(),
            report_subnets: Vec::new(),
            ..*self
        }
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

    /// Older version querier interval (§8.12): robustness × query interval + query response
    /// interval, with the querier's robustness and query interval once adopted. While an
    /// IGMPv1 or IGMPv2 (MLDv1) querier was heard within it, the queries we send use that
    /// version (§7.3.1).
    pub fn older_version_querier_interval(&self) -> Duration {
        self.qi()
            .saturating_mul(u32::from(self.robustness()))
            .saturating_add(self.qri())
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

/// The timer values the state machine uses, derived from a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timers {
    pub(crate) gmi: Duration,
    pub(crate) lmqt: Duration,
    pub(crate) lmqc: u8,
    pub(crate) lmqi: Duration,
    pub(crate) ohpi: Duration,
    pub(crate) oqpi: Duration,
    pub(crate) ovqi: Duration,
    pub(crate) router: Duration,
}

fn at_least(d: Duration) -> Duration {
    d.max(Duration::from_millis(1))
}
