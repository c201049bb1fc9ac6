//! The bond: per-port 802.1AX machines, the selection logic and the output queues.

use alloc::collections::VecDeque;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::Cell;
use core::mem;
use core::time::Duration;

use sdnwire_packet::ethernet::EthernetView;
use sdnwire_packet::slow::{
    Lacp, LacpInfo, LacpState, LacpView, Marker, MarkerTlvType, MarkerView,
};
use sdnwire_packet::time::Instant;
use sdnwire_packet::walk::Walker;
use sdnwire_packet::{CodecError, EmitContext, LayerKind, MacAddr, Protocol};

use crate::config::{
    Config, Mode, PortConfig, Rate, AGGREGATE_WAIT_TIME, CHURN_DETECTION_TIME, FAST_PERIODIC_TIME,
    LONG_TIMEOUT_TIME, MAX_TX_PER_FAST_PERIOD, SHORT_TIMEOUT_TIME, SLOW_PERIODIC_TIME,
};
use crate::error::BadFrame;
use crate::error::Error;
use crate::event::Event;
use crate::state::{ChurnState, Counters, MuxState, PeriodicState, PortState, RxState, Stats};
use crate::transmit::{Transmit, TransmitKind};
use crate::{ETHERTYPE_SLOW, FRAME_LEN};

/// The identity of a link aggregation group as the selection logic sees it (802.1AX-2014
/// §6.3.6: the actor system is the bond's, so it is left out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct LagKey {
    actor_key: u16,
    partner_system_priority: u16,
    partner_system: MacAddr,
    partner_key: u16,
}

/// Port identifier to slot: a dense table for small identifiers (the common case: OpenFlow
/// port numbers, interface indexes), a sorted table for the others. Both are allocated for
/// `max_ports` ports up front, so adding and removing ports allocates nothing.
#[derive(Debug)]
struct PortIndex {
    /// `dense[id]` is the slot + 1, or 0.
    dense: Vec<u32>,
    /// Sorted by identifier.
    sparse: Vec<(u32, usize)>,
}

impl PortIndex {
    fn new(max_ports: usize) -> Self {
        let dense = max_ports.saturating_mul(4).clamp(1024, 1 << 20);
        PortIndex {
            dense: vec![0; dense],
            sparse: Vec::with_capacity(max_ports),
        }
    }

    fn get(&self, id: u32) -> Option<usize> {
        match self.dense.get(id as usize) {
            Some(&s) => s.checked_sub(1).map(|s| s as usize),
            None => {
                let i = self.sparse.binary_search_by_key(&id, |e| e.0).ok()?;
                self.sparse.get(i).map(|e| e.1)
            }
        }
    }

    fn insert(&mut self, id: u32, slot: usize) {
        match self.dense.get_mut(id as usize) {
            // Slots are below max_ports, which the dense table's size bounds.
            Some(s) => *s = u32::try_from(slot + 1).unwrap_or(0),
            None => match self.sparse.binary_search_by_key(&id, |e| e.0) {
                Ok(i) => {
                    if let Some(e) = self.sparse.get_mut(i) {
                        e.1 = slot;
                    }
                }
                Err(i) => self.sparse.insert(i, (id, slot)),
            },
        }
    }

    fn remove(&mut self, id: u32) {
        match self.dense.get_mut(id as usize) {
            Some(s) => *s = 0,
            None => {
                if let Ok(i) = self.sparse.binary_search_by_key(&id, |e| e.0) {
                    self.sparse.remove(i);
                }
            }
        }
    }
}

/// A group and the aggregator it uses.
#[derive(Debug, Clone, Copy)]
struct Lag {
    aggregator: usize,
    members: u32,
}

/// The groups in use, sorted by key: at most one per port, allocated for `max_ports` groups
/// up front (a `BTreeMap` would allocate as groups come and go).
#[derive(Debug)]
struct LagTable(Vec<(LagKey, Lag)>);

impl LagTable {
    fn get(&self, key: &LagKey) -> Option<&Lag> {
        let i = self.0.binary_search_by(|e| e.0.cmp(key)).ok()?;
        self.0.get(i).map(|e| &e.1)
    }

    /// Adds a member to the group `key`, which uses aggregator `aggregator` if it is new.
    fn join(&mut self, key: LagKey, aggregator: usize) {
        match self.0.binary_search_by(|e| e.0.cmp(&key)) {
            Ok(i) => {
                if let Some(e) = self.0.get_mut(i) {
                    e.1.members += 1;
                }
            }
            Err(i) => self.0.insert(
                i,
                (
                    key,
                    Lag {
                        aggregator,
                        members: 1,
                    },
                ),
            ),
        }
    }

    /// Removes a member from the group `key`; the group goes when its last member does.
    fn leave(&mut self, key: &LagKey) {
        if let Ok(i) = self.0.binary_search_by(|e| e.0.cmp(key)) {
            let gone = self.0.get_mut(i).is_some_and(|e| {
                e.1.members = e.1.members.saturating_sub(1);
                e.1.members == 0
            });
            if gone {
                self.0.remove(i);
            }
        }
    }
}

/// Identity fields compared by update_Selected / update_Default_Selected: everything but the
/// state octet, plus the Aggregation bit.
fn same_identity(a: &LacpInfo, b: &LacpInfo) -> bool {
    a.port == b.port
        && a.port_priority == b.port_priority
        && a.system == b.system
        && a.system_priority == b.system_priority
        && a.key == b.key
        && a.state.aggregation() == b.state.aggregation()
}

/// The partner identity [`Event::PartnerChanged`] reports: system, key and port with their
/// priorities (not the state octet).
fn same_partner(a: &LacpInfo, b: &LacpInfo) -> bool {
    a.system == b.system
        && a.system_priority == b.system_priority
        && a.key == b.key
        && a.port == b.port
        && a.port_priority == b.port_priority
}

/// `Instant + Duration`, saturating (quinn-proto #290: `Instant` arithmetic must not panic).
fn after(now: Instant, d: Duration) -> Instant {
    now.saturating_add(d)
}

/// Earliest of two optional instants.
fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// `a <= b` where `None` is "never".
fn no_later(a: Option<Instant>, b: Option<Instant>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x <= y,
        (_, None) => true,
        (None, Some(_)) => false,
    }
}

/// True when an optional deadline has come.
fn due(t: Option<Instant>, now: Instant) -> bool {
    t.is_some_and(|t| t <= now)
}

/// The administrative partner of every port: no system, no key, long timeout, passive,
/// aggregatable, out of sync (so a defaulted port never collects or distributes).
const PARTNER_ADMIN: LacpInfo = LacpInfo {
    system_priority: 0,
    system: MacAddr::ZERO,
    key: 0,
    port_priority: 0,
    port: 0,
    state: LacpState::AGGREGATION,
};

/// Ryu's lacplib actor system priority.
const LACPLIB_SYSTEM_PRIORITY: u16 = 0xffff;
/// Ryu's lacplib actor port priority.
const LACPLIB_PORT_PRIORITY: u16 = 0xff;

