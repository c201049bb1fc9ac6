//! What the workspace's tests share (not published).
//!
//! The differential tests compare our crates with real peers: Open vSwitch, the Linux bridge in
//! network namespaces, tshark, os-ken and scapy in the workspace's `.venv`. This crate holds
//! what they need to reach them:
//!
//! - [`require!`] / [`require()`]: one rule for a missing peer. The test says loudly that it is
//!   skipped (`SKIPPED <test>: <peer> missing: <why>`), records the skip in
//!   `<target dir>/testkit-skips.txt` (`scripts/test.sh` prints the summary at the end of the
//!   run), and passes; under `CI=true` a missing peer is a failure instead.
//! - [`ovs::Ovs`]: a private Open vSwitch (ovsdb-server and ovs-vswitchd on the dummy datapath,
//!   every file in one short private directory, unix sockets only), stopped and removed on drop.
//! - [`netns`]: network namespaces deleted on drop, veth pairs, commands run inside.
//! - [`pcap`]: pcap files read and written through the `pcap-file` crate.
//! - [`osken`]: the venv's python, os-ken's package and its test corpus, wherever the venv's
//!   python version put them.
//! - [`run`], [`wait`]: a command that must succeed, a condition polled with a deadline.
//! - `scenario` (feature `scenario`): the Open vSwitch end-to-end scenarios both controllers'
//!   tests run (the switching hub's pieces, LACP failover, IGMP snooping).
//!
//! ```no_run
//! use sdnwire_testkit::{require, Peer};
//!
//! #[test]
//! fn our_dissection_agrees_with_tshark() {
//!     require!(Peer::Tshark);
//!     // ... tshark is there
//! }
//! ```

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
// A std-only test crate: core's paths buy nothing here.
#![allow(clippy::std_instead_of_core)]

pub mod netns;
pub mod osken;
pub mod ovs;
pub mod pcap;
mod peer;
#[cfg(feature = "scenario")]
pub mod scenario;

pub use peer::{ci, have, is_root, require, skip, skips_file, tshark, Peer};

use core::time::Duration;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Returns from the calling test (or function returning `()`) after a loud skip when one of
/// the peers is missing; under `CI=true` a missing peer panics instead.
///
/// `require!(Peer::Tshark, Peer::Python(&["scapy"]))`. A function that returns something
/// else calls [`require()`] and returns its own "nothing" (`if !require(&[..]) { return None; }`).
#[macro_export]
macro_rules! require {
    ($($peer:expr),+ $(,)?) => {
        if !$crate::require(&[$($peer),+]) {
            return;
        }
    };
}

/// The workspace's root folder (where `scripts/` and `.venv` are).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// Runs `prog ARGS`; panics with its stderr and stdout when it cannot start or fails; returns
/// its stdout.
pub fn run(prog: &str, args: &[&str]) -> String {
    output(Command::new(prog).args(args), &format!("{prog} {args:?}"))
}

/// Runs `cmd` (described as `what` in a failure); panics with its stderr and stdout when it
/// cannot start or fails; returns its stdout.
pub fn output(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what}: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Polls `check` every 20 ms until it gives a value; panics with `what` and `context()` after
/// `within`.
pub fn wait<T>(
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

/// `bytes` as lowercase hex, as `ovs-appctl netdev-dummy/receive` and `ovs-ofctl ofp-print`
/// take them.
pub fn hex(bytes: &[u8]) -> String {
    use core::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
