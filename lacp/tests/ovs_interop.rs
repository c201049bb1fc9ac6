//! Interoperation with an independent LACP: Open vSwitch's bond (`lacp=active`) over two dummy
//! ports whose other ends are unix sockets driven by our [`sdnwire_lacp::Bond`] in real time.
//!
//! Each test starts its own userspace OVS (`sdnwire_testkit::ovs::Ovs`: dummy datapath, every
//! file in a private directory, no kernel module, no change to the host's network) and a bridge
//! with a bond built by scripts/lacp-ovs-bond.sh. A thread runs the runtime side of our bond: frames
//! from the sockets go to `handle_frame`, `poll_transmit` goes to the sockets, `poll_timeout`
//! sets how long it waits. The main thread reads OVS's view with `ovs-appctl lacp/show` and
//! `lacp/show-stats` and compares it with ours.
//!
//! What the tests prove against OVS 3.1:
//! - convergence at the fast rate: both members "current attached" on OVS's side with our
//!   system, key and port numbers as its partner, both our ports collecting and distributing,
//!   within 3 fast periods; every state bit equal both ways (OVS's partner = our actor, our
//!   partner = OVS's actor); no churn afterwards; OVS transmits once a second because our
//!   timeout bit asks for it; our per-port counters equal its `lacp/show-stats`;
//! - our actor stops on one member (we keep reading): OVS expires it within 3 periods, then
//!   defaults and detaches it; we stop distributing on that port; back again when we resume;
//! - OVS stops on one member (its listener moves away, so nothing arrives any more): our side
//!   expires that port within 3 periods (current_while) while the other keeps distributing;
//! - convergence at the slow rate, then silence (no PDU either way for 3 s);
//! - passive meets passive: nothing is sent; our ports turned active: convergence;
//! - Ryu's lacplib responder ([`sdnwire_lacp::Mode::Lacplib`], what simple_switch_lacp_13 runs):
//!   OVS negotiates with it; silence disables the port, LACPDUs back enable it.
//!
//! Skipped loudly when Open vSwitch is not installed; a failure when CI=true.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::sync::atomic::{AtomicBool, Ordering};
use core::time::Duration;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread::JoinHandle;
use std::time::Instant;

use sdnwire_packet::time::Clock;

use sdnwire_lacp::{Bond, Config, Event, Mode, PortConfig, Rate, RxState};
use sdnwire_packet::slow::LacpState;
use sdnwire_packet::MacAddr;

mod ovs_common;

use ovs_common::{
    connect, parse_lacp_show, parse_lacp_stats, wait, FramedStream, LacpOvs, Ovs, ShowBond,
};

const SECOND: Duration = Duration::from_secs(1);

/// The runtime's clock: the bond's time is the time since the first use.
fn clock() -> &'static Clock {
    static CLOCK: OnceLock<Clock> = OnceLock::new();
    CLOCK.get_or_init(Clock::new)
}

/// The current time on the bond's clock.
fn lacp_now() -> sdnwire_lacp::Instant {
    clock().now()
}

/// OVS's bond: system id (the bridge's hwaddr) and its two members (OpenFlow ports 1 and 2).
const OVS_SYSTEM: &str = "02:00:00:00:0a:01";
const MEMBERS: [&str; 2] = ["p1", "p2"];
/// Ours: system id, key, and one port per member, numbered as OVS numbers its members.
const OUR_SYSTEM: MacAddr = MacAddr([0x02, 0, 0, 0, 0x0b, 0x01]);
const OUR_SYSTEM_PRIORITY: u16 = 0x8000;
const OUR_KEY: u16 = 7;
const PORTS: [u32; 2] = [1, 2];

// ------------------------------------------------------------------ the runtime side

/// What the driver thread and the test share.
struct Shared {
    bond: Bond,
    links: Vec<Link>,
    /// Every event of the bond, with the time since the driver started.
    events: Vec<(Duration, Event)>,
    /// The buffer `poll_transmit` writes each frame into.
    frame: Vec<u8>,
}

struct Link {
    port: u32,
    stream: FramedStream,
    /// Our frames go out (false: dropped, as if our transmitter had stopped).
    send: bool,
    /// Frames that arrive are handed to the bond (false: read and dropped).
    hear: bool,
    sent: u64,
    heard: u64,
}

