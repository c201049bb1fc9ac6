//! Every state and transition of the per-port machines, driven through the public API only:
//! one bond, a scripted partner that sends hand-made LACPDUs, and a virtual clock.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::std_instead_of_core, clippy::cast_possible_truncation)]

use std::time::Duration;

use sdnwire_lacp::{
    BadFrame, Bond, ChurnState, Config, Error, Event, Instant, Mode, MuxState, PeriodicState,
    PortConfig, PortState, Rate, RxState, TransmitKind,
};
use sdnwire_packet::slow::{Lacp, LacpInfo, LacpState, Marker};
use sdnwire_packet::MacAddr;

const SYS: MacAddr = MacAddr([0x02, 0, 0, 0, 0, 0x01]);
const PEER: MacAddr = MacAddr([0x02, 0, 0, 0, 0, 0x99]);
const PEER_KEY: u16 = 9;

fn port_mac(p: u32) -> MacAddr {
    MacAddr([0x02, 0, 0, 0, 1, p as u8])
}

/// A bond under test, its clock and what it said.
struct Rig {
    bond: Bond,
    t0: Instant,
    now: Instant,
    events: Vec<Event>,
    sent: Vec<(u32, Vec<u8>)>,
    /// When every frame was sent.
    sent_at: Vec<Instant>,
}

impl Rig {
    fn new(ports: &[(u32, PortConfig)]) -> Rig {
        Rig::with_config(Config::new(SYS), ports)
    }

    fn with_config(config: Config, ports: &[(u32, PortConfig)]) -> Rig {
        // Not the clock's origin: a bond takes any instant as its start.
        let t0 = Instant::from_secs(1_000);
        let mut bond = Bond::new(config, t0);
        for &(p, c) in ports {
            bond.add_port(p, c.mac(port_mac(p))).unwrap();
        }
        // New ports start at the next input, due at once.
        assert_eq!(bond.poll_timeout(), Some(t0));
        let mut rig = Rig {
            bond,
            t0,
            now: t0,
            events: Vec::new(),
            sent: Vec::new(),
            sent_at: Vec::new(),
        };
        rig.bond.handle_timeout(t0);
        rig.drain();
        rig
    }

    fn drain(&mut self) {
        let mut buf = Vec::new();
        while let Some(tx) = self.bond.poll_transmit(&mut buf) {
            assert_eq!(buf.len(), sdnwire_lacp::FRAME_LEN);
            let kind = match buf[14] {
                1 if self.bond.port_state(tx.port).unwrap().mode == Mode::Lacplib => {
                    TransmitKind::LacplibReply
                }
                1 => TransmitKind::Lacpdu,
                _ => TransmitKind::MarkerResponse,
            };
            assert_eq!(tx.kind, kind, "{tx}");
            self.sent.push((tx.port, buf.clone()));
            self.sent_at.push(self.now);
        }
        assert!(
            buf.is_empty(),
            "poll_transmit leaves the buffer empty when it has nothing"
        );
        while let Some(e) = self.bond.poll_event() {
            self.events.push(e);
        }
    }

    /// Runs every timer up to `d` from now, in order.
    fn advance(&mut self, d: Duration) {
        let until = self.now + d;
        while let Some(t) = self.bond.poll_timeout().filter(|&t| t <= until) {
            self.now = t.max(self.now);
            self.bond.handle_timeout(self.now);
            self.drain();
        }
        self.now = until;
        self.bond.handle_timeout(until);
        self.drain();
    }

    fn secs(&mut self, s: u64) {
        self.advance(Duration::from_secs(s));
    }

    fn millis(&mut self, ms: u64) {
        self.advance(Duration::from_millis(ms));
    }

    fn frame(&mut self, port: u32, frame: &[u8]) {
        self.bond.handle_frame(self.now, port, frame).unwrap();
        self.drain();
    }

    /// The partner sends an LACPDU on `port`.
    fn rx(&mut self, port: u32, actor: LacpInfo, partner: LacpInfo) {
        let f = Lacp::new(actor, partner, 0)
            .to_frame(MacAddr([0x02, 0, 0, 0, 9, port as u8]))
            .unwrap();
        self.frame(port, &f);
    }

    /// The partner, in sync and collecting/distributing, echoing our actor information.
    fn rx_sync(&mut self, port: u32) {
        let echo = self.state(port).actor;
        self.rx(port, peer(port, up_state()), echo);
    }

    fn state(&self, port: u32) -> PortState {
        self.bond.port_state(port).unwrap()
    }

    fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// LACPDUs sent since the last call.
    fn take_pdus(&mut self) -> Vec<(u32, Lacp)> {
        std::mem::take(&mut self.sent)
            .into_iter()
            .filter(|(_, f)| f[14] == 1)
            .map(|(p, f)| (p, Lacp::parse(&f[14..]).unwrap()))
            .collect()
    }

    fn elapsed(&self) -> Duration {
        self.now - self.t0
    }
}

/// The partner's information for its port `port`.
fn peer(port: u32, state: LacpState) -> LacpInfo {
    LacpInfo::new(32768, PEER, PEER_KEY, 32768, port as u16, state)
}

/// Active, short timeout, aggregatable, in sync, collecting, distributing.
fn up_state() -> LacpState {
    LacpState::ACTIVITY
        | LacpState::TIMEOUT
        | LacpState::AGGREGATION
        | LacpState::SYNCHRONIZATION
        | LacpState::COLLECTING
        | LacpState::DISTRIBUTING
}

