//! Flow records (`flow_data` in sflow_version_5.txt and its extensions): what a flow sample or
//! a discarded-packet sample says about one sampled packet.
//!
//! [`FlowRecordView`] is the zero-copy view of one record (from
//! [`FlowSampleView::records`](crate::FlowSampleView::records)); [`FlowRecord`] is the owned
//! form that encodes. Formats this crate does not decode, and every record of a non-zero
//! enterprise, are kept as `Unknown` (enterprise, format, bytes) and re-encoded unchanged.
//!
//! Record numbers (enterprise 0): sampled header 1, ethernet 2, IPv4 3, IPv6 4
//! (sflow_version_5.txt); extended switch 1001, router 1002, gateway 1003, user 1004, url 1005,
//! MPLS 1006, NAT 1007, MPLS tunnel 1008, MPLS VC 1009, MPLS FTN 1010, MPLS LDP FEC 1011, VLAN
//! tunnel 1012; 802.11 payload 1013, rx 1014, tx 1015, aggregation 1016 (sflow_80211.txt); NAT
//! port 1020; L2/IPv4/IPv6 tunnel egress/ingress 1021–1026, decapsulation 1027/1028, VNI
//! 1029/1030 (sflow_tunnels.txt, sent by Open vSwitch); egress queue 1036, function 1038,
//! transit delay 1039, queue depth 1040 (sflow_drops.txt / delay); socket IPv4/IPv6 2100/2101,
//! proxy socket 2102/2103 (sflow_host.txt); TCP info 2209, entities 2210 (host-sflow).

use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;
use sdnwire_packet::wire::U32;
use sdnwire_packet::MacAddr;

use crate::error::{Error, Result};
use crate::fixed_layout::{fixed_records, Ip4, Ip6, Mac8};
use crate::record::{check_count, read_raw, record_enum, Records};
use crate::text::{line, named};
use crate::xdr::{
    impl_encode, owned_string, put_u32s, Address, Opaque, PaddedMac, Reader, Str, U32Array, Wire,
    Writer, XdrString,
};

/// The protocol of a sampled header (`header_protocol`), an open set: unknown values are kept.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct HeaderProtocol(pub u32);

impl HeaderProtocol {
    /// 1: Ethernet (ISO 8802-3), what switches and Open vSwitch send.
    pub const ETHERNET: Self = HeaderProtocol(1);
    /// 2: ISO 8802-4 token bus.
    pub const TOKEN_BUS: Self = HeaderProtocol(2);
    /// 3: ISO 8802-5 token ring.
    pub const TOKEN_RING: Self = HeaderProtocol(3);
    /// 4: FDDI.
    pub const FDDI: Self = HeaderProtocol(4);
    /// 5: frame relay.
    pub const FRAME_RELAY: Self = HeaderProtocol(5);
    /// 6: X.25.
    pub const X25: Self = HeaderProtocol(6);
    /// 7: PPP.
    pub const PPP: Self = HeaderProtocol(7);
    /// 8: SMDS.
    pub const SMDS: Self = HeaderProtocol(8);
    /// 9: AAL5.
    pub const AAL5: Self = HeaderProtocol(9);
    /// 10: AAL5 IP.
    pub const AAL5_IP: Self = HeaderProtocol(10);
    /// 11: an IPv4 packet with no link layer.
    pub const IPV4: Self = HeaderProtocol(11);
    /// 12: an IPv6 packet with no link layer.
    pub const IPV6: Self = HeaderProtocol(12);
    /// 13: MPLS.
    pub const MPLS: Self = HeaderProtocol(13);
    /// 14: POS.
    pub const POS: Self = HeaderProtocol(14);
    /// 15: IEEE 802.11 MAC.
    pub const IEEE80211_MAC: Self = HeaderProtocol(15);
    /// 16: IEEE 802.11 A-MPDU.
    pub const IEEE80211_AMPDU: Self = HeaderProtocol(16);
    /// 17: IEEE 802.11 A-MSDU subframe.
    pub const IEEE80211_AMSDU_SUBFRAME: Self = HeaderProtocol(17);
}

// ---------------------------------------------------------------- fixed-layout flow records

fixed_records! {
    /// Ethernet frame data (format 2; also the L2 tunnel records 1021/1022).
    EthernetFrame / EthernetFrameView / WEthernet = 24 {
        /// Length of the MAC packet in bytes, excluding lower-layer encapsulation, including
        /// the FCS.
        length: U32,
        /// Source MAC address.
        src_mac: Mac8,
        /// Destination MAC address.
        dst_mac: Mac8,
        /// Ethernet packet type.
        eth_type: U32,
    }

    /// IPv4 data (format 3; also the IPv4 tunnel records 1023/1024 that Open vSwitch sends).
    Ipv4Data / Ipv4DataView / WIpv4 = 32 {
        /// Length of the IP packet, excluding lower-layer encapsulation.
        length: U32,
        /// IP protocol (6 TCP, 17 UDP, ...).
        protocol: U32,
        /// Source address.
        src_ip: Ip4,
        /// Destination address.
        dst_ip: Ip4,
        /// TCP/UDP source port.
        src_port: U32,
        /// TCP/UDP destination port.
        dst_port: U32,
        /// TCP flags.
        tcp_flags: U32,
        /// Type of service.
        tos: U32,
    }

    /// IPv6 data (format 4; also the IPv6 tunnel records 1025/1026).
    Ipv6Data / Ipv6DataView / WIpv6 = 56 {
        /// Length of the IP packet, excluding lower-layer encapsulation.
        length: U32,
        /// IP next header (6 TCP, 17 UDP, ...).
        protocol: U32,
        /// Source address.
        src_ip: Ip6,
        /// Destination address.
        dst_ip: Ip6,
        /// TCP/UDP source port.
        src_port: U32,
        /// TCP/UDP destination port.
        dst_port: U32,
        /// TCP flags.
        tcp_flags: U32,
        /// IP priority.
        priority: U32,
    }

    /// Extended switch data (format 1001): VLANs and 802.1p priorities in and out.
    ExtendedSwitch / ExtendedSwitchView / WSwitch = 16 {
        /// 802.1Q VLAN id of the incoming frame.
        src_vlan: U32,
        /// 802.1p priority of the incoming frame.
        src_priority: U32,
        /// 802.1Q VLAN id of the outgoing frame.
        dst_vlan: U32,
        /// 802.1p priority of the outgoing frame.
        dst_priority: U32,
    }

    /// Extended MPLS LDP FEC (format 1011).
    ExtendedMplsLdpFec / ExtendedMplsLdpFecView / WLdpFec = 4 {
        /// mplsFecAddrPrefixLength.
        fec_addr_prefix_length: U32,
    }

    /// Extended NAT port data (format 1020): translated ports.
    ExtendedNatPort / ExtendedNatPortView / WNatPort = 8 {
        /// Translated source port.
        src_port: U32,
        /// Translated destination port.
        dst_port: U32,
    }

    /// Extended decapsulation (formats 1027 egress, 1028 ingress): where the inner header
    /// starts in the sampled header.
    ExtendedDecap / ExtendedDecapView / WDecap = 4 {
        /// Offset of the inner header in the sampled header.
        inner_header_offset: U32,
    }

    /// Extended VNI (formats 1029 egress, 1030 ingress): a tunnel's virtual network
    /// identifier (Open vSwitch sends them with its tunnel records).
    ExtendedVni / ExtendedVniView / WVni = 4 {
        /// Virtual network identifier.
        vni: U32,
    }

    /// Extended egress queue (format 1036).
    ExtendedEgressQueue / ExtendedEgressQueueView / WEgressQueue = 4 {
        /// Egress queue number selected for the sampled packet.
        queue: U32,
    }

    /// Extended transit delay (format 1039).
    ExtendedTransitDelay / ExtendedTransitDelayView / WTransit = 4 {
        /// Transit delay in nanoseconds (0xffffffff: that or more).
        delay: U32,
    }

    /// Extended queue depth (format 1040).
    ExtendedQueueDepth / ExtendedQueueDepthView / WQueueDepth = 4 {
        /// Queue depth in bytes.
        depth: U32,
    }

    /// Extended socket IPv4 (format 2100; proxy socket 2102).
    ExtendedSocketIpv4 / ExtendedSocketIpv4View / WSocket4 = 20 {
        /// IP protocol.
        protocol: U32,
        /// Local address.
        local_ip: Ip4,
        /// Remote address.
        remote_ip: Ip4,
        /// Local port.
        local_port: U32,
        /// Remote port.
        remote_port: U32,
    }

    /// Extended socket IPv6 (format 2101; proxy socket 2103).
    ExtendedSocketIpv6 / ExtendedSocketIpv6View / WSocket6 = 44 {
        /// IP protocol.
        protocol: U32,
        /// Local address.
        local_ip: Ip6,
        /// Remote address.
        remote_ip: Ip6,
        /// Local port.
        local_port: U32,
        /// Remote port.
        remote_port: U32,
    }

    /// Extended TCP info (format 2209, host-sflow), from Linux `struct tcp_info`.
    ExtendedTcpInfo / ExtendedTcpInfoView / WTcpInfo = 48 {
        /// Direction of the sampled packet: 0 unknown, 1 received, 2 sent.
        direction: U32,
        /// Cached effective MSS.
        snd_mss: U32,
        /// Maximum receive segment size.
        rcv_mss: U32,
        /// Packets in flight.
        unacked: U32,
        /// Lost packets.
        lost: U32,
        /// Retransmitted packets.
        retrans: U32,
        /// Path MTU.
        pmtu: U32,
        /// Smoothed RTT in microseconds.
        rtt: U32,
        /// RTT variance in microseconds.
        rttvar: U32,
        /// Sending congestion window.
        snd_cwnd: U32,
        /// Reordering.
        reordering: U32,
        /// Minimum RTT in microseconds.
        min_rtt: U32,
    }

    /// Extended entities (format 2210, host-sflow): the data sources of the packet's source
    /// and destination.
    ExtendedEntities / ExtendedEntitiesView / WEntities = 16 {
        /// Data source class of the source.
        src_ds_class: U32,
        /// Data source index of the source.
        src_ds_index: U32,
        /// Data source class of the destination.
        dst_ds_class: U32,
        /// Data source index of the destination.
        dst_ds_index: U32,
    }
}

