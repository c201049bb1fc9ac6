//! [`Connection`] against a fake switch that speaks through our codec, on a virtual clock that
//! jumps to the connection's next `poll_timeout()`: every state, every timer, request
//! correlation, multipart reassembly, the port list, refused input, zero-copy delivery, and
//! floods past every bound (the application rebuilding the exact state from what it was told).
//! Then the same connection over a real TCP socket against a real Open vSwitch (userspace dummy
//! datapath in a private directory, `sdnwire_testkit::ovs::Ovs`): skipped loudly when OVS is not
//! installed, a failure when CI=true.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::time::Duration;

use sdnwire_openflow::connection::{
    Config, Connection, DeadReason, Event, InputError, Overflow, Reply, SendError, State,
};
use sdnwire_openflow::error_msg::{BadRequestCode, ErrorMsg, ErrorType, HelloFailedCode};
use sdnwire_openflow::fake::{self, FakeSwitch};
use sdnwire_openflow::features::{Capabilities, DatapathId, SwitchFeatures};
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::hello::Hello;
use sdnwire_openflow::multipart::{
    FlowStats, MultipartReply, MultipartReplyBody, MultipartRequest, MultipartRequestBody,
    MultipartType,
};
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::packet_in::PacketIn;
use sdnwire_openflow::port::{Port, PortReason, PortState, PortStatus};
use sdnwire_openflow::role::{ControllerRole, Role};
use sdnwire_openflow::simple::Echo;
use sdnwire_openflow::{Body, Encode, Frame, Instant, Message, MsgType, PortNo};
use sdnwire_packet::MacAddr;

const SECOND: Duration = Duration::from_secs(1);

fn mac(s: &str) -> MacAddr {
    s.parse().unwrap()
}

fn switch_ports() -> Vec<Port> {
    vec![
        Port::new(1, mac("aa:55:aa:55:00:02"), "p1"),
        Port::new(2, mac("aa:55:aa:55:00:03"), "p2"),
        Port::new(PortNo::LOCAL, mac("02:00:00:00:00:fe"), "br0"),
    ]
}

fn switch_features() -> SwitchFeatures {
    SwitchFeatures {
        datapath_id: DatapathId(0xab),
        n_buffers: 256,
        n_tables: 254,
        auxiliary_id: 0,
        capabilities: Capabilities::FLOW_STATS | Capabilities::PORT_STATS,
        reserved: 0,
    }
}

/// The default configuration with some fields changed.
fn config(change: impl FnOnce(&mut Config)) -> Config {
    let mut c = Config::default();
    change(&mut c);
    c
}

fn encode(m: &Message) -> Vec<u8> {
    m.to_vec().unwrap()
}

/// The message an [`Event::Message`] carries, decoded.
fn message(ev: &Event) -> Option<Message> {
    match ev {
        Event::Message(f) => Some(f.decode().unwrap()),
        _ => None,
    }
}

/// The frame an [`Event::Message`] carries.
fn frame(ev: &Event) -> &Frame {
    match ev {
        Event::Message(f) => f,
        other => panic!("not a message: {other:?}"),
    }
}

/// A connection, the fake switch at the other end of the stream (the crate's
/// [`FakeSwitch`], answering nothing by itself: every test says what the switch sends), and a
/// virtual clock.
struct Sim {
    conn: Connection,
    t0: Instant,
    now: Instant,
    /// The switch: reads what the controller wrote, sends what the test says.
    switch: FakeSwitch,
    /// Feed the switch's bytes one at a time.
    bytewise: bool,
    /// The runtime's one transmit buffer.
    tx: Vec<u8>,
    /// The switch's transmit buffer.
    rx: Vec<u8>,
    /// What `handle_bytes` refused.
    refused: Vec<InputError>,
}

/// The switch of these tests, answering nothing by itself and sending no HELLO unasked.
fn manual_switch() -> FakeSwitch {
    let mut c = fake::Config::default();
    c.features = switch_features();
    c.ports = switch_ports();
    c.send_hello = false;
    c.answer = false;
    FakeSwitch::new(c)
}

impl Sim {
    fn new(config: Config) -> Sim {
        // Not ZERO: some tests feed a `now` before the connection was created.
        let t0 = Instant::from_secs(1000);
        Sim {
            conn: Connection::new(config, t0),
            t0,
            now: t0,
            switch: manual_switch(),
            bytewise: false,
            tx: Vec::new(),
            rx: Vec::new(),
            refused: Vec::new(),
        }
    }

    /// Seconds of virtual time since the start.
    fn elapsed(&self) -> Duration {
        self.now - self.t0
    }

    /// Everything the controller sent since the last call, as the switch parses it.
    fn switch_reads(&mut self) -> Vec<Message> {
        while let Some(t) = self.conn.poll_transmit(&mut self.tx) {
            assert_eq!(t.len, self.tx.len());
            if self.bytewise {
                for b in self.tx.iter() {
                    self.switch.handle_bytes(&[*b]).unwrap();
                }
            } else {
                self.switch.handle_bytes(&self.tx).unwrap();
            }
        }
        assert!(self.tx.is_empty(), "poll_transmit clears the buffer");
        self.switch.take_received()
    }

    /// The one message the controller sent.
    fn switch_reads_one(&mut self) -> Message {
        let mut got = self.switch_reads();
        assert_eq!(got.len(), 1, "{got:?}");
        got.remove(0)
    }

    /// Delivers what the switch queued to the connection.
    fn switch_flush(&mut self) {
        while let Some(n) = self.switch.poll_transmit(&mut self.rx) {
            assert_eq!(n, self.rx.len());
            if self.bytewise {
                for b in self.rx.iter() {
                    if let Err(e) = self.conn.handle_bytes(self.now, core::slice::from_ref(b)) {
                        self.refused.push(e);
                    }
                }
            } else if let Err(e) = self.conn.handle_bytes(self.now, &self.rx) {
                self.refused.push(e);
            }
        }
    }

    fn switch_sends_bytes(&mut self, bytes: &[u8]) {
        self.switch.send_bytes(bytes);
        self.switch_flush();
    }

    fn switch_sends(&mut self, xid: u32, body: Body) {
        self.switch.send_message(&Message::new(xid, body)).unwrap();
        self.switch_flush();
    }

    fn events(&mut self) -> Vec<Event> {
        core::iter::from_fn(|| self.conn.poll_event()).collect()
    }

    fn advance(&mut self, d: Duration) {
        self.now += d;
    }

    /// Jumps to the connection's next wake-up and handles it; returns the instant.
    fn wake(&mut self) -> Instant {
        let t = self.conn.poll_timeout().expect("a timer runs");
        assert!(t >= self.now, "timers are never in the past");
        self.now = t;
        self.conn.handle_timeout(t);
        t
    }

    /// The switch's side of HELLO, FEATURES and PORT_DESC (in `parts` parts).
    fn handshake_with(&mut self, ports: &[Port], parts: usize) -> Vec<Event> {
        let hello = self.switch_reads_one();
        assert!(matches!(&hello.body, Body::Hello(h) if h.supports(4) && !h.supports(1)));
        self.switch_sends(hello.xid.wrapping_add(1000), Body::Hello(Hello::new()));
        assert_eq!(self.conn.state(), State::Config);
        let req = self.switch_reads_one();
        assert_eq!(req.body, Body::FeaturesRequest);
        assert_ne!(req.xid, 0);
        self.switch_sends(req.xid, Body::FeaturesReply(switch_features()));
        assert_eq!(self.conn.state(), State::Config);
        let req = self.switch_reads_one();
        assert_eq!(
            req.body,
            Body::MultipartRequest(MultipartRequest::port_desc())
        );
        let chunks: Vec<&[Port]> = ports.chunks(ports.len().div_ceil(parts).max(1)).collect();
        let n = chunks.len().max(1);
        for i in 0..n {
            let part = chunks.get(i).copied().unwrap_or(&[]).to_vec();
            let reply =
                MultipartReply::new(MultipartReplyBody::PortDesc(part)).with_more(i + 1 < n);
            assert_eq!(self.conn.state(), State::Config);
            self.switch_sends(req.xid, Body::MultipartReply(reply));
        }
        self.events()
    }

    fn handshake(&mut self) -> Vec<Event> {
        self.handshake_with(&switch_ports(), 1)
    }

    fn main() -> Sim {
        let mut s = Sim::new(Config::default());
        s.handshake();
        s
    }

    fn dead_reason(&mut self) -> DeadReason {
        assert_eq!(self.conn.state(), State::Dead);
        let evs = self.events();
        match evs.as_slice() {
            [.., Event::StateChanged {
                to: State::Dead, ..
            }, Event::Dead { reason }] => {
                assert_eq!(Some(reason), self.conn.dead_reason());
                reason.clone()
            }
            _ => panic!("no Dead event last: {evs:?}"),
        }
    }
}

fn sorted_ports() -> Vec<Port> {
    let mut p = switch_ports();
    p.sort_by_key(|p| p.port_no);
    p
}

fn expected_handshake_events() -> Vec<Event> {
    vec![
        Event::StateChanged {
            from: State::Handshake,
            to: State::Config,
        },
        Event::SwitchFeatures(switch_features()),
        Event::PortsKnown(sorted_ports()),
        Event::StateChanged {
            from: State::Config,
            to: State::Main,
        },
    ]
}

fn check_main(s: &Sim) {
    let c = &s.conn;
    assert_eq!(c.state(), State::Main);
    assert_eq!(c.datapath_id(), Some(DatapathId(0xab)));
    assert_eq!(c.features(), Some(&switch_features()));
    assert_eq!(c.ports().copied().collect::<Vec<_>>(), sorted_ports());
    assert_eq!(c.port(2u32).unwrap().name(), "p2");
    assert_eq!(c.port(PortNo::LOCAL).unwrap().name(), "br0");
    assert!(c.port(9u32).is_none());
    assert_eq!(c.local_hw_addr(), Some(mac("02:00:00:00:00:fe")));
    assert_eq!(c.dead_reason(), None);
    assert_eq!(s.refused, vec![]);
    assert_eq!(c.stats().messages_refused, 0);
    // In MAIN only the keepalive runs (the handshake timer stopped).
    assert_eq!(c.poll_timeout(), Some(s.now + c.config().echo_interval));
}

// ------------------------------------------------------------------ handshake

