//! Checks shared by the `openflow_*` fuzz targets.
#![allow(dead_code)]

use std::fmt::Display;
use std::hint::black_box;

use sdnwire_openflow::{CodecError, Encode, ErrorKind};

/// The exact round trip: `v` (parsed from `bytes`) encodes to `bytes`, byte for byte, and says
/// so in `encoded_len`.
pub fn exact<T: Encode<Error = sdnwire_openflow::Error> + std::fmt::Debug>(
    what: &str,
    bytes: &[u8],
    v: &T,
) {
    assert_eq!(
        v.encoded_len(),
        bytes.len(),
        "{what}: encoded_len differs from the parsed length\nvalue: {v:?}"
    );
    let out = match v.to_vec() {
        Ok(out) => out,
        Err(e) => panic!("{what}: a parsed value does not encode: {e}\nvalue: {v:?}"),
    };
    assert_eq!(
        out, bytes,
        "{what}: encode(parse(x)) differs from x\nvalue: {v:?}"
    );
    // Into the caller's buffer: exactly `encoded_len` bytes, and one byte less is a short
    // buffer, never a panic.
    let mut buf = vec![0xa5; bytes.len()];
    assert_eq!(v.encode(&mut buf).ok(), Some(bytes.len()), "{what}: encode");
    assert_eq!(buf, bytes, "{what}: encode differs from to_vec");
    if let Some(short) = buf
        .get_mut(..bytes.len().saturating_sub(1))
        .filter(|_| !bytes.is_empty())
    {
        let e = v.encode(short).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ShortBuffer, "{what}: {e}");
    }
}

/// Formats `v` (Display must not panic) and returns the text.
pub fn show(v: &impl Display) -> String {
    black_box(v.to_string())
}

/// Tracks whether any view in a walk reported an error, to compare with the owned parse.
#[derive(Debug, Default)]
pub struct Walk {
    /// Some iterator yielded an error or some `decode` failed.
    pub failed: bool,
}

impl Walk {
    /// Notes the result of a view's fallible step and hands on its value.
    pub fn ok<T, E>(&mut self, r: Result<T, E>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(_) => {
                self.failed = true;
                None
            }
        }
    }

    /// Drains a view iterator that yields `Result`s: after an error it must end, after its end
    /// it must stay ended, and it must end. Calls `each` with the item's index and value.
    pub fn drain<T, E>(
        &mut self,
        it: impl Iterator<Item = Result<T, E>>,
        mut each: impl FnMut(&mut Walk, usize, T),
    ) -> usize {
        let mut it = it;
        let mut n = 0;
        loop {
            match it.next() {
                None => {
                    assert!(it.next().is_none(), "an iterator restarted after its end");
                    return n;
                }
                Some(Ok(v)) => {
                    each(self, n, v);
                    n += 1;
                }
                Some(Err(_)) => {
                    self.failed = true;
                    assert!(
                        it.next().is_none(),
                        "an iterator went on after yielding an error"
                    );
                    return n;
                }
            }
            assert!(n <= 1 << 20, "an iterator does not end");
        }
    }
}
