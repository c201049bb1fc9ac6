//! A controller running `--app simple_switch_lacp_13 --lacp-ports 1,2` (the Ryu book's "Link
//! Aggregation" chapter) against a real Open vSwitch, with a real LACP partner: a second OVS bridge whose bond (`lacp=active`, fast rate)
//! has its two members wired, by dummy-port unix streams, to the two ports of the controller's
//! switch that form the LACP group.
//!
//! ```text
//!   h1 ── q3 [br1: bond1 = q1 + q2, OVS's own LACP] q1 ══ p1 [br0: controller] p3 ── h2
//!                                                   q2 ══ p2
//! ```
//!
//! Ryu's lacplib failover, step by step: both group ports enabled (the partner's bond says current
//! and attached with the switch's LOCAL MAC as partner system, the controller installed the
//! priority-65535 LACP flows with idle_timeout 3 and send_flow_rem); a ping learns h1 behind
//! the bond's active member; that member's cable is cut (its stream goes nowhere): the LACP
//! flow idles out, FLOW_REMOVED disables the port, every learned-MAC flow is deleted, and the
//! ping goes over the live port; the cable back, the port is enabled again.
//!
//! A second scenario puts our own `sdnwire-lacp` crate (802.1AX, active, fast: the role Linux bonding plays
//! in the book) at the other end of the two cables instead, through OVS and the controller's
//! lacplib responder: both ends enable both links; our side falling silent on one link is
//! seen by the controller (port disabled) and, since the responder only answers, by our side
//! too (the link stops distributing); speaking again brings both back.
//!
//! Both scenarios take the controller's program ([`Command`]); they add `--listen` and the
//! application's arguments.

use core::sync::atomic::{AtomicBool, Ordering};
use core::time::Duration;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use sdnwire_packet::time::Clock;

use super::hub::{ARP_REPLY, ARP_REQUEST, ECHO_REPLY, ECHO_REQUEST, H1, H2};
use super::{Controller, SECOND};
use crate::ovs::{connect, FramedStream, Ovs};
use crate::pcap::read_file as read_pcap;
use crate::wait;

/// br0's LOCAL port address (`Ovs::add_bridge` derives it from the datapath id 1): the system id
/// the controller answers with.
const BR0_LOCAL: &str = "02:00:00:00:00:01";
const BR1_SYSTEM: &str = "02:00:00:00:0c:01";

/// The controller's arguments: the LACP switch, ports 1 and 2 forming the group.
const ARGS: &[&str] = &["--app", "simple_switch_lacp_13", "--lacp-ports", "1,2"];

