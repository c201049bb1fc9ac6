//! Every length field of Ethernet, VLAN, ARP, IPv4, ICMP, UDP and TCP, set wrong: the parse fails
//! with the right layer, field and offset, and never panics.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use sdnwire_packet::arp::ArpView;
use sdnwire_packet::ethernet::{EthernetView, VlanView};
use sdnwire_packet::icmp::IcmpView;
use sdnwire_packet::ipv4::Ipv4View;
use sdnwire_packet::tcp::TcpView;
use sdnwire_packet::udp::UdpView;
use sdnwire_packet::CodecError;
use sdnwire_packet::{Encode, Error, LayerKind, Packet, PacketView};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/testdata/{name}.bin",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn truncated(e: Error) -> (LayerKind, usize, usize, usize) {
    match e {
        Error::Truncated {
            layer,
            offset,
            needed,
            available,
            ..
        } => (layer, offset, needed, available),
        other => panic!("expected Truncated, got {other:?}"),
    }
}

fn bad_length(e: Error) -> (LayerKind, usize, &'static str, usize) {
    match e {
        Error::BadLength {
            layer,
            offset,
            field,
            value,
            ..
        } => (layer, offset, field, value),
        other => panic!("expected BadLength, got {other:?}"),
    }
}

#[test]
fn ethernet_and_vlan_truncated() {
    assert_eq!(
        truncated(EthernetView::parse(&[0u8; 13][..]).unwrap_err()),
        (LayerKind::Ethernet, 0, 14, 13)
    );
    assert_eq!(
        truncated(VlanView::parse(&[0u8; 3][..]).unwrap_err()),
        (LayerKind::Vlan, 0, 4, 3)
    );
    // In a frame, the offset counts from the frame's first byte.
    let mut f = vec![0u8; 16];
    f[12..14].copy_from_slice(&[0x81, 0x00]);
    assert_eq!(
        truncated(Packet::parse(&f).unwrap_err()),
        (LayerKind::Vlan, 14, 4, 2)
    );
    assert!(Packet::parse(&[]).is_err());
}

#[test]
fn arp_address_lengths_past_the_buffer() {
    let f = fixture("ping_arp_request");
    let arp = &f[14..];
    let mut bad = arp.to_vec();
    bad[4] = 200; // hlen
    assert_eq!(
        truncated(ArpView::parse(&bad[..]).unwrap_err()),
        (LayerKind::Arp, 0, 8 + 2 * 204, 28)
    );
    let mut bad = arp.to_vec();
    bad[5] = 255; // plen
    assert!(ArpView::parse(&bad[..]).is_err());
    assert_eq!(
        truncated(ArpView::parse(&arp[..7]).unwrap_err()),
        (LayerKind::Arp, 0, 8, 7)
    );
    // hlen 0, plen 0 is an odd but complete 8-byte message, and round-trips.
    let mut odd = arp[..8].to_vec();
    odd[4] = 0;
    odd[5] = 0;
    let mut frame = f[..14].to_vec();
    frame.extend_from_slice(&odd);
    let pkt = Packet::parse(&frame).unwrap();
    assert_eq!(pkt.to_vec().unwrap(), frame);
}

#[test]
fn ipv4_length_fields() {
    let f = fixture("udp_request");
    let ip = &f[14..];
    let mut bad = ip.to_vec();
    bad[0] = 0x65; // version 6
    assert!(matches!(
        Ipv4View::parse(&bad[..]).unwrap_err(),
        Error::BadValue {
            field: "version",
            value: 6,
            ..
        }
    ));
    let mut bad = ip.to_vec();
    bad[0] = 0x4f; // IHL 15 = 60 bytes > 35
    assert_eq!(
        truncated(Ipv4View::parse(&bad[..]).unwrap_err()),
        (LayerKind::Ipv4, 0, 60, 35)
    );
    let mut bad = ip.to_vec();
    bad[2..4].copy_from_slice(&19u16.to_be_bytes());
    assert_eq!(
        bad_length(Ipv4View::parse(&bad[..]).unwrap_err()),
        (LayerKind::Ipv4, 2, "total_length", 19)
    );
    let mut bad = ip.to_vec();
    bad[2..4].copy_from_slice(&u16::MAX.to_be_bytes());
    assert_eq!(
        bad_length(Ipv4View::parse(&bad[..]).unwrap_err()),
        (LayerKind::Ipv4, 2, "total_length", 65535)
    );
    assert_eq!(
        truncated(Ipv4View::parse(&ip[..19]).unwrap_err()),
        (LayerKind::Ipv4, 0, 20, 19)
    );
    // A bad option length is reported by the option iterator, with its offset in the header.
    let mut opt = ip[..20].to_vec();
    opt[0] = 0x46;
    opt.extend_from_slice(&[0x94, 0x09, 0, 0]);
    opt[2..4].copy_from_slice(&24u16.to_be_bytes());
    let v = Ipv4View::parse(&opt[..]).unwrap();
    let e = v.option_iter().next().unwrap().unwrap_err();
    assert_eq!(bad_length(e), (LayerKind::Ipv4, 21, "option length", 9));
}

