//! The switching hub of the Ryu book ("Switching Hub", `simple_switch_13.py`).
//!
//! - When the switch is ready (MAIN), install the table-miss flow: priority 0, empty match,
//!   output to CONTROLLER with OFPCML_NO_BUFFER.
//! - On every PACKET_IN: learn the source MAC on the input port; if the destination is known,
//!   install a priority-1 flow `in_port, eth_dst → output:port` (with the switch's buffer id
//!   when the packet is buffered, and then nothing more), else flood; send the packet on with a
//!   PACKET_OUT carrying the data when the switch did not buffer it. LLDP is ignored.
//!
//! One instance serves one switch, so the MAC table is per datapath as in the book. The
//! PACKET_IN is read through its view, in the connection's receive buffer: nothing is copied
//! but the PACKET_OUT's data. The decision is `sdnwire-controller`'s
//! [`MacTable::packet_in`], which the framework's `simple_switch_13` makes too.

use sdnwire_controller::apps::simple_switch_13::MacTable;
use sdnwire_openflow::connection::{Event, State};
use sdnwire_openflow::packet_in::PacketInView;
use sdnwire_openflow::PortNo;
use sdnwire_packet::MacAddr;

use crate::app::{App, Ctx};

pub use sdnwire_controller::apps::simple_switch_13::MAX_MACS;

/// The switching hub: [`sdnwire_controller`]'s [`MacTable`] (the decision, shared with the
/// framework's `simple_switch_13`) on one connection.
///
/// The applications that add a protocol to it (the LACP and IGMP switches) hold one and hand
/// it the events they do not take: they do not copy it.
#[derive(Debug, Default)]
pub struct SimpleSwitch13 {
    table: MacTable,
}

impl SimpleSwitch13 {
    /// A switching hub that knows no address yet; its learned-MAC flows have cookie 0, as the
    /// book's.
    pub fn new() -> Self {
        Self::default()
    }

    /// A switching hub whose learned-MAC flows carry `cookie`, so that one cookie-masked
    /// DELETE removes them all (the LACP switch does on every port state change).
    pub fn with_cookie(cookie: u64) -> Self {
        SimpleSwitch13 {
            table: MacTable::with_cookie(cookie),
        }
    }

    /// The port `mac` was learned on.
    pub fn port_of(&self, mac: MacAddr) -> Option<PortNo> {
        self.table.port_of(mac)
    }

    /// Forgets every learned address (after the flows were deleted, say).
    pub fn forget(&mut self) {
        self.table.forget();
    }

    fn packet_in(&mut self, cx: &mut Ctx<'_>, msg: &PacketInView<'_>) {
        let mut logs = Vec::new();
        let fwd = self.table.packet_in(msg, &mut |a| logs.push(a.to_string()));
        for l in logs {
            cx.log(l);
        }
        let Some(fwd) = fwd else {
            return;
        };
        let dpid = cx.datapath_id();
        cx.log(format_args!(
            "packet in {dpid} {} {} {}",
            fwd.src, fwd.dst, fwd.in_port
        ));
        for body in fwd.into_bodies() {
            cx.send(body);
        }
    }
}

