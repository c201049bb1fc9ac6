//! Hand-written floors for the packet rows: straight off the bytes, with the checks our code
//! makes on these frames and reading the same values, so that what a row costs above its floor
//! is ours and what the floor costs above pnet is the price of the checks (pnet checks only that
//! each fixed header is there).
//!
//! * [`chain`]: the checks of the typed-view chain (`ours_walk`: `EthernetView`, `VlanView`,
//!   `Ipv4View`, `UdpView`/`TcpView`, each `parse`, then the fragment test).
//! * [`flow_key`]: the checks of `FlowKey::parse` on an IPv4 frame (Ethernet, at most one tag,
//!   IPv4 without options, not a fragment, the UDP length or the TCP data offset), and its
//!   values (tag, EtherType, addresses, protocol, ports).
//! * [`view`] and [`view_decode`]: the checks of `PacketView::parse` on these frames (the
//!   straight walk's: up to two tags, IPv4 without options and not a fragment, the UDP length,
//!   the TCP data offset and the TCP options' framing, the two Linux option lists told first as
//!   the library tells them, ICMP's 8 bytes), with every layer's span
//!   (start, header end, end) recorded into a plain struct and the values read through those
//!   spans, as the view's accessors read them.

use super::{Decoded, FiveTuple, Ip4, L4};

#[inline(always)]
fn be16(b: &[u8; 2]) -> u16 {
    u16::from_be_bytes(*b)
}

#[inline(always)]
fn at16(b: &[u8], i: usize) -> u16 {
    match b.get(i..i + 2) {
        Some(&[x, y]) => u16::from_be_bytes([x, y]),
        _ => 0,
    }
}

fn is_vlan(t: u16) -> bool {
    matches!(t, 0x8100 | 0x88a8 | 0x9100)
}

fn five(ip: &[u8; 20], sport: u16, dport: u16) -> FiveTuple {
    FiveTuple {
        src: [ip[12], ip[13], ip[14], ip[15]],
        dst: [ip[16], ip[17], ip[18], ip[19]],
        proto: ip[9],
        sport,
        dport,
    }
}

/// The typed-view chain's checks: any number of tags; IPv4 version, IHL, the header within the
/// bytes, the total length covering the header and within the bytes; not a fragment; UDP's
/// length (at least 8, within the IP payload) or TCP's data offset (at least 5 words, within
/// the IP payload).
pub(crate) fn chain(frame: &[u8]) -> Option<FiveTuple> {
    let eth = frame.first_chunk::<14>()?;
    let mut t = be16(&[eth[12], eth[13]]);
    let mut off = 14;
    while is_vlan(t) {
        let tag = frame.get(off..)?.first_chunk::<4>()?;
        t = be16(&[tag[2], tag[3]]);
        off += 4;
    }
    if t != 0x0800 {
        return None;
    }
    let b = frame.get(off..)?;
    let ip = b.first_chunk::<20>()?;
    let hl = usize::from(ip[0] & 0x0f) * 4;
    let total = usize::from(be16(&[ip[2], ip[3]]));
    if ip[0] >> 4 != 4 || hl < 20 || hl > b.len() || total < hl || total > b.len() {
        return None;
    }
    if be16(&[ip[6], ip[7]]) & 0x3fff != 0 {
        return None;
    }
    let l4 = b.get(hl..total)?;
    let (sport, dport) = match ip[9] {
        17 => {
            let u = l4.first_chunk::<8>()?;
            let len = usize::from(be16(&[u[4], u[5]]));
            if len < 8 || len > l4.len() {
                return None;
            }
            (be16(&[u[0], u[1]]), be16(&[u[2], u[3]]))
        }
        6 => {
            let t = l4.first_chunk::<20>()?;
            let thl = usize::from(t[12] >> 4) * 4;
            if thl < 20 || thl > l4.len() {
                return None;
            }
            (be16(&[t[0], t[1]]), be16(&[t[2], t[3]]))
        }
        _ => return None,
    };
    Some(five(ip, sport, dport))
}

/// What `FlowKey::parse` gives for an IPv4 frame, as plain values.
#[derive(Debug, Clone, Copy)]
struct Key {
    vlan: Option<u16>,
    ethertype: u16,
    tuple: FiveTuple,
}

/// `FlowKey::parse`'s checks on an IPv4 frame (at most one tag, IHL 5, not a fragment, the
/// total length within the bytes, the UDP length or the TCP data offset) and its values.
pub(crate) fn flow_key(frame: &[u8]) -> Option<FiveTuple> {
    let k = flow_key_values(frame)?;
    core::hint::black_box(&(k.vlan, k.ethertype));
    Some(k.tuple)
}

