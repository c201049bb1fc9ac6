//! Why a bond refused an input or a configuration change.

use core::fmt;

/// Why a [`Bond`](crate::Bond) refused a call. A refused call changes no state; refused
/// inputs are counted ([`Bond::stats`](crate::Bond::stats), [`Bond::counters`](crate::Bond::counters)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The port identifier is not in the bond.
    UnknownPort {
        /// The identifier given.
        port: u32,
    },
    /// [`Bond::handle_frame`](crate::Bond::handle_frame) with a frame that is not a valid
    /// LACP or marker PDU.
    BadFrame {
        /// The port it arrived on.
        port: u32,
        /// Why it was refused.
        reason: BadFrame,
    },
    /// [`Bond::add_port`](crate::Bond::add_port) with an identifier already in the bond.
    DuplicatePort {
        /// The identifier given.
        port: u32,
    },
    /// [`Bond::add_port`](crate::Bond::add_port) beyond [`Config::max_ports`](crate::Config::max_ports).
    TooManyPorts {
        /// The configured bound.
        max: usize,
    },
    /// The port identifier does not fit the 16-bit port number of an LACPDU and the
    /// configuration gives no [`PortConfig::number`](crate::PortConfig::number).
    PortNumberTooLarge {
        /// The identifier given.
        port: u32,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownPort { port } => write!(f, "lacp: port {port} is not in the bond"),
            Error::BadFrame { port, reason } => write!(f, "lacp: port {port}: {reason}"),
            Error::DuplicatePort { port } => write!(f, "lacp: port {port} is already in the bond"),
            Error::TooManyPorts { max } => {
                write!(f, "lacp: the bond already has its maximum of {max} ports")
            }
            Error::PortNumberTooLarge { port } => write!(
                f,
                "lacp: port {port} does not fit an LACPDU's 16-bit port number; set PortConfig::number"
            ),
        }
    }
}

/// `std::error::Error` (the same trait as `core::error::Error`, so it is there without the
/// `std` feature too).
impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Error::BadFrame {
                reason: BadFrame::Malformed(e),
                ..
            } => Some(e),
            _ => None,
        }
    }
}

/// Why [`Bond::handle_frame`](crate::Bond::handle_frame) refused a frame
/// ([`Error::BadFrame`](crate::Error::BadFrame)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum BadFrame {
    /// Shorter than an Ethernet header.
    Truncated {
        /// Bytes received.
        len: usize,
    },
    /// Not a slow-protocols frame (EtherType other than 0x8809; a VLAN tag counts as other).
    NotSlowProtocols {
        /// The EtherType found at offset 12.
        ethertype: u16,
    },
    /// A slow protocol other than LACP and marker (OAM, OSSP, ...).
    UnknownSubtype {
        /// The subtype octet (offset 14).
        subtype: u8,
    },
    /// An LACPDU or marker PDU that `sdnwire_packet::slow` refuses; offsets in the error are from
    /// the start of the PDU (frame offset 14).
    Malformed(#[cfg_attr(feature = "serde", serde(skip))] sdnwire_packet::Error),
    /// A marker PDU whose TLV type is neither information nor response.
    UnknownMarkerType {
        /// The TLV type octet.
        tlv_type: u8,
    },
}

impl fmt::Display for BadFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadFrame::Truncated { len } => {
                write!(f, "frame of {len} bytes is shorter than an Ethernet header")
            }
            BadFrame::NotSlowProtocols { ethertype } => {
                write!(
                    f,
                    "EtherType {ethertype:#06x} is not slow protocols (0x8809)"
                )
            }
            BadFrame::UnknownSubtype { subtype } => {
                write!(
                    f,
                    "slow protocols subtype {subtype} is neither LACP nor marker"
                )
            }
            BadFrame::Malformed(e) => write!(f, "malformed PDU (offsets from byte 14): {e}"),
            BadFrame::UnknownMarkerType { tlv_type } => {
                write!(
                    f,
                    "marker TLV type {tlv_type} is neither information nor response"
                )
            }
        }
    }
}
