//! What the differential tests against real snooping switches (the Linux bridge, Open vSwitch)
//! share beyond `sdnwire_testkit` (peers, skips, pcap): a seeded generator, the hosts and the
//! frames they send (built by `packet`, so that the peer and our snooper see the same bytes),
//! and the per-port membership state both sides are reduced to.
#![allow(dead_code)] // each test file uses its own part

use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};
use std::collections::BTreeMap;

use sdnwire_packet::icmpv6::{Icmpv6Data, Icmpv6Type, Mld, Mldv2Query, Mldv2ReportGroup};
use sdnwire_packet::igmp::{GroupRecord, RecordType, ALL_IGMPV3_ROUTERS, ALL_ROUTERS};
use sdnwire_packet::ipv6::Ipv6ExtHeader;
use sdnwire_packet::{Encode, Ethernet, Icmpv6, Igmp, Ipv4, Ipv6, MacAddr};

// ------------------------------------------------------------------ a seeded generator

/// SplitMix64: small, seeded, the same sequence on every machine.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % u64::try_from(n).unwrap()).unwrap()
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p` percent.
    pub(crate) fn chance(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    pub(crate) fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }

    /// A random subset of `v` of `k` elements (in `v`'s order).
    pub(crate) fn subset<T: Copy>(&mut self, v: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        for i in (1..idx.len()).rev() {
            let j = self.below(i + 1);
            idx.swap(i, j);
        }
        let mut chosen: Vec<usize> = idx.into_iter().take(k).collect();
        chosen.sort_unstable();
        chosen.into_iter().map(|i| v[i]).collect()
    }
}

// ------------------------------------------------------------------ hosts and their frames

/// The host behind port `port` (1-based): MAC 02:00:00:00:00:PP.
pub(crate) fn host_mac(port: u32) -> MacAddr {
    MacAddr::new(2, 0, 0, 0, 0, u8::try_from(port).unwrap())
}

/// The host behind port `port`: 10.0.0.PP.
pub(crate) fn host_ip(port: u32) -> Ipv4Addr {
    Ipv4Addr::new(10, 0, 0, u8::try_from(port).unwrap())
}

/// The host behind port `port` for MLD: fe80::PP.
pub(crate) fn host_ip6(port: u32) -> Ipv6Addr {
    Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, u16::try_from(port).unwrap())
}

/// One IGMPv3 group record (or MLDv2 multicast address record: the same six types).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rec<A = Ipv4Addr> {
    pub(crate) kind: RecordType,
    pub(crate) group: A,
    pub(crate) sources: Vec<A>,
}

/// What a host sends. For MLD: v1 and v2 reports are MLDv1 reports, a leave a Done, `V3` an
/// MLDv2 report, a v3 query an MLDv2 query and a v2 query an MLDv1 query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Msg<A = Ipv4Addr> {
    V1Report(A),
    V2Report(A),
    Leave(A),
    V3(Vec<Rec<A>>),
    /// An IGMPv2 general query from `src` (a router).
    V2Query(A),
    /// A query from `src` (a router): IGMPv3 or v2, general (`group` 0.0.0.0) or
    /// group-specific, with Max Resp Time `max_resp_ms`.
    Query {
        src: A,
        v3: bool,
        group: A,
        max_resp_ms: u64,
    },
}

/// A message sent by the host behind `port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event<A = Ipv4Addr> {
    pub(crate) port: u32,
    pub(crate) msg: Msg<A>,
}

fn kind_name(k: RecordType) -> String {
    match k {
        RecordType::IS_IN => "IS_IN".into(),
        RecordType::IS_EX => "IS_EX".into(),
        RecordType::TO_IN => "TO_IN".into(),
        RecordType::TO_EX => "TO_EX".into(),
        RecordType::ALLOW => "ALLOW".into(),
        RecordType::BLOCK => "BLOCK".into(),
        RecordType(t) => format!("type{t}"),
    }
}

