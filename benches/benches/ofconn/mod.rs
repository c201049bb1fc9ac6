//! Inputs and implementations of the connection benchmark (`benches/openflow_connection.rs`),
//! shared with its profiling entry (`examples/openflow_connection_profile.rs`) and the
//! agreement test (`tests/openflow_connection_agree.rs`).
//!
//! One task, done two ways on the same bytes: a switch's stream of PACKET_INs, every message
//! handed to an application callback that reads every field into a plain [`PacketInRead`]
//! (header xid, buffer id, total length, reason, table id, cookie, every OXM TLV of the match,
//! the frame's length and Internet checksum, which reads every byte of it):
//! - `connection`: the stream as a runtime reads it from the socket, in 64 KiB chunks, through a
//!   [`Connection`] in [`State::Main`] (the handshake is done before timing):
//!   `handle_buf` with each read (`connection_copy`: `handle_bytes`, which copies it), then
//!   `poll_transmit` and `poll_event` drained as its documentation's polling order says, each
//!   [`Event::Message`] read through `Frame::packet_in` (zero-copy);
//! - `views`: the same bytes already cut into frames (slices of the stream), each parsed with
//!   [`MessageView::parse`] and read the same way.
//!
//! The difference is what the connection adds: framing, the state machine's dispatch, the event
//! queue and the frames' shared buffer.
#![allow(dead_code)]

use core::hint::black_box;

use bytes::Bytes;
use sdnwire_openflow::connection::{Config, Connection, Event, State};
use sdnwire_openflow::features::{DatapathId, SwitchFeatures};
use sdnwire_openflow::hello::Hello;
use sdnwire_openflow::multipart::{MultipartReply, MultipartReplyBody};
use sdnwire_openflow::packet_in::{PacketIn, PacketInReason, PacketInView};
use sdnwire_openflow::port::Port;
use sdnwire_openflow::{
    Body, BodyView, BufferId, Encode, Framer, Instant, Message, MessageView, TableId,
};

/// The PACKET_IN Open vSwitch 3.1 sent for a table miss (an ICMP echo request on port 1).
pub(crate) const OVS_PACKET_IN: &[u8] =
    include_bytes!("../../../openflow/testdata/ovs-packet-in.bin");

/// Messages in one pass of the benchmark (one criterion iteration, one profile iteration per
/// message).
pub(crate) const MESSAGES: usize = 1000;

/// The size of one socket read.
pub(crate) const CHUNK: usize = 64 * 1024;

/// The most OXM TLVs [`PacketInRead`] keeps one by one (more are folded into the last).
pub(crate) const MAX_OXMS: usize = 4;

/// One OXM TLV as the application reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct OxmRead {
    /// The TLV's header (class, field, hasmask, length).
    pub header: u32,
    /// The value's bytes, big-endian, 8 at a time (the last group left-aligned) XOR-folded.
    pub value: u64,
    /// The mask's bytes the same way (0 without a mask).
    pub mask: u64,
}

/// What the application reads from one PACKET_IN: a plain struct, nothing borrowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PacketInRead {
    /// The header's xid.
    pub xid: u32,
    /// `buffer_id`.
    pub buffer_id: u32,
    /// `total_len`.
    pub total_len: u16,
    /// `reason`.
    pub reason: u8,
    /// `table_id`.
    pub table_id: u8,
    /// `cookie`.
    pub cookie: u64,
    /// The match's TLVs in wire order.
    pub oxms: [OxmRead; MAX_OXMS],
    /// How many TLVs the match has.
    pub n_oxms: usize,
    /// The match's `in_port` (the first TLV of that type).
    pub in_port: Option<u32>,
    /// The frame's length.
    pub data_len: usize,
    /// The frame's Internet checksum (every byte read).
    pub data_csum: u16,
}

fn fold8(bytes: &[u8]) -> u64 {
    let mut acc = 0u64;
    for c in bytes.chunks(8) {
        let mut b = [0u8; 8];
        b[..c.len()].copy_from_slice(c);
        acc ^= u64::from_be_bytes(b);
    }
    acc
}

