//! The error type shared by every parser and emitter of this crate.

use core::fmt;

/// Which protocol layer an [`Error`] (or a [`Layer`](crate::Layer)) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum LayerKind {
    /// Ethernet II header.
    Ethernet,
    /// IEEE 802.1Q / 802.1ad VLAN tag.
    Vlan,
    /// Address Resolution Protocol.
    Arp,
    /// Internet Protocol version 4.
    Ipv4,
    /// Internet Protocol version 6 (fixed header and extension headers).
    Ipv6,
    /// Internet Control Message Protocol (for IPv4).
    Icmp,
    /// ICMP for IPv6, MLD included.
    Icmpv6,
    /// Internet Group Management Protocol, v1 to v3.
    Igmp,
    /// User Datagram Protocol.
    Udp,
    /// Transmission Control Protocol.
    Tcp,
    /// Slow protocols: Link Aggregation Control Protocol.
    Lacp,
    /// Slow protocols: LACP marker protocol.
    Marker,
    /// Link Layer Discovery Protocol.
    Lldp,
    /// The packet as a whole (layer stacking, serialization).
    Packet,
}

impl LayerKind {
    /// The lower-case name that Ryu uses for the protocol class (`"ipv4"`, `"lacp"`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            LayerKind::Ethernet => "ethernet",
            LayerKind::Vlan => "vlan",
            LayerKind::Arp => "arp",
            LayerKind::Ipv4 => "ipv4",
            LayerKind::Ipv6 => "ipv6",
            LayerKind::Icmp => "icmp",
            LayerKind::Icmpv6 => "icmpv6",
            LayerKind::Igmp => "igmp",
            LayerKind::Udp => "udp",
            LayerKind::Tcp => "tcp",
            LayerKind::Lacp => "lacp",
            LayerKind::Marker => "marker",
            LayerKind::Lldp => "lldp",
            LayerKind::Packet => "packet",
        }
    }
}

