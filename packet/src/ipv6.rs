//! IPv6 (RFC 8200): the fixed header and the extension headers that follow it.
//!
//! ```text
//!  0       4               12                                      32 bits
//! +-------+---------------+---------------------------------------+
//! |version| traffic class |              flow label               |
//! +-------+---------------+-------+---------------+---------------+
//! |        payload length         |  next header  |   hop limit   |
//! +-------------------------------+---------------+---------------+
//! |                  source address (16 bytes)                    |
//! +---------------------------------------------------------------+
//! |               destination address (16 bytes)                  |
//! +---------------------------------------------------------------+  40 bytes
//! | extension headers: | next header | hdr ext len | body ...    |
//! +---------------------------------------------------------------+
//! | upper-layer header and data                                   |
//! ```
//!
//! The payload length counts everything after the 40-byte header, extension headers included;
//! bytes past it are trailer (Ethernet padding).
//!
//! Extension headers are walked through the next-header chain: hop-by-hop options (0), routing
//! (43), fragment (44, always 8 bytes), destination options (60), all with a length in 8-byte
//! units not counting the first 8, and the authentication header (51, length in 4-byte units
//! plus 2). The walk stops at any other number (an upper-layer protocol), at "no next header"
//! (59), at ESP (50, whose contents are encrypted), and after the fragment header of a
//! non-first fragment, whose data is not a header (it is payload). Extension headers are kept
//! as raw bytes with their type, so that any walkable chain re-encodes unchanged.
//!
//! Jumbograms (RFC 2675: payload length 0 and a jumbo payload hop-by-hop option) are not
//! supported: a payload length of 0 in front of a hop-by-hop header is rejected with
//! [`Error::BadLength`].
//!
//! Contract: once [`Ipv6Packet::new_checked`] succeeds (it checks the fixed header, the payload
//! length and every extension header length), no accessor panics and the extension-header
//! iterator yields no error; [`Protocol::emit`] never panics.

use alloc::vec::Vec;
use core::fmt;
use core::iter::FusedIterator;
use core::net::Ipv6Addr;

use crate::error::{need, Error, LayerKind, Result};
use crate::ip::IpProtocol;
use crate::layer::{emit_room, len16, EmitContext, IpPair, Next, Protocol, Step};
use crate::packet::Layer;
use crate::raw::{be16, be32, slice, tail, wire_struct, U16, U32};
use crate::repr::{Opt, PyBytes, Quoted};

const L: LayerKind = LayerKind::Ipv6;

wire_struct! {
    /// The 40-byte fixed IPv6 header.
    pub(crate) struct Ipv6Header {
        ver_tc_fl: U32,
        payload_len: U16,
        next_header: u8,
        hop_limit: u8,
        src: [u8; 16],
        dst: [u8; 16],
    }
}

/// Where the extension-header chain ends: what the upper layer is and where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpperLayer {
    /// The protocol announced by the last next-header field (for a non-first fragment, the
    /// protocol of the fragmented packet).
    pub next_header: IpProtocol,
    /// Offset of the first byte after the extension headers, from the start of the IPv6 header.
    pub offset: usize,
    /// The walk stopped at the fragment header of a non-first fragment: what follows is a piece
    /// of the original packet's data, not a header.
    pub non_first_fragment: bool,
}

/// True for the next-header numbers this module walks through as extension headers.
pub const fn is_extension_header(p: IpProtocol) -> bool {
    matches!(p.0, 0 | 43 | 44 | 51 | 60)
}

