//! Internet Control Message Protocol (RFC 792).
//!
//! ```text
//!  0               1               2               3
//! +---------------+---------------+-------------------------------+
//! |     type      |     code      |           checksum            |
//! +---------------+---------------+-------------------------------+
//! |        rest of header (4 bytes, meaning depends on type)      |
//! +---------------------------------------------------------------+
//! |        data (echo data, or the invoking datagram's start)     |
//! ```
//! Echo request/reply, destination unreachable (with the RFC 1191 next-hop MTU and the RFC 4884
//! length), time exceeded and redirect are decoded; every other type keeps its rest-of-header
//! and data raw. The message runs to the end of the IP payload.
//!
//! Contract (smoltcp's `new_checked`): once [`IcmpView::parse`] succeeds no accessor panics;
//! [`Protocol::emit`] and [`Encode`] never panic: a short buffer is
//! `ErrorKind::ShortBuffer`, a value that does not fit its field `ErrorKind::Unencodable`.

use alloc::vec::Vec;
use core::fmt;
use core::net::Ipv4Addr;

use crate::checksum;
use crate::encode::{room, Encode};
use crate::error::{need, Error, LayerKind, Result};
use crate::layer::{emit_room, EmitContext, Next, Protocol, Step};
use crate::notation::{Opt, PyBytes, Quoted};
use crate::packet::Layer;
use crate::wire::{be16, put16, put_bytes, slice, tail, wire_struct, U16};

wire_struct! {
    /// The 8 bytes every ICMP message starts with.
    pub(crate) struct IcmpHeader {
        ty: u8,
        code: u8,
        checksum: U16,
        rest: [u8; 4],
    }
}

/// An ICMP message type. Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct IcmpType(pub u8);

impl IcmpType {
    /// Echo reply (0).
    pub const ECHO_REPLY: IcmpType = IcmpType(0);
    /// Destination unreachable (3).
    pub const DEST_UNREACH: IcmpType = IcmpType(3);
    /// Source quench (4, deprecated).
    pub const SOURCE_QUENCH: IcmpType = IcmpType(4);
    /// Redirect (5).
    pub const REDIRECT: IcmpType = IcmpType(5);
    /// Echo request (8).
    pub const ECHO_REQUEST: IcmpType = IcmpType(8);
    /// Router advertisement (9).
    pub const ROUTER_ADVERT: IcmpType = IcmpType(9);
    /// Router solicitation (10).
    pub const ROUTER_SOLICIT: IcmpType = IcmpType(10);
    /// Time exceeded (11).
    pub const TIME_EXCEEDED: IcmpType = IcmpType(11);
    /// Parameter problem (12).
    pub const PARAM_PROBLEM: IcmpType = IcmpType(12);
    /// Timestamp (13).
    pub const TIMESTAMP: IcmpType = IcmpType(13);
    /// Timestamp reply (14).
    pub const TIMESTAMP_REPLY: IcmpType = IcmpType(14);
}

impl fmt::Display for IcmpType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for IcmpType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IcmpType({})", self.0)
    }
}

/// Destination-unreachable codes (RFC 792, RFC 1122, RFC 1812).
pub mod unreach_code {
    /// Net unreachable.
    pub const NET: u8 = 0;
    /// Host unreachable.
    pub const HOST: u8 = 1;
    /// Protocol unreachable.
    pub const PROTOCOL: u8 = 2;
    /// Port unreachable.
    pub const PORT: u8 = 3;
    /// Fragmentation needed and DF set (carries the next-hop MTU, RFC 1191).
    pub const FRAG_NEEDED: u8 = 4;
    /// Source route failed.
    pub const SOURCE_ROUTE_FAILED: u8 = 5;
    /// Communication administratively prohibited.
    pub const ADMIN_PROHIBITED: u8 = 13;
}

/// A checked, zero-copy view of an ICMP message.
#[derive(Debug, Clone, Copy)]
pub struct IcmpView<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> IcmpView<T> {
    /// Wraps bytes that [`parse`](Self::parse) accepted before (the spans of
    /// [`PacketView`](crate::PacketView)), without checking them again. Accessors never
    /// panic whatever the bytes; on bytes that `parse` refuses they read zeros.
    #[inline]
    pub(crate) fn from_validated(buffer: T) -> Self {
        IcmpView { buffer }
    }

