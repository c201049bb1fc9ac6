//! `sdnwire_sflow::DatagramView` and `sdnwire_sflow::Datagram` on arbitrary bytes.
//!
//! When the input's first byte has its top bit clear, the first four bytes are forced to the
//! version (5) so that samples and records are reached; other inputs are parsed as they are.
//! Seed with the Open vSwitch fixtures and the committed regressions (what
//! `scripts/fuzz-smoke.sh` does):
//! `cargo fuzz run -s none sflow_datagram fuzz/corpus/sflow_datagram sflow/testdata fuzz/regressions/sflow_datagram`.
//!
//! Checks: no panic; walking every sample and record of the views (every accessor, through
//! `Debug` and `Display`) and converting each to owned agree with `Datagram::parse`: the owned parse succeeds
//! exactly when the walk does, and fails with the same error when it does not (the owned types
//! keep every padding byte the views keep); a decoded datagram is equal to the views' decoded
//! value and re-encodes to exactly the input, with `encoded_len` equal to its length.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdnwire_sflow::{Datagram, DatagramView, Encode, SampleView};
use std::fmt::Write as _;

fn walk(bytes: &[u8], sink: &mut String) -> sdnwire_sflow::Result<()> {
    let d = DatagramView::parse(bytes)?;
    let _ = write!(sink, "{d:?} {} {d}", d.agent_address());
    for s in d.samples() {
        let s = s?;
        let _ = write!(sink, "{s:?}");
        match s {
            SampleView::Flow(f) | SampleView::ExpandedFlow(f) => {
                for r in f.records() {
                    let r = r?;
                    let _ = write!(sink, "{r:?} {:?}", r.data_format());
                    if let sdnwire_sflow::FlowRecordView::Ieee80211Aggregation(a) = r {
                        for pdu in a.pdus() {
                            for r in pdu {
                                let _ = write!(sink, "{:?}", r?);
                            }
                        }
                    }
                    if let sdnwire_sflow::FlowRecordView::ExtendedGateway(g) = r {
                        for seg in g.dst_as_path() {
                            let _ = write!(sink, "{:?}", seg.asns.to_vec());
                        }
                    }
                }
            }
            SampleView::Counters(c) | SampleView::ExpandedCounters(c) => {
                for r in c.records() {
                    let r = r?;
                    let _ = write!(sink, "{r:?}");
                    if let sdnwire_sflow::CounterRecordView::HostAdapters(a) = r {
                        for ad in a.adapters() {
                            let _ = write!(sink, "{}", ad.macs().count());
                        }
                    }
                }
            }
            SampleView::Discarded(x) => {
                for r in x.records() {
                    let _ = write!(sink, "{:?}", r?);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    if bytes.first().is_some_and(|b| b & 0x80 == 0) && bytes.len() >= 4 {
        bytes[..4].copy_from_slice(&5u32.to_be_bytes());
    }
    let mut sink = String::new();
    let walked = walk(&bytes, &mut sink);
    let view_owned = DatagramView::parse(&bytes).and_then(|d| d.decode());
    match Datagram::parse(&bytes) {
        Ok(d) => {
            assert!(walked.is_ok(), "owned parse accepted what the walk refused");
            assert_eq!(view_owned.as_ref().ok(), Some(&d));
            assert_eq!(d.encoded_len(), bytes.len());
            assert_eq!(d.to_vec().as_deref(), Ok(&bytes[..]), "re-encoding differs");
            // Into a buffer one byte short: an error, not a panic.
            if let Some(short) = bytes.len().checked_sub(1) {
                let mut buf = vec![0u8; short];
                assert!(d.encode(&mut buf).is_err());
            }
            let _ = write!(sink, "{d:?} {d}");
        }
        Err(e) => {
            assert_eq!(
                walked.as_ref().err(),
                Some(&e),
                "the owned parse and the walk disagree"
            );
            assert_eq!(view_owned.as_ref().err(), Some(&e));
            let _ = write!(sink, "{e}");
        }
    }
});
