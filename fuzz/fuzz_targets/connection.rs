//! `sdnwire_openflow::Connection` with a small `Config` (drawn from the first input bytes)
//! against `sdnwire_openflow::fake::FakeSwitch`, driven by the rest of the input read as a
//! sequence of operations: bytes from the switch (its answers, injected PACKET_INs,
//! PORT_STATUSes, ERRORs, replies, echoes, or raw input bytes) handed in with arbitrary
//! chunking, time steps (to `poll_timeout`, just before it, past it, backwards, huge), the
//! application's sends, requests, barriers and cancels, close and EOF, and drains. Checked:
//!
//! - nothing panics;
//! - `poll_timeout` is never later than the next thing due: a `handle_timeout` just before it
//!   changes nothing (no state, counter, transmit or event), and after `handle_timeout` at it
//!   no timer is left at or before it;
//! - every byte handed in is accounted for: `stats().bytes_received` counts each byte given
//!   while alive, and a framer beside the connection cuts the same messages it counts; every
//!   `Event::Message` carries exactly the bytes of one of them, in order; refusals come as
//!   `Err` and are counted;
//! - no event is lost: every PACKET_IN and FLOW_REMOVED handed in after the HELLO reaches the
//!   application as an `Event::Message` or is counted in an `Event::Resync` at its place; the
//!   drops the `Resync` events report add up to `stats().events_dropped`; a port list kept
//!   from `PortsKnown`, `PortStatus` and `Resync` (then `ports()`) equals `ports()` after
//!   every drain; each request ends at most once, and the requests not ended are the ones
//!   `outstanding_requests()` counts;
//! - every byte transmitted parses as OpenFlow 1.3 messages (the fake switch reads them);
//! - memory is bounded by the configuration: events waiting, transmit bytes, outstanding
//!   requests and ports.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use sdnwire_openflow::connection::{Config, Connection, Event, Overflow, SendError, State};
use sdnwire_openflow::error_msg::{BadRequestCode, ErrorMsg};
use sdnwire_openflow::fake::{self, FakeSwitch};
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::hello::Hello;
use sdnwire_openflow::multipart::{MultipartReplyBody, MultipartRequest, PortStats};
use sdnwire_openflow::port::{Port, PortReason};
use sdnwire_openflow::simple::Echo;
use sdnwire_openflow::{Body, Framer, Instant, Message, MsgType, PortNo};
use sdnwire_packet::MacAddr;

