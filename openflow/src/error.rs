//! The error type of the OpenFlow codec.

/// Everything that can go wrong while decoding or encoding OpenFlow messages.
///
/// Every decoding error names the structure and field (`"ofp_flow_mod.match"`,
/// `"ofp_action_output"`) and the byte offset from the first byte of the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The buffer ends before a structure that must be there.
    #[error("{what}: truncated at offset {offset}: need {needed} bytes, {available} available")]
    Truncated {
        /// The structure or field being read.
        what: &'static str,
        /// Offset of the structure from the start of the message.
        offset: usize,
        /// Bytes needed from `offset`.
        needed: usize,
        /// Bytes available from `offset`.
        available: usize,
    },
    /// A length field holds a value that cannot be right.
    #[error("{what}: bad length {value} at offset {offset}: {reason}")]
    BadLength {
        /// The structure whose length field is wrong.
        what: &'static str,
        /// Offset of the length field.
        offset: usize,
        /// The value found.
        value: usize,
        /// What it was checked against.
        reason: &'static str,
    },
    /// A field holds a value the codec does not accept.
    #[error("{what}: bad value {value:#x} at offset {offset}, expected {expected}")]
    BadValue {
        /// The field.
        what: &'static str,
        /// Offset of the field.
        offset: usize,
        /// The value found.
        value: u64,
        /// What was expected.
        expected: &'static str,
    },
    /// The message is of another OpenFlow version than 1.3 (0x04). It is reported, never
    /// parsed as if it were 1.3.
    #[error("OpenFlow version {found:#04x} at offset {offset}, this codec speaks 1.3 (0x04)")]
    BadVersion {
        /// The version byte found.
        found: u8,
        /// Offset of the message.
        offset: usize,
    },
    /// Bytes left over where a structure must end exactly.
    #[error("{what}: {extra} bytes left over at offset {offset}")]
    TrailingBytes {
        /// The structure that should have ended.
        what: &'static str,
        /// Offset of the first extra byte.
        offset: usize,
        /// How many bytes are left over.
        extra: usize,
    },
    /// A value cannot be encoded (too long for its length field, a missing required part).
    #[error("cannot encode {what}: {reason}")]
    Unencodable {
        /// The structure being encoded.
        what: &'static str,
        /// Why not.
        reason: &'static str,
    },
}

impl Error {
    /// The offset the error refers to (0 for [`Error::Unencodable`]).
    pub fn offset(&self) -> usize {
        match *self {
            Error::Truncated { offset, .. }
            | Error::BadLength { offset, .. }
            | Error::BadValue { offset, .. }
            | Error::BadVersion { offset, .. }
            | Error::TrailingBytes { offset, .. } => offset,
            Error::Unencodable { .. } => 0,
        }
    }

    /// Shifts the offset by `n`.
    #[must_use]
    pub fn add_offset(mut self, n: usize) -> Self {
        match &mut self {
            Error::Truncated { offset, .. }
            | Error::BadLength { offset, .. }
            | Error::BadValue { offset, .. }
            | Error::BadVersion { offset, .. }
            | Error::TrailingBytes { offset, .. } => *offset = offset.saturating_add(n),
            Error::Unencodable { .. } => {}
        }
        self
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
