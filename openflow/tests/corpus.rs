//! Conformance with os-ken's corpus of real OpenFlow 1.3 messages (read from the installed
//! os-ken package at test time; scripts/install-peers.sh installs it): every message decodes
//! through the `Message` enum and the `MessageView` view, and re-encodes to identical bytes.

use sdnwire_openflow::{Body, Encode, Framer, Message, MessageView};
use sdnwire_testkit::Peer;
use std::path::PathBuf;

/// os-ken's OF1.3 corpus, or None after a loud skip.
fn corpus_dir() -> Option<PathBuf> {
    if !sdnwire_testkit::require(&[Peer::OsKenCorpus]) {
        return None;
    }
    Some(sdnwire_testkit::osken::packet_data("of13"))
}

#[test]
fn every_corpus_message_round_trips() {
    let Some(dir) = corpus_dir() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "packet"))
        .collect();
    files.sort();
    let mut messages = 0;
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let mut framer = Framer::new();
        framer.push(&bytes);
        loop {
            let frame = match framer.next_frame() {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) => {
                    failures.push(format!("{}: framing: {e}", path.display()));
                    break;
                }
            };
            messages += 1;
            let msg = match Message::parse(&frame.bytes) {
                Ok(m) => m,
                Err(e) => {
                    failures.push(format!("{}: {e}", path.display()));
                    continue;
                }
            };
            assert!(
                !matches!(msg.body, Body::Unknown { .. }),
                "{}",
                path.display()
            );
            match msg.to_vec() {
                Ok(out) if out == frame.bytes => {}
                Ok(_) => failures.push(format!("{}: re-encoded bytes differ", path.display())),
                Err(e) => failures.push(format!("{}: encode: {e}", path.display())),
            }
            match MessageView::parse(&frame.bytes) {
                Ok(v) => assert_eq!(v.decode().unwrap(), msg),
                Err(e) => failures.push(format!("{}: view: {e}", path.display())),
            }
            assert!(!msg.to_string().is_empty());
        }
        assert_eq!(framer.buffered(), 0, "{}: trailing bytes", path.display());
    }
    assert!(files.len() >= 100, "only {} corpus files", files.len());
    assert!(
        failures.is_empty(),
        "{} of {messages} messages failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