fn addrs<A: fmt::Display>(v: &[A]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

impl<A: fmt::Display> fmt::Display for Event<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "port {}: ", self.port)?;
        match &self.msg {
            Msg::V1Report(g) => write!(f, "v1 report {g}"),
            Msg::V2Report(g) => write!(f, "v2 report {g}"),
            Msg::Leave(g) => write!(f, "v2 leave {g}"),
            Msg::V2Query(src) => write!(f, "v2 general query from {src}"),
            Msg::Query {
                src,
                v3,
                group,
                max_resp_ms,
            } => write!(
                f,
                "{} query for {group} from {src}, max resp {max_resp_ms} ms",
                if *v3 { "v3" } else { "v2" }
            ),
            Msg::V3(recs) => {
                write!(f, "v3 report")?;
                for r in recs {
                    write!(
                        f,
                        " {}({}; {{{}}})",
                        kind_name(r.kind),
                        r.group,
                        addrs(&r.sources)
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// The Ethernet frame of `msg` as the host behind `port` sends it: IPv4 TTL 1, TOS 0xc0 and a
/// Router Alert option (RFC 2236 §2, RFC 3376 §4), to the address the RFCs prescribe.
pub(crate) fn frame(port: u32, msg: &Msg) -> Vec<u8> {
    let (igmp, src) = match msg {
        Msg::V1Report(g) => (Igmp::v1_report(*g), host_ip(port)),
        Msg::V2Report(g) => (Igmp::v2_report(*g), host_ip(port)),
        Msg::Leave(g) => (Igmp::v2_leave(*g), host_ip(port)),
        Msg::V2Query(src) => (
            Igmp::general_query_v2(core::time::Duration::from_secs(1)),
            *src,
        ),
        Msg::Query {
            src,
            v3,
            group,
            max_resp_ms,
        } => {
            let d = core::time::Duration::from_millis(*max_resp_ms);
            let q = if *v3 {
                // QRV 2 and QQI 1 s: the timers the differential tests configure.
                Igmp::V3Query(
                    sdnwire_packet::igmp::IgmpV3Query::new(*group, vec![])
                        .with_max_resp(d)
                        .with_qrv(2)
                        .with_qqi(core::time::Duration::from_secs(1)),
                )
            } else {
                Igmp::group_query_v2(*group, d)
            };
            (q, *src)
        }
        Msg::V3(recs) => (
            Igmp::v3_report(
                recs.iter()
                    .map(|r| GroupRecord::new(r.kind, r.group, r.sources.clone()))
                    .collect(),
            ),
            host_ip(port),
        ),
    };
    let dst = igmp.ip_destination().unwrap();
    debug_assert!(dst == ALL_ROUTERS || dst == ALL_IGMPV3_ROUTERS || dst.is_multicast());
    let mut ip = Ipv4::new(src, dst);
    ip.ttl = 1;
    ip.tos = 0xc0;
    ip.option = vec![0x94, 0x04, 0x00, 0x00].into();
    let mac = if matches!(msg, Msg::V2Query(_) | Msg::Query { .. }) {
        MacAddr::new(2, 0, 0, 0, 0xee, u8::try_from(port).unwrap())
    } else {
        host_mac(port)
    };
    (Ethernet::new(MacAddr::from_ipv4_multicast(dst), mac) / ip / igmp)
        .to_vec()
        .unwrap()
}

/// The Ethernet frame of an MLD `msg` as the host behind `port` (fe80::PP) sends it: IPv6 hop
/// limit 1 with the Hop-by-Hop Router Alert (RFC 2710 §3, RFC 3810 §5), to the address the
/// RFCs prescribe.
pub(crate) fn frame6(port: u32, msg: &Msg<Ipv6Addr>) -> Vec<u8> {
    let all_nodes = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
    let v1 = |t: Icmpv6Type, maxresp: u16, g: Ipv6Addr| {
        Icmpv6::new(
            t,
            Icmpv6Data::Mld(Mld {
                maxresp,
                reserved: 0,
                address: g,
            }),
        )
    };
    let (icmp, src, dst) = match msg {
        Msg::V1Report(g) | Msg::V2Report(g) => (
            v1(Icmpv6Type::MLD_LISTENER_REPORT, 0, *g),
            host_ip6(port),
            *g,
        ),
        Msg::Leave(g) => (
            v1(Icmpv6Type::MLD_LISTENER_DONE, 0, *g),
            host_ip6(port),
            Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 2),
        ),
        Msg::V2Query(src) => (
            v1(Icmpv6Type::MLD_LISTENER_QUERY, 1000, Ipv6Addr::UNSPECIFIED),
            *src,
            all_nodes,
        ),
        Msg::Query {
            src,
            v3,
            group,
            max_resp_ms,
        } => {
            let dst = if group.is_unspecified() {
                all_nodes
            } else {
                *group
            };
            let ms = u16::try_from(*max_resp_ms).unwrap();
            let q = if *v3 {
                // QRV 2 and QQI 1 s: the timers the differential tests configure.
                let mut q = Mldv2Query::general(ms);
                q.address = *group;
                q.qqic = 1;
                Icmpv6::new(Icmpv6Type::MLD_LISTENER_QUERY, Icmpv6Data::Mldv2Query(q))
            } else {
                v1(Icmpv6Type::MLD_LISTENER_QUERY, ms, *group)
            };
            (q, *src, dst)
        }
        Msg::V3(recs) => (
            Icmpv6::mldv2_report(
                recs.iter()
                    .map(|r| Mldv2ReportGroup::new(r.kind.0, r.group, r.sources.clone()))
                    .collect(),
            ),
            host_ip6(port),
            Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x16),
        ),
    };
    let mut ip = Ipv6::new(src, dst).with_ext_header(Ipv6ExtHeader::router_alert(0));
    ip.hop_limit = 1;
    let mac = if matches!(msg, Msg::V2Query(_) | Msg::Query { .. }) {
        MacAddr::new(2, 0, 0, 0, 0xee, u8::try_from(port).unwrap())
    } else {
        host_mac(port)
    };
    let o = dst.octets();
    let dst_mac = MacAddr::new(0x33, 0x33, o[12], o[13], o[14], o[15]);
    (Ethernet::new(dst_mac, mac) / ip / icmp).to_vec().unwrap()
}

/// A multicast data frame (UDP) from `src` to `group`, sent by the host behind `port`.
pub(crate) fn data_frame(port: u32, src: Ipv4Addr, group: Ipv4Addr, tag: u16) -> Vec<u8> {
    let mut ip = Ipv4::new(src, group);
    ip.ttl = 8;
    (Ethernet::new(MacAddr::from_ipv4_multicast(group), host_mac(port))
        / ip
        / sdnwire_packet::Udp::new(5000, tag))
    .with_payload(&b"multicast data"[..])
    .to_vec()
    .unwrap()
}

// ------------------------------------------------------------------ membership state

/// A port's filter mode for a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Mode {
    Include,
    Exclude,
}

/// One port's state for one group, as both sides are reduced to: the filter mode, each
/// source with its timer (`None`: no timer running: an excluded source in EXCLUDE mode) and
/// the group timer (`None`: not running).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PortGroup<A = Ipv4Addr> {
    pub(crate) mode: Mode,
    pub(crate) sources: BTreeMap<A, Option<f64>>,
    pub(crate) timer: Option<f64>,
}

