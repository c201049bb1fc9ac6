//! Reading the frames we are given and building the queries we send.

use core::net::{Ipv4Addr, Ipv6Addr};
use core::time::Duration;

use alloc::vec::Vec;
use sdnwire_packet::checksum::checksum;
use sdnwire_packet::ethernet::{EthernetView, VlanView};
use sdnwire_packet::icmpv6::{Icmpv6Type, Icmpv6View};
use sdnwire_packet::igmp::{IgmpType, IgmpView, MessageKind};
use sdnwire_packet::ipv4::Ipv4View;
use sdnwire_packet::ipv6::Ipv6View;
use sdnwire_packet::walk::{Fragment, Walker};
use sdnwire_packet::{CodecError, EtherType, IpPair, IpProtocol, LayerKind, MacAddr, Span};

/// IPv4 protocol number of PIM.
const PIM: IpProtocol = IpProtocol(103);

/// What a membership message is, in IGMP's terms (MLDv1 is IGMPv2, MLDv2 is IGMPv3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A query of IGMP version 1, 2 or 3 (MLDv1: 2, MLDv2: 3).
    Query(u8),
    /// An IGMPv1 or IGMPv2 (MLDv1) report: version 1 or 2.
    Report(u8),
    /// An IGMPv2 leave, an MLDv1 Done.
    Leave,
    /// An IGMPv3 or MLDv2 report.
    ReportV3,
    /// Another message of the protocol.
    Other,
}

impl Kind {
    /// Reports and leaves.
    pub(crate) fn is_membership(self) -> bool {
        matches!(self, Kind::Report(_) | Kind::Leave | Kind::ReportV3)
    }
}

/// An IGMP or MLD message, read as far as the snooper needs.
#[derive(Debug, Clone, Copy)]
pub struct Msg<'a, A> {
    pub(crate) kind: Kind,
    /// The group of a query (unspecified: general), report or leave.
    pub(crate) group: A,
    /// A query's maximum response time.
    pub(crate) max_resp: Option<Duration>,
    pub(crate) s_flag: bool,
    pub(crate) qrv: u8,
    pub(crate) qqi: Option<Duration>,
    /// The whole IGMP or ICMPv6 message (checked: its counts and lengths hold).
    pub(crate) bytes: &'a [u8],
}

/// A frame, read as far as the snooper needs.
#[derive(Debug)]
pub enum Parsed<'a, A> {
    /// An IGMP or MLD message.
    Msg {
        /// VLAN id from the frame's 802.1Q tag, if any.
        tag: Option<u16>,
        src_mac: MacAddr,
        ip_src: A,
        msg: Msg<'a, A>,
    },
    /// A PIM hello (RFC 7761 §4.9.2): the port has a multicast router.
    PimHello { tag: Option<u16> },
    /// Something else: not ours.
    Other,
}

/// The Ethernet and VLAN layers of a frame: the source MAC, the outer VLAN id, and the span
/// of the IP layer the walker found next (`None`: not `want`).
fn link<'a>(
    frame: &'a [u8],
    w: &mut Walker<'a>,
    want: LayerKind,
) -> Result<Option<(MacAddr, Option<u16>, Span)>, sdnwire_packet::Error> {
    let mut src_mac = MacAddr::ZERO;
    let mut tag = None;
    let mut tags = 0;
    loop {
        match w.peek() {
            Some(LayerKind::Ethernet) => {
                if let Some(s) = w.next().transpose()? {
                    src_mac = EthernetView::parse(span(frame, s))?.src();
                }
            }
            // More than two tags: not a frame the snooper reads.
            Some(LayerKind::Vlan) if tags < 2 => {
                if let Some(s) = w.next().transpose()? {
                    tags += 1;
                    if tag.is_none() {
                        tag = Some(VlanView::parse(span(frame, s))?.vid());
                    }
                }
            }
            Some(k) if k == want => {
                return Ok(w.next().transpose()?.map(|s| (src_mac, tag, s)));
            }
            _ => return Ok(None),
        }
    }
}

