//! Ryu's `ryu.lib.lacplib` as a context: the controller answers, for the switch, the LACPDUs
//! of a partner that bonds a group of the switch's ports, and tells the applications that
//! require it when a port starts or stops carrying traffic ([`EventSlaveStateChanged`]).
//! Every LACP decision is made by [`sdnwire_lacp`] in its [`Mode::Lacplib`] mode (answer each
//! LACPDU, watch the port with the timeout the partner asks for, report it enabled while
//! LACPDUs come and disabled when they stop); this module only translates, per switch
//! ([`LacpGroup`], sans-I/O):
//!
//! - When the switch is ready (MAIN): a [`sdnwire_lacp::Bond`] whose system id is the
//!   switch's LOCAL port MAC, one lacplib port per group port (its own MAC as the frames'
//!   source).
//! - A PACKET_IN of a slow-protocols frame on a group port goes to
//!   [`Bond::handle_frame`]; the answer goes back by PACKET_OUT with output `IN_PORT`. When
//!   the crate reports the partner's timeout ([`sdnwire_lacp::Event::PartnerTimeout`]), a
//!   priority-65535 flow sends that port's LACPDUs to the controller: `in_port`, `eth_src`
//!   (the partner's MAC), `eth_type=0x8809`, `idle_timeout` = that timeout (3 s fast, 90 s
//!   slow), `SEND_FLOW_REM`.
//! - A FLOW_REMOVED of such a flow is lacplib's signal that LACPDUs stopped: the port is
//!   disabled (the crate, watching the same silence, says so too; the port is disabled once).
//! - Every other PACKET_IN is published as [`EventPacketIn`], which the switch applications
//!   handle in place of OpenFlow's (Ryu's `lacplib.EventPacketIn`).
//!
//! Differences from Ryu's lacplib, on purpose: slow protocols frames on ports outside the
//! group are dropped, not answered and not switched (802.1Q never forwards 01:80:c2:00:00:02);
//! a port's link going down (PORT_STATUS) is told to the crate.

use core::fmt;
use core::time::Duration;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sdnwire_lacp::{Bond, Config, Mode, PortConfig};
use sdnwire_openflow::action::Action;
use sdnwire_openflow::connection::Event;
use sdnwire_openflow::features::DatapathId;
use sdnwire_openflow::flow_mod::{FlowMod, FlowModFlags};
use sdnwire_openflow::flow_removed::FlowRemoved;
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::packet_in::PacketInView;
use sdnwire_openflow::packet_out::PacketOut;
use sdnwire_openflow::port::{Port, PortState};
use sdnwire_openflow::{Body, Message, MsgType, PortNo, OFPCML_MAX};
use sdnwire_packet::ethernet::EthernetView;
use sdnwire_packet::time::Instant;
use sdnwire_packet::{EtherType, MacAddr};

use super::per_switch::PerSwitch;
use crate::{App, Ctx, Datapath, Handlers, OfEvent, Service, State};

/// The priority of the flows that bring LACPDUs to the controller (Ryu's lacplib's).
pub const LACP_PRIORITY: u16 = 65535;
/// The slow protocols EtherType, as a match field.
const ETH_TYPE_SLOW: u16 = sdnwire_lacp::ETHERTYPE_SLOW;

/// What a [`LacpGroup`] wants done.
// `Body` is large (its PACKET_IN keeps a short match and frame inline, 328 bytes); the outputs
// of one input are collected in a short vector and sent at once (a few copies of each, no
// allocation per output), so they stay unboxed.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum LacpOutput {
    /// Send this message to the switch.
    Send(Body),
    /// Log this line.
    Log(String),
    /// A group port started (`enabled`) or stopped carrying traffic (Ryu's
    /// `EventSlaveStateChanged`).
    SlaveStateChanged {
        /// The port.
        port: u32,
        /// Whether it carries traffic now.
        enabled: bool,
    },
}

/// lacplib for one switch, sans-I/O: its inputs are the switch's events with the time, its
/// outputs [`LacpOutput`]s, its timer [`LacpGroup::poll_timeout`].
#[derive(Debug)]
pub struct LacpGroup {
    group: Vec<u32>,
    dpid: DatapathId,
    bond: Option<Bond>,
    /// The buffer the bond writes each frame into.
    frame: Vec<u8>,
    /// Per group port: the partner MAC and idle timeout of the LACP flow installed (if any).
    lacp_flow: HashMap<u32, (MacAddr, u16)>,
    /// Per group port: the timeout the partner asks for (the crate's last PartnerTimeout).
    partner_timeout: HashMap<u32, Duration>,
    /// Per group port: the Ethernet source of the last LACPDU handed to the bond.
    last_src: HashMap<u32, MacAddr>,
    /// Per group port: whether it carries traffic (lacplib's slave `enabled`).
    enabled: HashMap<u32, bool>,
    outside_logged: bool,
    bad_logged: bool,
}

