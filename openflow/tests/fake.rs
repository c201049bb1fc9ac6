//! The fake switch (`fake::FakeSwitch`, feature `fake-switch`) against the crate's
//! [`Connection`]: what it answers by itself, what it records, what a test makes it send, and
//! its bounds.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::time::Duration;

use sdnwire_openflow::config::{ConfigFlags, SwitchConfig};
use sdnwire_openflow::connection::{Config, Connection, DeadReason, Event, Reply, State};
use sdnwire_openflow::error_msg::{BadRequestCode, ErrorMsg};
use sdnwire_openflow::fake::{self, FakeSwitch};
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::multipart::{MultipartReplyBody, MultipartRequest, PortStats};
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::packet_out::PacketOut;
use sdnwire_openflow::port::{Port, PortReason};
use sdnwire_openflow::role::{ControllerRole, Role};
use sdnwire_openflow::{Body, Instant, Message, MsgType, PortNo};
use sdnwire_packet::MacAddr;

fn events(conn: &mut Connection) -> Vec<Event> {
    core::iter::from_fn(|| conn.poll_event()).collect()
}

/// A connection in MAIN with a fake switch of the default configuration.
fn main_with(config: fake::Config) -> (Connection, FakeSwitch, Instant) {
    let now = Instant::ZERO;
    let mut conn = Connection::new(Config::default(), now);
    let mut sw = FakeSwitch::new(config);
    sw.exchange(&mut conn, now).unwrap();
    assert_eq!(conn.state(), State::Main);
    (conn, sw, now)
}

#[test]
fn the_handshake_needs_nothing_but_exchange() {
    let (mut conn, mut sw, _) = main_with(fake::Config::default());
    let cfg = fake::Config::default();
    let evs = events(&mut conn);
    assert!(evs.contains(&Event::SwitchFeatures(cfg.features)));
    let mut ports = cfg.ports.clone();
    ports.sort_by_key(|p| p.port_no);
    assert!(evs.contains(&Event::PortsKnown(ports.clone())));
    assert_eq!(conn.ports().cloned().collect::<Vec<_>>(), ports);
    assert_eq!(conn.local_hw_addr(), Some(MacAddr([2, 0, 0, 0, 0, 1])));
    // It saw HELLO, FEATURES_REQUEST and the PORT_DESC request, and answered two.
    let kinds: Vec<MsgType> = sw.take_received().iter().map(Message::msg_type).collect();
    assert_eq!(
        kinds,
        [
            MsgType::HELLO,
            MsgType::FEATURES_REQUEST,
            MsgType::MULTIPART_REQUEST
        ]
    );
    assert_eq!(sw.stats().answered, 2);
    assert_eq!(sw.stats().messages_sent, 3);
    assert_eq!(conn.stats().messages_refused, 0);
}

#[test]
fn a_thousand_ports_come_in_several_parts() {
    let mut c = fake::Config::default();
    c.ports = (1..=1000u32)
        .map(|i| {
            Port::new(
                i,
                MacAddr([2, 0, 0, 0, i.to_be_bytes()[2], i.to_be_bytes()[3]]),
                "p",
            )
        })
        .collect();
    let (conn, sw, _) = main_with(c);
    assert_eq!(conn.ports().len(), 1000);
    // 256 ports a part: 4 parts, plus FEATURES_REPLY and HELLO.
    assert_eq!(sw.stats().messages_sent, 6);
}

#[test]
fn keepalive_is_answered_until_silenced() {
    let (mut conn, mut sw, _) = main_with(fake::Config::default());
    events(&mut conn);
    let mut now;
    for _ in 0..10 {
        now = conn.poll_timeout().unwrap();
        conn.handle_timeout(now);
        sw.exchange(&mut conn, now).unwrap();
    }
    assert_eq!(conn.state(), State::Main);
    assert_eq!(conn.stats().echo_replies_received, 10);
    assert_eq!(
        events(&mut conn)
            .iter()
            .filter(|e| matches!(e, Event::EchoRtt(d) if *d == Duration::ZERO))
            .count(),
        10
    );
    sw.set_answer(MsgType::ECHO_REQUEST, false);
    while conn.state() == State::Main {
        now = conn.poll_timeout().unwrap();
        conn.handle_timeout(now);
        sw.exchange(&mut conn, now).unwrap();
    }
    assert_eq!(conn.dead_reason(), Some(&DeadReason::EchoTimeout));
}

