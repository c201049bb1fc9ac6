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

use crate::checksum::{fold, sum};
use crate::encode::{room, Encode};
use crate::error::{need, Error, LayerKind, Result};
use crate::ip::IpProtocol;
use crate::layer::{emit_room, len16, EmitContext, IpPair, Next, Protocol, Step};
use crate::mac::MacAddr;
use crate::raw::{be16, be32, put16, put32, put_bytes, slice, tail};
use crate::repr::{List, Opt, PyBytes, Quoted};
use crate::stack::Layer;

const L: LayerKind = LayerKind::Icmpv6;

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

impl fmt::Display for Icmpv6Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for Icmpv6Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Icmpv6Type({})", self.0)
    }
}

impl From<u8> for Icmpv6Type {
    fn from(v: u8) -> Self {
        Icmpv6Type(v)
    }
}

impl From<Icmpv6Type> for u8 {
    fn from(v: Icmpv6Type) -> Self {
        v.0
    }
}

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
}

impl<T: AsRef<[u8]>> Icmpv6View<T> {
    /// Wraps bytes that [`parse`](Self::parse) accepted before (the spans of
    /// [`PacketView`](crate::PacketView)), without checking them again. Accessors never
    /// panic whatever the bytes; on bytes that `parse` refuses they read zeros.
    #[inline]
    pub(crate) fn from_validated(buffer: T) -> Self {
        Icmpv6View { buffer }
    }

    /// Length of the type, code and checksum.
    pub const HEADER_LEN: usize = 4;

    /// Wraps `buffer`, checking that it holds type, code and checksum. The body is not
    /// checked here ([`Icmpv6::parse`] checks it).
    pub fn parse(buffer: T) -> Result<Self> {
        need(L, buffer.as_ref(), 0, Self::HEADER_LEN, "header")?;
        Ok(Icmpv6View { buffer })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    /// Message type.
    pub fn msg_type(&self) -> Icmpv6Type {
        Icmpv6Type(self.buffer.as_ref().first().copied().unwrap_or(0))
    }

    /// Code.
    pub fn code(&self) -> u8 {
        self.buffer.as_ref().get(1).copied().unwrap_or(0)
    }

    /// Checksum field.
    pub fn checksum(&self) -> u16 {
        be16(self.buffer.as_ref(), 2)
    }

    /// Everything after the checksum.
    pub fn body(&self) -> &[u8] {
        tail(self.buffer.as_ref(), Self::HEADER_LEN)
    }

    /// Checks the checksum against the pseudo-header of `src` and `dst` (the final
    /// destination). Returns [`Error::BadChecksum`] with the value the field should hold.
    pub fn verify_checksum(&self, src: Ipv6Addr, dst: Ipv6Addr) -> Result<()> {
        let msg = self.buffer.as_ref();
        let found = self.checksum();
        let len = u32::try_from(msg.len()).unwrap_or(u32::MAX);
        let acc = sum(
            crate::checksum::pseudo_header_v6(src, dst, IpProtocol::ICMPV6.0, len),
            msg,
        );
        if fold(acc) == 0xffff {
            return Ok(());
        }
        let computed = compute_checksum(src, dst, msg).unwrap_or(0);
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
    }

    /// Computes and writes the checksum for the pseudo-header of `src` and `dst`.
    pub fn fill_checksum(&mut self, src: Ipv6Addr, dst: Ipv6Addr) {
        if let Some(c) = compute_checksum(src, dst, self.buffer.as_ref()) {
            self.set_checksum(c);
        }
    }
}

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

/// MLDv1 query, report or done body (Ryu's `mld`), RFC 2710 §3.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mld {
    /// Maximum response delay in milliseconds (queries only).
    pub maxresp: u16,
    /// The reserved 16 bits.
    pub reserved: u16,
    /// Multicast address (`::` in a general query).
    pub address: Ipv6Addr,
}

/// MLDv2 query body (Ryu's `mldv2_query`), RFC 3810 §5.1.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mldv2Query {
    /// Maximum response code (see [`Mldv2Query::max_resp_delay_ms`]).
    pub maxresp: u16,
    /// The reserved 16 bits after it.
    pub reserved: u16,
    /// Multicast address (`::` in a general query).
    pub address: Ipv6Addr,
    /// The reserved 4 bits in front of the S flag.
    pub resv: u8,
    /// S flag: suppress router-side processing.
    pub s_flg: bool,
    /// Querier's robustness variable (3 bits).
    pub qrv: u8,
    /// Querier's query interval code.
    pub qqic: u8,
    /// Number of sources; `None` counts `srcs`.
    pub num: Option<u16>,
    /// Source addresses.
    pub srcs: Vec<Ipv6Addr>,
    /// Bytes after the sources (RFC 3810 §5.1.12: ignored, but covered by the checksum).
    pub trailing: Vec<u8>,
}

/// Decodes MLDv2's 16-bit floating-point code (RFC 3810 §5.1.3).
fn mld_code16(code: u16) -> u32 {
    if code < 0x8000 {
        u32::from(code)
    } else {
        let exp = (code >> 12) & 7;
        let mant = code & 0x0fff;
        (u32::from(mant) | 0x1000) << (exp + 3)
    }
}

impl Mldv2Query {
    /// A general query (address `::`, no sources), QRV 2, query interval 125 s.
    pub fn general(maxresp: u16) -> Self {
        Mldv2Query {
            maxresp,
            reserved: 0,
            address: Ipv6Addr::UNSPECIFIED,
            resv: 0,
            s_flg: false,
            qrv: 2,
            qqic: 125,
            num: None,
            srcs: Vec::new(),
            trailing: Vec::new(),
        }
    }

    /// The maximum response delay in milliseconds that `maxresp` encodes.
    pub fn max_resp_delay_ms(&self) -> u32 {
        mld_code16(self.maxresp)
    }

    /// The querier's query interval in seconds that `qqic` encodes (RFC 3810 §5.1.9).
    pub fn qqi_secs(&self) -> u32 {
        if self.qqic < 0x80 {
            u32::from(self.qqic)
        } else {
            (u32::from(self.qqic & 0x0f) | 0x10) << (((self.qqic >> 4) & 7) + 3)
        }
    }

    fn len(&self) -> usize {
        24 + 16 * self.srcs.len() + self.trailing.len()
    }
}

/// One multicast address record of an MLDv2 report (Ryu's `mldv2_report_group`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mldv2ReportGroup {
    /// Record type ([`Mldv2ReportGroup::MODE_IS_INCLUDE`], ...).
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub type_: u8,
    /// Auxiliary data length in 32-bit words; `None` computes it from `aux`.
    pub aux_len: Option<u8>,
    /// Number of sources; `None` counts `srcs`.
    pub num: Option<u16>,
    /// Multicast address.
    pub address: Ipv6Addr,
    /// Source addresses.
    pub srcs: Vec<Ipv6Addr>,
    /// Auxiliary data.
    pub aux: Vec<u8>,
}

impl Mldv2ReportGroup {
    /// MODE_IS_INCLUDE.
    pub const MODE_IS_INCLUDE: u8 = 1;
    /// MODE_IS_EXCLUDE.
    pub const MODE_IS_EXCLUDE: u8 = 2;
    /// CHANGE_TO_INCLUDE_MODE.
    pub const CHANGE_TO_INCLUDE_MODE: u8 = 3;
    /// CHANGE_TO_EXCLUDE_MODE.
    pub const CHANGE_TO_EXCLUDE_MODE: u8 = 4;
    /// ALLOW_NEW_SOURCES.
    pub const ALLOW_NEW_SOURCES: u8 = 5;
    /// BLOCK_OLD_SOURCES.
    pub const BLOCK_OLD_SOURCES: u8 = 6;