#[inline(always)]
fn flow_key_values(frame: &[u8]) -> Option<Key> {
    let eth = frame.first_chunk::<14>()?;
    let t = be16(&[eth[12], eth[13]]);
    let (vlan, off) = if t == 0x0800 {
        (None, 14)
    } else if is_vlan(t) {
        let tag = frame.get(14..)?.first_chunk::<4>()?;
        if be16(&[tag[2], tag[3]]) != 0x0800 {
            return None;
        }
        (Some(be16(&[tag[0], tag[1]]) & 0x0fff), 18)
    } else {
        return None;
    };
    let b = frame.get(off..)?;
    let ip = b.first_chunk::<20>()?;
    let total = usize::from(be16(&[ip[2], ip[3]]));
    if ip[0] != 0x45 || be16(&[ip[6], ip[7]]) & 0x3fff != 0 || total < 20 {
        return None;
    }
    let l4 = b.get(20..total)?;
    let (sport, dport) = match ip[9] {
        6 => {
            let t = l4.first_chunk::<20>()?;
            let hl = usize::from(t[12] >> 4) * 4;
            if hl < 20 || hl > l4.len() {
                return None;
            }
            (be16(&[t[0], t[1]]), be16(&[t[2], t[3]]))
        }
        17 => {
            let u = l4.first_chunk::<8>()?;
            let len = usize::from(be16(&[u[4], u[5]]));
            if len < 8 || len > l4.len() {
                return None;
            }
            (be16(&[u[0], u[1]]), be16(&[u[2], u[3]]))
        }
        _ => return None,
    };
    Some(Key {
        vlan,
        ethertype: 0x0800,
        tuple: five(ip, sport, dport),
    })
}

/// One layer's span: where it starts, where its header ends, where its length fields end.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u16,
    header_end: u16,
    end: u16,
}

/// The spans `PacketView` records for these frames, in a plain struct.
#[derive(Debug, Clone, Copy, Default)]
struct Spans {
    eth: Span,
    /// The tags recorded (0 to 2) and the first one's span.
    tags: u8,
    vlan: Span,
    ip: Span,
    /// 6 (TCP), 17 (UDP) or 1 (ICMP), and its span.
    l4_proto: u8,
    l4: Span,
}

/// The TCP options' framing, as `Packet::parse` checks it: each option has its length (at
/// least 2, within the options) but NOP; after end-of-list, zeros only. The two lists Linux
/// writes (NOP, NOP, timestamps; MSS, SACK permitted, timestamps, NOP, window scale) are told
/// by their kind and length bytes first, as the library does.
#[inline(always)]
pub(crate) fn options_framed(opts: &[u8]) -> bool {
    match (opts.len(), opts.first_chunk::<8>(), opts.last_chunk::<4>()) {
        (12, Some(h), _) if h[..4] == [1, 1, 8, 10] => return true,
        (20, Some(h), Some(t))
            if u64::from_be_bytes(*h) & 0xffff_0000_ffff_ffff == 0x0204_0000_0402_080a
                && t[..3] == [1, 3, 3] =>
        {
            return true
        }
        _ => {}
    }
    let mut pos = 0;
    while let Some(&kind) = opts.get(pos) {
        match kind {
            0 => {
                return opts
                    .get(pos + 1..)
                    .is_some_and(|p| p.iter().all(|&b| b == 0))
            }
            1 => pos += 1,
            _ => {
                let Some(&len) = opts.get(pos + 1) else {
                    return false;
                };
                let len = usize::from(len);
                if len < 2 || len > opts.len() - pos {
                    return false;
                }
                pos += len;
            }
        }
    }
    true
}

/// `PacketView::parse`'s checks on these frames, every span recorded.
#[inline(always)]
fn spans(frame: &[u8]) -> Option<Spans> {
    let flen = u16::try_from(frame.len()).ok()?;
    let eth = frame.first_chunk::<14>()?;
    let mut s = Spans {
        eth: Span {
            start: 0,
            header_end: 14,
            end: flen,
        },
        ..Spans::default()
    };
    let mut t = be16(&[eth[12], eth[13]]);
    let mut off = 14u16;
    while is_vlan(t) {
        if s.tags == 2 {
            return None;
        }
        let tag = frame.get(usize::from(off)..)?.first_chunk::<4>()?;
        t = be16(&[tag[2], tag[3]]);
        if s.tags == 0 {
            s.vlan = Span {
                start: off,
                header_end: off + 4,
                end: flen,
            };
        }
        s.tags += 1;
        off += 4;
    }
    if t != 0x0800 {
        return None;
    }
    let b = frame.get(usize::from(off)..)?;
    let ip = b.first_chunk::<20>()?;
    let total = be16(&[ip[2], ip[3]]);
    if ip[0] != 0x45 || total < 20 || usize::from(total) > b.len() || at16(ip, 6) & 0x3fff != 0 {
        return None;
    }
    let (l4, ip_end) = (off + 20, off + total);
    s.ip = Span {
        start: off,
        header_end: l4,
        end: ip_end,
    };
    let seg = frame.get(usize::from(l4)..usize::from(ip_end))?;
    let (header_end, end) = match ip[9] {
        17 => {
            let u = seg.first_chunk::<8>()?;
            let len = be16(&[u[4], u[5]]);
            if len < 8 || usize::from(len) > seg.len() {
                return None;
            }
            (l4 + 8, l4 + len)
        }
        6 => {
            let t = seg.first_chunk::<20>()?;
            let hl = u16::from(t[12] >> 4) * 4;
            if hl < 20 || usize::from(hl) > seg.len() {
                return None;
            }
            if !options_framed(seg.get(20..usize::from(hl))?) {
                return None;
            }
            (l4 + hl, ip_end)
        }
        1 => {
            seg.first_chunk::<8>()?;
            (ip_end, ip_end)
        }
        _ => return None,
    };
    s.l4_proto = ip[9];
    s.l4 = Span {
        start: l4,
        header_end,
        end,
    };
    Some(s)
}

