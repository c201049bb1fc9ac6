//! The codec's error type: what went wrong while decoding or encoding bytes. (The OFPT_ERROR
//! message a peer sends is [`crate::error_message`].)

use sdnwire_packet::{CodecError, ErrorKind};

/// Everything that can go wrong while decoding or encoding OpenFlow messages.
///
/// Every decoding error names the structure and field (`"ofp_flow_mod.match"`,
/// `"ofp_action_output"`) and the byte offset from the first byte of the message. The
/// workspace-wide view of it ([`kind`](CodecError::kind), [`context`](CodecError::context),
/// [`field`](CodecError::field), [`offset`](CodecError::offset), [`value`](CodecError::value),
/// [`add_offset`](CodecError::add_offset)) is the [`CodecError`] trait.
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
    /// The caller's output buffer is shorter than the encoded value
    /// ([`Encode::encode`](sdnwire_packet::Encode::encode)).
    #[error("openflow: output buffer too short: {needed} bytes needed, {available} available")]
    ShortBuffer {
        /// Bytes the value encodes to.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
}

impl Error {
    /// The structure or field the error is about.
    fn what(&self) -> &'static str {
        match *self {
            Error::Truncated { what, .. }
            | Error::BadLength { what, .. }
            | Error::BadValue { what, .. }
            | Error::TrailingBytes { what, .. }
            | Error::Unencodable { what, .. } => what,
            Error::BadVersion { .. } => "ofp_header.version",
            Error::ShortBuffer { .. } => "output buffer",
        }
    }

    /// The byte offset the error carries: one place for [`CodecError::offset`] and
    /// [`CodecError::add_offset`] (`None` for encoding errors, which have none).
    fn offset_mut(&mut self) -> Option<&mut usize> {
        match self {
            Error::Truncated { offset, .. }
            | Error::BadLength { offset, .. }
            | Error::BadValue { offset, .. }
            | Error::BadVersion { offset, .. }
            | Error::TrailingBytes { offset, .. } => Some(offset),
            Error::Unencodable { .. } | Error::ShortBuffer { .. } => None,
        }
    }
}

impl CodecError for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Truncated { .. } => ErrorKind::Truncated,
            Error::BadLength { .. } => ErrorKind::BadLength,
            Error::BadValue { .. } => ErrorKind::BadValue,
            Error::BadVersion { .. } => ErrorKind::BadVersion,
            Error::TrailingBytes { .. } => ErrorKind::TrailingBytes,
            Error::Unencodable { .. } => ErrorKind::Unencodable,
            Error::ShortBuffer { .. } => ErrorKind::ShortBuffer,
        }
    }

    /// The OpenFlow structure: the part of `what` before its first `.`
    /// (`"ofp_flow_mod"` for `"ofp_flow_mod.match"`); `"openflow"` for a short output buffer.
    fn context(&self) -> &'static str {
        match self {
            Error::ShortBuffer { .. } => "openflow",
            _ => {
                let what = self.what();
                what.split_once('.').map_or(what, |(s, _)| s)
            }
        }
    }

    /// The field: the part of `what` after the structure (`"match"` for
    /// `"ofp_flow_mod.match"`), `None` when the error names a whole structure.
    fn field(&self) -> Option<&'static str> {
        match self {
            Error::ShortBuffer { .. } => None,
            _ => self.what().split_once('.').map(|(_, f)| f),
        }
    }

    fn offset(&self) -> Option<usize> {
        self.clone().offset_mut().copied()
    }

    fn value(&self) -> Option<u64> {
        match *self {
            Error::BadLength { value, .. } => u64::try_from(value).ok(),
            Error::BadValue { value, .. } => Some(value),
            Error::BadVersion { found, .. } => Some(u64::from(found)),
            Error::TrailingBytes { extra, .. } => u64::try_from(extra).ok(),
            Error::Truncated { .. } | Error::Unencodable { .. } | Error::ShortBuffer { .. } => None,
        }
    }

    fn add_offset(mut self, n: usize) -> Self {
        if let Some(offset) = self.offset_mut() {
            *offset = offset.saturating_add(n);
        }
        self
    }

    fn short_buffer(needed: usize, available: usize) -> Self {
        Error::ShortBuffer { needed, available }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
