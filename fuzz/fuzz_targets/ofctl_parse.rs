//! The ovs-ofctl flow parser (`sdnwire_openflow::ofctl`) on arbitrary text.
//!
//! Input: the bytes as UTF-8 (other inputs are skipped), parsed as an `add-flows` line, an
//! `add-flow`, a `mod-flows` and a `del-flows --strict` argument, an action list, an
//! `add-groups` line and a meter.
//!
//! Checks: no panic; whatever a parser accepts encodes (or answers an encoding error: a match
//! over 64 KiB), prints in the line form, and the printed line parses back to the same
//! `FlowMod` (a group, a meter: its `Display` parses back to the same `GroupMod`,
//! `MeterMod`); an error's column points into the line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::ofctl::{self, ParseError};
use sdnwire_openflow::{Body, Encode, Message};

fn check(line: &str, r: Result<FlowMod, ParseError>) {
    match r {
        Ok(fm) => {
            let text = fm.to_string();
            let back = ofctl::parse_flow_line(&text)
                .unwrap_or_else(|e| panic!("{line:?} printed {text:?}, which does not parse: {e}"));
            assert_eq!(back, fm, "{line:?} printed {text:?}");
            let _ = Message::new(1, Body::FlowMod(fm)).to_vec();
        }
        Err(e) => assert!(
            e.column() >= 1 && e.column() <= line.chars().count() + 1,
            "{line:?}: column {} out of the line",
            e.column()
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(line) = core::str::from_utf8(data) else {
        return;
    };
    check(line, ofctl::parse_flow_line(line));
    check(line, ofctl::parse_flow(line));
    check(line, ofctl::parse_mod_flows(line, false));
    check(line, ofctl::parse_del_flows(line, true));
    let _ = ofctl::parse_actions(line);
    match ofctl::parse_group_line(line) {
        Ok(gm) => {
            let text = gm.to_string();
            let back = ofctl::parse_group_line(&text)
                .unwrap_or_else(|e| panic!("{line:?} printed {text:?}, which does not parse: {e}"));
            assert_eq!(back, gm, "{line:?} printed {text:?}");
            let _ = Message::new(1, Body::GroupMod(gm)).to_vec();
        }
        Err(e) => assert!(e.column() >= 1 && e.column() <= line.chars().count() + 1),
    }
    match ofctl::parse_meter_line(line) {
        Ok(mm) => {
            let text = mm.to_string();
            let back = ofctl::parse_meter_line(&text)
                .unwrap_or_else(|e| panic!("{line:?} printed {text:?}, which does not parse: {e}"));
            assert_eq!(back, mm, "{line:?} printed {text:?}");
            let _ = Message::new(1, Body::MeterMod(mm)).to_vec();
        }
        Err(e) => assert!(e.column() >= 1 && e.column() <= line.chars().count() + 1),
    }
});
