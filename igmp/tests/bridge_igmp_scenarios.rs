//! The scenarios of the Linux kernel's bridge IGMP selftest
//! (`tools/testing/selftests/net/forwarding/bridge_igmp.sh`), one test per selftest function,
//! replayed on a virtual clock: the same IGMP messages (the selftest's own `MZPKT_*` bytes,
//! checksums included, sent by mausezahn to 224.0.0.1 from h1 behind swp1), the same timer
//! changes and sleeps, and the same checks: the group's filter mode, its source list, which
//! sources have a zero timer ("blocked"), and whether traffic from a source sent by h2 (behind
//! swp2) reaches h1.
//!
//! The bridge there runs with `mcast_snooping 1 mcast_querier 1` and the kernel's default
//! timers (the RFC's): our snooper runs with its own querier (no address, as the bridge has
//! none), the same timers, and unregistered traffic to router ports only (the bridge's
//! behaviour; there are none here, so it is dropped).

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod support;

use core::net::Ipv4Addr;
use core::time::Duration;

use sdnwire_igmp::{Config, FilterMode, PortList, QuerierConfig, Unregistered, VlanId};
use sdnwire_packet::{Encode, Ethernet, IpProtocol, Ipv4, MacAddr};
use support::*;

const SWP1: u32 = 1;
const SWP2: u32 = 2;
const TEST_GROUP: &str = "239.10.10.10";

// The selftest's IGMP messages, byte for byte.
/// IGMPv3 report: grp 239.10.10.10 is_include 192.0.2.1,192.0.2.2,192.0.2.3
const MZPKT_IS_INC: &str =
    "22:00:9d:de:00:00:00:01:01:00:00:03:ef:0a:0a:0a:c0:00:02:01:c0:00:02:02:c0:00:02:03";
/// IGMPv3 report: grp 239.10.10.10 is_include 192.0.2.10,192.0.2.11,192.0.2.12
const MZPKT_IS_INC2: &str =
    "22:00:9d:c3:00:00:00:01:01:00:00:03:ef:0a:0a:0a:c0:00:02:0a:c0:00:02:0b:c0:00:02:0c";
/// IGMPv3 report: grp 239.10.10.10 is_include 192.0.2.20,192.0.2.30
const MZPKT_IS_INC3: &str =
    "22:00:5f:b4:00:00:00:01:01:00:00:02:ef:0a:0a:0a:c0:00:02:14:c0:00:02:1e";
/// IGMPv3 report: grp 239.10.10.10 allow 192.0.2.10,192.0.2.11,192.0.2.12
const MZPKT_ALLOW: &str =
    "22:00:99:c3:00:00:00:01:05:00:00:03:ef:0a:0a:0a:c0:00:02:0a:c0:00:02:0b:c0:00:02:0c";
/// IGMPv3 report: grp 239.10.10.10 allow 192.0.2.20,192.0.2.30
const MZPKT_ALLOW2: &str =
    "22:00:5b:b4:00:00:00:01:05:00:00:02:ef:0a:0a:0a:c0:00:02:14:c0:00:02:1e";
/// IGMPv3 report: grp 239.10.10.10 is_exclude 192.0.2.1,192.0.2.2,192.0.2.20,192.0.2.21
const MZPKT_IS_EXC: &str = "22:00:da:b6:00:00:00:01:02:00:00:04:ef:0a:0a:0a:c0:00:02:01:c0:00:02:02:c0:00:02:14:c0:00:02:15";
/// IGMPv3 report: grp 239.10.10.10 is_exclude 192.0.2.20,192.0.2.30
const MZPKT_IS_EXC2: &str =
    "22:00:5e:b4:00:00:00:01:02:00:00:02:ef:0a:0a:0a:c0:00:02:14:c0:00:02:1e";
