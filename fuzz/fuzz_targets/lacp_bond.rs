//! A small `sdnwire_lacp::Bond` (4 ports) driven by the input read as a sequence of operations:
//! a raw frame on port k, a built LACPDU (partner fields echoing ours or not), a marker, a
//! link change, a configuration change, a clock step that obeys `poll_timeout` (or jumps past
//! it, or goes backwards), a PDU timeout, a drain of the outputs. After every operation:
//!
//! - the machines' invariants hold and the queues stay within their bounds; nothing panics;
//! - bad input (an unknown port, a bad frame) is an error that changes no state and makes no
//!   event;
//! - `poll_timeout` is never late: no due timer is left after an input, and a `handle_timeout`
//!   before the instant it gave changes nothing;
//! - no event is lost: a runtime view built only from `poll_event` (and from `port_state`
//!   after `Event::Resync`) equals the bond's state after every drain.
#![no_main]

use core::time::Duration;

use sdnwire_lacp::{
    Bond, ChurnState, Config, Error, Event, Instant, Mode, MuxState, PeriodicState, PortConfig,
    PortState, Rate, RxState, TransmitKind,
};
use sdnwire_packet::slow::{Lacp, LacpInfo, LacpState, Marker, MarkerTlvType};
use sdnwire_packet::MacAddr;

const PORTS: u32 = 4;
const MAX_EVENTS: usize = 32;

/// Reads the input front to back; zeros once it runs out.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.byte(), self.byte()])
    }

    fn bytes(&mut self, n: usize) -> &[u8] {
        let n = n.min(self.0.len());
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        a
    }

    /// A port identifier, 0 and 5 included (not in the bond).
    fn port(&mut self) -> u32 {
        u32::from(self.byte() % 6)
    }
}

fn config(port: u32, m: u8) -> PortConfig {
    PortConfig::new(MacAddr([2, 0, 0, 0, 1, port as u8]))
        .key(u16::from(m >> 4 & 3))
        .mode(match m % 3 {
            0 => Mode::Active,
            1 => Mode::Passive,
            _ => Mode::Lacplib,
        })
        .rate(if m & 8 == 0 { Rate::Fast } else { Rate::Slow })
        .aggregatable(m & 0x40 == 0)
        .lacp_enabled(m & 0x80 == 0)
}

/// What a runtime knows of a port from events: the parts of `PortState` they report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct View {
    aggregator: Option<u32>,
    attached: bool,
    collecting: bool,
    distributing: bool,
    enabled: bool,
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

/// Every port's state and the queues' lengths: what must not change when nothing is due.
fn snapshot(bond: &Bond) -> (Vec<PortState>, usize, usize) {
    (
        (1..=PORTS)
            .map(|p| bond.port_state(p).expect("port"))
            .collect(),
        bond.pending_transmits(),
        bond.pending_events(),
    )
}

fn check(bond: &Bond, now: Instant) {
    assert!(bond.pending_transmits() <= 3 * PORTS as usize);
    assert!(bond.pending_events() <= MAX_EVENTS);
    for port in 1..=PORTS {
        let s = bond.port_state(port).expect("port");
        assert_eq!(s.collecting, s.distributing);
        assert_eq!(s.enabled, s.collecting);
        if s.mode == Mode::Lacplib {
            assert_eq!(s.periodic, PeriodicState::NoPeriodic);
            assert_eq!(s.partner_timeout.is_some(), s.enabled);
            continue;
        }
        assert_eq!(s.partner_timeout, None);
        assert_eq!(s.collecting, s.mux == MuxState::CollectingDistributing);
        assert_eq!(s.actor.state.synchronization(), s.attached());
        assert!(!s.attached() || s.aggregator.is_some());
        assert_eq!(s.actor.state.expired(), s.receive == RxState::Expired);
        if !s.link_up {
            assert_eq!(s.receive, RxState::PortDisabled);
            assert_eq!(s.mux, MuxState::Detached);
            assert_eq!(s.periodic, PeriodicState::NoPeriodic);
        }
        if let Some(a) = s.aggregator {
            for other in 1..=PORTS {
                let o = bond.port_state(other).expect("port");
                if other != port && o.aggregator == Some(a) {
                    assert_eq!(
                        (o.actor.key, o.partner.system, o.partner.key),
                        (s.actor.key, s.partner.system, s.partner.key)
                    );
                }
            }
        }
    }
    // Nothing due is left behind.
    if let Some(t) = bond.poll_timeout() {
        assert!(t > now, "a due timer was not run");
    }
}

