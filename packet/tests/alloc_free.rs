//! `Packet::parse` allocates nothing for the frames most traffic is made of: up to
//! `Layers::INLINE` (8) layers, IPv4 and TCP options up to their 40-byte maximum, a payload and
//! a trailer up to `SmallBytes::INLINE` (62) bytes. Nor do `PacketView::parse`, its `decode`,
//! reading the layers, or encoding the parsed packet back into a caller's buffer.
//!
//! A counting global allocator (the `allocation-counter` dev-dependency: it counts the
//! allocations of the current thread, so tests running in parallel do not disturb it) watches
//! the benchmark frames (captured from Linux: UDP, a TCP SYN with options, TCP data, the SYN
//! behind an 802.1Q tag, an ICMP echo request of `ping`) and a built 8-layer frame with 40
//! bytes of IPv4 options and 40 of TCP options (SACK blocks included). The workspace forbids
//! unsafe code, so the counting allocator comes from a crate.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::hint::black_box;

use sdnwire_packet::tcp::{TcpFlags, TcpOption};
use sdnwire_packet::{
    Arp, Encode, EtherType, Ethernet, Ipv4, Layer, Layers, MacAddr, Packet, PacketView, Tcp, Udp,
    Vlan,
};

const UDP_REQUEST: &[u8] = include_bytes!("../testdata/udp_request.bin");
const TCP_SYN: &[u8] = include_bytes!("../testdata/tcp_syn.bin");
const TCP_DATA: &[u8] = include_bytes!("../testdata/tcp_data.bin");
const PING_ECHO_REQUEST: &[u8] = include_bytes!("../testdata/ping_echo_request.bin");

/// The SYN behind an 802.1Q tag (the benchmarks' `eth_vlan_ipv4_tcp`).
fn vlan_tcp_syn() -> Vec<u8> {
    let mut f = TCP_SYN[..12].to_vec();
    f.extend_from_slice(&[0x81, 0x00, 0x60, 0x64]);
    f.extend_from_slice(&TCP_SYN[12..]);
    f
}

fn eth() -> Ethernet {
    Ethernet::new(
        MacAddr::new(2, 0, 0, 0, 0, 2),
        MacAddr::new(2, 0, 0, 0, 0, 1),
    )
}

fn v4(a: u8, b: u8) -> Ipv4 {
    Ipv4::new([10, 0, 0, a].into(), [10, 0, 0, b].into())
}

/// Ethernet / S-tag / C-tag / IPv4 with 40 bytes of options / IP in IP three times / TCP with
/// 40 bytes of options (MSS, SACK permitted, timestamps, window scale, two SACK blocks), and
/// 20 bytes of data: 8 layers.
fn eight_layers() -> Vec<u8> {
    let mut outer = v4(1, 2);
    outer.option = [1u8; 40].into();
    let tcp = Tcp::new(1, 2, TcpFlags::ACK)
        .with_options(&[
            TcpOption::MaximumSegmentSize(1460),
            TcpOption::SackPermitted,
            TcpOption::Timestamps {
                ts_val: 1,
                ts_ecr: 2,
            },
            TcpOption::NoOperation,
            TcpOption::WindowScale(7),
            TcpOption::Sack(vec![(1, 2), (3, 4)]),
            TcpOption::NoOperation,
            TcpOption::NoOperation,
        ])
        .unwrap();
    assert_eq!(tcp.option.len(), 40);
    (eth()
        / Vlan::new(100).with_tpid(EtherType::QINQ)
        / Vlan::new(200)
        / outer
        / v4(3, 4)
        / v4(5, 6)
        / v4(7, 8)
        / tcp)
        .with_payload(&[0x42u8; 20][..])
        .to_vec()
        .unwrap()
}

/// An ARP request padded to 60 bytes: an 18-byte trailer.
fn padded_arp() -> Vec<u8> {
    let me = MacAddr::new(2, 0, 0, 0, 0, 1);
    (Ethernet::new(MacAddr::BROADCAST, me)
        / Arp::request(me, [10, 0, 0, 1].into(), [10, 0, 0, 2].into()))
    .with_min_len(Packet::ETHERNET_MIN_LEN)
    .to_vec()
    .unwrap()
}

/// Parses, reads every layer, encodes back into `out`; returns what it read.
fn use_packet(frame: &[u8], out: &mut [u8]) -> (usize, usize, usize) {
    let p = Packet::parse(black_box(frame)).unwrap();
    let mut n = 0;
    for l in &p {
        n += l.header_len();
        black_box(l);
    }
    if let Some(t) = p.get::<Tcp>() {
        for o in t.option_iter() {
            black_box(o.unwrap());
        }
    }
    let len = p.encode(out).unwrap();
    assert_eq!(&out[..len], frame);
    (p.layers.len(), n, p.payload.len() + p.trailer.len())
}

