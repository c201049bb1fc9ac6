//! What the tests against a real Open vSwitch share: a private OVS run by scripts/ovs.sh, and
//! waiting with a deadline.
#![allow(dead_code)] // each test file uses its own part

use core::time::Duration;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

// ------------------------------------------------------------------ Open vSwitch

/// A private Open vSwitch run by scripts/ovs.sh in a temporary directory; stopped (by the PIDs
/// in its pidfiles) and removed on drop.
pub(crate) struct Ovs {
    /// The directory holding everything.
    pub(crate) dir: PathBuf,
}

pub(crate) fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/ovs.sh")
}

pub(crate) fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

impl Ovs {
    /// Starts OVS, or returns `None` after saying why the test is skipped (panics under CI).
    pub(crate) fn start(name: &str) -> Option<Ovs> {
        let schema = Path::new("/usr/share/openvswitch/vswitch.ovsschema");
        for tool in [
            "ovsdb-tool",
            "ovsdb-server",
            "ovs-vswitchd",
            "ovs-vsctl",
            "ovs-appctl",
            "ovs-ofctl",
        ] {
            if !have(tool) || !schema.exists() {
                let why = format!("{tool} or {} not found", schema.display());
                if std::env::var("CI").is_ok_and(|v| v == "true") {
                    panic!("{why}; CI=true: a missing peer is a failure");
                }
                eprintln!(
                    "SKIPPED: {why} (scripts/ovs.sh install, or scripts/install-peers.sh, installs Open vSwitch)"
                );
                return None;
            }
        }
        let dir = std::env::temp_dir().join(format!("examples-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let ovs = Ovs { dir };
        ovs.sh(&["start"]);
        Some(ovs)
    }

    /// Runs scripts/ovs.sh with this OVS's directory; panics (with the log) when it fails.
    pub(crate) fn sh(&self, args: &[&str]) -> String {
        let out = Command::new(script())
            .args(args)
            .env("OVS_DIR", &self.dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "scripts/ovs.sh {args:?}: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.log_tail()
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub(crate) fn ofctl(&self, args: &[&str]) -> String {
        self.sh(&[&["ofctl"], args].concat())
    }

    pub(crate) fn inject(&self, port: &str, frame: &[u8]) {
        let hex: String = frame.iter().map(|b| format!("{b:02x}")).collect();
        self.sh(&["inject", port, &hex]);
    }

    /// Captures what `port` transmits; returns the pcap file.
    pub(crate) fn tx_pcap(&self, port: &str) -> PathBuf {
        let f = self.dir.join(format!("{port}.pcap"));
        self.sh(&["tx_pcap", port, f.to_str().unwrap()]);
        f
    }

    pub(crate) fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.join("ovs-vswitchd.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        format!(
            "--- ovs-vswitchd.log (end):\n{}",
            lines[lines.len().saturating_sub(25)..].join("\n")
        )
    }
}

impl Drop for Ovs {
    fn drop(&mut self) {
        let _ = Command::new(script())
            .arg("stop")
            .env("OVS_DIR", &self.dir)
            .output();
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Polls `check` every 20 ms until it gives a value; panics with `context()` after `within`.
pub(crate) fn wait<T>(
    within: Duration,
    what: &str,
    context: impl Fn() -> String,
    mut check: impl FnMut() -> Option<T>,
) -> T {
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = check() {
            return v;
        }
        if Instant::now() > deadline {
            panic!("waited {within:?} for {what}\n{}", context());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
