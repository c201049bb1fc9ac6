//! Not a timing test (speed is measured in `benches/benches/igmp.rs`): a fixed amount of work
//! for counting instructions and cache misses with valgrind or `perf stat`, which the load of a
//! shared machine does not change. Ignored by default; run twice with different counts and
//! divide the difference:
//!
//! ```text
//! cargo test --release -p sdnwire-igmp --test lookup_cost --no-run
//! IGMP_LOOKUPS=0       valgrind --tool=cachegrind --cache-sim=yes <test binary> --ignored
//! IGMP_LOOKUPS=1000000 valgrind --tool=cachegrind --cache-sim=yes <test binary> --ignored
//! ```
//!
//! The table is the benchmark's: 100 000 groups, 3 of 4 INCLUDE with 8 sources, 1 of 4
//! EXCLUDE with 8 excluded sources; the lookups are pseudo-random (group, source) pairs, half of
//! them listed sources. `IGMP_RECORDS` does the same for IS_IN refresh records (32 per report).
//!
//! Measured 2026-11-22 (cachegrind's default caches): with the forwarding table of
//! `igmp/src/fwd_table.rs` a lookup is 163 instructions and 1.02 D1 read misses, no LL miss; with the
//! former `HashMap<u64, Box<[u32]>>` it was 147 instructions and 3.78 D1 read misses.
//!
//! Measured 2026-12-06, `forward_ports` leaving out the ingress port (a search in the port list,
//! the answer as two borrowed slices): 177.5 instructions and 1.26 D1 read misses per lookup,
//! no LL read miss.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::hint::black_box;
use core::net::Ipv4Addr;

use sdnwire_igmp::{Config, Forward, Instant, Snooper, VlanId};
use sdnwire_packet::igmp::{GroupRecord, IgmpV3Report, RecordType};
use sdnwire_packet::{Encode, Ethernet, Igmp, Ipv4, MacAddr};

const GROUPS: u32 = 100_000;

fn group(i: u32) -> Ipv4Addr {
    Ipv4Addr::from(0xe800_0000 + i)
}

fn source(i: u32, s: u8) -> Ipv4Addr {
    let [_, _, b, c] = i.to_be_bytes();
    Ipv4Addr::new(10, b, c, s + 1)
}

fn report(first: u32, t: impl Fn(u32) -> RecordType) -> Vec<u8> {
    let recs = (first..(first + 32).min(GROUPS))
        .map(|g| GroupRecord::new(t(g), group(g), (0..8).map(|s| source(g, s)).collect()))
        .collect();
    let mut ip = Ipv4::new(Ipv4Addr::new(10, 255, 0, 1), Ipv4Addr::new(224, 0, 0, 22));
    ip.ttl = 1;
    (Ethernet::new(
        MacAddr::new(1, 0, 0x5e, 0, 0, 22),
        MacAddr::new(2, 0, 0, 0, 0, 1),
    ) / ip
        / Igmp::V3Report(IgmpV3Report::new(recs)))
    .to_vec()
    .unwrap()
}

#[test]
#[ignore = "a workload for valgrind / perf stat, not a test"]
fn workload() {
    let lookups: u32 = std::env::var("IGMP_LOOKUPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let records: u32 = std::env::var("IGMP_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let now = Instant::ZERO;
    let mut sn = Snooper::new(
        Config {
            max_groups_per_vlan: GROUPS as usize,
            max_groups_per_port: GROUPS as usize,
            max_sources_per_group: 16,
            ..Config::default()
        },
        now,
    );
    for first in (0..GROUPS).step_by(32) {
        let t = |g: u32| {
            if g % 4 == 3 {
                RecordType::IS_EX
            } else {
                RecordType::IS_IN
            }
        };
        sn.handle_frame(now, 1 + (first / 32) % 16, None, &report(first, t))
            .unwrap();
    }
    assert_eq!(sn.group_count(), GROUPS as usize);
    let mut x: u32 = 0x1234_5678;
    let mut n = 0usize;
    for _ in 0..lookups {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let g = x % GROUPS;
        let s = if x & 0x100 == 0 {
            source(g, (x >> 9).to_be_bytes()[3] % 8)
        } else {
            Ipv4Addr::new(192, 0, 2, (x >> 9).to_be_bytes()[3])
        };
        // From port 20, which is no member.
        let to = sn.forward_ports(VlanId::UNTAGGED, black_box(group(g)), black_box(s), 20);
        if let Forward::Ports(p) = to {
            n += p.len();
        }
    }
    black_box(n);
    // Refresh records for groups of port 1 (the first report's 32 groups).
    let refresh = report(0, |_| RecordType::IS_IN);
    for _ in 0..records / 32 {
        sn.handle_frame(now, 1, None, black_box(&refresh)).unwrap();
    }
}
