//! Finds the protocol messages in captured frames: OpenFlow over TCP (reassembled per
//! direction), sFlow over UDP, LACPDUs and marker PDUs, IGMP and MLD.
//!
//! A [`Decoder`] takes the records of a capture one by one ([`Decoder::frame`]) and appends an
//! [`Item`] for each message it finds; [`Decoder::finish`] reports what the end of the capture
//! leaves (segments held back behind a gap, a message cut short). Frames are walked by
//! `sdnwire-packet`'s [`Walker`]: strictly for whole frames, as a prefix for frames the
//! capture's snap length cut (what was cut of a TCP segment is a gap in its stream).
//!
//! Nothing here is fatal: a message that does not parse is an item that carries the error (and
//! its offset), a frame that is not one of ours is counted in [`Stats`] and skipped.

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use core::str::FromStr;
use core::time::Duration;
use std::collections::{BTreeMap, HashMap};

use pcap_file::DataLink;
use sdnwire_openflow::header::HEADER_LEN;
use sdnwire_openflow::Message;
use sdnwire_packet::ethernet::EthernetView;
use sdnwire_packet::icmpv6::{Icmpv6Type, Icmpv6View};
use sdnwire_packet::tcp::{TcpFlags, TcpView};
use sdnwire_packet::udp::UdpView;
use sdnwire_packet::walk::{Fragment, Mode, Walker};
use sdnwire_packet::{CodecError, Icmpv6, Igmp, Lacp, LayerKind, MacAddr, Marker};
use sdnwire_sflow::Datagram;

use crate::read::Record;
use crate::tcp::{self, Chunk, Limits, Reassembler};

/// The protocols the decoder looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    /// OpenFlow 1.3 over TCP.
    OpenFlow,
    /// sFlow version 5 over UDP.
    Sflow,
    /// LACP and the marker protocol (IEEE 802.1AX slow protocols).
    Lacp,
    /// IGMP v1 to v3, and MLD v1 and v2 (its IPv6 counterpart).
    Igmp,
}

impl Protocol {
    /// Every protocol, in the order of the enum.
    pub const ALL: [Protocol; 4] = [
        Protocol::OpenFlow,
        Protocol::Sflow,
        Protocol::Lacp,
        Protocol::Igmp,
    ];

    /// The name the command line and the JSON use: `openflow`, `sflow`, `lacp`, `igmp`.
    pub const fn name(self) -> &'static str {
        match self {
            Protocol::OpenFlow => "openflow",
            Protocol::Sflow => "sflow",
            Protocol::Lacp => "lacp",
            Protocol::Igmp => "igmp",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Protocol {
    type Err = String;

    /// `openflow` (or `of`), `sflow`, `lacp` (marker included), `igmp` (MLD included), in
    /// any case.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "openflow" | "of" => Ok(Protocol::OpenFlow),
            "sflow" => Ok(Protocol::Sflow),
            "lacp" | "marker" => Ok(Protocol::Lacp),
            "igmp" | "mld" => Ok(Protocol::Igmp),
            other => Err(format!(
                "unknown protocol {other:?}: expected openflow, sflow, lacp or igmp"
            )),
        }
    }
}

/// What the decoder looks for and how much it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// TCP ports whose traffic is OpenFlow, either end (default 6653, IANA's, and 6633, the
    /// one Open vSwitch and Ryu used before it).
    pub openflow_ports: Vec<u16>,
    /// UDP destination ports whose datagrams are sFlow (default 6343).
    pub sflow_ports: Vec<u16>,
    /// The protocols reported (default all).
    pub protocols: Vec<Protocol>,
    /// Bounds of each direction's TCP reassembly.
    pub limits: Limits,
    /// TCP directions followed at once (default 1024). A new one past it ends the one idle
    /// the longest (its incomplete message and held segments are reported as at the end of
    /// the capture). Each direction holds at most a message (64 KiB) and [`Limits`]' bytes,
    /// so the defaults bound the decoder's buffers to about 320 MiB, however hostile the
    /// capture.
    pub max_streams: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            openflow_ports: vec![6653, 6633],
            sflow_ports: vec![6343],
            protocols: Protocol::ALL.to_vec(),
            limits: Limits::default(),
            max_streams: 1024,
        }
    }
}

