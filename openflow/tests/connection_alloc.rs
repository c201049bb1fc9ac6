//! A PACKET_IN costs the connection no heap allocation in the steady state.
//!
//! A counting global allocator (the `allocation-counter` dev-dependency, which counts the
//! allocations of the current thread; the workspace forbids the unsafe a hand-written
//! `#[global_allocator]` needs) watches a controller take 10,000 PACKET_INs from a switch, cut
//! into 1460-byte reads as TCP delivers them (messages straddle the reads), with an
//! ECHO_REQUEST every 100 messages that the connection answers: `handle_bytes`, then
//! `poll_transmit` into the runtime's one buffer, then `poll_event` and the PACKET_IN view's
//! fields, match and data. After a warm-up (the receive buffer, the event queue and the two
//! transmit buffers reach their sizes), the allocation count does not grow. The same through
//! `handle_buf`, the runtime reading into one `BytesMut` and handing each read over.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use sdnwire_openflow::connection::{Config, Connection, Event, State};
use sdnwire_openflow::features::{DatapathId, SwitchFeatures};
use sdnwire_openflow::hello::Hello;
use sdnwire_openflow::multipart::{MultipartReply, MultipartReplyBody};
use sdnwire_openflow::packet_in::{PacketIn, PacketInReason};
use sdnwire_openflow::port::Port;
use sdnwire_openflow::simple::Echo;
use sdnwire_openflow::{Body, BufferId, Encode, Framer, Instant, Message, MsgType, PortNo};
use sdnwire_packet::MacAddr;

const MESSAGES: usize = 10_000;
const WARM_UP: usize = 1_000;
const READ: usize = 1460;

/// A connection taken to MAIN by a scripted switch.
fn connection() -> Connection {
    let now = Instant::ZERO;
    let mut conn = Connection::new(Config::default(), now);
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
    let hello = Message::new(1, Body::Hello(Hello::new()));
    conn.handle_bytes(now, &hello.to_vec().unwrap()).unwrap();
    let features = read(&mut conn).remove(0);
    let reply = Body::FeaturesReply(SwitchFeatures {
        datapath_id: DatapathId(1),
        n_tables: 254,
        ..Default::default()
    });
    let reply = Message::new(features.xid, reply).to_vec().unwrap();
    conn.handle_bytes(now, &reply).unwrap();
    let port_desc = read(&mut conn).remove(0);
    let ports = (1..=48u32)
        .map(|i| {
            Port::new(
                i,
                MacAddr([2, 0, 0, 0, 0, i.to_be_bytes()[3]]),
                &format!("p{i}"),
            )
        })
        .collect();
    let reply = MultipartReply::new(MultipartReplyBody::PortDesc(ports));
    let reply = Message::new(port_desc.xid, Body::MultipartReply(reply));
    conn.handle_bytes(now, &reply.to_vec().unwrap()).unwrap();
    assert_eq!(conn.state(), State::Main);
    while conn.poll_event().is_some() {}
    conn
}

