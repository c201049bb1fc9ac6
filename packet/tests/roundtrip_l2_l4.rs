//! proptest round trips for Ethernet, VLAN, ARP, IPv4, ICMP, UDP and TCP:
//! - built values serialize, parse back, and re-serialize to the same bytes, with every field
//!   that was set coming back equal and every computed field filled in correctly;
//! - any bytes that parse serialize back to themselves, and nothing panics.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use sdnwire_packet::arp::{ArpOp, ArpRawAddrs};
use sdnwire_packet::icmp::{IcmpData, IcmpType};
use sdnwire_packet::tcp::{TcpFlags, TcpOption};
use sdnwire_packet::Encode;
use sdnwire_packet::{
    Arp, EtherType, Ethernet, Icmp, IpPair, Ipv4, Layer, MacAddr, Packet, PacketView, Tcp, Udp,
    Vlan,
};

fn mac() -> impl Strategy<Value = MacAddr> {
    any::<[u8; 6]>().prop_map(MacAddr)
}

fn ipv4_addr() -> impl Strategy<Value = core::net::Ipv4Addr> {
    any::<[u8; 4]>().prop_map(Into::into)
}

fn vlan() -> impl Strategy<Value = Vlan> {
    let tpid = prop_oneof![
        Just(None),
        Just(Some(EtherType::VLAN)),
        Just(Some(EtherType::QINQ)),
        Just(Some(EtherType::QINQ_OLD)),
    ];
    (tpid, 0u8..8, any::<bool>(), 0u16..4096).prop_map(|(tpid, pcp, cfi, vid)| Vlan {
        tpid,
        pcp,
        cfi,
        vid,
        ethertype: None,
    })
}

fn arp() -> impl Strategy<Value = Arp> {
    let typed = (any::<u16>(), mac(), ipv4_addr(), mac(), ipv4_addr())
        .prop_map(|(op, sm, si, dm, di)| Arp::new(ArpOp(op), sm, si, dm, di));
    let raw = (0usize..20, 0usize..20, any::<u16>(), any::<u16>())
        .prop_flat_map(|(h, p, ht, pt)| {
            (
                proptest::collection::vec(any::<u8>(), h),
                proptest::collection::vec(any::<u8>(), p),
                proptest::collection::vec(any::<u8>(), h),
                proptest::collection::vec(any::<u8>(), p),
                Just((ht, pt)),
            )
        })
        .prop_filter("6/4 sizes are the typed form", |(sha, spa, ..)| {
            !(sha.len() == 6 && spa.len() == 4)
        })
        .prop_map(|(sha, spa, tha, tpa, (ht, pt))| Arp {
            hwtype: ht,
            proto: EtherType(pt),
            opcode: ArpOp::REQUEST,
            src_mac: MacAddr::ZERO,
            src_ip: [0, 0, 0, 0].into(),
            dst_mac: MacAddr::ZERO,
            dst_ip: [0, 0, 0, 0].into(),
            raw_addrs: Some(Box::new(ArpRawAddrs { sha, spa, tha, tpa })),
        });
    prop_oneof![typed, raw]
}

fn ipv4() -> impl Strategy<Value = Ipv4> {
    // Options a multiple of 4 bytes long: emit pads shorter ones, which then parse back longer
    // (tested on its own in `ipv4_options_are_padded`). Packet::parse checks their framing, so
    // they are well-framed lists: NOPs and type-length-value options, then end-of-list and zero
    // padding (the refusals are tested in the walker's tests).
    let one = prop_oneof![
        Just(vec![1u8]),
        (2u8..=255, proptest::collection::vec(any::<u8>(), 0..6)).prop_map(|(kind, data)| {
            let mut o = vec![kind, u8::try_from(data.len() + 2).unwrap()];
            o.extend(data);
            o
        }),
    ];
    let options = proptest::collection::vec(one, 0..6).prop_filter_map("at most 40 bytes", |os| {
        let mut o: Vec<u8> = os.concat();
        if o.len() > 40 {
            return None;
        }
        o.resize(o.len().div_ceil(4) * 4, 0);
        Some(o)
    });
    (
        ipv4_addr(),
        ipv4_addr(),
        any::<u8>(),
        any::<u16>(),
        0u8..8,
        any::<u8>(),
        options,
    )
        .prop_map(|(s, d, tos, id, flags, ttl, option)| {
            let mut ip = Ipv4::new(s, d);
            (ip.tos, ip.identification, ip.flags, ip.ttl, ip.option) =
                (tos, id, flags & !1, ttl, option.into());
            ip
        })
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..64)
}

