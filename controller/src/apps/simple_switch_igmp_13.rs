//! The IGMP snooping switch of the Ryu book ("IGMP Snooping", `simple_switch_igmp_13.py`), as
//! Ryu writes it: it requires [`igmplib`](super::igmplib) as a context, sets its querier mode,
//! switches the packets igmplib hands on ([`EventPacketIn`]) and logs each group change
//! ([`EventMulticastGroupStateChanged`]) in Ryu's words, after the switch's datapath id:
//! `0000000000000002: Multicast Group Added: [225.0.0.1] querier:[4] hosts:[1, 3]`.

use std::collections::HashMap;

use sdnwire_openflow::features::DatapathId;

use super::igmplib::{EventMulticastGroupStateChanged, EventPacketIn, IgmpLibHandle};
use super::simple_switch_13::{send_all, table_miss, MacTable};
use crate::{App, Ctx, Handlers, OfEvent, OfKind, State};

/// The IGMP snooping switch.
#[derive(Debug)]
pub struct SimpleSwitchIgmp13 {
    snoop: IgmpLibHandle,
    mac_to_port: HashMap<DatapathId, MacTable>,
}

impl SimpleSwitchIgmp13 {
    /// The hub over igmplib's `snoop` (whose settings say which switch is the querier).
    pub fn new(snoop: IgmpLibHandle) -> Self {
        SimpleSwitchIgmp13 {
            snoop,
            mac_to_port: HashMap::new(),
        }
    }

    /// igmplib's handle.
    pub fn snoop(&self) -> &IgmpLibHandle {
        &self.snoop
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

    fn status_changed(&mut self, cx: &mut Ctx<'_, Self>, ev: &EventMulticastGroupStateChanged) {
        let hosts: Vec<String> = ev.dsts.iter().map(u32::to_string).collect();
        let querier = ev.src.map_or_else(|| "None".to_owned(), |p| p.to_string());
        cx.log(format_args!(
            "{}: {}: [{}] querier:[{querier}] hosts:[{}]",
            ev.datapath.id(),
            ev.reason.ryu_words(),
            ev.address,
            hosts.join(", ")
        ));
    }

    fn dead(&mut self, _cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        self.mac_to_port.remove(&ev.dpid());
    }
}

impl App for SimpleSwitchIgmp13 {
    const NAME: &'static str = "simple_switch_igmp_13";

    fn register(h: &mut Handlers<Self>) {
        h.on(OfKind::SwitchFeatures, State::Config, Self::switch_features);
        h.on_event(Self::packet_in);
        h.on_event(Self::status_changed);
        h.on_state_change(State::Dead, Self::dead);
    }
}