/// The runtime's turn: frames out, events into the view; then the view must be the truth.
fn drain(bond: &mut Bond, view: &mut [View], buf: &mut Vec<u8>) {
    while let Some(tx) = bond.poll_transmit(buf) {
        assert!((1..=PORTS).contains(&tx.port));
        assert_eq!(buf.len(), sdnwire_lacp::FRAME_LEN);
        match (buf.get(14), tx.kind) {
            (Some(1), TransmitKind::Lacpdu | TransmitKind::LacplibReply) => {
                Lacp::parse(&buf[14..]).expect("our LACPDU parses");
            }
            (Some(2), TransmitKind::MarkerResponse) => {
                assert!(Marker::parse(&buf[14..]).expect("marker").is_response())
            }
            other => panic!("sent {other:?}"),
        }
    }
    assert!(buf.is_empty());
    while let Some(ev) = bond.poll_event() {
        if ev == Event::Resync {
            for p in 1..=PORTS {
                view[p as usize - 1] = View::of(&bond.port_state(p).expect("port"));
            }
            continue;
        }
        let port = ev.port().expect("a port event");
        let v = &mut view[port as usize - 1];
        match ev {
            Event::PortSelected { aggregator, .. } => v.aggregator = Some(aggregator),
            Event::PortUnselected { aggregator, .. } => {
                assert_eq!(v.aggregator, Some(aggregator));
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
            Event::PartnerChanged { partner: p, .. } => {
                v.partner = (p.system, p.system_priority, p.key, p.port, p.port_priority);
            }
            Event::PartnerTimeout { timeout, .. } => v.partner_timeout = Some(timeout),
            Event::Receive { state, .. } => v.receive = state,
            Event::ActorChurn { on, .. } => v.actor_churn = on,
            Event::PartnerChurn { on, .. } => v.partner_churn = on,
            e => panic!("unknown event {e:?}"),
        }
    }
    for p in 1..=PORTS {
        let s = bond.port_state(p).expect("port");
        assert_eq!(
            view[p as usize - 1],
            View::of(&s),
            "an event was lost: {s:?}"
        );
    }
}

/// Feeds a frame; bad input must be an error that changes nothing.
fn frame(bond: &mut Bond, now: Instant, port: u32, f: &[u8]) {
    let before = snapshot(bond);
    match bond.handle_frame(now, port, f) {
        Ok(()) => assert!((1..=PORTS).contains(&port)),
        Err(Error::UnknownPort { port: p }) => {
            assert!(p == port && !(1..=PORTS).contains(&port));
            assert_eq!(snapshot(bond), before);
        }
        Err(Error::BadFrame { port: p, .. }) => {
            assert_eq!(p, port);
            assert_eq!(snapshot(bond), before);
        }
        Err(e) => panic!("{e}"),
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let mut now = Instant::from_millis(u64::from(input.u16()));
    let mut bond = Bond::new(
        Config::new(MacAddr([2, 0, 0, 0, 0, 1]))
            .max_ports(PORTS as usize)
            .max_events(MAX_EVENTS),
        now,
    );
    let mut view = Vec::new();
    for p in 1..=PORTS {
        bond.add_port(p, config(p, input.byte())).expect("add");
        view.push(View::of(&bond.port_state(p).expect("port")));
    }
    // New ports are due at once.
    assert_eq!(bond.poll_timeout(), Some(now));
    bond.handle_timeout(now);
    let mut buf = Vec::new();
    for _ in 0..256 {
        if input.0.is_empty() {
            break;
        }
        match input.byte() % 10 {
            0 => {
                let port = input.port();
                let len = usize::from(input.byte());
                let f = input.bytes(len).to_vec();
                frame(&mut bond, now, port, &f);
            }
            1 => {
                let port = input.port();
                let actor = LacpInfo::new(
                    input.u16() & 1,
                    MacAddr([2, 0, 0, 0, 9, input.byte() % 3]),
                    u16::from(input.byte() % 3),
                    32768,
                    u16::from(input.byte() % 4),
                    LacpState(input.byte()),
                );
                let echo = input.byte();
                let partner = match bond.port_state(port) {
                    Some(s) if echo & 1 == 1 => LacpInfo {
                        state: LacpState(echo),
                        ..s.actor
                    },
                    _ => LacpInfo::default(),
                };
                if let Ok(f) = Lacp::new(actor, partner, 0).to_frame(MacAddr([2, 0, 0, 0, 9, 9])) {
                    frame(&mut bond, now, port, &f);
                }
            }
            2 => {
                let port = input.port();
                let mut m = Marker::information(
                    input.u16(),
                    MacAddr([2, 0, 0, 0, 9, 1]),
                    u32::from(input.u16()),
                );
                m.tlv_type = MarkerTlvType(input.byte() % 4);
                if let Ok(f) = m.to_frame(MacAddr([2, 0, 0, 0, 9, 9])) {
                    frame(&mut bond, now, port, &f);
                }
            }
            3 => {
                let port = input.port();
                let up = input.byte() & 1 == 1;
                let r = bond.handle_link(now, port, up);
                assert_eq!(r.is_ok(), (1..=PORTS).contains(&port));
            }
            4 => {
                let port = input.port();
                let m = input.byte();
                let _ = bond.set_port_config(now, port, config(port, m));
            }
            5 => {
                // A runtime that sleeps until poll_timeout: just before each deadline nothing
                // may change; at it, the due timers run.
                let target = now + Duration::from_millis(u64::from(input.u16()));
                let mut steps = 0;
                while let Some(t) = bond.poll_timeout().filter(|&t| t <= target) {
                    steps += 1;
                    if steps > 4096 {
                        break;
                    }
                    let early = t - Duration::from_nanos(1);
                    if early > now {
                        let before = snapshot(&bond);
                        bond.handle_timeout(early);
                        assert_eq!(
                            snapshot(&bond),
                            before,
                            "a state changed before poll_timeout"
                        );
                        now = early;
                    }
                    now = t.max(now);
                    bond.handle_timeout(now);
                    check(&bond, now);
                }
                if steps <= 4096 {
                    let before = snapshot(&bond);
                    now = target.max(now);
                    bond.handle_timeout(now);
                    assert_eq!(
                        snapshot(&bond),
                        before,
                        "a state changed before poll_timeout"
                    );
                }
            }
            6 => {
                // A time earlier than the last one counts as the last one.
                bond.handle_timeout(now - Duration::from_millis(u64::from(input.byte())));
            }
            7 => {
                let port = input.port();
                let _ = bond.handle_pdu_timeout(now, port);
            }
            8 => {
                // A runtime that wakes late: everything due runs at once.
                let ms = u64::from(input.u16()) * u64::from(input.byte() % 8 + 1);
                now += Duration::from_millis(ms);
                bond.handle_timeout(now);
            }
            _ => drain(&mut bond, &mut view, &mut buf),
        }
        check(&bond, now);
    }
    drain(&mut bond, &mut view, &mut buf);
    assert_eq!(bond.pending_transmits(), 0);
    assert_eq!(bond.pending_events(), 0);
});
