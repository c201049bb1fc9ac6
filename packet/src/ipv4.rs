//! Internet Protocol version 4 (RFC 791), options kept byte for byte.
//!
//! ```text
//!  0               1               2               3
//! +-------+-------+---------------+-------------------------------+
//! |version|  IHL  |      TOS      |         total length          |
//! +-------+-------+---------------+-----+-------------------------+
//! |        identification         |flags|     fragment offset     |
//! +---------------+---------------+-----+-------------------------+
//! |      TTL      |   protocol    |        header checksum        |
//! +---------------+---------------+-------------------------------+
//! |                        source address                         |
//! |                      destination address                      |
//! |                options (IHL*4 - 20 bytes)                     |
//! +---------------------------------------------------------------+
//! ```
//! The payload is `total_length - IHL*4` bytes; anything after that in the buffer (Ethernet
//! padding) is not payload. Fragments other than the first carry no transport header, and the
//! first fragment of a fragmented datagram carries an incomplete one, so [`Packet`] keeps the
//! payload of any fragment undecoded.
//!
//! Contract (smoltcp's `new_checked`): once [`Ipv4View::parse`] succeeds no accessor panics;
//! setters never panic; [`Protocol::emit`] and [`Encode`](crate::Encode) never panic: a short
//! buffer is `ErrorKind::ShortBuffer`, a value that does not fit its field
//! `ErrorKind::Unencodable`.
//!
//! [`Packet`]: crate::Packet

use core::fmt;
use core::net::Ipv4Addr;

use crate::bytes::{be16, put16, put_bytes, slice, wire_struct, U16};
use crate::checksum;
use crate::error::{Error, LayerKind, Result};
use crate::ip::IpProtocol;
use crate::layer::{emit_room, header_words, len16, EmitContext, Protocol};
use crate::notation::{Opt, PyBytes, Quoted};
use crate::small::SmallBytes;
use crate::stack::Layer;

wire_struct! {
    /// The fixed 20-byte header.
    pub(crate) struct Ipv4Header {
        vihl: u8,
        tos: u8,
        total_len: U16,
        ident: U16,
        flags_frag: U16,
        ttl: u8,
        protocol: u8,
        checksum: U16,
        src: [u8; 4],
        dst: [u8; 4],
    }
}

/// Flag bit: don't fragment (in the 3-bit `flags` field).
pub const FLAG_DF: u8 = 0b010;
/// Flag bit: more fragments.
pub const FLAG_MF: u8 = 0b001;
/// Flag bit: reserved (the "evil bit").
pub const FLAG_RESERVED: u8 = 0b100;

/// A checked, zero-copy view of an IPv4 datagram.
#[derive(Debug, Clone, Copy)]
pub struct Ipv4View<T: AsRef<[u8]>> {
    buffer: T,
    /// The fixed header, read once by the constructor: accessors never see a short buffer.
    hdr: Ipv4Header,
}

/// The length of the fixed header.
const MIN_HEADER_LEN: usize = 20;

/// The fixed header of a datagram [`Ipv4View::parse`] accepts, or `None` (then [`refused`]
/// says which check failed): the header is there, the version is 4, IHL is at least 5 words,
/// and `total_length` covers the header (options included) and fits in `b` (so the options fit
/// too).
#[inline]
pub(crate) fn accepted(b: &[u8]) -> Option<Ipv4Header> {
    // The checks read the copy the view keeps: its accessors then read values the optimizer
    // has seen checked (the payload's end needs no second test against the buffer).
    let h = *<Ipv4Header as zerocopy::FromBytes>::ref_from_prefix(b)
        .ok()?
        .0;
    let hl = usize::from(h.vihl & 0x0f) * 4;
    let total = usize::from(h.total_len.get());
    (h.vihl >> 4 == 4 && hl >= MIN_HEADER_LEN && hl <= total && total <= b.len()).then_some(h)
}

/// Which of [`accepted`]'s checks fails first (see [`refusal`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Fewer than 20 bytes.
    Header,
    /// The version (the value) is not 4.
    Version,
    /// IHL (the value, in words) below 5.
    Ihl,
    /// The header with its options (the value, in bytes) past the buffer.
    Options,
    /// `total_length` (the value) below the header's length.
    TotalBelowHeader,
    /// `total_length` (the value) past the buffer.
    TotalPastBuffer,
}

