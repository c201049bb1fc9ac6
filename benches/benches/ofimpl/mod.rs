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
use core::ops::ControlFlow;
use rovs_openflow as rovs;

use sdnwire_openflow::action::{Action, ActionList, ActionView, ActionVisitor, SetFieldView};
use sdnwire_openflow::flow_mod::{FlowMod, FlowModFlags};
use sdnwire_openflow::instruction::{
    Instruction, InstructionList, InstructionView, InstructionVisitor,
};
use sdnwire_openflow::multipart::{FlowStats, MultipartReply, MultipartReplyBody};
use sdnwire_openflow::oxm::{ofb, Match, MatchView, OFPXMC_OPENFLOW_BASIC};
use sdnwire_openflow::{Body, BodyView, Encode, GroupId, Message, MessageView, PortNo, TableId};

mod inline_floor;
// Each includer (bench, profile example, test) uses some of them.
#[allow(unused_imports)]
pub(crate) use inline_floor::{
    flow_mod_parse_handwritten_flat, flow_mod_parse_handwritten_flat8,
    flow_mod_parse_handwritten_inline, flow_mod_parse_handwritten_inline1p,
    flow_mod_parse_handwritten_inline2, flow_mod_parse_handwritten_vec, flows_handwritten_flat,
    flows_handwritten_inline, flows_handwritten_inline1p, flows_handwritten_inline2,
    flows_handwritten_vec, sizes as inline_floor_sizes,
};

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

