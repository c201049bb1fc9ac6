//! The Ryu book's applications that require a context, with the fake switch over loopback
//! TCP: lacplib's slave-state events consumed by simple_switch_lacp_13, igmplib's group events
//! consumed by simple_switch_igmp_13 (and by a second application of the test's), the packets
//! neither library takes switched by the hub they hand them to.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod common;

use core::net::Ipv4Addr;
use std::sync::{Arc, Mutex};

use common::{eventually, within, Running, Switch};
use sdnwire_controller::apps::igmplib::{EventMulticastGroupStateChanged, GroupChange};
use sdnwire_controller::apps::lacplib::{EventSlaveStateChanged, LACP_PRIORITY};
use sdnwire_controller::apps::simple_switch_lacp_13::delete_learned_flows;
use sdnwire_controller::apps::{self, Settings};
use sdnwire_controller::{App, Handlers, Manager, ManagerConfig};
use sdnwire_openflow::action::Action;
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::PortNo;
use sdnwire_packet::igmp::Igmp;
use sdnwire_packet::slow::{Lacp, LacpInfo, LacpState};
use sdnwire_packet::{Encode, Ethernet, Ipv4, MacAddr};

const ARP_REQUEST: &[u8] = include_bytes!("../../packet/testdata/ping_arp_request.bin");
const PARTNER: MacAddr = MacAddr([0x02, 0, 0, 0, 0x0c, 0x01]);
const PARTNER_P1: MacAddr = MacAddr([0x02, 0, 0, 0, 0x0c, 0x11]);
const G1: Ipv4Addr = Ipv4Addr::new(225, 0, 0, 1);

type Log = Arc<Mutex<Vec<String>>>;

fn config() -> ManagerConfig {
    let mut c = ManagerConfig::default();
    c.level = sdnwire_controller::Level::Warn;
    c
}

/// A second consumer of both libraries' events.
struct Watcher {
    log: Log,
}

impl App for Watcher {
    const NAME: &'static str = "watcher";

    fn register(h: &mut Handlers<Self>) {
        h.on_event::<EventSlaveStateChanged>(|app, _cx, ev| {
            app.log.lock().unwrap().push(format!(
                "{} port {} enabled {}",
                ev.datapath.id(),
                ev.port,
                ev.enabled
            ));
        });
        h.on_event::<EventMulticastGroupStateChanged>(|app, _cx, ev| {
            app.log.lock().unwrap().push(format!(
                "{} {:?} {} from {:?} to {:?}",
                ev.datapath.id(),
                ev.reason,
                ev.address,
                ev.src,
                ev.dsts
            ));
        });
    }
}

fn lacpdu(port: u16, short: bool) -> Vec<u8> {
    let state = LacpState::ACTIVITY
        | LacpState::AGGREGATION
        | LacpState::SYNCHRONIZATION
        | LacpState::COLLECTING
        | LacpState::DISTRIBUTING;
    let info = LacpInfo::new(0x8000, PARTNER, 0x21, 0x80, port, state.with_timeout(short));
    Lacp::new(info, LacpInfo::default(), 0)
        .to_frame(PARTNER_P1)
        .unwrap()
}

