//! Flow keys: the fields a flow definition groups samples by, read from a sampled packet header.
//!
//! The names are sFlow-RT's (`ipsource`, `tcpdestinationport`, `macsource`, ...). A sampled
//! header is the *first bytes* of a frame (128 by default on Open vSwitch and most switches), so
//! its IP total length and UDP length usually describe more bytes than were sampled.
//! [`Fields::decode`] therefore walks the header with `sdnwire-packet`'s walker in its prefix
//! mode (`Walker::with(header, first, Mode::Prefix)`): every header is checked as
//! `Packet::parse` checks it, except that lengths are bounded by the bytes present. A field whose
//! header is cut off or malformed is absent. The ports of TCP, UDP and SCTP and the type and code
//! of ICMP and ICMPv6 are read as Open vSwitch reads them: when the transport header's fixed part
//! is there (TCP 20 bytes, UDP 8, ICMP 8), also from a first fragment, never from a later one.
//!
//! Every key has a fixed width in a flow's compact key (`ipsource` 4 bytes, `ipsource6` 16,
//! `macsource` 6, ports 2, ...), so that a flow table is keyed by a small fixed-size array and a
//! sample costs no allocation.

use core::fmt::{self, Write};
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use sdnwire_packet::walk::{transport_ports, Fragment, Mode, Walker};
use sdnwire_packet::wire::{be16, be32};
use sdnwire_packet::{IpProtocol, LayerKind};

pub use sdnwire_sflow::HeaderProtocol;

/// What the engine needs of one flow sample: where it was taken, its sampling rate and the
/// sampled header (a raw packet header record).
#[derive(Debug, Clone, Copy)]
pub struct FlowSampleInput<'a> {
    /// The agent (switch) that sent the sample.
    pub agent: IpAddr,
    /// The ifIndex the packet came in on (0: unknown).
    pub input_ifindex: u32,
    /// The ifIndex the packet went out on (0: unknown; sFlow's "multiple"/"discarded" encodings
    /// are passed through as they are).
    pub output_ifindex: u32,
    /// One packet in `sampling_rate` was sampled: every value is scaled by it (0 counts as 1).
    pub sampling_rate: u32,
    /// Length of the original frame in bytes (the raw header record's `frame_length`).
    pub frame_length: u32,
    /// What `header` starts with.
    pub header_protocol: HeaderProtocol,
    /// The sampled header bytes.
    pub header: &'a [u8],
}

/// How a key's bytes read as a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// An IPv4 address (4 bytes).
    Ipv4,
    /// An IPv6 address (16 bytes).
    Ipv6,
    /// An IPv4 or IPv6 address stored as IPv6 (IPv4-mapped for IPv4), 16 bytes.
    Ip,
    /// A MAC address (6 bytes), written as 12 hex digits (`000C29A1B2C3`).
    Mac,
    /// An unsigned number of 1, 2 or 4 bytes, big-endian.
    Number,
    /// A boolean (1 byte), written `true` / `false`.
    Bool,
}

macro_rules! keys {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $kind:ident, $width:literal; )*) => {
        /// A flow key: one field of a sample, named as sFlow-RT names it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Key {
            $( $(#[$doc])* $variant, )*
        }

        impl Key {
            /// Every key, in declaration order.
            pub const ALL: &'static [Key] = &[$(Key::$variant),*];

            /// The key's name (`ipsource`).
            pub fn name(self) -> &'static str {
                match self { $(Key::$variant => $name,)* }
            }

            /// The key named `name` (exact, lower case), if any.
            pub fn from_name(name: &str) -> Option<Key> {
                match name { $($name => Some(Key::$variant),)* _ => None }
            }

            /// How the key's bytes read.
            pub fn kind(self) -> KeyKind {
                match self { $(Key::$variant => KeyKind::$kind,)* }
            }

            /// Width of the key in a flow's compact key, in bytes.
            pub fn width(self) -> usize {
                match self { $(Key::$variant => $width,)* }
            }
        }
    };
}