#[test]
fn packet_parse_of_common_frames_allocates_nothing() {
    let frames = [
        UDP_REQUEST.to_vec(),
        TCP_SYN.to_vec(),
        TCP_DATA.to_vec(),
        vlan_tcp_syn(),
        PING_ECHO_REQUEST.to_vec(),
        eight_layers(),
        padded_arp(),
    ];
    let mut out = [0u8; 2048];
    let mut seen = Vec::with_capacity(frames.len());
    let info = allocation_counter::measure(|| {
        for f in &frames {
            seen.push(use_packet(f, &mut out));
            // The view, and the packet it decodes to.
            let v = PacketView::parse(black_box(f)).unwrap();
            let d = v.decode();
            black_box(&d);
            black_box(v.tcp().map(|t| t.option_iter().count()));
        }
    });
    assert_eq!(info.count_total, 0, "{info:?}");
    // What was read: every layer of every frame.
    let layers: Vec<usize> = seen.iter().map(|s| s.0).collect();
    assert_eq!(layers, [3, 3, 3, 4, 3, 8, 2]);
    let eight = Packet::parse(&frames[5]).unwrap();
    assert!(eight.layers.is_inline());
    assert_eq!(eight.get::<Ipv4>().unwrap().option, [1u8; 40]);
    assert_eq!(eight.get::<Tcp>().unwrap().option.len(), 40);
    assert_eq!(eight.get::<Tcp>().unwrap().option_list().len(), 8);
    assert_eq!(seen[6].2, 18);
    assert_eq!(eight, PacketView::parse(&frames[5]).unwrap().decode());
}

/// `Packet::parse_into` into a packet reused from frame to frame allocates nothing either,
/// and keeps a heap payload's buffer for the frames after it.
#[test]
fn packet_parse_into_a_reused_packet_allocates_nothing() {
    let frames = [
        UDP_REQUEST.to_vec(),
        TCP_SYN.to_vec(),
        TCP_DATA.to_vec(),
        vlan_tcp_syn(),
        PING_ECHO_REQUEST.to_vec(),
        eight_layers(),
        padded_arp(),
    ];
    let big = (eth() / v4(1, 2) / Udp::new(1, 2))
        .with_payload(vec![7u8; 100])
        .to_vec()
        .unwrap();
    let mut p = Packet::new();
    let mut layers = Vec::with_capacity(2 * frames.len());
    let first = allocation_counter::measure(|| {
        for f in &frames {
            p.parse_into(black_box(f)).unwrap();
            layers.push(p.layers.len());
        }
    });
    assert_eq!(first.count_total, 0, "{first:?}");
    assert_eq!(layers, [3, 3, 3, 4, 3, 8, 2]);
    // The 100-byte payload goes to the heap once; the frames after it reuse the buffer.
    let info = allocation_counter::measure(|| {
        p.parse_into(black_box(&big)).unwrap();
        for f in &frames {
            p.parse_into(black_box(f)).unwrap();
        }
    });
    assert_eq!(info.count_total, 1, "{info:?}");
    assert_eq!(p, Packet::parse(&frames[6]).unwrap());
}

/// The counter does count: past the inline room, the layers and the payload move to the heap.
#[test]
fn past_the_inline_room_the_heap_is_used() {
    let mut p = Packet::new().push(eth());
    for vid in 1..=8 {
        p = p.push(Vlan::new(vid));
    }
    let nine = p.push(v4(1, 2)).push(Udp::new(1, 2)).to_vec().unwrap();
    let big = (eth() / v4(1, 2) / Udp::new(1, 2))
        .with_payload(vec![7u8; 100])
        .to_vec()
        .unwrap();
    for (f, layers_inline, payload_inline) in [(&nine, false, true), (&big, true, false)] {
        let mut parsed = None;
        let info = allocation_counter::measure(|| {
            parsed = Some(Packet::parse(black_box(f)).unwrap());
        });
        let p = parsed.unwrap();
        assert_eq!(
            (p.layers.is_inline(), p.payload.is_inline()),
            (layers_inline, payload_inline)
        );
        assert_eq!(info.count_total, 1, "{info:?}");
        assert_eq!(p.to_vec().unwrap(), *f);
    }
    // A list built layer by layer spills the same way, and keeps its order.
    let l: Layers = (0..9).map(|i| Layer::from(Udp::new(i, 0))).collect();
    assert!(!l.is_inline());
    assert_eq!(l[8].get::<Udp>().unwrap().src_port, 8);
}

/// Eight layers sit inline in every `Packet`, and a parsed packet is moved by value: a
/// `Layer` is as large as its largest variant, so the large, rare ones are boxed (LACP,
/// marker) and the common ones keep it at 104 bytes on 64-bit targets.
#[cfg(target_pointer_width = "64")]
#[test]
fn a_layer_stays_small() {
    assert!(
        core::mem::size_of::<Layer>() <= 104,
        "{}",
        core::mem::size_of::<Layer>()
    );
    assert!(
        core::mem::size_of::<Packet>() <= 976,
        "{}",
        core::mem::size_of::<Packet>()
    );
}