    /// A record of `type_` for `address` with `srcs`, counts computed.
    pub fn new(type_: u8, address: Ipv6Addr, srcs: Vec<Ipv6Addr>) -> Self {
        Mldv2ReportGroup {
            type_,
            aux_len: None,
            num: None,
            address,
            srcs,
            aux: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        20 + 16 * self.srcs.len() + self.aux.len()
    }
}

/// MLDv2 report body (Ryu's `mldv2_report`), RFC 3810 §5.2.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mldv2Report {
    /// The reserved 16 bits.
    pub reserved: u16,
    /// Number of records; `None` counts `records`.
    pub record_num: Option<u16>,
    /// Multicast address records.
    pub records: Vec<Mldv2ReportGroup>,
    /// Bytes after the last record.
    pub trailing: Vec<u8>,
}

impl Mldv2Report {
    fn len(&self) -> usize {
        4 + self
            .records
            .iter()
            .map(Mldv2ReportGroup::len)
            .sum::<usize>()
            + self.trailing.len()
    }
}

/// A Neighbor Discovery option, kept as a raw TLV (RFC 4861 §4.6).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NdOption {
    /// Option type ([`NdOption::SLA`], ...).
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub type_: u8,
    /// Length of the whole option in 8-byte units; `None` computes it from `data`.
    pub length: Option<u8>,
    /// The option after its type and length bytes.
    pub data: Vec<u8>,
}

impl NdOption {
    /// Source link-layer address.
    pub const SLA: u8 = 1;
    /// Target link-layer address.
    pub const TLA: u8 = 2;
    /// Prefix information.
    pub const PI: u8 = 3;
    /// Redirected header.
    pub const RH: u8 = 4;
    /// MTU.
    pub const MTU: u8 = 5;

    /// An option of `type_` holding `data` (2 + its length should be a multiple of 8).
    pub fn new(type_: u8, data: impl Into<Vec<u8>>) -> Self {
        NdOption {
            type_,
            length: None,
            data: data.into(),
        }
    }

    /// A source link-layer address option for an Ethernet address.
    pub fn source_link_addr(mac: MacAddr) -> Self {
        Self::new(Self::SLA, mac.octets())
    }

    /// A target link-layer address option for an Ethernet address.
    pub fn target_link_addr(mac: MacAddr) -> Self {
        Self::new(Self::TLA, mac.octets())
    }

    /// An MTU option.
    pub fn mtu(mtu: u32) -> Self {
        let [a, b, c, d] = mtu.to_be_bytes();
        Self::new(Self::MTU, [0, 0, a, b, c, d])
    }

    /// The Ethernet address of a source or target link-layer address option.
    pub fn link_addr(&self) -> Option<MacAddr> {
        match self.type_ {
            Self::SLA | Self::TLA => MacAddr::from_slice(&self.data),
            _ => None,
        }
    }

    fn len(&self) -> usize {
        2 + self.data.len()
    }

    fn computed_length(&self) -> Option<u8> {
        let n = self.len();
        if n % 8 == 0 {
            u8::try_from(n / 8).ok()
        } else {
            None
        }
    }
}

/// Neighbor solicitation / advertisement body (Ryu's `nd_neighbor`), RFC 4861 §4.3–4.4.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NdNeighbor {
    /// The three top bits of the first word: R, S, O flags of an advertisement
    /// ([`NdNeighbor::ROUTER`], ...).
    pub res: u8,
    /// The 29 reserved bits after them.
    pub reserved: u32,
    /// Target address.
    pub dst: Ipv6Addr,
    /// Options.
    pub options: Vec<NdOption>,
}

impl NdNeighbor {
    /// R flag: the sender is a router.
    pub const ROUTER: u8 = 4;
    /// S flag: sent in response to a solicitation.
    pub const SOLICITED: u8 = 2;
    /// O flag: override an existing cache entry.
    pub const OVERRIDE: u8 = 1;

    fn len(&self) -> usize {
        20 + self.options.iter().map(NdOption::len).sum::<usize>()
    }
}

/// Router solicitation body (Ryu's `nd_router_solicit`), RFC 4861 §4.1.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NdRouterSolicit {
    /// The reserved 32 bits.
    pub res: u32,
    /// Options.
    pub options: Vec<NdOption>,
}

/// Router advertisement body (Ryu's `nd_router_advert`), RFC 4861 §4.2.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NdRouterAdvert {
    /// Current hop limit.
    pub ch_l: u8,
    /// M and O flags (the top 2 bits of the flags byte).
    pub res: u8,
    /// The other 6 bits of the flags byte (home agent, router preference, proxy, reserved).
    pub flags: u8,
    /// Router lifetime in seconds.
    pub rou_l: u16,
    /// Reachable time in milliseconds.
    pub rea_t: u32,
    /// Retransmission timer in milliseconds.
    pub ret_t: u32,
    /// Options.
    pub options: Vec<NdOption>,
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

/// Parses the ND options from `off` to the end of `msg`.
/// Walks the ND options from `off` to the end of `msg`, checking every length, and hands each
/// (type, length, data) to `each`. Allocates nothing.
fn walk_options(msg: &[u8], mut off: usize, mut each: impl FnMut(u8, u8, &[u8])) -> Result<()> {
    while off < msg.len() {
        need(L, msg, off, 2, "ND option")?;
        let length = byte(msg, off + 1);
        let total = usize::from(length) * 8;
        if length == 0 {
            return Err(Error::BadLength {
                layer: L,
                offset: off + 1,
                field: "option length",
                value: 0,
                reason: "an ND option length of 0 is invalid (RFC 4861 §4.6)",
            });
        }
        if total > msg.len() - off {
            return Err(Error::BadLength {
                layer: L,
                offset: off + 1,
                field: "option length",
                value: usize::from(length),
                reason: "the option runs past the end of the message",
            });
        }
        each(byte(msg, off), length, slice(msg, off + 2, off + total));
        off += total;
    }
    Ok(())
}

fn parse_options(msg: &[u8], off: usize) -> Result<Vec<NdOption>> {
    let mut v = Vec::new();
    walk_options(msg, off, |type_, length, data| {
        v.push(NdOption {
            type_,
            length: Some(length),
            data: data.to_vec(),
        })
    })?;
    Ok(v)
}

/// Checks an MLDv2 query's source count; returns where the sources end.
fn check_mldv2_query(msg: &[u8]) -> Result<usize> {
    let num = be16(msg, 26);
    let srcs_end = 28 + 16 * usize::from(num);
    if srcs_end > msg.len() {
        return Err(Error::BadLength {
            layer: L,
            offset: 26,
            field: "num",
            value: usize::from(num),
            reason: "more sources than the message holds",
        });
    }
    Ok(srcs_end)
}

fn parse_mldv2_query(msg: &[u8]) -> Result<Mldv2Query> {
    let num = be16(msg, 26);
    let srcs_end = check_mldv2_query(msg)?;
    let flags = byte(msg, 24);
    Ok(Mldv2Query {
        maxresp: be16(msg, 4),
        reserved: be16(msg, 6),
        address: addr(msg, 8),
        resv: flags >> 4,
        s_flg: flags & 0x08 != 0,
        qrv: flags & 0x07,
        qqic: byte(msg, 25),
        num: Some(num),
        srcs: addrs(msg, 28, usize::from(num)),
        trailing: tail(msg, srcs_end).to_vec(),
    })
}

