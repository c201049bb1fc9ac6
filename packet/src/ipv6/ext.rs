//! IPv6 extension headers (RFC 8200 §4): the walk through the next-header chain, the borrowed
//! and owned headers.

use super::*;

/// Where the extension-header chain ends: what the upper layer is and where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpperLayer {
    /// The protocol announced by the last next-header field (for a non-first fragment, the
    /// protocol of the fragmented packet).
    pub next_header: IpProtocol,
    /// Offset of the first byte after the extension headers, from the start of the IPv6 header.
    pub offset: usize,
    /// The walk stopped at the fragment header of a non-first fragment: what follows is a piece
    /// of the original packet's data, not a header.
    pub non_first_fragment: bool,
}

/// True for the next-header numbers this module walks through as extension headers.
pub const fn is_extension_header(p: IpProtocol) -> bool {
    matches!(p.0, 0 | 43 | 44 | 51 | 60)
}

/// The length of the extension header of type `kind` at `off` in `buf` (which ends where the
/// payload length ends), `None` if `kind` is not an extension header this module walks.
pub(crate) fn ext_len(kind: IpProtocol, buf: &[u8], off: usize) -> Result<Option<usize>> {
    let remaining = buf.len().saturating_sub(off);
    let (len, size) = match kind {
        IpProtocol::HOPOPT | IpProtocol::IPV6_ROUTE | IpProtocol::IPV6_OPTS => {
            need(L, buf, off, 2, "extension header")?;
            let size = buf.get(off + 1).copied().unwrap_or(0);
            ((usize::from(size) + 1) * 8, size)
        }
        IpProtocol::IPV6_FRAG => {
            need(L, buf, off, 8, "fragment header")?;
            return Ok(Some(8));
        }
        IpProtocol::AH => {
            need(L, buf, off, 2, "authentication header")?;
            let size = buf.get(off + 1).copied().unwrap_or(0);
            if size == 0 {
                return Err(Error::BadLength {
                    layer: L,
                    offset: off + 1,
                    field: "payload_len",
                    value: 0,
                    reason: "an authentication header holds at least 12 bytes (payload_len >= 1)",
                });
            }
            ((usize::from(size) + 2) * 4, size)
        }
        _ => return Ok(None),
    };
    if len > remaining {
        return Err(Error::BadLength {
            layer: L,
            offset: off + 1,
            field: "hdr_ext_len",
            value: usize::from(size),
            reason: "the extension header runs past the end of the payload length",
        });
    }
    if matches!(kind, IpProtocol::HOPOPT | IpProtocol::IPV6_OPTS) {
        check_options(slice(buf, off + 2, off + len), off + 2)?;
    }
    Ok(Some(len))
}

/// True if the 8-byte fragment header `h` has a non-zero fragment offset.
pub(super) fn non_first_fragment(h: &[u8]) -> bool {
    be16(h, 2) >> 3 != 0
}

/// Walks the chain to its end, validating every extension header.
pub(super) fn walk(bounded: &[u8], first: IpProtocol) -> Result<UpperLayer> {
    let mut it = ExtHeaders {
        buf: bounded,
        off: Ipv6View::<&[u8]>::HEADER_LEN,
        nxt: first,
        state: WalkState::Going,
    };
    for h in &mut it {
        h?;
    }
    Ok(it.upper())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WalkState {
    Going,
    Done,
    Fragment,
    Failed,
}

/// One extension header inside an [`Ipv6View`], as [`ExtHeaders`] yields it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtHeaderView<'a> {
    kind: IpProtocol,
    offset: usize,
    bytes: &'a [u8],
}

impl<'a> ExtHeaderView<'a> {
    /// The header's type: the next-header number that announced it.
    pub fn kind(&self) -> IpProtocol {
        self.kind
    }

    /// The next-header field (what follows this header).
    pub fn next_header(&self) -> IpProtocol {
        IpProtocol(self.bytes.first().copied().unwrap_or(0))
    }

    /// Offset of the header from the start of the IPv6 header.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The whole header, next-header byte included.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The header after its first two bytes (next header and length, or next header and the
    /// reserved byte of a fragment header).
    pub fn data(&self) -> &'a [u8] {
        tail(self.bytes, 2)
    }

    /// The owned header (a copy of its bytes).
    pub fn decode(&self) -> Ipv6ExtHeader {
        Ipv6ExtHeader {
            kind: self.kind(),
            nxt: Some(self.next_header()),
            size: self.bytes().get(1).copied(),
            data: self.data().to_vec(),
        }
    }
}

