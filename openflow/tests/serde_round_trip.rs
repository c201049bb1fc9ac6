//! `serde` on every owned type, over real messages: the Open vSwitch captures of `testdata/`
//! and os-ken's OF1.3 corpus (read from the installed os-ken package; skipped loudly when it is
//! missing). For the message, its body, and every owned value inside it (match, OXM fields,
//! actions, instructions, buckets, bands, ports, queues, multipart entries, table features and
//! their properties and IDs):
//! - `serde_json::to_string` writes exactly the JSON `to_jsondict()` gives (one shape);
//! - `serde_json::from_str` of that text gives back an equal value.
//!
//! A [`Message`] goes through os-ken's shape, which has no xid: it reads back with xid 0.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![cfg(feature = "serde")]

use core::fmt::Debug;
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use sdnwire_openflow::action::Action;
use sdnwire_openflow::group_mod::Bucket;
use sdnwire_openflow::instruction::Instruction;
use sdnwire_openflow::meter_mod::MeterBand;
use sdnwire_openflow::multipart::{MultipartReplyBody, MultipartRequestBody};
use sdnwire_openflow::oxm::{Match, OxmField};
use sdnwire_openflow::table_features::TableFeatureProp;
use sdnwire_openflow::{Body, Framer, Message};

/// Serializes `v`, checks the text is `dict`, reads it back and checks it equals `v`. Counts
/// the check in `n`.
fn check<T: Serialize + DeserializeOwned + PartialEq + Debug>(
    what: &str,
    v: &T,
    dict: Value,
    n: &mut usize,
) {
    let text = serde_json::to_string(v).unwrap_or_else(|e| panic!("{what}: serialize: {e}"));
    let written: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        written, dict,
        "{what}: serde's JSON differs from to_jsondict's"
    );
    let back: T =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: deserialize: {e}\n{text}"));
    assert_eq!(&back, v, "{what}: the value read back differs\n{text}");
    *n += 1;
}

fn matches(what: &str, m: &Match, n: &mut usize) {
    check(what, m, m.to_jsondict(), n);
    for f in &m.fields {
        check(what, f, f.to_jsondict(), n);
        if let OxmField::Raw(r) = f {
            check(what, r, r.to_jsondict(), n);
        }
    }
}

fn actions(what: &str, list: &[Action], n: &mut usize) {
    for a in list {
        check(what, a, a.to_jsondict(), n);
    }
}

fn instructions(what: &str, list: &[Instruction], n: &mut usize) {
    for i in list {
        check(what, i, i.to_jsondict(), n);
        if let Instruction::WriteActions(a) | Instruction::ApplyActions(a) = i {
            actions(what, a, n);
        }
    }
}

fn buckets(what: &str, list: &[Bucket], n: &mut usize) {
    for b in list {
        check(what, b, b.to_jsondict(), n);
        actions(what, &b.actions, n);
    }
}

fn bands(what: &str, list: &[MeterBand], n: &mut usize) {
    for b in list {
        check(what, b, b.to_jsondict(), n);
    }
}

fn table_props(what: &str, list: &[TableFeatureProp], n: &mut usize) {
    for p in list {
        check(what, p, p.to_jsondict(), n);
        match p {
            TableFeatureProp::Instructions { ids, .. } => {
                for i in ids {
                    check(what, i, i.to_jsondict(), n);
                }
            }
            TableFeatureProp::WriteActions { ids, .. }
            | TableFeatureProp::ApplyActions { ids, .. } => {
                for i in ids {
                    check(what, i, i.to_jsondict(), n);
                }
            }
            TableFeatureProp::Match(ids)
            | TableFeatureProp::Wildcards(ids)
            | TableFeatureProp::WriteSetfield { ids, .. }
            | TableFeatureProp::ApplySetfield { ids, .. } => {
                for i in ids {
                    check(what, i, i.to_jsondict(), n);
                }
            }
            _ => {}
        }
    }
}

