//! No event is ever lost: bonds of many ports are driven past every bound (link flaps on one
//! side and on both, partners changing keys and turning LACP off long enough for churn,
//! lacplib ports, PDU timeouts, floods of bad input, and an event queue far smaller than what
//! happens), while a *runtime* keeps its own view of every port built only from what
//! `poll_event` told it (and, after `Event::Resync`, from `port_state`). At every checkpoint
//! (after every drain) and at the end, that view must equal the bond's state.
//!
//! The view holds what a controller turns into flows: the aggregator, attached, collecting,
//! distributing, enabled, the partner's identity, the lacplib partner timeout, the receive
//! machine's state and churn. The same chaos is run with a queue large enough for everything
//! (the events alone must then rebuild the state, with no resync) and with a tiny one
//! (resyncs must happen, and the view must still be exact).

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::std_instead_of_core, clippy::cast_possible_truncation)]

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use sdnwire_lacp::{
    Bond, ChurnState, Config, Error, Event, Instant, Mode, PortConfig, PortState, Rate, RxState,
};
use sdnwire_packet::MacAddr;

/// xorshift64*: a tiny deterministic PRNG.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// What a runtime knows of a port: the parts of [`PortState`] that events report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct View {
    aggregator: Option<u32>,
    attached: bool,
    collecting: bool,
    distributing: bool,
    enabled: bool,
    /// System, system priority, key, port, port priority.
    partner: (MacAddr, u16, u16, u16, u16),
    partner_timeout: Option<Duration>,
    receive: RxState,
    actor_churn: bool,
    partner_churn: bool,
}

impl View {
    fn of(s: &PortState) -> View {
        View {
            aggregator: s.aggregator,
            attached: s.attached(),
            collecting: s.collecting,
            distributing: s.distributing,
            enabled: s.enabled,
            partner: (
                s.partner.system,
                s.partner.system_priority,
                s.partner.key,
                s.partner.port,
                s.partner.port_priority,
            ),
            partner_timeout: s.partner_timeout,
            receive: s.receive,
            actor_churn: s.actor_churn == ChurnState::Churn,
            partner_churn: s.partner_churn == ChurnState::Churn,
        }
    }
}

/// A runtime: a bond, its view of it, and what it counted.
struct Runtime {
    bond: Bond,
    view: BTreeMap<u32, View>,
    events: u64,
    resyncs: u64,
    checkpoints: u64,
    /// Checkpoints at which at least one port carried traffic.
    busy: u64,
}

impl Runtime {
    fn new(bond: Bond) -> Runtime {
        Runtime {
            bond,
            view: BTreeMap::new(),
            events: 0,
            resyncs: 0,
            checkpoints: 0,
            busy: 0,
        }
    }

    fn add_port(&mut self, port: u32, cfg: PortConfig) {
        self.bond.add_port(port, cfg).unwrap();
        // A new port's state, read once (nothing is queued: the runtime drains after every
        // call).
        let s = self.bond.port_state(port).unwrap();
        self.view.insert(port, View::of(&s));
    }

    fn remove_port(&mut self, now: Instant, port: u32) {
        self.bond.remove_port(now, port).unwrap();
        // What the removal did to the other ports comes as events.
        self.drain_events();
        self.view.remove(&port);
    }

