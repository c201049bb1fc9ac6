//! Building blocks every OpenFlow structure is decoded and encoded with.
//!
//! [`Reader`] is a bounds-checked cursor: every read returns a `Result` whose error names the
//! structure and the byte offset from the start of the message, so parsers read like the spec's
//! C structs and cannot panic or read out of bounds. The owned side encodes through
//! [`Encode`](crate::Encode): every structure knows its encoded length before it writes, so
//! lengths are filled in on the way and nothing is back-patched, and the caller's buffer is
//! checked for room before anything is written.

use bytes::BufMut;

use crate::codec_error::{Error, Result};

/// A bounds-checked cursor over a message or part of one.
///
/// Offsets in errors count from the start of the message (`base` is the offset of `buf[0]`).
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `buf`, whose first byte is at `base` in the message.
    #[inline]
    pub fn new(buf: &'a [u8], base: usize) -> Self {
        Reader { buf, pos: 0, base }
    }

    /// Offset of the next byte, from the start of the message.
    #[inline]
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Bytes left.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// True when every byte has been read.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The unread bytes, without consuming them.
    #[inline]
    pub fn peek_rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or(&[])
    }

    /// The next `n` bytes.
    #[inline]
    pub fn bytes(&mut self, n: usize, what: &'static str) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n);
        match end.and_then(|end| self.buf.get(self.pos..end)) {
            Some(b) => {
                self.pos += n;
                Ok(b)
            }
            None => Err(Error::Truncated {
                what,
                offset: self.offset(),
                needed: n,
                available: self.remaining(),
            }),
        }
    }

    /// The next `N` bytes as an array.
    #[inline]
    pub fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N]> {
        let b = self.bytes(N, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(b);
        Ok(a)
    }

    /// A `u8`.
    #[inline]
    pub fn u8(&mut self, what: &'static str) -> Result<u8> {
        Ok(self.array::<1>(what)?[0])
    }

    /// A big-endian `u16`.
    #[inline]
    pub fn u16(&mut self, what: &'static str) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array(what)?))
    }

    /// A big-endian `u32`.
    #[inline]
    pub fn u32(&mut self, what: &'static str) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array(what)?))
    }

    /// A big-endian `u64`.
    #[inline]
    pub fn u64(&mut self, what: &'static str) -> Result<u64> {
        Ok(u64::from_be_bytes(self.array(what)?))
    }

    /// Everything left.
    #[inline]
    pub fn rest(&mut self) -> &'a [u8] {
        let r = self.peek_rest();
        self.pos = self.buf.len();
        r
    }

    /// Consumes `n` bytes that a fast path has already checked are there (saturating at the
    /// end, so that it can never run past the buffer).
    #[inline(always)]
    pub(crate) fn advance(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.buf.len());
    }

    /// Parses one structure with `fast` (the common, valid case read off the slice from the
    /// reader's position, given with its offset in the message: the value and how many bytes it
    /// took) and, where `fast` declines, with `general` (field by field, building the exact
    /// error). `general` reads through a copy of the reader, so that the reader itself need not
    /// live in memory on the fast path.
    #[inline(always)]
    pub(crate) fn fast_or_general<T>(
        &mut self,
        fast: impl FnOnce(&'a [u8], usize) -> Option<(T, usize)>,
        general: impl FnOnce(&mut Reader<'a>) -> Result<T>,
    ) -> Result<T> {
        match fast(self.peek_rest(), self.offset()) {
            Some((v, len)) => {
                self.advance(len);
                Ok(v)
            }
            None => {
                let mut g = self.clone();
                let item = general(&mut g);
                *self = g;
                item
            }
        }
    }

    /// A sub-reader over the next `n` bytes (a length-prefixed structure), consuming them.
    #[inline]
    pub fn sub(&mut self, n: usize, what: &'static str) -> Result<Reader<'a>> {
        let base = self.offset();
        let b = self.bytes(n, what)?;
        Ok(Reader::new(b, base))
    }

    /// Reads a big-endian `u16` at `at` bytes ahead without consuming anything (a TLV's
    /// length field, say).
    #[inline]
    pub fn peek_u16(&self, at: usize, what: &'static str) -> Result<u16> {
        let mut r = self.clone();
        r.bytes(at, what)?;
        r.u16(what)
    }

    /// Skips `n` bytes of padding, which must be zero: a valid message has zero padding, and
    /// refusing anything else keeps parse → encode exact (nothing is silently dropped).
    #[inline(always)]
    pub fn pad(&mut self, n: usize, what: &'static str) -> Result<()> {
        let offset = self.offset();
        let b = self.bytes(n, what)?;
        if b.iter().fold(0u8, |a, &x| a | x) == 0 {
            Ok(())
        } else {
            Err(pad_error(b, offset, what))
        }
    }

    /// Fails with [`Error::TrailingBytes`] if anything is left.
    #[inline]
    pub fn finish(&self, what: &'static str) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::TrailingBytes {
                what,
                offset: self.offset(),
                extra: self.remaining(),
            })
        }
    }

    /// The type and length fields at the front of a type-length element (an action, an
    /// instruction, a meter band) whose head is `head`, without consuming them, and the
    /// offset of the length field.
    pub(crate) fn peek_type_len(&self, head: &'static str) -> Result<(u16, usize, usize)> {
        let len_at = self.offset() + 2;
        let [t0, t1, l0, l1] = self.clone().array::<4>(head)?;
        Ok((
            u16::from_be_bytes([t0, t1]),
            usize::from(u16::from_be_bytes([l0, l1])),
            len_at,
        ))
    }

    /// An error for a bad length field found at `offset` (absolute).
    pub fn bad_length(
        what: &'static str,
        offset: usize,
        value: usize,
        reason: &'static str,
    ) -> Error {
        Error::BadLength {
            what,
            offset,
            value,
            reason,
        }
    }
}