/// Reads Ethernet, at most two VLAN tags (the outer one is the VLAN), IPv4 (checksum
/// checked) and IGMP (checksum checked) or PIM, on the packet library's walker
/// ([`Walker`]): the layers are checked, and errors placed, as `Packet::parse` does.
pub(crate) fn parse_v4(frame: &[u8]) -> Result<Parsed<'_, Ipv4Addr>, sdnwire_packet::Error> {
    let mut w = Walker::new(frame);
    let Some((src_mac, tag, ip)) = link(frame, &mut w, LayerKind::Ipv4)? else {
        return Ok(Parsed::Other);
    };
    let ip_view = Ipv4View::parse(span(frame, ip))?;
    let proto = ip_view.protocol();
    if proto != IpProtocol::IGMP && proto != PIM {
        return Ok(Parsed::Other);
    }
    ip_view
        .verify_checksum()
        .map_err(|e| e.add_offset(ip.start))?;
    if w.fragment() != Fragment::No {
        return Ok(Parsed::Other);
    }
    let ip_src = ip_view.src();
    let ip_dst = ip_view.dst();
    if proto == PIM {
        // Version 2, type 0 (hello), to ALL-PIM-ROUTERS.
        let hello = w.rest().first() == Some(&0x20) && ip_dst == Ipv4Addr::new(224, 0, 0, 13);
        return Ok(if hello {
            Parsed::PimHello { tag }
        } else {
            Parsed::Other
        });
    }
    let Some(m) = w.next().transpose()? else {
        return Ok(Parsed::Other);
    };
    let igmp = IgmpView::parse(span(frame, m)).map_err(|e| e.add_offset(m.start))?;
    igmp.verify_checksum().map_err(|e| e.add_offset(m.start))?;
    let kind = match igmp.kind() {
        k @ (MessageKind::QueryV1 | MessageKind::QueryV2 | MessageKind::QueryV3) => {
            Kind::Query(k.version().unwrap_or(2))
        }
        MessageKind::ReportV1 => Kind::Report(1),
        MessageKind::ReportV2 => Kind::Report(2),
        MessageKind::LeaveV2 => Kind::Leave,
        MessageKind::ReportV3 => Kind::ReportV3,
        _ => Kind::Other,
    };
    Ok(Parsed::Msg {
        tag,
        src_mac,
        ip_src,
        msg: Msg {
            kind,
            group: igmp.group_address(),
            max_resp: igmp.max_resp_time(),
            s_flag: igmp.s_flag(),
            qrv: igmp.qrv(),
            qqi: igmp.qqi(),
            bytes: span(frame, m),
        },
    })
}

