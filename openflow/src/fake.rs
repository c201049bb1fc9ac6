//! A fake OpenFlow 1.3 switch for controller tests (feature `fake-switch`).
//!
//! [`FakeSwitch`] is the switch's end of an OpenFlow connection, without I/O, like
//! [`Connection`] is the controller's: it reads the bytes a controller wrote
//! ([`FakeSwitch::handle_bytes`]) and gives the bytes it writes back
//! ([`FakeSwitch::poll_transmit`]). It plays the part of Open vSwitch in a test of a
//! controller application, on a virtual clock, with no socket and no process:
//!
//! - it answers what a switch answers by itself: its HELLO (sent at once), FEATURES_REQUEST
//!   ([`Config::features`]), the multipart requests it has a reply for (PORT_DESC from its
//!   port list, DESC from [`Config::desc`], any other type once the test gave a canned reply
//!   with [`FakeSwitch::set_reply`]), ECHO_REQUEST, BARRIER_REQUEST, GET_CONFIG_REQUEST
//!   (SET_CONFIG changes what it answers) and ROLE_REQUEST; each kind can be silenced with
//!   [`FakeSwitch::set_answer`] (an unanswered ECHO_REQUEST tests a keepalive timeout);
//! - it records what the controller sent: every message in order
//!   ([`FakeSwitch::take_received`]), and the FLOW_MODs and PACKET_OUTs apart
//!   ([`FakeSwitch::flow_mods`], [`FakeSwitch::packet_outs`]);
//! - the test makes it speak: [`FakeSwitch::packet_in`], [`FakeSwitch::port_status`] (its
//!   port list follows), [`FakeSwitch::error`], [`FakeSwitch::reply`] (to a request it left
//!   for the test to answer), or any [`Message`] ([`FakeSwitch::send_message`]) and raw bytes
//!   ([`FakeSwitch::send_bytes`]).
//!
//! A multipart request it has no reply for is recorded and left unanswered: the test answers
//! it with [`FakeSwitch::reply`] (the xid is in the recorded message), or installs a canned
//! reply first. Memory is bounded: at most [`Config::max_recorded`] messages are kept in each
//! record (the oldest are dropped and counted in [`Stats::records_dropped`]).
//!
//! [`FakeSwitch::exchange`] moves bytes both ways between a [`Connection`] and the fake until
//! neither has anything left to send; the connection's events stay queued for the test.
//!
//! ```
//! use sdnwire_openflow::connection::{Config, Connection, Event, State};
//! use sdnwire_openflow::fake::{self, FakeSwitch};
//! use sdnwire_openflow::flow_mod::FlowMod;
//! use sdnwire_openflow::oxm::Match;
//! use sdnwire_openflow::{Body, Instant};
//!
//! let now = Instant::ZERO;
//! let mut conn = Connection::new(Config::default(), now);
//! let mut switch = FakeSwitch::new(fake::Config::default());
//! switch.exchange(&mut conn, now)?;
//! assert_eq!(conn.state(), State::Main);
//! assert_eq!(conn.ports().len(), 4); // ports 1, 2, 3 and LOCAL
//!
//! // A packet arrives on port 2; the controller installs a flow for it.
//! switch.packet_in(2u32, vec![0xff; 60])?;
//! switch.exchange(&mut conn, now)?;
//! while let Some(ev) = conn.poll_event() {
//!     if let Event::Message(frame) = ev {
//!         let pin = frame.packet_in().expect("a PACKET_IN")?;
//!         let in_port = pin.in_port().expect("in_port");
//!         let flow = FlowMod::add().matching(Match::new().in_port(in_port));
//!         conn.send(now, Body::FlowMod(flow)).expect("room to send");
//!     }
//! }
//! switch.exchange(&mut conn, now)?;
//! assert_eq!(switch.flow_mods().len(), 1);
//! assert_eq!(switch.flow_mods()[0].match_, Match::new().in_port(2u32));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`Connection`]: crate::connection::Connection

use alloc::collections::{BTreeMap, VecDeque};
use alloc::format;
use alloc::vec::Vec;

use sdnwire_packet::time::Instant;
use sdnwire_packet::MacAddr;

