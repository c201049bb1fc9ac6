//! Real frames captured between two Linux hosts (scripts/capture-fixtures.sh): every one parses,
//! serializes back to the same bytes, and prints what os-ken prints for it.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use sdnwire_packet::arp::ArpOp;
use sdnwire_packet::icmp::{IcmpData, IcmpType};
use sdnwire_packet::tcp::{TcpFlags, TcpOption};
use sdnwire_packet::CodecError;
use sdnwire_packet::Encode;
use sdnwire_packet::{
    Arp, EtherType, Ethernet, Icmp, IpPair, Ipv4, LayerKind, MacAddr, Packet, PacketView, Tcp, Udp,
};

const H1: MacAddr = MacAddr([0, 0, 0, 0, 0, 1]);
const H2: MacAddr = MacAddr([0, 0, 0, 0, 0, 2]);

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/testdata/{name}.bin", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ryu(name: &str) -> String {
    let path = format!("{}/testdata/{name}.ryu.txt", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .trim_end()
        .to_string()
}

/// Every captured frame: parse, serialize back byte for byte, and walk without allocating.
#[test]
fn every_fixture_round_trips() {
    let dir = format!("{}/testdata", env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("bin") {
            continue;
        }
        let frame = std::fs::read(&path).unwrap();
        let pkt = Packet::parse(&frame).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(pkt.to_vec().unwrap(), frame, "{}", path.display());
        let view = PacketView::parse(&frame).unwrap();
        let kinds: Vec<LayerKind> = view.spans().map(|s| s.kind).collect();
        let owned: Vec<LayerKind> = pkt.iter().map(|l| l.kind()).collect();
        assert_eq!(kinds, owned, "{}", path.display());
        n += 1;
    }
    assert!(n >= 12, "only {n} fixtures found");
}

/// Our Display prints exactly what os-ken's `str(packet.Packet(frame))` printed for each frame.
#[test]
fn display_matches_os_ken() {
    let dir = format!("{}/testdata", env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".ryu.txt"))
        else {
            continue;
        };
        let ours = Packet::parse(&fixture(name)).unwrap().to_string();
        let theirs = ryu(name);
        if ours != theirs {
            failures.push(format!("{name}:\n  ours:   {ours}\n  os-ken: {theirs}"));
        }
        n += 1;
    }
    assert!(n >= 12, "only {n} os-ken reprs found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ping_arp_request_and_reply() {
    let req = Packet::parse(&fixture("ping_arp_request")).unwrap();
    let eth = req.get::<Ethernet>().unwrap();
    assert_eq!(
        (eth.dst, eth.src, eth.ethertype),
        (MacAddr::BROADCAST, H1, Some(EtherType::ARP))
    );
    let arp = req.get::<Arp>().unwrap();
    assert_eq!(arp.opcode, ArpOp::REQUEST);
    assert_eq!(
        (arp.src_mac, arp.src_ip, arp.dst_ip),
        (H1, [10, 0, 0, 1].into(), [10, 0, 0, 2].into())
    );

    // The reply h2 would give, built with our builder, is byte for byte what Linux sent.
    let reply = (Ethernet::new(eth.src, H2) / Arp::reply_to(arp, H2))
        .to_vec()
        .unwrap();
    assert_eq!(reply, fixture("ping_arp_reply"));
}

#[test]
fn arp_padded_to_60_bytes_keeps_padding_out_of_the_message() {
    let mut frame = fixture("ping_arp_request");
    frame.resize(60, 0);
    let pkt = Packet::parse(&frame).unwrap();
    assert_eq!(pkt.layers.len(), 2);
    assert!(pkt.payload.is_empty());
    assert_eq!(pkt.trailer, vec![0; 18]);
    assert_eq!(pkt.to_vec().unwrap(), frame);
    let built = (Ethernet::new(MacAddr::BROADCAST, H1) / pkt.get::<Arp>().unwrap().clone())
        .with_min_len(60)
        .to_vec()
        .unwrap();
    assert_eq!(built, frame);
}

#[test]
fn ping_echo_request_and_reply() {
    let frame = fixture("ping_echo_request");
    let pkt = Packet::parse(&frame).unwrap();
    let ip = pkt.get::<Ipv4>().unwrap();
    assert_eq!(
        (ip.src, ip.dst, ip.ttl, ip.total_length),
        ([10, 0, 0, 1].into(), [10, 0, 0, 2].into(), 64, Some(84))
    );
    let icmp = pkt.get::<Icmp>().unwrap();
    assert_eq!(icmp.type_, IcmpType::ECHO_REQUEST);
    let IcmpData::Echo { seq, data, .. } = &icmp.data else {
        panic!("not an echo: {icmp}")
    };
    assert_eq!((*seq, data.len()), (1, 56));

    let view = PacketView::parse(&frame).unwrap();
    view.ipv4().unwrap().verify_checksum().unwrap();
    view.icmp().unwrap().verify_checksum().unwrap();

    // The ICMP part of Linux's reply equals the reply our builder makes from the request.
    let real = Packet::parse(&fixture("ping_echo_reply")).unwrap();
    let ours = icmp.echo_reply().unwrap();
    let mut theirs = real.get::<Icmp>().unwrap().clone();
    theirs.csum = None;
    assert_eq!(ours, theirs);

    // A whole reply as the Ryu book's ICMP responder builds it: valid checksums everywhere.
    let mut reply_ip = ip.reply();
    reply_ip.identification = real.get::<Ipv4>().unwrap().identification;
    let reply = (Ethernet::new(H1, H2) / reply_ip / ours).to_vec().unwrap();
    assert_eq!(reply, fixture("ping_echo_reply"));
}