/// Iterator over the extension headers of an [`Ipv6View`]; see
/// [`Ipv6View::ext_headers`].
///
/// Yields `Err` once and stops if a header is malformed, which cannot happen on a view that
/// [`Ipv6View::parse`] accepted.
#[derive(Debug, Clone)]
pub struct ExtHeaders<'a> {
    pub(super) buf: &'a [u8],
    pub(super) off: usize,
    pub(super) nxt: IpProtocol,
    pub(super) state: WalkState,
}

impl ExtHeaders<'_> {
    /// Where the chain ended, once the iterator has returned `None` (before that, where it
    /// stands now).
    pub fn upper(&self) -> UpperLayer {
        UpperLayer {
            next_header: self.nxt,
            offset: self.off,
            non_first_fragment: self.state == WalkState::Fragment,
        }
    }
}

impl<'a> Iterator for ExtHeaders<'a> {
    type Item = Result<ExtHeaderView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.state != WalkState::Going {
            return None;
        }
        match ext_len(self.nxt, self.buf, self.off) {
            Err(e) => {
                self.state = WalkState::Failed;
                Some(Err(e))
            }
            Ok(None) => {
                self.state = WalkState::Done;
                None
            }
            Ok(Some(len)) => {
                let bytes = slice(self.buf, self.off, self.off + len);
                let h = ExtHeaderView {
                    kind: self.nxt,
                    offset: self.off,
                    bytes,
                };
                self.off += len;
                self.nxt = h.next_header();
                if h.kind == IpProtocol::IPV6_FRAG && non_first_fragment(bytes) {
                    self.state = WalkState::Fragment;
                }
                Some(Ok(h))
            }
        }
    }
}

impl FusedIterator for ExtHeaders<'_> {}

/// One extension header of an [`Ipv6`] packet, kept as raw bytes.
///
/// On the wire: `next header (1) | size (1) | data`. `size` is the Hdr Ext Len field (8-byte
/// units past the first 8 for hop-by-hop, routing and destination options; 4-byte units minus 2
/// for AH); for a fragment header it is the reserved byte.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ipv6ExtHeader {
    /// This header's type (the number that announces it: 0, 43, 44, 51 or 60).
    pub kind: IpProtocol,
    /// Next header; `None` takes the type of the following extension header or of the next
    /// layer.
    pub nxt: Option<IpProtocol>,
    /// Hdr Ext Len (the reserved byte of a fragment header); `None` computes it from `data`.
    pub size: Option<u8>,
    /// Everything after the first two bytes (options, routing data, fragment offset and
    /// identification, AH's SPI, sequence number and ICV).
    pub data: Vec<u8>,
}

impl Ipv6ExtHeader {
    /// A header of type `kind` with next header and length computed.
    pub fn new(kind: IpProtocol, data: impl Into<Vec<u8>>) -> Self {
        Ipv6ExtHeader {
            kind,
            nxt: None,
            size: None,
            data: data.into(),
        }
    }

    /// A hop-by-hop options header holding `options` (already padded so that 2 + its length
    /// is a multiple of 8).
    pub fn hop_by_hop(options: impl Into<Vec<u8>>) -> Self {
        Self::new(IpProtocol::HOPOPT, options)
    }

    /// The hop-by-hop header MLD messages carry (RFC 2711 router alert with `value`, 0 for
    /// MLD, then a 2-byte PadN), as hosts send it.
    pub fn router_alert(value: u16) -> Self {
        let [hi, lo] = value.to_be_bytes();
        Self::hop_by_hop([5, 2, hi, lo, 1, 0])
    }

    /// A fragment header: `offset` in 8-byte units (13 bits), the M flag and the
    /// identification.
    pub fn fragment(offset: u16, more: bool, id: u32) -> Self {
        let [a, b] = ((offset << 3) | u16::from(more)).to_be_bytes();
        let [c, d, e, f] = id.to_be_bytes();
        Self::new(IpProtocol::IPV6_FRAG, [a, b, c, d, e, f])
    }

