//! The Link Aggregation Control Protocol's PDU (IEEE 802.1AX-2014 §6.4.2, subtype 1).

use super::*;

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

crate::notation::open_newtype_fmt!(LacpTlvType);

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
    let h = LacpHead::at(layer, buf, 0, "header")?;
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
    /// The fixed front, read once by `parse`: accessors never see a short buffer.
    hdr: LacpHead,
    len: usize,
}

impl<T: AsRef<[u8]>> LacpView<T> {
    /// Wraps `buffer`, checking the subtype, the actor, partner and collector TLV types and
    /// lengths, the TLV chain up to the terminator and the 50 reserved bytes after it.
    pub fn parse(buffer: T) -> Result<Self> {
        let len = check_lacp(buffer.as_ref())?;
        let hdr = LacpHead::read(LayerKind::Lacp, buffer.as_ref(), "header")?;
        Ok(LacpView { buffer, hdr, len })
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
        crate::bytes::slice(self.buffer.as_ref(), 0, self.len)
    }

    fn h(&self) -> &LacpHead {
        &self.hdr
    }

    /// Re-reads the header copy after a setter wrote the buffer.
    fn reload(&mut self) {
        if let Ok(h) = LacpHead::read(LayerKind::Lacp, self.buffer.as_ref(), "header") {
            self.hdr = h;
        }
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
        let tail = crate::bytes::slice(
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
        self.reload();
    }

    /// Rewrites the actor information (its reserved bytes are left as they are).
    pub fn set_actor(&mut self, info: &LacpInfo) {
        if let Some(h) = self.h_mut() {
            h.actor = info.to_wire(h.actor.tlv_type, h.actor.reserved);
        }
        self.reload();
    }

    /// Rewrites the partner information (its reserved bytes are left as they are).
    pub fn set_partner(&mut self, info: &LacpInfo) {
        if let Some(h) = self.h_mut() {
            h.partner = info.to_wire(h.partner.tlv_type, h.partner.reserved);
        }
        self.reload();
    }

    /// Sets the actor state octet.
    pub fn set_actor_state(&mut self, s: LacpState) {
        if let Some(h) = self.h_mut() {
            h.actor.state = s.0;
        }
        self.reload();
    }

    /// Sets the partner state octet.
    pub fn set_partner_state(&mut self, s: LacpState) {
        if let Some(h) = self.h_mut() {
            h.partner.state = s.0;
        }
        self.reload();
    }

    /// Sets the collector max delay.
    pub fn set_collector_max_delay(&mut self, d: u16) {
        if let Some(h) = self.h_mut() {
            h.collector.max_delay.set(d);
        }
        self.reload();
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
            crate::bytes::put_bytes(buf, off, &[t.tlv_type.0, l]);
            crate::bytes::put_bytes(buf, off + 2, &t.value);
            off += t.wire_len();
        }
        crate::bytes::put_bytes(buf, off, &[0, 0]);
        crate::bytes::put_bytes(buf, off + 2, &self.reserved.terminator);
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
            write!(f, ",tlvs={}", crate::notation::List(&self.tlvs))?;
        }
        write!(f, ",version={})", self.version)
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
        crate::bytes::put_bytes(out, 0, &[self.tlv_type.0, l]);
        crate::bytes::put_bytes(out, 2, &self.value);
        Ok(n)
    }
}

/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for LacpView<T> {
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
