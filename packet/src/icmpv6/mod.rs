//! ICMP for IPv6 (RFC 4443), with Multicast Listener Discovery (MLDv1, RFC 2710; MLDv2,
//! RFC 3810) and Neighbor Discovery (RFC 4861).
//!
//! ```text
//!  0       8       16              32 bits
//! +-------+-------+---------------+
//! | type  | code  |   checksum    |
//! +-------+-------+---------------+
//! | message body ...              |
//! ```
//!
//! The checksum covers the IPv6 pseudo-header (source, final destination, upper-layer length,
//! next header 58) and the whole message. The message has no length field: it runs to the end of
//! the IPv6 payload length.
//!
//! | type | body                                                                    |
//! |------|-------------------------------------------------------------------------|
//! | 1, 3 | unused (32 bits), as much of the invoking packet as fits                |
//! | 2    | MTU (32 bits), invoking packet                                          |
//! | 4    | pointer (32 bits), invoking packet                                      |
//! | 128, 129 | identifier, sequence number, data                                   |
//! | 130, 131, 132 | MLDv1: max response delay, reserved, multicast address (20 bytes) |
//! | 130 (body >= 24) | MLDv2 query: + resv/S/QRV, QQIC, number of sources, sources  |
//! | 143  | MLDv2 report: reserved, number of records, address records              |
//! | 133  | router solicitation: reserved (32 bits), options                        |
//! | 134  | router advertisement: hop limit, M/O flags, lifetime, reachable, retrans timer, options |
//! | 135, 136 | neighbor solicitation / advertisement: R/S/O flags + reserved, target, options |
//!
//! Neighbor Discovery options are TLVs (`type | length in 8-byte units | data`) kept as raw
//! bytes. Any other type keeps its body as raw bytes. Reserved fields, extra bytes after the
//! sources of an MLDv2 query or the records of a report, and unknown options are all kept, so
//! that a parsed message re-encodes to the same bytes.
//!
//! Contract (smoltcp's `new_checked`): once [`Icmpv6View::parse`] succeeds no accessor panics;
//! [`Icmpv6View::decode`] (and [`Icmpv6::parse`]) check every count and length of the body; [`Protocol::emit`] and
//! [`Encode`] never panic: a short buffer is `ErrorKind::ShortBuffer`, a value that
//! does not fit its field `ErrorKind::Unencodable`.

use alloc::vec::Vec;
use core::fmt;
use core::net::Ipv6Addr;

use crate::bytes::{be16, be32, put16, put32, put_bytes, slice, tail, wire_struct, U16};
use crate::checksum::{fold, sum};
use crate::encode::{room, Encode};
use crate::error::{need, Error, LayerKind, Result};
use crate::ip::IpProtocol;
use crate::layer::{emit_room, len16, EmitContext, IpPair, Next, Protocol, Step};
use crate::mac::MacAddr;
use crate::notation::{List, Opt, PyBytes, Quoted};
use crate::stack::Layer;

const L: LayerKind = LayerKind::Icmpv6;

mod mld;
mod nd;

use mld::{check_mldv2_query, parse_mldv2_query, parse_mldv2_report, walk_mldv2_report};
pub use mld::{Mld, Mldv2Query, Mldv2RecordView, Mldv2Records, Mldv2Report, Mldv2ReportGroup};
use nd::{parse_options, walk_options};
pub use nd::{NdNeighbor, NdOption, NdRouterAdvert, NdRouterSolicit};

/// An ICMPv6 message type (IANA "ICMPv6 Parameters"). Open: any value parses. The constant
/// names are Ryu's.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct Icmpv6Type(pub u8);

impl Icmpv6Type {
    /// Destination unreachable.
    pub const DST_UNREACH: Icmpv6Type = Icmpv6Type(1);
    /// Packet too big.
    pub const PACKET_TOO_BIG: Icmpv6Type = Icmpv6Type(2);
    /// Time exceeded.
    pub const TIME_EXCEEDED: Icmpv6Type = Icmpv6Type(3);
    /// Parameter problem.
    pub const PARAM_PROB: Icmpv6Type = Icmpv6Type(4);
    /// Echo request.
    pub const ECHO_REQUEST: Icmpv6Type = Icmpv6Type(128);
    /// Echo reply.
    pub const ECHO_REPLY: Icmpv6Type = Icmpv6Type(129);
    /// Multicast listener query (MLDv1 or MLDv2, told apart by length).
    pub const MLD_LISTENER_QUERY: Icmpv6Type = Icmpv6Type(130);
    /// MLDv1 multicast listener report.
    pub const MLD_LISTENER_REPORT: Icmpv6Type = Icmpv6Type(131);
    /// MLDv1 multicast listener done.
    pub const MLD_LISTENER_DONE: Icmpv6Type = Icmpv6Type(132);
    /// Router solicitation.
    pub const ND_ROUTER_SOLICIT: Icmpv6Type = Icmpv6Type(133);
    /// Router advertisement.
    pub const ND_ROUTER_ADVERT: Icmpv6Type = Icmpv6Type(134);
    /// Neighbor solicitation.
    pub const ND_NEIGHBOR_SOLICIT: Icmpv6Type = Icmpv6Type(135);
    /// Neighbor advertisement.
    pub const ND_NEIGHBOR_ADVERT: Icmpv6Type = Icmpv6Type(136);
    /// Redirect (kept as raw bytes).
    pub const ND_REDIRECT: Icmpv6Type = Icmpv6Type(137);
    /// MLDv2 multicast listener report.
    pub const MLDV2_LISTENER_REPORT: Icmpv6Type = Icmpv6Type(143);