keys! {
    /// IPv4 source address.
    IpSource = "ipsource", Ipv4, 4;
    /// IPv4 destination address.
    IpDestination = "ipdestination", Ipv4, 4;
    /// IPv6 source address.
    IpSource6 = "ipsource6", Ipv6, 16;
    /// IPv6 destination address.
    IpDestination6 = "ipdestination6", Ipv6, 16;
    /// IP protocol (IPv6: the next header after the extension headers).
    IpProtocol = "ipprotocol", Number, 1;
    /// IPv4 TTL or IPv6 hop limit.
    IpTtl = "ipttl", Number, 1;
    /// IPv4 type of service or IPv6 traffic class.
    IpTos = "iptos", Number, 1;
    /// TCP source port.
    TcpSourcePort = "tcpsourceport", Number, 2;
    /// TCP destination port.
    TcpDestinationPort = "tcpdestinationport", Number, 2;
    /// UDP source port.
    UdpSourcePort = "udpsourceport", Number, 2;
    /// UDP destination port.
    UdpDestinationPort = "udpdestinationport", Number, 2;
    /// ICMP (or ICMPv6) message type.
    IcmpType = "icmptype", Number, 1;
    /// ICMP (or ICMPv6) code.
    IcmpCode = "icmpcode", Number, 1;
    /// Source MAC address.
    MacSource = "macsource", Mac, 6;
    /// Destination MAC address.
    MacDestination = "macdestination", Mac, 6;
    /// EtherType after the VLAN tags.
    EthernetProtocol = "ethernetprotocol", Number, 2;
    /// VLAN ID of the outermost 802.1Q / 802.1ad tag (absent if untagged).
    Vlan = "vlan", Number, 2;
    /// ARP operation (1 request, 2 reply).
    ArpOperation = "arpoperation", Number, 2;
    /// ARP sender IPv4 address.
    ArpIpSender = "arpipsender", Ipv4, 4;
    /// ARP target IPv4 address.
    ArpIpTarget = "arpiptarget", Ipv4, 4;
    /// ARP sender MAC address.
    ArpMacSender = "arpmacsender", Mac, 6;
    /// ARP target MAC address.
    ArpMacTarget = "arpmactarget", Mac, 6;
    /// The destination MAC is the broadcast address.
    IsBroadcast = "isbroadcast", Bool, 1;
    /// The destination MAC is a multicast (group) address other than broadcast.
    IsMulticast = "ismulticast", Bool, 1;
    /// The destination MAC is an individual (unicast) address.
    IsUnicast = "isunicast", Bool, 1;
    /// ifIndex of the input interface.
    InputIfIndex = "inputifindex", Number, 4;
    /// ifIndex of the output interface.
    OutputIfIndex = "outputifindex", Number, 4;
    /// Address of the agent that sent the sample.
    Agent = "agent", Ip, 16;
    /// Length of the sampled frame, in bytes.
    FrameLength = "framelength", Number, 4;
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Presence bits of [`Fields`].
mod has {
    pub(super) const ETH: u16 = 1 << 0;
    pub(super) const VLAN: u16 = 1 << 1;
    pub(super) const IP4: u16 = 1 << 2;
    pub(super) const IP6: u16 = 1 << 3;
    pub(super) const IP: u16 = 1 << 4;
    pub(super) const TCP: u16 = 1 << 5;
    pub(super) const UDP: u16 = 1 << 6;
    pub(super) const ICMP: u16 = 1 << 7;
    pub(super) const ARP: u16 = 1 << 8;
    pub(super) const ETHERTYPE: u16 = 1 << 9;
}

/// The fields of one flow sample, decoded once and shared by every flow definition.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fields {
    present: u16,
    mac_dst: [u8; 6],
    mac_src: [u8; 6],
    ethertype: u16,
    vlan: u16,
    ip4_src: [u8; 4],
    ip4_dst: [u8; 4],
    ip6_src: [u8; 16],
    ip6_dst: [u8; 16],
    proto: u8,
    ttl: u8,
    tos: u8,
    sport: u16,
    dport: u16,
    arp_op: u16,
    arp_spa: [u8; 4],
    arp_tpa: [u8; 4],
    arp_sha: [u8; 6],
    arp_tha: [u8; 6],
    in_if: u32,
    out_if: u32,
    frame_length: u32,
    agent: [u8; 16],
}

/// `N` bytes of `b` at `at`, or `None` past the end.
#[inline(always)]
fn arr<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
    b.get(at..).and_then(|t| t.first_chunk::<N>()).copied()
}

