//! Ryu's `ryu.lib.igmplib` as a context: IGMP snooping on every switch, with every protocol
//! decision made by [`sdnwire_igmp`]; this module translates between OpenFlow and the crate,
//! per switch ([`IgmpSwitch`], sans-I/O):
//!
//! - When the switch is ready (MAIN): a priority-65535 flow sending IGMP (`ip,nw_proto=2`) to
//!   the controller whole. The switch whose datapath id is the configured querier's (Ryu's
//!   igmplib's `set_querier_mode(dpid=1, server_port=2)`) runs an [`sdnwire_igmp::Querier`]
//!   (Ryu's `IgmpQuerier`: a general query every interval, members learned from reports,
//!   expired when they stop answering); every other switch an [`sdnwire_igmp::Snooper`] with
//!   [`sdnwire_igmp::Config::ryu_igmplib`] (Ryu's `IgmpSnooper`: the querier's port learned
//!   from its queries, the first report after a query passed on to it, a group-specific query
//!   out of a port a leave came from).
//! - IGMP packet-ins go to the crate; what it wants sent ([`sdnwire_igmp::Transmit`]) goes
//!   out as PACKET_OUTs (queries flooded, reports and leaves to the querier's port).
//! - Its group events become flows and [`EventMulticastGroupStateChanged`]s (Ryu's): for each
//!   group a priority-65535 flow `ip,in_port=<upstream>,nw_dst=<group> actions=output:<member
//!   ports>`, where the upstream port is the server port on the querier and the querier's
//!   port on a snooper; added when the group is, replaced when its members change, deleted
//!   when it is removed.
//! - A port that goes down (PORT_STATUS) leaves every group at once.
//! - Other multicast packet-ins (before a group's flow exists) are sent where the crate's
//!   [`forward_ports`](sdnwire_igmp::Snooper::forward_ports) says; every other PACKET_IN is
//!   published as [`EventPacketIn`] for the switching hub (Ryu's `igmplib.EventPacketIn`).
//!
//! Flows are per group, as Ryu's igmplib's: IGMPv3 source filtering is not pushed into the
//! switch (a member port gets the group's traffic from every source).

use core::net::Ipv4Addr;
use core::time::Duration;
use std::collections::BTreeMap;

use sdnwire_igmp::{Config, Egress, Event as IgmpEvent, Forward, Querier, Snooper, VlanId};
use sdnwire_openflow::action::Action;
use sdnwire_openflow::connection::Event;
use sdnwire_openflow::features::DatapathId;
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::packet_in::PacketInView;
use sdnwire_openflow::packet_out::PacketOut;
use sdnwire_openflow::port::{Port, PortConfig, PortReason, PortState};
use sdnwire_openflow::{Body, MsgType, PortNo, OFPCML_NO_BUFFER};
use sdnwire_packet::time::Instant;
use sdnwire_packet::{EtherType, IpProtocol, PacketView};

use super::per_switch::PerSwitch;
use crate::{App, Ctx, Datapath, Handlers, OfEvent, OfKind, Service, State};

/// Priority of the IGMP and group flows (Ryu's igmplib's).
pub const PRIORITY: u16 = 65535;

/// The querier's default source address.
pub const DEFAULT_QUERIER_IP: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 254);

/// How igmplib runs IGMP.
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

/// What happened to a multicast group (Ryu's `MG_GROUP_ADDED`, `MG_MEMBER_CHANGED`,
/// `MG_GROUP_REMOVED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupChange {
    /// The group has its first member port.
    Added,
    /// Its member ports changed.
    MemberChanged,
    /// It has no member port any more.
    Removed,
}

impl GroupChange {
    /// The words Ryu's `simple_switch_igmp_13` logs.
    pub fn ryu_words(self) -> &'static str {
        match self {
            GroupChange::Added => "Multicast Group Added",
            GroupChange::MemberChanged => "Multicast Group Member Changed",
            GroupChange::Removed => "Multicast Group Removed",
        }
    }
}