    /// Bytes the header takes on the wire (2 + `data`).
    pub fn wire_len(&self) -> usize {
        2 + self.data.len()
    }

    /// The size field `data` calls for, if `data` has a length this kind can encode.
    pub fn computed_size(&self) -> Option<u8> {
        let total = self.wire_len();
        let v = match self.kind {
            IpProtocol::HOPOPT | IpProtocol::IPV6_ROUTE | IpProtocol::IPV6_OPTS
                if total % 8 == 0 =>
            {
                (total / 8).checked_sub(1)?
            }
            IpProtocol::IPV6_FRAG if total == 8 => 0,
            IpProtocol::AH if total % 4 == 0 && total >= 12 => total / 4 - 2,
            _ => return None,
        };
        u8::try_from(v).ok()
    }

    /// For a fragment header: (offset in 8-byte units, more fragments, identification).
    pub fn fragment_fields(&self) -> Option<(u16, bool, u32)> {
        if self.kind != IpProtocol::IPV6_FRAG || self.data.len() != 6 {
            return None;
        }
        let om = be16(&self.data, 0);
        Some((om >> 3, om & 1 == 1, be32(&self.data, 2)))
    }

    /// For a routing header: (routing type, segments left).
    pub fn routing_fields(&self) -> Option<(u8, u8)> {
        if self.kind != IpProtocol::IPV6_ROUTE {
            return None;
        }
        Some((*self.data.first()?, *self.data.get(1)?))
    }

    /// The final destination a routing header names, if it still has segments to visit:
    /// the last address of a type 0 or type 2 (Mobile IPv6) header, Segment List[0] of a
    /// type 4 (segment routing, RFC 8754) header.
    pub(super) fn final_destination(&self) -> Option<Ipv6Addr> {
        let (rtype, left) = self.routing_fields()?;
        if left == 0 {
            return None;
        }
        let addrs = self.data.get(6..)?;
        let a: &[u8; 16] = match rtype {
            0 | 2 => addrs.rchunks_exact(16).next()?.first_chunk()?,
            4 => addrs.first_chunk()?,
            _ => return None,
        };
        Some(Ipv6Addr::from(*a))
    }
}

impl fmt::Display for Ipv6ExtHeader {
    /// Ryu's `hop_opts(...)`, `dst_opts(...)`, `fragment(...)` and `auth(...)`. Ryu decodes only
    /// type 3 routing headers; every routing header shows here as
    /// `routing(data=...,nxt=...,seg=...,size=...,type_=...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nxt = Opt(self.nxt);
        let size = Opt(self.size);
        match self.kind {
            IpProtocol::HOPOPT | IpProtocol::IPV6_OPTS => {
                let name = if self.kind == IpProtocol::HOPOPT {
                    "hop_opts"
                } else {
                    "dst_opts"
                };
                write!(f, "{name}(data=[")?;
                fmt_options(f, &self.data)?;
                write!(f, "],nxt={nxt},size={size})")
            }
            IpProtocol::IPV6_FRAG if self.fragment_fields().is_some() => {
                let (offset, more, id) = self.fragment_fields().unwrap_or_default();
                write!(
                    f,
                    "fragment(id_={id},more={},nxt={nxt},offset={offset})",
                    u8::from(more)
                )
            }
            IpProtocol::AH if self.data.len() >= 10 => write!(
                f,
                "auth(data={},nxt={nxt},seq={},size={size},spi={})",
                PyBytes(tail(&self.data, 10)),
                be32(&self.data, 6),
                be32(&self.data, 2)
            ),
            IpProtocol::IPV6_ROUTE if self.data.len() >= 2 => {
                let (rtype, seg) = self.routing_fields().unwrap_or_default();
                write!(
                    f,
                    "routing(data={},nxt={nxt},seg={seg},size={size},type_={rtype})",
                    PyBytes(tail(&self.data, 2))
                )
            }
            kind => write!(
                f,
                "ext_header(data={},kind={kind},nxt={nxt},size={size})",
                PyBytes(&self.data)
            ),
        }
    }
}