/// Our bond driven in real time by a thread.
struct Driver {
    shared: Arc<Mutex<Shared>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    start: Instant,
}

impl Driver {
    fn spawn(bond: Bond, streams: Vec<(u32, FramedStream)>) -> Driver {
        let links = streams
            .into_iter()
            .map(|(port, stream)| Link {
                port,
                stream,
                send: true,
                hear: true,
                sent: 0,
                heard: 0,
            })
            .collect();
        let shared = Arc::new(Mutex::new(Shared {
            bond,
            links,
            events: Vec::new(),
            frame: Vec::new(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let start = Instant::now();
        let thread = {
            let (shared, stop) = (Arc::clone(&shared), Arc::clone(&stop));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    // A test that panicked holding the lock poisons it: carry on, the test is over.
                    let wake = step(&mut shared.lock().unwrap_or_else(|e| e.into_inner()), start);
                    // Wake for the bond's next timer or to look at the sockets again.
                    let now = Instant::now();
                    let nap = wake
                        .map_or(Duration::from_millis(5), |w| {
                            w.saturating_duration_since(now)
                        })
                        .min(Duration::from_millis(5));
                    std::thread::sleep(nap);
                }
            })
        };
        Driver {
            shared,
            stop,
            thread: Some(thread),
            start,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared.lock().unwrap()
    }

    fn set_send(&self, port: u32, on: bool) {
        let mut s = self.lock();
        s.links.iter_mut().find(|l| l.port == port).unwrap().send = on;
    }

    fn events(&self) -> Vec<(Duration, Event)> {
        self.lock().events.clone()
    }

    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// The latest collecting and distributing state the events gave for `port`.
    fn coll_dist(&self, port: u32) -> (bool, bool) {
        coll_dist(&self.events(), port, Duration::ZERO)
    }

    fn describe(&self) -> String {
        let s = self.lock();
        let links: Vec<String> = s
            .links
            .iter()
            .map(|l| {
                format!(
                    "port {}: sent {} heard {} send={} eof={} state {:?}",
                    l.port,
                    l.sent,
                    l.heard,
                    l.send,
                    l.stream.eof(),
                    s.bond.port_state(l.port)
                )
            })
            .collect();
        let events: Vec<String> = s
            .events
            .iter()
            .map(|(t, e)| format!("  {:>8.3}s {e:?}", t.as_secs_f64()))
            .collect();
        format!(
            "--- our bond:\n{}\n--- our events:\n{}",
            links.join("\n"),
            events.join("\n")
        )
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// One turn of the runtime: frames in, timers, frames out, events; returns the next wake-up.
fn step(s: &mut Shared, start: Instant) -> Option<Instant> {
    let std_now = Instant::now();
    let now = clock().at(std_now);
    let Shared {
        bond,
        links,
        events,
        frame: buf,
    } = s;
    for link in links.iter_mut() {
        for frame in link.stream.read_frames() {
            if link.hear {
                link.heard += 1;
                bond.handle_frame(now, link.port, &frame).unwrap();
            }
        }
    }
    bond.handle_timeout(now);
    while let Some(tx) = bond.poll_transmit(buf) {
        if let Some(link) = links.iter_mut().find(|l| l.port == tx.port) {
            if link.send && link.stream.write_frame(buf) {
                link.sent += 1;
            }
        }
    }
    while let Some(ev) = bond.poll_event() {
        events.push((std_now.saturating_duration_since(start), ev));
    }
    bond.poll_timeout().map(|t| clock().to_std(t))
}

/// Collecting and distributing of `port` after replaying the events from time `since` on
/// (both false before any event).
fn coll_dist(events: &[(Duration, Event)], port: u32, since: Duration) -> (bool, bool) {
    let mut cd = (false, false);
    for (t, e) in events {
        if *t < since {
            continue;
        }
        match *e {
            Event::Collecting { port: p, on } if p == port => cd.0 = on,
            Event::Distributing { port: p, on } if p == port => cd.1 = on,
            _ => {}
        }
    }
    cd
}

/// Our bond: two ports in `mode` at `rate`, numbered 1 and 2 as OVS numbers its members.
fn our_bond(mode: Mode, rate: Rate) -> Bond {
    let mut bond = Bond::new(
        Config::new(OUR_SYSTEM).system_priority(OUR_SYSTEM_PRIORITY),
        lacp_now(),
    );
    for port in PORTS {
        bond.add_port(port, port_config(port, mode, rate)).unwrap();
        // The dummy port's stream is our cable: up from the start.
        bond.handle_link(lacp_now(), port, true).unwrap();
    }
    bond
}

/// Our configuration of `port`.
fn port_config(port: u32, mode: Mode, rate: Rate) -> PortConfig {
    let mac = MacAddr([0x02, 0, 0, 0, 0x0b, 0x10 + u8::try_from(port).unwrap()]);
    PortConfig::new(mac)
        .key(OUR_KEY)
        .priority(0x80)
        .mode(mode)
        .rate(rate)
}

/// OVS with a bond at `rate` and our bond (ports in `mode`) connected to both members; OVS's
/// bond is passive when ours is, active otherwise.
fn setup(name: &str, mode: Mode, rate: Rate) -> Option<(Ovs, Driver)> {
    let ovs = Ovs::start(name)?;
    let ovs_rate = match rate {
        Rate::Fast => "fast",
        Rate::Slow => "slow",
    };
    let ovs_lacp = if mode == Mode::Passive {
        "passive"
    } else {
        "active"
    };
    ovs.add_bond("br0", "bond0", ovs_lacp, ovs_rate, OVS_SYSTEM, &MEMBERS);
    let streams = PORTS
        .iter()
        .zip(MEMBERS)
        .map(|(&port, m)| (port, FramedStream::new(connect(&ovs.sock(m), 10 * SECOND))))
        .collect();
    let driver = Driver::spawn(our_bond(mode, rate), streams);
    Some((ovs, driver))
}

/// The words `lacp/show` prints for a state, in its order (lib/lacp.c `lacp_print_details`).
fn state_words(state: LacpState) -> Vec<String> {
    [
        (state.activity(), "activity"),
        (state.timeout(), "timeout"),
        (state.aggregation(), "aggregation"),
        (state.synchronization(), "synchronized"),
        (state.collecting(), "collecting"),
        (state.distributing(), "distributing"),
        (state.defaulted(), "defaulted"),
        (state.expired(), "expired"),
    ]
    .into_iter()
    .filter(|&(on, _)| on)
    .map(|(_, w)| w.to_owned())
    .collect()
}

/// Whether OVS sees member `m` negotiated with us: current, attached, may_enable, and its
/// partner is our system, key and port, in sync, collecting and distributing.
fn ovs_member_up(show: &ShowBond, m: &str, our_port: u32) -> bool {
    let mem = show.member(m);
    mem.is("current")
        && mem.is("attached")
        && mem.may_enable
        && mem.partner.sys_id == OUR_SYSTEM.to_string()
        && mem.partner.sys_priority == OUR_SYSTEM_PRIORITY
        && mem.partner.key == OUR_KEY
        && u32::from(mem.partner.port_id) == our_port
        && [
            "activity",
            "aggregation",
            "synchronized",
            "collecting",
            "distributing",
        ]
        .iter()
        .all(|w| mem.partner.has(w))
}

fn context(ovs: &Ovs, driver: &Driver) -> String {
    format!(
        "--- ovs-appctl lacp/show bond0:\n{}\n--- lacp/show-stats:\n{}\n{}\n{}",
        ovs.appctl(&["lacp/show", "bond0"]),
        ovs.appctl(&["lacp/show-stats", "bond0"]),
        driver.describe(),
        ovs.log_tail()
    )
}

/// Waits until OVS and we agree that both members carry traffic; returns how long it took
/// from the driver's start.
fn wait_converged(ovs: &Ovs, driver: &Driver, within: Duration) -> Duration {
    wait(
        within,
        "convergence",
        || context(ovs, driver),
        || {
            let show = ovs.lacp_show("bond0");
            let ovs_up = MEMBERS
                .iter()
                .zip(PORTS)
                .all(|(m, p)| ovs_member_up(&show, m, p));
            let ours_up = PORTS.iter().all(|&p| driver.coll_dist(p) == (true, true));
            (ovs_up && ours_up).then(|| driver.elapsed())
        },
    )
}

// ------------------------------------------------------------------ tests

#[test]
fn fast_rate_converges_and_detects_a_stopped_member_on_both_sides() {
    let Some((ovs, driver)) = setup("fast", Mode::Active, Rate::Fast) else {
        return;
    };
    let ctx = || context(&ovs, &driver);

    // Convergence within 3 fast periods of connecting.
    let took_first = wait_converged(&ovs, &driver, 10 * SECOND);
    assert!(
        took_first <= 3 * SECOND,
        "converged after {took_first:?}\n{}",
        ctx()
    );
    let show = ovs.lacp_show("bond0");
    assert_eq!(show.sys_id, OVS_SYSTEM);
    assert_eq!(show.lacp_time, "fast");
    assert!(show.status.contains("negotiated"), "{show:#?}");
    for (m, port) in MEMBERS.iter().zip(PORTS) {
        let mem = show.member(m);
        // OVS's actor is in sync and asks for the fast rate (timeout bit).
        for w in [
            "activity",
            "timeout",
            "aggregation",
            "synchronized",
            "collecting",
        ] {
            assert!(mem.actor.has(w), "{m}: actor {:?}", mem.actor.state);
        }
        // Our partner information is OVS's actor.
        let st = driver.lock().bond.port_state(port).unwrap();
        let partner = st.partner;
        assert_eq!(partner.system.to_string(), mem.actor.sys_id, "port {port}");
        assert_eq!(partner.key, mem.actor.key, "port {port}");
        assert_eq!(partner.port, mem.actor.port_id, "port {port}");
        assert_eq!(
            partner.system_priority, mem.actor.sys_priority,
            "port {port}"
        );
        assert_eq!(
            partner.port_priority, mem.actor.port_priority,
            "port {port}"
        );
    }
    // Every state bit, both ways, read while our runtime is held still: OVS's partner state
    // is our actor state, and our partner state is OVS's actor state.
    {
        let s = driver.lock();
        let show = ovs.lacp_show("bond0");
        for (m, port) in MEMBERS.iter().zip(PORTS) {
            let mem = show.member(m);
            let st = s.bond.port_state(port).unwrap();
            assert_eq!(
                mem.partner.state,
                state_words(st.actor.state),
                "{m}: our actor"
            );
            assert_eq!(
                mem.actor.state,
                state_words(st.partner.state),
                "{m}: our partner"
            );
            assert_eq!(
                (mem.partner.port_priority, mem.partner.port_id),
                (st.actor.port_priority, st.actor.port),
                "{m}"
            );
        }
    }

    // Stable: nothing changes for 3 s, and OVS sends once a second because our timeout bit
    // asks for the fast rate (at most 3 PDUs per period, IEEE 802.1AX 6.4.16).
    let before = ovs.lacp_stats("bond0");
    let events_before = driver.events().len();
    let t0 = Instant::now();
    std::thread::sleep(3 * SECOND);
    let after = ovs.lacp_stats("bond0");
    let secs = t0.elapsed().as_secs_f64();
    assert_eq!(driver.events().len(), events_before, "churn:\n{}", ctx());
    for m in MEMBERS {
        let delta = |k: &str| after[m][k] - before[m][k];
        let tx_rate = delta("TX PDUs") as f64 / secs;
        let rx_rate = delta("RX PDUs") as f64 / secs;
        assert!((0.6..=1.7).contains(&tx_rate), "{m}: OVS sends {tx_rate}/s");
        assert!((0.6..=1.7).contains(&rx_rate), "{m}: we send {rx_rate}/s");
        for k in ["RX Bad PDUs", "Link Expired", "Link Defaulted"] {
            assert_eq!(after[m][k], 0, "{m}: {k}\n{}", ctx());
        }
    }
    // Our counters against OVS's lacp/show-stats, read while our runtime is held still: what
    // one side sent, the other received, but for at most one PDU still in the socket.
    {
        let s = driver.lock();
        let stats = ovs.lacp_stats("bond0");
        for (m, port) in MEMBERS.iter().zip(PORTS) {
            let ours = s.bond.counters(port).unwrap();
            let (ovs_tx, ovs_rx) = (stats[*m]["TX PDUs"], stats[*m]["RX PDUs"]);
            assert!(
                (0..=1).contains(&(i128::from(ovs_tx) - i128::from(ours.rx_pdus))),
                "{m}: OVS sent {ovs_tx}, we received {}",
                ours.rx_pdus
            );
            assert!(
                (0..=1).contains(&(i128::from(ours.tx_pdus) - i128::from(ovs_rx))),
                "{m}: we sent {}, OVS received {ovs_rx}",
                ours.tx_pdus
            );
            assert_eq!((ours.rx_bad, ours.link_expired), (0, 0), "{m}: {ours:?}");
        }
    }

    // Our transmitter stops on port 2 (we keep listening): OVS expires p2 within 3 periods,
    // then defaults and detaches it; p1 stays up.
    driver.set_send(2, false);
    let cut = Instant::now();
    wait(5 * SECOND, "OVS expires p2", ctx, || {
        let show = ovs.lacp_show("bond0");
        let p2 = show.member("p2");
        (!p2.is("current") && !p2.may_enable).then_some(())
    });
    let expired_after = cut.elapsed();
    // Our last PDU left at most one period before the cut: 2 to 3 s (+ polling).
    assert!(
        (2 * SECOND - SECOND / 5..=3 * SECOND + SECOND / 2).contains(&expired_after),
        "OVS saw it after {expired_after:?}"
    );
    let expired_show = ovs.appctl(&["lacp/show", "bond0"]);
    wait(8 * SECOND, "OVS defaults and detaches p2", ctx, || {
        let show = ovs.lacp_show("bond0");
        let p2 = show.member("p2");
        (p2.is("defaulted") && p2.is("detached")).then_some(())
    });
    let defaulted_after = cut.elapsed();
    // OVS's PDUs on p2 no longer say it is in sync with us: we stop distributing there.
    wait(3 * SECOND, "our port 2 stops distributing", ctx, || {
        (!driver.coll_dist(2).1).then_some(())
    });
    let show = ovs.lacp_show("bond0");
    assert!(ovs_member_up(&show, "p1", 1), "{show:#?}");
    assert_eq!(driver.coll_dist(1), (true, true), "{}", ctx());
    let stats = ovs.lacp_stats("bond0");
    assert_eq!(
        (stats["p2"]["Link Expired"], stats["p2"]["Link Defaulted"]),
        (1, 1),
        "{stats:?}"
    );
    assert_eq!(stats["p1"]["Link Expired"], 0, "{stats:?}");
    let defaulted_show = ovs.appctl(&["lacp/show", "bond0"]);

    // Our transmitter resumes: both up again.
    driver.set_send(2, true);
    let resumed = driver.elapsed();
    let took = wait_converged(&ovs, &driver, 10 * SECOND) - resumed;
    assert!(took <= 3 * SECOND, "recovered after {took:?}\n{}", ctx());

    // OVS stops on p1: its listener moves away, our stream is closed, nothing arrives any
    // more. Our port 1 expires within 3 periods (current_while, 3 s at the fast rate) and
    // stops collecting and distributing; port 2 carries on.
    let at = driver.elapsed();
    ovs.bond_sh(&["cut", "p1"]);
    let gone = wait(5 * SECOND, "our port 1 stops distributing", ctx, || {
        let events = driver.events();
        events
            .iter()
            .find(|(t, e)| *t >= at && matches!(e, Event::Distributing { port: 1, on: false }))
            .map(|(t, _)| *t - at)
    });
    // OVS's last PDU left at most one period before the cut: 2 to 3 s (+ polling).
    assert!(
        (2 * SECOND - SECOND / 5..=3 * SECOND + SECOND / 2).contains(&gone),
        "we saw it after {gone:?}\n{}",
        ctx()
    );
    // By our receive machine's current_while (the closed stream is not told to the bond).
    assert!(
        driver.events().iter().any(|(t, e)| *t >= at
            && matches!(
                e,
                Event::Receive {
                    port: 1,
                    state: RxState::Expired
                }
            )),
        "{}",
        ctx()
    );
    assert_eq!(driver.coll_dist(2), (true, true), "{}", ctx());
    let st = driver.lock().bond.port_state(1).unwrap();
    assert!(!st.collecting_distributing(), "{st:?}");
    let ours = driver.lock().bond.counters(2).unwrap();
    assert_eq!((ours.rx_bad, ours.rx_foreign), (0, 0), "{ours:?}");
    assert!(ours.rx_pdus >= 10 && ours.tx_pdus >= 10, "{ours:?}");
    eprintln!(
        "OVS 3.1 interop, fast: converged {took_first:?} after connecting; our p2 silent -> OVS \
         expired it after {expired_after:?}, defaulted+detached after {defaulted_after:?}; \
         OVS silent on p1 -> our port 1 stopped distributing after {gone:?}\n\
         --- lacp/show bond0 (p2 expired):\n{expired_show}\n\
         --- lacp/show bond0 (p2 defaulted):\n{defaulted_show}"
    );
}

#[test]
fn slow_rate_converges() {
    let Some((ovs, driver)) = setup("slow", Mode::Active, Rate::Slow) else {
        return;
    };
    // Every state change is sent at once (NTT), whatever the periodic rate: seconds, not
    // 30-second periods.
    let took = wait_converged(&ovs, &driver, 10 * SECOND);
    assert!(took <= 5 * SECOND, "converged after {took:?}");
    eprintln!("OVS 3.1 interop, slow: converged {took:?} after connecting");
    let show = ovs.lacp_show("bond0");
    assert_eq!(show.lacp_time, "slow");
    let show_text = ovs.appctl(&["lacp/show", "bond0"]);
    for m in MEMBERS {
        let mem = show.member(m);
        // Neither side asks for the fast rate.
        assert!(
            !mem.actor.has("timeout"),
            "{m}: actor {:?}",
            mem.actor.state
        );
        assert!(
            !mem.partner.has("timeout"),
            "{m}: partner {:?}",
            mem.partner.state
        );
    }
    // Converged and asking each other for the slow rate: no periodic PDU for 3 s either way
    // (the next is due 30 s after the last).
    std::thread::sleep(SECOND / 2);
    let pdus = || {
        let stats = ovs.lacp_stats("bond0");
        let s = driver.lock();
        PORTS
            .iter()
            .zip(MEMBERS)
            .map(|(&p, m)| {
                let ours = s.bond.counters(p).unwrap();
                (stats[m]["TX PDUs"], ours.tx_pdus)
            })
            .collect::<Vec<_>>()
    };
    let before = pdus();
    std::thread::sleep(3 * SECOND);
    assert_eq!(
        pdus(),
        before,
        "(OVS TX PDUs, our tx_pdus) per member\n{}",
        context(&ovs, &driver)
    );
    eprintln!("--- lacp/show bond0 (slow):\n{show_text}");
}

/// Two passive ends never speak; OVS's passive bond answers our active ports and converges.
#[test]
fn passive_ovs_needs_an_active_partner() {
    let Some((ovs, driver)) = setup("passive", Mode::Passive, Rate::Fast) else {
        return;
    };
    std::thread::sleep(3 * SECOND);
    let show_text = ovs.appctl(&["lacp/show", "bond0"]);
    let stats = ovs.lacp_stats("bond0");
    for (m, port) in MEMBERS.iter().zip(PORTS) {
        assert_eq!(
            (stats[*m]["TX PDUs"], stats[*m]["RX PDUs"]),
            (0, 0),
            "{m}\n{show_text}"
        );
        let ours = driver.lock().bond.counters(port).unwrap();
        assert_eq!(
            (ours.tx_pdus, ours.rx_pdus),
            (0, 0),
            "port {port}: {ours:?}"
        );
        assert_eq!(driver.coll_dist(port), (false, false));
    }
    let show = ovs.lacp_show("bond0");
    for m in MEMBERS {
        let mem = show.member(m);
        assert!(!mem.is("current") && !mem.may_enable, "{m}\n{show_text}");
        assert!(!mem.actor.has("activity"), "{m}\n{show_text}");
    }
    // Our ports turn active: OVS answers and both ends converge.
    {
        let mut s = driver.lock();
        for port in PORTS {
            let config = port_config(port, Mode::Active, Rate::Fast);
            s.bond.set_port_config(lacp_now(), port, config).unwrap();
        }
    }
    let active_at = driver.elapsed();
    let took = wait_converged(&ovs, &driver, 10 * SECOND) - active_at;
    assert!(
        took <= 3 * SECOND,
        "converged {took:?} after turning active"
    );
    let show = ovs.lacp_show("bond0");
    for m in MEMBERS {
        let mem = show.member(m);
        assert!(
            !mem.actor.has("activity") && mem.partner.has("activity"),
            "{show:#?}"
        );
    }
    eprintln!(
        "OVS 3.1 interop, passive: silent for 3 s; converged {took:?} after our ports turned \
         active\n--- lacp/show bond0 (both passive, 3 s):\n{show_text}"
    );
}

/// Ryu's lacplib responder (what simple_switch_lacp_13 runs) against OVS's active bond:
/// it only answers, yet OVS negotiates both members with it; silence on a member disables
/// that port after the 3 s OVS's timeout bit asks for, and LACPDUs coming back enable it.
#[test]
fn lacplib_responder_negotiates_with_ovs_and_follows_its_silence() {
    let Some((ovs, driver)) = setup("lacplib", Mode::Lacplib, Rate::Fast) else {
        return;
    };
    let ctx = || context(&ovs, &driver);
    let enabled = |port: u32, since: Duration| {
        let mut on = None;
        for (t, e) in driver.events() {
            match e {
                Event::PortEnabled { port: p } if p == port && t >= since => on = Some(true),
                Event::PortDisabled { port: p } if p == port && t >= since => on = Some(false),
                _ => {}
            }
        }
        on
    };
    let took = wait(
        10 * SECOND,
        "OVS negotiated with the responder",
        ctx,
        || {
            let show = ovs.lacp_show("bond0");
            let up = MEMBERS.iter().zip(PORTS).all(|(m, port)| {
                let mem = show.member(m);
                // The responder's actor: lacplib's fixed priorities, passive, in sync as OVS is.
                mem.is("current")
                    && mem.is("attached")
                    && mem.may_enable
                    && mem.partner.sys_id == OUR_SYSTEM.to_string()
                    && mem.partner.sys_priority == 0xffff
                    && mem.partner.port_priority == 0xff
                    && u32::from(mem.partner.port_id) == port
                    && mem.partner.key == mem.actor.key
                    && !mem.partner.has("activity")
                    && mem.partner.has("synchronized")
            });
            (up && PORTS
                .iter()
                .all(|&p| enabled(p, Duration::ZERO) == Some(true)))
            .then(|| driver.elapsed())
        },
    );
    assert!(took <= 3 * SECOND, "negotiated after {took:?}\n{}", ctx());
    // Every PDU OVS sends is answered: as many answers as PDUs heard.
    {
        let s = driver.lock();
        for l in &s.links {
            assert!(
                l.heard >= 1 && l.sent == l.heard,
                "port {}: heard {} sent {}",
                l.port,
                l.heard,
                l.sent
            );
        }
    }
    let show_text = ovs.appctl(&["lacp/show", "bond0"]);

    // OVS's p1 goes silent: our port 1 disabled within 3 s of its last PDU; port 2 stays.
    let at = driver.elapsed();
    ovs.bond_sh(&["cut", "p1"]);
    let gone = wait(5 * SECOND, "port 1 disabled", ctx, || {
        (enabled(1, at) == Some(false)).then(|| driver.elapsed() - at)
    });
    assert!(
        (2 * SECOND - SECOND / 5..=3 * SECOND + SECOND / 2).contains(&gone),
        "disabled after {gone:?}\n{}",
        ctx()
    );
    assert_eq!(enabled(2, at), None, "{}", ctx());

    // LACPDUs on p1 again (we connect to its new listener): enabled at once.
    let back = driver.elapsed();
    let path = ovs.dir().join("p1.back.sock");
    ovs.bond_sh(&["attach", "p1", &format!("punix:{}", path.display())]);
    let stream = FramedStream::new(connect(&path, 10 * SECOND));
    {
        let mut s = driver.lock();
        let link = s.links.iter_mut().find(|l| l.port == 1).unwrap();
        link.stream = stream;
    }
    wait(5 * SECOND, "port 1 enabled again", ctx, || {
        (enabled(1, back) == Some(true)).then_some(())
    });
    wait(5 * SECOND, "OVS negotiated p1 again", ctx, || {
        let show = ovs.lacp_show("bond0");
        let p1 = show.member("p1");
        (p1.is("current") && p1.is("attached")).then_some(())
    });
    eprintln!(
        "OVS 3.1 interop, lacplib responder: negotiated {took:?} after connecting; OVS silent \
         on p1 -> port 1 disabled after {gone:?}\n--- lacp/show bond0 (negotiated):\n{show_text}"
    );
}

// ------------------------------------------------------------------ the parsers, on real text

const SHOW_CURRENT: &str = include_str!("testdata/ovs-3.1-lacp-show-current.txt");
const SHOW_EXPIRED: &str = include_str!("testdata/ovs-3.1-lacp-show-expired.txt");
const SHOW_DEFAULTED: &str = include_str!("testdata/ovs-3.1-lacp-show-defaulted.txt");
const STATS: &str = include_str!("testdata/ovs-3.1-lacp-show-stats-defaulted.txt");

#[test]
fn parses_lacp_show_of_ovs_3_1() {
    // Captured from two OVS 3.1 bonds (bond0 on br0, bond1 on br1) over dummy streams.
    let bonds = parse_lacp_show(SHOW_CURRENT).unwrap();
    assert_eq!(bonds.len(), 1);
    let b = &bonds[0];
    assert_eq!(
        (b.name.as_str(), b.status.as_str(), b.sys_id.as_str()),
        ("bond0", "active negotiated", "02:00:00:00:00:01")
    );
    assert_eq!(
        (b.sys_priority, b.key, b.lacp_time.as_str()),
        (65534, 1, "fast")
    );
    assert_eq!(b.members.len(), 2);
    let p2 = b.member("p2");
    assert_eq!(p2.status, ["current", "attached"]);
    assert_eq!((p2.port_id, p2.may_enable), (2, true));
    assert_eq!(p2.actor.sys_id, "02:00:00:00:00:01");
    assert_eq!(p2.partner.sys_id, "02:00:00:00:00:02");
    assert_eq!(
        (
            p2.partner.sys_priority,
            p2.partner.port_id,
            p2.partner.port_priority,
            p2.partner.key
        ),
        (65534, 2, 65535, 1)
    );
    assert_eq!(
        p2.partner.state,
        [
            "activity",
            "timeout",
            "aggregation",
            "synchronized",
            "collecting",
            "distributing"
        ]
    );

    let p2 = parse_lacp_show(SHOW_EXPIRED).unwrap()[0]
        .member("p2")
        .clone();
    assert_eq!(
        (p2.is("expired"), p2.is("attached"), p2.may_enable),
        (true, true, false)
    );
    assert!(p2.actor.has("expired") && !p2.partner.has("synchronized"));

    let b = &parse_lacp_show(SHOW_DEFAULTED).unwrap()[0];
    assert!(b.member("p1").is("current"));
    let p2 = b.member("p2");
    assert_eq!(p2.status, ["defaulted", "detached"]);
    assert_eq!(
        p2.actor.state,
        ["activity", "timeout", "aggregation", "defaulted"]
    );
    assert_eq!(
        (p2.partner.sys_id.as_str(), p2.partner.key),
        ("00:00:00:00:00:00", 0)
    );
    assert!(p2.partner.state.is_empty());

    // Robustness: unknown lines are skipped, bad numbers and orphan fields are errors.
    let with_extra = SHOW_CURRENT.replace("  lacp_time: fast", "  lacp_time: fast\n  new_thing: 3");
    assert_eq!(parse_lacp_show(&with_extra).unwrap(), bonds);
    assert!(parse_lacp_show(&SHOW_CURRENT.replace("port_id: 1", "port_id: x")).is_err());
    assert!(parse_lacp_show("  status: active\n").is_err());
    assert!(parse_lacp_show("").unwrap().is_empty());
}

#[test]
fn parses_lacp_show_stats_of_ovs_3_1() {
    let stats = parse_lacp_stats(STATS).unwrap();
    assert_eq!(stats.keys().collect::<Vec<_>>(), ["p1", "p2"]);
    let p2 = &stats["p2"];
    // p2 was cut twice: reconnected within 3 periods the first time, left alone the second.
    assert_eq!(
        (p2["Link Expired"], p2["Link Defaulted"], p2["RX Bad PDUs"]),
        (2, 1, 0)
    );
    assert_eq!(p2.len(), 7, "{p2:?}");
    assert!(p2["TX PDUs"] > p2["RX PDUs"], "{p2:?}");
    assert_eq!(stats["p1"]["Link Expired"], 0);
    assert!(parse_lacp_stats("  TX PDUs: 1\n").is_err());
    assert!(parse_lacp_stats("member: p1:\n  TX PDUs: many\n").is_err());
}
