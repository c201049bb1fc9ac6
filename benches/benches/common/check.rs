//! Every implementation must compute the same thing before its time means anything: these checks
//! run before the benchmarks (benches/peers.rs) and as a test (tests/agree.rs). They panic with
//! the library's name on the first disagreement.

use super::decode::{self, SmoltcpL4};
use super::{five_tuple, reply, Decoded, FiveTuple, Ip4, L4};
use sdnwire_packet::Encode;

/// Runs every check.
pub(crate) fn all() {
    five_tuples();
    decodes();
    replies();
}

const CLIENT: [u8; 4] = [10, 0, 0, 1];
const SERVER: [u8; 4] = [10, 0, 0, 2];

/// The flow keys, known from the captures' os-ken reprs (packet/testdata/*.ryu.txt).
pub(crate) fn five_tuples() {
    let expect = [
        (
            "eth_ipv4_udp",
            FiveTuple {
                src: CLIENT,
                dst: SERVER,
                proto: 17,
                sport: 45508,
                dport: 5353,
            },
        ),
        (
            "eth_vlan_ipv4_tcp",
            FiveTuple {
                src: CLIENT,
                dst: SERVER,
                proto: 6,
                sport: 57424,
                dport: 8080,
            },
        ),
    ];
    let frames = super::five_tuple_frames();
    assert_eq!(frames.len(), expect.len());
    for (frame, (name, want)) in frames.iter().zip(expect) {
        assert_eq!(frame.name, name);
        for (lib, f) in five_tuple::ALL {
            assert_eq!(f(&frame.bytes), Some(want), "five_tuple/{name}: {lib}");
        }
    }
}

/// Every decoder agrees with our view field by field; the view agrees with facts from the
/// captures' os-ken reprs; our owned `Packet` serializes back to the frame.
pub(crate) fn decodes() {
    for frame in super::decode_frames() {
        let name = frame.name;
        let f = &frame.bytes[..];
        let reference = decode::ours_view(f, owned).unwrap_or_else(|| panic!("{name}: ours_view"));
        facts(name, &reference);
        let views: [(&str, Option<Decoded<Vec<u8>>>); 4] = [
            (
                "handwritten_view",
                super::handwritten::view_decode(f, owned),
            ),
            ("etherparse_sliced", decode::etherparse_sliced(f, owned)),
            ("pdu", decode::pdu(f, owned)),
            ("pnet", decode::pnet(f, owned)),
        ];
        for (lib, got) in views {
            assert_eq!(got.as_ref(), Some(&reference), "full_decode/{name}: {lib}");
        }
        let headers =
            decode::etherparse_headers(f).unwrap_or_else(|| panic!("{name}: etherparse_headers"));
        assert_eq!(
            from_etherparse(&headers),
            reference,
            "full_decode/{name}: etherparse_headers"
        );
        let pkt = decode::ours_packet(f).unwrap_or_else(|e| panic!("{name}: ours_packet: {e}"));
        // The hand-written owned floor: the same packet, and on every one-byte change and every
        // truncation of the frame the same value or error as `Packet::parse`.
        assert_eq!(
            decode::handwritten_owned(f).as_ref(),
            Ok(&pkt),
            "full_decode/{name}: handwritten_owned"
        );
        let mut m = f.to_vec();
        for i in 0..m.len() {
            let was = m[i];
            for v in 0..=255u8 {
                m[i] = v;
                assert_eq!(
                    decode::handwritten_owned(&m),
                    sdnwire_packet::Packet::parse(&m),
                    "full_decode/{name}: handwritten_owned, byte {i} = {v:#04x}"
                );
            }
            m[i] = was;
        }
        for cut in 0..f.len() {
            assert_eq!(
                decode::handwritten_owned(&f[..cut]),
                sdnwire_packet::Packet::parse(&f[..cut]),
                "full_decode/{name}: handwritten_owned, cut at {cut}"
            );
        }
        // Into a packet that held another frame (and the same frame again): the same packet.
        let mut reused = sdnwire_packet::Packet::parse(super::PING_ECHO_REQUEST)
            .unwrap_or_else(|e| panic!("ping: {e}"));
        for _ in 0..2 {
            decode::ours_packet_into(f, &mut reused)
                .unwrap_or_else(|e| panic!("{name}: ours_packet_into: {e}"));
            assert_eq!(reused, pkt, "full_decode/{name}: ours_packet_into");
        }
        assert_eq!(
            from_packet(&pkt, &reference),
            reference,
            "full_decode/{name}: ours_packet"
        );
        assert_eq!(
            pkt.to_vec().ok().as_deref(),
            Some(f),
            "full_decode/{name}: ours_packet round trip"
        );
        let s = decode::smoltcp(f).unwrap_or_else(|| panic!("{name}: smoltcp"));
        smoltcp_agrees(name, &s, &reference);
    }
}

