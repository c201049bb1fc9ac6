//! A controller running `--app simple_switch_igmp_13 --igmp-querier 1 --igmp-server-port 2`
//! against two real Open vSwitch bridges, as the Ryu book's IGMP
//! snooping example runs it: s1 (datapath 1) is the querier with the multicast server behind
//! its port 2, s2 (datapath 2) snoops; the bridges are linked port 4 ↔ port 4 (dummy ports
//! over a unix socket). Hosts on ports 1–3 join and leave 225.0.0.1 and 225.0.0.2 (IGMPv2
//! reports and leaves injected with netdev-dummy/receive, built by `sdnwire-packet`); multicast frames
//! injected on the server port must come out of the member ports only (tx_pcap on every host
//! port of both bridges), before and after the leaves, and the controller must have installed
//! the Ryu book's IGMP snooping flows (`ip,in_port=4,nw_dst=225.0.0.1 actions=output:1,output:3` on s2) and
//! logged the Ryu book's "Multicast Group Added/Member Changed/Removed" lines.
//!
//! The scenario takes the controller's program ([`Command`]) and the words its log lines
//! start with ([`Logs`]); it adds `--listen` and the application's arguments.

use core::net::Ipv4Addr;
use core::time::Duration;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use sdnwire_packet::igmp::Igmp;
use sdnwire_packet::{Encode, Ethernet, Ipv4, MacAddr, PacketView, Udp};

use super::{Controller, SECOND};
use crate::ovs::Ovs;
use crate::pcap::read_file as read_pcap;
use crate::wait;

const G1: Ipv4Addr = Ipv4Addr::new(225, 0, 0, 1);
const G2: Ipv4Addr = Ipv4Addr::new(225, 0, 0, 2);
/// The datapath ids of s1 and s2.
const S1: &str = "0000000000000001";
const S2: &str = "0000000000000002";

/// How a controller begins the log lines the scenario checks, given the datapath id as 16 hex
/// digits.
#[derive(Debug, Clone, Copy)]
pub struct Logs {
    /// The snooper's own lines (`IGMP querier 10.0.0.254 on port 4`): Ryu's igmplib logs them.
    pub snooper: fn(&str) -> String,
    /// The application's group events (`Multicast Group Added: ..`), as Ryu's
    /// `simple_switch_igmp_13` logs them.
    pub app: fn(&str) -> String,
}

// ------------------------------------------------------------------ frames and captures

/// The host behind port `port` of switch `sw`.
fn host(sw: u8, port: u8) -> (MacAddr, Ipv4Addr) {
    (
        MacAddr::new(0, 0, 0, 0, sw, port),
        Ipv4Addr::new(10, 0, sw, port),
    )
}

/// An IGMPv2 message from that host, as Linux sends it (TTL 1, Router Alert).
fn igmp(sw: u8, port: u8, msg: Igmp) -> Vec<u8> {
    let (mac, ip) = host(sw, port);
    let dst = msg.ip_destination().unwrap();
    let mut h = Ipv4::new(ip, dst);
    h.ttl = 1;
    h.tos = 0xc0;
    h.option = vec![0x94, 4, 0, 0].into();
    (Ethernet::new(MacAddr::from_ipv4_multicast(dst), mac) / h / msg)
        .to_vec()
        .unwrap()
}

/// A multicast UDP datagram from the server (behind s1's port 2) to `group`, tagged.
fn data(group: Ipv4Addr, tag: u16) -> Vec<u8> {
    let mut h = Ipv4::new(Ipv4Addr::new(10, 0, 1, 2), group);
    h.ttl = 8;
    (Ethernet::new(
        MacAddr::from_ipv4_multicast(group),
        MacAddr::new(0, 0, 0, 0, 1, 2),
    ) / h
        / Udp::new(5000, tag))
    .with_payload(&b"multicast"[..])
    .to_vec()
    .unwrap()
}

/// The UDP destination ports (our tags) of the multicast datagrams in a capture.
fn tags(path: &Path) -> Vec<u16> {
    read_pcap(path)
        .iter()
        .filter_map(|f| {
            let v = PacketView::parse(f).ok()?;
            v.ipv4()?.dst().is_multicast().then_some(())?;
            Some(v.udp()?.dst_port())
        })
        .collect()
}

/// The priority-65535 group flows of `br`: `in_port=..,nw_dst=.. actions=..`.
fn group_flows(ovs: &Ovs, br: &str) -> Vec<String> {
    let mut v: Vec<String> = ovs
        .ofctl(&["dump-flows", br])
        .lines()
        .filter(|l| l.contains("priority=65535") && l.contains("nw_dst="))
        .map(|l| {
            let l = l.trim();
            let m = l.find("ip,").unwrap();
            l[m..].to_owned()
        })
        .collect();
    v.sort();
    v
}

