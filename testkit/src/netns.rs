//! Network namespaces (deleted on drop), veth pairs between them, commands run inside: what the
//! tests against the Linux bridge build their labs with. Needs `ip` (iproute2) and root:
//! check [`crate::Peer::Netns`] first.

use std::io::Write;
use std::process::{Command, Stdio};

/// A network namespace, deleted on drop.
#[derive(Debug)]
pub struct Netns {
    name: String,
}

impl Netns {
    /// Creates namespace `name` (deleting a leftover of that name first), or says why it
    /// cannot be made here.
    pub fn new(name: &str) -> Result<Netns, String> {
        let _ = Command::new("ip").args(["netns", "del", name]).output();
        let out = Command::new("ip")
            .args(["netns", "add", name])
            .output()
            .map_err(|e| format!("ip netns add {name}: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "ip netns add {name}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Netns {
            name: name.to_owned(),
        })
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `prog` to be run inside the namespace (`ip netns exec NAME prog`).
    pub fn command(&self, prog: &str) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.name, prog]);
        c
    }

    /// Runs `prog ARGS` inside the namespace; panics with its stderr when it fails; returns its
    /// stdout.
    pub fn run(&self, prog: &str, args: &[&str]) -> String {
        crate::output(
            self.command(prog).args(args),
            &format!("(netns {}) {prog} {args:?}", self.name),
        )
    }

    /// `ip -n NAME -batch -` with `cmds` (one `ip` command a line).
    pub fn ip_batch(&self, cmds: &str) -> Result<(), String> {
        ip_batch(Some(&self.name), cmds)
    }

    /// Turns IPv6 off in the namespace (no MLD or router solicitations from its interfaces).
    pub fn disable_ipv6(&self) {
        self.run(
            "sysctl",
            &[
                "-qw",
                "net.ipv6.conf.all.disable_ipv6=1",
                "net.ipv6.conf.default.disable_ipv6=1",
            ],
        );
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .output();
    }
}

/// The `ip` command that makes the veth pair `a` (in `ns_a`) -- `b` (in `ns_b`), for
/// [`ip_batch`] (one line, newline included).
pub fn veth_cmd(a: &str, ns_a: &Netns, b: &str, ns_b: &Netns) -> String {
    format!(
        "link add {a} netns {} type veth peer name {b} netns {}\n",
        ns_a.name, ns_b.name
    )
}

/// Makes the veth pair `a` (in `ns_a`) -- `b` (in `ns_b`), both down.
pub fn veth(a: &str, ns_a: &Netns, b: &str, ns_b: &Netns) -> Result<(), String> {
    ip_batch(None, &veth_cmd(a, ns_a, b, ns_b))
}

/// `ip -batch -` with `cmds` (one `ip` command a line), in namespace `ns` or the current one.
pub fn ip_batch(ns: Option<&str>, cmds: &str) -> Result<(), String> {
    let mut cmd = Command::new("ip");
    if let Some(ns) = ns {
        cmd.args(["-n", ns]);
    }
    let mut child = cmd
        .args(["-batch", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("ip -batch: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(cmds.as_bytes())
            .map_err(|e| format!("ip -batch: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("ip -batch: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ip -batch: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}