#[test]
fn handshake_reaches_main_with_features_and_ports() {
    let mut s = Sim::new(Config::default());
    assert_eq!(s.conn.state(), State::Handshake);
    assert_eq!(s.conn.datapath_id(), None);
    assert_eq!(s.conn.ports().len(), 0);
    assert_eq!(
        s.conn.poll_timeout(),
        Some(s.t0 + s.conn.config().handshake_timeout)
    );
    assert_eq!(s.handshake(), expected_handshake_events());
    check_main(&s);
    assert_eq!(s.conn.outstanding_requests(), 0);
    let st = s.conn.stats();
    assert_eq!(st.messages_received, 3);
    assert_eq!(st.messages_sent, 3);
}

#[test]
fn handshake_one_byte_at_a_time_both_ways() {
    let mut s = Sim::new(Config::default());
    s.bytewise = true;
    assert_eq!(s.handshake(), expected_handshake_events());
    check_main(&s);
}

#[test]
fn handshake_with_port_desc_in_several_parts() {
    let mut ports = switch_ports();
    for i in 3..40u32 {
        ports.push(Port::new(
            i,
            MacAddr([2, 0, 0, 0, 0, u8::try_from(i).unwrap()]),
            &format!("p{i}"),
        ));
    }
    let mut s = Sim::new(Config::default());
    let evs = s.handshake_with(&ports, 5);
    ports.sort_by_key(|p| p.port_no);
    assert_eq!(evs[2], Event::PortsKnown(ports.clone()));
    assert_eq!(s.conn.ports().len(), 40);
    assert_eq!(s.conn.state(), State::Main);

    // A switch with no ports at all (one empty part).
    let mut s = Sim::new(Config::default());
    let evs = s.handshake_with(&[], 1);
    assert_eq!(evs[2], Event::PortsKnown(vec![]));
    assert_eq!(s.conn.local_hw_addr(), None);
}

#[test]
fn a_hello_with_several_versions_negotiates_1_3() {
    let mut s = Sim::new(Config::default());
    s.switch_reads();
    // Header version 6 (1.5) and a bitmap of 1.0, 1.3 and 1.5.
    let mut hello = encode(&Message::new(
        1,
        Body::Hello(Hello::with_versions(&[1, 4, 6])),
    ));
    hello[0] = 6;
    s.switch_sends_bytes(&hello);
    assert_eq!(s.conn.state(), State::Config);
    assert_eq!(s.switch_reads_one().body, Body::FeaturesRequest);

    // A bare 1.3 HELLO without a bitmap negotiates by the header version.
    let mut s = Sim::new(Config::default());
    s.switch_sends(1, Body::Hello(Hello::default()));
    assert_eq!(s.conn.state(), State::Config);
}

fn assert_hello_failed_sent(s: &mut Sim, xid: u32, offered: &str) {
    let sent = s.switch_reads();
    let [Message {
        xid: exid,
        body: Body::Error(e),
    }] = sent.as_slice()
    else {
        panic!("expected one ERROR, got {sent:?}")
    };
    assert_eq!(*exid, xid);
    assert!(e.is(HelloFailedCode::INCOMPATIBLE), "{e}");
    let text = String::from_utf8(e.data.clone()).unwrap();
    assert!(
        text.contains(offered) && text.contains("1.3 (0x04) only"),
        "{text}"
    );
}

#[test]
fn version_mismatch_sends_hello_failed_and_dies() {
    // An OpenFlow 1.0 switch: version 1, a bare 8-byte HELLO.
    let mut s = Sim::new(Config::default());
    s.switch_reads();
    s.switch_sends_bytes(&[1, 0, 0, 8, 0, 0, 0, 77]);
    assert_hello_failed_sent(&mut s, 77, "1.0 (0x01)");
    assert_eq!(
        s.dead_reason(),
        DeadReason::VersionMismatch {
            header_version: 1,
            offered: vec![1]
        }
    );
    assert_eq!(s.conn.poll_timeout(), None);

    // A 1.3 header whose bitmap offers 1.0 and 1.2 only.
    let mut s = Sim::new(Config::default());
    s.switch_reads();
    s.switch_sends(5, Body::Hello(Hello::with_versions(&[1, 3])));
    assert_hello_failed_sent(&mut s, 5, "1.0 (0x01), 1.2 (0x03)");
    assert!(matches!(
        s.dead_reason(),
        DeadReason::VersionMismatch { offered, .. } if offered == vec![1, 3]
    ));

    // A 1.0 HELLO with a body it may carry (ignored, not understood).
    let mut s = Sim::new(Config::default());
    s.switch_reads();
    s.switch_sends_bytes(&[1, 0, 0, 11, 0, 0, 0, 9, 0xde, 0xad, 0xbe]);
    assert_hello_failed_sent(&mut s, 9, "1.0 (0x01)");
    assert_eq!(s.conn.state(), State::Dead);
}

#[test]
fn a_message_before_hello_is_a_protocol_error() {
    let mut s = Sim::new(Config::default());
    s.switch_reads();
    s.switch_sends(3, Body::FeaturesReply(switch_features()));
    assert_eq!(
        s.dead_reason(),
        DeadReason::NoHello {
            msg_type: MsgType::FEATURES_REPLY
        }
    );
    assert!(
        s.switch_reads().is_empty(),
        "nothing is sent to such a peer"
    );
    // Even an ECHO_REQUEST.
    let mut s = Sim::new(Config::default());
    s.switch_sends(3, Body::EchoRequest(Echo::default()));
    assert!(matches!(s.dead_reason(), DeadReason::NoHello { .. }));
}

#[test]
fn the_switch_refusing_our_hello_kills_the_connection() {
    let e = ErrorMsg::hello_failed(HelloFailedCode::INCOMPATIBLE, "no 1.3 here");
    let mut s = Sim::new(Config::default());
    s.switch_sends(1, Body::Error(e.clone()));
    assert_eq!(s.dead_reason(), DeadReason::PeerHelloFailed(e.clone()));
    // The same after HELLO (it accepted nothing in the end).
    let mut s = Sim::new(Config::default());
    s.switch_sends(1, Body::Hello(Hello::new()));
    // (with the FEATURES_REQUEST's xid, even)
    s.switch_sends(2, Body::Error(e.clone()));
    assert_eq!(s.dead_reason(), DeadReason::PeerHelloFailed(e.clone()));
    // In MAIN it is only a message.
    let mut s = Sim::main();
    s.switch_sends(0, Body::Error(e.clone()));
    let evs = s.events();
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(message(&evs[0]), Some(Message::new(0, Body::Error(e))));
    // Another ERROR first is just a message before HELLO.
    let mut s = Sim::new(Config::default());
    s.switch_sends(
        1,
        Body::Error(ErrorMsg::new(BadRequestCode::BAD_TYPE, vec![])),
    );
    assert!(
        matches!(s.dead_reason(), DeadReason::NoHello { msg_type } if msg_type == MsgType::ERROR)
    );
}

#[test]
fn framing_errors_and_other_versions_kill_the_connection() {
    // A length field below the header.
    let mut s = Sim::main();
    s.switch_sends_bytes(&[4, 10, 0, 4, 0, 0, 0, 0]);
    assert!(matches!(s.dead_reason(), DeadReason::Framing(_)));
    // A message longer than max_message_len.
    let cfg = config(|c| {
        c.max_message_len = 300;
    });
    let mut s = Sim::new(cfg);
    s.handshake();
    s.switch_sends(0, Body::PacketIn(PacketIn::new(1u32, vec![0; 400])));
    let r = s.dead_reason();
    assert!(r.to_string().contains("maximum"), "{r}");
    // A 1.4 message after 1.3 was agreed.
    let mut s = Sim::main();
    s.switch_sends_bytes(&[5, 2, 0, 8, 0, 0, 0, 1]);
    assert_eq!(s.dead_reason(), DeadReason::BadVersion { found: 5 });
}

#[test]
fn handshake_timeout_and_handshake_errors() {
    // The switch says HELLO and then nothing: the keepalive keeps probing it, but the
    // handshake timer ends it (10 s).
    let mut s = Sim::new(Config::default());
    s.switch_sends(1, Body::Hello(Hello::new()));
    s.switch_reads();
    let mut echoes = 0;
    while s.conn.state() != State::Dead {
        s.wake();
        for m in s.switch_reads() {
            assert!(matches!(m.body, Body::EchoRequest(_)));
            echoes += 1;
            // It answers echoes, so the echo timeout never fires.
            s.switch_sends(m.xid, Body::EchoReply(Echo::default()));
        }
    }
    assert_eq!(echoes, 1, "one keepalive at 5 s");
    assert_eq!(s.elapsed(), 10 * SECOND);
    assert_eq!(s.dead_reason(), DeadReason::HandshakeTimeout);

    // FEATURES_REQUEST refused.
    let mut s = Sim::new(Config::default());
    s.switch_sends(1, Body::Hello(Hello::new()));
    let req = s.switch_reads().pop().unwrap();
    let error = ErrorMsg::for_request(BadRequestCode::BAD_TYPE, &encode(&req));
    s.switch_sends(req.xid, Body::Error(error.clone()));
    assert_eq!(
        s.dead_reason(),
        DeadReason::HandshakeFailed {
            request: MsgType::FEATURES_REQUEST,
            error
        }
    );

    // PORT_DESC refused.
    let mut s = Sim::new(Config::default());
    s.switch_sends(1, Body::Hello(Hello::new()));
    let req = s.switch_reads().pop().unwrap();
    s.switch_sends(req.xid, Body::FeaturesReply(switch_features()));
    let req = s.switch_reads_one();
    let error = ErrorMsg::for_request(BadRequestCode::BAD_MULTIPART, &encode(&req));
    s.switch_sends(req.xid, Body::Error(error));
    assert!(matches!(
        s.dead_reason(),
        DeadReason::HandshakeFailed { request, .. } if request == MsgType::MULTIPART_REQUEST
    ));

    // A malformed FEATURES_REPLY (truncated body).
    let mut s = Sim::new(Config::default());
    s.switch_sends(1, Body::Hello(Hello::new()));
    let req = s.switch_reads().pop().unwrap();
    let mut bad = encode(&Message::new(
        req.xid,
        Body::FeaturesReply(switch_features()),
    ));
    bad.truncate(20);
    bad[3] = 20;
    s.switch_sends_bytes(&bad);
    assert!(matches!(
        s.dead_reason(),
        DeadReason::HandshakeMalformed { request, .. } if request == MsgType::FEATURES_REQUEST
    ));

    // A PORT_DESC request answered with another multipart type.
    let mut s = Sim::new(Config::default());
    s.switch_sends(1, Body::Hello(Hello::new()));
    let req = s.switch_reads().pop().unwrap();
    s.switch_sends(req.xid, Body::FeaturesReply(switch_features()));
    let req = s.switch_reads_one();
    let reply = MultipartReply::new(MultipartReplyBody::Table(vec![]));
    s.switch_sends(req.xid, Body::MultipartReply(reply));
    assert!(matches!(
        s.dead_reason(),
        DeadReason::HandshakeMalformed { .. }
    ));
}