    /// True for error messages (types 0–127).
    pub const fn is_error(self) -> bool {
        self.0 < 128
    }
}

crate::notation::open_newtype_fmt!(Icmpv6Type);

crate::notation::open_newtype_from!(Icmpv6Type(u8));

/// The checksum `msg` should carry (its checksum field counted as zero).
fn compute_checksum(src: Ipv6Addr, dst: Ipv6Addr, msg: &[u8]) -> Option<u16> {
    let len = u32::try_from(msg.len()).ok()?;
    let mut acc = crate::checksum::pseudo_header_v6(src, dst, IpProtocol::ICMPV6.0, len);
    acc = sum(acc, slice(msg, 0, 2));
    acc = sum(acc, tail(msg, 4));
    Some(!fold(acc))
}

/// A checked, zero-copy view of an ICMPv6 message (the whole message: the IPv6 payload after
/// the extension headers).
#[derive(Debug, Clone, Copy)]
pub struct Icmpv6View<T: AsRef<[u8]>> {
    buffer: T,
    /// Type, code and checksum, read once by the constructor: accessors never see a short
    /// buffer.
    hdr: Icmpv6Head,
}

wire_struct! {
    /// Type, code and checksum: the 4 bytes in front of every ICMPv6 body.
    pub(crate) struct Icmpv6Head {
        ty: u8,
        code: u8,
        checksum: U16,
    }
}

crate::bytes::header_view!(Icmpv6View, Icmpv6Head, L, "header");

impl<T: AsRef<[u8]>> Icmpv6View<T> {
    /// Length of the type, code and checksum.
    pub const HEADER_LEN: usize = 4;

