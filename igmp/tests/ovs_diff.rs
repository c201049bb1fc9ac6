//! Differential test against Open vSwitch's IGMP snooping (`lib/mcast-snooping.c`, OVS 3.1)
//! on a private userspace OVS (`sdnwire_testkit::ovs::Ovs`: dummy datapath, every file in a
//! private directory).
//!
//! Seeded random sequences of IGMPv1/v2 reports, leaves, IGMPv3 reports and router queries are
//! injected on the ports of a bridge with `mcast_snooping_enable=true` and the NORMAL action
//! (`ovs-appctl netdev-dummy/receive`, the frames built by `packet`), and the same frames are
//! fed to an [`sdnwire_igmp::Snooper`]. After every message, OVS's group → ports table
//! (`ovs-appctl mdb/show`) must equal the (group, port) pairs that have state in our snooper,
//! and OVS's querier ports our learned router ports, per VLAN (every third sequence is on an
//! 802.1Q VLAN). At the end of each sequence a multicast
//! data frame per group is injected on the router port and the ports it comes out of (tx_pcap)
//! must be the ones our [`Snooper::forward_ports`] gives.
//!
//! # OVS's simpler model, and how ours is mapped onto it
//! - OVS keeps groups per port only, without filter modes or sources: a port is "in the group"
//!   in OVS when it has state for the group in ours, in either filter mode.
//! - A leave removes the port at once and OVS sends no query: our snooper runs with
//!   [`Config::open_vswitch`] (fast leave on every port, [`Config::fast_leave`]) and without a
//!   querier.
//! - IGMPv3: OVS takes IS_IN({}) and TO_IN({}) as a leave and every other record as a join.
//!   TO_IN({}) is a leave in ours with fast leave too; IS_IN({}) is a current-state report that
//!   changes nothing in RFC 3376 (§6.4.1), BLOCK never creates state and may empty an INCLUDE
//!   port, ALLOW({}) creates nothing: the generator sends none of these three.
//! - OVS has no host compatibility mode: a leave after a v1 report removes the port in OVS and
//!   is ignored in ours (RFC 3376 §7.3.2): v1-class (port, group) pairs get no leaves.
//! - A query with a non-zero source makes its port a router port in both; OVS then creates no
//!   group from reports arriving on that port: only port 4 (a router, never a host) queries.
//! - An unknown v3 record type makes OVS skip the rest of the report: none are sent.
//! - A group record with auxiliary data: OVS 3.1 steps over `aux_len` bytes instead of 32-bit
//!   words (`mcast_snooping_add_report`) and misreads the records after it (seen here: a
//!   report IS_EX(239.9.9.1) with one word of aux data, then IS_EX(239.9.9.2), joins only the
//!   first group): no record carries aux data.
//! - 224.0.0.x groups are listed by OVS and never by ours (always flooded): not used.
//! - A group whose last port left stays in OVS, without ports, until its LRU pruning
//!   (`mcast_snooping_run`) reaches it; meanwhile its traffic goes to the router ports only,
//!   where ours floods it as unregistered: no data check for such groups.
//! - Data: OVS ignores sources and sends a group's traffic to every member port; ours sends it
//!   to the members that want the source (RFC 3376 §6.3). The data frames come from a source in
//!   no source list, and our `forward_ports` is compared with OVS only for groups whose members
//!   are all in EXCLUDE mode (where both mean every member).
//! - Entries age out after 300 s in OVS, the membership interval in ours: no sequence lasts
//!   that long, timeouts are compared against the Linux bridge instead (bridge_diff.rs).
//!
//! # MLD
//! [`open_vswitch_agrees_on_mld`] runs the same generator with MLD (`mcast_snooping_add_mld`):
//! hosts fe80::P, groups ff0e::2:I:G, the router fe80::fe sending MLDv1 general queries; v1
//! and v2 reports are MLDv1 reports, leaves MLDv1 Dones, v3 reports MLDv2 reports, and ours is
//! an MLD snooper (`Snooper::mld`) with [`Config::open_vswitch`]. OVS reads MLD as it reads
//! IGMP (a Done or an IS_IN({})/TO_IN({}) record is a leave, every other record a join), so
//! the mapping above holds; the group tables and router ports are compared after every
//! message, the data path is not (the data check sends IPv4 frames).

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::net::{Ipv4Addr, Ipv6Addr};
use core::time::Duration;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use sdnwire_igmp::{Address, Config, Forward, Snooper, VlanId};
use sdnwire_packet::igmp::RecordType;

mod peers;
use peers::{data_frame, frame, frame6, tagged, Event, Msg, Rec, Rng};
use sdnwire_testkit::ovs::Ovs;
use sdnwire_testkit::pcap::read_file as read_pcap;

