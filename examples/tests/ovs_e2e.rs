//! The controller binary against a real Open vSwitch: each test starts its own userspace OVS
//! (`sdnwire_testkit::ovs::Ovs`: dummy datapath, every file in a private directory, no kernel
//! module, no change to the host's network) and its own controller on a free port, injects real frames
//! (packet/testdata/ping_*.bin, a ping captured from Linux) with netdev-dummy/receive, and
//! reads what the switch did: `ovs-ofctl dump-flows`/`dump-ports`, and the frames each port
//! transmitted (tx_pcap).
//!
//! Skipped loudly when Open vSwitch is not installed; a failure when CI=true.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use std::process::Command;
use std::time::Instant;

use sdnwire_packet::icmp::IcmpType;
use sdnwire_packet::{LayerKind, MacAddr, PacketView};
use sdnwire_testkit::ovs::{Daemon, Ovs};
use sdnwire_testkit::pcap::read_file as read_pcap;
use sdnwire_testkit::scenario::hub::{
    bridge, dump_flows, hub_and_monitor_on_two_bridges, ping, wait_table_miss, DumpedFlow,
    ARP_REPLY, ARP_REQUEST, ECHO_REPLY, ECHO_REQUEST, H1, H2,
};
use sdnwire_testkit::scenario::{Controller, SECOND};
use sdnwire_testkit::{wait, Peer};

/// The controller binary on a free port (the scenarios' [`Controller`]) with `args`.
fn start(args: &[&str]) -> Controller {
    Controller::start(Command::new(env!("CARGO_BIN_EXE_controller")), args)
}

// ------------------------------------------------------------------ the tests

/// The switching hub: after the ping, the two learned flows and the table-miss flow are in the
/// switch, and every frame reached the right ports and no other.
#[test]
fn switching_hub_forwards_the_ping() {
    let Some(ovs) = Ovs::start("hub") else { return };
    let t0 = Instant::now();
    let ctl = start(&["--app", "simple_switch_13"]);
    bridge(&ovs, &ctl, "br0", 1);
    wait_table_miss(&ovs, &ctl, "br0");
    let [p1, p2, p3] = ping(&ovs, &ctl, "br0");

    let mut flows = dump_flows(&ovs, "br0");
    flows.sort_by(|a, b| a.rule.cmp(&b.rule));
    let flow = |priority, rule: &str, packets, bytes| DumpedFlow {
        priority,
        rule: rule.to_owned(),
        packets,
        bytes,
    };
    assert_eq!(
        flows,
        vec![
            // ARP request, ARP reply and echo request came to the controller.
            flow(0, "actions=CONTROLLER:65535", 3, 42 + 42 + 98),
            // The echo request went out by packet-out before this flow existed.
            flow(1, &format!("in_port=1,dl_dst={H2} actions=output:2"), 0, 0),
            // The echo reply took this flow, installed on the ARP reply.
            flow(1, &format!("in_port=2,dl_dst={H1} actions=output:1"), 1, 98),
        ],
        "{}",
        ctl.context(Some(&ovs))
    );
    // Every frame, byte for byte, where it belongs.
    assert_eq!(read_pcap(&p1), [ARP_REPLY, ECHO_REPLY]);
    assert_eq!(read_pcap(&p2), [ARP_REQUEST, ECHO_REQUEST]);
    assert_eq!(read_pcap(&p3), [ARP_REQUEST]);
    // The log is read by a reader thread, which may lag the frames.
    ctl.wait_log(
        0,
        5 * SECOND,
        Some(&ovs),
        &format!("simple_switch_13: packet in 0000000000000001 {H1} ff:ff:ff:ff:ff:ff 1"),
    );
    eprintln!(
        "switching hub: handshake, ping and checks in {:?}",
        t0.elapsed()
    );
}

