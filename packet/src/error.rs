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
    /// A field holds a value this layer does not accept (an IPv4 version of 6, say).
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
}

impl Error {
    /// The layer the error belongs to.
    pub fn layer(&self) -> LayerKind {
        match *self {
            Error::Truncated { layer, .. }
            | Error::BadLength { layer, .. }
            | Error::BadValue { layer, .. }
            | Error::BadChecksum { layer, .. }
            | Error::Unencodable { layer, .. } => layer,
        }
    }

    /// The byte offset the error refers to (0 for [`Error::Unencodable`]).
    pub fn offset(&self) -> usize {
        match *self {
            Error::Truncated { offset, .. }
            | Error::BadLength { offset, .. }
            | Error::BadValue { offset, .. }
            | Error::BadChecksum { offset, .. } => offset,
            Error::Unencodable { .. } => 0,
        }
    }

    /// Shifts the offset by `n`: used when a layer parsed on its own sits `n` bytes into a frame.
    #[must_use]
    pub fn add_offset(mut self, n: usize) -> Self {
        match &mut self {
            Error::Truncated { offset, .. }
            | Error::BadLength { offset, .. }
            | Error::BadValue { offset, .. }
            | Error::BadChecksum { offset, .. } => *offset = offset.saturating_add(n),
            Error::Unencodable { .. } => {}
        }
        self
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
