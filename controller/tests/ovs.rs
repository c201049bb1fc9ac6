//! The manager binary against a real Open vSwitch (testkit's private OVS: dummy datapath,
//! every file in a private directory): two bridges on one controller, the switching hub and
//! the traffic monitor (ONE application over both switches); the flows the hub installed are
//! in `ovs-ofctl dump-flows`, and the monitor's tables for both switches agree with
//! `dump-flows` and `dump-ports`; SIGTERM stops the manager cleanly. Frames are a ping
//! captured from Linux (packet/testdata/ping_*.bin), injected with netdev-dummy/receive.
//!
//! Skipped loudly when Open vSwitch is not installed; a failure when CI=true.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use std::process::Command;

use sdnwire_testkit::ovs::Ovs;
use sdnwire_testkit::pcap::read_file as read_pcap;
use sdnwire_testkit::scenario::hub::{
    bridge, dump_flows, dump_ports, hub_and_monitor_on_two_bridges, ping, tables, wait_table_miss,
    ARP_REPLY,
};
use sdnwire_testkit::scenario::{Controller, SECOND};
use sdnwire_testkit::wait;

/// The sdnwire-manager binary on a free port (the scenarios' [`Controller`]) with `args`.
fn start(args: &[&str]) -> Controller {
    Controller::start(Command::new(env!("CARGO_BIN_EXE_sdnwire-manager")), args)
}

// ------------------------------------------------------------------ the test

#[test]
fn two_bridges_one_controller_hub_and_monitor() {
    let Some(ovs) = Ovs::start("ctl-two") else {
        return;
    };
    let mut ctl = start(&[
        "--app",
        "simple_switch_13",
        "--app",
        "simple_monitor_13",
        "--monitor-interval",
        "0.5",
    ]);
    hub_and_monitor_on_two_bridges(&ovs, &ctl);
    // One monitor: it registered both switches.
    for dpid in ["0000000000000001", "0000000000000002"] {
        let line = format!("[simple_monitor_13] register datapath: {dpid}");
        ctl.wait_log(0, 5 * SECOND, Some(&ovs), &line);
    }
    // SIGTERM: a clean shutdown (both switches closed, exit status 0).
    let pid = ctl.child().id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = ctl.wait_exit();
    assert!(status.success(), "{status:?}\n{}", ctl.context(Some(&ovs)));
    let log = ctl.log().join("\n");
    assert!(log.contains("[manager] shutting down"), "{log}");
    assert!(
        log.contains("[dpid 0000000000000002] state MAIN -> DEAD"),
        "{log}"
    );
}

// ------------------------------------------------------------------ ofctl_rest

/// An HTTP/1.1 request on a fresh connection: the status and the body.
fn http(addr: &str, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(10 * SECOND)).unwrap();
    let body = body.unwrap_or("");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    let body = out.split_once("\r\n\r\n").unwrap().1.to_owned();
    (status, body)
}