#[cold]
#[inline(never)]
fn pad_error(b: &[u8], offset: usize, what: &'static str) -> Error {
    let i = b.iter().position(|&x| x != 0).unwrap_or(0);
    Error::BadValue {
        what,
        offset: offset + i,
        value: u64::from(b.get(i).copied().unwrap_or(0)),
        expected: "zero padding",
    }
}

/// The crate's private writer: a structure that writes itself to a growable [`BufMut`].
///
/// The public encoding trait is [`sdnwire_packet::Encode`] (re-exported as
/// [`crate::Encode`]), implemented for every owned type through [`impl_encode`] on top of
/// this one: it checks the caller's buffer first, so that no write can run past it.
pub(crate) trait WireWrite {
    /// Bytes [`write`](WireWrite::write) writes.
    fn encoded_len(&self) -> usize;

    /// Writes exactly [`encoded_len`](WireWrite::encoded_len) bytes. Fails (having written
    /// nothing, or part of the structure) when a value does not fit its field; the caller
    /// gives `out` room for `encoded_len()` bytes.
    fn write<B: BufMut>(&self, out: &mut B) -> Result<()>;

    /// Writes into a new vector.
    #[allow(dead_code)] // used by the tests
    fn to_vec(&self) -> Result<alloc::vec::Vec<u8>> {
        let mut v = alloc::vec::Vec::with_capacity(self.encoded_len());
        self.write(&mut v)?;
        Ok(v)
    }
}

/// Encodes `v` into the caller's buffer: checks that it has room for `encoded_len()` bytes
/// ([`Error::ShortBuffer`] otherwise), then writes. Returns the bytes written.
#[inline]
pub(crate) fn encode_into<T: WireWrite + ?Sized>(v: &T, buf: &mut [u8]) -> Result<usize> {
    let n = v.encoded_len();
    let mut dst: &mut [u8] = sdnwire_packet::encode::room::<Error>(buf, n)?;
    v.write(&mut dst)?;
    // `write` must fill exactly `encoded_len()` bytes (tests and fuzz targets check every type);
    // a shortfall would leave stale bytes in the caller's buffer: refuse it rather than return
    // a short length.
    debug_assert!(dst.is_empty(), "wrote {} of {n} bytes", n - dst.len());
    if !dst.is_empty() {
        return Err(Error::Unencodable {
            what: "message",
            reason: "the encoder wrote fewer bytes than encoded_len",
        });
    }
    Ok(n)
}

/// Appends `v` to `out`, leaving `out` as it was on an error. Returns the bytes written.
#[inline]
pub(crate) fn encode_append<T: WireWrite + ?Sized>(
    v: &T,
    out: &mut alloc::vec::Vec<u8>,
) -> Result<usize> {
    let start = out.len();
    out.reserve(v.encoded_len());
    match v.write(out) {
        Ok(()) => Ok(out.len() - start),
        Err(e) => {
            out.truncate(start);
            Err(e)
        }
    }
}