use crate::config::SwitchConfig;
use crate::connection::{Connection, InputError};
use crate::error::Error;
use crate::error_msg::ErrorMsg;
use crate::features::{Capabilities, DatapathId, SwitchFeatures};
use crate::flow_mod::FlowMod;
use crate::framing::Framer;
use crate::header::MsgType;
use crate::hello::Hello;
use crate::message::{Body, Message};
use crate::multipart::{Desc, MultipartReply, MultipartReplyBody, MultipartRequestBody};
use crate::packet_in::PacketIn;
use crate::packet_out::PacketOut;
use crate::port::{Port, PortReason, PortStatus};
use crate::role::{ControllerRole, Role};
use crate::types::PortNo;
use crate::Encode;

/// Ports per PORT_DESC reply part: 256 ports of 64 bytes fit one message with room to spare.
const PORTS_PER_PART: usize = 256;

/// What a [`FakeSwitch`] is: its features, ports and answers. Start from
/// [`Config::default`] and change fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The FEATURES_REPLY body. Default: datapath id 1, no buffers, 254 tables, flow and
    /// port statistics.
    pub features: SwitchFeatures,
    /// The ports, as PORT_DESC reports them. Default: ports 1, 2 and 3 named `p1`..`p3`
    /// with hardware addresses `aa:55:aa:55:00:02`..`aa:55:aa:55:00:04`, and LOCAL (`br0`,
    /// `02:00:00:00:00:01`).
    pub ports: Vec<Port>,
    /// The DESC reply. Default: manufacturer `sdnwire`, hardware `fake switch`.
    pub desc: Desc,
    /// What GET_CONFIG_REQUEST is answered with until a SET_CONFIG changes it.
    pub switch_config: SwitchConfig,
    /// Send the switch's HELLO as soon as the fake is made (default `true`, as a switch does
    /// on connecting). Off, the test sends one itself.
    pub send_hello: bool,
    /// Answer requests by themselves (default `true`). Off, the fake only records and sends
    /// what the test tells it to; [`FakeSwitch::set_answer`] turns kinds back on.
    pub answer: bool,
    /// Messages kept in each record (everything received, the FLOW_MODs, the PACKET_OUTs);
    /// past it the oldest are dropped and counted (the FLOW_MOD and PACKET_OUT records drop
    /// a quarter of this at once). Default 65 536.
    pub max_recorded: usize,
}

impl Default for Config {
    fn default() -> Self {
        let ports = (1..=3u8)
            .map(|i| {
                Port::new(
                    u32::from(i),
                    MacAddr([0xaa, 0x55, 0xaa, 0x55, 0, i + 1]),
                    &format!("p{i}"),
                )
            })
            .chain([Port::new(PortNo::LOCAL, MacAddr([2, 0, 0, 0, 0, 1]), "br0")])
            .collect();
        Config {
            features: SwitchFeatures {
                datapath_id: DatapathId(1),
                n_buffers: 0,
                n_tables: 254,
                auxiliary_id: 0,
                capabilities: Capabilities::FLOW_STATS | Capabilities::PORT_STATS,
                reserved: 0,
            },
            ports,
            desc: Desc::new("sdnwire", "fake switch", "0", "0", "fake"),
            switch_config: SwitchConfig::default(),
            send_hello: true,
            answer: true,
            max_recorded: 65_536,
        }
    }
}

/// Counters, from [`FakeSwitch::stats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Bytes given to [`FakeSwitch::handle_bytes`].
    pub bytes_received: u64,
    /// Messages read from them (the ones that did not parse included).
    pub messages_received: u64,
    /// Messages that did not parse (each an `Err` from [`FakeSwitch::handle_bytes`]).
    pub messages_refused: u64,
    /// Requests the fake answered by itself.
    pub answered: u64,
    /// Messages queued for the controller (answers and the test's).
    pub messages_sent: u64,
    /// Bytes queued for the controller.
    pub bytes_sent: u64,
    /// Recorded messages dropped past [`Config::max_recorded`].
    pub records_dropped: u64,
}

/// What stopped [`FakeSwitch::exchange`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError {
    /// The connection refused a message the fake sent.
    #[error("the connection refused the switch's message: {0}")]
    Controller(InputError),
    /// The fake could not read what the connection sent.
    #[error("the switch could not read the controller's message: {0}")]
    Switch(Error),
}

/// A fake OpenFlow 1.3 switch: see the [module documentation](self).
#[derive(Debug, Clone)]
pub struct FakeSwitch {
    config: Config,
    framer: Framer,
    /// Bytes for the controller.
    out: Vec<u8>,
    next_xid: u32,
    /// Message types not answered, one bit each.
    silenced: [u64; 4],
    /// Canned multipart replies by multipart type.
    canned: BTreeMap<u16, Vec<MultipartReplyBody>>,
    role: Role,
    received: VecDeque<Message>,
    flow_mods: Vec<FlowMod>,
    packet_outs: Vec<PacketOut>,
    stats: Stats,
}