impl Fields {
    /// Decodes the sample's header (Ethernet, IPv4 or IPv6 as `header_protocol` says) and
    /// takes the sample's interfaces, frame length and agent. Never fails: what cannot be read
    /// (an unknown header protocol, a header cut short, a malformed header) is absent.
    #[inline]
    pub fn decode(s: &FlowSampleInput<'_>) -> Fields {
        let mut f = Fields {
            in_if: s.input_ifindex,
            out_if: s.output_ifindex,
            frame_length: s.frame_length,
            agent: match s.agent {
                IpAddr::V4(a) => a.to_ipv6_mapped().octets(),
                IpAddr::V6(a) => a.octets(),
            },
            ..Fields::default()
        };
        let first = match s.header_protocol {
            HeaderProtocol::ETHERNET => LayerKind::Ethernet,
            HeaderProtocol::IPV4 => LayerKind::Ipv4,
            HeaderProtocol::IPV6 => LayerKind::Ipv6,
            _ => return f,
        };
        f.walk(Walker::with(s.header, first, Mode::Prefix));
        f
    }

    /// Reads the fields from the layers the packet library's prefix walk finds: Ethernet, the
    /// VLAN tags, then IPv4, IPv6 or ARP, and the ports of the transport header (as Open
    /// vSwitch reads them, also from a first fragment).
    #[inline]
    fn walk(&mut self, mut w: Walker<'_>) {
        let h = w.frame();
        if w.peek() == Some(LayerKind::Ethernet) {
            // The addresses come first: readable even when the EtherType is cut off.
            if let (Some(dst), Some(src)) = (arr::<6>(h, 0), arr::<6>(h, 6)) {
                self.mac_dst = dst;
                self.mac_src = src;
                self.present |= has::ETH;
            }
        }
        let mut ethertype = None;
        while let Some(kind) = w.peek() {
            let Some(Ok(span)) = w.next() else {
                break;
            };
            let b = h.get(span.start..).unwrap_or_default();
            match kind {
                LayerKind::Ethernet => ethertype = be16(b, 12),
                LayerKind::Vlan => {
                    if !self.has(has::VLAN) {
                        self.vlan = be16(b, 0).unwrap_or_default() & 0x0fff;
                        self.present |= has::VLAN;
                    }
                    ethertype = be16(b, 2);
                }
                LayerKind::Ipv4 => {
                    self.ipv4(b);
                    break;
                }
                LayerKind::Ipv6 => {
                    self.ipv6(b);
                    break;
                }
                LayerKind::Arp => {
                    self.arp(b);
                    break;
                }
                _ => break,
            }
        }
        // The EtherType after the tags: known unless the walk stopped inside a tag.
        let tag_cut = matches!(w.cut(), Some(c) if c.layer == LayerKind::Vlan);
        if let (Some(et), false) = (ethertype, tag_cut) {
            self.ethertype = et;
            self.present |= has::ETHERTYPE;
        }
        if self.has(has::IP) {
            if let Some(p) = w.ip_protocol() {
                self.proto = p.0;
            }
            if w.fragment() != Fragment::Later {
                self.transport(transport_ports(IpProtocol(self.proto), w.rest()));
            }
        }
    }

    /// The fixed fields of an IPv4 header the walk accepted.
    fn ipv4(&mut self, b: &[u8]) {
        let Some(hdr) = arr::<20>(b, 0) else { return };
        let [_, tos, _, _, _, _, _, _, ttl, proto, _, _, s0, s1, s2, s3, d0, d1, d2, d3] = hdr;
        self.ip4_src = [s0, s1, s2, s3];
        self.ip4_dst = [d0, d1, d2, d3];
        self.proto = proto;
        self.ttl = ttl;
        self.tos = tos;
        self.present |= has::IP4 | has::IP;
    }

    /// The fixed fields of an IPv6 header the walk accepted.
    fn ipv6(&mut self, b: &[u8]) {
        let (Some(src), Some(dst), Some(vtc)) = (arr::<16>(b, 8), arr::<16>(b, 24), be32(b, 0))
        else {
            return;
        };
        self.ip6_src = src;
        self.ip6_dst = dst;
        self.tos = ((vtc >> 20) & 0xff) as u8;
        self.ttl = b.get(7).copied().unwrap_or_default();
        self.present |= has::IP6 | has::IP;
    }

    /// The ports (ICMP: type and code) the walk read, if any.
    fn transport(&mut self, ports: Option<(u16, u16)>) {
        let Some((sport, dport)) = ports else { return };
        self.sport = sport;
        self.dport = dport;
        self.present |= match IpProtocol(self.proto) {
            IpProtocol::TCP => has::TCP,
            IpProtocol::UDP => has::UDP,
            IpProtocol::ICMP | IpProtocol::ICMPV6 => has::ICMP,
            _ => return,
        };
    }

