//! Peers present or skipped: one check per peer, one skip message, one record of every skip.

use core::fmt;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// A real program a test compares our crates with, or a capability of the machine it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Peer {
    /// tshark (Wireshark's dissectors): [`tshark`].
    Tshark,
    /// Open vSwitch's userspace daemons and tools (`ovsdb-tool`, `ovsdb-server`,
    /// `ovs-vswitchd`, `ovs-vsctl`, `ovs-appctl`, `ovs-ofctl`) and its database schema: what
    /// [`crate::ovs::Ovs`] runs.
    Ovs,
    /// `ovs-ofctl` alone (`ofp-print`, `parse-flows`: no daemon).
    OvsOfctl,
    /// The workspace's venv python ([`crate::osken::python`]) able to import
    /// every module listed (`&["os_ken"]`, `&["scapy"]`).
    Python(&'static [&'static str]),
    /// os-ken's test corpus (`os_ken/tests/packet_data`, `os_ken/tests/unit/ofproto/json`) in
    /// the venv: see [`crate::osken`].
    OsKenCorpus,
    /// Network namespaces and veth pairs: `ip` (iproute2), root.
    Netns,
    /// The Linux bridge driven in namespaces: `ip` and `bridge` (iproute2), root, and python3
    /// in the namespace to send raw frames.
    LinuxBridge,
    /// Any other program, on the PATH.
    Tool(&'static str),
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Peer::Tshark => f.write_str("tshark"),
            Peer::Ovs => f.write_str("Open vSwitch"),
            Peer::OvsOfctl => f.write_str("ovs-ofctl"),
            Peer::Python(m) => write!(f, "venv python with {}", m.join(", ")),
            Peer::OsKenCorpus => f.write_str("os-ken corpus"),
            Peer::Netns => f.write_str("network namespaces"),
            Peer::LinuxBridge => f.write_str("Linux bridge"),
            Peer::Tool(t) => f.write_str(t),
        }
    }
}

impl Peer {
    /// `Ok` when the peer is here, or why it is not.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Peer::Tshark => {
                let t = tshark();
                match Command::new(&t).arg("--version").output() {
                    Ok(o) if o.status.success() => Ok(()),
                    Ok(o) => Err(format!("{} --version: {}", t.display(), o.status)),
                    Err(e) => Err(format!("{}: {e}", t.display())),
                }
            }
            Peer::Ovs => {
                tools(&[
                    "ovsdb-tool",
                    "ovsdb-server",
                    "ovs-vswitchd",
                    "ovs-vsctl",
                    "ovs-appctl",
                    "ovs-ofctl",
                ])?;
                let schema = Path::new(crate::ovs::SCHEMA);
                if schema.exists() {
                    Ok(())
                } else {
                    Err(format!("{} not found", schema.display()))
                }
            }
            Peer::OvsOfctl => tools(&["ovs-ofctl"]),
            Peer::Python(modules) => {
                let py = crate::osken::python();
                let script = modules
                    .iter()
                    .map(|m| format!("import {m}"))
                    .collect::<Vec<_>>()
                    .join("; ");
                match Command::new(&py).args(["-c", &script]).output() {
                    Err(e) => Err(format!("{}: {e}", py.display())),
                    Ok(o) if o.status.success() => Ok(()),
                    Ok(o) => Err(format!(
                        "{} -c '{script}': {}",
                        py.display(),
                        String::from_utf8_lossy(&o.stderr)
                            .lines()
                            .last()
                            .unwrap_or("")
                    )),
                }
            }
            Peer::OsKenCorpus => crate::osken::tests_dir().map(|_| ()),
            Peer::Netns => {
                tools(&["ip"])?;
                root()
            }
            Peer::LinuxBridge => {
                tools(&["ip", "bridge", "python3"])?;
                root()
            }
            Peer::Tool(t) => tools(&[t]),
        }
    }
}

fn tools(names: &[&str]) -> Result<(), String> {
    match names.iter().find(|t| !have(t)) {
        None => Ok(()),
        Some(t) => Err(format!("{t} not found on the PATH")),
    }
}