fn facts(name: &str, d: &Decoded<Vec<u8>>) {
    assert_eq!(
        (d.eth_src, d.eth_dst),
        ([0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 2]),
        "{name}"
    );
    assert_eq!(
        (d.ip.src, d.ip.dst, d.ip.ttl, d.ip.ihl),
        (CLIENT, SERVER, 64, 5),
        "{name}"
    );
    let tagged = name.contains("vlan");
    assert_eq!(d.ethertype, if tagged { 0x8100 } else { 0x0800 }, "{name}");
    assert_eq!(
        d.vlan,
        tagged.then_some((super::VLAN_TCI, 0x0800)),
        "{name}"
    );
    match (name, d.l4) {
        (
            "eth_ipv4_udp",
            L4::Udp {
                sport: 45508,
                dport: 5353,
                len: 15,
                checksum: 49923,
            },
        ) => {
            assert_eq!(d.payload, b"\x124query");
        }
        (
            "eth_ipv4_tcp_syn" | "eth_vlan_ipv4_tcp",
            L4::Tcp {
                seq: 2229560959,
                flags: 0x02,
                data_offset: 10,
                ..
            },
        ) => {
            assert_eq!(d.tcp_options.len(), 20, "{name}");
            assert!(d.payload.is_empty(), "{name}");
        }
        (
            "eth_ipv4_tcp_data",
            L4::Tcp {
                ack: 1628277916,
                flags: 0x18,
                window: 63,
                checksum: 4060,
                ..
            },
        ) => {
            assert_eq!(d.payload, b"hello");
        }
        (
            "eth_ipv4_icmp_echo",
            L4::Icmp {
                ty: 8,
                code: 0,
                checksum: 10857,
                rest: [0x1b, 0xa7, 0, 1],
            },
        ) => {
            assert_eq!(d.payload.len(), 56);
        }
        _ => panic!("{name}: unexpected transport {:?}", d.l4),
    }
}

