//! The traffic monitor of the Ryu book ("Traffic Monitor", `simple_monitor_13.py`), as Ryu
//! writes it: ONE application over every switch. It keeps the switches that reach MAIN (and
//! forgets those that die), and every interval (10 s in the book) asks each for its flow
//! statistics (every flow of every table) and its port statistics (every port). The replies
//! come back as futures ([`crate::Datapath::request`], multipart replies reassembled), awaited
//! in spawned work whose continuation prints them as the book's tables:
//!
//! ```text
//! datapath         in-port  eth-dst           out-port packets  bytes
//! ---------------- -------- ----------------- -------- -------- --------
//! 0000000000000001        1 00:00:00:00:00:02        2        0        0
//! 0000000000000001        2 00:00:00:00:00:01        1        1       98
//! datapath         port     rx-pkts  rx-bytes rx-error tx-pkts  tx-bytes tx-error
//! ---------------- -------- -------- -------- -------- -------- -------- --------
//! 0000000000000001        1        2      140        0        2      140        0
//! ```
//!
//! Like the book, the flow table lists the priority-1 flows (the switching hub's learned
//! flows) sorted by input port and destination, and the port table every port sorted by
//! number; port numbers are in hex (LOCAL is `fffffffe`). A counter the switch does not keep
//! (all ones on the wire: Open vSwitch's dummy ports have no error counters) is shown as `?`,
//! as `ovs-ofctl dump-ports` shows it, where the book's code would print 18446744073709551615.
//!
//! With `json` set, each reply is printed instead as one line of JSON: `{"datapath_id": 1,
//! "msg": {"OFPFlowStatsReply": {...}}}`, the message in the shape of os-ken's
//! `to_jsondict()` (the parts of a multipart reply merged into one).

use core::fmt::Write as _;
use core::time::Duration;
use std::collections::BTreeMap;

use sdnwire_openflow::action::Action;
use sdnwire_openflow::features::DatapathId;
use sdnwire_openflow::instruction::Instruction;
use sdnwire_openflow::multipart::{
    FlowStats, MultipartReply, MultipartReplyBody, MultipartRequest, PortStats,
};
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::{Body, Message, PortNo, TableId};

use crate::{App, Ctx, Datapath, Handlers, OfEvent, RequestError, State};

/// Requests of ours that may be outstanding at once per switch; a round is skipped for a
/// switch while this many still wait (one that does not answer would otherwise pile them up).
const MAX_PENDING: usize = 8;

/// The traffic monitor.
#[derive(Debug)]
pub struct SimpleMonitor13 {
    interval: Duration,
    json: bool,
    /// The switches in MAIN, and how many of our requests each has not answered yet.
    datapaths: BTreeMap<DatapathId, (Datapath, usize)>,
}

impl SimpleMonitor13 {
    /// A monitor that asks every `interval` (at least 10 ms); `json` prints os-ken-shaped
    /// JSON instead of the tables.
    pub fn new(interval: Duration, json: bool) -> Self {
        SimpleMonitor13 {
            interval: interval.max(Duration::from_millis(10)),
            json,
            datapaths: BTreeMap::new(),
        }
    }

