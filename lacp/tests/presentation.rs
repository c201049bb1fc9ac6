//! Display in `ovs-appctl lacp/show`'s words, and (with `serde`) JSON round trips of the
//! owned types: events, states, counters, transmits.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::std_instead_of_core)]

use std::time::Duration;

use sdnwire_lacp::{Bond, Config, Event, Instant, PortConfig, RxState};
use sdnwire_packet::MacAddr;

/// Two bonds of one port, converged.
fn converged() -> (Bond, Bond, Instant) {
    let mut now = Instant::ZERO;
    let mut a = Bond::new(Config::new(MacAddr([2, 0, 0, 0, 0, 1])), now);
    let mut b = Bond::new(Config::new(MacAddr([2, 0, 0, 0, 0, 2])), now);
    a.add_port(1, PortConfig::new(MacAddr([2, 0, 0, 0, 1, 1])))
        .unwrap();
    b.add_port(1, PortConfig::new(MacAddr([2, 0, 0, 0, 2, 1])))
        .unwrap();
    let mut buf = Vec::new();
    for _ in 0..10 {
        a.handle_timeout(now);
        b.handle_timeout(now);
        while let Some(tx) = a.poll_transmit(&mut buf) {
            b.handle_frame(now, tx.port, &buf).unwrap();
        }
        while let Some(tx) = b.poll_transmit(&mut buf) {
            a.handle_frame(now, tx.port, &buf).unwrap();
        }
        while a.poll_event().is_some() {}
        while b.poll_event().is_some() {}
        now += Duration::from_secs(1);
    }
    assert!(a.port_state(1).unwrap().collecting_distributing());
    (a, b, now)
}

#[test]
fn port_state_prints_as_lacp_show() {
    let (a, _, _) = converged();
    let text = a.port_state(1).unwrap().to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "member: 1: current attached");
    assert!(lines.contains(&"  may_enable: true"), "{text}");
    assert!(
        lines.contains(&"  actor sys_id: 02:00:00:00:00:01"),
        "{text}"
    );
    assert!(
        lines.contains(&"  partner sys_id: 02:00:00:00:00:02"),
        "{text}"
    );
    assert!(
        lines.contains(
            &"  actor state: activity timeout aggregation synchronized collecting distributing"
        ),
        "{text}"
    );
    assert!(
        lines.contains(
            &"  partner state: activity timeout aggregation synchronized collecting distributing"
        ),
        "{text}"
    );
    assert!(
        text.contains("receive: CURRENT, periodic: FAST_PERIODIC, mux: COLLECTING_DISTRIBUTING"),
        "{text}"
    );
    assert!(
        text.contains("mode: active, lacp_time: fast, link: up"),
        "{text}"
    );
}

#[test]
fn counters_print_as_lacp_show_stats() {
    let (a, _, _) = converged();
    let c = a.counters(1).unwrap();
    let text = c.to_string();
    assert!(
        text.starts_with(&format!(
            "TX PDUs: {}\nRX PDUs: {}\nRX Bad PDUs: 0\n",
            c.tx_pdus, c.rx_pdus
        )),
        "{text}"
    );
    assert!(
        text.contains("Link Expired: 0\nLink Defaulted: 0\nCarrier Status Changed: 0"),
        "{text}"
    );
    assert_eq!(
        a.stats().to_string(),
        "unknown port: 0, bad frames: 0, events dropped: 0, resyncs: 0"
    );
}

#[test]
fn events_and_transmits_print_in_lacp_show_words() {
    let cases = [
        (Event::Attached { port: 1 }, "port 1: attached"),
        (
            Event::Collecting { port: 2, on: false },
            "port 2: not collecting",
        ),
        (
            Event::Distributing { port: 2, on: true },
            "port 2: distributing",
        ),
        (
            Event::Receive {
                port: 3,
                state: RxState::Defaulted,
            },
            "port 3: receive DEFAULTED",
        ),
        (Event::PortEnabled { port: 4 }, "port 4: may_enable: true"),
        (
            Event::PortSelected {
                port: 4,
                aggregator: 1,
            },
            "port 4: selected aggregator 1",
        ),
        (
            Event::PartnerTimeout {
                port: 5,
                timeout: Duration::from_secs(90),
            },
            "port 5: partner timeout 90 s",
        ),
    ];
    for (ev, text) in cases {
        assert_eq!(ev.to_string(), text);
    }
    assert!(Event::Resync.to_string().starts_with("resync"));
    assert_eq!(Event::Resync.port(), None);
    let (mut a, _, now) = converged();
    a.handle_link(now, 1, false).unwrap();
    a.handle_link(now, 1, true).unwrap();
    let mut buf = Vec::new();
    let tx = a.poll_transmit(&mut buf).unwrap();
    assert_eq!(tx.to_string(), "port 1: LACPDU");
}

#[cfg(feature = "serde")]
#[test]
fn owned_types_round_trip_through_json() {
    use sdnwire_lacp::{Counters, PortState, Stats, Transmit};
    let (mut a, _, now) = converged();
    let s = a.port_state(1).unwrap();
    let back: PortState = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);
    let c = a.counters(1).unwrap();
    let back: Counters = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
    assert_eq!(back, c);
    let st = a.stats();
    let back: Stats = serde_json::from_str(&serde_json::to_string(&st).unwrap()).unwrap();
    assert_eq!(back, st);
    a.handle_link(now, 1, false).unwrap();
    a.handle_link(now, 1, true).unwrap();
    let mut buf = Vec::new();
    let tx = a.poll_transmit(&mut buf).unwrap();
    let back: Transmit = serde_json::from_str(&serde_json::to_string(&tx).unwrap()).unwrap();
    assert_eq!(back, tx);
    let mut n = 0;
    while let Some(ev) = a.poll_event() {
        let json = serde_json::to_string(&ev).unwrap();
        let back: Event = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ev, "{json}");
        n += 1;
    }
    assert!(n > 3);
    assert_eq!(
        serde_json::to_string(&Event::Attached { port: 1 }).unwrap(),
        r#"{"Attached":{"port":1}}"#
    );
}
