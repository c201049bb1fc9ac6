//! The switching hub's scenario pieces: a bridge pointed at the controller, the captured ping
//! (h1 on port 1, h2 on port 2) injected frame by frame, and what `ovs-ofctl` and the traffic
//! monitor read back.

use std::path::PathBuf;

use super::{Controller, SECOND};
use crate::ovs::Ovs;
use crate::pcap::read_file as read_pcap;
use crate::wait;

/// The captured ping (a ping between two Linux hosts): h1's ARP request.
pub const ARP_REQUEST: &[u8] = include_bytes!("../../../packet/testdata/ping_arp_request.bin");
/// h2's ARP reply.
pub const ARP_REPLY: &[u8] = include_bytes!("../../../packet/testdata/ping_arp_reply.bin");
/// h1's ICMP echo request.
pub const ECHO_REQUEST: &[u8] = include_bytes!("../../../packet/testdata/ping_echo_request.bin");
/// h2's ICMP echo reply.
pub const ECHO_REPLY: &[u8] = include_bytes!("../../../packet/testdata/ping_echo_reply.bin");
/// h1's MAC address.
pub const H1: &str = "00:00:00:00:00:01";
/// h2's MAC address.
pub const H2: &str = "00:00:00:00:00:02";

// ------------------------------------------------------------------ pcap, ovs-ofctl output

/// A flow of `dump-flows`: the match and actions as printed, and the counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpedFlow {
    /// Its priority.
    pub priority: u16,
    /// The match and actions, without the priority.
    pub rule: String,
    /// `n_packets`.
    pub packets: u64,
    /// `n_bytes`.
    pub bytes: u64,
}

/// The value of `name=` in a line of ovs-ofctl's output.
pub fn field<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    s.split([',', ' '])
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}

/// Parses `ovs-ofctl -O OpenFlow13 --no-names dump-flows`: `rule` is the match and actions
/// without the priority (`in_port=1,dl_dst=.. actions=output:2`).
pub fn dump_flows(ovs: &Ovs, br: &str) -> Vec<DumpedFlow> {
    ovs.ofctl(&["dump-flows", br])
        .lines()
        .filter(|l| l.contains("cookie="))
        .map(|l| {
            let l = l.trim();
            let rule_start = l.find("priority=").unwrap();
            let rule = &l[rule_start..];
            let (prio, rest) = rule.split_once([',', ' ']).unwrap();
            DumpedFlow {
                priority: prio["priority=".len()..].parse().unwrap(),
                rule: rest.to_owned(),
                packets: field(l, "n_packets").unwrap().parse().unwrap(),
                bytes: field(l, "n_bytes").unwrap().parse().unwrap(),
            }
        })
        .collect()
}

/// One port of `dump-ports`, as the monitor's port table shows it: port number in hex, then
/// rx-pkts, rx-bytes, rx-error, tx-pkts, tx-bytes, tx-error (`?` when the switch keeps none).
pub fn dump_ports(ovs: &Ovs, br: &str) -> Vec<[String; 7]> {
    let text = ovs.ofctl(&["dump-ports", br]);
    let mut ports = Vec::new();
    let mut lines = text.lines().map(str::trim);
    while let Some(l) = lines.next() {
        let Some(rest) = l.strip_prefix("port ") else {
            continue;
        };
        let (name, rx) = rest.split_once(':').unwrap();
        let no = match name.trim() {
            "LOCAL" => "fffffffe".to_owned(),
            n => format!("{:x}", n.parse::<u32>().unwrap()),
        };
        let tx = lines.next().unwrap();
        let get = |s: &str, k: &str| field(s, k).unwrap().to_owned();
        ports.push([
            no,
            get(rx, "pkts"),
            get(rx, "bytes"),
            get(rx, "errs"),
            get(tx, "pkts"),
            get(tx, "bytes"),
            get(tx, "errs"),
        ]);
    }
    ports.sort();
    ports
}

/// A table the monitor printed: which one, and its rows split into columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The flow table (`in-port` in its header); otherwise the port table.
    pub flows: bool,
    /// The rows, split into columns.
    pub rows: Vec<Vec<String>>,
}

/// The monitor's tables in its stdout lines.
pub fn tables(lines: &[String]) -> Vec<Table> {
    let mut v: Vec<Table> = Vec::new();
    for l in lines {
        if l.starts_with("datapath ") {
            v.push(Table {
                flows: l.contains("in-port"),
                rows: vec![],
            });
        } else if l.starts_with("----") {
        } else if let Some(t) = v.last_mut() {
            t.rows
                .push(l.split_whitespace().map(str::to_owned).collect());
        }
    }
    v
}

// ------------------------------------------------------------------ the setup of most tests

/// OVS with bridge `br` (datapath id `dpid`, ports 1..=3 named by `Ovs::add_bridge`) pointed at
/// `ctl`; returns once the controller logs MAIN for it.
pub fn bridge(ovs: &Ovs, ctl: &Controller, br: &str, dpid: u64) {
    let from = ctl.log().len();
    ovs.add_bridge(br, dpid, 3, Some(&ctl.target()));
    ctl.wait_log(
        from,
        10 * SECOND,
        Some(ovs),
        &format!("[dpid {dpid:016x}] state CONFIG -> MAIN"),
    );
}

/// Waits until the table-miss flow is in the switch.
pub fn wait_table_miss(ovs: &Ovs, ctl: &Controller, br: &str) {
    wait(
        5 * SECOND,
        "the table-miss flow",
        || ctl.context(Some(ovs)),
        || {
            dump_flows(ovs, br)
                .iter()
                .any(|f| f.priority == 0 && f.rule == "actions=CONTROLLER:65535")
                .then_some(())
        },
    );
}

