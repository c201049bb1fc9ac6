//! [`ActionVisitor`]: an action list read by calling one method per action, the reader's own
//! `match` on the action type choosing it, so that each action is dispatched once.

use core::ops::ControlFlow;

use super::{
    ActionType, ActionView, ActionsView, SetFieldView, ACTION_HEADER_LEN, ACTION_OUTPUT_LEN,
};
use crate::codec::{general_item, round8};
use crate::codec_error::Result;
use crate::nicira::NxActionView;
use crate::oxm::OXM_HEADER_LEN;
use crate::types::{GroupId, PortNo};
use crate::wire::{pad_is_zero, ActionOutput, TlvHead8};
use sdnwire_packet::wire::FixedLayout;

/// Reads an action list one action at a time, through one method per action kind: the
/// zero-copy reader for code that reads every action (a switch agent applying a flow, a
/// monitor reading each entry of a flow-stats reply). [`ActionsView::visit`] walks the list
/// with the same checks as the [`ActionsView`] iterator and calls the method of each action
/// from its own `match` on the action's type, with the action's values: no [`ActionView`] is
/// built for the common actions, and each action is dispatched once, where the iterator's
/// caller matches again on the enum it yields.
///
/// Every method has a default, which hands the action to [`other`](Self::other) as the
/// [`ActionView`] the iterator would yield; `other` continues by default. So a visitor
/// implements the kinds it reads and either ignores the rest (the default) or handles them
/// in `other` (to refuse them, say). Each method returns [`ControlFlow::Continue`] to go on to
/// the next action or [`ControlFlow::Break`] to stop the walk there.
///
/// The kinds are the iterator's: Nicira's actions (experimenter id 0x00002320 with a
/// subtype, [`ActionView::Nicira`]) come to [`nicira`](Self::nicira), not to
/// [`experimenter`](Self::experimenter). A visitor that refuses experimenter actions
/// implements both, or refuses in `other`.
///
/// The methods are called with the action's lifetime `'a`, so that a visitor can keep what
/// it borrows (a set-field's OXM TLV, experimenter data) for as long as the message.
///
/// A switch agent reading a PACKET_OUT's actions: the outputs and set-fields it applies, any
/// other kind refused:
///
/// ```
/// use core::ops::ControlFlow;
/// use sdnwire_openflow::action::{Action, ActionView, ActionVisitor, SetFieldView};
/// use sdnwire_openflow::codec::Reader;
/// use sdnwire_openflow::oxm::OxmField;
/// use sdnwire_openflow::packet_out::{PacketOut, PacketOutView};
/// use sdnwire_openflow::{Body, Encode, Message, PortNo};
///
/// /// The output ports of a list, and whether it sets a field.
/// #[derive(Default)]
/// struct Outputs {
///     ports: Vec<u32>,
///     sets_a_field: bool,
/// }
///
/// impl<'a> ActionVisitor<'a> for Outputs {
///     fn output(&mut self, port: PortNo, _max_len: u16) -> ControlFlow<()> {
///         self.ports.push(port.0);
///         ControlFlow::Continue(())
///     }
///     fn set_field(&mut self, _field: SetFieldView<'a>) -> ControlFlow<()> {
///         self.sets_a_field = true;
///         ControlFlow::Continue(())
///     }
///     // Every other action (here the push-VLAN) comes to `other`: refuse the list.
///     fn other(&mut self, _action: ActionView<'a>) -> ControlFlow<()> {
///         ControlFlow::Break(())
///     }
/// }
///
/// let actions = [
///     Action::output(1u32),
///     Action::set_field(OxmField::VlanVid(0x1000 | 10, None)),
///     Action::output(2u32),
/// ];
/// let packet_out = |actions: &[Action]| {
///     let p = PacketOut::new(PortNo::CONTROLLER).actions(actions.to_vec()).data(vec![0; 60]);
///     Message::new(1, Body::PacketOut(p)).to_vec()
/// };
///
/// let bytes = packet_out(&actions)?;
/// // The body, after the 8-byte header (offsets in errors count from the message's start).
/// let p = PacketOutView::parse(&mut Reader::new(&bytes[8..], 8))?;
/// let mut v = Outputs::default();
/// assert_eq!(p.actions.visit(&mut v)?, ControlFlow::Continue(()));
/// assert_eq!((v.ports, v.sets_a_field), (vec![1, 2], true));
///
/// // A push-VLAN first: `other` stops the walk there.
/// let mut with_push = vec![Action::push_vlan()];
/// with_push.extend(actions);
/// let bytes = packet_out(&with_push)?;
/// let p = PacketOutView::parse(&mut Reader::new(&bytes[8..], 8))?;
/// let mut v = Outputs::default();
/// assert_eq!((p.actions.visit(&mut v)?, v.ports.len()), (ControlFlow::Break(()), 0));
///
/// // A malformed action (the push-VLAN's length, at offset 26 of the message, set to 9):
/// // the body parses, the actions are checked as they are read, and the walk ends with
/// // the error the iterator gives, at the same offset.
/// let mut bad = bytes.clone();
/// bad[27] = 9;
/// let p = PacketOutView::parse(&mut Reader::new(&bad[8..], 8))?;
/// let err = p.actions.visit(&mut Outputs::default()).unwrap_err();
/// assert_eq!(Some(&err), p.actions.clone().next().and_then(|r| r.err()).as_ref());
/// assert_eq!(sdnwire_openflow::CodecError::offset(&err), Some(26));
/// # Ok::<(), sdnwire_openflow::Error>(())
/// ```
pub trait ActionVisitor<'a> {
    /// OFPAT_OUTPUT: `port`, and the bytes to send to the controller when `port` is
    /// [`PortNo::CONTROLLER`].
    #[inline]
    fn output(&mut self, port: PortNo, max_len: u16) -> ControlFlow<()> {
        self.other(ActionView::Output { port, max_len })
    }

    /// OFPAT_COPY_TTL_OUT.
    #[inline]
    fn copy_ttl_out(&mut self) -> ControlFlow<()> {
        self.other(ActionView::CopyTtlOut)
    }

    /// OFPAT_COPY_TTL_IN.
    #[inline]
    fn copy_ttl_in(&mut self) -> ControlFlow<()> {
        self.other(ActionView::CopyTtlIn)
    }

    /// OFPAT_SET_MPLS_TTL with the new TTL.
    #[inline]
    fn set_mpls_ttl(&mut self, ttl: u8) -> ControlFlow<()> {
        self.other(ActionView::SetMplsTtl(ttl))
    }

    /// OFPAT_DEC_MPLS_TTL.
    #[inline]
    fn dec_mpls_ttl(&mut self) -> ControlFlow<()> {
        self.other(ActionView::DecMplsTtl)
    }

    /// OFPAT_PUSH_VLAN with the tag's ethertype.
    #[inline]
    fn push_vlan(&mut self, ethertype: u16) -> ControlFlow<()> {
        self.other(ActionView::PushVlan(ethertype))
    }

    /// OFPAT_POP_VLAN.
    #[inline]
    fn pop_vlan(&mut self) -> ControlFlow<()> {
        self.other(ActionView::PopVlan)
    }

    /// OFPAT_PUSH_MPLS with the ethertype.
    #[inline]
    fn push_mpls(&mut self, ethertype: u16) -> ControlFlow<()> {
        self.other(ActionView::PushMpls(ethertype))
    }

    /// OFPAT_POP_MPLS with the payload's ethertype.
    #[inline]
    fn pop_mpls(&mut self, ethertype: u16) -> ControlFlow<()> {
        self.other(ActionView::PopMpls(ethertype))
    }

    /// OFPAT_SET_QUEUE with the queue id.
    #[inline]
    fn set_queue(&mut self, queue_id: u32) -> ControlFlow<()> {
        self.other(ActionView::SetQueue(queue_id))
    }

    /// OFPAT_GROUP with the group to apply.
    #[inline]
    fn group(&mut self, group: GroupId) -> ControlFlow<()> {
        self.other(ActionView::Group(group))
    }

    /// OFPAT_SET_NW_TTL with the new IP TTL.
    #[inline]
    fn set_nw_ttl(&mut self, ttl: u8) -> ControlFlow<()> {
        self.other(ActionView::SetNwTtl(ttl))
    }

    /// OFPAT_DEC_NW_TTL.
    #[inline]
    fn dec_nw_ttl(&mut self) -> ControlFlow<()> {
        self.other(ActionView::DecNwTtl)
    }

    /// OFPAT_SET_FIELD: the OXM TLV, borrowed ([`SetFieldView::oxm`] gives its 32-bit header
    /// and payload, [`SetFieldView::decode`] the typed field).
    #[inline]
    fn set_field(&mut self, field: SetFieldView<'a>) -> ControlFlow<()> {
        self.other(ActionView::SetField(field))
    }

    /// OFPAT_PUSH_PBB with the ethertype.
    #[inline]
    fn push_pbb(&mut self, ethertype: u16) -> ControlFlow<()> {
        self.other(ActionView::PushPbb(ethertype))
    }

    /// OFPAT_POP_PBB.
    #[inline]
    fn pop_pbb(&mut self) -> ControlFlow<()> {
        self.other(ActionView::PopPbb)
    }

    /// OFPAT_EXPERIMENTER (other than a Nicira action with a subtype): the experimenter id
    /// and everything after it.
    #[inline]
    fn experimenter(&mut self, experimenter: u32, data: &'a [u8]) -> ControlFlow<()> {
        self.other(ActionView::Experimenter { experimenter, data })
    }

    /// OFPAT_EXPERIMENTER with Nicira's id and a subtype, as [`ActionView::Nicira`] holds it.
    #[inline]
    fn nicira(&mut self, action: NxActionView<'a>) -> ControlFlow<()> {
        self.other(ActionView::Nicira(action))
    }

    /// An action type this codec does not know: the type and everything after the 4-byte
    /// header.
    #[inline]
    fn unknown(&mut self, type_: ActionType, data: &'a [u8]) -> ControlFlow<()> {
        self.other(ActionView::Unknown { type_, data })
    }

    /// Every action whose method the visitor does not implement, as the iterator yields it.
    /// Continues by default: the action is ignored.
    #[inline]
    fn other(&mut self, action: ActionView<'a>) -> ControlFlow<()> {
        let _ = action;
        ControlFlow::Continue(())
    }
}

