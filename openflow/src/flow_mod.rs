//! OFPT_FLOW_MOD (`ofp_flow_mod`): adds, modifies and deletes flow entries.
//!
//! The body is 40 fixed bytes (cookie, cookie mask, table, command, timeouts, priority,
//! buffer id, out port, out group, flags, 2 bytes of zero padding), then an `ofp_match`
//! (padded to a multiple of 8), then the instructions up to the end of the message.
//!
//! - [`FlowMod`] is the owned message with a builder:
//!   `FlowMod::add().priority(1).matching(Match::new().in_port(1)).apply_actions([Action::output(2)])`;
//! - [`FlowModView`] borrows a received message: fixed fields decoded, the match a
//!   [`MatchView`] and the instructions an [`InstructionsView`], nothing allocated;
//! - `Display` is the flow in `ovs-ofctl add-flows` notation (see [`FlowMod`]'s `Display`),
//!   and [`FlowMod::ofp_print`] the line `ovs-ofctl ofp-print` prints.
//!
//! Contract: [`FlowModView::parse`] checks the fixed part, its padding and the match
//! (header, length, TLV framing, padding); instruction lengths are checked when iterated or by
//! [`FlowModView::validate`]. [`FlowMod`]'s parse checks everything, and whatever it accepts
//! encodes back to identical bytes.

use core::fmt::{self, Write as _};
use core::ops::{BitAnd, BitOr, BitOrAssign, Not};

use bytes::BufMut;

use crate::action::Action;
use crate::codec::{pad8, round8};
use crate::codec::{put_zeros, MessageBody, Reader, WireWrite};
use crate::codec_error::Result;
use crate::header::MsgType;
use crate::instruction::{Instruction, InstructionList, InstructionType, InstructionsView};
use crate::oxm::{Match, MatchView, MATCH_HEADER_LEN, OFPMT_OXM};
use crate::types::{BufferId, GroupId, MeterId, PortNo, TableId};
use crate::wire::{oxm_framing_ok, pad_is_zero, FlowModHead};
use sdnwire_packet::wire::FixedLayout;

/// `$ty { .. }` with the fixed fields of `ofp_flow_mod` (cookie to flags) copied from `$from`,
/// then the fields in braces: the one list of those fields that [`FlowMod`], [`FlowModView`]
/// and `Head` share.
macro_rules! with_head {
    ($ty:ident, $from:expr, { $($field:ident $(: $value:expr)?),* $(,)? }) => {{
        let h = &$from;
        $ty {
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
            $($field $(: $value)?,)*
        }
    }};
}

/// Length of the FLOW_MOD body before the match (`ofp_flow_mod` minus the header and the
/// match).
pub const FLOW_MOD_FIXED_LEN: usize = 40;

/// `OFP_DEFAULT_PRIORITY`: the priority of a flow that does not say (0x8000).
pub const OFP_DEFAULT_PRIORITY: u16 = 0x8000;

/// `OFP_FLOW_PERMANENT`: a timeout of 0, which never expires.
pub const OFP_FLOW_PERMANENT: u16 = 0;

crate::types::open_enum! {
    /// A flow mod command (`ofp_flow_mod_command`). Open: any value parses.
    pub struct FlowModCommand(u8) as "OFPFC_" {
        /// OFPFC_ADD: a new flow.
        ADD = 0,
        /// OFPFC_MODIFY: modify all matching flows.
        MODIFY = 1,
        /// OFPFC_MODIFY_STRICT: modify the flow with exactly this match and priority.
        MODIFY_STRICT = 2,
        /// OFPFC_DELETE: delete all matching flows.
        DELETE = 3,
        /// OFPFC_DELETE_STRICT: delete the flow with exactly this match and priority.
        DELETE_STRICT = 4,
    }
    /// The keyword that starts a line of `ovs-ofctl add-flows` for this command (`add`,
    /// `modify`, `modify_strict`, `delete`, `delete_strict`), if known.
    ofctl_name {
        0 => "add",
        1 => "modify",
        2 => "modify_strict",
        3 => "delete",
        4 => "delete_strict",
    }
}

impl FlowModCommand {
    /// True for DELETE and DELETE_STRICT.
    pub const fn is_delete(self) -> bool {
        matches!(self.0, 3 | 4)
    }

    /// `ovs-ofctl ofp-print`'s name (`ADD`, `MOD`, `MOD_STRICT`, `DEL`, `DEL_STRICT`).
    const fn ofp_print_name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "ADD",
            1 => "MOD",
            2 => "MOD_STRICT",
            3 => "DEL",
            4 => "DEL_STRICT",
            _ => return None,
        })
    }
}

/// Flow mod flags (`ofp_flow_mod_flags`), a bit set. Open: unknown bits are kept.
///
/// Combine with `|`: `FlowModFlags::SEND_FLOW_REM | FlowModFlags::CHECK_OVERLAP`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct FlowModFlags(pub u16);

