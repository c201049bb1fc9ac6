//! Fixed wire layouts of the hot structures as zerocopy structs, for the views' fast paths.
//!
//! Each struct is a `sdnwire_packet::wire::FixedLayout` (the workspace's one mechanism for
//! fixed layouts, see `docs/API.md`): `#[repr(C)]` over unaligned network-endian fields, so
//! reading one is a single bounds check (`FixedLayout::ref_from_front`) followed by loads at
//! constant offsets:
//! no `unsafe`, no alignment trap, no per-field `Result`. The structs are private: the views'
//! fields and accessors are the API. A fast path that finds anything unusual (a bad length, a
//! non-zero pad byte, a short buffer) returns `None` and the caller runs the general
//! field-by-field parser, which builds the exact error; so the errors are the same whichever
//! path runs.

use sdnwire_packet::wire::{U16, U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// `ofp_packet_in`'s fixed part followed by its `ofp_match` header (20 bytes).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct PacketInHead {
    pub(crate) buffer_id: U32,
    pub(crate) total_len: U16,
    pub(crate) reason: u8,
    pub(crate) table_id: u8,
    pub(crate) cookie: U64,
    pub(crate) match_type: U16,
    pub(crate) match_len: U16,
}

/// `ofp_flow_stats`'s fixed part followed by its `ofp_match` header (52 bytes).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct FlowStatsHead {
    pub(crate) length: U16,
    pub(crate) table_id: u8,
    pub(crate) pad: u8,
    pub(crate) duration_sec: U32,
    pub(crate) duration_nsec: U32,
    pub(crate) priority: U16,
    pub(crate) idle_timeout: U16,
    pub(crate) hard_timeout: U16,
    pub(crate) flags: U16,
    pub(crate) pad2: [u8; 4],
    pub(crate) cookie: U64,
    pub(crate) packet_count: U64,
    pub(crate) byte_count: U64,
    pub(crate) match_type: U16,
    pub(crate) match_len: U16,
}

/// `ofp_flow_mod`'s fixed part followed by its `ofp_match` header (44 bytes).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct FlowModHead {
    pub(crate) cookie: U64,
    pub(crate) cookie_mask: U64,
    pub(crate) table_id: u8,
    pub(crate) command: u8,
    pub(crate) idle_timeout: U16,
    pub(crate) hard_timeout: U16,
    pub(crate) priority: U16,
    pub(crate) buffer_id: U32,
    pub(crate) out_port: U32,
    pub(crate) out_group: U32,
    pub(crate) flags: U16,
    pub(crate) pad: [u8; 2],
    pub(crate) match_type: U16,
    pub(crate) match_len: U16,
}

/// `ofp_instruction` / `ofp_action_header` with the 4 bytes that follow (8 bytes: the
/// minimum length of both).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct TlvHead8 {
    pub(crate) type_: U16,
    pub(crate) len: U16,
    pub(crate) body: [u8; 4],
}

/// `ofp_action_output` (16 bytes).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct ActionOutput {
    pub(crate) type_: U16,
    pub(crate) len: U16,
    pub(crate) port: U32,
    pub(crate) max_len: U16,
    pub(crate) pad: [u8; 6],
}

/// `ofp_instruction_write_metadata` (24 bytes).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct InstructionWriteMetadata {
    pub(crate) type_: U16,
    pub(crate) len: U16,
    pub(crate) pad: [u8; 4],
    pub(crate) metadata: U64,
    pub(crate) metadata_mask: U64,
}

// The layouts are the spec's sizes (checked at compile time).
const _: () = {
    use sdnwire_packet::wire::FixedLayout;
    assert!(PacketInHead::WIRE_LEN == 20);
    assert!(FlowStatsHead::WIRE_LEN == 52);
    assert!(FlowModHead::WIRE_LEN == 44);
    assert!(TlvHead8::WIRE_LEN == 8);
    assert!(ActionOutput::WIRE_LEN == 16);
    assert!(InstructionWriteMetadata::WIRE_LEN == 24);
};

/// True when the `n` (< 8) bytes before `end` in `buf` are zero: the padding of a structure
/// whose padded end is at `end`, checked with one 8-byte load (the 8 bytes before `end` must be
/// in `buf`). `None` when they are not.
#[inline(always)]
pub(crate) fn pad_is_zero(buf: &[u8], end: usize, n: usize) -> Option<bool> {
    let window: &[u8; 8] = buf.get(end.checked_sub(8)?..end)?.try_into().ok()?;
    let mask = (1u64 << ((n & 7) * 8)) - 1;
    Some(u64::from_be_bytes(*window) & mask == 0)
}

/// Walks the framing of OXM TLVs packed in `oxms` (a header of 4 bytes whose last byte is
/// the payload length, then the payload): true when they fill it exactly.
#[inline(always)]
pub(crate) fn oxm_framing_ok(oxms: &[u8]) -> bool {
    let mut rest = oxms;
    while let Some((h, tail)) = rest.split_first_chunk::<4>() {
        match tail.get(usize::from(h[3])..) {
            Some(t) => rest = t,
            None => return false,
        }
    }
    rest.is_empty()
}

/// The fast paths against the general parsers: on real and generated messages and on every
/// one-byte mutation and truncation of them, both accept the same inputs with the same values
/// and refuse the same inputs with the same errors.
#[cfg(test)]
mod tests {
    use alloc::format;
    use alloc::string::String;
    use alloc::vec;
    use alloc::vec::Vec;

    use crate::action::{Action, ActionList, ActionView, ActionsView};
    use crate::codec::{OwnedList, Reader, WireWrite};
    use crate::instruction::{Instruction, InstructionList, InstructionView, InstructionsView};
    use crate::multipart::{FlowStats, FlowStatsView, MultipartReply, MultipartReplyBody};
    use crate::oxm::{Match, OxmField};
    use crate::packet_in::PacketInView;
    use crate::types::{GroupId, MeterId, PortNo};
    use crate::{Body, Message, MessageView};

    use proptest::prelude::*;

    use super::{oxm_framing_ok, pad_is_zero};

    /// The input and every one-byte mutation and truncation of it.
    fn variants(b: &[u8]) -> Vec<Vec<u8>> {
        let mut out = vec![b.to_vec()];
        for i in 0..b.len() {
            let x = b[i];
            for v in [
                0,
                0xff,
                x ^ 1,
                x ^ 0x80,
                x.wrapping_add(8),
                x.wrapping_sub(8),
                x ^ 4,
            ] {
                let mut m = b.to_vec();
                m[i] = v;
                out.push(m);
            }
            out.push(b[..i].to_vec());
        }
        out
    }

