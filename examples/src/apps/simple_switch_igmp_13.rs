//! The IGMP snooping switch of the Ryu book ("IGMP Snooping", `simple_switch_igmp_13.py` with
//! `igmplib`): the switching hub plus IGMP snooping, with every protocol decision made by the
//! [`sdnwire_igmp`] crate. This application only translates between OpenFlow and the crate:
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
use core::time::Duration;
use std::collections::BTreeMap;

use sdnwire_igmp::{Config, Egress, Event as IgmpEvent, Forward, Querier, Snooper, VlanId};
use sdnwire_openflow::action::Action;
use sdnwire_openflow::connection::{Event, State};
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::packet_in::PacketInView;
use sdnwire_openflow::packet_out::PacketOut;
use sdnwire_openflow::port::{PortConfig, PortReason, PortState};
use sdnwire_openflow::{Body, MsgType, PortNo, OFPCML_NO_BUFFER};
use sdnwire_packet::time::Instant;
use sdnwire_packet::{EtherType, IpProtocol, PacketView};

use crate::app::{App, Ctx};
use crate::apps::SimpleSwitch13;

/// Priority of the IGMP and group flows (Ryu's igmplib's).
pub const PRIORITY: u16 = 65535;

/// The querier's default source address.
pub const DEFAULT_QUERIER_IP: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 254);

/// How the application runs IGMP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgmpSettings {
    /// Datapath id of the switch that is the querier (`None`: every switch snoops).
    pub querier_dpid: Option<u64>,
    /// The querier's port to the multicast server.
    pub server_port: u32,
    /// The querier's IPv4 source address. Ryu's igmplib sends 0.0.0.0, but a query from 0.0.0.0
    /// takes no part in the election and makes no router port in the `igmp` crate (nor in
    /// OVS): the snoopers would not learn where the querier is. The default is 10.0.0.254.
    pub querier_ip: Ipv4Addr,
    /// Between the querier's general queries (60 s in Ryu's igmplib).
    pub query_interval: Duration,
    /// Max response time of the general queries, after which silent members are removed (10 s
    /// in Ryu's igmplib).
    pub response_interval: Duration,
}

impl Default for IgmpSettings {
    /// Ryu's igmplib's: switch 0000000000000001 is the querier, the server behind its port 2.
    fn default() -> Self {
        IgmpSettings {
            querier_dpid: Some(1),
            server_port: 2,
            querier_ip: DEFAULT_QUERIER_IP,
            query_interval: Duration::from_secs(60),
            response_interval: sdnwire_packet::igmp::DEFAULT_QUERY_RESPONSE_INTERVAL,
        }
    }
}

/// The IGMP snooping switch, one instance per switch connection.
#[derive(Debug)]
pub struct SimpleSwitchIgmp13 {
    hub: SimpleSwitch13,
    settings: IgmpSettings,
    /// Created at MAIN, when the datapath id is known.
    igmp: Option<Igmp>,
    /// Member ports of each group, from the crate's events.
    groups: BTreeMap<Ipv4Addr, Vec<u32>>,
    /// The group flows in the switch: group → (in_port, output ports).
    flows: BTreeMap<Ipv4Addr, (u32, Vec<u32>)>,
    /// The buffer the crate writes its frames into, reused.
    buf: Vec<u8>,
}

/// The querier or the snooper.
#[derive(Debug)]
enum Igmp {
    Querier(Querier),
    Snooper(Snooper),
}

impl Igmp {
    fn snooper(&self) -> &Snooper {
        match self {
            Igmp::Querier(q) => q,
            Igmp::Snooper(s) => s,
        }
    }

    fn snooper_mut(&mut self) -> &mut Snooper {
        match self {
            Igmp::Querier(q) => q,
            Igmp::Snooper(s) => s,
        }
    }
}

impl SimpleSwitchIgmp13 {
    /// The application with `settings`.
    pub fn new(settings: IgmpSettings) -> Self {
        SimpleSwitchIgmp13 {
            hub: SimpleSwitch13::new(),
            settings,
            igmp: None,
            groups: BTreeMap::new(),
            flows: BTreeMap::new(),
            buf: Vec::new(),
        }
    }

    /// The group flows in the switch: group → (in_port, output ports).
    pub fn flows(&self) -> &BTreeMap<Ipv4Addr, (u32, Vec<u32>)> {
        &self.flows
    }

