//! Arbitrary sequences of inputs (raw frames, valid-ish LACPDUs and markers, link changes,
//! configuration changes, clock steps) never panic and keep every port's state within the
//! machines' invariants and every queue within its bound.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::std_instead_of_core, clippy::cast_possible_truncation)]

use std::time::Duration;

use proptest::prelude::*;
use sdnwire_lacp::{
    Bond, Config, Error, Instant, Mode, MuxState, PeriodicState, PortConfig, Rate, RxState,
    TransmitKind,
};
use sdnwire_packet::slow::{Lacp, LacpInfo, LacpState, Marker};
use sdnwire_packet::MacAddr;

const PORTS: u32 = 4;
const MAX_EVENTS: usize = 64;

#[derive(Debug, Clone)]
enum Op {
    /// Raw bytes as a frame on a port (possibly one not in the bond).
    Raw(u32, Vec<u8>),
    /// An LACPDU from one of a few partner systems, echoing our actor info or not.
    Pdu {
        port: u32,
        system: u8,
        key: u16,
        pport: u16,
        state: u8,
        echo: bool,
        echo_state: u8,
    },
    /// A marker information (or other TLV type) PDU.
    Marker(u32, u8, u32),
    Link(u32, bool),
    Config(u32, u8, bool, u16),
    Step(u64),
    PduTimeout(u32),
    Drain,
}

fn op() -> impl Strategy<Value = Op> {
    let port = 0..=PORTS + 1;
    prop_oneof![
        (port.clone(), proptest::collection::vec(any::<u8>(), 0..160))
            .prop_map(|(p, b)| Op::Raw(p, b)),
        (
            port.clone(),
            0u8..3,
            0u16..3,
            0u16..5,
            any::<u8>(),
            any::<bool>(),
            any::<u8>()
        )
            .prop_map(
                |(port, system, key, pport, state, echo, echo_state)| Op::Pdu {
                    port,
                    system,
                    key,
                    pport,
                    state,
                    echo,
                    echo_state
                }
            ),
        (port.clone(), 0u8..4, any::<u32>()).prop_map(|(p, t, id)| Op::Marker(p, t, id)),
        (port.clone(), any::<bool>()).prop_map(|(p, u)| Op::Link(p, u)),
        (port.clone(), 0u8..6, any::<bool>(), 0u16..3)
            .prop_map(|(p, m, a, k)| Op::Config(p, m, a, k)),
        prop_oneof![0u64..50, 0u64..5_000, 0u64..200_000].prop_map(Op::Step),
        port.prop_map(Op::PduTimeout),
        Just(Op::Drain),
    ]
}

fn cfg(port: u32, m: u8, aggregatable: bool, key: u16) -> PortConfig {
    let mode = match m % 3 {
        0 => Mode::Active,
        1 => Mode::Passive,
        _ => Mode::Lacplib,
    };
    let rate = if m / 3 == 0 { Rate::Fast } else { Rate::Slow };
    PortConfig::new(MacAddr([2, 0, 0, 0, 1, port as u8]))
        .key(key)
        .mode(mode)
        .rate(rate)
        .aggregatable(aggregatable)
        .lacp_enabled(m != 5)
}

fn check(bond: &Bond, now: Instant) {
    assert!(bond.pending_transmits() <= 3 * PORTS as usize);
    assert!(bond.pending_events() <= MAX_EVENTS);
    for port in 1..=PORTS {
        let s = bond.port_state(port).unwrap();
        // Coupled control: collecting and distributing together, and only when
        // COLLECTING_DISTRIBUTING.
        if s.mode != Mode::Lacplib {
            assert_eq!(s.collecting, s.distributing, "{s:?}");
            assert_eq!(
                s.collecting,
                s.mux == MuxState::CollectingDistributing,
                "{s:?}"
            );
            assert_eq!(s.enabled, s.collecting, "{s:?}");
            assert_eq!(
                s.actor.state.synchronization(),
                s.attached(),
                "in sync exactly when attached: {s:?}"
            );
            if s.attached() {
                assert!(s.aggregator.is_some(), "{s:?}");
            }
            if !s.link_up {
                assert_eq!(s.receive, RxState::PortDisabled, "{s:?}");
                assert_eq!(s.mux, MuxState::Detached, "{s:?}");
                assert_eq!(s.periodic, PeriodicState::NoPeriodic, "{s:?}");
            } else {
                assert_ne!(s.receive, RxState::PortDisabled, "{s:?}");
            }
            match s.receive {
                RxState::Defaulted | RxState::LacpDisabled => assert!(s.defaulted(), "{s:?}"),
                RxState::Current => assert!(!s.defaulted(), "{s:?}"),
                _ => {}
            }
            assert_eq!(
                s.actor.state.expired(),
                s.receive == RxState::Expired,
                "{s:?}"
            );
        } else {
            assert_eq!(s.periodic, PeriodicState::NoPeriodic);
            if !s.link_up {
                assert!(!s.enabled);
            }
        }
        // Members of one aggregator share the actor key and the partner system and key.
        if let Some(a) = s.aggregator {
            for other in 1..=PORTS {
                let o = bond.port_state(other).unwrap();
                if other != port && o.aggregator == Some(a) {
                    assert_eq!(o.actor.key, s.actor.key, "{s:?} {o:?}");
                    assert_eq!(o.partner.system, s.partner.system, "{s:?} {o:?}");
                    assert_eq!(o.partner.key, s.partner.key, "{s:?} {o:?}");
                    assert!(s.actor.state.aggregation() && s.partner.state.aggregation());
                }
            }
        }
    }
    // No timer is left behind: after handle_timeout(now), the next one is later.
    if let Some(t) = bond.poll_timeout() {
        assert!(t > now, "timer at {t:?} not run at {now:?}");
    }
}