/// Who sent a message to whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoints {
    /// Transport addresses (OpenFlow, sFlow).
    Socket {
        /// The sender.
        src: SocketAddr,
        /// The receiver.
        dst: SocketAddr,
    },
    /// IP addresses (IGMP, MLD).
    Ip {
        /// The sender.
        src: IpAddr,
        /// The receiver.
        dst: IpAddr,
    },
    /// Ethernet addresses (LACP, marker).
    Mac {
        /// The sender.
        src: MacAddr,
        /// The receiver.
        dst: MacAddr,
    },
    /// None known (a slow-protocol frame in a Linux cooked capture).
    Unknown,
}

impl fmt::Display for Endpoints {
    /// `src > dst`, as tcpdump writes them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoints::Socket { src, dst } => write!(f, "{src} > {dst}"),
            Endpoints::Ip { src, dst } => write!(f, "{src} > {dst}"),
            Endpoints::Mac { src, dst } => write!(f, "{src} > {dst}"),
            Endpoints::Unknown => f.write_str("? > ?"),
        }
    }
}

/// What was found.
// An OpenFlow `Message` is large (its PACKET_IN keeps a short match and frame inline); a
// content is built once per message found, so it stays unboxed.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Content {
    /// An OpenFlow message: its bytes, where it starts in its TCP stream, and what it decodes
    /// to (or the error, whose offset counts from the message's first byte).
    OpenFlow {
        /// Offset of the message's first byte in its direction of the TCP stream.
        stream_offset: u64,
        /// The message.
        bytes: Vec<u8>,
        /// The decoded message, or why it does not decode.
        message: Result<Message, sdnwire_openflow::Error>,
    },
    /// An sFlow datagram, or why it does not decode (offsets from the datagram's first byte).
    Sflow(Result<Datagram, sdnwire_sflow::Error>),
    /// A LACPDU.
    Lacp(Lacp),
    /// A marker PDU.
    Marker(Marker),
    /// An IGMP message.
    Igmp(Igmp),
    /// An MLD message (ICMPv6 types 130, 131, 132 and 143).
    Mld(Icmpv6),
    /// A frame of the protocol whose layer does not parse: the error, with its offset from
    /// the frame's first byte.
    Malformed(sdnwire_packet::Error),
    /// Bytes of a TCP stream the capture does not have (lost before the capture, or cut by
    /// its snap length).
    Gap {
        /// Offset of the first missing byte in the stream.
        stream_offset: u64,
        /// How many bytes are missing.
        len: u64,
    },
    /// Bytes of a TCP stream that are not decoded: the rest of a message cut by a gap or by
    /// the end of the capture, or the bytes after a gap up to the next message boundary.
    Skipped {
        /// Offset of the first byte skipped in the stream.
        stream_offset: u64,
        /// How many bytes.
        len: u64,
        /// Why.
        reason: SkipReason,
    },
}

/// Why stream bytes were skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The start of a message whose end the capture does not have (a gap follows).
    BeforeGap,
    /// The bytes present of a message whose other bytes are missing (a gap inside it): not
    /// decoded, and the stream stays framed after it.
    MissingBytes,
    /// The start of a message whose end is not in the capture.
    EndOfCapture,
    /// Bytes after a gap (or at the start of a capture that began mid-connection) before the
    /// first one that starts a message.
    NotAtMessageBoundary,
    /// A header whose length is below 8 bytes: the stream cannot be framed past it.
    BadLength,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SkipReason::BeforeGap => "incomplete message before a gap",
            SkipReason::MissingBytes => "part of a message with missing bytes",
            SkipReason::EndOfCapture => "incomplete message at the end of the capture",
            SkipReason::NotAtMessageBoundary => "not at an OpenFlow message boundary",
            SkipReason::BadLength => "OpenFlow header with a length below 8",
        })
    }
}

/// One message (or error, gap) found, with where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The number of the frame (1-based) that completed it.
    pub frame: u64,
    /// That frame's time, since the Unix epoch.
    pub time: Duration,
    /// Its protocol.
    pub protocol: Protocol,
    /// Sender and receiver.
    pub endpoints: Endpoints,
    /// What it is.
    pub content: Content,
}

/// Counters of a decoder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Frames taken.
    pub frames: u64,
    /// Frames of a link type the decoder does not read (it reads Ethernet, Linux cooked v1
    /// and v2, raw IP, BSD loopback).
    pub unsupported_link: u64,
    /// Frames whose layers below ours do not parse.
    pub malformed: u64,
    /// IP fragments (not reassembled).
    pub fragments: u64,
    /// TCP directions followed.
    pub streams: u64,
    /// TCP directions ended early by [`Config::max_streams`].
    pub evicted: u64,
    /// TCP reassembly, summed over the directions.
    pub tcp: tcp::Stats,
}

