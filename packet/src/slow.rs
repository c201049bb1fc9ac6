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
//!   that carries such TLVs is therefore *kept*, not refused, in the spirit of 802.1AX's
//!   forward compatibility (a receiver skips TLVs it does not understand); the version number
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
//!   a layer of a [`Packet`] they land in its `trailer`.
//! * A marker PDU has a fixed layout: its TLV must have length 16 and be followed by a
//!   terminator of type 0 and length 0, then 90 reserved bytes. Its TLV type is open
//!   ([`MarkerTlvType`]): a type other than information (1) or response (2) still parses.
//!
//! TLV lengths are always computed from the values on emit: a parsed TLV's length is by
//! construction the one its value gives, so there is no length field to keep.
//!
//! Contract (smoltcp's `new_checked`): once [`LacpView::parse`] / [`MarkerView::parse`] succeed, no
//! accessor panics, and the TLV iterator cannot fail; [`Protocol::emit`] and
//! [`Encode`] never panic: a short buffer is `ErrorKind::ShortBuffer`, a value that
//! does not fit its field `ErrorKind::Unencodable`.

use alloc::vec::Vec;
use core::fmt;
use core::ops::{BitAnd, BitOr, BitOrAssign, Not};

use crate::encode::Encode;
use crate::error::{need, Error, LayerKind, Result};
use crate::ethernet::Ethernet;
use crate::layer::{emit_room, EmitContext, Next, Protocol, Step};
use crate::mac::MacAddr;
use crate::raw::{wire_struct, U16, U32};
use crate::repr::{PyBytes, Quoted};
use crate::stack::{Layer, Packet};

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
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
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
        LacpInfo {
            system_priority,
            system,
            key,
            port_priority,
            port,
            state,
        }
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
        write!(
            f,
            ",{side}_system={},{side}_system_priority={}",
            Quoted(self.system),
            self.system_priority
        )
    }
}

/// An LACPDU TLV type (802.1AX-2014 §6.4.2.3 and §6.4.2.4). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
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
        LacpTlv {
            tlv_type,
            value: value.into(),
        }
    }

    /// The version-2 Port Algorithm TLV (802.1AX-2014 §6.4.2.4.1).
    pub fn port_algorithm(algorithm: u32) -> Self {
        LacpTlv::new(LacpTlvType::PORT_ALGORITHM, algorithm.to_be_bytes())
    }

    /// Bytes the TLV takes on the wire.
    pub fn wire_len(&self) -> usize {
        self.value.len().saturating_add(2)
    }

    /// Says why the TLV cannot be encoded, if it cannot.
    fn check_encodable(&self) -> Result<()> {
        if self.tlv_type == LacpTlvType::TERMINATOR {
            return Err(Error::Unencodable {
                layer: LayerKind::Lacp,
                what: "TLV",
                reason: "type 0 is the terminator: the PDU would end there",
            });
        }
        if self.value.len() > LacpTlv::MAX_VALUE_LEN {
            return Err(Error::Unencodable {
                layer: LayerKind::Lacp,
                what: "TLV",
                reason: "a TLV value is longer than 253 bytes (8-bit length)",
            });
        }
        Ok(())
    }
}

impl fmt::Display for LacpTlv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "LacpTlv(tlv_type={},value={})",
            self.tlv_type,
            PyBytes(&self.value)
        )
    }
}

/// A borrowed TLV of a checked [`LacpView`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LacpTlvView<'a> {
    /// The TLV type.
    pub tlv_type: LacpTlvType,
    /// The bytes after the type and length octets.
    pub value: &'a [u8],
    /// Offset of the TLV's type octet from the start of the PDU.
    pub offset: usize,
}

impl LacpTlvView<'_> {
    /// The owned TLV (a copy of its value).
    pub fn decode(&self) -> LacpTlv {
        LacpTlv {
            tlv_type: self.tlv_type,
            value: self.value.to_vec(),
        }
    }
}

impl From<LacpTlvView<'_>> for LacpTlv {
    fn from(r: LacpTlvView<'_>) -> Self {
        r.decode()
    }
}

/// Reads the TLV at `off` of an LACPDU: `Ok(None)` at the terminator.
fn read_tlv(buf: &[u8], off: usize) -> Result<Option<(LacpTlvView<'_>, usize)>> {
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
    Ok(Some((
        LacpTlvView {
            tlv_type: LacpTlvType(t),
            value,
            offset: off,
        },
        off + len,
    )))
}

/// Iterator over the TLVs between the collector TLV and the terminator of an LACPDU.
///
/// Yields `Err` once (and then stops) on a TLV that does not fit; over a checked [`LacpView`]
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
        LacpTlvs {
            buf: pdu,
            off: field::TLVS,
            done: false,
        }
    }

    /// Offset of the next TLV (of the terminator once the iterator has returned `None`).
    pub fn offset(&self) -> usize {
        self.off
    }
}

