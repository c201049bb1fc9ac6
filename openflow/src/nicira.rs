//! Nicira extension actions (`nx_action_*`, experimenter `0x2320`), as Open vSwitch and os-ken's
//! `os_ken.ofproto.nx_actions` define them.
//!
//! A Nicira action is an experimenter action (`ofp_action_experimenter_header`, experimenter
//! [`NX_EXPERIMENTER_ID`]) whose data starts with a 16-bit subtype ([`NxSubtype`]). The codec
//! decodes the subtypes os-ken knows into [`NxAction`]:
//! - [`ActionView::Nicira`](crate::action::ActionView) borrows the data and names the
//!   subtype without decoding it (a flow's actions are walked without allocating);
//! - its `decode()` gives [`Action::Nicira`] with the typed action **when the typed action
//!   encodes back to exactly the same bytes**, and [`Action::Experimenter`] with the raw data
//!   otherwise (an unknown subtype, non-zero padding, a field order os-ken would not write).
//!   Either way the action re-encodes to the bytes it came from.
//!
//! Fields that name a field of the packet (`src`, `dst`, `field`, ...) are NXM/OXM headers
//! ([`OxmHeader`]); `ofs_nbits` is Nicira's packed `offset << 6 | (n_bits - 1)`.
//!
//! ```
//! use sdnwire_openflow::action::Action;
//! use sdnwire_openflow::nicira::NxAction;
//! use sdnwire_openflow::Encode;
//!
//! // resubmit(,1): Nicira's RESUBMIT_TABLE, in_port IN_PORT (0xfff8), table 1.
//! let a = Action::Nicira(NxAction::ResubmitTable { in_port: 0xfff8, table_id: 1 });
//! let bytes = a.to_vec()?;
//! assert_eq!(bytes.len(), 16);
//! let back = Action::parse(&mut sdnwire_openflow::codec::Reader::new(&bytes, 0))?;
//! assert_eq!(back, a);
//! # Ok::<(), sdnwire_openflow::Error>(())
//! ```

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};

use bytes::BufMut;

use crate::action::{Action, ActionView, ActionsView};
use crate::codec::{pad8, put_zeros, WireWrite};
use crate::codec_error::{Error, Result};
use crate::oxm::{OxmField, OxmHeader};

/// Nicira's experimenter id (`NX_VENDOR_ID`).
pub const NX_EXPERIMENTER_ID: u32 = 0x2320;

/// Nested Nicira actions (a `ct` action's actions) are typed down to this depth; deeper ones
/// stay raw, so that hostile nesting cannot exhaust the stack.
pub const NX_MAX_NESTING: usize = 4;

/// A Nicira action subtype (`enum nx_action_subtype`). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct NxSubtype(pub u16);

/// The Nicira action subtypes [`NxAction`] decodes, with os-ken's class names.
pub const NX_ACTIONS: &[(u16, &str)] = &[
    (1, "NXActionResubmit"),
    (2, "NXActionSetTunnel"),
    (4, "NXActionSetQueue"),
    (5, "NXActionPopQueue"),
    (6, "NXActionRegMove"),
    (7, "NXActionRegLoad"),
    (8, "NXActionNote"),
    (9, "NXActionSetTunnel64"),
    (10, "NXActionMultipath"),
    (12, "NXActionBundle"),
    (13, "NXActionBundleLoad"),
    (14, "NXActionResubmitTable"),
    (15, "NXActionOutputReg"),
    (16, "NXActionLearn"),
    (17, "NXActionExit"),
    (18, "NXActionDecTtl"),
    (19, "NXActionFinTimeout"),
    (20, "NXActionController"),
    (21, "NXActionDecTtlCntIds"),
    (23, "NXActionPushMpls"),
    (24, "NXActionPopMpls"),
    (25, "NXActionSetMplsTtl"),
    (26, "NXActionDecMplsTtl"),
    (27, "NXActionStackPush"),
    (28, "NXActionStackPop"),
    (29, "NXActionSample"),
    (30, "NXActionSetMplsLabel"),
    (31, "NXActionSetMplsTc"),
    (32, "NXActionOutputReg2"),
    (33, "NXActionRegLoad2"),
    (34, "NXActionConjunction"),
    (35, "NXActionCT"),
    (36, "NXActionNAT"),
    (37, "NXActionController2"),
    (38, "NXActionSample2"),
    (39, "NXActionOutputTrunc"),
    (43, "NXActionCTClear"),
    (48, "NXActionDecNshTtl"),
];

impl NxSubtype {
    /// os-ken's class name for the subtype (`NXActionResubmitTable`), if [`NxAction`] knows it.
    pub fn class_name(self) -> Option<&'static str> {
        NX_ACTIONS
            .iter()
            .find(|(s, _)| *s == self.0)
            .map(|(_, n)| *n)
    }

    /// The subtype of os-ken's class `name`.
    pub fn from_class_name(name: &str) -> Option<NxSubtype> {
        NX_ACTIONS
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(s, _)| NxSubtype(*s))
    }
}

impl fmt::Display for NxSubtype {
    /// The class name (`NXActionLearn`), or the number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.class_name() {
            Some(n) => f.write_str(n),
            None => write!(f, "{}", self.0),
        }
    }
}

