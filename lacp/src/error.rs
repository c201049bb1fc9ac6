//! Why a bond refused an input or a configuration change.

use core::fmt;

use crate::event::BadFrame;

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