#[test]
fn messages_during_config_reach_the_application() {
    let mut s = Sim::new(Config::default());
    s.switch_reads();
    s.switch_sends(1, Body::Hello(Hello::new()));
    let req = s.switch_reads_one();
    s.switch_sends(req.xid, Body::FeaturesReply(switch_features()));
    // Ryu's applications install flows on FEATURES_REPLY, in CONFIG.
    let xid = s.conn.send(s.now, Body::FlowMod(FlowMod::add())).unwrap();
    let sent = s.switch_reads();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].xid, xid);
    let pin = PacketIn::new(1u32, vec![1, 2, 3]);
    s.switch_sends(0, Body::PacketIn(pin.clone()));
    // A PORT_STATUS before the PORT_DESC reply is applied, then the reply is authoritative.
    let p9 = Port::new(9u32, mac("02:00:00:00:00:09"), "p9");
    s.switch_sends(
        0,
        Body::PortStatus(PortStatus {
            reason: PortReason::ADD,
            desc: p9,
        }),
    );
    assert_eq!(s.conn.ports().len(), 1);
    let evs = s.events();
    assert_eq!(evs.len(), 4, "{evs:?}");
    assert_eq!(message(&evs[2]), Some(Message::new(0, Body::PacketIn(pin))));
    assert!(matches!(evs[3], Event::PortStatus { previous: None, .. }));
    let reply = MultipartReply::new(MultipartReplyBody::PortDesc(switch_ports()));
    s.switch_sends(sent[0].xid, Body::MultipartReply(reply));
    assert_eq!(s.conn.state(), State::Main);
    assert_eq!(s.conn.ports().copied().collect::<Vec<_>>(), sorted_ports());
}

// ------------------------------------------------------------------ keepalive

#[test]
fn echo_keepalive_round_trip() {
    let mut s = Sim::main();
    // Early: nothing happens.
    s.conn.handle_timeout(s.now + 4 * SECOND);
    assert!(s.switch_reads().is_empty());
    assert_eq!(s.wake(), s.t0 + 5 * SECOND);
    let echo = s.switch_reads_one();
    assert_eq!(echo.body, Body::EchoRequest(Echo::default()));
    assert_eq!(s.conn.stats().echo_requests_sent, 1);
    // Twice at the same instant: still one echo.
    s.conn.handle_timeout(s.now);
    assert!(s.switch_reads().is_empty());
    assert_eq!(
        s.conn.poll_timeout(),
        Some(s.now + 5 * SECOND),
        "echo timeout"
    );
    s.advance(Duration::from_millis(30));
    s.switch_sends(echo.xid, Body::EchoReply(Echo::default()));
    assert_eq!(s.events(), vec![Event::EchoRtt(Duration::from_millis(30))]);
    assert_eq!(s.conn.stats().echo_replies_received, 1);
    // The next one 5 s after the reply.
    assert_eq!(s.wake(), s.t0 + Duration::from_millis(10_030));
    assert!(matches!(s.switch_reads_one().body, Body::EchoRequest(_)));
    assert_eq!(s.conn.state(), State::Main);
}

#[test]
fn echo_timeout_kills_the_connection() {
    let mut s = Sim::main();
    s.wake();
    assert!(matches!(s.switch_reads_one().body, Body::EchoRequest(_)));
    s.wake();
    assert_eq!(s.elapsed(), 10 * SECOND);
    assert_eq!(s.dead_reason(), DeadReason::EchoTimeout);
    assert_eq!(s.conn.poll_timeout(), None);
    assert!(s.switch_reads().is_empty());
}

#[test]
fn any_bytes_are_a_sign_of_life() {
    let mut s = Sim::main();
    s.wake();
    let echo = s.switch_reads_one();
    // No echo reply, but a PACKET_IN 4 s later: alive; the idle timer starts over.
    s.advance(4 * SECOND);
    s.switch_sends(0, Body::PacketIn(PacketIn::new(1u32, vec![0; 60])));
    assert_eq!(s.conn.poll_timeout(), Some(s.t0 + 14 * SECOND));
    // Even half a message counts.
    s.advance(4 * SECOND);
    s.switch_sends_bytes(&[4, 10]);
    assert_eq!(s.conn.poll_timeout(), Some(s.t0 + 18 * SECOND));
    s.switch_sends_bytes(&[0, 8, 0, 0, 0, 0]);
    let evs = s.events();
    // The connection does not parse PACKET_INs: the bodyless one reaches the application,
    // whose view of it says what is wrong.
    assert_eq!(evs.len(), 2, "{evs:?}");
    assert!(frame(&evs[0]).packet_in().unwrap().is_ok());
    assert!(matches!(
        frame(&evs[1]).packet_in(),
        Some(Err(sdnwire_openflow::Error::Truncated { offset: 8, .. }))
    ));
    // The late reply to the first echo still measures its round trip.
    s.switch_sends(echo.xid, Body::EchoReply(Echo::default()));
    assert_eq!(s.events(), vec![Event::EchoRtt(8 * SECOND)]);
    // A second keepalive replaces nothing once answered: an unknown ECHO_REPLY is a message.
    s.switch_sends(12345, Body::EchoReply(Echo::new(*b"x")));
    assert!(matches!(
        &s.events()[..],
        [Event::Message(f)] if f.header.xid == 12345 && f.header.msg_type == MsgType::ECHO_REPLY
    ));
    assert_eq!(s.conn.state(), State::Main);
}

#[test]
fn the_switch_echo_is_answered_with_its_xid_and_data() {
    let mut s = Sim::main();
    s.switch_sends(0xfeed, Body::EchoRequest(Echo::new(*b"ping data")));
    assert_eq!(
        s.switch_reads_one(),
        Message::new(0xfeed, Body::EchoReply(Echo::new(*b"ping data")))
    );
    assert!(s.events().is_empty());
    assert_eq!(s.conn.stats().echo_requests_answered, 1);
    // One byte at a time too.
    s.bytewise = true;
    s.switch_sends(7, Body::EchoRequest(Echo::new(vec![0xaa; 100])));
    assert_eq!(
        s.switch_reads_one(),
        Message::new(7, Body::EchoReply(Echo::new(vec![0xaa; 100])))
    );
}

#[test]
fn time_going_backwards_counts_as_the_latest_time() {
    let mut s = Sim::main();
    s.wake();
    let echo = s.switch_reads_one();
    let at = s.now;
    // The runtime's clock goes back 3 s: the reply counts as arriving at `at`.
    s.now = at - 3 * SECOND;
    s.switch_sends(echo.xid, Body::EchoReply(Echo::default()));
    assert_eq!(s.events(), vec![Event::EchoRtt(Duration::ZERO)]);
    assert_eq!(s.conn.poll_timeout(), Some(at + 5 * SECOND));
    // A timeout call from the past fires nothing.
    s.conn.handle_timeout(at - 60 * SECOND);
    assert!(s.switch_reads().is_empty());
    // Even a `now` before the connection was created.
    s.conn.handle_bytes(s.t0 - 10 * SECOND, &[]).unwrap();
    s.conn
        .send(s.t0 - 10 * SECOND, Body::BarrierRequest)
        .unwrap();
    assert_eq!(s.conn.poll_timeout(), Some(at + 5 * SECOND));
}

#[test]
fn huge_durations_disable_timers_instead_of_overflowing() {
    let cfg = config(|c| {
        c.echo_interval = Duration::MAX;
        c.handshake_timeout = Duration::MAX;
    });
    let mut s = Sim::new(cfg);
    assert_eq!(s.conn.poll_timeout(), None);
    s.handshake();
    assert_eq!(s.conn.poll_timeout(), None);
    s.conn.handle_timeout(s.now + Duration::from_secs(1 << 40));
    assert_eq!(s.conn.state(), State::Main);
    let cfg = config(|c| {
        c.echo_timeout = Duration::MAX;
    });
    let mut s = Sim::new(cfg);
    s.handshake();
    s.wake();
    s.switch_reads();
    assert_eq!(s.conn.poll_timeout(), None, "an echo that never times out");
}

/// Found by the `connection` fuzz target: a timer that a due timer starts may itself be due
/// at once, and `handle_timeout` must run it too (it ran only the first).
#[test]
fn timers_due_at_once_all_run_in_one_handle_timeout() {
    let mut s = Sim::new(config(|c| c.echo_timeout = Duration::ZERO));
    s.handshake();
    s.events();
    let t = s.wake();
    assert_eq!(
        s.switch_reads_one().body,
        Body::EchoRequest(Echo::default())
    );
    assert_eq!(s.conn.poll_timeout(), None, "nothing due is left at {t}");
    assert_eq!(s.dead_reason(), DeadReason::EchoTimeout);

    // Zero everywhere: the handshake deadline is the start.
    let mut s = Sim::new(config(|c| {
        c.echo_interval = Duration::ZERO;
        c.echo_timeout = Duration::ZERO;
        c.handshake_timeout = Duration::ZERO;
    }));
    s.wake();
    assert_eq!(s.conn.poll_timeout(), None);
    assert_eq!(s.dead_reason(), DeadReason::HandshakeTimeout);
}

// ------------------------------------------------------------------ requests