impl fmt::Debug for NxSubtype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NxSubtype({}: {self})", self.0)
    }
}

/// The source of a learned flow's field (`NX_LEARN_SRC_*`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NxLearnSrc {
    /// `NX_LEARN_SRC_FIELD`: a field of the packet, from bit `ofs`.
    Field {
        /// The field's NXM/OXM header.
        field: OxmHeader,
        /// First bit.
        ofs: u16,
    },
    /// `NX_LEARN_SRC_IMMEDIATE`: a constant, `n_bits` rounded up to 16-bit words.
    Immediate(Vec<u8>),
}

/// What a learn spec does with its source (`NX_LEARN_DST_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NxLearnDst {
    /// `NX_LEARN_DST_MATCH` (os-ken's `NXFlowSpecMatch`): match the field from bit `ofs`.
    Match {
        /// The field's header.
        field: OxmHeader,
        /// First bit.
        ofs: u16,
    },
    /// `NX_LEARN_DST_LOAD` (`NXFlowSpecLoad`): load into the field from bit `ofs`.
    Load {
        /// The field's header.
        field: OxmHeader,
        /// First bit.
        ofs: u16,
    },
    /// `NX_LEARN_DST_OUTPUT` (`NXFlowSpecOutput`): output to the port the source names.
    Output,
}

/// One flow spec of a learn action (`nx_flow_mod_spec`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NxFlowSpec {
    /// Bits copied (at most 1023).
    pub n_bits: u16,
    /// Where they come from.
    pub src: NxLearnSrc,
    /// Where they go.
    pub dst: NxLearnDst,
}

/// `NXAST_LEARN`: add or modify a flow from the packet's fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct NxLearn {
    /// Idle timeout of the learned flow.
    pub idle_timeout: u16,
    /// Hard timeout of the learned flow.
    pub hard_timeout: u16,
    /// Priority of the learned flow.
    pub priority: u16,
    /// Cookie of the learned flow.
    pub cookie: u64,
    /// `NX_LEARN_F_*` flags.
    pub flags: u16,
    /// Table of the learned flow.
    pub table_id: u8,
    /// FIN idle timeout.
    pub fin_idle_timeout: u16,
    /// FIN hard timeout.
    pub fin_hard_timeout: u16,
    /// The flow specs.
    pub specs: Vec<NxFlowSpec>,
}

/// `NXAST_BUNDLE` and `NXAST_BUNDLE_LOAD`: choose a port among `slaves`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct NxBundle {
    /// `nx_bd_algorithm`.
    pub algorithm: u16,
    /// `nx_hash_fields`.
    pub fields: u16,
    /// Hash basis.
    pub basis: u16,
    /// Header of the slave type (`NXM_OF_IN_PORT`).
    pub slave_type: u32,
    /// Destination bits (bundle_load; zero for bundle).
    pub ofs_nbits: u16,
    /// Destination header (bundle_load; zero for bundle).
    pub dst: u32,
    /// The ports to choose from.
    pub slaves: Vec<u16>,
}

/// `NXAST_CT`: send the packet through the connection tracker.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct NxCt {
    /// `NX_CT_F_*` flags.
    pub flags: u16,
    /// Header of the field holding the zone (0: `zone_ofs_nbits` is the zone itself).
    pub zone_src: u32,
    /// The zone's bits, or the zone.
    pub zone_ofs_nbits: u16,
    /// Table to recirculate to (255: none).
    pub recirc_table: u8,
    /// Application layer gateway (port number).
    pub alg: u16,
    /// Nested actions (`nat`, `set_field` of `ct_mark`/`ct_label`).
    pub actions: Vec<Action>,
}

/// `NXAST_NAT`: the NAT of a `ct` action. An absent range is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct NxNat {
    /// `NX_NAT_F_*` flags.
    pub flags: u16,
    /// Lowest IPv4 address.
    pub range_ipv4_min: Option<Ipv4Addr>,
    /// Highest IPv4 address.
    pub range_ipv4_max: Option<Ipv4Addr>,
    /// Lowest IPv6 address.
    pub range_ipv6_min: Option<Ipv6Addr>,
    /// Highest IPv6 address.
    pub range_ipv6_max: Option<Ipv6Addr>,
    /// Lowest port.
    pub range_proto_min: Option<u16>,
    /// Highest port.
    pub range_proto_max: Option<u16>,
}

/// `NXAST_CONTROLLER2`: send to the controller, with properties; absent ones are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct NxController2 {
    /// `NXAC2PT_MAX_LEN`.
    pub max_len: Option<u16>,
    /// `NXAC2PT_CONTROLLER_ID`.
    pub controller_id: Option<u16>,
    /// `NXAC2PT_REASON`.
    pub reason: Option<u8>,
    /// `NXAC2PT_USERDATA`.
    pub userdata: Option<Vec<u8>>,
    /// `NXAC2PT_PAUSE`.
    pub pause: bool,
}

