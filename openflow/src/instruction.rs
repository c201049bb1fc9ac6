//! Instructions (`ofp_instruction_*`): what a flow entry does when a packet matches it.
//!
//! Every instruction starts with a 4-byte header (`type`, `len`); `len` covers the whole
//! instruction, is at least 8 and a multiple of 8, and is exactly the structure's size for the
//! fixed-size instructions (goto-table, write-metadata, clear-actions, meter).
//!
//! - [`Instruction`] is the owned form (public fields, constructors, [`Encode`](crate::Encode));
//! - [`InstructionsView`] walks an encoded instruction list without allocating and yields
//!   [`InstructionView`]s, whose action lists are [`ActionsView`] views;
//!   [`InstructionsView::visit`] reads the same list through an [`InstructionVisitor`] (one
//!   method per instruction kind, each instruction dispatched once), for code that reads
//!   every instruction and action;
//! - `Display` is ovs-ofctl's dump-flows notation, what follows `actions=`:
//!   apply-actions print as their bare action list (`output:2`), then `clear_actions`,
//!   `write_actions(output:1)`, `write_metadata:0x1/0xff`, `goto_table:1`, `meter:1`;
//!   [`DisplayInstructions`] joins a list with `,` and prints `drop` when nothing is printed.

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;

use crate::action::{Action, ActionList, ActionsView};
use crate::codec::{fmt_list, len16, put_zeros, ElementLen, OwnedList, Reader, WireWrite};
use crate::codec_error::{Error, Result};
use crate::types::{MeterId, TableId};
use crate::wire::{InstructionWriteMetadata, TlvHead8};
use sdnwire_inline::InlineVec;
use sdnwire_packet::wire::FixedLayout;

/// Length of the instruction header (`type`, `len`).
pub const INSTRUCTION_HEADER_LEN: usize = 4;
/// Minimum length of any instruction.
pub const INSTRUCTION_MIN_LEN: usize = 8;
/// Length of `ofp_instruction_write_metadata`.
pub const INSTRUCTION_WRITE_METADATA_LEN: usize = 24;
/// Length of `ofp_instruction_actions` without its actions.
pub const INSTRUCTION_ACTIONS_LEN: usize = 8;

crate::types::open_enum! {
    /// An instruction type (`ofp_instruction_type`). Open: any value parses.
    pub struct InstructionType(u16) as "OFPIT_", unknown "{:#06x}" {
        /// OFPIT_GOTO_TABLE: continue in another table.
        GOTO_TABLE = 1,
        /// OFPIT_WRITE_METADATA: write masked metadata.
        WRITE_METADATA = 2,
        /// OFPIT_WRITE_ACTIONS: merge actions into the action set.
        WRITE_ACTIONS = 3,
        /// OFPIT_APPLY_ACTIONS: apply actions now.
        APPLY_ACTIONS = 4,
        /// OFPIT_CLEAR_ACTIONS: clear the action set.
        CLEAR_ACTIONS = 5,
        /// OFPIT_METER: apply a meter.
        METER = 6,
        /// OFPIT_EXPERIMENTER.
        EXPERIMENTER = 0xffff,
    }
}

impl InstructionType {
    /// The exact encoded length of instructions of this type, for the fixed-size ones.
    pub const fn fixed_len(self) -> Option<usize> {
        match self.0 {
            1 | 5 | 6 => Some(INSTRUCTION_MIN_LEN),
            2 => Some(INSTRUCTION_WRITE_METADATA_LEN),
            _ => None,
        }
    }

    const fn what(self) -> &'static str {
        match self.0 {
            1 => "ofp_instruction_goto_table",
            2 => "ofp_instruction_write_metadata",
            3..=5 => "ofp_instruction_actions",
            6 => "ofp_instruction_meter",
            0xffff => "ofp_instruction_experimenter",
            _ => "ofp_instruction",
        }
    }
}

/// The instructions of a flow ([`FlowMod`](crate::flow_mod::FlowMod),
/// [`FlowStats`](crate::multipart::FlowStats)): up to 2 inline (apply-actions and goto-table,
/// say: no allocation), on the heap past that. It dereferences to `[Instruction]` (read it as
/// a slice), compares with slices, arrays and vectors, and builds from `vec![..]`, arrays and
/// iterators (`.into()`, `collect()`); it converts into `Vec<Instruction>`. The inline room
/// has a size cost: on 64-bit targets an `InstructionList` takes 424 bytes (an
/// [`Instruction`], with its inline [`ActionList`], 208), a `FlowMod` 632 and a `FlowStats`
/// 640, where a `Vec` takes 24 (1000 decoded flow-stats entries take 640 kB).
pub type InstructionList = InlineVec<Instruction, 2>;

/// One OpenFlow 1.3 instruction, owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Instruction {
    /// OFPIT_GOTO_TABLE: continue matching in `table_id`.
    GotoTable(TableId),
    /// OFPIT_WRITE_METADATA: `metadata = (metadata & !mask) | (value & mask)`.
    WriteMetadata {
        /// Value to write.
        metadata: u64,
        /// Bits to write.
        mask: u64,
    },
    /// OFPIT_WRITE_ACTIONS: merge the actions into the action set.
    WriteActions(ActionList),
    /// OFPIT_APPLY_ACTIONS: apply the actions immediately.
    ApplyActions(ActionList),
    /// OFPIT_CLEAR_ACTIONS: clear the action set.
    ClearActions,
    /// OFPIT_METER: apply a meter.
    Meter(MeterId),
    /// OFPIT_EXPERIMENTER, kept raw: `data` follows the experimenter id, so that
    /// `8 + data.len()` is the instruction's length (a multiple of 8).
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// Everything after the experimenter id.
        data: Vec<u8>,
    },
    /// An instruction type this codec does not know, kept raw: `data` is everything after the
    /// 4-byte header.
    Unknown {
        /// The instruction type.
        type_: InstructionType,
        /// Everything after `type` and `len`.
        data: Vec<u8>,
    },
}