#[test]
fn request_reply_and_request_error() {
    let mut s = Sim::main();
    let role = Role {
        role: ControllerRole::EQUAL,
        generation_id: Role::NO_GENERATION_ID,
    };
    let a = s.conn.request(s.now, Body::RoleRequest(role)).unwrap();
    let b = s.conn.request(s.now, Body::GetConfigRequest).unwrap();
    assert_eq!(b, a + 1);
    assert_eq!(s.conn.outstanding_requests(), 2);
    let sent = s.switch_reads();
    assert_eq!(sent[0], Message::new(a, Body::RoleRequest(role)));
    // An unrelated message with the request's xid does not answer it.
    s.switch_sends(a, Body::PacketIn(PacketIn::new(3u32, vec![])));
    // The reply, and an ERROR for the other request.
    s.switch_sends(a, Body::RoleReply(role));
    let err = ErrorMsg::for_request(BadRequestCode::BAD_TYPE, &encode(&sent[1]));
    s.switch_sends(b, Body::Error(err.clone()));
    let evs = s.events();
    assert_eq!(evs.len(), 3);
    assert!(matches!(&evs[0], Event::Message(m) if m.header.msg_type == MsgType::PACKET_IN));
    let Event::Reply {
        xid: ra,
        request: MsgType::ROLE_REQUEST,
        reply: Reply::Message(rm),
    } = &evs[1]
    else {
        panic!("{:?}", evs[1])
    };
    assert_eq!(*ra, a);
    assert_eq!(rm.decode().unwrap(), Message::new(a, Body::RoleReply(role)));
    assert_eq!(
        evs[2],
        Event::RequestFailed {
            xid: b,
            request: MsgType::GET_CONFIG_REQUEST,
            error: err.clone()
        }
    );
    assert_eq!(s.conn.outstanding_requests(), 0);
    // A second reply is no longer a reply.
    s.switch_sends(a, Body::RoleReply(role));
    assert!(matches!(&s.events()[..], [Event::Message(_)]));
    // An ERROR for a plain send() comes as a message with its xid.
    let f = s
        .conn
        .send(s.now, Body::FlowMod(FlowMod::add().table(255u8)))
        .unwrap();
    s.switch_sends(f, Body::Error(err.clone()));
    let evs = s.events();
    assert_eq!(evs.len(), 1);
    assert_eq!(message(&evs[0]), Some(Message::new(f, Body::Error(err))));
    // Messages without a reply cannot be requested.
    assert_eq!(
        s.conn.request(s.now, Body::FlowMod(FlowMod::add())),
        Err(SendError::NoReply {
            msg_type: MsgType::FLOW_MOD
        })
    );
    // An application's own ECHO_REQUEST and FEATURES_REQUEST are requests like others.
    let e = s
        .conn
        .request(s.now, Body::EchoRequest(Echo::new(*b"hi")))
        .unwrap();
    let fr = s.conn.request(s.now, Body::FeaturesRequest).unwrap();
    s.switch_sends(e, Body::EchoReply(Echo::new(*b"hi")));
    s.switch_sends(fr, Body::FeaturesReply(switch_features()));
    let evs = s.events();
    assert!(
        matches!(
            &evs[..],
            [
                Event::Reply {
                    request: MsgType::ECHO_REQUEST,
                    ..
                },
                Event::Reply {
                    request: MsgType::FEATURES_REQUEST,
                    ..
                }
            ]
        ),
        "{evs:?}"
    );
}

#[test]
fn multipart_replies_are_reassembled_across_reply_more() {
    let mut s = Sim::main();
    s.bytewise = true;
    let xid = s
        .conn
        .request(
            s.now,
            Body::MultipartRequest(MultipartRequest::flow_stats(Match::new(), 0xffu8)),
        )
        .unwrap();
    s.switch_reads();
    let flows: Vec<FlowStats> = (0..30u16)
        .map(|i| FlowStats::new(i, Match::new().in_port(u32::from(i) + 1), vec![]))
        .collect();
    let parts: Vec<MultipartReply> = flows
        .chunks(10)
        .enumerate()
        .map(|(i, c)| MultipartReply::new(MultipartReplyBody::Flow(c.to_vec())).with_more(i < 2))
        .collect();
    for (i, p) in parts.iter().enumerate() {
        s.switch_sends(xid, Body::MultipartReply(p.clone()));
        // A PACKET_IN between the parts goes through at once.
        s.switch_sends(
            0,
            Body::PacketIn(PacketIn::new(1u32, vec![u8::try_from(i).unwrap()])),
        );
    }
    let evs = s.events();
    assert_eq!(evs.len(), 4, "{evs:?}");
    assert!(evs[..2].iter().all(|e| matches!(e, Event::Message(_))));
    let Event::Reply {
        xid: rx,
        request,
        reply,
    } = &evs[2]
    else {
        panic!("{:?}", evs[2])
    };
    assert_eq!((*rx, *request), (xid, MsgType::MULTIPART_REQUEST));
    assert_eq!(reply.parts().len(), 3);
    assert_eq!(reply.decode_parts().unwrap(), parts);
    assert_eq!(reply.merged(), Ok(Some(MultipartReplyBody::Flow(flows))));
    assert!(matches!(evs[3], Event::Message(_)));
}

#[test]
fn an_error_ends_a_multipart_reply_in_progress() {
    let mut s = Sim::main();
    let xid = s
        .conn
        .request(
            s.now,
            Body::MultipartRequest(MultipartRequest::port_stats(PortNo::ANY)),
        )
        .unwrap();
    let part = MultipartReply::new(MultipartReplyBody::PortStats(vec![])).with_more(true);
    s.switch_sends(xid, Body::MultipartReply(part));
    let err = ErrorMsg::new(BadRequestCode::BAD_MULTIPART, vec![]);
    s.switch_sends(xid, Body::Error(err.clone()));
    assert_eq!(
        s.events(),
        vec![Event::RequestFailed {
            xid,
            request: MsgType::MULTIPART_REQUEST,
            error: err
        }]
    );
    assert_eq!(s.conn.outstanding_requests(), 0);
}

#[test]
fn a_malformed_reply_ends_its_request() {
    let mut s = Sim::main();
    let xid = s.conn.request(s.now, Body::GetConfigRequest).unwrap();
    // GET_CONFIG_REPLY with a 2-byte body (it has 4): the connection correlates it by its
    // header and hands it over unparsed; decoding it tells the application.
    let mut bad = vec![4, 8, 0, 10];
    bad.extend(xid.to_be_bytes());
    bad.extend([0, 0]);
    s.switch_sends_bytes(&bad);
    let evs = s.events();
    let [Event::Reply {
        xid: rx,
        request: MsgType::GET_CONFIG_REQUEST,
        reply: Reply::Message(f),
    }] = &evs[..]
    else {
        panic!("{evs:?}")
    };
    assert_eq!(*rx, xid);
    assert!(f.decode().is_err());
    assert_eq!(s.conn.outstanding_requests(), 0);
    assert_eq!(s.refused, vec![]);

    // An ERROR the connection must read to end a request, cut short: refused, and the request
    // ends with ReplyMalformed.
    let xid = s.conn.request(s.now, Body::GetConfigRequest).unwrap();
    let mut bad = vec![4, 1, 0, 9];
    bad.extend(xid.to_be_bytes());
    bad.push(0);
    s.switch_sends_bytes(&bad);
    let evs = s.events();
    assert!(
        matches!(&evs[..], [Event::ReplyMalformed { xid: x, request: MsgType::GET_CONFIG_REQUEST, .. }] if *x == xid),
        "{evs:?}"
    );
    assert_eq!(s.refused.len(), 1);
    assert_eq!(s.refused[0].header.msg_type, MsgType::ERROR);
    assert_eq!(s.refused[0].refused, 1);

    // A multipart part shorter than its 16-byte head: the same.
    let xid = s
        .conn
        .request(s.now, Body::MultipartRequest(MultipartRequest::desc()))
        .unwrap();
    let mut bad = vec![4, 19, 0, 12];
    bad.extend(xid.to_be_bytes());
    bad.extend([0, 0, 0, 1]);
    s.switch_sends_bytes(&bad);
    let evs = s.events();
    assert!(
        matches!(&evs[..], [Event::ReplyMalformed {
            xid: x,
            request: MsgType::MULTIPART_REQUEST,
            error: sdnwire_openflow::Error::Truncated { offset: 12, .. },
        }] if *x == xid),
        "{evs:?}"
    );
    assert_eq!(s.refused.len(), 2);
    assert_eq!(s.conn.stats().messages_refused, 2);
    assert_eq!(s.conn.outstanding_requests(), 0);
    assert_eq!(s.conn.state(), State::Main, "the stream is intact");
}

#[test]
fn refused_input_is_an_error_never_an_event_and_changes_nothing() {
    let mut s = Sim::main();
    let ports_before: Vec<Port> = s.conn.ports().copied().collect();
    // A PORT_STATUS with its port description cut short, then a good PACKET_IN, then a
    // PORT_STATUS with a trailing byte: in one call.
    let p3 = Port::new(3u32, mac("aa:55:aa:55:00:04"), "p3");
    let good = encode(&Message::new(
        5,
        Body::PortStatus(PortStatus {
            reason: PortReason::ADD,
            desc: p3,
        }),
    ));
    let mut short = good[..40].to_vec();
    short[3] = 40;
    let mut long = good.clone();
    long.push(0);
    long[3] += 1;
    let mut stream = short.clone();
    stream.extend(encode(&Message::new(
        0,
        Body::PacketIn(PacketIn::new(1u32, vec![1, 2, 3])),
    )));
    stream.extend(&long);
    let e = s.conn.handle_bytes(s.now, &stream).unwrap_err();
    assert_eq!(e.header.msg_type, MsgType::PORT_STATUS);
    assert_eq!(e.header.xid, 5);
    assert!(
        matches!(e.error, sdnwire_openflow::Error::Truncated { .. }),
        "{e}"
    );
    assert_eq!(e.refused, 2);
    assert!(e.to_string().contains("(and 1 more)"), "{e}");
    assert_eq!(s.conn.stats().messages_refused, 2);
    // Only the PACKET_IN is an event; the port list is as it was; the stream goes on.
    let evs = s.events();
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert!(frame(&evs[0]).packet_in().unwrap().is_ok());
    assert_eq!(s.conn.ports().copied().collect::<Vec<_>>(), ports_before);
    assert_eq!(s.conn.state(), State::Main);
    s.switch_sends_bytes(&good);
    assert_eq!(s.conn.port(3u32), Some(&p3));
    assert_eq!(s.refused, vec![]);

    // A flood of refused input cannot crowd events out: they are not events at all.
    let cfg = config(|c| c.max_events = 4);
    let mut s = Sim::new(cfg);
    s.handshake();
    let flood: Vec<u8> = short
        .iter()
        .copied()
        .cycle()
        .take(short.len() * 1000)
        .collect();
    let e = s.conn.handle_bytes(s.now, &flood).unwrap_err();
    assert_eq!(e.refused, 1000);
    s.switch_sends(0, Body::PacketIn(PacketIn::new(1u32, vec![7])));
    let evs = s.events();
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(s.conn.stats().events_dropped, 0);
}

