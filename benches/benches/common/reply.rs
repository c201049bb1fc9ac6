//! The ICMP echo reply to an echo request frame: request bytes in, reply bytes out (into `out`,
//! a buffer reused across calls). Parsing the request is part of the work.
//!
//! Every implementation writes the same bytes: MACs and IPv4 addresses swapped; a fresh IPv4
//! header as the builders write one (TOS 0, identification 0, DF set, TTL 64, no options,
//! checksum computed); ICMP type 0 with the request's code, identifier, sequence number and
//! data, checksum computed. The in-place variants get there with setters on a copy of the
//! request (the builders' header differs from Linux's request only in identification and TTL).
//! pdu has no serializer and is not in this group.

/// Ours, owned: [`sdnwire_packet::Packet::parse`], the reply stacked as the responder example does
/// (`Ethernet / Ipv4 / Icmp::echo_reply()`), [`sdnwire_packet::Encode::encode_append`] into the reused buffer.
pub(crate) fn ours_packet(req: &[u8], out: &mut Vec<u8>) -> Option<()> {
    use sdnwire_packet::icmp::IcmpType;
    use sdnwire_packet::ipv4::FLAG_DF;
    use sdnwire_packet::{Encode, Ethernet, Icmp, Ipv4, Packet};
    let pkt = Packet::parse(req).ok()?;
    let (eth, ip, icmp) = (
        pkt.get::<Ethernet>()?,
        pkt.get::<Ipv4>()?,
        pkt.get::<Icmp>()?,
    );
    if icmp.type_ != IcmpType::ECHO_REQUEST {
        return None;
    }
    let ip = Ipv4 {
        flags: FLAG_DF,
        ..Ipv4::new(ip.dst, ip.src)
    };
    let reply = Ethernet::new(eth.src, eth.dst) / ip / icmp.echo_reply()?;
    out.clear();
    reply.encode_append(out).ok().map(|_| ())
}

/// Ours, in place: copy the request, then the views' checksum-keeping setters
/// (`EthernetView::set_src/set_dst`, `Ipv4View::set_src/set_dst/set_ident/set_ttl`,
/// `IcmpView::set_msg_type`: RFC 1624 incremental updates, no checksum is recomputed).
pub(crate) fn ours_in_place(req: &[u8], out: &mut Vec<u8>) -> Option<()> {
    use sdnwire_packet::ethernet::EthernetView;
    use sdnwire_packet::icmp::{IcmpType, IcmpView};
    use sdnwire_packet::ipv4::Ipv4View;
    use sdnwire_packet::{EtherType, IpProtocol};
    out.clear();
    out.extend_from_slice(req);
    let mut eth = EthernetView::parse(&mut out[..]).ok()?;
    if eth.ethertype() != EtherType::IPV4 {
        return None;
    }
    let (src, dst) = (eth.src(), eth.dst());
    eth.set_src(dst);
    eth.set_dst(src);
    let mut ip = Ipv4View::parse(eth.payload_mut()).ok()?;
    if ip.protocol() != IpProtocol::ICMP || ip.is_fragment() || ip.header_len() != 20 {
        return None;
    }
    let (src, dst) = (ip.src(), ip.dst());
    ip.set_src(dst);
    ip.set_dst(src);
    ip.set_ident(0);
    ip.set_ttl(64);
    let mut icmp = IcmpView::parse(ip.payload_mut()).ok()?;
    if icmp.msg_type() != IcmpType::ECHO_REQUEST {
        return None;
    }
    icmp.set_msg_type(IcmpType::ECHO_REPLY);
    Some(())
}

/// etherparse: `SlicedPacket::from_ethernet` for the request, `PacketBuilder` for the reply.
pub(crate) fn etherparse(req: &[u8], out: &mut Vec<u8>) -> Option<()> {
    use etherparse::{
        Icmpv4Type, LinkSlice, NetSlice, PacketBuilder, SlicedPacket, TransportSlice,
    };
    let p = SlicedPacket::from_ethernet(req).ok()?;
    let Some(LinkSlice::Ethernet2(eth)) = &p.link else {
        return None;
    };
    let Some(NetSlice::Ipv4(ip)) = &p.net else {
        return None;
    };
    let Some(TransportSlice::Icmpv4(icmp)) = &p.transport else {
        return None;
    };
    let Icmpv4Type::EchoRequest(echo) = icmp.icmp_type() else {
        return None;
    };
    let h = ip.header();
    let builder = PacketBuilder::ethernet2(eth.destination(), eth.source())
        .ipv4(h.destination(), h.source(), 64)
        .icmpv4_echo_reply(echo.id, echo.seq);
    out.clear();
    builder.write(out, icmp.payload()).ok()
}