/// The length of the extension header of type `kind` at `off` in `buf` (which ends where the
/// payload length ends), `None` if `kind` is not an extension header this module walks.
fn ext_len(kind: IpProtocol, buf: &[u8], off: usize) -> Result<Option<usize>> {
    let remaining = buf.len().saturating_sub(off);
    let (len, size) = match kind {
        IpProtocol::HOPOPT | IpProtocol::IPV6_ROUTE | IpProtocol::IPV6_OPTS => {
            need(L, buf, off, 2, "extension header")?;
            let size = buf.get(off + 1).copied().unwrap_or(0);
            ((usize::from(size) + 1) * 8, size)
        }
        IpProtocol::IPV6_FRAG => {
            need(L, buf, off, 8, "fragment header")?;
            return Ok(Some(8));
        }
        IpProtocol::AH => {
            need(L, buf, off, 2, "authentication header")?;
            let size = buf.get(off + 1).copied().unwrap_or(0);
            if size == 0 {
                return Err(Error::BadLength {
                    layer: L,
                    offset: off + 1,
                    field: "payload_len",
                    value: 0,
                    reason: "an authentication header holds at least 12 bytes (payload_len >= 1)",
                });
            }
            ((usize::from(size) + 2) * 4, size)
        }
        _ => return Ok(None),
    };
    if len > remaining {
        return Err(Error::BadLength {
            layer: L,
            offset: off + 1,
            field: "hdr_ext_len",
            value: usize::from(size),
            reason: "the extension header runs past the end of the payload length",
        });
    }
    Ok(Some(len))
}

/// True if the 8-byte fragment header `h` has a non-zero fragment offset.
fn non_first_fragment(h: &[u8]) -> bool {
    be16(h, 2) >> 3 != 0
}

/// Walks the chain to its end, validating every extension header.
fn walk(bounded: &[u8], first: IpProtocol) -> Result<UpperLayer> {
    let mut it = ExtHeaders {
        buf: bounded,
        off: Ipv6Packet::<&[u8]>::HEADER_LEN,
        nxt: first,
        state: WalkState::Going,
    };
    for h in &mut it {
        h?;
    }
    Ok(it.upper())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WalkState {
    Going,
    Done,
    Fragment,
    Failed,
}

/// One extension header inside an [`Ipv6Packet`], as [`ExtHeaders`] yields it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtHeaderRef<'a> {
    kind: IpProtocol,
    offset: usize,
    bytes: &'a [u8],
}

impl<'a> ExtHeaderRef<'a> {
    /// The header's type: the next-header number that announced it.
    pub fn kind(&self) -> IpProtocol {
        self.kind
    }

    /// The next-header field (what follows this header).
    pub fn next_header(&self) -> IpProtocol {
        IpProtocol(self.bytes.first().copied().unwrap_or(0))
    }

    /// Offset of the header from the start of the IPv6 header.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The whole header, next-header byte included.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The header after its first two bytes (next header and length, or next header and the
    /// reserved byte of a fragment header).
    pub fn data(&self) -> &'a [u8] {
        tail(self.bytes, 2)
    }
}

/// Iterator over the extension headers of an [`Ipv6Packet`]; see
/// [`Ipv6Packet::ext_headers`].
///
/// Yields `Err` once and stops if a header is malformed, which cannot happen on a view that
/// [`Ipv6Packet::new_checked`] accepted.
#[derive(Debug, Clone)]
pub struct ExtHeaders<'a> {
    buf: &'a [u8],
    off: usize,
    nxt: IpProtocol,
    state: WalkState,
}

impl ExtHeaders<'_> {
    /// Where the chain ended, once the iterator has returned `None` (before that, where it
    /// stands now).
    pub fn upper(&self) -> UpperLayer {
        UpperLayer {
            next_header: self.nxt,
            offset: self.off,
            non_first_fragment: self.state == WalkState::Fragment,
        }
    }
}

impl<'a> Iterator for ExtHeaders<'a> {
    type Item = Result<ExtHeaderRef<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.state != WalkState::Going {
            return None;
        }
        match ext_len(self.nxt, self.buf, self.off) {
            Err(e) => {
                self.state = WalkState::Failed;
                Some(Err(e))
            }
            Ok(None) => {
                self.state = WalkState::Done;
                None
            }
            Ok(Some(len)) => {
                let bytes = slice(self.buf, self.off, self.off + len);
                let h = ExtHeaderRef {
                    kind: self.nxt,
                    offset: self.off,
                    bytes,
                };
                self.off += len;
                self.nxt = h.next_header();
                if h.kind == IpProtocol::IPV6_FRAG && non_first_fragment(bytes) {
                    self.state = WalkState::Fragment;
                }
                Some(Ok(h))
            }
        }
    }
}