    /// Wraps `buffer`, checking that it holds type, code and checksum. The body is not
    /// checked here ([`Icmpv6::parse`] checks it).
    pub fn parse(buffer: T) -> Result<Self> {
        let hdr = Icmpv6Head::read(L, buffer.as_ref(), "header")?;
        Ok(Icmpv6View { buffer, hdr })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    /// Message type.
    pub fn msg_type(&self) -> Icmpv6Type {
        Icmpv6Type(self.hdr.ty)
    }

    /// Code.
    pub fn code(&self) -> u8 {
        self.hdr.code
    }

    /// Checksum field.
    pub fn checksum(&self) -> u16 {
        self.hdr.checksum.get()
    }

    /// Everything after the checksum.
    pub fn body(&self) -> &[u8] {
        tail(self.buffer.as_ref(), Self::HEADER_LEN)
    }

    /// Checks the checksum against the pseudo-header of `ip` (the IPv6 source and final
    /// destination: [`Ipv6::pseudo_header_addrs`](crate::Ipv6::pseudo_header_addrs) gives them),
    /// as [`UdpView::verify_checksum`](crate::udp::UdpView::verify_checksum) and
    /// [`TcpView::verify_checksum`](crate::tcp::TcpView::verify_checksum) do. Returns
    /// [`Error::BadChecksum`] with the value the field should hold.
    pub fn verify_checksum(&self, ip: &IpPair) -> Result<()> {
        let msg = self.buffer.as_ref();
        let found = self.checksum();
        let len = u32::try_from(msg.len()).unwrap_or(u32::MAX);
        let acc = sum(ip.pseudo_header(IpProtocol::ICMPV6.0, len), msg);
        if fold(acc) == 0xffff {
            return Ok(());
        }
        let computed = crate::checksum::expected(acc, found);
        Err(Error::BadChecksum {
            layer: L,
            offset: 2,
            computed,
            found,
        })
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Icmpv6View<T> {
    /// Writes the checksum field.
    pub fn set_checksum(&mut self, v: u16) {
        put16(self.buffer.as_mut(), 2, v);
        self.reload();
    }

    /// Computes and writes the checksum for the pseudo-header of `ip` (the IPv6 source and
    /// final destination), as [`UdpView::fill_checksum`](crate::udp::UdpView::fill_checksum)
    /// does.
    pub fn fill_checksum(&mut self, ip: &IpPair) {
        let msg = self.buffer.as_ref();
        let Ok(len) = u32::try_from(msg.len()) else {
            return;
        };
        let mut acc = ip.pseudo_header(IpProtocol::ICMPV6.0, len);
        acc = sum(acc, slice(msg, 0, 2));
        acc = sum(acc, tail(msg, 4));
        let c = !fold(acc);
        self.set_checksum(c);
    }
}

/// The Neighbor Discovery options start of each ND type (RFC 4861 §4.1–4.4).
fn nd_options_start(t: Icmpv6Type) -> Option<usize> {
    match t {
        Icmpv6Type::ND_ROUTER_SOLICIT => Some(8),
        Icmpv6Type::ND_ROUTER_ADVERT => Some(16),
        Icmpv6Type::ND_NEIGHBOR_SOLICIT | Icmpv6Type::ND_NEIGHBOR_ADVERT => Some(24),
        _ => None,
    }
}

/// The body of a checked view, field by field, without allocating. `parse` checks type, code
/// and checksum only: [`check_body`](Self::check_body) checks the body as
/// [`decode`](Self::decode) does; the accessors below read `None` for a type they do not
/// belong to or a body too short for them, and never panic.
impl<T: AsRef<[u8]>> Icmpv6View<T> {
    /// Checks every count and length of the body, as [`decode`](Self::decode) does, without
    /// allocating.
    pub fn check_body(&self) -> Result<()> {
        check_data(self.msg_type(), self.buffer.as_ref())
    }

    /// Echo request / reply: identifier, sequence number and data.
    pub fn echo(&self) -> Option<(u16, u16, &[u8])> {
        let b = self.buffer.as_ref();
        matches!(
            self.msg_type(),
            Icmpv6Type::ECHO_REQUEST | Icmpv6Type::ECHO_REPLY
        )
        .then_some(())?;
        let [a, c, d, e] = *b.get(4..)?.first_chunk::<4>()?;
        Some((
            u16::from_be_bytes([a, c]),
            u16::from_be_bytes([d, e]),
            tail(b, 8),
        ))
    }

    /// Error messages (types 1–4): the 32-bit word after the checksum (unused; the MTU of a
    /// packet too big; the pointer of a parameter problem) and the invoking packet.
    pub fn error_fields(&self) -> Option<(u32, &[u8])> {
        let b = self.buffer.as_ref();
        (1..=4).contains(&self.msg_type().0).then_some(())?;
        let w = *b.get(4..)?.first_chunk::<4>()?;
        Some((u32::from_be_bytes(w), tail(b, 8)))
    }

    /// MLDv1 messages and MLDv2 queries (types 130–132): maximum response code and the
    /// multicast address.
    pub fn mld(&self) -> Option<(u16, Ipv6Addr)> {
        let b = self.buffer.as_ref();
        (130..=132).contains(&self.msg_type().0).then_some(())?;
        let [m0, m1] = *b.get(4..)?.first_chunk::<2>()?;
        let a = *b.get(8..)?.first_chunk::<16>()?;
        Some((u16::from_be_bytes([m0, m1]), Ipv6Addr::from(a)))
    }

    /// MLDv2 report (type 143): the reserved 16 bits and the Nr of Mcast Address Records
    /// field (`None` for another type or a message shorter than the 8-byte report header).
    pub fn mldv2_report_header(&self) -> Option<(u16, u16)> {
        let b = self.buffer.as_ref();
        (self.msg_type() == Icmpv6Type::MLDV2_LISTENER_REPORT).then_some(())?;
        let [r0, r1, n0, n1] = *b.get(4..)?.first_chunk::<4>()?;
        Some((u16::from_be_bytes([r0, r1]), u16::from_be_bytes([n0, n1])))
    }

    /// The multicast address records of an MLDv2 report (type 143), checked one by one as
    /// [`decode`](Self::decode) checks them (`None` for another type, and for a message
    /// shorter than the 8-byte report header: [`check_body`](Self::check_body) says what is
    /// missing). Offsets in the errors count from the message's first byte.
    ///
    /// ```
    /// use sdnwire_packet::icmpv6::{Icmpv6, Icmpv6View, Mldv2ReportGroup};
    /// use sdnwire_packet::Encode;
    ///
    /// let g = Mldv2ReportGroup::new(
    ///     Mldv2ReportGroup::CHANGE_TO_EXCLUDE_MODE,
    ///     "ff02::fb".parse().unwrap(),
    ///     vec![],
    /// );
    /// let mut msg = Icmpv6::mldv2_report(vec![g]);
    /// msg.csum = Some(0);
    /// let bytes = msg.to_vec()?;
    /// let view = Icmpv6View::parse(&bytes[..])?;
    /// let rec = view.mldv2_records().unwrap().next().unwrap()?;
    /// assert_eq!((rec.record_type(), rec.offset()), (4, 8));
    /// assert_eq!(rec.address(), "ff02::fb".parse::<core::net::Ipv6Addr>().unwrap());
    /// # Ok::<(), sdnwire_packet::Error>(())
    /// ```
    pub fn mldv2_records(&self) -> Option<Mldv2Records<'_>> {
        let b = self.buffer.as_ref();
        (self.msg_type() == Icmpv6Type::MLDV2_LISTENER_REPORT && b.len() >= 8)
            .then(|| Mldv2Records::new(b))
    }

    /// Neighbor solicitation / advertisement: the R/S/O flags byte and the target address.
    pub fn nd_target(&self) -> Option<(u8, Ipv6Addr)> {
        let b = self.buffer.as_ref();
        matches!(
            self.msg_type(),
            Icmpv6Type::ND_NEIGHBOR_SOLICIT | Icmpv6Type::ND_NEIGHBOR_ADVERT
        )
        .then_some(())?;
        let flags = *b.get(4)?;
        let a = *b.get(8..)?.first_chunk::<16>()?;
        Some((flags, Ipv6Addr::from(a)))
    }

    /// The Neighbor Discovery options of a router solicitation or advertisement or a neighbor
    /// solicitation or advertisement (`None` for another type, and when the message is too
    /// short for its type's fixed part: [`Icmpv6View::check_body`] says what is missing).
    pub fn nd_options(&self) -> Option<NdOptions<'_>> {
        let start = nd_options_start(self.msg_type())?;
        if self.buffer.as_ref().len() < start {
            return None;
        }
        Some(NdOptions {
            msg: self.buffer.as_ref(),
            off: start,
            failed: false,
        })
    }
}

/// One Neighbor Discovery option of an [`Icmpv6View`], borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NdOptionView<'a> {
    type_: u8,
    length: u8,
    data: &'a [u8],
}

