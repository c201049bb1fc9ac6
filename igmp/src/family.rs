//! The two address families the snooper runs: IPv4 with IGMP and IPv6 with MLD
//! ([`Address`]). One state machine; what differs is the address type, which groups are
//! never tracked, and the frames read and built ([`crate::frame`]).

use core::fmt;
use core::hash::Hash;
use core::net::{Ipv4Addr, Ipv6Addr};

use sdnwire_packet::MacAddr;

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::config::{Config, HashKey};
use crate::frame::{self, Parsed, QuerySpec};
use crate::fwd_table::{FwdKey, FwdTable};
use crate::vlan::VlanId;

/// The address type of a [`Snooper`](crate::Snooper), and so its protocol:
/// [`Ipv4Addr`] snoops IGMP (RFC 3376, RFC 4541 §2), [`Ipv6Addr`] snoops MLD (RFC 2710,
/// RFC 3810, RFC 4541 §3). Sealed: these two are the only ones.
///
/// The state machine is the same for both: MLDv1 is IGMPv2 with other packets (a report is
/// a join, a Done is a leave) and MLDv2 is IGMPv3 (the same six record types and the same
/// transitions, RFC 3810 §7.4). The versions an MLD snooper reports
/// ([`QuerierInfo::version`](crate::QuerierInfo),
/// [`MembershipRef::compat_version`](crate::MembershipRef)) are MLD's own: 1 or 2;
/// [`Config::query_version`](crate::Config::query_version), shared by both families, counts
/// in IGMP's terms: 3 sends MLDv2 queries, 2 MLDv1 queries.
pub trait Address:
    sealed::Family + Copy + Ord + Eq + Hash + fmt::Debug + fmt::Display + Send + Sync + 'static
{
    /// `"IGMP"` or `"MLD"`.
    const PROTOCOL: &'static str;
    /// `0.0.0.0` or `::`.
    const UNSPECIFIED: Self;

    /// Whether this is a multicast address (224.0.0.0/4, ff00::/8).
    fn is_multicast_group(&self) -> bool;

    /// Whether this multicast group is never tracked and always flooded: 224.0.0.0/24 (RFC 4541
    /// §2.1.2 (2)), or a group of the reserved, interface-local or link-local scope (scope 0,
    /// 1 or 2, whatever the flags: ff02::/16, and also the transient ff12::/16, the
    /// prefix-based ff32::/16 and so on, RFC 4291 §2.7; RFC 4541 §3: link-scope groups are
    /// flooded, as 224.0.0.x are).
    fn is_link_local_group(&self) -> bool;
}

impl Address for Ipv4Addr {
    const PROTOCOL: &'static str = "IGMP";
    const UNSPECIFIED: Self = Ipv4Addr::UNSPECIFIED;

    fn is_multicast_group(&self) -> bool {
        self.is_multicast()
    }

    fn is_link_local_group(&self) -> bool {
        let o = self.octets();
        o[0] == 224 && o[1] == 0 && o[2] == 0
    }
}

impl Address for Ipv6Addr {
    const PROTOCOL: &'static str = "MLD";
    const UNSPECIFIED: Self = Ipv6Addr::UNSPECIFIED;

    fn is_multicast_group(&self) -> bool {
        self.is_multicast()
    }

    fn is_link_local_group(&self) -> bool {
        // ff00::/8, and the scope in the low four bits of the second byte (RFC 4291 §2.7).
        let [a, b, ..] = self.octets();
        a == 0xff && b & 0x0f <= 2
    }
}

/// The link-local address (RFC 4291 §2.5.1, modified EUI-64) of interface MAC `mac`:
/// `fe80::` and the MAC with `ff:fe` in the middle and the universal/local bit flipped, as
/// Linux gives an interface (the Linux bridge's MLD querier sends from it).
pub fn link_local_from_mac(mac: MacAddr) -> Ipv6Addr {
    let m = mac.octets();
    Ipv6Addr::new(
        0xfe80,
        0,
        0,
        0,
        u16::from_be_bytes([m[0] ^ 0x02, m[1]]),
        u16::from_be_bytes([m[2], 0xff]),
        u16::from_be_bytes([0xfe, m[3]]),
        u16::from_be_bytes([m[4], m[5]]),
    )
}

pub(crate) mod sealed {
    use super::*;