/// Known flags: bit, spec name, ovs-ofctl keyword.
const FLAG_NAMES: [(u16, &str, &str); 5] = [
    (1, "SEND_FLOW_REM", "send_flow_rem"),
    (2, "CHECK_OVERLAP", "check_overlap"),
    (4, "RESET_COUNTS", "reset_counts"),
    (8, "NO_PKT_COUNTS", "no_packet_counts"),
    (16, "NO_BYT_COUNTS", "no_byte_counts"),
];

impl FlowModFlags {
    /// No flag.
    pub const EMPTY: FlowModFlags = FlowModFlags(0);
    /// OFPFF_SEND_FLOW_REM: send a FLOW_REMOVED when the flow expires or is deleted.
    pub const SEND_FLOW_REM: FlowModFlags = FlowModFlags(1 << 0);
    /// OFPFF_CHECK_OVERLAP: refuse the flow if it overlaps one of the same priority.
    pub const CHECK_OVERLAP: FlowModFlags = FlowModFlags(1 << 1);
    /// OFPFF_RESET_COUNTS: reset the flow's packet and byte counts.
    pub const RESET_COUNTS: FlowModFlags = FlowModFlags(1 << 2);
    /// OFPFF_NO_PKT_COUNTS: do not count packets.
    pub const NO_PKT_COUNTS: FlowModFlags = FlowModFlags(1 << 3);
    /// OFPFF_NO_BYT_COUNTS: do not count bytes.
    pub const NO_BYT_COUNTS: FlowModFlags = FlowModFlags(1 << 4);
    /// Every flag OpenFlow 1.3 defines.
    pub const ALL: FlowModFlags = FlowModFlags(0x1f);

    /// True when every bit of `other` is set.
    pub const fn contains(self, other: FlowModFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when no bit is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The bits OpenFlow 1.3 does not define.
    pub const fn unknown(self) -> FlowModFlags {
        FlowModFlags(self.0 & !Self::ALL.0)
    }

    /// The spec's names of the known bits that are set (without `OFPFF_`).
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        FLAG_NAMES
            .into_iter()
            .filter(move |(b, _, _)| self.0 & b != 0)
            .map(|(_, n, _)| n)
    }

    /// ovs-ofctl's keywords of the known bits that are set (`send_flow_rem`,
    /// `check_overlap`, `reset_counts`, `no_packet_counts`, `no_byte_counts`).
    pub fn ofctl_names(self) -> impl Iterator<Item = &'static str> {
        FLAG_NAMES
            .into_iter()
            .filter(move |(b, _, _)| self.0 & b != 0)
            .map(|(_, _, n)| n)
    }
}

impl BitOr for FlowModFlags {
    type Output = FlowModFlags;
    fn bitor(self, rhs: FlowModFlags) -> FlowModFlags {
        FlowModFlags(self.0 | rhs.0)
    }
}

impl BitOrAssign for FlowModFlags {
    fn bitor_assign(&mut self, rhs: FlowModFlags) {
        self.0 |= rhs.0;
    }
}

impl BitAnd for FlowModFlags {
    type Output = FlowModFlags;
    fn bitand(self, rhs: FlowModFlags) -> FlowModFlags {
        FlowModFlags(self.0 & rhs.0)
    }
}

impl Not for FlowModFlags {
    type Output = FlowModFlags;
    fn not(self) -> FlowModFlags {
        FlowModFlags(!self.0)
    }
}

impl fmt::Display for FlowModFlags {
    /// The spec's names joined with `|` (`SEND_FLOW_REM|CHECK_OVERLAP`), unknown bits as
    /// hex, `0` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for n in self.names() {
            if !first {
                f.write_str("|")?;
            }
            first = false;
            f.write_str(n)?;
        }
        let unknown = self.unknown();
        if !unknown.is_empty() {
            if !first {
                f.write_str("|")?;
            }
            first = false;
            write!(f, "{:#x}", unknown.0)?;
        }
        if first {
            f.write_str("0")?;
        }
        Ok(())
    }
}

impl fmt::Debug for FlowModFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FlowModFlags({self})")
    }
}

