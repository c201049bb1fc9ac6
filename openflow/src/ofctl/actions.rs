//! Actions and instructions in ovs-ofctl notation, encoded as Open vSwitch encodes them for
//! OpenFlow 1.3.

use alloc::format;
use alloc::vec::Vec;

use super::fields::{self, FieldDef, Flow, Prereq, Special};
use super::{err, group_id, Item, Items, ParseError, Tok, R};
use crate::action::Action;
use crate::instruction::{Instruction, InstructionList};
use crate::nicira::{experimenter_action, NxAction, NxCt};
use crate::oxm::{OxmField, OxmHeader, OFPXMC_EXPERIMENTER};
use crate::types::{GroupId, MeterId, PortNo, TableId, OFPCML_NO_BUFFER};
use crate::Encode;

/// Parses the part of a flow after `actions=` (`output:1,write_actions(group:2),goto_table:3`)
/// into instructions, in the order a switch runs them (as OVS sends them), for a flow with
/// an empty match. Bare actions go into one apply-actions instruction; `drop` (alone) is
/// none.
///
/// Actions that need a match (`mod_tp_src` needs TCP, UDP or SCTP, `pop_vlan` a VLAN, ...)
/// are refused here: parse them within a flow ([`super::parse_flow`]).
pub fn parse_actions(s: &str) -> Result<InstructionList, ParseError> {
    let t = Tok { text: s, at: 0 };
    parse_instructions(t, &Flow::default(), None)
        .map(InstructionList::from)
        .map_err(|e| super::finish(s, e))
}

/// Where an action list sits: how deep in nested lists (`write_actions(...)`, `clone(...)`,
/// `ct(exec(...))`), and whether inside a `ct` action's `exec`.
#[derive(Clone, Copy, Debug)]
struct Nest {
    /// Action lists open around this one, itself included (1 for a flow's own actions).
    depth: u8,
    /// Inside `ct(exec(...))`, the only place `ct_mark` and `ct_label` may be set.
    in_ct: bool,
}

/// At most this many action lists nest, the flow's own included (OVS's
/// `MAX_OFPACT_PARSE_DEPTH`): deeper text is refused before it can exhaust the stack.
const MAX_DEPTH: u8 = 100;

impl Nest {
    const TOP: Nest = Nest {
        depth: 1,
        in_ct: false,
    };

    /// The list nested in item `it` (inside a `ct` action's `exec` when `in_ct`).
    fn inner(self, it: &Item<'_>, in_ct: bool) -> R<Nest> {
        if self.depth >= MAX_DEPTH {
            return err(it.all, "Action nested too deeply");
        }
        Ok(Nest {
            depth: self.depth + 1,
            in_ct,
        })
    }
}

/// Instruction kinds in the order OVS requires them.
fn rank(i: &Instruction) -> u8 {
    match i {
        Instruction::Meter(_) => 0,
        Instruction::ApplyActions(_) => 1,
        Instruction::ClearActions => 2,
        Instruction::WriteActions(_) => 3,
        Instruction::WriteMetadata { .. } => 4,
        Instruction::GotoTable(_) => 5,
        _ => 6,
    }
}

fn rank_name(r: u8) -> &'static str {
    match r {
        0 => "meter",
        1 => "apply_actions",
        2 => "clear_actions",
        3 => "write_actions",
        4 => "write_metadata",
        _ => "goto_table",
    }
}

pub(crate) fn parse_instructions(
    t: Tok<'_>,
    flow: &Flow,
    table: Option<u8>,
) -> R<Vec<Instruction>> {
    let mut out: Vec<Instruction> = Vec::new();
    let mut apply: Vec<Action> = Vec::new();
    let mut apply_at: Option<usize> = None;
    let mut drop: Option<Tok<'_>> = None;
    let mut state = flow.clone();
    // The item each action of `apply` came from (for errors about the list).
    let mut owners: Vec<Tok<'_>> = Vec::new();
    for it in Items::new(t) {
        let k = it.key.text;
        let ins = match k {
            "meter" => {
                // A flow's meter is 1..=OFPM_MAX (0xffff0000): ovs-ofctl refuses 0 and the
                // virtual meters (slowpath, controller, all) with OFPMMFC_INVALID_METER.
                let m = int::<u32>(&it)?;
                if m == 0 || m > 0xffff_0000 {
                    return err(
                        it.all,
                        "actions are invalid with specified match (OFPMMFC_INVALID_METER)",
                    );
                }
                Some(Instruction::Meter(MeterId(m)))
            }
            "clear_actions" => Some(Instruction::ClearActions),
            "write_actions" => {
                let v = it.value.unwrap_or(it.key.sub(0, 0));
                let mut st = state.clone();
                let acts = parse_action_list(v, &mut st, Nest::TOP.inner(&it, false)?)?;
                Some(Instruction::WriteActions(acts.into()))
            }
            "write_metadata" => {
                let v = value(&it)?;
                let (a, m) = match v.text.split_once('/') {
                    Some((a, m)) => (a, Some(m)),
                    None => (v.text, None),
                };
                let n = |s: &str| fields::parse_uint(s).and_then(|x| u64::try_from(x).ok());
                let (Some(a), Some(m)) = (n(a), m.map_or(Some(u64::MAX), n)) else {
                    return err(v, format!("{}: invalid metadata", v.text));
                };
                Some(Instruction::WriteMetadata {
                    metadata: a,
                    mask: m,
                })
            }
            "goto_table" => {
                let g = int::<u8>(&it)?;
                if let Some(tb) = table.filter(|t| *t != 255) {
                    if g <= tb {
                        return err(
                            it.all,
                            format!("goto_table:{g} must go to a table after table {tb}"),
                        );
                    }
                }
                Some(Instruction::GotoTable(TableId(g)))
            }
            "apply_actions" => return err(it.all, "apply_actions is the default instruction"),
            "drop" => {
                drop = Some(it.all);
                None
            }
            _ => {
                if apply_at.is_none() && out.iter().any(|i| rank(i) > 1) {
                    return err(
                        it.all,
                        "invalid instruction ordering: apply_actions must appear before other instructions",
                    );
                }
                apply_at.get_or_insert(out.len());
                let before = apply.len();
                action(&it, &mut state, &mut apply, Nest::TOP)?;
                owners.extend(core::iter::repeat_n(it.all, apply.len() - before));
                None
            }
        };
        if let Some(ins) = ins {
            let r = rank(&ins);
            if let Some(prev) = out.iter().map(rank).max() {
                if prev == r {
                    return err(it.all, format!("duplicate {} instruction", rank_name(r)));
                }
                if prev > r {
                    return err(
                        it.all,
                        format!(
                            "instruction {} may not follow instruction {}",
                            rank_name(r),
                            rank_name(prev)
                        ),
                    );
                }
            }
            if r == 0 && apply_at.is_some() {
                return err(
                    it.all,
                    "instruction meter may not follow instruction apply_actions",
                );
            }
            if r <= 1 && apply_at.is_some_and(|a| a < out.len()) {
                return err(it.all, "actions must come before other instructions");
            }
            out.push(ins);
        } else if apply_at.is_some_and(|a| a < out.len()) && k != "drop" {
            return err(
                it.all,
                format!(
                    "instruction apply_actions may not follow instruction {}",
                    out.last().map_or("", |i| rank_name(rank(i)))
                ),
            );
        }
    }
    if let Some(d) = drop {
        if !out.is_empty() || !apply.is_empty() {
            return err(
                d,
                "\"drop\" must not be accompanied by any other action or instruction",
            );
        }
    }
    if apply
        .iter()
        .any(|a| matches!(a, Action::Nicira(NxAction::Conjunction { .. })))
    {
        let other = apply.iter().position(|a| {
            !matches!(
                a,
                Action::Nicira(NxAction::Conjunction { .. } | NxAction::Note(_))
            )
        });
        if let Some(i) = other {
            let tok = owners.get(i).copied().unwrap_or(t);
            return err(
                tok,
                "\"conjunction\" actions may be used along with \"note\" but not any other kind of action",
            );
        }
        if !out.is_empty() {
            return err(t, "\"conjunction\" actions may be used along with \"note\" but not any other kind of action or instruction");
        }
    }
    if let Some(at) = apply_at {
        out.insert(at.min(out.len()), Instruction::ApplyActions(apply.into()));
    }
    // OVS sends no instruction for an empty action list (`set_field:5/0->reg0` sets nothing).
    out.retain(|i| {
        !matches!(i, Instruction::WriteActions(a) | Instruction::ApplyActions(a) if a.is_empty())
    });
    Ok(out)
}