/// Not a library path: the floor of an owned PACKET_IN decode with our owned types. The checks
/// of [`packet_in_handwritten`] plus the typed value of every OXM TLV (the fixture's `in_port`;
/// any other TLV fails it), then the owned values `Message::parse` builds: the match's fields
/// in their inline storage (sized by the counted TLVs; a heap allocation past 4) and the frame
/// copied into its inline storage (a heap allocation past 128 bytes), in the same `Message`,
/// read as [`packet_in_ours_owned`] reads it. What it costs beyond [`packet_in_handwritten`] is
/// the copies into the owned value and its moves.
pub(crate) fn packet_in_handwritten_owned(
    msg: &[u8],
    sink: impl FnOnce(&PacketInSummary<'_>),
) -> bool {
    use sdnwire_openflow::oxm::{MatchFields, OxmField};
    use sdnwire_openflow::packet_in::{PacketIn, PacketInData, PacketInReason};
    use sdnwire_openflow::{BufferId, PortNo};
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
    // The TLVs counted (framing checked), then each decoded into the vector sized for them.
    let mut n = 0;
    let mut rest = oxms;
    while let Some((t, tail)) = rest.split_first_chunk::<4>() {
        let Some(tail) = tail.get(usize::from(t[3])..) else {
            return false;
        };
        rest = tail;
        n += 1;
    }
    if !rest.is_empty() {
        return false;
    }
    let mut fields = MatchFields::with_capacity(n);
    let mut rest = oxms;
    while let Some((t, tail)) = rest.split_first_chunk::<8>() {
        if u32::from_be_bytes([t[0], t[1], t[2], t[3]]) != 0x8000_0004 {
            return false;
        }
        fields.push(OxmField::InPort(PortNo(u32::from_be_bytes([
            t[4], t[5], t[6], t[7],
        ]))));
        rest = tail;
    }
    if !rest.is_empty() {
        return false;
    }
    let m = Message {
        xid: u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
        body: Body::PacketIn(PacketIn {
            buffer_id: BufferId(u32::from_be_bytes([f[0], f[1], f[2], f[3]])),
            total_len: u16::from_be_bytes([f[4], f[5]]),
            reason: PacketInReason(f[6]),
            table_id: TableId(f[7]),
            cookie: u64::from_be_bytes([f[8], f[9], f[10], f[11], f[12], f[13], f[14], f[15]]),
            match_: Match { fields },
            data: PacketInData::from_slice(data),
        }),
    };
    let m = black_box(m);
    let Body::PacketIn(p) = &m.body else {
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

/// Our owned decode: `Message::parse` (the match's fields and the frame copied into the owned
/// value: inline for this fixture, nothing allocated).
pub(crate) fn packet_in_ours_owned(msg: &[u8], sink: impl FnOnce(&PacketInSummary<'_>)) -> bool {
    // Read in place, as `packet_in_handwritten_owned` reads its message (moving the
    // 336-byte `Message` out of the `Result` would add a copy).
    let r = Message::parse(msg);
    let Ok(m) = &r else {
        return false;
    };
    let Body::PacketIn(p) = &m.body else {
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

/// Every field of a match the benchmarks' flows use, read into plain values (every OXM TLV is
/// read: a field outside this list makes the readers fail, so none is skipped silently).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct MatchFields {
    pub in_port: Option<u32>,
    pub eth_dst: Option<[u8; 6]>,
    pub eth_src: Option<[u8; 6]>,
    pub eth_type: Option<u16>,
    pub ipv4_dst: Option<u32>,
}

impl MatchFields {
    fn fold(&self) -> u64 {
        let mac = |m: Option<[u8; 6]>| {
            m.map_or(0, |m| {
                u64::from_be_bytes([0, 0, m[0], m[1], m[2], m[3], m[4], m[5]])
            })
        };
        u64::from(self.in_port.unwrap_or(0))
            ^ mac(self.eth_dst).rotate_left(7)
            ^ mac(self.eth_src).rotate_left(13)
            ^ u64::from(self.eth_type.unwrap_or(0)) << 40
            ^ u64::from(self.ipv4_dst.unwrap_or(0)) << 8
    }
}

/// One action, as plain values (as rovs-openflow's `Action` holds it: an output to
/// `CONTROLLER` is its own kind, with `max_len`; a set-field of `vlan_vid` is the 12-bit VLAN).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Act {
    #[default]
    None,
    Output(u32),
    Controller(u16),
    PushVlan(u16),
    PopVlan,
    SetVlanVid(u16),
    SetEthSrc([u8; 6]),
    SetEthDst([u8; 6]),
    DecTtl,
    Group(u32),
}

impl Act {
    fn fold(&self) -> u64 {
        match *self {
            Act::None => 0,
            Act::Output(p) => 1 ^ u64::from(p) << 8,
            Act::Controller(m) => 2 ^ u64::from(m) << 8,
            Act::PushVlan(e) => 3 ^ u64::from(e) << 8,
            Act::PopVlan => 4,
            Act::SetVlanVid(v) => 5 ^ u64::from(v) << 8,
            Act::SetEthSrc(m) | Act::SetEthDst(m) => {
                6 ^ u64::from_be_bytes([0, 0, m[0], m[1], m[2], m[3], m[4], m[5]]) << 8
            }
            Act::DecTtl => 7,
            Act::Group(g) => 8 ^ u64::from(g) << 8,
        }
    }
}

/// Up to [`MAX_ACTS`] actions of an apply-actions instruction, in order.
pub(crate) const MAX_ACTS: usize = 8;

/// What a controller reads from one flow entry: every fixed field, every match field, the
/// goto-table and every action of the apply-actions instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct FlowSummary {
    pub table_id: u8,
    pub priority: u16,
    pub idle_timeout: u16,
    pub hard_timeout: u16,
    pub flags: u16,
    pub cookie: u64,
    pub duration_sec: u32,
    pub duration_nsec: u32,
    pub packet_count: u64,
    pub byte_count: u64,
    pub match_: MatchFields,
    pub goto_table: Option<u8>,
    pub n_actions: u8,
    pub actions: [Act; MAX_ACTS],
}

impl FlowSummary {
    /// Appends an action; false when the list is full.
    #[inline]
    pub(crate) fn push(&mut self, a: Act) -> bool {
        match self.actions.get_mut(usize::from(self.n_actions)) {
            Some(slot) => {
                *slot = a;
                self.n_actions += 1;
                true
            }
            None => false,
        }
    }

    /// Every value folded into one number (what the benchmarks do with an entry: every value
    /// read is used, so the compiler cannot drop any of the work).
    pub(crate) fn fold(&self) -> u64 {
        let mut acc = self.packet_count ^ self.byte_count ^ self.cookie;
        acc = acc
            .wrapping_add(u64::from(self.priority) + u64::from(self.duration_sec))
            .wrapping_add(u64::from(self.duration_nsec) << 20)
            .wrapping_add(u64::from(self.idle_timeout) << 32 | u64::from(self.hard_timeout))
            .wrapping_add(u64::from(self.flags) << 48 | u64::from(self.table_id))
            .wrapping_add(self.match_.fold())
            .wrapping_add(u64::from(self.goto_table.map_or(0x100, u16::from)));
        for a in &self.actions[..usize::from(self.n_actions)] {
            acc = acc.rotate_left(5).wrapping_add(a.fold());
        }
        acc
    }
}

/// Our view's match, every TLV read into `m`; `None` on a malformed TLV or a field outside
/// [`MatchFields`].
#[inline]
fn ours_match(fields: sdnwire_openflow::oxm::OxmIter<'_>, m: &mut MatchFields) -> Option<()> {
    for x in fields {
        let x = x.ok()?;
        if x.class() != OFPXMC_OPENFLOW_BASIC || x.hasmask() {
            return None;
        }
        let v = x.value();
        match x.field() {
            ofb::IN_PORT => m.in_port = Some(u32::from_be_bytes(v.try_into().ok()?)),
            ofb::ETH_DST => m.eth_dst = Some(v.try_into().ok()?),
            ofb::ETH_SRC => m.eth_src = Some(v.try_into().ok()?),
            ofb::ETH_TYPE => m.eth_type = Some(u16::from_be_bytes(v.try_into().ok()?)),
            ofb::IPV4_DST => m.ipv4_dst = Some(u32::from_be_bytes(v.try_into().ok()?)),
            _ => return None,
        }
    }
    Some(())
}

/// Our view's instructions, every one read (goto-table, every action of apply-actions);
/// `None` on a malformed one or a kind outside [`FlowSummary`].
#[inline]
fn ours_instructions(
    insts: sdnwire_openflow::instruction::InstructionsView<'_>,
    s: &mut FlowSummary,
) -> Option<()> {
    for i in insts {
        match i.ok()? {
            InstructionView::GotoTable(t) => s.goto_table = Some(t.0),
            InstructionView::ApplyActions(actions) => {
                for a in actions {
                    let a = match a.ok()? {
                        ActionView::Output { port, max_len } => {
                            if port == sdnwire_openflow::PortNo::CONTROLLER {
                                Act::Controller(max_len)
                            } else {
                                Act::Output(port.0)
                            }
                        }
                        ActionView::PushVlan(e) => Act::PushVlan(e),
                        ActionView::PopVlan => Act::PopVlan,
                        ActionView::DecNwTtl => Act::DecTtl,
                        ActionView::Group(g) => Act::Group(g.0),
                        ActionView::SetField(f) => {
                            let b = f.oxm_bytes();
                            let (h, v) = b.split_first_chunk::<4>()?;
                            match u32::from_be_bytes(*h) {
                                0x8000_0c02 => {
                                    Act::SetVlanVid(u16::from_be_bytes(v.try_into().ok()?) & 0xfff)
                                }
                                0x8000_0806 => Act::SetEthSrc(v.try_into().ok()?),
                                0x8000_0606 => Act::SetEthDst(v.try_into().ok()?),
                                _ => return None,
                            }
                        }
                        _ => return None,
                    };
                    if !s.push(a) {
                        return None;
                    }
                }
            }
            _ => return None,
        }
    }
    Some(())
}

/// Our view's match through `MatchView::tlvs()` (the TLVs whose framing the view's `parse`
/// checked, as plain items), each TLV's 32-bit header compared whole (class, field, mask bit,
/// length); `None` on a field outside [`MatchFields`].
#[inline]
fn ours_match_tlvs(m: &MatchView<'_>, mf: &mut MatchFields) -> Option<()> {
    for x in m.tlvs() {
        let v = x.payload();
        match x.header().0 {
            0x8000_0004 => mf.in_port = Some(u32::from_be_bytes(v.try_into().ok()?)),
            0x8000_0606 => mf.eth_dst = Some(v.try_into().ok()?),
            0x8000_0806 => mf.eth_src = Some(v.try_into().ok()?),
            0x8000_0a02 => mf.eth_type = Some(u16::from_be_bytes(v.try_into().ok()?)),
            0x8000_1804 => mf.ipv4_dst = Some(u32::from_be_bytes(v.try_into().ok()?)),
            _ => return None,
        }
    }
    Some(())
}

/// Our visitor over a flow's instructions and actions ([`InstructionVisitor`],
/// [`ActionVisitor`]): goto-table and every action of apply-actions into the
/// [`FlowSummary`]; any other kind stops the walk (the reader then fails, as
/// [`ours_instructions`] does).
struct SummaryVisitor<'s>(&'s mut FlowSummary);

impl SummaryVisitor<'_> {
    #[inline(always)]
    fn push(&mut self, a: Act) -> ControlFlow<()> {
        if self.0.push(a) {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    }
}

impl<'a> ActionVisitor<'a> for SummaryVisitor<'_> {
    #[inline(always)]
    fn output(&mut self, port: PortNo, max_len: u16) -> ControlFlow<()> {
        self.push(if port == PortNo::CONTROLLER {
            Act::Controller(max_len)
        } else {
            Act::Output(port.0)
        })
    }

    #[inline(always)]
    fn push_vlan(&mut self, ethertype: u16) -> ControlFlow<()> {
        self.push(Act::PushVlan(ethertype))
    }

    #[inline(always)]
    fn pop_vlan(&mut self) -> ControlFlow<()> {
        self.push(Act::PopVlan)
    }

    #[inline(always)]
    fn dec_nw_ttl(&mut self) -> ControlFlow<()> {
        self.push(Act::DecTtl)
    }

    #[inline(always)]
    fn group(&mut self, group: GroupId) -> ControlFlow<()> {
        self.push(Act::Group(group.0))
    }

    #[inline(always)]
    fn set_field(&mut self, field: SetFieldView<'a>) -> ControlFlow<()> {
        let oxm = field.oxm();
        let v = oxm.payload();
        let a = match (oxm.header().0, v.len()) {
            (0x8000_0c02, 2) => Act::SetVlanVid(u16::from_be_bytes([v[0], v[1]]) & 0xfff),
            (0x8000_0806, 6) => Act::SetEthSrc([v[0], v[1], v[2], v[3], v[4], v[5]]),
            (0x8000_0606, 6) => Act::SetEthDst([v[0], v[1], v[2], v[3], v[4], v[5]]),
            _ => return ControlFlow::Break(()),
        };
        self.push(a)
    }

    #[inline]
    fn other(&mut self, _action: ActionView<'a>) -> ControlFlow<()> {
        ControlFlow::Break(())
    }
}

impl<'a> InstructionVisitor<'a> for SummaryVisitor<'_> {
    #[inline(always)]
    fn goto_table(&mut self, table_id: TableId) -> sdnwire_openflow::Result<ControlFlow<()>> {
        self.0.goto_table = Some(table_id.0);
        Ok(ControlFlow::Continue(()))
    }

    #[inline(always)]
    fn apply_actions(
        &mut self,
        actions: sdnwire_openflow::action::ActionsView<'a>,
    ) -> sdnwire_openflow::Result<ControlFlow<()>> {
        actions.visit(self)
    }

    #[inline]
    fn other(&mut self, _i: InstructionView<'a>) -> sdnwire_openflow::Result<ControlFlow<()>> {
        Ok(ControlFlow::Break(()))
    }
}

