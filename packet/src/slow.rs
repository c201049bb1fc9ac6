//! Slow protocols (IEEE 802.3 annex 57A, EtherType 0x8809, destination `01:80:c2:00:00:02`):
//! the Link Aggregation Control Protocol (IEEE 802.1AX-2014 §6.4.2, LACPDU, subtype 1) and the
//! marker protocol (802.1AX-2014 §6.5.3, formerly 802.3 annex 43B, subtype 2).
//!
//! ```text
//! LACPDU (110 bytes for version 1)
//! offset
//!   0 | subtype = 1 | version |
//!   2 | actor TLV: type 1 | length 20 | system priority:2 | system:6 | key:2 |
//!     |   port priority:2 | port:2 | state:1 | reserved:3 |
//!  22 | partner TLV: type 2 | length 20 | (same fields as the actor TLV) |
//!  42 | collector TLV: type 3 | length 16 | max delay:2 | reserved:12 |
//!  58 | further TLVs: type:1 | length:1 | value:length-2 |  (version 2, unknown; none in v1)
//!   t | terminator TLV: type 0 | length 0 |     (t = 58 in version 1)
//! t+2 | reserved:50 |
//! t+52  end of the PDU (110 in version 1); anything after it is trailer
//!
//! Marker PDU (110 bytes)
//!  0        1        2        3        4       6             12             16    18
//! +--------+--------+--------+--------+-------+-------------+--------------+-----+
//! |subtype |version |TLV type|len = 16|req.   |requester    |requester     | pad |
//! |   2    |        | 1 or 2 |        |port   |system       |transaction id|     |
//! +--------+--------+--------+--------+-------+-------------+--------------+-----+
//! | terminator: type 0, length 0 (18..20) | reserved: 90 (20..110)               |
//! +----------------------------------------------------------------------------- +
//! ```
//!
//! # What is accepted
//!
//! * The actor, partner and collector TLVs sit at fixed offsets and must carry their types (1,
//!   2, 3) and lengths (20, 20, 16), as Open vSwitch checks (its `parse_lacp_packet` drops a PDU
//!   whose actor or partner TLV is off); any other value is an error at that field's offset.
//! * After the collector TLV, TLVs are read until the terminator (type 0), **in every version**:
//!   802.1AX-2014 §6.4.2.4's version-2 TLVs (port algorithm, port conversation ID digest, port
//!   conversation masks 1-4, port conversation service mapping) and TLVs of types we do not
//!   know are kept as raw [`LacpTlv`]s, in order, and written back unchanged. A version-1 PDU
//!   that carries such TLVs is therefore *kept*, not refused, as 802.1AX's forward
//!   compatibility asks (a receiver ignores TLVs it does not understand); the version number
//!   is not checked at all (os-ken accepts only 1; Linux bonding and Open vSwitch do not look).
//!   Bytes that do not form a TLV chain are an error with their offset: a TLV length below 2
//!   (the length counts the 2-byte header) or running past the buffer, a terminator whose
//!   length is not 0, or fewer than the 50 reserved bytes after the terminator. Linux bonding
//!   reads fixed offsets and ignores bytes 58..110 altogether, so it accepts PDUs we refuse
//!   there; a byte string that is junk at offset 58 is not something any peer sends.
//! * Every reserved byte (3 after each state, 12 in the collector TLV, 50 after the
//!   terminator, and the marker's 2 pad and 90 reserved bytes) is kept in
//!   [`LacpReserved`] / [`Marker`], so the round trip is exact even when they are not zero.
//! * The PDU ends 50 bytes after the terminator. Bytes after it (Ethernet padding, an FCS, HP's
//!   IRF MAD data that Wireshark shows after the reserved field) are never part of the PDU: as
//!   a layer of a [`Packet`](crate::Packet) they land in its `trailer`.
//! * A marker PDU has a fixed layout: its TLV must have length 16 and be followed by a
//!   terminator of type 0 and length 0, then 90 reserved bytes. Its TLV type is open
//!   ([`MarkerTlvType`]): a type other than information (1) or response (2) still parses.
//!
//! TLV lengths are always computed from the values on emit: a parsed TLV's length is by
//! construction the one its value gives, so there is no length field to keep.
//!
//! Contract: once [`LacpPdu::new_checked`] / [`MarkerPdu::new_checked`] succeed, no accessor
//! panics, and the TLV iterator cannot fail; [`Protocol::emit`] never panics.

use alloc::vec::Vec;
use core::fmt;
use core::ops::{BitAnd, BitOr, BitOrAssign, Not};

use crate::error::{need, Error, LayerKind, Result};
use crate::ethernet::Ethernet;
use crate::layer::{emit_room, EmitContext, Next, Protocol, Step};
use crate::mac::MacAddr;
use crate::packet::Layer;
use crate::raw::{wire_struct, U16, U32};
use crate::repr::{PyBytes, Quoted};

/// Slow protocols subtype of LACP.
pub const SUBTYPE_LACP: u8 = 1;
/// Slow protocols subtype of the marker protocol.
pub const SUBTYPE_MARKER: u8 = 2;

wire_struct! {
    /// An actor or partner information TLV (20 bytes).
    pub(crate) struct InfoTlv {
        tlv_type: u8,
        len: u8,
        system_priority: U16,
        system: [u8; 6],
        key: U16,
        port_priority: U16,
        port: U16,
        state: u8,
        reserved: [u8; 3],
    }
}

wire_struct! {
    /// The collector information TLV (16 bytes).
    pub(crate) struct CollectorTlv {
        tlv_type: u8,
        len: u8,
        max_delay: U16,
        reserved: [u8; 12],
    }
}

wire_struct! {
    /// The fixed front of every LACPDU (58 bytes).
    pub(crate) struct LacpHead {
        subtype: u8,
        version: u8,
        actor: InfoTlv,
        partner: InfoTlv,
        collector: CollectorTlv,
    }
}

