//! Reading multipart replies through the views allocates nothing.
//!
//! A counting global allocator (the `allocation-counter` dev-dependency: it counts the
//! allocations of the current thread, so tests running in parallel do not disturb it) watches
//! a controller walk a 1000-entry flow statistics reply (two MULTIPART_REPLY messages of 500
//! entries, the first with REPLY_MORE, as a switch splits a reply that does not fit one
//! message) down to every match field, instruction and action, and Open vSwitch's real table
//! features reply down to every property and ID.
//!
//! The workspace forbids unsafe code, so the counting allocator comes from a crate
//! (`allocation-counter`, a dev-dependency).

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use sdnwire_openflow::action::{Action, ActionList, ActionView};
use sdnwire_openflow::instruction::{Instruction, InstructionList, InstructionView};
use sdnwire_openflow::multipart::{
    FlowStats, MultipartReply, MultipartReplyBody, MultipartReplyView,
};
use sdnwire_openflow::oxm::{Match, MatchFields, OxmField};
use sdnwire_openflow::table_features::TableFeaturePropView;
use sdnwire_openflow::{
    BodyView, Encode, Header, MessageView, MsgType, PortNo, TableId, OFP_VERSION,
};
use sdnwire_packet::MacAddr;

/// A whole MULTIPART_REPLY message around `reply`.
fn message(reply: &MultipartReply, xid: u32) -> Vec<u8> {
    let mut m = Vec::new();
    Header {
        version: OFP_VERSION,
        msg_type: MsgType::MULTIPART_REPLY,
        length: u16::try_from(8 + reply.encoded_len()).unwrap(),
        xid,
    }
    .encode_append(&mut m)
    .unwrap();
    reply.encode_append(&mut m).unwrap();
    m
}

/// Flow entry `i` of a switching-hub-like table: match on the input port and destination
/// MAC, set a field and output, or go to the next table.
fn flow(i: u32) -> FlowStats {
    let [_, _, hi, lo] = i.to_be_bytes();
    let mac = MacAddr([0, 0, 0, 0, hi, lo]);
    let m = Match::new()
        .in_port(PortNo(i % 48 + 1))
        .eth_dst(mac)
        .eth_type(0x0800u16);
    let instructions = if i % 2 == 0 {
        vec![Instruction::apply_actions(vec![
            Action::set_field(OxmField::VlanVid(
                0x1000 | u16::from_be_bytes([hi, lo]) & 0xfff,
                None,
            )),
            Action::output(PortNo(i % 48 + 1)),
        ])]
    } else {
        vec![
            Instruction::write_metadata(u64::from(i), u64::MAX),
            Instruction::goto_table(TableId(1)),
        ]
    };
    FlowStats {
        packet_count: u64::from(i),
        byte_count: u64::from(i) * 100,
        duration_sec: i,
        ..FlowStats::new(100, m, instructions)
    }
}

#[derive(Default, Debug, PartialEq)]
struct Seen {
    messages: usize,
    entries: usize,
    packets: u64,
    fields: usize,
    instructions: usize,
    actions: usize,
    outputs: u64,
}

/// The MULTIPART_REPLY body of a whole message, as a controller gets it from
/// [`MessageView::parse`].
fn reply_view(msg: &[u8]) -> sdnwire_openflow::Result<MultipartReplyView<'_>> {
    match MessageView::parse(msg)?.body {
        BodyView::MultipartReply(v) => Ok(v),
        other => panic!("not a MULTIPART_REPLY: {other:?}"),
    }
}

/// Everything a controller reads from a flow statistics reply, without allocating.
fn walk_flow_stats(msg: &[u8], seen: &mut Seen) {
    let reply = reply_view(msg).unwrap();
    reply.validate().unwrap();
    seen.messages += 1;
    for e in reply.flow_stats().unwrap() {
        let e = e.unwrap();
        seen.entries += 1;
        seen.packets += e.packet_count;
        assert!(e.byte_count >= e.packet_count);
        for f in e.match_.fields() {
            let f = f.unwrap();
            seen.fields += 1;
            assert!(!f.value().is_empty());
            // Typed basic fields are plain values: decoding them allocates nothing either.
            assert!(f.typed().is_some());
        }
        for i in e.instructions.clone() {
            seen.instructions += 1;
            match i.unwrap() {
                InstructionView::ApplyActions(actions) => {
                    for a in actions {
                        seen.actions += 1;
                        match a.unwrap() {
                            ActionView::Output { port, .. } => seen.outputs += u64::from(port.0),
                            ActionView::SetField(s) => assert_eq!(s.oxm_bytes().len(), 6),
                            other => panic!("{other:?}"),
                        }
                    }
                }
                InstructionView::WriteMetadata { mask, .. } => assert_eq!(mask, u64::MAX),
                InstructionView::GotoTable(t) => assert_eq!(t, TableId(1)),
                other => panic!("{other:?}"),
            }
        }
    }
}

