//! A full decode: every header of the frame turned into values.
//!
//! Owned decoders return their own values (a `Packet`, `PacketHeaders`, smoltcp `Repr`s). Views
//! are walked and every field is read into a [`Decoded`] handed to `sink` (the benchmark's sink
//! is `black_box`), so that a lazy view pays for the fields it was asked for, as its user would.

use super::{Decoded, Ip4, L4};

/// Ours, owned: [`sdnwire_packet::Packet::parse`] (no allocation for up to 8 layers and 62
/// bytes of payload). The benchmark reads the result where it is (`black_box(&result)`), as
/// the other owned decoders' results, and as a user reads a packet (`let p = ...?; use(&p)`).
pub(crate) fn ours_packet(frame: &[u8]) -> sdnwire_packet::Result<sdnwire_packet::Packet> {
    sdnwire_packet::Packet::parse(frame)
}

/// Hand-written, owned: the floor of [`ours_packet`] with today's owned types. The same
/// `Packet` value, built by hand straight off the bytes for the frames the benchmarks time
/// (Ethernet, 802.1Q / 802.1ad tags, IPv4 without options, UDP, TCP with its option framing
/// checked, ICMP echo), with the checks `Packet::parse` makes on them (the walk's common-header
/// steps: lengths within the bytes, IHL 5, not a fragment, UDP length, TCP data offset and
/// option framing, the two option lists Linux writes told first as the library tells them),
/// no allocation, and the packet returned by value as `parse` returns it.
/// Anything else (another protocol, a check that fails) goes to `Packet::parse`, which gives
/// the value or the error: `check::decodes` tests the two equal on the frames and on every
/// one-byte change of them.
pub(crate) fn handwritten_owned(frame: &[u8]) -> sdnwire_packet::Result<sdnwire_packet::Packet> {
    use sdnwire_packet::icmp::{IcmpData, IcmpType};
    use sdnwire_packet::tcp::TcpFlags;
    use sdnwire_packet::{
        EtherType, Ethernet, Icmp, IpProtocol, Ipv4, Layer, MacAddr, Packet, Tcp, Udp, Vlan,
    };
    let be16 = |b: &[u8], at: usize| u16::from_be_bytes([b[at], b[at + 1]]);
    let general = || Packet::parse(frame);
    let mut p = Packet::new();
    let Some(h) = frame.first_chunk::<14>() else {
        return general();
    };
    let mac = |at: usize| MacAddr(h[at..at + 6].try_into().unwrap_or_default());
    let mut t = be16(h, 12);
    p.layers.push(Layer::Ethernet(Ethernet {
        dst: mac(0),
        src: mac(6),
        ethertype: Some(EtherType(t)),
    }));
    let mut off = 14;
    while t == 0x8100 || t == 0x88a8 {
        let Some(v) = frame.get(off..).and_then(|b| b.first_chunk::<4>()) else {
            return general();
        };
        let tci = be16(v, 0);
        let tpid = t;
        t = be16(v, 2);
        p.layers.push(Layer::Vlan(Vlan {
            tpid: Some(EtherType(tpid)),
            pcp: (tci >> 13) as u8,
            cfi: tci & 0x1000 != 0,
            vid: tci & 0x0fff,
            ethertype: Some(EtherType(t)),
        }));
        off += 4;
    }
    if t != 0x0800 {
        return general();
    }
    let Some(h) = frame.get(off..).and_then(|b| b.first_chunk::<20>()) else {
        return general();
    };
    let total16 = be16(h, 2);
    let total = usize::from(total16);
    let frag = be16(h, 6);
    if h[0] != 0x45 || total < 20 || total > frame.len() - off || frag & 0x3fff != 0 {
        return general();
    }
    let proto = h[9];
    p.layers.push(Layer::Ipv4(Ipv4 {
        header_length: Some(5),
        tos: h[1],
        total_length: Some(total16),
        identification: be16(h, 4),
        flags: h[6] >> 5,
        offset: frag & 0x1fff,
        ttl: h[8],
        proto: Some(IpProtocol(proto)),
        csum: Some(be16(h, 10)),
        src: [h[12], h[13], h[14], h[15]].into(),
        dst: [h[16], h[17], h[18], h[19]].into(),
        option: Default::default(),
    }));
    let ip_end = off + total;
    off += 20;
    let l4 = &frame[off..ip_end];
    let (payload, end) = match proto {
        17 => {
            let Some(u) = l4.first_chunk::<8>() else {
                return general();
            };
            let len16 = be16(u, 4);
            let len = usize::from(len16);
            if len < 8 || len > l4.len() {
                return general();
            }
            p.layers.push(Layer::Udp(Udp {
                src_port: be16(u, 0),
                dst_port: be16(u, 2),
                total_length: Some(len16),
                csum: Some(be16(u, 6)),
            }));
            (off + 8, off + len)
        }
        6 => {
            let Some(th) = l4.first_chunk::<20>() else {
                return general();
            };
            let hl = usize::from(th[12] >> 4) * 4;
            if hl < 20 || hl > l4.len() || !super::handwritten::options_framed(&l4[20..hl]) {
                return general();
            }
            let mut tcp = Tcp {
                src_port: be16(th, 0),
                dst_port: be16(th, 2),
                seq: u32::from_be_bytes([th[4], th[5], th[6], th[7]]),
                ack: u32::from_be_bytes([th[8], th[9], th[10], th[11]]),
                offset: Some(th[12] >> 4),
                bits: TcpFlags(be16(th, 12) & 0x0fff),
                window_size: be16(th, 14),
                csum: Some(be16(th, 16)),
                urgent: be16(th, 18),
                option: Default::default(),
            };
            tcp.option.extend_from_slice(&l4[20..hl]);
            p.layers.push(Layer::Tcp(tcp));
            (off + hl, ip_end)
        }
        1 => {
            let Some(ih) = l4.first_chunk::<8>() else {
                return general();
            };
            let type_ = IcmpType(ih[0]);
            if type_ != IcmpType::ECHO_REQUEST && type_ != IcmpType::ECHO_REPLY {
                return general();
            }
            let mut icmp = Icmp {
                type_,
                code: ih[1],
                csum: Some(be16(ih, 2)),
                data: IcmpData::Echo {
                    id: be16(ih, 4),
                    seq: be16(ih, 6),
                    data: Default::default(),
                },
            };
            if let IcmpData::Echo { data, .. } = &mut icmp.data {
                data.extend_from_slice(&l4[8..]);
            }
            p.layers.push(Layer::Icmp(icmp));
            (ip_end, ip_end)
        }
        _ => return general(),
    };
    p.payload.extend_from_slice(&frame[payload..end]);
    p.trailer.extend_from_slice(&frame[end..]);
    Ok(p)
}

