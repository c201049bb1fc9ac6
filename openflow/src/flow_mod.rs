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

use alloc::vec::Vec;
use core::fmt::{self, Write as _};
use core::ops::{BitAnd, BitOr, BitOrAssign, Not};

use bytes::BufMut;

use crate::action::Action;
use crate::codec::{put_zeros, MessageBody, Reader, WireWrite};
use crate::error::Result;
use crate::header::MsgType;
use crate::instruction::{Instruction, InstructionType, InstructionsView};
use crate::oxm::{Match, MatchView};
use crate::types::{BufferId, GroupId, MeterId, PortNo, TableId};

/// Length of the FLOW_MOD body before the match (`ofp_flow_mod` minus the header and the
/// match).
pub const FLOW_MOD_FIXED_LEN: usize = 40;

/// `OFP_DEFAULT_PRIORITY`: the priority of a flow that does not say (0x8000).
pub const OFP_DEFAULT_PRIORITY: u16 = 0x8000;

/// `OFP_FLOW_PERMANENT`: a timeout of 0, which never expires.
pub const OFP_FLOW_PERMANENT: u16 = 0;

/// A flow mod command (`ofp_flow_mod_command`). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct FlowModCommand(pub u8);

impl FlowModCommand {
    /// OFPFC_ADD: a new flow.
    pub const ADD: FlowModCommand = FlowModCommand(0);
    /// OFPFC_MODIFY: modify all matching flows.
    pub const MODIFY: FlowModCommand = FlowModCommand(1);
    /// OFPFC_MODIFY_STRICT: modify the flow with exactly this match and priority.
    pub const MODIFY_STRICT: FlowModCommand = FlowModCommand(2);
    /// OFPFC_DELETE: delete all matching flows.
    pub const DELETE: FlowModCommand = FlowModCommand(3);
    /// OFPFC_DELETE_STRICT: delete the flow with exactly this match and priority.
    pub const DELETE_STRICT: FlowModCommand = FlowModCommand(4);

    /// The spec's name without the `OFPFC_` prefix, if known.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "ADD",
            1 => "MODIFY",
            2 => "MODIFY_STRICT",
            3 => "DELETE",
            4 => "DELETE_STRICT",
            _ => return None,
        })
    }

    /// The keyword that starts a line of `ovs-ofctl add-flows` for this command (`add`,
    /// `modify`, `modify_strict`, `delete`, `delete_strict`), if known.
    pub const fn ofctl_name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "add",
            1 => "modify",
            2 => "modify_strict",
            3 => "delete",
            4 => "delete_strict",
            _ => return None,
        })
    }

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

impl fmt::Display for FlowModCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "OFPFC_{n}"),
            None => write!(f, "OFPFC_UNKNOWN({})", self.0),
        }
    }
}

impl fmt::Debug for FlowModCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FlowModCommand({self})")
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
    /// The instructions, in wire order.
    pub instructions: Vec<Instruction>,
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
            instructions: Vec::new(),
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
        self.instructions.insert(at, instruction);
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
        Head {
            cookie: self.cookie,
            cookie_mask: self.cookie_mask,
            table_id: self.table_id,
            command: self.command,
            idle_timeout: self.idle_timeout,
            hard_timeout: self.hard_timeout,
            priority: self.priority,
            buffer_id: self.buffer_id,
            out_port: self.out_port,
            out_group: self.out_group,
            flags: self.flags,
        }
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
    pub fn parse(r: &mut Reader<'a>) -> Result<FlowModView<'a>> {
        let h = Head::parse(r)?;
        let match_ = MatchView::parse(r)?;
        let rest = r.sub(r.remaining(), "ofp_flow_mod.instructions")?;
        Ok(FlowModView {
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
            instructions: InstructionsView::from_reader(rest),
        })
    }

    /// Checks every instruction and action without allocating.
    pub fn validate(&self) -> Result<()> {
        self.instructions.validate()
    }

    /// The owned body.
    pub fn decode(&self) -> Result<FlowMod> {
        let h = self.head();
        Ok(FlowMod {
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
            match_: self.match_.decode(),
            instructions: self.instructions.decode()?,
        })
    }

    fn head(&self) -> Head {
        Head {
            cookie: self.cookie,
            cookie_mask: self.cookie_mask,
            table_id: self.table_id,
            command: self.command,
            idle_timeout: self.idle_timeout,
            hard_timeout: self.hard_timeout,
            priority: self.priority,
            buffer_id: self.buffer_id,
            out_port: self.out_port,
            out_group: self.out_group,
            flags: self.flags,
        }
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
        write!(f, "actions={}", self.instructions)
    }
}

/// Helpers the tests of flow_mod, packet_in, packet_out and flow_removed share.
#[cfg(test)]
pub(crate) mod test_support {
    extern crate std;

    use alloc::format;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;

    use crate::action::Action;
    use crate::codec::WireWrite;
    use crate::header::MsgType;
    use crate::simple::testutil::{message, ofp_print};

    /// Decodes os-ken's base64 (standard alphabet, `=` padding).
    pub(crate) fn b64(s: &str) -> Vec<u8> {
        let val = |c: u8| -> u32 {
            match c {
                b'A'..=b'Z' => u32::from(c - b'A'),
                b'a'..=b'z' => u32::from(c - b'a') + 26,
                b'0'..=b'9' => u32::from(c - b'0') + 52,
                b'+' => 62,
                b'/' => 63,
                _ => panic!("bad base64 {c}"),
            }
        };
        let s = s.trim_end_matches('=').as_bytes();
        let mut out = Vec::new();
        for chunk in s.chunks(4) {
            let mut n = 0u32;
            for (i, &c) in chunk.iter().enumerate() {
                n |= val(c) << (18 - 6 * i);
            }
            let bytes = n.to_be_bytes();
            out.extend_from_slice(&bytes[1..chunk.len()]);
        }
        out
    }

