//! Whole messages as Open vSwitch 3.1's `ovs-ofctl ofp-print` prints them: the header line
//! (`OFPT_FLOW_MOD (OF1.3) (xid=0x1):`, multipart messages by their statistics name,
//! `OFPST_FLOW reply (OF1.3) (xid=0x2):`), then each body in ofp-print's layout (indented
//! lines, counts, `ditto`, hex dumps). [`Message`]'s `Display` is this text; the bodies' own
//! `Display`s keep their one-line forms. The differences that remain are listed in the
//! crate's README ("Text as ovs-ofctl prints it").

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::{self, Write as _};

use crate::async_config::AsyncConfig;
use crate::error_message::{ErrorMsg, ErrorType};
use crate::features::SwitchFeatures;
use crate::header::{Header, MsgType, HEADER_LEN, OFP_VERSION};
use crate::hello::{Hello, HelloElement};
use crate::message::{Body, Message};
use crate::multipart::{
    MultipartFlags, MultipartReply, MultipartReplyBody, MultipartRequest, MultipartRequestBody,
    MultipartType,
};
use crate::multipart::{PortStats, TableStats};
use crate::port::{Port, PortMod, PortReason, PortStatus};
use crate::types::{BufferId, PortNo, TableId};
use sdnwire_packet::Encode as _;

mod table_features;

/// Writes `m` as ofp-print does (no newline at the end).
pub(crate) fn fmt_message(f: &mut fmt::Formatter<'_>, m: &Message) -> fmt::Result {
    let mut s = String::new();
    message(&mut s, m)?;
    f.write_str(s.trim_end())
}

/// ofp-print's text of one message: header, body, and the hex dump ofp-print adds when it
/// cannot decode the body.
fn message(s: &mut String, m: &Message) -> fmt::Result {
    // Messages ofp-print has no decoder for: an error and the bytes, no header line.
    match &m.body {
        Body::Unknown { .. } => return undecodable(s, m, "OFPBRC_BAD_TYPE"),
        Body::Experimenter(e) if !ovs_experimenter(e.experimenter) => {
            return undecodable(s, m, "OFPBRC_BAD_VENDOR")
        }
        Body::MultipartRequest(MultipartRequest {
            body: MultipartRequestBody::Unknown { .. },
            ..
        })
        | Body::MultipartReply(MultipartReply {
            body: MultipartReplyBody::Unknown { .. },
            ..
        }) => return undecodable(s, m, "OFPBRC_BAD_STAT"),
        Body::MultipartRequest(MultipartRequest {
            body: MultipartRequestBody::Experimenter(e),
            ..
        })
        | Body::MultipartReply(MultipartReply {
            body: MultipartReplyBody::Experimenter(e),
            ..
        }) if !ovs_experimenter(e.experimenter) => return undecodable(s, m, "OFPBRC_BAD_VENDOR"),
        _ => {}
    }
    header(s, m)?;
    let len = s.len();
    match body(s, m)? {
        None => {
            // ofp-print takes one space off the end.
            if s.ends_with(' ') {
                s.pop();
            }
            Ok(())
        }
        Some(error) => {
            // What it printed of the body stays, then the error on a line of its own.
            if s.len() > len {
                if s.ends_with(' ') {
                    s.pop();
                }
                if !s.ends_with('\n') {
                    s.push('\n');
                }
            } else {
                s.push(' ');
            }
            writeln!(s, "***decode error: {error}***")?;
            hex_dump(s, &bytes(m))
        }
    }
}

/// Experimenter ids whose messages Open vSwitch decodes (Nicira, ONF).
fn ovs_experimenter(id: u32) -> bool {
    id == 0x0000_2320 || id == 0x4f4e_4600
}

/// The message's bytes (for hex dumps): as it encodes.
fn bytes(m: &Message) -> Vec<u8> {
    m.to_vec().unwrap_or_default()
}

/// `***decode error: NAME***` and the dump, without a header line (ofp-print has no name
/// for the message).
fn undecodable(s: &mut String, m: &Message, error: &str) -> fmt::Result {
    writeln!(s, "***decode error: {error}***")?;
    hex_dump(s, &bytes(m))
}

/// `OFPT_HELLO (OF1.3) (xid=0x1):`, `OFPST_PORT reply (OF1.3) (xid=0x2):`.
fn header(s: &mut String, m: &Message) -> fmt::Result {
    raw_name(s, m.msg_type(), multipart_type(&m.body))?;
    write!(s, " (OF1.3) (xid={:#x}):", m.xid)
}

/// The name ofp-print gives a message: its type, or `OFPST_<stat> request|reply` for
/// multipart messages.
fn raw_name(s: &mut String, t: MsgType, mp: Option<MultipartType>) -> fmt::Result {
    match (t, mp) {
        (MsgType::MULTIPART_REQUEST | MsgType::MULTIPART_REPLY, Some(mp)) => {
            let kind = if t == MsgType::MULTIPART_REQUEST {
                "request"
            } else {
                "reply"
            };
            match mp.ofctl_name() {
                Some(n) => write!(s, "{n} {kind}"),
                None => write!(s, "OFPST_UNKNOWN({:#x}) {kind}", mp.0),
            }
        }
        _ => write!(s, "{t}"),
    }
}

fn multipart_type(b: &Body) -> Option<MultipartType> {
    match b {
        Body::MultipartRequest(r) => Some(r.multipart_type()),
        Body::MultipartReply(r) => Some(r.multipart_type()),
        _ => None,
    }
}

/// The body after the header line; `Some(error name)` where ofp-print reports a decode error.
fn body(s: &mut String, m: &Message) -> core::result::Result<Option<&'static str>, fmt::Error> {
    match &m.body {
        Body::Hello(h) => hello(s, h, m)?,
        Body::Error(e) => return error(s, e),
        Body::EchoRequest(e) | Body::EchoReply(e) => {
            writeln!(s, " {} bytes of payload", e.data.len())?;
            hex_dump(s, &e.data)?;
        }
        Body::FeaturesRequest
        | Body::GetConfigRequest
        | Body::BarrierRequest
        | Body::BarrierReply
        | Body::GetAsyncRequest => {}
        Body::FeaturesReply(f) => features(s, f)?,
        Body::PortStatus(p) => return port_status(s, p),
        Body::PortMod(p) => port_mod(s, p)?,
        Body::FlowMod(fm) => write!(s, " {}", fm.ofp_print())?,
        Body::GetAsyncReply(a) | Body::SetAsync(a) => async_config(s, a)?,
        Body::MultipartRequest(r) => return multipart_request(s, r),
        Body::MultipartReply(r) => return multipart_reply(s, r),
        Body::TableMod(t) => {
            // OpenFlow 1.3 has no table-miss, eviction or vacancy settings for ofp-print.
            if t.table_id == TableId::ALL {
                s.push_str(" table_id: ALL_TABLES");
            } else {
                write!(s, " table_id={}", t.table_id.0)?;
            }
        }
        Body::GroupMod(g) => {
            // On a line of its own.
            let text = g.to_string();
            write!(s, "\n {}", after_name(&text, "OFPT_GROUP_MOD"))?;
        }
        Body::PacketIn(p) => {
            write!(s, " {p}")?;
            frame_flow(s, &p.data)?;
        }
        Body::PacketOut(p) => {
            write!(s, " {}", after_name(&p.to_string(), "OFPT_PACKET_OUT"))?;
            if p.buffer_id == BufferId::NO_BUFFER && !p.data.is_empty() {
                frame_flow(s, &p.data)?;
            }
        }
        other => {
            // The bodies whose own Display is ofp-print's text: after the type name.
            let text = other.to_string();
            let text = after_name(&text, &other.msg_type().to_string());
            if !text.is_empty() {
                write!(s, " {text}")?;
            }
        }
    }
    Ok(None)
}

/// A body's Display without the message type it may start with.
fn after_name<'a>(text: &'a str, name: &str) -> &'a str {
    text.strip_prefix(name)
        .map_or(text, |t| t.strip_prefix(':').unwrap_or(t).trim_start())
}