impl fmt::Display for LayerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Everything that can go wrong while parsing or emitting a packet.
///
/// Every variant names the layer and the byte offset at which the problem was found. Offsets are
/// relative to the start of the buffer that was handed to the parser: a layer parsed on its own
/// reports offsets from its first byte, while [`Packet::parse`](crate::Packet::parse) shifts
/// them (with [`Error::add_offset`]) so that they count from the first byte of the frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The buffer ends before a structure that must be there.
    #[error(
        "{layer}: truncated at offset {offset}: {what} needs {needed} bytes, {available} available"
    )]
    Truncated {
        /// The layer being parsed.
        layer: LayerKind,
        /// Where the truncated structure starts.
        offset: usize,
        /// What was being read (`"header"`, `"option"`, `"TLV"`, ...).
        what: &'static str,
        /// Bytes the structure needs from `offset`.
        needed: usize,
        /// Bytes the buffer has from `offset`.
        available: usize,
    },
    /// A length field holds a value that cannot be right (too small for the header, larger
    /// than the buffer, not a multiple of the unit, ...).
    #[error("{layer}: bad {field} {value} at offset {offset}: {reason}")]
    BadLength {
        /// The layer being parsed.
        layer: LayerKind,
        /// Offset of the length field.
        offset: usize,
        /// Name of the length field (`"total_length"`, `"ihl"`, ...).
        field: &'static str,
        /// The value found, in the field's own unit.
        value: usize,
        /// What the value was checked against.
        reason: &'static str,
    },
    /// A field holds a value this layer does not accept (an IPv4 version of 6, say). Its
    /// [`CodecError::kind`] is [`ErrorKind::BadVersion`] when the field is the IP version,
    /// [`ErrorKind::BadValue`] otherwise.
    #[error("{layer}: bad {field} {value:#x} at offset {offset}, expected {expected}")]
    BadValue {
        /// The layer being parsed.
        layer: LayerKind,
        /// Offset of the field.
        offset: usize,
        /// Name of the field.
        field: &'static str,
        /// The value found.
        value: u64,
        /// What was expected instead.
        expected: &'static str,
    },
    /// A checksum does not match the data it covers. Parsers never check checksums on their
    /// own; this comes from the explicit `verify_checksum` calls.
    #[error(
        "{layer}: bad checksum at offset {offset}: computed {computed:#06x}, found {found:#06x}"
    )]
    BadChecksum {
        /// The layer whose checksum is wrong.
        layer: LayerKind,
        /// Offset of the checksum field.
        offset: usize,
        /// The checksum the field should hold.
        computed: u16,
        /// The checksum the field holds.
        found: u16,
    },
    /// A value cannot be encoded (a payload too long for a 16-bit length field, a layer
    /// stacked where it cannot go, ...).
    #[error("{layer}: cannot encode {what}: {reason}")]
    Unencodable {
        /// The layer being emitted.
        layer: LayerKind,
        /// What could not be encoded.
        what: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// The output buffer handed to [`Encode::encode`](crate::Encode::encode) is shorter than
    /// the encoding.
    #[error("packet: output buffer too short: {needed} bytes needed, {available} available")]
    ShortBuffer {
        /// Bytes the encoding needs.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
}

impl Error {
    /// The layer the error belongs to ([`LayerKind::Packet`] for [`Error::ShortBuffer`]).
    pub fn layer(&self) -> LayerKind {
        match *self {
            Error::Truncated { layer, .. }
            | Error::BadLength { layer, .. }
            | Error::BadValue { layer, .. }
            | Error::BadChecksum { layer, .. }
            | Error::Unencodable { layer, .. } => layer,
            Error::ShortBuffer { .. } => LayerKind::Packet,
        }
    }

    /// An option list (IPv4, TCP, IPv6 hop-by-hop or destination options) whose last byte is
    /// the type of an option that has a length byte: the header's own length ends the list
    /// there, so this is a framing error of a whole header, never bytes cut short.
    pub(crate) const fn option_without_length(layer: LayerKind, offset: usize) -> Self {
        Error::BadLength {
            layer,
            offset,
            field: "option",
            value: 1,
            reason: "the option list ends after the option's type byte, with no length byte",
        }
    }

    /// Shorthand for [`Error::Truncated`].
    pub(crate) const fn truncated(
        layer: LayerKind,
        offset: usize,
        what: &'static str,
        needed: usize,
        available: usize,
    ) -> Self {
        Error::Truncated {
            layer,
            offset,
            what,
            needed,
            available,
        }
    }
}

impl CodecError for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Truncated { .. } => ErrorKind::Truncated,
            Error::BadLength { .. } => ErrorKind::BadLength,
            // An IPv4 header whose version is not 4, an IPv6 header whose version is not 6.
            Error::BadValue {
                field: "version", ..
            } => ErrorKind::BadVersion,
            Error::BadValue { .. } => ErrorKind::BadValue,
            Error::BadChecksum { .. } => ErrorKind::BadChecksum,
            Error::Unencodable { .. } => ErrorKind::Unencodable,
            Error::ShortBuffer { .. } => ErrorKind::ShortBuffer,
        }
    }

    fn context(&self) -> &'static str {
        self.layer().name()
    }

    fn field(&self) -> Option<&'static str> {
        match *self {
            Error::Truncated { what, .. } | Error::Unencodable { what, .. } => Some(what),
            Error::BadLength { field, .. } | Error::BadValue { field, .. } => Some(field),
            Error::BadChecksum { .. } => Some("checksum"),
            Error::ShortBuffer { .. } => None,
        }
    }

    fn offset(&self) -> Option<usize> {
        match *self {
            Error::Truncated { offset, .. }
            | Error::BadLength { offset, .. }
            | Error::BadValue { offset, .. }
            | Error::BadChecksum { offset, .. } => Some(offset),
            Error::Unencodable { .. } | Error::ShortBuffer { .. } => None,
        }
    }

    fn value(&self) -> Option<u64> {
        match *self {
            Error::BadLength { value, .. } => u64::try_from(value).ok(),
            Error::BadValue { value, .. } => Some(value),
            Error::BadChecksum { found, .. } => Some(u64::from(found)),
            Error::Truncated { .. } | Error::Unencodable { .. } | Error::ShortBuffer { .. } => None,
        }
    }

    fn add_offset(mut self, n: usize) -> Self {
        match &mut self {
            Error::Truncated { offset, .. }
            | Error::BadLength { offset, .. }
            | Error::BadValue { offset, .. }
            | Error::BadChecksum { offset, .. } => *offset = offset.saturating_add(n),
            Error::Unencodable { .. } | Error::ShortBuffer { .. } => {}
        }
        self
    }

    fn short_buffer(needed: usize, available: usize) -> Self {
        Error::ShortBuffer { needed, available }
    }
}