impl<'a> ActionView<'a> {
    /// Calls the visitor's method for this action.
    #[inline]
    pub(crate) fn accept<V: ActionVisitor<'a> + ?Sized>(self, v: &mut V) -> ControlFlow<()> {
        match self {
            ActionView::Output { port, max_len } => v.output(port, max_len),
            ActionView::CopyTtlOut => v.copy_ttl_out(),
            ActionView::CopyTtlIn => v.copy_ttl_in(),
            ActionView::SetMplsTtl(t) => v.set_mpls_ttl(t),
            ActionView::DecMplsTtl => v.dec_mpls_ttl(),
            ActionView::PushVlan(e) => v.push_vlan(e),
            ActionView::PopVlan => v.pop_vlan(),
            ActionView::PushMpls(e) => v.push_mpls(e),
            ActionView::PopMpls(e) => v.pop_mpls(e),
            ActionView::SetQueue(q) => v.set_queue(q),
            ActionView::Group(g) => v.group(g),
            ActionView::SetNwTtl(t) => v.set_nw_ttl(t),
            ActionView::DecNwTtl => v.dec_nw_ttl(),
            ActionView::SetField(f) => v.set_field(f),
            ActionView::PushPbb(e) => v.push_pbb(e),
            ActionView::PopPbb => v.pop_pbb(),
            ActionView::Experimenter { experimenter, data } => v.experimenter(experimenter, data),
            ActionView::Nicira(nx) => v.nicira(nx),
            ActionView::Unknown { type_, data } => v.unknown(type_, data),
        }
    }

    /// The first action of `buf` (at `base` in the message) handed to `v` when it is well
    /// formed: [`ActionView::parse_fast`]'s checks, with the visitor's method called where
    /// that function builds the enum. Returns what the visitor said and the rest of `buf`, or
    /// `None` (the visitor not called) for anything the fast path declines.
    #[inline(always)]
    fn visit_fast<V: ActionVisitor<'a> + ?Sized>(
        buf: &'a [u8],
        base: usize,
        v: &mut V,
    ) -> Option<(ControlFlow<()>, &'a [u8])> {
        let (h, _) = TlvHead8::ref_from_front(buf).ok()?;
        let len = usize::from(h.len.get());
        let b = h.body;
        let (all, tail) = buf.split_at_checked(len)?;
        let flow = match (h.type_.get(), len) {
            (0, ACTION_OUTPUT_LEN) => {
                // From `all`, whose length the arm has just compared: no second length test.
                let (o, _) = ActionOutput::ref_from_front(all).ok()?;
                if o.pad != [0; 6] {
                    return None;
                }
                v.output(PortNo(o.port.get()), o.max_len.get())
            }
            (17, 8) if b[2..] == [0, 0] => v.push_vlan(u16::from_be_bytes([b[0], b[1]])),
            (18, 8) if b == [0; 4] => v.pop_vlan(),
            (21, 8) => v.set_queue(u32::from_be_bytes(b)),
            (22, 8) => v.group(GroupId(u32::from_be_bytes(b))),
            (24, 8) if b == [0; 4] => v.dec_nw_ttl(),
            (25, _) => {
                let oxm_end = ACTION_HEADER_LEN + OXM_HEADER_LEN + usize::from(b[3]);
                if round8(oxm_end) != len || !pad_is_zero(all, len, len - oxm_end)? {
                    return None;
                }
                v.set_field(SetFieldView {
                    oxm: all.get(ACTION_HEADER_LEN..oxm_end)?,
                    offset: base + ACTION_HEADER_LEN,
                })
            }
            _ => return ActionView::visit_other(buf, v),
        };
        Some((flow, tail))
    }

    /// The actions [`ActionView::visit_fast`] does not read inline ([`ActionView::parse_fast_other`]'s),
    /// out of line so that they do not weigh on the common ones' code.
    #[inline(never)]
    fn visit_other<V: ActionVisitor<'a> + ?Sized>(
        buf: &'a [u8],
        v: &mut V,
    ) -> Option<(ControlFlow<()>, &'a [u8])> {
        let (a, len) = ActionView::parse_fast_other(buf)?;
        let tail = buf.get(len..)?;
        Some((a.accept(v), tail))
    }

    /// The first action of `rest` (at `offset`) through the general reader: the exact error,
    /// or (not reached: the fast path takes every action the general reader accepts) the
    /// action handed to `v`, with the rest of the list.
    #[cold]
    #[inline(never)]
    fn visit_general<V: ActionVisitor<'a> + ?Sized>(
        rest: &'a [u8],
        offset: usize,
        v: &mut V,
    ) -> Result<(ControlFlow<()>, &'a [u8])> {
        let (item, used) = general_item(rest, offset, ActionView::parse_general);
        Ok((item?.accept(v), rest.get(used..).unwrap_or_default()))
    }
}

