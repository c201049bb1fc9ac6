//! What [`poll_transmit`](crate::Snooper::poll_transmit) hands out: the description of a frame
//! ([`Transmit`]: what it is, its VLAN tag, its egress ports), and the queue of frames waiting
//! for it, their bytes back to back in one reused buffer, so that queueing a frame allocates
//! nothing once the buffer has grown.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::fmt;

use crate::vlan::VlanId;

/// What a frame from [`poll_transmit`](crate::Snooper::poll_transmit) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum TransmitKind {
    /// Our own general query (we are the VLAN's querier).
    GeneralQuery,
    /// Our own group-specific or group-and-source-specific query (RFC 3376 §6.6.3), out of the
    /// port whose records called for it.
    GroupQuery,
    /// Another querier's query, flooded (RFC 4541 §2.1.1 (2)).
    ForwardedQuery,
    /// A membership report passed on to the router ports (RFC 4541 §2.1.1 (1)).
    ForwardedReport,
    /// A leave passed on to the router ports at once ([`ForwardLeaves`](crate::ForwardLeaves)).
    ForwardedLeave,
    /// A leave held back while the group had other members and released to the router ports
    /// when its last member went (Ryu's igmplib, [`ForwardLeaves::LastMember`](crate::ForwardLeaves)).
    ReleasedLeave,
    /// Our own IGMPv2 report for a group, to the router ports
    /// ([`Config::proxy_reporting`](crate::Config::proxy_reporting)).
    ProxyReport,
    /// Our own IGMPv2 leave for a group that lost its last member, to the router ports
    /// ([`Config::proxy_reporting`](crate::Config::proxy_reporting)).
    ProxyLeave,
}

impl TransmitKind {
    /// Whether the frame is one we built (a query, a proxy report or leave), not one we
    /// forward.
    pub fn is_ours(self) -> bool {
        matches!(
            self,
            TransmitKind::GeneralQuery
                | TransmitKind::GroupQuery
                | TransmitKind::ProxyReport
                | TransmitKind::ProxyLeave
        )
    }
}

impl fmt::Display for TransmitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransmitKind::GeneralQuery => "general query",
            TransmitKind::GroupQuery => "group query",
            TransmitKind::ForwardedQuery => "forwarded query",
            TransmitKind::ForwardedReport => "forwarded report",
            TransmitKind::ForwardedLeave => "forwarded leave",
            TransmitKind::ReleasedLeave => "released leave",
            TransmitKind::ProxyReport => "proxy report",
            TransmitKind::ProxyLeave => "proxy leave",
        })
    }
}

/// Whether the frame in the buffer carries an 802.1Q tag, and which one it should carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Tag {
    /// No tag in the buffer, and the frame belongs to the untagged VLAN: send it as it is.
    None,
    /// No tag in the buffer; the frame belongs to 802.1Q VLAN `vid`: push a tag with this id on
    /// ports that carry the VLAN tagged (trunks), send it as it is on the VLAN's access ports.
    /// Frames we build (queries) are written without a tag.
    Push(u16),
    /// The buffer holds the frame as it arrived, with its tag(s) (a forwarded frame): send it as
    /// it is on trunks, pop the tag on access ports.
    InFrame,
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::None => f.write_str("untagged"),
            Tag::Push(v) => write!(f, "push vlan {v}"),
            Tag::InFrame => f.write_str("tag in frame"),
        }
    }
}

/// A frame the snooper wants sent, from [`poll_transmit`](crate::Snooper::poll_transmit); the
/// frame itself is in the caller's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Transmit {
    /// What the frame is.
    pub kind: TransmitKind,
    /// The VLAN the frame belongs to.
    pub vlan: VlanId,
    /// Whether the frame in the buffer is tagged, and with what to tag it.
    pub tag: Tag,
    /// Where it goes.
    pub egress: Egress,
}

impl fmt::Display for Transmit {
    /// `general query vlan untagged: flood`, `forwarded report vlan 10: router ports except 3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} vlan {}: {}", self.kind, self.vlan, self.egress)
    }
}

/// The ports a [`Transmit`] goes out of. `Copy`: no port list is allocated per frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Egress {
    /// Every port of the VLAN, except `except` (the port the frame came in on).
    Flood {
        /// The port to leave out.
        except: Option<u32>,
    },
    /// This one port.
    Port(u32),
    /// The VLAN's router ports as [`Snooper::router_ports`](crate::Snooper::router_ports) lists
    /// them when the frame is polled, except `except` (the port the frame came in on). The list
    /// had a port other than `except` when the frame was queued; if it has none when polled
    /// (a port went down meanwhile), the frame goes nowhere.
    RouterPorts {
        /// The port to leave out.
        except: Option<u32>,
    },
}

impl fmt::Display for Egress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, except) = match *self {
            Egress::Flood { except } => ("flood", except),
            Egress::Port(p) => return write!(f, "port {p}"),
            Egress::RouterPorts { except } => ("router ports", except),
        };
        f.write_str(what)?;
        match except {
            Some(p) => write!(f, " except {p}"),
            None => Ok(()),
        }
    }
}

/// The frames waiting for [`poll_transmit`](crate::Snooper::poll_transmit).
#[derive(Debug, Default)]
pub(crate) struct TxQueue {
    /// Frame bytes; the frames still queued are `bytes[head..]`, in queue order.
    bytes: Vec<u8>,
    head: usize,
    /// Each queued frame and its length.
    meta: VecDeque<(Transmit, usize)>,
}

impl TxQueue {
    pub(crate) fn len(&self) -> usize {
        self.meta.len()
    }

    /// Queues a frame that `write` appends to the buffer it is given (returning its length, or
    /// `None` for no frame).
    pub(crate) fn push_with(
        &mut self,
        t: Transmit,
        write: impl FnOnce(&mut Vec<u8>) -> Option<usize>,
    ) -> bool {
        let at = self.bytes.len();
        match write(&mut self.bytes) {
            Some(len) => {
                self.meta.push_back((t, len));
                true
            }
            None => {
                self.bytes.truncate(at);
                false
            }
        }
    }

    /// Queues a copy of `frame`.
    pub(crate) fn push(&mut self, t: Transmit, frame: &[u8]) {
        self.bytes.extend_from_slice(frame);
        self.meta.push_back((t, frame.len()));
    }

    /// The next frame, copied into `buf` (cleared first).
    pub(crate) fn pop(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        buf.clear();
        let (t, len) = self.meta.pop_front()?;
        let end = self.head.saturating_add(len);
        buf.extend_from_slice(self.bytes.get(self.head..end).unwrap_or(&[]));
        self.head = end;
        if self.meta.is_empty() {
            self.bytes.clear();
            self.head = 0;
        } else if self.head > self.bytes.len() / 2 {
            // A caller that never drains to the end: move what is left to the front.
            self.bytes.drain(..self.head);
            self.head = 0;
        }
        Some(t)
    }
}
