//! The prefix walk (`walk::Mode::Prefix`) reports a cut only where the bytes ran out: a whole
//! frame that the strict walk refuses is refused in prefix mode too, inside tunnels and option
//! lists included.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
use sdnwire_packet::flow::FlowKey;
use sdnwire_packet::ipv6::Ipv6ExtHeader;
use sdnwire_packet::tcp::{Tcp, TcpFlags};
use sdnwire_packet::walk::{Mode, Walker};
use sdnwire_packet::*;

fn eth() -> Ethernet {
    Ethernet::new(
        MacAddr::new(0, 0, 0, 0, 0, 2),
        MacAddr::new(0, 0, 0, 0, 0, 1),
    )
}
fn ip4() -> Ipv4 {
    Ipv4::new("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap())
}
fn ip6() -> Ipv6 {
    Ipv6::new("fd00::1".parse().unwrap(), "fd00::2".parse().unwrap())
}

/// Strict error on a whole frame => prefix walk of the same whole frame must error too
/// (nothing was cut) or at least report no cut inside the bytes.
fn prefix_agrees_on_whole(f: &[u8]) {
    let strict = Walker::new(f).find_map(Result::err);
    let mut w = Walker::prefix(f);
    let prefix = w.by_ref().find_map(Result::err);
    assert!(
        strict.is_some(),
        "probe frame must be refused by the strict walk"
    );
    assert!(
        prefix.is_some(),
        "whole frame: strict says {:?}, prefix says no error and cut {:?}",
        strict.unwrap(),
        w.cut()
    );
}

#[test]
fn prefix_tcp_option_without_length_byte() {
    let mut t = Tcp::new(1, 2, TcpFlags::SYN);
    t.option = [1, 1, 1, 2].into();
    let f = (eth() / ip4() / t)
        .with_payload(vec![0u8; 16])
        .to_vec()
        .unwrap();
    prefix_agrees_on_whole(&f);
}

#[test]
fn prefix_ipv6_hbh_option_without_length_byte() {
    let ip = ip6().with_ext_header(Ipv6ExtHeader::hop_by_hop(vec![1, 3, 0, 0, 0, 5]));
    let f = (eth() / ip / Udp::new(1, 2))
        .with_payload(vec![0u8; 16])
        .to_vec()
        .unwrap();
    prefix_agrees_on_whole(&f);
}

#[test]
fn prefix_ipv6_payload_len_inside_ext_header() {
    // payload length 1, next header routing: the chain runs past the payload length.
    let mut ip = ip6();
    ip.payload_length = Some(1);
    ip.nxt = Some(IpProtocol::IPV6_ROUTE);
    let f = (eth() / ip).with_payload(vec![0u8; 30]).to_vec().unwrap();
    prefix_agrees_on_whole(&f);
}

#[test]
fn prefix_tcp_data_offset_past_ip_total_length() {
    let mut ip = ip4();
    ip.total_length = Some(40); // 20 + 20: TCP bounded to 20 bytes
    let mut t = Tcp::new(1, 2, TcpFlags::SYN);
    t.option = [1, 1, 1, 1].into(); // data offset 6
    let f = (eth() / ip / t)
        .with_payload(vec![0u8; 20])
        .to_vec()
        .unwrap();
    prefix_agrees_on_whole(&f);
}

#[test]
fn prefix_udp_length_below_8_under_bounded_ipv4() {
    let mut u = Udp::new(1, 2);
    u.total_length = Some(4);
    let f = (eth() / ip4() / u)
        .with_payload(vec![0u8; 200])
        .to_vec()
        .unwrap();
    assert!(
        Walker::new(&f).any(|s| s.is_err()),
        "strict refuses UDP length 4"
    );
    // The first 60 bytes: IPv4 bounded, UDP header whole; its length 4 is wrong whatever.
    let mut w = Walker::with(&f[..60], LayerKind::Ethernet, Mode::Prefix);
    let err = w.by_ref().find_map(Result::err);
    let cut = w.cut();
    assert!(
        err.is_some() || cut.map(|c| c.walked) != Some(false),
        "UDP header whole, length 4: no error and a cut that says the header was cut: {cut:?}"
    );
}

/// `FlowKey::parse` reads the TCP ports without walking the options (documented): a key
/// where `Packet::parse` refuses the option framing; never the other way round.
#[test]
fn flowkey_does_not_walk_tcp_options() {
    let mut t = Tcp::new(1, 2, TcpFlags::SYN);
    t.option = [2, 8, 5, 180].into();
    let f = (eth() / ip4() / t).to_vec().unwrap();
    assert!(Packet::parse(&f).is_err());
    let k = FlowKey::parse(&f).unwrap();
    assert_eq!((k.src_port, k.dst_port), (1, 2));
}

#[test]
fn prefix_bounds_an_inner_ip_length_that_the_outer_header_bounds() {
    // 6in4, whole frame: the inner IPv6 payload length (1000) runs past what the outer IPv4
    // total length gives it. Nothing was cut: the strict walk refuses it, so must the prefix.
    let mut inner = ip6();
    inner.payload_length = Some(1000);
    inner.nxt = Some(IpProtocol::UDP);
    let f6 = (eth() / ip4() / inner)
        .with_payload(vec![0u8; 40])
        .to_vec()
        .unwrap();
    // IPv4 in IPv4, the same.
    let mut inner4 = ip4();
    inner4.total_length = Some(1000);
    let f4 = (eth() / ip4() / inner4 / Udp::new(1, 2))
        .with_payload(vec![0u8; 40])
        .to_vec()
        .unwrap();
    let r4 = std::panic::catch_unwind(|| prefix_agrees_on_whole(&f4));
    prefix_agrees_on_whole(&f6);
    assert!(r4.is_ok(), "4in4 case fails too");
}

fn bad_routing() -> Ipv6ExtHeader {
    Ipv6ExtHeader::new(IpProtocol::IPV6_ROUTE, vec![4, 0, 0, 0, 0, 0])
}

#[test]
fn routing_header_checked_by_parse_and_by_both_walks() {
    // A segment routing header (type 4) that claims a segment (last entry 0) and holds none.
    let mut ip = ip6().with_ext_header(bad_routing());
    ip.nxt = Some(IpProtocol::IPV6_ROUTE);
    let f = (eth() / ip / Udp::new(1, 2))
        .with_payload(vec![0u8; 64])
        .to_vec()
        .unwrap();
    // What decoding the header refuses, Packet::parse refuses, with the same error.
    let decoded = bad_routing().routing().unwrap().unwrap_err();
    let parsed = Packet::parse(&f).unwrap_err();
    assert_eq!(parsed.layer(), LayerKind::Ipv6);
    assert_eq!(
        (parsed.kind(), parsed.field()),
        (decoded.kind(), decoded.field()),
        "{parsed} / {decoded}"
    );
    prefix_agrees_on_whole(&f);
    // Cut after the routing header (the payload length bounded): still refused, not a cut.
    let mut w = Walker::prefix(&f[..14 + 40 + 8 + 4]);
    assert!(w.by_ref().any(|s| s.is_err()), "cut: {:?}", w.cut());
}

/// A whole IPv4 datagram inside an IPv6 header whose payload length was bounded to the bytes
/// present, ending exactly at the last byte: its UDP length of 200 (past the IPv4 total length
/// of 38) is wrong whatever the bytes, as it is without the tunnel; not a cut.
#[test]
fn inner_whole_datagram_in_a_bounded_tunnel_is_checked_whole() {
    let mut outer = ip6();
    outer.payload_length = Some(1000);
    outer.nxt = Some(IpProtocol(4));
    let mut inner = ip4();
    inner.total_length = Some(38);
    let mut udp = Udp::new(1, 2);
    udp.total_length = Some(200);
    let f = (eth() / outer / inner / udp)
        .with_payload(vec![0u8; 10])
        .to_vec()
        .unwrap();
    assert_eq!(f.len(), 14 + 40 + 38);
    let mut w = Walker::prefix(&f);
    let err = w.by_ref().find_map(Result::err);
    assert!(err.is_some(), "no error, cut {:?}", w.cut());
    assert_eq!(err.unwrap().layer(), LayerKind::Udp);
}