/// One direction of an OpenFlow connection.
#[derive(Debug)]
struct Stream {
    reasm: Reassembler,
    /// The sequence number of the SYN that started it, if the capture has it.
    syn: Option<u32>,
    /// Bytes of the message being assembled.
    buf: Vec<u8>,
    /// Stream offset of `buf[0]`.
    buf_offset: u64,
    /// True while the stream is framed at message boundaries.
    synced: bool,
    /// True once a boundary had to be guessed (a stream joined mid-way, a gap): every header
    /// framed after it must then look like one ([`Stream::candidate`]), or framing is guessed
    /// again from there.
    guessed: bool,
    /// Bytes being skipped until a message boundary: (first offset, length).
    skipping: Option<(u64, u64)>,
    /// The end of a message some of whose bytes are missing: the bytes before it are
    /// dropped, and framing goes on from it.
    discard_until: Option<u64>,
    /// The OpenFlow version of the stream's first message.
    version: Option<u8>,
    /// The last frame that carried a segment: (number, time), for the order of eviction and
    /// for what the end of the capture reports.
    last: (u64, Duration),
    /// Its place in the decoder's order of idleness.
    tick: u64,
}

/// Where, in a frame: its number, time and endpoints.
#[derive(Debug, Clone, Copy)]
struct At {
    frame: u64,
    time: Duration,
    endpoints: Endpoints,
}

impl At {
    fn item(&self, protocol: Protocol, content: Content) -> Item {
        Item {
            frame: self.frame,
            time: self.time,
            protocol,
            endpoints: self.endpoints,
            content,
        }
    }
}

impl Stream {
    fn new(limits: Limits, syn: Option<u32>, last: (u64, Duration)) -> Self {
        Stream {
            reasm: Reassembler::new(limits),
            syn,
            buf: Vec::new(),
            buf_offset: 0,
            synced: syn.is_some(),
            guessed: false,
            skipping: None,
            discard_until: None,
            version: None,
            last,
            tick: 0,
        }
    }

    fn chunks(&mut self, chunks: Vec<Chunk>, at: &At, out: &mut Vec<Item>) {
        for chunk in chunks {
            match chunk {
                Chunk::Data { offset, bytes } => self.data(offset, bytes, at, out),
                Chunk::Gap { offset, len } => {
                    let end = offset + len;
                    match self.message_end() {
                        // The gap is inside the message being assembled: its length says
                        // where the next one starts, so the stream stays framed.
                        Some(msg_end) if end <= msg_end => {
                            self.drop_buf(SkipReason::MissingBytes, at, out);
                            self.discard_until = Some(msg_end);
                        }
                        // Inside the message already being discarded.
                        _ if self.discard_until.is_some_and(|d| end <= d) => {}
                        _ => {
                            if self.synced {
                                self.drop_buf(SkipReason::BeforeGap, at, out);
                            } else if !self.buf.is_empty() {
                                // Bytes of an unframed stream: skipped, up to the gap.
                                let n = self.buf.len() as u64;
                                match &mut self.skipping {
                                    Some((_, l)) => *l += n,
                                    None => self.skipping = Some((self.buf_offset, n)),
                                }
                                self.buf.clear();
                            }
                            self.end_skip(at, out);
                            self.synced = false;
                            self.discard_until = None;
                        }
                    }
                    out.push(at.item(
                        Protocol::OpenFlow,
                        Content::Gap {
                            stream_offset: offset,
                            len,
                        },
                    ));
                }
            }
        }
    }

    /// Where the message being assembled ends, once its length field is in.
    fn message_end(&self) -> Option<u64> {
        if !self.synced {
            return None;
        }
        match self.buf.get(2..4) {
            Some(&[a, b]) => Some(self.buf_offset + u64::from(u16::from_be_bytes([a, b]))),
            _ => None,
        }
    }

