//! The ICMP responder of the Ryu book (chapter "Packet Library", `icmp_responder.py`): a host
//! that exists only in the controller.
//!
//! It installs the table-miss flow when the switch is ready, and answers, through PACKET_OUTs
//! on the port the request came in on, the ARP requests for its IPv4 address and the ICMP echo
//! requests to it, with frames built by the `packet` crate (lengths and checksums computed).
//! Unlike the book's version it only answers what is addressed to it.

use core::net::Ipv4Addr;

use sdnwire_openflow::connection::{Event, State};
use sdnwire_openflow::{Body, PortNo};
use sdnwire_packet::{MacAddr, Packet};

use crate::app::{App, Ctx};

pub use sdnwire_controller::apps::icmp_responder::{DEFAULT_IP, DEFAULT_MAC};

/// The ICMP responder: `sdnwire-controller`'s (the same answers as the framework's
/// `icmp_responder`) on one connection.
#[derive(Debug, Clone)]
pub struct IcmpResponder {
    inner: sdnwire_controller::apps::IcmpResponder,
}

impl IcmpResponder {
    /// A responder that is the host `mac` / `ip`.
    pub fn new(mac: MacAddr, ip: Ipv4Addr) -> Self {
        IcmpResponder {
            inner: sdnwire_controller::apps::IcmpResponder::new(mac, ip),
        }
    }

    /// The answer to the frame `pkt`, if it is an ARP request for our address
    /// or an ICMP echo request to it.
    pub fn answer(&self, pkt: &Packet) -> Option<Packet> {
        self.inner.answer(pkt)
    }

    fn packet_in(&self, cx: &mut Ctx<'_>, in_port: PortNo, data: &[u8]) {
        let (log, out) = self.inner.packet_out(in_port, data);
        for l in log {
            cx.log(l);
        }
        if let Some(out) = out {
            cx.send(Body::PacketOut(out));
        }
    }
}

impl App for IcmpResponder {
    fn name(&self) -> &'static str {
        "icmp_responder"
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
                    if let Some(port) = msg.in_port() {
                        self.packet_in(cx, port, msg.data);
                    }
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
    use sdnwire_openflow::{Message, OFPCML_NO_BUFFER};
    use sdnwire_packet::PacketView;

    const ARP_REQUEST: &[u8] = include_bytes!("../../../packet/testdata/ping_arp_request.bin");
    const ARP_REPLY: &[u8] = include_bytes!("../../../packet/testdata/ping_arp_reply.bin");
    const ECHO_REQUEST: &[u8] = include_bytes!("../../../packet/testdata/ping_echo_request.bin");
    const ECHO_REPLY: &[u8] = include_bytes!("../../../packet/testdata/ping_echo_reply.bin");

    /// The responder as h2 of the captured ping (10.0.0.2, 00:00:00:00:00:02).
    fn h2() -> (Harness, Vec<Message>) {
        Harness::main(Box::new(IcmpResponder::new(
            MacAddr([0, 0, 0, 0, 0, 2]),
            Ipv4Addr::new(10, 0, 0, 2),
        )))
    }

    /// The packet-out the responder sends for a packet-in of `frame` on port 3, if any.
    fn answer(h: &mut Harness, frame: &[u8]) -> Option<PacketOut> {
        h.deliver(Message::new(0, Body::PacketIn(PacketIn::new(3u32, frame))));
        let mut sent = h.take_sent();
        assert!(sent.len() <= 1, "{sent:?}");
        sent.pop().map(|m| match m.body {
            Body::PacketOut(p) => p,
            other => panic!("{other:?}"),
        })
    }

    #[test]
    fn table_miss_on_main() {
        let (_, sent) = h2();
        let miss = FlowMod::add()
            .priority(0)
            .matching(Match::new())
            .apply_actions([Action::output_to_controller(OFPCML_NO_BUFFER)]);
        assert_eq!(sent, vec![Message::new(sent[0].xid, Body::FlowMod(miss))]);
    }

    #[test]
    fn answers_arp_like_linux() {
        let (mut h, _) = h2();
        let out = answer(&mut h, ARP_REQUEST).unwrap();
        assert_eq!(
            (out.in_port, &out.actions),
            (PortNo::CONTROLLER, &vec![Action::output(3u32)])
        );
        // Linux's reply of the captured ping, padded to Ethernet's minimum.
        assert_eq!(out.data.len(), 60);
        assert_eq!(&out.data[..42], ARP_REPLY);
        assert!(out.data[42..].iter().all(|&b| b == 0));
    }

    #[test]
    fn answers_ping_like_linux() {
        let (mut h, _) = h2();
        let out = answer(&mut h, ECHO_REQUEST).unwrap();
        let ours = PacketView::parse(&out.data).unwrap();
        let linux = PacketView::parse(ECHO_REPLY).unwrap();
        ours.ipv4().unwrap().verify_checksum().unwrap();
        ours.icmp().unwrap().verify_checksum().unwrap();
        // The same ICMP message (type, code, checksum, id, seq, data) and addresses; Linux's
        // IPv4 identification differs (ours is 0), so the IPv4 checksum does too.
        assert_eq!(
            ours.bytes(sdnwire_packet::LayerKind::Icmp),
            linux.bytes(sdnwire_packet::LayerKind::Icmp)
        );
        assert_eq!(out.data[..14], ECHO_REPLY[..14]);
        let (a, b) = (ours.ipv4().unwrap(), linux.ipv4().unwrap());
        assert_eq!(
            (a.src(), a.dst(), a.protocol(), a.total_len()),
            (b.src(), b.dst(), b.protocol(), b.total_len())
        );
    }

    #[test]
    fn ignores_what_is_not_for_it() {
        let (mut h, _) = Harness::main(Box::new(IcmpResponder::new(DEFAULT_MAC, DEFAULT_IP)));
        assert_eq!(answer(&mut h, ARP_REQUEST), None);
        assert_eq!(answer(&mut h, ECHO_REQUEST), None);
        let (mut h, _) = h2();
        assert_eq!(answer(&mut h, ARP_REPLY), None);
        assert_eq!(answer(&mut h, ECHO_REPLY), None);
        assert_eq!(answer(&mut h, &ECHO_REQUEST[..40]), None);
    }
}