/// One port and its machines.
#[derive(Debug, Clone)]
struct Port {
    id: u32,
    cfg: PortConfig,
    number: u16,
    /// 802.1AX port_enabled.
    link_up: bool,
    rx: RxState,
    periodic: PeriodicState,
    mux: MuxState,
    /// Selected = SELECTED (there is no STANDBY).
    selected: bool,
    /// The aggregator slot the port is selected to or attached to, until the mux detaches.
    aggregator: Option<usize>,
    /// The group the port counts in, while `aggregator` is set.
    lag: Option<LagKey>,
    ready_n: bool,
    ntt: bool,
    /// Actor_Oper_Port_State bits that the machines own (sync, collecting, distributing,
    /// defaulted, expired); activity, timeout and aggregation come from `cfg`.
    actor_state: LacpState,
    partner: LacpInfo,
    current_while: Option<Instant>,
    periodic_at: Option<Instant>,
    wait_while: Option<Instant>,
    actor_churn: ChurnState,
    actor_churn_at: Option<Instant>,
    partner_churn: ChurnState,
    partner_churn_at: Option<Instant>,
    /// When the last three LACPDUs were sent (a ring).
    tx_times: [Option<Instant>; MAX_TX_PER_FAST_PERIOD],
    tx_next: usize,
    /// NTT is held back by the rate limit until then.
    tx_hold: Option<Instant>,
    lacpdu_queued: bool,
    marker_queued: bool,
    /// Requester port, system and transaction of the marker to answer.
    marker: (u16, MacAddr, u32),
    lacplib_queued: bool,
    /// The actor information of the last LACPDU received (lacplib mode).
    lacplib_req: LacpInfo,
    lacplib_timeout: Option<Duration>,
    lacplib_deadline: Option<Instant>,
    /// The port carries traffic (PortEnabled was the last of PortEnabled/PortDisabled).
    enabled: bool,
    /// Queued in the run list.
    to_run: bool,
    /// The port has seen its first input time (its link came up, or was set).
    started: bool,
    /// `next_wake()` as of the end of the port's last run.
    wake: Option<Instant>,
    counters: Counters,
}

impl Port {
    fn new(id: u32, number: u16, cfg: PortConfig) -> Self {
        Port {
            id,
            cfg,
            number,
            link_up: false,
            rx: RxState::PortDisabled,
            periodic: PeriodicState::NoPeriodic,
            mux: MuxState::Detached,
            selected: false,
            aggregator: None,
            lag: None,
            ready_n: false,
            ntt: true,
            actor_state: LacpState::DEFAULTED,
            partner: PARTNER_ADMIN,
            current_while: None,
            periodic_at: None,
            wait_while: None,
            actor_churn: ChurnState::Monitor,
            actor_churn_at: None,
            partner_churn: ChurnState::Monitor,
            partner_churn_at: None,
            tx_times: [None; MAX_TX_PER_FAST_PERIOD],
            tx_next: 0,
            tx_hold: None,
            lacpdu_queued: false,
            marker_queued: false,
            marker: (0, MacAddr::ZERO, 0),
            lacplib_queued: false,
            lacplib_req: LacpInfo::default(),
            lacplib_timeout: None,
            lacplib_deadline: None,
            enabled: false,
            to_run: false,
            started: false,
            wake: None,
            counters: Counters::default(),
        }
    }

    fn lacplib(&self) -> bool {
        self.cfg.mode == Mode::Lacplib
    }

    /// Actor_Oper_Port_State.
    fn actor_state(&self) -> LacpState {
        self.actor_state
            .with_activity(self.cfg.mode == Mode::Active)
            .with_timeout(self.cfg.rate == Rate::Fast)
            .with_aggregation(self.cfg.aggregatable)
    }

    /// The actor information sent in LACPDUs.
    fn actor_info(&self, system: MacAddr, system_priority: u16) -> LacpInfo {
        LacpInfo::new(
            system_priority,
            system,
            self.cfg.key,
            self.cfg.priority,
            self.number,
            self.actor_state(),
        )
    }

    /// Ryu's lacplib answer to `req`, as (actor, partner).
    fn lacplib_reply(&self, system: MacAddr) -> (LacpInfo, LacpInfo) {
        let req = self.lacplib_req;
        let copied = LacpState::TIMEOUT
            | LacpState::AGGREGATION
            | LacpState::SYNCHRONIZATION
            | LacpState::COLLECTING
            | LacpState::DISTRIBUTING;
        let actor = LacpInfo::new(
            LACPLIB_SYSTEM_PRIORITY,
            system,
            req.key,
            LACPLIB_PORT_PRIORITY,
            self.number,
            req.state & copied,
        );
        (actor, req)
    }

    /// The earliest timer of the port.
    fn next_wake(&self) -> Option<Instant> {
        let mut t = earliest(self.current_while, self.periodic_at);
        t = earliest(t, self.wait_while);
        t = earliest(t, self.actor_churn_at);
        t = earliest(t, self.partner_churn_at);
        t = earliest(t, self.tx_hold);
        earliest(t, self.lacplib_deadline)
    }

    /// The group the port belongs to, `None` for an individual link.
    fn lag_key(&self) -> Option<LagKey> {
        let individual = !self.cfg.aggregatable
            || !self.partner.state.aggregation()
            || self.rx == RxState::LacpDisabled;
        (!individual).then_some(LagKey {
            actor_key: self.cfg.key,
            partner_system_priority: self.partner.system_priority,
            partner_system: self.partner.system,
            partner_key: self.partner.key,
        })
    }
}

/// A set of ports of one system running LACP: the sans-I/O 802.1AX machine.
///
/// The [crate documentation](crate) sorts the methods into getters, `handle_*` inputs,
/// mutators and `poll_*` outputs, says in which order to poll, and has an example.
///
/// Ports are named by `u32` identifiers (an OpenFlow port number, an interface index); their
/// LACPDU port numbers are the identifiers or [`PortConfig::number`]. An aggregator is named
/// by the identifier of the port it belongs to (every port has one; the selection logic
/// gives a group the aggregator of one of its members).
#[derive(Debug)]
pub struct Bond {
    config: Config,
    /// Port slots; `None` for a removed port's slot, reused by the next `add_port`.
    ports: Vec<Option<Port>>,
    index: PortIndex,
    lags: LagTable,
    /// Per aggregator slot: ports whose `aggregator` is it.
    agg_users: Vec<u32>,
    /// Per aggregator slot: ports WAITING on it whose wait_while has not expired.
    agg_waiting: Vec<u32>,
    run: VecDeque<usize>,
    tx: VecDeque<(usize, TransmitKind)>,
    /// At most `config.max_events`; emptied when an event does not fit.
    events: VecDeque<Event>,
    /// An event did not fit: events are dropped until [`Event::Resync`] is polled.
    resync: bool,
    stats: Stats,
    /// The latest time an input brought.
    last_now: Instant,
    /// Ports added and not started yet.
    unstarted: usize,
    /// The earliest `wake` of all ports; `None` when it must be recomputed.
    wake: Cell<Option<Option<Instant>>>,
}