/// The first of [`accepted`]'s checks that fails on `b`, and the value it read: two words,
/// returned in registers. Out of the hot path (`cold`) but visible to the caller's optimizer
/// (`inline`): it only reads `b`, so where the caller drops the error (`parse(b).ok()`) the
/// call goes away with it, and no stack frame is set up for an error on the accepting path.
#[cold]
#[inline]
pub(crate) fn refusal(b: &[u8]) -> (Refusal, usize) {
    let Ok((h, _)) = <Ipv4Header as zerocopy::FromBytes>::ref_from_prefix(b) else {
        return (Refusal::Header, 0);
    };
    if h.vihl >> 4 != 4 {
        return (Refusal::Version, usize::from(h.vihl >> 4));
    }
    let hl = usize::from(h.vihl & 0x0f) * 4;
    if hl < MIN_HEADER_LEN {
        return (Refusal::Ihl, hl / 4);
    }
    if hl > b.len() {
        return (Refusal::Options, hl);
    }
    let total = usize::from(h.total_len.get());
    if total < hl {
        (Refusal::TotalBelowHeader, total)
    } else {
        (Refusal::TotalPastBuffer, total)
    }
}

/// The error of bytes [`accepted`] refuses: the first of its checks that fails, in the order
/// the header is read (the last, `total_length` past the buffer, is the one left when the
/// others pass). [`refusal`] finds which; the error is built here, inline, from plain values.
#[inline(always)]
pub(crate) fn refused(b: &[u8]) -> Error {
    let (which, value) = refusal(b);
    match which {
        Refusal::Header => Error::truncated(LayerKind::Ipv4, 0, "header", MIN_HEADER_LEN, b.len()),
        Refusal::Version => Error::BadValue {
            layer: LayerKind::Ipv4,
            offset: 0,
            field: "version",
            value: u64::try_from(value).unwrap_or(u64::MAX),
            expected: "4",
        },
        Refusal::Ihl => Error::BadLength {
            layer: LayerKind::Ipv4,
            offset: 0,
            field: "ihl",
            value,
            reason: "below the minimum of 5 words",
        },
        Refusal::Options => {
            Error::truncated(LayerKind::Ipv4, 0, "header with options", value, b.len())
        }
        Refusal::TotalBelowHeader | Refusal::TotalPastBuffer => Error::BadLength {
            layer: LayerKind::Ipv4,
            offset: 2,
            field: "total_length",
            value,
            reason: if which == Refusal::TotalBelowHeader {
                "smaller than the header"
            } else {
                "larger than the buffer"
            },
        },
    }
}

/// The checks of [`Ipv4View::parse`] written one by one, each returning its error: the
/// reference the tests hold [`accepted`] and [`refused`] to.
#[cfg(test)]
pub(crate) fn check(b: &[u8]) -> Result<()> {
    let h = Ipv4Header::read(LayerKind::Ipv4, b, "header")?;
    if h.vihl >> 4 != 4 {
        return Err(Error::BadValue {
            layer: LayerKind::Ipv4,
            offset: 0,
            field: "version",
            value: u64::from(h.vihl >> 4),
            expected: "4",
        });
    }
    let hl = usize::from(h.vihl & 0x0f) * 4;
    if hl < MIN_HEADER_LEN {
        return Err(Error::BadLength {
            layer: LayerKind::Ipv4,
            offset: 0,
            field: "ihl",
            value: hl / 4,
            reason: "below the minimum of 5 words",
        });
    }
    crate::error::need(LayerKind::Ipv4, b, 0, hl, "header with options")?;
    let total = usize::from(h.total_len.get());
    if total < hl {
        return Err(Error::BadLength {
            layer: LayerKind::Ipv4,
            offset: 2,
            field: "total_length",
            value: total,
            reason: "smaller than the header",
        });
    }
    if total > b.len() {
        return Err(Error::BadLength {
            layer: LayerKind::Ipv4,
            offset: 2,
            field: "total_length",
            value: total,
            reason: "larger than the buffer",
        });
    }
    Ok(())
}

