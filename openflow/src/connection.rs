//! A sans-I/O OpenFlow 1.3 connection to one switch, seen from the controller: Ryu's
//! `Datapath` without sockets, threads or clocks.
//!
//! [`Connection`] turns the bytes the switch sent, the current time and the application's
//! requests into bytes to send, events and the next instant it wants to be woken at. It does the
//! parts of a connection that every controller repeats:
//! - the handshake: HELLO and version negotiation (1.3 only; anything else is refused with
//!   OFPET_HELLO_FAILED/OFPHFC_INCOMPATIBLE), FEATURES_REQUEST, then a PORT_DESC multipart
//!   request (reassembled across REPLY_MORE) so that the application starts with the datapath
//!   id and every port, the LOCAL port's hardware address included;
//! - states like Ryu's dispatchers ([`State::Handshake`], [`State::Config`], [`State::Main`],
//!   [`State::Dead`]), with an [`Event::StateChanged`] on each transition;
//! - keepalive: the switch's ECHO_REQUESTs are answered; after [`Config::echo_interval`] with
//!   nothing received it sends its own, and without a sign of life within
//!   [`Config::echo_timeout`] the connection is dead;
//! - transaction ids and request correlation: [`Connection::request`] returns the xid, and the
//!   reply (multipart replies reassembled), the ERROR or the barrier reply with that xid comes
//!   back as one event;
//! - the port list, kept current by PORT_STATUS.
//!
//! # Zero-copy to the application
//!
//! Every message reaches the application as a [`Frame`]: the message's bytes split off the
//! receive buffer (a [`Bytes`], no copy), read through [`Frame::view`] (the
//! crate's [`MessageView`](crate::MessageView), with typed views such as
//! [`PacketInView`](crate::packet_in::PacketInView)), [`Frame::packet_in`], or decoded into an
//! owned [`Message`] with [`Frame::decode`] when the application wants values. The connection
//! parses only what it acts on: HELLO, ECHO, FEATURES_REPLY, PORT_STATUS, the handshake's
//! PORT_DESC reply, ERRORs that answer a request, and the 16-byte head of multipart replies it
//! reassembles. A PACKET_IN costs no heap allocation in the steady state (the connection's
//! tests count them): keep frames no longer than needed, so that the receive buffer is reused.
//!
//! [`handle_bytes`](Connection::handle_bytes) copies what the runtime read into the
//! connection's receive buffer; [`handle_buf`](Connection::handle_buf) takes the read buffer
//! itself (a [`Bytes`], such as a tokio `BytesMut` read into and frozen), and the
//! frames of the messages it holds whole are slices of it: no byte of them is copied. Messages
//! for the application are queued as runs of the buffer and cut into frames as
//! [`poll_event`](Connection::poll_event) hands them out.
//!
//! # The methods, by kind (as quinn-proto's `Connection` sorts them)
//!
//! - **getters** (no effect): [`state`](Connection::state),
//!   [`dead_reason`](Connection::dead_reason), [`datapath_id`](Connection::datapath_id),
//!   [`features`](Connection::features), [`ports`](Connection::ports),
//!   [`port`](Connection::port), [`local_hw_addr`](Connection::local_hw_addr),
//!   [`outstanding_requests`](Connection::outstanding_requests),
//!   [`stats`](Connection::stats), [`config`](Connection::config);
//! - **inputs** `handle_*`, each with the current time:
//!   [`handle_bytes`](Connection::handle_bytes) (bytes read from the socket, in any chunking;
//!   `Err` names a message it refused), [`handle_buf`](Connection::handle_buf) (the same, for
//!   a read buffer the connection may keep), [`handle_timeout`](Connection::handle_timeout) (the
//!   instant [`poll_timeout`](Connection::poll_timeout) gave has come; harmless when early or
//!   repeated), [`handle_eof`](Connection::handle_eof) (the socket was closed);
//! - **mutators**, on the application's behalf: [`send`](Connection::send),
//!   [`request`](Connection::request), [`request_multipart`](Connection::request_multipart),
//!   [`barrier`](Connection::barrier), [`cancel`](Connection::cancel),
//!   [`close`](Connection::close);
//! - **outputs** `poll_*`: [`poll_transmit`](Connection::poll_transmit) (the bytes for the
//!   socket, into the caller's reused buffer), [`poll_event`](Connection::poll_event),
//!   [`poll_timeout`](Connection::poll_timeout).
//!
//! **Polling order**: after [`Connection::new`] and after any `handle_*` or mutator call,
//! drain [`poll_transmit`](Connection::poll_transmit) (write everything to the socket), then
//! [`poll_event`](Connection::poll_event) (reacting to an event may send more: drain
//! `poll_transmit` again), then sleep until [`poll_timeout`](Connection::poll_timeout) or the
//! next bytes, whichever comes first. Nothing is ever due before `poll_timeout`.
//!
//! # Time
//!
//! Time is the workspace's [`Instant`] (nanoseconds since an origin the runtime picks; a
//! simulation starts at [`Instant::ZERO`], a real runtime uses
//! [`sdnwire_packet::time::Clock`]). The connection never reads a clock: time is the `now`
//! passed in, and a `now` earlier than one seen before counts as that one.
//!
//! The runtime owns the socket and the clock. A loop over a blocking `std::net::TcpStream`:
//!
//! ```no_run
//! use std::io::{ErrorKind, Read, Write};
//! use std::net::TcpListener;
//! use std::time::Duration;
//! use sdnwire_openflow::connection::{Config, Connection, Event, State};
//! use sdnwire_packet::time::Clock;
//!
//! let clock = Clock::new();
//! let listener = TcpListener::bind("127.0.0.1:6653")?;
//! let (mut stream, _) = listener.accept()?;
//! let mut conn = Connection::new(Config::default(), clock.now());
//! let (mut rx, mut tx) = (vec![0u8; 65536], Vec::new());
//! while conn.state() != State::Dead {
//!     while conn.poll_transmit(&mut tx).is_some() {
//!         stream.write_all(&tx)?;
//!     }
//!     while let Some(ev) = conn.poll_event() {
//!         match ev {
//!             Event::PortsKnown(ports) => {
//!                 println!("switch {:?} has {} ports", conn.datapath_id(), ports.len());
//!             }
//!             Event::Message(frame) => {
//!                 if let Some(Ok(pin)) = frame.packet_in() {
//!                     println!("{} bytes from {:?}", pin.data.len(), pin.in_port());
//!                 }
//!             }
//!             _ => {}
//!         }
//!     }
//!     while conn.poll_transmit(&mut tx).is_some() {
//!         stream.write_all(&tx)?;
//!     }
//!     let wait = conn.poll_timeout().map_or(Duration::from_secs(1), |t| t - clock.now());
//!     stream.set_read_timeout(Some(wait.max(Duration::from_millis(1))))?;
//!     match stream.read(&mut rx) {
//!         Ok(0) => conn.handle_eof(clock.now()),
//!         Ok(n) => {
//!             if let Err(e) = conn.handle_bytes(clock.now(), &rx[..n]) {
//!                 eprintln!("{e}");
//!             }
//!         }
//!         Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
//!         Err(_) => conn.handle_eof(clock.now()),
//!     }
//!     conn.handle_timeout(clock.now());
//! }
//! // Dead: write what is still queued (an OFPT_ERROR explaining why, say), then close.
//! while conn.poll_transmit(&mut tx).is_some() {
//!     stream.write_all(&tx)?;
//! }
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! # Bounds
//!
//! Memory is bounded by [`Config`]: the framer holds at most one partial message, the transmit
//! queue at most [`Config::max_transmit_len`] bytes, the event queue at most
//! [`Config::max_events`] unsolicited events (more are dropped, counted, and reported by one
//! [`Event::Resync`] at the place of the gap) plus one resolution per outstanding request and
//! the few control events the protocol bounds, outstanding requests at most
//! [`Config::max_outstanding_requests`], each reassembled multipart reply at most
//! [`Config::max_reply_len`] bytes, and the port list [`Config::max_ports`] entries.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use bytes::Bytes;
use sdnwire_packet::time::Instant;
use sdnwire_packet::MacAddr;

use crate::codec::{MessageBody, Reader};
use crate::error::Error;
use crate::error_msg::{ErrorMsg, ErrorType, HelloFailedCode};
use crate::features::{DatapathId, SwitchFeatures};
use crate::framing::{Frame, Framer, MAX_MESSAGE_LEN};
use crate::header::{Header, MsgType, HEADER_LEN, OFP_VERSION};
use crate::hello::Hello;
use crate::message::{Body, Message};
use crate::multipart::{MultipartReply, MultipartReplyBody, MultipartRequest};
use crate::port::{Port, PortReason, PortStatus};
use crate::simple::Echo;
use crate::types::PortNo;
use crate::Encode;