impl Instruction {
    /// Apply `actions` now (a `vec![..]`, an array or an [`ActionList`]).
    pub fn apply_actions(actions: impl Into<ActionList>) -> Instruction {
        Instruction::ApplyActions(actions.into())
    }

    /// Write `actions` into the action set (a `vec![..]`, an array or an [`ActionList`]).
    pub fn write_actions(actions: impl Into<ActionList>) -> Instruction {
        Instruction::WriteActions(actions.into())
    }

    /// Clear the action set.
    pub fn clear_actions() -> Instruction {
        Instruction::ClearActions
    }

    /// Continue in table `table_id`.
    pub fn goto_table(table_id: impl Into<TableId>) -> Instruction {
        Instruction::GotoTable(table_id.into())
    }

    /// Write the `mask` bits of `metadata`.
    pub fn write_metadata(metadata: u64, mask: u64) -> Instruction {
        Instruction::WriteMetadata { metadata, mask }
    }

    /// Apply meter `meter_id`.
    pub fn meter(meter_id: impl Into<MeterId>) -> Instruction {
        Instruction::Meter(meter_id.into())
    }

    /// The instruction's type number.
    pub fn instruction_type(&self) -> InstructionType {
        match self {
            Instruction::GotoTable(_) => InstructionType::GOTO_TABLE,
            Instruction::WriteMetadata { .. } => InstructionType::WRITE_METADATA,
            Instruction::WriteActions(_) => InstructionType::WRITE_ACTIONS,
            Instruction::ApplyActions(_) => InstructionType::APPLY_ACTIONS,
            Instruction::ClearActions => InstructionType::CLEAR_ACTIONS,
            Instruction::Meter(_) => InstructionType::METER,
            Instruction::Experimenter { .. } => InstructionType::EXPERIMENTER,
            Instruction::Unknown { type_, .. } => *type_,
        }
    }

    /// Parses one instruction, checking its length field and those of its actions.
    pub fn parse(r: &mut Reader<'_>) -> Result<Instruction> {
        InstructionView::parse(r)?.decode()
    }

    /// Displays a list in ovs-ofctl notation (what follows `actions=`; `drop` when nothing
    /// is printed).
    pub fn display_list(instructions: &[Instruction]) -> DisplayInstructions<'_> {
        DisplayInstructions(instructions)
    }
}

crate::codec::owned_list_fns!(
    Instruction,
    InstructionsView,
    "an instruction",
    "instruction",
    InstructionList
);

crate::codec::impl_encode!(Instruction);

impl WireWrite for Instruction {
    fn encoded_len(&self) -> usize {
        match self {
            Instruction::GotoTable(_) | Instruction::ClearActions | Instruction::Meter(_) => {
                INSTRUCTION_MIN_LEN
            }
            Instruction::WriteMetadata { .. } => INSTRUCTION_WRITE_METADATA_LEN,
            Instruction::WriteActions(a) | Instruction::ApplyActions(a) => {
                INSTRUCTION_ACTIONS_LEN + Action::list_len(a)
            }
            Instruction::Experimenter { data, .. } => INSTRUCTION_MIN_LEN + data.len(),
            Instruction::Unknown { data, .. } => INSTRUCTION_HEADER_LEN + data.len(),
        }
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        let ty = self.instruction_type();
        let len = self.encoded_len();
        if matches!(self, Instruction::Unknown { .. }) && ty.name().is_some() {
            return Err(Error::Unencodable {
                what: "ofp_instruction",
                reason: "Instruction::Unknown with the type of a known instruction",
            });
        }
        if len % 8 != 0 {
            return Err(Error::Unencodable {
                what: ty.what(),
                reason: "instruction length is not a multiple of 8",
            });
        }
        let len = len16(ty.what(), len)?;
        out.put_u16(ty.0);
        out.put_u16(len);
        match self {
            Instruction::GotoTable(t) => {
                out.put_u8(t.0);
                put_zeros(out, 3);
            }
            Instruction::WriteMetadata { metadata, mask } => {
                put_zeros(out, 4);
                out.put_u64(*metadata);
                out.put_u64(*mask);
            }
            Instruction::WriteActions(a) | Instruction::ApplyActions(a) => {
                put_zeros(out, 4);
                Action::encode_list(a, out)?;
            }
            Instruction::ClearActions => put_zeros(out, 4),
            Instruction::Meter(m) => out.put_u32(m.0),
            Instruction::Experimenter { experimenter, data } => {
                out.put_u32(*experimenter);
                out.put_slice(data);
            }
            Instruction::Unknown { data, .. } => out.put_slice(data),
        }
        Ok(())
    }
}

/// One instruction borrowed from an encoded list; action lists are [`ActionsView`] views,
/// checked when iterated (or by [`InstructionView::validate`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum InstructionView<'a> {
    /// OFPIT_GOTO_TABLE.
    GotoTable(TableId),
    /// OFPIT_WRITE_METADATA.
    WriteMetadata {
        /// Value to write.
        metadata: u64,
        /// Bits to write.
        mask: u64,
    },
    /// OFPIT_WRITE_ACTIONS.
    WriteActions(ActionsView<'a>),
    /// OFPIT_APPLY_ACTIONS.
    ApplyActions(ActionsView<'a>),
    /// OFPIT_CLEAR_ACTIONS.
    ClearActions,
    /// OFPIT_METER.
    Meter(MeterId),
    /// OFPIT_EXPERIMENTER, borrowed.
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// Everything after the experimenter id.
        data: &'a [u8],
    },
    /// An unknown instruction type, borrowed.
    Unknown {
        /// The instruction type.
        type_: InstructionType,
        /// Everything after `type` and `len`.
        data: &'a [u8],
    },
}