/// Reads Ethernet, at most two VLAN tags, IPv6 and its extension headers, and an MLD message
/// (checksum and lengths checked) or a PIM hello. As the Linux bridge does, an ICMPv6 message
/// is MLD only when a Hop-by-Hop Options header comes first (RFC 2710 §3, RFC 3810 §5: MLD is
/// sent with the Router Alert option); others are not ours.
pub(crate) fn parse_v6(frame: &[u8]) -> Result<Parsed<'_, Ipv6Addr>, sdnwire_packet::Error> {
    let mut w = Walker::new(frame);
    let Some((src_mac, tag, ip)) = link(frame, &mut w, LayerKind::Ipv6)? else {
        return Ok(Parsed::Other);
    };
    let ip_view = Ipv6View::parse(span(frame, ip))?;
    let proto = w.ip_protocol();
    if (proto != Some(IpProtocol::ICMPV6) && proto != Some(PIM)) || w.fragment() != Fragment::No {
        return Ok(Parsed::Other);
    }
    let (ip_src, ip_dst) = (ip_view.src(), ip_view.dst());
    if proto == Some(PIM) {
        // Version 2, type 0 (hello), to ALL-PIM-ROUTERS (ff02::d).
        let hello = w.rest().first() == Some(&0x20)
            && ip_dst == Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0xd);
        return Ok(if hello {
            Parsed::PimHello { tag }
        } else {
            Parsed::Other
        });
    }
    if ip_view.next_header() != IpProtocol::HOPOPT {
        return Ok(Parsed::Other);
    }
    let Some(m) = w.next().transpose()? else {
        return Ok(Parsed::Other);
    };
    let bytes = span(frame, m);
    let icmp = Icmpv6View::parse(bytes).map_err(|e| e.add_offset(m.start))?;
    let t = icmp.msg_type();
    let mld = matches!(
        t,
        Icmpv6Type::MLD_LISTENER_QUERY
            | Icmpv6Type::MLD_LISTENER_REPORT
            | Icmpv6Type::MLD_LISTENER_DONE
            | Icmpv6Type::MLDV2_LISTENER_REPORT
    );
    if !mld {
        return Ok(Parsed::Other);
    }
    icmp.check_body().map_err(|e| e.add_offset(m.start))?;
    icmp.verify_checksum(&IpPair::V6(ip_src, ip_dst))
        .map_err(|e| e.add_offset(m.start))?;
    let (code, group) = icmp.mld().unwrap_or((0, Ipv6Addr::UNSPECIFIED));
    let mut msg = Msg {
        kind: Kind::Other,
        group,
        max_resp: None,
        s_flag: false,
        qrv: 0,
        qqi: None,
        bytes,
    };
    match t {
        Icmpv6Type::MLD_LISTENER_QUERY => {
            // RFC 3810 §8.1: 24 bytes is MLDv1, 28 or more MLDv2 (other lengths: ignored).
            if bytes.len() == 24 {
                msg.kind = Kind::Query(2);
                msg.max_resp = Some(Duration::from_millis(u64::from(code)));
            } else if bytes.len() >= 28 {
                let flags = bytes.get(24).copied().unwrap_or(0);
                let qqic = bytes.get(25).copied().unwrap_or(0);
                msg.kind = Kind::Query(3);
                msg.max_resp = Some(Duration::from_millis(u64::from(mld_code16(code))));
                msg.s_flag = flags & 0x08 != 0;
                msg.qrv = flags & 0x07;
                msg.qqi = Some(sdnwire_packet::igmp::qqic_to_duration(qqic));
            }
        }
        Icmpv6Type::MLD_LISTENER_REPORT => msg.kind = Kind::Report(2),
        Icmpv6Type::MLD_LISTENER_DONE => msg.kind = Kind::Leave,
        _ => {
            msg.kind = Kind::ReportV3;
            msg.group = Ipv6Addr::UNSPECIFIED;
        }
    }
    Ok(Parsed::Msg {
        tag,
        src_mac,
        ip_src,
        msg,
    })
}

/// MLDv2's 16-bit Maximum Response Code in milliseconds (RFC 3810 §5.1.3).
fn mld_code16(code: u16) -> u32 {
    if code < 0x8000 {
        u32::from(code)
    } else {
        let exp = (code >> 12) & 7;
        let mant = code & 0x0fff;
        (u32::from(mant) | 0x1000) << (exp + 3)
    }
}

/// The Maximum Response Code of `d` (RFC 3810 §5.1.3), rounded down, at most the largest.
fn mld_resp_code16(d: Duration) -> u16 {
    let ms = u32::try_from(d.as_millis()).unwrap_or(u32::MAX);
    if ms < 0x8000 {
        return u16::try_from(ms).unwrap_or(0x7fff);
    }
    for exp in 0u16..8 {
        let mant = ms >> (exp + 3);
        if mant < 0x2000 {
            let m = u16::try_from(mant & 0x0fff).unwrap_or(0);
            return 0x8000 | (exp << 12) | m;
        }
    }
    0xffff
}

/// Calls `f` with each group record of an IGMPv3 report (message `bytes`), up to the first
/// bad one: its type, group, and its sources' bytes.
pub(crate) fn records_v4(bytes: &[u8], mut f: impl FnMut(u8, Ipv4Addr, &[u8])) {
    if let Ok(v) = IgmpView::parse(bytes) {
        for r in v.group_records().flatten() {
            let n = usize::from(r.num_sources());
            // The checked view guarantees the 4·N bytes after the 8-byte header.
            let raw = r.as_bytes().get(8..8 + 4 * n).unwrap_or(&[]);
            f(r.record_type().0, r.multicast_address(), raw);
        }
    }
}

