//! The tests' switches: `sdnwire-openflow`'s fake switch (sans-I/O) over a real loopback TCP
//! connection to a real manager.

#![allow(dead_code, unreachable_pub)]

use core::future::Future;
use core::net::SocketAddr;
use core::sync::atomic::{AtomicBool, Ordering};
use core::time::Duration;
use std::sync::{Arc, Mutex};

use sdnwire_controller::{Manager, ManagerHandle, QueueCounters};
use sdnwire_openflow::fake::{self, FakeSwitch};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, Notify};
use tokio::task::JoinHandle;

/// A manager running on a loopback port until [`Running::stop`].
pub struct Running {
    pub addr: SocketAddr,
    pub handle: ManagerHandle,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<Vec<(&'static str, QueueCounters)>>>,
}

impl Running {
    /// Waits (at most 10 s) until one switch is connected and in MAIN: its PORT_DESC reply
    /// is in, so that what it sends from now on reaches the MAIN handlers. (The datapath is
    /// listed from its FEATURES_REPLY on, while still in CONFIG: a PACKET_IN sent then goes
    /// to CONFIG handlers only, as in Ryu.)
    pub async fn main_datapath(&self) {
        eventually("the switch in MAIN", || {
            let dps = self.handle.datapaths();
            dps.len() == 1
                && dps
                    .iter()
                    .all(|d| d.state() == sdnwire_controller::State::Main)
        })
        .await;
    }

    pub async fn start(manager: Manager) -> Running {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let handle = manager.handle();
        let (stop, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(manager.run(listener, async {
            let _ = rx.await;
        }));
        Running {
            addr,
            handle,
            stop: Some(stop),
            task,
        }
    }

    /// Shuts the manager down; its final counters.
    pub async fn stop(mut self) -> Vec<(&'static str, QueueCounters)> {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(Duration::from_secs(10), &mut self.task)
            .await
            .expect("the manager stops within 10 s")
            .unwrap()
            .unwrap()
    }
}

/// A fake switch connected over TCP; a task moves the bytes.
pub struct Switch {
    fake: Arc<Mutex<FakeSwitch>>,
    kick: Arc<Notify>,
    got: Arc<Notify>,
    eof: Arc<Mutex<bool>>,
    reading: Arc<AtomicBool>,
    task: JoinHandle<()>,
}

impl Switch {
    pub async fn connect(addr: SocketAddr, config: fake::Config) -> Switch {
        let stream = TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let fake = Arc::new(Mutex::new(FakeSwitch::new(config)));
        let kick = Arc::new(Notify::new());
        let got = Arc::new(Notify::new());
        let eof = Arc::new(Mutex::new(false));
        let reading = Arc::new(AtomicBool::new(true));
        let task = tokio::spawn(pump(
            stream,
            Arc::clone(&fake),
            Arc::clone(&kick),
            Arc::clone(&got),
            Arc::clone(&eof),
            Arc::clone(&reading),
        ));
        Switch {
            fake,
            kick,
            got,
            eof,
            reading,
            task,
        }
    }

    /// A fake switch with datapath id `dpid` (the fake's default ports).
    pub async fn with_dpid(addr: SocketAddr, dpid: u64) -> Switch {
        let mut config = fake::Config::default();
        config.features.datapath_id = sdnwire_openflow::features::DatapathId(dpid);
        Switch::connect(addr, config).await
    }

    /// Runs `f` on the fake, then sends what it queued.
    pub fn with<T>(&self, f: impl FnOnce(&mut FakeSwitch) -> T) -> T {
        let r = f(&mut self.fake.lock().unwrap());
        self.kick.notify_one();
        r
    }

    /// Waits (at most 10 s) until `f` gives a value, checking after every read.
    pub async fn wait_for<T>(
        &self,
        what: &str,
        mut f: impl FnMut(&mut FakeSwitch) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let notified = self.got.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(v) = f(&mut self.fake.lock().unwrap()) {
                return v;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("timed out waiting for {what}");
            }
        }
    }

    /// Whether the manager closed the connection.
    pub fn eof(&self) -> bool {
        *self.eof.lock().unwrap()
    }

    /// Waits until the manager closes the connection.
    pub async fn wait_eof(&self) {
        let eof = Arc::clone(&self.eof);
        self.wait_for("the end of the connection", move |_| {
            (*eof.lock().unwrap()).then_some(())
        })
        .await;
    }

    /// Stops reading from the connection, which stays open (a switch that hangs): what the
    /// manager writes fills the sockets' buffers.
    pub fn stop_reading(&self) {
        self.reading.store(false, Ordering::SeqCst);
        self.kick.notify_one();
    }

    /// Drops the connection (the manager sees EOF).
    pub fn disconnect(self) {
        self.task.abort();
    }
}

async fn pump(
    mut stream: TcpStream,
    fake: Arc<Mutex<FakeSwitch>>,
    kick: Arc<Notify>,
    got: Arc<Notify>,
    eof: Arc<Mutex<bool>>,
    reading: Arc<AtomicBool>,
) {
    let mut buf = Vec::new();
    let mut rx = vec![0u8; 65536];
    loop {
        loop {
            let more = fake.lock().unwrap().poll_transmit(&mut buf).is_some();
            if !more {
                break;
            }
            if stream.write_all(&buf).await.is_err() {
                *eof.lock().unwrap() = true;
                got.notify_waiters();
                return;
            }
        }
        let read = reading.load(Ordering::SeqCst);
        tokio::select! {
            r = stream.read(&mut rx), if read => match r {
                Ok(0) | Err(_) => {
                    *eof.lock().unwrap() = true;
                    got.notify_waiters();
                    return;
                }
                Ok(n) => {
                    let _ = fake.lock().unwrap().handle_bytes(&rx[..n]);
                    got.notify_waiters();
                }
            },
            () = kick.notified() => {}
        }
    }
}

/// Waits (at most 10 s) until `f` holds.
pub async fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !f() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Runs `fut` with a 20 s limit.
pub async fn within<T>(fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), fut)
        .await
        .expect("the test finishes within 20 s")
}
