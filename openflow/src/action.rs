//! Actions (`ofp_action_*`): what a flow's instructions, a packet-out and a group bucket do to a
//! packet.
//!
//! Every action starts with a 4-byte header (`type`, `len`); `len` covers the whole action, is
//! at least 8 and a multiple of 8, and is exactly the structure's size for the fixed-size
//! actions. A set-field action holds one OXM TLV padded with zeros to a multiple of 8.
//!
//! - [`Action`] is the owned form (public fields, constructors, [`Encode`](crate::Encode));
//! - [`ActionsView`] walks an encoded action list without allocating and yields [`ActionView`]s,
//!   which borrow the variable parts (OXM, experimenter data) from the message buffer;
//!   [`ActionsView::visit`] reads the same list through an [`ActionVisitor`] (one method per
//!   action kind, each action dispatched once), for code that reads every action;
//! - [`Action`]'s `Display` is ovs-ofctl's notation (`output:2`, `CONTROLLER:65535`,
//!   `push_vlan:0x8100`, `set_field:10.0.0.1->ip_dst`), and [`DisplayActions`] joins a list with
//!   `,` (`drop` when empty).
//!
//! Every length is checked once while walking; after that no accessor fails or panics, and
//! every accepted list encodes back to identical bytes.

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;

use crate::codec::{len16, pad8, put_zeros, round8, ElementLen, OwnedList, Reader, WireWrite};
use crate::codec_error::{Error, Result};
use crate::nicira::{NxAction, NxActionView, NX_EXPERIMENTER_ID};
use crate::ofctl::fields::{self, FieldDef};
use crate::oxm::OXM_HEADER_LEN;
use crate::oxm::{OxmField, OxmFieldView};
use crate::types::{GroupId, PortNo, OFPCML_NO_BUFFER};
use crate::wire::{pad_is_zero, ActionOutput, TlvHead8};
use sdnwire_inline::InlineVec;
use sdnwire_packet::wire::FixedLayout;

/// Length of the action header (`type`, `len`).
pub const ACTION_HEADER_LEN: usize = 4;
/// Minimum length of any action (`ofp_action_header` with its padding).
pub const ACTION_MIN_LEN: usize = 8;
/// Length of `ofp_action_output`.
pub const ACTION_OUTPUT_LEN: usize = 16;
/// Length of `ofp_action_experimenter_header` (without experimenter data).
pub const ACTION_EXPERIMENTER_LEN: usize = 8;

crate::types::open_enum! {
    /// An action type (`ofp_action_type`). Open: any value parses.
    pub struct ActionType(u16) as "OFPAT_", unknown "{:#06x}" {
        /// OFPAT_OUTPUT: output to a port.
        OUTPUT = 0,
        /// OFPAT_COPY_TTL_OUT: copy the TTL from the next-to-outermost header to the outermost.
        COPY_TTL_OUT = 11,
        /// OFPAT_COPY_TTL_IN: copy the TTL from the outermost header to the next-to-outermost.
        COPY_TTL_IN = 12,
        /// OFPAT_SET_MPLS_TTL: set the MPLS TTL.
        SET_MPLS_TTL = 15,
        /// OFPAT_DEC_MPLS_TTL: decrement the MPLS TTL.
        DEC_MPLS_TTL = 16,
        /// OFPAT_PUSH_VLAN: push a new VLAN tag.
        PUSH_VLAN = 17,
        /// OFPAT_POP_VLAN: pop the outer VLAN tag.
        POP_VLAN = 18,
        /// OFPAT_PUSH_MPLS: push a new MPLS label.
        PUSH_MPLS = 19,
        /// OFPAT_POP_MPLS: pop the outer MPLS label.
        POP_MPLS = 20,
        /// OFPAT_SET_QUEUE: set the queue id for output.
        SET_QUEUE = 21,
        /// OFPAT_GROUP: apply a group.
        GROUP = 22,
        /// OFPAT_SET_NW_TTL: set the IP TTL.
        SET_NW_TTL = 23,
        /// OFPAT_DEC_NW_TTL: decrement the IP TTL.
        DEC_NW_TTL = 24,
        /// OFPAT_SET_FIELD: set a header field from an OXM TLV.
        SET_FIELD = 25,
        /// OFPAT_PUSH_PBB: push a new PBB service tag (I-TAG).
        PUSH_PBB = 26,
        /// OFPAT_POP_PBB: pop the outer PBB service tag.
        POP_PBB = 27,
        /// OFPAT_EXPERIMENTER.
        EXPERIMENTER = 0xffff,
    }
}

impl ActionType {
    /// The exact encoded length of actions of this type, for the fixed-size ones.
    pub const fn fixed_len(self) -> Option<usize> {
        match self.0 {
            0 => Some(ACTION_OUTPUT_LEN),
            11 | 12 | 15..=24 | 26 | 27 => Some(ACTION_MIN_LEN),
            _ => None,
        }
    }

    /// The C structure name used in error messages.
    const fn what(self) -> &'static str {
        match self.0 {
            0 => "ofp_action_output",
            15 => "ofp_action_mpls_ttl",
            17 | 19 | 20 | 26 => "ofp_action_push",
            21 => "ofp_action_set_queue",
            22 => "ofp_action_group",
            23 => "ofp_action_nw_ttl",
            25 => "ofp_action_set_field",
            0xffff => "ofp_action_experimenter_header",
            _ => "ofp_action_header",
        }
    }
}

/// The action list of an apply-actions or write-actions [`Instruction`]: up to 4 actions
/// inline (a learning switch's or a router's list: no allocation), on the heap past that. It
/// dereferences to `[Action]` (read it as a slice), compares with slices, arrays and vectors,
/// and builds from `vec![..]`, arrays and iterators (`.into()`, `collect()`); it converts into
/// `Vec<Action>`. The inline room has a size cost: on 64-bit targets an `ActionList` takes
/// 200 bytes (an [`Action`] 48), where a `Vec` takes 24.
///
/// [`Instruction`]: crate::instruction::Instruction
pub type ActionList = InlineVec<Action, 4>;