fn root() -> Result<(), String> {
    if is_root() {
        Ok(())
    } else {
        Err("not root (namespaces and veth pairs need root)".to_owned())
    }
}

/// The tshark to run: `$TSHARK`, else `tshark` on the PATH.
pub fn tshark() -> PathBuf {
    std::env::var_os("TSHARK").map_or_else(|| PathBuf::from("tshark"), PathBuf::from)
}

/// True when `tool` is on the PATH.
pub fn have(tool: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&path).any(|d| {
        let p = d.join(tool);
        p.is_file()
            && std::fs::metadata(&p).is_ok_and(|m| {
                use std::os::unix::fs::PermissionsExt;
                m.permissions().mode() & 0o111 != 0
            })
    })
}

/// True when the tests run as root.
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// True when `CI=true`: a missing peer is then a failure, not a skip.
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Checks every peer in order; at the first one missing, [`skip`]s (or panics under `CI=true`)
/// and returns false. True when all are here.
pub fn require(peers: &[Peer]) -> bool {
    for p in peers {
        if let Err(why) = p.check() {
            skip(&p.to_string(), &why);
            return false;
        }
    }
    true
}

/// The one way a test skips: under `CI=true` it panics (a missing peer is a failure there);
/// otherwise it prints `SKIPPED <test>: <what> missing: <why>` to stderr and appends
/// `<test>\t<what>\t<why>` to [`skips_file`], once per test and peer. `what` names the peer;
/// `why` says what was not found (or what failed when the peer was set up).
pub fn skip(what: &str, why: &str) {
    let test = test_name();
    let why = why.trim().replace(['\n', '\t'], " ");
    if ci() {
        panic!("{test}: {what} missing: {why}; CI=true: a missing peer is a failure");
    }
    // Once per test and peer: a helper that asks again (a corpus read per message) says nothing
    // new.
    static SAID: Mutex<BTreeSet<(String, String)>> = Mutex::new(BTreeSet::new());
    let first = SAID.lock().map_or(true, |mut said| {
        said.insert((test.clone(), what.to_owned()))
    });
    if !first {
        return;
    }
    // Straight to the process's stderr: libtest captures `eprintln!` of a passing test, and a
    // skip must show.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {what} missing: {why} (scripts/install-peers.sh installs the peers)"
    );
    let file = skips_file();
    let line = format!("{test}\t{what}\t{why}\n");
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&file)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(e) = written {
        let _ = writeln!(
            std::io::stderr(),
            "(could not record the skip in {}: {e})",
            file.display()
        );
    }
}

/// The test binary and test the current thread runs (`differential::tshark_agrees`): libtest
/// names each test's thread after the test.
fn test_name() -> String {
    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .map(|s| match s.rsplit_once('-') {
            Some((name, hash)) if hash.chars().all(|c| c.is_ascii_hexdigit()) => name.to_owned(),
            _ => s,
        })
        .unwrap_or_else(|| "?".to_owned());
    match std::thread::current().name() {
        Some(t) if t != "main" => format!("{binary}::{t}"),
        _ => binary,
    }
}

/// Where skips are recorded: `testkit-skips.txt` in the cargo target folder (the test binary's
/// ancestor holding cargo's `CACHEDIR.TAG`, else `$CARGO_TARGET_DIR`, else the workspace's
/// `target/`).
pub fn skips_file() -> PathBuf {
    target_dir().join("testkit-skips.txt")
}

fn target_dir() -> PathBuf {
    // cargo runs a test in its package's folder: a relative $CARGO_TARGET_DIR would resolve
    // there, so the test binary's own target folder comes first.
    if let Ok(exe) = std::env::current_exe() {
        if let Some(d) = exe.ancestors().find(|a| a.join("CACHEDIR.TAG").is_file()) {
            return d.to_path_buf();
        }
    }
    match std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
        Some(d) if d.is_absolute() => d,
        Some(d) => crate::workspace_root().join(d),
        None => crate::workspace_root().join("target"),
    }
}
