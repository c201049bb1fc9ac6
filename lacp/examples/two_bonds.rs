//! Two bonds of two ports each, wired port to port over an in-memory link, on a virtual
//! clock that jumps to the next wake-up. Prints every event as the bonds converge, then cuts
//! port 2's wire at 20 s and prints how both sides notice: A asked for the fast rate (short
//! timeout, 3 s), B for the slow one (long timeout, 90 s).
//!
//! ```sh
//! cargo run -p sdnwire-lacp --example two_bonds
//! ```

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::std_instead_of_core, clippy::cast_possible_truncation)]

use std::time::Duration;

use sdnwire_lacp::{Bond, Config, Instant, PortConfig, Rate};
use sdnwire_packet::MacAddr;

/// Frames on the wire: (arrival time, to side A?, port, frame).
type Wire = Vec<(Instant, bool, u32, Vec<u8>)>;

fn main() {
    // A virtual clock, from its origin.
    let start = Instant::ZERO;
    let mut a = Bond::new(Config::new(MacAddr([2, 0, 0, 0, 0, 0xa])), start);
    let mut b = Bond::new(Config::new(MacAddr([2, 0, 0, 0, 0, 0xb])), start);
    for port in [1, 2] {
        a.add_port(
            port,
            PortConfig::new(MacAddr([2, 0, 0, 0xa, 0, port as u8])).key(10),
        )
        .expect("port");
        b.add_port(
            port,
            PortConfig::new(MacAddr([2, 0, 0, 0xb, 0, port as u8]))
                .key(20)
                .rate(Rate::Slow),
        )
        .expect("port");
    }
    let mut now = start;
    let mut buf = Vec::new();
    let mut wire: Wire = Vec::new();
    let mut cut = false;
    a.handle_timeout(now);
    b.handle_timeout(now);
    loop {
        let t = (now - start).as_secs_f64();
        for (name, bond, to_a) in [("A", &mut a, false), ("B", &mut b, true)] {
            while let Some(tx) = bond.poll_transmit(&mut buf) {
                // Port 2's wire is cut after 20 s.
                if !(cut && tx.port == 2) {
                    let at = now + Duration::from_millis(1);
                    wire.push((at, to_a, tx.port, buf.clone()));
                }
            }
            while let Some(ev) = bond.poll_event() {
                println!("{t:8.3} s  {name}  {ev}");
            }
        }
        if t >= 20.0 && !cut {
            cut = true;
            println!("{t:8.3} s  --- port 2's wire cut ---");
        }
        if t > 125.0 {
            break;
        }
        // The virtual clock jumps to the next arrival or timer.
        let next = wire
            .iter()
            .map(|f| f.0)
            .chain(a.poll_timeout())
            .chain(b.poll_timeout())
            .min()
            .unwrap_or(now + Duration::from_secs(1));
        now = next.max(now);
        let (due, later): (Wire, Wire) = wire.into_iter().partition(|f| f.0 <= now);
        wire = later;
        for (_, to_a, port, frame) in due {
            let bond = if to_a { &mut a } else { &mut b };
            bond.handle_frame(now, port, &frame).expect("port");
        }
        a.handle_timeout(now);
        b.handle_timeout(now);
    }
    for (name, bond) in [("A", &a), ("B", &b)] {
        for port in [1, 2] {
            let s = bond.port_state(port).expect("port");
            let c = bond.counters(port).expect("port");
            println!(
                "{name} port {port}: {} {} {} aggregator {:?} partner {} key {} | tx {} rx {} expired {} defaulted {}",
                s.receive, s.mux, s.periodic, s.aggregator, s.partner.system, s.partner.key,
                c.tx_pdus, c.rx_pdus, c.link_expired, c.link_defaulted
            );
        }
    }
}