impl<A: Ord + Copy> PortGroup<A> {
    /// The state without the timers: mode and (source, timer running?) pairs.
    pub(crate) fn shape(&self) -> (Mode, Vec<(A, bool)>) {
        (
            self.mode,
            self.sources
                .iter()
                .map(|(a, t)| (*a, t.is_some()))
                .collect(),
        )
    }

    /// Whether this port wants traffic of `source` (RFC 3376 §6.3).
    pub(crate) fn wants(&self, source: A) -> bool {
        match self.mode {
            Mode::Include => self.sources.get(&source).is_some_and(Option::is_some),
            Mode::Exclude => !self.sources.get(&source).is_some_and(Option::is_none),
        }
    }
}

impl<A: fmt::Display> fmt::Display for PortGroup<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = match self.mode {
            Mode::Include => "INCLUDE",
            Mode::Exclude => "EXCLUDE",
        };
        write!(f, "{m} {{")?;
        for (i, (a, t)) in self.sources.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            match t {
                Some(t) => write!(f, "{sep}{a}/{t:.2}")?,
                None => write!(f, "{sep}{a}/blocked")?,
            }
        }
        write!(f, "}}")?;
        match self.timer {
            Some(t) => write!(f, " group timer {t:.2}"),
            None => write!(f, " no group timer"),
        }
    }
}

/// Every (port, group) state of a switch.
pub(crate) type State<A = Ipv4Addr> = BTreeMap<(u32, A), PortGroup<A>>;

/// Both states side by side, differences marked.
pub(crate) fn show_both<A: Ord + Copy + fmt::Display>(
    peer_name: &str,
    peer: &State<A>,
    ours: &State<A>,
) -> String {
    let keys: std::collections::BTreeSet<_> = peer.keys().chain(ours.keys()).collect();
    let mut s = String::new();
    for k in keys {
        let a = peer.get(k).map_or("-".to_owned(), ToString::to_string);
        let b = ours.get(k).map_or("-".to_owned(), ToString::to_string);
        let same = peer.get(k).map(PortGroup::shape) == ours.get(k).map(PortGroup::shape);
        s += &format!(
            "  {} port {} {}\n      {peer_name}: {a}\n      ours: {b}\n",
            if same { " " } else { "≠" },
            k.0,
            k.1
        );
    }
    s
}

/// The test's fixed seed, or `IGMP_DIFF_SEED` (decimal or 0x-hex) to explore other sequences.
pub(crate) fn seed(default: u64) -> u64 {
    let Ok(s) = std::env::var("IGMP_DIFF_SEED") else {
        return default;
    };
    let parsed = match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16),
        None => s.parse(),
    };
    let seed = parsed.unwrap_or_else(|_| panic!("IGMP_DIFF_SEED={s}: not a number"));
    eprintln!("seed {seed:#x} (IGMP_DIFF_SEED)");
    seed
}

/// `frame` with an 802.1Q tag for VLAN `vid` (priority 0) after the MAC addresses.
pub(crate) fn tagged(frame: &[u8], vid: u16) -> Vec<u8> {
    let mut f = frame[..12].to_vec();
    f.extend_from_slice(&[0x81, 0x00]);
    f.extend_from_slice(&(vid & 0x0fff).to_be_bytes());
    f.extend_from_slice(&frame[12..]);
    f
}