fn get_json(addr: &str, path: &str) -> serde_json::Value {
    let (status, body) = http(addr, "GET", path, None);
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Ryu's REST API against the switch: its answers are what ovs-ofctl reads, the flows it adds
/// and deletes are in (and gone from) the switch.
#[test]
fn ofctl_rest_answers_what_ovs_ofctl_shows() {
    let Some(ovs) = Ovs::start("ctl-rest") else {
        return;
    };
    let ctl = start(&[
        "--app",
        "simple_switch_13,ofctl_rest",
        "--wsapi-host",
        "127.0.0.1",
        "--wsapi-port",
        "0",
    ]);
    let line = ctl.wait_log(0, 10 * SECOND, None, "listening on http://");
    let api = line.split("http://").nth(1).unwrap().trim().to_owned();
    bridge(&ovs, &ctl, "br0", 1);
    wait_table_miss(&ovs, &ctl, "br0");
    ping(&ovs, &ctl, "br0");

    assert_eq!(get_json(&api, "/stats/switches"), serde_json::json!([1]));
    let desc = get_json(&api, "/stats/desc/1");
    assert_eq!(desc["1"]["mfr_desc"], "Nicira, Inc.", "{desc}");
    assert_eq!(desc["1"]["hw_desc"], "Open vSwitch", "{desc}");

    // A flow over REST, in Ryu's words: in the switch as ovs-ofctl shows it.
    let flow = r#"{"dpid": 1, "priority": 100, "cookie": 7, "idle_timeout": 300,
        "match": {"in_port": 3, "dl_type": 2048, "nw_dst": "10.0.0.0/24", "nw_proto": 17, "tp_dst": 53},
        "actions": [{"type": "SET_FIELD", "field": "eth_dst", "value": "00:00:00:00:00:02"},
                    {"type": "OUTPUT", "port": 2}]}"#;
    let (status, body) = http(&api, "POST", "/stats/flowentry/add", Some(flow));
    assert_eq!(status, 200, "{body}");
    let rule = wait(
        5 * SECOND,
        "the REST flow in the switch",
        || ctl.context(Some(&ovs)),
        || {
            dump_flows(&ovs, "br0")
                .into_iter()
                .find(|f| f.priority == 100)
        },
    );
    assert_eq!(
        rule.rule,
        "udp,in_port=3,nw_dst=10.0.0.0/24,tp_dst=53 actions=set_field:00:00:00:00:00:02->eth_dst,output:2",
        "{}",
        ctl.context(Some(&ovs))
    );

    // /stats/flow: every flow ovs-ofctl shows, with its counters, in Ryu's shape.
    let flows = get_json(&api, "/stats/flow/1");
    let flows = flows["1"].as_array().unwrap();
    let dumped = dump_flows(&ovs, "br0");
    assert_eq!(flows.len(), dumped.len(), "{flows:?}\n{dumped:?}");
    for d in &dumped {
        let f = flows
            .iter()
            .find(|f| {
                f["priority"] == d.priority
                    && d.rule.contains(&format!("actions={}", ovs_actions(f)))
            })
            .unwrap_or_else(|| panic!("{d:?} not in {flows:?}"));
        assert_eq!(
            (f["packet_count"].as_u64(), f["byte_count"].as_u64()),
            (Some(d.packets), Some(d.bytes)),
            "{d:?}"
        );
    }
    let ours = flows.iter().find(|f| f["priority"] == 100).unwrap();
    assert_eq!(
        ours["match"],
        serde_json::json!({"in_port": 3, "dl_type": 2048, "nw_dst": "10.0.0.0/255.255.255.0", "nw_proto": 17, "tp_dst": 53})
    );
    assert_eq!(
        ours["actions"],
        serde_json::json!(["SET_FIELD: {eth_dst:00:00:00:00:00:02}", "OUTPUT:2"])
    );
    assert_eq!(
        (ours["cookie"].as_u64(), ours["idle_timeout"].as_u64()),
        (Some(7), Some(300))
    );
    // A filter, as a POST body.
    let (status, body) = http(&api, "POST", "/stats/flow/1", Some(r#"{"priority": 1}"#));
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["1"].as_array().unwrap().len(), 2, "{v}");
    let agg = get_json(&api, "/stats/aggregateflow/1");
    assert_eq!(agg["1"][0]["flow_count"], dumped.len(), "{agg}");

    // Ports: the counters ovs-ofctl dump-ports shows, the names and addresses of the switch.
    let ports = get_json(&api, "/stats/port/1");
    let mut got: Vec<[String; 7]> = ports["1"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let no = match &p["port_no"] {
                serde_json::Value::String(s) if s == "LOCAL" => "fffffffe".to_owned(),
                n => format!("{:x}", n.as_u64().unwrap()),
            };
            let c = |k: &str| {
                let n = p[k].as_u64().unwrap();
                if n == u64::MAX {
                    "?".to_owned()
                } else {
                    n.to_string()
                }
            };
            [
                no,
                c("rx_packets"),
                c("rx_bytes"),
                c("rx_errors"),
                c("tx_packets"),
                c("tx_bytes"),
                c("tx_errors"),
            ]
        })
        .collect();
    got.sort();
    assert_eq!(got, dump_ports(&ovs, "br0"));
    let one = get_json(&api, "/stats/port/1/2");
    assert_eq!(one["1"].as_array().unwrap().len(), 1);
    assert_eq!(one["1"][0]["port_no"], 2);
    let descs = get_json(&api, "/stats/portdesc/1");
    let mut names: Vec<(String, String)> = descs["1"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["hw_addr"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    names.sort();
    assert_eq!(names[0], ("br0".to_owned(), "02:00:00:00:00:01".to_owned()));
    assert_eq!(names[1].0, "p1");

    // Delete strictly, then clear: the switch follows.
    let del = r#"{"dpid": 1, "priority": 100,
        "match": {"in_port": 3, "dl_type": 2048, "nw_dst": "10.0.0.0/24", "nw_proto": 17, "tp_dst": 53}}"#;
    assert_eq!(
        http(&api, "POST", "/stats/flowentry/delete_strict", Some(del)).0,
        200
    );
    wait(
        5 * SECOND,
        "the flow deleted",
        || ctl.context(Some(&ovs)),
        || (!dump_flows(&ovs, "br0").iter().any(|f| f.priority == 100)).then_some(()),
    );
    assert_eq!(
        http(&api, "DELETE", "/stats/flowentry/clear/1", None).0,
        200
    );
    wait(
        5 * SECOND,
        "every flow deleted",
        || ctl.context(Some(&ovs)),
        || dump_flows(&ovs, "br0").is_empty().then_some(()),
    );

    // A group over REST: in the switch as ovs-ofctl dump-groups shows it.
    let group = r#"{"dpid": 1, "type": "ALL", "group_id": 5, "buckets": [
        {"actions": [{"type": "OUTPUT", "port": 1}]}, {"actions": [{"type": "OUTPUT", "port": 2}]}]}"#;
    let (status, body) = http(&api, "POST", "/stats/groupentry/add", Some(group));
    assert_eq!(status, 200, "{body}");
    wait(
        5 * SECOND,
        "the group in the switch",
        || ctl.context(Some(&ovs)),
        || {
            ovs.ofctl(&["dump-groups", "br0"])
                .contains("group_id=5,type=all,bucket=actions=output:1,bucket=actions=output:2")
                .then_some(())
        },
    );
    let desc = get_json(&api, "/stats/groupdesc/1");
    assert_eq!(
        desc["1"],
        serde_json::json!([{"group_id": 5, "type": "ALL", "buckets": [
            {"weight": 0, "watch_port": 0xffff_ffff_u32, "watch_group": 0xffff_ffff_u32, "actions": ["OUTPUT:1"]},
            {"weight": 0, "watch_port": 0xffff_ffff_u32, "watch_group": 0xffff_ffff_u32, "actions": ["OUTPUT:2"]}]}])
    );
    let gs = get_json(&api, "/stats/group/1/5");
    assert_eq!(gs["1"][0]["group_id"], 5, "{gs}");
    assert_eq!(
        gs["1"][0]["bucket_stats"].as_array().unwrap().len(),
        2,
        "{gs}"
    );
    let del = r#"{"dpid": 1, "group_id": 5}"#;
    assert_eq!(
        http(&api, "POST", "/stats/groupentry/delete", Some(del)).0,
        200
    );
    wait(
        5 * SECOND,
        "the group deleted",
        || ctl.context(Some(&ovs)),
        || (!ovs.ofctl(&["dump-groups", "br0"]).contains("group_id=5")).then_some(()),
    );

    // Mistakes, as Ryu answers them.
    assert_eq!(http(&api, "GET", "/stats/desc/2", None).0, 404);
    assert_eq!(http(&api, "GET", "/stats/desc/x1", None).0, 400);
    let (status, body) = http(
        &api,
        "POST",
        "/stats/flowentry/add",
        Some(r#"{"dpid": 1, "match": {"in_prt": 1}}"#),
    );
    assert_eq!(status, 400);
    assert!(body.contains("in_prt"), "{body}");
    assert_eq!(http(&api, "POST", "/stats/flowentry/add", Some("{")).0, 400);
}

