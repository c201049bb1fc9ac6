//! `Framer`: a byte stream cut into arbitrary chunks gives the same frames (and the same error,
//! at the same point) as the whole stream pushed at once; no panic; an error is sticky.
//!
//! Input: `[chunk_seed, max_len_sel, stream...]`. `chunk_seed` drives the chunk sizes (0 to 64
//! bytes, empty pushes included) and how often the frames are drained between pushes;
//! `max_len_sel` 0 is `Framer::new()`, anything else `Framer::with_max_len(8 * max_len_sel)`.
#![no_main]

mod openflow_common;

use libfuzzer_sys::fuzz_target;
use sdnwire_openflow::{Error, Frame, Framer, Header};

/// xorshift32: deterministic chunk sizes from one byte of input.
struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }
}

fn framer(sel: u8) -> Framer {
    if sel == 0 {
        Framer::new()
    } else {
        Framer::with_max_len(usize::from(sel) * 8)
    }
}

/// Takes frames until the framer wants more bytes or fails; once it failed, checks that the
/// error is sticky and returns it.
fn take(f: &mut Framer, frames: &mut Vec<Frame>, err: &mut Option<Error>) {
    if let Some(e) = err {
        assert_eq!(f.next_frame().as_ref(), Err(&*e), "the error is not sticky");
        return;
    }
    loop {
        match f.next_frame() {
            Ok(Some(fr)) => {
                frames.push(fr);
                assert!(frames.len() <= 1 << 16, "the framer does not stop");
            }
            Ok(None) => return,
            Err(e) => {
                assert_eq!(f.next_frame().as_ref(), Err(&e), "the error is not sticky");
                *err = Some(e);
                return;
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let [seed, sel, stream @ ..] = data else {
        return;
    };

    // All at once.
    let mut whole = framer(*sel);
    whole.push(stream);
    let (mut frames, mut err) = (Vec::new(), None);
    take(&mut whole, &mut frames, &mut err);

    // In chunks.
    let mut rng = Rng(0x9e37_79b9 ^ u32::from(*seed).wrapping_mul(0x0101_0101) | 1);
    let max_chunk = u32::from(seed & 0x3f) + 1;
    let mut chunked = framer(*sel);
    let (mut got, mut got_err) = (Vec::new(), None);
    let mut at = 0;
    while at < stream.len() {
        let r = rng.next();
        let n = ((r % (max_chunk + 1)) as usize).min(stream.len() - at);
        chunked.push(&stream[at..at + n]);
        at += n;
        // Drain after about three pushes in four, so that several frames can wait in the buffer.
        if r >> 30 != 0 {
            take(&mut chunked, &mut got, &mut got_err);
        }
    }
    take(&mut chunked, &mut got, &mut got_err);
    // More bytes after an error change nothing.
    if got_err.is_some() {
        chunked.push(&[4, 0, 0, 8, 0, 0, 0, 0]);
        take(&mut chunked, &mut got, &mut got_err);
    }

    assert_eq!(frames, got, "chunked frames differ from the whole stream's");
    assert_eq!(
        err, got_err,
        "chunked error differs from the whole stream's"
    );

    // Every frame is a whole message as its header says, and the frames are the stream's prefix.
    let mut consumed = 0;
    for f in &frames {
        let len = usize::from(f.header.length);
        assert_eq!(f.bytes.len(), len, "frame length differs from its header");
        assert!(len >= 8, "a frame shorter than the header");
        if *sel != 0 {
            assert!(
                len <= usize::from(*sel) * 8,
                "a frame above the maximum length"
            );
        }
        assert_eq!(Header::peek(&f.bytes).as_ref(), Ok(&f.header));
        assert_eq!(
            &f.bytes[..],
            &stream[consumed..consumed + len],
            "a frame is not the next bytes of the stream"
        );
        consumed += len;
    }
    assert_eq!(whole.buffered(), stream.len() - consumed);
    if err.is_none() {
        assert_eq!(chunked.buffered(), stream.len() - consumed);
        // Without an error, what is left is a message still incomplete.
        let rest = &stream[consumed..];
        if let Ok(h) = Header::peek(rest) {
            assert!(
                usize::from(h.length) > rest.len(),
                "a whole message left unframed"
            );
        } else {
            assert!(rest.len() < 8, "a bad header left without an error");
        }
    }
});
