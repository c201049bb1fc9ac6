//! Transmission Control Protocol header (RFC 9293), options kept.
//!
//! ```text
//!  0               1               2               3
//! +-------------------------------+-------------------------------+
//! |          source port          |       destination port        |
//! +-------------------------------+-------------------------------+
//! |                        sequence number                        |
//! |                     acknowledgment number                     |
//! +-------+-------+---------------+-------------------------------+
//! | offset| rsvd  |C|E|U|A|P|R|S|F|            window             |
//! +-------+-------+---------------+-------------------------------+
//! |           checksum            |        urgent pointer         |
//! +-------------------------------+-------------------------------+
//! |                 options (offset*4 - 20 bytes)                 |
//! ```
//! The segment runs to the end of the IP payload. The checksum covers the pseudo-header.
//!
//! Contract (smoltcp's `new_checked`): once [`TcpView::parse`] succeeds no accessor panics;
//! [`Protocol::emit`] and [`Encode`] never panic: a short buffer is
//! `ErrorKind::ShortBuffer`, a value that does not fit its field `ErrorKind::Unencodable`.

use alloc::vec::Vec;
use core::fmt;

use crate::bytes::{be16, be32, put16, put_bytes, slice, tail, wire_struct, U16, U32};
use crate::checksum;
use crate::encode::{room, Encode};
use crate::error::{Error, LayerKind, Result};
use crate::ip::IpProtocol;
use crate::layer::{emit_room, header_words, EmitContext, IpPair, Next, Protocol, Step};
use crate::notation::{List, Opt, PyBytes};
use crate::small::SmallBytes;
use crate::stack::Layer;

/// The JSON of [`Tcp::option`]: Ryu's list of option objects, as before the area was kept raw.
#[cfg(feature = "serde")]
mod option_json {
    use super::{SmallBytes, Tcp, TcpOption};
    use alloc::vec::Vec;

    pub(super) fn serialize<S: serde::Serializer>(
        area: &SmallBytes,
        s: S,
    ) -> core::result::Result<S::Ok, S::Error> {
        s.collect_seq(TcpOption::parse_all(area))
    }

    pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> core::result::Result<SmallBytes, D::Error> {
        let list = <Vec<TcpOption> as serde::Deserialize>::deserialize(d)?;
        let t = Tcp::new(0, 0, super::TcpFlags(0))
            .with_options(&list)
            .map_err(serde::de::Error::custom)?;
        Ok(t.option)
    }
}

wire_struct! {
    /// The fixed 20-byte TCP header.
    pub(crate) struct TcpHeader {
        src_port: U16,
        dst_port: U16,
        seq: U32,
        ack: U32,
        off_flags: U16,
        window: U16,
        checksum: U16,
        urgent: U16,
    }
}

/// The 12 bits after the data offset: 3 reserved bits, AE (formerly NS), CWR, ECE, URG, ACK,
/// PSH, RST, SYN, FIN.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct TcpFlags(pub u16);

impl TcpFlags {
    /// No more data from sender.
    pub const FIN: TcpFlags = TcpFlags(0x001);
    /// Synchronize sequence numbers.
    pub const SYN: TcpFlags = TcpFlags(0x002);
    /// Reset the connection.
    pub const RST: TcpFlags = TcpFlags(0x004);
    /// Push function.
    pub const PSH: TcpFlags = TcpFlags(0x008);
    /// Acknowledgment field is significant.
    pub const ACK: TcpFlags = TcpFlags(0x010);
    /// Urgent pointer field is significant.
    pub const URG: TcpFlags = TcpFlags(0x020);
    /// ECN-echo.
    pub const ECE: TcpFlags = TcpFlags(0x040);
    /// Congestion window reduced.
    pub const CWR: TcpFlags = TcpFlags(0x080);
    /// Accurate ECN (formerly the ECN nonce sum, NS).
    pub const AE: TcpFlags = TcpFlags(0x100);