/// One action of a group's bucket.
pub(crate) fn parse_bucket_action(it: &Item<'_>, state: &mut Flow, out: &mut Vec<Action>) -> R<()> {
    action(it, state, out, Nest::TOP)
}

/// A nested action list (`write_actions(...)`, `ct(exec(...))`).
fn parse_action_list(t: Tok<'_>, state: &mut Flow, nest: Nest) -> R<Vec<Action>> {
    let mut out = Vec::new();
    let mut drop = None;
    for it in Items::new(t) {
        if it.key.text == "drop" {
            drop = Some(it.all);
            continue;
        }
        action(&it, state, &mut out, nest)?;
    }
    if let (Some(d), false) = (drop, out.is_empty()) {
        return err(
            d,
            "\"drop\" must not be accompanied by any other action or instruction",
        );
    }
    Ok(out)
}

fn value<'a>(it: &Item<'a>) -> R<Tok<'a>> {
    match it.value {
        Some(v) if !v.text.is_empty() => Ok(v),
        _ => err(it.all, format!("{} needs an argument", it.key.text)),
    }
}

/// The item's value as a `T` (decimal or `0x` hex).
fn int<T: TryFrom<u128>>(it: &Item<'_>) -> R<T> {
    numt(value(it)?)
}

/// A number that fits a `T`.
fn numt<T: TryFrom<u128>>(v: Tok<'_>) -> R<T> {
    let x = num(v, u128::MAX)?;
    T::try_from(x).or_else(|_| err(v, format!("{}: value out of range", v.text)))
}

fn num(v: Tok<'_>, max: u128) -> R<u128> {
    match fields::parse_uint(v.text.trim()) {
        Some(x) if x <= max => Ok(x),
        Some(_) => err(v, format!("{}: value out of range", v.text)),
        None => err(v, format!("{}: not a number", v.text)),
    }
}

/// An output port for OpenFlow 1.3 (`ofputil_port_from_string`).
fn port(v: Tok<'_>) -> R<u32> {
    match fields::parse_port(v.text) {
        Some(p) => Ok(p),
        None => err(v, format!("{}: invalid or unknown port", v.text)),
    }
}

/// OVS's `ofpact_check_output_port`: a physical port or a reserved one other than ANY.
fn check_output(v: Tok<'_>, p: u32) -> R<()> {
    if p < PortNo::MAX.0 || (0xffff_fff8..=0xffff_fffe).contains(&p) {
        Ok(())
    } else {
        err(v, "output to an invalid port (OFPBAC_BAD_OUT_PORT)")
    }
}

/// Output to `p`: `max_len` only counts for the controller (OVS writes 0 for the others).
fn output(p: u32) -> Action {
    Action::Output {
        port: PortNo(p),
        max_len: if p == PortNo::CONTROLLER.0 {
            OFPCML_NO_BUFFER
        } else {
            0
        },
    }
}

fn inconsistent<T>(it: &Item<'_>) -> R<T> {
    err(
        it.all,
        format!(
            "{}: actions are invalid with specified match (OFPBAC_MATCH_INCONSISTENT)",
            it.key.text
        ),
    )
}

/// A set-field action of field `d` (value already in its width), as OVS encodes it in 1.3:
/// OFPAT_SET_FIELD for a whole field, NXAST_REG_LOAD per contiguous run of mask bits
/// otherwise. Checks the field's prerequisites against `state`, and applies the effect.
fn set_field(
    it: &Item<'_>,
    d: &FieldDef,
    v: u128,
    m: u128,
    state: &mut Flow,
    out: &mut Vec<Action>,
) -> R<()> {
    let name = d.names.first().copied().unwrap_or("");
    if !state.prereq_ok(d.prereq)
        || (d.special == Special::VlanVid && !state.prereq_ok(Prereq::Vlan))
    {
        return err(
            it.all,
            format!("set_field {name} lacks correct prerequisites (OFPBAC_MATCH_INCONSISTENT)"),
        );
    }
    if fields::read_only(name) {
        return err(it.all, format!("{name} is read-only"));
    }
    if matches!(d.special, Special::DlVlan | Special::Xreg(_))
        || d.names == ["nw_tos"]
        || d.names == ["vlan_tci"]
        || d.names == ["dl_vlan_pcp"]
    {
        return err(
            it.all,
            format!("{name}: not settable with set_field in OpenFlow 1.3"),
        );
    }
    let bytes = usize::from(d.bytes);
    let full = if bytes >= 16 {
        u128::MAX
    } else {
        (1u128 << (8 * bytes)) - 1
    };
    if m == full {
        let mut payload = Vec::new();
        if d.class == OFPXMC_EXPERIMENTER {
            payload.extend_from_slice(&d.exp.to_be_bytes());
        }
        let b = v.to_be_bytes();
        payload.extend_from_slice(b.get(16 - bytes..).unwrap_or(&[]));
        out.push(Action::SetField(OxmField::from_parts(
            d.class, d.field, false, &payload,
        )));
    } else {
        let Some(hdr) = nxm_header(d) else {
            return err(
                it.all,
                format!("{name}: masked set_field not supported for this field"),
            );
        };
        reg_loads(it, hdr, v, m, out)?;
    }
    state.set(d, v, m);
    Ok(())
}

/// One NXAST_REG_LOAD per contiguous run of 1 bits in `m` (lowest first), as OVS does.
fn reg_loads(it: &Item<'_>, hdr: u32, v: u128, m: u128, out: &mut Vec<Action>) -> R<()> {
    let mut bit = 0u32;
    while bit < 128 {
        if (m >> bit) & 1 == 0 {
            bit += 1;
            continue;
        }
        let start = bit;
        while bit < 128 && (m >> bit) & 1 == 1 {
            bit += 1;
        }
        let n = bit - start;
        if n > 64 {
            return err(it.all, "a load of more than 64 bits is not supported");
        }
        let val = (v >> start)
            & if n == 64 {
                u128::from(u64::MAX)
            } else {
                (1u128 << n) - 1
            };
        out.push(Action::Nicira(NxAction::RegLoad {
            ofs_nbits: ((fields::lo16(u128::from(start))) << 6) | fields::lo16(u128::from(n - 1)),
            dst: OxmHeader(hdr),
            value: u64::try_from(val).unwrap_or_default(),
        }));
    }
    Ok(())
}

/// The header OVS names a field by in Nicira actions (`load`, `move`): its NXM header when
/// it has one, its OXM one otherwise.
pub(crate) fn nxm_header(d: &FieldDef) -> Option<u32> {
    let n = |c: u32, f: u32, len: u32| (c << 16) | (f << 9) | len;
    let name = d.names.first().copied()?;
    Some(match name {
        "in_port" => n(0, 0, 2),
        "vlan_tci" => n(0, 4, 2),
        "nw_tos" => n(0, 5, 1),
        "eth_src" => n(0, 2, 6),
        "eth_dst" => n(0, 1, 6),
        "eth_type" => n(0, 3, 2),
        "ip_src" => n(0, 7, 4),
        "ip_dst" => n(0, 8, 4),
        "nw_proto" => n(0, 6, 1),
        "tcp_src" => n(0, 9, 2),
        "tcp_dst" => n(0, 10, 2),
        "udp_src" => n(0, 11, 2),
        "udp_dst" => n(0, 12, 2),
        "icmp_type" => n(0, 13, 1),
        "icmp_code" => n(0, 14, 1),
        "arp_op" => n(0, 15, 2),
        "arp_spa" => n(0, 16, 4),
        "arp_tpa" => n(0, 17, 4),
        "tun_id" => n(1, 16, 8),
        "arp_sha" => n(1, 17, 6),
        "arp_tha" => n(1, 18, 6),
        "ipv6_src" => n(1, 19, 16),
        "ipv6_dst" => n(1, 20, 16),
        "nd_target" => n(1, 23, 16),
        "nd_sll" => n(1, 24, 6),
        "nd_tll" => n(1, 25, 6),
        "nw_ttl" => n(1, 29, 1),
        "ipv6_label" => n(1, 27, 4),
        "metadata" => n(0x8000, 2, 8),
        "sctp_src" => n(0x8000, 17, 2),
        "sctp_dst" => n(0x8000, 18, 2),
        _ if d.class == crate::oxm::OFPXMC_NXM_1 => n(1, u32::from(d.field), u32::from(d.bytes)),
        _ => return None,
    })
}