// ------------------------------------------------------------------ the scenario

struct Net<'a> {
    ovs: &'a Ovs,
    ctl: &'a Controller,
    /// tx_pcap of every host port: (switch, port) → file.
    pcaps: BTreeMap<(u8, u8), PathBuf>,
    tag: u16,
}

impl Net<'_> {
    fn port(sw: u8, port: u8) -> String {
        format!("s{sw}-p{port}")
    }

    fn inject(&self, sw: u8, port: u8, frame: &[u8]) {
        self.ovs.inject(&Self::port(sw, port), frame);
    }

    fn wait_flows(&self, br: &str, want: &[&str]) {
        wait(
            10 * SECOND,
            &format!("{br}'s group flows {want:?}"),
            || {
                format!(
                    "{br} has {:?}\n{}",
                    group_flows(self.ovs, br),
                    self.ctl.context(Some(self.ovs))
                )
            },
            || (group_flows(self.ovs, br) == want).then_some(()),
        );
    }

    /// Sends one datagram to `group` from the server port and returns the host ports it came
    /// out of.
    fn deliver(&mut self, group: Ipv4Addr) -> Vec<(u8, u8)> {
        self.tag += 1;
        let tag = self.tag;
        self.inject(1, 2, &data(group, tag));
        // Frames cross the link and a second bridge: give them time, then look.
        std::thread::sleep(Duration::from_millis(300));
        self.pcaps
            .iter()
            .filter(|(_, f)| tags(f).contains(&tag))
            .map(|(k, _)| *k)
            .collect()
    }
}