/// The body of OFPT_FLOW_MOD, owned.
///
/// Build one with [`FlowMod::add`], [`FlowMod::modify`], [`FlowMod::modify_strict`],
/// [`FlowMod::delete`] or [`FlowMod::delete_strict`] and the builder methods:
///
/// ```
/// use sdnwire_openflow::action::Action;
/// use sdnwire_openflow::flow_mod::FlowMod;
/// use sdnwire_openflow::oxm::Match;
///
/// let fm = FlowMod::add()
///     .priority(1)
///     .matching(Match::new().in_port(1).eth_dst([0, 0, 0, 0, 0, 2]))
///     .apply_actions([Action::output(2)]);
/// assert_eq!(
///     fm.to_string(),
///     "table=0,priority=1,in_port=1,dl_dst=00:00:00:00:00:02 actions=output:2"
/// );
///
/// // Instructions land in execution order whatever the call order.
/// let fm = FlowMod::add()
///     .table(1)
///     .idle_timeout(30)
///     .goto_table(2)
///     .apply_actions([Action::output_to_controller(128)]);
/// assert_eq!(
///     fm.to_string(),
///     "table=1,idle_timeout=30,priority=32768 actions=CONTROLLER:128,goto_table:2"
/// );
///
/// // Delete every flow that outputs to port 3, in every table.
/// let del = FlowMod::delete().out_port(3);
/// assert_eq!(del.to_string(), "delete table=255,out_port=3");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FlowMod {
    /// Opaque controller-issued identifier (set on add; matched under `cookie_mask` by
    /// modify and delete).
    pub cookie: u64,
    /// Which bits of `cookie` modify and delete must match (0: the cookie is not matched).
    pub cookie_mask: u64,
    /// The table ([`TableId::ALL`] only for deletes).
    pub table_id: TableId,
    /// Add, modify, modify strict, delete, delete strict.
    pub command: FlowModCommand,
    /// Idle time before the flow expires, in seconds (0: never).
    pub idle_timeout: u16,
    /// Time before the flow expires, in seconds (0: never).
    pub hard_timeout: u16,
    /// Priority (higher wins).
    pub priority: u16,
    /// A buffered packet to apply the flow to, or [`BufferId::NO_BUFFER`].
    pub buffer_id: BufferId,
    /// For deletes: only flows that output to this port ([`PortNo::ANY`]: any).
    pub out_port: PortNo,
    /// For deletes: only flows that output to this group ([`GroupId::ANY`]: any).
    pub out_group: GroupId,
    /// Flags.
    pub flags: FlowModFlags,
    /// The match (os-ken's `match`).
    pub match_: Match,
    /// The instructions, in wire order (up to 2 inline: see [`InstructionList`]).
    pub instructions: InstructionList,
}

/// Where an instruction goes in the order a switch executes them (spec 5.9), which is also
/// the order ovs-ofctl prints them in.
fn rank(t: InstructionType) -> u8 {
    match t {
        InstructionType::METER => 0,
        InstructionType::APPLY_ACTIONS => 1,
        InstructionType::CLEAR_ACTIONS => 2,
        InstructionType::WRITE_ACTIONS => 3,
        InstructionType::WRITE_METADATA => 4,
        InstructionType::GOTO_TABLE => 5,
        _ => 6,
    }
}

impl FlowMod {
    /// A FLOW_MOD with `command` and the defaults controllers expect: cookie and mask 0,
    /// permanent, [`OFP_DEFAULT_PRIORITY`], no buffer, out port and out group ANY, no flags,
    /// empty match, no instructions; table 0, or [`TableId::ALL`] for the delete commands.
    pub fn new(command: FlowModCommand) -> FlowMod {
        FlowMod {
            cookie: 0,
            cookie_mask: 0,
            table_id: if command.is_delete() {
                TableId::ALL
            } else {
                TableId(0)
            },
            command,
            idle_timeout: OFP_FLOW_PERMANENT,
            hard_timeout: OFP_FLOW_PERMANENT,
            priority: OFP_DEFAULT_PRIORITY,
            buffer_id: BufferId::NO_BUFFER,
            out_port: PortNo::ANY,
            out_group: GroupId::ANY,
            flags: FlowModFlags::EMPTY,
            match_: Match::new(),
            instructions: InstructionList::new(),
        }
    }

    /// Adds a flow (table 0; see [`FlowMod::new`] for the other defaults).
    pub fn add() -> FlowMod {
        FlowMod::new(FlowModCommand::ADD)
    }

    /// Modifies the instructions of every flow the match covers.
    pub fn modify() -> FlowMod {
        FlowMod::new(FlowModCommand::MODIFY)
    }

    /// Modifies the instructions of the flow with exactly this match and priority.
    pub fn modify_strict() -> FlowMod {
        FlowMod::new(FlowModCommand::MODIFY_STRICT)
    }

    /// Deletes every flow the match covers, in every table unless [`FlowMod::table`] says.
    pub fn delete() -> FlowMod {
        FlowMod::new(FlowModCommand::DELETE)
    }

    /// Deletes the flow with exactly this match and priority, in every table unless
    /// [`FlowMod::table`] says.
    pub fn delete_strict() -> FlowMod {
        FlowMod::new(FlowModCommand::DELETE_STRICT)
    }

    /// Sets the priority.
    #[must_use]
    pub fn priority(mut self, priority: u16) -> Self {
        self.priority = priority;
        self
    }

    /// Sets the match.
    #[must_use]
    pub fn matching(mut self, match_: Match) -> Self {
        self.match_ = match_;
        self
    }