#[test]
fn barrier_completes_after_the_replies_before_it() {
    let mut s = Sim::main();
    let r = s
        .conn
        .request(s.now, Body::MultipartRequest(MultipartRequest::desc()))
        .unwrap();
    let f = s.conn.send(s.now, Body::FlowMod(FlowMod::add())).unwrap();
    let b = s.conn.barrier(s.now).unwrap();
    let sent = s.switch_reads();
    assert_eq!(sent.iter().map(|m| m.xid).collect::<Vec<_>>(), [r, f, b]);
    assert_eq!(sent[2].body, Body::BarrierRequest);
    // As the spec orders them: the reply and the error for earlier messages, then the barrier.
    let desc = MultipartReply::new(MultipartReplyBody::Desc(Box::default()));
    s.switch_sends(r, Body::MultipartReply(desc));
    let err = ErrorMsg::new(BadRequestCode::EPERM, vec![]);
    s.switch_sends(f, Body::Error(err));
    s.switch_sends(b, Body::BarrierReply);
    let evs = s.events();
    assert!(matches!(evs[0], Event::Reply { xid, .. } if xid == r));
    assert!(matches!(&evs[1], Event::Message(m) if m.header.xid == f));
    assert_eq!(evs[2], Event::BarrierComplete { xid: b });
    // A barrier can fail like any request.
    let b = s.conn.barrier(s.now).unwrap();
    s.switch_sends(
        b,
        Body::Error(ErrorMsg::new(BadRequestCode::BAD_TYPE, vec![])),
    );
    assert!(matches!(
        &s.events()[..],
        [Event::RequestFailed {
            request: MsgType::BARRIER_REQUEST,
            ..
        }]
    ));
}

#[test]
fn a_multipart_request_in_several_parts_shares_one_xid() {
    let mut s = Sim::main();
    let parts = vec![MultipartRequest::table_features(); 3];
    let xid = s.conn.request_multipart(s.now, parts).unwrap();
    let sent = s.switch_reads();
    assert_eq!(sent.len(), 3);
    for (i, m) in sent.iter().enumerate() {
        assert_eq!(m.xid, xid);
        let Body::MultipartRequest(r) = &m.body else {
            panic!()
        };
        assert_eq!(r.more(), i < 2);
    }
    assert_eq!(
        s.conn.request_multipart(s.now, vec![]),
        Err(SendError::EmptyMultipart)
    );
    s.switch_sends(
        xid,
        Body::MultipartReply(MultipartReply::new(MultipartReplyBody::TableFeatures(
            vec![],
        ))),
    );
    assert!(matches!(&s.events()[..], [Event::Reply { .. }]));
}

#[test]
fn xids_wrap_and_skip_zero() {
    let cfg = config(|c| {
        c.first_xid = u32::MAX - 4;
    });
    let mut s = Sim::new(cfg);
    // HELLO, FEATURES_REQUEST and PORT_DESC took MAX-4 .. MAX-2.
    s.handshake();
    let xids: Vec<u32> = (0..4)
        .map(|_| s.conn.send(s.now, Body::BarrierRequest).unwrap())
        .collect();
    assert_eq!(xids, [u32::MAX - 1, u32::MAX, 1, 2]);
    // Requests across the wrap are correlated as usual.
    let a = s.conn.request(s.now, Body::GetAsyncRequest).unwrap();
    assert_eq!(a, 3);
}

#[test]
fn cancel_forgets_a_request() {
    let mut s = Sim::main();
    let x = s.conn.request(s.now, Body::GetConfigRequest).unwrap();
    assert!(s.conn.cancel(x));
    assert!(!s.conn.cancel(x));
    assert_eq!(s.conn.outstanding_requests(), 0);
    s.switch_sends(x, Body::GetConfigReply(Default::default()));
    assert!(matches!(&s.events()[..], [Event::Message(_)]));
}

// ------------------------------------------------------------------ ports

#[test]
fn port_status_keeps_the_port_list_current() {
    let mut s = Sim::main();
    let p3 = Port::new(3u32, mac("aa:55:aa:55:00:04"), "p3");
    s.switch_sends(
        0,
        Body::PortStatus(PortStatus {
            reason: PortReason::ADD,
            desc: p3,
        }),
    );
    assert_eq!(s.conn.port(3u32), Some(&p3));
    let mut p1 = *s.conn.port(1u32).unwrap();
    let old = p1;
    p1.state = PortState::LINK_DOWN;
    s.switch_sends(
        0,
        Body::PortStatus(PortStatus {
            reason: PortReason::MODIFY,
            desc: p1,
        }),
    );
    assert_eq!(s.conn.port(1u32).unwrap().state, PortState::LINK_DOWN);
    s.switch_sends(
        0,
        Body::PortStatus(PortStatus {
            reason: PortReason::DELETE,
            desc: p3,
        }),
    );
    assert_eq!(s.conn.port(3u32), None);
    // An unknown reason leaves the list alone.
    let p7 = Port::new(7u32, mac("aa:55:aa:55:00:07"), "p7");
    s.switch_sends(
        0,
        Body::PortStatus(PortStatus {
            reason: PortReason(9),
            desc: p7,
        }),
    );
    assert_eq!(s.conn.port(7u32), None);
    assert_eq!(
        s.events(),
        vec![
            Event::PortStatus {
                reason: PortReason::ADD,
                port: p3,
                previous: None
            },
            Event::PortStatus {
                reason: PortReason::MODIFY,
                port: p1,
                previous: Some(old)
            },
            Event::PortStatus {
                reason: PortReason::DELETE,
                port: p3,
                previous: Some(p3)
            },
            Event::PortStatus {
                reason: PortReason(9),
                port: p7,
                previous: None
            },
        ]
    );
    assert_eq!(s.conn.ports().len(), 3);
}

// ------------------------------------------------------------------ bounds

#[test]
fn a_packet_in_flood_is_dropped_and_counted_past_max_events() {
    let cfg = config(|c| {
        c.max_events = 100;
    });
    let mut s = Sim::new(cfg);
    s.handshake();
    let one = encode(&Message::new(
        0,
        Body::PacketIn(PacketIn::new(1u32, vec![0; 64])),
    ));
    let flood: Vec<u8> = one
        .iter()
        .copied()
        .cycle()
        .take(one.len() * 10_000)
        .collect();
    // A request answered in the middle of the flood is never dropped.
    let x = s.conn.request(s.now, Body::GetConfigRequest).unwrap();
    s.switch_sends_bytes(&flood[..one.len() * 5000]);
    s.switch_sends(x, Body::GetConfigReply(Default::default()));
    s.switch_sends_bytes(&flood[one.len() * 5000..]);
    let evs = s.events();
    assert_eq!(
        evs.len(),
        100 + 3,
        "100 messages, a resync, the reply, a resync"
    );
    assert!(evs[..100].iter().all(|e| matches!(e, Event::Message(_))));
    let resync = |ev: &Event| match ev {
        Event::Resync { dropped } => (dropped.messages, dropped.port_status, dropped.total()),
        other => panic!("not a resync: {other:?}"),
    };
    assert_eq!(resync(&evs[100]), (4900, 0, 4900));
    assert!(matches!(evs[101], Event::Reply { xid, .. } if xid == x));
    assert_eq!(resync(&evs[102]), (5000, 0, 5000));
    assert_eq!(s.conn.stats().events_dropped, 9900);
    // Drained: room again.
    s.switch_sends_bytes(&one);
    assert!(matches!(&s.events()[..], [Event::Message(_)]));
}

#[test]
fn a_port_status_flood_past_max_events_resyncs_to_the_exact_port_list() {
    // The application keeps its own copy of the port list from the events; on Resync it
    // reloads it from ports(). Whatever was dropped, it ends equal to the switch's truth.
    let cfg = config(|c| {
        c.max_events = 8;
        c.max_ports = 64;
    });
    let mut s = Sim::new(cfg);
    let mut app: std::collections::BTreeMap<PortNo, Port> = std::collections::BTreeMap::new();
    let mut truth: std::collections::BTreeMap<PortNo, Port> =
        switch_ports().into_iter().map(|p| (p.port_no, p)).collect();
    let mut resyncs = 0;
    let mut dropped_port_status = 0;
    let mut apply =
        |evs: Vec<Event>, conn: &Connection, app: &mut std::collections::BTreeMap<PortNo, Port>| {
            for ev in evs {
                match ev {
                    Event::PortsKnown(ports) => {
                        *app = ports.into_iter().map(|p| (p.port_no, p)).collect();
                    }
                    Event::PortStatus { reason, port, .. } => match reason {
                        PortReason::DELETE => {
                            app.remove(&port.port_no);
                        }
                        _ => {
                            app.insert(port.port_no, port);
                        }
                    },
                    Event::Resync { dropped } => {
                        resyncs += 1;
                        dropped_port_status += dropped.port_status;
                        *app = conn.ports().map(|p| (p.port_no, *p)).collect();
                    }
                    _ => {}
                }
            }
        };
    let evs = s.handshake();
    apply(evs, &s.conn, &mut app);
    assert_eq!(app, truth);
    // Rounds of 50 PORT_STATUS in one read: ports 10..40 added, modified, deleted.
    let mut state = 0u32;
    for round in 0..20u32 {
        let mut stream = vec![];
        for i in 0..50u32 {
            state = state
                .wrapping_mul(1_103_515_245)
                .wrapping_add(12_345 + round + i);
            let no = 10 + (state >> 8) % 30;
            let (reason, desc) = match (state >> 16) % 3 {
                0 => (
                    PortReason::ADD,
                    Port::new(no, mac("02:00:00:00:00:10"), "a"),
                ),
                1 => {
                    let mut p = Port::new(no, mac("02:00:00:00:00:10"), "m");
                    p.state = PortState::LINK_DOWN;
                    (PortReason::MODIFY, p)
                }
                _ => (
                    PortReason::DELETE,
                    Port::new(no, mac("02:00:00:00:00:10"), "d"),
                ),
            };
            if reason == PortReason::DELETE {
                truth.remove(&PortNo(no));
            } else {
                truth.insert(PortNo(no), desc);
            }
            stream.extend(encode(&Message::new(
                0,
                Body::PortStatus(PortStatus { reason, desc }),
            )));
        }
        s.switch_sends_bytes(&stream);
        let evs = s.events();
        assert!(evs.len() <= 8 + 1, "{} events", evs.len());
        apply(evs, &s.conn, &mut app);
        assert_eq!(app, truth, "round {round}");
    }
    assert_eq!(resyncs, 20);
    assert_eq!(dropped_port_status, 20 * (50 - 8));
    assert_eq!(s.conn.stats().events_dropped, dropped_port_status);
    assert_eq!(s.refused, vec![]);
}

