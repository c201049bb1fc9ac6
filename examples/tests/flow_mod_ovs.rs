//! Every match field and every action and instruction Open vSwitch 3.1 accepts in OpenFlow 1.3,
//! installed through the examples' runtime (tokio, `sdnwire_openflow::connection::Connection`), then
//! read back twice: through our FLOW_STATS request and through `ovs-ofctl dump-flows`. Both
//! must agree with what was sent.
//!
//! What OVS 3.1 refuses in OpenFlow 1.3 (ORACLES.md) is left out: the match fields in_phy_port,
//! pbb_isid and ipv6_exthdr, the actions copy_ttl_out/in and push/pop_pbb.
//!
//! Skipped loudly when Open vSwitch is not installed; a failure when CI=true.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::net::{Ipv4Addr, Ipv6Addr};
use core::time::Duration;
use std::sync::mpsc;

use examples::app::{App, Ctx};
use examples::runtime::run_connection;
use sdnwire_openflow::action::Action;
use sdnwire_openflow::connection::{Config, Event, State};
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::group_mod::{Bucket, GroupMod, GroupType};
use sdnwire_openflow::meter_mod::{MeterBand, MeterFlags, MeterMod};
use sdnwire_openflow::multipart::{FlowStats, MultipartReplyBody, MultipartRequest};
use sdnwire_openflow::oxm::{Match, OxmField};
use sdnwire_openflow::{Body, Message, MsgType, PortNo, TableId};
use sdnwire_packet::MacAddr;
use sdnwire_testkit::ovs::Ovs;
use sdnwire_testkit::wait;

const SECOND: Duration = Duration::from_secs(1);

fn mac(last: u8) -> MacAddr {
    MacAddr([0, 0, 0, 0, 0, last])
}