    /// Sets the table.
    #[must_use]
    pub fn table(mut self, table_id: impl Into<TableId>) -> Self {
        self.table_id = table_id.into();
        self
    }

    /// Sets the idle timeout in seconds.
    #[must_use]
    pub fn idle_timeout(mut self, seconds: u16) -> Self {
        self.idle_timeout = seconds;
        self
    }

    /// Sets the hard timeout in seconds.
    #[must_use]
    pub fn hard_timeout(mut self, seconds: u16) -> Self {
        self.hard_timeout = seconds;
        self
    }

    /// Sets the cookie.
    #[must_use]
    pub fn cookie(mut self, cookie: u64) -> Self {
        self.cookie = cookie;
        self
    }

    /// Sets the cookie mask (modify and delete match `cookie` under it).
    #[must_use]
    pub fn cookie_mask(mut self, mask: u64) -> Self {
        self.cookie_mask = mask;
        self
    }

    /// Sets the flags (replacing any set before).
    #[must_use]
    pub fn flags(mut self, flags: FlowModFlags) -> Self {
        self.flags = flags;
        self
    }

    /// Sets the buffered packet to apply the flow to.
    #[must_use]
    pub fn buffer_id(mut self, buffer_id: impl Into<BufferId>) -> Self {
        self.buffer_id = buffer_id.into();
        self
    }

    /// Sets the out port deletes filter on.
    #[must_use]
    pub fn out_port(mut self, port: impl Into<PortNo>) -> Self {
        self.out_port = port.into();
        self
    }

    /// Sets the out group deletes filter on.
    #[must_use]
    pub fn out_group(mut self, group: impl Into<GroupId>) -> Self {
        self.out_group = group.into();
        self
    }

    /// Inserts an instruction where the switch executes it: meter, apply-actions,
    /// clear-actions, write-actions, write-metadata, goto-table, then the others (after
    /// those already there of the same kind).
    #[must_use]
    pub fn instruction(mut self, instruction: Instruction) -> Self {
        let r = rank(instruction.instruction_type());
        let at = self
            .instructions
            .iter()
            .position(|i| rank(i.instruction_type()) > r)
            .unwrap_or(self.instructions.len());
        // `at` is at most the length, where `insert` cannot refuse.
        if let Err(instruction) = self.instructions.insert(at, instruction) {
            self.instructions.push(instruction);
        }
        self
    }

    /// Inserts instructions one by one as [`FlowMod::instruction`] does.
    #[must_use]
    pub fn instructions(self, instructions: impl IntoIterator<Item = Instruction>) -> Self {
        instructions
            .into_iter()
            .fold(self, |fm, i| fm.instruction(i))
    }

    /// Replaces the instruction of the same type as `instruction`, or inserts it.
    fn set_instruction(mut self, instruction: Instruction) -> Self {
        let t = instruction.instruction_type();
        match self
            .instructions
            .iter_mut()
            .find(|i| i.instruction_type() == t)
        {
            Some(slot) => {
                *slot = instruction;
                self
            }
            None => self.instruction(instruction),
        }
    }

    /// Adds actions to apply at once: appended to the apply-actions instruction if there is
    /// one, a new one otherwise.
    #[must_use]
    pub fn apply_actions(mut self, actions: impl IntoIterator<Item = Action>) -> Self {
        for i in &mut self.instructions {
            if let Instruction::ApplyActions(a) = i {
                a.extend(actions);
                return self;
            }
        }
        self.instruction(Instruction::ApplyActions(actions.into_iter().collect()))
    }

    /// Adds actions to write into the action set: appended to the write-actions instruction
    /// if there is one, a new one otherwise.
    #[must_use]
    pub fn write_actions(mut self, actions: impl IntoIterator<Item = Action>) -> Self {
        for i in &mut self.instructions {
            if let Instruction::WriteActions(a) = i {
                a.extend(actions);
                return self;
            }
        }
        self.instruction(Instruction::WriteActions(actions.into_iter().collect()))
    }

    /// Clears the action set (one clear-actions instruction).
    #[must_use]
    pub fn clear_actions(self) -> Self {
        self.set_instruction(Instruction::ClearActions)
    }

    /// Writes the `mask` bits of `metadata` (replacing an earlier write-metadata).
    #[must_use]
    pub fn write_metadata(self, metadata: u64, mask: u64) -> Self {
        self.set_instruction(Instruction::WriteMetadata { metadata, mask })
    }

    /// Continues in table `table_id` (replacing an earlier goto-table).
    #[must_use]
    pub fn goto_table(self, table_id: impl Into<TableId>) -> Self {
        self.set_instruction(Instruction::GotoTable(table_id.into()))
    }

    /// Applies meter `meter_id` (replacing an earlier meter instruction).
    #[must_use]
    pub fn meter(self, meter_id: impl Into<MeterId>) -> Self {
        self.set_instruction(Instruction::Meter(meter_id.into()))
    }