// ---------------------------------------------------------------- raw packet header (1)

/// Zero-copy view of a sampled packet header (format 1; also inside the 802.11 payload record).
#[derive(Clone, Copy, Debug)]
pub struct RawPacketHeaderView<'a> {
    protocol: u32,
    frame_length: u32,
    stripped: u32,
    header: Str<'a>,
    offset: usize,
}

impl<'a> RawPacketHeaderView<'a> {
    #[inline(always)]
    pub(crate) fn new(data: &'a [u8], offset: usize) -> Result<Self> {
        let mut r = Reader::new(data, offset);
        let v = Self::read(&mut r)?;
        r.finish("sampled header record")?;
        Ok(v)
    }

    #[inline(always)]
    fn read(r: &mut Reader<'a>) -> Result<Self> {
        let offset = r.offset();
        Ok(RawPacketHeaderView {
            protocol: r.u32("header protocol")?,
            frame_length: r.u32("frame length")?,
            stripped: r.u32("stripped")?,
            header: r.opaque("header length")?,
            offset,
        })
    }

    /// Offset of the record's data in the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// The header's protocol (1 for Ethernet).
    pub fn header_protocol(&self) -> HeaderProtocol {
        HeaderProtocol(self.protocol)
    }
    /// Length of the original packet, before sampling (Open vSwitch adds 4 for the FCS).
    pub fn frame_length(&self) -> u32 {
        self.frame_length
    }
    /// Bytes removed from the packet before the header was taken (Open vSwitch: 4, the FCS).
    pub fn stripped(&self) -> u32 {
        self.stripped
    }
    /// The sampled header's bytes (without the XDR padding).
    pub fn header(&self) -> &'a [u8] {
        self.header.0
    }
    /// The XDR padding bytes after the header, as the agent sent them.
    pub fn padding(&self) -> &'a [u8] {
        self.header.1
    }
    /// The owned record.
    #[inline(always)]
    pub fn decode(&self) -> RawPacketHeader {
        RawPacketHeader {
            header_protocol: HeaderProtocol(self.protocol),
            frame_length: self.frame_length,
            stripped: self.stripped,
            header: Opaque::with_padding(self.header.0, self.header.1),
        }
    }
}

/// A sampled packet header (format 1): the first bytes of the sampled packet.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct RawPacketHeader {
    /// The header's protocol.
    pub header_protocol: HeaderProtocol,
    /// Length of the original packet.
    pub frame_length: u32,
    /// Bytes removed before the header was taken.
    pub stripped: u32,
    /// The header bytes (and the padding they came with).
    pub header: Opaque,
}

/// The record's data: protocol, frame length, stripped bytes, the header (length, bytes,
/// padding).
impl Wire for RawPacketHeader {
    fn wire_len(&self) -> usize {
        12 + self.header.wire_len()
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        w.u32(self.header_protocol.0)?;
        w.u32(self.frame_length)?;
        w.u32(self.stripped)?;
        self.header.write(w)
    }
}
impl_encode!(RawPacketHeader);

/// sflowtool's text (`headerProtocol`, `sampledPacketSize`, `strippedBytes`, `headerLen`,
/// `headerBytes`).
impl fmt::Display for RawPacketHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        named(f, "flowSampleType", "HEADER")?;
        named(f, "headerProtocol", self.header_protocol)?;
        named(f, "sampledPacketSize", self.frame_length)?;
        named(f, "strippedBytes", self.stripped)?;
        named(f, "headerLen", self.header.data.len())?;
        line(f, "headerBytes", &self.header)
    }
}

// ---------------------------------------------------------------- scalar-only variable records

/// Declares a view for a record whose owned form is `Copy` (addresses and integers only): the
/// view holds the decoded value and derefs to it.
macro_rules! copy_view {
    ($(#[$m:meta])* $view:ident => $owned:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug)]
        pub struct $view<'a> {
            v: $owned,
            offset: usize,
            _p: PhantomData<&'a [u8]>,
        }
        impl $view<'_> {
            /// Offset of the record's data in the datagram.
            pub fn offset(&self) -> usize {
                self.offset
            }
            /// The owned record (cannot fail: the view holds it decoded).
            pub fn decode(&self) -> $owned {
                self.v
            }
        }
        /// What the decoded record prints.
        impl fmt::Display for $view<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.v, f)
            }
        }
        impl core::ops::Deref for $view<'_> {
            type Target = $owned;
            fn deref(&self) -> &$owned {
                &self.v
            }
        }
    };
}

copy_view!(
    /// View of an extended router record (format 1002); derefs to [`ExtendedRouter`].
    ExtendedRouterView => ExtendedRouter
);

