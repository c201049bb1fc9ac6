//! The one encoding trait of the workspace: every owned type of every `sdnwire-*` crate (a
//! packet layer, a [`Packet`](crate::Packet), an OpenFlow message, an sFlow datagram, ...)
//! turns into wire bytes through [`Encode`].
//!
//! The contract, for every implementation:
//! - [`Encode::encoded_len`] is the exact number of bytes [`Encode::encode`] writes;
//! - [`Encode::encode`] never panics: a buffer shorter than `encoded_len()` is an error of kind
//!   [`ErrorKind::ShortBuffer`](crate::error::ErrorKind::ShortBuffer), and a value that does
//!   not fit its field (a length past 65 535 in a 16-bit field, an sFlow interface index past
//!   2^30 in a compact sample) is an error of kind
//!   [`ErrorKind::Unencodable`](crate::error::ErrorKind::Unencodable): nothing is truncated or
//!   silently changed;
//! - computed fields (lengths, checksums, padding) left to be computed are computed here.
//!
//! ```
//! use sdnwire_packet::{Encode, Udp};
//! // On its own a UDP header has no IP layer to take the pseudo-header from: set the checksum.
//! let udp = Udp { csum: Some(0), ..Udp::new(68, 67) };
//! assert_eq!(udp.encoded_len(), 8);
//! let mut short = [0u8; 4];
//! assert!(udp.encode(&mut short).is_err()); // an error, not a panic
//! let bytes = udp.to_vec().unwrap();
//! assert_eq!(&bytes[..4], &[0, 68, 0, 67]);
//! ```

use alloc::vec;
use alloc::vec::Vec;

use crate::error::CodecError;

/// A value that encodes to wire bytes. See the [module documentation](self) for the contract.
pub trait Encode {
    /// The crate's error type.
    type Error: CodecError;

    /// Bytes [`encode`](Encode::encode) writes.
    fn encoded_len(&self) -> usize;

    /// Writes the value into the first [`encoded_len`](Encode::encoded_len) bytes of `buf` and
    /// returns that length. `buf` may be longer; the bytes past the value are left as they are.
    fn encode(&self, buf: &mut [u8]) -> Result<usize, Self::Error>;

    /// Encodes into a new vector of exactly `encoded_len()` bytes.
    fn to_vec(&self) -> Result<Vec<u8>, Self::Error> {
        let mut v = vec![0; self.encoded_len()];
        let n = self.encode(&mut v)?;
        v.truncate(n);
        Ok(v)
    }

    /// Appends the encoding to `out` (which keeps its capacity from call to call: a runtime
    /// that reuses one vector allocates nothing per value). On an error `out` is unchanged.
    fn encode_append(&self, out: &mut Vec<u8>) -> Result<usize, Self::Error> {
        let start = out.len();
        out.resize(start + self.encoded_len(), 0);
        match out.get_mut(start..).map(|b| self.encode(b)) {
            Some(Ok(n)) => {
                out.truncate(start + n);
                Ok(n)
            }
            Some(Err(e)) => {
                out.truncate(start);
                Err(e)
            }
            None => {
                out.truncate(start);
                Err(Self::Error::short_buffer(self.encoded_len(), 0))
            }
        }
    }
}

/// The first `needed` bytes of `buf`, or the crate's short-buffer error: the check every
/// [`Encode::encode`] makes before it writes.
pub fn room<E: CodecError>(buf: &mut [u8], needed: usize) -> Result<&mut [u8], E> {
    let available = buf.len();
    buf.get_mut(..needed)
        .ok_or_else(|| E::short_buffer(needed, available))
}

/// A layer encoded on its own: its header, as if it carried nothing (lengths and checksums
/// computed over the header alone, next-protocol fields as set). Inside a
/// [`Packet`](crate::Packet) the layer is encoded with what it carries.
impl<T: crate::Protocol> Encode for T {
    type Error = crate::Error;

    fn encoded_len(&self) -> usize {
        self.header_len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize, crate::Error> {
        let n = self.header_len();
        self.emit(room(buf, n)?, &crate::EmitContext::default())?;
        Ok(n)
    }
}