fn from_etherparse(p: &etherparse::PacketHeaders<'_>) -> Decoded<Vec<u8>> {
    use etherparse::{LinkExtHeader, NetHeaders, TransportHeader};
    let eth = p
        .link
        .clone()
        .and_then(|l| l.ethernet2())
        .expect("ethernet");
    let vlan = p.link_exts.first().map(|e| match e {
        LinkExtHeader::Vlan(v) => {
            let tci = (u16::from(v.pcp.value()) << 13)
                | (u16::from(v.drop_eligible_indicator) << 12)
                | v.vlan_id.value();
            (tci, v.ether_type.0)
        }
        LinkExtHeader::Macsec(_) => panic!("macsec"),
    });
    let Some(NetHeaders::Ipv4(h, _)) = &p.net else {
        panic!("not IPv4")
    };
    let mut tcp_options = Vec::new();
    let l4 = match p.transport.as_ref().expect("transport") {
        TransportHeader::Udp(u) => L4::Udp {
            sport: u.source_port,
            dport: u.destination_port,
            len: u.length,
            checksum: u.checksum,
        },
        TransportHeader::Tcp(t) => {
            tcp_options = t.options.as_slice().to_vec();
            let bits = [t.cwr, t.ece, t.urg, t.ack, t.psh, t.rst, t.syn, t.fin];
            L4::Tcp {
                sport: t.source_port,
                dport: t.destination_port,
                seq: t.sequence_number,
                ack: t.acknowledgment_number,
                data_offset: t.data_offset(),
                flags: bits.iter().fold(0, |acc, b| (acc << 1) | u8::from(*b)),
                window: t.window_size,
                checksum: t.checksum,
                urgent: t.urgent_pointer,
            }
        }
        TransportHeader::Icmpv4(i) => {
            let b = i.to_bytes();
            L4::Icmp {
                ty: b[0],
                code: b[1],
                checksum: i.checksum,
                rest: [b[4], b[5], b[6], b[7]],
            }
        }
        other => panic!("transport {other:?}"),
    };
    Decoded {
        eth_dst: eth.destination,
        eth_src: eth.source,
        ethertype: eth.ether_type.0,
        vlan,
        ip: Ip4 {
            ihl: h.ihl(),
            tos: (h.dscp.value() << 2) | h.ecn.value(),
            total_len: h.total_len,
            ident: h.identification,
            dont_frag: h.dont_fragment,
            more_frags: h.more_fragments,
            frag_offset: h.fragment_offset.value(),
            ttl: h.time_to_live,
            proto: h.protocol.0,
            checksum: h.header_checksum,
            src: h.source,
            dst: h.destination,
            options: h.options.as_slice().to_vec(),
        },
        l4,
        tcp_options,
        payload: p.payload.slice().to_vec(),
    }
}

/// Our owned layers as [`Decoded`]. TCP options are kept raw: the bytes are compared with the
/// reference's, and the options Ryu lists (`option_list`) with `TcpOption::parse_all` of them.
fn from_packet(pkt: &sdnwire_packet::Packet, reference: &Decoded<Vec<u8>>) -> Decoded<Vec<u8>> {
    use sdnwire_packet::icmp::IcmpData;
    use sdnwire_packet::ipv4::{FLAG_DF, FLAG_MF};
    use sdnwire_packet::tcp::TcpOption;
    use sdnwire_packet::{Ethernet, Icmp, Ipv4, Tcp, Udp, Vlan};
    let eth = pkt.get::<Ethernet>().expect("ethernet");
    let ip = pkt.get::<Ipv4>().expect("ipv4");
    let mut payload = pkt.payload.to_vec();
    let mut tcp_options = Vec::new();
    let l4 = if let Some(u) = pkt.get::<Udp>() {
        L4::Udp {
            sport: u.src_port,
            dport: u.dst_port,
            len: u.total_length.expect("parsed"),
            checksum: u.csum.expect("parsed"),
        }
    } else if let Some(t) = pkt.get::<Tcp>() {
        assert_eq!(
            t.option_list(),
            TcpOption::parse_all(&reference.tcp_options),
            "ours_packet: TCP options"
        );
        tcp_options = t.option.to_vec();
        L4::Tcp {
            sport: t.src_port,
            dport: t.dst_port,
            seq: t.seq,
            ack: t.ack,
            data_offset: t.offset.expect("parsed"),
            flags: t.bits.0.to_be_bytes()[1],
            window: t.window_size,
            checksum: t.csum.expect("parsed"),
            urgent: t.urgent,
        }
    } else if let Some(i) = pkt.get::<Icmp>() {
        let IcmpData::Echo { id, seq, data } = &i.data else {
            panic!("not an echo")
        };
        payload = data.to_vec();
        let ([a, b], [c, d]) = (id.to_be_bytes(), seq.to_be_bytes());
        L4::Icmp {
            ty: i.type_.0,
            code: i.code,
            checksum: i.csum.expect("parsed"),
            rest: [a, b, c, d],
        }
    } else {
        panic!("no transport layer")
    };
    Decoded {
        eth_dst: eth.dst.0,
        eth_src: eth.src.0,
        ethertype: eth.ethertype.expect("parsed").0,
        vlan: pkt
            .get::<Vlan>()
            .map(|v| (v.tci(), v.ethertype.expect("parsed").0)),
        ip: Ip4 {
            ihl: ip.header_length.expect("parsed"),
            tos: ip.tos,
            total_len: ip.total_length.expect("parsed"),
            ident: ip.identification,
            dont_frag: ip.flags & FLAG_DF != 0,
            more_frags: ip.flags & FLAG_MF != 0,
            frag_offset: ip.offset,
            ttl: ip.ttl,
            proto: ip.proto.expect("parsed").0,
            checksum: ip.csum.expect("parsed"),
            src: ip.src.octets(),
            dst: ip.dst.octets(),
            options: ip.option.to_vec(),
        },
        l4,
        tcp_options,
        payload,
    }
}