    fn arp(&mut self, b: &[u8]) {
        // Ethernet/IPv4 ARP only: htype 1, ptype 0x0800, hlen 6, plen 4.
        let Some(a) = arr::<28>(b, 0) else { return };
        if be16(&a, 0) != Some(1) || be16(&a, 2) != Some(0x0800) || a.get(4..6) != Some(&[6, 4][..])
        {
            return;
        }
        let Some(op) = be16(&a, 6) else { return };
        self.arp_op = op;
        self.arp_sha = arr(&a, 8).unwrap_or_default();
        self.arp_spa = arr(&a, 14).unwrap_or_default();
        self.arp_tha = arr(&a, 18).unwrap_or_default();
        self.arp_tpa = arr(&a, 24).unwrap_or_default();
        self.present |= has::ARP;
    }

    #[inline(always)]
    fn has(&self, bit: u16) -> bool {
        self.present & bit != 0
    }

    /// Writes `key`'s bytes (exactly `key.width()` of them) to the front of `out`; `false` if
    /// the sample has no such field (a UDP port of a TCP packet, the VLAN of an untagged frame)
    /// or `out` is too short.
    #[inline]
    pub fn write(&self, key: Key, out: &mut [u8]) -> bool {
        let port = |source: bool| if source { self.sport } else { self.dport }.to_be_bytes();
        match key {
            Key::IpSource if self.has(has::IP4) => put(out, &self.ip4_src),
            Key::IpDestination if self.has(has::IP4) => put(out, &self.ip4_dst),
            Key::IpSource6 if self.has(has::IP6) => put(out, &self.ip6_src),
            Key::IpDestination6 if self.has(has::IP6) => put(out, &self.ip6_dst),
            Key::IpProtocol if self.has(has::IP) => put(out, &[self.proto]),
            Key::IpTtl if self.has(has::IP) => put(out, &[self.ttl]),
            Key::IpTos if self.has(has::IP) => put(out, &[self.tos]),
            Key::TcpSourcePort | Key::TcpDestinationPort if self.has(has::TCP) => {
                put(out, &port(key == Key::TcpSourcePort))
            }
            Key::UdpSourcePort | Key::UdpDestinationPort if self.has(has::UDP) => {
                put(out, &port(key == Key::UdpSourcePort))
            }
            Key::IcmpType | Key::IcmpCode if self.has(has::ICMP) => {
                let [_, v] = port(key == Key::IcmpType);
                put(out, &[v])
            }
            Key::MacSource if self.has(has::ETH) => put(out, &self.mac_src),
            Key::MacDestination if self.has(has::ETH) => put(out, &self.mac_dst),
            Key::EthernetProtocol if self.has(has::ETHERTYPE) => {
                put(out, &self.ethertype.to_be_bytes())
            }
            Key::Vlan if self.has(has::VLAN) => put(out, &self.vlan.to_be_bytes()),
            Key::ArpOperation if self.has(has::ARP) => put(out, &self.arp_op.to_be_bytes()),
            Key::ArpIpSender if self.has(has::ARP) => put(out, &self.arp_spa),
            Key::ArpIpTarget if self.has(has::ARP) => put(out, &self.arp_tpa),
            Key::ArpMacSender if self.has(has::ARP) => put(out, &self.arp_sha),
            Key::ArpMacTarget if self.has(has::ARP) => put(out, &self.arp_tha),
            Key::IsBroadcast | Key::IsMulticast | Key::IsUnicast if self.has(has::ETH) => {
                let bcast = self.mac_dst == [0xff; 6];
                let group = self.mac_dst.first().is_some_and(|b| b & 1 != 0);
                let v = match key {
                    Key::IsBroadcast => bcast,
                    Key::IsMulticast => group && !bcast,
                    _ => !group,
                };
                put(out, &[u8::from(v)])
            }
            Key::InputIfIndex => put(out, &self.in_if.to_be_bytes()),
            Key::OutputIfIndex => put(out, &self.out_if.to_be_bytes()),
            Key::FrameLength => put(out, &self.frame_length.to_be_bytes()),
            Key::Agent => put(out, &self.agent),
            _ => false,
        }
    }

    /// The sampled frame's length.
    #[inline(always)]
    pub(crate) fn frame_length_value(&self) -> u32 {
        self.frame_length
    }

