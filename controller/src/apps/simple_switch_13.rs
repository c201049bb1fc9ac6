//! The switching hub of the Ryu book ("Switching Hub", `simple_switch_13.py`), as Ryu writes
//! it: one application over every switch, a MAC table per datapath id.
//!
//! - On FEATURES_REPLY (CONFIG phase): the table-miss flow (priority 0, empty match, output to
//!   CONTROLLER with OFPCML_NO_BUFFER).
//! - On every PACKET_IN (MAIN phase): learn the source MAC on the input port; if the
//!   destination is known, install a priority-1 flow `in_port, eth_dst → output:port` (with
//!   the switch's buffer id when the packet is buffered, and then nothing more), else flood;
//!   send the packet on with a PACKET_OUT carrying the data when the switch did not buffer it.
//!   LLDP is ignored.
//!
//! The decision itself is [`MacTable::packet_in`], sans-I/O: the LACP and IGMP switches and
//! the `examples` crate's per-connection hub use the same code.

use core::fmt;
use std::collections::HashMap;

use sdnwire_openflow::action::Action;
use sdnwire_openflow::features::DatapathId;
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::packet_in::PacketInView;
use sdnwire_openflow::packet_out::PacketOut;
use sdnwire_openflow::{Body, BufferId, MsgType, PortNo};
use sdnwire_packet::ethernet::EthernetView;
use sdnwire_packet::{EtherType, MacAddr};

use crate::{App, Ctx, Datapath, Handlers, OfEvent, OfKind, State};

/// The most MAC addresses learned per switch; past it, new addresses are not learned (their
/// packets are flooded) and the first refusal is logged.
pub const MAX_MACS: usize = 65536;

/// One switch's MAC table and the switching hub's decision for a PACKET_IN.
#[derive(Debug, Clone, Default)]
pub struct MacTable {
    mac_to_port: HashMap<MacAddr, PortNo>,
    full_logged: bool,
    cookie: u64,
}

/// What the hub sends for a PACKET_IN: a flow, a PACKET_OUT, or both (in that order).
#[derive(Debug, Clone, PartialEq)]
pub struct Forward {
    /// The packet's source.
    pub src: MacAddr,
    /// Its destination.
    pub dst: MacAddr,
    /// The port it came in on.
    pub in_port: PortNo,
    /// The flow for its destination, when known.
    pub flow: Option<FlowMod>,
    /// The packet sent on, unless the flow carries the switch's buffer.
    pub packet_out: Option<PacketOut>,
}

impl Forward {
    /// The messages, in the order to send them.
    pub fn into_bodies(self) -> impl Iterator<Item = Body> {
        self.flow
            .map(Body::FlowMod)
            .into_iter()
            .chain(self.packet_out.map(Body::PacketOut))
    }
}

impl MacTable {
    /// An empty table whose learned-MAC flows have cookie 0, as the book's.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty table whose learned-MAC flows carry `cookie`, so that one cookie-masked DELETE
    /// removes them all (the LACP switch does on every port state change).
    pub fn with_cookie(cookie: u64) -> Self {
        MacTable {
            cookie,
            ..Self::default()
        }
    }

    /// The port `mac` was learned on.
    pub fn port_of(&self, mac: MacAddr) -> Option<PortNo> {
        self.mac_to_port.get(&mac).copied()
    }

    /// How many addresses are learned.
    pub fn len(&self) -> usize {
        self.mac_to_port.len()
    }

    /// Whether no address is learned.
    pub fn is_empty(&self) -> bool {
        self.mac_to_port.is_empty()
    }

    /// Forgets every learned address (after the flows were deleted, say).
    pub fn forget(&mut self) {
        self.mac_to_port.clear();
    }