/// The bytes of a recorded span, as the view's accessors take them.
#[inline(always)]
fn bytes(frame: &[u8], s: Span) -> Option<&[u8]> {
    frame.get(usize::from(s.start)..usize::from(s.end))
}

/// `PacketView`'s checks and spans, then the five-tuple read through the spans.
pub(crate) fn view(frame: &[u8]) -> Option<FiveTuple> {
    let s = spans(frame)?;
    let ip = bytes(frame, s.ip)?.first_chunk::<20>()?;
    let l4 = bytes(frame, s.l4)?;
    let (sport, dport) = match s.l4_proto {
        17 => {
            let u = l4.first_chunk::<8>()?;
            (be16(&[u[0], u[1]]), be16(&[u[2], u[3]]))
        }
        6 => {
            let t = l4.first_chunk::<20>()?;
            (be16(&[t[0], t[1]]), be16(&[t[2], t[3]]))
        }
        _ => return None,
    };
    Some(five(ip, sport, dport))
}

/// `PacketView`'s checks and spans, then every field read through the spans.
pub(crate) fn view_decode<R>(frame: &[u8], sink: impl FnOnce(&Decoded<&[u8]>) -> R) -> Option<R> {
    let s = spans(frame)?;
    let eth = bytes(frame, s.eth)?.first_chunk::<14>()?;
    let vlan = match s.tags {
        0 => None,
        _ => {
            let t = bytes(frame, s.vlan)?.first_chunk::<4>()?;
            Some((be16(&[t[0], t[1]]), be16(&[t[2], t[3]])))
        }
    };
    let ipb = bytes(frame, s.ip)?;
    let ip = ipb.first_chunk::<20>()?;
    let ff = be16(&[ip[6], ip[7]]);
    let ip4 = Ip4 {
        ihl: ip[0] & 0x0f,
        tos: ip[1],
        total_len: be16(&[ip[2], ip[3]]),
        ident: be16(&[ip[4], ip[5]]),
        dont_frag: ff & 0x4000 != 0,
        more_frags: ff & 0x2000 != 0,
        frag_offset: ff & 0x1fff,
        ttl: ip[8],
        proto: ip[9],
        checksum: be16(&[ip[10], ip[11]]),
        src: [ip[12], ip[13], ip[14], ip[15]],
        dst: [ip[16], ip[17], ip[18], ip[19]],
        options: ipb.get(20..usize::from(ip[0] & 0x0f) * 4)?,
    };
    let l4b = bytes(frame, s.l4)?;
    let (l4, tcp_options, payload): (L4, &[u8], &[u8]) = match s.l4_proto {
        17 => {
            let u = l4b.first_chunk::<8>()?;
            (
                L4::Udp {
                    sport: be16(&[u[0], u[1]]),
                    dport: be16(&[u[2], u[3]]),
                    len: be16(&[u[4], u[5]]),
                    checksum: be16(&[u[6], u[7]]),
                },
                &[],
                l4b.get(8..)?,
            )
        }
        6 => {
            let t = l4b.first_chunk::<20>()?;
            let hl = usize::from(t[12] >> 4) * 4;
            (
                L4::Tcp {
                    sport: be16(&[t[0], t[1]]),
                    dport: be16(&[t[2], t[3]]),
                    seq: u32::from_be_bytes([t[4], t[5], t[6], t[7]]),
                    ack: u32::from_be_bytes([t[8], t[9], t[10], t[11]]),
                    data_offset: t[12] >> 4,
                    flags: t[13],
                    window: be16(&[t[14], t[15]]),
                    checksum: be16(&[t[16], t[17]]),
                    urgent: be16(&[t[18], t[19]]),
                },
                l4b.get(20..hl)?,
                l4b.get(hl..)?,
            )
        }
        _ => {
            let i = l4b.first_chunk::<8>()?;
            (
                L4::Icmp {
                    ty: i[0],
                    code: i[1],
                    checksum: be16(&[i[2], i[3]]),
                    rest: [i[4], i[5], i[6], i[7]],
                },
                &[],
                l4b.get(8..)?,
            )
        }
    };
    Some(sink(&Decoded {
        eth_dst: [eth[0], eth[1], eth[2], eth[3], eth[4], eth[5]],
        eth_src: [eth[6], eth[7], eth[8], eth[9], eth[10], eth[11]],
        ethertype: be16(&[eth[12], eth[13]]),
        vlan,
        ip: ip4,
        l4,
        tcp_options,
        payload,
    }))
}
