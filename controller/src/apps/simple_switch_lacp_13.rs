//! The switching hub with link aggregation of the Ryu book ("Link Aggregation",
//! `simple_switch_lacp_13.py`), as Ryu writes it: it requires [`lacplib`](super::lacplib) as
//! a context, configures the bonded ports through it, switches the packets lacplib hands on
//! ([`EventPacketIn`]) and, on every [`EventSlaveStateChanged`], deletes the learned-MAC
//! flows of that switch and forgets its MAC table, so that traffic is learned again on the
//! ports that carry it.
//!
//! Difference from Ryu's, on purpose: the learned-MAC flows carry [`MAC_FLOW_COOKIE`] and are
//! deleted by one cookie-masked DELETE (Ryu sends one DELETE per learned MAC).

use std::collections::HashMap;

use sdnwire_openflow::features::DatapathId;
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::{Body, PortNo};

use super::lacplib::{EventPacketIn, EventSlaveStateChanged, LacpLibHandle};
use super::simple_switch_13::{send_all, table_miss, MacTable};
use crate::{App, Ctx, Handlers, OfEvent, OfKind, State};

/// The cookie of the learned-MAC flows, so that one DELETE removes them all.
pub const MAC_FLOW_COOKIE: u64 = 0x1acb_0000_0000_0001;

/// The DELETE of every learned-MAC flow.
pub fn delete_learned_flows() -> FlowMod {
    FlowMod::delete()
        .cookie(MAC_FLOW_COOKIE)
        .cookie_mask(u64::MAX)
        .out_port(PortNo::ANY)
}

/// The switching hub with LACP.
#[derive(Debug)]
pub struct SimpleSwitchLacp13 {
    lacp: LacpLibHandle,
    mac_to_port: HashMap<DatapathId, MacTable>,
}

impl SimpleSwitchLacp13 {
    /// The hub over lacplib's `lacp` (whose groups say which ports are bonded).
    pub fn new(lacp: LacpLibHandle) -> Self {
        SimpleSwitchLacp13 {
            lacp,
            mac_to_port: HashMap::new(),
        }
    }

    /// lacplib's handle.
    pub fn lacp(&self) -> &LacpLibHandle {
        &self.lacp
    }

    fn switch_features(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        table_miss(cx, &ev.datapath);
    }

    fn packet_in(&mut self, cx: &mut Ctx<'_, Self>, ev: &EventPacketIn) {
        let ev = &ev.0;
        let Some(Ok(msg)) = ev.packet_in() else {
            return;
        };
        let dpid = ev.dpid();
        let table = self
            .mac_to_port
            .entry(dpid)
            .or_insert_with(|| MacTable::with_cookie(MAC_FLOW_COOKIE));
        let Some(fwd) = table.packet_in(&msg, &mut |a| cx.log(a)) else {
            return;
        };
        cx.log(format_args!(
            "packet in {dpid} {} {} {}",
            fwd.src, fwd.dst, fwd.in_port
        ));
        send_all(cx, &ev.datapath, fwd);
    }

    fn slave_state_changed(&mut self, cx: &mut Ctx<'_, Self>, ev: &EventSlaveStateChanged) {
        let dpid = ev.datapath.id();
        cx.log(format_args!(
            "slave state changed port: {} enabled: {}",
            ev.port, ev.enabled
        ));
        if let Err(e) = ev.datapath.send(Body::FlowMod(delete_learned_flows())) {
            cx.warn(format_args!("{dpid}: cannot delete the learned flows: {e}"));
        }
        if let Some(t) = self.mac_to_port.get_mut(&dpid) {
            t.forget();
        }
    }

    fn dead(&mut self, _cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        self.mac_to_port.remove(&ev.dpid());
    }
}

impl App for SimpleSwitchLacp13 {
    const NAME: &'static str = "simple_switch_lacp_13";

    fn register(h: &mut Handlers<Self>) {
        h.on(OfKind::SwitchFeatures, State::Config, Self::switch_features);
        h.on_event(Self::packet_in);
        h.on_event(Self::slave_state_changed);
        h.on_state_change(State::Dead, Self::dead);
    }
}
