//! The heartbeat between two managers, with the test as the other manager: generation ids
//! compared and advanced modulo 2^64, as OpenFlow orders them.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod common;

use core::net::SocketAddr;
use core::time::Duration;

use common::{within, Running};
use sdnwire_controller::{Manager, ManagerConfig, RoleConfig};
use tokio::net::UdpSocket;

/// A manager with `role`, whose peer is the returned socket.
async fn manager(master: bool, generation_id: u64) -> (Running, UdpSocket, SocketAddr) {
    let peer = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    // A free port for the manager's heartbeat.
    let listen = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut roles = RoleConfig::new(master, listen, peer.local_addr().unwrap());
    roles.lease = Duration::from_millis(300);
    roles.generation_id = generation_id;
    let mut c = ManagerConfig::default();
    c.level = sdnwire_controller::Level::Error;
    c.roles = Some(roles);
    let m = Running::start(Manager::builder(c).build()).await;
    (m, peer, listen)
}

/// Waits (at most 5 s) for the manager's heartbeat `want`.
async fn heard(peer: &UdpSocket, want: &str) {
    let mut buf = [0u8; 128];
    let mut last = String::new();
    let found = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let (n, _) = peer.recv_from(&mut buf).await.unwrap();
            last = String::from_utf8_lossy(&buf[..n]).into_owned();
            if last == want {
                return;
            }
        }
    })
    .await;
    assert!(
        found.is_ok(),
        "no heartbeat {want:?}; the last was {last:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standby_claims_master_past_the_largest_generation_id() {
    within(async {
        let (m, peer, listen) = manager(false, u64::MAX - 2).await;
        heard(&peer, "sdnwire-ha 18446744073709551613 slave").await;
        // The master's generation is u64::MAX; then it falls silent.
        for _ in 0..3 {
            peer.send_to(b"sdnwire-ha 18446744073709551615 master", listen)
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // The next generation id after u64::MAX is 0 (the switch compares them modulo 2^64).
        heard(&peer, "sdnwire-ha 0 master").await;
        m.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_master_steps_down_for_a_generation_id_that_wrapped() {
    within(async {
        let (m, peer, listen) = manager(true, u64::MAX - 1).await;
        heard(&peer, "sdnwire-ha 18446744073709551614 master").await;
        // An older generation does not move it.
        peer.send_to(b"sdnwire-ha 18446744073709551610 slave", listen)
            .await
            .unwrap();
        peer.send_to(b"sdnwire-ha 18446744073709551613 master", listen)
            .await
            .unwrap();
        heard(&peer, "sdnwire-ha 18446744073709551614 master").await;
        // 2 comes after u64::MAX - 1 modulo 2^64: the other manager is the newer master.
        peer.send_to(b"sdnwire-ha 2 master", listen).await.unwrap();
        heard(&peer, "sdnwire-ha 2 slave").await;
        m.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_heartbeat_address_in_use_stops_the_manager_at_once() {
    within(async {
        let taken = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let roles = RoleConfig::new(
            false,
            taken.local_addr().unwrap(),
            "127.0.0.1:9".parse().unwrap(),
        );
        let mut c = ManagerConfig::default();
        c.level = sdnwire_controller::Level::Error;
        c.roles = Some(roles);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let run = Manager::builder(c)
            .build()
            .run(listener, core::future::pending());
        let r = tokio::time::timeout(Duration::from_secs(5), run)
            .await
            .expect("the manager stops at once");
        let e = r.unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AddrInUse, "{e}");
        assert!(e.to_string().contains("heartbeat"), "{e}");
    })
    .await;
}