/// A Nicira action, typed (one variant per subtype of [`NX_ACTIONS`]). Field names are
/// os-ken's; encoding writes the subtype, the body and zero padding to a multiple of 8.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs)] // the fields are documented by their names and os-ken's classes
pub enum NxAction {
    /// `NXAST_RESUBMIT` (1): `resubmit:PORT`.
    Resubmit { in_port: u16 },
    /// `NXAST_SET_TUNNEL` (2): a 32-bit tunnel id.
    SetTunnel { tun_id: u32 },
    /// `NXAST_SET_QUEUE` (4).
    SetQueue { queue_id: u32 },
    /// `NXAST_POP_QUEUE` (5).
    PopQueue,
    /// `NXAST_REG_MOVE` (6): `move:SRC[..]->DST[..]`.
    RegMove {
        n_bits: u16,
        src_ofs: u16,
        dst_ofs: u16,
        src_field: OxmHeader,
        dst_field: OxmHeader,
    },
    /// `NXAST_REG_LOAD` (7): `load:VALUE->DST[..]`.
    RegLoad {
        ofs_nbits: u16,
        dst: OxmHeader,
        value: u64,
    },
    /// `NXAST_NOTE` (8): opaque bytes (with the padding to a multiple of 8).
    Note(Vec<u8>),
    /// `NXAST_SET_TUNNEL64` (9).
    SetTunnel64 { tun_id: u64 },
    /// `NXAST_MULTIPATH` (10).
    Multipath {
        fields: u16,
        basis: u16,
        algorithm: u16,
        max_link: u16,
        arg: u32,
        ofs_nbits: u16,
        dst: OxmHeader,
    },
    /// `NXAST_BUNDLE` (12).
    Bundle(NxBundle),
    /// `NXAST_BUNDLE_LOAD` (13).
    BundleLoad(NxBundle),
    /// `NXAST_RESUBMIT_TABLE` (14): `resubmit(PORT,TABLE)`.
    ResubmitTable { in_port: u16, table_id: u8 },
    /// `NXAST_OUTPUT_REG` (15).
    OutputReg {
        ofs_nbits: u16,
        src: OxmHeader,
        max_len: u16,
    },
    /// `NXAST_LEARN` (16).
    Learn(Box<NxLearn>),
    /// `NXAST_EXIT` (17).
    Exit,
    /// `NXAST_DEC_TTL` (18).
    DecTtl,
    /// `NXAST_FIN_TIMEOUT` (19).
    FinTimeout {
        fin_idle_timeout: u16,
        fin_hard_timeout: u16,
    },
    /// `NXAST_CONTROLLER` (20).
    Controller {
        max_len: u16,
        controller_id: u16,
        reason: u8,
    },
    /// `NXAST_DEC_TTL_CNT_IDS` (21): the controller ids.
    DecTtlCntIds(Vec<u16>),
    /// `NXAST_PUSH_MPLS` (23).
    PushMpls { ethertype: u16 },
    /// `NXAST_POP_MPLS` (24).
    PopMpls { ethertype: u16 },
    /// `NXAST_SET_MPLS_TTL` (25).
    SetMplsTtl { ttl: u8 },
    /// `NXAST_DEC_MPLS_TTL` (26).
    DecMplsTtl,
    /// `NXAST_STACK_PUSH` (27).
    StackPush {
        start: u16,
        field: OxmHeader,
        end: u16,
    },
    /// `NXAST_STACK_POP` (28).
    StackPop {
        start: u16,
        field: OxmHeader,
        end: u16,
    },
    /// `NXAST_SAMPLE` (29).
    Sample {
        probability: u16,
        collector_set_id: u32,
        obs_domain_id: u32,
        obs_point_id: u32,
    },
    /// `NXAST_SET_MPLS_LABEL` (30).
    SetMplsLabel { label: u32 },
    /// `NXAST_SET_MPLS_TC` (31).
    SetMplsTc { tc: u8 },
    /// `NXAST_OUTPUT_REG2` (32).
    OutputReg2 {
        ofs_nbits: u16,
        max_len: u16,
        src: OxmHeader,
    },
    /// `NXAST_REG_LOAD2` (33): `set_field` with any NXM/OXM field (masked or not).
    RegLoad2(OxmField),
    /// `NXAST_CONJUNCTION` (34).
    Conjunction { clause: u8, n_clauses: u8, id: u32 },
    /// `NXAST_CT` (35).
    Ct(NxCt),
    /// `NXAST_NAT` (36).
    Nat(Box<NxNat>),
    /// `NXAST_CONTROLLER2` (37).
    Controller2(NxController2),
    /// `NXAST_SAMPLE2` (38).
    Sample2 {
        probability: u16,
        collector_set_id: u32,
        obs_domain_id: u32,
        obs_point_id: u32,
        sampling_port: u16,
    },
    /// `NXAST_OUTPUT_TRUNC` (39).
    OutputTrunc { port: u16, max_len: u32 },
    /// `NXAST_CT_CLEAR` (43).
    CtClear,
    /// `NXAST_DEC_NSH_TTL` (48).
    DecNshTtl,
}

/// A checked big-endian cursor over a Nicira action body.
pub(crate) struct Cur<'a>(pub(crate) &'a [u8]);