/// Writes hop-by-hop / destination options as Ryu's `option(data=...,len_=...,type_=...)`.
pub(super) fn fmt_options(f: &mut fmt::Formatter<'_>, data: &[u8]) -> fmt::Result {
    let mut off = 0usize;
    let mut first = true;
    while let Some(&t) = data.get(off) {
        if !first {
            f.write_str(", ")?;
        }
        first = false;
        if t == 0 {
            f.write_str("option(data=None,len_=-1,type_=0)")?;
            off += 1;
            continue;
        }
        let len = data.get(off + 1).copied().unwrap_or(0);
        let body = slice(data, off + 2, off + 2 + usize::from(len));
        if len == 0 {
            write!(f, "option(data=None,len_=0,type_={t})")?;
        } else {
            write!(f, "option(data={},len_={len},type_={t})", PyBytes(body))?;
        }
        off += 2 + usize::from(len);
    }
    Ok(())
}

/// An extension header on its own: next header, size and data. On its own there is no
/// following layer to take the next header from: a `nxt` of `None` is
/// [`Error::Unencodable`], as is a `size` of `None` with data whose length the header type
/// cannot express.
impl Encode for Ipv6ExtHeader {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.wire_len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        let n = self.wire_len();
        let out = room(buf, n)?;
        let nxt = self.nxt.ok_or_else(|| {
            unencodable(
                "nxt",
                "an extension header on its own has no next layer: set nxt",
            )
        })?;
        let size = match self.size {
            Some(v) => v,
            None => self.computed_size().ok_or_else(|| {
                unencodable(
                    "extension header",
                    "data length does not fit the header type's length unit",
                )
            })?,
        };
        if let [a, b, rest @ ..] = out {
            *a = nxt.0;
            *b = size;
            crate::bytes::put_bytes(rest, 0, &self.data);
        }
        Ok(n)
    }
}

/// What the decoded value prints.
impl fmt::Display for ExtHeaderView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

// ---------------------------------------------------------------------------------------------
// Hop-by-hop and destination options (RFC 8200 §4.2)

/// Option type of Pad1 (one byte, no length).
const OPT_PAD1: u8 = 0;
/// Option type of PadN.
const OPT_PADN: u8 = 1;
/// Option type of the router alert (RFC 2711).
const OPT_ROUTER_ALERT: u8 = 5;
/// Option type of the jumbo payload (RFC 2675).
const OPT_JUMBO: u8 = 0xc2;

/// Checks that `data` (the options area of a hop-by-hop or destination options header, which
/// sits at `base` in the parsed buffer) is a chain of whole TLVs.
pub(super) fn check_options(data: &[u8], base: usize) -> Result<()> {
    for o in Ipv6Options::new(data, base) {
        o?;
    }
    Ok(())
}

/// One option of a hop-by-hop or destination options header, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv6OptionView<'a> {
    type_: u8,
    data: &'a [u8],
}

/// Prints the decoded option (Ryu's notation, as [`Ipv6Option`] prints it).
impl fmt::Display for Ipv6OptionView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.decode().fmt(f)
    }
}

impl<'a> Ipv6OptionView<'a> {
    /// The option type (its top two bits say what to do when it is unknown, the third whether
    /// it may change en route).
    pub fn option_type(&self) -> u8 {
        self.type_
    }

    /// The option data (empty for Pad1).
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The owned option.
    pub fn decode(&self) -> Ipv6Option {
        match (self.type_, self.data) {
            (OPT_PAD1, _) => Ipv6Option::Pad1,
            (OPT_PADN, d) => Ipv6Option::PadN(d.to_vec()),
            (OPT_ROUTER_ALERT, &[a, b]) => Ipv6Option::RouterAlert(u16::from_be_bytes([a, b])),
            (OPT_JUMBO, &[a, b, c, d]) => Ipv6Option::Jumbo(u32::from_be_bytes([a, b, c, d])),
            (t, d) => Ipv6Option::Unknown {
                type_: t,
                data: d.to_vec(),
            },
        }
    }
}

/// Iterator over the options of a hop-by-hop or destination options header: see
/// [`ExtHeaderView::options`]. Yields `Err` once and stops on an option that runs past the
/// header, which [`Ipv6View::parse`] already refuses. Allocates nothing.
#[derive(Debug, Clone)]
pub struct Ipv6Options<'a> {
    data: &'a [u8],
    off: usize,
    base: usize,
    failed: bool,
}

impl<'a> Ipv6Options<'a> {
    /// The options of `data` (an options area); error offsets count from `base`.
    fn new(data: &'a [u8], base: usize) -> Self {
        Ipv6Options {
            data,
            off: 0,
            base,
            failed: false,
        }
    }
}

