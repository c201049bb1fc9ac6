//! [`InstructionVisitor`]: an instruction list read by calling one method per instruction,
//! the reader's own `match` on the instruction type choosing it.

use core::ops::ControlFlow;

use super::{InstructionType, InstructionView, InstructionsView, INSTRUCTION_ACTIONS_LEN};
use crate::action::ActionsView;
use crate::codec::general_item;
use crate::codec_error::Result;
use crate::types::{MeterId, TableId};
use crate::wire::TlvHead8;
use sdnwire_packet::wire::FixedLayout;

/// Reads an instruction list one instruction at a time, through one method per instruction
/// kind; with [`ActionVisitor`](crate::action::ActionVisitor) for the actions of
/// write-actions and apply-actions, the zero-copy reader for code that reads every
/// instruction and action of a flow (a FLOW_MOD's, a flow-stats entry's).
/// [`InstructionsView::visit`] walks the list with the same checks as the
/// [`InstructionsView`] iterator and calls each instruction's method from its own `match` on
/// the instruction's type: each instruction is dispatched once.
///
/// Every method has a default, which hands the instruction to [`other`](Self::other) as the
/// [`InstructionView`] the iterator would yield. `other`'s default ignores the instruction
/// but checks the action list of write-actions and apply-actions
/// ([`InstructionView::validate`]), so that a visitor reading only some kinds still refuses a
/// malformed flow. A visitor that reads the actions calls [`ActionsView::visit`] from
/// [`apply_actions`](Self::apply_actions) / [`write_actions`](Self::write_actions) with
/// itself or with another visitor (and gets the list's errors back from it to return); one
/// that returns without visiting or validating the list does not check it, as with the
/// iterator.
///
/// Each method returns `Ok(ControlFlow::Continue(()))` to go on to the next instruction,
/// `Ok(ControlFlow::Break(()))` to stop the walk, and an error (a nested action list's) to
/// end the walk with it.
///
/// ```
/// use core::ops::ControlFlow;
/// use sdnwire_openflow::action::{Action, ActionView, ActionVisitor, ActionsView};
/// use sdnwire_openflow::flow_mod::FlowMod;
/// use sdnwire_openflow::instruction::{Instruction, InstructionView, InstructionVisitor};
/// use sdnwire_openflow::oxm::{ofb, Match, OxmHeader, OFPXMC_OPENFLOW_BASIC};
/// use sdnwire_openflow::{Body, BodyView, Encode, Message, MessageView, PortNo, TableId};
///
/// /// What a switch agent reads from a flow: its `in_port`, where apply-actions sends the
/// /// packet, and the next table.
/// #[derive(Debug, Default, PartialEq)]
/// struct Flow {
///     in_port: Option<u32>,
///     outputs: Vec<u32>,
///     goto_table: Option<u8>,
/// }
///
/// impl<'a> ActionVisitor<'a> for Flow {
///     fn output(&mut self, port: PortNo, _max_len: u16) -> ControlFlow<()> {
///         self.outputs.push(port.0);
///         ControlFlow::Continue(())
///     }
///     // Any other action: refused (the default would ignore it).
///     fn other(&mut self, _a: ActionView<'a>) -> ControlFlow<()> {
///         ControlFlow::Break(())
///     }
/// }
///
/// impl<'a> InstructionVisitor<'a> for Flow {
///     fn apply_actions(&mut self, actions: ActionsView<'a>) -> sdnwire_openflow::Result<ControlFlow<()>> {
///         actions.visit(self)
///     }
///     fn goto_table(&mut self, table_id: TableId) -> sdnwire_openflow::Result<ControlFlow<()>> {
///         self.goto_table = Some(table_id.0);
///         Ok(ControlFlow::Continue(()))
///     }
///     // Write-actions, meters, ...: refused.
///     fn other(&mut self, _i: InstructionView<'a>) -> sdnwire_openflow::Result<ControlFlow<()>> {
///         Ok(ControlFlow::Break(()))
///     }
/// }
///
/// let fm = FlowMod::add()
///     .matching(Match::new().in_port(1u32).eth_type(0x0800u16))
///     .instruction(Instruction::apply_actions(vec![Action::output(2u32), Action::output(3u32)]))
///     .instruction(Instruction::goto_table(1u8));
/// let bytes = Message::new(7, Body::FlowMod(fm)).to_vec()?;
///
/// let MessageView { body: BodyView::FlowMod(f), .. } = MessageView::parse(&bytes)? else {
///     unreachable!("a FLOW_MOD")
/// };
/// let mut flow = Flow::default();
/// // The match's TLVs, checked by `parse`: plain items, one 32-bit header compare each.
/// const IN_PORT: OxmHeader = OxmHeader::new(OFPXMC_OPENFLOW_BASIC, ofb::IN_PORT, false, 4);
/// for tlv in f.match_.tlvs() {
///     if let (IN_PORT, Ok(port)) = (tlv.header(), <[u8; 4]>::try_from(tlv.payload())) {
///         flow.in_port = Some(u32::from_be_bytes(port));
///     }
/// }
/// assert_eq!(f.instructions.visit(&mut flow)?, ControlFlow::Continue(()));
/// assert_eq!(flow, Flow { in_port: Some(1), outputs: vec![2, 3], goto_table: Some(1) });
///
/// // A flow that pushes a VLAN tag: the action visitor refuses it, which stops the walk.
/// let fm = FlowMod::add()
///     .instruction(Instruction::apply_actions(vec![Action::push_vlan(), Action::output(2u32)]));
/// let bytes = Message::new(8, Body::FlowMod(fm)).to_vec()?;
/// let MessageView { body: BodyView::FlowMod(f), .. } = MessageView::parse(&bytes)? else {
///     unreachable!("a FLOW_MOD")
/// };
/// let mut flow = Flow::default();
/// assert_eq!(f.instructions.visit(&mut flow)?, ControlFlow::Break(()));
/// assert!(flow.outputs.is_empty());
/// # Ok::<(), sdnwire_openflow::Error>(())
/// ```
pub trait InstructionVisitor<'a> {
    /// OFPIT_GOTO_TABLE with the next table.
    #[inline]
    fn goto_table(&mut self, table_id: TableId) -> Result<ControlFlow<()>> {
        self.other(InstructionView::GotoTable(table_id))
    }

    /// OFPIT_WRITE_METADATA: the value and the bits to write.
    #[inline]
    fn write_metadata(&mut self, metadata: u64, mask: u64) -> Result<ControlFlow<()>> {
        self.other(InstructionView::WriteMetadata { metadata, mask })
    }

    /// OFPIT_WRITE_ACTIONS with its action list, not yet checked: [`ActionsView::visit`]
    /// reads and checks it.
    #[inline]
    fn write_actions(&mut self, actions: ActionsView<'a>) -> Result<ControlFlow<()>> {
        self.other(InstructionView::WriteActions(actions))
    }

    /// OFPIT_APPLY_ACTIONS with its action list, not yet checked: [`ActionsView::visit`]
    /// reads and checks it.
    #[inline]
    fn apply_actions(&mut self, actions: ActionsView<'a>) -> Result<ControlFlow<()>> {
        self.other(InstructionView::ApplyActions(actions))
    }

    /// OFPIT_CLEAR_ACTIONS.
    #[inline]
    fn clear_actions(&mut self) -> Result<ControlFlow<()>> {
        self.other(InstructionView::ClearActions)
    }

    /// OFPIT_METER with the meter to apply.
    #[inline]
    fn meter(&mut self, meter_id: MeterId) -> Result<ControlFlow<()>> {
        self.other(InstructionView::Meter(meter_id))
    }

    /// OFPIT_EXPERIMENTER: the experimenter id and everything after it.
    #[inline]
    fn experimenter(&mut self, experimenter: u32, data: &'a [u8]) -> Result<ControlFlow<()>> {
        self.other(InstructionView::Experimenter { experimenter, data })
    }

    /// An instruction type this codec does not know: the type and everything after the
    /// 4-byte header.
    #[inline]
    fn unknown(&mut self, type_: InstructionType, data: &'a [u8]) -> Result<ControlFlow<()>> {
        self.other(InstructionView::Unknown { type_, data })
    }

    /// Every instruction whose method the visitor does not implement, as the iterator yields
    /// it. By default the instruction is ignored after [`InstructionView::validate`] (which
    /// checks the action list of write-actions and apply-actions).
    #[inline]
    fn other(&mut self, instruction: InstructionView<'a>) -> Result<ControlFlow<()>> {
        instruction.validate()?;
        Ok(ControlFlow::Continue(()))
    }
}