wire_struct! {
    /// A whole marker PDU (110 bytes).
    pub(crate) struct MarkerWire {
        subtype: u8,
        version: u8,
        tlv_type: u8,
        len: u8,
        requester_port: U16,
        requester_system: [u8; 6],
        requester_transaction_id: U32,
        pad: [u8; 2],
        terminator_type: u8,
        terminator_len: u8,
        reserved: [u8; 90],
    }
}

/// Byte offsets in an LACPDU.
mod field {
    pub(super) const SUBTYPE: usize = 0;
    pub(super) const ACTOR: usize = 2;
    pub(super) const PARTNER: usize = 22;
    pub(super) const COLLECTOR: usize = 42;
    pub(super) const TLVS: usize = 58;
    /// Marker PDU: the marker TLV's type and length, then the terminator.
    pub(super) const MARKER_TLV: usize = 2;
    pub(super) const MARKER_TERMINATOR: usize = 18;
}

/// Length of the actor and partner information TLVs.
const INFO_TLV_LEN: u8 = 20;
/// Length of the collector information TLV.
const COLLECTOR_TLV_LEN: u8 = 16;
/// Length of the marker information / response TLV.
const MARKER_TLV_LEN: u8 = 16;
/// Reserved bytes after an LACPDU's terminator.
const LACP_TAIL: usize = 50;

// ---------------------------------------------------------------------------------------------
// State octet
// ---------------------------------------------------------------------------------------------

/// The actor or partner state octet of an LACPDU (802.1AX-2014 §6.4.2.3): eight flags.
///
/// ```text
///   7        6         5            4          3               2            1        0
/// expired defaulted distributing collecting synchronization aggregation timeout activity
/// ```
/// `Display` prints the flags as os-ken prints them inside `lacp(...)`, in alphabetical order:
/// `activity=1,aggregation=1,collecting=1,defaulted=0,distributing=1,expired=0,synchronization=1,timeout=0`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(transparent))]
pub struct LacpState(pub u8);