fn v4(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

fn v6(s: &str) -> Ipv6Addr {
    s.parse().unwrap()
}

/// The flows: between them every OpenFlow-basic match field OVS takes (masked where the field
/// allows it), every action and every instruction. Cookie `i + 1` and priority `100 + i`.
fn flows() -> Vec<FlowMod> {
    let ip = || Match::new().eth_type(0x0800);
    let ip6 = || Match::new().eth_type(0x86dd);
    let set = Action::set_field;
    let flows = vec![
        // L2, VLAN, metadata, tunnel id, IPv4 and TCP.
        FlowMod::add()
            .matching(
                Match::new()
                    .in_port(1u32)
                    .metadata_masked(0x12, 0xff)
                    .eth_dst_masked(mac(0), MacAddr([1, 0, 0, 0, 0, 0]))
                    .eth_src(mac(1))
                    .eth_type(0x0800)
                    .vlan_vid(0x1000 | 10)
                    .vlan_pcp(3)
                    .ip_dscp(10)
                    .ip_ecn(1)
                    .ip_proto(6)
                    .ipv4_src_masked(v4("10.0.0.0"), v4("255.0.0.0"))
                    .ipv4_dst(v4("10.0.0.2"))
                    .tcp_src(1000)
                    .tcp_dst(80)
                    .tunnel_id_masked(5, 0xff),
            )
            .apply_actions([
                set(OxmField::Ipv4Src(v4("10.1.1.1"), None)),
                set(OxmField::TcpDst(8080)),
                Action::set_nw_ttl(9),
                Action::dec_nw_ttl(),
                Action::set_queue(1),
                Action::pop_vlan(),
                Action::output(2u32),
            ]),
        // UDP; push a VLAN tag and set it.
        FlowMod::add()
            .matching(ip().ip_proto(17).udp_src(53).udp_dst(5353))
            .apply_actions([
                set(OxmField::UdpSrc(54)),
                Action::push_vlan(),
                set(OxmField::VlanVid(0x1000 | 5, None)),
                set(OxmField::VlanPcp(5)),
                Action::output(3u32),
            ]),
        // SCTP.
        FlowMod::add()
            .matching(ip().ip_proto(132).sctp_src(1).sctp_dst(2))
            .apply_actions([set(OxmField::SctpDst(3)), Action::output(1u32)]),
        // ICMPv4; rewrite the Ethernet addresses, then the group.
        FlowMod::add()
            .matching(ip().ip_proto(1).icmpv4_type(8).icmpv4_code(0))
            .apply_actions([
                set(OxmField::EthSrc(mac(9), None)),
                set(OxmField::EthDst(mac(10), None)),
                Action::group(1u32),
            ]),
        // ARP, every field; answer on the input port.
        FlowMod::add()
            .matching(
                Match::new()
                    .eth_type(0x0806)
                    .arp_op(1)
                    .arp_spa_masked(v4("10.0.0.0"), v4("255.255.255.0"))
                    .arp_tpa(v4("10.0.0.2"))
                    .arp_sha(mac(1))
                    .arp_tha(mac(0)),
            )
            .apply_actions([
                set(OxmField::ArpOp(2)),
                set(OxmField::ArpSpa(v4("10.0.0.2"), None)),
                set(OxmField::ArpSha(mac(2), None)),
                Action::output(PortNo::IN_PORT),
            ]),
        // IPv6 and ICMPv6 neighbour solicitation.
        FlowMod::add()
            .matching(
                ip6()
                    .ipv6_src_masked(v6("2001:db8::"), v6("ffff:ffff::"))
                    .ipv6_dst(v6("2001:db8::2"))
                    .ipv6_flabel(0x12345)
                    .ip_proto(58)
                    .icmpv6_type(135)
                    .icmpv6_code(0)
                    .ipv6_nd_target(v6("2001:db8::2"))
                    .ipv6_nd_sll(mac(1)),
            )
            .apply_actions([
                set(OxmField::Ipv6Src(v6("2001:db8::9"), None)),
                Action::dec_nw_ttl(),
                Action::output(2u32),
            ]),
        // ICMPv6 neighbour advertisement.
        FlowMod::add()
            .matching(
                ip6()
                    .ip_proto(58)
                    .icmpv6_type(136)
                    .icmpv6_code(0)
                    .ipv6_nd_target(v6("2001:db8::2"))
                    .ipv6_nd_tll(mac(2)),
            )
            .apply_actions([Action::output(2u32)]),
        // MPLS; every MPLS action.
        FlowMod::add()
            .matching(
                Match::new()
                    .eth_type(0x8847)
                    .mpls_label(100)
                    .mpls_tc(3)
                    .mpls_bos(1),
            )
            .apply_actions([
                Action::SetMplsTtl(9),
                Action::DecMplsTtl,
                set(OxmField::MplsLabel(200)),
                Action::pop_mpls(0x0800),
                Action::output(2u32),
            ]),
        FlowMod::add().matching(ip()).apply_actions([
            Action::push_mpls(),
            set(OxmField::MplsLabel(300)),
            Action::output(2u32),
        ]),
        // Every instruction, in the spec's order.
        FlowMod::add()
            .matching(Match::new().in_port(3u32))
            .meter(1u32)
            .apply_actions([Action::output(PortNo::CONTROLLER)])
            .clear_actions()
            .write_actions([Action::output(1u32)])
            .write_metadata(1, 0xff)
            .goto_table(1u8),
    ];
    flows
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let i = u16::try_from(i).unwrap();
            f.cookie(u64::from(i) + 1).priority(100 + i)
        })
        .collect()
}

/// What the installer reports.
#[derive(Debug)]
enum Outcome {
    /// The switch refused a message of ours.
    Refused(String),
    /// The FLOW_STATS reply.
    Flows(Vec<FlowStats>),
}

/// An application that installs the group, the meter and the flows on MAIN, then (after a
/// barrier) asks for every flow.
#[derive(Debug)]
struct Installer {
    flows: Vec<FlowMod>,
    report: mpsc::Sender<Outcome>,
    barrier: Option<u32>,
    stats: Option<u32>,
}

