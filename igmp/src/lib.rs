//! Sans-I/O IGMP and MLD snooping for switches (RFC 4541), keeping the RFC 3376 §6 (RFC 3810
//! §7) router state per (VLAN, group, port) as the Linux bridge does, with an optional querier
//! of its own (Ryu's igmplib's pseudo-querier).
//!
//! One state machine serves both address families: [`Snooper`] (`Snooper<Ipv4Addr>`) snoops
//! IGMP, and `Snooper<Ipv6Addr>` ([`MldSnooper`], made by [`Snooper::mld`]) snoops MLDv1 and
//! MLDv2 (see [MLD](#mld)); everything below holds for both.
//!
//! A [`Snooper`] is given the IGMP frames that reach a switch and the current time; it says
//! which frames to send out of which ports ([`Transmit`]), what changed ([`Event`]), and, for
//! the data path, which ports traffic of a (VLAN, group, source) goes to
//! ([`Snooper::forward_ports`]). It knows nothing of OpenFlow or sockets.
//!
//! # Using a `Snooper`
//!
//! It has the shape of every state machine of this workspace (quinn-proto's). Its methods
//! sort into:
//! - **construction**: [`Snooper::new`]`(config, now)`: running from `now` (its querier, if
//!   configured, has its first general query ready); or [`Querier::new`]`(config, now)` (or [`Querier::pseudo`]) for Ryu's igmplib's
//!   pseudo-querier;
//! - **getters**, any time, no side effect: [`forward_ports`](Snooper::forward_ports) (the data
//!   path: a keyed hash lookup and a search over the group's few sources),
//!   [`group_ports`](Snooper::group_ports), [`groups`](Snooper::groups),
//!   [`memberships`](Snooper::memberships), [`membership`](Snooper::membership),
//!   [`group_count`](Snooper::group_count), [`router_ports`](Snooper::router_ports),
//!   [`querier`](Snooper::querier), [`vlans`](Snooper::vlans), [`config`](Snooper::config),
//!   [`stats`](Snooper::stats);
//! - **inputs**, `handle_*(now, ..)`: [`handle_frame`](Snooper::handle_frame) for every IGMP
//!   (and PIM hello) frame the switch receives (bad or refused input is its `Err`, counted in
//!   `stats()`, never an event), [`handle_timeout`](Snooper::handle_timeout) when
//!   [`poll_timeout`](Snooper::poll_timeout)'s instant has come (harmless early or twice),
//!   [`handle_port_down`](Snooper::handle_port_down);
//! - **mutators**: [`set_config`](Snooper::set_config);
//! - **outputs**, `poll_*`, to drain after every input and mutator, in this order:
//!   [`poll_transmit`](Snooper::poll_transmit) until `None` (send the frame it wrote into your
//!   buffer out of its [`Egress`]), [`poll_event`](Snooper::poll_event) until `None` (update
//!   flows, log), then [`poll_timeout`](Snooper::poll_timeout): sleep until then and call
//!   `handle_timeout`.
//!
//! Time is an [`Instant`] that the caller passes in (nanoseconds since an origin it picks: a
//! simulation starts at [`Instant::ZERO`]); an instant earlier than the last one counts as the
//! last one. Nothing here reads a clock, sleeps or spawns. No event is ever lost: when the
//! event queue overflows, [`Event::Resync`] says to read the state again.
//!
//! ```
//! use core::time::Duration;
//! use sdnwire_igmp::{Config, Event, Forward, Instant, Snooper, VlanId};
//! use sdnwire_packet::igmp::{IgmpType, IgmpV2};
//! use sdnwire_packet::{Encode, Ethernet, Igmp, Ipv4, MacAddr};
//!
//! let t0 = Instant::ZERO;
//! let mut sn = Snooper::new(Config::default(), t0);
//! let mut buf = Vec::new();
//!
//! // A host behind port 3 joins 239.1.1.1 with an IGMPv2 report.
//! let group = "239.1.1.1".parse().unwrap();
//! let mut ip = Ipv4::new("10.0.0.3".parse().unwrap(), group);
//! ip.ttl = 1;
//! let report = (Ethernet::new(MacAddr::new(1, 0, 0x5e, 1, 1, 1), MacAddr::new(2, 0, 0, 0, 0, 3))
//!     / ip
//!     / Igmp::V2(IgmpV2::new(IgmpType::REPORT_V2, 0, group)))
//!     .to_vec()
//!     .unwrap();
//! sn.handle_frame(t0, 3, None, &report).unwrap();
//! while let Some(_tx) = sn.poll_transmit(&mut buf) { /* send buf out of tx.egress */ }
//! let untagged = VlanId::UNTAGGED;
//! assert_eq!(
//!     sn.poll_event(),
//!     Some(Event::GroupAdded { vlan: untagged, group, ports: vec![3] })
//! );
//! // Traffic from a source behind port 1 goes to port 3 (never back to port 1).
//! let any_source = "10.9.9.9".parse().unwrap();
//! let to = sn.forward_ports(untagged, group, any_source, 1);
//! assert_eq!(to.ports().unwrap().to_vec(), [3]);
//! assert_eq!(sn.forward_ports(untagged, group, any_source, 3), Forward::Drop);
//!
//! // Nobody reports again: after the group membership interval (260 s) the port is gone.
//! let later = t0 + Duration::from_secs(261);
//! while let Some(t) = sn.poll_timeout().filter(|&t| t <= later) {
//!     sn.handle_timeout(t);
//! }
//! assert_eq!(sn.poll_event(), Some(Event::GroupRemoved { vlan: untagged, group }));
//! ```
//!
//! # What it implements
//! - RFC 3376 §6.4.1/§6.4.2: every transition of IS_IN, IS_EX, TO_IN, TO_EX, ALLOW and BLOCK in
//!   INCLUDE and EXCLUDE mode, per port, with the group timer, source timers, and the Q(G) and
//!   Q(G,S) queries they call for (§6.6.3: sent out of that port, Last Member Query Count times,
//!   Last Member Query Interval apart, timers lowered to LMQT, S flag as §6.6.3 says); §6.5
//!   (EXCLUDE → INCLUDE when the group timer runs out); §6.3 forwarding per source; §6.6.1
//!   (queries seen with a clear S flag lower the timers); §7.3.2 host compatibility (older host
//!   present timers, the translations of v1/v2 messages and the records ignored).
//! - RFC 4541: router ports learned from queries and PIM hellos (and configured), reports and
//!   leaves forwarded to router ports only (IGMPv1/v2 report suppression optional, IGMPv3
//!   reports always forwarded), queries flooded, 224.0.0.x never tracked and always flooded,
//!   unregistered groups flooded, sent to router ports or dropped ([`Unregistered`]).
//! - Querier election (lowest address wins, other querier present timer, a query from 0.0.0.0
//!   takes no part, and makes a router port only with
//!   [`Config::router_port_from_unspecified`], as Ryu's igmplib and Linux do); our own querier
//!   with startup queries, the version lowered while an older querier is present (§7.3.1);
//!   the querier's robustness and query interval adopted from its queries (§4.1.6, §4.1.7,
//!   [`Config::adopt_querier_timers`]); fast leave per port; per-VLAN instances.
//! - RFC 4541 §2.1.1 (1) proxy reporting ([`Config::proxy_reporting`]); IGMPv2-only operation
//!   ([`Config::source_filtering`]); reports from other subnets refused
//!   ([`Config::report_subnets`]).
//! - The switches people run, as presets that say whom they copy: [`Config::rfc`] (the
//!   default), [`Config::linux_bridge`], [`Config::open_vswitch`], [`Config::ryu_igmplib`]
//!   and [`Config::ryu_igmplib_querier`].
//! - Ryu's igmplib, message for message (checked against os-ken's `igmplib.py`): events
//!   [`Event::GroupAdded`] / [`Event::MemberChanged`] / [`Event::GroupRemoved`], the first
//!   report after a query forwarded to the querier, a leave answered by one group-specific
//!   query out of its port from the querier's address and forwarded to the querier only when
//!   the last member is gone, strict aging ([`Config::strict_aging`]) and the pseudo-querier
//!   ([`Querier`], [`Config::ryu_igmplib_querier`]).
//! - Bounded memory: groups per VLAN and per port, sources per group, VLANs, queued frames and
//!   events ([`Config`]); a record that does not fit is refused ([`Error::Limit`]).
//!
//! Frames are checked (lengths, IPv4 and IGMP checksums, the ICMPv6 checksum of MLD); a bad
//! one is refused with an [`Error`] from [`handle_frame`](Snooper::handle_frame) and counted,
//! never a panic.
//!
//! # MLD
//! MLDv1 (RFC 2710) is IGMPv2 with other packets and MLDv2 (RFC 3810) is IGMPv3: the same
//! record types and transitions, so `Snooper<Ipv6Addr>` is the same machine with IPv6 groups
//! and sources ([`Address`]). It reads MLD as the Linux bridge does (a Hop-by-Hop Options
//! header first; ICMPv6 types 130, 131, 132 and 143; the checksum over the IPv6 pseudo-header;
//! a query from an address that is not link-local is dropped, RFC 3810 §5.1.14) and builds its
//! queries as the kernel sends them (hop limit 1, the Router Alert option, to ff02::1 or the
//! group, from the link-local address of [`Config::mac`]: [`link_local_from_mac`]). Groups of the
//! reserved, interface-local and link-local scopes (scope 0 to 2 whatever the flags: ff02::/16,
//! ff12::/16, ...) are flooded and never tracked, as 224.0.0.x are (RFC 4541 §3); the querier is elected by lowest IPv6 address. [`Config::query_version`] 3 sends
//! MLDv2 queries, 2 MLDv1; the versions it reports are MLD's (1 or 2).
//!
//! ```
//! use sdnwire_igmp::{Config, Forward, Instant, MldSnooper, Snooper, VlanId};
//!
//! let mut sn: MldSnooper = Snooper::mld(Config::default(), Instant::ZERO);
//! # let frame: Vec<u8> = Vec::new();
//! // Every MLD frame the switch receives (IGMP frames go to an IGMP snooper).
//! let _ = sn.handle_frame(Instant::ZERO, 1, None, &frame);
//! let mdns = "ff02::fb".parse().unwrap();
//! let from = "fe80::1".parse().unwrap();
//! assert_eq!(sn.forward_ports(VlanId::UNTAGGED, mdns, from, 1), Forward::Flood);
//! ```
//!
//! # Features
//! - `std` (default): [`HashKey::random`] and a random [`Config::hash_key`] in
//!   `Config::default()`; `std::error::Error` for [`Error`]. Without it the crate is `no_std`
//!   + `alloc`: supply the hash key from the platform's random source.
//! - `serde`: `Serialize`/`Deserialize` for [`Config`], [`Event`] (and the types in it),
//!   [`Transmit`], [`Stats`], [`VlanId`], [`SourceRef`], [`FilterMode`]; `Serialize` for
//!   [`MembershipRef`] (a state snapshot: `snooper.memberships().collect::<Vec<_>>()`).
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
#[cfg(any(feature = "std", test))]
extern crate std;

mod config;
mod error;
mod event;
mod family;
mod forward;
mod frame;
mod fwd_table;
mod membership;
mod querier;
mod snooper;
mod stats;
mod transmit;
mod vlan;

pub use config::{
    ActOnLeaves, Config, ForwardLeaves, HashKey, LastMemberQueries, PortSet, QuerierConfig,
    StrictAging, Subnet, Unregistered,
};
pub use error::{Error, Limit};
pub use event::Event;
pub use family::{link_local_from_mac, Address};
pub use forward::{Forward, PortList};
pub use membership::{FilterMode, MembershipRef, SourceRef};
pub use querier::{Querier, QuerierInfo};
pub use sdnwire_packet::time::Instant;
pub use sdnwire_packet::CodecError;
pub use snooper::{MldSnooper, Snooper};
pub use stats::Stats;
pub use transmit::{Egress, Tag, Transmit, TransmitKind};
pub use vlan::VlanId;

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