fn active() -> PortConfig {
    PortConfig::new(MacAddr::ZERO).key(5)
}

/// A port brought to COLLECTING_DISTRIBUTING with the scripted partner.
fn converged(cfg: PortConfig) -> Rig {
    let mut r = Rig::new(&[(1, cfg)]);
    r.rx_sync(1);
    r.secs(2);
    r.rx_sync(1);
    assert_eq!(r.state(1).mux, MuxState::CollectingDistributing);
    r.take_events();
    r.take_pdus();
    r
}

// ---------------------------------------------------------------------------------------------
// Receive machine
// ---------------------------------------------------------------------------------------------

#[test]
fn receive_port_disabled_then_expired_then_defaulted_then_current() {
    let mut r = Rig::new(&[(1, active())]);
    // Link up at the first input: PORT_DISABLED -> EXPIRED (actor Expired set, partner asked
    // for short timeout so the actor transmits fast).
    let s = r.state(1);
    assert_eq!(s.receive, RxState::Expired);
    assert!(s.actor.state.expired() && s.actor.state.defaulted());
    assert!(r.take_events().contains(&Event::Receive {
        port: 1,
        state: RxState::Expired
    }));
    // EXPIRED -> DEFAULTED after short_timeout_time (3 s).
    r.millis(2_999);
    assert_eq!(r.state(1).receive, RxState::Expired);
    r.millis(1);
    let s = r.state(1);
    assert_eq!(s.receive, RxState::Defaulted);
    assert!(s.defaulted() && !s.actor.state.expired());
    assert_eq!(s.partner.system, MacAddr::ZERO);
    assert_eq!(r.bond.counters(1).unwrap().link_defaulted, 1);
    assert_eq!(r.bond.counters(1).unwrap().link_expired, 0);
    // DEFAULTED -> CURRENT on an LACPDU: the partner is recorded.
    r.rx(1, peer(7, up_state()), LacpInfo::default());
    let s = r.state(1);
    assert_eq!(s.receive, RxState::Current);
    assert!(s.current() && !s.defaulted());
    assert_eq!(s.partner.system, PEER);
    assert_eq!(s.partner.port, 7);
    assert!(r.take_events().contains(&Event::PartnerChanged {
        port: 1,
        partner: peer(7, up_state().with_synchronization(false)),
    }));
}

#[test]
fn receive_current_expires_after_short_timeout_then_defaults() {
    let mut r = converged(active());
    r.millis(2_999);
    r.rx_sync(1);
    // CURRENT restarts current_while on every PDU: 3 s from the last one.
    r.millis(2_999);
    assert_eq!(r.state(1).receive, RxState::Current);
    r.millis(1);
    let s = r.state(1);
    assert_eq!(s.receive, RxState::Expired);
    assert!(s.actor.state.expired());
    assert!(!s.partner.state.synchronization());
    assert!(
        s.partner.state.timeout(),
        "EXPIRED sets the partner's short timeout"
    );
    assert_eq!(r.bond.counters(1).unwrap().link_expired, 1);
    // EXPIRED -> CURRENT if a PDU comes back in time.
    r.rx_sync(1);
    assert_eq!(r.state(1).receive, RxState::Current);
    r.secs(3);
    assert_eq!(r.state(1).receive, RxState::Expired);
    r.secs(3);
    assert_eq!(r.state(1).receive, RxState::Defaulted);
    assert_eq!(r.bond.counters(1).unwrap().link_expired, 2);
}

#[test]
fn receive_long_timeout_is_90_seconds_from_the_actor_rate() {
    let mut r = converged(active().rate(Rate::Slow));
    assert!(!r.state(1).actor.state.timeout());
    r.secs(89);
    assert_eq!(r.state(1).receive, RxState::Current);
    r.secs(1);
    assert_eq!(r.state(1).receive, RxState::Expired);
}

#[test]
fn receive_link_down_is_port_disabled_and_link_up_is_expired() {
    let mut r = converged(active());
    r.bond.handle_link(r.now, 1, false).unwrap();
    r.drain();
    let s = r.state(1);
    assert_eq!(s.receive, RxState::PortDisabled);
    assert!(!s.link_up && !s.partner.state.synchronization());
    assert_eq!(s.mux, MuxState::Detached);
    assert_eq!(s.periodic, PeriodicState::NoPeriodic);
    assert_eq!(s.actor_churn, ChurnState::Monitor);
    let ev = r.take_events();
    assert!(ev.contains(&Event::PortDisabled { port: 1 }));
    assert!(ev.contains(&Event::Detached { port: 1 }));
    assert!(ev.contains(&Event::Receive {
        port: 1,
        state: RxState::PortDisabled
    }));
    // PDUs on a down link are ignored and counted.
    r.rx_sync(1);
    assert_eq!(r.state(1).receive, RxState::PortDisabled);
    assert_eq!(r.bond.counters(1).unwrap().rx_ignored, 1);
    // Nothing is sent on a down link, and no timer runs for it.
    r.secs(100);
    assert!(r.take_pdus().is_empty());
    assert_eq!(r.bond.poll_timeout(), None);
    // Repeating the state changes nothing.
    r.bond.handle_link(r.now, 1, false).unwrap();
    assert_eq!(r.bond.counters(1).unwrap().carrier_changed, 1);
    r.bond.handle_link(r.now, 1, true).unwrap();
    r.drain();
    assert_eq!(r.state(1).receive, RxState::Expired);
    assert_eq!(r.bond.counters(1).unwrap().carrier_changed, 2);
    assert_eq!(
        r.take_pdus().len(),
        1,
        "an LACPDU at once when the link comes up"
    );
}