impl FusedIterator for ExtHeaders<'_> {}

/// A checked, zero-copy view of an IPv6 packet.
#[derive(Debug, Clone, Copy)]
pub struct Ipv6Packet<T: AsRef<[u8]>> {
    buffer: T,
    upper: UpperLayer,
}

impl<T: AsRef<[u8]>> Ipv6Packet<T> {
    /// Length of the fixed header.
    pub const HEADER_LEN: usize = 40;

    /// Wraps `buffer`, checking the fixed header (40 bytes, version 6), the payload length
    /// (at most the bytes after the header; 0 with a hop-by-hop header, a jumbogram, is
    /// refused) and the length of every extension header.
    pub fn new_checked(buffer: T) -> Result<Self> {
        let buf = buffer.as_ref();
        need(L, buf, 0, Self::HEADER_LEN, "header")?;
        let h = Ipv6Header::view(buf);
        let version = h.ver_tc_fl.get() >> 28;
        if version != 6 {
            return Err(Error::BadValue {
                layer: L,
                offset: 0,
                field: "version",
                value: u64::from(version),
                expected: "6",
            });
        }
        let pl = usize::from(h.payload_len.get());
        if pl > buf.len() - Self::HEADER_LEN {
            return Err(Error::BadLength {
                layer: L,
                offset: 4,
                field: "payload_length",
                value: pl,
                reason: "larger than the bytes after the 40-byte header",
            });
        }
        let first = IpProtocol(h.next_header);
        if pl == 0 && first == IpProtocol::HOPOPT {
            return Err(Error::BadLength {
                layer: L,
                offset: 4,
                field: "payload_length",
                value: 0,
                reason: "0 with a hop-by-hop header is a jumbogram (RFC 2675), not supported",
            });
        }
        let upper = walk(slice(buf, 0, Self::HEADER_LEN + pl), first)?;
        Ok(Ipv6Packet { buffer, upper })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn h(&self) -> &Ipv6Header {
        Ipv6Header::view(self.buffer.as_ref())
    }

    /// Version (always 6 on a checked view).
    pub fn version(&self) -> u8 {
        #[allow(clippy::cast_possible_truncation)] // 4 bits
        let v = (self.h().ver_tc_fl.get() >> 28) as u8;
        v
    }

    /// Traffic class (DSCP and ECN).
    pub fn traffic_class(&self) -> u8 {
        #[allow(clippy::cast_possible_truncation)] // 8 bits
        let v = (self.h().ver_tc_fl.get() >> 20) as u8;
        v
    }

    /// Flow label (20 bits).
    pub fn flow_label(&self) -> u32 {
        self.h().ver_tc_fl.get() & 0x000f_ffff
    }

    /// Payload length: bytes after the fixed header, extension headers included.
    pub fn payload_len(&self) -> u16 {
        self.h().payload_len.get()
    }

    /// The next-header field of the fixed header.
    pub fn next_header(&self) -> IpProtocol {
        IpProtocol(self.h().next_header)
    }

    /// Hop limit.
    pub fn hop_limit(&self) -> u8 {
        self.h().hop_limit
    }

    /// Source address.
    pub fn src(&self) -> Ipv6Addr {
        Ipv6Addr::from(self.h().src)
    }

    /// Destination address.
    pub fn dst(&self) -> Ipv6Addr {
        Ipv6Addr::from(self.h().dst)
    }

    /// The bytes the payload length covers (extension headers included, padding excluded).
    pub fn payload(&self) -> &[u8] {
        slice(self.buffer.as_ref(), Self::HEADER_LEN, self.end())
    }

    /// Where the payload length says the packet ends (40 + payload length).
    pub fn end(&self) -> usize {
        Self::HEADER_LEN + usize::from(self.payload_len())
    }

    /// The extension headers, in order.
    pub fn ext_headers(&self) -> ExtHeaders<'_> {
        ExtHeaders {
            buf: slice(self.buffer.as_ref(), 0, self.end()),
            off: Self::HEADER_LEN,
            nxt: self.next_header(),
            state: WalkState::Going,
        }
    }

