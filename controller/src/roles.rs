//! Several controllers on the same switches: OpenFlow roles with a heartbeat between two
//! managers.
//!
//! Two managers serve the same switches (Open vSwitch: `ovs-vsctl set-controller br0
//! tcp:A tcp:B`). One starts as master, the other as slave (the standby). Each sends, on every
//! switch that reaches MAIN, a ROLE_REQUEST for its role with the current generation id; the
//! switch then sends the asynchronous messages (PACKET_IN, FLOW_REMOVED) to the master only.
//!
//! The two managers hear of each other by a heartbeat on loopback UDP: every
//! [`RoleConfig::lease`] / 3 each sends the other one datagram, `sdnwire-ha <generation id>
//! <master|slave>`. A standby that hears nothing from the master for a whole lease claims
//! master: generation id = the highest it has seen + 1, a ROLE_REQUEST(MASTER) to every
//! switch (which makes the old master, should it still be connected, a slave). A master that
//! hears of a higher generation from a master steps down to slave. Generation ids compare as
//! the switch compares them (OpenFlow 1.3, 6.3.5): `a` is newer than `b` when
//! `(a - b) as i64 > 0`, modulo 2^64, so that the ids go on past `u64::MAX` by wrapping. The lease is the longest a
//! switch goes without a master when one dies; a heartbeat lost on loopback is not expected.
//!
//! The heartbeat is not authenticated: keep both addresses on loopback (or a network only the
//! two managers share), since a forged datagram can make a standby claim master.

use core::net::SocketAddr;
use core::time::Duration;
use std::sync::{Arc, Mutex};

use sdnwire_openflow::role::{ControllerRole, Role};
use sdnwire_openflow::Body;
use tokio::net::UdpSocket;

use crate::manager::{Level, Shared};
use crate::Datapath;

/// How a manager shares its switches with another.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleConfig {
    /// Start as master (else as the standby, slave).
    pub master: bool,
    /// The UDP address this manager's heartbeat listens on (loopback).
    pub listen: SocketAddr,
    /// The other manager's heartbeat address.
    pub peer: SocketAddr,
    /// How long the standby waits without hearing the master before it claims master.
    /// Default 3 s.
    pub lease: Duration,
    /// The generation id to start with. Default 1.
    pub generation_id: u64,
}

impl RoleConfig {
    /// `master` or standby, heartbeat on `listen`, the other manager's on `peer`.
    pub fn new(master: bool, listen: SocketAddr, peer: SocketAddr) -> RoleConfig {
        RoleConfig {
            master,
            listen,
            peer,
            lease: Duration::from_secs(3),
            generation_id: 1,
        }
    }
}

/// The role now and the generation id it goes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Current {
    pub(crate) master: bool,
    pub(crate) generation_id: u64,
}

/// What the connections and the heartbeat share.
#[derive(Debug)]
pub(crate) struct Roles {
    pub(crate) config: RoleConfig,
    current: Mutex<Current>,
}

impl Roles {
    pub(crate) fn new(config: RoleConfig) -> Arc<Roles> {
        let current = Current {
            master: config.master,
            generation_id: config.generation_id,
        };
        Arc::new(Roles {
            config,
            current: Mutex::new(current),
        })
    }