    /// Walks a list with `parse` and with `general`, returning both traces.
    fn walk<'a, T: core::fmt::Debug>(
        buf: &'a [u8],
        parse: impl Fn(&mut Reader<'a>) -> crate::Result<T>,
        general: impl Fn(&mut Reader<'a>) -> crate::Result<T>,
    ) -> (String, String) {
        let trace = |f: &dyn Fn(&mut Reader<'a>) -> crate::Result<T>| {
            let mut r = Reader::new(buf, 100);
            let mut s = String::new();
            while !r.is_empty() {
                let item = f(&mut r);
                s += &format!("{item:?} @{}\n", r.offset());
                if item.is_err() {
                    break;
                }
            }
            s
        };
        (trace(&parse), trace(&general))
    }

    fn flows() -> Vec<FlowStats> {
        let acts = |i: u32| match i % 8 {
            0 => vec![
                Action::push_vlan(),
                Action::set_field(OxmField::VlanVid(0x1000 | 7, None)),
                Action::output(PortNo(i)),
            ],
            1 => vec![
                Action::PopVlan,
                Action::group(GroupId(9)),
                Action::SetQueue(3),
            ],
            2 => vec![
                Action::set_field(OxmField::EthDst(
                    sdnwire_packet::MacAddr([0, 1, 2, 3, 4, 5]),
                    Some(sdnwire_packet::MacAddr([0xff; 6])),
                )),
                Action::SetNwTtl(3),
                Action::output_to_controller(128),
            ],
            3 => vec![],
            4 => vec![Action::output(PortNo(1)), Action::output(PortNo(2))],
            // Every other action kind: TTL, MPLS, PBB, set-field of other fields,
            // experimenter (Nicira's typed, Nicira's raw, another's) and unknown types.
            5 => vec![
                Action::CopyTtlOut,
                Action::CopyTtlIn,
                Action::SetMplsTtl(9),
                Action::DecMplsTtl,
                Action::PushMpls(0x8847),
                Action::PopMpls(0x0800),
                Action::DecNwTtl,
                Action::PushPbb(0x88e7),
                Action::PopPbb,
            ],
            6 => vec![
                Action::set_field(OxmField::Ipv4Src([10, 0, 0, 1].into(), None)),
                Action::set_field(OxmField::TcpDst(80)),
                Action::set_field(OxmField::Metadata(7, Some(0xff))),
                Action::Nicira(crate::nicira::NxAction::ResubmitTable {
                    in_port: 0xfff8,
                    table_id: 1,
                }),
                Action::experimenter(
                    crate::nicira::NX_EXPERIMENTER_ID,
                    vec![0, 0xfe, 1, 2, 3, 4, 5, 6],
                ),
            ],
            _ => vec![
                Action::experimenter(0x00ab_cdef, vec![]),
                Action::experimenter(0x00ab_cdef, vec![1, 2, 3, 4, 5, 6, 7, 8]),
                Action::Unknown {
                    type_: crate::action::ActionType(0x1234),
                    data: vec![1, 2, 3, 4],
                },
                Action::Unknown {
                    type_: crate::action::ActionType(13),
                    data: vec![9; 12],
                },
            ],
        };
        (0..16)
            .map(|i| {
                let m = match i % 3 {
                    0 => Match::new(),
                    1 => Match::new().in_port(PortNo(i)).eth_type(0x0800u16),
                    _ => Match::new()
                        .in_port(PortNo(i))
                        .eth_dst(sdnwire_packet::MacAddr([0, 0, 0, 0, 0, 1])),
                };
                let insts = match i % 5 {
                    0 => vec![Instruction::apply_actions(acts(i))],
                    4 => vec![
                        Instruction::write_actions(acts(i)),
                        Instruction::Experimenter {
                            experimenter: 0x2320,
                            data: vec![1, 2, 3, 4, 5, 6, 7, 8],
                        },
                        Instruction::Experimenter {
                            experimenter: 7,
                            data: vec![],
                        },
                        Instruction::Unknown {
                            type_: crate::instruction::InstructionType(0x77),
                            data: vec![0; 4],
                        },
                        Instruction::apply_actions(acts(i + 1)),
                    ],
                    1 => vec![
                        Instruction::meter(MeterId(4)),
                        Instruction::write_actions(acts(i)),
                        Instruction::ClearActions,
                        Instruction::write_metadata(1, 3),
                        Instruction::goto_table(2u8),
                    ],
                    2 => vec![],
                    _ => vec![
                        Instruction::apply_actions(acts(i)),
                        Instruction::goto_table(1u8),
                    ],
                };
                FlowStats::new(u16::try_from(i).unwrap(), m, insts)
            })
            .collect()
    }

    #[test]
    fn packet_in_fast_path_equals_the_general_parser() {
        let msg = include_bytes!("../testdata/ovs-packet-in.bin");
        let built = Message::new(
            7,
            Body::PacketIn(crate::packet_in::PacketIn::new(PortNo(3), vec![0u8; 21])),
        )
        .to_vec()
        .unwrap();
        // A match and a frame past their inline room (5 fields, 160 bytes): the owned decode
        // puts them on the heap.
        let mut long = crate::packet_in::PacketIn::new(PortNo(4), vec![0x5au8; 160]);
        for i in 0..4u64 {
            long.match_
                .fields
                .push(crate::oxm::OxmField::Metadata(i, None));
        }
        let long = Message::new(8, Body::PacketIn(long)).to_vec().unwrap();
        let Ok(Message {
            body: Body::PacketIn(p),
            ..
        }) = Message::parse(&long)
        else {
            panic!("the long PACKET_IN does not parse")
        };
        assert!(!p.match_.fields.is_inline() && !p.data.is_inline());
        let mut n = 0;
        for base in [&msg[..], &built[..], &long[..]] {
            for m in variants(base) {
                let fast = MessageView::parse(&m);
                let general = MessageView::parse_general(&m);
                assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{m:02x?}");
                // The owned decode: its fast path against the general one, value or error.
                assert_eq!(Message::parse(&m), Message::parse_general(&m), "{m:02x?}");
                if let Some(body) = m.get(8..) {
                    let (a, b) = walk(body, PacketInView::parse, PacketInView::parse_general);
                    assert_eq!(a, b, "{m:02x?}");
                }
                n += usize::from(fast.is_ok());
            }
        }
        assert!(
            n > 100,
            "only {n} variants parsed: the fast path was barely exercised"
        );
    }

    #[test]
    fn flow_mod_fast_path_equals_the_general_parser() {
        // `unframed`: variants whose match TLV framing is broken past the fast path that leaves
        // it to the owned decode's walk (`Message::parse` must then give the general error).
        let (mut n, mut unframed) = (0, 0);
        for (i, f) in flows().into_iter().enumerate().take(8) {
            let fm = crate::flow_mod::FlowMod::add()
                .priority(f.priority)
                .cookie(0x1234_5678_9abc_def0)
                .matching(f.match_)
                .instructions(f.instructions);
            let m = Message::new(u32::try_from(i).unwrap(), Body::FlowMod(fm))
                .to_vec()
                .unwrap();
            for m in variants(&m) {
                let fast = MessageView::parse(&m);
                let general = MessageView::parse_general(&m);
                assert_eq!(format!("{fast:?}"), format!("{general:?}"), "{m:02x?}");
                // The owned decode: its fast path against the general one, value or error.
                assert_eq!(Message::parse(&m), Message::parse_general(&m), "{m:02x?}");
                if let Some(body) = m.get(8..) {
                    use crate::flow_mod::FlowModView as V;
                    if V::parse_fast_unframed(body, 8).is_some() && V::parse_fast(body, 8).is_none()
                    {
                        assert!(Message::parse(&m).is_err(), "{m:02x?}");
                        unframed += 1;
                    }
                }
                if let Some(body) = m.get(8..) {
                    let (a, b) = walk(
                        body,
                        crate::flow_mod::FlowModView::parse,
                        crate::flow_mod::FlowModView::parse_general,
                    );
                    assert_eq!(a, b, "{m:02x?}");
                }
                n += usize::from(fast.is_ok());
            }
        }
        assert!(
            n > 300,
            "only {n} variants parsed: the fast path was barely exercised"
        );
        assert!(
            unframed > 20,
            "only {unframed} variants broke the match's framing"
        );
    }

    /// FLOW_MODs whose matches hold the fields the owned decode tells by their OXM header at
    /// the values that matter (vlan_vid without and with `OFPVID_PRESENT` and wider than 13
    /// bits, in_port's reserved ports, eth_type 0 and 0xffff, duplicates) next to their
    /// neighbours (masked, a byte short or long, another class, an experimenter's), 3 to 9
    /// fields (within the inline room, at it, past it), with every one-byte mutation and
    /// truncation: `Message::parse` gives `Message::parse_general`'s value or error.
    #[test]
    fn flow_mod_common_fields_at_their_edges_equal_the_general_parser() {
        use crate::oxm::{RawOxm, OFPVID_PRESENT};
        use sdnwire_packet::MacAddr;
        let raw = |class: u16, field: u8, hasmask: bool, len: u8| {
            OxmField::Raw(RawOxm {
                class,
                field,
                hasmask,
                payload: (0..len).map(|i| i.wrapping_mul(29) ^ 0xa5).collect(),
            })
        };
        let fields = vec![
            OxmField::InPort(PortNo(0)),
            OxmField::VlanVid(0, None),
            OxmField::EthType(0),
            OxmField::InPort(PortNo::CONTROLLER),
            OxmField::VlanVid(OFPVID_PRESENT | 0xfff, None),
            OxmField::EthDst(MacAddr([0xff; 6]), None),
            OxmField::InPort(PortNo::ANY),
            OxmField::VlanVid(0xffff, None),
            OxmField::EthType(0xffff),
            OxmField::IpProto(0xff),
            OxmField::Ipv4Src([255, 255, 255, 255].into(), None),
            OxmField::Ipv4Dst([0, 0, 0, 0].into(), None),
            OxmField::EthSrc(MacAddr([1, 0, 0, 0, 0, 0]), None),
            OxmField::VlanVid(OFPVID_PRESENT | 5, Some(OFPVID_PRESENT | 0xfff)),
            OxmField::EthDst(MacAddr([1, 2, 3, 4, 5, 6]), Some(MacAddr([0xff; 6]))),
            OxmField::Ipv4Dst([10, 0, 0, 0].into(), Some([255, 0, 0, 0].into())),
            raw(0x8000, 6, false, 3),
            raw(0x8000, 0, false, 5),
            raw(0x8000, 10, false, 0),
            raw(0x8000, 5, true, 2),
            raw(0x8001, 0, false, 4),
            raw(0x0001, 3, false, 6),
            raw(0xffff, 6, false, 6),
            OxmField::IpProto(6),
            OxmField::IpProto(6),
        ];
        let (mut ok, mut err) = (0, 0);
        for n in [3, 4, 5, 9] {
            for start in (0..fields.len()).step_by(2) {
                let mut m = Match::new();
                for f in fields.iter().cycle().skip(start).take(n) {
                    m = m.push(f.clone());
                }
                let fm = crate::flow_mod::FlowMod::add()
                    .matching(m)
                    .apply_actions([Action::output(PortNo(2))]);
                let msg = Message::new(9, Body::FlowMod(fm.clone())).to_vec().unwrap();
                assert_eq!(
                    Message::parse(&msg).unwrap(),
                    Message::new(9, Body::FlowMod(fm)),
                    "{msg:02x?}"
                );
                for v in variants(&msg) {
                    let got = Message::parse(&v);
                    assert_eq!(got, Message::parse_general(&v), "{v:02x?}");
                    if got.is_ok() {
                        ok += 1;
                    } else {
                        err += 1;
                    }
                }
            }
        }
        assert!(ok > 5_000 && err > 5_000, "{ok} decoded, {err} refused");
    }

    #[test]
    fn flow_stats_instructions_and_actions_fast_paths_equal_the_general_parsers() {
        let ovs = include_bytes!("../testdata/ovs-flow-stats-reply.bin");
        let built = Message::new(
            1,
            Body::MultipartReply(MultipartReply::new(MultipartReplyBody::Flow(flows()))),
        )
        .to_vec()
        .unwrap();
        let (mut ok_entries, mut ok_insts, mut ok_acts) = (0, 0, 0);
        for base in [&ovs[..], &built[..]] {
            let inputs = if base.len() > 600 {
                // Mutating every byte of the long reply is slow in debug builds: its first
                // 600 bytes cover every shape of entry it holds.
                let mut v = variants(&base[..600]);
                v.push(base.to_vec());
                v
            } else {
                variants(base)
            };
            for m in inputs {
                let Some(body) = m.get(16..) else { continue };
                let (a, b) = walk(body, FlowStatsView::parse, FlowStatsView::parse_general);
                assert_eq!(a, b, "{m:02x?}");
                // The entries' iterator (its fast path first) against the general parser.
                let (it, gen) = iter_vs_general(
                    crate::multipart::Entries::<FlowStatsView<'_>>::new_unchecked(body, 100),
                    body,
                    FlowStatsView::parse_general,
                );
                assert_eq!(it, gen, "{m:02x?}");
                // Every entry's instructions and actions, both ways.
                let mut r = Reader::new(body, 16);
                while let Ok(f) = FlowStatsView::parse_general(&mut r) {
                    ok_entries += 1;
                    let ib = f.instructions.as_bytes();
                    let (a, b) = walk(ib, InstructionView::parse, InstructionView::parse_general);
                    assert_eq!(a, b, "{m:02x?}");
                    let (it, gen) = iter_vs_general(
                        InstructionsView::new_unchecked(ib, 100),
                        ib,
                        InstructionView::parse_general,
                    );
                    assert_eq!(it, gen);
                    for i in f.instructions.clone().flatten() {
                        ok_insts += 1;
                        if let Some(acts) = i.actions() {
                            let ab = acts.as_bytes();
                            let (a, b) = walk(ab, ActionView::parse, ActionView::parse_general);
                            assert_eq!(a, b, "{m:02x?}");
                            let (it, gen) = iter_vs_general(
                                ActionsView::new_unchecked(ab, 100),
                                ab,
                                ActionView::parse_general,
                            );
                            assert_eq!(it, gen);
                            ok_acts += acts.flatten().count();
                        }
                    }
                }
            }
        }
        assert!(ok_entries > 1000 && ok_insts > 1000 && ok_acts > 1000);
    }

    /// Every action and instruction list of the fixtures, alone, and every one-byte mutation
    /// and truncation of it: the fast paths (through `parse` and through the list iterators)
    /// give the same values and the same errors as the general parsers.
    #[test]
    fn every_action_and_instruction_kind_fast_path_equals_the_general_parser() {
        let mut kinds = std::collections::BTreeSet::new();
        let mut ikinds = std::collections::BTreeSet::new();
        for f in flows() {
            let mut ib = Vec::new();
            for i in &f.instructions {
                ib.extend(WireWrite::to_vec(i).unwrap());
            }
            for m in variants(&ib) {
                let (a, b) = walk(&m, InstructionView::parse, InstructionView::parse_general);
                assert_eq!(a, b, "{m:02x?}");
                let (it, gen) = iter_vs_general(
                    InstructionsView::new_unchecked(&m, 100),
                    &m,
                    InstructionView::parse_general,
                );
                assert_eq!(it, gen, "{m:02x?}");
                for i in InstructionsView::new_unchecked(&m, 100).flatten() {
                    ikinds.insert(i.instruction_type().0);
                }
            }
            for i in &f.instructions {
                let (Instruction::ApplyActions(acts) | Instruction::WriteActions(acts)) = i else {
                    continue;
                };
                let mut ab = Vec::new();
                for a in acts {
                    ab.extend(WireWrite::to_vec(a).unwrap());
                }
                for m in variants(&ab) {
                    let (a, b) = walk(&m, ActionView::parse, ActionView::parse_general);
                    assert_eq!(a, b, "{m:02x?}");
                    let (it, gen) = iter_vs_general(
                        ActionsView::new_unchecked(&m, 100),
                        &m,
                        ActionView::parse_general,
                    );
                    assert_eq!(it, gen, "{m:02x?}");
                    for a in ActionsView::new_unchecked(&m, 100).flatten() {
                        kinds.insert(a.action_type().0);
                    }
                }
            }
        }
        // Every action type of OpenFlow 1.3, experimenter and unknown ones; every instruction.
        for t in [
            0, 11, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 0xffff, 13,
        ] {
            assert!(kinds.contains(&t), "action type {t} never parsed");
        }
        for t in [1, 2, 3, 4, 5, 6, 0xffff, 0x77] {
            assert!(ikinds.contains(&t), "instruction type {t} never parsed");
        }
    }

    /// The decoding the one-pass `decode` replaced: validate the whole list (nested lists
    /// included), then decode item by item.
    fn two_pass_actions(l: &ActionsView<'_>) -> crate::Result<Vec<Action>> {
        l.validate()?;
        l.clone().map(|a| a?.decode()).collect()
    }

    fn two_pass_instructions(l: &InstructionsView<'_>) -> crate::Result<Vec<Instruction>> {
        l.validate()?;
        l.clone()
            .map(|i| {
                Ok(match i? {
                    InstructionView::WriteActions(a) => {
                        Instruction::WriteActions(two_pass_actions(&a)?.into())
                    }
                    InstructionView::ApplyActions(a) => {
                        Instruction::ApplyActions(two_pass_actions(&a)?.into())
                    }
                    other => other.decode()?,
                })
            })
            .collect()
    }

    /// The one-pass `decode` of the lists gives the values and errors of validate-then-decode,
    /// on every fixture list and every one-byte mutation and truncation of it, and its lists
    /// are inline or allocated at their final size.
    #[test]
    fn one_pass_decode_equals_validate_then_decode() {
        let (mut ok, mut err) = (0, 0);
        for f in flows() {
            let mut ib = Vec::new();
            for i in &f.instructions {
                ib.extend(WireWrite::to_vec(i).unwrap());
            }
            for m in variants(&ib) {
                let l = InstructionsView::new_unchecked(&m, 100);
                let got = l.decode();
                assert_eq!(
                    format!("{got:?}"),
                    format!("{:?}", two_pass_instructions(&l))
                );
                match got {
                    Ok(insts) => {
                        ok += 1;
                        assert!(insts.is_inline() || insts.capacity() == insts.len());
                        for i in &insts {
                            if let Instruction::ApplyActions(a) | Instruction::WriteActions(a) = i {
                                assert!(a.is_inline() || a.capacity() == a.len());
                            }
                        }
                    }
                    Err(_) => err += 1,
                }
            }
        }
        assert!(ok > 100 && err > 100, "{ok} decoded, {err} refused");
    }

    /// One generated action or instruction: a type among the interesting ones, a length
    /// among the interesting ones, and body bytes (mostly zero, so that padding checks pass
    /// often enough).
    fn tlv_strategy(types: &'static [u16]) -> impl Strategy<Value = Vec<u8>> {
        (
            proptest::sample::select(types),
            proptest::sample::select(&[0u16, 4, 7, 8, 12, 16, 24, 32, 40][..]),
            proptest::collection::vec(
                proptest::prop_oneof![4 => Just(0u8), 1 => any::<u8>()],
                0..40,
            ),
        )
            .prop_map(|(ty, len, mut body)| {
                let mut v = Vec::new();
                v.extend_from_slice(&ty.to_be_bytes());
                v.extend_from_slice(&len.to_be_bytes());
                body.truncate(usize::from(len).saturating_sub(4) + 2);
                v.extend_from_slice(&body);
                v
            })
    }

    const ACTION_TYPES: &[u16] = &[
        0, 1, 11, 12, 13, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 0xfffe, 0xffff,
    ];
    const INSTRUCTION_TYPES: &[u16] = &[0, 1, 2, 3, 4, 5, 6, 7, 0xfffe, 0xffff];

    proptest! {
        /// Generated action lists: the fast path and the general parser agree item by item.
        #[test]
        fn generated_actions_fast_path_equals_the_general_parser(
            items in proptest::collection::vec(tlv_strategy(ACTION_TYPES), 0..6),
        ) {
            let m: Vec<u8> = items.concat();
            let (a, b) = walk(&m, ActionView::parse, ActionView::parse_general);
            prop_assert_eq!(a, b);
            let (it, gen) =
                iter_vs_general(ActionsView::new_unchecked(&m, 100), &m, ActionView::parse_general);
            prop_assert_eq!(it, gen);
        }

        /// Generated instruction lists (with generated actions inside write/apply-actions).
        #[test]
        fn generated_instructions_fast_path_equals_the_general_parser(
            items in proptest::collection::vec(tlv_strategy(INSTRUCTION_TYPES), 0..5),
            acts in proptest::collection::vec(tlv_strategy(ACTION_TYPES), 0..4),
        ) {
            let mut m: Vec<u8> = Vec::new();
            let acts = acts.concat();
            for it in items {
                m.extend_from_slice(&it);
                if it[..2] == [0, 4] {
                    // An apply-actions with its length covering the generated actions.
                    let at = m.len() - it.len();
                    let len = u16::try_from(8 + acts.len()).unwrap();
                    m.truncate(at);
                    m.extend_from_slice(&[0, 4]);
                    m.extend_from_slice(&len.to_be_bytes());
                    m.extend_from_slice(&[0; 4]);
                    m.extend_from_slice(&acts);
                }
            }
            let (a, b) = walk(&m, InstructionView::parse, InstructionView::parse_general);
            prop_assert_eq!(a, b);
            let (it, gen) = iter_vs_general(
                InstructionsView::new_unchecked(&m, 100),
                &m,
                InstructionView::parse_general,
            );
            prop_assert_eq!(it, gen);
            for i in InstructionsView::new_unchecked(&m, 100).flatten() {
                if let Some(acts) = i.actions() {
                    let ab = acts.as_bytes();
                    let (a, b) = walk(ab, ActionView::parse, ActionView::parse_general);
                    prop_assert_eq!(a, b);
                    let (it, gen) = iter_vs_general(
                        ActionsView::new_unchecked(ab, 100),
                        ab,
                        ActionView::parse_general,
                    );
                    prop_assert_eq!(it, gen);
                }
            }
        }
    }

    /// The items an iterator yields against the general parser's loop (at base 100).
    fn iter_vs_general<'a, T: core::fmt::Debug>(
        it: impl Iterator<Item = crate::Result<T>>,
        buf: &'a [u8],
        general: impl Fn(&mut Reader<'a>) -> crate::Result<T>,
    ) -> (String, String) {
        let a: String = it.map(|x| format!("{x:?}\n")).collect();
        let mut r = Reader::new(buf, 100);
        let mut b = String::new();
        while !r.is_empty() {
            let item = general(&mut r);
            b += &format!("{item:?}\n");
            if item.is_err() {
                break;
            }
        }
        (a, b)
    }

    // ---- The visitors (`ActionsView::visit`, `InstructionsView::visit`) and the match's
    // plain TLVs (`MatchView::tlvs`) against the iterators.

    use core::ops::ControlFlow;

    use crate::action::{ActionType, ActionVisitor, SetFieldView};
    use crate::instruction::{InstructionType, InstructionVisitor};
    use crate::nicira::NxActionView;
    use crate::oxm::MatchView;
    use crate::types::TableId;

    /// Records every call as the view the iterator yields for it (`{:?}`), through a method
    /// of its own for every kind; descends into every action list. Stops (`Break`) after
    /// `stop_after` calls.
    struct Every {
        calls: Vec<String>,
        stop_after: usize,
    }

    impl Every {
        fn new() -> Self {
            Every {
                calls: Vec::new(),
                stop_after: usize::MAX,
            }
        }

        fn rec(&mut self, x: impl core::fmt::Debug) -> ControlFlow<()> {
            self.calls.push(format!("{x:?}"));
            if self.calls.len() >= self.stop_after {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }
    }

    impl<'a> ActionVisitor<'a> for Every {
        fn output(&mut self, port: PortNo, max_len: u16) -> ControlFlow<()> {
            self.rec(ActionView::Output { port, max_len })
        }
        fn copy_ttl_out(&mut self) -> ControlFlow<()> {
            self.rec(ActionView::CopyTtlOut)
        }
        fn copy_ttl_in(&mut self) -> ControlFlow<()> {
            self.rec(ActionView::CopyTtlIn)
        }
        fn set_mpls_ttl(&mut self, ttl: u8) -> ControlFlow<()> {
            self.rec(ActionView::SetMplsTtl(ttl))
        }
        fn dec_mpls_ttl(&mut self) -> ControlFlow<()> {
            self.rec(ActionView::DecMplsTtl)
        }
        fn push_vlan(&mut self, e: u16) -> ControlFlow<()> {
            self.rec(ActionView::PushVlan(e))
        }
        fn pop_vlan(&mut self) -> ControlFlow<()> {
            self.rec(ActionView::PopVlan)
        }
        fn push_mpls(&mut self, e: u16) -> ControlFlow<()> {
            self.rec(ActionView::PushMpls(e))
        }
        fn pop_mpls(&mut self, e: u16) -> ControlFlow<()> {
            self.rec(ActionView::PopMpls(e))
        }
        fn set_queue(&mut self, q: u32) -> ControlFlow<()> {
            self.rec(ActionView::SetQueue(q))
        }
        fn group(&mut self, g: GroupId) -> ControlFlow<()> {
            self.rec(ActionView::Group(g))
        }
        fn set_nw_ttl(&mut self, ttl: u8) -> ControlFlow<()> {
            self.rec(ActionView::SetNwTtl(ttl))
        }
        fn dec_nw_ttl(&mut self) -> ControlFlow<()> {
            self.rec(ActionView::DecNwTtl)
        }
        fn set_field(&mut self, f: SetFieldView<'a>) -> ControlFlow<()> {
            // The TLV's header and payload are its bytes, split.
            let oxm = f.oxm();
            assert_eq!(oxm.header().0.to_be_bytes(), f.oxm_bytes()[..4]);
            assert_eq!(oxm.payload(), &f.oxm_bytes()[4..]);
            assert_eq!(oxm.offset(), f.offset());
            self.rec(ActionView::SetField(f))
        }
        fn push_pbb(&mut self, e: u16) -> ControlFlow<()> {
            self.rec(ActionView::PushPbb(e))
        }
        fn pop_pbb(&mut self) -> ControlFlow<()> {
            self.rec(ActionView::PopPbb)
        }
        fn experimenter(&mut self, experimenter: u32, data: &'a [u8]) -> ControlFlow<()> {
            self.rec(ActionView::Experimenter { experimenter, data })
        }
        fn nicira(&mut self, nx: NxActionView<'a>) -> ControlFlow<()> {
            self.rec(ActionView::Nicira(nx))
        }
        fn unknown(&mut self, type_: ActionType, data: &'a [u8]) -> ControlFlow<()> {
            self.rec(ActionView::Unknown { type_, data })
        }
        fn other(&mut self, a: ActionView<'a>) -> ControlFlow<()> {
            panic!("every kind has its method, yet {a:?} came to other()")
        }
    }

    impl<'a> InstructionVisitor<'a> for Every {
        fn goto_table(&mut self, t: TableId) -> crate::Result<ControlFlow<()>> {
            Ok(self.rec(InstructionView::GotoTable(t)))
        }
        fn write_metadata(&mut self, metadata: u64, mask: u64) -> crate::Result<ControlFlow<()>> {
            Ok(self.rec(InstructionView::WriteMetadata { metadata, mask }))
        }
        fn write_actions(&mut self, a: ActionsView<'a>) -> crate::Result<ControlFlow<()>> {
            if self
                .rec(InstructionView::WriteActions(a.clone()))
                .is_break()
            {
                return Ok(ControlFlow::Break(()));
            }
            a.visit(self)
        }
        fn apply_actions(&mut self, a: ActionsView<'a>) -> crate::Result<ControlFlow<()>> {
            if self
                .rec(InstructionView::ApplyActions(a.clone()))
                .is_break()
            {
                return Ok(ControlFlow::Break(()));
            }
            a.visit(self)
        }
        fn clear_actions(&mut self) -> crate::Result<ControlFlow<()>> {
            Ok(self.rec(InstructionView::ClearActions))
        }
        fn meter(&mut self, m: MeterId) -> crate::Result<ControlFlow<()>> {
            Ok(self.rec(InstructionView::Meter(m)))
        }
        fn experimenter(
            &mut self,
            experimenter: u32,
            data: &'a [u8],
        ) -> crate::Result<ControlFlow<()>> {
            Ok(self.rec(InstructionView::Experimenter { experimenter, data }))
        }
        fn unknown(
            &mut self,
            type_: InstructionType,
            data: &'a [u8],
        ) -> crate::Result<ControlFlow<()>> {
            Ok(self.rec(InstructionView::Unknown { type_, data }))
        }
        fn other(&mut self, i: InstructionView<'a>) -> crate::Result<ControlFlow<()>> {
            panic!("every kind has its method, yet {i:?} came to other()")
        }
    }

    /// Implements `other` only: every call comes through the defaults.
    struct Others(Vec<String>);

    impl<'a> ActionVisitor<'a> for Others {
        fn other(&mut self, a: ActionView<'a>) -> ControlFlow<()> {
            self.0.push(format!("{a:?}"));
            ControlFlow::Continue(())
        }
    }

    impl<'a> InstructionVisitor<'a> for Others {
        fn other(&mut self, i: InstructionView<'a>) -> crate::Result<ControlFlow<()>> {
            self.0.push(format!("{i:?}"));
            match i.actions() {
                Some(a) => a.visit(self),
                None => Ok(ControlFlow::Continue(())),
            }
        }
    }

    /// Implements nothing: every default (the action lists checked, nothing else).
    struct Nothing;
    impl ActionVisitor<'_> for Nothing {}
    impl InstructionVisitor<'_> for Nothing {}

    /// How a walk ended, after its calls.
    fn end(r: crate::Result<ControlFlow<()>>) -> String {
        match r {
            Ok(ControlFlow::Continue(())) => "end".into(),
            Ok(ControlFlow::Break(())) => "break".into(),
            Err(e) => format!("{:?}", Err::<(), _>(e)),
        }
    }

    /// The iterators' trace of an instruction list: each instruction, then (for write/apply-
    /// actions) each of its actions, up to the first error.
    fn iter_instructions(l: InstructionsView<'_>) -> Vec<String> {
        let mut out = Vec::new();
        for i in l {
            let i = match i {
                Ok(i) => i,
                Err(e) => {
                    out.push(format!("{:?}", Err::<(), _>(e)));
                    return out;
                }
            };
            out.push(format!("{i:?}"));
            for a in i.actions().into_iter().flatten() {
                match a {
                    Ok(a) => out.push(format!("{a:?}")),
                    Err(e) => {
                        out.push(format!("{:?}", Err::<(), _>(e)));
                        return out;
                    }
                }
            }
        }
        out.push("end".into());
        out
    }

    fn iter_actions(l: ActionsView<'_>) -> Vec<String> {
        let mut out = Vec::new();
        for a in l {
            match a {
                Ok(a) => out.push(format!("{a:?}")),
                Err(e) => {
                    out.push(format!("{:?}", Err::<(), _>(e)));
                    return out;
                }
            }
        }
        out.push("end".into());
        out
    }

    /// The visitors' traces of the instruction list `m` (at base 100) against the iterators':
    /// every method's own, the defaults' through `other`, a visitor stopping after each call,
    /// and the do-nothing visitor's result (the first error, nested lists included). Returns
    /// whether the list is well formed.
    fn check_instruction_visitors(m: &[u8]) -> bool {
        let l = InstructionsView::new_unchecked(m, 100);
        let want = iter_instructions(l.clone());
        let mut every = Every::new();
        let r = end(l.visit(&mut every));
        every.calls.push(r);
        assert_eq!(every.calls, want, "{m:02x?}");
        let mut others = Others(Vec::new());
        let r = end(l.visit(&mut others));
        others.0.push(r);
        assert_eq!(others.0, want, "{m:02x?}");
        // `validate` gives the first error of the same walk.
        let last = want.last().unwrap();
        assert_eq!(end(l.visit(&mut Nothing)), *last, "{m:02x?}");
        assert_eq!(l.validate().is_ok(), last == "end");
        // Stopping after the k-th call: the first k calls, then `break`.
        for k in 1..want.len() {
            let mut v = Every::new();
            v.stop_after = k;
            let r = end(l.visit(&mut v));
            assert_eq!(v.calls, want[..k], "{m:02x?} stopping after {k}");
            assert_eq!(r, "break");
        }
        last == "end"
    }

    fn check_action_visitors(m: &[u8]) -> bool {
        let l = ActionsView::new_unchecked(m, 100);
        let want = iter_actions(l.clone());
        let mut every = Every::new();
        let r = end(l.visit(&mut every));
        every.calls.push(r);
        assert_eq!(every.calls, want, "{m:02x?}");
        let mut others = Others(Vec::new());
        let r = end(l.visit(&mut others));
        others.0.push(r);
        assert_eq!(others.0, want, "{m:02x?}");
        // The visitor that implements nothing: the walk's end, the iterator's first error.
        assert_eq!(
            end(l.visit(&mut Nothing)),
            *want.last().unwrap(),
            "{m:02x?}"
        );
        for k in 1..want.len() {
            let mut v = Every::new();
            v.stop_after = k;
            let r = end(l.visit(&mut v));
            assert_eq!(v.calls, want[..k], "{m:02x?} stopping after {k}");
            assert_eq!(r, "break");
        }
        want.last().unwrap() == "end"
    }

    /// The match's plain TLVs are the iterator's items, none of them an error.
    fn check_tlvs(m: &MatchView<'_>) {
        let plain: Vec<_> = m.tlvs().collect();
        let items: Vec<_> = m.fields().map(|f| f.unwrap()).collect();
        assert_eq!(plain, items);
    }

    /// Every fixture instruction list and action list (every kind), and every one-byte
    /// mutation and truncation of them: the visitors make the iterators' calls, in order, and
    /// end with their error (same kind, same offset).
    #[test]
    fn visitors_equal_the_iterators_on_every_mutation() {
        let (mut ok, mut err) = (0, 0);
        for f in flows() {
            let mut ib = Vec::new();
            for i in &f.instructions {
                ib.extend(WireWrite::to_vec(i).unwrap());
            }
            for m in variants(&ib) {
                if check_instruction_visitors(&m) {
                    ok += 1;
                } else {
                    err += 1;
                }
            }
            for i in &f.instructions {
                let (Instruction::ApplyActions(acts) | Instruction::WriteActions(acts)) = i else {
                    continue;
                };
                let mut ab = Vec::new();
                for a in acts {
                    ab.extend(WireWrite::to_vec(a).unwrap());
                }
                for m in variants(&ab) {
                    if check_action_visitors(&m) {
                        ok += 1;
                    } else {
                        err += 1;
                    }
                }
            }
        }
        assert!(ok > 1000 && err > 1000, "{ok} well formed, {err} refused");
    }

    /// Open vSwitch's flow-stats reply and a built one with every kind, every one-byte
    /// mutation and truncation of their first 600 bytes: each entry the view accepts has
    /// plain TLVs equal to its iterator's, and visitors equal to the iterators.
    #[test]
    fn visitors_and_tlvs_equal_the_iterators_on_flow_stats_replies() {
        let ovs = include_bytes!("../testdata/ovs-flow-stats-reply.bin");
        let built = Message::new(
            1,
            Body::MultipartReply(MultipartReply::new(MultipartReplyBody::Flow(flows()))),
        )
        .to_vec()
        .unwrap();
        let mut entries = 0;
        for base in [&ovs[..], &built[..]] {
            let mut inputs = variants(&base[..base.len().min(600)]);
            inputs.push(base.to_vec());
            for m in inputs {
                let Some(body) = m.get(16..) else { continue };
                let mut r = Reader::new(body, 16);
                while let Ok(f) = FlowStatsView::parse(&mut r) {
                    entries += 1;
                    check_tlvs(&f.match_);
                    check_instruction_visitors(f.instructions.as_bytes());
                }
            }
        }
        assert!(entries > 1000, "{entries}");
    }

    /// Open vSwitch's encodings of the ovs-ofctl corpus's flows (1,218 FLOW_MODs: Nicira
    /// actions, every field), each as sent and every one-byte mutation and truncation of the
    /// instructions of one in eight.
    #[test]
    fn visitors_and_tlvs_equal_the_iterators_on_open_vswitch_flow_mods() {
        let corpus = include_str!("../testdata/ofctl_flows.tsv");
        let (mut n, mut mutated) = (0, 0);
        for line in corpus.lines().filter(|l| l.starts_with("ok\t")) {
            let hex = line.rsplit('\t').next().unwrap();
            let msg: Vec<u8> = (0..hex.len() / 2)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            let Ok(MessageView {
                body: crate::BodyView::FlowMod(f),
                ..
            }) = MessageView::parse(&msg)
            else {
                continue;
            };
            n += 1;
            check_tlvs(&f.match_);
            let ib = f.instructions.as_bytes();
            assert!(check_instruction_visitors(ib), "{line}");
            if n % 8 == 0 {
                for m in variants(ib) {
                    check_instruction_visitors(&m);
                    mutated += 1;
                }
            }
        }
        assert!(n > 1000 && mutated > 5000, "{n} flows, {mutated} mutations");
    }

    /// The walks take `?Sized` visitors: both traits stay usable as trait objects (a
    /// dispatcher holding `&mut dyn InstructionVisitor`), with the same calls.
    #[test]
    fn visitors_work_as_trait_objects() {
        for f in flows() {
            let mut ib = Vec::new();
            for i in &f.instructions {
                ib.extend(WireWrite::to_vec(i).unwrap());
            }
            let l = InstructionsView::new_unchecked(&ib, 100);
            let mut direct = Every::new();
            let want = l.visit(&mut direct);
            let mut every = Every::new();
            let dynamic: &mut dyn InstructionVisitor<'_> = &mut every;
            assert_eq!(l.visit(dynamic), want);
            assert_eq!(every.calls, direct.calls);
            for i in l.clone().flatten() {
                let Some(a) = i.actions() else { continue };
                let mut direct = Every::new();
                let want = a.visit(&mut direct);
                let mut every = Every::new();
                let dynamic: &mut dyn ActionVisitor<'_> = &mut every;
                assert_eq!(a.visit(dynamic), want);
                assert_eq!(every.calls, direct.calls);
            }
        }
    }

    /// A list part-way through its iteration is visited from there; one that has failed has
    /// nothing left.
    #[test]
    fn visit_starts_where_the_iteration_stands() {
        let f = &flows()[5];
        let Instruction::ApplyActions(acts) = &f.instructions[0] else {
            panic!("{f:?}")
        };
        let mut ab = Vec::new();
        for a in acts {
            ab.extend(WireWrite::to_vec(a).unwrap());
        }
        let mut l = ActionsView::new_unchecked(&ab, 100);
        l.next().unwrap().unwrap();
        let mut v = Every::new();
        assert_eq!(l.visit(&mut v), Ok(ControlFlow::Continue(())));
        assert_eq!(v.calls, iter_actions(l.clone())[..acts.len() - 1]);
        // A bad length on the first action: the iterator yields the error, then nothing.
        ab[3] = 9;
        let mut l = ActionsView::new_unchecked(&ab, 100);
        assert!(l.next().unwrap().is_err());
        let mut v = Every::new();
        assert_eq!(l.visit(&mut v), Ok(ControlFlow::Continue(())));
        assert!(v.calls.is_empty());
    }

    proptest! {
        /// Generated instruction lists with generated actions inside apply-actions: the
        /// visitors equal the iterators.
        #[test]
        fn generated_lists_visitors_equal_the_iterators(
            items in proptest::collection::vec(tlv_strategy(INSTRUCTION_TYPES), 0..5),
            acts in proptest::collection::vec(tlv_strategy(ACTION_TYPES), 0..4),
        ) {
            let acts = acts.concat();
            check_action_visitors(&acts);
            let mut m: Vec<u8> = Vec::new();
            for it in items {
                m.extend_from_slice(&it);
                if it[..2] == [0, 4] || it[..2] == [0, 3] {
                    // Write/apply-actions with its length covering the generated actions.
                    let at = m.len() - it.len();
                    let len = u16::try_from(8 + acts.len()).unwrap();
                    m.truncate(at);
                    m.extend_from_slice(&it[..2]);
                    m.extend_from_slice(&len.to_be_bytes());
                    m.extend_from_slice(&[0; 4]);
                    m.extend_from_slice(&acts);
                }
            }
            check_instruction_visitors(&m);
        }

        /// Generated actions of every kind, encoded: the visitors equal the iterators.
        #[test]
        fn generated_actions_visitors_equal_the_iterators(
            list in proptest::collection::vec(crate::action::test_support::arb_action(), 0..6),
        ) {
            let mut b = Vec::new();
            for a in &list {
                b.extend(WireWrite::to_vec(a).unwrap());
            }
            prop_assert!(check_action_visitors(&b));
        }
    }

    // ---- The owned decode in one pass (`InstructionsView::decode`, `ActionsView::decode`,
    // `MatchView::decode`: each list straight off the bytes into its vector) against the
    // general walk (`decode_general`: the list's iterator, then each item's `decode`) and the
    // match's iterator.

    /// The match decoded as before the one-pass decode: through its iterator, each TLV's
    /// view decoded.
    fn match_by_iterator(m: &MatchView<'_>) -> Vec<OxmField> {
        m.fields().flatten().map(|f| f.decode()).collect()
    }

    /// The match's one-pass decode equals its iterator's, and a match past the inline room
    /// is allocated once, at its final size.
    fn check_owned_match(m: &MatchView<'_>) {
        let got = m.decode();
        assert_eq!(got.fields, match_by_iterator(m));
        if !got.fields.is_inline() {
            assert_eq!(got.fields.capacity(), got.fields.len());
        }
    }

    /// An owned list whose growing push fails the test: the one-pass decodes push each item
    /// into the room they made for it (`start_list`, `room_for_next`) through
    /// `OwnedList::push_fast`, never through the growing push out of line, whose item is
    /// built aside and copied whole (the slow path the decodes are written to avoid).
    #[derive(Default)]
    struct NoGrowingPush<L>(L);

    impl<L: core::ops::Deref> core::ops::Deref for NoGrowingPush<L> {
        type Target = L::Target;
        fn deref(&self) -> &L::Target {
            &self.0
        }
    }

    impl<L: core::ops::DerefMut> core::ops::DerefMut for NoGrowingPush<L> {
        fn deref_mut(&mut self) -> &mut L::Target {
            &mut self.0
        }
    }

    impl<T, L: OwnedList<T>> OwnedList<T> for NoGrowingPush<L> {
        fn start_list(&mut self, list: &[u8]) {
            self.0.start_list(list);
        }
        fn room_for_next(&mut self, rest: &[u8]) {
            self.0.room_for_next(rest);
        }
        fn reserve_for_list(&mut self, list: &[u8]) {
            self.0.reserve_for_list(list);
        }
        fn push(&mut self, _item: T) {
            panic!("the growing push taken at item {}", self.0.len());
        }
        fn push_in_room(&mut self, item: T) -> Result<(), T> {
            self.0.push_in_room(item)
        }
        fn clear(&mut self) {
            self.0.clear();
        }
    }

    /// An action list's one-pass decode against the general walk: the same value or the same
    /// error (kind and offset), into a `Vec` (allocated at its final size) and into an
    /// [`ActionList`] (inline up to its room, else allocated at its final size). True when
    /// decoded.
    fn check_owned_actions(ab: &[u8]) -> bool {
        let l = ActionsView::new_unchecked(ab, 100);
        let got = l.decode();
        assert_eq!(got, l.decode_general(), "{ab:02x?}");
        let (mut inl, mut general) = (ActionList::new(), ActionList::new());
        let got_inline = l.decode_into(&mut inl).map(|()| inl);
        let want_inline = l.decode_general_into(&mut general).map(|()| general);
        assert_eq!(got_inline, want_inline, "{ab:02x?}");
        assert_eq!(got_inline.is_ok(), got.is_ok(), "{ab:02x?}");
        // The one pass alone, on any input, into lists whose growing push fails the test:
        // every action goes into the room made for it.
        let mut fast_vec = NoGrowingPush(Vec::new());
        let fast_vec = Action::decode_list_fast(ab, &mut fast_vec).map(|()| fast_vec.0);
        let mut fast_inline = NoGrowingPush(ActionList::new());
        let fast_inline = Action::decode_list_fast(ab, &mut fast_inline).map(|()| fast_inline.0);
        if let (Ok(a), Ok(i)) = (&got, &got_inline) {
            assert_eq!(a, i, "{ab:02x?}");
            assert_eq!(a.capacity(), a.len(), "{ab:02x?}");
            assert!(i.is_inline() || i.capacity() == i.len(), "{ab:02x?}");
            // Every well-formed list takes the one pass (not the general walk).
            assert_eq!(fast_vec.as_ref(), Some(a), "{ab:02x?}");
            assert_eq!(fast_inline.as_ref(), Some(i), "{ab:02x?}");
        }
        got.is_ok()
    }

    /// An instruction list's one-pass decode against the general walk (and each nested action
    /// list's, alone): the same value or the same error, lists inline up to their room, else
    /// allocated at their final size. True when decoded.
    fn check_owned_instructions(ib: &[u8]) -> bool {
        let l = InstructionsView::new_unchecked(ib, 100);
        let got = l.decode();
        assert_eq!(got, l.decode_general(), "{ib:02x?}");
        // The one pass alone, on any input, into a list whose growing push fails the test
        // (the nested action lists: `check_owned_actions` below).
        let mut fast = NoGrowingPush(InstructionList::new());
        let fast = Instruction::decode_list_fast(ib, &mut fast).map(|()| fast.0);
        if let Ok(insts) = &got {
            assert!(
                insts.is_inline() || insts.capacity() == insts.len(),
                "{ib:02x?}"
            );
            assert_eq!(fast.as_ref(), Some(insts), "{ib:02x?}");
            for i in insts {
                if let Instruction::ApplyActions(a) | Instruction::WriteActions(a) = i {
                    assert!(a.is_inline() || a.capacity() == a.len(), "{ib:02x?}");
                }
            }
        }
        for i in l.clone().flatten() {
            if let Some(a) = i.actions() {
                check_owned_actions(a.as_bytes());
            }
        }
        got.is_ok()
    }

    /// Set-field actions of every OXM field the one-pass decode tells by its header (in_port,
    /// eth_dst, eth_src, eth_type, vlan_vid, ip_proto, ipv4_src, ipv4_dst) and of every
    /// neighbour (every basic field, the mask bit set or not, every payload length up to 17,
    /// other classes), alone and six in a list (past the inline room), then with each byte of
    /// the first action changed: the one-pass decode gives the general walk's values and errors.
    #[test]
    fn one_pass_set_field_decode_by_header_equals_the_general_decode() {
        let (mut ok, mut err) = (0, 0);
        for class in [0x8000u16, 0x0001, 0x8001, 0x0080] {
            for field in 0..=40u8 {
                for hasmask in [false, true] {
                    for len in 0..=17u8 {
                        let oxm_end = 8 + usize::from(len);
                        let mut a = vec![0, 25];
                        a.extend_from_slice(
                            &u16::try_from(oxm_end.next_multiple_of(8))
                                .unwrap()
                                .to_be_bytes(),
                        );
                        a.extend_from_slice(&class.to_be_bytes());
                        a.extend_from_slice(&[field << 1 | u8::from(hasmask), len]);
                        a.extend((0..len).map(|i| i.wrapping_mul(37).wrapping_add(field)));
                        a.resize(oxm_end.next_multiple_of(8), 0);
                        for copies in [1, 6] {
                            let ab = a.repeat(copies);
                            if check_owned_actions(&ab) {
                                ok += 1;
                            } else {
                                err += 1;
                            }
                        }
                        for at in 0..a.len() {
                            for x in [0x01, 0x80, 0xff] {
                                let mut m = a.clone();
                                m[at] ^= x;
                                check_owned_actions(&m);
                            }
                        }
                    }
                }
            }
        }
        // Every one decodes (a TLV the decode does not type is kept raw).
        assert_eq!((ok, err), (4 * 41 * 2 * 18 * 2, 0));
    }

    /// Every fixture instruction list and action list (every kind) and every one-byte
    /// mutation and truncation of them: the one-pass decode gives the general walk's values
    /// and errors.
    #[test]
    fn one_pass_owned_decode_equals_the_general_decode_on_every_mutation() {
        let (mut ok, mut err, mut acts_ok) = (0, 0, 0);
        for f in flows() {
            let mut ib = Vec::new();
            for i in &f.instructions {
                ib.extend(WireWrite::to_vec(i).unwrap());
            }
            for m in variants(&ib) {
                if check_owned_instructions(&m) {
                    ok += 1;
                } else {
                    err += 1;
                }
            }
            for i in &f.instructions {
                let (Instruction::ApplyActions(acts) | Instruction::WriteActions(acts)) = i else {
                    continue;
                };
                let mut ab = Vec::new();
                for a in acts {
                    ab.extend(WireWrite::to_vec(a).unwrap());
                }
                for m in variants(&ab) {
                    acts_ok += usize::from(check_owned_actions(&m));
                }
            }
        }
        assert!(
            ok > 100 && err > 1000 && acts_ok > 100,
            "{ok} decoded, {err} refused, {acts_ok} action lists decoded"
        );
    }

    /// Open vSwitch's flow-stats reply and a built one with every kind, every one-byte
    /// mutation and truncation of their first 600 bytes: every entry's match and lists
    /// decode as the general walk and the match's iterator decode them; the whole message as
    /// the general parser decodes it.
    #[test]
    fn one_pass_owned_decode_equals_the_general_decode_on_flow_stats_replies() {
        let ovs = include_bytes!("../testdata/ovs-flow-stats-reply.bin");
        let built = Message::new(
            1,
            Body::MultipartReply(MultipartReply::new(MultipartReplyBody::Flow(flows()))),
        )
        .to_vec()
        .unwrap();
        let (mut entries, mut replies, mut pushed_errors) = (0, 0, 0);
        for base in [&ovs[..], &built[..]] {
            let mut inputs = variants(&base[..base.len().min(600)]);
            inputs.push(base.to_vec());
            for m in inputs {
                assert_eq!(Message::parse(&m), Message::parse_general(&m), "{m:02x?}");
                let Some(body) = m.get(16..) else { continue };
                // The entries in one pass against the general walk.
                let e = crate::multipart::Entries::<FlowStatsView<'_>>::new_unchecked(body, 16);
                let got = e.decode_flows();
                assert_eq!(got, e.decode_flows_general(), "{m:02x?}");
                if let Ok(v) = &got {
                    assert_eq!(v.capacity(), v.len());
                    replies += 1;
                }
                let mut r = Reader::new(body, 16);
                while let Ok(f) = FlowStatsView::parse(&mut r) {
                    entries += 1;
                    check_owned_match(&f.match_);
                    check_owned_instructions(f.instructions.as_bytes());
                    // The in-place push gives `decode_entry`'s value or error, and leaves
                    // the vector as it was on an error.
                    let mut out = vec![FlowStats::new(1, Match::new(), InstructionList::new())];
                    let before = out.clone();
                    let pushed = crate::multipart::Entry::decode_push(&f, &mut out);
                    match crate::multipart::Entry::decode_entry(&f) {
                        Ok(want) => {
                            assert_eq!(pushed, Ok(()), "{m:02x?}");
                            assert_eq!(out.last(), Some(&want), "{m:02x?}");
                            assert_eq!(out.len(), 2, "{m:02x?}");
                        }
                        Err(e) => {
                            pushed_errors += 1;
                            assert_eq!(pushed, Err(e), "{m:02x?}");
                            assert_eq!(out, before, "{m:02x?}");
                        }
                    }
                }
            }
        }
        assert!(
            entries > 1000 && replies > 100 && pushed_errors > 10,
            "{entries} entries, {replies} replies, {pushed_errors} errors pushed"
        );
    }

    /// Open vSwitch's encodings of the ovs-ofctl corpus's flows (1,218 FLOW_MODs: Nicira
    /// actions, every field), each as sent and every one-byte mutation and truncation of the
    /// instructions of one in eight: the match and the lists decode as the general walk and
    /// the match's iterator decode them, the message as the general parser decodes it.
    #[test]
    fn one_pass_owned_decode_equals_the_general_decode_on_open_vswitch_flow_mods() {
        let corpus = include_str!("../testdata/ofctl_flows.tsv");
        let (mut n, mut mutated, mut large) = (0, 0, 0);
        for line in corpus.lines().filter(|l| l.starts_with("ok\t")) {
            let hex = line.rsplit('\t').next().unwrap();
            let msg: Vec<u8> = (0..hex.len() / 2)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            assert_eq!(Message::parse(&msg), Message::parse_general(&msg), "{line}");
            let Ok(MessageView {
                body: crate::BodyView::FlowMod(f),
                ..
            }) = MessageView::parse(&msg)
            else {
                continue;
            };
            n += 1;
            large += usize::from(f.match_.fields().count() > 4);
            check_owned_match(&f.match_);
            let ib = f.instructions.as_bytes();
            assert!(check_owned_instructions(ib), "{line}");
            if n % 8 == 0 {
                for m in variants(ib) {
                    check_owned_instructions(&m);
                    mutated += 1;
                }
            }
        }
        assert!(
            n > 1000 && mutated > 5000 && large > 10,
            "{n} flows, {mutated} mutations, {large} matches of more than 4 fields"
        );
    }

    /// The entries of a flow-stats array decoded by the general walk alone: each entry
    /// through the entry iterator, its match through the TLV iterator, its instructions
    /// through `decode_general` (no one-pass list decode anywhere).
    fn flows_by_general_walk(
        e: &crate::multipart::Entries<'_, FlowStatsView<'_>>,
    ) -> crate::Result<Vec<FlowStats>> {
        let mut out = Vec::new();
        for v in e.clone() {
            let v = v?;
            out.push(FlowStats {
                table_id: v.table_id,
                duration_sec: v.duration_sec,
                duration_nsec: v.duration_nsec,
                priority: v.priority,
                idle_timeout: v.idle_timeout,
                hard_timeout: v.hard_timeout,
                flags: v.flags,
                cookie: v.cookie,
                packet_count: v.packet_count,
                byte_count: v.byte_count,
                match_: Match::from(crate::oxm::MatchFields::from(match_by_iterator(&v.match_))),
                instructions: v.instructions.decode_general()?,
            });
        }
        Ok(out)
    }

    /// Every one-byte mutation and truncation of the whole built flow-stats reply (all 16
    /// entries, every action and instruction kind; not a prefix, so that mutated arrays whose
    /// every entry is well formed take the one pass): the entries decode as the general walk
    /// alone decodes them.
    #[test]
    fn one_pass_flow_stats_decode_equals_the_general_walk_on_every_mutation_of_the_whole_reply() {
        let ovs = include_bytes!("../testdata/ovs-flow-stats-reply.bin");
        let built = Message::new(
            1,
            Body::MultipartReply(MultipartReply::new(MultipartReplyBody::Flow(flows()))),
        )
        .to_vec()
        .unwrap();
        let (mut decoded, mut refused) = ([0; 2], 0);
        for (k, base) in [&ovs[..], &built[..]].into_iter().enumerate() {
            for m in variants(base) {
                let Some(body) = m.get(16..) else { continue };
                let e = crate::multipart::Entries::<FlowStatsView<'_>>::new_unchecked(body, 16);
                let got = e.decode_flows();
                assert_eq!(got, flows_by_general_walk(&e), "{m:02x?}");
                if let Ok(v) = &got {
                    assert_eq!(v.capacity(), v.len());
                    decoded[k] += 1;
                } else {
                    refused += 1;
                }
            }
        }
        // Mutants of the built reply past its first 600 bytes decode too (a prefix of it
        // never holds whole entries only, so only the whole reply reaches its later entries).
        assert!(
            decoded[0] > 1000 && decoded[1] > 5000 && refused > 5000,
            "{decoded:?} decoded, {refused} refused"
        );
    }

    /// Every one-byte mutation and truncation of every FLOW_MOD of the ovs-ofctl corpus (the
    /// whole message: match and instructions): the match decodes as its iterator, the
    /// instruction list as the general walk.
    #[test]
    fn one_pass_owned_decode_equals_the_general_decode_on_every_mutation_of_every_flow_mod() {
        let corpus = include_str!("../testdata/ofctl_flows.tsv");
        let (mut n, mut large) = (0, 0);
        for line in corpus.lines().filter(|l| l.starts_with("ok\t")) {
            let hex = line.rsplit('\t').next().unwrap();
            let msg: Vec<u8> = (0..hex.len() / 2)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            for m in variants(&msg) {
                let Ok(MessageView {
                    body: crate::BodyView::FlowMod(f),
                    ..
                }) = MessageView::parse(&m)
                else {
                    continue;
                };
                n += 1;
                large += usize::from(f.match_.fields().count() > 4);
                check_owned_match(&f.match_);
                check_owned_instructions(f.instructions.as_bytes());
            }
        }
        assert!(
            n > 100_000 && large > 1000,
            "{n} flow mods, {large} large matches"
        );
    }

    proptest! {
        /// Generated action lists (every type, interesting lengths, mostly zero bodies): the
        /// one-pass decode equals the general walk.
        #[test]
        fn generated_actions_one_pass_decode_equals_the_general_decode(
            items in proptest::collection::vec(tlv_strategy(ACTION_TYPES), 0..6),
        ) {
            check_owned_actions(&items.concat());
        }

        /// Generated actions of every kind, encoded: decoded in one pass to the same list.
        #[test]
        fn generated_valid_actions_one_pass_decode_to_themselves(
            list in proptest::collection::vec(crate::action::test_support::arb_action(), 0..6),
        ) {
            let mut b = Vec::new();
            for a in &list {
                b.extend(WireWrite::to_vec(a).unwrap());
            }
            prop_assert!(check_owned_actions(&b));
            prop_assert_eq!(ActionsView::new_unchecked(&b, 0).decode().unwrap(), list);
        }

        /// Generated instruction lists, with generated actions inside write/apply-actions:
        /// the one-pass decode equals the general walk.
        #[test]
        fn generated_instructions_one_pass_decode_equals_the_general_decode(
            items in proptest::collection::vec(tlv_strategy(INSTRUCTION_TYPES), 0..5),
            acts in proptest::collection::vec(tlv_strategy(ACTION_TYPES), 0..4),
        ) {
            let mut m: Vec<u8> = Vec::new();
            let acts = acts.concat();
            for it in items {
                m.extend_from_slice(&it);
                if it[..2] == [0, 4] || it[..2] == [0, 3] {
                    let at = m.len() - it.len();
                    let len = u16::try_from(8 + acts.len()).unwrap();
                    m.truncate(at);
                    m.extend_from_slice(&it[..2]);
                    m.extend_from_slice(&len.to_be_bytes());
                    m.extend_from_slice(&[0; 4]);
                    m.extend_from_slice(&acts);
                }
            }
            check_owned_instructions(&m);
        }
    }

    #[test]
    fn pad_is_zero_reads_only_the_padding() {
        let b = [1, 2, 3, 4, 5, 0, 0, 0];
        assert_eq!(pad_is_zero(&b, 8, 3), Some(true));
        assert_eq!(pad_is_zero(&b, 8, 4), Some(false));
        assert_eq!(pad_is_zero(&b, 8, 0), Some(true));
        assert_eq!(pad_is_zero(&b, 7, 0), None);
        assert!(oxm_framing_ok(&[0x80, 0, 0, 1, 9, 0x80, 0, 2, 0]));
        assert!(!oxm_framing_ok(&[0x80, 0, 0, 2, 9]));
        assert!(!oxm_framing_ok(&[0x80, 0, 0]));
    }
}