crate::bytes::header_view!(Ipv4View, Ipv4Header, LayerKind::Ipv4, "header");

impl<T: AsRef<[u8]>> Ipv4View<T> {
    /// Length of the header without options.
    pub const MIN_HEADER_LEN: usize = 20;

    /// Wraps `buffer`, checking the version, that IHL is at least 5, that the header fits, and
    /// that `total_length` covers the header and fits in the buffer.
    #[inline(always)]
    pub fn parse(buffer: T) -> Result<Self> {
        // Every check in one pass, small enough to inline into the caller; a header it does not
        // accept goes to `refused`, which makes the same checks one by one and says which failed.
        let b = buffer.as_ref();
        match accepted(b) {
            Some(hdr) => Ok(Ipv4View { buffer, hdr }),
            None => Err(refused(b)),
        }
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn h(&self) -> &Ipv4Header {
        &self.hdr
    }

    /// IP version (always 4 in a checked view).
    pub fn version(&self) -> u8 {
        self.h().vihl >> 4
    }

    /// Header length in 32-bit words (IHL).
    pub fn ihl(&self) -> u8 {
        self.h().vihl & 0x0f
    }

    /// Header length in bytes, options included.
    pub fn header_len(&self) -> usize {
        usize::from(self.ihl()) * 4
    }

    /// Type of service byte (DSCP and ECN).
    pub fn tos(&self) -> u8 {
        self.h().tos
    }

    /// Differentiated services code point (top 6 bits of TOS).
    pub fn dscp(&self) -> u8 {
        self.tos() >> 2
    }

    /// Explicit congestion notification (low 2 bits of TOS).
    pub fn ecn(&self) -> u8 {
        self.tos() & 3
    }

    /// Total length of the datagram, header included.
    pub fn total_len(&self) -> u16 {
        self.h().total_len.get()
    }

    /// Identification.
    pub fn ident(&self) -> u16 {
        self.h().ident.get()
    }

    /// The 3 flag bits ([`FLAG_DF`], [`FLAG_MF`], [`FLAG_RESERVED`]).
    pub fn flags(&self) -> u8 {
        #[allow(clippy::cast_possible_truncation)]
        let f = (self.h().flags_frag.get() >> 13) as u8;
        f
    }

    /// Don't-fragment flag.
    pub fn dont_frag(&self) -> bool {
        self.flags() & FLAG_DF != 0
    }

    /// More-fragments flag.
    pub fn more_frags(&self) -> bool {
        self.flags() & FLAG_MF != 0
    }

    /// Fragment offset in 8-byte units.
    pub fn frag_offset(&self) -> u16 {
        self.h().flags_frag.get() & 0x1fff
    }

    /// True if this datagram is a fragment (MF set or a non-zero offset).
    pub fn is_fragment(&self) -> bool {
        self.more_frags() || self.frag_offset() != 0
    }

    /// Time to live.
    pub fn ttl(&self) -> u8 {
        self.h().ttl
    }

    /// Protocol of the payload.
    pub fn protocol(&self) -> IpProtocol {
        IpProtocol(self.h().protocol)
    }

    /// Header checksum as found.
    pub fn checksum(&self) -> u16 {
        self.h().checksum.get()
    }

    /// Source address.
    pub fn src(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.h().src)
    }