    /// Length of the type, code, checksum and rest-of-header.
    pub const HEADER_LEN: usize = 8;

    /// Wraps `buffer` (the whole message), checking that it holds the 8-byte header.
    pub fn parse(buffer: T) -> Result<Self> {
        need(
            LayerKind::Icmp,
            buffer.as_ref(),
            0,
            Self::HEADER_LEN,
            "header",
        )?;
        Ok(IcmpView { buffer })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn h(&self) -> &IcmpHeader {
        IcmpHeader::view(self.buffer.as_ref())
    }

    /// Message type.
    pub fn msg_type(&self) -> IcmpType {
        IcmpType(self.h().ty)
    }

    /// Code.
    pub fn code(&self) -> u8 {
        self.h().code
    }

    /// Checksum as found.
    pub fn checksum(&self) -> u16 {
        self.h().checksum.get()
    }

    /// The 4 bytes after the checksum.
    pub fn rest_of_header(&self) -> [u8; 4] {
        self.h().rest
    }

    /// Echo identifier (bytes 4–5).
    pub fn echo_ident(&self) -> u16 {
        be16(self.buffer.as_ref(), 4)
    }

    /// Echo sequence number (bytes 6–7).
    pub fn echo_seq(&self) -> u16 {
        be16(self.buffer.as_ref(), 6)
    }

    /// Everything after the 8-byte header.
    pub fn data(&self) -> &[u8] {
        tail(self.buffer.as_ref(), Self::HEADER_LEN)
    }

    /// Checks the checksum over the whole message.
    pub fn verify_checksum(&self) -> Result<()> {
        let b = self.buffer.as_ref();
        if checksum::checksum(b) == 0 {
            return Ok(());
        }
        let found = self.checksum();
        let computed = checksum::expected(checksum::sum(0, b), found);
        Err(Error::BadChecksum {
            layer: LayerKind::Icmp,
            offset: 2,
            computed,
            found,
        })
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> IcmpView<T> {
    /// Sets the type, keeping the checksum right (turning an echo request into a reply, say).
    pub fn set_msg_type(&mut self, t: IcmpType) {
        let b = self.buffer.as_mut();
        let old = be16(b, 0);
        let new = (u16::from(t.0) << 8) | (old & 0xff);
        let c = checksum::update16(be16(b, 2), old, new);
        put16(b, 0, new);
        put16(b, 2, c);
    }

    /// Recomputes the checksum over the whole message.
    pub fn fill_checksum(&mut self) {
        let b = self.buffer.as_mut();
        put16(b, 2, 0);
        let c = checksum::checksum(b);
        put16(b, 2, c);
    }
}

/// The type-specific part of an ICMP message (Ryu's `icmp.data`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum IcmpData {
    /// Echo request or reply (Ryu's `echo`).
    #[cfg_attr(feature = "serde", serde(rename = "echo"))]
    Echo {
        /// Identifier.
        id: u16,
        /// Sequence number.
        seq: u16,
        /// Echo data.
        data: Vec<u8>,
    },
    /// Destination unreachable (Ryu's `dest_unreach`).
    #[cfg_attr(feature = "serde", serde(rename = "dest_unreach"))]
    DestUnreach {
        /// The unused byte before `data_len`, kept as it came.
        unused: u8,
        /// RFC 4884 length of the original datagram in 32-bit words (0 when absent).
        data_len: u8,
        /// RFC 1191 next-hop MTU (code 4), else unused.
        mtu: u16,
        /// The invoking datagram's start.
        data: Vec<u8>,
    },
    /// Time exceeded (Ryu's `TimeExceeded`).
    TimeExceeded {
        /// The unused bytes around `data_len`, kept as they came (byte 4, bytes 6–7).
        unused: [u8; 3],
        /// RFC 4884 length of the original datagram in 32-bit words.
        data_len: u8,
        /// The invoking datagram's start.
        data: Vec<u8>,
    },
    /// Redirect.
    #[cfg_attr(feature = "serde", serde(rename = "redirect"))]
    Redirect {
        /// The gateway to use.
        gateway: Ipv4Addr,
        /// The invoking datagram's start.
        data: Vec<u8>,
    },
    /// Any other type: the 4 rest-of-header bytes and the data, raw.
    Raw {
        /// Bytes 4–7.
        rest: [u8; 4],
        /// Everything after them.
        data: Vec<u8>,
    },
}

impl IcmpData {
    /// The 4 bytes after the checksum, and the data after them.
    fn parts(&self) -> ([u8; 4], &[u8]) {
        match self {
            IcmpData::Echo { id, seq, data } => {
                let [a, b] = id.to_be_bytes();
                let [c, d] = seq.to_be_bytes();
                ([a, b, c, d], data)
            }
            IcmpData::DestUnreach {
                unused,
                data_len,
                mtu,
                data,
            } => {
                let [c, d] = mtu.to_be_bytes();
                ([*unused, *data_len, c, d], data)
            }
            IcmpData::TimeExceeded {
                unused,
                data_len,
                data,
            } => ([unused[0], *data_len, unused[1], unused[2]], data),
            IcmpData::Redirect { gateway, data } => (gateway.octets(), data),
            IcmpData::Raw { rest, data } => (*rest, data),
        }
    }

    fn len(&self) -> usize {
        4 + match self {
            IcmpData::Echo { data, .. }
            | IcmpData::DestUnreach { data, .. }
            | IcmpData::TimeExceeded { data, .. }
            | IcmpData::Redirect { data, .. }
            | IcmpData::Raw { data, .. } => data.len(),
        }
    }
}

/// An ICMP message (Ryu's `icmp`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Icmp {
    /// Message type.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub type_: IcmpType,
    /// Code.
    pub code: u8,
    /// Checksum; `None`: computed.
    pub csum: Option<u16>,
    /// The type-specific part.
    pub data: IcmpData,
}

impl Icmp {
    /// An echo request.
    pub fn echo_request(id: u16, seq: u16, data: impl Into<Vec<u8>>) -> Self {
        Icmp {
            type_: IcmpType::ECHO_REQUEST,
            code: 0,
            csum: None,
            data: IcmpData::Echo {
                id,
                seq,
                data: data.into(),
            },
        }
    }

