//! Classic pcap files, read and written through the `pcap-file` crate.
//!
//! Two readers: [`frames`] for a finished capture (every record whole, Ethernet, nothing
//! truncated: anything else panics), and [`read_file`] for a file a live writer appends to (an
//! Open vSwitch port's `tx_pcap`): empty while the file or its header is not there yet, and a
//! record still being written is left for the next read.

use std::path::Path;
use std::time::Duration;

use pcap_file::pcap::{PcapHeader, PcapPacket, PcapParser, PcapWriter};
use pcap_file::{DataLink, PcapError};

/// Link type 1: Ethernet.
pub const ETHERNET: u32 = 1;

/// One record of a capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The bytes captured.
    pub data: Vec<u8>,
    /// The frame's length on the wire (more than `data.len()` when the capture truncated it).
    pub orig_len: u32,
}

/// A capture: its link type and the records that are whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// The link type of the header ([`ETHERNET`], ...).
    pub link_type: u32,
    /// The complete records, in order.
    pub records: Vec<Record>,
    /// True when the bytes end in the middle of a record (a writer still writing it).
    pub partial_tail: bool,
}

/// Parses a classic pcap capture (either byte order, micro- or nanosecond timestamps). `Ok(None)`
/// while the bytes do not hold a whole header yet; an error when they are not pcap or a record
/// is malformed.
pub fn parse(bytes: &[u8]) -> Result<Option<Capture>, String> {
    let (mut rest, parser) = match PcapParser::new(bytes) {
        Ok(p) => p,
        Err(PcapError::IncompleteBuffer) => return Ok(None),
        Err(e) => return Err(format!("not a pcap capture: {e}")),
    };
    let mut capture = Capture {
        link_type: u32::from(parser.header().datalink),
        records: Vec::new(),
        partial_tail: false,
    };
    while !rest.is_empty() {
        match parser.next_raw_packet(rest) {
            Ok((r, p)) => {
                capture.records.push(Record {
                    data: p.data.into_owned(),
                    orig_len: p.orig_len,
                });
                rest = r;
            }
            Err(PcapError::IncompleteBuffer) => {
                capture.partial_tail = true;
                break;
            }
            Err(e) => return Err(format!("record {}: {e}", capture.records.len() + 1)),
        }
    }
    Ok(Some(capture))
}

/// The frames of a finished Ethernet capture. Panics when the bytes are not pcap, the link type
/// is not Ethernet, a frame was truncated by the capture, or the capture ends inside a record.
pub fn frames(bytes: &[u8]) -> Vec<Vec<u8>> {
    let capture = parse(bytes)
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("a pcap capture shorter than its header");
    assert_eq!(
        capture.link_type, ETHERNET,
        "pcap link type must be Ethernet"
    );
    assert!(!capture.partial_tail, "pcap ends in the middle of a record");
    capture
        .records
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            assert_eq!(
                r.data.len(),
                usize::try_from(r.orig_len).unwrap_or(usize::MAX),
                "frame {} was truncated by the capture",
                i + 1
            );
            r.data
        })
        .collect()
}

/// The frames written so far to a capture file a live writer appends to: empty while the file
/// or its header does not exist yet; a record still being written is left out. Panics when the
/// file is not pcap.
pub fn read_file(path: &Path) -> Vec<Vec<u8>> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    match parse(&bytes) {
        Ok(Some(c)) => c.records.into_iter().map(|r| r.data).collect(),
        Ok(None) => Vec::new(),
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

/// A capture of Ethernet `frames` (microsecond timestamps 1 ms apart, snap length 65535, this
/// machine's byte order).
pub fn write<F: AsRef<[u8]>>(frames: &[F]) -> Vec<u8> {
    let header = PcapHeader {
        datalink: DataLink::ETHERNET,
        ..PcapHeader::default()
    };
    let mut w = PcapWriter::with_header(Vec::new(), header).expect("pcap header");
    for (i, f) in frames.iter().enumerate() {
        let data = f.as_ref();
        let len = u32::try_from(data.len()).expect("frame longer than 4 GiB");
        let ts = Duration::from_millis(u64::try_from(i).unwrap_or(u64::MAX));
        w.write_packet(&PcapPacket::new(ts, len, data))
            .unwrap_or_else(|e| panic!("pcap record {}: {e}", i + 1));
    }
    w.into_writer()
}

/// Writes [`write()`] of `frames` to `path`.
pub fn write_file<F: AsRef<[u8]>>(path: &Path, frames: &[F]) {
    std::fs::write(path, write(frames)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
