//! `sdnwire_capture::tcp::Reassembler`: segments of a known stream, in any order, repeated,
//! overlapping, cut by a snap length, with acknowledgments: the chunks it gives are contiguous
//! from offset 0, every data byte is the stream's byte at its offset, no more than the hold
//! limits (bytes, segments) is ever held, and after `finish` nothing is.
//!
//! Input: `[limit, isn(4), ops...]` (`limit`: 4 x the bytes, and 1 + its low 4 bits the
//! segments, held at most); each op is 5 bytes `[kind, offset(2), len, cut]`: kind
//! bit 0 an acknowledgment of `offset` instead of a segment, bit 1 a SYN.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdnwire_capture::tcp::{Chunk, Limits, Reassembler};

/// The stream: byte `i` is a function of `i`.
fn byte(i: u64) -> u8 {
    (i.wrapping_mul(31).wrapping_add(i >> 8).wrapping_add(7)) as u8
}

fuzz_target!(|data: &[u8]| {
    let Some((&limit, rest)) = data.split_first() else {
        return;
    };
    let Some((isn, ops)) = rest.split_first_chunk::<4>() else {
        return;
    };
    let isn = u32::from_be_bytes(*isn);
    let max_pending = usize::from(limit) * 4;
    let max_segments = usize::from(limit % 16) + 1;
    let mut limits = Limits::default();
    limits.max_pending = max_pending;
    limits.max_segments = max_segments;
    let mut r = Reassembler::new(limits);
    let mut out = Vec::new();
    // The SYN fixes the stream's start.
    r.segment(isn, true, &[], 0, &mut out);
    let mut next = 0u64;
    let check = |out: &mut Vec<Chunk>, next: &mut u64| {
        for c in out.drain(..) {
            match c {
                Chunk::Data { offset, bytes } => {
                    assert_eq!(offset, *next, "data not contiguous");
                    for (k, b) in bytes.iter().enumerate() {
                        assert_eq!(
                            *b,
                            byte(offset + k as u64),
                            "wrong byte at {}",
                            offset + k as u64
                        );
                    }
                    *next += bytes.len() as u64;
                }
                Chunk::Gap { offset, len } => {
                    assert_eq!(offset, *next, "gap not contiguous");
                    assert!(len > 0, "empty gap");
                    *next += len;
                }
            }
        }
    };
    for op in ops.chunks_exact(5) {
        let off = u64::from(u16::from_be_bytes([op[1], op[2]]));
        let seq = isn.wrapping_add(1).wrapping_add(off as u32);
        if op[0] & 1 == 1 {
            r.acknowledged(seq, &mut out);
        } else {
            let len = u64::from(op[3]);
            let cut = u64::from(op[4] % 8).min(len);
            let bytes: Vec<u8> = (off..off + len - cut).map(byte).collect();
            // A SYN flag on a data segment moves its data one byte on; keep it rare.
            let syn = op[0] & 2 == 2 && off == 0;
            let seq = if syn { seq.wrapping_sub(1) } else { seq };
            r.segment(seq, syn, &bytes, cut, &mut out);
        }
        check(&mut out, &mut next);
        assert!(
            r.held_bytes() <= max_pending,
            "held {} > {max_pending}",
            r.held_bytes()
        );
        assert!(r.held_segments() <= max_segments);
        assert_eq!(r.next_offset(), next);
    }
    r.finish(&mut out);
    check(&mut out, &mut next);
    assert_eq!(r.held_bytes(), 0);
});
