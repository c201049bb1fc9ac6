//! Errors of the configuration methods.

use core::fmt;

/// Why a [`Bond`](crate::Bond) refused a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The port identifier is not in the bond.
    UnknownPort {
        /// The identifier given.
        port: u32,
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

impl core::error::Error for Error {}
