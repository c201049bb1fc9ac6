//! One direction of a TCP connection put back in order: sans-I/O, bounded.
//!
//! [`Reassembler::segment`] takes each segment as the capture shows it (sequence number, SYN,
//! the payload bytes captured and how many the segment declared) and hands back the stream in
//! order as [`Chunk`]s, each at its byte offset in the stream (0 is the first byte after the
//! SYN, or the first byte seen when the capture starts in the middle of a connection):
//!
//! - a segment in order is delivered at once, and so are the segments held back that it makes
//!   contiguous;
//! - a retransmission (every byte already delivered) is counted and dropped; a segment that
//!   overlaps what was delivered gives only its new bytes. Where two copies of the same bytes
//!   differ, the first one captured wins (as Wireshark's and Suricata's default policies do);
//! - a segment ahead of the next expected byte (reordered, or after a loss) is held back, at
//!   most [`Limits::max_pending`] bytes per direction. When more would be held, the reassembler
//!   stops waiting for the missing bytes: it reports a [`Chunk::Gap`] and delivers what follows
//!   it. [`Reassembler::finish`] does the same at the end of the capture;
//! - bytes that a segment declares but the capture's snap length cut off are a gap too.
//!
//! Sequence numbers are compared modulo 2^32 (RFC 9293's arithmetic), so a stream may wrap.

use std::collections::BTreeMap;

/// The bounds of a reassembler: what it holds is at most `max_pending` bytes in at most
/// `max_segments` segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Bytes of out-of-order segments held per direction while a missing segment is awaited
    /// (default 256 KiB). Past it the missing bytes are reported as a gap.
    pub max_pending: usize,
    /// Out-of-order segments held per direction (default 1024), so that tiny segments cannot
    /// make the bookkeeping outgrow the bytes. Past it, as past `max_pending`.
    pub max_segments: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_pending: 256 << 10,
            max_segments: 1024,
        }
    }
}

/// A part of the stream, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunk {
    /// Bytes of the stream at `offset`.
    Data {
        /// Offset of the first byte in the stream.
        offset: u64,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// `len` bytes at `offset` that the capture does not have.
    Gap {
        /// Offset of the first missing byte in the stream.
        offset: u64,
        /// How many bytes are missing.
        len: u64,
    },
}

/// What [`Reassembler::segment`] did with a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentFate {
    /// Delivered (whole or its new part), possibly with held segments after it.
    Delivered,
    /// Every byte had been delivered already: a retransmission.
    Retransmission,
    /// Ahead of the next expected byte: held back.
    Held,
    /// No payload (a pure ACK, SYN, FIN or RST).
    Empty,
}

/// Counters of a reassembler.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Segments that carried only bytes already delivered.
    pub retransmissions: u64,
    /// Segments that carried some bytes already delivered and some new ones.
    pub overlaps: u64,
    /// Segments that arrived ahead of the next expected byte.
    pub out_of_order: u64,
    /// Gaps reported.
    pub gaps: u64,
    /// Bytes missing in the gaps.
    pub missing_bytes: u64,
}

/// A segment held back: its bytes and the bytes it declared past them that the capture cut.
#[derive(Debug, Clone)]
struct Held {
    bytes: Vec<u8>,
    cut: u64,
}

impl Held {
    fn end(&self, at: u64) -> u64 {
        at + self.bytes.len() as u64 + self.cut
    }
}

/// One direction of a TCP connection. See the [module](self) docs.
#[derive(Debug, Clone)]
pub struct Reassembler {
    limits: Limits,
    /// The sequence number of stream offset 0.
    isn: Option<u32>,
    /// Offset of the next byte to deliver.
    next: u64,
    /// Segments ahead of `next`, by stream offset.
    held: BTreeMap<u64, Held>,
    held_bytes: usize,
    stats: Stats,
}