fn log(out: &mut Vec<LacpOutput>, text: fmt::Arguments<'_>) {
    out.push(LacpOutput::Log(text.to_string()));
}

fn port_up(p: &Port) -> bool {
    !p.state.contains(PortState::LINK_DOWN)
}

impl LacpGroup {
    /// LACP on the ports of `group` (OpenFlow port numbers), off until [`LacpGroup::start`].
    pub fn new(group: Vec<u32>) -> Self {
        LacpGroup {
            group,
            dpid: DatapathId::default(),
            bond: None,
            frame: Vec::new(),
            lacp_flow: HashMap::new(),
            partner_timeout: HashMap::new(),
            last_src: HashMap::new(),
            enabled: HashMap::new(),
            outside_logged: false,
            bad_logged: false,
        }
    }

    /// The group's ports.
    pub fn ports(&self) -> &[u32] {
        &self.group
    }

    /// Whether group port `port` carries traffic.
    pub fn is_enabled(&self, port: u32) -> bool {
        self.enabled.get(&port).copied().unwrap_or(false)
    }

    /// The LACP state of the group (the crate's bond), once started.
    pub fn bond(&self) -> Option<&Bond> {
        self.bond.as_ref()
    }

    /// When [`LacpGroup::handle_timeout`] is due.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.bond.as_ref()?.poll_timeout()
    }

    /// Starts LACP on a switch that is ready: system id = its LOCAL port MAC, each port's
    /// frames from the port's own MAC.
    pub fn start(
        &mut self,
        now: Instant,
        dpid: DatapathId,
        local_hw_addr: Option<MacAddr>,
        ports: &[Port],
        out: &mut Vec<LacpOutput>,
    ) {
        self.dpid = dpid;
        let Some(system) = local_hw_addr else {
            log(
                out,
                format_args!(
                    "the switch has no LOCAL port in PORT_DESC: no system id, LACP stays off"
                ),
            );
            return;
        };
        let port = |no: u32| ports.iter().find(|p| p.port_no == PortNo(no));
        let mut bond = Bond::new(Config::new(system).max_ports(self.group.len().max(1)), now);
        for &no in &self.group {
            let mac = port(no).map_or(system, |p| p.hw_addr);
            let config = PortConfig::new(mac).mode(Mode::Lacplib);
            if let Err(e) = bond.add_port(no, config) {
                log(out, format_args!("LACP port {no}: {e}"));
                continue;
            }
            // Ryu's lacplib ignores link state; the crate is told links are up, and
            // PORT_STATUS changes later.
            let up = port(no).is_none_or(port_up);
            let _ = bond.handle_link(now, no, up);
            self.enabled.insert(no, false);
        }
        log(
            out,
            format_args!(
                "SW={} LACP on ports {:?}, system id {system}",
                self.dpid, self.group
            ),
        );
        self.bond = Some(bond);
        self.drain(out);
    }

    /// Sends what the bond wants sent and acts on its events.
    fn drain(&mut self, out: &mut Vec<LacpOutput>) {
        let Some(bond) = self.bond.as_mut() else {
            return;
        };
        let mut frames = Vec::new();
        while let Some(tx) = bond.poll_transmit(&mut self.frame) {
            frames.push((tx.port, self.frame.clone()));
        }
        let mut events = Vec::new();
        while let Some(ev) = bond.poll_event() {
            events.push(ev);
        }
        for (port, frame) in frames {
            let po = PacketOut::new(port)
                .action(Action::output(PortNo::IN_PORT))
                .data(frame);
            out.push(LacpOutput::Send(Body::PacketOut(po)));
        }
        for ev in events {
            self.lacp_event(&ev, out);
        }
    }

    fn lacp_event(&mut self, ev: &sdnwire_lacp::Event, out: &mut Vec<LacpOutput>) {
        let sw = self.dpid;
        match *ev {
            sdnwire_lacp::Event::PortEnabled { port } => {
                log(
                    out,
                    format_args!("SW={sw} PORT={port} the slave i/f has just been up."),
                );
                self.set_enabled(port, true, out);
                self.install_lacp_flow(port, out);
            }
            sdnwire_lacp::Event::PortDisabled { port } => {
                log(
                    out,
                    format_args!("SW={sw} PORT={port} LACP exchange timeout has occurred."),
                );
                self.set_enabled(port, false, out);
            }
            sdnwire_lacp::Event::PartnerTimeout { port, timeout } => {
                self.partner_timeout.insert(port, timeout);
                log(
                    out,
                    format_args!("SW={sw} PORT={port} the timeout time has changed."),
                );
                self.install_lacp_flow(port, out);
            }
            // Events were dropped (the queue holds 1024): the bond's state is the truth.
            sdnwire_lacp::Event::Resync => {
                let ports: Vec<(u32, bool, Option<Duration>)> = self
                    .bond
                    .as_ref()
                    .map(|b| {
                        b.ports()
                            .filter_map(|p| b.port_state(p))
                            .map(|s| (s.port, s.enabled, s.partner_timeout))
                            .collect()
                    })
                    .unwrap_or_default();
                for (port, on, timeout) in ports {
                    if let Some(t) = timeout {
                        self.partner_timeout.insert(port, t);
                    }
                    self.set_enabled(port, on, out);
                    if on {
                        self.install_lacp_flow(port, out);
                    }
                }
            }
            _ => {}
        }
    }

    /// The flow that brings `port`'s LACPDUs to the controller, unless the one installed
    /// already matches the partner's MAC and timeout.
    fn install_lacp_flow(&mut self, port: u32, out: &mut Vec<LacpOutput>) {
        let (Some(&src), Some(&timeout)) =
            (self.last_src.get(&port), self.partner_timeout.get(&port))
        else {
            return;
        };
        let idle = u16::try_from(timeout.as_secs()).unwrap_or(u16::MAX);
        if self.lacp_flow.get(&port) == Some(&(src, idle)) {
            return;
        }
        let flow = FlowMod::add()
            .priority(LACP_PRIORITY)
            .idle_timeout(idle)
            .flags(FlowModFlags::SEND_FLOW_REM)
            .matching(
                Match::new()
                    .in_port(port)
                    .eth_src(src)
                    .eth_type(ETH_TYPE_SLOW),
            )
            .apply_actions([Action::output_to_controller(OFPCML_MAX)]);
        out.push(LacpOutput::Send(Body::FlowMod(flow)));
        self.lacp_flow.insert(port, (src, idle));
    }

    fn set_enabled(&mut self, port: u32, on: bool, out: &mut Vec<LacpOutput>) {
        let was = self.enabled.insert(port, on).unwrap_or(false);
        if !on {
            // The flow is gone (or about to idle out); the next LACPDU installs it again.
            self.lacp_flow.remove(&port);
        }
        if was != on {
            out.push(LacpOutput::SlaveStateChanged { port, enabled: on });
        }
    }

    /// A FLOW_REMOVED from the switch.
    pub fn flow_removed(&mut self, now: Instant, msg: &FlowRemoved, out: &mut Vec<LacpOutput>) {
        if msg.priority != LACP_PRIORITY || msg.match_.get_eth_type() != Some(ETH_TYPE_SLOW) {
            return;
        }
        let Some(PortNo(port)) = msg.match_.get_in_port() else {
            return;
        };
        if !self.group.contains(&port) {
            return;
        }
        // Only the live flow counts: one we already gave up (the crate disabled the port
        // first) or replaced (another partner MAC) idling out says nothing new.
        let live = self.lacp_flow.get(&port).map(|&(src, _)| src);
        let is_live = live.is_some() && msg.match_.get_eth_src() == live;
        log(
            out,
            format_args!(
                "SW={} PORT={port} LACP flow removed ({}){}",
                self.dpid,
                msg.reason,
                if is_live {
                    ""
                } else {
                    ", no longer ours: ignored"
                }
            ),
        );
        if !is_live {
            return;
        }
        self.lacp_flow.remove(&port);
        if let Some(bond) = self.bond.as_mut() {
            // The switch saw no LACPDU for the flow's idle timeout; the crate's own watch of
            // the same silence may not have fired yet (its clock is ours, the switch's is its
            // own): it disables the port now, and the next LACPDU enables it again.
            let _ = bond.handle_pdu_timeout(now, port);
        }
        self.drain(out);
    }

    /// A PORT_STATUS from the switch.
    pub fn port_status(
        &mut self,
        now: Instant,
        port: &Port,
        previous: Option<&Port>,
        out: &mut Vec<LacpOutput>,
    ) {
        let PortNo(no) = port.port_no;
        if !self.group.contains(&no) {
            return;
        }
        let (up, was_up) = (port_up(port), previous.is_none_or(port_up));
        if up == was_up {
            return;
        }
        log(
            out,
            format_args!("LACP port {no}: link {}", if up { "up" } else { "down" }),
        );
        if let Some(bond) = self.bond.as_mut() {
            let _ = bond.handle_link(now, no, up);
        }
        self.drain(out);
    }

    /// A PACKET_IN: `true` when it was a slow-protocols frame, LACP's (answered, or dropped
    /// outside the group); `false`: the packet is the switching hub's.
    pub fn packet_in(
        &mut self,
        now: Instant,
        msg: &PacketInView<'_>,
        out: &mut Vec<LacpOutput>,
    ) -> bool {
        let (Some(PortNo(port)), Ok(eth)) = (msg.in_port(), EthernetView::parse(msg.data)) else {
            return false;
        };
        if eth.ethertype() != EtherType(ETH_TYPE_SLOW) {
            return false;
        }
        let Some(bond) = self.bond.as_mut().filter(|_| self.group.contains(&port)) else {
            if !self.outside_logged {
                self.outside_logged = true;
                log(
                    out,
                    format_args!(
                        "slow protocols frame on port {port}, outside the LACP group: dropped"
                    ),
                );
            }
            return true;
        };
        // The LACP flow is (re)installed only while an LACPDU is handled (the crate's
        // PortEnabled or PartnerTimeout): its source is the partner's MAC.
        self.last_src.insert(port, eth.src());
        // A bad or foreign frame is an error (counted by the crate); the first is logged.
        if let Err(e) = bond.handle_frame(now, port, msg.data) {
            if !self.bad_logged {
                self.bad_logged = true;
                log(
                    out,
                    format_args!(
                        "SW={} PORT={port} bad slow-protocols frame: {e} (further ones are \
                         only counted)",
                        self.dpid
                    ),
                );
            }
        }
        self.drain(out);
        true
    }

    /// The instant [`LacpGroup::poll_timeout`] gave has come (harmless when early).
    pub fn handle_timeout(&mut self, now: Instant, out: &mut Vec<LacpOutput>) {
        if let Some(bond) = self.bond.as_mut() {
            bond.handle_timeout(now);
        }
        self.drain(out);
    }
}