    /// The numeric value of `key` (a [`KeyKind::Number`] or [`KeyKind::Bool`] key), if the
    /// sample has it.
    #[inline]
    pub fn number(&self, key: Key) -> Option<u64> {
        if !matches!(key.kind(), KeyKind::Number | KeyKind::Bool) {
            return None;
        }
        let mut b = [0u8; 4];
        if !self.write(key, &mut b) {
            return None;
        }
        Some(number(b.get(..key.width()).unwrap_or_default()))
    }
}

/// Copies `b` to the front of `out`; false if `out` is too short.
#[inline(always)]
fn put(out: &mut [u8], b: &[u8]) -> bool {
    match out.get_mut(..b.len()) {
        Some(o) => {
            o.copy_from_slice(b);
            true
        }
        None => false,
    }
}

/// A big-endian unsigned number of up to 8 bytes.
pub(crate) fn number(b: &[u8]) -> u64 {
    b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x))
}

/// Writes `bytes`, the value of a `key`, as sFlow-RT writes it: dotted IPv4, RFC 5952 IPv6,
/// 12 upper-case hex digits for a MAC, decimal numbers, `true`/`false`.
pub fn write_value(out: &mut impl Write, key: Key, bytes: &[u8]) -> fmt::Result {
    match key.kind() {
        KeyKind::Ipv4 => {
            let a: [u8; 4] = arr(bytes, 0).unwrap_or_default();
            write!(out, "{}", Ipv4Addr::from(a))
        }
        KeyKind::Ipv6 => {
            let a: [u8; 16] = arr(bytes, 0).unwrap_or_default();
            write!(out, "{}", Ipv6Addr::from(a))
        }
        KeyKind::Ip => {
            let a: [u8; 16] = arr(bytes, 0).unwrap_or_default();
            write!(out, "{}", Ipv6Addr::from(a).to_canonical())
        }
        KeyKind::Mac => bytes.iter().try_for_each(|b| write!(out, "{b:02X}")),
        KeyKind::Number => write!(out, "{}", number(bytes)),
        KeyKind::Bool => out.write_str(if number(bytes) != 0 { "true" } else { "false" }),
    }
}

/// A fixed-capacity string on the stack, for formatting a key value without allocating.
#[cfg(feature = "regex")]
#[derive(Debug, Clone, Copy)]
pub(crate) struct StackStr {
    buf: [u8; 64],
    len: usize,
}