#[test]
fn flow_stats_reply_of_1000_entries_allocates_nothing() {
    let flows: Vec<FlowStats> = (0..1000).map(flow).collect();
    let first = MultipartReply::new(MultipartReplyBody::Flow(flows[..500].to_vec()));
    let second = MultipartReply::new(MultipartReplyBody::Flow(flows[500..].to_vec()));
    let messages = [message(&first.with_more(true), 7), message(&second, 7)];
    assert!(messages.iter().all(|m| m.len() < 65536));

    let mut seen = Seen::default();
    let info = allocation_counter::measure(|| {
        for m in &messages {
            walk_flow_stats(m, &mut seen);
        }
    });
    assert_eq!(info.count_total, 0, "{info:?}");
    assert_eq!(
        seen,
        Seen {
            messages: 2,
            entries: 1000,
            packets: (0..1000).sum(),
            fields: 3000,
            instructions: 1500,
            actions: 1000,
            outputs: (0..1000u64).step_by(2).map(|i| i % 48 + 1).sum(),
        }
    );
    // The counter does count: the owned parse of the same messages allocates each reply's
    // entries vector (every entry's match and lists are inline).
    let owned_info = allocation_counter::measure(|| {
        for m in &messages {
            let r = reply_view(m).unwrap().decode().unwrap();
            assert!(r.more() == (m == &messages[0]));
        }
    });
    assert_eq!(owned_info.count_total, 2, "{owned_info:?}");
    // The views saw what the owned parse sees.
    let owned: Vec<FlowStats> = messages
        .iter()
        .flat_map(|m| {
            let r = reply_view(m).unwrap().decode().unwrap();
            match r.body {
                MultipartReplyBody::Flow(f) => f,
                other => panic!("{other:?}"),
            }
        })
        .collect();
    assert_eq!(owned, flows);
}

/// Open vSwitch 3.1's first TABLE_FEATURES reply message (12 tables, ~60 KB, thousands of
/// IDs), walked down to every ID.
#[test]
fn table_features_reply_allocates_nothing() {
    let msg = include_bytes!("../testdata/ovs-table-features-reply-part0.bin");
    let mut ids = 0usize;
    let mut tables = 0usize;
    let info = allocation_counter::measure(|| {
        let reply = reply_view(msg).unwrap();
        assert!(reply.more());
        for t in reply.table_features().unwrap() {
            let t = t.unwrap();
            tables += 1;
            assert_eq!(t.max_entries, 1_000_000);
            for p in t.properties.clone() {
                match p.unwrap() {
                    TableFeaturePropView::Instructions { ids: i, .. } => {
                        ids += i
                            .filter(|i| i.as_ref().unwrap().experimenter_id().is_none())
                            .count()
                    }
                    TableFeaturePropView::WriteActions { ids: a, .. }
                    | TableFeaturePropView::ApplyActions { ids: a, .. } => {
                        ids += a.filter(|a| a.as_ref().unwrap().data.is_empty()).count()
                    }
                    TableFeaturePropView::Match(o)
                    | TableFeaturePropView::Wildcards(o)
                    | TableFeaturePropView::WriteSetfield { ids: o, .. }
                    | TableFeaturePropView::ApplySetfield { ids: o, .. } => {
                        ids += o.filter(|o| o.as_ref().unwrap().header.0 != 0).count()
                    }
                    TableFeaturePropView::NextTables { table_ids, .. } => ids += table_ids.len(),
                    other => panic!("{other:?}"),
                }
            }
        }
        reply.validate().unwrap();
    });
    assert_eq!(info.count_total, 0, "{info:?}");
    assert_eq!(tables, 12);
    assert!(ids > 5000, "{ids}");
}

