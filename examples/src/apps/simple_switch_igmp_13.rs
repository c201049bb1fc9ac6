//! The IGMP snooping switch of the Ryu book ("IGMP Snooping", `simple_switch_igmp_13.py` with
//! `igmplib`): the switching hub plus IGMP snooping, with every protocol decision made by the
//! [`sdnwire_igmp`] crate. The translation between OpenFlow and the crate is
//! `sdnwire-controller`'s igmplib ([`IgmpSwitch`]), which the framework's `igmplib` context
//! runs too; this application drives it on one connection:
//!
//! - When the switch is ready (MAIN): the switching hub's table-miss flow, and a
//!   priority-65535 flow sending IGMP (`ip,nw_proto=2`) to the controller whole. The switch
//!   whose datapath id is the configured querier's (Ryu's igmplib's `set_querier_mode(dpid=1,
//!   server_port=2)`) runs an [`sdnwire_igmp::Querier`] (Ryu's igmplib's `IgmpQuerier`: a general query
//!   every interval, members learned from reports, expired when they stop answering); every
//!   other switch an [`sdnwire_igmp::Snooper`] with [`sdnwire_igmp::Config::ryu_igmplib`] (Ryu's igmplib's
//!   `IgmpSnooper`: the querier's port learned from its queries, the first report after a
//!   query passed on to it, a group-specific query out of a port a leave came from).
//! - IGMP packet-ins go to the crate; what it wants sent ([`sdnwire_igmp::Transmit`]) goes out as
//!   PACKET_OUTs (queries flooded, reports and leaves to the querier's port).
//! - Its group events become flows and log lines: for each group a priority-65535 flow
//!   `ip,in_port=<upstream>,nw_dst=<group> actions=output:<member ports>`, where the upstream
//!   port is the server port on the querier and the querier's port on a snooper; added on
//!   "Multicast Group Added", replaced on "Multicast Group Member Changed", deleted on
//!   "Multicast Group Removed" (logged as Ryu's igmplib logs them: `Multicast Group Added:
//!   [225.0.0.1] querier:[4] hosts:[1, 3]`).
//! - A port that goes down (PORT_STATUS) leaves every group at once.
//! - Other multicast packet-ins (before a group's flow exists) are sent where the crate's
//!   [`forward_ports`](sdnwire_igmp::Snooper::forward_ports) says; everything else goes to the
//!   switching hub.
//!
//! Flows are per group, as Ryu's igmplib's: IGMPv3 source filtering is not pushed into the switch
//! (a member port gets the group's traffic from every source).
//!
//! The querier or snooper runs on the runtime's clock: it is given [`Ctx::now`] as it is, and
//! its `poll_timeout` is the application's.

use core::net::Ipv4Addr;
use std::collections::BTreeMap;

use sdnwire_controller::apps::igmplib::{IgmpOutput, IgmpSwitch};
use sdnwire_openflow::connection::{Event, State};
use sdnwire_openflow::MsgType;
use sdnwire_packet::time::Instant;

use crate::app::{App, Ctx};
use crate::apps::SimpleSwitch13;

pub use sdnwire_controller::apps::igmplib::{IgmpSettings, DEFAULT_QUERIER_IP, PRIORITY};

/// The IGMP snooping switch, one instance per switch connection: `sdnwire-controller`'s
/// igmplib ([`IgmpSwitch`], shared with the framework's `igmplib` context) and a
/// [`SimpleSwitch13`].
#[derive(Debug)]
pub struct SimpleSwitchIgmp13 {
    hub: SimpleSwitch13,
    igmp: IgmpSwitch,
}

impl SimpleSwitchIgmp13 {
    /// The application with `settings`.
    pub fn new(settings: IgmpSettings) -> Self {
        SimpleSwitchIgmp13 {
            hub: SimpleSwitch13::new(),
            igmp: IgmpSwitch::new(settings),
        }
    }

