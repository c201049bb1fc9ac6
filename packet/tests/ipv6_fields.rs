//! IPv6 extension-header fields: hop-by-hop and destination options as TLVs, the addresses of
//! type 0/2 routing headers and the segment routing header (RFC 8754). Exact round trip both
//! ways, option framing checked by `parse`, and the checksum helpers' one signature.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::net::Ipv6Addr;

use proptest::prelude::*;
use sdnwire_packet::icmpv6::Icmpv6View;
use sdnwire_packet::ipv6::{Ipv6ExtHeader, Ipv6Option, Ipv6View, Routing, SrhTlv};
use sdnwire_packet::{CodecError, Encode, ErrorKind, Icmpv6, IpPair, IpProtocol, Ipv6, Packet};

fn option() -> impl Strategy<Value = Ipv6Option> {
    prop_oneof![
        Just(Ipv6Option::Pad1),
        proptest::collection::vec(any::<u8>(), 0..6).prop_map(Ipv6Option::PadN),
        any::<u16>().prop_map(Ipv6Option::RouterAlert),
        any::<u32>().prop_map(Ipv6Option::Jumbo),
        // Any other type; 1, 5 and 0xc2 with their own layouts are the variants above.
        (2u8..=255, proptest::collection::vec(any::<u8>(), 0..12))
            .prop_filter("not a known layout", |(t, d)| {
                !(*t == 5 && d.len() == 2 || *t == 0xc2 && d.len() == 4)
            })
            .prop_map(|(type_, data)| Ipv6Option::Unknown { type_, data }),
    ]
}

fn addr() -> impl Strategy<Value = Ipv6Addr> {
    any::<[u8; 16]>().prop_map(Ipv6Addr::from)
}

fn routing() -> impl Strategy<Value = Routing> {
    prop_oneof![
        (
            prop_oneof![Just(0u8), Just(2)],
            any::<u8>(),
            any::<[u8; 4]>(),
            proptest::collection::vec(addr(), 0..4)
        )
            .prop_map(|(routing_type, segments_left, reserved, addresses)| {
                Routing::Addresses {
                    routing_type,
                    segments_left,
                    reserved,
                    addresses,
                }
            }),
        (
            any::<u8>(),
            any::<u8>(),
            any::<u16>(),
            proptest::collection::vec(addr(), 1..4),
            proptest::collection::vec(
                prop_oneof![
                    Just(SrhTlv {
                        type_: 0,
                        value: vec![]
                    }),
                    (1u8..=255, proptest::collection::vec(any::<u8>(), 0..8))
                        .prop_map(|(type_, value)| SrhTlv { type_, value }),
                ],
                0..3
            )
        )
            .prop_map(|(segments_left, flags, tag, segments, tlvs)| Routing::Srh {
                segments_left,
                last_entry: u8::try_from(segments.len() - 1).unwrap(),
                flags,
                tag,
                segments,
                tlvs,
            }),
    ]
}

/// Pads `data` (a header's options) with PadN so that the header is a multiple of 8 bytes.
fn padded(mut opts: Vec<Ipv6Option>) -> Vec<Ipv6Option> {
    let len: usize = 2 + opts.iter().map(Encode::encoded_len).sum::<usize>();
    match (8 - len % 8) % 8 {
        0 => {}
        1 => opts.push(Ipv6Option::Pad1),
        n => opts.push(Ipv6Option::PadN(vec![0; n - 2])),
    }
    opts
}

/// A frame: Ethernet, IPv6 with `ext`, UDP 1 -> 2.
fn frame(ext: Vec<Ipv6ExtHeader>) -> Vec<u8> {
    let mut ip = Ipv6::new(
        "2001:db8::1".parse().unwrap(),
        "2001:db8::2".parse().unwrap(),
    );
    for h in ext {
        ip = ip.with_ext_header(h);
    }
    (sdnwire_packet::Ethernet::new(
        sdnwire_packet::MacAddr::BROADCAST,
        sdnwire_packet::MacAddr::new(0, 0, 0, 0, 0, 1),
    ) / ip
        / sdnwire_packet::Udp::new(1, 2))
    .to_vec()
    .unwrap()
}