impl<'a> ActionsView<'a> {
    /// Hands every action of the list, in order, to `v` (see [`ActionVisitor`]), with the
    /// iterator's checks: each action is checked before its method is called, and the first
    /// malformed one ends the walk with the error the iterator yields for it (same kind, same
    /// offset). Returns what the last method called said: [`ControlFlow::Break`] when the
    /// visitor stopped the walk (the actions after it are neither read nor checked),
    /// [`ControlFlow::Continue`] when every action was visited. Allocates nothing.
    ///
    /// The list is walked from where its iteration stands (a list that has already yielded
    /// an error has nothing left to visit).
    // Inlined into the caller, where the visitor's methods are: the walk's state and the
    // visitor's stay in registers, and no `Result` goes through memory.
    #[inline(always)]
    pub fn visit<V: ActionVisitor<'a> + ?Sized>(&self, v: &mut V) -> Result<ControlFlow<()>> {
        if self.failed {
            return Ok(ControlFlow::Continue(()));
        }
        // Each item's offset is computed from how far the walk is, where it is needed (a
        // set-field's, an action list's, an error's), rather than carried through the loop.
        let (start, base) = (self.rest.len(), self.offset);
        let mut rest = self.rest;
        while !rest.is_empty() {
            let offset = base + (start - rest.len());
            let (flow, tail) = match ActionView::visit_fast(rest, offset, v) {
                Some(step) => step,
                None => ActionView::visit_general(rest, offset, v)?,
            };
            if flow.is_break() {
                return Ok(flow);
            }
            rest = tail;
        }
        Ok(ControlFlow::Continue(()))
    }
}