    /// Destination address.
    pub fn dst(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.h().dst)
    }

    /// The raw options (`IHL*4 - 20` bytes).
    pub fn options(&self) -> &[u8] {
        slice(
            self.buffer.as_ref(),
            Self::MIN_HEADER_LEN,
            self.header_len(),
        )
    }

    /// The options one by one.
    pub fn option_iter(&self) -> Ipv4Options<'_> {
        Ipv4Options::new(self.options())
    }

    /// The payload: from the end of the header to `total_length`.
    pub fn payload(&self) -> &[u8] {
        // `parse` checked the header length against the total length and the total length
        // against the buffer: written so, the optimizer sees the range in bounds (one `min`, no
        // second test of the buffer's length).
        let end = usize::from(self.total_len());
        let start = self.header_len().min(end);
        self.buffer.as_ref().get(start..end).unwrap_or(&[])
    }

    /// Checks the header checksum.
    pub fn verify_checksum(&self) -> Result<()> {
        let hdr = slice(self.buffer.as_ref(), 0, self.header_len());
        if checksum::checksum(hdr) == 0 {
            return Ok(());
        }
        let found = self.checksum();
        // The sum with the field counted as zero: add the field's one's-complement negation.
        let computed = checksum::expected(checksum::sum(0, hdr), found);
        Err(Error::BadChecksum {
            layer: LayerKind::Ipv4,
            offset: 10,
            computed,
            found,
        })
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Ipv4View<T> {
    /// Replaces the 16-bit word at header offset `at` and updates the header checksum (RFC 1624).
    fn set_word(&mut self, at: usize, new: u16) {
        let b = self.buffer.as_mut();
        let old = be16(b, at);
        let c = checksum::update16(be16(b, 10), old, new);
        put16(b, at, new);
        put16(b, 10, c);
        self.reload();
    }

    /// Sets the TTL, keeping the header checksum right.
    pub fn set_ttl(&mut self, ttl: u8) {
        let w = (u16::from(ttl) << 8) | u16::from(self.h().protocol);
        self.set_word(8, w);
    }

    /// Decrements the TTL as a router does (saturating at 0), keeping the checksum right.
    /// Returns the new TTL.
    pub fn decrement_ttl(&mut self) -> u8 {
        let ttl = self.ttl().saturating_sub(1);
        self.set_ttl(ttl);
        ttl
    }

    /// Sets the TOS byte (DSCP and ECN), keeping the header checksum right.
    pub fn set_tos(&mut self, tos: u8) {
        let w = (u16::from(self.h().vihl) << 8) | u16::from(tos);
        self.set_word(0, w);
    }

    /// Sets the identification, keeping the header checksum right.
    pub fn set_ident(&mut self, ident: u16) {
        self.set_word(4, ident);
    }

    /// Sets the source address, keeping the header checksum right, and the UDP or TCP checksum
    /// of the payload too (its pseudo-header covers the address) when this is not a fragment.
    pub fn set_src(&mut self, addr: Ipv4Addr) {
        let old = self.src();
        self.set_addr(12, old, addr);
    }

    /// Sets the destination address; checksums as for [`set_src`](Self::set_src).
    pub fn set_dst(&mut self, addr: Ipv4Addr) {
        let old = self.dst();
        self.set_addr(16, old, addr);
    }

    fn set_addr(&mut self, at: usize, old: Ipv4Addr, new: Ipv4Addr) {
        let (o, n) = (u32::from(old), u32::from(new));
        let hl = self.header_len();
        let l4 = if self.is_fragment() {
            None
        } else {
            transport_checksum_at(self.protocol())
        };
        let plen = self.payload().len();
        let b = self.buffer.as_mut();
        let c = checksum::update32(be16(b, 10), o, n);
        put_bytes(b, at, &new.octets());
        put16(b, 10, c);
        if let Some(off) = l4 {
            let at = hl + off;
            if plen >= off + 2 {
                let old_c = be16(b, at);
                // A UDP checksum of 0 means "none" over IPv4: leave it so.
                if !(off == 6 && old_c == 0) {
                    let mut c = checksum::update32(old_c, o, n);
                    if off == 6 && c == 0 {
                        c = 0xffff;
                    }
                    put16(b, at, c);
                }
            }
        }
        self.reload();
    }

    /// Recomputes the header checksum from scratch.
    pub fn fill_checksum(&mut self) {
        let hl = self.header_len();
        let b = self.buffer.as_mut();
        put16(b, 10, 0);
        let c = checksum::checksum(slice(b, 0, hl));
        put16(b, 10, c);
        self.reload();
    }

    /// The payload, mutably.
    pub fn payload_mut(&mut self) -> &mut [u8] {
        let (hl, total) = (self.header_len(), usize::from(self.total_len()));
        self.buffer.as_mut().get_mut(hl..total).unwrap_or(&mut [])
    }
}

/// Offset of the checksum inside a transport header whose checksum covers the IP addresses.
pub(crate) fn transport_checksum_at(p: IpProtocol) -> Option<usize> {
    match p {
        IpProtocol::UDP => Some(6),
        IpProtocol::TCP => Some(16),
        _ => None,
    }
}

/// One IPv4 option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4OptionView<'a> {
    /// Option type (copied flag, class and number).
    pub kind: u8,
    /// Option data, without type and length (empty for end-of-list and no-operation).
    pub data: &'a [u8],
}

