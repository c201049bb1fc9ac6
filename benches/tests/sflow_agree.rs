//! The sFlow benchmark's implementations read the same values: for every datagram of every
//! group, ours (views and owned values), flowparser-sflow and sflow-parser give the same items,
//! and those hold what the datagrams hold.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "../benches/sflow_common/mod.rs"]
mod sflow_common;

#[test]
fn every_implementation_reads_the_same_fields() {
    let parser = flowparser_sflow::SflowParser::default();
    let mut kinds = std::collections::BTreeSet::new();
    for (name, dgrams) in sflow_common::groups() {
        assert!(!dgrams.is_empty(), "{name}");
        for d in &dgrams {
            let items = sflow_common::all_items(&parser, d);
            let want = items[0].clone().expect("ours");
            sflow_common::check_agree(name, items);
            for line in want.lines() {
                assert!(!line.starts_with("Other"), "{name}: not read: {line}");
                kinds.insert(line.split(['(', ' ']).next().unwrap().to_owned());
            }
        }
    }
    // Every kind of item the readers know is in the datagrams.
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "AppResources",
            "CountersSample",
            "Datagram",
            "Ethernet",
            "ExtendedSwitch",
            "FlowSample",
            "GenericInterface",
            "Ipv4",
            "Lag",
            "OpenFlowPort",
            "OvsDp",
            "PortName",
            "RawHeader",
        ]
    );
}

#[test]
fn a_broken_datagram_fails_in_every_implementation() {
    let parser = flowparser_sflow::SflowParser::default();
    let (_, dgrams) = sflow_common::groups().remove(0);
    let mut d = dgrams[0].clone();
    d.truncate(d.len() - 3);
    let [a, b, _, e] = sflow_common::all_items(&parser, &d);
    assert!(a.is_none() && b.is_none() && e.is_none());
}

/// The hand-written owned floor of the benchmark builds the value `Datagram::parse` builds on
/// every datagram of every group, and reads the same items; it fails where `Datagram::parse`
/// fails on a broken datagram.
#[test]
fn the_hand_written_owned_floor_equals_datagram_parse() {
    let parser = flowparser_sflow::SflowParser::default();
    for (name, dgrams) in sflow_common::groups() {
        for d in &dgrams {
            sflow_common::check_floor(name, d);
            let [_, owned, ..] = sflow_common::all_items(&parser, d);
            let floor = sflow_common::floor_items(d);
            assert!(floor.is_some(), "{name}");
            assert_eq!(floor, owned, "{name}");
            // Every one-byte truncation and every bit flip: the floor fails where
            // `Datagram::parse` fails, and gives its value where it accepts.
            for cut in 0..d.len() {
                let r = sflow_common::floor::parse(&d[..cut]);
                assert!(r.is_none(), "{name}: truncated to {cut}");
            }
            for i in 0..d.len() {
                for bit in 0..8 {
                    let mut m = d.clone();
                    m[i] ^= 1 << bit;
                    if let Some(v) = sflow_common::floor::parse(&m) {
                        assert_eq!(
                            Ok(v),
                            sdnwire_sflow::Datagram::parse(&m),
                            "{name}: {i}.{bit}"
                        );
                    }
                }
            }
        }
    }
}