impl<'a> NdOptionView<'a> {
    /// Option type.
    pub fn option_type(&self) -> u8 {
        self.type_
    }

    /// Length in 8-byte units, type and length bytes included.
    pub fn length(&self) -> u8 {
        self.length
    }

    /// The option after its type and length bytes.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The owned option.
    pub fn decode(&self) -> NdOption {
        NdOption {
            type_: self.type_,
            length: Some(self.length),
            data: self.data.to_vec(),
        }
    }
}

/// What the decoded value prints.
impl fmt::Display for NdOptionView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

/// Iterator over the Neighbor Discovery options of an [`Icmpv6View`] (see
/// [`Icmpv6View::nd_options`]): yields `Err` once and stops on an option of length 0 or one
/// that runs past the message (which [`Icmpv6View::check_body`] reports). Allocates nothing.
#[derive(Debug, Clone)]
pub struct NdOptions<'a> {
    msg: &'a [u8],
    off: usize,
    failed: bool,
}

impl<'a> Iterator for NdOptions<'a> {
    type Item = Result<NdOptionView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.off >= self.msg.len() {
            return None;
        }
        // One option, checked as `walk_options` (and so `decode`) checks it: stop there.
        let next_end = self.msg.len().min(
            self.off
                .saturating_add(usize::from(self.msg.get(self.off + 1).copied().unwrap_or(0)) * 8)
                .max(self.off + 2),
        );
        let one = slice(self.msg, 0, next_end);
        let mut found = None;
        match walk_options(one, self.off, |t, l, d| found = Some((t, l, d.len()))) {
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
            Ok(()) => {
                let (t, l, n) = found?;
                let start = self.off + 2;
                let data = slice(self.msg, start, start + n);
                self.off += usize::from(l) * 8;
                Some(Ok(NdOptionView {
                    type_: t,
                    length: l,
                    data,
                }))
            }
        }
    }
}

impl core::iter::FusedIterator for NdOptions<'_> {}

/// Echo request / reply body (Ryu's `echo`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Echo {
    /// Identifier.
    pub id: u16,
    /// Sequence number.
    pub seq: u16,
    /// Data echoed back.
    pub data: Vec<u8>,
}

/// The body of an ICMPv6 message, decoded by type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum Icmpv6Data {
    /// Echo request (128) or reply (129).
    Echo(Echo),
    /// Destination unreachable (1).
    DestUnreachable {
        /// The unused 32 bits.
        unused: u32,
        /// As much of the invoking packet as fits.
        data: Vec<u8>,
    },
    /// Packet too big (2).
    PacketTooBig {
        /// MTU of the next-hop link.
        mtu: u32,
        /// As much of the invoking packet as fits.
        data: Vec<u8>,
    },
    /// Time exceeded (3).
    TimeExceeded {
        /// The unused 32 bits.
        unused: u32,
        /// As much of the invoking packet as fits.
        data: Vec<u8>,
    },
    /// Parameter problem (4).
    ParamProblem {
        /// Offset of the error in the invoking packet.
        pointer: u32,
        /// As much of the invoking packet as fits.
        data: Vec<u8>,
    },
    /// MLDv1 query (130, 24-byte message), report (131) or done (132).
    Mld(Mld),
    /// MLDv2 query (130, message of 28 bytes or more).
    Mldv2Query(Mldv2Query),
    /// MLDv2 report (143).
    Mldv2Report(Mldv2Report),
    /// Router solicitation (133).
    NdRouterSolicit(NdRouterSolicit),
    /// Router advertisement (134).
    NdRouterAdvert(NdRouterAdvert),
    /// Neighbor solicitation (135) or advertisement (136).
    NdNeighbor(NdNeighbor),
    /// Any other body, as bytes.
    Raw(Vec<u8>),
}

fn options_len(o: &[NdOption]) -> usize {
    o.iter().map(NdOption::len).sum()
}

impl Icmpv6Data {
    /// Bytes of the body on the wire.
    pub fn len(&self) -> usize {
        match self {
            Icmpv6Data::Echo(e) => 4 + e.data.len(),
            Icmpv6Data::DestUnreachable { data, .. }
            | Icmpv6Data::PacketTooBig { data, .. }
            | Icmpv6Data::TimeExceeded { data, .. }
            | Icmpv6Data::ParamProblem { data, .. } => 4 + data.len(),
            Icmpv6Data::Mld(_) => 20,
            Icmpv6Data::Mldv2Query(q) => q.len(),
            Icmpv6Data::Mldv2Report(r) => r.len(),
            Icmpv6Data::NdRouterSolicit(r) => 4 + options_len(&r.options),
            Icmpv6Data::NdRouterAdvert(r) => 12 + options_len(&r.options),
            Icmpv6Data::NdNeighbor(n) => n.len(),
            Icmpv6Data::Raw(b) => b.len(),
        }
    }