impl<'a> ExtendedRouterView<'a> {
    pub(crate) fn new(data: &'a [u8], offset: usize) -> Result<Self> {
        let mut r = Reader::new(data, offset);
        let v = ExtendedRouter {
            next_hop: r.address("next hop")?,
            src_mask_len: r.u32("source mask")?,
            dst_mask_len: r.u32("destination mask")?,
        };
        r.finish("extended router record")?;
        Ok(ExtendedRouterView {
            v,
            offset,
            _p: PhantomData,
        })
    }
}

/// Extended router data (format 1002).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct ExtendedRouter {
    /// IP address of the next-hop router.
    pub next_hop: Address,
    /// Source address prefix length.
    pub src_mask_len: u32,
    /// Destination address prefix length.
    pub dst_mask_len: u32,
}

/// The record's data.
impl Wire for ExtendedRouter {
    fn wire_len(&self) -> usize {
        self.next_hop.wire_len() + 8
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        self.next_hop.write(w)?;
        w.u32(self.src_mask_len)?;
        w.u32(self.dst_mask_len)
    }
}
impl_encode!(ExtendedRouter);

/// sflowtool's text.
impl fmt::Display for ExtendedRouter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        line(f, "next_hop", &self.next_hop)?;
        line(f, "src_mask_len", &self.src_mask_len)?;
        line(f, "dst_mask_len", &self.dst_mask_len)
    }
}

copy_view!(
    /// View of an extended NAT record (format 1007); derefs to [`ExtendedNat`].
    ExtendedNatView => ExtendedNat
);

impl<'a> ExtendedNatView<'a> {
    pub(crate) fn new(data: &'a [u8], offset: usize) -> Result<Self> {
        let mut r = Reader::new(data, offset);
        let v = ExtendedNat {
            src: r.address("NAT source address")?,
            dst: r.address("NAT destination address")?,
        };
        r.finish("extended NAT record")?;
        Ok(ExtendedNatView {
            v,
            offset,
            _p: PhantomData,
        })
    }
}

/// Extended NAT data (format 1007): translated addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct ExtendedNat {
    /// Translated source address.
    pub src: Address,
    /// Translated destination address.
    pub dst: Address,
}

/// The record's data.
impl Wire for ExtendedNat {
    fn wire_len(&self) -> usize {
        self.src.wire_len() + self.dst.wire_len()
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        self.src.write(w)?;
        self.dst.write(w)
    }
}
impl_encode!(ExtendedNat);

/// sflowtool's text.
impl fmt::Display for ExtendedNat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        line(f, "nat_src", &self.src)?;
        line(f, "nat_dst", &self.dst)
    }
}

// ---------------------------------------------------------------- gateway (1003)

/// Zero-copy view of an extended gateway record (format 1003): BGP next hop, AS numbers, the
/// destination AS path and communities.
#[derive(Clone, Copy, Debug)]
pub struct ExtendedGatewayView<'a> {
    next_hop: Address,
    as_number: u32,
    src_as: u32,
    src_peer_as: u32,
    segment_count: u32,
    segments: &'a [u8],
    segments_offset: usize,
    communities: U32Array<'a>,
    local_pref: u32,
    offset: usize,
}

impl<'a> ExtendedGatewayView<'a> {
    pub(crate) fn new(data: &'a [u8], offset: usize) -> Result<Self> {
        let mut r = Reader::new(data, offset);
        let next_hop = r.address("next hop")?;
        let as_number = r.u32("AS")?;
        let src_as = r.u32("source AS")?;
        let src_peer_as = r.u32("source peer AS")?;
        let count_at = r.offset();
        let segment_count = r.u32("AS path segment count")?;
        check_count(
            segment_count,
            r.remaining(),
            count_at,
            "AS path segment count",
        )?;
        let segments_offset = r.offset();
        let start = r.rest();
        for _ in 0..segment_count {
            r.u32("AS path segment type")?;
            r.counted(4, "AS path segment length")?;
        }
        let used = start.len() - r.remaining();
        let segments = start.get(..used).unwrap_or(&[]);
        let (_, communities) = r.counted(4, "communities length")?;
        let local_pref = r.u32("local preference")?;
        r.finish("extended gateway record")?;
        Ok(ExtendedGatewayView {
            next_hop,
            as_number,
            src_as,
            src_peer_as,
            segment_count,
            segments,
            segments_offset,
            communities: U32Array(communities),
            local_pref,
            offset,
        })
    }

    /// Offset of the record's data in the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// Address of the border router that should be used for the destination network.
    pub fn next_hop(&self) -> Address {
        self.next_hop
    }
    /// AS number of this router.
    pub fn as_number(&self) -> u32 {
        self.as_number
    }
    /// AS number of the source.
    pub fn src_as(&self) -> u32 {
        self.src_as
    }
    /// AS number of the source peer.
    pub fn src_peer_as(&self) -> u32 {
        self.src_peer_as
    }
    /// The destination AS path, segment by segment.
    pub fn dst_as_path(&self) -> AsPathSegments<'a> {
        AsPathSegments {
            r: Reader::new(self.segments, self.segments_offset),
            left: self.segment_count,
        }
    }
    /// BGP communities.
    pub fn communities(&self) -> U32Array<'a> {
        self.communities
    }
    /// Local preference.
    pub fn local_pref(&self) -> u32 {
        self.local_pref
    }
    /// The owned record.
    pub fn decode(&self) -> ExtendedGateway {
        ExtendedGateway {
            next_hop: self.next_hop,
            as_number: self.as_number,
            src_as: self.src_as,
            src_peer_as: self.src_peer_as,
            dst_as_path: self.dst_as_path().map(|s| s.decode()).collect(),
            communities: self.communities.to_vec(),
            local_pref: self.local_pref,
        }
    }
}

/// Iterator over the segments of an AS path (checked when the record was read).
#[derive(Clone, Debug)]
pub struct AsPathSegments<'a> {
    r: Reader<'a>,
    left: u32,
}

impl<'a> Iterator for AsPathSegments<'a> {
    type Item = AsPathSegmentView<'a>;
    fn next(&mut self) -> Option<AsPathSegmentView<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let segment_type = self.r.u32("AS path segment type").ok()?;
        let (_, asns) = self.r.counted(4, "AS path segment length").ok()?;
        Some(AsPathSegmentView {
            segment_type,
            asns: U32Array(asns),
        })
    }
}

/// One AS path segment in a view.
#[derive(Clone, Copy, Debug)]
pub struct AsPathSegmentView<'a> {
    /// 1: AS_SET (unordered), 2: AS_SEQUENCE (ordered).
    pub segment_type: u32,
    /// The AS numbers.
    pub asns: U32Array<'a>,
}

impl AsPathSegmentView<'_> {
    /// The owned segment.
    pub fn decode(&self) -> AsPathSegment {
        AsPathSegment {
            segment_type: self.segment_type,
            asns: self.asns.to_vec(),
        }
    }
}

/// What the decoded segment prints.
impl fmt::Display for AsPathSegmentView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

/// The segment as the gateway record carries it: type, count, AS numbers.
impl Wire for AsPathSegment {
    fn wire_len(&self) -> usize {
        8 + 4 * self.asns.len()
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        w.u32(self.segment_type)?;
        put_u32s(w, &self.asns, "AS path segment length")
    }
}
impl_encode!(AsPathSegment);

