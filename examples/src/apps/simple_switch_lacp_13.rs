//! The switching hub with link aggregation of the Ryu book ("Link Aggregation",
//! `simple_switch_lacp_13.py` on top of `ryu.lib.lacplib`).
//!
//! A group of the switch's ports faces a host or switch that bonds its links with LACP. The
//! controller answers that partner's LACPDUs for the switch, so that the partner sees one
//! aggregate; every LACP decision is made by the [`sdnwire_lacp`] crate in its [`sdnwire_lacp::Mode::Lacplib`]
//! mode (answer each LACPDU, watch the port with the timeout the partner asks for, report it
//! enabled while LACPDUs come and disabled when they stop). The translation is
//! `sdnwire-controller`'s lacplib ([`LacpGroup`]), which the framework's `lacplib` context runs
//! too; this application drives it on one connection:
//!
//! - When the switch is ready: the table-miss flow (every packet to the controller, whole),
//!   and a [`sdnwire_lacp::Bond`] whose system id is the switch's LOCAL port MAC (from PORT_DESC), one
//!   lacplib port per configured group port (its own MAC as the frames' source).
//! - A PACKET_IN of a slow-protocols frame on a group port goes to
//!   [`sdnwire_lacp::Bond::handle_frame`]; the answer goes back by PACKET_OUT with output `IN_PORT`.
//!   When the crate reports the partner's timeout ([`sdnwire_lacp::Event::PartnerTimeout`]: on the
//!   first LACPDU, and whenever the partner's timeout bit changes), a priority-65535 flow sends
//!   that port's LACPDUs to the controller: `in_port`, `eth_src` (the partner's MAC, from the
//!   frame), `eth_type=0x8809`, `idle_timeout` = that timeout (3 s fast, 90 s slow: 3 periods),
//!   `SEND_FLOW_REM`.
//! - A FLOW_REMOVED of such a flow is lacplib's signal that LACPDUs stopped: the port is
//!   disabled (the crate, watching the same silence, says so too; the port is disabled once).
//! - On every port state change (enabled or disabled) every learned-MAC flow is deleted and
//!   the MAC table forgotten, so that traffic is learned again on the ports that carry it.
//! - Any other PACKET_IN: the switching hub of [`super::simple_switch_13`], composed, not
//!   copied (learn, install `in_port, eth_dst -> output` at priority 1 under
//!   [`MAC_FLOW_COOKIE`], flood the unknown).
//!
//! Differences from Ryu's `simple_switch_lacp_13.py`, on purpose: the learned-MAC flows carry
//! a cookie and are deleted by one cookie-masked DELETE (Ryu sends one DELETE per learned MAC); slow
//! protocols frames on ports outside the group are dropped, not answered and not switched
//! (802.1Q never forwards 01:80:c2:00:00:02); a port's link going down (PORT_STATUS) is told
//! to the crate.
//!
//! The bond runs on the runtime's clock: it is given [`Ctx::now`] as it is, and its
//! `poll_timeout` is the application's.

use sdnwire_controller::apps::lacplib::{LacpGroup, LacpOutput};
use sdnwire_controller::apps::simple_switch_lacp_13::delete_learned_flows;
use sdnwire_lacp::Bond;
use sdnwire_openflow::connection::{Event, State};
use sdnwire_openflow::{Body, Message, MsgType, PortNo};
use sdnwire_packet::time::Instant;
use sdnwire_packet::MacAddr;

use crate::app::{App, Ctx};
use crate::apps::SimpleSwitch13;

pub use sdnwire_controller::apps::lacplib::LACP_PRIORITY;
pub use sdnwire_controller::apps::simple_switch_lacp_13::MAC_FLOW_COOKIE;

/// The switching hub with LACP on a group of ports: `sdnwire-controller`'s lacplib
/// ([`LacpGroup`], shared with the framework's `lacplib` context) and a [`SimpleSwitch13`] on
/// one connection.
#[derive(Debug)]
pub struct SimpleSwitchLacp13 {
    lacp: LacpGroup,
    /// The switching hub, for every packet that is not LACP's; its learned-MAC flows carry
    /// [`MAC_FLOW_COOKIE`].
    hub: SimpleSwitch13,
}