#[cfg(feature = "regex")]
impl StackStr {
    pub(crate) fn new() -> Self {
        StackStr {
            buf: [0; 64],
            len: 0,
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only whole `str`s are ever appended, so this never fails.
        core::str::from_utf8(self.buf.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

#[cfg(feature = "regex")]
impl Write for StackStr {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use sdnwire_packet::{Arp, Encode, Ethernet, Ipv4, Ipv6, MacAddr, Tcp, Udp, Vlan};

    fn input(header: &[u8]) -> FlowSampleInput<'_> {
        FlowSampleInput {
            agent: IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
            input_ifindex: 3,
            output_ifindex: 4,
            sampling_rate: 100,
            frame_length: 1514,
            header_protocol: HeaderProtocol::ETHERNET,
            header,
        }
    }

    fn show(f: &Fields, key: Key) -> Option<String> {
        let mut b = [0u8; 16];
        if !f.write(key, &mut b) {
            return None;
        }
        let mut s = String::new();
        write_value(&mut s, key, b.get(..key.width()).unwrap()).unwrap();
        Some(s)
    }

    const A: MacAddr = MacAddr::new(0x00, 0x0c, 0x29, 0xa1, 0xb2, 0xc3);

    #[test]
    fn truncated_tcp_header_keeps_addresses_and_ports() {
        let frame = (Ethernet::new(MacAddr::BROADCAST, A)
            / Vlan::new(100)
            / Ipv4::new("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap())
            / Tcp::new(40000, 80, sdnwire_packet::tcp::TcpFlags::ACK))
        .with_payload(alloc::vec![0u8; 1400])
        .to_vec()
        .unwrap();
        // The first 128 bytes, as an agent samples them: IPv4 total length says 1440.
        let f = Fields::decode(&input(&frame[..128]));
        assert_eq!(show(&f, Key::IpSource).as_deref(), Some("10.0.0.1"));
        assert_eq!(show(&f, Key::IpDestination).as_deref(), Some("10.0.0.2"));
        assert_eq!(show(&f, Key::TcpSourcePort).as_deref(), Some("40000"));
        assert_eq!(show(&f, Key::TcpDestinationPort).as_deref(), Some("80"));
        assert_eq!(show(&f, Key::UdpDestinationPort), None);
        assert_eq!(show(&f, Key::Vlan).as_deref(), Some("100"));
        assert_eq!(show(&f, Key::IpProtocol).as_deref(), Some("6"));
        assert_eq!(show(&f, Key::IpTtl).as_deref(), Some("64"));
        assert_eq!(show(&f, Key::EthernetProtocol).as_deref(), Some("2048"));
        assert_eq!(show(&f, Key::MacSource).as_deref(), Some("000C29A1B2C3"));
        assert_eq!(show(&f, Key::IsBroadcast).as_deref(), Some("true"));
        assert_eq!(show(&f, Key::IsMulticast).as_deref(), Some("false"));
        assert_eq!(show(&f, Key::IsUnicast).as_deref(), Some("false"));
        assert_eq!(show(&f, Key::InputIfIndex).as_deref(), Some("3"));
        assert_eq!(show(&f, Key::OutputIfIndex).as_deref(), Some("4"));
        assert_eq!(show(&f, Key::Agent).as_deref(), Some("192.0.2.1"));
        assert_eq!(show(&f, Key::IpSource6), None);
        assert_eq!(f.number(Key::FrameLength), Some(1514));
        // Cut inside the TCP header's ports: no ports, the addresses stay.
        let f = Fields::decode(&input(&frame[..14 + 4 + 20 + 3]));
        assert_eq!(show(&f, Key::TcpSourcePort), None);
        assert_eq!(show(&f, Key::IpSource).as_deref(), Some("10.0.0.1"));
    }

    #[test]
    fn ipv6_udp_and_arp() {
        let frame = (Ethernet::new(MacAddr::new(0x33, 0x33, 0, 0, 0, 0xfb), A)
            / Ipv6::new("fe80::1".parse().unwrap(), "ff02::fb".parse().unwrap())
            / Udp::new(5353, 5353))
        .with_payload(&b"q"[..])
        .to_vec()
        .unwrap();
        let f = Fields::decode(&input(&frame));
        assert_eq!(show(&f, Key::IpSource6).as_deref(), Some("fe80::1"));
        assert_eq!(show(&f, Key::IpDestination6).as_deref(), Some("ff02::fb"));
        assert_eq!(show(&f, Key::UdpSourcePort).as_deref(), Some("5353"));
        assert_eq!(show(&f, Key::IpSource), None);
        assert_eq!(show(&f, Key::IsMulticast).as_deref(), Some("true"));

        let frame = (Ethernet::new(MacAddr::BROADCAST, A)
            / Arp::request(A, "10.0.0.1".parse().unwrap(), "10.0.0.9".parse().unwrap()))
        .to_vec()
        .unwrap();
        let f = Fields::decode(&input(&frame));
        assert_eq!(show(&f, Key::ArpOperation).as_deref(), Some("1"));
        assert_eq!(show(&f, Key::ArpIpSender).as_deref(), Some("10.0.0.1"));
        assert_eq!(show(&f, Key::ArpIpTarget).as_deref(), Some("10.0.0.9"));
        assert_eq!(show(&f, Key::ArpMacSender).as_deref(), Some("000C29A1B2C3"));
        assert_eq!(show(&f, Key::EthernetProtocol).as_deref(), Some("2054"));
        assert_eq!(show(&f, Key::IpProtocol), None);
    }

    #[test]
    fn ip_header_protocols_without_link_layer() {
        let frame = (Ethernet::new(MacAddr::BROADCAST, A)
            / Ipv4::new("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap())
            / Udp::new(1, 2))
        .to_vec()
        .unwrap();
        let mut s = input(&frame[14..]);
        s.header_protocol = HeaderProtocol::IPV4;
        let f = Fields::decode(&s);
        assert_eq!(show(&f, Key::UdpDestinationPort).as_deref(), Some("2"));
        assert_eq!(show(&f, Key::MacSource), None);
        s.header_protocol = HeaderProtocol(99);
        let f = Fields::decode(&s);
        assert_eq!(show(&f, Key::IpSource), None);
        assert_eq!(show(&f, Key::InputIfIndex).as_deref(), Some("3"));
    }

    #[test]
    fn names_round_trip_and_widths_fit() {
        for &k in Key::ALL {
            assert_eq!(Key::from_name(k.name()), Some(k));
            assert!(k.width() <= 16);
        }
        assert_eq!(Key::from_name("IPSOURCE"), None);
    }
}