    /// True if the body is empty (only a [`Icmpv6Data::Raw`] body can be).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Reads a 16-byte address at `at` (all zeros past the end: callers check lengths first).
fn addr(buf: &[u8], at: usize) -> Ipv6Addr {
    let mut o = [0u8; 16];
    if let Some(b) = tail(buf, at).first_chunk::<16>() {
        o = *b;
    }
    Ipv6Addr::from(o)
}

fn byte(buf: &[u8], at: usize) -> u8 {
    buf.get(at).copied().unwrap_or(0)
}

/// Reads `n` addresses from `at`; the caller has checked that they fit.
fn addrs(buf: &[u8], at: usize, n: usize) -> Vec<Ipv6Addr> {
    let mut v = Vec::new();
    for i in 0..n {
        v.push(addr(buf, at + 16 * i));
    }
    v
}

/// Checks the body of `msg` exactly as [`parse_data`] does, without allocating: the walker
/// (and so [`PacketView`](crate::PacketView)) accepts what [`Icmpv6::parse`] accepts.
fn check_data(t: Icmpv6Type, msg: &[u8]) -> Result<()> {
    let none = |_: u8, _: u8, _: &[u8]| {};
    match t {
        Icmpv6Type::ECHO_REQUEST | Icmpv6Type::ECHO_REPLY => need(L, msg, 0, 8, "echo message"),
        Icmpv6Type::DST_UNREACH => need(L, msg, 0, 8, "destination unreachable message"),
        Icmpv6Type::PACKET_TOO_BIG => need(L, msg, 0, 8, "packet too big message"),
        Icmpv6Type::TIME_EXCEEDED => need(L, msg, 0, 8, "time exceeded message"),
        Icmpv6Type::PARAM_PROB => need(L, msg, 0, 8, "parameter problem message"),
        Icmpv6Type::MLD_LISTENER_QUERY
        | Icmpv6Type::MLD_LISTENER_REPORT
        | Icmpv6Type::MLD_LISTENER_DONE => {
            need(L, msg, 0, 24, "MLD message")?;
            if msg.len() >= 28 && t == Icmpv6Type::MLD_LISTENER_QUERY {
                check_mldv2_query(msg)?;
            }
            Ok(())
        }
        Icmpv6Type::MLDV2_LISTENER_REPORT => walk_mldv2_report(msg, |_, _, _| {}).map(|_| ()),
        Icmpv6Type::ND_ROUTER_SOLICIT => {
            need(L, msg, 0, 8, "router solicitation")?;
            walk_options(msg, 8, none)
        }
        Icmpv6Type::ND_ROUTER_ADVERT => {
            need(L, msg, 0, 16, "router advertisement")?;
            walk_options(msg, 16, none)
        }
        Icmpv6Type::ND_NEIGHBOR_SOLICIT | Icmpv6Type::ND_NEIGHBOR_ADVERT => {
            need(L, msg, 0, 24, "neighbor discovery message")?;
            walk_options(msg, 24, none)
        }
        _ => Ok(()),
    }
}

/// Parses the body of `msg` (the whole message) by type.
fn parse_data(t: Icmpv6Type, msg: &[u8]) -> Result<Icmpv6Data> {
    let word = |what| need(L, msg, 0, 8, what).map(|()| (be32(msg, 4), tail(msg, 8).to_vec()));
    Ok(match t {
        Icmpv6Type::ECHO_REQUEST | Icmpv6Type::ECHO_REPLY => {
            need(L, msg, 0, 8, "echo message")?;
            Icmpv6Data::Echo(Echo {
                id: be16(msg, 4),
                seq: be16(msg, 6),
                data: tail(msg, 8).to_vec(),
            })
        }
        Icmpv6Type::DST_UNREACH => {
            let (unused, data) = word("destination unreachable message")?;
            Icmpv6Data::DestUnreachable { unused, data }
        }
        Icmpv6Type::PACKET_TOO_BIG => {
            let (mtu, data) = word("packet too big message")?;
            Icmpv6Data::PacketTooBig { mtu, data }
        }
        Icmpv6Type::TIME_EXCEEDED => {
            let (unused, data) = word("time exceeded message")?;
            Icmpv6Data::TimeExceeded { unused, data }
        }
        Icmpv6Type::PARAM_PROB => {
            let (pointer, data) = word("parameter problem message")?;
            Icmpv6Data::ParamProblem { pointer, data }
        }
        Icmpv6Type::MLD_LISTENER_QUERY
        | Icmpv6Type::MLD_LISTENER_REPORT
        | Icmpv6Type::MLD_LISTENER_DONE => {
            need(L, msg, 0, 24, "MLD message")?;
            match msg.len() {
                24 => Icmpv6Data::Mld(Mld {
                    maxresp: be16(msg, 4),
                    reserved: be16(msg, 6),
                    address: addr(msg, 8),
                }),
                n if n >= 28 && t == Icmpv6Type::MLD_LISTENER_QUERY => {
                    Icmpv6Data::Mldv2Query(parse_mldv2_query(msg)?)
                }
                // RFC 3810 §8.1: a query of 25 to 27 bytes is ignored; a v1 report or done
                // with extra bytes is no MLDv2 message either. Kept as they are.
                _ => Icmpv6Data::Raw(tail(msg, 4).to_vec()),
            }
        }
        Icmpv6Type::MLDV2_LISTENER_REPORT => Icmpv6Data::Mldv2Report(parse_mldv2_report(msg)?),
        Icmpv6Type::ND_ROUTER_SOLICIT => {
            need(L, msg, 0, 8, "router solicitation")?;
            Icmpv6Data::NdRouterSolicit(NdRouterSolicit {
                res: be32(msg, 4),
                options: parse_options(msg, 8)?,
            })
        }
        Icmpv6Type::ND_ROUTER_ADVERT => {
            need(L, msg, 0, 16, "router advertisement")?;
            let flags = byte(msg, 5);
            Icmpv6Data::NdRouterAdvert(NdRouterAdvert {
                ch_l: byte(msg, 4),
                res: flags >> 6,
                flags: flags & 0x3f,
                rou_l: be16(msg, 6),
                rea_t: be32(msg, 8),
                ret_t: be32(msg, 12),
                options: parse_options(msg, 16)?,
            })
        }
        Icmpv6Type::ND_NEIGHBOR_SOLICIT | Icmpv6Type::ND_NEIGHBOR_ADVERT => {
            need(L, msg, 0, 24, "neighbor discovery message")?;
            let w = be32(msg, 4);
            #[allow(clippy::cast_possible_truncation)] // 3 bits
            let res = (w >> 29) as u8;
            Icmpv6Data::NdNeighbor(NdNeighbor {
                res,
                reserved: w & 0x1fff_ffff,
                dst: addr(msg, 8),
                options: parse_options(msg, 24)?,
            })
        }
        _ => Icmpv6Data::Raw(tail(msg, 4).to_vec()),
    })
}

/// An ICMPv6 message (Ryu's `icmpv6`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Icmpv6 {
    /// Message type. The serializer writes it as is: keep it in line with `data`.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub type_: Icmpv6Type,
    /// Code.
    pub code: u8,
    /// Checksum; `None` computes it over the IPv6 pseudo-header and the message.
    pub csum: Option<u16>,
    /// The body.
    pub data: Icmpv6Data,
}