macro_rules! state_flags {
    ($( $(#[$doc:meta])* $name:ident, $get:ident, $set:ident, $with:ident = $bit:expr; )*) => {
        impl LacpState {
            $(
                $(#[$doc])*
                pub const $name: LacpState = LacpState($bit);

                $(#[$doc])*
                #[inline]
                pub const fn $get(self) -> bool {
                    self.0 & $bit != 0
                }

                /// Sets or clears this flag.
                #[inline]
                pub fn $set(&mut self, on: bool) {
                    self.set(LacpState($bit), on);
                }

                /// This state with the flag set to `on`.
                #[inline]
                #[must_use]
                pub const fn $with(self, on: bool) -> Self {
                    if on { LacpState(self.0 | $bit) } else { LacpState(self.0 & !$bit) }
                }
            )*
        }
    };
}

state_flags! {
    /// LACP_Activity: active LACP (1) or passive (0).
    ACTIVITY, activity, set_activity, with_activity = 0x01;
    /// LACP_Timeout: short timeout (1, fast periodic transmission) or long (0).
    TIMEOUT, timeout, set_timeout, with_timeout = 0x02;
    /// Aggregation: the link is aggregatable (1) or individual (0).
    AGGREGATION, aggregation, set_aggregation, with_aggregation = 0x04;
    /// Synchronization: the link is in sync (attached to the right aggregator).
    SYNCHRONIZATION, synchronization, set_synchronization, with_synchronization = 0x08;
    /// Collecting: collection of incoming frames is enabled.
    COLLECTING, collecting, set_collecting, with_collecting = 0x10;
    /// Distributing: distribution of outgoing frames is enabled.
    DISTRIBUTING, distributing, set_distributing, with_distributing = 0x20;
    /// Defaulted: the actor uses defaulted (administrative) partner information.
    DEFAULTED, defaulted, set_defaulted, with_defaulted = 0x40;
    /// Expired: the actor's receive machine is in the EXPIRED state.
    EXPIRED, expired, set_expired, with_expired = 0x80;
}

/// Flag names in bit order, for `Debug`.
const STATE_NAMES: [&str; 8] = [
    "ACTIVITY",
    "TIMEOUT",
    "AGGREGATION",
    "SYNCHRONIZATION",
    "COLLECTING",
    "DISTRIBUTING",
    "DEFAULTED",
    "EXPIRED",
];

impl LacpState {
    /// No flag set.
    pub const EMPTY: LacpState = LacpState(0);

    /// The raw octet.
    #[inline]
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// True if every flag of `other` is set in `self`.
    #[inline]
    pub const fn contains(self, other: LacpState) -> bool {
        self.0 & other.0 == other.0
    }

    /// Sets the flags of `other`.
    #[inline]
    pub fn insert(&mut self, other: LacpState) {
        self.0 |= other.0;
    }

    /// Clears the flags of `other`.
    #[inline]
    pub fn remove(&mut self, other: LacpState) {
        self.0 &= !other.0;
    }

    /// Sets (`on`) or clears the flags of `other`.
    #[inline]
    pub fn set(&mut self, other: LacpState, on: bool) {
        if on {
            self.insert(other);
        } else {
            self.remove(other);
        }
    }

    /// Writes the flags as os-ken does, each name preceded by `side` and `sep` (`actor`,
    /// `_state_`).
    fn write_flags(self, f: &mut fmt::Formatter<'_>, side: &str, sep: &str) -> fmt::Result {
        let flags: [(&str, bool); 8] = [
            ("activity", self.activity()),
            ("aggregation", self.aggregation()),
            ("collecting", self.collecting()),
            ("defaulted", self.defaulted()),
            ("distributing", self.distributing()),
            ("expired", self.expired()),
            ("synchronization", self.synchronization()),
            ("timeout", self.timeout()),
        ];
        for (i, (name, on)) in flags.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{side}{sep}{name}={}", u8::from(*on))?;
        }
        Ok(())
    }
}

impl fmt::Display for LacpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_flags(f, "", "")
    }
}

impl fmt::Debug for LacpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LacpState({:#04x}", self.0)?;
        let mut first = true;
        for (bit, name) in STATE_NAMES.iter().enumerate() {
            if self.0 & (1 << bit) != 0 {
                f.write_str(if first { ": " } else { "|" })?;
                f.write_str(name)?;
                first = false;
            }
        }
        f.write_str(")")
    }
}

impl From<u8> for LacpState {
    fn from(v: u8) -> Self {
        LacpState(v)
    }
}

impl From<LacpState> for u8 {
    fn from(v: LacpState) -> Self {
        v.0
    }
}

impl BitOr for LacpState {
    type Output = LacpState;
    fn bitor(self, rhs: LacpState) -> LacpState {
        LacpState(self.0 | rhs.0)
    }
}

impl BitOrAssign for LacpState {
    fn bitor_assign(&mut self, rhs: LacpState) {
        self.0 |= rhs.0;
    }
}

impl BitAnd for LacpState {
    type Output = LacpState;
    fn bitand(self, rhs: LacpState) -> LacpState {
        LacpState(self.0 & rhs.0)
    }
}

impl Not for LacpState {
    type Output = LacpState;
    fn not(self) -> LacpState {
        LacpState(!self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// Actor / partner information, TLVs, reserved bytes
// ---------------------------------------------------------------------------------------------

/// What an LACPDU says about one end of a link: the actor's or the partner's information TLV
/// without its type, length and reserved bytes (those live in [`Lacp`] and [`LacpReserved`]),
/// so that two `LacpInfo`s compare equal exactly when 802.1AX's state machines consider them
/// the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LacpInfo {
    /// System priority (os-ken's `actor_system_priority` / `partner_system_priority`).
    pub system_priority: u16,
    /// System identifier, a MAC address (`actor_system`).
    pub system: MacAddr,
    /// Operational key (`actor_key`).
    pub key: u16,
    /// Port priority (`actor_port_priority`).
    pub port_priority: u16,
    /// Port number (`actor_port`).
    pub port: u16,
    /// State flags (`actor_state_activity`, ...).
    pub state: LacpState,
}

impl LacpInfo {
    /// Information with every field given.
    pub const fn new(
        system_priority: u16,
        system: MacAddr,
        key: u16,
        port_priority: u16,
        port: u16,
        state: LacpState,
    ) -> Self {
        LacpInfo { system_priority, system, key, port_priority, port, state }
    }

    /// The system identifier as 802.1AX orders it: (priority, MAC).
    pub const fn system_id(&self) -> (u16, MacAddr) {
        (self.system_priority, self.system)
    }

    /// The port identifier as 802.1AX orders it: (priority, number).
    pub const fn port_id(&self) -> (u16, u16) {
        (self.port_priority, self.port)
    }

    fn from_wire(w: &InfoTlv) -> Self {
        LacpInfo {
            system_priority: w.system_priority.get(),
            system: MacAddr(w.system),
            key: w.key.get(),
            port_priority: w.port_priority.get(),
            port: w.port.get(),
            state: LacpState(w.state),
        }
    }

    fn to_wire(self, tlv_type: u8, reserved: [u8; 3]) -> InfoTlv {
        InfoTlv {
            tlv_type,
            len: INFO_TLV_LEN,
            system_priority: U16::new(self.system_priority),
            system: self.system.0,
            key: U16::new(self.key),
            port_priority: U16::new(self.port_priority),
            port: U16::new(self.port),
            state: self.state.0,
            reserved,
        }
    }

    /// Writes the os-ken attributes of this side (`actor_key=..,...,actor_system_priority=..`).
    fn write_attrs(&self, f: &mut fmt::Formatter<'_>, side: &str) -> fmt::Result {
        write!(
            f,
            "{side}_key={},{side}_port={},{side}_port_priority={},",
            self.key, self.port, self.port_priority
        )?;
        self.state.write_flags(f, side, "_state_")?;
        write!(f, ",{side}_system={},{side}_system_priority={}", Quoted(self.system), self.system_priority)
    }
}

/// An LACPDU TLV type (802.1AX-2014 §6.4.2.3 and §6.4.2.4). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(transparent))]
pub struct LacpTlvType(pub u8);

impl LacpTlvType {
    /// Terminator (ends the TLV list).
    pub const TERMINATOR: LacpTlvType = LacpTlvType(0);
    /// Actor information.
    pub const ACTOR: LacpTlvType = LacpTlvType(1);
    /// Partner information.
    pub const PARTNER: LacpTlvType = LacpTlvType(2);
    /// Collector information.
    pub const COLLECTOR: LacpTlvType = LacpTlvType(3);
    /// Version 2: Port Algorithm TLV (length 6: a 4-byte algorithm identifier).
    pub const PORT_ALGORITHM: LacpTlvType = LacpTlvType(4);
    /// Version 2: Port Conversation ID Digest TLV (length 20: link number ID, 16-byte digest).
    pub const PORT_CONVERSATION_ID_DIGEST: LacpTlvType = LacpTlvType(5);
    /// Version 2: Port Conversation Mask-1 TLV (length 131: mask state, 128 mask bytes).
    pub const PORT_CONVERSATION_MASK_1: LacpTlvType = LacpTlvType(6);
    /// Version 2: Port Conversation Mask-2 TLV (length 130).
    pub const PORT_CONVERSATION_MASK_2: LacpTlvType = LacpTlvType(7);
    /// Version 2: Port Conversation Mask-3 TLV (length 130).
    pub const PORT_CONVERSATION_MASK_3: LacpTlvType = LacpTlvType(8);
    /// Version 2: Port Conversation Mask-4 TLV (length 130).
    pub const PORT_CONVERSATION_MASK_4: LacpTlvType = LacpTlvType(9);
    /// Version 2: Port Conversation Service Mapping TLV (length 18: a 16-byte digest).
    pub const PORT_CONVERSATION_SERVICE_MAPPING: LacpTlvType = LacpTlvType(10);
}

impl fmt::Display for LacpTlvType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for LacpTlvType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LacpTlvType({})", self.0)
    }
}

/// A TLV between the collector TLV and the terminator, kept raw: a version-2 TLV or one of a
/// type this crate does not know. On the wire it takes `2 + value.len()` bytes; its length
/// octet is computed on emit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LacpTlv {
    /// The TLV type (never [`LacpTlvType::TERMINATOR`] in a parsed PDU).
    pub tlv_type: LacpTlvType,
    /// The bytes after the type and length octets (at most 253).
    pub value: Vec<u8>,
}

