//! A snooping switch with its own querier and three hosts, on a virtual clock: hosts join and
//! leave (IGMPv2 and IGMPv3 with sources), the switch queries, and we print what it sends, the
//! events, and the forwarding table after each step.
//!
//! ```text
//! cargo run -p sdnwire-igmp --example querier_and_hosts
//! ```

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::net::Ipv4Addr;
use core::time::Duration;

use sdnwire_igmp::{Config, Egress, Instant, QuerierConfig, Snooper, VlanId};
use sdnwire_packet::igmp::{GroupRecord, IgmpType, IgmpV2, IgmpV3Report, RecordType};
use sdnwire_packet::{Encode, Ethernet, Igmp, Ipv4, MacAddr, Packet};

fn ip(s: &str) -> Ipv4Addr {
    s.parse().expect("address")
}

fn frame(src: Ipv4Addr, dst: Ipv4Addr, igmp: Igmp) -> Vec<u8> {
    let mut h = Ipv4::new(src, dst);
    h.ttl = 1;
    h.tos = 0xc0;
    h.option = vec![0x94, 0x04, 0, 0].into(); // Router Alert
    let o = dst.octets();
    let eth = Ethernet::new(
        MacAddr::new(1, 0, 0x5e, o[1] & 0x7f, o[2], o[3]),
        MacAddr::new(2, 0, 0, 0, 0, src.octets()[3]),
    );
    (eth / h / igmp).with_min_len(60).to_vec().expect("frame")
}

fn v2_report(host: &str, group: &str) -> Vec<u8> {
    let g = ip(group);
    frame(
        ip(host),
        g,
        Igmp::V2(IgmpV2::new(IgmpType::REPORT_V2, 0, g)),
    )
}

fn v2_leave(host: &str, group: &str) -> Vec<u8> {
    frame(
        ip(host),
        ip("224.0.0.2"),
        Igmp::V2(IgmpV2::new(IgmpType::LEAVE, 0, ip(group))),
    )
}

fn v3_report(host: &str, rtype: RecordType, group: &str, sources: &[&str]) -> Vec<u8> {
    let rec = GroupRecord::new(rtype, ip(group), sources.iter().map(|s| ip(s)).collect());
    frame(
        ip(host),
        ip("224.0.0.22"),
        Igmp::V3Report(IgmpV3Report::new(vec![rec])),
    )
}

struct World {
    sn: Snooper,
    t0: Instant,
    now: Instant,
    /// The one buffer frames are written into.
    buf: Vec<u8>,
}

impl World {
    fn secs(&self) -> f64 {
        (self.now - self.t0).as_secs_f64()
    }

    /// Drains the snooper and prints what came out.
    fn drain(&mut self) {
        while let Some(tx) = self.sn.poll_transmit(&mut self.buf) {
            let what = Packet::parse(&self.buf)
                .ok()
                .and_then(|p| p.get::<Igmp>().cloned())
                .map_or_else(|| "?".to_string(), |i| i.to_string());
            let to = match tx.egress {
                Egress::RouterPorts { except } => {
                    let ports: Vec<u32> = self
                        .sn
                        .router_ports(tx.vlan)
                        .iter()
                        .copied()
                        .filter(|&p| Some(p) != except)
                        .collect();
                    format!("router ports {ports:?}")
                }
                other => other.to_string(),
            };
            println!("{:8.2}s  {} to {to}: {what}", self.secs(), tx.kind);
        }
        while let Some(ev) = self.sn.poll_event() {
            println!("{:8.2}s  event: {ev}", self.secs());
        }
    }

    fn frame(&mut self, port: u32, what: &str, f: &[u8]) {
        println!("{:8.2}s  port {port}: {what}", self.secs());
        if let Err(e) = self.sn.handle_frame(self.now, port, None, f) {
            println!("{:8.2}s  refused: {e}", self.secs());
        }
        self.drain();
    }

    /// Runs the clock to `secs`, waking the snooper whenever it asks.
    fn run_until(&mut self, secs: u64) {
        let end = self.t0 + Duration::from_secs(secs);
        while let Some(t) = self.sn.poll_timeout().filter(|&t| t <= end) {
            self.now = self.now.max(t);
            self.sn.handle_timeout(self.now);
            self.drain();
        }
        self.now = end;
    }

    fn table(&self) {
        println!("{:8.2}s  forwarding table:", self.secs());
        for m in self.sn.memberships() {
            let sources: Vec<String> = m
                .sources
                .iter()
                .map(|s| match s.timer {
                    Some(t) => format!("{}/{:.0}s", s.addr, (t - self.now).as_secs_f64()),
                    None => format!("{}/blocked", s.addr),
                })
                .collect();
            println!(
                "           port {} grp {} {} [{}]{}",
                m.port,
                m.group,
                m.mode,
                sources.join(", "),
                m.group_timer.map_or(String::new(), |t| format!(
                    " group timer {:.0}s",
                    (t - self.now).as_secs_f64()
                )),
            );
        }
    }
}

fn main() {
    let config = Config {
        querier: Some(QuerierConfig {
            server_port: Some(4),
            ..QuerierConfig::new(ip("192.168.0.254"))
        }),
        query_interval: Duration::from_secs(60),
        ..Config::default()
    };
    let t0 = Instant::ZERO;
    let mut w = World {
        sn: Snooper::new(config, t0),
        t0,
        now: t0,
        buf: Vec::new(),
    };
    w.drain();

    w.run_until(2);
    w.frame(
        1,
        "h1 joins 225.0.0.1 (IGMPv2)",
        &v2_report("192.168.0.1", "225.0.0.1"),
    );
    w.frame(
        3,
        "h3 joins 225.0.0.1 (IGMPv2)",
        &v2_report("192.168.0.3", "225.0.0.1"),
    );
    w.frame(
        2,
        "h2 wants 225.0.0.2 from 10.0.0.7 only (IGMPv3 ALLOW)",
        &v3_report("192.168.0.2", RecordType::ALLOW, "225.0.0.2", &["10.0.0.7"]),
    );
    w.table();
    for (g, s) in [
        ("225.0.0.1", "10.0.0.7"),
        ("225.0.0.2", "10.0.0.7"),
        ("225.0.0.2", "10.0.0.8"),
    ] {
        println!(
            "           traffic {s} -> {g} from the server (port 4): {:?}",
            w.sn.forward_ports(VlanId::UNTAGGED, ip(g), ip(s), 4)
        );
    }

    w.run_until(10);
    w.frame(
        3,
        "h3 leaves 225.0.0.1",
        &v2_leave("192.168.0.3", "225.0.0.1"),
    );
    w.run_until(13);
    w.table();

    w.frame(
        2,
        "h2 stops 10.0.0.7 (IGMPv3 BLOCK)",
        &v3_report("192.168.0.2", RecordType::BLOCK, "225.0.0.2", &["10.0.0.7"]),
    );
    w.run_until(20);
    w.table();

    println!("           (h1 keeps answering the general queries; nobody else does)");
    for t in [65, 125, 185] {
        w.run_until(t);
        w.frame(1, "h1 answers", &v2_report("192.168.0.1", "225.0.0.1"));
    }
    w.run_until(300);
    w.frame(
        1,
        "h1 leaves 225.0.0.1",
        &v2_leave("192.168.0.1", "225.0.0.1"),
    );
    w.run_until(305);
    w.table();
    println!("stats: {:?}", w.sn.stats());
}
