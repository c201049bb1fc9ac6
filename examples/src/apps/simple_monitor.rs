//! The traffic monitor of the Ryu book ("Traffic Monitor", `simple_monitor_13.py`).
//!
//! From the moment a switch is ready (MAIN), and then every interval (10 s in the book), it
//! sends the switch a FLOW_STATS request (every flow of every table) and a PORT_STATS request
//! (every port), and prints each reply as the book's tables:
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

use core::time::Duration;
use std::collections::BTreeMap;

use sdnwire_openflow::connection::{Event, Reply, State};
use sdnwire_openflow::multipart::{MultipartReply, MultipartReplyBody, MultipartRequest};
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::{Body, Message, PortNo, TableId};
use sdnwire_packet::time::Instant;

use crate::app::{App, Ctx};

/// Requests of ours that may be outstanding at once; a round is skipped while this many
/// still wait (a switch that does not answer would otherwise pile them up).
const MAX_PENDING: usize = 8;

/// The traffic monitor.
#[derive(Debug)]
pub struct SimpleMonitor {
    interval: Duration,
    json: bool,
    next: Option<Instant>,
    /// Our outstanding requests: xid → what was asked.
    pending: BTreeMap<u32, &'static str>,
}

impl SimpleMonitor {
    /// A monitor that asks every `interval`; `json` prints os-ken-shaped JSON instead of the
    /// tables.
    pub fn new(interval: Duration, json: bool) -> Self {
        SimpleMonitor {
            interval: interval.max(Duration::from_millis(10)),
            json,
            next: None,
            pending: BTreeMap::new(),
        }
    }

    fn request_stats(&mut self, cx: &mut Ctx<'_>) {
        if self.pending.len() >= MAX_PENDING {
            cx.log(format_args!(
                "{} stats requests still unanswered: skipping this round",
                self.pending.len()
            ));
            return;
        }
        let flows = MultipartRequest::flow_stats(Match::new(), TableId::ALL);
        if let Some(xid) = cx.request(Body::MultipartRequest(flows)) {
            self.pending.insert(xid, "flow stats");
        }
        let ports = MultipartRequest::port_stats(PortNo::ANY);
        if let Some(xid) = cx.request(Body::MultipartRequest(ports)) {
            self.pending.insert(xid, "port stats");
        }
    }

    fn reply(&mut self, cx: &mut Ctx<'_>, xid: u32, reply: &Reply) {
        let dpid = cx.datapath_id();
        let body = match reply.merged() {
            Ok(Some(body)) => body,
            Ok(None) => {
                cx.log(format_args!("unexpected reply to request {xid}: {reply:?}"));
                return;
            }
            Err(e) => {
                cx.log(format_args!("malformed reply to request {xid}: {e}"));
                return;
            }
        };
        if self.json {
            let msg = Message::new(xid, Body::MultipartReply(MultipartReply::new(body)));
            let line = serde_json::json!({ "datapath_id": dpid.0, "msg": msg.to_jsondict() });
            cx.report(format!("{line}\n"));
            return;
        }
        match body {
            MultipartReplyBody::Flow(flows) => cx.report(flow_table(dpid, &flows)),
            MultipartReplyBody::PortStats(ports) => cx.report(port_table(dpid, &ports)),
            other => cx.log(format_args!(
                "unexpected {} reply to request {xid}",
                other.multipart_type()
            )),
        }
    }
}

pub use sdnwire_controller::apps::simple_monitor_13::{flow_table, port_table};