    fn data(&mut self, mut offset: u64, mut bytes: Vec<u8>, at: &At, out: &mut Vec<Item>) {
        if let Some(until) = self.discard_until {
            if offset < until {
                let n = (until - offset).min(bytes.len() as u64);
                out.push(at.item(
                    Protocol::OpenFlow,
                    Content::Skipped {
                        stream_offset: offset,
                        len: n,
                        reason: SkipReason::MissingBytes,
                    },
                ));
                bytes.drain(..usize::try_from(n).unwrap_or(bytes.len()));
                offset += n;
            }
            if offset >= until {
                self.discard_until = None;
            }
            if bytes.is_empty() {
                return;
            }
        }
        if self.buf.is_empty() {
            self.buf = bytes;
            self.buf_offset = offset;
        } else {
            self.buf.extend_from_slice(&bytes);
        }
        if !self.synced && !self.resync(false, at, out) {
            return;
        }
        self.frame_messages(at, out);
    }

    /// A message header could start at `buf[p]`: the stream's version (any OpenFlow version
    /// before the first message), a type below 36, a length of at least 8. Its length.
    fn candidate(&self, p: usize) -> Option<usize> {
        let h = self.buf.get(p..)?.first_chunk::<4>()?;
        let version = match self.version {
            Some(v) => h[0] == v,
            None => (1..=6).contains(&h[0]),
        };
        let len = usize::from(u16::from_be_bytes([h[2], h[3]]));
        (version && h[1] < 36 && len >= HEADER_LEN).then_some(len)
    }

    /// Looks for the first message boundary in the buffer of an unframed stream: a candidate
    /// header followed, where its length says, by another one (or, at the `last` call, by
    /// the end of the stream). The bytes before it are skipped. False while none is found;
    /// the bytes that may still start one stay buffered (at most a message's length).
    fn resync(&mut self, last: bool, at: &At, out: &mut Vec<Item>) -> bool {
        let len = self.buf.len();
        let mut keep_from = if last { len } else { len.saturating_sub(3) };
        let mut found = None;
        for p in 0..len {
            if p + 4 > len {
                break;
            }
            let Some(l) = self.candidate(p) else {
                continue;
            };
            let next = p + l;
            if next + 4 <= len {
                if self.candidate(next).is_some() {
                    found = Some(p);
                    break;
                }
            } else if next == len && last {
                found = Some(p);
                break;
            } else if !last {
                // Undecided until more bytes come.
                keep_from = p;
                break;
            }
        }
        let skip = found.unwrap_or(keep_from);
        if skip > 0 {
            let n = skip as u64;
            match &mut self.skipping {
                Some((_, l)) => *l += n,
                None => self.skipping = Some((self.buf_offset, n)),
            }
            self.buf.drain(..skip);
            self.buf_offset += n;
        }
        if found.is_some() {
            self.end_skip(at, out);
            self.synced = true;
            self.guessed = true;
        }
        found.is_some()
    }

    /// Cuts the whole messages off the front of the buffer.
    fn frame_messages(&mut self, at: &At, out: &mut Vec<Item>) {
        let mut start = 0usize;
        loop {
            let rest = self.buf.get(start..).unwrap_or(&[]);
            let Some(head) = rest.first_chunk::<HEADER_LEN>() else {
                break;
            };
            let len = usize::from(u16::from_be_bytes([head[2], head[3]]));
            if self.guessed && self.candidate(start).is_none() {
                // The guessed boundary was wrong: guess again from here.
                self.buf.drain(..start);
                self.buf_offset += start as u64;
                self.synced = false;
                if !self.resync(false, at, out) {
                    return;
                }
                start = 0;
                continue;
            }
            self.version.get_or_insert(head[0]);
            if len < HEADER_LEN {
                let offset = self.buf_offset + start as u64;
                let skipped = rest.len() as u64;
                out.push(at.item(
                    Protocol::OpenFlow,
                    Content::Skipped {
                        stream_offset: offset,
                        len: skipped,
                        reason: SkipReason::BadLength,
                    },
                ));
                self.synced = false;
                self.buf.clear();
                self.buf_offset = offset + skipped;
                return;
            }
            let Some(bytes) = rest.get(..len) else {
                break;
            };
            let message = Message::parse(bytes);
            out.push(at.item(
                Protocol::OpenFlow,
                Content::OpenFlow {
                    stream_offset: self.buf_offset + start as u64,
                    bytes: bytes.to_vec(),
                    message,
                },
            ));
            start += len;
        }
        self.buf.drain(..start.min(self.buf.len()));
        self.buf_offset += start as u64;
    }