    /// The actions of the first apply-actions instruction, if there is one.
    pub fn applied_actions(&self) -> Option<&[Action]> {
        self.instructions.iter().find_map(|i| match i {
            Instruction::ApplyActions(a) => Some(&a[..]),
            _ => None,
        })
    }

    fn head(&self) -> Head {
        with_head!(Head, self, {})
    }

    /// The message as `ovs-ofctl ofp-print` prints it after `OFPT_FLOW_MOD (OF1.3)
    /// (xid=0x0): `: `ADD table:1 priority=1,in_port=1 cookie:0x5 idle:10 send_flow_rem
    /// actions=output:2` (see [`FlowModView::ofp_print`]).
    pub fn ofp_print(&self) -> impl fmt::Display + '_ {
        OfpPrint {
            head: self.head(),
            match_: &self.match_,
            instructions: Instruction::display_list(&self.instructions),
        }
    }
}

crate::codec::impl_encode!(FlowMod);

impl WireWrite for FlowMod {
    fn encoded_len(&self) -> usize {
        FLOW_MOD_FIXED_LEN + self.match_.encoded_len() + Instruction::list_len(&self.instructions)
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        self.head().write(out);
        self.match_.write(out)?;
        Instruction::encode_list(&self.instructions, out)
    }
}

impl MessageBody for FlowMod {
    const TYPE: MsgType = MsgType::FLOW_MOD;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        FlowModView::parse(r)?.decode()
    }
}

/// The fixed fields, shared by the owned and borrowed forms.
#[derive(Debug, Clone, Copy)]
struct Head {
    cookie: u64,
    cookie_mask: u64,
    table_id: TableId,
    command: FlowModCommand,
    idle_timeout: u16,
    hard_timeout: u16,
    priority: u16,
    buffer_id: BufferId,
    out_port: PortNo,
    out_group: GroupId,
    flags: FlowModFlags,
}

impl Head {
    fn parse(r: &mut Reader<'_>) -> Result<Head> {
        let cookie = r.u64("ofp_flow_mod.cookie")?;
        let cookie_mask = r.u64("ofp_flow_mod.cookie_mask")?;
        let table_id = TableId(r.u8("ofp_flow_mod.table_id")?);
        let command = FlowModCommand(r.u8("ofp_flow_mod.command")?);
        let idle_timeout = r.u16("ofp_flow_mod.idle_timeout")?;
        let hard_timeout = r.u16("ofp_flow_mod.hard_timeout")?;
        let priority = r.u16("ofp_flow_mod.priority")?;
        let buffer_id = BufferId(r.u32("ofp_flow_mod.buffer_id")?);
        let out_port = PortNo(r.u32("ofp_flow_mod.out_port")?);
        let out_group = GroupId(r.u32("ofp_flow_mod.out_group")?);
        let flags = FlowModFlags(r.u16("ofp_flow_mod.flags")?);
        r.pad(2, "ofp_flow_mod.pad")?;
        Ok(Head {
            cookie,
            cookie_mask,
            table_id,
            command,
            idle_timeout,
            hard_timeout,
            priority,
            buffer_id,
            out_port,
            out_group,
            flags,
        })
    }

    fn write<B: BufMut>(&self, out: &mut B) {
        out.put_u64(self.cookie);
        out.put_u64(self.cookie_mask);
        out.put_u8(self.table_id.0);
        out.put_u8(self.command.0);
        out.put_u16(self.idle_timeout);
        out.put_u16(self.hard_timeout);
        out.put_u16(self.priority);
        out.put_u32(self.buffer_id.0);
        out.put_u32(self.out_port.0);
        out.put_u32(self.out_group.0);
        out.put_u16(self.flags.0);
        put_zeros(out, 2);
    }
}

/// The body of OFPT_FLOW_MOD, borrowed: the fixed fields decoded, the match and the
/// instructions views into the message.
#[derive(Debug, Clone)]
pub struct FlowModView<'a> {
    /// Cookie.
    pub cookie: u64,
    /// Cookie mask.
    pub cookie_mask: u64,
    /// Table.
    pub table_id: TableId,
    /// Command.
    pub command: FlowModCommand,
    /// Idle timeout in seconds.
    pub idle_timeout: u16,
    /// Hard timeout in seconds.
    pub hard_timeout: u16,
    /// Priority.
    pub priority: u16,
    /// Buffer id.
    pub buffer_id: BufferId,
    /// Out port (deletes).
    pub out_port: PortNo,
    /// Out group (deletes).
    pub out_group: GroupId,
    /// Flags.
    pub flags: FlowModFlags,
    /// The match, checked by [`FlowModView::parse`].
    pub match_: MatchView<'a>,
    /// The instructions, checked when iterated.
    pub instructions: InstructionsView<'a>,
}

