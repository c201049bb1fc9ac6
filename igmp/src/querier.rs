//! The querier of a VLAN ([`QuerierInfo`]: the one the snooper has elected), and Ryu's
//! igmplib's pseudo-querier (`IgmpQuerier`): a [`Snooper`] that is its network's querier, for a
//! network without a multicast router.

use core::fmt;
use core::net::Ipv4Addr;
use core::ops::{Deref, DerefMut};
use core::time::Duration;

use sdnwire_packet::time::Instant;
use sdnwire_packet::MacAddr;

use crate::config::Config;
use crate::snooper::Snooper;

/// A pseudo-querier: a [`Snooper`] configured by [`Config::ryu_igmplib_querier`] (Ryu's
/// igmplib's `IgmpQuerier`). It floods a general query at once and every `interval` (60 s in
/// Ryu's igmplib), learns member ports from the reports, drops a port at once on a leave, and
/// drops ports that do not answer a query within its Max Resp Time. Multicast from the server port goes to member ports
/// ([`Snooper::forward_ports`]).
///
/// It dereferences to its [`Snooper`]: every `handle_*`, `poll_*` and getter is there.
#[derive(Debug)]
pub struct Querier {
    snooper: Snooper,
}

impl Querier {
    /// A querier from a full configuration (whose `querier` should be set, as
    /// [`Config::ryu_igmplib_querier`] sets it), running from `now` (its first general query is
    /// ready): the shape of every state machine's constructor.
    pub fn new(config: Config, now: Instant) -> Self {
        Querier {
            snooper: Snooper::new(config, now),
        }
    }

    /// Ryu's igmplib's `IgmpQuerier` in one call ([`Config::ryu_igmplib_querier`]): a
    /// querier with source address `address` (`0.0.0.0` is what igmplib sends from), the
    /// multicast server behind `server_port`, a general query every `interval`, running from
    /// `now` (its first general query is ready).
    pub fn pseudo(address: Ipv4Addr, server_port: u32, interval: Duration, now: Instant) -> Self {
        let mut config = Config {
            query_interval: interval,
            ..Config::ryu_igmplib_querier(server_port)
        };
        if let Some(q) = config.querier.as_mut() {
            q.address = address;
        }
        Querier::new(config, now)
    }

    /// The snooper inside.
    pub fn into_inner(self) -> Snooper {
        self.snooper
    }
}

impl Deref for Querier {
    type Target = Snooper;
    fn deref(&self) -> &Snooper {
        &self.snooper
    }
}

impl DerefMut for Querier {
    fn deref_mut(&mut self) -> &mut Snooper {
        &mut self.snooper
    }
}

/// The querier of a VLAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QuerierInfo<A = Ipv4Addr> {
    /// Its address (ours if we are the querier): IPv4, or for MLD the IPv6 link-local
    /// address its queries come from.
    pub address: A,
    /// The port its queries come in on; `None` when we are the querier.
    pub port: Option<u32>,
    /// Its MAC address.
    pub mac: MacAddr,
    /// The version of its queries: IGMP 1 to 3, or MLD 1 or 2.
    pub version: u8,
}

impl<A> QuerierInfo<A> {
    /// Whether the querier is us.
    pub fn is_us(&self) -> bool {
        self.port.is_none()
    }
}

impl<A: fmt::Display> fmt::Display for QuerierInfo<A> {
    /// `querier 10.0.0.1 port 4 v2` (`port local` when we are the querier).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "querier {} port ", self.address)?;
        match self.port {
            Some(p) => write!(f, "{p}")?,
            None => f.write_str("local")?,
        }
        write!(f, " v{}", self.version)
    }
}
