//! The error type of the codec: what was being read, at which byte offset of the datagram, and
//! what was wrong.

/// A decoding error. Every variant carries the byte offset, counted from the start of the
/// datagram, of the structure or field at fault.
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
}

impl Error {
    /// The byte offset, from the start of the datagram, that the error is about.
    pub fn offset(&self) -> usize {
        match *self {
            Error::Truncated { offset, .. }
            | Error::BadLength { offset, .. }
            | Error::BadValue { offset, .. } => offset,
        }
    }
}

/// `Result` with the crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