proptest! {
    /// parse(encode(x)) == x for options, in the owned header and through the view.
    #[test]
    fn options_round_trip(opts in proptest::collection::vec(option(), 0..5), dst in any::<bool>()) {
        let opts = padded(opts);
        let kind = if dst { IpProtocol::IPV6_OPTS } else { IpProtocol::HOPOPT };
        let h = Ipv6ExtHeader::with_options(kind, &opts).unwrap();
        prop_assert_eq!(h.options().unwrap().unwrap(), opts.clone());
        let f = frame(vec![h]);
        let pkt = Packet::parse(&f).unwrap();
        prop_assert_eq!(pkt.to_vec().unwrap(), f.clone());
        let v = Ipv6View::parse(&f[14..]).unwrap();
        let hv = v.ext_headers().next().unwrap().unwrap();
        let decoded: Vec<Ipv6Option> = hv.options().unwrap().map(|o| o.unwrap().decode()).collect();
        prop_assert_eq!(decoded, opts);
    }

    /// parse(encode(x)) == x for routing headers, owned and through the view.
    #[test]
    fn routing_round_trip(r in routing()) {
        let data = r.to_data().unwrap();
        // Pad the header to 8 bytes with an SRH PadN / extra zero address bytes only where the
        // layout allows it: test the layouts that are already whole.
        prop_assume!((2 + data.len()) % 8 == 0);
        let h = Ipv6ExtHeader::with_routing(&r).unwrap();
        prop_assert_eq!(h.routing().unwrap().unwrap(), r.clone());
        let f = frame(vec![h]);
        prop_assert_eq!(Packet::parse(&f).unwrap().to_vec().unwrap(), f.clone());
        let v = Ipv6View::parse(&f[14..]).unwrap();
        let hv = v.ext_headers().next().unwrap().unwrap();
        prop_assert_eq!(hv.routing().unwrap().unwrap(), r.clone());
        prop_assert_eq!(hv.decode().routing().unwrap().unwrap().to_string(), r.to_string());
    }

    /// encode(parse(b)) == b: any options area that parses re-encodes option by option.
    #[test]
    fn option_bytes_round_trip(raw in proptest::collection::vec(any::<u8>(), 6..30)) {
        let h = Ipv6ExtHeader::new(IpProtocol::HOPOPT, raw.clone());
        if let Some(Ok(opts)) = h.options() {
            let mut back = Vec::new();
            for o in &opts {
                o.encode_append(&mut back).unwrap();
            }
            prop_assert_eq!(back, raw);
        }
    }
}

#[test]
fn option_framing_is_checked() {
    // A hop-by-hop header whose PadN claims 5 bytes where 4 are left.
    let h = Ipv6ExtHeader::new(IpProtocol::HOPOPT, vec![5, 2, 0, 0, 1, 5]);
    let f = frame(vec![h]);
    let e = Ipv6View::parse(&f[14..]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadLength);
    assert_eq!(e.offset(), Some(40 + 2 + 4 + 1));
    assert!(Packet::parse(&f).is_err());
    // The owned header reports the same.
    assert_eq!(
        Ipv6ExtHeader::new(IpProtocol::HOPOPT, vec![5, 2, 0, 0, 1, 5])
            .options()
            .unwrap()
            .unwrap_err()
            .kind(),
        ErrorKind::BadLength
    );
}

#[test]
fn known_options_decode() {
    let h = Ipv6ExtHeader::router_alert(0);
    assert_eq!(
        h.options().unwrap().unwrap(),
        vec![Ipv6Option::RouterAlert(0), Ipv6Option::PadN(vec![])]
    );
    let jumbo = Ipv6ExtHeader::new(IpProtocol::IPV6_OPTS, vec![0xc2, 4, 0, 1, 0x11, 0x70]);
    assert_eq!(
        jumbo.options().unwrap().unwrap(),
        vec![Ipv6Option::Jumbo(70_000)]
    );
    assert_eq!(
        Ipv6Option::Jumbo(70_000).to_string(),
        "option(data=b'\\x00\\x01\\x11p',len_=4,type_=194)"
    );
    // A router alert with 3 bytes is kept as an unknown option, bytes and all.
    let odd = Ipv6ExtHeader::new(IpProtocol::HOPOPT, vec![5, 3, 1, 2, 3, 0]);
    assert_eq!(
        odd.options().unwrap().unwrap(),
        vec![
            Ipv6Option::Unknown {
                type_: 5,
                data: vec![1, 2, 3]
            },
            Ipv6Option::Pad1
        ]
    );
    assert!(Ipv6ExtHeader::fragment(0, false, 1).options().is_none());
    // Type 0 with data would read back as Pad1: refused.
    let bad = Ipv6Option::Unknown {
        type_: 0,
        data: vec![1],
    };
    assert_eq!(bad.to_vec().unwrap_err().kind(), ErrorKind::Unencodable);
}

