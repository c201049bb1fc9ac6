//! The framework against `sdnwire-openflow`'s fake switch over loopback TCP: handlers per
//! event and phase, reply futures, application events and contexts, queue overflow, timers,
//! spawned work and the shutdown.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod common;

use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;
use std::sync::{Arc, Mutex};

use common::{eventually, within, Running, Switch};
use sdnwire_controller::apps::{SimpleMonitor13, SimpleSwitch13};
use sdnwire_controller::{
    App, Ctx, Handlers, Manager, ManagerConfig, OfEvent, OfKind, Phases, QueueOverflow,
    RequestError, Service, State,
};
use sdnwire_openflow::action::Action;
use sdnwire_openflow::error_msg::{BadRequestCode, ErrorMsg};
use sdnwire_openflow::fake;
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::multipart::{
    FlowStats, MultipartReplyBody, MultipartRequest, MultipartRequestBody,
};
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::packet_out::PacketOut;
use sdnwire_openflow::{Body, MsgType, PortNo, OFPCML_NO_BUFFER};

const ARP_REQUEST: &[u8] = include_bytes!("../../packet/testdata/ping_arp_request.bin");

type Log = Arc<Mutex<Vec<String>>>;

fn log() -> Log {
    Arc::new(Mutex::new(Vec::new()))
}

fn lines(l: &Log) -> Vec<String> {
    l.lock().unwrap().clone()
}

fn config() -> ManagerConfig {
    let mut c = ManagerConfig::default();
    c.level = sdnwire_controller::Level::Warn;
    c
}

// ------------------------------------------------------------------ handlers and phases

/// Records every event it registered for, with its phase.
struct Recorder {
    log: Log,
}

impl Recorder {
    fn record(&mut self, _cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        let kind = match OfKind::of(&ev.event).unwrap() {
            OfKind::Message(t) => format!("{t}"),
            k => format!("{k:?}"),
        };
        self.log
            .lock()
            .unwrap()
            .push(format!("{kind} in {} of {}", ev.phase, ev.dpid()));
    }

    fn wrong_phase(&mut self, _cx: &mut Ctx<'_, Self>, _ev: &OfEvent) {
        self.log.lock().unwrap().push("wrong phase".into());
    }
}

impl App for Recorder {
    const NAME: &'static str = "recorder";

