//! OFPT_HELLO and version negotiation (spec 1.3.5 §6.3.1, §7.5.1).
//!
//! A HELLO body is a list of hello elements (`ofp_hello_elem_header`: type, length, then
//! `length - 4` bytes, then zero padding to a multiple of 8). OpenFlow 1.3 defines one element,
//! the version bitmap (`OFPHET_VERSIONBITMAP`): bit `v % 32` of word `v / 32` is set when the
//! sender supports version `v`. Elements of other types are kept raw. An empty body (a HELLO
//! without elements, as OpenFlow 1.0 switches send) is valid.
//!
//! [`HelloView`] iterates over the elements of a received HELLO without allocating; [`Hello`]
//! is the owned form. [`Hello::negotiate`] picks the version of the connection.

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;

use crate::codec::{len16, pad8, put_zeros, MessageBody, Reader, WireWrite};
use crate::codec_error::{Error, Result};
use crate::header::{MsgType, OFP_VERSION};

/// OFPHET_VERSIONBITMAP: the hello element type of the version bitmap.
pub const OFPHET_VERSIONBITMAP: u16 = 1;

/// Length of `ofp_hello_elem_header` (type and length).
pub const HELLO_ELEM_HEADER_LEN: usize = 4;

/// True when `version` is set in a version bitmap.
pub fn bitmap_has(words: &[u32], version: u8) -> bool {
    words
        .get(usize::from(version / 32))
        .is_some_and(|w| (w >> (version % 32)) & 1 == 1)
}

/// The version bitmap words that list exactly `versions`.
pub fn bitmap_of(versions: &[u8]) -> Vec<u32> {
    let n = versions.iter().map(|v| usize::from(v / 32) + 1).max();
    let mut words = alloc::vec![0u32; n.unwrap_or(0)];
    for &v in versions {
        if let Some(w) = words.get_mut(usize::from(v / 32)) {
            *w |= 1 << (v % 32);
        }
    }
    words
}

/// The highest version set in both bitmaps.
fn highest_common(a: &[u32], b: &[u32]) -> Option<u8> {
    (1..=u8::MAX)
        .rev()
        .find(|&v| bitmap_has(a, v) && bitmap_has(b, v))
}

/// One hello element.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HelloElement {
    /// OFPHET_VERSIONBITMAP: the versions the sender supports, as bitmap words.
    VersionBitmap(Vec<u32>),
    /// An element of a type this codec does not model, kept raw.
    Unknown {
        /// The element type.
        type_: u16,
        /// The `length - 4` bytes after the element header (padding excluded).
        data: Vec<u8>,
    },
}

impl HelloElement {
    /// The element's type.
    pub fn type_(&self) -> u16 {
        match self {
            HelloElement::VersionBitmap(_) => OFPHET_VERSIONBITMAP,
            HelloElement::Unknown { type_, .. } => *type_,
        }
    }

    /// The value of the element's length field (header included, padding excluded).
    pub fn length(&self) -> usize {
        HELLO_ELEM_HEADER_LEN
            + match self {
                HelloElement::VersionBitmap(w) => 4 * w.len(),
                HelloElement::Unknown { data, .. } => data.len(),
            }
    }
}

crate::codec::impl_encode!(HelloElement);

impl WireWrite for HelloElement {
    /// The element and its padding to a multiple of 8.
    fn encoded_len(&self) -> usize {
        let l = self.length();
        l + pad8(l)
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        let l = self.length();
        let len = len16("ofp_hello_elem_header", l)?;
        out.put_u16(self.type_());
        out.put_u16(len);
        match self {
            HelloElement::VersionBitmap(words) => {
                for w in words {
                    out.put_u32(*w);
                }
            }
            HelloElement::Unknown { data, .. } => out.put_slice(data),
        }
        put_zeros(out, pad8(l));
        Ok(())
    }
}

/// A version bitmap in a received HELLO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VersionBitmapView<'a> {
    bytes: &'a [u8],
}

impl<'a> VersionBitmapView<'a> {
    /// The bitmap words.
    pub fn words(&self) -> impl Iterator<Item = u32> + 'a {
        self.bytes
            .chunks_exact(4)
            .map(|c| c.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
    }

