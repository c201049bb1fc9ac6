//! Captures built from the project's own captured bytes: the OpenFlow messages Open vSwitch
//! sent (openflow/testdata), the sFlow datagrams it sent (sflow/testdata), the IGMPv3 and MLDv2
//! reports of two Linux hosts (packet/testdata), and the LACPDUs of tcpdump's tests/LACP.pcap
//! (a Cisco switch; the same frames as packet's and lacp's tests). The OpenFlow bytes travel in
//! a TCP connection whose segments the test cuts, reorders, repeats and loses at will.
#![allow(dead_code, unreachable_pub)]

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionBlock;
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::DataLink;
use sdnwire_openflow::action::Action;
use sdnwire_openflow::flow_mod::FlowMod;
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::{Body, Encode, Message};
use sdnwire_packet::tcp::TcpFlags;
use sdnwire_packet::{Ethernet, Ipv4, MacAddr, Tcp, Udp};

pub fn root() -> PathBuf {
    sdnwire_testkit::workspace_root()
}

pub fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The `*.bin` files of a folder, sorted by name: (name, bytes).
pub fn bins(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// The OpenFlow messages Open vSwitch 3.1 sent to the project's controller
/// (openflow/testdata/ovs-*.bin).
pub fn switch_messages() -> Vec<(String, Vec<u8>)> {
    bins(&root().join("openflow/testdata"))
}

/// What a controller sends in the Ryu book's switching hub: hello, features request, the
/// table-miss flow, a learned flow, a barrier.
pub fn controller_messages() -> Vec<Vec<u8>> {
    let hello = hex("0400000800000001"); // HELLO with no elements, as Ryu sends it
    let features = Message::new(2, Body::FeaturesRequest).to_vec().unwrap();
    let miss = Message::new(
        3,
        Body::FlowMod(
            FlowMod::add()
                .priority(0)
                .apply_actions([Action::output(sdnwire_openflow::PortNo::CONTROLLER)]),
        ),
    )
    .to_vec()
    .unwrap();
    let learned = Message::new(
        4,
        Body::FlowMod(
            FlowMod::add()
                .priority(1)
                .matching(
                    Match::new()
                        .in_port(2u32)
                        .eth_dst(MacAddr::new(0, 0, 0, 0, 0, 1)),
                )
                .apply_actions([Action::output(1u32)]),
        ),
    )
    .to_vec()
    .unwrap();
    let barrier = Message::new(5, Body::BarrierRequest).to_vec().unwrap();
    vec![hello, features, miss, learned, barrier]
}

pub const SWITCH_MAC: MacAddr = MacAddr([0x02, 0, 0, 0, 0, 0x02]);
pub const CONTROLLER_MAC: MacAddr = MacAddr([0x02, 0, 0, 0, 0, 0x01]);
pub const SWITCH_IP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 2);
pub const CONTROLLER_IP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
pub const SWITCH_PORT: u16 = 41000;

/// A TCP segment between the switch (192.0.2.2:41000) and the controller (192.0.2.1:`port`).
pub fn segment(
    from_switch: bool,
    port: u16,
    seq: u32,
    ack: u32,
    flags: TcpFlags,
    payload: &[u8],
) -> Vec<u8> {
    let (smac, dmac, sip, dip, sport, dport) = if from_switch {
        (
            SWITCH_MAC,
            CONTROLLER_MAC,
            SWITCH_IP,
            CONTROLLER_IP,
            SWITCH_PORT,
            port,
        )
    } else {
        (
            CONTROLLER_MAC,
            SWITCH_MAC,
            CONTROLLER_IP,
            SWITCH_IP,
            port,
            SWITCH_PORT,
        )
    };
    let mut tcp = Tcp::new(sport, dport, flags);
    tcp.seq = seq;
    tcp.ack = ack;
    tcp.window_size = 65535;
    (Ethernet::new(dmac, smac) / Ipv4::new(sip, dip) / tcp)
        .with_payload(payload.to_vec())
        .to_vec()
        .unwrap()
}

