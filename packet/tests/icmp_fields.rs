//! ICMP (v4) fields decoded beyond Ryu's set: router advertisement, parameter problem, timestamp,
//! information, address mask, and the quoted datagram of the error messages. Exact round trip
//! both ways, and the quote's leniency.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::net::Ipv4Addr;

use proptest::prelude::*;
use sdnwire_packet::icmp::{IcmpData, IcmpQuote, IcmpQuoteView, IcmpType, IcmpView, RouterAddr};
use sdnwire_packet::{CodecError, Encode, ErrorKind, Icmp};

fn msg(t: u8, code: u8, rest: [u8; 4], data: &[u8]) -> Vec<u8> {
    let mut m = Icmp {
        type_: IcmpType(t),
        code,
        csum: None,
        data: IcmpData::Raw {
            rest,
            data: data.into(),
        },
    }
    .to_vec()
    .unwrap();
    m.truncate(8 + data.len());
    m
}

fn structured() -> impl Strategy<Value = IcmpData> {
    let id_seq = (any::<u16>(), any::<u16>());
    prop_oneof![
        (
            any::<u16>(),
            proptest::collection::vec((any::<[u8; 4]>(), any::<i32>()), 0..6),
            proptest::collection::vec(any::<u8>(), 0..9)
        )
            .prop_map(|(lifetime, e, trailing)| IcmpData::RouterAdvert {
                lifetime,
                entries: e
                    .into_iter()
                    .map(|(a, preference)| RouterAddr {
                        addr: a.into(),
                        preference
                    })
                    .collect(),
                trailing,
            }),
        (
            any::<u8>(),
            any::<u8>(),
            any::<[u8; 2]>(),
            proptest::collection::vec(any::<u8>(), 0..40)
        )
            .prop_map(|(pointer, data_len, unused, data)| IcmpData::ParamProblem {
                pointer,
                data_len,
                unused,
                data: data.into()
            }),
        (id_seq, any::<(u32, u32, u32)>()).prop_map(|((id, seq), (o, r, t))| {
            IcmpData::Timestamp {
                id,
                seq,
                originate: o,
                receive: r,
                transmit: t,
            }
        }),
        (id_seq, proptest::collection::vec(any::<u8>(), 0..4)).prop_map(|((id, seq), data)| {
            IcmpData::Info {
                id,
                seq,
                data: data.into(),
            }
        }),
        (id_seq, any::<[u8; 4]>()).prop_map(|((id, seq), m)| IcmpData::AddrMask {
            id,
            seq,
            mask: m.into()
        }),
    ]
}

fn type_for(d: &IcmpData, pick: bool) -> u8 {
    match d {
        IcmpData::RouterAdvert { .. } => 9,
        IcmpData::ParamProblem { .. } => 12,
        IcmpData::Timestamp { .. } => 13 + u8::from(pick),
        IcmpData::Info { .. } => 15 + u8::from(pick),
        IcmpData::AddrMask { .. } => 17 + u8::from(pick),
        _ => unreachable!(),
    }
}

proptest! {
    /// parse(encode(x)) == x for every new body.
    #[test]
    fn owned_round_trip(d in structured(), pick in any::<bool>(), code in any::<u8>()) {
        let icmp = Icmp { type_: IcmpType(type_for(&d, pick)), code, csum: None, data: d };
        let bytes = icmp.to_vec().unwrap();
        prop_assert_eq!(bytes.len(), icmp.encoded_len());
        let back = Icmp::parse(&bytes).unwrap();
        prop_assert_eq!(&back.data, &icmp.data);
        prop_assert_eq!(back.to_vec().unwrap(), bytes.clone());
        prop_assert_eq!(IcmpView::parse(&bytes[..]).unwrap().to_string(), back.to_string());
    }

    /// encode(parse(b)) == b for any bytes of the newly decoded types: sizes that do not fit a
    /// type's layout stay raw.
    #[test]
    fn bytes_round_trip(
        t in prop_oneof![Just(9u8), Just(12), Just(13), Just(14), Just(15), Just(16), Just(17), Just(18)],
        code in any::<u8>(),
        rest in any::<[u8; 4]>(),
        data in proptest::collection::vec(any::<u8>(), 0..48),
    ) {
        let b = msg(t, code, rest, &data);
        let icmp = Icmp::parse(&b).unwrap();
        prop_assert_eq!(icmp.to_vec().unwrap(), b);
    }

    /// A quote of any length decodes without panicking, and never reports more than what is
    /// missing from the datagram.
    #[test]
    fn quote_never_panics(data in proptest::collection::vec(any::<u8>(), 0..80)) {
        if let Ok(q) = IcmpQuoteView::parse(&data) {
            let owned = q.decode();
            prop_assert_eq!(owned.l4.len() + q.header().len(), data.len());
            prop_assert_eq!(Some(owned.ip.total_length.unwrap_or(0)), Some(q.total_len()));
        }
    }
}

