//! The decoder's OpenFlow text in Ryu's notation against os-ken's: for every OpenFlow message
//! the decoder finds in the project's captures, os-ken's OpenFlow 1.3 corpus and the real
//! Open vSwitch session, for edge cases, and for Open vSwitch's encodings of the ovs-ofctl
//! corpus, `Message::ryu_str()` equals what os-ken prints for `str(msg)`, character for
//! character.
//!
//! One python process answers for all messages of a set (`osken_str.py`). os-ken parses only
//! what a switch sends (and FLOW_MOD): for the other types its answer is `str()` of the
//! message object it builds from our `to_jsondict()` (`ofp_msg_from_jsondict`), with the xid
//! set, once that object serializes to the very bytes of the message (so the JSON said what
//! the bytes say). A message os-ken refuses (its parser fails, or its object does not give the
//! same bytes back) is counted apart with os-ken's reason and not compared: there is no os-ken
//! text for it.
//!
//! The counts per type are printed and written to `osken-str-comparison-*.txt` in the test's
//! target directory; every difference fails the test, and a floor of messages compared equal
//! per set keeps the comparison from quietly shrinking.
//!
//! Skipped, loudly, without the venv's os-ken (and its corpus for the second set); under
//! `CI=true` that fails.
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
use std::io::Write as _;
use std::process::{Command, Stdio};

use common::*;
use sdnwire_capture::decode::{Config, Content, Decoder};
use sdnwire_capture::read::CaptureReader;
use sdnwire_openflow::Message;
use sdnwire_testkit::{require, Peer};
use serde_json::{json, Value};

const ORACLE: &str = include_str!("osken_str.py");

/// The OpenFlow messages the decoder finds in a capture (`extra_port` carries OpenFlow too),
/// with their bytes. Every one decodes.
fn messages(capture: &[u8], extra_port: Option<u16>) -> Vec<(Vec<u8>, Message)> {
    let mut config = Config::default();
    config.openflow_ports.extend(extra_port);
    let mut d = Decoder::new(config);
    let mut items = Vec::new();
    for (i, r) in CaptureReader::new(capture).unwrap().enumerate() {
        d.frame(i as u64 + 1, &r.unwrap(), &mut items);
    }
    d.finish(&mut items);
    items
        .into_iter()
        .filter_map(|i| match i.content {
            Content::OpenFlow { bytes, message, .. } => Some((bytes, message.unwrap())),
            _ => None,
        })
        .collect()
}