    /// The echo reply to an echo request: same identifier, sequence number and data. `None` if
    /// `self` is not an echo request.
    pub fn echo_reply(&self) -> Option<Self> {
        match (&self.data, self.type_) {
            (IcmpData::Echo { id, seq, data }, IcmpType::ECHO_REQUEST) => Some(Icmp {
                type_: IcmpType::ECHO_REPLY,
                code: 0,
                csum: None,
                data: IcmpData::Echo {
                    id: *id,
                    seq: *seq,
                    data: data.clone(),
                },
            }),
            _ => None,
        }
    }

    /// A destination-unreachable message quoting `original` (the offending datagram's IP header
    /// and at least 8 bytes of its payload).
    pub fn dest_unreachable(code: u8, mtu: u16, original: impl Into<Vec<u8>>) -> Self {
        Icmp {
            type_: IcmpType::DEST_UNREACH,
            code,
            csum: None,
            data: IcmpData::DestUnreach {
                unused: 0,
                data_len: 0,
                mtu,
                data: original.into(),
            },
        }
    }

    /// A time-exceeded message quoting `original`.
    pub fn time_exceeded(code: u8, original: impl Into<Vec<u8>>) -> Self {
        Icmp {
            type_: IcmpType::TIME_EXCEEDED,
            code,
            csum: None,
            data: IcmpData::TimeExceeded {
                unused: [0; 3],
                data_len: 0,
                data: original.into(),
            },
        }
    }

    /// Parses a whole message.
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(IcmpView::parse(buf)?.decode())
    }
}