impl Bond {
    /// A bond with no ports, running from `now`. Allocates every queue and table for
    /// [`Config::max_ports`] ports and [`Config::max_events`] events.
    pub fn new(config: Config, now: Instant) -> Self {
        let n = config.max_ports;
        Bond {
            ports: Vec::with_capacity(n),
            index: PortIndex::new(n),
            lags: LagTable(Vec::with_capacity(n)),
            agg_users: Vec::with_capacity(n),
            agg_waiting: Vec::with_capacity(n),
            run: VecDeque::with_capacity(n),
            tx: VecDeque::with_capacity(n.saturating_mul(3)),
            events: VecDeque::with_capacity(config.max_events),
            resync: false,
            stats: Stats::default(),
            last_now: now,
            unstarted: 0,
            wake: Cell::new(Some(None)),
            config,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Mutators
    // -----------------------------------------------------------------------------------------

    /// Adds port `port`, its link **up**. The port starts (its link comes up, its timers run)
    /// at the next input: any `handle_*` call, [`handle_timeout`](Bond::handle_timeout)
    /// included, and [`poll_timeout`](Bond::poll_timeout) says that this is due at once
    /// (until then [`port_state`](Bond::port_state) shows the port not started yet:
    /// PORT_DISABLED, `link_up` false). If the link is down, make [`handle_link`](Bond::handle_link) with `up = false` that next
    /// input: the port then starts down, without a carrier change. Errors: the identifier is
    /// already used, the bond has [`Config::max_ports`] ports, or the identifier needs a
    /// [`PortConfig::number`].
    pub fn add_port(&mut self, port: u32, config: PortConfig) -> Result<(), Error> {
        if self.index.get(port).is_some() {
            return Err(Error::DuplicatePort { port });
        }
        let number = match config.number {
            Some(n) => n,
            None => u16::try_from(port).map_err(|_| Error::PortNumberTooLarge { port })?,
        };
        let slot = match self.ports.iter().position(Option::is_none) {
            Some(s) => s,
            None if self.ports.len() < self.config.max_ports => {
                self.ports.push(None);
                self.agg_users.push(0);
                self.agg_waiting.push(0);
                self.ports.len() - 1
            }
            None => {
                return Err(Error::TooManyPorts {
                    max: self.config.max_ports,
                })
            }
        };
        if let Some(p) = self.ports.get_mut(slot) {
            *p = Some(Port::new(port, number, config));
        }
        self.index.insert(port, slot);
        self.unstarted += 1;
        Ok(())
    }

    /// Starts the ports added since the last input: their links come up.
    fn start_ports(&mut self, now: Instant) {
        if self.unstarted == 0 {
            return;
        }
        self.unstarted = 0;
        for slot in 0..self.ports.len() {
            let start = self
                .with_port(slot, |p| !mem::replace(&mut p.started, true))
                .unwrap_or(false);
            if start {
                self.link_up(slot, now);
            }
        }
    }

    /// Removes port `port`: it leaves its aggregator at once (events say so), and ports that
    /// used its aggregator select another.
    pub fn remove_port(&mut self, now: Instant, port: u32) -> Result<(), Error> {
        let slot = self.slot(port)?;
        let now = self.clock(now);
        self.with_port(slot, |p| p.link_up = false);
        self.link_down(slot, now);
        self.run_all(now);
        // Other ports attached to this port's aggregator move elsewhere.
        for s in 0..self.ports.len() {
            let uses = self.port(s).is_some_and(|p| p.aggregator == Some(slot));
            if uses {
                self.unselect(s);
                self.schedule(s);
            }
        }
        // Keep the slot out of selection while they move: they detach (a port whose group
        // still names the slot waits), then select again once the group is gone.
        let removed = self.ports.get_mut(slot).and_then(Option::take);
        self.wake.set(None);
        if removed.is_some_and(|p| !p.started) {
            self.unstarted = self.unstarted.saturating_sub(1);
        }
        self.run_all(now);
        for s in 0..self.ports.len() {
            let waits = self
                .port(s)
                .is_some_and(|p| !p.selected && p.aggregator.is_none() && p.link_up);
            if waits {
                self.schedule(s);
            }
        }
        self.run_all(now);
        self.index.remove(port);
        self.tx.retain(|&(s, _)| s != slot);
        Ok(())
    }

    /// Changes a port's configuration. A change of key, aggregation, LACP enablement, port
    /// number or to/from [`Mode::Lacplib`] restarts the port's machines (802.1AX BEGIN); a
    /// change of priority, MAC, rate or active/passive mode only makes the port send an
    /// LACPDU (NTT).
    pub fn set_port_config(
        &mut self,
        now: Instant,
        port: u32,
        config: PortConfig,
    ) -> Result<(), Error> {
        let slot = self.slot(port)?;
        let number = match config.number {
            Some(n) => n,
            None => u16::try_from(port).map_err(|_| Error::PortNumberTooLarge { port })?,
        };
        let now = self.clock(now);
        let Some(old) = self.port(slot).map(|p| p.cfg) else {
            return Err(Error::UnknownPort { port });
        };
        let restart = old.key != config.key
            || old.aggregatable != config.aggregatable
            || old.lacp_enabled != config.lacp_enabled
            || (old.mode == Mode::Lacplib) != (config.mode == Mode::Lacplib)
            || self.port(slot).is_some_and(|p| p.number != number);
        if restart {
            let link = self.port(slot).is_some_and(|p| p.link_up);
            self.link_down(slot, now);
            self.run_all(now);
            let old_partner = self.port_state(port).map(|s| s.partner);
            self.with_port(slot, |p| {
                let counters = p.counters;
                *p = Port::new(port, number, config);
                p.counters = counters;
                p.started = true;
            });
            // The fresh port's partner is the administrative default (or, in lacplib mode,
            // none): say so if that is news.
            let partner = self.port_state(port).map(|s| s.partner);
            if let (Some(old), Some(partner)) = (old_partner, partner) {
                if !same_partner(&old, &partner) {
                    self.push_event(Event::PartnerChanged { port, partner });
                }
            }
            // The fresh port has no frame queued.
            self.tx.retain(|&(s, _)| s != slot);
            self.wake.set(None);
            if link {
                self.link_up(slot, now);
            }
        } else {
            self.with_port(slot, |p| {
                p.cfg = config;
                p.ntt = true;
            });
        }
        self.schedule(slot);
        self.run_all(now);
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Inputs
    // -----------------------------------------------------------------------------------------

    /// A frame arrived on `port`: the whole Ethernet frame, as received. LACPDUs drive the
    /// receive machine (or, in [`Mode::Lacplib`], are answered); Marker Information PDUs are
    /// answered with a Marker Response.
    ///
    /// Bad input is an error, never an event, and changes no state: a port that is not in
    /// the bond is [`Error::UnknownPort`] (counted in [`Stats::unknown_port`]); a frame that
    /// is not a valid LACP or marker PDU is [`Error::BadFrame`] (counted in the port's
    /// [`Counters::rx_bad`] or [`Counters::rx_foreign`] and in [`Stats::bad_frames`]).
    pub fn handle_frame(&mut self, now: Instant, port: u32, frame: &[u8]) -> Result<(), Error> {
        let slot = self.known(port)?;
        let pdu = match classify(frame) {
            Ok(pdu) => pdu,
            Err((reason, foreign)) => {
                self.with_port(slot, |p| {
                    if foreign {
                        p.counters.rx_foreign += 1;
                    } else {
                        p.counters.rx_bad += 1;
                    }
                });
                self.stats.bad_frames += 1;
                return Err(Error::BadFrame { port, reason });
            }
        };
        let now = self.clock(now);
        match pdu {
            Pdu::Lacp { actor, partner } => self.rx_lacpdu(slot, now, actor, partner),
            Pdu::MarkerInformation {
                port: rport,
                system,
                transaction,
            } => self.rx_marker(slot, rport, system, transaction),
            Pdu::MarkerResponse => {
                self.with_port(slot, |p| p.counters.rx_marker_responses += 1);
            }
        }
        self.run_all(now);
        Ok(())
    }

    /// The link of `port` went up or down (802.1AX port_enabled). A port is added with its
    /// link up (see [`add_port`](Bond::add_port)). Repeating the current state does nothing.
    /// A port that is not in the bond is [`Error::UnknownPort`], counted in
    /// [`Stats::unknown_port`].
    pub fn handle_link(&mut self, now: Instant, port: u32, up: bool) -> Result<(), Error> {
        let slot = self.known(port)?;
        let now = self.clock_only(now);
        let first = self
            .with_port(slot, |p| !mem::replace(&mut p.started, true))
            .unwrap_or(false);
        if first {
            self.unstarted = self.unstarted.saturating_sub(1);
            if up {
                self.link_up(slot, now);
            }
        }
        self.start_ports(now);
        if first {
            self.run_all(now);
            return Ok(());
        }
        let was = self.port(slot).is_some_and(|p| p.link_up);
        if was == up {
            self.run_all(now);
            return Ok(());
        }
        self.with_port(slot, |p| p.counters.carrier_changed += 1);
        if up {
            self.link_up(slot, now);
        } else {
            self.link_down(slot, now);
        }
        self.run_all(now);
        Ok(())
    }

    /// The runtime learned that LACPDUs stopped on `port` by other means (in Ryu's lacplib,
    /// the FLOW_REMOVED of the port's LACP flow): in [`Mode::Lacplib`] the port is disabled
    /// at once; in the 802.1AX modes `current_while` expires at once (CURRENT → EXPIRED, or
    /// EXPIRED → DEFAULTED). A port that is not in the bond is [`Error::UnknownPort`],
    /// counted in [`Stats::unknown_port`].
    pub fn handle_pdu_timeout(&mut self, now: Instant, port: u32) -> Result<(), Error> {
        let slot = self.known(port)?;
        let now = self.clock(now);
        self.with_port(slot, |p| {
            if p.lacplib_deadline.is_some() {
                p.lacplib_deadline = Some(now);
            }
            if p.current_while.is_some() {
                p.current_while = Some(now);
            }
        });
        self.expire(slot, now);
        self.run_all(now);
        Ok(())
    }

    /// Runs the timers that are due at `now` and starts the ports added since the last
    /// input. Harmless when called early or twice.
    pub fn handle_timeout(&mut self, now: Instant) {
        let now = self.clock(now);
        if due(self.poll_timeout(), now) {
            for slot in 0..self.ports.len() {
                if self.port(slot).is_some_and(|p| due(p.wake, now)) {
                    self.expire(slot, now);
                }
            }
        }
        self.run_all(now);
    }

    // -----------------------------------------------------------------------------------------
    // Outputs
    // -----------------------------------------------------------------------------------------

    /// The next frame to send, if any: call until `None` after every input. The bond clears
    /// `buf`, writes the whole Ethernet frame ([`FRAME_LEN`](crate::FRAME_LEN) bytes) into it
    /// and says on which port to send it and what it is. Keep one `Vec` and pass it every
    /// time: once it has grown to `FRAME_LEN` bytes, no call allocates. When it returns
    /// `None`, `buf` is left empty.
    pub fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        buf.clear();
        loop {
            let (slot, kind) = self.tx.pop_front()?;
            let system = self.config.system;
            let system_priority = self.config.system_priority;
            let Some(p) = self.ports.get_mut(slot).and_then(Option::as_mut) else {
                continue;
            };
            let pdu = match kind {
                TransmitKind::Lacpdu => {
                    p.lacpdu_queued = false;
                    Frame::Lacp(p.actor_info(system, system_priority), p.partner)
                }
                TransmitKind::LacplibReply => {
                    p.lacplib_queued = false;
                    let (a, b) = p.lacplib_reply(system);
                    Frame::Lacp(a, b)
                }
                TransmitKind::MarkerResponse => {
                    p.marker_queued = false;
                    let (port, sys, tid) = p.marker;
                    Frame::Marker(port, sys, tid)
                }
            };
            if !p.link_up {
                continue;
            }
            buf.resize(FRAME_LEN, 0);
            if write_frame(buf, p.cfg.mac, &pdu).is_err() {
                buf.clear();
                continue;
            }
            match pdu {
                Frame::Lacp(..) => p.counters.tx_pdus += 1,
                Frame::Marker(..) => p.counters.tx_marker_responses += 1,
            }
            return Some(Transmit { port: p.id, kind });
        }
    }

    /// The next event, if any: call until `None` after every input (after
    /// [`poll_transmit`](Bond::poll_transmit)).
    ///
    /// No event is lost silently. The queue holds [`Config::max_events`] events; when an
    /// event does not fit, the queued events are dropped with it, and so is every event until
    /// the next call, which returns [`Event::Resync`]: the runtime then reads
    /// [`port_state`](Bond::port_state) for every port (the getters are always the truth), and
    /// the events after `Resync` are changes from that state. Drops are counted in
    /// [`Stats::events_dropped`], resyncs in [`Stats::resyncs`].
    pub fn poll_event(&mut self) -> Option<Event> {
        if self.resync {
            self.resync = false;
            return Some(Event::Resync);
        }
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Bond::handle_timeout) must be called next; `None` when no
    /// timer runs. No state changes before this instant unless an input comes. Ports added
    /// and not started yet are due at once (the latest time the bond was given).
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.unstarted > 0 {
            return Some(self.last_now);
        }
        if let Some(w) = self.wake.get() {
            return w;
        }
        let w = self
            .ports
            .iter()
            .flatten()
            .fold(None, |t, p| earliest(t, p.wake));
        self.wake.set(Some(w));
        w
    }

    // -----------------------------------------------------------------------------------------
    // Getters
    // -----------------------------------------------------------------------------------------

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The identifiers of the ports, in no particular order.
    pub fn ports(&self) -> impl Iterator<Item = u32> + '_ {
        self.ports.iter().flatten().map(|p| p.id)
    }