/// Implements the public [`sdnwire_packet::Encode`] for owned types through their
/// [`WireWrite`].
macro_rules! impl_encode {
    ($($t:ty),* $(,)?) => {$(
        impl sdnwire_packet::Encode for $t {
            type Error = $crate::codec_error::Error;

            #[inline]
            fn encoded_len(&self) -> usize {
                $crate::codec::WireWrite::encoded_len(self)
            }

            #[inline]
            fn encode(&self, buf: &mut [u8]) -> $crate::codec_error::Result<usize> {
                $crate::codec::encode_into(self, buf)
            }

            #[inline]
            fn to_vec(&self) -> $crate::codec_error::Result<alloc::vec::Vec<u8>> {
                let mut v = alloc::vec::Vec::new();
                $crate::codec::encode_append(self, &mut v)?;
                Ok(v)
            }

            #[inline]
            fn encode_append(
                &self,
                out: &mut alloc::vec::Vec<u8>,
            ) -> $crate::codec_error::Result<usize> {
                $crate::codec::encode_append(self, out)
            }
        }
    )*};
}
pub(crate) use impl_encode;

/// Bytes of zero padding that bring `len` to a multiple of 8.
pub const fn pad8(len: usize) -> usize {
    (8 - len % 8) % 8
}

/// `len` rounded up to a multiple of 8.
pub const fn round8(len: usize) -> usize {
    len + pad8(len)
}

/// Converts a length to a 16-bit length field, or fails with [`Error::Unencodable`].
pub fn len16(what: &'static str, len: usize) -> Result<u16> {
    u16::try_from(len).map_err(|_| Error::Unencodable {
        what,
        reason: "length does not fit in 16 bits",
    })
}

/// Writes `n` zero bytes.
pub(crate) fn put_zeros<B: BufMut>(out: &mut B, n: usize) {
    out.put_bytes(0, n);
}

/// The body of one OpenFlow message type: the bytes after the 8-byte header.
pub trait MessageBody: sdnwire_packet::Encode<Error = Error> + Sized {
    /// The message type this body belongs to.
    const TYPE: crate::header::MsgType;

    /// Parses the body. `r` holds exactly the body (its offsets count from the start of the
    /// message, so the first byte is at 8); the body must be consumed entirely.
    fn parse_body(r: &mut Reader<'_>) -> Result<Self>;
}

/// `Display` for views that print what their decoded value prints: `decode()` then the
/// owned value's `Display`, or `<error: ...>` when the view does not decode.
macro_rules! display_decoded {
    ($($t:ident),* $(,)?) => {$(
        impl core::fmt::Display for $t<'_> {
            /// As the decoded value's `Display`; `<error: ...>` when it does not decode.
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.decode() {
                    Ok(v) => core::fmt::Display::fmt(&v, f),
                    Err(e) => write!(f, "<error: {e}>"),
                }
            }
        }
    )*};
}
pub(crate) use display_decoded;

/// Writes the items of a list view separated by `sep`; an item that fails its checks prints
/// as `<error: ...>` and ends the list.
pub(crate) fn fmt_list<T: core::fmt::Display>(
    f: &mut core::fmt::Formatter<'_>,
    items: impl Iterator<Item = Result<T>>,
    sep: &str,
) -> core::fmt::Result {
    fmt_items(f, items, sep, "", |f, v| v.fmt(f))
}

/// Writes the items of a list view: `sep` between two items, `lead` before each, then the item
/// through `item`; an item that fails its checks prints as `<error: ...>` and ends the list.
pub(crate) fn fmt_items<T>(
    f: &mut core::fmt::Formatter<'_>,
    items: impl Iterator<Item = Result<T>>,
    sep: &str,
    lead: &str,
    mut item: impl FnMut(&mut core::fmt::Formatter<'_>, T) -> core::fmt::Result,
) -> core::fmt::Result {
    for (i, v) in items.enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        f.write_str(lead)?;
        match v {
            Ok(v) => item(f, v)?,
            Err(e) => return write!(f, "<error: {e}>"),
        }
    }
    Ok(())
}

/// Encoded length of a list of structures written one after the other.
#[inline]
pub(crate) fn list_len<T: WireWrite>(items: &[T]) -> usize {
    items.iter().map(WireWrite::encoded_len).sum()
}