fn icmp() -> impl Strategy<Value = Icmp> {
    let data = payload();
    (any::<u8>(), any::<u8>(), any::<[u8; 4]>(), data).prop_map(|(t, code, rest, data)| {
        let [a, b, c, d] = rest;
        let body = match t {
            0 | 8 => IcmpData::Echo {
                id: u16::from_be_bytes([a, b]),
                seq: u16::from_be_bytes([c, d]),
                data: data.into(),
            },
            3 => IcmpData::DestUnreach {
                unused: a,
                data_len: b,
                mtu: u16::from_be_bytes([c, d]),
                data: data.into(),
            },
            11 => IcmpData::TimeExceeded {
                unused: [a, c, d],
                data_len: b,
                data: data.into(),
            },
            5 => IcmpData::Redirect {
                gateway: rest.into(),
                data: data.into(),
            },
            // Every other type as this crate decodes it from the same bytes (router
            // advertisement, parameter problem, timestamp, information, address mask, raw).
            _ => {
                let mut msg = vec![t, code, 0, 0];
                msg.extend_from_slice(&rest);
                msg.extend_from_slice(&data);
                Icmp::parse(&msg).unwrap().data
            }
        };
        Icmp {
            type_: IcmpType(t),
            code,
            csum: None,
            data: body,
        }
    })
}

fn tcp_option() -> impl Strategy<Value = TcpOption> {
    prop_oneof![
        Just(TcpOption::NoOperation),
        any::<u16>().prop_map(TcpOption::MaximumSegmentSize),
        any::<u8>().prop_map(TcpOption::WindowScale),
        Just(TcpOption::SackPermitted),
        proptest::collection::vec(any::<(u32, u32)>(), 1..4).prop_map(TcpOption::Sack),
        any::<(u32, u32)>().prop_map(|(a, b)| TcpOption::Timestamps {
            ts_val: a,
            ts_ecr: b
        }),
        (9u8..=255, proptest::collection::vec(any::<u8>(), 0..6))
            .prop_map(|(kind, data)| TcpOption::Unknown { kind, data }),
    ]
}

fn tcp() -> impl Strategy<Value = Tcp> {
    (
        any::<u16>(),
        any::<u16>(),
        any::<u32>(),
        any::<u32>(),
        0u16..0x1000,
        any::<u16>(),
        any::<u16>(),
        proptest::collection::vec(tcp_option(), 0..4),
    )
        .prop_filter("options fit in 40 bytes", |t| {
            t.7.iter()
                .map(|o| match o {
                    TcpOption::NoOperation => 1,
                    TcpOption::MaximumSegmentSize(_) => 4,
                    TcpOption::WindowScale(_) => 3,
                    TcpOption::SackPermitted => 2,
                    TcpOption::Sack(b) => 2 + 8 * b.len(),
                    TcpOption::Timestamps { .. } => 10,
                    TcpOption::Unknown { data, .. } => 2 + data.len(),
                    _ => 0,
                })
                .sum::<usize>()
                <= 40
        })
        .prop_map(|(sp, dp, seq, ack, bits, win, urg, option)| {
            let mut t = Tcp::new(sp, dp, TcpFlags(bits));
            (t.seq, t.ack, t.window_size, t.urgent) = (seq, ack, win, urg);
            t.with_options(&option).unwrap()
        })
}

/// Clears every field that the serializer computes, so a parsed value compares to a built one.
fn computed_cleared(l: &Layer) -> Layer {
    let mut l = l.clone();
    match &mut l {
        Layer::Ethernet(e) => e.ethertype = None,
        Layer::Vlan(v) => v.ethertype = None,
        Layer::Ipv4(i) => {
            (i.header_length, i.total_length, i.proto, i.csum) = (None, None, None, None)
        }
        Layer::Icmp(i) => i.csum = None,
        Layer::Udp(u) => (u.total_length, u.csum) = (None, None),
        Layer::Tcp(t) => {
            (t.offset, t.csum) = (None, None);
            // Emit pads options with zeros; parse shows them as end-of-list and raw padding.
            let mut list = t.option_list();
            while matches!(list.last(), Some(TcpOption::EndOfList | TcpOption::Raw(_))) {
                list.pop();
            }
            *t = t.clone().with_options(&list).unwrap();
        }
        _ => {}
    }
    l
}