/// The Nicira actions of a typical OVS flow (resubmit, reg_load, reg_move, output_reg,
/// conjunction, ct_clear, dec_ttl), walked through the views and typed one by one: the
/// fixed-layout Nicira actions type without allocating, and give the owned actions.
#[test]
fn nicira_fixed_actions_type_without_allocating() {
    use sdnwire_openflow::action::ActionsView;
    use sdnwire_openflow::nicira::NxAction;
    use sdnwire_openflow::oxm::OxmHeader;

    let typed = [
        NxAction::Resubmit { in_port: 1 },
        NxAction::ResubmitTable {
            in_port: 0xfff8,
            table_id: 2,
        },
        NxAction::RegLoad {
            ofs_nbits: 31,
            dst: OxmHeader(0x0001_0004),
            value: 0x1234,
        },
        NxAction::RegMove {
            n_bits: 16,
            src_ofs: 0,
            dst_ofs: 16,
            src_field: OxmHeader(0x0001_0004),
            dst_field: OxmHeader(0x0001_0204),
        },
        NxAction::OutputReg {
            ofs_nbits: 15,
            src: OxmHeader(0x0001_0004),
            max_len: 0,
        },
        NxAction::Conjunction {
            clause: 0,
            n_clauses: 2,
            id: 7,
        },
        NxAction::CtClear,
        NxAction::DecTtl,
    ];
    let actions: Vec<Action> = typed.iter().cloned().map(Action::Nicira).collect();
    let mut bytes = Vec::new();
    for a in &actions {
        a.encode_append(&mut bytes).unwrap();
    }
    let mut decoded = Vec::with_capacity(actions.len());
    let info = allocation_counter::measure(|| {
        for a in ActionsView::new_unchecked(&bytes, 0) {
            let a = a.unwrap();
            let ActionView::Nicira(nx) = a else {
                panic!("{a:?}")
            };
            assert!(nx.typed().is_some());
            decoded.push(a.decode().unwrap());
        }
    });
    assert_eq!(info.count_total, 0, "{info:?}");
    assert_eq!(decoded, actions);
}

/// The allocations the owned form of `actions` needs: its list past its inline room, and the
/// experimenter data of each action.
fn action_allocs(actions: &[Action]) -> usize {
    let own = usize::from(actions.len() > ActionList::INLINE);
    own + actions
        .iter()
        .map(|a| match a {
            Action::Experimenter { data, .. } | Action::Unknown { data, .. } => {
                usize::from(!data.is_empty())
            }
            Action::Output { .. } | Action::SetField(_) | Action::Group(_) => 0,
            other => panic!("not in the fixture: {other:?}"),
        })
        .sum::<usize>()
}

/// The allocations the owned form of one flow entry needs: one per list past its inline room
/// (the match's 4 fields, 2 instructions, 4 actions of each list).
fn flow_allocs(f: &FlowStats) -> usize {
    let fields = usize::from(f.match_.fields.len() > MatchFields::INLINE);
    let insts = usize::from(f.instructions.len() > InstructionList::INLINE);
    fields
        + insts
        + f.instructions
            .iter()
            .map(|i| match i {
                Instruction::ApplyActions(a) | Instruction::WriteActions(a) => action_allocs(a),
                _ => 0,
            })
            .sum::<usize>()
}

/// Every list of the owned entry is inline or exactly as long as it was allocated (allocated
/// once at its final size, never grown).
fn assert_exact_fields(m: &Match) {
    if m.fields.is_inline() {
        assert!(m.fields.len() <= MatchFields::INLINE);
    } else {
        assert_eq!(m.fields.capacity(), m.fields.len());
    }
}

/// See [`assert_exact_fields`].
fn assert_exact(f: &FlowStats) {
    assert_exact_fields(&f.match_);
    assert_exact_instructions(&f.instructions);
}

/// See [`assert_exact_fields`].
fn assert_exact_instructions(l: &InstructionList) {
    if l.is_inline() {
        assert!(l.len() <= InstructionList::INLINE);
    } else {
        assert_eq!(l.capacity(), l.len());
    }
    for i in l {
        if let Instruction::ApplyActions(a) | Instruction::WriteActions(a) = i {
            if a.is_inline() {
                assert!(a.len() <= ActionList::INLINE);
            } else {
                assert_eq!(a.capacity(), a.len());
            }
        }
    }
}

