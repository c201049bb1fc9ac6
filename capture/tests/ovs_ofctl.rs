//! The decoder's OpenFlow text against Open vSwitch's: for every message it finds in a capture,
//! `ovs-ofctl ofp-print` of the same bytes; and `ovs-ofctl ofp-parse-pcap` of the same capture
//! (Open vSwitch's own TCP reassembly) finds the same messages, in the same order, between the
//! same endpoints.
//!
//! The texts are compared character for character and the counts of equal and different texts
//! per message type are printed (and written to `ofp-print-comparison.txt` in the test's
//! target directory, with every difference). The Display of `sdnwire-openflow` follows
//! ofp-print but for the differences its README lists: the test holds the counts of equal
//! texts at least at what they are (a regression fails it) and lists the differences.
//!
//! Skipped, loudly, without `ovs-ofctl` (and the os-ken corpus for the second set of messages).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::std_instead_of_core, clippy::cast_possible_truncation)]

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;

use common::*;
use sdnwire_capture::decode::{Config, Content, Decoder, Endpoints, Item};
use sdnwire_capture::read::CaptureReader;
use sdnwire_testkit::{require, Peer};

/// The items the library finds in a capture.
fn decode(capture: &[u8]) -> Vec<Item> {
    let mut d = Decoder::new(Config::default());
    let mut items = Vec::new();
    for (i, r) in CaptureReader::new(capture).unwrap().enumerate() {
        d.frame(i as u64 + 1, &r.unwrap(), &mut items);
    }
    d.finish(&mut items);
    items
}

/// Our text of an OpenFlow item: the message's Display, or the error.
fn ours(item: &Item) -> Option<(Vec<u8>, String)> {
    match &item.content {
        Content::OpenFlow { bytes, message, .. } => Some((
            bytes.clone(),
            match message {
                Ok(m) => m.to_string(),
                Err(e) => format!("error: {e}"),
            },
        )),
        _ => None,
    }
}

fn ofp_print(bytes: &[u8]) -> String {
    let out = Command::new("ovs-ofctl")
        .args(["ofp-print", &sdnwire_testkit::hex(bytes)])
        .output()
        .unwrap();
    assert!(out.status.success(), "ovs-ofctl ofp-print: {out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string()
}

#[derive(Default)]
struct Tally {
    /// Character for character.
    equal: usize,
    /// Equal once ovs-ofctl's version tag (` (OF1.3)`) is taken out of its header line.
    but_version: usize,
    /// Different otherwise.
    different: usize,
}

/// ofp-print's text without the version tag of its header line (`OFPT_HELLO (OF1.3)
/// (xid=0x1):`, `OFPST_FLOW reply (OF1.3) (xid=0x2):`).
fn without_version(theirs: &str) -> String {
    theirs.replacen(" (OF1.3)", "", 1)
}

/// Compares every OpenFlow message of `capture` with ofp-print; returns the tally per type
/// and appends the differences to `report`.
fn compare(capture: &[u8], report: &mut String) -> BTreeMap<String, Tally> {
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    for item in decode(capture) {
        let Some((bytes, text)) = ours(&item) else {
            continue;
        };
        let theirs = ofp_print(&bytes);
        let t = tally.entry(label(&bytes)).or_default();
        if theirs == text {
            t.equal += 1;
        } else if without_version(&theirs) == text {
            t.but_version += 1;
        } else {
            t.different += 1;
            let _ = writeln!(
                report,
                "--- {} ({} bytes)\nours:    {}\novs-ofctl: {}\n",
                label(&bytes),
                bytes.len(),
                text.replace('\n', "\n         "),
                theirs.replace('\n', "\n           ")
            );
        }
    }
    tally
}

fn print_tally(title: &str, tally: &BTreeMap<String, Tally>, report: &mut String) -> String {
    let mut s = format!(
        "{title}\n{:<44} {:>5} {:>13} {:>9}\n",
        "message", "equal", "but (OF1.3)", "different"
    );
    let (mut e, mut v, mut d) = (0, 0, 0);
    for (k, t) in tally {
        let _ = writeln!(
            s,
            "{k:<44} {:>5} {:>13} {:>9}",
            t.equal, t.but_version, t.different
        );
        e += t.equal;
        v += t.but_version;
        d += t.different;
    }
    let _ = writeln!(s, "{:<44} {e:>5} {v:>13} {d:>9}", "total");
    println!("{s}");
    report.insert_str(0, &s);
    s
}

fn write_report(name: &str, report: &str) {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, report).unwrap();
    println!("differences: {}", path.display());
}

