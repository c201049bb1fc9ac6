//! The snooping switch: [`Snooper`].

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BinaryHeap, VecDeque};
use alloc::vec::Vec;
use core::cmp::Reverse;
use core::net::{Ipv4Addr, Ipv6Addr};
use core::time::Duration;

use sdnwire_packet::time::Instant;
use sdnwire_packet::MacAddr;

use crate::config::{
    ActOnLeaves, Config, ForwardLeaves, LastMemberQueries, StrictAging, Timers, Unregistered,
};
use crate::error::Error;
use crate::error::Limit;
use crate::event::Event;
use crate::family::sealed::Family;
use crate::family::Address;
use crate::forward::{Forward, PortList};
use crate::frame::{Kind, Msg, Parsed, QuerySpec};
use crate::membership::{add, DueQuery, FilterMode, MembershipRef, PortState, Record, Timing};
use crate::querier::QuerierInfo;
use crate::stats::Stats;
use crate::transmit::{Egress, Tag, Transmit, TransmitKind, TxQueue};
use crate::vlan::VlanId;

fn vcode(v: VlanId) -> u32 {
    v.code()
}

fn vlan_of(code: u32) -> VlanId {
    VlanId::from_code(code)
}

/// The tag of a frame we build for VLAN `code`.
fn own_tag(code: u32) -> Tag {
    match vlan_of(code).vid() {
        Some(v) => Tag::Push(v),
        None => Tag::None,
    }
}

/// The key of a group of a VLAN: sorted by VLAN (untagged last), then group.
/// (IGMP: `vlan code << 32 | group`, one integer comparison per step of a map search.)
type Key<A> = <A as Family>::Key;

fn key<A: Address>(code: u32, group: A) -> Key<A> {
    A::key(code, group)
}

/// The keys of every group of a VLAN.
fn vlan_keys<A: Address>(code: u32) -> core::ops::RangeInclusive<Key<A>> {
    A::key(code, A::MIN)..=A::key(code, A::MAX)
}

fn key_vlan<A: Address>(k: Key<A>) -> u32 {
    A::key_vlan(k)
}

fn key_group<A: Address>(k: Key<A>) -> A {
    A::key_group(k)
}

/// The first group address of a message that must be multicast and is not: the group of a
/// group-specific query (unspecified: a general query), of a report or leave, or of a
/// v3 group record of a known type (records of unknown types are ignored, RFC 3376 §4.2.12,
/// RFC 3810 §5.2.12).
fn not_multicast<A: Address>(msg: &Msg<'_, A>) -> Option<A> {
    let bad = |g: A| (!g.is_multicast_group()).then_some(g);
    match msg.kind {
        Kind::Query(_) => {
            if msg.group == A::UNSPECIFIED {
                None
            } else {
                bad(msg.group)
            }
        }
        Kind::Report(_) | Kind::Leave => bad(msg.group),
        Kind::ReportV3 => {
            let mut found = None;
            A::for_each_record(msg.bytes, |t, g, _| {
                if found.is_none() && (1..=6).contains(&t) {
                    found = bad(g);
                }
            });
            found
        }
        Kind::Other => None,
    }
}

/// A group's forwarding table, rebuilt when its membership changes, in one allocation so that
/// a lookup touches the hash bucket and one short array:
/// `[n_src, n_default, default ports.., listed sources.., end of each source's ports.., ports..]`.
/// Default ports (for a source nobody lists) are the router ports and the EXCLUDE-mode ports;
/// a listed source (an INCLUDE source or an excluded one somewhere) has its own list.
fn build_fwd<A: Address>(ports: &[PortState<A>], routers: &[u32]) -> Box<[u32]> {
    let mut default: Vec<u32> = routers.to_vec();
    default.extend(
        ports
            .iter()
            .filter(|p| p.mode == FilterMode::Exclude)
            .map(|p| p.port),
    );
    default.sort_unstable();
    default.dedup();
    let mut srcs: Vec<A> = Vec::new();
    for p in ports {
        for s in &p.sources {
            if p.mode == FilterMode::Include || s.timer.is_none() {
                srcs.push(s.addr);
            }
        }
    }
    srcs.sort_unstable();
    srcs.dedup();
    let mut ends = Vec::with_capacity(srcs.len());
    let mut flat = Vec::new();
    let mut list = Vec::new();
    for &addr in &srcs {
        list.clear();
        list.extend_from_slice(routers);
        for p in ports {
            let found = p.sources.binary_search_by(|x| x.addr.cmp(&addr));
            let fwd = match p.mode {
                FilterMode::Include => found.is_ok(),
                FilterMode::Exclude => match found {
                    Ok(i) => p.sources.get(i).is_some_and(|x| x.timer.is_some()),
                    Err(_) => true,
                },
            };
            if fwd {
                list.push(p.port);
            }
        }
        list.sort_unstable();
        list.dedup();
        flat.extend_from_slice(&list);
        ends.push(u32::try_from(flat.len()).unwrap_or(u32::MAX));
    }
    let mut t = Vec::with_capacity(2 + default.len() + 5 * srcs.len() + flat.len());
    t.push(u32::try_from(srcs.len()).unwrap_or(0));
    t.push(u32::try_from(default.len()).unwrap_or(0));
    t.extend_from_slice(&default);
    for &s in &srcs {
        s.push_words(&mut t);
    }
    t.extend_from_slice(&ends);
    t.extend_from_slice(&flat);
    t.into_boxed_slice()
}

#[derive(Debug)]
struct Group<A> {
    /// Sorted by port.
    ports: Vec<PortState<A>>,
    /// Member ports, sorted (as last announced).
    members: Vec<u32>,
    /// The earliest instant this group has in the timer heap.
    scheduled: Option<Instant>,
    /// Query generation of the VLAN in which a v1/v2 report was last forwarded (suppression).
    reported_gen: Option<u32>,
    /// A v2 leave to pass to the router ports once the last member is gone, and its tag.
    pending_leave: Option<(Vec<u8>, Tag)>,
    /// [`StrictAging::PerGroup`]: when the group goes unless a report for it comes first.
    answer_by: Option<Instant>,
}

impl<A: Address> Group<A> {
    fn new() -> Group<A> {
        Group {
            ports: Vec::new(),
            members: Vec::new(),
            scheduled: None,
            reported_gen: None,
            pending_leave: None,
            answer_by: None,
        }
    }