    /// True when `version` is set.
    pub fn supports(&self, version: u8) -> bool {
        self.words()
            .nth(usize::from(version / 32))
            .is_some_and(|w| (w >> (version % 32)) & 1 == 1)
    }

    /// The versions set, lowest first.
    pub fn versions(&self) -> impl Iterator<Item = u8> + 'a {
        let b = *self;
        (0..=u8::MAX).filter(move |&v| b.supports(v))
    }
}

/// One hello element of a received HELLO, borrowing the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HelloElementView<'a> {
    /// OFPHET_VERSIONBITMAP.
    VersionBitmap(VersionBitmapView<'a>),
    /// An element of another type.
    Unknown {
        /// The element type.
        type_: u16,
        /// The `length - 4` bytes after the element header.
        data: &'a [u8],
    },
}

impl HelloElementView<'_> {
    /// The owned element.
    pub fn decode(&self) -> HelloElement {
        match self {
            HelloElementView::VersionBitmap(b) => HelloElement::VersionBitmap(b.words().collect()),
            HelloElementView::Unknown { type_, data } => HelloElement::Unknown {
                type_: *type_,
                data: data.to_vec(),
            },
        }
    }
}

/// Iterator over the elements of a HELLO body; stops after the first error.
#[derive(Debug, Clone)]
pub struct HelloElements<'a> {
    r: Reader<'a>,
    failed: bool,
}

impl<'a> HelloElements<'a> {
    fn next_element(&mut self) -> Result<HelloElementView<'a>> {
        let r = &mut self.r;
        let start = r.offset();
        let type_ = r.u16("ofp_hello_elem_header.type")?;
        let length = usize::from(r.u16("ofp_hello_elem_header.length")?);
        if length < HELLO_ELEM_HEADER_LEN {
            return Err(Reader::bad_length(
                "ofp_hello_elem_header.length",
                start + 2,
                length,
                "below the 4-byte element header",
            ));
        }
        let body_len = length - HELLO_ELEM_HEADER_LEN;
        if body_len > r.remaining() {
            return Err(Reader::bad_length(
                "ofp_hello_elem_header.length",
                start + 2,
                length,
                "past the end of the message",
            ));
        }
        let data = r.bytes(body_len, "ofp_hello_elem")?;
        if type_ == OFPHET_VERSIONBITMAP && body_len % 4 != 0 {
            return Err(Reader::bad_length(
                "ofp_hello_elem_versionbitmap.length",
                start + 2,
                length,
                "bitmaps are 32-bit words: length must be 4 plus a multiple of 4",
            ));
        }
        r.pad(pad8(length), "ofp_hello_elem.pad")?;
        Ok(if type_ == OFPHET_VERSIONBITMAP {
            HelloElementView::VersionBitmap(VersionBitmapView { bytes: data })
        } else {
            HelloElementView::Unknown { type_, data }
        })
    }
}

impl<'a> Iterator for HelloElements<'a> {
    type Item = Result<HelloElementView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.r.is_empty() {
            return None;
        }
        let e = self.next_element();
        self.failed = e.is_err();
        Some(e)
    }
}

/// A received HELLO body, borrowing the message.
#[derive(Debug, Clone)]
pub struct HelloView<'a> {
    elements: Reader<'a>,
}

impl<'a> HelloView<'a> {
    /// Takes the rest of `r` as the list of elements (checked while iterating).
    pub fn parse(r: &mut Reader<'a>) -> Result<HelloView<'a>> {
        let base = r.offset();
        Ok(HelloView {
            elements: Reader::new(r.rest(), base),
        })
    }

    /// The elements.
    pub fn elements(&self) -> HelloElements<'a> {
        HelloElements {
            r: self.elements.clone(),
            failed: false,
        }
    }