/// Taking the layers out of a parsed packet by value (`for l in packet.layers`) moves them
/// out where they are: no allocation, as a `Vec`'s `into_iter` makes none; front and back.
#[test]
fn consuming_the_layers_allocates_nothing() {
    let frame = eight_layers();
    let mut kinds = Vec::with_capacity(16);
    let info = allocation_counter::measure(|| {
        let p = Packet::parse(black_box(&frame)).unwrap();
        let mut it = p.layers.into_iter();
        assert_eq!(it.len(), 8);
        let last = it.next_back().unwrap();
        for l in it.by_ref() {
            kinds.push(l.kind());
        }
        kinds.push(last.kind());
        assert!(it.next().is_none());
    });
    assert_eq!(info.count_total, 0, "{info:?}");
    let expected: Vec<_> = Packet::parse(&frame)
        .unwrap()
        .layers
        .iter()
        .map(Layer::kind)
        .collect();
    assert_eq!(kinds, expected);
}

/// Dropping the layers frees what they own: the common layers that own no heap memory are
/// dropped without their drop glue, and one layer that owns some sends the whole list the
/// ordinary way: IPv4, TCP or ICMP echo bytes past the inline room (or a heap buffer emptied,
/// which is still allocated), ARP addresses of other sizes, an ICMP error quoting a datagram on
/// the heap, IPv6 extension headers, ICMPv6, an IGMPv3 query's sources, a boxed LACPDU or
/// marker PDU, LLDP TLVs. Nothing is left allocated after a packet is dropped, truncated,
/// cleared or decoded into again, nor after its layers are popped, removed, moved into a
/// vector or partly iterated.
#[test]
fn dropping_layers_frees_what_they_own() {
    use core::net::Ipv6Addr;
    use core::time::Duration;
    use sdnwire_packet::arp::ArpRawAddrs;
    use sdnwire_packet::ipv6::Ipv6ExtHeader;
    use sdnwire_packet::{Icmp, Icmpv6, Igmp, Ipv6, Lacp, Lldp, Marker};
    let heavy: Vec<fn() -> Layer> = vec![
        || {
            let mut ip = v4(1, 2);
            ip.option = vec![1u8; 100].into();
            ip.into()
        },
        || {
            let mut tcp = Tcp::new(1, 2, TcpFlags::ACK);
            tcp.option = vec![1u8; 100].into();
            tcp.into()
        },
        || Icmp::echo_request(1, 2, vec![7u8; 100]).into(),
        || {
            let mut arp = Arp::request(MacAddr::BROADCAST, [10, 0, 0, 1].into(), [0; 4].into());
            arp.raw_addrs = Some(Box::new(ArpRawAddrs {
                sha: vec![1; 8],
                spa: vec![2; 4],
                tha: vec![3; 8],
                tpa: vec![4; 4],
            }));
            arp.into()
        },
        || Lacp::default().into(),
        || {
            let mut ip = v4(1, 2);
            ip.option = vec![1u8; 100].into();
            ip.option.clear();
            assert!(ip.option.is_empty() && !ip.option.is_inline());
            ip.into()
        },
        || Icmp::dest_unreachable(3, 0, vec![7u8; 100]).into(),
        || {
            let a = Ipv6Addr::LOCALHOST;
            Ipv6::new(a, a)
                .with_ext_header(Ipv6ExtHeader::router_alert(0))
                .into()
        },
        || Icmpv6::echo_request(1, 2, vec![7u8; 8]).into(),
        || {
            Igmp::v3_query(
                [0; 4].into(),
                vec![[10, 0, 0, 1].into()],
                Duration::from_secs(1),
            )
            .into()
        },
        || Marker::default().into(),
        || Lldp::new(MacAddr::BROADCAST, "eth0", 120).into(),
    ];
    for (i, make) in heavy.iter().enumerate() {
        let info = allocation_counter::measure(|| {
            let p = Packet::new()
                .push(eth())
                .push(make())
                .push(Udp::new(1, 2))
                .push(make());
            assert!(p.layers.is_inline());
            drop(black_box(p));
            let mut l = Layers::new();
            l.push(make());
            l.push(eth().into());
            l.truncate(0);
            assert!(l.is_empty());
            let mut reused = Packet::new().push(make()).push(Udp::new(1, 2));
            reused.parse_into(black_box(TCP_SYN)).unwrap();
            drop(black_box(reused));
            let mut p = Packet::new().push(eth()).push(make()).push(make());
            p.layers.clear();
            let mut l: Layers = [eth().into(), make(), make(), make()].into_iter().collect();
            drop(black_box(l.pop()));
            drop(black_box(l.remove(1)));
            drop(black_box(l.clone().into_vec()));
            let mut it = l.into_iter();
            drop(black_box(it.next()));
            drop(black_box(it));
        });
        assert!(info.count_total > 0, "{i}: {info:?}");
        assert_eq!(info.count_current, 0, "{i}: {info:?}");
    }
    // The plain layers alone: nothing allocated, nothing left.
    let info = allocation_counter::measure(|| {
        let mut p = Packet::parse(black_box(TCP_SYN)).unwrap();
        p.layers.truncate(0);
        drop(black_box(
            Packet::parse(black_box(PING_ECHO_REQUEST)).unwrap(),
        ));
    });
    assert_eq!((info.count_total, info.count_current), (0, 0), "{info:?}");
}
