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
//! as raw bytes with their type, so that any walkable chain re-encodes unchanged. As Ryu does,
//! a hop-by-hop header is walked wherever it appears (RFC 8200 §4.1 wants it first only).
//!
//! Hop-by-hop and destination options must form a chain of whole TLVs (an option that runs
//! past its header is [`Error::BadLength`] at its length byte); [`ExtHeaderView::options`] and
//! [`Ipv6ExtHeader::options`] decode them ([`Ipv6Option`]: Pad1, PadN, router alert, jumbo
//! payload, any other kept). [`ExtHeaderView::routing`] and [`Ipv6ExtHeader::routing`] decode
//! the addresses of type 0 and type 2 routing headers and the fields of the segment routing
//! header (RFC 8754: last entry, flags, tag, segment list, TLVs) as [`Routing`]. The headers
//! themselves stay raw bytes, so that decoding never changes what is encoded.
//!
//! Jumbograms (RFC 2675: payload length 0 and a jumbo payload hop-by-hop option) are not
//! supported: a payload length of 0 in front of a hop-by-hop header is rejected with
//! [`Error::BadLength`].
//!
//! Contract (smoltcp's `new_checked`): once [`Ipv6View::parse`] succeeds (it checks the fixed
//! header, the payload length and every extension header length), no accessor panics and the
//! extension-header iterator yields no error; [`Protocol::emit`] and [`Encode`]
//! never panic: a short buffer is `ErrorKind::ShortBuffer`, a value that does not fit its field
//! `ErrorKind::Unencodable`.

use alloc::vec::Vec;
use core::fmt;
use core::iter::FusedIterator;
use core::net::Ipv6Addr;

use crate::bytes::{be16, be32, slice, tail, wire_struct, U16, U32};
use crate::encode::{room, Encode};
use crate::error::{need, Error, LayerKind, Result};
use crate::ip::IpProtocol;
use crate::layer::{emit_room, len16, EmitContext, IpPair, Protocol};
use crate::notation::{Opt, PyBytes, Quoted};
use crate::stack::Layer;

const L: LayerKind = LayerKind::Ipv6;

mod ext;

pub use ext::*;

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

/// A checked, zero-copy view of an IPv6 packet.
#[derive(Debug, Clone, Copy)]
pub struct Ipv6View<T: AsRef<[u8]>> {
    buffer: T,
    /// The fixed header, read once by `parse`: accessors never see a short buffer.
    hdr: Ipv6Header,
    upper: UpperLayer,
}

impl<T: AsRef<[u8]>> Ipv6View<T> {
    /// Length of the fixed header.
    pub const HEADER_LEN: usize = 40;

    /// Wraps `buffer`, checking the fixed header (40 bytes, version 6), the payload length
    /// (at most the bytes after the header; 0 with a hop-by-hop header, a jumbogram, is
    /// refused) and the length of every extension header.
    pub fn parse(buffer: T) -> Result<Self> {
        let buf = buffer.as_ref();
        let hdr = Ipv6Header::read(L, buf, "header")?;
        let h = &hdr;
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
        Ok(Ipv6View { buffer, hdr, upper })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn h(&self) -> &Ipv6Header {
        &self.hdr
    }

    /// Re-reads the header copy after a setter wrote the buffer.
    fn reload(&mut self) {
        if let Ok(h) = Ipv6Header::read(L, self.buffer.as_ref(), "header") {
            self.hdr = h;
        }
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

impl<T: AsRef<[u8]> + AsMut<[u8]>> Ipv6View<T> {
    fn h_mut(&mut self) -> Option<&mut Ipv6Header> {
        Ipv6Header::view_mut(self.buffer.as_mut())
    }

    /// Sets the hop limit (IPv6 has no header checksum to update).
    pub fn set_hop_limit(&mut self, v: u8) {
        if let Some(h) = self.h_mut() {
            h.hop_limit = v;
        }
        self.reload();
    }

    /// Sets the traffic class.
    pub fn set_traffic_class(&mut self, v: u8) {
        if let Some(h) = self.h_mut() {
            let w = h.ver_tc_fl.get();
            h.ver_tc_fl.set((w & 0xf00f_ffff) | (u32::from(v) << 20));
        }
        self.reload();
    }

    /// Sets the flow label (low 20 bits of `v`).
    pub fn set_flow_label(&mut self, v: u32) {
        if let Some(h) = self.h_mut() {
            let w = h.ver_tc_fl.get();
            h.ver_tc_fl.set((w & 0xfff0_0000) | (v & 0x000f_ffff));
        }
        self.reload();
    }

    /// Sets the source address. The upper layer's checksum (TCP, UDP, ICMPv6) covers it through
    /// the pseudo-header and must be updated by the caller.
    pub fn set_src(&mut self, a: Ipv6Addr) {
        if let Some(h) = self.h_mut() {
            h.src = a.octets();
        }
        self.reload();
    }

    /// Sets the destination address (see [`set_src`](Self::set_src) about checksums).
    pub fn set_dst(&mut self, a: Ipv6Addr) {
        if let Some(h) = self.h_mut() {
            h.dst = a.octets();
        }
        self.reload();
    }
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
        Ok(Ipv6View::parse(buf)?.decode())
    }

    /// The addresses of the upper-layer pseudo-header (RFC 8200 §8.1): the source, and the
    /// final destination, which is the last address of a routing header that still has
    /// segments left (see [`Ipv6ExtHeader`]), else the destination address.
    pub fn pseudo_header_addrs(&self) -> IpPair {
        let dst = self
            .ext_hdrs
            .iter()
            .find(|h| h.kind == IpProtocol::IPV6_ROUTE)
            .and_then(Ipv6ExtHeader::final_destination)
            .unwrap_or(self.dst);
        IpPair::V6(self.src, dst)
    }
}

impl<T: AsRef<[u8]>> Ipv6View<T> {
    /// The owned value: copies the header out of a checked view.
    pub fn decode(&self) -> Ipv6 {
        let v = self;
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
                .map(|h| h.decode())
                .collect(),
        }
    }
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
        Self::LEN
            + self
                .ext_hdrs
                .iter()
                .map(Ipv6ExtHeader::wire_len)
                .sum::<usize>()
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
            let dst = buf.get_mut(off..off + e.wire_len()).ok_or_else(|| {
                unencodable("extension header", "output buffer shorter than the header")
            })?;
            if let [n, s, rest @ ..] = dst {
                *n = nxt.0;
                *s = size;
                rest.copy_from_slice(&e.data);
            }
            off += e.wire_len();
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

/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for Ipv6View<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

#[cfg(test)]
mod tests;