/// The actions of a REST flow as ovs-ofctl prints them (the few this test meets).
fn ovs_actions(f: &serde_json::Value) -> String {
    f["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let a = a.as_str().unwrap();
            if let Some(p) = a.strip_prefix("OUTPUT:") {
                match p {
                    "CONTROLLER" => "CONTROLLER:65535".to_owned(),
                    p => format!("output:{p}"),
                }
            } else if let Some(sf) = a.strip_prefix("SET_FIELD: {eth_dst:") {
                format!("set_field:{}->eth_dst", sf.trim_end_matches('}'))
            } else {
                a.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

// ------------------------------------------------------------------ TLS

/// `ovs-pki` in the OVS directory: a switch CA and a controller CA, the controller's and the
/// switch's certificates (`ctl-*.pem`, `sc-*.pem`) under `prefix`.
fn pki(ovs: &Ovs, prefix: &str) -> std::path::PathBuf {
    let dir = ovs.dir().join(prefix);
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| {
        let mut pki = Command::new("ovs-pki");
        pki.arg(format!("--dir={}", dir.join("pki").display()))
            .args(args)
            .current_dir(&dir);
        sdnwire_testkit::output(&mut pki, &format!("ovs-pki {args:?}"));
    };
    run(&["init", "--force"]);
    run(&["req+sign", "ctl", "controller", "--force"]);
    run(&["req+sign", "sc", "switch", "--force"]);
    dir
}

/// Open vSwitch connects with `ssl:` and `ovs-pki` certificates; a switch whose certificate
/// another CA signed is refused.
#[test]
fn tls_with_ovs_pki_certificates() {
    if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::Tool("ovs-pki")]) {
        return;
    }
    let Some(ovs) = Ovs::start("ctl-tls") else {
        return;
    };
    let good = pki(&ovs, "good");
    let other = pki(&ovs, "other");
    let p = |d: &std::path::Path, f: &str| d.join(f).display().to_string();
    let ctl = start(&[
        "--app",
        "simple_switch_13",
        "--ctl-privkey",
        &p(&good, "ctl-privkey.pem"),
        "--ctl-cert",
        &p(&good, "ctl-cert.pem"),
        "--ca-certs",
        &p(&good, "pki/switchca/cacert.pem"),
    ]);
    // The switch's certificate from the good PKI; it trusts the good controller CA.
    ovs.vsctl(&[
        "set-ssl",
        &p(&good, "sc-privkey.pem"),
        &p(&good, "sc-cert.pem"),
        &p(&good, "pki/controllerca/cacert.pem"),
    ]);
    let from = ctl.log().len();
    ovs.add_bridge("br0", 1, 3, Some(&format!("ssl:127.0.0.1:{}", ctl.port())));
    ctl.wait_log(
        from,
        10 * SECOND,
        Some(&ovs),
        "[dpid 0000000000000001] state CONFIG -> MAIN",
    );
    assert!(
        ctl.log().iter().any(|l| l.contains("(TLS)] connected")),
        "{}",
        ctl.context(Some(&ovs))
    );
    wait_table_miss(&ovs, &ctl, "br0");
    ping(&ovs, &ctl, "br0");
    assert_eq!(
        dump_flows(&ovs, "br0").len(),
        3,
        "{}",
        ctl.context(Some(&ovs))
    );

    // A switch certificate of another CA: the handshake fails, the switch never gets in.
    ovs.vsctl(&["del-controller", "br0"]);
    ovs.vsctl(&[
        "set-ssl",
        &p(&other, "sc-privkey.pem"),
        &p(&other, "sc-cert.pem"),
        &p(&good, "pki/controllerca/cacert.pem"),
    ]);
    let from = ctl.log().len();
    ovs.set_controller("br0", &format!("ssl:127.0.0.1:{}", ctl.port()));
    ctl.wait_log(from, 10 * SECOND, Some(&ovs), "TLS handshake failed");
    std::thread::sleep(SECOND);
    assert!(
        !ctl.log()[from..]
            .iter()
            .any(|l| l.contains("state CONFIG -> MAIN")),
        "{}",
        ctl.context(Some(&ovs))
    );
}

// ------------------------------------------------------------------ two controllers

fn free_udp() -> String {
    let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    s.local_addr().unwrap().to_string()
}

/// Two managers with roles on one bridge: the master gets the PACKET_INs; killed, the standby
/// claims master with a higher generation id after the lease, and the switch keeps
/// forwarding (through it) and reporting.
#[test]
fn two_controllers_with_roles_take_over() {
    let Some(ovs) = Ovs::start("ctl-roles") else {
        return;
    };
    let (ha_a, ha_b) = (free_udp(), free_udp());
    let common = [
        "--app",
        "simple_switch_13,simple_monitor_13",
        "--monitor-interval",
        "0.5",
        "--ha-lease",
        "1",
    ];
    let mut a = start(
        &[
            &common[..],
            &["--role", "master", "--ha-listen", &ha_a, "--ha-peer", &ha_b],
        ]
        .concat(),
    );
    let b = start(
        &[
            &common[..],
            &["--role", "slave", "--ha-listen", &ha_b, "--ha-peer", &ha_a],
        ]
        .concat(),
    );
    ovs.add_bridge("br0", 1, 3, None);
    ovs.vsctl(&["set-controller", "br0", &a.target(), &b.target()]);
    a.wait_log(
        0,
        10 * SECOND,
        Some(&ovs),
        "[dpid 0000000000000001] role MASTER (generation 1)",
    );
    b.wait_log(
        0,
        10 * SECOND,
        Some(&ovs),
        "[dpid 0000000000000001] role SLAVE (generation 1)",
    );
    wait_table_miss(&ovs, &a, "br0");
    // The ping: through the master only.
    ping(&ovs, &a, "br0");
    let packet_ins = |c: &Controller| c.log().iter().filter(|l| l.contains("packet in")).count();
    wait(
        5 * SECOND,
        "the master's three PACKET_INs in its log",
        || a.context(Some(&ovs)),
        || (packet_ins(&a) == 3).then_some(()),
    );
    assert_eq!(packet_ins(&b), 0, "{}", b.context(Some(&ovs)));

    // The master dies: the standby claims master after the lease.
    a.child().kill().unwrap();
    a.child().wait().unwrap();
    let from = b.log().len();
    b.wait_log(
        from,
        10 * SECOND,
        Some(&ovs),
        "claiming master (generation 2)",
    );
    b.wait_log(
        from,
        10 * SECOND,
        Some(&ovs),
        "[dpid 0000000000000001] role MASTER (generation 2)",
    );
    // Forwarding goes on through it: a frame from a new host on port 3, to everyone, flooded
    // by the new master (port 1 records what it sends since the ping).
    let pcap1 = ovs.dir().join(format!("{}.pcap", ovs.port_name("br0", 1)));
    let before = read_pcap(&pcap1).len();
    let log_before = b.log().len();
    let mut frame = ARP_REPLY.to_vec();
    frame[6..12].copy_from_slice(&[0, 0, 0, 0, 0, 3]);
    frame[0..6].copy_from_slice(&[0xff; 6]);
    ovs.inject(&ovs.port_name("br0", 3), &frame);
    wait(
        5 * SECOND,
        "the frame flooded by the new master",
        || {
            format!(
                "{}\n{}",
                ovs.ofctl(&["dump-ports", "br0"]),
                b.context(Some(&ovs))
            )
        },
        || (read_pcap(&pcap1).len() == before + 1).then_some(()),
    );
    // The new master's log line for it (read by the test's reader thread, which may lag the
    // frame on the wire).
    b.wait_log(log_before, 5 * SECOND, Some(&ovs), "packet in");
    // And reporting: the monitor's rounds on the new master go on.
    let from = b.out().len();
    wait(
        5 * SECOND,
        "a monitor round",
        || b.context(Some(&ovs)),
        || {
            tables(&b.out()[from..])
                .iter()
                .any(|t| !t.flows)
                .then_some(())
        },
    );
}
