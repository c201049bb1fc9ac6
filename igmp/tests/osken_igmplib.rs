//! Differential test against Ryu's igmplib itself: os-ken's `os_ken/lib/igmplib.py`
//! (`IgmpSnooper`, `IgmpQuerier`) runs in `osken_igmplib.py` with fake datapaths that record
//! what it sends, on virtual time (its threads are greenlets, `hub.sleep` advances a virtual
//! clock); the same network and the same host frames go into our [`Snooper`] with
//! [`Config::ryu_igmplib`] and our [`Querier`] with [`Config::ryu_igmplib_querier`], and both
//! logs are compared, message for message:
//!
//! - every frame each switch sends (PACKET_OUT): when, out of which ports, and what it is
//!   (IGMP type, Max Resp Time, group, IPv4 source and destination, Ethernet source; the
//!   whole bytes for the reports and leaves passed on). Queries are compared by those fields:
//!   ours carry the Router Alert option and TOS 0xc0 (RFC 2236), igmplib's do not;
//! - the group flows each switch ends up with after every instant (igmplib's FLOW_MODs from the
//!   upstream port: the server port on the querier, the querier's port on a snooper; ours
//!   what the Ryu book's application makes of our events);
//! - the snooper's group events, as the member ports they announce.
//!
//! Two networks: the Ryu book's two-switch example (`simple_switch_igmp_13.py`: switch 1 the
//! querier, the multicast server behind its port 2, switch 2 snooping behind its port 4) and a
//! snooper behind a real router (queries from an address, group-specific queries).
//!
//! What igmplib does that the comparison leaves out (stated, not compared): a report before
//! any query gives it a "group added" event with no ports (ours names the port); a leave from a
//! port that is not a member makes it add the port and remove it again a second later; IGMPv3
//! reports it floods without reading them (ours reads them).

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod support;

use core::net::Ipv4Addr;
use core::time::Duration;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use sdnwire_igmp::{Config, Egress, Event, Instant, Snooper, VlanId};
use sdnwire_packet::igmp::IgmpType;
use sdnwire_packet::{Ethernet, Igmp, Ipv4, MacAddr, Packet};
use sdnwire_testkit::{require, Peer};
use serde_json::{json, Value};
use support::*;

const U: VlanId = VlanId::UNTAGGED;

/// One switch of the network.
struct Switch {
    dpid: u64,
    /// The querier (server port) or a snooper.
    server_port: Option<u32>,
    mac: MacAddr,
    ports: Vec<u32>,
}

/// A host frame into a switch port at a time.
struct Step {
    t: f64,
    dpid: u64,
    port: u32,
    frame: Vec<u8>,
}

struct Network {
    switches: Vec<Switch>,
    links: Vec<(u64, u32, u64, u32)>,
    steps: Vec<Step>,
    end: f64,
}

/// A group table (group → ports) after each instant it changed (time in ms).
type States = Vec<(u64, BTreeMap<Ipv4Addr, Vec<u32>>)>;

/// What a switch did, as both sides are reduced to.
#[derive(Debug, Default, PartialEq)]
struct Log {
    /// (dpid, time in ms) → the frames sent then, sorted.
    out: BTreeMap<(u64, u64), Vec<String>>,
    /// dpid → the group flow table after each instant it changed.
    flows: BTreeMap<u64, States>,
    /// dpid → the groups and member ports announced, after each instant they changed.
    members: BTreeMap<u64, States>,
}

fn ms(t: f64) -> u64 {
    Duration::from_secs_f64(t).as_millis().try_into().unwrap()
}

/// What a frame is, for the comparison.
fn describe(frame: &[u8]) -> String {
    let pkt = Packet::parse(frame).unwrap();
    let eth = pkt.get::<Ethernet>().unwrap();
    let ip = pkt.get::<Ipv4>().unwrap();
    match pkt.get::<Igmp>().unwrap() {
        Igmp::V2(m) if m.msgtype == IgmpType::QUERY => format!(
            "query maxresp={} group={} ip {} > {} eth {}",
            m.maxresp, m.address, ip.src, ip.dst, eth.src
        ),
        Igmp::V2(m) => format!(
            "type {:#x} group={} bytes {}",
            m.msgtype.0,
            m.address,
            sdnwire_testkit::hex(frame)
        ),
        other => format!("{other:?}"),
    }
}

/// Records a state change at time `t` (several changes in one instant count once).
fn push_state(seq: &mut States, t: u64, state: BTreeMap<Ipv4Addr, Vec<u32>>) {
    match seq.last_mut() {
        Some((lt, s)) if *lt == t => *s = state,
        _ => seq.push((t, state)),
    }
    // An instant that changed nothing in the end is not a change.
    let n = seq.len();
    if n >= 2 && seq[n - 1].1 == seq[n - 2].1 {
        seq.pop();
    }
}