    /// What the snooper needs of a family besides the public [`Address`] methods.
    pub trait Family: Sized {
        /// The key of a (VLAN code, group) in the snooper's maps: ordered by VLAN, then group.
        #[doc(hidden)]
        type Key: Ord + Copy + fmt::Debug;
        /// The key of `group` in VLAN `code`.
        #[doc(hidden)]
        fn key(code: u32, group: Self) -> Self::Key;
        /// The VLAN code of a key.
        #[doc(hidden)]
        fn key_vlan(k: Self::Key) -> u32;
        /// The group of a key.
        #[doc(hidden)]
        fn key_group(k: Self::Key) -> Self;
        /// The forwarding table of the family's groups.
        #[doc(hidden)]
        type Table: fmt::Debug;
        /// An empty table.
        #[doc(hidden)]
        fn table_new(key: HashKey) -> Self::Table;
        /// The ports of `source` in `group`'s table of VLAN `code`, if it has one.
        #[doc(hidden)]
        fn table_get(t: &Self::Table, code: u32, group: Self, source: Self) -> Option<&[u32]>;
        /// Sets a group's flat table; whether it changed.
        #[doc(hidden)]
        fn table_insert(t: &mut Self::Table, code: u32, group: Self, flat: Box<[u32]>) -> bool;
        /// Removes a group's table.
        #[doc(hidden)]
        fn table_remove(t: &mut Self::Table, code: u32, group: Self);
        /// Appends the address as big-endian 32-bit words (the table's source words).
        #[doc(hidden)]
        fn push_words(self, out: &mut Vec<u32>);
        /// The most sources a query of ours lists, so that its frame fits a 1500-byte MTU
        /// (the IP packet: IPv4 with the Router Alert option and a 12-byte IGMPv3 query, or
        /// IPv6, its 8-byte Hop-by-Hop header and a 28-byte MLDv2 query).
        #[doc(hidden)]
        const QUERY_SOURCES: usize;
        /// The lowest and highest addresses (the range of a VLAN's keys).
        #[doc(hidden)]
        const MIN: Self;
        #[doc(hidden)]
        const MAX: Self;
        /// The source address of our queries and proxy reports.
        #[doc(hidden)]
        fn own_address(config: &Config) -> Self;
        /// Whether a report or leave from `source` is refused: IGMP, [`Config::report_subnets`];
        /// MLD, not link-local.
        #[doc(hidden)]
        fn foreign(config: &Config, vlan: VlanId, source: Self) -> bool;
        /// Whether a query from `source` takes part (MLD: link-local sources only, RFC 3810
        /// §5.1.14, RFC 2710 §3.7).
        #[doc(hidden)]
        fn valid_querier(source: Self) -> bool;
        /// The version the user sees of engine version `v` (IGMP 1–3; MLD 1–2 for 2–3).
        #[doc(hidden)]
        fn shown_version(v: u8) -> u8;
        /// Reads a frame.
        #[doc(hidden)]
        fn parse(frame: &[u8]) -> Result<Parsed<'_, Self>, sdnwire_packet::Error>;
        /// Calls `f` with each record of a v3 report: type, group, the sources' bytes.
        #[doc(hidden)]
        fn for_each_record(bytes: &[u8], f: impl FnMut(u8, Self, &[u8]));
        /// Appends the sources in `raw` (a record's source bytes) to `out`.
        #[doc(hidden)]
        fn sources_from(raw: &[u8], out: &mut Vec<Self>);
        /// Appends the sources of a v3 query (message `bytes`) to `out`.
        #[doc(hidden)]
        fn query_sources(bytes: &[u8], out: &mut Vec<Self>);
        /// Appends a query frame to `out`; its length.
        #[doc(hidden)]
        fn write_query(q: &QuerySpec<'_, Self>, out: &mut Vec<u8>) -> Option<usize>;
        /// Appends a proxy report (`join`) or leave of ours for `group` to `out`; its length.
        #[doc(hidden)]
        fn write_proxy(
            join: bool,
            mac: MacAddr,
            src: Self,
            group: Self,
            out: &mut Vec<u8>,
        ) -> Option<usize>;
    }
}

/// The forwarding table key of IPv4 `group` in VLAN `code`.
#[inline(always)]
fn key_v4(code: u32, group: Ipv4Addr) -> u64 {
    (u64::from(code) << 32) | u64::from(u32::from(group))
}

/// The big-endian words of an IPv6 address.
#[inline(always)]
fn words_v6(a: Ipv6Addr) -> [u32; 4] {
    let s = a.segments();
    let w = |i: usize| {
        (u32::from(s.get(i).copied().unwrap_or(0)) << 16)
            | u32::from(s.get(i + 1).copied().unwrap_or(0))
    };
    [w(0), w(2), w(4), w(6)]
}

impl sealed::Family for Ipv4Addr {
    type Key = u64;
    #[inline(always)]
    fn key(code: u32, group: Self) -> u64 {
        key_v4(code, group)
    }
    #[inline(always)]
    fn key_vlan(k: u64) -> u32 {
        u32::try_from(k >> 32).unwrap_or(u32::MAX)
    }
    #[inline(always)]
    fn key_group(k: u64) -> Self {
        Ipv4Addr::from(u32::try_from(k & 0xffff_ffff).unwrap_or(0))
    }
    type Table = FwdTable<u64, 1>;
    fn table_new(key: HashKey) -> Self::Table {
        FwdTable::new(key)
    }
    #[inline(always)]
    fn table_get(t: &Self::Table, code: u32, group: Self, source: Self) -> Option<&[u32]> {
        t.get(key_v4(code, group), &[u32::from(source)])
    }
    fn table_insert(t: &mut Self::Table, code: u32, group: Self, flat: Box<[u32]>) -> bool {
        t.insert(key_v4(code, group), flat)
    }
    fn table_remove(t: &mut Self::Table, code: u32, group: Self) {
        t.remove(key_v4(code, group));
    }
    fn push_words(self, out: &mut Vec<u32>) {
        out.push(u32::from(self));
    }
    /// (1500 − 24 − 12) / 4 = 366; 300 keeps a margin, as before.
    const QUERY_SOURCES: usize = 300;
    const MIN: Self = Ipv4Addr::UNSPECIFIED;
    const MAX: Self = Ipv4Addr::BROADCAST;
    fn own_address(config: &Config) -> Self {
        config
            .querier
            .as_ref()
            .map_or(Ipv4Addr::UNSPECIFIED, |q| q.address)
    }
    fn foreign(config: &Config, vlan: VlanId, source: Self) -> bool {
        if source.is_unspecified() {
            return false;
        }
        let mut listed = config
            .report_subnets
            .iter()
            .filter(|s| s.vlan == vlan)
            .peekable();
        if listed.peek().is_none() {
            return false;
        }
        !listed.any(|s| s.contains(source))
    }
    fn valid_querier(_: Self) -> bool {
        true
    }
    fn shown_version(v: u8) -> u8 {
        v
    }
    fn parse(frame: &[u8]) -> Result<Parsed<'_, Self>, sdnwire_packet::Error> {
        frame::parse_v4(frame)
    }
    fn for_each_record(bytes: &[u8], f: impl FnMut(u8, Self, &[u8])) {
        frame::records_v4(bytes, f);
    }
    fn sources_from(raw: &[u8], out: &mut Vec<Self>) {
        out.extend(
            raw.chunks_exact(4)
                .filter_map(|c| c.first_chunk::<4>())
                .map(|c| Ipv4Addr::from(*c)),
        );
    }
    fn query_sources(bytes: &[u8], out: &mut Vec<Self>) {
        frame::query_sources_v4(bytes, out);
    }
    fn write_query(q: &QuerySpec<'_, Self>, out: &mut Vec<u8>) -> Option<usize> {
        frame::write_query_v4(q, out)
    }
    fn write_proxy(
        join: bool,
        mac: MacAddr,
        src: Self,
        group: Self,
        out: &mut Vec<u8>,
    ) -> Option<usize> {
        use sdnwire_packet::igmp::{IgmpType, ALL_ROUTERS};
        let (msg, dst) = if join {
            (IgmpType::REPORT_V2, group)
        } else {
            (IgmpType::LEAVE, ALL_ROUTERS)
        };
        frame::write_v2_v4(msg, mac, src, group, dst, out)
    }
}