/// The frame of a PACKET_IN or PACKET_OUT on a line of its own, as Open vSwitch's flow
/// extraction and `flow_format` print it: Ethernet with up to two VLAN tags, ARP, IPv4 and
/// IPv6 with ICMP, ICMPv6, TCP, UDP, SCTP or another protocol (fragments as `nw_frag=first`
/// and `later`; IPv6 extension headers walked; neighbour discovery's target and addresses),
/// MPLS, any other EtherType, then the transport checksum. Frames with IPv6 AH or ESP get no
/// line; the crate's README lists this.
fn frame_flow(s: &mut String, data: &[u8]) -> fmt::Result {
    use sdnwire_packet::ethernet::EthernetView;
    const ZERO_MAC: &str = "00:00:00:00:00:00";
    let Ok(eth) = EthernetView::parse(data) else {
        // Shorter than an Ethernet header: Open vSwitch's flow is all zeros.
        if data.len() < 14 {
            write!(
                s,
                "\nvlan_tci=0x0000,dl_src={ZERO_MAC},dl_dst={ZERO_MAC},dl_type=0x0000"
            )?;
        }
        return Ok(());
    };
    // Up to two VLAN tags, each as its id and priority.
    let mut t = eth.ethertype().0;
    let mut rest = eth.payload();
    let mut tags: Vec<(u16, u16)> = Vec::new();
    // A third tag is the EtherType of the frame Open vSwitch sees.
    while (t == 0x8100 || t == 0x88a8) && tags.len() < 2 {
        // A cut tag: the TPID is the EtherType.
        let Some(h) = rest.first_chunk::<4>() else {
            break;
        };
        let tci = u16::from_be_bytes([h[0], h[1]]);
        tags.push((tci & 0x0fff, tci >> 13));
        t = u16::from_be_bytes([h[2], h[3]]);
        rest = rest.get(4..).unwrap_or_default();
    }
    let vlan = match tags.as_slice() {
        [] => "vlan_tci=0x0000".to_string(),
        [(v, p)] => alloc::format!("dl_vlan={v},dl_vlan_pcp={p},vlan_tci1=0x0000"),
        [(v, p), (v1, p1)] => {
            alloc::format!("dl_vlan={v},dl_vlan_pcp={p},dl_vlan1={v1},dl_vlan_pcp1={p1}")
        }
        _ => return Ok(()),
    };
    let l2 = alloc::format!("{vlan},dl_src={},dl_dst={}", eth.src(), eth.dst());
    match t {
        0x0806 => arp_flow(s, &l2, rest),
        0x0800 => ipv4_flow(s, &l2, rest),
        0x86dd => ipv6_flow(s, &l2, rest),
        0x8847 | 0x8848 => mpls_flow(s, &l2, t == 0x8848, rest),
        // An 802.3 length: Open vSwitch's "not Ethernet II" type.
        t if t < 0x600 => write!(s, "\n{l2},dl_type=0x05ff"),
        t => write!(s, "\n{l2},dl_type={t:#06x}"),
    }
}

/// The first label stack entry's fields, and the next two entries whole (`mpls_lse1`,
/// `mpls_lse2`) until the bottom of the stack.
fn mpls_flow(s: &mut String, l2: &str, multicast: bool, rest: &[u8]) -> fmt::Result {
    let lse = |i: usize| -> Option<u32> {
        let b = rest.get(i * 4..)?.first_chunk::<4>()?;
        Some(u32::from_be_bytes(*b))
    };
    // Entries cut off count as zero.
    let first = lse(0).unwrap_or(0);
    let name = if multicast { "mplsm" } else { "mpls" };
    let mut text = alloc::format!(
        "\n{name},{l2},mpls_label={},mpls_tc={},mpls_ttl={},mpls_bos={}",
        first >> 12,
        (first >> 9) & 7,
        first & 0xff,
        (first >> 8) & 1
    );
    // Open vSwitch keeps three entries.
    let mut bottom = first & 0x100 != 0;
    for i in 1..3 {
        if bottom {
            break;
        }
        let next = lse(i).unwrap_or(0);
        write!(text, ",mpls_lse{i}={next}")?;
        bottom = next & 0x100 != 0;
    }
    s.push_str(&text);
    Ok(())
}

fn arp_flow(s: &mut String, l2: &str, rest: &[u8]) -> fmt::Result {
    // Open vSwitch reads Ethernet/IPv4 ARP only (the low 8 bits of the opcode); for anything
    // else the fields stay zero.
    let fields = sdnwire_packet::arp::ArpView::parse(rest)
        .ok()
        .and_then(|arp| {
            let op = arp.oper().0;
            Some((
                arp.sender_ip()?,
                arp.target_ip()?,
                if op <= 0xff { op } else { 0 },
                arp.sender_mac()?,
                arp.target_mac()?,
            ))
        });
    let (spa, tpa, op, sha, tha) = match fields {
        Some((spa, tpa, op, sha, tha)) => (
            spa.to_string(),
            tpa.to_string(),
            op,
            sha.to_string(),
            tha.to_string(),
        ),
        None => (
            "0.0.0.0".to_string(),
            "0.0.0.0".to_string(),
            0,
            "00:00:00:00:00:00".to_string(),
            "00:00:00:00:00:00".to_string(),
        ),
    };
    write!(
        s,
        "\narp,{l2},arp_spa={spa},arp_tpa={tpa},arp_op={op},arp_sha={sha},arp_tha={tha}"
    )
}

fn ipv4_flow(s: &mut String, l2: &str, rest: &[u8]) -> fmt::Result {
    let Ok(ip) = sdnwire_packet::ipv4::Ipv4View::parse(rest) else {
        // A header Open vSwitch's sanity check refuses: the IP fields stay zero.
        return write!(
            s,
            "\nip,{l2},nw_src=0.0.0.0,nw_dst=0.0.0.0,nw_proto=0,nw_tos=0,nw_ecn=0,nw_ttl=0,\
             nw_frag=no"
        );
    };
    let frag = match (ip.frag_offset(), ip.more_frags()) {
        (0, false) => "no",
        (0, true) => "first",
        _ => "later",
    };
    let proto = ip.protocol().0;
    let head = alloc::format!("{l2},nw_src={},nw_dst={}", ip.src(), ip.dst());
    let tos = (ip.tos() & 0xfc, ip.ecn(), ip.ttl());
    ip_flow(s, false, &head, proto, tos, frag, ip.payload())
}

fn ipv6_flow(s: &mut String, l2: &str, rest: &[u8]) -> fmt::Result {
    let Ok(ip) = sdnwire_packet::ipv6::Ipv6View::parse(rest) else {
        if rest.len() >= 40 {
            // Open vSwitch may read part of such a header: no line.
            return Ok(());
        }
        // Shorter than the fixed header: the IP fields stay zero.
        return write!(
            s,
            "\nipv6,{l2},ipv6_src=::,ipv6_dst=::,ipv6_label=0x00000,nw_proto=0,nw_tos=0,\
             nw_ecn=0,nw_ttl=0,nw_frag=no"
        );
    };
    // Hop-by-hop, routing and destination options headers are walked; a fragment header
    // gives the fragment kind (a later fragment keeps protocol 44); AH and ESP: no line.
    let mut proto = ip.next_header().0;
    let mut l4 = ip.payload();
    let mut frag = "no";
    loop {
        match proto {
            0 | 43 | 60 => {
                let Some(h) = l4.first_chunk::<2>() else {
                    return Ok(());
                };
                let len = (usize::from(h[1]) + 1) * 8;
                let Some(next) = l4.get(len..) else {
                    return Ok(());
                };
                proto = h[0];
                l4 = next;
            }
            44 => {
                let Some(h) = l4.first_chunk::<8>() else {
                    return Ok(());
                };
                let offset = u16::from_be_bytes([h[2], h[3]]) >> 3;
                let more = h[3] & 1 != 0;
                match (offset, more) {
                    // An atomic fragment: no line.
                    (0, false) => return Ok(()),
                    (0, true) => {
                        frag = "first";
                        proto = h[0];
                        l4 = l4.get(8..).unwrap_or_default();
                    }
                    _ => {
                        frag = "later";
                        break;
                    }
                }
            }
            50 | 51 | 135 | 139 | 140 => return Ok(()),
            _ => break,
        }
    }
    let head = alloc::format!(
        "{l2},ipv6_src={},ipv6_dst={},ipv6_label={:#07x}",
        ip.src(),
        ip.dst(),
        ip.flow_label()
    );
    let tc = ip.traffic_class();
    ip_flow(
        s,
        true,
        &head,
        proto,
        (tc & 0xfc, tc & 3, ip.hop_limit()),
        frag,
        l4,
    )
}

