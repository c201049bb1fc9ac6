//! Flow keys: the fields that tell one flow from another, read from a frame in one straight walk.
//!
//! ```text
//! Ethernet ─┬─ 802.1Q/802.1ad tag ... ─┬─ IPv4 ────────────────────┬─ TCP / UDP / SCTP: ports
//!           │  (any number; the first  │                           ├─ ICMP: type, code
//!           │   two VIDs are kept)     └─ IPv6 + extension headers ┴─ ICMPv6: type, code
//!           └─ any other EtherType: the key holds the EtherType only
//! ```
//!
//! [`FlowKey::parse`] is the hot-path counterpart of [`Packet::parse`] and [`PacketView::parse`]
//! for monitors, flow tables and samplers that only need the 5-tuple: it visits Ethernet, the
//! VLAN tags, the outermost IP header and the first bytes of the transport header, with no
//! allocation. It walks with the crate's one [`Walker`] (which [`Packet::parse`] and
//! [`PacketView::parse`] use) and stops after the IP header; the transport header is checked by
//! its view ([`TcpView`], [`UdpView`], [`IcmpView`], [`Icmpv6View`]), so it accepts and refuses
//! those headers as [`Packet::parse`] does, with the same errors and offsets, except for what
//! lies past their fixed part (below). The common
//! case (IPv4 TCP or UDP, untagged or behind one tag, no options, not a fragment) takes a
//! straight path that gives the walk's key (the tests check both agree).
//!
//! Fragments, as Open vSwitch reads them: the ports of a **first fragment** (offset 0,
//! more-fragments set; for IPv6 a fragment header with offset 0 and M set, wherever it sits in
//! the extension-header chain) are read from the transport header it starts with, when the
//! fixed header is all there (TCP 20 bytes, UDP 8, SCTP 12, ICMP and ICMPv6 8; shorter: ports
//! 0, no error), and nothing else of that header is checked (its length describes the whole
//! datagram); a **later fragment** (non-zero offset) has ports 0. Both have `fragment` set.
//! An IPv6 atomic fragment (offset 0, M clear) is a whole datagram. [`Packet::parse`] and
//! [`PacketView::parse`] leave the payload of every fragment undecoded.
//!
//! What it does not do: it does not look past the transport header's fixed part (TCP options
//! whose framing is wrong, or an ICMP, ICMPv6, IGMP or ARP message whose body is malformed,
//! still give a key where [`Packet::parse`] fails: walking TCP options would double the cost
//! of a key for the common TCP segment with timestamps), it does not enter tunnels (IP-in-IP is keyed by its outer header,
//! protocol 4 or 41), and it does not reassemble fragments.
//!
//! Contract: [`FlowKey::parse`] never panics, on any bytes. Whenever [`Packet::parse`]
//! succeeds, [`FlowKey::parse`] succeeds and gives the values of the packet's layers (for a
//! first fragment, the ports at the start of the packet's payload); whenever
//! [`FlowKey::parse`] fails, [`Packet::parse`] fails too.
//!
//! ```
//! use sdnwire_packet::flow::FlowKey;
//! use sdnwire_packet::{Encode, Ethernet, IpProtocol, Ipv4, MacAddr, Udp, Vlan};
//! let frame = (Ethernet::new(MacAddr::BROADCAST, MacAddr::new(0, 0, 0, 0, 0, 1))
//!     / Vlan::new(100)
//!     / Ipv4::new("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap())
//!     / Udp::new(45508, 5353))
//!     .with_payload(&b"query"[..])
//!     .to_vec()
//!     .unwrap();
//! let key = FlowKey::parse(&frame).unwrap();
//! assert_eq!(key.vlan, Some(100));
//! assert_eq!(key.src, "10.0.0.1".parse::<std::net::IpAddr>().unwrap());
//! assert_eq!((key.protocol, key.src_port, key.dst_port), (IpProtocol::UDP, 45508, 5353));
//! ```
//!
//! [`Packet::parse`]: crate::Packet::parse
//! [`PacketView::parse`]: crate::PacketView::parse
//! [`Walker`]: crate::walk::Walker

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::bytes::{be16, slice, tail};
use crate::error::{CodecError, Error, LayerKind, Result};
use crate::ethernet::EtherType;
use crate::icmp::IcmpView;
use crate::icmpv6::Icmpv6View;
use crate::ip::IpProtocol;
use crate::ipv4::Ipv4View;
use crate::tcp::TcpView;
use crate::udp::UdpView;
use crate::walk::{transport_ports, Fragment, Walker};

/// Length of the SCTP common header (RFC 9260 §3.1): ports, verification tag, checksum.
const SCTP_COMMON_HEADER_LEN: usize = 12;

/// The flow a frame belongs to: VLAN, EtherType, IP addresses, protocol and ports.
///
/// * For TCP, UDP and SCTP, `src_port` and `dst_port` are the ports. For ICMP and ICMPv6 they
///   hold the message type and code, as Open vSwitch's flow keys do. For any other protocol,
///   and for a later fragment, they are 0; a first fragment has its ports, as in Open
///   vSwitch (see the [module documentation](self)).
/// * For a frame that is neither IPv4 nor IPv6 (ARP, LLDP, LACP, ...), only `vlan`,
///   `inner_vlan` and `ethertype` are read: the addresses are `0.0.0.0`, the protocol and the
///   ports 0 (see [`FlowKey::is_ip`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FlowKey {
    /// VLAN ID (12 bits) of the outermost 802.1Q / 802.1ad tag; `None` for an untagged frame.
    pub vlan: Option<u16>,
    /// VLAN ID of the second tag (the customer tag inside a QinQ service tag).
    pub inner_vlan: Option<u16>,
    /// The EtherType after the VLAN tags.
    pub ethertype: EtherType,
    /// Source address of the outermost IP header.
    pub src: IpAddr,
    /// Destination address of the outermost IP header.
    pub dst: IpAddr,
    /// IPv4 protocol, or for IPv6 the next header after the extension headers.
    pub protocol: IpProtocol,
    /// Source port (ICMP / ICMPv6: the type).
    pub src_port: u16,
    /// Destination port (ICMP / ICMPv6: the code).
    pub dst_port: u16,
    /// The datagram is a fragment (IPv4: more-fragments set or a non-zero offset; IPv6: a
    /// fragment header that is not an atomic fragment). A first fragment (offset 0) still has
    /// its ports, a later one has none (Open vSwitch's `nw_frag=first` / `later`).
    pub fragment: bool,
}

