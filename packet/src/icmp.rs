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
//! length), time exceeded, redirect, router advertisement (RFC 1256), parameter problem (its
//! pointer), timestamp, information and address mask (RFC 950) request/reply are decoded; every
//! other type keeps its rest-of-header and data raw. A timestamp, address-mask or router
//! advertisement whose data does not have the size its type gives stays raw too, so that every
//! message re-encodes to its bytes. The message runs to the end of the IP payload.
//!
//! The error messages (destination unreachable, time exceeded, redirect, parameter problem)
//! quote the invoking datagram: [`IcmpView::quote`] and [`Icmp::quote`] decode its IPv4
//! header and the start of its upper-layer header. A quote is cut by nature (RFC 792 asks for
//! the IP header and 8 bytes of data), so its total length is not checked against what is
//! there: [`IcmpQuote::missing`] says how many bytes of the datagram the quote leaves out.
//!
//! Contract (smoltcp's `new_checked`): once [`IcmpView::parse`] succeeds no accessor panics;
//! [`Protocol::emit`] and [`Encode`] never panic: a short buffer is
//! `ErrorKind::ShortBuffer`, a value that does not fit its field `ErrorKind::Unencodable`.

use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::fmt;
use core::net::Ipv4Addr;

use crate::bytes::{be16, put16, put_bytes, slice, tail, wire_struct, U16};
use crate::checksum;
use crate::encode::{room, Encode};
use crate::error::{need, CodecError, Error, LayerKind, Result};
use crate::ip::IpProtocol;
use crate::ipv4::Ipv4;
use crate::layer::{emit_room, EmitContext, Next, Protocol, Step};
use crate::notation::{Opt, PyBytes, Quoted};
use crate::small::SmallBytes;
use crate::stack::Layer;

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
    /// Information request (15, obsolete).
    pub const INFO_REQUEST: IcmpType = IcmpType(15);
    /// Information reply (16, obsolete).
    pub const INFO_REPLY: IcmpType = IcmpType(16);
    /// Address mask request (17, RFC 950).
    pub const ADDR_MASK_REQUEST: IcmpType = IcmpType(17);
    /// Address mask reply (18, RFC 950).
    pub const ADDR_MASK_REPLY: IcmpType = IcmpType(18);

    /// True for the error messages that quote the invoking datagram: destination unreachable,
    /// source quench, redirect, time exceeded, parameter problem.
    pub const fn quotes_datagram(self) -> bool {
        matches!(self.0, 3 | 4 | 5 | 11 | 12)
    }

    /// True for the messages that carry an RFC 4884 length of the original datagram (byte 5):
    /// destination unreachable, time exceeded, parameter problem.
    pub const fn has_rfc4884_length(self) -> bool {
        matches!(self.0, 3 | 11 | 12)
    }
}

crate::notation::open_newtype_fmt!(IcmpType);

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
    /// The fixed header, read once by the constructor: accessors never see a short buffer.
    hdr: IcmpHeader,
}

crate::bytes::header_view!(IcmpView, IcmpHeader, LayerKind::Icmp, "header");

impl<T: AsRef<[u8]>> IcmpView<T> {
    /// Length of the type, code, checksum and rest-of-header.
    pub const HEADER_LEN: usize = 8;