/// sflowtool's notation: `type:asn,asn`.
impl fmt::Display for AsPathSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.segment_type)?;
        crate::text::SfValue::sf(&self.asns, f)
    }
}

/// One AS path segment.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct AsPathSegment {
    /// 1: AS_SET (unordered), 2: AS_SEQUENCE (ordered).
    pub segment_type: u32,
    /// The AS numbers.
    pub asns: Vec<u32>,
}

/// Extended gateway data (format 1003).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct ExtendedGateway {
    /// Address of the border router for the destination network.
    pub next_hop: Address,
    /// AS number of this router.
    pub as_number: u32,
    /// AS number of the source.
    pub src_as: u32,
    /// AS number of the source peer.
    pub src_peer_as: u32,
    /// The destination AS path.
    pub dst_as_path: Vec<AsPathSegment>,
    /// BGP communities.
    pub communities: Vec<u32>,
    /// Local preference.
    pub local_pref: u32,
}

/// The record's data. Counts past 2^32 - 1 are [`Error::Unencodable`].
impl Wire for ExtendedGateway {
    fn wire_len(&self) -> usize {
        self.next_hop.wire_len()
            + 16
            + self
                .dst_as_path
                .iter()
                .map(AsPathSegment::wire_len)
                .sum::<usize>()
            + 4
            + 4 * self.communities.len()
            + 4
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        self.next_hop.write(w)?;
        w.u32(self.as_number)?;
        w.u32(self.src_as)?;
        w.u32(self.src_peer_as)?;
        w.len(self.dst_as_path.len(), "AS path segment count")?;
        for seg in &self.dst_as_path {
            seg.write(w)?;
        }
        put_u32s(w, &self.communities, "communities length")?;
        w.u32(self.local_pref)
    }
}
impl_encode!(ExtendedGateway);

/// sflowtool's text (`dst_as_path` as `type:asn,asn-type:asn`).
impl fmt::Display for ExtendedGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        line(f, "next_hop", &self.next_hop)?;
        line(f, "my_as", &self.as_number)?;
        line(f, "src_as", &self.src_as)?;
        line(f, "src_peer_as", &self.src_peer_as)?;
        named(f, "dst_as_path_len", self.dst_as_path.len())?;
        f.write_str("dst_as_path ")?;
        for (i, seg) in self.dst_as_path.iter().enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            fmt::Display::fmt(seg, f)?;
        }
        f.write_str("\n")?;
        line(f, "communities", &self.communities)?;
        line(f, "localpref", &self.local_pref)
    }
}

// ---------------------------------------------------------------- records with strings

/// Declares a record made of `u32`, string, address and `u32`-array fields in order: its view
/// (parsed and checked once, strings borrowed) and its owned form.
macro_rules! string_record {
    (@vty uuid) => { [u8; 16] };
    (@vget uuid) => { [u8; 16] };
    (@oty uuid) => { [u8; 16] };
    (@read $r:ident, uuid, $n:expr) => { *$r.array::<16>($n)? };
    (@get $v:expr, uuid) => { $v };
    (@own $v:expr, uuid) => { $v };
    (@len $v:expr, uuid) => { 16 };
    (@put $b:ident, $v:expr, uuid, $n:expr) => { $b.bytes(&$v)? };
    (
        $(#[$m:meta])* $owned:ident / $view:ident : $what:literal {
            $( $(#[$fm:meta])* $field:ident : $kind:ident ),* $(,)?
        }
    ) => {
        #[doc = concat!("Zero-copy view of a [`", stringify!($owned), "`] record.")]
        #[derive(Clone, Copy, Debug)]
        pub struct $view<'a> {
            $( $field: string_record!(@vty $kind), )*
            offset: usize,
        }

        impl<'a> $view<'a> {
            pub(crate) fn new(data: &'a [u8], offset: usize) -> Result<Self> {
                let mut r = Reader::new(data, offset);
                $( let $field = string_record!(@read r, $kind, stringify!($field)); )*
                r.finish($what)?;
                Ok($view { $( $field, )* offset })
            }
            /// Offset of the record's data in the datagram.
            pub fn offset(&self) -> usize {
                self.offset
            }
            $(
                $(#[$fm])*
                pub fn $field(&self) -> string_record!(@vget $kind) {
                    string_record!(@get self.$field, $kind)
                }
            )*
            /// The owned record (cannot fail: the view checked every length).
            pub fn decode(&self) -> $owned {
                $owned { $( $field: string_record!(@own self.$field, $kind), )* }
            }
        }

        /// What the decoded record prints.
        impl core::fmt::Display for $view<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Display::fmt(&self.decode(), f)
            }
        }

        /// sflowtool's text: one `fieldName value` line per field.
        impl core::fmt::Display for $owned {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                $( $crate::text::line(f, stringify!($field), &self.$field)?; )*
                Ok(())
            }
        }

        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
        pub struct $owned {
            $( $(#[$fm])* pub $field: string_record!(@oty $kind), )*
        }

        /// The record's data. Lengths and counts past 2^32 - 1 are
        /// [`Error::Unencodable`](crate::Error::Unencodable).
        impl $crate::xdr::Wire for $owned {
            fn wire_len(&self) -> usize {
                0 $( + string_record!(@len self.$field, $kind) )*
            }
            fn write(&self, w: &mut $crate::xdr::Writer<'_>) -> Result<()> {
                $( string_record!(@put w, self.$field, $kind, stringify!($field)); )*
                Ok(())
            }
        }
        $crate::xdr::impl_encode!($owned);
    };
    (@vty u32) => { u32 };
    (@vty string) => { Str<'a> };
    (@vty u32s) => { U32Array<'a> };
    (@vty address) => { Address };
    (@vget u32) => { u32 };
    (@vget string) => { &'a [u8] };
    (@vget u32s) => { U32Array<'a> };
    (@vget address) => { Address };
    (@oty u32) => { u32 };
    (@oty string) => { XdrString };
    (@oty u32s) => { Vec<u32> };
    (@oty address) => { Address };
    (@read $r:ident, u32, $n:expr) => { $r.u32($n)? };
    (@read $r:ident, string, $n:expr) => { $r.opaque($n)? };
    (@read $r:ident, u32s, $n:expr) => { U32Array($r.counted(4, $n)?.1) };
    (@read $r:ident, address, $n:expr) => { $r.address($n)? };
    (@get $v:expr, u32) => { $v };
    (@get $v:expr, string) => { $v.0 };
    (@get $v:expr, u32s) => { $v };
    (@get $v:expr, address) => { $v };
    (@own $v:expr, u32) => { $v };
    (@own $v:expr, string) => { owned_string($v) };
    (@own $v:expr, u32s) => { $v.to_vec() };
    (@own $v:expr, address) => { $v };
    (@len $v:expr, u32) => { 4 };
    (@len $v:expr, string) => { $crate::xdr::Wire::wire_len(&$v) };
    (@len $v:expr, u32s) => { 4 + 4 * $v.len() };
    (@len $v:expr, address) => { $crate::xdr::Wire::wire_len(&$v) };
    (@put $b:ident, $v:expr, u32, $n:expr) => { $b.u32($v)? };
    (@put $b:ident, $v:expr, string, $n:expr) => { $crate::xdr::Wire::write(&$v, $b)? };
    (@put $b:ident, $v:expr, u32s, $n:expr) => { $crate::xdr::put_u32s($b, &$v, $n)? };
    (@put $b:ident, $v:expr, address, $n:expr) => { $crate::xdr::Wire::write(&$v, $b)? };
}
pub(crate) use string_record;

string_record! {
    /// Extended user data (format 1004): RADIUS/TACACS user names.
    ExtendedUser / ExtendedUserView : "extended user record" {
        /// MIBEnum of the source user's character set (106: UTF-8).
        src_charset: u32,
        /// Source user name.
        src_user: string,
        /// MIBEnum of the destination user's character set.
        dst_charset: u32,
        /// Destination user name.
        dst_user: string,
    }
}

string_record! {
    /// Extended URL data (format 1005).
    ExtendedUrl / ExtendedUrlView : "extended URL record" {
        /// 1: the URL is the source's, 2: the destination's.
        direction: u32,
        /// The URL.
        url: string,
        /// The HTTP Host header.
        host: string,
    }
}

string_record! {
    /// Extended MPLS data (format 1006): next hop and label stacks.
    ExtendedMpls / ExtendedMplsView : "extended MPLS record" {
        /// Address of the next hop.
        next_hop: address,
        /// Label stack of the received packet (top first).
        in_stack: u32s,
        /// Label stack of the sent packet (top first).
        out_stack: u32s,
    }
}

string_record! {
    /// Extended MPLS tunnel (format 1008).
    ExtendedMplsTunnel / ExtendedMplsTunnelView : "extended MPLS tunnel record" {
        /// Tunnel (LSP) name.
        tunnel_lsp_name: string,
        /// Tunnel id.
        tunnel_id: u32,
        /// Tunnel class of service.
        tunnel_cos: u32,
    }
}

string_record! {
    /// Extended MPLS virtual circuit (format 1009).
    ExtendedMplsVc / ExtendedMplsVcView : "extended MPLS VC record" {
        /// VC instance name.
        vc_instance_name: string,
        /// VLL/VC instance id.
        vll_vc_id: u32,
        /// VC label class of service.
        vc_label_cos: u32,
    }
}

string_record! {
    /// Extended MPLS FEC-to-NHLFE (format 1010).
    ExtendedMplsFtn / ExtendedMplsFtnView : "extended MPLS FTN record" {
        /// mplsFTNDescr.
        mpls_ftn_descr: string,
        /// mplsFTNMask.
        mpls_ftn_mask: u32,
    }
}

string_record! {
    /// Extended VLAN tunnel (format 1012): the stripped 802.1Q TPID/TCI layers, outermost first.
    ExtendedVlanTunnel / ExtendedVlanTunnelView : "extended VLAN tunnel record" {
        /// The stripped layers (TPID << 16 | TCI).
        stack: u32s,
    }
}

string_record! {
    /// Extended function (format 1038): the software function that generated the event.
    ExtendedFunction / ExtendedFunctionView : "extended function record" {
        /// The function's symbol.
        symbol: string,
    }
}

// ---------------------------------------------------------------- 802.11 (1013-1016)

/// Zero-copy view of an 802.11 payload record (format 1013): the cipher suite and the
/// decrypted sampled header.
#[derive(Clone, Copy, Debug)]
pub struct Ieee80211PayloadView<'a> {
    cipher_suite: u32,
    header: RawPacketHeaderView<'a>,
    offset: usize,
}

impl<'a> Ieee80211PayloadView<'a> {
    pub(crate) fn new(data: &'a [u8], offset: usize) -> Result<Self> {
        let mut r = Reader::new(data, offset);
        let cipher_suite = r.u32("cipher suite")?;
        let header = RawPacketHeaderView::read(&mut r)?;
        r.finish("802.11 payload record")?;
        Ok(Ieee80211PayloadView {
            cipher_suite,
            header,
            offset,
        })
    }
    /// Offset of the record's data in the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// The cipher suite (OUI << 8 | type).
    pub fn cipher_suite(&self) -> u32 {
        self.cipher_suite
    }
    /// The unencrypted sampled header.
    pub fn header(&self) -> RawPacketHeaderView<'a> {
        self.header
    }
    /// The owned record.
    pub fn decode(&self) -> Ieee80211Payload {
        Ieee80211Payload {
            cipher_suite: self.cipher_suite,
            header: self.header.decode(),
        }
    }
}

/// 802.11 payload (format 1013).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Ieee80211Payload {
    /// The cipher suite.
    pub cipher_suite: u32,
    /// The unencrypted sampled header.
    pub header: RawPacketHeader,
}

/// The record's data.
impl Wire for Ieee80211Payload {
    fn wire_len(&self) -> usize {
        4 + self.header.wire_len()
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        w.u32(self.cipher_suite)?;
        self.header.write(w)
    }
}
impl_encode!(Ieee80211Payload);

/// sflowtool's text.
impl fmt::Display for Ieee80211Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        line(f, "cipher_suite", &self.cipher_suite)?;
        fmt::Display::fmt(&self.header, f)
    }
}

