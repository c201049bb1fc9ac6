//! The match (`ofp_match`): the owned [`Match`], the zero-copy [`MatchView`] and its
//! [`OxmIter`].

use super::*;

/// An OpenFlow 1.3 match (`ofp_match`, type [`OFPMT_OXM`]), owned.
///
/// `fields` is exactly the wire's list: order and duplicates are kept. Build one with
/// [`Match::new`] and the per-field methods (`Match::new().in_port(1).eth_type(0x0800)`),
/// check it with [`Match::validate`], read it with the `get_*` getters.
///
/// The first [`MatchFields::INLINE`] fields are kept in the value (no allocation), the rest
/// on the heap: a `Match` takes 168 bytes whatever it holds (a `Vec` took 24).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Match {
    /// The OXM TLVs, in wire order.
    pub fields: MatchFields,
}

/// The fields of a [`Match`]: up to 4 inline (a PACKET_IN's pipeline fields, a learning
/// switch's or a router's match), on the heap past that. It dereferences to `[OxmField]`,
/// compares with slices, arrays and vectors, and converts from and into `Vec<OxmField>`.
pub type MatchFields = InlineVec<OxmField, 4>;

impl Match {
    /// An empty match (matches every packet).
    pub fn new() -> Self {
        Match::default()
    }

    /// Appends a field.
    #[must_use]
    pub fn push(mut self, field: OxmField) -> Self {
        self.fields.push(field);
        self
    }

    /// True when no field is set.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The `length` field: 4 + the TLVs (without the padding).
    pub fn length(&self) -> usize {
        MATCH_HEADER_LEN
            + self
                .fields
                .iter()
                .map(WireWrite::encoded_len)
                .sum::<usize>()
    }

    /// Parses an `ofp_match`: type (must be [`OFPMT_OXM`], [`Error::BadValue`] otherwise),
    /// length (at least 4 and within `r`, [`Error::BadLength`] otherwise), the TLVs, then the
    /// zero padding to a multiple of 8.
    pub fn parse(r: &mut Reader<'_>) -> Result<Match> {
        MatchView::parse(r).map(|m| m.decode())
    }
}

crate::codec::impl_encode!(Match);

impl WireWrite for Match {
    fn encoded_len(&self) -> usize {
        let len = self.length();
        len + pad8(len)
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        let len = self.length();
        out.put_u16(OFPMT_OXM);
        out.put_u16(len16("ofp_match.length", len)?);
        for f in &self.fields {
            f.write(out)?;
        }
        put_zeros(out, pad8(len));
        Ok(())
    }
}

impl FromIterator<OxmField> for Match {
    fn from_iter<I: IntoIterator<Item = OxmField>>(iter: I) -> Self {
        Match {
            fields: iter.into_iter().collect(),
        }
    }
}

impl From<Vec<OxmField>> for Match {
    fn from(fields: Vec<OxmField>) -> Self {
        Match {
            fields: fields.into(),
        }
    }
}

impl From<MatchFields> for Match {
    fn from(fields: MatchFields) -> Self {
        Match { fields }
    }
}

/// Reads the `type` and `length` of an `ofp_match` and checks them: OXM, at least the 4-byte
/// header, its fields within `r`. Returns `length` (the header and the fields, without the
/// padding); `r` is left at the first field.
pub(crate) fn read_match_head(r: &mut Reader<'_>) -> Result<usize> {
    let offset = r.offset();
    let ty = r.u16("ofp_match.type")?;
    if ty != OFPMT_OXM {
        return Err(Error::BadValue {
            what: "ofp_match.type",
            offset,
            value: u64::from(ty),
            expected: "OFPMT_OXM (1)",
        });
    }
    let len = usize::from(r.u16("ofp_match.length")?);
    if len < MATCH_HEADER_LEN {
        return Err(Reader::bad_length(
            "ofp_match.length",
            offset + 2,
            len,
            "less than the 4-byte ofp_match header",
        ));
    }
    if len - MATCH_HEADER_LEN > r.remaining() {
        return Err(Reader::bad_length(
            "ofp_match.length",
            offset + 2,
            len,
            "runs past the end of the buffer",
        ));
    }
    Ok(len)
}