impl Icmpv6 {
    /// A message of `type_`, code 0, checksum computed.
    pub fn new(type_: Icmpv6Type, data: Icmpv6Data) -> Self {
        Icmpv6 {
            type_,
            code: 0,
            csum: None,
            data,
        }
    }

    /// An echo request.
    pub fn echo_request(id: u16, seq: u16, data: impl Into<Vec<u8>>) -> Self {
        Self::new(
            Icmpv6Type::ECHO_REQUEST,
            Icmpv6Data::Echo(Echo {
                id,
                seq,
                data: data.into(),
            }),
        )
    }

    /// An echo reply.
    pub fn echo_reply(id: u16, seq: u16, data: impl Into<Vec<u8>>) -> Self {
        Self::new(
            Icmpv6Type::ECHO_REPLY,
            Icmpv6Data::Echo(Echo {
                id,
                seq,
                data: data.into(),
            }),
        )
    }

    /// A neighbor solicitation for `target`, with a source link-layer address option when
    /// `sla` is given.
    pub fn neighbor_solicit(target: Ipv6Addr, sla: Option<MacAddr>) -> Self {
        let options = sla.map(NdOption::source_link_addr).into_iter().collect();
        Self::new(
            Icmpv6Type::ND_NEIGHBOR_SOLICIT,
            Icmpv6Data::NdNeighbor(NdNeighbor {
                res: 0,
                reserved: 0,
                dst: target,
                options,
            }),
        )
    }

    /// An MLDv2 report of `records`.
    pub fn mldv2_report(records: Vec<Mldv2ReportGroup>) -> Self {
        Self::new(
            Icmpv6Type::MLDV2_LISTENER_REPORT,
            Icmpv6Data::Mldv2Report(Mldv2Report {
                records,
                ..Mldv2Report::default()
            }),
        )
    }

    /// Parses a whole message.
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Icmpv6View::parse(buf)?.decode()
    }
}

impl<T: AsRef<[u8]>> Icmpv6View<T> {
    /// The owned message: decodes the body by type. Fails as [`Icmpv6::parse`] does on a
    /// malformed body, since the view's [`parse`](Self::parse) checks only type, code and
    /// checksum (a view taken from a [`PacketView`](crate::PacketView) was checked whole and
    /// decodes without error).
    pub fn decode(&self) -> Result<Icmpv6> {
        let v = self;
        let t = v.msg_type();
        Ok(Icmpv6 {
            type_: t,
            code: v.code(),
            csum: Some(v.checksum()),
            data: parse_data(t, v.buffer.as_ref())?,
        })
    }
}

/// The whole message is this layer: the IPv6 payload length already bounds it.
pub(crate) fn step_icmpv6(buf: &[u8]) -> Result<Step> {
    need(L, buf, 0, Icmpv6View::<&[u8]>::HEADER_LEN, "header")?;
    check_data(Icmpv6Type(byte(buf, 0)), buf)?;
    Ok(Step {
        header_len: buf.len(),
        end: buf.len(),
        next: Next::Payload,
    })
}

fn unencodable(what: &'static str, reason: &'static str) -> Error {
    Error::Unencodable {
        layer: L,
        what,
        reason,
    }
}

