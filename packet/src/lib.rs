//! A Ryu-style packet library: parse an Ethernet frame into a stack of protocol layers, get a
//! layer by type, build a packet layer by layer and encode it with lengths and checksums
//! filled in.
//!
//! Every `sdnwire-*` crate holds its types the same way; the conventions are written down in
//! `docs/API.md`, in the source repository the `sdnwire-*` crates are published from. In this
//! crate:
//! 1. a checked zero-copy **view** over bytes, `FooView` (`Ipv4View<T: AsRef<[u8]>>`), made
//!    with `FooView::parse`: it validates every length once, after which no accessor panics or
//!    reads out of bounds (smoltcp's `new_checked` contract); variable parts (options, TLVs,
//!    group records, extension headers) are iterators of `Result` items that allocate nothing;
//!    on a mutable buffer, setters keep the checksums right;
//! 2. an owned **value** with public fields, `Foo` (`Ipv4 { src, dst, .. }`), made from a view
//!    with `view.decode()` (which cannot fail where `parse` checked everything; ICMPv6, whose
//!    view checks only type, code and checksum, returns a `Result`) or from bytes with
//!    `Foo::parse`;
//! 3. **encoding** through one trait, [`Encode`] (`encoded_len`, `encode` into the caller's
//!    buffer, `to_vec`, `encode_append`): lengths, checksums and next-protocol numbers left as
//!    `None` are computed, set ones are written as set (so a parsed value encodes back to its
//!    bytes); a short buffer is [`ErrorKind::ShortBuffer`], a value that does not fit its field
//!    [`ErrorKind::Unencodable`]; nothing panics and nothing is truncated;
//! 4. **presentation**: `Display` on every view and owned value in Ryu's notation
//!    (`ipv4(csum=...,dst='10.0.0.2',...)`; a view prints what its decoded value prints) and,
//!    with the `serde` feature, JSON in the shape of os-ken's `to_jsondict()`;
//! 5. one error type, [`Error`], which implements the workspace's [`CodecError`] (kind, layer,
//!    field, byte offset, value).
//!
//! [`Packet`] stacks owned layers as Ryu's `packet.Packet` does ([`Packet::with_min_len`] pads
//! a frame to Ethernet's 60 bytes); [`PacketView`] walks the same stack without allocating;
//! [`FlowKey`] reads only the 5-tuple (VLANs, addresses, protocol, ports), the fastest path for
//! flow tables and samplers.
//!
//! ```
//! use sdnwire_packet::{Encode, Ethernet, Ipv4, MacAddr, Packet, PacketView, Udp};
//! let frame = (Ethernet::new(MacAddr::BROADCAST, MacAddr::new(0, 0, 0, 0, 0, 1))
//!     / Ipv4::new("10.0.0.1".parse().unwrap(), "10.0.0.255".parse().unwrap())
//!     / Udp::new(68, 67))
//!     .with_payload(&b"hello"[..])
//!     .to_vec()?;
//! let pkt = Packet::parse(&frame)?;
//! assert_eq!(pkt.get::<Udp>().unwrap().dst_port, 67);
//! assert_eq!(pkt.payload, b"hello");
//! // The zero-copy view of the same frame, and the owned value it decodes to.
//! let view = PacketView::parse(&frame)?;
//! assert_eq!(view.udp().unwrap().dst_port(), 67);
//! assert_eq!(view.ipv4().unwrap().decode(), *pkt.get::<Ipv4>().unwrap());
//! assert_eq!(view.to_string(), pkt.to_string());
//! # Ok::<(), sdnwire_packet::Error>(())
//! ```
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Parsers face hostile input: no panicking index, unwrap, expect or panic in library code
// (the workspace lints warn everywhere; here they are errors outside tests).
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod bytes;
#[cfg(feature = "serde")]
mod json;
mod notation;
pub mod wire;

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
pub mod slow;
pub mod small;
pub mod stack;
pub mod tcp;
pub mod time;
pub mod udp;
pub mod walk;

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
pub use slow::{Lacp, Marker};
pub use small::{Layers, LayersIntoIter, SmallBytes};
pub use stack::{Layer, Packet, PacketView, Span};
pub use tcp::Tcp;
pub use udp::Udp;
pub use walk::{Cut, Fragment, Mode, Walker};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