impl<'a> InstructionView<'a> {
    /// Calls the visitor's method for this instruction.
    #[inline]
    pub(crate) fn accept<V: InstructionVisitor<'a> + ?Sized>(
        self,
        v: &mut V,
    ) -> Result<ControlFlow<()>> {
        match self {
            InstructionView::GotoTable(t) => v.goto_table(t),
            InstructionView::WriteMetadata { metadata, mask } => v.write_metadata(metadata, mask),
            InstructionView::WriteActions(a) => v.write_actions(a),
            InstructionView::ApplyActions(a) => v.apply_actions(a),
            InstructionView::ClearActions => v.clear_actions(),
            InstructionView::Meter(m) => v.meter(m),
            InstructionView::Experimenter { experimenter, data } => {
                v.experimenter(experimenter, data)
            }
            InstructionView::Unknown { type_, data } => v.unknown(type_, data),
        }
    }

    /// The first instruction of `buf` (at `base` in the message) handed to `v` when it is
    /// well formed: [`InstructionView::parse_fast`]'s checks, with the visitor's method called
    /// where that function builds the enum. Returns what the visitor said and the rest of
    /// `buf`, `Ok(None)` (the visitor not called) for anything the fast path declines, or the
    /// error the visitor's method returned: each arm returns its error at once, so that the
    /// `Result` of the arms is never merged into one value in memory.
    #[inline(always)]
    fn visit_fast<V: InstructionVisitor<'a> + ?Sized>(
        buf: &'a [u8],
        base: usize,
        v: &mut V,
    ) -> Result<Option<(ControlFlow<()>, &'a [u8])>> {
        /// The value, or `Ok(None)` (declined) out of `visit_fast`.
        macro_rules! or_decline {
            ($e:expr) => {
                match $e {
                    Some(x) => x,
                    None => return Ok(None),
                }
            };
        }
        let (h, _) = or_decline!(TlvHead8::ref_from_front(buf).ok());
        let len = usize::from(h.len.get());
        let b = h.body;
        let ty = h.type_.get();
        let (all, tail) = or_decline!(buf.split_at_checked(len));
        // The action list of an apply- or write-actions instruction (each its own arm, so
        // that the type is tested once).
        macro_rules! actions {
            () => {
                ActionsView::new_unchecked(
                    or_decline!(all.get(INSTRUCTION_ACTIONS_LEN..)),
                    base + INSTRUCTION_ACTIONS_LEN,
                )
            };
        }
        let flow = match (ty, len) {
            (4, _) if len % 8 == 0 && b == [0; 4] => v.apply_actions(actions!())?,
            (3, _) if len % 8 == 0 && b == [0; 4] => v.write_actions(actions!())?,
            (1, 8) if b[1..] == [0; 3] => v.goto_table(TableId(b[0]))?,
            (5, 8) if b == [0; 4] => v.clear_actions()?,
            (6, 8) => v.meter(MeterId(u32::from_be_bytes(b)))?,
            _ => return InstructionView::visit_other(buf, v),
        };
        Ok(Some((flow, tail)))
    }

    /// The instructions [`InstructionView::visit_fast`] does not read inline
    /// ([`InstructionView::parse_fast_other`]'s), out of line.
    #[inline(never)]
    fn visit_other<V: InstructionVisitor<'a> + ?Sized>(
        buf: &'a [u8],
        v: &mut V,
    ) -> Result<Option<(ControlFlow<()>, &'a [u8])>> {
        let Some((i, len)) = InstructionView::parse_fast_other(buf) else {
            return Ok(None);
        };
        let Some(tail) = buf.get(len..) else {
            return Ok(None);
        };
        Ok(Some((i.accept(v)?, tail)))
    }

    /// The first instruction of `rest` (at `offset`) through the general reader: the exact
    /// error, or (not reached: the fast path takes every instruction the general reader
    /// accepts) what `v` said of the instruction, with the rest of the list.
    #[cold]
    #[inline(never)]
    fn visit_general<V: InstructionVisitor<'a> + ?Sized>(
        rest: &'a [u8],
        offset: usize,
        v: &mut V,
    ) -> Result<(ControlFlow<()>, &'a [u8])> {
        let (item, used) = general_item(rest, offset, InstructionView::parse_general);
        Ok((item?.accept(v)?, rest.get(used..).unwrap_or_default()))
    }
}