/// A subfield `NAME[]`, `NAME[bit]`, `NAME[start..end]` or `NAME` alone (the whole field,
/// `NXM_OF_ETH_TYPE`, `eth_type`), as OVS's `mf_parse_subfield` reads them: header, offset,
/// bits, field.
fn subfield(t: Tok<'_>) -> R<(u32, u16, u16, &'static FieldDef)> {
    let open = match t.text.find('[') {
        Some(o) => o,
        None => {
            let name = t.text;
            let (hdr, def) = match fields::nxm_field(name) {
                Some(x) => x,
                None => match fields::field(name).and_then(|d| nxm_header(d).map(|h| (h, d))) {
                    Some(x) => x,
                    None => return err(t, format!("{name}: unknown field")),
                },
            };
            return Ok((
                hdr,
                0,
                fields::ovs_bits(def).min(fields::lo16(u128::from(hdr & 0xff)) * 8),
                def,
            ));
        }
    };
    if !t.text.ends_with(']') {
        return err(t, format!("{}: missing ] in subfield", t.text));
    }
    let name = t.text.get(..open).unwrap_or("");
    let range = t.text.get(open + 1..t.text.len() - 1).unwrap_or("");
    let (hdr, def) = match fields::nxm_field(name) {
        Some(x) => x,
        None => match fields::field(name).and_then(|d| nxm_header(d).map(|h| (h, d))) {
            Some(x) => x,
            None => return err(t.sub(0, open), format!("{name}: unknown field")),
        },
    };
    let width = fields::ovs_bits(def).min(fields::lo16(u128::from(hdr & 0xff)) * 8);
    let (ofs, n) = if range.is_empty() {
        (0, width)
    } else if let Some((a, b)) = range.split_once("..") {
        match (a.parse::<u16>(), b.parse::<u16>()) {
            (Ok(a), Ok(b)) if a <= b && b < width => (a, b - a + 1),
            _ => return err(t, format!("{}: bad bit range", t.text)),
        }
    } else {
        match range.parse::<u16>() {
            Ok(a) if a < width => (a, 1),
            _ => return err(t, format!("{}: bad bit index", t.text)),
        }
    };
    Ok((hdr, ofs, n, def))
}

/// One action item, appended to `out`. The actions that hold a nested list (`clone`, `ct`)
/// are handled in functions of their own, apart from the rest, so that each level of
/// nesting costs the stack little.
fn action(it: &Item<'_>, state: &mut Flow, out: &mut Vec<Action>, nest: Nest) -> R<()> {
    if it.key.text.eq_ignore_ascii_case("clone") {
        return clone(it, state, out, nest);
    }
    if it.key.text.eq_ignore_ascii_case("ct") {
        if !state.prereq_ok(Prereq::IpAny) {
            return inconsistent(it);
        }
        out.push(ct(it, state, nest)?);
        return Ok(());
    }
    plain_action(it, state, out, nest)
}

/// `clone(...)`: NXAST_CLONE (42), whose nested actions run on a copy of the packet. Kept as
/// the raw experimenter data OVS writes (subtype, 6 zero bytes, the actions).
#[inline(never)]
fn clone(it: &Item<'_>, state: &Flow, out: &mut Vec<Action>, nest: Nest) -> R<()> {
    let v = it.value.unwrap_or(it.key.sub(0, 0));
    let mut st = state.clone();
    let nested = parse_action_list(v, &mut st, nest.inner(it, false)?)?;
    let mut data = alloc::vec![0x00, 0x2a, 0, 0, 0, 0, 0, 0];
    for a in &nested {
        if a.encode_append(&mut data).is_err() {
            return err(it.all, "clone: an action does not encode");
        }
    }
    if data.len() + 8 > usize::from(u16::MAX) {
        return err(it.all, "clone: too many actions");
    }
    out.push(experimenter_action(
        crate::nicira::NX_EXPERIMENTER_ID,
        &data,
    ));
    Ok(())
}