    /// Wraps `buffer` (the whole message), checking that it holds the 8-byte header.
    pub fn parse(buffer: T) -> Result<Self> {
        let hdr = IcmpHeader::read(LayerKind::Icmp, buffer.as_ref(), "header")?;
        Ok(IcmpView { buffer, hdr })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn h(&self) -> &IcmpHeader {
        &self.hdr
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
        let [a, b, _, _] = self.h().rest;
        u16::from_be_bytes([a, b])
    }

    /// Echo sequence number (bytes 6–7).
    pub fn echo_seq(&self) -> u16 {
        let [_, _, a, b] = self.h().rest;
        u16::from_be_bytes([a, b])
    }

    /// Everything after the 8-byte header.
    pub fn data(&self) -> &[u8] {
        tail(self.buffer.as_ref(), Self::HEADER_LEN)
    }

    /// The invoking datagram an error message quotes (types 3, 4, 5, 11, 12), as a view:
    /// `None` for a type that quotes nothing, an error when the quote does not start with an
    /// IPv4 header (see [`IcmpQuoteView::parse`]; its offsets count from the message's first
    /// byte). When the message has an RFC 4884 length (types 3, 11 and 12, byte 5, non-zero),
    /// the quote is that many 32-bit words: the extension structure after it is not quoted.
    pub fn quote(&self) -> Option<Result<IcmpQuoteView<'_>>> {
        let t = self.msg_type();
        if !t.quotes_datagram() {
            return None;
        }
        let b = self.buffer.as_ref();
        let data_len = if t.has_rfc4884_length() {
            b.get(5).copied().unwrap_or(0)
        } else {
            0
        };
        Some(
            IcmpQuoteView::parse(original_datagram(self.data(), data_len))
                .map_err(|e| e.add_offset(Self::HEADER_LEN)),
        )
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
        self.reload();
    }

    /// Recomputes the checksum over the whole message.
    pub fn fill_checksum(&mut self) {
        let b = self.buffer.as_mut();
        put16(b, 2, 0);
        let c = checksum::checksum(b);
        put16(b, 2, c);
        self.reload();
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
        data: SmallBytes,
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
        data: SmallBytes,
    },
    /// Time exceeded (Ryu's `TimeExceeded`).
    TimeExceeded {
        /// The unused bytes around `data_len`, kept as they came (byte 4, bytes 6–7).
        unused: [u8; 3],
        /// RFC 4884 length of the original datagram in 32-bit words.
        data_len: u8,
        /// The invoking datagram's start.
        data: SmallBytes,
    },
    /// Redirect.
    #[cfg_attr(feature = "serde", serde(rename = "redirect"))]
    Redirect {
        /// The gateway to use.
        gateway: Ipv4Addr,
        /// The invoking datagram's start.
        data: SmallBytes,
    },
    /// Router advertisement (RFC 1256 §3), with 2-word address entries.
    #[cfg_attr(feature = "serde", serde(rename = "router_advert"))]
    RouterAdvert {
        /// Lifetime of the addresses in seconds.
        lifetime: u16,
        /// The router addresses and their preference levels (the number of addresses and the
        /// entry size, 2, are computed).
        entries: Vec<RouterAddr>,
        /// Bytes after the last entry, kept as they came.
        trailing: Vec<u8>,
    },
    /// Parameter problem (RFC 792; RFC 4884 length).
    #[cfg_attr(feature = "serde", serde(rename = "param_problem"))]
    ParamProblem {
        /// Offset of the octet in the invoking datagram where the problem was found.
        pointer: u8,
        /// RFC 4884 length of the original datagram in 32-bit words (0 when absent).
        data_len: u8,
        /// The unused bytes 6–7, kept as they came.
        unused: [u8; 2],
        /// The invoking datagram's start.
        data: SmallBytes,
    },
    /// Timestamp request or reply (RFC 792): three times in milliseconds since midnight UT.
    #[cfg_attr(feature = "serde", serde(rename = "timestamp"))]
    Timestamp {
        /// Identifier.
        id: u16,
        /// Sequence number.
        seq: u16,
        /// Originate timestamp.
        originate: u32,
        /// Receive timestamp.
        receive: u32,
        /// Transmit timestamp.
        transmit: u32,
    },
    /// Information request or reply (RFC 792, obsolete).
    #[cfg_attr(feature = "serde", serde(rename = "info"))]
    Info {
        /// Identifier.
        id: u16,
        /// Sequence number.
        seq: u16,
        /// Bytes after the sequence number (none in a well-formed message), kept.
        data: SmallBytes,
    },
    /// Address mask request or reply (RFC 950).
    #[cfg_attr(feature = "serde", serde(rename = "addr_mask"))]
    AddrMask {
        /// Identifier.
        id: u16,
        /// Sequence number.
        seq: u16,
        /// The address mask.
        mask: Ipv4Addr,
    },
    /// Any other type: the 4 rest-of-header bytes and the data, raw.
    Raw {
        /// Bytes 4–7.
        rest: [u8; 4],
        /// Everything after them.
        data: SmallBytes,
    },
}

