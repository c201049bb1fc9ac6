//! In steady state a bond allocates nothing: `handle_frame`, `handle_timeout`,
//! `poll_transmit`, `poll_event` and `poll_timeout` work in the tables and queues allocated
//! by `Bond::new` and `add_port`, and frames are written into the caller's buffer, which
//! grows once.
//!
//! The counting allocator is the `allocation-counter` dev-dependency (it counts the current
//! thread's allocations, so tests running in parallel do not disturb it).

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::std_instead_of_core, clippy::cast_possible_truncation)]

use std::time::Duration;

use sdnwire_lacp::{Bond, Config, Event, Instant, Mode, PortConfig, Rate};
use sdnwire_packet::slow::Marker;
use sdnwire_packet::MacAddr;

/// Two bonds of `n` ports converged over a perfect link; the frames they exchange are kept
/// in preallocated buffers.
fn pair(n: u32, mode: Mode, rate: Rate) -> (Bond, Bond, Instant) {
    let mut now = Instant::from_secs(7);
    let mk = |sys: u8| {
        let mut b = Bond::new(
            Config::new(MacAddr([2, 0, 0, 0, 0, sys])).max_ports(n as usize),
            now,
        );
        for p in 1..=n {
            let mac = MacAddr([2, 0, 0, sys, 0, p as u8]);
            b.add_port(p, PortConfig::new(mac).mode(mode).rate(rate))
                .unwrap();
        }
        b
    };
    let (mut a, mut b) = (mk(1), mk(2));
    let mut buf = Bufs::new();
    for _ in 0..200 {
        exchange(&mut a, &mut b, now, &mut buf);
        now += Duration::from_millis(100);
    }
    for p in 1..=n {
        if mode != Mode::Lacplib {
            assert!(a.port_state(p).unwrap().collecting_distributing());
            assert!(b.port_state(p).unwrap().collecting_distributing());
        }
    }
    (a, b, now)
}

/// The runtime's buffers: the frames in flight (capacity reserved beforehand, so pushing
/// does not allocate) and the one `poll_transmit` writes into (grown to a frame's size
/// once; a run may not send its first frame before the measurement starts).
struct Bufs {
    flight: Vec<(u32, [u8; sdnwire_lacp::FRAME_LEN])>,
    frame: Vec<u8>,
}

impl Bufs {
    fn new() -> Bufs {
        Bufs {
            flight: Vec::with_capacity(64),
            frame: Vec::with_capacity(sdnwire_lacp::FRAME_LEN),
        }
    }
}

/// One tick: timers, then every frame each side sends is handed to the other.
fn exchange(a: &mut Bond, b: &mut Bond, now: Instant, buf: &mut Bufs) {
    a.handle_timeout(now);
    b.handle_timeout(now);
    for _ in 0..4 {
        pass(a, b, now, buf);
        pass(b, a, now, buf);
    }
    let _ = a.poll_timeout();
    let _ = b.poll_timeout();
}

/// Every frame `from` sends is handed to `to`.
fn pass(from: &mut Bond, to: &mut Bond, now: Instant, buf: &mut Bufs) {
    buf.flight.clear();
    while let Some(tx) = from.poll_transmit(&mut buf.frame) {
        let mut f = [0u8; sdnwire_lacp::FRAME_LEN];
        f.copy_from_slice(&buf.frame);
        buf.flight.push((tx.port, f));
    }
    while from.poll_event().is_some() {}
    for (port, f) in buf.flight.iter() {
        to.handle_frame(now, *port, f).unwrap();
    }
}

fn steady_state_allocates_nothing(mode_a: Mode, rate: Rate) {
    let (mut a, mut b, mut now) = pair(8, mode_a, rate);
    let mut buf = Bufs::new();
    exchange(&mut a, &mut b, now, &mut buf);
    let marker = Marker::information(3, MacAddr([2, 0, 0, 0, 0, 2]), 77)
        .to_frame(MacAddr([2, 0, 0, 2, 0, 1]))
        .unwrap();
    let junk = [0u8; 40];
    let info = allocation_counter::measure(|| {
        // 100 virtual seconds of LACP, a marker and a bad frame now and then.
        for i in 0..1000 {
            exchange(&mut a, &mut b, now, &mut buf);
            if i % 100 == 0 {
                a.handle_frame(now, 1, &marker).unwrap();
                assert!(a.handle_frame(now, 2, &junk).is_err());
                assert!(a.handle_frame(now, 99, &junk).is_err());
                while a.poll_transmit(&mut buf.frame).is_some() {}
                while a.poll_event().is_some() {}
            }
            now += Duration::from_millis(100);
        }
    });
    assert_eq!(info.count_total, 0, "{info:?}");
    assert!(a.counters(1).unwrap().tx_marker_responses >= 10);
    assert!(a.counters(2).unwrap().rx_foreign >= 10);
    assert!(a.stats().unknown_port >= 10);
}