    const NAMES: [(TcpFlags, &'static str); 9] = [
        (TcpFlags::FIN, "FIN"),
        (TcpFlags::SYN, "SYN"),
        (TcpFlags::RST, "RST"),
        (TcpFlags::PSH, "PSH"),
        (TcpFlags::ACK, "ACK"),
        (TcpFlags::URG, "URG"),
        (TcpFlags::ECE, "ECE"),
        (TcpFlags::CWR, "CWR"),
        (TcpFlags::AE, "AE"),
    ];

    /// True if every flag of `other` is set.
    pub const fn contains(self, other: TcpFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// True if any flag of `other` is set.
    pub const fn intersects(self, other: TcpFlags) -> bool {
        self.0 & other.0 != 0
    }
}

impl core::ops::BitOr for TcpFlags {
    type Output = TcpFlags;
    fn bitor(self, rhs: TcpFlags) -> TcpFlags {
        TcpFlags(self.0 | rhs.0)
    }
}

impl fmt::Display for TcpFlags {
    /// The set flags by name, `SYN|ACK`; reserved bits as a hex remainder; `0` when none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        let mut first = true;
        for (flag, name) in Self::NAMES {
            if self.contains(flag) {
                if !first {
                    f.write_str("|")?;
                }
                f.write_str(name)?;
                first = false;
                rest &= !flag.0;
            }
        }
        if rest != 0 || first {
            if !first {
                f.write_str("|")?;
            }
            write!(f, "{rest:#x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for TcpFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TcpFlags({self})")
    }
}

/// The length of the header without options.
const MIN_HEADER_LEN: usize = 20;

/// The header of a segment [`TcpView::parse`] accepts (the header there, a data offset of at
/// least 5 words whose options fit in `b`), or `None` (then [`refused`] says which check
/// failed).
#[inline]
pub(crate) fn accepted(b: &[u8]) -> Option<TcpHeader> {
    // The checks read the copy the view keeps: its accessors then read values the optimizer
    // has seen checked (the payload's end needs no second test against the buffer).
    let h = *<TcpHeader as zerocopy::FromBytes>::ref_from_prefix(b)
        .ok()?
        .0;
    let hl = usize::from(h.off_flags.get() >> 12) * 4;
    (hl >= MIN_HEADER_LEN && hl <= b.len()).then_some(h)
}

/// Which of [`accepted`]'s checks fails first (see [`refusal`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Fewer than 20 bytes.
    Header,
    /// The data offset (the value, in words) below 5.
    DataOffset,
    /// The header with its options (the value, in bytes) past the buffer.
    Options,
}

/// The first of [`accepted`]'s checks that fails on `b`, and the value it read, in registers;
/// `cold` but `inline`, so that a caller that drops the error drops the call (see
/// [`crate::ipv4::refusal`]).
#[cold]
#[inline]
pub(crate) fn refusal(b: &[u8]) -> (Refusal, usize) {
    let Ok((h, _)) = <TcpHeader as zerocopy::FromBytes>::ref_from_prefix(b) else {
        return (Refusal::Header, 0);
    };
    let hl = usize::from(h.off_flags.get() >> 12) * 4;
    if hl < MIN_HEADER_LEN {
        (Refusal::DataOffset, hl / 4)
    } else {
        (Refusal::Options, hl)
    }
}

/// The error of bytes [`accepted`] refuses: the fixed header cut short, a data offset below 5
/// words, or the options cut short (the one check left when the first two pass); built inline
/// from [`refusal`]'s plain values.
#[inline(always)]
pub(crate) fn refused(b: &[u8]) -> Error {
    match refusal(b) {
        (Refusal::Header, _) => {
            Error::truncated(LayerKind::Tcp, 0, "header", MIN_HEADER_LEN, b.len())
        }
        (Refusal::DataOffset, words) => Error::BadLength {
            layer: LayerKind::Tcp,
            offset: 12,
            field: "data offset",
            value: words,
            reason: "below the minimum of 5 words",
        },
        (Refusal::Options, hl) => {
            Error::truncated(LayerKind::Tcp, 0, "header with options", hl, b.len())
        }
    }
}

/// The checks of [`TcpView::parse`] written one by one, each returning its error: the
/// reference the tests hold [`accepted`] and [`refused`] to.
#[cfg(test)]
pub(crate) fn check(b: &[u8]) -> Result<()> {
    let hdr = TcpHeader::read(LayerKind::Tcp, b, "header")?;
    let hl = usize::from(hdr.off_flags.get() >> 12) * 4;
    if hl < MIN_HEADER_LEN {
        return Err(Error::BadLength {
            layer: LayerKind::Tcp,
            offset: 12,
            field: "data offset",
            value: hl / 4,
            reason: "below the minimum of 5 words",
        });
    }
    crate::error::need(LayerKind::Tcp, b, 0, hl, "header with options")
}

/// A checked, zero-copy view of a TCP segment.
#[derive(Debug, Clone, Copy)]
pub struct TcpView<T: AsRef<[u8]>> {
    buffer: T,
    /// The fixed header, read once by the constructor: accessors never see a short buffer.
    hdr: TcpHeader,
}

crate::bytes::header_view!(TcpView, TcpHeader, LayerKind::Tcp, "header");

impl<T: AsRef<[u8]>> TcpView<T> {
    /// Length of the header without options.
    pub const MIN_HEADER_LEN: usize = 20;