/// smoltcp's `Repr`s keep fewer fields (no identification, flags or checksums; TCP options only
/// as the ones it knows): compare what they keep.
fn smoltcp_agrees(name: &str, s: &decode::SmoltcpDecoded<'_>, r: &Decoded<Vec<u8>>) {
    assert_eq!(
        (s.eth.src_addr.0, s.eth.dst_addr.0),
        (r.eth_src, r.eth_dst),
        "{name}: smoltcp"
    );
    assert_eq!(s.vlan_tci, r.vlan.map(|v| v.0), "{name}: smoltcp");
    assert_eq!(
        (s.ip.src_addr.octets(), s.ip.dst_addr.octets()),
        (r.ip.src, r.ip.dst),
        "{name}: smoltcp"
    );
    assert_eq!(
        (u8::from(s.ip.next_header), s.ip.hop_limit),
        (r.ip.proto, r.ip.ttl),
        "{name}: smoltcp"
    );
    assert_eq!(
        s.ip.payload_len,
        usize::from(r.ip.total_len) - usize::from(r.ip.ihl) * 4,
        "{name}: smoltcp"
    );
    match (s.l4, r.l4) {
        (SmoltcpL4::Udp(u, payload), L4::Udp { sport, dport, .. }) => {
            assert_eq!(
                (u.src_port, u.dst_port, payload),
                (sport, dport, &r.payload[..]),
                "{name}: smoltcp"
            );
        }
        (
            SmoltcpL4::Tcp(t),
            L4::Tcp {
                sport,
                dport,
                seq,
                window,
                ..
            },
        ) => {
            assert_eq!(
                (t.src_port, t.dst_port, t.window_len),
                (sport, dport, window),
                "{name}: smoltcp"
            );
            assert_eq!(
                t.seq_number.0.to_be_bytes(),
                seq.to_be_bytes(),
                "{name}: smoltcp"
            );
            assert_eq!(t.payload, &r.payload[..], "{name}: smoltcp");
        }
        (
            SmoltcpL4::Icmp(smoltcp::wire::Icmpv4Repr::EchoRequest {
                ident,
                seq_no,
                data,
            }),
            L4::Icmp { rest, .. },
        ) => {
            let ([a, b], [c, d]) = (ident.to_be_bytes(), seq_no.to_be_bytes());
            assert_eq!(
                ([a, b, c, d], data),
                (rest, &r.payload[..]),
                "{name}: smoltcp"
            );
        }
        (got, want) => panic!("{name}: smoltcp decoded {got:?}, expected {want:?}"),
    }
}