impl Ipv4OptionView<'_> {
    /// End of option list.
    pub const END: u8 = 0;
    /// No operation.
    pub const NOP: u8 = 1;
    /// Record route.
    pub const RECORD_ROUTE: u8 = 7;
    /// Timestamp.
    pub const TIMESTAMP: u8 = 68;
    /// Loose source and record route.
    pub const LSRR: u8 = 131;
    /// Strict source and record route.
    pub const SSRR: u8 = 137;
    /// Router alert (RFC 2113), which IGMP messages carry.
    pub const ROUTER_ALERT: u8 = 148;
}

/// Iterator over IPv4 options. Stops after end-of-list; an option whose length is below 2 or
/// runs past the options area yields an error and ends the iteration.
#[derive(Debug, Clone)]
pub struct Ipv4Options<'a> {
    buf: &'a [u8],
    at: usize,
    done: bool,
}

impl<'a> Ipv4Options<'a> {
    /// Iterates over the options in `buf` (the bytes after the fixed header).
    pub fn new(buf: &'a [u8]) -> Self {
        Ipv4Options {
            buf,
            at: 0,
            done: false,
        }
    }
}

impl<'a> Iterator for Ipv4Options<'a> {
    type Item = Result<Ipv4OptionView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let kind = *self.buf.get(self.at)?;
        let off = 20 + self.at;
        if kind == Ipv4OptionView::END || kind == Ipv4OptionView::NOP {
            self.at += 1;
            self.done = kind == Ipv4OptionView::END;
            return Some(Ok(Ipv4OptionView { kind, data: &[] }));
        }
        let Some(&len) = self.buf.get(self.at + 1) else {
            self.done = true;
            return Some(Err(Error::option_without_length(LayerKind::Ipv4, off)));
        };
        let len = usize::from(len);
        let avail = self.buf.len() - self.at;
        if len < 2 || len > avail {
            self.done = true;
            return Some(Err(Error::BadLength {
                layer: LayerKind::Ipv4,
                offset: off + 1,
                field: "option length",
                value: len,
                reason: if len < 2 {
                    "below 2"
                } else {
                    "past the end of the options"
                },
            }));
        }
        let data = slice(self.buf, self.at + 2, self.at + len);
        self.at += len;
        Some(Ok(Ipv4OptionView { kind, data }))
    }
}

/// An IPv4 header (Ryu's `ipv4`).
///
/// `header_length`, `total_length`, `proto` and `csum` are computed on emit when `None`. Options
/// are raw bytes, emitted as they are and padded with zeros (end-of-list) to a multiple of 4.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ipv4 {
    /// Header length in 32-bit words; `None`: from the options.
    pub header_length: Option<u8>,
    /// Type of service (DSCP << 2 | ECN).
    pub tos: u8,
    /// Total length; `None`: header plus everything it carries.
    pub total_length: Option<u16>,
    /// Identification.
    pub identification: u16,
    /// The 3 flag bits ([`FLAG_DF`], [`FLAG_MF`], [`FLAG_RESERVED`]).
    pub flags: u8,
    /// Fragment offset in 8-byte units.
    pub offset: u16,
    /// Time to live.
    pub ttl: u8,
    /// Payload protocol; `None`: from the next layer.
    pub proto: Option<IpProtocol>,
    /// Header checksum; `None`: computed.
    pub csum: Option<u16>,
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// Options, raw (stored inline: no allocation for the at most 40 bytes a header holds).
    pub option: SmallBytes,
}

impl Ipv4 {
    /// A header from `src` to `dst` with TTL 64, DF clear, and every computed field left to the
    /// serializer.
    pub fn new(src: Ipv4Addr, dst: Ipv4Addr) -> Self {
        Ipv4 {
            header_length: None,
            tos: 0,
            total_length: None,
            identification: 0,
            flags: 0,
            offset: 0,
            ttl: 64,
            proto: None,
            csum: None,
            src,
            dst,
            option: SmallBytes::new(),
        }
    }