/// Our view's instructions through the visitor; `None` on a malformed one or a kind outside
/// [`FlowSummary`].
#[inline]
fn ours_visit(
    insts: &sdnwire_openflow::instruction::InstructionsView<'_>,
    s: &mut FlowSummary,
) -> Option<()> {
    match insts.visit(&mut SummaryVisitor(s)) {
        Ok(ControlFlow::Continue(())) => Some(()),
        _ => None,
    }
}

/// Our owned match and instructions into the same plain values.
fn owned_into(m: &Match, insts: &[Instruction], s: &mut FlowSummary) -> Option<()> {
    use sdnwire_openflow::oxm::OxmField as F;
    for f in &m.fields {
        match f {
            F::InPort(p) => s.match_.in_port = Some(p.0),
            F::EthDst(a, None) => s.match_.eth_dst = Some(a.0),
            F::EthSrc(a, None) => s.match_.eth_src = Some(a.0),
            F::EthType(t) => s.match_.eth_type = Some(*t),
            F::Ipv4Dst(a, None) => s.match_.ipv4_dst = Some(u32::from(*a)),
            _ => return None,
        }
    }
    for i in insts {
        match i {
            Instruction::GotoTable(t) => s.goto_table = Some(t.0),
            Instruction::ApplyActions(actions) => {
                for a in actions {
                    let a = match a {
                        Action::Output { port, max_len } => {
                            if *port == sdnwire_openflow::PortNo::CONTROLLER {
                                Act::Controller(*max_len)
                            } else {
                                Act::Output(port.0)
                            }
                        }
                        Action::PushVlan(e) => Act::PushVlan(*e),
                        Action::PopVlan => Act::PopVlan,
                        Action::DecNwTtl => Act::DecTtl,
                        Action::Group(g) => Act::Group(g.0),
                        Action::SetField(F::VlanVid(v, None)) => Act::SetVlanVid(v & 0xfff),
                        Action::SetField(F::EthSrc(a, None)) => Act::SetEthSrc(a.0),
                        Action::SetField(F::EthDst(a, None)) => Act::SetEthDst(a.0),
                        _ => return None,
                    };
                    if !s.push(a) {
                        return None;
                    }
                }
            }
            _ => return None,
        }
    }
    Some(())
}

/// rovs-openflow's decoded match and instructions into the same plain values.
fn rovs_into(m: &rovs::Match, insts: &rovs::InstructionList, s: &mut FlowSummary) -> Option<()> {
    s.match_ = MatchFields {
        in_port: m.in_port,
        eth_dst: m.eth_dst,
        eth_src: m.eth_src,
        eth_type: m.eth_type,
        ipv4_dst: m.ipv4_dst.map(u32::from),
    };
    for i in insts.instructions() {
        match i {
            rovs::Instruction::GotoTable(t) => s.goto_table = Some(*t),
            rovs::Instruction::ApplyActions(a) => {
                for a in a.actions() {
                    let a = match a {
                        rovs::Action::Output(p) => Act::Output(p.to_wire_port()),
                        rovs::Action::Controller { max_len } => Act::Controller(*max_len),
                        rovs::Action::PushVlan(e) => Act::PushVlan(*e),
                        rovs::Action::PopVlan => Act::PopVlan,
                        rovs::Action::DecTtl => Act::DecTtl,
                        rovs::Action::Group(g) => Act::Group(*g),
                        rovs::Action::SetVlanVid(v) => Act::SetVlanVid(*v),
                        rovs::Action::SetEthSrc(m) => Act::SetEthSrc(*m),
                        rovs::Action::SetEthDst(m) => Act::SetEthDst(*m),
                        _ => return None,
                    };
                    if !s.push(a) {
                        return None;
                    }
                }
            }
            _ => return None,
        }
    }
    Some(())
}

