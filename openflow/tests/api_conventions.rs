//! The workspace conventions (docs/API.md) as the OpenFlow codec applies them, over the Open
//! vSwitch captures of `testdata/`:
//! - `Encode` into the caller's buffer: exactly `encoded_len()` bytes, the same bytes as
//!   `to_vec` and `encode_append`; every shorter buffer is `ErrorKind::ShortBuffer` (never a
//!   panic, nothing appended); a value that does not fit its field is `Unencodable`;
//! - `CodecError` on `Error`: kind, context, field, offset, value, add_offset;
//! - views print what their decoded value prints.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use sdnwire_openflow::action::Action;
use sdnwire_openflow::oxm::{Match, OxmField};
use sdnwire_openflow::packet_out::PacketOut;
use sdnwire_openflow::{
    Body, BodyView, CodecError, Encode, Error, ErrorKind, Framer, Message, MessageView,
};

fn captures() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    files.sort();
    for p in files {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let mut framer = Framer::new();
        framer.push(&std::fs::read(&p).unwrap());
        while let Some(f) = framer.next_frame().unwrap() {
            out.push((name.clone(), f.bytes.to_vec()));
        }
    }
    assert!(out.len() >= 17);
    out
}

/// `v` encodes to `bytes` through every entry point, and refuses shorter buffers.
fn encodes_exactly<T: Encode<Error = Error>>(what: &str, v: &T, bytes: &[u8]) {
    assert_eq!(v.encoded_len(), bytes.len(), "{what}");
    assert_eq!(v.to_vec().unwrap(), bytes, "{what}: to_vec");
    let mut out = vec![1, 2, 3];
    assert_eq!(v.encode_append(&mut out).unwrap(), bytes.len(), "{what}");
    assert_eq!(
        &out[..3],
        [1, 2, 3],
        "{what}: encode_append keeps what was there"
    );
    assert_eq!(&out[3..], bytes, "{what}: encode_append");
    // A larger buffer: exactly encoded_len() bytes written, the rest untouched.
    let mut buf = vec![0xa5; bytes.len() + 7];
    assert_eq!(v.encode(&mut buf).unwrap(), bytes.len(), "{what}");
    assert_eq!(&buf[..bytes.len()], bytes, "{what}: encode");
    assert!(buf[bytes.len()..].iter().all(|&b| b == 0xa5), "{what}");
    // Every shorter buffer (a sample of them for the large table features reply).
    let len = bytes.len();
    let lens: Vec<usize> = if len <= 4096 {
        (0..len).collect()
    } else {
        (0..64).chain([len / 2, len - 8, len - 1]).collect()
    };
    let mut short = vec![0; len];
    for n in lens {
        let e = v.encode(&mut short[..n]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ShortBuffer, "{what}: {n} bytes: {e}");
        assert_eq!(
            e,
            Error::ShortBuffer {
                needed: bytes.len(),
                available: n
            }
        );
        assert_eq!(e.offset(), None);
    }
}

#[test]
fn encode_into_the_callers_buffer() {
    for (name, bytes) in captures() {
        let m = Message::parse(&bytes).unwrap();
        encodes_exactly(&name, &m, &bytes);
        encodes_exactly(&name, &m.body, &bytes[8..]);
        let h = sdnwire_openflow::Header::parse(&bytes).unwrap();
        encodes_exactly(&name, &h, &bytes[..8]);
    }
}

#[test]
fn a_value_that_does_not_fit_is_unencodable() {
    // 70 000 bytes of packet-out data do not fit the 16-bit message length.
    let mut po = PacketOut::new(1u32);
    po.actions = vec![Action::output(2u32)];
    po.data = vec![0; 70_000];
    let m = Message::new(1, Body::PacketOut(po));
    let mut out = vec![9];
    let e = m.encode_append(&mut out).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unencodable, "{e}");
    assert_eq!(e.context(), "ofp_header", "{e}");
    assert_eq!(e.field(), Some("length"), "{e}");
    assert_eq!(out, [9], "nothing appended");
    // Into a buffer large enough, still refused: never truncated.
    let mut buf = vec![0; m.encoded_len()];
    assert_eq!(
        m.encode(&mut buf).unwrap_err().kind(),
        ErrorKind::Unencodable
    );
    assert_eq!(m.to_vec().unwrap_err().kind(), ErrorKind::Unencodable);

    // A match longer than its 16-bit length field.
    let mut big = Match::new();
    big.fields = vec![OxmField::Metadata(1, None); 6000].into();
    let e = big.to_vec().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unencodable, "{e}");
}