/// IGMPv3 report: grp 239.10.10.10 to_exclude 192.0.2.1,192.0.2.20,192.0.2.30
const MZPKT_TO_EXC: &str =
    "22:00:9a:b1:00:00:00:01:04:00:00:03:ef:0a:0a:0a:c0:00:02:01:c0:00:02:14:c0:00:02:1e";
/// IGMPv3 report: grp 239.10.10.10 block 192.0.2.1,192.0.2.20,192.0.2.30
const MZPKT_BLOCK: &str =
    "22:00:98:b1:00:00:00:01:06:00:00:03:ef:0a:0a:0a:c0:00:02:01:c0:00:02:14:c0:00:02:1e";

fn group() -> Ipv4Addr {
    ip(TEST_GROUP)
}

/// `$MZ $h1 -b $ALL_MAC -B $ALL_GROUP -t ip "proto=2,p=$PKT"`: the IGMP bytes in an IPv4
/// packet from h1 (192.0.2.1) to 224.0.0.1.
fn mz(pkt: &str) -> Vec<u8> {
    let payload: Vec<u8> = pkt
        .split(':')
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect();
    let mut iph = Ipv4::new(ip("192.0.2.1"), ip("224.0.0.1"));
    iph.proto = Some(IpProtocol::IGMP);
    (Ethernet::new(
        MacAddr::new(0x01, 0, 0x5e, 0, 0, 1),
        MacAddr::new(0x02, 0, 0, 0, 0, 1),
    ) / iph)
        .with_payload(payload)
        .with_min_len(60)
        .to_vec()
        .unwrap()
}

/// `ip link add dev br0 type bridge mcast_snooping 1 mcast_querier 1`, default timers.
fn bridge_config() -> Config {
    Config {
        querier: Some(QuerierConfig::new(Ipv4Addr::UNSPECIFIED)),
        unregistered: Unregistered::RouterPorts,
        ..Config::default()
    }
}

struct Selftest {
    sim: Sim,
    t: f64,
}

impl Selftest {
    fn new() -> Selftest {
        Selftest {
            sim: Sim::new(snooper(bridge_config())),
            t: 0.0,
        }
    }

    fn sleep(&mut self, secs: f64) {
        self.t += secs;
        self.sim.run_until(self.t);
    }

    fn send_h1(&mut self, pkt: &str) {
        self.sim.frame(SWP1, &mz(pkt));
    }

    /// `ip link set dev br0 type bridge ...`
    fn set(&mut self, f: impl FnOnce(&mut Config)) {
        let mut c = self.sim.sn.config().clone();
        f(&mut c);
        let now = self.sim.now;
        self.sim.sn.set_config(now, c);
    }

    fn mode(&self) -> Option<FilterMode> {
        self.sim
            .sn
            .membership(VlanId::UNTAGGED, group(), SWP1)
            .map(|m| m.mode)
    }

    /// `check_sg_entries`: every listed source is in the source list.
    fn check_sg_entries(&self, report: &str, slist: &[&str]) {
        let m = self
            .sim
            .sn
            .membership(VlanId::UNTAGGED, group(), SWP1)
            .unwrap_or_else(|| panic!("no *,G entry after {report}"));
        for s in slist {
            assert!(
                m.sources.iter().any(|x| x.addr == ip(s)),
                "Wrong *,G entry source list after {report} report: {s} missing"
            );
        }
    }

    fn has_source(&self, s: &str) -> bool {
        self.sim
            .sn
            .membership(VlanId::UNTAGGED, group(), SWP1)
            .is_some_and(|m| m.sources.iter().any(|x| x.addr == ip(s)))
    }

    /// `check_sg_state`: blocked sources have a zero timer, the others a running one.
    fn check_sg_state(&self, is_blocked: bool, sources: &[&str]) {
        let m = self
            .sim
            .sn
            .membership(VlanId::UNTAGGED, group(), SWP1)
            .unwrap();
        for s in sources {
            let e = m.sources.iter().find(|x| x.addr == ip(s)).unwrap();
            assert_eq!(
                e.timer.is_none(),
                is_blocked,
                "Entry {s} zero timer / blocked flag"
            );
        }
    }