/// Ours, owned, into a packet the caller reuses: [`sdnwire_packet::Packet::parse_into`].
pub(crate) fn ours_packet_into(
    frame: &[u8],
    into: &mut sdnwire_packet::Packet,
) -> sdnwire_packet::Result<()> {
    into.parse_into(frame)
}

/// Ours, zero-copy: [`sdnwire_packet::PacketView::parse`], then every field of every typed view.
pub(crate) fn ours_view<R>(frame: &[u8], sink: impl FnOnce(&Decoded<&[u8]>) -> R) -> Option<R> {
    let v = sdnwire_packet::PacketView::parse(frame).ok()?;
    let eth = v.ethernet()?;
    let vlan = v.vlan().map(|t| (t.tci(), t.ethertype().0));
    let ip = v.ipv4()?;
    let ip4 = Ip4 {
        ihl: ip.ihl(),
        tos: ip.tos(),
        total_len: ip.total_len(),
        ident: ip.ident(),
        dont_frag: ip.dont_frag(),
        more_frags: ip.more_frags(),
        frag_offset: ip.frag_offset(),
        ttl: ip.ttl(),
        proto: ip.protocol().0,
        checksum: ip.checksum(),
        src: ip.src().octets(),
        dst: ip.dst().octets(),
        options: ip.options(),
    };
    let d = |l4, tcp_options, payload| Decoded {
        eth_dst: eth.dst().0,
        eth_src: eth.src().0,
        ethertype: eth.ethertype().0,
        vlan,
        ip: ip4,
        l4,
        tcp_options,
        payload,
    };
    if let Some(u) = v.udp() {
        let l4 = L4::Udp {
            sport: u.src_port(),
            dport: u.dst_port(),
            len: u.len(),
            checksum: u.checksum(),
        };
        Some(sink(&d(l4, &[], u.payload())))
    } else if let Some(t) = v.tcp() {
        let l4 = L4::Tcp {
            sport: t.src_port(),
            dport: t.dst_port(),
            seq: t.seq(),
            ack: t.ack(),
            data_offset: t.data_offset(),
            flags: t.flags().0.to_be_bytes()[1],
            window: t.window(),
            checksum: t.checksum(),
            urgent: t.urgent(),
        };
        Some(sink(&d(l4, t.options(), t.payload())))
    } else if let Some(i) = v.icmp() {
        let l4 = L4::Icmp {
            ty: i.msg_type().0,
            code: i.code(),
            checksum: i.checksum(),
            rest: i.rest_of_header(),
        };
        Some(sink(&d(l4, &[], i.data())))
    } else {
        None
    }
}