/// One OpenFlow 1.3 action, owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// OFPAT_OUTPUT: send the packet out `port`; `max_len` is the number of bytes to send to
    /// the controller when `port` is [`PortNo::CONTROLLER`] ([`OFPCML_NO_BUFFER`] for all).
    Output {
        /// Output port.
        port: PortNo,
        /// Bytes to send to the controller.
        max_len: u16,
    },
    /// OFPAT_COPY_TTL_OUT.
    CopyTtlOut,
    /// OFPAT_COPY_TTL_IN.
    CopyTtlIn,
    /// OFPAT_SET_MPLS_TTL with the new TTL.
    SetMplsTtl(u8),
    /// OFPAT_DEC_MPLS_TTL.
    DecMplsTtl,
    /// OFPAT_PUSH_VLAN with the tag's ethertype (0x8100 or 0x88a8).
    PushVlan(u16),
    /// OFPAT_POP_VLAN.
    PopVlan,
    /// OFPAT_PUSH_MPLS with the ethertype (0x8847 or 0x8848).
    PushMpls(u16),
    /// OFPAT_POP_MPLS with the ethertype of the payload after the pop.
    PopMpls(u16),
    /// OFPAT_SET_QUEUE with the queue id.
    SetQueue(u32),
    /// OFPAT_GROUP with the group to apply.
    Group(GroupId),
    /// OFPAT_SET_NW_TTL with the new IP TTL.
    SetNwTtl(u8),
    /// OFPAT_DEC_NW_TTL.
    DecNwTtl,
    /// OFPAT_SET_FIELD: set the field the OXM TLV names to its value.
    SetField(OxmField),
    /// OFPAT_PUSH_PBB with the ethertype (0x88e7).
    PushPbb(u16),
    /// OFPAT_POP_PBB.
    PopPbb,
    /// OFPAT_EXPERIMENTER: kept raw. `data` follows the experimenter id and includes any
    /// padding, so that `8 + data.len()` is the action's length (a multiple of 8).
    Experimenter {
        /// Experimenter id (0x2320 for Nicira).
        experimenter: u32,
        /// Everything after the experimenter id.
        data: Vec<u8>,
    },
    /// An action type this codec does not know, kept raw: `data` is everything after the
    /// 4-byte header, so that `4 + data.len()` is the action's length.
    Unknown {
        /// The action type.
        type_: ActionType,
        /// Everything after `type` and `len`.
        data: Vec<u8>,
    },
    /// OFPAT_EXPERIMENTER with Nicira's id (0x2320), typed (see [`crate::nicira`]). Parsing
    /// gives this variant only when the typed action encodes back to the exact bytes; other
    /// Nicira data stays [`Action::Experimenter`].
    Nicira(NxAction),
}

impl Action {
    /// Output to `port` (a physical port number or a reserved [`PortNo`]); `max_len` is
    /// [`OFPCML_NO_BUFFER`], which only matters for the controller port.
    pub fn output(port: impl Into<PortNo>) -> Action {
        Action::Output {
            port: port.into(),
            max_len: OFPCML_NO_BUFFER,
        }
    }

    /// Output to `port` sending at most `max_len` bytes when the port is the controller.
    pub fn output_max_len(port: impl Into<PortNo>, max_len: u16) -> Action {
        Action::Output {
            port: port.into(),
            max_len,
        }
    }

    /// Send to the controller, at most `max_len` bytes ([`OFPCML_NO_BUFFER`]: the whole
    /// packet, unbuffered).
    pub fn output_to_controller(max_len: u16) -> Action {
        Action::Output {
            port: PortNo::CONTROLLER,
            max_len,
        }
    }

    /// Flood (OFPP_FLOOD).
    pub fn flood() -> Action {
        Action::output(PortNo::FLOOD)
    }

    /// Back out the input port (OFPP_IN_PORT).
    pub fn in_port() -> Action {
        Action::output(PortNo::IN_PORT)
    }

    /// Set a header field.
    pub fn set_field(field: OxmField) -> Action {
        Action::SetField(field)
    }

    /// Apply a group.
    pub fn group(group: impl Into<GroupId>) -> Action {
        Action::Group(group.into())
    }

    /// Set the output queue.
    pub fn set_queue(queue_id: u32) -> Action {
        Action::SetQueue(queue_id)
    }

    /// Push an 802.1Q tag (ethertype 0x8100).
    pub fn push_vlan() -> Action {
        Action::PushVlan(0x8100)
    }

    /// Push an 802.1ad tag (ethertype 0x88a8).
    pub fn push_vlan_8021ad() -> Action {
        Action::PushVlan(0x88a8)
    }

    /// Pop the outer VLAN tag.
    pub fn pop_vlan() -> Action {
        Action::PopVlan
    }

    /// Push an MPLS unicast label (ethertype 0x8847).
    pub fn push_mpls() -> Action {
        Action::PushMpls(0x8847)
    }

    /// Pop an MPLS label; `ethertype` is that of the payload after the pop.
    pub fn pop_mpls(ethertype: u16) -> Action {
        Action::PopMpls(ethertype)
    }

    /// Decrement the IP TTL.
    pub fn dec_nw_ttl() -> Action {
        Action::DecNwTtl
    }

    /// Set the IP TTL.
    pub fn set_nw_ttl(ttl: u8) -> Action {
        Action::SetNwTtl(ttl)
    }

    /// An experimenter action; `data` (everything after the experimenter id) must bring the
    /// action to a multiple of 8 bytes (`data.len() % 8 == 0`).
    pub fn experimenter(experimenter: u32, data: Vec<u8>) -> Action {
        Action::Experimenter { experimenter, data }
    }

    /// The action's type number.
    pub fn action_type(&self) -> ActionType {
        match self {
            Action::Output { .. } => ActionType::OUTPUT,
            Action::CopyTtlOut => ActionType::COPY_TTL_OUT,
            Action::CopyTtlIn => ActionType::COPY_TTL_IN,
            Action::SetMplsTtl(_) => ActionType::SET_MPLS_TTL,
            Action::DecMplsTtl => ActionType::DEC_MPLS_TTL,
            Action::PushVlan(_) => ActionType::PUSH_VLAN,
            Action::PopVlan => ActionType::POP_VLAN,
            Action::PushMpls(_) => ActionType::PUSH_MPLS,
            Action::PopMpls(_) => ActionType::POP_MPLS,
            Action::SetQueue(_) => ActionType::SET_QUEUE,
            Action::Group(_) => ActionType::GROUP,
            Action::SetNwTtl(_) => ActionType::SET_NW_TTL,
            Action::DecNwTtl => ActionType::DEC_NW_TTL,
            Action::SetField(_) => ActionType::SET_FIELD,
            Action::PushPbb(_) => ActionType::PUSH_PBB,
            Action::PopPbb => ActionType::POP_PBB,
            Action::Experimenter { .. } | Action::Nicira(_) => ActionType::EXPERIMENTER,
            Action::Unknown { type_, .. } => *type_,
        }
    }

    /// Parses one action, checking its length field.
    pub fn parse(r: &mut Reader<'_>) -> Result<Action> {
        ActionView::parse(r)?.decode()
    }

    /// Displays a list in ovs-ofctl notation: actions joined with `,`, `drop` when empty.
    pub fn display_list(actions: &[Action]) -> DisplayActions<'_> {
        DisplayActions(actions)
    }
}

crate::codec::owned_list_fns!(Action, ActionsView, "an action", "action");

crate::codec::impl_encode!(Action);