/// Reads the input front to back; zeros once it runs out.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.byte(), self.byte()])
    }

    fn bytes(&mut self, n: usize) -> &[u8] {
        let n = n.min(self.0.len());
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        a
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn duration(b: u8) -> Duration {
    match b % 5 {
        0 => Duration::from_millis(1 + u64::from(b)),
        1 => Duration::from_secs(u64::from(b % 16)),
        2 => Duration::MAX,
        3 => Duration::from_secs(5),
        _ => Duration::ZERO,
    }
}

fn config(inp: &mut Input) -> Config {
    let mut c = Config::default();
    c.max_events = usize::from(inp.byte() % 8);
    c.max_outstanding_requests = usize::from(inp.byte() % 6);
    c.max_transmit_len = 16 + usize::from(inp.u16() % 4096);
    c.max_reply_len = usize::from(inp.u16() % 4096);
    c.max_ports = usize::from(inp.byte() % 10);
    c.max_message_len = 8 + usize::from(inp.u16());
    c.echo_interval = duration(inp.byte());
    c.echo_timeout = duration(inp.byte());
    c.handshake_timeout = duration(inp.byte());
    c.first_xid = match inp.byte() % 3 {
        0 => 0,
        1 => u32::MAX - 2,
        _ => 1,
    };
    c
}

fn port(no: u32) -> Port {
    Port::new(no, MacAddr([2, 0, 0, 0, 0, no as u8]), "p")
}

/// What the runtime knows, from what it was told.
struct Runtime {
    conn: Connection,
    now: Instant,
    /// The switch's side.
    switch: FakeSwitch,
    /// Bytes from the switch not yet handed to the connection.
    to_conn: Vec<u8>,
    /// A framer beside the connection, fed the same bytes while it is alive.
    shadow: Framer,
    shadow_broken: bool,
    /// Messages the shadow cut that the connection has not accounted for yet.
    shadow_frames: Vec<Vec<u8>>,
    /// Index (in the whole stream) of the next shadow frame.
    shadow_index: u64,
    /// Bytes handed in while alive.
    bytes_in: u64,
    /// PACKET_IN and FLOW_REMOVED frames after the first frame, processed by the connection
    /// and not yet matched with an event (or a drop).
    owed_messages: u64,
    /// Event::Message frames still to be matched in order against processed frames.
    processed: std::collections::VecDeque<Vec<u8>>,
    ports: BTreeMap<PortNo, Port>,
    /// A Resync in this drain: the port list read then already holds what later events say.
    resynced: bool,
    dropped_total: u64,
    open: BTreeSet<u32>,
    overflowed: BTreeSet<u32>,
    refused: u64,
    buf: Vec<u8>,
    requests_seen: Vec<u32>,
}

impl Runtime {
    fn cfg(&self) -> &Config {
        self.conn.config()
    }

    /// Hands `n` bytes (in chunks the input picks) of what the switch sent to the connection.
    fn feed(&mut self, inp: &mut Input, n: usize) {
        let n = n.min(self.to_conn.len());
        let bytes: Vec<u8> = self.to_conn.drain(..n).collect();
        let mut at = 0;
        while at < bytes.len() {
            let step = 1 + usize::from(inp.byte()) * 3;
            let end = (at + step).min(bytes.len());
            let chunk = &bytes[at..end];
            at = end;
            let b = inp.byte();
            let now = if b % 8 == 0 {
                // Time going backwards counts as the latest time.
                Instant::ZERO
            } else {
                self.now
            };
            // Through `handle_buf` (the connection keeps the chunk and cuts frames out of
            // it) or `handle_bytes` (it copies the chunk): the same checks hold for both.
            self.hand_in(now, chunk, b & 0x10 != 0);
        }
    }

    fn hand_in(&mut self, now: Instant, chunk: &[u8], shared: bool) {
        let alive = self.conn.state() != State::Dead;
        let before = self.conn.stats();
        let res = if shared {
            self.conn.handle_buf(now, chunk.to_vec())
        } else {
            self.conn.handle_bytes(now, chunk)
        };
        let after = self.conn.stats();
        if !alive || chunk.is_empty() {
            assert!(res.is_ok());
            assert_eq!(before, after, "a dead connection ignores input");
            return;
        }
        self.bytes_in += chunk.len() as u64;
        assert_eq!(after.bytes_received, self.bytes_in, "every byte counted");
        match &res {
            Ok(()) => assert_eq!(after.messages_refused, before.messages_refused),
            Err(e) => {
                assert!(e.refused >= 1);
                assert_eq!(after.messages_refused - before.messages_refused, e.refused);
                self.refused += e.refused;
            }
        }
        // The shadow framer cuts the same messages.
        if !self.shadow_broken {
            self.shadow.push(chunk);
            loop {
                match self.shadow.next_frame() {
                    Ok(Some(f)) => self.shadow_frames.push(f.bytes.to_vec()),
                    Ok(None) => break,
                    Err(_) => {
                        self.shadow_broken = true;
                        break;
                    }
                }
            }
        }
        let got = after.messages_received - before.messages_received;
        let cut = self.shadow_frames.len() as u64;
        if self.conn.state() != State::Dead {
            assert_eq!(got, cut, "the connection handles every whole message");
            assert!(!self.shadow_broken);
        } else {
            assert!(got <= cut);
        }
        for f in self.shadow_frames.drain(..got as usize) {
            let first = self.shadow_index == 0;
            self.shadow_index += 1;
            if !first
                && f[0] == 4
                && (f[1] == MsgType::PACKET_IN.0 || f[1] == MsgType::FLOW_REMOVED.0)
            {
                self.owed_messages += 1;
            }
            self.processed.push_back(f);
        }
        // What was cut and not handled (after a death) is never handled.
        self.shadow_frames.clear();
        if self.conn.state() == State::Dead {
            self.shadow_broken = true;
        }
    }

    /// The runtime's turn: everything transmitted goes to the switch; every event is checked.
    fn drain(&mut self) {
        while let Some(t) = self.conn.poll_transmit(&mut self.buf) {
            assert_eq!(t.len, self.buf.len());
            assert!(
                self.buf.len() <= self.cfg().max_transmit_len.max(16),
                "transmit queue past its bound: {}",
                self.buf.len()
            );
            let before = self.switch.stats().messages_received;
            if let Err(e) = self.switch.handle_bytes(&self.buf) {
                panic!("the connection sent what does not parse: {e}");
            }
            assert_eq!(
                self.switch.stats().messages_received - before,
                t.messages as u64
            );
        }
        assert!(self.buf.is_empty());
        for m in self.switch.take_received() {
            if matches!(m.body, Body::MultipartRequest(_) | Body::BarrierRequest) {
                self.requests_seen.push(m.xid);
            }
        }
        let c = self.cfg().clone();
        let bound = c.max_events + 2 * (c.max_outstanding_requests + 8) + 1;
        let mut n = 0;
        self.resynced = false;
        while let Some(ev) = self.conn.poll_event() {
            n += 1;
            assert!(n <= bound, "more than {bound} events waited");
            self.on_event(ev);
        }
        // Port list and requests agree with what the runtime was told.
        let truth: Vec<Port> = self.conn.ports().copied().collect();
        let view: Vec<Port> = self.ports.values().copied().collect();
        assert_eq!(view, truth, "port list from events");
        assert!(truth.len() <= c.max_ports.max(truth.len().min(c.max_ports)));
        let out = self.conn.outstanding_requests();
        assert!(out <= c.max_outstanding_requests);
        assert!(
            self.open.len() <= out && out <= self.open.len() + self.overflowed.len(),
            "open {:?}, overflowed {:?}, outstanding {out}",
            self.open,
            self.overflowed
        );
        assert_eq!(self.conn.stats().events_dropped, self.dropped_total);
        assert_eq!(self.conn.stats().messages_refused, self.refused);
        assert_eq!(self.owed_messages, 0, "a PACKET_IN was lost");
        if self.conn.state() == State::Dead {
            assert_eq!(self.conn.poll_timeout(), None);
        }
    }

    fn end(&mut self, xid: u32) {
        assert!(
            self.open.remove(&xid),
            "request {xid} ended twice or never made"
        );
    }

    fn on_event(&mut self, ev: Event) {
        match ev {
            Event::Message(f) => {
                // The frame is one the connection processed, in order.
                loop {
                    let Some(p) = self.processed.pop_front() else {
                        panic!("an Event::Message that was never handed in");
                    };
                    if p[..] == f.bytes[..] {
                        break;
                    }
                }
                if f.header.version == 4
                    && (f.header.msg_type == MsgType::PACKET_IN
                        || f.header.msg_type == MsgType::FLOW_REMOVED)
                {
                    self.owed_messages = self.owed_messages.saturating_sub(1);
                }
                let _ = f.view();
            }
            Event::Resync { dropped } => {
                self.dropped_total += dropped.total();
                assert!(dropped.total() > 0);
                // Dropped messages: the owed ones among them are accounted for.
                self.owed_messages = self.owed_messages.saturating_sub(dropped.messages);
                self.ports = self.conn.ports().map(|p| (p.port_no, *p)).collect();
                self.resynced = true;
            }
            Event::PortsKnown(_) | Event::PortStatus { .. } if self.resynced => {}
            Event::PortsKnown(ports) => {
                self.ports = ports.into_iter().map(|p| (p.port_no, p)).collect();
            }
            Event::PortStatus {
                reason,
                port,
                previous,
            } => {
                assert_eq!(previous, self.ports.get(&port.port_no).copied());
                match reason {
                    PortReason::ADD | PortReason::MODIFY => {
                        if previous.is_some() || self.ports.len() < self.cfg().max_ports {
                            self.ports.insert(port.port_no, port);
                        }
                    }
                    PortReason::DELETE => {
                        self.ports.remove(&port.port_no);
                    }
                    _ => {}
                }
            }
            Event::Reply { xid, .. } | Event::BarrierComplete { xid } => {
                assert!(!self.overflowed.contains(&xid));
                self.end(xid);
            }
            Event::RequestFailed { xid, .. } | Event::ReplyMalformed { xid, .. } => {
                self.end(xid);
            }
            Event::Overflow(Overflow::Reply { xid, .. }) => {
                self.end(xid);
                self.overflowed.insert(xid);
            }
            Event::Dead { .. } => {
                self.open.clear();
                self.overflowed.clear();
            }
            _ => {}
        }
    }

    /// Just before `poll_timeout`, nothing happens; at it, the due timer runs and is gone.
    fn step_to_timeout(&mut self, early: bool) {
        self.drain();
        let Some(t) = self.conn.poll_timeout() else {
            return;
        };
        if early {
            let before = t.checked_sub(Duration::from_nanos(1)).unwrap_or(t);
            if before < t && before >= self.now {
                let (stats, state, out) = (
                    self.conn.stats(),
                    self.conn.state(),
                    self.conn.outstanding_requests(),
                );
                self.conn.handle_timeout(before);
                assert_eq!(
                    self.conn.stats(),
                    stats,
                    "something was due before poll_timeout"
                );
                assert_eq!(self.conn.state(), state);
                assert_eq!(self.conn.outstanding_requests(), out);
                assert_eq!(self.conn.poll_timeout(), Some(t));
                assert!(self.conn.poll_transmit(&mut self.buf).is_none());
                assert!(self.conn.poll_event().is_none());
                self.now = before;
            }
            return;
        }
        if t < self.now {
            // Overdue (bytes came in after the clock moved): handled now.
            self.conn.handle_timeout(self.now);
        } else {
            self.now = t;
            self.conn.handle_timeout(t);
        }
        if let Some(next) = self.conn.poll_timeout() {
            assert!(
                next > self.now,
                "a timer due at {t} was skipped: next {next}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut inp = Input(data);
    let config = config(&mut inp);
    let t0 = Instant::from_secs(u64::from(inp.byte()));
    let mut sw = fake::Config::default();
    sw.ports = (1..=u32::from(inp.byte() % 12)).map(port).collect();
    sw.answer = inp.byte() % 4 != 0;
    let mut rt = Runtime {
        conn: Connection::new(config, t0),
        now: t0,
        switch: FakeSwitch::new(sw),
        to_conn: Vec::new(),
        shadow: Framer::new(),
        shadow_broken: false,
        shadow_frames: Vec::new(),
        shadow_index: 0,
        bytes_in: 0,
        owed_messages: 0,
        processed: Default::default(),
        ports: BTreeMap::new(),
        resynced: false,
        dropped_total: 0,
        open: BTreeSet::new(),
        overflowed: BTreeSet::new(),
        refused: 0,
        buf: Vec::new(),
        requests_seen: Vec::new(),
    };
    let mut steps = 0;
    while !inp.is_empty() && steps < 400 {
        steps += 1;
        let op = inp.byte();
        match op % 16 {
            // The switch's output (answers, injected messages) is queued for the connection.
            0 | 1 => {
                while rt.switch.poll_transmit(&mut rt.buf).is_some() {
                    rt.to_conn.extend_from_slice(&rt.buf);
                }
            }
            // Hand in what is queued, in chunks.
            2 | 3 => {
                let n = usize::from(inp.u16());
                rt.feed(&mut inp, n);
            }
            4 => {
                let n = usize::from(inp.byte() % 64);
                let raw = inp.bytes(n).to_vec();
                rt.to_conn.extend_from_slice(&raw);
            }
            5 => {
                let n = usize::from(inp.byte());
                let _ = rt.switch.packet_in(u32::from(op >> 4), vec![0xab; n]);
            }
            6 => {
                let reason = PortReason(inp.byte() % 4);
                let _ = rt
                    .switch
                    .port_status(reason, port(u32::from(inp.byte() % 12)));
            }
            7 => {
                // An ERROR, or a reply, to a request the switch saw (or any xid).
                let xid = match rt.requests_seen.len() {
                    0 => u32::from(inp.byte()),
                    n => rt.requests_seen[usize::from(inp.byte()) % n],
                };
                match inp.byte() % 4 {
                    0 => {
                        let _ = rt
                            .switch
                            .error(xid, ErrorMsg::new(BadRequestCode::BAD_TYPE, vec![]));
                    }
                    1 => rt.switch.send_bytes(&[
                        4,
                        1,
                        0,
                        10,
                        (xid >> 24) as u8,
                        (xid >> 16) as u8,
                        (xid >> 8) as u8,
                        xid as u8,
                        0,
                        1,
                    ]),
                    2 => {
                        let parts = usize::from(inp.byte() % 4);
                        let body = |i: usize| {
                            MultipartReplyBody::PortStats(vec![
                                PortStats {
                                    port_no: PortNo(i as u32),
                                    ..PortStats::default()
                                };
                                i % 3
                            ])
                        };
                        let _ = rt.switch.reply(xid, (0..parts).map(body).collect());
                    }
                    _ => {
                        let _ = rt
                            .switch
                            .send_message(&Message::new(xid, Body::BarrierReply));
                    }
                }
            }
            8 => {
                let body = match inp.byte() % 4 {
                    0 => Body::EchoRequest(Echo::new(inp.bytes(8).to_vec())),
                    1 => Body::Hello(Hello::new()),
                    2 => Body::EchoReply(Echo::default()),
                    _ => Body::FeaturesReply(fake::Config::default().features),
                };
                let _ = rt.switch.send(body);
            }
            // Time.
            9 => rt.step_to_timeout(false),
            10 => rt.step_to_timeout(true),
            11 => {
                let d = match inp.byte() % 4 {
                    0 => Duration::from_millis(u64::from(inp.u16())),
                    1 => Duration::from_secs(u64::from(inp.byte())),
                    2 => Duration::from_secs(u64::MAX / 4),
                    _ => Duration::ZERO,
                };
                rt.now += d;
                if inp.byte() % 2 == 0 {
                    rt.conn.handle_timeout(rt.now);
                } else {
                    // Backwards: counts as the latest time.
                    rt.conn.handle_timeout(Instant::ZERO);
                }
            }
            // The application.
            12 => {
                let kind = inp.byte() % 5;
                let r = match kind {
                    0 => rt.conn.send(rt.now, Body::FlowMod(FlowMod::add())),
                    1 => rt.conn.request(
                        rt.now,
                        Body::MultipartRequest(MultipartRequest::port_stats(PortNo::ANY)),
                    ),
                    2 => rt.conn.barrier(rt.now),
                    3 => rt.conn.request(rt.now, Body::FlowMod(FlowMod::add())),
                    _ => {
                        let n = usize::from(inp.byte() % 3);
                        rt.conn.request_multipart(
                            rt.now,
                            (0..n).map(|_| MultipartRequest::table_features()).collect(),
                        )
                    }
                };
                match r {
                    Ok(xid) if kind != 0 => {
                        assert!(
                            rt.open.insert(xid) && !rt.overflowed.contains(&xid),
                            "xid {xid} reused"
                        );
                    }
                    Ok(_) => {}
                    Err(SendError::NoReply { .. }) => assert_eq!(kind, 3),
                    Err(SendError::Dead) => assert_eq!(rt.conn.state(), State::Dead),
                    Err(_) => {}
                }
            }
            13 => {
                let xid = match rt.open.iter().next() {
                    Some(x) if inp.byte() % 2 == 0 => *x,
                    _ => u32::from(inp.byte()),
                };
                if rt.conn.cancel(xid) {
                    assert!(rt.open.remove(&xid) || rt.overflowed.remove(&xid));
                }
            }
            14 => match inp.byte() % 8 {
                0 => rt.conn.close(rt.now),
                1 => rt.conn.handle_eof(rt.now),
                _ => rt.drain(),
            },
            _ => rt.drain(),
        }
        assert!(rt.conn.outstanding_requests() <= rt.cfg().max_outstanding_requests);
        assert!(rt.conn.ports().len() <= rt.cfg().max_ports.max(0));
    }
    rt.drain();
});
