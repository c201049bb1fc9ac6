//! Inputs and implementations of the OpenFlow benchmarks (`benches/openflow.rs`), shared with
//! the agreement test (`tests/openflow_agree.rs`): `openflow` side by side with
//! `rovs-openflow` 0.2, each used the way its documentation and its own controller code use it.
//!
//! Three tasks, each producing the same plain values from both crates so that the results can
//! be compared before anything is timed:
//! - PACKET_IN decode: a real PACKET_IN (Open vSwitch 3.1, `openflow/testdata/ovs-packet-in.bin`,
//!   an ICMP echo request of 98 bytes) to its fixed fields, `in_port` and the frame's bytes;
//! - flow-stats walk: a 1000-entry OFPMP_FLOW reply, split into messages of at most 65535
//!   bytes with OFPMPF_REPLY_MORE on all but the last (as Open vSwitch splits it), walked to
//!   every entry's counters, `in_port`, `eth_dst` and first output port;
//! - FlowMod encode: the flow a learning switch installs (Ryu's `simple_switch_13`: priority 1,
//!   `in_port`, `eth_dst`, `eth_src`, apply-actions `output`) to the bytes of a whole message.
#![allow(dead_code)]

use core::hint::black_box;

use bytes::Bytes;
use rovs_openflow as rovs;
use sdnwire_openflow::action::{Action, ActionView};
use sdnwire_openflow::flow_mod::{FlowMod, FlowModFlags};
use sdnwire_openflow::instruction::{Instruction, InstructionView};
use sdnwire_openflow::multipart::{FlowStats, MultipartReply, MultipartReplyBody};
use sdnwire_openflow::oxm::{ofb, Match, OFPXMC_OPENFLOW_BASIC};
use sdnwire_openflow::{Body, BodyView, Encode, Message, MessageView, TableId};

/// The PACKET_IN Open vSwitch 3.1 sent for a table miss (an ICMP echo request on port 1).
pub(crate) const PACKET_IN: &[u8] = include_bytes!("../../../openflow/testdata/ovs-packet-in.bin");

/// Entries in the flow-stats reply.
pub(crate) const FLOWS: usize = 1000;

/// What a controller reads from a PACKET_IN, borrowed from whatever the decoder produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PacketInSummary<'a> {
    /// `buffer_id`.
    pub buffer_id: u32,
    /// `total_len`.
    pub total_len: u16,
    /// `reason`.
    pub reason: u8,
    /// `table_id`.
    pub table_id: u8,
    /// `cookie`.
    pub cookie: u64,
    /// The match's `in_port`.
    pub in_port: Option<u32>,
    /// The frame.
    pub data: &'a [u8],
}