/// Settings of a [`Connection`]. Start from [`Config::default`] and change fields.
///
/// A duration too large to add to an [`Instant`] (such as [`Duration::MAX`]) disables its timer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// After this long with nothing received, send an ECHO_REQUEST. Default 5 s (Open vSwitch's
    /// inactivity probe interval).
    pub echo_interval: Duration,
    /// After sending our ECHO_REQUEST, how long to wait for a sign of life (its reply or any
    /// other bytes) before the connection is dead ([`DeadReason::EchoTimeout`]). Default 5 s.
    pub echo_timeout: Duration,
    /// How long HELLO, FEATURES and PORT_DESC may take, from [`Connection::new`] to
    /// [`State::Main`] ([`DeadReason::HandshakeTimeout`]). Default 10 s.
    pub handshake_timeout: Duration,
    /// The longest message accepted from the switch, header included; a longer one breaks the
    /// stream ([`DeadReason::Framing`]). Default and maximum 65535.
    pub max_message_len: usize,
    /// Requests ([`Connection::request`], [`Connection::barrier`]) outstanding at once, counting
    /// answered ones whose event has not been polled yet; more are refused with
    /// [`SendError::TooManyRequests`]. Default 1024.
    pub max_outstanding_requests: usize,
    /// The most bytes (message lengths added up) one reassembled multipart reply may hold; past
    /// it the request ends with [`Overflow::Reply`] and its remaining parts are discarded.
    /// Default 16 MiB.
    pub max_reply_len: usize,
    /// The most ports in the port list; past it PORT_DESC and PORT_STATUS additions are left
    /// out, with [`Overflow::Ports`]. Default 65536.
    pub max_ports: usize,
    /// The most unsolicited events ([`Event::Message`], [`Event::PortStatus`],
    /// [`Event::EchoRtt`], [`Overflow::Ports`]) waiting in the event queue. When that many
    /// wait, further ones are dropped, counted in [`Stats::events_dropped`] and reported by an
    /// [`Event::Resync`] at the place of the gap. The other events (state changes, the
    /// handshake's results, the end of each request, [`Event::Resync`] itself) are never
    /// dropped: the protocol and [`Config::max_outstanding_requests`] bound them. Default 4096.
    pub max_events: usize,
    /// The most bytes waiting in the transmit queue (everything but the first HELLO counts).
    /// Sends past it are refused with [`SendError::TransmitFull`]; an answer the switch asked
    /// for (ECHO_REPLY) or a keepalive that does not fit kills the connection
    /// ([`DeadReason::TransmitOverflow`]). Default 4 MiB.
    pub max_transmit_len: usize,
    /// The first transaction id; later ones count up from it, wrapping and skipping 0 and ids
    /// still in use. Default 1.
    pub first_xid: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            echo_interval: Duration::from_secs(5),
            echo_timeout: Duration::from_secs(5),
            handshake_timeout: Duration::from_secs(10),
            max_message_len: MAX_MESSAGE_LEN,
            max_outstanding_requests: 1024,
            max_reply_len: 16 << 20,
            max_ports: 65536,
            max_events: 4096,
            max_transmit_len: 4 << 20,
            first_xid: 1,
        }
    }
}

/// Where a connection is, named after Ryu's dispatchers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Our HELLO is sent; waiting for the switch's (Ryu's `HANDSHAKE_DISPATCHER`).
    Handshake,
    /// OpenFlow 1.3 agreed; waiting for FEATURES_REPLY and the PORT_DESC reply
    /// (`CONFIG_DISPATCHER`).
    Config,
    /// The switch, its features and its ports are known (`MAIN_DISPATCHER`).
    Main,
    /// Over, for the [`DeadReason`] in [`Event::Dead`] (`DEAD_DISPATCHER`). Transmit what is
    /// still queued, then close the socket.
    Dead,
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Handshake => "HANDSHAKE",
            State::Config => "CONFIG",
            State::Main => "MAIN",
            State::Dead => "DEAD",
        })
    }
}

/// Why a connection died.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DeadReason {
    /// The switch's HELLO offered no version we speak. We sent it
    /// OFPET_HELLO_FAILED/OFPHFC_INCOMPATIBLE with a readable reason.
    #[error(
        "version negotiation failed: the switch offers OpenFlow {}, this controller speaks 1.3 (0x04) only",
        versions_text(offered)
    )]
    VersionMismatch {
        /// The version in the HELLO's header.
        header_version: u8,
        /// The versions the switch offered: its version bitmap, or its header version when it
        /// sent no bitmap.
        offered: Vec<u8>,
    },
    /// The switch refused our HELLO with OFPET_HELLO_FAILED.
    #[error("the switch refused the handshake: {0}")]
    PeerHelloFailed(ErrorMsg),
    /// The switch's first message was not HELLO.
    #[error("protocol error: {msg_type} before HELLO")]
    NoHello {
        /// The type of the message that came first.
        msg_type: MsgType,
    },
    /// The byte stream cannot be cut into messages: a length field below 8 or above
    /// [`Config::max_message_len`].
    #[error("framing error: {0}")]
    Framing(Error),
    /// A message of another version than 1.3 came after the handshake.
    #[error("protocol error: OpenFlow version {found:#04x} after 1.3 was agreed")]
    BadVersion {
        /// The version byte found.
        found: u8,
    },
    /// The switch answered a handshake request (FEATURES_REQUEST or the PORT_DESC multipart
    /// request) with an ERROR.
    #[error("the switch refused {request} during the handshake: {error}")]
    HandshakeFailed {
        /// The request the switch refused.
        request: MsgType,
        /// Its ERROR.
        error: ErrorMsg,
    },
    /// The reply to a handshake request could not be parsed.
    #[error("malformed reply to {request} during the handshake: {error}")]
    HandshakeMalformed {
        /// The request.
        request: MsgType,
        /// What is wrong with the reply.
        error: Error,
    },
    /// The handshake took longer than [`Config::handshake_timeout`].
    #[error("the handshake did not complete within the handshake timeout")]
    HandshakeTimeout,
    /// Nothing came back within [`Config::echo_timeout`] of our ECHO_REQUEST.
    #[error("no answer to our ECHO_REQUEST within the echo timeout")]
    EchoTimeout,
    /// The transmit queue was full ([`Config::max_transmit_len`]) when the connection had to
    /// send a keepalive or an answer the switch asked for: the runtime is not writing what
    /// [`Connection::poll_transmit`] gives it, or the switch floods us with requests.
    #[error("the transmit queue is full ({limit} bytes) and the connection had to send")]
    TransmitOverflow {
        /// [`Config::max_transmit_len`].
        limit: usize,
    },
    /// A message the connection builds itself could not be encoded (never seen; kept so that
    /// no failure is silent).
    #[error("cannot encode a message of the connection's own: {0}")]
    Unencodable(Error),
    /// The runtime reported the end of the stream ([`Connection::handle_eof`]).
    #[error("the switch closed the connection")]
    PeerClosed,
    /// The application closed the connection ([`Connection::close`]).
    #[error("closed by the application")]
    Closed,
}

/// An OpenFlow version byte as text: `1.3 (0x04)`.
fn version_text(v: u8) -> String {
    match v {
        1..=6 => format!("1.{} (0x{v:02x})", v - 1),
        _ => format!("0x{v:02x}"),
    }
}

fn versions_text(vs: &[u8]) -> String {
    if vs.is_empty() {
        return String::from("no version");
    }
    let parts: Vec<String> = vs.iter().map(|&v| version_text(v)).collect();
    parts.join(", ")
}

/// Why the connection refused to send.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The connection is dead.
    #[error("the connection is dead")]
    Dead,
    /// [`Config::max_outstanding_requests`] requests are outstanding (or answered and not
    /// polled yet).
    #[error("{limit} requests are already outstanding")]
    TooManyRequests {
        /// The limit.
        limit: usize,
    },
    /// The transmit queue would grow past [`Config::max_transmit_len`].
    #[error(
        "the transmit queue holds {queued} bytes; {len} more would pass its {limit}-byte limit"
    )]
    TransmitFull {
        /// Bytes queued.
        queued: usize,
        /// Bytes the refused message(s) need.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// [`Connection::request`] was given a message that has no reply (send it with
    /// [`Connection::send`]).
    #[error("{msg_type} has no reply: send it, do not request it")]
    NoReply {
        /// Its type.
        msg_type: MsgType,
    },
    /// [`Connection::request_multipart`] was given no parts.
    #[error("a multipart request needs at least one part")]
    EmptyMultipart,
    /// The message cannot be encoded.
    #[error(transparent)]
    Encode(#[from] Error),
}

/// A message from the switch that [`Connection::handle_bytes`] refused: it does not parse, and
/// the connection had to parse it (a PORT_STATUS, an ERROR answering a request, the head of a
/// multipart reply, a handshake reply). It is counted in [`Stats::messages_refused`] and is
/// never an event. The port list and the state stay as they were, with two exceptions the
/// protocol forces: a refused reply still ends its request ([`Event::ReplyMalformed`], so that
/// the application is never left waiting), and a refused handshake reply kills the connection
/// ([`DeadReason::HandshakeMalformed`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("refused {} (xid {}) from the switch: {error}{}", header.msg_type, header.xid, more_text(*refused))]
#[non_exhaustive]
pub struct InputError {
    /// The header of the first message refused in this call.
    pub header: Header,
    /// What is wrong with it (offsets count from the start of that message).
    pub error: Error,
    /// How many messages this call refused (at least 1).
    pub refused: u64,
}

fn more_text(refused: u64) -> String {
    match refused {
        0 | 1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    }
}

/// The answer to a request: the reply's frames, as they came (no copy). Read them through
/// [`Frame::view`] or decode them ([`Frame::decode`], [`Reply::decode_parts`],
/// [`Reply::merged`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A reply of one message (GET_CONFIG_REPLY, ROLE_REPLY, ECHO_REPLY, ...).
    Message(Frame),
    /// The parts of a multipart reply (OFPT_MULTIPART_REPLY frames), in the order they came;
    /// all but the last had REPLY_MORE set.
    Multipart(Vec<Frame>),
}

impl Reply {
    /// The single-message reply.
    pub fn message(&self) -> Option<&Frame> {
        match self {
            Reply::Message(m) => Some(m),
            Reply::Multipart(_) => None,
        }
    }

    /// The frames of a multipart reply (empty for a single message).
    pub fn parts(&self) -> &[Frame] {
        match self {
            Reply::Message(_) => &[],
            Reply::Multipart(p) => p,
        }
    }

    /// The parts of a multipart reply, decoded (empty for a single message).
    pub fn decode_parts(&self) -> Result<Vec<MultipartReply>, Error> {
        self.parts().iter().map(decode_part).collect()
    }

    /// The parts of a multipart reply decoded and merged into one body: the entries of array
    /// replies (flow stats, port descriptions, ...) concatenated, experimenter and unknown data
    /// appended. `Ok(None)` for a single-message reply, for parts of different types, or for a
    /// fixed body (DESC, AGGREGATE, ...) that came in more than one part; `Err` when a part
    /// does not decode.
    pub fn merged(&self) -> Result<Option<MultipartReplyBody>, Error> {
        let mut it = self.parts().iter();
        let Some(first) = it.next() else {
            return Ok(None);
        };
        let mut acc = decode_part(first)?.body;
        for p in it {
            if !merge_into(&mut acc, decode_part(p)?.body) {
                return Ok(None);
            }
        }
        Ok(Some(acc))
    }
}