/// Flow entry `i` of [`flow`], every fourth past the inline room of its lists: 3
/// instructions, an apply-actions of 6 actions.
fn flow_spilling(i: u32) -> FlowStats {
    let mut f = flow(i);
    if i % 4 == 3 {
        let outputs: Vec<Action> = (1..=6).map(|p| Action::output(PortNo(p))).collect();
        f.instructions = vec![
            Instruction::apply_actions(outputs),
            Instruction::write_actions([Action::group(sdnwire_openflow::GroupId(i))]),
            Instruction::goto_table(TableId(1)),
        ]
        .into();
    }
    f
}

/// `Message::parse` (what the connection's `decode` runs) allocates each list once at its
/// final size: a 1000-entry flow-stats reply costs exactly one allocation per list past its
/// inline room (no reallocation; a match of up to 4 fields, 2 instructions and 4 actions per
/// list none), a common PACKET_IN none (its match's fields and its frame of up to 128 bytes
/// are inline; a longer frame one), a FLOW_MOD one per list past the inline ones.
#[test]
fn owned_parse_allocates_each_list_once_at_its_size() {
    use sdnwire_openflow::{Body, Message};
    let flows: Vec<FlowStats> = (0..1000).map(flow_spilling).collect();
    // Four replies of 250 entries (500 with the longer entries do not fit a message).
    let messages: Vec<Vec<u8>> = flows
        .chunks(250)
        .enumerate()
        .map(|(i, c)| {
            let r = MultipartReply::new(MultipartReplyBody::Flow(c.to_vec()));
            message(&r.with_more(i < 3), 7)
        })
        .collect();
    // Each reply: its entries vector, then each entry's lists past their inline room.
    let expected: usize = messages.len() + flows.iter().map(flow_allocs).sum::<usize>();
    let mut parsed = Vec::with_capacity(messages.len());
    let info = allocation_counter::measure(|| {
        for m in &messages {
            parsed.push(Message::parse(m).unwrap());
        }
    });
    assert_eq!(info.count_total, expected as u64, "{info:?}");
    let mut n = 0;
    for m in &parsed {
        let Body::MultipartReply(r) = &m.body else {
            panic!("{m:?}")
        };
        let MultipartReplyBody::Flow(f) = &r.body else {
            panic!("{r:?}")
        };
        assert_eq!(f.capacity(), f.len());
        for e in f {
            assert_exact(e);
            assert_eq!(e, &flows[n]);
            n += 1;
        }
    }
    assert_eq!(n, 1000);

    // PACKET_IN: the match (with its 1 field) and the frame (108 bytes) inline.
    let pin = include_bytes!("../testdata/ovs-packet-in.bin");
    let mut msg = None;
    let info = allocation_counter::measure(|| msg = Some(Message::parse(pin).unwrap()));
    assert_eq!(info.count_total, 0, "{info:?}");
    let Some(Message {
        body: Body::PacketIn(p),
        ..
    }) = msg
    else {
        panic!()
    };
    assert!(p.match_.fields.is_inline() && p.data.is_inline());
    assert!(!p.match_.fields.is_empty());
    // A frame past the inline room: one allocation, at its size; a match of 5 fields: one.
    for (fields, len, allocs) in [(1, 129, 1), (5, 60, 1), (5, 1500, 2), (4, 128, 0)] {
        let mut m = Match::new();
        for i in 0..fields {
            m = m.push(OxmField::Metadata(i, None));
        }
        let data: Vec<u8> = (0..len).map(|i: u32| i.to_le_bytes()[0]).collect();
        let want = sdnwire_openflow::packet_in::PacketIn {
            match_: m,
            ..sdnwire_openflow::packet_in::PacketIn::new(PortNo(3), data)
        };
        let bytes = Message::new(9, Body::PacketIn(want.clone()))
            .to_vec()
            .unwrap();
        let mut msg = None;
        let info = allocation_counter::measure(|| msg = Some(Message::parse(&bytes).unwrap()));
        assert_eq!(
            info.count_total, allocs,
            "{fields} fields, {len} bytes: {info:?}"
        );
        let Some(Message {
            body: Body::PacketIn(p),
            ..
        }) = msg
        else {
            panic!()
        };
        assert_eq!(p, want);
        assert_exact_fields(&p.match_);
        assert!(p.data.is_inline() || p.data.capacity() == p.data.len());
    }

    // FLOW_MOD with a long action list, experimenter actions among them.
    let actions = vec![
        Action::set_field(OxmField::VlanVid(0x1005, None)),
        Action::experimenter(0x2320, vec![0, 0xfe, 1, 2, 3, 4, 5, 6]),
        Action::output(PortNo(1)),
        Action::output(PortNo(2)),
        Action::experimenter(0x00ab_cdef, vec![]),
        Action::output(PortNo(3)),
    ];
    let fm = sdnwire_openflow::flow_mod::FlowMod::add()
        .matching(Match::new().in_port(PortNo(1)).eth_type(0x0800u16))
        .instruction(Instruction::apply_actions(actions))
        .instruction(Instruction::goto_table(TableId(2)));
    let bytes = Message::new(3, Body::FlowMod(fm.clone())).to_vec().unwrap();
    let mut msg = None;
    let info = allocation_counter::measure(|| msg = Some(Message::parse(&bytes).unwrap()));
    let Some(Message {
        body: Body::FlowMod(got),
        ..
    }) = msg
    else {
        panic!()
    };
    assert_eq!(got, fm);
    // The 6 actions, one experimenter's data (the other's is empty); the match's 2 fields
    // and the 2 instructions are inline.
    assert_eq!(info.count_total, 2, "{info:?}");
    assert!(got.instructions.is_inline());
    assert_exact_instructions(&got.instructions);
    assert_exact_fields(&got.match_);
    let Instruction::ApplyActions(a) = &got.instructions[0] else {
        panic!()
    };
    assert_eq!(a.capacity(), a.len());
}