/// At least as many texts per type equal to ovs-ofctl's (but for its version tag) as the floor
/// says (Open vSwitch 3.1). Types not listed had none.
fn assert_no_regression(tally: &BTreeMap<String, Tally>, floor: &[(&str, usize)]) {
    for (k, min) in floor {
        let got = tally.get(*k).map_or(0, |t| t.equal + t.but_version);
        assert!(
            got >= *min,
            "{k}: {got} texts equal to ovs-ofctl's (but for its version tag), were {min}"
        );
    }
}

#[test]
fn openflow_text_of_the_projects_captures_against_ofp_print() {
    require!(Peer::OvsOfctl);
    let capture = pcap(&openflow_connection(6653, Cut::Every(100), |s| s));
    let mut report = String::new();
    let tally = compare(&capture, &mut report);
    // Every message of the capture was found.
    let n: usize = tally
        .values()
        .map(|t| t.equal + t.but_version + t.different)
        .sum();
    assert_eq!(n, switch_messages().len() + controller_messages().len());
    print_tally(
        "ofp-print vs sdnwire-decode, the project's Open vSwitch captures",
        &tally,
        &mut report,
    );
    write_report("ofp-print-comparison-ovs.txt", &report);
    assert_no_regression(&tally, FLOOR_OVS);
}

/// Equal texts with the crate's ofp-print text of Open vSwitch 3.1 (see
/// `assert_no_regression`); the crate's README lists why the others differ.
const FLOOR_OVS: &[(&str, usize)] = &[
    ("OFPT_BARRIER_REPLY", 1),
    ("OFPT_BARRIER_REQUEST", 1),
    ("OFPT_ECHO_REPLY", 1),
    ("OFPT_ECHO_REQUEST", 1),
    ("OFPT_ERROR", 3),
    ("OFPT_FEATURES_REPLY", 1),
    ("OFPT_FEATURES_REQUEST", 1),
    ("OFPT_FLOW_MOD", 2),
    ("OFPT_HELLO", 2),
    ("OFPT_MULTIPART_REPLY/OFPMP_DESC", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_FLOW", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_PORT_DESC", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_PORT_STATS", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_TABLE_FEATURES", 1),
    ("OFPT_PACKET_IN", 1),
];

#[test]
fn openflow_text_of_the_os_ken_corpus_against_ofp_print() {
    require!(Peer::OvsOfctl, Peer::OsKenCorpus);
    // os-ken's 104 OpenFlow 1.3 messages, one per segment of one connection.
    let (messages, pcap) = osken_corpus_pcap();
    let mut report = String::new();
    let tally = compare(&pcap, &mut report);
    let n: usize = tally
        .values()
        .map(|t| t.equal + t.but_version + t.different)
        .sum();
    assert_eq!(n, messages.len());
    print_tally(
        "ofp-print vs sdnwire-decode, os-ken's OpenFlow 1.3 corpus",
        &tally,
        &mut report,
    );
    write_report("ofp-print-comparison-osken.txt", &report);
    assert_no_regression(&tally, FLOOR_OSKEN);
}