    /// `check_sg_fwding`: traffic from `src` sent by h2 (behind swp2) reaches h1 or not.
    fn check_sg_fwding(&self, should_fwd: bool, sources: &[&str]) {
        for s in sources {
            let reaches_h1 = match self
                .sim
                .sn
                .forward_ports(VlanId::UNTAGGED, group(), ip(s), 9999)
            {
                sdnwire_igmp::Forward::Flood => true,
                sdnwire_igmp::Forward::Ports(p) => p.contains(SWP1),
                sdnwire_igmp::Forward::Drop => false,
                other => panic!("a forwarding the tests do not know: {other:?}"),
            };
            assert_eq!(reaches_h1, should_fwd, "S,G ({s}, {TEST_GROUP}) forwarding");
        }
    }

    /// `v3include_prepare`
    fn v3include_prepare(&mut self) {
        self.set(|c| c.query_version = 3);
        self.send_h1(MZPKT_IS_INC);
        self.sleep(1.0);
        assert_eq!(
            self.mode(),
            Some(FilterMode::Include),
            "Wrong *,G entry filter mode"
        );
        self.check_sg_entries("is_include", &["192.0.2.1", "192.0.2.2", "192.0.2.3"]);
    }

    /// `v3exclude_prepare`
    fn v3exclude_prepare(&mut self) {
        self.v3include_prepare();
        self.send_h1(MZPKT_IS_EXC);
        self.sleep(1.0);
        assert_eq!(
            self.mode(),
            Some(FilterMode::Exclude),
            "Wrong *,G entry filter mode"
        );
        let x = ["192.0.2.1", "192.0.2.2"];
        let y = ["192.0.2.20", "192.0.2.21"];
        self.check_sg_entries("is_exclude", &[&x[..], &y[..]].concat());
        self.check_sg_state(false, &x);
        self.check_sg_state(true, &y);
        assert!(
            !self.has_source("192.0.2.3"),
            "192.0.2.3 entry still exists"
        );
    }
}

#[test]
fn v2reportleave_test() {
    let mut st = Selftest::new();
    // `ip address add dev $h2 $TEST_GROUP/32 autojoin`: h2's IGMPv2 report on swp2.
    st.sim.frame(SWP2, &v2_report(ip("192.0.2.2"), group()));
    st.sleep(5.0);
    assert_eq!(
        st.sim.sn.group_ports(VlanId::UNTAGGED, group()),
        &[SWP2],
        "IGMPv2 report didn't create mdb entry"
    );
    // mcast_packet_test from h1 (swp1) to h2.
    assert_eq!(
        st.sim
            .sn
            .forward_ports(VlanId::UNTAGGED, group(), ip("192.0.2.1"), 9999),
        sdnwire_igmp::Forward::Ports(PortList::from(&[SWP2][..]))
    );
    // `ip address del`: the leave; the bridge (querier) asks, nobody answers.
    st.sim.frame(SWP2, &v2_leave(ip("192.0.2.2"), group()));
    let q = st.sim.take_queries();
    assert!(q
        .iter()
        .any(|q| q.group == group() && q.egress == Out::Ports(vec![SWP2])));
    st.sleep(5.0);
    assert!(
        st.sim.sn.group_ports(VlanId::UNTAGGED, group()).is_empty(),
        "Leave didn't delete mdb entry"
    );
    assert_eq!(
        st.sim
            .sn
            .forward_ports(VlanId::UNTAGGED, group(), ip("192.0.2.1"), 9999),
        sdnwire_igmp::Forward::Drop,
        "Traffic to {TEST_GROUP} was forwarded without mdb entry"
    );
}