#[test]
fn tcp_handshake_options_and_checksums() {
    let frame = fixture("tcp_syn");
    let pkt = Packet::parse(&frame).unwrap();
    let tcp = pkt.get::<Tcp>().unwrap();
    assert!(tcp.has_flags(TcpFlags::SYN) && !tcp.has_flags(TcpFlags::ACK));
    assert_eq!(tcp.dst_port, 8080);
    let options = tcp.option_list();
    assert_eq!(options.first(), Some(&TcpOption::MaximumSegmentSize(1460)));
    assert!(options.contains(&TcpOption::SackPermitted));
    assert!(options.contains(&TcpOption::WindowScale(10)));
    // The zero-allocation iterator gives the same options.
    let decoded: Vec<TcpOption> = tcp.option_iter().map(|o| o.unwrap().decode()).collect();
    assert_eq!(decoded, options);
    let view = PacketView::parse(&frame).unwrap();
    let ip = view.ipv4().unwrap();
    let pair = IpPair::V4(ip.src(), ip.dst());
    view.tcp().unwrap().verify_checksum(&pair).unwrap();

    let data = Packet::parse(&fixture("tcp_data")).unwrap();
    assert_eq!(data.payload, b"hello");
    assert!(data
        .get::<Tcp>()
        .unwrap()
        .has_flags(TcpFlags::PSH | TcpFlags::ACK));

    // Rebuilt with every computed field left unset, the segment comes out the same.
    let mut t = tcp.clone();
    t.csum = None;
    t.offset = None;
    let mut i = pkt.get::<Ipv4>().unwrap().clone();
    (i.csum, i.total_length, i.header_length, i.proto) = (None, None, None, None);
    let mut e = pkt.get::<Ethernet>().unwrap().clone();
    e.ethertype = None;
    assert_eq!((e / i / t).to_vec().unwrap(), frame);
}

#[test]
fn udp_checksum_and_rebuild() {
    let frame = fixture("udp_request");
    let view = PacketView::parse(&frame).unwrap();
    let ip = view.ipv4().unwrap();
    let udp = view.udp().unwrap();
    udp.verify_checksum(&IpPair::V4(ip.src(), ip.dst()))
        .unwrap();
    assert_eq!(
        (udp.dst_port(), udp.payload()),
        (5353, &b"\x12\x34query"[..])
    );

    let pkt = Packet::parse(&frame).unwrap();
    let mut u = pkt.get::<Udp>().unwrap().clone();
    (u.csum, u.total_length) = (None, None);
    let mut i = pkt.get::<Ipv4>().unwrap().clone();
    (i.csum, i.total_length) = (None, None);
    let rebuilt =
        (pkt.get::<Ethernet>().unwrap().clone() / i / u).with_payload(pkt.payload.clone());
    assert_eq!(rebuilt.to_vec().unwrap(), frame);
}

#[test]
fn in_place_rewrite_keeps_checksums_right() {
    let mut frame = fixture("udp_request");
    {
        let ip_start = 14;
        let mut ip = sdnwire_packet::ipv4::Ipv4View::parse(&mut frame[ip_start..]).unwrap();
        ip.set_dst([192, 0, 2, 99].into());
        ip.set_src([198, 51, 100, 7].into());
        assert_eq!(ip.decrement_ttl(), 63);
        ip.set_tos(0xb8);
    }
    {
        let mut udp = sdnwire_packet::udp::UdpView::parse(&mut frame[34..]).unwrap();
        udp.set_dst_port(53);
    }
    let view = PacketView::parse(&frame).unwrap();
    let ip = view.ipv4().unwrap();
    ip.verify_checksum().unwrap();
    assert_eq!(
        (ip.src(), ip.dst(), ip.ttl(), ip.dscp()),
        ([198, 51, 100, 7].into(), [192, 0, 2, 99].into(), 63, 46)
    );
    view.udp()
        .unwrap()
        .verify_checksum(&IpPair::V4(ip.src(), ip.dst()))
        .unwrap();
    assert_eq!(view.udp().unwrap().dst_port(), 53);

    let mut frame = fixture("tcp_data");
    {
        let mut ip = sdnwire_packet::ipv4::Ipv4View::parse(&mut frame[14..]).unwrap();
        ip.set_dst([10, 9, 9, 9].into());
        let mut tcp = sdnwire_packet::tcp::TcpView::parse(ip.payload_mut()).unwrap();
        tcp.set_src_port(1234);
        tcp.set_window(4096);
    }
    let view = PacketView::parse(&frame).unwrap();
    let ip = view.ipv4().unwrap();
    ip.verify_checksum().unwrap();
    view.tcp()
        .unwrap()
        .verify_checksum(&IpPair::V4(ip.src(), ip.dst()))
        .unwrap();
}