impl Reassembler {
    /// A reassembler that has seen nothing yet.
    pub fn new(limits: Limits) -> Self {
        Reassembler {
            limits,
            isn: None,
            next: 0,
            held: BTreeMap::new(),
            held_bytes: 0,
            stats: Stats::default(),
        }
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Offset of the next byte the stream expects.
    pub fn next_offset(&self) -> u64 {
        self.next
    }

    /// Bytes held back, waiting for a missing segment.
    pub fn held_bytes(&self) -> usize {
        self.held_bytes
    }

    /// Segments held back.
    pub fn held_segments(&self) -> usize {
        self.held.len()
    }

    /// True once a SYN or a first segment fixed where the stream starts.
    pub fn started(&self) -> bool {
        self.isn.is_some()
    }

    /// Takes a segment: `seq` its sequence number, `syn` its SYN flag, `payload` the bytes
    /// captured, `cut` the bytes of payload it declared past them that the capture does not
    /// have. Appends what is now in order to `out`.
    pub fn segment(
        &mut self,
        seq: u32,
        syn: bool,
        payload: &[u8],
        cut: u64,
        out: &mut Vec<Chunk>,
    ) -> SegmentFate {
        // The SYN takes one sequence number; the data after it starts at seq + 1.
        let data_seq = if syn { seq.wrapping_add(1) } else { seq };
        let isn = *self.isn.get_or_insert(data_seq);
        if payload.is_empty() && cut == 0 {
            return SegmentFate::Empty;
        }
        // Where the segment starts relative to the next expected byte, modulo 2^32.
        let next_low = u32::try_from(self.next & u64::from(u32::MAX)).unwrap_or(0);
        let rel = data_seq.wrapping_sub(isn).wrapping_sub(next_low);
        // Reinterpreted as signed: a segment up to 2 GiB behind or ahead.
        let delta = i64::from(rel as i32);
        let len = payload.len() as u64 + cut;
        if delta <= 0 {
            let behind = delta.unsigned_abs();
            if behind >= len {
                self.stats.retransmissions += 1;
                return SegmentFate::Retransmission;
            }
            if behind > 0 {
                self.stats.overlaps += 1;
            }
            let skip = usize::try_from(behind).unwrap_or(usize::MAX);
            let (bytes, cut) = match payload.get(skip..) {
                Some(rest) => (rest, cut),
                // Only cut bytes are new.
                None => (&[][..], len - behind),
            };
            self.deliver(bytes, cut, out);
            self.drain(out);
            SegmentFate::Delivered
        } else {
            self.stats.out_of_order += 1;
            let at = self.next + delta.unsigned_abs();
            let held = Held {
                bytes: payload.to_vec(),
                cut,
            };
            match self.held.get(&at) {
                // The longer copy stays (it covers the other).
                Some(h) if h.end(at) >= held.end(at) => {}
                Some(h) => {
                    self.held_bytes = self.held_bytes - h.bytes.len() + held.bytes.len();
                    self.held.insert(at, held);
                }
                None => {
                    self.held_bytes += held.bytes.len();
                    self.held.insert(at, held);
                }
            }
            while self.held_bytes > self.limits.max_pending
                || self.held.len() > self.limits.max_segments
            {
                if !self.skip_to_held(out) {
                    break;
                }
            }
            SegmentFate::Held
        }
    }

    /// The other direction acknowledged every byte before sequence number `ack`: the
    /// receiver has the bytes missing before a held segment that starts below it, and the
    /// capture lost them. Reports those gaps at once (rather than when the hold limit or the
    /// end of the capture is reached) and delivers what follows them. Missing bytes with
    /// nothing held after them are left to wait: a capture point may record an ACK before the
    /// segment it acknowledges.
    pub fn acknowledged(&mut self, ack: u32, out: &mut Vec<Chunk>) {
        let Some(isn) = self.isn else {
            return;
        };
        let next_low = u32::try_from(self.next & u64::from(u32::MAX)).unwrap_or(0);
        let ahead = ack.wrapping_sub(isn).wrapping_sub(next_low) as i32;
        if ahead <= 0 {
            return;
        }
        let acked = self.next + u64::from(ahead.unsigned_abs());
        while self.held.keys().next().is_some_and(|&at| at < acked) {
            self.skip_to_held(out);
        }
    }

    /// The end of the capture: reports the gaps before the segments still held and delivers
    /// them.
    pub fn finish(&mut self, out: &mut Vec<Chunk>) {
        while self.skip_to_held(out) {}
    }

    /// Gives up on the bytes missing before the first held segment: a gap, then that segment
    /// and whatever follows it in order. False when nothing is held.
    fn skip_to_held(&mut self, out: &mut Vec<Chunk>) -> bool {
        let Some(&at) = self.held.keys().next() else {
            return false;
        };
        if at > self.next {
            self.gap(at - self.next, out);
        }
        self.drain(out);
        true
    }

    fn gap(&mut self, len: u64, out: &mut Vec<Chunk>) {
        self.stats.gaps += 1;
        self.stats.missing_bytes += len;
        out.push(Chunk::Gap {
            offset: self.next,
            len,
        });
        self.next += len;
    }

    fn deliver(&mut self, bytes: &[u8], cut: u64, out: &mut Vec<Chunk>) {
        if !bytes.is_empty() {
            out.push(Chunk::Data {
                offset: self.next,
                bytes: bytes.to_vec(),
            });
            self.next += bytes.len() as u64;
        }
        if cut > 0 {
            self.gap(cut, out);
        }
    }

    /// Delivers the held segments that start at or before the next expected byte.
    fn drain(&mut self, out: &mut Vec<Chunk>) {
        while let Some(entry) = self.held.first_entry() {
            let at = *entry.key();
            if at > self.next {
                break;
            }
            let held = entry.remove();
            self.held_bytes -= held.bytes.len();
            let behind = self.next - at;
            let skip = usize::try_from(behind).unwrap_or(usize::MAX);
            match held.bytes.get(skip..) {
                Some(rest) => self.deliver(rest, held.cut, out),
                None => {
                    let end = held.end(at);
                    if end > self.next {
                        let cut = end - self.next;
                        self.deliver(&[], cut, out);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)]
mod tests {
    use super::*;

    /// The stream a reassembler delivers, with gaps as `None`s (one per missing byte).
    fn stream(chunks: &[Chunk]) -> Vec<Option<u8>> {
        let mut s = Vec::new();
        for c in chunks {
            match c {
                Chunk::Data { offset, bytes } => {
                    assert_eq!(*offset, s.len() as u64, "chunks in order, contiguous");
                    s.extend(bytes.iter().map(|b| Some(*b)));
                }
                Chunk::Gap { offset, len } => {
                    assert_eq!(*offset, s.len() as u64, "chunks in order, contiguous");
                    s.extend((0..*len).map(|_| None));
                }
            }
        }
        s
    }

    fn some(bytes: &[u8]) -> Vec<Option<u8>> {
        bytes.iter().map(|b| Some(*b)).collect()
    }

    const ISN: u32 = 1000;

    fn syn(r: &mut Reassembler) {
        let mut out = Vec::new();
        assert_eq!(r.segment(ISN, true, &[], 0, &mut out), SegmentFate::Empty);
        assert!(out.is_empty());
    }

    #[test]
    fn in_order_segments_are_delivered_at_once() {
        let mut r = Reassembler::new(Limits::default());
        syn(&mut r);
        let mut out = Vec::new();
        r.segment(ISN + 1, false, b"hello ", 0, &mut out);
        r.segment(ISN + 7, false, b"world", 0, &mut out);
        assert_eq!(stream(&out), some(b"hello world"));
        assert_eq!(r.stats(), Stats::default());
    }

    #[test]
    fn reordered_segments_are_put_back_in_order() {
        let mut r = Reassembler::new(Limits::default());
        syn(&mut r);
        let mut out = Vec::new();
        assert_eq!(
            r.segment(ISN + 7, false, b"world", 0, &mut out),
            SegmentFate::Held
        );
        assert_eq!(
            r.segment(ISN + 4, false, b"lo ", 0, &mut out),
            SegmentFate::Held
        );
        assert!(out.is_empty());
        assert_eq!(r.held_bytes(), 8);
        assert_eq!(
            r.segment(ISN + 1, false, b"hel", 0, &mut out),
            SegmentFate::Delivered
        );
        assert_eq!(stream(&out), some(b"hello world"));
        assert_eq!(r.held_bytes(), 0);
        assert_eq!(r.stats().out_of_order, 2);
    }

    #[test]
    fn retransmissions_are_dropped() {
        let mut r = Reassembler::new(Limits::default());
        syn(&mut r);
        let mut out = Vec::new();
        r.segment(ISN + 1, false, b"hello", 0, &mut out);
        assert_eq!(
            r.segment(ISN + 1, false, b"hello", 0, &mut out),
            SegmentFate::Retransmission
        );
        // A retransmitted SYN too.
        assert_eq!(r.segment(ISN, true, &[], 0, &mut out), SegmentFate::Empty);
        r.segment(ISN + 6, false, b"!", 0, &mut out);
        assert_eq!(
            r.segment(ISN + 3, false, b"lo", 0, &mut out),
            SegmentFate::Retransmission
        );
        assert_eq!(stream(&out), some(b"hello!"));
        assert_eq!(r.stats().retransmissions, 2);
    }

    #[test]
    fn overlapping_segments_give_their_new_bytes_once_and_the_first_copy_wins() {
        let mut r = Reassembler::new(Limits::default());
        syn(&mut r);
        let mut out = Vec::new();
        r.segment(ISN + 1, false, b"abcd", 0, &mut out);
        // Overlaps "cd" (with different bytes: the first copy stays) and adds "ef".
        r.segment(ISN + 3, false, b"XXef", 0, &mut out);
        // Held ahead, overlapping each other: "hij" at 7, "ijkl" at 8.
        r.segment(ISN + 9, false, b"ijkl", 0, &mut out);
        r.segment(ISN + 8, false, b"hij", 0, &mut out);
        // The missing "g" joins them.
        r.segment(ISN + 7, false, b"g", 0, &mut out);
        assert_eq!(stream(&out), some(b"abcdefghijkl"));
        assert_eq!(r.stats().overlaps, 1);
    }

    #[test]
    fn a_lost_segment_is_a_gap_once_the_hold_limit_is_reached() {
        let mut r = Reassembler::new(Limits {
            max_pending: 8,
            ..Limits::default()
        });
        syn(&mut r);
        let mut out = Vec::new();
        r.segment(ISN + 1, false, b"abc", 0, &mut out);
        // "defg" is lost; what follows is held up to 8 bytes.
        r.segment(ISN + 8, false, b"hijk", 0, &mut out);
        r.segment(ISN + 12, false, b"lmno", 0, &mut out);
        assert_eq!(stream(&out), some(b"abc"));
        r.segment(ISN + 16, false, b"p", 0, &mut out);
        let mut want = some(b"abc");
        want.extend([None; 4]);
        want.extend(some(b"hijklmnop"));
        assert_eq!(stream(&out), want);
        assert_eq!(r.held_bytes(), 0);
        assert_eq!(r.stats().gaps, 1);
        assert_eq!(r.stats().missing_bytes, 4);
        // The lost segment, retransmitted late: every byte counts as delivered.
        assert_eq!(
            r.segment(ISN + 4, false, b"defg", 0, &mut out),
            SegmentFate::Retransmission
        );
    }

    #[test]
    fn an_ack_past_the_missing_bytes_makes_them_a_gap_at_once() {
        let mut r = Reassembler::new(Limits::default());
        syn(&mut r);
        let mut out = Vec::new();
        r.segment(ISN + 1, false, b"ab", 0, &mut out);
        // An ACK of what was delivered, or of the missing bytes with nothing held: no gap.
        r.acknowledged(ISN + 3, &mut out);
        r.acknowledged(ISN + 5, &mut out);
        assert_eq!(stream(&out), some(b"ab"));
        r.segment(ISN + 5, false, b"ef", 0, &mut out);
        r.segment(ISN + 9, false, b"ij", 0, &mut out);
        // The receiver has "cd" (ACK 5 is past it) but not yet "gh": one gap, "ef" delivered.
        r.acknowledged(ISN + 6, &mut out);
        let mut want = some(b"ab");
        want.extend([None; 2]);
        want.extend(some(b"ef"));
        assert_eq!(stream(&out), want);
        assert_eq!(r.held_bytes(), 2);
        // An old ACK changes nothing.
        r.acknowledged(ISN + 1, &mut out);
        assert_eq!(r.held_bytes(), 2);
    }

    #[test]
    fn the_number_of_held_segments_is_bounded_too() {
        let mut r = Reassembler::new(Limits {
            max_pending: 1 << 20,
            max_segments: 3,
        });
        syn(&mut r);
        let mut out = Vec::new();
        // One-byte segments, every other one lost.
        for i in 0..4u32 {
            r.segment(ISN + 2 + 2 * i, false, &[b'a' + i as u8], 0, &mut out);
        }
        // The fourth held segment is one too many: the first gap is given up on.
        assert_eq!(stream(&out), [None, Some(b'a')]);
        assert_eq!(r.held_bytes(), 3);
        assert_eq!(r.stats().gaps, 1);
    }

    #[test]
    fn finish_reports_the_gaps_before_what_is_held() {
        let mut r = Reassembler::new(Limits::default());
        syn(&mut r);
        let mut out = Vec::new();
        r.segment(ISN + 1, false, b"ab", 0, &mut out);
        r.segment(ISN + 5, false, b"ef", 0, &mut out);
        r.segment(ISN + 9, false, b"ij", 0, &mut out);
        r.finish(&mut out);
        let mut want = some(b"ab");
        want.extend([None; 2]);
        want.extend(some(b"ef"));
        want.extend([None; 2]);
        want.extend(some(b"ij"));
        assert_eq!(stream(&out), want);
        assert_eq!(r.stats().gaps, 2);
    }

    #[test]
    fn bytes_cut_by_the_snap_length_are_a_gap() {
        let mut r = Reassembler::new(Limits::default());
        syn(&mut r);
        let mut out = Vec::new();
        r.segment(ISN + 1, false, b"abc", 3, &mut out);
        r.segment(ISN + 7, false, b"g", 0, &mut out);
        let mut want = some(b"abc");
        want.extend([None; 3]);
        want.extend(some(b"g"));
        assert_eq!(stream(&out), want);
        // A held segment cut short, too.
        r.segment(ISN + 10, false, b"j", 1, &mut out);
        r.segment(ISN + 8, false, b"hi", 0, &mut out);
        want.extend(some(b"hij"));
        want.push(None);
        assert_eq!(stream(&out), want);
    }

    #[test]
    fn sequence_numbers_wrap() {
        let mut r = Reassembler::new(Limits::default());
        let mut out = Vec::new();
        r.segment(u32::MAX - 2, true, &[], 0, &mut out);
        r.segment(u32::MAX - 1, false, b"ab", 0, &mut out);
        r.segment(1, false, b"de", 0, &mut out);
        r.segment(0, false, b"c", 0, &mut out);
        r.segment(0, false, b"X", 0, &mut out);
        assert_eq!(stream(&out), some(b"abcde"));
    }

    #[test]
    fn a_capture_that_starts_mid_stream_starts_at_the_first_segment_seen() {
        let mut r = Reassembler::new(Limits::default());
        let mut out = Vec::new();
        r.segment(5_000_000, false, b"xyz", 0, &mut out);
        assert_eq!(stream(&out), some(b"xyz"));
        r.segment(5_000_003, false, b"!", 0, &mut out);
        assert_eq!(stream(&out), some(b"xyz!"));
    }

    proptest::proptest! {
        /// Any delivery order, any duplicates, any overlaps: the stream comes out whole and
        /// in order, with nothing held, when every byte arrived somewhere.
        #[test]
        fn any_order_gives_the_stream(
            data in proptest::collection::vec(proptest::num::u8::ANY, 1..300),
            cuts in proptest::collection::vec((0usize..300, 1usize..40), 1..40),
            seed in proptest::num::u64::ANY,
            isn in proptest::num::u32::ANY,
        ) {
            // Segments: the cuts (any overlap) plus a cover of the whole stream.
            let mut segs: Vec<(usize, usize)> = cuts
                .into_iter()
                .map(|(s, l)| (s % data.len(), l))
                .map(|(s, l)| (s, (s + l).min(data.len())))
                .collect();
            let mut at = 0;
            while at < data.len() {
                let end = (at + 17).min(data.len());
                segs.push((at, end));
                at = end;
            }
            // A deterministic shuffle.
            let mut x = seed | 1;
            for i in (1..segs.len()).rev() {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                segs.swap(i, (x % (i as u64 + 1)) as usize);
            }
            let mut r = Reassembler::new(Limits::default());
            let mut out = Vec::new();
            r.segment(isn, true, &[], 0, &mut out);
            for (s, e) in segs {
                r.segment(isn.wrapping_add(1).wrapping_add(s as u32), false, &data[s..e], 0, &mut out);
            }
            proptest::prop_assert_eq!(r.held_bytes(), 0);
            proptest::prop_assert_eq!(stream(&out), some(&data));
        }
    }
}