impl<'a> Cur<'a> {
    pub(crate) fn take(&mut self, k: usize) -> Option<&'a [u8]> {
        if self.0.len() < k {
            return None;
        }
        let (h, t) = self.0.split_at(k);
        self.0 = t;
        Some(h)
    }
    pub(crate) fn arr<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }
    pub(crate) fn u8(&mut self) -> Option<u8> {
        Some(self.arr::<1>()?[0])
    }
    pub(crate) fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes(self.arr()?))
    }
    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.arr()?))
    }
    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_be_bytes(self.arr()?))
    }
    pub(crate) fn hdr(&mut self) -> Option<OxmHeader> {
        self.u32().map(OxmHeader)
    }
    pub(crate) fn skip(&mut self, k: usize) -> Option<()> {
        self.take(k).map(|_| ())
    }
}

/// A field of a fixed Nicira action body, big-endian on the wire.
trait NxField: Sized {
    /// Bytes on the wire.
    const LEN: usize;
    fn read(c: &mut Cur<'_>) -> Option<Self>;
    fn put<B: BufMut>(&self, out: &mut B);
}

macro_rules! nx_field {
    ($($ty:ty => $read:ident, $put:ident;)*) => {$(
        impl NxField for $ty {
            const LEN: usize = core::mem::size_of::<$ty>();
            fn read(c: &mut Cur<'_>) -> Option<Self> {
                c.$read()
            }
            fn put<B: BufMut>(&self, out: &mut B) {
                out.$put(*self);
            }
        }
    )*};
}

nx_field! {
    u8 => u8, put_u8;
    u16 => u16, put_u16;
    u32 => u32, put_u32;
    u64 => u64, put_u64;
}

impl NxField for OxmHeader {
    const LEN: usize = 4;
    fn read(c: &mut Cur<'_>) -> Option<Self> {
        c.hdr()
    }
    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u32(self.0);
    }
}

/// The Nicira actions whose body is a fixed layout, one row each: the subtype, the variant,
/// its fields in wire order, and the zero bytes before and after them
/// (`pad(before, after)`). The one table gives their subtype, decoding, length and encoding.
macro_rules! nx_fixed {
    ($(
        $sub:literal => $variant:ident { $($field:ident: $ty:ty),* $(,)? }
        pad($pre:literal, $post:literal),
    )*) => {
        impl NxAction {
            /// The subtype of a fixed-layout action (0 for the others, which
            /// [`subtype`](Self::subtype) matches first).
            fn fixed_subtype(&self) -> u16 {
                match self {
                    $( NxAction::$variant { .. } => $sub, )*
                    _ => 0,
                }
            }

            /// Decodes `data` (subtype, body, padding) when its subtype has a fixed layout:
            /// `None` when it has not, `Some(None)` when `data` is not exactly what the typed
            /// action encodes to (its length, or a byte outside the fields that is not zero).
            /// Compares in place: nothing is encoded, nothing allocated.
            fn decode_fixed_exact(data: &[u8]) -> Option<Option<NxAction>> {
                let [a, b, body @ ..] = data else {
                    return None;
                };
                Some(match u16::from_be_bytes([*a, *b]) {
                    $( $sub => {
                        let fields_end = $pre $( + <$ty as NxField>::LEN )*;
                        fixed_exact(body, $pre, fields_end, $post, |c| {
                            let _ = &c; // unit variants read nothing
                            Some(NxAction::$variant { $( $field: <$ty as NxField>::read(c)?, )* })
                        })
                    } )*
                    _ => return None,
                })
            }

            /// Length of the body (after the subtype) of a fixed-layout action (0 for the
            /// others, which [`body_len`](Self::body_len) matches first).
            fn fixed_body_len(&self) -> usize {
                match self {
                    $( NxAction::$variant { .. } => $pre $( + <$ty as NxField>::LEN )* + $post, )*
                    _ => 0,
                }
            }

            /// Writes the body (after the subtype) of a fixed-layout action (nothing for the
            /// others, which [`write_data`](Self::write_data) matches first).
            fn write_fixed<B: BufMut>(&self, out: &mut B) {
                match self {
                    $( NxAction::$variant { $($field),* } => {
                        put_zeros(out, $pre);
                        $( NxField::put($field, out); )*
                        put_zeros(out, $post);
                    } )*
                    _ => {}
                }
            }
        }
    };
}

nx_fixed! {
    1 => Resubmit { in_port: u16 } pad(0, 4),
    2 => SetTunnel { tun_id: u32 } pad(2, 0),
    4 => SetQueue { queue_id: u32 } pad(2, 0),
    5 => PopQueue {} pad(0, 6),
    6 => RegMove {
        n_bits: u16,
        src_ofs: u16,
        dst_ofs: u16,
        src_field: OxmHeader,
        dst_field: OxmHeader,
    } pad(0, 0),
    7 => RegLoad { ofs_nbits: u16, dst: OxmHeader, value: u64 } pad(0, 0),
    9 => SetTunnel64 { tun_id: u64 } pad(6, 0),
    14 => ResubmitTable { in_port: u16, table_id: u8 } pad(0, 3),
    15 => OutputReg { ofs_nbits: u16, src: OxmHeader, max_len: u16 } pad(0, 6),
    17 => Exit {} pad(0, 6),
    18 => DecTtl {} pad(0, 6),
    19 => FinTimeout { fin_idle_timeout: u16, fin_hard_timeout: u16 } pad(0, 2),
    20 => Controller { max_len: u16, controller_id: u16, reason: u8 } pad(0, 1),
    23 => PushMpls { ethertype: u16 } pad(0, 4),
    24 => PopMpls { ethertype: u16 } pad(0, 4),
    25 => SetMplsTtl { ttl: u8 } pad(0, 5),
    26 => DecMplsTtl {} pad(0, 6),
    27 => StackPush { start: u16, field: OxmHeader, end: u16 } pad(0, 4),
    28 => StackPop { start: u16, field: OxmHeader, end: u16 } pad(0, 4),
    29 => Sample {
        probability: u16,
        collector_set_id: u32,
        obs_domain_id: u32,
        obs_point_id: u32,
    } pad(0, 0),
    30 => SetMplsLabel { label: u32 } pad(2, 0),
    31 => SetMplsTc { tc: u8 } pad(0, 5),
    32 => OutputReg2 { ofs_nbits: u16, max_len: u16, src: OxmHeader } pad(0, 6),
    34 => Conjunction { clause: u8, n_clauses: u8, id: u32 } pad(0, 0),
    38 => Sample2 {
        probability: u16,
        collector_set_id: u32,
        obs_domain_id: u32,
        obs_point_id: u32,
        sampling_port: u16,
    } pad(0, 6),
    39 => OutputTrunc { port: u16, max_len: u32 } pad(0, 0),
    43 => CtClear {} pad(0, 6),
    48 => DecNshTtl {} pad(0, 6),
}