    /// A port's state, as `ovs-appctl lacp/show` shows it: always the truth, whatever the
    /// events said (see [`Event::Resync`]). `None` for a port that is not in the bond.
    pub fn port_state(&self, port: u32) -> Option<PortState> {
        let p = self.port(self.index.get(port)?)?;
        let (actor, partner) = if p.lacplib() {
            p.lacplib_reply(self.config.system)
        } else {
            (
                p.actor_info(self.config.system, self.config.system_priority),
                p.partner,
            )
        };
        Some(PortState {
            port: p.id,
            mode: p.cfg.mode,
            rate: p.cfg.rate,
            link_up: p.link_up,
            actor,
            partner,
            receive: p.rx,
            periodic: p.periodic,
            mux: p.mux,
            aggregator: if p.selected {
                p.aggregator.and_then(|a| self.port(a)).map(|agg| agg.id)
            } else {
                None
            },
            actor_churn: p.actor_churn,
            partner_churn: p.partner_churn,
            // Lacplib has no mux machine: its port collects and distributes while enabled.
            collecting: if p.lacplib() {
                p.enabled
            } else {
                actor.state.collecting()
            },
            distributing: if p.lacplib() {
                p.enabled
            } else {
                actor.state.distributing()
            },
            enabled: p.enabled,
            partner_timeout: p.lacplib_timeout,
        })
    }