    /// The switches it watches.
    pub fn datapaths(&self) -> impl Iterator<Item = DatapathId> + '_ {
        self.datapaths.keys().copied()
    }

    fn state_change(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        let dpid = ev.dpid();
        if ev.phase == State::Main {
            cx.log(format_args!("register datapath: {dpid}"));
            self.datapaths.insert(dpid, (ev.datapath.clone(), 0));
            // The first round at once, as the book's thread finds the new switch.
            self.request_stats(cx, dpid);
        } else if self
            .datapaths
            .get(&dpid)
            .is_some_and(|(dp, _)| *dp == ev.datapath)
        {
            cx.log(format_args!("unregister datapath: {dpid}"));
            self.datapaths.remove(&dpid);
        }
    }

    fn monitor(&mut self, cx: &mut Ctx<'_, Self>) {
        let ids: Vec<DatapathId> = self.datapaths.keys().copied().collect();
        for dpid in ids {
            self.request_stats(cx, dpid);
        }
        cx.after(self.interval, Self::monitor);
    }

    fn request_stats(&mut self, cx: &mut Ctx<'_, Self>, dpid: DatapathId) {
        let Some((dp, pending)) = self.datapaths.get_mut(&dpid) else {
            return;
        };
        if *pending >= MAX_PENDING {
            cx.warn(format_args!(
                "{dpid}: {pending} stats requests still unanswered: skipping this round"
            ));
            return;
        }
        cx.debug(format_args!("send stats request: {dpid}"));
        let flows = MultipartRequest::flow_stats(Match::new(), TableId::ALL);
        let ports = MultipartRequest::port_stats(PortNo::ANY);
        for req in [flows, ports] {
            match dp.request(Body::MultipartRequest(req)) {
                Ok(reply) => {
                    *pending += 1;
                    let dp = dp.clone();
                    cx.spawn(reply.merged(), move |app: &mut Self, cx, r| {
                        app.reply(cx, &dp, r);
                    });
                }
                Err(e) => cx.warn(format_args!("{dpid}: cannot request stats: {e}")),
            }
        }
    }

    fn reply(
        &mut self,
        cx: &mut Ctx<'_, Self>,
        dp: &Datapath,
        reply: Result<MultipartReplyBody, RequestError>,
    ) {
        let dpid = dp.id();
        if let Some((_, pending)) = self.datapaths.get_mut(&dpid) {
            *pending = pending.saturating_sub(1);
        }
        let body = match reply {
            Ok(b) => b,
            Err(RequestError::Disconnected) => return,
            Err(e) => {
                cx.warn(format_args!("{dpid}: {e}"));
                return;
            }
        };
        if self.json {
            let msg = Message::new(0, Body::MultipartReply(MultipartReply::new(body)));
            let line = serde_json::json!({ "datapath_id": dpid.0, "msg": msg.to_jsondict() });
            cx.report(&format!("{line}\n"));
            return;
        }
        match body {
            MultipartReplyBody::Flow(flows) => cx.report(&flow_table(dpid, &flows)),
            MultipartReplyBody::PortStats(ports) => cx.report(&port_table(dpid, &ports)),
            other => cx.warn(format_args!(
                "{dpid}: unexpected {} reply",
                other.multipart_type()
            )),
        }
    }
}

/// The flow table of the book: priority-1 flows with an `in_port` and an `eth_dst` match and
/// an output action first, sorted by (in_port, eth_dst).
pub fn flow_table(dpid: DatapathId, flows: &[FlowStats]) -> String {
    let mut rows: Vec<_> = flows
        .iter()
        .filter(|f| f.priority == 1)
        .filter_map(|f| {
            let in_port = f.match_.get_in_port()?;
            let eth_dst = f.match_.get_eth_dst()?;
            Some((in_port.0, eth_dst, first_output(f)?, f))
        })
        .collect();
    rows.sort_by_key(|r| (r.0, r.1 .0));
    let mut s = String::from(
        "datapath         in-port  eth-dst           out-port packets  bytes\n\
         ---------------- -------- ----------------- -------- -------- --------\n",
    );
    for (in_port, eth_dst, out_port, f) in rows {
        let _ = writeln!(
            s,
            "{:016x} {:8x} {:>17} {:8x} {:>8} {:>8}",
            dpid.0,
            in_port,
            eth_dst.to_string(),
            out_port.0,
            Count(f.packet_count),
            Count(f.byte_count)
        );
    }
    s
}

/// The port table of the book, sorted by port number.
pub fn port_table(dpid: DatapathId, ports: &[PortStats]) -> String {
    let mut ports: Vec<_> = ports.iter().collect();
    ports.sort_by_key(|p| p.port_no.0);
    let mut s = String::from(
        "datapath         port     rx-pkts  rx-bytes rx-error tx-pkts  tx-bytes tx-error\n\
         ---------------- -------- -------- -------- -------- -------- -------- --------\n",
    );
    for p in ports {
        let _ = writeln!(
            s,
            "{:016x} {:8x} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
            dpid.0,
            p.port_no.0,
            Count(p.rx_packets),
            Count(p.rx_bytes),
            Count(p.rx_errors),
            Count(p.tx_packets),
            Count(p.tx_bytes),
            Count(p.tx_errors)
        );
    }
    s
}

/// A counter: its value, or `?` when the switch does not keep it (all ones).
#[derive(Debug, Clone, Copy)]
struct Count(u64);

impl core::fmt::Display for Count {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.0 == u64::MAX {
            f.pad("?")
        } else {
            f.pad(&self.0.to_string())
        }
    }
}

/// The port of the first action of the first instruction, when that is an output (the book's
/// `stat.instructions[0].actions[0].port`).
fn first_output(f: &FlowStats) -> Option<PortNo> {
    match f.instructions.first()? {
        Instruction::ApplyActions(a) | Instruction::WriteActions(a) => match a.first()? {
            Action::Output { port, .. } => Some(*port),
            _ => None,
        },
        _ => None,
    }
}

impl App for SimpleMonitor13 {
    const NAME: &'static str = "simple_monitor_13";

    fn register(h: &mut Handlers<Self>) {
        h.on_state_change([State::Main, State::Dead], Self::state_change);
    }

    fn start(&mut self, cx: &mut Ctx<'_, Self>) {
        cx.after(self.interval, Self::monitor);
    }
}