const SEED: u64 = 0x1697_0ff5;
const SEQUENCES: usize = 40;
/// Ports 1-3 have hosts; port 4 a multicast router (it queries).
const HOST_PORTS: u32 = 3;
const ROUTER_PORT: u32 = 4;

/// The address family under test.
trait Family: Address + core::str::FromStr {
    fn snooper(config: Config, now: sdnwire_igmp::Instant) -> Snooper<Self>;
    fn frame(port: u32, msg: &Msg<Self>) -> Vec<u8>;
    /// Group `g` of sequence `index`.
    fn group(index: usize, g: usize) -> Self;
    /// Source `s` of the pool.
    fn source(s: u8) -> Self;
    /// The router's address.
    fn router() -> Self;
}

impl Family for Ipv4Addr {
    fn snooper(config: Config, now: sdnwire_igmp::Instant) -> Snooper<Self> {
        Snooper::new(config, now)
    }
    fn frame(port: u32, msg: &Msg<Self>) -> Vec<u8> {
        frame(port, msg)
    }
    fn group(index: usize, g: usize) -> Self {
        Ipv4Addr::new(
            239,
            2,
            u8::try_from(index).unwrap(),
            u8::try_from(g + 1).unwrap(),
        )
    }
    fn source(s: u8) -> Self {
        Ipv4Addr::new(10, 5, 0, s)
    }
    fn router() -> Self {
        Ipv4Addr::new(10, 0, 0, 254)
    }
}

impl Family for Ipv6Addr {
    fn snooper(config: Config, now: sdnwire_igmp::Instant) -> Snooper<Self> {
        Snooper::mld(config, now)
    }
    fn frame(port: u32, msg: &Msg<Self>) -> Vec<u8> {
        frame6(port, msg)
    }
    fn group(index: usize, g: usize) -> Self {
        let (i, g) = (u16::try_from(index).unwrap(), u16::try_from(g + 1).unwrap());
        Ipv6Addr::new(0xff0e, 0, 0, 0, 0, 2, i, g)
    }
    fn source(s: u8) -> Self {
        Ipv6Addr::new(0x2001, 0xdb8, 5, 0, 0, 0, 0, u16::from(s))
    }
    fn router() -> Self {
        Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0xfe)
    }
}

// ------------------------------------------------------------------ Open vSwitch

/// A snooping table: (port, VLAN (0: untagged), group).
type Table<A> = BTreeSet<(u32, u16, A)>;

/// What this test asks of the private OVS (`sdnwire_testkit::ovs::Ovs`).
trait Snooping {
    /// A frame arrives on port `port` (`p1`..).
    fn inject_on(&self, port: u32, frame: &[u8]);
    /// OVS's snooping table of the family `A`: (port, VLAN, group), and the querier (router)
    /// ports with their VLAN.
    fn mdb<A: Family>(&self) -> (Table<A>, BTreeSet<(u32, u16)>, String);
}

impl Snooping for Ovs {
    fn inject_on(&self, port: u32, frame: &[u8]) {
        self.inject(&format!("p{port}"), frame);
    }

    fn mdb<A: Family>(&self) -> (Table<A>, BTreeSet<(u32, u16)>, String) {
        let text = self.appctl(&["mdb/show", "br0"]);
        let mut groups = BTreeSet::new();
        let mut routers = BTreeSet::new();
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let [port, vlan, what, ..] = cols[..] else {
                continue;
            };
            let port: u32 = port.trim_start_matches('p').parse().unwrap();
            let vlan: u16 = vlan.parse().unwrap();
            if what == "querier" {
                routers.insert((port, vlan));
            } else if let Ok(g) = what.parse::<A>() {
                groups.insert((port, vlan, g));
            }
        }
        (groups, routers, text)
    }
}

// ------------------------------------------------------------------ the sequences

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    V1,
    V2,
    V3,
}

/// The record types OVS's model and ours agree on (see the module doc).
const KINDS: [RecordType; 5] = [
    RecordType::IS_IN,
    RecordType::IS_EX,
    RecordType::TO_IN,
    RecordType::TO_EX,
    RecordType::ALLOW,
];

