//! What the tests against Open vSwitch's LACP share: a private userspace OVS (scripts/ovs.sh,
//! one directory per test, stopped on drop), bonds over dummy ports whose other ends are unix
//! sockets (scripts/lacp-ovs-bond.sh), the 2-byte length framing of those sockets, and parsers
//! for `ovs-appctl lacp/show` and `lacp/show-stats`.
#![allow(dead_code)] // each test file uses its own part

use core::time::Duration;
use std::collections::BTreeMap;
use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

// ------------------------------------------------------------------ Open vSwitch

/// A private Open vSwitch (scripts/ovs.sh) in its own directory; stopped by the PIDs of its
/// pidfiles and removed on drop (kept when the test failed, for its logs).
pub(crate) struct Ovs {
    /// The directory holding the database, sockets, pidfiles and logs.
    pub(crate) dir: PathBuf,
}

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts")
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether Open vSwitch is installed; if not, says so loudly (SKIP) and returns false, or
/// panics when CI=true (a missing peer is a failure there).
pub(crate) fn ovs_available(test: &str) -> bool {
    let schema = Path::new("/usr/share/openvswitch/vswitch.ovsschema");
    let missing = [
        "ovsdb-tool",
        "ovsdb-server",
        "ovs-vswitchd",
        "ovs-vsctl",
        "ovs-appctl",
    ]
    .into_iter()
    .find(|t| !have(t))
    .map(str::to_owned)
    .or_else(|| (!schema.exists()).then(|| schema.display().to_string()));
    let Some(what) = missing else { return true };
    let why = format!("{what} not found");
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: {why}; CI=true: a missing peer is a failure");
    }
    eprintln!(
        "SKIP: {test}: {why} (Open vSwitch is the LACP peer; scripts/ovs.sh install or \
         scripts/install-peers.sh installs it)"
    );
    false
}

