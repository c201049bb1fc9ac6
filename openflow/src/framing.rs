//! Sans-I/O stream framing: feed bytes as they arrive, in any chunking, take whole messages out.

use bytes::{Bytes, BytesMut};

use crate::codec_error::{Error, Result};
use crate::header::{Header, MsgType, HEADER_LEN, OFP_VERSION};
use crate::message::{BodyView, Message, MessageView};
use crate::packet_in::PacketInView;

/// The largest message OpenFlow's 16-bit length allows.
pub const MAX_MESSAGE_LEN: usize = 65535;

/// The least capacity of a buffer that holds the start of a message (see `Framer::spare`).
const PARTIAL_CAPACITY: usize = 4096;

/// One whole message cut from the stream: its header and all its bytes (header included).
///
/// The bytes are split off the framer's receive buffer, not copied: a [`Bytes`] that shares
/// the buffer (cloning a frame copies nothing either). Read the message through
/// [`Frame::view`] (the zero-copy [`MessageView`], typed views such as
/// [`PacketInView`] inside) or decode it into an owned [`Message`] with
/// [`Frame::decode`] when you want values. A frame that is kept long holds its part of the
/// receive buffer: the framer then grows a new one instead of reusing it.
///
/// A frame of any version is returned as it is: the version is in the header, and
/// [`Message::parse`] refuses anything but 1.3, so the caller can answer a peer of another
/// version (with OFPET_HELLO_FAILED, say) instead of misreading it.
///
/// ```
/// use sdnwire_openflow::{BodyView, Framer};
/// let mut f = Framer::new();
/// // A PACKET_IN of 4 data bytes from port 1, not buffered.
/// f.push(&[
///     4, 10, 0, 46, 0, 0, 0, 0, // header
///     0xff, 0xff, 0xff, 0xff, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // buffer_id .. cookie
///     0, 1, 0, 12, 0x80, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, // match: in_port=1
///     0, 0, 1, 2, 3, 4, // pad, data
/// ]);
/// let frame = f.next_frame().unwrap().unwrap();
/// let pin = frame.packet_in().unwrap().unwrap();
/// assert_eq!(pin.in_port().map(|p| p.0), Some(1));
/// assert_eq!(pin.data, [1, 2, 3, 4]);
/// assert!(matches!(frame.view().unwrap().body, BodyView::PacketIn(_)));
/// assert_eq!(frame.decode().unwrap().xid, 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The message's header.
    pub header: Header,
    /// The whole message, header included.
    pub bytes: Bytes,
}

impl Frame {
    /// The message as a zero-copy view: [`MessageView::parse`] over the frame's bytes (checks
    /// the header and, for the typed bodies, every length; allocates nothing).
    #[inline]
    pub fn view(&self) -> Result<MessageView<'_>> {
        MessageView::parse(&self.bytes)
    }

    /// The owned message: [`Message::parse`] over the frame's bytes.
    pub fn decode(&self) -> Result<Message> {
        Message::parse(&self.bytes)
    }

    /// The PACKET_IN body as a zero-copy view; `None` when the frame is another type.
    /// The same view, checks and errors as [`Frame::view`]'s PACKET_IN body.
    #[inline(always)]
    pub fn packet_in(&self) -> Option<Result<PacketInView<'_>>> {
        if self.header.msg_type != MsgType::PACKET_IN {
            return None;
        }
        // What `MessageView::parse` does for a PACKET_IN, checked on the bytes themselves (a
        // frame's fields are public: its `header` is not trusted to describe them).
        if let Some((h, body)) = self.bytes.split_first_chunk::<HEADER_LEN>() {
            if h[0] == OFP_VERSION
                && h[1] == MsgType::PACKET_IN.0
                && usize::from(u16::from_be_bytes([h[2], h[3]])) == self.bytes.len()
            {
                if let Some(p) = PacketInView::parse_fast(body, HEADER_LEN) {
                    return Some(Ok(p));
                }
            }
        }
        Some(self.packet_in_general())
    }

    /// [`Frame::packet_in`] through [`Frame::view`], with the exact error.
    #[cold]
    #[inline(never)]
    fn packet_in_general(&self) -> Result<PacketInView<'_>> {
        self.view().and_then(|v| match v.body {
            BodyView::PacketIn(p) => Ok(p),
            // A frame whose header says PACKET_IN and whose bytes say another type.
            _ => Err(Error::BadValue {
                what: "ofp_header.type",
                offset: 1,
                value: u64::from(self.bytes.get(1).copied().unwrap_or_default()),
                expected: "OFPT_PACKET_IN",
            }),
        })
    }
}