/// Every implementation writes the same reply, whose ICMP message is the one Linux sent back
/// (packet/testdata/ping_echo_reply.bin), with the addresses of Linux's reply and valid
/// checksums. Each runs twice on a dirty buffer, as in the benchmark.
pub(crate) fn replies() {
    let linux = super::PING_ECHO_REPLY;
    let mut first: Option<(&str, Vec<u8>)> = None;
    for (lib, f) in reply::ALL {
        let mut out = vec![0xee; 3];
        for _ in 0..2 {
            assert_eq!(
                f(super::PING_ECHO_REQUEST, &mut out),
                Some(()),
                "build_icmp_echo_reply: {lib}"
            );
        }
        assert_eq!(out.len(), 98, "{lib}");
        assert_eq!(out[..14], linux[..14], "{lib}: Ethernet header");
        assert_eq!(out[26..34], linux[26..34], "{lib}: IPv4 addresses");
        assert_eq!(out[34..], linux[34..], "{lib}: ICMP message");
        assert_eq!(
            out[14..26],
            [0x45, 0, 0, 84, 0, 0, 0x40, 0, 64, 1, out[24], out[25]],
            "{lib}: IPv4 header"
        );
        assert_eq!(internet_checksum(&out[14..34]), 0, "{lib}: IPv4 checksum");
        assert_eq!(internet_checksum(&out[34..]), 0, "{lib}: ICMP checksum");
        match &first {
            None => first = Some((lib, out)),
            Some((l0, o0)) => assert_eq!(&out, o0, "{lib} and {l0} differ"),
        }
    }
}

/// RFC 1071, written out here so that the checks rely on no library under test.
fn internet_checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = data
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !u16::try_from(sum).unwrap_or(0)
}

/// [`Decoded::to_vecs`] as a sink for any lifetime.
fn owned(d: &Decoded<&[u8]>) -> Decoded<Vec<u8>> {
    d.to_vecs()
}

/// The hand-written floors make every check ours makes: on every truncation and every one-byte
/// change (every position, every value) of the benchmarks' frames, a floor that answers gives
/// what ours gives (`chain` answers exactly where the typed-view chain answers). Ours answers
/// where a floor does not only for frames outside the floor's shape, which ours takes through
/// its general walk: an IPv4 header with options (`flow_key` and the view floors), a second
/// tag (`flow_key`), a third tag (the view floors). Returns how many frames each floor
/// answered, to show that the changes exercised them.
pub(crate) fn floors() -> [u32; 4] {
    use super::handwritten as hw;
    let mut answered = [0u32; 4];
    // The frame's shape, as the floors take it: its tags, whether its IPv4 header has options.
    let shape = |f: &[u8]| {
        let mut off = 12;
        let mut tags = 0;
        while let Some(&[a, b]) = f.get(off..off + 2) {
            if !matches!(u16::from_be_bytes([a, b]), 0x8100 | 0x88a8 | 0x9100) {
                break;
            }
            tags += 1;
            off += 4;
        }
        let options = f.get(off + 2).is_some_and(|&v| v & 0x0f > 5);
        (tags, options)
    };
    let mut frames: Vec<Vec<u8>> = super::decode_frames()
        .into_iter()
        .map(|f| f.bytes)
        .collect();
    frames.extend(super::five_tuple_frames().into_iter().map(|f| f.bytes));
    let mut each = |m: &[u8]| {
        let (tags, options) = shape(m);
        let chain = hw::chain(m);
        assert_eq!(chain, five_tuple::ours_walk(m), "chain {m:02x?}");
        let key = hw::flow_key(m);
        let ours_key = five_tuple::ours_flow_key(m);
        if key.is_some() || !(options || tags > 1) {
            assert_eq!(key, ours_key, "flow_key {m:02x?}");
        }
        let view = hw::view(m);
        let ours_view = five_tuple::ours_view(m);
        if view.is_some() || !(options || tags > 2) {
            assert_eq!(view, ours_view, "view {m:02x?}");
        }
        let decoded = hw::view_decode(m, owned);
        let ours_decoded = decode::ours_view(m, owned);
        if decoded.is_some() || !(options || tags > 2) {
            assert_eq!(decoded, ours_decoded, "view_decode {m:02x?}");
        }
        for (n, got) in answered.iter_mut().zip([
            chain.is_some(),
            key.is_some(),
            view.is_some(),
            decoded.is_some(),
        ]) {
            *n += u32::from(got);
        }
    };
    for f in &frames {
        for cut in 0..=f.len() {
            each(&f[..cut]);
        }
        let mut m = f.clone();
        for i in 0..m.len() {
            for v in 0..=255u8 {
                m[i] = v;
                each(&m);
            }
            m[i] = f[i];
        }
    }
    answered
}