/// Writes a list of structures one after the other (no separator, no count).
#[inline]
pub(crate) fn write_list<T: WireWrite, B: BufMut>(items: &[T], out: &mut B) -> Result<()> {
    items.iter().try_for_each(|i| i.write(out))
}

/// `parse_list`, `list_len` and `encode_list` for the owned item `$owned` of a list whose
/// borrowed form is `$list` (`$list::from_reader` and `decode`): actions, instructions,
/// buckets, meter bands. `$one` names one item in the docs ("an action"), `$many` the list.
macro_rules! owned_list_fns {
    ($owned:ident, $list:ident, $one:literal, $many:literal) => {
        $crate::codec::owned_list_fns!(
            $owned, $list, $one, $many, alloc::vec::Vec<$owned>
        );
    };
    ($owned:ident, $list:ident, $one:literal, $many:literal, $listty:ty) => {
        impl $owned {
            #[doc = concat!("Parses a whole ", $many, " list: every byte of `r` must belong to ", $one, ".")]
            pub fn parse_list(
                r: &mut $crate::codec::Reader<'_>,
            ) -> $crate::codec_error::Result<$listty> {
                let list = $list::from_reader(r.clone());
                r.rest();
                list.decode()
            }

            #[doc = concat!("Encoded length of a list of ", $many, "s.")]
            pub fn list_len(items: &[$owned]) -> usize {
                $crate::codec::list_len(items)
            }

            #[doc = concat!("Encodes a list of ", $many, "s (their lengths summed, no separator).")]
            pub(crate) fn encode_list<B: bytes::BufMut>(
                items: &[$owned],
                out: &mut B,
            ) -> $crate::codec_error::Result<()> {
                $crate::codec::write_list(items, out)
            }
        }
    };
}
pub(crate) use owned_list_fns;