/// The application's callback: reads every field of `p` (whose header had `xid`). `None` when
/// a TLV of the match does not parse.
#[inline]
pub(crate) fn read_packet_in(xid: u32, p: &PacketInView<'_>) -> Option<PacketInRead> {
    let mut r = PacketInRead {
        xid,
        buffer_id: p.buffer_id.0,
        total_len: p.total_len,
        reason: p.reason.0,
        table_id: p.table_id.0,
        cookie: p.cookie,
        ..PacketInRead::default()
    };
    for f in p.oxm_fields() {
        let f = f.ok()?;
        let h = f.header().0;
        let value = fold8(f.value());
        if r.in_port.is_none() && h == 0x8000_0004 {
            if let Ok(b) = <[u8; 4]>::try_from(f.value()) {
                r.in_port = Some(u32::from_be_bytes(b));
            }
        }
        let o = OxmRead {
            header: h,
            value,
            mask: f.mask().map_or(0, fold8),
        };
        let slot = &mut r.oxms[r.n_oxms.min(MAX_OXMS - 1)];
        if r.n_oxms < MAX_OXMS {
            *slot = o;
        } else {
            slot.header ^= o.header;
            slot.value ^= o.value;
            slot.mask ^= o.mask;
        }
        r.n_oxms += 1;
    }
    r.data_len = p.data.len();
    r.data_csum = sdnwire_packet::checksum::checksum(p.data);
    Some(r)
}

/// The PACKET_INs of the stream, in the order they repeat: the Open vSwitch capture as it
/// came, and three in the layout Open vSwitch sends (`in_port` first, then the other
/// non-wildcarded pipeline fields), built from captured Linux frames: a buffered UDP query sent
/// by an action of table 1, a tunnelled TCP segment (`tunnel_id`, `metadata`), a TCP SYN.
pub(crate) fn packet_ins() -> Vec<Vec<u8>> {
    let udp = include_bytes!("../../../packet/testdata/udp_request.bin");
    let tcp = include_bytes!("../../../packet/testdata/tcp_data.bin");
    let syn = include_bytes!("../../../packet/testdata/tcp_syn.bin");
    let mut buffered = PacketIn::new(2, udp.to_vec());
    buffered.buffer_id = BufferId(0x0000_0107);
    buffered.reason = PacketInReason(1);
    buffered.table_id = TableId(1);
    buffered.cookie = 0x0123_4567_89ab_cdef;
    buffered.match_ = buffered.match_.clone().metadata(0xab);
    let mut tunnelled = PacketIn::new(3, tcp.to_vec());
    tunnelled.table_id = TableId(2);
    tunnelled.cookie = 7;
    tunnelled.match_ = tunnelled.match_.clone().metadata(5).tunnel_id(5000);
    let syn = PacketIn::new(4, syn.to_vec());
    let mut v = vec![OVS_PACKET_IN.to_vec()];
    for p in [buffered, tunnelled, syn] {
        v.push(Message::new(0, Body::PacketIn(p)).to_vec().unwrap());
    }
    v
}

/// The switch's stream: `n` PACKET_INs back to back, cycling through [`packet_ins`].
pub(crate) fn stream(n: usize) -> Vec<u8> {
    let msgs = packet_ins();
    let mut s = Vec::new();
    for m in msgs.iter().cycle().take(n) {
        s.extend_from_slice(m);
    }
    s
}

/// The stream cut into frames, as slices of it.
pub(crate) fn frames(stream: &[u8]) -> Vec<&[u8]> {
    let mut v = Vec::new();
    let mut rest = stream;
    while rest.len() >= 4 {
        let len = usize::from(u16::from_be_bytes([rest[2], rest[3]]));
        let (m, tail) = rest.split_at(len);
        v.push(m);
        rest = tail;
    }
    assert!(rest.is_empty());
    v
}

/// A connection in [`State::Main`] after a handshake with a switch of 4 ports, its events and
/// transmit queue drained: what a controller holds when the PACKET_INs start.
pub(crate) fn established() -> Connection {
    let t0 = Instant::ZERO;
    let mut conn = Connection::new(Config::default(), t0);
    let mut switch = Framer::new();
    let mut tx = Vec::new();
    let mut to_switch = |conn: &mut Connection| {
        let mut got = vec![];
        while conn.poll_transmit(&mut tx).is_some() {
            switch.push(&tx);
        }
        while let Some(f) = switch.next_frame().unwrap() {
            got.push(f.decode().unwrap());
        }
        got
    };
    to_switch(&mut conn);
    let hello = Message::new(1, Body::Hello(Hello::new()));
    conn.handle_bytes(t0, &hello.to_vec().unwrap()).unwrap();
    let features_request = to_switch(&mut conn).remove(0);
    let features = SwitchFeatures {
        datapath_id: DatapathId(1),
        n_tables: 254,
        ..Default::default()
    };
    let reply = Message::new(features_request.xid, Body::FeaturesReply(features));
    conn.handle_bytes(t0, &reply.to_vec().unwrap()).unwrap();
    let port_desc_request = to_switch(&mut conn).remove(0);
    let ports = (1..=4u8)
        .map(|i: u8| {
            Port::new(
                u32::from(i),
                [0xaa, 0x55, 0, 0, 0, i].into(),
                &format!("p{i}"),
            )
        })
        .collect();
    let reply = MultipartReply::new(MultipartReplyBody::PortDesc(ports));
    let reply = Message::new(port_desc_request.xid, Body::MultipartReply(reply));
    conn.handle_bytes(t0, &reply.to_vec().unwrap()).unwrap();
    assert_eq!(conn.state(), State::Main);
    while conn.poll_event().is_some() {}
    assert!(to_switch(&mut conn).is_empty());
    conn
}

