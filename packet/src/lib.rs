//! A Ryu-style packet library: parse an Ethernet frame into a stack of protocol layers, get a
//! layer by type, build a packet layer by layer and serialize it with lengths and checksums
//! filled in.
//!
//! Every protocol comes in three layers (see the workspace's DESIGN.md):
//! 1. a checked zero-copy **view** over a byte slice (`Ipv4View<T: AsRef<[u8]>>`): its
//!    `parse` validates every length once, after which no accessor can panic;
//! 2. an owned **representation** with public fields (`Ipv4 { src, dst, .. }`): `parse`, and
//!    `emit` through the [`Protocol`] trait, with lengths and checksums computed unless set;
//! 3. **presentation**: `Display` in Ryu's notation (`ipv4(csum=...,dst='10.0.0.2',...)`) and,
//!    with the `serde` feature, JSON.
//!
//! [`Packet`] stacks owned layers as Ryu's `packet.Packet` does; [`PacketView`] walks the same
//! stack without allocating; [`FlowKey`] reads only the 5-tuple (VLANs, addresses, protocol,
//! ports), the fastest path for flow tables and samplers.
//!
//! ```
//! use sdnwire_packet::{Packet, Ethernet, Ipv4, Udp, MacAddr};
//! let frame = (Ethernet::new(MacAddr::BROADCAST, MacAddr::new(0, 0, 0, 0, 0, 1))
//!     / Ipv4::new("10.0.0.1".parse().unwrap(), "10.0.0.255".parse().unwrap())
//!     / Udp::new(68, 67))
//!     .with_payload(&b"hello"[..])
//!     .to_vec()
//!     .unwrap();
//! let pkt = Packet::parse(&frame).unwrap();
//! assert_eq!(pkt.get::<Udp>().unwrap().dst_port, 67);
//! assert_eq!(pkt.payload, b"hello");
//! ```
#![no_std]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]
#![cfg_attr(
    not(test),
    warn(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod raw;

/// Building blocks shared with the workspace's other codec crates (`openflow`, `sflow`):
/// zerocopy wire structs ([`wire_struct!`](crate::wire_struct)) and big-endian reads and writes
/// that never panic (out of range reads give 0, out of range writes do nothing).
pub mod wire {
    pub use crate::raw::{be16, be32, put16, put32, put_bytes, slice, tail, Zeroed};
    pub use zerocopy::network_endian::{U16, U32, U64};
}
mod repr;

pub mod arp;
pub mod checksum;
pub mod encode;
pub mod error;
pub mod ethernet;
pub mod flow;
pub mod icmp;
pub mod icmpv6;
pub mod igmp;
pub mod ip;
pub mod ipv4;
pub mod ipv6;
pub mod layer;
pub mod lldp;
pub mod mac;
pub mod packet;
pub mod slow;
pub mod tcp;
pub mod time;
pub mod udp;

pub use arp::Arp;
pub use encode::Encode;
pub use error::{CodecError, Error, ErrorKind, LayerKind, Result};
pub use ethernet::{EtherType, Ethernet, Vlan};
pub use flow::FlowKey;
pub use icmp::Icmp;
pub use icmpv6::Icmpv6;
pub use igmp::Igmp;
pub use ip::IpProtocol;
pub use ipv4::Ipv4;
pub use ipv6::Ipv6;
pub use layer::{EmitContext, IpPair, Protocol};
pub use lldp::Lldp;
pub use mac::MacAddr;
pub use packet::{Layer, Packet, PacketView, Span};
pub use slow::{Lacp, Marker};
pub use tcp::Tcp;
pub use udp::Udp;

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