fn generate<A: Family>(rng: &mut Rng, index: usize) -> (Vec<A>, Vec<Event<A>>) {
    let groups: Vec<A> = (0..rng.range(2, 3)).map(|g| A::group(index, g)).collect();
    let pool: Vec<A> = (1..=3).map(A::source).collect();
    let mut class = std::collections::BTreeMap::new();
    for p in 1..=HOST_PORTS {
        for &g in &groups {
            let c = match rng.below(10) {
                0 | 1 => Class::V1,
                2..=5 => Class::V2,
                _ => Class::V3,
            };
            class.insert((p, g), c);
        }
    }
    let n = rng.range(5, 20);
    let events = (0..n)
        .map(|_| {
            if rng.chance(8) {
                return Event {
                    port: ROUTER_PORT,
                    msg: Msg::V2Query(A::router()),
                };
            }
            let port = u32::try_from(rng.range(1, 3)).unwrap();
            let group = *rng.pick(&groups);
            let msg = match class[&(port, group)] {
                Class::V1 => Msg::V1Report(group),
                Class::V2 if rng.chance(40) => Msg::Leave(group),
                Class::V2 => Msg::V2Report(group),
                Class::V3 => {
                    let mut gs = vec![group];
                    for &g in &groups {
                        if g != group && class[&(port, g)] == Class::V3 && rng.chance(30) {
                            gs.push(g);
                        }
                    }
                    Msg::V3(
                        gs.into_iter()
                            .map(|g| {
                                let kind = *rng.pick(&KINDS);
                                // IS_IN and ALLOW always with sources; TO_IN({}) is a leave.
                                let min = usize::from(
                                    kind == RecordType::IS_IN || kind == RecordType::ALLOW,
                                );
                                let k = if kind == RecordType::TO_IN && rng.chance(50) {
                                    0
                                } else {
                                    rng.range(min, 2)
                                };
                                Rec {
                                    kind,
                                    group: g,
                                    sources: rng.subset(&pool, k),
                                }
                            })
                            .collect(),
                    )
                }
            };
            Event { port, msg }
        })
        .collect();
    (groups, events)
}

/// [`Config::open_vswitch`]: fast leave on every port, IGMPv3 records read without sources.
fn config() -> Config {
    Config::open_vswitch()
}

fn our_table<A: Family>(sn: &Snooper<A>) -> Table<A> {
    sn.memberships()
        .map(|m| (m.port, m.vlan.vid().unwrap_or(0), m.group))
        .collect()
}

// ------------------------------------------------------------------ the test

#[test]
fn open_vswitch_agrees() {
    run::<Ipv4Addr>("igmp-diff", SEED);
}

/// MLD (see the module doc): group tables and router ports after every message.
#[test]
fn open_vswitch_agrees_on_mld() {
    run::<Ipv6Addr>("mld-diff", SEED ^ 0x6666);
}