#[test]
fn barrier_config_role_and_desc_are_answered() {
    let (mut conn, mut sw, now) = main_with(fake::Config::default());
    events(&mut conn);
    let set = SwitchConfig {
        flags: ConfigFlags::FRAG_DROP,
        miss_send_len: 1000,
    };
    conn.send(now, Body::SetConfig(set)).unwrap();
    let get = conn.request(now, Body::GetConfigRequest).unwrap();
    let role = conn
        .request(now, Body::RoleRequest(Role::new(ControllerRole::MASTER, 7)))
        .unwrap();
    let query = conn
        .request(
            now,
            Body::RoleRequest(Role::new(ControllerRole::NOCHANGE, 0)),
        )
        .unwrap();
    let desc = conn
        .request(now, Body::MultipartRequest(MultipartRequest::desc()))
        .unwrap();
    let barrier = conn.barrier(now).unwrap();
    sw.exchange(&mut conn, now).unwrap();
    let reply_body = |ev: &Event| match ev {
        Event::Reply {
            xid,
            reply: Reply::Message(f),
            ..
        } => Some((*xid, f.decode().unwrap().body)),
        Event::Reply {
            xid,
            reply: Reply::Multipart(_),
            ..
        } => Some((*xid, Body::BarrierRequest)),
        _ => None,
    };
    let evs = events(&mut conn);
    let replies: Vec<_> = evs.iter().filter_map(reply_body).collect();
    assert_eq!(
        replies,
        [
            (get, Body::GetConfigReply(set)),
            (role, Body::RoleReply(Role::new(ControllerRole::MASTER, 7))),
            (query, Body::RoleReply(Role::new(ControllerRole::MASTER, 7))),
            (desc, Body::BarrierRequest),
        ]
    );
    let Some(Event::Reply {
        reply: Reply::Multipart(parts),
        ..
    }) = evs
        .iter()
        .find(|e| matches!(e, Event::Reply { xid, .. } if *xid == desc))
    else {
        panic!("{evs:?}")
    };
    let Some(MultipartReplyBody::Desc(d)) = (Reply::Multipart(parts.clone())).merged().unwrap()
    else {
        panic!("not a DESC reply")
    };
    assert_eq!(*d, fake::Config::default().desc);
    assert_eq!(evs.last(), Some(&Event::BarrierComplete { xid: barrier }));
}

#[test]
fn stats_are_left_to_the_test_or_canned() {
    let (mut conn, mut sw, now) = main_with(fake::Config::default());
    events(&mut conn);
    let stats = |no: u32, n: u64| PortStats {
        port_no: PortNo(no),
        rx_packets: n,
        ..PortStats::default()
    };
    sw.take_received();
    // No reply for PORT_STATS: the request waits for the test.
    let xid = conn
        .request(
            now,
            Body::MultipartRequest(MultipartRequest::port_stats(PortNo::ANY)),
        )
        .unwrap();
    sw.exchange(&mut conn, now).unwrap();
    assert_eq!(events(&mut conn), vec![]);
    assert_eq!(conn.outstanding_requests(), 1);
    let got = sw.take_received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].xid, xid);
    sw.reply(
        xid,
        vec![
            MultipartReplyBody::PortStats(vec![stats(1, 5)]),
            MultipartReplyBody::PortStats(vec![stats(2, 6)]),
        ],
    )
    .unwrap();
    sw.exchange(&mut conn, now).unwrap();
    let evs = events(&mut conn);
    let [Event::Reply { xid: x, reply, .. }] = evs.as_slice() else {
        panic!("{evs:?}")
    };
    assert_eq!(*x, xid);
    assert_eq!(reply.parts().len(), 2);
    assert_eq!(
        reply.merged().unwrap(),
        Some(MultipartReplyBody::PortStats(vec![
            stats(1, 5),
            stats(2, 6)
        ]))
    );

    // Canned: answered by itself, every time.
    sw.set_reply(MultipartReplyBody::PortStats(vec![stats(3, 9)]));
    for _ in 0..2 {
        let xid = conn
            .request(
                now,
                Body::MultipartRequest(MultipartRequest::port_stats(PortNo::ANY)),
            )
            .unwrap();
        sw.exchange(&mut conn, now).unwrap();
        let evs = events(&mut conn);
        let [Event::Reply { xid: x, reply, .. }] = evs.as_slice() else {
            panic!("{evs:?}")
        };
        assert_eq!(*x, xid);
        assert_eq!(
            reply.merged().unwrap(),
            Some(MultipartReplyBody::PortStats(vec![stats(3, 9)]))
        );
    }
    assert_eq!(conn.outstanding_requests(), 0);
}