/// The hand-written reading of a match's TLVs (the checks of our view: framing; the values'
/// lengths), every TLV into `m`.
#[inline]
fn hw_match(mut oxms: &[u8], m: &mut MatchFields) -> Option<()> {
    while let Some((t, tail)) = oxms.split_first_chunk::<4>() {
        let (v, tail) = tail.split_at_checked(usize::from(t[3]))?;
        match u32::from_be_bytes(*t) {
            0x8000_0004 => m.in_port = Some(u32::from_be_bytes(v.try_into().ok()?)),
            0x8000_0606 => m.eth_dst = Some(v.try_into().ok()?),
            0x8000_0806 => m.eth_src = Some(v.try_into().ok()?),
            0x8000_0a02 => m.eth_type = Some(u16::from_be_bytes(v.try_into().ok()?)),
            0x8000_1804 => m.ipv4_dst = Some(u32::from_be_bytes(v.try_into().ok()?)),
            _ => return None,
        }
        oxms = tail;
    }
    oxms.is_empty().then_some(())
}

/// The hand-written reading of an instruction list (our view's checks: lengths at least 8,
/// multiples of 8, within the list; fixed sizes exact; padding zero; a set-field's OXM filling
/// it up to zero padding), every instruction and action into `s`.
#[inline]
fn hw_instructions(mut insts: &[u8], s: &mut FlowSummary) -> Option<()> {
    while let Some((i, _)) = insts.split_first_chunk::<8>() {
        let ilen = usize::from(u16::from_be_bytes([i[2], i[3]]));
        if ilen < 8 || ilen % 8 != 0 || ilen > insts.len() {
            return None;
        }
        let (inst, tail) = insts.split_at(ilen);
        insts = tail;
        match u16::from_be_bytes([i[0], i[1]]) {
            1 if ilen == 8 && i[5..8] == [0; 3] => s.goto_table = Some(i[4]),
            4 if i[4..8] == [0; 4] => {
                let mut acts = &inst[8..];
                while let Some((a, _)) = acts.split_first_chunk::<8>() {
                    let alen = usize::from(u16::from_be_bytes([a[2], a[3]]));
                    if alen < 8 || alen % 8 != 0 || alen > acts.len() {
                        return None;
                    }
                    let (act, tail) = acts.split_at(alen);
                    acts = tail;
                    let x = match (u16::from_be_bytes([a[0], a[1]]), alen) {
                        (0, 16) if act[10..16] == [0; 6] => {
                            let port = u32::from_be_bytes([a[4], a[5], a[6], a[7]]);
                            if port == 0xffff_fffd {
                                Act::Controller(u16::from_be_bytes([act[8], act[9]]))
                            } else {
                                Act::Output(port)
                            }
                        }
                        (17, 8) if a[6..8] == [0; 2] => {
                            Act::PushVlan(u16::from_be_bytes([a[4], a[5]]))
                        }
                        (18, 8) if a[4..8] == [0; 4] => Act::PopVlan,
                        (24, 8) if a[4..8] == [0; 4] => Act::DecTtl,
                        (22, 8) => Act::Group(u32::from_be_bytes([a[4], a[5], a[6], a[7]])),
                        (25, _) => {
                            let oxm_end = 8 + usize::from(a[7]);
                            if oxm_end.next_multiple_of(8) != alen
                                || act[oxm_end..].iter().any(|b| *b != 0)
                            {
                                return None;
                            }
                            let v = &act[8..oxm_end];
                            match u32::from_be_bytes([a[4], a[5], a[6], a[7]]) {
                                0x8000_0c02 => {
                                    Act::SetVlanVid(u16::from_be_bytes(v.try_into().ok()?) & 0xfff)
                                }
                                0x8000_0806 => Act::SetEthSrc(v.try_into().ok()?),
                                0x8000_0606 => Act::SetEthDst(v.try_into().ok()?),
                                _ => return None,
                            }
                        }
                        _ => return None,
                    };
                    if !s.push(x) {
                        return None;
                    }
                }
                if !acts.is_empty() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    insts.is_empty().then_some(())
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
            let mut f = match i % 4 {
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
                2 => FlowStats::new(
                    1,
                    Match::new()
                        .in_port(port)
                        .eth_dst(mac(i))
                        .eth_src(mac(i + 0x10000)),
                    vec![Instruction::apply_actions(vec![Action::output(out)])],
                ),
                // A router's flow, the long action list: rewrite both MACs, decrement the TTL,
                // pop the VLAN, go through a group, copy to the controller, output; then on to
                // table 1.
                _ => FlowStats::new(
                    300,
                    Match::new()
                        .eth_type(0x0800)
                        .in_port(port)
                        .ipv4_dst(core::net::Ipv4Addr::from(0x0a01_0000 | i)),
                    vec![
                        Instruction::apply_actions(vec![
                            Action::PopVlan,
                            Action::set_field(sdnwire_openflow::oxm::OxmField::EthSrc(
                                mac(i + 0x20000).into(),
                                None,
                            )),
                            Action::set_field(sdnwire_openflow::oxm::OxmField::EthDst(
                                mac(i + 0x30000).into(),
                                None,
                            )),
                            Action::DecNwTtl,
                            Action::group(i % 16),
                            Action::output_to_controller(128),
                            Action::output(out),
                        ]),
                        Instruction::goto_table(1u8),
                    ],
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

/// The fixed fields of a flow-stats entry, as the views and the owned values hold them.
macro_rules! flow_head {
    ($f:expr) => {
        FlowSummary {
            table_id: $f.table_id.0,
            priority: $f.priority,
            idle_timeout: $f.idle_timeout,
            hard_timeout: $f.hard_timeout,
            flags: $f.flags.0,
            cookie: $f.cookie,
            duration_sec: $f.duration_sec,
            duration_nsec: $f.duration_nsec,
            packet_count: $f.packet_count,
            byte_count: $f.byte_count,
            ..FlowSummary::default()
        }
    };
}

/// Our zero-copy walk: per message `MessageView::parse` and `flow_stats()`; per entry the
/// fixed fields, every OXM TLV of the match (`MatchView::tlvs()`), every instruction and
/// every action (`InstructionsView::visit` with [`SummaryVisitor`]), read into a
/// [`FlowSummary`]. Nothing is allocated.
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
            let mut s = flow_head!(f);
            if ours_match_tlvs(&f.match_, &mut s.match_).is_none()
                || ours_visit(&f.instructions, &mut s).is_none()
            {
                return false;
            }
            sink(&s);
        }
    }
    true
}

/// Our zero-copy walk through the iterators: as [`flows_ours_view`], with the match's
/// `fields()` (`Result` items) and the instruction and action iterators (`InstructionView`,
/// `ActionView` enums matched by the caller).
pub(crate) fn flows_ours_iter(msgs: &[Vec<u8>], mut sink: impl FnMut(&FlowSummary)) -> bool {
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
            let mut s = flow_head!(f);
            if ours_match(f.match_.fields(), &mut s.match_).is_none()
                || ours_instructions(f.instructions, &mut s).is_none()
            {
                return false;
            }
            sink(&s);
        }
    }
    true
}

/// Not a library path: a hand-written walk straight off the bytes, with the checks our view
/// makes on the way (header; multipart type; each entry's length, zero padding, match type,
/// length, TLV framing and padding; each instruction's and action's length, a multiple of 8
/// within its container, fixed sizes exact, zero padding, set-field framing), reading the
/// same values. It is the floor of what a zero-copy flow-stats walk can cost.
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
            let be16 = |i: usize| u16::from_be_bytes([f[i], f[i + 1]]);
            let mut s = FlowSummary {
                table_id: f[2],
                duration_sec: u32::from_be_bytes([f[4], f[5], f[6], f[7]]),
                duration_nsec: u32::from_be_bytes([f[8], f[9], f[10], f[11]]),
                priority: be16(12),
                idle_timeout: be16(14),
                hard_timeout: be16(16),
                flags: be16(18),
                cookie: be64(24),
                packet_count: be64(32),
                byte_count: be64(40),
                ..FlowSummary::default()
            };
            // The match: type, length, TLVs, zero padding.
            let mlen = usize::from(be16(50));
            if be16(48) != 1 || mlen < 4 {
                return false;
            }
            let Some((m, insts)) = entry[48..].split_at_checked(mlen.next_multiple_of(8)) else {
                return false;
            };
            let (oxms, pad) = m[4..].split_at(mlen - 4);
            if pad.iter().fold(0, |a, b| a | b) != 0
                || hw_match(oxms, &mut s.match_).is_none()
                || hw_instructions(insts, &mut s).is_none()
            {
                return false;
            }
            sink(&s);
        }
    }
    true
}