    /// Learns from `msg` and says what to send; `None` for a packet the hub ignores (LLDP, no
    /// in_port, shorter than an Ethernet header: `log` is told why). `log` also hears of a
    /// truncated packet and of the first address the full table refuses.
    pub fn packet_in(
        &mut self,
        msg: &PacketInView<'_>,
        log: &mut dyn FnMut(fmt::Arguments<'_>),
    ) -> Option<Forward> {
        if usize::from(msg.total_len) > msg.data.len() {
            log(format_args!(
                "packet truncated: only {} of {} bytes",
                msg.data.len(),
                msg.total_len
            ));
        }
        let Some(in_port) = msg.in_port() else {
            log(format_args!("packet-in without in_port: ignored"));
            return None;
        };
        let Ok(eth) = EthernetView::parse(msg.data) else {
            log(format_args!(
                "packet-in shorter than an Ethernet header: ignored"
            ));
            return None;
        };
        if eth.ethertype() == EtherType::LLDP {
            return None;
        }
        let (src, dst) = (eth.src(), eth.dst());
        // Learn the source, so that the next packet to it need not be flooded.
        if self.mac_to_port.len() < MAX_MACS || self.mac_to_port.contains_key(&src) {
            self.mac_to_port.insert(src, in_port);
        } else if !self.full_logged {
            self.full_logged = true;
            log(format_args!(
                "MAC table full ({MAX_MACS}): {src} not learned"
            ));
        }
        let out_port = self.port_of(dst).unwrap_or(PortNo::FLOOD);
        let actions = vec![Action::output(out_port)];
        let mut fwd = Forward {
            src,
            dst,
            in_port,
            flow: None,
            packet_out: None,
        };
        if out_port != PortNo::FLOOD {
            // A flow, so that the switch forwards the next packets itself.
            let mut flow = FlowMod::add()
                .cookie(self.cookie)
                .priority(1)
                .matching(Match::new().in_port(in_port).eth_dst(dst))
                .apply_actions(actions.clone());
            if msg.buffer_id != BufferId::NO_BUFFER {
                flow = flow.buffer_id(msg.buffer_id);
                fwd.flow = Some(flow);
                return Some(fwd);
            }
            fwd.flow = Some(flow);
        }
        fwd.packet_out = Some(PacketOut::from_packet_in(msg, actions));
        Some(fwd)
    }
}

/// Sends what the hub decided; a refusal is logged.
pub(crate) fn send_all<A: App>(cx: &Ctx<'_, A>, dp: &Datapath, fwd: Forward) {
    for body in fwd.into_bodies() {
        let what = body.msg_type();
        if let Err(e) = dp.send(body) {
            cx.warn(format_args!("{}: cannot send {what}: {e}", dp.id()));
        }
    }
}

/// Installs the table-miss flow; a refusal is logged.
pub(crate) fn table_miss<A: App>(cx: &Ctx<'_, A>, dp: &Datapath) {
    if let Err(e) = dp.add_table_miss_flow() {
        cx.warn(format_args!(
            "{}: cannot add the table-miss flow: {e}",
            dp.id()
        ));
    }
}

/// The switching hub.
#[derive(Debug, Default)]
pub struct SimpleSwitch13 {
    mac_to_port: HashMap<DatapathId, MacTable>,
}

impl SimpleSwitch13 {
    /// A switching hub that knows no address yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn switch_features(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        table_miss(cx, &ev.datapath);
    }

    fn packet_in(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        let msg = match ev.packet_in() {
            Some(Ok(m)) => m,
            Some(Err(e)) => {
                cx.warn(format_args!("malformed PACKET_IN ignored: {e}"));
                return;
            }
            None => return,
        };
        let dpid = ev.dpid();
        let table = self.mac_to_port.entry(dpid).or_default();
        let Some(fwd) = table.packet_in(&msg, &mut |a| cx.log(a)) else {
            return;
        };
        cx.log(format_args!(
            "packet in {dpid} {} {} {}",
            fwd.src, fwd.dst, fwd.in_port
        ));
        send_all(cx, &ev.datapath, fwd);
    }

    fn state_change(&mut self, _cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        // A switch that is gone forgets its table (it starts afresh when it comes back).
        self.mac_to_port.remove(&ev.dpid());
    }

    /// The table of datapath `dpid`.
    pub fn table(&self, dpid: DatapathId) -> Option<&MacTable> {
        self.mac_to_port.get(&dpid)
    }
}

impl App for SimpleSwitch13 {
    const NAME: &'static str = "simple_switch_13";

    fn register(h: &mut Handlers<Self>) {
        h.on(OfKind::SwitchFeatures, State::Config, Self::switch_features);
        h.on_message(MsgType::PACKET_IN, State::Main, Self::packet_in);
        h.on_state_change(State::Dead, Self::state_change);
    }
}
