//! Not a library path: hand-written owned floors into candidate owned types whose instruction
//! and action lists keep the common case inline, to measure what such types would bring to the
//! owned decode (`Message::parse`) before the library changed (the nested design with N = 4 is
//! now the library's own: `ActionList`, `InstructionList`). Same checks as the hand-written
//! owned floor of `mod.rs` (`hw_owned_match`, `hw_owned_instructions`, `hw_owned_actions`),
//! the same values (each candidate message converts to the library's `Message`, checked equal
//! to `Message::parse`'s in [`check`]), read as `ours_owned` reads its value.
//!
//! Two designs:
//! - nested ([`InstI`]): each action list an `InlineVec<Action, N>` inside its instruction,
//!   the instruction list an `InlineVec<InstI<N>, 2>` (rows `handwritten_inline`, N = 4, and
//!   `handwritten_inline2`, N = 2);
//! - flat ([`InstF`]): the actions of a message in one buffer, each action-list instruction
//!   holding a range of it; a FLOW_MOD's buffer an `InlineVec<Action, K>` in the `FlowMod`
//!   (rows `handwritten_flat`, K = 4, and `handwritten_flat8`, K = 8), a flow-stats reply's one
//!   `Vec<Action>` for all its entries (allocated once per message at its counted size).
//!
//! And a control, `handwritten_vec`: `Vec` lists ([`InstV`], the library's types before its
//! lists went inline) built the same way, so that the storage's effect is told apart from the
//! way of building.
//!
//! Both decode in one build pass over a framing pass, as the floor does (the framing of each
//! list checked and its items counted, then the items written once into the storage they stay
//! in: the lists are placed in the value first, then filled through `last_mut`); the row
//! `handwritten_inline1p` (below) is the nested design, N = 4, in one pass per list.

use core::hint::black_box;

use sdnwire_openflow::action::Action;
use sdnwire_openflow::flow_mod::{FlowMod, FlowModCommand, FlowModFlags};
use sdnwire_openflow::instruction::{Instruction, InstructionList, InstructionType};
use sdnwire_openflow::multipart::{FlowStats, MultipartFlags, MultipartReply, MultipartReplyBody};
use sdnwire_openflow::oxm::{Match, OxmField as F};
use sdnwire_openflow::{
    Body, BufferId, Encode, GroupId, InlineVec, Message, MeterId, PortNo, TableId,
};
use sdnwire_packet::MacAddr;

use super::{Act, FlowModSummary, FlowSummary};

// ---------------------------------------------------------------------------------------------
// The candidate types.

/// Nested design: an instruction whose action lists keep up to `N` actions inline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InstI<const N: usize> {
    GotoTable(TableId),
    WriteMetadata {
        metadata: u64,
        mask: u64,
    },
    WriteActions(InlineVec<Action, N>),
    ApplyActions(InlineVec<Action, N>),
    ClearActions,
    Meter(MeterId),
    Experimenter {
        experimenter: u32,
        data: Vec<u8>,
    },
    Unknown {
        type_: InstructionType,
        data: Vec<u8>,
    },
}

/// Control design (`handwritten_vec`): the instruction the library held before its lists
/// went inline, each action list a `Vec` (the same variants, so the same size: 32 bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InstV {
    GotoTable(TableId),
    WriteMetadata {
        metadata: u64,
        mask: u64,
    },
    WriteActions(Vec<Action>),
    ApplyActions(Vec<Action>),
    ClearActions,
    Meter(MeterId),
    Experimenter {
        experimenter: u32,
        data: Vec<u8>,
    },
    Unknown {
        type_: InstructionType,
        data: Vec<u8>,
    },
}

/// A range of a message's action buffer (flat design).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ActionRange {
    pub start: u32,
    pub len: u32,
}

impl ActionRange {
    /// The actions of this range in `buf`.
    #[inline]
    pub(crate) fn of<'a>(&self, buf: &'a [Action]) -> Option<&'a [Action]> {
        let start = usize::try_from(self.start).ok()?;
        let end = start + usize::try_from(self.len).ok()?;
        buf.get(start..end)
    }
}

/// Flat design: an instruction whose action lists are ranges of the message's action buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InstF {
    GotoTable(TableId),
    WriteMetadata {
        metadata: u64,
        mask: u64,
    },
    WriteActions(ActionRange),
    ApplyActions(ActionRange),
    ClearActions,
    Meter(MeterId),
    Experimenter {
        experimenter: u32,
        data: Vec<u8>,
    },
    Unknown {
        type_: InstructionType,
        data: Vec<u8>,
    },
}

/// The fixed fields of a FLOW_MOD, as in the library's `FlowMod`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FlowModHead {
    pub cookie: u64,
    pub cookie_mask: u64,
    pub table_id: TableId,
    pub command: FlowModCommand,
    pub idle_timeout: u16,
    pub hard_timeout: u16,
    pub priority: u16,
    pub buffer_id: BufferId,
    pub out_port: PortNo,
    pub out_group: GroupId,
    pub flags: FlowModFlags,
}

/// The fixed fields of a flow-stats entry, as in the library's `FlowStats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FlowStatsHead {
    pub table_id: TableId,
    pub duration_sec: u32,
    pub duration_nsec: u32,
    pub priority: u16,
    pub idle_timeout: u16,
    pub hard_timeout: u16,
    pub flags: FlowModFlags,
    pub cookie: u64,
    pub packet_count: u64,
    pub byte_count: u64,
}

/// Nested design's `FlowMod`: instructions inline up to 2, each action list inline up to `N`.
/// (The fixed fields are grouped in one struct here; the layout is the library's, field for
/// field.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FlowModI<const N: usize> {
    pub head: FlowModHead,
    pub match_: Match,
    pub instructions: InlineVec<InstI<N>, 2>,
}

/// Nested design's `FlowStats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FlowStatsI<const N: usize> {
    pub head: FlowStatsHead,
    pub match_: Match,
    pub instructions: InlineVec<InstI<N>, 2>,
}

/// Control design's `FlowMod`: the instructions a `Vec` of [`InstV`] (the library's former
/// `FlowMod`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FlowModV {
    pub head: FlowModHead,
    pub match_: Match,
    pub instructions: Vec<InstV>,
}

/// Control design's `FlowStats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FlowStatsV {
    pub head: FlowStatsHead,
    pub match_: Match,
    pub instructions: Vec<InstV>,
}

/// Flat design's `FlowMod`: instructions inline up to 2, the actions of all of them in one
/// buffer inline up to `K`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FlowModF<const K: usize> {
    pub head: FlowModHead,
    pub match_: Match,
    pub instructions: InlineVec<InstF, 2>,
    pub actions: InlineVec<Action, K>,
}