/// One OFPT_MULTIPART_REPLY frame, decoded.
fn decode_part(f: &Frame) -> Result<MultipartReply, Error> {
    match f.decode()?.body {
        Body::MultipartReply(p) => Ok(p),
        other => Err(Error::BadValue {
            what: "ofp_header.type",
            offset: 1,
            value: u64::from(other.msg_type().0),
            expected: "OFPT_MULTIPART_REPLY",
        }),
    }
}

fn merge_into(acc: &mut MultipartReplyBody, next: MultipartReplyBody) -> bool {
    use MultipartReplyBody as B;
    match (acc, next) {
        (B::Flow(a), B::Flow(b)) => a.extend(b),
        (B::Table(a), B::Table(b)) => a.extend(b),
        (B::PortStats(a), B::PortStats(b)) => a.extend(b),
        (B::Queue(a), B::Queue(b)) => a.extend(b),
        (B::Group(a), B::Group(b)) => a.extend(b),
        (B::GroupDesc(a), B::GroupDesc(b)) => a.extend(b),
        (B::Meter(a), B::Meter(b)) => a.extend(b),
        (B::MeterConfig(a), B::MeterConfig(b)) => a.extend(b),
        (B::TableFeatures(a), B::TableFeatures(b)) => a.extend(b),
        (B::PortDesc(a), B::PortDesc(b)) => a.extend(b),
        (B::Experimenter(a), B::Experimenter(b))
            if a.experimenter == b.experimenter && a.exp_type == b.exp_type =>
        {
            a.data.extend(b.data);
        }
        (B::Unknown { type_: t, data: a }, B::Unknown { type_: u, data: b }) if *t == u => {
            a.extend(b);
        }
        _ => return false,
    }
    true
}

/// A bound of [`Config`] was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Overflow {
    /// A multipart reply grew past [`Config::max_reply_len`]: the request is over (this is its
    /// only event) and its remaining parts are discarded.
    Reply {
        /// The request's xid.
        xid: u32,
        /// The request's type.
        request: MsgType,
        /// The limit.
        limit: usize,
    },
    /// A port was left out of the port list, which holds [`Config::max_ports`] ports.
    Ports {
        /// The port left out.
        port: PortNo,
        /// The limit.
        limit: usize,
    },
}

/// What [`Event::Resync`] says was dropped, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Dropped {
    /// [`Event::Message`]s: PACKET_INs, FLOW_REMOVEDs, ... They are gone, as the packets a
    /// switch drops when its controller does not keep up.
    pub messages: u64,
    /// [`Event::PortStatus`]es: the port list ([`Connection::ports`]) has them applied; read
    /// it to learn the ports' state.
    pub port_status: u64,
    /// The rest: [`Event::EchoRtt`]s and [`Overflow::Ports`] reports.
    pub other: u64,
}

impl Dropped {
    /// All dropped events.
    pub fn total(&self) -> u64 {
        self.messages
            .saturating_add(self.port_status)
            .saturating_add(self.other)
    }
}

/// What happened; from [`Connection::poll_event`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// The state changed.
    StateChanged {
        /// The state before.
        from: State,
        /// The state now.
        to: State,
    },
    /// FEATURES_REPLY of the handshake arrived ([`Connection::features`]).
    SwitchFeatures(SwitchFeatures),
    /// The PORT_DESC reply of the handshake is complete: every port, in port number order
    /// ([`Connection::ports`]). [`State::Main`] follows.
    PortsKnown(Vec<Port>),
    /// PORT_STATUS: a port was added, deleted or modified; [`Connection::ports`] already shows
    /// it.
    PortStatus {
        /// What happened.
        reason: PortReason,
        /// The port as the switch describes it now (as it was, for a deletion).
        port: Port,
        /// The port as the list held it before, if it did.
        previous: Option<Port>,
    },
    /// A message for the application that is no reply to one of its requests: PACKET_IN,
    /// FLOW_REMOVED, an ERROR for a message sent with [`Connection::send`] (same xid), an
    /// EXPERIMENTER, ... Not: ECHO_REQUEST (answered), PORT_STATUS ([`Event::PortStatus`]),
    /// replies to requests ([`Event::Reply`]).
    ///
    /// The frame is the message's bytes as they came off the receive buffer, not parsed by
    /// the connection: [`Frame::packet_in`] and [`Frame::view`] read it without copying,
    /// [`Frame::decode`] gives the owned [`Message`]; either tells whether it is well formed.
    Message(Frame),
    /// The reply to a [`Connection::request`].
    Reply {
        /// The request's xid.
        xid: u32,
        /// The request's type.
        request: MsgType,
        /// The reply.
        reply: Reply,
    },
    /// The switch answered a [`Connection::request`] (or a barrier) with an ERROR.
    RequestFailed {
        /// The request's xid.
        xid: u32,
        /// The request's type.
        request: MsgType,
        /// The error.
        error: ErrorMsg,
    },
    /// The BARRIER_REPLY to [`Connection::barrier`]: the switch has processed every message
    /// sent before the barrier. By the spec, the replies and errors for those messages came
    /// before it, so their events come before this one.
    BarrierComplete {
        /// The barrier's xid.
        xid: u32,
    },
    /// The switch answered our keepalive ECHO_REQUEST after this long.
    EchoRtt(Duration),
    /// The reply to a request (an ERROR with its xid, or a multipart part shorter than its
    /// 16-byte head) could not be parsed: the request is over and gets no other event. The
    /// same message made [`Connection::handle_bytes`] return [`InputError`].
    ReplyMalformed {
        /// The request's xid.
        xid: u32,
        /// The request's type.
        request: MsgType,
        /// What is wrong with the reply.
        error: Error,
    },
    /// A bound of [`Config`] was reached.
    Overflow(Overflow),
    /// The event queue was full ([`Config::max_events`] unsolicited events waiting): the
    /// events counted here were dropped at this place in the sequence. What they said about
    /// the switch is in the state accessors, which are always the truth: read
    /// [`Connection::ports`] again (dropped PORT_STATUSes are applied there). Dropped
    /// messages (PACKET_INs, ...) are gone. Consecutive drops add up in one event.
    Resync {
        /// What was dropped.
        dropped: Dropped,
    },
    /// The connection is dead (after [`Event::StateChanged`] to [`State::Dead`]).
    Dead {
        /// Why.
        reason: DeadReason,
    },
}

/// Counters, from [`Connection::stats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Bytes given to [`Connection::handle_bytes`].
    pub bytes_received: u64,
    /// Messages cut from them.
    pub messages_received: u64,
    /// Bytes queued for transmission.
    pub bytes_sent: u64,
    /// Messages queued for transmission.
    pub messages_sent: u64,
    /// The switch's ECHO_REQUESTs answered.
    pub echo_requests_answered: u64,
    /// Our keepalive ECHO_REQUESTs.
    pub echo_requests_sent: u64,
    /// Replies to them.
    pub echo_replies_received: u64,
    /// Events dropped because the event queue was full (each reported in an
    /// [`Event::Resync`]).
    pub events_dropped: u64,
    /// Messages [`Connection::handle_bytes`] refused ([`InputError`]).
    pub messages_refused: u64,
}

/// The connection's timers. Each has one slot in [`Timers`]; [`Connection::poll_timeout`]
/// returns the earliest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timer {
    /// The handshake must reach MAIN by then.
    Handshake,
    /// Nothing received since [`Config::echo_interval`]: send an ECHO_REQUEST.
    Idle,
    /// Our ECHO_REQUEST went unanswered: dead.
    EchoTimeout,
}

impl Timer {
    /// In the order [`Connection::handle_timeout`] checks them.
    const ALL: [Timer; 3] = [Timer::Handshake, Timer::EchoTimeout, Timer::Idle];
}

/// The timer table: one deadline per [`Timer`], `None` when stopped.
#[derive(Debug, Clone, Copy, Default)]
struct Timers {
    handshake: Option<Instant>,
    idle: Option<Instant>,
    echo_timeout: Option<Instant>,
}

impl Timers {
    fn slot(&mut self, t: Timer) -> &mut Option<Instant> {
        match t {
            Timer::Handshake => &mut self.handshake,
            Timer::Idle => &mut self.idle,
            Timer::EchoTimeout => &mut self.echo_timeout,
        }
    }

    fn get(&self, t: Timer) -> Option<Instant> {
        match t {
            Timer::Handshake => self.handshake,
            Timer::Idle => self.idle,
            Timer::EchoTimeout => self.echo_timeout,
        }
    }

    /// Starts `t` to fire `after` from `now`; an instant past the clock's range never comes.
    fn start(&mut self, t: Timer, now: Instant, after: Duration) {
        *self.slot(t) = now.checked_add(after);
    }

    fn stop(&mut self, t: Timer) {
        *self.slot(t) = None;
    }

    fn earliest(&self) -> Option<Instant> {
        Timer::ALL.iter().filter_map(|&t| self.get(t)).min()
    }

    /// The first expired timer, in [`Timer::ALL`] order.
    fn expired(&self, now: Instant) -> Option<Timer> {
        Timer::ALL
            .into_iter()
            .find(|&t| self.get(t).is_some_and(|d| d <= now))
    }
}

/// Who is waiting for a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Waiter {
    /// The application, for a request of this type.
    App(MsgType),
    /// The handshake's FEATURES_REQUEST.
    Features,
    /// The handshake's PORT_DESC request.
    PortDesc,
}