/// IGMP snooping over two bridges, the Ryu book's way: unregistered groups flooded, joins
/// installing the snooping flows on both switches and delivering to members only, general
/// queries heard on every host port, leaves narrowing the flows; the group events logged
/// with `logs`' prefixes. Returns after a loud skip when Open vSwitch is missing (a failure
/// under `CI=true`).
pub fn snooping_over_two_switches(program: Command, logs: Logs) {
    let Some(ovs) = Ovs::start("igmp") else {
        return;
    };
    let t0 = Instant::now();
    let ctl = Controller::start(
        program,
        &[
            "--app",
            "simple_switch_igmp_13",
            "--igmp-querier",
            "1",
            "--igmp-server-port",
            "2",
        ],
    );
    // The bridges, linked port 4 <-> port 4 over a unix socket, before any controller.
    ovs.add_bridge("s1", 1, 4, None);
    ovs.add_bridge("s2", 2, 4, None);
    let sock = ovs.dir().join("link.sock");
    ovs.vsctl(&[
        "set",
        "interface",
        "s1-p4",
        &format!("options:pstream=punix:{}", sock.display()),
    ]);
    ovs.vsctl(&[
        "set",
        "interface",
        "s2-p4",
        &format!("options:stream=unix:{}", sock.display()),
    ]);
    let mut pcaps = BTreeMap::new();
    for sw in [1u8, 2] {
        for p in 1u8..=3 {
            if (sw, p) != (1, 2) {
                pcaps.insert((sw, p), ovs.tx_pcap(&Net::port(sw, p)));
            }
        }
    }
    // s2 (the snooper) first, so that it hears s1's first query.
    ovs.set_controller("s2", &ctl.target());
    ctl.wait_log(
        0,
        10 * SECOND,
        Some(&ovs),
        "[dpid 0000000000000002] state CONFIG -> MAIN",
    );
    wait(
        5 * SECOND,
        "s2's IGMP flow",
        || ctl.context(Some(&ovs)),
        || {
            ovs.ofctl(&["dump-flows", "s2"])
                .contains("priority=65535,ip,nw_proto=2")
                .then_some(())
        },
    );
    ovs.set_controller("s1", &ctl.target());
    ctl.wait_log(
        0,
        10 * SECOND,
        Some(&ovs),
        "querier on port 2 of 0000000000000001",
    );
    // s1's general query crossed the link: s2 knows its querier is behind port 4.
    ctl.wait_log(
        0,
        5 * SECOND,
        Some(&ovs),
        &format!("{}IGMP querier", (logs.snooper)(S2)),
    );
    let line = ctl.wait_log(0, SECOND, Some(&ovs), "IGMP querier 10.0.0.254 on port 4");
    assert!(line.contains(&(logs.snooper)(S2)), "{line}");

    let mut net = Net {
        ovs: &ovs,
        ctl: &ctl,
        pcaps,
        tag: 1000,
    };
    // Before any join: an unregistered group is flooded.
    let before = net.deliver(G1);
    assert_eq!(
        before,
        [(1, 1), (1, 3), (2, 1), (2, 2), (2, 3)],
        "unregistered: flooded\n{}",
        ctl.context(Some(&ovs))
    );

    // Joins: 225.0.0.1 by s2's hosts 1 and 3 and s1's host 3; 225.0.0.2 by s2's host 2 and
    // s1's host 1.
    for (sw, p, g) in [(2, 1, G1), (2, 3, G1), (2, 2, G2), (1, 3, G1), (1, 1, G2)] {
        net.inject(sw, p, &igmp(sw, p, Igmp::v2_report(g)));
        std::thread::sleep(Duration::from_millis(50));
    }
    net.wait_flows(
        "s2",
        &[
            "ip,in_port=4,nw_dst=225.0.0.1 actions=output:1,output:3",
            "ip,in_port=4,nw_dst=225.0.0.2 actions=output:2",
        ],
    );
    net.wait_flows(
        "s1",
        &[
            "ip,in_port=2,nw_dst=225.0.0.1 actions=output:3,output:4",
            "ip,in_port=2,nw_dst=225.0.0.2 actions=output:1,output:4",
        ],
    );
    assert_eq!(net.deliver(G1), [(1, 3), (2, 1), (2, 3)]);
    assert_eq!(net.deliver(G2), [(1, 1), (2, 2)]);
    for line in [
        format!(
            "{}Multicast Group Added: [225.0.0.1] querier:[4] hosts:[1]",
            (logs.app)(S2)
        ),
        format!(
            "{}Multicast Group Member Changed: [225.0.0.1] querier:[4] hosts:[1, 3]",
            (logs.app)(S2)
        ),
        format!(
            "{}Multicast Group Added: [225.0.0.2] querier:[4] hosts:[2]",
            (logs.app)(S2)
        ),
        format!(
            "{}Multicast Group Added: [225.0.0.1] querier:[2] hosts:[4]",
            (logs.app)(S1)
        ),
    ] {
        // The log is read by a reader thread, which may lag what the switch shows.
        ctl.wait_log(0, 5 * SECOND, None, &line);
    }
    // Every host port heard the querier's general queries (flooded by s1, and by s2's
    // snooper from port 4).
    for (port, file) in &net.pcaps {
        let queries = read_pcap(file)
            .iter()
            .filter(|f| {
                PacketView::parse(f).is_ok_and(|v| {
                    v.igmp().is_some_and(|i| {
                        i.kind() == sdnwire_packet::igmp::MessageKind::QueryV2
                            && i.group_address().is_unspecified()
                    }) && v
                        .ipv4()
                        .is_some_and(|ip| ip.src() == Ipv4Addr::new(10, 0, 0, 254))
                })
            })
            .count();
        assert!(queries >= 1, "no general query on {port:?}");
    }
    eprintln!("igmp e2e: joined and checked after {:?}", t0.elapsed());

    // Leaves: s2's host 3 leaves 225.0.0.1 (host 1 stays), s2's host 2 leaves 225.0.0.2 (the
    // last member on s2: the leave goes on to s1, whose port 4 then goes too).
    net.inject(2, 3, &igmp(2, 3, Igmp::v2_leave(G1)));
    net.inject(2, 2, &igmp(2, 2, Igmp::v2_leave(G2)));
    net.wait_flows("s2", &["ip,in_port=4,nw_dst=225.0.0.1 actions=output:1"]);
    net.wait_flows(
        "s1",
        &[
            "ip,in_port=2,nw_dst=225.0.0.1 actions=output:3,output:4",
            "ip,in_port=2,nw_dst=225.0.0.2 actions=output:1",
        ],
    );
    assert_eq!(net.deliver(G1), [(1, 3), (2, 1)]);
    assert_eq!(net.deliver(G2), [(1, 1)]);
    for line in [
        format!(
            "{}Multicast Group Member Changed: [225.0.0.1] querier:[4] hosts:[1]",
            (logs.app)(S2)
        ),
        format!(
            "{}Multicast Group Removed: [225.0.0.2] querier:[4] hosts:[]",
            (logs.app)(S2)
        ),
        format!(
            "{}Multicast Group Member Changed: [225.0.0.2] querier:[2] hosts:[1]",
            (logs.app)(S1)
        ),
    ] {
        // The log is read by a reader thread, which may lag what the switch shows.
        ctl.wait_log(0, 5 * SECOND, None, &line);
    }
    eprintln!(
        "igmp e2e: joins, leaves and data checked in {:?}",
        t0.elapsed()
    );
}