/// A FLOW_MOD of up to 2 instructions of up to 4 actions each (a learning switch's, a
/// router's) and a match of up to 4 fields decodes without allocating: every list inline.
/// Past the inline room, one allocation per list, at its final size.
#[test]
fn owned_flow_mod_within_inline_room_allocates_nothing() {
    use sdnwire_openflow::flow_mod::FlowMod;
    use sdnwire_openflow::{Body, GroupId, Message};
    let mac = MacAddr([0, 0, 0, 0, 0, 2]);
    let set_dst = Action::set_field(OxmField::EthDst(mac, None));
    let four = || {
        vec![
            set_dst.clone(),
            Action::set_field(OxmField::VlanVid(0x1005, None)),
            Action::group(GroupId(7)),
            Action::output(PortNo(3)),
        ]
    };
    let base = FlowMod::add().priority(10).matching(
        Match::new()
            .in_port(PortNo(1))
            .eth_dst(mac)
            .eth_type(0x0800u16),
    );
    let cases: Vec<(FlowMod, u64)> = vec![
        // The learning switch's: one output.
        (base.clone().apply_actions([Action::output(PortNo(2))]), 0),
        // A router's: rewrite, then output; and goto.
        (
            base.clone()
                .apply_actions([set_dst.clone(), Action::output(PortNo(2))])
                .instruction(Instruction::goto_table(TableId(1))),
            0,
        ),
        // 2 instructions of 4 actions each.
        (base.clone().apply_actions(four()).write_actions(four()), 0),
        // No instruction (a drop).
        (base.clone(), 0),
        // 5 actions: the action list past its room.
        (
            base.clone()
                .apply_actions(four())
                .apply_actions([Action::output(PortNo(9))]),
            1,
        ),
        // 3 instructions: the instruction list past its room.
        (
            base.clone()
                .apply_actions(four())
                .write_actions(four())
                .instruction(Instruction::goto_table(TableId(1))),
            1,
        ),
        // Both, and a 5-field match.
        (
            base.clone()
                .matching(
                    Match::new()
                        .in_port(PortNo(1))
                        .eth_dst(mac)
                        .eth_type(0x0800u16)
                        .push(OxmField::Metadata(1, None))
                        .push(OxmField::Metadata(2, None)),
                )
                .apply_actions(four())
                .apply_actions(four())
                .write_actions(four())
                .instruction(Instruction::goto_table(TableId(1))),
            3,
        ),
    ];
    for (fm, allocs) in cases {
        let bytes = Message::new(3, Body::FlowMod(fm.clone())).to_vec().unwrap();
        let mut msg = None;
        let info = allocation_counter::measure(|| msg = Some(Message::parse(&bytes).unwrap()));
        assert_eq!(info.count_total, allocs, "{fm:?}: {info:?}");
        let Some(Message {
            body: Body::FlowMod(got),
            ..
        }) = msg
        else {
            panic!()
        };
        assert_eq!(got, fm);
        assert_exact_fields(&got.match_);
        assert_exact_instructions(&got.instructions);
        // The view's owned decode of the body: the same.
        let info = allocation_counter::measure(|| {
            let MessageView {
                body: BodyView::FlowMod(v),
                ..
            } = MessageView::parse(&bytes).unwrap()
            else {
                panic!()
            };
            assert_eq!(v.decode().unwrap(), fm);
        });
        assert_eq!(info.count_total, allocs, "{fm:?}: {info:?}");
    }
}