/// Calls `f` with each multicast address record of an MLDv2 report (message `bytes`), up to
/// the first bad one: its type, group, and its sources' bytes.
pub(crate) fn records_v6(bytes: &[u8], mut f: impl FnMut(u8, Ipv6Addr, &[u8])) {
    let Ok(v) = Icmpv6View::parse(bytes) else {
        return;
    };
    for r in v.mldv2_records().into_iter().flatten().flatten() {
        let n = usize::from(r.num_sources());
        let at = r.offset() + 20;
        f(
            r.record_type(),
            r.address(),
            bytes.get(at..at + 16 * n).unwrap_or(&[]),
        );
    }
}

/// The sources of an IGMPv3 query (message `bytes`).
pub(crate) fn query_sources_v4(bytes: &[u8], out: &mut Vec<Ipv4Addr>) {
    if let Ok(v) = IgmpView::parse(bytes) {
        out.extend(v.sources().flatten());
    }
}

/// The sources of an MLDv2 query (message `bytes`, its lengths checked).
pub(crate) fn query_sources_v6(bytes: &[u8], out: &mut Vec<Ipv6Addr>) {
    if bytes.len() < 28 {
        return;
    }
    let n = bytes
        .get(26..28)
        .and_then(|b| b.first_chunk::<2>())
        .map_or(0, |b| usize::from(u16::from_be_bytes(*b)));
    let raw = bytes.get(28..28 + 16 * n).unwrap_or(&[]);
    out.extend(
        raw.chunks_exact(16)
            .filter_map(|c| c.first_chunk::<16>())
            .map(|c| Ipv6Addr::from(*c)),
    );
}

/// The bytes of a layer the walker found.
fn span(frame: &[u8], s: Span) -> &[u8] {
    frame.get(s.start..s.end).unwrap_or(&[])
}

/// The multicast MAC address of an IPv4 group (RFC 1112 §6.4).
pub(crate) fn group_mac(group: Ipv4Addr) -> MacAddr {
    let o = group.octets();
    MacAddr::new(0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3])
}

/// A query to build.
#[derive(Debug, Clone)]
pub struct QuerySpec<'a, A> {
    /// IGMP version: MLDv1 is 2, MLDv2 is 3.
    pub(crate) version: u8,
    pub(crate) src_mac: MacAddr,
    pub(crate) src_ip: A,
    /// Unspecified for a general query.
    pub(crate) group: A,
    pub(crate) sources: &'a [A],
    pub(crate) max_resp: Duration,
    pub(crate) s_flag: bool,
    pub(crate) qrv: u8,
    pub(crate) qqi: Duration,
    /// A group-specific query to 224.0.0.1 rather than to its group (Ryu's igmplib).
    pub(crate) to_all_hosts: bool,
}

/// Ethernet (14) + IPv4 with the Router Alert option (24).
const HEADERS: usize = 14 + 24;
/// Frames are padded to the Ethernet minimum (without FCS).
const MIN_FRAME: usize = 60;

