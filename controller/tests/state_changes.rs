//! A switch's state changes, and the state changes contexts publish, reach an application
//! whose queue is full: they wait for room instead of being dropped, so that an application
//! never keeps a dead switch, or a bond port's old state, for ever.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod common;

use core::time::Duration;
use std::sync::{Arc, Mutex};

use common::{eventually, within, Running, Switch};
use sdnwire_controller::apps::lacplib::{self, EventSlaveStateChanged};
use sdnwire_controller::apps::{self, Settings};
use sdnwire_controller::{App, Handlers, Manager, ManagerConfig, State};
use sdnwire_openflow::MsgType;
use sdnwire_packet::slow::{Lacp, LacpInfo, LacpState};
use sdnwire_packet::MacAddr;

const ARP_REQUEST: &[u8] = include_bytes!("../../packet/testdata/ping_arp_request.bin");

type Log = Arc<Mutex<Vec<String>>>;

/// Takes 300 ms per PACKET_IN; notes the switches it sees come and go.
struct Slow {
    log: Log,
}

impl App for Slow {
    const NAME: &'static str = "slow";

    fn register(h: &mut Handlers<Self>) {
        h.on_message(MsgType::PACKET_IN, State::Main, |app, _, _| {
            std::thread::sleep(Duration::from_millis(300));
            app.log.lock().unwrap().push("packet-in".into());
        });
        h.on_state_change([State::Main, State::Dead], |app, _, ev| {
            app.log
                .lock()
                .unwrap()
                .push(format!("{} {}", ev.phase, ev.dpid()));
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_switch_dying_while_the_queue_is_full_is_not_dropped() {
    within(async {
        let log: Log = Arc::default();
        let mut c = ManagerConfig::default();
        c.level = sdnwire_controller::Level::Error;
        let mut b = Manager::builder(c);
        b.queue_len::<Slow>(2);
        b.add(Slow {
            log: Arc::clone(&log),
        })
        .unwrap();
        let m = Running::start(b.build()).await;
        let sw = Switch::with_dpid(m.addr, 7).await;
        eventually("MAIN", || log.lock().unwrap().len() == 1).await;
        sw.with(|f| {
            for _ in 0..200 {
                f.packet_in(1u32, ARP_REQUEST.to_vec()).unwrap();
            }
        });
        eventually("every PACKET_IN offered, some dropped", || {
            let q = m.handle.queue("slow").unwrap();
            q.queued + q.dropped == 201 && q.dropped > 0
        })
        .await;
        // The switch goes while the queue is still full of its PACKET_INs.
        sw.disconnect();
        eventually("the switch's death, handled", || {
            log.lock().unwrap().last().map(String::as_str) == Some("DEAD 0000000000000007")
        })
        .await;
        // In its place: after every PACKET_IN the switch sent before it died.
        let q = m.handle.queue("slow").unwrap();
        let lines = log.lock().unwrap().clone();
        let packet_ins = lines.iter().filter(|l| *l == "packet-in").count() as u64;
        // Queued: MAIN, the PACKET_INs that fit, DEAD.
        assert_eq!(q.queued, packet_ins + 2, "{q:?}");
        assert_eq!(q.queued + q.dropped, 202, "{q:?}");
        assert_eq!(
            lines.first().map(String::as_str),
            Some("MAIN 0000000000000007")
        );
        m.stop().await;
    })
    .await;
}

/// lacplib's subscriber that takes 300 ms per packet lacplib hands on.
struct SlowBond {
    log: Log,
}

impl App for SlowBond {
    const NAME: &'static str = "slow_bond";

    fn register(h: &mut Handlers<Self>) {
        h.on_event::<lacplib::EventPacketIn>(|_, _, _| {
            std::thread::sleep(Duration::from_millis(300));
        });
        h.on_event::<EventSlaveStateChanged>(|app, _, ev| {
            app.log
                .lock()
                .unwrap()
                .push(format!("port {} enabled {}", ev.port, ev.enabled));
        });
    }
}

fn lacpdu(port: u16) -> Vec<u8> {
    let partner = MacAddr([0x02, 0, 0, 0, 0x0c, 0x01]);
    let state = LacpState::ACTIVITY
        | LacpState::AGGREGATION
        | LacpState::SYNCHRONIZATION
        | LacpState::COLLECTING
        | LacpState::DISTRIBUTING;
    let info = LacpInfo::new(0x8000, partner, 0x21, 0x80, port, state.with_timeout(true));
    Lacp::new(info, LacpInfo::default(), 0)
        .to_frame(MacAddr([0x02, 0, 0, 0, 0x0c, 0x11]))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slave_state_change_reaches_a_subscriber_whose_queue_is_full() {
    within(async {
        let log: Log = Arc::default();
        let mut c = ManagerConfig::default();
        c.level = sdnwire_controller::Level::Error;
        let mut b = Manager::builder(c);
        apps::load(&mut b, &["simple_switch_lacp_13"], &Settings::default()).unwrap();
        b.queue_len::<SlowBond>(2);
        b.add(SlowBond {
            log: Arc::clone(&log),
        })
        .unwrap();
        let m = Running::start(b.build()).await;
        let sw = Switch::with_dpid(m.addr, 1).await;
        m.main_datapath().await;
        // Packets lacplib hands on fill the slow subscriber's queue (twice: the first burst
        // may fill it before its thread takes the first packet)...
        for burst in [50, 100] {
            sw.with(|f| {
                for _ in 0..50 {
                    f.packet_in(3u32, ARP_REQUEST.to_vec()).unwrap();
                }
            });
            eventually("the slow subscriber's queue overflowing", || {
                let q = m.handle.queue("slow_bond").unwrap();
                q.queued + q.dropped == burst && q.dropped > 0
            })
            .await;
        }
        // ... when the partner's first LACPDU enables port 1.
        sw.with(|f| f.packet_in(1u32, lacpdu(1)).unwrap());
        eventually("the slave state change, handled", || {
            log.lock().unwrap().as_slice() == ["port 1 enabled true"]
        })
        .await;
        m.stop().await;
    })
    .await;
}

/// Takes 300 ms per PACKET_IN; installs the table-miss flow on SwitchFeatures, as the Ryu
/// book's switches do.
struct SlowHub {
    log: Log,
}

impl App for SlowHub {
    const NAME: &'static str = "slow_hub";

    fn register(h: &mut Handlers<Self>) {
        h.on_message(MsgType::PACKET_IN, State::Main, |_, _, _| {
            std::thread::sleep(Duration::from_millis(300));
        });
        h.on(
            sdnwire_controller::OfKind::SwitchFeatures,
            State::Config,
            |app, _, ev| {
                app.log
                    .lock()
                    .unwrap()
                    .push(format!("features {}", ev.dpid()));
                let _ = ev.datapath.add_table_miss_flow();
            },
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_switch_connecting_while_the_queue_is_full_gets_its_table_miss_flow() {
    within(async {
        let log: Log = Arc::default();
        let mut c = ManagerConfig::default();
        c.level = sdnwire_controller::Level::Error;
        let mut b = Manager::builder(c);
        b.queue_len::<SlowHub>(2);
        b.add(SlowHub {
            log: Arc::clone(&log),
        })
        .unwrap();
        let m = Running::start(b.build()).await;
        let one = Switch::with_dpid(m.addr, 1).await;
        one.wait_for("the table-miss flow", |f| f.flow_mods().first().cloned())
            .await;
        for burst in [50, 100] {
            one.with(|f| {
                for _ in 0..50 {
                    f.packet_in(1u32, ARP_REQUEST.to_vec()).unwrap();
                }
            });
            eventually("the queue overflowing", || {
                let q = m.handle.queue("slow_hub").unwrap();
                q.queued + q.dropped == burst + 1 && q.dropped > 0
            })
            .await;
        }
        // A second switch connects while the queue is full of the first one's packets.
        let two = Switch::with_dpid(m.addr, 2).await;
        two.wait_for("the second switch's table-miss flow", |f| {
            f.flow_mods().first().cloned()
        })
        .await;
        assert_eq!(
            *log.lock().unwrap(),
            ["features 0000000000000001", "features 0000000000000002"]
        );
        m.stop().await;
    })
    .await;
}
