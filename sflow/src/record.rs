//! The record framing shared by flow and counter records: `data_format` (enterprise in the top
//! 20 bits, format in the low 12), a length, and the record's data; and the iterator that walks
//! a sample's records without allocating.

use core::fmt;
use core::marker::PhantomData;

use crate::error::{Error, Result};
use crate::inline::InlineVec;
use crate::xdr::{impl_encode, Opaque, Reader, Wire, Writer};

/// A record's `data_format` split into its parts: the enterprise (top 20 bits) and the format
/// (low 12 bits). Enterprise 0 is sFlow.org's standard space.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DataFormat {
    /// IANA private enterprise number (0 for standard sFlow structures).
    pub enterprise: u32,
    /// Structure number within the enterprise.
    pub format: u32,
}

impl DataFormat {
    /// A standard (enterprise 0) format.
    pub const fn standard(format: u32) -> Self {
        DataFormat {
            enterprise: 0,
            format,
        }
    }

    /// Splits a 32-bit `data_format`.
    pub const fn from_u32(v: u32) -> Self {
        DataFormat {
            enterprise: v >> 12,
            format: v & 0xfff,
        }
    }

    /// The 32-bit `data_format`, or `None` when the enterprise does not fit its 20 bits or
    /// the format its 12 bits.
    pub const fn to_u32(self) -> Option<u32> {
        if self.enterprise > 0xf_ffff || self.format > 0xfff {
            None
        } else {
            Some((self.enterprise << 12) | self.format)
        }
    }

    /// Writes the 32-bit `data_format`, or [`Error::Unencodable`].
    pub(crate) fn write(self, w: &mut Writer<'_>) -> Result<()> {
        match self.to_u32() {
            Some(v) => w.u32(v),
            None if self.enterprise > 0xf_ffff => Err(Error::Unencodable {
                what: "enterprise",
                value: u64::from(self.enterprise),
                reason: "20 bits at most (0 to 1048575)",
            }),
            None => Err(Error::Unencodable {
                what: "format",
                value: u64::from(self.format),
                reason: "12 bits at most (0 to 4095)",
            }),
        }
    }
}

impl fmt::Display for DataFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.enterprise, self.format)
    }
}

/// One record before its data is interpreted.
#[derive(Clone, Copy, Debug)]
pub struct RawRecord<'a> {
    pub(crate) format: DataFormat,
    pub(crate) data: &'a [u8],
    pub(crate) padding: &'a [u8],
    /// Offset of `data` in the datagram.
    pub(crate) offset: usize,
}

/// Reads one record's framing.
#[inline(always)]
pub(crate) fn read_raw<'a>(r: &mut Reader<'a>) -> Result<RawRecord<'a>> {
    let format = DataFormat::from_u32(r.u32("record data_format")?);
    let (data, padding) = r.opaque("record length")?;
    Ok(RawRecord {
        format,
        data,
        padding,
        offset: r.offset() - data.len() - padding.len(),
    })
}

/// A record whose format this crate does not decode (or of an enterprise it does not know),
/// kept as bytes.
#[derive(Clone, Copy)]
pub struct UnknownRecordView<'a> {
    pub(crate) format: DataFormat,
    pub(crate) data: &'a [u8],
    pub(crate) padding: &'a [u8],
    pub(crate) offset: usize,
}

impl<'a> UnknownRecordView<'a> {
    pub(crate) fn from_raw(raw: RawRecord<'a>) -> Self {
        UnknownRecordView {
            format: raw.format,
            data: raw.data,
            padding: raw.padding,
            offset: raw.offset,
        }
    }
    /// Enterprise and format.
    pub fn data_format(&self) -> DataFormat {
        self.format
    }
    /// The enterprise number.
    pub fn enterprise(&self) -> u32 {
        self.format.enterprise
    }
    /// The format number.
    pub fn format(&self) -> u32 {
        self.format.format
    }
    /// The record's data (as many bytes as its length field says).
    pub fn data(&self) -> &'a [u8] {
        self.data
    }
    /// Offset of the data in the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// The owned record.
    pub fn decode(&self) -> UnknownRecord {
        UnknownRecord {
            format: self.format,
            data: Opaque::with_padding(self.data, self.padding),
        }
    }
}

