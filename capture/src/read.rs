//! Records of a classic pcap or a pcapng capture, from any reader (a file, stdin), through the
//! `pcap-file` crate.
//!
//! [`CaptureReader::new`] tells the two formats apart by their first four bytes. Each
//! [`Record`] carries its link type (pcapng gives one per interface), its time since the Unix
//! epoch (pcapng's `if_tsresol` applied, classic pcap's micro- or nanosecond resolution), the
//! bytes captured and the frame's length on the wire.

use core::fmt;
use core::time::Duration;
use std::io::{self, Cursor, Read};

use pcap_file::pcap::PcapReader;
use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption;
use pcap_file::pcapng::{Block, PcapNgReader};
use pcap_file::{DataLink, PcapError};

/// One captured frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Its link type.
    pub link: DataLink,
    /// When it was captured, since the Unix epoch (zero for a pcapng simple packet block,
    /// which has no time).
    pub time: Duration,
    /// The bytes captured.
    pub data: Vec<u8>,
    /// The frame's length on the wire (more than `data.len()` when the capture's snap length
    /// cut it).
    pub orig_len: u32,
}

impl Record {
    /// True when the capture holds fewer bytes than the frame had.
    pub fn truncated(&self) -> bool {
        usize::try_from(self.orig_len).is_ok_and(|l| l > self.data.len())
    }
}

/// Why a capture cannot be read (on), with the record it happened at.
#[derive(Debug)]
pub struct ReadError {
    /// The number of the record (1-based) that could not be read; 0 for the file's header.
    pub record: u64,
    /// What went wrong.
    pub error: PcapError,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.record == 0 {
            write!(f, "not a pcap or pcapng capture: {}", self.error)
        } else {
            write!(f, "record {}: {}", self.record, self.error)
        }
    }
}

impl core::error::Error for ReadError {}

/// The reader with the four bytes read to tell the format apart put back in front.
type Rewound<R> = io::Chain<Cursor<[u8; 4]>, R>;

/// Pcapng's block type of a section header, in either byte order.
const PCAPNG_MAGIC: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];

/// Reads the records of a classic pcap or a pcapng capture.
pub struct CaptureReader<R: Read> {
    inner: Inner<R>,
    records: u64,
    done: bool,
}

enum Inner<R: Read> {
    Pcap(PcapReader<Rewound<R>>),
    PcapNg(PcapNgReader<Rewound<R>>),
}

impl<R: Read> fmt::Debug for CaptureReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let format = match self.inner {
            Inner::Pcap(_) => "pcap",
            Inner::PcapNg(_) => "pcapng",
        };
        f.debug_struct("CaptureReader")
            .field("format", &format)
            .field("records", &self.records)
            .finish()
    }
}

impl<R: Read> CaptureReader<R> {
    /// Reads the capture's header: classic pcap (either byte order, micro- or nanosecond
    /// timestamps) or pcapng (its first section header).
    pub fn new(mut reader: R) -> Result<Self, ReadError> {
        let mut magic = [0u8; 4];
        let header_error = |error| ReadError { record: 0, error };
        reader
            .read_exact(&mut magic)
            .map_err(|e| header_error(PcapError::IoError(e)))?;
        let rewound = Cursor::new(magic).chain(reader);
        let inner = if magic == PCAPNG_MAGIC {
            Inner::PcapNg(PcapNgReader::new(rewound).map_err(header_error)?)
        } else {
            Inner::Pcap(PcapReader::new(rewound).map_err(header_error)?)
        };
        Ok(CaptureReader {
            inner,
            records: 0,
            done: false,
        })
    }

    /// "pcap" or "pcapng".
    pub fn format(&self) -> &'static str {
        match self.inner {
            Inner::Pcap(_) => "pcap",
            Inner::PcapNg(_) => "pcapng",
        }
    }

    /// The next record; `None` at the end of the capture. After an error the reader is done
    /// (a malformed record leaves no way to find the next one).
    pub fn next_record(&mut self) -> Option<Result<Record, ReadError>> {
        if self.done {
            return None;
        }
        let number = self.records + 1;
        let next = match &mut self.inner {
            Inner::Pcap(r) => {
                let link = r.header().datalink;
                r.next_packet().map(|p| {
                    p.map(|p| Record {
                        link,
                        time: p.timestamp,
                        data: p.data.into_owned(),
                        orig_len: p.orig_len,
                    })
                })
            }
            Inner::PcapNg(r) => next_pcapng(r),
        };
        match next {
            None => {
                self.done = true;
                None
            }
            Some(Ok(rec)) => {
                self.records = number;
                Some(Ok(rec))
            }
            Some(Err(error)) => {
                self.done = true;
                Some(Err(ReadError {
                    record: number,
                    error,
                }))
            }
        }
    }
}