impl<'a> FlowModView<'a> {
    /// Reads the body (everything after the header): the fixed part and its zero padding,
    /// the match (see [`Match::parse`] for its checks); the instructions take the rest and
    /// are checked when iterated.
    #[inline]
    pub fn parse(r: &mut Reader<'a>) -> Result<FlowModView<'a>> {
        r.fast_or_general(
            |b, base| FlowModView::parse_fast(b, base).map(|v| (v, b.len())),
            FlowModView::parse_general,
        )
    }

    /// The whole body in one pass over the slice (`body` starts at `base` in the message): the
    /// fixed part and the match header as one zerocopy struct, the pad bytes and the match's
    /// padding as integer tests, the match's TLV framing walked once; the instructions take
    /// the rest. `None` on anything [`FlowModView::parse_general`] would refuse (it then
    /// builds the exact error).
    #[inline(always)]
    pub(crate) fn parse_fast(body: &'a [u8], base: usize) -> Option<FlowModView<'a>> {
        FlowModView::parse_fast_framing::<true>(body, base)
    }

    /// [`parse_fast`](Self::parse_fast) but for the match's TLV framing, left to
    /// [`decode_message`](Self::decode_message), which checks it in the walk that decodes the
    /// TLVs. The view must not leave the crate.
    #[inline(always)]
    pub(crate) fn parse_fast_unframed(body: &'a [u8], base: usize) -> Option<FlowModView<'a>> {
        FlowModView::parse_fast_framing::<false>(body, base)
    }

    /// [`parse_fast`](Self::parse_fast), with the match's TLV framing walked when `FRAMING`.
    #[inline(always)]
    fn parse_fast_framing<const FRAMING: bool>(
        body: &'a [u8],
        base: usize,
    ) -> Option<FlowModView<'a>> {
        let (h, _) = FlowModHead::ref_from_front(body).ok()?;
        let len = usize::from(h.match_len.get());
        if h.pad != [0; 2] || h.match_type.get() != OFPMT_OXM || len < MATCH_HEADER_LEN {
            return None;
        }
        let match_end = FLOW_MOD_FIXED_LEN + round8(len);
        // `front` holds the 40 fixed bytes and the padded match (at least 8 bytes).
        let (front, instructions) = body.split_at_checked(match_end)?;
        if !pad_is_zero(front, match_end, pad8(len))? {
            return None;
        }
        let oxms = front.get(FLOW_MOD_FIXED_LEN + MATCH_HEADER_LEN..FLOW_MOD_FIXED_LEN + len)?;
        if FRAMING && !oxm_framing_ok(oxms) {
            return None;
        }
        Some(FlowModView {
            cookie: h.cookie.get(),
            cookie_mask: h.cookie_mask.get(),
            table_id: TableId(h.table_id),
            command: FlowModCommand(h.command),
            idle_timeout: h.idle_timeout.get(),
            hard_timeout: h.hard_timeout.get(),
            priority: h.priority.get(),
            buffer_id: BufferId(h.buffer_id.get()),
            out_port: PortNo(h.out_port.get()),
            out_group: GroupId(h.out_group.get()),
            flags: FlowModFlags(h.flags.get()),
            match_: MatchView::from_checked(oxms, base + FLOW_MOD_FIXED_LEN),
            instructions: InstructionsView::new_unchecked(instructions, base + match_end),
        })
    }

    /// Field by field through `r`, with an exact error for whatever is wrong.
    #[cold]
    #[inline(never)]
    pub(crate) fn parse_general(r: &mut Reader<'a>) -> Result<FlowModView<'a>> {
        let h = Head::parse(r)?;
        let match_ = MatchView::parse(r)?;
        let rest = r.sub(r.remaining(), "ofp_flow_mod.instructions")?;
        Ok(with_head!(FlowModView, h, {
            match_,
            instructions: InstructionsView::from_reader(rest),
        }))
    }

    /// Checks every instruction and action without allocating.
    pub fn validate(&self) -> Result<()> {
        self.instructions.validate()
    }

    /// The owned message of this body with transaction id `xid`, as [`decode`](Self::decode)
    /// gives its body: the message placed in the caller's slot first, its match and lists
    /// empty, then each filled there, in place (nothing built aside and moved).
    ///
    /// `self` comes from [`parse_fast_unframed`](Self::parse_fast_unframed) over the body of
    /// `message`: the match's TLV framing is checked by the walk that decodes them, and when it
    /// is broken the message goes to the general parser, which builds the error (the match's,
    /// before any instruction's).
    #[inline]
    pub(crate) fn decode_message(&self, xid: u32, message: &[u8]) -> Result<crate::Message> {
        // The match and the instructions handed on as copies: the readers they reach take
        // them by reference (the general walk out of line), and a reference into `self` would
        // keep the whole view in memory (its fixed fields stored once for the view, once for
        // the message).
        let (match_, instructions) = (self.match_, self.instructions.clone());
        let mut r = Ok(crate::Message {
            xid,
            body: crate::Body::FlowMod(with_head!(FlowMod, self, {
                match_: Match::new(),
                instructions: InstructionList::new(),
            })),
        });
        if let Ok(crate::Message {
            body: crate::Body::FlowMod(f),
            ..
        }) = &mut r
        {
            if !match_.decode_into_framing(&mut f.match_) {
                return crate::Message::parse_general(message);
            }
            instructions.decode_into(&mut f.instructions)?;
        }
        r
    }

    /// The owned body.
    pub fn decode(&self) -> Result<FlowMod> {
        Ok(with_head!(FlowMod, self, {
            match_: self.match_.decode(),
            instructions: self.instructions.decode()?,
        }))
    }

    fn head(&self) -> Head {
        with_head!(Head, self, {})
    }

    /// The message as `ovs-ofctl ofp-print` prints it after `OFPT_FLOW_MOD (OF1.3)
    /// (xid=0x0): `: the command (`ADD`, `MOD`, `MOD_STRICT`, `DEL`, `DEL_STRICT`,
    /// `cmd:N`), ` table:N` unless the table is 0, then `priority=N,` (unless it is
    /// [`OFP_DEFAULT_PRIORITY`]) and the match, then, each followed by a space, `cookie:0x..`
    /// (add: the cookie unless 0; the others: `cookie:0x../0x..` when the mask is not 0),
    /// `idle:N`, `hard:N`, `buf:0x..`, `out_port:P`, the flags (`send_flow_rem ...`), and
    /// `actions=...`. ovs-ofctl does not print `out_group`, nor flags it does not know
    /// (it refuses those); we print `flags:0x..` for them.
    pub fn ofp_print(&self) -> impl fmt::Display + '_ {
        OfpPrint {
            head: self.head(),
            match_: &self.match_,
            instructions: &self.instructions,
        }
    }
}

impl fmt::Display for FlowModView<'_> {
    /// As [`FlowMod`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_ofctl(
            f,
            &self.head(),
            &self.match_,
            &self.instructions,
            !self.instructions.is_empty(),
        )
    }
}