    /// Applies what `poll_event` says, and nothing else.
    fn drain_events(&mut self) {
        while let Some(ev) = self.bond.poll_event() {
            self.events += 1;
            if ev == Event::Resync {
                self.resyncs += 1;
                let bond = &self.bond;
                self.view = bond
                    .ports()
                    .map(|p| (p, View::of(&bond.port_state(p).unwrap())))
                    .collect();
                continue;
            }
            let port = ev.port().expect("every other event names its port");
            let v = self
                .view
                .get_mut(&port)
                .expect("an event for a port of the bond");
            match ev {
                Event::PortSelected { aggregator, .. } => v.aggregator = Some(aggregator),
                Event::PortUnselected { aggregator, .. } => {
                    assert_eq!(v.aggregator, Some(aggregator), "port {port}");
                    v.aggregator = None;
                }
                Event::Attached { .. } => v.attached = true,
                Event::Detached { .. } => v.attached = false,
                Event::Collecting { on, .. } => v.collecting = on,
                Event::Distributing { on, .. } => v.distributing = on,
                Event::PortEnabled { .. } => v.enabled = true,
                Event::PortDisabled { .. } => {
                    v.enabled = false;
                    v.partner_timeout = None;
                }
                Event::PartnerChanged { partner, .. } => {
                    v.partner = (
                        partner.system,
                        partner.system_priority,
                        partner.key,
                        partner.port,
                        partner.port_priority,
                    );
                }
                Event::PartnerTimeout { timeout, .. } => v.partner_timeout = Some(timeout),
                Event::Receive { state, .. } => v.receive = state,
                Event::ActorChurn { on, .. } => v.actor_churn = on,
                Event::PartnerChurn { on, .. } => v.partner_churn = on,
                e => panic!("an event this runtime does not know: {e:?}"),
            }
        }
    }

    /// The view must be the bond's state, port by port.
    fn checkpoint(&mut self, what: &str) {
        self.checkpoints += 1;
        let mut ports: Vec<u32> = self.bond.ports().collect();
        ports.sort_unstable();
        assert_eq!(ports, self.view.keys().copied().collect::<Vec<_>>());
        let mut busy = false;
        for (port, v) in &self.view {
            let s = self.bond.port_state(*port).unwrap();
            assert_eq!(*v, View::of(&s), "{what}: port {port}: {s:?}");
            busy |= s.enabled;
        }
        self.busy += u64::from(busy);
    }
}

/// A frame on the wire.
struct InFlight {
    at: Instant,
    to_b: bool,
    port: u32,
    frame: Vec<u8>,
}

/// Two runtimes; port `i` of A is wired to port `i` of B.
struct World {
    a: Runtime,
    b: Runtime,
    now: Instant,
    /// Per port: the wire carries frames.
    wire: BTreeMap<u32, bool>,
    flight: VecDeque<InFlight>,
    rng: XorShift,
    buf: Vec<u8>,
}

const PORTS: u32 = 48;
/// Ports of A from here on run Ryu's lacplib.
const FIRST_LACPLIB: u32 = 41;

fn a_config(port: u32) -> PortConfig {
    let cfg = PortConfig::new(MacAddr([2, 0, 0, 0xa, 0, port as u8])).key(port as u16 % 4 + 1);
    if port >= FIRST_LACPLIB {
        cfg.mode(Mode::Lacplib)
    } else {
        cfg
    }
}

fn b_config(port: u32, key: u16, rate: Rate, lacp: bool) -> PortConfig {
    PortConfig::new(MacAddr([2, 0, 0, 0xb, 0, port as u8]))
        .key(key)
        .rate(rate)
        .lacp_enabled(lacp)
}

impl World {
    fn new(max_events: usize, seed: u64) -> World {
        let now = Instant::from_secs(3);
        let a = Bond::new(
            Config::new(MacAddr([2, 0, 0, 0, 0, 0xa]))
                .max_ports(PORTS as usize + 1)
                .max_events(max_events),
            now,
        );
        let b = Bond::new(
            Config::new(MacAddr([2, 0, 0, 0, 0, 0xb]))
                .max_ports(PORTS as usize + 1)
                .max_events(max_events / 2),
            now,
        );
        let mut w = World {
            a: Runtime::new(a),
            b: Runtime::new(b),
            now,
            wire: BTreeMap::new(),
            flight: VecDeque::new(),
            rng: XorShift(seed | 1),
            buf: Vec::new(),
        };
        for p in 1..=PORTS {
            w.a.add_port(p, a_config(p));
            w.b.add_port(p, b_config(p, 7, Rate::Fast, true));
            w.wire.insert(p, true);
        }
        w.drain("start");
        w
    }