/// Cuts an OpenFlow byte stream into messages.
///
/// ```
/// use sdnwire_openflow::Framer;
/// let mut f = Framer::new();
/// // An ECHO_REQUEST arriving one byte at a time.
/// for b in [4u8, 2, 0, 8, 0, 0, 0, 7] {
///     assert!(f.next_frame().unwrap().is_none());
///     f.push(&[b]);
/// }
/// let frame = f.next_frame().unwrap().unwrap();
/// assert_eq!(frame.header.xid, 7);
/// ```
///
/// Two ways in: [`Framer::push`] copies the bytes it is given into the framer's buffer;
/// [`Framer::push_buf`] takes a buffer the caller no longer writes to (a [`Bytes`], or
/// anything that converts into one without a copy: a `Vec<u8>`, a frozen `BytesMut`) and cuts
/// the frames out of it without copying them. Only a message cut in two by the end of a buffer
/// is copied, into the framer's own buffer, to be completed by the next one.
///
/// ```
/// use bytes::Bytes;
/// use sdnwire_openflow::Framer;
/// let mut f = Framer::new();
/// // Two ECHO_REQUESTs and the first half of a third, as one read.
/// let read = Bytes::from(vec![4, 2, 0, 8, 0, 0, 0, 1, 4, 2, 0, 8, 0, 0, 0, 2, 4, 2, 0, 8]);
/// f.push_buf(read.clone());
/// let first = f.next_frame().unwrap().unwrap();
/// assert_eq!(first.bytes.as_ptr(), read.as_ptr()); // the same memory, not a copy
/// assert_eq!(f.next_frame().unwrap().unwrap().header.xid, 2);
/// assert!(f.next_frame().unwrap().is_none());
/// f.push_buf(vec![0, 0, 0, 3]);
/// assert_eq!(f.next_frame().unwrap().unwrap().header.xid, 3);
/// ```
///
/// A length field below 8 or above the configured maximum cannot be framed past: the stream is
/// broken, and every later call returns the same error.
#[derive(Debug, Clone)]
pub struct Framer {
    /// Bytes copied in: from [`Framer::push`], and the start of a message that a buffer given
    /// to [`Framer::push_buf`] ended inside. They come before `shared` in the stream.
    buf: BytesMut,
    /// A second buffer for the start of a message that a shared buffer ends inside, used when
    /// `buf`'s memory is still held by the last frame cut from it (queued in a connection,
    /// not yet polled): the two take turns, so that a runtime which polls between reads
    /// finds one of them free and nothing is allocated.
    spare: BytesMut,
    /// What is left of the last buffer given to [`Framer::push_buf`]: frames are cut from it
    /// without a copy. Empty whenever `next_frame` has answered `Ok(None)`.
    shared: Bytes,
    max_len: usize,
    broken: Option<Error>,
}

impl Default for Framer {
    fn default() -> Self {
        Framer::new()
    }
}

impl Framer {
    /// A framer that accepts messages up to [`MAX_MESSAGE_LEN`].
    pub fn new() -> Self {
        Framer::with_max_len(MAX_MESSAGE_LEN)
    }

    /// A framer that refuses messages longer than `max_len` bytes (at least 8).
    pub fn with_max_len(max_len: usize) -> Self {
        Framer {
            buf: BytesMut::new(),
            spare: BytesMut::new(),
            shared: Bytes::new(),
            max_len: max_len.max(HEADER_LEN),
            broken: None,
        }
    }

    /// Appends bytes read from the stream (copied into the framer's buffer).
    pub fn push(&mut self, bytes: &[u8]) {
        self.unshare();
        self.buf.extend_from_slice(bytes);
    }

    /// Appends a buffer read from the stream, without copying it: the frames it holds whole
    /// are cut out of it (each a [`Bytes`] sharing its memory); only a message it ends inside
    /// is copied, to be completed by the next bytes. Take every frame out
    /// ([`Framer::next_frame`] until `Ok(None)`) before the next push, or the rest of this
    /// buffer is copied then.
    pub fn push_buf(&mut self, bytes: impl Into<Bytes>) {
        let bytes = bytes.into();
        if bytes.is_empty() {
            return;
        }
        // Bytes still buffered come first. When `buf` holds the start of a message,
        // `next_frame` copies from this buffer only the bytes that complete it.
        self.unshare();
        self.shared = bytes;
    }

