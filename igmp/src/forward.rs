//! The answer of a forwarding lookup ([`Snooper::forward_ports`](crate::Snooper::forward_ports)):
//! which ports traffic of a (VLAN, group, source) goes out of, borrowed from the forwarding
//! table without a copy.

use alloc::vec::Vec;
use core::fmt;

/// Where traffic for a (VLAN, group, source) goes: [`Snooper::forward_ports`](crate::Snooper::forward_ports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Forward<'a> {
    /// To every port of the VLAN but the one it came in on: a link-local group (224.0.0.x,
    /// RFC 4541 §2.1.2 (2)), or an unregistered group with
    /// [`Unregistered::Flood`](crate::Unregistered::Flood).
    Flood,
    /// To these ports (sorted, never empty, never the ingress port): member ports that want
    /// this source (RFC 3376 §6.3) and router ports.
    Ports(PortList<'a>),
    /// Nowhere.
    Drop,
}

impl<'a> Forward<'a> {
    /// The ports, or `None` for [`Forward::Flood`]; empty for [`Forward::Drop`].
    pub fn ports(&self) -> Option<PortList<'a>> {
        match *self {
            Forward::Flood => None,
            Forward::Ports(p) => Some(p),
            Forward::Drop => Some(PortList::EMPTY),
        }
    }
}

/// A sorted list of ports borrowed from the snooper's forwarding table, with the ingress port
/// left out: two slices, no copy.
#[derive(Debug, Clone, Copy, Eq)]
pub struct PortList<'a> {
    head: &'a [u32],
    tail: &'a [u32],
}

impl<'a> PortList<'a> {
    /// No ports.
    pub const EMPTY: PortList<'static> = PortList {
        head: &[],
        tail: &[],
    };

    /// `ports` (sorted) without `except`.
    pub(crate) fn without(ports: &'a [u32], except: u32) -> PortList<'a> {
        match ports.binary_search(&except) {
            Ok(i) => PortList {
                head: ports.get(..i).unwrap_or(&[]),
                tail: ports.get(i + 1..).unwrap_or(&[]),
            },
            Err(_) => PortList {
                head: ports,
                tail: &[],
            },
        }
    }

    /// The ports, in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + 'a {
        self.head.iter().chain(self.tail).copied()
    }

    /// Number of ports.
    pub fn len(&self) -> usize {
        self.head.len() + self.tail.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `port` is one of them.
    pub fn contains(&self, port: u32) -> bool {
        self.head.binary_search(&port).is_ok() || self.tail.binary_search(&port).is_ok()
    }

    /// The ports in a new `Vec`.
    pub fn to_vec(&self) -> Vec<u32> {
        self.iter().collect()
    }
}

impl<'a> From<&'a [u32]> for PortList<'a> {
    /// A sorted slice of ports.
    fn from(ports: &'a [u32]) -> PortList<'a> {
        PortList {
            head: ports,
            tail: &[],
        }
    }
}

impl PartialEq for PortList<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl PartialEq<[u32]> for PortList<'_> {
    fn eq(&self, other: &[u32]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

impl<const N: usize> PartialEq<[u32; N]> for PortList<'_> {
    fn eq(&self, other: &[u32; N]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

impl fmt::Display for PortList<'_> {
    /// `1,3,7`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_ports(f, self.iter())
    }
}

pub(crate) fn write_ports(
    f: &mut fmt::Formatter<'_>,
    ports: impl Iterator<Item = u32>,
) -> fmt::Result {
    for (i, p) in ports.enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        write!(f, "{p}")?;
    }
    Ok(())
}