    /// Wraps `buffer` (the whole segment), checking that the data offset is at least 5 and that
    /// the header with its options fits.
    #[inline(always)]
    pub fn parse(buffer: T) -> Result<Self> {
        // The checks in one pass, inlined into the caller; `refused` says which failed.
        let b = buffer.as_ref();
        match accepted(b) {
            Some(hdr) => Ok(TcpView { buffer, hdr }),
            None => Err(refused(b)),
        }
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn h(&self) -> &TcpHeader {
        &self.hdr
    }

    /// Source port.
    pub fn src_port(&self) -> u16 {
        self.h().src_port.get()
    }

    /// Destination port.
    pub fn dst_port(&self) -> u16 {
        self.h().dst_port.get()
    }

    /// Sequence number.
    pub fn seq(&self) -> u32 {
        self.h().seq.get()
    }

    /// Acknowledgment number.
    pub fn ack(&self) -> u32 {
        self.h().ack.get()
    }

    /// Data offset in 32-bit words.
    pub fn data_offset(&self) -> u8 {
        #[allow(clippy::cast_possible_truncation)]
        let v = (self.h().off_flags.get() >> 12) as u8;
        v
    }

    /// Header length in bytes, options included.
    pub fn header_len(&self) -> usize {
        usize::from(self.data_offset()) * 4
    }

    /// The flags (and reserved bits).
    pub fn flags(&self) -> TcpFlags {
        TcpFlags(self.h().off_flags.get() & 0x0fff)
    }

    /// Window.
    pub fn window(&self) -> u16 {
        self.h().window.get()
    }

    /// Checksum as found.
    pub fn checksum(&self) -> u16 {
        self.h().checksum.get()
    }

    /// Urgent pointer.
    pub fn urgent(&self) -> u16 {
        self.h().urgent.get()
    }

    /// The raw options.
    pub fn options(&self) -> &[u8] {
        slice(
            self.buffer.as_ref(),
            Self::MIN_HEADER_LEN,
            self.header_len(),
        )
    }

    /// The options one by one.
    pub fn option_iter(&self) -> TcpOptions<'_> {
        TcpOptions {
            buf: self.options(),
            at: 0,
        }
    }

    /// The payload: everything after the header.
    pub fn payload(&self) -> &[u8] {
        tail(self.buffer.as_ref(), self.header_len())
    }

