//! `Connection::handle_buf`, the zero-copy input: the same events, transmits, errors and
//! counters as `handle_bytes` with the same bytes in any chunking and under any event bound;
//! frames whole in a read share its memory; the messages queued as runs keep their place among
//! the other events.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
// Test values are small: their u8 casts are intended.
#![allow(clippy::cast_possible_truncation)]

use bytes::Bytes;
use sdnwire_openflow::connection::{
    Config, Connection, Dropped, Event, InputError, State, Transmit,
};
use sdnwire_openflow::error_msg::{BadRequestCode, ErrorMsg};
use sdnwire_openflow::features::{DatapathId, SwitchFeatures};
use sdnwire_openflow::hello::Hello;
use sdnwire_openflow::multipart::{MultipartReply, MultipartReplyBody};
use sdnwire_openflow::packet_in::PacketIn;
use sdnwire_openflow::port::{Port, PortReason, PortStatus};
use sdnwire_openflow::simple::Echo;
use sdnwire_openflow::switch_config::SwitchConfig;
use sdnwire_openflow::{Body, Encode, Framer, Instant, Message, MsgType, PortNo};
use sdnwire_packet::MacAddr;

fn encode(xid: u32, body: Body) -> Vec<u8> {
    Message::new(xid, body).to_vec().unwrap()
}

fn port(no: u32) -> Port {
    Port::new(no, MacAddr([2, 0, 0, 0, 0, no as u8]), &format!("p{no}"))
}

/// A connection in MAIN (a switch of 2 ports), with a GET_CONFIG request outstanding; its xid.
fn connection(max_events: usize) -> (Connection, u32) {
    let now = Instant::ZERO;
    let mut c = Config::default();
    c.max_events = max_events;
    let mut conn = Connection::new(c, now);
    let mut switch = Framer::new();
    let mut tx = Vec::new();
    let mut read = |conn: &mut Connection| {
        while conn.poll_transmit(&mut tx).is_some() {
            switch.push(&tx);
        }
        let mut got = vec![];
        while let Some(f) = switch.next_frame().unwrap() {
            got.push(f.decode().unwrap());
        }
        got
    };
    read(&mut conn);
    conn.handle_bytes(now, &encode(1, Body::Hello(Hello::new())))
        .unwrap();
    let features = read(&mut conn).remove(0);
    let reply = Body::FeaturesReply(SwitchFeatures {
        datapath_id: DatapathId(1),
        n_tables: 254,
        ..Default::default()
    });
    conn.handle_bytes(now, &encode(features.xid, reply))
        .unwrap();
    let port_desc = read(&mut conn).remove(0);
    let reply = MultipartReply::new(MultipartReplyBody::PortDesc(vec![port(1), port(2)]));
    conn.handle_bytes(now, &encode(port_desc.xid, Body::MultipartReply(reply)))
        .unwrap();
    assert_eq!(conn.state(), State::Main);
    while conn.poll_event().is_some() {}
    let xid = conn.request(now, Body::GetConfigRequest).unwrap();
    read(&mut conn);
    (conn, xid)
}

fn packet_in(i: u32) -> Vec<u8> {
    encode(
        0,
        Body::PacketIn(PacketIn::new(
            i % 2 + 1,
            vec![i as u8; 60 + i as usize % 40],
        )),
    )
}