/// Appends a query frame to `out`: IPv4 with TTL 1, TOS 0xc0 and the Router Alert option
/// (RFC 2113, RFC 3376 §4), to 224.0.0.1 (general) or the group, checksums filled in, padded to
/// 60 bytes. Writes into `out`'s spare capacity: no allocation once it has grown. Returns the
/// frame's length, or `None` (nothing appended) if the sources do not fit one frame.
pub(crate) fn write_query_v4(q: &QuerySpec<'_, Ipv4Addr>, out: &mut Vec<u8>) -> Option<usize> {
    let dst = if q.group.is_unspecified() || q.to_all_hosts {
        sdnwire_packet::igmp::ALL_SYSTEMS
    } else {
        q.group
    };
    let igmp_len = if q.version >= 3 {
        12 + 4 * q.sources.len()
    } else {
        8
    };
    let total = u16::try_from(24 + igmp_len).ok()?;
    let start = out.len();
    // Ethernet.
    out.extend_from_slice(&group_mac(dst).octets());
    out.extend_from_slice(&q.src_mac.octets());
    out.extend_from_slice(&EtherType::IPV4.0.to_be_bytes());
    // IPv4: version 4, IHL 6, TOS 0xc0, id 0, no flags, TTL 1, IGMP, Router Alert.
    let ip_at = out.len();
    out.extend_from_slice(&[0x46, 0xc0]);
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, 1, IpProtocol::IGMP.0, 0, 0]);
    out.extend_from_slice(&q.src_ip.octets());
    out.extend_from_slice(&dst.octets());
    out.extend_from_slice(&[0x94, 0x04, 0x00, 0x00]);
    let ip_sum = checksum(out.get(ip_at..).unwrap_or(&[]));
    if let Some(c) = out.get_mut(ip_at + 10..ip_at + 12) {
        c.copy_from_slice(&ip_sum.to_be_bytes());
    }
    // IGMP.
    let igmp_at = out.len();
    if q.version >= 3 {
        let n = u16::try_from(q.sources.len()).ok()?;
        out.extend_from_slice(&[
            IgmpType::QUERY.0,
            sdnwire_packet::igmp::duration_to_max_resp_code(q.max_resp),
            0,
            0,
        ]);
        out.extend_from_slice(&q.group.octets());
        out.extend_from_slice(&[
            (u8::from(q.s_flag) << 3) | q.qrv.min(7),
            sdnwire_packet::igmp::duration_to_qqic(q.qqi),
        ]);
        out.extend_from_slice(&n.to_be_bytes());
        for s in q.sources {
            out.extend_from_slice(&s.octets());
        }
    } else {
        out.extend_from_slice(&[
            IgmpType::QUERY.0,
            sdnwire_packet::igmp::duration_to_max_resp_time(q.max_resp).max(1),
            0,
            0,
        ]);
        out.extend_from_slice(&q.group.octets());
    }
    let igmp_sum = checksum(out.get(igmp_at..).unwrap_or(&[]));
    if let Some(c) = out.get_mut(igmp_at + 2..igmp_at + 4) {
        c.copy_from_slice(&igmp_sum.to_be_bytes());
    }
    let len = (HEADERS + igmp_len).max(MIN_FRAME);
    out.resize(start + len, 0);
    Some(len)
}

/// Appends an IGMPv2 message of ours that is not a query (a proxy report or leave) to `out`:
/// `msg_type` for `group`, to `dst`; its length, or `None` if it cannot be built.
pub(crate) fn write_v2_v4(
    msg_type: IgmpType,
    src_mac: MacAddr,
    src_ip: Ipv4Addr,
    group: Ipv4Addr,
    dst: Ipv4Addr,
    out: &mut Vec<u8>,
) -> Option<usize> {
    let start = out.len();
    out.extend_from_slice(&group_mac(dst).octets());
    out.extend_from_slice(&src_mac.octets());
    out.extend_from_slice(&EtherType::IPV4.0.to_be_bytes());
    // IPv4: version 4, IHL 6, TOS 0xc0, length 32, id 0, no flags, TTL 1, IGMP, Router Alert.
    let ip_at = out.len();
    out.extend_from_slice(&[0x46, 0xc0, 0, 32, 0, 0, 0, 0, 1, IpProtocol::IGMP.0, 0, 0]);
    out.extend_from_slice(&src_ip.octets());
    out.extend_from_slice(&dst.octets());
    out.extend_from_slice(&[0x94, 0x04, 0x00, 0x00]);
    let ip_sum = checksum(out.get(ip_at..).unwrap_or(&[]));
    if let Some(c) = out.get_mut(ip_at + 10..ip_at + 12) {
        c.copy_from_slice(&ip_sum.to_be_bytes());
    }
    let igmp_at = out.len();
    out.extend_from_slice(&[msg_type.0, 0, 0, 0]);
    out.extend_from_slice(&group.octets());
    let igmp_sum = checksum(out.get(igmp_at..).unwrap_or(&[]));
    if let Some(c) = out.get_mut(igmp_at + 2..igmp_at + 4) {
        c.copy_from_slice(&igmp_sum.to_be_bytes());
    }
    let len = (HEADERS + 8).max(MIN_FRAME);
    out.resize(start + len, 0);
    Some(len)
}

