//! A small `sdnwire_lacp::Bond` (4 ports) driven by the input read as a sequence of operations:
//! a raw frame on port k, a built LACPDU (partner fields echoing ours or not), a marker, a
//! link change, a configuration change, a clock step (sometimes backwards), a PDU timeout, a
//! drain of the outputs. After every operation the machines' invariants must hold and the
//! queues stay within their bounds; nothing may panic.
#![no_main]

use std::time::{Duration, Instant};

use sdnwire_lacp::{Bond, Config, Mode, MuxState, PeriodicState, PortConfig, Rate, RxState};
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

fn check(bond: &Bond, now: Instant) {
    assert!(bond.pending_transmits() <= 3 * PORTS as usize);
    assert!(bond.pending_events() <= MAX_EVENTS);
    for port in 1..=PORTS {
        let s = bond.port_state(port).expect("port");
        if s.mode == Mode::Lacplib {
            assert_eq!(s.periodic, PeriodicState::NoPeriodic);
            continue;
        }
        assert_eq!(s.collecting, s.distributing);
        assert_eq!(s.collecting, s.mux == MuxState::CollectingDistributing);
        assert_eq!(s.enabled, s.collecting);
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
    if let Some(t) = bond.poll_timeout() {
        assert!(t > now, "a due timer was not run");
    }
}

fn drain(bond: &mut Bond) {
    while let Some(tx) = bond.poll_transmit() {
        assert!((1..=PORTS).contains(&tx.port));
        assert_eq!(tx.frame.len(), sdnwire_lacp::FRAME_LEN);
        match tx.frame.get(14) {
            Some(1) => {
                Lacp::parse(&tx.frame[14..]).expect("our LACPDU parses");
            }
            Some(2) => assert!(Marker::parse(&tx.frame[14..])
                .expect("marker")
                .is_response()),
            other => panic!("sent subtype {other:?}"),
        }
    }
    while bond.poll_event().is_some() {}
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let mut bond = Bond::new(
        Config::new(MacAddr([2, 0, 0, 0, 0, 1]))
            .max_ports(PORTS as usize)
            .max_events(MAX_EVENTS),
    );
    for p in 1..=PORTS {
        bond.add_port(p, config(p, input.byte())).expect("add");
    }
    let mut now = Instant::now();
    bond.handle_timeout(now);
    for _ in 0..256 {
        if input.0.is_empty() {
            break;
        }
        match input.byte() % 9 {
            0 => {
                let port = input.port();
                let len = usize::from(input.byte());
                let frame = input.bytes(len).to_vec();
                let _ = bond.handle_frame(now, port, &frame);
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
                    let _ = bond.handle_frame(now, port, &f);
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
                    let _ = bond.handle_frame(now, port, &f);
                }
            }
            3 => {
                let port = input.port();
                let up = input.byte() & 1 == 1;
                let _ = bond.handle_link(now, port, up);
            }
            4 => {
                let port = input.port();
                let m = input.byte();
                let _ = bond.set_port_config(now, port, config(port, m));
            }
            5 => {
                let ms = u64::from(input.u16()) * u64::from(input.byte() % 8 + 1);
                now += Duration::from_millis(ms);
                bond.handle_timeout(now);
            }
            6 => {
                // A time earlier than the last one counts as the last one.
                bond.handle_timeout(now - Duration::from_millis(u64::from(input.byte())));
            }
            7 => {
                let port = input.port();
                let _ = bond.handle_pdu_timeout(now, port);
            }
            _ => drain(&mut bond),
        }
        check(&bond, now);
    }
    drain(&mut bond);
    assert_eq!(bond.pending_transmits(), 0);
});