impl<T: AsRef<[u8]>> IcmpView<T> {
    /// The owned value: copies the message out of a checked view.
    pub fn decode(&self) -> Icmp {
        let v = self;
        let [r0, r1, r2, r3] = v.rest_of_header();
        let data = v.data().to_vec();
        let body = match v.msg_type() {
            IcmpType::ECHO_REQUEST | IcmpType::ECHO_REPLY => IcmpData::Echo {
                id: u16::from_be_bytes([r0, r1]),
                seq: u16::from_be_bytes([r2, r3]),
                data,
            },
            IcmpType::DEST_UNREACH => IcmpData::DestUnreach {
                unused: r0,
                data_len: r1,
                mtu: u16::from_be_bytes([r2, r3]),
                data,
            },
            IcmpType::TIME_EXCEEDED => IcmpData::TimeExceeded {
                unused: [r0, r2, r3],
                data_len: r1,
                data,
            },
            IcmpType::REDIRECT => IcmpData::Redirect {
                gateway: Ipv4Addr::new(r0, r1, r2, r3),
                data,
            },
            _ => IcmpData::Raw {
                rest: [r0, r1, r2, r3],
                data,
            },
        };
        Icmp {
            type_: v.msg_type(),
            code: v.code(),
            csum: Some(v.checksum()),
            data: body,
        }
    }
}

pub(crate) fn step_icmp(buf: &[u8]) -> Result<Step> {
    need(LayerKind::Icmp, buf, 0, 8, "header")?;
    Ok(Step {
        header_len: buf.len(),
        end: buf.len(),
        next: Next::Payload,
    })
}

impl Protocol for Icmp {
    const KIND: LayerKind = LayerKind::Icmp;

    fn header_len(&self) -> usize {
        4 + self.data.len()
    }

    fn emit(&self, buf: &mut [u8], _ctx: &EmitContext) -> Result<()> {
        let len = self.header_len();
        emit_room(LayerKind::Icmp, buf, len)?;
        let (rest, data) = self.data.parts();
        let h = IcmpHeader {
            ty: self.type_.0,
            code: self.code,
            checksum: U16::new(self.csum.unwrap_or(0)),
            rest,
        };
        h.write_to(buf);
        put_bytes(buf, 8, data);
        if self.csum.is_none() {
            // The checksum covers the ICMP message only: what follows it in `buf` is not ours.
            let c = checksum::checksum(slice(buf, 0, len));
            put16(buf, 2, c);
        }
        Ok(())
    }

    fn from_layer(layer: &Layer) -> Option<&Self> {
        match layer {
            Layer::Icmp(v) => Some(v),
            _ => None,
        }
    }

    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self> {
        match layer {
            Layer::Icmp(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for IcmpData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IcmpData::Echo { id, seq, data } => {
                write!(f, "echo(data={},id={id},seq={seq})", PyBytes(data))
            }
            IcmpData::DestUnreach {
                data_len,
                mtu,
                data,
                ..
            } => {
                write!(
                    f,
                    "dest_unreach(data={},data_len={data_len},mtu={mtu})",
                    PyBytes(data)
                )
            }
            IcmpData::TimeExceeded { data_len, data, .. } => {
                write!(
                    f,
                    "TimeExceeded(data={},data_len={data_len})",
                    PyBytes(data)
                )
            }
            IcmpData::Redirect { gateway, data } => {
                write!(
                    f,
                    "redirect(data={},gateway={})",
                    PyBytes(data),
                    Quoted(gateway)
                )
            }
            IcmpData::Raw { rest, data } => {
                let mut all = Vec::with_capacity(4 + data.len());
                all.extend_from_slice(rest);
                all.extend_from_slice(data);
                PyBytes(&all).fmt(f)
            }
        }
    }
}

impl fmt::Display for Icmp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "icmp(code={},csum={},data={},type={})",
            self.code,
            Opt(self.csum),
            self.data,
            self.type_
        )
    }
}

/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for IcmpView<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

/// The body on its own: the bytes after type, code and checksum, as they sit in the message
/// (its checksum covers type and code too, so it is computed only by [`Icmp`]'s encoding).
impl Encode for IcmpData {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        let n = self.len();
        let out = room(buf, n)?;
        let (rest, data) = self.parts();
        put_bytes(out, 0, &rest);
        put_bytes(out, 4, data);
        Ok(n)
    }
}
