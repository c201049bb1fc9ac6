//! What lacplib and igmplib share: one sans-I/O machine per switch, driven by one timer at the
//! earliest of the machines' deadlines.

use crate::Instant;
use std::collections::HashMap;

use sdnwire_openflow::features::DatapathId;

use crate::{App, Ctx, Datapath, OfEvent, State, TimerId};

/// A sans-I/O machine that one switch drives.
pub(crate) trait Machine {
    /// What it asks of the runtime.
    type Output;
    /// Its next deadline.
    fn poll_timeout(&self) -> Option<Instant>;
    /// Runs what is due at `now`.
    fn handle_timeout(&mut self, now: Instant, out: &mut Vec<Self::Output>);
}

/// The machines of the connected switches and the one timer that serves them.
#[derive(Debug)]
pub(crate) struct PerSwitch<M> {
    switches: HashMap<DatapathId, (Datapath, M)>,
    timer: Option<(Instant, TimerId)>,
}

impl<M> Default for PerSwitch<M> {
    fn default() -> Self {
        PerSwitch {
            switches: HashMap::new(),
            timer: None,
        }
    }
}

impl<M: Machine> PerSwitch<M> {
    /// The machine of switch `dpid`.
    pub(crate) fn get(&self, dpid: DatapathId) -> Option<&M> {
        self.switches.get(&dpid).map(|s| &s.1)
    }

    /// The machine of switch `dpid`, to drive.
    pub(crate) fn get_mut(&mut self, dpid: DatapathId) -> Option<&mut M> {
        self.switches.get_mut(&dpid).map(|s| &mut s.1)
    }

    /// The switch's handle.
    pub(crate) fn datapath(&self, dpid: DatapathId) -> Option<&Datapath> {
        self.switches.get(&dpid).map(|s| &s.0)
    }

    /// A switch's machine, from its connection on.
    pub(crate) fn insert(&mut self, datapath: Datapath, dpid: DatapathId, machine: M) {
        self.switches.insert(dpid, (datapath, machine));
    }

    /// Forgets the switch of a DEAD event (unless a new connection of the same datapath id
    /// replaced it already); true when the event was a DEAD one.
    pub(crate) fn forget_dead(&mut self, ev: &OfEvent) -> bool {
        if ev.phase != State::Dead {
            return false;
        }
        let dpid = ev.dpid();
        if self.switches.get(&dpid).is_some_and(|s| s.0 == ev.datapath) {
            self.switches.remove(&dpid);
        }
        true
    }

    /// Sets the one timer at the earliest deadline, `timeout` to run then.
    pub(crate) fn rearm<A: App>(
        &mut self,
        cx: &mut Ctx<'_, A>,
        timeout: impl for<'c> FnOnce(&mut A, &mut Ctx<'c, A>) + Send + 'static,
    ) {
        let next = self
            .switches
            .values()
            .filter_map(|s| s.1.poll_timeout())
            .min();
        if self.timer.map(|t| t.0) == next {
            return;
        }
        if let Some((_, id)) = self.timer.take() {
            cx.cancel(id);
        }
        if let Some(at) = next {
            self.timer = Some((at, cx.at(at, timeout)));
        }
    }

    /// The timer fired: runs every machine that is due, giving each switch's outputs.
    pub(crate) fn fire(&mut self, now: Instant) -> Vec<(DatapathId, Vec<M::Output>)> {
        self.timer = None;
        let mut due = Vec::new();
        for (dpid, (_, m)) in &mut self.switches {
            if m.poll_timeout().is_some_and(|t| t <= now) {
                let mut out = Vec::new();
                m.handle_timeout(now, &mut out);
                due.push((*dpid, out));
            }
        }
        due
    }
}