    /// The first version bitmap element, if any (and if the elements before it are valid).
    pub fn version_bitmap(&self) -> Option<VersionBitmapView<'a>> {
        self.elements().map_while(|e| e.ok()).find_map(|e| match e {
            HelloElementView::VersionBitmap(b) => Some(b),
            HelloElementView::Unknown { .. } => None,
        })
    }

    /// The owned body (fails on the first bad element).
    pub fn decode(&self) -> Result<Hello> {
        let elements = self
            .elements()
            .map(|e| e.map(|e| e.decode()))
            .collect::<Result<Vec<_>>>()?;
        Ok(Hello { elements })
    }
}

/// OFPT_HELLO.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Hello {
    /// The hello elements; empty for a bare HELLO.
    pub elements: Vec<HelloElement>,
}

impl Hello {
    /// The HELLO this codec sends: a version bitmap offering OpenFlow 1.3 only (send it with
    /// version 0x04 in the header).
    pub fn new() -> Hello {
        Hello::with_versions(&[OFP_VERSION])
    }

    /// A HELLO whose version bitmap lists `versions`.
    pub fn with_versions(versions: &[u8]) -> Hello {
        Hello {
            elements: alloc::vec![HelloElement::VersionBitmap(bitmap_of(versions))],
        }
    }

    /// The words of the first version bitmap element, if there is one.
    pub fn version_bitmap(&self) -> Option<&[u32]> {
        self.elements.iter().find_map(|e| match e {
            HelloElement::VersionBitmap(w) => Some(w.as_slice()),
            HelloElement::Unknown { .. } => None,
        })
    }

    /// The versions the bitmap lists, lowest first (none without a bitmap).
    pub fn versions(&self) -> impl Iterator<Item = u8> + '_ {
        let words = self.version_bitmap().unwrap_or(&[]);
        (0..=u8::MAX).filter(move |&v| bitmap_has(words, v))
    }

    /// True when the version bitmap lists `version`. A HELLO without a bitmap says nothing but
    /// its header version, which this body does not hold: `supports` is then false, and
    /// [`Hello::negotiate`] applies the spec's rule.
    pub fn supports(&self, version: u8) -> bool {
        self.version_bitmap()
            .is_some_and(|w| bitmap_has(w, version))
    }

    /// The version of a connection, by spec 1.3.5 §6.3.1, from the HELLO we sent (`ours`,
    /// sent with `our_version` in its header) and the HELLO we received (`theirs`, received
    /// with `their_version`):
    /// - when both carry a version bitmap, the highest version set in both, or `None` when
    ///   they share none;
    /// - otherwise the smaller of the two header versions, or `None` when a bitmap that was
    ///   sent does not list it (that side will refuse it) or it is 0.
    ///
    /// `None` means: send OFPET_HELLO_FAILED / OFPHFC_INCOMPATIBLE
    /// ([`ErrorMsg::hello_failed`](crate::error_message::ErrorMsg::hello_failed)) and close.
    pub fn negotiate(
        ours: &Hello,
        our_version: u8,
        theirs: &Hello,
        their_version: u8,
    ) -> Option<u8> {
        match (ours.version_bitmap(), theirs.version_bitmap()) {
            (Some(a), Some(b)) => highest_common(a, b),
            (a, b) => {
                let v = our_version.min(their_version);
                let listed = |w: Option<&[u32]>| w.is_none_or(|w| bitmap_has(w, v));
                (v != 0 && listed(a) && listed(b)).then_some(v)
            }
        }
    }
}

impl MessageBody for Hello {
    const TYPE: MsgType = MsgType::HELLO;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        HelloView::parse(r)?.decode()
    }
}

crate::codec::impl_encode!(Hello);

impl WireWrite for Hello {
    fn encoded_len(&self) -> usize {
        self.elements.iter().map(WireWrite::encoded_len).sum()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        if self.encoded_len() > usize::from(u16::MAX) {
            return Err(Error::Unencodable {
                what: "OFPT_HELLO",
                reason: "elements longer than a message can hold",
            });
        }
        for e in &self.elements {
            e.write(out)?;
        }
        Ok(())
    }
}