impl WireWrite for Action {
    fn encoded_len(&self) -> usize {
        match self {
            Action::Output { .. } => ACTION_OUTPUT_LEN,
            Action::SetField(oxm) => round8(ACTION_HEADER_LEN + oxm.encoded_len()),
            Action::Experimenter { data, .. } => ACTION_EXPERIMENTER_LEN + data.len(),
            Action::Nicira(nx) => ACTION_EXPERIMENTER_LEN + nx.data_len(),
            Action::Unknown { data, .. } => ACTION_HEADER_LEN + data.len(),
            _ => ACTION_MIN_LEN,
        }
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        let len = self.encoded_len();
        let ty = self.action_type();
        if matches!(self, Action::Unknown { .. }) && ty.name().is_some() {
            return Err(Error::Unencodable {
                what: "ofp_action_header",
                reason: "Action::Unknown with the type of a known action",
            });
        }
        if len % 8 != 0 {
            return Err(Error::Unencodable {
                what: ty.what(),
                reason: "action length is not a multiple of 8",
            });
        }
        let len = len16(ty.what(), len)?;
        out.put_u16(ty.0);
        out.put_u16(len);
        match self {
            Action::Output { port, max_len } => {
                out.put_u32(port.0);
                out.put_u16(*max_len);
                put_zeros(out, 6);
            }
            Action::CopyTtlOut
            | Action::CopyTtlIn
            | Action::DecMplsTtl
            | Action::PopVlan
            | Action::DecNwTtl
            | Action::PopPbb => put_zeros(out, 4),
            Action::SetMplsTtl(ttl) | Action::SetNwTtl(ttl) => {
                out.put_u8(*ttl);
                put_zeros(out, 3);
            }
            Action::PushVlan(et) | Action::PushMpls(et) | Action::PopMpls(et) => {
                out.put_u16(*et);
                put_zeros(out, 2);
            }
            Action::PushPbb(et) => {
                out.put_u16(*et);
                put_zeros(out, 2);
            }
            Action::SetQueue(q) => out.put_u32(*q),
            Action::Group(g) => out.put_u32(g.0),
            Action::SetField(oxm) => {
                oxm.write(out)?;
                put_zeros(out, pad8(ACTION_HEADER_LEN + oxm.encoded_len()));
            }
            Action::Experimenter { experimenter, data } => {
                out.put_u32(*experimenter);
                out.put_slice(data);
            }
            Action::Nicira(nx) => {
                out.put_u32(NX_EXPERIMENTER_ID);
                nx.write_data(out)?;
            }
            Action::Unknown { data, .. } => out.put_slice(data),
        }
        Ok(())
    }
}

/// One action borrowed from an encoded list: fixed actions decoded, variable parts borrowed.
/// Produced by [`ActionsView`] (and [`ActionView::parse`]) after the length checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ActionView<'a> {
    /// OFPAT_OUTPUT.
    Output {
        /// Output port.
        port: PortNo,
        /// Bytes to send to the controller.
        max_len: u16,
    },
    /// OFPAT_COPY_TTL_OUT.
    CopyTtlOut,
    /// OFPAT_COPY_TTL_IN.
    CopyTtlIn,
    /// OFPAT_SET_MPLS_TTL.
    SetMplsTtl(u8),
    /// OFPAT_DEC_MPLS_TTL.
    DecMplsTtl,
    /// OFPAT_PUSH_VLAN.
    PushVlan(u16),
    /// OFPAT_POP_VLAN.
    PopVlan,
    /// OFPAT_PUSH_MPLS.
    PushMpls(u16),
    /// OFPAT_POP_MPLS.
    PopMpls(u16),
    /// OFPAT_SET_QUEUE.
    SetQueue(u32),
    /// OFPAT_GROUP.
    Group(GroupId),
    /// OFPAT_SET_NW_TTL.
    SetNwTtl(u8),
    /// OFPAT_DEC_NW_TTL.
    DecNwTtl,
    /// OFPAT_SET_FIELD: the OXM TLV, borrowed.
    SetField(SetFieldView<'a>),
    /// OFPAT_PUSH_PBB.
    PushPbb(u16),
    /// OFPAT_POP_PBB.
    PopPbb,
    /// OFPAT_EXPERIMENTER, borrowed (Nicira's with a subtype is [`ActionView::Nicira`]).
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// Everything after the experimenter id.
        data: &'a [u8],
    },
    /// An unknown action type, borrowed.
    Unknown {
        /// The action type.
        type_: ActionType,
        /// Everything after `type` and `len`.
        data: &'a [u8],
    },
    /// OFPAT_EXPERIMENTER with Nicira's id and a subtype, borrowed: `decode()` types it
    /// ([`Action::Nicira`]) when the typed action gives back the exact bytes.
    Nicira(NxActionView<'a>),
}

/// The OXM TLV of a set-field action, borrowed from the message (padding excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetFieldView<'a> {
    oxm: &'a [u8],
    offset: usize,
}

impl<'a> SetFieldView<'a> {
    /// The OXM TLV's bytes (header included, padding excluded).
    pub fn oxm_bytes(&self) -> &'a [u8] {
        self.oxm
    }

    /// Offset of the OXM TLV from the start of the message.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The OXM TLV as a field view: its 32-bit header and its payload (what a match's TLVs
    /// are), without decoding it. The action's checks made sure the TLV holds its header and
    /// exactly the payload its length byte counts.
    #[inline]
    pub fn oxm(&self) -> OxmFieldView<'a> {
        OxmFieldView::from_tlv(self.oxm, self.offset)
    }

    /// Decodes the OXM TLV.
    pub fn decode(&self) -> Result<OxmField> {
        let mut r = Reader::new(self.oxm, self.offset);
        let f = OxmField::parse(&mut r)?;
        r.finish("ofp_action_set_field.field")?;
        Ok(f)
    }
}

