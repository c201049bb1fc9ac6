//! User Datagram Protocol (RFC 768).
//!
//! ```text
//!  0               1               2               3
//! +-------------------------------+-------------------------------+
//! |          source port          |       destination port        |
//! +-------------------------------+-------------------------------+
//! |            length             |           checksum            |
//! +-------------------------------+-------------------------------+
//! ```
//! The datagram is `length` bytes, header included; bytes past it are not payload. The checksum
//! covers the IPv4 or IPv6 pseudo-header; 0 means "none" over IPv4, and a computed 0 is sent as
//! 0xffff.
//!
//! Contract (smoltcp's `new_checked`): once [`UdpView::parse`] succeeds no accessor panics;
//! [`Protocol::emit`] and [`Encode`](crate::Encode) never panic: a short buffer is
//! `ErrorKind::ShortBuffer`, a value that does not fit its field `ErrorKind::Unencodable`.

use core::fmt;

use crate::bytes::{be16, put16, slice, wire_struct, U16};
use crate::checksum;
use crate::error::{Error, LayerKind, Result};
use crate::ip::IpProtocol;
use crate::layer::{emit_room, len16, EmitContext, IpPair, Next, Protocol, Step};
use crate::notation::Opt;
use crate::stack::Layer;

wire_struct! {
    /// The 8-byte UDP header.
    pub(crate) struct UdpHeader {
        src_port: U16,
        dst_port: U16,
        len: U16,
        checksum: U16,
    }
}

/// The length of the header.
const HEADER_LEN: usize = 8;

/// The header of a datagram [`UdpView::parse`] accepts (the header there, a length between the
/// header's and the buffer's), or `None` (then [`refused`] says which check failed).
#[inline]
pub(crate) fn accepted(b: &[u8]) -> Option<UdpHeader> {
    // The checks read the copy the view keeps: its accessors then read values the optimizer
    // has seen checked (the payload's end needs no second test against the buffer).
    let h = *<UdpHeader as zerocopy::FromBytes>::ref_from_prefix(b)
        .ok()?
        .0;
    let len = usize::from(h.len.get());
    (len >= HEADER_LEN && len <= b.len()).then_some(h)
}

/// Which of [`accepted`]'s checks fails first (see [`refusal`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Fewer than 8 bytes.
    Header,
    /// The length (the value) below the header's.
    LengthBelowHeader,
    /// The length (the value) past the buffer.
    LengthPastBuffer,
}

/// The first of [`accepted`]'s checks that fails on `b`, and the value it read, in registers;
/// `cold` but `inline`, so that a caller that drops the error drops the call (see
/// [`crate::ipv4::refusal`]).
#[cold]
#[inline]
pub(crate) fn refusal(b: &[u8]) -> (Refusal, usize) {
    let Ok((h, _)) = <UdpHeader as zerocopy::FromBytes>::ref_from_prefix(b) else {
        return (Refusal::Header, 0);
    };
    let len = usize::from(h.len.get());
    if len < HEADER_LEN {
        (Refusal::LengthBelowHeader, len)
    } else {
        (Refusal::LengthPastBuffer, len)
    }
}

/// The error of bytes [`accepted`] refuses: the header cut short, or its length below the
/// header's or past the buffer's; built inline from [`refusal`]'s plain values.
#[inline(always)]
pub(crate) fn refused(b: &[u8]) -> Error {
    match refusal(b) {
        (Refusal::Header, _) => Error::truncated(LayerKind::Udp, 0, "header", HEADER_LEN, b.len()),
        (which, len) => Error::BadLength {
            layer: LayerKind::Udp,
            offset: 4,
            field: "length",
            value: len,
            reason: if which == Refusal::LengthBelowHeader {
                "smaller than the header"
            } else {
                "larger than the buffer"
            },
        },
    }
}

/// The checks of [`UdpView::parse`] written one by one, each returning its error: the
/// reference the tests hold [`accepted`] and [`refused`] to.
#[cfg(test)]
pub(crate) fn check(b: &[u8]) -> Result<()> {
    let hdr = UdpHeader::read(LayerKind::Udp, b, "header")?;
    let len = usize::from(hdr.len.get());
    if len < HEADER_LEN {
        return Err(Error::BadLength {
            layer: LayerKind::Udp,
            offset: 4,
            field: "length",
            value: len,
            reason: "smaller than the header",
        });
    }
    if len > b.len() {
        return Err(Error::BadLength {
            layer: LayerKind::Udp,
            offset: 4,
            field: "length",
            value: len,
            reason: "larger than the buffer",
        });
    }
    Ok(())
}

/// A checked, zero-copy view of a UDP datagram.
#[derive(Debug, Clone, Copy)]
pub struct UdpView<T: AsRef<[u8]>> {
    buffer: T,
    /// The header, read once by the constructor: accessors never see a short buffer.
    hdr: UdpHeader,
}

crate::bytes::header_view!(UdpView, UdpHeader, LayerKind::Udp, "header");

impl<T: AsRef<[u8]>> UdpView<T> {
    /// Length of the header.
    pub const HEADER_LEN: usize = 8;