fn run<A: Family>(name: &str, seed: u64) {
    let Some(ovs) = Ovs::start(name) else {
        return;
    };

    let t0 = Instant::now();
    ovs.add_bridge("br0", 1, 4, None);
    ovs.vsctl(&["set", "bridge", "br0", "mcast_snooping_enable=true"]);
    ovs.ofctl(&["add-flow", "br0", "actions=NORMAL"]);
    let pcaps: Vec<PathBuf> = (1..=ROUTER_PORT)
        .map(|p| ovs.tx_pcap(&format!("p{p}")))
        .collect();
    let mut rng = Rng::new(peers::seed(seed));
    let mut failures = Vec::new();
    let (mut n_events, mut n_data) = (0usize, 0usize);
    // (port, group) entries compared, on a VLAN, and router ports compared.
    let (mut n_entries, mut n_vlan_entries, mut n_routers) = (0usize, 0usize, 0usize);
    for s in 0..SEQUENCES {
        ovs.appctl(&["mdb/flush", "br0"]);
        let (groups, events) = generate::<A>(&mut rng, s);
        // Every third sequence on VLAN 10+s (802.1Q-tagged frames, OVS ports are trunks).
        let vlan = (s % 3 == 2).then(|| 10 + u16::try_from(s).unwrap());
        let tag_of = |f: Vec<u8>| match vlan {
            Some(v) => tagged(&f, v),
            None => f,
        };
        let vlan_id = vlan.map_or(VlanId::UNTAGGED, |v| VlanId::new(v).unwrap());
        let t0 = Instant::now();
        let clock = |t: Instant| sdnwire_igmp::Instant::from_duration(t - t0);
        let mut sn = A::snooper(config(), clock(t0));
        let mut buf = Vec::new();
        let mut log = Vec::new();
        let mut failed = None;
        let mut ever_joined = BTreeSet::new();
        for ev in &events {
            let f = tag_of(A::frame(ev.port, &ev.msg));
            ovs.inject_on(ev.port, &f);
            sn.handle_frame(clock(Instant::now()), ev.port, None, &f)
                .unwrap();
            while sn.poll_transmit(&mut buf).is_some() {}
            while sn.poll_event().is_some() {}
            log.push(ev.to_string());
            n_events += 1;
            let (theirs, routers, text) = ovs.mdb::<A>();
            n_entries += theirs.len();
            n_vlan_entries += theirs.iter().filter(|e| e.1 != 0).count();
            n_routers += routers.len();
            let ours = our_table(&sn);
            ever_joined.extend(ours.iter().map(|&(_, _, g)| g));
            let our_routers: BTreeSet<(u32, u16)> = sn
                .router_ports(vlan_id)
                .iter()
                .map(|&p| (p, vlan.unwrap_or(0)))
                .collect();
            if theirs != ours || routers != our_routers {
                failed = Some(format!(
                    "OVS (port, group): {theirs:?}, querier ports {routers:?}\nours (port, group): {ours:?}, router ports {our_routers:?}\nmdb/show:\n{text}"
                ));
                break;
            }
        }
        // Data from the router port: where does each group's traffic go?
        // The data check sends IPv4 (UDP) frames: IGMP only.
        let v4 = (&sn as &dyn core::any::Any).downcast_ref::<Snooper>();
        let v4_groups = (&groups as &dyn core::any::Any).downcast_ref::<Vec<Ipv4Addr>>();
        if let (None, Some(sn), Some(groups)) = (&failed, v4, v4_groups) {
            let ever_joined: BTreeSet<Ipv4Addr> = (&ever_joined as &dyn core::any::Any)
                .downcast_ref::<BTreeSet<Ipv4Addr>>()
                .cloned()
                .unwrap_or_default();
            for &g in groups {
                let before: Vec<usize> = pcaps.iter().map(|p| read_pcap(p).len()).collect();
                let src = Ipv4Addr::new(10, 5, 0, 9); // in no source list
                let tag = u16::try_from(n_data % 60000).unwrap();
                ovs.inject_on(ROUTER_PORT, &tag_of(data_frame(ROUTER_PORT, src, g, tag)));
                n_data += 1;
                // OVS ignores sources: its data goes to every member port. Ours goes to the
                // members that want `src`; when every member is in EXCLUDE mode (and `src`,
                // never reported, is excluded by none), that is every member too.
                let members: Vec<u32> = our_table(sn)
                    .into_iter()
                    .filter(|&(_, _, grp)| grp == g)
                    .map(|(p, _, _)| p)
                    .collect();
                let ours: Vec<u32> = match sn.forward_ports(vlan_id, g, src, ROUTER_PORT) {
                    Forward::Flood => (1..ROUTER_PORT).collect(),
                    f => f.ports().unwrap().to_vec(),
                };
                let all_exclude = !members.is_empty()
                    && sn
                        .memberships()
                        .filter(|m| m.group == g)
                        .all(|m| m.mode == sdnwire_igmp::FilterMode::Exclude);
                if members.is_empty() && ever_joined.contains(&g) {
                    // OVS keeps a group whose last port left, without ports, until its LRU
                    // pruning reaches it: meanwhile its traffic goes to the router ports only,
                    // afterwards it is flooded. Not compared.
                    continue;
                }
                let want = if members.is_empty() {
                    (1..ROUTER_PORT).collect() // never joined: flooded by both
                } else {
                    members
                };
                if all_exclude && ours != want {
                    failed = Some(format!(
                        "forward_ports({g}, {src}) gives {ours:?}, every member is in EXCLUDE mode: {want:?}"
                    ));
                    break;
                }
                // Wait until it reached the ports it should, then a little more for others.
                let data_out = || -> Vec<u32> {
                    (1..ROUTER_PORT)
                        .filter(|&p| {
                            let i = usize::try_from(p - 1).unwrap();
                            read_pcap(&pcaps[i]).iter().skip(before[i]).any(|f| {
                                sdnwire_packet::PacketView::parse(f).is_ok_and(|v| {
                                    v.udp().is_some_and(|u| u.dst_port() == tag)
                                        && v.ipv4().is_some_and(|ip| ip.dst() == g)
                                })
                            })
                        })
                        .collect()
                };
                let deadline = Instant::now() + Duration::from_secs(2);
                while !want.iter().all(|p| data_out().contains(p)) && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(10));
                }
                std::thread::sleep(Duration::from_millis(30));
                let data_out = data_out();
                if data_out != want {
                    failed = Some(format!(
                        "data to {g} from the router port: OVS sent it to ports {data_out:?}, our member ports are {want:?} (forward_ports: {:?})\nmdb/show:\n{}",
                        sn.forward_ports(vlan_id, g, src, ROUTER_PORT),
                        ovs.mdb::<Ipv4Addr>().2
                    ));
                    break;
                }
            }
        }
        if let Some(why) = failed {
            failures.push(format!(
                "sequence {s}:\n{why}\nevents:\n  {}",
                log.join("\n  ")
            ));
        }
    }
    eprintln!(
        "ovs_diff: compared {n_entries} (port, VLAN, group) entries ({n_vlan_entries} on a VLAN), {n_routers} router ports"
    );
    assert!(
        n_entries > 0 && n_vlan_entries > 0 && n_routers > 0,
        "the sequences did not reach every kind of state"
    );
    eprintln!(
        "ovs_diff: {SEQUENCES} sequences, {n_events} messages, {n_data} data frames, {} differ; {:.1} s",
        failures.len(),
        t0.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {SEQUENCES} sequences differ from Open vSwitch:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