    /// Where the extension headers end and what follows them.
    pub fn upper_layer(&self) -> UpperLayer {
        self.upper
    }

    /// Bytes of the fixed header and all extension headers.
    pub fn header_len(&self) -> usize {
        self.upper.offset
    }

    /// The bytes after the extension headers, up to the end of the payload length.
    pub fn upper_layer_payload(&self) -> &[u8] {
        slice(self.buffer.as_ref(), self.upper.offset, self.end())
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Ipv6Packet<T> {
    fn h_mut(&mut self) -> Option<&mut Ipv6Header> {
        Ipv6Header::view_mut(self.buffer.as_mut())
    }

    /// Sets the hop limit (IPv6 has no header checksum to update).
    pub fn set_hop_limit(&mut self, v: u8) {
        if let Some(h) = self.h_mut() {
            h.hop_limit = v;
        }
    }

    /// Sets the traffic class.
    pub fn set_traffic_class(&mut self, v: u8) {
        if let Some(h) = self.h_mut() {
            let w = h.ver_tc_fl.get();
            h.ver_tc_fl.set((w & 0xf00f_ffff) | (u32::from(v) << 20));
        }
    }

    /// Sets the flow label (low 20 bits of `v`).
    pub fn set_flow_label(&mut self, v: u32) {
        if let Some(h) = self.h_mut() {
            let w = h.ver_tc_fl.get();
            h.ver_tc_fl.set((w & 0xfff0_0000) | (v & 0x000f_ffff));
        }
    }

    /// Sets the source address. The upper layer's checksum (TCP, UDP, ICMPv6) covers it through
    /// the pseudo-header and must be updated by the caller.
    pub fn set_src(&mut self, a: Ipv6Addr) {
        if let Some(h) = self.h_mut() {
            h.src = a.octets();
        }
    }

    /// Sets the destination address (see [`set_src`](Self::set_src) about checksums).
    pub fn set_dst(&mut self, a: Ipv6Addr) {
        if let Some(h) = self.h_mut() {
            h.dst = a.octets();
        }
    }
}

/// One extension header of an [`Ipv6`] packet, kept as raw bytes.
///
/// On the wire: `next header (1) | size (1) | data`. `size` is the Hdr Ext Len field (8-byte
/// units past the first 8 for hop-by-hop, routing and destination options; 4-byte units minus 2
/// for AH); for a fragment header it is the reserved byte.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ipv6ExtHeader {
    /// This header's type (the number that announces it: 0, 43, 44, 51 or 60).
    pub kind: IpProtocol,
    /// Next header; `None` takes the type of the following extension header or of the next
    /// layer.
    pub nxt: Option<IpProtocol>,
    /// Hdr Ext Len (the reserved byte of a fragment header); `None` computes it from `data`.
    pub size: Option<u8>,
    /// Everything after the first two bytes (options, routing data, fragment offset and
    /// identification, AH's SPI, sequence number and ICV).
    pub data: Vec<u8>,
}

impl Ipv6ExtHeader {
    /// A header of type `kind` with next header and length computed.
    pub fn new(kind: IpProtocol, data: impl Into<Vec<u8>>) -> Self {
        Ipv6ExtHeader {
            kind,
            nxt: None,
            size: None,
            data: data.into(),
        }
    }

    /// A hop-by-hop options header holding `options` (already padded so that 2 + its length
    /// is a multiple of 8).
    pub fn hop_by_hop(options: impl Into<Vec<u8>>) -> Self {
        Self::new(IpProtocol::HOPOPT, options)
    }

    /// The hop-by-hop header MLD messages carry (RFC 2711 router alert with `value`, 0 for
    /// MLD, then a 2-byte PadN), as hosts send it.
    pub fn router_alert(value: u16) -> Self {
        let [hi, lo] = value.to_be_bytes();
        Self::hop_by_hop([5, 2, hi, lo, 1, 0])
    }

    /// A fragment header: `offset` in 8-byte units (13 bits), the M flag and the
    /// identification.
    pub fn fragment(offset: u16, more: bool, id: u32) -> Self {
        let [a, b] = ((offset << 3) | u16::from(more)).to_be_bytes();
        let [c, d, e, f] = id.to_be_bytes();
        Self::new(IpProtocol::IPV6_FRAG, [a, b, c, d, e, f])
    }