impl LacpTlv {
    /// Most value bytes a TLV can carry (its length octet counts the 2-byte header).
    pub const MAX_VALUE_LEN: usize = 253;

    /// A TLV of `tlv_type` carrying `value`.
    pub fn new(tlv_type: LacpTlvType, value: impl Into<Vec<u8>>) -> Self {
        LacpTlv { tlv_type, value: value.into() }
    }

    /// The version-2 Port Algorithm TLV (802.1AX-2014 §6.4.2.4.1).
    pub fn port_algorithm(algorithm: u32) -> Self {
        LacpTlv::new(LacpTlvType::PORT_ALGORITHM, algorithm.to_be_bytes())
    }

    /// Bytes the TLV takes on the wire.
    pub fn wire_len(&self) -> usize {
        self.value.len().saturating_add(2)
    }
}

impl fmt::Display for LacpTlv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LacpTlv(tlv_type={},value={})", self.tlv_type, PyBytes(&self.value))
    }
}

/// A borrowed TLV of a checked [`LacpPdu`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LacpTlvRef<'a> {
    /// The TLV type.
    pub tlv_type: LacpTlvType,
    /// The bytes after the type and length octets.
    pub value: &'a [u8],
    /// Offset of the TLV's type octet from the start of the PDU.
    pub offset: usize,
}

impl LacpTlvRef<'_> {
    /// An owned copy.
    pub fn to_owned(&self) -> LacpTlv {
        LacpTlv { tlv_type: self.tlv_type, value: self.value.to_vec() }
    }
}

impl From<LacpTlvRef<'_>> for LacpTlv {
    fn from(r: LacpTlvRef<'_>) -> Self {
        r.to_owned()
    }
}

/// Reads the TLV at `off` of an LACPDU: `Ok(None)` at the terminator.
fn read_tlv(buf: &[u8], off: usize) -> Result<Option<(LacpTlvRef<'_>, usize)>> {
    need(LayerKind::Lacp, buf, off, 2, "TLV header")?;
    let t = buf.get(off).copied().unwrap_or(0);
    let len = buf.get(off + 1).copied().unwrap_or(0);
    if t == LacpTlvType::TERMINATOR.0 {
        if len != 0 {
            return Err(Error::BadLength {
                layer: LayerKind::Lacp,
                offset: off + 1,
                field: "terminator_length",
                value: usize::from(len),
                reason: "the terminator TLV has length 0",
            });
        }
        return Ok(None);
    }
    if len < 2 {
        return Err(Error::BadLength {
            layer: LayerKind::Lacp,
            offset: off + 1,
            field: "tlv_length",
            value: usize::from(len),
            reason: "a TLV length counts its 2-byte header, so it is at least 2",
        });
    }
    let len = usize::from(len);
    need(LayerKind::Lacp, buf, off, len, "TLV")?;
    let value = buf.get(off + 2..off + len).unwrap_or(&[]);
    Ok(Some((LacpTlvRef { tlv_type: LacpTlvType(t), value, offset: off }, off + len)))
}

/// Iterator over the TLVs between the collector TLV and the terminator of an LACPDU.
///
/// Yields `Err` once (and then stops) on a TLV that does not fit; over a checked [`LacpPdu`]
/// that cannot happen. Allocates nothing.
#[derive(Debug, Clone)]
pub struct LacpTlvs<'a> {
    buf: &'a [u8],
    off: usize,
    done: bool,
}

impl<'a> LacpTlvs<'a> {
    /// Iterates over the TLVs of the LACPDU at the front of `pdu` (which need not be checked),
    /// starting after the collector TLV, at offset 58.
    pub fn new(pdu: &'a [u8]) -> Self {
        LacpTlvs { buf: pdu, off: field::TLVS, done: false }
    }

    /// Offset of the next TLV (of the terminator once the iterator has returned `None`).
    pub fn offset(&self) -> usize {
        self.off
    }
}

impl<'a> Iterator for LacpTlvs<'a> {
    type Item = Result<LacpTlvRef<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match read_tlv(self.buf, self.off) {
            Ok(Some((tlv, next))) => {
                self.off = next;
                Some(Ok(tlv))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl core::iter::FusedIterator for LacpTlvs<'_> {}

/// Every reserved byte of an LACPDU, kept so that a PDU with non-zero reserved bytes is
/// written back as it came. All zeros by default, as senders must send them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LacpReserved {
    /// The 3 bytes after the actor state.
    pub actor: [u8; 3],
    /// The 3 bytes after the partner state.
    pub partner: [u8; 3],
    /// The 12 bytes after the collector max delay.
    pub collector: [u8; 12],
    /// The 50 bytes after the terminator TLV.
    #[cfg_attr(feature = "serde", serde(with = "byte_array"))]
    pub terminator: [u8; 50],
}

impl LacpReserved {
    /// All zeros.
    pub const ZERO: LacpReserved =
        LacpReserved { actor: [0; 3], partner: [0; 3], collector: [0; 12], terminator: [0; 50] };

    /// True when every reserved byte is zero.
    pub fn is_zero(&self) -> bool {
        *self == Self::ZERO
    }
}

impl Default for LacpReserved {
    fn default() -> Self {
        Self::ZERO
    }
}

impl fmt::Display for LacpReserved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "LacpReserved(actor={},collector={},partner={},terminator={})",
            PyBytes(&self.actor),
            PyBytes(&self.collector),
            PyBytes(&self.partner),
            PyBytes(&self.terminator)
        )
    }
}