/// An action without a nested list.
#[inline(never)]
fn plain_action(it: &Item<'_>, state: &mut Flow, out: &mut Vec<Action>, nest: Nest) -> R<()> {
    let lower = it.key.text.to_ascii_lowercase();
    let k = lower.as_str();
    let plain_field = |name: &str| fields::field(name).ok_or(());
    match k {
        "output" => {
            let v = value(it)?;
            // A subfield, or a field's name where no port has that name (`output:reg0`; as
            // ovs-ofctl, which tries the port first: `output:in_port` is the port).
            if v.text.contains('[') || (!it.paren && port(v).is_err() && subfield(v).is_ok()) {
                let (hdr, ofs, n, d) = subfield(v)?;
                // NXAST_OUTPUT_REG's 6 bits of n_bits hold at most 64 (ovs-ofctl writes
                // `ipv6_src[]`'s 128 bits into them as `NXM_NX_IPV6_SRC[1..64]`).
                if n > 64 {
                    return err(v, format!("{}: output from more than 64 bits", v.text));
                }
                if !state.prereq_ok(d.prereq) {
                    return inconsistent(it);
                }
                out.push(Action::Nicira(NxAction::OutputReg {
                    ofs_nbits: (ofs << 6) | (n - 1),
                    src: OxmHeader(hdr),
                    max_len: OFPCML_NO_BUFFER,
                }));
                return Ok(());
            }
            if it.paren {
                // output(port=P,max_len=N): NXAST_OUTPUT_TRUNC.
                let (mut p, mut max_len) = (None, None);
                for sub in Items::new(v) {
                    match sub.key.text {
                        "port" => {
                            let t = value(&sub)?;
                            let x = port(t)?;
                            check_output(t, x)?;
                            p = Some(x);
                        }
                        "max_len" => max_len = Some(numt::<u32>(value(&sub)?)?),
                        k => return err(sub.key, format!("{k}: unknown argument of output")),
                    }
                }
                let (Some(p), Some(max_len)) = (p, max_len) else {
                    return err(it.all, "output(...) needs port= and max_len=");
                };
                if max_len < 14 {
                    return err(it.all, "max_len must be at least 14 (an Ethernet header)");
                }
                if matches!(p, 0xffff_fff8..=0xffff_fffd) {
                    return err(it.all, "output to this port cannot be truncated");
                }
                out.push(Action::Nicira(NxAction::OutputTrunc {
                    port: fields::lo16(u128::from(p)),
                    max_len,
                }));
                return Ok(());
            }
            let p = port(v)?;
            check_output(v, p)?;
            out.push(output(p));
        }
        "controller" => out.push(controller(it)?),
        "group" => out.push(Action::Group(GroupId(group_id(value(it)?)?))),
        "set_queue" => out.push(Action::SetQueue(int::<u32>(it)?)),
        "push_vlan" => {
            let e = int::<u16>(it)?;
            if e != 0x8100 && e != 0x88a8 {
                return err(value(it)?, "push_vlan: ethertype must be 0x8100 or 0x88a8");
            }
            state.set(
                fields::field("vlan_tci")
                    .ok_or(())
                    .or_else(|_| err(it.all, "internal"))?,
                0x1000,
                0x1000,
            );
            out.push(Action::PushVlan(e));
        }
        "pop_vlan" | "strip_vlan" => {
            if !state.prereq_ok(Prereq::Vlan) {
                return inconsistent(it);
            }
            if let Ok(d) = plain_field("vlan_tci") {
                state.set(d, 0, 0);
            }
            out.push(Action::PopVlan);
        }
        "push_mpls" => {
            let e = int::<u16>(it)?;
            state.set_proto(e, None);
            out.push(Action::PushMpls(e));
        }
        "pop_mpls" => {
            let e = int::<u16>(it)?;
            if !state.prereq_ok(Prereq::Mpls) {
                return inconsistent(it);
            }
            state.set_proto(e, None);
            out.push(Action::PopMpls(e));
        }
        "set_mpls_ttl" => {
            let t = int::<u8>(it)?;
            if !state.prereq_ok(Prereq::Mpls) {
                return inconsistent(it);
            }
            out.push(Action::SetMplsTtl(t));
        }
        "dec_mpls_ttl" => {
            if !state.prereq_ok(Prereq::Mpls) {
                return inconsistent(it);
            }
            out.push(Action::DecMplsTtl);
        }
        "set_mpls_label" | "set_mpls_tc" => {
            let (name, max) = if k == "set_mpls_label" {
                ("mpls_label", 0xfffff)
            } else {
                ("mpls_tc", 7)
            };
            let v = num(value(it)?, max)?;
            let d = plain_field(name).or_else(|_| err(it.all, "internal"))?;
            if !state.prereq_ok(Prereq::Mpls) {
                return inconsistent(it);
            }
            let full = if d.bytes == 4 { 0xffff_ffff } else { 0xff };
            set_field(it, d, v, full, state, out)?;
        }
        "dec_ttl" => {
            if !state.prereq_ok(Prereq::IpAny) {
                return inconsistent(it);
            }
            match it.value {
                Some(v) if it.paren && !v.text.is_empty() => {
                    let mut ids = Vec::new();
                    for id in Items::new(v) {
                        ids.push(numt::<u16>(id.all)?);
                    }
                    out.push(Action::Nicira(NxAction::DecTtlCntIds(ids)));
                }
                _ => out.push(Action::DecNwTtl),
            }
        }
        "mod_nw_ttl" | "set_nw_ttl" => {
            let t = int::<u8>(it)?;
            if !state.prereq_ok(Prereq::IpAny) {
                return inconsistent(it);
            }
            out.push(Action::SetNwTtl(t));
        }
        "mod_dl_src" | "mod_dl_dst" => {
            let v = value(it)?;
            let Some(mac) = fields::parse_mac(v.text) else {
                return err(v, format!("{}: invalid Ethernet address", v.text));
            };
            let d = plain_field(if k == "mod_dl_src" {
                "eth_src"
            } else {
                "eth_dst"
            })
            .or_else(|_| err(it.all, "internal"))?;
            let x = mac.iter().fold(0u128, |a, &b| (a << 8) | u128::from(b));
            set_field(it, d, x, 0xffff_ffff_ffff, state, out)?;
        }
        "mod_nw_src" | "mod_nw_dst" => {
            let v = value(it)?;
            let Ok(a) = v.text.parse::<core::net::Ipv4Addr>() else {
                return err(v, format!("{}: invalid IP address", v.text));
            };
            if !state.prereq_ok(Prereq::Ipv4) {
                return inconsistent(it);
            }
            let d = plain_field(if k == "mod_nw_src" {
                "ip_src"
            } else {
                "ip_dst"
            })
            .or_else(|_| err(it.all, "internal"))?;
            set_field(it, d, u128::from(u32::from(a)), 0xffff_ffff, state, out)?;
        }
        "mod_nw_tos" => {
            let v = value(it)?;
            let tos = num(v, 0xff)?;
            if tos & 3 != 0 {
                return err(v, format!("{}: not a valid TOS", v.text));
            }
            if !state.prereq_ok(Prereq::IpAny) {
                return inconsistent(it);
            }
            let d = plain_field("ip_dscp").or_else(|_| err(it.all, "internal"))?;
            set_field(it, d, tos >> 2, 0xff, state, out)?;
        }
        "mod_nw_ecn" => {
            let v = value(it)?;
            let ecn = num(v, 3)?;
            if !state.prereq_ok(Prereq::IpAny) {
                return inconsistent(it);
            }
            let d = plain_field("nw_ecn").or_else(|_| err(it.all, "internal"))?;
            set_field(it, d, ecn, 0xff, state, out)?;
        }
        "mod_tp_src" | "mod_tp_dst" => {
            let v = value(it)?;
            let p = num(v, 0xffff)?;
            let src = k == "mod_tp_src";
            if state.is_permissive() {
                // In a group (no match to tell TCP from UDP) OVS writes OpenFlow 1.1's
                // OFPAT_SET_TP_SRC/DST (9/10), which 1.3 does not define.
                let [a, b] = fields::lo16(p).to_be_bytes();
                out.push(Action::Unknown {
                    type_: crate::action::ActionType(if src { 9 } else { 10 }),
                    data: alloc::vec![a, b, 0, 0],
                });
                return Ok(());
            }
            let name = if state.prereq_ok(Prereq::Tcp) {
                if src {
                    "tcp_src"
                } else {
                    "tcp_dst"
                }
            } else if state.prereq_ok(Prereq::Udp) {
                if src {
                    "udp_src"
                } else {
                    "udp_dst"
                }
            } else if state.prereq_ok(Prereq::Sctp) {
                if src {
                    "sctp_src"
                } else {
                    "sctp_dst"
                }
            } else {
                return inconsistent(it);
            };
            let d = plain_field(name).or_else(|_| err(it.all, "internal"))?;
            set_field(it, d, p, 0xffff, state, out)?;
        }
        "mod_vlan_vid" | "set_vlan_vid" => {
            let v = num(value(it)?, 0xfff)?;
            // In a group (no match) OVS cannot know and always pushes.
            if k == "mod_vlan_vid" && (state.is_permissive() || !state.prereq_ok(Prereq::Vlan)) {
                out.push(Action::PushVlan(0x8100));
                if let Ok(d) = plain_field("vlan_tci") {
                    state.set(d, 0x1000, 0x1000);
                }
            }
            let d = plain_field("vlan_vid").or_else(|_| err(it.all, "internal"))?;
            set_field(it, d, v | 0x1000, 0xffff, state, out)?;
        }
        "mod_vlan_pcp" | "set_vlan_pcp" => {
            let v = num(value(it)?, 7)?;
            if k == "mod_vlan_pcp" && (state.is_permissive() || !state.prereq_ok(Prereq::Vlan)) {
                out.push(Action::PushVlan(0x8100));
                if let Ok(d) = plain_field("vlan_tci") {
                    state.set(d, 0x1000, 0x1000);
                }
            }
            let d = plain_field("vlan_pcp").or_else(|_| err(it.all, "internal"))?;
            set_field(it, d, v, 0xff, state, out)?;
        }
        "set_tunnel" | "set_tunnel64" => {
            let v = num(value(it)?, u128::from(u64::MAX))?;
            let d = plain_field("tun_id").or_else(|_| err(it.all, "internal"))?;
            set_field(it, d, v, u128::from(u64::MAX), state, out)?;
        }
        "set_field" => {
            let v = value(it)?;
            let Some(arrow) = v.text.find("->") else {
                return err(v, format!("{}: missing `->'", v.text));
            };
            let val = v.sub(0, arrow);
            let dst = v.sub(arrow + 2, v.text.len());
            if let Some(rest) = dst.text.strip_prefix("oxm(") {
                let mut raw = Vec::new();
                raw_set_field(it, val, dst, rest, &mut raw)?;
                // A field that prints by its name is set as its name sets it (with the
                // name's checks), so that the action prints back as written.
                if let [Action::SetField(f)] = &raw[..] {
                    if crate::action::named_set_field(f) {
                        let name = alloc::string::ToString::to_string(&Action::SetField(f.clone()));
                        if let Some((v, d)) = name
                            .strip_prefix("set_field:")
                            .and_then(|x| x.split_once("->"))
                        {
                            if let Some(def) = fields::field(d) {
                                let (x, m) =
                                    fields::parse_value(def, v).or_else(|e| err(val, e))?;
                                if !nest.in_ct && matches!(d, "ct_mark" | "ct_label") {
                                    return err(
                                        it.all,
                                        "cannot set CT fields outside of ct action",
                                    );
                                }
                                return set_field(it, def, x, m, state, out);
                            }
                        }
                    }
                }
                out.extend(raw);
                return Ok(());
            }
            let Ok(d) = plain_field(dst.text) else {
                return err(dst, format!("{}: unknown field", dst.text));
            };
            let (x, m) = fields::parse_value(d, val.text).or_else(|e| err(val, e))?;
            if !nest.in_ct && matches!(d.names.first(), Some(&"ct_mark" | &"ct_label")) {
                return err(it.all, "cannot set CT fields outside of ct action");
            }
            set_field(it, d, x, m, state, out)?;
        }
        "load" => {
            let v = value(it)?;
            let Some(arrow) = v.text.find("->") else {
                return err(v, format!("{}: missing `->'", v.text));
            };
            let val = v.sub(0, arrow);
            let dst = v.sub(arrow + 2, v.text.len());
            let (hdr, ofs, n, d) = subfield(dst)?;
            if n > 64 {
                return err(dst, "a load of more than 64 bits is not supported");
            }
            if !nest.in_ct && is_ct_field(hdr) {
                return err(it.all, "cannot set CT fields outside of ct action");
            }
            let x = num(
                val,
                if n == 64 {
                    u128::from(u64::MAX)
                } else {
                    (1u128 << n) - 1
                },
            )?;
            // A load is a set-field to OVS: the VLAN id (not the whole TCI) needs a VLAN.
            if !state.prereq_ok(d.prereq)
                || (d.special == Special::VlanVid && !state.prereq_ok(Prereq::Vlan))
            {
                return inconsistent(it);
            }
            out.push(Action::Nicira(NxAction::RegLoad {
                ofs_nbits: (ofs << 6) | (n - 1),
                dst: OxmHeader(hdr),
                value: u64::try_from(x).unwrap_or_default(),
            }));
        }
        "move" => {
            let v = value(it)?;
            let Some(arrow) = v.text.find("->") else {
                return err(v, format!("{}: missing `->'", v.text));
            };
            let (sh, so, sn, sd) = subfield(v.sub(0, arrow))?;
            let (dh, doff, dn, dd) = subfield(v.sub(arrow + 2, v.text.len()))?;
            if sn != dn {
                return err(
                    v,
                    format!(
                        "{}: source field is {sn} bits wide but destination is {dn} bits wide",
                        v.text
                    ),
                );
            }
            if !nest.in_ct && is_ct_field(dh) {
                return err(it.all, "cannot set CT fields outside of ct action");
            }
            if !state.prereq_ok(sd.prereq) || !state.prereq_ok(dd.prereq) {
                return inconsistent(it);
            }
            out.push(Action::Nicira(NxAction::RegMove {
                n_bits: sn,
                src_ofs: so,
                dst_ofs: doff,
                src_field: OxmHeader(sh),
                dst_field: OxmHeader(dh),
            }));
        }
        "resubmit" => {
            let v = value(it)?;
            let (p, t) = match v.text.split_once(',') {
                Some((p, t)) => (p, Some(t)),
                None => (v.text, None),
            };
            let in_port = if p.is_empty() {
                0xfff8
            } else {
                match fields::parse_port(p) {
                    Some(x) if !(0xff00..0xffff_ff00).contains(&x) => fields::lo16(u128::from(x)),
                    _ => return err(v, format!("{p}: invalid or unknown port")),
                }
            };
            let table = match t {
                None | Some("") => 255,
                Some(t) => match fields::parse_uint(t) {
                    Some(x) if x < 255 => fields::lo8(x),
                    _ => return err(v, format!("{t}: invalid table")),
                },
            };
            if p.is_empty() && table == 255 {
                return err(
                    v,
                    "at least one \"in_port\" or \"table\" must be specified on resubmit",
                );
            }
            out.push(Action::Nicira(NxAction::ResubmitTable {
                in_port,
                table_id: table,
            }));
        }
        "note" => {
            let v = it.value.unwrap_or(it.key.sub(0, 0));
            let mut bytes = Vec::new();
            let mut rest = v.text;
            while !rest.is_empty() {
                rest = rest.trim_start_matches('.');
                if rest.is_empty() {
                    break;
                }
                let Some(b) = rest.get(..2).and_then(fields::hex_byte) else {
                    return err(v, format!("{}: bad hex digit in `note' argument", v.text));
                };
                bytes.push(b);
                rest = rest.get(2..).unwrap_or("");
            }
            let total = 10 + bytes.len();
            bytes.resize(bytes.len() + (8 - total % 8) % 8, 0);
            out.push(Action::Nicira(NxAction::Note(bytes)));
        }
        "exit" => out.push(Action::Nicira(NxAction::Exit)),
        "ct_clear" => out.push(Action::Nicira(NxAction::CtClear)),
        "pop_queue" => out.push(Action::Nicira(NxAction::PopQueue)),
        "conjunction" => {
            let v = value(it)?;
            let parsed = v.text.split_once(',').and_then(|(id, kn)| {
                let (kk, n) = kn.split_once('/')?;
                Some((
                    fields::parse_uint(id.trim())?,
                    fields::parse_uint(kk.trim())?,
                    fields::parse_uint(n.trim())?,
                ))
            });
            let Some((id, kk, n)) = parsed else {
                return err(v, "\"conjunction\" syntax is \"conjunction(id,i/n)\"");
            };
            if !(2..=64).contains(&n) || kk < 1 || kk > n || id > u128::from(u32::MAX) {
                return err(v, "conjunction: clause number must be between 1 and the number of clauses (2 to 64)");
            }
            out.push(Action::Nicira(NxAction::Conjunction {
                clause: fields::lo8(kk - 1),
                n_clauses: fields::lo8(n),
                id: u32::try_from(id).unwrap_or_default(),
            }));
        }
        "fin_timeout" => {
            // `fin_timeout()` and `fin_timeout` alone: both timeouts zero (as ovs-ofctl
            // reads them, and prints that action).
            let (mut idle, mut hard) = (0u16, 0u16);
            for sub in it.value.map(Items::new).into_iter().flatten() {
                let x = numt::<u16>(value(&sub)?)?;
                match sub.key.text {
                    "idle_timeout" => idle = x,
                    "hard_timeout" => hard = x,
                    _ => {
                        return err(
                            sub.key,
                            format!("invalid key '{}' in 'fin_timeout' argument", sub.key.text),
                        )
                    }
                }
            }
            if !state.prereq_ok(Prereq::Tcp) {
                return inconsistent(it);
            }
            out.push(Action::Nicira(NxAction::FinTimeout {
                fin_idle_timeout: idle,
                fin_hard_timeout: hard,
            }));
        }
        "unknown_action" => {
            // How `Action`'s `Display` prints an action type it does not know.
            let v = value(it)?;
            let parsed = v
                .text
                .strip_prefix("type=")
                .and_then(|r| r.split_once(",data="))
                .and_then(|(t, d)| {
                    let t = u16::try_from(fields::parse_uint(t)?).ok()?;
                    let bytes: Option<Vec<u8>> = (0..d.len() / 2)
                        .map(|i| d.get(2 * i..2 * i + 2).and_then(fields::hex_byte))
                        .collect();
                    Some((t, bytes?, d.len() % 2 == 0))
                });
            match parsed {
                Some((t, data, true)) if (4 + data.len()) % 8 == 0 && t != 0xffff => out.push(Action::Unknown {
                    type_: crate::action::ActionType(t),
                    data,
                }),
                _ => return err(v, "unknown_action(type=T,data=HEX): 4 + the data's length must be a multiple of 8"),
            }
        }
        "experimenter" => {
            let v = value(it)?;
            let Some((id, data)) = v.text.split_once(",data=") else {
                return err(v, "experimenter(ID,data=HEX)");
            };
            let Some(id) = fields::parse_uint(id).and_then(|x| u32::try_from(x).ok()) else {
                return err(v, "experimenter(ID,data=HEX): bad id");
            };
            let bytes: Option<Vec<u8>> = (0..data.len() / 2)
                .map(|i| data.get(2 * i..2 * i + 2).and_then(fields::hex_byte))
                .collect();
            match bytes {
                Some(b) if data.len() % 2 == 0 && b.len() % 8 == 0 => {
                    // The raw form of an action that prints by its name (and is parsed,
                    // with its checks, from that name) stays raw, so that it prints as written.
                    match experimenter_action(id, &b) {
                        Action::Nicira(nx) if nx.reads_back() => out.push(Action::Experimenter {
                            experimenter: id,
                            data: b,
                        }),
                        a => out.push(a),
                    }
                }
                _ => return err(v, "experimenter data must be hex, a multiple of 8 bytes"),
            }
        }
        "learn" => out.push(learn(it, state)?),
        "sample" => {
            let v = value(it)?;
            let (mut prob, mut set, mut dom, mut point, mut port_) = (None, 0, 0, 0, None);
            for sub in Items::new(v) {
                match sub.key.text {
                    "probability" => prob = Some(numt::<u16>(value(&sub)?)?),
                    "collector_set_id" => set = numt::<u32>(value(&sub)?)?,
                    "obs_domain_id" => dom = numt::<u32>(value(&sub)?)?,
                    "obs_point_id" => point = numt::<u32>(value(&sub)?)?,
                    "sampling_port" => {
                        let t = value(&sub)?;
                        port_ = Some(fields::lo16(u128::from(port(t)?)));
                    }
                    k => {
                        return err(
                            sub.key,
                            format!("sample({k}) is not supported by this parser"),
                        )
                    }
                }
            }
            match prob {
                None | Some(0) => {
                    return err(v, "non-zero \"probability\" must be specified on sample")
                }
                Some(probability) => out.push(Action::Nicira(match port_ {
                    None => NxAction::Sample {
                        probability,
                        collector_set_id: set,
                        obs_domain_id: dom,
                        obs_point_id: point,
                    },
                    Some(sampling_port) => NxAction::Sample2 {
                        probability,
                        collector_set_id: set,
                        obs_domain_id: dom,
                        obs_point_id: point,
                        sampling_port,
                    },
                })),
            }
        }
        "push" | "pop" => {
            // NXAST_STACK_PUSH / NXAST_STACK_POP of a subfield.
            let v = value(it)?;
            let (hdr, ofs, n, d) = subfield(v)?;
            if !state.prereq_ok(d.prereq) {
                return inconsistent(it);
            }
            let (start, field, end) = (ofs, OxmHeader(hdr), n);
            out.push(Action::Nicira(if k == "push" {
                NxAction::StackPush { start, field, end }
            } else {
                NxAction::StackPop { start, field, end }
            }));
        }
        "bundle" | "bundle_load" | "multipath" | "enqueue" | "output_trunc" | "nat"
        | "check_pkt_larger" | "encap" | "decap" | "dec_nsh_ttl" | "delete_field" => {
            return err(
                it.key,
                format!("action {k} is not supported by this parser"),
            );
        }
        _ => {
            if it.value.is_none() {
                if let Some(p) = fields::parse_port(k) {
                    check_output(it.key, p)?;
                    out.push(output(p));
                    return Ok(());
                }
            }
            return err(it.key, format!("unknown action {k}"));
        }
    }
    Ok(())
}