#[test]
fn messages_reach_the_application_without_a_copy() {
    let mut s = Sim::main();
    let a = encode(&Message::new(
        1,
        Body::PacketIn(PacketIn::new(1u32, vec![0xa; 64])),
    ));
    let b = encode(&Message::new(
        2,
        Body::PacketIn(PacketIn::new(2u32, vec![0xb; 64])),
    ));
    s.switch_sends_bytes(&[a.clone(), b.clone()].concat());
    let evs = s.events();
    let (fa, fb) = (frame(&evs[0]), frame(&evs[1]));
    assert_eq!(&fa.bytes[..], &a[..]);
    assert_eq!(&fb.bytes[..], &b[..]);
    // Both frames are slices of the one receive buffer, side by side.
    assert_eq!(fa.bytes.as_ptr().wrapping_add(a.len()), fb.bytes.as_ptr());
    // The view's data borrows from the frame.
    let pin = fb.packet_in().unwrap().unwrap();
    let range = fb.bytes.as_ptr_range();
    assert!(range.contains(&pin.data.as_ptr()));
    assert_eq!(pin.in_port(), Some(PortNo(2)));
    assert_eq!(pin.data, [0xb; 64]);
    // decode() gives the owned message on demand.
    assert_eq!(
        fa.decode().unwrap(),
        Message::new(1, Body::PacketIn(PacketIn::new(1u32, vec![0xa; 64])))
    );
    assert!(matches!(
        fa.view().unwrap().body,
        sdnwire_openflow::BodyView::PacketIn(_)
    ));
    // Another type has no PACKET_IN view.
    s.switch_sends(3, Body::BarrierReply);
    assert!(frame(&s.events()[0]).packet_in().is_none());
}

#[test]
fn poll_transmit_fills_the_callers_buffer_and_reuses_it() {
    let mut s = Sim::main();
    let mut buf = vec![0xee; 5];
    assert_eq!(s.conn.poll_transmit(&mut buf), None);
    assert!(buf.is_empty(), "cleared even when nothing is queued");
    s.conn.send(s.now, Body::BarrierRequest).unwrap();
    s.conn.send(s.now, Body::BarrierRequest).unwrap();
    let t = s.conn.poll_transmit(&mut buf).unwrap();
    assert_eq!((t.len, t.messages), (16, 2));
    assert_eq!(buf.len(), 16);
    assert_eq!(&buf[..2], &[4, MsgType::BARRIER_REQUEST.0]);
    assert_eq!(s.conn.poll_transmit(&mut buf), None);
    // The switch's ECHO_REQUEST is answered by copying it: type changed, nothing else.
    let echo = encode(&Message::new(
        0x77,
        Body::EchoRequest(Echo::new(vec![9; 30])),
    ));
    s.switch_sends_bytes(&echo);
    let t = s.conn.poll_transmit(&mut buf).unwrap();
    assert_eq!((t.len, t.messages), (echo.len(), 1));
    let mut expected = echo.clone();
    expected[1] = MsgType::ECHO_REPLY.0;
    assert_eq!(buf, expected);
    // Once both buffers have grown, sending and polling keep their capacities.
    let mut caps = vec![];
    for _ in 0..4 {
        s.conn.send(s.now, Body::BarrierRequest).unwrap();
        s.conn.poll_transmit(&mut buf).unwrap();
        caps.push(buf.capacity());
    }
    assert!(caps.iter().all(|&c| c >= 8), "{caps:?}");
    assert_eq!(caps[2], caps[0]);
    assert_eq!(caps[3], caps[1]);
}

#[test]
fn nothing_is_due_before_poll_timeout() {
    // At every wake-up, the instant just before poll_timeout changes nothing; the instant
    // itself does what is due.
    let mut s = Sim::new(Config::default());
    s.switch_reads();
    s.switch_sends(1, Body::Hello(Hello::new()));
    s.switch_reads();
    s.events();
    for step in 0..3 {
        let t = s.conn.poll_timeout().unwrap();
        let state = s.conn.state();
        let sent = s.conn.stats().messages_sent;
        s.conn.handle_timeout(t - Duration::from_nanos(1));
        assert_eq!(s.conn.state(), state, "step {step}");
        assert_eq!(s.conn.stats().messages_sent, sent, "step {step}");
        assert!(s.events().is_empty(), "step {step}");
        assert_eq!(s.conn.poll_timeout(), Some(t));
        s.now = t;
        s.conn.handle_timeout(t);
        assert!(
            s.conn.stats().messages_sent > sent || s.conn.state() == State::Dead,
            "step {step}: something was due at {t}"
        );
        s.switch_reads();
        s.events();
        if s.conn.state() == State::Dead {
            assert_eq!(s.conn.dead_reason(), Some(&DeadReason::HandshakeTimeout));
            assert_eq!(step, 1, "echo at 5 s, handshake timeout at 10 s");
            return;
        }
    }
    panic!("the handshake never timed out");
}

#[test]
fn an_echo_flood_with_nobody_writing_overflows_the_transmit_queue() {
    let cfg = config(|c| {
        c.max_transmit_len = 1000;
    });
    let mut s = Sim::new(cfg);
    s.handshake();
    let one = encode(&Message::new(1, Body::EchoRequest(Echo::new(vec![0; 92]))));
    let flood: Vec<u8> = one.iter().copied().cycle().take(one.len() * 1000).collect();
    s.conn.handle_bytes(s.now, &flood).unwrap();
    assert_eq!(
        s.dead_reason(),
        DeadReason::TransmitOverflow { limit: 1000 }
    );
    assert_eq!(s.conn.stats().echo_requests_answered, 10);
    // What was queued can still be written.
    assert_eq!(s.switch_reads().len(), 10);
}

#[test]
fn sends_past_the_transmit_bound_are_refused() {
    let cfg = config(|c| {
        c.max_transmit_len = 100;
    });
    let mut s = Sim::new(cfg);
    s.handshake();
    let big = Body::PacketIn(PacketIn::new(1u32, vec![0; 200]));
    assert!(matches!(
        s.conn.send(s.now, big),
        Err(SendError::TransmitFull {
            queued: 0,
            limit: 100,
            ..
        })
    ));
    for _ in 0..12 {
        s.conn.send(s.now, Body::BarrierRequest).unwrap();
    }
    assert!(matches!(
        s.conn.send(s.now, Body::BarrierRequest),
        Err(SendError::TransmitFull {
            queued: 96,
            len: 8,
            limit: 100
        })
    ));
    assert_eq!(s.switch_reads().len(), 12);
    s.conn.send(s.now, Body::BarrierRequest).unwrap();
    // A message that cannot be encoded leaves the queue as it was.
    let huge = Body::EchoRequest(Echo::new(vec![0; 70_000]));
    let cfg = config(|c| {
        c.max_transmit_len = 1 << 20;
    });
    let mut s = Sim::new(cfg);
    s.handshake();
    assert!(matches!(
        s.conn.send(s.now, huge),
        Err(SendError::Encode(_))
    ));
    assert!(s.switch_reads().is_empty());
}

#[test]
fn outstanding_requests_are_bounded_until_their_events_are_polled() {
    let cfg = config(|c| {
        c.max_outstanding_requests = 3;
    });
    let mut s = Sim::new(cfg);
    s.handshake();
    let xs: Vec<u32> = (0..3).map(|_| s.conn.barrier(s.now).unwrap()).collect();
    assert_eq!(
        s.conn.request(s.now, Body::GetConfigRequest),
        Err(SendError::TooManyRequests { limit: 3 })
    );
    // Answered but not polled: still held.
    s.switch_sends(xs[0], Body::BarrierReply);
    assert!(s.conn.barrier(s.now).is_err());
    assert_eq!(s.events(), vec![Event::BarrierComplete { xid: xs[0] }]);
    s.conn.barrier(s.now).unwrap();
    // send() is not a request: never refused for this.
    s.conn.send(s.now, Body::BarrierRequest).unwrap();
}

#[test]
fn a_multipart_reply_past_max_reply_len_is_refused() {
    let cfg = config(|c| {
        c.max_reply_len = 1000;
    });
    let mut s = Sim::new(cfg);
    s.handshake();
    let xid = s
        .conn
        .request(
            s.now,
            Body::MultipartRequest(MultipartRequest::port_stats(PortNo::ANY)),
        )
        .unwrap();
    let part = |more| {
        let stats = MultipartReplyBody::PortStats(vec![Default::default(); 3]);
        MultipartReply::new(stats).with_more(more)
    };
    // 3 port stats = 336 + 16 bytes per part: the third part passes 1000.
    for _ in 0..10 {
        s.switch_sends(xid, Body::MultipartReply(part(true)));
    }
    assert_eq!(
        s.events(),
        vec![Event::Overflow(Overflow::Reply {
            xid,
            request: MsgType::MULTIPART_REQUEST,
            limit: 1000
        })]
    );
    // The remaining parts are discarded up to the last one; then the xid is free.
    s.switch_sends(xid, Body::MultipartReply(part(false)));
    assert!(s.events().is_empty());
    assert_eq!(s.conn.outstanding_requests(), 0);
    s.switch_sends(xid, Body::MultipartReply(part(false)));
    assert!(matches!(&s.events()[..], [Event::Message(_)]));
}