/// Equal texts with the crate's ofp-print text of Open vSwitch 3.1 (see
/// `assert_no_regression`); the crate's README lists why the others differ.
const FLOOR_OSKEN: &[(&str, usize)] = &[
    ("OFPT_BARRIER_REPLY", 1),
    ("OFPT_BARRIER_REQUEST", 1),
    ("OFPT_ECHO_REPLY", 2),
    ("OFPT_ECHO_REQUEST", 2),
    ("OFPT_ERROR", 3),
    ("OFPT_EXPERIMENTER", 1),
    ("OFPT_FEATURES_REPLY", 2),
    ("OFPT_FEATURES_REQUEST", 1),
    ("OFPT_FLOW_MOD", 26),
    ("OFPT_FLOW_REMOVED", 2),
    ("OFPT_GET_ASYNC_REPLY", 1),
    ("OFPT_GET_ASYNC_REQUEST", 1),
    ("OFPT_GET_CONFIG_REPLY", 2),
    ("OFPT_GET_CONFIG_REQUEST", 1),
    ("OFPT_HELLO", 2),
    ("OFPT_METER_MOD", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_AGGREGATE", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_DESC", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_EXPERIMENTER", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_GROUP", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_GROUP_DESC", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_GROUP_FEATURES", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_METER", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_METER_CONFIG", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_METER_FEATURES", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_PORT_DESC", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_PORT_STATS", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_QUEUE", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_TABLE", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_TABLE_FEATURES", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_AGGREGATE", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_DESC", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_EXPERIMENTER", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_FLOW", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_GROUP", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_GROUP_DESC", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_GROUP_FEATURES", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_METER", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_METER_CONFIG", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_METER_FEATURES", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_PORT_DESC", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_PORT_STATS", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_QUEUE", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_TABLE", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_TABLE_FEATURES", 1),
    ("OFPT_PACKET_IN", 2),
    ("OFPT_PACKET_OUT", 2),
    ("OFPT_PORT_MOD", 2),
    ("OFPT_PORT_STATUS", 2),
    ("OFPT_QUEUE_GET_CONFIG_REQUEST", 1),
    ("OFPT_ROLE_REPLY", 1),
    ("OFPT_ROLE_REQUEST", 1),
    ("OFPT_SET_ASYNC", 1),
    ("OFPT_SET_CONFIG", 2),
    ("OFPT_TABLE_MOD", 2),
];

/// `ovs-ofctl ofp-parse-pcap`'s blocks: (`src > dst` as `a.b.c.d:port`, text).
fn ofp_parse_pcap(capture: &[u8]) -> Vec<(String, String)> {
    // One file per call: the tests run in parallel.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("ofp-parse-pcap-{}-{n}.pcap", std::process::id()));
    std::fs::write(&path, capture).unwrap();
    let out = Command::new("ovs-ofctl")
        .arg("ofp-parse-pcap")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "ovs-ofctl ofp-parse-pcap: {out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    // A block: "192.0.2.1.6653 > 192.0.2.2.41000:" then the message's text.
    let endpoint = |e: &str| -> Option<String> {
        let (ip, port) = e.rsplit_once('.')?;
        let ip: std::net::IpAddr = ip.parse().ok()?;
        let port: u16 = port.parse().ok()?;
        Some(format!("{ip}:{port}"))
    };
    let mut blocks: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let head = line.strip_suffix(':').and_then(|h| {
            let (a, b) = h.split_once(" > ")?;
            Some(format!("{} > {}", endpoint(a)?, endpoint(b)?))
        });
        match (head, blocks.last_mut()) {
            (Some(h), _) => blocks.push((h, String::new())),
            (None, Some((_, body))) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => panic!("ofp-parse-pcap: text before the first block: {line}"),
        }
    }
    for (_, body) in &mut blocks {
        *body = body.trim_end().to_string();
    }
    blocks
}

#[test]
fn ofp_parse_pcap_finds_the_same_messages_between_the_same_endpoints() {
    require!(Peer::OvsOfctl);
    for cut in [Cut::PerMessage, Cut::Every(100), Cut::Every(1448)] {
        let capture = pcap(&openflow_connection(6653, cut, |s| s));
        let theirs = ofp_parse_pcap(&capture);
        let ours: Vec<(String, String)> = decode(&capture)
            .iter()
            .filter_map(|i| {
                let (_, text) = ours(i)?;
                let Endpoints::Socket { src, dst } = i.endpoints else {
                    panic!("{i:?}");
                };
                Some((format!("{src} > {dst}"), text))
            })
            .collect();
        assert_eq!(ours.len(), theirs.len(), "{cut:?}");
        let mut equal = 0;
        for ((oe, ot), (te, tt)) in ours.iter().zip(&theirs) {
            assert_eq!(oe, te, "{cut:?}: endpoints");
            // ofp-parse-pcap prints what ofp-print prints.
            let head =
                |s: &str| -> String { s.split([' ', ':']).next().unwrap_or_default().to_string() };
            let (oh, th) = (head(ot), head(tt));
            // OFPT_MULTIPART_REPLY is ofp-print's OFPST_<type> reply: same message.
            if !oh.starts_with("OFPT_MULTIPART") && !oh.starts_with("error") {
                assert_eq!(oh, th, "{cut:?}: message order");
            }
            if ot == tt {
                equal += 1;
            }
        }
        println!(
            "{cut:?}: {} messages, the same order and endpoints as ofp-parse-pcap; {equal} texts equal",
            ours.len()
        );
    }
}

