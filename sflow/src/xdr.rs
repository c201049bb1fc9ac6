//! XDR primitives (RFC 4506) as sFlow uses them: big-endian 32/64-bit integers, addresses,
//! variable-length opaques and strings padded to a multiple of four bytes.
//!
//! [`Opaque`] and [`XdrString`] are the owned forms of an XDR opaque and string: the bytes and
//! the padding that followed them on the wire, which agents do not always zero (Open vSwitch
//! reuses its send buffer and leaves stale bytes there). Keeping the padding is what makes a
//! decoded datagram re-encode to the exact bytes it came from.

use alloc::vec::Vec;
use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};

use crate::error::{Error, Result};
use crate::inline::InlineVec;

/// The reason of the error for bytes after a structure that must end exactly.
pub(crate) const LEFT_OVER: &str = "bytes left over after the structure";

/// A cursor that writes into the caller's buffer. Every write is checked (a short buffer is
/// [`Error::ShortBuffer`], never a panic); [`Encode::encode`](sdnwire_packet::Encode::encode) checks the whole length first, so
/// in practice the checks here never fail.
pub(crate) struct Writer<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        Writer { buf, pos: 0 }
    }

    #[inline]
    pub(crate) fn bytes(&mut self, b: &[u8]) -> Result<()> {
        let end = self.pos.saturating_add(b.len());
        match self.buf.get_mut(self.pos..end) {
            Some(d) => {
                d.copy_from_slice(b);
                self.pos = end;
                Ok(())
            }
            None => Err(Error::ShortBuffer {
                needed: end,
                available: self.buf.len(),
            }),
        }
    }

    #[inline]
    pub(crate) fn u32(&mut self, v: u32) -> Result<()> {
        self.bytes(&v.to_be_bytes())
    }

    #[inline]
    pub(crate) fn u64(&mut self, v: u64) -> Result<()> {
        self.bytes(&v.to_be_bytes())
    }

    /// A length or count: a `usize` that must fit the 32-bit field.
    #[inline]
    pub(crate) fn len(&mut self, n: usize, what: &'static str) -> Result<()> {
        self.u32(fit_u32(n, what)?)
    }

    /// Bytes written so far.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }
}

/// `n` as a 32-bit length or count, or [`Error::Unencodable`].
#[inline]
pub(crate) fn fit_u32(n: usize, what: &'static str) -> Result<u32> {
    u32::try_from(n).map_err(|_| Error::Unencodable {
        what,
        value: n as u64,
        reason: "does not fit in 32 bits",
    })
}

/// `v` if it fits in `bits` bits, or [`Error::Unencodable`].
#[inline]
pub(crate) fn fit_bits(v: u32, bits: u32, what: &'static str, reason: &'static str) -> Result<u32> {
    if bits < 32 && v >> bits != 0 {
        Err(Error::Unencodable {
            what,
            value: u64::from(v),
            reason,
        })
    } else {
        Ok(v)
    }
}

/// How every owned type writes itself: its length on the wire and its bytes through a
/// [`Writer`]. [`Encode`](sdnwire_packet::Encode) is implemented on top of it (`impl_encode!`).
pub(crate) trait Wire {
    /// Bytes written by [`Wire::write`].
    fn wire_len(&self) -> usize;
    /// Writes the value, or fails with [`Error::Unencodable`] for a value that does not fit.
    fn write(&self, w: &mut Writer<'_>) -> Result<()>;
}

/// Implements [`Encode`](sdnwire_packet::Encode) for types that implement [`Wire`].
macro_rules! impl_encode {
    ($($t:ty),* $(,)?) => { $(
        impl sdnwire_packet::Encode for $t {
            type Error = $crate::Error;
            fn encoded_len(&self) -> usize {
                $crate::xdr::Wire::wire_len(self)
            }
            fn encode(&self, buf: &mut [u8]) -> $crate::Result<usize> {
                $crate::xdr::encode_wire(self, buf)
            }
        }
    )* };
}
pub(crate) use impl_encode;

/// [`Encode::encode`](sdnwire_packet::Encode::encode) for a [`Wire`] type: checks the buffer's length, then writes.
pub(crate) fn encode_wire<T: Wire + ?Sized>(v: &T, buf: &mut [u8]) -> Result<usize> {
    let n = v.wire_len();
    let out = sdnwire_packet::encode::room::<Error>(buf, n)?;
    let mut w = Writer::new(out);
    v.write(&mut w)?;
    debug_assert_eq!(w.position(), n);
    Ok(n)
}

/// The number of padding bytes that follow `len` bytes of opaque data (0 to 3).
#[inline]
pub const fn pad_len(len: usize) -> usize {
    (4 - (len & 3)) & 3
}

/// A cursor over a slice of the datagram that knows its offset in the datagram, so that every
/// error says where it happened. Reads never panic.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
    /// The bytes not read yet (the cursor moves by re-slicing: one bounds check per read).
    rest: &'a [u8],
    /// Offset of `rest[0]` in the datagram.
    offset: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `buf`, which starts at byte `base` of the datagram.
    #[inline]
    pub(crate) fn new(buf: &'a [u8], base: usize) -> Self {
        Reader {
            rest: buf,
            offset: base,
        }
    }