/// What an [`IgmpSwitch`] wants done.
// `Body` is large (its PACKET_IN keeps a short match and frame inline, 328 bytes); the outputs
// of one input are collected in a short vector and sent at once (a few copies of each, no
// allocation per output), so they stay unboxed.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum IgmpOutput {
    /// Send this message to the switch.
    Send(Body),
    /// Log this line.
    Log(String),
    /// A group changed (Ryu's `EventMulticastGroupStateChanged`).
    Group {
        /// What happened.
        reason: GroupChange,
        /// The group.
        address: Ipv4Addr,
        /// The upstream port (the querier's, or the server's on the querier), if known.
        src: Option<u32>,
        /// The member ports.
        dsts: Vec<u32>,
    },
}

/// igmplib for one switch, sans-I/O: its inputs are the switch's events with the time, its
/// outputs [`IgmpOutput`]s, its timer [`IgmpSwitch::poll_timeout`].
#[derive(Debug)]
pub struct IgmpSwitch {
    settings: IgmpSettings,
    dpid: DatapathId,
    /// Created by [`IgmpSwitch::start`], when the datapath id is known.
    igmp: Option<Igmp>,
    /// Member ports of each group, from the crate's events.
    groups: BTreeMap<Ipv4Addr, Vec<u32>>,
    /// The group flows in the switch: group → (in_port, output ports).
    flows: BTreeMap<Ipv4Addr, (u32, Vec<u32>)>,
    /// The buffer the crate writes its frames into, reused.
    buf: Vec<u8>,
}