/// Walks the records of an MLDv2 report, checking every count and length, and hands each
/// record's offset, sources end and end to `each`. Returns where the records end. Allocates
/// nothing.
fn walk_mldv2_report(msg: &[u8], mut each: impl FnMut(usize, usize, usize)) -> Result<usize> {
    need(L, msg, 0, 8, "MLDv2 report header")?;
    let record_num = be16(msg, 6);
    let mut off = 8usize;
    for _ in 0..record_num {
        if off == msg.len() {
            return Err(Error::BadLength {
                layer: L,
                offset: 6,
                field: "record_num",
                value: usize::from(record_num),
                reason: "more records than the message holds",
            });
        }
        need(L, msg, off, 20, "multicast address record")?;
        let aux_len = byte(msg, off + 1);
        let num = be16(msg, off + 2);
        let srcs_end = off + 20 + 16 * usize::from(num);
        if srcs_end > msg.len() {
            return Err(Error::BadLength {
                layer: L,
                offset: off + 2,
                field: "num",
                value: usize::from(num),
                reason: "more sources than the message holds",
            });
        }
        let end = srcs_end + 4 * usize::from(aux_len);
        if end > msg.len() {
            return Err(Error::BadLength {
                layer: L,
                offset: off + 1,
                field: "aux_len",
                value: usize::from(aux_len),
                reason: "auxiliary data runs past the end of the message",
            });
        }
        each(off, srcs_end, end);
        off = end;
    }
    Ok(off)
}

fn parse_mldv2_report(msg: &[u8]) -> Result<Mldv2Report> {
    let mut records = Vec::new();
    let off = walk_mldv2_report(msg, |off, srcs_end, end| {
        let num = be16(msg, off + 2);
        records.push(Mldv2ReportGroup {
            type_: byte(msg, off),
            aux_len: Some(byte(msg, off + 1)),
            num: Some(num),
            address: addr(msg, off + 4),
            srcs: addrs(msg, off + 20, usize::from(num)),
            aux: slice(msg, srcs_end, end).to_vec(),
        });
    })?;
    Ok(Mldv2Report {
        reserved: be16(msg, 4),
        record_num: Some(be16(msg, 6)),
        records,
        trailing: tail(msg, off).to_vec(),
    })
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

impl fmt::Display for Mld {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mld(address={},maxresp={})",
            Quoted(self.address),
            self.maxresp
        )
    }
}

impl fmt::Display for Mldv2Query {
    /// Ryu's attributes; the reserved bits and trailing bytes are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mldv2_query(address={},maxresp={},num={},qqic={},qrv={},s_flg={},srcs={})",
            Quoted(self.address),
            self.maxresp,
            Opt(self.num),
            self.qqic,
            self.qrv,
            u8::from(self.s_flg),
            AddrList(&self.srcs)
        )
    }
}

impl fmt::Display for Mldv2ReportGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mldv2_report_group(address={},aux={},aux_len={},num={},srcs={},type_={})",
            Quoted(self.address),
            BytesOrNone(&self.aux),
            Opt(self.aux_len),
            Opt(self.num),
            AddrList(&self.srcs),
            self.type_
        )
    }
}

impl fmt::Display for Mldv2Report {
    /// Ryu's attributes; the reserved bits and trailing bytes are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mldv2_report(record_num={},records={})",
            Opt(self.record_num),
            List(&self.records)
        )
    }
}

impl fmt::Display for NdOption {
    /// Ryu's `nd_option_sla`, `nd_option_tla`, `nd_option_pi` and `nd_option_mtu`; any other
    /// option shows as the bytes of the whole TLV, as Ryu shows options it does not know.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let length = self.length.or_else(|| self.computed_length()).unwrap_or(0);
        let d = &self.data;
        match self.type_ {
            Self::SLA | Self::TLA if d.len() >= 6 => {
                let name = if self.type_ == Self::SLA {
                    "nd_option_sla"
                } else {
                    "nd_option_tla"
                };
                let mac = MacAddr::from_slice(d).unwrap_or_default();
                write!(
                    f,
                    "{name}(data={},hw_src={},length={length})",
                    BytesOrNone(tail(d, 6)),
                    Quoted(mac)
                )
            }
            Self::PI if d.len() == 30 => write!(
                f,
                "nd_option_pi(length={length},pl={},pre_l={},prefix={},res1={},res2={},val_l={})",
                byte(d, 0),
                be32(d, 6),
                Quoted(addr(d, 14)),
                byte(d, 1) >> 5,
                be32(d, 10),
                be32(d, 2)
            ),
            Self::MTU if d.len() == 6 => {
                write!(f, "nd_option_mtu(length={length},mtu={})", be32(d, 2))
            }
            t => {
                let mut tlv = Vec::with_capacity(self.len());
                tlv.push(t);
                tlv.push(length);
                tlv.extend_from_slice(d);
                PyBytes(&tlv).fmt(f)
            }
        }
    }
}

/// Ryu's single `option` attribute: `None`, the one option, or a list when there are more.
struct OneOption<'a>(&'a [NdOption]);

impl fmt::Display for OneOption<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [] => f.write_str("None"),
            [o] => o.fmt(f),
            more => List(more).fmt(f),
        }
    }
}

impl fmt::Display for NdNeighbor {
    /// Ryu's `nd_neighbor`: the reserved bits are not shown; Ryu keeps one option, several show
    /// as a list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "nd_neighbor(dst={},option={},res={})",
            Quoted(self.dst),
            OneOption(&self.options),
            self.res
        )
    }
}

impl fmt::Display for NdRouterSolicit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "nd_router_solicit(option={},res={})",
            OneOption(&self.options),
            self.res
        )
    }
}

impl fmt::Display for NdRouterAdvert {
    /// Ryu's `nd_router_advert` (the six low flag bits are not shown).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "nd_router_advert(ch_l={},options={},rea_t={},res={},ret_t={},rou_l={})",
            self.ch_l,
            List(&self.options),
            self.rea_t,
            self.res,
            self.ret_t,
            self.rou_l
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

/// An ND option on its own: type, length (computed when `None`) and data, as it sits in a
/// neighbor discovery message.
impl Encode for NdOption {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        let n = self.len();
        let mut c = Cursor {
            buf: room(buf, n)?,
            at: 0,
        };
        c.option(self)?;
        Ok(n)
    }
}

/// An MLDv2 multicast address record on its own, as it sits in a report.
impl Encode for Mldv2ReportGroup {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        let n = self.len();
        let mut c = Cursor {
            buf: room(buf, n)?,
            at: 0,
        };
        c.group(self)?;
        Ok(n)
    }
}

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