/// One router address of a router advertisement (RFC 1256 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RouterAddr {
    /// The router's address.
    pub addr: Ipv4Addr,
    /// Its preference level (signed, two's complement; higher is preferred).
    pub preference: i32,
}

fn id_seq(id: u16, seq: u16) -> [u8; 4] {
    let [a, b] = id.to_be_bytes();
    let [c, d] = seq.to_be_bytes();
    [a, b, c, d]
}

impl IcmpData {
    /// The 4 bytes after the checksum, and the data after them. A router advertisement with
    /// more than 255 entries is [`Error::Unencodable`].
    fn parts(&self) -> Result<([u8; 4], Cow<'_, [u8]>)> {
        Ok(match self {
            IcmpData::Echo { id, seq, data } | IcmpData::Info { id, seq, data } => {
                (id_seq(*id, *seq), Cow::Borrowed(data))
            }
            IcmpData::DestUnreach {
                unused,
                data_len,
                mtu,
                data,
            } => {
                let [c, d] = mtu.to_be_bytes();
                ([*unused, *data_len, c, d], Cow::Borrowed(data))
            }
            IcmpData::TimeExceeded {
                unused,
                data_len,
                data,
            } => (
                [unused[0], *data_len, unused[1], unused[2]],
                Cow::Borrowed(data),
            ),
            IcmpData::Redirect { gateway, data } => (gateway.octets(), Cow::Borrowed(data)),
            IcmpData::RouterAdvert {
                lifetime,
                entries,
                trailing,
            } => {
                let n = u8::try_from(entries.len()).map_err(|_| Error::Unencodable {
                    layer: LayerKind::Icmp,
                    what: "router advertisement",
                    reason: "more than 255 addresses",
                })?;
                let [c, d] = lifetime.to_be_bytes();
                let mut data = Vec::with_capacity(entries.len() * 8 + trailing.len());
                for e in entries {
                    data.extend_from_slice(&e.addr.octets());
                    data.extend_from_slice(&e.preference.to_be_bytes());
                }
                data.extend_from_slice(trailing);
                ([n, 2, c, d], Cow::Owned(data))
            }
            IcmpData::ParamProblem {
                pointer,
                data_len,
                unused,
                data,
            } => (
                [*pointer, *data_len, unused[0], unused[1]],
                Cow::Borrowed(data),
            ),
            IcmpData::Timestamp {
                id,
                seq,
                originate,
                receive,
                transmit,
            } => {
                let mut data = Vec::with_capacity(12);
                data.extend_from_slice(&originate.to_be_bytes());
                data.extend_from_slice(&receive.to_be_bytes());
                data.extend_from_slice(&transmit.to_be_bytes());
                (id_seq(*id, *seq), Cow::Owned(data))
            }
            IcmpData::AddrMask { id, seq, mask } => {
                (id_seq(*id, *seq), Cow::Owned(mask.octets().to_vec()))
            }
            IcmpData::Raw { rest, data } => (*rest, Cow::Borrowed(data)),
        })
    }

    fn len(&self) -> usize {
        4 + match self {
            IcmpData::Echo { data, .. }
            | IcmpData::Info { data, .. }
            | IcmpData::DestUnreach { data, .. }
            | IcmpData::TimeExceeded { data, .. }
            | IcmpData::Redirect { data, .. }
            | IcmpData::ParamProblem { data, .. }
            | IcmpData::Raw { data, .. } => data.len(),
            IcmpData::RouterAdvert {
                entries, trailing, ..
            } => entries.len() * 8 + trailing.len(),
            IcmpData::Timestamp { .. } => 12,
            IcmpData::AddrMask { .. } => 4,
        }
    }