/// What a switch sends: PACKET_INs, with every kind of message the connection acts on among
/// them (an ECHO_REQUEST it answers, PORT_STATUSes, the reply to the outstanding request, a
/// PORT_STATUS that does not parse), and messages that go to the application by the general
/// path (a BARRIER_REPLY nobody waits for, an ERROR with an unknown xid, an unknown type).
fn stream(request_xid: u32) -> Vec<u8> {
    let mut s = Vec::new();
    for i in 0..200u32 {
        s.extend(packet_in(i));
        match i {
            10 => s.extend(encode(77, Body::EchoRequest(Echo::new(vec![1, 2, 3])))),
            20 | 120 => s.extend(encode(
                0,
                Body::PortStatus(PortStatus {
                    reason: PortReason::ADD,
                    desc: port(10 + i),
                }),
            )),
            30 => s.extend(encode(
                request_xid,
                Body::GetConfigReply(SwitchConfig::default()),
            )),
            40 => s.extend(encode(5, Body::BarrierReply)),
            50 => s.extend(encode(
                6,
                Body::Error(ErrorMsg::new(BadRequestCode::BAD_TYPE, vec![0; 8])),
            )),
            60 => s.extend([4, 200, 0, 12, 0, 0, 0, 9, 1, 2, 3, 4]),
            70 => s.extend([4, MsgType::PORT_STATUS.0, 0, 12, 0, 0, 0, 9, 1, 2, 3, 4]),
            _ => {}
        }
    }
    s
}

/// Everything the runtime sees from one input call.
#[derive(Debug, PartialEq)]
struct Step {
    result: Result<(), InputError>,
    transmits: Vec<(Transmit, Vec<u8>)>,
    events: Vec<Event>,
}

/// Feeds `s` in `chunk`-byte reads (through `handle_buf` when `shared`), polling after every
/// read or only after every fifth; returns every step and the final stats.
fn run(
    s: &[u8],
    chunk: usize,
    max_events: usize,
    shared: bool,
    poll_every: usize,
) -> (Vec<Step>, sdnwire_openflow::connection::Stats) {
    let (mut conn, _) = connection(max_events);
    let mut tx = Vec::new();
    let mut steps = Vec::new();
    for (i, c) in s.chunks(chunk).enumerate() {
        let result = if shared {
            conn.handle_buf(Instant::ZERO, Bytes::copy_from_slice(c))
        } else {
            conn.handle_bytes(Instant::ZERO, c)
        };
        let mut step = Step {
            result,
            transmits: vec![],
            events: vec![],
        };
        if i % poll_every == 0 {
            while let Some(t) = conn.poll_transmit(&mut tx) {
                step.transmits.push((t, tx.clone()));
            }
            step.events
                .extend(core::iter::from_fn(|| conn.poll_event()));
        }
        steps.push(step);
    }
    steps.push(Step {
        result: Ok(()),
        transmits: vec![],
        events: core::iter::from_fn(|| conn.poll_event()).collect(),
    });
    (steps, conn.stats())
}

#[test]
fn handle_buf_and_handle_bytes_agree_in_any_chunking_and_bound() {
    let (_, xid) = connection(4096);
    let s = stream(xid);
    for chunk in [1, 7, 64, 1460, 65536] {
        for max_events in [0, 1, 3, 4096] {
            for poll_every in [1, 5] {
                let copied = run(&s, chunk, max_events, false, poll_every);
                let shared = run(&s, chunk, max_events, true, poll_every);
                assert_eq!(
                    copied, shared,
                    "chunk {chunk}, max_events {max_events}, poll every {poll_every}"
                );
                // Nothing lost: every PACKET_IN and every other application message was
                // delivered or counted in a Resync.
                let events: Vec<&Event> = copied.0.iter().flat_map(|s| &s.events).collect();
                let delivered = events
                    .iter()
                    .filter(|e| matches!(e, Event::Message(_)))
                    .count() as u64;
                let dropped: Dropped = events.iter().fold(Dropped::default(), |mut d, e| {
                    if let Event::Resync { dropped } = e {
                        d.messages += dropped.messages;
                        d.port_status += dropped.port_status;
                    }
                    d
                });
                assert_eq!(delivered + dropped.messages, 200 + 3, "chunk {chunk}");
                assert_eq!(copied.1.events_dropped, dropped.total());
                assert_eq!(copied.1.messages_refused, 1);
                assert_eq!(copied.1.echo_requests_answered, 1);
                // The handshake's 3 messages, then the stream's.
                assert_eq!(copied.1.messages_received, 3 + 200 + 8);
            }
        }
    }
}