impl FakeSwitch {
    /// A switch as `config` describes it; its HELLO is already queued when
    /// [`Config::send_hello`] is on.
    pub fn new(config: Config) -> FakeSwitch {
        let silenced = if config.answer { [0; 4] } else { [u64::MAX; 4] };
        let mut s = FakeSwitch {
            config,
            framer: Framer::new(),
            out: Vec::new(),
            next_xid: 0x4000_0000,
            silenced,
            canned: BTreeMap::new(),
            role: Role::new(ControllerRole::EQUAL, Role::NO_GENERATION_ID),
            received: VecDeque::new(),
            flow_mods: Vec::new(),
            packet_outs: Vec::new(),
            stats: Stats::default(),
        };
        if s.config.send_hello {
            // A HELLO always encodes.
            let _ = s.send(Body::Hello(Hello::new()));
        }
        s
    }

    /// The configuration it was made with (ports and switch config as they are now).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The ports, as PORT_DESC would report them now.
    pub fn ports(&self) -> &[Port] {
        &self.config.ports
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Answers messages of type `msg_type` by itself (`true`) or leaves them to the test
    /// (`false`). Only the request types listed in the [module documentation](self) are ever
    /// answered.
    pub fn set_answer(&mut self, msg_type: MsgType, on: bool) {
        let (word, bit) = (usize::from(msg_type.0 / 64), msg_type.0 % 64);
        if let Some(w) = self.silenced.get_mut(word) {
            if on {
                *w &= !(1u64 << bit);
            } else {
                *w |= 1u64 << bit;
            }
        }
    }

    fn answers(&self, msg_type: MsgType) -> bool {
        let (word, bit) = (usize::from(msg_type.0 / 64), msg_type.0 % 64);
        self.silenced
            .get(word)
            .is_some_and(|w| w & (1u64 << bit) == 0)
    }

    /// Answers every later multipart request of `body`'s type with `body` (replacing the
    /// fake's own answer for PORT_DESC and DESC).
    pub fn set_reply(&mut self, body: MultipartReplyBody) {
        self.set_reply_parts(alloc::vec![body]);
    }

    /// Answers every later multipart request of the parts' type with these parts (REPLY_MORE
    /// on all but the last). Nothing happens for an empty list.
    pub fn set_reply_parts(&mut self, parts: Vec<MultipartReplyBody>) {
        if let Some(first) = parts.first() {
            self.canned.insert(first.multipart_type().0, parts);
        }
    }

    // ------------------------------------------------------------------ input

    /// The bytes the controller wrote, in any chunking: each whole message is recorded and,
    /// when the fake answers its kind, answered.
    ///
    /// # Errors
    ///
    /// The first message that did not parse (the others are still handled), or a framing
    /// error, after which the stream is broken and every call returns it.
    pub fn handle_bytes(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.stats.bytes_received = self.stats.bytes_received.saturating_add(bytes.len() as u64);
        self.framer.push(bytes);
        let mut first_err = None;
        while let Some(frame) = self.framer.next_frame()? {
            self.stats.messages_received = self.stats.messages_received.saturating_add(1);
            match frame.decode() {
                Ok(m) => self.on_message(m)?,
                Err(e) => {
                    self.stats.messages_refused = self.stats.messages_refused.saturating_add(1);
                    first_err.get_or_insert(e);
                }
            }
        }
        first_err.map_or(Ok(()), Err)
    }

    fn on_message(&mut self, m: Message) -> Result<(), Error> {
        let xid = m.xid;
        let ty = m.msg_type();
        match &m.body {
            Body::FlowMod(f) => {
                let f = f.clone();
                self.record_flow_mod(f);
            }
            Body::PacketOut(p) => {
                let p = p.clone();
                self.record_packet_out(p);
            }
            Body::SetConfig(c) => self.config.switch_config = *c,
            _ => {}
        }
        let answer = if self.answers(ty) {
            match &m.body {
                Body::FeaturesRequest => {
                    Some(alloc::vec![Body::FeaturesReply(self.config.features)])
                }
                Body::EchoRequest(e) => Some(alloc::vec![Body::EchoReply(e.clone())]),
                Body::BarrierRequest => Some(alloc::vec![Body::BarrierReply]),
                Body::GetConfigRequest => {
                    Some(alloc::vec![Body::GetConfigReply(self.config.switch_config)])
                }
                Body::RoleRequest(r) => {
                    if r.role != ControllerRole::NOCHANGE {
                        self.role = *r;
                    }
                    Some(alloc::vec![Body::RoleReply(self.role)])
                }
                // A request in several parts is answered after its last part.
                Body::MultipartRequest(r) if !r.more() => self
                    .multipart_answer(&r.body)
                    .map(|parts| Self::parts(parts).collect()),
                _ => None,
            }
        } else {
            None
        };
        self.record(m);
        if let Some(bodies) = answer {
            self.stats.answered = self.stats.answered.saturating_add(1);
            for b in bodies {
                self.send_message(&Message::new(xid, b))?;
            }
        }
        Ok(())
    }

    fn multipart_answer(&self, req: &MultipartRequestBody) -> Option<Vec<MultipartReplyBody>> {
        let ty = req.multipart_type();
        if let Some(parts) = self.canned.get(&ty.0) {
            return Some(parts.clone());
        }
        match req {
            MultipartRequestBody::PortDesc => {
                let mut parts: Vec<_> = self
                    .config
                    .ports
                    .chunks(PORTS_PER_PART)
                    .map(|c| MultipartReplyBody::PortDesc(c.to_vec()))
                    .collect();
                if parts.is_empty() {
                    parts.push(MultipartReplyBody::PortDesc(Vec::new()));
                }
                Some(parts)
            }
            MultipartRequestBody::Desc => Some(alloc::vec![MultipartReplyBody::Desc(
                alloc::boxed::Box::new(self.config.desc.clone())
            )]),
            _ => None,
        }
    }

    /// Multipart reply parts as bodies, REPLY_MORE on all but the last.
    fn parts(parts: Vec<MultipartReplyBody>) -> impl Iterator<Item = Body> {
        let n = parts.len();
        parts
            .into_iter()
            .enumerate()
            .map(move |(i, p)| Body::MultipartReply(MultipartReply::new(p).with_more(i + 1 < n)))
    }

    /// Keeps at most `max` records, dropping the oldest. The FLOW_MOD and PACKET_OUT records
    /// are slices for the test, so they drop in batches (down to three quarters of `max`),
    /// which keeps a flood linear instead of shifting the whole record per message.
    fn bound<T>(v: &mut Vec<T>, max: usize, dropped: &mut u64) {
        if v.len() > max {
            let n = v.len() - (max - max / 4);
            v.drain(..n);
            *dropped = dropped.saturating_add(n as u64);
        }
    }

    fn record(&mut self, m: Message) {
        self.received.push_back(m);
        while self.received.len() > self.config.max_recorded {
            self.received.pop_front();
            self.stats.records_dropped = self.stats.records_dropped.saturating_add(1);
        }
    }

    fn record_flow_mod(&mut self, f: FlowMod) {
        self.flow_mods.push(f);
        Self::bound(
            &mut self.flow_mods,
            self.config.max_recorded,
            &mut self.stats.records_dropped,
        );
    }

    fn record_packet_out(&mut self, p: PacketOut) {
        self.packet_outs.push(p);
        Self::bound(
            &mut self.packet_outs,
            self.config.max_recorded,
            &mut self.stats.records_dropped,
        );
    }

    // ------------------------------------------------------------------ records

    /// Every message received since the last call, in order, answered ones included.
    pub fn take_received(&mut self) -> Vec<Message> {
        self.received.drain(..).collect()
    }

    /// The messages received and not yet taken.
    pub fn received(&self) -> impl ExactSizeIterator<Item = &Message> + '_ {
        self.received.iter()
    }