fn read_bssid(r: &mut Reader<'_>) -> Result<[u8; 8]> {
    Ok(*r.array::<8>("BSSID")?)
}

/// The BSSID with the two padding bytes that followed it (kept, so that the record re-encodes
/// to the bytes it came from).
fn bssid_owned(b: &[u8; 8]) -> PaddedMac {
    let [a, b1, c, d, e, f, p, q] = *b;
    PaddedMac {
        mac: MacAddr([a, b1, c, d, e, f]),
        padding: [p, q],
    }
}

/// Zero-copy view of an 802.11 receive record (format 1014).
#[derive(Clone, Copy, Debug)]
pub struct Ieee80211RxView<'a> {
    ssid: Str<'a>,
    bssid: [u8; 8],
    version: u32,
    channel: u32,
    speed: u64,
    rsni: u32,
    rcpi: u32,
    packet_duration_us: u32,
    offset: usize,
}

impl<'a> Ieee80211RxView<'a> {
    pub(crate) fn new(data: &'a [u8], offset: usize) -> Result<Self> {
        let mut r = Reader::new(data, offset);
        let ssid = r.opaque("SSID length")?;
        let bssid = read_bssid(&mut r)?;
        let v = Ieee80211RxView {
            ssid,
            bssid,
            version: r.u32("version")?,
            channel: r.u32("channel")?,
            speed: r.u64("speed")?,
            rsni: r.u32("RSNI")?,
            rcpi: r.u32("RCPI")?,
            packet_duration_us: r.u32("packet duration")?,
            offset,
        };
        r.finish("802.11 rx record")?;
        Ok(v)
    }
    /// Offset of the record's data in the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// The SSID.
    pub fn ssid(&self) -> &'a [u8] {
        self.ssid.0
    }
    /// The BSSID.
    pub fn bssid(&self) -> MacAddr {
        bssid_owned(&self.bssid).mac
    }
    /// 802.11 version (1 a, 2 b, 3 g, 4 n).
    pub fn version(&self) -> u32 {
        self.version
    }
    /// Channel number.
    pub fn channel(&self) -> u32 {
        self.channel
    }
    /// Speed in bits per second.
    pub fn speed(&self) -> u64 {
        self.speed
    }
    /// Received signal to noise ratio.
    pub fn rsni(&self) -> u32 {
        self.rsni
    }
    /// Received channel power.
    pub fn rcpi(&self) -> u32 {
        self.rcpi
    }
    /// Time the packet occupied the medium, in microseconds.
    pub fn packet_duration_us(&self) -> u32 {
        self.packet_duration_us
    }
    /// The owned record.
    pub fn decode(&self) -> Ieee80211Rx {
        Ieee80211Rx {
            ssid: owned_string(self.ssid),
            bssid: bssid_owned(&self.bssid),
            version: self.version,
            channel: self.channel,
            speed: self.speed,
            rsni: self.rsni,
            rcpi: self.rcpi,
            packet_duration_us: self.packet_duration_us,
        }
    }
}