/// etherparse `PacketHeaders::from_ethernet_slice`: owned header structs, options in arrays.
pub(crate) fn etherparse_headers(frame: &[u8]) -> Option<etherparse::PacketHeaders<'_>> {
    etherparse::PacketHeaders::from_ethernet_slice(frame).ok()
}

/// etherparse `SlicedPacket::from_ethernet`, then every field of every slice.
pub(crate) fn etherparse_sliced<R>(
    frame: &[u8],
    sink: impl FnOnce(&Decoded<&[u8]>) -> R,
) -> Option<R> {
    use etherparse::{LinkExtSlice, LinkSlice, NetSlice, SlicedPacket, TransportSlice};
    let p = SlicedPacket::from_ethernet(frame).ok()?;
    let Some(LinkSlice::Ethernet2(eth)) = &p.link else {
        return None;
    };
    let vlan = match p.link_exts.first() {
        Some(LinkExtSlice::Vlan(t)) => {
            let tci = (u16::from(t.priority_code_point().value()) << 13)
                | (u16::from(t.drop_eligible_indicator()) << 12)
                | t.vlan_identifier().value();
            Some((tci, t.ether_type().0))
        }
        _ => None,
    };
    let Some(NetSlice::Ipv4(ip)) = &p.net else {
        return None;
    };
    let h = ip.header();
    let ip4 = Ip4 {
        ihl: h.ihl(),
        tos: (h.dcp().value() << 2) | h.ecn().value(),
        total_len: h.total_len(),
        ident: h.identification(),
        dont_frag: h.dont_fragment(),
        more_frags: h.more_fragments(),
        frag_offset: h.fragments_offset().value(),
        ttl: h.ttl(),
        proto: h.protocol().0,
        checksum: h.header_checksum(),
        src: h.source(),
        dst: h.destination(),
        options: h.options(),
    };
    let (l4, tcp_options, payload): (L4, &[u8], &[u8]) = match p.transport.as_ref()? {
        TransportSlice::Udp(u) => (
            L4::Udp {
                sport: u.source_port(),
                dport: u.destination_port(),
                len: u.length(),
                checksum: u.checksum(),
            },
            &[],
            u.payload(),
        ),
        TransportSlice::Tcp(t) => (
            L4::Tcp {
                sport: t.source_port(),
                dport: t.destination_port(),
                seq: t.sequence_number(),
                ack: t.acknowledgment_number(),
                data_offset: t.data_offset(),
                flags: tcp_flags(
                    t.cwr(),
                    t.ece(),
                    t.urg(),
                    t.ack(),
                    t.psh(),
                    t.rst(),
                    t.syn(),
                    t.fin(),
                ),
                window: t.window_size(),
                checksum: t.checksum(),
                urgent: t.urgent_pointer(),
            },
            t.options(),
            t.payload(),
        ),
        TransportSlice::Icmpv4(i) => {
            let s = i.slice();
            let rest = s.get(4..8)?.try_into().ok()?;
            (
                L4::Icmp {
                    ty: i.type_u8(),
                    code: i.code_u8(),
                    checksum: i.checksum(),
                    rest,
                },
                &[],
                i.payload(),
            )
        }
        _ => return None,
    };
    Some(sink(&Decoded {
        eth_dst: eth.destination(),
        eth_src: eth.source(),
        ethertype: eth.ether_type().0,
        vlan,
        ip: ip4,
        l4,
        tcp_options,
        payload,
    }))
}