#[test]
fn the_port_list_is_bounded() {
    let cfg = config(|c| {
        c.max_ports = 2;
    });
    let mut s = Sim::new(cfg);
    let evs = s.handshake();
    assert!(evs.contains(&Event::Overflow(Overflow::Ports {
        port: PortNo::LOCAL,
        limit: 2
    })));
    assert_eq!(s.conn.ports().len(), 2);
    let p3 = Port::new(3u32, mac("aa:55:aa:55:00:04"), "p3");
    s.switch_sends(
        0,
        Body::PortStatus(PortStatus {
            reason: PortReason::ADD,
            desc: p3,
        }),
    );
    assert_eq!(s.conn.ports().len(), 2);
    let evs = s.events();
    assert_eq!(
        evs[0],
        Event::Overflow(Overflow::Ports {
            port: PortNo(3),
            limit: 2
        })
    );
    assert!(matches!(evs[1], Event::PortStatus { .. }));
    // Modifying a known port is fine.
    let p1 = *s.conn.port(1u32).unwrap();
    s.switch_sends(
        0,
        Body::PortStatus(PortStatus {
            reason: PortReason::MODIFY,
            desc: p1,
        }),
    );
    assert!(matches!(&s.events()[..], [Event::PortStatus { .. }]));
}

// ------------------------------------------------------------------ the end

#[test]
fn close_eof_and_life_after_death() {
    let mut s = Sim::main();
    let x = s.conn.request(s.now, Body::GetConfigRequest).unwrap();
    s.conn.close(s.now);
    assert_eq!(s.dead_reason(), DeadReason::Closed);
    // Queued bytes can still be written.
    assert_eq!(s.switch_reads().len(), 1);
    assert_eq!(
        s.conn.send(s.now, Body::BarrierRequest),
        Err(SendError::Dead)
    );
    assert_eq!(
        s.conn.request(s.now, Body::BarrierRequest),
        Err(SendError::Dead)
    );
    s.switch_sends(x, Body::GetConfigReply(Default::default()));
    s.conn.handle_timeout(s.now + 100 * SECOND);
    s.conn.handle_eof(s.now);
    s.conn.close(s.now);
    assert!(s.events().is_empty(), "dead once");
    assert_eq!(s.conn.poll_timeout(), None);

    let mut s = Sim::main();
    s.conn.handle_eof(s.now);
    assert_eq!(s.dead_reason(), DeadReason::PeerClosed);
    // Early, in the handshake, too.
    let mut s = Sim::new(Config::default());
    s.conn.handle_eof(s.now);
    assert_eq!(
        s.events(),
        vec![
            Event::StateChanged {
                from: State::Handshake,
                to: State::Dead
            },
            Event::Dead {
                reason: DeadReason::PeerClosed
            }
        ]
    );
}

#[test]
fn the_same_script_in_any_chunking_gives_the_same_events() {
    // The whole switch side as one byte stream, cut in chunks of every size from 1 to 64.
    let run = |chunk: usize| {
        let mut s = Sim::new(Config::default());
        s.switch_reads_one(); // HELLO
        let mut stream = encode(&Message::new(1, Body::Hello(Hello::new())));
        // The xids the connection will use: HELLO took 1, FEATURES 2, PORT_DESC 3.
        stream.extend(encode(&Message::new(
            2,
            Body::FeaturesReply(switch_features()),
        )));
        for (i, p) in switch_ports().iter().enumerate() {
            let part = MultipartReply::new(MultipartReplyBody::PortDesc(vec![*p])).with_more(i < 2);
            stream.extend(encode(&Message::new(3, Body::MultipartReply(part))));
        }
        stream.extend(encode(&Message::new(
            9,
            Body::EchoRequest(Echo::new(*b"abc")),
        )));
        stream.extend(encode(&Message::new(
            0,
            Body::PacketIn(PacketIn::new(2u32, vec![7; 99])),
        )));
        for c in stream.chunks(chunk) {
            s.conn.handle_bytes(s.now, c).unwrap();
        }
        (s.events(), s.switch_reads())
    };
    let first = run(1);
    assert_eq!(first.0.len(), 5);
    assert_eq!(
        first.1.len(),
        3,
        "FEATURES_REQUEST, PORT_DESC request, ECHO_REPLY"
    );
    for chunk in 2..=64 {
        assert_eq!(run(chunk), first, "chunk {chunk}");
    }
}

// ------------------------------------------------------------------ random input

mod random {
    use super::*;
    use proptest::collection::vec as pvec;
    use proptest::prelude::*;

    /// A message from the switch: well-formed ones of the kinds that drive the connection, or
    /// a header (version 4 mostly, any type) with random body bytes.
    /// A header's version and type with random body bytes.
    type Raw = (u8, u8, Vec<u8>);

    fn arb_message() -> impl Strategy<Value = (usize, Result<Body, Raw>)> {
        let body = prop_oneof![
            any::<u8>().prop_map(|n| Body::PacketIn(PacketIn::new(1u32, vec![n; usize::from(n)]))),
            (0u8..4, 1u32..8).prop_map(|(r, no)| Body::PortStatus(PortStatus {
                reason: PortReason(r),
                desc: Port::new(no, MacAddr([2, 0, 0, 0, 0, 1]), "p"),
            })),
            (any::<bool>(), 0usize..4).prop_map(|(more, n)| Body::MultipartReply(
                MultipartReply::new(MultipartReplyBody::PortStats(vec![Default::default(); n]))
                    .with_more(more)
            )),
            Just(Body::BarrierReply),
            Just(Body::GetConfigReply(Default::default())),
            Just(Body::Error(ErrorMsg::new(
                BadRequestCode::BAD_TYPE,
                vec![1, 2]
            ))),
            pvec(any::<u8>(), 0..16).prop_map(|d| Body::EchoRequest(Echo::new(d))),
            Just(Body::EchoReply(Echo::default())),
            Just(Body::Hello(Hello::new())),
        ];
        let raw = (
            prop_oneof![9 => Just(4u8), 1 => any::<u8>()],
            0u8..32,
            pvec(any::<u8>(), 0..48),
        );
        (
            0usize..10,
            prop_oneof![3 => body.prop_map(Ok), 1 => raw.prop_map(Err)],
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn random_input_never_panics_and_stays_bounded(
            msgs in pvec(arb_message(), 0..80),
            chunk in 1usize..100,
            steps in pvec(0u64..4000, 1..40),
        ) {
            let cfg = config(|c| {
                c.max_events = 16;
                c.max_transmit_len = 2048;
                c.max_outstanding_requests = 4;
                c.max_reply_len = 600;
                c.max_ports = 4;
            });
            let mut s = Sim::new(cfg);
            s.handshake();
            s.switch_reads();
            let xids = [
                s.conn.barrier(s.now).unwrap(),
                s.conn.request(s.now, Body::GetConfigRequest).unwrap(),
                s.conn
                    .request(s.now, Body::MultipartRequest(MultipartRequest::port_stats(1u32)))
                    .unwrap(),
                s.conn
                    .request(s.now, Body::MultipartRequest(MultipartRequest::port_stats(2u32)))
                    .unwrap(),
            ];
            let sent = s.switch_reads().len();
            prop_assert_eq!(sent, 4);
            let mut stream = vec![];
            for (x, m) in msgs {
                let xid = xids.get(x).copied().unwrap_or(u32::try_from(x).unwrap());
                match m {
                    Ok(body) => stream.extend(encode(&Message::new(xid, body))),
                    Err((version, ty, body)) => {
                        stream.extend([version, ty]);
                        stream.extend(u16::try_from(8 + body.len()).unwrap().to_be_bytes());
                        stream.extend(xid.to_be_bytes());
                        stream.extend(body);
                    }
                }
            }
            let mut refused = 0;
            for (i, c) in stream.chunks(chunk).enumerate() {
                if let Err(e) = s.conn.handle_bytes(s.now, c) {
                    prop_assert!(e.refused >= 1);
                    refused += e.refused;
                }
                s.advance(Duration::from_millis(steps[i % steps.len()]));
                s.conn.handle_timeout(s.now);
                // Nothing expired is left after handle_timeout.
                prop_assert!(s.conn.poll_timeout().is_none_or(|t| t > s.now));
            }
            // Every refusal was reported and counted.
            prop_assert_eq!(s.conn.stats().messages_refused, refused);
            // Nobody drained anything: still bounded.
            let mut queued = 0;
            let mut buf = Vec::new();
            while let Some(t) = s.conn.poll_transmit(&mut buf) {
                queued += t.len;
            }
            prop_assert!(queued <= 2048);
            let events = s.events();
            // 16 unsolicited, 4 request ends, 2 for dying, a resync between the others.
            prop_assert!(events.len() <= 16 + 4 + 2 + 7, "{} events", events.len());
            let dropped: u64 = events
                .iter()
                .map(|e| match e {
                    Event::Resync { dropped } => dropped.total(),
                    _ => 0,
                })
                .sum();
            prop_assert_eq!(dropped, s.conn.stats().events_dropped);
            prop_assert!(s.conn.ports().len() <= 4);
            prop_assert!(s.conn.outstanding_requests() <= 4);
        }
    }
}

// ------------------------------------------------------------------ Open vSwitch

mod ovs {
    use super::*;
    use std::io::{ErrorKind, Read, Write};
    use std::net::{TcpListener, TcpStream};

    use sdnwire_packet::time::Clock;
    use sdnwire_testkit::ovs::{Daemon, Ovs};

    /// The runtime: a blocking socket with read timeouts, fed to the connection with the real
    /// clock, until `until` accepts an event or the deadline passes.
    struct Runtime {
        conn: Connection,
        clock: Clock,
        stream: TcpStream,
        seen: Vec<Event>,
        tx: Vec<u8>,
    }

    impl Runtime {
        fn new(cfg: &Config, stream: TcpStream) -> Runtime {
            let clock = Clock::new();
            Runtime {
                conn: Connection::new(cfg.clone(), clock.now()),
                clock,
                stream,
                seen: vec![],
                tx: Vec::new(),
            }
        }

        fn now(&self) -> Instant {
            self.clock.now()
        }

        fn pump(&mut self) {
            while self.conn.poll_transmit(&mut self.tx).is_some() {
                // A dead switch may have closed its end: nothing to write to then.
                if self.stream.write_all(&self.tx).is_err() {
                    break;
                }
            }
        }