/// How the connection is given each read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Input {
    /// [`Connection::handle_buf`] with the read as a [`Bytes`] (a slice of the stream, as a
    /// runtime that reads into a `BytesMut` hands it over): frames share the read's memory.
    Shared,
    /// [`Connection::handle_bytes`] with the read as `&[u8]`: the connection copies it into
    /// its receive buffer.
    Copied,
}

/// The connection path: `stream` fed to `conn` in [`CHUNK`]-byte reads, each followed by the
/// documented polling order (transmit drained, then events), every PACKET_IN event read by
/// [`read_packet_in`] and handed to `sink`. Returns how many were read, or `None` when
/// anything else happened (an input error, another event, something to transmit, a PACKET_IN
/// that does not read).
#[inline(never)]
pub(crate) fn via_connection(
    conn: &mut Connection,
    tx: &mut Vec<u8>,
    stream: &Bytes,
    input: Input,
    mut sink: impl FnMut(&PacketInRead),
) -> Option<usize> {
    let now = Instant::ZERO;
    let mut n = 0;
    let mut at = 0;
    while at < stream.len() {
        let end = (at + CHUNK).min(stream.len());
        match input {
            Input::Shared => conn.handle_buf(now, stream.slice(at..end)).ok()?,
            Input::Copied => conn.handle_bytes(now, &stream[at..end]).ok()?,
        }
        at = end;
        if conn.poll_transmit(tx).is_some() {
            return None;
        }
        while let Some(ev) = conn.poll_event() {
            let Event::Message(frame) = ev else {
                return None;
            };
            let p = frame.packet_in()?.ok()?;
            sink(&read_packet_in(frame.header.xid, &p)?);
            n += 1;
        }
    }
    Some(n)
}

/// The floor: the same messages already cut into frames, each parsed with
/// [`MessageView::parse`] and read by [`read_packet_in`].
#[inline(never)]
pub(crate) fn via_views(frames: &[&[u8]], mut sink: impl FnMut(&PacketInRead)) -> Option<usize> {
    let mut n = 0;
    for f in frames {
        let MessageView {
            header,
            body: BodyView::PacketIn(p),
            ..
        } = MessageView::parse(black_box(f)).ok()?
        else {
            return None;
        };
        sink(&read_packet_in(header.xid, &p)?);
        n += 1;
    }
    Some(n)
}

/// Asserts that both paths read the same values from a stream of `n` messages, on a fresh
/// connection and again on one that has already carried a pass (the steady state timed).
pub(crate) fn check(n: usize) {
    let s = stream(n);
    let f = frames(&s);
    assert_eq!(f.len(), n);
    let mut want = Vec::new();
    assert_eq!(via_views(&f, |r| want.push(*r)), Some(n));
    // Every TLV and the frame were read: the fixtures' values.
    assert_eq!(want[0].in_port, Some(1));
    assert_eq!(want[0].n_oxms, 1);
    assert_eq!(want[0].data_len, 98);
    if n > 2 {
        assert_eq!(want[1].buffer_id, 0x107);
        assert_eq!(want[1].cookie, 0x0123_4567_89ab_cdef);
        assert_eq!(want[2].n_oxms, 3);
        assert_eq!(want[2].oxms[2].value, 5000);
    }
    let shared = Bytes::from(s.clone());
    for input in [Input::Shared, Input::Copied] {
        let mut conn = established();
        let mut tx = Vec::new();
        for _ in 0..2 {
            let mut got = Vec::new();
            let read = via_connection(&mut conn, &mut tx, &shared, input, |r| got.push(*r));
            assert_eq!(read, Some(n), "{input:?}");
            assert_eq!(got, want, "{input:?}");
        }
        let st = conn.stats();
        assert_eq!(st.events_dropped, 0);
        assert_eq!(st.messages_refused, 0);
        assert_eq!(st.messages_received, 2 * n as u64 + 3);
        assert_eq!(conn.state(), State::Main);
    }
}