    /// Reports the partial message in the buffer as skipped and empties it.
    fn drop_buf(&mut self, reason: SkipReason, at: &At, out: &mut Vec<Item>) {
        if !self.buf.is_empty() {
            let len = self.buf.len() as u64;
            out.push(at.item(
                Protocol::OpenFlow,
                Content::Skipped {
                    stream_offset: self.buf_offset,
                    len,
                    reason,
                },
            ));
            self.buf.clear();
            self.buf_offset += len;
        }
    }

    /// Reports the bytes skipped since the last gap, if any.
    fn end_skip(&mut self, at: &At, out: &mut Vec<Item>) {
        if let Some((offset, len)) = self.skipping.take() {
            out.push(at.item(
                Protocol::OpenFlow,
                Content::Skipped {
                    stream_offset: offset,
                    len,
                    reason: SkipReason::NotAtMessageBoundary,
                },
            ));
        }
    }

    /// The end of the capture (or of this stream): what is held, what is incomplete.
    fn finish(&mut self, at: &At, out: &mut Vec<Item>) {
        let mut chunks = Vec::new();
        self.reasm.finish(&mut chunks);
        self.chunks(chunks, at, out);
        if !self.synced && !self.buf.is_empty() && self.resync(true, at, out) {
            self.frame_messages(at, out);
        }
        if !self.synced {
            // What no boundary was found in.
            let n = self.buf.len() as u64;
            if n > 0 {
                match &mut self.skipping {
                    Some((_, l)) => *l += n,
                    None => self.skipping = Some((self.buf_offset, n)),
                }
                self.buf.clear();
            }
        }
        self.end_skip(at, out);
        self.drop_buf(SkipReason::EndOfCapture, at, out);
    }
}

/// Finds the messages of [`Config`]'s protocols in frames. See the [module](self) docs.
#[derive(Debug)]
pub struct Decoder {
    config: Config,
    streams: HashMap<(SocketAddr, SocketAddr), Stream>,
    /// The directions by their last use (a tick counted per segment), oldest first: which one
    /// to end when [`Config::max_streams`] are followed.
    idle: BTreeMap<u64, (SocketAddr, SocketAddr)>,
    tick: u64,
    stats: Stats,
}

impl Decoder {
    /// A decoder that has seen no frame.
    pub fn new(config: Config) -> Self {
        Decoder {
            config,
            streams: HashMap::new(),
            idle: BTreeMap::new(),
            tick: 0,
            stats: Stats::default(),
        }
    }

    /// The counters (TCP reassembly's include the directions still open).
    pub fn stats(&self) -> Stats {
        let mut s = self.stats;
        for st in self.streams.values() {
            add_tcp(&mut s.tcp, st.reasm.stats());
        }
        s
    }

    fn wants(&self, p: Protocol) -> bool {
        self.config.protocols.contains(&p)
    }