/// Neighbour solicitation and advertisement: `,nd_target=..,nd_sll=..,nd_tll=..` as Open
/// vSwitch reads them (the source address option of a solicitation, the target address
/// option of an advertisement); `None` where its reading would differ (malformed or repeated
/// options).
fn nd_fields(ty: u8, l4: &[u8]) -> Option<String> {
    let target: [u8; 16] = *l4.get(8..)?.first_chunk::<16>()?;
    let mut sll = [0u8; 6];
    let mut tll = [0u8; 6];
    let (mut seen_sll, mut seen_tll) = (false, false);
    let mut opts = l4.get(24..)?;
    while !opts.is_empty() {
        let h = opts.first_chunk::<2>()?;
        let len = usize::from(h[1]) * 8;
        if len == 0 {
            return None;
        }
        let opt = opts.get(..len)?;
        match (h[0], ty, len) {
            (1, 135, 8) if !seen_sll => {
                sll = *opt.get(2..)?.first_chunk::<6>()?;
                seen_sll = true;
            }
            (2, 136, 8) if !seen_tll => {
                tll = *opt.get(2..)?.first_chunk::<6>()?;
                seen_tll = true;
            }
            (1 | 2, _, _) => return None,
            _ => {}
        }
        opts = opts.get(len..)?;
    }
    let mac = |m: [u8; 6]| sdnwire_packet::MacAddr(m);
    Some(alloc::format!(
        ",nd_target={},nd_sll={},nd_tll={}",
        core::net::Ipv6Addr::from(target),
        mac(sll),
        mac(tll)
    ))
}

/// The IP part of the flow line: the protocol's name first, the transport fields last.
fn ip_flow(
    s: &mut String,
    v6: bool,
    head: &str,
    proto: u8,
    (tos, ecn, ttl): (u8, u8, u8),
    frag: &str,
    l4: &[u8],
) -> fmt::Result {
    let be16 = |at: usize| -> u16 {
        l4.get(at..)
            .and_then(|b| b.first_chunk::<2>())
            .map_or(0, |b| u16::from_be_bytes(*b))
    };
    let later = frag == "later";
    // Name, the transport fields (read when the fixed header is all there) and the checksum
    // text (printed when it is, fragment or not).
    let (name, fields, csum) = match (proto, v6) {
        (1, false) | (58, true) => {
            // Type and code from a whole 8-byte header; the checksum printed from 8 bytes
            // (ICMP) or 4 (ICMPv6).
            let (csum_min, csum_name) = if v6 {
                (4, "icmp6_csum")
            } else {
                (8, "icmp_csum")
            };
            let whole = l4.len() >= 8;
            let (ty, code) = match (whole, l4.first_chunk::<2>()) {
                (true, Some(b)) => (b[0], b[1]),
                _ => (0, 0),
            };
            // Neighbour discovery adds the target and the link-layer addresses.
            let nd = if v6 && matches!(ty, 135 | 136) && !later {
                if code != 0 {
                    return Ok(());
                }
                match nd_fields(ty, l4) {
                    Some(nd) => nd,
                    None => return Ok(()),
                }
            } else {
                String::new()
            };
            (
                if v6 { "icmp6" } else { "icmp" },
                alloc::format!("icmp_type={ty},icmp_code={code}{nd}"),
                (l4.len() >= csum_min).then(|| alloc::format!(" {csum_name}:{:x}", be16(2))),
            )
        }
        (6, _) => {
            let whole = l4.len() >= 20;
            // The ports and flags only when the header's own length fits.
            let hlen = usize::from(l4.get(12).copied().unwrap_or(0) >> 4) * 4;
            let (sp, dp, flags) = if whole && hlen >= 20 && hlen <= l4.len() {
                (be16(0), be16(2), be16(12))
            } else {
                (0, 0, 0)
            };
            (
                if v6 { "tcp6" } else { "tcp" },
                alloc::format!("tp_src={sp},tp_dst={dp},tcp_flags={}", TcpFlagNames(flags)),
                whole.then(|| alloc::format!(" tcp_csum:{:x}", be16(16))),
            )
        }
        (17, _) => {
            let whole = l4.len() >= 8;
            let (sp, dp) = if whole { (be16(0), be16(2)) } else { (0, 0) };
            (
                if v6 { "udp6" } else { "udp" },
                alloc::format!("tp_src={sp},tp_dst={dp}"),
                whole.then(|| alloc::format!(" udp_csum:{:x}", be16(6))),
            )
        }
        (132, _) => {
            let whole = l4.len() >= 12;
            let (sp, dp) = if whole { (be16(0), be16(2)) } else { (0, 0) };
            let c = l4
                .get(8..)
                .and_then(|b| b.first_chunk::<4>())
                .map_or(0, |b| u32::from_be_bytes(*b));
            (
                if v6 { "sctp6" } else { "sctp" },
                alloc::format!("tp_src={sp},tp_dst={dp}"),
                whole.then(|| alloc::format!(" sctp_csum:{c:x}")),
            )
        }
        _ => {
            let name = if v6 { "ipv6" } else { "ip" };
            write!(
                s,
                "\n{name},{head},nw_proto={proto},nw_tos={tos},nw_ecn={ecn},nw_ttl={ttl},\
                 nw_frag={frag}"
            )?;
            return Ok(());
        }
    };
    write!(
        s,
        "\n{name},{head},nw_tos={tos},nw_ecn={ecn},nw_ttl={ttl},nw_frag={frag}"
    )?;
    if !later {
        write!(s, ",{fields}")?;
    }
    s.push_str(&csum.unwrap_or_default());
    Ok(())
}

/// TCP flags as Open vSwitch names them, joined by `|`; `0` for none.
struct TcpFlagNames(u16);

impl fmt::Display for TcpFlagNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAMES: [&str; 9] = ["fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"];
        // The 12 bits after the data offset; reserved ones as `[hex]`.
        let flags = self.0 & 0xfff;
        if flags == 0 {
            return f.write_str("0");
        }
        let mut first = true;
        for bit in 0..12 {
            let b = 1u16 << bit;
            if flags & b != 0 {
                if !first {
                    f.write_str("|")?;
                }
                first = false;
                match NAMES.get(bit) {
                    Some(name) => f.write_str(name)?,
                    None => write!(f, "[{b:x}]")?,
                }
            }
        }
        Ok(())
    }
}

/// ` version bitmap: 0x01, 0x04` on its own line, as Open vSwitch reads a HELLO: the
/// versions up to the header's without a bitmap, the first 32 bits of the first bitmap, and a
/// dump of the message after anything else.
fn hello(s: &mut String, h: &Hello, m: &Message) -> fmt::Result {
    // Versions 1 up to the header's (OpenFlow 1.3 = 0x04).
    let mut allowed: u32 = (1u32 << (OFP_VERSION + 1)) - 2;
    let mut ok = true;
    for e in &h.elements {
        match e {
            HelloElement::VersionBitmap(words) => {
                let first = words.first().copied().unwrap_or(0) & !1;
                if words.is_empty() || first == 0 {
                    ok = false;
                } else {
                    allowed = first;
                }
            }
            _ => ok = false,
        }
    }
    s.push_str("\n version bitmap: ");
    let mut first = true;
    for v in (0..32u32).filter(|v| allowed & (1 << v) != 0) {
        if !first {
            s.push_str(", ");
        }
        first = false;
        write!(s, "{v:#04x}")?;
    }
    if !ok {
        s.push_str("\n unknown data in hello:\n");
        hex_dump(s, &bytes(m))?;
    }
    Ok(())
}

/// ` OFPBAC_BAD_TYPE` and, on the next lines, the failed request as ofp-print prints a
/// message at verbosity 1.
fn error(s: &mut String, e: &ErrorMsg) -> core::result::Result<Option<&'static str>, fmt::Error> {
    let Some(name) = error_name(e) else {
        // Codes Open vSwitch does not know: it reports the message as undecodable.
        return Ok(Some("OFPBRC_BAD_LEN"));
    };
    writeln!(s, " {name}")?;
    if e.type_ == ErrorType::HELLO_FAILED {
        // The text as it is; other bytes, backslashes and quotes as `\NNN` (octal).
        for &b in &e.data {
            if (0x20..0x7f).contains(&b) && b != b'\\' && b != b'"' {
                s.push(char::from(b));
            } else {
                write!(s, "\\{b:03o}")?;
            }
        }
        return Ok(None);
    }
    embedded(s, &e.data)?;
    Ok(None)
}