impl<'a> Iterator for Ipv6Options<'a> {
    type Item = Result<Ipv6OptionView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let t = *self.data.get(self.off)?;
        if t == OPT_PAD1 {
            self.off += 1;
            return Some(Ok(Ipv6OptionView {
                type_: t,
                data: &[],
            }));
        }
        let Some(&len) = self.data.get(self.off + 1) else {
            self.failed = true;
            return Some(Err(Error::option_without_length(L, self.base + self.off)));
        };
        let start = self.off + 2;
        let end = start + usize::from(len);
        match self.data.get(start..end) {
            Some(data) => {
                self.off = end;
                Some(Ok(Ipv6OptionView { type_: t, data }))
            }
            None => {
                self.failed = true;
                Some(Err(Error::BadLength {
                    layer: L,
                    offset: self.base + self.off + 1,
                    field: "option length",
                    value: usize::from(len),
                    reason: "the option runs past its extension header",
                }))
            }
        }
    }
}

impl FusedIterator for Ipv6Options<'_> {}

/// A hop-by-hop or destination option (RFC 8200 §4.2), decoded. Any option parses: types this
/// crate does not know, and known types with a length their layout does not have, are
/// [`Unknown`](Ipv6Option::Unknown), so that every header re-encodes to its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Ipv6Option {
    /// Pad1 (type 0): one byte of padding.
    #[cfg_attr(feature = "serde", serde(rename = "pad1"))]
    Pad1,
    /// PadN (type 1): the padding bytes (zeros when sent as RFC 8200 asks), kept.
    #[cfg_attr(feature = "serde", serde(rename = "padn"))]
    PadN(Vec<u8>),
    /// Router alert (type 5, RFC 2711): 0 for MLD, 1 for RSVP, 2 for active networks.
    #[cfg_attr(feature = "serde", serde(rename = "router_alert"))]
    RouterAlert(u16),
    /// Jumbo payload length (type 0xc2, RFC 2675).
    #[cfg_attr(feature = "serde", serde(rename = "jumbo"))]
    Jumbo(u32),
    /// Any other option, kept.
    #[cfg_attr(feature = "serde", serde(rename = "option"))]
    Unknown {
        /// Option type.
        type_: u8,
        /// Option data.
        data: Vec<u8>,
    },
}

impl Ipv6Option {
    /// The option type.
    pub fn option_type(&self) -> u8 {
        match self {
            Ipv6Option::Pad1 => OPT_PAD1,
            Ipv6Option::PadN(_) => OPT_PADN,
            Ipv6Option::RouterAlert(_) => OPT_ROUTER_ALERT,
            Ipv6Option::Jumbo(_) => OPT_JUMBO,
            Ipv6Option::Unknown { type_, .. } => *type_,
        }
    }

    fn data_len(&self) -> usize {
        match self {
            Ipv6Option::Pad1 => 0,
            Ipv6Option::PadN(d) | Ipv6Option::Unknown { data: d, .. } => d.len(),
            Ipv6Option::RouterAlert(_) => 2,
            Ipv6Option::Jumbo(_) => 4,
        }
    }
}

/// One option as it sits in its header: type, length, data (Pad1: its one byte). Data longer
/// than 255 bytes, and an `Unknown` option of type 0 (which would read back as Pad1), are
/// [`Error::Unencodable`].
impl Encode for Ipv6Option {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        match self {
            Ipv6Option::Pad1 => 1,
            o => 2 + o.data_len(),
        }
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        let n = self.encoded_len();
        let out = room(buf, n)?;
        let t = self.option_type();
        if let Ipv6Option::Pad1 = self {
            crate::bytes::put_bytes(out, 0, &[t]);
            return Ok(n);
        }
        if t == OPT_PAD1 {
            return Err(unencodable(
                "IPv6 option",
                "type 0 is Pad1, which has no data",
            ));
        }
        let len = u8::try_from(self.data_len())
            .map_err(|_| unencodable("IPv6 option", "data longer than 255 bytes"))?;
        crate::bytes::put_bytes(out, 0, &[t, len]);
        match self {
            Ipv6Option::PadN(d) | Ipv6Option::Unknown { data: d, .. } => {
                crate::bytes::put_bytes(out, 2, d)
            }
            Ipv6Option::RouterAlert(v) => crate::bytes::put_bytes(out, 2, &v.to_be_bytes()),
            Ipv6Option::Jumbo(v) => crate::bytes::put_bytes(out, 2, &v.to_be_bytes()),
            Ipv6Option::Pad1 => {}
        }
        Ok(n)
    }
}