#[test]
fn udp_length_field() {
    let f = fixture("udp_request");
    let udp = &f[34..];
    let mut bad = udp.to_vec();
    bad[4..6].copy_from_slice(&7u16.to_be_bytes());
    assert_eq!(
        bad_length(UdpView::parse(&bad[..]).unwrap_err()),
        (LayerKind::Udp, 4, "length", 7)
    );
    let mut bad = udp.to_vec();
    bad[4..6].copy_from_slice(&16u16.to_be_bytes());
    assert_eq!(
        bad_length(UdpView::parse(&bad[..]).unwrap_err()),
        (LayerKind::Udp, 4, "length", 16)
    );
    // In the frame: offset 34 + 4.
    let mut frame = f.clone();
    frame[38..40].copy_from_slice(&100u16.to_be_bytes());
    assert_eq!(
        bad_length(Packet::parse(&frame).unwrap_err()),
        (LayerKind::Udp, 38, "length", 100)
    );
    // A UDP length shorter than the IP payload: the rest is trailer, not payload.
    let mut frame = f.clone();
    frame[38..40].copy_from_slice(&10u16.to_be_bytes());
    let pkt = Packet::parse(&frame).unwrap();
    assert_eq!(pkt.payload, b"\x12\x34");
    assert_eq!(pkt.trailer, b"query");
    assert_eq!(pkt.to_vec().unwrap(), frame);
}

#[test]
fn tcp_data_offset_and_options() {
    let f = fixture("tcp_syn");
    let tcp = &f[34..];
    let mut bad = tcp.to_vec();
    bad[12] = 0x40; // offset 4
    assert_eq!(
        bad_length(TcpView::parse(&bad[..]).unwrap_err()),
        (LayerKind::Tcp, 12, "data offset", 4)
    );
    let mut bad = tcp.to_vec();
    bad[12] = 0xf0; // offset 15 = 60 bytes > 40
    assert_eq!(
        truncated(TcpView::parse(&bad[..]).unwrap_err()),
        (LayerKind::Tcp, 0, 60, 40)
    );
    // An option whose length runs past the options: the iterator says where, and so does
    // Packet::parse, which checks option framing. Packet::parse_partial keeps the segment as
    // payload (Ryu stops at a layer it cannot decode), so the frame still round-trips.
    let mut bad = f.clone();
    bad[34 + 21] = 40; // MSS length 40
    let v = TcpView::parse(&bad[34..]).unwrap();
    assert_eq!(
        bad_length(v.option_iter().next().unwrap().unwrap_err()),
        (LayerKind::Tcp, 21, "option length", 40)
    );
    assert_eq!(
        bad_length(Packet::parse(&bad).unwrap_err()),
        (LayerKind::Tcp, 34 + 21, "option length", 40)
    );
    let (pkt, err) = Packet::parse_partial(&bad);
    assert!(err.is_some());
    assert_eq!(pkt.layers.len(), 2);
    assert_eq!(pkt.to_vec().unwrap(), bad);
    let mut bad = f.clone();
    bad[34 + 21] = 0; // MSS length 0
    assert_eq!(
        bad_length(Packet::parse(&bad).unwrap_err()),
        (LayerKind::Tcp, 34 + 21, "option length", 0)
    );
    assert_eq!(Packet::parse_partial(&bad).0.to_vec().unwrap(), bad);
}

#[test]
fn icmp_truncated() {
    assert_eq!(
        truncated(IcmpView::parse(&[8u8, 0, 0, 0, 0, 0, 0][..]).unwrap_err()),
        (LayerKind::Icmp, 0, 8, 7)
    );
}