    /// The data after the 4 rest-of-header bytes, as on the wire (`None` for the bodies whose
    /// data is decoded into fields).
    fn raw_data(&self) -> Option<&[u8]> {
        match self {
            IcmpData::Echo { data, .. }
            | IcmpData::Info { data, .. }
            | IcmpData::DestUnreach { data, .. }
            | IcmpData::TimeExceeded { data, .. }
            | IcmpData::Redirect { data, .. }
            | IcmpData::ParamProblem { data, .. }
            | IcmpData::Raw { data, .. } => Some(data),
            _ => None,
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
    pub fn echo_request(id: u16, seq: u16, data: impl Into<SmallBytes>) -> Self {
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
    pub fn dest_unreachable(code: u8, mtu: u16, original: impl Into<SmallBytes>) -> Self {
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
    pub fn time_exceeded(code: u8, original: impl Into<SmallBytes>) -> Self {
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

    /// The invoking datagram an error message quotes (types 3, 4, 5, 11, 12), decoded: `None`
    /// for a type that quotes nothing, an error when the quote does not start with an IPv4
    /// header (see [`IcmpQuoteView::parse`]). [`IcmpView::quote`] gives the same as a view,
    /// with the same offsets (from the message's first byte) and the same RFC 4884 bound.
    pub fn quote(&self) -> Option<Result<IcmpQuote>> {
        if !self.type_.quotes_datagram() {
            return None;
        }
        let data_len = match self.data {
            IcmpData::DestUnreach { data_len, .. }
            | IcmpData::TimeExceeded { data_len, .. }
            | IcmpData::ParamProblem { data_len, .. } => data_len,
            _ => 0,
        };
        self.data.raw_data().map(|d| {
            IcmpQuote::parse(original_datagram(d, data_len))
                .map_err(|e| e.add_offset(IcmpView::<&[u8]>::HEADER_LEN))
        })
    }
}

impl<T: AsRef<[u8]>> IcmpView<T> {
    /// The owned value: copies the message out of a checked view.
    pub fn decode(&self) -> Icmp {
        let v = self;
        let [r0, r1, r2, r3] = v.rest_of_header();
        let data = SmallBytes::from_slice(v.data());
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
            IcmpType::PARAM_PROBLEM => IcmpData::ParamProblem {
                pointer: r0,
                data_len: r1,
                unused: [r2, r3],
                data,
            },
            IcmpType::ROUTER_ADVERT if r1 == 2 && data.len() >= usize::from(r0) * 8 => {
                let (list, trailing) = data.split_at(usize::from(r0) * 8);
                let entries = list
                    .chunks_exact(8)
                    .filter_map(|c| c.first_chunk::<8>())
                    .map(|&[a, b, c, d, e, f, g, h]| RouterAddr {
                        addr: Ipv4Addr::new(a, b, c, d),
                        preference: i32::from_be_bytes([e, f, g, h]),
                    })
                    .collect();
                IcmpData::RouterAdvert {
                    lifetime: u16::from_be_bytes([r2, r3]),
                    entries,
                    trailing: trailing.to_vec(),
                }
            }
            IcmpType::TIMESTAMP | IcmpType::TIMESTAMP_REPLY if data.len() == 12 => {
                let w = |i: usize| be32_at(&data, i);
                IcmpData::Timestamp {
                    id: u16::from_be_bytes([r0, r1]),
                    seq: u16::from_be_bytes([r2, r3]),
                    originate: w(0),
                    receive: w(4),
                    transmit: w(8),
                }
            }
            IcmpType::INFO_REQUEST | IcmpType::INFO_REPLY => IcmpData::Info {
                id: u16::from_be_bytes([r0, r1]),
                seq: u16::from_be_bytes([r2, r3]),
                data,
            },
            IcmpType::ADDR_MASK_REQUEST | IcmpType::ADDR_MASK_REPLY if data.len() == 4 => {
                IcmpData::AddrMask {
                    id: u16::from_be_bytes([r0, r1]),
                    seq: u16::from_be_bytes([r2, r3]),
                    mask: Ipv4Addr::from(be32_at(&data, 0)),
                }
            }
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

/// A big-endian `u32` at `at` of bytes whose length the caller checked (0 past the end).
fn be32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..)
        .and_then(<[u8]>::first_chunk::<4>)
        .map_or(0, |w| u32::from_be_bytes(*w))
}

/// The original datagram of an error's data: the first `data_len` 32-bit words when the RFC
/// 4884 length is set (the extension structure follows them), else all of it (a length past
/// the data, which a cut message can have, bounds nothing).
fn original_datagram(data: &[u8], data_len: u8) -> &[u8] {
    match data_len {
        0 => data,
        n => data.get(..usize::from(n) * 4).unwrap_or(data),
    }
}

/// Bytes of the upper-layer header a quote carries at least (RFC 792): 8.
const QUOTE_L4: usize = 8;

/// A checked view of the invoking datagram an ICMP error quotes: its IPv4 header (options
/// included) and the upper-layer bytes after it.
///
/// Unlike [`Ipv4View`](crate::ipv4::Ipv4View), the total length is not checked against the
/// bytes: a quote is cut by nature, and [`missing`](Self::missing) says by how much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IcmpQuoteView<'a> {
    header: &'a [u8],
    l4: &'a [u8],
}

impl<'a> IcmpQuoteView<'a> {
    /// Reads a quote: it must start with a whole IPv4 header (version 4, header length of at
    /// least 20 bytes, all of it quoted). Errors name the layer [`LayerKind::Icmp`] and count
    /// offsets from the start of the quote.
    pub fn parse(quote: &'a [u8]) -> Result<Self> {
        need(LayerKind::Icmp, quote, 0, 20, "quoted IPv4 header")?;
        let vihl = quote.first().copied().unwrap_or(0);
        if vihl >> 4 != 4 {
            return Err(Error::BadValue {
                layer: LayerKind::Icmp,
                offset: 0,
                field: "quoted IP version",
                value: u64::from(vihl >> 4),
                expected: "4",
            });
        }
        let hl = usize::from(vihl & 0x0f) * 4;
        if hl < 20 {
            return Err(Error::BadLength {
                layer: LayerKind::Icmp,
                offset: 0,
                field: "quoted ihl",
                value: usize::from(vihl & 0x0f),
                reason: "below 5",
            });
        }
        need(LayerKind::Icmp, quote, 0, hl, "quoted IPv4 header")?;
        let (header, l4) = quote.split_at(hl);
        Ok(IcmpQuoteView { header, l4 })
    }

    /// The quoted IPv4 header, options included.
    pub fn header(&self) -> &'a [u8] {
        self.header
    }

    /// The quoted bytes after the IPv4 header (the start of the upper-layer header).
    pub fn l4(&self) -> &'a [u8] {
        self.l4
    }

    /// Total length of the original datagram, as its header says.
    pub fn total_len(&self) -> u16 {
        be16(self.header, 2)
    }

    /// Payload protocol of the original datagram.
    pub fn protocol(&self) -> IpProtocol {
        IpProtocol(self.header.get(9).copied().unwrap_or(0))
    }

    /// Source address of the original datagram.
    pub fn src(&self) -> Ipv4Addr {
        Ipv4Addr::from(be32_at(self.header, 12))
    }

    /// Destination address of the original datagram.
    pub fn dst(&self) -> Ipv4Addr {
        Ipv4Addr::from(be32_at(self.header, 16))
    }

    /// Source and destination ports, for a quoted TCP, UDP, UDP-Lite, DCCP or SCTP header
    /// whose first 4 bytes are quoted.
    pub fn ports(&self) -> Option<(u16, u16)> {
        let ported = matches!(self.protocol().0, 6 | 17 | 33 | 132 | 136);
        let [a, b, c, d] = *self.l4.first_chunk::<4>()?;
        ported.then(|| (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d])))
    }

