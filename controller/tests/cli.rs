//! `sdnwire-manager`'s command line: `--help` lists every registered application, mistakes
//! exit with status 2 and say what is wrong, SIGINT stops it cleanly.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use sdnwire_controller::apps::APPS;

fn manager(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sdnwire-manager"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_lists_every_application() {
    let (code, out, _) = manager(&["--help"]);
    assert_eq!(code, 0);
    for a in APPS {
        assert!(
            out.contains(a.name) && out.contains(a.about),
            "{}: {out}",
            a.name
        );
    }
    for opt in [
        "--app",
        "--listen",
        "--log-level",
        "--queue-len",
        "--lacp-ports",
        "--igmp-querier",
    ] {
        assert!(out.contains(opt), "{opt}: {out}");
    }
}

#[test]
fn mistakes_exit_2_and_say_why() {
    let (code, _, err) = manager(&["--app", "simple_switch_14"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no application is called \"simple_switch_14\""),
        "{err}"
    );
    let (code, _, err) = manager(&["--app", "simple_switch_13", "--app", "simple_switch_13"]);
    assert_eq!(code, 2);
    assert!(err.contains("simple_switch_13 is loaded twice"), "{err}");
    let (code, _, err) = manager(&["--app", "simple_switch_13", "--log-level", "loud"]);
    assert_eq!(code, 2);
    assert!(err.contains("loud"), "{err}");
    let (code, _, err) = manager(&["--app", "simple_monitor_13", "--monitor-interval=-1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--monitor-interval"), "{err}");
    let (code, _, _) = manager(&[]);
    assert_eq!(code, 2, "--app is required");
}

#[test]
fn sigint_stops_it_cleanly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sdnwire-manager"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--app",
            "simple_switch_lacp_13,simple_switch_igmp_13",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    // The contexts come first, once each.
    assert!(
        first.contains("listening on 127.0.0.1:",)
            && first.contains(
                "(applications: lacplib,simple_switch_lacp_13,igmplib,simple_switch_igmp_13)"
            ),
        "{first}"
    );
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(
        rest.iter().any(|l| l == "[manager] shutting down"),
        "{rest:?}"
    );
}