#[test]
fn errors_say_layer_and_offset() {
    let frame = fixture("ping_echo_request");
    // total_length larger than the frame.
    let mut bad = frame.clone();
    bad[16] = 0x05;
    let e = Packet::parse(&bad).unwrap_err();
    assert_eq!((e.layer(), e.offset()), (LayerKind::Ipv4, Some(16)));
    assert!(e.to_string().contains("total_length"), "{e}");
    // IHL below 5.
    let mut bad = frame.clone();
    bad[14] = 0x44;
    let e = Packet::parse(&bad).unwrap_err();
    assert_eq!((e.layer(), e.offset()), (LayerKind::Ipv4, Some(14)));
    // Truncated inside the ICMP header.
    let cut = &frame[..14 + 20 + 4];
    let mut cut = cut.to_vec();
    cut[16..18].copy_from_slice(&24u16.to_be_bytes());
    let e = Packet::parse(&cut).unwrap_err();
    assert_eq!((e.layer(), e.offset()), (LayerKind::Icmp, Some(34)));
    // The lenient parse keeps what it understood and the rest as payload.
    let (pkt, err) = Packet::parse_partial(&cut);
    assert!(err.is_some());
    assert_eq!(pkt.layers.len(), 2);
    assert_eq!(pkt.payload, &cut[34..]);
    assert_eq!(pkt.to_vec().unwrap(), cut);
}

#[test]
fn qinq_stack_builds_and_parses() {
    use sdnwire_packet::Vlan;
    let frame = (Ethernet::new(H2, H1)
        / Vlan::new(100)
        / Vlan::new(200)
        / Ipv4::new([10, 0, 0, 1].into(), [10, 0, 0, 2].into())
        / Udp::new(1, 2))
    .with_payload(vec![0xab; 3])
    .with_min_len(60)
    .to_vec()
    .unwrap();
    assert_eq!(frame.len(), 60);
    assert_eq!(&frame[12..14], &[0x88, 0xa8]);
    assert_eq!(&frame[16..18], &[0x81, 0x00]);
    let pkt = Packet::parse(&frame).unwrap();
    let vids: Vec<u16> = pkt.get_all::<Vlan>().map(|v| v.vid).collect();
    assert_eq!(vids, [100, 200]);
    assert_eq!(pkt.payload, [0xab; 3]);
    assert_eq!(pkt.trailer.len(), 60 - (14 + 8 + 20 + 8 + 3));
    let view = PacketView::parse(&frame).unwrap();
    assert_eq!(view.vlan().unwrap().vid(), 100);
    assert_eq!(view.udp().unwrap().dst_port(), 2);
}

#[test]
fn ip_in_ip_tunnels_decode_the_inner_header() {
    use sdnwire_packet::Ipv6;
    let inner = Ipv4::new([192, 168, 0, 1].into(), [192, 168, 0, 2].into());
    let frame = (Ethernet::new(H2, H1)
        / Ipv4::new([10, 0, 0, 1].into(), [10, 0, 0, 2].into())
        / inner
        / Udp::new(7, 9))
    .to_vec()
    .unwrap();
    assert_eq!(frame[14 + 9], 4);
    let pkt = Packet::parse(&frame).unwrap();
    assert_eq!(pkt.get_all::<Ipv4>().count(), 2);
    assert_eq!(pkt.get::<Udp>().unwrap().dst_port, 9);

    let six = Ipv6::new("fd00::1".parse().unwrap(), "fd00::2".parse().unwrap());
    let frame = (Ethernet::new(H2, H1)
        / Ipv4::new([10, 0, 0, 1].into(), [10, 0, 0, 2].into())
        / six
        / Udp::new(7, 9))
    .to_vec()
    .unwrap();
    assert_eq!(frame[14 + 9], 41);
    let pkt = Packet::parse(&frame).unwrap();
    assert!(pkt.get::<Ipv6>().is_some());
    let view = PacketView::parse(&frame).unwrap();
    let ip6 = view.ipv6().unwrap();
    let udp = view.udp().unwrap();
    udp.verify_checksum(&IpPair::V6(ip6.src(), ip6.dst()))
        .unwrap();
}
