//! `lacp`: one tick of a bond of 10 000 ports in steady state (every port collecting and
//! distributing, 100 aggregators of 100 ports told apart by key): an LACPDU received on every
//! port (pre-built partner frames, as a runtime hands them over), `handle_timeout` (every
//! port's periodic timer fires: 10 000 LACPDUs to send), and draining `poll_transmit` (into
//! one reused buffer, as a runtime does), `poll_event` and `poll_timeout`. Criterion's throughput is in ports per second; the
//! per-port time is the tick time / 10 000.
//!
//! No Rust peer crate implements LACP, so there is no side-by-side ratio here.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(missing_docs, clippy::std_instead_of_core)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sdnwire_lacp::{Bond, Config, Instant, PortConfig, FRAME_LEN};
use sdnwire_packet::MacAddr;

const PORTS: u32 = 10_000;
const PER_AGGREGATOR: u32 = 100;

fn bond(system: u8, now: Instant) -> Bond {
    let mut b = Bond::new(
        Config::new(MacAddr([2, 0, 0, 0, 0, system]))
            .max_ports(PORTS as usize)
            .max_events(8 * PORTS as usize),
        now,
    );
    for p in 1..=PORTS {
        let [_, _, hi, lo] = p.to_be_bytes();
        let key = u16::try_from(p / PER_AGGREGATOR).unwrap() + 1;
        b.add_port(
            p,
            PortConfig::new(MacAddr([2, system, 0, 0, hi, lo])).key(key),
        )
        .unwrap();
    }
    b
}

/// Hands every frame `from` sends to `to`; returns how many.
fn carry(from: &mut Bond, to: &mut Bond, now: Instant) -> usize {
    let mut frames = Vec::new();
    let mut buf = Vec::new();
    while let Some(tx) = from.poll_transmit(&mut buf) {
        frames.push((tx.port, buf.clone()));
    }
    while from.poll_event().is_some() {}
    for (p, f) in &frames {
        to.handle_frame(now, *p, f).unwrap();
    }
    frames.len()
}

/// Our bond and its partner converged; the partner's periodic LACPDUs, one per port.
fn setup() -> (Bond, Vec<(u32, [u8; FRAME_LEN])>, Instant) {
    let mut now = Instant::ZERO;
    let (mut ours, mut theirs) = (bond(1, now), bond(2, now));
    for _ in 0..40 {
        ours.handle_timeout(now);
        theirs.handle_timeout(now);
        while carry(&mut ours, &mut theirs, now) + carry(&mut theirs, &mut ours, now) > 0 {}
        now += Duration::from_millis(250);
    }
    for p in 1..=PORTS {
        assert!(ours.port_state(p).unwrap().collecting_distributing());
    }
    // The partner's next periodic PDUs: in sync, echoing our actor information.
    now += Duration::from_secs(1);
    theirs.handle_timeout(now);
    let mut frames = Vec::new();
    let mut buf = Vec::new();
    while let Some(tx) = theirs.poll_transmit(&mut buf) {
        let mut f = [0u8; FRAME_LEN];
        f.copy_from_slice(&buf);
        frames.push((tx.port, f));
    }
    assert_eq!(frames.len(), PORTS as usize);
    (ours, frames, now)
}

/// One second of a bond's life.
fn tick(
    bond: &mut Bond,
    frames: &[(u32, [u8; FRAME_LEN])],
    now: Instant,
    buf: &mut Vec<u8>,
) -> usize {
    for (p, f) in frames {
        let _ = bond.handle_frame(now, *p, f);
    }
    bond.handle_timeout(now);
    let mut sent = 0;
    while let Some(tx) = bond.poll_transmit(buf) {
        black_box((tx, &buf));
        sent += 1;
    }
    while let Some(e) = bond.poll_event() {
        black_box(e);
    }
    black_box(bond.poll_timeout());
    sent
}

fn bench(c: &mut Criterion) {
    let (mut bond, frames, mut now) = setup();
    let mut buf = Vec::new();
    // Steady state: every tick sends one LACPDU per port and changes nothing.
    for _ in 0..3 {
        now += Duration::from_secs(1);
        assert_eq!(tick(&mut bond, &frames, now, &mut buf), PORTS as usize);
    }
    assert_eq!(bond.pending_events(), 0);
    let mut g = c.benchmark_group("lacp");
    g.throughput(Throughput::Elements(u64::from(PORTS)));
    g.bench_function("bond_10000_ports_tick", |b| {
        b.iter(|| {
            now += Duration::from_secs(1);
            tick(&mut bond, &frames, now, &mut buf)
        });
    });
    // Only the receive path: 10 000 LACPDUs, no timer due.
    g.bench_function("bond_10000_ports_handle_frame", |b| {
        b.iter(|| {
            for (p, f) in &frames {
                let _ = bond.handle_frame(now, *p, f);
            }
            black_box(bond.poll_timeout())
        });
    });
    g.finish();
    for p in [1, PORTS / 2, PORTS] {
        assert!(bond.port_state(p).unwrap().collecting_distributing());
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