/// The typed action of a fixed-layout body (after the subtype): `pre` zero bytes, the fields
/// up to `fields_end` (read by `read`), `post` zero bytes, and zero padding to a multiple of 8
/// with the subtype; `None` when `body` is anything else.
fn fixed_exact(
    body: &[u8],
    pre: usize,
    fields_end: usize,
    post: usize,
    read: impl FnOnce(&mut Cur<'_>) -> Option<NxAction>,
) -> Option<NxAction> {
    let body_len = fields_end + post;
    if body.len() != body_len + pad8(2 + body_len) {
        return None;
    }
    let (before, rest) = body.split_at_checked(pre)?;
    let (fields, after) = rest.split_at_checked(fields_end - pre)?;
    if before.iter().chain(after).any(|&b| b != 0) {
        return None;
    }
    read(&mut Cur(fields))
}

/// The padded size of a CONTROLLER2 userdata property's value, as OVS (and os-ken) write it.
fn userdata_size(k: usize) -> usize {
    let r4 = k.div_ceil(4) * 4;
    if r4 > 4 && r4 % 8 == 0 {
        r4 + 4
    } else {
        r4
    }
}

/// Bytes of a learn spec's immediate source of `n_bits` bits.
fn immediate_len(n_bits: u16) -> usize {
    usize::from(n_bits).div_ceil(16) * 2
}

impl NxAction {
    /// The subtype.
    pub fn subtype(&self) -> NxSubtype {
        use NxAction as A;
        NxSubtype(match self {
            A::Note(_) => 8,
            A::Multipath { .. } => 10,
            A::Bundle(_) => 12,
            A::BundleLoad(_) => 13,
            A::Learn(_) => 16,
            A::DecTtlCntIds(_) => 21,
            A::RegLoad2(_) => 33,
            A::Ct(_) => 35,
            A::Nat(_) => 36,
            A::Controller2(_) => 37,
            _ => self.fixed_subtype(),
        })
    }

    /// Decodes experimenter data (everything after the experimenter id: subtype, body,
    /// padding). `None` when the subtype is not one of [`NX_ACTIONS`], the body is short, or the
    /// typed action would not encode back to exactly `data`: such data stays raw
    /// ([`Action::Experimenter`]).
    pub fn decode(data: &[u8]) -> Option<NxAction> {
        Self::decode_nested(data, 0)
    }

    pub(crate) fn decode_nested(data: &[u8], depth: usize) -> Option<NxAction> {
        // Exact round trip or nothing. A fixed layout compares in place (no allocation);
        // the others encode the typed action again, after comparing the lengths.
        if let Some(exact) = Self::decode_fixed_exact(data) {
            return exact;
        }
        let a = Self::decode_loose(data, depth)?;
        if a.data_len() != data.len() {
            return None;
        }
        let mut out = Vec::with_capacity(data.len());
        a.write_data(&mut out).ok()?;
        (out == data).then_some(a)
    }

    fn decode_loose(data: &[u8], depth: usize) -> Option<NxAction> {
        use NxAction as A;
        let mut c = Cur(data);
        let subtype = c.u16()?;
        Some(match subtype {
            8 => A::Note(c.0.to_vec()),
            10 => {
                let fields = c.u16()?;
                let basis = c.u16()?;
                c.skip(2)?;
                let algorithm = c.u16()?;
                let max_link = c.u16()?;
                let arg = c.u32()?;
                c.skip(2)?;
                A::Multipath {
                    fields,
                    basis,
                    algorithm,
                    max_link,
                    arg,
                    ofs_nbits: c.u16()?,
                    dst: c.hdr()?,
                }
            }
            12 | 13 => {
                let mut b = NxBundle {
                    algorithm: c.u16()?,
                    fields: c.u16()?,
                    basis: c.u16()?,
                    slave_type: c.u32()?,
                    ..NxBundle::default()
                };
                let k = c.u16()?;
                b.ofs_nbits = c.u16()?;
                b.dst = c.u32()?;
                c.skip(4)?;
                b.slaves = (0..k).map(|_| c.u16()).collect::<Option<_>>()?;
                if subtype == 12 {
                    A::Bundle(b)
                } else {
                    A::BundleLoad(b)
                }
            }
            16 => {
                let mut l = NxLearn {
                    idle_timeout: c.u16()?,
                    hard_timeout: c.u16()?,
                    priority: c.u16()?,
                    cookie: c.u64()?,
                    flags: c.u16()?,
                    table_id: c.u8()?,
                    ..NxLearn::default()
                };
                c.skip(1)?;
                l.fin_idle_timeout = c.u16()?;
                l.fin_hard_timeout = c.u16()?;
                while !c.0.is_empty() {
                    let hdr = c.u16()?;
                    if hdr == 0 {
                        continue; // the padding after the last spec
                    }
                    let n_bits = hdr & 0x3ff;
                    let src = if (hdr >> 13) & 1 == 0 {
                        NxLearnSrc::Field {
                            field: c.hdr()?,
                            ofs: c.u16()?,
                        }
                    } else {
                        let k = immediate_len(n_bits);
                        NxLearnSrc::Immediate(c.take(k)?.to_vec())
                    };
                    let dst = match (hdr >> 11) & 3 {
                        0 => NxLearnDst::Match {
                            field: c.hdr()?,
                            ofs: c.u16()?,
                        },
                        1 => NxLearnDst::Load {
                            field: c.hdr()?,
                            ofs: c.u16()?,
                        },
                        2 => NxLearnDst::Output,
                        _ => return None,
                    };
                    if hdr >> 14 != 0 {
                        return None;
                    }
                    l.specs.push(NxFlowSpec { n_bits, src, dst });
                }
                A::Learn(Box::new(l))
            }
            21 => {
                let k = c.u16()?;
                c.skip(4)?;
                A::DecTtlCntIds((0..k).map(|_| c.u16()).collect::<Option<_>>()?)
            }
            33 => {
                let h = c.hdr()?;
                let payload = c.take(usize::from(h.length()))?;
                A::RegLoad2(OxmField::from_parts(
                    h.class(),
                    h.field(),
                    h.hasmask(),
                    payload,
                ))
            }
            35 => {
                let mut ct = NxCt {
                    flags: c.u16()?,
                    zone_src: c.u32()?,
                    zone_ofs_nbits: c.u16()?,
                    recirc_table: c.u8()?,
                    ..NxCt::default()
                };
                c.skip(3)?;
                ct.alg = c.u16()?;
                ct.actions = decode_nested_list(c.0, depth + 1)?;
                A::Ct(ct)
            }
            36 => {
                c.skip(2)?;
                let flags = c.u16()?;
                let present = c.u16()?;
                let has = |bit: u16| present & bit != 0;
                let mut nat = NxNat {
                    flags,
                    ..NxNat::default()
                };
                if has(1) {
                    nat.range_ipv4_min = Some(c.arr::<4>()?.into());
                }
                if has(2) {
                    nat.range_ipv4_max = Some(c.arr::<4>()?.into());
                }
                if has(4) {
                    nat.range_ipv6_min = Some(c.arr::<16>()?.into());
                }
                if has(8) {
                    nat.range_ipv6_max = Some(c.arr::<16>()?.into());
                }
                if has(16) {
                    nat.range_proto_min = Some(c.u16()?);
                }
                if has(32) {
                    nat.range_proto_max = Some(c.u16()?);
                }
                A::Nat(Box::new(nat))
            }
            37 => {
                c.skip(6)?;
                let mut p = NxController2::default();
                while !c.0.is_empty() {
                    let t = c.u16()?;
                    let plen = c.u16()?;
                    match t {
                        0 => p.max_len = Some(c.u16()?),
                        1 => p.controller_id = Some(c.u16()?),
                        2 => p.reason = Some(c.u8()?),
                        3 => {
                            let k = usize::from(plen.checked_sub(4)?);
                            let b = c.take(userdata_size(k))?;
                            p.userdata = Some(b.get(..k)?.to_vec());
                        }
                        4 => p.pause = true,
                        _ => return None,
                    }
                    // Fixed-size properties: the rest of their 8 bytes is padding.
                    match t {
                        0 | 1 => c.skip(2)?,
                        2 => c.skip(3)?,
                        4 => c.skip(4)?,
                        _ => {}
                    }
                }
                A::Controller2(p)
            }
            _ => return None,
        })
    }

    /// Length of the subtype and body, before the padding.
    fn body_len(&self) -> usize {
        use NxAction as A;
        2 + match self {
            A::Multipath { .. } => 22,
            A::Note(n) => n.len(),
            A::Bundle(b) | A::BundleLoad(b) => 22 + 2 * b.slaves.len(),
            A::Learn(l) => {
                22 + l
                    .specs
                    .iter()
                    .map(|s| {
                        2 + match &s.src {
                            NxLearnSrc::Field { .. } => 6,
                            NxLearnSrc::Immediate(v) => v.len(),
                        } + match s.dst {
                            NxLearnDst::Output => 0,
                            _ => 6,
                        }
                    })
                    .sum::<usize>()
            }
            A::DecTtlCntIds(ids) => 6 + 2 * ids.len().div_ceil(4) * 4,
            A::RegLoad2(f) => (f.encoded_len()).max(14),
            A::Ct(ct) => 14 + Action::list_len(&ct.actions),
            A::Nat(n) => {
                6 + 4 * usize::from(n.range_ipv4_min.is_some())
                    + 4 * usize::from(n.range_ipv4_max.is_some())
                    + 16 * usize::from(n.range_ipv6_min.is_some())
                    + 16 * usize::from(n.range_ipv6_max.is_some())
                    + 2 * usize::from(n.range_proto_min.is_some())
                    + 2 * usize::from(n.range_proto_max.is_some())
            }
            A::Controller2(p) => {
                6 + 8 * usize::from(p.max_len.is_some())
                    + 8 * usize::from(p.controller_id.is_some())
                    + 8 * usize::from(p.reason.is_some())
                    + p.userdata
                        .as_ref()
                        .map_or(0, |u| 4 + userdata_size(u.len()))
                    + 8 * usize::from(p.pause)
            }
            _ => self.fixed_body_len(),
        }
    }

    /// Length of the experimenter data: subtype, body and padding (a multiple of 8, so that
    /// with the 8-byte experimenter header the action's length is one).
    pub fn data_len(&self) -> usize {
        let n = self.body_len();
        n + pad8(n)
    }

    /// Writes the experimenter data ([`data_len`](Self::data_len) bytes). Fails when a value
    /// does not fit its field (more than 65 535 slaves or ids, a learn spec's immediate that is
    /// not `n_bits` rounded up to 16-bit words, userdata over 65 531 bytes).
    pub(crate) fn write_data<B: BufMut>(&self, out: &mut B) -> Result<()> {
        use NxAction as A;
        let count = |what: &'static str, n: usize| {
            u16::try_from(n).map_err(|_| Error::Unencodable {
                what,
                reason: "too many items for a 16-bit count",
            })
        };
        out.put_u16(self.subtype().0);
        match self {
            A::Note(n) => out.put_slice(n),
            A::Multipath {
                fields,
                basis,
                algorithm,
                max_link,
                arg,
                ofs_nbits,
                dst,
            } => {
                out.put_u16(*fields);
                out.put_u16(*basis);
                put_zeros(out, 2);
                out.put_u16(*algorithm);
                out.put_u16(*max_link);
                out.put_u32(*arg);
                put_zeros(out, 2);
                out.put_u16(*ofs_nbits);
                out.put_u32(dst.0);
            }
            A::Bundle(b) | A::BundleLoad(b) => {
                out.put_u16(b.algorithm);
                out.put_u16(b.fields);
                out.put_u16(b.basis);
                out.put_u32(b.slave_type);
                out.put_u16(count("nx_action_bundle.n_slaves", b.slaves.len())?);
                out.put_u16(b.ofs_nbits);
                out.put_u32(b.dst);
                put_zeros(out, 4);
                b.slaves.iter().for_each(|s| out.put_u16(*s));
            }
            A::Learn(l) => {
                out.put_u16(l.idle_timeout);
                out.put_u16(l.hard_timeout);
                out.put_u16(l.priority);
                out.put_u64(l.cookie);
                out.put_u16(l.flags);
                out.put_u8(l.table_id);
                out.put_u8(0);
                out.put_u16(l.fin_idle_timeout);
                out.put_u16(l.fin_hard_timeout);
                for s in &l.specs {
                    if s.n_bits > 0x3ff {
                        return Err(Error::Unencodable {
                            what: "nx_flow_mod_spec.n_bits",
                            reason: "more than 1023 bits",
                        });
                    }
                    let src_type = u16::from(matches!(s.src, NxLearnSrc::Immediate(_)));
                    let dst_type = match s.dst {
                        NxLearnDst::Match { .. } => 0,
                        NxLearnDst::Load { .. } => 1,
                        NxLearnDst::Output => 2,
                    };
                    out.put_u16((src_type << 13) | (dst_type << 11) | s.n_bits);
                    match &s.src {
                        NxLearnSrc::Field { field, ofs } => {
                            out.put_u32(field.0);
                            out.put_u16(*ofs);
                        }
                        NxLearnSrc::Immediate(v) => {
                            if v.len() != immediate_len(s.n_bits) {
                                return Err(Error::Unencodable {
                                    what: "nx_flow_mod_spec.src",
                                    reason: "an immediate is n_bits rounded up to 16-bit words",
                                });
                            }
                            out.put_slice(v);
                        }
                    }
                    match s.dst {
                        NxLearnDst::Match { field, ofs } | NxLearnDst::Load { field, ofs } => {
                            out.put_u32(field.0);
                            out.put_u16(ofs);
                        }
                        NxLearnDst::Output => {}
                    }
                }
            }
            A::DecTtlCntIds(ids) => {
                out.put_u16(count("nx_action_cnt_ids.n_controllers", ids.len())?);
                put_zeros(out, 4);
                ids.iter().for_each(|i| out.put_u16(*i));
                put_zeros(out, 2 * (ids.len().div_ceil(4) * 4 - ids.len()));
            }
            A::RegLoad2(f) => {
                f.write(out)?;
                put_zeros(out, 14usize.saturating_sub(f.encoded_len()));
            }
            A::Ct(ct) => {
                out.put_u16(ct.flags);
                out.put_u32(ct.zone_src);
                out.put_u16(ct.zone_ofs_nbits);
                out.put_u8(ct.recirc_table);
                put_zeros(out, 3);
                out.put_u16(ct.alg);
                Action::encode_list(&ct.actions, out)?;
            }
            A::Nat(n) => {
                let present = u16::from(n.range_ipv4_min.is_some())
                    | u16::from(n.range_ipv4_max.is_some()) << 1
                    | u16::from(n.range_ipv6_min.is_some()) << 2
                    | u16::from(n.range_ipv6_max.is_some()) << 3
                    | u16::from(n.range_proto_min.is_some()) << 4
                    | u16::from(n.range_proto_max.is_some()) << 5;
                put_zeros(out, 2);
                out.put_u16(n.flags);
                out.put_u16(present);
                for a in [n.range_ipv4_min, n.range_ipv4_max].into_iter().flatten() {
                    out.put_slice(&a.octets());
                }
                for a in [n.range_ipv6_min, n.range_ipv6_max].into_iter().flatten() {
                    out.put_slice(&a.octets());
                }
                for p in [n.range_proto_min, n.range_proto_max].into_iter().flatten() {
                    out.put_u16(p);
                }
            }
            A::Controller2(p) => {
                put_zeros(out, 6);
                if let Some(v) = p.max_len {
                    out.put_slice(&[0, 0, 0, 8]);
                    out.put_u16(v);
                    put_zeros(out, 2);
                }
                if let Some(v) = p.controller_id {
                    out.put_slice(&[0, 1, 0, 8]);
                    out.put_u16(v);
                    put_zeros(out, 2);
                }
                if let Some(v) = p.reason {
                    out.put_slice(&[0, 2, 0, 5, v, 0, 0, 0]);
                }
                if let Some(u) = &p.userdata {
                    let plen = u16::try_from(4 + u.len()).map_err(|_| Error::Unencodable {
                        what: "nx_action_controller2.userdata",
                        reason: "property longer than 65535 bytes",
                    })?;
                    out.put_slice(&[0, 3]);
                    out.put_u16(plen);
                    out.put_slice(u);
                    put_zeros(out, userdata_size(u.len()) - u.len());
                }
                if p.pause {
                    out.put_slice(&[0, 4, 0, 4, 0, 0, 0, 0]);
                }
            }
            _ => self.write_fixed(out),
        }
        put_zeros(out, pad8(self.body_len()));
        Ok(())
    }

    /// The experimenter data as a vector (subtype, body, padding).
    pub fn to_data(&self) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.data_len());
        self.write_data(&mut out)?;
        Ok(out)
    }
}