impl<'a> InstructionsView<'a> {
    /// Hands every instruction of the list, in order, to `v` (see [`InstructionVisitor`]),
    /// with the iterator's checks: each instruction is checked before its method is called,
    /// and the first malformed one ends the walk with the error the iterator yields for it
    /// (same kind, same offset); an error a method returns (a nested action list's) ends it
    /// too. Returns what the last method called said: [`ControlFlow::Break`] when the
    /// visitor stopped the walk (the instructions after it are neither read nor checked),
    /// [`ControlFlow::Continue`] when every instruction was visited. Allocates nothing.
    ///
    /// With a visitor that visits each action list as it comes, the calls and the error are
    /// those of iterating the instructions and, in turn, each one's actions.
    // Inlined into the caller, where the visitor's methods are: the walk's state and the
    // visitor's stay in registers, and no `Result` goes through memory.
    #[inline(always)]
    pub fn visit<V: InstructionVisitor<'a> + ?Sized>(&self, v: &mut V) -> Result<ControlFlow<()>> {
        if self.failed {
            return Ok(ControlFlow::Continue(()));
        }
        // Each item's offset is computed from how far the walk is, where it is needed (a
        // set-field's, an action list's, an error's), rather than carried through the loop.
        let (start, base) = (self.rest.len(), self.offset);
        let mut rest = self.rest;
        while !rest.is_empty() {
            let offset = base + (start - rest.len());
            let (flow, tail) = match InstructionView::visit_fast(rest, offset, v)? {
                Some(step) => step,
                None => InstructionView::visit_general(rest, offset, v)?,
            };
            if flow.is_break() {
                return Ok(flow);
            }
            rest = tail;
        }
        Ok(ControlFlow::Continue(()))
    }
}