/// `set_field:0xVALUE[/0xMASK]->oxm(class=C,field=F[,experimenter=E])`, as
/// [`Action`]'s `Display` prints a set-field of a TLV it has no name for.
fn raw_set_field(
    it: &Item<'_>,
    val: Tok<'_>,
    dst: Tok<'_>,
    rest: &str,
    out: &mut Vec<Action>,
) -> R<()> {
    let inner = rest.strip_suffix(')').unwrap_or("");
    let (mut class, mut field, mut exp) = (None, None, None);
    for kv in inner.split(',') {
        match kv.split_once('=') {
            Some(("class", v)) => class = fields::parse_uint(v).and_then(|x| u16::try_from(x).ok()),
            Some(("field", v)) => {
                field = fields::parse_uint(v)
                    .and_then(|x| u8::try_from(x).ok())
                    .filter(|f| *f < 128)
            }
            Some(("experimenter", v)) => {
                exp = fields::parse_uint(v).and_then(|x| u32::try_from(x).ok())
            }
            _ => return err(dst, "oxm(class=C,field=F[,experimenter=E])"),
        }
    }
    let (Some(class), Some(field)) = (class, field) else {
        return err(dst, "oxm(class=C,field=F[,experimenter=E])");
    };
    let hex = |s: &str| -> Option<Vec<u8>> {
        let h = s.strip_prefix("0x")?;
        if h.len() % 2 != 0 {
            return None;
        }
        (0..h.len() / 2)
            .map(|i| h.get(2 * i..2 * i + 2).and_then(fields::hex_byte))
            .collect()
    };
    let (vs, ms) = match val.text.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (val.text, None),
    };
    let (Some(v), m) = (hex(vs), ms.map(hex)) else {
        return err(val, "expected 0x and hex digits");
    };
    let mut payload = Vec::new();
    if let Some(e) = exp {
        payload.extend_from_slice(&e.to_be_bytes());
    }
    payload.extend_from_slice(&v);
    let hasmask = match m {
        Some(Some(m)) => {
            payload.extend_from_slice(&m);
            true
        }
        Some(None) => return err(val, "expected 0x and hex digits"),
        None => false,
    };
    if payload.len() > 255 {
        return err(it.all, "TLV longer than 255 bytes");
    }
    out.push(Action::SetField(OxmField::from_parts(
        class, field, hasmask, &payload,
    )));
    Ok(())
}