/// An outstanding request.
#[derive(Debug)]
struct Pending {
    waiter: Waiter,
    /// The reply's message type.
    reply: MsgType,
    /// Multipart parts so far (application requests).
    parts: Vec<Frame>,
    /// Ports so far (the handshake's PORT_DESC).
    ports: Vec<Port>,
    /// Bytes of the parts so far.
    len: usize,
    /// Past [`Config::max_reply_len`] (or [`Config::max_ports`] for PORT_DESC): parts are
    /// dropped until the last one.
    overflowed: bool,
}

impl Pending {
    fn new(waiter: Waiter, reply: MsgType) -> Self {
        Pending {
            waiter,
            reply,
            parts: Vec::new(),
            ports: Vec::new(),
            len: 0,
            overflowed: false,
        }
    }
}

/// How an event counts against the queue's bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Unsolicited: dropped when [`Config::max_events`] such events wait (and counted in the
    /// [`Dropped`] field `kind` names).
    Droppable(DropKind),
    /// Ends an application request: holds its request slot until polled.
    Resolution,
    /// Bounded by the protocol (state changes, handshake results, drop counts).
    Control,
}

/// Which [`Dropped`] counter a dropped event adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DropKind {
    Message,
    PortStatus,
    Other,
}

/// An event other than [`Event::Message`] in the queue.
#[derive(Debug)]
struct Queued {
    event: Event,
    class: Class,
    /// How many [`Event::Message`]s were queued before it (`Connection::messages_in`
    /// when it was queued): it comes after them and before the next.
    at: u64,
}

/// The reply type of a request, or `None` when the message has no reply.
fn reply_type(request: MsgType) -> Option<MsgType> {
    Some(match request {
        MsgType::ECHO_REQUEST => MsgType::ECHO_REPLY,
        MsgType::EXPERIMENTER => MsgType::EXPERIMENTER,
        MsgType::FEATURES_REQUEST => MsgType::FEATURES_REPLY,
        MsgType::GET_CONFIG_REQUEST => MsgType::GET_CONFIG_REPLY,
        MsgType::MULTIPART_REQUEST => MsgType::MULTIPART_REPLY,
        MsgType::BARRIER_REQUEST => MsgType::BARRIER_REPLY,
        MsgType::QUEUE_GET_CONFIG_REQUEST => MsgType::QUEUE_GET_CONFIG_REPLY,
        MsgType::ROLE_REQUEST => MsgType::ROLE_REPLY,
        MsgType::GET_ASYNC_REQUEST => MsgType::GET_ASYNC_REPLY,
        _ => return None,
    })
}

/// Whether a message of this version and type, after the handshake, goes to the application
/// as it is, whatever the connection's state: it is OpenFlow 1.3 and of no type the
/// connection acts on (echo, error, port status, or a type that may answer a request).
#[inline]
fn for_application(version: u8, msg_type: u8) -> bool {
    let t = MsgType(msg_type);
    version == OFP_VERSION
        && !matches!(
            t,
            MsgType::ECHO_REQUEST | MsgType::ERROR | MsgType::PORT_STATUS
        )
        && !is_reply_type(t)
}

/// A run's last message, whole.
fn whole_frame(bytes: Bytes) -> Frame {
    let mut h = [0u8; HEADER_LEN];
    for (d, s) in h.iter_mut().zip(bytes.iter()) {
        *d = *s;
    }
    Frame {
        header: Header {
            version: h[0],
            msg_type: MsgType(h[1]),
            length: u16::from_be_bytes([h[2], h[3]]),
            xid: u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
        },
        bytes,
    }
}

/// Whether `t` is the reply type of some request ([`reply_type`] gives it).
fn is_reply_type(t: MsgType) -> bool {
    matches!(
        t,
        MsgType::ECHO_REPLY
            | MsgType::EXPERIMENTER
            | MsgType::FEATURES_REPLY
            | MsgType::GET_CONFIG_REPLY
            | MsgType::MULTIPART_REPLY
            | MsgType::BARRIER_REPLY
            | MsgType::QUEUE_GET_CONFIG_REPLY
            | MsgType::ROLE_REPLY
            | MsgType::GET_ASYNC_REPLY
    )
}

/// What [`Connection::poll_transmit`] wrote into the caller's buffer: bytes to write to the
/// switch's socket, in full and in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Transmit {
    /// Bytes written (the buffer's length).
    pub len: usize,
    /// Whole OpenFlow messages in them.
    pub messages: usize,
}

/// The controller's side of an OpenFlow 1.3 connection to one switch, without I/O.
///
/// The [module documentation](self) sorts the methods into getters, `handle_*` inputs,
/// mutators and `poll_*` outputs and gives the polling order: after every input or mutator,
/// drain [`poll_transmit`](Self::poll_transmit), then [`poll_event`](Self::poll_event)
/// (then `poll_transmit` again if the application sent something), then sleep until
/// [`poll_timeout`](Self::poll_timeout).
///
/// ```
/// use core::time::Duration;
/// use sdnwire_openflow::connection::{Config, Connection, Event, State};
/// use sdnwire_openflow::features::{DatapathId, SwitchFeatures};
/// use sdnwire_openflow::hello::Hello;
/// use sdnwire_openflow::multipart::{MultipartReply, MultipartReplyBody};
/// use sdnwire_openflow::port::Port;
/// use sdnwire_openflow::{Body, Encode, Framer, Instant, Message, PortNo};
///
/// let t0 = Instant::ZERO; // a virtual clock
/// let mut conn = Connection::new(Config::default(), t0);
/// // The switch reads what the controller writes ...
/// let mut switch = Framer::new();
/// let mut tx = Vec::new();
/// let mut to_switch = |conn: &mut Connection| {
///     let mut got = vec![];
///     while conn.poll_transmit(&mut tx).is_some() {
///         switch.push(&tx);
///     }
///     while let Some(f) = switch.next_frame().unwrap() {
///         got.push(f.decode().unwrap());
///     }
///     got
/// };
/// assert!(matches!(to_switch(&mut conn)[0].body, Body::Hello(_)));
/// // ... and answers: HELLO, then FEATURES_REPLY, then the PORT_DESC reply.
/// let hello = Message::new(1, Body::Hello(Hello::new()));
/// conn.handle_bytes(t0, &hello.to_vec().unwrap()).unwrap();
/// let features_request = to_switch(&mut conn).remove(0);
/// let features = SwitchFeatures { datapath_id: DatapathId(1), n_tables: 254, ..Default::default() };
/// let reply = Message::new(features_request.xid, Body::FeaturesReply(features));
/// conn.handle_bytes(t0, &reply.to_vec().unwrap()).unwrap();
/// let port_desc_request = to_switch(&mut conn).remove(0);
/// let ports = vec![Port::new(1, "aa:55:aa:55:00:02".parse().unwrap(), "p1")];
/// let reply = MultipartReply::new(MultipartReplyBody::PortDesc(ports));
/// let reply = Message::new(port_desc_request.xid, Body::MultipartReply(reply));
/// conn.handle_bytes(t0, &reply.to_vec().unwrap()).unwrap();
///
/// assert_eq!(conn.state(), State::Main);
/// assert_eq!(conn.datapath_id(), Some(DatapathId(1)));
/// assert_eq!(conn.port(PortNo(1)).unwrap().name(), "p1");
/// let events: Vec<Event> = std::iter::from_fn(|| conn.poll_event()).collect();
/// assert_eq!(events.last(), Some(&Event::StateChanged { from: State::Config, to: State::Main }));
/// // Nothing received for 5 s: time for a keepalive ECHO_REQUEST.
/// assert_eq!(conn.poll_timeout(), Some(t0 + Duration::from_secs(5)));
/// ```
#[derive(Debug)]
pub struct Connection {
    config: Config,
    state: State,
    dead_reason: Option<DeadReason>,
    /// The latest `now` seen.
    now: Instant,
    timers: Timers,
    framer: Framer,
    /// Encoded messages not yet handed out by `poll_transmit` (swapped with the caller's
    /// buffer there, so that both keep their capacity).
    out: Vec<u8>,
    /// Messages in `out`.
    out_messages: usize,
    /// The event queue, in two parts that keep one order: the [`Event::Message`]s (the
    /// common event), as runs of whole messages back to back in buffers split off the receive
    /// buffer (each run is cut into frames as they are polled), and the other events, each
    /// placed among the messages by [`Queued::at`]. `run` is the first run (empty when no
    /// message waits), `messages` the runs after it.
    run: Bytes,
    messages: VecDeque<Bytes>,
    events: VecDeque<Queued>,
    /// Messages ever queued in `messages`.
    messages_in: u64,
    /// Messages ever taken out of `messages`.
    messages_out: u64,
    /// [`Class::Droppable`] events waiting (`messages` and in `events`).
    droppable_queued: usize,
    /// [`Class::Resolution`] events in `events`.
    resolutions_queued: usize,
    next_xid: u32,
    pending: BTreeMap<u32, Pending>,
    /// Application requests in `pending`.
    app_pending: usize,
    /// Our keepalive ECHO_REQUEST in flight: its xid and when it was sent.
    echo: Option<(u32, Instant)>,
    our_hello: Hello,
    features: Option<SwitchFeatures>,
    ports: BTreeMap<PortNo, Port>,
    stats: Stats,
}

impl Connection {
    /// A connection whose socket has just been accepted, running from `now`: queues our HELLO
    /// (version bitmap offering 1.3) and starts the handshake timer.
    /// [`poll_timeout`](Self::poll_timeout) and [`poll_transmit`](Self::poll_transmit) are
    /// valid at once.
    pub fn new(config: Config, now: Instant) -> Connection {
        let mut c = Connection {
            framer: Framer::with_max_len(config.max_message_len.min(MAX_MESSAGE_LEN)),
            next_xid: if config.first_xid == 0 {
                1
            } else {
                config.first_xid
            },
            config,
            state: State::Handshake,
            dead_reason: None,
            now,
            timers: Timers::default(),
            out: Vec::new(),
            out_messages: 0,
            run: Bytes::new(),
            messages: VecDeque::new(),
            events: VecDeque::new(),
            messages_in: 0,
            messages_out: 0,
            droppable_queued: 0,
            resolutions_queued: 0,
            pending: BTreeMap::new(),
            app_pending: 0,
            echo: None,
            our_hello: Hello::new(),
            features: None,
            ports: BTreeMap::new(),
            stats: Stats::default(),
        };
        c.timers
            .start(Timer::Handshake, now, c.config.handshake_timeout);
        let xid = c.alloc_xid();
        let hello = Message::new(xid, Body::Hello(c.our_hello.clone()));
        // The first HELLO does not count against max_transmit_len.
        let limit = core::mem::replace(&mut c.config.max_transmit_len, usize::MAX);
        c.send_internal(&hello);
        c.config.max_transmit_len = limit;
        c
    }