    /// Checks the checksum against the pseudo-header of `ip`.
    pub fn verify_checksum(&self, ip: &IpPair) -> Result<()> {
        let b = self.buffer.as_ref();
        let len = u32::try_from(b.len()).unwrap_or(u32::MAX);
        let acc = checksum::sum(ip.pseudo_header(IpProtocol::TCP.0, len), b);
        if checksum::fold(acc) == 0xffff {
            return Ok(());
        }
        let found = self.checksum();
        let computed = checksum::expected(acc, found);
        Err(Error::BadChecksum {
            layer: LayerKind::Tcp,
            offset: 16,
            computed,
            found,
        })
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> TcpView<T> {
    fn set_word(&mut self, at: usize, new: u16) {
        let b = self.buffer.as_mut();
        let c = checksum::update16(be16(b, 16), be16(b, at), new);
        put16(b, at, new);
        put16(b, 16, c);
        self.reload();
    }

    /// Sets the source port, keeping the checksum right.
    pub fn set_src_port(&mut self, port: u16) {
        self.set_word(0, port);
    }

    /// Sets the destination port, keeping the checksum right.
    pub fn set_dst_port(&mut self, port: u16) {
        self.set_word(2, port);
    }

    /// Sets the window, keeping the checksum right.
    pub fn set_window(&mut self, window: u16) {
        self.set_word(14, window);
    }

    /// Recomputes the checksum against the pseudo-header of `ip`.
    pub fn fill_checksum(&mut self, ip: &IpPair) {
        let b = self.buffer.as_mut();
        put16(b, 16, 0);
        let c = tcp_checksum(ip, b);
        put16(b, 16, c);
        self.reload();
    }
}

fn tcp_checksum(ip: &IpPair, segment: &[u8]) -> u16 {
    let len = u32::try_from(segment.len()).unwrap_or(u32::MAX);
    !checksum::fold(checksum::sum(
        ip.pseudo_header(IpProtocol::TCP.0, len),
        segment,
    ))
}

/// One TCP option, as the view's iterator yields it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TcpOptionView<'a> {
    /// Option kind.
    pub kind: u8,
    /// Option data without kind and length (empty for end-of-list and no-operation).
    pub data: &'a [u8],
}

impl TcpOptionView<'_> {
    /// The owned option. A known kind whose length does not match its layout (an MSS option
    /// of 3 bytes, say) becomes [`TcpOption::Unknown`].
    // Always inlined: `Tcp`'s option decoding calls it once per option (about 25 instructions an
    // option when it is an out-of-line call).
    #[inline(always)]
    pub fn decode(&self) -> TcpOption {
        let o = self;
        let d = o.data;
        match (o.kind, d.len()) {
            (KIND_EOL, _) => TcpOption::EndOfList,
            (KIND_NOP, _) => TcpOption::NoOperation,
            (KIND_MSS, 2) => TcpOption::MaximumSegmentSize(be16(d, 0)),
            (KIND_WSCALE, 1) => TcpOption::WindowScale(d.first().copied().unwrap_or(0)),
            (KIND_SACK_PERMITTED, 0) => TcpOption::SackPermitted,
            (KIND_SACK, n) if n % 8 == 0 && n > 0 => TcpOption::Sack(
                d.chunks_exact(8)
                    .map(|c| (be32(c, 0), be32(c, 4)))
                    .collect(),
            ),
            (KIND_TIMESTAMPS, 8) => TcpOption::Timestamps {
                ts_val: be32(d, 0),
                ts_ecr: be32(d, 4),
            },
            (kind, _) => TcpOption::Unknown {
                kind,
                data: d.to_vec(),
            },
        }
    }
}

/// Iterator over the options of a [`TcpView`]. Stops at end-of-list; a malformed length
/// yields an error and ends the iteration.
#[derive(Debug, Clone)]
pub struct TcpOptions<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Iterator for TcpOptions<'a> {
    type Item = Result<TcpOptionView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let kind = *self.buf.get(self.at)?;
        match split_option(self.buf, self.at) {
            Ok((data, len)) => {
                self.at = if kind == KIND_EOL {
                    self.buf.len()
                } else {
                    self.at + len
                };
                Some(Ok(TcpOptionView { kind, data }))
            }
            Err(e) => {
                self.at = self.buf.len();
                Some(Err(e))
            }
        }
    }
}