/// The body on its own: the bytes after type, code and checksum, as they sit in the message
/// (its checksum covers the pseudo-header, type and code too, so it is computed only by
/// [`Icmpv6`]'s encoding).
impl Encode for Icmpv6Data {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        let n = self.len();
        let mut c = Cursor {
            buf: room(buf, n)?,
            at: 0,
        };
        self.emit(&mut c)?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipv6::{Ipv6, Ipv6View};
    use crate::{Encode, Ethernet, Packet};
    use alloc::string::ToString;
    use alloc::vec;
    use proptest::prelude::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn a(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    /// The ICMPv6 message of an Ethernet + IPv6 frame, and its pseudo-header addresses.
    fn icmp_of(frame: &[u8]) -> (Vec<u8>, Ipv6Addr, Ipv6Addr) {
        let v = Ipv6View::parse(&frame[14..]).unwrap();
        let IpPair::V6(s, d) = v.decode().pseudo_header_addrs() else {
            unreachable!()
        };
        (v.upper_layer_payload().to_vec(), s, d)
    }

    /// `ping -6 fd00::2` from a Linux host (captured, scripts/capture-fixtures.sh).
    const ECHO_REQUEST: &[u8] = include_bytes!("../testdata/icmpv6_echo_request.bin");
    /// A Linux host joining its solicited-node group (captured).
    const MLDV2_REPORT: &[u8] = include_bytes!("../testdata/mldv2_report.bin");
    /// A Linux host's duplicate address detection, with a nonce option (type 14, captured).
    const NEIGHBOR_SOLICIT: &[u8] = include_bytes!("../testdata/icmpv6_neighbor_solicitation.bin");

    /// Frames built with scapy 2.8.0 (its checksums), and what os-ken 4.2.2 printed for their
    /// ICMPv6 layer (`str(packet.Packet(frame))`), except where a comment says otherwise.
    const SCAPY: &[(&str, &str, &str)] = &[
        (
            "echo reply",
            "525400123456525400abcdef86dd6005e1a900403a4020010db800000000000000000000000120010db800000000000000000000000281004e0d1c2d0001101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f4041424344454647",
            r##"icmpv6(code=0,csum=19981,data=echo(data=b'\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFG',id=7213,seq=1),type_=129)"##,
        ),
        (
            "MLDv2 report, two records, sources",
            "33330000001652540012345686dd6000000000580001fe80000000000000505400fffe123456ff0200000000000000000000000000163a000502000001008f008f910000000204000000ff0200000000000000000000000000fb01000002ff05000000000000000000000001000320010db800000000000000000000000720010db8000000000000000000000008",
            r#"icmpv6(code=0,csum=36753,data=mldv2_report(record_num=2,records=[mldv2_report_group(address='ff02::fb',aux=None,aux_len=0,num=0,srcs=[],type_=4), mldv2_report_group(address='ff05::1:3',aux=None,aux_len=0,num=2,srcs=['2001:db8::7', '2001:db8::8'],type_=1)]),type_=143)"#,
        ),
        (
            "MLDv2 report, aux data",
            "33330000001652540012345686dd6000000000280001fe80000000000000505400fffe123456ff0200000000000000000000000000163a000502000001008f0064700000000102010000ff0e0000000000000000000000001234aabbccdd",
            r#"icmpv6(code=0,csum=25712,data=mldv2_report(record_num=1,records=[mldv2_report_group(address='ff0e::1234',aux=b'\xaa\xbb\xcc\xdd',aux_len=1,num=0,srcs=[],type_=2)]),type_=143)"#,
        ),
        (
            "MLDv2 general query",
            "333300000001525400abcdef86dd6000000000240001fe800000000000000000000000000001ff0200000000000000000000000000013a00050200000100820056962710000000000000000000000000000000000000027d0000",
            r#"icmpv6(code=0,csum=22166,data=mldv2_query(address='::',maxresp=10000,num=0,qqic=125,qrv=2,s_flg=0,srcs=[]),type_=130)"#,
        ),
        (
            "MLDv2 group-and-source query",
            "333300000001525400abcdef86dd6000000000340001fe800000000000000000000000000001ff0500000000000000000000000100033a000502000001008200441e03e80000ff0500000000000000000000000100030b3c000120010db8000000000000000000000007",
            r#"icmpv6(code=0,csum=17438,data=mldv2_query(address='ff05::1:3',maxresp=1000,num=1,qqic=60,qrv=3,s_flg=1,srcs=['2001:db8::7']),type_=130)"#,
        ),
        (
            "MLDv1 report",
            "3333ff12345652540012345686dd6000000000200001fe80000000000000505400fffe123456ff0200000000000000000001ff1234563a000502000001008300959500000000ff0200000000000000000001ff123456",
            r#"icmpv6(code=0,csum=38293,data=mld(address='ff02::1:ff12:3456',maxresp=0),type_=131)"#,
        ),
        (
            "neighbor solicitation",
            "3333ff00000152540012345686dd6000000000203afffe80000000000000505400fffe123456ff0200000000000000000001ff0000018700722200000000fe8000000000000000000000000000010101525400123456",
            r#"icmpv6(code=0,csum=29218,data=nd_neighbor(dst='fe80::1',option=nd_option_sla(data=None,hw_src='52:54:00:12:34:56',length=1),res=0),type_=135)"#,
        ),
        (
            "neighbor advertisement",
            "525400123456525400abcdef86dd6000000000203afffe800000000000000000000000000001fe80000000000000505400fffe1234568800f572e0000000fe8000000000000000000000000000010201525400abcdef",
            r#"icmpv6(code=0,csum=62834,data=nd_neighbor(dst='fe80::1',option=nd_option_tla(data=None,hw_src='52:54:00:ab:cd:ef',length=1),res=7),type_=136)"#,
        ),
        (
            "router solicitation",
            "33330000000252540012345686dd6000000000103afffe80000000000000505400fffe123456ff020000000000000000000000000002850071b5000000000101525400123456",
            r#"icmpv6(code=0,csum=29109,data=nd_router_solicit(option=nd_option_sla(data=None,hw_src='52:54:00:12:34:56',length=1),res=0),type_=133)"#,
        ),
        (
            "router solicitation, no option",
            "33330000000252540012345686dd6000000000083aff00000000000000000000000000000000ff02000000000000000000000000000285007bb800000000",
            r#"icmpv6(code=0,csum=31672,data=nd_router_solicit(option=None,res=0),type_=133)"#,
        ),
        (
            // os-ken lets the SLA option swallow the options after it, and prints
            // nd_option_mtu(length=0,...) whatever the wire says; this string is os-ken's
            // repr of each option (nd_option_sla(...), nd_option_pi(...)) in its list, with
            // the MTU option's real length.
            "router advertisement",
            "333300000001525400abcdef86dd6000000000403afffe800000000000000000000000000001ff02000000000000000000000000000186000ca34048070800000000000000000101525400abcdef05010000000005dc030440c000015180000038400000000020010db8000000000000000000000000",
            r#"icmpv6(code=0,csum=3235,data=nd_router_advert(ch_l=64,options=[nd_option_sla(data=None,hw_src='52:54:00:ab:cd:ef',length=1), nd_option_mtu(length=1,mtu=1500), nd_option_pi(length=4,pl=64,pre_l=14400,prefix='2001:db8::',res1=6,res2=0,val_l=86400)],rea_t=0,res=1,ret_t=0,rou_l=1800),type_=134)"#,
        ),
        (
            "time exceeded (traceroute)",
            "525400123456525400abcdef86dd60000000003c3a4020010db800000000000000000000000120010db8000000000000000000000002030030240000000060000000000c110120010db800000000000000000000000220010db8000100000000000000000009829a829b000cda5b61626364",
            r#"icmpv6(code=0,csum=12324,data=b'\x00\x00\x00\x00`\x00\x00\x00\x00\x0c\x11\x01 \x01\r\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02 \x01\r\xb8\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\t\x82\x9a\x82\x9b\x00\x0c\xda[abcd',type_=3)"#,
        ),
        (
            "destination unreachable, port",
            "525400123456525400abcdef86dd60000000003c3a4020010db800000000000000000000000120010db8000000000000000000000002010432200000000060000000000c110120010db800000000000000000000000220010db8000100000000000000000009829a829b000cda5b61626364",
            r#"icmpv6(code=4,csum=12832,data=b'\x00\x00\x00\x00`\x00\x00\x00\x00\x0c\x11\x01 \x01\r\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02 \x01\r\xb8\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\t\x82\x9a\x82\x9b\x00\x0c\xda[abcd',type_=1)"#,
        ),
        (
            "packet too big",
            "525400123456525400abcdef86dd60000000003c3a4020010db800000000000000000000000120010db800000000000000000000000202002c240000050060000000000c110120010db800000000000000000000000220010db8000100000000000000000009829a829b000cda5b61626364",
            r#"icmpv6(code=0,csum=11300,data=b'\x00\x00\x05\x00`\x00\x00\x00\x00\x0c\x11\x01 \x01\r\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02 \x01\r\xb8\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\t\x82\x9a\x82\x9b\x00\x0c\xda[abcd',type_=2)"#,
        ),
        (
            "parameter problem",
            "525400123456525400abcdef86dd60000000003c3a4020010db800000000000000000000000120010db800000000000000000000000204012efb0000002860000000000c110120010db800000000000000000000000220010db8000100000000000000000009829a829b000cda5b61626364",
            r#"icmpv6(code=1,csum=12027,data=b'\x00\x00\x00(`\x00\x00\x00\x00\x0c\x11\x01 \x01\r\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02 \x01\r\xb8\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\t\x82\x9a\x82\x9b\x00\x0c\xda[abcd',type_=4)"#,
        ),
    ];

    fn scapy(name: &str) -> Vec<u8> {
        hex(SCAPY.iter().find(|(n, _, _)| *n == name).unwrap().1)
    }

    fn parse_scapy(name: &str) -> Icmpv6 {
        Icmpv6::parse(&icmp_of(&scapy(name)).0).unwrap()
    }

    /// Every frame: Display as os-ken, checksum verifies, emit gives the bytes back with the
    /// checksum kept and with it recomputed.
    #[test]
    fn frames_print_verify_and_re_encode() {
        let captured = [ECHO_REQUEST, MLDV2_REPORT, NEIGHBOR_SOLICIT].map(<[u8]>::to_vec);
        let all = captured
            .iter()
            .cloned()
            .chain(SCAPY.iter().map(|(_, h, _)| hex(h)));
        for (i, frame) in all.enumerate() {
            let (msg, src, dst) = icmp_of(&frame);
            let icmp = Icmpv6::parse(&msg).unwrap();
            if let Some((name, _, ryu)) = SCAPY.get(i.wrapping_sub(3)) {
                assert_eq!(icmp.to_string(), *ryu, "{name}");
            }
            Icmpv6View::parse(&msg[..])
                .unwrap()
                .verify_checksum(src, dst)
                .unwrap();
            assert_eq!(icmp.header_len(), msg.len());
            let mut out = vec![0u8; msg.len()];
            icmp.emit(&mut out, &EmitContext::default()).unwrap();
            assert_eq!(out, msg);
            let computed = Icmpv6 {
                csum: None,
                ..icmp.clone()
            };
            let ctx = EmitContext {
                ip: Some(IpPair::V6(src, dst)),
                ..EmitContext::default()
            };
            out.fill(0);
            computed.emit(&mut out, &ctx).unwrap();
            assert_eq!(out, msg);
            assert_eq!(
                step_icmpv6(&msg).unwrap(),
                Step {
                    header_len: msg.len(),
                    end: msg.len(),
                    next: Next::Payload
                }
            );
        }
    }

    #[test]
    fn captured_echo_request() {
        let (msg, _, _) = icmp_of(ECHO_REQUEST);
        let v = Icmpv6View::parse(&msg[..]).unwrap();
        assert_eq!(
            (v.msg_type(), v.code(), v.checksum()),
            (Icmpv6Type::ECHO_REQUEST, 0, 25365)
        );
        assert_eq!(v.body().len(), 60);
        let icmp = v.decode().unwrap();
        let Icmpv6Data::Echo(e) = &icmp.data else {
            panic!("{icmp:?}")
        };
        assert_eq!((e.id, e.seq, e.data.len()), (7163, 1, 56));
        // The reply a responder builds verifies against the swapped addresses.
        let reply = Packet::new()
            .push(Ethernet::new(
                crate::MacAddr::new(0, 0, 0, 0, 0, 1),
                crate::MacAddr::new(0, 0, 0, 0, 0, 2),
            ))
            .push(Ipv6::new(a("fd00::2"), a("fd00::1")))
            .push(Icmpv6::echo_reply(e.id, e.seq, e.data.clone()));
        let frame = reply.to_vec().unwrap();
        let (rmsg, s, d) = icmp_of(&frame);
        Icmpv6View::parse(&rmsg[..])
            .unwrap()
            .verify_checksum(s, d)
            .unwrap();
        let back = Packet::parse(&frame).unwrap();
        let r = back.get::<Icmpv6>().unwrap();
        assert_eq!((r.type_, &r.data), (Icmpv6Type::ECHO_REPLY, &icmp.data));
    }

    #[test]
    fn captured_mldv2_report() {
        let icmp = Icmpv6::parse(&icmp_of(MLDV2_REPORT).0).unwrap();
        let Icmpv6Data::Mldv2Report(r) = &icmp.data else {
            panic!("{icmp:?}")
        };
        assert_eq!(
            (r.reserved, r.record_num, r.trailing.len()),
            (0, Some(1), 0)
        );
        assert_eq!(
            r.records,
            vec![Mldv2ReportGroup {
                aux_len: Some(0),
                num: Some(0),
                ..Mldv2ReportGroup::new(
                    Mldv2ReportGroup::CHANGE_TO_EXCLUDE_MODE,
                    a("ff02::1:ff00:2"),
                    vec![]
                )
            }]
        );
    }

    #[test]
    fn captured_neighbor_solicitation_keeps_unknown_option() {
        let icmp = Icmpv6::parse(&icmp_of(NEIGHBOR_SOLICIT).0).unwrap();
        let Icmpv6Data::NdNeighbor(n) = &icmp.data else {
            panic!("{icmp:?}")
        };
        assert_eq!((n.res, n.reserved, n.dst), (0, 0, a("fe80::200:ff:fe00:1")));
        // RFC 7527 nonce option (type 14), which os-ken shows as raw bytes too.
        assert_eq!(
            n.options,
            vec![NdOption {
                type_: 14,
                length: Some(1),
                data: hex("a76c6f7f16e9")
            }]
        );
        assert_eq!(n.options[0].link_addr(), None);
    }

    #[test]
    fn decoded_fields() {
        let Icmpv6Data::Mldv2Query(q) = parse_scapy("MLDv2 group-and-source query").data else {
            panic!()
        };
        assert_eq!(
            (q.maxresp, q.max_resp_delay_ms(), q.address),
            (1000, 1000, a("ff05::1:3"))
        );
        assert_eq!(
            (q.resv, q.s_flg, q.qrv, q.qqic, q.qqi_secs()),
            (0, true, 3, 60, 60)
        );
        assert_eq!(
            (q.num, &q.srcs[..], q.trailing.len()),
            (Some(1), &[a("2001:db8::7")][..], 0)
        );
        let big = Mldv2Query {
            maxresp: 0x8000,
            qqic: 0x80,
            ..q.clone()
        };
        assert_eq!((big.max_resp_delay_ms(), big.qqi_secs()), (32768, 128));
        let max = Mldv2Query {
            maxresp: 0xffff,
            qqic: 0xff,
            ..q
        };
        assert_eq!(
            (max.max_resp_delay_ms(), max.qqi_secs()),
            (8_387_584, 31744)
        );

        let Icmpv6Data::NdRouterAdvert(ra) = parse_scapy("router advertisement").data else {
            panic!()
        };
        // O flag set; flags 8 is scapy's default router preference (RFC 4191 Prf 01).
        assert_eq!(
            (ra.ch_l, ra.res, ra.flags, ra.rou_l, ra.rea_t, ra.ret_t),
            (64, 1, 8, 1800, 0, 0)
        );
        assert_eq!(
            ra.options.iter().map(|o| o.type_).collect::<Vec<_>>(),
            [NdOption::SLA, NdOption::MTU, NdOption::PI]
        );
        assert_eq!(
            ra.options[0].link_addr(),
            Some(crate::MacAddr::new(0x52, 0x54, 0, 0xab, 0xcd, 0xef))
        );
        assert_eq!(
            ra.options[1],
            NdOption {
                length: Some(1),
                ..NdOption::mtu(1500)
            }
        );

        let Icmpv6Data::NdNeighbor(na) = parse_scapy("neighbor advertisement").data else {
            panic!()
        };
        assert_eq!(
            na.res,
            NdNeighbor::ROUTER | NdNeighbor::SOLICITED | NdNeighbor::OVERRIDE
        );

        let te = parse_scapy("time exceeded (traceroute)");
        let Icmpv6Data::TimeExceeded { unused: 0, data } = &te.data else {
            panic!("{te:?}")
        };
        // The invoking packet: the traceroute probe's IPv6 header, UDP header and data.
        let inner = Ipv6::parse(data).unwrap();
        assert_eq!((inner.dst, inner.hop_limit), (a("2001:db8:1::9"), 1));
        assert!(matches!(
            parse_scapy("packet too big").data,
            Icmpv6Data::PacketTooBig { mtu: 1280, .. }
        ));
        assert!(matches!(
            parse_scapy("parameter problem").data,
            Icmpv6Data::ParamProblem { pointer: 40, .. }
        ));
        let du = parse_scapy("destination unreachable, port");
        assert!(matches!(
            (du.code, &du.data),
            (4, Icmpv6Data::DestUnreachable { unused: 0, .. })
        ));
    }

    /// The solicitation scapy built, rebuilt with our builder from owned values.
    #[test]
    fn build_neighbor_solicitation_like_scapy() {
        let mac = crate::MacAddr::new(0x52, 0x54, 0, 0x12, 0x34, 0x56);
        let target = a("fe80::1");
        let group = a("ff02::1:ff00:1");
        let mut ip = Ipv6::new(a("fe80::5054:ff:fe12:3456"), group);
        ip.hop_limit = 255;
        let frame = (Ethernet::new(crate::MacAddr::from_ipv6_multicast(group), mac)
            / ip
            / Icmpv6::neighbor_solicit(target, Some(mac)))
        .to_vec()
        .unwrap();
        assert_eq!(frame, scapy("neighbor solicitation"));
    }

    #[test]
    fn checksum_verification() {
        let (mut msg, src, dst) = icmp_of(ECHO_REQUEST);
        let good = be16(&msg, 2);
        Icmpv6View::parse(&msg[..])
            .unwrap()
            .verify_checksum(src, dst)
            .unwrap();
        msg[2..4].copy_from_slice(&0x1234u16.to_be_bytes());
        let e = Icmpv6View::parse(&msg[..])
            .unwrap()
            .verify_checksum(src, dst)
            .unwrap_err();
        assert_eq!(
            e,
            Error::BadChecksum {
                layer: L,
                offset: 2,
                computed: good,
                found: 0x1234
            }
        );
        // Wrong addresses in the pseudo-header fail too.
        let mut v = Icmpv6View::parse(&mut msg[..]).unwrap();
        v.fill_checksum(src, dst);
        assert_eq!(v.checksum(), good);
        v.verify_checksum(src, dst).unwrap();
        assert!(
            v.verify_checksum(dst, src).is_ok(),
            "the sum is symmetric in src and dst"
        );
        assert!(v.verify_checksum(src, a("fd00::3")).is_err());
        // A flipped data bit.
        msg[20] ^= 1;
        assert!(matches!(
            Icmpv6View::parse(&msg[..])
                .unwrap()
                .verify_checksum(src, dst),
            Err(Error::BadChecksum { .. })
        ));
        // An odd-length message.
        let mut odd = Icmpv6::echo_request(1, 2, &b"abc"[..]);
        let mut out = vec![0u8; odd.header_len()];
        let ctx = EmitContext {
            ip: Some(IpPair::V6(src, dst)),
            ..EmitContext::default()
        };
        odd.emit(&mut out, &ctx).unwrap();
        Icmpv6View::parse(&out[..])
            .unwrap()
            .verify_checksum(src, dst)
            .unwrap();
        odd.csum = Some(0);
        odd.emit(&mut out, &ctx).unwrap();
        assert_eq!(be16(&out, 2), 0);
    }

    fn perr(b: &[u8]) -> Error {
        Icmpv6::parse(b).unwrap_err()
    }

    /// `type | code | checksum` and `body`.
    fn msg(t: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![t, 0, 0, 0];
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn negative_lengths() {
        assert!(matches!(
            perr(&[128, 0, 0]),
            Error::Truncated {
                layer: L,
                what: "header",
                needed: 4,
                available: 3,
                ..
            }
        ));
        assert!(step_icmpv6(&[128]).is_err());
        assert!(matches!(
            perr(&msg(128, &[0, 1, 0])),
            Error::Truncated {
                what: "echo message",
                needed: 8,
                available: 7,
                ..
            }
        ));
        for t in [1, 2, 3, 4, 133] {
            assert!(
                matches!(perr(&msg(t, &[0; 3])), Error::Truncated { needed: 8, .. }),
                "{t}"
            );
        }
        assert!(matches!(
            perr(&msg(134, &[0; 11])),
            Error::Truncated {
                what: "router advertisement",
                needed: 16,
                ..
            }
        ));
        assert!(matches!(
            perr(&msg(135, &[0; 19])),
            Error::Truncated { needed: 24, .. }
        ));
        assert!(matches!(
            perr(&msg(136, &[0; 4])),
            Error::Truncated { needed: 24, .. }
        ));
        for t in [130, 131, 132] {
            assert!(matches!(
                perr(&msg(t, &[0; 19])),
                Error::Truncated {
                    what: "MLD message",
                    needed: 24,
                    ..
                }
            ));
        }
        // RFC 3810 §8.1: a 26-byte query is neither MLDv1 nor MLDv2; a long v1 report is no
        // MLDv2 message either. Both are kept as raw bytes.
        assert_eq!(
            Icmpv6::parse(&msg(130, &[7; 22])).unwrap().data,
            Icmpv6Data::Raw(vec![7; 22])
        );
        assert_eq!(
            Icmpv6::parse(&msg(131, &[7; 21])).unwrap().data,
            Icmpv6Data::Raw(vec![7; 21])
        );
        assert_eq!(
            Icmpv6::parse(&msg(200, &[])).unwrap().data,
            Icmpv6Data::Raw(vec![])
        );

        // MLDv2 query: 2 sources announced, 1 there.
        let mut q = msg(130, &[0; 24]);
        q[27] = 2;
        q.extend_from_slice(&[0; 16]);
        assert!(matches!(
            perr(&q),
            Error::BadLength {
                field: "num",
                value: 2,
                offset: 26,
                ..
            }
        ));
        q.extend_from_slice(&[0; 16]);
        assert!(Icmpv6::parse(&q).is_ok());
        q.extend_from_slice(&[9; 3]);
        let Icmpv6Data::Mldv2Query(p) = Icmpv6::parse(&q).unwrap().data else {
            panic!()
        };
        assert_eq!(p.trailing, [9; 3]);

        // MLDv2 report.
        assert!(matches!(
            perr(&msg(143, &[0; 3])),
            Error::Truncated {
                what: "MLDv2 report header",
                ..
            }
        ));
        let mut r = msg(143, &[0, 0, 0, 2]);
        r.extend_from_slice(&[4, 0, 0, 0]);
        r.extend_from_slice(&[0; 16]);
        assert!(matches!(
            perr(&r),
            Error::BadLength {
                field: "record_num",
                value: 2,
                offset: 6,
                ..
            }
        ));
        r.extend_from_slice(&[4, 0, 0]);
        assert!(matches!(
            perr(&r),
            Error::Truncated {
                what: "multicast address record",
                offset: 28,
                needed: 20,
                available: 3,
                ..
            }
        ));
        let mut r = msg(143, &[0, 0, 0, 1, 4, 0, 0, 1]);
        r.extend_from_slice(&[0; 16 + 15]);
        assert!(matches!(
            perr(&r),
            Error::BadLength {
                field: "num",
                value: 1,
                offset: 10,
                ..
            }
        ));
        let mut r = msg(143, &[0, 0, 0, 1, 4, 2, 0, 0]);
        r.extend_from_slice(&[0; 16 + 7]);
        assert!(matches!(
            perr(&r),
            Error::BadLength {
                field: "aux_len",
                value: 2,
                offset: 9,
                ..
            }
        ));
        r.push(0);
        let Icmpv6Data::Mldv2Report(p) = Icmpv6::parse(&r).unwrap().data else {
            panic!()
        };
        assert_eq!(p.records[0].aux, [0; 8]);
        r.push(5);
        let Icmpv6Data::Mldv2Report(p) = Icmpv6::parse(&r).unwrap().data else {
            panic!()
        };
        assert_eq!(p.trailing, [5]);

        // ND options.
        let ns = msg(135, &[0; 20]);
        let with = |o: &[u8]| [&ns[..], o].concat();
        assert!(matches!(
            perr(&with(&[1])),
            Error::Truncated {
                what: "ND option",
                offset: 24,
                needed: 2,
                available: 1,
                ..
            }
        ));
        assert!(matches!(
            perr(&with(&[1, 0, 0, 0, 0, 0, 0, 0])),
            Error::BadLength {
                field: "option length",
                value: 0,
                offset: 25,
                ..
            }
        ));
        assert!(matches!(
            perr(&with(&[1, 2, 0, 0, 0, 0, 0, 0])),
            Error::BadLength {
                field: "option length",
                value: 2,
                offset: 25,
                ..
            }
        ));
        assert!(matches!(
            perr(&with(&[1, 1, 0, 0, 0, 0, 0, 0, 3])),
            Error::Truncated { offset: 32, .. }
        ));
        let rs = msg(133, &[0; 4]);
        assert!(matches!(
            perr(&[&rs[..], &[1, 1, 0, 0]].concat()),
            Error::BadLength { offset: 9, .. }
        ));
        let ra = msg(134, &[0; 12]);
        assert!(matches!(
            perr(&[&ra[..], &[5, 0]].concat()),
            Error::BadLength {
                value: 0,
                offset: 17,
                ..
            }
        ));
    }

    #[test]
    fn emit_errors() {
        let echo = Icmpv6::echo_request(1, 1, vec![]);
        assert!(matches!(
            echo.emit(&mut [0u8; 7], &EmitContext::default()),
            Err(Error::Unencodable { what: "header", .. })
        ));
        assert!(matches!(
            echo.emit(&mut [0u8; 8], &EmitContext::default()),
            Err(Error::Unencodable { what: "csum", .. })
        ));
        let v4 = EmitContext {
            ip: Some(IpPair::V4([10, 0, 0, 1].into(), [10, 0, 0, 2].into())),
            ..EmitContext::default()
        };
        assert!(matches!(
            echo.emit(&mut [0u8; 8], &v4),
            Err(Error::Unencodable { what: "csum", .. })
        ));
        let ctx = EmitContext {
            ip: Some(IpPair::V6(a("::1"), a("::2"))),
            ..EmitContext::default()
        };
        echo.emit(&mut [0u8; 8], &ctx).unwrap();

        let ns = |o: NdOption| {
            Icmpv6::new(
                Icmpv6Type::ND_NEIGHBOR_SOLICIT,
                Icmpv6Data::NdNeighbor(NdNeighbor {
                    res: 0,
                    reserved: 0,
                    dst: a("::1"),
                    options: vec![o],
                }),
            )
        };
        let bad = ns(NdOption::new(1, [0; 5]));
        let mut out = vec![0u8; bad.header_len()];
        assert!(matches!(
            bad.emit(&mut out, &ctx),
            Err(Error::Unencodable {
                what: "ND option",
                ..
            })
        ));
        let given = ns(NdOption {
            length: Some(1),
            ..NdOption::new(1, [0; 5])
        });
        given.emit(&mut out, &ctx).unwrap();
        let big = ns(NdOption::new(1, vec![0; 2046]));
        let mut out = vec![0u8; big.header_len()];
        assert!(big.emit(&mut out, &ctx).is_err());

        let mut g = Mldv2ReportGroup::new(1, a("ff05::1"), vec![]);
        g.aux = vec![1, 2, 3];
        let r = Icmpv6::mldv2_report(vec![g]);
        let mut out = vec![0u8; r.header_len()];
        assert!(matches!(
            r.emit(&mut out, &ctx),
            Err(Error::Unencodable { what: "aux", .. })
        ));

        let mut q = Mldv2Query::general(1000);
        q.qrv = 8;
        let q = Icmpv6::new(Icmpv6Type::MLD_LISTENER_QUERY, Icmpv6Data::Mldv2Query(q));
        assert!(q.emit(&mut [0u8; 28], &ctx).is_err());
        let na = Icmpv6::new(
            Icmpv6Type::ND_NEIGHBOR_ADVERT,
            Icmpv6Data::NdNeighbor(NdNeighbor {
                res: 8,
                reserved: 0,
                dst: a("::1"),
                options: vec![],
            }),
        );
        assert!(na.emit(&mut [0u8; 24], &ctx).is_err());
        let ra = Icmpv6::new(
            Icmpv6Type::ND_ROUTER_ADVERT,
            Icmpv6Data::NdRouterAdvert(NdRouterAdvert {
                res: 4,
                ..NdRouterAdvert::default()
            }),
        );
        assert!(ra.emit(&mut [0u8; 16], &ctx).is_err());
    }

    #[test]
    fn counts_computed_on_emit() {
        let q = Mldv2Query {
            srcs: vec![a("2001:db8::1"), a("2001:db8::2")],
            ..Mldv2Query::general(10000)
        };
        let mut g = Mldv2ReportGroup::new(
            Mldv2ReportGroup::MODE_IS_INCLUDE,
            a("ff05::2"),
            vec![a("2001:db8::9")],
        );
        g.aux = vec![1, 2, 3, 4, 5, 6, 7, 8];
        let ctx = EmitContext {
            ip: Some(IpPair::V6(a("fe80::1"), a("ff02::1"))),
            ..EmitContext::default()
        };
        for m in [
            Icmpv6::new(Icmpv6Type::MLD_LISTENER_QUERY, Icmpv6Data::Mldv2Query(q)),
            Icmpv6::mldv2_report(vec![g, Mldv2ReportGroup::new(4, a("ff02::fb"), vec![])]),
            Icmpv6::new(
                Icmpv6Type::ND_ROUTER_ADVERT,
                Icmpv6Data::NdRouterAdvert(NdRouterAdvert {
                    ch_l: 64,
                    res: 2,
                    options: vec![
                        NdOption::mtu(9000),
                        NdOption::source_link_addr(crate::MacAddr::BROADCAST),
                    ],
                    ..NdRouterAdvert::default()
                }),
            ),
        ] {
            let mut out = vec![0u8; m.header_len()];
            m.emit(&mut out, &ctx).unwrap();
            let back = Icmpv6::parse(&out).unwrap();
            Icmpv6View::parse(&out[..])
                .unwrap()
                .verify_checksum(a("fe80::1"), a("ff02::1"))
                .unwrap();
            let mut out2 = vec![0u8; back.header_len()];
            back.emit(&mut out2, &EmitContext::default()).unwrap();
            assert_eq!(out, out2);
            match back.data {
                Icmpv6Data::Mldv2Query(q) => assert_eq!(q.num, Some(2)),
                Icmpv6Data::Mldv2Report(r) => {
                    assert_eq!(r.record_num, Some(2));
                    assert_eq!((r.records[0].num, r.records[0].aux_len), (Some(1), Some(2)));
                }
                Icmpv6Data::NdRouterAdvert(ra) => {
                    assert_eq!(
                        ra.options.iter().map(|o| o.length).collect::<Vec<_>>(),
                        [Some(1), Some(1)]
                    );
                }
                other => panic!("{other:?}"),
            }
        }
    }

    fn arb_addr() -> impl Strategy<Value = Ipv6Addr> {
        any::<[u8; 16]>().prop_map(Ipv6Addr::from)
    }

    fn arb_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 0..max)
    }