/// What a failure shows: the controller's log, br0's flows, bond1's LACP and bond state, and
/// the end of OVS's logs.
fn context(ctl: &Controller, ovs: Option<&Ovs>) -> String {
    let mut s = format!("--- controller stderr:\n{}\n", ctl.log().join("\n"));
    if let Some(ovs) = ovs {
        for (prog, args) in [
            (
                "ovs-ofctl",
                &["-O", "OpenFlow13", "--no-names", "dump-flows", "br0"][..],
            ),
            ("ovs-appctl", &["lacp/show", "bond1"]),
            ("ovs-appctl", &["bond/show", "bond1"]),
        ] {
            let out = ovs.command(prog).args(args).output().unwrap();
            s += &format!(
                "--- {}:\n{}{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        s += &ovs.log_tail();
    }
    s
}

/// Waits for a log line (from index `from` on) containing `what`; returns it. Panics after
/// `within` with [`context`].
fn wait_log(
    ctl: &Controller,
    from: usize,
    within: Duration,
    ovs: Option<&Ovs>,
    what: &str,
) -> String {
    wait(
        within,
        what,
        || context(ctl, ovs),
        || ctl.log().into_iter().skip(from).find(|l| l.contains(what)),
    )
}

/// Defines the two LACP scenarios as `#[test]` functions of the calling test crate, run
/// against the controller that `program` (a [`Command`] naming its binary) starts:
/// `lacp_failover_moves_traffic_to_the_live_port` and
/// `our_lacp_crate_as_partner_of_the_lacplib_responder`.
///
/// ```ignore
/// sdnwire_testkit::lacp_scenarios!(std::process::Command::new(env!("CARGO_BIN_EXE_controller")));
/// ```
#[macro_export]
macro_rules! lacp_scenarios {
    ($program:expr) => {
        #[test]
        fn lacp_failover_moves_traffic_to_the_live_port() {
            $crate::scenario::lacp::failover_moves_traffic_to_the_live_port($program);
        }

        #[test]
        fn our_lacp_crate_as_partner_of_the_lacplib_responder() {
            $crate::scenario::lacp::our_lacp_crate_as_partner_of_the_lacplib_responder($program);
        }
    };
}

// ------------------------------------------------------------------ OVS

fn bond_sh(ovs: &Ovs, args: &[&str]) -> String {
    ovs.script("lacp-ovs-bond.sh", args, &[])
}

fn sock(ovs: &Ovs, port: &str) -> PathBuf {
    ovs.sock(port)
}

/// br0, the controller's switch (datapath 1): p1 and p2 (the LACP group) listen for the
/// partner's cables on unix sockets, p3 is h2. Returns once the controller logs MAIN, with the
/// index of the controller's first log line after the bridge was added.
fn br0(ovs: &Ovs, ctl: &Controller) -> usize {
    let from = ctl.log().len();
    ovs.add_bridge("br0", 1, 3, Some(&ctl.target()));
    for p in ["p1", "p2"] {
        let opt = format!("options:pstream=punix:{}", sock(ovs, p).display());
        ovs.vsctl(&["set", "interface", p, &opt]);
    }
    wait_log(ctl, from, 10 * SECOND, Some(ovs), "state CONFIG -> MAIN");
    from
}

/// Waits (10 s) for the controller to log both group ports enabled after its log line `from`.
fn wait_group_enabled(ctl: &Controller, from: usize, ovs: &Ovs) {
    for port in [1, 2] {
        wait_log(
            ctl,
            from,
            10 * SECOND,
            Some(ovs),
            &format!("slave state changed port: {port} enabled: true"),
        );
    }
}

/// A flow of `dump-flows br0`: its priority, the match and actions (`in_port=1,dl_dst=..
/// actions=output:2`), and the rest of the line (timeouts, flags).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Flow {
    priority: u16,
    rule: String,
    line: String,
}

fn dump_flows(ovs: &Ovs) -> Vec<Flow> {
    let mut v: Vec<Flow> = ovs
        .ofctl(&["dump-flows", "br0"])
        .lines()
        .filter(|l| l.contains("cookie="))
        .map(|l| {
            let l = l.trim();
            let rule = &l[l.find("priority=").unwrap()..];
            let (prio, rest) = rule.split_once([',', ' ']).unwrap();
            Flow {
                priority: prio["priority=".len()..].parse().unwrap(),
                rule: rest.to_owned(),
                line: l.to_owned(),
            }
        })
        .collect();
    v.sort_by(|a, b| (b.priority, &a.rule).cmp(&(a.priority, &b.rule)));
    v
}

/// `lacp/show bond1`: each member with its status words and partner system id.
fn partner_view(ovs: &Ovs) -> Vec<(String, String, String)> {
    let text = ovs.appctl(&["lacp/show", "bond1"]);
    let mut v: Vec<(String, String, String)> = Vec::new();
    for l in text.lines().map(str::trim) {
        if let Some(rest) = l.strip_prefix("member: ") {
            let (name, status) = rest.split_once(':').unwrap();
            v.push((name.to_owned(), status.trim().to_owned(), String::new()));
        } else if let Some(id) = l.strip_prefix("partner sys_id: ") {
            v.last_mut().unwrap().2 = id.to_owned();
        }
    }
    v
}

/// The member that bond1 (active-backup) sends on: `active member mac: ..(q1)`.
fn active_member(ovs: &Ovs) -> Option<String> {
    let text = ovs.appctl(&["bond/show", "bond1"]);
    let l = text.lines().find(|l| l.starts_with("active member mac"))?;
    let name = l.rsplit_once('(')?.1.strip_suffix(')')?;
    (name != "none").then(|| name.to_owned())
}

// ------------------------------------------------------------------ the scenarios

/// Ryu's lacplib failover against OVS's own LACP bond: both group ports enabled and
/// negotiated, the LACP flows as lacplib installs them, a ping over the bond's active member,
/// that member's cable cut (the port disabled in 2 to 5 s, learned flows flushed, the ping over
/// the live port), the cable back (the port enabled again). Returns after a loud skip when
/// Open vSwitch is missing (a failure under `CI=true`).
pub fn failover_moves_traffic_to_the_live_port(program: Command) {
    let Some(ovs) = Ovs::start("lacp") else {
        return;
    };
    let t0 = Instant::now();
    let ctl = Controller::start(program, ARGS);
    let ctx = || context(&ctl, Some(&ovs));

    let from = br0(&ovs, &ctl);
    // br1, the partner: bond1 over q1 -> p1 and q2 -> p2, h1 on q3.
    let (s1, s2) = (sock(&ovs, "p1"), sock(&ovs, "p2"));
    bond_sh(
        &ovs,
        &[
            "add",
            "br1",
            "bond1",
            "fast",
            BR1_SYSTEM,
            &format!("q1=unix:{}", s1.display()),
            &format!("q2=unix:{}", s2.display()),
        ],
    );
    bond_sh(&ovs, &["add-port", "br1", "q3", "3"]);

    // Both group ports enabled on the controller; the partner's bond negotiated with the
    // switch's LOCAL MAC as partner system.
    wait_group_enabled(&ctl, from, &ovs);
    wait(
        5 * SECOND,
        "bond1 negotiated with the controller",
        ctx,
        || {
            let v = partner_view(&ovs);
            (v.len() == 2
                && v.iter()
                    .all(|(_, st, sys)| st == "current attached" && sys == BR0_LOCAL))
            .then_some(())
        },
    );
    let negotiated = t0.elapsed();
    // The LACP flows: per port, in_port + the partner member's MAC + eth_type 0x8809, to the
    // controller, idle_timeout 3 (3 x the fast period), send_flow_rem.
    let lacp_flows: Vec<Flow> = dump_flows(&ovs)
        .into_iter()
        .filter(|f| f.priority == 65535)
        .collect();
    assert_eq!(lacp_flows.len(), 2, "{}", ctx());
    for (f, port) in lacp_flows.iter().zip(["in_port=1,", "in_port=2,"]) {
        assert!(f.rule.starts_with(port), "{f:?}");
        assert!(f.rule.contains("dl_type=0x8809"), "{f:?}");
        assert!(f.rule.contains("dl_src="), "{f:?}");
        // OFPCML_MAX (0xffe5), as Ryu's lacplib asks.
        assert!(f.rule.ends_with("actions=CONTROLLER:65509"), "{f:?}");
        assert!(f.line.contains("idle_timeout=3"), "{f:?}");
        assert!(f.line.contains("send_flow_rem"), "{f:?}");
    }

    // A ping from h1 (behind the bond) to h2: h1 is learned on the bond's active member.
    let q3 = ovs.tx_pcap("q3");
    let p3 = ovs.tx_pcap("p3");
    let active = wait(5 * SECOND, "bond1's active member", ctx, || {
        active_member(&ovs)
    });
    let (live, cut) = match active.as_str() {
        "q1" => (2, 1),
        "q2" => (1, 2),
        other => panic!("active member {other}"),
    };
    let ping = |expect_h1_on: u32| {
        let (n3, n_p3) = (read_pcap(&q3).len(), read_pcap(&p3).len());
        ovs.inject("q3", ARP_REQUEST);
        wait(5 * SECOND, "h1's ARP request at h2", ctx, || {
            (read_pcap(&p3).len() > n_p3).then_some(())
        });
        ovs.inject("p3", ARP_REPLY);
        wait(5 * SECOND, "h2's ARP reply at h1", ctx, || {
            (read_pcap(&q3).len() > n3).then_some(())
        });
        ovs.inject("q3", ECHO_REQUEST);
        ovs.inject("p3", ECHO_REPLY);
        wait(5 * SECOND, "the echo reply at h1", ctx, || {
            read_pcap(&q3)[n3..]
                .iter()
                .any(|f| f == ECHO_REPLY)
                .then_some(())
        });
        // The reply to h1 went by the learned flow, out of the port h1 was learned on.
        let want = format!("in_port=3,dl_dst={H1} actions=output:{expect_h1_on}");
        let flows = dump_flows(&ovs);
        assert!(
            flows.iter().any(|f| f.priority == 1 && f.rule == want),
            "{want} not in\n{}",
            ctx()
        );
    };
    let h1_port = 3 - live; // the active member's port on br0
    assert_eq!(h1_port, cut);
    ping(h1_port);
    assert!(dump_flows(&ovs).iter().any(|f| f.priority == 1));

    // Cut the active member's cable: no more LACPDUs on that port. Its LACP flow idles out
    // (3 s), FLOW_REMOVED disables the port, and every learned-MAC flow is deleted; the bond
    // fails over to the other member.
    let from = ctl.log().len();
    let at = Instant::now();
    bond_sh(&ovs, &["cut", &active]);
    wait_log(
        &ctl,
        from,
        8 * SECOND,
        Some(&ovs),
        &format!("PORT={cut} LACP exchange timeout has occurred"),
    );
    wait_log(
        &ctl,
        from,
        SECOND,
        Some(&ovs),
        &format!("slave state changed port: {cut} enabled: false"),
    );
    let disabled_after = at.elapsed();
    assert!(
        (2 * SECOND..=5 * SECOND).contains(&disabled_after),
        "disabled after {disabled_after:?}"
    );
    wait(4 * SECOND, "the learned-MAC flows flushed", ctx, || {
        let flows = dump_flows(&ovs);
        (!flows.iter().any(|f| f.priority == 1)
            && !flows
                .iter()
                .any(|f| f.priority == 65535 && f.rule.starts_with(&format!("in_port={cut},"))))
        .then_some(())
    });
    // The switch idled the LACP flow out and said so (SEND_FLOW_REM): lacplib's signal. The
    // crate, watching the same silence, usually disabled the port a moment before.
    wait_log(
        &ctl,
        from,
        3 * SECOND,
        Some(&ovs),
        &format!("PORT={cut} LACP flow removed (OFPRR_IDLE_TIMEOUT)"),
    );
    wait(5 * SECOND, "bond1 fails over", ctx, || {
        (active_member(&ovs).as_deref() == Some(["q1", "q2"][live as usize - 1])).then_some(())
    });

    // The same ping now goes over the live port.
    ping(live);
    let flows = dump_flows(&ovs);
    assert!(
        !flows
            .iter()
            .any(|f| f.rule.contains(&format!("output:{cut}"))),
        "{}",
        ctx()
    );
    assert!(flows
        .iter()
        .any(|f| f.rule == format!("in_port={live},dl_dst={H2} actions=output:3")));

    // The cable back: LACPDUs return, the port is enabled again and the flows flushed again.
    let from = ctl.log().len();
    let spec = format!("unix:{}", sock(&ovs, &format!("p{cut}")).display());
    bond_sh(&ovs, &["attach", &active, &spec]);
    wait_log(
        &ctl,
        from,
        5 * SECOND,
        Some(&ovs),
        &format!("slave state changed port: {cut} enabled: true"),
    );
    wait(5 * SECOND, "bond1 negotiated again", ctx, || {
        let v = partner_view(&ovs);
        v.iter()
            .all(|(_, st, sys)| st == "current attached" && sys == BR0_LOCAL)
            .then_some(())
    });
    assert!(
        !dump_flows(&ovs).iter().any(|f| f.priority == 1),
        "{}",
        ctx()
    );
    let lacp_log: Vec<String> = ctl
        .log()
        .into_iter()
        .filter(|l| l.contains("LACP") || l.contains("slave") || l.contains("PORT="))
        .collect();
    eprintln!("--- controller log (LACP lines):\n{}", lacp_log.join("\n"));
    eprintln!(
        "lacp e2e: negotiated after {negotiated:?}, port {cut} disabled {disabled_after:?} after the cut, all in {:?}",
        t0.elapsed()
    );
}

// ------------------------------------------------------------------ our crate as the partner

/// Our `sdnwire_lacp::Bond` at the far end of p1 and p2, run in real time by a thread.
struct Partner {
    events: Arc<Mutex<Vec<(Instant, sdnwire_lacp::Event)>>>,
    send: Arc<[AtomicBool; 2]>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Partner {
    /// Runs `bond`, whose time is `clock`'s, on `links`.
    fn start(
        mut bond: sdnwire_lacp::Bond,
        clock: Clock,
        mut links: Vec<(u32, FramedStream)>,
    ) -> Partner {
        let events = Arc::new(Mutex::new(Vec::new()));
        let send = Arc::new([AtomicBool::new(true), AtomicBool::new(true)]);
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (events, send, stop) = (Arc::clone(&events), Arc::clone(&send), Arc::clone(&stop));
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let now = Instant::now();
                    let bond_now = clock.at(now);
                    for (port, link) in &mut links {
                        for frame in link.read_frames() {
                            // Only slow-protocols frames reach us (the controller floods
                            // nothing here); others would be refused (and counted) as foreign.
                            let _ = bond.handle_frame(bond_now, *port, &frame);
                        }
                    }
                    bond.handle_timeout(bond_now);
                    while let Some(tx) = bond.poll_transmit(&mut buf) {
                        let i = usize::try_from(tx.port - 1).unwrap();
                        if send[i].load(Ordering::Relaxed) {
                            links[i].1.write_frame(&buf);
                        }
                    }
                    while let Some(ev) = bond.poll_event() {
                        events.lock().unwrap().push((now, ev));
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
        };
        Partner {
            events,
            send,
            stop,
            thread: Some(thread),
        }
    }

    /// Collecting and distributing of `port` (1 or 2) after the events since `since`
    /// (`None` when none says).
    fn distributing(&self, port: u32, since: Instant) -> Option<bool> {
        let mut on = None;
        for (t, e) in self.events.lock().unwrap().iter() {
            if let sdnwire_lacp::Event::Distributing { port: p, on: o } = *e {
                if p == port && *t >= since {
                    on = Some(o);
                }
            }
        }
        on
    }

    fn events(&self) -> String {
        let ev = self.events.lock().unwrap();
        ev.iter()
            .map(|(_, e)| format!("  {e:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for Partner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Our `sdnwire-lacp` bond (802.1AX, active, fast) at the far end of the two cables: both
/// ends enable both links within 4 s; our side falling silent on link 1 disables port 1 on the
/// controller and stops our link 1 distributing, link 2 untouched; speaking again brings both
/// back. Returns after a loud skip when Open vSwitch is missing (a failure under `CI=true`).
pub fn our_lacp_crate_as_partner_of_the_lacplib_responder(program: Command) {
    let Some(ovs) = Ovs::start("lacp-crate") else {
        return;
    };
    let ctl = Controller::start(program, ARGS);
    let from = br0(&ovs, &ctl);

    // Our bond: 802.1AX active, fast, two ports numbered 1 and 2.
    let system = sdnwire_packet::MacAddr([0x02, 0, 0, 0, 0x0d, 0x01]);
    let t0 = Instant::now();
    // The bond's clock starts now.
    let clock = Clock::with_origin(t0);
    let mut bond = sdnwire_lacp::Bond::new(sdnwire_lacp::Config::new(system), clock.at(t0));
    for port in [1u8, 2] {
        let mac = sdnwire_packet::MacAddr([0x02, 0, 0, 0, 0x0d, 0x10 + port]);
        bond.add_port(u32::from(port), sdnwire_lacp::PortConfig::new(mac).key(9))
            .unwrap();
        bond.handle_link(clock.at(t0), u32::from(port), true)
            .unwrap();
    }
    let links = ["p1", "p2"]
        .iter()
        .zip(1..)
        .map(|(p, n)| (n, FramedStream::new(connect(&sock(&ovs, p), 10 * SECOND))))
        .collect();
    let partner = Partner::start(bond, clock, links);
    let ctx = || {
        format!(
            "--- our bond's events:\n{}\n{}",
            partner.events(),
            context(&ctl, Some(&ovs))
        )
    };

    // Both ends enable both links.
    wait_group_enabled(&ctl, from, &ovs);
    let up = wait(
        10 * SECOND,
        "our bond distributing on both links",
        ctx,
        || {
            ([1, 2]
                .iter()
                .all(|&p| partner.distributing(p, t0) == Some(true)))
            .then(|| t0.elapsed())
        },
    );
    assert!(up <= 4 * SECOND, "up after {up:?}\n{}", ctx());

    // We fall silent on link 1: the controller disables port 1 after the short timeout;
    // the responder stops answering there, so our link 1 stops distributing too.
    let from = ctl.log().len();
    let at = Instant::now();
    partner.send[0].store(false, Ordering::Relaxed);
    wait_log(
        &ctl,
        from,
        6 * SECOND,
        Some(&ovs),
        "slave state changed port: 1 enabled: false",
    );
    let disabled = at.elapsed();
    wait(6 * SECOND, "our link 1 stops distributing", ctx, || {
        (partner.distributing(1, at) == Some(false)).then_some(())
    });
    let ours = at.elapsed();
    assert!(
        (2 * SECOND - SECOND / 5..=4 * SECOND).contains(&disabled),
        "controller: {disabled:?}"
    );
    assert!(ours <= 5 * SECOND, "our side: {ours:?}\n{}", ctx());
    assert_eq!(
        partner.distributing(2, at),
        None,
        "link 2 untouched\n{}",
        ctx()
    );
    assert!(
        !ctl.log()[from..]
            .iter()
            .any(|l| l.contains("port: 2 enabled")),
        "{}",
        ctx()
    );

    // We speak again: both ends bring link 1 back.
    let from = ctl.log().len();
    let back = Instant::now();
    partner.send[0].store(true, Ordering::Relaxed);
    wait_log(
        &ctl,
        from,
        5 * SECOND,
        Some(&ovs),
        "slave state changed port: 1 enabled: true",
    );
    wait(6 * SECOND, "our link 1 distributing again", ctx, || {
        (partner.distributing(1, back) == Some(true)).then_some(())
    });
    eprintln!(
        "lacp e2e, our crate as partner: both links up {up:?} after connecting; silent on \
         link 1 -> controller disabled port 1 after {disabled:?}, our link 1 stopped \
         distributing after {ours:?}; back in {:?}",
        back.elapsed()
    );
}