/// What the decoded record prints.
impl fmt::Display for UnknownRecordView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

impl fmt::Debug for UnknownRecordView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnknownRecordView")
            .field("format", &self.format)
            .field("len", &self.data.len())
            .finish()
    }
}

/// An owned record this crate does not decode: its enterprise, format and bytes, re-encoded
/// unchanged.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct UnknownRecord {
    /// Enterprise and format.
    pub format: DataFormat,
    /// The record's data.
    pub data: Opaque,
}

/// The record's data and its padding to four bytes (what follows the record's format and
/// length; [`FlowRecord`](crate::FlowRecord) and [`CounterRecord`](crate::CounterRecord) write
/// those).
impl Wire for UnknownRecord {
    fn wire_len(&self) -> usize {
        self.data.unprefixed_len()
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        self.data.write_unprefixed(w)
    }
}
impl_encode!(UnknownRecord);

/// sflowtool's text: the record's length and bytes.
impl fmt::Display for UnknownRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::text::named(f, "recordLength", self.data.data.len())?;
        f.write_str("recordBytes ")?;
        crate::xdr::write_hex(f, &self.data.data)?;
        f.write_str("\n")
    }
}

/// The conversion from a record's view to its owned value, whatever the record (fixed-layout
/// records cannot fail, the others return a `Result`).
pub(crate) trait Decode {
    type Owned;
    fn decode_owned(&self) -> Result<Self::Owned>;

    /// The owned record, made into the record enum's variant by `wrap`, appended to `out`
    /// (`None` where [`decode_owned`](Decode::decode_owned) gives an error). Infallible
    /// decoders build the record inside [`InlineVec::push_with`], where it stays: a record
    /// built aside and then pushed is a copy of the whole enum (176 bytes for a flow record)
    /// that reads what was just written, which stalls the copy.
    #[inline(always)]
    fn push_owned<O, const N: usize>(
        &self,
        out: &mut InlineVec<O, N>,
        wrap: impl FnOnce(Self::Owned) -> O,
        _unwrap: impl FnOnce(&mut O) -> Option<&mut Self::Owned>,
    ) -> Option<()> {
        let v = self.decode_owned().ok()?;
        out.push(wrap(v));
        Some(())
    }
}

/// A record kind (flow or counter records): what [`Records`] yields. Sealed.
pub trait RecordKind<'a>: Sized + sealed::Sealed<'a> {}

pub(crate) mod sealed {
    /// Turns raw records into a kind's typed view.
    pub trait Sealed<'a>: Sized {
        /// Parses one record.
        fn from_raw(raw: super::RawRecord<'a>) -> crate::Result<Self>;
    }
}

/// Iterator over the records of a sample (flow or counter records), yielding each record's
/// view or the error that stops the walk. It allocates nothing. After the last record it
/// checks that the sample holds no bytes beyond its records; after an error it yields nothing.
pub struct Records<'a, T> {
    r: Reader<'a>,
    left: u32,
    done: bool,
    _kind: PhantomData<fn() -> T>,
}

impl<T> Clone for Records<'_, T> {
    fn clone(&self) -> Self {
        Records {
            r: self.r,
            left: self.left,
            done: self.done,
            _kind: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Records<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Records")
            .field("left", &self.left)
            .field("offset", &self.r.offset())
            .finish()
    }
}

impl<'a, T> Records<'a, T> {
    /// Records over `data` (starting at `offset` in the datagram), `count` of them.
    pub(crate) fn new(data: &'a [u8], offset: usize, count: u32) -> Self {
        Records {
            r: Reader::new(data, offset),
            left: count,
            done: false,
            _kind: PhantomData,
        }
    }

    /// How many records the sample says are left.
    pub fn len_hint(&self) -> u32 {
        self.left
    }