#[test]
fn fragments_keep_their_payload_raw() {
    let mut f = fixture("udp_request");
    f[20] = 0x20; // MF set, offset 0: the UDP header is not decoded
    let pkt = Packet::parse(&f).unwrap();
    assert_eq!(pkt.layers.len(), 2);
    assert_eq!(pkt.payload, &f[34..]);
    f[20] = 0x00;
    f[21] = 0x10; // offset 16 * 8
    let pkt = Packet::parse(&f).unwrap();
    assert_eq!(pkt.layers.len(), 2);
    assert_eq!(pkt.to_vec().unwrap(), f);
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Found by the differential test: an LLDPDU without End, padded by one byte.
#[test]
fn lldp_without_end_and_one_padding_byte() {
    let mut f = hex("0180c200000e02000000000188cc02070402000000000104040565746806020078");
    f.push(0);
    let pkt = Packet::parse(&f).unwrap();
    assert!(pkt.get::<sdnwire_packet::Lldp>().is_some());
    assert_eq!(pkt.trailer, [0]);
    assert_eq!(pkt.to_vec().unwrap(), f);
    assert!(PacketView::parse(&f).unwrap().lldp().is_some());
}

/// Found by the fuzzer: the walker (PacketView) accepted ICMPv6 bodies the owned parse refused.
#[test]
fn icmpv6_walker_and_parse_agree() {
    let short_echo = hex("02000000000102000000000286dd6000000000043a40fe800000000000000000000000000001fe80000000000000000000000000000280000000");
    assert!(Packet::parse(&short_echo).is_err());
    assert!(PacketView::parse(&short_echo).is_err());
    let e = PacketView::parse(&short_echo).unwrap_err();
    assert_eq!((e.layer(), e.offset()), (LayerKind::Icmpv6, Some(54)));
}

/// Found by the fuzzer: an incremental checksum update must not leave 0x0000 where a full
/// computation gives 0xffff (a message whose other words all sum to zero).
#[test]
fn incremental_checksum_never_leaves_negative_zero() {
    let mut m = hex("0800f7ff00000000");
    let mut v = IcmpView::parse(&mut m[..]).unwrap();
    v.verify_checksum().unwrap();
    v.set_msg_type(sdnwire_packet::icmp::IcmpType(0));
    v.verify_checksum().unwrap();
    assert_eq!(&m[2..4], &[0xff, 0xff]);
}

/// Found by the fuzzer: emit must refuse an LLDPDU its own parser (and any receiver) refuses.
#[test]
fn lldp_emit_refuses_invalid_pdus() {
    use sdnwire_packet::{Ethernet, Lldp, MacAddr};
    let ok = Lldp::new(MacAddr::new(2, 0, 0, 0, 0, 1), b"p1".to_vec(), 120);
    let frame = (Ethernet::new(MacAddr::LLDP_NEAREST_BRIDGE, MacAddr::new(2, 0, 0, 0, 0, 1))
        / ok.clone())
    .to_vec()
    .unwrap();
    assert_eq!(Packet::parse(&frame).unwrap().get::<Lldp>(), Some(&ok));

    let empty_port = Lldp::new(MacAddr::new(2, 0, 0, 0, 0, 1), Vec::new(), 120);
    let e = (Ethernet::new(MacAddr::LLDP_NEAREST_BRIDGE, MacAddr::ZERO) / empty_port)
        .to_vec()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Unencodable {
                layer: LayerKind::Lldp,
                ..
            }
        ),
        "{e}"
    );

    let mut reordered = ok.clone();
    reordered.tlvs.swap(0, 1);
    assert!(
        (Ethernet::new(MacAddr::LLDP_NEAREST_BRIDGE, MacAddr::ZERO) / reordered)
            .to_vec()
            .is_err()
    );
}

#[test]
fn slow_protocols_without_a_subtype() {
    // Ethernet to the slow-protocols address, EtherType 0x8809, and nothing after it.
    let mut f = vec![0x01, 0x80, 0xc2, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x88, 0x09];
    for e in [
        Packet::parse(&f).unwrap_err(),
        PacketView::parse(&f[..]).unwrap_err(),
    ] {
        assert_eq!(e.kind(), sdnwire_packet::ErrorKind::Truncated);
        assert_eq!(e.context(), "lacp");
        assert_eq!(e.offset(), Some(14));
    }
    // A subtype this crate does not decode (10, ESMC) is payload, as before.
    f.extend_from_slice(&[10, 0, 0, 0]);
    let p = Packet::parse(&f).unwrap();
    assert_eq!((p.layers.len(), &p.payload[..]), (1, &[10, 0, 0, 0][..]));
}
