//! os-ken's OF1.3 corpus against our JSON (read from the installed os-ken package at test time;
//! scripts/install-peers.sh installs it): for every `.packet` with an expected `.json`,
//! - `Message::to_jsondict()` equals os-ken's expected JSON exactly (every difference is
//!   reported, with file and JSON path, all at once);
//! - `Message::from_jsondict(expected)` encodes to the `.packet`'s bytes, also with every `len`
//!   and `length` removed (as os-ken's own test does);
//! - `from_jsondict(to_jsondict(m))` gives `m` back.
//!
//! One named exception, [`TO_JSON_EXCEPTIONS`]: a JSON that os-ken wrote from its own objects
//! in a form its parser never produces.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![cfg(feature = "serde")]

use sdnwire_openflow::{Encode, Framer, Message};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Files whose expected JSON `to_jsondict()` cannot equal, and why. The rest of the JSON is
/// still compared exactly, and `from_jsondict` must still give the bytes.
const TO_JSON_EXCEPTIONS: &[(&str, &str, &[&str])] = &[(
    "libofproto-OFP13-ofp_packet_out_packet_library.packet",
    // os-ken has no OFPT_PACKET_OUT parser; this JSON was written from an OFPPacketOut whose
    // data is a packet-library object. Bytes from the wire are base64, as in
    // 4-1-ofp_packet_out. from_jsondict reads the packet-library form.
    "data is os-ken packet-library JSON, not the base64 os-ken's to_jsondict gives bytes",
    &["OFPPacketOut", "data"],
)];

/// os-ken's `tests` folder with the OF1.3 corpus and its JSON, or None after a loud skip.
fn os_ken_tests() -> Option<PathBuf> {
    if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::OsKenCorpus]) {
        return None;
    }
    sdnwire_testkit::osken::tests_dir().ok()
}

/// Every difference between `ours` and `theirs`, as `path: ...` lines.
fn diff(path: &str, ours: &Value, theirs: &Value, out: &mut Vec<String>) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                let p = format!("{path}.{k}");
                match a.get(k) {
                    Some(x) => diff(&p, x, v, out),
                    None => out.push(format!("{p}: missing (os-ken: {v})")),
                }
            }
            for k in a.keys().filter(|k| !b.contains_key(*k)) {
                out.push(format!("{path}.{k}: extra (ours: {})", a[k]));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!("{path}: {} items, os-ken has {}", a.len(), b.len()));
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff(&format!("{path}[{i}]"), x, y, out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: ours {a}, os-ken {b}")),
    }
}

fn one_message(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    let mut framer = Framer::new();
    framer.push(&bytes);
    let frame = framer.next_frame().unwrap().expect("one message");
    assert!(
        framer.next_frame().unwrap().is_none(),
        "{}: more than one message",
        path.display()
    );
    frame.bytes.to_vec()
}

#[test]
fn corpus_json() {
    let Some(tests) = os_ken_tests() else { return };
    let pdir = tests.join("packet_data/of13");
    let jdir = tests.join("unit/ofproto/json/of13");
    let mut names: Vec<String> = std::fs::read_dir(&pdir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".packet"))
        .collect();
    names.sort();
    let mut failures = Vec::new();
    let mut compared = 0;
    for name in &names {
        let jpath = jdir.join(format!("{name}.json"));
        let Ok(jtext) = std::fs::read(&jpath) else {
            continue;
        };
        compared += 1;
        let mut expected: Value = serde_json::from_slice(&jtext).unwrap();
        let bytes = one_message(&pdir.join(name));
        let msg = match Message::parse(&bytes) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{name}: parse: {e}"));
                continue;
            }
        };

        // from_jsondict(os-ken's JSON) gives the bytes.
        match Message::from_jsondict(&expected, msg.xid) {
            Ok(m) => match m.to_vec() {
                Ok(b) if b == bytes => {}
                Ok(b) => failures.push(format!(
                    "{name}: from_jsondict encodes to other bytes:\n  ours   {}\n  wire   {}",
                    hex(&b),
                    hex(&bytes)
                )),
                Err(e) => failures.push(format!("{name}: from_jsondict result: encode: {e}")),
            },
            Err(e) => failures.push(format!("{name}: from_jsondict: {e}")),
        }

        // Without the lengths (os-ken's test drops every "len" and "length"), the same bytes.
        let mut short = expected.clone();
        strip_lengths(&mut short);
        match Message::from_jsondict(&short, msg.xid).map(|m| m.to_vec()) {
            Ok(Ok(b)) if b == bytes => {}
            Ok(Ok(_)) => failures.push(format!("{name}: without lengths: other bytes")),
            Ok(Err(e)) => failures.push(format!("{name}: without lengths: encode: {e}")),
            Err(e) => failures.push(format!("{name}: without lengths: {e}")),
        }

        // to_jsondict equals os-ken's JSON.
        let ours = msg.to_jsondict();
        if let Some((_, why, at)) = TO_JSON_EXCEPTIONS.iter().find(|(n, _, _)| n == name) {
            // Compare everything else exactly: take the excepted value from ours.
            eprintln!("{name}: {} differs by design: {why}", at.join("."));
            let mut theirs = &mut expected;
            let (last, parents) = at.split_last().unwrap();
            for k in parents {
                theirs = &mut theirs[*k];
            }
            let mut o = &ours;
            for k in *at {
                o = &o[*k];
            }
            theirs[*last] = o.clone();
        }
        let mut diffs = Vec::new();
        diff("$", &ours, &expected, &mut diffs);
        failures.extend(diffs.into_iter().map(|d| format!("{name}: {d}")));

        // And our JSON reads back to the same message.
        match Message::from_jsondict(&ours, msg.xid) {
            Ok(m) if m == msg => {}
            Ok(_) => failures.push(format!("{name}: from_jsondict(to_jsondict) differs")),
            Err(e) => failures.push(format!("{name}: from_jsondict(to_jsondict): {e}")),
        }
    }
    assert!(compared >= 100, "only {compared} corpus files with JSON");
    assert!(
        failures.is_empty(),
        "{} failures over {compared} files:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{compared} corpus messages: to_jsondict == os-ken's JSON, from_jsondict == bytes");
}

/// os-ken's JSON files without a `.packet` (requests built by its ofctl library): they read
/// back, and render to the same JSON.
#[test]
fn json_without_packet_reads_back() {
    let Some(tests) = os_ken_tests() else { return };
    let pdir = tests.join("packet_data/of13");
    let jdir = tests.join("unit/ofproto/json/of13");
    let mut n = 0;
    for e in std::fs::read_dir(&jdir).unwrap().filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".json") else {
            continue;
        };
        // The truncated flow mod is os-ken's OFPTruncatedMessage; our parser refuses
        // truncated input.
        if pdir.join(stem).exists() || name.contains("truncated") {
            continue;
        }
        n += 1;
        let j: Value = serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
        let m = Message::from_jsondict(&j, 0).unwrap_or_else(|e| panic!("{name}: {e}"));
        m.to_vec().unwrap_or_else(|e| panic!("{name}: encode: {e}"));
        let mut diffs = Vec::new();
        diff("$", &m.to_jsondict(), &j, &mut diffs);
        assert!(diffs.is_empty(), "{name}:\n{}", diffs.join("\n"));
    }
    assert!(n >= 9, "only {n} JSON files without a packet");
}

/// Removes every "len" and "length" attribute, as os-ken's own JSON test does.
fn strip_lengths(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("len");
            m.remove("length");
            m.values_mut().for_each(strip_lengths);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_lengths),
        _ => {}
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
