//! The snooping switch: [`Snooper`].

use core::net::Ipv4Addr;
use std::collections::VecDeque;
use std::time::Instant;

use crate::config::Config;
use crate::types::{Event, Forward, MembershipRef, QuerierInfo, Stats, Transmit, VlanId};

/// An IGMP snooping switch (RFC 4541) keeping RFC 3376 §6 state per (VLAN, group, port).
///
/// See the [crate documentation](crate) for the order in which to call the methods.
#[derive(Debug)]
pub struct Snooper {
    config: Config,
    now: Option<Instant>,
    transmits: VecDeque<Transmit>,
    events: VecDeque<Event>,
    stats: Stats,
}

impl Snooper {
    /// A snooper with `config`. Call [`handle_timeout`](Snooper::handle_timeout) once right
    /// away if it has a querier: it starts at the first call that gives it the time.
    pub fn new(config: Config) -> Self {
        Snooper {
            config,
            now: None,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            stats: Stats::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// An Ethernet frame (IGMP or PIM; anything else is counted and ignored) came in on `port`.
    /// `vlan` is the frame's VLAN if the runtime already stripped the tag; `None` reads the tag
    /// from the frame, if any.
    pub fn handle_frame(&mut self, now: Instant, port: u32, vlan: VlanId, frame: &[u8]) {
        let _ = (now, port, vlan, frame);
    }

    /// Time has come ([`poll_timeout`](Snooper::poll_timeout)). Harmless when early or repeated.
    pub fn handle_timeout(&mut self, now: Instant) {
        let _ = now;
    }

    /// A port went down: it leaves every group and stops being a learned router port.
    pub fn handle_port_down(&mut self, now: Instant, port: u32) {
        let _ = (now, port);
    }

    /// The next frame to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When to call [`handle_timeout`](Snooper::handle_timeout) next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        None
    }

    /// Where traffic to `group` from `source` on `vlan` goes.
    pub fn forward_ports(&self, vlan: VlanId, group: Ipv4Addr, source: Ipv4Addr) -> Forward<'_> {
        let _ = (vlan, group, source);
        Forward::Flood
    }

    /// Every membership, in no particular order.
    pub fn memberships(&self) -> impl Iterator<Item = MembershipRef<'_>> + '_ {
        core::iter::empty()
    }

    /// The router ports of `vlan` (static and learned), sorted.
    pub fn router_ports(&self, vlan: VlanId) -> Vec<u32> {
        let _ = vlan;
        Vec::new()
    }

    /// The querier of `vlan`, if one is known (or we are it).
    pub fn querier(&self, vlan: VlanId) -> Option<QuerierInfo> {
        let _ = vlan;
        None
    }
}