// ---------------------------------------------------------------------------------------------
// LACPDU view
// ---------------------------------------------------------------------------------------------

/// Checks an LACPDU at the front of `buf` and returns its length.
fn check_lacp(buf: &[u8]) -> Result<usize> {
    let layer = LayerKind::Lacp;
    need(layer, buf, 0, LacpHead::LEN, "header")?;
    let h = LacpHead::view(buf);
    if h.subtype != SUBTYPE_LACP {
        return Err(Error::BadValue {
            layer,
            offset: field::SUBTYPE,
            field: "subtype",
            value: u64::from(h.subtype),
            expected: "1 (LACP)",
        });
    }
    let tlvs: [(usize, u8, u8, u8, u8, &'static str, &'static str); 3] = [
        (field::ACTOR, h.actor.tlv_type, 1, h.actor.len, INFO_TLV_LEN, "actor_tlv_type", "actor_length"),
        (field::PARTNER, h.partner.tlv_type, 2, h.partner.len, INFO_TLV_LEN, "partner_tlv_type", "partner_length"),
        (
            field::COLLECTOR,
            h.collector.tlv_type,
            3,
            h.collector.len,
            COLLECTOR_TLV_LEN,
            "collector_tlv_type",
            "collector_length",
        ),
    ];
    for (offset, t, want_t, len, want_len, tname, lname) in tlvs {
        if t != want_t {
            return Err(Error::BadValue {
                layer,
                offset,
                field: tname,
                value: u64::from(t),
                expected: match want_t {
                    1 => "1 (actor information)",
                    2 => "2 (partner information)",
                    _ => "3 (collector information)",
                },
            });
        }
        if len != want_len {
            return Err(Error::BadLength {
                layer,
                offset: offset + 1,
                field: lname,
                value: usize::from(len),
                reason: if want_len == INFO_TLV_LEN {
                    "the actor and partner TLVs have length 20"
                } else {
                    "the collector TLV has length 16"
                },
            });
        }
    }
    let mut it = LacpTlvs::new(buf);
    for tlv in it.by_ref() {
        tlv?;
    }
    let term = it.offset();
    need(layer, buf, term + 2, LACP_TAIL, "reserved bytes after the terminator")?;
    Ok(term + 2 + LACP_TAIL)
}

/// A checked, zero-copy view of an LACPDU (from its subtype octet).
///
/// The buffer may run past the PDU (padding); [`pdu_len`](LacpPdu::pdu_len) says where the
/// PDU ends.
#[derive(Debug, Clone, Copy)]
pub struct LacpPdu<T: AsRef<[u8]>> {
    buffer: T,
    len: usize,
}

impl<T: AsRef<[u8]>> LacpPdu<T> {
    /// Wraps `buffer`, checking the subtype, the actor, partner and collector TLV types and
    /// lengths, the TLV chain up to the terminator and the 50 reserved bytes after it.
    pub fn new_checked(buffer: T) -> Result<Self> {
        let len = check_lacp(buffer.as_ref())?;
        Ok(LacpPdu { buffer, len })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    /// Length of the PDU: 110 for a version-1 PDU, more with further TLVs.
    pub fn pdu_len(&self) -> usize {
        self.len
    }

    /// The PDU's bytes (without whatever follows it in the buffer).
    pub fn as_bytes(&self) -> &[u8] {
        crate::raw::slice(self.buffer.as_ref(), 0, self.len)
    }

    fn h(&self) -> &LacpHead {
        LacpHead::view(self.buffer.as_ref())
    }

    /// The slow protocols subtype (always 1).
    pub fn subtype(&self) -> u8 {
        self.h().subtype
    }

    /// LACP version number.
    pub fn version(&self) -> u8 {
        self.h().version
    }

    /// The actor information.
    pub fn actor(&self) -> LacpInfo {
        LacpInfo::from_wire(&self.h().actor)
    }

    /// The partner information.
    pub fn partner(&self) -> LacpInfo {
        LacpInfo::from_wire(&self.h().partner)
    }

    /// The actor state octet.
    pub fn actor_state(&self) -> LacpState {
        LacpState(self.h().actor.state)
    }

    /// The partner state octet.
    pub fn partner_state(&self) -> LacpState {
        LacpState(self.h().partner.state)
    }

    /// Collector max delay, in tens of microseconds.
    pub fn collector_max_delay(&self) -> u16 {
        self.h().collector.max_delay.get()
    }

    /// The TLVs between the collector TLV and the terminator (none in a plain version-1 PDU).
    pub fn tlvs(&self) -> LacpTlvs<'_> {
        LacpTlvs::new(self.as_bytes())
    }

    /// Offset of the terminator TLV (58 in a plain version-1 PDU).
    pub fn terminator_offset(&self) -> usize {
        self.len.saturating_sub(LACP_TAIL + 2)
    }