// ------------------------------------------------------------------ the context

/// A group port of a switch started or stopped carrying traffic (Ryu's
/// `lacplib.EventSlaveStateChanged`).
#[derive(Debug, Clone)]
pub struct EventSlaveStateChanged {
    /// The switch.
    pub datapath: Datapath,
    /// The port.
    pub port: u32,
    /// Whether it carries traffic now.
    pub enabled: bool,
}

/// A PACKET_IN that is not LACP's (Ryu's `lacplib.EventPacketIn`): the switch applications
/// that require lacplib handle these in place of OpenFlow's.
#[derive(Debug, Clone)]
pub struct EventPacketIn(pub OfEvent);

/// Which ports of which switch are bonded: what the applications that require lacplib
/// configure (Ryu's `self._lacp.add(dpid=..., ports=[1, 2])`).
#[derive(Debug, Clone, Default)]
pub struct LacpLibHandle {
    groups: Arc<Mutex<Groups>>,
}

#[derive(Debug, Default)]
struct Groups {
    by_dpid: HashMap<DatapathId, Vec<u32>>,
    any: Option<Vec<u32>>,
}

impl LacpLibHandle {
    fn groups(&self) -> std::sync::MutexGuard<'_, Groups> {
        self.groups
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Bonds `ports` of switch `dpid` (from its next connection on).
    pub fn add(&self, dpid: DatapathId, ports: Vec<u32>) {
        self.groups().by_dpid.insert(dpid, ports);
    }