/// The message, its body and everything owned inside it.
fn message(what: &str, m: &Message, n: &mut usize) {
    // os-ken's shape carries no xid.
    let text = serde_json::to_string(m).unwrap();
    let written: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(written, m.to_jsondict(), "{what}: Message");
    let back: Message = serde_json::from_str(&text).unwrap();
    assert_eq!(back, Message::new(0, m.body.clone()), "{what}: Message");
    *n += 1;

    let b = &m.body;
    check(what, b, b.to_jsondict(), n);
    match b {
        Body::Hello(x) => {
            check(what, x, x.to_jsondict(), n);
            for e in &x.elements {
                check(what, e, e.to_jsondict(), n);
            }
        }
        Body::Error(x) => check(what, x, x.to_jsondict(), n),
        Body::EchoRequest(x) | Body::EchoReply(x) => check(what, x, x.to_jsondict(), n),
        Body::Experimenter(x) => check(what, x, x.to_jsondict(), n),
        Body::FeaturesReply(x) => check(what, x, x.to_jsondict(), n),
        Body::GetConfigReply(x) | Body::SetConfig(x) => check(what, x, x.to_jsondict(), n),
        Body::PacketIn(x) => {
            check(what, x, x.to_jsondict(), n);
            matches(what, &x.match_, n);
        }
        Body::FlowRemoved(x) => {
            check(what, x, x.to_jsondict(), n);
            matches(what, &x.match_, n);
        }
        Body::PortStatus(x) => {
            check(what, x, x.to_jsondict(), n);
            check(what, &x.desc, x.desc.to_jsondict(), n);
        }
        Body::PacketOut(x) => {
            check(what, x, x.to_jsondict(), n);
            actions(what, &x.actions, n);
        }
        Body::FlowMod(x) => {
            check(what, x, x.to_jsondict(), n);
            matches(what, &x.match_, n);
            instructions(what, &x.instructions, n);
        }
        Body::GroupMod(x) => {
            check(what, x, x.to_jsondict(), n);
            buckets(what, &x.buckets, n);
        }
        Body::PortMod(x) => check(what, x, x.to_jsondict(), n),
        Body::TableMod(x) => check(what, x, x.to_jsondict(), n),
        Body::MultipartRequest(x) => {
            check(what, x, x.to_jsondict(), n);
            let body = &x.body;
            if x.flags.0 == 0 {
                check(what, body, body.to_jsondict(), n);
            }
            match body {
                MultipartRequestBody::Flow(r) | MultipartRequestBody::Aggregate(r) => {
                    check(what, r, r.to_jsondict(), n);
                    matches(what, &r.match_, n);
                }
                MultipartRequestBody::TableFeatures(t) => {
                    for t in t {
                        check(what, t, t.to_jsondict(), n);
                        table_props(what, &t.properties, n);
                    }
                }
                MultipartRequestBody::Experimenter(e) => check(what, e, e.to_jsondict(), n),
                _ => {}
            }
        }
        Body::MultipartReply(x) => {
            check(what, x, x.to_jsondict(), n);
            let body = &x.body;
            if x.flags.0 == 0 {
                check(what, body, body.to_jsondict(), n);
            }
            multipart_reply(what, body, n);
        }
        Body::QueueGetConfigRequest(x) => check(what, x, x.to_jsondict(), n),
        Body::QueueGetConfigReply(x) => {
            check(what, x, x.to_jsondict(), n);
            for q in &x.queues {
                check(what, q, q.to_jsondict(), n);
                for p in &q.properties {
                    check(what, p, p.to_jsondict(), n);
                }
            }
        }
        Body::RoleRequest(x) | Body::RoleReply(x) => check(what, x, x.to_jsondict(), n),
        Body::GetAsyncReply(x) | Body::SetAsync(x) => check(what, x, x.to_jsondict(), n),
        Body::MeterMod(x) => {
            check(what, x, x.to_jsondict(), n);
            bands(what, &x.bands, n);
        }
        Body::FeaturesRequest => {
            let x = &sdnwire_openflow::simple::FeaturesRequest;
            check(what, x, x.to_jsondict(), n);
        }
        Body::GetConfigRequest => {
            let x = &sdnwire_openflow::simple::GetConfigRequest;
            check(what, x, x.to_jsondict(), n);
        }
        Body::BarrierRequest => {
            let x = &sdnwire_openflow::simple::BarrierRequest;
            check(what, x, x.to_jsondict(), n);
        }
        Body::BarrierReply => {
            let x = &sdnwire_openflow::simple::BarrierReply;
            check(what, x, x.to_jsondict(), n);
        }
        Body::GetAsyncRequest => {
            let x = &sdnwire_openflow::simple::GetAsyncRequest;
            check(what, x, x.to_jsondict(), n);
        }
        _ => {}
    }
}

fn multipart_reply(what: &str, body: &MultipartReplyBody, n: &mut usize) {
    use MultipartReplyBody as B;
    match body {
        B::Desc(d) => check(what, &**d, d.to_jsondict(), n),
        B::Flow(v) => {
            for f in v {
                check(what, f, f.to_jsondict(), n);
                matches(what, &f.match_, n);
                instructions(what, &f.instructions, n);
            }
        }
        B::Aggregate(a) => check(what, a, a.to_jsondict(), n),
        B::Table(v) => v.iter().for_each(|x| check(what, x, x.to_jsondict(), n)),
        B::PortStats(v) => v.iter().for_each(|x| check(what, x, x.to_jsondict(), n)),
        B::Queue(v) => v.iter().for_each(|x| check(what, x, x.to_jsondict(), n)),
        B::Group(v) => {
            for g in v {
                check(what, g, g.to_jsondict(), n);
                for c in &g.bucket_stats {
                    check(what, c, c.to_jsondict(), n);
                }
            }
        }
        B::GroupDesc(v) => {
            for g in v {
                check(what, g, g.to_jsondict(), n);
                buckets(what, &g.buckets, n);
            }
        }
        B::GroupFeatures(g) => check(what, g, g.to_jsondict(), n),
        B::Meter(v) => {
            for m in v {
                check(what, m, m.to_jsondict(), n);
                for b in &m.band_stats {
                    check(what, b, b.to_jsondict(), n);
                }
            }
        }
        B::MeterConfig(v) => {
            for c in v {
                check(what, c, c.to_jsondict(), n);
                bands(what, &c.bands, n);
            }
        }
        B::MeterFeatures(f) => check(what, f, f.to_jsondict(), n),
        B::TableFeatures(v) => {
            for t in v {
                check(what, t, t.to_jsondict(), n);
                table_props(what, &t.properties, n);
            }
        }
        B::PortDesc(v) => v.iter().for_each(|x| check(what, x, x.to_jsondict(), n)),
        B::Experimenter(e) => check(what, e, e.to_jsondict(), n),
        _ => {}
    }
}