/// An `ofp_match` borrowed from a message.
///
/// [`MatchView::parse`] checks the header, the padding and the framing of every TLV, so
/// [`MatchView::fields`] never yields an error in practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchView<'a> {
    fields: &'a [u8],
    offset: usize,
}

impl<'a> MatchView<'a> {
    /// Parses an `ofp_match` (see [`Match::parse`] for the checks), borrowing its TLVs.
    pub fn parse(r: &mut Reader<'a>) -> Result<MatchView<'a>> {
        let offset = r.offset();
        let len = read_match_head(r)?;
        let fr = r.sub(len - MATCH_HEADER_LEN, "ofp_match.oxm_fields")?;
        let fields = fr.peek_rest();
        // The TLVs' framing, walked on the slice (errors as OxmFieldView::parse makes them).
        let base = fr.offset();
        let mut i = 0usize;
        while i < fields.len() {
            let rest = fields.len() - i;
            let Some(&l) = fields.get(i + 3) else {
                return Err(Error::Truncated {
                    what: "oxm_header",
                    offset: base + i,
                    needed: OXM_HEADER_LEN,
                    available: rest,
                });
            };
            let l = usize::from(l);
            if l > rest - OXM_HEADER_LEN {
                return Err(Reader::bad_length(
                    "oxm_header.length",
                    base + i + 3,
                    l,
                    "OXM payload runs past the end of its container",
                ));
            }
            i += OXM_HEADER_LEN + l;
        }
        r.pad(pad8(len), "ofp_match.pad")?;
        Ok(MatchView { fields, offset })
    }

    /// A match whose header, padding and TLV framing a fast path has checked: `fields` are
    /// the TLVs, `offset` the offset of the match header in the message. (The owned FLOW_MOD
    /// decode leaves the framing unchecked here and decodes the match only through
    /// [`decode_into_framing`](Self::decode_into_framing), which checks it.)
    #[inline(always)]
    pub(crate) fn from_checked(fields: &'a [u8], offset: usize) -> MatchView<'a> {
        MatchView { fields, offset }
    }

    /// Offset of the match from the start of the message.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The `length` field (4 + TLVs, without padding).
    pub fn length(&self) -> usize {
        MATCH_HEADER_LEN + self.fields.len()
    }

    /// Bytes the match occupies, padding included.
    pub fn encoded_len(&self) -> usize {
        let len = self.length();
        len + pad8(len)
    }

    /// The TLV bytes.
    pub fn field_bytes(&self) -> &'a [u8] {
        self.fields
    }

    /// True when the match has no TLV.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The TLVs in wire order.
    #[inline]
    pub fn fields(&self) -> OxmIter<'a> {
        OxmIter::new_unchecked(self.fields, self.offset + MATCH_HEADER_LEN)
    }

