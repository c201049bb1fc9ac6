//! A private Open vSwitch: ovsdb-server and ovs-vswitchd on the dummy datapath (no kernel
//! module, nothing changed on the host's network), every file (database, unix sockets,
//! pidfiles, logs) in one short private directory. Stopped and removed on drop; a failed test
//! keeps the directory for its logs.
//!
//! `scripts/ovs.sh` runs the same sandbox from a shell, for the demos.

use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::{require, Peer};

/// Open vSwitch's database schema (Debian's openvswitch-common).
pub const SCHEMA: &str = "/usr/share/openvswitch/vswitch.ovsschema";

/// The two daemons of an [`Ovs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Daemon {
    /// ovsdb-server.
    OvsdbServer,
    /// ovs-vswitchd.
    Vswitchd,
}

impl Daemon {
    fn name(self) -> &'static str {
        match self {
            Daemon::OvsdbServer => "ovsdb-server",
            Daemon::Vswitchd => "ovs-vswitchd",
        }
    }
}

/// A private Open vSwitch (see the module doc).
#[derive(Debug)]
pub struct Ovs {
    dir: PathBuf,
}

impl Ovs {
    /// Starts a private OVS for the test `name` (a short word: it names the directory, and unix
    /// socket paths are limited to 107 bytes), or returns `None` after a loud skip when Open
    /// vSwitch is not installed ([`Peer::Ovs`]; a failure under `CI=true`). Panics, with the
    /// logs, when OVS is installed but does not start.
    pub fn start(name: &str) -> Option<Ovs> {
        if !require(&[Peer::Ovs]) {
            return None;
        }
        static N: AtomicU32 = AtomicU32::new(0);
        let short: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .take(24)
            .collect();
        let dir = std::env::temp_dir().join(format!(
            "ovs-{short}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let ovs = Ovs { dir };
        let db = ovs.path("conf.db");
        ovs.run("ovsdb-tool", &["create", &db, SCHEMA]);
        ovs.run(
            "ovsdb-server",
            &[
                "--detach",
                "--no-chdir",
                "-vconsole:warn",
                &format!("--pidfile={}", ovs.path("ovsdb-server.pid")),
                &format!("--log-file={}", ovs.path("ovsdb-server.log")),
                &format!("--remote=punix:{}", ovs.path("db.sock")),
                &db,
            ],
        );
        ovs.vsctl(&["--no-wait", "init"]);
        ovs.start_vswitchd();
        Some(ovs)
    }

    /// The directory holding everything.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A file in the directory, as a string (for command lines).
    pub fn path(&self, file: &str) -> String {
        self.dir.join(file).to_string_lossy().into_owned()
    }

    /// `prog` with the environment that makes OVS's tools find these daemons (`OVS_RUNDIR`,
    /// `OVS_DBDIR`, `OVS_LOGDIR`, `OVS_SYSCONFDIR`, and `OVS_DIR` for `scripts/ovs.sh`).
    pub fn command(&self, prog: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(prog);
        for v in [
            "OVS_RUNDIR",
            "OVS_DBDIR",
            "OVS_LOGDIR",
            "OVS_SYSCONFDIR",
            "OVS_DIR",
        ] {
            c.env(v, &self.dir);
        }
        c
    }

    /// Runs `prog ARGS` in this OVS's environment; panics with its stderr and the end of the
    /// log when it fails; returns its stdout.
    pub fn run(&self, prog: &str, args: &[&str]) -> String {
        self.output(self.command(prog).args(args), &format!("{prog} {args:?}"))
    }

    fn output(&self, cmd: &mut Command, what: &str) -> String {
        let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            out.status.success(),
            "{what}: {}\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr),
            self.log_tail()
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The workspace's `scripts/NAME ARGS` with this OVS's environment (`lacp-ovs-bond.sh`, ...)
    /// and `env`; panics with the log when it fails; returns its stdout.
    pub fn script(&self, name: &str, args: &[&str], env: &[(&str, &str)]) -> String {
        let path = crate::workspace_root().join("scripts").join(name);
        self.output(
            self.command(path).args(args).envs(env.iter().copied()),
            &format!("scripts/{name} {args:?}"),
        )
    }

    /// `ovs-vsctl --timeout=10 ARGS`.
    pub fn vsctl(&self, args: &[&str]) -> String {
        self.run("ovs-vsctl", &[&["--timeout=10"], args].concat())
    }

    /// `ovs-appctl ARGS`.
    pub fn appctl(&self, args: &[&str]) -> String {
        self.run("ovs-appctl", args)
    }

    /// `ovs-ofctl -O OpenFlow13 --no-names ARGS`.
    pub fn ofctl(&self, args: &[&str]) -> String {
        self.run(
            "ovs-ofctl",
            &[&["-O", "OpenFlow13", "--no-names"], args].concat(),
        )
    }

    /// Bridge `br` on the dummy datapath: OpenFlow 1.3 only, fail-mode secure, no in-band,
    /// datapath id `dpid`, LOCAL port address `02:00:` + the id's last four bytes, dummy ports
    /// 1..=`ports` named `p1`.. on `br0` and `BR-p1`.. on other bridges (one command each:
    /// dummy ports take their MAC `aa:55:aa:55:00:NN` in creation order); `controller`
    /// (`tcp:127.0.0.1:6653`) with a reconnect backoff of at most 1 s.
    pub fn add_bridge(&self, br: &str, dpid: u64, ports: u32, controller: Option<&str>) {
        let b = dpid.to_be_bytes();
        let hw = format!("02:00:{:02x}:{:02x}:{:02x}:{:02x}", b[4], b[5], b[6], b[7]);
        self.vsctl(&[
            "add-br",
            br,
            "--",
            "set",
            "bridge",
            br,
            "datapath_type=dummy",
            "fail-mode=secure",
            "protocols=OpenFlow13",
            &format!("other-config:datapath-id={dpid:016x}"),
            &format!("other-config:hwaddr={hw}"),
            "other-config:disable-in-band=true",
        ]);
        for i in 1..=ports {
            let p = self.port_name(br, i);
            self.vsctl(&[
                "add-port",
                br,
                &p,
                "--",
                "set",
                "interface",
                &p,
                "type=dummy",
                &format!("ofport_request={i}"),
            ]);
        }
        if let Some(target) = controller {
            self.set_controller(br, target);
        }
    }

    /// The name [`Ovs::add_bridge`] gives port `i` of `br`.
    pub fn port_name(&self, br: &str, i: u32) -> String {
        if br == "br0" {
            format!("p{i}")
        } else {
            format!("{br}-p{i}")
        }
    }

    /// Points `br` at a controller (reconnect backoff at most 1 s).
    pub fn set_controller(&self, br: &str, target: &str) {
        self.vsctl(&[
            "set-controller",
            br,
            target,
            "--",
            "set",
            "controller",
            br,
            "max_backoff=1000",
        ]);
    }

    /// A frame arrives on `port` (`netdev-dummy/receive`).
    pub fn inject(&self, port: &str, frame: &[u8]) {
        self.appctl(&["netdev-dummy/receive", port, &crate::hex(frame)]);
    }

    /// Writes what `port` transmits from now on to a pcap file in the directory, and returns
    /// its path (read it with [`crate::pcap::read_file`]).
    pub fn tx_pcap(&self, port: &str) -> PathBuf {
        let f = self.dir.join(format!("{port}.pcap"));
        self.vsctl(&[
            "set",
            "interface",
            port,
            &format!("options:tx_pcap={}", f.display()),
        ]);
        f
    }

    /// A unix socket path in the directory (`NAME.sock`).
    pub fn sock(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.sock"))
    }

    /// Starts ovs-vswitchd (again, after [`Ovs::signal`] killed it: ovsdb keeps the bridges, so
    /// it rebuilds them and reconnects to their controllers).
    pub fn start_vswitchd(&self) {
        assert!(
            !self.running(Daemon::Vswitchd),
            "ovs-vswitchd already runs in {}",
            self.dir.display()
        );
        let pidfile = format!("--pidfile={}", self.path("ovs-vswitchd.pid"));
        let log_file = format!("--log-file={}", self.path("ovs-vswitchd.log"));
        let db = format!("unix:{}", self.path("db.sock"));
        let args = [
            "--enable-dummy",
            "--disable-system",
            "--disable-system-route",
            "--detach",
            "--no-chdir",
            "-vconsole:warn",
            &pidfile,
            &log_file,
            &db,
        ];
        // A daemon killed a moment ago can still hold its pidfile's lock while the kernel
        // tears it down (ovs-vswitchd then refuses with "already running"): try again briefly.
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let out = self
                .command("ovs-vswitchd")
                .args(args)
                .output()
                .unwrap_or_else(|e| panic!("ovs-vswitchd: {e}"));
            if out.status.success() {
                return;
            }
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains("already running") && Instant::now() < deadline,
                "ovs-vswitchd {args:?}: {}\n{stderr}\n{}",
                out.status,
                self.log_tail()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The PID in a daemon's pidfile.
    pub fn pid(&self, daemon: Daemon) -> Option<u32> {
        std::fs::read_to_string(self.dir.join(format!("{}.pid", daemon.name())))
            .ok()
            .and_then(|s| s.trim().parse().ok())
    }

    /// Whether the daemon runs (a zombie, exited but not reaped yet, does not).
    pub fn running(&self, daemon: Daemon) -> bool {
        self.pid(daemon).is_some_and(alive)
    }

    /// Sends `signal` (`"KILL"`, `"STOP"`, `"CONT"`, ...) to the daemon; false when it has no
    /// pidfile or the signal could not be sent.
    pub fn signal(&self, daemon: Daemon, signal: &str) -> bool {
        let Some(pid) = self.pid(daemon) else {
            return false;
        };
        Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// Stops a daemon: CONT (it may be stopped), TERM, KILL after 5 s; removes its pidfile.
    pub fn stop(&self, daemon: Daemon) {
        let Some(pid) = self.pid(daemon) else {
            return;
        };
        self.signal(daemon, "CONT");
        if self.signal(daemon, "TERM") {
            let deadline = Instant::now() + Duration::from_secs(5);
            while alive(pid) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            if alive(pid) {
                self.signal(daemon, "KILL");
            }
        }
        let _ = std::fs::remove_file(self.dir.join(format!("{}.pid", daemon.name())));
    }

    /// The end of ovs-vswitchd's log, for a failure message.
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.join("ovs-vswitchd.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        format!(
            "--- ovs-vswitchd.log (end, {}):\n{}",
            self.dir.display(),
            lines[lines.len().saturating_sub(30)..].join("\n")
        )
    }
}

/// Whether a process runs: it exists and is not a zombie.
fn alive(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // "PID (comm) S ...": the state follows the last ')'.
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.trim_start().chars().next())
        .is_some_and(|s| s != 'Z' && s != 'X')
}

impl Drop for Ovs {
    fn drop(&mut self) {
        self.stop(Daemon::Vswitchd);
        self.stop(Daemon::OvsdbServer);
        if std::thread::panicking() {
            eprintln!("kept {} for its logs", self.dir.display());
        } else {
            // A daemon that has just exited may still have written a file: try a few times.
            for _ in 0..5 {
                if std::fs::remove_dir_all(&self.dir).is_ok() || !self.dir.exists() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// Connects to a dummy port's `punix:` listener, retrying until OVS has created it (it does so
/// when ovs-vswitchd reconfigures, shortly after ovs-vsctl returns).
pub fn connect(path: &Path, within: Duration) -> UnixStream {
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

/// One end of a dummy port's stream: each Ethernet frame is a 2-byte big-endian length, then
/// the frame (lib/netdev-dummy.c), both directions.
#[derive(Debug)]
pub struct FramedStream {
    stream: UnixStream,
    rx: Vec<u8>,
    eof: bool,
}

impl FramedStream {
    /// Wraps a connected stream (made non-blocking).
    pub fn new(stream: UnixStream) -> FramedStream {
        stream.set_nonblocking(true).unwrap();
        FramedStream {
            stream,
            rx: Vec::new(),
            eof: false,
        }
    }

    /// Whether the other end has closed the stream.
    pub fn eof(&self) -> bool {
        self.eof
    }

    /// Reads what has arrived and returns the complete frames (never blocks).
    pub fn read_frames(&mut self) -> Vec<Vec<u8>> {
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
    pub fn write_frame(&mut self, frame: &[u8]) -> bool {
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