/// Our owned walk: `Message::parse` per message (every entry, match field, instruction and
/// action decoded into vectors), then the values read off the owned entries.
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
            let mut s = flow_head!(f);
            if owned_into(&f.match_, &f.instructions, &mut s).is_none() {
                return false;
            }
            sink(&s);
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
            let mut s = FlowSummary {
                table_id: e.table_id,
                priority: e.priority,
                idle_timeout: e.idle_timeout,
                hard_timeout: e.hard_timeout,
                flags: e.flags,
                cookie: e.cookie,
                duration_sec: e.duration_sec,
                duration_nsec: e.duration_nsec,
                packet_count: e.packet_count,
                byte_count: e.byte_count,
                ..FlowSummary::default()
            };
            if rovs_into(&e.match_fields, &insts, &mut s).is_none() {
                return false;
            }
            sink(&s);
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

/// The router's FLOW_MOD (the long action list of the flow-stats entries' fourth shape).
pub(crate) fn flow_mod_router() -> Message {
    let e = flow_entries().swap_remove(3);
    let fm = FlowMod::add()
        .priority(e.priority)
        .cookie(e.cookie)
        .matching(e.match_)
        .instruction(e.instructions[0].clone())
        .instruction(e.instructions[1].clone());
    Message::new(FLOW_XID, Body::FlowMod(fm))
}

/// What a switch agent reads from a FLOW_MOD: every fixed field, every match field, the
/// goto-table and every action (in the [`FlowSummary`] of `entry`; its counters stay 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct FlowModSummary {
    pub xid: u32,
    pub cookie_mask: u64,
    pub command: u8,
    pub buffer_id: u32,
    pub out_port: u32,
    pub out_group: u32,
    pub entry: FlowSummary,
}

impl FlowModSummary {
    pub(crate) fn fold(&self) -> u64 {
        self.entry.fold()
            ^ u64::from(self.xid)
            ^ self.cookie_mask.rotate_left(3)
            ^ u64::from(self.command) << 56
            ^ u64::from(self.buffer_id) << 16
            ^ u64::from(self.out_port).rotate_left(29)
            ^ u64::from(self.out_group).rotate_left(43)
    }
}

macro_rules! flow_mod_head {
    ($xid:expr, $f:expr) => {
        FlowModSummary {
            xid: $xid,
            cookie_mask: $f.cookie_mask,
            command: $f.command.0,
            buffer_id: $f.buffer_id.0,
            out_port: $f.out_port.0,
            out_group: $f.out_group.0,
            entry: FlowSummary {
                table_id: $f.table_id.0,
                priority: $f.priority,
                idle_timeout: $f.idle_timeout,
                hard_timeout: $f.hard_timeout,
                flags: $f.flags.0,
                cookie: $f.cookie,
                ..FlowSummary::default()
            },
        }
    };
}

/// Our zero-copy view: `MessageView::parse` (header, fixed part, match framing), then every
/// match TLV (`MatchView::tlvs()`), instruction and action (`InstructionsView::visit`) read
/// into a [`FlowModSummary`]. Nothing is allocated.
pub(crate) fn flow_mod_parse_ours_view(msg: &[u8], sink: impl FnOnce(&FlowModSummary)) -> bool {
    let Ok(MessageView {
        header,
        body: BodyView::FlowMod(f),
        ..
    }) = MessageView::parse(msg)
    else {
        return false;
    };
    let mut s = flow_mod_head!(header.xid, f);
    if ours_match_tlvs(&f.match_, &mut s.entry.match_).is_none()
        || ours_visit(&f.instructions, &mut s.entry).is_none()
    {
        return false;
    }
    sink(&s);
    true
}

/// Our zero-copy view through the iterators: as [`flow_mod_parse_ours_view`], with the
/// match's `fields()` and the instruction and action iterators.
pub(crate) fn flow_mod_parse_ours_iter(msg: &[u8], sink: impl FnOnce(&FlowModSummary)) -> bool {
    let Ok(MessageView {
        header,
        body: BodyView::FlowMod(f),
        ..
    }) = MessageView::parse(msg)
    else {
        return false;
    };
    let mut s = flow_mod_head!(header.xid, f);
    if ours_match(f.match_.fields(), &mut s.entry.match_).is_none()
        || ours_instructions(f.instructions, &mut s.entry).is_none()
    {
        return false;
    }
    sink(&s);
    true
}

/// Our owned decode: `Message::parse` (the match, the instructions and each action list in
/// vectors), then the values read off the owned `FlowMod`.
pub(crate) fn flow_mod_parse_ours_owned(msg: &[u8], sink: impl FnOnce(&FlowModSummary)) -> bool {
    // Read in place, as the owned PACKET_IN row reads its message.
    let r = Message::parse(msg);
    let Ok(Message {
        xid,
        body: Body::FlowMod(f),
    }) = &r
    else {
        return false;
    };
    let xid = *xid;
    let mut s = flow_mod_head!(xid, f);
    if owned_into(&f.match_, &f.instructions, &mut s.entry).is_none() {
        return false;
    }
    sink(&s);
    true
}