    /// Bytes the header takes on the wire.
    pub fn len(&self) -> usize {
        2 + self.data.len()
    }

    /// Always false: a header has at least its two first bytes.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The size field `data` calls for, if `data` has a length this kind can encode.
    pub fn computed_size(&self) -> Option<u8> {
        let total = self.len();
        let v = match self.kind {
            IpProtocol::HOPOPT | IpProtocol::IPV6_ROUTE | IpProtocol::IPV6_OPTS
                if total % 8 == 0 =>
            {
                (total / 8).checked_sub(1)?
            }
            IpProtocol::IPV6_FRAG if total == 8 => 0,
            IpProtocol::AH if total % 4 == 0 && total >= 12 => total / 4 - 2,
            _ => return None,
        };
        u8::try_from(v).ok()
    }

    /// For a fragment header: (offset in 8-byte units, more fragments, identification).
    pub fn fragment_fields(&self) -> Option<(u16, bool, u32)> {
        if self.kind != IpProtocol::IPV6_FRAG || self.data.len() != 6 {
            return None;
        }
        let om = be16(&self.data, 0);
        Some((om >> 3, om & 1 == 1, be32(&self.data, 2)))
    }

    /// For a routing header: (routing type, segments left).
    pub fn routing_fields(&self) -> Option<(u8, u8)> {
        if self.kind != IpProtocol::IPV6_ROUTE {
            return None;
        }
        Some((*self.data.first()?, *self.data.get(1)?))
    }

    /// Copies a header out of a view.
    pub fn from_ref(h: &ExtHeaderRef<'_>) -> Self {
        Ipv6ExtHeader {
            kind: h.kind(),
            nxt: Some(h.next_header()),
            size: h.bytes().get(1).copied(),
            data: h.data().to_vec(),
        }
    }

    /// The final destination a routing header names, if it still has segments to visit:
    /// the last address of a type 0 or type 2 (Mobile IPv6) header, Segment List[0] of a
    /// type 4 (segment routing, RFC 8754) header.
    fn final_destination(&self) -> Option<Ipv6Addr> {
        let (rtype, left) = self.routing_fields()?;
        if left == 0 {
            return None;
        }
        let addrs = self.data.get(6..)?;
        let a: &[u8; 16] = match rtype {
            0 | 2 => addrs.rchunks_exact(16).next()?.first_chunk()?,
            4 => addrs.first_chunk()?,
            _ => return None,
        };
        Some(Ipv6Addr::from(*a))
    }
}

impl fmt::Display for Ipv6ExtHeader {
    /// Ryu's `hop_opts(...)`, `dst_opts(...)`, `fragment(...)` and `auth(...)`. Ryu decodes only
    /// type 3 routing headers; every routing header shows here as
    /// `routing(data=...,nxt=...,seg=...,size=...,type_=...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nxt = Opt(self.nxt);
        let size = Opt(self.size);
        match self.kind {
            IpProtocol::HOPOPT | IpProtocol::IPV6_OPTS => {
                let name = if self.kind == IpProtocol::HOPOPT {
                    "hop_opts"
                } else {
                    "dst_opts"
                };
                write!(f, "{name}(data=[")?;
                fmt_options(f, &self.data)?;
                write!(f, "],nxt={nxt},size={size})")
            }
            IpProtocol::IPV6_FRAG if self.fragment_fields().is_some() => {
                let (offset, more, id) = self.fragment_fields().unwrap_or_default();
                write!(
                    f,
                    "fragment(id_={id},more={},nxt={nxt},offset={offset})",
                    u8::from(more)
                )
            }
            IpProtocol::AH if self.data.len() >= 10 => write!(
                f,
                "auth(data={},nxt={nxt},seq={},size={size},spi={})",
                PyBytes(tail(&self.data, 10)),
                be32(&self.data, 6),
                be32(&self.data, 2)
            ),
            IpProtocol::IPV6_ROUTE if self.data.len() >= 2 => {
                let (rtype, seg) = self.routing_fields().unwrap_or_default();
                write!(
                    f,
                    "routing(data={},nxt={nxt},seg={seg},size={size},type_={rtype})",
                    PyBytes(tail(&self.data, 2))
                )
            }
            kind => write!(
                f,
                "ext_header(data={},kind={kind},nxt={nxt},size={size})",
                PyBytes(&self.data)
            ),
        }
    }
}