fn add_flow(priority: u16, match_: Match, actions: Vec<Action>) -> IgmpOutput {
    IgmpOutput::Send(Body::FlowMod(
        FlowMod::add()
            .priority(priority)
            .matching(match_)
            .apply_actions(actions),
    ))
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

impl IgmpSwitch {
    /// igmplib with `settings` for one switch, off until [`IgmpSwitch::start`].
    pub fn new(settings: IgmpSettings) -> Self {
        IgmpSwitch {
            settings,
            dpid: DatapathId::default(),
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

    /// When [`IgmpSwitch::handle_timeout`] is due.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.igmp.as_ref()?.snooper().poll_timeout()
    }

    /// The querier's or snooper's state, once started.
    pub fn snooper(&self) -> Option<&Snooper> {
        self.igmp.as_ref().map(Igmp::snooper)
    }

    /// Starts IGMP on switch `dpid`, which is ready: a querier or a snooper, and the flow that
    /// brings IGMP to the controller.
    pub fn start(&mut self, now: Instant, dpid: DatapathId, out: &mut Vec<IgmpOutput>) {
        self.dpid = dpid;
        let dpid = dpid.0;
        let igmp = if self.settings.querier_dpid == Some(dpid) {
            let mut config = Config {
                query_interval: self.settings.query_interval,
                query_response_interval: self.settings.response_interval,
                ..Config::ryu_igmplib_querier(self.settings.server_port)
            };
            if let Some(q) = config.querier.as_mut() {
                q.address = self.settings.querier_ip;
            }
            out.push(IgmpOutput::Log(format!(
                "querier on port {} of {}: a general query every {:?}",
                self.settings.server_port, self.dpid, self.settings.query_interval
            )));
            Igmp::Querier(Querier::new(config, now))
        } else {
            Igmp::Snooper(Snooper::new(Config::ryu_igmplib(), now))
        };
        self.igmp = Some(igmp);
        out.push(add_flow(
            PRIORITY,
            Match::new().eth_type(0x0800).ip_proto(2),
            vec![Action::output_to_controller(OFPCML_NO_BUFFER)],
        ));
        // The querier's first general query is ready.
        self.flush(out);
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

    /// A PACKET_IN: `true` when igmplib took it (IGMP, or multicast data it forwarded);
    /// `false`: the packet is the switching hub's.
    pub fn packet_in(
        &mut self,
        now: Instant,
        msg: &PacketInView<'_>,
        out: &mut Vec<IgmpOutput>,
    ) -> bool {
        let Some(in_port) = msg.in_port() else {
            return false;
        };
        let Ok(view) = PacketView::parse(msg.data) else {
            return false;
        };
        let Some(ip) = view.ipv4() else {
            return false;
        };
        let Some(igmp) = &mut self.igmp else {
            return false;
        };
        let sn = igmp.snooper_mut();
        if ip.protocol() == IpProtocol::IGMP {
            if let Err(e) = sn.handle_frame(now, in_port.0, None, msg.data) {
                out.push(IgmpOutput::Log(format!("IGMP: {e}")));
            }
            self.flush(out);
            return true;
        }
        let dst = ip.dst();
        if !dst.is_multicast()
            || view
                .ethernet()
                .is_none_or(|e| e.ethertype() != EtherType::IPV4)
        {
            return false;
        }
        // Multicast data the switch has no flow for: where the crate says (never back out
        // of its in_port).
        let ports: Vec<u32> = match sn.forward_ports(VlanId::UNTAGGED, dst, ip.src(), in_port.0) {
            Forward::Flood => return false,
            f => f.ports().map(|p| p.to_vec()).unwrap_or_default(),
        };
        if !ports.is_empty() {
            let actions = ports.into_iter().map(Action::output);
            out.push(IgmpOutput::Send(Body::PacketOut(
                PacketOut::from_packet_in(msg, actions),
            )));
        }
        true
    }

    /// A PORT_STATUS from the switch: a port that went down or away leaves every group at
    /// once.
    pub fn port_status(
        &mut self,
        now: Instant,
        reason: PortReason,
        port: &Port,
        out: &mut Vec<IgmpOutput>,
    ) {
        let down = reason == PortReason::DELETE
            || port.config.contains(PortConfig::PORT_DOWN)
            || port.state.contains(PortState::LINK_DOWN);
        if down {
            if let Some(igmp) = &mut self.igmp {
                igmp.snooper_mut().handle_port_down(now, port.port_no.0);
            }
            self.flush(out);
        }
    }

    /// The instant [`IgmpSwitch::poll_timeout`] gave has come (harmless when early).
    pub fn handle_timeout(&mut self, now: Instant, out: &mut Vec<IgmpOutput>) {
        if let Some(igmp) = &mut self.igmp {
            igmp.snooper_mut().handle_timeout(now);
        }
        self.flush(out);
    }

    /// Sends what the crate wants sent and turns its events into flows and log lines.
    fn flush(&mut self, out: &mut Vec<IgmpOutput>) {
        let Some(igmp) = &mut self.igmp else { return };
        let sn = igmp.snooper_mut();
        while let Some(tx) = sn.poll_transmit(&mut self.buf) {
            // Untagged VLAN only: the frames go out as they are (`tx.tag` is `Tag::None`).
            let po = match tx.egress {
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
                    out.push(IgmpOutput::Log(format!(
                        "IGMP: {} not sent: egress {other} unknown",
                        tx.kind
                    )));
                    continue;
                }
            };
            out.push(IgmpOutput::Send(Body::PacketOut(
                po.data(self.buf.as_slice()),
            )));
        }
        let mut events = Vec::new();
        while let Some(ev) = sn.poll_event() {
            events.push(ev);
        }
        let mut resync = false;
        for ev in events {
            let querier = self.upstream();
            let (what, group, ports) = match ev {
                IgmpEvent::GroupAdded { group, ports, .. } => (GroupChange::Added, group, ports),
                IgmpEvent::MemberChanged { group, ports, .. } => {
                    (GroupChange::MemberChanged, group, ports)
                }
                IgmpEvent::GroupRemoved { group, .. } => (GroupChange::Removed, group, vec![]),
                IgmpEvent::QuerierChanged { querier, .. } => {
                    let line = match querier {
                        Some(q) if !q.is_us() => format!(
                            "IGMP querier {} on port {}",
                            q.address,
                            q.port.map_or_else(|| "?".to_owned(), |p| p.to_string())
                        ),
                        Some(q) => format!("IGMP querier: us ({})", q.address),
                        None => "IGMP querier: none".to_owned(),
                    };
                    out.push(IgmpOutput::Log(line));
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
                    out.push(IgmpOutput::Log("IGMP: resync".to_owned()));
                    resync = true;
                    continue;
                }
                _ => continue,
            };
            out.push(IgmpOutput::Group {
                reason: what,
                address: group,
                src: querier,
                dsts: ports.clone(),
            });
            if ports.is_empty() {
                self.groups.remove(&group);
            } else {
                self.groups.insert(group, ports);
            }
            resync = true;
        }
        if resync {
            self.sync_flows(out);
        }
    }

    /// Makes the switch's group flows what the groups and the upstream port say.
    fn sync_flows(&mut self, out: &mut Vec<IgmpOutput>) {
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
                out.push(IgmpOutput::Send(Body::FlowMod(
                    FlowMod::delete_strict()
                        .priority(PRIORITY)
                        .matching(matching(*g, *in_port)),
                )));
            }
        }
        for (g, (in_port, outs)) in &want {
            if self.flows.get(g) != Some(&(*in_port, outs.clone())) {
                // An ADD with the same match and priority replaces the flow's actions.
                out.push(add_flow(
                    PRIORITY,
                    matching(*g, *in_port),
                    outs.iter().copied().map(Action::output).collect(),
                ));
            }
        }
        self.flows = want;
    }
}