impl fmt::Display for Ipv6Option {
    /// Ryu's `option(data=...,len_=...,type_=...)` (Pad1: `len_=-1`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut b = [0u8; 2 + 255];
        let n = self.encode(&mut b).unwrap_or(0);
        fmt_options(f, b.get(..n).unwrap_or(&[]))
    }
}

// ---------------------------------------------------------------------------------------------
// Routing headers (RFC 8200 §4.4; type 0, RFC 2460; type 2, RFC 6275; type 4, RFC 8754)

/// A routing header's type-specific part, decoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Routing {
    /// Type 0 (RFC 2460, deprecated by RFC 5095) or type 2 (Mobile IPv6, RFC 6275): a reserved
    /// word, then addresses.
    #[cfg_attr(feature = "serde", serde(rename = "addresses"))]
    Addresses {
        /// Routing type (0 or 2).
        routing_type: u8,
        /// Segments left.
        segments_left: u8,
        /// The reserved word, kept.
        reserved: [u8; 4],
        /// The addresses, in order.
        addresses: Vec<Ipv6Addr>,
    },
    /// Type 4, the segment routing header (RFC 8754 §2).
    #[cfg_attr(feature = "serde", serde(rename = "srh"))]
    Srh {
        /// Segments left.
        segments_left: u8,
        /// Index of the last element of the segment list.
        last_entry: u8,
        /// Flags (none defined by RFC 8754).
        flags: u8,
        /// Tag.
        tag: u16,
        /// The segment list, Segment List\[0\] (the last segment of the path) first.
        segments: Vec<Ipv6Addr>,
        /// The TLVs after the segment list (RFC 8754 §2.1): Pad1 is type 0 with no value.
        tlvs: Vec<SrhTlv>,
    },
}

/// A TLV of a segment routing header (RFC 8754 §2.1): Pad1 (type 0, one byte), PadN (4), HMAC
/// (5) or any other, kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SrhTlv {
    /// TLV type.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub type_: u8,
    /// Value (empty for Pad1).
    pub value: Vec<u8>,
}

/// Reads 16-byte addresses from `b`, whose length is a multiple of 16.
fn addresses(b: &[u8]) -> Vec<Ipv6Addr> {
    b.chunks_exact(16)
        .filter_map(|c| c.first_chunk::<16>())
        .map(|a| Ipv6Addr::from(*a))
        .collect()
}

/// The fixed fields of a routing header of a type this crate decodes, as
/// [`walk_routing`] finds them.
struct RoutingHead<'a> {
    routing_type: u8,
    segments_left: u8,
    /// Bytes 2..6 of the data: the reserved word (types 0, 2), or last entry, flags and tag
    /// (type 4).
    word: [u8; 4],
    /// The addresses (types 0, 2) or the segment list (type 4).
    list: &'a [u8],
}