pub const SWITCH_ISN: u32 = 0xfffff000; // wraps inside the stream
pub const CONTROLLER_ISN: u32 = 1_000_000;

/// How the switch's bytes are cut into segments and disturbed.
#[derive(Debug, Clone, Copy)]
pub enum Cut {
    /// One segment per message.
    PerMessage,
    /// Segments of `n` bytes, regardless of message boundaries.
    Every(usize),
}

/// The frames of an OpenFlow connection on TCP `port`: the handshake, the controller's
/// messages (one per segment), the switch's messages cut by `cut`, the segments of the switch
/// passed through `disturb` (which may reorder, repeat or drop them), then FINs.
pub fn openflow_connection(
    port: u16,
    cut: Cut,
    disturb: impl FnOnce(Vec<Vec<u8>>) -> Vec<Vec<u8>>,
) -> Vec<Vec<u8>> {
    let mut frames = Vec::new();
    frames.push(segment(true, port, SWITCH_ISN, 0, TcpFlags::SYN, &[]));
    frames.push(segment(
        false,
        port,
        CONTROLLER_ISN,
        SWITCH_ISN.wrapping_add(1),
        TcpFlags(TcpFlags::SYN.0 | TcpFlags::ACK.0),
        &[],
    ));
    let mut cseq = CONTROLLER_ISN.wrapping_add(1);
    for m in controller_messages() {
        frames.push(segment(
            false,
            port,
            cseq,
            SWITCH_ISN.wrapping_add(1),
            TcpFlags(TcpFlags::ACK.0 | TcpFlags::PSH.0),
            &m,
        ));
        cseq = cseq.wrapping_add(m.len() as u32);
    }
    let messages: Vec<Vec<u8>> = switch_messages().into_iter().map(|(_, b)| b).collect();
    let stream: Vec<u8> = messages.concat();
    let pieces: Vec<(usize, usize)> = match cut {
        Cut::PerMessage => {
            let mut at = 0;
            messages
                .iter()
                .map(|m| {
                    let p = (at, at + m.len());
                    at += m.len();
                    p
                })
                .collect()
        }
        Cut::Every(n) => (0..stream.len())
            .step_by(n)
            .map(|s| (s, (s + n).min(stream.len())))
            .collect(),
    };
    let segs: Vec<Vec<u8>> = pieces
        .iter()
        .map(|&(s, e)| {
            segment(
                true,
                port,
                SWITCH_ISN.wrapping_add(1).wrapping_add(s as u32),
                cseq,
                TcpFlags(TcpFlags::ACK.0 | TcpFlags::PSH.0),
                &stream[s..e],
            )
        })
        .collect();
    frames.extend(disturb(segs));
    let fin = TcpFlags(TcpFlags::FIN.0 | TcpFlags::ACK.0);
    let send = SWITCH_ISN.wrapping_add(1).wrapping_add(stream.len() as u32);
    frames.push(segment(true, port, send, cseq, fin, &[]));
    frames.push(segment(false, port, cseq, send.wrapping_add(1), fin, &[]));
    frames
}

/// A segment of the switch re-sent with its sequence number moved back by `back` bytes and
/// `extra` bytes of the stream before it (an overlapping retransmission).
pub fn overlapping(port: u16, offset: usize, len: usize) -> Vec<u8> {
    let stream: Vec<u8> = switch_messages().into_iter().flat_map(|(_, b)| b).collect();
    let cseq = CONTROLLER_ISN.wrapping_add(1).wrapping_add(
        controller_messages()
            .iter()
            .map(|m| m.len() as u32)
            .sum::<u32>(),
    );
    segment(
        true,
        port,
        SWITCH_ISN.wrapping_add(1).wrapping_add(offset as u32),
        cseq,
        TcpFlags(TcpFlags::ACK.0 | TcpFlags::PSH.0),
        &stream[offset..offset + len],
    )
}