impl SimpleSwitchLacp13 {
    /// A switching hub answering LACP on the ports of `group` (OpenFlow port numbers).
    pub fn new(group: Vec<u32>) -> Self {
        SimpleSwitchLacp13 {
            lacp: LacpGroup::new(group),
            hub: SimpleSwitch13::with_cookie(MAC_FLOW_COOKIE),
        }
    }

    /// The port `mac` was learned on.
    pub fn port_of(&self, mac: MacAddr) -> Option<PortNo> {
        self.hub.port_of(mac)
    }

    /// Whether group port `port` carries traffic.
    pub fn is_enabled(&self, port: u32) -> bool {
        self.lacp.is_enabled(port)
    }

    /// The LACP state of the group (the crate's bond), once the switch is ready.
    pub fn bond(&self) -> Option<&Bond> {
        self.lacp.bond()
    }

    /// Does what lacplib asked: sends, logs, and on a slave state change (Ryu's
    /// `EventSlaveStateChanged` handler) deletes every learned-MAC flow and forgets the MAC
    /// table.
    fn apply(&mut self, cx: &mut Ctx<'_>, out: Vec<LacpOutput>) {
        for o in out {
            match o {
                LacpOutput::Send(body) => {
                    cx.send(body);
                }
                LacpOutput::Log(l) => cx.log(l),
                LacpOutput::SlaveStateChanged { port, enabled } => {
                    cx.log(format_args!(
                        "slave state changed port: {port} enabled: {enabled}"
                    ));
                    cx.send(Body::FlowMod(delete_learned_flows()));
                    self.hub.forget();
                }
                _ => {}
            }
        }
    }
}