    /// A port's counters, as `ovs-appctl lacp/show-stats` shows them.
    pub fn counters(&self, port: u32) -> Option<Counters> {
        self.port(self.index.get(port)?).map(|p| p.counters)
    }

    /// The bond's own counters: bad input and dropped events.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Frames waiting for [`poll_transmit`](Bond::poll_transmit) (at most three per port).
    pub fn pending_transmits(&self) -> usize {
        self.tx.len()
    }

    /// Events waiting for [`poll_event`](Bond::poll_event) (at most
    /// [`Config::max_events`], plus a pending [`Event::Resync`]).
    pub fn pending_events(&self) -> usize {
        self.events.len() + usize::from(self.resync)
    }

    // -----------------------------------------------------------------------------------------
    // Internals
    // -----------------------------------------------------------------------------------------

    /// The time of an input (never earlier than the last one); starts new ports.
    fn clock(&mut self, now: Instant) -> Instant {
        let now = self.clock_only(now);
        self.start_ports(now);
        now
    }

    fn clock_only(&mut self, now: Instant) -> Instant {
        self.last_now = self.last_now.max(now);
        self.last_now
    }

    fn slot(&self, port: u32) -> Result<usize, Error> {
        self.index.get(port).ok_or(Error::UnknownPort { port })
    }

    /// The slot of an input's port; an unknown port is counted.
    fn known(&mut self, port: u32) -> Result<usize, Error> {
        let slot = self.slot(port);
        if slot.is_err() {
            self.stats.unknown_port += 1;
        }
        slot
    }

    fn port(&self, slot: usize) -> Option<&Port> {
        self.ports.get(slot).and_then(Option::as_ref)
    }

    fn with_port<R>(&mut self, slot: usize, f: impl FnOnce(&mut Port) -> R) -> Option<R> {
        self.ports.get_mut(slot).and_then(Option::as_mut).map(f)
    }

    /// The mux machine enters COLLECTING_DISTRIBUTING from ATTACHED (`on`) or leaves it for
    /// ATTACHED (coupled control: collecting and distributing switch together), with its events.
    fn set_collecting_distributing(&mut self, slot: usize, port: u32, on: bool) {
        self.with_port(slot, |p| {
            p.mux = if on {
                MuxState::CollectingDistributing
            } else {
                MuxState::Attached
            };
            p.actor_state.set_collecting(on);
            p.actor_state.set_distributing(on);
            p.enabled = on;
            p.ntt = true;
        });
        self.push_enabled_events(port, on);
    }

    /// A port starts or stops carrying traffic: the events of the mux machine entering or
    /// leaving COLLECTING_DISTRIBUTING, in that order (also a lacplib port's, which has no mux
    /// machine).
    fn push_enabled_events(&mut self, port: u32, on: bool) {
        if on {
            self.push_event(Event::Collecting { port, on });
            self.push_event(Event::Distributing { port, on });
            self.push_event(Event::PortEnabled { port });
        } else {
            self.push_event(Event::Distributing { port, on });
            self.push_event(Event::Collecting { port, on });
            self.push_event(Event::PortDisabled { port });
        }
    }

    /// Queues an event; when it does not fit, empties the queue and owes a resync.
    fn push_event(&mut self, ev: Event) {
        if self.resync {
            self.stats.events_dropped += 1;
        } else if self.events.len() < self.config.max_events {
            self.events.push_back(ev);
        } else {
            let dropped = self.events.len() as u64 + 1;
            self.events.clear();
            self.resync = true;
            self.stats.events_dropped += dropped;
            self.stats.resyncs += 1;
        }
    }

    fn schedule(&mut self, slot: usize) {
        let fresh = self
            .with_port(slot, |p| !mem::replace(&mut p.to_run, true))
            .unwrap_or(false);
        if fresh {
            self.run.push_back(slot);
        }
    }

    fn run_all(&mut self, now: Instant) {
        while let Some(slot) = self.run.pop_front() {
            self.with_port(slot, |p| p.to_run = false);
            self.run_port(slot, now);
        }
    }

    fn id(&self, slot: usize) -> u32 {
        self.port(slot).map_or(0, |p| p.id)
    }

    // ----- receive machine -----

    fn set_rx(&mut self, slot: usize, state: RxState) {
        let changed = self
            .with_port(slot, |p| mem::replace(&mut p.rx, state) != state)
            .unwrap_or(false);
        if changed {
            let port = self.id(slot);
            self.push_event(Event::Receive { port, state });
        }
    }

    fn set_partner(&mut self, slot: usize, partner: LacpInfo) {
        let changed = self
            .with_port(slot, |p| {
                let old = mem::replace(&mut p.partner, partner);
                !same_partner(&old, &partner)
            })
            .unwrap_or(false);
        if changed {
            let port = self.id(slot);
            self.push_event(Event::PartnerChanged { port, partner });
        }
    }

    /// recordDefault.
    fn record_default(&mut self, slot: usize) {
        self.set_partner(slot, PARTNER_ADMIN);
        self.with_port(slot, |p| p.actor_state.set_defaulted(true));
    }

    /// Link up: PORT_DISABLED → EXPIRED or LACP_DISABLED.
    fn link_up(&mut self, slot: usize, now: Instant) {
        let Some((lacplib, lacp_enabled)) = self.with_port(slot, |p| {
            p.link_up = true;
            p.ntt = true;
            (p.lacplib(), p.cfg.lacp_enabled)
        }) else {
            return;
        };
        if lacplib {
            self.set_rx(slot, RxState::Defaulted);
        } else if lacp_enabled {
            self.enter_expired(slot, now, false);
        } else {
            self.enter_lacp_disabled(slot);
        }
        self.schedule(slot);
    }

    /// Link down: → PORT_DISABLED, Selected = UNSELECTED.
    fn link_down(&mut self, slot: usize, _now: Instant) {
        let lacplib_was_enabled = self
            .with_port(slot, |p| {
                p.link_up = false;
                p.partner.state.set_synchronization(false);
                p.current_while = None;
                p.actor_state.set_expired(false);
                p.lacplib_deadline = None;
                p.lacplib_timeout = None;
                p.lacplib() && mem::replace(&mut p.enabled, false)
            })
            .unwrap_or(false);
        if lacplib_was_enabled {
            let port = self.id(slot);
            self.push_enabled_events(port, false);
        }
        self.set_rx(slot, RxState::PortDisabled);
        self.unselect(slot);
        self.schedule(slot);
    }

    /// EXPIRED, from CURRENT on `current_while` expiry (`timed_out`) or from PORT_DISABLED.
    fn enter_expired(&mut self, slot: usize, now: Instant, timed_out: bool) {
        self.with_port(slot, |p| {
            p.partner.state.set_synchronization(false);
            p.partner.state.set_timeout(true);
            p.actor_state.set_expired(true);
            p.current_while = Some(after(now, SHORT_TIMEOUT_TIME));
            if timed_out {
                p.counters.link_expired += 1;
            }
        });
        self.set_rx(slot, RxState::Expired);
    }