// ------------------------------------------------------------------ os-ken

fn run_osken(net: &Network) -> Log {
    let spec = json!({
        "switches": net.switches.iter().map(|s| json!({
            "dpid": s.dpid,
            "querier": s.server_port.is_some(),
            "server_port": s.server_port,
            "mac": s.mac.to_string(),
            "ports": s.ports,
        })).collect::<Vec<_>>(),
        "links": net.links.iter().map(|l| json!([l.0, l.1, l.2, l.3])).collect::<Vec<_>>(),
        "steps": net.steps.iter().map(|s| json!({
            "t": s.t, "dpid": s.dpid, "port": s.port, "frame": sdnwire_testkit::hex(&s.frame),
        })).collect::<Vec<_>>(),
        "end": net.end,
    });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/osken_igmplib.py");
    let mut child = Command::new(sdnwire_testkit::osken::python())
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(spec.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "osken_igmplib.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut log = Log::default();
    let mut flows: BTreeMap<u64, BTreeMap<Ipv4Addr, Vec<u32>>> = BTreeMap::new();
    let mut members: BTreeMap<u64, BTreeMap<Ipv4Addr, Vec<u32>>> = BTreeMap::new();
    for r in records {
        let t = ms(r["t"].as_f64().unwrap());
        let dpid = r["dpid"].as_u64().unwrap();
        let ports = |v: &Value| -> Vec<u32> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|p| u32::try_from(p.as_u64().unwrap()).unwrap())
                .collect()
        };
        match r["kind"].as_str().unwrap() {
            "out" => {
                let frame = hex_bytes(r["frame"].as_str().unwrap());
                let line = format!("to {:?}: {}", ports(&r["ports"]), describe(&frame));
                log.out.entry((dpid, t)).or_default().push(line);
            }
            "flow" => {
                let group: Ipv4Addr = r["group"].as_str().unwrap().parse().unwrap();
                let table = flows.entry(dpid).or_default();
                if r["ports"].is_null() {
                    table.remove(&group);
                } else {
                    table.insert(group, ports(&r["ports"]));
                }
                let state = table.clone();
                push_state(log.flows.entry(dpid).or_default(), t, state);
            }
            "event" => {
                let group: Ipv4Addr = r["group"].as_str().unwrap().parse().unwrap();
                let table = members.entry(dpid).or_default();
                match r["reason"].as_str().unwrap() {
                    "removed" => {
                        table.remove(&group);
                    }
                    _ => {
                        table.insert(group, ports(&r["ports"]));
                    }
                }
                let state = table.clone();
                push_state(log.members.entry(dpid).or_default(), t, state);
            }
            other => panic!("unknown record {other}"),
        }
    }
    for v in log.out.values_mut() {
        v.sort();
    }
    log
}

