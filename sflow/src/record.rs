//! The record framing shared by flow and counter records: `data_format` (enterprise in the top
//! 20 bits, format in the low 12), a length, and the record's data; and the iterator that walks
//! a sample's records without allocating.

use bytes::BufMut;
use core::fmt;
use core::marker::PhantomData;

use crate::error::{Error, Result};
use crate::xdr::{pad_len, Opaque, Reader};

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

    /// The 32-bit `data_format` (enterprise and format masked to 20 and 12 bits).
    pub const fn to_u32(self) -> u32 {
        ((self.enterprise & 0xf_ffff) << 12) | (self.format & 0xfff)
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
#[inline]
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
    pub fn to_owned(&self) -> UnknownRecord {
        UnknownRecord {
            format: self.format,
            data: Opaque::with_padding(self.data, self.padding),
        }
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

impl UnknownRecord {
    /// Bytes of the record's data on the wire (with padding to four bytes).
    pub fn encoded_len(&self) -> usize {
        self.data.data.len() + pad_len(self.data.data.len())
    }
    /// Writes the record's data.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        self.data.encode_unprefixed(buf)
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

impl<'a, T: RecordKind<'a>> Iterator for Records<'a, T> {
    type Item = Result<T>;

    #[inline]
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
            #[inline]
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
            pub fn to_owned(&self) -> $crate::Result<$owned> {
                Ok(match self {
                    $( $view::$var(v) => $owned::$var(v.to_owned()?), )*
                    $view::Unknown(u) => $owned::Unknown(u.to_owned()),
                })
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
                    $( $owned::$var(v) => v.encoded_len(), )*
                    $owned::Unknown(u) => u.data.data.len(),
                }
            }

            /// Bytes on the wire: format, length, data and padding.
            pub fn encoded_len(&self) -> usize {
                match self {
                    $owned::Unknown(u) => 8 + u.encoded_len(),
                    _ => 8 + self.data_len(),
                }
            }

            /// Writes the record: format, length, data.
            pub fn encode<B: bytes::BufMut>(&self, buf: &mut B) {
                buf.put_u32(self.data_format().to_u32());
                buf.put_u32(u32::try_from(self.data_len()).unwrap_or(u32::MAX));
                match self {
                    $( $owned::$var(v) => v.encode(buf), )*
                    $owned::Unknown(u) => u.encode(buf),
                }
            }
        }

    };
}
pub(crate) use record_enum;