    // ---------------------------------------------------------------- getters

    /// The state.
    pub fn state(&self) -> State {
        self.state
    }

    /// Why the connection died, once it has.
    pub fn dead_reason(&self) -> Option<&DeadReason> {
        self.dead_reason.as_ref()
    }

    /// The switch's datapath id, once FEATURES_REPLY has come.
    pub fn datapath_id(&self) -> Option<DatapathId> {
        self.features.map(|f| f.datapath_id)
    }

    /// The switch's FEATURES_REPLY, once it has come.
    pub fn features(&self) -> Option<&SwitchFeatures> {
        self.features.as_ref()
    }

    /// The switch's ports in port number order (the LOCAL port last): from the handshake's
    /// PORT_DESC reply, kept current by PORT_STATUS. Empty before [`Event::PortsKnown`]
    /// (except for PORT_STATUS additions the switch sent early).
    pub fn ports(&self) -> impl ExactSizeIterator<Item = &Port> + '_ {
        self.ports.values()
    }

    /// One port.
    pub fn port(&self, port_no: impl Into<PortNo>) -> Option<&Port> {
        self.ports.get(&port_no.into())
    }

    /// The hardware address of the switch's LOCAL port (OFPP_LOCAL), often the bridge's own
    /// address.
    pub fn local_hw_addr(&self) -> Option<MacAddr> {
        self.ports.get(&PortNo::LOCAL).map(|p| p.hw_addr)
    }

    /// Application requests waiting for their reply.
    pub fn outstanding_requests(&self) -> usize {
        self.app_pending
    }

    /// Counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    // ---------------------------------------------------------------- inputs

    /// Bytes read from the switch's socket, in any chunking. Every whole message in them is
    /// handled now; a partial one waits for the rest. Any bytes count as a sign of life.
    /// Ignored once dead.
    ///
    /// Returns [`InputError`] when it refused messages (a PORT_STATUS or a reply that does not
    /// parse, ...): the first one and how many, each also counted in
    /// [`Stats::messages_refused`]. The messages after a refused one are handled all the same.
    /// A stream that cannot be cut into messages, a message of another version, or a switch
    /// that refuses the handshake is no refusal but the end: [`Event::Dead`] says why (a
    /// handshake reply that does not parse is both: refused, and the end).
    pub fn handle_bytes(&mut self, now: Instant, bytes: &[u8]) -> Result<(), InputError> {
        let now = self.clock(now);
        if self.state == State::Dead || bytes.is_empty() {
            return Ok(());
        }
        self.framer.push(bytes);
        self.handle_framed(now, bytes.len())
    }

    /// [`handle_bytes`](Self::handle_bytes) for a buffer the runtime hands over (a
    /// [`Bytes`], or a `Vec<u8>` or frozen `BytesMut` it read the socket into):
    /// the messages it holds whole are not copied, each [`Event::Message`] frame shares the
    /// buffer's memory (only a message the buffer ends inside is copied, to be completed by the
    /// next bytes). Same events, errors and counters as `handle_bytes` with the same bytes.
    ///
    /// A runtime that reads into a `BytesMut` hands `rx.split().freeze()` over and reserves
    /// again before the next read: once the application has dropped the frames of a read,
    /// `BytesMut::reserve` takes the memory back, so the steady state allocates nothing.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use sdnwire_openflow::connection::{Config, Connection};
    /// use sdnwire_openflow::Instant;
    ///
    /// let mut conn = Connection::new(Config::default(), Instant::ZERO);
    /// let mut rx = BytesMut::with_capacity(65536);
    /// rx.extend_from_slice(&[4, 0, 0, 8, 0, 0, 0, 1]); // as a socket read would (a HELLO)
    /// conn.handle_buf(Instant::ZERO, rx.split().freeze()).unwrap();
    /// assert_eq!(conn.stats().messages_received, 1);
    /// ```
    pub fn handle_buf(
        &mut self,
        now: Instant,
        bytes: impl Into<bytes::Bytes>,
    ) -> Result<(), InputError> {
        let now = self.clock(now);
        let bytes = bytes.into();
        if self.state == State::Dead || bytes.is_empty() {
            return Ok(());
        }
        let len = bytes.len();
        self.framer.push_buf(bytes);
        self.handle_framed(now, len)
    }

    /// Handles every whole message in the framer, `len` bytes having just been pushed.
    fn handle_framed(&mut self, now: Instant, len: usize) -> Result<(), InputError> {
        self.stats.bytes_received = self.stats.bytes_received.saturating_add(len64(len));
        let mut refused: Option<InputError> = None;
        while self.state != State::Dead {
            if self.state != State::Handshake {
                // The common case first: messages that go to the application unparsed
                // (PACKET_IN, FLOW_REMOVED, ...), as many as the event queue has room for,
                // queued as one run without being cut into frames yet. What `on_frame` does
                // with them, minus the per-message work.
                let room = self.config.max_events.saturating_sub(self.droppable_queued);
                if let Some((run, n)) = self.framer.next_run(room, for_application) {
                    let n64 = len64(n);
                    self.stats.messages_received = self.stats.messages_received.saturating_add(n64);
                    self.droppable_queued += n;
                    self.messages_in += n64;
                    self.push_run(run);
                    continue;
                }
            }
            match self.framer.next_frame() {
                Ok(Some(frame)) => {
                    let header = frame.header;
                    if let Err(error) = self.on_frame(now, frame) {
                        self.stats.messages_refused = self.stats.messages_refused.saturating_add(1);
                        match &mut refused {
                            Some(r) => r.refused = r.refused.saturating_add(1),
                            None => {
                                refused = Some(InputError {
                                    header,
                                    error,
                                    refused: 1,
                                });
                            }
                        }
                    }
                }
                Ok(None) => break,
                Err(e) => self.die(DeadReason::Framing(e)),
            }
        }
        if matches!(self.state, State::Config | State::Main) {
            // Alive: the keepalive starts over.
            self.timers
                .start(Timer::Idle, now, self.config.echo_interval);
            self.timers.stop(Timer::EchoTimeout);
        }
        refused.map_or(Ok(()), Err)
    }

    /// Call when [`poll_timeout`](Self::poll_timeout)'s instant has come. Calling it early
    /// does nothing; calling it again does nothing more.
    pub fn handle_timeout(&mut self, now: Instant) {
        let now = self.clock(now);
        // Every timer due by `now`, not only the first: one that a due timer starts may be
        // due at once (a zero `echo_timeout`), and `poll_timeout` must not be left in the past.
        // At most two rounds: the idle timer stops itself, the others end the connection.
        while self.state != State::Dead {
            match self.timers.expired(now) {
                None => break,
                Some(Timer::Handshake) => self.die(DeadReason::HandshakeTimeout),
                Some(Timer::EchoTimeout) => self.die(DeadReason::EchoTimeout),
                Some(Timer::Idle) => {
                    self.timers.stop(Timer::Idle);
                    let xid = self.alloc_xid();
                    if self.send_internal(&Message::new(xid, Body::EchoRequest(Echo::default()))) {
                        self.echo = Some((xid, now));
                        self.stats.echo_requests_sent += 1;
                        self.timers
                            .start(Timer::EchoTimeout, now, self.config.echo_timeout);
                    }
                }
            }
        }
    }

    /// The switch closed the stream (a read returned 0 bytes, or failed): the connection is
    /// dead with [`DeadReason::PeerClosed`].
    pub fn handle_eof(&mut self, now: Instant) {
        self.clock(now);
        self.die(DeadReason::PeerClosed);
    }

    // ---------------------------------------------------------------- mutators

    /// Sends `body` with a fresh xid, which it returns. No reply is awaited: an ERROR the
    /// switch sends about it comes as [`Event::Message`] with this xid. Allowed in every state
    /// but [`State::Dead`] (Ryu's applications install flows in CONFIG, on FEATURES_REPLY).
    pub fn send(&mut self, now: Instant, body: Body) -> Result<u32, SendError> {
        self.clock(now);
        self.check_alive()?;
        let xid = self.alloc_xid();
        self.enqueue(&[Message::new(xid, body)])?;
        Ok(xid)
    }

    /// Sends a message that has a reply (FEATURES_REQUEST, GET_CONFIG_REQUEST,
    /// MULTIPART_REQUEST, BARRIER_REQUEST, QUEUE_GET_CONFIG_REQUEST, ROLE_REQUEST,
    /// GET_ASYNC_REQUEST, ECHO_REQUEST or EXPERIMENTER) and returns its xid. The message with
    /// that xid and the reply's type ends it with [`Event::Reply`] (multipart parts are
    /// gathered until one comes without REPLY_MORE; a barrier gives
    /// [`Event::BarrierComplete`]); an ERROR with that xid ends it with
    /// [`Event::RequestFailed`].
    pub fn request(&mut self, now: Instant, body: Body) -> Result<u32, SendError> {
        self.clock(now);
        self.check_alive()?;
        let msg_type = body.msg_type();
        let reply = reply_type(msg_type).ok_or(SendError::NoReply { msg_type })?;
        self.check_slot()?;
        let xid = self.alloc_xid();
        self.enqueue(&[Message::new(xid, body)])?;
        self.add_pending(xid, Pending::new(Waiter::App(msg_type), reply));
        Ok(xid)
    }

    /// A multipart request in several messages (a large TABLE_FEATURES set, say): all parts
    /// share one xid, REQ_MORE is set on all but the last. Queued whole or not at all. Ends
    /// like [`request`](Self::request).
    pub fn request_multipart(
        &mut self,
        now: Instant,
        parts: Vec<MultipartRequest>,
    ) -> Result<u32, SendError> {
        self.clock(now);
        self.check_alive()?;
        if parts.is_empty() {
            return Err(SendError::EmptyMultipart);
        }
        self.check_slot()?;
        let xid = self.alloc_xid();
        let n = parts.len();
        let msgs: Vec<Message> = parts
            .into_iter()
            .enumerate()
            .map(|(i, p)| Message::new(xid, Body::MultipartRequest(p.with_more(i + 1 < n))))
            .collect();
        self.enqueue(&msgs)?;
        self.add_pending(
            xid,
            Pending::new(
                Waiter::App(MsgType::MULTIPART_REQUEST),
                MsgType::MULTIPART_REPLY,
            ),
        );
        Ok(xid)
    }

    /// Sends BARRIER_REQUEST; its reply gives [`Event::BarrierComplete`] with the returned xid.
    pub fn barrier(&mut self, now: Instant) -> Result<u32, SendError> {
        self.request(now, Body::BarrierRequest)
    }

    /// Forgets an outstanding request: a reply that comes later is an [`Event::Message`].
    /// Returns false when no application request has that xid.
    pub fn cancel(&mut self, xid: u32) -> bool {
        match self.pending.get(&xid) {
            Some(p) if matches!(p.waiter, Waiter::App(_)) => {
                self.remove_pending(xid);
                true
            }
            _ => false,
        }
    }

    /// Closes the connection: dead with [`DeadReason::Closed`]. What is queued can still be
    /// transmitted.
    pub fn close(&mut self, now: Instant) {
        self.clock(now);
        self.die(DeadReason::Closed);
    }

    // ---------------------------------------------------------------- outputs

    /// Everything queued for the switch: clears `buf`, puts the bytes into it (whole
    /// messages, in order; write them to the socket in full) and says how many; `None`, with
    /// `buf` cleared, when nothing is queued.
    ///
    /// Keep one `Vec` and pass it every time: the connection trades its queue for the
    /// caller's buffer, so once both have grown to the traffic's size no call allocates.
    pub fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        buf.clear();
        if self.out.is_empty() {
            return None;
        }
        core::mem::swap(buf, &mut self.out);
        let messages = core::mem::take(&mut self.out_messages);
        Some(Transmit {
            len: buf.len(),
            messages,
        })
    }

    /// The next event, oldest first. See [`Config::max_events`] for what is dropped when the
    /// application does not keep up, and [`Event::Resync`] for how it learns.
    #[inline(always)]
    pub fn poll_event(&mut self) -> Option<Event> {
        // A message, unless another event was queued before it.
        if !self.run.is_empty() && self.events.front().is_none_or(|q| q.at > self.messages_out) {
            self.messages_out += 1;
            self.droppable_queued = self.droppable_queued.saturating_sub(1);
            // Split the first message off the run, unless it is the last.
            if let Some(a) = self.run.first_chunk::<HEADER_LEN>() {
                let length = u16::from_be_bytes([a[2], a[3]]);
                let len = usize::from(length);
                if len >= HEADER_LEN && len < self.run.len() {
                    let header = Header {
                        version: a[0],
                        msg_type: MsgType(a[1]),
                        length,
                        xid: u32::from_be_bytes([a[4], a[5], a[6], a[7]]),
                    };
                    let bytes = self.run.slice(..len);
                    bytes::Buf::advance(&mut self.run, len);
                    return Some(Event::Message(Frame { header, bytes }));
                }
            }
            return Some(Event::Message(self.last_of_run()));
        }
        self.poll_other_event()
    }

    /// The last message of `run` (or, never, bytes that are no whole message: handed out as
    /// they are rather than lost); the next run takes its place.
    #[cold]
    #[inline(never)]
    fn last_of_run(&mut self) -> Frame {
        let next = self.messages.pop_front().unwrap_or_default();
        whole_frame(core::mem::replace(&mut self.run, next))
    }

    /// The event at the front of `events` (no message comes before it).
    #[inline(never)]
    fn poll_other_event(&mut self) -> Option<Event> {
        let q = self.events.pop_front()?;
        match q.class {
            Class::Droppable(_) => {
                self.droppable_queued = self.droppable_queued.saturating_sub(1);
            }
            Class::Resolution => {
                self.resolutions_queued = self.resolutions_queued.saturating_sub(1);
            }
            Class::Control => {}
        }
        Some(q.event)
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) next: no state change is ever due
    /// before this instant (a `handle_timeout` earlier changes nothing), and the one due then
    /// happens in the `handle_timeout` call made at or after it. `None` when no timer runs
    /// (dead, or every timer disabled). Valid from [`Connection::new`] on; read it again after
    /// every `handle_*` and mutator call (received bytes push the keepalive back).
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.timers.earliest()
    }

    // ---------------------------------------------------------------- internals

    /// Time never goes backwards: an earlier `now` counts as the latest seen.
    fn clock(&mut self, now: Instant) -> Instant {
        if now > self.now {
            self.now = now;
        }
        self.now
    }

    fn check_alive(&self) -> Result<(), SendError> {
        if self.state == State::Dead {
            Err(SendError::Dead)
        } else {
            Ok(())
        }
    }

    fn check_slot(&self) -> Result<(), SendError> {
        let limit = self.config.max_outstanding_requests;
        if self.app_pending.saturating_add(self.resolutions_queued) >= limit {
            Err(SendError::TooManyRequests { limit })
        } else {
            Ok(())
        }
    }

    /// A fresh xid: counting up, wrapping, never 0, never one still waiting for a reply.
    fn alloc_xid(&mut self) -> u32 {
        loop {
            let xid = self.next_xid;
            self.next_xid = match xid.wrapping_add(1) {
                0 => 1,
                n => n,
            };
            let in_use =
                self.pending.contains_key(&xid) || self.echo.is_some_and(|(e, _)| e == xid);
            if !in_use {
                return xid;
            }
        }
    }

    fn add_pending(&mut self, xid: u32, p: Pending) {
        if matches!(p.waiter, Waiter::App(_)) {
            self.app_pending += 1;
        }
        self.pending.insert(xid, p);
    }

    fn remove_pending(&mut self, xid: u32) -> Option<Pending> {
        let p = self.pending.remove(&xid)?;
        if matches!(p.waiter, Waiter::App(_)) {
            self.app_pending = self.app_pending.saturating_sub(1);
        }
        Some(p)
    }

    /// Encodes `msgs` into the transmit queue, all or none.
    fn enqueue(&mut self, msgs: &[Message]) -> Result<(), SendError> {
        let len = msgs
            .iter()
            .fold(0usize, |n, m| n.saturating_add(m.encoded_len()));
        self.check_room(len)?;
        let queued = self.out.len();
        self.out.reserve(len);
        for m in msgs {
            if let Err(e) = m.encode_append(&mut self.out) {
                self.out.truncate(queued);
                return Err(SendError::Encode(e));
            }
        }
        self.queued(len, msgs.len());
        Ok(())
    }

    /// Refuses `len` more bytes past [`Config::max_transmit_len`].
    fn check_room(&self, len: usize) -> Result<(), SendError> {
        let limit = self.config.max_transmit_len;
        let queued = self.out.len();
        if queued.saturating_add(len) > limit {
            Err(SendError::TransmitFull { queued, len, limit })
        } else {
            Ok(())
        }
    }

    /// `len` bytes of `messages` messages were queued.
    fn queued(&mut self, len: usize, messages: usize) {
        self.out_messages = self.out_messages.saturating_add(messages);
        self.stats.bytes_sent = self.stats.bytes_sent.saturating_add(len64(len));
        self.stats.messages_sent = self.stats.messages_sent.saturating_add(len64(messages));
    }

    /// Queues a message the protocol requires; if it cannot be queued the connection dies.
    /// Returns whether it was queued.
    fn send_internal(&mut self, m: &Message) -> bool {
        match self.enqueue(core::slice::from_ref(m)) {
            Ok(()) => true,
            Err(SendError::Encode(e)) => {
                self.die(DeadReason::Unencodable(e));
                false
            }
            Err(_) => {
                self.die(DeadReason::TransmitOverflow {
                    limit: self.config.max_transmit_len,
                });
                false
            }
        }
    }

    /// Queues an [`Event::Message`], or counts it dropped when [`Config::max_events`]
    /// unsolicited events wait.
    fn push_message(&mut self, frame: Frame) {
        if self.droppable_queued >= self.config.max_events {
            return self.dropped(DropKind::Message);
        }
        self.droppable_queued += 1;
        self.messages_in += 1;
        self.push_run(frame.bytes);
    }

    /// Queues a run of whole messages (never empty) after those waiting.
    fn push_run(&mut self, run: Bytes) {
        if self.run.is_empty() {
            self.run = run;
        } else {
            self.messages.push_back(run);
        }
    }

    fn push(&mut self, class: Class, event: Event) {
        match class {
            Class::Droppable(kind) if self.droppable_queued >= self.config.max_events => {
                return self.dropped(kind);
            }
            Class::Droppable(DropKind::Message) => {
                if let Event::Message(frame) = event {
                    return self.push_message(frame);
                }
                self.droppable_queued += 1;
            }
            Class::Droppable(_) => self.droppable_queued += 1,
            Class::Resolution => self.resolutions_queued += 1,
            Class::Control => {}
        }
        let at = self.messages_in;
        self.events.push_back(Queued { event, class, at });
    }

    /// An unsolicited event of `kind` did not fit: counted, and reported by the
    /// [`Event::Resync`] at the end of the queue (a new one if anything came after the last).
    #[cold]
    fn dropped(&mut self, kind: DropKind) {
        self.stats.events_dropped = self.stats.events_dropped.saturating_add(1);
        let counter = |d: &mut Dropped| match kind {
            DropKind::Message => d.messages = d.messages.saturating_add(1),
            DropKind::PortStatus => d.port_status = d.port_status.saturating_add(1),
            DropKind::Other => d.other = d.other.saturating_add(1),
        };
        let messages_in = self.messages_in;
        if let Some(Queued {
            event: Event::Resync { dropped },
            at,
            ..
        }) = self.events.back_mut()
        {
            // The last event queued, with no message after it.
            if *at == messages_in {
                return counter(dropped);
            }
        }
        let mut one = Dropped::default();
        counter(&mut one);
        self.events.push_back(Queued {
            event: Event::Resync { dropped: one },
            class: Class::Control,
            at: messages_in,
        });
    }

    fn set_state(&mut self, to: State) {
        let from = core::mem::replace(&mut self.state, to);
        if from != to {
            self.push(Class::Control, Event::StateChanged { from, to });
        }
    }

    fn die(&mut self, reason: DeadReason) {
        if self.state == State::Dead {
            return;
        }
        self.set_state(State::Dead);
        self.timers = Timers::default();
        self.pending.clear();
        self.app_pending = 0;
        self.echo = None;
        self.framer = Framer::new();
        self.dead_reason = Some(reason.clone());
        self.push(Class::Control, Event::Dead { reason });
    }

    /// One whole message; `Err` when it is refused (see [`InputError`]).
    fn on_frame(&mut self, now: Instant, frame: Frame) -> Result<(), Error> {
        self.stats.messages_received = self.stats.messages_received.saturating_add(1);
        let header = frame.header;
        if self.state == State::Handshake {
            self.on_handshake_frame(frame);
            return Ok(());
        }
        if header.version != OFP_VERSION {
            self.die(DeadReason::BadVersion {
                found: header.version,
            });
            return Ok(());
        }
        let xid = header.xid;
        let ty = header.msg_type;
        match ty {
            MsgType::ECHO_REQUEST => {
                self.answer_echo(&frame);
                return Ok(());
            }
            MsgType::ECHO_REPLY if self.echo.is_some_and(|(e, _)| e == xid) => {
                if let Some((_, sent)) = self.echo.take() {
                    self.stats.echo_replies_received += 1;
                    self.push(
                        Class::Droppable(DropKind::Other),
                        Event::EchoRtt(now.saturating_duration_since(sent)),
                    );
                }
                return Ok(());
            }
            // Whatever its xid: the switch does not accept the version after all.
            MsgType::ERROR
                if self.state == State::Config
                    && error_type(&frame) == Some(ErrorType::HELLO_FAILED) =>
            {
                let error = parse_error(&frame)?;
                self.die(DeadReason::PeerHelloFailed(error));
                return Ok(());
            }
            _ => {}
        }
        // Only an ERROR or a reply type can answer a request (PACKET_IN never looks it up).
        if ty == MsgType::ERROR || is_reply_type(ty) {
            match self.pending.get(&xid) {
                Some(p) if ty == MsgType::ERROR || ty == p.reply => {
                    return self.on_reply(xid, frame);
                }
                _ => {}
            }
        }
        if ty == MsgType::PORT_STATUS {
            // A PORT_STATUS decodes to a PORT_STATUS body.
            if let Body::PortStatus(ps) = frame.decode()?.body {
                self.on_port_status(ps);
            }
            return Ok(());
        }
        self.push_message(frame);
        Ok(())
    }

    /// ECHO_REPLY with the request's xid and data: its bytes with the type changed.
    fn answer_echo(&mut self, request: &Frame) {
        let len = request.bytes.len();
        if self.check_room(len).is_err() {
            return self.die(DeadReason::TransmitOverflow {
                limit: self.config.max_transmit_len,
            });
        }
        let start = self.out.len();
        self.out.extend_from_slice(&request.bytes);
        if let Some(t) = self.out.get_mut(start + 1) {
            *t = MsgType::ECHO_REPLY.0;
        }
        self.queued(len, 1);
        self.stats.echo_requests_answered += 1;
    }

    /// The first message: the switch's HELLO (of any version), or the end.
    fn on_handshake_frame(&mut self, frame: Frame) {
        let h = frame.header;
        let body = frame.bytes.get(HEADER_LEN..).unwrap_or(&[]);
        match h.msg_type {
            MsgType::HELLO => {
                // A body we cannot read (another version's HELLO may carry anything) says
                // nothing: negotiate by the header's version.
                let theirs =
                    Hello::parse_body(&mut Reader::new(body, HEADER_LEN)).unwrap_or_default();
                let agreed = Hello::negotiate(&self.our_hello, OFP_VERSION, &theirs, h.version);
                if agreed == Some(OFP_VERSION) {
                    self.set_state(State::Config);
                    let xid = self.alloc_xid();
                    if self.send_internal(&Message::new(xid, Body::FeaturesRequest)) {
                        self.add_pending(
                            xid,
                            Pending::new(Waiter::Features, MsgType::FEATURES_REPLY),
                        );
                    }
                } else {
                    let offered: Vec<u8> = if theirs.version_bitmap().is_some() {
                        theirs.versions().collect()
                    } else {
                        alloc::vec![h.version]
                    };
                    let reason = DeadReason::VersionMismatch {
                        header_version: h.version,
                        offered,
                    };
                    let text = format!("{reason}");
                    let error = ErrorMsg::hello_failed(HelloFailedCode::INCOMPATIBLE, &text);
                    if self.send_internal(&Message::new(h.xid, Body::Error(error))) {
                        self.die(reason);
                    }
                }
            }
            MsgType::ERROR => {
                let error = ErrorMsg::parse_body(&mut Reader::new(body, HEADER_LEN));
                match error {
                    Ok(e) if e.type_ == ErrorType::HELLO_FAILED => {
                        self.die(DeadReason::PeerHelloFailed(e));
                    }
                    _ => self.die(DeadReason::NoHello {
                        msg_type: h.msg_type,
                    }),
                }
            }
            other => self.die(DeadReason::NoHello { msg_type: other }),
        }
    }

    /// `frame` (a reply or an ERROR) has the xid of an outstanding request.
    fn on_reply(&mut self, xid: u32, frame: Frame) -> Result<(), Error> {
        // Out of the table while it is worked on; back in when more parts are to come.
        let Some(mut p) = self.pending.remove(&xid) else {
            return Ok(());
        };
        let waiter = p.waiter;
        let ty = frame.header.msg_type;
        if ty == MsgType::ERROR {
            self.ended(&p);
            let error = match parse_error(&frame) {
                Ok(e) => e,
                Err(e) => {
                    self.reply_malformed(xid, &p, e.clone());
                    return Err(e);
                }
            };
            match waiter {
                Waiter::App(request) if !p.overflowed => self.push(
                    Class::Resolution,
                    Event::RequestFailed {
                        xid,
                        request,
                        error,
                    },
                ),
                Waiter::App(_) => {}
                Waiter::Features => self.die(DeadReason::HandshakeFailed {
                    request: MsgType::FEATURES_REQUEST,
                    error,
                }),
                Waiter::PortDesc => self.die(DeadReason::HandshakeFailed {
                    request: MsgType::MULTIPART_REQUEST,
                    error,
                }),
            }
            return Ok(());
        }
        match waiter {
            Waiter::App(MsgType::BARRIER_REQUEST) => {
                self.ended(&p);
                self.push(Class::Resolution, Event::BarrierComplete { xid });
                Ok(())
            }
            Waiter::App(request) if ty != MsgType::MULTIPART_REPLY => {
                self.ended(&p);
                self.push(
                    Class::Resolution,
                    Event::Reply {
                        xid,
                        request,
                        reply: Reply::Message(frame),
                    },
                );
                Ok(())
            }
            Waiter::App(request) => {
                let more = match multipart_more(&frame) {
                    Ok(more) => more,
                    Err(e) => {
                        self.ended(&p);
                        self.reply_malformed(xid, &p, e.clone());
                        return Err(e);
                    }
                };
                if !p.overflowed {
                    p.len = p.len.saturating_add(frame.bytes.len());
                    if p.len > self.config.max_reply_len {
                        p.overflowed = true;
                        p.parts = Vec::new();
                        let limit = self.config.max_reply_len;
                        self.push(
                            Class::Resolution,
                            Event::Overflow(Overflow::Reply {
                                xid,
                                request,
                                limit,
                            }),
                        );
                    } else {
                        p.parts.push(frame);
                    }
                }
                if more {
                    self.pending.insert(xid, p);
                } else {
                    self.ended(&p);
                    if !p.overflowed {
                        self.push(
                            Class::Resolution,
                            Event::Reply {
                                xid,
                                request,
                                reply: Reply::Multipart(p.parts),
                            },
                        );
                    }
                }
                Ok(())
            }
            Waiter::Features => match frame.decode() {
                Ok(Message {
                    body: Body::FeaturesReply(f),
                    ..
                }) => {
                    self.on_features(f);
                    Ok(())
                }
                Ok(_) => Ok(()),
                Err(error) => {
                    self.die(DeadReason::HandshakeMalformed {
                        request: MsgType::FEATURES_REQUEST,
                        error: error.clone(),
                    });
                    Err(error)
                }
            },
            Waiter::PortDesc => self.on_port_desc(xid, p, &frame),
        }
    }

    /// A part of the handshake's PORT_DESC reply.
    fn on_port_desc(&mut self, xid: u32, mut p: Pending, frame: &Frame) -> Result<(), Error> {
        let part = match frame.decode() {
            Ok(Message {
                body: Body::MultipartReply(part),
                ..
            }) => part,
            Ok(_) => return Ok(()),
            Err(error) => {
                self.die(DeadReason::HandshakeMalformed {
                    request: MsgType::MULTIPART_REQUEST,
                    error: error.clone(),
                });
                return Err(error);
            }
        };
        let more = part.more();
        let MultipartReplyBody::PortDesc(ports) = part.body else {
            let error = Error::BadValue {
                what: "ofp_multipart_reply.type",
                offset: HEADER_LEN,
                value: u64::from(part.body.multipart_type().0),
                expected: "OFPMP_PORT_DESC",
            };
            self.die(DeadReason::HandshakeMalformed {
                request: MsgType::MULTIPART_REQUEST,
                error,
            });
            return Ok(());
        };
        let room = self.config.max_ports.saturating_sub(p.ports.len());
        let mut ports = ports.into_iter();
        p.ports.extend(ports.by_ref().take(room));
        let left_out = ports.next().map(|q| q.port_no);
        if let (Some(port), false) = (left_out, p.overflowed) {
            p.overflowed = true;
            let limit = self.config.max_ports;
            self.push(
                Class::Droppable(DropKind::Other),
                Event::Overflow(Overflow::Ports { port, limit }),
            );
        }
        if more {
            self.pending.insert(xid, p);
        } else {
            self.on_ports_known(p.ports);
        }
        Ok(())
    }

    /// The reply to `p` (taken out of the table) did not parse: its request is over.
    fn reply_malformed(&mut self, xid: u32, p: &Pending, error: Error) {
        match p.waiter {
            Waiter::App(request) if !p.overflowed => self.push(
                Class::Resolution,
                Event::ReplyMalformed {
                    xid,
                    request,
                    error,
                },
            ),
            // An overflowed request already had its event.
            Waiter::App(_) => {}
            Waiter::Features => self.die(DeadReason::HandshakeMalformed {
                request: MsgType::FEATURES_REQUEST,
                error,
            }),
            Waiter::PortDesc => self.die(DeadReason::HandshakeMalformed {
                request: MsgType::MULTIPART_REQUEST,
                error,
            }),
        }
    }

    /// `p`, taken out of the table, is over.
    fn ended(&mut self, p: &Pending) {
        if matches!(p.waiter, Waiter::App(_)) {
            self.app_pending = self.app_pending.saturating_sub(1);
        }
    }

    fn on_features(&mut self, f: SwitchFeatures) {
        self.features = Some(f);
        self.push(Class::Control, Event::SwitchFeatures(f));
        let xid = self.alloc_xid();
        let request = Body::MultipartRequest(MultipartRequest::port_desc());
        if self.send_internal(&Message::new(xid, request)) {
            self.add_pending(
                xid,
                Pending::new(Waiter::PortDesc, MsgType::MULTIPART_REPLY),
            );
        }
    }

    fn on_ports_known(&mut self, ports: Vec<Port>) {
        self.ports = ports.into_iter().map(|p| (p.port_no, p)).collect();
        let list: Vec<Port> = self.ports.values().copied().collect();
        self.push(Class::Control, Event::PortsKnown(list));
        self.timers.stop(Timer::Handshake);
        self.set_state(State::Main);
    }

    fn on_port_status(&mut self, ps: PortStatus) {
        let port = ps.desc;
        let no = port.port_no;
        let previous = self.ports.get(&no).copied();
        match ps.reason {
            PortReason::ADD | PortReason::MODIFY => {
                if previous.is_some() || self.ports.len() < self.config.max_ports {
                    self.ports.insert(no, port);
                } else {
                    let limit = self.config.max_ports;
                    self.push(
                        Class::Droppable(DropKind::Other),
                        Event::Overflow(Overflow::Ports { port: no, limit }),
                    );
                }
            }
            PortReason::DELETE => {
                self.ports.remove(&no);
            }
            // A reason this codec does not know: the list is left as it is.
            _ => {}
        }
        self.push(
            Class::Droppable(DropKind::PortStatus),
            Event::PortStatus {
                reason: ps.reason,
                port,
                previous,
            },
        );
    }
}