    /// Wraps `buffer`, checking that `length` covers the header and fits in the buffer.
    #[inline(always)]
    pub fn parse(buffer: T) -> Result<Self> {
        // The checks in one pass, inlined into the caller; `refused` says which failed.
        let b = buffer.as_ref();
        match accepted(b) {
            Some(hdr) => Ok(UdpView { buffer, hdr }),
            None => Err(refused(b)),
        }
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn h(&self) -> &UdpHeader {
        &self.hdr
    }

    /// Source port.
    pub fn src_port(&self) -> u16 {
        self.h().src_port.get()
    }

    /// Destination port.
    pub fn dst_port(&self) -> u16 {
        self.h().dst_port.get()
    }

    /// Length of the datagram, header included.
    pub fn len(&self) -> u16 {
        self.h().len.get()
    }

    /// Always false: a checked datagram has at least its header.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Checksum as found (0: none).
    pub fn checksum(&self) -> u16 {
        self.h().checksum.get()
    }

    /// The payload, `length - 8` bytes.
    pub fn payload(&self) -> &[u8] {
        slice(
            self.buffer.as_ref(),
            Self::HEADER_LEN,
            usize::from(self.len()),
        )
    }

    /// Checks the checksum against the pseudo-header of `ip`. A zero checksum over IPv4 passes
    /// (it means "none"); over IPv6 it fails.
    pub fn verify_checksum(&self, ip: &IpPair) -> Result<()> {
        let found = self.checksum();
        if found == 0 && matches!(ip, IpPair::V4(..)) {
            return Ok(());
        }
        let d = slice(self.buffer.as_ref(), 0, usize::from(self.len()));
        let acc = checksum::sum(
            ip.pseudo_header(IpProtocol::UDP.0, u32::from(self.len())),
            d,
        );
        if checksum::fold(acc) == 0xffff {
            return Ok(());
        }
        let computed = checksum::expected(acc, found);
        Err(Error::BadChecksum {
            layer: LayerKind::Udp,
            offset: 6,
            computed,
            found,
        })
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> UdpView<T> {
    fn set_port(&mut self, at: usize, port: u16) {
        let b = self.buffer.as_mut();
        let old = be16(b, at);
        let c = be16(b, 6);
        put16(b, at, port);
        if c != 0 {
            let mut n = checksum::update16(c, old, port);
            if n == 0 {
                n = 0xffff;
            }
            put16(b, 6, n);
        }
        self.reload();
    }

    /// Sets the source port, keeping a non-zero checksum right.
    pub fn set_src_port(&mut self, port: u16) {
        self.set_port(0, port);
    }

    /// Sets the destination port, keeping a non-zero checksum right.
    pub fn set_dst_port(&mut self, port: u16) {
        self.set_port(2, port);
    }

    /// Recomputes the checksum against the pseudo-header of `ip`.
    pub fn fill_checksum(&mut self, ip: &IpPair) {
        let len = usize::from(self.len());
        let b = self.buffer.as_mut();
        put16(b, 6, 0);
        let c = udp_checksum(ip, slice(b, 0, len));
        put16(b, 6, c);
        self.reload();
    }
}

fn udp_checksum(ip: &IpPair, datagram: &[u8]) -> u16 {
    let len = u32::try_from(datagram.len()).unwrap_or(u32::MAX);
    let c = !checksum::fold(checksum::sum(
        ip.pseudo_header(IpProtocol::UDP.0, len),
        datagram,
    ));
    if c == 0 {
        0xffff
    } else {
        c
    }
}

/// A UDP header (Ryu's `udp`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Udp {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Length, header included; `None`: computed.
    pub total_length: Option<u16>,
    /// Checksum; `None`: computed over the pseudo-header of the IP layer below.
    pub csum: Option<u16>,
}

impl Udp {
    /// Length of the header.
    pub const LEN: usize = 8;

    /// A header with length and checksum left to the encoder.
    pub fn new(src_port: u16, dst_port: u16) -> Self {
        Udp {
            src_port,
            dst_port,
            total_length: None,
            csum: None,
        }
    }

    /// Parses the header at the front of `buf` (which must hold `length` bytes).
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(UdpView::parse(buf)?.decode())
    }
}

impl<T: AsRef<[u8]>> UdpView<T> {
    /// The owned value: copies the header out of a checked view.
    pub fn decode(&self) -> Udp {
        let v = self;
        Udp {
            src_port: v.src_port(),
            dst_port: v.dst_port(),
            total_length: Some(v.len()),
            csum: Some(v.checksum()),
        }
    }
}

pub(crate) fn step_udp(buf: &[u8]) -> Result<Step> {
    let v = UdpView::parse(buf)?;
    Ok(Step {
        header_len: Udp::LEN,
        end: usize::from(v.len()),
        next: Next::Payload,
    })
}

impl Protocol for Udp {
    const KIND: LayerKind = LayerKind::Udp;

    fn header_len(&self) -> usize {
        Self::LEN
    }

    fn emit(&self, buf: &mut [u8], ctx: &EmitContext) -> Result<()> {
        emit_room(LayerKind::Udp, buf, Self::LEN)?;
        let len = match self.total_length {
            Some(v) => v,
            None => len16(LayerKind::Udp, "length", buf.len())?,
        };
        let h = UdpHeader {
            src_port: U16::new(self.src_port),
            dst_port: U16::new(self.dst_port),
            len: U16::new(len),
            checksum: U16::new(self.csum.unwrap_or(0)),
        };
        h.write_to(buf);
        if self.csum.is_none() {
            let ip = ctx.ip.ok_or(Error::Unencodable {
                layer: LayerKind::Udp,
                what: "checksum",
                reason: "no IP layer below to take the pseudo-header from; set csum",
            })?;
            let c = udp_checksum(&ip, buf);
            put16(buf, 6, c);
        }
        Ok(())
    }

    fn from_layer(layer: &Layer) -> Option<&Self> {
        match layer {
            Layer::Udp(v) => Some(v),
            _ => None,
        }
    }

    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self> {
        match layer {
            Layer::Udp(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Udp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "udp(csum={},dst_port={},src_port={},total_length={})",
            Opt(self.csum),
            self.dst_port,
            self.src_port,
            Opt(self.total_length)
        )
    }
}

/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for UdpView<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}