const KIND_EOL: u8 = 0;
const KIND_NOP: u8 = 1;
const KIND_MSS: u8 = 2;
const KIND_WSCALE: u8 = 3;
const KIND_SACK_PERMITTED: u8 = 4;
const KIND_SACK: u8 = 5;
const KIND_TIMESTAMPS: u8 = 8;

/// The data of the option at `at` and the option's total length.
fn split_option(buf: &[u8], at: usize) -> Result<(&[u8], usize)> {
    match buf.get(at) {
        None => Err(Error::truncated(LayerKind::Tcp, 20 + at, "option", 1, 0)),
        Some(&KIND_EOL) | Some(&KIND_NOP) => Ok((&[], 1)),
        Some(_) => {
            let len = usize::from(
                *buf.get(at + 1)
                    .ok_or(Error::option_without_length(LayerKind::Tcp, 20 + at))?,
            );
            let avail = buf.len() - at;
            if len < 2 || len > avail {
                return Err(Error::BadLength {
                    layer: LayerKind::Tcp,
                    offset: 20 + at + 1,
                    field: "option length",
                    value: len,
                    reason: if len < 2 {
                        "below 2"
                    } else {
                        "past the end of the options"
                    },
                });
            }
            Ok((slice(buf, at + 2, at + len), len))
        }
    }
}

/// A TCP option (Ryu's `TCPOption*` classes).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum TcpOption {
    /// End of option list (kind 0).
    EndOfList,
    /// No operation (kind 1).
    NoOperation,
    /// Maximum segment size (kind 2).
    MaximumSegmentSize(u16),
    /// Window scale shift count (kind 3).
    WindowScale(u8),
    /// SACK permitted (kind 4).
    SackPermitted,
    /// SACK blocks, (left edge, right edge) pairs (kind 5).
    Sack(Vec<(u32, u32)>),
    /// Timestamps (kind 8).
    Timestamps {
        /// TSval.
        ts_val: u32,
        /// TSecr.
        ts_ecr: u32,
    },
    /// Any other kind, or a known kind with an unexpected length: kind and data, raw.
    Unknown {
        /// Option kind.
        kind: u8,
        /// Data without kind and length.
        data: Vec<u8>,
    },
    /// Bytes that are not options: what follows end-of-list (padding), or the rest of the
    /// options area from a malformed option on (as Ryu keeps it). Emitted as they are.
    Raw(Vec<u8>),
}

impl TcpOption {
    /// Bytes the option takes in the options area.
    fn wire_len(&self) -> usize {
        match self {
            TcpOption::EndOfList | TcpOption::NoOperation => 1,
            TcpOption::MaximumSegmentSize(_) => 4,
            TcpOption::WindowScale(_) => 3,
            TcpOption::SackPermitted => 2,
            TcpOption::Sack(b) => 2 + 8 * b.len(),
            TcpOption::Timestamps { .. } => 10,
            TcpOption::Unknown { data, .. } => 2 + data.len(),
            TcpOption::Raw(b) => b.len(),
        }
    }