    /// Bytes of the original datagram the quote leaves out: its total length less the quoted
    /// header and upper-layer bytes (0 when the quote holds it all, or more than it).
    pub fn missing(&self) -> usize {
        usize::from(self.total_len()).saturating_sub(self.header.len() + self.l4.len())
    }

    /// True when fewer than RFC 792's 8 bytes of the upper-layer header are quoted.
    pub fn l4_cut(&self) -> bool {
        self.l4.len() < QUOTE_L4 && self.missing() > 0
    }

    /// The owned value.
    pub fn decode(&self) -> IcmpQuote {
        let h = self.header;
        let b = |i: usize| h.get(i).copied().unwrap_or(0);
        let frag = be16(h, 6);
        IcmpQuote {
            ip: Ipv4 {
                header_length: Some(b(0) & 0x0f),
                tos: b(1),
                total_length: Some(be16(h, 2)),
                identification: be16(h, 4),
                flags: b(6) >> 5,
                offset: frag & 0x1fff,
                ttl: b(8),
                proto: Some(self.protocol()),
                csum: Some(be16(h, 10)),
                src: self.src(),
                dst: self.dst(),
                option: SmallBytes::from_slice(tail(h, 20)),
            },
            l4: self.l4.to_vec(),
            missing: self.missing(),
        }
    }
}

