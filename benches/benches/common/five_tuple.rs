//! The flow key of an Eth / [802.1Q] / IPv4 / UDP|TCP frame, each library its fastest idiomatic
//! way. `None` when the frame is not of that shape (or a library rejects it).

use super::FiveTuple;

/// Ours, the documented way: walk the frame once with [`sdnwire_packet::PacketView`], then ask it for
/// the typed views.
pub(crate) fn ours_view(frame: &[u8]) -> Option<FiveTuple> {
    use sdnwire_packet::IpProtocol;
    let v = sdnwire_packet::PacketView::parse(frame).ok()?;
    let ip = v.ipv4()?;
    let (sport, dport) = match ip.protocol() {
        IpProtocol::UDP => v.udp().map(|u| (u.src_port(), u.dst_port()))?,
        IpProtocol::TCP => v.tcp().map(|t| (t.src_port(), t.dst_port()))?,
        _ => return None,
    };
    Some(FiveTuple {
        src: ip.src().octets(),
        dst: ip.dst().octets(),
        proto: ip.protocol().0,
        sport,
        dport,
    })
}

/// Ours, the documented fast path: [`sdnwire_packet::flow::FlowKey::parse`] (Ethernet, any VLAN tags,
/// IPv4 or IPv6, ports; every header checked by its view), keeping the IPv4 TCP/UDP keys.
pub(crate) fn ours_flow_key(frame: &[u8]) -> Option<FiveTuple> {
    use core::net::IpAddr;
    use sdnwire_packet::flow::FlowKey;
    use sdnwire_packet::IpProtocol;
    let k = FlowKey::parse(frame).ok()?;
    let (IpAddr::V4(src), IpAddr::V4(dst)) = (k.src, k.dst) else {
        return None;
    };
    if !matches!(k.protocol, IpProtocol::UDP | IpProtocol::TCP) || k.fragment {
        return None;
    }
    Some(FiveTuple {
        src: src.octets(),
        dst: dst.octets(),
        proto: k.protocol.0,
        sport: k.src_port,
        dport: k.dst_port,
    })
}

/// Ours, by hand: EthernetView -> VlanView* -> Ipv4View -> UdpView|TcpView, each
/// `parse` once, what a user who wants the last nanosecond writes.
pub(crate) fn ours_walk(frame: &[u8]) -> Option<FiveTuple> {
    use sdnwire_packet::ethernet::{EthernetView, VlanView};
    use sdnwire_packet::ipv4::Ipv4View;
    use sdnwire_packet::tcp::TcpView;
    use sdnwire_packet::udp::UdpView;
    use sdnwire_packet::{EtherType, IpProtocol};

    let eth = EthernetView::parse(frame).ok()?;
    let mut ethertype = eth.ethertype();
    // The views' payload() borrows the view, not the frame, so the walk keeps an offset.
    let mut off = EthernetView::<&[u8]>::HEADER_LEN;
    while ethertype.is_vlan() {
        let tag = VlanView::parse(frame.get(off..)?).ok()?;
        ethertype = tag.ethertype();
        off += VlanView::<&[u8]>::HEADER_LEN;
    }
    if ethertype != EtherType::IPV4 {
        return None;
    }
    let ip = Ipv4View::parse(frame.get(off..)?).ok()?;
    if ip.is_fragment() {
        return None;
    }
    let (sport, dport) = match ip.protocol() {
        IpProtocol::UDP => UdpView::parse(ip.payload())
            .map(|u| (u.src_port(), u.dst_port()))
            .ok()?,
        IpProtocol::TCP => TcpView::parse(ip.payload())
            .map(|t| (t.src_port(), t.dst_port()))
            .ok()?,
        _ => return None,
    };
    Some(FiveTuple {
        src: ip.src().octets(),
        dst: ip.dst().octets(),
        proto: ip.protocol().0,
        sport,
        dport,
    })
}

/// etherparse `SlicedPacket::from_ethernet`: zero-copy slices, validated on the way down.
pub(crate) fn etherparse_sliced(frame: &[u8]) -> Option<FiveTuple> {
    use etherparse::{NetSlice, SlicedPacket, TransportSlice};
    let p = SlicedPacket::from_ethernet(frame).ok()?;
    let Some(NetSlice::Ipv4(ip)) = &p.net else {
        return None;
    };
    let h = ip.header();
    let (sport, dport) = match p.transport? {
        TransportSlice::Udp(u) => (u.source_port(), u.destination_port()),
        TransportSlice::Tcp(t) => (t.source_port(), t.destination_port()),
        _ => return None,
    };
    Some(FiveTuple {
        src: h.source(),
        dst: h.destination(),
        proto: h.protocol().0,
        sport,
        dport,
    })
}

/// etherparse `PacketHeaders::from_ethernet_slice`: every header copied into owned structs.
pub(crate) fn etherparse_headers(frame: &[u8]) -> Option<FiveTuple> {
    use etherparse::{NetHeaders, PacketHeaders, TransportHeader};
    let p = PacketHeaders::from_ethernet_slice(frame).ok()?;
    let Some(NetHeaders::Ipv4(h, _)) = &p.net else {
        return None;
    };
    let (sport, dport) = match p.transport? {
        TransportHeader::Udp(u) => (u.source_port, u.destination_port),
        TransportHeader::Tcp(t) => (t.source_port, t.destination_port),
        _ => return None,
    };
    Some(FiveTuple {
        src: h.source,
        dst: h.destination,
        proto: h.protocol.0,
        sport,
        dport,
    })
}

