//! What [`Bond::poll_transmit`](crate::Bond::poll_transmit) says about the frame it wrote into
//! the caller's buffer.

use core::fmt;

/// What [`Bond::poll_transmit`](crate::Bond::poll_transmit) wrote into the caller's buffer: the port to send it on and
/// what kind of frame it is. The frame itself is the buffer's content: a whole Ethernet frame
/// (to `01:80:c2:00:00:02`, from the port's MAC, EtherType 0x8809) of
/// [`FRAME_LEN`](crate::FRAME_LEN) bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Transmit {
    /// The port to send the frame on.
    pub port: u32,
    /// What the frame is.
    pub kind: TransmitKind,
}

impl fmt::Display for Transmit {
    /// `port 3: LACPDU`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "port {}: {}", self.port, self.kind)
    }
}

/// The kind of frame a [`Transmit`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum TransmitKind {
    /// An LACPDU with the port's current actor and partner information (802.1AX modes).
    Lacpdu,
    /// A Marker Response to the last Marker Information PDU received on the port.
    MarkerResponse,
    /// Ryu's lacplib answer to the last LACPDU received ([`Mode::Lacplib`](crate::Mode::Lacplib)): an LACPDU too.
    LacplibReply,
}

impl fmt::Display for TransmitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransmitKind::Lacpdu => "LACPDU",
            TransmitKind::MarkerResponse => "marker response",
            TransmitKind::LacplibReply => "LACPDU (lacplib reply)",
        })
    }
}