    /// DEFAULTED, on `current_while` expiry in EXPIRED.
    fn enter_defaulted(&mut self, slot: usize) {
        // update_Default_Selected.
        let moved = self
            .port(slot)
            .is_some_and(|p| !same_identity(&PARTNER_ADMIN, &p.partner));
        if moved {
            self.unselect(slot);
        }
        self.record_default(slot);
        self.with_port(slot, |p| {
            p.actor_state.set_expired(false);
            p.current_while = None;
            p.counters.link_defaulted += 1;
        });
        self.set_rx(slot, RxState::Defaulted);
    }

    fn enter_lacp_disabled(&mut self, slot: usize) {
        self.unselect(slot);
        self.record_default(slot);
        self.with_port(slot, |p| {
            p.partner.state.set_aggregation(false);
            // An individual link without LACP: taken as in sync so that it carries traffic.
            p.partner.state.set_synchronization(true);
            p.actor_state.set_expired(false);
            p.current_while = None;
        });
        self.set_rx(slot, RxState::LacpDisabled);
    }

    fn rx_lacpdu(&mut self, slot: usize, now: Instant, actor: LacpInfo, partner: LacpInfo) {
        let system = self.config.system;
        let system_priority = self.config.system_priority;
        let Some(p) = self.ports.get_mut(slot).and_then(Option::as_mut) else {
            return;
        };
        if !p.link_up || (p.rx == RxState::LacpDisabled && !p.lacplib()) {
            p.counters.rx_ignored += 1;
            return;
        }
        // Our own LACPDU come back (a looped cable, or two ports of the bond wired
        // together): aggregating with ourselves would be wrong, so it is ignored.
        if !p.lacplib() && actor.system == system && actor.system_priority == system_priority {
            p.counters.rx_looped += 1;
            return;
        }
        p.counters.rx_pdus += 1;
        let port = p.id;
        if p.lacplib() {
            let timeout = Rate::from_timeout_bit(actor.state.timeout()).timeout();
            let newly = !mem::replace(&mut p.enabled, true);
            let new_timeout = p.lacplib_timeout.replace(timeout) != Some(timeout);
            p.lacplib_deadline = Some(after(now, timeout));
            let moved = !same_partner(&p.lacplib_req, &actor);
            p.lacplib_req = actor;
            p.partner = actor;
            let queue = !mem::replace(&mut p.lacplib_queued, true);
            if queue {
                self.tx.push_back((slot, TransmitKind::LacplibReply));
            }
            if moved {
                self.push_event(Event::PartnerChanged {
                    port,
                    partner: actor,
                });
            }
            if newly {
                self.push_enabled_events(port, true);
            }
            if new_timeout {
                self.push_event(Event::PartnerTimeout { port, timeout });
            }
            self.set_rx(slot, RxState::Current);
            self.schedule(slot);
            return;
        }
        let me = p.actor_info(system, system_priority);
        // update_Selected.
        let moved = !same_identity(&actor, &p.partner);
        // update_NTT.
        if !same_identity(&partner, &me)
            || partner.state.activity() != me.state.activity()
            || partner.state.timeout() != me.state.timeout()
            || partner.state.synchronization() != me.state.synchronization()
        {
            p.ntt = true;
        }
        // recordPDU.
        let matches = same_identity(&partner, &me);
        let sync = actor.state.synchronization() && (matches || !actor.state.aggregation());
        let timeout = if me.state.timeout() {
            SHORT_TIMEOUT_TIME
        } else {
            LONG_TIMEOUT_TIME
        };
        p.actor_state.set_defaulted(false);
        p.actor_state.set_expired(false);
        p.current_while = Some(after(now, timeout));
        if moved {
            self.unselect(slot);
        }
        self.set_partner(slot, actor.with_sync(sync));
        self.set_rx(slot, RxState::Current);
        self.schedule(slot);
    }

    fn rx_marker(&mut self, slot: usize, rport: u16, system: MacAddr, transaction: u32) {
        let Some(p) = self.ports.get_mut(slot).and_then(Option::as_mut) else {
            return;
        };
        p.counters.rx_marker_requests += 1;
        if !p.link_up {
            p.counters.rx_ignored += 1;
            return;
        }
        p.marker = (rport, system, transaction);
        if mem::replace(&mut p.marker_queued, true) {
            p.counters.tx_marker_dropped += 1;
        } else {
            self.tx.push_back((slot, TransmitKind::MarkerResponse));
        }
    }

    // ----- timers -----

    fn expire(&mut self, slot: usize, now: Instant) {
        let Some(p) = self.port(slot) else {
            return;
        };
        let lacplib_off = due(p.lacplib_deadline, now);
        let cw = due(p.current_while, now).then_some(p.rx);
        let periodic = due(p.periodic_at, now);
        let wait = due(p.wait_while, now) && p.mux == MuxState::Waiting;
        let actor_churn = due(p.actor_churn_at, now);
        let partner_churn = due(p.partner_churn_at, now);
        let hold = due(p.tx_hold, now);
        let port = p.id;
        if lacplib_off {
            self.with_port(slot, |p| {
                p.lacplib_deadline = None;
                p.lacplib_timeout = None;
                p.enabled = false;
            });
            self.push_enabled_events(port, false);
            self.set_rx(slot, RxState::Defaulted);
        }
        match cw {
            Some(RxState::Current) => self.enter_expired(slot, now, true),
            Some(RxState::Expired) => self.enter_defaulted(slot),
            Some(_) => {
                self.with_port(slot, |p| p.current_while = None);
            }
            None => {}
        }
        if periodic {
            self.with_port(slot, |p| {
                // PERIODIC_TX, then FAST_PERIODIC or SLOW_PERIODIC as the partner asks.
                p.ntt = true;
                if p.partner.state.timeout() {
                    p.periodic = PeriodicState::Fast;
                    p.periodic_at = Some(after(now, FAST_PERIODIC_TIME));
                } else {
                    p.periodic = PeriodicState::Slow;
                    p.periodic_at = Some(after(now, SLOW_PERIODIC_TIME));
                }
            });
        }
        if wait {
            let agg = self.with_port(slot, |p| {
                p.wait_while = None;
                p.ready_n = true;
                p.aggregator
            });
            if let Some(Some(a)) = agg {
                self.waiting_done(a);
            }
        } else if due(p_wait(self.port(slot)), now) {
            self.with_port(slot, |p| p.wait_while = None);
        }
        if actor_churn {
            self.with_port(slot, |p| {
                p.actor_churn_at = None;
                p.actor_churn = ChurnState::Churn;
                p.counters.actor_churn += 1;
            });
            self.push_event(Event::ActorChurn { port, on: true });
        }
        if partner_churn {
            self.with_port(slot, |p| {
                p.partner_churn_at = None;
                p.partner_churn = ChurnState::Churn;
                p.counters.partner_churn += 1;
            });
            self.push_event(Event::PartnerChurn { port, on: true });
        }
        if hold {
            self.with_port(slot, |p| p.tx_hold = None);
        }
        self.schedule(slot);
    }