#[test]
fn codec_error_names_kind_structure_field_and_offset() {
    // A FLOW_MOD whose match length runs past the message.
    let fm = sdnwire_openflow::flow_mod::FlowMod::add()
        .matching(Match::new().in_port(1u32))
        .apply_actions([Action::output(2u32)]);
    let mut b = Message::new(5, Body::FlowMod(fm)).to_vec().unwrap();
    // ofp_match.length is at 48 + 2.
    b[50] = 0x40;
    let e = Message::parse(&b).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::BadLength | ErrorKind::Truncated),
        "{e}"
    );
    let off = e.offset().expect("a decoding error has an offset");
    assert!(off >= 48, "{e}");
    assert!(e.context().starts_with("ofp_"), "{e}");
    // add_offset shifts the offset (an error bubbling up through an outer structure).
    assert_eq!(e.clone().add_offset(100).offset(), Some(off + 100));

    // Another version: BadVersion, the version byte as the value.
    let mut v = b.clone();
    v[0] = 1;
    let e = Message::parse(&v).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadVersion);
    assert_eq!(e.value(), Some(1));
    assert_eq!(e.offset(), Some(0));

    // A byte after a body that must be empty: TrailingBytes at its offset, the count as the
    // value.
    let echo = Message::new(1, Body::BarrierRequest).to_vec().unwrap();
    let mut trailing = echo.clone();
    trailing.push(0);
    trailing[3] = 9;
    let e = Message::parse(&trailing).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TrailingBytes, "{e}");
    assert_eq!(e.offset(), Some(8));
    assert_eq!(e.value(), Some(1));

    let e = Error::short_buffer(10, 3);
    assert_eq!(e.kind(), ErrorKind::ShortBuffer);
    assert_eq!((e.offset(), e.field(), e.value()), (None, None, None));
    assert_eq!(e.clone().add_offset(5), e);
}

#[test]
fn views_print_what_their_decoded_value_prints() {
    for (name, bytes) in captures() {
        let v = MessageView::parse(&bytes).unwrap();
        let m = v.decode().unwrap();
        assert_eq!(v.to_string(), m.to_string(), "{name}");
        assert!(!m.to_string().is_empty());
        // The body views print as the owned bodies do (the message prints its type first).
        let owned_body = m.body.to_string();
        match &v.body {
            BodyView::Other(b) => {
                assert_eq!(v.body.to_string(), format!("{} bytes", b.len()))
            }
            typed => {
                let text = typed.to_string();
                assert!(
                    owned_body.ends_with(
                        text.trim_start_matches(&m.msg_type().to_string())
                            .trim_start()
                    ),
                    "{name}: view {text:?}, owned {owned_body:?}"
                );
            }
        }
    }
    // A view that does not decode prints its error: the FLOW_MOD view checks the fixed part
    // and the match, the instructions' actions are checked as they are read.
    let fm = sdnwire_openflow::flow_mod::FlowMod::add()
        .matching(Match::new().in_port(1u32))
        .apply_actions([Action::output(2u32)]);
    let mut b = Message::new(1, Body::FlowMod(fm)).to_vec().unwrap();
    // The output action's length (header 8, flow_mod 40, match 16, instruction header 8).
    assert_eq!(b[74..76], [0, 16]);
    b[75] = 4;
    let v = MessageView::parse(&b).unwrap();
    let e = v.decode().unwrap_err();
    assert_eq!(v.to_string(), format!("<error: {e}>"));
}

/// The owned types' inline storage (`Match::fields`, `PacketIn::data`) reads and builds as the
/// vectors it replaced: what a user wrote against `Vec` still compiles and means the same.
#[test]
fn inline_storage_reads_and_builds_as_the_vectors_it_replaced() {
    use sdnwire_openflow::packet_in::PacketIn;
    use sdnwire_openflow::PortNo;
    let fields = vec![OxmField::InPort(PortNo(1)), OxmField::EthType(0x0800)];
    let a = Match {
        fields: fields.clone().into(),
    };
    let b = Match {
        fields: fields[..].into(),
    };
    assert_eq!(a, b);
    assert_eq!(a.fields, fields);
    assert_eq!(fields, a.fields);
    assert_eq!(a.fields.to_vec(), fields);
    assert_eq!(Vec::from(a.fields.clone()), fields);
    assert_eq!(a.fields.first(), Some(&OxmField::InPort(PortNo(1))));
    // The by-value iterator is nameable without depending on sdnwire-inline.
    let moved: sdnwire_openflow::inline::IntoIter<OxmField, 4> = a.fields.clone().into_iter();
    assert_eq!(moved.collect::<Vec<_>>(), fields);

    let frame = b"\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x01\x08\x06";
    let from_bytes = PacketIn::new(1, &frame[..]);
    let from_vec = PacketIn::new(1, frame.to_vec());
    let from_string = PacketIn::new(1, String::from_utf8_lossy(b"abc").into_owned());
    let from_box = PacketIn::new(1, Box::<[u8]>::from(&frame[..]));
    let from_shared = PacketIn::new(1, bytes::Bytes::from_static(frame));
    assert_eq!(from_shared, from_box);
    assert_eq!(from_bytes, from_vec);
    assert_eq!(from_box, from_vec);
    assert!(from_string.data == b"abc");
    let p = from_bytes;
    assert!(p.data == frame);
    let slice: &[u8] = &frame[..];
    assert!(p.data == slice);
    assert!(p.data == frame.to_vec());
    assert_eq!(p.data.len(), 14);
    assert_eq!(&p.data[..6], &[0xff; 6]);
    assert_eq!(p.data.to_vec(), frame.to_vec());
    let mut data = p.data.clone();
    data.extend(&[0u8; 4]);
    data.extend_from_slice(&[0; 2]);
    assert_eq!(data.len(), 20);
}
