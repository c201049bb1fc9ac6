//! In steady state a bond allocates nothing: `handle_frame`, `handle_timeout`,
//! `poll_transmit`, `poll_event` and `poll_timeout` work in the tables and queues allocated
//! by `Bond::new` and `add_port`, and frames are written into the bond's own buffer.
//!
//! The counting allocator is the `allocation-counter` dev-dependency (it counts the current
//! thread's allocations, so tests running in parallel do not disturb it).
#![allow(clippy::std_instead_of_core, clippy::cast_possible_truncation)]

use std::time::{Duration, Instant};

use sdnwire_lacp::{Bond, Config, Mode, PortConfig, Rate};
use sdnwire_packet::slow::Marker;
use sdnwire_packet::MacAddr;

/// Two bonds of `n` ports converged over a perfect link; the frames they exchange are kept
/// in preallocated buffers.
fn pair(n: u32, mode: Mode, rate: Rate) -> (Bond, Bond, Instant) {
    let mk = |sys: u8| {
        let mut b = Bond::new(Config::new(MacAddr([2, 0, 0, 0, 0, sys])).max_ports(n as usize));
        for p in 1..=n {
            let mac = MacAddr([2, 0, 0, sys, 0, p as u8]);
            b.add_port(p, PortConfig::new(mac).mode(mode).rate(rate))
                .unwrap();
        }
        b
    };
    let (mut a, mut b) = (mk(1), mk(2));
    let mut now = Instant::now();
    let mut buf = Vec::with_capacity(64);
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

/// One tick: timers, then every frame each side sends is handed to the other. `buf` holds
/// the frames in flight (capacity reserved beforehand, so pushing does not allocate).
fn exchange(
    a: &mut Bond,
    b: &mut Bond,
    now: Instant,
    buf: &mut Vec<(u32, [u8; sdnwire_lacp::FRAME_LEN])>,
) {
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
fn pass(
    from: &mut Bond,
    to: &mut Bond,
    now: Instant,
    buf: &mut Vec<(u32, [u8; sdnwire_lacp::FRAME_LEN])>,
) {
    buf.clear();
    while let Some(tx) = from.poll_transmit() {
        let mut f = [0u8; sdnwire_lacp::FRAME_LEN];
        f.copy_from_slice(tx.frame);
        buf.push((tx.port, f));
    }
    while from.poll_event().is_some() {}
    for (port, f) in buf.iter() {
        to.handle_frame(now, *port, f).unwrap();
    }
}

fn steady_state_allocates_nothing(mode_a: Mode, rate: Rate) {
    let (mut a, mut b, mut now) = pair(8, mode_a, rate);
    let mut buf = Vec::with_capacity(64);
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
                a.handle_frame(now, 2, &junk).unwrap();
                while a.poll_transmit().is_some() {}
                while a.poll_event().is_some() {}
            }
            now += Duration::from_millis(100);
        }
    });
    assert_eq!(info.count_total, 0, "{info:?}");
    assert!(a.counters(1).unwrap().tx_marker_responses >= 10);
    assert!(a.counters(2).unwrap().rx_foreign >= 10);
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
    let mut buf = Vec::with_capacity(64);
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
