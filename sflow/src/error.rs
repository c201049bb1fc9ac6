//! The error type of the codec: what was being read, at which byte offset of the datagram, and
//! what was wrong; or, when encoding, which value does not fit.
//!
//! [`Error`] implements the workspace's [`CodecError`]: `kind()`, `field()`, `offset()` (`None`
//! for encoding errors), `value()`, `add_offset()`.

use sdnwire_packet::{CodecError, ErrorKind};

/// A decoding or encoding error. Every decoding variant carries the byte offset, counted from
/// the start of the datagram, of the structure or field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The datagram ends (or the enclosing sample or record ends) before a structure that must
    /// be there.
    #[error(
        "sflow: truncated at offset {offset}: {what} needs {needed} bytes, {available} available"
    )]
    Truncated {
        /// Where the structure starts.
        offset: usize,
        /// What was being read (`"datagram header"`, `"flow sample"`, `"record data"`, ...).
        what: &'static str,
        /// Bytes the structure needs from `offset`.
        needed: usize,
        /// Bytes left in the enclosing structure from `offset`.
        available: usize,
    },
    /// A length or count field holds a value that cannot be right.
    #[error("sflow: bad {what} {value} at offset {offset}: {reason}")]
    BadLength {
        /// Offset of the length (or count) field, or of the structure whose size is wrong.
        offset: usize,
        /// Name of the field (`"sample length"`, `"record count"`, `"string length"`, ...).
        what: &'static str,
        /// The value found.
        value: u64,
        /// What the value was checked against.
        reason: &'static str,
    },
    /// A field holds a value this codec does not accept (a datagram version other than 5, an
    /// address type other than 0, 1 or 2, ...).
    #[error("sflow: bad {what} {value} at offset {offset}, expected {expected}")]
    BadValue {
        /// Offset of the field.
        offset: usize,
        /// Name of the field.
        what: &'static str,
        /// The value found.
        value: u32,
        /// What was expected.
        expected: &'static str,
    },
    /// A value that does not fit its field on the wire (a compact flow sample's source index
    /// past 2^24 - 1, an ifIndex past 2^30 - 1, an enterprise past 2^20 - 1, a string longer
    /// than 2^32 - 1 bytes, ...), or a structure the codec would not read back (an 802.11
    /// aggregation inside an aggregation). Nothing is truncated or changed silently.
    #[error("sflow: cannot encode {what} {value}: {reason}")]
    Unencodable {
        /// The field.
        what: &'static str,
        /// The value that does not fit.
        value: u64,
        /// Its range on the wire.
        reason: &'static str,
    },
    /// The buffer handed to [`Encode::encode`](sdnwire_packet::Encode::encode) is shorter than
    /// the encoding.
    #[error("sflow: output buffer too short: {needed} bytes needed, {available} available")]
    ShortBuffer {
        /// Bytes the encoding needs.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
}

impl CodecError for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Truncated { .. } => ErrorKind::Truncated,
            Error::BadLength { reason, .. } if *reason == crate::xdr::LEFT_OVER => {
                ErrorKind::TrailingBytes
            }
            Error::BadLength { .. } => ErrorKind::BadLength,
            Error::BadValue { what, .. } if *what == "datagram version" => ErrorKind::BadVersion,
            Error::BadValue { .. } => ErrorKind::BadValue,
            Error::Unencodable { .. } => ErrorKind::Unencodable,
            Error::ShortBuffer { .. } => ErrorKind::ShortBuffer,
        }
    }

    /// Always `"sflow"`: the field names ([`CodecError::field`]) say which structure.
    fn context(&self) -> &'static str {
        "sflow"
    }

    fn field(&self) -> Option<&'static str> {
        match *self {
            Error::Truncated { what, .. }
            | Error::BadLength { what, .. }
            | Error::BadValue { what, .. }
            | Error::Unencodable { what, .. } => Some(what),
            Error::ShortBuffer { .. } => None,
        }
    }

    fn offset(&self) -> Option<usize> {
        match *self {
            Error::Truncated { offset, .. }
            | Error::BadLength { offset, .. }
            | Error::BadValue { offset, .. } => Some(offset),
            Error::Unencodable { .. } | Error::ShortBuffer { .. } => None,
        }
    }

    fn value(&self) -> Option<u64> {
        match *self {
            Error::BadLength { value, .. } | Error::Unencodable { value, .. } => Some(value),
            Error::BadValue { value, .. } => Some(u64::from(value)),
            Error::Truncated { .. } | Error::ShortBuffer { .. } => None,
        }
    }

    fn add_offset(mut self, n: usize) -> Self {
        match &mut self {
            Error::Truncated { offset, .. }
            | Error::BadLength { offset, .. }
            | Error::BadValue { offset, .. } => *offset = offset.saturating_add(n),
            Error::Unencodable { .. } | Error::ShortBuffer { .. } => {}
        }
        self
    }

    fn short_buffer(needed: usize, available: usize) -> Self {
        Error::ShortBuffer { needed, available }
    }
}

/// `Result` with the crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