    fn arb_options() -> impl Strategy<Value = Vec<NdOption>> {
        let opt = (any::<u8>(), 1u8..4).prop_flat_map(|(t, l)| {
            proptest::collection::vec(any::<u8>(), usize::from(l) * 8 - 2).prop_map(move |data| {
                NdOption {
                    type_: t,
                    length: Some(l),
                    data,
                }
            })
        });
        proptest::collection::vec(opt, 0..3)
    }

    fn arb_group() -> impl Strategy<Value = Mldv2ReportGroup> {
        (
            any::<u8>(),
            arb_addr(),
            proptest::collection::vec(arb_addr(), 0..3),
            0u8..3,
        )
            .prop_flat_map(|(t, address, srcs, aux_len)| {
                proptest::collection::vec(any::<u8>(), usize::from(aux_len) * 4).prop_map(
                    move |aux| Mldv2ReportGroup {
                        type_: t,
                        aux_len: Some(aux_len),
                        num: Some(u16::try_from(srcs.len()).unwrap()),
                        address,
                        srcs: srcs.clone(),
                        aux,
                    },
                )
            })
    }

    /// A valid (type, body) pair: the type selects the body's variant on parse.
    fn arb_data() -> impl Strategy<Value = (u8, Icmpv6Data)> {
        let word = || (any::<u32>(), arb_bytes(48));
        prop_oneof![
            (
                prop_oneof![Just(128u8), Just(129)],
                any::<u16>(),
                any::<u16>(),
                arb_bytes(40)
            )
                .prop_map(|(t, id, seq, data)| (t, Icmpv6Data::Echo(Echo { id, seq, data }))),
            word().prop_map(|(unused, data)| (1, Icmpv6Data::DestUnreachable { unused, data })),
            word().prop_map(|(mtu, data)| (2, Icmpv6Data::PacketTooBig { mtu, data })),
            word().prop_map(|(unused, data)| (3, Icmpv6Data::TimeExceeded { unused, data })),
            word().prop_map(|(pointer, data)| (4, Icmpv6Data::ParamProblem { pointer, data })),
            (130u8..133, any::<u16>(), any::<u16>(), arb_addr()).prop_map(
                |(t, maxresp, reserved, address)| (
                    t,
                    Icmpv6Data::Mld(Mld {
                        maxresp,
                        reserved,
                        address
                    })
                )
            ),
            (
                any::<(u16, u16, u8, bool, u8, u8)>(),
                arb_addr(),
                proptest::collection::vec(arb_addr(), 0..3),
                arb_bytes(6)
            )
                .prop_map(
                    |((maxresp, reserved, resv, s_flg, qrv, qqic), address, srcs, trailing)| {
                        let num = Some(u16::try_from(srcs.len()).unwrap());
                        let q = Mldv2Query {
                            maxresp,
                            reserved,
                            address,
                            resv: resv & 15,
                            s_flg,
                            qrv: qrv & 7,
                            qqic,
                            num,
                            srcs,
                            trailing,
                        };
                        (130, Icmpv6Data::Mldv2Query(q))
                    }
                ),
            (
                any::<u16>(),
                proptest::collection::vec(arb_group(), 0..3),
                arb_bytes(6)
            )
                .prop_map(|(reserved, records, trailing)| {
                    let record_num = Some(u16::try_from(records.len()).unwrap());
                    (
                        143,
                        Icmpv6Data::Mldv2Report(Mldv2Report {
                            reserved,
                            record_num,
                            records,
                            trailing,
                        }),
                    )
                }),
            (any::<u32>(), arb_options()).prop_map(|(res, options)| (
                133,
                Icmpv6Data::NdRouterSolicit(NdRouterSolicit { res, options })
            )),
            (any::<(u8, u8, u16, u32, u32)>(), arb_options()).prop_map(
                |((ch_l, fl, rou_l, rea_t, ret_t), options)| {
                    let ra = NdRouterAdvert {
                        ch_l,
                        res: fl >> 6,
                        flags: fl & 0x3f,
                        rou_l,
                        rea_t,
                        ret_t,
                        options,
                    };
                    (134, Icmpv6Data::NdRouterAdvert(ra))
                }
            ),
            (
                prop_oneof![Just(135u8), Just(136)],
                any::<u32>(),
                arb_addr(),
                arb_options()
            )
                .prop_map(|(t, w, dst, options)| {
                    #[allow(clippy::cast_possible_truncation)]
                    let res = (w >> 29) as u8;
                    (
                        t,
                        Icmpv6Data::NdNeighbor(NdNeighbor {
                            res,
                            reserved: w & 0x1fff_ffff,
                            dst,
                            options,
                        }),
                    )
                }),
            (
                any::<u8>()
                    .prop_filter("unmodelled type", |t| !matches!(t, 1..=4 | 128..=136 | 143)),
                arb_bytes(40)
            )
                .prop_map(|(t, b)| (t, Icmpv6Data::Raw(b))),
        ]
    }