impl<'a> ActionView<'a> {
    /// Reads one action from `r`, checking its length field: at least 8, a multiple of 8,
    /// within `r`, and exactly the structure's size for fixed-size actions. Set-field actions
    /// must hold exactly one OXM TLV followed by zero padding to the next multiple of 8.
    #[inline]
    pub fn parse(r: &mut Reader<'a>) -> Result<ActionView<'a>> {
        r.fast_or_general(ActionView::parse_fast, ActionView::parse_general)
    }

    /// Every action off the slice (`buf` starts at `base` in the message), one bounds check
    /// each: the fixed-size ones at their exact length with zero padding, set-field with one
    /// OXM TLV and zero padding, experimenter and unknown types at a length that is at least
    /// 8, a multiple of 8 and within `buf`. `None` for every malformed action
    /// ([`ActionView::parse_general`] then builds the exact error). The common actions
    /// (output, push/pop VLAN, set-queue, group, set-field) are read here, inline in the
    /// list's loop; the others in [`ActionView::parse_fast_other`], out of line, so that they
    /// do not weigh on the common ones' code.
    #[inline(always)]
    fn parse_fast(buf: &'a [u8], base: usize) -> Option<(ActionView<'a>, usize)> {
        let (h, _) = TlvHead8::ref_from_front(buf).ok()?;
        let len = usize::from(h.len.get());
        let b = h.body;
        let a = match (h.type_.get(), len) {
            (0, ACTION_OUTPUT_LEN) => {
                let (o, _) = ActionOutput::ref_from_front(buf).ok()?;
                if o.pad != [0; 6] {
                    return None;
                }
                ActionView::Output {
                    port: PortNo(o.port.get()),
                    max_len: o.max_len.get(),
                }
            }
            (17, 8) if b[2..] == [0, 0] => ActionView::PushVlan(u16::from_be_bytes([b[0], b[1]])),
            (18, 8) if b == [0; 4] => ActionView::PopVlan,
            (21, 8) => ActionView::SetQueue(u32::from_be_bytes(b)),
            (22, 8) => ActionView::Group(GroupId(u32::from_be_bytes(b))),
            (25, _) => {
                // One OXM TLV (its payload length is the header's last byte), then zero
                // padding to the action's length, which is the TLV's end rounded up to 8.
                let oxm_end = ACTION_HEADER_LEN + OXM_HEADER_LEN + usize::from(b[3]);
                let all = buf.get(..len)?;
                if round8(oxm_end) != len || !pad_is_zero(all, len, len - oxm_end)? {
                    return None;
                }
                ActionView::SetField(SetFieldView {
                    oxm: all.get(ACTION_HEADER_LEN..oxm_end)?,
                    offset: base + ACTION_HEADER_LEN,
                })
            }
            _ => return ActionView::parse_fast_other(buf),
        };
        Some((a, len))
    }

    /// The actions [`ActionView::parse_fast`] does not read inline: TTL, MPLS, PBB,
    /// experimenter (Nicira's among them) and unknown types, off the slice with the general
    /// parser's checks; `None` for a malformed one.
    #[inline(never)]
    fn parse_fast_other(buf: &'a [u8]) -> Option<(ActionView<'a>, usize)> {
        let (h, _) = TlvHead8::ref_from_front(buf).ok()?;
        let len = usize::from(h.len.get());
        let b = h.body;
        let ty = h.type_.get();
        // The 2-byte ethertype of push/pop actions, followed by 2 bytes of zero padding.
        let et = (b[2..] == [0, 0]).then(|| u16::from_be_bytes([b[0], b[1]]));
        // The 1-byte TTL of the TTL actions, followed by 3 bytes of zero padding.
        let ttl = (b[1..] == [0; 3]).then_some(b[0]);
        let zero = b == [0; 4];
        let a = match (ty, len) {
            (11, 8) if zero => ActionView::CopyTtlOut,
            (12, 8) if zero => ActionView::CopyTtlIn,
            (15, 8) => ActionView::SetMplsTtl(ttl?),
            (16, 8) if zero => ActionView::DecMplsTtl,
            (19, 8) => ActionView::PushMpls(et?),
            (20, 8) => ActionView::PopMpls(et?),
            (23, 8) => ActionView::SetNwTtl(ttl?),
            (24, 8) if zero => ActionView::DecNwTtl,
            (26, 8) => ActionView::PushPbb(et?),
            (27, 8) if zero => ActionView::PopPbb,
            (0xffff, _) if len % 8 == 0 => {
                // At least 8 (the `get` below refuses less), a multiple of 8, within `buf`.
                let data = buf.get(ACTION_EXPERIMENTER_LEN..len)?;
                let experimenter = u32::from_be_bytes(b);
                match NxActionView::new(data) {
                    Some(nx) if experimenter == NX_EXPERIMENTER_ID => ActionView::Nicira(nx),
                    _ => ActionView::Experimenter { experimenter, data },
                }
            }
            (_, _)
                if len >= ACTION_MIN_LEN
                    && len % 8 == 0
                    && ty != 25
                    && ty != 0xffff
                    && ActionType(ty).fixed_len().is_none() =>
            {
                ActionView::Unknown {
                    type_: ActionType(ty),
                    data: buf.get(ACTION_HEADER_LEN..len)?,
                }
            }
            _ => return None,
        };
        Some((a, len))
    }

    /// Field by field through `r`, with an exact error for whatever is wrong.
    #[inline(never)]
    pub(crate) fn parse_general(r: &mut Reader<'a>) -> Result<ActionView<'a>> {
        const ACTION: ElementLen = ElementLen {
            head: "ofp_action_header",
            min: ACTION_MIN_LEN,
            below_min: "below the 8-byte minimum of an action",
            past_end: "past the end of the action list",
        };
        let (ty, what, mut a) = ACTION.take(r, |ty| {
            let ty = ActionType(ty);
            let fixed = ty.fixed_len().map(|fixed| {
                let why = if fixed == ACTION_OUTPUT_LEN {
                    "OFPAT_OUTPUT is exactly 16 bytes"
                } else {
                    "this action is exactly 8 bytes"
                };
                (fixed, why)
            });
            (ty.what(), fixed)
        })?;
        let ty = ActionType(ty);
        let action = match ty {
            ActionType::OUTPUT => {
                let port = PortNo(a.u32("ofp_action_output.port")?);
                let max_len = a.u16("ofp_action_output.max_len")?;
                a.pad(6, "ofp_action_output.pad")?;
                ActionView::Output { port, max_len }
            }
            ActionType::COPY_TTL_OUT => pad4(&mut a, ActionView::CopyTtlOut)?,
            ActionType::COPY_TTL_IN => pad4(&mut a, ActionView::CopyTtlIn)?,
            ActionType::DEC_MPLS_TTL => pad4(&mut a, ActionView::DecMplsTtl)?,
            ActionType::POP_VLAN => pad4(&mut a, ActionView::PopVlan)?,
            ActionType::DEC_NW_TTL => pad4(&mut a, ActionView::DecNwTtl)?,
            ActionType::POP_PBB => pad4(&mut a, ActionView::PopPbb)?,
            ActionType::SET_MPLS_TTL => {
                let ttl = a.u8("ofp_action_mpls_ttl.mpls_ttl")?;
                a.pad(3, "ofp_action_mpls_ttl.pad")?;
                ActionView::SetMplsTtl(ttl)
            }
            ActionType::SET_NW_TTL => {
                let ttl = a.u8("ofp_action_nw_ttl.nw_ttl")?;
                a.pad(3, "ofp_action_nw_ttl.pad")?;
                ActionView::SetNwTtl(ttl)
            }
            ActionType::PUSH_VLAN
            | ActionType::PUSH_MPLS
            | ActionType::POP_MPLS
            | ActionType::PUSH_PBB => {
                let et = a.u16(if ty == ActionType::POP_MPLS {
                    "ofp_action_pop_mpls.ethertype"
                } else {
                    "ofp_action_push.ethertype"
                })?;
                a.pad(2, "ofp_action_push.pad")?;
                match ty {
                    ActionType::PUSH_VLAN => ActionView::PushVlan(et),
                    ActionType::PUSH_MPLS => ActionView::PushMpls(et),
                    ActionType::POP_MPLS => ActionView::PopMpls(et),
                    _ => ActionView::PushPbb(et),
                }
            }
            ActionType::SET_QUEUE => ActionView::SetQueue(a.u32("ofp_action_set_queue.queue_id")?),
            ActionType::GROUP => ActionView::Group(GroupId(a.u32("ofp_action_group.group_id")?)),
            ActionType::SET_FIELD => {
                let len = ACTION_HEADER_LEN + a.remaining();
                // OXM header: class (2), field|hasmask (1), payload length (1).
                let oxm_len_at = a.offset() + 3;
                let oxm_payload = a
                    .clone()
                    .array::<4>("ofp_action_set_field.field")
                    .map(|h| usize::from(h[3]))?;
                let oxm_total = 4 + oxm_payload;
                if round8(ACTION_HEADER_LEN + oxm_total) != len {
                    return Err(Reader::bad_length(
                        "ofp_action_set_field.field",
                        oxm_len_at,
                        oxm_payload,
                        if ACTION_HEADER_LEN + oxm_total > len {
                            "OXM runs past the end of the set-field action"
                        } else {
                            "set-field action longer than its OXM rounded up to 8"
                        },
                    ));
                }
                let offset = a.offset();
                let oxm = a.bytes(oxm_total, "ofp_action_set_field.field")?;
                let pad = a.remaining();
                a.pad(pad, "ofp_action_set_field.pad")?;
                ActionView::SetField(SetFieldView { oxm, offset })
            }
            ActionType::EXPERIMENTER => {
                let experimenter = a.u32("ofp_action_experimenter_header.experimenter")?;
                let data = a.rest();
                match NxActionView::new(data) {
                    Some(nx) if experimenter == NX_EXPERIMENTER_ID => ActionView::Nicira(nx),
                    _ => ActionView::Experimenter { experimenter, data },
                }
            }
            _ => ActionView::Unknown {
                type_: ty,
                data: a.rest(),
            },
        };
        a.finish(what)?;
        Ok(action)
    }

    /// The action's type number.
    pub fn action_type(&self) -> ActionType {
        match self {
            ActionView::Output { .. } => ActionType::OUTPUT,
            ActionView::CopyTtlOut => ActionType::COPY_TTL_OUT,
            ActionView::CopyTtlIn => ActionType::COPY_TTL_IN,
            ActionView::SetMplsTtl(_) => ActionType::SET_MPLS_TTL,
            ActionView::DecMplsTtl => ActionType::DEC_MPLS_TTL,
            ActionView::PushVlan(_) => ActionType::PUSH_VLAN,
            ActionView::PopVlan => ActionType::POP_VLAN,
            ActionView::PushMpls(_) => ActionType::PUSH_MPLS,
            ActionView::PopMpls(_) => ActionType::POP_MPLS,
            ActionView::SetQueue(_) => ActionType::SET_QUEUE,
            ActionView::Group(_) => ActionType::GROUP,
            ActionView::SetNwTtl(_) => ActionType::SET_NW_TTL,
            ActionView::DecNwTtl => ActionType::DEC_NW_TTL,
            ActionView::SetField(_) => ActionType::SET_FIELD,
            ActionView::PushPbb(_) => ActionType::PUSH_PBB,
            ActionView::PopPbb => ActionType::POP_PBB,
            ActionView::Experimenter { .. } | ActionView::Nicira(_) => ActionType::EXPERIMENTER,
            ActionView::Unknown { type_, .. } => *type_,
        }
    }

    /// The owned action. Fails only when a set-field's OXM TLV does not decode.
    pub fn decode(&self) -> Result<Action> {
        Ok(match *self {
            ActionView::Output { port, max_len } => Action::Output { port, max_len },
            ActionView::CopyTtlOut => Action::CopyTtlOut,
            ActionView::CopyTtlIn => Action::CopyTtlIn,
            ActionView::SetMplsTtl(t) => Action::SetMplsTtl(t),
            ActionView::DecMplsTtl => Action::DecMplsTtl,
            ActionView::PushVlan(e) => Action::PushVlan(e),
            ActionView::PopVlan => Action::PopVlan,
            ActionView::PushMpls(e) => Action::PushMpls(e),
            ActionView::PopMpls(e) => Action::PopMpls(e),
            ActionView::SetQueue(q) => Action::SetQueue(q),
            ActionView::Group(g) => Action::Group(g),
            ActionView::SetNwTtl(t) => Action::SetNwTtl(t),
            ActionView::DecNwTtl => Action::DecNwTtl,
            ActionView::SetField(f) => Action::SetField(f.decode()?),
            ActionView::PushPbb(e) => Action::PushPbb(e),
            ActionView::PopPbb => Action::PopPbb,
            ActionView::Experimenter { experimenter, data } => Action::Experimenter {
                experimenter,
                data: data.to_vec(),
            },
            ActionView::Nicira(nx) => nx.decode(),
            ActionView::Unknown { type_, data } => Action::Unknown {
                type_,
                data: data.to_vec(),
            },
        })
    }
}

fn pad4<'a>(a: &mut Reader<'a>, v: ActionView<'a>) -> Result<ActionView<'a>> {
    a.pad(4, "ofp_action_header.pad")?;
    Ok(v)
}

impl Action {
    /// A whole, well-formed action list decoded in one pass into `out` (empty), each action
    /// straight off the bytes where it stays: a `Vec` allocated once, at the list's count
    /// (which the bytes bound: at most one item per 8 bytes); an [`ActionList`] filled inline
    /// up to its room, then allocated once for the actions left. Accepts only what [`ActionView::parse_fast`] accepts,
    /// with the same checks and [`ActionView::decode`]'s values; `None` for anything else
    /// (a malformed action), which [`ActionsView::decode`] then hands to the general walk
    /// for the exact error.
    #[inline]
    pub(crate) fn decode_list_fast<L: OwnedList<Action>>(buf: &[u8], out: &mut L) -> Option<()> {
        out.start_list(buf);
        let mut rest = buf;
        while let Ok((h, _)) = TlvHead8::ref_from_front(rest) {
            let len = usize::from(h.len.get());
            out.room_for_next(rest);
            let b = h.body;
            match (h.type_.get(), len) {
                (0, ACTION_OUTPUT_LEN) => {
                    let (o, _) = ActionOutput::ref_from_front(rest).ok()?;
                    if o.pad != [0; 6] {
                        return None;
                    }
                    out.push_fast(Action::Output {
                        port: PortNo(o.port.get()),
                        max_len: o.max_len.get(),
                    });
                }
                (17, 8) if b[2..] == [0, 0] => {
                    out.push_fast(Action::PushVlan(u16::from_be_bytes([b[0], b[1]])));
                }
                (18, 8) if b == [0; 4] => out.push_fast(Action::PopVlan),
                (21, 8) => out.push_fast(Action::SetQueue(u32::from_be_bytes(b))),
                (22, 8) => out.push_fast(Action::Group(GroupId(u32::from_be_bytes(b)))),
                (24, 8) if b == [0; 4] => out.push_fast(Action::DecNwTtl),
                (25, _) => {
                    // One OXM TLV, then zero padding to the action's length (the TLV's end
                    // rounded up to 8), as `ActionView::parse_fast` checks it.
                    let oxm_end = ACTION_HEADER_LEN + OXM_HEADER_LEN + usize::from(b[3]);
                    let (all, next) = rest.split_at_checked(len)?;
                    if round8(oxm_end) != len || !pad_is_zero(all, len, len - oxm_end)? {
                        return None;
                    }
                    let payload = all.get(ACTION_HEADER_LEN + OXM_HEADER_LEN..oxm_end)?;
                    // The fields set most, told by their header, each pushed from its arm.
                    crate::oxm::push_common_oxm!(u32::from_be_bytes(b), payload, |f| {
                        out.push_fast(Action::SetField(f));
                        rest = next;
                        continue;
                    });
                    out.push_fast(Action::SetField(OxmField::from_parts_inline(
                        u16::from_be_bytes([b[0], b[1]]),
                        b[2] >> 1,
                        b[2] & 1 != 0,
                        payload,
                    )));
                }
                _ => {
                    let (a, used) = ActionView::parse_fast_other(rest)?;
                    out.push_fast(a.decode().ok()?);
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
    /// A borrowed, encoded action list, walked without allocating. Iteration yields each action
    /// after checking its length; after the first error it yields nothing more.
    pub struct ActionsView<'a> of ActionView<'a> => Action {
        parse_fast: ActionView::parse_fast,
        parse_general: ActionView::parse_general,
        from_reader: pub,
        one_pass: true,
        list: Vec<Action>,
        decode_fast: Action::decode_list_fast,
        validate("Checks every action without allocating."): |_a| Ok::<(), Error>(()),
        // An action's only decoding error (a set-field's OXM) is not a framing error.
        decode("Decodes every action."): |a| Ok::<_, Error>(a.decode()),
    }
}

/// Formats a port as an output action does in ovs-ofctl: `output:N` for port numbers, the
/// reserved name otherwise, with `:max_len` after `CONTROLLER`.
fn fmt_output(f: &mut fmt::Formatter<'_>, port: PortNo, max_len: u16) -> fmt::Result {
    if port.0 < PortNo::MAX.0 {
        return write!(f, "output:{}", port.0);
    }
    match port.reserved_name() {
        Some(n) => f.write_str(n)?,
        None => write!(f, "output:{}", port.0)?,
    }
    if port == PortNo::CONTROLLER {
        write!(f, ":{max_len}")?;
    }
    Ok(())
}

fn fmt_hex(f: &mut fmt::Formatter<'_>, data: &[u8]) -> fmt::Result {
    data.iter().try_for_each(|b| write!(f, "{b:02x}"))
}

fn fmt_fixed(f: &mut fmt::Formatter<'_>, a: &ActionView<'_>) -> fmt::Result {
    match *a {
        ActionView::Output { port, max_len } => fmt_output(f, port, max_len),
        ActionView::CopyTtlOut => f.write_str("copy_ttl_out"),
        ActionView::CopyTtlIn => f.write_str("copy_ttl_in"),
        ActionView::SetMplsTtl(t) => write!(f, "set_mpls_ttl({t})"),
        ActionView::DecMplsTtl => f.write_str("dec_mpls_ttl"),
        ActionView::PushVlan(e) => write!(f, "push_vlan:{e:#06x}"),
        ActionView::PopVlan => f.write_str("pop_vlan"),
        ActionView::PushMpls(e) => write!(f, "push_mpls:{e:#06x}"),
        ActionView::PopMpls(e) => write!(f, "pop_mpls:{e:#06x}"),
        ActionView::SetQueue(q) => write!(f, "set_queue:{q}"),
        ActionView::Group(g) => write!(f, "group:{}", g.0),
        ActionView::SetNwTtl(t) => write!(f, "mod_nw_ttl:{t}"),
        ActionView::DecNwTtl => f.write_str("dec_ttl"),
        ActionView::SetField(s) => match s.decode() {
            Ok(field) => fmt_set_field(f, &field),
            Err(_) => {
                f.write_str("set_field:bad_oxm(")?;
                fmt_hex(f, s.oxm)?;
                f.write_str(")")
            }
        },
        ActionView::PushPbb(e) => write!(f, "push_pbb:{e:#06x}"),
        ActionView::PopPbb => f.write_str("pop_pbb"),
        ActionView::Experimenter { experimenter, data } => {
            write!(f, "experimenter({experimenter:#x},data=")?;
            fmt_hex(f, data)?;
            f.write_str(")")
        }
        ActionView::Nicira(nx) => match nx.typed() {
            Some(t) => fmt_nicira(f, &t, nx.data()),
            None => fmt_nicira_raw(f, nx.data()),
        },
        ActionView::Unknown { type_, data } => {
            write!(f, "unknown_action(type={:#x},data=", type_.0)?;
            fmt_hex(f, data)?;
            f.write_str(")")
        }
    }
}

/// A typed Nicira action: ovs-ofctl's text where the ovs-ofctl parser reads it back as the
/// same action (with `{:#}`, wherever Open vSwitch has a text), the raw form otherwise.
fn fmt_nicira(f: &mut fmt::Formatter<'_>, nx: &NxAction, data: &[u8]) -> fmt::Result {
    match nx.ovs_text().filter(|_| f.alternate() || nx.reads_back()) {
        Some(t) => f.write_str(&t),
        None => fmt_nicira_raw(f, data),
    }
}

/// `experimenter(0x2320,data=HEX)`.
fn fmt_nicira_raw(f: &mut fmt::Formatter<'_>, data: &[u8]) -> fmt::Result {
    write!(f, "experimenter({NX_EXPERIMENTER_ID:#x},data=")?;
    fmt_hex(f, data)?;
    f.write_str(")")
}

/// Whether a raw set-field prints by its ovs-ofctl name (`set_field:0x1->ct_mark`): an
/// unmasked Nicira or ONF field that ovs-ofctl sets with `set_field`, its value the field's
/// width, written in a notation the ovs-ofctl parser reads back.
pub(crate) fn named_set_field(f: &OxmField) -> bool {
    named_field(f).is_some()
}

fn named_field(f: &OxmField) -> Option<(&'static FieldDef, &[u8])> {
    let OxmField::Raw(r) = f else { return None };
    if r.hasmask {
        return None;
    }
    let exp = r.experimenter().unwrap_or(0);
    let d = fields::by_header(r.class, r.field, exp)?;
    let value = if r.class == crate::oxm::OFPXMC_EXPERIMENTER {
        r.payload.get(4..)?
    } else {
        &r.payload[..]
    };
    let name = *d.names.first()?;
    (value.len() == usize::from(d.bytes) && !fields::read_only(name) && d.class == r.class)
        .then_some((d, value))
        .filter(|(d, v)| field_value_text(d, v).is_some())
}

/// A field's value as Open vSwitch's `mf_format` prints it (integers in decimal or, for the
/// fields OVS shows in hex, `0x` without leading zeros; addresses in their usual form);
/// `None` for notations not written here. `bytes` is right-aligned in the field.
pub(crate) fn field_value_text(d: &FieldDef, bytes: &[u8]) -> Option<alloc::string::String> {
    use alloc::string::ToString;
    let width = usize::from(d.bytes);
    if bytes.len() > width {
        return None;
    }
    let mut b = alloc::vec![0u8; width - bytes.len()];
    b.extend_from_slice(bytes);
    let name = *d.names.first()?;
    Some(match d.fmt {
        fields::Fmt::Int => {
            let hex = matches!(
                name,
                "eth_type"
                    | "vlan_tci"
                    | "tun_id"
                    | "metadata"
                    | "pkt_mark"
                    | "ct_mark"
                    | "ct_label"
                    | "dp_hash"
                    | "ipv6_label"
            ) || name.starts_with("reg");
            if hex {
                let mut s = alloc::string::String::new();
                for x in b.iter().skip_while(|x| **x == 0) {
                    if s.is_empty() {
                        s.push_str(&alloc::format!("0x{x:x}"));
                    } else {
                        s.push_str(&alloc::format!("{x:02x}"));
                    }
                }
                if s.is_empty() {
                    s.push('0');
                }
                s
            } else {
                if width > 8 {
                    return None;
                }
                b.iter()
                    .fold(0u64, |a, x| (a << 8) | u64::from(*x))
                    .to_string()
            }
        }
        fields::Fmt::Ipv4 => {
            let a: [u8; 4] = b.as_slice().try_into().ok()?;
            core::net::Ipv4Addr::from(a).to_string()
        }
        fields::Fmt::Ipv6 => {
            let a: [u8; 16] = b.as_slice().try_into().ok()?;
            core::net::Ipv6Addr::from(a).to_string()
        }
        fields::Fmt::Mac => {
            let a: [u8; 6] = b.as_slice().try_into().ok()?;
            sdnwire_packet::MacAddr(a).to_string()
        }
        fields::Fmt::Port => {
            // A port number, or the reserved name (16-bit ports as their 32-bit names).
            let p = b.iter().fold(0u32, |a, x| (a << 8) | u32::from(*x));
            let p32 = if width == 2 && p >= 0xff00 {
                p | 0xffff_0000
            } else {
                p
            };
            match PortNo(p32).reserved_name() {
                Some(n) if p32 >= 0xffff_fff8 => n.to_string(),
                _ if p32 < 0xff00 => p32.to_string(),
                _ => return None,
            }
        }
        _ => return None,
    })
}

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

/// A value, then `/mask` when there is one.
fn fmt_masked<T: fmt::Display>(f: &mut fmt::Formatter<'_>, v: T, m: Option<T>) -> fmt::Result {
    write!(f, "{v}")?;
    match m {
        Some(m) => write!(f, "/{m}"),
        None => Ok(()),
    }
}

/// `set_field:VALUE->FIELD`, as ovs-ofctl prints an OpenFlow 1.2+ set-field action: OVS's
/// field names (`ip_dst`, `nw_ecn`, `icmp_type`, `nd_target`, `tun_id`, ...) and value
/// notation (decimal integers, `0x` for metadata, tunnel id and flow label, addresses in their
/// usual form). Fields ovs-ofctl does not set print with their OXM name; raw TLVs print as
/// `set_field:0xVALUE[/0xMASK]->oxm(class=C,field=F)`.
fn fmt_set_field(f: &mut fmt::Formatter<'_>, field: &OxmField) -> fmt::Result {
    f.write_str("set_field:")?;
    let name = match field {
        OxmField::InPort(p) | OxmField::InPhyPort(p) => {
            write!(f, "{p}")?;
            field.name().unwrap_or("in_port")
        }
        OxmField::Metadata(v, m) => {
            fmt_masked(f, CHex(*v), m.map(CHex))?;
            "metadata"
        }
        OxmField::EthDst(v, m) => {
            fmt_masked(f, v, m.as_ref())?;
            "eth_dst"
        }
        OxmField::EthSrc(v, m) => {
            fmt_masked(f, v, m.as_ref())?;
            "eth_src"
        }
        OxmField::EthType(v) => {
            write!(f, "{v:#06x}")?;
            "eth_type"
        }
        OxmField::VlanVid(v, m) => {
            fmt_masked(f, v, m.as_ref())?;
            "vlan_vid"
        }
        OxmField::VlanPcp(v) => {
            write!(f, "{v}")?;
            "vlan_pcp"
        }
        OxmField::IpDscp(v) => {
            write!(f, "{v}")?;
            "ip_dscp"
        }
        OxmField::IpEcn(v) => {
            write!(f, "{v}")?;
            "nw_ecn"
        }
        OxmField::IpProto(v) => {
            write!(f, "{v}")?;
            "nw_proto"
        }
        OxmField::Ipv4Src(v, m) => {
            fmt_masked(f, v, m.as_ref())?;
            "ip_src"
        }
        OxmField::Ipv4Dst(v, m) => {
            fmt_masked(f, v, m.as_ref())?;
            "ip_dst"
        }
        OxmField::TcpSrc(v) => {
            write!(f, "{v}")?;
            "tcp_src"
        }
        OxmField::TcpDst(v) => {
            write!(f, "{v}")?;
            "tcp_dst"
        }
        OxmField::UdpSrc(v) => {
            write!(f, "{v}")?;
            "udp_src"
        }
        OxmField::UdpDst(v) => {
            write!(f, "{v}")?;
            "udp_dst"
        }
        OxmField::SctpSrc(v) => {
            write!(f, "{v}")?;
            "sctp_src"
        }
        OxmField::SctpDst(v) => {
            write!(f, "{v}")?;
            "sctp_dst"
        }
        OxmField::Icmpv4Type(v) => {
            write!(f, "{v}")?;
            "icmp_type"
        }
        OxmField::Icmpv4Code(v) => {
            write!(f, "{v}")?;
            "icmp_code"
        }
        OxmField::ArpOp(v) => {
            write!(f, "{v}")?;
            "arp_op"
        }
        OxmField::ArpSpa(v, m) => {
            fmt_masked(f, v, m.as_ref())?;
            "arp_spa"
        }
        OxmField::ArpTpa(v, m) => {
            fmt_masked(f, v, m.as_ref())?;
            "arp_tpa"
        }
        OxmField::ArpSha(v, m) => {
            fmt_masked(f, v, m.as_ref())?;
            "arp_sha"
        }
        OxmField::ArpTha(v, m) => {
            fmt_masked(f, v, m.as_ref())?;
            "arp_tha"
        }
        OxmField::Ipv6Src(v, m) => {
            fmt_masked(f, v, m.as_ref())?;
            "ipv6_src"
        }
        OxmField::Ipv6Dst(v, m) => {
            fmt_masked(f, v, m.as_ref())?;
            "ipv6_dst"
        }
        OxmField::Ipv6Flabel(v, m) => {
            fmt_masked(f, CHex(u64::from(*v)), m.map(|m| CHex(u64::from(m))))?;
            "ipv6_label"
        }
        OxmField::Icmpv6Type(v) => {
            write!(f, "{v}")?;
            "icmpv6_type"
        }
        OxmField::Icmpv6Code(v) => {
            write!(f, "{v}")?;
            "icmpv6_code"
        }
        OxmField::Ipv6NdTarget(v) => {
            write!(f, "{v}")?;
            "nd_target"
        }
        OxmField::Ipv6NdSll(v) => {
            write!(f, "{v}")?;
            "nd_sll"
        }
        OxmField::Ipv6NdTll(v) => {
            write!(f, "{v}")?;
            "nd_tll"
        }
        OxmField::MplsLabel(v) => {
            write!(f, "{v}")?;
            "mpls_label"
        }
        OxmField::MplsTc(v) => {
            write!(f, "{v}")?;
            "mpls_tc"
        }
        OxmField::MplsBos(v) => {
            write!(f, "{v}")?;
            "mpls_bos"
        }
        OxmField::PbbIsid(v, m) => {
            fmt_masked(f, v, m.as_ref())?;
            "pbb_isid"
        }
        OxmField::TunnelId(v, m) => {
            fmt_masked(f, CHex(*v), m.map(CHex))?;
            "tun_id"
        }
        OxmField::Ipv6Exthdr(v, m) => {
            fmt_masked(f, CHex(u64::from(*v)), m.map(|m| CHex(u64::from(m))))?;
            "ipv6_exthdr"
        }
        OxmField::Raw(raw) => {
            if let Some((d, v)) = named_field(field) {
                if let (Some(text), Some(name)) = (field_value_text(d, v), d.names.first()) {
                    return write!(f, "{text}->{name}");
                }
            }
            let (v, m) = raw.value_mask();
            f.write_str("0x")?;
            fmt_hex(f, v)?;
            if let Some(m) = m {
                f.write_str("/0x")?;
                fmt_hex(f, m)?;
            }
            return match raw.experimenter() {
                Some(e) => write!(
                    f,
                    "->oxm(class={:#x},field={},experimenter={e:#x})",
                    raw.class, raw.field
                ),
                None => write!(f, "->oxm(class={:#x},field={})", raw.class, raw.field),
            };
        }
    };
    write!(f, "->{name}")
}

impl fmt::Display for ActionView<'_> {
    /// ovs-ofctl's notation (`output:2`, `CONTROLLER:65535`, `push_vlan:0x8100`,
    /// `set_field:10.0.0.1->ip_dst`, `dec_ttl`). Nicira actions print by their ovs-ofctl names
    /// (`resubmit(,2)`, `load:0x1->NXM_NX_REG0[]`, `ct(commit,nat(src=10.0.0.1))`,
    /// `learn(...)`; see [`NxAction::ovs_text`]) where [`crate::ofctl`] reads the text back as
    /// the same action ([`NxAction::reads_back`]); the others, other experimenters' and
    /// unknown actions print as `experimenter(ID,data=HEX)` and
    /// `unknown_action(type=T,data=HEX)`. With `{:#}`, every Nicira action Open vSwitch has a
    /// text for prints it, as `ovs-ofctl ofp-print` does (`resubmit:3` for NXAST_RESUBMIT,
    /// which the parser would write as NXAST_RESUBMIT_TABLE).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_fixed(f, self)
    }
}

impl fmt::Display for Action {
    /// ovs-ofctl's notation; see [`ActionView`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = match self {
            Action::Output { port, max_len } => ActionView::Output {
                port: *port,
                max_len: *max_len,
            },
            Action::CopyTtlOut => ActionView::CopyTtlOut,
            Action::CopyTtlIn => ActionView::CopyTtlIn,
            Action::SetMplsTtl(t) => ActionView::SetMplsTtl(*t),
            Action::DecMplsTtl => ActionView::DecMplsTtl,
            Action::PushVlan(e) => ActionView::PushVlan(*e),
            Action::PopVlan => ActionView::PopVlan,
            Action::PushMpls(e) => ActionView::PushMpls(*e),
            Action::PopMpls(e) => ActionView::PopMpls(*e),
            Action::SetQueue(q) => ActionView::SetQueue(*q),
            Action::Group(g) => ActionView::Group(*g),
            Action::SetNwTtl(t) => ActionView::SetNwTtl(*t),
            Action::DecNwTtl => ActionView::DecNwTtl,
            Action::SetField(field) => return fmt_set_field(f, field),
            Action::PushPbb(e) => ActionView::PushPbb(*e),
            Action::PopPbb => ActionView::PopPbb,
            Action::Experimenter { experimenter, data } => ActionView::Experimenter {
                experimenter: *experimenter,
                data,
            },
            Action::Nicira(nx) => {
                if let Some(t) = nx.ovs_text().filter(|_| f.alternate() || nx.reads_back()) {
                    return f.write_str(&t);
                }
                return match nx.to_data() {
                    Ok(data) => fmt_nicira_raw(f, &data),
                    Err(_) => write!(f, "experimenter({NX_EXPERIMENTER_ID:#x},{nx:?})"),
                };
            }
            Action::Unknown { type_, data } => ActionView::Unknown {
                type_: *type_,
                data,
            },
        };
        fmt_fixed(f, &r)
    }
}

/// Displays an action list as ovs-ofctl does: joined with `,`, `drop` when empty.
#[derive(Debug, Clone, Copy)]
pub struct DisplayActions<'a>(pub &'a [Action]);

impl fmt::Display for DisplayActions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("drop");
        }
        for (i, a) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            a.fmt(f)?;
        }
        Ok(())
    }
}

impl fmt::Display for ActionsView<'_> {
    /// The list in ovs-ofctl notation (`drop` when empty); an action that fails its checks
    /// prints as `<error: ...>` and ends the list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("drop");
        }
        crate::codec::fmt_list(f, self.clone(), ",")
    }
}

/// Helpers the tests of actions, instructions, groups and meters share: os-ken's corpus,
/// ovs-ofctl as an oracle, and message wrappers.
#[cfg(test)]
pub(crate) mod test_support;

crate::codec::display_decoded!(SetFieldView);

mod visit;
pub use visit::ActionVisitor;

#[cfg(test)]
mod tests;