    fn deadline(&self) -> Option<Instant> {
        let ports = self.ports.iter().filter_map(PortState::deadline).min();
        match (ports, self.answer_by) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

#[derive(Debug)]
struct VlanState<A> {
    /// Learned router ports and when they expire.
    learned: Vec<(u32, Instant)>,
    /// Static and learned router ports, sorted.
    routers: Vec<u32>,
    /// The other querier and when it is presumed gone.
    other: Option<(QuerierInfo<A>, Instant)>,
    older_v1: Option<Instant>,
    older_v2: Option<Instant>,
    querier_enabled: bool,
    we_query: bool,
    next_general_query: Option<Instant>,
    startup_left: u8,
    /// Counts general queries (Ryu's igmplib's "reset reply status").
    gen: u32,
    groups: usize,
    per_port: BTreeMap<u32, usize>,
    announced: Option<QuerierInfo<A>>,
    /// The sender of the last query seen, whatever its address (Ryu's igmplib's querier):
    /// address, MAC, port.
    last_query: Option<(A, MacAddr, u32)>,
    /// The elected querier's robustness and query interval ([`Config::adopt_querier_timers`]).
    adopted: Option<(u8, Duration)>,
    /// The timers of this VLAN (the configuration's, or with the adopted values).
    timers: Timers,
}

/// An IGMP or MLD snooping switch (RFC 4541) keeping RFC 3376 §6 (RFC 3810 §7) state per
/// (VLAN, group, port): `Snooper` (`Snooper<Ipv4Addr>`) snoops IGMP, `Snooper<Ipv6Addr>`
/// ([`MldSnooper`], made by [`Snooper::mld`]) snoops MLD with the same state machine.
///
/// See the [crate documentation](crate) for the order in which to call the methods.
#[derive(Debug)]
pub struct Snooper<A: Address = Ipv4Addr> {
    config: Config,
    static_routers: Vec<u32>,
    now: Instant,
    vlans: BTreeMap<u32, VlanState<A>>,
    /// By (VLAN code, group) key: sorted by VLAN (untagged last), then group.
    groups: BTreeMap<Key<A>, Group<A>>,
    /// Forwarding tables of the groups with members ([`build_fwd`]), apart from the rest of the
    /// state so that a lookup touches one cache line (see [`crate::fwd_table`]).
    fwd: A::Table,
    heap: BinaryHeap<Reverse<(Instant, Key<A>)>>,
    transmits: TxQueue,
    events: VecDeque<Event<A>>,
    /// The event queue overflowed: the queue was dropped, no event is queued until
    /// [`Event::Resync`] has been polled.
    resync: bool,
    /// The first refusal of the input being handled (returned by `handle_frame`).
    refused: Option<Error<A>>,
    /// The tag of the frame being handled, for the frames forwarded from it.
    in_tag: Tag,
    stats: Stats,
    /// Derived timer values of the configuration.
    timers: Timers,
    /// The querier's server port ([`QuerierConfig::server_port`](crate::QuerierConfig)): it
    /// gets every group's traffic, it is not a router port.
    server_port: Option<u32>,
    scratch_sources: Vec<crate::membership::SourceRef<A>>,
    scratch_queries: Vec<A>,
    record_sources: Vec<A>,
    due: Vec<DueQuery<A>>,
}

/// An MLD snooping switch: a [`Snooper`] of IPv6 groups, made by [`Snooper::mld`].
pub type MldSnooper = Snooper<Ipv6Addr>;

impl Snooper<Ipv4Addr> {
    /// An IGMP snooper with `config`, running from `now`: its querier (if configured) starts
    /// at once (the first general query is ready in [`poll_transmit`](Snooper::poll_transmit)),
    /// and [`poll_timeout`](Snooper::poll_timeout) is valid right away.
    ///
    /// The querier's VLANs ([`QuerierConfig::vlans`](crate::QuerierConfig::vlans)) start in
    /// list order up to [`Config::max_vlans`]; each one beyond is not started and counts in
    /// [`Stats::limit_refusals`](crate::Stats::limit_refusals).
    pub fn new(config: Config, now: Instant) -> Self {
        Snooper::start(config, now)
    }
}

impl Snooper<Ipv6Addr> {
    /// An MLD snooper (RFC 4541 §3: MLDv1, RFC 2710, and MLDv2, RFC 3810) with `config`,
    /// running from `now`, as [`Snooper::new`] makes an IGMP one. The same settings apply,
    /// read for MLD: [`Config::query_version`] 3 sends MLDv2 queries and 2 MLDv1 queries; the
    /// querier (if configured) sends from the link-local address of [`Config::mac`]
    /// ([`link_local_from_mac`](crate::link_local_from_mac)), and `QuerierConfig::address` is
    /// not used; [`Config::report_subnets`] does not apply (MLD comes from link-local
    /// addresses).
    pub fn mld(config: Config, now: Instant) -> Self {
        Snooper::start(config, now)
    }
}

impl<A: Address> Snooper<A> {
    fn start(config: Config, now: Instant) -> Self {
        let mut static_routers = config.router_ports.clone();
        static_routers.sort_unstable();
        static_routers.dedup();
        let server_port = config.querier.as_ref().and_then(|q| q.server_port);
        let timers = config.timers_with(None);
        let fwd = A::table_new(config.hash_key);
        let mut sn = Snooper {
            timers,
            server_port,
            config,
            static_routers,
            now,
            vlans: BTreeMap::new(),
            groups: BTreeMap::new(),
            fwd,
            heap: BinaryHeap::new(),
            transmits: TxQueue::default(),
            events: VecDeque::new(),
            resync: false,
            refused: None,
            in_tag: Tag::None,
            stats: Stats::default(),
            scratch_sources: Vec::new(),
            scratch_queries: Vec::new(),
            record_sources: Vec::new(),
            due: Vec::new(),
        };
        let vlans = sn
            .config
            .querier
            .as_ref()
            .map(|q| q.vlans.clone())
            .unwrap_or_default();
        for v in vlans {
            // Beyond `max_vlans`: refused and counted in `stats.limit_refusals` (documented
            // on `QuerierConfig::vlans`); there is no input to return the error from.
            sn.ensure_vlan(vcode(v), now, 0);
        }
        sn.refused = None;
        sn
    }

    // ---------------------------------------------------------------------------------------
    // Getters

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Where traffic to `group` from `source` that came in on port `ingress` of `vlan` goes
    /// (never back out of `ingress`):
    /// - 224.0.0.x (link-local), for MLD the groups of scope 0 to 2 (reserved, interface- and
    ///   link-local scopes), and non-multicast destinations: [`Forward::Flood`];
    /// - a group some port joined: the router ports and the member ports whose state forwards
    ///   `source` (RFC 3376 §6.3), or [`Forward::Drop`] if there are none;
    /// - any other group: as [`Config::unregistered`] says.
    ///
    /// A keyed hash lookup and a search over the group's few listed sources; allocates nothing.
    #[inline]
    pub fn forward_ports(&self, vlan: VlanId, group: A, source: A, ingress: u32) -> Forward<'_> {
        if !group.is_multicast_group() || group.is_link_local_group() {
            return Forward::Flood;
        }
        let code = vcode(vlan);
        let ports: &[u32] = match A::table_get(&self.fwd, code, group, source) {
            Some(ports) => ports,
            None => match self.config.unregistered {
                Unregistered::Flood => return Forward::Flood,
                Unregistered::Drop => return Forward::Drop,
                Unregistered::RouterPorts => match self.vlans.get(&code) {
                    Some(v) => &v.routers,
                    None => &self.static_routers,
                },
            },
        };
        let list = PortList::without(ports, ingress);
        if list.is_empty() {
            Forward::Drop
        } else {
            Forward::Ports(list)
        }
    }

    /// The member ports of a group (sorted; empty if nobody joined).
    pub fn group_ports(&self, vlan: VlanId, group: A) -> &[u32] {
        self.groups
            .get(&key(vcode(vlan), group))
            .map_or(&[], |g| &g.members)
    }

    /// Every membership, sorted by VLAN (untagged last), group and port. Allocates nothing.
    pub fn memberships(&self) -> impl Iterator<Item = MembershipRef<'_, A>> + '_ {
        self.groups.iter().flat_map(|(&k, g)| {
            let vlan = vlan_of(key_vlan::<A>(k));
            let group = key_group(k);
            g.ports.iter().map(move |p| p.as_ref(vlan, group))
        })
    }

    /// Every group with members and its member ports (sorted), sorted by VLAN (untagged last)
    /// and group: what [`Event::GroupAdded`] / [`Event::MemberChanged`] /
    /// [`Event::GroupRemoved`] have said so far.
    pub fn groups(&self) -> impl Iterator<Item = (VlanId, A, &[u32])> + '_ {
        self.groups.iter().map(|(&k, g)| {
            (
                vlan_of(key_vlan::<A>(k)),
                key_group(k),
                g.members.as_slice(),
            )
        })
    }

