//! `sdnwire-decode`'s reading and decoding: any bytes as a pcap or pcapng capture go through
//! the capture reader and the decoder (link layers, the frame walk, TCP reassembly, OpenFlow
//! framing, sFlow, LACP, IGMP/MLD) and the text (in both OpenFlow notations) and JSON output
//! without a panic; the offsets of what an OpenFlow direction reports never go backwards.
//!
//! Input: a capture file (seeds: capture/testdata).
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use sdnwire_capture::decode::{Config, Content, Decoder};
use sdnwire_capture::output;
use sdnwire_capture::read::CaptureReader;

fuzz_target!(|data: &[u8]| {
    let Ok(reader) = CaptureReader::new(data) else {
        return;
    };
    // Small bounds, so that holding, eviction and gaps are reached.
    let mut config = Config::default();
    config.limits.max_pending = 512;
    config.max_streams = 4;
    config.openflow_ports.push(16633);
    config.sflow_ports.push(16343);
    let mut d = Decoder::new(config);
    let mut items = Vec::new();
    for (i, r) in reader.enumerate().take(10_000) {
        match r {
            Ok(r) => d.frame(i as u64 + 1, &r, &mut items),
            Err(_) => break,
        }
    }
    d.finish(&mut items);
    let mut last: HashMap<String, u64> = HashMap::new();
    for item in &items {
        let _ = output::text(item, core::time::Duration::ZERO);
        let _ = output::text_in(item, core::time::Duration::ZERO, output::Notation::Ryu);
        let _ = output::json(item).to_string();
        let offset = match &item.content {
            Content::OpenFlow { stream_offset, .. }
            | Content::Gap { stream_offset, .. }
            | Content::Skipped { stream_offset, .. } => *stream_offset,
            _ => continue,
        };
        // A direction restarts at 0 with a new SYN; otherwise it only moves forward.
        let key = item.endpoints.to_string();
        if let Some(prev) = last.insert(key, offset) {
            assert!(
                offset >= prev || offset == 0,
                "{offset} after {prev}: {item:?}"
            );
        }
    }
});