/// The `type` of an OFPT_ERROR frame, read without parsing the rest.
fn error_type(frame: &Frame) -> Option<ErrorType> {
    let b = frame.bytes.get(HEADER_LEN..HEADER_LEN + 2)?;
    Some(ErrorType(u16::from_be_bytes([*b.first()?, *b.get(1)?])))
}

/// An OFPT_ERROR frame's body.
fn parse_error(frame: &Frame) -> Result<ErrorMsg, Error> {
    Header::parse(&frame.bytes)?;
    let mut r = Reader::new(frame.bytes.get(HEADER_LEN..).unwrap_or(&[]), HEADER_LEN);
    let e = ErrorMsg::parse_body(&mut r)?;
    r.finish("message body")?;
    Ok(e)
}

/// Whether an OFPT_MULTIPART_REPLY frame has REPLY_MORE set: its 16-byte head (header, type,
/// flags, padding) is all that is read.
fn multipart_more(frame: &Frame) -> Result<bool, Error> {
    const OFPMPF_REPLY_MORE: u16 = 1;
    let mut r = Reader::new(frame.bytes.get(HEADER_LEN..).unwrap_or(&[]), HEADER_LEN);
    r.u16("ofp_multipart_reply.type")?;
    let flags = r.u16("ofp_multipart_reply.flags")?;
    r.bytes(4, "ofp_multipart_reply.pad")?;
    Ok(flags & OFPMPF_REPLY_MORE != 0)
}