    /// Offset in the datagram of the next byte to read.
    #[inline]
    pub(crate) fn offset(&self) -> usize {
        self.offset
    }

    /// Bytes not read yet.
    #[inline]
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.rest
    }

    #[inline]
    pub(crate) fn remaining(&self) -> usize {
        self.rest.len()
    }

    #[inline]
    fn truncated(&self, what: &'static str, needed: usize) -> Error {
        Error::Truncated {
            offset: self.offset(),
            what,
            needed,
            available: self.remaining(),
        }
    }

    #[inline]
    pub(crate) fn array<const N: usize>(&mut self, what: &'static str) -> Result<&'a [u8; N]> {
        match self.rest.split_first_chunk::<N>() {
            Some((a, rest)) => {
                self.rest = rest;
                self.offset += N;
                Ok(a)
            }
            None => Err(self.truncated(what, N)),
        }
    }

    #[inline]
    pub(crate) fn u32(&mut self, what: &'static str) -> Result<u32> {
        self.array::<4>(what).map(|b| u32::from_be_bytes(*b))
    }

    #[inline]
    pub(crate) fn u64(&mut self, what: &'static str) -> Result<u64> {
        self.array::<8>(what).map(|b| u64::from_be_bytes(*b))
    }

    /// `n` bytes.
    #[inline]
    pub(crate) fn bytes(&mut self, n: usize, what: &'static str) -> Result<&'a [u8]> {
        match self.rest.split_at_checked(n) {
            Some((b, rest)) => {
                self.rest = rest;
                self.offset += n;
                Ok(b)
            }
            None => Err(self.truncated(what, n)),
        }
    }

    /// A variable-length opaque or string: a 32-bit length, the bytes, then padding to a
    /// multiple of four. Returns the data and the padding.
    #[inline]
    pub(crate) fn opaque(&mut self, what: &'static str) -> Result<(&'a [u8], &'a [u8])> {
        let at = self.offset();
        let len = self.u32(what)? as usize;
        let padded = len.saturating_add(pad_len(len));
        let split = self
            .rest
            .split_at_checked(padded)
            .and_then(|(all, rest)| Some((all.split_at_checked(len)?, rest)));
        match split {
            Some(((data, pad), rest)) => {
                self.rest = rest;
                self.offset += padded;
                Ok((data, pad))
            }
            _ => Err(Error::BadLength {
                offset: at,
                what,
                value: len as u64,
                reason: "longer than the enclosing structure",
            }),
        }
    }

    /// A count of `unit`-byte elements that must fit in the rest of the structure; returns
    /// the count and the elements' bytes.
    #[inline]
    pub(crate) fn counted(&mut self, unit: usize, what: &'static str) -> Result<(u32, &'a [u8])> {
        let at = self.offset();
        let n = self.u32(what)?;
        let len = (n as usize)
            .checked_mul(unit)
            .filter(|l| *l <= self.remaining());
        match len {
            Some(len) => Ok((n, self.bytes(len, what)?)),
            None => Err(Error::BadLength {
                offset: at,
                what,
                value: u64::from(n),
                reason: "more elements than the enclosing structure holds",
            }),
        }
    }

    /// An sFlow `address`: a type (0 unknown, 1 IPv4, 2 IPv6) and the address.
    #[inline]
    pub(crate) fn address(&mut self, what: &'static str) -> Result<Address> {
        let at = self.offset();
        match self.u32(what)? {
            0 => Ok(Address::Unknown),
            1 => Ok(Address::V4(Ipv4Addr::from(*self.array::<4>(what)?))),
            2 => Ok(Address::V6(Ipv6Addr::from(*self.array::<16>(what)?))),
            t => Err(Error::BadValue {
                offset: at,
                what,
                value: t,
                expected: "address type 0 (unknown), 1 (IPv4) or 2 (IPv6)",
            }),
        }
    }

    /// Fails unless every byte has been read.
    #[inline]
    pub(crate) fn finish(&self, what: &'static str) -> Result<()> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(Error::BadLength {
                offset: self.offset(),
                what,
                value: self.remaining() as u64,
                reason: LEFT_OVER,
            })
        }
    }
}

