//! An application's thread under load: timers and spawned work's continuations keep running
//! while its queue never empties, a timer set again for now does not keep the thread, and the
//! shutdown ends even when handlers keep queueing events.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod common;

use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use core::time::Duration;
use std::sync::Arc;

use common::{eventually, within, Running, Switch};
use sdnwire_controller::{App, Ctx, Handlers, Manager, ManagerConfig, State};

fn config() -> ManagerConfig {
    let mut c = ManagerConfig::default();
    c.level = sdnwire_controller::Level::Error;
    c
}

/// An event the spinner publishes to itself.
struct Spin;

/// Keeps its own queue busy for ever: each Spin it handles publishes another.
struct Spinner {
    spins: Arc<AtomicU64>,
    timer: Arc<AtomicBool>,
    continued: Arc<AtomicBool>,
}

impl App for Spinner {
    const NAME: &'static str = "spinner";

    fn register(h: &mut Handlers<Self>) {
        h.on_event(|app: &mut Self, cx, _: &Spin| {
            app.spins.fetch_add(1, Ordering::SeqCst);
            cx.publish(Spin);
        });
    }

    fn start(&mut self, cx: &mut Ctx<'_, Self>) {
        cx.publish(Spin);
        cx.publish(Spin);
        cx.after(Duration::from_millis(20), |app: &mut Self, _| {
            app.timer.store(true, Ordering::SeqCst);
        });
        cx.spawn(
            async { tokio::time::sleep(Duration::from_millis(20)).await },
            |app: &mut Self, _, ()| app.continued.store(true, Ordering::SeqCst),
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queue_that_never_empties_starves_neither_timers_nor_continuations() {
    within(async {
        let spinner = Spinner {
            spins: Arc::new(AtomicU64::new(0)),
            timer: Arc::new(AtomicBool::new(false)),
            continued: Arc::new(AtomicBool::new(false)),
        };
        let (spins, timer, continued) = (
            Arc::clone(&spinner.spins),
            Arc::clone(&spinner.timer),
            Arc::clone(&spinner.continued),
        );
        let mut b = Manager::builder(config());
        b.queue_len::<Spinner>(4);
        b.add(spinner).unwrap();
        let m = Running::start(b.build()).await;
        eventually("the queue busy", || spins.load(Ordering::SeqCst) > 1000).await;
        eventually("the timer, the queue still busy", || {
            timer.load(Ordering::SeqCst)
        })
        .await;
        eventually(
            "the spawned work's continuation, the queue still busy",
            || continued.load(Ordering::SeqCst),
        )
        .await;
        // The stop ends although each event handled queues another.
        m.stop().await;
        let after = spins.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(spins.load(Ordering::SeqCst), after);
    })
    .await;
}

/// A timer that sets itself again with no delay (Ryu's `hub.sleep(0)` in a loop).
struct Rearm {
    ticks: Arc<AtomicU64>,
    main: Arc<AtomicBool>,
}

impl Rearm {
    fn tick(&mut self, cx: &mut Ctx<'_, Self>) {
        self.ticks.fetch_add(1, Ordering::SeqCst);
        cx.after(Duration::ZERO, Self::tick);
    }
}

impl App for Rearm {
    const NAME: &'static str = "rearm";

    fn register(h: &mut Handlers<Self>) {
        h.on_state_change(State::Main, |app, _, _| {
            app.main.store(true, Ordering::SeqCst);
        });
    }

    fn start(&mut self, cx: &mut Ctx<'_, Self>) {
        cx.after(Duration::ZERO, Self::tick);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timer_set_again_for_now_leaves_room_for_events() {
    within(async {
        let (ticks, main) = (
            Arc::new(AtomicU64::new(0)),
            Arc::new(AtomicBool::new(false)),
        );
        let mut b = Manager::builder(config());
        b.add(Rearm {
            ticks: Arc::clone(&ticks),
            main: Arc::clone(&main),
        })
        .unwrap();
        let m = Running::start(b.build()).await;
        eventually("ticks", || ticks.load(Ordering::SeqCst) > 100).await;
        let _sw = Switch::with_dpid(m.addr, 1).await;
        eventually("the switch's MAIN, between ticks", || {
            main.load(Ordering::SeqCst)
        })
        .await;
        m.stop().await;
    })
    .await;
}