/// 802.11 receive data (format 1014).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Ieee80211Rx {
    /// The SSID.
    pub ssid: XdrString,
    /// The BSSID, with the two padding bytes that follow it on the wire (`opaque bssid[6]`
    /// padded to eight bytes).
    pub bssid: PaddedMac,
    /// 802.11 version (1 a, 2 b, 3 g, 4 n).
    pub version: u32,
    /// Channel number.
    pub channel: u32,
    /// Speed in bits per second.
    pub speed: u64,
    /// Received signal to noise ratio.
    pub rsni: u32,
    /// Received channel power.
    pub rcpi: u32,
    /// Time the packet occupied the medium, in microseconds.
    pub packet_duration_us: u32,
}

/// The record's data (the BSSID with its padding).
impl Wire for Ieee80211Rx {
    fn wire_len(&self) -> usize {
        self.ssid.wire_len() + 8 + 28
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        self.ssid.write(w)?;
        self.bssid.write(w)?;
        w.u32(self.version)?;
        w.u32(self.channel)?;
        w.u64(self.speed)?;
        w.u32(self.rsni)?;
        w.u32(self.rcpi)?;
        w.u32(self.packet_duration_us)
    }
}
impl_encode!(Ieee80211Rx);

/// sflowtool's text.
impl fmt::Display for Ieee80211Rx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        line(f, "ssid", &self.ssid)?;
        line(f, "bssid", &self.bssid)?;
        line(f, "version", &self.version)?;
        line(f, "channel", &self.channel)?;
        line(f, "speed", &self.speed)?;
        line(f, "rsni", &self.rsni)?;
        line(f, "rcpi", &self.rcpi)?;
        line(f, "packet_duration_us", &self.packet_duration_us)
    }
}

/// Zero-copy view of an 802.11 transmit record (format 1015).
#[derive(Clone, Copy, Debug)]
pub struct Ieee80211TxView<'a> {
    ssid: Str<'a>,
    bssid: [u8; 8],
    version: u32,
    transmissions: u32,
    packet_duration_us: u32,
    retrans_duration_us: u32,
    channel: u32,
    speed: u64,
    power_mw: u32,
    offset: usize,
}

impl<'a> Ieee80211TxView<'a> {
    pub(crate) fn new(data: &'a [u8], offset: usize) -> Result<Self> {
        let mut r = Reader::new(data, offset);
        let ssid = r.opaque("SSID length")?;
        let bssid = read_bssid(&mut r)?;
        let v = Ieee80211TxView {
            ssid,
            bssid,
            version: r.u32("version")?,
            transmissions: r.u32("transmissions")?,
            packet_duration_us: r.u32("packet duration")?,
            retrans_duration_us: r.u32("retransmission duration")?,
            channel: r.u32("channel")?,
            speed: r.u64("speed")?,
            power_mw: r.u32("power")?,
            offset,
        };
        r.finish("802.11 tx record")?;
        Ok(v)
    }
    /// Offset of the record's data in the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// The SSID.
    pub fn ssid(&self) -> &'a [u8] {
        self.ssid.0
    }
    /// The BSSID.
    pub fn bssid(&self) -> MacAddr {
        bssid_owned(&self.bssid).mac
    }
    /// 802.11 version (1 a, 2 b, 3 g, 4 n).
    pub fn version(&self) -> u32 {
        self.version
    }
    /// Transmissions: 0 unknown, 1 sent at first try, n: n-1 retransmissions.
    pub fn transmissions(&self) -> u32 {
        self.transmissions
    }
    /// Time the successful transmission occupied the medium, in microseconds.
    pub fn packet_duration_us(&self) -> u32 {
        self.packet_duration_us
    }
    /// Time failed transmissions occupied the medium, in microseconds.
    pub fn retrans_duration_us(&self) -> u32 {
        self.retrans_duration_us
    }
    /// Channel number.
    pub fn channel(&self) -> u32 {
        self.channel
    }
    /// Speed in bits per second.
    pub fn speed(&self) -> u64 {
        self.speed
    }
    /// Transmit power in mW.
    pub fn power_mw(&self) -> u32 {
        self.power_mw
    }
    /// The owned record.
    pub fn decode(&self) -> Ieee80211Tx {
        Ieee80211Tx {
            ssid: owned_string(self.ssid),
            bssid: bssid_owned(&self.bssid),
            version: self.version,
            transmissions: self.transmissions,
            packet_duration_us: self.packet_duration_us,
            retrans_duration_us: self.retrans_duration_us,
            channel: self.channel,
            speed: self.speed,
            power_mw: self.power_mw,
        }
    }
}

/// 802.11 transmit data (format 1015).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Ieee80211Tx {
    /// The SSID.
    pub ssid: XdrString,
    /// The BSSID, with the two padding bytes that follow it on the wire (`opaque bssid[6]`
    /// padded to eight bytes).
    pub bssid: PaddedMac,
    /// 802.11 version.
    pub version: u32,
    /// Transmissions.
    pub transmissions: u32,
    /// Time the successful transmission occupied the medium, in microseconds.
    pub packet_duration_us: u32,
    /// Time failed transmissions occupied the medium, in microseconds.
    pub retrans_duration_us: u32,
    /// Channel number.
    pub channel: u32,
    /// Speed in bits per second.
    pub speed: u64,
    /// Transmit power in mW.
    pub power_mw: u32,
}

/// The record's data (the BSSID with its padding).
impl Wire for Ieee80211Tx {
    fn wire_len(&self) -> usize {
        self.ssid.wire_len() + 8 + 32
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        self.ssid.write(w)?;
        self.bssid.write(w)?;
        w.u32(self.version)?;
        w.u32(self.transmissions)?;
        w.u32(self.packet_duration_us)?;
        w.u32(self.retrans_duration_us)?;
        w.u32(self.channel)?;
        w.u64(self.speed)?;
        w.u32(self.power_mw)
    }
}
impl_encode!(Ieee80211Tx);

/// sflowtool's text.
impl fmt::Display for Ieee80211Tx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        line(f, "ssid", &self.ssid)?;
        line(f, "bssid", &self.bssid)?;
        line(f, "version", &self.version)?;
        line(f, "transmissions", &self.transmissions)?;
        line(f, "packet_duration_us", &self.packet_duration_us)?;
        line(f, "retrans_duration_us", &self.retrans_duration_us)?;
        line(f, "channel", &self.channel)?;
        line(f, "speed", &self.speed)?;
        line(f, "power_mw", &self.power_mw)
    }
}

/// Zero-copy view of an 802.11 aggregation record (format 1016): one list of flow records per
/// PDU of the aggregate. Checked when read (an aggregation inside an aggregation is refused,
/// so that hostile nesting cannot recurse).
#[derive(Clone, Copy, Debug)]
pub struct Ieee80211AggregationView<'a> {
    count: u32,
    data: &'a [u8],
    data_offset: usize,
    offset: usize,
}