        /// Runs until `until` accepts an event (`Some`) or the connection's state after an
        /// input (`None`); returns the event that was accepted, if one was.
        fn run_until(
            &mut self,
            ovs: &Ovs,
            within: Duration,
            what: &str,
            mut until: impl FnMut(&Connection, Option<&Event>) -> bool,
        ) -> Option<Event> {
            let deadline = self.now() + within;
            let mut buf = vec![0u8; 65536];
            loop {
                self.pump();
                while let Some(ev) = self.conn.poll_event() {
                    self.seen.push(ev.clone());
                    if until(&self.conn, Some(&ev)) {
                        self.pump();
                        return Some(ev);
                    }
                }
                self.pump();
                if until(&self.conn, None) {
                    return None;
                }
                let now = self.now();
                assert!(
                    now < deadline && self.conn.state() != State::Dead,
                    "waiting for {what}: {:?}\nevents: {:#?}\n{}",
                    self.conn.dead_reason(),
                    self.seen,
                    ovs.log_tail()
                );
                let wake = self.conn.poll_timeout().unwrap_or(deadline).min(deadline);
                let wait = wake
                    .saturating_duration_since(now)
                    .max(Duration::from_millis(1));
                self.stream.set_read_timeout(Some(wait)).unwrap();
                match self.stream.read(&mut buf) {
                    Ok(0) => self.conn.handle_eof(self.now()),
                    Ok(n) => {
                        let r = self.conn.handle_bytes(self.now(), &buf[..n]);
                        assert!(r.is_ok(), "Open vSwitch sent a message we refuse: {r:?}");
                    }
                    Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                    Err(_) => self.conn.handle_eof(self.now()),
                }
                self.conn.handle_timeout(self.now());
            }
        }
    }

    fn accept(listener: &TcpListener, ovs: &Ovs) -> TcpStream {
        let accept_by = std::time::Instant::now() + 10 * SECOND;
        let stream = loop {
            match listener.accept() {
                Ok((s, _)) => break s,
                Err(e)
                    if e.kind() == ErrorKind::WouldBlock
                        && std::time::Instant::now() < accept_by =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => panic!("OVS did not connect: {e}\n{}", ovs.log_tail()),
            }
        };
        stream.set_nonblocking(false).unwrap();
        stream.set_nodelay(true).unwrap();
        stream
    }

    #[test]
    fn against_open_vswitch() {
        // A private userspace Open vSwitch (dummy datapath), as
        // scripts/capture-ovs-openflow.sh runs it: bridge br0, datapath id 1, ports p1 and p2.
        let Some(ovs) = Ovs::start("of-conn") else {
            return;
        };
        ovs.add_bridge("br0", 1, 2, None);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        ovs.vsctl(&["set-controller", "br0", &format!("tcp:127.0.0.1:{port}")]);
        // Reconnect after 1 s at most (the second connection below).
        ovs.vsctl(&["set", "controller", "br0", "max_backoff=1000"]);
        listener.set_nonblocking(true).unwrap();
        let stream = accept(&listener, &ovs);
        // OVS probes after 5 s of silence; ours waits longer, so that OVS's ECHO_REQUEST comes
        // first and gets answered.
        let cfg = config(|c| {
            c.echo_interval = 7 * SECOND;
            c.echo_timeout = 2 * SECOND;
        });
        let mut rt = Runtime::new(&cfg, stream);

        // Handshake to MAIN: datapath id and ports.
        rt.run_until(&ovs, 10 * SECOND, "MAIN", |_, e| {
            matches!(
                e,
                Some(Event::StateChanged {
                    to: State::Main,
                    ..
                })
            )
        });
        let c = &rt.conn;
        assert_eq!(c.datapath_id(), Some(DatapathId(1)));
        let f = c.features().unwrap();
        assert_eq!((f.auxiliary_id, f.n_buffers), (0, 0));
        assert!(f.n_tables > 0);
        let names: Vec<(u32, String)> = c
            .ports()
            .map(|p| (p.port_no.0, p.name().to_owned()))
            .collect();
        assert_eq!(
            names,
            [
                (1, "p1".to_owned()),
                (2, "p2".to_owned()),
                (PortNo::LOCAL.0, "br0".to_owned())
            ]
        );
        // The LOCAL port's address, which add_bridge derives from the datapath id.
        assert_eq!(c.local_hw_addr(), Some(mac("02:00:00:00:00:01")));
        assert!(rt
            .seen
            .contains(&Event::PortsKnown(c.ports().copied().collect())));

        // A request and its reply; an unknown multipart type refused; a barrier.
        let desc = rt
            .conn
            .request(rt.now(), Body::MultipartRequest(MultipartRequest::desc()))
            .unwrap();
        let bad = MultipartRequest::new(MultipartRequestBody::Unknown {
            type_: MultipartType(170),
            data: vec![],
        });
        let bad = rt
            .conn
            .request(rt.now(), Body::MultipartRequest(bad))
            .unwrap();
        let table_miss = FlowMod::add().priority(0).apply_actions([
            sdnwire_openflow::action::Action::output_to_controller(
                sdnwire_openflow::OFPCML_NO_BUFFER,
            ),
        ]);
        rt.conn.send(rt.now(), Body::FlowMod(table_miss)).unwrap();
        let bad_flow = rt
            .conn
            .send(rt.now(), Body::FlowMod(FlowMod::add().table(255u8)))
            .unwrap();
        let barrier = rt.conn.barrier(rt.now()).unwrap();
        rt.run_until(
            &ovs,
            5 * SECOND,
            "BARRIER_REPLY",
            |_, e| matches!(e, Some(Event::BarrierComplete { xid }) if *xid == barrier),
        );
        let n = rt.seen.len();
        let before_barrier = &rt.seen[n - 4..n - 1];
        assert!(
            matches!(&before_barrier[0], Event::Reply { xid, reply, .. }
                if *xid == desc && matches!(reply.merged(), Ok(Some(MultipartReplyBody::Desc(ref d))) if sdnwire_openflow::multipart::Desc::as_ref(d).sw().starts_with("3."))),
            "{before_barrier:#?}"
        );
        assert!(
            matches!(&before_barrier[1], Event::RequestFailed { xid, error, .. }
                if *xid == bad && error.is(BadRequestCode::BAD_MULTIPART)),
            "{before_barrier:#?}"
        );
        assert!(
            matches!(message(&before_barrier[2]), Some(Message { xid, body: Body::Error(e) })
                if xid == bad_flow && e.type_ == ErrorType::FLOW_MOD_FAILED),
            "{before_barrier:#?}"
        );

        // A PACKET_IN through the table-miss flow.
        let frame: Vec<u8> = [
            &[0xff; 6][..],
            &[0x02, 0, 0, 0, 0, 0x01],
            &[0x08, 0x06],
            &[0; 46],
        ]
        .concat();
        ovs.inject("p1", &frame);
        let ev = rt.run_until(
            &ovs,
            5 * SECOND,
            "PACKET_IN",
            |_, e| matches!(e, Some(Event::Message(f)) if f.header.msg_type == MsgType::PACKET_IN),
        );
        let Some(Event::Message(f)) = ev else {
            unreachable!()
        };
        let pin = f.packet_in().unwrap().unwrap();
        assert_eq!(pin.in_port(), Some(PortNo(1)));
        assert_eq!(pin.data, frame);

        // Ports come and go.
        ovs.vsctl(&[
            "add-port",
            "br0",
            "p3",
            "--",
            "set",
            "interface",
            "p3",
            "type=dummy",
            "ofport_request=3",
        ]);
        rt.run_until(&ovs, 5 * SECOND, "PORT_STATUS add", |_, e| {
            matches!(e, Some(Event::PortStatus { reason: PortReason::ADD, port, .. }) if port.port_no == PortNo(3))
        });
        assert_eq!(rt.conn.port(3u32).unwrap().name(), "p3");
        ovs.vsctl(&["del-port", "br0", "p3"]);
        rt.run_until(&ovs, 5 * SECOND, "PORT_STATUS delete", |_, e| {
            matches!(e, Some(Event::PortStatus { reason: PortReason::DELETE, port, .. }) if port.port_no == PortNo(3))
        });
        assert!(rt.conn.port(3u32).is_none());
        assert_eq!(rt.conn.ports().len(), 3);

        // OVS's own keepalive (after 5 s of silence) is answered, so it keeps the connection.
        let answered = rt.conn.stats().echo_requests_answered;
        rt.run_until(&ovs, 9 * SECOND, "OVS's ECHO_REQUEST", |c, _| {
            c.stats().echo_requests_answered > answered
        });
        assert_eq!(rt.conn.state(), State::Main);

        // Freeze ovs-vswitchd: the socket stays open and silent. Our keepalive goes out
        // echo_interval after the last bytes and finds no answer: dead within the echo timeout.
        ovs.signal(Daemon::Vswitchd, "STOP");
        let frozen = std::time::Instant::now();
        rt.run_until(&ovs, 12 * SECOND, "Dead", |_, e| {
            matches!(e, Some(Event::Dead { .. }))
        });
        let took = frozen.elapsed();
        assert_eq!(rt.conn.dead_reason(), Some(&DeadReason::EchoTimeout));
        assert!(rt.conn.stats().echo_requests_sent >= 1);
        assert!(
            took <= 7 * SECOND + 2 * SECOND + SECOND,
            "dead {took:?} after the switch froze"
        );

        // Close our end and let OVS run again: it reconnects, and a new connection reaches
        // MAIN. Then kill it: the stream ends and the connection is dead at once, well within
        // the echo timeout.
        drop(rt);
        ovs.signal(Daemon::Vswitchd, "CONT");
        let mut rt = Runtime::new(&cfg, accept(&listener, &ovs));
        rt.run_until(&ovs, 10 * SECOND, "MAIN again", |_, e| {
            matches!(
                e,
                Some(Event::StateChanged {
                    to: State::Main,
                    ..
                })
            )
        });
        assert_eq!(rt.conn.datapath_id(), Some(DatapathId(1)));
        ovs.signal(Daemon::Vswitchd, "KILL");
        let killed = std::time::Instant::now();
        rt.run_until(&ovs, 2 * SECOND, "Dead after the kill", |_, e| {
            matches!(e, Some(Event::Dead { .. }))
        });
        assert_eq!(rt.conn.dead_reason(), Some(&DeadReason::PeerClosed));
        eprintln!(
            "OVS: MAIN, requests, PACKET_IN, PORT_STATUS, echo answered; dead {took:?} after \
             freezing (EchoTimeout); reconnected to MAIN; dead {:?} after the kill (PeerClosed)",
            killed.elapsed()
        );
    }
}