/// Nested actions (a `ct` action's): every byte must belong to an action; Nicira ones are
/// typed while `depth` allows.
fn decode_nested_list(buf: &[u8], depth: usize) -> Option<Vec<Action>> {
    ActionsView::new_unchecked(buf, 0)
        .map(|a| match a.ok()? {
            ActionView::Nicira(nx) => Some(nx.decode_at(depth)),
            other => other.decode().ok(),
        })
        .collect()
}

/// A Nicira action borrowed from an action list: the experimenter data (subtype, body,
/// padding), not yet decoded. Made by [`ActionView::parse`] for an experimenter action of
/// [`NX_EXPERIMENTER_ID`] with at least a subtype.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NxActionView<'a> {
    data: &'a [u8],
}

impl<'a> NxActionView<'a> {
    /// A view of Nicira experimenter data; `None` when it is too short for a subtype.
    pub fn new(data: &'a [u8]) -> Option<Self> {
        (data.len() >= 2).then_some(NxActionView { data })
    }

    /// The subtype.
    pub fn subtype(&self) -> NxSubtype {
        let [a, b, ..] = *self.data else {
            return NxSubtype(0);
        };
        NxSubtype(u16::from_be_bytes([a, b]))
    }

    /// Everything after the experimenter id: subtype, body, padding.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The typed action, when it encodes back to exactly these bytes (see
    /// [`NxAction::decode`]).
    pub fn typed(&self) -> Option<NxAction> {
        NxAction::decode(self.data)
    }

    /// The owned action: [`Action::Nicira`] when typed, [`Action::Experimenter`] otherwise.
    pub fn decode(&self) -> Action {
        self.decode_at(0)
    }

    fn decode_at(&self, depth: usize) -> Action {
        let typed = if depth <= NX_MAX_NESTING {
            NxAction::decode_nested(self.data, depth)
        } else {
            None
        };
        match typed {
            Some(a) => Action::Nicira(a),
            None => Action::Experimenter {
                experimenter: NX_EXPERIMENTER_ID,
                data: self.data.to_vec(),
            },
        }
    }
}

/// Parses the data of an experimenter action: [`Action::Nicira`] when it is a typed Nicira
/// action, [`Action::Experimenter`] otherwise.
pub fn experimenter_action(experimenter: u32, data: &[u8]) -> Action {
    match (experimenter == NX_EXPERIMENTER_ID)
        .then(|| NxActionView::new(data))
        .flatten()
    {
        Some(v) => v.decode(),
        None => Action::Experimenter {
            experimenter,
            data: data.to_vec(),
        },
    }
}

mod text;

#[cfg(test)]
mod tests;