impl fmt::Display for FlowMod {
    /// The flow in the notation of `ovs-ofctl add-flows` files (each line a flow mod), which
    /// is also how `ovs-ofctl dump-flows` prints flows:
    /// `table=0,priority=1,in_port=1,dl_dst=00:00:00:00:00:02 actions=output:2`.
    ///
    /// - Commands other than add start with their keyword: `modify `, `modify_strict `,
    ///   `delete `, `delete_strict ` (`cmd:N ` for unknown ones).
    /// - Then, joined by commas: `cookie=0x..` (when not 0; `cookie=0x../0x..` when the mask
    ///   is not 0, and always for deletes, which only match cookies), `table=N` (always),
    ///   `out_port=P` and `out_group=G` when not ANY, `buffer_id=0x..` when set (ovs-ofctl
    ///   has no keyword for it), `idle_timeout=N` and `hard_timeout=N` when not 0, the flags
    ///   by ovs-ofctl's keywords (`send_flow_rem`, `check_overlap`, `reset_counts`,
    ///   `no_packet_counts`, `no_byte_counts`; unknown bits as `flags=0x..`), `priority=N`
    ///   (left out of a non-strict delete at the default priority, since ovs-ofctl refuses
    ///   a priority there), and the match (see [`Match`]'s `Display`).
    /// - Then ` actions=` and the instructions (see
    ///   [`DisplayInstructions`](crate::instruction::DisplayInstructions); `drop` when
    ///   empty), except for deletes without instructions.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_ofctl(
            f,
            &self.head(),
            &self.match_,
            &Instruction::display_list(&self.instructions),
            !self.instructions.is_empty(),
        )
    }
}

/// Writes into a formatter, putting `prefix` before the first non-empty write (a separator
/// that only appears when something follows it).
struct Lazy<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    prefix: Option<&'static str>,
    wrote: bool,
}

impl<'a, 'b> Lazy<'a, 'b> {
    fn new(f: &'a mut fmt::Formatter<'b>, prefix: &'static str) -> Self {
        Lazy {
            f,
            prefix: Some(prefix),
            wrote: false,
        }
    }

    /// True when anything was written.
    fn wrote(&self) -> bool {
        self.wrote
    }
}

impl fmt::Write for Lazy<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if s.is_empty() {
            return Ok(());
        }
        if let Some(p) = self.prefix.take() {
            self.f.write_str(p)?;
        }
        self.wrote = true;
        self.f.write_str(s)
    }
}