    pub(crate) fn current(&self) -> Current {
        *self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn set(&self, c: Current) {
        *self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = c;
    }
}

fn role_of(c: Current) -> ControllerRole {
    if c.master {
        ControllerRole::MASTER
    } else {
        ControllerRole::SLAVE
    }
}

/// Tells `dp` our role (on MAIN, and on every change); the answer is logged.
pub(crate) fn request_role(shared: &Arc<Shared>, dp: &Datapath, c: Current) {
    let body = Body::RoleRequest(Role {
        role: role_of(c),
        generation_id: c.generation_id,
    });
    let who = format!("dpid {}", dp.id());
    match dp.request(body) {
        Ok(reply) => {
            let shared = Arc::clone(shared);
            tokio::spawn(async move {
                match reply.await {
                    Ok(_) => shared.log(
                        Level::Info,
                        &who,
                        format_args!(
                            "role {} (generation {})",
                            if c.master { "MASTER" } else { "SLAVE" },
                            c.generation_id
                        ),
                    ),
                    Err(e) => shared.log(Level::Warn, &who, format_args!("role request: {e}")),
                }
            });
        }
        Err(e) => shared.log(
            Level::Warn,
            &who,
            format_args!("cannot request a role: {e}"),
        ),
    }
}

/// Whether generation id `a` is newer than `b`, as a switch orders them (OpenFlow 1.3,
/// 6.3.5: `b` is stale when `(int64_t)(b - a) < 0`): the distance modulo 2^64, read as signed.
fn newer(a: u64, b: u64) -> bool {
    i64::from_ne_bytes(a.wrapping_sub(b).to_ne_bytes()) > 0
}

/// The newer of two generation ids ([`newer`]).
fn newest(a: u64, b: u64) -> u64 {
    if newer(b, a) {
        b
    } else {
        a
    }
}

fn parse(d: &[u8]) -> Option<(u64, bool)> {
    let s = core::str::from_utf8(d).ok()?;
    let mut w = s.split_whitespace();
    if w.next()? != "sdnwire-ha" {
        return None;
    }
    let generation = w.next()?.parse().ok()?;
    let master = match w.next()? {
        "master" => true,
        "slave" => false,
        _ => return None,
    };
    Some((generation, master))
}

/// The heartbeat: sends ours, hears the peer's, claims master when the master falls silent.
/// `socket` is bound to [`RoleConfig::listen`].
pub(crate) async fn heartbeat(roles: Arc<Roles>, socket: UdpSocket, shared: Arc<Shared>) {
    let cfg = roles.config.clone();
    let period = (cfg.lease / 3).max(Duration::from_millis(10));
    let mut tick = tokio::time::interval(period);
    let mut last_master = tokio::time::Instant::now();
    let mut highest = cfg.generation_id;
    let mut buf = [0u8; 128];
    shared.log(
        Level::Info,
        "roles",
        format_args!(
            "{} (generation {}), heartbeat on {} to {}, lease {:?}",
            if cfg.master { "master" } else { "standby" },
            cfg.generation_id,
            cfg.listen,
            cfg.peer,
            cfg.lease
        ),
    );
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let c = roles.current();
                let msg = format!(
                    "sdnwire-ha {} {}",
                    c.generation_id,
                    if c.master { "master" } else { "slave" }
                );
                let _ = socket.send_to(msg.as_bytes(), cfg.peer).await;
                if !c.master && last_master.elapsed() >= cfg.lease {
                    let claimed = Current {
                        master: true,
                        generation_id: newest(highest, c.generation_id).wrapping_add(1),
                    };
                    highest = claimed.generation_id;
                    roles.set(claimed);
                    shared.log(
                        Level::Warn,
                        "roles",
                        format_args!(
                            "no heartbeat from the master for {:?}: claiming master (generation {})",
                            cfg.lease, claimed.generation_id
                        ),
                    );
                    for dp in shared.datapaths() {
                        request_role(&shared, &dp, claimed);
                    }
                }
            }
            r = socket.recv_from(&mut buf) => {
                let Ok((n, _)) = r else { continue };
                let Some((generation, master)) = parse(buf.get(..n).unwrap_or_default()) else {
                    continue;
                };
                highest = newest(highest, generation);
                if master {
                    last_master = tokio::time::Instant::now();
                    let c = roles.current();
                    if c.master && newer(generation, c.generation_id) {
                        let stepped = Current { master: false, generation_id: generation };
                        roles.set(stepped);
                        shared.log(
                            Level::Warn,
                            "roles",
                            format_args!("the other manager is master (generation {generation}): stepping down"),
                        );
                        for dp in shared.datapaths() {
                            request_role(&shared, &dp, stepped);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_ids_compare_modulo_2_64() {
        assert!(newer(2, 1));
        assert!(!newer(1, 2));
        assert!(!newer(5, 5));
        // Past u64::MAX the ids wrap, as the switch's comparison does.
        assert!(newer(0, u64::MAX));
        assert!(newer(3, u64::MAX - 3));
        assert!(!newer(u64::MAX, 0));
        assert_eq!(newest(u64::MAX, 0), 0);
        assert_eq!(newest(u64::MAX, u64::MAX - 1), u64::MAX);
        // The next id after the newest seen never overflows.
        assert_eq!(newest(u64::MAX, 7).wrapping_add(1), 8);
        assert_eq!(newest(u64::MAX, u64::MAX - 7).wrapping_add(1), 0);
    }

    #[test]
    fn heartbeat_datagrams() {
        assert_eq!(parse(b"sdnwire-ha 7 master"), Some((7, true)));
        assert_eq!(
            parse(b"sdnwire-ha 18446744073709551615 slave"),
            Some((u64::MAX, false))
        );
        assert_eq!(parse(b"sdnwire-ha 18446744073709551616 master"), None);
        assert_eq!(parse(b"sdnwire-ha -1 master"), None);
        assert_eq!(parse(b"other 1 master"), None);
        assert_eq!(parse(&[0xff, 0xfe]), None);
    }
}