// ------------------------------------------------------------------ the context

/// A multicast group changed on a switch (Ryu's `igmplib.EventMulticastGroupStateChanged`).
#[derive(Debug, Clone)]
pub struct EventMulticastGroupStateChanged {
    /// The switch.
    pub datapath: Datapath,
    /// What happened.
    pub reason: GroupChange,
    /// The group.
    pub address: Ipv4Addr,
    /// The upstream port (the querier's, or the server's on the querier), if known.
    pub src: Option<u32>,
    /// The member ports.
    pub dsts: Vec<u32>,
}

/// A PACKET_IN that is not igmplib's (Ryu's `igmplib.EventPacketIn`): the switch applications
/// that require igmplib handle these in place of OpenFlow's.
#[derive(Debug, Clone)]
pub struct EventPacketIn(pub OfEvent);

/// How igmplib runs, set by the applications that require it (Ryu's
/// `self._snoop.set_querier_mode(dpid=..., server_port=...)`).
#[derive(Debug, Clone, Default)]
pub struct IgmpLibHandle {
    settings: std::sync::Arc<std::sync::Mutex<IgmpSettings>>,
}

impl IgmpLibHandle {
    fn lock(&self) -> std::sync::MutexGuard<'_, IgmpSettings> {
        self.settings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Switch `dpid` is the querier, the multicast server behind its port `server_port`
    /// (`None`: every switch snoops). From the switches' next connection on.
    pub fn set_querier_mode(&self, dpid: Option<u64>, server_port: u32) {
        let mut s = self.lock();
        s.querier_dpid = dpid;
        s.server_port = server_port;
    }

    /// Replaces the settings whole.
    pub fn set_settings(&self, settings: IgmpSettings) {
        *self.lock() = settings;
    }

    /// The settings.
    pub fn settings(&self) -> IgmpSettings {
        self.lock().clone()
    }
}

/// igmplib, the context.
#[derive(Debug, Default)]
pub struct IgmpLib {
    handle: IgmpLibHandle,
    switches: PerSwitch<IgmpSwitch>,
}

impl IgmpLib {
    /// igmplib with Ryu's igmplib's settings (switch 1 the querier, server on its port 2)
    /// until the applications that require it change them.
    pub fn new() -> Self {
        Self::default()
    }