impl fmt::Display for Hello {
    /// `OFPT_HELLO version bitmap: 0x01, 0x04` (ovs-ofctl's notation), unknown elements as
    /// `element type=N length=M`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OFPT_HELLO")?;
        for e in &self.elements {
            write!(f, " {e}")?;
        }
        Ok(())
    }
}

impl fmt::Display for HelloElement {
    /// `version bitmap: 0x01, 0x04` (ovs-ofctl's notation), unknown elements as
    /// `element type=N length=M`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HelloElement::VersionBitmap(w) => {
                f.write_str("version bitmap:")?;
                let mut first = true;
                for v in (0..=u8::MAX).filter(|&v| bitmap_has(w, v)) {
                    write!(f, "{} {v:#04x}", if first { "" } else { "," })?;
                    first = false;
                }
                Ok(())
            }
            HelloElement::Unknown { type_, .. } => {
                write!(f, "element type={type_} length={}", self.length())
            }
        }
    }
}

impl fmt::Display for HelloElementView<'_> {
    /// As [`HelloElement`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.decode().fmt(f)
    }
}

impl fmt::Display for VersionBitmapView<'_> {
    /// `version bitmap: 0x01, 0x04`, as [`HelloElement`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("version bitmap:")?;
        for (i, v) in self.versions().enumerate() {
            write!(f, "{} {v:#04x}", if i == 0 { "" } else { "," })?;
        }
        Ok(())
    }
}