/// Our zero-copy view: `MessageView::parse` (header and fixed fields checked, match framing
/// checked, nothing allocated), then `in_port()` (walks the OXM TLVs up to `in_port`, which
/// switches put first) and the borrowed frame.
pub(crate) fn packet_in_ours_view(msg: &[u8], sink: impl FnOnce(&PacketInSummary<'_>)) -> bool {
    let Ok(MessageView {
        body: BodyView::PacketIn(p),
        ..
    }) = MessageView::parse(msg)
    else {
        return false;
    };
    sink(&PacketInSummary {
        buffer_id: p.buffer_id.0,
        total_len: p.total_len,
        reason: p.reason.0,
        table_id: p.table_id.0,
        cookie: p.cookie,
        in_port: p.in_port().map(|p| p.0),
        data: p.data,
    });
    true
}

/// Our view, every OXM TLV decoded: as [`packet_in_ours_view`], then `match_()` (checks every
/// TLV) and every field decoded to its typed value, as the peer decodes its whole match.
pub(crate) fn packet_in_ours_view_match(
    msg: &[u8],
    sink: impl FnOnce(&PacketInSummary<'_>),
) -> bool {
    let Ok(MessageView {
        body: BodyView::PacketIn(p),
        ..
    }) = MessageView::parse(msg)
    else {
        return false;
    };
    let Ok(m) = p.match_() else { return false };
    let mut in_port = None;
    for f in m.fields() {
        let Ok(f) = f else { return false };
        match f.typed() {
            Some(sdnwire_openflow::oxm::OxmField::InPort(p)) if in_port.is_none() => {
                in_port = Some(p.0)
            }
            other => {
                black_box(other);
            }
        }
    }
    sink(&PacketInSummary {
        buffer_id: p.buffer_id.0,
        total_len: p.total_len,
        reason: p.reason.0,
        table_id: p.table_id.0,
        cookie: p.cookie,
        in_port,
        data: p.data,
    });
    true
}

/// Not a library path: a hand-written decode straight off the bytes, with the checks our view
/// makes (version, type and length of the header; match type, length and zero padding; the
/// 2 zero pad bytes; the first TLV is `in_port` as switches send it, else the TLVs are walked).
/// It is the floor of what a zero-copy PACKET_IN view can cost, for the profile in
/// BENCHMARKS.md.
pub(crate) fn packet_in_handwritten(msg: &[u8], sink: impl FnOnce(&PacketInSummary<'_>)) -> bool {
    let Some((h, rest)) = msg.split_first_chunk::<8>() else {
        return false;
    };
    if h[0] != 4 || h[1] != 10 || usize::from(u16::from_be_bytes([h[2], h[3]])) != msg.len() {
        return false;
    }
    let Some((f, rest)) = rest.split_first_chunk::<20>() else {
        return false;
    };
    let mlen = usize::from(u16::from_be_bytes([f[18], f[19]]));
    if u16::from_be_bytes([f[16], f[17]]) != 1 || mlen < 4 {
        return false;
    }
    let Some((oxms_pad, rest)) = rest.split_at_checked(mlen.next_multiple_of(8) - 4) else {
        return false;
    };
    let (oxms, pad) = oxms_pad.split_at(mlen - 4);
    let Some((pad2, data)) = rest.split_first_chunk::<2>() else {
        return false;
    };
    if pad.iter().fold(0, |a, b| a | b) | pad2[0] | pad2[1] != 0 {
        return false;
    }
    let in_port = tlv_u32(oxms, 0x8000_0004);
    sink(&PacketInSummary {
        buffer_id: u32::from_be_bytes([f[0], f[1], f[2], f[3]]),
        total_len: u16::from_be_bytes([f[4], f[5]]),
        reason: f[6],
        table_id: f[7],
        cookie: u64::from_be_bytes([f[8], f[9], f[10], f[11], f[12], f[13], f[14], f[15]]),
        in_port,
        data,
    });
    true
}

/// The 4-byte value of the first TLV whose header is `header` in `oxms` (checking the framing
/// up to it).
fn tlv_u32(oxms: &[u8], header: u32) -> Option<u32> {
    let mut rest = oxms;
    while let Some((h, tail)) = rest.split_first_chunk::<4>() {
        let len = usize::from(h[3]);
        let (v, tail) = tail.split_at_checked(len)?;
        if u32::from_be_bytes(*h) == header {
            return v.first_chunk::<4>().map(|v| u32::from_be_bytes(*v));
        }
        rest = tail;
    }
    None
}

/// Our owned decode: `Message::parse` (allocates the match's field list and copies the frame).
pub(crate) fn packet_in_ours_owned(msg: &[u8], sink: impl FnOnce(&PacketInSummary<'_>)) -> bool {
    let Ok(Message {
        body: Body::PacketIn(p),
        ..
    }) = Message::parse(msg)
    else {
        return false;
    };
    sink(&PacketInSummary {
        buffer_id: p.buffer_id.0,
        total_len: p.total_len,
        reason: p.reason.0,
        table_id: p.table_id.0,
        cookie: p.cookie,
        in_port: p.in_port().map(|p| p.0),
        data: &p.data,
    });
    true
}

/// rovs-openflow as its `VConn::recv_packet_in` does it: `Header::decode` on the message's
/// `Bytes`, then `PacketIn::parse` on the body (decodes the whole match into its `Match`
/// struct, copies the frame into a `Vec`).
pub(crate) fn packet_in_rovs(msg: &Bytes, sink: impl FnOnce(&PacketInSummary<'_>)) -> bool {
    let mut b = msg.clone();
    let Ok(h) = rovs::Header::decode(&mut b) else {
        return false;
    };
    if h.msg_type != rovs::MessageType::PacketIn {
        return false;
    }
    let Ok(p) = rovs::PacketIn::parse(b) else {
        return false;
    };
    sink(&PacketInSummary {
        buffer_id: p.buffer_id,
        total_len: p.total_len,
        reason: p.reason as u8,
        table_id: p.table_id,
        cookie: p.cookie,
        in_port: p.match_fields.in_port,
        data: p.data(),
    });
    true
}

// ---------------------------------------------------------------------------------------------

/// What the walk reads from each flow entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct FlowSummary {
    /// `table_id`.
    pub table_id: u8,
    /// `priority`.
    pub priority: u16,
    /// `cookie`.
    pub cookie: u64,
    /// `duration_sec`.
    pub duration_sec: u32,
    /// `packet_count`.
    pub packet_count: u64,
    /// `byte_count`.
    pub byte_count: u64,
    /// The match's `in_port`.
    pub in_port: Option<u32>,
    /// The match's `eth_dst`.
    pub eth_dst: Option<[u8; 6]>,
    /// The port of the first output action of the apply-actions instruction.
    pub out_port: Option<u32>,
}

/// The 1000 flow entries: the three shapes of the flows in Open vSwitch's reply
/// (`openflow/testdata/ovs-flow-stats-reply.bin`), with varied values:
/// `priority=200,in_port=N,dl_dst=M actions=push_vlan:0x8100,set_field:4106->vlan_vid,output:P`
/// (timeouts, `send_flow_rem`), `priority=100,ip,in_port=N,nw_dst=A actions=output:P`, and a
/// learning switch's `priority=1,in_port=N,dl_dst=M,dl_src=S actions=output:P`.
pub(crate) fn flow_entries() -> Vec<FlowStats> {
    (0..u32::try_from(FLOWS).expect("a u32 count"))
        .map(|i| {
            let mac = |k: u32| {
                let [_, a, b, c] = k.to_be_bytes();
                [0, 0, 0, a, b, c]
            };
            let port = 1 + i % 48;
            let out = 1 + (i * 7) % 48;
            let mut f = match i % 3 {
                0 => {
                    let mut f = FlowStats::new(
                        200,
                        Match::new().in_port(port).eth_dst(mac(i)),
                        vec![Instruction::apply_actions(vec![
                            Action::push_vlan(),
                            Action::set_field(sdnwire_openflow::oxm::OxmField::VlanVid(
                                0x1000 | u16::try_from(i % 4000).expect("below 4000"),
                                None,
                            )),
                            Action::output(out),
                        ])],
                    );
                    f.idle_timeout = 600;
                    f.hard_timeout = 1200;
                    f.flags = FlowModFlags::SEND_FLOW_REM;
                    f
                }
                1 => FlowStats::new(
                    100,
                    Match::new()
                        .eth_type(0x0800)
                        .in_port(port)
                        .ipv4_dst(core::net::Ipv4Addr::from(0x0a00_0000 | i)),
                    vec![Instruction::apply_actions(vec![Action::output(out)])],
                ),
                _ => FlowStats::new(
                    1,
                    Match::new()
                        .in_port(port)
                        .eth_dst(mac(i))
                        .eth_src(mac(i + 0x10000)),
                    vec![Instruction::apply_actions(vec![Action::output(out)])],
                ),
            };
            f.table_id = TableId(0);
            f.cookie = 0x1000 + u64::from(i);
            f.duration_sec = i;
            f.duration_nsec = i * 1000;
            f.packet_count = u64::from(i) * 3;
            f.byte_count = u64::from(i) * 294;
            f
        })
        .collect()
}

/// The reply as a switch sends it: as many entries per MULTIPART_REPLY as fit in 65535 bytes
/// (Open vSwitch's `ofpmp_postappend` starts a new message when one would grow past that),
/// OFPMPF_REPLY_MORE on every message but the last, one xid.
pub(crate) fn flow_stats_reply() -> Vec<Vec<u8>> {
    const MAX: usize = 65535;
    const HEADERS: usize = 8 + 8;
    let mut parts: Vec<Vec<FlowStats>> = vec![Vec::new()];
    let mut len = HEADERS;
    for e in flow_entries() {
        let n = e.encoded_len();
        if len + n > MAX {
            parts.push(Vec::new());
            len = HEADERS;
        }
        len += n;
        parts.last_mut().expect("one part").push(e);
    }
    let last = parts.len() - 1;
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let body = MultipartReply::new(MultipartReplyBody::Flow(p)).with_more(i != last);
            Message::new(0x14, Body::MultipartReply(body))
                .to_vec()
                .expect("the reply encodes")
        })
        .collect()
}

/// Our zero-copy walk: per message `MessageView::parse` and `flow_stats()`;
/// per entry the fixed fields, one pass over the match's OXM TLVs, and the instructions and
/// their actions up to the first output. Nothing is allocated.
pub(crate) fn flows_ours_view(msgs: &[Vec<u8>], mut sink: impl FnMut(&FlowSummary)) -> bool {
    for m in msgs {
        let Ok(MessageView {
            body: BodyView::MultipartReply(r),
            ..
        }) = MessageView::parse(m)
        else {
            return false;
        };
        let Some(flows) = r.flow_stats() else {
            return false;
        };
        for f in flows {
            let Ok(f) = f else { return false };
            let mut s = FlowSummary {
                table_id: f.table_id.0,
                priority: f.priority,
                cookie: f.cookie,
                duration_sec: f.duration_sec,
                packet_count: f.packet_count,
                byte_count: f.byte_count,
                ..FlowSummary::default()
            };
            for x in f.match_.fields() {
                let Ok(x) = x else { return false };
                if x.class() != OFPXMC_OPENFLOW_BASIC || x.hasmask() {
                    continue;
                }
                match x.field() {
                    ofb::IN_PORT => {
                        s.in_port = x.value().try_into().ok().map(u32::from_be_bytes);
                    }
                    ofb::ETH_DST => s.eth_dst = x.value().try_into().ok(),
                    _ => {}
                }
            }
            'found: for i in f.instructions {
                let Ok(i) = i else { return false };
                if let InstructionView::ApplyActions(actions) = i {
                    for a in actions {
                        let Ok(a) = a else { return false };
                        if let ActionView::Output { port, .. } = a {
                            s.out_port = Some(port.0);
                            break 'found;
                        }
                    }
                }
            }
            sink(&s);
        }
    }
    true
}

/// Not a library path: a hand-written walk straight off the bytes, with the checks our view
/// makes on the way (header; multipart type; each entry's length, zero padding, match type,
/// length, TLV framing and padding; each instruction's and action's length, a multiple of 8
/// within its container; output actions exactly 16 bytes with zero padding), reading the
/// same values. It is the floor of what a zero-copy flow-stats walk can cost, for the profile
/// in BENCHMARKS.md.
pub(crate) fn flows_handwritten(msgs: &[Vec<u8>], mut sink: impl FnMut(&FlowSummary)) -> bool {
    for m in msgs {
        let Some((h, rest)) = m.split_first_chunk::<16>() else {
            return false;
        };
        if h[0] != 4
            || h[1] != 19
            || usize::from(u16::from_be_bytes([h[2], h[3]])) != m.len()
            || h[8..10] != [0, 1]
            || h[12..16] != [0; 4]
        {
            return false;
        }
        let mut rest = rest;
        while !rest.is_empty() {
            let Some((f, _)) = rest.split_first_chunk::<56>() else {
                return false;
            };
            let len = usize::from(u16::from_be_bytes([f[0], f[1]]));
            let Some((entry, tail)) = rest.split_at_checked(len) else {
                return false;
            };
            if len < 56 || f[3] | f[20] | f[21] | f[22] | f[23] != 0 {
                return false;
            }
            rest = tail;
            let be64 = |i: usize| {
                u64::from_be_bytes([
                    f[i],
                    f[i + 1],
                    f[i + 2],
                    f[i + 3],
                    f[i + 4],
                    f[i + 5],
                    f[i + 6],
                    f[i + 7],
                ])
            };
            let mut s = FlowSummary {
                table_id: f[2],
                priority: u16::from_be_bytes([f[12], f[13]]),
                cookie: be64(24),
                duration_sec: u32::from_be_bytes([f[4], f[5], f[6], f[7]]),
                packet_count: be64(32),
                byte_count: be64(40),
                ..FlowSummary::default()
            };
            // The match: type, length, TLVs (reading in_port and eth_dst), zero padding.
            let mlen = usize::from(u16::from_be_bytes([f[50], f[51]]));
            if u16::from_be_bytes([f[48], f[49]]) != 1 || mlen < 4 {
                return false;
            }
            let Some((m, insts)) = entry[48..].split_at_checked(mlen.next_multiple_of(8)) else {
                return false;
            };
            let (mut oxms, pad) = m[4..].split_at(mlen - 4);
            if pad.iter().fold(0, |a, b| a | b) != 0 {
                return false;
            }
            while let Some((t, tail)) = oxms.split_first_chunk::<4>() {
                let Some((v, tail)) = tail.split_at_checked(usize::from(t[3])) else {
                    return false;
                };
                match u32::from_be_bytes(*t) {
                    0x8000_0004 => s.in_port = v.first_chunk().map(|v| u32::from_be_bytes(*v)),
                    0x8000_0606 => s.eth_dst = v.first_chunk().copied(),
                    _ => {}
                }
                oxms = tail;
            }
            if !oxms.is_empty() {
                return false;
            }
            // The instructions, up to the first output of an apply-actions.
            let mut insts = insts;
            'found: while let Some((i, _)) = insts.split_first_chunk::<8>() {
                let ilen = usize::from(u16::from_be_bytes([i[2], i[3]]));
                if ilen < 8 || ilen % 8 != 0 || ilen > insts.len() {
                    return false;
                }
                let (inst, tail) = insts.split_at(ilen);
                insts = tail;
                if u16::from_be_bytes([i[0], i[1]]) != 4 {
                    continue;
                }
                if i[4..8] != [0; 4] {
                    return false;
                }
                let mut acts = &inst[8..];
                while let Some((a, _)) = acts.split_first_chunk::<8>() {
                    let alen = usize::from(u16::from_be_bytes([a[2], a[3]]));
                    if alen < 8 || alen % 8 != 0 || alen > acts.len() {
                        return false;
                    }
                    if u16::from_be_bytes([a[0], a[1]]) == 0 {
                        let Some(o) = acts.first_chunk::<16>() else {
                            return false;
                        };
                        if alen != 16 || o[10..16] != [0; 6] {
                            return false;
                        }
                        s.out_port = Some(u32::from_be_bytes([o[4], o[5], o[6], o[7]]));
                        break 'found;
                    }
                    acts = &acts[alen..];
                }
            }
            sink(&s);
        }
    }
    true
}