    /// Moves what is left of the shared buffer into `buf` (a copy), so that bytes pushed
    /// after it go after it.
    fn unshare(&mut self) {
        if !self.shared.is_empty() {
            let n = self.shared.len();
            if self.buf.is_empty() && !self.buf.try_reclaim(n) {
                core::mem::swap(&mut self.buf, &mut self.spare);
                if !self.buf.try_reclaim(n) {
                    // Room for the messages a switch usually sends, so that the two buffers
                    // reach their size at once.
                    self.buf.reserve(n.max(PARTIAL_CAPACITY));
                }
            }
            self.buf.extend_from_slice(&self.shared);
            self.shared = Bytes::new();
        }
    }

    /// `buf` holds the start of a message: copies from `shared` the bytes that complete its
    /// header and then its length (as many as `shared` has).
    fn complete_from_shared(&mut self) {
        if self.buf.len() < HEADER_LEN {
            self.take_shared(HEADER_LEN - self.buf.len());
        }
        if let Some(&[hi, lo]) = self.buf.get(2..4) {
            let len = usize::from(u16::from_be_bytes([hi, lo]));
            // A length below the header or above the maximum is refused by `next_frame`:
            // nothing more is taken for it.
            if len <= self.max_len && self.buf.len() < len {
                self.take_shared(len - self.buf.len());
            }
        }
    }

    /// Copies up to `n` bytes from the front of `shared` to the end of `buf`.
    fn take_shared(&mut self, n: usize) {
        let n = n.min(self.shared.len());
        if n > 0 {
            let front = self.shared.split_to(n);
            self.buf.extend_from_slice(&front);
        }
    }

    /// Bytes buffered and not yet returned as a frame.
    pub fn buffered(&self) -> usize {
        self.buf.len() + self.shared.len()
    }

    /// The next whole message, `Ok(None)` when more bytes are needed.
    #[inline]
    pub fn next_frame(&mut self) -> Result<Option<Frame>> {
        if self.broken.is_none() && self.buf.is_empty() {
            // The common case with `push_buf`: a whole message at the front of the shared
            // buffer, split off it without a copy.
            if let Some(a) = self.shared.first_chunk::<HEADER_LEN>() {
                let len = usize::from(u16::from_be_bytes([a[2], a[3]]));
                if (HEADER_LEN..=self.max_len).contains(&len) && len <= self.shared.len() {
                    let header = Header {
                        version: a[0],
                        msg_type: MsgType(a[1]),
                        length: u16::from_be_bytes([a[2], a[3]]),
                        xid: u32::from_be_bytes([a[4], a[5], a[6], a[7]]),
                    };
                    let bytes = self.shared.split_to(len);
                    return Ok(Some(Frame { header, bytes }));
                }
            }
        }
        self.next_frame_buffered()
    }

    /// The longest run of whole messages at the front of the stream (at most `limit`) whose
    /// header bytes (version, type) `take` accepts, split off as one buffer holding them
    /// back to back, with how many it holds; `None` when the first message is not whole or not
    /// accepted (then [`Framer::next_frame`] gives it, or the error). Each message of the run
    /// has a length of at least 8 and at most the maximum, as `next_frame` checks.
    #[inline]
    pub(crate) fn next_run(
        &mut self,
        limit: usize,
        take: impl Fn(u8, u8) -> bool,
    ) -> Option<(Bytes, usize)> {
        if self.broken.is_some() {
            return None;
        }
        let from_buf = !self.buf.is_empty();
        let bytes: &[u8] = if from_buf { &self.buf } else { &self.shared };
        let max_len = self.max_len;
        let mut rest = bytes;
        let mut n = 0usize;
        while n < limit {
            let Some(a) = rest.first_chunk::<HEADER_LEN>() else {
                break;
            };
            let len = usize::from(u16::from_be_bytes([a[2], a[3]]));
            if len < HEADER_LEN || len > max_len || !take(a[0], a[1]) {
                break;
            }
            let Some(next) = rest.get(len..) else {
                break;
            };
            rest = next;
            n += 1;
        }
        if n == 0 {
            return None;
        }
        let at = bytes.len() - rest.len();
        let run = if from_buf {
            self.buf.split_to(at).freeze()
        } else {
            self.shared.split_to(at)
        };
        Some((run, n))
    }

    /// [`Framer::next_frame`] from the framer's own buffer (bytes given to [`Framer::push`],
    /// or a message that started in an earlier shared buffer), with the errors.
    fn next_frame_buffered(&mut self) -> Result<Option<Frame>> {
        if let Some(e) = &self.broken {
            return Err(e.clone());
        }
        if self.buf.is_empty() {
            // Whatever is left of the shared buffer is the start of a message (or of a broken
            // stream): it is read from `buf` from here on.
            self.unshare();
        } else {
            self.complete_from_shared();
        }
        let frame = self.cut_buf();
        if !matches!(frame, Ok(Some(_))) {
            // Waiting for more bytes, or broken: the shared buffer is given back.
            self.unshare();
        }
        frame
    }