/// An sFlow address (`address` in sflow_version_5.txt): an agent address, a next hop, a NAT
/// address. Type 0 (`UNKNOWN`) carries no address bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Address {
    /// Address type 0: no address.
    #[default]
    Unknown,
    /// Address type 1.
    V4(Ipv4Addr),
    /// Address type 2.
    V6(Ipv6Addr),
}

impl Address {
    /// Bytes on the wire: 4 (type 0), 8 (IPv4) or 20 (IPv6) (also [`Encode::encoded_len`](sdnwire_packet::Encode::encoded_len)).
    pub const fn encoded_len(&self) -> usize {
        match self {
            Address::Unknown => 4,
            Address::V4(_) => 8,
            Address::V6(_) => 20,
        }
    }

    /// The address as a `core::net::IpAddr`, `None` for type 0.
    pub fn ip(&self) -> Option<core::net::IpAddr> {
        match *self {
            Address::Unknown => None,
            Address::V4(a) => Some(a.into()),
            Address::V6(a) => Some(a.into()),
        }
    }
}

impl Wire for Address {
    fn wire_len(&self) -> usize {
        Address::encoded_len(self)
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        match self {
            Address::Unknown => w.u32(0),
            Address::V4(a) => {
                w.u32(1)?;
                w.bytes(&a.octets())
            }
            Address::V6(a) => {
                w.u32(2)?;
                w.bytes(&a.octets())
            }
        }
    }
}
impl_encode!(Address);

impl From<core::net::IpAddr> for Address {
    fn from(ip: core::net::IpAddr) -> Self {
        match ip {
            core::net::IpAddr::V4(a) => Address::V4(a),
            core::net::IpAddr::V6(a) => Address::V6(a),
        }
    }
}
impl From<Ipv4Addr> for Address {
    fn from(ip: Ipv4Addr) -> Self {
        Address::V4(ip)
    }
}
impl From<Ipv6Addr> for Address {
    fn from(ip: Ipv6Addr) -> Self {
        Address::V6(ip)
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Unknown => f.write_str("unknown"),
            Address::V4(a) => a.fmt(f),
            Address::V6(a) => a.fmt(f),
        }
    }
}

/// The first three bytes of `pad`, zero past its end: the padding an [`Opaque`] or an
/// [`XdrString`] keeps (byte by byte: a loop the compiler turns into a `memcpy` call of up to
/// 3 bytes).
#[inline(always)]
pub(crate) fn padding_of(pad: &[u8]) -> [u8; 3] {
    let at = |i: usize| pad.get(i).copied().unwrap_or(0);
    [at(0), at(1), at(2)]
}

