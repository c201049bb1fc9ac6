//! The contract every protocol layer implements, and the context the encoder hands it.

use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};

use crate::error::{Error, LayerKind, Result};
use crate::ethernet::EtherType;
use crate::ip::IpProtocol;
use crate::stack::Layer;

/// An owned protocol layer that can sit in a [`Packet`](crate::Packet).
///
/// The serializer lays out every layer's header, then the payload, then calls [`emit`] on each
/// layer from the innermost outwards, so that a layer's checksum and length fields can be
/// computed over the bytes that follow it.
///
/// [`emit`]: Protocol::emit
pub trait Protocol: Clone + fmt::Debug + fmt::Display + Into<Layer> {
    /// Which protocol this is.
    const KIND: LayerKind;

    /// Bytes this layer occupies in front of its payload. For a protocol that ends the stack
    /// (ARP, ICMP, IGMP, LACP, ...) that is the whole message.
    fn header_len(&self) -> usize;

    /// Writes this layer into `buf[..self.header_len()]`.
    ///
    /// `buf` holds this layer's header followed by everything it carries (the layers above it
    /// and the payload, already in place), and ends where this layer's length fields should end:
    /// trailing padding is not part of it. Fields the user left to be computed (`None`) are
    /// computed here: lengths from `buf.len()`, checksums over the bytes in `buf`, next-protocol
    /// numbers from `ctx`.
    ///
    /// Never panics; returns [`Error::Unencodable`] when `buf` is
    /// shorter than `header_len()` or a value does not fit its field.
    fn emit(&self, buf: &mut [u8], ctx: &EmitContext) -> Result<()>;

    /// This protocol's value inside a [`Layer`], if the layer is of this type.
    fn from_layer(layer: &Layer) -> Option<&Self>;

    /// Mutable variant of [`from_layer`](Protocol::from_layer).
    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self>;
}

/// What the encoder knows about a layer's surroundings when it emits it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EmitContext {
    /// The addresses of the nearest IP layer below this one, for pseudo-header checksums.
    pub ip: Option<IpPair>,
    /// The EtherType that announces the next layer, if the next layer has one.
    pub next_ethertype: Option<EtherType>,
    /// The IP protocol number that announces the next layer, if the next layer has one.
    pub next_ip_protocol: Option<IpProtocol>,
}

/// Source and destination of an IP header, as the pseudo-header needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpPair {
    /// IPv4 source and destination.
    V4(Ipv4Addr, Ipv4Addr),
    /// IPv6 source and (final) destination.
    V6(Ipv6Addr, Ipv6Addr),
}

impl IpPair {
    /// The pseudo-header accumulator for an upper-layer message of `len` bytes of `protocol`.
    pub fn pseudo_header(&self, protocol: u8, len: u32) -> u64 {
        match *self {
            IpPair::V4(s, d) => crate::checksum::pseudo_header_v4(s, d, protocol, len),
            IpPair::V6(s, d) => crate::checksum::pseudo_header_v6(s, d, protocol, len),
        }
    }
}

/// How far one layer reaches, as the walker that drives [`Packet::parse`](crate::Packet::parse)
/// and [`PacketView`](crate::PacketView) sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step {
    /// Bytes of this layer's own header (the whole message for a protocol that ends the stack).
    pub(crate) header_len: usize,
    /// Where this layer's length fields say its content ends, counted from its first byte
    /// (`header_len <= end <= buffer length`). Anything past it is trailer (Ethernet padding).
    pub(crate) end: usize,
    /// What comes after the header.
    pub(crate) next: Next,
}

/// What follows a layer's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// A protocol announced by an EtherType.
    Ethertype(EtherType),
    /// A protocol announced by an IP protocol / next-header number.
    IpProtocol(IpProtocol),
    /// Nothing this crate decodes: the rest is payload.
    Payload,
}

/// Checks that `buf` can hold `header_len` bytes for an emit, or says why not.
pub(crate) fn emit_room(layer: LayerKind, buf: &[u8], header_len: usize) -> Result<()> {
    if buf.len() < header_len {
        Err(crate::Error::Unencodable {
            layer,
            what: "header",
            reason: "output buffer shorter than the header",
        })
    } else {
        Ok(())
    }
}

/// Converts a length to a 16-bit length field, or says it does not fit.
pub(crate) fn len16(layer: LayerKind, what: &'static str, len: usize) -> Result<u16> {
    u16::try_from(len).map_err(|_| crate::Error::Unencodable {
        layer,
        what,
        reason: "length does not fit in 16 bits",
    })
}

/// The 4-bit header length in 32-bit words of an IPv4 (IHL) or TCP (data offset) header of
/// `hl` bytes, or `set` as set; `Unencodable` (`option`) when options make the header longer
/// than 60 bytes.
pub(crate) fn header_words(layer: LayerKind, set: Option<u8>, hl: usize) -> Result<u8> {
    match set {
        Some(v) => Ok(v),
        None => u8::try_from(hl / 4)
            .ok()
            .filter(|v| *v <= 15)
            .ok_or(Error::Unencodable {
                layer,
                what: "option",
                reason: "options longer than 40 bytes",
            }),
    }
}