    fn write(&self, out: &mut Vec<u8>) -> Result<()> {
        let too_long = || Error::Unencodable {
            layer: LayerKind::Tcp,
            what: "option",
            reason: "longer than 255 bytes",
        };
        match self {
            TcpOption::EndOfList => out.push(KIND_EOL),
            TcpOption::NoOperation => out.push(KIND_NOP),
            TcpOption::MaximumSegmentSize(m) => {
                out.extend_from_slice(&[KIND_MSS, 4]);
                out.extend_from_slice(&m.to_be_bytes());
            }
            TcpOption::WindowScale(s) => out.extend_from_slice(&[KIND_WSCALE, 3, *s]),
            TcpOption::SackPermitted => out.extend_from_slice(&[KIND_SACK_PERMITTED, 2]),
            TcpOption::Sack(blocks) => {
                let len = u8::try_from(2 + 8 * blocks.len()).map_err(|_| too_long())?;
                out.extend_from_slice(&[KIND_SACK, len]);
                for (l, r) in blocks {
                    out.extend_from_slice(&l.to_be_bytes());
                    out.extend_from_slice(&r.to_be_bytes());
                }
            }
            TcpOption::Timestamps { ts_val, ts_ecr } => {
                out.extend_from_slice(&[KIND_TIMESTAMPS, 10]);
                out.extend_from_slice(&ts_val.to_be_bytes());
                out.extend_from_slice(&ts_ecr.to_be_bytes());
            }
            TcpOption::Unknown { kind, data } => {
                let len = u8::try_from(2 + data.len()).map_err(|_| too_long())?;
                out.extend_from_slice(&[*kind, len]);
                out.extend_from_slice(data);
            }
            TcpOption::Raw(b) => out.extend_from_slice(b),
        }
        Ok(())
    }

    /// Decodes an options area the way [`Tcp::parse`] does: never fails; bytes after
    /// end-of-list and from a malformed option on become a [`TcpOption::Raw`] item.
    pub fn parse_all(buf: &[u8]) -> Vec<TcpOption> {
        // Two passes over the (at most 40-byte) area: count, then allocate once. The count is
        // bounded by the buffer's length, not by a length field.
        let mut count = 0;
        let at = Self::walk_all(buf, |_| count += 1);
        let mut out = Vec::with_capacity(count + usize::from(at < buf.len()));
        Self::walk_all(buf, |o| out.push(o.decode()));
        if at < buf.len() {
            out.push(TcpOption::Raw(crate::bytes::tail(buf, at).to_vec()));
        }
        out
    }

    /// Calls `f` for each well-formed option up to end-of-list or the first malformed option;
    /// returns where that stopped.
    #[inline]
    fn walk_all<'a>(buf: &'a [u8], mut f: impl FnMut(TcpOptionView<'a>)) -> usize {
        let mut at = 0;
        while at < buf.len() {
            match split_option(buf, at) {
                Ok((data, len)) => {
                    let kind = buf.get(at).copied().unwrap_or(0);
                    f(TcpOptionView { kind, data });
                    at += len;
                    if kind == KIND_EOL {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        at
    }
}

impl fmt::Display for TcpOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TcpOption::EndOfList => write!(f, "TCPOptionEndOfOptionList(kind=0,length=1)"),
            TcpOption::NoOperation => write!(f, "TCPOptionNoOperation(kind=1,length=1)"),
            TcpOption::MaximumSegmentSize(m) => {
                write!(
                    f,
                    "TCPOptionMaximumSegmentSize(kind=2,length=4,max_seg_size={m})"
                )
            }
            TcpOption::WindowScale(s) => {
                write!(f, "TCPOptionWindowScale(kind=3,length=3,shift_cnt={s})")
            }
            TcpOption::SackPermitted => write!(f, "TCPOptionSACKPermitted(kind=4,length=2)"),
            TcpOption::Sack(b) => {
                write!(f, "TCPOptionSACK(blocks=[")?;
                for (i, (l, r)) in b.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "({l}, {r})")?;
                }
                write!(f, "],kind=5,length={})", 2 + 8 * b.len())
            }
            TcpOption::Timestamps { ts_val, ts_ecr } => {
                write!(
                    f,
                    "TCPOptionTimestamps(kind=8,length=10,ts_ecr={ts_ecr},ts_val={ts_val})"
                )
            }
            TcpOption::Unknown { kind, data } => {
                write!(
                    f,
                    "TCPOptionUnknown(kind={kind},length={},value={})",
                    2 + data.len(),
                    PyBytes(data)
                )
            }
            TcpOption::Raw(b) => PyBytes(b).fmt(f),
        }
    }
}