/// Flat design's `FlowStats`: its action-list instructions are ranges of the reply's buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FlowStatsF {
    pub head: FlowStatsHead,
    pub match_: Match,
    pub instructions: InlineVec<InstF, 2>,
}

/// A candidate `Body`: the two bodies measured in their candidate form, every other body as
/// the library's (so that the message is as large as a real one would be).
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // as the library's `Body`: the message's size is measured
pub(crate) enum BodyI<FM, FS, X> {
    FlowMod(FM),
    FlowReply {
        flags: MultipartFlags,
        entries: Vec<FS>,
        /// The flat design's action buffer of the whole reply (`()` in the nested design).
        actions: X,
    },
    Other(Body),
}

/// A candidate `Message`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MessageI<FM, FS, X> {
    pub xid: u32,
    pub body: BodyI<FM, FS, X>,
}

/// The nested design's message.
pub(crate) type MsgNested<const N: usize> = MessageI<FlowModI<N>, FlowStatsI<N>, ()>;
/// The control design's message (the library's former `Message`).
pub(crate) type MsgVec = MessageI<FlowModV, FlowStatsV, ()>;
/// The flat design's message.
pub(crate) type MsgFlat<const K: usize> = MessageI<FlowModF<K>, FlowStatsF, Vec<Action>>;

// ---------------------------------------------------------------------------------------------
// Conversion to the library's types (for the agreement check only).

impl<const N: usize> InstI<N> {
    fn to_instruction(&self) -> Instruction {
        match self {
            InstI::GotoTable(t) => Instruction::GotoTable(*t),
            InstI::WriteMetadata { metadata, mask } => Instruction::WriteMetadata {
                metadata: *metadata,
                mask: *mask,
            },
            InstI::WriteActions(a) => Instruction::WriteActions(a.as_slice().into()),
            InstI::ApplyActions(a) => Instruction::ApplyActions(a.as_slice().into()),
            InstI::ClearActions => Instruction::ClearActions,
            InstI::Meter(m) => Instruction::Meter(*m),
            InstI::Experimenter { experimenter, data } => Instruction::Experimenter {
                experimenter: *experimenter,
                data: data.clone(),
            },
            InstI::Unknown { type_, data } => Instruction::Unknown {
                type_: *type_,
                data: data.clone(),
            },
        }
    }
}

impl InstV {
    fn to_instruction(&self) -> Instruction {
        match self {
            InstV::GotoTable(t) => Instruction::GotoTable(*t),
            InstV::WriteMetadata { metadata, mask } => Instruction::WriteMetadata {
                metadata: *metadata,
                mask: *mask,
            },
            InstV::WriteActions(a) => Instruction::write_actions(a.clone()),
            InstV::ApplyActions(a) => Instruction::apply_actions(a.clone()),
            InstV::ClearActions => Instruction::ClearActions,
            InstV::Meter(m) => Instruction::Meter(*m),
            InstV::Experimenter { experimenter, data } => Instruction::Experimenter {
                experimenter: *experimenter,
                data: data.clone(),
            },
            InstV::Unknown { type_, data } => Instruction::Unknown {
                type_: *type_,
                data: data.clone(),
            },
        }
    }
}

impl InstF {
    fn to_instruction(&self, buf: &[Action]) -> Instruction {
        let list = |r: &ActionRange| r.of(buf).expect("a range within the buffer").into();
        match self {
            InstF::GotoTable(t) => Instruction::GotoTable(*t),
            InstF::WriteMetadata { metadata, mask } => Instruction::WriteMetadata {
                metadata: *metadata,
                mask: *mask,
            },
            InstF::WriteActions(r) => Instruction::WriteActions(list(r)),
            InstF::ApplyActions(r) => Instruction::ApplyActions(list(r)),
            InstF::ClearActions => Instruction::ClearActions,
            InstF::Meter(m) => Instruction::Meter(*m),
            InstF::Experimenter { experimenter, data } => Instruction::Experimenter {
                experimenter: *experimenter,
                data: data.clone(),
            },
            InstF::Unknown { type_, data } => Instruction::Unknown {
                type_: *type_,
                data: data.clone(),
            },
        }
    }
}

fn flow_mod_of(h: &FlowModHead, match_: Match, instructions: InstructionList) -> FlowMod {
    FlowMod {
        cookie: h.cookie,
        cookie_mask: h.cookie_mask,
        table_id: h.table_id,
        command: h.command,
        idle_timeout: h.idle_timeout,
        hard_timeout: h.hard_timeout,
        priority: h.priority,
        buffer_id: h.buffer_id,
        out_port: h.out_port,
        out_group: h.out_group,
        flags: h.flags,
        match_,
        instructions,
    }
}

fn flow_stats_of(h: &FlowStatsHead, match_: Match, instructions: InstructionList) -> FlowStats {
    FlowStats {
        table_id: h.table_id,
        duration_sec: h.duration_sec,
        duration_nsec: h.duration_nsec,
        priority: h.priority,
        idle_timeout: h.idle_timeout,
        hard_timeout: h.hard_timeout,
        flags: h.flags,
        cookie: h.cookie,
        packet_count: h.packet_count,
        byte_count: h.byte_count,
        match_,
        instructions,
    }
}

fn reply(xid: u32, flags: MultipartFlags, entries: Vec<FlowStats>) -> Message {
    Message {
        xid,
        body: Body::MultipartReply(MultipartReply {
            flags,
            body: MultipartReplyBody::Flow(entries),
        }),
    }
}

impl<const N: usize> MsgNested<N> {
    /// The library's `Message` holding the same values.
    pub(crate) fn to_message(&self) -> Message {
        let insts = |l: &[InstI<N>]| l.iter().map(InstI::to_instruction).collect();
        match &self.body {
            BodyI::FlowMod(f) => Message {
                xid: self.xid,
                body: Body::FlowMod(flow_mod_of(
                    &f.head,
                    f.match_.clone(),
                    insts(&f.instructions),
                )),
            },
            BodyI::FlowReply { flags, entries, .. } => reply(
                self.xid,
                *flags,
                entries
                    .iter()
                    .map(|e| flow_stats_of(&e.head, e.match_.clone(), insts(&e.instructions)))
                    .collect(),
            ),
            BodyI::Other(b) => Message {
                xid: self.xid,
                body: b.clone(),
            },
        }
    }
}