impl<R: Read> Iterator for CaptureReader<R> {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record()
    }
}

/// The next packet block of a pcapng capture (other blocks are skipped).
fn next_pcapng<R: Read>(r: &mut PcapNgReader<R>) -> Option<Result<Record, PcapError>> {
    loop {
        let block = match r.next_block()? {
            // Owned, so that the interfaces can be looked up while it is held.
            Ok(b) => b.into_owned(),
            Err(e) => return Some(Err(e)),
        };
        match block {
            Block::EnhancedPacket(p) => {
                let Some(iface) = r.packet_interface(&p) else {
                    return Some(Err(PcapError::InvalidField(
                        "EnhancedPacketBlock: interface_id names no interface description",
                    )));
                };
                let resol = iface.options.iter().find_map(|o| match o {
                    InterfaceDescriptionOption::IfTsResol(v) => Some(*v),
                    _ => None,
                });
                // pcap-file hands the raw 64-bit timestamp over as nanoseconds.
                let raw = u64::try_from(p.timestamp.as_nanos()).unwrap_or(u64::MAX);
                return Some(Ok(Record {
                    link: iface.linktype,
                    time: scale_time(raw, resol.unwrap_or(6)),
                    data: p.data.into_owned(),
                    orig_len: p.original_len,
                }));
            }
            Block::SimplePacket(p) => {
                let Some(iface) = r.interfaces().first() else {
                    return Some(Err(PcapError::InvalidField(
                        "SimplePacketBlock: no interface description before it",
                    )));
                };
                return Some(Ok(Record {
                    link: iface.linktype,
                    time: Duration::ZERO,
                    data: p.data.into_owned(),
                    orig_len: p.original_len,
                }));
            }
            _ => continue,
        }
    }
}

/// A pcapng timestamp of `raw` units, where `if_tsresol` is `resol`: 10^-n seconds, or 2^-n
/// when the top bit is set.
pub fn scale_time(raw: u64, resol: u8) -> Duration {
    let exp = u32::from(resol & 0x7f);
    if resol & 0x80 != 0 {
        if exp >= 64 {
            return Duration::from_nanos(0);
        }
        let units = 1u128 << exp;
        let secs = u128::from(raw) / units;
        let frac = u128::from(raw) % units;
        let nanos = frac * 1_000_000_000 / units;
        return duration(secs, nanos);
    }
    let Some(units) = 10u128.checked_pow(exp) else {
        return Duration::ZERO;
    };
    let secs = u128::from(raw) / units;
    let frac = u128::from(raw) % units;
    // frac < units; scale it to nanoseconds without overflowing for large exponents.
    let nanos = if exp <= 9 {
        frac * 10u128.pow(9 - exp)
    } else {
        frac / 10u128.pow(exp - 9)
    };
    duration(secs, nanos)
}

fn duration(secs: u128, nanos: u128) -> Duration {
    Duration::new(
        u64::try_from(secs).unwrap_or(u64::MAX),
        u32::try_from(nanos).unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcapng_time_resolutions() {
        assert_eq!(scale_time(1_500_000, 6), Duration::from_millis(1500));
        assert_eq!(scale_time(1_500_000_000, 9), Duration::from_millis(1500));
        assert_eq!(
            scale_time(3 << 9 | 256, 0x80 | 9),
            Duration::from_millis(3500)
        );
        assert_eq!(scale_time(15, 1), Duration::from_millis(1500));
        assert_eq!(scale_time(u64::MAX, 0x80 | 70), Duration::ZERO);
        assert_eq!(scale_time(u64::MAX, 60), Duration::ZERO);
    }

    #[test]
    fn neither_format_is_an_error_at_the_header() {
        let e = CaptureReader::new(&b"hello world, not a capture"[..]).unwrap_err();
        assert_eq!(e.record, 0);
        assert!(CaptureReader::new(&b"ab"[..]).is_err());
    }
}