impl Default for FlowKey {
    /// The key of an untagged frame of EtherType 0: no addresses, no ports.
    fn default() -> Self {
        FlowKey {
            vlan: None,
            inner_vlan: None,
            ethertype: EtherType(0),
            src: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            dst: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            protocol: IpProtocol(0),
            src_port: 0,
            dst_port: 0,
            fragment: false,
        }
    }
}

impl FlowKey {
    /// Reads the flow key of an Ethernet frame.
    ///
    /// Fails, with the error and offset [`Packet::parse`](crate::Packet::parse) gives, when
    /// the Ethernet header, a VLAN tag, the IP header (lengths, version, extension headers) or
    /// the TCP, UDP, ICMP or ICMPv6 header is malformed. Checksums are not verified.
    #[inline]
    pub fn parse(frame: &[u8]) -> Result<FlowKey> {
        match fast_ipv4(frame) {
            Some(key) => Ok(key),
            None => Self::parse_walk(frame),
        }
    }

    /// The general walk: every case, every error, on [`Walker`] (which [`Packet::parse`]
    /// uses too), stopped after the IP header.
    ///
    /// Out of line: inlined into [`FlowKey::parse`]'s callers, its loop and its error values
    /// would give the fast path a stack frame (six registers saved and restored on every call).
    ///
    /// [`Packet::parse`]: crate::Packet::parse
    #[inline(never)]
    fn parse_walk(frame: &[u8]) -> Result<FlowKey> {
        let mut w = Walker::new(frame);
        let mut key = FlowKey::default();
        loop {
            match w.peek() {
                Some(LayerKind::Ethernet) => {
                    w.next().transpose()?;
                    key.ethertype = EtherType(be16(frame, 12));
                }
                Some(LayerKind::Vlan) => {
                    let at = w.offset();
                    w.next().transpose()?;
                    let vid = be16(frame, at) & 0x0fff;
                    if key.vlan.is_none() {
                        key.vlan = Some(vid);
                    } else if key.inner_vlan.is_none() {
                        key.inner_vlan = Some(vid);
                    }
                    key.ethertype = EtherType(be16(frame, at + 2));
                }
                Some(LayerKind::Ipv4) => {
                    let Some(s) = w.next().transpose()? else {
                        break;
                    };
                    // The walk checked this header: the view is there.
                    let Ok(ip) = Ipv4View::checked(slice(frame, s.start, s.end)) else {
                        break;
                    };
                    key.src = IpAddr::V4(ip.src());
                    key.dst = IpAddr::V4(ip.dst());
                    break;
                }
                Some(LayerKind::Ipv6) => {
                    let Some(s) = w.next().transpose()? else {
                        break;
                    };
                    let addr = |at: usize| -> [u8; 16] {
                        tail(frame, s.start + at)
                            .first_chunk::<16>()
                            .copied()
                            .unwrap_or_default()
                    };
                    key.src = IpAddr::V6(Ipv6Addr::from(addr(8)));
                    key.dst = IpAddr::V6(Ipv6Addr::from(addr(24)));
                    break;
                }
                _ => break,
            }
        }
        if let Some(protocol) = w.ip_protocol() {
            key.protocol = protocol;
            key.fragment = w.fragment() != Fragment::No;
            (key.src_port, key.dst_port) = match w.fragment() {
                Fragment::No => ports(protocol, w.rest(), w.offset())?,
                // Open vSwitch's reading: the first fragment starts with the transport
                // header, a later one has none.
                Fragment::First => transport_ports(protocol, w.rest()).unwrap_or((0, 0)),
                Fragment::Later => (0, 0),
            };
        }
        Ok(key)
    }

    /// True if the key was read from an IPv4 or IPv6 header (else only the VLANs and the
    /// EtherType mean anything).
    pub fn is_ip(&self) -> bool {
        matches!(self.ethertype, EtherType::IPV4 | EtherType::IPV6)
    }
}