/// rovs-openflow has no FLOW_MOD decoder (its controller only sends them); a switch agent on
/// it would use its public pieces: `Header::decode`, the 40 fixed bytes, `Match::decode`
/// (the whole match into its `Match` struct) and `InstructionList::decode`.
pub(crate) fn flow_mod_parse_rovs(msg: &Bytes, sink: impl FnOnce(&FlowModSummary)) -> bool {
    let mut b = msg.clone();
    let Ok(h) = rovs::Header::decode(&mut b) else {
        return false;
    };
    if h.msg_type != rovs::MessageType::FlowMod {
        return false;
    }
    let Some((f, rest)) = b.split_first_chunk::<40>() else {
        return false;
    };
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
    let be32 = |i: usize| u32::from_be_bytes([f[i], f[i + 1], f[i + 2], f[i + 3]]);
    let be16 = |i: usize| u16::from_be_bytes([f[i], f[i + 1]]);
    let Ok((m, n)) = rovs::Match::decode(rest) else {
        return false;
    };
    let Ok(insts) = rovs::InstructionList::decode(&rest[n..]) else {
        return false;
    };
    let mut s = FlowModSummary {
        xid: h.xid,
        cookie_mask: be64(8),
        command: f[17],
        buffer_id: be32(24),
        out_port: be32(28),
        out_group: be32(32),
        entry: FlowSummary {
            cookie: be64(0),
            table_id: f[16],
            idle_timeout: be16(18),
            hard_timeout: be16(20),
            priority: be16(22),
            flags: be16(36),
            ..FlowSummary::default()
        },
    };
    if rovs_into(&m, &insts, &mut s.entry).is_none() {
        return false;
    }
    sink(&s);
    true
}

/// Not a library path: a hand-written decode straight off the bytes with our view's checks
/// (header; the fixed part's padding; match type, length, TLV framing and padding; every
/// instruction and action as in [`flows_handwritten`]).
pub(crate) fn flow_mod_parse_handwritten(msg: &[u8], sink: impl FnOnce(&FlowModSummary)) -> bool {
    let Some((h, rest)) = msg.split_first_chunk::<8>() else {
        return false;
    };
    if h[0] != 4 || h[1] != 14 || usize::from(u16::from_be_bytes([h[2], h[3]])) != msg.len() {
        return false;
    }
    let Some((f, rest)) = rest.split_first_chunk::<44>() else {
        return false;
    };
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
    let be32 = |i: usize| u32::from_be_bytes([f[i], f[i + 1], f[i + 2], f[i + 3]]);
    let be16 = |i: usize| u16::from_be_bytes([f[i], f[i + 1]]);
    let mlen = usize::from(be16(42));
    if f[38] | f[39] != 0 || be16(40) != 1 || mlen < 4 {
        return false;
    }
    let Some((oxms_pad, insts)) = rest.split_at_checked(mlen.next_multiple_of(8) - 4) else {
        return false;
    };
    let (oxms, pad) = oxms_pad.split_at(mlen - 4);
    let mut s = FlowModSummary {
        xid: u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
        cookie_mask: be64(8),
        command: f[17],
        buffer_id: be32(24),
        out_port: be32(28),
        out_group: be32(32),
        entry: FlowSummary {
            cookie: be64(0),
            table_id: f[16],
            idle_timeout: be16(18),
            hard_timeout: be16(20),
            priority: be16(22),
            flags: be16(36),
            ..FlowSummary::default()
        },
    };
    if pad.iter().fold(0, |a, b| a | b) != 0
        || hw_match(oxms, &mut s.entry.match_).is_none()
        || hw_instructions(insts, &mut s.entry).is_none()
    {
        return false;
    }
    sink(&s);
    true
}

/// Not a library path: the owned match of the hand-written owned floor. The TLVs' framing
/// checked and counted (as [`hw_match`] checks it), then each TLV decoded into its typed
/// `OxmField` in the match's field vector sized for them (inline up to 4, as
/// `Message::parse` builds it); a field outside [`MatchFields`] fails it.
#[inline]
fn hw_owned_match(oxms: &[u8]) -> Option<Match> {
    use sdnwire_openflow::oxm::{MatchFields as Fields, OxmField as F};
    use sdnwire_packet::MacAddr;
    let mut n = 0;
    let mut rest = oxms;
    while let Some((t, tail)) = rest.split_first_chunk::<4>() {
        rest = tail.get(usize::from(t[3])..)?;
        n += 1;
    }
    if !rest.is_empty() {
        return None;
    }
    let mut fields = Fields::with_capacity(n);
    let mut rest = oxms;
    while let Some((t, tail)) = rest.split_first_chunk::<4>() {
        let (v, tail) = tail.split_at(usize::from(t[3]));
        fields.push(match u32::from_be_bytes(*t) {
            0x8000_0004 => F::InPort(PortNo(u32::from_be_bytes(v.try_into().ok()?))),
            0x8000_0606 => F::EthDst(MacAddr(v.try_into().ok()?), None),
            0x8000_0806 => F::EthSrc(MacAddr(v.try_into().ok()?), None),
            0x8000_0a02 => F::EthType(u16::from_be_bytes(v.try_into().ok()?)),
            0x8000_1804 => F::Ipv4Dst(
                core::net::Ipv4Addr::from(<[u8; 4]>::try_from(v).ok()?),
                None,
            ),
            _ => return None,
        });
        rest = tail;
    }
    Some(Match { fields })
}