    /// Takes frame number `number` (1-based) of the capture; appends the messages it holds,
    /// or completes, to `out`.
    pub fn frame(&mut self, number: u64, record: &Record, out: &mut Vec<Item>) {
        self.stats.frames += 1;
        let Some((first, start)) = link_start(record.link, &record.data) else {
            self.stats.unsupported_link += 1;
            return;
        };
        let bytes = record.data.get(start..).unwrap_or(&[]);
        let mode = if record.truncated() {
            Mode::Prefix
        } else {
            Mode::Strict
        };
        let mut at = At {
            frame: number,
            time: record.time,
            endpoints: Endpoints::Unknown,
        };
        let mut macs = None;
        let mut ips: Option<(IpAddr, IpAddr)> = None;
        let mut walker = Walker::with(bytes, first, mode);
        let mut tcp = None;
        for step in walker.by_ref() {
            let span = match step {
                Ok(s) => s,
                Err(e) => {
                    let e = e.add_offset(start);
                    let protocol = match e.layer() {
                        LayerKind::Igmp => Some(Protocol::Igmp),
                        LayerKind::Lacp | LayerKind::Marker => Some(Protocol::Lacp),
                        _ => None,
                    };
                    match protocol.filter(|p| self.wants(*p)) {
                        Some(p) => {
                            at.endpoints = endpoints(macs, ips);
                            out.push(at.item(p, Content::Malformed(e)));
                        }
                        None => self.stats.malformed += 1,
                    }
                    return;
                }
            };
            let layer = bytes.get(span.start..span.end).unwrap_or(&[]);
            match span.kind {
                LayerKind::Ethernet => {
                    if let Ok(v) = EthernetView::parse(layer) {
                        macs = Some((v.src(), v.dst()));
                    }
                }
                LayerKind::Ipv4 | LayerKind::Ipv6 => {
                    if let Some(a) = ip_addrs(span.kind, layer) {
                        ips = Some(a);
                    }
                }
                LayerKind::Tcp => tcp = Some(span),
                LayerKind::Udp if self.wants(Protocol::Sflow) => {
                    let (Ok(v), Some((src, dst))) = (UdpView::parse(layer), ips) else {
                        continue;
                    };
                    if self.config.sflow_ports.contains(&v.dst_port()) {
                        at.endpoints = Endpoints::Socket {
                            src: SocketAddr::new(src, v.src_port()),
                            dst: SocketAddr::new(dst, v.dst_port()),
                        };
                        let d = Datagram::parse(v.payload());
                        out.push(at.item(Protocol::Sflow, Content::Sflow(d)));
                    }
                }
                LayerKind::Igmp if self.wants(Protocol::Igmp) => {
                    at.endpoints = endpoints(None, ips);
                    out.push(at.item(
                        Protocol::Igmp,
                        parsed(Igmp::parse(layer), start, span.start, Content::Igmp),
                    ));
                }
                LayerKind::Icmpv6 if self.wants(Protocol::Igmp) => {
                    let Ok(v) = Icmpv6View::parse(layer) else {
                        continue;
                    };
                    if is_mld(v.msg_type()) {
                        at.endpoints = endpoints(None, ips);
                        out.push(at.item(
                            Protocol::Igmp,
                            parsed(Icmpv6::parse(layer), start, span.start, Content::Mld),
                        ));
                    }
                }
                LayerKind::Lacp if self.wants(Protocol::Lacp) => {
                    at.endpoints = endpoints(macs, None);
                    out.push(at.item(
                        Protocol::Lacp,
                        parsed(Lacp::parse(layer), start, span.start, Content::Lacp),
                    ));
                }
                LayerKind::Marker if self.wants(Protocol::Lacp) => {
                    at.endpoints = endpoints(macs, None);
                    out.push(at.item(
                        Protocol::Lacp,
                        parsed(Marker::parse(layer), start, span.start, Content::Marker),
                    ));
                }
                _ => {}
            }
        }
        if walker.fragment() != Fragment::No {
            self.stats.fragments += 1;
        }
        let (Some(span), Some((src, dst))) = (tcp, ips) else {
            return;
        };
        if !self.wants(Protocol::OpenFlow) {
            return;
        }
        let Ok(seg) = TcpView::parse(bytes.get(span.start..span.end).unwrap_or(&[])) else {
            return;
        };
        let ports = &self.config.openflow_ports;
        if !ports.contains(&seg.src_port()) && !ports.contains(&seg.dst_port()) {
            return;
        }
        // Bytes of the segment the snap length cut.
        let cut = walker
            .cut()
            .filter(|c| c.walked)
            .map_or(0, |c| c.declared.saturating_sub(c.present) as u64);
        let key = (
            SocketAddr::new(src, seg.src_port()),
            SocketAddr::new(dst, seg.dst_port()),
        );
        at.endpoints = Endpoints::Socket {
            src: key.0,
            dst: key.1,
        };
        self.segment(key, &seg, cut, &at, out);
    }

    fn segment(
        &mut self,
        key: (SocketAddr, SocketAddr),
        seg: &TcpView<&[u8]>,
        cut: u64,
        at: &At,
        out: &mut Vec<Item>,
    ) {
        let syn = seg.flags().contains(TcpFlags::SYN);
        let payload = seg.payload();
        // A new connection on the same addresses and ports: the old one is over.
        if syn {
            if let Some(old) = self.streams.get(&key) {
                if old.syn != Some(seg.seq()) {
                    self.end_stream(key, out);
                }
            }
        }
        if !self.streams.contains_key(&key) {
            if !syn && payload.is_empty() && cut == 0 {
                return;
            }
            if self.streams.len() >= self.config.max_streams.max(1) {
                if let Some((_, &idle)) = self.idle.first_key_value() {
                    self.end_stream(idle, out);
                    self.stats.evicted += 1;
                }
            }
            self.stats.streams += 1;
            let syn_seq = syn.then_some(seg.seq());
            self.streams.insert(
                key,
                Stream::new(self.config.limits, syn_seq, (at.frame, at.time)),
            );
        }
        let Some(stream) = self.streams.get_mut(&key) else {
            return;
        };
        stream.last = (at.frame, at.time);
        // The order of idleness: this direction is now the most recently used.
        self.idle.remove(&stream.tick);
        self.tick += 1;
        stream.tick = self.tick;
        self.idle.insert(self.tick, key);
        let mut chunks = Vec::new();
        stream
            .reasm
            .segment(seg.seq(), syn, payload, cut, &mut chunks);
        stream.chunks(chunks, at, out);
        // What this segment acknowledges of the other direction.
        if seg.flags().contains(TcpFlags::ACK) {
            let back = (key.1, key.0);
            if let Some(other) = self.streams.get_mut(&back) {
                let mut chunks = Vec::new();
                other.reasm.acknowledged(seg.ack(), &mut chunks);
                if !chunks.is_empty() {
                    let at = At {
                        endpoints: Endpoints::Socket {
                            src: back.0,
                            dst: back.1,
                        },
                        ..*at
                    };
                    other.chunks(chunks, &at, out);
                }
            }
        }
    }