#[test]
fn injected_packet_in_port_status_and_errors_reach_the_connection() {
    let (mut conn, mut sw, now) = main_with(fake::Config::default());
    events(&mut conn);
    let xid = sw.packet_in(2u32, vec![7; 64]).unwrap();
    sw.exchange(&mut conn, now).unwrap();
    let evs = events(&mut conn);
    let [Event::Message(f)] = evs.as_slice() else {
        panic!("{evs:?}")
    };
    assert_eq!(f.header.xid, xid);
    let pin = f.packet_in().unwrap().unwrap();
    assert_eq!(pin.in_port(), Some(PortNo(2)));
    assert_eq!(pin.data, [7; 64]);

    // A new port, then port 1 deleted: both lists follow.
    let p9 = Port::new(9u32, MacAddr([2, 0, 0, 0, 0, 9]), "p9");
    sw.port_status(PortReason::ADD, p9).unwrap();
    let p1 = sw.ports()[0];
    sw.port_status(PortReason::DELETE, p1).unwrap();
    sw.exchange(&mut conn, now).unwrap();
    let evs = events(&mut conn);
    assert_eq!(evs.len(), 2);
    assert!(conn.port(9u32).is_some() && conn.port(1u32).is_none());
    let mut conn_ports: Vec<Port> = conn.ports().cloned().collect();
    let mut sw_ports = sw.ports().to_vec();
    conn_ports.sort_by_key(|p| p.port_no);
    sw_ports.sort_by_key(|p| p.port_no);
    assert_eq!(conn_ports, sw_ports);

    // An error for a request.
    let xid = conn
        .request(now, Body::MultipartRequest(MultipartRequest::table_stats()))
        .unwrap();
    sw.exchange(&mut conn, now).unwrap();
    let err = ErrorMsg::new(BadRequestCode::BAD_MULTIPART, vec![1, 2, 3]);
    sw.error(xid, err.clone()).unwrap();
    sw.exchange(&mut conn, now).unwrap();
    assert_eq!(
        events(&mut conn),
        vec![Event::RequestFailed {
            xid,
            request: MsgType::MULTIPART_REQUEST,
            error: err
        }]
    );
}

#[test]
fn flow_mods_and_packet_outs_are_recorded_within_the_bound() {
    let mut c = fake::Config::default();
    c.max_recorded = 10;
    let (mut conn, mut sw, now) = main_with(c);
    sw.take_received();
    for i in 0..25u16 {
        let f = FlowMod::add()
            .matching(Match::new().in_port(u32::from(i)))
            .priority(i);
        conn.send(now, Body::FlowMod(f)).unwrap();
        conn.send(now, Body::PacketOut(PacketOut::new(u32::from(i))))
            .unwrap();
    }
    sw.exchange(&mut conn, now).unwrap();
    // The newest of each (at most 10; these records drop in batches), in order; everything
    // else counted.
    let prios: Vec<u16> = sw.flow_mods().iter().map(|f| f.priority).collect();
    assert_eq!(prios, (15..25).collect::<Vec<_>>());
    let ins: Vec<PortNo> = sw.packet_outs().iter().map(|p| p.in_port).collect();
    assert_eq!(ins, (15..25u32).map(PortNo).collect::<Vec<_>>());
    assert_eq!(sw.received().len(), 10);
    assert_eq!(sw.stats().records_dropped, 15 + 15 + 40);
    assert_eq!(sw.take_flow_mods().len(), 10);
    assert_eq!(sw.flow_mods(), []);
    assert_eq!(sw.take_packet_outs().len(), 10);
}

#[test]
fn garbage_from_the_controller_is_an_error_never_a_panic() {
    let mut sw = FakeSwitch::new(fake::Config::default());
    // A FLOW_MOD header with a body too short to be one, then an ECHO_REQUEST: the bad one is
    // refused, the good one still answered.
    let mut bytes = vec![4, 14, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0];
    bytes.extend([4, 2, 0, 8, 0, 0, 0, 2]);
    assert!(sw.handle_bytes(&bytes).is_err());
    assert_eq!(sw.stats().messages_refused, 1);
    assert_eq!(sw.stats().messages_received, 2);
    let mut buf = Vec::new();
    sw.poll_transmit(&mut buf).unwrap();
    let mut f = sdnwire_openflow::Framer::new();
    f.push(&buf);
    let kinds: Vec<_> = core::iter::from_fn(|| f.next_frame().unwrap())
        .map(|fr| (fr.header.msg_type, fr.header.xid))
        .collect();
    assert_eq!(
        kinds[1..],
        [(MsgType::ECHO_REPLY, 2)],
        "HELLO, then the echo"
    );
    // A length below 8 breaks the stream for good.
    assert!(sw.handle_bytes(&[4, 2, 0, 4, 0, 0, 0, 0]).is_err());
    assert!(sw.handle_bytes(&[4, 2, 0, 8, 0, 0, 0, 3]).is_err());
    assert_eq!(sw.poll_transmit(&mut buf), None);
}