fn report(src_port: u8, msg: Igmp) -> Vec<u8> {
    let src = Ipv4Addr::new(10, 0, 0, src_port);
    let dst = msg.ip_destination().unwrap();
    let mut ip = Ipv4::new(src, dst);
    ip.ttl = 1;
    (Ethernet::new(
        MacAddr::from_ipv4_multicast(dst),
        MacAddr::new(0, 0, 0, 0, 0, src_port),
    ) / ip
        / msg)
        .to_vec()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lacplib_slave_state_events_reach_the_lacp_switch() {
    within(async {
        let log: Log = Arc::default();
        let mut b = Manager::builder(config());
        apps::load(&mut b, &["simple_switch_lacp_13"], &Settings::default()).unwrap();
        b.add(Watcher {
            log: Arc::clone(&log),
        })
        .unwrap();
        // The context is made once, before the application that requires it.
        assert_eq!(b.names(), ["lacplib", "simple_switch_lacp_13", "watcher"]);
        let m = Running::start(b.build()).await;
        let sw = Switch::with_dpid(m.addr, 1).await;
        sw.wait_for("the table-miss flow", |f| f.flow_mods().first().cloned())
            .await;
        m.main_datapath().await;
        sw.with(|f| f.take_flow_mods());
        // The partner's first LACPDU on port 1: answered out of its port, the port enabled
        // (the switch's learned flows deleted), the LACPDU flow installed.
        sw.with(|f| f.packet_in(1u32, lacpdu(1, true)).unwrap());
        let flows = sw
            .wait_for("the LACP flow and the delete", |f| {
                (f.flow_mods().len() >= 2).then(|| f.flow_mods().to_vec())
            })
            .await;
        assert!(flows.contains(&delete_learned_flows()), "{flows:?}");
        assert!(
            flows
                .iter()
                .any(|f| f.priority == LACP_PRIORITY && f.idle_timeout == 3),
            "{flows:?}"
        );
        let answer = sw.with(|f| f.take_packet_outs());
        assert_eq!(answer.len(), 1);
        assert_eq!(answer[0].actions, [Action::output(PortNo::IN_PORT)]);
        eventually("the watcher told", || !log.lock().unwrap().is_empty()).await;
        assert_eq!(
            *log.lock().unwrap(),
            ["0000000000000001 port 1 enabled true"]
        );
        // What lacplib does not take, the hub switches.
        sw.with(|f| f.packet_in(3u32, ARP_REQUEST.to_vec()).unwrap());
        let po = sw
            .wait_for("the flood", |f| f.packet_outs().first().cloned())
            .await;
        assert_eq!(po.actions, [Action::output(PortNo::FLOOD)]);
        let q = m.stop().await;
        assert!(q.iter().all(|(_, c)| c.dropped == 0), "{q:?}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn igmplib_group_events_reach_the_igmp_switch_and_others() {
    within(async {
        let log: Log = Arc::default();
        let mut b = Manager::builder(config());
        // Ryu's book: switch 1 is the querier, the server behind its port 2.
        apps::load(&mut b, &["simple_switch_igmp_13"], &Settings::default()).unwrap();
        b.add(Watcher {
            log: Arc::clone(&log),
        })
        .unwrap();
        assert_eq!(b.names(), ["igmplib", "simple_switch_igmp_13", "watcher"]);
        let m = Running::start(b.build()).await;
        let sw = Switch::with_dpid(m.addr, 1).await;
        // The hub's table-miss flow and igmplib's IGMP-to-controller flow.
        let flows = sw
            .wait_for("two flows", |f| {
                (f.flow_mods().len() >= 2).then(|| f.take_flow_mods())
            })
            .await;
        assert!(flows.iter().any(|f| f.priority == 0), "{flows:?}");
        assert!(flows.iter().any(|f| f.priority == 65535), "{flows:?}");
        sw.with(|f| f.packet_in(1u32, report(1, Igmp::v2_report(G1))).unwrap());
        let flow = sw
            .wait_for("the group flow", |f| f.flow_mods().first().cloned())
            .await;
        let want = FlowMod::add()
            .priority(65535)
            .matching(
                sdnwire_openflow::oxm::Match::new()
                    .in_port(2u32)
                    .eth_type(0x0800)
                    .ipv4_dst(G1),
            )
            .apply_actions([Action::output(1u32)]);
        assert_eq!(flow, want);
        eventually("the watcher told", || !log.lock().unwrap().is_empty()).await;
        assert_eq!(
            *log.lock().unwrap(),
            [format!(
                "0000000000000001 {:?} 225.0.0.1 from Some(2) to [1]",
                GroupChange::Added
            )]
        );
        sw.with(|f| f.packet_in(3u32, ARP_REQUEST.to_vec()).unwrap());
        sw.wait_for("the flood", |f| {
            f.packet_outs()
                .iter()
                .any(|p| p.actions == [Action::output(PortNo::FLOOD)] && p.data == ARP_REQUEST)
                .then_some(())
        })
        .await;
        let q = m.stop().await;
        // The switch handled the group event (and the PACKET_IN igmplib handed on).
        let ss = q
            .iter()
            .find(|(n, _)| *n == "simple_switch_igmp_13")
            .unwrap()
            .1;
        assert!(ss.handled >= 3, "{q:?}");
    })
    .await;
}