/// The multicast MAC address of an IPv6 group (RFC 2464 §7): `33:33` and its last 32 bits.
pub(crate) fn group_mac_v6(group: Ipv6Addr) -> MacAddr {
    let o = group.octets();
    MacAddr::new(0x33, 0x33, o[12], o[13], o[14], o[15])
}

/// All nodes (ff02::1): general queries go there.
pub(crate) const ALL_NODES: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
/// All routers (ff02::2): MLDv1 Done messages go there.
pub(crate) const ALL_ROUTERS_V6: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 2);

/// The padding after the Router Alert option in the Linux bridge's queries: two Pad1
/// (`br_ip6_multicast_alloc_query`).
const PAD1_PAD1: [u8; 2] = [0, 0];
/// The padding after the Router Alert option in the reports of Linux's host stack: a PadN of
/// no data bytes (`igmp6_send`).
const PADN: [u8; 2] = [1, 0];

/// Appends Ethernet, IPv6 (hop limit 1) and the Hop-by-Hop Options header with the Router
/// Alert option for MLD (RFC 2711 value 0) and `pad`, as Linux sends MLD; `icmp` is the
/// ICMPv6 message with a zero checksum, filled in here. Returns the frame's length.
fn write_v6_frame(
    pad: [u8; 2],
    src_mac: MacAddr,
    src: Ipv6Addr,
    dst: Ipv6Addr,
    icmp_len: usize,
    icmp: impl FnOnce(&mut Vec<u8>),
    out: &mut Vec<u8>,
) -> Option<usize> {
    let payload = u16::try_from(8 + icmp_len).ok()?;
    let start = out.len();
    out.extend_from_slice(&group_mac_v6(dst).octets());
    out.extend_from_slice(&src_mac.octets());
    out.extend_from_slice(&EtherType::IPV6.0.to_be_bytes());
    // IPv6: version 6, traffic class 0, flow label 0, Hop-by-Hop next, hop limit 1.
    out.extend_from_slice(&[0x60, 0, 0, 0]);
    out.extend_from_slice(&payload.to_be_bytes());
    out.extend_from_slice(&[IpProtocol::HOPOPT.0, 1]);
    out.extend_from_slice(&src.octets());
    out.extend_from_slice(&dst.octets());
    // Hop-by-Hop: ICMPv6 next, length 0 (8 bytes), Router Alert (MLD), the padding.
    out.extend_from_slice(&[IpProtocol::ICMPV6.0, 0, 5, 2, 0, 0]);
    out.extend_from_slice(&pad);
    let icmp_at = out.len();
    icmp(out);
    if out.len() != icmp_at + icmp_len {
        out.truncate(start);
        return None;
    }
    let len = u32::try_from(icmp_len).ok()?;
    let acc = sdnwire_packet::checksum::sum(
        IpPair::V6(src, dst).pseudo_header(IpProtocol::ICMPV6.0, len),
        out.get(icmp_at..).unwrap_or(&[]),
    );
    let sum = !sdnwire_packet::checksum::fold(acc);
    if let Some(c) = out.get_mut(icmp_at + 2..icmp_at + 4) {
        c.copy_from_slice(&sum.to_be_bytes());
    }
    Some(out.len() - start)
}