/// A borrowed list of items that each check their own length (actions, instructions,
/// buckets, meter bands, table feature IDs): the list type, `new_unchecked`, `from_reader`,
/// `as_bytes`, `is_empty`, `validate`, `decode`, and an [`Iterator`] that yields nothing more
/// after the first error. The iterator reads an item either with `parse` (from a [`Reader`]) or,
/// for the hot lists, with [`list_next`] over `parse_fast` and `parse_general`.
/// `validate` runs `$validate` on each item (bound to `$v`); `decode` collects `$decode` (a
/// `Result`, `$d` bound to the item), after a `validate` pass first when `check_first` is true.
macro_rules! reader_list {
    (
        $(#[$meta:meta])*
        pub struct $list:ident<'a> of $item:ident<'a> => $owned:ty {
            parse: $parse:path,
            $($rest:tt)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $list<'a> {
            r: $crate::codec::Reader<'a>,
            failed: bool,
        }

        impl<'a> $list<'a> {
            /// A list over `buf`, whose first byte is at `base` in the message. Unchecked:
            /// each item is checked as it is read (one that fails yields an error and ends
            /// the iteration), so nothing panics; the parent view's `parse` gives lists whose
            /// length was checked.
            #[inline]
            pub fn new_unchecked(buf: &'a [u8], base: usize) -> Self {
                Self::from_reader($crate::codec::Reader::new(buf, base))
            }

            /// The list's bytes (what has not been iterated yet).
            pub fn as_bytes(&self) -> &'a [u8] {
                self.r.peek_rest()
            }

            /// True when the list holds no bytes.
            pub fn is_empty(&self) -> bool {
                self.r.is_empty()
            }
        }

        impl<'a> Iterator for $list<'a> {
            type Item = $crate::codec_error::Result<$item<'a>>;

            fn next(&mut self) -> Option<Self::Item> {
                if self.failed || self.r.is_empty() {
                    return None;
                }
                let item = $parse(&mut self.r);
                self.failed = item.is_err();
                Some(item)
            }
        }

        $crate::codec::reader_list!(@common $list, $owned, |r| Self { r, failed: false }, $($rest)*);
    };
    (
        $(#[$meta:meta])*
        pub struct $list:ident<'a> of $item:ident<'a> => $owned:ty {
            parse_fast: $fast:path,
            parse_general: $general:path,
            $($rest:tt)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $list<'a> {
            /// The items not yet iterated.
            rest: &'a [u8],
            /// Offset of `rest` in the message.
            offset: usize,
            failed: bool,
        }

        impl<'a> $list<'a> {
            /// A list over `buf`, whose first byte is at `base` in the message. Unchecked:
            /// each item is checked as it is read (one that fails yields an error and ends
            /// the iteration), so nothing panics; the parent view's `parse` gives lists whose
            /// length was checked.
            #[inline]
            pub fn new_unchecked(buf: &'a [u8], base: usize) -> Self {
                Self {
                    rest: buf,
                    offset: base,
                    failed: false,
                }
            }

            /// The list's bytes (what has not been iterated yet).
            pub fn as_bytes(&self) -> &'a [u8] {
                self.rest
            }

            /// True when the list holds no bytes.
            pub fn is_empty(&self) -> bool {
                self.rest.is_empty()
            }
        }

        impl<'a> Iterator for $list<'a> {
            type Item = $crate::codec_error::Result<$item<'a>>;

            #[inline]
            fn next(&mut self) -> Option<Self::Item> {
                $crate::codec::list_next(
                    &mut self.rest,
                    &mut self.offset,
                    &mut self.failed,
                    $fast,
                    $general,
                )
            }
        }

        $crate::codec::reader_list!(
            @common $list, $owned, |r| Self::new_unchecked(r.peek_rest(), r.offset()), $($rest)*
        );
    };
    (
        @common $list:ident, $owned:ty, |$r:ident| $from:expr,
        from_reader: $from_vis:vis,
        one_pass: true,
        list: $listty:ty,
        decode_fast: $decode_fast:path,
        validate($validate_doc:literal): |$v:ident| $validate:expr,
        decode($decode_doc:literal): |$d:ident| $decode:expr $(,)?
    ) => {
        impl<'a> $list<'a> {
            /// A list over everything `r` holds.
            #[inline]
            $from_vis fn from_reader($r: $crate::codec::Reader<'a>) -> Self {
                $from
            }

            #[doc = $validate_doc]
            pub fn validate(&self) -> $crate::codec_error::Result<()> {
                self.clone().try_for_each(|$v| {
                    let $v = $v?;
                    $validate
                })
            }

            #[doc = $decode_doc]
            ///
            /// The errors are those of [`validate`](Self::validate) first (the first
            /// malformed item, nested lists included), then the first item that does not
            /// decode; the list is walked once, each item pushed where it stays.
            #[inline]
            pub fn decode(&self) -> $crate::codec_error::Result<$listty> {
                let mut out = <$listty>::default();
                self.decode_into(&mut out)?;
                Ok(out)
            }

            /// [`decode`](Self::decode) into `out` (empty), in place: the caller places the
            /// list in its final slot first, and the items are pushed there.
            #[inline(always)]
            pub(crate) fn decode_into<L: $crate::codec::OwnedList<$owned>>(
                &self,
                out: &mut L,
            ) -> $crate::codec_error::Result<()> {
                // The common case: a well-formed list, each item decoded straight off the
                // bytes into the list. Anything it declines goes through the general walk
                // below, which builds the exact error.
                match $decode_fast(self.as_bytes(), out) {
                    Some(()) => Ok(()),
                    None => self.decode_general_into(out),
                }
            }

            /// [`decode_into`](Self::decode_into) through the general walk (the reference the
            /// one-pass decode is tested against): the errors of
            /// [`decode_split_into`](Self::decode_split_into).
            #[cold]
            #[inline(never)]
            pub(crate) fn decode_general_into<L: $crate::codec::OwnedList<$owned>>(
                &self,
                out: &mut L,
            ) -> $crate::codec_error::Result<()> {
                out.clear();
                self.decode_split_into(out)?
            }

            /// [`decode`](Self::decode) through the general walk.
            #[allow(dead_code)]
            pub(crate) fn decode_general(&self) -> $crate::codec_error::Result<$listty> {
                let mut out = <$listty>::default();
                self.decode_general_into(&mut out)?;
                Ok(out)
            }

            /// [`decode_into`](Self::decode_into) in one walk: the outer error is the first
            /// one [`validate`](Self::validate) gives, the inner one the first item that does
            /// not decode (reported only when the whole list, nested lists included, is well
            /// formed). Room is made once, for the list's exact length (counted by hopping
            /// over the items' `len` fields).
            pub(crate) fn decode_split_into<L: $crate::codec::OwnedList<$owned>>(
                &self,
                out: &mut L,
            ) -> $crate::codec_error::Result<$crate::codec_error::Result<()>> {
                out.reserve_for_list(self.as_bytes());
                let mut deferred = None;
                for $d in self.clone() {
                    let $d = $d?;
                    if deferred.is_none() {
                        match $decode? {
                            Ok(v) => out.push(v),
                            Err(e) => deferred = Some(e),
                        }
                    } else {
                        let $v = $d;
                        $validate?;
                    }
                }
                Ok(match deferred {
                    Some(e) => Err(e),
                    None => Ok(()),
                })
            }
        }

        impl core::iter::FusedIterator for $list<'_> {}
    };
    (
        @common $list:ident, $owned:ty, |$r:ident| $from:expr,
        from_reader: $from_vis:vis,
        check_first: $check_first:literal,
        validate($validate_doc:literal): |$v:ident| $validate:expr,
        decode($decode_doc:literal): |$d:ident| $decode:expr $(,)?
    ) => {
        impl<'a> $list<'a> {
            /// A list over everything `r` holds.
            #[inline]
            $from_vis fn from_reader($r: $crate::codec::Reader<'a>) -> Self {
                $from
            }

            #[doc = $validate_doc]
            pub fn validate(&self) -> $crate::codec_error::Result<()> {
                self.clone().try_for_each(|$v| {
                    let $v = $v?;
                    $validate
                })
            }

            #[doc = $decode_doc]
            pub fn decode(&self) -> $crate::codec_error::Result<alloc::vec::Vec<$owned>> {
                if $check_first {
                    self.validate()?;
                }
                self.clone()
                    .map(|$d| {
                        let $d = $d?;
                        $decode
                    })
                    .collect()
            }
        }

        impl core::iter::FusedIterator for $list<'_> {}
    };
}
pub(crate) use reader_list;

