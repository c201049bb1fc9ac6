//! Address Resolution Protocol (RFC 826), for any hardware and protocol address sizes.
//!
//! ```text
//!  0        2        4    5    6        8
//! +--------+--------+----+----+--------+----------+----------+----------+----------+
//! | htype  | ptype  |hlen|plen| oper   | sha      | spa      | tha      | tpa      |
//! +--------+--------+----+----+--------+----------+----------+----------+----------+
//!                                        hlen       plen       hlen       plen bytes
//! ```
//! Ethernet/IPv4 ARP (hlen 6, plen 4) is what [`Arp`]'s typed fields hold; any other sizes are
//! kept byte for byte in [`Arp::raw_addrs`]. A frame's padding after the message is never part
//! of it.
//!
//! Contract (smoltcp's `new_checked`): once [`ArpView::parse`] succeeds no accessor panics;
//! [`Protocol::emit`] and [`Encode`](crate::Encode) never panic: a short buffer is
//! `ErrorKind::ShortBuffer`, a value that does not fit its field `ErrorKind::Unencodable`.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;
use core::net::Ipv4Addr;

use crate::bytes::{put_bytes, slice, wire_struct, U16};
use crate::error::{need, Error, LayerKind, Result};
use crate::ethernet::EtherType;
use crate::layer::{emit_room, EmitContext, Next, Protocol, Step};
use crate::mac::MacAddr;
use crate::notation::Quoted;
use crate::stack::Layer;

wire_struct! {
    /// The fixed 8 bytes in front of the addresses.
    pub(crate) struct ArpHeader {
        htype: U16,
        ptype: U16,
        hlen: u8,
        plen: u8,
        oper: U16,
    }
}

/// Hardware type 1: Ethernet.
pub const HTYPE_ETHERNET: u16 = 1;

/// An ARP operation code (IANA "ARP Parameters"). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct ArpOp(pub u16);

impl ArpOp {
    /// Request (1).
    pub const REQUEST: ArpOp = ArpOp(1);
    /// Reply (2).
    pub const REPLY: ArpOp = ArpOp(2);
    /// Reverse ARP request (3).
    pub const RARP_REQUEST: ArpOp = ArpOp(3);
    /// Reverse ARP reply (4).
    pub const RARP_REPLY: ArpOp = ArpOp(4);
}

crate::notation::open_newtype_fmt!(ArpOp);

/// A checked, zero-copy view of an ARP message.
#[derive(Debug, Clone, Copy)]
pub struct ArpView<T: AsRef<[u8]>> {
    buffer: T,
    /// The fixed header, read once by the constructor: accessors never see a short buffer.
    hdr: ArpHeader,
}

crate::bytes::header_view!(ArpView, ArpHeader, LayerKind::Arp, "header");

impl<T: AsRef<[u8]>> ArpView<T> {
    /// Length of the fixed part in front of the addresses.
    pub const FIXED_LEN: usize = 8;