fn check_built(pkt: Packet) -> Result<(), TestCaseError> {
    let bytes = pkt
        .to_vec()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back = Packet::parse(&bytes).map_err(|e| TestCaseError::fail(format!("{e}: {pkt}")))?;
    prop_assert_eq!(back.to_vec().unwrap(), bytes.clone());
    // A tag built without a TPID gets the default one (0x88a8 when a tag follows, 0x8100
    // otherwise); a set one comes back as set.
    let mut a: Vec<Layer> = pkt.layers.iter().map(computed_cleared).collect();
    for i in 0..a.len() {
        let next_is_tag = matches!(a.get(i + 1), Some(Layer::Vlan(_)));
        if let Some(Layer::Vlan(v)) = a.get_mut(i) {
            v.tpid = Some(v.tpid_or_default(next_is_tag));
        }
    }
    let b: Vec<Layer> = back.layers.iter().map(computed_cleared).collect();
    prop_assert_eq!(a, b);
    prop_assert_eq!(&back.payload, &pkt.payload);
    // Computed checksums are right.
    let v = PacketView::parse(&bytes).unwrap();
    if let Some(ip) = v.ipv4() {
        ip.verify_checksum()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let pair = IpPair::V4(ip.src(), ip.dst());
        if let Some(u) = v.udp() {
            u.verify_checksum(&pair)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        if let Some(t) = v.tcp() {
            t.verify_checksum(&pair)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        if let Some(i) = v.icmp() {
            i.verify_checksum()
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
    }
    Ok(())
}

#[test]
fn ipv4_options_are_padded() {
    let mut ip = Ipv4::new([10, 0, 0, 1].into(), [224, 0, 0, 22].into());
    ip.option = vec![0x94, 0x04, 0x00].into(); // router alert, one byte short
    let bytes = (Ethernet::new(MacAddr::BROADCAST, MacAddr::ZERO) / ip)
        .to_vec()
        .unwrap();
    assert_eq!(bytes[14], 0x46);
    assert_eq!(&bytes[34..38], &[0x94, 0x04, 0x00, 0x00]);
    assert_eq!(
        Packet::parse(&bytes).unwrap().get::<Ipv4>().unwrap().option,
        [0x94, 0x04, 0x00, 0x00]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn built_arp(d in mac(), s in mac(), tags in proptest::collection::vec(vlan(), 0..3), a in arp()) {
        let mut p = Packet::new().push(Ethernet::new(d, s));
        for t in tags { p = p.push(t); }
        check_built(p.push(a))?;
    }

    #[test]
    fn built_udp(d in mac(), s in mac(), tags in proptest::collection::vec(vlan(), 0..3), ip in ipv4(), sp in any::<u16>(), dp in any::<u16>(), data in payload()) {
        let mut p = Packet::new().push(Ethernet::new(d, s));
        for t in tags { p = p.push(t); }
        check_built(p.push(ip).push(Udp::new(sp, dp)).with_payload(data))?;
    }

    #[test]
    fn built_tcp(d in mac(), s in mac(), ip in ipv4(), t in tcp(), data in payload()) {
        check_built((Ethernet::new(d, s) / ip / t).with_payload(data))?;
    }

    #[test]
    fn built_icmp(d in mac(), s in mac(), ip in ipv4(), i in icmp()) {
        check_built(Ethernet::new(d, s) / ip / i)?;
    }

    /// Any bytes: no panic; if they parse, they serialize back to themselves, and the lenient
    /// parse always serializes back to its input.
    #[test]
    fn arbitrary_bytes(frame in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(p) = Packet::parse(&frame) {
            prop_assert_eq!(p.to_vec().unwrap(), frame.clone());
        }
        let (p, _) = Packet::parse_partial(&frame);
        prop_assert_eq!(p.to_vec().unwrap(), frame.clone());
        let _ = PacketView::parse(&frame);
    }

    /// Mostly-valid frames with one byte changed: the same invariants, reaching deeper layers.
    #[test]
    fn mutated_valid_frames(ip in ipv4(), t in tcp(), data in payload(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut frame = (Ethernet::new(MacAddr::BROADCAST, MacAddr::ZERO) / ip / t).with_payload(data).to_vec().unwrap();
        let i = at.index(frame.len());
        frame[i] = byte;
        if let Ok(p) = Packet::parse(&frame) {
            prop_assert_eq!(p.to_vec().unwrap(), frame.clone());
        }
        let (p, _) = Packet::parse_partial(&frame);
        prop_assert_eq!(p.to_vec().unwrap(), frame);
    }
}

/// The TPID of each tag is kept: a frame with 0x8100 + 0x8100, 0x88a8 + 0x8100 or
/// 0x9100 + 0x8100 tags re-encodes to itself even with every EtherType left to compute, and
/// a tag built without a TPID gets the default one.
#[test]
fn vlan_tpids_round_trip_exactly() {
    for (outer, inner) in [
        (0x8100u16, 0x8100u16),
        (0x88a8, 0x8100),
        (0x9100, 0x8100),
        (0x8100, 0x88a8),
    ] {
        let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];
        f.extend_from_slice(&outer.to_be_bytes());
        f.extend_from_slice(&[0x20, 0x0a]); // pcp 1, vid 10
        f.extend_from_slice(&inner.to_be_bytes());
        f.extend_from_slice(&[0x00, 0x14]); // vid 20
        f.extend_from_slice(&[0x08, 0x06]); // ARP
        f.extend_from_slice(&[0; 28]);
        let p = Packet::parse(&f).unwrap();
        let tags: Vec<&Vlan> = p.get_all::<Vlan>().collect();
        assert_eq!(tags.len(), 2, "{outer:#x} {inner:#x}");
        assert_eq!(tags[0].tpid, Some(EtherType(outer)));
        assert_eq!(tags[1].tpid, Some(EtherType(inner)));
        assert_eq!((tags[0].vid, tags[0].pcp, tags[1].vid), (10, 1, 20));
        // The view decodes to the same TPIDs.
        assert_eq!(PacketView::parse(&f).unwrap().decode(), p);
        assert_eq!(p.to_vec().unwrap(), f);
        // Rebuilt with every EtherType to compute: the TPIDs come from the tags.
        let mut rebuilt = p.clone();
        for l in &mut rebuilt.layers {
            match l {
                Layer::Ethernet(e) => e.ethertype = None,
                Layer::Vlan(v) => v.ethertype = None,
                _ => {}
            }
        }
        assert_eq!(rebuilt.to_vec().unwrap(), f, "{outer:#x} {inner:#x}");
        // Ryu's notation: an 0x88a8 tag is an svlan.
        let text = p.to_string();
        let want = |t: u16| if t == 0x88a8 { "svlan(" } else { "vlan(" };
        let parts: Vec<&str> = text.split(", ").collect();
        assert!(parts[1].starts_with(want(outer)), "{text}");
        assert!(parts[2].starts_with(want(inner)), "{text}");
    }
    // Built without TPIDs: 0x88a8 for a tag another tag follows, 0x8100 otherwise.
    let e = Ethernet::new(MacAddr::BROADCAST, MacAddr::new(2, 0, 0, 0, 0, 1));
    let a = Arp::request(
        MacAddr::new(2, 0, 0, 0, 0, 1),
        [10, 0, 0, 1].into(),
        [10, 0, 0, 2].into(),
    );
    let bytes = (e.clone() / Vlan::new(10) / Vlan::new(20) / a.clone())
        .to_vec()
        .unwrap();
    assert_eq!(
        (&bytes[12..14], &bytes[16..18]),
        (&[0x88, 0xa8][..], &[0x81, 0x00][..])
    );
    // Set on the tag, it is written.
    let bytes = (e / Vlan::new(10).with_tpid(EtherType::VLAN) / Vlan::new(20) / a)
        .to_vec()
        .unwrap();
    assert_eq!(
        (&bytes[12..14], &bytes[16..18]),
        (&[0x81, 0x00][..], &[0x81, 0x00][..])
    );
}