/// The traffic monitor's figures equal what ovs-ofctl reads from the switch at the same
/// moment, on two switches at once (each with its own MAC table).
#[test]
fn monitor_agrees_with_ovs_ofctl() {
    let Some(ovs) = Ovs::start("monitor") else {
        return;
    };
    let t0 = Instant::now();
    let ctl = start(&[
        "--app",
        "simple_switch_13,simple_monitor",
        "--monitor-interval",
        "0.5",
    ]);
    hub_and_monitor_on_two_bridges(&ovs, &ctl);
    eprintln!(
        "monitor: two switches, pings and checks in {:?}",
        t0.elapsed()
    );
}

/// The ICMP responder answers a ping injected on a port: the ARP reply and the echo reply
/// come out of that port, valid (checksums), as `packet` and (when installed) tshark decode
/// them.
#[test]
fn icmp_responder_answers_a_ping() {
    let Some(ovs) = Ovs::start("responder") else {
        return;
    };
    let t0 = Instant::now();
    let ctl = start(&[
        "--app",
        "icmp_responder",
        "--responder-mac",
        H2,
        "--responder-ip",
        "10.0.0.2",
    ]);
    bridge(&ovs, &ctl, "br0", 1);
    wait_table_miss(&ovs, &ctl, "br0");
    let pcap = ovs.tx_pcap("p1");
    for (i, frame) in [ARP_REQUEST, ECHO_REQUEST].into_iter().enumerate() {
        ovs.inject("p1", frame);
        wait(
            5 * SECOND,
            "the responder's answer",
            || ctl.context(Some(&ovs)),
            || (read_pcap(&pcap).len() > i).then_some(()),
        );
    }
    let frames = read_pcap(&pcap);
    assert_eq!(frames.len(), 2, "{frames:02x?}");
    let h2: MacAddr = H2.parse().unwrap();
    let h1: MacAddr = H1.parse().unwrap();

    // The ARP reply: Linux's own reply to the same request, padded to 60 bytes.
    assert_eq!(&frames[0][..42], ARP_REPLY);
    assert!(frames[0][42..].iter().all(|&b| b == 0) && frames[0].len() == 60);
    let arp = PacketView::parse(&frames[0]).unwrap();
    let arp = arp.arp().unwrap();
    assert_eq!((arp.sender_mac(), arp.target_mac()), (Some(h2), Some(h1)));
    assert_eq!(arp.oper(), sdnwire_packet::arp::ArpOp::REPLY);

    // The echo reply: valid, and the same ICMP message Linux answered with.
    let v = PacketView::parse(&frames[1]).unwrap();
    let eth = v.ethernet().unwrap();
    assert_eq!((eth.src(), eth.dst()), (h2, h1));
    let ip = v.ipv4().unwrap();
    ip.verify_checksum().unwrap();
    assert_eq!(
        (ip.src().to_string(), ip.dst().to_string()),
        ("10.0.0.2".into(), "10.0.0.1".into())
    );
    let icmp = v.icmp().unwrap();
    icmp.verify_checksum().unwrap();
    assert_eq!(icmp.msg_type(), IcmpType::ECHO_REPLY);
    let linux = PacketView::parse(ECHO_REPLY).unwrap();
    assert_eq!(v.bytes(LayerKind::Icmp), linux.bytes(LayerKind::Icmp));

    // Without tshark the replies are checked with `packet` only (a failure under CI=true).
    if sdnwire_testkit::require(&[Peer::Tshark]) {
        let out = Command::new(sdnwire_testkit::tshark())
            .args([
                "-r",
                pcap.to_str().unwrap(),
                "-o",
                "ip.check_checksum:TRUE",
                "-T",
                "fields",
            ])
            .args([
                "-e",
                "arp.opcode",
                "-e",
                "ip.checksum.status",
                "-e",
                "icmp.type",
            ])
            .args([
                "-e",
                "icmp.code",
                "-e",
                "icmp.checksum.status",
                "-e",
                "icmp.seq",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
        // ARP reply (opcode 2); echo reply (type 0, code 0) with good IPv4 and ICMP checksums
        // (status 1), sequence 1.
        assert_eq!(
            rows,
            vec![
                vec!["2", "", "", "", "", ""],
                vec!["", "1", "0", "0", "1", "1"]
            ],
            "tshark:\n{text}"
        );
    }
    eprintln!(
        "icmp responder: ARP and ping answered in {:?}",
        t0.elapsed()
    );
}

/// A frozen switch is declared dead within the echo interval plus the echo timeout; a killed
/// and restarted one connects again (and the switching hub installs its table-miss flow in
/// the new switch); a killed one is dead at once. The monitor's JSON output on the way.
#[test]
fn dead_switch_and_reconnection() {
    let Some(ovs) = Ovs::start("dead") else {
        return;
    };
    let t0 = Instant::now();
    let (interval, timeout) = (SECOND, SECOND);
    let ctl = start(&[
        "--app",
        "simple_switch_13,simple_monitor",
        "--json",
        "--monitor-interval",
        "0.5",
        "--echo-interval",
        "1",
        "--echo-timeout",
        "1",
    ]);
    bridge(&ovs, &ctl, "br0", 1);
    wait_table_miss(&ovs, &ctl, "br0");
    // The monitor prints os-ken-shaped JSON, a line per reply.
    let json = |from: usize| {
        wait(
            5 * SECOND,
            "the monitor's JSON",
            || ctl.context(Some(&ovs)),
            || {
                ctl.out()[from..].iter().find_map(|l| {
                    let v: serde_json::Value = serde_json::from_str(l).ok()?;
                    v["msg"].get("OFPPortStatsReply").is_some().then_some(v)
                })
            },
        )
    };
    let v = json(0);
    assert_eq!(v["datapath_id"], 1);
    let ports = v["msg"]["OFPPortStatsReply"]["body"].as_array().unwrap();
    assert_eq!(ports.len(), 4, "{v}");

    // Freeze ovs-vswitchd: the socket stays open and silent.
    let from = ctl.log().len();
    let frozen = Instant::now();
    ovs.signal(Daemon::Vswitchd, "STOP");
    ctl.wait_log(
        from,
        interval + timeout + 3 * SECOND,
        Some(&ovs),
        "dead: no answer to our ECHO_REQUEST within the echo timeout",
    );
    let took = frozen.elapsed();
    assert!(
        took <= interval + timeout + SECOND,
        "dead {took:?} after the freeze (echo interval {interval:?} + timeout {timeout:?})\n{}",
        ctl.context(Some(&ovs))
    );
    ctl.wait_log(
        from,
        SECOND,
        Some(&ovs),
        "simple_monitor: unregister datapath",
    );
    eprintln!("frozen switch dead after {took:?}");

    // Kill it and start it again: ovsdb still has the bridge and its controller.
    ovs.signal(Daemon::Vswitchd, "KILL");
    wait(5 * SECOND, "ovs-vswitchd to exit", String::new, || {
        (!ovs.running(Daemon::Vswitchd)).then_some(())
    });
    let from = ctl.log().len();
    let out_from = ctl.out().len();
    let restarted = Instant::now();
    ovs.start_vswitchd();
    ctl.wait_log(
        from,
        10 * SECOND,
        Some(&ovs),
        "[dpid 0000000000000001] state CONFIG -> MAIN",
    );
    eprintln!(
        "restarted switch in MAIN again after {:?}",
        restarted.elapsed()
    );
    // A restarted OVS has no flows: the table-miss flow is the new connection's.
    wait_table_miss(&ovs, &ctl, "br0");
    assert_eq!(json(out_from)["datapath_id"], 1);

    // Killed outright: the stream closes, dead at once.
    let from = ctl.log().len();
    let killed = Instant::now();
    ovs.signal(Daemon::Vswitchd, "KILL");
    ctl.wait_log(
        from,
        2 * SECOND,
        Some(&ovs),
        "dead: the switch closed the connection",
    );
    eprintln!("killed switch dead after {:?}", killed.elapsed());
    eprintln!("dead and reconnection: {:?}", t0.elapsed());
}