/// Not a library path: an owned action list of the hand-written owned floor. Each action's
/// framing checked and the actions counted (the checks of [`hw_instructions`]), then each
/// action decoded into the list made at that count (inline up to 4 actions).
#[inline]
fn hw_owned_actions(acts: &[u8]) -> Option<ActionList> {
    use sdnwire_openflow::oxm::OxmField as F;
    use sdnwire_packet::MacAddr;
    let mut n = 0;
    let mut rest = acts;
    while let Some((a, _)) = rest.split_first_chunk::<8>() {
        let alen = usize::from(u16::from_be_bytes([a[2], a[3]]));
        if alen < 8 || alen % 8 != 0 || alen > rest.len() {
            return None;
        }
        rest = &rest[alen..];
        n += 1;
    }
    if !rest.is_empty() {
        return None;
    }
    let mut out = ActionList::with_capacity(n);
    let mut rest = acts;
    while let Some((a, _)) = rest.split_first_chunk::<8>() {
        let alen = usize::from(u16::from_be_bytes([a[2], a[3]]));
        let (act, tail) = rest.split_at(alen);
        rest = tail;
        out.push(match (u16::from_be_bytes([a[0], a[1]]), alen) {
            (0, 16) if act[10..16] == [0; 6] => Action::Output {
                port: PortNo(u32::from_be_bytes([a[4], a[5], a[6], a[7]])),
                max_len: u16::from_be_bytes([act[8], act[9]]),
            },
            (17, 8) if a[6..8] == [0; 2] => Action::PushVlan(u16::from_be_bytes([a[4], a[5]])),
            (18, 8) if a[4..8] == [0; 4] => Action::PopVlan,
            (24, 8) if a[4..8] == [0; 4] => Action::DecNwTtl,
            (22, 8) => Action::Group(GroupId(u32::from_be_bytes([a[4], a[5], a[6], a[7]]))),
            (25, _) => {
                let oxm_end = 8 + usize::from(a[7]);
                if oxm_end.next_multiple_of(8) != alen || act[oxm_end..].iter().any(|b| *b != 0) {
                    return None;
                }
                let v = &act[8..oxm_end];
                Action::SetField(match u32::from_be_bytes([a[4], a[5], a[6], a[7]]) {
                    0x8000_0c02 => F::VlanVid(u16::from_be_bytes(v.try_into().ok()?), None),
                    0x8000_0806 => F::EthSrc(MacAddr(v.try_into().ok()?), None),
                    0x8000_0606 => F::EthDst(MacAddr(v.try_into().ok()?), None),
                    _ => return None,
                })
            }
            _ => return None,
        });
    }
    Some(out)
}

/// Not a library path: an owned instruction list of the hand-written owned floor. Each
/// instruction's framing checked and the instructions counted, then each decoded into the
/// list made at that count (inline up to 2; an apply-actions' list through
/// [`hw_owned_actions`]).
#[inline]
fn hw_owned_instructions(insts: &[u8]) -> Option<InstructionList> {
    let mut n = 0;
    let mut rest = insts;
    while let Some((i, _)) = rest.split_first_chunk::<8>() {
        let ilen = usize::from(u16::from_be_bytes([i[2], i[3]]));
        if ilen < 8 || ilen % 8 != 0 || ilen > rest.len() {
            return None;
        }
        rest = &rest[ilen..];
        n += 1;
    }
    if !rest.is_empty() {
        return None;
    }
    let mut out = InstructionList::with_capacity(n);
    let mut rest = insts;
    while let Some((i, _)) = rest.split_first_chunk::<8>() {
        let ilen = usize::from(u16::from_be_bytes([i[2], i[3]]));
        let (inst, tail) = rest.split_at(ilen);
        rest = tail;
        out.push(match u16::from_be_bytes([i[0], i[1]]) {
            1 if ilen == 8 && i[5..8] == [0; 3] => Instruction::GotoTable(TableId(i[4])),
            4 if i[4..8] == [0; 4] => Instruction::ApplyActions(hw_owned_actions(&inst[8..])?),
            _ => return None,
        });
    }
    Some(out)
}

/// Not a library path: the floor of an owned FLOW_MOD decode with our owned types. The checks
/// of [`flow_mod_parse_handwritten`], then the owned `Message` `Message::parse` builds, with
/// its allocations (the instruction list and each action list at their counted sizes past
/// their inline room; the
/// match's fields inline up to 4), built in place and read as [`flow_mod_parse_ours_owned`]
/// reads it.
pub(crate) fn flow_mod_parse_handwritten_owned(
    msg: &[u8],
    sink: impl FnOnce(&FlowModSummary),
) -> bool {
    let Some(m) = flow_mod_handwritten_message(msg) else {
        return false;
    };
    let m = black_box(m);
    let Message {
        xid,
        body: Body::FlowMod(f),
    } = &m
    else {
        return false;
    };
    let mut s = flow_mod_head!(*xid, f);
    if owned_into(&f.match_, &f.instructions, &mut s.entry).is_none() {
        return false;
    }
    sink(&s);
    true
}

/// The owned `Message` of [`flow_mod_parse_handwritten_owned`] (inlined into it: the message
/// is built where it stays).
#[inline(always)]
pub(crate) fn flow_mod_handwritten_message(msg: &[u8]) -> Option<Message> {
    use sdnwire_openflow::flow_mod::FlowModCommand;
    use sdnwire_openflow::BufferId;
    let (h, rest) = msg.split_first_chunk::<8>()?;
    if h[0] != 4 || h[1] != 14 || usize::from(u16::from_be_bytes([h[2], h[3]])) != msg.len() {
        return None;
    }
    let (f, rest) = rest.split_first_chunk::<44>()?;
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
    let be32 = |i: usize| u32::from_be_bytes([f[i], f[i + 1], f[i + 2], f[i + 3]]);
    let be16 = |i: usize| u16::from_be_bytes([f[i], f[i + 1]]);
    let mlen = usize::from(be16(42));
    if f[38] | f[39] != 0 || be16(40) != 1 || mlen < 4 {
        return None;
    }
    let (oxms_pad, insts) = rest.split_at_checked(mlen.next_multiple_of(8) - 4)?;
    let (oxms, pad) = oxms_pad.split_at(mlen - 4);
    if pad.iter().fold(0, |a, b| a | b) != 0 {
        return None;
    }
    let instructions = hw_owned_instructions(insts)?;
    let match_ = hw_owned_match(oxms)?;
    Some(Message {
        xid: u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
        body: Body::FlowMod(FlowMod {
            cookie: be64(0),
            cookie_mask: be64(8),
            table_id: TableId(f[16]),
            command: FlowModCommand(f[17]),
            idle_timeout: be16(18),
            hard_timeout: be16(20),
            priority: be16(22),
            buffer_id: BufferId(be32(24)),
            out_port: PortNo(be32(28)),
            out_group: GroupId(be32(32)),
            flags: FlowModFlags(be16(36)),
            match_,
            instructions,
        }),
    })
}

/// Not a library path: the floor of an owned flow-stats decode with our owned types. The
/// checks of [`flows_handwritten`], then per message the owned `Message` `Message::parse`
/// builds, with its allocations (the entries' vector at its counted size; per entry the
/// instruction list and each action list at their counted sizes past their inline room, the match's fields inline
/// up to 4), read as [`flows_ours_owned`] reads it.
pub(crate) fn flows_handwritten_owned(
    msgs: &[Vec<u8>],
    mut sink: impl FnMut(&FlowSummary),
) -> bool {
    for m in msgs {
        let Some(msg) = flows_handwritten_message(m) else {
            return false;
        };
        // Read as `flows_ours_owned` reads `Message::parse`'s.
        let Message {
            body: Body::MultipartReply(r),
            ..
        } = black_box(msg)
        else {
            return false;
        };
        let MultipartReplyBody::Flow(flows) = &r.body else {
            return false;
        };
        for f in flows {
            let mut s = flow_head!(f);
            if owned_into(&f.match_, &f.instructions, &mut s).is_none() {
                return false;
            }
            sink(&s);
        }
    }
    true
}