/// The sFlow datagrams Open vSwitch sent (sflow/testdata), in UDP from 192.0.2.2:50000 to
/// 192.0.2.1:`port`.
pub fn sflow_frames(port: u16) -> Vec<Vec<u8>> {
    bins(&root().join("sflow/testdata"))
        .into_iter()
        .map(|(_, d)| {
            (Ethernet::new(CONTROLLER_MAC, SWITCH_MAC)
                / Ipv4::new(SWITCH_IP, CONTROLLER_IP)
                / Udp::new(50000, port))
            .with_payload(d)
            .to_vec()
            .unwrap()
        })
        .collect()
}

/// Frame 1 and frame 20 of tcpdump's tests/LACP.pcap (a Cisco switch).
pub const CISCO_1: &str = "0180c20000020013c4120f0d88090101011480000013c4120f00000d800000168500000002148000000e8316f500000d80000019360000000310800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
pub const CISCO_20: &str = "0180c20000020013c4120f0d88090101011480000013c4120f00000d800000163d00000002148000000e8316f500000d800000193c0000000310800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
/// os-ken's `repr()` of their LACP layer (packet/src/slow/tests.rs).
pub const CISCO_1_REPR: &str = "lacp(actor_key=13,actor_port=22,actor_port_priority=32768,actor_state_activity=1,actor_state_aggregation=1,actor_state_collecting=0,actor_state_defaulted=0,actor_state_distributing=0,actor_state_expired=1,actor_state_synchronization=0,actor_state_timeout=0,actor_system='00:13:c4:12:0f:00',actor_system_priority=32768,collector_max_delay=32768,partner_key=13,partner_port=25,partner_port_priority=32768,partner_state_activity=0,partner_state_aggregation=1,partner_state_collecting=1,partner_state_defaulted=0,partner_state_distributing=1,partner_state_expired=0,partner_state_synchronization=0,partner_state_timeout=1,partner_system='00:0e:83:16:f5:00',partner_system_priority=32768,version=1)";
pub const CISCO_20_REPR: &str = "lacp(actor_key=13,actor_port=22,actor_port_priority=32768,actor_state_activity=1,actor_state_aggregation=1,actor_state_collecting=1,actor_state_defaulted=0,actor_state_distributing=1,actor_state_expired=0,actor_state_synchronization=1,actor_state_timeout=0,actor_system='00:13:c4:12:0f:00',actor_system_priority=32768,collector_max_delay=32768,partner_key=13,partner_port=25,partner_port_priority=32768,partner_state_activity=0,partner_state_aggregation=1,partner_state_collecting=1,partner_state_defaulted=0,partner_state_distributing=1,partner_state_expired=0,partner_state_synchronization=1,partner_state_timeout=0,partner_system='00:0e:83:16:f5:00',partner_system_priority=32768,version=1)";

/// The LACP frames.
pub fn lacp_frames() -> Vec<Vec<u8>> {
    vec![hex(CISCO_1), hex(CISCO_20)]
}

/// The IGMPv3 and MLDv2 reports two Linux hosts sent (packet/testdata), with what os-ken
/// prints for them.
pub fn multicast_frames() -> Vec<Vec<u8>> {
    let d = root().join("packet/testdata");
    vec![
        std::fs::read(d.join("igmpv3_report.bin")).unwrap(),
        std::fs::read(d.join("mldv2_report.bin")).unwrap(),
    ]
}