impl MsgVec {
    /// The library's `Message` holding the same values.
    pub(crate) fn to_message(&self) -> Message {
        let insts = |l: &[InstV]| l.iter().map(InstV::to_instruction).collect();
        match &self.body {
            BodyI::FlowMod(f) => Message {
                xid: self.xid,
                body: Body::FlowMod(flow_mod_of(
                    &f.head,
                    f.match_.clone(),
                    insts(&f.instructions),
                )),
            },
            BodyI::FlowReply { flags, entries, .. } => reply(
                self.xid,
                *flags,
                entries
                    .iter()
                    .map(|e| flow_stats_of(&e.head, e.match_.clone(), insts(&e.instructions)))
                    .collect(),
            ),
            BodyI::Other(b) => Message {
                xid: self.xid,
                body: b.clone(),
            },
        }
    }
}

impl<const K: usize> MsgFlat<K> {
    /// The library's `Message` holding the same values.
    pub(crate) fn to_message(&self) -> Message {
        let insts = |l: &[InstF], buf: &[Action]| l.iter().map(|i| i.to_instruction(buf)).collect();
        match &self.body {
            BodyI::FlowMod(f) => Message {
                xid: self.xid,
                body: Body::FlowMod(flow_mod_of(
                    &f.head,
                    f.match_.clone(),
                    insts(&f.instructions, &f.actions),
                )),
            },
            BodyI::FlowReply {
                flags,
                entries,
                actions,
            } => reply(
                self.xid,
                *flags,
                entries
                    .iter()
                    .map(|e| {
                        flow_stats_of(&e.head, e.match_.clone(), insts(&e.instructions, actions))
                    })
                    .collect(),
            ),
            BodyI::Other(b) => Message {
                xid: self.xid,
                body: b.clone(),
            },
        }
    }
}

/// The sizes of the candidate types (and of the library's, for comparison), in bytes.
pub(crate) fn sizes() -> Vec<(&'static str, usize)> {
    use core::mem::size_of;
    vec![
        ("Action", size_of::<Action>()),
        (
            "Instruction (the library's: nested N=4)",
            size_of::<Instruction>(),
        ),
        ("FlowMod (the library's)", size_of::<FlowMod>()),
        ("FlowStats (the library's)", size_of::<FlowStats>()),
        ("Body (the library's)", size_of::<Body>()),
        ("Message (the library's)", size_of::<Message>()),
        ("control, Vec lists: Instruction", size_of::<InstV>()),
        ("control, Vec lists: FlowMod", size_of::<FlowModV>()),
        ("control, Vec lists: FlowStats", size_of::<FlowStatsV>()),
        ("control, Vec lists: Message", size_of::<MsgVec>()),
        ("InlineVec<Action, 2>", size_of::<InlineVec<Action, 2>>()),
        ("InlineVec<Action, 4>", size_of::<InlineVec<Action, 4>>()),
        ("InlineVec<Action, 8>", size_of::<InlineVec<Action, 8>>()),
        ("nested N=2: Instruction", size_of::<InstI<2>>()),
        ("nested N=2: FlowMod", size_of::<FlowModI<2>>()),
        ("nested N=2: FlowStats", size_of::<FlowStatsI<2>>()),
        ("nested N=2: Message", size_of::<MsgNested<2>>()),
        ("nested N=4: Instruction", size_of::<InstI<4>>()),
        ("nested N=4: FlowMod", size_of::<FlowModI<4>>()),
        ("nested N=4: FlowStats", size_of::<FlowStatsI<4>>()),
        ("nested N=4: Message", size_of::<MsgNested<4>>()),
        ("flat: Instruction", size_of::<InstF>()),
        ("flat K=4: FlowMod", size_of::<FlowModF<4>>()),
        ("flat K=8: FlowMod", size_of::<FlowModF<8>>()),
        ("flat: FlowStats", size_of::<FlowStatsF>()),
        ("flat K=4: Message", size_of::<MsgFlat<4>>()),
        ("flat K=8: Message", size_of::<MsgFlat<8>>()),
    ]
}

// ---------------------------------------------------------------------------------------------
// Decoding (the checks of `hw_owned_actions` / `hw_owned_instructions` / `hw_owned_match`).

/// The match's TLVs (the checks of `hw_owned_match`: framing counted first, then each TLV
/// decoded into its typed field) written into `fields`, the storage they stay in.
#[inline(always)]
fn match_in_place(oxms: &[u8], fields: &mut sdnwire_openflow::oxm::MatchFields) -> Option<()> {
    let mut n = 0;
    let mut rest = oxms;
    while let Some((t, tail)) = rest.split_first_chunk::<4>() {
        rest = tail.get(usize::from(t[3])..)?;
        n += 1;
    }
    if !rest.is_empty() {
        return None;
    }
    fields.reserve_exact(n);
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
    Some(())
}

/// Checks an action list's framing (each length at least 8, a multiple of 8, within the list)
/// and counts its actions.
#[inline(always)]
fn count_actions(acts: &[u8]) -> Option<usize> {
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
    rest.is_empty().then_some(n)
}

/// Checks an instruction list's framing, counts its instructions and the actions of its
/// action-list instructions (their framing checked too): `(instructions, actions)`.
#[inline(always)]
fn count_instructions(insts: &[u8]) -> Option<(usize, usize)> {
    let (mut n, mut acts) = (0, 0);
    let mut rest = insts;
    while let Some((i, _)) = rest.split_first_chunk::<8>() {
        let ilen = usize::from(u16::from_be_bytes([i[2], i[3]]));
        if ilen < 8 || ilen % 8 != 0 || ilen > rest.len() {
            return None;
        }
        if matches!(u16::from_be_bytes([i[0], i[1]]), 3 | 4) {
            acts += count_actions(&rest[8..ilen])?;
        }
        rest = &rest[ilen..];
        n += 1;
    }
    rest.is_empty().then_some((n, acts))
}

/// Decodes the actions of a list whose framing [`count_actions`] checked into `out`.
#[inline(always)]
fn push_actions<const N: usize>(acts: &[u8], out: &mut InlineVec<Action, N>) -> Option<()> {
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
    Some(())
}

/// Nested design: the instructions of a list into `out` (its framing checked and counted
/// first; each action list checked, counted, placed and filled where it stays).
#[inline(always)]
fn nested_instructions<const N: usize>(
    insts: &[u8],
    out: &mut InlineVec<InstI<N>, 2>,
) -> Option<()> {
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
    out.reserve_exact(n);
    let mut rest = insts;
    while let Some((i, _)) = rest.split_first_chunk::<8>() {
        let ilen = usize::from(u16::from_be_bytes([i[2], i[3]]));
        let (inst, tail) = rest.split_at(ilen);
        rest = tail;
        match u16::from_be_bytes([i[0], i[1]]) {
            1 if ilen == 8 && i[5..8] == [0; 3] => out.push(InstI::GotoTable(TableId(i[4]))),
            4 if i[4..8] == [0; 4] => {
                let acts = &inst[8..];
                let n = count_actions(acts)?;
                out.push(InstI::ApplyActions(InlineVec::new()));
                let Some(InstI::ApplyActions(list)) = out.last_mut() else {
                    return None;
                };
                list.reserve_exact(n);
                push_actions(acts, list)?;
            }
            _ => return None,
        }
    }
    Some(())
}