    /// Ends a direction: reports what it holds and forgets it.
    fn end_stream(&mut self, key: (SocketAddr, SocketAddr), out: &mut Vec<Item>) {
        if let Some(mut s) = self.streams.remove(&key) {
            self.idle.remove(&s.tick);
            let at = At {
                frame: s.last.0,
                time: s.last.1,
                endpoints: Endpoints::Socket {
                    src: key.0,
                    dst: key.1,
                },
            };
            s.finish(&at, out);
            add_tcp(&mut self.stats.tcp, s.reasm.stats());
        }
    }

    /// The end of the capture: every direction still open reports its held segments (after
    /// their gaps) and its incomplete message, in the order of their last frames.
    pub fn finish(&mut self, out: &mut Vec<Item>) {
        let mut keys: Vec<_> = self.streams.iter().map(|(k, s)| (s.last.0, *k)).collect();
        keys.sort();
        for (_, k) in keys {
            self.end_stream(k, out);
        }
    }
}

/// An item's content from a layer's own parse, its error's offset counted from the frame's
/// first byte.
fn parsed<T>(
    r: sdnwire_packet::Result<T>,
    link_len: usize,
    layer_start: usize,
    ok: impl FnOnce(T) -> Content,
) -> Content {
    match r {
        Ok(v) => ok(v),
        Err(e) => Content::Malformed(e.add_offset(link_len + layer_start)),
    }
}

fn endpoints(macs: Option<(MacAddr, MacAddr)>, ips: Option<(IpAddr, IpAddr)>) -> Endpoints {
    match (ips, macs) {
        (Some((src, dst)), _) => Endpoints::Ip { src, dst },
        (None, Some((src, dst))) => Endpoints::Mac { src, dst },
        (None, None) => Endpoints::Unknown,
    }
}

fn is_mld(t: Icmpv6Type) -> bool {
    [
        Icmpv6Type::MLD_LISTENER_QUERY,
        Icmpv6Type::MLD_LISTENER_REPORT,
        Icmpv6Type::MLD_LISTENER_DONE,
        Icmpv6Type::MLDV2_LISTENER_REPORT,
    ]
    .contains(&t)
}

fn add_tcp(sum: &mut tcp::Stats, s: tcp::Stats) {
    sum.retransmissions += s.retransmissions;
    sum.overlaps += s.overlaps;
    sum.out_of_order += s.out_of_order;
    sum.gaps += s.gaps;
    sum.missing_bytes += s.missing_bytes;
}