/// An owned list the one-pass decode of an action or instruction list fills in place: a
/// `Vec` (room for every item made once, at the list's count) or an [`InlineVec`] (no count
/// and no allocation within its inline room; past it, room made once for the items left).
///
/// [`InlineVec`]: sdnwire_inline::InlineVec
pub(crate) trait OwnedList<T>: Default + core::ops::DerefMut<Target = [T]> {
    /// Before the one-pass decode of `list` into this (empty) list.
    fn start_list(&mut self, list: &[u8]);
    /// Before pushing the item `rest` starts with (`rest`: the items not yet decoded).
    fn room_for_next(&mut self, rest: &[u8]);
    /// Room for every item of the encoded `list` (the general walk's).
    fn reserve_for_list(&mut self, list: &[u8]);
    /// Appends `item`.
    fn push(&mut self, item: T);
    /// Appends `item` if the list has room for it, without growing it; `Err(item)` when it is
    /// full.
    fn push_in_room(&mut self, item: T) -> Result<(), T>;
    /// Appends `item`: into the room [`room_for_next`](Self::room_for_next) or
    /// [`start_list`](Self::start_list) made for it, else (never in the one-pass decodes)
    /// through [`push`](Self::push), out of line. No call that could unwind is made while
    /// `item` is held on the common path, so the compiler writes the item's fields straight
    /// into its slot: a push that may grow keeps the item in a stack temporary for its drop
    /// on unwinding, then copies it whole, and the copy's wide loads stall on the fields just
    /// stored (about a fifth of the owned FLOW_MOD decode's time under fat LTO).
    #[inline(always)]
    fn push_fast(&mut self, item: T) {
        if let Err(item) = self.push_in_room(item) {
            push_growing(self, item);
        }
    }
    /// Empties the list.
    fn clear(&mut self);
}

impl<T> OwnedList<T> for alloc::vec::Vec<T> {
    #[inline(always)]
    fn start_list(&mut self, list: &[u8]) {
        self.reserve_exact(count_tlvs(list));
    }
    #[inline(always)]
    fn room_for_next(&mut self, _rest: &[u8]) {}
    #[inline]
    fn reserve_for_list(&mut self, list: &[u8]) {
        self.reserve_exact(count_tlvs(list));
    }
    #[inline(always)]
    fn push(&mut self, item: T) {
        alloc::vec::Vec::push(self, item);
    }
    #[inline(always)]
    fn push_in_room(&mut self, item: T) -> Result<(), T> {
        // The push's own test, so that the compiler sees its growth path as never taken.
        if self.len() == self.capacity() {
            return Err(item);
        }
        alloc::vec::Vec::push(self, item);
        Ok(())
    }
    #[inline]
    fn clear(&mut self) {
        alloc::vec::Vec::clear(self);
    }
}