/// The control design built the same way (the control row `handwritten_vec`): the
/// instructions of a list into `out`, each action list a `Vec` allocated at its counted size,
/// placed in its instruction and filled there.
#[inline(always)]
fn vec_instructions(insts: &[u8], out: &mut Vec<InstV>) -> Option<()> {
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
    *out = Vec::with_capacity(n);
    let mut rest = insts;
    while let Some((i, _)) = rest.split_first_chunk::<8>() {
        let ilen = usize::from(u16::from_be_bytes([i[2], i[3]]));
        let (inst, tail) = rest.split_at(ilen);
        rest = tail;
        match u16::from_be_bytes([i[0], i[1]]) {
            1 if ilen == 8 && i[5..8] == [0; 3] => out.push(InstV::GotoTable(TableId(i[4]))),
            4 if i[4..8] == [0; 4] => {
                let acts = &inst[8..];
                out.push(InstV::ApplyActions(Vec::with_capacity(count_actions(
                    acts,
                )?)));
                let Some(InstV::ApplyActions(list)) = out.last_mut() else {
                    return None;
                };
                push_actions_vec(acts, list)?;
            }
            _ => return None,
        }
    }
    Some(())
}

/// Flat design: the instructions of a list whose framing [`count_instructions`] checked into
/// `out`, their actions appended to `buf` (each instruction holding its range).
#[inline(always)]
fn flat_instructions<const N: usize>(
    insts: &[u8],
    out: &mut InlineVec<InstF, 2>,
    buf: &mut InlineVec<Action, N>,
) -> Option<()> {
    let mut rest = insts;
    while let Some((i, _)) = rest.split_first_chunk::<8>() {
        let ilen = usize::from(u16::from_be_bytes([i[2], i[3]]));
        let (inst, tail) = rest.split_at(ilen);
        rest = tail;
        match u16::from_be_bytes([i[0], i[1]]) {
            1 if ilen == 8 && i[5..8] == [0; 3] => out.push(InstF::GotoTable(TableId(i[4]))),
            4 if i[4..8] == [0; 4] => {
                let start = buf.len();
                push_actions(&inst[8..], buf)?;
                out.push(InstF::ApplyActions(ActionRange {
                    start: u32::try_from(start).ok()?,
                    len: u32::try_from(buf.len() - start).ok()?,
                }));
            }
            _ => return None,
        }
    }
    Some(())
}

/// A flat design's flow-stats reply buffer is a `Vec`; [`flat_instructions`] takes the
/// `InlineVec` of a FLOW_MOD or this adapter over a `Vec`.
#[inline(always)]
fn flat_instructions_vec(
    insts: &[u8],
    out: &mut InlineVec<InstF, 2>,
    buf: &mut Vec<Action>,
) -> Option<()> {
    let mut rest = insts;
    while let Some((i, _)) = rest.split_first_chunk::<8>() {
        let ilen = usize::from(u16::from_be_bytes([i[2], i[3]]));
        let (inst, tail) = rest.split_at(ilen);
        rest = tail;
        match u16::from_be_bytes([i[0], i[1]]) {
            1 if ilen == 8 && i[5..8] == [0; 3] => out.push(InstF::GotoTable(TableId(i[4]))),
            4 if i[4..8] == [0; 4] => {
                let start = buf.len();
                push_actions_vec(&inst[8..], buf)?;
                out.push(InstF::ApplyActions(ActionRange {
                    start: u32::try_from(start).ok()?,
                    len: u32::try_from(buf.len() - start).ok()?,
                }));
            }
            _ => return None,
        }
    }
    Some(())
}

/// [`push_actions`] into a `Vec` (its room reserved by the caller).
#[inline(always)]
fn push_actions_vec(acts: &[u8], out: &mut Vec<Action>) -> Option<()> {
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
    Some(())
}

/// The FLOW_MOD's header and fixed part checked (as `flow_mod_handwritten_message`):
/// `(xid, fixed fields, OXM TLVs, instructions)`.
#[inline(always)]
fn flow_mod_head(msg: &[u8]) -> Option<(u32, FlowModHead, &[u8], &[u8])> {
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
    let head = FlowModHead {
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
    };
    Some((
        u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
        head,
        oxms,
        insts,
    ))
}

/// The nested design's FLOW_MOD (inlined into its row: built where it stays).
#[inline(always)]
pub(crate) fn flow_mod_nested_message<const N: usize>(msg: &[u8]) -> Option<MsgNested<N>> {
    let (xid, head, oxms, insts) = flow_mod_head(msg)?;
    let mut r = Some(MessageI {
        xid,
        body: BodyI::FlowMod(FlowModI {
            head,
            match_: Match::default(),
            instructions: InlineVec::new(),
        }),
    });
    let Some(MessageI {
        body: BodyI::FlowMod(f),
        ..
    }) = &mut r
    else {
        return None;
    };
    match_in_place(oxms, &mut f.match_.fields)?;
    nested_instructions(insts, &mut f.instructions)?;
    r
}

/// The control design's `Message` for a FLOW_MOD, built as the candidates are (the control
/// row).
#[inline(always)]
pub(crate) fn flow_mod_vec_message(msg: &[u8]) -> Option<MsgVec> {
    let (xid, head, oxms, insts) = flow_mod_head(msg)?;
    let mut r = Some(MessageI {
        xid,
        body: BodyI::FlowMod(FlowModV {
            head,
            match_: Match::default(),
            instructions: Vec::new(),
        }),
    });
    let Some(MessageI {
        body: BodyI::FlowMod(f),
        ..
    }) = &mut r
    else {
        return None;
    };
    match_in_place(oxms, &mut f.match_.fields)?;
    vec_instructions(insts, &mut f.instructions)?;
    r
}

/// The flat design's FLOW_MOD (inlined into its row).
#[inline(always)]
pub(crate) fn flow_mod_flat_message<const K: usize>(msg: &[u8]) -> Option<MsgFlat<K>> {
    let (xid, head, oxms, insts) = flow_mod_head(msg)?;
    let (n, n_acts) = count_instructions(insts)?;
    let mut r = Some(MessageI {
        xid,
        body: BodyI::FlowMod(FlowModF {
            head,
            match_: Match::default(),
            instructions: InlineVec::new(),
            actions: InlineVec::new(),
        }),
    });
    let Some(MessageI {
        body: BodyI::FlowMod(f),
        ..
    }) = &mut r
    else {
        return None;
    };
    match_in_place(oxms, &mut f.match_.fields)?;
    f.instructions.reserve_exact(n);
    f.actions.reserve_exact(n_acts);
    flat_instructions(insts, &mut f.instructions, &mut f.actions)?;
    r
}