/// An error's name as Open vSwitch spells it (OpenFlow 1.0's names where it kept them).
fn error_name(e: &ErrorMsg) -> Option<String> {
    if let Some(v) = e.vendor_error() {
        return v.name().map(ToString::to_string);
    }
    let name = e.type_.code_name(e.code)?;
    Some(
        match name {
            "OFPBRC_BAD_MULTIPART" => "OFPBRC_BAD_STAT",
            "OFPBRC_BAD_EXPERIMENTER" => "OFPBRC_BAD_VENDOR",
            "OFPBRC_BAD_EXP_TYPE" => "OFPBRC_BAD_SUBTYPE",
            "OFPBRC_IS_SLAVE" => "OFPBRC_IS_SECONDARY",
            "OFPBAC_BAD_EXPERIMENTER" => "OFPBAC_BAD_VENDOR",
            "OFPBAC_BAD_EXP_TYPE" => "OFPBAC_BAD_VENDOR_TYPE",
            n => n,
        }
        .to_string(),
    )
}

/// A message inside another (an error's failed request), as ofp-print prints bytes that
/// may be cut short.
fn embedded(s: &mut String, data: &[u8]) -> fmt::Result {
    if data.is_empty() {
        s.push_str("OpenFlow message is empty\n");
        return Ok(());
    }
    let Some(h) = data.first_chunk::<HEADER_LEN>() else {
        writeln!(s, "OpenFlow packet too short (only {} bytes):", data.len())?;
        return hex_dump(s, data);
    };
    let length = usize::from(u16::from_be_bytes([h[2], h[3]]));
    let known = h[0] == OFP_VERSION && MsgType(h[1]).name().is_some();
    if length > data.len() {
        if known {
            let mp = (MsgType(h[1]) == MsgType::MULTIPART_REQUEST
                || MsgType(h[1]) == MsgType::MULTIPART_REPLY)
                .then(|| data.get(8..)?.first_chunk::<2>())
                .flatten()
                .map(|b| MultipartType(u16::from_be_bytes(*b)));
            raw_name(s, MsgType(h[1]), mp)?;
            let xid = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
            writeln!(s, " (OF1.3) (xid={xid:#x}):")?;
        }
        writeln!(s, "(***truncated to {} bytes from {length}***)", data.len())?;
        return hex_dump(s, data);
    }
    if length < data.len() {
        writeln!(s, "(***only uses {length} bytes out of {}***)", data.len())?;
        return hex_dump(s, data);
    }
    match Message::parse(data) {
        Ok(m) => {
            message(s, &m)?;
            s.push('\n');
            Ok(())
        }
        Err(_) if data.len() == HEADER_LEN => {
            // A header alone for a type that has a body: shorter than Open vSwitch's minimum.
            s.push_str("***decode error: OFPBRC_BAD_LEN***\n");
            hex_dump(s, data)
        }
        Err(e) => {
            // Not a message this codec reads: our reason, and the bytes.
            if let Ok(h) = Header::parse(data) {
                if known {
                    raw_name(s, h.msg_type, None)?;
                    write!(s, " (OF1.3) (xid={:#x}): ", h.xid)?;
                }
            }
            writeln!(s, "***decode error: {e}***")?;
            hex_dump(s, data)
        }
    }
}

fn features(s: &mut String, f: &SwitchFeatures) -> fmt::Result {
    writeln!(s, " dpid:{:016x}", f.datapath_id.0)?;
    write!(s, "n_tables:{}, n_buffers:{}", f.n_tables, f.n_buffers)?;
    if f.auxiliary_id != 0 {
        write!(s, ", auxiliary_id:{}", f.auxiliary_id)?;
    }
    writeln!(s, "\ncapabilities: {}", f.capabilities)
}

/// An OpenFlow 1.3 port number as Open vSwitch keeps it (16 bits; the reserved ports at
/// 0xff00 and up).
fn port16(p: PortNo) -> u32 {
    if p.0 >= 0xffff_ff00 {
        p.0 - 0xffff_0000
    } else {
        p.0
    }
}

/// ` 1(p1): addr:..` and the indented lines of `ovs-ofctl show`.
fn phy_port(s: &mut String, p: &Port) -> fmt::Result {
    // The name up to its first byte that is not printable ASCII.
    let name: String = p
        .name
        .iter()
        .take(p.name.len().saturating_sub(1))
        .take_while(|b| (0x20..0x7f).contains(*b))
        .map(|&b| char::from(b))
        .collect();
    writeln!(s, " {}({name}): addr:{}", p.port_no, p.hw_addr)?;
    writeln!(s, "     config:     {}", p.config)?;
    writeln!(s, "     state:      {}", p.state)?;
    for (label, v) in [
        ("current:    ", p.curr),
        ("advertised: ", p.advertised),
        ("supported:  ", p.supported),
        ("peer:       ", p.peer),
    ] {
        if !v.is_empty() {
            writeln!(s, "     {label}{v}")?;
        }
    }
    writeln!(
        s,
        "     speed: {} Mbps now, {} Mbps max",
        p.curr_speed / 1000,
        p.max_speed / 1000
    )
}

fn port_status(
    s: &mut String,
    p: &PortStatus,
) -> core::result::Result<Option<&'static str>, fmt::Error> {
    let reason = match p.reason {
        PortReason::ADD => "ADD",
        PortReason::DELETE => "DEL",
        PortReason::MODIFY => "MOD",
        _ => return Ok(Some("NXBRC_BAD_REASON")),
    };
    write!(s, " {reason}:")?;
    phy_port(s, &p.desc)?;
    Ok(None)
}

fn port_mod(s: &mut String, p: &PortMod) -> fmt::Result {
    writeln!(s, " port: {}: addr:{}", p.port_no, p.hw_addr)?;
    writeln!(s, "     config: {}", p.config)?;
    writeln!(s, "     mask:   {}", p.mask)?;
    if p.advertise.is_empty() {
        writeln!(s, "     advertise: UNCHANGED")
    } else {
        writeln!(s, "     advertise: {}", p.advertise)
    }
}

/// The reason names Open vSwitch gives each bit of the three masks of OpenFlow 1.3.
const PACKET_IN_REASONS: &[&str] = &[
    "no_match",
    "action",
    "invalid_ttl",
    "action_set",
    "group",
    "packet_out",
];
const PORT_STATUS_REASONS: &[&str] = &["add", "delete", "modify"];
const FLOW_REMOVED_REASONS: &[&str] = &[
    "idle",
    "hard",
    "delete",
    "group_delete",
    "meter_delete",
    "eviction",
];

/// The two halves, each with Open vSwitch's six message types (OpenFlow 1.3 configures the
/// first three; the others are off).
fn async_config(s: &mut String, a: &AsyncConfig) -> fmt::Result {
    for (i, label) in ["primary", "secondary"].iter().enumerate() {
        writeln!(s, "\n {label}:")?;
        let masks = [
            ("PACKET_IN", a.packet_in_mask.get(i), PACKET_IN_REASONS),
            (
                "PORT_STATUS",
                a.port_status_mask.get(i),
                PORT_STATUS_REASONS,
            ),
            (
                "FLOW_REMOVED",
                a.flow_removed_mask.get(i),
                FLOW_REMOVED_REASONS,
            ),
            ("ROLE_STATUS", None, &[]),
            ("TABLE_STATUS", None, &[]),
            ("REQUESTFORWARD", None, &[]),
        ];
        for (name, mask, names) in masks {
            write!(s, "{name:>16}:")?;
            let mask = mask.copied().unwrap_or(0);
            for bit in (0..32u32).filter(|b| mask & (1 << b) != 0) {
                match names.get(bit as usize) {
                    Some(n) => write!(s, " {n}")?,
                    None => write!(s, " {bit}")?,
                }
            }
            if mask == 0 {
                s.push_str(" (off)");
            }
            s.push('\n');
        }
    }
    Ok(())
}

/// ` flags=[more]` when a multipart message has flags.
fn multipart_flags(s: &mut String, flags: MultipartFlags) -> fmt::Result {
    if flags.is_empty() {
        return Ok(());
    }
    s.push_str(" flags=");
    let more = flags.0 & 1;
    if more != 0 {
        s.push_str("[more]");
    }
    let rest = flags.0 & !1;
    if rest != 0 {
        write!(s, "[***unknown flags {rest:#06x}***]")?;
    }
    Ok(())
}

/// What follows the title (`OFPST_X request[ flags=..]:`) in a multipart Display.
fn after_title(text: &str) -> &str {
    text.split_once(':').map_or("", |(_, rest)| rest)
}