/// Checks the data of a routing header (the bytes after next header and length; `base` is
/// where they sit, for error offsets) as [`Routing`] decodes it, handing each SRH TLV (type,
/// value) to `tlv`; `Ok(None)` for a routing type this crate does not decode. Allocates
/// nothing.
fn walk_routing<'a>(
    data: &'a [u8],
    base: usize,
    mut tlv: impl FnMut(u8, &'a [u8]),
) -> Result<Option<RoutingHead<'a>>> {
    let (Some(&rtype), Some(&left)) = (data.first(), data.get(1)) else {
        return Err(Error::truncated(L, base, "routing header", 2, data.len()));
    };
    let bad =
        |off: usize, field: &'static str, value: usize, reason: &'static str| Error::BadLength {
            layer: L,
            offset: base + off,
            field,
            value,
            reason,
        };
    let what = match rtype {
        0 | 2 => "routing header",
        4 => "segment routing header",
        _ => return Ok(None),
    };
    let Some(&[_, _, a, b, c, d]) = data.first_chunk::<6>() else {
        return Err(Error::truncated(L, base, what, 6, data.len()));
    };
    let list = if rtype == 4 {
        // a: Last Entry
        let seg_end = 6 + 16 * (usize::from(a) + 1);
        let Some(list) = data.get(6..seg_end) else {
            return Err(bad(
                2,
                "last_entry",
                usize::from(a),
                "the segment list runs past the header",
            ));
        };
        let mut off = seg_end;
        while let Some(&t) = data.get(off) {
            if t == 0 {
                tlv(0, &[]);
                off += 1;
                continue;
            }
            let Some(&len) = data.get(off + 1) else {
                return Err(Error::truncated(L, base + off, "SRH TLV", 2, 1));
            };
            let end = off + 2 + usize::from(len);
            let Some(value) = data.get(off + 2..end) else {
                return Err(bad(
                    off + 1,
                    "SRH TLV length",
                    usize::from(len),
                    "the TLV runs past the header",
                ));
            };
            tlv(t, value);
            off = end;
        }
        list
    } else {
        let addrs = tail(data, 6);
        if addrs.len() % 16 != 0 {
            return Err(bad(
                6,
                "addresses",
                addrs.len(),
                "not a multiple of 16 bytes",
            ));
        }
        addrs
    };
    Ok(Some(RoutingHead {
        routing_type: rtype,
        segments_left: left,
        word: [a, b, c, d],
        list,
    }))
}

/// Checks the data of a routing header (after next header and length, at `base`) as
/// [`ExtHeaderView::routing`] decodes it: the same errors at the same offsets, without
/// allocating. Called from [`ext_len`] on every routing header (beside `check_options` for
/// the option headers), it makes [`Ipv6View::parse`](super::Ipv6View::parse),
/// [`Packet::parse`](crate::Packet::parse) and the walk refuse what decoding the routing
/// header would refuse.
#[cfg_attr(not(test), allow(dead_code))] // until `ext_len` calls it
pub(crate) fn check_routing(data: &[u8], base: usize) -> Result<()> {
    walk_routing(data, base, |_, _| {}).map(|_| ())
}

impl Routing {
    /// Decodes the data of a routing header (the bytes after next header and length: routing
    /// type, segments left, the rest) whose type this crate knows; `Ok(None)` for another
    /// type. `base` is where `data` sits in the parsed buffer, for error offsets.
    pub(super) fn parse(data: &[u8], base: usize) -> Result<Option<Self>> {
        let mut tlvs = Vec::new();
        let Some(h) = walk_routing(data, base, |t, v| {
            tlvs.push(SrhTlv {
                type_: t,
                value: v.to_vec(),
            });
        })?
        else {
            return Ok(None);
        };
        let [w0, w1, w2, w3] = h.word;
        Ok(Some(if h.routing_type == 4 {
            Routing::Srh {
                segments_left: h.segments_left,
                last_entry: w0,
                flags: w1,
                tag: u16::from_be_bytes([w2, w3]),
                segments: addresses(h.list),
                tlvs,
            }
        } else {
            Routing::Addresses {
                routing_type: h.routing_type,
                segments_left: h.segments_left,
                reserved: h.word,
                addresses: addresses(h.list),
            }
        }))
    }

    /// The routing header's data as it goes on the wire (after next header and length). The
    /// last entry of an SRH is written as found, so a value that does not match the segment
    /// list round-trips; a TLV longer than 255 bytes or of type 0 with a value is
    /// [`Error::Unencodable`].
    pub fn to_data(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        match self {
            Routing::Addresses {
                routing_type,
                segments_left,
                reserved,
                addresses,
            } => {
                out.extend_from_slice(&[*routing_type, *segments_left]);
                out.extend_from_slice(reserved);
                for a in addresses {
                    out.extend_from_slice(&a.octets());
                }
            }
            Routing::Srh {
                segments_left,
                last_entry,
                flags,
                tag,
                segments,
                tlvs,
            } => {
                out.extend_from_slice(&[4, *segments_left, *last_entry, *flags]);
                out.extend_from_slice(&tag.to_be_bytes());
                for a in segments {
                    out.extend_from_slice(&a.octets());
                }
                for t in tlvs {
                    if t.type_ == 0 {
                        if !t.value.is_empty() {
                            return Err(unencodable(
                                "SRH TLV",
                                "type 0 is Pad1, which has no value",
                            ));
                        }
                        out.push(0);
                        continue;
                    }
                    let len = u8::try_from(t.value.len())
                        .map_err(|_| unencodable("SRH TLV", "value longer than 255 bytes"))?;
                    out.extend_from_slice(&[t.type_, len]);
                    out.extend_from_slice(&t.value);
                }
            }
        }
        Ok(out)
    }
}