/// The captured ping, h1 on port 1 and h2 on port 2: each frame is injected once the previous
/// one has come out where the switching hub sends it (so the controller has handled it).
/// Returns the pcap files of ports 1..=3.
pub fn ping(ovs: &Ovs, ctl: &Controller, br: &str) -> [PathBuf; 3] {
    let pcaps = [1, 2, 3].map(|n| ovs.tx_pcap(&ovs.port_name(br, n)));
    let steps: [(u32, &[u8], &[usize]); 4] = [
        (1, ARP_REQUEST, &[1, 2]), // flooded to p2, p3
        (2, ARP_REPLY, &[0]),
        (1, ECHO_REQUEST, &[1]),
        (2, ECHO_REPLY, &[0]), // by the flow the ARP reply installed
    ];
    for (port, frame, out) in steps {
        let before: Vec<usize> = pcaps.iter().map(|p| read_pcap(p).len()).collect();
        ovs.inject(&ovs.port_name(br, port), frame);
        for &o in out {
            wait(
                5 * SECOND,
                "the frame on its way out",
                || ctl.context(Some(ovs)),
                || (read_pcap(&pcaps[o]).len() > before[o]).then_some(()),
            );
        }
    }
    pcaps
}

/// The switching hub and a traffic monitor in one controller, over two switches at once: br0
/// (datapath 1) and br1 (datapath 2), ports 1..=3 each, pointed at `ctl`, the captured ping
/// run on each. Then, on each switch, the hub's flows are in the switch (the table-miss flow and
/// the two learned ones) and the monitor's figures are what ovs-ofctl reads
/// ([`monitor_agrees_with_switch`]).
pub fn hub_and_monitor_on_two_bridges(ovs: &Ovs, ctl: &Controller) {
    let bridges = [("br0", 1u64), ("br1", 2)];
    for (br, dpid) in bridges {
        bridge(ovs, ctl, br, dpid);
        wait_table_miss(ovs, ctl, br);
        ping(ovs, ctl, br);
    }
    for (br, dpid) in bridges {
        let mut flows = dump_flows(ovs, br);
        flows.sort_by(|a, b| a.rule.cmp(&b.rule));
        let rules: Vec<(u16, &str)> = flows
            .iter()
            .map(|f| (f.priority, f.rule.as_str()))
            .collect();
        assert_eq!(
            rules,
            [
                (0, "actions=CONTROLLER:65535"),
                (1, &*format!("in_port=1,dl_dst={H2} actions=output:2")),
                (1, &*format!("in_port=2,dl_dst={H1} actions=output:1")),
            ],
            "{br}: {}",
            ctl.context(Some(ovs))
        );
        monitor_agrees_with_switch(ovs, ctl, br, dpid);
    }
}

/// The traffic monitor's figures for `br` (datapath `dpid`) equal what ovs-ofctl reads from
/// the switch at the same moment. The switch must be quiet (after [`ping`]): reads it, waits
/// for a monitor round that starts later on the controller's stdout, reads it again; both
/// readings must be the same and equal the monitor's flow table (the two learned flows, ordered
/// by in-port then eth-dst as Ryu's simple_monitor_13 prints them) and port table (ports 1-3
/// and LOCAL). Returns the two tables.
pub fn monitor_agrees_with_switch(
    ovs: &Ovs,
    ctl: &Controller,
    br: &str,
    dpid: u64,
) -> (Table, Table) {
    let id = format!("{dpid:016x}");
    let before = (dump_flows(ovs, br), dump_ports(ovs, br));
    let from = ctl.out().len();
    let (flows, ports) = wait(
        5 * SECOND,
        "a monitor round",
        || ctl.context(Some(ovs)),
        || {
            let t = tables(&ctl.out()[from..]);
            let mine = |flows: bool| {
                t.iter()
                    .find(|t| t.flows == flows && t.rows.first().is_some_and(|r| r[0] == id))
                    .cloned()
            };
            Some((mine(true)?, mine(false)?))
        },
    );
    let after = (dump_flows(ovs, br), dump_ports(ovs, br));
    assert_eq!(before, after, "the switch was not quiet");

    // Flow table: datapath, in-port, eth-dst, out-port, packets, bytes.
    let mut expected: Vec<Vec<String>> = after
        .0
        .iter()
        .filter(|f| f.priority == 1)
        .map(|f| {
            let out = f.rule.split("actions=output:").nth(1).unwrap();
            vec![
                id.clone(),
                format!(
                    "{:x}",
                    field(&f.rule, "in_port").unwrap().parse::<u32>().unwrap()
                ),
                field(&f.rule, "dl_dst").unwrap().to_owned(),
                format!("{:x}", out.parse::<u32>().unwrap()),
                f.packets.to_string(),
                f.bytes.to_string(),
            ]
        })
        .collect();
    expected.sort_by(|a, b| (&a[1].len(), &a[1], &a[2]).cmp(&(&b[1].len(), &b[1], &b[2])));
    assert_eq!(flows.rows, expected, "{br}: flow table vs dump-flows");
    assert_eq!(flows.rows.len(), 2, "{br}: the two learned flows");

    // Port table: datapath, port, rx-pkts, rx-bytes, rx-error, tx-pkts, tx-bytes, tx-error.
    let mut got: Vec<Vec<String>> = ports.rows.iter().map(|r| r[1..].to_vec()).collect();
    got.sort();
    let expected: Vec<Vec<String>> = after.1.iter().map(|p| p.to_vec()).collect();
    assert_eq!(got, expected, "{br}: port table vs dump-ports");
    assert!(ports.rows.iter().all(|r| r[0] == id), "{br}: {ports:?}");
    assert_eq!(ports.rows.len(), 4, "{br}: ports 1-3 and LOCAL");
    (flows, ports)
}