/// `learn(...)`: NXAST_LEARN. Keywords `table` (1 when absent, as OVS), `priority`,
/// `idle_timeout`, `hard_timeout`, `fin_idle_timeout`, `fin_hard_timeout`, `cookie`,
/// `send_flow_rem`, `delete_learned`; specs `FIELD[..]` (match the packet's own bits),
/// `FIELD[..]=SRC[..]`, `FIELD[..]=VALUE`, `load:SRC[..]->DST[..]`, `load:VALUE->DST[..]`,
/// `output:SRC[..]`.
fn learn(it: &Item<'_>, state: &Flow) -> R<Action> {
    use crate::nicira::{NxFlowSpec, NxLearn, NxLearnDst, NxLearnSrc};
    use alloc::boxed::Box;
    let mut l = NxLearn {
        priority: crate::flow_mod::OFP_DEFAULT_PRIORITY,
        table_id: 1,
        ..NxLearn::default()
    };
    // The immediate of a spec: `n_bits` rounded up to 16-bit words, right-aligned.
    let immediate = |v: u128, n_bits: u16| -> Vec<u8> {
        let len = usize::from(n_bits).div_ceil(16) * 2;
        let b = v.to_be_bytes();
        b.get(16usize.saturating_sub(len)..).unwrap_or(&[]).to_vec()
    };
    let fits = |v: u128, n: u16| n >= 128 || v >> n == 0;
    // The learned flow's match as its specs build it (OVS's `learn_check`): the fields a spec
    // matches or loads need their prerequisites there, set by an earlier spec's immediate
    // value (`eth_type=0x800` before `ip_src=...`); the flow's own match does not count.
    let mut learned = Flow::default();
    let lacks = |t: Tok<'_>| {
        err(
            t,
            format!(
                "{}: the learned flow does not meet this field's prerequisites (OFPBAC_MATCH_INCONSISTENT)",
                t.text
            ),
        )
    };
    let Some(args) = it.value else {
        return Ok(Action::Nicira(NxAction::Learn(Box::new(l))));
    };
    for sub in Items::new(args) {
        let k = sub.key.text;
        match k {
            "table" => {
                let t = value(&sub)?;
                l.table_id = match numt::<u8>(t)? {
                    255 => return err(t, "255: invalid table"),
                    x => x,
                };
            }
            "priority" => l.priority = int(&sub)?,
            "idle_timeout" => l.idle_timeout = int(&sub)?,
            "hard_timeout" => l.hard_timeout = int(&sub)?,
            "fin_idle_timeout" => l.fin_idle_timeout = int(&sub)?,
            "fin_hard_timeout" => l.fin_hard_timeout = int(&sub)?,
            "cookie" => l.cookie = int(&sub)?,
            "send_flow_rem" => l.flags |= 1,
            "delete_learned" => l.flags |= 2,
            "limit" | "result_dst" => {
                return err(
                    sub.key,
                    format!("learn({k}) (NXAST_LEARN2) is not supported by this parser"),
                )
            }
            "load" => {
                let v = value(&sub)?;
                let Some(arrow) = v.text.find("->") else {
                    return err(v, format!("load: missing `->' in `{}'", v.text));
                };
                let (src_t, dst_t) = (v.sub(0, arrow), v.sub(arrow + 2, v.text.len()));
                let (dh, dofs, dn, ddef) = subfield(dst_t)?;
                if !learned.prereq_ok(ddef.prereq) {
                    return lacks(dst_t);
                }
                let src = match fields::parse_uint(src_t.text) {
                    Some(x) if fits(x, dn) => NxLearnSrc::Immediate(immediate(x, dn)),
                    Some(_) => {
                        return err(
                            src_t,
                            format!("{}: value does not fit into {dn} bits", src_t.text),
                        )
                    }
                    None => {
                        let (sh, sofs, sn, sd) = subfield(src_t)?;
                        if !state.prereq_ok(sd.prereq) {
                            return inconsistent(it);
                        }
                        if sn != dn {
                            return err(v, format!("{}: source is {sn} bits wide but destination is {dn} bits wide", v.text));
                        }
                        NxLearnSrc::Field {
                            field: OxmHeader(sh),
                            ofs: sofs,
                        }
                    }
                };
                l.specs.push(NxFlowSpec {
                    n_bits: dn,
                    src,
                    dst: NxLearnDst::Load {
                        field: OxmHeader(dh),
                        ofs: dofs,
                    },
                });
            }
            "output" => {
                let (sh, sofs, sn, sd) = subfield(value(&sub)?)?;
                if !state.prereq_ok(sd.prereq) {
                    return inconsistent(it);
                }
                l.specs.push(NxFlowSpec {
                    n_bits: sn,
                    src: NxLearnSrc::Field {
                        field: OxmHeader(sh),
                        ofs: sofs,
                    },
                    dst: NxLearnDst::Output,
                });
            }
            _ => {
                let dst_t = sub.key;
                let (dh, dofs, dn, def) = subfield(if sub.paren { sub.all } else { dst_t })
                    .or_else(|_| err(sub.all, format!("{k}: unknown learn argument or field")))?;
                if !learned.prereq_ok(def.prereq) {
                    return lacks(sub.all);
                }
                let src = match sub.value {
                    None | Some(Tok { text: "", .. }) => {
                        if !state.prereq_ok(def.prereq) {
                            return inconsistent(it);
                        }
                        NxLearnSrc::Field {
                            field: OxmHeader(dh),
                            ofs: dofs,
                        }
                    }
                    Some(v) => match subfield(v) {
                        Ok((sh, sofs, sn, sd)) => {
                            if !state.prereq_ok(sd.prereq) {
                                return inconsistent(it);
                            }
                            if sn != dn {
                                return err(
                                    sub.all,
                                    format!(
                                        "{}: bit widths of {k} ({dn}) and {} ({sn}) differ",
                                        sub.all.text, v.text
                                    ),
                                );
                            }
                            NxLearnSrc::Field {
                                field: OxmHeader(sh),
                                ofs: sofs,
                            }
                        }
                        Err(_) => {
                            let x = if dofs == 0 && !dst_t.text.contains('[') {
                                fields::parse_value(def, v.text)
                                    .ok()
                                    .filter(|(_, m)| *m != 0)
                                    .map(|(x, _)| x)
                            } else {
                                fields::parse_uint(v.text)
                            };
                            match x {
                                Some(x) if fits(x, dn) => {
                                    if dofs == 0 && dn < 128 {
                                        learned.set(def, x, (1u128 << dn) - 1);
                                    }
                                    NxLearnSrc::Immediate(immediate(x, dn))
                                }
                                _ => return err(v, format!("{}: cannot be parsed as a subfield or an immediate value of {dn} bits", v.text)),
                            }
                        }
                    },
                };
                l.specs.push(NxFlowSpec {
                    n_bits: dn,
                    src,
                    dst: NxLearnDst::Match {
                        field: OxmHeader(dh),
                        ofs: dofs,
                    },
                });
            }
        }
    }
    Ok(Action::Nicira(NxAction::Learn(Box::new(l))))
}