/// A flow-stats reply's header checked (as `flows_handwritten_message`): `(xid, flags, body)`.
#[inline(always)]
fn reply_head(m: &[u8]) -> Option<(u32, MultipartFlags, &[u8])> {
    let (h, body) = m.split_first_chunk::<16>()?;
    if h[0] != 4
        || h[1] != 19
        || usize::from(u16::from_be_bytes([h[2], h[3]])) != m.len()
        || h[8..10] != [0, 1]
        || h[12..16] != [0; 4]
    {
        return None;
    }
    Some((
        u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
        MultipartFlags(u16::from_be_bytes([h[10], h[11]])),
        body,
    ))
}

/// One entry's fixed part checked: `(fixed fields, OXM TLVs, instructions)`.
#[inline(always)]
fn entry_head(entry: &[u8]) -> Option<(FlowStatsHead, &[u8], &[u8])> {
    let (f, _) = entry.split_first_chunk::<56>()?;
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
    let head = FlowStatsHead {
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
    };
    Some((head, oxms, insts))
}

/// The entries of a reply body counted, each one's length checked.
#[inline(always)]
fn count_entries(body: &[u8]) -> Option<usize> {
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
    Some(n)
}

/// The nested design's flow-stats reply (inlined into its row).
#[inline(always)]
pub(crate) fn flows_nested_message<const N: usize>(m: &[u8]) -> Option<MsgNested<N>> {
    let (xid, flags, body) = reply_head(m)?;
    let mut entries = Vec::with_capacity(count_entries(body)?);
    let mut rest = body;
    while let Some((f, _)) = rest.split_first_chunk::<56>() {
        let len = usize::from(u16::from_be_bytes([f[0], f[1]]));
        let (entry, tail) = rest.split_at(len);
        rest = tail;
        let (head, oxms, insts) = entry_head(entry)?;
        entries.push(FlowStatsI {
            head,
            match_: Match::default(),
            instructions: InlineVec::new(),
        });
        let e = entries.last_mut()?;
        match_in_place(oxms, &mut e.match_.fields)?;
        nested_instructions(insts, &mut e.instructions)?;
    }
    Some(MessageI {
        xid,
        body: BodyI::FlowReply {
            flags,
            entries,
            actions: (),
        },
    })
}

/// The control design's `Message` for a flow-stats reply, built as the candidates are (the
/// control row).
#[inline(always)]
pub(crate) fn flows_vec_message(m: &[u8]) -> Option<MsgVec> {
    let (xid, flags, body) = reply_head(m)?;
    let mut entries = Vec::with_capacity(count_entries(body)?);
    let mut rest = body;
    while let Some((f, _)) = rest.split_first_chunk::<56>() {
        let len = usize::from(u16::from_be_bytes([f[0], f[1]]));
        let (entry, tail) = rest.split_at(len);
        rest = tail;
        let (head, oxms, insts) = entry_head(entry)?;
        entries.push(FlowStatsV {
            head,
            match_: Match::default(),
            instructions: Vec::new(),
        });
        let e = entries.last_mut()?;
        match_in_place(oxms, &mut e.match_.fields)?;
        vec_instructions(insts, &mut e.instructions)?;
    }
    Some(MessageI {
        xid,
        body: BodyI::FlowReply {
            flags,
            entries,
            actions: (),
        },
    })
}

/// The flat design's flow-stats reply (inlined into its row): the entries and every action of
/// the message counted (the framing of each entry, instruction and action checked), then both
/// buffers allocated once at their counted sizes and filled.
#[inline(always)]
pub(crate) fn flows_flat_message(m: &[u8]) -> Option<MsgFlat<4>> {
    let (xid, flags, body) = reply_head(m)?;
    let (mut n, mut n_acts) = (0, 0);
    let mut rest = body;
    while !rest.is_empty() {
        let (f, _) = rest.split_first_chunk::<56>()?;
        let len = usize::from(u16::from_be_bytes([f[0], f[1]]));
        if len < 56 || len > rest.len() {
            return None;
        }
        let mlen = usize::from(u16::from_be_bytes([f[50], f[51]]));
        let insts = rest[48..len].get(mlen.next_multiple_of(8)..)?;
        n_acts += count_instructions(insts)?.1;
        rest = &rest[len..];
        n += 1;
    }
    let mut entries = Vec::with_capacity(n);
    let mut actions = Vec::with_capacity(n_acts);
    let mut rest = body;
    while let Some((f, _)) = rest.split_first_chunk::<56>() {
        let len = usize::from(u16::from_be_bytes([f[0], f[1]]));
        let (entry, tail) = rest.split_at(len);
        rest = tail;
        let (head, oxms, insts) = entry_head(entry)?;
        entries.push(FlowStatsF {
            head,
            match_: Match::default(),
            instructions: InlineVec::new(),
        });
        let e = entries.last_mut()?;
        match_in_place(oxms, &mut e.match_.fields)?;
        flat_instructions_vec(insts, &mut e.instructions, &mut actions)?;
    }
    Some(MessageI {
        xid,
        body: BodyI::FlowReply {
            flags,
            entries,
            actions,
        },
    })
}

// ---------------------------------------------------------------------------------------------
// Reading, as `owned_into` reads the library's values.