/// PACKET_IN `i`: a 64-to-127-byte frame from port `i % 48 + 1`, not buffered.
fn packet_in(i: usize) -> Vec<u8> {
    let len = 64 + i % 64;
    let data: Vec<u8> = (0..len).map(|j| (i + j).to_le_bytes()[0]).collect();
    let mut pin = PacketIn::new(PortNo(u32::try_from(i % 48 + 1).unwrap()), data);
    pin.reason = PacketInReason::NO_MATCH;
    pin.cookie = i as u64;
    Message::new(0, Body::PacketIn(pin)).to_vec().unwrap()
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Seen {
    packet_ins: usize,
    ports: u64,
    cookies: u64,
    data_bytes: usize,
    data_sum: u64,
    other: usize,
}

/// What a controller reads from a PACKET_IN, through the view only.
fn take(conn: &mut Connection, tx: &mut Vec<u8>, seen: &mut Seen, echoed: &mut usize) {
    while let Some(t) = conn.poll_transmit(tx) {
        // The runtime writes `tx` to the socket here.
        *echoed += t.messages;
    }
    while let Some(ev) = conn.poll_event() {
        match ev {
            Event::Message(frame) => match frame.packet_in() {
                Some(Ok(pin)) => {
                    assert_eq!(pin.buffer_id, BufferId::NO_BUFFER);
                    assert_eq!(usize::from(pin.total_len), pin.data.len());
                    seen.packet_ins += 1;
                    seen.ports += u64::from(pin.in_port().unwrap().0);
                    seen.cookies += pin.cookie;
                    seen.data_bytes += pin.data.len();
                    seen.data_sum += pin.data.iter().map(|&b| u64::from(b)).sum::<u64>();
                }
                _ => seen.other += 1,
            },
            _ => seen.other += 1,
        }
    }
}

#[test]
fn packet_ins_cost_no_allocation_in_the_steady_state() {
    steady_state(false);
}

/// The same through `handle_buf`, with the runtime reading into one `BytesMut` and handing
/// each read over (`rx.split().freeze()`): the frames share the reads' memory, and once the
/// application has dropped them `reserve` takes the memory back for the next read.
#[test]
fn packet_ins_cost_no_allocation_in_the_steady_state_through_handle_buf() {
    steady_state(true);
}

fn steady_state(shared: bool) {
    let mut stream = Vec::new();
    let mut starts = Vec::new();
    let mut expected = Seen::default();
    for i in 0..MESSAGES {
        if i % 100 == 99 {
            let echo = Message::new(
                u32::try_from(i).unwrap(),
                Body::EchoRequest(Echo::new(vec![7; 24])),
            );
            stream.extend(echo.to_vec().unwrap());
        }
        starts.push(stream.len());
        let m = packet_in(i);
        let v = sdnwire_openflow::MessageView::parse(&m).unwrap();
        let sdnwire_openflow::BodyView::PacketIn(p) = v.body else {
            unreachable!()
        };
        expected.packet_ins += 1;
        expected.ports += (i % 48 + 1) as u64;
        expected.cookies += i as u64;
        expected.data_bytes += p.data.len();
        expected.data_sum += p.data.iter().map(|&b| u64::from(b)).sum::<u64>();
        stream.extend(&m);
    }
    assert_eq!(
        MsgType::PACKET_IN.0,
        stream[starts[5] + 1],
        "the stream is built"
    );
    let split = starts[if shared { 3 * WARM_UP } else { WARM_UP }] / READ * READ;
    let (warm, steady) = stream.split_at(split);

    let mut conn = connection();
    let mut tx = Vec::new();
    let mut seen = Seen::default();
    let mut echoed = 0;
    let mut now = Instant::ZERO;
    let mut rx = bytes::BytesMut::with_capacity(4 * READ);
    let mut feed = |conn: &mut Connection,
                    tx: &mut Vec<u8>,
                    seen: &mut Seen,
                    echoed: &mut usize,
                    now: &mut Instant,
                    bytes: &[u8]| {
        for read in bytes.chunks(READ) {
            *now += core::time::Duration::from_micros(10);
            if shared {
                // The socket read.
                rx.reserve(READ);
                rx.extend_from_slice(read);
                conn.handle_buf(*now, rx.split().freeze()).unwrap();
            } else {
                conn.handle_bytes(*now, read).unwrap();
            }
            take(conn, tx, seen, echoed);
            conn.handle_timeout(*now);
        }
    };

    let warm_up = allocation_counter::measure(|| {
        feed(&mut conn, &mut tx, &mut seen, &mut echoed, &mut now, warm);
    });
    let after_warm_up = seen.packet_ins;
    let steady_state = allocation_counter::measure(|| {
        feed(&mut conn, &mut tx, &mut seen, &mut echoed, &mut now, steady);
    });
    eprintln!(
        "{}: {after_warm_up} PACKET_INs to warm up: {} allocations; the next {} PACKET_INs \
         ({} reads of {READ} bytes, {} echoes answered in all): {} allocations",
        if shared { "handle_buf" } else { "handle_bytes" },
        warm_up.count_total,
        seen.packet_ins - after_warm_up,
        steady.len().div_ceil(READ),
        echoed,
        steady_state.count_total
    );
    assert_eq!(seen, expected, "every PACKET_IN was read, exactly");
    assert_eq!(echoed, MESSAGES / 100, "every ECHO_REQUEST was answered");
    // handle_buf warms up longer: its second buffer for a message cut in two by a read
    // reaches its size later.
    assert!(seen.packet_ins - after_warm_up >= if shared { 6_900 } else { 8_900 });
    assert_eq!(steady_state.count_total, 0, "{steady_state:?}");
    assert_eq!(conn.stats().messages_refused, 0);
    assert_eq!(conn.stats().events_dropped, 0);

    // Decoding a PACKET_IN into an owned message allocates nothing either while its frame fits
    // the inline room (128 bytes); a longer frame is one allocation.
    let m = packet_in(3);
    let owned = allocation_counter::measure(|| {
        let msg = Message::parse(&m).unwrap();
        assert_eq!(msg.msg_type(), MsgType::PACKET_IN);
    });
    assert_eq!(owned.count_total, 0, "{owned:?}");
}