#[test]
fn segment_routing_header() {
    let a = |s: &str| s.parse::<Ipv6Addr>().unwrap();
    let r = Routing::Srh {
        segments_left: 1,
        last_entry: 1,
        flags: 0,
        tag: 77,
        segments: vec![a("2001:db8::a"), a("2001:db8::b")],
        tlvs: vec![SrhTlv {
            type_: 4,
            value: vec![0; 6],
        }],
    };
    let h = Ipv6ExtHeader::with_routing(&r).unwrap();
    assert_eq!(h.wire_len(), 48);
    assert_eq!(h.routing().unwrap().unwrap(), r);
    assert_eq!(
        r.to_string(),
        "segment_routing(flags=0,last_entry=1,segments=['2001:db8::a', '2001:db8::b'],seg=1,\
         tag=77,tlvs=[tlv(type_=4,value=b'\\x00\\x00\\x00\\x00\\x00\\x00')])"
    );
    // The final destination of the pseudo-header is Segment List[0].
    let f = frame(vec![h]);
    let ip = Packet::parse(&f).unwrap().get::<Ipv6>().unwrap().clone();
    assert_eq!(
        ip.pseudo_header_addrs(),
        IpPair::V6(a("2001:db8::1"), a("2001:db8::a"))
    );
    // A last entry past the header: an error naming the field.
    let mut d = r.to_data().unwrap();
    d[2] = 5;
    let e = Ipv6ExtHeader::new(IpProtocol::IPV6_ROUTE, d)
        .routing()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::BadLength, Some("last_entry"))
    );
    // An unknown routing type is not decoded.
    assert!(
        Ipv6ExtHeader::new(IpProtocol::IPV6_ROUTE, vec![253, 0, 0, 0, 0, 0])
            .routing()
            .is_none()
    );
}

#[test]
fn type0_addresses() {
    let a = |s: &str| s.parse::<Ipv6Addr>().unwrap();
    let r = Routing::Addresses {
        routing_type: 0,
        segments_left: 1,
        reserved: [0; 4],
        addresses: vec![a("2001:db8::5")],
    };
    let h = Ipv6ExtHeader::with_routing(&r).unwrap();
    assert_eq!(h.routing_fields(), Some((0, 1)));
    assert_eq!(h.routing().unwrap().unwrap(), r);
    assert_eq!(
        r.to_string(),
        "routing_addresses(addresses=['2001:db8::5'],reserved=0,seg=1,type_=0)"
    );
}

#[test]
fn icmpv6_checksum_takes_the_pair() {
    let src: Ipv6Addr = "fe80::1".parse().unwrap();
    let dst: Ipv6Addr = "fe80::2".parse().unwrap();
    let f = (sdnwire_packet::Ethernet::new(
        sdnwire_packet::MacAddr::BROADCAST,
        sdnwire_packet::MacAddr::new(0, 0, 0, 0, 0, 1),
    ) / Ipv6::new(src, dst)
        / Icmpv6::echo_request(1, 2, &b"hi"[..]))
    .to_vec()
    .unwrap();
    let ip = Packet::parse(&f).unwrap().get::<Ipv6>().unwrap().clone();
    let v = Icmpv6View::parse(&f[54..]).unwrap();
    v.verify_checksum(&ip.pseudo_header_addrs()).unwrap();
    assert_eq!(
        v.verify_checksum(&IpPair::V6(src, src)).unwrap_err().kind(),
        ErrorKind::BadChecksum
    );
}

