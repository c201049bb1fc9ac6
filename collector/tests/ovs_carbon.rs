//! The pipeline end to end with real peers: Open vSwitch's sFlow agent (a private userspace
//! OVS on the dummy datapath) samples frames injected on its ports and sends datagrams to the
//! collector; the REST API answers what OVS saw; a real carbon-cache (Debian's
//! graphite-carbon, on loopback, in a private folder) stores what the collector pushes, read
//! back with whisper-fetch. Skipped loudly (a failure under CI=true) when a peer is missing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::indexing_slicing, clippy::std_instead_of_core)]

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::*;
use sdnwire_collector::config::{Config, GraphiteConfig};
use sdnwire_testkit::ovs::Ovs;
use sdnwire_testkit::{require, Peer};

fn wait_for(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        sleep(Duration::from_millis(100));
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A private carbon-cache on loopback (ORACLES: a carbon.conf whose every folder is ours).
struct Carbon {
    dir: std::path::PathBuf,
    port: u16,
}

impl Carbon {
    fn start(name: &str) -> Carbon {
        let dir = std::env::temp_dir().join(format!("carbon-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("whisper")).unwrap();
        let port = free_port();
        let d = dir.display();
        std::fs::write(
            dir.join("carbon.conf"),
            format!(
                "[cache]\nSTORAGE_DIR = {d}/\nLOCAL_DATA_DIR = {d}/whisper/\nWHITELISTS_DIR = {d}/\n\
                 CONF_DIR = {d}/\nLOG_DIR = {d}/\nPID_DIR = {d}/\nUSER =\n\
                 LINE_RECEIVER_INTERFACE = 127.0.0.1\nLINE_RECEIVER_PORT = {port}\n\
                 PICKLE_RECEIVER_INTERFACE = 127.0.0.1\nPICKLE_RECEIVER_PORT = {}\n\
                 CACHE_QUERY_INTERFACE = 127.0.0.1\nCACHE_QUERY_PORT = {}\n\
                 WHISPER_AUTOFLUSH = True\nMAX_CREATES_PER_MINUTE = inf\nMAX_CACHE_SIZE = inf\n\
                 MAX_UPDATES_PER_SECOND = inf\n",
                free_port(),
                free_port()
            ),
        )
        .unwrap();
        std::fs::write(
            dir.join("storage-schemas.conf"),
            "[all]\npattern = .*\nretentions = 1s:1h\n",
        )
        .unwrap();
        let carbon = Carbon { dir, port };
        carbon.run(&["start"]);
        wait_for("carbon's line receiver", 30, || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        carbon
    }

    fn run(&self, args: &[&str]) {
        let out = Command::new("carbon-cache")
            .arg(format!(
                "--config={}",
                self.dir.join("carbon.conf").display()
            ))
            .arg(format!("--pidfile={}", self.dir.join("c.pid").display()))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "carbon-cache {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The values whisper holds for `path` (`a.b.c`), `None`s left out.
    fn fetch(&self, path: &str) -> Vec<f64> {
        self.fetch_at(path).into_iter().map(|(_, v)| v).collect()
    }

    /// The (unix time, value) pairs whisper holds for `path`, `None`s left out.
    fn fetch_at(&self, path: &str) -> Vec<(u64, f64)> {
        let file = self
            .dir
            .join("whisper")
            .join(format!("{}.wsp", path.replace('.', "/")));
        if !Path::new(&file).exists() {
            return Vec::new();
        }
        let out = Command::new("whisper-fetch")
            .arg("--from=0")
            .arg(&file)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| {
                let mut w = l.split_whitespace();
                Some((w.next()?.parse().ok()?, w.next()?.parse().ok()?))
            })
            .collect()
    }
}

impl Drop for Carbon {
    fn drop(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(self.dir.join("c.pid")) {
            let _ = Command::new("kill").arg(pid.trim()).status();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn ovs_sflow_to_rest_api_and_carbon() {
    require!(
        Peer::Ovs,
        Peer::Tool("carbon-cache"),
        Peer::Tool("whisper-fetch")
    );
    let carbon = Carbon::start("col");
    let svc = start(Config {
        metrics: vec!["pairs".into(), "max:ifinpkts".into()],
        graphite: Some(GraphiteConfig {
            server: format!("127.0.0.1:{}", carbon.port),
            prefix: "ovs".into(),
            interval: Duration::from_millis(500),
            per_agent: true,
            buffer: 1000,
        }),
        ..Config::default()
    });
    let r = request(
        svc.http_addr,
        "PUT",
        "/flow/pairs/json",
        Some(r#"{"keys":"ipsource,ipdestination","value":"frames","t":1}"#),
    );
    assert_eq!(r.status, 204);

    let Some(ovs) = Ovs::start("col-sflow") else {
        return;
    };
    ovs.add_bridge("br0", 1, 2, None);
    ovs.ofctl(&["add-flow", "br0", "actions=output:2"]);
    ovs.vsctl(&["set", "interface", "p1", "options:ifindex=101"]);
    ovs.vsctl(&["set", "interface", "p2", "options:ifindex=102"]);
    let target = format!("target=\"127.0.0.1:{}\"", svc.sflow_addrs[0].port());
    ovs.vsctl(&[
        "--",
        "--id=@s",
        "create",
        "sflow",
        "agent=127.0.0.1",
        &target,
        "sampling=1",
        "polling=1",
        "header=128",
        "--",
        "set",
        "bridge",
        "br0",
        "sflow=@s",
    ]);
    // Three frames of 10.0.0.1 -> 10.0.0.2 for each of 10.0.0.3 -> 10.0.0.4, on port 1.
    let big = tcp_frame([10, 0, 0, 1], [10, 0, 0, 2], 40000, 80);
    let small = tcp_frame([10, 0, 0, 3], [10, 0, 0, 4], 40001, 443);
    for i in 0..80 {
        ovs.inject("p1", if i % 4 == 3 { &small } else { &big });
    }
    let a = svc.http_addr;
    wait_for("OVS's flow samples", 30, || {
        get(a, "/analyzer/json").json()["sFlowFlowSamples"]
            .as_u64()
            .unwrap()
            >= 80
    });
    // OVS names its agent by the address given; its counter samples every second give rates.
    let agents = get(a, "/agents/json").json();
    assert!(
        agents["127.0.0.1"]["sFlowDatagramsReceived"]
            .as_u64()
            .unwrap()
            > 0,
        "{agents}"
    );
    assert_eq!(agents["127.0.0.1"]["sFlowDatagramsBad"], 0);
    let m = get(a, "/metric/127.0.0.1/pairs/json").json();
    let top = m[0]["topKeys"].as_array().unwrap();
    assert_eq!(top[0]["key"], "10.0.0.1,10.0.0.2", "{m}");
    assert_eq!(top[1]["key"], "10.0.0.3,10.0.0.4", "{m}");
    // OVS samples on ingress: the data source is the input port's ifindex.
    assert_eq!(m[0]["dataSource"], "101", "{m}");
    let ratio = top[0]["value"].as_f64().unwrap() / top[1]["value"].as_f64().unwrap();
    assert!((2.0..4.5).contains(&ratio), "{ratio}: {m}");
    wait_for("interface counters of both ports", 30, || {
        get(a, "/metric/ALL/max:ifinpkts/json").json()[0]["metricN"]
            .as_u64()
            .unwrap_or(0)
            >= 2
    });
    // Carbon stored what the collector pushed, per agent: ovs.127_0_0_1.pairs.
    wait_for("whisper files", 30, || {
        !carbon.fetch("ovs.127_0_0_1.pairs").is_empty()
    });
    let pairs = carbon.fetch("ovs.127_0_0_1.pairs");
    assert!(pairs.iter().all(|v| *v > 0.0), "{pairs:?}");
    wait_for("ifinpkts in whisper", 30, || {
        !carbon.fetch("ovs.127_0_0_1.max_ifinpkts").is_empty()
    });
    let an = get(a, "/analyzer/json").json();
    assert_eq!(an["graphiteLinesDropped"], 0, "{an}");
    assert!(an["graphiteLinesSent"].as_u64().unwrap() >= 2, "{an}");
}

/// `rx pkts` of `port` as `ovs-ofctl dump-ports` counts it.
fn rx_packets(ovs: &Ovs, port: &str) -> u64 {
    let out = ovs.ofctl(&["dump-ports", "br0", port]);
    let at = out.find("rx pkts=").unwrap_or_else(|| panic!("{out}")) + "rx pkts=".len();
    out[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("{out}"))
}

fn median(mut v: Vec<f64>) -> f64 {
    assert!(!v.is_empty());
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn within(what: &str, seen: f64, expected: f64, tolerance: f64) {
    let err = (seen - expected).abs() / expected;
    eprintln!(
        "{what}: {seen:.1} against {expected:.1} ({:+.1} %)",
        100.0 * (seen - expected) / expected
    );
    assert!(
        err <= tolerance,
        "{what}: {seen} is not within {tolerance} of {expected}"
    );
}

/// Numbers end to end: frames injected into OVS at a steady, known rate for 10 s; the flow
/// rate the REST API gives (frames per second, sampling 1 in 1), the interface counter rate
/// (`sum:ifinpkts`, from OVS's counter samples every second) and what carbon stored for both
/// must all be within 20 % of the rate `ovs-ofctl dump-ports` counts over the same window.
#[test]
fn ovs_rates_match_dump_ports_and_whisper() {
    require!(
        Peer::Ovs,
        Peer::Tool("carbon-cache"),
        Peer::Tool("whisper-fetch")
    );
    let carbon = Carbon::start("rates");
    let svc = start(Config {
        metrics: vec!["rate".into(), "sum:ifinpkts".into()],
        graphite: Some(GraphiteConfig {
            server: format!("127.0.0.1:{}", carbon.port),
            prefix: "ovsrate".into(),
            interval: Duration::from_secs(1),
            per_agent: false,
            buffer: 1000,
        }),
        ..Config::default()
    });
    let a = svc.http_addr;
    let r = request(
        a,
        "PUT",
        "/flow/rate/json",
        Some(r#"{"keys":"ipsource,ipdestination","value":"frames","t":2}"#),
    );
    assert_eq!(r.status, 204);
    let Some(ovs) = Ovs::start("col-rates") else {
        return;
    };
    ovs.add_bridge("br0", 1, 2, None);
    ovs.ofctl(&["add-flow", "br0", "actions=output:2"]);
    ovs.vsctl(&["set", "interface", "p1", "options:ifindex=101"]);
    ovs.vsctl(&["set", "interface", "p2", "options:ifindex=102"]);
    let target = format!("target=\"127.0.0.1:{}\"", svc.sflow_addrs[0].port());
    ovs.vsctl(&[
        "--",
        "--id=@s",
        "create",
        "sflow",
        "agent=127.0.0.1",
        &target,
        "sampling=1",
        "polling=1",
        "header=128",
        "--",
        "set",
        "bridge",
        "br0",
        "sflow=@s",
    ]);
    let hex = sdnwire_testkit::hex(&tcp_frame([10, 0, 0, 1], [10, 0, 0, 2], 40000, 80));
    // 20 frames per netdev-dummy/receive, one call every 100 ms: about 200 frames/s (less
    // when the machine is loaded; the rate that counts is the one measured).
    const BATCH: usize = 20;
    let mut args = vec!["netdev-dummy/receive", "p1"];
    args.extend(std::iter::repeat_n(hex.as_str(), BATCH));
    let inject_for = |secs: u64| {
        let start = Instant::now();
        let mut calls = 0u32;
        while start.elapsed() < Duration::from_secs(secs) {
            ovs.appctl(&args);
            calls += 1;
            let next = Duration::from_millis(100) * calls;
            if let Some(wait) = next.checked_sub(start.elapsed()) {
                sleep(wait);
            }
        }
        u64::from(calls) * BATCH as u64
    };
    // Warm up: OVS's counter samples and the flow's smoothing (t = 2 s) settle.
    inject_for(4);
    let rx0 = rx_packets(&ovs, "1");
    let t0 = Instant::now();
    let unix0 = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let injected = inject_for(10);
    // Read the REST API at the end of the window, while traffic still flows.
    let flow = get(a, "/metric/ALL/rate/json").json();
    let counters = get(a, "/metric/ALL/sum:ifinpkts/json").json();
    let rx1 = rx_packets(&ovs, "1");
    let secs = t0.elapsed().as_secs_f64();
    let unix1 = unix0 + Duration::from_secs_f64(secs).as_secs();
    let truth = (rx1 - rx0) as f64 / secs;
    eprintln!(
        "injected {injected} frames; dump-ports: {} frames in {secs:.2} s: {truth:.1} frames/s",
        rx1 - rx0
    );
    // OVS received every frame handed to it, and nothing else on that port.
    assert_eq!(rx1 - rx0, injected);
    assert!(truth > 20.0, "too few frames injected: {truth}/s");
    within(
        "REST flow rate",
        flow[0]["metricValue"].as_f64().unwrap(),
        truth,
        0.2,
    );
    assert_eq!(flow[0]["topKeys"][0]["key"], "10.0.0.1,10.0.0.2", "{flow}");
    within(
        "REST sum:ifinpkts",
        counters[0]["metricValue"].as_f64().unwrap(),
        truth,
        0.2,
    );
    // Carbon's whisper files: the values stored over the window's second half.
    let stored = |name: &str| -> Vec<f64> {
        carbon
            .fetch_at(name)
            .into_iter()
            .filter(|(t, _)| (unix0 + 5..=unix1).contains(t))
            .map(|(_, v)| v)
            .collect()
    };
    wait_for("the window in whisper", 30, || {
        stored("ovsrate.rate").len() >= 3 && stored("ovsrate.sum_ifinpkts").len() >= 3
    });
    within(
        "whisper rate (median)",
        median(stored("ovsrate.rate")),
        truth,
        0.2,
    );
    within(
        "whisper sum_ifinpkts (median)",
        median(stored("ovsrate.sum_ifinpkts")),
        truth,
        0.2,
    );
    let an = get(a, "/analyzer/json").json();
    assert_eq!(an["sFlowDatagramsBad"], 0, "{an}");
    assert_eq!(an["graphiteLinesDropped"], 0, "{an}");
}
