//! The two programs' command lines, as a user meets them: `--help` prints the options (and,
//! for the controller, every registered application) and exits 0; a mistake names itself on
//! stderr and exits 2.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use std::process::{Command, Output};

use examples::apps::APPS;

fn run(bin: &str, args: &[&str]) -> Output {
    Command::new(bin).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

#[test]
fn controller_help_and_mistakes() {
    let bin = env!("CARGO_BIN_EXE_controller");
    let out = run(bin, &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(help.contains("Usage: controller [OPTIONS]"), "{help}");
    for a in APPS {
        assert!(
            help.contains(a.name) && help.contains(a.about),
            "{}",
            a.name
        );
    }
    for opt in [
        "--listen",
        "--app",
        "--lacp-ports",
        "--igmp-querier",
        "--echo-timeout",
    ] {
        assert!(help.contains(opt), "{opt}");
    }
    assert_eq!(
        text(&run(bin, &["-h"]).stdout).lines().next(),
        help.lines().next()
    );

    for bad in [
        &["--app", "nope"][..],
        &["--frobnicate"],
        &["--monitor-interval", "1h"],
        &["--lacp-ports", "1,x"],
    ] {
        let out = run(bin, bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty());
        let err = text(&out.stderr);
        assert!(
            err.starts_with("error:") && err.contains(bad[0]),
            "{bad:?}: {err}"
        );
    }
}

#[test]
fn sflow_collector_help_and_mistakes() {
    let bin = env!("CARGO_BIN_EXE_sflow_collector");
    let out = run(bin, &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(help.contains("Usage: sflow_collector [OPTIONS]"), "{help}");
    for opt in [
        "--listen",
        "--interval",
        "--top",
        "--flow",
        "--time-constant",
        "--graphite",
        "--graphite-tcp",
        "--duration",
    ] {
        assert!(help.contains(opt), "{opt}");
    }
    for bad in [
        &["--interval", "0"][..],
        &["--top", "x"],
        &["--graphite-tcp", "127.0.0.1:2003"],
        &["--nope"],
    ] {
        let out = run(bin, bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let err = text(&out.stderr);
        assert!(err.starts_with("error:"), "{bad:?}: {err}");
    }
    // A bad flow definition is the engine's refusal, still a usage error.
    let out = run(bin, &["--flow", "x", "--duration", "0.1"]);
    assert_eq!(out.status.code(), Some(2));
}