    fn check_round_trip(bytes: &[u8]) {
        match Icmpv6::parse(bytes) {
            Ok(m) => {
                assert_eq!(m.header_len(), bytes.len());
                let mut out = vec![0u8; bytes.len()];
                m.emit(&mut out, &EmitContext::default()).unwrap();
                assert_eq!(out, bytes);
                let _ = m.to_string();
            }
            Err(e) => assert_eq!(e.layer(), L),
        }
    }

    /// With `serde`, the shape of Ryu's `to_jsondict()` for the same frames (os-ken 4.2.2
    /// printed `{"icmpv6": {"code": 0, "csum": 25365, "data": {"echo": {..., "id": 7163,
    /// "seq": 1}}, "type": 128}}` and `{"icmpv6": {..., "data": {"mldv2_report": {"record_num":
    /// 1, "records": [...]}}, "type": 143}}`); bytes are arrays here, base64 in Ryu.
    #[cfg(feature = "serde")]
    #[test]
    fn json_shape_and_round_trip() {
        let pkt = Packet::parse(ECHO_REQUEST).unwrap();
        let j = serde_json::to_value(&pkt).unwrap();
        let icmp = &j["layers"][2]["icmpv6"];
        assert_eq!(
            (&icmp["type"], &icmp["code"], &icmp["csum"]),
            (&128.into(), &0.into(), &25365.into())
        );
        assert_eq!(
            (&icmp["data"]["echo"]["id"], &icmp["data"]["echo"]["seq"]),
            (&7163.into(), &1.into())
        );
        let back: Packet = serde_json::from_value(j).unwrap();
        assert_eq!(back, pkt);

        let pkt = Packet::parse(MLDV2_REPORT).unwrap();
        let j = serde_json::to_value(&pkt).unwrap();
        let r = &j["layers"][2]["icmpv6"]["data"]["mldv2_report"];
        assert_eq!(r["record_num"], 1);
        assert_eq!(r["records"][0]["address"], "ff02::1:ff00:2");
        assert_eq!(r["records"][0]["type"], 4);
        let back: Packet = serde_json::from_value(j).unwrap();
        assert_eq!(back.to_vec().unwrap(), MLDV2_REPORT);
        for (_, h, _) in SCAPY {
            let pkt = Packet::parse(&hex(h)).unwrap();
            let back: Packet = serde_json::from_str(&serde_json::to_string(&pkt).unwrap()).unwrap();
            assert_eq!(back, pkt);
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_round_trip(bytes in arb_bytes(120)) {
            check_round_trip(&bytes);
        }

        #[test]
        fn arbitrary_bodies_of_known_types_round_trip(
            t in prop_oneof![1u8..=4, 128u8..=137, Just(143)],
            body in arb_bytes(100),
        ) {
            check_round_trip(&msg(t, &body));
        }

        #[test]
        fn owned_values_round_trip((t, data) in arb_data(), code in any::<u8>(), csum in any::<u16>()) {
            let m = Icmpv6 { type_: Icmpv6Type(t), code, csum: Some(csum), data };
            let mut out = vec![0u8; m.header_len()];
            m.emit(&mut out, &EmitContext::default()).unwrap();
            prop_assert_eq!(Icmpv6::parse(&out).unwrap(), m);
        }

        #[test]
        fn computed_checksums_verify((t, data) in arb_data(), src in arb_addr(), dst in arb_addr()) {
            let m = Icmpv6 { type_: Icmpv6Type(t), code: 0, csum: None, data };
            let mut out = vec![0u8; m.header_len()];
            m.emit(&mut out, &EmitContext { ip: Some(IpPair::V6(src, dst)), ..EmitContext::default() }).unwrap();
            Icmpv6View::parse(&out[..]).unwrap().verify_checksum(src, dst).unwrap();
        }
    }
}