fn drain(bond: &mut Bond, pdus: &mut u32) {
    let mut frame = Vec::new();
    while let Some(tx) = bond.poll_transmit(&mut frame) {
        assert!(tx.port >= 1 && tx.port <= PORTS);
        assert_eq!(frame.len(), sdnwire_lacp::FRAME_LEN);
        assert_eq!(&frame[..6], &MacAddr::SLOW_PROTOCOLS.0);
        assert_eq!(&frame[6..12], &[2, 0, 0, 0, 1, tx.port as u8]);
        match (frame[14], tx.kind) {
            (1, TransmitKind::Lacpdu | TransmitKind::LacplibReply) => {
                Lacp::parse(&frame[14..]).unwrap();
                *pdus += 1;
            }
            (2, TransmitKind::MarkerResponse) => {
                assert!(Marker::parse(&frame[14..]).unwrap().is_response());
            }
            (s, k) => panic!("subtype {s} sent as {k:?}"),
        }
    }
    while let Some(e) = bond.poll_event() {
        assert!(!e.to_string().is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_inputs_keep_the_machines_in_bounds(ops in proptest::collection::vec(op(), 1..120)) {
        let t0 = Instant::from_millis(1);
        let mut bond = Bond::new(Config::new(MacAddr([2, 0, 0, 0, 0, 1])).max_ports(PORTS as usize).max_events(MAX_EVENTS), t0);
        for p in 1..=PORTS {
            bond.add_port(p, cfg(p, 0, true, 1)).unwrap();
        }
        let mut now = t0;
        bond.handle_timeout(now);
        let mut pdus = 0u32;
        // Transmissions per port in the last second, for the rate limit.
        for op in ops {
            match op {
                Op::Raw(p, b) => {
                    let known = (1..=PORTS).contains(&p);
                    let before = bond.port_state(p);
                    match bond.handle_frame(now, p, &b) {
                        Ok(()) => prop_assert!(known),
                        Err(Error::UnknownPort { port }) => prop_assert!(!known && port == p),
                        Err(Error::BadFrame { port, .. }) => {
                            // Bad input changes no state.
                            prop_assert!(known && port == p);
                            prop_assert_eq!(bond.port_state(p), before);
                        }
                        Err(e) => prop_assert!(false, "{}", e),
                    }
                }
                Op::Pdu { port, system, key, pport, state, echo, echo_state } => {
                    let actor = LacpInfo::new(32768, MacAddr([2, 0, 0, 0, 9, system]), key, 32768, pport, LacpState(state));
                    let partner = match bond.port_state(port) {
                        Some(s) if echo => LacpInfo { state: LacpState(echo_state), ..s.actor },
                        _ => LacpInfo::default(),
                    };
                    let f = Lacp::new(actor, partner, 0).to_frame(MacAddr([2, 0, 0, 0, 9, 9])).unwrap();
                    let _ = bond.handle_frame(now, port, &f);
                }
                Op::Marker(p, t, id) => {
                    let mut m = Marker::information(1, MacAddr([2, 0, 0, 0, 9, 1]), id);
                    m.tlv_type = sdnwire_packet::slow::MarkerTlvType(t);
                    let _ = bond.handle_frame(now, p, &m.to_frame(MacAddr([2, 0, 0, 0, 9, 9])).unwrap());
                }
                Op::Link(p, up) => {
                    let _ = bond.handle_link(now, p, up);
                }
                Op::Config(p, m, a, k) => {
                    let _ = bond.set_port_config(now, p, cfg(p, m, a, k));
                }
                Op::Step(ms) => {
                    // Sometimes a clock going backwards: it counts as the latest time.
                    if ms % 7 == 3 {
                        bond.handle_timeout(now - Duration::from_millis(ms));
                    }
                    now += Duration::from_millis(ms);
                    bond.handle_timeout(now);
                }
                Op::PduTimeout(p) => {
                    let _ = bond.handle_pdu_timeout(now, p);
                }
                Op::Drain => drain(&mut bond, &mut pdus),
            }
            check(&bond, now);
        }
        drain(&mut bond, &mut pdus);
        prop_assert_eq!(bond.pending_transmits(), 0);
        prop_assert_eq!(bond.pending_events(), 0);
        // The rate limit bounds what was sent: 3 LACPDUs per port per started second, plus
        // lacplib answers (one per PDU received at most).
        let secs = (now - t0).as_secs() as u32 + 1;
        let rx: u64 = (1..=PORTS).map(|p| bond.counters(p).unwrap().rx_pdus).sum();
        prop_assert!(u64::from(pdus) <= u64::from(3 * PORTS * secs) + rx, "{} PDUs in {} s", pdus, secs);
    }
}