/// A TCP header (Ryu's `tcp`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Tcp {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgment number.
    pub ack: u32,
    /// Data offset in 32-bit words; `None`: from the options.
    pub offset: Option<u8>,
    /// Flags and reserved bits (Ryu's `bits`, which keeps only the low 6).
    pub bits: TcpFlags,
    /// Window.
    pub window_size: u16,
    /// Checksum; `None`: computed over the pseudo-header of the IP layer below.
    pub csum: Option<u16>,
    /// Urgent pointer.
    pub urgent: u16,
    /// The options area, raw: each option's kind, length and data, then any padding, as they
    /// came (stored inline: no allocation for the at most 40 bytes a header holds). Padded
    /// with zeros to a multiple of 4 bytes on emit. Ryu's list of option objects is
    /// [`option_list`](Tcp::option_list); build it with [`push_option`](Tcp::push_option) or
    /// [`with_options`](Tcp::with_options).
    #[cfg_attr(feature = "serde", serde(with = "option_json"))]
    pub option: SmallBytes,
}

impl Tcp {
    /// A header with the given ports and flags, everything else zero or computed.
    pub fn new(src_port: u16, dst_port: u16, bits: TcpFlags) -> Self {
        Tcp {
            src_port,
            dst_port,
            seq: 0,
            ack: 0,
            offset: None,
            bits,
            window_size: 0,
            csum: None,
            urgent: 0,
            option: SmallBytes::new(),
        }
    }

    /// The header with `options` as its options area (see [`push_option`](Tcp::push_option)).
    pub fn with_options<'o>(
        mut self,
        options: impl IntoIterator<Item = &'o TcpOption>,
    ) -> Result<Self> {
        self.option.clear();
        for o in options {
            self.push_option(o)?;
        }
        Ok(self)
    }

    /// Appends `option` to the options area, encoded (kind, length, data). An option longer
    /// than its 8-bit length field is [`Error::Unencodable`]; an area longer than 40 bytes is
    /// accepted here and refused when the header is encoded.
    pub fn push_option(&mut self, option: &TcpOption) -> Result<()> {
        let mut v = Vec::with_capacity(option.wire_len());
        option.write(&mut v)?;
        self.option.extend_from_slice(&v);
        Ok(())
    }

    /// The options as Ryu lists them (`tcp.option`): each well-formed option up to end-of-list
    /// or the first malformed one, then the bytes after it as a [`TcpOption::Raw`]
    /// ([`TcpOption::parse_all`]). Allocates; [`option_iter`](Tcp::option_iter) does not.
    pub fn option_list(&self) -> Vec<TcpOption> {
        TcpOption::parse_all(&self.option)
    }

    /// The options, as [`TcpView::option_iter`] yields them (no allocation).
    pub fn option_iter(&self) -> TcpOptions<'_> {
        TcpOptions {
            buf: &self.option,
            at: 0,
        }
    }

    /// Parses the header at the front of `buf` (the whole segment).
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(TcpView::parse(buf)?.decode())
    }

    /// True if every flag of `flags` is set.
    pub fn has_flags(&self, flags: TcpFlags) -> bool {
        self.bits.contains(flags)
    }

    fn options_len(&self) -> usize {
        self.option.len().div_ceil(4) * 4
    }
}

impl<T: AsRef<[u8]>> TcpView<T> {
    /// The owned value: copies the header out of a checked view.
    pub fn decode(&self) -> Tcp {
        Tcp {
            option: SmallBytes::from_slice(self.options()),
            ..self.decode_without_options()
        }
    }