impl App for Installer {
    fn name(&self) -> &'static str {
        "installer"
    }

    fn on_event(&mut self, cx: &mut Ctx<'_>, event: &Event) {
        match event {
            Event::StateChanged {
                to: State::Main, ..
            } => {
                let group = GroupMod::add(
                    GroupType::ALL,
                    1u32,
                    vec![Bucket::new(vec![Action::output(1u32)])],
                );
                cx.send(Body::GroupMod(group));
                let meter = MeterMod::add(1u32, MeterFlags::KBPS, vec![MeterBand::drop(1000, 0)]);
                cx.send(Body::MeterMod(meter));
                for f in &self.flows {
                    cx.send(Body::FlowMod(f.clone()));
                }
                // A barrier is a request like any other: its reply ends it.
                self.barrier = cx.request(Body::BarrierRequest);
            }
            Event::BarrierComplete { xid } if Some(*xid) == self.barrier => {
                let all = MultipartRequest::flow_stats(Match::new(), TableId::ALL);
                self.stats = cx.request(Body::MultipartRequest(all));
            }
            Event::Reply { xid, reply, .. } if Some(*xid) == self.stats => {
                let outcome = match reply.merged() {
                    Ok(Some(MultipartReplyBody::Flow(f))) => Outcome::Flows(f),
                    other => Outcome::Refused(format!("not a flow stats reply: {other:?}")),
                };
                let _ = self.report.send(outcome);
            }
            Event::Message(f) if f.header.msg_type == MsgType::ERROR => {
                let xid = f.header.xid;
                let e = match f.decode() {
                    Ok(Message {
                        body: Body::Error(e),
                        ..
                    }) => e.to_string(),
                    other => format!("{other:?}"),
                };
                let _ = self
                    .report
                    .send(Outcome::Refused(format!("xid {xid}: {e}")));
            }
            Event::RequestFailed { request, error, .. } => {
                let _ = self
                    .report
                    .send(Outcome::Refused(format!("{request}: {error}")));
            }
            _ => {}
        }
    }
}

/// A match's fields in a canonical order (OVS answers with its own order).
fn sorted(m: &Match) -> Vec<OxmField> {
    let mut f = m.fields.to_vec();
    f.sort_by_key(|f| f.to_string());
    f
}

/// A dump-flows line or our Display of a flow, without the duration (which differs).
fn without_duration(line: &str) -> String {
    line.trim()
        .split(", ")
        .filter(|p| !p.starts_with("duration="))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn every_field_and_action_round_trips_through_ovs() {
    let Some(ovs) = Ovs::start("flowmod") else {
        return;
    };
    let t0 = std::time::Instant::now();
    let sent = flows();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    let installer = Installer {
        flows: sent.clone(),
        report: tx,
        barrier: None,
        stats: None,
    };
    // The controller: one connection on a tokio runtime of its own.
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let (stream, peer) = listener.accept().await.unwrap();
            run_connection(stream, peer, Config::default(), vec![Box::new(installer)]).await;
        });
    });
    ovs.add_bridge("br0", 1, 3, Some(&format!("tcp:127.0.0.1:{port}")));

    let stats = match rx.recv_timeout(15 * SECOND) {
        Ok(Outcome::Flows(f)) => f,
        Ok(Outcome::Refused(e)) => panic!("OVS refused: {e}\n{}", ovs.log_tail()),
        Err(e) => panic!("no flow stats: {e}\n{}", ovs.log_tail()),
    };
    // Nothing was refused (errors would have come before the barrier's reply).
    if let Ok(Outcome::Refused(e)) = rx.try_recv() {
        panic!("OVS refused: {e}");
    }

    // Our FLOW_STATS reply: every flow as it was sent.
    assert_eq!(stats.len(), sent.len(), "{stats:#?}");
    for f in &sent {
        let got = stats
            .iter()
            .find(|s| s.cookie == f.cookie)
            .unwrap_or_else(|| panic!("flow {:#x} missing", f.cookie));
        assert_eq!(
            (
                got.table_id,
                got.priority,
                got.idle_timeout,
                got.hard_timeout
            ),
            (f.table_id, f.priority, f.idle_timeout, f.hard_timeout)
        );
        assert_eq!(sorted(&got.match_), sorted(&f.match_), "match of {f}");
        assert_eq!(got.instructions, f.instructions, "instructions of {f}");
    }

    // dump-flows: the same flows, printed as our Display prints the FLOW_STATS entries.
    let dump = wait(5 * SECOND, "dump-flows", String::new, || {
        let d = ovs.ofctl(&["dump-flows", "br0"]);
        (d.lines().filter(|l| l.contains("cookie=")).count() == sent.len()).then_some(d)
    });
    for s in &stats {
        let ours = without_duration(&s.to_string());
        let line = dump
            .lines()
            .find(|l| l.contains(&format!("cookie={:#x},", s.cookie)))
            .unwrap_or_else(|| panic!("cookie {:#x} not in dump-flows:\n{dump}", s.cookie));
        assert_eq!(ours, without_duration(line), "flow stats vs dump-flows");
    }
    eprintln!(
        "{} flows with every field, action and instruction OVS takes: installed and read back in {:?}",
        sent.len(),
        t0.elapsed()
    );
}