/// Our owned walk: `Message::parse` per message (every entry, match field, instruction and
/// action decoded into vectors), then the typed getters.
pub(crate) fn flows_ours_owned(msgs: &[Vec<u8>], mut sink: impl FnMut(&FlowSummary)) -> bool {
    for m in msgs {
        let Ok(Message {
            body: Body::MultipartReply(r),
            ..
        }) = Message::parse(m)
        else {
            return false;
        };
        let MultipartReplyBody::Flow(flows) = &r.body else {
            return false;
        };
        for f in flows {
            let out_port = f.instructions.iter().find_map(|i| match i {
                Instruction::ApplyActions(a) => a.iter().find_map(|a| match a {
                    Action::Output { port, .. } => Some(port.0),
                    _ => None,
                }),
                _ => None,
            });
            sink(&FlowSummary {
                table_id: f.table_id.0,
                priority: f.priority,
                cookie: f.cookie,
                duration_sec: f.duration_sec,
                packet_count: f.packet_count,
                byte_count: f.byte_count,
                in_port: f.match_.get_in_port().map(|p| p.0),
                eth_dst: f.match_.get_eth_dst().map(|m| m.0),
                out_port,
            });
        }
    }
    true
}

/// rovs-openflow as its `VConn::dump_flows` does it (its `parse_flow_stats_reply` is not
/// public, so the same steps through the public API): `Header::decode` on each message's
/// `Bytes`, the multipart type and flags, `FlowStatsEntry::decode` per entry (decodes the
/// match into its `Match` struct, copies the instructions into a `Vec`), then
/// `decoded_instructions()` for the actions.
pub(crate) fn flows_rovs(msgs: &[Bytes], mut sink: impl FnMut(&FlowSummary)) -> bool {
    for m in msgs {
        let mut b = m.clone();
        let Ok(h) = rovs::Header::decode(&mut b) else {
            return false;
        };
        if h.msg_type != rovs::MessageType::MultipartReply || b.len() < 8 {
            return false;
        }
        let ty = u16::from_be_bytes([b[0], b[1]]);
        if !matches!(
            rovs::MultipartType::try_from(ty),
            Ok(rovs::MultipartType::Flow)
        ) {
            return false;
        }
        let mut at = 8;
        while at + 4 <= b.len() {
            let Ok((e, n)) = rovs::FlowStatsEntry::decode(&b[at..]) else {
                return false;
            };
            at += n;
            let Ok(insts) = e.decoded_instructions() else {
                return false;
            };
            let out_port = insts.instructions().iter().find_map(|i| match i {
                rovs::Instruction::ApplyActions(a) => a.actions().iter().find_map(|a| match a {
                    rovs::Action::Output(p) => Some(p.to_wire_port()),
                    _ => None,
                }),
                _ => None,
            });
            sink(&FlowSummary {
                table_id: e.table_id,
                priority: e.priority,
                cookie: e.cookie,
                duration_sec: e.duration_sec,
                packet_count: e.packet_count,
                byte_count: e.byte_count,
                in_port: e.match_fields.in_port,
                eth_dst: e.match_fields.eth_dst,
                out_port,
            });
        }
    }
    true
}

