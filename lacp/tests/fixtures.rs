//! Real LACPDUs (the fixtures of `packet`'s slow-protocols tests) handled by a bond: a Cisco
//! switch's PDUs from tcpdump's tests/LACP.pcap and a Linux bonding LACPDU.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::std_instead_of_core, clippy::cast_possible_truncation)]

use std::time::Duration;

use sdnwire_lacp::{Bond, Config, Event, Instant, MuxState, PortConfig, RxState};
use sdnwire_packet::slow::Lacp;
use sdnwire_packet::MacAddr;

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Frame 1 of tcpdump's tests/LACP.pcap (packet/src/slow.rs CISCO_1): actor expired, its
/// partner (system 00:0e:83:16:f5:00, key 13, port 25) with short timeout.
const CISCO_1: &str = "0180c20000020013c4120f0d88090101011480000013c4120f00000d800000168500000002148000000e8316f500000d80000019360000000310800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
/// Frame 20 of the same capture: both sides collecting and distributing.
const CISCO_20: &str = "0180c20000020013c4120f0d88090101011480000013c4120f00000d800000163d00000002148000000e8316f500000d800000193c0000000310800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
/// A Linux bonding LACPDU (packet/src/slow.rs LINUX_BOND): system 52:54:00:12:34:56
/// priority 65535, key 9, port 2, in sync, collecting, distributing, long timeout.
const LINUX_BOND: &str = "0180c2000002 525400123457 8809 \
    0101 0114 ffff 525400123456 0009 00ff 0002 3d 000000 \
    0214 8000 000e8316f500 000d 8000 0019 3d 000000 \
    0310 0000 000000000000000000000000 \
    0000 0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

/// The Cisco switch's partner, as a bond of ours: system 00:0e:83:16:f5:00, key 13, port 25.
fn cisco_partner_bond(now: Instant) -> Bond {
    let mut b = Bond::new(
        Config::new(MacAddr([0x00, 0x0e, 0x83, 0x16, 0xf5, 0x00])),
        now,
    );
    b.add_port(
        25,
        PortConfig::new(MacAddr([0x00, 0x0e, 0x83, 0x16, 0xf5, 0x19])).key(13),
    )
    .unwrap();
    b
}

#[test]
fn cisco_capture_drives_the_receive_and_mux_machines() {
    let t0 = Instant::ZERO;
    let mut b = cisco_partner_bond(t0);
    b.handle_timeout(t0);
    while b.poll_transmit(&mut Vec::new()).is_some() {}
    while b.poll_event().is_some() {}
    // Frame 1: the Cisco actor is expired and out of sync; we record it.
    b.handle_frame(t0, 25, &hex(CISCO_1)).unwrap();
    let s = b.port_state(25).unwrap();
    assert_eq!(s.receive, RxState::Current);
    assert_eq!(
        s.partner.system,
        MacAddr([0x00, 0x13, 0xc4, 0x12, 0x0f, 0x00])
    );
    assert_eq!((s.partner.key, s.partner.port), (13, 22));
    assert!(!s.partner.state.synchronization());
    assert_eq!(s.mux, MuxState::Waiting);
    // Our answer (update_NTT: the Cisco's view of us is not what we are) goes out at once.
    let mut frame = Vec::new();
    let tx = b.poll_transmit(&mut frame).expect("answer");
    assert_eq!((tx.port, tx.kind), (25, sdnwire_lacp::TransmitKind::Lacpdu));
    let answer = Lacp::parse(&frame[14..]).unwrap();
    assert_eq!(answer.partner.system, s.partner.system);
    assert_eq!(answer.actor.port, 25);
    // Frame 20: the Cisco is in sync, and its view of us matches what we send (system
    // priority 32768, key 13, port priority 32768, port 25, aggregatable), so after
    // aggregate_wait_time we collect and distribute.
    let t = t0 + Duration::from_secs(2);
    b.handle_timeout(t);
    b.handle_frame(t, 25, &hex(CISCO_20)).unwrap();
    let s = b.port_state(25).unwrap();
    assert!(s.partner.state.synchronization());
    assert_eq!(s.mux, MuxState::CollectingDistributing);
    let events: Vec<Event> = std::iter::from_fn(|| b.poll_event()).collect();
    assert!(
        events.contains(&Event::PortEnabled { port: 25 }),
        "{events:?}"
    );
    let c = b.counters(25).unwrap();
    assert_eq!((c.rx_pdus, c.rx_bad), (2, 0));
}