    /// Wraps `buffer`, checking that it holds the fixed part and all four addresses.
    pub fn parse(buffer: T) -> Result<Self> {
        let b = buffer.as_ref();
        let hdr = ArpHeader::read(LayerKind::Arp, b, "header")?;
        let len = Self::FIXED_LEN + 2 * (usize::from(hdr.hlen) + usize::from(hdr.plen));
        need(LayerKind::Arp, b, 0, len, "addresses")?;
        Ok(ArpView { buffer, hdr })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn h(&self) -> &ArpHeader {
        &self.hdr
    }

    /// Hardware type (1 for Ethernet).
    pub fn htype(&self) -> u16 {
        self.h().htype.get()
    }

    /// Protocol type (an EtherType; 0x0800 for IPv4).
    pub fn ptype(&self) -> EtherType {
        EtherType(self.h().ptype.get())
    }

    /// Hardware address length.
    pub fn hlen(&self) -> u8 {
        self.h().hlen
    }

    /// Protocol address length.
    pub fn plen(&self) -> u8 {
        self.h().plen
    }

    /// Operation.
    pub fn oper(&self) -> ArpOp {
        ArpOp(self.h().oper.get())
    }

    /// Length of the whole message.
    pub fn len(&self) -> usize {
        Self::FIXED_LEN + 2 * (usize::from(self.hlen()) + usize::from(self.plen()))
    }

    /// Always false: a checked message has at least its fixed part.
    pub fn is_empty(&self) -> bool {
        false
    }

    fn field(&self, index: usize) -> &[u8] {
        let (h, p) = (usize::from(self.hlen()), usize::from(self.plen()));
        let at = [0, h, h + p, 2 * h + p, 2 * h + 2 * p];
        let (from, to) = match (at.get(index), at.get(index + 1)) {
            (Some(a), Some(b)) => (*a, *b),
            _ => (0, 0),
        };
        slice(
            self.buffer.as_ref(),
            Self::FIXED_LEN + from,
            Self::FIXED_LEN + to,
        )
    }

    /// Sender hardware address bytes.
    pub fn sha(&self) -> &[u8] {
        self.field(0)
    }

    /// Sender protocol address bytes.
    pub fn spa(&self) -> &[u8] {
        self.field(1)
    }

    /// Target hardware address bytes.
    pub fn tha(&self) -> &[u8] {
        self.field(2)
    }

    /// Target protocol address bytes.
    pub fn tpa(&self) -> &[u8] {
        self.field(3)
    }

    /// True for Ethernet/IPv4 ARP (hlen 6, plen 4).
    pub fn is_ethernet_ipv4(&self) -> bool {
        self.hlen() == 6 && self.plen() == 4
    }

    /// Sender MAC address, if the hardware address is 6 bytes.
    pub fn sender_mac(&self) -> Option<MacAddr> {
        (self.hlen() == 6)
            .then(|| MacAddr::from_slice(self.sha()))
            .flatten()
    }

    /// Target MAC address, if the hardware address is 6 bytes.
    pub fn target_mac(&self) -> Option<MacAddr> {
        (self.hlen() == 6)
            .then(|| MacAddr::from_slice(self.tha()))
            .flatten()
    }

    /// Sender IPv4 address, if the protocol address is 4 bytes.
    pub fn sender_ip(&self) -> Option<Ipv4Addr> {
        ipv4_of(self.plen(), self.spa())
    }

    /// Target IPv4 address, if the protocol address is 4 bytes.
    pub fn target_ip(&self) -> Option<Ipv4Addr> {
        ipv4_of(self.plen(), self.tpa())
    }
}

fn ipv4_of(plen: u8, b: &[u8]) -> Option<Ipv4Addr> {
    (plen == 4)
        .then(|| b.first_chunk::<4>().map(|o| Ipv4Addr::from(*o)))
        .flatten()
}

/// ARP addresses of sizes other than Ethernet/IPv4, kept as they came.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ArpRawAddrs {
    /// Sender hardware address.
    pub sha: Vec<u8>,
    /// Sender protocol address.
    pub spa: Vec<u8>,
    /// Target hardware address.
    pub tha: Vec<u8>,
    /// Target protocol address.
    pub tpa: Vec<u8>,
}

/// An ARP message (Ryu's `arp`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Arp {
    /// Hardware type ([`HTYPE_ETHERNET`]).
    pub hwtype: u16,
    /// Protocol type ([`EtherType::IPV4`]).
    pub proto: EtherType,
    /// Operation.
    pub opcode: ArpOp,
    /// Sender hardware address (zero when `raw_addrs` is used).
    pub src_mac: MacAddr,
    /// Sender protocol address (zero when `raw_addrs` is used).
    pub src_ip: Ipv4Addr,
    /// Target hardware address (zero when `raw_addrs` is used).
    pub dst_mac: MacAddr,
    /// Target protocol address (zero when `raw_addrs` is used).
    pub dst_ip: Ipv4Addr,
    /// Addresses of other sizes than 6 and 4 bytes. When set, `hlen` and `plen` on the wire come
    /// from its lengths (`sha`/`tha` and `spa`/`tpa` must agree) and the typed fields are
    /// ignored. Boxed: such messages are rare, and an [`Arp`] stays small inside a
    /// [`Layer`] (a parsed Ethernet/IPv4 ARP message allocates nothing).
    pub raw_addrs: Option<Box<ArpRawAddrs>>,
}

impl Arp {
    /// An Ethernet/IPv4 message.
    pub fn new(
        opcode: ArpOp,
        src_mac: MacAddr,
        src_ip: Ipv4Addr,
        dst_mac: MacAddr,
        dst_ip: Ipv4Addr,
    ) -> Self {
        Arp {
            hwtype: HTYPE_ETHERNET,
            proto: EtherType::IPV4,
            opcode,
            src_mac,
            src_ip,
            dst_mac,
            dst_ip,
            raw_addrs: None,
        }
    }

    /// A request: who has `target_ip`? Tell `src_ip` at `src_mac`.
    pub fn request(src_mac: MacAddr, src_ip: Ipv4Addr, target_ip: Ipv4Addr) -> Self {
        Self::new(ArpOp::REQUEST, src_mac, src_ip, MacAddr::ZERO, target_ip)
    }

    /// The reply that `my_mac` gives to `request` (sender and target swapped, as a host or the
    /// Ryu book's ICMP responder answers). Its sender IP is the IP the request asked for.
    pub fn reply_to(request: &Arp, my_mac: MacAddr) -> Self {
        Self::new(
            ArpOp::REPLY,
            my_mac,
            request.dst_ip,
            request.src_mac,
            request.src_ip,
        )
    }

    /// Hardware address length on the wire.
    pub fn hlen(&self) -> u8 {
        match &self.raw_addrs {
            Some(r) => u8::try_from(r.sha.len()).unwrap_or(u8::MAX),
            None => 6,
        }
    }

    /// Protocol address length on the wire.
    pub fn plen(&self) -> u8 {
        match &self.raw_addrs {
            Some(r) => u8::try_from(r.spa.len()).unwrap_or(u8::MAX),
            None => 4,
        }
    }