/// The 8 flag bits from booleans, CWR first.
#[allow(clippy::too_many_arguments, clippy::fn_params_excessive_bools)]
fn tcp_flags(
    cwr: bool,
    ece: bool,
    urg: bool,
    ack: bool,
    psh: bool,
    rst: bool,
    syn: bool,
    fin: bool,
) -> u8 {
    (u8::from(cwr) << 7)
        | (u8::from(ece) << 6)
        | (u8::from(urg) << 5)
        | (u8::from(ack) << 4)
        | (u8::from(psh) << 3)
        | (u8::from(rst) << 2)
        | (u8::from(syn) << 1)
        | u8::from(fin)
}

/// What smoltcp's `Repr`s hold for a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SmoltcpDecoded<'a> {
    pub(crate) eth: smoltcp::wire::EthernetRepr,
    pub(crate) vlan_tci: Option<u16>,
    pub(crate) ip: smoltcp::wire::Ipv4Repr,
    pub(crate) l4: SmoltcpL4<'a>,
}

/// smoltcp's transport `Repr`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SmoltcpL4<'a> {
    Udp(smoltcp::wire::UdpRepr, &'a [u8]),
    Tcp(smoltcp::wire::TcpRepr<'a>),
    Icmp(smoltcp::wire::Icmpv4Repr<'a>),
}

/// smoltcp: `EthernetRepr::parse`, `Ipv4Repr::parse`, then `UdpRepr`/`TcpRepr`/`Icmpv4Repr::parse`,
/// checksums not verified (no other decoder here verifies them). smoltcp has no 802.1Q type: a
/// tag is read by hand.
pub(crate) fn smoltcp(frame: &[u8]) -> Option<SmoltcpDecoded<'_>> {
    use smoltcp::phy::ChecksumCapabilities;
    use smoltcp::wire::{
        EthernetFrame, EthernetProtocol, EthernetRepr, Icmpv4Packet, Icmpv4Repr, IpAddress,
        IpProtocol, Ipv4Packet, Ipv4Repr, TcpPacket, TcpRepr, UdpPacket, UdpRepr,
    };
    let caps = ChecksumCapabilities::ignored();
    let f = EthernetFrame::new_checked(frame).ok()?;
    let eth = EthernetRepr::parse(&f).ok()?;
    let mut ethertype = eth.ethertype;
    let mut payload = f.payload();
    let mut vlan_tci = None;
    if ethertype == EthernetProtocol::Unknown(0x8100) {
        let (tag, rest) = payload.split_first_chunk::<4>()?;
        vlan_tci = Some(u16::from_be_bytes([tag[0], tag[1]]));
        ethertype = EthernetProtocol::from(u16::from_be_bytes([tag[2], tag[3]]));
        payload = rest;
    }
    if ethertype != EthernetProtocol::Ipv4 {
        return None;
    }
    let p = Ipv4Packet::new_checked(payload).ok()?;
    let ip = Ipv4Repr::parse(&p, &caps).ok()?;
    let (src, dst) = (IpAddress::Ipv4(ip.src_addr), IpAddress::Ipv4(ip.dst_addr));
    let l4 = match ip.next_header {
        IpProtocol::Udp => {
            let u = UdpPacket::new_checked(p.payload()).ok()?;
            SmoltcpL4::Udp(UdpRepr::parse(&u, &src, &dst, &caps).ok()?, u.payload())
        }
        IpProtocol::Tcp => SmoltcpL4::Tcp(
            TcpRepr::parse(
                &TcpPacket::new_checked(p.payload()).ok()?,
                &src,
                &dst,
                &caps,
            )
            .ok()?,
        ),
        IpProtocol::Icmp => SmoltcpL4::Icmp(
            Icmpv4Repr::parse(&Icmpv4Packet::new_checked(p.payload()).ok()?, &caps).ok()?,
        ),
        _ => return None,
    };
    Some(SmoltcpDecoded {
        eth,
        vlan_tci,
        ip,
        l4,
    })
}

/// pdu: `EthernetPdu` -> `Ipv4Pdu` -> `UdpPdu`/`TcpPdu`/`IcmpPdu`, every accessor read.
pub(crate) fn pdu<R>(frame: &[u8], sink: impl FnOnce(&Decoded<&[u8]>) -> R) -> Option<R> {
    use pdu::{Ethernet, EthernetPdu, Icmp, Ipv4, Tcp, Udp};
    let eth = EthernetPdu::new(frame).ok()?;
    let vlan = eth.vlan().map(|vid| {
        let pcp = eth.vlan_pcp().unwrap_or(0);
        let dei = eth.vlan_dei().unwrap_or(false);
        (
            (u16::from(pcp) << 13) | (u16::from(dei) << 12) | vid,
            eth.ethertype(),
        )
    });
    let (eth_dst, eth_src, ethertype) =
        (eth.destination_address(), eth.source_address(), eth.tpid());
    let Ethernet::Ipv4(ip) = eth.into_inner().ok()? else {
        return None;
    };
    let ip4 = Ip4 {
        ihl: ip.ihl(),
        tos: (ip.dscp() << 2) | ip.ecn(),
        total_len: ip.total_length(),
        ident: ip.identification(),
        dont_frag: ip.dont_fragment(),
        more_frags: ip.more_fragments(),
        frag_offset: ip.fragment_offset(),
        ttl: ip.ttl(),
        proto: ip.protocol(),
        checksum: ip.checksum(),
        src: ip.source_address(),
        dst: ip.destination_address(),
        options: ip.into_bytes().get(20..)?,
    };
    let (l4, tcp_options, payload): (L4, &[u8], &[u8]) = match ip.into_inner().ok()? {
        Ipv4::Udp(u) => {
            let l4 = L4::Udp {
                sport: u.source_port(),
                dport: u.destination_port(),
                len: u.length(),
                checksum: u.checksum(),
            };
            let Udp::Raw(payload) = u.into_inner().ok()?;
            (l4, &[], payload)
        }
        Ipv4::Tcp(t) => {
            let l4 = L4::Tcp {
                sport: t.source_port(),
                dport: t.destination_port(),
                seq: t.sequence_number(),
                ack: t.acknowledgement_number(),
                data_offset: t.data_offset(),
                flags: t.flags(),
                window: t.window_size(),
                checksum: t.checksum(),
                urgent: t.urgent_pointer(),
            };
            let options = t.into_bytes().get(20..)?;
            let Tcp::Raw(payload) = t.into_inner().ok()?;
            (l4, options, payload)
        }
        Ipv4::Icmp(i) => {
            let (ty, code, checksum) = (i.message_type(), i.message_code(), i.checksum());
            let Icmp::Raw(msg) = i.into_inner().ok()?;
            let (rest, data) = msg.split_first_chunk::<4>()?;
            (
                L4::Icmp {
                    ty,
                    code,
                    checksum,
                    rest: *rest,
                },
                &[],
                data,
            )
        }
        _ => return None,
    };
    Some(sink(&Decoded {
        eth_dst,
        eth_src,
        ethertype,
        vlan,
        ip: ip4,
        l4,
        tcp_options,
        payload,
    }))
}

/// pnet_packet: `EthernetPacket` -> `VlanPacket` -> `Ipv4Packet` -> `UdpPacket`/`TcpPacket`/
/// `IcmpPacket`, every getter read. pnet's slices borrow the packet structs, so `sink` is called
/// from the innermost one.
pub(crate) fn pnet<R>(frame: &[u8], sink: impl FnOnce(&Decoded<&[u8]>) -> R) -> Option<R> {
    use pnet_packet::ethernet::{EtherTypes, EthernetPacket};
    use pnet_packet::vlan::VlanPacket;
    use pnet_packet::Packet;
    let eth = EthernetPacket::new(frame)?;
    let head = |vlan| Head {
        eth_dst: eth.get_destination().octets(),
        eth_src: eth.get_source().octets(),
        ethertype: eth.get_ethertype().0,
        vlan,
    };
    match eth.get_ethertype() {
        EtherTypes::Ipv4 => pnet_ipv4(head(None), eth.payload(), sink),
        EtherTypes::Vlan => {
            let t = VlanPacket::new(eth.payload())?;
            let tci = (u16::from(t.get_priority_code_point().0) << 13)
                | (u16::from(t.get_drop_eligible_indicator()) << 12)
                | t.get_vlan_identifier();
            if t.get_ethertype() != EtherTypes::Ipv4 {
                return None;
            }
            pnet_ipv4(head(Some((tci, t.get_ethertype().0))), t.payload(), sink)
        }
        _ => None,
    }
}

struct Head {
    eth_dst: [u8; 6],
    eth_src: [u8; 6],
    ethertype: u16,
    vlan: Option<(u16, u16)>,
}

fn pnet_ipv4<R>(head: Head, buf: &[u8], sink: impl FnOnce(&Decoded<&[u8]>) -> R) -> Option<R> {
    use pnet_packet::icmp::IcmpPacket;
    use pnet_packet::ip::IpNextHeaderProtocols;
    use pnet_packet::ipv4::Ipv4Packet;
    use pnet_packet::tcp::TcpPacket;
    use pnet_packet::udp::UdpPacket;
    use pnet_packet::Packet;
    let ip = Ipv4Packet::new(buf)?;
    let ip4 = Ip4 {
        ihl: ip.get_header_length(),
        tos: (ip.get_dscp() << 2) | ip.get_ecn(),
        total_len: ip.get_total_length(),
        ident: ip.get_identification(),
        dont_frag: ip.get_flags() & 0b010 != 0,
        more_frags: ip.get_flags() & 0b001 != 0,
        frag_offset: ip.get_fragment_offset(),
        ttl: ip.get_ttl(),
        proto: ip.get_next_level_protocol().0,
        checksum: ip.get_checksum(),
        src: ip.get_source().octets(),
        dst: ip.get_destination().octets(),
        options: ip.get_options_raw(),
    };
    let d = |l4, tcp_options, payload| Decoded {
        eth_dst: head.eth_dst,
        eth_src: head.eth_src,
        ethertype: head.ethertype,
        vlan: head.vlan,
        ip: ip4,
        l4,
        tcp_options,
        payload,
    };
    match ip.get_next_level_protocol() {
        IpNextHeaderProtocols::Udp => {
            let u = UdpPacket::new(ip.payload())?;
            let l4 = L4::Udp {
                sport: u.get_source(),
                dport: u.get_destination(),
                len: u.get_length(),
                checksum: u.get_checksum(),
            };
            Some(sink(&d(l4, &[], u.payload())))
        }
        IpNextHeaderProtocols::Tcp => {
            let t = TcpPacket::new(ip.payload())?;
            let l4 = L4::Tcp {
                sport: t.get_source(),
                dport: t.get_destination(),
                seq: t.get_sequence(),
                ack: t.get_acknowledgement(),
                data_offset: t.get_data_offset(),
                flags: t.get_flags(),
                window: t.get_window(),
                checksum: t.get_checksum(),
                urgent: t.get_urgent_ptr(),
            };
            Some(sink(&d(l4, t.get_options_raw(), t.payload())))
        }
        IpNextHeaderProtocols::Icmp => {
            let i = IcmpPacket::new(ip.payload())?;
            let (rest, data) = i.payload().split_first_chunk::<4>()?;
            let l4 = L4::Icmp {
                ty: i.get_icmp_type().0,
                code: i.get_icmp_code().0,
                checksum: i.get_checksum(),
                rest: *rest,
            };
            Some(sink(&d(l4, &[], data)))
        }
        _ => None,
    }
}