    /// Every reserved byte.
    pub fn reserved(&self) -> LacpReserved {
        let h = self.h();
        let mut terminator = [0u8; 50];
        let tail = crate::raw::slice(self.buffer.as_ref(), self.len.saturating_sub(LACP_TAIL), self.len);
        if let Some(t) = tail.first_chunk::<50>() {
            terminator = *t;
        }
        LacpReserved {
            actor: h.actor.reserved,
            partner: h.partner.reserved,
            collector: h.collector.reserved,
            terminator,
        }
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> LacpPdu<T> {
    fn h_mut(&mut self) -> Option<&mut LacpHead> {
        LacpHead::view_mut(self.buffer.as_mut())
    }

    /// Sets the version number.
    pub fn set_version(&mut self, v: u8) {
        if let Some(h) = self.h_mut() {
            h.version = v;
        }
    }

    /// Rewrites the actor information (its reserved bytes are left as they are).
    pub fn set_actor(&mut self, info: &LacpInfo) {
        if let Some(h) = self.h_mut() {
            h.actor = info.to_wire(h.actor.tlv_type, h.actor.reserved);
        }
    }

    /// Rewrites the partner information (its reserved bytes are left as they are).
    pub fn set_partner(&mut self, info: &LacpInfo) {
        if let Some(h) = self.h_mut() {
            h.partner = info.to_wire(h.partner.tlv_type, h.partner.reserved);
        }
    }

    /// Sets the actor state octet.
    pub fn set_actor_state(&mut self, s: LacpState) {
        if let Some(h) = self.h_mut() {
            h.actor.state = s.0;
        }
    }

    /// Sets the partner state octet.
    pub fn set_partner_state(&mut self, s: LacpState) {
        if let Some(h) = self.h_mut() {
            h.partner.state = s.0;
        }
    }

    /// Sets the collector max delay.
    pub fn set_collector_max_delay(&mut self, d: u16) {
        if let Some(h) = self.h_mut() {
            h.collector.max_delay.set(d);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// LACPDU owned
// ---------------------------------------------------------------------------------------------

/// An LACPDU (Ryu's `lacp`), with actor and partner information nested as [`LacpInfo`].
///
/// `Display` prints os-ken's flat `lacp(actor_key=..,...,version=1)` for the same bytes;
/// `reserved=` and `tlvs=` are added (in their alphabetical places) only when some reserved
/// byte is not zero or the PDU carries further TLVs, which os-ken does not parse.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Lacp {
    /// LACP version number (1; 2 for 802.1AX-2014 version-2 PDUs).
    pub version: u8,
    /// The sender's own information.
    pub actor: LacpInfo,
    /// What the sender knows of its partner.
    pub partner: LacpInfo,
    /// Collector max delay, in tens of microseconds.
    pub collector_max_delay: u16,
    /// TLVs between the collector TLV and the terminator (version-2 and unknown TLVs), kept
    /// raw and in order. Empty in a version-1 PDU.
    pub tlvs: Vec<LacpTlv>,
    /// Reserved bytes (zero unless a sender put something there).
    pub reserved: LacpReserved,
}

impl Lacp {
    /// Length of a version-1 LACPDU.
    pub const V1_LEN: usize = 110;
    /// The version number this crate sends by default.
    pub const VERSION: u8 = 1;
    /// Fast periodic time (short timeout), seconds.
    pub const FAST_PERIODIC_TIME: u32 = 1;
    /// Slow periodic time (long timeout), seconds.
    pub const SLOW_PERIODIC_TIME: u32 = 30;
    /// Short timeout time (3 × fast periodic time), seconds.
    pub const SHORT_TIMEOUT_TIME: u32 = 3;
    /// Long timeout time (3 × slow periodic time), seconds.
    pub const LONG_TIMEOUT_TIME: u32 = 90;

    /// A version-1 LACPDU with no further TLVs and zero reserved bytes.
    pub fn new(actor: LacpInfo, partner: LacpInfo, collector_max_delay: u16) -> Self {
        Lacp {
            version: Self::VERSION,
            actor,
            partner,
            collector_max_delay,
            tlvs: Vec::new(),
            reserved: LacpReserved::ZERO,
        }
    }

    /// Parses the LACPDU at the front of `buf`; bytes after it are ignored.
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(Self::from_view(&LacpPdu::new_checked(buf)?))
    }

    /// Copies the PDU out of a checked view.
    pub fn from_view<T: AsRef<[u8]>>(v: &LacpPdu<T>) -> Self {
        let mut tlvs = Vec::new();
        for tlv in v.tlvs().flatten() {
            tlvs.push(tlv.to_owned());
        }
        Lacp {
            version: v.version(),
            actor: v.actor(),
            partner: v.partner(),
            collector_max_delay: v.collector_max_delay(),
            tlvs,
            reserved: v.reserved(),
        }
    }

    /// The PDU's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut buf = alloc::vec![0u8; self.header_len()];
        self.emit(&mut buf, &EmitContext::default())?;
        Ok(buf)
    }

    /// A whole Ethernet frame carrying this PDU from `src` to the slow protocols address.
    pub fn to_frame(&self, src: MacAddr) -> Result<Vec<u8>> {
        (Ethernet::new(MacAddr::SLOW_PROTOCOLS, src) / self.clone()).serialize_min(60)
    }

    fn check_encodable(&self) -> Result<()> {
        for t in &self.tlvs {
            if t.tlv_type == LacpTlvType::TERMINATOR {
                return Err(Error::Unencodable {
                    layer: LayerKind::Lacp,
                    what: "TLV",
                    reason: "type 0 is the terminator: the PDU would end there",
                });
            }
            if t.value.len() > LacpTlv::MAX_VALUE_LEN {
                return Err(Error::Unencodable {
                    layer: LayerKind::Lacp,
                    what: "TLV",
                    reason: "a TLV value is longer than 253 bytes (8-bit length)",
                });
            }
        }
        Ok(())
    }
}

impl Default for Lacp {
    fn default() -> Self {
        Lacp::new(LacpInfo::default(), LacpInfo::default(), 0)
    }
}

pub(crate) fn step_lacp(buf: &[u8]) -> Result<Step> {
    let len = check_lacp(buf)?;
    Ok(Step { header_len: len, end: len, next: Next::Payload })
}

impl Protocol for Lacp {
    const KIND: LayerKind = LayerKind::Lacp;

    fn header_len(&self) -> usize {
        self.tlvs
            .iter()
            .fold(LacpHead::LEN, |n, t| n.saturating_add(t.wire_len()))
            .saturating_add(2 + LACP_TAIL)
    }

    fn emit(&self, buf: &mut [u8], _ctx: &EmitContext) -> Result<()> {
        let len = self.header_len();
        emit_room(LayerKind::Lacp, buf, len)?;
        self.check_encodable()?;
        let head = LacpHead {
            subtype: SUBTYPE_LACP,
            version: self.version,
            actor: self.actor.to_wire(LacpTlvType::ACTOR.0, self.reserved.actor),
            partner: self.partner.to_wire(LacpTlvType::PARTNER.0, self.reserved.partner),
            collector: CollectorTlv {
                tlv_type: LacpTlvType::COLLECTOR.0,
                len: COLLECTOR_TLV_LEN,
                max_delay: U16::new(self.collector_max_delay),
                reserved: self.reserved.collector,
            },
        };
        head.write_to(buf);
        let mut off = LacpHead::LEN;
        for t in &self.tlvs {
            // check_encodable bounds the value to 253 bytes.
            let l = u8::try_from(t.wire_len()).unwrap_or(u8::MAX);
            crate::raw::put_bytes(buf, off, &[t.tlv_type.0, l]);
            crate::raw::put_bytes(buf, off + 2, &t.value);
            off += t.wire_len();
        }
        crate::raw::put_bytes(buf, off, &[0, 0]);
        crate::raw::put_bytes(buf, off + 2, &self.reserved.terminator);
        Ok(())
    }

    fn from_layer(layer: &Layer) -> Option<&Self> {
        match layer {
            Layer::Lacp(v) => Some(v),
            _ => None,
        }
    }

    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self> {
        match layer {
            Layer::Lacp(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Lacp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("lacp(")?;
        self.actor.write_attrs(f, "actor")?;
        write!(f, ",collector_max_delay={},", self.collector_max_delay)?;
        self.partner.write_attrs(f, "partner")?;
        if !self.reserved.is_zero() {
            write!(f, ",reserved={}", self.reserved)?;
        }
        if !self.tlvs.is_empty() {
            write!(f, ",tlvs={}", crate::repr::List(&self.tlvs))?;
        }
        write!(f, ",version={})", self.version)
    }
}

// ---------------------------------------------------------------------------------------------
// Marker
// ---------------------------------------------------------------------------------------------

/// The marker TLV type (802.1AX-2014 §6.5.3.3). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(transparent))]
pub struct MarkerTlvType(pub u8);

impl MarkerTlvType {
    /// Marker Information: a request, to be answered with a response.
    pub const INFORMATION: MarkerTlvType = MarkerTlvType(1);
    /// Marker Response.
    pub const RESPONSE: MarkerTlvType = MarkerTlvType(2);
}

impl fmt::Display for MarkerTlvType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for MarkerTlvType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MarkerTlvType({})", self.0)
    }
}

/// Checks a marker PDU at the front of `buf`.
fn check_marker(buf: &[u8]) -> Result<()> {
    let layer = LayerKind::Marker;
    need(layer, buf, 0, MarkerWire::LEN, "PDU")?;
    let w = MarkerWire::view(buf);
    if w.subtype != SUBTYPE_MARKER {
        return Err(Error::BadValue {
            layer,
            offset: field::SUBTYPE,
            field: "subtype",
            value: u64::from(w.subtype),
            expected: "2 (marker)",
        });
    }
    if w.len != MARKER_TLV_LEN {
        return Err(Error::BadLength {
            layer,
            offset: field::MARKER_TLV + 1,
            field: "marker_length",
            value: usize::from(w.len),
            reason: "the marker information / response TLV has length 16",
        });
    }
    if w.terminator_type != 0 {
        return Err(Error::BadValue {
            layer,
            offset: field::MARKER_TERMINATOR,
            field: "terminator_tlv_type",
            value: u64::from(w.terminator_type),
            expected: "0 (terminator)",
        });
    }
    if w.terminator_len != 0 {
        return Err(Error::BadLength {
            layer,
            offset: field::MARKER_TERMINATOR + 1,
            field: "terminator_length",
            value: usize::from(w.terminator_len),
            reason: "the terminator TLV has length 0",
        });
    }
    Ok(())
}

/// A checked, zero-copy view of a marker PDU (from its subtype octet).
#[derive(Debug, Clone, Copy)]
pub struct MarkerPdu<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> MarkerPdu<T> {
    /// Length of a marker PDU.
    pub const LEN: usize = 110;

    /// Wraps `buffer`, checking the subtype, the TLV length and the terminator.
    pub fn new_checked(buffer: T) -> Result<Self> {
        check_marker(buffer.as_ref())?;
        Ok(MarkerPdu { buffer })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    /// The PDU's 110 bytes.
    pub fn as_bytes(&self) -> &[u8] {
        crate::raw::slice(self.buffer.as_ref(), 0, Self::LEN)
    }

    fn w(&self) -> &MarkerWire {
        MarkerWire::view(self.buffer.as_ref())
    }

    /// Version number.
    pub fn version(&self) -> u8 {
        self.w().version
    }

    /// Information (1) or response (2).
    pub fn tlv_type(&self) -> MarkerTlvType {
        MarkerTlvType(self.w().tlv_type)
    }

    /// The requester's port number.
    pub fn requester_port(&self) -> u16 {
        self.w().requester_port.get()
    }

    /// The requester's system identifier.
    pub fn requester_system(&self) -> MacAddr {
        MacAddr(self.w().requester_system)
    }

    /// The requester's transaction identifier.
    pub fn requester_transaction_id(&self) -> u32 {
        self.w().requester_transaction_id.get()
    }

    /// The 2 pad bytes after the transaction identifier.
    pub fn pad(&self) -> [u8; 2] {
        self.w().pad
    }

    /// The 90 reserved bytes after the terminator.
    pub fn reserved(&self) -> &[u8] {
        crate::raw::slice(self.buffer.as_ref(), 20, Self::LEN)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> MarkerPdu<T> {
    /// Sets the TLV type: a responder can turn a received information PDU into its response
    /// in place.
    pub fn set_tlv_type(&mut self, t: MarkerTlvType) {
        if let Some(w) = MarkerWire::view_mut(self.buffer.as_mut()) {
            w.tlv_type = t.0;
        }
    }
}

/// A marker PDU: Marker Information or Marker Response (no os-ken counterpart: os-ken does not
/// decode subtype 2; `Display` follows its notation).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Marker {
    /// Version number (1).
    pub version: u8,
    /// Information (1) or response (2).
    pub tlv_type: MarkerTlvType,
    /// The requester's port number.
    pub requester_port: u16,
    /// The requester's system identifier.
    pub requester_system: MacAddr,
    /// The requester's transaction identifier.
    pub requester_transaction_id: u32,
    /// The 2 pad bytes after the transaction identifier (zero when sent).
    pub pad: [u8; 2],
    /// The 90 reserved bytes after the terminator (zero when sent).
    #[cfg_attr(feature = "serde", serde(with = "byte_array"))]
    pub reserved: [u8; 90],
}

impl Marker {
    /// Length of a marker PDU.
    pub const LEN: usize = 110;

    /// A Marker Information PDU (a request) from port `requester_port` of `requester_system`.
    pub fn information(requester_port: u16, requester_system: MacAddr, requester_transaction_id: u32) -> Self {
        Marker {
            version: 1,
            tlv_type: MarkerTlvType::INFORMATION,
            requester_port,
            requester_system,
            requester_transaction_id,
            pad: [0; 2],
            reserved: [0; 90],
        }
    }

    /// The Marker Response to `info`: the requester's port, system and transaction id copied
    /// back (802.1AX-2014 §6.5.4.2), pad and reserved bytes zero.
    pub fn response_to(info: &Marker) -> Self {
        Marker {
            tlv_type: MarkerTlvType::RESPONSE,
            ..Marker::information(info.requester_port, info.requester_system, info.requester_transaction_id)
        }
    }

    /// True for a Marker Information PDU.
    pub fn is_information(&self) -> bool {
        self.tlv_type == MarkerTlvType::INFORMATION
    }

    /// True for a Marker Response PDU.
    pub fn is_response(&self) -> bool {
        self.tlv_type == MarkerTlvType::RESPONSE
    }

    /// Parses the marker PDU at the front of `buf`; bytes after it are ignored.
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(Self::from_view(&MarkerPdu::new_checked(buf)?))
    }

    /// Copies the PDU out of a checked view.
    pub fn from_view<T: AsRef<[u8]>>(v: &MarkerPdu<T>) -> Self {
        let w = v.w();
        Marker {
            version: w.version,
            tlv_type: MarkerTlvType(w.tlv_type),
            requester_port: w.requester_port.get(),
            requester_system: MacAddr(w.requester_system),
            requester_transaction_id: w.requester_transaction_id.get(),
            pad: w.pad,
            reserved: w.reserved,
        }
    }

    /// The PDU's 110 bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut buf = alloc::vec![0u8; Self::LEN];
        self.emit(&mut buf, &EmitContext::default())?;
        Ok(buf)
    }

    /// A whole Ethernet frame carrying this PDU from `src` to the slow protocols address.
    pub fn to_frame(&self, src: MacAddr) -> Result<Vec<u8>> {
        (Ethernet::new(MacAddr::SLOW_PROTOCOLS, src) / self.clone()).serialize_min(60)
    }
}

impl Default for Marker {
    fn default() -> Self {
        Marker::information(0, MacAddr::ZERO, 0)
    }
}

pub(crate) fn step_marker(buf: &[u8]) -> Result<Step> {
    check_marker(buf)?;
    Ok(Step { header_len: Marker::LEN, end: Marker::LEN, next: Next::Payload })
}

impl Protocol for Marker {
    const KIND: LayerKind = LayerKind::Marker;

    fn header_len(&self) -> usize {
        Self::LEN
    }

    fn emit(&self, buf: &mut [u8], _ctx: &EmitContext) -> Result<()> {
        emit_room(LayerKind::Marker, buf, Self::LEN)?;
        MarkerWire {
            subtype: SUBTYPE_MARKER,
            version: self.version,
            tlv_type: self.tlv_type.0,
            len: MARKER_TLV_LEN,
            requester_port: U16::new(self.requester_port),
            requester_system: self.requester_system.0,
            requester_transaction_id: U32::new(self.requester_transaction_id),
            pad: self.pad,
            terminator_type: 0,
            terminator_len: 0,
            reserved: self.reserved,
        }
        .write_to(buf);
        Ok(())
    }

    fn from_layer(layer: &Layer) -> Option<&Self> {
        match layer {
            Layer::Marker(v) => Some(v),
            _ => None,
        }
    }

    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self> {
        match layer {
            Layer::Marker(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Marker {
    /// `marker(requester_port=1,requester_system='..',requester_transaction_id=7,tlv_type=1,version=1)`;
    /// `pad=` and `reserved=` appear (in their alphabetical places) only when not all zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("marker(")?;
        if self.pad != [0; 2] {
            write!(f, "pad={},", PyBytes(&self.pad))?;
        }
        write!(
            f,
            "requester_port={},requester_system={},requester_transaction_id={},",
            self.requester_port,
            Quoted(self.requester_system),
            self.requester_transaction_id
        )?;
        if self.reserved != [0; 90] {
            write!(f, "reserved={},", PyBytes(&self.reserved))?;
        }
        write!(f, "tlv_type={},version={})", self.tlv_type, self.version)
    }
}

/// Serde for byte arrays longer than 32 (which serde's derive does not cover): a sequence of
/// numbers, as the shorter arrays are written.
#[cfg(feature = "serde")]
mod byte_array {
    use core::fmt;
    use serde::de::{Error as _, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer, const N: usize>(a: &[u8; N], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(a.iter())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>, const N: usize>(d: D) -> Result<[u8; N], D::Error> {
        struct V<const N: usize>;
        impl<'de, const N: usize> Visitor<'de> for V<N> {
            type Value = [u8; N];
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{N} bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<[u8; N], E> {
                v.try_into().map_err(|_| E::invalid_length(v.len(), &self))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<[u8; N], A::Error> {
                let mut out = [0u8; N];
                for (i, b) in out.iter_mut().enumerate() {
                    *b = seq.next_element()?.ok_or_else(|| A::Error::invalid_length(i, &self))?;
                }
                if seq.next_element::<u8>()?.is_some() {
                    return Err(A::Error::invalid_length(N + 1, &self));
                }
                Ok(out)
            }
        }
        d.deserialize_tuple(N, V::<N>)
    }
}