    /// One membership.
    pub fn membership(&self, vlan: VlanId, group: A, port: u32) -> Option<MembershipRef<'_, A>> {
        let g = self.groups.get(&key(vcode(vlan), group))?;
        let p = g.ports.iter().find(|p| p.port == port)?;
        Some(p.as_ref(vlan, group))
    }

    /// Number of groups with at least one member port, over every VLAN.
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// The router ports of `vlan` (static and learned), sorted.
    pub fn router_ports(&self, vlan: VlanId) -> &[u32] {
        match self.vlans.get(&vcode(vlan)) {
            Some(v) => &v.routers,
            None => &self.static_routers,
        }
    }

    /// The querier of `vlan`, if one is known (or we are it).
    pub fn querier(&self, vlan: VlanId) -> Option<QuerierInfo<A>> {
        self.vlans
            .get(&vcode(vlan))
            .and_then(|v| self.querier_of(v))
    }

    /// The VLANs the snooper has state for.
    pub fn vlans(&self) -> impl Iterator<Item = VlanId> + '_ {
        self.vlans.keys().map(|&c| vlan_of(c))
    }

    fn querier_of(&self, v: &VlanState<A>) -> Option<QuerierInfo<A>> {
        if v.we_query {
            Some(QuerierInfo {
                address: self.query_src(),
                port: None,
                mac: self.config.mac,
                version: A::shown_version(self.query_version(v)),
            })
        } else {
            v.other.map(|(q, _)| QuerierInfo {
                version: A::shown_version(q.version),
                ..q
            })
        }
    }

    /// The version of the queries we send on a VLAN: the configured one, lowered while an
    /// older querier is present (RFC 3376 §7.3.1).
    fn query_version(&self, v: &VlanState<A>) -> u8 {
        let configured = self.config.query_version.clamp(2, 3);
        if v.older_v1.is_some() {
            1
        } else if v.older_v2.is_some() {
            2
        } else {
            configured
        }
    }

    // ---------------------------------------------------------------------------------------
    // Inputs

    /// An Ethernet frame came in on `port`. IGMP frames (MLD frames for an MLD snooper) are
    /// handled (and forwarded through
    /// [`poll_transmit`](Snooper::poll_transmit): queries flooded, reports and leaves to the
    /// router ports); PIM hellos make the port a router port; anything else is counted and left
    /// to the caller. `vlan` is the frame's VLAN if the runtime already took the tag off;
    /// `None` reads it from the frame's (outer) 802.1Q tag, untagged if it has none.
    ///
    /// # Errors
    /// [`Error::Parse`] for a frame that does not parse or has a bad checksum, and
    /// [`Error::NotMulticast`] for a frame that names a group address that is not multicast
    /// (a report, leave, group-specific query or any IGMPv3 or MLDv2 record): the frame is refused
    /// whole, nothing is forwarded and the state is unchanged (no VLAN instance is created);
    /// only `frames` and `bad_frames` of [`stats`](Snooper::stats) count it.
    /// [`Error::Limit`] when a bound of the [`Config`] refused a record (the other records of
    /// the frame are applied). Each is counted in [`stats`](Snooper::stats), never an event.
    pub fn handle_frame(
        &mut self,
        now: Instant,
        port: u32,
        vlan: Option<VlanId>,
        frame: &[u8],
    ) -> Result<(), Error<A>> {
        let now = self.advance(now);
        self.stats.frames += 1;
        self.refused = None;
        let parsed = match A::parse(frame) {
            Ok(p) => p,
            Err(error) => {
                self.stats.bad_frames += 1;
                return Err(Error::Parse { port, vlan, error });
            }
        };
        let tag = match &parsed {
            Parsed::Other => {
                self.stats.ignored += 1;
                return Ok(());
            }
            Parsed::PimHello { tag } | Parsed::Msg { tag, .. } => *tag,
        };
        let vid = vlan.unwrap_or_else(|| tag.map_or(VlanId::UNTAGGED, VlanId::from_tag));
        self.in_tag = if tag.is_some() {
            Tag::InFrame
        } else {
            own_tag(vcode(vid))
        };
        let code = vcode(vid);
        // A frame that names a group address that is not multicast is refused whole, before
        // any state (a VLAN instance, its querier) is created for it.
        if let Parsed::Msg { msg, .. } = &parsed {
            if let Some(group) = not_multicast(msg) {
                self.bad(port, code, group);
                return Err(self.refused.take().unwrap_or(Error::NotMulticast {
                    port,
                    vlan: vid,
                    group,
                }));
            }
        }
        if let Parsed::Msg { msg, ip_src, .. } = &parsed {
            if let Some(e) = self.foreign_source(port, vid, *ip_src, msg.kind) {
                self.refuse(e.clone());
                self.refused = None;
                return Err(e);
            }
        }
        if self.ensure_vlan(code, now, port) {
            if let Parsed::Msg {
                src_mac,
                ip_src,
                msg,
                ..
            } = parsed
            {
                self.handle_msg(now, port, code, src_mac, ip_src, &msg, frame);
            } else {
                self.learn_router(code, port, now);
            }
        }
        match self.refused.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// [`Config::report_subnets`] (IGMP) or RFC 3810 §5.2.13 (MLD): the refusal of a report or
    /// leave from a source on none of its VLAN's subnets, or not link-local.
    fn foreign_source(&self, port: u32, vlan: VlanId, source: A, kind: Kind) -> Option<Error<A>> {
        if !kind.is_membership() || !A::foreign(&self.config, vlan, source) {
            return None;
        }
        Some(Error::ForeignSource {
            port,
            vlan,
            address: source,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn handle_msg(
        &mut self,
        now: Instant,
        port: u32,
        code: u32,
        src_mac: MacAddr,
        ip_src: A,
        msg: &Msg<'_, A>,
        frame: &[u8],
    ) {
        match msg.kind {
            Kind::Query(version) => {
                self.handle_query(now, port, code, src_mac, ip_src, version, msg, frame)
            }
            Kind::Report(version) => {
                self.stats.reports += 1;
                self.handle_v12_report(now, port, code, msg.group, version, frame);
            }
            Kind::Leave => {
                self.stats.leaves += 1;
                self.handle_leave(now, port, code, msg.group, 2, Some(frame));
            }
            Kind::ReportV3 => {
                self.stats.reports += 1;
                let mut srcs = core::mem::take(&mut self.record_sources);
                A::for_each_record(msg.bytes, |rtype, group, raw| {
                    srcs.clear();
                    A::sources_from(raw, &mut srcs);
                    if !srcs.is_sorted() {
                        srcs.sort_unstable();
                    }
                    srcs.dedup();
                    self.handle_v3_record(now, port, code, group, rtype, &srcs);
                });
                self.record_sources = srcs;
                // IGMPv3 and MLDv2 reports are never suppressed (RFC 4541 §2.1.1).
                if !self.config.proxy_reporting {
                    self.forward_to_routers(code, port, frame, TransmitKind::ForwardedReport);
                }
            }
            Kind::Other => self.stats.ignored += 1,
        }
    }

    /// Time has come ([`poll_timeout`](Snooper::poll_timeout)). Harmless when early or repeated.
    pub fn handle_timeout(&mut self, now: Instant) {
        let now = self.advance(now);
        // Every VLAN, in order, without collecting their keys.
        let mut next = self.vlans.keys().next().copied();
        while let Some(code) = next {
            self.vlan_timers(code, now);
            next = self.vlans.range(code + 1..).next().map(|(&c, _)| c);
        }
        while let Some(&Reverse((t, k))) = self.heap.peek() {
            if t > now {
                break;
            }
            self.heap.pop();
            let due = match self.groups.get_mut(&k) {
                Some(g) if g.scheduled == Some(t) => {
                    g.scheduled = None;
                    true
                }
                _ => false,
            };
            if due {
                self.group_timers(k, now);
            }
        }
        if self.heap.len() > 2 * self.groups.len() + 64 {
            self.rebuild_heap();
        }
    }

    /// A port went down: it leaves every group and stops being a learned router port (and the
    /// querier behind it is forgotten).
    pub fn handle_port_down(&mut self, now: Instant, port: u32) {
        let now = self.advance(now);
        let keys: Vec<Key<A>> = self
            .groups
            .iter()
            .filter(|(_, g)| g.ports.iter().any(|p| p.port == port))
            .map(|(&k, _)| k)
            .collect();
        for k in keys {
            let code = key_vlan::<A>(k);
            if let Some(g) = self.groups.get_mut(&k) {
                g.ports.retain(|p| p.port != port);
            }
            if let Some(v) = self.vlans.get_mut(&code) {
                dec_port(v, port);
            }
            self.refresh_group(k);
            self.reschedule(k);
        }
        let codes: Vec<u32> = self.vlans.keys().copied().collect();
        for code in codes {
            let mut lost_querier = false;
            if let Some(v) = self.vlans.get_mut(&code) {
                if v.other.is_some_and(|(q, _)| q.port == Some(port)) {
                    v.other = None;
                    v.adopted = None;
                    v.timers = self.timers;
                    lost_querier = true;
                }
                if v.last_query.is_some_and(|(_, _, p)| p == port) {
                    v.last_query = None;
                }
                let before = v.learned.len();
                v.learned.retain(|&(p, _)| p != port);
                if v.learned.len() != before {
                    self.recompute_routers(code);
                }
            }
            if lost_querier {
                self.take_over(code, now);
            }
        }
    }

    /// Replaces the configuration, as `ip link set br0 type bridge mcast_...` does on a running
    /// bridge: new timer values apply to timers set from now on, new limits to state created
    /// from now on, static router ports and the querier switch at once (a querier that is
    /// turned on starts at the next input).
    pub fn set_config(&mut self, now: Instant, config: Config) {
        let now = self.advance(now);
        let mut static_routers = config.router_ports.clone();
        static_routers.sort_unstable();
        static_routers.dedup();
        let server_port = config.querier.as_ref().and_then(|q| q.server_port);
        let querier_enabled = config.querier.is_some();
        let server_changed = server_port != self.server_port;
        self.timers = config.timers_with(None);
        self.config = config;
        self.static_routers = static_routers;
        self.server_port = server_port;
        let codes: Vec<u32> = self.vlans.keys().copied().collect();
        for code in codes {
            if let Some(v) = self.vlans.get_mut(&code) {
                if !self.config.adopt_querier_timers {
                    v.adopted = None;
                }
                v.timers = self.config.timers_with(v.adopted);
                v.querier_enabled = querier_enabled;
                if !querier_enabled {
                    v.we_query = false;
                    v.next_general_query = None;
                }
            }
            self.recompute_routers(code);
            if server_changed {
                self.rebuild_fwd(code);
            }
            if querier_enabled && self.vlans.get(&code).is_some_and(|v| v.other.is_none()) {
                self.take_over(code, now);
            } else {
                self.announce(code);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Outputs

    /// The next frame to send: written into `buf` (cleared first; keep one `Vec` and reuse
    /// it), with what it is and where it goes. `None` (and `buf` empty) when there is none.
    pub fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        self.transmits.pop(buf)
    }

    /// The next event.
    ///
    /// After an overflow of the event queue ([`Config::max_queued_events`]), the queued events
    /// are dropped and the next one is [`Event::Resync`]: read the state then (it includes
    /// every change whose event was dropped); the events after it are changes made after that
    /// moment.
    pub fn poll_event(&mut self) -> Option<Event<A>> {
        if self.resync {
            self.resync = false;
            self.stats.resyncs += 1;
            return Some(Event::Resync);
        }
        self.events.pop_front()
    }

    /// When to call [`handle_timeout`](Snooper::handle_timeout) next (`None`: nothing
    /// scheduled). May be early; never late.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let mut t = self.heap.peek().map(|Reverse((t, _))| *t);
        let mut take = |x: Option<Instant>| {
            if let Some(x) = x {
                t = Some(t.map_or(x, |t| t.min(x)));
            }
        };
        for v in self.vlans.values() {
            take(v.next_general_query);
            take(v.other.map(|(_, e)| e));
            take(v.older_v1);
            take(v.older_v2);
            take(v.learned.iter().map(|&(_, e)| e).min());
        }
        t
    }

    // ---------------------------------------------------------------------------------------
    // Internals: time, queues

    fn advance(&mut self, now: Instant) -> Instant {
        self.now = self.now.max(now);
        self.now
    }

    fn push_tx(&mut self, tx: Transmit, frame: &[u8]) {
        if self.transmits.len() >= self.config.max_queued_transmits {
            self.stats.transmits_dropped += 1;
        } else {
            self.transmits.push(tx, frame);
        }
    }

    /// Queues a query we build; says whether it was queued.
    fn push_query(&mut self, tx: Transmit, q: &QuerySpec<'_, A>) -> bool {
        if self.transmits.len() >= self.config.max_queued_transmits {
            self.stats.transmits_dropped += 1;
            return false;
        }
        let ok = self.transmits.push_with(tx, |out| A::write_query(q, out));
        if ok {
            self.stats.queries_sent += 1;
        }
        ok
    }

    fn push_event(&mut self, ev: Event<A>) {
        if self.resync {
            // Covered by the resync: the state read then includes this change.
            self.stats.events_dropped += 1;
        } else if self.events.len() >= self.config.max_queued_events {
            // Nothing is lost silently: the queued events are dropped and a resync comes first.
            self.stats.events_dropped += self.events.len() as u64 + 1;
            self.events.clear();
            self.resync = true;
        } else {
            self.events.push_back(ev);
        }
    }

    /// Counts a refusal and keeps the first one for `handle_frame` to return.
    fn refuse(&mut self, e: Error<A>) {
        if e.is_bad_frame() {
            self.stats.bad_frames += 1;
        } else {
            self.stats.limit_refusals += 1;
        }
        if self.refused.is_none() {
            self.refused = Some(e);
        }
    }

    fn bad(&mut self, port: u32, code: u32, group: A) {
        self.refuse(Error::NotMulticast {
            port,
            vlan: vlan_of(code),
            group,
        });
    }

    fn limit(&mut self, code: u32, port: u32, group: A, limit: Limit) {
        self.refuse(Error::Limit {
            vlan: vlan_of(code),
            port,
            group,
            limit,
        });
    }

    /// The VLAN instance exists (created, with its querier started, if the bound allows).
    fn ensure_vlan(&mut self, code: u32, now: Instant, port: u32) -> bool {
        if self.vlans.contains_key(&code) {
            return true;
        }
        if self.vlans.len() >= self.config.max_vlans {
            self.limit(code, port, A::UNSPECIFIED, Limit::Vlans);
            return false;
        }
        let querier_enabled = self.config.querier.is_some();
        self.vlans.insert(
            code,
            VlanState {
                learned: Vec::new(),
                routers: self.static_routers.clone(),
                other: None,
                older_v1: None,
                older_v2: None,
                querier_enabled,
                we_query: false,
                next_general_query: None,
                startup_left: 0,
                gen: 0,
                groups: 0,
                per_port: BTreeMap::new(),
                announced: None,
                last_query: None,
                adopted: None,
                timers: self.timers,
            },
        );
        if querier_enabled {
            if let Some(v) = self.vlans.get_mut(&code) {
                v.startup_left = self.config.startup_query_count();
            }
            self.take_over(code, now);
        }
        true
    }

    fn announce(&mut self, code: u32) {
        let Some(v) = self.vlans.get(&code) else {
            return;
        };
        let q = self.querier_of(v);
        if q != v.announced {
            if let Some(v) = self.vlans.get_mut(&code) {
                v.announced = q;
            }
            self.push_event(Event::QuerierChanged {
                vlan: vlan_of(code),
                querier: q,
            });
        }
    }

    /// No other querier: ours (if enabled) takes over and queries at once.
    fn take_over(&mut self, code: u32, now: Instant) {
        if let Some(v) = self.vlans.get_mut(&code) {
            if v.querier_enabled && !v.we_query {
                v.we_query = true;
                v.next_general_query = Some(now);
            }
        }
        self.announce(code);
        self.vlan_timers(code, now);
    }

    // ---------------------------------------------------------------------------------------
    // Internals: routers and queriers

    fn learn_router(&mut self, code: u32, port: u32, now: Instant) {
        let Some(v) = self.vlans.get_mut(&code) else {
            return;
        };
        let until = add(now, v.timers.router);
        match v.learned.iter_mut().find(|(p, _)| *p == port) {
            Some(e) => e.1 = until,
            None => {
                v.learned.push((port, until));
                self.recompute_routers(code);
            }
        }
    }

    /// Rebuilds a VLAN's router port list (static and learned) and, if it changed, every
    /// forwarding table of the VLAN; says which ports came and went.
    fn recompute_routers(&mut self, code: u32) {
        let Some(v) = self.vlans.get_mut(&code) else {
            return;
        };
        let mut routers = self.static_routers.clone();
        routers.extend(v.learned.iter().map(|&(p, _)| p));
        routers.sort_unstable();
        routers.dedup();
        if routers == v.routers {
            return;
        }
        let old = core::mem::replace(&mut v.routers, routers.clone());
        let upstream = with_server(&routers, self.server_port);
        for (&k, g) in &self.groups {
            if key_vlan::<A>(k) == code && !g.members.is_empty() {
                A::table_insert(
                    &mut self.fwd,
                    key_vlan::<A>(k),
                    key_group(k),
                    build_fwd(&g.ports, &upstream),
                );
            }
        }
        let vlan = vlan_of(code);
        for &port in &routers {
            if old.binary_search(&port).is_err() {
                self.push_event(Event::RouterPortAdded { vlan, port });
            }
        }
        for &port in &old {
            if routers.binary_search(&port).is_err() {
                self.push_event(Event::RouterPortRemoved { vlan, port });
            }
        }
    }

    /// Rebuilds every forwarding table of a VLAN (the server port changed).
    fn rebuild_fwd(&mut self, code: u32) {
        let Some(v) = self.vlans.get(&code) else {
            return;
        };
        let upstream = with_server(&v.routers, self.server_port);
        for (&k, g) in &self.groups {
            if key_vlan::<A>(k) == code && !g.members.is_empty() {
                A::table_insert(
                    &mut self.fwd,
                    key_vlan::<A>(k),
                    key_group(k),
                    build_fwd(&g.ports, &upstream),
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn handle_query(
        &mut self,
        now: Instant,
        port: u32,
        code: u32,
        src_mac: MacAddr,
        ip_src: A,
        version: u8,
        msg: &Msg<'_, A>,
        frame: &[u8],
    ) {
        if !A::valid_querier(ip_src) {
            // MLD: a query from an address that is not link-local is dropped (RFC 2710 §3.7,
            // RFC 3810 §5.1.14), as the Linux bridge drops it.
            self.stats.ignored += 1;
            return;
        }
        self.stats.queries += 1;
        let group = msg.group;
        if group != A::UNSPECIFIED && !group.is_multicast_group() {
            return self.bad(port, code, group);
        }
        let mrt = msg
            .max_resp
            .unwrap_or(sdnwire_packet::igmp::V1_MAX_RESP_TIME)
            .max(Duration::from_millis(100));
        if let Some(v) = self.vlans.get_mut(&code) {
            v.last_query = Some((ip_src, src_mac, port));
        }
        // RFC 4541 §2.1.1 (4): a query from 0.0.0.0 (a snooping switch's proxy querier) takes
        // no part in the election; it makes no router port either (as OVS does) unless the
        // configuration asks for Ryu's igmplib's and the Linux bridge's behaviour.
        if ip_src == A::UNSPECIFIED {
            if self.config.router_port_from_unspecified {
                self.learn_router(code, port, now);
            }
        } else {
            self.learn_router(code, port, now);
            self.consider_querier(
                code,
                QuerierInfo {
                    address: ip_src,
                    port: Some(port),
                    mac: src_mac,
                    version,
                },
                now,
            );
            if version == 3 && self.config.adopt_querier_timers {
                self.adopt(code, ip_src, msg);
            }
        }
        let tx = Transmit {
            kind: TransmitKind::ForwardedQuery,
            vlan: vlan_of(code),
            tag: self.in_tag,
            egress: Egress::Flood { except: Some(port) },
        };
        self.push_tx(tx, frame);
        if group == A::UNSPECIFIED {
            // Ryu's igmplib: a query discards the leaves held back.
            for (_, g) in self.groups.range_mut(vlan_keys::<A>(code)) {
                g.pending_leave = None;
            }
            self.general_query_seen(code, now, mrt);
            if self.config.proxy_reporting {
                self.proxy_answer(code);
            }
            return;
        }
        let k = key(code, group);
        if self.config.strict_aging == StrictAging::PerGroup {
            let until = add(now, mrt);
            if let Some(g) = self.groups.get_mut(&k) {
                g.answer_by = Some(g.answer_by.map_or(until, |t| t.min(until)));
            }
        }
        let lmqc = u32::from(
            self.vlans
                .get(&code)
                .map_or(self.timers.lmqc, |v| v.timers.lmqc),
        );
        let until = add(now, mrt.saturating_mul(lmqc));
        let s_flag = version == 3 && msg.s_flag;
        let mut srcs: Vec<A> = Vec::new();
        if version == 3 {
            A::query_sources(msg.bytes, &mut srcs);
        }
        srcs.sort_unstable();
        srcs.dedup();
        if let Some(g) = self.groups.get_mut(&k) {
            // A report that answers it is forwarded again.
            g.reported_gen = None;
            g.pending_leave = None;
            // §6.6.1: a query with a clear S flag lowers the timers it names.
            if !s_flag {
                for p in &mut g.ports {
                    if srcs.is_empty() {
                        p.lower_group_timer(until);
                    } else {
                        p.lower_source_timers(&srcs, until);
                    }
                }
            }
        }
        self.reschedule(k);
    }

    /// A general query went out (ours) or came in: reset the reply status (suppression), and
    /// with strict aging lower every timer of the VLAN to the response deadline.
    fn general_query_seen(&mut self, code: u32, now: Instant, mrt: Duration) {
        if let Some(v) = self.vlans.get_mut(&code) {
            v.gen = v.gen.wrapping_add(1);
        }
        let aging = self.config.strict_aging;
        if aging != StrictAging::Off {
            let until = add(now, mrt);
            let keys: Vec<Key<A>> = self
                .groups
                .range(vlan_keys::<A>(code))
                .map(|(&k, _)| k)
                .collect();
            for k in keys {
                if let Some(g) = self.groups.get_mut(&k) {
                    if aging == StrictAging::PerPort {
                        for p in &mut g.ports {
                            p.lower_all(until);
                        }
                    } else {
                        g.answer_by = Some(g.answer_by.map_or(until, |t| t.min(until)));
                    }
                }
                self.reschedule(k);
            }
        }
    }

    /// [`Config::adopt_querier_timers`]: the elected querier's QRV and QQIC (RFC 3376 §4.1.6,
    /// §4.1.7) become the VLAN's robustness and query interval.
    fn adopt(&mut self, code: u32, from: A, msg: &Msg<'_, A>) {
        let Some(v) = self.vlans.get_mut(&code) else {
            return;
        };
        if v.other.is_none_or(|(q, _)| q.address != from) {
            return; // not the elected querier
        }
        let qrv = msg.qrv;
        let Some(qqi) = msg.qqi else {
            return;
        };
        // A QRV of 0 (more than 7) and a QQIC of 0 leave ours in place (§4.1.6, §4.1.7).
        let qrv = if qrv == 0 {
            self.config.robustness()
        } else {
            qrv
        };
        let qi = if qqi.is_zero() {
            self.config.query_interval
        } else {
            qqi
        };
        let adopted = Some((qrv, qi));
        if v.adopted != adopted {
            v.adopted = adopted;
            v.timers = self.config.timers_with(adopted);
        }
    }

    /// Querier election (RFC 3376 §6.6.2): the lowest address wins; a query of an older
    /// version lowers ours, whoever wins (§7.3.1).
    fn consider_querier(&mut self, code: u32, cand: QuerierInfo<A>, now: Instant) {
        let ours = self
            .config
            .querier
            .as_ref()
            .map(|_| self.query_src())
            .filter(|a| *a != A::UNSPECIFIED);
        let Some(v) = self.vlans.get_mut(&code) else {
            return;
        };
        let oqpi = v.timers.oqpi;
        // We stay (or become) the querier, or a lower querier is present.
        let loses = (v.querier_enabled && ours.is_some_and(|a| a < cand.address))
            || v.other.is_some_and(|(cur, _)| cur.address < cand.address);
        if loses {
            // §7.3.1: the querier uses the lowest version present, elected or not.
            if older_querier_heard(v, cand.version, now) {
                self.announce(code);
            }
            return;
        }
        let until = add(now, oqpi);
        if v.other.is_none_or(|(q, _)| q.address != cand.address) && v.adopted.is_some() {
            // A new querier: its own values are adopted from its queries.
            v.adopted = None;
            v.timers = self.timers;
        }
        v.other = Some((cand, until));
        older_querier_heard(v, cand.version, now);
        if v.we_query {
            v.we_query = false;
            v.next_general_query = None;
        }
        self.announce(code);
    }

    fn vlan_timers(&mut self, code: u32, now: Instant) {
        let Some(v) = self.vlans.get_mut(&code) else {
            return;
        };
        let mut older_gone = false;
        if v.older_v1.is_some_and(|t| t <= now) {
            v.older_v1 = None;
            older_gone = true;
        }
        if v.older_v2.is_some_and(|t| t <= now) {
            v.older_v2 = None;
            older_gone = true;
        }
        let expired = v.learned.iter().any(|&(_, e)| e <= now);
        v.learned.retain(|&(_, e)| e > now);
        let querier_gone = v.other.is_some_and(|(_, e)| e <= now);
        if querier_gone {
            v.other = None;
            v.adopted = None;
            v.timers = self.timers;
        }
        if expired {
            self.recompute_routers(code);
        }
        if querier_gone {
            if self.vlans.get(&code).is_some_and(|v| v.querier_enabled) {
                self.take_over(code, now);
            } else {
                self.announce(code);
            }
        } else if older_gone {
            // Our queries' version goes back up (RFC 3376 §7.3.1): the querier changed.
            self.announce(code);
        }
        let due = self
            .vlans
            .get(&code)
            .is_some_and(|v| v.we_query && v.next_general_query.is_some_and(|t| t <= now));
        if due {
            self.send_general_query(code, now);
        }
    }

    fn query_src(&self) -> A {
        A::own_address(&self.config)
    }

    fn send_general_query(&mut self, code: u32, now: Instant) {
        let Some(v) = self.vlans.get(&code) else {
            return;
        };
        let version = self.query_version(v);
        let qri = self.config.query_response_interval();
        let sqi = self.config.startup_query_interval();
        let qi = self.config.query_interval();
        if let Some(v) = self.vlans.get_mut(&code) {
            v.startup_left = v.startup_left.saturating_sub(1);
            let next = if v.startup_left > 0 { sqi } else { qi };
            v.next_general_query = Some(add(now, next));
        }
        let spec = QuerySpec {
            version,
            src_mac: self.config.mac,
            src_ip: self.query_src(),
            group: A::UNSPECIFIED,
            sources: &[],
            max_resp: qri,
            s_flag: false,
            qrv: self.config.robustness(),
            qqi: self.config.query_interval(),
            to_all_hosts: false,
        };
        let tx = Transmit {
            kind: TransmitKind::GeneralQuery,
            vlan: vlan_of(code),
            tag: own_tag(code),
            egress: Egress::Flood { except: None },
        };
        self.push_query(tx, &spec);
        self.general_query_seen(code, now, qri);
    }

    // ---------------------------------------------------------------------------------------
    // Internals: records

    /// Queues `frame` (which came in on `port`, `u32::MAX` for none) for the router ports
    /// of the VLAN, if it has any other than `port`.
    fn forward_to_routers(&mut self, code: u32, port: u32, frame: &[u8], kind: TransmitKind) {
        let tag = self.in_tag;
        self.forward_tagged(code, port, frame, kind, tag);
    }

    fn forward_tagged(&mut self, code: u32, port: u32, frame: &[u8], kind: TransmitKind, tag: Tag) {
        let Some(v) = self.vlans.get(&code) else {
            return;
        };
        if !v.routers.iter().any(|&p| p != port) {
            return;
        }
        let tx = Transmit {
            kind,
            vlan: vlan_of(code),
            tag,
            egress: Egress::RouterPorts {
                except: (port != u32::MAX).then_some(port),
            },
        };
        self.push_tx(tx, frame);
    }

    fn handle_v12_report(
        &mut self,
        now: Instant,
        port: u32,
        code: u32,
        group: A,
        version: u8,
        frame: &[u8],
    ) {
        self.handle_record(now, port, code, group, Record::IsEx, version, &[]);
        let gen = self.vlans.get(&code).map_or(0, |v| v.gen);
        let k = key(code, group);
        let forward = match self.groups.get_mut(&k) {
            Some(g) => {
                g.pending_leave = None;
                let first = g.reported_gen != Some(gen);
                g.reported_gen = Some(gen);
                first || !self.config.report_suppression
            }
            None => true,
        };
        if forward && !self.config.proxy_reporting {
            self.forward_to_routers(code, port, frame, TransmitKind::ForwardedReport);
        }
    }

    /// [`Config::proxy_reporting`]: our own report (`join`) or leave for `group`, to the
    /// router ports.
    fn proxy_send(&mut self, code: u32, group: A, join: bool) {
        let Some(v) = self.vlans.get(&code) else {
            return;
        };
        if v.routers.is_empty() {
            return;
        }
        if self.transmits.len() >= self.config.max_queued_transmits {
            self.stats.transmits_dropped += 1;
            return;
        }
        let kind = if join {
            TransmitKind::ProxyReport
        } else {
            TransmitKind::ProxyLeave
        };
        let tx = Transmit {
            kind,
            vlan: vlan_of(code),
            tag: own_tag(code),
            egress: Egress::RouterPorts { except: None },
        };
        let (mac, src) = (self.config.mac, self.query_src());
        self.transmits
            .push_with(tx, |out| A::write_proxy(join, mac, src, group, out));
    }

    /// [`Config::proxy_reporting`]: a general query came: one report per group with members.
    fn proxy_answer(&mut self, code: u32) {
        let groups: Vec<A> = self
            .groups
            .range(vlan_keys::<A>(code))
            .filter(|(_, g)| !g.members.is_empty())
            .map(|(&k, _)| key_group(k))
            .collect();
        for g in groups {
            self.proxy_send(code, g, true);
        }
    }

    /// Whether a leave is acted on now ([`Config::act_on_leaves`]).
    fn acts_on_leaves(&self, code: u32) -> bool {
        let Some(v) = self.vlans.get(&code) else {
            return false;
        };
        match self.config.act_on_leaves {
            ActOnLeaves::Always => true,
            ActOnLeaves::WhenQuerierKnown => {
                v.we_query || v.other.is_some() || v.last_query.is_some()
            }
            ActOnLeaves::UnlessOtherQuerier => v.other.is_none(),
        }
    }

    /// A leave from `port`: an IGMPv2 leave (`frame` is the frame, to forward or hold back),
    /// or an IGMPv3 record read as one without source filtering (`frame` is `None`: the report
    /// is forwarded whole by the caller).
    #[allow(clippy::too_many_arguments)]
    fn handle_leave(
        &mut self,
        now: Instant,
        port: u32,
        code: u32,
        group: A,
        version: u8,
        frame: Option<&[u8]>,
    ) {
        self.stats.records += 1;
        if !group.is_multicast_group() {
            return self.bad(port, code, group);
        }
        let k = key(code, group);
        let acted = self.acts_on_leaves(code);
        let member = acted
            && self
                .groups
                .get(&k)
                .is_some_and(|g| g.ports.iter().any(|p| p.port == port));
        let forward_now = match self.config.forward_leaves {
            ForwardLeaves::Always => true,
            ForwardLeaves::LastMember => acted && !self.groups.contains_key(&k),
        };
        if let Some(frame) = frame.filter(|_| !self.config.proxy_reporting) {
            if forward_now {
                self.forward_to_routers(code, port, frame, TransmitKind::ForwardedLeave);
            } else if member && self.config.forward_leaves == ForwardLeaves::LastMember {
                // Kept until the last member is gone (Ryu's igmplib), then sent to the routers.
                let tag = self.in_tag;
                if let Some(g) = self.groups.get_mut(&k) {
                    // A leave is 46 to 64 bytes; a padded giant is not kept.
                    g.pending_leave = (frame.len() <= 1522).then(|| (frame.to_vec(), tag));
                }
            }
        }
        if member {
            self.apply_record(now, port, code, group, Record::ToIn, version, &[]);
        }
    }

    fn handle_v3_record(
        &mut self,
        now: Instant,
        port: u32,
        code: u32,
        group: A,
        rtype: u8,
        srcs: &[A],
    ) {
        let rec = match rtype {
            // The same six types in IGMPv3 and MLDv2 (RFC 3810 §5.2.12).
            1 => Record::IsIn,
            2 => Record::IsEx,
            3 => Record::ToIn,
            4 => Record::ToEx,
            5 => Record::Allow,
            6 => Record::Block,
            _ => return, // RFC 3376 §4.2.12: unknown record types are ignored
        };
        if !self.config.source_filtering {
            // IGMPv2 operation (the Linux bridge's `mcast_igmp_version 2`): a leave or a join
            // of the whole group.
            if matches!(rec, Record::IsIn | Record::ToIn) && srcs.is_empty() {
                return self.handle_leave(now, port, code, group, 3, None);
            }
            return self.handle_record(now, port, code, group, Record::IsEx, 3, &[]);
        }
        self.handle_record(now, port, code, group, rec, 3, srcs);
    }

    /// One group record (v1/v2 messages translated) for `port`.
    #[allow(clippy::too_many_arguments)]
    fn handle_record(
        &mut self,
        now: Instant,
        port: u32,
        code: u32,
        group: A,
        rec: Record,
        version: u8,
        srcs: &[A],
    ) {
        self.stats.records += 1;
        self.apply_record(now, port, code, group, rec, version, srcs);
    }

    /// [`handle_record`](Self::handle_record), not counted.
    #[allow(clippy::too_many_arguments)]
    fn apply_record(
        &mut self,
        now: Instant,
        port: u32,
        code: u32,
        group: A,
        rec: Record,
        version: u8,
        srcs: &[A],
    ) {
        if !group.is_multicast_group() {
            return self.bad(port, code, group);
        }
        if group.is_link_local_group() {
            return; // always flooded, never tracked (RFC 4541 §2.1.2 (2))
        }
        let k = key(code, group);
        let (exists, port_compat) = match self.groups.get(&k) {
            Some(g) => match g.ports.iter().position(|p| p.port == port) {
                Some(i) => (Some(i), g.ports.get(i).map_or(3, PortState::compat)),
                None => (None, 3),
            },
            None => (None, 3),
        };
        let compat = port_compat.min(version.clamp(1, 3));
        // §7.3.2: translations in IGMPv1/v2 group compatibility mode.
        let (rec, srcs): (Record, &[A]) = match (compat, rec) {
            (1 | 2, Record::Block) => return,
            (1 | 2, Record::ToEx) => (Record::ToEx, &[]),
            (1, Record::ToIn) => return,
            _ => (rec, srcs),
        };
        let creates = matches!(rec, Record::IsEx | Record::ToEx)
            || (matches!(rec, Record::IsIn | Record::Allow | Record::ToIn) && !srcs.is_empty());
        if exists.is_none() && !creates {
            return;
        }
        if exists.is_none() {
            let Some(v) = self.vlans.get(&code) else {
                return;
            };
            let new_group = !self.groups.contains_key(&k);
            if new_group && v.groups >= self.config.max_groups_per_vlan {
                return self.limit(code, port, group, Limit::GroupsPerVlan);
            }
            if v.per_port.get(&port).copied().unwrap_or(0) >= self.config.max_groups_per_port {
                return self.limit(code, port, group, Limit::GroupsPerPort);
            }
            if srcs.len() > self.config.max_sources_per_group {
                return self.limit(code, port, group, Limit::SourcesPerGroup);
            }
        }
        let fast_leave = self.config.fast_leave.contains(port);
        let (_, lowers) = self.last_member_roles(code);
        let tm = self.vlans.get(&code).map_or(self.timers, |v| v.timers);
        let ohpi = tm.ohpi;
        let timing = Timing {
            now,
            gmi: tm.gmi,
            lmqt: tm.lmqt,
            lmqc: tm.lmqc,
            lmqi: tm.lmqi,
            querying: lowers || fast_leave,
        };
        let max_sources = self.config.max_sources_per_group;
        let mut scratch = core::mem::take(&mut self.scratch_sources);
        let mut queries = core::mem::take(&mut self.scratch_queries);
        let mut created = false;
        let outcome = {
            if exists.is_none() {
                let g = self.groups.entry(k).or_insert_with(Group::new);
                if g.ports.is_empty() {
                    if let Some(v) = self.vlans.get_mut(&code) {
                        v.groups += 1;
                    }
                }
                let at = g.ports.partition_point(|p| p.port < port);
                g.ports.insert(at, PortState::new(port));
                if let Some(v) = self.vlans.get_mut(&code) {
                    *v.per_port.entry(port).or_insert(0) += 1;
                }
                created = true;
            }
            let Some(g) = self.groups.get_mut(&k) else {
                self.scratch_sources = scratch;
                self.scratch_queries = queries;
                return;
            };
            if matches!(
                rec,
                Record::IsEx | Record::ToEx | Record::IsIn | Record::Allow
            ) {
                g.pending_leave = None; // somebody answered
                g.answer_by = None;
            }
            let Some(p) = g.ports.iter_mut().find(|p| p.port == port) else {
                self.scratch_sources = scratch;
                self.scratch_queries = queries;
                return;
            };
            // An older host present timer that starts, or moves earlier (the interval
            // shortened by `set_config`), can be the port's earliest deadline when that
            // interval is shorter than GMI: the group is then rescheduled even after a refresh.
            let compat = match version {
                1 => Some(&mut p.v1_host),
                2 if rec == Record::IsEx => Some(&mut p.v2_host),
                _ => None,
            };
            let until = add(now, ohpi);
            let host_timer_earlier =
                compat.is_some_and(|t| t.replace(until).is_none_or(|old| until < old));
            let mut o = p.apply(rec, srcs, &timing, max_sources, &mut scratch, &mut queries);
            o.raised_only &= !host_timer_earlier;
            if fast_leave && o.query_now {
                // Fast leave: nobody else is behind this port, so the queries would go
                // unanswered: let their timers run out now.
                if p.gq_left > 0 {
                    p.group_timer = Some(now);
                }
                for (addr, _) in &p.sq {
                    if let Ok(i) = p.sources.binary_search_by(|s| s.addr.cmp(addr)) {
                        if let Some(s) = p.sources.get_mut(i) {
                            s.timer = Some(now);
                        }
                    }
                }
                p.gq_left = 0;
                p.sq.clear();
                p.next_query = None;
                let e = p.expire(now);
                o.changed |= e.changed;
                o.query_now = false;
            }
            o
        };
        self.scratch_sources = scratch;
        self.scratch_queries = queries;
        if outcome.refused {
            self.limit(code, port, group, Limit::SourcesPerGroup);
        }
        if outcome.raised_only && !created {
            return; // a refresh: no deadline moved earlier, nothing changed
        }
        let removed = self.drop_empty_ports(k, code);
        if outcome.query_now {
            self.port_queries(k, code, port, now);
        }
        if outcome.changed || created || removed {
            self.refresh_group(k);
        }
        self.reschedule(k);
    }

    /// Removes INCLUDE({}) port entries; whether any went.
    fn drop_empty_ports(&mut self, k: Key<A>, code: u32) -> bool {
        let Some(g) = self.groups.get_mut(&k) else {
            return false;
        };
        let mut gone = Vec::new();
        g.ports.retain(|p| {
            if p.is_empty() {
                gone.push(p.port);
                false
            } else {
                true
            }
        });
        if let Some(v) = self.vlans.get_mut(&code) {
            for &p in &gone {
                dec_port(v, p);
            }
        }
        !gone.is_empty()
    }

    /// Whether we send the last member queries of a VLAN, and whether we lower the timers
    /// ([`Config::last_member_queries`]).
    fn last_member_roles(&self, code: u32) -> (bool, bool) {
        let we = self.vlans.get(&code).is_some_and(|v| v.we_query);
        match self.config.last_member_queries {
            LastMemberQueries::Querier => (we, we),
            LastMemberQueries::LowerTimers => (we, true),
            LastMemberQueries::Always => (true, true),
        }
    }

    /// The source of our group-specific queries: ours while we are the querier; otherwise the
    /// address and MAC of the last query seen, as Ryu's igmplib's snooper builds them (ours if
    /// none was seen).
    fn group_query_source(&self, code: u32) -> (A, MacAddr) {
        match self.vlans.get(&code) {
            Some(v) if !v.we_query => match v.last_query {
                Some((ip, mac, _)) => (ip, mac),
                None => (self.query_src(), self.config.mac),
            },
            _ => (self.query_src(), self.config.mac),
        }
    }

    /// Builds the queries due on one port of a group (Egress to that port only).
    fn port_queries(&mut self, k: Key<A>, code: u32, port: u32, now: Instant) {
        let tm = self.vlans.get(&code).map_or(self.timers, |v| v.timers);
        let timing = Timing {
            now,
            gmi: tm.gmi,
            lmqt: tm.lmqt,
            lmqc: tm.lmqc,
            lmqi: tm.lmqi,
            querying: true,
        };
        let (sends, _) = self.last_member_roles(code);
        let (src_ip, src_mac) = self.group_query_source(code);
        let vlan_version = self.vlans.get(&code).map_or(3, |v| self.query_version(v));
        let mut due = core::mem::take(&mut self.due);
        due.clear();
        let mut compat = 3;
        if let Some(p) = self
            .groups
            .get_mut(&k)
            .and_then(|g| g.ports.iter_mut().find(|p| p.port == port))
        {
            p.due_queries(&timing, &mut due);
            compat = p.compat();
        }
        let group = key_group(k);
        if !sends {
            due.clear();
        }
        for q in due.drain(..) {
            // Group-specific queries follow the port's compatibility mode; group-and-source
            // queries exist in IGMPv3 only.
            let version = if q.sources.is_empty() {
                vlan_version.min(compat).max(2)
            } else {
                3
            };
            // Split so that each frame fits a 1500-byte MTU (IPv4: 300 sources, IPv6: 89).
            let mut chunks = q.sources.chunks(A::QUERY_SOURCES.max(1));
            let first: &[A] = chunks.next().unwrap_or(&[]);
            for chunk in core::iter::once(first).chain(chunks) {
                let spec = QuerySpec {
                    version,
                    src_mac,
                    src_ip,
                    group,
                    sources: chunk,
                    max_resp: tm.lmqi,
                    s_flag: q.s_flag,
                    qrv: self.config.robustness(),
                    qqi: self.config.query_interval(),
                    to_all_hosts: self.config.group_queries_to_all_hosts,
                };
                let tx = Transmit {
                    kind: TransmitKind::GroupQuery,
                    vlan: vlan_of(code),
                    tag: own_tag(code),
                    egress: Egress::Port(port),
                };
                self.push_query(tx, &spec);
            }
        }
        self.due = due;
    }

    /// Group timers due: expire, query, refresh.
    fn group_timers(&mut self, k: Key<A>, now: Instant) {
        let code = key_vlan::<A>(k);
        let mut changed = false;
        let mut query_ports = Vec::new();
        if let Some(g) = self.groups.get_mut(&k) {
            if g.answer_by.is_some_and(|t| t <= now) {
                // StrictAging::PerGroup: nobody answered the query: every port goes.
                g.answer_by = None;
                for p in &mut g.ports {
                    *p = PortState::new(p.port);
                }
                changed = true;
            }
            for p in &mut g.ports {
                let o = p.expire(now);
                changed |= o.changed;
                if o.query_now {
                    query_ports.push(p.port);
                }
            }
        }
        changed |= self.drop_empty_ports(k, code);
        for port in query_ports {
            self.port_queries(k, code, port, now);
        }
        if changed {
            self.refresh_group(k);
        }
        self.reschedule(k);
    }

    /// Rebuilds a group's forwarding table after a change and says what changed; removes the
    /// group when its last port went.
    fn refresh_group(&mut self, k: Key<A>) {
        let code = key_vlan::<A>(k);
        let vlan = vlan_of(code);
        let group = key_group(k);
        let routers: &[u32] = match self.vlans.get(&code) {
            Some(v) => &v.routers,
            None => &self.static_routers,
        };
        let Some(g) = self.groups.get_mut(&k) else {
            return;
        };
        let members: Vec<u32> = g.ports.iter().map(|p| p.port).collect();
        let old_members = core::mem::take(&mut g.members);
        if !members.is_empty() && members.len() < old_members.len() {
            // Ryu's igmplib: a port went and members remain: the leave held back is discarded.
            g.pending_leave = None;
        }
        let proxy = self.config.proxy_reporting;
        let ev = if members.is_empty() {
            let leave = g.pending_leave.take();
            self.groups.remove(&k);
            A::table_remove(&mut self.fwd, key_vlan::<A>(k), key_group(k));
            if let Some(v) = self.vlans.get_mut(&code) {
                v.groups = v.groups.saturating_sub(1);
            }
            if let Some((leave, tag)) = leave {
                self.forward_tagged(code, u32::MAX, &leave, TransmitKind::ReleasedLeave, tag);
            }
            if old_members.is_empty() {
                return;
            }
            if proxy {
                self.proxy_send(code, group, false);
            }
            Event::GroupRemoved { vlan, group }
        } else {
            let table = build_fwd(&g.ports, &with_server(routers, self.server_port));
            g.members = members.clone();
            let same_table = !A::table_insert(&mut self.fwd, key_vlan::<A>(k), key_group(k), table);
            if old_members.is_empty() {
                if proxy {
                    self.proxy_send(code, group, true);
                }
                Event::GroupAdded {
                    vlan,
                    group,
                    ports: members,
                }
            } else if old_members != members {
                Event::MemberChanged {
                    vlan,
                    group,
                    ports: members,
                }
            } else if !same_table {
                Event::SourcesChanged { vlan, group }
            } else {
                return;
            }
        };
        self.push_event(ev);
    }

    fn reschedule(&mut self, k: Key<A>) {
        let Some(g) = self.groups.get_mut(&k) else {
            return;
        };
        if let Some(d) = g.deadline() {
            if g.scheduled.is_none_or(|s| d < s) {
                g.scheduled = Some(d);
                self.heap.push(Reverse((d, k)));
            }
        }
        // Entries left behind by deadlines that moved earlier: never more than the live ones.
        if self.heap.len() > 2 * self.groups.len() + 64 {
            self.rebuild_heap();
        }
    }

    fn rebuild_heap(&mut self) {
        self.heap.clear();
        for (&k, g) in &mut self.groups {
            g.scheduled = g.deadline();
            if let Some(d) = g.scheduled {
                self.heap.push(Reverse((d, k)));
            }
        }
    }
}

/// The ports a group's traffic goes to besides its members: the router ports and the
/// querier's server port.
fn with_server(routers: &[u32], server: Option<u32>) -> Vec<u32> {
    let mut v = routers.to_vec();
    if let Some(p) = server {
        if let Err(i) = v.binary_search(&p) {
            v.insert(i, p);
        }
    }
    v
}

fn dec_port<A>(v: &mut VlanState<A>, port: u32) {
    if let Some(n) = v.per_port.get_mut(&port) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            v.per_port.remove(&port);
        }
    }
}

/// A query of IGMP `version` was heard on `v`: an IGMPv1 or IGMPv2 (MLDv1) one makes the
/// queries we send of that version for the older version querier interval (RFC 3376 §7.3.1,
/// §8.12; RFC 3810 §8.3.1, §9.12), RV·QI + QRI: longer than the other querier present
/// interval (RV·QI + QRI/2), so that queries we send on taking over from an older querier are
/// still of its version for another half query response interval. Says whether it was.
fn older_querier_heard<A>(v: &mut VlanState<A>, version: u8, now: Instant) -> bool {
    let until = add(now, v.timers.ovqi);
    match version {
        1 => v.older_v1 = Some(until),
        2 => v.older_v2 = Some(until),
        _ => return false,
    }
    true
}