/// A FLOW_MOD whose match holds many well-formed TLVs and then a broken one (3 bytes where a
/// 4-byte OXM header should be: the match's framing is broken) is refused with the view's
/// error and without an allocation: the owned decode does not grow its fields one slot per
/// TLV (nor walk the TLVs left once per TLV) before it sees the broken framing. Each TLV here
/// is a basic field of no payload, kept raw with an empty payload (which allocates nothing).
#[test]
fn owned_flow_mod_with_a_broken_match_framing_allocates_nothing() {
    use sdnwire_openflow::Message;
    for k in [3usize, 4, 5, 6, 100, 2000] {
        let len = 4 + 4 * k + 3;
        let padded = len.next_multiple_of(8);
        let total = 8 + 40 + padded + 8;
        let mut m = vec![OFP_VERSION, MsgType::FLOW_MOD.0];
        m.extend_from_slice(&u16::try_from(total).unwrap().to_be_bytes());
        m.extend_from_slice(&[0, 0, 0, 1]);
        m.extend_from_slice(&[0; 40]);
        m.extend_from_slice(&[0, 1]);
        m.extend_from_slice(&u16::try_from(len).unwrap().to_be_bytes());
        for _ in 0..k {
            // udp_src with no payload: a basic field of the wrong length, kept raw.
            m.extend_from_slice(&[0x80, 0x00, 0x1e, 0x00]);
        }
        m.extend_from_slice(&[0x80, 0x00, 0x1e]);
        m.resize(8 + 40 + padded, 0);
        // goto_table 1.
        m.extend_from_slice(&[0, 1, 0, 8, 1, 0, 0, 0]);
        assert_eq!(m.len(), total);
        let want = MessageView::parse(&m).map(|_| ()).unwrap_err();
        assert!(
            matches!(
                want,
                sdnwire_openflow::Error::Truncated {
                    what: "oxm_header",
                    ..
                }
            ),
            "{want:?}"
        );
        let mut got = None;
        let info = allocation_counter::measure(|| got = Some(Message::parse(&m)));
        assert_eq!(got.unwrap().unwrap_err(), want, "{k} TLVs");
        assert_eq!(info.count_total, 0, "{k} TLVs: {info:?}");
    }
}

/// The size the inline storage costs, as the owned types' docs state it (64-bit targets).
#[cfg(target_pointer_width = "64")]
#[test]
fn inline_storage_sizes_are_what_the_docs_say() {
    use core::mem::size_of;
    use sdnwire_openflow::flow_mod::FlowMod;
    use sdnwire_openflow::packet_in::PacketIn;
    use sdnwire_openflow::Message;
    let sizes = [
        size_of::<Match>(),
        size_of::<PacketIn>(),
        size_of::<Action>(),
        size_of::<ActionList>(),
        size_of::<Instruction>(),
        size_of::<InstructionList>(),
        size_of::<FlowMod>(),
        size_of::<FlowStats>(),
        size_of::<Message>(),
    ];
    eprintln!("{sizes:?}");
    assert_eq!(sizes, [168, 320, 48, 200, 208, 424, 632, 640, 648]);
}