// ---------------------------------------------------------------------------------------------

/// The learning switch's flow: its source and destination MACs and ports.
pub(crate) const FLOW_IN_PORT: u32 = 1;
/// The output port.
pub(crate) const FLOW_OUT_PORT: u32 = 2;
/// `eth_dst`.
pub(crate) const FLOW_DST: [u8; 6] = [0, 0, 0, 0, 0, 2];
/// `eth_src`.
pub(crate) const FLOW_SRC: [u8; 6] = [0, 0, 0, 0, 0, 1];
/// The message's xid.
pub(crate) const FLOW_XID: u32 = 7;

/// Our FlowMod, built with the builder (the values through `black_box`, as for the peer).
pub(crate) fn flow_mod_ours() -> Message {
    let fm = FlowMod::add()
        .priority(1)
        .matching(
            Match::new()
                .in_port(black_box(FLOW_IN_PORT))
                .eth_dst(black_box(FLOW_DST))
                .eth_src(black_box(FLOW_SRC)),
        )
        .apply_actions([Action::output(black_box(FLOW_OUT_PORT))]);
    Message::new(FLOW_XID, Body::FlowMod(fm))
}

/// rovs-openflow's `Flow`, built with its builder.
pub(crate) fn flow_mod_rovs() -> rovs::Flow {
    rovs::Flow::add()
        .table(0)
        .priority(1)
        .match_fields(
            rovs::Match::new()
                .in_port(black_box(FLOW_IN_PORT))
                .eth_dst(black_box(FLOW_DST))
                .eth_src(black_box(FLOW_SRC)),
        )
        .actions(rovs::ActionList::new().output(black_box(FLOW_OUT_PORT)))
}

