//! More than one machine, on loopback: two collectors, each receiving a share of the agents,
//! push to one carbon-relay (Debian's graphite-carbon, consistent hashing, one copy of each
//! metric) in front of two carbon-cache instances, every file in one private folder. Each
//! metric must land in exactly one cache's whisper files, and together they hold every metric
//! of every agent. Skipped loudly (a failure under CI=true) when carbon is missing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::indexing_slicing, clippy::std_instead_of_core)]

mod common;

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::*;
use sdnwire_collector::config::{Config, GraphiteConfig};
use sdnwire_testkit::{require, Peer};

fn wait_for(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        sleep(Duration::from_millis(200));
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// carbon-relay on a line port, consistent-hashing to carbon-cache instances `a` and `b`,
/// each with its own whisper folder; one carbon.conf, every folder in `dir`.
struct Cluster {
    dir: PathBuf,
    relay_port: u16,
    /// (program, instance) for each daemon started, to stop them by pid file.
    started: Vec<(&'static str, Option<&'static str>)>,
}

impl Cluster {
    fn start() -> Cluster {
        let dir = std::env::temp_dir().join(format!("carbon-relay-col-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let d = dir.display();
        let common = format!(
            "STORAGE_DIR = {d}/\nWHITELISTS_DIR = {d}/\nCONF_DIR = {d}/\nLOG_DIR = {d}/log/\n\
             PID_DIR = {d}/\nUSER =\nLINE_RECEIVER_INTERFACE = 127.0.0.1\n\
             PICKLE_RECEIVER_INTERFACE = 127.0.0.1\nCACHE_QUERY_INTERFACE = 127.0.0.1\n\
             ENABLE_UDP_LISTENER = False\n"
        );
        let (pickle_a, pickle_b) = (free_port(), free_port());
        let relay_port = free_port();
        let mut conf = format!(
            "[cache]\n{common}WHISPER_AUTOFLUSH = True\nMAX_CREATES_PER_MINUTE = inf\n\
             MAX_CACHE_SIZE = inf\nMAX_UPDATES_PER_SECOND = inf\n"
        );
        for (name, pickle) in [("a", pickle_a), ("b", pickle_b)] {
            std::fs::create_dir_all(dir.join(name)).unwrap();
            conf += &format!(
                "\n[cache:{name}]\nLOCAL_DATA_DIR = {d}/{name}/\nLINE_RECEIVER_PORT = {}\n\
                 PICKLE_RECEIVER_PORT = {pickle}\nCACHE_QUERY_PORT = {}\n",
                free_port(),
                free_port()
            );
        }
        conf += &format!(
            "\n[relay]\n{common}LINE_RECEIVER_PORT = {relay_port}\nPICKLE_RECEIVER_PORT = {}\n\
             RELAY_METHOD = consistent-hashing\nREPLICATION_FACTOR = 1\n\
             DESTINATIONS = 127.0.0.1:{pickle_a}:a, 127.0.0.1:{pickle_b}:b\n",
            free_port()
        );
        std::fs::write(dir.join("carbon.conf"), conf).unwrap();
        std::fs::write(
            dir.join("storage-schemas.conf"),
            "[all]\npattern = .*\nretentions = 1s:1h\n",
        )
        .unwrap();
        let mut cluster = Cluster {
            dir,
            relay_port,
            started: Vec::new(),
        };
        cluster.run("carbon-cache", Some("a"));
        cluster.run("carbon-cache", Some("b"));
        for port in [pickle_a, pickle_b] {
            wait_for("carbon-cache's pickle receiver", 60, || {
                std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
            });
        }
        cluster.run("carbon-relay", None);
        wait_for("carbon-relay's line receiver", 60, || {
            std::net::TcpStream::connect(("127.0.0.1", relay_port)).is_ok()
        });
        cluster
    }

    fn pid_file(&self, program: &str, instance: Option<&str>) -> PathBuf {
        self.dir.join(match instance {
            Some(i) => format!("{program}-{i}.pid"),
            None => format!("{program}.pid"),
        })
    }

    fn run(&mut self, program: &'static str, instance: Option<&'static str>) {
        let mut cmd = Command::new(program);
        cmd.arg(format!(
            "--config={}",
            self.dir.join("carbon.conf").display()
        ))
        .arg(format!(
            "--pidfile={}",
            self.pid_file(program, instance).display()
        ));
        if let Some(i) = instance {
            cmd.arg(format!("--instance={i}"));
        }
        let out = cmd.arg("start").output().unwrap();
        assert!(
            out.status.success(),
            "{program} {instance:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        self.started.push((program, instance));
    }

    /// The metrics under `prefix` that cache `instance` holds a whisper file for.
    fn metrics(&self, instance: &str, prefix: &str) -> BTreeSet<String> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(root, &p, out);
                } else if p.extension().is_some_and(|x| x == "wsp") {
                    let rel = p.strip_prefix(root).unwrap().with_extension("");
                    out.insert(rel.to_string_lossy().replace('/', "."));
                }
            }
        }
        let root = self.dir.join(instance);
        let mut out = BTreeSet::new();
        walk(&root, &root.join(prefix), &mut out);
        out
    }

    /// The values cache `instance` holds for `metric`, `None`s left out.
    fn fetch(&self, instance: &str, metric: &str) -> Vec<f64> {
        let file = self
            .dir
            .join(instance)
            .join(format!("{}.wsp", metric.replace('.', "/")));
        let out = Command::new("whisper-fetch")
            .arg("--from=0")
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "whisper-fetch {}", file.display());
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_whitespace().nth(1)?.parse().ok())
            .collect()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for (program, instance) in self.started.iter().rev() {
            if let Ok(pid) = std::fs::read_to_string(self.pid_file(program, *instance)) {
                let _ = Command::new("kill").arg(pid.trim()).status();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const METRICS: [&str; 3] = ["pairs", "sum:ifinoctets", "max:ifinpkts"];

#[test]
fn two_collectors_through_carbon_relay_to_two_caches() {
    require!(
        Peer::Tool("carbon-cache"),
        Peer::Tool("carbon-relay"),
        Peer::Tool("whisper-fetch")
    );
    let cluster = Cluster::start();
    let collector = || {
        let svc = start(Config {
            metrics: METRICS.iter().map(|m| (*m).into()).collect(),
            graphite: Some(GraphiteConfig {
                server: format!("127.0.0.1:{}", cluster.relay_port),
                prefix: "sflow".into(),
                interval: Duration::from_millis(500),
                per_agent: true,
                buffer: 10_000,
            }),
            ..Config::default()
        });
        let r = request(
            svc.http_addr,
            "PUT",
            "/flow/pairs/json",
            Some(r#"{"keys":"ipsource,ipdestination","value":"bytes"}"#),
        );
        assert_eq!(r.status, 204);
        svc
    };
    let (one, two) = (collector(), collector());
    // Agents 192.0.2.1 and .2 report to the first collector, .3 and .4 to the second.
    let shares = [
        (one.sflow_addrs[0], ["192.0.2.1", "192.0.2.2"]),
        (two.sflow_addrs[0], ["192.0.2.3", "192.0.2.4"]),
    ];
    let stop = Arc::new(AtomicBool::new(false));
    let sender = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let sock = agent_socket();
            let frame = tcp_frame([10, 0, 0, 1], [10, 0, 0, 2], 40000, 80);
            let mut seq = 0u32;
            while !stop.load(Ordering::Relaxed) {
                seq += 1;
                for (to, agents) in &shares {
                    for agent in agents {
                        let mut samples = vec![flow_sample(seq, 1, 100, &frame, 1000)];
                        if seq % 5 == 0 {
                            let n = seq / 5;
                            samples.push(counter_sample(n, 1, u64::from(n) * 50_000, n * 40, 0));
                        }
                        sock.send_to(&datagram(agent, seq, seq * 20, samples), to)
                            .unwrap();
                    }
                }
                sleep(Duration::from_millis(20));
            }
        })
    };

    let expected: BTreeSet<String> = ["192_0_2_1", "192_0_2_2", "192_0_2_3", "192_0_2_4"]
        .iter()
        .flat_map(|a| {
            METRICS
                .iter()
                .map(move |m| format!("sflow.{a}.{}", m.replace(':', "_")))
        })
        .collect();
    let union = |c: &Cluster| -> BTreeSet<String> {
        c.metrics("a", "sflow")
            .union(&c.metrics("b", "sflow"))
            .cloned()
            .collect()
    };
    wait_for("every metric of every agent in whisper", 90, || {
        union(&cluster) == expected
    });
    // A few more pushes: nothing moves to the other cache and nothing else appears.
    sleep(Duration::from_secs(3));
    stop.store(true, Ordering::Relaxed);
    sender.join().unwrap();
    let (a, b) = (cluster.metrics("a", "sflow"), cluster.metrics("b", "sflow"));
    eprintln!("cache a: {a:?}\ncache b: {b:?}");
    let both: Vec<&String> = a.intersection(&b).collect();
    assert!(both.is_empty(), "in both caches: {both:?}");
    assert_eq!(union(&cluster), expected);
    assert!(
        !a.is_empty() && !b.is_empty(),
        "one cache got everything: a {a:?} b {b:?}"
    );
    for m in &expected {
        let cache = if a.contains(m) { "a" } else { "b" };
        let values = cluster.fetch(cache, m);
        assert!(
            values.iter().any(|v| *v > 0.0),
            "{m} in cache {cache}: {values:?}"
        );
    }
    for svc in [&one, &two] {
        let an = get(svc.http_addr, "/analyzer/json").json();
        assert_eq!(an["graphiteLinesDropped"], 0, "{an}");
    }
}