impl<'a> Ieee80211AggregationView<'a> {
    pub(crate) fn new(data: &'a [u8], offset: usize) -> Result<Self> {
        let mut r = Reader::new(data, offset);
        let at = r.offset();
        let count = r.u32("PDU count")?;
        if (count as usize).saturating_mul(4) > r.remaining() {
            return Err(Error::BadLength {
                offset: at,
                what: "PDU count",
                value: u64::from(count),
                reason: "more PDUs than the record can hold (4 bytes each at least)",
            });
        }
        let data_offset = r.offset();
        let rest = r.rest();
        for _ in 0..count {
            let n_at = r.offset();
            let n = r.u32("PDU record count")?;
            check_count(n, r.remaining(), n_at, "PDU record count")?;
            for _ in 0..n {
                let raw = read_raw(&mut r)?;
                if raw.format == crate::record::DataFormat::standard(1016) {
                    return Err(Error::BadValue {
                        offset: raw.offset,
                        what: "record format",
                        value: 1016,
                        expected: "no aggregation record inside an aggregation record",
                    });
                }
                <FlowRecordView<'_> as crate::record::sealed::Sealed<'_>>::from_raw(raw)?;
            }
        }
        r.finish("802.11 aggregation record")?;
        Ok(Ieee80211AggregationView {
            count,
            data: rest,
            data_offset,
            offset,
        })
    }
    /// Offset of the record's data in the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// Number of PDUs.
    pub fn pdu_count(&self) -> u32 {
        self.count
    }
    /// The PDUs, each an iterator over its flow records.
    pub fn pdus(&self) -> Pdus<'a> {
        Pdus {
            r: Reader::new(self.data, self.data_offset),
            left: self.count,
        }
    }
    /// The owned record. The view checked every nested record when it was made; the
    /// `Result` is that of the nested records' own `decode`.
    pub fn decode(&self) -> Result<Ieee80211Aggregation> {
        let mut pdus = Vec::with_capacity(self.count as usize);
        for pdu in self.pdus() {
            let mut recs = Vec::with_capacity(pdu.len_hint() as usize);
            for rec in pdu {
                recs.push(rec?.decode()?);
            }
            pdus.push(recs);
        }
        Ok(Ieee80211Aggregation { pdus })
    }
}

/// Iterator over the PDUs of an aggregation record.
#[derive(Clone, Debug)]
pub struct Pdus<'a> {
    r: Reader<'a>,
    left: u32,
}

impl<'a> Iterator for Pdus<'a> {
    type Item = FlowRecords<'a>;
    fn next(&mut self) -> Option<FlowRecords<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let n = self.r.u32("PDU record count").ok()?;
        let start = self.r.rest();
        let at = self.r.offset();
        let end = Records::<FlowRecordView<'a>>::new(start, at, n)
            .skip_all()
            .ok()?;
        let used = start.len() - end.remaining();
        self.r = end;
        Some(Records::new(start.get(..used).unwrap_or(&[]), at, n))
    }
}

/// 802.11 aggregation (format 1016): the flow records of each PDU.
#[derive(Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Ieee80211Aggregation {
    /// One list of flow records per PDU.
    pub pdus: Vec<Vec<FlowRecord>>,
}

/// The record's data: the PDU count, then each PDU's record count and records. An
/// aggregation record inside a PDU is [`Error::Unencodable`] (the decoder refuses that
/// nesting, so its bytes would not read back).
impl Wire for Ieee80211Aggregation {
    fn wire_len(&self) -> usize {
        4 + self
            .pdus
            .iter()
            .map(|p| 4 + p.iter().map(FlowRecord::wire_len).sum::<usize>())
            .sum::<usize>()
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<()> {
        w.len(self.pdus.len(), "PDU count")?;
        for p in &self.pdus {
            w.len(p.len(), "PDU record count")?;
            for rec in p {
                if rec.data_format() == crate::record::DataFormat::standard(1016) {
                    return Err(Error::Unencodable {
                        what: "record format",
                        value: 1016,
                        reason: "no aggregation record inside an aggregation record",
                    });
                }
                rec.write(w)?;
            }
        }
        Ok(())
    }
}
impl_encode!(Ieee80211Aggregation);

/// sflowtool's text: each PDU's records in turn.
impl fmt::Display for Ieee80211Aggregation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        named(f, "pdus", self.pdus.len())?;
        for (i, p) in self.pdus.iter().enumerate() {
            named(f, "pdu", i)?;
            for rec in p {
                fmt::Display::fmt(rec, f)?;
            }
        }
        Ok(())
    }
}

/// What the decoded record prints.
impl fmt::Display for Ieee80211AggregationView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decode() {
            Ok(v) => fmt::Display::fmt(&v, f),
            Err(e) => writeln!(f, "error {e}"),
        }
    }
}

// ---------------------------------------------------------------- the record enums

record_enum! {
    /// Zero-copy view of one flow record.
    view FlowRecordView;
    /// An owned flow record.
    owned FlowRecord;
    tag "flowBlock_tag";
    /// Sampled packet header.
    RawHeader(RawPacketHeaderView, RawPacketHeader) = 1,
    /// Ethernet frame data.
    Ethernet(EthernetFrameView, EthernetFrame) = 2,
    /// IPv4 data.
    Ipv4(Ipv4DataView, Ipv4Data) = 3,
    /// IPv6 data.
    Ipv6(Ipv6DataView, Ipv6Data) = 4,
    /// Extended switch data.
    ExtendedSwitch(ExtendedSwitchView, ExtendedSwitch) = 1001,
    /// Extended router data.
    ExtendedRouter(ExtendedRouterView, ExtendedRouter) = 1002,
    /// Extended gateway data.
    ExtendedGateway(ExtendedGatewayView, ExtendedGateway) = 1003,
    /// Extended user data.
    ExtendedUser(ExtendedUserView, ExtendedUser) = 1004,
    /// Extended URL data.
    ExtendedUrl(ExtendedUrlView, ExtendedUrl) = 1005,
    /// Extended MPLS data.
    ExtendedMpls(ExtendedMplsView, ExtendedMpls) = 1006,
    /// Extended NAT data.
    ExtendedNat(ExtendedNatView, ExtendedNat) = 1007,
    /// Extended MPLS tunnel.
    ExtendedMplsTunnel(ExtendedMplsTunnelView, ExtendedMplsTunnel) = 1008,
    /// Extended MPLS VC.
    ExtendedMplsVc(ExtendedMplsVcView, ExtendedMplsVc) = 1009,
    /// Extended MPLS FTN.
    ExtendedMplsFtn(ExtendedMplsFtnView, ExtendedMplsFtn) = 1010,
    /// Extended MPLS LDP FEC.
    ExtendedMplsLdpFec(ExtendedMplsLdpFecView, ExtendedMplsLdpFec) = 1011,
    /// Extended VLAN tunnel.
    ExtendedVlanTunnel(ExtendedVlanTunnelView, ExtendedVlanTunnel) = 1012,
    /// 802.11 payload.
    Ieee80211Payload(Ieee80211PayloadView, Ieee80211Payload) = 1013,
    /// 802.11 receive data.
    Ieee80211Rx(Ieee80211RxView, Ieee80211Rx) = 1014,
    /// 802.11 transmit data.
    Ieee80211Tx(Ieee80211TxView, Ieee80211Tx) = 1015,
    /// 802.11 aggregation.
    Ieee80211Aggregation(Ieee80211AggregationView, Ieee80211Aggregation) = 1016,
    /// Extended NAT port data.
    ExtendedNatPort(ExtendedNatPortView, ExtendedNatPort) = 1020,
    /// Extended L2 tunnel egress: the outer Ethernet header of a tunnel the packet leaves by.
    L2TunnelEgress(EthernetFrameView, EthernetFrame) = 1021,
    /// Extended L2 tunnel ingress.
    L2TunnelIngress(EthernetFrameView, EthernetFrame) = 1022,
    /// Extended IPv4 tunnel egress (Open vSwitch: the tunnel a packet is sent into).
    Ipv4TunnelEgress(Ipv4DataView, Ipv4Data) = 1023,
    /// Extended IPv4 tunnel ingress (Open vSwitch: the tunnel a packet came from).
    Ipv4TunnelIngress(Ipv4DataView, Ipv4Data) = 1024,
    /// Extended IPv6 tunnel egress.
    Ipv6TunnelEgress(Ipv6DataView, Ipv6Data) = 1025,
    /// Extended IPv6 tunnel ingress.
    Ipv6TunnelIngress(Ipv6DataView, Ipv6Data) = 1026,
    /// Extended decapsulation egress.
    DecapEgress(ExtendedDecapView, ExtendedDecap) = 1027,
    /// Extended decapsulation ingress.
    DecapIngress(ExtendedDecapView, ExtendedDecap) = 1028,
    /// Extended VNI egress.
    VniEgress(ExtendedVniView, ExtendedVni) = 1029,
    /// Extended VNI ingress.
    VniIngress(ExtendedVniView, ExtendedVni) = 1030,
    /// Extended egress queue.
    ExtendedEgressQueue(ExtendedEgressQueueView, ExtendedEgressQueue) = 1036,
    /// Extended function.
    ExtendedFunction(ExtendedFunctionView, ExtendedFunction) = 1038,
    /// Extended transit delay.
    ExtendedTransitDelay(ExtendedTransitDelayView, ExtendedTransitDelay) = 1039,
    /// Extended queue depth.
    ExtendedQueueDepth(ExtendedQueueDepthView, ExtendedQueueDepth) = 1040,
    /// Extended socket IPv4.
    ExtendedSocketIpv4(ExtendedSocketIpv4View, ExtendedSocketIpv4) = 2100,
    /// Extended socket IPv6.
    ExtendedSocketIpv6(ExtendedSocketIpv6View, ExtendedSocketIpv6) = 2101,
    /// Extended proxy socket IPv4.
    ExtendedProxySocketIpv4(ExtendedSocketIpv4View, ExtendedSocketIpv4) = 2102,
    /// Extended proxy socket IPv6.
    ExtendedProxySocketIpv6(ExtendedSocketIpv6View, ExtendedSocketIpv6) = 2103,
    /// Extended TCP info.
    ExtendedTcpInfo(ExtendedTcpInfoView, ExtendedTcpInfo) = 2209,
    /// Extended entities.
    ExtendedEntities(ExtendedEntitiesView, ExtendedEntities) = 2210,
}

