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
pub(super) fn ext_len(kind: IpProtocol, buf: &[u8], off: usize) -> Result<Option<usize>> {
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
            crate::wire::put_bytes(rest, 0, &self.data);
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