macro_rules! opaque_type {
    ($(#[$m:meta])* $name:ident, inline $n:literal) => {
        $(#[$m])*
        #[derive(Clone, PartialEq, Eq, Hash, Default)]
        pub struct $name {
            /// The bytes (without the length and the padding): inline up to
            #[doc = concat!("[`", stringify!($name), "::INLINE`]")]
            /// bytes, on the heap past that.
            pub data: InlineVec<u8, $n>,
            /// The padding bytes that followed the data on the wire; only the first
            /// [`pad_len`]`(data.len())` are written. Zero when built by hand.
            pub padding: [u8; 3],
        }

        impl $name {
            /// Bytes kept inline (without an allocation).
            pub const INLINE: usize = $n;

            /// Owned copy of `data` followed by the padding bytes `pad` (at most 3 are kept).
            #[inline(always)]
            pub fn with_padding(data: &[u8], pad: &[u8]) -> Self {
                $name { data: InlineVec::from_slice(data), padding: padding_of(pad) }
            }

            /// Bytes of the data and its padding, without the length in front.
            pub(crate) fn unprefixed_len(&self) -> usize {
                self.data.len() + pad_len(self.data.len())
            }

            /// Writes the data and padding with no length in front (a raw record body).
            pub(crate) fn write_unprefixed(&self, w: &mut Writer<'_>) -> Result<()> {
                w.bytes(&self.data)?;
                let pad = pad_len(self.data.len());
                w.bytes(self.padding.get(..pad).unwrap_or(&[]))
            }

            /// The data as text, if it is UTF-8.
            pub fn as_str(&self) -> Option<&str> {
                core::str::from_utf8(&self.data).ok()
            }
        }

        /// The 4-byte length, the data and its padding (the first [`pad_len`]`(data.len())`
        /// bytes of `padding`). A length past 2^32 - 1 is [`Error::Unencodable`].
        impl Wire for $name {
            fn wire_len(&self) -> usize {
                4 + self.unprefixed_len()
            }
            fn write(&self, w: &mut Writer<'_>) -> Result<()> {
                w.len(self.data.len(), concat!(stringify!($name), " length"))?;
                self.write_unprefixed(w)
            }
        }
        impl_encode!($name);

        impl From<&[u8]> for $name {
            fn from(d: &[u8]) -> Self {
                $name { data: InlineVec::from_slice(d), padding: [0; 3] }
            }
        }
        /// Keeps the vector as it is (no copy) when it is longer than the inline room.
        impl From<Vec<u8>> for $name {
            fn from(data: Vec<u8>) -> Self {
                $name { data: data.into(), padding: [0; 3] }
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name { data: InlineVec::from_slice(s.as_bytes()), padding: [0; 3] }
            }
        }
    };
}

opaque_type!(
    /// An XDR variable-length opaque (a sampled header, an unknown record's data), with the
    /// padding seen on the wire. Debug and JSON show the data in hex (`"0a-0b-0c"`, the shape
    /// of `sflowtool -J`'s `headerBytes`); JSON does not carry the padding. Up to 128 bytes
    /// (the sampled header agents send by default, Open vSwitch's included) are kept inline.
    Opaque, inline 128
);
opaque_type!(
    /// An XDR string (a port name, a host name, an SSID), with the padding seen on the wire.
    /// sFlow strings are not guaranteed UTF-8: the bytes are kept; Debug and JSON show them as
    /// text when they are UTF-8 and as an array of bytes otherwise. JSON does not carry the
    /// padding. Up to 32 bytes (an interface name, an SSID) are kept inline.
    XdrString, inline 32
);

impl fmt::Debug for Opaque {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &self.data)?;
        if self.padding != [0; 3] {
            write!(f, " (padding {:02x?})", self.padding)?;
        }
        Ok(())
    }
}

/// The bytes in sflowtool's hex notation (`0A-0B-0C`).
impl fmt::Display for Opaque {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &self.data)
    }
}

impl fmt::Debug for XdrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_str() {
            Some(s) => write!(f, "{s:?}"),
            None => write!(f, "{:02x?}", self.data),
        }?;
        if self.padding != [0; 3] {
            write!(f, " (padding {:02x?})", self.padding)?;
        }
        Ok(())
    }
}

impl fmt::Display for XdrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.data.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{fffd}")?;
            }
        }
        Ok(())
    }
}

/// Writes bytes as `0a-0b-0c` (sflowtool's hex notation).
pub(crate) fn write_hex(f: &mut impl fmt::Write, data: &[u8]) -> fmt::Result {
    for (i, b) in data.iter().enumerate() {
        if i > 0 {
            f.write_char('-')?;
        }
        write!(f, "{b:02X}")?;
    }
    Ok(())
}

#[cfg(feature = "serde")]
mod serde_impls {
    use super::{Opaque, XdrString};
    use alloc::string::String;
    use alloc::vec::Vec;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    impl Serialize for Opaque {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut text = String::with_capacity(self.data.len() * 3);
            let _ = super::write_hex(&mut text, &self.data);
            s.serialize_str(&text)
        }
    }

    impl<'de> Deserialize<'de> for Opaque {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let text = String::deserialize(d)?;
            let mut data = Vec::with_capacity(text.len() / 3 + 1);
            for part in text.split(['-', ':']).filter(|p| !p.is_empty()) {
                data.push(u8::from_str_radix(part, 16).map_err(D::Error::custom)?);
            }
            Ok(Opaque::from(data.as_slice()))
        }
    }

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Text(String),
        Bytes(Vec<u8>),
    }

    impl Serialize for XdrString {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self.as_str() {
                Some(t) => s.serialize_str(t),
                None => self.data.serialize(s),
            }
        }
    }

    impl<'de> Deserialize<'de> for XdrString {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            Ok(match Repr::deserialize(d)? {
                Repr::Text(t) => XdrString::from(t.as_str()),
                Repr::Bytes(b) => XdrString::from(b.as_slice()),
            })
        }
    }
}

/// A checked array of 32-bit big-endian values inside a record (an MPLS label stack, a VLAN
/// stack, BGP communities, an AS path segment). Iterating it allocates nothing.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct U32Array<'a>(pub(crate) &'a [u8]);

