extern crate std;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::action::Action;
use crate::codec::WireWrite;
use crate::header::MsgType;
use crate::simple::testutil::{message, ofp_print};

/// Decodes os-ken's base64 (standard alphabet, `=` padding).
pub(crate) fn b64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("bad base64 {c}"),
        }
    };
    let s = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::new();
    for chunk in s.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= val(c) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// Bytes from hex with spaces and newlines.
pub(crate) fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The first line `ovs-ofctl ofp-print` prints for `body` sent as message `ty`, with the
/// `OFPT_... (OF1.3) (xid=0x0): ` prefix removed; None when ovs-ofctl is missing.
pub(crate) fn ovs_line(ty: MsgType, body: &impl WireWrite) -> Option<String> {
    let out = ofp_print(&message(ty, body))?;
    let line = out.lines().next().unwrap_or("");
    let prefix = format!("OFPT_{} (OF1.3) (xid=0x0): ", ty.name().unwrap());
    Some(
        line.strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("unexpected ovs-ofctl output: {out}"))
            .to_string(),
    )
}

/// The FLOW_MOD `ovs-ofctl -O OpenFlow13 parse-flow FLOW` encodes (the whole message),
/// or None when ovs-ofctl is missing. Fails when ovs-ofctl refuses the flow.
pub(crate) fn ovs_parse_flow(flow: &str) -> Option<Vec<u8>> {
    if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::OvsOfctl]) {
        return None;
    }
    let out = match std::process::Command::new("ovs-ofctl")
        .args(["-O", "OpenFlow13", "-mmmmm", "parse-flow", flow])
        .output()
    {
        Ok(o) => o,
        Err(e) => panic!("ovs-ofctl: {e}"),
    };
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ovs-ofctl refused {flow:?}: {text}");
    let mut bytes = Vec::new();
    for line in text.lines() {
        // "00000000  04 0e 00 40 00 00 00 01-00 00 ... |...@....|"
        let Some((off, rest)) = line.split_once("  ") else {
            continue;
        };
        if off.len() != 8 || !off.chars().all(|c| c.is_ascii_hexdigit()) {
            continue;
        }
        let hexpart = rest.split('|').next().unwrap().replace('-', " ");
        bytes.extend(
            hexpart
                .split_whitespace()
                .map(|b| u8::from_str_radix(b, 16).unwrap()),
        );
    }
    assert!(!bytes.is_empty(), "no hex dump from ovs-ofctl: {text}");
    Some(bytes)
}

/// Checks actions against os-ken's JSON: count, type, length, experimenter id.
pub(crate) fn check_actions(name: &str, actions: &[Action], j: &serde_json::Value) {
    let ja = j.as_array().unwrap();
    assert_eq!(actions.len(), ja.len(), "{name}: action count");
    for (a, ja) in actions.iter().zip(ja) {
        let (kind, v) = ja.as_object().unwrap().iter().next().unwrap();
        assert_eq!(v["type"], a.action_type().0, "{name}: {kind}");
        assert_eq!(v["len"], a.encoded_len(), "{name}: {kind}");
        if let Action::Experimenter { experimenter, .. } = a {
            if let Some(e) = v.get("experimenter") {
                assert_eq!(e, experimenter, "{name}: {kind}");
            }
        }
    }
}