    /// Every FLOW_MOD received, in order.
    pub fn flow_mods(&self) -> &[FlowMod] {
        &self.flow_mods
    }

    /// Every PACKET_OUT received, in order.
    pub fn packet_outs(&self) -> &[PacketOut] {
        &self.packet_outs
    }

    /// The FLOW_MODs received since the last call (and clears [`FakeSwitch::flow_mods`]).
    pub fn take_flow_mods(&mut self) -> Vec<FlowMod> {
        core::mem::take(&mut self.flow_mods)
    }

    /// The PACKET_OUTs received since the last call (and clears
    /// [`FakeSwitch::packet_outs`]).
    pub fn take_packet_outs(&mut self) -> Vec<PacketOut> {
        core::mem::take(&mut self.packet_outs)
    }

    // ------------------------------------------------------------------ output

    /// Queues `body` for the controller with a fresh xid (from `0x4000_0000` up, never 0)
    /// and returns the xid.
    ///
    /// # Errors
    ///
    /// The body does not encode ([`Error::Unencodable`], say); nothing is queued.
    pub fn send(&mut self, body: Body) -> Result<u32, Error> {
        let xid = self.next_xid;
        self.next_xid = self.next_xid.wrapping_add(1).max(1);
        self.send_message(&Message::new(xid, body))?;
        Ok(xid)
    }

