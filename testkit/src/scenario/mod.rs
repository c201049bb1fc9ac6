//! The Open vSwitch end-to-end scenarios that both OpenFlow controllers of the workspace run:
//! the examples' `controller` binary and the framework's `sdnwire-manager`.
//!
//! A test can only launch binaries of its own package, so each package keeps a thin test file
//! that hands its binary to these scenarios (a [`std::process::Command`] naming the program);
//! the scenario adds `--listen 127.0.0.1:0` and the application's arguments, starts a private
//! Open vSwitch ([`crate::ovs::Ovs`]), and makes every check. What genuinely differs between
//! the two controllers (the words of a log line) is a parameter.
//!
//! - [`Controller`]: the controller process on a free port, its output collected line by line.
//! - [`hub`]: the switching hub's setup and readings (`dump-flows`, `dump-ports`, the
//!   monitor's tables, a captured ping injected step by step).
//! - [`lacp`]: Ryu's lacplib failover against OVS's own LACP bond, and our `sdnwire-lacp`
//!   crate as the partner.
//! - [`igmp`]: IGMP snooping over two bridges, as the Ryu book's example runs it.

pub mod hub;
pub mod igmp;
pub mod lacp;

use core::time::Duration;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::ovs::Ovs;
use crate::wait;

/// One second, the unit of the scenarios' deadlines.
pub const SECOND: Duration = Duration::from_secs(1);

/// A controller process listening on a free port, its stdout and stderr collected line by
/// line; killed on drop.
#[derive(Debug)]
pub struct Controller {
    child: Child,
    port: u16,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
    readers: Vec<JoinHandle<()>>,
}

fn collect(r: impl std::io::Read + Send + 'static) -> (Arc<Mutex<Vec<String>>>, JoinHandle<()>) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let l = Arc::clone(&lines);
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(r).lines() {
            let Ok(line) = line else { break };
            l.lock().unwrap().push(line);
        }
    });
    (lines, reader)
}

impl Controller {
    /// Starts `program --listen 127.0.0.1:0 ARGS` and returns once it logs the address it
    /// listens on (`listening on 127.0.0.1:PORT`); panics with its log after 10 s.
    pub fn start(mut program: Command, args: &[&str]) -> Controller {
        let mut child = program
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (stdout, out_reader) = collect(child.stdout.take().unwrap());
        let (stderr, err_reader) = collect(child.stderr.take().unwrap());
        let mut c = Controller {
            child,
            port: 0,
            stdout,
            stderr,
            readers: vec![out_reader, err_reader],
        };
        let line = c.wait_log(0, 10 * SECOND, None, "listening on ");
        let addr = line.split("listening on ").nth(1).unwrap();
        c.port = addr.split([':', ' ']).nth(1).unwrap().parse().unwrap();
        c
    }

    /// The OpenFlow port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The controller target for OVS: `tcp:127.0.0.1:PORT`.
    pub fn target(&self) -> String {
        format!("tcp:127.0.0.1:{}", self.port)
    }

    /// The process, to signal or wait for.
    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Waits for the process to exit and for its last output lines to be collected (the
    /// readers reach the end of its pipes), so that [`Controller::log`] then holds everything
    /// it wrote.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let status = self.child.wait().unwrap();
        for r in self.readers.drain(..) {
            r.join().unwrap();
        }
        status
    }

    /// Its stderr (the log) so far, line by line.
    pub fn log(&self) -> Vec<String> {
        self.stderr.lock().unwrap().clone()
    }

    /// Its stdout so far, line by line.
    pub fn out(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    /// Waits for a log line (from index `from` on) containing `what`; returns it. Panics after
    /// `within` with [`Controller::context`].
    pub fn wait_log(&self, from: usize, within: Duration, ovs: Option<&Ovs>, what: &str) -> String {
        wait(
            within,
            what,
            || self.context(ovs),
            || self.log().into_iter().skip(from).find(|l| l.contains(what)),
        )
    }

    /// What a failure shows: the whole log, the end of stdout, and the end of OVS's logs.
    pub fn context(&self, ovs: Option<&Ovs>) -> String {
        format!(
            "--- controller stderr:\n{}\n--- controller stdout (end):\n{}\n{}",
            self.log().join("\n"),
            {
                let o = self.out();
                o[o.len().saturating_sub(30)..].join("\n")
            },
            ovs.map(Ovs::log_tail).unwrap_or_default()
        )
    }
}

impl Drop for Controller {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