fn fmt_addrs(f: &mut fmt::Formatter<'_>, a: &[Ipv6Addr]) -> fmt::Result {
    f.write_str("[")?;
    for (i, x) in a.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        fmt::Display::fmt(&Quoted(x), f)?;
    }
    f.write_str("]")
}

impl fmt::Display for Routing {
    /// `routing_addresses(addresses=[...],reserved=...,seg=...,type_=0)` and
    /// `segment_routing(flags=...,last_entry=...,segments=[...],seg=...,tag=...,tlvs=[...])`, in
    /// Ryu's style (Ryu decodes neither).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Routing::Addresses {
                routing_type,
                segments_left,
                reserved,
                addresses,
            } => {
                f.write_str("routing_addresses(addresses=")?;
                fmt_addrs(f, addresses)?;
                write!(
                    f,
                    ",reserved={},seg={segments_left},type_={routing_type})",
                    u32::from_be_bytes(*reserved)
                )
            }
            Routing::Srh {
                segments_left,
                last_entry,
                flags,
                tag,
                segments,
                tlvs,
            } => {
                write!(
                    f,
                    "segment_routing(flags={flags},last_entry={last_entry},segments="
                )?;
                fmt_addrs(f, segments)?;
                write!(f, ",seg={segments_left},tag={tag},tlvs=[")?;
                for (i, t) in tlvs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "tlv(type_={},value={})", t.type_, PyBytes(&t.value))?;
                }
                f.write_str("])")
            }
        }
    }
}

impl<'a> ExtHeaderView<'a> {
    /// The options of a hop-by-hop or destination options header (`None` for another kind).
    /// On a view [`Ipv6View::parse`] accepted, the iterator yields no error.
    pub fn options(&self) -> Option<Ipv6Options<'a>> {
        matches!(self.kind, IpProtocol::HOPOPT | IpProtocol::IPV6_OPTS)
            .then(|| Ipv6Options::new(self.data(), self.offset + 2))
    }

    /// A routing header's type 0, 2 or 4 (segment routing) fields; `None` for another kind or
    /// routing type, an error when the fields do not fit the header.
    pub fn routing(&self) -> Option<Result<Routing>> {
        if self.kind != IpProtocol::IPV6_ROUTE {
            return None;
        }
        Routing::parse(self.data(), self.offset + 2).transpose()
    }
}

impl Ipv6ExtHeader {
    /// The options of a hop-by-hop or destination options header, decoded (`None` for another
    /// kind).
    pub fn options(&self) -> Option<Result<Vec<Ipv6Option>>> {
        matches!(self.kind, IpProtocol::HOPOPT | IpProtocol::IPV6_OPTS).then(|| {
            Ipv6Options::new(&self.data, 2)
                .map(|o| o.map(|o| o.decode()))
                .collect()
        })
    }

    /// A hop-by-hop or destination options header holding `options`, with the length computed
    /// (the options must fill a multiple of 8 bytes with the 2-byte head: pad them with
    /// [`Ipv6Option::Pad1`] / [`Ipv6Option::PadN`]).
    pub fn with_options(kind: IpProtocol, options: &[Ipv6Option]) -> Result<Self> {
        let mut data = Vec::new();
        for o in options {
            o.encode_append(&mut data)?;
        }
        Ok(Self::new(kind, data))
    }

    /// A routing header's type 0, 2 or 4 fields (see [`ExtHeaderView::routing`]).
    pub fn routing(&self) -> Option<Result<Routing>> {
        if self.kind != IpProtocol::IPV6_ROUTE {
            return None;
        }
        Routing::parse(&self.data, 2).transpose()
    }

    /// A routing header from its decoded fields, with the length computed.
    pub fn with_routing(routing: &Routing) -> Result<Self> {
        Ok(Self::new(IpProtocol::IPV6_ROUTE, routing.to_data()?))
    }
}