    /// Bonds `ports` of every switch that has no group of its own.
    pub fn add_any(&self, ports: Vec<u32>) {
        self.groups().any = Some(ports);
    }

    /// The group of switch `dpid`.
    pub fn group(&self, dpid: DatapathId) -> Option<Vec<u32>> {
        let g = self.groups();
        g.by_dpid.get(&dpid).or(g.any.as_ref()).cloned()
    }
}

/// lacplib, the context.
#[derive(Debug, Default)]
pub struct LacpLib {
    handle: LacpLibHandle,
    switches: PerSwitch<LacpGroup>,
}

impl LacpLib {
    /// lacplib with no group yet (the applications that require it add theirs).
    pub fn new() -> Self {
        Self::default()
    }

    /// The LACP state of switch `dpid`.
    pub fn group(&self, dpid: DatapathId) -> Option<&LacpGroup> {
        self.switches.get(dpid)
    }

    fn apply(&mut self, cx: &mut Ctx<'_, Self>, dpid: DatapathId, out: Vec<LacpOutput>) {
        let Some(dp) = self.switches.datapath(dpid) else {
            return;
        };
        let dp = dp.clone();
        for o in out {
            match o {
                LacpOutput::Send(body) => {
                    let what = body.msg_type();
                    if let Err(e) = dp.send(body) {
                        cx.warn(format_args!("{dpid}: cannot send {what}: {e}"));
                    }
                }
                LacpOutput::Log(l) => cx.log(l),
                LacpOutput::SlaveStateChanged { port, enabled } => {
                    cx.publish_state_change(EventSlaveStateChanged {
                        datapath: dp.clone(),
                        port,
                        enabled,
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
        let Some(ports) = self.handle.group(dpid) else {
            return;
        };
        let dp = &ev.datapath;
        let mut group = LacpGroup::new(ports);
        let mut out = Vec::new();
        group.start(cx.now(), dpid, dp.local_hw_addr(), &dp.ports(), &mut out);
        self.switches.insert(dp.clone(), dpid, group);
        self.apply(cx, dpid, out);
    }

    fn packet_in(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        let dpid = ev.dpid();
        let mut out = Vec::new();
        let lacp = match (self.switches.get_mut(dpid), ev.packet_in()) {
            (Some(g), Some(Ok(msg))) => g.packet_in(cx.now(), &msg, &mut out),
            (_, Some(Err(e))) => {
                cx.warn(format_args!("{dpid}: malformed PACKET_IN ignored: {e}"));
                return;
            }
            _ => false,
        };
        self.apply(cx, dpid, out);
        if !lacp {
            cx.publish(EventPacketIn(ev.clone()));
        }
    }

    fn flow_removed(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        let dpid = ev.dpid();
        let Some(g) = self.switches.get_mut(dpid) else {
            return;
        };
        let msg = match ev.decode() {
            Some(Ok(Message {
                body: Body::FlowRemoved(m),
                ..
            })) => m,
            Some(Err(e)) => {
                cx.warn(format_args!("{dpid}: malformed FLOW_REMOVED ignored: {e}"));
                return;
            }
            _ => return,
        };
        let mut out = Vec::new();
        g.flow_removed(cx.now(), &msg, &mut out);
        self.apply(cx, dpid, out);
    }

    fn port_status(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        let dpid = ev.dpid();
        let Event::PortStatus { port, previous, .. } = &*ev.event else {
            return;
        };
        let Some(g) = self.switches.get_mut(dpid) else {
            return;
        };
        let mut out = Vec::new();
        g.port_status(cx.now(), port, previous.as_ref(), &mut out);
        self.apply(cx, dpid, out);
    }
}

impl App for LacpLib {
    const NAME: &'static str = "lacplib";

    fn register(h: &mut Handlers<Self>) {
        h.on_state_change([State::Main, State::Dead], Self::state_change);
        h.on_message(MsgType::PACKET_IN, State::Main, Self::packet_in);
        h.on_message(MsgType::FLOW_REMOVED, State::Main, Self::flow_removed);
        h.on(crate::OfKind::PortStatus, State::Main, Self::port_status);
    }
}

impl Service for LacpLib {
    type Handle = LacpLibHandle;

    fn handle(&self) -> LacpLibHandle {
        self.handle.clone()
    }
}

impl super::per_switch::Machine for LacpGroup {
    type Output = LacpOutput;

    fn poll_timeout(&self) -> Option<Instant> {
        LacpGroup::poll_timeout(self)
    }

    fn handle_timeout(&mut self, now: Instant, out: &mut Vec<LacpOutput>) {
        LacpGroup::handle_timeout(self, now, out);
    }
}