    /// The group flows in the switch: group → (in_port, output ports).
    pub fn flows(&self) -> &BTreeMap<Ipv4Addr, (u32, Vec<u32>)> {
        self.igmp.flows()
    }

    /// Does what igmplib asked: sends, logs, and logs each group change as Ryu's
    /// `simple_switch_igmp_13` does.
    fn apply(cx: &mut Ctx<'_>, out: Vec<IgmpOutput>) {
        for o in out {
            match o {
                IgmpOutput::Send(body) => {
                    cx.send(body);
                }
                IgmpOutput::Log(l) => cx.log(l),
                IgmpOutput::Group {
                    reason,
                    address,
                    src,
                    dsts,
                } => {
                    let hosts: Vec<String> = dsts.iter().map(u32::to_string).collect();
                    let querier = src.map_or_else(|| "None".to_owned(), |p| p.to_string());
                    cx.log(format_args!(
                        "{}: [{address}] querier:[{querier}] hosts:[{}]",
                        reason.ryu_words(),
                        hosts.join(", ")
                    ));
                }
                _ => {}
            }
        }
    }
}

impl App for SimpleSwitchIgmp13 {
    fn name(&self) -> &'static str {
        "simple_switch_igmp_13"
    }

    fn on_event(&mut self, cx: &mut Ctx<'_>, event: &Event) {
        let mut out = Vec::new();
        let now = cx.now();
        match event {
            Event::StateChanged {
                to: State::Main, ..
            } => {
                self.hub.on_event(cx, event);
                self.igmp.start(now, cx.datapath_id(), &mut out);
            }
            Event::Message(f) if f.header.msg_type == MsgType::PACKET_IN => {
                let taken = cx
                    .packet_in(event)
                    .is_some_and(|msg| self.igmp.packet_in(now, &msg, &mut out));
                Self::apply(cx, core::mem::take(&mut out));
                if !taken {
                    self.hub.on_event(cx, event);
                }
            }
            Event::PortStatus { reason, port, .. } => {
                self.igmp.port_status(now, *reason, port, &mut out);
                Self::apply(cx, core::mem::take(&mut out));
                self.hub.on_event(cx, event);
            }
            _ => self.hub.on_event(cx, event),
        }
        Self::apply(cx, out);
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.igmp.poll_timeout()
    }

    fn handle_timeout(&mut self, cx: &mut Ctx<'_>) {
        let mut out = Vec::new();
        self.igmp.handle_timeout(cx.now(), &mut out);
        Self::apply(cx, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake::Harness;
    use sdnwire_openflow::action::Action;
    use sdnwire_openflow::packet_in::PacketIn;
    use sdnwire_openflow::Message;
    use sdnwire_openflow::{Body, PortNo};
    use sdnwire_packet::igmp::Igmp as IgmpMsg;
    use sdnwire_packet::PacketView;
    use sdnwire_packet::{Encode, Ethernet, Ipv4, MacAddr};

    const G1: Ipv4Addr = Ipv4Addr::new(225, 0, 0, 1);

    fn igmp_frame(src_port: u8, msg: IgmpMsg) -> Vec<u8> {
        let src = Ipv4Addr::new(10, 0, 0, src_port);
        let dst = msg.ip_destination().unwrap();
        let mut ip = Ipv4::new(src, dst);
        ip.ttl = 1;
        (Ethernet::new(
            MacAddr::from_ipv4_multicast(dst),
            MacAddr::new(0, 0, 0, 0, 0, src_port),
        ) / ip
            / msg)
            .to_vec()
            .unwrap()
    }

    fn packet_in(h: &mut Harness, port: u32, frame: &[u8]) -> Vec<Body> {
        h.deliver(Message::new(0, Body::PacketIn(PacketIn::new(port, frame))));
        h.take_sent().into_iter().map(|m| m.body).collect()
    }

    fn flow_mods(sent: &[Body]) -> Vec<String> {
        sent.iter()
            .filter_map(|b| match b {
                Body::FlowMod(f) => Some(f.ofp_print().to_string()),
                _ => None,
            })
            .collect()
    }

    fn logs(h: &mut Harness) -> Vec<String> {
        h.out
            .drain(..)
            .filter_map(|o| match o {
                crate::app::Output::Log { text, .. } => Some(text),
                crate::app::Output::Report(_) => None,
            })
            .collect()
    }

    /// The fake switch has datapath id 1: with the default settings it is the querier, the
    /// server behind port 2.
    #[test]
    fn querier_installs_group_flows_from_reports_and_leaves() {
        let (mut h, sent) =
            Harness::main(Box::new(SimpleSwitchIgmp13::new(IgmpSettings::default())));
        let sent: Vec<Body> = sent.into_iter().map(|m| m.body).collect();
        let flows = flow_mods(&sent);
        assert!(flows.iter().any(|f| f.contains("priority=0")), "{flows:?}");
        assert!(
            flows
                .iter()
                .any(|f| f.contains("priority=65535") && f.contains("CONTROLLER")),
            "{flows:?}"
        );
        // The first general query, flooded.
        assert!(
            sent.iter().any(|b| matches!(b, Body::PacketOut(p)
                if p.actions == vec![Action::output(PortNo::FLOOD)]
                    && PacketView::parse(&p.data).is_ok_and(|v| v.igmp().is_some()))),
            "{sent:?}"
        );
        logs(&mut h);

        let sent = packet_in(&mut h, 1, &igmp_frame(1, IgmpMsg::v2_report(G1)));
        let flows = flow_mods(&sent);
        assert_eq!(flows.len(), 1, "{flows:?}");
        assert!(flows[0].contains("priority=65535"), "{flows:?}");
        assert!(flows[0].contains("in_port=2"), "{flows:?}");
        assert!(flows[0].contains("225.0.0.1"), "{flows:?}");
        assert!(flows[0].contains("output:1"), "{flows:?}");
        assert_eq!(
            logs(&mut h),
            ["Multicast Group Added: [225.0.0.1] querier:[2] hosts:[1]"]
        );

        let sent = packet_in(&mut h, 3, &igmp_frame(3, IgmpMsg::v2_report(G1)));
        let flows = flow_mods(&sent);
        assert!(flows[0].contains("output:1,output:3"), "{flows:?}");
        assert_eq!(
            logs(&mut h),
            ["Multicast Group Member Changed: [225.0.0.1] querier:[2] hosts:[1, 3]"]
        );

        // Port 3 leaves: as Ryu's igmplib querier does, the port is dropped at once, without
        // a group-specific query: the flow outputs to port 1 only.
        let sent = packet_in(&mut h, 3, &igmp_frame(3, IgmpMsg::v2_leave(G1)));
        assert!(
            !sent.iter().any(|b| matches!(b, Body::PacketOut(p)
                if PacketView::parse(&p.data).is_ok_and(|v| v.igmp().is_some()))),
            "{sent:?}"
        );
        let flows = flow_mods(&sent);
        assert!(
            flows
                .iter()
                .any(|f| f.contains("actions=output:1") && !f.contains("output:3")),
            "{flows:?}"
        );
        assert_eq!(
            logs(&mut h),
            ["Multicast Group Member Changed: [225.0.0.1] querier:[2] hosts:[1]"]
        );

        // The last member leaves: the flow is deleted at once.
        let sent = packet_in(&mut h, 1, &igmp_frame(1, IgmpMsg::v2_leave(G1)));
        let flows = flow_mods(&sent);
        assert!(
            flows.iter().any(|f| f.starts_with("DEL_STRICT")),
            "{flows:?}"
        );
        assert!(logs(&mut h)
            .iter()
            .any(|l| l == "Multicast Group Removed: [225.0.0.1] querier:[2] hosts:[]"));
    }
}