impl App for SimpleMonitor {
    fn name(&self) -> &'static str {
        "simple_monitor"
    }

    fn on_event(&mut self, cx: &mut Ctx<'_>, event: &Event) {
        match event {
            Event::StateChanged { to, .. } => {
                if *to == State::Main {
                    cx.log(format_args!("register datapath: {}", cx.datapath_id()));
                    self.request_stats(cx);
                    self.next = Some(cx.now() + self.interval);
                } else if *to == State::Dead {
                    if self.next.is_some() {
                        cx.log(format_args!("unregister datapath: {}", cx.datapath_id()));
                    }
                    self.next = None;
                    self.pending.clear();
                }
            }
            Event::Reply { xid, reply, .. } if self.pending.contains_key(xid) => {
                self.pending.remove(xid);
                self.reply(cx, *xid, reply);
            }
            Event::RequestFailed { xid, error, .. } => {
                if let Some(what) = self.pending.remove(xid) {
                    cx.log(format_args!("{what} request refused: {error}"));
                }
            }
            Event::ReplyMalformed { xid, error, .. } => {
                if let Some(what) = self.pending.remove(xid) {
                    cx.log(format_args!("malformed {what} reply: {error}"));
                }
            }
            Event::Overflow(sdnwire_openflow::connection::Overflow::Reply {
                xid, limit, ..
            }) => {
                if let Some(what) = self.pending.remove(xid) {
                    cx.log(format_args!(
                        "{what} reply larger than {limit} bytes: dropped"
                    ));
                }
            }
            _ => {}
        }
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.next
    }

    fn handle_timeout(&mut self, cx: &mut Ctx<'_>) {
        let Some(next) = self.next else { return };
        let now = cx.now();
        if now < next {
            return;
        }
        self.request_stats(cx);
        // Keep the rhythm; after a long stall, start over from now.
        let after = next + self.interval;
        self.next = Some(if after > now {
            after
        } else {
            now + self.interval
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake::Harness;
    use sdnwire_openflow::action::Action;
    use sdnwire_openflow::instruction::Instruction;
    use sdnwire_openflow::multipart::FlowStats;
    use sdnwire_openflow::multipart::{MultipartRequestBody, PortStats};
    use sdnwire_packet::MacAddr;

    const SECOND: Duration = Duration::from_secs(1);

    /// The xids of a flow stats and a port stats request, in that order.
    fn stats_requests(sent: &[Message]) -> (u32, u32) {
        let kinds: Vec<_> = sent
            .iter()
            .map(|m| match &m.body {
                Body::MultipartRequest(r) => (m.xid, r.body.clone()),
                other => panic!("not a stats request: {other:?}"),
            })
            .collect();
        let [(fx, MultipartRequestBody::Flow(f)), (px, MultipartRequestBody::PortStats { port_no: p })] =
            kinds.as_slice()
        else {
            panic!("{kinds:?}")
        };
        assert_eq!(
            (f.table_id, f.out_port, &f.match_),
            (TableId::ALL, PortNo::ANY, &Match::new())
        );
        assert_eq!(*p, PortNo::ANY);
        (*fx, *px)
    }

    fn flows() -> Vec<FlowStats> {
        let h = |i| MacAddr([0, 0, 0, 0, 0, i]);
        let flow = |prio, in_port: u32, dst, out: u32, n, b| {
            let mut f = FlowStats::new(
                prio,
                Match::new().in_port(in_port).eth_dst(dst),
                vec![Instruction::apply_actions(vec![Action::output(out)])],
            );
            f.packet_count = n;
            f.byte_count = b;
            f
        };
        let mut miss = FlowStats::new(0, Match::new(), vec![]);
        miss.packet_count = 3;
        vec![flow(1, 2, h(1), 1, 1, 98), miss, flow(1, 1, h(2), 2, 0, 0)]
    }

    fn ports() -> Vec<PortStats> {
        let port = |no, n| PortStats {
            port_no: PortNo(no),
            rx_packets: n,
            rx_bytes: 70 * n,
            rx_errors: u64::MAX,
            tx_packets: n,
            tx_bytes: 70 * n,
            tx_errors: 0,
            ..PortStats::default()
        };
        vec![port(0xffff_fffe, 0), port(2, 2), port(1, 2)]
    }

    #[test]
    fn asks_on_main_then_every_interval() {
        let (mut h, sent) = Harness::main(Box::new(SimpleMonitor::new(10 * SECOND, false)));
        stats_requests(&sent);
        h.advance(9 * SECOND);
        assert_eq!(h.take_sent(), vec![]);
        h.advance(SECOND);
        stats_requests(&h.take_sent());
        h.advance(10 * SECOND);
        stats_requests(&h.take_sent());
    }

    #[test]
    fn prints_the_books_tables() {
        let (mut h, sent) = Harness::main(Box::new(SimpleMonitor::new(10 * SECOND, false)));
        let (fx, px) = stats_requests(&sent);
        let reply = |xid, body| Message::new(xid, Body::MultipartReply(MultipartReply::new(body)));
        h.deliver(reply(px, MultipartReplyBody::PortStats(ports())));
        h.deliver(reply(fx, MultipartReplyBody::Flow(flows())));
        assert_eq!(
            h.take_reports().concat(),
            "\
datapath         port     rx-pkts  rx-bytes rx-error tx-pkts  tx-bytes tx-error
---------------- -------- -------- -------- -------- -------- -------- --------
0000000000000001        1        2      140        ?        2      140        0
0000000000000001        2        2      140        ?        2      140        0
0000000000000001 fffffffe        0        0        ?        0        0        0
datapath         in-port  eth-dst           out-port packets  bytes
---------------- -------- ----------------- -------- -------- --------
0000000000000001        1 00:00:00:00:00:02        2        0        0
0000000000000001        2 00:00:00:00:00:01        1        1       98
"
        );
        // A reply to someone else's request is not ours to print.
        h.deliver(reply(9999, MultipartReplyBody::Flow(flows())));
        assert_eq!(h.take_reports(), Vec::<String>::new());
    }

    #[test]
    fn json_is_os_kens_shape() {
        let (mut h, sent) = Harness::main(Box::new(SimpleMonitor::new(10 * SECOND, true)));
        let (fx, px) = stats_requests(&sent);
        // A reply in two parts comes out as one.
        let mut a = flows();
        let b = a.split_off(1);
        h.deliver(Message::new(
            fx,
            Body::MultipartReply(MultipartReply::new(MultipartReplyBody::Flow(a)).with_more(true)),
        ));
        h.deliver(Message::new(
            fx,
            Body::MultipartReply(MultipartReply::new(MultipartReplyBody::Flow(b))),
        ));
        h.deliver(Message::new(
            px,
            Body::MultipartReply(MultipartReply::new(MultipartReplyBody::PortStats(ports()))),
        ));
        let reports = h.take_reports();
        assert_eq!(reports.len(), 2);
        let v: Vec<serde_json::Value> = reports
            .iter()
            .map(|r| {
                assert!(r.ends_with('\n') && r.matches('\n').count() == 1);
                serde_json::from_str(r).unwrap()
            })
            .collect();
        assert_eq!(v[0]["datapath_id"], 1);
        let body = &v[0]["msg"]["OFPFlowStatsReply"]["body"];
        assert_eq!(body.as_array().unwrap().len(), 3);
        assert_eq!(body[0]["OFPFlowStats"]["byte_count"], 98);
        let ports = &v[1]["msg"]["OFPPortStatsReply"]["body"];
        assert_eq!(ports[1]["OFPPortStats"]["port_no"], 2);
        assert_eq!(ports[0]["OFPPortStats"]["rx_errors"], u64::MAX);
    }
}