    /// The message at the front of `buf`, if it is whole.
    fn cut_buf(&mut self) -> Result<Option<Frame>> {
        if self.buf.len() < HEADER_LEN {
            return Ok(None);
        }
        let header = match Header::peek(&self.buf) {
            Ok(h) => h,
            Err(e) => {
                self.broken = Some(e.clone());
                return Err(e);
            }
        };
        let len = usize::from(header.length);
        if len > self.max_len {
            let e = Error::BadLength {
                what: "ofp_header.length",
                offset: 2,
                value: len,
                reason: "above the framer's configured maximum message length",
            };
            self.broken = Some(e.clone());
            return Err(e);
        }
        if self.buf.len() < len {
            return Ok(None);
        }
        let bytes = self.buf.split_to(len).freeze();
        Ok(Some(Frame { header, bytes }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;
    use alloc::vec::Vec;

    fn echo(xid: u32, data: &[u8]) -> Vec<u8> {
        let mut v = vec![4, 2];
        v.extend_from_slice(&u16::try_from(8 + data.len()).unwrap().to_be_bytes());
        v.extend_from_slice(&xid.to_be_bytes());
        v.extend_from_slice(data);
        v
    }

    #[test]
    fn any_chunking_gives_the_same_messages() {
        let mut stream = Vec::new();
        for i in 0..20u32 {
            stream.extend(echo(i, &vec![u8::try_from(i).unwrap(); i as usize * 3]));
        }
        for chunk in [1, 2, 7, 8, 9, 64, stream.len()] {
            let mut f = Framer::new();
            let mut got = Vec::new();
            for c in stream.chunks(chunk) {
                f.push(c);
                while let Some(m) = f.next_frame().unwrap() {
                    got.push(m);
                }
            }
            assert_eq!(got.len(), 20, "chunk {chunk}");
            let joined: Vec<u8> = got.iter().flat_map(|m| m.bytes.to_vec()).collect();
            assert_eq!(joined, stream);
            assert_eq!(got[5].header.xid, 5);
            assert_eq!(f.buffered(), 0);
        }
    }

    /// A stream of `n` echoes of growing sizes (8 to 8 + 3 * (n - 1) bytes).
    fn echoes(n: u32) -> Vec<u8> {
        let mut stream = Vec::new();
        for i in 0..n {
            stream.extend(echo(
                i,
                &vec![u8::try_from(i % 256).unwrap(); i as usize * 3],
            ));
        }
        stream
    }

    /// Every frame `f` gives until `Ok(None)`.
    fn drain(f: &mut Framer) -> Vec<Frame> {
        let mut got = Vec::new();
        while let Some(m) = f.next_frame().unwrap() {
            got.push(m);
        }
        got
    }

    #[test]
    fn push_buf_gives_the_same_frames_as_push_without_copying_whole_ones() {
        let stream = echoes(40);
        for chunk in [1, 2, 7, 8, 9, 64, 100, 1000, stream.len()] {
            let mut copied = Framer::new();
            let mut shared = Framer::new();
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let mut whole_in_one_read = 0;
            let mut not_copied = 0;
            for c in stream.chunks(chunk) {
                copied.push(c);
                a.extend(drain(&mut copied));
                let read = Bytes::copy_from_slice(c);
                let range = read.as_ptr_range();
                shared.push_buf(read);
                for m in drain(&mut shared) {
                    if range.contains(&m.bytes.as_ptr()) {
                        not_copied += 1;
                    }
                    b.push(m);
                }
                assert_eq!(shared.buffered(), copied.buffered(), "chunk {chunk}");
            }
            // Messages that start and end inside one read.
            let mut at = 0;
            for m in &a {
                let end = at + m.bytes.len();
                if at / chunk == (end - 1) / chunk {
                    whole_in_one_read += 1;
                }
                at = end;
            }
            assert_eq!(a.len(), 40, "chunk {chunk}");
            assert_eq!(a, b, "chunk {chunk}");
            // A message whole in one read is cut out of it (a message that starts in one
            // read is completed from the next, and shares neither).
            assert_eq!(not_copied, whole_in_one_read, "chunk {chunk}");
            assert_eq!(shared.buffered(), 0);
        }
    }

    #[test]
    fn push_and_push_buf_mix_in_order() {
        let stream = echoes(30);
        // Alternate the two, and push several reads before taking the frames out.
        let mut f = Framer::new();
        let mut got = Vec::new();
        for (i, c) in stream.chunks(37).enumerate() {
            if i % 2 == 0 {
                f.push_buf(c.to_vec());
            } else {
                f.push(c);
            }
            if i % 3 == 2 {
                got.extend(drain(&mut f));
            }
        }
        got.extend(drain(&mut f));
        let joined: Vec<u8> = got.iter().flat_map(|m| m.bytes.to_vec()).collect();
        assert_eq!(joined, stream);
        assert_eq!(got.len(), 30);
        for (i, m) in got.iter().enumerate() {
            assert_eq!(m.header.xid, u32::try_from(i).unwrap());
            assert_eq!(usize::from(m.header.length), m.bytes.len());
        }
        // An empty buffer changes nothing.
        f.push_buf(Bytes::new());
        assert_eq!(f.buffered(), 0);
        assert!(f.next_frame().unwrap().is_none());
    }

    #[test]
    fn push_buf_breaks_on_bad_lengths_as_push_does() {
        let mut good = echo(1, b"abc");
        good.extend([4, 2, 0, 7, 0, 0, 0, 1]);
        for split in 0..=good.len() {
            let mut f = Framer::new();
            f.push_buf(good[..split].to_vec());
            let mut frames = 0;
            let mut err = None;
            for bytes in [&good[split..], &[][..]] {
                f.push_buf(bytes.to_vec());
                loop {
                    match f.next_frame() {
                        Ok(Some(_)) => frames += 1,
                        Ok(None) => break,
                        Err(e) => {
                            err = Some(e);
                            break;
                        }
                    }
                }
            }
            assert_eq!(frames, 1, "split {split}");
            let e = err.unwrap();
            assert!(matches!(e, Error::BadLength { value: 7, .. }), "{e}");
            // Broken for good, whatever comes next.
            f.push_buf(echo(2, b""));
            assert_eq!(f.next_frame().unwrap_err(), e);
        }
        let mut f = Framer::with_max_len(100);
        f.push_buf(echo(1, &[0; 92]));
        assert_eq!(f.next_frame().unwrap().unwrap().bytes.len(), 100);
        f.push_buf(echo(1, &[0; 93]));
        let e = f.next_frame().unwrap_err();
        assert!(e.to_string().contains("maximum"), "{e}");
    }

    #[test]
    fn a_run_is_whole_accepted_messages_up_to_the_limit() {
        let mut stream = echoes(5);
        // 8 + 11 + 14 + 17 + 20 = 70 bytes of ECHO_REQUESTs, then an ECHO_REPLY.
        stream.extend(echo(99, b""));
        stream[70 + 1] = 3;
        let mut f = Framer::new();
        f.push_buf(stream.clone());
        let take = |v: u8, t: u8| v == 4 && t == 2;
        let (run, n) = f.next_run(3, take).unwrap();
        assert_eq!(n, 3);
        assert_eq!(run.len(), 8 + 11 + 14);
        let (run, n) = f.next_run(10, take).unwrap();
        assert_eq!((run.len(), n), (17 + 20, 2));
        // The ECHO_REPLY is refused by `take`, and comes through next_frame.
        assert!(f.next_run(10, take).is_none());
        assert_eq!(f.next_frame().unwrap().unwrap().header.xid, 99);
        // A message that is not whole is no run.
        let mut f = Framer::new();
        f.push(&echo(1, b"abcd")[..10]);
        assert!(f.next_run(10, take).is_none());
        assert!(f.next_frame().unwrap().is_none());
        assert_eq!(f.buffered(), 10);
    }

    #[test]
    fn bad_lengths_break_the_stream() {
        let mut f = Framer::new();
        f.push(&[4, 0, 0, 7, 0, 0, 0, 1]);
        let e = f.next_frame().unwrap_err();
        assert!(matches!(e, Error::BadLength { value: 7, .. }), "{e}");
        f.push(&echo(1, b""));
        assert_eq!(f.next_frame().unwrap_err(), e);

        let mut f = Framer::with_max_len(100);
        f.push(&echo(1, &[0; 93]));
        let e = f.next_frame().unwrap_err();
        assert!(e.to_string().contains("maximum"), "{e}");
    }

    #[test]
    fn other_versions_are_framed_and_left_to_the_parser() {
        let mut f = Framer::new();
        let mut m = echo(9, b"x");
        m[0] = 1;
        f.push(&m);
        let frame = f.next_frame().unwrap().unwrap();
        assert_eq!(frame.header.version, 1);
        assert_eq!(
            Header::parse(&frame.bytes).unwrap_err(),
            Error::BadVersion {
                found: 1,
                offset: 0
            }
        );
    }
}