/// Writes hop-by-hop / destination options as Ryu's `option(data=...,len_=...,type_=...)`.
fn fmt_options(f: &mut fmt::Formatter<'_>, data: &[u8]) -> fmt::Result {
    let mut off = 0usize;
    let mut first = true;
    while let Some(&t) = data.get(off) {
        if !first {
            f.write_str(", ")?;
        }
        first = false;
        if t == 0 {
            f.write_str("option(data=None,len_=-1,type_=0)")?;
            off += 1;
            continue;
        }
        let len = data.get(off + 1).copied().unwrap_or(0);
        let body = slice(data, off + 2, off + 2 + usize::from(len));
        if len == 0 {
            write!(f, "option(data=None,len_=0,type_={t})")?;
        } else {
            write!(f, "option(data={},len_={len},type_={t})", PyBytes(body))?;
        }
        off += 2 + usize::from(len);
    }
    Ok(())
}

/// An IPv6 header with its extension headers (Ryu's `ipv6`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ipv6 {
    /// Version (6; written as is, low 4 bits).
    pub version: u8,
    /// Traffic class.
    pub traffic_class: u8,
    /// Flow label (20 bits).
    pub flow_label: u32,
    /// Payload length; `None` computes it (everything after the 40-byte header).
    pub payload_length: Option<u16>,
    /// Next header of the fixed header; `None` takes the type of the first extension header or
    /// of the next layer.
    pub nxt: Option<IpProtocol>,
    /// Hop limit.
    pub hop_limit: u8,
    /// Source address.
    pub src: Ipv6Addr,
    /// Destination address.
    pub dst: Ipv6Addr,
    /// Extension headers, in wire order.
    pub ext_hdrs: Vec<Ipv6ExtHeader>,
}

impl Ipv6 {
    /// Length of the fixed header.
    pub const LEN: usize = 40;

    /// A header from `src` to `dst`, hop limit 64, no extension headers, lengths and next
    /// header computed.
    pub fn new(src: Ipv6Addr, dst: Ipv6Addr) -> Self {
        Ipv6 {
            version: 6,
            traffic_class: 0,
            flow_label: 0,
            payload_length: None,
            nxt: None,
            hop_limit: 64,
            src,
            dst,
            ext_hdrs: Vec::new(),
        }
    }

    /// Appends an extension header.
    #[must_use]
    pub fn with_ext_header(mut self, h: Ipv6ExtHeader) -> Self {
        self.ext_hdrs.push(h);
        self
    }

    /// Parses the header and its extension headers at the front of `buf`.
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(Self::from_view(&Ipv6Packet::new_checked(buf)?))
    }

    /// Copies the header out of a checked view.
    pub fn from_view<T: AsRef<[u8]>>(v: &Ipv6Packet<T>) -> Self {
        Ipv6 {
            version: v.version(),
            traffic_class: v.traffic_class(),
            flow_label: v.flow_label(),
            payload_length: Some(v.payload_len()),
            nxt: Some(v.next_header()),
            hop_limit: v.hop_limit(),
            src: v.src(),
            dst: v.dst(),
            ext_hdrs: v
                .ext_headers()
                .filter_map(|h| h.ok())
                .map(|h| Ipv6ExtHeader::from_ref(&h))
                .collect(),
        }
    }

    /// The addresses of the upper-layer pseudo-header (RFC 8200 §8.1): the source, and the
    /// final destination, which is the last address of a routing header that still has
    /// segments left (see [`Ipv6ExtHeader`]), else the destination address.
    pub(crate) fn pseudo_header_addrs(&self) -> IpPair {
        let dst = self
            .ext_hdrs
            .iter()
            .find(|h| h.kind == IpProtocol::IPV6_ROUTE)
            .and_then(Ipv6ExtHeader::final_destination)
            .unwrap_or(self.dst);
        IpPair::V6(self.src, dst)
    }
}