    fn start(&mut self, cx: &mut Ctx<'_>) {
        let dpid = cx.datapath_id().0;
        let now = cx.now();
        let igmp = if self.settings.querier_dpid == Some(dpid) {
            let mut config = Config {
                query_interval: self.settings.query_interval,
                query_response_interval: self.settings.response_interval,
                ..Config::ryu_igmplib_querier(self.settings.server_port)
            };
            if let Some(q) = config.querier.as_mut() {
                q.address = self.settings.querier_ip;
            }
            cx.log(format_args!(
                "querier on port {} of {}: a general query every {:?}",
                self.settings.server_port,
                cx.datapath_id(),
                self.settings.query_interval
            ));
            Igmp::Querier(Querier::new(config, now))
        } else {
            Igmp::Snooper(Snooper::new(Config::ryu_igmplib(), now))
        };
        self.igmp = Some(igmp);
        cx.add_flow(
            PRIORITY,
            Match::new().eth_type(0x0800).ip_proto(2),
            vec![Action::output_to_controller(OFPCML_NO_BUFFER)],
            None,
        );
        // The querier's first general query is ready.
        self.flush(cx);
    }

    /// The port group traffic comes in on: the server port on the querier, the querier's
    /// port on a snooper (unknown until its first query), else its first router port.
    fn upstream(&self) -> Option<u32> {
        match self.igmp.as_ref()? {
            Igmp::Querier(_) => Some(self.settings.server_port),
            Igmp::Snooper(s) => s
                .querier(VlanId::UNTAGGED)
                .and_then(|q| q.port)
                .or_else(|| s.router_ports(VlanId::UNTAGGED).first().copied()),
        }
    }

    fn packet_in(&mut self, cx: &mut Ctx<'_>, event: &Event, msg: &PacketInView<'_>) {
        let Some(in_port) = msg.in_port() else {
            return self.hub.on_event(cx, event);
        };
        let Ok(view) = PacketView::parse(msg.data) else {
            return self.hub.on_event(cx, event);
        };
        let Some(ip) = view.ipv4() else {
            return self.hub.on_event(cx, event);
        };
        let Some(igmp) = &mut self.igmp else {
            return self.hub.on_event(cx, event);
        };
        let sn = igmp.snooper_mut();
        if ip.protocol() == IpProtocol::IGMP {
            if let Err(e) = sn.handle_frame(cx.now(), in_port.0, None, msg.data) {
                cx.log(format_args!("IGMP: {e}"));
            }
            self.flush(cx);
            return;
        }
        let dst = ip.dst();
        if !dst.is_multicast()
            || view
                .ethernet()
                .is_none_or(|e| e.ethertype() != EtherType::IPV4)
        {
            return self.hub.on_event(cx, event);
        }
        // Multicast data the switch has no flow for: where the crate says (never back out
        // of its in_port).
        let ports: Vec<u32> = match sn.forward_ports(VlanId::UNTAGGED, dst, ip.src(), in_port.0) {
            Forward::Flood => return self.hub.on_event(cx, event),
            f => f.ports().map(|p| p.to_vec()).unwrap_or_default(),
        };
        if !ports.is_empty() {
            let actions = ports.into_iter().map(Action::output);
            cx.send(Body::PacketOut(PacketOut::from_packet_in(msg, actions)));
        }
    }

    /// Sends what the crate wants sent and turns its events into flows and log lines.
    fn flush(&mut self, cx: &mut Ctx<'_>) {
        let Some(igmp) = &mut self.igmp else { return };
        let sn = igmp.snooper_mut();
        while let Some(tx) = sn.poll_transmit(&mut self.buf) {
            // Untagged VLAN only: the frames go out as they are (`tx.tag` is `Tag::None`).
            let out = match tx.egress {
                Egress::Flood { except } => PacketOut::new(except.unwrap_or(PortNo::CONTROLLER.0))
                    .action(Action::output(PortNo::FLOOD)),
                Egress::Port(port) => {
                    PacketOut::new(PortNo::CONTROLLER).action(Action::output(port))
                }
                Egress::RouterPorts { except } => {
                    let ports = sn.router_ports(tx.vlan).iter().copied();
                    let ports: Vec<u32> = ports.filter(|&p| Some(p) != except).collect();
                    if ports.is_empty() {
                        continue;
                    }
                    PacketOut::new(except.unwrap_or(PortNo::CONTROLLER.0))
                        .actions(ports.into_iter().map(Action::output))
                }
                // `Egress` is non-exhaustive: an egress this app does not know is not sent.
                other => {
                    cx.log(format_args!(
                        "IGMP: {} not sent: egress {other} unknown",
                        tx.kind
                    ));
                    continue;
                }
            };
            cx.send(Body::PacketOut(out.data(self.buf.as_slice())));
        }
        let mut events = Vec::new();
        while let Some(ev) = sn.poll_event() {
            events.push(ev);
        }
        let mut resync = false;
        for ev in events {
            let querier = self
                .upstream()
                .map_or_else(|| "None".to_owned(), |p| p.to_string());
            let (what, group, ports) = match ev {
                IgmpEvent::GroupAdded { group, ports, .. } => {
                    ("Multicast Group Added", group, ports)
                }
                IgmpEvent::MemberChanged { group, ports, .. } => {
                    ("Multicast Group Member Changed", group, ports)
                }
                IgmpEvent::GroupRemoved { group, .. } => ("Multicast Group Removed", group, vec![]),
                IgmpEvent::QuerierChanged { querier, .. } => {
                    match querier {
                        Some(q) if !q.is_us() => cx.log(format_args!(
                            "IGMP querier {} on port {}",
                            q.address,
                            q.port.map_or_else(|| "?".to_owned(), |p| p.to_string())
                        )),
                        Some(q) => cx.log(format_args!("IGMP querier: us ({})", q.address)),
                        None => cx.log("IGMP querier: none"),
                    }
                    resync = true;
                    continue;
                }
                IgmpEvent::RouterPortAdded { .. } | IgmpEvent::RouterPortRemoved { .. } => {
                    resync = true;
                    continue;
                }
                IgmpEvent::Resync => {
                    // Events were dropped: the crate's state is the truth.
                    let sn = self.igmp.as_ref().map(Igmp::snooper);
                    self.groups = sn
                        .into_iter()
                        .flat_map(Snooper::groups)
                        .filter(|(vlan, _, _)| *vlan == VlanId::UNTAGGED)
                        .map(|(_, group, ports)| (group, ports.to_vec()))
                        .collect();
                    cx.log("IGMP: resync");
                    resync = true;
                    continue;
                }
                _ => continue,
            };
            let hosts: Vec<String> = ports.iter().map(u32::to_string).collect();
            cx.log(format_args!(
                "{what}: [{group}] querier:[{querier}] hosts:[{}]",
                hosts.join(", ")
            ));
            if ports.is_empty() {
                self.groups.remove(&group);
            } else {
                self.groups.insert(group, ports);
            }
            resync = true;
        }
        if resync {
            self.sync_flows(cx);
        }
    }