/// `Encode` for a part written through [`Cursor`]: `encoded_len` is its `len()`, `encode`
/// checks the room once and writes it with `$write` (`c` the cursor, `v` the value).
macro_rules! cursor_encode {
    ($(#[$m:meta])* $t:ty, |$c:ident, $v:ident| $write:expr) => {
        $(#[$m])*
        impl Encode for $t {
            type Error = Error;

            fn encoded_len(&self) -> usize {
                self.len()
            }

            fn encode(&self, buf: &mut [u8]) -> Result<usize> {
                let n = self.len();
                let mut $c = Cursor {
                    buf: room(buf, n)?,
                    at: 0,
                };
                let $v = self;
                $write?;
                Ok(n)
            }
        }
    };
}

/// Writes fields one after the other into a buffer already checked to be long enough.
struct Cursor<'a> {
    buf: &'a mut [u8],
    at: usize,
}

impl Cursor<'_> {
    fn u8(&mut self, v: u8) {
        if let Some(b) = self.buf.get_mut(self.at) {
            *b = v;
        }
        self.at += 1;
    }

    fn u16(&mut self, v: u16) {
        put16(self.buf, self.at, v);
        self.at += 2;
    }

    fn u32(&mut self, v: u32) {
        put32(self.buf, self.at, v);
        self.at += 4;
    }

    fn bytes(&mut self, v: &[u8]) {
        put_bytes(self.buf, self.at, v);
        self.at += v.len();
    }

    fn addrs(&mut self, v: &[Ipv6Addr]) {
        for a in v {
            self.bytes(&a.octets());
        }
    }

    fn options(&mut self, v: &[NdOption]) -> Result<()> {
        for o in v {
            self.option(o)?;
        }
        Ok(())
    }

    fn option(&mut self, o: &NdOption) -> Result<()> {
        let length = match o.length {
            Some(l) => l,
            None => o.computed_length().ok_or_else(|| {
                unencodable(
                    "ND option",
                    "2 + data length must be a multiple of 8, at most 2040",
                )
            })?,
        };
        self.u8(o.type_);
        self.u8(length);
        self.bytes(&o.data);
        Ok(())
    }

    fn group(&mut self, g: &Mldv2ReportGroup) -> Result<()> {
        let aux_len = match g.aux_len {
            Some(v) => v,
            None if g.aux.len() % 4 == 0 => u8::try_from(g.aux.len() / 4)
                .map_err(|_| unencodable("aux_len", "more than 255 words of aux data"))?,
            None => {
                return Err(unencodable("aux", "length must be a multiple of 4"));
            }
        };
        let num = count16("num", g.num, g.srcs.len())?;
        self.u8(g.type_);
        self.u8(aux_len);
        self.u16(num);
        self.bytes(&g.address.octets());
        self.addrs(&g.srcs);
        self.bytes(&g.aux);
        Ok(())
    }
}

fn count16(what: &'static str, set: Option<u16>, n: usize) -> Result<u16> {
    match set {
        Some(v) => Ok(v),
        None => len16(L, what, n),
    }
}

impl Icmpv6Data {
    /// Writes the body at the front of `c`.
    fn emit(&self, c: &mut Cursor<'_>) -> Result<()> {
        match self {
            Icmpv6Data::Echo(e) => {
                c.u16(e.id);
                c.u16(e.seq);
                c.bytes(&e.data);
            }
            Icmpv6Data::DestUnreachable { unused: w, data }
            | Icmpv6Data::PacketTooBig { mtu: w, data }
            | Icmpv6Data::TimeExceeded { unused: w, data }
            | Icmpv6Data::ParamProblem { pointer: w, data } => {
                c.u32(*w);
                c.bytes(data);
            }
            Icmpv6Data::Mld(m) => {
                c.u16(m.maxresp);
                c.u16(m.reserved);
                c.bytes(&m.address.octets());
            }
            Icmpv6Data::Mldv2Query(q) => {
                if q.resv > 0x0f || q.qrv > 7 {
                    return Err(unencodable(
                        "MLDv2 query",
                        "resv must fit in 4 bits and qrv in 3",
                    ));
                }
                let num = count16("num", q.num, q.srcs.len())?;
                c.u16(q.maxresp);
                c.u16(q.reserved);
                c.bytes(&q.address.octets());
                c.u8((q.resv << 4) | (u8::from(q.s_flg) << 3) | q.qrv);
                c.u8(q.qqic);
                c.u16(num);
                c.addrs(&q.srcs);
                c.bytes(&q.trailing);
            }
            Icmpv6Data::Mldv2Report(r) => {
                let record_num = count16("record_num", r.record_num, r.records.len())?;
                c.u16(r.reserved);
                c.u16(record_num);
                for g in &r.records {
                    c.group(g)?;
                }
                c.bytes(&r.trailing);
            }
            Icmpv6Data::NdRouterSolicit(r) => {
                c.u32(r.res);
                c.options(&r.options)?;
            }
            Icmpv6Data::NdRouterAdvert(r) => {
                if r.res > 3 || r.flags > 0x3f {
                    return Err(unencodable(
                        "router advertisement",
                        "res must fit in 2 bits, flags in 6",
                    ));
                }
                c.u8(r.ch_l);
                c.u8((r.res << 6) | r.flags);
                c.u16(r.rou_l);
                c.u32(r.rea_t);
                c.u32(r.ret_t);
                c.options(&r.options)?;
            }
            Icmpv6Data::NdNeighbor(n) => {
                if n.res > 7 || n.reserved > 0x1fff_ffff {
                    return Err(unencodable(
                        "nd_neighbor",
                        "res must fit in 3 bits, reserved in 29",
                    ));
                }
                c.u32((u32::from(n.res) << 29) | n.reserved);
                c.bytes(&n.dst.octets());
                c.options(&n.options)?;
            }
            Icmpv6Data::Raw(b) => c.bytes(b),
        }
        Ok(())
    }
}