    /// Walks the framing of the remaining records (not their contents) and returns the offset
    /// just after the last one, relative to the start of the data this iterator was made over.
    pub(crate) fn skip_all(mut self) -> Result<Reader<'a>> {
        while self.left > 0 {
            read_raw(&mut self.r)?;
            self.left -= 1;
        }
        Ok(self.r)
    }
}

impl<'a, T: RecordKind<'a>> Records<'a, T> {
    /// Every remaining record decoded straight into its owned value and appended to `out` by
    /// `push` (the owned enum's `push_from_raw`), then the check that nothing follows the last
    /// record: what walking the views and decoding each gives, without making each record's
    /// view first. Room is made once, for the count the sample announced (checked against the
    /// sample's length when the sample was parsed: 8 bytes per record at least): nothing is
    /// allocated for up to `N` records.
    #[inline]
    pub(crate) fn decode_into<O, const N: usize>(
        mut self,
        out: &mut InlineVec<O, N>,
        push: impl Fn(RawRecord<'a>, &mut InlineVec<O, N>) -> Result<()>,
    ) -> Result<()> {
        if out.len() + self.left as usize > N {
            out.reserve(self.left as usize);
        }
        while self.left > 0 {
            self.left -= 1;
            push(read_raw(&mut self.r)?, out)?;
        }
        self.r.finish("sample data")
    }

    /// Walks every remaining record, checking each, allocating nothing.
    pub(crate) fn validate(mut self) -> Result<()> {
        self.try_for_each(|rec| rec.map(drop))
    }
}

impl<'a, T: RecordKind<'a>> Iterator for Records<'a, T> {
    type Item = Result<T>;

    #[inline(always)]
    fn next(&mut self) -> Option<Result<T>> {
        if self.done {
            return None;
        }
        if self.left == 0 {
            self.done = true;
            return match self.r.finish("sample data") {
                Ok(()) => None,
                Err(e) => Some(Err(e)),
            };
        }
        self.left -= 1;
        let item = read_raw(&mut self.r).and_then(<T as sealed::Sealed<'a>>::from_raw);
        if item.is_err() {
            self.done = true;
        }
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done {
            (0, Some(0))
        } else {
            (0, Some(self.left as usize + 1))
        }
    }
}

impl<'a, T: RecordKind<'a>> core::iter::FusedIterator for Records<'a, T> {}

/// An owned record kind's decode straight from a record's framing, for the owned decode's
/// walk ([`decode_records`]): a trait rather than a function argument, so that the call is
/// the record kind's own code, inlined into the walk.
pub(crate) trait PushChecked: Sized {
    /// The record's owned value pushed onto `out`, or `None` where the views give an error.
    /// `IN_PLACE`: the record built in the list ([`Decode::push_owned`]) rather than aside
    /// and pushed (one copy of the whole enum): the common samples' walk builds in place, the
    /// rare discarded samples' walk pushes, so that the in-place code is inlined once.
    fn push_checked<const N: usize, const IN_PLACE: bool>(
        raw: RawRecord<'_>,
        out: &mut InlineVec<Self, N>,
    ) -> Option<()>;
}

/// The owned decode's walk of a sample's records, in the shape of a hand-written decoder:
/// the records' bytes as a local slice, each record's framing read and its owned value pushed
/// into `out` by the owned enum's [`PushChecked::push_checked`], then the check that nothing
/// follows the last record. The checks are [`Records::decode_into`]'s; `out` is the new sample's empty
/// list, and room is made once for the count the sample announced (checked against the
/// sample's length when its header was read: 8 bytes per record at least) when it holds more
/// than `N`. Where the views' walk gives an error this gives `None` and builds nothing (the
/// caller asks the views for the error).
#[inline(always)]
pub(crate) fn decode_records<O: PushChecked, const N: usize, const IN_PLACE: bool>(
    records: &[u8],
    offset: usize,
    count: u32,
    out: &mut InlineVec<O, N>,
) -> Option<()> {
    if count as usize > N {
        out.reserve(count as usize);
    }
    let end = offset + records.len();
    let mut s = records;
    for _ in 0..count {
        let (format, rest) = s.split_first_chunk::<4>()?;
        let (len, rest) = rest.split_first_chunk::<4>()?;
        let len = u32::from_be_bytes(*len) as usize;
        let (all, rest) = rest.split_at_checked(len.checked_add(crate::xdr::pad_len(len))?)?;
        let (data, padding) = all.split_at_checked(len)?;
        s = rest;
        O::push_checked::<N, IN_PLACE>(
            RawRecord {
                format: DataFormat::from_u32(u32::from_be_bytes(*format)),
                data,
                padding,
                offset: end - rest.len() - all.len(),
            },
            out,
        )?;
    }
    s.is_empty().then_some(())
}