/// Ours, build and encode: the builder, then `Encode::encode_append` into a reused buffer.
pub(crate) fn flow_mod_ours_build_encode(out: &mut Vec<u8>) -> bool {
    out.clear();
    flow_mod_ours().encode_append(out).is_ok()
}

/// Ours, encode a built message into a reused buffer.
pub(crate) fn flow_mod_ours_encode(m: &Message, out: &mut Vec<u8>) -> bool {
    out.clear();
    m.encode_append(out).is_ok()
}

/// rovs-openflow, build and encode: the builder, `to_message`, `Message::encode` (a new
/// `BytesMut`, as its `VConn::send_flow` does).
pub(crate) fn flow_mod_rovs_build_encode() -> bytes::BytesMut {
    flow_mod_rovs()
        .to_message(rovs::Version::Of13, FLOW_XID)
        .encode()
}

/// rovs-openflow, encode a built `Flow`.
pub(crate) fn flow_mod_rovs_encode(f: &rovs::Flow) -> bytes::BytesMut {
    f.to_message(rovs::Version::Of13, FLOW_XID).encode()
}

// ---------------------------------------------------------------------------------------------

/// Checks that every implementation computes the same thing; panics otherwise.
pub(crate) fn check_all() {
    // PACKET_IN.
    type Owned = (u32, u16, u8, u8, u64, Option<u32>, Vec<u8>);
    fn owned(s: &PacketInSummary<'_>) -> Owned {
        let d = s.data.to_vec();
        (
            s.buffer_id,
            s.total_len,
            s.reason,
            s.table_id,
            s.cookie,
            s.in_port,
            d,
        )
    }
    let mut got: Vec<Owned> = Vec::new();
    assert!(packet_in_ours_view(PACKET_IN, |s| got.push(owned(s))));
    assert!(packet_in_ours_view_match(PACKET_IN, |s| got.push(owned(s))));
    assert!(packet_in_ours_owned(PACKET_IN, |s| got.push(owned(s))));
    assert!(packet_in_handwritten(PACKET_IN, |s| got.push(owned(s))));
    assert!(packet_in_rovs(&Bytes::from_static(PACKET_IN), |s| {
        got.push(owned(s))
    }));
    assert_eq!(got.len(), 5);
    assert_eq!(got[0].5, Some(1), "PACKET_IN: in_port");
    assert_eq!(got[0].6.len(), 98, "PACKET_IN: the frame");
    for g in &got {
        assert_eq!(g, &got[0], "PACKET_IN: the implementations disagree");
    }

    // Flow stats.
    let msgs = flow_stats_reply();
    assert!(msgs.len() >= 2, "1000 entries take more than one message");
    assert!(msgs.iter().all(|m| m.len() <= 65535));
    let bytes: Vec<Bytes> = msgs.iter().map(|m| Bytes::from(m.clone())).collect();
    let (mut a, mut b, mut c, mut d) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    assert!(flows_ours_view(&msgs, |s| a.push(*s)));
    assert!(flows_ours_owned(&msgs, |s| b.push(*s)));
    assert!(flows_rovs(&bytes, |s| c.push(*s)));
    assert!(flows_handwritten(&msgs, |s| d.push(*s)));
    assert_eq!(a.len(), FLOWS);
    assert!(a
        .iter()
        .all(|s| s.in_port.is_some() && s.out_port.is_some()));
    let with_eth_dst = (0..FLOWS).filter(|i| i % 3 != 1).count();
    assert_eq!(
        a.iter().filter(|s| s.eth_dst.is_some()).count(),
        with_eth_dst
    );
    assert_eq!(a, b, "flow stats: our view and our owned walk disagree");
    assert_eq!(a, c, "flow stats: ours and rovs-openflow disagree");
    assert_eq!(
        a, d,
        "flow stats: our view and the hand-written walk disagree"
    );

    // FlowMod.
    let mut ours = Vec::new();
    assert!(flow_mod_ours_build_encode(&mut ours));
    let mut ours2 = Vec::new();
    assert!(flow_mod_ours_encode(&flow_mod_ours(), &mut ours2));
    let theirs = flow_mod_rovs_build_encode();
    let theirs2 = flow_mod_rovs_encode(&flow_mod_rovs());
    assert_eq!(ours, ours2);
    assert_eq!(&theirs[..], &theirs2[..]);
    assert_eq!(
        ours,
        &theirs[..],
        "FlowMod: ours and rovs-openflow encode different bytes"
    );
    assert_eq!(Message::parse(&ours).ok(), Some(flow_mod_ours()));
}
