//! The ICMP responder of the Ryu book (chapter "Packet Library", `icmp_responder.py`): a host
//! that exists only in the controller.
//!
//! It installs the table-miss flow on every switch, and answers, through PACKET_OUTs on the
//! port the request came in on, the ARP requests for its IPv4 address and the ICMP echo
//! requests to it, with frames built by `sdnwire-packet` (lengths and checksums computed).
//! Unlike the book's version it only answers what is addressed to it.

use core::net::Ipv4Addr;

use sdnwire_openflow::action::Action;
use sdnwire_openflow::packet_out::PacketOut;
use sdnwire_openflow::{Body, MsgType, PortNo};
use sdnwire_packet::arp::ArpOp;
use sdnwire_packet::icmp::IcmpType;
use sdnwire_packet::{Arp, Encode, Ethernet, Icmp, Ipv4, MacAddr, Packet};

use crate::{App, Ctx, Handlers, OfEvent, OfKind, State};

/// The address the Ryu book's responder uses.
pub const DEFAULT_MAC: MacAddr = MacAddr([0x0a, 0xe4, 0x1c, 0xd1, 0x3e, 0x44]);
/// The IPv4 address the Ryu book's responder uses.
pub const DEFAULT_IP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 9);

/// The ICMP responder.
#[derive(Debug, Clone)]
pub struct IcmpResponder {
    mac: MacAddr,
    ip: Ipv4Addr,
}

impl Default for IcmpResponder {
    fn default() -> Self {
        IcmpResponder::new(DEFAULT_MAC, DEFAULT_IP)
    }
}

impl IcmpResponder {
    /// A responder that is the host `mac` / `ip`.
    pub fn new(mac: MacAddr, ip: Ipv4Addr) -> Self {
        IcmpResponder { mac, ip }
    }

    /// The answer to the frame `pkt`, if it is an ARP request for our address or an ICMP echo
    /// request to it.
    pub fn answer(&self, pkt: &Packet) -> Option<Packet> {
        let eth = pkt.get::<Ethernet>()?;
        if let Some(arp) = pkt.get::<Arp>() {
            if arp.opcode != ArpOp::REQUEST || arp.dst_ip != self.ip {
                return None;
            }
            let reply = Arp::new(ArpOp::REPLY, self.mac, self.ip, arp.src_mac, arp.src_ip);
            return Some(Ethernet::new(eth.src, self.mac) / reply);
        }
        let ip = pkt.get::<Ipv4>()?;
        let icmp = pkt.get::<Icmp>()?;
        if ip.dst != self.ip || icmp.type_ != IcmpType::ECHO_REQUEST {
            return None;
        }
        let reply = icmp.echo_reply()?;
        // Lengths, the protocol number and both checksums are computed on serialize.
        Some(Ethernet::new(eth.src, self.mac) / Ipv4::new(self.ip, ip.src) / reply)
    }

    /// The PACKET_OUT answering the frame `data` that came in on `in_port` (`None` when it is
    /// not for us), and the lines to log (the packet in, the packet out, as Ryu's responder
    /// logs them).
    pub fn packet_out(&self, in_port: PortNo, data: &[u8]) -> (Vec<String>, Option<PacketOut>) {
        let mut log = Vec::new();
        let pkt = match Packet::parse_partial(data) {
            (pkt, None) => pkt,
            (pkt, Some(e)) => {
                log.push(format!("packet-in {pkt} [stopped: {e}]"));
                return (log, None);
            }
        };
        log.push(format!("packet-in {pkt}"));
        // Frames shorter than Ethernet's minimum (an ARP reply's 42 bytes) are padded to 60.
        let Some(reply) = self
            .answer(&pkt)
            .map(|r| r.with_min_len(Packet::ETHERNET_MIN_LEN))
        else {
            return (log, None);
        };
        let data = match reply.to_vec() {
            Ok(d) => d,
            Err(e) => {
                log.push(format!("cannot serialize {reply}: {e}"));
                return (log, None);
            }
        };
        log.push(format!("packet-out {reply}"));
        let out = PacketOut::new(PortNo::CONTROLLER)
            .action(Action::output(in_port))
            .data(data);
        (log, Some(out))
    }

    fn switch_features(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        crate::apps::simple_switch_13::table_miss(cx, &ev.datapath);
    }

    fn packet_in(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        let Some(Ok(msg)) = ev.packet_in() else {
            return;
        };
        let Some(port) = msg.in_port() else {
            return;
        };
        let (log, out) = self.packet_out(port, msg.data);
        for l in log {
            cx.log(l);
        }
        if let Some(out) = out {
            if let Err(e) = ev.datapath.send(Body::PacketOut(out)) {
                cx.warn(format_args!("{}: cannot send PACKET_OUT: {e}", ev.dpid()));
            }
        }
    }
}

impl App for IcmpResponder {
    const NAME: &'static str = "icmp_responder";

    fn register(h: &mut Handlers<Self>) {
        h.on(OfKind::SwitchFeatures, State::Config, Self::switch_features);
        h.on_message(MsgType::PACKET_IN, State::Main, Self::packet_in);
    }
}
