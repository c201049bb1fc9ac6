//! A switch that stops reading while the controller writes to it: the connection's task is not
//! stuck in the write for ever, the switch is declared dead once it has read nothing for the
//! keepalive's interval and timeout, and the applications see it die.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod common;

use core::time::Duration;
use std::sync::{Arc, Mutex};

use common::{eventually, within, Running, Switch};
use sdnwire_controller::{App, Ctx, Handlers, Manager, ManagerConfig, State};
use sdnwire_openflow::action::Action;
use sdnwire_openflow::packet_out::PacketOut;
use sdnwire_openflow::{Body, PortNo};

type Log = Arc<Mutex<Vec<String>>>;

/// Sends PACKET_OUTs to every switch as fast as they are taken.
struct Blaster {
    log: Log,
}

impl Blaster {
    fn blast(&mut self, cx: &mut Ctx<'_, Self>) {
        for dp in cx.datapaths() {
            for _ in 0..64 {
                let out = PacketOut::new(PortNo::CONTROLLER)
                    .action(Action::output(PortNo::FLOOD))
                    .data(vec![0u8; 1400]);
                if dp.send(Body::PacketOut(out)).is_err() {
                    break;
                }
            }
        }
        cx.after(Duration::from_millis(1), Self::blast);
    }
}

impl App for Blaster {
    const NAME: &'static str = "blaster";

    fn register(h: &mut Handlers<Self>) {
        h.on_state_change([State::Main, State::Dead], |app, _, ev| {
            app.log.lock().unwrap().push(format!("{}", ev.phase));
        });
    }

    fn start(&mut self, cx: &mut Ctx<'_, Self>) {
        cx.after(Duration::from_millis(1), Self::blast);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_switch_that_stops_reading_is_declared_dead() {
    within(async {
        let log: Log = Arc::default();
        let mut c = ManagerConfig::default();
        c.level = sdnwire_controller::Level::Error;
        c.connection.echo_interval = Duration::from_millis(300);
        c.connection.echo_timeout = Duration::from_millis(300);
        let mut b = Manager::builder(c);
        b.add(Blaster {
            log: Arc::clone(&log),
        })
        .unwrap();
        let m = Running::start(b.build()).await;
        let sw = Switch::with_dpid(m.addr, 3).await;
        eventually("MAIN", || log.lock().unwrap().len() == 1).await;
        sw.stop_reading();
        let stalled = std::time::Instant::now();
        eventually("the switch dead", || log.lock().unwrap().len() == 2).await;
        assert_eq!(*log.lock().unwrap(), ["MAIN", "DEAD"]);
        // Within the keepalive's interval and timeout of the last progress, give or take.
        assert!(
            stalled.elapsed() < Duration::from_secs(5),
            "{:?}",
            stalled.elapsed()
        );
        assert!(m.handle.datapaths().is_empty());
        m.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_switch_aborted_at_the_shutdown_is_seen_to_die() {
    within(async {
        let log: Log = Arc::default();
        let mut c = ManagerConfig::default();
        c.level = sdnwire_controller::Level::Error;
        c.shutdown_timeout = Duration::from_millis(200);
        let mut b = Manager::builder(c);
        b.add(Blaster {
            log: Arc::clone(&log),
        })
        .unwrap();
        let m = Running::start(b.build()).await;
        let sw = Switch::with_dpid(m.addr, 4).await;
        eventually("MAIN", || log.lock().unwrap().len() == 1).await;
        // Its task is held in a write (the keepalive gives it 10 s) when the shutdown comes.
        sw.stop_reading();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let handle = m.handle.clone();
        let t = std::time::Instant::now();
        m.stop().await;
        assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
        assert_eq!(*log.lock().unwrap(), ["MAIN", "DEAD"]);
        assert!(handle.datapaths().is_empty());
    })
    .await;
}