/// Checks a count read from the wire against the bytes that are left: every record needs at
/// least 8 bytes, so a count larger than that is refused before anything is walked or
/// allocated.
pub(crate) fn check_count(
    count: u32,
    available: usize,
    offset: usize,
    what: &'static str,
) -> Result<()> {
    if (count as usize).saturating_mul(8) > available {
        Err(Error::BadLength {
            offset,
            what,
            value: u64::from(count),
            reason: "more records than the sample can hold (8 bytes each at least)",
        })
    } else {
        Ok(())
    }
}

/// Declares the view enum and the owned enum of a record kind, with one variant per
/// standard (enterprise 0) format and an `Unknown` variant for the rest.
macro_rules! record_enum {
    (
        $(#[$vm:meta])* view $view:ident;
        $(#[$om:meta])* owned $owned:ident;
        tag $tag:literal;
        $( $(#[$m:meta])* $var:ident($vty:ident, $oty:ident) = $fmt:literal, )*
    ) => {
        $(#[$vm])*
        #[derive(Clone, Copy, Debug)]
        #[non_exhaustive]
        pub enum $view<'a> {
            $( $(#[$m])* #[doc = concat!("(format ", stringify!($fmt), ")")] $var($vty<'a>), )*
            /// A record of a format (or enterprise) this crate does not decode.
            Unknown($crate::record::UnknownRecordView<'a>),
        }

        impl<'a> $crate::record::RecordKind<'a> for $view<'a> {}

        impl<'a> $crate::record::sealed::Sealed<'a> for $view<'a> {
            #[inline(always)]
            fn from_raw(raw: $crate::record::RawRecord<'a>) -> $crate::Result<Self> {
                if raw.format.enterprise == 0 {
                    match raw.format.format {
                        $( $fmt => return $vty::new(raw.data, raw.offset).map($view::$var), )*
                        _ => {}
                    }
                }
                Ok($view::Unknown($crate::record::UnknownRecordView::from_raw(raw)))
            }
        }

        impl<'a> $view<'a> {
            /// The record's enterprise and format.
            pub fn data_format(&self) -> $crate::record::DataFormat {
                match self {
                    $( $view::$var(_) => $crate::record::DataFormat::standard($fmt), )*
                    $view::Unknown(u) => u.data_format(),
                }
            }

            /// The owned record.
            pub fn decode(&self) -> $crate::Result<$owned> {
                Ok(match self {
                    $( $view::$var(v) => $owned::$var($crate::record::Decode::decode_owned(v)?), )*
                    $view::Unknown(u) => $owned::Unknown(u.decode()),
                })
            }
        }

        /// What the decoded record prints (or the error that stops its decoding).
        impl core::fmt::Display for $view<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.decode() {
                    Ok(v) => core::fmt::Display::fmt(&v, f),
                    Err(e) => writeln!(f, "error {e}"),
                }
            }
        }

        $(#[$om])*
        #[derive(Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[non_exhaustive]
        pub enum $owned {
            $( $(#[$m])* #[doc = concat!("(format ", stringify!($fmt), ")")] $var($oty), )*
            /// A record kept as enterprise, format and bytes.
            Unknown($crate::record::UnknownRecord),
        }

        impl $owned {
            /// The owned record straight from its framing, appended to `out`: without the view
            /// enum in between, and each variant pushed where it is decoded, so that no
            /// `Result` of the whole enum is built and moved on the way. The same checks in
            /// the same order as the view's `from_raw` then `decode`, so the same value or the
            /// same error.
            #[inline(always)]
            pub(crate) fn push_from_raw<const N: usize>(
                raw: $crate::record::RawRecord<'_>,
                out: &mut $crate::inline::InlineVec<Self, N>,
            ) -> $crate::Result<()> {
                if raw.format.enterprise == 0 {
                    match raw.format.format {
                        $( $fmt => {
                            let v = $crate::record::Decode::decode_owned(
                                &$vty::new(raw.data, raw.offset)?,
                            )?;
                            out.push($owned::$var(v));
                            return Ok(());
                        } )*
                        _ => {}
                    }
                }
                out.push($owned::Unknown($crate::record::UnknownRecordView::from_raw(raw).decode()));
                Ok(())
            }

            /// The record's enterprise and format.
            pub fn data_format(&self) -> $crate::record::DataFormat {
                match self {
                    $( $owned::$var(_) => $crate::record::DataFormat::standard($fmt), )*
                    $owned::Unknown(u) => u.format,
                }
            }

            /// Bytes of the record's data (without the 8-byte format and length).
            fn data_len(&self) -> usize {
                match self {
                    $( $owned::$var(v) => $crate::xdr::Wire::wire_len(v), )*
                    $owned::Unknown(u) => u.data.data.len(),
                }
            }
        }

        impl $crate::record::PushChecked for $owned {
            /// [`push_from_raw`]($owned::push_from_raw) for the owned decode's walk: the same
            /// checks and the same value, `None` where that gives an error (the walk then
            /// asks the views for the error, out of line), so that no error value is built
            /// in the walk.
            #[inline(always)]
            fn push_checked<const N: usize, const IN_PLACE: bool>(
                raw: $crate::record::RawRecord<'_>,
                out: &mut $crate::inline::InlineVec<Self, N>,
            ) -> Option<()> {
                if raw.format.enterprise == 0 {
                    match raw.format.format {
                        $( $fmt => {
                            let v = $vty::new(raw.data, raw.offset).ok()?;
                            if !IN_PLACE {
                                out.push($owned::$var($crate::record::Decode::decode_owned(&v).ok()?));
                                return Some(());
                            }
                            return $crate::record::Decode::push_owned(
                                &v,
                                out,
                                $owned::$var,
                                |o| match o {
                                    $owned::$var(x) => Some(x),
                                    _ => None,
                                },
                            );
                        } )*
                        _ => {}
                    }
                }
                out.push($owned::Unknown($crate::record::UnknownRecordView::from_raw(raw).decode()));
                Some(())
            }
        }

        /// The whole record: format, length, data (and padding).
        impl $crate::xdr::Wire for $owned {
            fn wire_len(&self) -> usize {
                match self {
                    $owned::Unknown(u) => 8 + $crate::xdr::Wire::wire_len(u),
                    _ => 8 + self.data_len(),
                }
            }
            fn write(&self, w: &mut $crate::xdr::Writer<'_>) -> $crate::Result<()> {
                self.data_format().write(w)?;
                w.len(self.data_len(), "record length")?;
                match self {
                    $( $owned::$var(v) => $crate::xdr::Wire::write(v, w), )*
                    $owned::Unknown(u) => $crate::xdr::Wire::write(u, w),
                }
            }
        }
        $crate::xdr::impl_encode!($owned);

        /// sflowtool's text: the block tag (`enterprise:format`), then the record's fields.
        impl core::fmt::Display for $owned {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                $crate::text::named(f, $tag, self.data_format())?;
                match self {
                    $( $owned::$var(v) => core::fmt::Display::fmt(v, f), )*
                    $owned::Unknown(u) => core::fmt::Display::fmt(u, f),
                }
            }
        }
    };
}
pub(crate) use record_enum;