mod icmpv6_view_body {
    use super::*;
    use sdnwire_packet::icmpv6::{Icmpv6Data, Icmpv6Type, NdOption};

    fn msg(t: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![t, 0, 0, 0];
        m.extend_from_slice(body);
        m
    }

    proptest! {
        /// The view's body accessors agree with `decode` on any bytes of the types they read:
        /// `check_body` accepts exactly what `decode` accepts, and the ND options the view
        /// yields are the owned value's.
        #[test]
        fn view_agrees_with_decode(
            t in prop_oneof![Just(128u8), Just(129), Just(1), Just(2), Just(4), Just(130),
                             Just(131), Just(133), Just(134), Just(135), Just(136)],
            body in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let m = msg(t, &body);
            let v = Icmpv6View::parse(&m[..]).unwrap();
            let owned = v.decode();
            prop_assert_eq!(v.check_body().is_ok(), owned.is_ok());
            let Ok(owned) = owned else { return Ok(()) };
            let opts: Option<Vec<NdOption>> = v
                .nd_options()
                .map(|it| it.map(|o| o.unwrap().decode()).collect());
            match &owned.data {
                Icmpv6Data::NdNeighbor(n) => {
                    prop_assert_eq!(opts.as_ref(), Some(&n.options));
                    prop_assert_eq!(v.nd_target().map(|(_, a)| a), Some(n.dst));
                }
                Icmpv6Data::NdRouterSolicit(r) => prop_assert_eq!(opts.as_ref(), Some(&r.options)),
                Icmpv6Data::NdRouterAdvert(r) => prop_assert_eq!(opts.as_ref(), Some(&r.options)),
                Icmpv6Data::Echo(e) => {
                    prop_assert_eq!(v.echo(), Some((e.id, e.seq, &e.data[..])));
                }
                Icmpv6Data::Mld(m) => {
                    prop_assert_eq!(v.mld().map(|(_, a)| a), Some(m.address));
                }
                Icmpv6Data::PacketTooBig { mtu, data } => {
                    prop_assert_eq!(v.error_fields(), Some((*mtu, &data[..])));
                }
                _ => {}
            }
        }
    }

    #[test]
    fn neighbor_solicitation_through_the_view() {
        let target: Ipv6Addr = "fe80::9".parse().unwrap();
        let mac = sdnwire_packet::MacAddr::new(0, 1, 2, 3, 4, 5);
        // On its own the checksum cannot be computed (no pseudo-header): write 0, fill it below.
        let mut ns = Icmpv6::neighbor_solicit(target, Some(mac));
        ns.csum = Some(0);
        let mut m = ns.to_vec().unwrap();
        check_ns(&mut m, target, mac);
    }

    fn check_ns(m: &mut [u8], target: Ipv6Addr, mac: sdnwire_packet::MacAddr) {
        let pair = IpPair::V6(
            "fe80::1".parse().unwrap(),
            "ff02::1:ff00:9".parse().unwrap(),
        );
        let mut v = Icmpv6View::parse(&mut m[..]).unwrap();
        v.fill_checksum(&pair);
        v.verify_checksum(&pair).unwrap();
        assert_eq!(v.msg_type(), Icmpv6Type::ND_NEIGHBOR_SOLICIT);
        assert_eq!(v.nd_target(), Some((0, target)));
        let opts: Vec<_> = v.nd_options().unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(opts.len(), 1);
        assert_eq!((opts[0].option_type(), opts[0].length()), (1, 1));
        assert_eq!(opts[0].decode().link_addr(), Some(mac));
        assert!(v.echo().is_none() && v.mld().is_none() && v.error_fields().is_none());
        // An option of length 0: the iterator and check_body both say so, at the same offset.
        let mut bad = m.to_vec();
        bad[25] = 0;
        let v = Icmpv6View::parse(&bad[..]).unwrap();
        let e = v.nd_options().unwrap().next().unwrap().unwrap_err();
        assert_eq!(e, v.check_body().unwrap_err());
        assert_eq!((e.kind(), e.offset()), (ErrorKind::BadLength, Some(25)));
    }
}