/// The real session of capture/testdata/ovs-session.pcapng (Open vSwitch and ovs-ofctl), its
/// OpenFlow port moved to 6653 (ofp-parse-pcap reads only 6633 and 6653) and written as
/// classic pcap (ofp-parse-pcap reads no pcapng): the same messages, order and endpoints, and
/// every text compared with ofp-print.
#[test]
fn the_real_session_against_ofp_parse_pcap_and_ofp_print() {
    require!(Peer::OvsOfctl);
    let bytes = std::fs::read(root().join("capture/testdata/ovs-session.pcapng")).unwrap();
    let frames: Vec<Vec<u8>> = CaptureReader::new(&bytes[..])
        .unwrap()
        .map(|r| {
            let mut f = r.unwrap().data;
            // Ethernet (loopback), IPv4 without options, TCP or UDP ports at 34..38.
            for at in [34, 36] {
                if f.len() >= at + 2 && f[23] == 6 && f[at..at + 2] == 16633u16.to_be_bytes() {
                    f[at..at + 2].copy_from_slice(&6653u16.to_be_bytes());
                }
            }
            f
        })
        .collect();
    let capture = pcap(&frames);
    let theirs = ofp_parse_pcap(&capture);
    let items = decode(&capture);
    let ours: Vec<(String, String)> = items
        .iter()
        .filter_map(|i| {
            let (_, text) = ours(i)?;
            let Endpoints::Socket { src, dst } = i.endpoints else {
                panic!("{i:?}");
            };
            Some((format!("{src} > {dst}"), text))
        })
        .collect();
    assert_eq!(ours.len(), 52);
    assert_eq!(ours.len(), theirs.len());
    for ((oe, _), (te, _)) in ours.iter().zip(&theirs) {
        assert_eq!(oe, te, "endpoints, in order");
    }
    let mut report = String::new();
    let tally = compare(&capture, &mut report);
    print_tally(
        "ofp-print vs sdnwire-decode, a real Open vSwitch / ovs-ofctl session",
        &tally,
        &mut report,
    );
    write_report("ofp-print-comparison-session.txt", &report);
    assert_no_regression(&tally, FLOOR_SESSION);
}

/// Equal texts with the crate's ofp-print text of Open vSwitch 3.1 (see
/// `assert_no_regression`); the crate's README lists why the others differ.
const FLOOR_SESSION: &[(&str, usize)] = &[
    ("OFPT_BARRIER_REPLY", 5),
    ("OFPT_BARRIER_REQUEST", 5),
    ("OFPT_ERROR", 1),
    ("OFPT_FEATURES_REPLY", 1),
    ("OFPT_FEATURES_REQUEST", 1),
    ("OFPT_FLOW_MOD", 5),
    ("OFPT_GET_CONFIG_REPLY", 1),
    ("OFPT_GET_CONFIG_REQUEST", 1),
    ("OFPT_HELLO", 22),
    ("OFPT_MULTIPART_REPLY/OFPMP_FLOW", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_PORT_DESC", 2),
    ("OFPT_MULTIPART_REPLY/OFPMP_PORT_STATS", 1),
    ("OFPT_MULTIPART_REPLY/OFPMP_TABLE", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_FLOW", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_PORT_DESC", 2),
    ("OFPT_MULTIPART_REQUEST/OFPMP_PORT_STATS", 1),
    ("OFPT_MULTIPART_REQUEST/OFPMP_TABLE", 1),
];
