//! Hostile input: damaged frames, captures cut anywhere, segments in any order; and the bound
//! on the TCP directions followed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::std_instead_of_core, clippy::cast_possible_truncation)]

mod common;

use common::*;
use proptest::prelude::*;
use sdnwire_capture::decode::{Config, Content, Decoder, Item};
use sdnwire_capture::read::{CaptureReader, Record};

fn frames() -> Vec<Vec<u8>> {
    openflow_connection(6653, Cut::Every(300), |s| s)
        .into_iter()
        .chain(sflow_frames(6343))
        .chain(lacp_frames())
        .chain(multicast_frames())
        .collect()
}

fn record(data: Vec<u8>) -> Record {
    Record {
        link: pcap_file::DataLink::ETHERNET,
        time: std::time::Duration::ZERO,
        orig_len: data.len() as u32,
        data,
    }
}

fn decode_all(records: &[Record], config: Config) -> Vec<Item> {
    let mut d = Decoder::new(config);
    let mut out = Vec::new();
    for (i, r) in records.iter().enumerate() {
        d.frame(i as u64 + 1, r, &mut out);
    }
    d.finish(&mut out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Bytes of real frames changed, frames cut short, and the frames in any order: every
    /// frame is taken without a panic; with the bytes intact, every message decoded is one
    /// that was sent.
    #[test]
    fn damaged_frames_never_panic(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<u8>()), 0..64),
        cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..16),
        order in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..32),
    ) {
        let mut fs = frames();
        let intact = flips.is_empty() && cuts.is_empty();
        for (f, b, v) in flips {
            let f = f.index(fs.len());
            let at = b.index(fs[f].len());
            fs[f][at] = v;
        }
        for (f, len) in cuts {
            let f = f.index(fs.len());
            let n = len.index(fs[f].len() + 1);
            fs[f].truncate(n);
        }
        for (a, b) in order {
            let (a, b) = (a.index(fs.len()), b.index(fs.len()));
            fs.swap(a, b);
        }
        let records: Vec<Record> = fs.into_iter().map(record).collect();
        let items = decode_all(&records, Config::default());
        if intact {
            // Only the order changed: whatever decodes is one of the messages sent, never
            // bytes framed at the wrong place.
            let sent: Vec<Vec<u8>> = controller_messages()
                .into_iter()
                .chain(switch_messages().into_iter().map(|(_, b)| b))
                .collect();
            for i in &items {
                if let Content::OpenFlow { bytes, message: Ok(_), .. } = &i.content {
                    prop_assert!(sent.contains(bytes), "{i:?}");
                }
            }
        }
    }

    /// Only the order of the frames changed (segments reordered, a SYN after data, a
    /// connection that starts mid-stream): every message decoded is one that was sent.
    #[test]
    fn reordered_frames_decode_only_sent_messages(
        order in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..48),
    ) {
        let mut fs = frames();
        for (a, b) in order {
            let (a, b) = (a.index(fs.len()), b.index(fs.len()));
            fs.swap(a, b);
        }
        let records: Vec<Record> = fs.into_iter().map(record).collect();
        let items = decode_all(&records, Config::default());
        let sent: Vec<Vec<u8>> = controller_messages()
            .into_iter()
            .chain(switch_messages().into_iter().map(|(_, b)| b))
            .collect();
        for i in &items {
            if let Content::OpenFlow { bytes, message: Ok(_), .. } = &i.content {
                prop_assert!(sent.contains(bytes), "{i:?}");
            }
        }
    }

    /// Any bytes after a pcap or pcapng header: records or an error, never a panic.
    #[test]
    fn any_capture_bytes_never_panic(tail in prop::collection::vec(any::<u8>(), 0..2048), ng in any::<bool>()) {
        let head = if ng { pcapng(&[]) } else { pcap(&[]) };
        let bytes = [head, tail].concat();
        if let Ok(reader) = CaptureReader::new(&bytes[..]) {
            let mut d = Decoder::new(Config::default());
            let mut out = Vec::new();
            for (i, r) in reader.enumerate().take(1000) {
                match r {
                    Ok(r) => d.frame(i as u64 + 1, &r, &mut out),
                    Err(_) => break,
                }
            }
            d.finish(&mut out);
        }
    }
}

#[test]
fn a_whole_capture_cut_at_every_length_reads_what_it_holds() {
    let bytes = pcap(&frames());
    for n in (0..bytes.len()).step_by(97) {
        let Ok(reader) = CaptureReader::new(&bytes[..n]) else {
            assert!(n < 24, "a pcap header of 24 bytes refused at {n}");
            continue;
        };
        let mut ok = 0;
        for r in reader {
            match r {
                Ok(_) => ok += 1,
                Err(e) => {
                    assert!(e.record >= 1, "{e}");
                    break;
                }
            }
        }
        assert!(ok <= frames().len());
    }
}

#[test]
fn tcp_directions_are_bounded_and_the_idle_one_ends_first() {
    // Three connections on three client ports, at most two directions followed.
    let mut records = Vec::new();
    let messages = controller_messages();
    for client in [41000u16, 41001, 41002] {
        for (j, m) in messages.iter().enumerate().take(2) {
            let mut f = segment(
                true,
                6653,
                100 + messages[..j].iter().map(|m| m.len() as u32).sum::<u32>(),
                0,
                sdnwire_packet::tcp::TcpFlags::ACK,
                m,
            );
            // The client port (bytes 34..36 of the frame; the decoder checks no checksum).
            f[34..36].copy_from_slice(&client.to_be_bytes());
            records.push(record(f));
        }
    }
    // The third connection ends the first one's direction (idle the longest): every message
    // is still decoded, the first direction's at its end.
    let mut config = Config::default();
    config.max_streams = 2;
    let items = decode_all(&records, config);
    let decoded = items
        .iter()
        .filter(|i| matches!(&i.content, Content::OpenFlow { message: Ok(_), .. }))
        .count();
    assert_eq!(decoded, 6);
    let mut two_streams = Config::default();
    two_streams.max_streams = 2;
    let mut d = Decoder::new(two_streams);
    let mut out = Vec::new();
    for (i, r) in records.iter().enumerate() {
        d.frame(i as u64 + 1, r, &mut out);
    }
    assert_eq!(d.stats().streams, 3);
    assert_eq!(d.stats().evicted, 1);
}