fn multipart_request(
    s: &mut String,
    r: &MultipartRequest,
) -> core::result::Result<Option<&'static str>, fmt::Error> {
    multipart_flags(s, r.flags)?;
    match &r.body {
        MultipartRequestBody::GroupDesc => s.push_str(" group_id=ALL"),
        MultipartRequestBody::PortDesc => s.push_str(" port=ANY"),
        MultipartRequestBody::TableFeatures(v) => return table_features::table_features(s, v),
        _ => s.push_str(after_title(&r.to_string())),
    }
    Ok(None)
}

fn multipart_reply(
    s: &mut String,
    r: &MultipartReply,
) -> core::result::Result<Option<&'static str>, fmt::Error> {
    multipart_flags(s, r.flags)?;
    match &r.body {
        MultipartReplyBody::Desc(d) => {
            s.push('\n');
            for (label, v) in [
                ("Manufacturer", &d.mfr_desc[..]),
                ("Hardware", &d.hw_desc[..]),
                ("Software", &d.sw_desc[..]),
                ("Serial Num", &d.serial_num[..]),
                ("DP Description", &d.dp_desc[..]),
            ] {
                let end = v.iter().position(|&b| b == 0).unwrap_or(v.len());
                let text = String::from_utf8_lossy(v.get(..end).unwrap_or_default());
                writeln!(s, "{label}: {text}")?;
            }
        }
        MultipartReplyBody::PortStats(v) => {
            writeln!(s, " {} ports", v.len())?;
            for p in v {
                port_stats(s, p)?;
            }
        }
        MultipartReplyBody::Queue(v) => {
            writeln!(s, " {} queues", v.len())?;
            for q in v {
                writeln!(s, "  {q}")?;
            }
        }
        MultipartReplyBody::Table(v) => table_stats(s, v)?,
        MultipartReplyBody::TableFeatures(v) => return table_features::table_features(s, v),
        MultipartReplyBody::MeterConfig(v) => {
            for m in v {
                // The head as the entry prints it without bands, then a band per line.
                let head = crate::multipart::MeterConfig {
                    bands: Vec::new(),
                    ..m.clone()
                };
                write!(s, "\n{head}")?;
                for b in &m.bands {
                    write!(s, "\n{}", b.display(m.flags))?;
                }
                // A blank line between meters.
                s.push('\n');
            }
        }
        MultipartReplyBody::Meter(v) => {
            for m in v {
                let head = crate::multipart::MeterStats {
                    band_stats: Vec::new(),
                    ..m.clone()
                };
                write!(s, "\n{head}")?;
                for (i, b) in m.band_stats.iter().enumerate() {
                    write!(
                        s,
                        "\n{i}: packet_count:{} byte_count:{}",
                        b.packet_band_count, b.byte_band_count
                    )?;
                }
                // A blank line between meters.
                s.push('\n');
            }
        }
        MultipartReplyBody::GroupFeatures(g) => {
            s.push_str("\n Group table:\n");
            writeln!(s, "    Types:  {:#x}", g.types)?;
            writeln!(s, "    Capabilities:  {:#x}", g.capabilities.0)?;
            let types = ["all", "select", "indirect", "fast failover"];
            for (i, name) in types.iter().enumerate() {
                if g.types & (1 << i) == 0 {
                    continue;
                }
                writeln!(s, "    {name} group:")?;
                let max = g.max_groups.get(i).copied().unwrap_or(0);
                writeln!(s, "       max_groups={max:#x}")?;
                s.push_str("       actions: ");
                let actions = g.actions.get(i).copied().unwrap_or(0);
                let names = OVS_ACTION_ORDER
                    .iter()
                    .filter(|(bit, _)| actions & (1 << bit) != 0)
                    .map(|(_, n)| *n);
                for (k, n) in names.enumerate() {
                    if k > 0 {
                        s.push(' ');
                    }
                    s.push_str(n);
                }
                s.push('\n');
            }
        }
        MultipartReplyBody::MeterFeatures(m) => {
            // The entry's one line, broken where ofp-print breaks it.
            let text = m.to_string();
            let text = text.replacen(" band_types:", "\nband_types:", 1).replacen(
                " capabilities:",
                "\ncapabilities:",
                1,
            );
            write!(s, "\n{text}")?;
        }
        MultipartReplyBody::PortDesc(v) => {
            s.push('\n');
            let mut ports: Vec<&Port> = v.iter().collect();
            ports.sort_by_key(|p| port16(p.port_no));
            for p in ports {
                phy_port(s, p)?;
            }
        }
        MultipartReplyBody::Unknown { .. } => return Ok(Some("OFPBRC_BAD_STAT")),
        _ => s.push_str(after_title(&r.to_string())),
    }
    Ok(None)
}

/// The OpenFlow 1.3 action types Open vSwitch implements, by bit, in the order and with the
/// names it lists actions (its own action numbering); copy_ttl and PBB actions are not among
/// them.
pub(crate) const OVS_ACTION_ORDER: [(u32, &str); 12] = [
    (0, "output"),
    (22, "group"),
    (25, "set_field"),
    (18, "strip_vlan"),
    (17, "push_vlan"),
    (23, "mod_nw_ttl"),
    (24, "dec_ttl"),
    (15, "set_mpls_ttl"),
    (16, "dec_mpls_ttl"),
    (19, "push_mpls"),
    (20, "pop_mpls"),
    (21, "set_queue"),
];

/// A counter, `?` when all ones (not available).
fn counter(v: u64) -> String {
    if v == u64::MAX {
        "?".to_string()
    } else {
        v.to_string()
    }
}

fn port_stats(s: &mut String, p: &PortStats) -> fmt::Result {
    s.push_str("  port ");
    if port16(p.port_no) < 10 {
        s.push(' ');
    }
    writeln!(
        s,
        "{}: rx pkts={}, bytes={}, drop={}, errs={}, frame={}, over={}, crc={}",
        p.port_no,
        counter(p.rx_packets),
        counter(p.rx_bytes),
        counter(p.rx_dropped),
        counter(p.rx_errors),
        counter(p.rx_frame_err),
        counter(p.rx_over_err),
        counter(p.rx_crc_err)
    )?;
    writeln!(
        s,
        "           tx pkts={}, bytes={}, drop={}, errs={}, coll={}",
        counter(p.tx_packets),
        counter(p.tx_bytes),
        counter(p.tx_dropped),
        counter(p.tx_errors),
        counter(p.collisions)
    )?;
    if p.duration_sec != u32::MAX {
        writeln!(
            s,
            "           duration={}",
            crate::multipart::DisplayDuration {
                sec: p.duration_sec,
                nsec: p.duration_nsec,
            }
        )?;
    }
    Ok(())
}

/// Tables one by one; a run of tables whose counters equal the previous one's as `ditto`.
fn table_stats(s: &mut String, v: &[TableStats]) -> fmt::Result {
    fn finish(s: &mut String, ditto: Option<(u8, u8)>) -> fmt::Result {
        match ditto {
            None => Ok(()),
            Some((a, b)) if a == b => write!(s, "\n  table {a}: ditto\n"),
            Some((a, b)) => write!(s, "\n  tables {a}...{b}: ditto\n"),
        }
    }
    let mut ditto: Option<(u8, u8)> = None;
    let mut prev: Option<&TableStats> = None;
    for t in v {
        let same = prev.is_some_and(|p| {
            p.active_count == t.active_count
                && p.lookup_count == t.lookup_count
                && p.matched_count == t.matched_count
        });
        let id = t.table_id.0;
        if same {
            ditto = Some(ditto.map_or((id, id), |(a, _)| (a, id)));
        } else {
            finish(s, ditto.take())?;
            write!(
                s,
                "\n  table {id}:\n    active={}, lookup={}, matched={}\n",
                t.active_count, t.lookup_count, t.matched_count
            )?;
        }
        prev = Some(t);
    }
    finish(s, ditto)
}