/// The kinds of events in order: `M` a message (with its first data byte for a PACKET_IN),
/// `P` a port status, `R` a reply, `S` a resync.
fn kinds(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            Event::Message(f) => match f.packet_in() {
                Some(p) => format!("M{}", p.unwrap().data[0]),
                None => format!("M-{}", f.header.msg_type.0),
            },
            Event::PortStatus { .. } => "P".into(),
            Event::Reply { .. } => "R".into(),
            Event::Resync { dropped } => format!("S{}/{}", dropped.messages, dropped.port_status),
            other => panic!("unexpected {other:?}"),
        })
        .collect()
}

#[test]
fn messages_keep_their_place_among_the_other_events() {
    let (_, xid) = connection(4096);
    let s = stream(xid);
    // One read, polled at the end: every event in the stream's order.
    let (steps, _) = run(&s, s.len(), 4096, true, 1);
    let mut want = Vec::new();
    for i in 0..200u32 {
        want.push(format!("M{}", i as u8));
        match i {
            20 | 120 => want.push("P".into()),
            30 => want.push("R".into()),
            40 => want.push(format!("M-{}", MsgType::BARRIER_REPLY.0)),
            50 => want.push(format!("M-{}", MsgType::ERROR.0)),
            60 => want.push("M-200".into()),
            _ => {}
        }
    }
    assert_eq!(kinds(&steps[0].events), want);

    // A bound of 3: three PACKET_INs, then one Resync for everything dropped after them
    // (drops add up while nothing is queued after the Resync).
    let (steps, stats) = run(&s, s.len(), 3, true, 1);
    let got = kinds(&steps[0].events);
    assert_eq!(got[..3], ["M0", "M1", "M2"]);
    // The reply is never dropped, and comes after the messages queued before it.
    // Dropped before the reply: PACKET_INs 3 to 30 and a PORT_STATUS; after it: PACKET_INs
    // 31 to 199, the three other messages for the application and a PORT_STATUS.
    assert_eq!(got[3..], ["S28/1", "R", "S172/1"]);
    assert_eq!(stats.events_dropped, 28 + 1 + 172 + 1);
}

#[test]
fn frames_whole_in_a_read_share_its_memory() {
    let (mut conn, _) = connection(4096);
    let a = packet_in(1);
    let b = packet_in(2);
    let c = packet_in(3);
    // One read: a, b, and half of c; then the rest of c.
    let mut read1 = [a.clone(), b.clone()].concat();
    read1.extend(&c[..20]);
    let read1 = Bytes::from(read1);
    let handshake = conn.stats().bytes_received;
    conn.handle_buf(Instant::ZERO, read1.clone()).unwrap();
    conn.handle_buf(Instant::ZERO, c[20..].to_vec()).unwrap();
    let events: Vec<Event> = core::iter::from_fn(|| conn.poll_event()).collect();
    let frames: Vec<_> = events
        .iter()
        .map(|e| match e {
            Event::Message(f) => f,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(frames.len(), 3);
    assert_eq!(frames[0].bytes, a);
    assert_eq!(frames[1].bytes, b);
    assert_eq!(frames[2].bytes, c);
    assert_eq!(frames[0].bytes.as_ptr(), read1.as_ptr());
    assert_eq!(frames[1].bytes.as_ptr(), read1[a.len()..].as_ptr());
    // The message cut in two was completed in the connection's own buffer.
    assert!(!read1.as_ptr_range().contains(&frames[2].bytes.as_ptr()));
    let pin = frames[1].packet_in().unwrap().unwrap();
    assert_eq!(pin.in_port(), Some(PortNo(1)));
    assert!(read1.as_ptr_range().contains(&pin.data.as_ptr()));
    assert_eq!(
        conn.stats().bytes_received - handshake,
        (a.len() + b.len() + c.len()) as u64
    );
    // Dead: handle_buf is ignored, as handle_bytes is.
    conn.close(Instant::ZERO);
    let before = conn.stats();
    conn.handle_buf(Instant::ZERO, a).unwrap();
    assert_eq!(conn.stats(), before);
}