#[test]
fn receive_lacp_disabled_runs_an_individual_link() {
    let mut r = Rig::new(&[(1, active().lacp_enabled(false))]);
    let s = r.state(1);
    assert_eq!(s.receive, RxState::LacpDisabled);
    assert_eq!(s.periodic, PeriodicState::NoPeriodic);
    assert!(!s.partner.state.aggregation());
    // Its own aggregator, and it carries traffic after aggregate_wait_time.
    r.secs(2);
    let s = r.state(1);
    assert_eq!(s.aggregator, Some(1));
    assert_eq!(s.mux, MuxState::CollectingDistributing);
    // No LACPDU is sent or taken.
    r.rx_sync(1);
    assert_eq!(r.bond.counters(1).unwrap().rx_ignored, 1);
    assert!(r.take_pdus().is_empty());
    // Link down: PORT_DISABLED; back up: LACP_DISABLED again.
    r.bond.handle_link(r.now, 1, false).unwrap();
    assert_eq!(r.state(1).receive, RxState::PortDisabled);
    r.bond.handle_link(r.now, 1, true).unwrap();
    assert_eq!(r.state(1).receive, RxState::LacpDisabled);
    // Enabling LACP restarts the port with LACP.
    let now = r.now;
    r.bond
        .set_port_config(now, 1, active().mac(port_mac(1)))
        .unwrap();
    r.drain();
    assert_eq!(r.state(1).receive, RxState::Expired);
    assert_eq!(r.take_pdus().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Periodic transmission and transmit machines
// ---------------------------------------------------------------------------------------------

#[test]
fn periodic_fast_then_slow_then_fast_as_the_partner_asks() {
    let mut r = converged(active());
    assert_eq!(r.state(1).periodic, PeriodicState::Fast);
    // Fast: one LACPDU per second.
    for _ in 0..2 {
        r.rx_sync(1);
        r.secs(1);
    }
    let sent = r.take_pdus();
    assert_eq!(sent.len(), 2, "{sent:?}");
    // The partner asks for a long timeout: SLOW_PERIODIC, every 30 s.
    let echo = r.state(1).actor;
    r.rx(1, peer(1, up_state().with_timeout(false)), echo);
    assert_eq!(r.state(1).periodic, PeriodicState::Slow);
    r.take_pdus();
    // (The partner still sends every 2 s: this actor asks for a short timeout.)
    for _ in 0..15 {
        r.rx(1, peer(1, up_state().with_timeout(false)), echo);
        r.secs(2);
    }
    assert_eq!(r.take_pdus().len(), 1, "one PDU in 30 s");
    // Back to short: PERIODIC_TX at once, then FAST_PERIODIC.
    r.rx(1, peer(1, up_state()), echo);
    assert_eq!(r.state(1).periodic, PeriodicState::Fast);
    assert_eq!(r.take_pdus().len(), 1);
}

#[test]
fn periodic_no_periodic_when_both_ends_are_passive() {
    let mut r = Rig::new(&[(1, active().mode(Mode::Passive))]);
    assert_eq!(r.state(1).periodic, PeriodicState::NoPeriodic);
    r.secs(10);
    assert!(r.take_pdus().is_empty());
    // A passive partner's PDU does not start periodic transmission either.
    let echo = r.state(1).actor;
    r.rx(1, peer(1, up_state().with_activity(false)), echo);
    assert_eq!(r.state(1).periodic, PeriodicState::NoPeriodic);
    assert!(r.take_pdus().is_empty());
    // An active partner does: the passive port answers at once and then periodically.
    r.rx(1, peer(1, up_state()), echo);
    assert_eq!(r.state(1).periodic, PeriodicState::Fast);
    let sent = r.take_pdus();
    assert_eq!(sent.len(), 1);
    assert!(!sent[0].1.actor.state.activity());
}

#[test]
fn transmit_ntt_on_partner_mismatch_and_rate_limit_of_three_per_second() {
    let mut r = converged(active());
    // A PDU whose partner view is wrong makes the actor answer at once (update_NTT).
    r.rx(1, peer(1, up_state()), LacpInfo::default());
    let first = r.take_pdus();
    assert_eq!(first.len(), 1);
    // Ten such PDUs within 100 ms: at most 3 LACPDUs in any second (periodic ones count).
    for _ in 0..10 {
        r.millis(10);
        r.rx(1, peer(1, up_state()), LacpInfo::default());
    }
    assert!(r.bond.counters(1).unwrap().tx_rate_limited >= 1);
    r.secs(3);
    let times = &r.sent_at;
    assert!(times.len() > 6, "{}", times.len());
    for w in times.windows(4) {
        assert!(
            w[3] - w[0] >= Duration::from_secs(1),
            "4 PDUs within a second"
        );
    }
    // The held NTT (NTTs coalesce) went out when the window allowed, then periodic ones.
    let last = r.take_pdus();
    assert!(last.len() >= 4, "{}", last.len());
    r.sent_at.clear();
    // The LACPDU describes the port: actor info from the configuration and the machines,
    // partner info as recorded.
    r.rx_sync(1);
    r.secs(1);
    let (port, pdu) = r.take_pdus().pop().unwrap();
    assert_eq!(port, 1);
    assert_eq!(pdu.actor.system, SYS);
    assert_eq!(pdu.actor.system_priority, 32768);
    assert_eq!(pdu.actor.key, 5);
    assert_eq!(pdu.actor.port, 1);
    assert_eq!(pdu.partner.system, PEER);
    assert!(pdu.actor.state.synchronization() && pdu.actor.state.collecting());
}

// ---------------------------------------------------------------------------------------------
// Selection and mux machines
// ---------------------------------------------------------------------------------------------

#[test]
fn mux_detached_waiting_attached_collecting_distributing_and_back() {
    let mut r = Rig::new(&[(1, active())]);
    assert_eq!(r.state(1).mux, MuxState::Detached);
    assert_eq!(r.state(1).aggregator, None);
    r.take_events();
    r.rx(1, peer(1, up_state()), LacpInfo::default());
    // Selected: DETACHED -> WAITING.
    let s = r.state(1);
    assert_eq!(s.mux, MuxState::Waiting);
    assert_eq!(s.aggregator, Some(1));
    assert!(!s.actor.state.synchronization());
    assert!(r.take_events().contains(&Event::PortSelected {
        port: 1,
        aggregator: 1
    }));
    // wait_while (2 s), then ATTACHED: in sync, not collecting.
    r.millis(1_999);
    assert_eq!(r.state(1).mux, MuxState::Waiting);
    r.millis(1);
    let s = r.state(1);
    assert_eq!(s.mux, MuxState::Attached);
    assert!(s.attached() && s.actor.state.synchronization() && !s.collecting);
    assert_eq!(r.take_events(), vec![Event::Attached { port: 1 }]);
    // The partner was not in sync with us (its partner view was empty): stays ATTACHED.
    // Now it is: COLLECTING_DISTRIBUTING.
    r.rx_sync(1);
    let s = r.state(1);
    assert_eq!(s.mux, MuxState::CollectingDistributing);
    assert!(s.collecting && s.distributing && s.enabled);
    assert_eq!(
        r.take_events(),
        vec![
            Event::Collecting { port: 1, on: true },
            Event::Distributing { port: 1, on: true },
            Event::PortEnabled { port: 1 },
        ]
    );
    // The partner drops sync: back to ATTACHED.
    let echo = r.state(1).actor;
    r.rx(1, peer(1, up_state().with_synchronization(false)), echo);
    assert_eq!(r.state(1).mux, MuxState::Attached);
    assert_eq!(
        r.take_events(),
        vec![
            Event::Distributing { port: 1, on: false },
            Event::Collecting { port: 1, on: false },
            Event::PortDisabled { port: 1 },
        ]
    );
    // A different partner system: UNSELECTED, DETACHED, then selected again.
    let other = LacpInfo {
        system: MacAddr([0x02, 0, 0, 0, 0, 0x77]),
        ..peer(1, up_state())
    };
    r.rx(1, other, echo);
    let ev = r.take_events();
    assert_eq!(
        &ev[..2],
        &[
            Event::PortUnselected {
                port: 1,
                aggregator: 1
            },
            Event::PartnerChanged {
                port: 1,
                partner: other
            },
        ]
    );
    assert!(ev.contains(&Event::Detached { port: 1 }));
    assert!(ev.contains(&Event::PortSelected {
        port: 1,
        aggregator: 1
    }));
    assert_eq!(r.state(1).mux, MuxState::Waiting);
    // UNSELECTED while WAITING: straight back to DETACHED (no Attached/Detached events).
    r.bond.handle_link(r.now, 1, false).unwrap();
    r.drain();
    assert_eq!(r.state(1).mux, MuxState::Detached);
    let ev = r.take_events();
    assert!(!ev.contains(&Event::Detached { port: 1 }), "{ev:?}");
}

#[test]
fn selection_groups_by_key_and_partner_and_waits_for_all_members() {
    let ports: Vec<(u32, PortConfig)> = vec![
        (1, active()),
        (2, active()),
        (3, active().key(6)),
        (4, active().aggregatable(false)),
        (5, active()),
    ];
    let mut r = Rig::new(&ports);
    for p in 1..=4 {
        r.rx(p, peer(p, up_state()), LacpInfo::default());
    }
    // Port 5's partner is another system's individual link.
    let lone = LacpInfo {
        system: MacAddr([0x02, 0, 0, 0, 0, 0x55]),
        ..peer(5, up_state().with_aggregation(false))
    };
    r.rx(5, lone, LacpInfo::default());
    let agg = |r: &Rig, p| r.state(p).aggregator.unwrap();
    assert_eq!(agg(&r, 1), agg(&r, 2));
    assert_ne!(agg(&r, 3), agg(&r, 1));
    assert_ne!(agg(&r, 4), agg(&r, 1));
    assert_ne!(agg(&r, 4), agg(&r, 3));
    assert_ne!(agg(&r, 5), agg(&r, 1));
    assert_ne!(agg(&r, 5), agg(&r, 3));
    assert_ne!(agg(&r, 5), agg(&r, 4));
    // A member joining while the others wait holds them back until its own wait_while ends
    // (the aggregator is Ready only when every WAITING member is).
    r.millis(1_000);
    let mut r2 = Rig::new(&[(1, active()), (2, active())]);
    r2.rx(1, peer(1, up_state()), LacpInfo::default());
    r2.millis(1_000);
    r2.rx(2, peer(2, up_state()), LacpInfo::default());
    r2.millis(1_500);
    assert_eq!(r2.state(1).mux, MuxState::Waiting, "held back by port 2");
    r2.millis(500);
    assert_eq!(r2.state(1).mux, MuxState::Attached);
    assert_eq!(r2.state(2).mux, MuxState::Attached);
}

#[test]
fn defaulted_ports_never_carry_traffic() {
    let mut r = Rig::new(&[(1, active()), (2, active())]);
    r.secs(10);
    for p in [1, 2] {
        let s = r.state(p);
        assert_eq!(s.receive, RxState::Defaulted);
        // Selected with the administrative partner, attached, but never in sync.
        assert_eq!(s.mux, MuxState::Attached);
        assert!(!s.enabled);
    }
}

// ---------------------------------------------------------------------------------------------
// Churn detection
// ---------------------------------------------------------------------------------------------

#[test]
fn churn_actor_and_partner_after_60_seconds_out_of_sync() {
    let mut r = Rig::new(&[(1, active())]);
    // Defaulted: the actor gets in sync (attached) but the partner never does.
    r.secs(59);
    let s = r.state(1);
    assert_eq!(s.actor_churn, ChurnState::NoChurn);
    assert_eq!(s.partner_churn, ChurnState::Monitor);
    r.secs(1);
    assert_eq!(r.state(1).partner_churn, ChurnState::Churn);
    assert!(r
        .take_events()
        .contains(&Event::PartnerChurn { port: 1, on: true }));
    assert_eq!(r.bond.counters(1).unwrap().partner_churn, 1);
    // The partner gets in sync: NO_PARTNER_CHURN.
    r.rx_sync(1);
    r.secs(2);
    r.rx_sync(1);
    assert_eq!(r.state(1).partner_churn, ChurnState::NoChurn);
    assert!(r
        .take_events()
        .contains(&Event::PartnerChurn { port: 1, on: false }));
    // Actor churn: the actor cannot get in sync while its aggregator waits on a member that
    // keeps being replaced... simplest: a port whose partner keeps changing never attaches.
    let mut r = Rig::new(&[(1, active())]);
    for i in 0..61u16 {
        let p = LacpInfo {
            key: 100 + i,
            ..peer(1, up_state())
        };
        r.rx(1, p, LacpInfo::default());
        r.secs(1);
    }
    assert_eq!(r.state(1).actor_churn, ChurnState::Churn);
    assert_eq!(r.bond.counters(1).unwrap().actor_churn, 1);
    assert!(r
        .take_events()
        .contains(&Event::ActorChurn { port: 1, on: true }));
    r.rx_sync(1);
    r.secs(2);
    assert_eq!(r.state(1).actor_churn, ChurnState::NoChurn);
    assert!(r
        .take_events()
        .contains(&Event::ActorChurn { port: 1, on: false }));
}

// ---------------------------------------------------------------------------------------------
// Marker responder
// ---------------------------------------------------------------------------------------------

#[test]
fn marker_information_is_answered_with_a_response() {
    let mut r = converged(active());
    let info = Marker::information(7, PEER, 0xdead_beef);
    r.frame(1, &info.to_frame(MacAddr([0x02, 0, 0, 0, 9, 1])).unwrap());
    let (port, frame) = r.sent.pop().unwrap();
    assert_eq!(port, 1);
    assert_eq!(frame.len(), sdnwire_lacp::FRAME_LEN);
    assert_eq!(&frame[..6], &MacAddr::SLOW_PROTOCOLS.0);
    assert_eq!(&frame[6..12], &port_mac(1).0);
    assert_eq!(
        Marker::parse(&frame[14..]).unwrap(),
        Marker::response_to(&info)
    );
    // Two requests before a poll: one response, the latest, and one counted as dropped.
    let now = r.now;
    for id in [1, 2] {
        let f = Marker::information(7, PEER, id).to_frame(PEER).unwrap();
        r.bond.handle_frame(now, 1, &f).unwrap();
    }
    r.drain();
    let markers: Vec<_> = r.sent.iter().filter(|(_, f)| f[14] == 2).collect();
    assert_eq!(markers.len(), 1);
    assert_eq!(
        Marker::parse(&markers[0].1[14..])
            .unwrap()
            .requester_transaction_id,
        2
    );
    // A response is counted, not answered.
    r.sent.clear();
    let resp = Marker::response_to(&info).to_frame(PEER).unwrap();
    r.frame(1, &resp);
    assert!(r.sent.is_empty());
    let c = r.bond.counters(1).unwrap();
    assert_eq!(
        (
            c.rx_marker_requests,
            c.rx_marker_responses,
            c.tx_marker_responses,
            c.tx_marker_dropped
        ),
        (3, 1, 2, 1)
    );
    // Markers do not disturb LACP.
    assert_eq!(r.state(1).mux, MuxState::CollectingDistributing);
}

// ---------------------------------------------------------------------------------------------
// Ryu's lacplib mode
// ---------------------------------------------------------------------------------------------

#[test]
fn lacplib_answers_each_pdu_and_follows_the_partner_timeout() {
    let mut r = Rig::new(&[(3, PortConfig::new(MacAddr::ZERO).mode(Mode::Lacplib))]);
    // Nothing is sent unprompted, and no timer runs.
    r.secs(100);
    assert!(r.take_pdus().is_empty());
    assert_eq!(r.bond.poll_timeout(), None);
    r.take_events();
    let req_actor = LacpInfo::new(
        0x1234,
        PEER,
        0x21,
        0x80,
        9,
        up_state().with_synchronization(false) | LacpState::DEFAULTED | LacpState::EXPIRED,
    );
    let req_partner = LacpInfo::new(1, MacAddr([2, 2, 2, 2, 2, 2]), 2, 3, 4, LacpState(0xff));
    r.rx(3, req_actor, req_partner);
    assert_eq!(
        r.take_events(),
        vec![
            Event::PartnerChanged {
                port: 3,
                partner: req_actor
            },
            Event::Collecting { port: 3, on: true },
            Event::Distributing { port: 3, on: true },
            Event::PortEnabled { port: 3 },
            Event::PartnerTimeout {
                port: 3,
                timeout: Duration::from_secs(3)
            },
            Event::Receive {
                port: 3,
                state: RxState::Current
            },
        ]
    );
    // The answer: lacplib's _create_lacp.
    let (port, pdu) = r.take_pdus().pop().unwrap();
    assert_eq!(port, 3);
    assert_eq!(pdu.actor.system_priority, 0xffff);
    assert_eq!(pdu.actor.system, SYS);
    assert_eq!(pdu.actor.key, 0x21);
    assert_eq!(pdu.actor.port_priority, 0xff);
    assert_eq!(pdu.actor.port, 3);
    assert_eq!(
        pdu.actor.state,
        LacpState::TIMEOUT
            | LacpState::AGGREGATION
            | LacpState::COLLECTING
            | LacpState::DISTRIBUTING
    );
    assert_eq!(pdu.partner, req_actor);
    assert_eq!(pdu.collector_max_delay, 0);
    let s = r.state(3);
    assert!(s.enabled && s.collecting && s.distributing);
    assert_eq!(s.partner_timeout, Some(Duration::from_secs(3)));
    // PDUs keep it enabled; each one is answered.
    for _ in 0..5 {
        r.secs(1);
        r.rx(3, req_actor, req_partner);
    }
    assert_eq!(r.take_pdus().len(), 5);
    assert!(r
        .take_events()
        .iter()
        .all(|e| !matches!(e, Event::PortDisabled { .. })));
    // They stop: disabled 3 s after the last one.
    r.millis(2_999);
    assert!(r.state(3).enabled);
    r.millis(1);
    assert!(!r.state(3).enabled);
    assert_eq!(
        r.take_events(),
        vec![
            Event::Distributing { port: 3, on: false },
            Event::Collecting { port: 3, on: false },
            Event::PortDisabled { port: 3 },
            Event::Receive {
                port: 3,
                state: RxState::Defaulted
            },
        ]
    );
    let s = r.state(3);
    assert!(!s.collecting && !s.distributing && s.partner_timeout.is_none());
    // Long timeout: 90 s; the timeout change is reported (lacplib re-installs its flow).
    let slow = req_actor.state.with_timeout(false);
    r.rx(
        3,
        LacpInfo {
            state: slow,
            ..req_actor
        },
        req_partner,
    );
    let ev = r.take_events();
    assert!(ev.contains(&Event::PortEnabled { port: 3 }));
    assert!(ev.contains(&Event::PartnerTimeout {
        port: 3,
        timeout: Duration::from_secs(90)
    }));
    r.secs(89);
    assert!(r.state(3).enabled);
    // The runtime's own timeout (lacplib's FLOW_REMOVED) disables it at once.
    r.bond.handle_pdu_timeout(r.now, 3).unwrap();
    r.drain();
    assert!(!r.state(3).enabled);
    assert!(r.take_events().contains(&Event::PortDisabled { port: 3 }));
}

// ---------------------------------------------------------------------------------------------
// Configuration, errors, bad input
// ---------------------------------------------------------------------------------------------

#[test]
fn configuration_errors() {
    let now = Instant::ZERO;
    let mut b = Bond::new(Config::new(SYS).max_ports(2), now);
    b.add_port(1, active()).unwrap();
    assert_eq!(
        b.add_port(1, active()),
        Err(Error::DuplicatePort { port: 1 })
    );
    assert_eq!(
        b.add_port(70_000, active()),
        Err(Error::PortNumberTooLarge { port: 70_000 })
    );
    b.add_port(70_000, active().number(7)).unwrap();
    assert_eq!(b.add_port(3, active()), Err(Error::TooManyPorts { max: 2 }));
    assert_eq!(
        b.handle_link(now, 9, true),
        Err(Error::UnknownPort { port: 9 })
    );
    assert_eq!(
        b.handle_frame(now, 9, &[]),
        Err(Error::UnknownPort { port: 9 })
    );
    // Bad input is an error, never an event, and changes nothing: the ports added are still
    // waiting for their first input.
    assert_eq!(b.poll_event(), None);
    assert_eq!(b.stats().unknown_port, 2);
    assert_eq!(b.port_state(1).unwrap().receive, RxState::PortDisabled);
    assert_eq!(
        b.set_port_config(now, 9, active()),
        Err(Error::UnknownPort { port: 9 })
    );
    assert_eq!(b.remove_port(now, 9), Err(Error::UnknownPort { port: 9 }));
    assert_eq!(
        b.handle_pdu_timeout(now, 9),
        Err(Error::UnknownPort { port: 9 })
    );
    // Mutators' errors are the caller's own mistakes: not counted as bad input.
    assert_eq!(b.stats().unknown_port, 3);
    assert_eq!(b.poll_event(), None);
    assert!(b.port_state(9).is_none() && b.counters(9).is_none());
    // A removed port frees its slot.
    b.remove_port(now, 1).unwrap();
    b.add_port(3, active()).unwrap();
    let mut ports: Vec<u32> = b.ports().collect();
    ports.sort_unstable();
    assert_eq!(ports, vec![3, 70_000]);
    assert_eq!(b.port_state(70_000).unwrap().actor.port, 7);
    assert!(Error::TooManyPorts { max: 2 }
        .to_string()
        .contains("maximum of 2"));
}

#[test]
fn bad_and_foreign_frames_are_counted_and_ignored() {
    let mut r = converged(active());
    let good = Lacp::new(peer(1, up_state()), r.state(1).actor, 0)
        .to_frame(PEER)
        .unwrap();
    let mut not_slow = good.clone();
    not_slow[12..14].copy_from_slice(&0x0800u16.to_be_bytes());
    let mut oam = good.clone();
    oam[14] = 3;
    let mut bad_len = good.clone();
    bad_len[17] = 19; // actor TLV length
    let mut bad_marker = Marker::information(1, PEER, 1).to_frame(PEER).unwrap();
    bad_marker[16] = 9;
    type Case = (Vec<u8>, fn(&BadFrame) -> bool);
    let cases: Vec<Case> = vec![
        (vec![0; 5], |b| matches!(b, BadFrame::Truncated { len: 5 })),
        (good[..14].to_vec(), |b| {
            matches!(b, BadFrame::Truncated { len: 14 })
        }),
        (not_slow, |b| {
            matches!(b, BadFrame::NotSlowProtocols { ethertype: 0x0800 })
        }),
        (oam, |b| {
            matches!(b, BadFrame::UnknownSubtype { subtype: 3 })
        }),
        (bad_len, |b| matches!(b, BadFrame::Malformed(_))),
        (good[..60].to_vec(), |b| matches!(b, BadFrame::Malformed(_))),
        (bad_marker, |b| {
            matches!(b, BadFrame::UnknownMarkerType { tlv_type: 9 })
        }),
    ];
    let before = r.state(1);
    for (frame, check) in &cases {
        let now = r.now;
        match r.bond.handle_frame(now, 1, frame) {
            Err(e @ Error::BadFrame { port: 1, .. }) => {
                let Error::BadFrame { reason, .. } = &e else {
                    unreachable!()
                };
                assert!(check(reason), "{reason:?}");
                assert!(!reason.to_string().is_empty());
                assert!(e.to_string().starts_with("lacp: port 1: "), "{e}");
                assert_eq!(
                    std::error::Error::source(&e).is_some(),
                    matches!(reason, BadFrame::Malformed(_))
                );
            }
            other => panic!("{other:?}"),
        }
        // Never an event, and the port is as it was.
        r.drain();
        assert_eq!(r.take_events(), vec![]);
        assert_eq!(r.state(1), before);
    }
    let c = r.bond.counters(1).unwrap();
    assert_eq!((c.rx_bad, c.rx_foreign), (5, 2));
    assert_eq!(r.bond.stats().bad_frames, 7);
    assert_eq!(r.bond.stats().unknown_port, 0);
    // None of it disturbed the port.
    assert_eq!(r.state(1).mux, MuxState::CollectingDistributing);
    assert!(r.take_pdus().is_empty());
}

#[test]
fn time_never_goes_backwards() {
    let mut r = converged(active());
    let now = r.now;
    // An input dated 10 s in the past counts as now: current_while is not shortened.
    r.bond
        .handle_frame(now - Duration::from_secs(10), 1, &{
            let echo = r.state(1).actor;
            Lacp::new(peer(1, up_state()), echo, 0)
                .to_frame(PEER)
                .unwrap()
        })
        .unwrap();
    r.drain();
    r.millis(2_999);
    assert_eq!(r.state(1).receive, RxState::Current);
    // handle_timeout early or twice is harmless.
    let before = r.state(1);
    r.bond.handle_timeout(r.now - Duration::from_secs(5));
    r.bond.handle_timeout(r.now);
    assert_eq!(r.state(1), before);
    assert!(r.elapsed() > Duration::from_secs(2));
}

#[test]
fn removing_a_port_moves_the_others_off_its_aggregator() {
    let mut r = Rig::new(&[(1, active()), (2, active())]);
    for p in [1, 2] {
        r.rx_sync(p);
    }
    r.secs(2);
    for p in [1, 2] {
        r.rx_sync(p);
    }
    let agg = r.state(2).aggregator.unwrap();
    let owner = agg;
    let other = 3 - owner;
    r.take_events();
    r.bond.remove_port(r.now, owner).unwrap();
    r.drain();
    assert!(r.bond.port_state(owner).is_none());
    let s = r.state(other);
    assert_eq!(s.aggregator, Some(other));
    assert_eq!(s.mux, MuxState::Waiting);
    let ev = r.take_events();
    assert!(ev.contains(&Event::PortDisabled { port: owner }));
    assert!(ev.contains(&Event::PortDisabled { port: other }));
    r.secs(2);
    r.rx_sync(other);
    assert_eq!(r.state(other).mux, MuxState::CollectingDistributing);
}

#[test]
fn a_flood_of_bad_input_crowds_no_event_out() {
    let mut r = Rig::with_config(Config::new(SYS).max_events(4), &[(1, active())]);
    r.take_events();
    for _ in 0..10_000 {
        let now = r.now;
        assert!(r.bond.handle_frame(now, 1, &[0; 3]).is_err());
        assert!(r.bond.handle_frame(now, 2, &[0; 3]).is_err());
    }
    assert_eq!(r.bond.pending_events(), 0);
    let s = r.bond.stats();
    assert_eq!(
        (s.bad_frames, s.unknown_port, s.events_dropped),
        (10_000, 10_000, 0)
    );
    // The partner's first LACPDU still gives every event it owes.
    r.rx_sync(1);
    let ev = r.take_events();
    assert!(
        ev.contains(&Event::Receive {
            port: 1,
            state: RxState::Current
        }),
        "{ev:?}"
    );
}

#[test]
fn events_beyond_the_bound_become_one_resync() {
    // 4 events fit; converging one port makes more.
    let mut r = Rig::with_config(Config::new(SYS).max_events(4), &[(1, active())]);
    r.take_events();
    assert_eq!(
        r.bond.stats().resyncs,
        0,
        "starting a port makes 3 events at most"
    );
    let rx = |r: &mut Rig| {
        let echo = r.state(1).actor;
        let f = Lacp::new(peer(1, up_state()), echo, 0)
            .to_frame(PEER)
            .unwrap();
        let now = r.now;
        r.bond.handle_frame(now, 1, &f).unwrap();
    };
    rx(&mut r);
    r.bond.handle_timeout(r.now + Duration::from_secs(2));
    r.now += Duration::from_secs(2);
    rx(&mut r);
    let s = r.bond.stats();
    assert_eq!(s.resyncs, 1, "{s:?}");
    assert!(s.events_dropped > 4, "{s:?}");
    // The queue was emptied: the next event is the resync, then nothing.
    assert_eq!(r.bond.pending_events(), 1);
    assert_eq!(r.bond.poll_event(), Some(Event::Resync));
    assert_eq!(r.bond.poll_event(), None);
    // The getters are the truth.
    assert!(r.state(1).collecting_distributing());
    // After the resync, events flow again: four fit.
    r.bond.handle_pdu_timeout(r.now, 1).unwrap();
    let ev: Vec<Event> = std::iter::from_fn(|| r.bond.poll_event()).collect();
    assert_eq!(
        ev,
        [
            Event::Receive {
                port: 1,
                state: RxState::Expired
            },
            Event::Distributing { port: 1, on: false },
            Event::Collecting { port: 1, on: false },
            Event::PortDisabled { port: 1 },
        ]
    );
    // The partner again: four events; the runtime reads two of them, then the link goes
    // down (three more): the two left and the three are dropped, one resync stands for them.
    rx(&mut r);
    assert_eq!(r.bond.pending_events(), 4);
    assert_eq!(
        r.bond.poll_event(),
        Some(Event::Receive {
            port: 1,
            state: RxState::Current
        })
    );
    assert_eq!(
        r.bond.poll_event(),
        Some(Event::Collecting { port: 1, on: true })
    );
    r.bond.handle_link(r.now, 1, false).unwrap();
    assert_eq!(r.bond.pending_events(), 1);
    assert_eq!(r.bond.poll_event(), Some(Event::Resync));
    assert_eq!(r.bond.poll_event(), None);
    assert_eq!(r.bond.stats().resyncs, 2);
    let s = r.state(1);
    assert!(!s.link_up && !s.enabled && s.aggregator.is_none(), "{s:?}");
}

#[test]
fn restarting_a_port_with_frames_queued_keeps_the_queue_bounded() {
    // Found by the lacp_bond fuzz target: a restart used to forget that frames were queued.
    let mut r = Rig::new(&[(1, active())]);
    for i in 0..10u16 {
        let now = r.now;
        let f = Marker::information(1, PEER, u32::from(i))
            .to_frame(PEER)
            .unwrap();
        r.bond.handle_frame(now, 1, &f).unwrap();
        r.bond
            .set_port_config(now, 1, active().key(i).mac(port_mac(1)))
            .unwrap();
        assert!(
            r.bond.pending_transmits() <= 3,
            "{}",
            r.bond.pending_transmits()
        );
    }
    r.drain();
    assert_eq!(r.bond.pending_transmits(), 0);
}

#[test]
fn our_own_lacpdus_looped_back_are_ignored() {
    // Ports 1 and 2 of the same bond wired to each other.
    let mut r = Rig::new(&[(1, active()), (2, active())]);
    for _ in 0..5 {
        let frames = std::mem::take(&mut r.sent);
        for (port, f) in frames {
            r.frame(3 - port, &f);
        }
        r.secs(1);
    }
    for p in [1, 2] {
        let s = r.state(p);
        assert_ne!(s.receive, RxState::Current, "{s:?}");
        assert!(!s.enabled);
        assert!(r.bond.counters(p).unwrap().rx_looped >= 4);
        assert_eq!(r.bond.counters(p).unwrap().rx_pdus, 0);
    }
}