    /// The TLVs in wire order, as plain items: [`MatchView::parse`] (and the fast paths of
    /// the views that hold a match) checked the framing of every TLV, so there is no error
    /// to yield and nothing is checked again. Each item is the TLV's 32-bit header and its
    /// payload ([`OxmFieldView::header`], [`OxmFieldView::payload`]): a reader that knows the
    /// fields it expects compares the whole header (class, field, mask bit and length) with
    /// one integer test, as in [`InstructionVisitor`](crate::instruction::InstructionVisitor)'s
    /// example. [`fields`](Self::fields) yields the same TLVs as `Result` items.
    #[inline]
    pub fn tlvs(&self) -> OxmTlvs<'a> {
        OxmTlvs {
            rest: self.fields,
            offset: self.offset + MATCH_HEADER_LEN,
        }
    }

    /// The first well-formed basic field numbered `field`, decoded.
    pub fn basic(&self, field: u8) -> Option<OxmField> {
        self.fields()
            .filter_map(|f| f.ok())
            .filter(|f| f.class() == OFPXMC_OPENFLOW_BASIC && f.field() == field)
            .find_map(|f| f.typed())
    }

    /// The owned match.
    #[inline]
    pub fn decode(&self) -> Match {
        // Inline room for the first fields; past it, the TLVs left are counted once.
        let mut m = Match::default();
        self.decode_append_counting(&mut m.fields);
        m
    }

    /// [`decode`](Self::decode) into `m` (empty), in place.
    #[inline(always)]
    pub(crate) fn decode_into(&self, m: &mut Match) {
        self.decode_append_counting(&mut m.fields);
    }

    /// [`decode`](Self::decode) into room for `n` fields (inline up to
    /// [`MatchFields::INLINE`], else allocated once; `n` is the number of TLVs, [`oxm_count`],
    /// so never more than the bytes allow).
    #[inline]
    pub(crate) fn decode_counted(&self, n: usize) -> Match {
        let mut m = Match {
            fields: MatchFields::with_capacity(n),
        };
        self.decode_append::<false>(&mut m.fields);
        m
    }

    /// Appends the decoded fields to `fields`, in place. With `COUNT_PAST_ROOM`, when
    /// `fields` is full before a TLV (past its inline room), the TLVs left are counted and
    /// room made for exactly them: one allocation, at its final size, and no count at all for
    /// a match that fits inline. Without it, `fields` must have room for every TLV
    /// ([`decode_counted`](Self::decode_counted)).
    #[inline(always)]
    pub(crate) fn decode_append<const COUNT_PAST_ROOM: bool>(&self, fields: &mut MatchFields) {
        append_tlvs::<COUNT_PAST_ROOM>(self.fields, fields);
    }

    /// [`decode_into`](Self::decode_into) for a view whose TLV framing nobody checked (a fast
    /// path that leaves the check to this walk): false when the TLVs do not fill the match
    /// exactly (`m` then holds some of the fields before the first that does not fit, and the
    /// caller refuses the match).
    #[inline(always)]
    pub(crate) fn decode_into_framing(&self, m: &mut Match) -> bool {
        append_tlvs::<true>(self.fields, &mut m.fields)
    }

    /// [`decode_append`](Self::decode_append) counting past the inline room, inlined into the
    /// caller, which builds the match in its own slot and hands its fields here. (Out of line
    /// it saved ~27 instructions per FLOW_MOD while each TLV went through the general OXM
    /// decode; with the common fields told by their header it costs ~36: measured.)
    #[inline(always)]
    fn decode_append_counting(&self, fields: &mut MatchFields) {
        self.decode_append::<true>(fields);
    }
}

/// [`MatchView::decode_append`] over the TLVs `tlvs`, read straight off the slice, each
/// pushed where it stays.
///
/// True when the TLVs fill `tlvs` exactly, which they do when the view's maker checked their
/// framing ([`MatchView::parse`], the fast paths of the views that hold a match): the walk is
/// also the framing check of a caller that did not make it first
/// ([`MatchView::decode_into_framing`]). On a broken framing the walk stops at the TLV that
/// does not fit, or (with `COUNT_PAST_ROOM`) as soon as the inline room is full, since the
/// TLVs left cannot be counted: `fields` then holds only some of the fields before it.
#[inline(always)]
fn append_tlvs<const COUNT_PAST_ROOM: bool>(tlvs: &[u8], fields: &mut MatchFields) -> bool {
    let mut rest = tlvs;
    // Free slots left, kept in a register: one test per TLV instead of asking the vector.
    let mut room = fields.capacity().saturating_sub(fields.len());
    while let Some((h, tail)) = rest.split_first_chunk::<OXM_HEADER_LEN>() {
        let Some((payload, tail)) = tail.split_at_checked(usize::from(h[3])) else {
            break;
        };
        if COUNT_PAST_ROOM && room == 0 {
            // The TLVs left, this one included (at least 1), counted once, room made for
            // exactly them. No count means a broken framing: the caller refuses the match,
            // so nothing more is decoded (growing one slot per TLV, each after a count of
            // the TLVs left, was quadratic in the match's length).
            let Some(n) = oxm_count(rest) else {
                return false;
            };
            room = n.max(1);
            fields.reserve_exact(room);
        }
        room = room.saturating_sub(1);
        rest = tail;
        // The fields a controller matches most told by their whole header, each pushed from
        // its own arm; everything else through the general OXM decode.
        crate::oxm::push_common_oxm!(u32::from_be_bytes(*h), payload, |f| {
            fields.push(f);
            continue;
        });
        fields.push(OxmField::from_parts_inline(
            u16::from_be_bytes([h[0], h[1]]),
            h[2] >> 1,
            h[2] & 1 != 0,
            payload,
        ));
    }
    rest.is_empty()
}