/// The start of a UDP datagram from 10.0.0.1:5000 to 10.0.0.2:53 of 100 bytes, cut after
/// the UDP header, as an ICMP error quotes it.
fn cut_udp_quote() -> Vec<u8> {
    let mut ip = vec![
        0x45, 0, 0, 100, 0x12, 0x34, 0x40, 0, 63, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    ];
    ip.extend_from_slice(&[0x13, 0x88, 0, 53, 0, 80, 0xab, 0xcd]);
    ip
}

#[test]
fn quote_of_a_cut_datagram_is_decoded() {
    let q = cut_udp_quote();
    let m = msg(3, 3, [0; 4], &q);
    let v = IcmpView::parse(&m[..]).unwrap();
    let quote = v.quote().unwrap().unwrap();
    assert_eq!(quote.src(), Ipv4Addr::new(10, 0, 0, 1));
    assert_eq!(quote.dst(), Ipv4Addr::new(10, 0, 0, 2));
    assert_eq!(quote.total_len(), 100);
    assert_eq!(quote.ports(), Some((5000, 53)));
    assert_eq!(quote.missing(), 72);
    assert!(!quote.l4_cut());
    let owned = Icmp::parse(&m).unwrap().quote().unwrap().unwrap();
    assert_eq!(owned, quote.decode());
    assert_eq!(owned.ip.identification, 0x1234);
    assert_eq!(owned.ip.flags, 2);
    assert_eq!(owned.ip.ttl, 63);
    assert_eq!(owned.ports(), Some((5000, 53)));
    assert_eq!(
        owned.to_string(),
        "quote(ip=ipv4(csum=0,dst='10.0.0.2',flags=2,header_length=5,identification=4660,\
         offset=0,option=None,proto=17,src='10.0.0.1',tos=0,total_length=100,ttl=63,version=4),\
         l4=b'\\x13\\x88\\x005\\x00P\\xab\\xcd',missing=72)"
    );
    // Four bytes of UDP only: ports still known, the cut reported.
    let short = IcmpQuote::parse(&q[..24]).unwrap();
    assert_eq!((short.ports(), short.missing), (Some((5000, 53)), 76));
    assert!(IcmpQuoteView::parse(&q[..24]).unwrap().l4_cut());
    // Fewer than 4: no ports.
    assert_eq!(IcmpQuote::parse(&q[..22]).unwrap().ports(), None);
}

#[test]
fn quote_errors_say_what() {
    let q = cut_udp_quote();
    let e = IcmpQuote::parse(&q[..19]).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::Truncated, Some(0)));
    let mut v6 = q.clone();
    v6[0] = 0x65;
    assert_eq!(
        IcmpQuote::parse(&v6).unwrap_err().kind(),
        ErrorKind::BadValue
    );
    let mut ihl = q.clone();
    ihl[0] = 0x44;
    assert_eq!(
        IcmpQuote::parse(&ihl).unwrap_err().kind(),
        ErrorKind::BadLength
    );
    let mut opts = q.clone();
    opts[0] = 0x4f; // 60-byte header, 28 bytes quoted
    assert_eq!(
        IcmpQuote::parse(&opts).unwrap_err().kind(),
        ErrorKind::Truncated
    );
    // Through the message, offsets count from its first byte (the quote starts at 8).
    let mut bad = q.clone();
    bad[0] = 0x65;
    let m = msg(3, 1, [0; 4], &bad);
    let e = IcmpView::parse(&m[..])
        .unwrap()
        .quote()
        .unwrap()
        .unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::BadValue, Some(8)));
    let e = Icmp::parse(&m).unwrap().quote().unwrap().unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::BadValue, Some(8)));
    // Echo quotes nothing.
    let echo = Icmp::echo_request(1, 2, &b"x"[..]).to_vec().unwrap();
    assert!(IcmpView::parse(&echo[..]).unwrap().quote().is_none());
    assert!(Icmp::parse(&echo).unwrap().quote().is_none());
}