    /// [`decode`](TcpView::decode) with no option bytes: the owned decode of a
    /// [`Packet`](crate::Packet) copies them into the layer once it is in its list.
    #[inline(always)]
    pub(crate) fn decode_without_options(&self) -> Tcp {
        let v = self;
        Tcp {
            src_port: v.src_port(),
            dst_port: v.dst_port(),
            seq: v.seq(),
            ack: v.ack(),
            offset: Some(v.data_offset()),
            bits: v.flags(),
            window_size: v.window(),
            csum: Some(v.checksum()),
            urgent: v.urgent(),
            option: SmallBytes::new(),
        }
    }
}

pub(crate) fn step_tcp(buf: &[u8]) -> Result<Step> {
    let v = TcpView::parse(buf)?;
    if v.header_len() > TcpView::<&[u8]>::MIN_HEADER_LEN {
        crate::walk::check_options(
            LayerKind::Tcp,
            v.options(),
            TcpView::<&[u8]>::MIN_HEADER_LEN,
        )?;
    }
    Ok(Step {
        header_len: v.header_len(),
        end: buf.len(),
        next: Next::Payload,
    })
}

impl Protocol for Tcp {
    const KIND: LayerKind = LayerKind::Tcp;

    fn header_len(&self) -> usize {
        20 + self.options_len()
    }

    fn emit(&self, buf: &mut [u8], ctx: &EmitContext) -> Result<()> {
        let hl = self.header_len();
        emit_room(LayerKind::Tcp, buf, hl)?;
        let offset = header_words(LayerKind::Tcp, self.offset, hl)?;
        let h = TcpHeader {
            src_port: U16::new(self.src_port),
            dst_port: U16::new(self.dst_port),
            seq: U32::new(self.seq),
            ack: U32::new(self.ack),
            off_flags: U16::new((u16::from(offset & 0x0f) << 12) | (self.bits.0 & 0x0fff)),
            window: U16::new(self.window_size),
            checksum: U16::new(self.csum.unwrap_or(0)),
            urgent: U16::new(self.urgent),
        };
        h.write_to(buf);
        put_bytes(buf, 20, &self.option);
        if let Some(pad) = buf.get_mut(20 + self.option.len()..hl) {
            pad.fill(0);
        }
        if self.csum.is_none() {
            let ip = ctx.ip.ok_or(Error::Unencodable {
                layer: LayerKind::Tcp,
                what: "checksum",
                reason: "no IP layer below to take the pseudo-header from; set csum",
            })?;
            let c = tcp_checksum(&ip, buf);
            put16(buf, 16, c);
        }
        Ok(())
    }

    fn from_layer(layer: &Layer) -> Option<&Self> {
        match layer {
            Layer::Tcp(v) => Some(v),
            _ => None,
        }
    }

    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self> {
        match layer {
            Layer::Tcp(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Tcp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "tcp(ack={},bits={},csum={},dst_port={},offset={},option=",
            self.ack,
            self.bits.0,
            Opt(self.csum),
            self.dst_port,
            Opt(self.offset)
        )?;
        if self.option.is_empty() {
            f.write_str("None")?;
        } else {
            List(&self.option_list()).fmt(f)?;
        }
        write!(
            f,
            ",seq={},src_port={},urgent={},window_size={})",
            self.seq, self.src_port, self.urgent, self.window_size
        )
    }
}

/// One option on its own, as it sits in the options area: kind, length and data (a
/// [`TcpOption::Raw`] as it is). An option longer than its 8-bit length field is
/// [`Error::Unencodable`].
impl Encode for TcpOption {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.wire_len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        let n = self.wire_len();
        let out = room(buf, n)?;
        let mut v = Vec::with_capacity(n);
        self.write(&mut v)?;
        put_bytes(out, 0, &v);
        Ok(n)
    }
}

/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for TcpView<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}
/// What the decoded value prints.
impl fmt::Display for TcpOptionView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

impl core::iter::FusedIterator for TcpOptions<'_> {}