    /// Parses the message at the front of `buf` (trailing bytes are ignored).
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(ArpView::parse(buf)?.decode())
    }
}

impl<T: AsRef<[u8]>> ArpView<T> {
    /// The owned value: copies the message out of a checked view.
    pub fn decode(&self) -> Arp {
        let v = self;
        let typed = v.is_ethernet_ipv4();
        Arp {
            hwtype: v.htype(),
            proto: v.ptype(),
            opcode: v.oper(),
            src_mac: v.sender_mac().filter(|_| typed).unwrap_or_default(),
            src_ip: v
                .sender_ip()
                .filter(|_| typed)
                .unwrap_or(Ipv4Addr::UNSPECIFIED),
            dst_mac: v.target_mac().filter(|_| typed).unwrap_or_default(),
            dst_ip: v
                .target_ip()
                .filter(|_| typed)
                .unwrap_or(Ipv4Addr::UNSPECIFIED),
            raw_addrs: (!typed).then(|| {
                Box::new(ArpRawAddrs {
                    sha: v.sha().to_vec(),
                    spa: v.spa().to_vec(),
                    tha: v.tha().to_vec(),
                    tpa: v.tpa().to_vec(),
                })
            }),
        }
    }
}

pub(crate) fn step_arp(buf: &[u8]) -> Result<Step> {
    let len = ArpView::parse(buf)?.len();
    Ok(Step {
        header_len: len,
        end: len,
        next: Next::Payload,
    })
}

impl Protocol for Arp {
    const KIND: LayerKind = LayerKind::Arp;

    fn header_len(&self) -> usize {
        match &self.raw_addrs {
            Some(r) => 8 + r.sha.len() + r.spa.len() + r.tha.len() + r.tpa.len(),
            None => 28,
        }
    }

    fn emit(&self, buf: &mut [u8], _ctx: &EmitContext) -> Result<()> {
        emit_room(LayerKind::Arp, buf, self.header_len())?;
        if let Some(r) = &self.raw_addrs {
            if r.sha.len() != r.tha.len()
                || r.spa.len() != r.tpa.len()
                || r.sha.len() > 255
                || r.spa.len() > 255
            {
                return Err(Error::Unencodable {
                    layer: LayerKind::Arp,
                    what: "raw_addrs",
                    reason: "sender and target addresses must have equal lengths of at most 255",
                });
            }
        }
        let h = ArpHeader {
            htype: U16::new(self.hwtype),
            ptype: U16::new(self.proto.0),
            hlen: self.hlen(),
            plen: self.plen(),
            oper: U16::new(self.opcode.0),
        };
        h.write_to(buf);
        match &self.raw_addrs {
            Some(r) => {
                let mut at = 8;
                for part in [&r.sha, &r.spa, &r.tha, &r.tpa] {
                    put_bytes(buf, at, part);
                    at += part.len();
                }
            }
            None => {
                put_bytes(buf, 8, &self.src_mac.0);
                put_bytes(buf, 14, &self.src_ip.octets());
                put_bytes(buf, 18, &self.dst_mac.0);
                put_bytes(buf, 24, &self.dst_ip.octets());
            }
        }
        Ok(())
    }

    fn from_layer(layer: &Layer) -> Option<&Self> {
        match layer {
            Layer::Arp(v) => Some(v),
            _ => None,
        }
    }

    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self> {
        match layer {
            Layer::Arp(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Arp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "arp(")?;
        match &self.raw_addrs {
            Some(r) => write!(
                f,
                "dst_ip={},dst_mac={}",
                crate::notation::PyBytes(&r.tpa),
                crate::notation::PyBytes(&r.tha)
            )?,
            None => write!(
                f,
                "dst_ip={},dst_mac={}",
                Quoted(self.dst_ip),
                Quoted(self.dst_mac)
            )?,
        }
        write!(
            f,
            ",hlen={},hwtype={},opcode={},plen={},proto={},",
            self.hlen(),
            self.hwtype,
            self.opcode,
            self.plen(),
            self.proto
        )?;
        match &self.raw_addrs {
            Some(r) => write!(
                f,
                "src_ip={},src_mac={})",
                crate::notation::PyBytes(&r.spa),
                crate::notation::PyBytes(&r.sha)
            ),
            None => write!(
                f,
                "src_ip={},src_mac={})",
                Quoted(self.src_ip),
                Quoted(self.src_mac)
            ),
        }
    }
}

/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for ArpView<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

/// `ArpRawAddrs(sha=b'...',spa=b'...',tha=b'...',tpa=b'...')`, the addresses as Python bytes
/// literals, as [`Arp`]'s `Display` shows them.
impl fmt::Display for ArpRawAddrs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::notation::PyBytes;
        write!(
            f,
            "ArpRawAddrs(sha={},spa={},tha={},tpa={})",
            PyBytes(&self.sha),
            PyBytes(&self.spa),
            PyBytes(&self.tha),
            PyBytes(&self.tpa)
        )
    }
}