    /// The runtimes' turn: frames onto the wire, events into the views, then a checkpoint.
    fn drain(&mut self, what: &str) {
        for to_b in [true, false] {
            let rt = if to_b { &mut self.a } else { &mut self.b };
            while let Some(tx) = rt.bond.poll_transmit(&mut self.buf) {
                if self.wire.get(&tx.port) == Some(&true) {
                    let at = self.now + Duration::from_micros(500 + self.rng.below(1000));
                    let i = self.flight.partition_point(|f| f.at <= at);
                    let frame = self.buf.clone();
                    self.flight.insert(
                        i,
                        InFlight {
                            at,
                            to_b,
                            port: tx.port,
                            frame,
                        },
                    );
                }
            }
            rt.drain_events();
        }
        self.a.checkpoint(what);
        self.b.checkpoint(what);
    }

    /// Runs the network and the timers for `d`, one wake-up at a time.
    fn run(&mut self, d: Duration) {
        let until = self.now + d;
        loop {
            let next = [
                self.a.bond.poll_timeout(),
                self.b.bond.poll_timeout(),
                self.flight.front().map(|f| f.at),
            ]
            .into_iter()
            .flatten()
            .min()
            .filter(|&t| t <= until);
            let Some(next) = next else { break };
            self.now = next.max(self.now);
            let now = self.now;
            while self.flight.front().is_some_and(|f| f.at <= now) {
                let f = self.flight.pop_front().unwrap();
                let rt = if f.to_b { &mut self.b } else { &mut self.a };
                match rt.bond.handle_frame(now, f.port, &f.frame) {
                    // A port removed while its frames were on the wire.
                    Ok(()) | Err(Error::UnknownPort { .. }) => {}
                    Err(e) => panic!("{e}"),
                }
            }
            self.a.bond.handle_timeout(now);
            self.b.bond.handle_timeout(now);
            self.drain("run");
        }
        self.now = until;
        self.a.bond.handle_timeout(until);
        self.b.bond.handle_timeout(until);
        self.drain("run end");
    }

    /// One random disturbance.
    fn disturb(&mut self) {
        let now = self.now;
        let port = self.rng.below(u64::from(PORTS)) as u32 + 1;
        match self.rng.below(10) {
            // The cable: both ends see the link go down (or up).
            0 | 1 => {
                let up = !self.wire[&port];
                self.wire.insert(port, up);
                self.a.bond.handle_link(now, port, up).unwrap();
                self.b.bond.handle_link(now, port, up).unwrap();
                self.drain("cable");
            }
            // One end only (a unidirectional failure: the other side times out).
            2 => {
                let up = !self.b.bond.port_state(port).unwrap().link_up;
                self.b.bond.handle_link(now, port, up).unwrap();
                self.drain("one end");
            }
            // The partner changes its key: A regroups.
            3 => {
                let key = self.rng.below(3) as u16 + 7;
                let rate = if self.rng.below(2) == 0 {
                    Rate::Fast
                } else {
                    Rate::Slow
                };
                self.b
                    .bond
                    .set_port_config(now, port, b_config(port, key, rate, true))
                    .unwrap();
                self.drain("partner key");
            }
            // The partner turns LACP off (A defaults; if it stays off, partner churn).
            4 => {
                let on = !self.b.bond.port_state(port).unwrap().periodic_on();
                self.b
                    .bond
                    .set_port_config(now, port, b_config(port, 7, Rate::Fast, on))
                    .unwrap();
                self.drain("partner lacp");
            }
            // Our own key changes (a restart of the port's machines).
            5 => {
                let key = self.rng.below(4) as u16 + 1;
                let cfg = a_config(port).key(key);
                self.a.bond.set_port_config(now, port, cfg).unwrap();
                self.drain("our key");
            }
            // The runtime learned that LACPDUs stopped.
            6 => {
                self.a.bond.handle_pdu_timeout(now, port).unwrap();
                self.drain("pdu timeout");
            }
            // A port goes and comes back.
            7 => {
                self.a.remove_port(now, port);
                self.a.add_port(port, a_config(port));
                self.drain("re-added");
            }
            // A flood of bad input: errors, counted, no event, no state change.
            _ => {
                let before = self.a.bond.pending_events();
                for i in 0..200u32 {
                    let r = self.a.bond.handle_frame(now, port, &[0; 20]);
                    assert!(matches!(r, Err(Error::BadFrame { .. })), "{r:?}");
                    let r = self.a.bond.handle_link(now, 1000 + i, true);
                    assert_eq!(r, Err(Error::UnknownPort { port: 1000 + i }));
                }
                assert_eq!(self.a.bond.pending_events(), before);
                self.drain("bad input");
            }
        }
    }
}

