//! Open vSwitch fixtures (scripts/capture-sflow.sh): every datagram decodes, re-encodes byte
//! for byte, keeps OVS's non-zero XDR padding, and is walked without one allocation; and
//! negative tests for every length field.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::cast_possible_truncation)] // test inputs are small
use sdnwire_sflow::{
    CodecError, CounterRecordView, Datagram, DatagramView, Encode, Error, FlowRecord,
    FlowRecordView, HeaderProtocol, Sample, SampleView,
};

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata");
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    v.sort();
    assert!(v.len() >= 4, "fixtures missing in {dir}");
    v
}

/// Touches every field of every record (what a fair benchmark and the allocation test do).
fn walk(bytes: &[u8]) -> sdnwire_sflow::Result<u64> {
    let d = DatagramView::parse(bytes)?;
    let mut sum = u64::from(d.sequence_number()) + u64::from(d.uptime());
    for s in d.samples() {
        match s? {
            SampleView::Flow(f) | SampleView::ExpandedFlow(f) => {
                sum += u64::from(f.sampling_rate()) + u64::from(f.input().value);
                for r in f.records() {
                    match r? {
                        FlowRecordView::RawHeader(h) => {
                            sum += u64::from(h.frame_length()) + h.header().len() as u64
                        }
                        FlowRecordView::ExtendedSwitch(s) => sum += u64::from(s.src_vlan()),
                        _ => sum += 1,
                    }
                }
            }
            SampleView::Counters(c) | SampleView::ExpandedCounters(c) => {
                for r in c.records() {
                    match r? {
                        CounterRecordView::GenericInterface(g) => sum += g.if_in_octets(),
                        CounterRecordView::PortName(p) => sum += p.name().len() as u64,
                        _ => sum += 1,
                    }
                }
            }
            _ => sum += 1,
        }
    }
    Ok(sum)
}