    /// One fewer not-ready WAITING port on aggregator `a`; when none is left, every WAITING
    /// port of `a` may attach.
    fn waiting_done(&mut self, a: usize) {
        let left = match self.agg_waiting.get_mut(a) {
            Some(n) => {
                *n = n.saturating_sub(1);
                *n
            }
            None => return,
        };
        if left == 0 {
            for s in 0..self.ports.len() {
                if self
                    .port(s)
                    .is_some_and(|p| p.aggregator == Some(a) && p.mux == MuxState::Waiting)
                {
                    self.schedule(s);
                }
            }
        }
    }

    // ----- selection logic -----

    fn unselect(&mut self, slot: usize) {
        let agg = self
            .with_port(slot, |p| {
                if mem::replace(&mut p.selected, false) {
                    p.aggregator
                } else {
                    None
                }
            })
            .flatten();
        if let Some(a) = agg {
            let (port, aggregator) = (self.id(slot), self.id(a));
            self.push_event(Event::PortUnselected { port, aggregator });
            self.schedule(slot);
        }
    }

    /// A port that is not selected and not attached picks an aggregator.
    fn select(&mut self, slot: usize) -> bool {
        let Some(p) = self.port(slot) else {
            return false;
        };
        if p.selected
            || p.mux != MuxState::Detached
            || p.aggregator.is_some()
            || !p.link_up
            || p.lacplib()
            || matches!(p.rx, RxState::PortDisabled | RxState::Expired)
        {
            return false;
        }
        let key = p.lag_key();
        let existing = key.and_then(|k| self.lags.get(&k).map(|l| l.aggregator));
        if existing.is_some_and(|a| self.port(a).is_none()) {
            // The group's aggregator belongs to a port being removed: wait until the group's
            // last member has detached from it (remove_port runs this port again then).
            return false;
        }
        let agg = match existing {
            Some(a) => a,
            None => {
                let own_free = self.agg_users.get(slot).is_some_and(|&n| n == 0);
                if own_free {
                    slot
                } else {
                    // Pigeonhole: fewer aggregators are in use than there are ports.
                    match (0..self.ports.len()).find(|&s| {
                        self.port(s).is_some() && self.agg_users.get(s).is_some_and(|&n| n == 0)
                    }) {
                        Some(s) => s,
                        None => return false,
                    }
                }
            }
        };
        if let Some(k) = key {
            self.lags.join(k, agg);
        }
        if let Some(n) = self.agg_users.get_mut(agg) {
            *n += 1;
        }
        self.with_port(slot, |p| {
            p.selected = true;
            p.aggregator = Some(agg);
            p.lag = key;
        });
        let (port, aggregator) = (self.id(slot), self.id(agg));
        self.push_event(Event::PortSelected { port, aggregator });
        true
    }

    /// Detach_Mux_From_Aggregator: the port no longer counts in its aggregator or group.
    fn release(&mut self, slot: usize) {
        let Some((agg, lag)) = self.with_port(slot, |p| (p.aggregator.take(), p.lag.take())) else {
            return;
        };
        if let Some(a) = agg {
            if let Some(n) = self.agg_users.get_mut(a) {
                *n = n.saturating_sub(1);
            }
        }
        if let Some(k) = lag {
            self.lags.leave(&k);
        }
    }

    // ----- mux machine (coupled control) -----

    fn mux_step(&mut self, slot: usize, now: Instant) -> bool {
        let Some(p) = self.port(slot) else {
            return false;
        };
        let port = p.id;
        let selected = p.selected;
        let partner_sync = p.partner.state.synchronization();
        let agg = p.aggregator;
        match p.mux {
            MuxState::Detached => {
                if !selected {
                    return false;
                }
                self.with_port(slot, |p| {
                    p.mux = MuxState::Waiting;
                    p.ready_n = false;
                    p.wait_while = Some(after(now, AGGREGATE_WAIT_TIME));
                });
                if let Some(n) = agg.and_then(|a| self.agg_waiting.get_mut(a)) {
                    *n += 1;
                }
                true
            }
            MuxState::Waiting => {
                let ready_n = p.ready_n;
                if !selected {
                    self.with_port(slot, |p| p.wait_while = None);
                    self.enter_detached(slot);
                    if !ready_n {
                        if let Some(a) = agg {
                            self.waiting_done(a);
                        }
                    }
                    return true;
                }
                let ready = agg
                    .and_then(|a| self.agg_waiting.get(a))
                    .is_some_and(|&n| n == 0);
                if ready && ready_n {
                    self.with_port(slot, |p| {
                        p.mux = MuxState::Attached;
                        p.actor_state.set_synchronization(true);
                        p.ntt = true;
                    });
                    self.push_event(Event::Attached { port });
                    return true;
                }
                false
            }
            MuxState::Attached => {
                if !selected {
                    self.enter_detached(slot);
                    self.push_event(Event::Detached { port });
                    return true;
                }
                if partner_sync {
                    self.set_collecting_distributing(slot, port, true);
                    return true;
                }
                false
            }
            MuxState::CollectingDistributing => {
                if selected && partner_sync {
                    return false;
                }
                self.set_collecting_distributing(slot, port, false);
                true
            }
        }
    }

    fn enter_detached(&mut self, slot: usize) {
        self.with_port(slot, |p| {
            p.mux = MuxState::Detached;
            p.actor_state.set_synchronization(false);
            p.actor_state.set_collecting(false);
            p.actor_state.set_distributing(false);
            p.ready_n = false;
            p.ntt = true;
        });
        self.release(slot);
    }

    // ----- periodic, churn and transmit machines -----

    fn periodic_step(&mut self, slot: usize, now: Instant) -> bool {
        self.with_port(slot, |p| {
            let off = !p.link_up
                || !p.cfg.lacp_enabled
                || p.lacplib()
                || (p.cfg.mode != Mode::Active && !p.partner.state.activity());
            let short = p.partner.state.timeout();
            match p.periodic {
                _ if off => {
                    let changed = p.periodic != PeriodicState::NoPeriodic;
                    p.periodic = PeriodicState::NoPeriodic;
                    p.periodic_at = None;
                    changed
                }
                PeriodicState::NoPeriodic => {
                    p.periodic = PeriodicState::Fast;
                    p.periodic_at = Some(after(now, FAST_PERIODIC_TIME));
                    true
                }
                PeriodicState::Fast if !short => {
                    p.periodic = PeriodicState::Slow;
                    p.periodic_at = Some(after(now, SLOW_PERIODIC_TIME));
                    true
                }
                PeriodicState::Slow if short => {
                    // PERIODIC_TX, then FAST_PERIODIC.
                    p.ntt = true;
                    p.periodic = PeriodicState::Fast;
                    p.periodic_at = Some(after(now, FAST_PERIODIC_TIME));
                    true
                }
                _ => false,
            }
        })
        .unwrap_or(false)
    }