/// smoltcp: `EthernetRepr`/`Ipv4Repr`/`Icmpv4Repr::parse` the request (checksums not verified,
/// as nobody else verifies them), build the reply's `Repr`s and `emit` them.
pub(crate) fn smoltcp(req: &[u8], out: &mut Vec<u8>) -> Option<()> {
    use smoltcp::phy::ChecksumCapabilities;
    use smoltcp::wire::{
        EthernetFrame, EthernetProtocol, EthernetRepr, Icmpv4Packet, Icmpv4Repr, IpProtocol,
        Ipv4Packet, Ipv4Repr,
    };
    let rx = ChecksumCapabilities::ignored();
    let f = EthernetFrame::new_checked(req).ok()?;
    let eth = EthernetRepr::parse(&f).ok()?;
    if eth.ethertype != EthernetProtocol::Ipv4 {
        return None;
    }
    let p = Ipv4Packet::new_checked(f.payload()).ok()?;
    let ip = Ipv4Repr::parse(&p, &rx).ok()?;
    if ip.next_header != IpProtocol::Icmp {
        return None;
    }
    let Icmpv4Repr::EchoRequest {
        ident,
        seq_no,
        data,
    } = Icmpv4Repr::parse(&Icmpv4Packet::new_checked(p.payload()).ok()?, &rx).ok()?
    else {
        return None;
    };
    let icmp = Icmpv4Repr::EchoReply {
        ident,
        seq_no,
        data,
    };
    let ip = Ipv4Repr {
        src_addr: ip.dst_addr,
        dst_addr: ip.src_addr,
        next_header: IpProtocol::Icmp,
        payload_len: icmp.buffer_len(),
        hop_limit: 64,
    };
    let eth = EthernetRepr {
        src_addr: eth.dst_addr,
        dst_addr: eth.src_addr,
        ethertype: EthernetProtocol::Ipv4,
    };
    out.clear();
    out.resize(eth.buffer_len() + ip.buffer_len() + icmp.buffer_len(), 0);
    let tx = ChecksumCapabilities::default();
    let mut f = EthernetFrame::new_unchecked(&mut out[..]);
    eth.emit(&mut f);
    let mut p = Ipv4Packet::new_unchecked(f.payload_mut());
    ip.emit(&mut p, &tx);
    icmp.emit(&mut Icmpv4Packet::new_unchecked(p.payload_mut()), &tx);
    Some(())
}

/// pnet_packet, in place: copy the request, `Mutable*Packet` setters, checksums recomputed with
/// `ipv4::checksum` and `icmp::checksum` (pnet has no incremental update).
pub(crate) fn pnet(req: &[u8], out: &mut Vec<u8>) -> Option<()> {
    use pnet_packet::ethernet::{EtherTypes, MutableEthernetPacket};
    use pnet_packet::icmp::{self, IcmpTypes, MutableIcmpPacket};
    use pnet_packet::ip::IpNextHeaderProtocols;
    use pnet_packet::ipv4::{self, MutableIpv4Packet};
    use pnet_packet::MutablePacket;
    out.clear();
    out.extend_from_slice(req);
    let mut eth = MutableEthernetPacket::new(&mut out[..])?;
    if eth.get_ethertype() != EtherTypes::Ipv4 {
        return None;
    }
    let (src, dst) = (eth.get_source(), eth.get_destination());
    eth.set_source(dst);
    eth.set_destination(src);
    let mut ip = MutableIpv4Packet::new(eth.payload_mut())?;
    if ip.get_next_level_protocol() != IpNextHeaderProtocols::Icmp || ip.get_header_length() != 5 {
        return None;
    }
    let (src, dst) = (ip.get_source(), ip.get_destination());
    ip.set_source(dst);
    ip.set_destination(src);
    ip.set_identification(0);
    ip.set_ttl(64);
    ip.set_checksum(ipv4::checksum(&ip.to_immutable()));
    let mut icmp = MutableIcmpPacket::new(ip.payload_mut())?;
    if icmp.get_icmp_type() != IcmpTypes::EchoRequest {
        return None;
    }
    icmp.set_icmp_type(IcmpTypes::EchoReply);
    icmp.set_checksum(icmp::checksum(&icmp.to_immutable()));
    Some(())
}

/// A responder: request bytes in, reply bytes into the buffer.
pub(crate) type Respond = fn(&[u8], &mut Vec<u8>) -> Option<()>;

/// Every implementation, in the order the reports list them.
pub(crate) const ALL: &[(&str, Respond)] = &[
    ("ours_packet", ours_packet),
    ("ours_in_place", ours_in_place),
    ("etherparse", etherparse),
    ("smoltcp", smoltcp),
    ("pnet", pnet),
];