/// `controller`, `controller:MAX_LEN`, `controller(key=value,...)`: OFPAT_OUTPUT to the
/// controller when that says everything, NXAST_CONTROLLER otherwise (as OVS encodes it).
fn controller(it: &Item<'_>) -> R<Action> {
    let (mut max_len, mut reason, mut id) = (OFPCML_NO_BUFFER, 1u8, 0u16);
    let (mut userdata, mut pause): (Option<Vec<u8>>, bool) = (None, false);
    // A `userdata` key, even with an empty value, makes OVS write the Nicira action.
    let mut userdata_key = false;
    if let Some(v) = it.value {
        if !it.paren {
            max_len = numt::<u16>(v)?;
        } else {
            for sub in Items::new(v) {
                match sub.key.text {
                    "max_len" => max_len = numt::<u16>(value(&sub)?)?,
                    "id" => id = numt::<u16>(value(&sub)?)?,
                    "reason" => {
                        let r = value(&sub)?;
                        reason = match r.text {
                            "no_match" => 0,
                            "action" => 1,
                            "invalid_ttl" => 2,
                            "action_set" => 3,
                            "group" => 4,
                            "packet_out" => 5,
                            _ => return err(r, format!("unknown reason \"{}\"", r.text)),
                        };
                    }
                    "userdata" => {
                        // An empty value (or none) is no userdata, as ovs-ofctl reads it.
                        userdata_key = true;
                        let Some(u) = sub.value.filter(|u| !u.text.is_empty()) else {
                            userdata = None;
                            continue;
                        };
                        let mut bytes = Vec::new();
                        for part in u.text.split('.') {
                            let mut rest = part;
                            while !rest.is_empty() {
                                let Some(b) = rest.get(..2).and_then(fields::hex_byte) else {
                                    return err(
                                        u,
                                        format!("{}: bad hex digit in userdata", u.text),
                                    );
                                };
                                bytes.push(b);
                                rest = rest.get(2..).unwrap_or("");
                            }
                        }
                        userdata = Some(bytes).filter(|b| !b.is_empty());
                    }
                    "pause" => pause = true,
                    "meter_id" => {
                        return err(
                            sub.key,
                            format!(
                                "controller({}) is not supported by this parser",
                                sub.key.text
                            ),
                        )
                    }
                    _ => {
                        return err(
                            sub.key,
                            format!("unknown key \"{}\" parsing controller action", sub.key.text),
                        )
                    }
                }
            }
        }
    }
    if userdata.is_some() || pause {
        // NXAST_CONTROLLER2, with the properties that differ from their defaults.
        Ok(Action::Nicira(NxAction::Controller2(
            crate::nicira::NxController2 {
                max_len: (max_len != OFPCML_NO_BUFFER).then_some(max_len),
                controller_id: (id != 0).then_some(id),
                reason: (reason != 1).then_some(reason),
                userdata,
                pause,
            },
        )))
    } else if reason == 1 && id == 0 && !userdata_key {
        Ok(Action::Output {
            port: PortNo::CONTROLLER,
            max_len,
        })
    } else {
        Ok(Action::Nicira(NxAction::Controller {
            max_len,
            controller_id: id,
            reason,
        }))
    }
}

/// `ct(commit,force,zone=N|zone=FIELD[..],table=N,alg=ftp|tftp,exec(...))`.
#[inline(never)]
fn ct(it: &Item<'_>, state: &Flow, nest: Nest) -> R<Action> {
    let mut c = NxCt {
        flags: 0,
        zone_src: 0,
        zone_ofs_nbits: 0,
        recirc_table: 255,
        alg: 0,
        actions: Vec::new(),
    };
    if let Some(v) = it.value {
        for sub in Items::new(v) {
            match sub.key.text {
                "commit" => c.flags |= 1,
                "force" => c.flags |= 2,
                "table" => {
                    let t = value(&sub)?;
                    c.recirc_table = match numt::<u8>(t)? {
                        255 => return err(t, "255: invalid table"),
                        x => x,
                    };
                }
                "zone" => {
                    let z = value(&sub)?;
                    if z.text.contains('[') {
                        let (hdr, ofs, n, _) = subfield(z)?;
                        if n != 16 {
                            return err(z, "zone field must be 16 bits wide");
                        }
                        c.zone_src = hdr;
                        c.zone_ofs_nbits = (ofs << 6) | (n - 1);
                    } else {
                        c.zone_ofs_nbits = numt::<u16>(z)?;
                    }
                }
                "alg" => {
                    let a = value(&sub)?;
                    c.alg = match a.text {
                        "ftp" => 21,
                        "tftp" => 69,
                        _ => numt::<u16>(a)?,
                    };
                }
                "exec" => {
                    let a = sub.value.unwrap_or(sub.key.sub(0, 0));
                    let mut st = state.clone();
                    let acts = parse_action_list(a, &mut st, nest.inner(&sub, true)?)?;
                    for (act, item) in acts.iter().zip(Items::new(a)) {
                        let ok = matches!(act, Action::SetField(f) if ct_settable(f))
                            || matches!(act, Action::Nicira(NxAction::RegLoad { dst, .. }) if is_ct_field(dst.0));
                        if !ok {
                            return err(
                                item.all,
                                "ct: only set_field of ct_mark or ct_label is allowed in exec",
                            );
                        }
                    }
                    c.actions.extend(acts);
                }
                "nat" => c.actions.push(nat(&sub, state)?),
                _ => {
                    return err(
                        sub.key,
                        format!("invalid argument to \"ct\" action: `{}'", sub.key.text),
                    )
                }
            }
        }
    }
    let alg_prereq = match c.alg {
        21 => Prereq::Tcp,
        69 => Prereq::Udp,
        _ => Prereq::None,
    };
    if !state.prereq_ok(alg_prereq) {
        return err(
            it.all,
            "actions are invalid with specified match (OFPBAC_MATCH_INCONSISTENT)",
        );
    }
    if c.flags & 2 != 0 && c.flags & 1 == 0 {
        return err(it.all, "\"force\" flag requires \"commit\" flag.");
    }
    Ok(Action::Nicira(NxAction::Ct(c)))
}