    fn churn_step(&mut self, slot: usize, now: Instant) -> bool {
        let Some(p) = self.port(slot) else {
            return false;
        };
        if p.lacplib() {
            return false;
        }
        let port = p.id;
        let run = p.link_up;
        let machines = [
            (
                p.actor_churn,
                p.actor_churn_at,
                p.actor_state.synchronization(),
            ),
            (
                p.partner_churn,
                p.partner_churn_at,
                p.partner.state.synchronization(),
            ),
        ];
        let mut changed = false;
        for (i, (state, at, sync)) in machines.into_iter().enumerate() {
            let (next, next_at) = match state {
                _ if !run => (ChurnState::Monitor, None),
                ChurnState::Monitor if sync => (ChurnState::NoChurn, None),
                ChurnState::Monitor if at.is_none() => {
                    (ChurnState::Monitor, Some(after(now, CHURN_DETECTION_TIME)))
                }
                ChurnState::NoChurn if !sync => {
                    (ChurnState::Monitor, Some(after(now, CHURN_DETECTION_TIME)))
                }
                ChurnState::Churn if sync => (ChurnState::NoChurn, None),
                s => (s, at),
            };
            if next == state && next_at == at {
                continue;
            }
            changed = true;
            self.with_port(slot, |p| {
                if i == 0 {
                    p.actor_churn = next;
                    p.actor_churn_at = next_at;
                } else {
                    p.partner_churn = next;
                    p.partner_churn_at = next_at;
                }
            });
            if state == ChurnState::Churn && next != ChurnState::Churn {
                self.push_event(if i == 0 {
                    Event::ActorChurn { port, on: false }
                } else {
                    Event::PartnerChurn { port, on: false }
                });
            }
        }
        changed
    }

    /// The transmit machine: NTT becomes an LACPDU when periodic transmission runs and the
    /// rate limit allows.
    fn transmit_step(&mut self, slot: usize, now: Instant) {
        let queue = self
            .with_port(slot, |p| {
                if !p.ntt || p.lacplib() {
                    return false;
                }
                if p.periodic == PeriodicState::NoPeriodic {
                    p.ntt = false;
                    return false;
                }
                if p.tx_hold.is_some() {
                    return false;
                }
                let oldest = p.tx_times.get(p.tx_next).copied().flatten();
                if let Some(t) = oldest {
                    let free = after(t, FAST_PERIODIC_TIME);
                    if free > now {
                        p.tx_hold = Some(free);
                        p.counters.tx_rate_limited += 1;
                        return false;
                    }
                }
                if let Some(t) = p.tx_times.get_mut(p.tx_next) {
                    *t = Some(now);
                }
                p.tx_next = (p.tx_next + 1) % MAX_TX_PER_FAST_PERIOD;
                p.ntt = false;
                !mem::replace(&mut p.lacpdu_queued, true)
            })
            .unwrap_or(false);
        if queue {
            self.tx.push_back((slot, TransmitKind::Lacpdu));
        }
    }

    fn run_port(&mut self, slot: usize, now: Instant) {
        // Each step makes at most one transition; a port settles in a handful of rounds.
        for _ in 0..16 {
            let mut changed = self.select(slot);
            changed |= self.mux_step(slot, now);
            changed |= self.periodic_step(slot, now);
            changed |= self.churn_step(slot, now);
            if !changed {
                break;
            }
        }
        self.transmit_step(slot, now);
        let Some((old, new)) = self.with_port(slot, |p| {
            let new = p.next_wake();
            (mem::replace(&mut p.wake, new), new)
        }) else {
            return;
        };
        if old != new {
            if let Some(min) = self.wake.get() {
                // `None` is "never". If the port held the minimum and moved later, the new
                // minimum is unknown; otherwise it is the earlier of the two.
                if old == min && !no_later(new, old) {
                    self.wake.set(None);
                } else if no_later(new, min) {
                    self.wake.set(Some(new));
                }
            }
        }
    }
}

fn p_wait(p: Option<&Port>) -> Option<Instant> {
    p.and_then(|p| p.wait_while)
}

/// A received PDU we act on.
enum Pdu {
    Lacp {
        actor: LacpInfo,
        partner: LacpInfo,
    },
    MarkerInformation {
        port: u16,
        system: MacAddr,
        transaction: u32,
    },
    MarkerResponse,
}

/// Sorts a received frame: a PDU, or why not (and whether it is foreign rather than bad).
/// The frame is read with the packet library's walker, which checks the Ethernet header and
/// the PDU as `Packet::parse` does (a malformed PDU's error counts its offset from the frame's
/// first byte).
fn classify(frame: &[u8]) -> Result<Pdu, (BadFrame, bool)> {
    let truncated = || (BadFrame::Truncated { len: frame.len() }, false);
    let mut w = Walker::new(frame);
    let Some(Ok(eth)) = w.next() else {
        return Err(truncated());
    };
    let ethertype = EthernetView::parse(frame.get(eth.start..eth.end).unwrap_or(&[]))
        .map_err(|_| truncated())?
        .ethertype()
        .0;
    if ethertype != ETHERTYPE_SLOW {
        return Err((BadFrame::NotSlowProtocols { ethertype }, true));
    }
    if w.rest().is_empty() {
        return Err(truncated());
    }
    let kind = w.peek();
    let pdu = match w.next() {
        Some(Ok(s)) => frame.get(s.start..s.end).unwrap_or(&[]),
        Some(Err(e)) => return Err((BadFrame::Malformed(e), false)),
        None => {
            return Err(match w.rest().first() {
                Some(&subtype) => (BadFrame::UnknownSubtype { subtype }, true),
                None => truncated(),
            })
        }
    };
    match kind {
        Some(LayerKind::Lacp) => {
            let v = LacpView::parse(pdu).map_err(|e| (BadFrame::Malformed(e), false))?;
            Ok(Pdu::Lacp {
                actor: v.actor(),
                partner: v.partner(),
            })
        }
        _ => {
            let v = MarkerView::parse(pdu).map_err(|e| (BadFrame::Malformed(e), false))?;
            match v.tlv_type() {
                MarkerTlvType::INFORMATION => Ok(Pdu::MarkerInformation {
                    port: v.requester_port(),
                    system: v.requester_system(),
                    transaction: v.requester_transaction_id(),
                }),
                MarkerTlvType::RESPONSE => Ok(Pdu::MarkerResponse),
                t => Err((BadFrame::UnknownMarkerType { tlv_type: t.0 }, false)),
            }
        }
    }
}

/// A frame to write.
enum Frame {
    Lacp(LacpInfo, LacpInfo),
    Marker(u16, MacAddr, u32),
}

/// Writes a whole frame into `buf` without allocating.
fn write_frame(buf: &mut [u8], src: MacAddr, f: &Frame) -> sdnwire_packet::Result<()> {
    let Some((head, body)) = buf.split_first_chunk_mut::<14>() else {
        return Err(<sdnwire_packet::Error as CodecError>::short_buffer(
            FRAME_LEN,
            buf.len(),
        ));
    };
    let [d0, d1, d2, d3, d4, d5] = MacAddr::SLOW_PROTOCOLS.0;
    let [s0, s1, s2, s3, s4, s5] = src.0;
    let [t0, t1] = ETHERTYPE_SLOW.to_be_bytes();
    head.copy_from_slice(&[d0, d1, d2, d3, d4, d5, s0, s1, s2, s3, s4, s5, t0, t1]);
    match *f {
        Frame::Lacp(actor, partner) => {
            Lacp::new(actor, partner, 0).emit(body, &EmitContext::default())
        }
        Frame::Marker(port, system, tid) => {
            Marker::response_to(&Marker::information(port, system, tid))
                .emit(body, &EmitContext::default())
        }
    }
}

trait WithSync {
    fn with_sync(self, sync: bool) -> Self;
}

impl WithSync for LacpInfo {
    fn with_sync(mut self, sync: bool) -> Self {
        self.state.set_synchronization(sync);
        self
    }
}