/// Every message of a file (a capture may hold several).
fn messages(bytes: &[u8]) -> Vec<Message> {
    let mut framer = Framer::new();
    framer.push(bytes);
    let mut out = Vec::new();
    while let Some(f) = framer.next_frame().unwrap() {
        out.push(Message::parse(&f.bytes).unwrap());
    }
    out
}

#[test]
fn ovs_captures() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    files.sort();
    assert!(files.len() >= 17, "{files:?}");
    let mut n = 0;
    for p in &files {
        let what = p.file_name().unwrap().to_string_lossy().into_owned();
        let ms = messages(&std::fs::read(p).unwrap());
        assert!(!ms.is_empty(), "{what}");
        for m in &ms {
            message(&what, m, &mut n);
        }
    }
    // Every capture, and the thousands of table feature IDs of the table features reply.
    assert!(n > 1000, "{n} checks");
}

#[test]
fn header_alone() {
    let h = sdnwire_openflow::Header {
        version: 4,
        msg_type: sdnwire_openflow::MsgType::FLOW_MOD,
        length: 56,
        xid: 7,
    };
    let mut n = 0;
    check("header", &h, h.to_jsondict(), &mut n);
    assert_eq!(
        h.to_jsondict(),
        serde_json::json!({"msg_len": 56, "msg_type": 14, "version": 4, "xid": 7})
    );
}

#[test]
fn the_serde_form_is_os_kens() {
    use sdnwire_openflow::flow_mod::FlowMod;
    let fm = FlowMod::add()
        .priority(123)
        .matching(Match::new().in_port(1u32))
        .apply_actions([Action::output(2u32)]);
    let j: Value = serde_json::from_str(&serde_json::to_string(&fm).unwrap()).unwrap();
    assert_eq!(j["OFPFlowMod"]["priority"], 123);
    assert_eq!(
        j["OFPFlowMod"]["match"]["OFPMatch"]["oxm_fields"][0],
        serde_json::json!({"OXMTlv": {"field": "in_port", "mask": null, "value": 1}})
    );
    // A body shared by two message types is its attributes alone, and reads either class.
    let echo = sdnwire_openflow::simple::Echo {
        data: b"ping".to_vec(),
    };
    assert_eq!(
        serde_json::to_value(&echo).unwrap(),
        serde_json::json!({"data": "cGluZw=="})
    );
    for v in [
        serde_json::json!({"OFPEchoReply": {"data": "cGluZw=="}}),
        serde_json::json!({"data": "cGluZw=="}),
    ] {
        assert_eq!(
            serde_json::from_value::<sdnwire_openflow::simple::Echo>(v).unwrap(),
            echo
        );
    }
    // A wrong class is an error that names it.
    let e = serde_json::from_value::<FlowMod>(serde_json::json!({"OFPBarrierRequest": {}}))
        .unwrap_err()
        .to_string();
    assert!(e.contains("expected OFPFlowMod"), "{e}");
    // Open newtypes are their numbers.
    assert_eq!(
        serde_json::to_value(sdnwire_openflow::PortNo(3)).unwrap(),
        serde_json::json!(3)
    );
}

/// os-ken's OF1.3 corpus, or None after a loud skip.
fn os_ken_packets() -> Option<PathBuf> {
    if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::OsKenCorpus]) {
        return None;
    }
    Some(sdnwire_testkit::osken::packet_data("of13"))
}

#[test]
fn os_ken_corpus() {
    let Some(dir) = os_ken_packets() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "packet"))
        .collect();
    files.sort();
    let mut n = 0;
    let mut parsed = 0;
    for p in &files {
        let what = p.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(p).unwrap();
        let mut framer = Framer::new();
        framer.push(&bytes);
        while let Ok(Some(f)) = framer.next_frame() {
            // The corpus holds a few messages this codec refuses on purpose (another
            // version, non-zero padding): the JSON tests cover which.
            if let Ok(m) = Message::parse(&f.bytes) {
                parsed += 1;
                message(&what, &m, &mut n);
            }
        }
    }
    assert!(parsed > 100, "{parsed} messages");
    assert!(n > parsed, "{n} checks");
}