/// How far an IPv6 packet reaches, for the layer walker.
pub(crate) fn step_ipv6(buf: &[u8]) -> Result<Step> {
    let v = Ipv6Packet::new_checked(buf)?;
    let up = v.upper_layer();
    let next = if up.non_first_fragment {
        Next::Payload
    } else {
        Next::IpProtocol(up.next_header)
    };
    Ok(Step {
        header_len: up.offset,
        end: v.end(),
        next,
    })
}

fn unencodable(what: &'static str, reason: &'static str) -> Error {
    Error::Unencodable {
        layer: L,
        what,
        reason,
    }
}

impl Protocol for Ipv6 {
    const KIND: LayerKind = LayerKind::Ipv6;

    fn header_len(&self) -> usize {
        Self::LEN + self.ext_hdrs.iter().map(Ipv6ExtHeader::len).sum::<usize>()
    }

    fn emit(&self, buf: &mut [u8], ctx: &EmitContext) -> Result<()> {
        let hl = self.header_len();
        emit_room(L, buf, hl)?;
        if self.version > 0x0f {
            return Err(unencodable("version", "must fit in 4 bits"));
        }
        if self.flow_label > 0x000f_ffff {
            return Err(unencodable("flow_label", "must fit in 20 bits"));
        }
        let payload_length = match self.payload_length {
            Some(v) => v,
            None => len16(L, "payload_length", buf.len() - Self::LEN)?,
        };
        let no_next = || {
            unencodable(
                "nxt",
                "not set, and the next layer has no IP protocol number",
            )
        };
        let nxt = match (self.nxt, self.ext_hdrs.first()) {
            (Some(v), _) => v,
            (None, Some(h)) => h.kind,
            (None, None) => ctx.next_ip_protocol.ok_or_else(no_next)?,
        };
        let h = Ipv6Header {
            ver_tc_fl: U32::new(
                (u32::from(self.version) << 28)
                    | (u32::from(self.traffic_class) << 20)
                    | self.flow_label,
            ),
            payload_len: U16::new(payload_length),
            next_header: nxt.0,
            hop_limit: self.hop_limit,
            src: self.src.octets(),
            dst: self.dst.octets(),
        };
        h.write_to(buf);
        let mut off = Self::LEN;
        for (i, e) in self.ext_hdrs.iter().enumerate() {
            let nxt = match (e.nxt, self.ext_hdrs.get(i + 1)) {
                (Some(v), _) => v,
                (None, Some(n)) => n.kind,
                (None, None) => ctx.next_ip_protocol.ok_or_else(no_next)?,
            };
            let size = match e.size {
                Some(v) => v,
                None => e.computed_size().ok_or_else(|| {
                    unencodable(
                        "extension header",
                        "data length does not fit the header type's length unit",
                    )
                })?,
            };
            let dst = buf.get_mut(off..off + e.len()).ok_or_else(|| {
                unencodable("extension header", "output buffer shorter than the header")
            })?;
            if let [n, s, rest @ ..] = dst {
                *n = nxt.0;
                *s = size;
                rest.copy_from_slice(&e.data);
            }
            off += e.len();
        }
        Ok(())
    }

    fn from_layer(layer: &Layer) -> Option<&Self> {
        match layer {
            Layer::Ipv6(v) => Some(v),
            _ => None,
        }
    }

    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self> {
        match layer {
            Layer::Ipv6(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Ipv6 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ipv6(dst={},ext_hdrs=[", Quoted(self.dst))?;
        for (i, h) in self.ext_hdrs.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            h.fmt(f)?;
        }
        write!(
            f,
            "],flow_label={},hop_limit={},nxt={},payload_length={},src={},traffic_class={},version={})",
            self.flow_label,
            self.hop_limit,
            Opt(self.nxt),
            Opt(self.payload_length),
            Quoted(self.src),
            self.traffic_class,
            self.version
        )
    }
}