/// smoltcp `wire`: checked packet views. smoltcp has no 802.1Q type, so a tag is skipped by hand.
pub(crate) fn smoltcp(frame: &[u8]) -> Option<FiveTuple> {
    use smoltcp::wire::{
        EthernetFrame, EthernetProtocol, IpProtocol, Ipv4Packet, TcpPacket, UdpPacket,
    };
    let eth = EthernetFrame::new_checked(frame).ok()?;
    let mut ethertype = eth.ethertype();
    let mut payload = eth.payload();
    if ethertype == EthernetProtocol::Unknown(0x8100) {
        let (tag, rest) = payload.split_first_chunk::<4>()?;
        ethertype = EthernetProtocol::from(u16::from_be_bytes([tag[2], tag[3]]));
        payload = rest;
    }
    if ethertype != EthernetProtocol::Ipv4 {
        return None;
    }
    let ip = Ipv4Packet::new_checked(payload).ok()?;
    let (sport, dport) = match ip.next_header() {
        IpProtocol::Udp => UdpPacket::new_checked(ip.payload())
            .map(|u| (u.src_port(), u.dst_port()))
            .ok()?,
        IpProtocol::Tcp => TcpPacket::new_checked(ip.payload())
            .map(|t| (t.src_port(), t.dst_port()))
            .ok()?,
        _ => return None,
    };
    Some(FiveTuple {
        src: ip.src_addr().octets(),
        dst: ip.dst_addr().octets(),
        proto: u8::from(ip.next_header()),
        sport,
        dport,
    })
}

/// pdu: `EthernetPdu` (which reads one 802.1Q tag itself) -> `into_inner()` down the stack.
pub(crate) fn pdu(frame: &[u8]) -> Option<FiveTuple> {
    use pdu::{Ethernet, EthernetPdu, Ipv4};
    let eth = EthernetPdu::new(frame).ok()?;
    let Ethernet::Ipv4(ip) = eth.into_inner().ok()? else {
        return None;
    };
    let (src, dst, proto) = (ip.source_address(), ip.destination_address(), ip.protocol());
    let (sport, dport) = match ip.into_inner().ok()? {
        Ipv4::Udp(u) => (u.source_port(), u.destination_port()),
        Ipv4::Tcp(t) => (t.source_port(), t.destination_port()),
        _ => return None,
    };
    Some(FiveTuple {
        src,
        dst,
        proto,
        sport,
        dport,
    })
}

/// pnet_packet: `EthernetPacket` -> `VlanPacket` -> `Ipv4Packet` -> `UdpPacket`|`TcpPacket`.
pub(crate) fn pnet(frame: &[u8]) -> Option<FiveTuple> {
    use pnet_packet::ethernet::{EtherTypes, EthernetPacket};
    use pnet_packet::vlan::VlanPacket;
    use pnet_packet::Packet;
    let eth = EthernetPacket::new(frame)?;
    match eth.get_ethertype() {
        EtherTypes::Ipv4 => pnet_ipv4(eth.payload()),
        EtherTypes::Vlan => {
            let tag = VlanPacket::new(eth.payload())?;
            if tag.get_ethertype() != EtherTypes::Ipv4 {
                return None;
            }
            pnet_ipv4(tag.payload())
        }
        _ => None,
    }
}

fn pnet_ipv4(buf: &[u8]) -> Option<FiveTuple> {
    use pnet_packet::ip::IpNextHeaderProtocols;
    use pnet_packet::ipv4::Ipv4Packet;
    use pnet_packet::tcp::TcpPacket;
    use pnet_packet::udp::UdpPacket;
    use pnet_packet::Packet;
    let ip = Ipv4Packet::new(buf)?;
    let proto = ip.get_next_level_protocol();
    let (sport, dport) = match proto {
        IpNextHeaderProtocols::Udp => {
            UdpPacket::new(ip.payload()).map(|u| (u.get_source(), u.get_destination()))?
        }
        IpNextHeaderProtocols::Tcp => {
            TcpPacket::new(ip.payload()).map(|t| (t.get_source(), t.get_destination()))?
        }
        _ => return None,
    };
    Some(FiveTuple {
        src: ip.get_source().octets(),
        dst: ip.get_destination().octets(),
        proto: proto.0,
        sport,
        dport,
    })
}

/// A five-tuple extractor.
pub(crate) type Extract = fn(&[u8]) -> Option<FiveTuple>;

/// Every implementation, in the order the reports list them.
pub(crate) const ALL: &[(&str, Extract)] = &[
    ("ours_flow_key", ours_flow_key),
    ("ours_view", ours_view),
    ("ours_walk", ours_walk),
    ("etherparse_sliced", etherparse_sliced),
    ("etherparse_headers", etherparse_headers),
    ("smoltcp", smoltcp),
    ("pdu", pdu),
    ("pnet", pnet),
    ("handwritten_chain", super::handwritten::chain),
    ("handwritten_flow_key", super::handwritten::flow_key),
    ("handwritten_view", super::handwritten::view),
];