    /// The IGMP state of switch `dpid`.
    pub fn switch(&self, dpid: DatapathId) -> Option<&IgmpSwitch> {
        self.switches.get(dpid)
    }

    fn apply(&mut self, cx: &mut Ctx<'_, Self>, dpid: DatapathId, out: Vec<IgmpOutput>) {
        let Some(dp) = self.switches.datapath(dpid) else {
            return;
        };
        let dp = dp.clone();
        for o in out {
            match o {
                IgmpOutput::Send(body) => {
                    let what = body.msg_type();
                    if let Err(e) = dp.send(body) {
                        cx.warn(format_args!("{dpid}: cannot send {what}: {e}"));
                    }
                }
                IgmpOutput::Log(l) => cx.log(format_args!("{dpid}: {l}")),
                IgmpOutput::Group {
                    reason,
                    address,
                    src,
                    dsts,
                } => {
                    cx.publish_state_change(EventMulticastGroupStateChanged {
                        datapath: dp.clone(),
                        reason,
                        address,
                        src,
                        dsts,
                    });
                }
            }
        }
        self.rearm(cx);
    }

    /// One timer, at the earliest of the switches' deadlines.
    fn rearm(&mut self, cx: &mut Ctx<'_, Self>) {
        self.switches.rearm(cx, Self::timeout);
    }

    fn timeout(&mut self, cx: &mut Ctx<'_, Self>) {
        for (dpid, out) in self.switches.fire(cx.now()) {
            self.apply(cx, dpid, out);
        }
        self.rearm(cx);
    }

    fn state_change(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        if self.switches.forget_dead(ev) {
            self.rearm(cx);
            return;
        }
        let dpid = ev.dpid();
        let mut sw = IgmpSwitch::new(self.handle.settings());
        let mut out = Vec::new();
        sw.start(cx.now(), dpid, &mut out);
        self.switches.insert(ev.datapath.clone(), dpid, sw);
        self.apply(cx, dpid, out);
    }

    fn packet_in(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        let dpid = ev.dpid();
        let mut out = Vec::new();
        let taken = match (self.switches.get_mut(dpid), ev.packet_in()) {
            (Some(s), Some(Ok(msg))) => s.packet_in(cx.now(), &msg, &mut out),
            (_, Some(Err(e))) => {
                cx.warn(format_args!("{dpid}: malformed PACKET_IN ignored: {e}"));
                return;
            }
            _ => false,
        };
        self.apply(cx, dpid, out);
        if !taken {
            cx.publish(EventPacketIn(ev.clone()));
        }
    }

    fn port_status(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        let dpid = ev.dpid();
        let Event::PortStatus { reason, port, .. } = &*ev.event else {
            return;
        };
        let Some(s) = self.switches.get_mut(dpid) else {
            return;
        };
        let mut out = Vec::new();
        s.port_status(cx.now(), *reason, port, &mut out);
        self.apply(cx, dpid, out);
    }
}

impl App for IgmpLib {
    const NAME: &'static str = "igmplib";

    fn register(h: &mut Handlers<Self>) {
        h.on_state_change([State::Main, State::Dead], Self::state_change);
        h.on_message(MsgType::PACKET_IN, State::Main, Self::packet_in);
        h.on(OfKind::PortStatus, State::Main, Self::port_status);
    }
}

impl Service for IgmpLib {
    type Handle = IgmpLibHandle;

    fn handle(&self) -> IgmpLibHandle {
        self.handle.clone()
    }
}

impl super::per_switch::Machine for IgmpSwitch {
    type Output = IgmpOutput;

    fn poll_timeout(&self) -> Option<Instant> {
        IgmpSwitch::poll_timeout(self)
    }

    fn handle_timeout(&mut self, now: Instant, out: &mut Vec<IgmpOutput>) {
        IgmpSwitch::handle_timeout(self, now, out);
    }
}