impl<'a> InstructionView<'a> {
    /// Reads one instruction from `r`, checking its length field: at least 8, a multiple of
    /// 8, within `r`, and exactly the structure's size for fixed-size instructions. The
    /// actions of write/apply-actions are not walked here (see [`InstructionView::validate`]).
    #[inline]
    pub fn parse(r: &mut Reader<'a>) -> Result<InstructionView<'a>> {
        r.fast_or_general(InstructionView::parse_fast, InstructionView::parse_general)
    }

    /// Every instruction off the slice (`buf` starts at `base` in the message) with one
    /// bounds check: the instruction and its length (exact for the fixed-size ones, with zero
    /// padding; at least 8, a multiple of 8 and within `buf` for the others). `None` for every
    /// malformed instruction ([`InstructionView::parse_general`] then builds the exact error).
    /// The common ones are read inline, the rest by [`InstructionView::parse_fast_other`].
    #[inline(always)]
    fn parse_fast(buf: &'a [u8], base: usize) -> Option<(InstructionView<'a>, usize)> {
        let (h, _) = TlvHead8::ref_from_front(buf).ok()?;
        let len = usize::from(h.len.get());
        let b = h.body;
        let ty = h.type_.get();
        let i = match (ty, len) {
            (3 | 4, _) if len % 8 == 0 && b == [0; 4] => {
                let actions = ActionsView::new_unchecked(
                    buf.get(INSTRUCTION_ACTIONS_LEN..len)?,
                    base + INSTRUCTION_ACTIONS_LEN,
                );
                if ty == 3 {
                    InstructionView::WriteActions(actions)
                } else {
                    InstructionView::ApplyActions(actions)
                }
            }
            (1, 8) if b[1..] == [0; 3] => InstructionView::GotoTable(TableId(b[0])),
            (5, 8) if b == [0; 4] => InstructionView::ClearActions,
            (6, 8) => InstructionView::Meter(MeterId(u32::from_be_bytes(b))),
            _ => return InstructionView::parse_fast_other(buf),
        };
        Some((i, len))
    }

    /// The instructions [`InstructionView::parse_fast`] does not read inline (write-metadata,
    /// experimenter, unknown types), out of line so that they do not weigh on the common
    /// ones' code; `None` for a malformed one.
    #[inline(never)]
    fn parse_fast_other(buf: &'a [u8]) -> Option<(InstructionView<'a>, usize)> {
        let (h, _) = TlvHead8::ref_from_front(buf).ok()?;
        let len = usize::from(h.len.get());
        let b = h.body;
        let ty = h.type_.get();
        let i = match (ty, len) {
            (2, INSTRUCTION_WRITE_METADATA_LEN) if b == [0; 4] => {
                let (w, _) = InstructionWriteMetadata::ref_from_front(buf).ok()?;
                InstructionView::WriteMetadata {
                    metadata: w.metadata.get(),
                    mask: w.metadata_mask.get(),
                }
            }
            (0xffff, _) if len % 8 == 0 => InstructionView::Experimenter {
                experimenter: u32::from_be_bytes(b),
                // At least 8 (`get` refuses less), a multiple of 8, within `buf`.
                data: buf.get(INSTRUCTION_MIN_LEN..len)?,
            },
            (_, _)
                if len >= INSTRUCTION_MIN_LEN
                    && len % 8 == 0
                    && !matches!(ty, 3 | 4 | 0xffff)
                    && InstructionType(ty).fixed_len().is_none() =>
            {
                InstructionView::Unknown {
                    type_: InstructionType(ty),
                    data: buf.get(INSTRUCTION_HEADER_LEN..len)?,
                }
            }
            _ => return None,
        };
        Some((i, len))
    }

    /// Field by field through `r`, with an exact error for whatever is wrong.
    #[inline(never)]
    pub(crate) fn parse_general(r: &mut Reader<'a>) -> Result<InstructionView<'a>> {
        const INSTRUCTION: ElementLen = ElementLen {
            head: "ofp_instruction",
            min: INSTRUCTION_MIN_LEN,
            below_min: "below the 8-byte minimum of an instruction",
            past_end: "past the end of the instruction list",
        };
        let (ty, what, mut i) = INSTRUCTION.take(r, |ty| {
            let ty = InstructionType(ty);
            let fixed = ty.fixed_len().map(|fixed| {
                let why = if fixed == INSTRUCTION_WRITE_METADATA_LEN {
                    "OFPIT_WRITE_METADATA is exactly 24 bytes"
                } else {
                    "this instruction is exactly 8 bytes"
                };
                (fixed, why)
            });
            (ty.what(), fixed)
        })?;
        let ty = InstructionType(ty);
        let inst = match ty {
            InstructionType::GOTO_TABLE => {
                let t = TableId(i.u8("ofp_instruction_goto_table.table_id")?);
                i.pad(3, "ofp_instruction_goto_table.pad")?;
                InstructionView::GotoTable(t)
            }
            InstructionType::WRITE_METADATA => {
                i.pad(4, "ofp_instruction_write_metadata.pad")?;
                let metadata = i.u64("ofp_instruction_write_metadata.metadata")?;
                let mask = i.u64("ofp_instruction_write_metadata.metadata_mask")?;
                InstructionView::WriteMetadata { metadata, mask }
            }
            InstructionType::WRITE_ACTIONS | InstructionType::APPLY_ACTIONS => {
                i.pad(4, "ofp_instruction_actions.pad")?;
                let rest = i.sub(i.remaining(), "ofp_instruction_actions.actions")?;
                let actions = ActionsView::from_reader(rest);
                if ty == InstructionType::WRITE_ACTIONS {
                    InstructionView::WriteActions(actions)
                } else {
                    InstructionView::ApplyActions(actions)
                }
            }
            InstructionType::CLEAR_ACTIONS => {
                i.pad(4, "ofp_instruction_actions.pad")?;
                InstructionView::ClearActions
            }
            InstructionType::METER => {
                InstructionView::Meter(MeterId(i.u32("ofp_instruction_meter.meter_id")?))
            }
            InstructionType::EXPERIMENTER => InstructionView::Experimenter {
                experimenter: i.u32("ofp_instruction_experimenter.experimenter")?,
                data: i.rest(),
            },
            _ => InstructionView::Unknown {
                type_: ty,
                data: i.rest(),
            },
        };
        i.finish(what)?;
        Ok(inst)
    }

    /// The instruction's type number.
    pub fn instruction_type(&self) -> InstructionType {
        match self {
            InstructionView::GotoTable(_) => InstructionType::GOTO_TABLE,
            InstructionView::WriteMetadata { .. } => InstructionType::WRITE_METADATA,
            InstructionView::WriteActions(_) => InstructionType::WRITE_ACTIONS,
            InstructionView::ApplyActions(_) => InstructionType::APPLY_ACTIONS,
            InstructionView::ClearActions => InstructionType::CLEAR_ACTIONS,
            InstructionView::Meter(_) => InstructionType::METER,
            InstructionView::Experimenter { .. } => InstructionType::EXPERIMENTER,
            InstructionView::Unknown { type_, .. } => *type_,
        }
    }

    /// The action list of write-actions and apply-actions.
    pub fn actions(&self) -> Option<ActionsView<'a>> {
        match self {
            InstructionView::WriteActions(a) | InstructionView::ApplyActions(a) => Some(a.clone()),
            _ => None,
        }
    }

    /// Checks the nested actions' lengths without allocating.
    pub fn validate(&self) -> Result<()> {
        match self.actions() {
            Some(a) => a.validate(),
            None => Ok(()),
        }
    }

    /// [`decode`](Self::decode) with the nested actions' errors split as
    /// [`ActionsView::decode_split`] splits them: the outer error is a malformed action, the
    /// inner one an action that does not decode.
    fn decode_split(&self) -> Result<Result<Instruction>> {
        let mut list = ActionList::new();
        Ok(match self {
            InstructionView::WriteActions(a) => a
                .decode_split_into(&mut list)?
                .map(|()| Instruction::WriteActions(list)),
            InstructionView::ApplyActions(a) => a
                .decode_split_into(&mut list)?
                .map(|()| Instruction::ApplyActions(list)),
            other => other.decode(),
        })
    }

    /// The owned instruction.
    pub fn decode(&self) -> Result<Instruction> {
        Ok(match self {
            InstructionView::GotoTable(t) => Instruction::GotoTable(*t),
            InstructionView::WriteMetadata { metadata, mask } => Instruction::WriteMetadata {
                metadata: *metadata,
                mask: *mask,
            },
            InstructionView::WriteActions(a) => {
                let mut list = ActionList::new();
                a.decode_into(&mut list)?;
                Instruction::WriteActions(list)
            }
            InstructionView::ApplyActions(a) => {
                let mut list = ActionList::new();
                a.decode_into(&mut list)?;
                Instruction::ApplyActions(list)
            }
            InstructionView::ClearActions => Instruction::ClearActions,
            InstructionView::Meter(m) => Instruction::Meter(*m),
            InstructionView::Experimenter { experimenter, data } => Instruction::Experimenter {
                experimenter: *experimenter,
                data: data.to_vec(),
            },
            InstructionView::Unknown { type_, data } => Instruction::Unknown {
                type_: *type_,
                data: data.to_vec(),
            },
        })
    }
}

impl Instruction {
    /// A whole, well-formed instruction list decoded in one pass into `out` (empty), each
    /// instruction straight off the bytes where it stays (inline up to the list's room, then
    /// room made once for the instructions left), the action list of a write- or apply-actions
    /// placed in its instruction first and filled there ([`Action::decode_list_fast`]).
    /// Accepts only what [`InstructionView::parse_fast`] accepts, with the same checks and
    /// [`InstructionView::decode`]'s values; `None` for anything else, which
    /// [`InstructionsView::decode`] hands to the general walk for the exact error.
    #[inline(always)]
    pub(crate) fn decode_list_fast<L: OwnedList<Instruction>>(
        buf: &[u8],
        out: &mut L,
    ) -> Option<()> {
        out.start_list(buf);
        let mut rest = buf;
        while let Ok((h, _)) = TlvHead8::ref_from_front(rest) {
            let len = usize::from(h.len.get());
            let b = h.body;
            out.room_for_next(rest);
            match (h.type_.get(), len) {
                (4, _) if len % 8 == 0 && b == [0; 4] => {
                    let acts = rest.get(INSTRUCTION_ACTIONS_LEN..len)?;
                    out.push_fast(Instruction::ApplyActions(ActionList::new()));
                    let Some(Instruction::ApplyActions(list)) = out.last_mut() else {
                        return None;
                    };
                    Action::decode_list_fast(acts, list)?;
                }
                (3, _) if len % 8 == 0 && b == [0; 4] => {
                    let acts = rest.get(INSTRUCTION_ACTIONS_LEN..len)?;
                    out.push_fast(Instruction::WriteActions(ActionList::new()));
                    let Some(Instruction::WriteActions(list)) = out.last_mut() else {
                        return None;
                    };
                    Action::decode_list_fast(acts, list)?;
                }
                (1, 8) if b[1..] == [0; 3] => out.push_fast(Instruction::GotoTable(TableId(b[0]))),
                (5, 8) if b == [0; 4] => out.push_fast(Instruction::ClearActions),
                (6, 8) => out.push_fast(Instruction::Meter(MeterId(u32::from_be_bytes(b)))),
                _ => {
                    let (i, used) = InstructionView::parse_fast_other(rest)?;
                    out.push_fast(i.decode().ok()?);
                    rest = rest.get(used..)?;
                    continue;
                }
            }
            // Every arm above took `len` bytes, at least 8, within `rest`.
            rest = rest.get(len..)?;
        }
        rest.is_empty().then_some(())
    }
}

crate::codec::reader_list! {
    /// A borrowed, encoded instruction list, walked without allocating. Iteration yields each
    /// instruction after checking its length; after the first error it yields nothing more.
    pub struct InstructionsView<'a> of InstructionView<'a> => Instruction {
        parse_fast: InstructionView::parse_fast,
        parse_general: InstructionView::parse_general,
        from_reader: pub,
        one_pass: true,
        list: InstructionList,
        decode_fast: Instruction::decode_list_fast,
        validate("Checks every instruction and every nested action without allocating."): |i| {
            i.validate()
        },
        decode("Decodes every instruction."): |i| i.decode_split(),
    }
}

mod visit;
pub use visit::InstructionVisitor;

/// `%#x` as C prints it: `0` for zero, `0x..` otherwise.
struct CHex(u64);

impl fmt::Display for CHex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            f.write_str("0")
        } else {
            write!(f, "{:#x}", self.0)
        }
    }
}