/// The common case in one straight pass over the bytes: an untagged or single-tagged IPv4
/// datagram without options and not fragmented, carrying a TCP or UDP header that
/// [`TcpView::parse`] / [`UdpView::parse`] accept. It checks what the views
/// check on that path (header present, version and IHL, `total_length` within the buffer and
/// not below the header, TCP data offset, UDP length) and gives the key the general walk would
/// give; `None` for anything else, which the general walk then decides (errors included).
/// `check_agrees` (every property test below) and
/// `fast_path_equals_the_walk_on_every_one_byte_change` test the equivalence.
#[inline(always)]
fn fast_ipv4(frame: &[u8]) -> Option<FlowKey> {
    // Ethernet and the IPv4 fixed header in one length test (34 bytes), one more behind a tag
    // (38).
    let head = frame.first_chunk::<34>()?;
    let ethertype = EtherType(u16::from_be_bytes([head[12], head[13]]));
    // IPv4 first: an untagged frame costs one comparison.
    let (vlan, ip, after) = if ethertype == EtherType::IPV4 {
        let (h, after) = frame.split_first_chunk::<34>()?;
        (None, h.last_chunk::<20>()?, after)
    } else if ethertype.is_vlan() {
        let (h, after) = frame.split_first_chunk::<38>()?;
        if EtherType(u16::from_be_bytes([h[16], h[17]])) != EtherType::IPV4 {
            return None;
        }
        let vid = u16::from_be_bytes([h[14], h[15]]) & 0x0fff;
        (Some(vid), h.last_chunk::<20>()?, after)
    } else {
        return None;
    };
    // version 4, IHL 5; not a fragment (MF clear, offset 0).
    if ip[0] != 0x45 || u16::from_be_bytes([ip[6], ip[7]]) & 0x3fff != 0 {
        return None;
    }
    // The total length at least the header and within the bytes: one test (a total below 20
    // wraps to a length no slice has).
    let total = usize::from(u16::from_be_bytes([ip[2], ip[3]]));
    let l4 = after.get(..total.wrapping_sub(20))?;
    let protocol = IpProtocol(ip[9]);
    let (src_port, dst_port) = match protocol {
        IpProtocol::TCP => {
            let t = l4.first_chunk::<20>()?;
            // The data offset at least 5 words and within the segment (20 bytes or more
            // here): one test, as above.
            let hl = usize::from(t[12] >> 4) * 4;
            if hl.wrapping_sub(20) > l4.len() - 20 {
                return None;
            }
            (
                u16::from_be_bytes([t[0], t[1]]),
                u16::from_be_bytes([t[2], t[3]]),
            )
        }
        IpProtocol::UDP => {
            let u = l4.first_chunk::<8>()?;
            // The UDP length at least 8 and within the IP payload: one test.
            let len = usize::from(u16::from_be_bytes([u[4], u[5]]));
            if len.wrapping_sub(8) > l4.len() - 8 {
                return None;
            }
            (
                u16::from_be_bytes([u[0], u[1]]),
                u16::from_be_bytes([u[2], u[3]]),
            )
        }
        _ => return None,
    };
    Some(FlowKey {
        vlan,
        inner_vlan: None,
        ethertype: EtherType::IPV4,
        src: IpAddr::V4(Ipv4Addr::new(ip[12], ip[13], ip[14], ip[15])),
        dst: IpAddr::V4(Ipv4Addr::new(ip[16], ip[17], ip[18], ip[19])),
        protocol,
        src_port,
        dst_port,
        fragment: false,
    })
}

/// The ports (ICMP, ICMPv6: type and code) of the `protocol` header `l4`, which starts at `off`
/// in the frame.
#[inline(always)]
fn ports(protocol: IpProtocol, l4: &[u8], off: usize) -> Result<(u16, u16)> {
    Ok(match protocol {
        IpProtocol::TCP => {
            let t = checked(TcpView::parse, l4, off)?;
            (t.src_port(), t.dst_port())
        }
        IpProtocol::UDP => {
            let u = checked(UdpView::parse, l4, off)?;
            (u.src_port(), u.dst_port())
        }
        IpProtocol::ICMP => {
            let i = checked(IcmpView::parse, l4, off)?;
            (u16::from(i.msg_type().0), u16::from(i.code()))
        }
        IpProtocol::ICMPV6 => {
            let i = checked(Icmpv6View::parse, l4, off)?;
            (u16::from(i.msg_type().0), u16::from(i.code()))
        }
        // This crate has no SCTP layer (Packet::parse leaves it as payload): the ports are read
        // when the common header is whole, and a shorter message is no error.
        IpProtocol::SCTP if l4.len() >= SCTP_COMMON_HEADER_LEN => (be16(l4, 0), be16(l4, 2)),
        _ => (0, 0),
    })
}

/// `parse(buf)` for the header at `off` in the frame, its error (if any) with the offset
/// counted from the frame's first byte.
///
/// The hot path only asks whether the view is valid; the error is built again on the cold path,
/// which keeps the 56-byte error value out of the walk (about 15 % fewer instructions).
#[inline(always)]
fn checked<'a, V>(parse: fn(&'a [u8]) -> Result<V>, buf: &'a [u8], off: usize) -> Result<V> {
    match parse(buf).ok() {
        Some(v) => Ok(v),
        None => Err(error_at(parse, buf, off)),
    }
}

/// The error of `parse(buf)`, shifted by `off`. Out of line: errors are the cold path.
#[cold]
#[inline(never)]
fn error_at<'a, V>(parse: fn(&'a [u8]) -> Result<V>, buf: &'a [u8], off: usize) -> Error {
    match parse(buf) {
        Err(e) => e.add_offset(off),
        // Not reached: checked() calls this only after the same call failed.
        Ok(_) => Error::Truncated {
            layer: LayerKind::Packet,
            offset: off,
            what: "header",
            needed: 0,
            available: buf.len(),
        },
    }
}