/// The invoking datagram an ICMP error quotes, decoded (no Ryu counterpart: Ryu keeps the quote
/// as bytes).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IcmpQuote {
    /// The quoted IPv4 header, every field as found (its total length is the original
    /// datagram's, not the quote's).
    pub ip: Ipv4,
    /// The quoted bytes after the header: the start of the upper-layer header (RFC 792 asks
    /// for 8 bytes; RFC 1812 routers quote more).
    pub l4: Vec<u8>,
    /// Bytes of the original datagram the quote leaves out.
    pub missing: usize,
}

impl IcmpQuote {
    /// Reads a quote (see [`IcmpQuoteView::parse`]).
    pub fn parse(quote: &[u8]) -> Result<Self> {
        Ok(IcmpQuoteView::parse(quote)?.decode())
    }

    /// Source and destination ports of a quoted TCP, UDP, UDP-Lite, DCCP or SCTP header.
    pub fn ports(&self) -> Option<(u16, u16)> {
        let ported = matches!(self.ip.proto.map_or(0, |p| p.0), 6 | 17 | 33 | 132 | 136);
        let [a, b, c, d] = *self.l4.first_chunk::<4>()?;
        ported.then(|| (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d])))
    }
}

impl fmt::Display for IcmpQuote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "quote(ip={},l4={},missing={})",
            self.ip,
            PyBytes(&self.l4),
            self.missing
        )
    }
}

/// What the decoded value prints.
impl fmt::Display for IcmpQuoteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
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
        let (rest, data) = self.data.parts()?;
        let h = IcmpHeader {
            ty: self.type_.0,
            code: self.code,
            checksum: U16::new(self.csum.unwrap_or(0)),
            rest,
        };
        h.write_to(buf);
        put_bytes(buf, 8, &data);
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
            IcmpData::RouterAdvert {
                lifetime,
                entries,
                trailing,
            } => {
                write!(f, "router_advert(entries=[")?;
                for (i, e) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "({}, {})", Quoted(e.addr), e.preference)?;
                }
                write!(f, "],lifetime={lifetime}")?;
                if !trailing.is_empty() {
                    write!(f, ",trailing={}", PyBytes(trailing))?;
                }
                f.write_str(")")
            }
            IcmpData::ParamProblem {
                pointer,
                data_len,
                data,
                ..
            } => write!(
                f,
                "param_problem(data={},data_len={data_len},pointer={pointer})",
                PyBytes(data)
            ),
            IcmpData::Timestamp {
                id,
                seq,
                originate,
                receive,
                transmit,
            } => write!(
                f,
                "timestamp(id={id},originate={originate},receive={receive},seq={seq},transmit={transmit})"
            ),
            IcmpData::Info { id, seq, data } => {
                write!(f, "info(data={},id={id},seq={seq})", PyBytes(data))
            }
            IcmpData::AddrMask { id, seq, mask } => {
                write!(f, "addr_mask(id={id},mask={},seq={seq})", Quoted(mask))
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
        let (rest, data) = self.parts()?;
        put_bytes(out, 0, &rest);
        put_bytes(out, 4, &data);
        Ok(n)
    }
}