    /// Makes the switch's group flows what the groups and the upstream port say.
    fn sync_flows(&mut self, cx: &mut Ctx<'_>) {
        let up = self.upstream();
        let mut want: BTreeMap<Ipv4Addr, (u32, Vec<u32>)> = BTreeMap::new();
        if let Some(up) = up {
            for (g, ports) in &self.groups {
                let outs: Vec<u32> = ports.iter().copied().filter(|&p| p != up).collect();
                if !outs.is_empty() {
                    want.insert(*g, (up, outs));
                }
            }
        }
        let matching =
            |g: Ipv4Addr, in_port: u32| Match::new().in_port(in_port).eth_type(0x0800).ipv4_dst(g);
        for (g, (in_port, _)) in &self.flows {
            if want.get(g).is_none_or(|(p, _)| p != in_port) {
                cx.send(Body::FlowMod(
                    FlowMod::delete_strict()
                        .priority(PRIORITY)
                        .matching(matching(*g, *in_port)),
                ));
            }
        }
        for (g, (in_port, outs)) in &want {
            if self.flows.get(g) != Some(&(*in_port, outs.clone())) {
                // An ADD with the same match and priority replaces the flow's actions.
                cx.add_flow(
                    PRIORITY,
                    matching(*g, *in_port),
                    outs.iter().copied().map(Action::output).collect(),
                    None,
                );
            }
        }
        self.flows = want;
    }
}

impl App for SimpleSwitchIgmp13 {
    fn name(&self) -> &'static str {
        "simple_switch_igmp_13"
    }

    fn on_event(&mut self, cx: &mut Ctx<'_>, event: &Event) {
        match event {
            Event::StateChanged {
                to: State::Main, ..
            } => {
                self.hub.on_event(cx, event);
                self.start(cx);
            }
            Event::Message(f) if f.header.msg_type == MsgType::PACKET_IN => {
                if let Some(msg) = cx.packet_in(event) {
                    self.packet_in(cx, event, &msg);
                }
            }
            Event::PortStatus { reason, port, .. } => {
                // A port that went down or away leaves every group at once.
                let down = *reason == PortReason::DELETE
                    || port.config.contains(PortConfig::PORT_DOWN)
                    || port.state.contains(PortState::LINK_DOWN);
                if down {
                    let now = cx.now();
                    if let Some(igmp) = &mut self.igmp {
                        igmp.snooper_mut().handle_port_down(now, port.port_no.0);
                    }
                    self.flush(cx);
                }
                self.hub.on_event(cx, event);
            }
            _ => self.hub.on_event(cx, event),
        }
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.igmp.as_ref()?.snooper().poll_timeout()
    }

    fn handle_timeout(&mut self, cx: &mut Ctx<'_>) {
        if let Some(igmp) = &mut self.igmp {
            igmp.snooper_mut().handle_timeout(cx.now());
        }
        self.flush(cx);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake::Harness;
    use sdnwire_openflow::packet_in::PacketIn;
    use sdnwire_openflow::Message;
    use sdnwire_packet::igmp::Igmp as IgmpMsg;
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