    /// Bytes from hex with spaces and newlines.
    pub(crate) fn hex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// The first line `ovs-ofctl ofp-print` prints for `body` sent as message `ty`, with the
    /// `OFPT_... (OF1.3) (xid=0x0): ` prefix removed; None when ovs-ofctl is missing.
    pub(crate) fn ovs_line(ty: MsgType, body: &impl WireWrite) -> Option<String> {
        let out = ofp_print(&message(ty, body))?;
        let line = out.lines().next().unwrap_or("");
        let prefix = format!("OFPT_{} (OF1.3) (xid=0x0): ", ty.name().unwrap());
        Some(
            line.strip_prefix(&prefix)
                .unwrap_or_else(|| panic!("unexpected ovs-ofctl output: {out}"))
                .to_string(),
        )
    }

    /// The FLOW_MOD `ovs-ofctl -O OpenFlow13 parse-flow FLOW` encodes (the whole message),
    /// or None when ovs-ofctl is missing. Fails when ovs-ofctl refuses the flow.
    pub(crate) fn ovs_parse_flow(flow: &str) -> Option<Vec<u8>> {
        if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::OvsOfctl]) {
            return None;
        }
        let out = match std::process::Command::new("ovs-ofctl")
            .args(["-O", "OpenFlow13", "-mmmmm", "parse-flow", flow])
            .output()
        {
            Ok(o) => o,
            Err(e) => panic!("ovs-ofctl: {e}"),
        };
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "ovs-ofctl refused {flow:?}: {text}");
        let mut bytes = Vec::new();
        for line in text.lines() {
            // "00000000  04 0e 00 40 00 00 00 01-00 00 ... |...@....|"
            let Some((off, rest)) = line.split_once("  ") else {
                continue;
            };
            if off.len() != 8 || !off.chars().all(|c| c.is_ascii_hexdigit()) {
                continue;
            }
            let hexpart = rest.split('|').next().unwrap().replace('-', " ");
            bytes.extend(
                hexpart
                    .split_whitespace()
                    .map(|b| u8::from_str_radix(b, 16).unwrap()),
            );
        }
        assert!(!bytes.is_empty(), "no hex dump from ovs-ofctl: {text}");
        Some(bytes)
    }

    /// Checks actions against os-ken's JSON: count, type, length, experimenter id.
    pub(crate) fn check_actions(name: &str, actions: &[Action], j: &serde_json::Value) {
        let ja = j.as_array().unwrap();
        assert_eq!(actions.len(), ja.len(), "{name}: action count");
        for (a, ja) in actions.iter().zip(ja) {
            let (kind, v) = ja.as_object().unwrap().iter().next().unwrap();
            assert_eq!(v["type"], a.action_type().0, "{name}: {kind}");
            assert_eq!(v["len"], a.encoded_len(), "{name}: {kind}");
            if let Action::Experimenter { experimenter, .. } = a {
                if let Some(e) = v.get("experimenter") {
                    assert_eq!(e, experimenter, "{name}: {kind}");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::test_support::*;
    use super::*;
    use crate::error::Error;
    use crate::oxm::{OxmField, OFPVID_NONE, OFPVID_PRESENT};
    use crate::simple::testutil::*;
    use alloc::string::{String, ToString};
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;
    use sdnwire_packet::MacAddr;

    const CORPUS: &[&str] = &[
        "4-2-ofp_flow_mod",
        "4-3-ofp_flow_mod",
        "4-46-ofp_flow_mod",
        "4-60-ofp_flow_mod",
        "libofproto-OFP13-flow_mod",
        "libofproto-OFP13-flow_mod_conjunction",
        "libofproto-OFP13-flow_mod_match_conj",
        "ovs-ofctl-of13-action_conjunction",
        "ovs-ofctl-of13-action_controller",
        "ovs-ofctl-of13-action_controller2",
        "ovs-ofctl-of13-action_ct",
        "ovs-ofctl-of13-action_ct_clear",
        "ovs-ofctl-of13-action_ct_exec",
        "ovs-ofctl-of13-action_ct_nat",
        "ovs-ofctl-of13-action_ct_nat_v6",
        "ovs-ofctl-of13-action_dec_ttl_cnt_ids",
        "ovs-ofctl-of13-action_fintimeout",
        "ovs-ofctl-of13-action_learn",
        "ovs-ofctl-of13-action_note",
        "ovs-ofctl-of13-action_output_trunc",
        "ovs-ofctl-of13-action_resubmit",
        "ovs-ofctl-of13-action_sample",
        "ovs-ofctl-of13-action_sample2",
        "ovs-ofctl-of13-action_stack_pop",
        "ovs-ofctl-of13-action_stack_push",
        "ovs-ofctl-of13-match_conj",
        "ovs-ofctl-of13-match_load_nx_register",
        "ovs-ofctl-of13-match_move_nx_register",
        "ovs-ofctl-of13-match_pkt_mark",
        "ovs-ofctl-of13-match_pkt_mark_masked",
    ];

    fn mac(s: &str) -> MacAddr {
        s.parse().unwrap()
    }

    fn parse(b: &[u8]) -> Result<FlowMod> {
        parse_bytes(b, FlowMod::parse_body)
    }

    #[test]
    fn os_ken_corpus() {
        for &name in CORPUS {
            let Some(msg) = corpus(name) else { return };
            let fm: FlowMod = parse_msg(&msg);
            // The view agrees with the owned parse.
            let mut r = body(&msg, MsgType::FLOW_MOD);
            let v = FlowModView::parse(&mut r).unwrap();
            v.validate().unwrap();
            assert_eq!(v.decode().unwrap(), fm, "{name}");
            assert_eq!(v.to_string(), fm.to_string(), "{name}");
            assert_eq!(v.ofp_print().to_string(), fm.ofp_print().to_string());

            let Some(json) = corpus_json(name) else {
                return;
            };
            let j = &json["OFPFlowMod"];
            assert_eq!(j["cookie"], fm.cookie, "{name}");
            assert_eq!(j["cookie_mask"], fm.cookie_mask, "{name}");
            assert_eq!(j["table_id"], fm.table_id.0, "{name}");
            assert_eq!(j["command"], fm.command.0, "{name}");
            assert_eq!(j["idle_timeout"], fm.idle_timeout, "{name}");
            assert_eq!(j["hard_timeout"], fm.hard_timeout, "{name}");
            assert_eq!(j["priority"], fm.priority, "{name}");
            assert_eq!(j["buffer_id"], fm.buffer_id.0, "{name}");
            assert_eq!(j["out_port"], fm.out_port.0, "{name}");
            assert_eq!(j["out_group"], fm.out_group.0, "{name}");
            assert_eq!(j["flags"], fm.flags.0, "{name}");
            let jm = &j["match"]["OFPMatch"];
            assert_eq!(jm["length"], fm.match_.length(), "{name}");
            assert_eq!(
                jm["oxm_fields"].as_array().unwrap().len(),
                fm.match_.fields.len(),
                "{name}"
            );
            let ji = j["instructions"].as_array().unwrap();
            assert_eq!(ji.len(), fm.instructions.len(), "{name}");
            for (i, ji) in fm.instructions.iter().zip(ji) {
                let (kind, v) = ji.as_object().unwrap().iter().next().unwrap();
                assert_eq!(v["type"], i.instruction_type().0, "{name}: {kind}");
                assert_eq!(v["len"], i.encoded_len(), "{name}: {kind}");
                match i {
                    Instruction::ApplyActions(a) | Instruction::WriteActions(a) => {
                        check_actions(name, a, &v["actions"])
                    }
                    Instruction::GotoTable(t) => assert_eq!(v["table_id"], t.0),
                    Instruction::Meter(m) => assert_eq!(v["meter_id"], m.0),
                    other => panic!("{name}: unexpected {other:?}"),
                }
            }
        }
    }

    #[test]
    fn corpus_prints_as_ovs() {
        // The corpus flow mods OVS accepts whose fields and actions are all standard.
        for name in ["4-3-ofp_flow_mod", "4-46-ofp_flow_mod"] {
            let Some(msg) = corpus(name) else { return };
            let fm: FlowMod = parse_msg(&msg);
            let Some(line) = ovs_line(MsgType::FLOW_MOD, &fm) else {
                return;
            };
            assert_eq!(fm.ofp_print().to_string(), line, "{name}");
        }
        let Some(msg) = corpus("4-46-ofp_flow_mod") else {
            return;
        };
        let fm: FlowMod = parse_msg(&msg);
        assert_eq!(
            fm.to_string(),
            "table=1,buffer_id=0xffff,priority=123,dl_dst=f2:0b:a4:7d:f8:ea \
             actions=meter:1,write_actions(output:6)"
        );
    }

    #[test]
    fn builder() {
        let fm = FlowMod::add()
            .priority(1)
            .matching(Match::new().in_port(1).eth_dst(mac("00:00:00:00:00:02")))
            .apply_actions([Action::output(2)]);
        assert_eq!(
            fm,
            FlowMod {
                cookie: 0,
                cookie_mask: 0,
                table_id: TableId(0),
                command: FlowModCommand::ADD,
                idle_timeout: 0,
                hard_timeout: 0,
                priority: 1,
                buffer_id: BufferId::NO_BUFFER,
                out_port: PortNo::ANY,
                out_group: GroupId::ANY,
                flags: FlowModFlags::EMPTY,
                match_: Match::new().in_port(1).eth_dst([0, 0, 0, 0, 0, 2]),
                instructions: vec![Instruction::ApplyActions(vec![Action::output(2)])],
            }
        );
        assert_eq!(
            fm.to_string(),
            "table=0,priority=1,in_port=1,dl_dst=00:00:00:00:00:02 actions=output:2"
        );
        assert_eq!(
            fm.ofp_print().to_string(),
            "ADD priority=1,in_port=1,dl_dst=00:00:00:00:00:02 actions=output:2"
        );
        // Wire layout: 40 fixed bytes, the match (in_port, eth_dst: 4 + 8 + 10 = 22, padded
        // to 24), apply-actions with one output.
        let b = fm.to_vec().unwrap();
        assert_eq!(
            b,
            hex(
                "0000000000000000 0000000000000000 00 00 0000 0000 0001 ffffffff
                 ffffffff ffffffff 0000 0000
                 0001 0016 80000004 00000001 80000606 000000000002 0000
                 0004 0018 00000000 0000 0010 00000002 ffff 000000000000"
            )
        );
        assert_eq!(parse(&b).unwrap(), fm);

        let d = FlowMod::delete();
        assert_eq!(d.table_id, TableId::ALL);
        assert_eq!((d.out_port, d.out_group), (PortNo::ANY, GroupId::ANY));
        assert_eq!(d.priority, OFP_DEFAULT_PRIORITY);
        assert_eq!(d.to_string(), "delete table=255");
        assert_eq!(
            FlowMod::delete_strict().command,
            FlowModCommand::DELETE_STRICT
        );
        assert_eq!(FlowMod::delete_strict().table_id, TableId::ALL);
        assert_eq!(FlowMod::modify().command, FlowModCommand::MODIFY);
        assert_eq!(FlowMod::modify().table_id, TableId(0));
        assert_eq!(
            FlowMod::modify_strict().command,
            FlowModCommand::MODIFY_STRICT
        );
        assert_eq!(
            FlowMod::modify_strict().to_string(),
            "modify_strict table=0,priority=32768 actions=drop"
        );

        // Every setter.
        let fm = FlowMod::add()
            .table(TableId(3))
            .idle_timeout(10)
            .hard_timeout(20)
            .cookie(0x55)
            .cookie_mask(0xff)
            .flags(FlowModFlags::SEND_FLOW_REM | FlowModFlags::CHECK_OVERLAP)
            .buffer_id(BufferId(7))
            .out_port(PortNo(9))
            .out_group(GroupId(4));
        assert_eq!(fm.table_id, TableId(3));
        // Plain numbers convert.
        let lit = FlowMod::add()
            .table(1)
            .goto_table(2)
            .meter(3)
            .out_group(4)
            .out_port(5);
        assert_eq!(
            lit.to_string(),
            "table=1,out_port=5,out_group=4,priority=32768 actions=meter:3,goto_table:2"
        );
        assert_eq!((fm.idle_timeout, fm.hard_timeout), (10, 20));
        assert_eq!((fm.cookie, fm.cookie_mask), (0x55, 0xff));
        assert_eq!(fm.flags, FlowModFlags(3));
        assert_eq!(fm.buffer_id, BufferId(7));
        assert_eq!((fm.out_port, fm.out_group), (PortNo(9), GroupId(4)));
        assert_eq!(
            fm.to_string(),
            "cookie=0x55/0xff,table=3,out_port=9,out_group=4,buffer_id=0x7,idle_timeout=10,\
             hard_timeout=20,send_flow_rem,check_overlap,priority=32768 actions=drop"
        );
    }

    #[test]
    fn builder_orders_instructions() {
        // Instructions go where the switch executes them, whatever the call order; apply and
        // write actions accumulate; goto/meter/metadata replace.
        let fm = FlowMod::add()
            .goto_table(TableId(9))
            .write_metadata(1, 0xff)
            .write_actions([Action::output(1)])
            .clear_actions()
            .apply_actions([Action::pop_vlan()])
            .meter(MeterId(5))
            .apply_actions([Action::output(2)])
            .write_actions([Action::group(GroupId(3))])
            .goto_table(TableId(4))
            .meter(MeterId(6))
            .clear_actions()
            .write_metadata(2, 0xf);
        assert_eq!(
            fm.instructions,
            vec![
                Instruction::Meter(MeterId(6)),
                Instruction::ApplyActions(vec![Action::pop_vlan(), Action::output(2)]),
                Instruction::ClearActions,
                Instruction::WriteActions(vec![Action::output(1), Action::group(GroupId(3))]),
                Instruction::WriteMetadata {
                    metadata: 2,
                    mask: 0xf
                },
                Instruction::GotoTable(TableId(4)),
            ]
        );
        assert_eq!(
            fm.applied_actions(),
            Some(&[Action::pop_vlan(), Action::output(2)][..])
        );
        let fm = FlowMod::add()
            .instruction(Instruction::Experimenter {
                experimenter: 1,
                data: vec![0; 8],
            })
            .instructions([
                Instruction::GotoTable(TableId(2)),
                Instruction::Meter(MeterId(1)),
            ]);
        let types: Vec<u16> = fm
            .instructions
            .iter()
            .map(|i| i.instruction_type().0)
            .collect();
        assert_eq!(types, [6, 1, 0xffff]);
    }

    #[test]
    fn flags_and_commands() {
        let f = FlowModFlags::ALL | FlowModFlags(0x100);
        assert!(f.contains(FlowModFlags::NO_BYT_COUNTS | FlowModFlags::RESET_COUNTS));
        assert!(!FlowModFlags::SEND_FLOW_REM.contains(FlowModFlags::CHECK_OVERLAP));
        assert_eq!(f.unknown(), FlowModFlags(0x100));
        assert_eq!(
            f.to_string(),
            "SEND_FLOW_REM|CHECK_OVERLAP|RESET_COUNTS|NO_PKT_COUNTS|NO_BYT_COUNTS|0x100"
        );
        assert_eq!(FlowModFlags::EMPTY.to_string(), "0");
        assert_eq!((f & !FlowModFlags::ALL), FlowModFlags(0x100));
        let mut g = FlowModFlags::EMPTY;
        g |= FlowModFlags::RESET_COUNTS;
        assert_eq!(g.ofctl_names().collect::<Vec<_>>(), ["reset_counts"]);
        assert_eq!(
            format!("{:?}", FlowModCommand::DELETE_STRICT),
            "FlowModCommand(OFPFC_DELETE_STRICT)"
        );
        assert_eq!(FlowModCommand(9).to_string(), "OFPFC_UNKNOWN(9)");
        let fm = FlowMod::new(FlowModCommand(9)).flags(FlowModFlags(0x21));
        assert_eq!(
            fm.to_string(),
            "cmd:9 table=0,send_flow_rem,flags=0x20,priority=32768 actions=drop"
        );
        assert_eq!(
            fm.ofp_print().to_string(),
            "cmd:9 send_flow_rem flags:0x20 actions=drop"
        );
    }

    use alloc::format;

    /// Flow mods built with the builder covering every match field and action OVS 3.1 takes
    /// in OpenFlow 1.3 (not in_phy_port, pbb_isid, ipv6_exthdr, copy_ttl_*, push/pop_pbb),
    /// every instruction, flag and command.
    fn ovs_flow_mods() -> Vec<FlowMod> {
        let ip = |m: Match| m.eth_type(0x0800);
        let ip6 = |m: Match| m.eth_type(0x86dd);
        vec![
            FlowMod::add()
                .priority(1)
                .matching(Match::new().in_port(1).eth_dst(mac("00:00:00:00:00:02")))
                .apply_actions([Action::output(2)]),
            FlowMod::add()
                .table(TableId(1))
                .priority(100)
                .cookie(0x1234_5678_9abc_def0)
                .idle_timeout(10)
                .hard_timeout(300)
                .flags(FlowModFlags::ALL)
                .matching(
                    ip(Match::new()
                        .in_port(3)
                        .metadata_masked(0x100, 0xff00)
                        .eth_dst_masked(mac("01:00:00:00:00:00"), mac("01:00:00:00:00:00"))
                        .eth_src(mac("f2:0b:a4:7d:f8:ea"))
                        .vlan_vid(OFPVID_PRESENT | 10)
                        .vlan_pcp(3))
                    .ip_dscp(46)
                    .ip_ecn(1)
                    .ip_proto(6)
                    .ipv4_src_masked([10, 0, 0, 0], [255, 255, 255, 0])
                    .ipv4_dst([10, 0, 0, 2])
                    .tcp_src(1234)
                    .tcp_dst(80),
                )
                .apply_actions([
                    Action::set_field(OxmField::Ipv4Dst([10, 0, 0, 3].into(), None)),
                    Action::set_field(OxmField::TcpDst(8080)),
                    Action::set_field(OxmField::EthSrc(mac("00:00:00:00:00:01"), None)),
                    Action::set_field(OxmField::IpDscp(10)),
                    Action::dec_nw_ttl(),
                    Action::set_nw_ttl(9),
                    Action::set_queue(3),
                    Action::output(2),
                    Action::output_to_controller(128),
                ])
                .goto_table(TableId(2)),
            FlowMod::add()
                .matching(
                    ip(Match::new())
                        .ip_proto(17)
                        .udp_src(67)
                        .udp_dst(68)
                        .tunnel_id_masked(0x10, 0xff),
                )
                .apply_actions([
                    Action::set_field(OxmField::UdpSrc(1)),
                    Action::flood(),
                    Action::in_port(),
                ]),
            FlowMod::add()
                .priority(5)
                .matching(ip(Match::new()).ip_proto(132).sctp_src(1).sctp_dst(2))
                .apply_actions([
                    Action::set_field(OxmField::SctpDst(3)),
                    Action::output(PortNo::LOCAL),
                ]),
            FlowMod::add()
                .matching(ip(Match::new()).ip_proto(1).icmpv4_type(8).icmpv4_code(0))
                .apply_actions([
                    Action::set_field(OxmField::Icmpv4Type(0)),
                    Action::output(PortNo::NORMAL),
                ]),
            FlowMod::add()
                .matching(
                    Match::new()
                        .eth_type(0x0806)
                        .arp_op(1)
                        .arp_spa_masked([10, 0, 0, 0], [255, 0, 0, 0])
                        .arp_tpa([10, 0, 0, 1])
                        .arp_sha(mac("00:00:00:00:00:0a"))
                        .arp_tha_masked(mac("00:00:00:00:00:00"), mac("ff:ff:ff:00:00:00")),
                )
                .apply_actions([
                    Action::set_field(OxmField::ArpOp(2)),
                    Action::set_field(OxmField::ArpSpa([10, 0, 0, 1].into(), None)),
                    Action::set_field(OxmField::ArpSha(mac("00:00:00:00:00:0b"), None)),
                    Action::output(PortNo::IN_PORT),
                ]),
            FlowMod::add()
                .matching(
                    ip6(Match::new())
                        .ipv6_src_masked(
                            "2001:db8::".parse::<core::net::Ipv6Addr>().unwrap(),
                            "ffff:ffff::".parse::<core::net::Ipv6Addr>().unwrap(),
                        )
                        .ipv6_dst("2001:db8::1".parse::<core::net::Ipv6Addr>().unwrap())
                        .ipv6_flabel_masked(0x12340, 0xffff0)
                        .ip_proto(58)
                        .icmpv6_type(135)
                        .icmpv6_code(0)
                        .ipv6_nd_target("fe80::1".parse::<core::net::Ipv6Addr>().unwrap())
                        .ipv6_nd_sll(mac("00:00:00:00:00:0c")),
                )
                .apply_actions([
                    Action::set_field(OxmField::Ipv6Src("2001:db8::2".parse().unwrap(), None)),
                    Action::set_field(OxmField::Ipv6NdTarget("fe80::2".parse().unwrap())),
                    Action::output(PortNo::ALL),
                ]),
            FlowMod::add()
                .matching(
                    ip6(Match::new())
                        .ip_proto(58)
                        .icmpv6_type(136)
                        .ipv6_nd_tll(mac("00:00:00:00:00:0d")),
                )
                .apply_actions([Action::set_field(OxmField::Ipv6NdTll(mac(
                    "00:00:00:00:00:0e",
                )))]),
            FlowMod::add()
                .matching(ip6(Match::new()).ip_proto(6).tcp_dst(22))
                .apply_actions([Action::set_field(OxmField::Ipv6Flabel(7, None))]),
            FlowMod::add()
                .matching(
                    Match::new()
                        .eth_type(0x8847)
                        .mpls_label(100)
                        .mpls_tc(2)
                        .mpls_bos(1),
                )
                .apply_actions([
                    Action::set_field(OxmField::MplsLabel(200)),
                    Action::set_field(OxmField::MplsTc(3)),
                    Action::SetMplsTtl(7),
                    Action::DecMplsTtl,
                    Action::pop_mpls(0x0800),
                    Action::output(4),
                ]),
            FlowMod::add().matching(ip(Match::new())).apply_actions([
                Action::push_mpls(),
                Action::set_field(OxmField::MplsLabel(5)),
                Action::push_vlan(),
                Action::set_field(OxmField::VlanVid(OFPVID_PRESENT | 7, None)),
                Action::set_field(OxmField::VlanPcp(2)),
                Action::output(5),
            ]),
            FlowMod::add()
                .matching(Match::new().vlan_vid(OFPVID_NONE))
                .apply_actions([Action::push_vlan_8021ad(), Action::group(GroupId(7))]),
            FlowMod::add()
                .matching(Match::new().vlan_vid_masked(OFPVID_PRESENT, OFPVID_PRESENT))
                .apply_actions([Action::pop_vlan(), Action::output(1)]),
            FlowMod::add()
                .table(TableId(3))
                .meter(MeterId(1))
                .apply_actions([Action::output(1)])
                .clear_actions()
                .write_actions([Action::output(2), Action::group(GroupId(1))])
                .write_metadata(0x1, 0xff)
                .goto_table(TableId(4)),
            FlowMod::add().write_metadata(0xff, u64::MAX),
            FlowMod::add().priority(0),
            FlowMod::add().cookie(u64::MAX).priority(65535),
            FlowMod::modify()
                .matching(Match::new().in_port(1))
                .apply_actions([Action::output(3)]),
            FlowMod::modify_strict()
                .table(TableId(2))
                .priority(7)
                .cookie(0x10)
                .cookie_mask(0xf0)
                .matching(Match::new().in_port(1))
                .apply_actions([Action::output(3)]),
            FlowMod::delete(),
            FlowMod::delete()
                .cookie(0x5)
                .cookie_mask(u64::MAX)
                .out_port(2)
                .out_group(GroupId(7))
                .matching(Match::new().in_port(1)),
            FlowMod::delete_strict()
                .table(TableId(0))
                .priority(9)
                .out_port(PortNo::CONTROLLER)
                .matching(ip(Match::new()).ipv4_dst([192, 168, 0, 1])),
        ]
    }

    #[test]
    fn ovs_decodes_what_we_build() {
        for fm in ovs_flow_mods() {
            let Some(line) = ovs_line(MsgType::FLOW_MOD, &fm) else {
                return;
            };
            assert_eq!(fm.ofp_print().to_string(), line, "{fm:?}");
        }
    }

    /// Canonical form for comparing flow mods that went through ovs-ofctl: match fields
    /// sorted, instructions in execution order, empty apply-actions dropped.
    fn canonical(mut fm: FlowMod) -> FlowMod {
        fm.match_
            .fields
            .sort_by_key(|f| (f.class(), f.field(), format!("{f:?}")));
        fm.instructions
            .retain(|i| !matches!(i, Instruction::ApplyActions(a) if a.is_empty()));
        fm.instructions.sort_by_key(|i| rank(i.instruction_type()));
        // max_len only matters for the controller port: ovs-ofctl writes 0 elsewhere.
        for i in &mut fm.instructions {
            if let Instruction::ApplyActions(a) | Instruction::WriteActions(a) = i {
                for a in a {
                    if let Action::Output { port, max_len } = a {
                        if *port != PortNo::CONTROLLER {
                            *max_len = 0;
                        }
                    }
                }
            }
        }
        fm
    }

    #[test]
    fn ovs_parses_our_display() {
        // ovs-ofctl parse-flow reads our Display of every add and encodes the same flow mod.
        for fm in ovs_flow_mods() {
            if fm.command != FlowModCommand::ADD {
                continue;
            }
            let text = fm.to_string();
            let Some(msg) = ovs_parse_flow(&text) else {
                return;
            };
            let got: FlowMod = parse_exact(&msg, MsgType::FLOW_MOD, FlowMod::parse_body);
            assert_eq!(canonical(got), canonical(fm.clone()), "{text}");
        }
    }

    /// Runs `ovs-ofctl -O OpenFlow13 add-flows` on `lines` against a fake switch (this
    /// test, on a TCP port) and returns the FLOW_MODs ovs-ofctl sends, or None when
    /// ovs-ofctl is missing.
    fn ovs_add_flows(lines: &str) -> Option<Vec<FlowMod>> {
        if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::OvsOfctl]) {
            return None;
        }
        use std::io::{Read, Write};
        let file = std::env::temp_dir().join(format!("flow_mod_test_{}.txt", std::process::id()));
        std::fs::write(&file, lines).unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let child = std::process::Command::new("ovs-ofctl")
            .args(["-O", "OpenFlow13", "--no-names", "add-flows"])
            .arg(format!("tcp:127.0.0.1:{port}"))
            .arg(&file)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn();
        let mut child = match child {
            Ok(c) => c,
            Err(e) => panic!("ovs-ofctl: {e}"),
        };
        struct Kill<'a>(&'a mut std::process::Child);
        impl Drop for Kill<'_> {
            fn drop(&mut self) {
                let _ = self.0.kill();
                let _ = self.0.wait();
            }
        }
        let guard = Kill(&mut child);
        listener.set_nonblocking(false).unwrap();
        let (mut s, _) = listener.accept().unwrap();
        s.set_read_timeout(Some(core::time::Duration::from_secs(20)))
            .unwrap();
        s.write_all(&[4, 0, 0, 8, 0, 0, 0, 0]).unwrap(); // HELLO, OpenFlow 1.3
        let mut got = Vec::new();
        loop {
            let mut h = [0u8; 8];
            if s.read_exact(&mut h).is_err() {
                break; // ovs-ofctl is done
            }
            let len = usize::from(u16::from_be_bytes([h[2], h[3]]));
            let mut m = h.to_vec();
            m.resize(len, 0);
            s.read_exact(&mut m[8..]).unwrap();
            match MsgType(m[1]) {
                MsgType::FLOW_MOD => {
                    got.push(parse_exact(&m, MsgType::FLOW_MOD, FlowMod::parse_body))
                }
                MsgType::BARRIER_REQUEST => {
                    s.write_all(&[4, 21, 0, 8, m[4], m[5], m[6], m[7]]).unwrap();
                }
                MsgType::ECHO_REQUEST => {
                    m[1] = 3;
                    s.write_all(&m).unwrap();
                }
                _ => {}
            }
        }
        let status = guard.0.wait().unwrap();
        let mut err = String::new();
        if let Some(e) = guard.0.stderr.as_mut() {
            let _ = e.read_to_string(&mut err);
        }
        drop(guard);
        let _ = std::fs::remove_file(&file);
        assert!(status.success(), "ovs-ofctl add-flows failed: {err}");
        Some(got)
    }

    #[test]
    fn ovs_ofctl_sends_our_display() {
        // Every command: our Display as lines of an `ovs-ofctl add-flows` file; ovs-ofctl
        // parses them and sends (to us, as a fake switch) the flow mods we built.
        let fms = ovs_flow_mods();
        let lines: String = fms.iter().map(|fm| format!("{fm}\n")).collect();
        let Some(got) = ovs_add_flows(&lines) else {
            return;
        };
        assert_eq!(got.len(), fms.len(), "{lines}");
        for (g, fm) in got.into_iter().zip(fms) {
            assert_eq!(canonical(g), canonical(fm.clone()), "{fm}");
        }
    }

    // ------------------------------------------------------------------ negative

    /// An ADD with match in_port=1 (16 bytes with padding) and apply-actions(output:2):
    /// body offsets: fixed 0..40, match 40..56, instruction 56..80 (message offsets +8).
    fn sample() -> Vec<u8> {
        FlowMod::add()
            .matching(Match::new().in_port(1))
            .apply_actions([Action::output(2)])
            .to_vec()
            .unwrap()
    }

    #[test]
    fn negative_lengths() {
        let good = sample();
        assert_eq!(good.len(), 80);
        assert!(parse(&good).is_ok());
        // Truncated anywhere in the fixed part or the match.
        for n in 0..56 {
            let e = parse(&good[..n]).unwrap_err();
            assert!(
                matches!(e, Error::Truncated { .. } | Error::BadLength { .. }),
                "{n}: {e}"
            );
        }
        // No instructions at all is fine (actions=drop).
        assert_eq!(parse(&good[..56]).unwrap().instructions, vec![]);
        // Truncated inside the instruction: its length runs past the end.
        for n in 57..80 {
            let e = parse(&good[..n]).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::Truncated { .. } | Error::BadLength { offset: 66, .. }
                ),
                "{n}: {e}"
            );
        }

        let with = |at: usize, v: &[u8]| {
            let mut b = good.clone();
            b[at..at + v.len()].copy_from_slice(v);
            b
        };
        // Fixed padding.
        assert_eq!(
            parse(&with(39, &[1])),
            Err(Error::BadValue {
                what: "ofp_flow_mod.pad",
                offset: 47,
                value: 1,
                expected: "zero padding"
            })
        );
        // Match type, length below 4, length past the end, padding.
        assert!(matches!(
            parse(&with(40, &[0, 0])),
            Err(Error::BadValue {
                what: "ofp_match.type",
                offset: 48,
                ..
            })
        ));
        assert!(matches!(
            parse(&with(42, &[0, 3])),
            Err(Error::BadLength {
                what: "ofp_match.length",
                offset: 50,
                value: 3,
                ..
            })
        ));
        assert!(matches!(
            parse(&with(42, &[0, 200])),
            Err(Error::BadLength {
                what: "ofp_match.length",
                offset: 50,
                value: 200,
                ..
            })
        ));
        // A length that cuts the OXM TLV: the TLV runs past the match.
        assert!(parse(&with(42, &[0, 10])).is_err());
        assert!(matches!(
            parse(&with(55, &[1])),
            Err(Error::BadValue {
                what: "ofp_match.pad",
                offset: 63,
                ..
            })
        ));
        // Instruction length below 8, not a multiple of 8, past the end.
        for (len, reason) in [
            (4u8, "below the 8-byte minimum of an instruction"),
            (12, "not a multiple of 8"),
            (32, "past the end of the instruction list"),
        ] {
            let b = with(58, &[0, len]);
            assert_eq!(
                parse(&b),
                Err(Error::BadLength {
                    what: "ofp_instruction_actions",
                    offset: 66,
                    value: usize::from(len),
                    reason
                }),
                "{len}"
            );
            // The view parses (instructions are checked when walked) but does not validate.
            let mut r = crate::codec::Reader::new(&b, 8);
            let v = FlowModView::parse(&mut r).unwrap();
            assert!(v.validate().is_err());
            assert!(v.decode().is_err());
            assert!(v.to_string().contains("<error:"), "{v}");
        }
        // The output action's length (at body 60+2): 8 is too short for an output.
        assert!(matches!(
            parse(&with(66, &[0, 8])),
            Err(Error::BadLength { offset: 74, .. })
        ));
        // Action list shorter than the instruction says: the action runs past it.
        assert!(matches!(
            parse(&with(58, &[0, 16])),
            Err(Error::BadLength { .. }) | Err(Error::Truncated { .. })
        ));
        // Trailing bytes that are not an instruction.
        let mut long = good.clone();
        long.extend_from_slice(&[0, 1, 0]);
        assert!(matches!(
            parse(&long),
            Err(Error::Truncated { offset: 88, .. })
        ));
    }

    #[test]
    fn unencodable() {
        // A match too long for its 16-bit length.
        let mut m = Match::new();
        for _ in 0..6000 {
            m = m.ipv6_src("::1".parse::<core::net::Ipv6Addr>().unwrap());
        }
        assert!(matches!(
            FlowMod::add().matching(m).to_vec(),
            Err(Error::Unencodable { .. })
        ));
    }

    // ------------------------------------------------------------------ proptest

    fn arb_field() -> impl Strategy<Value = OxmField> {
        prop_oneof![
            any::<u32>().prop_map(|p| OxmField::InPort(PortNo(p))),
            (any::<[u8; 6]>(), proptest::option::of(any::<[u8; 6]>()))
                .prop_map(|(v, m)| OxmField::EthDst(MacAddr(v), m.map(MacAddr))),
            any::<u16>().prop_map(OxmField::EthType),
            (any::<u16>(), proptest::option::of(any::<u16>()))
                .prop_map(|(v, m)| OxmField::VlanVid(v & 0x1fff, m.map(|m| m & 0x1fff))),
            (any::<[u8; 4]>(), proptest::option::of(any::<[u8; 4]>()))
                .prop_map(|(v, m)| OxmField::Ipv4Src(v.into(), m.map(Into::into))),
            any::<u16>().prop_map(OxmField::TcpDst),
            (any::<u64>(), proptest::option::of(any::<u64>()))
                .prop_map(|(v, m)| OxmField::Metadata(v, m)),
            (0u16..3, proptest::collection::vec(any::<u8>(), 0..12))
                .prop_map(|(c, p)| { OxmField::from_parts(c, 40, false, &p) }),
        ]
    }

    fn arb_action() -> impl Strategy<Value = Action> {
        prop_oneof![
            (any::<u32>(), any::<u16>()).prop_map(|(p, l)| Action::output_max_len(p, l)),
            any::<u32>().prop_map(|g| Action::group(GroupId(g))),
            any::<u16>().prop_map(Action::PushVlan),
            Just(Action::PopVlan),
            any::<u8>().prop_map(Action::SetNwTtl),
            arb_field().prop_map(Action::SetField),
            (any::<u32>(), proptest::collection::vec(any::<u8>(), 0..3)).prop_map(|(e, d)| {
                let mut data = vec![];
                for x in d {
                    data.extend_from_slice(&[x; 8]);
                }
                Action::experimenter(e, data)
            }),
        ]
    }

    fn arb_instruction() -> impl Strategy<Value = Instruction> {
        prop_oneof![
            any::<u8>().prop_map(|t| Instruction::GotoTable(TableId(t))),
            (any::<u64>(), any::<u64>())
                .prop_map(|(metadata, mask)| Instruction::WriteMetadata { metadata, mask }),
            proptest::collection::vec(arb_action(), 0..4).prop_map(Instruction::WriteActions),
            proptest::collection::vec(arb_action(), 0..4).prop_map(Instruction::ApplyActions),
            Just(Instruction::ClearActions),
            any::<u32>().prop_map(|m| Instruction::Meter(MeterId(m))),
        ]
    }

    prop_compose! {
        fn arb_flow_mod()(
            command in 0u8..6,
            cookie: u64, cookie_mask: u64, table: u8, idle: u16, hard: u16, priority: u16,
            buffer: u32, out_port: u32, out_group: u32, flags: u16,
            fields in proptest::collection::vec(arb_field(), 0..6),
            instructions in proptest::collection::vec(arb_instruction(), 0..4),
        ) -> FlowMod {
            FlowMod::new(FlowModCommand(command))
                .cookie(cookie)
                .cookie_mask(cookie_mask)
                .table(TableId(table))
                .idle_timeout(idle)
                .hard_timeout(hard)
                .priority(priority)
                .buffer_id(BufferId(buffer))
                .out_port(out_port)
                .out_group(GroupId(out_group))
                .flags(FlowModFlags(flags))
                .matching(fields.into_iter().collect())
                .instructions(instructions)
        }
    }

    proptest! {
        #[test]
        fn owned_round_trip(fm in arb_flow_mod()) {
            let b = fm.to_vec().unwrap();
            prop_assert_eq!(b.len(), fm.encoded_len());
            let back = parse(&b).unwrap();
            prop_assert_eq!(&back, &fm);
            let mut r = crate::codec::Reader::new(&b, 8);
            let v = FlowModView::parse(&mut r).unwrap();
            prop_assert_eq!(v.to_string(), fm.to_string());
            prop_assert_eq!(v.ofp_print().to_string(), fm.ofp_print().to_string());
        }

        #[test]
        fn any_bytes(
            fm in arb_flow_mod(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
            cut in any::<prop::sample::Index>(),
            do_cut: bool,
        ) {
            // A valid encoding, a few bytes changed, maybe cut short.
            let mut b = fm.to_vec().unwrap();
            for (i, x) in edits {
                let i = i.index(b.len());
                b[i] = x;
            }
            if do_cut {
                b.truncate(cut.index(b.len() + 1));
            }
            let owned = parse(&b);
            let mut r = crate::codec::Reader::new(&b, 8);
            let view = FlowModView::parse(&mut r).and_then(|v| v.decode());
            prop_assert_eq!(&owned, &view);
            if let Ok(fm) = owned {
                prop_assert_eq!(fm.to_vec().unwrap(), b);
                let _ = fm.to_string();
            }
        }

        #[test]
        fn random_bytes(b in proptest::collection::vec(any::<u8>(), 0..120)) {
            if let Ok(fm) = parse(&b) {
                prop_assert_eq!(fm.to_vec().unwrap(), b);
            }
        }
    }

    #[allow(dead_code)]
    fn unused(_: String) {}
}