impl<'a> Iterator for LacpTlvs<'a> {
    type Item = Result<LacpTlvView<'a>>;

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
    pub const ZERO: LacpReserved = LacpReserved {
        actor: [0; 3],
        partner: [0; 3],
        collector: [0; 12],
        terminator: [0; 50],
    };

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
        (
            field::ACTOR,
            h.actor.tlv_type,
            1,
            h.actor.len,
            INFO_TLV_LEN,
            "actor_tlv_type",
            "actor_length",
        ),
        (
            field::PARTNER,
            h.partner.tlv_type,
            2,
            h.partner.len,
            INFO_TLV_LEN,
            "partner_tlv_type",
            "partner_length",
        ),
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
    need(
        layer,
        buf,
        term + 2,
        LACP_TAIL,
        "reserved bytes after the terminator",
    )?;
    Ok(term + 2 + LACP_TAIL)
}

/// A checked, zero-copy view of an LACPDU (from its subtype octet).
///
/// The buffer may run past the PDU (padding); [`pdu_len`](LacpView::pdu_len) says where the
/// PDU ends.
#[derive(Debug, Clone, Copy)]
pub struct LacpView<T: AsRef<[u8]>> {
    buffer: T,
    len: usize,
}

impl<T: AsRef<[u8]>> LacpView<T> {
    /// Wraps `buffer`, checking the subtype, the actor, partner and collector TLV types and
    /// lengths, the TLV chain up to the terminator and the 50 reserved bytes after it.
    pub fn parse(buffer: T) -> Result<Self> {
        let len = check_lacp(buffer.as_ref())?;
        Ok(LacpView { buffer, len })
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
        let tail = crate::raw::slice(
            self.buffer.as_ref(),
            self.len.saturating_sub(LACP_TAIL),
            self.len,
        );
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

impl<T: AsRef<[u8]> + AsMut<[u8]>> LacpView<T> {
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
        Ok(LacpView::parse(buf)?.decode())
    }

    /// A whole Ethernet frame carrying this PDU from `src` to the slow protocols address.
    pub fn to_frame(&self, src: MacAddr) -> Result<Vec<u8>> {
        (Ethernet::new(MacAddr::SLOW_PROTOCOLS, src) / self.clone())
            .with_min_len(Packet::ETHERNET_MIN_LEN)
            .to_vec()
    }

    fn check_encodable(&self) -> Result<()> {
        for t in &self.tlvs {
            t.check_encodable()?;
        }
        Ok(())
    }
}

impl<T: AsRef<[u8]>> LacpView<T> {
    /// The owned value: copies the PDU out of a checked view.
    pub fn decode(&self) -> Lacp {
        let v = self;
        let mut tlvs = Vec::new();
        for tlv in v.tlvs().flatten() {
            tlvs.push(tlv.decode());
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
}

impl Default for Lacp {
    fn default() -> Self {
        Lacp::new(LacpInfo::default(), LacpInfo::default(), 0)
    }
}

pub(crate) fn step_lacp(buf: &[u8]) -> Result<Step> {
    let len = check_lacp(buf)?;
    Ok(Step {
        header_len: len,
        end: len,
        next: Next::Payload,
    })
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
            actor: self
                .actor
                .to_wire(LacpTlvType::ACTOR.0, self.reserved.actor),
            partner: self
                .partner
                .to_wire(LacpTlvType::PARTNER.0, self.reserved.partner),
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
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
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
pub struct MarkerView<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> MarkerView<T> {
    /// Wraps bytes that [`parse`](Self::parse) accepted before (the spans of
    /// [`PacketView`](crate::PacketView)), without checking them again. Accessors never
    /// panic whatever the bytes; on bytes that `parse` refuses they read zeros.
    #[inline]
    pub(crate) fn from_validated(buffer: T) -> Self {
        MarkerView { buffer }
    }

    /// Length of a marker PDU.
    pub const LEN: usize = 110;

    /// Wraps `buffer`, checking the subtype, the TLV length and the terminator.
    pub fn parse(buffer: T) -> Result<Self> {
        check_marker(buffer.as_ref())?;
        Ok(MarkerView { buffer })
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

impl<T: AsRef<[u8]> + AsMut<[u8]>> MarkerView<T> {
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
    pub fn information(
        requester_port: u16,
        requester_system: MacAddr,
        requester_transaction_id: u32,
    ) -> Self {
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
            ..Marker::information(
                info.requester_port,
                info.requester_system,
                info.requester_transaction_id,
            )
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
        Ok(MarkerView::parse(buf)?.decode())
    }

    /// A whole Ethernet frame carrying this PDU from `src` to the slow protocols address.
    pub fn to_frame(&self, src: MacAddr) -> Result<Vec<u8>> {
        (Ethernet::new(MacAddr::SLOW_PROTOCOLS, src) / self.clone())
            .with_min_len(Packet::ETHERNET_MIN_LEN)
            .to_vec()
    }
}

impl<T: AsRef<[u8]>> MarkerView<T> {
    /// The owned value: copies the PDU out of a checked view.
    pub fn decode(&self) -> Marker {
        let v = self;
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
}

impl Default for Marker {
    fn default() -> Self {
        Marker::information(0, MacAddr::ZERO, 0)
    }
}

pub(crate) fn step_marker(buf: &[u8]) -> Result<Step> {
    check_marker(buf)?;
    Ok(Step {
        header_len: Marker::LEN,
        end: Marker::LEN,
        next: Next::Payload,
    })
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

    pub(super) fn serialize<S: Serializer, const N: usize>(
        a: &[u8; N],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(a.iter())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        d: D,
    ) -> Result<[u8; N], D::Error> {
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
                    *b = seq
                        .next_element()?
                        .ok_or_else(|| A::Error::invalid_length(i, &self))?;
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

/// One TLV on its own: type, length (2 + the value's length) and value. A terminator type or
/// a value past [`LacpTlv::MAX_VALUE_LEN`] bytes is [`Error::Unencodable`].
impl Encode for LacpTlv {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.wire_len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        let n = self.wire_len();
        let out = crate::encode::room(buf, n)?;
        self.check_encodable()?;
        let l = u8::try_from(n).unwrap_or(u8::MAX);
        crate::raw::put_bytes(out, 0, &[self.tlv_type.0, l]);
        crate::raw::put_bytes(out, 2, &self.value);
        Ok(n)
    }
}

/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for LacpView<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}
/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for MarkerView<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}
/// What the decoded value prints.
impl fmt::Display for LacpTlvView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

/// `LacpInfo(key=..,port=..,port_priority=..,state_activity=1,...,system='..',
/// system_priority=..)`: the attributes os-ken prints for one side of an LACPDU, without the
/// `actor_`/`partner_` prefix.
impl fmt::Display for LacpInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "LacpInfo(key={},port={},port_priority={},",
            self.key, self.port, self.port_priority
        )?;
        self.state.write_flags(f, "state", "_")?;
        write!(
            f,
            ",system={},system_priority={})",
            Quoted(self.system),
            self.system_priority
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::CodecError;
    use alloc::format;
    use alloc::string::ToString;
    use alloc::vec;
    use proptest::prelude::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
        s.chunks(2)
            .map(|c| u8::from_str_radix(core::str::from_utf8(c).unwrap(), 16).unwrap())
            .collect()
    }

    /// An LACPDU as Linux bonding (drivers/net/bonding/bond_3ad.c) sends it, built field by
    /// field from the driver's defaults, not captured: `ad_actor_sys_prio` 65535, actor system
    /// = the bond's MAC (here a KVM NIC's 52:54:00:12:34:56), port priority 255, key 9
    /// (speed AD_LINK_SPEED_1000MBPS = 4 shifted left once, | 1 for full duplex), port 2 (the
    /// second slave), state 0x3d (activity, aggregation, in sync, collecting, distributing),
    /// collector max delay 0 (AD_COLLECTOR_MAX_DELAY). The Ethernet source is the slave's own
    /// MAC; the frame is `sizeof(struct lacpdu_header)` = 124 bytes, so no padding. The partner
    /// is the Cisco switch of tcpdump's tests/LACP.pcap.
    const LINUX_BOND: &str = "0180c2000002 525400123457 8809 \
        0101 0114 ffff 525400123456 0009 00ff 0002 3d 000000 \
        0214 8000 000e8316f500 000d 8000 0019 3d 000000 \
        0310 0000 000000000000000000000000 \
        0000 0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
    /// os-ken 2.x `repr(packet.Packet(frame).protocols[1])` for LINUX_BOND.
    const LINUX_BOND_REPR: &str = "lacp(actor_key=9,actor_port=2,actor_port_priority=255,actor_state_activity=1,actor_state_aggregation=1,actor_state_collecting=1,actor_state_defaulted=0,actor_state_distributing=1,actor_state_expired=0,actor_state_synchronization=1,actor_state_timeout=0,actor_system='52:54:00:12:34:56',actor_system_priority=65535,collector_max_delay=0,partner_key=13,partner_port=25,partner_port_priority=32768,partner_state_activity=1,partner_state_aggregation=1,partner_state_collecting=1,partner_state_defaulted=0,partner_state_distributing=1,partner_state_expired=0,partner_state_synchronization=1,partner_state_timeout=0,partner_system='00:0e:83:16:f5:00',partner_system_priority=32768,version=1)";

    /// A real capture: frame 1 of tcpdump's tests/LACP.pcap (a Cisco switch, 2009), actor
    /// expired, partner with short timeout.
    const CISCO_1: &str = "0180c20000020013c4120f0d88090101011480000013c4120f00000d800000168500000002148000000e8316f500000d80000019360000000310800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
    /// os-ken's repr of CISCO_1's LACPDU.
    const CISCO_1_REPR: &str = "lacp(actor_key=13,actor_port=22,actor_port_priority=32768,actor_state_activity=1,actor_state_aggregation=1,actor_state_collecting=0,actor_state_defaulted=0,actor_state_distributing=0,actor_state_expired=1,actor_state_synchronization=0,actor_state_timeout=0,actor_system='00:13:c4:12:0f:00',actor_system_priority=32768,collector_max_delay=32768,partner_key=13,partner_port=25,partner_port_priority=32768,partner_state_activity=0,partner_state_aggregation=1,partner_state_collecting=1,partner_state_defaulted=0,partner_state_distributing=1,partner_state_expired=0,partner_state_synchronization=0,partner_state_timeout=1,partner_system='00:0e:83:16:f5:00',partner_system_priority=32768,version=1)";
    /// Frame 20 of the same capture: both sides collecting and distributing.
    const CISCO_20: &str = "0180c20000020013c4120f0d88090101011480000013c4120f00000d800000163d00000002148000000e8316f500000d800000193c0000000310800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
    /// os-ken's repr of CISCO_20's LACPDU.
    const CISCO_20_REPR: &str = "lacp(actor_key=13,actor_port=22,actor_port_priority=32768,actor_state_activity=1,actor_state_aggregation=1,actor_state_collecting=1,actor_state_defaulted=0,actor_state_distributing=1,actor_state_expired=0,actor_state_synchronization=1,actor_state_timeout=0,actor_system='00:13:c4:12:0f:00',actor_system_priority=32768,collector_max_delay=32768,partner_key=13,partner_port=25,partner_port_priority=32768,partner_state_activity=0,partner_state_aggregation=1,partner_state_collecting=1,partner_state_defaulted=0,partner_state_distributing=1,partner_state_expired=0,partner_state_synchronization=1,partner_state_timeout=0,partner_system='00:0e:83:16:f5:00',partner_system_priority=32768,version=1)";

    fn up() -> LacpState {
        LacpState::ACTIVITY
            | LacpState::AGGREGATION
            | LacpState::SYNCHRONIZATION
            | LacpState::COLLECTING
            | LacpState::DISTRIBUTING
    }

    fn linux_actor() -> LacpInfo {
        LacpInfo::new(
            65535,
            MacAddr::new(0x52, 0x54, 0, 0x12, 0x34, 0x56),
            9,
            255,
            2,
            up(),
        )
    }

    fn cisco_partner() -> LacpInfo {
        LacpInfo::new(
            32768,
            MacAddr::new(0x00, 0x0e, 0x83, 0x16, 0xf5, 0x00),
            13,
            32768,
            25,
            up(),
        )
    }

    /// A version-1 PDU head (58 bytes) with the given actor and partner, delay 0.
    fn v1_pdu() -> Vec<u8> {
        Lacp::new(linux_actor(), cisco_partner(), 0)
            .to_vec()
            .unwrap()
    }

    #[test]
    fn linux_bonding_frame() {
        let f = hex(LINUX_BOND);
        assert_eq!(f.len(), 124);
        let pkt = Packet::parse(&f).unwrap();
        assert_eq!(pkt.layers.len(), 2);
        let l = pkt.get::<Lacp>().unwrap();
        assert_eq!(l.version, 1);
        assert_eq!(l.actor, linux_actor());
        assert_eq!(l.actor.state.bits(), 0x3d);
        assert_eq!(l.partner, cisco_partner());
        assert_eq!(l.collector_max_delay, 0);
        assert!(l.tlvs.is_empty() && l.reserved.is_zero());
        assert!(pkt.payload.is_empty() && pkt.trailer.is_empty());
        assert_eq!(l.to_string(), LINUX_BOND_REPR);
        assert_eq!(pkt.to_vec().unwrap(), f);
        // Built from values, the frame comes out byte for byte.
        let built = Lacp::new(linux_actor(), cisco_partner(), 0)
            .to_frame(MacAddr::new(0x52, 0x54, 0, 0x12, 0x34, 0x57))
            .unwrap();
        assert_eq!(built, f);
        // Bytes after the PDU (a capture that kept the FCS) are trailer, never PDU.
        let mut g = f.clone();
        g.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
        let pkt = Packet::parse(&g).unwrap();
        assert_eq!(pkt.get::<Lacp>().unwrap(), l);
        assert!(pkt.payload.is_empty());
        assert_eq!(pkt.trailer, [0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(pkt.to_vec().unwrap(), g);
        let view = crate::PacketView::parse(&g).unwrap();
        assert_eq!(view.bytes(LayerKind::Lacp).unwrap().len(), 110);
        assert_eq!(view.trailer(), [0xde, 0xad, 0xbe, 0xef]);
    }

    #[test]
    fn cisco_capture() {
        for (h, repr) in [(CISCO_1, CISCO_1_REPR), (CISCO_20, CISCO_20_REPR)] {
            let f = hex(h);
            let pkt = Packet::parse(&f).unwrap();
            let l = pkt.get::<Lacp>().unwrap();
            assert_eq!(l.to_string(), repr);
            assert_eq!(format!("{pkt}"), format!("ethernet(dst='01:80:c2:00:00:02',ethertype=34825,src='00:13:c4:12:0f:0d'), {repr}"));
            assert_eq!(pkt.to_vec().unwrap(), f);
        }
        let l = Lacp::parse(&hex(CISCO_1)[14..]).unwrap();
        assert_eq!(l.actor.state, LacpState(0x85));
        assert!(
            l.actor.state.expired() && l.actor.state.activity() && !l.actor.state.synchronization()
        );
        assert!(l.partner.state.timeout());
        assert_eq!(l.collector_max_delay, 32768);
    }

    #[test]
    fn view_accessors_and_setters() {
        let mut f = hex(LINUX_BOND);
        let mut v = LacpView::parse(&mut f[14..]).unwrap();
        assert_eq!(v.subtype(), 1);
        assert_eq!(v.version(), 1);
        assert_eq!(v.pdu_len(), 110);
        assert_eq!(v.terminator_offset(), 58);
        assert_eq!(v.actor(), linux_actor());
        assert_eq!(v.partner(), cisco_partner());
        assert_eq!(v.actor_state(), up());
        assert_eq!(v.partner_state(), up());
        assert_eq!(v.collector_max_delay(), 0);
        assert_eq!(v.tlvs().count(), 0);
        assert!(v.reserved().is_zero());
        assert_eq!(v.as_bytes().len(), 110);
        let mut p = cisco_partner();
        p.state.set_synchronization(false);
        v.set_partner(&p);
        v.set_actor_state(up().with_timeout(true));
        v.set_collector_max_delay(7);
        v.set_version(2);
        let l = Lacp::parse(v.as_bytes()).unwrap();
        assert_eq!(l.partner, p);
        assert_eq!(l.actor.state, up() | LacpState::TIMEOUT);
        assert_eq!((l.collector_max_delay, l.version), (7, 2));
        let mut a = linux_actor();
        a.port = 9;
        v.set_actor(&a);
        v.set_partner_state(LacpState::EMPTY);
        assert_eq!(v.actor(), a);
        assert_eq!(v.partner_state(), LacpState::EMPTY);
    }

    #[test]
    fn state_flags() {
        let mut s = LacpState::default();
        s.set_activity(true);
        s.set_aggregation(true);
        s.set_synchronization(true);
        s.set_collecting(true);
        s.set_distributing(true);
        assert_eq!(s, LacpState(0x3d));
        assert_eq!(
            s.to_string(),
            "activity=1,aggregation=1,collecting=1,defaulted=0,distributing=1,expired=0,synchronization=1,timeout=0"
        );
        assert_eq!(
            format!("{s:?}"),
            "LacpState(0x3d: ACTIVITY|AGGREGATION|SYNCHRONIZATION|COLLECTING|DISTRIBUTING)"
        );
        assert_eq!(format!("{:?}", LacpState::EMPTY), "LacpState(0x00)");
        s.set_timeout(true);
        s.set_defaulted(true);
        s.set_expired(true);
        assert_eq!(s.bits(), 0xff);
        assert!(s.timeout() && s.defaulted() && s.expired());
        s.remove(LacpState::COLLECTING | LacpState::DISTRIBUTING);
        assert!(
            !s.collecting()
                && !s.distributing()
                && s.contains(LacpState::ACTIVITY | LacpState::EXPIRED)
        );
        assert_eq!(s & LacpState::TIMEOUT, LacpState::TIMEOUT);
        assert_eq!(!LacpState(0x0f), LacpState(0xf0));
        let mut t = LacpState::EMPTY;
        t |= LacpState::DEFAULTED;
        assert_eq!(u8::from(t), 0x40);
        assert_eq!(
            LacpState::from(0x40u8).with_defaulted(false),
            LacpState::EMPTY
        );
        assert_eq!(
            linux_actor().system_id(),
            (65535, MacAddr::new(0x52, 0x54, 0, 0x12, 0x34, 0x56))
        );
        assert_eq!(linux_actor().port_id(), (255, 2));
    }

    #[test]
    fn version2_tlvs_are_kept() {
        let mut l = Lacp::new(linux_actor(), cisco_partner(), 0);
        l.version = 2;
        l.tlvs = vec![
            LacpTlv::port_algorithm(5),
            LacpTlv::new(LacpTlvType::PORT_CONVERSATION_ID_DIGEST, [0xaa; 18]),
            LacpTlv::new(LacpTlvType::PORT_CONVERSATION_MASK_1, [0x01; 129]),
            LacpTlv::new(LacpTlvType::PORT_CONVERSATION_SERVICE_MAPPING, [0xbb; 16]),
            LacpTlv::new(LacpTlvType(0x42), []),
        ];
        let b = l.to_vec().unwrap();
        assert_eq!(b.len(), 110 + 6 + 20 + 131 + 18 + 2);
        assert_eq!(&b[58..64], [4, 6, 0, 0, 0, 5]);
        assert_eq!(&b[64..66], [5, 20]);
        assert_eq!(&b[84..86], [6, 131]);
        let v = LacpView::parse(&b[..]).unwrap();
        assert_eq!(v.pdu_len(), b.len());
        assert_eq!(v.terminator_offset(), b.len() - 52);
        let types: Vec<u8> = v.tlvs().map(|t| t.unwrap().tlv_type.0).collect();
        assert_eq!(types, [4, 5, 6, 10, 0x42]);
        assert_eq!(v.tlvs().nth(1).unwrap().unwrap().offset, 64);
        assert_eq!(Lacp::parse(&b).unwrap(), l);
        assert!(l.to_string().contains(
            ",partner_system_priority=32768,tlvs=[LacpTlv(tlv_type=4,value=b'\\x00\\x00\\x00\\x05'), LacpTlv(tlv_type=5,value=b'\\xaa"
        ));
        assert!(l
            .to_string()
            .ends_with("LacpTlv(tlv_type=66,value=b'')],version=2)"));
        // In an Ethernet frame with trailing bytes, the PDU still ends 50 bytes after the
        // terminator.
        let mut f = Lacp::new(linux_actor(), cisco_partner(), 0)
            .to_frame(MacAddr::ZERO)
            .unwrap();
        f.truncate(14);
        f.extend_from_slice(&b);
        f.extend_from_slice(&[9, 9, 9]);
        let pkt = Packet::parse(&f).unwrap();
        assert_eq!(pkt.get::<Lacp>().unwrap(), &l);
        assert_eq!(pkt.trailer, [9, 9, 9]);
        assert_eq!(pkt.to_vec().unwrap(), f);
    }

    #[test]
    fn version1_pdu_with_extra_tlvs() {
        // A version-1 PDU whose bytes at 58 form a TLV chain: kept, the PDU grows by the TLV.
        let mut b = v1_pdu();
        b.splice(58..58, [0x42, 4, 0xaa, 0xbb]);
        let l = Lacp::parse(&b).unwrap();
        assert_eq!(l.version, 1);
        assert_eq!(l.tlvs, [LacpTlv::new(LacpTlvType(0x42), [0xaa, 0xbb])]);
        assert_eq!(l.header_len(), 114);
        assert_eq!(l.to_vec().unwrap(), b);
        // Junk that does not form a chain is an error at the offending byte.
        let mut j = v1_pdu();
        j[58] = 0x42;
        j[59] = 1;
        assert!(matches!(
            Lacp::parse(&j),
            Err(Error::BadLength {
                offset: 59,
                field: "tlv_length",
                value: 1,
                ..
            })
        ));
        j[59] = 0xff;
        assert!(matches!(
            Lacp::parse(&j),
            Err(Error::Truncated {
                offset: 58,
                needed: 255,
                available: 52,
                layer: LayerKind::Lacp,
                ..
            })
        ));
        j[58] = 0;
        j[59] = 5;
        assert!(matches!(
            Lacp::parse(&j),
            Err(Error::BadLength {
                offset: 59,
                field: "terminator_length",
                ..
            })
        ));
        // A valid TLV that leaves fewer than 50 bytes after the terminator.
        let mut k = v1_pdu();
        k[58] = 0x42;
        k[59] = 4;
        assert!(matches!(
            Lacp::parse(&k),
            Err(Error::Truncated {
                offset: 64,
                needed: 50,
                available: 46,
                ..
            })
        ));
    }

    #[test]
    fn nonzero_reserved_bytes_round_trip() {
        let mut b = v1_pdu();
        for i in [19usize, 20, 21, 39, 40, 41, 46, 57, 60, 109] {
            b[i] = u8::try_from(i).unwrap();
        }
        let l = Lacp::parse(&b).unwrap();
        assert_eq!(l.reserved.actor, [19, 20, 21]);
        assert_eq!(l.reserved.partner, [39, 40, 41]);
        assert_eq!(l.reserved.collector[0], 46);
        assert_eq!(l.reserved.collector[11], 57);
        assert_eq!(
            (l.reserved.terminator[0], l.reserved.terminator[49]),
            (60, 109)
        );
        assert_eq!(l.actor, linux_actor());
        assert_eq!(l.to_vec().unwrap(), b);
        let s = l.to_string();
        assert!(
            s.contains(",reserved=LacpReserved(actor=b'\\x13\\x14\\x15',collector=b'.\\x00"),
            "{s}"
        );
        assert!(s.ends_with(",version=1)"));
    }

    #[test]
    fn lacp_negative() {
        let b = v1_pdu();
        for n in 0..58 {
            assert!(matches!(
                Lacp::parse(&b[..n]),
                Err(Error::Truncated {
                    offset: 0,
                    needed: 58,
                    layer: LayerKind::Lacp,
                    ..
                })
            ));
        }
        for n in 58..60 {
            assert!(
                matches!(
                    Lacp::parse(&b[..n]),
                    Err(Error::Truncated {
                        offset: 58,
                        needed: 2,
                        ..
                    })
                ),
                "{n}"
            );
        }
        for n in 60..110 {
            assert!(
                matches!(
                    Lacp::parse(&b[..n]),
                    Err(Error::Truncated {
                        offset: 60,
                        needed: 50,
                        ..
                    })
                ),
                "{n}"
            );
        }
        let cases: [(usize, u8, usize); 7] = [
            (0, 2, 0),
            (2, 2, 2),
            (3, 19, 3),
            (22, 1, 22),
            (23, 0, 23),
            (42, 0, 42),
            (43, 20, 43),
        ];
        for (at, val, off) in cases {
            let mut c = b.clone();
            c[at] = val;
            let e = Lacp::parse(&c).unwrap_err();
            assert_eq!(e.offset(), Some(off), "{e}");
            assert_eq!(e.layer(), LayerKind::Lacp);
            assert!(
                matches!(e, Error::BadValue { .. } | Error::BadLength { .. }),
                "{e}"
            );
            assert!(step_lacp(&c).is_err());
        }
        // Errors inside a frame are shifted to frame offsets.
        let mut f = hex(LINUX_BOND);
        f[14 + 3] = 21;
        assert!(matches!(
            Packet::parse(&f),
            Err(Error::BadLength {
                offset: 17,
                field: "actor_length",
                ..
            })
        ));
        let (pkt, err) = Packet::parse_partial(&f);
        assert!(err.is_some());
        assert_eq!(pkt.payload.len(), 110);
    }

    #[test]
    fn lacp_emit_errors() {
        let mut l = Lacp::new(linux_actor(), cisco_partner(), 0);
        let mut short = [0u8; 109];
        assert!(matches!(
            l.emit(&mut short, &EmitContext::default()),
            Err(Error::Unencodable { .. })
        ));
        l.tlvs.push(LacpTlv::new(LacpTlvType::TERMINATOR, []));
        assert!(l.to_vec().is_err());
        l.tlvs[0] = LacpTlv::new(LacpTlvType(9), vec![0; 254]);
        assert!(l.to_vec().is_err());
        l.tlvs[0].value.pop();
        assert_eq!(l.to_vec().unwrap().len(), 110 + 255);
        assert_eq!(Lacp::default().header_len(), Lacp::V1_LEN);
    }

    /// A Marker Information PDU as a Cisco switch (the requester of tests/LACP.pcap) would
    /// send it, built from 802.1AX-2014 §6.5.3.3's layout (no capture at hand): port 22,
    /// system 00:13:c4:12:0f:00, transaction 0x00000001.
    const MARKER_INFO: &str = "0180c2000002 0013c4120f0d 8809 \
        0201 0110 0016 0013c4120f00 00000001 0000 0000 \
        000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

    #[test]
    fn marker_information_and_response() {
        let f = hex(MARKER_INFO);
        assert_eq!(f.len(), 124);
        let pkt = Packet::parse(&f).unwrap();
        let m = pkt.get::<Marker>().unwrap();
        assert!(m.is_information() && !m.is_response());
        assert_eq!(
            m,
            &Marker::information(22, MacAddr::new(0, 0x13, 0xc4, 0x12, 0x0f, 0), 1)
        );
        assert_eq!(
            m.to_string(),
            "marker(requester_port=22,requester_system='00:13:c4:12:0f:00',requester_transaction_id=1,tlv_type=1,version=1)"
        );
        assert!(pkt.trailer.is_empty());
        assert_eq!(pkt.to_vec().unwrap(), f);
        assert_eq!(
            m.to_frame(MacAddr::new(0, 0x13, 0xc4, 0x12, 0x0f, 0x0d))
                .unwrap(),
            f
        );

        // The response: the same fields, TLV type 2, sent by the partner.
        let r = Marker::response_to(m);
        assert!(r.is_response());
        assert_eq!(
            (
                r.requester_port,
                r.requester_system,
                r.requester_transaction_id
            ),
            (22, m.requester_system, 1)
        );
        let rf = r
            .to_frame(MacAddr::new(0x52, 0x54, 0, 0x12, 0x34, 0x57))
            .unwrap();
        assert_eq!(rf[16], 2);
        assert_eq!(
            &rf[14..],
            &{
                let mut b = f[14..].to_vec();
                b[2] = 2;
                b
            }[..]
        );
        // A responder may also flip the type in place.
        let mut buf = f[14..].to_vec();
        let mut v = MarkerView::parse(&mut buf[..]).unwrap();
        assert_eq!(v.tlv_type(), MarkerTlvType::INFORMATION);
        v.set_tlv_type(MarkerTlvType::RESPONSE);
        assert_eq!(Marker::parse(&buf).unwrap(), r);

        let v = MarkerView::parse(&f[14..]).unwrap();
        assert_eq!(v.version(), 1);
        assert_eq!(v.requester_port(), 22);
        assert_eq!(v.requester_system(), m.requester_system);
        assert_eq!(v.requester_transaction_id(), 1);
        assert_eq!(v.pad(), [0, 0]);
        assert_eq!(v.reserved().len(), 90);
        assert_eq!(v.as_bytes().len(), 110);
        // Padding after the PDU is trailer.
        let mut g = f.clone();
        g.extend_from_slice(&[0; 6]);
        let pkt = Packet::parse(&g).unwrap();
        assert_eq!(pkt.trailer, [0; 6]);
        assert_eq!(pkt.to_vec().unwrap(), g);
    }

    #[test]
    fn marker_keeps_odd_bytes() {
        let mut b = hex(MARKER_INFO)[14..].to_vec();
        b[2] = 7;
        b[16] = 0xaa;
        b[109] = 0xbb;
        let m = Marker::parse(&b).unwrap();
        assert_eq!(m.tlv_type, MarkerTlvType(7));
        assert_eq!(m.pad, [0xaa, 0]);
        assert_eq!(m.reserved[89], 0xbb);
        assert_eq!(m.to_vec().unwrap(), b);
        let s = m.to_string();
        assert!(
            s.starts_with("marker(pad=b'\\xaa\\x00',requester_port=22,"),
            "{s}"
        );
        assert!(
            s.contains(",reserved=b'\\x00") && s.ends_with("\\xbb',tlv_type=7,version=1)"),
            "{s}"
        );
    }

    #[test]
    fn marker_negative() {
        let b = hex(MARKER_INFO)[14..].to_vec();
        for n in 0..110 {
            assert!(matches!(
                Marker::parse(&b[..n]),
                Err(Error::Truncated {
                    offset: 0,
                    needed: 110,
                    layer: LayerKind::Marker,
                    ..
                })
            ));
        }
        for (at, val, off) in [(0usize, 1u8, 0usize), (3, 15, 3), (18, 1, 18), (19, 2, 19)] {
            let mut c = b.clone();
            c[at] = val;
            let e = Marker::parse(&c).unwrap_err();
            assert_eq!(
                (e.offset(), e.layer()),
                (Some(off), LayerKind::Marker),
                "{e}"
            );
            assert!(step_marker(&c).is_err());
        }
        let mut short = [0u8; 100];
        assert!(Marker::default()
            .emit(&mut short, &EmitContext::default())
            .is_err());
    }

    #[test]
    fn tlv_iterator_on_unchecked_bytes() {
        let mut b = v1_pdu();
        b[58] = 5;
        b[59] = 3;
        let mut it = LacpTlvs::new(&b[..61]);
        let t = it.next().unwrap().unwrap();
        assert_eq!(
            (t.tlv_type, t.value, t.offset),
            (LacpTlvType(5), &[0u8][..], 58)
        );
        assert!(matches!(
            it.next(),
            Some(Err(Error::Truncated { offset: 61, .. }))
        ));
        assert!(it.next().is_none());
        assert_eq!(LacpTlvs::new(&b[..10]).count(), 1);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_round_trip() {
        let mut l = Lacp::parse(&hex(CISCO_1)[14..]).unwrap();
        l.reserved.terminator[3] = 1;
        let j = serde_json::to_string(&l).unwrap();
        assert_eq!(serde_json::from_str::<Lacp>(&j).unwrap(), l);
        let m = Marker::information(1, MacAddr::BROADCAST, 2);
        let j = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Marker>(&j).unwrap(), m);
    }

    fn info_strategy() -> impl Strategy<Value = LacpInfo> {
        (
            any::<u16>(),
            any::<[u8; 6]>(),
            any::<u16>(),
            any::<u16>(),
            any::<u16>(),
            any::<u8>(),
        )
            .prop_map(|(a, s, k, pp, p, st)| LacpInfo::new(a, MacAddr(s), k, pp, p, LacpState(st)))
    }

    fn lacp_strategy() -> impl Strategy<Value = Lacp> {
        let tlv = (1u8..=255, proptest::collection::vec(any::<u8>(), 0..40))
            .prop_map(|(t, v)| LacpTlv::new(LacpTlvType(t), v));
        let reserved = (
            any::<[u8; 3]>(),
            any::<[u8; 3]>(),
            any::<[u8; 12]>(),
            proptest::collection::vec(any::<u8>(), 50),
        )
            .prop_map(|(a, p, c, t)| LacpReserved {
                actor: a,
                partner: p,
                collector: c,
                terminator: t.try_into().unwrap(),
            });
        (
            any::<u8>(),
            info_strategy(),
            info_strategy(),
            any::<u16>(),
            proptest::collection::vec(tlv, 0..4),
            prop_oneof![Just(LacpReserved::ZERO), reserved],
        )
            .prop_map(
                |(version, actor, partner, collector_max_delay, tlvs, reserved)| Lacp {
                    version,
                    actor,
                    partner,
                    collector_max_delay,
                    tlvs,
                    reserved,
                },
            )
    }

    /// Emitting a parsed PDU gives back exactly the bytes it was parsed from.
    fn check_round_trip(bytes: &[u8]) {
        if let Ok(l) = Lacp::parse(bytes) {
            let st = step_lacp(bytes).unwrap();
            assert_eq!(st.header_len, l.header_len());
            assert_eq!(l.to_vec().unwrap(), &bytes[..st.end]);
        } else {
            assert!(step_lacp(bytes).is_err());
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..160)) {
            check_round_trip(&bytes);
            if let Ok(m) = Marker::parse(&bytes) {
                prop_assert_eq!(m.to_vec().unwrap(), &bytes[..110]);
            }
        }

        #[test]
        fn nearly_valid_bytes_round_trip(
            mut bytes in proptest::collection::vec(any::<u8>(), 110..300),
            tlv_area in proptest::collection::vec(prop_oneof![Just(0u8), 2u8..8, any::<u8>()], 0..12),
        ) {
            // A valid head, then bytes that often form short TLV chains.
            for (at, v) in [(0usize, 1u8), (2, 1), (3, 20), (22, 2), (23, 20), (42, 3), (43, 16)] {
                bytes[at] = v;
            }
            for (i, v) in tlv_area.iter().enumerate() {
                bytes[58 + i] = *v;
            }
            check_round_trip(&bytes);
            let mut m = bytes.clone();
            for (at, v) in [(0usize, 2u8), (3, 16), (18, 0), (19, 0)] {
                m[at] = v;
            }
            let marker = Marker::parse(&m).unwrap();
            prop_assert_eq!(marker.to_vec().unwrap(), &m[..110]);
        }

        #[test]
        fn owned_values_round_trip(l in lacp_strategy(), trailer in proptest::collection::vec(any::<u8>(), 0..8)) {
            let mut b = l.to_vec().unwrap();
            prop_assert_eq!(b.len(), l.header_len());
            b.extend_from_slice(&trailer);
            prop_assert_eq!(&Lacp::parse(&b).unwrap(), &l);
            let f = l.to_frame(MacAddr::new(2, 0, 0, 0, 0, 1)).unwrap();
            let pkt = Packet::parse(&f).unwrap();
            prop_assert_eq!(pkt.get::<Lacp>().unwrap(), &l);
            prop_assert_eq!(pkt.to_vec().unwrap(), f);
        }

        #[test]
        fn owned_markers_round_trip(
            version in any::<u8>(), t in any::<u8>(), port in any::<u16>(), sys in any::<[u8; 6]>(),
            id in any::<u32>(), pad in any::<[u8; 2]>(), r in proptest::collection::vec(any::<u8>(), 90),
        ) {
            let m = Marker {
                version,
                tlv_type: MarkerTlvType(t),
                requester_port: port,
                requester_system: MacAddr(sys),
                requester_transaction_id: id,
                pad,
                reserved: r.try_into().unwrap(),
            };
            prop_assert_eq!(Marker::parse(&m.to_vec().unwrap()).unwrap(), m);
        }
    }
}
