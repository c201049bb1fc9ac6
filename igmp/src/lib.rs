//! Sans-I/O IGMP snooping for switches (RFC 4541), keeping the RFC 3376 §6 router state per
//! (VLAN, group, port) as the Linux bridge does, with an optional querier of its own (the seed
//! igmplib's pseudo-querier).
//!
//! A [`Snooper`] is given the IGMP frames that reach a switch and the current time; it says
//! which frames to send out of which ports ([`Transmit`]), what changed ([`Event`]), and, for
//! the data path, which ports traffic of a (VLAN, group, source) goes to
//! ([`Snooper::forward_ports`]). It knows nothing of OpenFlow or sockets.
//!
//! # Using a `Snooper` (the order of calls)
//!
//! Methods sort into four kinds, as in quinn-proto:
//! - **inputs**, `handle_*(now, ..)`: [`handle_frame`](Snooper::handle_frame) for every IGMP
//!   (and PIM hello) frame the switch receives, [`handle_timeout`](Snooper::handle_timeout)
//!   when [`poll_timeout`](Snooper::poll_timeout)'s instant has come (and once right after
//!   [`Snooper::new`], which starts the querier), [`handle_port_down`](Snooper::handle_port_down);
//! - **outputs**, to drain after every input, in this order:
//!   [`poll_transmit`](Snooper::poll_transmit) until `None` (send each frame out of its
//!   [`Egress`]), [`poll_event`](Snooper::poll_event) until `None` (update flows, log), then
//!   [`poll_timeout`](Snooper::poll_timeout) to know when to call `handle_timeout` next;
//! - **lookups**, any time: [`forward_ports`](Snooper::forward_ports) (fast: a hash lookup and
//!   a binary search over the group's few sources), [`group_ports`](Snooper::group_ports),
//!   [`memberships`](Snooper::memberships), [`router_ports`](Snooper::router_ports),
//!   [`querier`](Snooper::querier), [`stats`](Snooper::stats);
//! - **construction**: [`Snooper::new`] with a [`Config`], or [`Querier::new`] for the seed's
//!   pseudo-querier.
//!
//! Time is an [`Instant`](std::time::Instant) that the caller passes in; an instant earlier than
//! the last one counts as the last one. Nothing here reads a clock, sleeps or spawns.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use sdnwire_igmp::{Config, Event, Forward, Snooper};
//! use sdnwire_packet::igmp::{IgmpType, IgmpV2};
//! use sdnwire_packet::{Encode, Ethernet, Igmp, Ipv4, MacAddr};
//!
//! let mut sn = Snooper::new(Config::default());
//! let t0 = Instant::now();
//! sn.handle_timeout(t0);
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
//! sn.handle_frame(t0, 3, None, &report);
//! while let Some(_tx) = sn.poll_transmit() { /* send tx.frame out of tx.egress */ }
//! assert_eq!(
//!     sn.poll_event(),
//!     Some(Event::GroupAdded { vlan: None, group, ports: vec![3] })
//! );
//! let any_source = "10.9.9.9".parse().unwrap();
//! assert_eq!(sn.forward_ports(None, group, any_source), Forward::Ports(&[3]));
//!
//! // Nobody reports again: after the group membership interval (260 s) the port is gone.
//! let later = t0 + Duration::from_secs(261);
//! while let Some(t) = sn.poll_timeout().filter(|&t| t <= later) {
//!     sn.handle_timeout(t);
//! }
//! assert_eq!(sn.poll_event(), Some(Event::GroupRemoved { vlan: None, group }));
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
//!   [`Config::router_port_from_unspecified`], as the seed igmplib and Linux do); our own querier with startup queries, the version lowered while an older
//!   querier is present (§7.3.1); fast leave per port; per-VLAN instances.
//! - The seed igmplib: events [`Event::GroupAdded`] / [`Event::MemberChanged`] /
//!   [`Event::GroupRemoved`], the first report after a query forwarded to the querier, a
//!   leave answered by a group-specific query out of its port and forwarded to the querier only
//!   when the last member is gone, strict aging ([`Config::expire_on_query`]) and the
//!   pseudo-querier ([`Querier`], [`Config::pseudo_querier`]).
//! - Bounded memory: groups per VLAN and per port, sources per group, VLANs, queued frames and
//!   events ([`Config`]); what does not fit is refused with [`Event::LimitReached`].
//!
//! Frames are checked (lengths, IPv4 and IGMP checksums); a bad one is counted and reported as
//! [`Event::BadFrame`], never a panic.
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

mod config;
mod frame;
mod fwd;
mod querier;
mod snooper;
mod state;
mod types;

pub use config::{Config, QuerierConfig, Unregistered};
pub use querier::Querier;
pub use snooper::Snooper;
pub use types::{
    BadFrame, Egress, Event, FilterMode, Forward, Limit, MembershipRef, QuerierInfo, SourceRef,
    Stats, Transmit, VlanId,
};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