impl<T, const N: usize> OwnedList<T> for sdnwire_inline::InlineVec<T, N> {
    #[inline(always)]
    fn start_list(&mut self, _list: &[u8]) {}
    #[inline(always)]
    fn room_for_next(&mut self, rest: &[u8]) {
        if self.len() == self.capacity() {
            // Past the inline room (or a full allocation): room for exactly the items left,
            // which the bytes bound (one per 8 bytes at most).
            self.reserve_exact(count_tlvs(rest).max(1));
        }
    }
    #[inline]
    fn reserve_for_list(&mut self, list: &[u8]) {
        self.reserve_exact(count_tlvs(list));
    }
    #[inline(always)]
    fn push(&mut self, item: T) {
        sdnwire_inline::InlineVec::push(self, item);
    }
    #[inline(always)]
    fn push_in_room(&mut self, item: T) -> Result<(), T> {
        // The tests in the order and shape of the push's own, so that the compiler sees its
        // growth path as never taken.
        let full = if self.is_inline() {
            self.len() == N
        } else {
            self.len() == self.capacity()
        };
        if full {
            return Err(item);
        }
        sdnwire_inline::InlineVec::push(self, item);
        Ok(())
    }
    #[inline]
    fn clear(&mut self) {
        sdnwire_inline::InlineVec::clear(self);
    }
}

/// [`OwnedList::push_fast`]'s growing push, out of line (with the drop of `item` should the
/// growth unwind).
#[cold]
#[inline(never)]
fn push_growing<T, L: OwnedList<T>>(list: &mut L, item: T) {
    list.push(item);
}

/// The number of items of a type-length list (actions, instructions: a 2-byte `type`, a 2-byte
/// `len` of at least 8 covering the whole item) in `buf`, hopping over the `len` fields: exact
/// for a well-formed list; for a malformed one, the items before the first bad `len`. Sizes the
/// vector a list decodes into.
#[inline]
pub(crate) fn count_tlvs(mut buf: &[u8]) -> usize {
    let mut n = 0;
    while let Some([_, _, a, b]) = buf.first_chunk::<4>().copied() {
        let len = usize::from(u16::from_be_bytes([a, b]));
        match buf.get(len..) {
            Some(rest) if len >= 8 => buf = rest,
            _ => break,
        }
        n += 1;
    }
    n
}

/// How an element of a type-length list (actions, instructions, meter bands) bounds its length
/// field; the reasons name the list in the errors.
pub(crate) struct ElementLen {
    /// The structure whose `type` and `len` start each element (`"ofp_action_header"`).
    pub(crate) head: &'static str,
    /// The smallest element.
    pub(crate) min: usize,
    /// Why a length below `min` is refused.
    pub(crate) below_min: &'static str,
    /// Why a length past the end of the list is refused.
    pub(crate) past_end: &'static str,
}

impl ElementLen {
    /// Takes the next element of `r`: reads its `type` and `len`, asks `kind` for the
    /// element's structure name and fixed size (see [`check`](Self::check)), checks `len`,
    /// and returns the type, the name and a reader over the element past its 4-byte `type`
    /// and `len`.
    #[inline]
    pub(crate) fn take<'a>(
        &self,
        r: &mut Reader<'a>,
        kind: impl FnOnce(u16) -> (&'static str, Option<(usize, &'static str)>),
    ) -> Result<(u16, &'static str, Reader<'a>)> {
        let (ty, len, len_at) = r.peek_type_len(self.head)?;
        let (what, fixed) = kind(ty);
        self.check(what, len_at, len, r.remaining(), fixed)?;
        let mut e = r.sub(len, what)?;
        e.bytes(4, what)?;
        Ok((ty, what, e))
    }

    /// Checks the length `len` of the element `what` (its field at `len_at`), with `remaining`
    /// bytes left in the list: at least `min`, a multiple of 8, within the list, and exactly
    /// `fixed.0` (else refused for `fixed.1`) when the element's type has a fixed size.
    pub(crate) fn check(
        &self,
        what: &'static str,
        len_at: usize,
        len: usize,
        remaining: usize,
        fixed: Option<(usize, &'static str)>,
    ) -> Result<()> {
        let refused = if len < self.min {
            self.below_min
        } else if len % 8 != 0 {
            "not a multiple of 8"
        } else if len > remaining {
            self.past_end
        } else {
            match fixed {
                Some((fixed, why)) if len != fixed => why,
                _ => return Ok(()),
            }
        };
        Err(Reader::bad_length(what, len_at, len, refused))
    }
}