    fn register(h: &mut Handlers<Self>) {
        h.on_state_change(Phases::ALL, Self::record);
        h.on(OfKind::SwitchFeatures, State::Config, Self::record);
        h.on(OfKind::PortsKnown, Phases::ALL, Self::record);
        h.on_message(MsgType::PACKET_IN, State::Main, Self::record);
        // Ryu's handlers for one phase never see another's events.
        h.on_message(
            MsgType::PACKET_IN,
            [State::Config, State::Dead],
            Self::wrong_phase,
        );
        h.on(OfKind::SwitchFeatures, State::Main, Self::wrong_phase);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handlers_see_their_events_in_their_phases() {
    within(async {
        let l = log();
        let mut b = Manager::builder(config());
        b.add(Recorder {
            log: Arc::clone(&l),
        })
        .unwrap();
        let m = Running::start(b.build()).await;
        let sw = Switch::with_dpid(m.addr, 7).await;
        eventually("MAIN", || lines(&l).len() >= 4).await;
        sw.with(|f| f.packet_in(2u32, ARP_REQUEST.to_vec()).unwrap());
        eventually("the PACKET_IN", || lines(&l).len() >= 5).await;
        assert_eq!(m.handle.datapaths().len(), 1);
        sw.disconnect();
        eventually("DEAD", || lines(&l).len() >= 6).await;
        assert_eq!(
            lines(&l),
            [
                "StateChanged in CONFIG of 0000000000000000",
                "SwitchFeatures in CONFIG of 0000000000000007",
                "PortsKnown in CONFIG of 0000000000000007",
                "StateChanged in MAIN of 0000000000000007",
                "OFPT_PACKET_IN in MAIN of 0000000000000007",
                "StateChanged in DEAD of 0000000000000007",
            ]
        );
        eventually("the switch forgotten", || m.handle.datapaths().is_empty()).await;
        m.stop().await;
    })
    .await;
}

/// A reply future dropped before the switch answers (a timeout around it, as ofctl_rest
/// does) withdraws its request: a switch that never answers does not use up the connection's
/// outstanding requests, and its late reply does no harm.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_reply_future_withdraws_its_request() {
    within(async {
        let mut b = Manager::builder(config());
        b.add(SimpleSwitch13::new()).unwrap();
        let m = Running::start(b.build()).await;
        let sw = Switch::with_dpid(m.addr, 9).await;
        sw.with(|f| f.set_answer(MsgType::GET_CONFIG_REQUEST, false));
        eventually("the switch", || m.handle.datapaths().len() == 1).await;
        let dp = m.handle.datapaths().remove(0);
        eventually("the handshake's requests answered", || {
            dp.with_connection(|c| c.outstanding_requests()) == 0
        })
        .await;
        let fut = dp.request(Body::GetConfigRequest).unwrap();
        let xid = fut.xid();
        assert_eq!(dp.with_connection(|c| c.outstanding_requests()), 1);
        let timed_out = tokio::time::timeout(Duration::from_millis(50), fut).await;
        assert!(timed_out.is_err(), "the switch was told not to answer");
        assert_eq!(dp.with_connection(|c| c.outstanding_requests()), 0);
        // A reply that comes after all is an ordinary message: nothing waits for it.
        sw.with(|f| {
            f.send_message(&sdnwire_openflow::Message {
                xid,
                body: Body::GetConfigReply(Default::default()),
            })
            .unwrap()
        });
        // A completed future leaves nothing behind either.
        sw.with(|f| f.set_answer(MsgType::GET_CONFIG_REQUEST, true));
        let answered = dp.request(Body::GetConfigRequest).unwrap().await;
        assert!(answered.is_ok(), "{answered:?}");
        assert_eq!(dp.with_connection(|c| c.outstanding_requests()), 0);
        m.stop().await;
    })
    .await;
}

// ------------------------------------------------------------------ reply futures

/// On MAIN: three requests whose replies come back through futures, one as an event.
struct Asker {
    log: Log,
}

impl Asker {
    fn main(&mut self, cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        let dp = &ev.datapath;
        let desc = dp
            .request(Body::MultipartRequest(MultipartRequest::desc()))
            .unwrap();
        cx.spawn(desc.merged(), |app: &mut Self, _cx, r| {
            let line = match r {
                Ok(MultipartReplyBody::Desc(d)) => {
                    format!("desc {}", *d == fake::Config::default().desc)
                }
                other => format!("desc? {other:?}"),
            };
            app.log.lock().unwrap().push(line);
        });
        let flows = MultipartRequest::flow_stats(Match::new(), sdnwire_openflow::TableId::ALL);
        let flows = dp.request(Body::MultipartRequest(flows)).unwrap();
        cx.spawn(flows.merged(), |app: &mut Self, _cx, r| {
            let line = match r {
                Ok(MultipartReplyBody::Flow(f)) => format!("{} flows", f.len()),
                other => format!("flows? {other:?}"),
            };
            app.log.lock().unwrap().push(line);
        });
        let config = dp.request(Body::GetConfigRequest).unwrap();
        cx.spawn(config, |app: &mut Self, _cx, r| {
            let line = match r {
                Err(RequestError::Failed { request, .. }) => format!("{request} refused"),
                other => format!("config? {other:?}"),
            };
            app.log.lock().unwrap().push(line);
        });
        dp.request_event(Body::MultipartRequest(MultipartRequest::port_stats(
            PortNo::ANY,
        )))
        .unwrap();
    }

    fn reply_event(&mut self, _cx: &mut Ctx<'_, Self>, ev: &OfEvent) {
        if let sdnwire_openflow::Event::Reply { reply, .. } = &*ev.event {
            let n = match reply.merged() {
                Ok(Some(MultipartReplyBody::PortStats(p))) => p.len(),
                _ => 999,
            };
            self.log
                .lock()
                .unwrap()
                .push(format!("port stats event: {n}"));
        }
    }
}

impl App for Asker {
    const NAME: &'static str = "asker";