#[test]
fn every_fixture_decodes_and_round_trips_exactly() {
    let mut flow_records = 0;
    let mut padded = 0;
    for (name, bytes) in fixtures() {
        let view = DatagramView::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        view.validate().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(view.agent_address().to_string(), "127.0.0.1");
        let owned = Datagram::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(owned.encoded_len(), bytes.len(), "{name}");
        assert_eq!(
            owned.to_vec().unwrap(),
            bytes,
            "{name}: re-encoding differs"
        );
        for s in view.samples() {
            if let SampleView::Flow(f) = s.unwrap() {
                assert!(matches!(f.input().ifindex(), Some(101 | 102)));
                for r in f.records() {
                    if let FlowRecordView::RawHeader(h) = r.unwrap() {
                        flow_records += 1;
                        assert_eq!(h.header_protocol(), HeaderProtocol::ETHERNET);
                        // OVS: the frame plus 4 (FCS), stripped 4, header at most 128.
                        assert_eq!(h.stripped(), 4);
                        assert!(h.header().len() <= 128);
                        if h.header().len() < 128 {
                            assert_eq!(h.frame_length() as usize, h.header().len() + 4);
                        }
                        if h.padding().iter().any(|b| *b != 0) {
                            padded += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(flow_records >= 7, "flow fixtures hold the injected frames");
    assert!(
        padded > 0,
        "OVS's non-zero padding is in the fixtures and kept"
    );
}

#[test]
fn ovs_sends_the_documented_counter_records() {
    let mut formats = std::collections::BTreeSet::new();
    for (_, bytes) in fixtures() {
        for s in DatagramView::parse(&bytes).unwrap().samples() {
            if let Some(c) = s.unwrap().as_counters() {
                for r in c.records() {
                    let r = r.unwrap();
                    assert!(!matches!(r, CounterRecordView::Unknown(_)), "{r:?}");
                    formats.insert(r.data_format().format);
                }
            }
        }
    }
    assert_eq!(
        formats.into_iter().collect::<Vec<_>>(),
        vec![1, 2, 7, 1004, 1005, 2203, 2207]
    );
}

/// The owned decode keeps a sample's records, the sampled header and the port name inline:
/// one allocation per datagram (the list of samples), none freed and allocated again.
#[test]
fn the_owned_decode_allocates_once_per_datagram() {
    for (name, bytes) in fixtures() {
        let mut d = None;
        let info = allocation_counter::measure(|| {
            d = Some(Datagram::parse(&bytes).unwrap());
        });
        let d = d.unwrap();
        assert!(!d.samples.is_empty());
        assert_eq!(info.count_total, 1, "{name}: {info:?}");
        for s in &d.samples {
            match s {
                Sample::Flow(f) => {
                    assert!(f.records.is_inline(), "{name}");
                    for r in &f.records {
                        if let FlowRecord::RawHeader(h) = r {
                            assert!(h.header.data.is_inline(), "{name}");
                        }
                    }
                }
                Sample::Counters(c) => assert!(c.records.is_inline(), "{name}"),
                _ => {}
            }
        }
    }
}

#[test]
fn walking_a_datagram_allocates_nothing() {
    let fx = fixtures();
    let mut sum = 0;
    let info = allocation_counter::measure(|| {
        for (_, bytes) in &fx {
            sum += walk(bytes).unwrap();
        }
    });
    assert!(sum > 0);
    assert_eq!(info.count_total, 0, "allocations while walking: {info:?}");
}

#[test]
fn truncation_at_every_byte_is_an_error_not_a_panic() {
    for (name, bytes) in fixtures() {
        for n in 0..bytes.len() {
            let cut = &bytes[..n];
            assert!(walk(cut).is_err(), "{name} cut at {n} walked");
            assert!(Datagram::parse(cut).is_err(), "{name} cut at {n} parsed");
        }
        // A trailing byte is refused too.
        let mut long = bytes.clone();
        long.push(0);
        assert!(matches!(walk(&long), Err(Error::BadLength { .. })));
    }
}

/// Offsets of every length and count field of a datagram, by kind.
fn length_fields(bytes: &[u8]) -> Vec<(&'static str, usize)> {
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
    let mut out = vec![];
    let mut at = if be(4) == 1 { 12 } else { 24 };
    out.push(("sample count", at + 12));
    let n = be(at + 12);
    at += 16;
    for _ in 0..n {
        let fmt = be(at);
        let len = be(at + 4);
        out.push(("sample length", at + 4));
        let body = at + 8;
        let (count_at, _) = match fmt {
            1 => (body + 28, ()),
            2 => (body + 8, ()),
            _ => unreachable!(),
        };
        out.push(("record count", count_at));
        let mut r = count_at + 4;
        for _ in 0..be(count_at) {
            let rfmt = be(r);
            out.push(("record length", r + 4));
            if rfmt == 1 {
                out.push(("header length", r + 8 + 12));
            }
            if rfmt == 1005 {
                out.push(("string length", r + 8));
            }
            r += 8 + be(r + 4);
        }
        at = body + len;
    }
    out
}

#[test]
fn every_length_field_is_checked() {
    for (name, bytes) in fixtures() {
        let fields = length_fields(&bytes);
        assert!(fields.len() > 10);
        for (what, at) in fields {
            let orig = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
            for v in [
                orig.wrapping_add(1),
                orig.wrapping_add(4),
                orig.wrapping_sub(4),
                0x7fff_ffff,
                u32::MAX,
            ] {
                if v == orig {
                    continue;
                }
                let mut bad = bytes.clone();
                bad[at..at + 4].copy_from_slice(&v.to_be_bytes());
                let walked = walk(&bad);
                let owned = Datagram::parse(&bad);
                // A shorter count or length can still describe a valid datagram only if what
                // is left over is itself valid; otherwise it must be an error with an offset
                // inside the datagram.
                match (&walked, &owned) {
                    (Err(e), Err(_)) => {
                        assert!(e.offset().unwrap() <= bytes.len(), "{name} {what}: {e}")
                    }
                    (Ok(_), Ok(d)) => assert_eq!(d.to_vec().unwrap(), bad, "{name} {what}={v}"),
                    _ => panic!("{name} {what}={v}: view {walked:?} vs owned {owned:?}"),
                }
                if v > orig && what != "header length" && what != "string length" {
                    assert!(walked.is_err(), "{name}: {what} {orig} -> {v} accepted");
                }
            }
        }
    }
}

#[test]
fn errors_say_what_and_where() {
    let (_, bytes) = &fixtures()[0];
    // Version.
    let mut bad = bytes.clone();
    bad[3] = 4;
    assert!(matches!(
        DatagramView::parse(&bad),
        Err(Error::BadValue {
            offset: 0,
            what: "datagram version",
            value: 4,
            ..
        })
    ));
    // Address type.
    let mut bad = bytes.clone();
    bad[7] = 3;
    assert!(matches!(
        DatagramView::parse(&bad),
        Err(Error::BadValue {
            offset: 4,
            what: "agent address",
            value: 3,
            ..
        })
    ));
    // A sample count far beyond the datagram is refused before anything is walked.
    let mut bad = bytes.clone();
    bad[24..28].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(matches!(
        DatagramView::parse(&bad),
        Err(Error::BadLength {
            offset: 24,
            what: "sample count",
            ..
        })
    ));
    // The first sample's length one word too long: the error names the sample length.
    let mut bad = bytes.clone();
    let len = u32::from_be_bytes(bad[32..36].try_into().unwrap());
    bad[32..36].copy_from_slice(&(len + 4).to_be_bytes());
    let err = DatagramView::parse(&bad)
        .unwrap()
        .samples()
        .find_map(|s| s.err())
        .unwrap();
    assert!(err.to_string().contains("offset"), "{err}");
}

#[test]
fn mac_padding_is_kept_in_fixed_records_after_a_bssid_and_after_adapter_macs() {
    use sdnwire_sflow::{
        Adapter, CounterRecord, CountersSample, DataSource, FlowRecord, FlowSample, HostAdapters,
        Ieee80211Rx, LagPortStats, Sample,
    };
    let lag = Datagram {
        samples: vec![Sample::Counters(CountersSample {
            source_id: DataSource { class: 0, index: 1 },
            records: vec![CounterRecord::Lag(LagPortStats::default())].into(),
            ..Default::default()
        })],
        ..Default::default()
    };
    let mut bytes = lag.to_vec().unwrap();
    // Datagram header 24 (agent address type 0), sample header 8 + 12, record header 8: MAC padding.
    let mac_pad = 24 + 8 + 12 + 8 + 6;
    bytes[mac_pad] = 0xee;
    let owned = Datagram::parse(&bytes).unwrap();
    assert_eq!(owned.to_vec().unwrap(), bytes);
    let Sample::Counters(c) = &owned.samples[0] else {
        panic!()
    };
    let CounterRecord::Lag(l) = &c.records[0] else {
        panic!()
    };
    assert_eq!(l.actor_system_id.padding, [0xee, 0]);

    let rx = Datagram {
        samples: vec![Sample::Flow(FlowSample {
            records: vec![FlowRecord::Ieee80211Rx(Ieee80211Rx::default())].into(),
            ..Default::default()
        })],
        ..Default::default()
    };
    let mut bytes = rx.to_vec().unwrap();
    // Flow sample header 8 + 32, record header 8, empty SSID 4: BSSID padding.
    let bssid_pad = 24 + 8 + 32 + 8 + 4 + 6;
    bytes[bssid_pad] = 0xee;
    bytes[bssid_pad + 1] = 0x01;
    assert!(walk(&bytes).is_ok());
    let owned = Datagram::parse(&bytes).unwrap();
    assert_eq!(owned.to_vec().unwrap(), bytes);
    let Sample::Flow(f) = &owned.samples[0] else {
        panic!()
    };
    let FlowRecord::Ieee80211Rx(r) = &f.records[0] else {
        panic!()
    };
    assert_eq!(r.bssid.padding, [0xee, 0x01]);

    let adapters = Datagram {
        samples: vec![Sample::Counters(CountersSample {
            records: vec![CounterRecord::HostAdapters(HostAdapters {
                adapters: vec![Adapter {
                    if_index: 7,
                    macs: vec![sdnwire_packet::MacAddr([2, 0, 0, 0, 0, 1]).into(); 2],
                }],
            })]
            .into(),
            ..Default::default()
        })],
        ..Default::default()
    };
    let mut bytes = adapters.to_vec().unwrap();
    // Counters sample header 8 + 12, record header 8, adapter count 4, ifIndex 4, MAC count 4,
    // first MAC 8: the second MAC's padding.
    let mac2_pad = 24 + 8 + 12 + 8 + 4 + 4 + 4 + 8 + 6;
    bytes[mac2_pad] = 0x5a;
    assert!(walk(&bytes).is_ok());
    let owned = Datagram::parse(&bytes).unwrap();
    assert_eq!(owned.to_vec().unwrap(), bytes);
    let Sample::Counters(c) = &owned.samples[0] else {
        panic!()
    };
    let CounterRecord::HostAdapters(h) = &c.records[0] else {
        panic!()
    };
    assert_eq!(h.adapters[0].macs[1].padding, [0x5a, 0]);
    assert_eq!(h.adapters[0].macs[0].padding, [0, 0]);
}

/// Found by the `sflow_datagram` fuzz target: an 802.11 tx record with stale bytes after its
/// BSSID, in a datagram that is broken further on (a record length of 4278190080 at offset
/// 160). The owned parse used to stop at the BSSID padding (offset 122); it now fails exactly
/// where and as the walk of the views does.
#[test]
fn bssid_padding_then_a_broken_record_fails_like_the_views() {
    // The fuzzer's input (also a seed of the fuzz smoke run); the target forces the version.
    let mut bytes =
        include_bytes!("../../fuzz/regressions/sflow_datagram/bssid-padding-then-bad-length")
            .to_vec();
    assert_eq!(bytes.len(), 164);
    bytes[..4].copy_from_slice(&5u32.to_be_bytes());
    let walked = walk(&bytes).unwrap_err();
    assert_eq!(walked.offset(), Some(160), "{walked}");
    let owned = Datagram::parse(&bytes).unwrap_err();
    assert_eq!(owned, walked);
    let via_view = DatagramView::parse(&bytes).unwrap().decode().unwrap_err();
    assert_eq!(via_view, walked);
    // Cut just before the broken record, with the counts and lengths fixed, the datagram
    // decodes, keeps the BSSID padding and re-encodes byte for byte.
    let d = DatagramView::parse(&bytes).unwrap();
    let first = d.samples().next().unwrap().unwrap();
    let SampleView::Flow(f) = first else {
        panic!("{first:?}")
    };
    let Some(Ok(FlowRecordView::Ieee80211Tx(tx))) = f.records().next() else {
        panic!("{f:?}")
    };
    assert_eq!(tx.offset() + 4 + 36 + 6, 122);
    let owned_tx = tx.decode();
    assert_eq!(owned_tx.bssid.padding, [0x9b, 0x00]);
    let dgram = Datagram {
        samples: vec![sdnwire_sflow::Sample::Flow(sdnwire_sflow::FlowSample {
            records: vec![sdnwire_sflow::FlowRecord::Ieee80211Tx(owned_tx.clone())].into(),
            ..Default::default()
        })],
        ..Default::default()
    };
    let again = Datagram::parse(&dgram.to_vec().unwrap()).unwrap();
    assert_eq!(again, dgram);
}

#[cfg(feature = "serde")]
#[test]
fn json_is_camel_case_and_round_trips_without_padding() {
    let (_, bytes) = fixtures()
        .into_iter()
        .find(|(n, _)| n.contains("counters"))
        .unwrap();
    let d = Datagram::parse(&bytes).unwrap();
    let json = serde_json::to_string(&d).unwrap();
    assert!(
        json.contains("\"agentAddress\":{\"V4\":\"127.0.0.1\"}"),
        "{json}"
    );
    assert!(json.contains("\"ifInOctets\":"), "{json}");
    assert!(json.contains("\"name\":\"p1\""), "{json}");
    let back: Datagram = serde_json::from_str(&json).unwrap();
    // JSON does not carry XDR padding: equal once the padding is dropped.
    let mut no_pad = back.to_vec().unwrap();
    let mut want = bytes.clone();
    let view = DatagramView::parse(&bytes).unwrap();
    for s in view.samples() {
        if let Some(c) = s.unwrap().as_counters() {
            for r in c.records() {
                let r = r.unwrap();
                if let CounterRecordView::PortName(p) = r {
                    let at = p.offset() + 4 + p.name().len();
                    let pad = sdnwire_sflow::pad_len(p.name().len());
                    want[at..at + pad].fill(0);
                }
                if let CounterRecordView::Lag(l) = r {
                    want[l.offset() + 6..l.offset() + 8].fill(0);
                    want[l.offset() + 14..l.offset() + 16].fill(0);
                }
            }
        }
    }
    no_pad.truncate(want.len());
    assert_eq!(no_pad, want);
}