fn fmt_hex(f: &mut fmt::Formatter<'_>, data: &[u8]) -> fmt::Result {
    data.iter().try_for_each(|b| write!(f, "{b:02x}"))
}

fn fmt_inner(
    f: &mut fmt::Formatter<'_>,
    i: &InstructionView<'_>,
    owned: Option<&[Action]>,
) -> fmt::Result {
    match i {
        InstructionView::GotoTable(t) => write!(f, "goto_table:{}", t.0),
        InstructionView::WriteMetadata { metadata, mask } => {
            write!(f, "write_metadata:{}", CHex(*metadata))?;
            if *mask != u64::MAX {
                write!(f, "/{}", CHex(*mask))?;
            }
            Ok(())
        }
        InstructionView::WriteActions(a) => {
            f.write_str("write_actions(")?;
            match owned {
                Some([]) => f.write_str("drop")?,
                Some(o) => fmt_list(f, o.iter().map(Ok::<_, Error>), ",")?,
                None if a.is_empty() => f.write_str("drop")?,
                None => fmt_list(f, a.clone(), ",")?,
            }
            f.write_str(")")
        }
        InstructionView::ApplyActions(a) => match owned {
            Some(o) => fmt_list(f, o.iter().map(Ok::<_, Error>), ","),
            None => fmt_list(f, a.clone(), ","),
        },
        InstructionView::ClearActions => f.write_str("clear_actions"),
        InstructionView::Meter(m) => write!(f, "meter:{}", m.0),
        InstructionView::Experimenter { experimenter, data } => {
            write!(f, "experimenter_instruction({experimenter:#x},data=")?;
            fmt_hex(f, data)?;
            f.write_str(")")
        }
        InstructionView::Unknown { type_, data } => {
            write!(f, "unknown_instruction(type={:#x},data=", type_.0)?;
            fmt_hex(f, data)?;
            f.write_str(")")
        }
    }
}