/// Appends an MLD query frame to `out` (MLDv1, RFC 2710 §3, for version 2 or less; MLDv2,
/// RFC 3810 §5.1, for 3) to ff02::1 (general) or the group, from a link-local address, with
/// the Router Alert option and the ICMPv6 checksum: byte for byte what the Linux bridge's
/// querier sends (`tests/bridge_mld_query.rs`). Returns its length, or `None` (nothing
/// appended) if the sources do not fit one frame.
pub(crate) fn write_query_v6(q: &QuerySpec<'_, Ipv6Addr>, out: &mut Vec<u8>) -> Option<usize> {
    let dst = if q.group.is_unspecified() || q.to_all_hosts {
        ALL_NODES
    } else {
        q.group
    };
    let v2 = q.version >= 3;
    let icmp_len = if v2 { 28 + 16 * q.sources.len() } else { 24 };
    let n = u16::try_from(q.sources.len()).ok()?;
    write_v6_frame(
        PAD1_PAD1,
        q.src_mac,
        q.src_ip,
        dst,
        icmp_len,
        |out| {
            out.extend_from_slice(&[Icmpv6Type::MLD_LISTENER_QUERY.0, 0, 0, 0]);
            let code = if v2 {
                mld_resp_code16(q.max_resp)
            } else {
                u16::try_from(q.max_resp.as_millis()).unwrap_or(u16::MAX)
            };
            out.extend_from_slice(&code.to_be_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(&q.group.octets());
            if v2 {
                out.extend_from_slice(&[
                    (u8::from(q.s_flag) << 3) | q.qrv.min(7),
                    sdnwire_packet::igmp::duration_to_qqic(q.qqi),
                ]);
                out.extend_from_slice(&n.to_be_bytes());
                for s in q.sources {
                    out.extend_from_slice(&s.octets());
                }
            }
        },
        out,
    )
}

/// Appends an MLDv1 Report (to the group) or Done (to ff02::2) of ours for `group` to `out`,
/// as Linux's host stack sends them.
pub(crate) fn write_v1_v6(
    report: bool,
    src_mac: MacAddr,
    src_ip: Ipv6Addr,
    group: Ipv6Addr,
    out: &mut Vec<u8>,
) -> Option<usize> {
    let (t, dst) = if report {
        (Icmpv6Type::MLD_LISTENER_REPORT, group)
    } else {
        (Icmpv6Type::MLD_LISTENER_DONE, ALL_ROUTERS_V6)
    };
    write_v6_frame(
        PADN,
        src_mac,
        src_ip,
        dst,
        24,
        |out| {
            out.extend_from_slice(&[t.0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&group.octets());
        },
        out,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use alloc::vec;
    use sdnwire_packet::igmp::{IgmpV2, IgmpV3Query};
    use sdnwire_packet::{Encode, Ethernet, Igmp, Ipv4};

    /// The same query built with the packet library's owned layers.
    fn with_layers(q: &QuerySpec<'_, Ipv4Addr>) -> Vec<u8> {
        let dst = if q.group.is_unspecified() {
            sdnwire_packet::igmp::ALL_SYSTEMS
        } else {
            q.group
        };
        let eth = Ethernet::new(group_mac(dst), q.src_mac);
        let mut ip = Ipv4::new(q.src_ip, dst);
        ip.ttl = 1;
        ip.tos = 0xc0;
        ip.option = vec![0x94, 0x04, 0x00, 0x00].into();
        let igmp = if q.version >= 3 {
            Igmp::V3Query(
                IgmpV3Query::new(q.group, q.sources.to_vec())
                    .with_max_resp(q.max_resp)
                    .with_qrv(q.qrv.min(7))
                    .with_qqi(q.qqi)
                    .with_s_flag(q.s_flag),
            )
        } else {
            Igmp::V2(IgmpV2::new(
                IgmpType::QUERY,
                sdnwire_packet::igmp::duration_to_max_resp_time(q.max_resp).max(1),
                q.group,
            ))
        };
        (eth / ip / igmp).with_min_len(60).to_vec().unwrap()
    }

    #[test]
    fn queries_are_byte_identical_to_the_packet_library() {
        let srcs: Vec<Ipv4Addr> = (1..=40).map(|i| Ipv4Addr::new(10, 0, 1, i)).collect();
        for version in [2, 3] {
            for group in [Ipv4Addr::UNSPECIFIED, Ipv4Addr::new(239, 1, 2, 3)] {
                for n in [0, 1, 40] {
                    for s_flag in [false, true] {
                        let q = QuerySpec {
                            version,
                            src_mac: MacAddr::new(2, 0, 0, 0, 0, 1),
                            src_ip: Ipv4Addr::new(10, 0, 0, 254),
                            group,
                            sources: &srcs[..n],
                            max_resp: Duration::from_millis(1_000 * u64::from(version)),
                            s_flag,
                            qrv: 2,
                            qqi: Duration::from_secs(125),
                            to_all_hosts: false,
                        };
                        let mut out = vec![0xaa];
                        let len = write_query_v4(&q, &mut out).unwrap();
                        assert_eq!(out.len(), 1 + len);
                        assert_eq!(out[1..], with_layers(&q)[..], "{q:?}");
                    }
                }
            }
        }
    }

    /// The same MLD query built with the packet library's owned layers (Hop-by-Hop Router
    /// Alert as hosts send it, checksum computed by the library).
    fn v6_with_layers(q: &QuerySpec<'_, Ipv6Addr>) -> Vec<u8> {
        use sdnwire_packet::icmpv6::{Icmpv6Data, Mld, Mldv2Query};
        use sdnwire_packet::ipv6::Ipv6ExtHeader;
        use sdnwire_packet::{Icmpv6, Ipv6};
        let dst = if q.group.is_unspecified() {
            ALL_NODES
        } else {
            q.group
        };
        // Router Alert (MLD) and two Pad1, as the Linux bridge's queries.
        let mut ip =
            Ipv6::new(q.src_ip, dst).with_ext_header(Ipv6ExtHeader::hop_by_hop([5, 2, 0, 0, 0, 0]));
        ip.hop_limit = 1;
        let data = if q.version >= 3 {
            let mut m = Mldv2Query::general(mld_resp_code16(q.max_resp));
            m.address = q.group;
            m.srcs = q.sources.to_vec();
            m.s_flg = q.s_flag;
            m.qrv = q.qrv.min(7);
            m.qqic = sdnwire_packet::igmp::duration_to_qqic(q.qqi);
            Icmpv6Data::Mldv2Query(m)
        } else {
            Icmpv6Data::Mld(Mld {
                maxresp: u16::try_from(q.max_resp.as_millis()).unwrap(),
                reserved: 0,
                address: q.group,
            })
        };
        let msg = Icmpv6::new(Icmpv6Type::MLD_LISTENER_QUERY, data);
        (Ethernet::new(group_mac_v6(dst), q.src_mac) / ip / msg)
            .to_vec()
            .unwrap()
    }

    #[test]
    fn mld_queries_are_byte_identical_to_the_packet_library() {
        let srcs: Vec<Ipv6Addr> = (1..=40)
            .map(|i| Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, i))
            .collect();
        for version in [2, 3] {
            for group in [Ipv6Addr::UNSPECIFIED, "ff0e::1:2".parse().unwrap()] {
                for n in [0, 1, 40] {
                    for s_flag in [false, true] {
                        let q = QuerySpec {
                            version,
                            src_mac: MacAddr::new(2, 0, 0, 0, 0, 1),
                            src_ip: "fe80::1".parse().unwrap(),
                            group,
                            sources: &srcs[..n],
                            max_resp: Duration::from_millis(1_000 * u64::from(version)),
                            s_flag,
                            qrv: 2,
                            qqi: Duration::from_secs(125),
                            to_all_hosts: false,
                        };
                        let mut out = vec![0xaa];
                        let len = write_query_v6(&q, &mut out).unwrap();
                        assert_eq!(out.len(), 1 + len);
                        let want = v6_with_layers(&q);
                        assert_eq!(out[1..], want[..], "{q:?}");
                        let Parsed::Msg { msg, ip_src, .. } = parse_v6(&out[1..]).unwrap() else {
                            panic!("not MLD");
                        };
                        assert_eq!(ip_src, q.src_ip);
                        assert_eq!(msg.kind, Kind::Query(version));
                        assert_eq!(msg.max_resp, Some(q.max_resp));
                        let mut got = Vec::new();
                        query_sources_v6(msg.bytes, &mut got);
                        let want_srcs: &[Ipv6Addr] = if version == 3 { &srcs[..n] } else { &[] };
                        assert_eq!(got, want_srcs);
                    }
                }
            }
        }
    }

    #[test]
    fn mld_max_response_codes_round_trip() {
        for ms in [0u32, 1, 1000, 32_767, 32_768, 40_000, 1_000_000, 8_387_584] {
            let code = mld_resp_code16(Duration::from_millis(u64::from(ms)));
            let back = mld_code16(code);
            assert!(
                back <= ms && ms - back < (ms >> 9).max(1),
                "{ms} -> {code:#x} -> {back}"
            );
        }
        assert_eq!(mld_resp_code16(Duration::from_secs(1 << 30)), 0xffff);
    }
}