#[test]
fn linux_bonding_pdu_is_recorded_and_its_long_timeout_followed() {
    let t0 = Instant::ZERO;
    let mut b = cisco_partner_bond(t0);
    b.handle_frame(t0, 25, &hex(LINUX_BOND)).unwrap();
    let s = b.port_state(25).unwrap();
    assert_eq!(s.receive, RxState::Current);
    assert_eq!(
        s.partner.system,
        MacAddr([0x52, 0x54, 0x00, 0x12, 0x34, 0x56])
    );
    assert_eq!(
        (
            s.partner.system_priority,
            s.partner.key,
            s.partner.port,
            s.partner.port_priority
        ),
        (65535, 9, 2, 255)
    );
    // Linux asks for a long timeout: we transmit slowly once the exchange settles.
    let mut now = t0;
    for _ in 0..5 {
        now += Duration::from_secs(1);
        b.handle_timeout(now);
        b.handle_frame(now, 25, &hex(LINUX_BOND)).unwrap();
        while b.poll_transmit(&mut Vec::new()).is_some() {}
    }
    assert_eq!(
        b.port_state(25).unwrap().periodic,
        sdnwire_lacp::PeriodicState::Slow
    );
    // The Linux PDU names the Cisco's port 25 / key 13 system as its partner: that is us,
    // so it is in sync with us and we go to COLLECTING_DISTRIBUTING.
    assert_eq!(
        b.port_state(25).unwrap().mux,
        MuxState::CollectingDistributing
    );
}

#[test]
fn lacplib_answers_the_linux_pdu_as_ryus_lacplib_does() {
    let now = Instant::ZERO;
    let mut b = Bond::new(Config::new(MacAddr([0, 0, 0, 0, 0, 1])), now);
    b.add_port(
        1,
        PortConfig::new(MacAddr([0, 0, 0, 0, 0, 0x11])).mode(sdnwire_lacp::Mode::Lacplib),
    )
    .unwrap();
    b.handle_frame(now, 1, &hex(LINUX_BOND)).unwrap();
    let mut f = Vec::new();
    let tx = b.poll_transmit(&mut f).unwrap();
    assert_eq!(tx.kind, sdnwire_lacp::TransmitKind::LacplibReply);
    let req = Lacp::parse(&hex(LINUX_BOND)[14..]).unwrap();
    let res = Lacp::parse(&f[14..]).unwrap();
    // os-ken's repr of what Ryu's lacplib (`_create_lacp`) builds for this request.
    assert_eq!(
        res.to_string(),
        "lacp(actor_key=9,actor_port=1,actor_port_priority=255,actor_state_activity=0,\
         actor_state_aggregation=1,actor_state_collecting=1,actor_state_defaulted=0,\
         actor_state_distributing=1,actor_state_expired=0,actor_state_synchronization=1,\
         actor_state_timeout=0,actor_system='00:00:00:00:00:01',actor_system_priority=65535,\
         collector_max_delay=0,partner_key=9,partner_port=2,partner_port_priority=255,\
         partner_state_activity=1,partner_state_aggregation=1,partner_state_collecting=1,\
         partner_state_defaulted=0,partner_state_distributing=1,partner_state_expired=0,\
         partner_state_synchronization=1,partner_state_timeout=0,\
         partner_system='52:54:00:12:34:56',partner_system_priority=65535,version=1)"
    );
    assert_eq!(res.partner, req.actor);
    assert_eq!(&f[..12], &hex("0180c2000002 000000000011")[..]);
    let events: Vec<Event> = std::iter::from_fn(|| b.poll_event()).collect();
    assert!(
        events.contains(&Event::PortEnabled { port: 1 }),
        "{events:?}"
    );
    assert!(events.contains(&Event::PartnerTimeout {
        port: 1,
        timeout: Duration::from_secs(90)
    }));
}