/// The forwarding table key of IPv6 `group` in VLAN `code`.
#[inline(always)]
fn key_v6(code: u32, group: Ipv6Addr) -> V6Key {
    V6Key {
        code: u64::from(code),
        group: u128::from(group),
    }
}

impl sealed::Family for Ipv6Addr {
    type Key = (u32, Ipv6Addr);
    fn key(code: u32, group: Self) -> (u32, Ipv6Addr) {
        (code, group)
    }
    fn key_vlan(k: (u32, Ipv6Addr)) -> u32 {
        k.0
    }
    fn key_group(k: (u32, Ipv6Addr)) -> Self {
        k.1
    }
    type Table = FwdTable<V6Key, 4>;
    fn table_new(key: HashKey) -> Self::Table {
        FwdTable::new(key)
    }
    #[inline(always)]
    fn table_get(t: &Self::Table, code: u32, group: Self, source: Self) -> Option<&[u32]> {
        t.get(key_v6(code, group), &words_v6(source))
    }
    fn table_insert(t: &mut Self::Table, code: u32, group: Self, flat: Box<[u32]>) -> bool {
        t.insert(key_v6(code, group), flat)
    }
    fn table_remove(t: &mut Self::Table, code: u32, group: Self) {
        t.remove(key_v6(code, group));
    }
    fn push_words(self, out: &mut Vec<u32>) {
        out.extend_from_slice(&words_v6(self));
    }
    /// (1500 − 40 − 8 − 28) / 16.
    const QUERY_SOURCES: usize = 89;
    const MIN: Self = Ipv6Addr::UNSPECIFIED;
    const MAX: Self = Ipv6Addr::new(
        0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
    );
    fn own_address(config: &Config) -> Self {
        link_local_from_mac(config.mac)
    }
    /// RFC 3810 §5.2.13: a report comes from a link-local address, or from `::` while its
    /// host has none.
    fn foreign(_: &Config, _: VlanId, source: Self) -> bool {
        !source.is_unspecified() && !Self::valid_querier(source)
    }
    fn valid_querier(source: Self) -> bool {
        // fe80::/10 (`Ipv6Addr::is_unicast_link_local` is newer than the crate's MSRV).
        source.segments()[0] & 0xffc0 == 0xfe80
    }
    fn shown_version(v: u8) -> u8 {
        v.saturating_sub(1).max(1)
    }
    fn parse(frame: &[u8]) -> Result<Parsed<'_, Self>, sdnwire_packet::Error> {
        frame::parse_v6(frame)
    }
    fn for_each_record(bytes: &[u8], f: impl FnMut(u8, Self, &[u8])) {
        frame::records_v6(bytes, f);
    }
    fn sources_from(raw: &[u8], out: &mut Vec<Self>) {
        out.extend(
            raw.chunks_exact(16)
                .filter_map(|c| c.first_chunk::<16>())
                .map(|c| Ipv6Addr::from(*c)),
        );
    }
    fn query_sources(bytes: &[u8], out: &mut Vec<Self>) {
        frame::query_sources_v6(bytes, out);
    }
    fn write_query(q: &QuerySpec<'_, Self>, out: &mut Vec<u8>) -> Option<usize> {
        frame::write_query_v6(q, out)
    }
    fn write_proxy(
        join: bool,
        mac: MacAddr,
        src: Self,
        group: Self,
        out: &mut Vec<u8>,
    ) -> Option<usize> {
        frame::write_v1_v6(join, mac, src, group, out)
    }
}

/// The forwarding table key of an IPv6 group: VLAN code and group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct V6Key {
    code: u64,
    group: u128,
}

impl FwdKey for u64 {
    const EMPTY: u64 = u64::MAX;
    #[inline(always)]
    fn hash(&self, seed: u64) -> u64 {
        crate::fwd_table::fold(seed ^ *self, 0x5851_f42d_4c95_7f2d)
    }
}

impl FwdKey for V6Key {
    const EMPTY: V6Key = V6Key {
        code: u64::MAX,
        group: 0,
    };
    /// Each 64-bit part folded in turn under the hash key `seed`: no two keys collide for
    /// every value of `seed`.
    #[inline(always)]
    #[allow(clippy::cast_possible_truncation)] // the two halves of the group, on purpose
    fn hash(&self, seed: u64) -> u64 {
        use crate::fwd_table::fold;
        let hi = (self.group >> 64) as u64;
        let lo = self.group as u64;
        let a = fold(seed ^ hi, 0x5851_f42d_4c95_7f2d);
        let b = fold(a ^ lo, 0x9e37_79b9_7f4a_7c15);
        fold(b ^ self.code, 0xd6e8_feb8_6659_fd93)
    }
}