impl Protocol for Icmpv6 {
    const KIND: LayerKind = LayerKind::Icmpv6;

    fn header_len(&self) -> usize {
        4 + self.data.len()
    }

    fn emit(&self, buf: &mut [u8], ctx: &EmitContext) -> Result<()> {
        let hl = self.header_len();
        emit_room(L, buf, hl)?;
        {
            let mut c = Cursor {
                buf: buf.get_mut(..hl).unwrap_or(&mut []),
                at: 0,
            };
            c.u8(self.type_.0);
            c.u8(self.code);
            c.u16(0);
            self.data.emit(&mut c)?;
        }
        let csum = match self.csum {
            Some(v) => v,
            None => match ctx.ip {
                Some(IpPair::V6(src, dst)) => compute_checksum(src, dst, buf)
                    .ok_or_else(|| unencodable("csum", "message longer than 2^32 bytes"))?,
                _ => {
                    return Err(unencodable(
                        "csum",
                        "not set, and no IPv6 layer below for the pseudo-header",
                    ));
                }
            },
        };
        put16(buf, 2, csum);
        Ok(())
    }

    fn from_layer(layer: &Layer) -> Option<&Self> {
        match layer {
            Layer::Icmpv6(v) => Some(v),
            _ => None,
        }
    }

    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self> {
        match layer {
            Layer::Icmpv6(v) => Some(v),
            _ => None,
        }
    }
}

/// `['a', 'b']`, as Ryu prints a list of addresses.
struct AddrList<'a>(&'a [Ipv6Addr]);

impl fmt::Display for AddrList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, a) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            Quoted(a).fmt(f)?;
        }
        f.write_str("]")
    }
}

/// Bytes as Ryu shows an optional bytes attribute: `None` when empty.
struct BytesOrNone<'a>(&'a [u8]);

impl fmt::Display for BytesOrNone<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("None")
        } else {
            PyBytes(self.0).fmt(f)
        }
    }
}

impl fmt::Display for Echo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "echo(data={},id={},seq={})",
            BytesOrNone(&self.data),
            self.id,
            self.seq
        )
    }
}

impl fmt::Display for Icmpv6Data {
    /// The body as Ryu shows it: its own object for the types Ryu decodes, else the bytes of
    /// the whole body.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Icmpv6Data::Echo(v) => v.fmt(f),
            Icmpv6Data::Mld(v) => v.fmt(f),
            Icmpv6Data::Mldv2Query(v) => v.fmt(f),
            Icmpv6Data::Mldv2Report(v) => v.fmt(f),
            Icmpv6Data::NdRouterSolicit(v) => v.fmt(f),
            Icmpv6Data::NdRouterAdvert(v) => v.fmt(f),
            Icmpv6Data::NdNeighbor(v) => v.fmt(f),
            Icmpv6Data::Raw(b) => PyBytes(b).fmt(f),
            Icmpv6Data::DestUnreachable { unused: w, data }
            | Icmpv6Data::PacketTooBig { mtu: w, data }
            | Icmpv6Data::TimeExceeded { unused: w, data }
            | Icmpv6Data::ParamProblem { pointer: w, data } => {
                let mut b = Vec::with_capacity(4 + data.len());
                b.extend_from_slice(&w.to_be_bytes());
                b.extend_from_slice(data);
                PyBytes(&b).fmt(f)
            }
        }
    }
}

impl fmt::Display for Icmpv6 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "icmpv6(code={},csum={},data={},type_={})",
            self.code,
            Opt(self.csum),
            self.data,
            self.type_
        )
    }
}

cursor_encode!(
    /// An ND option on its own: type, length (computed when `None`) and data, as it sits in a
    /// neighbor discovery message.
    NdOption,
    |c, v| c.option(v)
);

cursor_encode!(
    /// An MLDv2 multicast address record on its own, as it sits in a report.
    Mldv2ReportGroup,
    |c, v| c.group(v)
);

/// What the decoded message prints (Ryu's notation). A body that does not decode (the view
/// checks only type, code and checksum) is shown as `data=<error>` with the decoding error.
impl<T: AsRef<[u8]>> fmt::Display for Icmpv6View<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decode() {
            Ok(m) => fmt::Display::fmt(&m, f),
            Err(e) => write!(
                f,
                "icmpv6(code={},csum={},data=<{}>,type_={})",
                self.code(),
                self.checksum(),
                e,
                self.msg_type()
            ),
        }
    }
}

cursor_encode!(
    /// The body on its own: the bytes after type, code and checksum, as they sit in the message
    /// (its checksum covers the pseudo-header, type and code too, so it is computed only by
    /// [`Icmpv6`]'s encoding).
    Icmpv6Data,
    |c, v| v.emit(&mut c)
);

#[cfg(test)]
mod tests;