impl fmt::Display for InstructionView<'_> {
    /// ovs-ofctl's notation: an apply-actions instruction prints its bare action list (an
    /// empty one prints nothing), the others `write_actions(..)` (`write_actions(drop)` when empty), `clear_actions`,
    /// `goto_table:N`, `write_metadata:V[/M]`, `meter:N`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_inner(f, self, None)
    }
}

impl fmt::Display for Instruction {
    /// ovs-ofctl's notation; see [`InstructionView`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let empty = ActionsView::new_unchecked(&[], 0);
        let (r, owned) = match self {
            Instruction::GotoTable(t) => (InstructionView::GotoTable(*t), None),
            Instruction::WriteMetadata { metadata, mask } => (
                InstructionView::WriteMetadata {
                    metadata: *metadata,
                    mask: *mask,
                },
                None,
            ),
            Instruction::WriteActions(a) => (InstructionView::WriteActions(empty), Some(&a[..])),
            Instruction::ApplyActions(a) => (InstructionView::ApplyActions(empty), Some(&a[..])),
            Instruction::ClearActions => (InstructionView::ClearActions, None),
            Instruction::Meter(m) => (InstructionView::Meter(*m), None),
            Instruction::Experimenter { experimenter, data } => (
                InstructionView::Experimenter {
                    experimenter: *experimenter,
                    data,
                },
                None,
            ),
            Instruction::Unknown { type_, data } => (
                InstructionView::Unknown {
                    type_: *type_,
                    data,
                },
                None,
            ),
        };
        fmt_inner(f, &r, owned)
    }
}

/// Displays an instruction list as ovs-ofctl does after `actions=`: the instructions joined
/// with `,` (an empty apply-actions adds nothing), `drop` when nothing is printed.
#[derive(Debug, Clone, Copy)]
pub struct DisplayInstructions<'a>(pub &'a [Instruction]);

impl fmt::Display for DisplayInstructions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for i in self.0 {
            if matches!(i, Instruction::ApplyActions(a) if a.is_empty()) {
                continue;
            }
            if !first {
                f.write_str(",")?;
            }
            first = false;
            i.fmt(f)?;
        }
        if first {
            f.write_str("drop")?;
        }
        Ok(())
    }
}