#[test]
fn new_types_decode_and_print() {
    // Router advertisement: 2 addresses, entry size 2, lifetime 1800.
    let mut data = vec![10, 0, 0, 1, 0, 0, 0, 5, 10, 0, 0, 2, 0xff, 0xff, 0xff, 0xff];
    let m = msg(9, 0, [2, 2, 0x07, 0x08], &data);
    let icmp = Icmp::parse(&m).unwrap();
    assert_eq!(
        icmp.data,
        IcmpData::RouterAdvert {
            lifetime: 1800,
            entries: vec![
                RouterAddr {
                    addr: Ipv4Addr::new(10, 0, 0, 1),
                    preference: 5
                },
                RouterAddr {
                    addr: Ipv4Addr::new(10, 0, 0, 2),
                    preference: -1
                },
            ],
            trailing: Default::default(),
        }
    );
    assert!(icmp
        .to_string()
        .contains("router_advert(entries=[('10.0.0.1', 5), ('10.0.0.2', -1)],lifetime=1800)"));
    // An entry size other than 2, or fewer bytes than the count says: raw.
    assert!(matches!(
        Icmp::parse(&msg(9, 0, [2, 3, 0, 0], &data)).unwrap().data,
        IcmpData::Raw { .. }
    ));
    data.truncate(12);
    assert!(matches!(
        Icmp::parse(&msg(9, 0, [2, 2, 0, 0], &data)).unwrap().data,
        IcmpData::Raw { .. }
    ));
    // Parameter problem: the pointer.
    let q = cut_udp_quote();
    let pp = Icmp::parse(&msg(12, 0, [9, 0, 0, 0], &q)).unwrap();
    assert!(matches!(pp.data, IcmpData::ParamProblem { pointer: 9, .. }));
    assert_eq!(pp.quote().unwrap().unwrap().ip.ttl, 63);
    // Timestamp reply.
    let ts = [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3];
    let t = Icmp::parse(&msg(14, 0, [0, 7, 0, 9], &ts)).unwrap();
    assert_eq!(
        t.data,
        IcmpData::Timestamp {
            id: 7,
            seq: 9,
            originate: 1,
            receive: 2,
            transmit: 3
        }
    );
    assert!(t
        .to_string()
        .contains("timestamp(id=7,originate=1,receive=2,seq=9,transmit=3)"));
    // Address mask reply.
    let am = Icmp::parse(&msg(18, 0, [0, 1, 0, 2], &[255, 255, 255, 0])).unwrap();
    assert_eq!(
        am.data,
        IcmpData::AddrMask {
            id: 1,
            seq: 2,
            mask: Ipv4Addr::new(255, 255, 255, 0)
        }
    );
    // Information request.
    let info = Icmp::parse(&msg(15, 0, [0, 3, 0, 4], &[])).unwrap();
    assert_eq!(
        info.data,
        IcmpData::Info {
            id: 3,
            seq: 4,
            data: Default::default()
        }
    );
    // Too many router addresses to count in a byte: an error, not a wrapped count.
    let big = Icmp {
        type_: IcmpType(9),
        code: 0,
        csum: None,
        data: IcmpData::RouterAdvert {
            lifetime: 0,
            entries: vec![
                RouterAddr {
                    addr: Ipv4Addr::UNSPECIFIED,
                    preference: 0
                };
                256
            ],
            trailing: Default::default(),
        },
    };
    assert_eq!(big.to_vec().unwrap_err().kind(), ErrorKind::Unencodable);
}

/// RFC 4884: a time exceeded message whose length field (byte 5) says 7 words: the quote is
/// those 28 bytes, and the extension structure after them (RFC 4884 §7: version 2, a
/// checksum, an object) is not taken for the datagram's upper-layer bytes.
#[test]
fn rfc4884_length_bounds_the_quote() {
    let mut q = cut_udp_quote();
    q.truncate(28);
    let ext = [0x20, 0, 0xab, 0xcd, 0, 8, 1, 1, 0, 0, 0, 7];
    let mut data = q.clone();
    data.extend_from_slice(&ext);
    let m = msg(11, 0, [0, 7, 0, 0], &data);
    let v = IcmpView::parse(&m[..]).unwrap();
    let quote = v.quote().unwrap().unwrap();
    assert_eq!(quote.l4(), &q[20..]);
    assert_eq!(quote.missing(), 72);
    let owned = Icmp::parse(&m).unwrap();
    assert_eq!(owned.quote().unwrap().unwrap(), quote.decode());
    assert_eq!(owned.to_vec().unwrap(), m);
    // Without the length (0), everything after the header is the quote.
    let m0 = msg(11, 0, [0; 4], &data);
    let v0 = IcmpView::parse(&m0[..]).unwrap();
    assert_eq!(v0.quote().unwrap().unwrap().l4().len(), 8 + ext.len());
    // A length past the data bounds nothing.
    let long = msg(11, 0, [0, 200, 0, 0], &data);
    let vl = IcmpView::parse(&long[..]).unwrap();
    assert_eq!(vl.quote().unwrap().unwrap().l4().len(), 8 + ext.len());
}
