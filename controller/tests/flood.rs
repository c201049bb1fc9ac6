//! The flood test: an application that cannot keep up (2 ms per PACKET_IN) gets its queue's
//! overflow counted and reported, while another application's PACKET_IN handling (PACKET_IN
//! to PACKET_OUT, measured at the switch over loopback TCP) stays within 2x of a run without
//! the slow one. A test binary of its own, so that no other test shares the machine's cores
//! with its measurement.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod common;

use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;
use std::sync::Arc;

use common::{eventually, Running, Switch};
use sdnwire_controller::{App, Ctx, Handlers, Manager, ManagerConfig, QueueOverflow, State};
use sdnwire_openflow::action::Action;
use sdnwire_openflow::packet_out::PacketOut;
use sdnwire_openflow::{Body, MsgType, PortNo};

const ARP_REQUEST: &[u8] = include_bytes!("../../packet/testdata/ping_arp_request.bin");

/// Answers every PACKET_IN with a PACKET_OUT at once.
struct Fast;

impl App for Fast {
    const NAME: &'static str = "fast";

    fn register(h: &mut Handlers<Self>) {
        h.on_message(MsgType::PACKET_IN, State::Main, |_app, _cx, ev| {
            let Some(Ok(pin)) = ev.packet_in() else {
                return;
            };
            let out = PacketOut::from_packet_in(&pin, vec![Action::output(PortNo::FLOOD)]);
            ev.datapath.send(Body::PacketOut(out)).unwrap();
        });
    }
}

/// Takes 2 ms per PACKET_IN (a handler blocked on something slow).
struct Slow {
    reported: Arc<AtomicU64>,
}

impl App for Slow {
    const NAME: &'static str = "slow";

    fn register(h: &mut Handlers<Self>) {
        h.on_message(MsgType::PACKET_IN, State::Main, |_app, _cx, _ev| {
            std::thread::sleep(Duration::from_millis(2));
        });
    }

    fn on_overflow(&mut self, _cx: &mut Ctx<'_, Self>, o: QueueOverflow) {
        self.reported.fetch_add(o.dropped, Ordering::SeqCst);
    }
}

const WARMUP: usize = 200;
const N: usize = 2000;

/// The round trips of N PACKET_INs, one at a time; the slow application's queue counters and
/// what it was told of its overflow, when it runs.
async fn run(
    with_slow: bool,
) -> (
    Vec<Duration>,
    Option<(sdnwire_controller::QueueCounters, u64)>,
) {
    let mut c = ManagerConfig::default();
    c.queue_len = 256;
    c.level = sdnwire_controller::Level::Error;
    let mut b = Manager::builder(c);
    b.add(Fast).unwrap();
    let reported = Arc::new(AtomicU64::new(0));
    if with_slow {
        b.add(Slow {
            reported: Arc::clone(&reported),
        })
        .unwrap();
    }
    let m = Running::start(b.build()).await;
    let sw = Switch::with_dpid(m.addr, 1).await;
    m.main_datapath().await;
    let mut rtts = Vec::with_capacity(N);
    for i in 1..=WARMUP + N {
        let t = std::time::Instant::now();
        sw.with(|f| f.packet_in(1u32, ARP_REQUEST.to_vec()).unwrap());
        sw.wait_for("the PACKET_OUT", |f| {
            (f.packet_outs().len() == i).then_some(())
        })
        .await;
        if i > WARMUP {
            rtts.push(t.elapsed());
        }
    }
    let slow = if with_slow {
        let q = m.handle.queue("slow").unwrap();
        eventually("the overflow reported", || {
            reported.load(Ordering::SeqCst) == m.handle.queue("slow").unwrap().dropped
        })
        .await;
        Some((q, reported.load(Ordering::SeqCst)))
    } else {
        None
    };
    // The slow one's queue is still full: the shutdown waits for it to be handled.
    m.stop().await;
    rtts.sort();
    (rtts, slow)
}

fn pct(v: &[Duration], p: usize) -> Duration {
    v[(v.len() * p / 100).min(v.len() - 1)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_application_overflows_and_the_others_keep_their_latency() {
    let (alone, none) = run(false).await;
    assert!(none.is_none());
    let (beside, slow) = run(true).await;
    let (q, reported) = slow.unwrap();
    println!(
        "PACKET_IN -> PACKET_OUT round trip over loopback, {N} one at a time:\n  \
         alone:               p50 {:?} p90 {:?} p99 {:?}\n  \
         beside a slow app:   p50 {:?} p90 {:?} p99 {:?}\n  \
         slow app: {q:?}, {reported} reported to it",
        pct(&alone, 50),
        pct(&alone, 90),
        pct(&alone, 99),
        pct(&beside, 50),
        pct(&beside, 90),
        pct(&beside, 99),
    );
    // Every PACKET_IN offered to the slow one was queued or dropped, and every drop counted
    // and reported to it.
    assert_eq!(q.queued + q.dropped, (WARMUP + N) as u64, "{q:?}");
    assert!(q.dropped > 0, "{q:?}");
    assert_eq!(reported, q.dropped);
    // The others' latency: the median within 2x of the run without the slow one.
    assert!(
        pct(&beside, 50) <= pct(&alone, 50) * 2,
        "p50 {:?} beside the slow one, {:?} alone",
        pct(&beside, 50),
        pct(&alone, 50)
    );
}