/// The number of OXM TLVs packed in `oxms` (a 4-byte header whose last byte is the payload
/// length, then the payload) when they fill it exactly; `None` when their framing is broken.
#[inline]
pub(crate) fn oxm_count(oxms: &[u8]) -> Option<usize> {
    let mut rest = oxms;
    let mut n = 0;
    while let Some((h, tail)) = rest.split_first_chunk::<4>() {
        rest = tail.get(usize::from(h[3])..)?;
        n += 1;
    }
    rest.is_empty().then_some(n)
}

/// Iterator over the OXM TLVs of a match (or of any run of TLVs).
#[derive(Debug, Clone)]
pub struct OxmIter<'a> {
    /// The TLVs not yet iterated.
    rest: &'a [u8],
    /// Offset of `rest` in the message.
    offset: usize,
}

impl<'a> OxmIter<'a> {
    /// Iterates over TLVs packed in `buf` (whose first byte is at `offset` in the message).
    /// Unchecked: each TLV is checked as it is read (one that fails yields an error and ends
    /// the iteration), so nothing panics.
    #[inline]
    pub fn new_unchecked(buf: &'a [u8], offset: usize) -> Self {
        OxmIter { rest: buf, offset }
    }
}

/// The error for the malformed TLV at the front of `rest` (at `offset`), built by the general
/// parser. It takes values, not the iterator, so that the iterator's state can stay in
/// registers.
#[cold]
#[inline(never)]
fn oxm_error(rest: &[u8], offset: usize) -> Error {
    match OxmFieldView::parse(&mut Reader::new(rest, offset)) {
        Err(e) => e,
        // Not reached: `next` only calls this for a TLV that does not fit.
        Ok(_) => Error::Truncated {
            what: "oxm_header",
            offset,
            needed: OXM_HEADER_LEN,
            available: rest.len(),
        },
    }
}

impl<'a> Iterator for OxmIter<'a> {
    type Item = Result<OxmFieldView<'a>>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        // The common case first: a whole TLV at the front. The end of the list and the error
        // (after which `rest` is emptied, so that nothing more is yielded) come after it.
        if let Some((h, tail)) = self.rest.split_first_chunk::<4>() {
            if let Some((payload, tail)) = tail.split_at_checked(usize::from(h[3])) {
                let f = OxmFieldView {
                    header: OxmHeader(u32::from_be_bytes(*h)),
                    payload,
                    offset: self.offset,
                };
                self.offset += OXM_HEADER_LEN + payload.len();
                self.rest = tail;
                return Some(Ok(f));
            }
        }
        if self.rest.is_empty() {
            return None;
        }
        let e = oxm_error(self.rest, self.offset);
        self.rest = &[];
        Some(Err(e))
    }
}

impl core::iter::FusedIterator for OxmIter<'_> {}

/// The TLVs of a checked match as plain items ([`MatchView::tlvs`]).
#[derive(Debug, Clone)]
pub struct OxmTlvs<'a> {
    /// The TLVs not yet iterated, their framing checked.
    rest: &'a [u8],
    /// Offset of `rest` in the message.
    offset: usize,
}

impl<'a> Iterator for OxmTlvs<'a> {
    type Item = OxmFieldView<'a>;

    #[inline]
    fn next(&mut self) -> Option<OxmFieldView<'a>> {
        let (h, tail) = self.rest.split_first_chunk::<OXM_HEADER_LEN>()?;
        // Always there: the match's framing was checked when its view was made. Were it not,
        // the iteration would end here.
        let (payload, tail) = tail.split_at_checked(usize::from(h[3]))?;
        let f = OxmFieldView {
            header: OxmHeader(u32::from_be_bytes(*h)),
            payload,
            offset: self.offset,
        };
        self.offset += OXM_HEADER_LEN + payload.len();
        self.rest = tail;
        Some(f)
    }
}

impl core::iter::FusedIterator for OxmTlvs<'_> {}

impl fmt::Display for OxmHeader {
    /// The spec's name of a basic field (`eth_dst`, `eth_dst/mask`), or
    /// `class 0x0001 field 5` for the rest.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.basic_name() {
            Some(n) => {
                f.write_str(n)?;
                if self.hasmask() {
                    f.write_str("/mask")?;
                }
                Ok(())
            }
            None => write!(f, "class {:#06x} field {}", self.class(), self.field()),
        }
    }
}