/// `priority=N` unless it is the default, then the match, joined by a comma, as OVS's
/// `match_format` prints them. Returns whether anything was written.
pub(crate) fn fmt_priority_match(
    f: &mut fmt::Formatter<'_>,
    priority: u16,
    match_: &dyn fmt::Display,
) -> core::result::Result<bool, fmt::Error> {
    let mut wrote = false;
    if priority != OFP_DEFAULT_PRIORITY {
        write!(f, "priority={priority}")?;
        wrote = true;
    }
    let mut l = Lazy::new(f, if wrote { "," } else { "" });
    write!(l, "{match_}")?;
    Ok(wrote || l.wrote())
}

/// A group number as ovs-ofctl reads and writes it (`ALL`, `ANY` or the number).
struct OfctlGroup(GroupId);

impl fmt::Display for OfctlGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            GroupId::ALL => f.write_str("ALL"),
            GroupId::ANY => f.write_str("ANY"),
            g => write!(f, "{}", g.0),
        }
    }
}

fn fmt_ofctl(
    f: &mut fmt::Formatter<'_>,
    h: &Head,
    match_: &dyn fmt::Display,
    instructions: &dyn fmt::Display,
    has_instructions: bool,
) -> fmt::Result {
    let cmd = h.command;
    if cmd != FlowModCommand::ADD {
        match cmd.ofctl_name() {
            Some(n) => write!(f, "{n} ")?,
            None => write!(f, "cmd:{} ", cmd.0)?,
        }
    }
    if h.cookie_mask != 0 || (cmd.is_delete() && h.cookie != 0) {
        write!(f, "cookie={:#x}/{:#x},", h.cookie, h.cookie_mask)?;
    } else if h.cookie != 0 {
        write!(f, "cookie={:#x},", h.cookie)?;
    }
    write!(f, "table={}", h.table_id.0)?;
    if h.out_port != PortNo::ANY {
        write!(f, ",out_port={}", h.out_port)?;
    }
    if h.out_group != GroupId::ANY {
        write!(f, ",out_group={}", OfctlGroup(h.out_group))?;
    }
    if h.buffer_id != BufferId::NO_BUFFER {
        write!(f, ",buffer_id={:#x}", h.buffer_id.0)?;
    }
    if h.idle_timeout != 0 {
        write!(f, ",idle_timeout={}", h.idle_timeout)?;
    }
    if h.hard_timeout != 0 {
        write!(f, ",hard_timeout={}", h.hard_timeout)?;
    }
    for n in h.flags.ofctl_names() {
        write!(f, ",{n}")?;
    }
    if !h.flags.unknown().is_empty() {
        write!(f, ",flags={:#x}", h.flags.unknown().0)?;
    }
    if !(cmd == FlowModCommand::DELETE && h.priority == OFP_DEFAULT_PRIORITY) {
        write!(f, ",priority={}", h.priority)?;
    }
    write!(Lazy::new(f, ","), "{match_}")?;
    if !cmd.is_delete() || has_instructions {
        write!(f, " actions={instructions}")?;
    }
    Ok(())
}

/// See [`FlowModView::ofp_print`].
struct OfpPrint<'a, M: fmt::Display, I: fmt::Display> {
    head: Head,
    match_: &'a M,
    instructions: I,
}

impl<M: fmt::Display, I: fmt::Display> fmt::Display for OfpPrint<'_, M, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = &self.head;
        match h.command.ofp_print_name() {
            Some(n) => f.write_str(n)?,
            None => write!(f, "cmd:{}", h.command.0)?,
        }
        if h.table_id.0 != 0 {
            write!(f, " table:{}", h.table_id.0)?;
        }
        f.write_str(" ")?;
        if fmt_priority_match(f, h.priority, self.match_)? {
            f.write_str(" ")?;
        }
        if h.command == FlowModCommand::ADD {
            if h.cookie != 0 && h.cookie != u64::MAX {
                write!(f, "cookie:{:#x} ", h.cookie)?;
            }
        } else if h.cookie_mask != 0 {
            write!(f, "cookie:{:#x}/{:#x} ", h.cookie, h.cookie_mask)?;
        }
        if h.idle_timeout != 0 {
            write!(f, "idle:{} ", h.idle_timeout)?;
        }
        if h.hard_timeout != 0 {
            write!(f, "hard:{} ", h.hard_timeout)?;
        }
        if h.buffer_id != BufferId::NO_BUFFER {
            write!(f, "buf:{:#x} ", h.buffer_id.0)?;
        }
        if h.out_port != PortNo::ANY {
            write!(f, "out_port:{} ", h.out_port)?;
        }
        for n in h.flags.ofctl_names() {
            write!(f, "{n} ")?;
        }
        if !h.flags.unknown().is_empty() {
            write!(f, "flags:{:#x} ", h.flags.unknown().0)?;
        }
        // Every Nicira action by its ovs-ofctl name (see `Action`'s `Display`).
        write!(f, "actions={:#}", self.instructions)
    }
}

/// Helpers the tests of flow_mod, packet_in, packet_out and flow_removed share.
#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod tests;