/// The owned `Message` of one flow-stats reply in [`flows_handwritten_owned`] (inlined into
/// it).
#[inline(always)]
pub(crate) fn flows_handwritten_message(m: &[u8]) -> Option<Message> {
    use sdnwire_openflow::multipart::MultipartFlags;
    let (h, body) = m.split_first_chunk::<16>()?;
    if h[0] != 4
        || h[1] != 19
        || usize::from(u16::from_be_bytes([h[2], h[3]])) != m.len()
        || h[8..10] != [0, 1]
        || h[12..16] != [0; 4]
    {
        return None;
    }
    // The entries counted (each one's length checked), then decoded into the vector
    // allocated at that count.
    let mut n = 0;
    let mut rest = body;
    while !rest.is_empty() {
        let (f, _) = rest.split_first_chunk::<56>()?;
        let len = usize::from(u16::from_be_bytes([f[0], f[1]]));
        if len < 56 || len > rest.len() {
            return None;
        }
        rest = &rest[len..];
        n += 1;
    }
    let mut entries = Vec::with_capacity(n);
    let mut rest = body;
    while let Some((f, _)) = rest.split_first_chunk::<56>() {
        let len = usize::from(u16::from_be_bytes([f[0], f[1]]));
        let (entry, tail) = rest.split_at(len);
        rest = tail;
        if f[3] | f[20] | f[21] | f[22] | f[23] != 0 {
            return None;
        }
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
        let be16 = |i: usize| u16::from_be_bytes([f[i], f[i + 1]]);
        let mlen = usize::from(be16(50));
        if be16(48) != 1 || mlen < 4 {
            return None;
        }
        let (mt, insts) = entry[48..].split_at_checked(mlen.next_multiple_of(8))?;
        let (oxms, pad) = mt[4..].split_at(mlen - 4);
        if pad.iter().fold(0, |a, b| a | b) != 0 {
            return None;
        }
        let instructions = hw_owned_instructions(insts)?;
        let match_ = hw_owned_match(oxms)?;
        entries.push(FlowStats {
            table_id: TableId(f[2]),
            duration_sec: u32::from_be_bytes([f[4], f[5], f[6], f[7]]),
            duration_nsec: u32::from_be_bytes([f[8], f[9], f[10], f[11]]),
            priority: be16(12),
            idle_timeout: be16(14),
            hard_timeout: be16(16),
            flags: FlowModFlags(be16(18)),
            cookie: be64(24),
            packet_count: be64(32),
            byte_count: be64(40),
            match_,
            instructions,
        });
    }
    Some(Message {
        xid: u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
        body: Body::MultipartReply(MultipartReply {
            flags: MultipartFlags(u16::from_be_bytes([h[10], h[11]])),
            body: MultipartReplyBody::Flow(entries),
        }),
    })
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
    assert!(packet_in_handwritten_owned(PACKET_IN, |s| got.push(owned(s))));
    assert!(packet_in_rovs(&Bytes::from_static(PACKET_IN), |s| {
        got.push(owned(s))
    }));
    assert_eq!(got.len(), 6);
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
    let mut e = Vec::new();
    assert!(flows_ours_view(&msgs, |s| a.push(*s)));
    assert!(flows_ours_iter(&msgs, |s| e.push(*s)));
    assert!(flows_ours_owned(&msgs, |s| b.push(*s)));
    assert!(flows_rovs(&bytes, |s| c.push(*s)));
    assert!(flows_handwritten(&msgs, |s| d.push(*s)));
    let mut o = Vec::new();
    assert!(flows_handwritten_owned(&msgs, |s| o.push(*s)));
    assert_eq!(a.len(), FLOWS);
    // Every entry is read whole: its match fields and every action of its shape.
    for (i, s) in a.iter().enumerate() {
        let (fields, acts) = match i % 4 {
            0 => (2, 3),
            1 => (3, 1),
            2 => (3, 1),
            _ => (3, 7),
        };
        let m = &s.match_;
        let n = [
            m.in_port.is_some(),
            m.eth_dst.is_some(),
            m.eth_src.is_some(),
            m.eth_type.is_some(),
            m.ipv4_dst.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        assert_eq!(
            (n, usize::from(s.n_actions)),
            (fields, acts),
            "entry {i}: {s:?}"
        );
        assert_eq!(s.goto_table.is_some(), i % 4 == 3);
    }
    assert_eq!(a, e, "flow stats: our visitor and our iterators disagree");
    assert_eq!(a, b, "flow stats: our view and our owned walk disagree");
    assert_eq!(a, c, "flow stats: ours and rovs-openflow disagree");
    assert_eq!(
        a, d,
        "flow stats: our view and the hand-written walk disagree"
    );
    assert_eq!(
        a, o,
        "flow stats: our view and the hand-written owned walk disagree"
    );
    for m in &msgs {
        assert_eq!(
            flows_handwritten_message(m),
            Message::parse(m).ok(),
            "flow stats: the hand-written owned message differs from Message::parse's"
        );
    }

    // FLOW_MOD decode, both flows.
    for m in [flow_mod_ours(), flow_mod_router()] {
        let bytes = m.to_vec().expect("the flow encodes");
        let mut got = Vec::new();
        assert!(flow_mod_parse_ours_view(&bytes, |s| got.push(*s)));
        assert!(flow_mod_parse_ours_iter(&bytes, |s| got.push(*s)));
        assert!(flow_mod_parse_ours_owned(&bytes, |s| got.push(*s)));
        assert!(flow_mod_parse_rovs(&Bytes::from(bytes.clone()), |s| got.push(*s)));
        assert!(flow_mod_parse_handwritten(&bytes, |s| got.push(*s)));
        assert!(flow_mod_parse_handwritten_owned(&bytes, |s| got.push(*s)));
        assert_eq!(got.len(), 6);
        assert_eq!(
            flow_mod_handwritten_message(&bytes),
            Message::parse(&bytes).ok(),
            "FLOW_MOD: the hand-written owned message differs from Message::parse's"
        );
        assert!(got[0].entry.n_actions >= 1 && got[0].entry.match_.in_port.is_some());
        for g in &got {
            assert_eq!(g, &got[0], "FLOW_MOD decode: the implementations disagree");
        }
    }

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

    // The hand-written owned floors into candidate types with inline lists.
    inline_floor::check();
}