#[test]
fn v3include_test() {
    let mut st = Selftest::new();
    let x = ["192.0.2.1", "192.0.2.2", "192.0.2.3"];
    st.v3include_prepare();
    st.check_sg_state(false, &x);
    st.check_sg_fwding(true, &x);
    st.check_sg_fwding(false, &["192.0.2.100"]);
}

#[test]
fn v3inc_allow_test() {
    let mut st = Selftest::new();
    let x = ["192.0.2.10", "192.0.2.11", "192.0.2.12"];
    st.v3include_prepare();
    st.send_h1(MZPKT_ALLOW);
    st.sleep(1.0);
    st.check_sg_entries("allow", &x);
    st.check_sg_state(false, &x);
    st.check_sg_fwding(true, &x);
    st.check_sg_fwding(false, &["192.0.2.100"]);
}

#[test]
fn v3inc_is_include_test() {
    let mut st = Selftest::new();
    let x = ["192.0.2.10", "192.0.2.11", "192.0.2.12"];
    st.v3include_prepare();
    st.send_h1(MZPKT_IS_INC2);
    st.sleep(1.0);
    st.check_sg_entries("is_include", &x);
    st.check_sg_state(false, &x);
    st.check_sg_fwding(true, &x);
    st.check_sg_fwding(false, &["192.0.2.100"]);
}

#[test]
fn v3inc_is_exclude_test() {
    let mut st = Selftest::new();
    st.v3exclude_prepare();
    st.check_sg_fwding(true, &["192.0.2.1", "192.0.2.2", "192.0.2.100"]);
    st.check_sg_fwding(false, &["192.0.2.20", "192.0.2.21"]);
}

#[test]
fn v3inc_to_exclude_test() {
    let mut st = Selftest::new();
    let x = ["192.0.2.1"];
    let y = ["192.0.2.20", "192.0.2.30"];
    st.v3include_prepare();
    st.set(|c| c.last_member_query_interval = Duration::from_secs(5));
    st.send_h1(MZPKT_TO_EXC);
    st.sleep(1.0);
    assert_eq!(st.mode(), Some(FilterMode::Exclude));
    st.check_sg_entries("to_exclude", &[&x[..], &y[..]].concat());
    st.check_sg_state(false, &x);
    st.check_sg_state(true, &y);
    assert!(!st.has_source("192.0.2.2"), "192.0.2.2 entry still exists");
    assert!(
        !st.has_source("192.0.2.21"),
        "192.0.2.21 entry still exists"
    );
    st.check_sg_fwding(true, &["192.0.2.1", "192.0.2.100"]);
    st.check_sg_fwding(false, &y);
}

#[test]
fn v3exc_allow_test() {
    let mut st = Selftest::new();
    let x = ["192.0.2.1", "192.0.2.2", "192.0.2.20", "192.0.2.30"];
    let y = ["192.0.2.21"];
    st.v3exclude_prepare();
    st.send_h1(MZPKT_ALLOW2);
    st.sleep(1.0);
    st.check_sg_entries("allow", &[&x[..], &y[..]].concat());
    st.check_sg_state(false, &x);
    st.check_sg_state(true, &y);
    st.check_sg_fwding(true, &[&x[..], &["192.0.2.100"]].concat());
    st.check_sg_fwding(false, &y);
}

#[test]
fn v3exc_is_include_test() {
    let mut st = Selftest::new();
    let x = ["192.0.2.1", "192.0.2.2", "192.0.2.20", "192.0.2.30"];
    let y = ["192.0.2.21"];
    st.v3exclude_prepare();
    st.send_h1(MZPKT_IS_INC3);
    st.sleep(1.0);
    st.check_sg_entries("is_include", &[&x[..], &y[..]].concat());
    st.check_sg_state(false, &x);
    st.check_sg_state(true, &y);
    st.check_sg_fwding(true, &[&x[..], &["192.0.2.100"]].concat());
    st.check_sg_fwding(false, &y);
}