    /// Parses the header at the front of `buf` (which must hold `total_length` bytes).
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(Ipv4View::parse(buf)?.decode())
    }

    /// The reply's header: addresses swapped, TTL 64, every computed field left to the
    /// serializer (as an echo or ARP responder builds it).
    pub fn reply(&self) -> Self {
        let mut r = Ipv4::new(self.dst, self.src);
        r.tos = self.tos;
        r
    }

    fn options_len(&self) -> usize {
        self.option.len().div_ceil(4) * 4
    }
}

impl<T: AsRef<[u8]>> Ipv4View<T> {
    /// The owned value: copies the header out of a checked view.
    pub fn decode(&self) -> Ipv4 {
        let v = self;
        Ipv4 {
            header_length: Some(v.ihl()),
            tos: v.tos(),
            total_length: Some(v.total_len()),
            identification: v.ident(),
            flags: v.flags(),
            offset: v.frag_offset(),
            ttl: v.ttl(),
            proto: Some(v.protocol()),
            csum: Some(v.checksum()),
            src: v.src(),
            dst: v.dst(),
            option: SmallBytes::from_slice(v.options()),
        }
    }
}

impl Protocol for Ipv4 {
    const KIND: LayerKind = LayerKind::Ipv4;

    fn header_len(&self) -> usize {
        20 + self.options_len()
    }

    fn emit(&self, buf: &mut [u8], ctx: &EmitContext) -> Result<()> {
        let hl = self.header_len();
        emit_room(LayerKind::Ipv4, buf, hl)?;
        let ihl = header_words(LayerKind::Ipv4, self.header_length, hl)?;
        let total = match self.total_length {
            Some(v) => v,
            None => len16(LayerKind::Ipv4, "total_length", buf.len())?,
        };
        let proto = self
            .proto
            .or(ctx.next_ip_protocol)
            .unwrap_or(IpProtocol::IPV6_NONXT);
        let h = Ipv4Header {
            vihl: 0x40 | (ihl & 0x0f),
            tos: self.tos,
            total_len: U16::new(total),
            ident: U16::new(self.identification),
            flags_frag: U16::new((u16::from(self.flags & 7) << 13) | (self.offset & 0x1fff)),
            ttl: self.ttl,
            protocol: proto.0,
            checksum: U16::new(self.csum.unwrap_or(0)),
            src: self.src.octets(),
            dst: self.dst.octets(),
        };
        h.write_to(buf);
        put_bytes(buf, 20, &self.option);
        if let Some(pad) = buf.get_mut(20 + self.option.len()..hl) {
            pad.fill(0);
        }
        if self.csum.is_none() {
            let c = checksum::checksum(slice(buf, 0, hl));
            put16(buf, 10, c);
        }
        Ok(())
    }

    fn from_layer(layer: &Layer) -> Option<&Self> {
        match layer {
            Layer::Ipv4(v) => Some(v),
            _ => None,
        }
    }

    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self> {
        match layer {
            Layer::Ipv4(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Ipv4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ipv4(csum={},dst={},flags={},header_length={},identification={},offset={},option=",
            Opt(self.csum),
            Quoted(self.dst),
            self.flags,
            Opt(self.header_length),
            self.identification,
            self.offset
        )?;
        if self.option.is_empty() {
            f.write_str("None")?;
        } else {
            PyBytes(&self.option).fmt(f)?;
        }
        write!(
            f,
            ",proto={},src={},tos={},total_length={},ttl={},version=4)",
            Opt(self.proto),
            Quoted(self.src),
            self.tos,
            Opt(self.total_length),
            self.ttl
        )
    }
}

/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for Ipv4View<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

/// `ipv4_option(kind=148,data=b'\x00\x00')`: Ryu keeps IPv4 options as raw bytes and has no
/// notation of its own for one option.
impl fmt::Display for Ipv4OptionView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ipv4_option(kind={},data={})",
            self.kind,
            PyBytes(self.data)
        )
    }
}

impl core::iter::FusedIterator for Ipv4Options<'_> {}