    fn register(h: &mut Handlers<Self>) {
        h.on_state_change(State::Main, Self::main);
        h.on(
            OfKind::Reply(MsgType::MULTIPART_REQUEST),
            State::Main,
            Self::reply_event,
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_come_back_as_futures_multipart_reassembled() {
    within(async {
        let l = log();
        let mut b = Manager::builder(config());
        b.add(Asker {
            log: Arc::clone(&l),
        })
        .unwrap();
        let m = Running::start(b.build()).await;
        let mut cfg = fake::Config::default();
        cfg.features.datapath_id = sdnwire_openflow::features::DatapathId(3);
        let sw = Switch::connect(m.addr, cfg).await;
        let flow = |p| FlowStats::new(p, Match::new(), vec![]);
        sw.with(|f| {
            // Three parts, REPLY_MORE on the first two.
            f.set_reply_parts(vec![
                MultipartReplyBody::Flow(vec![flow(1), flow(2)]),
                MultipartReplyBody::Flow(vec![flow(3)]),
                MultipartReplyBody::Flow(vec![flow(4), flow(5)]),
            ]);
            f.set_reply(MultipartReplyBody::PortStats(vec![Default::default(); 3]));
            f.set_answer(MsgType::GET_CONFIG_REQUEST, false);
        });
        let xid = sw
            .wait_for("GET_CONFIG_REQUEST", |f| {
                f.received()
                    .find(|m| m.body == Body::GetConfigRequest)
                    .map(|m| m.xid)
            })
            .await;
        sw.with(|f| {
            f.error(xid, ErrorMsg::new(BadRequestCode::BAD_TYPE, vec![]))
                .unwrap()
        });
        eventually("four answers", || lines(&l).len() >= 4).await;
        let mut got = lines(&l);
        got.sort();
        assert_eq!(
            got,
            [
                "5 flows",
                "OFPT_GET_CONFIG_REQUEST refused",
                "desc true",
                "port stats event: 3"
            ]
        );
        m.stop().await;
    })
    .await;
}

// ------------------------------------------------------------------ events between apps, contexts

/// An application event.
#[derive(Debug)]
struct Seen {
    dpid: u64,
    n: u64,
}

/// A context: counts what its users tell it; its handle is the counter.
struct Counter {
    count: Arc<AtomicU64>,
}

impl App for Counter {
    const NAME: &'static str = "counter";

    fn register(h: &mut Handlers<Self>) {
        h.on_event::<Seen>(|app, _cx, ev| {
            app.count.fetch_add(ev.n, Ordering::SeqCst);
        });
    }
}

impl Service for Counter {
    type Handle = Arc<AtomicU64>;

    fn handle(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.count)
    }
}

/// Publishes a `Seen` per PACKET_IN.
struct Publisher {
    n: u64,
}

impl App for Publisher {
    const NAME: &'static str = "publisher";

    fn register(h: &mut Handlers<Self>) {
        h.on_message(MsgType::PACKET_IN, State::Main, |app, cx, ev| {
            app.n += 1;
            let delivered = cx.publish(Seen {
                dpid: ev.dpid().0,
                n: 1,
            });
            assert_eq!(delivered, 2, "the context and the subscriber");
        });
    }
}

/// Requires the counter; subscribes to `Seen`.
struct Subscriber {
    counter: Arc<AtomicU64>,
    log: Log,
}

impl App for Subscriber {
    const NAME: &'static str = "subscriber";

    fn register(h: &mut Handlers<Self>) {
        h.on_event::<Seen>(|app, _cx, ev| {
            let c = app.counter.load(Ordering::SeqCst);
            app.log
                .lock()
                .unwrap()
                .push(format!("seen on {} ({c} so far)", ev.dpid));
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_events_reach_subscribers_and_contexts_are_shared() {
    within(async {
        let l = log();
        let mut b = Manager::builder(config());
        let counter = b
            .context(|| Counter {
                count: Arc::new(AtomicU64::new(0)),
            })
            .unwrap();
        b.add(Publisher { n: 0 }).unwrap();
        b.add(Subscriber {
            counter: Arc::clone(&counter),
            log: Arc::clone(&l),
        })
        .unwrap();
        // A second application requiring it gets the same one: it is not made again.
        let again = b.context(|| -> Counter { panic!("made twice") }).unwrap();
        assert!(Arc::ptr_eq(&counter, &again));
        assert_eq!(b.names(), ["counter", "publisher", "subscriber"]);
        assert!(matches!(
            b.add(Publisher { n: 0 }),
            Err(sdnwire_controller::BuildError::Duplicate("publisher"))
        ));
        let m = Running::start(b.build()).await;
        let sw = Switch::with_dpid(m.addr, 9).await;
        sw.wait_for("MAIN", |f| f.flow_mods().is_empty().then_some(()))
            .await;
        m.main_datapath().await;
        for _ in 0..3 {
            sw.with(|f| f.packet_in(1u32, ARP_REQUEST.to_vec()).unwrap());
        }
        eventually("three events", || {
            counter.load(Ordering::SeqCst) == 3 && lines(&l).len() == 3
        })
        .await;
        assert!(lines(&l).iter().all(|s| s.starts_with("seen on 9")));
        let q = m.stop().await;
        let sub = q.iter().find(|(n, _)| *n == "subscriber").unwrap().1;
        assert_eq!((sub.queued, sub.handled, sub.dropped), (3, 3, 0));
    })
    .await;
}

// ------------------------------------------------------------------ overflow

/// Takes 20 ms per PACKET_IN; writes down what it was told of its overflows.
struct Slow {
    handled: Arc<AtomicU64>,
    reported: Arc<AtomicU64>,
}

impl App for Slow {
    const NAME: &'static str = "slow";

    fn register(h: &mut Handlers<Self>) {
        h.on_message(MsgType::PACKET_IN, State::Main, |app, _cx, _ev| {
            std::thread::sleep(Duration::from_millis(20));
            app.handled.fetch_add(1, Ordering::SeqCst);
        });
    }

    fn on_overflow(&mut self, _cx: &mut Ctx<'_, Self>, o: QueueOverflow) {
        assert_eq!(o.capacity, 8);
        self.reported.fetch_add(o.dropped, Ordering::SeqCst);
    }
}

/// Answers every PACKET_IN with a PACKET_OUT at once.
struct Fast;

impl App for Fast {
    const NAME: &'static str = "fast";

    fn register(h: &mut Handlers<Self>) {
        h.on_message(MsgType::PACKET_IN, State::Main, |_app, _cx, ev| {
            let out = PacketOut::new(PortNo::CONTROLLER).action(Action::output(PortNo::FLOOD));
            ev.datapath.send(Body::PacketOut(out)).unwrap();
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_is_counted_and_reported_and_the_others_go_on() {
    within(async {
        let (handled, reported) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let mut c = config();
        c.level = sdnwire_controller::Level::Error;
        let mut b = Manager::builder(c);
        // The slow one's queue is short; the others keep the default.
        b.queue_len::<Slow>(8);
        b.add(Slow {
            handled: Arc::clone(&handled),
            reported: Arc::clone(&reported),
        })
        .unwrap();
        b.add(Fast).unwrap();
        let m = Running::start(b.build()).await;
        let sw = Switch::with_dpid(m.addr, 1).await;
        m.main_datapath().await;
        const N: usize = 200;
        // One at a time: the fast one answers each while the slow one is still at its first
        // few, and its queue overflows.
        for i in 1..=N {
            sw.with(|f| f.packet_in(1u32, ARP_REQUEST.to_vec()).unwrap());
            sw.wait_for("the PACKET_OUT", |f| {
                (f.packet_outs().len() == i).then_some(())
            })
            .await;
        }
        let slow = m.handle.queue("slow").unwrap();
        assert!(slow.dropped > 0, "{slow:?}");
        assert_eq!(slow.queued + slow.dropped, N as u64, "{slow:?}");
        assert_eq!(m.handle.queue("fast").unwrap().dropped, 0);
        assert_eq!(m.handle.queue("fast").unwrap().capacity, 4096);
        assert_eq!(slow.capacity, 8);
        // Every drop is reported to the application, once it has time.
        eventually("the overflow reported", || {
            reported.load(Ordering::SeqCst) == slow.dropped
        })
        .await;
        let q = m.stop().await;
        let slow_end = q.iter().find(|(n, _)| *n == "slow").unwrap().1;
        // Nothing queued is lost: the shutdown lets it handle its queue.
        assert_eq!(slow_end.handled, slow_end.queued);
        assert_eq!(handled.load(Ordering::SeqCst), slow_end.queued);
    })
    .await;
}

// ------------------------------------------------------------------ timers, spawn, shutdown

/// Counts timer ticks; notes its stop.
struct Ticker {
    ticks: Arc<AtomicU64>,
    stopped: Arc<AtomicU64>,
    seen_dead: Log,
}

impl Ticker {
    fn tick(&mut self, cx: &mut Ctx<'_, Self>) {
        self.ticks.fetch_add(1, Ordering::SeqCst);
        cx.after(Duration::from_millis(5), Self::tick);
    }
}

impl App for Ticker {
    const NAME: &'static str = "ticker";

    fn register(h: &mut Handlers<Self>) {
        h.on_state_change(State::Dead, |app, _cx, ev| {
            app.seen_dead.lock().unwrap().push(format!("{}", ev.dpid()));
        });
    }

    fn start(&mut self, cx: &mut Ctx<'_, Self>) {
        cx.after(Duration::from_millis(5), Self::tick);
        // A timer taken back never fires.
        let t = cx.after(Duration::from_millis(1), |_: &mut Self, _| {
            panic!("cancelled")
        });
        assert!(cx.cancel(t));
        // Spawned work's result comes back on the application's thread.
        cx.spawn(async { 40 + 2 }, |app: &mut Self, _cx, v| {
            app.ticks.fetch_add(v * 1000, Ordering::SeqCst);
        });
    }

    fn stop(&mut self, _cx: &mut Ctx<'_, Self>) {
        self.stopped.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timers_spawned_work_and_a_clean_shutdown() {
    within(async {
        let (ticks, stopped) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let dead = log();
        let mut b = Manager::builder(config());
        b.add(Ticker {
            ticks: Arc::clone(&ticks),
            stopped: Arc::clone(&stopped),
            seen_dead: Arc::clone(&dead),
        })
        .unwrap();
        let m = Running::start(b.build()).await;
        let sw = Switch::with_dpid(m.addr, 5).await;
        m.main_datapath().await;
        eventually("ticks and the spawned result", || {
            ticks.load(Ordering::SeqCst) >= 42_003
        })
        .await;
        m.stop().await;
        // The switch was told goodbye; the application saw it die, then stopped.
        sw.wait_eof().await;
        assert_eq!(lines(&dead), ["0000000000000005"]);
        assert_eq!(stopped.load(Ordering::SeqCst), 1);
        let after = ticks.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert_eq!(
            ticks.load(Ordering::SeqCst),
            after,
            "no timer after the stop"
        );
    })
    .await;
}

// ------------------------------------------------------------------ the book's applications

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_hub_and_one_monitor_over_two_switches() {
    within(async {
        let mut b = Manager::builder(config());
        b.add(SimpleSwitch13::new()).unwrap();
        b.add(SimpleMonitor13::new(Duration::from_millis(50), true))
            .unwrap();
        let m = Running::start(b.build()).await;
        let s1 = Switch::with_dpid(m.addr, 1).await;
        let s2 = Switch::with_dpid(m.addr, 2).await;
        let miss = FlowMod::add()
            .priority(0)
            .matching(Match::new())
            .apply_actions([Action::output_to_controller(OFPCML_NO_BUFFER)]);
        for sw in [&s1, &s2] {
            sw.wait_for("the table-miss flow", |f| {
                f.flow_mods().first().cloned()
            })
            .await;
            assert_eq!(sw.with(|f| f.flow_mods().to_vec()), core::slice::from_ref(&miss));
            // The one monitor asks both switches, round after round.
            sw.wait_for("two rounds of stats requests", |f| {
                let n = f
                    .received()
                    .filter(|m| matches!(&m.body, Body::MultipartRequest(r) if matches!(r.body, MultipartRequestBody::PortStats { .. })))
                    .count();
                (n >= 2).then_some(())
            })
            .await;
        }
        // The hub floods the unknown, per switch.
        s2.with(|f| f.packet_in(3u32, ARP_REQUEST.to_vec()).unwrap());
        let po = s2
            .wait_for("the PACKET_OUT", |f| f.packet_outs().first().cloned())
            .await;
        assert_eq!(po.actions, [Action::output(PortNo::FLOOD)]);
        assert!(s1.with(|f| f.packet_outs().is_empty()));
        m.stop().await;
    })
    .await;
}

// ------------------------------------------------------------------ a panicking handler

/// Panics on its first PACKET_IN, counts the others.
struct Fragile {
    seen: Arc<AtomicU64>,
}

impl App for Fragile {
    const NAME: &'static str = "fragile";

    fn register(h: &mut Handlers<Self>) {
        h.on_message(MsgType::PACKET_IN, State::Main, |app, _cx, _ev| {
            if app.seen.fetch_add(1, Ordering::SeqCst) == 0 {
                panic!("the first packet breaks this handler");
            }
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_does_not_stop_its_application() {
    within(async {
        let seen = Arc::new(AtomicU64::new(0));
        let mut c = config();
        c.level = sdnwire_controller::Level::Error;
        let mut b = Manager::builder(c);
        b.add(Fragile {
            seen: Arc::clone(&seen),
        })
        .unwrap();
        let m = Running::start(b.build()).await;
        let sw = Switch::with_dpid(m.addr, 1).await;
        m.main_datapath().await;
        for _ in 0..3 {
            sw.with(|f| f.packet_in(1u32, ARP_REQUEST.to_vec()).unwrap());
        }
        eventually("three PACKET_INs handled", || {
            seen.load(Ordering::SeqCst) == 3
        })
        .await;
        let q = m.stop().await;
        assert_eq!(q[0].1.handled, q[0].1.queued);
    })
    .await;
}