/// Open vSwitch's hex dump: offset, 16 bytes with a `-` after the eighth, and the printable
/// characters between bars.
pub(crate) fn hex_dump(s: &mut String, data: &[u8]) -> fmt::Result {
    for (i, line) in data.chunks(16).enumerate() {
        write!(s, "{:08x}  ", i * 16)?;
        for j in 0..16 {
            match line.get(j) {
                Some(b) => write!(s, "{b:02x}{}", if j == 7 { '-' } else { ' ' })?,
                None => s.push_str("   "),
            }
        }
        s.push('|');
        for j in 0..16 {
            s.push(match line.get(j) {
                Some(&b) if (32..127).contains(&b) => char::from(b),
                Some(_) => '.',
                None => ' ',
            });
        }
        s.push_str("|\n");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Action;
    use crate::error_message::{BadRequestCode, ErrorMsg};
    use crate::multipart::MultipartReply;
    use crate::packet_in::PacketIn;
    use crate::packet_out::PacketOut;
    use crate::simple::{testutil::ofp_print, Echo};
    use alloc::vec;
    use sdnwire_packet::arp::ArpOp;
    use sdnwire_packet::icmp::Icmp;
    use sdnwire_packet::tcp::{Tcp, TcpFlags};
    use sdnwire_packet::{Arp, Ethernet, Ipv4, MacAddr, Udp};

    /// Our text equals `ovs-ofctl ofp-print`'s, character for character (skipped loudly
    /// without ovs-ofctl).
    fn same_as_ovs(m: &Message) {
        let bytes = m.to_vec().unwrap();
        let Some(theirs) = ofp_print(&bytes) else {
            return;
        };
        assert_eq!(m.to_string(), theirs.trim_end(), "{m:?}");
    }

    fn frames() -> Vec<Vec<u8>> {
        let (a, b) = (
            MacAddr::new(0, 0, 0, 0, 0, 1),
            MacAddr::new(2, 0, 0, 0, 0, 2),
        );
        let (x, y) = (
            "10.0.0.1".parse().unwrap(),
            "192.168.7.200".parse().unwrap(),
        );
        let mut ip = Ipv4::new(x, y);
        ip.ttl = 17;
        ip.tos = (46 << 2) | 2;
        vec![
            (Ethernet::new(b, a) / Ipv4::new(x, y) / Tcp::new(40000, 443, TcpFlags::SYN))
                .to_vec()
                .unwrap(),
            (Ethernet::new(b, a) / ip.clone() / Tcp::new(80, 5, TcpFlags::SYN | TcpFlags::ACK))
                .with_payload(&b"hello"[..])
                .to_vec()
                .unwrap(),
            (Ethernet::new(b, a) / ip.clone() / Tcp::new(1, 2, TcpFlags(0)))
                .to_vec()
                .unwrap(),
            (Ethernet::new(b, a) / ip.clone() / Udp::new(5353, 53))
                .with_payload(&b"query"[..])
                .to_vec()
                .unwrap(),
            (Ethernet::new(b, a) / ip / Icmp::echo_request(7, 1, &b"ping"[..]))
                .to_vec()
                .unwrap(),
            (Ethernet::new(MacAddr::BROADCAST, a)
                / Arp::new(ArpOp::REQUEST, a, x, MacAddr::new(0, 0, 0, 0, 0, 0), y))
            .to_vec()
            .unwrap(),
            // LLDP: no protocol Open vSwitch's flow names.
            {
                let mut f = vec![0x01, 0x80, 0xc2, 0, 0, 0x0e, 2, 0, 0, 0, 0, 2, 0x88, 0xcc];
                f.extend_from_slice(&[0; 46]);
                f
            },
            // Shorter than an Ethernet header.
            vec![1, 2, 3, 4],
        ]
    }

    /// Frames written byte by byte: tags, IPv6, other protocols, fragments, short and bad
    /// headers.
    fn raw_frames() -> Vec<Vec<u8>> {
        let l2 = |types: &[u16]| -> Vec<u8> {
            let mut f = vec![2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1];
            for t in types {
                f.extend_from_slice(&t.to_be_bytes());
            }
            f
        };
        // IPv4 header: total length, flags+offset, protocol; then the payload.
        let ip4 = |flags_frag: u16, proto: u8, payload: &[u8], total: Option<u16>| -> Vec<u8> {
            let len = total.unwrap_or(20 + u16::try_from(payload.len()).unwrap());
            let mut h = vec![0x45, 0xb9];
            h.extend_from_slice(&len.to_be_bytes());
            h.extend_from_slice(&[0, 7]);
            h.extend_from_slice(&flags_frag.to_be_bytes());
            h.extend_from_slice(&[9, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
            h.extend_from_slice(payload);
            h
        };
        let ip6 = |next: u8, payload: &[u8]| -> Vec<u8> {
            let mut h = vec![0x6b, 0x91, 0x23, 0x45];
            h.extend_from_slice(&u16::try_from(payload.len()).unwrap().to_be_bytes());
            h.extend_from_slice(&[next, 33]);
            h.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
            h.extend_from_slice(&[0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
            h.extend_from_slice(payload);
            h
        };
        let udp = [0x12, 0x34, 0, 53, 0, 12, 0xab, 0xcd, 1, 2, 3, 4];
        let tcp = {
            let mut t = vec![
                0, 80, 0x9c, 0x40, 0, 0, 0, 1, 0, 0, 0, 2, 0x50, 0x19, 0xff, 0xff,
            ];
            t.extend_from_slice(&[0xbe, 0xef, 0, 0]);
            t
        };
        let sctp = [0, 1, 0, 2, 0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef];
        let echo6 = [128, 0, 0x12, 0x34, 0, 1, 0, 1];
        let cat = |a: Vec<u8>, b: Vec<u8>| -> Vec<u8> { a.into_iter().chain(b).collect() };
        // ICMPv6 neighbour discovery: type, target fe80::2, one link-layer address option.
        let nd = |ty: u8, opt: Option<(u8, [u8; 6])>| -> Vec<u8> {
            let mut m = vec![ty, 0, 0x12, 0x34, 0x60, 0, 0, 0];
            m.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
            if let Some((t, mac)) = opt {
                m.extend_from_slice(&[t, 1]);
                m.extend_from_slice(&mac);
            }
            m
        };
        vec![
            cat(l2(&[0x8100, 0x6064, 0x0800]), ip4(0, 17, &udp, None)),
            cat(
                l2(&[0x88a8, 0x0064, 0x8100, 0xa0c8, 0x0800]),
                ip4(0, 6, &tcp, None),
            ),
            cat(l2(&[0x8100, 0xa000, 0x0800]), ip4(0, 132, &sctp, None)),
            cat(l2(&[0x0800]), ip4(0, 47, &[0; 8], None)),
            cat(l2(&[0x0800]), ip4(0x2000, 17, &udp, None)),
            cat(l2(&[0x0800]), ip4(0x000a, 17, &udp, None)),
            cat(l2(&[0x0800]), ip4(0x000a, 1, &[8, 0, 0xaa, 0xbb], None)),
            cat(l2(&[0x0800]), ip4(0, 6, &tcp[..4], None)),
            cat(l2(&[0x0800]), ip4(0, 1, &[8, 0, 1, 2], None)),
            cat(l2(&[0x0800]), ip4(0, 17, &udp, Some(200))),
            cat(l2(&[0x86dd]), ip6(17, &udp)),
            cat(l2(&[0x86dd]), ip6(6, &tcp)),
            cat(l2(&[0x86dd]), ip6(58, &echo6)),
            cat(l2(&[0x86dd]), ip6(132, &sctp)),
            cat(l2(&[0x86dd]), ip6(59, &[])),
            // Neighbour solicitation with and without its source address option, an
            // advertisement with its target address option, a router solicitation.
            cat(
                l2(&[0x86dd]),
                ip6(58, &nd(135, Some((1, [0, 0, 0, 0, 0, 1])))),
            ),
            cat(l2(&[0x86dd]), ip6(58, &nd(135, None))),
            cat(
                l2(&[0x86dd]),
                ip6(58, &nd(136, Some((2, [2, 0, 0, 0, 0, 2])))),
            ),
            cat(l2(&[0x86dd]), ip6(58, &[133, 0, 0x7d, 0x36, 0, 0, 0, 0])),
            // Hop-by-hop and destination options before TCP; a first and a later fragment.
            cat(
                l2(&[0x86dd]),
                ip6(
                    0,
                    &[
                        &[60, 0, 1, 4, 0, 0, 0, 0][..],
                        &[6, 0, 1, 4, 0, 0, 0, 0],
                        &tcp,
                    ]
                    .concat(),
                ),
            ),
            cat(
                l2(&[0x86dd]),
                ip6(44, &[&[17, 0, 0, 1, 0, 0, 0, 9][..], &udp].concat()),
            ),
            cat(
                l2(&[0x86dd]),
                ip6(44, &[&[17, 0, 0, 40, 0, 0, 0, 9][..], &udp].concat()),
            ),
            cat(l2(&[0x05dc]), vec![0; 46]),
            cat(l2(&[0x8100, 0x0005, 0x0806]), vec![0; 28]),
            // A third tag; MPLS, one label and two.
            cat(
                l2(&[0x8100, 1, 0x8100, 2, 0x8100, 3, 0x0800]),
                ip4(0, 17, &udp, None),
            ),
            cat(
                l2(&[0x8847]),
                [&[0, 0x06, 0x47, 0x40][..], &ip4(0, 17, &udp, None)].concat(),
            ),
            cat(
                l2(&[0x8848]),
                vec![0, 0, 0x50, 9, 0, 0, 0x61, 8, 1, 2, 3, 4],
            ),
            // Cut and odd headers: a tag, an MPLS entry and an IPv6 header cut short, a TCP
            // data offset past the segment, reserved TCP flags, a 5-byte ICMPv6 message.
            cat(l2(&[0x8100]), vec![0, 5]),
            cat(l2(&[0x8847]), vec![1, 2]),
            cat(l2(&[0x86dd]), vec![0x60, 0, 0, 0, 0, 0, 17, 64]),
            cat(
                l2(&[0x0800]),
                ip4(
                    0,
                    6,
                    &[&tcp[..12], &[0xf0, 0x12], &tcp[14..]].concat(),
                    None,
                ),
            ),
            cat(
                l2(&[0x0800]),
                ip4(
                    0,
                    6,
                    &[&tcp[..12], &[0x5e, 0x12], &tcp[14..]].concat(),
                    None,
                ),
            ),
            cat(l2(&[0x86dd]), ip6(58, &[1, 4, 0xaa, 0xbb, 0])),
        ]
    }

    #[test]
    fn packet_out_and_packet_in_frames_as_ovs_flow_extraction_prints_them() {
        for f in frames().into_iter().chain(raw_frames()) {
            let out = PacketOut::new(PortNo::CONTROLLER)
                .action(Action::output(1u32))
                .data(f.clone());
            same_as_ovs(&Message::new(3, Body::PacketOut(out)));
            same_as_ovs(&Message::new(4, Body::PacketIn(PacketIn::new(2u32, f))));
        }
    }

    #[test]
    fn headers_hellos_echoes_and_errors() {
        same_as_ovs(&Message::new(1, Body::Hello(Hello::new())));
        same_as_ovs(&Message::new(0xfedc_ba98, Body::Hello(Hello::default())));
        // Two bitmap words (Open vSwitch reads the first), and an element it does not know.
        same_as_ovs(&Message::new(
            1,
            Body::Hello(Hello {
                elements: vec![HelloElement::VersionBitmap(vec![0x12, 0x1])],
            }),
        ));
        same_as_ovs(&Message::new(
            1,
            Body::Hello(Hello {
                elements: vec![
                    HelloElement::VersionBitmap(vec![0x10]),
                    HelloElement::Unknown {
                        type_: 7,
                        data: vec![1, 2, 3, 4],
                    },
                ],
            }),
        ));
        same_as_ovs(&Message::new(
            2,
            Body::EchoRequest(Echo {
                data: (0u8..=40).collect(),
            }),
        ));
        same_as_ovs(&Message::new(2, Body::EchoReply(Echo::default())));
        same_as_ovs(&Message::new(5, Body::BarrierRequest));
        let hello = ErrorMsg::hello_failed(
            crate::error_message::HelloFailedCode::INCOMPATIBLE,
            "only \"1.3\" \\ here\n",
        );
        same_as_ovs(&Message::new(0, Body::Error(hello)));
        // The failed request, whole, cut short, and a header alone.
        let request = Message::new(9, Body::PacketOut(PacketOut::new(PortNo::CONTROLLER)))
            .to_vec()
            .unwrap();
        for data in [&request[..], &request[..12], &request[..8]] {
            let e = ErrorMsg::new(BadRequestCode::EPERM, data.to_vec());
            same_as_ovs(&Message::new(9, Body::Error(e)));
        }
    }

    #[test]
    fn table_stats_dittos() {
        let t = |id: u8, active: u32| TableStats {
            table_id: TableId(id),
            active_count: active,
            lookup_count: 10,
            matched_count: 5,
        };
        let reply = MultipartReply::new(MultipartReplyBody::Table(vec![
            t(0, 3),
            t(1, 0),
            t(2, 0),
            t(3, 0),
            t(4, 1),
            t(5, 1),
            t(6, 2),
        ]));
        same_as_ovs(&Message::new(7, Body::MultipartReply(reply)));
    }

    #[test]
    fn multipart_replies_over_several_lines() {
        use crate::meter_mod::{MeterBand, MeterFlags};
        use crate::multipart::{
            GroupCapabilities, GroupFeatures, MeterBandStats, MeterConfig, MeterStats,
        };
        use crate::types::MeterId;
        let reply = |b| Message::new(8, Body::MultipartReply(MultipartReply::new(b)));
        same_as_ovs(&reply(MultipartReplyBody::MeterConfig(vec![
            MeterConfig {
                flags: MeterFlags::KBPS | MeterFlags::BURST,
                meter_id: MeterId(1),
                bands: vec![
                    MeterBand::drop(1000, 100),
                    MeterBand::dscp_remark(500, 50, 2),
                ],
            },
            MeterConfig {
                flags: MeterFlags::PKTPS,
                meter_id: MeterId(2),
                bands: vec![MeterBand::drop(10, 0)],
            },
        ])));
        same_as_ovs(&reply(MultipartReplyBody::Meter(vec![
            MeterStats {
                meter_id: MeterId(1),
                flow_count: 2,
                packet_in_count: 30,
                byte_in_count: 4000,
                duration_sec: 5,
                duration_nsec: 500_000_000,
                band_stats: vec![
                    MeterBandStats {
                        packet_band_count: 1,
                        byte_band_count: 64,
                    },
                    MeterBandStats::default(),
                ],
            },
            MeterStats {
                meter_id: MeterId(7),
                ..MeterStats::default()
            },
        ])));
        // Types all and indirect; copy_ttl_out (bit 11) is no action Open vSwitch lists.
        same_as_ovs(&reply(MultipartReplyBody::GroupFeatures(GroupFeatures {
            types: 0b101,
            capabilities: GroupCapabilities(0b1010),
            max_groups: [16, 0, 4, 0],
            actions: [1 | (1 << 11) | (1 << 25), 0, (1 << 22) | (1 << 18), 0],
        })));
        // Ports sorted as Open vSwitch sorts them, LOCAL last; names cut at the first byte
        // that is not printable ASCII.
        let mut p1 = Port::new(10u32, MacAddr::new(2, 0, 0, 0, 0, 10), "p10");
        p1.curr_speed = 10_000_000;
        let local = Port::new(PortNo::LOCAL, MacAddr::new(2, 0, 0, 0, 0, 0xfe), "br0");
        let odd = Port::new(3u32, MacAddr::new(2, 0, 0, 0, 0, 3), "é-port");
        same_as_ovs(&reply(MultipartReplyBody::PortDesc(vec![local, p1, odd])));
        let stats = |port_no| PortStats {
            port_no,
            rx_packets: 5,
            tx_bytes: u64::MAX,
            duration_sec: 3,
            duration_nsec: 20,
            ..PortStats::default()
        };
        same_as_ovs(&reply(MultipartReplyBody::PortStats(vec![
            stats(PortNo(9)),
            stats(PortNo(10)),
            stats(PortNo::LOCAL),
        ])));
    }

    #[test]
    fn generated_messages_of_other_shapes() {
        use crate::features::{Capabilities, DatapathId, SwitchFeatures};
        use crate::port::{PortConfig, PortFeatures, PortState};
        use crate::table_mod::TableMod;
        let mut port = Port::new(7u32, MacAddr::new(2, 0, 0, 0, 0, 7), "eth7");
        port.config = PortConfig::PORT_DOWN | PortConfig::NO_FWD;
        port.state = PortState::LINK_DOWN | PortState::BLOCKED;
        port.curr = PortFeatures::FIBER;
        port.max_speed = 1_000_000;
        for reason in [PortReason::DELETE, PortReason::MODIFY] {
            same_as_ovs(&Message::new(
                6,
                Body::PortStatus(PortStatus { reason, desc: port }),
            ));
        }
        same_as_ovs(&Message::new(
            2,
            Body::FeaturesReply(SwitchFeatures {
                datapath_id: DatapathId(0x0102_0304_0506_0708),
                n_buffers: 256,
                n_tables: 64,
                auxiliary_id: 3,
                capabilities: Capabilities::FLOW_STATS | Capabilities::PORT_BLOCKED,
                reserved: 0,
            }),
        ));
        same_as_ovs(&Message::new(
            3,
            Body::TableMod(TableMod {
                table_id: TableId(3),
                ..TableMod::default()
            }),
        ));
        same_as_ovs(&Message::new(
            4,
            Body::MultipartRequest(MultipartRequest::port_stats(3u32).with_more(true)),
        ));
        same_as_ovs(&Message::new(
            4,
            Body::MultipartRequest(MultipartRequest::port_desc()),
        ));
    }

    #[test]
    fn group_meter_role_config_and_queue_messages() {
        use crate::group_mod::{Bucket, GroupMod, GroupType};
        use crate::meter_mod::{MeterBand, MeterFlags, MeterMod};
        use crate::queue::QueueGetConfigRequest;
        use crate::role::{ControllerRole, Role};
        use crate::switch_config::{ConfigFlags, SwitchConfig};
        let m = |b| Message::new(0x11, b);
        same_as_ovs(&m(Body::GroupMod(GroupMod::add(
            GroupType::SELECT,
            5u32,
            vec![
                Bucket::weighted(3, vec![Action::output(1u32)]),
                Bucket::weighted(1, vec![Action::output(2u32)]),
            ],
        ))));
        same_as_ovs(&m(Body::GroupMod(GroupMod::delete(5u32))));
        same_as_ovs(&m(Body::MeterMod(MeterMod::add(
            9u32,
            MeterFlags::KBPS | MeterFlags::STATS,
            vec![MeterBand::drop(5000, 0)],
        ))));
        same_as_ovs(&m(Body::MeterMod(MeterMod::delete(9u32))));
        same_as_ovs(&m(Body::RoleRequest(Role::new(ControllerRole::MASTER, 7))));
        same_as_ovs(&m(Body::RoleReply(Role::new(ControllerRole::SLAVE, 8))));
        let mut config = SwitchConfig::new(128);
        config.flags = ConfigFlags::FRAG_REASM;
        same_as_ovs(&m(Body::SetConfig(config)));
        same_as_ovs(&m(Body::QueueGetConfigRequest(QueueGetConfigRequest::new(
            3u32,
        ))));
        same_as_ovs(&m(Body::MultipartRequest(MultipartRequest::queue_stats(
            PortNo::ANY,
            2,
        ))));
        same_as_ovs(&m(Body::MultipartRequest(MultipartRequest::group_stats(
            crate::types::GroupId::ALL,
        ))));
        same_as_ovs(&m(Body::MultipartRequest(MultipartRequest::meter_config(
            crate::types::MeterId(4),
        ))));
    }

    #[test]
    fn flow_mods_flow_removed_and_flow_stats() {
        use crate::flow_mod::{FlowMod, FlowModFlags};
        use crate::flow_removed::{FlowRemoved, FlowRemovedReason};
        use crate::instruction::Instruction;
        use crate::multipart::FlowStats;
        use crate::oxm::Match;
        let m = |b| Message::new(0x21, b);
        let out = |p: u32| Instruction::apply_actions(vec![Action::output(p)]);
        for fm in [
            FlowMod::add()
                .table(2)
                .priority(100)
                .matching(Match::new().in_port(2u32))
                .cookie(0xabc)
                .idle_timeout(10)
                .hard_timeout(60)
                .flags(FlowModFlags::SEND_FLOW_REM | FlowModFlags::CHECK_OVERLAP)
                .instruction(out(1))
                .instruction(Instruction::goto_table(3)),
            FlowMod::modify_strict()
                .cookie(0x10)
                .cookie_mask(0xf0)
                .matching(Match::new().in_port(5u32))
                .instruction(out(7)),
            FlowMod::delete()
                .table(crate::types::TableId::ALL)
                .out_port(3u32),
            FlowMod::delete_strict().priority(7).buffer_id(9u32),
        ] {
            same_as_ovs(&m(Body::FlowMod(fm)));
        }
        same_as_ovs(&m(Body::FlowRemoved(FlowRemoved {
            cookie: 0x77,
            priority: 9,
            reason: FlowRemovedReason(2),
            table_id: TableId(4),
            duration_sec: 12,
            duration_nsec: 345_000_000,
            idle_timeout: 5,
            hard_timeout: 0,
            packet_count: 3,
            byte_count: 300,
            match_: Match::new().in_port(4u32),
        })));
        let stats = FlowStats::new(3, Match::new().in_port(1u32), vec![out(2)]);
        let reply = MultipartReply::new(MultipartReplyBody::Flow(vec![stats.clone(), stats]))
            .with_more(true);
        same_as_ovs(&m(Body::MultipartReply(reply)));
    }

    #[test]
    fn group_queue_aggregate_and_desc_replies() {
        use crate::group_mod::{Bucket, GroupType};
        use crate::multipart::QueueStats;
        use crate::multipart::{AggregateStats, BucketCounter, Desc, GroupDesc, GroupStats};
        use crate::types::GroupId;
        let reply = |b| Message::new(0x31, Body::MultipartReply(MultipartReply::new(b)));
        same_as_ovs(&reply(MultipartReplyBody::GroupDesc(vec![
            GroupDesc {
                type_: GroupType::SELECT,
                group_id: GroupId(1),
                buckets: vec![
                    Bucket::weighted(2, vec![Action::output(1u32)]),
                    Bucket::weighted(5, vec![Action::output(2u32)]),
                ],
            },
            GroupDesc {
                type_: GroupType::ALL,
                group_id: GroupId(2),
                buckets: vec![],
            },
        ])));
        same_as_ovs(&reply(MultipartReplyBody::Group(vec![GroupStats {
            group_id: GroupId(1),
            ref_count: 2,
            packet_count: 10,
            byte_count: 1000,
            duration_sec: 3,
            duration_nsec: 1,
            bucket_stats: vec![
                BucketCounter {
                    packet_count: 4,
                    byte_count: 400,
                },
                BucketCounter::default(),
            ],
        }])));
        same_as_ovs(&reply(MultipartReplyBody::Aggregate(AggregateStats {
            packet_count: 1,
            byte_count: 2,
            flow_count: 3,
        })));
        same_as_ovs(&reply(MultipartReplyBody::Queue(vec![
            QueueStats {
                port_no: PortNo(1),
                queue_id: 0,
                tx_bytes: 5,
                tx_packets: 1,
                tx_errors: u64::MAX,
                duration_sec: u32::MAX,
                duration_nsec: 0,
            },
            QueueStats {
                port_no: PortNo::LOCAL,
                queue_id: 3,
                duration_sec: 4,
                duration_nsec: 500_000,
                ..QueueStats::default()
            },
        ])));
        same_as_ovs(&reply(MultipartReplyBody::Desc(alloc::boxed::Box::new(
            Desc::new(
                "Nicira, Inc.",
                "Open vSwitch",
                "3.1.0",
                "None",
                "br0 datapath",
            ),
        ))));
    }

    proptest::proptest! {
        /// Any frame after any Ethernet header prints (never panics), on at most two lines.
        #[test]
        fn any_frame_prints(
            ty in proptest::sample::select(vec![
                0x0800u16, 0x86dd, 0x0806, 0x8100, 0x88a8, 0x8847, 0x8848, 0x05dc, 0x88cc,
            ]),
            rest in proptest::collection::vec(proptest::num::u8::ANY, 0..120),
        ) {
            let mut f = vec![2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1];
            f.extend_from_slice(&ty.to_be_bytes());
            f.extend_from_slice(&rest);
            let text = Message::new(1, Body::PacketIn(PacketIn::new(1u32, f))).to_string();
            proptest::prop_assert!(text.lines().count() <= 2, "{}", text);
        }
    }

    #[test]
    fn hex_dump_as_open_vswitch() {
        let mut s = String::new();
        hex_dump(&mut s, b"0123456789abcdef\x00\xff~").unwrap();
        assert_eq!(
            s,
            "00000000  30 31 32 33 34 35 36 37-38 39 61 62 63 64 65 66 |0123456789abcdef|\n\
             00000010  00 ff 7e                                        |..~             |\n"
        );
    }
}