impl<'a> U32Array<'a> {
    /// Number of values.
    pub fn len(&self) -> usize {
        self.0.len() / 4
    }
    /// No values.
    pub fn is_empty(&self) -> bool {
        self.0.len() < 4
    }
    /// The `i`th value.
    pub fn get(&self, i: usize) -> Option<u32> {
        let at = i.checked_mul(4)?;
        self.0
            .get(at..)
            .and_then(|b| b.first_chunk::<4>())
            .map(|b| u32::from_be_bytes(*b))
    }
    /// The values in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = u32> + Clone + 'a {
        self.0
            .chunks_exact(4)
            .map(|c| <[u8; 4]>::try_from(c).map(u32::from_be_bytes).unwrap_or(0))
    }
    /// The values as an owned vector.
    pub fn to_vec(&self) -> Vec<u32> {
        self.iter().collect()
    }
}

/// The values, comma-separated.
impl fmt::Display for U32Array<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for U32Array<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Writes a counted array of 32-bit values.
pub(crate) fn put_u32s(w: &mut Writer<'_>, v: &[u32], what: &'static str) -> Result<()> {
    w.len(v.len(), what)?;
    for x in v {
        w.u32(*x)?;
    }
    Ok(())
}

/// A string or opaque in a view: the data and the padding after it.
pub(crate) type Str<'a> = (&'a [u8], &'a [u8]);

pub(crate) fn owned_string(s: Str<'_>) -> XdrString {
    XdrString::with_padding(s.0, s.1)
}

/// A MAC address as sFlow carries it (`opaque mac[6]`, padded to eight bytes), with the two
/// padding bytes as the agent sent them (Open vSwitch's LAG records carry stale bytes there).
/// Derefs to the [`MacAddr`](sdnwire_packet::MacAddr); JSON shows the address only.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PaddedMac {
    /// The address.
    pub mac: sdnwire_packet::MacAddr,
    /// The padding bytes (zero when built by hand).
    pub padding: [u8; 2],
}

/// The six address bytes and the two padding bytes.
impl Wire for PaddedMac {
    fn wire_len(&self) -> usize {
        8
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        w.bytes(&self.mac.0)?;
        w.bytes(&self.padding)
    }
}
impl_encode!(PaddedMac);

impl From<sdnwire_packet::MacAddr> for PaddedMac {
    fn from(mac: sdnwire_packet::MacAddr) -> Self {
        PaddedMac {
            mac,
            padding: [0; 2],
        }
    }
}

impl core::ops::Deref for PaddedMac {
    type Target = sdnwire_packet::MacAddr;
    fn deref(&self) -> &sdnwire_packet::MacAddr {
        &self.mac
    }
}

impl fmt::Debug for PaddedMac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.mac)?;
        if self.padding != [0; 2] {
            write!(f, " (padding {:02x?})", self.padding)?;
        }
        Ok(())
    }
}

impl fmt::Display for PaddedMac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.mac.fmt(f)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for PaddedMac {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.mac.serialize(s)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for PaddedMac {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        sdnwire_packet::MacAddr::deserialize(d).map(PaddedMac::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sdnwire_packet::{CodecError, ErrorKind};

    /// Every length and count goes through `Writer::len`: one past 2^32 - 1 is Unencodable
    /// (a vector that long cannot be built in a test; the check is the same).
    #[test]
    fn lengths_past_32_bits_are_unencodable() {
        let mut buf = [0u8; 4];
        let mut w = Writer::new(&mut buf);
        assert!(w.len(u32::MAX as usize, "string length").is_ok());
        assert_eq!(buf, [0xff; 4]);
        #[cfg(target_pointer_width = "64")]
        {
            let mut w = Writer::new(&mut buf);
            let e = w.len(1usize << 32, "string length").unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Unencodable);
            assert_eq!(e.field(), Some("string length"));
            assert_eq!(e.value(), Some(1 << 32));
        }
        assert!(fit_bits(1 << 24, 24, "x", "y").is_err());
        assert_eq!(fit_bits(0xff_ffff, 24, "x", "y"), Ok(0xff_ffff));
        assert_eq!(fit_bits(u32::MAX, 32, "x", "y"), Ok(u32::MAX));
    }

    #[test]
    fn a_writer_past_its_buffer_is_short_buffer_not_a_panic() {
        let mut buf = [0u8; 6];
        let mut w = Writer::new(&mut buf);
        w.u32(1).unwrap();
        assert_eq!(
            w.u32(2),
            Err(Error::ShortBuffer {
                needed: 8,
                available: 6
            })
        );
        assert_eq!(w.position(), 4);
    }
}