/// What kind of problem a codec error reports: the same set in every `sdnwire-*` crate, so a
/// program that handles errors from several crates matches on one enum
/// ([`CodecError::kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input ends before a structure that must be there.
    Truncated,
    /// A length or count field holds a value that cannot be right.
    BadLength,
    /// A field holds a value the codec does not accept.
    BadValue,
    /// A checksum does not match the bytes it covers.
    BadChecksum,
    /// A protocol version the codec does not speak.
    BadVersion,
    /// Bytes left over where a structure must end exactly.
    TrailingBytes,
    /// A value that cannot be encoded: it does not fit its field, or a required part is
    /// missing.
    Unencodable,
    /// The output buffer is shorter than the encoding.
    ShortBuffer,
    /// A crate-specific problem (the crate's error type says which).
    Other,
}

/// The error core every `sdnwire-*` codec error implements: what kind of problem, in which
/// layer or structure, which field, at which byte offset, with which value.
///
/// Offsets count from the first byte of the buffer handed to the parser; an error that bubbles
/// up from a part parsed on its own is shifted with [`CodecError::add_offset`] (as etherparse
/// does), so that the offset a user sees counts from the start of what they parsed.
///
/// ```
/// use sdnwire_packet::{CodecError, ErrorKind, Ipv4};
/// let err = Ipv4::parse(&[0x45, 0, 0]).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Truncated);
/// assert_eq!(err.context(), "ipv4");
/// assert_eq!(err.add_offset(14).offset(), Some(14));
/// ```
pub trait CodecError: fmt::Debug + fmt::Display + Sized {
    /// The kind of problem.
    fn kind(&self) -> ErrorKind;
    /// The layer (`"ipv4"`) or structure (`"ofp_flow_mod"`, `"flow sample"`) being read or
    /// written.
    fn context(&self) -> &'static str;
    /// The field or part at fault (`"total_length"`, `"ofp_action_output.port"`), when known.
    fn field(&self) -> Option<&'static str>;
    /// The byte offset the error is about, from the start of the parsed buffer; `None` for
    /// errors of encoding.
    fn offset(&self) -> Option<usize>;
    /// The offending value, when there is one.
    fn value(&self) -> Option<u64>;
    /// The same error with its offset shifted by `n` bytes (saturating).
    #[must_use]
    fn add_offset(self, n: usize) -> Self;
    /// The error for an output buffer of `available` bytes where `needed` are required.
    fn short_buffer(needed: usize, available: usize) -> Self;
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Checks that `buf` holds at least `needed` bytes from `offset`, or returns
/// [`Error::Truncated`].
#[inline]
pub(crate) fn need(
    layer: LayerKind,
    buf: &[u8],
    offset: usize,
    needed: usize,
    what: &'static str,
) -> Result<()> {
    let available = buf.len().saturating_sub(offset);
    if available < needed {
        Err(Error::truncated(layer, offset, what, needed, available))
    } else {
        Ok(())
    }
}