/// `usize` to `u64` for counters (lossless on every platform Rust supports).
fn len64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn t0() -> Instant {
        Instant::from_secs(1)
    }

    #[test]
    fn timer_table_returns_the_earliest_and_saturates() {
        let now = t0();
        let mut t = Timers::default();
        assert_eq!(t.earliest(), None);
        t.start(Timer::Idle, now, Duration::from_secs(5));
        t.start(Timer::Handshake, now, Duration::from_secs(10));
        assert_eq!(t.earliest(), Some(now + Duration::from_secs(5)));
        assert_eq!(t.expired(now), None);
        assert_eq!(
            t.expired(now + Duration::from_secs(10)),
            Some(Timer::Handshake)
        );
        // quinn #290: an instant past the clock's range is "never", not a panic.
        t.start(Timer::EchoTimeout, now, Duration::MAX);
        assert_eq!(t.get(Timer::EchoTimeout), None);
        t.stop(Timer::Idle);
        t.stop(Timer::Handshake);
        assert_eq!(t.earliest(), None);
    }

    #[test]
    fn xids_skip_zero_and_ids_in_use() {
        let config = Config {
            first_xid: 0,
            ..Config::default()
        };
        let mut c = Connection::new(config, t0());
        // new() took xid 1 for HELLO (first_xid 0 means 1).
        assert_eq!(c.next_xid, 2);
        c.add_pending(
            3,
            Pending::new(
                Waiter::App(MsgType::BARRIER_REQUEST),
                MsgType::BARRIER_REPLY,
            ),
        );
        c.echo = Some((4, c.now));
        assert_eq!(c.alloc_xid(), 2);
        assert_eq!(c.alloc_xid(), 5);
        c.next_xid = u32::MAX;
        assert_eq!(c.alloc_xid(), u32::MAX);
        assert_eq!(c.alloc_xid(), 1);
        assert_eq!(c.alloc_xid(), 2);
        assert_eq!(c.alloc_xid(), 5);
    }

    fn frame(m: &Message) -> Frame {
        let bytes = bytes::Bytes::from(m.to_vec().unwrap());
        Frame {
            header: Header::parse(&bytes).unwrap(),
            bytes,
        }
    }

    #[test]
    fn merging_refuses_mixed_and_repeated_fixed_parts() {
        use crate::multipart::MultipartReplyBody as B;
        let desc_part = || MultipartReply::new(B::Desc(alloc::boxed::Box::default()));
        let desc = || frame(&Message::new(1, Body::MultipartReply(desc_part())));
        assert_eq!(
            Reply::Multipart(alloc::vec![desc()]).merged(),
            Ok(Some(desc_part().body))
        );
        assert_eq!(
            Reply::Multipart(alloc::vec![desc()]).decode_parts(),
            Ok(alloc::vec![desc_part()])
        );
        assert_eq!(
            Reply::Multipart(alloc::vec![desc(), desc()]).merged(),
            Ok(None)
        );
        let ports = frame(&Message::new(
            1,
            Body::MultipartReply(MultipartReply::new(B::PortDesc(alloc::vec![]))),
        ));
        assert_eq!(
            Reply::Multipart(alloc::vec![ports.clone(), desc()]).merged(),
            Ok(None)
        );
        assert_eq!(Reply::Multipart(alloc::vec![]).merged(), Ok(None));
        let m = Reply::Message(frame(&Message::new(1, Body::BarrierReply)));
        assert_eq!(m.merged(), Ok(None));
        assert!(m.parts().is_empty());
        assert!(m.message().is_some());
        // A part that is no multipart reply does not decode as one.
        let wrong = Reply::Multipart(alloc::vec![frame(&Message::new(1, Body::BarrierReply))]);
        assert!(matches!(
            wrong.merged(),
            Err(Error::BadValue {
                what: "ofp_header.type",
                ..
            })
        ));
    }

    #[test]
    fn refusals_read_well() {
        let e = InputError {
            header: Header {
                version: 4,
                msg_type: MsgType::PORT_STATUS,
                length: 9,
                xid: 7,
            },
            error: Error::TrailingBytes {
                what: "message body",
                offset: 8,
                extra: 1,
            },
            refused: 3,
        };
        let text = e.to_string();
        assert!(
            text.starts_with("refused OFPT_PORT_STATUS (xid 7) from the switch: "),
            "{text}"
        );
        assert!(text.ends_with(" (and 2 more)"), "{text}");
    }

    #[test]
    fn reasons_read_well() {
        let r = DeadReason::VersionMismatch {
            header_version: 1,
            offered: alloc::vec![1, 2],
        };
        assert_eq!(
            r.to_string(),
            "version negotiation failed: the switch offers OpenFlow 1.0 (0x01), 1.1 (0x02), \
             this controller speaks 1.3 (0x04) only"
        );
        assert_eq!(version_text(0x63), "0x63");
        assert_eq!(versions_text(&[]), "no version");
    }
}