/// os-ken's text for a layer of a packet/testdata frame: the element of its `.ryu.txt`
/// (`ethernet(...), ipv4(...), igmpv3_report(...)`) that starts with `name(`.
pub fn ryu_layer(file: &str, name: &str) -> String {
    let text = std::fs::read_to_string(root().join("packet/testdata").join(file)).unwrap();
    let start = text
        .find(&format!("{name}("))
        .unwrap_or_else(|| panic!("no {name} in {file}"));
    // Up to the parenthesis that closes it.
    let mut depth = 0;
    for (i, c) in text[start..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return text[start..start + i + 1].to_string();
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced {name} in {file}");
}

/// Frames as a classic pcap (Ethernet, microseconds, 1 ms apart from t0 = 1 700 000 000 s).
pub fn pcap(frames: &[Vec<u8>]) -> Vec<u8> {
    pcap_with(DataLink::ETHERNET, frames, 65535)
}

pub fn pcap_with(link: DataLink, frames: &[Vec<u8>], snaplen: usize) -> Vec<u8> {
    let header = PcapHeader {
        datalink: link,
        snaplen: 65535,
        ..PcapHeader::default()
    };
    let mut w = PcapWriter::with_header(Vec::new(), header).unwrap();
    for (i, f) in frames.iter().enumerate() {
        let kept = &f[..f.len().min(snaplen)];
        w.write_packet(&PcapPacket::new(time(i), f.len() as u32, kept))
            .unwrap();
    }
    w.into_writer()
}

pub fn time(i: usize) -> Duration {
    Duration::from_secs(1_700_000_000) + Duration::from_millis(i as u64)
}

/// Frames as pcapng: one Ethernet interface, the default microsecond resolution.
pub fn pcapng(frames: &[Vec<u8>]) -> Vec<u8> {
    let mut w = PcapNgWriter::new(Vec::new()).unwrap();
    w.write_pcapng_block(InterfaceDescriptionBlock::new(DataLink::ETHERNET, 65535))
        .unwrap();
    for (i, f) in frames.iter().enumerate() {
        // pcap-file writes the Duration's nanoseconds as the raw timestamp: give it
        // microseconds, the interface's (default) resolution.
        let micros = time(i).as_micros() as u64;
        w.write_pcapng_block(EnhancedPacketBlock {
            interface_id: 0,
            timestamp: Duration::from_nanos(micros),
            original_len: f.len() as u32,
            data: f.as_slice().into(),
            options: vec![],
        })
        .unwrap();
    }
    w.into_inner()
}

/// An Ethernet frame as Linux cooked capture v1 shows it (an outgoing packet).
pub fn to_sll(frame: &[u8]) -> Vec<u8> {
    let mut v = vec![0, 4, 0, 1, 0, 6];
    v.extend_from_slice(&frame[6..12]);
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(&frame[12..14]);
    v.extend_from_slice(&frame[14..]);
    v
}

/// An Ethernet frame as Linux cooked capture v2 shows it (an outgoing packet on ifindex 2).
pub fn to_sll2(frame: &[u8]) -> Vec<u8> {
    let mut v = frame[12..14].to_vec();
    v.extend_from_slice(&[0, 0, 0, 0, 0, 2, 0, 1, 4, 6]);
    v.extend_from_slice(&frame[6..12]);
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(&frame[14..]);
    v
}

/// os-ken's OpenFlow 1.3 corpus (its `.packet` files, read from the installed package) and a
/// pcap of them sent one per segment of one connection from the switch's side. Callers check
/// the peer first (`require!`).
pub fn osken_corpus_pcap() -> (Vec<Vec<u8>>, Vec<u8>) {
    let dir = sdnwire_testkit::osken::packet_data("of13");
    let corpus: Vec<Vec<u8>> = sdnwire_testkit::osken::files(&dir, ".packet")
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert!(corpus.len() >= 100, "{} messages", corpus.len());
    let mut frames = vec![segment(true, 6633, SWITCH_ISN, 0, TcpFlags::SYN, &[])];
    let mut seq = SWITCH_ISN.wrapping_add(1);
    for m in &corpus {
        frames.push(segment(true, 6633, seq, 0, TcpFlags::ACK, m));
        seq = seq.wrapping_add(m.len() as u32);
    }
    let pcap = pcap(&frames);
    (corpus, pcap)
}

/// The message's type as a test names it: `OFPT_FLOW_MOD`, or `OFPT_MULTIPART_REPLY/OFPMP_FLOW`
/// for a multipart message.
pub fn label(bytes: &[u8]) -> String {
    let t = sdnwire_openflow::MsgType(bytes[1]);
    if t == sdnwire_openflow::MsgType::MULTIPART_REQUEST
        || t == sdnwire_openflow::MsgType::MULTIPART_REPLY
    {
        if let Some(mp) = bytes.get(8..10) {
            let mp = sdnwire_openflow::multipart::MultipartType(u16::from_be_bytes([mp[0], mp[1]]));
            return format!("{t}/{mp}");
        }
    }
    t.to_string()
}