/// Iterator over the flow records of a flow or discarded-packet sample.
pub type FlowRecords<'a> = Records<'a, FlowRecordView<'a>>;

impl fmt::Display for HeaderProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What the decoded values print: the views of the records with variable parts.
macro_rules! view_display {
    ($($view:ident),*) => { $(
        impl fmt::Display for $view<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.decode(), f)
            }
        }
    )* };
}
view_display!(
    RawPacketHeaderView,
    ExtendedGatewayView,
    Ieee80211PayloadView,
    Ieee80211RxView,
    Ieee80211TxView
);
pub(crate) use view_display;

/// Infallible `decode` seen through the record enums' [`Decode`](crate::record::Decode).
macro_rules! infallible_decode {
    ($($view:ident => $owned:ident),* $(,)?) => { $(
        impl crate::record::Decode for $view<'_> {
            type Owned = $owned;
            #[inline(always)]
            fn decode_owned(&self) -> Result<$owned> {
                Ok(self.decode())
            }
            #[inline(always)]
            fn push_owned<O, const N: usize>(
                &self,
                out: &mut crate::inline::InlineVec<O, N>,
                wrap: impl FnOnce($owned) -> O,
                _unwrap: impl FnOnce(&mut O) -> Option<&mut $owned>,
            ) -> Option<()> {
                out.push_with(|| wrap(self.decode()));
                Some(())
            }
        }
    )* };
}
pub(crate) use infallible_decode;

/// The sampled header's bytes copied into the record once it is in the list (built aside,
/// they would be copied twice more: into the record, then the record into the list).
impl crate::record::Decode for RawPacketHeaderView<'_> {
    type Owned = RawPacketHeader;
    #[inline(always)]
    fn decode_owned(&self) -> Result<RawPacketHeader> {
        Ok(self.decode())
    }
    #[inline(always)]
    fn push_owned<O, const N: usize>(
        &self,
        out: &mut crate::inline::InlineVec<O, N>,
        wrap: impl FnOnce(RawPacketHeader) -> O,
        unwrap: impl FnOnce(&mut O) -> Option<&mut RawPacketHeader>,
    ) -> Option<()> {
        out.push_with(|| {
            wrap(RawPacketHeader {
                header_protocol: HeaderProtocol(self.protocol),
                frame_length: self.frame_length,
                stripped: self.stripped,
                header: Opaque {
                    data: crate::inline::InlineVec::new(),
                    padding: crate::xdr::padding_of(self.header.1),
                },
            })
        });
        let h = unwrap(out.last_mut()?)?;
        if self.header.0.len() > Opaque::INLINE {
            // On the heap at the header's exact length, as `Opaque::with_padding` puts it
            // (`extend_from_slice` alone would round the room up to a power of two).
            h.header.data.reserve_exact(self.header.0.len());
        }
        h.header.data.extend_from_slice(self.header.0);
        Some(())
    }
}

infallible_decode!(
    EthernetFrameView => EthernetFrame,
    Ipv4DataView => Ipv4Data,
    Ipv6DataView => Ipv6Data,
    ExtendedSwitchView => ExtendedSwitch,
    ExtendedRouterView => ExtendedRouter,
    ExtendedGatewayView => ExtendedGateway,
    ExtendedUserView => ExtendedUser,
    ExtendedUrlView => ExtendedUrl,
    ExtendedMplsView => ExtendedMpls,
    ExtendedNatView => ExtendedNat,
    ExtendedMplsTunnelView => ExtendedMplsTunnel,
    ExtendedMplsVcView => ExtendedMplsVc,
    ExtendedMplsFtnView => ExtendedMplsFtn,
    ExtendedMplsLdpFecView => ExtendedMplsLdpFec,
    ExtendedVlanTunnelView => ExtendedVlanTunnel,
    Ieee80211PayloadView => Ieee80211Payload,
    Ieee80211RxView => Ieee80211Rx,
    Ieee80211TxView => Ieee80211Tx,
    ExtendedNatPortView => ExtendedNatPort,
    ExtendedDecapView => ExtendedDecap,
    ExtendedVniView => ExtendedVni,
    ExtendedEgressQueueView => ExtendedEgressQueue,
    ExtendedFunctionView => ExtendedFunction,
    ExtendedTransitDelayView => ExtendedTransitDelay,
    ExtendedQueueDepthView => ExtendedQueueDepth,
    ExtendedSocketIpv4View => ExtendedSocketIpv4,
    ExtendedSocketIpv6View => ExtendedSocketIpv6,
    ExtendedTcpInfoView => ExtendedTcpInfo,
    ExtendedEntitiesView => ExtendedEntities,
);

impl crate::record::Decode for Ieee80211AggregationView<'_> {
    type Owned = Ieee80211Aggregation;
    fn decode_owned(&self) -> Result<Ieee80211Aggregation> {
        self.decode()
    }
}