impl App for SimpleSwitchLacp13 {
    fn name(&self) -> &'static str {
        "simple_switch_lacp_13"
    }

    fn on_event(&mut self, cx: &mut Ctx<'_>, event: &Event) {
        let mut out = Vec::new();
        let now = cx.now();
        match event {
            Event::StateChanged {
                to: State::Main, ..
            } => {
                // The hub's table-miss flow.
                self.hub.on_event(cx, event);
                let ports: Vec<_> = cx.conn().ports().cloned().collect();
                let (dpid, local) = (cx.datapath_id(), cx.conn().local_hw_addr());
                self.lacp.start(now, dpid, local, &ports, &mut out);
            }
            Event::PortStatus { port, previous, .. } => {
                self.lacp
                    .port_status(now, port, previous.as_ref(), &mut out);
            }
            Event::Message(f) if f.header.msg_type == MsgType::PACKET_IN => {
                let lacp = cx
                    .packet_in(event)
                    .is_some_and(|msg| self.lacp.packet_in(now, &msg, &mut out));
                self.apply(cx, core::mem::take(&mut out));
                if !lacp {
                    self.hub.on_event(cx, event);
                }
            }
            // Rare: decoded into the owned message.
            Event::Message(f) if f.header.msg_type == MsgType::FLOW_REMOVED => {
                if let Some(Message {
                    body: Body::FlowRemoved(msg),
                    ..
                }) = cx.decode(f)
                {
                    self.lacp.flow_removed(now, &msg, &mut out);
                }
            }
            _ => {}
        }
        self.apply(cx, out);
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.lacp.poll_timeout()
    }

    fn handle_timeout(&mut self, cx: &mut Ctx<'_>) {
        let mut out = Vec::new();
        self.lacp.handle_timeout(cx.now(), &mut out);
        self.apply(cx, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Output;
    use crate::fake::Harness;
    use core::time::Duration;
    use sdnwire_openflow::action::Action;
    use sdnwire_openflow::flow_mod::{FlowMod, FlowModFlags};
    use sdnwire_openflow::flow_removed::{FlowRemoved, FlowRemovedReason};
    use sdnwire_openflow::oxm::Match;
    use sdnwire_openflow::packet_in::PacketIn;
    use sdnwire_openflow::port::{Port, PortState};
    use sdnwire_openflow::TableId;
    use sdnwire_openflow::OFPCML_MAX;
    use sdnwire_packet::ethernet::EthernetView;
    use sdnwire_packet::slow::{Lacp, LacpInfo, LacpState};

    /// The fake switch's LOCAL port MAC and port 1's MAC (crate::fake).
    const LOCAL: MacAddr = MacAddr([2, 0, 0, 0, 0, 1]);
    const P1_MAC: MacAddr = MacAddr([0xaa, 0x55, 0xaa, 0x55, 0, 2]);
    /// The partner: a host bonding two links, each with its own MAC.
    const PARTNER: MacAddr = MacAddr([0x02, 0, 0, 0, 0x0c, 0x01]);
    const PARTNER_P1: MacAddr = MacAddr([0x02, 0, 0, 0, 0x0c, 0x11]);
    const ARP_REQUEST: &[u8] = include_bytes!("../../../packet/testdata/ping_arp_request.bin");
    const ARP_REPLY: &[u8] = include_bytes!("../../../packet/testdata/ping_arp_reply.bin");
    const H1: MacAddr = MacAddr([0, 0, 0, 0, 0, 1]);

    fn bodies(msgs: Vec<Message>) -> Vec<Body> {
        msgs.into_iter().map(|m| m.body).collect()
    }

    fn partner_info(port: u16, state: LacpState) -> LacpInfo {
        LacpInfo::new(0x8000, PARTNER, 0x21, 0x80, port, state)
    }

    /// An LACPDU from the partner's port `port`, asking for the short timeout or not.
    fn lacpdu(port: u16, short: bool) -> Vec<u8> {
        let state = LacpState::ACTIVITY
            | LacpState::AGGREGATION
            | LacpState::SYNCHRONIZATION
            | LacpState::COLLECTING
            | LacpState::DISTRIBUTING;
        let state = state.with_timeout(short);
        Lacp::new(partner_info(port, state), LacpInfo::default(), 0)
            .to_frame(PARTNER_P1)
            .unwrap()
    }

    fn packet_in(h: &mut Harness, port: u32, frame: &[u8]) -> Vec<Body> {
        h.deliver(Message::new(0, Body::PacketIn(PacketIn::new(port, frame))));
        bodies(h.take_sent())
    }

    fn logs(h: &mut Harness) -> Vec<String> {
        let v = h
            .out
            .iter()
            .filter_map(|o| match o {
                Output::Log { text, .. } => Some(text.clone()),
                Output::Report(_) => None,
            })
            .collect();
        h.out.clear();
        v
    }

    fn lacp_flow(port: u32, idle: u16) -> Body {
        Body::FlowMod(
            FlowMod::add()
                .priority(65535)
                .idle_timeout(idle)
                .flags(FlowModFlags::SEND_FLOW_REM)
                .matching(
                    Match::new()
                        .in_port(port)
                        .eth_src(PARTNER_P1)
                        .eth_type(0x8809),
                )
                .apply_actions([Action::output_to_controller(OFPCML_MAX)]),
        )
    }

    fn flush() -> Body {
        Body::FlowMod(
            FlowMod::delete()
                .cookie(MAC_FLOW_COOKIE)
                .cookie_mask(u64::MAX)
                .out_port(PortNo::ANY),
        )
    }

    fn flow_removed(port: u32, src: MacAddr) -> Message {
        Message::new(
            0,
            Body::FlowRemoved(FlowRemoved {
                cookie: 0,
                priority: 65535,
                reason: FlowRemovedReason::IDLE_TIMEOUT,
                table_id: TableId(0),
                duration_sec: 10,
                duration_nsec: 0,
                idle_timeout: 3,
                hard_timeout: 0,
                packet_count: 10,
                byte_count: 1240,
                match_: Match::new().in_port(port).eth_src(src).eth_type(0x8809),
            }),
        )
    }

    /// The answer Ryu's lacplib gives (its `_create_lacp`), checked field by field.
    fn assert_answer(body: &Body, port: u32, short: bool) {
        let Body::PacketOut(po) = body else {
            panic!("not a packet-out: {body:?}")
        };
        assert_eq!(po.in_port, PortNo(port));
        assert_eq!(po.actions, [Action::output(PortNo::IN_PORT)]);
        let eth = EthernetView::parse(po.data.as_slice()).unwrap();
        assert_eq!(eth.dst(), MacAddr([0x01, 0x80, 0xc2, 0, 0, 0x02]));
        assert_eq!(eth.src(), P1_MAC, "the port's own MAC");
        let pdu = Lacp::parse(&po.data[14..]).unwrap();
        assert_eq!(pdu.actor.system, LOCAL, "system id = LOCAL port MAC");
        assert_eq!(pdu.actor.system_priority, 0xffff);
        assert_eq!(pdu.actor.port_priority, 0xff);
        assert_eq!(u32::from(pdu.actor.port), port);
        assert_eq!(pdu.actor.key, 0x21, "the partner's key");
        assert!(!pdu.actor.state.activity(), "passive");
        assert_eq!(pdu.actor.state.timeout(), short);
        assert_eq!(pdu.partner.system, PARTNER);
        assert_eq!(pdu.partner.port, 1);
        assert_eq!(pdu.collector_max_delay, 0);
    }

    #[test]
    fn answers_lacp_installs_the_lacp_flow_and_switches_the_rest() {
        let (mut h, sent) = Harness::main(Box::new(SimpleSwitchLacp13::new(vec![1, 2])));
        let miss = FlowMod::add()
            .priority(0)
            .matching(Match::new())
            .apply_actions([Action::output_to_controller(
                sdnwire_openflow::OFPCML_NO_BUFFER,
            )]);
        // Nothing but the table-miss flow: the lacplib mode speaks only when spoken to.
        assert_eq!(bodies(sent), vec![Body::FlowMod(miss)]);

        // The first LACPDU on port 1: the answer by packet-out to IN_PORT, the port enabled
        // (learned flows flushed), the LACP flow with idle_timeout 3 (fast).
        let sent = packet_in(&mut h, 1, &lacpdu(1, true));
        assert_eq!(sent.len(), 3, "{sent:#?}");
        assert_answer(&sent[0], 1, true);
        assert!(sent.contains(&flush()), "{sent:#?}");
        assert!(sent.contains(&lacp_flow(1, 3)), "{sent:#?}");
        let log = logs(&mut h);
        assert!(
            log.contains(&"slave state changed port: 1 enabled: true".to_owned()),
            "{log:?}"
        );
        assert!(log
            .iter()
            .any(|l| l.ends_with("PORT=1 the slave i/f has just been up.")));

        // The next one: only the answer.
        h.advance(Duration::from_secs(1));
        let sent = packet_in(&mut h, 1, &lacpdu(1, true));
        assert_eq!(sent.len(), 1, "{sent:#?}");
        assert_answer(&sent[0], 1, true);

        // The partner switches to the long timeout: the flow again, idle_timeout 90.
        h.advance(Duration::from_secs(1));
        let sent = packet_in(&mut h, 1, &lacpdu(1, false));
        assert_eq!(sent.len(), 2, "{sent:#?}");
        assert_answer(&sent[0], 1, false);
        assert_eq!(sent[1], lacp_flow(1, 90));

        // Other frames: the switching hub, learned flows under the cookie.
        packet_in(&mut h, 3, ARP_REQUEST);
        let sent = packet_in(&mut h, 1, ARP_REPLY);
        let flow = FlowMod::add()
            .cookie(MAC_FLOW_COOKIE)
            .priority(1)
            .matching(Match::new().in_port(1u32).eth_dst(H1))
            .apply_actions([Action::output(3u32)]);
        assert_eq!(sent[0], Body::FlowMod(flow), "{sent:#?}");

        // A broken LACPDU: counted by the crate, not answered, nothing installed.
        let mut bad = lacpdu(1, true);
        bad[6..12].copy_from_slice(&[2, 0, 0, 0, 0, 0x66]);
        bad.truncate(40); // in the middle of the actor information
        assert_eq!(packet_in(&mut h, 1, &bad), vec![]);
        let log = logs(&mut h);
        assert!(
            log.iter()
                .any(|l| l.contains("PORT=1 bad slow-protocols frame")),
            "{log:?}"
        );
        // The partner asks for the short timeout again: the flow with idle_timeout 3.
        h.advance(Duration::from_secs(1));
        let sent = packet_in(&mut h, 1, &lacpdu(1, true));
        assert_answer(&sent[0], 1, true);
        assert_eq!(sent[1..], [lacp_flow(1, 3)], "{sent:#?}");

        // Slow protocols outside the group: dropped.
        assert_eq!(packet_in(&mut h, 3, &lacpdu(1, true)), vec![]);
    }

    #[test]
    fn flow_removed_disables_the_port_and_the_next_lacpdu_enables_it() {
        let (mut h, _) = Harness::main(Box::new(SimpleSwitchLacp13::new(vec![1, 2])));
        packet_in(&mut h, 1, &lacpdu(1, true));
        packet_in(&mut h, 3, ARP_REQUEST);
        logs(&mut h);
        h.advance(Duration::from_millis(500));
        // The switch says the LACP flow of port 1 idled out: disabled, learned flows flushed.
        h.deliver(flow_removed(1, PARTNER_P1));
        assert_eq!(bodies(h.take_sent()), vec![flush()]);
        let log = logs(&mut h);
        assert!(
            log.contains(&"slave state changed port: 1 enabled: false".to_owned()),
            "{log:?}"
        );
        assert!(log
            .iter()
            .any(|l| l.ends_with("PORT=1 LACP exchange timeout has occurred.")));
        // A removal of a flow we do not have (another port, another MAC, another priority)
        // changes nothing.
        h.deliver(flow_removed(1, PARTNER_P1));
        h.deliver(flow_removed(2, PARTNER_P1));
        h.deliver(flow_removed(1, H1));
        assert_eq!(bodies(h.take_sent()), vec![]);
        // LACPDUs again: enabled, flow installed again.
        let sent = packet_in(&mut h, 1, &lacpdu(1, true));
        assert_answer(&sent[0], 1, true);
        assert!(
            sent.contains(&flush()) && sent.contains(&lacp_flow(1, 3)),
            "{sent:#?}"
        );
    }

    #[test]
    fn link_down_disables_the_port() {
        use sdnwire_openflow::port::{PortReason, PortStatus};
        let (mut h, _) = Harness::main(Box::new(SimpleSwitchLacp13::new(vec![1, 2])));
        packet_in(&mut h, 1, &lacpdu(1, true));
        logs(&mut h);
        let status = |down: bool| {
            let mut desc = Port::new(1u32, P1_MAC, "p1");
            if down {
                desc.state = PortState::LINK_DOWN;
            }
            Message::new(
                0,
                Body::PortStatus(PortStatus {
                    reason: PortReason::MODIFY,
                    desc,
                }),
            )
        };
        h.deliver(status(true));
        assert_eq!(bodies(h.take_sent()), vec![flush()]);
        let log = logs(&mut h);
        assert!(
            log.contains(&"slave state changed port: 1 enabled: false".to_owned()),
            "{log:?}"
        );
        // Up again: nothing until the partner speaks.
        h.deliver(status(false));
        assert_eq!(bodies(h.take_sent()), vec![]);
        let sent = packet_in(&mut h, 1, &lacpdu(1, true));
        assert!(
            sent.contains(&flush()) && sent.contains(&lacp_flow(1, 3)),
            "{sent:#?}"
        );
    }

    #[test]
    fn silence_disables_the_port_on_the_crates_clock() {
        let (mut h, _) = Harness::main(Box::new(SimpleSwitchLacp13::new(vec![1, 2])));
        packet_in(&mut h, 1, &lacpdu(1, true));
        packet_in(&mut h, 2, &lacpdu(2, true));
        logs(&mut h);
        // No LACPDU on port 1 for 3 s (the short timeout): disabled; port 2 goes on.
        for _ in 0..6 {
            h.advance(Duration::from_millis(600));
            packet_in(&mut h, 2, &lacpdu(2, true));
        }
        let log = logs(&mut h);
        assert!(
            log.contains(&"slave state changed port: 1 enabled: false".to_owned()),
            "{log:?}"
        );
        assert!(!log.iter().any(|l| l.contains("port: 2")), "{log:?}");
        // The switch's own idle timeout says the same a moment later: nothing more happens.
        h.deliver(flow_removed(1, PARTNER_P1));
        assert_eq!(bodies(h.take_sent()), vec![]);
    }
}
