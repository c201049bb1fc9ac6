//! What the benchmarks (benches/peers.rs) and the agreement test (tests/agree.rs) share: the
//! frames, the values every implementation must produce, and one function per library and task.
//!
//! Each task has one signature, so that every library does the same work:
//! * [`five_tuple`]: `fn(&[u8]) -> Option<FiveTuple>`;
//! * [`decode`]: a full decode of every header. Libraries whose parse result is owned values
//!   (our `Packet`, etherparse `PacketHeaders`, smoltcp's `Repr`s) return those values; zero-copy
//!   views (our `PacketView`, etherparse `SlicedPacket`, pdu, pnet) are walked and every header
//!   field is read into a [`Decoded`] handed to a sink, so that they too pay for reading values;
//! * [`reply`]: ICMP echo request bytes in, echo reply bytes out (into a reused `Vec`).

#![allow(dead_code)]

pub(crate) mod check;
pub(crate) mod decode;
pub(crate) mod five_tuple;
pub(crate) mod handwritten;
pub(crate) mod reply;

/// Eth / IPv4 / UDP (a 7-byte query to port 5353), captured from Linux.
pub(crate) const UDP_REQUEST: &[u8] = include_bytes!("../../../packet/testdata/udp_request.bin");
/// Eth / IPv4 / TCP SYN with MSS, SACK-permitted, timestamps, NOP, window scale, from Linux.
pub(crate) const TCP_SYN: &[u8] = include_bytes!("../../../packet/testdata/tcp_syn.bin");
/// Eth / IPv4 / TCP PSH-ACK with NOP, NOP, timestamps and 5 bytes of data, from Linux.
pub(crate) const TCP_DATA: &[u8] = include_bytes!("../../../packet/testdata/tcp_data.bin");
/// Eth / IPv4 / ICMP echo request (56 bytes of data) of a Linux `ping`.
pub(crate) const PING_ECHO_REQUEST: &[u8] =
    include_bytes!("../../../packet/testdata/ping_echo_request.bin");
/// The echo reply Linux sent to [`PING_ECHO_REQUEST`]: the ICMP message every implementation
/// builds must be this one's, byte for byte.
pub(crate) const PING_ECHO_REPLY: &[u8] =
    include_bytes!("../../../packet/testdata/ping_echo_reply.bin");

/// The TCI of the tag [`vlan_tcp_syn`] inserts: PCP 3, DEI 0, VID 100.
pub(crate) const VLAN_TCI: u16 = (3 << 13) | 100;

/// [`TCP_SYN`] with an 802.1Q tag (TPID 0x8100, [`VLAN_TCI`]) inserted after the MAC addresses.
pub(crate) fn vlan_tcp_syn() -> Vec<u8> {
    let mut f = Vec::with_capacity(TCP_SYN.len() + 4);
    f.extend_from_slice(&TCP_SYN[..12]);
    f.extend_from_slice(&0x8100u16.to_be_bytes());
    f.extend_from_slice(&VLAN_TCI.to_be_bytes());
    f.extend_from_slice(&TCP_SYN[12..]);
    f
}

/// A named frame.
pub(crate) struct Frame {
    /// Benchmark id part: the layers it has.
    pub(crate) name: &'static str,
    /// The bytes.
    pub(crate) bytes: Vec<u8>,
}

/// The frames of the five-tuple group.
pub(crate) fn five_tuple_frames() -> Vec<Frame> {
    vec![
        Frame {
            name: "eth_ipv4_udp",
            bytes: UDP_REQUEST.to_vec(),
        },
        Frame {
            name: "eth_vlan_ipv4_tcp",
            bytes: vlan_tcp_syn(),
        },
    ]
}

/// The frames of the full-decode group.
pub(crate) fn decode_frames() -> Vec<Frame> {
    vec![
        Frame {
            name: "eth_ipv4_udp",
            bytes: UDP_REQUEST.to_vec(),
        },
        Frame {
            name: "eth_ipv4_tcp_syn",
            bytes: TCP_SYN.to_vec(),
        },
        Frame {
            name: "eth_ipv4_tcp_data",
            bytes: TCP_DATA.to_vec(),
        },
        Frame {
            name: "eth_vlan_ipv4_tcp",
            bytes: vlan_tcp_syn(),
        },
        Frame {
            name: "eth_ipv4_icmp_echo",
            bytes: PING_ECHO_REQUEST.to_vec(),
        },
    ]
}

/// The flow key: source and destination address, IP protocol, source and destination port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FiveTuple {
    pub(crate) src: [u8; 4],
    pub(crate) dst: [u8; 4],
    pub(crate) proto: u8,
    pub(crate) sport: u16,
    pub(crate) dport: u16,
}

/// Every header field of an Eth / [VLAN] / IPv4 / UDP|TCP|ICMP frame, as plain values. `B` is
/// `&[u8]` when a view fills it, `Vec<u8>` when it is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decoded<B> {
    pub(crate) eth_dst: [u8; 6],
    pub(crate) eth_src: [u8; 6],
    /// The EtherType after the source address (0x8100 for a tagged frame).
    pub(crate) ethertype: u16,
    /// The first tag's TCI and inner EtherType.
    pub(crate) vlan: Option<(u16, u16)>,
    pub(crate) ip: Ip4<B>,
    pub(crate) l4: L4,
    /// The TCP options for a TCP `l4`, empty otherwise.
    pub(crate) tcp_options: B,
    /// What follows the last header: UDP/TCP payload, ICMP data after the 8-byte header.
    pub(crate) payload: B,
}

/// The IPv4 header's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ip4<B> {
    pub(crate) ihl: u8,
    pub(crate) tos: u8,
    pub(crate) total_len: u16,
    pub(crate) ident: u16,
    pub(crate) dont_frag: bool,
    pub(crate) more_frags: bool,
    pub(crate) frag_offset: u16,
    pub(crate) ttl: u8,
    pub(crate) proto: u8,
    pub(crate) checksum: u16,
    pub(crate) src: [u8; 4],
    pub(crate) dst: [u8; 4],
    pub(crate) options: B,
}

/// The transport header's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum L4 {
    Udp {
        sport: u16,
        dport: u16,
        len: u16,
        checksum: u16,
    },
    Tcp {
        sport: u16,
        dport: u16,
        seq: u32,
        ack: u32,
        data_offset: u8,
        /// CWR..FIN (the NS bit and the reserved bits are not read: not every peer exposes them).
        flags: u8,
        window: u16,
        checksum: u16,
        urgent: u16,
    },
    Icmp {
        ty: u8,
        code: u8,
        checksum: u16,
        rest: [u8; 4],
    },
}

impl Decoded<&[u8]> {
    /// The same values with owned byte strings, to compare across libraries.
    pub(crate) fn to_vecs(self) -> Decoded<Vec<u8>> {
        Decoded {
            eth_dst: self.eth_dst,
            eth_src: self.eth_src,
            ethertype: self.ethertype,
            vlan: self.vlan,
            ip: Ip4 {
                ihl: self.ip.ihl,
                tos: self.ip.tos,
                total_len: self.ip.total_len,
                ident: self.ip.ident,
                dont_frag: self.ip.dont_frag,
                more_frags: self.ip.more_frags,
                frag_offset: self.ip.frag_offset,
                ttl: self.ip.ttl,
                proto: self.ip.proto,
                checksum: self.ip.checksum,
                src: self.ip.src,
                dst: self.ip.dst,
                options: self.ip.options.to_vec(),
            },
            l4: self.l4,
            tcp_options: self.tcp_options.to_vec(),
            payload: self.payload.to_vec(),
        }
    }
}