fn hex_bytes(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

// ------------------------------------------------------------------ ours

struct Node {
    dpid: u64,
    sn: Snooper,
    server_port: Option<u32>,
    ports: Vec<u32>,
    /// The groups and their member ports, from the events.
    members: BTreeMap<Ipv4Addr, Vec<u32>>,
}

impl Node {
    /// The port group traffic comes in on (as the Ryu book's application picks it).
    fn upstream(&self) -> Option<u32> {
        self.server_port
            .or_else(|| self.sn.router_ports(U).first().copied())
    }
}

fn run_ours(net: &Network) -> Log {
    let t0 = Instant::ZERO;
    let mut nodes: Vec<Node> = net
        .switches
        .iter()
        .map(|s| {
            let config = match s.server_port {
                Some(p) => Config {
                    mac: s.mac,
                    ..Config::ryu_igmplib_querier(p)
                },
                None => Config {
                    mac: s.mac,
                    ..Config::ryu_igmplib()
                },
            };
            Node {
                dpid: s.dpid,
                sn: Snooper::new(config, t0),
                server_port: s.server_port,
                ports: s.ports.clone(),
                members: BTreeMap::new(),
            }
        })
        .collect();
    let mut log = Log::default();
    let mut buf = Vec::new();
    let at = |t: f64| t0 + Duration::from_secs_f64(t);
    // Drains every node, delivering frames over the links, until nothing moves.
    let settle = |nodes: &mut Vec<Node>, now: Instant, log: &mut Log, buf: &mut Vec<u8>| {
        let t = u64::try_from((now - t0).as_millis()).unwrap();
        let mut queue: Vec<(u64, u32, Vec<u8>)> = Vec::new();
        loop {
            for n in nodes.iter_mut() {
                while let Some(tx) = n.sn.poll_transmit(buf) {
                    let ports: Vec<u32> = match tx.egress {
                        Egress::Flood { except } => n
                            .ports
                            .iter()
                            .copied()
                            .filter(|&p| Some(p) != except)
                            .collect(),
                        Egress::Port(p) => vec![p],
                        Egress::RouterPorts { except } => {
                            n.sn.router_ports(tx.vlan)
                                .iter()
                                .copied()
                                .filter(|&p| Some(p) != except)
                                .collect()
                        }
                        other => panic!("{other}"),
                    };
                    if ports.is_empty() {
                        continue;
                    }
                    let line = format!("to {ports:?}: {}", describe(buf));
                    log.out.entry((n.dpid, t)).or_default().push(line);
                    for p in ports {
                        for &(a, pa, b, pb) in &net.links {
                            if (a, pa) == (n.dpid, p) {
                                queue.push((b, pb, buf.clone()));
                            } else if (b, pb) == (n.dpid, p) {
                                queue.push((a, pa, buf.clone()));
                            }
                        }
                    }
                }
                let mut changed = false;
                while let Some(ev) = n.sn.poll_event() {
                    match ev {
                        Event::GroupAdded { group, ports, .. }
                        | Event::MemberChanged { group, ports, .. } => {
                            n.members.insert(group, ports);
                            changed = true;
                        }
                        Event::GroupRemoved { group, .. } => {
                            n.members.remove(&group);
                            changed = true;
                        }
                        Event::Resync => panic!("no overflow here"),
                        _ => {}
                    }
                }
                if changed {
                    if n.upstream().is_some() {
                        push_state(log.flows.entry(n.dpid).or_default(), t, n.members.clone());
                    }
                    if n.server_port.is_none() {
                        push_state(log.members.entry(n.dpid).or_default(), t, n.members.clone());
                    }
                }
            }
            if queue.is_empty() {
                break;
            }
            for (dpid, port, frame) in queue.drain(..) {
                let n = nodes.iter_mut().find(|n| n.dpid == dpid).unwrap();
                n.sn.handle_frame(now, port, None, &frame).unwrap();
            }
        }
    };
    let run_until = |nodes: &mut Vec<Node>, end: Instant, log: &mut Log, buf: &mut Vec<u8>| loop {
        let next = nodes
            .iter()
            .filter_map(|n| n.sn.poll_timeout())
            .filter(|&t| t <= end)
            .min();
        let Some(t) = next else { break };
        for n in nodes.iter_mut() {
            n.sn.handle_timeout(t);
        }
        settle(nodes, t, log, buf);
    };
    settle(&mut nodes, t0, &mut log, &mut buf);
    for s in &net.steps {
        let now = at(s.t);
        run_until(&mut nodes, now, &mut log, &mut buf);
        let n = nodes.iter_mut().find(|n| n.dpid == s.dpid).unwrap();
        n.sn.handle_frame(now, s.port, None, &s.frame).unwrap();
        settle(&mut nodes, now, &mut log, &mut buf);
    }
    run_until(&mut nodes, at(net.end), &mut log, &mut buf);
    for v in log.out.values_mut() {
        v.sort();
    }
    log
}

// ------------------------------------------------------------------ the comparison

fn compare(name: &str, net: &Network) {
    let theirs = run_osken(net);
    let ours = run_ours(net);
    let mut diffs = Vec::new();
    let keys: std::collections::BTreeSet<_> =
        theirs.out.keys().chain(ours.out.keys()).copied().collect();
    for k in &keys {
        let (a, b) = (theirs.out.get(k), ours.out.get(k));
        if a != b {
            diffs.push(format!(
                "switch {} at {:.3} s sent:\n  igmplib: {a:#?}\n  ours: {b:#?}",
                k.0,
                k.1 as f64 / 1000.0
            ));
        }
    }
    if theirs.flows != ours.flows {
        diffs.push(format!(
            "flows:\n  igmplib: {:?}\n  ours: {:?}",
            theirs.flows, ours.flows
        ));
    }
    if theirs.members != ours.members {
        diffs.push(format!(
            "events:\n  igmplib: {:?}\n  ours: {:?}",
            theirs.members, ours.members
        ));
    }
    let frames: usize = theirs.out.values().map(Vec::len).sum();
    eprintln!(
        "osken_igmplib {name}: {frames} frames, {} flow states, {} event states compared",
        theirs.flows.values().map(Vec::len).sum::<usize>(),
        theirs.members.values().map(Vec::len).sum::<usize>()
    );
    assert!(frames > 0, "igmplib sent nothing");
    assert!(
        diffs.is_empty(),
        "{name}: ours differs from Ryu's igmplib:\n{}",
        diffs.join("\n")
    );
}

fn mac(last: u8, sw: u8) -> MacAddr {
    MacAddr::new(0x02, 0, 0, 0, sw, last)
}

fn g1() -> Ipv4Addr {
    ip("225.0.0.1")
}

fn g2() -> Ipv4Addr {
    ip("225.0.0.2")
}

fn step(t: f64, dpid: u64, port: u32, frame: Vec<u8>) -> Step {
    Step {
        t,
        dpid,
        port,
        frame,
    }
}

#[test]
fn ryu_book_two_switches() {
    if !require(&[Peer::Python(&["os_ken.lib.igmplib", "greenlet"])]) {
        return;
    }
    // `simple_switch_igmp_13.py`: switch 1 the querier (`set_querier_mode(dpid=1,
    // server_port=2)`), switch 2 snooping; the switches' ports 4 linked; hosts on ports 1-3.
    let h = |n: u8| ip(&format!("172.16.0.{n}"));
    let net = Network {
        switches: vec![
            Switch {
                dpid: 1,
                server_port: Some(2),
                mac: mac(0xfe, 1),
                ports: vec![1, 2, 3, 4],
            },
            Switch {
                dpid: 2,
                server_port: None,
                mac: mac(0xfe, 2),
                ports: vec![1, 2, 3, 4],
            },
        ],
        links: vec![(1, 4, 2, 4)],
        steps: vec![
            // Joins after the querier's first query (t = 0).
            step(1.0, 2, 1, v2_report(h(21), g1())),
            step(2.0, 2, 3, v2_report(h(23), g1())),
            step(3.0, 2, 2, v2_report(h(22), g2())),
            step(4.0, 1, 1, v2_report(h(11), g1())),
            // The query at 60 s: answers (the second one for G1 on switch 2 is not passed on).
            step(61.0, 2, 1, v2_report(h(21), g1())),
            step(61.5, 1, 1, v2_report(h(11), g1())),
            step(62.0, 2, 2, v2_report(h(22), g2())),
            step(63.0, 2, 3, v2_report(h(23), g1())),
            // Leaves: a member remains, then the last member goes (its leave reaches the
            // querier), then the querier's own host leaves.
            step(65.0, 2, 1, v2_leave(h(21), g1())),
            step(80.0, 2, 3, v2_leave(h(23), g1())),
            step(90.0, 1, 1, v2_leave(h(11), g1())),
            // The query at 120 s: nobody answers for G2.
        ],
        end: 140.0,
    };
    compare("ryu_book_two_switches", &net);
}

#[test]
fn snooper_behind_a_router() {
    if !require(&[Peer::Python(&["os_ken.lib.igmplib", "greenlet"])]) {
        return;
    }
    let r = ip("192.168.0.254"); // the router's queries come in on port 4 (host_mac(254))
    let h = |n: u8| ip(&format!("192.168.0.{n}"));
    let g9 = ip("225.0.0.9");
    let net = Network {
        switches: vec![Switch {
            dpid: 2,
            server_port: None,
            mac: mac(0xfe, 2),
            ports: vec![1, 2, 3, 4],
        }],
        links: vec![],
        steps: vec![
            // Before any query: a leave is ignored.
            step(0.2, 2, 1, v2_leave(h(1), g9)),
            step(1.0, 2, 4, v2_query(r, None, 10)),
            step(2.0, 2, 1, v2_report(h(1), g1())),
            step(3.0, 2, 2, v2_report(h(2), g1())),
            step(4.0, 2, 3, v2_report(h(3), g2())),
            // A member remains: Q(G) from the router's address, the port gone 1 s later.
            step(5.0, 2, 2, v2_leave(h(2), g1())),
            // The query is answered: the port stays.
            step(20.0, 2, 1, v2_leave(h(1), g1())),
            step(20.5, 2, 1, v2_report(h(5), g1())),
            // The router's group-specific query for G2 goes unanswered.
            step(30.0, 2, 4, v2_query(r, Some(g2()), 1)),
            // A general query, an answer, then the last member leaves: the leave goes on.
            step(40.0, 2, 4, v2_query(r, None, 10)),
            step(42.0, 2, 1, v2_report(h(1), g1())),
            step(45.0, 2, 1, v2_leave(h(1), g1())),
        ],
        end: 60.0,
    };
    compare("snooper_behind_a_router", &net);
}