/// One step of a list iterator (actions, instructions) over `rest`, which starts `offset`
/// bytes into the message: `fast` reads the common items in place (the value and the bytes it
/// took); where it declines, `general` reads field by field and builds the exact error, after
/// which the list yields nothing more (`failed`). Generic over both readers, so that each list
/// gets its own copy of the loop with its readers called directly.
#[inline(always)]
pub(crate) fn list_next<'a, T>(
    rest: &mut &'a [u8],
    offset: &mut usize,
    failed: &mut bool,
    fast: impl FnOnce(&'a [u8], usize) -> Option<(T, usize)>,
    general: impl FnOnce(&mut Reader<'a>) -> Result<T>,
) -> Option<Result<T>> {
    // The common case first. After an error `rest` still starts with the item that failed,
    // which `fast` declines too (it accepts only what `general` accepts, with the same value:
    // the fast-path tests), so that the check of `failed` can wait until `fast` has declined.
    if let Some((v, len)) = fast(rest, *offset) {
        if let Some(tail) = rest.get(len..) {
            *rest = tail;
            *offset += len;
            return Some(Ok(v));
        }
    }
    if *failed || rest.is_empty() {
        return None;
    }
    let (item, used) = general_item(rest, *offset, general);
    match &item {
        Ok(_) => {
            *rest = rest.get(used..).unwrap_or_default();
            *offset += used;
        }
        Err(_) => *failed = true,
    }
    Some(item)
}

/// One item of `rest` (at `offset`) through the general reader, and the bytes it took. It
/// takes values, not the iterator, so that the iterator's state can stay in registers.
#[inline(never)]
pub(crate) fn general_item<'a, T>(
    rest: &'a [u8],
    offset: usize,
    general: impl FnOnce(&mut Reader<'a>) -> Result<T>,
) -> (Result<T>, usize) {
    let mut r = Reader::new(rest, offset);
    let item = general(&mut r);
    let used = rest.len() - r.remaining();
    (item, used)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::OwnedList;
    use alloc::vec::Vec;
    use sdnwire_inline::InlineVec;

    /// Two 8-byte TLVs (type 0, length 8).
    const TWO_ITEMS: [u8; 16] = [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0];

    #[test]
    fn push_in_room_fills_the_inline_room_then_hands_the_item_back_until_room_is_made() {
        let mut v: InlineVec<u32, 2> = InlineVec::new();
        assert_eq!(v.push_in_room(1), Ok(()));
        assert_eq!(v.push_in_room(2), Ok(()));
        // Full: the item handed back, the list unchanged.
        assert_eq!(v.push_in_room(3), Err(3));
        assert_eq!(v.as_slice(), [1, 2]);
        // `room_for_next` makes room for the items left, on the heap past the inline room.
        v.room_for_next(&TWO_ITEMS);
        assert_eq!(v.push_in_room(3), Ok(()));
        assert_eq!(v.push_in_room(4), Ok(()));
        assert_eq!(v.as_slice(), [1, 2, 3, 4]);
        assert!(!v.is_inline());
        assert_eq!(v.push_in_room(5), Err(5));
        // `push_fast` grows the list when it is full.
        v.push_fast(5);
        v.push_fast(6);
        assert_eq!(v.as_slice(), [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn push_in_room_into_a_vec_stays_within_the_room_the_list_start_made() {
        let mut v: Vec<u32> = Vec::new();
        assert_eq!(v.push_in_room(1), Err(1));
        v.start_list(&TWO_ITEMS);
        let cap = v.capacity();
        assert!(cap >= 2);
        for i in 0..cap {
            assert_eq!(v.push_in_room(u32::try_from(i).unwrap()), Ok(()));
        }
        assert_eq!(v.push_in_room(9), Err(9));
        assert_eq!((v.len(), v.capacity()), (cap, cap));
        v.push_fast(9);
        assert_eq!(v.len(), cap + 1);
        assert_eq!(v.last(), Some(&9));
    }
}