impl App for SimpleSwitch13 {
    fn name(&self) -> &'static str {
        "simple_switch_13"
    }

    fn on_event(&mut self, cx: &mut Ctx<'_>, event: &Event) {
        match event {
            Event::StateChanged {
                to: State::Main, ..
            } => {
                cx.add_table_miss_flow();
            }
            Event::Message(_) => {
                if let Some(msg) = cx.packet_in(event) {
                    self.packet_in(cx, &msg);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake::Harness;
    use sdnwire_openflow::action::Action;
    use sdnwire_openflow::flow_mod::FlowMod;
    use sdnwire_openflow::oxm::Match;
    use sdnwire_openflow::packet_in::PacketIn;
    use sdnwire_openflow::packet_out::PacketOut;
    use sdnwire_openflow::{Body, BufferId, Message, OFPCML_NO_BUFFER};

    const H1: MacAddr = MacAddr([0, 0, 0, 0, 0, 1]);
    const H2: MacAddr = MacAddr([0, 0, 0, 0, 0, 2]);
    const ARP_REQUEST: &[u8] = include_bytes!("../../../packet/testdata/ping_arp_request.bin");
    const ARP_REPLY: &[u8] = include_bytes!("../../../packet/testdata/ping_arp_reply.bin");
    const ECHO_REQUEST: &[u8] = include_bytes!("../../../packet/testdata/ping_echo_request.bin");

    fn bodies(msgs: Vec<Message>) -> Vec<Body> {
        msgs.into_iter().map(|m| m.body).collect()
    }

    fn packet_in(h: &mut Harness, port: u32, frame: &[u8]) -> Vec<Body> {
        h.deliver(Message::new(0, Body::PacketIn(PacketIn::new(port, frame))));
        bodies(h.take_sent())
    }

    #[test]
    fn table_miss_on_main() {
        let (_, sent) = Harness::main(Box::new(SimpleSwitch13::new()));
        let miss = FlowMod::add()
            .priority(0)
            .matching(Match::new())
            .apply_actions([Action::output_to_controller(OFPCML_NO_BUFFER)]);
        assert_eq!(bodies(sent), vec![Body::FlowMod(miss)]);
    }

    #[test]
    fn learns_floods_and_installs_flows() {
        let (mut h, _) = Harness::main(Box::new(SimpleSwitch13::new()));
        // h1's ARP request to everyone: h1 learned on 1, flooded, no flow.
        let flood = PacketOut::new(1u32)
            .action(Action::output(PortNo::FLOOD))
            .data(ARP_REQUEST);
        assert_eq!(
            packet_in(&mut h, 1, ARP_REQUEST),
            vec![Body::PacketOut(flood)]
        );
        // h2's reply to h1 (known on 1): flow in_port=2,eth_dst=h1 → 1, and the packet sent on.
        let flow = |in_port: u32, dst: MacAddr, out: u32| {
            Body::FlowMod(
                FlowMod::add()
                    .priority(1)
                    .matching(Match::new().in_port(in_port).eth_dst(dst))
                    .apply_actions([Action::output(out)]),
            )
        };
        let out = |in_port: u32, out: u32, data: &[u8]| {
            Body::PacketOut(
                PacketOut::new(in_port)
                    .action(Action::output(out))
                    .data(data),
            )
        };
        assert_eq!(
            packet_in(&mut h, 2, ARP_REPLY),
            vec![flow(2, H1, 1), out(2, 1, ARP_REPLY)]
        );
        assert_eq!(
            packet_in(&mut h, 1, ECHO_REQUEST),
            vec![flow(1, H2, 2), out(1, 2, ECHO_REQUEST)]
        );
        // h1 moves to port 3: learned again.
        packet_in(&mut h, 3, ARP_REQUEST);
        assert_eq!(
            packet_in(&mut h, 2, ARP_REPLY),
            vec![flow(2, H1, 3), out(2, 3, ARP_REPLY)]
        );
    }

    #[test]
    fn buffered_packets_go_through_the_new_flow() {
        let (mut h, _) = Harness::main(Box::new(SimpleSwitch13::new()));
        packet_in(&mut h, 1, ARP_REQUEST);
        let mut pi = PacketIn::new(2u32, ARP_REPLY);
        pi.buffer_id = BufferId(7);
        h.deliver(Message::new(0, Body::PacketIn(pi)));
        let flow = FlowMod::add()
            .priority(1)
            .matching(Match::new().in_port(2u32).eth_dst(H1))
            .apply_actions([Action::output(1u32)])
            .buffer_id(7u32);
        assert_eq!(bodies(h.take_sent()), vec![Body::FlowMod(flow)]);
        // A buffered flood (to an unknown host): the packet-out names the buffer and carries
        // no data.
        let mut frame = ECHO_REQUEST.to_vec();
        frame[..6].copy_from_slice(&[0, 0, 0, 0, 0, 9]);
        let mut pi = PacketIn::new(3u32, frame);
        pi.buffer_id = BufferId(8);
        h.deliver(Message::new(0, Body::PacketIn(pi)));
        let sent = bodies(h.take_sent());
        let [Body::PacketOut(po)] = sent.as_slice() else {
            panic!("{sent:?}")
        };
        assert_eq!((po.buffer_id, po.data.is_empty()), (BufferId(8), true));
    }

    #[test]
    fn ignores_lldp_and_runts() {
        let (mut h, _) = Harness::main(Box::new(SimpleSwitch13::new()));
        let mut lldp = vec![0x01, 0x80, 0xc2, 0, 0, 0x0e, 0, 0, 0, 0, 0, 1, 0x88, 0xcc];
        lldp.extend([0u8; 46]);
        assert_eq!(packet_in(&mut h, 1, &lldp), vec![]);
        assert_eq!(packet_in(&mut h, 1, &[1, 2, 3]), vec![]);
    }
}