/// Where the network layer starts in a frame of link type `link`: the kind of its first layer
/// and its offset. `None` for link types not read, and for frames too short for their link
/// header or carrying a protocol the walk does not start at.
pub fn link_start(link: DataLink, frame: &[u8]) -> Option<(LayerKind, usize)> {
    match link {
        DataLink::ETHERNET => Some((LayerKind::Ethernet, 0)),
        // Linux cooked v1: packet type, ARPHRD type, address length, 8 address bytes,
        // protocol.
        DataLink::LINUX_SLL => {
            let p = frame.get(14..16)?.first_chunk::<2>()?;
            ethertype_start(u16::from_be_bytes(*p), frame, 16)
        }
        // Linux cooked v2: protocol first, then reserved, ifindex, ARPHRD type, packet type,
        // address length, 8 address bytes.
        DataLink::LINUX_SLL2 => {
            let p = frame.first_chunk::<2>()?;
            if frame.len() < 20 {
                return None;
            }
            ethertype_start(u16::from_be_bytes(*p), frame, 20)
        }
        DataLink::RAW | DataLink::IPV4 | DataLink::IPV6 => ip_start(frame, 0),
        // BSD loopback: the address family in the host's byte order.
        DataLink::NULL | DataLink::LOOP => {
            let af = frame.first_chunk::<4>()?;
            let le = u32::from_le_bytes(*af);
            let be = u32::from_be_bytes(*af);
            let family = if le < 0x100 { le } else { be };
            match family {
                2 => Some((LayerKind::Ipv4, 4)),
                // AF_INET6 on Linux, the BSDs and macOS.
                10 | 24 | 28 | 30 => Some((LayerKind::Ipv6, 4)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The addresses of an IP header the walk checked. Read in place rather than through the
/// views, whose length checks refuse a header whose datagram the snap length cut.
fn ip_addrs(kind: LayerKind, header: &[u8]) -> Option<(IpAddr, IpAddr)> {
    match kind {
        LayerKind::Ipv4 => {
            let src: [u8; 4] = *header.get(12..16)?.first_chunk()?;
            let dst: [u8; 4] = *header.get(16..20)?.first_chunk()?;
            Some((Ipv4Addr::from(src).into(), Ipv4Addr::from(dst).into()))
        }
        LayerKind::Ipv6 => {
            let src: [u8; 16] = *header.get(8..24)?.first_chunk()?;
            let dst: [u8; 16] = *header.get(24..40)?.first_chunk()?;
            Some((Ipv6Addr::from(src).into(), Ipv6Addr::from(dst).into()))
        }
        _ => None,
    }
}

fn ip_start(frame: &[u8], at: usize) -> Option<(LayerKind, usize)> {
    match frame.get(at)? >> 4 {
        4 => Some((LayerKind::Ipv4, at)),
        6 => Some((LayerKind::Ipv6, at)),
        _ => None,
    }
}

/// The first layer after a cooked header whose protocol field is `ethertype`.
fn ethertype_start(ethertype: u16, frame: &[u8], at: usize) -> Option<(LayerKind, usize)> {
    let kind = match ethertype {
        0x0800 => LayerKind::Ipv4,
        0x86dd => LayerKind::Ipv6,
        0x0806 => LayerKind::Arp,
        0x8100 | 0x88a8 | 0x9100 => LayerKind::Vlan,
        0x88cc => LayerKind::Lldp,
        // Slow protocols: the subtype says which.
        0x8809 => match frame.get(at)? {
            1 => LayerKind::Lacp,
            2 => LayerKind::Marker,
            _ => return None,
        },
        _ => return None,
    };
    Some((kind, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_names_parse() {
        for p in Protocol::ALL {
            assert_eq!(p.name().parse::<Protocol>().unwrap(), p);
        }
        assert_eq!("MLD".parse::<Protocol>().unwrap(), Protocol::Igmp);
        assert!("bgp".parse::<Protocol>().is_err());
    }

    #[test]
    fn link_headers() {
        let sll = [0u8; 14]
            .iter()
            .copied()
            .chain([0x08, 0x00, 0x45])
            .collect::<Vec<_>>();
        assert_eq!(
            link_start(DataLink::LINUX_SLL, &sll),
            Some((LayerKind::Ipv4, 16))
        );
        let mut sll2 = vec![0x88, 0x09];
        sll2.extend([0; 18]);
        sll2.push(2);
        assert_eq!(
            link_start(DataLink::LINUX_SLL2, &sll2),
            Some((LayerKind::Marker, 20))
        );
        assert_eq!(
            link_start(DataLink::RAW, &[0x60, 0]),
            Some((LayerKind::Ipv6, 0))
        );
        assert_eq!(link_start(DataLink::RAW, &[0x50]), None);
        assert_eq!(
            link_start(DataLink::NULL, &[2, 0, 0, 0, 0x45]),
            Some((LayerKind::Ipv4, 4))
        );
        assert_eq!(
            link_start(DataLink::NULL, &[0, 0, 0, 30, 0x60]),
            Some((LayerKind::Ipv6, 4))
        );
        assert_eq!(link_start(DataLink::LINUX_SLL, &[0; 10]), None);
        assert_eq!(link_start(DataLink::IEEE802_11, &[0; 40]), None);
    }
}