trait PeriodicOn {
    fn periodic_on(&self) -> bool;
}

impl PeriodicOn for PortState {
    /// The port runs LACP (the receive machine is not LACP_DISABLED), as configured.
    fn periodic_on(&self) -> bool {
        self.receive != RxState::LacpDisabled
    }
}

fn chaos(max_events: usize, seed: u64) -> World {
    let mut w = World::new(max_events, seed);
    // Converge, then disturb: bursts of disturbances, pauses of a few seconds, and now and
    // then a long one (partner churn takes 60 s, the long timeout 90 s).
    w.run(Duration::from_secs(5));
    for round in 0..200 {
        for _ in 0..1 + w.rng.below(10) {
            w.disturb();
        }
        let pause = if round % 15 == 14 {
            Duration::from_secs(95)
        } else {
            Duration::from_millis(200 + w.rng.below(4000))
        };
        w.run(pause);
    }
    // Heal everything and settle: the view must follow the bond back to a converged state.
    let now = w.now;
    for p in 1..=PORTS {
        w.wire.insert(p, true);
        w.a.bond.handle_link(now, p, true).unwrap();
        w.b.bond.handle_link(now, p, true).unwrap();
        w.b.bond
            .set_port_config(now, p, b_config(p, 7, Rate::Fast, true))
            .unwrap();
        w.drain("heal");
    }
    w.run(Duration::from_secs(10));
    w
}

#[test]
fn events_alone_rebuild_the_exact_state_when_the_queue_is_large_enough() {
    let w = chaos(1 << 16, 0x0005_eed1);
    eprintln!(
        "A: {} events, {} checkpoints ({} busy), {:?}; B: {} events",
        w.a.events,
        w.a.checkpoints,
        w.a.busy,
        w.a.bond.stats(),
        w.b.events
    );
    assert_eq!(w.a.resyncs + w.b.resyncs, 0, "nothing overflowed");
    assert_eq!(w.a.bond.stats().events_dropped, 0);
    assert!(w.a.events > 3_000, "{} events", w.a.events);
    assert!(w.a.checkpoints > 1_000 && w.a.busy > 100);
    assert!(w.a.bond.stats().bad_frames > 0 && w.a.bond.stats().unknown_port > 0);
    // Settled: every 802.1AX port of A carries traffic again, and the view says so.
    for p in 1..FIRST_LACPLIB {
        assert!(w.a.view[&p].enabled, "port {p}: {:?}", w.a.view[&p]);
    }
    // Churn and lacplib timeouts were among what happened.
    let c: u64 = (1..=PORTS)
        .map(|p| w.a.bond.counters(p).unwrap().partner_churn)
        .sum();
    assert!(c > 0, "no partner churn: the chaos is too tame");
}

#[test]
fn resync_keeps_the_view_exact_when_the_queue_overflows() {
    for seed in [1, 0x10, 0x2a] {
        let w = chaos(8, seed);
        let s = w.a.bond.stats();
        eprintln!(
            "seed {seed}: A {s:?}, {} checkpoints ({} busy); B {:?}",
            w.a.checkpoints,
            w.a.busy,
            w.b.bond.stats()
        );
        assert!(w.a.resyncs > 10 && w.b.resyncs > 10, "{s:?}");
        assert_eq!(s.resyncs, w.a.resyncs, "every overflow gave one resync");
        assert!(s.events_dropped > 100, "{s:?}");
        assert!(w.a.checkpoints > 1_000 && w.a.busy > 100);
        for p in 1..FIRST_LACPLIB {
            assert!(w.a.view[&p].enabled, "port {p}: {:?}", w.a.view[&p]);
        }
    }
}

#[test]
fn a_queue_of_zero_events_is_all_resyncs_and_still_exact() {
    let w = chaos(0, 9);
    assert!(w.a.resyncs > 100);
    assert_eq!(
        w.a.events, w.a.resyncs,
        "with no room, every event is a resync"
    );
}