#[test]
fn v3exc_is_exclude_test() {
    let mut st = Selftest::new();
    let x = ["192.0.2.30"];
    let y = ["192.0.2.20"];
    st.v3exclude_prepare();
    st.send_h1(MZPKT_IS_EXC2);
    st.sleep(1.0);
    st.check_sg_entries("is_exclude", &[&x[..], &y[..]].concat());
    st.check_sg_state(false, &x);
    st.check_sg_state(true, &y);
    st.check_sg_fwding(true, &[&x[..], &["192.0.2.100"]].concat());
    st.check_sg_fwding(false, &y);
    // What IS_EX deletes (X-A, Y-A) is gone.
    assert!(!st.has_source("192.0.2.1") && !st.has_source("192.0.2.21"));
}

#[test]
fn v3exc_to_exclude_test() {
    let mut st = Selftest::new();
    let x = ["192.0.2.1", "192.0.2.30"];
    let y = ["192.0.2.20"];
    st.v3exclude_prepare();
    st.set(|c| c.last_member_query_interval = Duration::from_secs(5));
    st.send_h1(MZPKT_TO_EXC);
    st.sleep(1.0);
    st.check_sg_entries("to_exclude", &[&x[..], &y[..]].concat());
    st.check_sg_state(false, &x);
    st.check_sg_state(true, &y);
    st.check_sg_fwding(true, &[&x[..], &["192.0.2.100"]].concat());
    st.check_sg_fwding(false, &y);
}

#[test]
fn v3inc_block_test() {
    let mut st = Selftest::new();
    let x = ["192.0.2.2", "192.0.2.3"];
    st.v3include_prepare();
    st.send_h1(MZPKT_BLOCK);
    // "make sure the lowered timers have expired (by default 2 seconds)"
    st.sleep(3.0);
    st.check_sg_entries("block", &x);
    st.check_sg_state(false, &x);
    assert!(!st.has_source("192.0.2.1"), "192.0.2.1 entry still exists");
    st.check_sg_fwding(true, &x);
    st.check_sg_fwding(false, &["192.0.2.100"]);
}

#[test]
fn v3exc_block_test() {
    let mut st = Selftest::new();
    let x = ["192.0.2.1", "192.0.2.2", "192.0.2.30"];
    let y = ["192.0.2.20", "192.0.2.21"];
    st.v3exclude_prepare();
    st.set(|c| c.last_member_query_interval = Duration::from_secs(5));
    st.send_h1(MZPKT_BLOCK);
    st.sleep(1.0);
    st.check_sg_entries("block", &[&x[..], &y[..]].concat());
    st.check_sg_state(false, &x);
    st.check_sg_state(true, &y);
    st.check_sg_fwding(true, &[&x[..], &["192.0.2.100"]].concat());
    st.check_sg_fwding(false, &y);
}

#[test]
fn v3exc_timeout_test() {
    let mut st = Selftest::new();
    let x = ["192.0.2.20", "192.0.2.30"];
    // GMI should be 3 seconds.
    st.set(|c| {
        c.query_interval = Duration::from_secs(1);
        c.query_response_interval = Duration::from_secs(1);
    });
    st.v3exclude_prepare();
    st.set(|c| {
        c.query_interval = Duration::from_secs(5);
        c.query_response_interval = Duration::from_secs(5);
    });
    st.send_h1(MZPKT_ALLOW2);
    st.sleep(3.0);
    assert_eq!(
        st.mode(),
        Some(FilterMode::Include),
        "Wrong *,G entry filter mode"
    );
    assert!(!st.has_source("192.0.2.1"), "192.0.2.1 entry still exists");
    assert!(!st.has_source("192.0.2.2"), "192.0.2.2 entry still exists");
    st.check_sg_entries("allow", &x);
    st.check_sg_state(false, &x);
    st.check_sg_fwding(true, &x);
    st.check_sg_fwding(false, &["192.0.2.100"]);
}