/// `flow_key(dst='10.0.0.2',dst_port=5353,ethertype=2048,fragment=False,inner_vlan=None,
/// protocol=17,src='10.0.0.1',src_port=45508,vlan=100)`: Ryu's notation (attributes in
/// alphabetical order, addresses quoted, Python's `None`/`False`).
impl core::fmt::Display for FlowKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        use crate::notation::{Opt, Quoted};
        write!(
            f,
            "flow_key(dst={},dst_port={},ethertype={},fragment={},inner_vlan={},protocol={},\
             src={},src_port={},vlan={})",
            Quoted(self.dst),
            self.dst_port,
            self.ethertype,
            if self.fragment { "True" } else { "False" },
            Opt(self.inner_vlan),
            self.protocol,
            Quoted(self.src),
            self.src_port,
            Opt(self.vlan)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipv4::{Ipv4, FLAG_MF};
    use crate::ipv6::{Ipv6, Ipv6ExtHeader};
    use crate::tcp::{Tcp, TcpFlags};
    use crate::{Encode, Ethernet, Icmp, Icmpv6, Layer, MacAddr, Packet, PacketView, Udp, Vlan};
    use alloc::format;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    /// Every captured frame of packet/testdata (scripts/capture-fixtures.sh: two Linux hosts in
    /// network namespaces), by name.
    const FIXTURES: &[(&str, &[u8])] = &[
        (
            "icmpv6_echo_request",
            include_bytes!("../testdata/icmpv6_echo_request.bin"),
        ),
        (
            "icmpv6_neighbor_solicitation",
            include_bytes!("../testdata/icmpv6_neighbor_solicitation.bin"),
        ),
        (
            "igmpv3_report",
            include_bytes!("../testdata/igmpv3_report.bin"),
        ),
        (
            "mldv2_report",
            include_bytes!("../testdata/mldv2_report.bin"),
        ),
        (
            "ping_arp_reply",
            include_bytes!("../testdata/ping_arp_reply.bin"),
        ),
        (
            "ping_arp_request",
            include_bytes!("../testdata/ping_arp_request.bin"),
        ),
        (
            "ping_echo_reply",
            include_bytes!("../testdata/ping_echo_reply.bin"),
        ),
        (
            "ping_echo_request",
            include_bytes!("../testdata/ping_echo_request.bin"),
        ),
        ("tcp_data", include_bytes!("../testdata/tcp_data.bin")),
        ("tcp_syn", include_bytes!("../testdata/tcp_syn.bin")),
        ("tcp_syn_ack", include_bytes!("../testdata/tcp_syn_ack.bin")),
        ("udp_request", include_bytes!("../testdata/udp_request.bin")),
    ];

    fn fixture(name: &str) -> &'static [u8] {
        FIXTURES.iter().find(|(n, _)| *n == name).unwrap().1
    }

    fn v4(s: &str) -> IpAddr {
        IpAddr::V4(s.parse().unwrap())
    }

    fn v6(s: &str) -> IpAddr {
        IpAddr::V6(s.parse().unwrap())
    }

    /// The flow key as the owned layers of [`Packet::parse`] give it: the reference
    /// [`FlowKey::parse`] must agree with.
    fn reference(pkt: &Packet) -> FlowKey {
        let mut key = FlowKey::default();
        let mut layers = pkt.layers.iter();
        match layers.next() {
            Some(Layer::Ethernet(e)) => key.ethertype = e.ethertype.unwrap(),
            other => panic!("first layer {other:?}"),
        }
        let mut vids = Vec::new();
        let mut ip = None;
        for l in layers.by_ref() {
            match l {
                Layer::Vlan(v) => {
                    vids.push(v.vid);
                    key.ethertype = v.ethertype.unwrap();
                }
                Layer::Ipv4(_) | Layer::Ipv6(_) => {
                    ip = Some(l);
                    break;
                }
                _ => break,
            }
        }
        key.vlan = vids.first().copied();
        key.inner_vlan = vids.get(1).copied();
        match ip {
            Some(Layer::Ipv4(h)) => {
                key.src = IpAddr::V4(h.src);
                key.dst = IpAddr::V4(h.dst);
                key.protocol = h.proto.unwrap();
                key.fragment = h.flags & FLAG_MF != 0 || h.offset != 0;
            }
            Some(Layer::Ipv6(h)) => {
                key.src = IpAddr::V6(h.src);
                key.dst = IpAddr::V6(h.dst);
                key.protocol = match h.ext_hdrs.last() {
                    Some(x) => x.nxt.unwrap(),
                    None => h.nxt.unwrap(),
                };
                key.fragment = h
                    .ext_hdrs
                    .iter()
                    .filter_map(Ipv6ExtHeader::fragment_fields)
                    .any(|(offset, more, _)| offset != 0 || more);
            }
            _ => return key,
        }
        if key.fragment {
            // Open vSwitch's reading: a first fragment's ports are at the start of its payload.
            let first = match ip {
                Some(Layer::Ipv4(h)) => h.offset == 0,
                Some(Layer::Ipv6(h)) => h
                    .ext_hdrs
                    .iter()
                    .filter_map(Ipv6ExtHeader::fragment_fields)
                    .all(|(offset, _, _)| offset == 0),
                _ => false,
            };
            if first {
                (key.src_port, key.dst_port) =
                    transport_ports(key.protocol, &pkt.payload).unwrap_or((0, 0));
            }
            return key;
        }
        (key.src_port, key.dst_port) = match layers.next() {
            Some(Layer::Tcp(t)) => (t.src_port, t.dst_port),
            Some(Layer::Udp(u)) => (u.src_port, u.dst_port),
            Some(Layer::Icmp(i)) => (i.type_.0.into(), i.code.into()),
            Some(Layer::Icmpv6(i)) => (i.type_.0.into(), i.code.into()),
            None if key.protocol == IpProtocol::SCTP && pkt.payload.len() >= 12 => {
                (be16(&pkt.payload, 0), be16(&pkt.payload, 2))
            }
            _ => (0, 0),
        };
        key
    }

    /// The contract on any bytes: no panic; when `Packet::parse` succeeds, the key is the
    /// packet's; when `FlowKey::parse` fails, `Packet::parse` fails too, and `PacketView::parse`
    /// (which runs the same checks on the same headers first) with the same error.
    fn check_agrees(frame: &[u8]) -> core::result::Result<(), TestCaseError> {
        let key = FlowKey::parse(frame);
        // The fast path, where it answers, gives what the general walk gives.
        if let Some(fast) = fast_ipv4(frame) {
            prop_assert_eq!(Ok(fast), FlowKey::parse_walk(frame), "frame {:02x?}", frame);
        }
        match (&key, Packet::parse(frame)) {
            (_, Ok(pkt)) => prop_assert_eq!(key, Ok(reference(&pkt)), "frame {:02x?}", frame),
            (Err(e), Err(_)) => {
                if let Err(view_err) = PacketView::parse(frame) {
                    prop_assert_eq!(e, &view_err, "frame {:02x?}", frame);
                }
            }
            (Ok(_), Err(_)) => {}
        }
        Ok(())
    }

    #[test]
    fn fast_path_takes_the_common_frames() {
        // The captured UDP and TCP frames, untagged and behind one tag, take the fast path;
        // ICMP, ARP, IPv6, QinQ and fragments do not.
        for name in ["udp_request", "tcp_syn", "tcp_data"] {
            let f = fixture(name);
            assert_eq!(fast_ipv4(f).map(Ok), Some(FlowKey::parse_walk(f)), "{name}");
            let mut tagged = f.to_vec();
            tagged.splice(12..12, [0x81, 0x00, 0x20, 0x64]);
            let k = fast_ipv4(&tagged).unwrap();
            assert_eq!((k.vlan, Ok(k)), (Some(100), FlowKey::parse_walk(&tagged)));
            let mut qinq = tagged.clone();
            qinq.splice(12..12, [0x88, 0xa8, 0x00, 0x07]);
            assert_eq!(fast_ipv4(&qinq), None);
        }
        for name in [
            "ping_echo_request",
            "ping_arp_request",
            "icmpv6_echo_request",
        ] {
            assert_eq!(fast_ipv4(fixture(name)), None, "{name}");
        }
    }

    /// The fast path against the general walk (and the key against `Packet::parse`'s layers)
    /// on every truncation and every one-byte change, at every position to every value, of
    /// the captured UDP and TCP frames, untagged, behind one tag and behind two (which the
    /// fast path leaves to the walk).
    #[test]
    fn fast_path_equals_the_walk_on_every_one_byte_change() {
        fn agree(frame: &[u8]) -> u32 {
            check_agrees(frame).unwrap();
            u32::from(fast_ipv4(frame).is_some())
        }
        let mut fast = 0u32;
        for name in ["udp_request", "tcp_syn", "tcp_syn_ack", "tcp_data"] {
            let f = fixture(name);
            let mut tagged = f.to_vec();
            tagged.splice(12..12, [0x81, 0x00, 0x20, 0x64]);
            let mut qinq = tagged.clone();
            qinq.splice(12..12, [0x88, 0xa8, 0x00, 0x07]);
            for frame in [f.to_vec(), tagged, qinq] {
                for cut in 0..=frame.len() {
                    fast += agree(&frame[..cut]);
                }
                for at in 0..frame.len() {
                    let mut m = frame.clone();
                    for byte in 0..=u8::MAX {
                        m[at] = byte;
                        fast += agree(&m);
                    }
                }
            }
        }
        // The fast path answered most changes (those of payload bytes, addresses, ports).
        assert!(fast > 50_000, "{fast}");
    }

    #[test]
    fn every_fixture_agrees_with_packet_parse() {
        for (name, frame) in FIXTURES {
            let pkt = Packet::parse(frame).unwrap();
            assert_eq!(FlowKey::parse(frame), Ok(reference(&pkt)), "{name}: {pkt}");
        }
    }

    /// Values from the os-ken reprs of the captures (packet/testdata/*.ryu.txt).
    #[test]
    fn fixture_keys() {
        let udp = FlowKey::parse(fixture("udp_request")).unwrap();
        assert_eq!(
            udp,
            FlowKey {
                vlan: None,
                inner_vlan: None,
                ethertype: EtherType::IPV4,
                src: v4("10.0.0.1"),
                dst: v4("10.0.0.2"),
                protocol: IpProtocol::UDP,
                src_port: 45508,
                dst_port: 5353,
                fragment: false,
            }
        );
        assert!(udp.is_ip());
        let syn = FlowKey::parse(fixture("tcp_syn")).unwrap();
        assert_eq!(
            (syn.protocol, syn.src_port, syn.dst_port),
            (IpProtocol::TCP, 57424, 8080)
        );
        let ack = FlowKey::parse(fixture("tcp_syn_ack")).unwrap();
        assert_eq!(
            (ack.src, ack.src_port, ack.dst_port),
            (v4("10.0.0.2"), 8080, 57424)
        );
        // ICMP: type and code in the ports.
        let ping = FlowKey::parse(fixture("ping_echo_request")).unwrap();
        assert_eq!(
            (ping.protocol, ping.src_port, ping.dst_port),
            (IpProtocol::ICMP, 8, 0)
        );
        let pong = FlowKey::parse(fixture("ping_echo_reply")).unwrap();
        assert_eq!((pong.src_port, pong.dst_port), (0, 0));
        let echo6 = FlowKey::parse(fixture("icmpv6_echo_request")).unwrap();
        assert_eq!(
            (echo6.src, echo6.dst, echo6.protocol, echo6.src_port),
            (v6("fd00::1"), v6("fd00::2"), IpProtocol::ICMPV6, 128)
        );
        // A hop-by-hop header before the ICMPv6 MLDv2 report (type 143): skipped.
        let mld = FlowKey::parse(fixture("mldv2_report")).unwrap();
        assert_eq!(
            (mld.src, mld.dst, mld.protocol, mld.src_port),
            (v6("::"), v6("ff02::16"), IpProtocol::ICMPV6, 143)
        );
        // IGMP (IHL 6, router alert): no ports.
        let igmp = FlowKey::parse(fixture("igmpv3_report")).unwrap();
        assert_eq!(
            (igmp.dst, igmp.protocol, igmp.src_port, igmp.dst_port),
            (v4("224.0.0.22"), IpProtocol::IGMP, 0, 0)
        );
        // ARP: the EtherType only.
        let arp = FlowKey::parse(fixture("ping_arp_request")).unwrap();
        assert_eq!(
            arp,
            FlowKey {
                ethertype: EtherType::ARP,
                ..FlowKey::default()
            }
        );
        assert!(!arp.is_ip());
    }

    fn hosts() -> Ethernet {
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

    #[test]
    fn vlan_tags() {
        let one = (hosts() / Vlan::new(100) / ip4() / Udp::new(1, 2))
            .to_vec()
            .unwrap();
        let k = FlowKey::parse(&one).unwrap();
        assert_eq!(
            (k.vlan, k.inner_vlan, k.ethertype),
            (Some(100), None, EtherType::IPV4)
        );
        assert_eq!((k.src_port, k.dst_port), (1, 2));
        // QinQ, and a third tag: walked through, not kept.
        let three =
            (hosts() / Vlan::new(10) / Vlan::new(20) / Vlan::new(30) / ip4() / Udp::new(1, 2))
                .to_vec()
                .unwrap();
        let k = FlowKey::parse(&three).unwrap();
        assert_eq!((k.vlan, k.inner_vlan), (Some(10), Some(20)));
        assert_eq!(
            (k.protocol, k.src_port, k.dst_port),
            (IpProtocol::UDP, 1, 2)
        );
        check_agrees(&three).unwrap();
        // The PCP and DEI bits are not part of the VID.
        let mut tag = Vlan::new(0x0fff);
        tag.pcp = 7;
        tag.cfi = true;
        let f = (hosts() / tag / ip4() / Udp::new(1, 2)).to_vec().unwrap();
        assert_eq!(FlowKey::parse(&f).unwrap().vlan, Some(0x0fff));
    }

    /// Open vSwitch's reading of fragments: a first fragment has its ports, a later one none.
    #[test]
    fn first_fragments_have_ports_later_ones_do_not() {
        // A real first fragment: the UDP length covers the whole datagram (1000 bytes), the
        // fragment holds 48 of them. Packet::parse leaves the payload undecoded; the key has
        // the ports.
        let mut first = ip4();
        first.flags = FLAG_MF;
        let mut udp = Udp::new(1, 2);
        udp.total_length = Some(1000);
        udp.csum = Some(0);
        let f = (hosts() / first.clone() / udp)
            .with_payload(vec![0; 40])
            .to_vec()
            .unwrap();
        let k = FlowKey::parse(&f).unwrap();
        assert!(k.fragment);
        assert_eq!(
            (k.protocol, k.src_port, k.dst_port),
            (IpProtocol::UDP, 1, 2)
        );
        let pkt = Packet::parse(&f).unwrap();
        assert_eq!(pkt.layers.len(), 2);
        assert_eq!(pkt.payload.len(), 48);
        check_agrees(&f).unwrap();
        // A first fragment too short for the fixed header (a tiny fragment): no ports, no error.
        for (proto, len) in [
            (IpProtocol::TCP, 19),
            (IpProtocol::UDP, 7),
            (IpProtocol::ICMP, 7),
            (IpProtocol::SCTP, 11),
        ] {
            let mut h = first.clone();
            h.proto = Some(proto);
            let f = (hosts() / h).with_payload(vec![9; len]).to_vec().unwrap();
            let k = FlowKey::parse(&f).unwrap();
            assert_eq!(
                (k.fragment, k.src_port, k.dst_port),
                (true, 0, 0),
                "{proto}"
            );
            check_agrees(&f).unwrap();
            let mut h = first.clone();
            h.proto = Some(proto);
            let f = (hosts() / h)
                .with_payload(vec![9; len + 1])
                .to_vec()
                .unwrap();
            let k = FlowKey::parse(&f).unwrap();
            let want = if proto == IpProtocol::ICMP {
                (9, 9)
            } else {
                (0x0909, 0x0909)
            };
            assert_eq!((k.src_port, k.dst_port), want, "{proto}");
            check_agrees(&f).unwrap();
        }
        // A later fragment: no ports, even where its data looks like a header.
        let mut later = ip4();
        later.offset = 185;
        let f = (hosts() / later / Udp::new(1, 2)).to_vec().unwrap();
        let k = FlowKey::parse(&f).unwrap();
        assert_eq!(
            (k.fragment, k.protocol, k.src_port),
            (true, IpProtocol::UDP, 0)
        );
        check_agrees(&f).unwrap();

        // IPv6: a later fragment, a first fragment, an atomic fragment (whole), each alone and
        // behind hop-by-hop, routing and destination options headers.
        let before: [&[Ipv6ExtHeader]; 4] = [
            &[],
            &[Ipv6ExtHeader::hop_by_hop([1, 4, 0, 0, 0, 0])],
            &[
                Ipv6ExtHeader::hop_by_hop([1, 4, 0, 0, 0, 0]),
                Ipv6ExtHeader::new(IpProtocol::IPV6_ROUTE, [253, 0, 0, 0, 0, 0]),
            ],
            &[Ipv6ExtHeader::new(
                IpProtocol::IPV6_OPTS,
                [1, 4, 0, 0, 0, 0],
            )],
        ];
        for exts in before {
            for (offset, more, fragment, ports) in [
                (10, false, true, (0, 0)),
                (10, true, true, (0, 0)),
                (0, true, true, (1, 2)),
                (0, false, false, (1, 2)),
            ] {
                let mut ip = ip6();
                for x in exts {
                    ip = ip.with_ext_header(x.clone());
                }
                // Destination options after the fragment header belong to the fragmented part.
                let ip = ip.with_ext_header(Ipv6ExtHeader::fragment(offset, more, 7));
                let f = (hosts() / ip / Udp::new(1, 2)).to_vec().unwrap();
                let k = FlowKey::parse(&f).unwrap();
                let what = format!("{} ext, offset {offset} more {more}", exts.len());
                assert_eq!(k.fragment, fragment, "{what}");
                assert_eq!(k.protocol, IpProtocol::UDP, "{what}");
                assert_eq!((k.src_port, k.dst_port), ports, "{what}");
                check_agrees(&f).unwrap();
            }
        }
    }

    #[test]
    fn ipv6_extension_headers_and_tunnels() {
        let ip = ip6()
            .with_ext_header(Ipv6ExtHeader::hop_by_hop([1, 4, 0, 0, 0, 0]))
            .with_ext_header(Ipv6ExtHeader::new(
                IpProtocol::IPV6_OPTS,
                [1, 4, 0, 0, 0, 0],
            ));
        let f = (hosts() / ip / Tcp::new(443, 50000, TcpFlags::SYN))
            .to_vec()
            .unwrap();
        let k = FlowKey::parse(&f).unwrap();
        assert_eq!(
            (k.src, k.protocol, k.src_port, k.dst_port),
            (v6("fd00::1"), IpProtocol::TCP, 443, 50000)
        );
        check_agrees(&f).unwrap();
        // IPv6 in IPv4: keyed by the outer header.
        let f = (hosts() / ip4() / ip6() / Udp::new(1, 2)).to_vec().unwrap();
        let k = FlowKey::parse(&f).unwrap();
        assert_eq!(
            (k.src, k.protocol, k.src_port),
            (v4("10.0.0.1"), IpProtocol::IPV6, 0)
        );
        check_agrees(&f).unwrap();
    }

    #[test]
    fn sctp_ports() {
        let mut ip = ip4();
        ip.proto = Some(IpProtocol::SCTP);
        // Common header: ports 2905 -> 2906, verification tag, checksum; then a chunk.
        let mut sctp = vec![0x0b, 0x59, 0x0b, 0x5a, 0, 0, 0, 1, 0, 0, 0, 0];
        sctp.extend_from_slice(&[1, 0, 0, 4]);
        let f = (hosts() / ip.clone())
            .with_payload(sctp.clone())
            .to_vec()
            .unwrap();
        let k = FlowKey::parse(&f).unwrap();
        assert_eq!(
            (k.protocol, k.src_port, k.dst_port),
            (IpProtocol::SCTP, 2905, 2906)
        );
        check_agrees(&f).unwrap();
        // Shorter than the common header: no ports, no error (Packet::parse does not decode
        // SCTP either).
        let f = (hosts() / ip).with_payload(&sctp[..8]).to_vec().unwrap();
        let k = FlowKey::parse(&f).unwrap();
        assert_eq!((k.src_port, k.dst_port), (0, 0));
        check_agrees(&f).unwrap();
    }

    #[test]
    fn icmp_type_and_code() {
        let f = (hosts() / ip4() / Icmp::echo_request(1, 2, vec![0; 4]))
            .to_vec()
            .unwrap();
        let k = FlowKey::parse(&f).unwrap();
        assert_eq!(
            (k.protocol, k.src_port, k.dst_port),
            (IpProtocol::ICMP, 8, 0)
        );
        let f = (hosts() / ip6() / Icmpv6::echo_request(1, 2, vec![0; 4]))
            .to_vec()
            .unwrap();
        let k = FlowKey::parse(&f).unwrap();
        assert_eq!(
            (k.protocol, k.src_port, k.dst_port),
            (IpProtocol::ICMPV6, 128, 0)
        );
    }

    /// Every length field the walk reads, made wrong: the error is Packet::parse's, offsets
    /// counted from the frame's first byte.
    #[test]
    fn malformed_headers() {
        let udp = fixture("udp_request");
        let syn = fixture("tcp_syn");
        let tagged = (hosts() / Vlan::new(5) / ip4() / Udp::new(1, 2))
            .to_vec()
            .unwrap();
        let mut cases: Vec<(&str, Vec<u8>, usize)> = vec![
            ("short ethernet", udp[..13].to_vec(), 0),
            ("short vlan tag", tagged[..16].to_vec(), 14),
            ("short ipv4", udp[..33].to_vec(), 14),
        ];
        let mut f = udp.to_vec();
        f[14] = 0x44; // IHL 4
        cases.push(("ihl", f, 14));
        let mut f = udp.to_vec();
        f[14] = 0x65; // version 6
        cases.push(("version", f, 14));
        let mut f = udp.to_vec();
        f[16..18].copy_from_slice(&1000u16.to_be_bytes());
        cases.push(("ipv4 total_length", f, 16));
        let mut f = udp.to_vec();
        f[38..40].copy_from_slice(&100u16.to_be_bytes());
        cases.push(("udp length", f, 38));
        let mut f = udp.to_vec();
        f[38..40].copy_from_slice(&7u16.to_be_bytes());
        cases.push(("udp length below 8", f, 38));
        let mut f = syn.to_vec();
        f[46] = 0x40; // data offset 4
        cases.push(("tcp data offset", f, 46));
        let mut f = syn.to_vec();
        f[46] = 0xf0; // data offset 15: 60 bytes, the segment has 40
        cases.push(("tcp options past the end", f, 34));
        let echo6 = fixture("icmpv6_echo_request");
        let mut f = echo6.to_vec();
        f[18..20].copy_from_slice(&2000u16.to_be_bytes());
        cases.push(("ipv6 payload_length", f, 18));
        let mut f = fixture("mldv2_report").to_vec();
        f[55] = 9; // hop-by-hop Hdr Ext Len: 80 bytes
        cases.push(("ipv6 hdr_ext_len", f, 55));
        let ping = fixture("ping_echo_request");
        let mut f = ping.to_vec();
        f[16..18].copy_from_slice(&24u16.to_be_bytes()); // 4 bytes of ICMP
        f.truncate(38);
        cases.push(("short icmp", f, 34));
        for (what, frame, offset) in cases {
            let e = FlowKey::parse(&frame).expect_err(what);
            assert_eq!(e.offset(), Some(offset), "{what}: {e}");
            assert_eq!(Err(e), Packet::parse(&frame), "{what}");
            check_agrees(&frame).unwrap();
        }
    }

    /// An Ethernet frame of any shape the key reads, built from owned layers.
    fn arb_frame() -> impl Strategy<Value = Vec<u8>> {
        let vids = proptest::collection::vec((0u16..4096, 0u8..8), 0..4);
        let ext = prop_oneof![
            Just(Ipv6ExtHeader::hop_by_hop([1, 4, 0, 0, 0, 0])),
            Just(Ipv6ExtHeader::new(
                IpProtocol::IPV6_OPTS,
                [1, 4, 0, 0, 0, 0]
            )),
            Just(Ipv6ExtHeader::new(
                IpProtocol::IPV6_ROUTE,
                [253, 0, 0, 0, 0, 0]
            )),
            (0u16..4, any::<bool>(), any::<u32>())
                .prop_map(|(o, m, id)| Ipv6ExtHeader::fragment(o, m, id)),
        ];
        let exts = proptest::collection::vec(ext, 0..3);
        let ip = prop_oneof![
            (
                any::<[u8; 4]>(),
                any::<[u8; 4]>(),
                0u8..8,
                prop_oneof![Just(0u16), 0u16..8],
                0usize..3
            )
                .prop_map(|(s, d, flags, offset, words)| {
                    let mut h = Ipv4::new(s.into(), d.into());
                    h.flags = flags;
                    h.offset = offset;
                    h.option = vec![1; words * 4].into();
                    Layer::Ipv4(h)
                }),
            (any::<[u8; 16]>(), any::<[u8; 16]>(), exts).prop_map(|(s, d, exts)| {
                let mut h = Ipv6::new(Ipv6Addr::from(s), Ipv6Addr::from(d));
                h.ext_hdrs = exts;
                Layer::Ipv6(h)
            }),
            // Not IP: a local experimental EtherType.
            Just(Layer::Ethernet(Ethernet::new(
                MacAddr::BROADCAST,
                MacAddr::BROADCAST
            ))),
        ];
        let l4 =
            prop_oneof![
                (any::<u16>(), any::<u16>()).prop_map(|(s, d)| Some(Layer::Udp(Udp::new(s, d)))),
                (any::<u16>(), any::<u16>(), any::<u16>())
                    .prop_map(|(s, d, b)| Some(Layer::Tcp(Tcp::new(s, d, TcpFlags(b & 0x0fff))))),
                (any::<u16>(), any::<u16>())
                    .prop_map(|(i, s)| Some(Layer::Icmp(Icmp::echo_request(i, s, vec![0; 3])))),
                (any::<u16>(), any::<u16>())
                    .prop_map(|(i, s)| Some(Layer::Icmpv6(Icmpv6::echo_request(i, s, vec![1; 2])))),
                Just(None),
            ];
        let payload = proptest::collection::vec(any::<u8>(), 0..24);
        (
            vids,
            ip,
            l4,
            prop_oneof![Just(132u8), Just(47), Just(50), Just(103)],
            payload,
        )
            .prop_filter_map(
                "a stack the serializer refuses",
                |(vids, ip, l4, raw_proto, payload)| {
                    let mut pkt = Packet::new().push(hosts());
                    for (vid, pcp) in vids {
                        let mut t = Vlan::new(vid);
                        t.pcp = pcp;
                        pkt = pkt.push(t);
                    }
                    match ip {
                        Layer::Ethernet(_) => {
                            let last = pkt.layers.len() - 1;
                            match pkt.layers.get_mut(last) {
                                Some(Layer::Ethernet(e)) => e.ethertype = Some(EtherType(0x88b5)),
                                Some(Layer::Vlan(v)) => v.ethertype = Some(EtherType(0x88b5)),
                                _ => unreachable!(),
                            }
                            return pkt.with_payload(payload).to_vec().ok();
                        }
                        Layer::Ipv4(mut h) => {
                            if l4.is_none() {
                                h.proto = Some(IpProtocol(raw_proto));
                            }
                            pkt = pkt.push(h);
                        }
                        Layer::Ipv6(mut h) => {
                            if l4.is_none() {
                                match h.ext_hdrs.last_mut() {
                                    Some(x) => x.nxt = Some(IpProtocol(raw_proto)),
                                    None => h.nxt = Some(IpProtocol(raw_proto)),
                                }
                            }
                            pkt = pkt.push(h);
                        }
                        _ => unreachable!(),
                    }
                    if let Some(l) = l4 {
                        pkt = pkt.push(l);
                    }
                    pkt.with_payload(payload).to_vec().ok()
                },
            )
    }

    proptest! {
        #[test]
        fn generated_frames_agree_with_packet_parse(frame in arb_frame()) {
            // Frames from owned layers parse; the key is the packet's.
            let pkt = Packet::parse(&frame).unwrap();
            prop_assert_eq!(FlowKey::parse(&frame), Ok(reference(&pkt)));
            // And so do every prefix of them and every one-byte change.
            for n in 0..frame.len() {
                check_agrees(&frame[..n])?;
            }
        }

        #[test]
        fn mutated_frames_agree(frame in arb_frame(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
            let mut f = frame;
            let i = at.index(f.len());
            f[i] = byte;
            check_agrees(&f)?;
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..128)) {
            check_agrees(&bytes)?;
        }

        #[test]
        fn arbitrary_ip_bytes_never_panic(
            tpid in prop_oneof![Just(0x0800u16), Just(0x86dd), Just(0x8100), Just(0x88a8)],
            mut rest in proptest::collection::vec(any::<u8>(), 0..100),
        ) {
            // Past the Ethernet header, with a version nibble that matches the EtherType.
            if let Some(b) = rest.first_mut() {
                *b = match tpid { 0x0800 => 0x45 | (*b & 0x0f), 0x86dd => 0x60, _ => *b };
            }
            let mut frame = fixture("udp_request")[..12].to_vec();
            frame.extend_from_slice(&tpid.to_be_bytes());
            frame.extend_from_slice(&rest);
            check_agrees(&frame)?;
        }
    }
}