/// os-ken's answer for each message, from one python process.
fn osken(messages: &[(Vec<u8>, Message)]) -> Vec<Value> {
    let mut child = Command::new(sdnwire_testkit::osken::python())
        .args(["-c", ORACLE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = String::new();
    for (bytes, m) in messages {
        let case = json!({"hex": sdnwire_testkit::hex(bytes), "json": m.to_jsondict()});
        input.push_str(&case.to_string());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(
        out.status.success(),
        "os-ken: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), messages.len(), "one answer per message");
    answers
}

#[derive(Default)]
struct Tally {
    /// Parsed by os-ken, texts equal.
    parsed: usize,
    /// Built by os-ken from the JSON (it has no parser for the type), texts equal.
    built: usize,
    /// Texts different.
    different: usize,
    /// os-ken has no text for the message.
    refused: usize,
}

/// Compares every message with os-ken; returns the tally per type and appends the
/// differences and refusals to `report`.
fn compare(messages: &[(Vec<u8>, Message)], report: &mut String) -> BTreeMap<String, Tally> {
    let answers = osken(messages);
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    for ((bytes, m), a) in messages.iter().zip(&answers) {
        let t = tally.entry(label(bytes)).or_default();
        let ours = m.ryu_str();
        match (a["how"].as_str().unwrap(), a["str"].as_str()) {
            ("parsed" | "built", Some(theirs)) if theirs == ours => {
                if a["how"] == "parsed" {
                    t.parsed += 1;
                } else {
                    t.built += 1;
                }
            }
            ("parsed" | "built", Some(theirs)) => {
                t.different += 1;
                let _ = writeln!(
                    report,
                    "--- {} ({} bytes, {})\nours:   {ours}\nos-ken: {theirs}\n",
                    label(bytes),
                    bytes.len(),
                    a["how"]
                );
            }
            _ => {
                t.refused += 1;
                let _ = writeln!(
                    report,
                    "--- {} ({} bytes) refused by os-ken: {}\nhex: {}\nours: {ours}\n",
                    label(bytes),
                    bytes.len(),
                    a["why"],
                    sdnwire_testkit::hex(bytes)
                );
            }
        }
    }
    tally
}

/// Prints the tally; returns the number of messages compared equal.
fn print_tally(title: &str, tally: &BTreeMap<String, Tally>, report: &mut String) -> usize {
    let mut s = format!(
        "{title}\n{:<44} {:>6} {:>6} {:>9} {:>7}\n",
        "message", "parsed", "built", "different", "refused"
    );
    let (mut p, mut b, mut d, mut r) = (0, 0, 0, 0);
    for (k, t) in tally {
        let _ = writeln!(
            s,
            "{k:<44} {:>6} {:>6} {:>9} {:>7}",
            t.parsed, t.built, t.different, t.refused
        );
        p += t.parsed;
        b += t.built;
        d += t.different;
        r += t.refused;
    }
    let _ = writeln!(s, "{:<44} {p:>6} {b:>6} {d:>9} {r:>7}", "total");
    println!("{s}");
    report.insert_str(0, &s);
    p + b
}

fn write_report(name: &str, report: &str) {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, report).unwrap();
    println!("differences and refusals: {}", path.display());
}

/// Compares, reports, and holds: no difference, at least `floor` messages compared equal.
fn check(title: &str, report_name: &str, messages: &[(Vec<u8>, Message)], floor: usize) {
    let mut report = String::new();
    let tally = compare(messages, &mut report);
    let equal = print_tally(title, &tally, &mut report);
    write_report(report_name, &report);
    let different: usize = tally.values().map(|t| t.different).sum();
    assert_eq!(different, 0, "texts different from os-ken's:\n{report}");
    assert!(
        equal >= floor,
        "{equal} texts compared equal with os-ken's, were {floor}"
    );
}

#[test]
fn ryu_text_of_the_projects_captures_against_os_ken() {
    require!(Peer::Python(&["os_ken"]));
    let capture = pcap(&openflow_connection(6653, Cut::Every(100), |s| s));
    let messages = messages(&capture, None);
    assert_eq!(
        messages.len(),
        switch_messages().len() + controller_messages().len()
    );
    check(
        "str(msg) of os-ken vs Message::ryu_str(), the project's Open vSwitch captures",
        "osken-str-comparison-ovs.txt",
        &messages,
        FLOOR_OVS,
    );
}

/// Messages compared equal with os-ken 4.2.2: all 22 (17 of the switch, 5 of a controller).
const FLOOR_OVS: usize = 22;

#[test]
fn ryu_text_of_the_os_ken_corpus_against_os_ken() {
    require!(Peer::Python(&["os_ken"]), Peer::OsKenCorpus);
    let (corpus, pcap) = osken_corpus_pcap();
    let messages = messages(&pcap, None);
    assert_eq!(messages.len(), corpus.len());
    check(
        "str(msg) of os-ken vs Message::ryu_str(), os-ken's OpenFlow 1.3 corpus",
        "osken-str-comparison-osken.txt",
        &messages,
        FLOOR_OSKEN,
    );
}

/// Messages compared equal with os-ken 4.2.2: all 104 (70 parsed, 34 built).
const FLOOR_OSKEN: usize = 104;

#[test]
fn ryu_text_of_the_real_session_against_os_ken() {
    require!(Peer::Python(&["os_ken"]));
    let bytes = std::fs::read(root().join("capture/testdata/ovs-session.pcapng")).unwrap();
    let messages = messages(&bytes, Some(16633));
    assert_eq!(messages.len(), 52);
    check(
        "str(msg) of os-ken vs Message::ryu_str(), a real Open vSwitch / ovs-ofctl session",
        "osken-str-comparison-session.txt",
        &messages,
        FLOOR_SESSION,
    );
}

/// Messages compared equal with os-ken 4.2.2: all 52 (40 parsed, 12 built).
const FLOOR_SESSION: usize = 52;

/// Messages made for what the captures lack: bytes with quotes, backslashes, control and high
/// bytes; a hello with bit 31 of bitmap words (os-ken skips it; three words, since os-ken
/// loops forever on the padding after an element of two); a features reply
/// with reserved bits; a port name that is not UTF-8; masked OXM fields (Ethernet, IPv6, a
/// Nicira register) and a 128-bit one (`ct_label`); an OXM field os-ken does not know, in a
/// match (masked and not) and a set-field, whose base64 value is all digits (`'1234'`); a
/// packet-in whose total_len (0) is less than its data's length (os-ken cuts the data there).
const EDGE_CASES: &[&str] = &[
    "0402001a000000106974277320227122205c2000090a0d7f80ff",
    "0403000c0000001169742773",
    "040000180000001200010010800000100000000180000000",
    "04060020000000130123456789abcdef00000100fe0000000000004f00000005",
    "040c0050000000140200000000000000000000030000000002000000000300007027ff000000000000000000\
     000000000000000100000004000028080000280000002808000000000098968000989680",
    "040a009800000015ffffffff00060100fedcba98765432100001007680000004000000078000070c0a000000\
     0001ffffff00000080000a0286dd8000352020010db8000000000000000000000001ffffffffffffffff0000\
     00000000000000010108000012340000ffff0001d92000000010000000000000000000000000ffffffffffff\
     ffffffffffffffffffff00000000010227225c78",
    "040e004000000030000000000000000000000000000000000000000000000001ffffffffffffffffffffffff\
     000000000001000b8000c803d76df80000000000",
    "040e004000000030000000000000000000000000000000000000000000000001ffffffffffffffffffffffff\
     000000000001000e8000c906d76df8d76df80000",
    "040e005000000030000000000000000000000000000000000000000000000001ffffffffffffffffffffffff\
     0000000000010004000000000004001800000000001900108000c803d76df80000000000",
    "040a0094000000000000000200000101000102030000000000010050800000040000000680000a0208068000\
     0606ffffffffffff80000806f20ba47df8ea80002a02000180002c040a00000180002e040a00000380003006\
     f20ba47df8ea800032060000000000000000fffffffffffff20ba47df8ea08060001080006040001f20ba47d\
     f8ea0a0000010000000000000a000003",
];

#[test]
fn ryu_text_of_edge_cases_against_os_ken() {
    require!(Peer::Python(&["os_ken"]));
    let messages: Vec<(Vec<u8>, Message)> = EDGE_CASES
        .iter()
        .map(|h| {
            let b = hex(h);
            let m = Message::parse(&b).unwrap();
            (b, m)
        })
        .collect();
    check(
        "str(msg) of os-ken vs Message::ryu_str(), edge cases",
        "osken-str-comparison-edge.txt",
        &messages,
        EDGE_CASES.len(),
    );
}

/// The FLOW_MOD, GROUP_MOD and METER_MOD messages Open vSwitch 3.1 encodes for the ovs-ofctl
/// corpus of the openflow crate (`openflow/testdata/ofctl_*.tsv`, the lines it accepts): every
/// match field, mask, action and instruction Open vSwitch knows in OpenFlow 1.3, Nicira's
/// included. os-ken refuses the ones it cannot decode (counted apart, with its reason, in the
/// report).
#[test]
fn ryu_text_of_open_vswitchs_encodings_against_os_ken() {
    require!(Peer::Python(&["os_ken"]));
    let dir = root().join("openflow/testdata");
    let mut messages: Vec<(Vec<u8>, Message)> = Vec::new();
    for file in [
        "ofctl_flows.tsv",
        "ofctl_flow_mods.tsv",
        "ofctl_groups.tsv",
        "ofctl_meters.tsv",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        for line in text.lines().filter(|l| l.starts_with("ok\t")) {
            let b = hex(line.rsplit('\t').next().unwrap());
            let m = Message::parse(&b).unwrap_or_else(|e| panic!("{file}: {line}: {e}"));
            messages.push((b, m));
        }
    }
    assert!(messages.len() >= 1800, "{} messages", messages.len());
    check(
        "str(msg) of os-ken vs Message::ryu_str(), Open vSwitch's encodings of the ovs-ofctl corpus",
        "osken-str-comparison-ofctl-corpus.txt",
        &messages,
        FLOOR_OFCTL_CORPUS,
    );
}

/// Messages compared equal with os-ken 4.2.2: 1,801 of 1,840 (1,494 FLOW_MODs parsed, 203
/// GROUP_MODs and 104 METER_MODs built). os-ken has no text for 39 GROUP_MODs: 24 with an
/// action type OpenFlow 1.3 does not define, which Open vSwitch writes for some actions in
/// buckets and os-ken has no class for (`OFPActionUnknown` is this crate's), and 15 whose
/// object os-ken serializes to other bytes (its learn actions in buckets lose their padding).
const FLOOR_OFCTL_CORPUS: usize = 1801;