#[test]
fn active_fast_steady_state_allocates_nothing() {
    steady_state_allocates_nothing(Mode::Active, Rate::Fast);
}

#[test]
fn active_slow_steady_state_allocates_nothing() {
    steady_state_allocates_nothing(Mode::Active, Rate::Slow);
}

#[test]
fn lacplib_against_active_allocates_nothing() {
    steady_state_allocates_nothing(Mode::Lacplib, Rate::Fast);
}

#[test]
fn link_flaps_and_reconvergence_allocate_nothing() {
    let (mut a, mut b, mut now) = pair(4, Mode::Active, Rate::Fast);
    let mut buf = Bufs::new();
    exchange(&mut a, &mut b, now, &mut buf);
    let info = allocation_counter::measure(|| {
        for round in 0..5u32 {
            let port = round % 4 + 1;
            a.handle_link(now, port, false).unwrap();
            b.handle_link(now, port, false).unwrap();
            for _ in 0..50 {
                exchange(&mut a, &mut b, now, &mut buf);
                now += Duration::from_millis(100);
            }
            a.handle_link(now, port, true).unwrap();
            b.handle_link(now, port, true).unwrap();
            for _ in 0..50 {
                exchange(&mut a, &mut b, now, &mut buf);
                now += Duration::from_millis(100);
            }
        }
    });
    assert_eq!(info.count_total, 0, "{info:?}");
    for p in 1..=4 {
        assert!(a.port_state(p).unwrap().collecting_distributing());
    }
}

#[test]
fn reconfiguration_sparse_ports_and_resyncs_allocate_nothing() {
    // Groups come and go (keys change), a port with an identifier beyond the dense index
    // comes and goes, and the event queue (4 events) overflows into resyncs.
    let n = 4u32;
    let mut now = Instant::ZERO;
    let mk = |sys: u8, now: Instant| {
        let mut b = Bond::new(
            Config::new(MacAddr([2, 0, 0, 0, 0, sys]))
                .max_ports(n as usize + 1)
                .max_events(4),
            now,
        );
        for p in 1..=n {
            b.add_port(p, PortConfig::new(MacAddr([2, 0, 0, sys, 0, p as u8])))
                .unwrap();
        }
        b
    };
    let (mut a, mut b) = (mk(1, now), mk(2, now));
    let mut buf = Bufs::new();
    for _ in 0..100 {
        exchange(&mut a, &mut b, now, &mut buf);
        now += Duration::from_millis(100);
    }
    let sparse = 4_000_000_u32;
    let cfg = |key: u16| {
        PortConfig::new(MacAddr([2, 0, 0, 1, 0, 9]))
            .key(key)
            .number(9)
    };
    let resyncs = a.stats().resyncs;
    let info = allocation_counter::measure(|| {
        for round in 0..6u16 {
            for p in 1..=n {
                let mac = MacAddr([2, 0, 0, 1, 0, p as u8]);
                let key = (round + p as u16) % 3 + 1;
                a.set_port_config(now, p, PortConfig::new(mac).key(key))
                    .unwrap();
            }
            a.add_port(sparse, cfg(round)).unwrap();
            b.add_port(sparse, cfg(round).mac(MacAddr([2, 0, 0, 2, 0, 9])))
                .unwrap();
            for _ in 0..40 {
                exchange(&mut a, &mut b, now, &mut buf);
                now += Duration::from_millis(100);
            }
            a.remove_port(now, sparse).unwrap();
            b.remove_port(now, sparse).unwrap();
            while b.poll_event().is_some() {}
            while let Some(e) = a.poll_event() {
                assert!(e.port() != Some(0), "{e:?}");
            }
            assert_eq!(a.poll_event(), None::<Event>);
        }
    });
    assert_eq!(info.count_total, 0, "{info:?}");
    assert!(a.stats().resyncs > resyncs, "{:?}", a.stats());
    assert!(a.port_state(sparse).is_none());
}