    /// Queues `msg` as it is (its xid included).
    ///
    /// # Errors
    ///
    /// The message does not encode; nothing is queued.
    pub fn send_message(&mut self, msg: &Message) -> Result<(), Error> {
        let n = msg.encode_append(&mut self.out)?;
        self.stats.messages_sent = self.stats.messages_sent.saturating_add(1);
        self.stats.bytes_sent = self.stats.bytes_sent.saturating_add(n as u64);
        Ok(())
    }

    /// Queues raw bytes (a malformed message, half of one, ...).
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
        self.stats.bytes_sent = self.stats.bytes_sent.saturating_add(bytes.len() as u64);
    }

    /// Sends an unbuffered PACKET_IN of `data` from `in_port`, as a table miss does
    /// ([`PacketIn::new`]); returns its xid.
    ///
    /// # Errors
    ///
    /// `data` is too long for one message; nothing is queued.
    pub fn packet_in(&mut self, in_port: impl Into<PortNo>, data: Vec<u8>) -> Result<u32, Error> {
        self.send(Body::PacketIn(PacketIn::new(in_port, data)))
    }

    /// Applies a port change to the fake's port list (ADD or MODIFY replace the port with the
    /// same number or add it; DELETE removes it) and sends the PORT_STATUS; returns its xid.
    ///
    /// # Errors
    ///
    /// The message does not encode; the port list changes anyway.
    pub fn port_status(&mut self, reason: PortReason, port: Port) -> Result<u32, Error> {
        let ports = &mut self.config.ports;
        let at = ports.iter().position(|p| p.port_no == port.port_no);
        match (reason, at) {
            (PortReason::DELETE, Some(i)) => {
                ports.remove(i);
            }
            (PortReason::DELETE, None) => {}
            (_, Some(i)) => {
                if let Some(p) = ports.get_mut(i) {
                    *p = port;
                }
            }
            (_, None) => ports.push(port),
        }
        self.send(Body::PortStatus(PortStatus { reason, desc: port }))
    }

    /// Sends an ERROR with the xid of the message it answers.
    ///
    /// # Errors
    ///
    /// The message does not encode; nothing is queued.
    pub fn error(&mut self, xid: u32, error: ErrorMsg) -> Result<(), Error> {
        self.send_message(&Message::new(xid, Body::Error(error)))
    }

    /// Answers the multipart request `xid` with `parts` (REPLY_MORE on all but the last).
    ///
    /// # Errors
    ///
    /// A part does not encode; the parts before it are queued.
    pub fn reply(&mut self, xid: u32, parts: Vec<MultipartReplyBody>) -> Result<(), Error> {
        for b in Self::parts(parts) {
            self.send_message(&Message::new(xid, b))?;
        }
        Ok(())
    }

    /// Writes everything queued for the controller into `buf` (cleared first) and returns its
    /// length, or `None` when nothing is queued.
    pub fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<usize> {
        buf.clear();
        if self.out.is_empty() {
            return None;
        }
        core::mem::swap(buf, &mut self.out);
        Some(buf.len())
    }

    /// Moves bytes between `conn` and the fake, both ways, until neither has anything left to
    /// send. The connection's events stay queued (read them with
    /// [`Connection::poll_event`]); reacting to them may send more: call `exchange` again.
    ///
    /// # Errors
    ///
    /// The first message the connection refused or the fake could not read; the exchange
    /// stops there (call again to go on).
    pub fn exchange(&mut self, conn: &mut Connection, now: Instant) -> Result<(), ExchangeError> {
        let mut buf = Vec::new();
        loop {
            let mut moved = false;
            while conn.poll_transmit(&mut buf).is_some() {
                moved = true;
                self.handle_bytes(&buf).map_err(ExchangeError::Switch)?;
            }
            if self.poll_transmit(&mut buf).is_some() {
                moved = true;
                conn.handle_bytes(now, &buf)
                    .map_err(ExchangeError::Controller)?;
            }
            if !moved {
                return Ok(());
            }
        }
    }
}