crate::codec::display_decoded!(HelloView);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simple::testutil::*;
    use alloc::string::ToString;
    use alloc::vec;
    use proptest::prelude::*;

    #[test]
    fn os_ken_corpus() {
        for name in ["4-10-ofp_hello", "libofproto-OFP13-hello"] {
            let Some(msg) = corpus(name) else { return };
            let h: Hello = parse_msg(&msg);
            let Some(json) = corpus_json(name) else {
                return;
            };
            let elems = json["OFPHello"]["elements"].as_array().unwrap();
            assert_eq!(elems.len(), h.elements.len());
            let j = &elems[0]["OFPHelloElemVersionBitmap"];
            assert_eq!(j["type"], 1);
            assert_eq!(j["length"].as_u64().unwrap(), h.elements[0].length() as u64);
            let want: Vec<u8> = j["versions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| u8::try_from(v.as_u64().unwrap()).unwrap())
                .collect();
            assert_eq!(h.versions().collect::<Vec<_>>(), want, "{name}");
            // The view agrees.
            let mut r = body(&msg, MsgType::HELLO);
            let v = HelloView::parse(&mut r).unwrap();
            assert_eq!(
                v.version_bitmap().unwrap().versions().collect::<Vec<_>>(),
                want
            );
        }
        let Some(msg) = corpus("4-10-ofp_hello") else {
            return;
        };
        let h: Hello = parse_msg(&msg);
        assert_eq!(
            h.to_string(),
            "OFPT_HELLO version bitmap: 0x01, 0x02, 0x03, 0x09, 0x0a, 0x1e"
        );
    }

    #[test]
    fn new_offers_13_only() {
        let h = Hello::new();
        assert_eq!(h.to_vec().unwrap(), [0, 1, 0, 8, 0, 0, 0, 0x10]);
        assert!(h.supports(4));
        assert!(!h.supports(1) && !h.supports(5) && !h.supports(200));
        assert_eq!(h.versions().collect::<Vec<_>>(), [4]);
        assert!(!Hello::default().supports(4));
        assert_eq!(bitmap_of(&[1, 33, 64]), [2, 2, 1]);
        assert_eq!(bitmap_of(&[]), Vec::<u32>::new());
    }

    #[test]
    fn negotiate() {
        let only13 = Hello::new();
        let bare = Hello::default();
        let old = Hello::with_versions(&[1, 2, 3]);
        let wide = Hello::with_versions(&[1, 4, 5, 6]);
        // Both bitmaps: highest common.
        assert_eq!(Hello::negotiate(&only13, 4, &wide, 6), Some(4));
        assert_eq!(
            Hello::negotiate(&Hello::with_versions(&[1, 4, 5]), 5, &wide, 6),
            Some(5)
        );
        assert_eq!(Hello::negotiate(&only13, 4, &old, 3), None);
        // A bare HELLO: the smaller header version...
        assert_eq!(Hello::negotiate(&only13, 4, &bare, 4), Some(4));
        assert_eq!(Hello::negotiate(&only13, 4, &bare, 5), Some(4));
        assert_eq!(Hello::negotiate(&bare, 4, &bare, 6), Some(4));
        assert_eq!(Hello::negotiate(&bare, 4, &bare, 1), Some(1));
        // ... refused when a bitmap sent does not list it.
        assert_eq!(Hello::negotiate(&only13, 4, &bare, 1), None);
        assert_eq!(Hello::negotiate(&bare, 4, &old, 3), Some(3));
        assert_eq!(
            Hello::negotiate(&bare, 4, &Hello::with_versions(&[1, 2]), 3),
            None
        );
        assert_eq!(Hello::negotiate(&bare, 4, &wide, 6), Some(4));
        assert_eq!(Hello::negotiate(&bare, 0, &bare, 4), None);
    }

    #[test]
    fn unknown_elements_and_padding() {
        let h = Hello {
            elements: vec![
                HelloElement::Unknown {
                    type_: 7,
                    data: vec![1, 2, 3],
                },
                HelloElement::VersionBitmap(vec![0x12, 0x8000_0000]),
                HelloElement::Unknown {
                    type_: 0xffff,
                    data: vec![],
                },
            ],
        };
        let b = h.to_vec().unwrap();
        assert_eq!(
            b,
            [
                0, 7, 0, 7, 1, 2, 3, 0, // unknown, 3 bytes, 1 byte of padding
                0, 1, 0, 12, 0, 0, 0, 0x12, 0x80, 0, 0, 0, 0, 0, 0, 0, // bitmap + 4 pad
                0xff, 0xff, 0, 4, 0, 0, 0, 0, // empty unknown + 4 pad
            ]
        );
        assert_eq!(b.len(), h.encoded_len());
        assert_eq!(parse_bytes(&b, Hello::parse_body).unwrap(), h);
        assert!(h.supports(1) && h.supports(4) && h.supports(63));
        assert_eq!(
            h.to_string(),
            "OFPT_HELLO element type=7 length=7 version bitmap: 0x01, 0x04, 0x3f \
             element type=65535 length=4"
        );
        // The empty body.
        assert_eq!(
            parse_bytes(&[], Hello::parse_body).unwrap(),
            Hello::default()
        );
        assert_eq!(Hello::default().to_string(), "OFPT_HELLO");
    }

    #[test]
    fn negative_lengths() {
        let parse = |b: &[u8]| parse_bytes(b, Hello::parse_body);
        // Length below the header.
        for l in 0..4u8 {
            assert_eq!(
                parse(&[0, 1, 0, l, 0, 0, 0, 0]),
                Err(Error::BadLength {
                    what: "ofp_hello_elem_header.length",
                    offset: 10,
                    value: usize::from(l),
                    reason: "below the 4-byte element header"
                })
            );
        }
        // Length past the end.
        assert!(matches!(
            parse(&[0, 1, 0, 12, 0, 0, 0, 16]),
            Err(Error::BadLength {
                offset: 10,
                value: 12,
                ..
            })
        ));
        // Bitmap not a whole number of words.
        assert!(matches!(
            parse(&[0, 1, 0, 6, 0, 0, 0, 0]),
            Err(Error::BadLength {
                offset: 10,
                value: 6,
                ..
            })
        ));
        // Missing padding.
        assert!(matches!(
            parse(&[0, 9, 0, 5, 1]),
            Err(Error::Truncated {
                offset: 13,
                needed: 3,
                ..
            })
        ));
        // Non-zero padding.
        assert!(matches!(
            parse(&[0, 9, 0, 5, 1, 0, 2, 0]),
            Err(Error::BadValue {
                offset: 14,
                value: 2,
                ..
            })
        ));
        // Truncated header.
        for n in 1..4 {
            assert!(matches!(
                parse(&[0, 1, 0, 8][..n]),
                Err(Error::Truncated { .. })
            ));
        }
        // A second bad element: error offset inside it.
        assert!(matches!(
            parse(&[0, 1, 0, 8, 0, 0, 0, 16, 0, 1, 0, 2]),
            Err(Error::BadLength { offset: 18, .. })
        ));
        // The view yields the good element then the error, then stops.
        let b = [0, 1, 0, 8, 0, 0, 0, 16, 0, 1, 0, 2];
        let mut r = Reader::new(&b, 8);
        let v = HelloView::parse(&mut r).unwrap();
        let items: Vec<_> = v.elements().collect();
        assert_eq!(items.len(), 2);
        assert!(items[0].is_ok() && items[1].is_err());
        assert!(v.version_bitmap().unwrap().supports(4));
        // Too long to encode.
        let big = Hello {
            elements: vec![HelloElement::Unknown {
                type_: 9,
                data: vec![0; 70000],
            }],
        };
        assert!(matches!(big.to_vec(), Err(Error::Unencodable { .. })));
    }

    #[test]
    fn ovs_decodes_what_we_encode() {
        let Some(s) = ofp_print(&message(MsgType::HELLO, &Hello::new())) else {
            return;
        };
        assert!(
            s.contains("OFPT_HELLO") && s.contains("version bitmap: 0x04"),
            "{s}"
        );
        let h = Hello::with_versions(&[1, 4, 6]);
        let s = ofp_print(&message(MsgType::HELLO, &h)).unwrap();
        assert!(s.contains("version bitmap: 0x01, 0x04, 0x06"), "{s}");
        assert!(h.to_string().ends_with("version bitmap: 0x01, 0x04, 0x06"));
        let s = ofp_print(&message(MsgType::HELLO, &Hello::default())).unwrap();
        assert!(s.contains("OFPT_HELLO"), "{s}");
    }

    fn arb_element() -> impl Strategy<Value = HelloElement> {
        prop_oneof![
            proptest::collection::vec(any::<u32>(), 0..4).prop_map(HelloElement::VersionBitmap),
            (
                any::<u16>().prop_filter("not a bitmap", |t| *t != OFPHET_VERSIONBITMAP),
                proptest::collection::vec(any::<u8>(), 0..20)
            )
                .prop_map(|(type_, data)| HelloElement::Unknown { type_, data }),
        ]
    }

    proptest! {
        #[test]
        fn owned(elements in proptest::collection::vec(arb_element(), 0..5)) {
            let h = Hello { elements };
            let b = h.to_vec().unwrap();
            prop_assert_eq!(b.len(), h.encoded_len());
            prop_assert_eq!(b.len() % 8, 0);
            prop_assert_eq!(parse_bytes(&b, Hello::parse_body).unwrap(), h);
        }

        #[test]
        fn any_bytes(b in proptest::collection::vec(any::<u8>(), 0..40)) {
            if let Ok(h) = parse_bytes(&b, Hello::parse_body) {
                prop_assert_eq!(h.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn mutated(elements in proptest::collection::vec(arb_element(), 1..4),
                   i in any::<proptest::sample::Index>(), x: u8) {
            let mut b = Hello { elements }.to_vec().unwrap();
            let i = i.index(b.len());
            b[i] = x;
            if let Ok(h) = parse_bytes(&b, Hello::parse_body) {
                prop_assert_eq!(h.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn negotiate_symmetric(a in proptest::collection::vec(1u8..10, 0..4), av in 1u8..10,
                               b in proptest::collection::vec(1u8..10, 0..4), bv in 1u8..10,
                               a_bitmap: bool, b_bitmap: bool) {
            let ha = if a_bitmap { Hello::with_versions(&a) } else { Hello::default() };
            let hb = if b_bitmap { Hello::with_versions(&b) } else { Hello::default() };
            let x = Hello::negotiate(&ha, av, &hb, bv);
            prop_assert_eq!(x, Hello::negotiate(&hb, bv, &ha, av));
            if let Some(v) = x {
                prop_assert!(!a_bitmap || ha.supports(v));
                prop_assert!(!b_bitmap || hb.supports(v));
            }
        }
    }
}
