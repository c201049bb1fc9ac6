//! Reading the frames we are given and building the queries we send.

use core::net::Ipv4Addr;
use core::time::Duration;

use alloc::vec::Vec;
use sdnwire_packet::checksum::checksum;
use sdnwire_packet::ethernet::{EthernetView, VlanView};
use sdnwire_packet::igmp::{IgmpType, IgmpView};
use sdnwire_packet::ipv4::Ipv4View;
use sdnwire_packet::walk::{Fragment, Walker};
use sdnwire_packet::{CodecError, EtherType, IpProtocol, LayerKind, MacAddr, Span};

/// IPv4 protocol number of PIM.
const PIM: IpProtocol = IpProtocol(103);

/// A frame, read as far as the snooper needs.
#[derive(Debug)]
pub(crate) enum Parsed<'a> {
    /// An IGMP message.
    Igmp {
        /// VLAN id from the frame's 802.1Q tag, if any.
        tag: Option<u16>,
        src_mac: MacAddr,
        ip_src: Ipv4Addr,
        igmp: IgmpView<&'a [u8]>,
    },
    /// A PIM hello (RFC 7761 §4.9.2): the port has a multicast router.
    PimHello { tag: Option<u16> },
    /// Something else: not ours.
    Other,
}

/// Reads Ethernet, at most two VLAN tags (the outer one is the VLAN), IPv4 (checksum
/// checked) and IGMP (checksum checked) or PIM, on the packet library's walker
/// ([`Walker`]): the layers are checked, and errors placed, as `Packet::parse` does.
pub(crate) fn parse(frame: &[u8]) -> Result<Parsed<'_>, sdnwire_packet::Error> {
    let mut w = Walker::new(frame);
    let mut src_mac = MacAddr::ZERO;
    let mut tag = None;
    let mut tags = 0;
    let ip = loop {
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
            Some(LayerKind::Ipv4) => match w.next().transpose()? {
                Some(s) => break s,
                None => return Ok(Parsed::Other),
            },
            _ => return Ok(Parsed::Other),
        }
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
    let Some(msg) = w.next().transpose()? else {
        return Ok(Parsed::Other);
    };
    let igmp = IgmpView::parse(span(frame, msg)).map_err(|e| e.add_offset(msg.start))?;
    igmp.verify_checksum()
        .map_err(|e| e.add_offset(msg.start))?;
    Ok(Parsed::Igmp {
        tag,
        src_mac,
        ip_src,
        igmp,
    })
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
pub(crate) struct QuerySpec<'a> {
    pub(crate) version: u8,
    pub(crate) src_mac: MacAddr,
    pub(crate) src_ip: Ipv4Addr,
    /// 0.0.0.0 for a general query.
    pub(crate) group: Ipv4Addr,
    pub(crate) sources: &'a [Ipv4Addr],
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
pub(crate) fn write_query(q: &QuerySpec<'_>, out: &mut Vec<u8>) -> Option<usize> {
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
pub(crate) fn write_v2(
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use alloc::vec;
    use sdnwire_packet::igmp::{IgmpV2, IgmpV3Query};
    use sdnwire_packet::{Encode, Ethernet, Igmp, Ipv4};

    /// The same query built with the packet library's owned layers.
    fn with_layers(q: &QuerySpec<'_>) -> Vec<u8> {
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
                        let len = write_query(&q, &mut out).unwrap();
                        assert_eq!(out.len(), 1 + len);
                        assert_eq!(out[1..], with_layers(&q)[..], "{q:?}");
                    }
                }
            }
        }
    }
}