impl Ovs {
    /// Starts a private OVS for test `name`, or returns `None` after a loud SKIP (panics when
    /// CI=true).
    pub(crate) fn start(name: &str) -> Option<Ovs> {
        if !ovs_available(name) {
            return None;
        }
        // Unix socket paths are limited to 107 bytes: keep the directory short.
        let dir = std::env::temp_dir().join(format!("lacp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let ovs = Ovs { dir };
        ovs.run("ovs.sh", &["start"]);
        Some(ovs)
    }

    fn run(&self, script: &str, args: &[&str]) -> String {
        self.run_env(script, args, &[])
    }

    fn run_env(&self, script: &str, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = Command::new(scripts().join(script))
            .args(args)
            .env("OVS_DIR", &self.dir)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "scripts/{script} {args:?}: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.log_tail()
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// scripts/ovs.sh ARGS (panics with the log when it fails).
    pub(crate) fn sh(&self, args: &[&str]) -> String {
        self.run("ovs.sh", args)
    }

    /// scripts/lacp-ovs-bond.sh ARGS (panics with the log when it fails).
    pub(crate) fn bond_sh(&self, args: &[&str]) -> String {
        self.run("lacp-ovs-bond.sh", args)
    }

    /// A socket path in this OVS's directory.
    pub(crate) fn sock(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.sock"))
    }

    /// Bridge `br` with an LACP bond `bond` (`lacp`: "active" or "passive") at `rate` ("fast"
    /// or "slow"), system id `sys_mac`, over members named `members`, each a dummy port on
    /// which OVS listens at [`Ovs::sock`]`(member)`.
    pub(crate) fn add_bond(
        &self,
        br: &str,
        bond: &str,
        lacp: &str,
        rate: &str,
        sys_mac: &str,
        members: &[&str],
    ) {
        let specs: Vec<String> = members
            .iter()
            .map(|m| format!("{m}=punix:{}", self.sock(m).display()))
            .collect();
        let mut args = vec!["add", br, bond, rate, sys_mac];
        args.extend(specs.iter().map(String::as_str));
        self.run_env("lacp-ovs-bond.sh", &args, &[("LACP_MODE", lacp)]);
    }

    /// `ovs-appctl lacp/show BOND`, parsed (panics with the text when it does not parse).
    pub(crate) fn lacp_show(&self, bond: &str) -> ShowBond {
        let text = self.sh(&["appctl", "lacp/show", bond]);
        let mut bonds = parse_lacp_show(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(bonds.len(), 1, "{text}");
        bonds.remove(0)
    }

    /// `ovs-appctl lacp/show-stats BOND`, parsed: member -> counter name -> value.
    pub(crate) fn lacp_stats(&self, bond: &str) -> BTreeMap<String, BTreeMap<String, u64>> {
        let text = self.sh(&["appctl", "lacp/show-stats", bond]);
        parse_lacp_stats(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    /// The end of ovs-vswitchd's log.
    pub(crate) fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.join("ovs-vswitchd.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        format!(
            "--- ovs-vswitchd.log (end, {}):\n{}",
            self.dir.display(),
            lines[lines.len().saturating_sub(25)..].join("\n")
        )
    }
}

impl Drop for Ovs {
    fn drop(&mut self) {
        let _ = Command::new(scripts().join("ovs.sh"))
            .arg("stop")
            .env("OVS_DIR", &self.dir)
            .output();
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Connects to a dummy port's `punix:` listener, retrying until OVS has created it (it does so
/// when ovs-vswitchd reconfigures, shortly after ovs-vsctl returns).
pub(crate) fn connect(path: &Path, within: Duration) -> UnixStream {
    let deadline = Instant::now() + within;
    loop {
        match UnixStream::connect(path) {
            Ok(s) => return s,
            Err(e) if Instant::now() > deadline => {
                panic!("connect {}: {e} (after {within:?})", path.display())
            }
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
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

// ------------------------------------------------------------------ the dummy port's framing

/// One end of a dummy port's stream: each Ethernet frame is a 2-byte big-endian length, then
/// the frame (lib/netdev-dummy.c), both directions.
#[derive(Debug)]
pub(crate) struct FramedStream {
    stream: UnixStream,
    rx: Vec<u8>,
    eof: bool,
}

impl FramedStream {
    /// Wraps a connected stream (made non-blocking).
    pub(crate) fn new(stream: UnixStream) -> FramedStream {
        stream.set_nonblocking(true).unwrap();
        FramedStream {
            stream,
            rx: Vec::new(),
            eof: false,
        }
    }

    /// Whether the other end has closed the stream.
    pub(crate) fn eof(&self) -> bool {
        self.eof
    }

    /// Reads what has arrived and returns the complete frames (never blocks).
    pub(crate) fn read_frames(&mut self) -> Vec<Vec<u8>> {
        let mut buf = [0u8; 4096];
        while !self.eof {
            match self.stream.read(&mut buf) {
                Ok(0) => self.eof = true,
                Ok(n) => self.rx.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => self.eof = true,
            }
        }
        let mut frames = Vec::new();
        let mut at = 0;
        while let Some(&[hi, lo]) = self.rx.get(at..at + 2).and_then(|s| s.first_chunk()) {
            let len = usize::from(u16::from_be_bytes([hi, lo]));
            let Some(frame) = self.rx.get(at + 2..at + 2 + len) else {
                break;
            };
            frames.push(frame.to_vec());
            at += 2 + len;
        }
        self.rx.drain(..at);
        frames
    }

    /// Sends one frame (false when the stream is gone).
    pub(crate) fn write_frame(&mut self, frame: &[u8]) -> bool {
        let len = u16::try_from(frame.len()).expect("frame longer than 65535 bytes");
        let mut msg = len.to_be_bytes().to_vec();
        msg.extend_from_slice(frame);
        let mut at = 0;
        let deadline = Instant::now() + Duration::from_secs(1);
        while at < msg.len() {
            match self.stream.write(&msg[at..]) {
                Ok(0) => return false,
                Ok(n) => at += n,
                Err(e) if e.kind() == ErrorKind::WouldBlock && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        true
    }
}

// ------------------------------------------------------------------ lacp/show, lacp/show-stats

/// One side (actor or partner) of a member in `lacp/show`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ShowSide {
    /// `sys_id` (a MAC address, as printed).
    pub(crate) sys_id: String,
    /// `sys_priority`.
    pub(crate) sys_priority: u16,
    /// `port_id`.
    pub(crate) port_id: u16,
    /// `port_priority`.
    pub(crate) port_priority: u16,
    /// `key`.
    pub(crate) key: u16,
    /// The words of `state` (activity, timeout, aggregation, synchronized, collecting,
    /// distributing, defaulted, expired).
    pub(crate) state: Vec<String>,
}

impl ShowSide {
    /// Whether the state lists `word`.
    pub(crate) fn has(&self, word: &str) -> bool {
        self.state.iter().any(|w| w == word)
    }
}

/// A member of a bond in `lacp/show`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ShowMember {
    /// Its interface name.
    pub(crate) name: String,
    /// The words after the name: `current`/`expired`/`defaulted`, `attached`/`detached`.
    pub(crate) status: Vec<String>,
    /// `port_id`.
    pub(crate) port_id: u16,
    /// `may_enable`.
    pub(crate) may_enable: bool,
    /// OVS's own information.
    pub(crate) actor: ShowSide,
    /// What OVS knows of its partner.
    pub(crate) partner: ShowSide,
}

impl ShowMember {
    /// Whether the status lists `word`.
    pub(crate) fn is(&self, word: &str) -> bool {
        self.status.iter().any(|w| w == word)
    }
}

/// A bond in `lacp/show`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ShowBond {
    /// Its name.
    pub(crate) name: String,
    /// `status` (`active negotiated`, ...).
    pub(crate) status: String,
    /// `sys_id`.
    pub(crate) sys_id: String,
    /// `sys_priority`.
    pub(crate) sys_priority: u16,
    /// `aggregation key`.
    pub(crate) key: u16,
    /// `lacp_time` (`fast` or `slow`).
    pub(crate) lacp_time: String,
    /// Its members, in the order printed.
    pub(crate) members: Vec<ShowMember>,
}

impl ShowBond {
    /// The member named `name` (panics when absent).
    pub(crate) fn member(&self, name: &str) -> &ShowMember {
        self.members
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("no member {name} in {self:#?}"))
    }
}

fn num<T: core::str::FromStr>(line: usize, key: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("line {line}: {key}: not a number: {v:?}"))
}

/// Parses the text of `ovs-appctl lacp/show [BOND]` (OVS 3.x, lib/lacp.c `lacp_print_details`):
/// `---- NAME ----` opens a bond, `member: NAME: WORDS` a member, `actor ...`/`partner ...`
/// lines fill its sides; unknown lines are ignored, so that a newer OVS that adds fields still
/// parses; a known field with a bad value, or a field outside a bond or member, is an error.
pub(crate) fn parse_lacp_show(text: &str) -> Result<Vec<ShowBond>, String> {
    let mut bonds: Vec<ShowBond> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        if let Some(name) = l
            .strip_prefix("---- ")
            .and_then(|r| r.strip_suffix(" ----"))
        {
            bonds.push(ShowBond {
                name: name.to_owned(),
                ..ShowBond::default()
            });
            continue;
        }
        let bond = bonds
            .last_mut()
            .ok_or_else(|| format!("line {line}: {l:?} before any '---- BOND ----'"))?;
        let Some((key, value)) = l.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if key == "member" || key == "slave" {
            // "member: p3: current attached" (older OVS: "slave: ...")
            let (name, words) = value.split_once(':').unwrap_or((value, ""));
            bond.members.push(ShowMember {
                name: name.trim().to_owned(),
                status: words.split_whitespace().map(str::to_owned).collect(),
                ..ShowMember::default()
            });
            continue;
        }
        let Some(member) = bond.members.last_mut() else {
            match key {
                "status" => bond.status = value.to_owned(),
                "sys_id" => bond.sys_id = value.to_owned(),
                "sys_priority" => bond.sys_priority = num(line, key, value)?,
                "aggregation key" => bond.key = num(line, key, value)?,
                "lacp_time" => bond.lacp_time = value.to_owned(),
                _ => {}
            }
            continue;
        };
        let (side, field) = match key.split_once(' ') {
            Some(("actor", f)) => (Some(&mut member.actor), f),
            Some(("partner", f)) => (Some(&mut member.partner), f),
            _ => (None, key),
        };
        match (side, field) {
            (None, "port_id") => member.port_id = num(line, key, value)?,
            (None, "may_enable") => {
                member.may_enable = match value {
                    "true" => true,
                    "false" => false,
                    _ => return Err(format!("line {line}: may_enable: {value:?}")),
                }
            }
            (None, _) => {}
            (Some(s), "sys_id") => s.sys_id = value.to_owned(),
            (Some(s), "sys_priority") => s.sys_priority = num(line, key, value)?,
            (Some(s), "port_id") => s.port_id = num(line, key, value)?,
            (Some(s), "port_priority") => s.port_priority = num(line, key, value)?,
            (Some(s), "key") => s.key = num(line, key, value)?,
            (Some(s), "state") => {
                s.state = value.split_whitespace().map(str::to_owned).collect();
            }
            (Some(_), _) => {}
        }
    }
    Ok(bonds)
}

/// Parses `ovs-appctl lacp/show-stats [BOND]`: member -> counter -> value (`TX PDUs`, `RX
/// PDUs`, `RX Bad PDUs`, `RX Marker Request PDUs`, `Link Expired`, `Link Defaulted`, `Carrier
/// Status Changed`), for every bond printed.
pub(crate) fn parse_lacp_stats(
    text: &str,
) -> Result<BTreeMap<String, BTreeMap<String, u64>>, String> {
    let mut members: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.is_empty() || l.starts_with("----") {
            continue;
        }
        let Some((key, value)) = l.split_once(':') else {
            return Err(format!("line {}: {l:?}", i + 1));
        };
        let value = value.trim();
        if key == "member" || key == "slave" {
            let name = value.trim_end_matches(':').to_owned();
            members.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        let m = current
            .as_ref()
            .ok_or_else(|| format!("line {}: {l:?} before any member", i + 1))?;
        let v = num(i + 1, key, value)?;
        members
            .entry(m.clone())
            .or_default()
            .insert(key.to_owned(), v);
    }
    Ok(members)
}