/// `nat` or `nat(src|dst=ADDR[-ADDR][:PORT[-PORT]][,persistent][,random|hash])` inside `ct`:
/// NXAST_NAT.
fn nat(it: &Item<'_>, state: &Flow) -> R<Action> {
    use crate::nicira::NxNat;
    use alloc::boxed::Box;
    use core::net::IpAddr;
    let mut n = NxNat::default();
    let Some(v) = it.value.filter(|v| !v.text.is_empty()) else {
        return Ok(Action::Nicira(NxAction::Nat(Box::new(n))));
    };
    // The range's family, when a range is given.
    let mut v6 = None;
    for sub in Items::new(v) {
        match sub.key.text {
            "src" | "dst" => {
                if n.flags & 3 != 0 {
                    return err(sub.all, "May only specify one of \"src\" or \"dst\".");
                }
                n.flags |= if sub.key.text == "src" { 1 } else { 2 };
                // `nat(src)`: the direction alone, no range.
                let Some(r) = sub.value.filter(|v| !v.text.is_empty()) else {
                    continue;
                };
                let bad = || super::Err0 {
                    at: r.at,
                    token: alloc::string::ToString::to_string(r.text),
                    message: format!("{}: invalid nat address or port range", r.text),
                };
                let range = nat_range(r.text).ok_or_else(bad)?;
                v6 = Some(range.v6);
                // A zero address or port is left out of the action, as Open vSwitch encodes
                // it (its `range_present` bits mark only non-zero values).
                match (range.lo, range.hi) {
                    (IpAddr::V4(lo), hi) => {
                        n.range_ipv4_min = Some(lo).filter(|a| !a.is_unspecified());
                        n.range_ipv4_max = hi
                            .and_then(|h| match h {
                                IpAddr::V4(h) => Some(h),
                                IpAddr::V6(_) => None,
                            })
                            .filter(|a| !a.is_unspecified());
                    }
                    (IpAddr::V6(lo), hi) => {
                        n.range_ipv6_min = Some(lo).filter(|a| !a.is_unspecified());
                        n.range_ipv6_max = hi
                            .and_then(|h| match h {
                                IpAddr::V6(h) => Some(h),
                                IpAddr::V4(_) => None,
                            })
                            .filter(|a| !a.is_unspecified());
                    }
                }
                n.range_proto_min = range.ports.map(|p| p.0).filter(|p| *p != 0);
                n.range_proto_max = range.ports.and_then(|p| p.1).filter(|p| *p != 0);
            }
            "persistent" => n.flags |= 4,
            "hash" => n.flags |= 8,
            "random" => n.flags |= 16,
            k => return err(sub.key, format!("invalid key \"{k}\" in \"nat\" argument")),
        }
    }
    if n.flags & 24 == 24 {
        return err(v, "Both \"hash\" and \"random\" are specified.");
    }
    if n.flags & 3 == 0 && n.flags != 0 {
        return err(v, "Flags allowed only with \"src\" or \"dst\".");
    }
    // Without a range any IP flow will do (as for `ct` itself).
    let want = match v6 {
        Some(true) => Prereq::Ipv6,
        Some(false) => Prereq::Ipv4,
        None => Prereq::IpAny,
    };
    if n.flags & 3 != 0 && !state.prereq_ok(want) {
        return err(
            it.all,
            "actions are invalid with specified match (OFPBAC_MATCH_INCONSISTENT)",
        );
    }
    Ok(Action::Nicira(NxAction::Nat(Box::new(n))))
}

/// A NAT range as written after `src=`/`dst=`: its family, first and last address, and
/// ports.
struct NatRange {
    v6: bool,
    lo: core::net::IpAddr,
    hi: Option<core::net::IpAddr>,
    ports: Option<(u16, Option<u16>)>,
}

/// `ADDR[-ADDR][:PORT[-PORT]]` as ovs-ofctl reads it: an IPv4 address, or an IPv6 one in
/// brackets or without (then it runs over every hex digit, `:` and `.`, so that no port can
/// follow it), each end of a range written either way; a range's end not before its start.
/// `None` for anything else, trailing text included.
fn nat_range(s: &str) -> Option<NatRange> {
    use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    /// The longest prefix of `s` whose characters `keep` takes, and the rest.
    fn span(s: &str, keep: impl Fn(char) -> bool) -> (&str, &str) {
        s.split_at(s.find(|c: char| !keep(c)).unwrap_or(s.len()))
    }
    fn v4(s: &str) -> Option<(Ipv4Addr, &str)> {
        let (a, rest) = span(s, |c| c.is_ascii_digit() || c == '.');
        Some((a.parse().ok()?, rest))
    }
    fn v6(s: &str) -> Option<(Ipv6Addr, &str)> {
        let (a, rest) = match s.strip_prefix('[') {
            Some(b) => {
                let (a, rest) = b.split_once(']')?;
                (a, rest)
            }
            None => span(s, |c| c.is_ascii_hexdigit() || c == ':' || c == '.'),
        };
        Some((a.parse().ok()?, rest))
    }
    let (is_v6, lo, hi, rest) = if let Some((lo, rest)) = v4(s) {
        let (hi, rest) = match rest.strip_prefix('-') {
            Some(r) => {
                let (hi, rest) = v4(r)?;
                (Some(IpAddr::V4(hi)), rest)
            }
            None => (None, rest),
        };
        (false, IpAddr::V4(lo), hi, rest)
    } else {
        let (lo, rest) = v6(s)?;
        let (hi, rest) = match rest.strip_prefix('-') {
            Some(r) => {
                let (hi, rest) = v6(r)?;
                (Some(IpAddr::V6(hi)), rest)
            }
            None => (None, rest),
        };
        (true, IpAddr::V6(lo), hi, rest)
    };
    if hi.is_some_and(|h| h < lo) {
        return None;
    }
    let ports = match rest.strip_prefix(':') {
        None if rest.is_empty() => None,
        None => return None,
        Some(p) => {
            let (a, b) = match p.split_once('-') {
                Some((a, b)) => (a, Some(b)),
                None => (p, None),
            };
            let a = a.parse::<u16>().ok()?;
            let b = match b {
                Some(b) => Some(b.parse::<u16>().ok().filter(|b| *b >= a)?),
                None => None,
            };
            Some((a, b))
        }
    };
    Some(NatRange {
        v6: is_v6,
        lo,
        hi,
        ports,
    })
}

/// The NXM header of `ct_mark` or `ct_label` (`NXM_NX_CT_MARK`, `NXM_NX_CT_LABEL`).
fn is_ct_field(hdr: u32) -> bool {
    matches!(hdr >> 9, 0x0000_00eb | 0x0000_00ec)
}

/// `ct_mark` and `ct_label`, the fields a `ct` action's `exec` may set.
fn ct_settable(f: &OxmField) -> bool {
    matches!(f, OxmField::Raw(r) if r.class == crate::oxm::OFPXMC_NXM_1 && matches!(r.field, 107 | 108))
}