/// One owned action as the summaries hold it.
#[inline(always)]
fn act_of(a: &Action) -> Option<Act> {
    Some(match a {
        Action::Output { port, max_len } => {
            if *port == PortNo::CONTROLLER {
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
    })
}

#[inline(always)]
fn match_into(m: &Match, s: &mut FlowSummary) -> Option<()> {
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
    Some(())
}

#[inline(always)]
fn actions_into(actions: &[Action], s: &mut FlowSummary) -> Option<()> {
    for a in actions {
        if !s.push(act_of(a)?) {
            return None;
        }
    }
    Some(())
}

/// The nested design's match and instructions into the summary.
fn nested_into<const N: usize>(m: &Match, insts: &[InstI<N>], s: &mut FlowSummary) -> Option<()> {
    match_into(m, s)?;
    for i in insts {
        match i {
            InstI::GotoTable(t) => s.goto_table = Some(t.0),
            InstI::ApplyActions(actions) => actions_into(actions, s)?,
            _ => return None,
        }
    }
    Some(())
}

/// The control design's match and instructions into the summary.
fn vec_into(m: &Match, insts: &[InstV], s: &mut FlowSummary) -> Option<()> {
    match_into(m, s)?;
    for i in insts {
        match i {
            InstV::GotoTable(t) => s.goto_table = Some(t.0),
            InstV::ApplyActions(actions) => actions_into(actions, s)?,
            _ => return None,
        }
    }
    Some(())
}

/// The flat design's match and instructions (their actions in `buf`) into the summary.
fn flat_into(m: &Match, insts: &[InstF], buf: &[Action], s: &mut FlowSummary) -> Option<()> {
    match_into(m, s)?;
    for i in insts {
        match i {
            InstF::GotoTable(t) => s.goto_table = Some(t.0),
            InstF::ApplyActions(r) => actions_into(r.of(buf)?, s)?,
            _ => return None,
        }
    }
    Some(())
}

fn flow_mod_summary(xid: u32, h: &FlowModHead) -> FlowModSummary {
    FlowModSummary {
        xid,
        cookie_mask: h.cookie_mask,
        command: h.command.0,
        buffer_id: h.buffer_id.0,
        out_port: h.out_port.0,
        out_group: h.out_group.0,
        entry: FlowSummary {
            table_id: h.table_id.0,
            priority: h.priority,
            idle_timeout: h.idle_timeout,
            hard_timeout: h.hard_timeout,
            flags: h.flags.0,
            cookie: h.cookie,
            ..FlowSummary::default()
        },
    }
}

fn flow_summary(h: &FlowStatsHead) -> FlowSummary {
    FlowSummary {
        table_id: h.table_id.0,
        priority: h.priority,
        idle_timeout: h.idle_timeout,
        hard_timeout: h.hard_timeout,
        flags: h.flags.0,
        cookie: h.cookie,
        duration_sec: h.duration_sec,
        duration_nsec: h.duration_nsec,
        packet_count: h.packet_count,
        byte_count: h.byte_count,
        ..FlowSummary::default()
    }
}

// ---------------------------------------------------------------------------------------------
// The rows.

/// Nested design, action lists inline up to `N`: the FLOW_MOD decoded into a [`MsgNested`]
/// and read as `flow_mod_parse_handwritten_owned` reads its `Message`.
#[inline(always)]
fn flow_mod_nested<const N: usize>(msg: &[u8], sink: impl FnOnce(&FlowModSummary)) -> bool {
    // Read in place, as `flow_mod_parse_ours_owned` reads `Message::parse`'s value.
    let r = flow_mod_nested_message::<N>(msg);
    let Some(m) = black_box(&r) else {
        return false;
    };
    let BodyI::FlowMod(f) = &m.body else {
        return false;
    };
    let mut s = flow_mod_summary(m.xid, &f.head);
    if nested_into(&f.match_, &f.instructions, &mut s.entry).is_none() {
        return false;
    }
    sink(&s);
    true
}

/// Flat design, the FLOW_MOD's action buffer inline up to `K`.
#[inline(always)]
fn flow_mod_flat<const K: usize>(msg: &[u8], sink: impl FnOnce(&FlowModSummary)) -> bool {
    // Read in place, as `flow_mod_parse_ours_owned` reads `Message::parse`'s value.
    let r = flow_mod_flat_message::<K>(msg);
    let Some(m) = black_box(&r) else {
        return false;
    };
    let BodyI::FlowMod(f) = &m.body else {
        return false;
    };
    let mut s = flow_mod_summary(m.xid, &f.head);
    if flat_into(&f.match_, &f.instructions, &f.actions, &mut s.entry).is_none() {
        return false;
    }
    sink(&s);
    true
}

/// Row `handwritten_vec` (control): `Vec` lists (the library's former types), built and read
/// as the candidates are.
pub(crate) fn flow_mod_parse_handwritten_vec(
    msg: &[u8],
    sink: impl FnOnce(&FlowModSummary),
) -> bool {
    // Read in place, as `flow_mod_parse_ours_owned` reads `Message::parse`'s value.
    let r = flow_mod_vec_message(msg);
    let Some(m) = black_box(&r) else {
        return false;
    };
    let BodyI::FlowMod(f) = &m.body else {
        return false;
    };
    let mut s = flow_mod_summary(m.xid, &f.head);
    if vec_into(&f.match_, &f.instructions, &mut s.entry).is_none() {
        return false;
    }
    sink(&s);
    true
}

/// Row `handwritten_inline`: nested design, N = 4.
pub(crate) fn flow_mod_parse_handwritten_inline(
    msg: &[u8],
    sink: impl FnOnce(&FlowModSummary),
) -> bool {
    flow_mod_nested::<4>(msg, sink)
}

/// Row `handwritten_inline2`: nested design, N = 2.
pub(crate) fn flow_mod_parse_handwritten_inline2(
    msg: &[u8],
    sink: impl FnOnce(&FlowModSummary),
) -> bool {
    flow_mod_nested::<2>(msg, sink)
}

/// Row `handwritten_flat`: flat design, K = 4.
pub(crate) fn flow_mod_parse_handwritten_flat(
    msg: &[u8],
    sink: impl FnOnce(&FlowModSummary),
) -> bool {
    flow_mod_flat::<4>(msg, sink)
}

/// Row `handwritten_flat8`: flat design, K = 8.
pub(crate) fn flow_mod_parse_handwritten_flat8(
    msg: &[u8],
    sink: impl FnOnce(&FlowModSummary),
) -> bool {
    flow_mod_flat::<8>(msg, sink)
}

#[inline(always)]
fn flows_nested<const N: usize>(msgs: &[Vec<u8>], mut sink: impl FnMut(&FlowSummary)) -> bool {
    for m in msgs {
        // Read in place, as `flows_ours_owned` reads `Message::parse`'s value.
        let r = flows_nested_message::<N>(m);
        let Some(msg) = black_box(&r) else {
            return false;
        };
        let BodyI::FlowReply { entries, .. } = &msg.body else {
            return false;
        };
        for f in entries {
            let mut s = flow_summary(&f.head);
            if nested_into(&f.match_, &f.instructions, &mut s).is_none() {
                return false;
            }
            sink(&s);
        }
    }
    true
}

/// Row `handwritten_vec` (control): `Vec` lists (the library's former types), built and read
/// as the candidates are.
pub(crate) fn flows_handwritten_vec(msgs: &[Vec<u8>], mut sink: impl FnMut(&FlowSummary)) -> bool {
    for m in msgs {
        // Read in place, as `flows_ours_owned` reads `Message::parse`'s value.
        let r = flows_vec_message(m);
        let Some(msg) = black_box(&r) else {
            return false;
        };
        let BodyI::FlowReply { entries, .. } = &msg.body else {
            return false;
        };
        for f in entries {
            let mut s = flow_summary(&f.head);
            if vec_into(&f.match_, &f.instructions, &mut s).is_none() {
                return false;
            }
            sink(&s);
        }
    }
    true
}

/// Row `handwritten_inline`: nested design, N = 4.
pub(crate) fn flows_handwritten_inline(msgs: &[Vec<u8>], sink: impl FnMut(&FlowSummary)) -> bool {
    flows_nested::<4>(msgs, sink)
}

/// Row `handwritten_inline2`: nested design, N = 2.
pub(crate) fn flows_handwritten_inline2(msgs: &[Vec<u8>], sink: impl FnMut(&FlowSummary)) -> bool {
    flows_nested::<2>(msgs, sink)
}

/// Row `handwritten_flat`: flat design (one action buffer per reply message).
pub(crate) fn flows_handwritten_flat(msgs: &[Vec<u8>], mut sink: impl FnMut(&FlowSummary)) -> bool {
    for m in msgs {
        // Read in place, as `flows_ours_owned` reads `Message::parse`'s value.
        let r = flows_flat_message(m);
        let Some(msg) = black_box(&r) else {
            return false;
        };
        let BodyI::FlowReply {
            entries, actions, ..
        } = &msg.body
        else {
            return false;
        };
        for f in entries {
            let mut s = flow_summary(&f.head);
            if flat_into(&f.match_, &f.instructions, actions, &mut s).is_none() {
                return false;
            }
            sink(&s);
        }
    }
    true
}

// ---------------------------------------------------------------------------------------------
// One pass (row `handwritten_inline1p`: the nested design, N = 4): each list's framing checked
// as its items are decoded and pushed, without a counting pass (a list past its inline room
// grows as `InlineVec::push` grows it). The entries of a reply are still counted first.

/// One action, its framing checked by the caller (`alen` its length, `act` its bytes).
#[inline(always)]
fn decode_action(a: &[u8; 8], act: &[u8], alen: usize) -> Option<Action> {
    Some(match (u16::from_be_bytes([a[0], a[1]]), alen) {
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
    })
}

/// An action list checked and decoded in one pass into `out`.
#[inline(always)]
fn actions_1p<const N: usize>(acts: &[u8], out: &mut InlineVec<Action, N>) -> Option<()> {
    let mut rest = acts;
    while let Some((a, _)) = rest.split_first_chunk::<8>() {
        let alen = usize::from(u16::from_be_bytes([a[2], a[3]]));
        if alen < 8 || alen % 8 != 0 || alen > rest.len() {
            return None;
        }
        let (act, tail) = rest.split_at(alen);
        rest = tail;
        out.push(decode_action(a, act, alen)?);
    }
    rest.is_empty().then_some(())
}

/// An instruction list checked and decoded in one pass into `out` (each action list placed in
/// its instruction, then filled there).
#[inline(always)]
fn instructions_1p<const N: usize>(insts: &[u8], out: &mut InlineVec<InstI<N>, 2>) -> Option<()> {
    let mut rest = insts;
    while let Some((i, _)) = rest.split_first_chunk::<8>() {
        let ilen = usize::from(u16::from_be_bytes([i[2], i[3]]));
        if ilen < 8 || ilen % 8 != 0 || ilen > rest.len() {
            return None;
        }
        let (inst, tail) = rest.split_at(ilen);
        rest = tail;
        match u16::from_be_bytes([i[0], i[1]]) {
            1 if ilen == 8 && i[5..8] == [0; 3] => out.push(InstI::GotoTable(TableId(i[4]))),
            4 if i[4..8] == [0; 4] => {
                out.push(InstI::ApplyActions(InlineVec::new()));
                let Some(InstI::ApplyActions(list)) = out.last_mut() else {
                    return None;
                };
                actions_1p(&inst[8..], list)?;
            }
            _ => return None,
        }
    }
    rest.is_empty().then_some(())
}

/// The match's TLVs checked and decoded in one pass into `fields`.
#[inline(always)]
fn match_1p(oxms: &[u8], fields: &mut sdnwire_openflow::oxm::MatchFields) -> Option<()> {
    let mut rest = oxms;
    while let Some((t, tail)) = rest.split_first_chunk::<4>() {
        let (v, tail) = tail.split_at_checked(usize::from(t[3]))?;
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
    rest.is_empty().then_some(())
}

/// The nested design's FLOW_MOD decoded in one pass (inlined into its row).
#[inline(always)]
pub(crate) fn flow_mod_1p_message(msg: &[u8]) -> Option<MsgNested<4>> {
    let (xid, head, oxms, insts) = flow_mod_head(msg)?;
    let mut r = Some(MessageI {
        xid,
        body: BodyI::FlowMod(FlowModI {
            head,
            match_: Match::default(),
            instructions: InlineVec::new(),
        }),
    });
    let Some(MessageI {
        body: BodyI::FlowMod(f),
        ..
    }) = &mut r
    else {
        return None;
    };
    match_1p(oxms, &mut f.match_.fields)?;
    instructions_1p(insts, &mut f.instructions)?;
    r
}

/// The nested design's flow-stats reply decoded in one pass per list (inlined into its row).
#[inline(always)]
pub(crate) fn flows_1p_message(m: &[u8]) -> Option<MsgNested<4>> {
    let (xid, flags, body) = reply_head(m)?;
    let mut entries = Vec::with_capacity(count_entries(body)?);
    let mut rest = body;
    while let Some((f, _)) = rest.split_first_chunk::<56>() {
        let len = usize::from(u16::from_be_bytes([f[0], f[1]]));
        let (entry, tail) = rest.split_at(len);
        rest = tail;
        let (head, oxms, insts) = entry_head(entry)?;
        entries.push(FlowStatsI {
            head,
            match_: Match::default(),
            instructions: InlineVec::new(),
        });
        let e = entries.last_mut()?;
        match_1p(oxms, &mut e.match_.fields)?;
        instructions_1p(insts, &mut e.instructions)?;
    }
    Some(MessageI {
        xid,
        body: BodyI::FlowReply {
            flags,
            entries,
            actions: (),
        },
    })
}

/// Row `handwritten_inline1p`: the nested design, N = 4, one pass per list.
pub(crate) fn flow_mod_parse_handwritten_inline1p(
    msg: &[u8],
    sink: impl FnOnce(&FlowModSummary),
) -> bool {
    // Read in place, as `flow_mod_parse_ours_owned` reads `Message::parse`'s value.
    let r = flow_mod_1p_message(msg);
    let Some(m) = black_box(&r) else {
        return false;
    };
    let BodyI::FlowMod(f) = &m.body else {
        return false;
    };
    let mut s = flow_mod_summary(m.xid, &f.head);
    if nested_into(&f.match_, &f.instructions, &mut s.entry).is_none() {
        return false;
    }
    sink(&s);
    true
}

/// Row `handwritten_inline1p`: the nested design, N = 4, one pass per list.
pub(crate) fn flows_handwritten_inline1p(
    msgs: &[Vec<u8>],
    mut sink: impl FnMut(&FlowSummary),
) -> bool {
    for m in msgs {
        // Read in place, as `flows_ours_owned` reads `Message::parse`'s value.
        let r = flows_1p_message(m);
        let Some(msg) = black_box(&r) else {
            return false;
        };
        let BodyI::FlowReply { entries, .. } = &msg.body else {
            return false;
        };
        for f in entries {
            let mut s = flow_summary(&f.head);
            if nested_into(&f.match_, &f.instructions, &mut s).is_none() {
                return false;
            }
            sink(&s);
        }
    }
    true
}

// ---------------------------------------------------------------------------------------------

/// The candidate rows agree with `Message::parse` (values) and with the hand-written owned
/// floor (summaries); panics otherwise.
pub(crate) fn check() {
    let msgs = super::flow_stats_reply();
    let mut want = Vec::new();
    assert!(super::flows_handwritten_owned(&msgs, |s| want.push(*s)));
    type Row = fn(&[Vec<u8>], &mut dyn FnMut(&FlowSummary)) -> bool;
    let rows: [(&str, Row); 5] = [
        ("handwritten_vec", |m, s| flows_handwritten_vec(m, s)),
        ("handwritten_inline", |m, s| flows_handwritten_inline(m, s)),
        ("handwritten_inline1p", |m, s| {
            flows_handwritten_inline1p(m, s)
        }),
        ("handwritten_inline2", |m, s| {
            flows_handwritten_inline2(m, s)
        }),
        ("handwritten_flat", |m, s| flows_handwritten_flat(m, s)),
    ];
    for (name, row) in rows {
        let mut got = Vec::new();
        assert!(
            row(&msgs, &mut |s: &FlowSummary| got.push(*s)),
            "flow stats {name} failed"
        );
        assert_eq!(got, want, "flow stats: {name} and the owned floor disagree");
    }
    for m in &msgs {
        let want = Message::parse(m).ok();
        assert!(want.is_some());
        assert_eq!(flows_nested_message::<4>(m).map(|x| x.to_message()), want);
        assert_eq!(flows_nested_message::<2>(m).map(|x| x.to_message()), want);
        assert_eq!(flows_flat_message(m).map(|x| x.to_message()), want);
        assert_eq!(flows_vec_message(m).map(|x| x.to_message()), want);
        assert_eq!(flows_1p_message(m).map(|x| x.to_message()), want);
    }
    // The lists inline where they fit: the reply's entries of up to N actions hold no heap
    // list (the entry vector and, in the flat design, the action buffer are the allocations).
    let n4 = flows_nested_message::<4>(&msgs[0]).expect("decodes");
    let BodyI::FlowReply { entries, .. } = &n4.body else {
        panic!("a reply")
    };
    for e in entries {
        assert!(e.instructions.is_inline());
        for i in e.instructions.iter() {
            if let InstI::ApplyActions(a) = i {
                assert_eq!(a.is_inline(), a.len() <= 4);
            }
        }
    }

    for fm in [super::flow_mod_ours(), super::flow_mod_router()] {
        let bytes = fm.to_vec().expect("the flow encodes");
        let mut want = Vec::new();
        assert!(super::flow_mod_parse_handwritten_owned(&bytes, |s| want.push(*s)));
        type Row = fn(&[u8], &mut dyn FnMut(&FlowModSummary)) -> bool;
        let rows: [(&str, Row); 6] = [
            ("handwritten_vec", |m, s| {
                flow_mod_parse_handwritten_vec(m, s)
            }),
            ("handwritten_inline", |m, s| {
                flow_mod_parse_handwritten_inline(m, s)
            }),
            ("handwritten_inline1p", |m, s| {
                flow_mod_parse_handwritten_inline1p(m, s)
            }),
            ("handwritten_inline2", |m, s| {
                flow_mod_parse_handwritten_inline2(m, s)
            }),
            ("handwritten_flat", |m, s| {
                flow_mod_parse_handwritten_flat(m, s)
            }),
            ("handwritten_flat8", |m, s| {
                flow_mod_parse_handwritten_flat8(m, s)
            }),
        ];
        for (name, row) in rows {
            let mut got = Vec::new();
            assert!(
                row(&bytes, &mut |s: &FlowModSummary| got.push(*s)),
                "FLOW_MOD {name} failed"
            );
            assert_eq!(got, want, "FLOW_MOD: {name} and the owned floor disagree");
        }
        let want = Message::parse(&bytes).ok();
        assert!(want.is_some());
        assert_eq!(
            flow_mod_nested_message::<4>(&bytes).map(|x| x.to_message()),
            want
        );
        assert_eq!(
            flow_mod_nested_message::<2>(&bytes).map(|x| x.to_message()),
            want
        );
        assert_eq!(
            flow_mod_flat_message::<4>(&bytes).map(|x| x.to_message()),
            want
        );
        assert_eq!(
            flow_mod_flat_message::<8>(&bytes).map(|x| x.to_message()),
            want
        );
        assert_eq!(flow_mod_vec_message(&bytes).map(|x| x.to_message()), want);
        assert_eq!(flow_mod_1p_message(&bytes).map(|x| x.to_message()), want);
    }
    // Every one-byte change of the FLOW_MODs: each candidate accepts exactly what the owned
    // floor accepts, with the same values.
    for fm in [super::flow_mod_ours(), super::flow_mod_router()] {
        let bytes = fm.to_vec().expect("the flow encodes");
        for i in 0..bytes.len() {
            for x in [0x01, 0x08, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] ^= x;
                let want = super::flow_mod_handwritten_message(&b);
                assert_eq!(
                    flow_mod_nested_message::<4>(&b).map(|x| x.to_message()),
                    want
                );
                assert_eq!(
                    flow_mod_nested_message::<2>(&b).map(|x| x.to_message()),
                    want
                );
                assert_eq!(flow_mod_flat_message::<4>(&b).map(|x| x.to_message()), want);
                assert_eq!(flow_mod_flat_message::<8>(&b).map(|x| x.to_message()), want);
                assert_eq!(flow_mod_vec_message(&b).map(|x| x.to_message()), want);
                assert_eq!(flow_mod_1p_message(&b).map(|x| x.to_message()), want);
            }
        }
    }
}