impl fmt::Display for InstructionsView<'_> {
    /// The list in ovs-ofctl notation, as [`DisplayInstructions`] prints it; an instruction
    /// that fails its checks prints as `<error: ...>` and ends the list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for i in self.clone() {
            if let Ok(InstructionView::ApplyActions(a)) = &i {
                if a.is_empty() {
                    continue;
                }
            }
            if !first {
                f.write_str(",")?;
            }
            first = false;
            match i {
                Ok(i) => i.fmt(f)?,
                Err(e) => write!(f, "<error: {e}>")?,
            }
        }
        if first {
            f.write_str("drop")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use alloc::string::ToString;
    use alloc::vec;
    use alloc::vec::Vec;

    use proptest::prelude::*;

    use super::*;
    use crate::action::test_support::*;
    use crate::types::{GroupId, PortNo};

    fn hex(s: &str) -> Vec<u8> {
        let s: alloc::string::String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn parse_all(b: &[u8]) -> Result<InstructionList> {
        Instruction::parse_list(&mut Reader::new(b, 0))
    }

    fn encode_all(i: &[Instruction]) -> Vec<u8> {
        let mut v = Vec::new();
        Instruction::encode_list(i, &mut v).unwrap();
        assert_eq!(v.len(), Instruction::list_len(i));
        v
    }

    fn fixtures() -> Vec<(Instruction, &'static str, &'static str)> {
        vec![
            (
                Instruction::goto_table(TableId(1)),
                "0001 0008 01000000",
                "goto_table:1",
            ),
            (
                Instruction::write_metadata(1, 0xff),
                "0002 0018 00000000 0000000000000001 00000000000000ff",
                "write_metadata:0x1/0xff",
            ),
            (
                Instruction::write_metadata(0xabc, u64::MAX),
                "0002 0018 00000000 0000000000000abc ffffffffffffffff",
                "write_metadata:0xabc",
            ),
            (
                Instruction::write_metadata(0, 0xf0),
                "0002 0018 00000000 0000000000000000 00000000000000f0",
                "write_metadata:0/0xf0",
            ),
            (
                Instruction::write_actions(vec![Action::output(1)]),
                "0003 0018 00000000 0000 0010 00000001 ffff 000000000000",
                "write_actions(output:1)",
            ),
            (
                Instruction::write_actions(vec![]),
                "0003 0008 00000000",
                "write_actions(drop)",
            ),
            (
                Instruction::apply_actions(vec![Action::output(2), Action::pop_vlan()]),
                "0004 0020 00000000 0000 0010 00000002 ffff 000000000000 0012 0008 00000000",
                "output:2,pop_vlan",
            ),
            (Instruction::apply_actions(vec![]), "0004 0008 00000000", ""),
            (
                Instruction::clear_actions(),
                "0005 0008 00000000",
                "clear_actions",
            ),
            (
                Instruction::meter(MeterId(1)),
                "0006 0008 00000001",
                "meter:1",
            ),
            (
                Instruction::Experimenter {
                    experimenter: 0x2320,
                    data: hex("0102030405060708"),
                },
                "ffff 0010 00002320 0102030405060708",
                "experimenter_instruction(0x2320,data=0102030405060708)",
            ),
            (
                Instruction::Unknown {
                    type_: InstructionType(7),
                    data: hex("00000001"),
                },
                "0007 0008 00000001",
                "unknown_instruction(type=0x7,data=00000001)",
            ),
        ]
    }

    #[test]
    fn fixtures_encode_parse_display() {
        for (inst, bytes, text) in fixtures() {
            let bytes = hex(bytes);
            assert_eq!(inst.to_vec().unwrap(), bytes, "{inst:?}");
            let mut r = Reader::new(&bytes, 0);
            assert_eq!(Instruction::parse(&mut r).unwrap(), inst);
            assert!(r.is_empty());
            assert_eq!(inst.to_string(), text);
            let view = InstructionView::parse(&mut Reader::new(&bytes, 0)).unwrap();
            assert_eq!(view.to_string(), text);
            assert_eq!(view.instruction_type(), inst.instruction_type());
            assert_eq!(view.decode().unwrap(), inst);
        }
    }

    #[test]
    fn list_display() {
        let list = vec![
            Instruction::meter(MeterId(1)),
            Instruction::apply_actions(vec![Action::output(2)]),
            Instruction::clear_actions(),
            Instruction::write_actions(vec![Action::output(1), Action::group(GroupId(3))]),
            Instruction::write_metadata(1, 0xff),
            Instruction::goto_table(TableId(1)),
        ];
        let text = "meter:1,output:2,clear_actions,write_actions(output:1,group:3),\
                    write_metadata:0x1/0xff,goto_table:1";
        assert_eq!(Instruction::display_list(&list).to_string(), text);
        let b = encode_all(&list);
        assert_eq!(InstructionsView::new_unchecked(&b, 0).to_string(), text);
        assert_eq!(Instruction::display_list(&[]).to_string(), "drop");
        let empty_apply = [Instruction::apply_actions(vec![])];
        assert_eq!(Instruction::display_list(&empty_apply).to_string(), "drop");
        let b = encode_all(&empty_apply);
        assert_eq!(InstructionsView::new_unchecked(&b, 0).to_string(), "drop");
        let two = [
            Instruction::apply_actions(vec![]),
            Instruction::goto_table(TableId(2)),
        ];
        assert_eq!(Instruction::display_list(&two).to_string(), "goto_table:2");
    }

    #[test]
    fn views_allocate_nothing_to_walk() {
        let list = vec![
            Instruction::apply_actions(vec![Action::output(2), Action::output(3)]),
            Instruction::goto_table(TableId(4)),
        ];
        let b = encode_all(&list);
        let mut ports = [PortNo(0); 2];
        let mut n = 0;
        let mut table = None;
        for i in InstructionsView::new_unchecked(&b, 100) {
            match i.unwrap() {
                InstructionView::ApplyActions(actions) => {
                    for a in actions {
                        if let crate::action::ActionView::Output { port, .. } = a.unwrap() {
                            ports[n] = port;
                            n += 1;
                        }
                    }
                }
                InstructionView::GotoTable(t) => table = Some(t),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(ports, [PortNo(2), PortNo(3)]);
        assert_eq!(table, Some(TableId(4)));
        let view = InstructionsView::new_unchecked(&b, 100);
        assert_eq!(view.decode().unwrap(), list);
        let first = view.clone().next().unwrap().unwrap();
        assert_eq!(first.actions().unwrap().as_bytes(), &b[8..40]);
        assert!(InstructionView::GotoTable(TableId(0)).actions().is_none());
    }

    /// ovs-ofctl decodes our FLOW_MODs' instructions and prints what we print.
    #[test]
    fn ofctl_agrees() {
        let lists: Vec<Vec<Instruction>> = vec![
            vec![Instruction::apply_actions(vec![Action::output(2)])],
            vec![Instruction::apply_actions(vec![])],
            vec![],
            vec![
                Instruction::meter(MeterId(1)),
                Instruction::apply_actions(vec![Action::set_queue(4), Action::output(2)]),
                Instruction::clear_actions(),
                Instruction::write_actions(vec![Action::output(1), Action::group(GroupId(7))]),
                Instruction::write_metadata(1, 0xff),
                Instruction::goto_table(TableId(1)),
            ],
            vec![
                Instruction::write_metadata(0xabc, u64::MAX),
                Instruction::goto_table(TableId(254)),
            ],
            vec![Instruction::write_metadata(0, 0xf0)],
            vec![Instruction::write_actions(vec![])],
            vec![Instruction::clear_actions()],
            vec![
                Instruction::meter(MeterId(5)),
                Instruction::apply_actions(vec![]),
                Instruction::goto_table(TableId(3)),
            ],
        ];
        for list in lists {
            let m = flow_mod(&encode_all(&list));
            let Some(printed) = ofp_print(&m) else {
                return;
            };
            assert!(
                printed.starts_with("OFPT_FLOW_MOD (OF1.3)") && !printed.contains("error"),
                "ovs-ofctl refused {list:?}:\n{printed}"
            );
            let ofctl = field_after(&printed, "actions=");
            assert_eq!(
                Instruction::display_list(&list).to_string(),
                ofctl,
                "{list:?}"
            );
        }
    }

    /// os-ken's FLOW_MODs: instructions as the JSON says, exact round trip.
    #[test]
    fn os_ken_flow_mods() {
        let mut names = corpus_names("ovs-ofctl-of13-");
        names.extend(corpus_names("libofproto-OFP13-flow_mod"));
        names.extend(
            ["4-2", "4-3", "4-46", "4-60"].map(|n| alloc::format!("{n}-ofp_flow_mod.packet")),
        );
        let mut seen = 0;
        for name in names {
            let Some((m, json)) = corpus(&name) else {
                return;
            };
            if m[1] != 14 {
                continue;
            }
            let (off, bytes) = flow_mod_instructions(&m);
            let list = Instruction::parse_list(&mut Reader::new(bytes, off)).unwrap();
            assert_eq!(encode_all(&list), bytes, "{name}");
            let jl = json["OFPFlowMod"]["instructions"].as_array().unwrap();
            assert_eq!(list.len(), jl.len(), "{name}");
            for (i, j) in list.iter().zip(jl) {
                let (jname, b) = j.as_object().unwrap().iter().next().unwrap();
                assert_eq!(b["type"], i.instruction_type().0, "{name}");
                assert_eq!(b["len"], i.encoded_len(), "{name}");
                match (jname.as_str(), i) {
                    ("OFPInstructionGotoTable", Instruction::GotoTable(t)) => {
                        assert_eq!(b["table_id"], t.0);
                    }
                    ("OFPInstructionMeter", Instruction::Meter(m)) => {
                        assert_eq!(b["meter_id"], m.0);
                    }
                    (
                        "OFPInstructionWriteMetadata",
                        Instruction::WriteMetadata { metadata, mask },
                    ) => {
                        assert_eq!(b["metadata"], *metadata);
                        assert_eq!(b["metadata_mask"], *mask);
                    }
                    ("OFPInstructionActions", Instruction::ApplyActions(a))
                    | ("OFPInstructionActions", Instruction::WriteActions(a)) => {
                        let ja = b["actions"].as_array().unwrap();
                        assert_eq!(a.len(), ja.len());
                        for (a, j) in a.iter().zip(ja) {
                            check_action_json(a, j);
                        }
                    }
                    ("OFPInstructionActions", Instruction::ClearActions) => {}
                    (n, i) => panic!("{name}: os-ken's {n} decoded as {i:?}"),
                }
                seen += 1;
            }
        }
        assert!(seen > 20, "only {seen} instructions checked");
    }

    fn err(b: &str) -> Error {
        parse_all(&hex(b)).unwrap_err()
    }

    #[test]
    fn bad_lengths() {
        assert!(matches!(err("0001 00"), Error::Truncated { offset: 0, .. }));
        assert!(matches!(
            err("0001 0004 01000000"),
            Error::BadLength {
                offset: 2,
                value: 4,
                ..
            }
        ));
        assert!(matches!(
            err("0004 000c 00000000 00000000"),
            Error::BadLength {
                offset: 2,
                value: 12,
                ..
            }
        ));
        assert!(matches!(
            err("0005 0008 00000000 0004 0010 00000000"),
            Error::BadLength {
                offset: 10,
                value: 16,
                ..
            }
        ));
        for (ty, len) in [(1, 16), (2, 16), (2, 32), (5, 16), (6, 16)] {
            let mut b = hex("0000 0000");
            b[1] = ty;
            b[3] = len;
            b.resize(usize::from(len), 0);
            assert!(
                matches!(
                    parse_all(&b).unwrap_err(),
                    Error::BadLength { offset: 2, .. }
                ),
                "type {ty} len {len}"
            );
        }
        // A bad action inside apply-actions: reported at its own offset.
        let e = err("0004 0010 00000000 0012 0010 00000000");
        assert!(
            matches!(
                e,
                Error::BadLength {
                    offset: 10,
                    value: 16,
                    ..
                }
            ),
            "{e}"
        );
        // The instruction list walks fine; the action list reports the error.
        let b = hex("0004 0010 00000000 0012 0010 00000000");
        let i = InstructionsView::new_unchecked(&b, 0)
            .next()
            .unwrap()
            .unwrap();
        assert!(i.validate().is_err());
        assert!(InstructionsView::new_unchecked(&b, 0).validate().is_err());
        assert!(i.to_string().contains("<error:"));
    }

    #[test]
    fn bad_padding() {
        assert!(matches!(
            err("0001 0008 01000001"),
            Error::BadValue { offset: 7, .. }
        ));
        assert!(matches!(
            err("0002 0018 00000100 0000000000000001 00000000000000ff"),
            Error::BadValue { offset: 6, .. }
        ));
        assert!(matches!(
            err("0004 0008 01000000"),
            Error::BadValue { offset: 4, .. }
        ));
        assert!(matches!(
            err("0005 0008 00000001"),
            Error::BadValue { offset: 7, .. }
        ));
    }

    #[test]
    fn unencodable() {
        let i = Instruction::Unknown {
            type_: InstructionType::METER,
            data: vec![0; 4],
        };
        assert!(matches!(i.to_vec(), Err(Error::Unencodable { .. })));
        let i = Instruction::Experimenter {
            experimenter: 1,
            data: vec![1],
        };
        assert!(matches!(i.to_vec(), Err(Error::Unencodable { .. })));
        let i = Instruction::apply_actions(vec![Action::experimenter(1, vec![0; 65520])]);
        assert!(matches!(i.to_vec(), Err(Error::Unencodable { .. })));
        let i = Instruction::apply_actions(vec![Action::experimenter(1, vec![1])]);
        assert!(matches!(i.to_vec(), Err(Error::Unencodable { .. })));
    }

    #[test]
    fn names() {
        assert_eq!(InstructionType::METER.to_string(), "OFPIT_METER");
        assert_eq!(InstructionType(9).to_string(), "OFPIT_UNKNOWN(0x0009)");
        assert_eq!(
            alloc::format!("{:?}", InstructionType::GOTO_TABLE),
            "InstructionType(OFPIT_GOTO_TABLE)"
        );
    }

    fn arb_instruction() -> impl Strategy<Value = Instruction> {
        let actions = || proptest::collection::vec(arb_action(), 0..4);
        let data8 = || {
            (0usize..3, proptest::collection::vec(any::<u8>(), 16))
                .prop_map(|(n, b)| b[..8 * n].to_vec())
        };
        prop_oneof![
            any::<u8>().prop_map(|t| Instruction::GotoTable(TableId(t))),
            (any::<u64>(), any::<u64>())
                .prop_map(|(metadata, mask)| Instruction::WriteMetadata { metadata, mask }),
            actions().prop_map(Instruction::write_actions),
            actions().prop_map(Instruction::apply_actions),
            Just(Instruction::ClearActions),
            any::<u32>().prop_map(|m| Instruction::Meter(MeterId(m))),
            (any::<u32>(), data8())
                .prop_map(|(experimenter, data)| Instruction::Experimenter { experimenter, data }),
            (
                any::<u16>().prop_filter("unknown", |t| InstructionType(*t).name().is_none()),
                data8()
            )
                .prop_map(|(t, mut data)| {
                    data.extend_from_slice(&[9, 9, 9, 9]);
                    Instruction::Unknown {
                        type_: InstructionType(t),
                        data,
                    }
                }),
        ]
    }

    /// Byte strings shaped like instruction lists.
    fn arb_list_bytes() -> impl Strategy<Value = Vec<u8>> {
        let one = (
            prop_oneof![(0u16..8), Just(0xffffu16), any::<u16>()],
            0usize..4,
            proptest::collection::vec(prop_oneof![3 => Just(0u8), 1 => any::<u8>()], 36),
            prop_oneof![4 => Just(None), 1 => (0u16..40).prop_map(Some)],
        )
            .prop_map(|(ty, n, mut body, badlen)| {
                let len = match InstructionType(ty).fixed_len() {
                    Some(l) => l,
                    None => 8 + 8 * n,
                };
                if ty == 3 || ty == 4 {
                    // An action list of pop_vlan actions.
                    for k in 0..n {
                        body[4 + 8 * k..12 + 8 * k].copy_from_slice(&[0, 18, 0, 8, 0, 0, 0, 0]);
                    }
                }
                let len = badlen.map_or(len, usize::from);
                let mut v = Vec::new();
                v.extend_from_slice(&ty.to_be_bytes());
                v.extend_from_slice(&u16::try_from(len).unwrap().to_be_bytes());
                v.extend_from_slice(&body[..len.saturating_sub(4).min(36)]);
                v
            });
        proptest::collection::vec(one, 0..5).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn any_bytes_round_trip(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(list) = parse_all(&b) {
                prop_assert_eq!(encode_all(&list), b);
            }
        }

        #[test]
        fn shaped_bytes_round_trip(b in arb_list_bytes()) {
            let view = InstructionsView::new_unchecked(&b, 0);
            if let Ok(list) = parse_all(&b) {
                prop_assert!(view.validate().is_ok());
                prop_assert_eq!(encode_all(&list), b);
            } else {
                prop_assert!(view.validate().is_err());
            }
        }

        #[test]
        fn values_round_trip(list in proptest::collection::vec(arb_instruction(), 0..5)) {
            let b = encode_all(&list);
            prop_assert_eq!(parse_all(&b).unwrap(), list.clone());
            prop_assert_eq!(
                InstructionsView::new_unchecked(&b, 0).to_string(),
                Instruction::display_list(&list).to_string()
            );
        }
    }
}
