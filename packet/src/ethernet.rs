//! Ethernet II (IEEE 802.3 with an EtherType) and IEEE 802.1Q / 802.1ad VLAN tags.
//!
//! ```text
//!  0                   6                   12      14
//! +-------------------+-------------------+-------+---------
//! | destination MAC   | source MAC        | type  | payload
//! +-------------------+-------------------+-------+---------
//! ```
//! A VLAN tag is the 4 bytes that follow an EtherType of 0x8100 (C-tag), 0x88a8 (S-tag) or
//! 0x9100: a 16-bit TCI (PCP:3, DEI:1, VID:12) and the EtherType of what follows. Tags stack to
//! any depth (QinQ); each is its own [`Vlan`] layer, as in Ryu.
//!
//! Contract (smoltcp's `new_checked`): once [`EthernetView::parse`] / [`VlanView::parse`] succeed,
//! no accessor panics; [`Protocol::emit`] and [`Encode`](crate::Encode) never panic: a short buffer
//! is `ErrorKind::ShortBuffer`, a value that does not fit its field `ErrorKind::Unencodable`.

use core::fmt;

use crate::bytes::{wire_struct, U16};
use crate::error::{Error, LayerKind, Result};
use crate::layer::{emit_room, EmitContext, Next, Protocol, Step};
use crate::mac::MacAddr;
use crate::notation::{Opt, Quoted};
use crate::stack::Layer;

wire_struct! {
    /// The 14-byte Ethernet II header.
    pub(crate) struct EthHeader {
        dst: [u8; 6],
        src: [u8; 6],
        ethertype: U16,
    }
}

wire_struct! {
    /// The 4 bytes of a VLAN tag after its TPID.
    pub(crate) struct VlanHeader {
        tci: U16,
        ethertype: U16,
    }
}

/// An EtherType (IEEE registry). Open: any value parses, the constants name the ones this crate
/// knows. Values up to 1500 are 802.3 length fields, not types.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct EtherType(pub u16);

impl EtherType {
    /// IPv4.
    pub const IPV4: EtherType = EtherType(0x0800);
    /// ARP.
    pub const ARP: EtherType = EtherType(0x0806);
    /// IEEE 802.1Q customer VLAN tag (C-tag).
    pub const VLAN: EtherType = EtherType(0x8100);
    /// IEEE 802.1ad service VLAN tag (S-tag, QinQ).
    pub const QINQ: EtherType = EtherType(0x88a8);
    /// The pre-standard QinQ tag some switches still send.
    pub const QINQ_OLD: EtherType = EtherType(0x9100);
    /// IPv6.
    pub const IPV6: EtherType = EtherType(0x86dd);
    /// Slow protocols (LACP, marker): IEEE 802.3 annex 57A.
    pub const SLOW: EtherType = EtherType(0x8809);
    /// MPLS unicast.
    pub const MPLS: EtherType = EtherType(0x8847);
    /// MPLS multicast.
    pub const MPLS_MULTICAST: EtherType = EtherType(0x8848);
    /// LLDP.
    pub const LLDP: EtherType = EtherType(0x88cc);

    /// True for the TPIDs that introduce a VLAN tag (0x8100, 0x88a8, 0x9100).
    pub const fn is_vlan(self) -> bool {
        matches!(self.0, 0x8100 | 0x88a8 | 0x9100)
    }
}

impl fmt::Display for EtherType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for EtherType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EtherType({:#06x})", self.0)
    }
}

crate::notation::open_newtype_from!(EtherType(u16));

/// A checked, zero-copy view of an Ethernet II frame.
#[derive(Debug, Clone, Copy)]
pub struct EthernetView<T: AsRef<[u8]>> {
    buffer: T,
    /// The fixed header, read once by the constructor: accessors never see a short buffer.
    hdr: EthHeader,
}

crate::bytes::header_view!(EthernetView, EthHeader, LayerKind::Ethernet, "header");

impl<T: AsRef<[u8]>> EthernetView<T> {
    /// Length of the Ethernet II header.
    pub const HEADER_LEN: usize = 14;

    /// Wraps `buffer`, checking that it holds a whole header.
    pub fn parse(buffer: T) -> Result<Self> {
        let hdr = EthHeader::read(LayerKind::Ethernet, buffer.as_ref(), "header")?;
        Ok(EthernetView { buffer, hdr })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn h(&self) -> &EthHeader {
        &self.hdr
    }

    /// Destination address.
    pub fn dst(&self) -> MacAddr {
        MacAddr(self.h().dst)
    }

    /// Source address.
    pub fn src(&self) -> MacAddr {
        MacAddr(self.h().src)
    }

    /// EtherType of the payload.
    pub fn ethertype(&self) -> EtherType {
        EtherType(self.h().ethertype.get())
    }

    /// Everything after the 14-byte header (padding included: the frame has no length field).
    pub fn payload(&self) -> &[u8] {
        crate::bytes::tail(self.buffer.as_ref(), Self::HEADER_LEN)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> EthernetView<T> {
    fn h_mut(&mut self) -> Option<&mut EthHeader> {
        EthHeader::view_mut(self.buffer.as_mut())
    }

    /// Sets the destination address.
    pub fn set_dst(&mut self, mac: MacAddr) {
        if let Some(h) = self.h_mut() {
            h.dst = mac.0;
        }
        self.reload();
    }

    /// Sets the source address.
    pub fn set_src(&mut self, mac: MacAddr) {
        if let Some(h) = self.h_mut() {
            h.src = mac.0;
        }
        self.reload();
    }

    /// Sets the EtherType.
    pub fn set_ethertype(&mut self, t: EtherType) {
        if let Some(h) = self.h_mut() {
            h.ethertype.set(t.0);
        }
        self.reload();
    }

    /// The payload, mutably.
    pub fn payload_mut(&mut self) -> &mut [u8] {
        self.buffer
            .as_mut()
            .get_mut(Self::HEADER_LEN..)
            .unwrap_or(&mut [])
    }
}

/// An Ethernet II header (Ryu's `ethernet`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ethernet {
    /// Destination address.
    pub dst: MacAddr,
    /// Source address.
    pub src: MacAddr,
    /// EtherType; `None` lets the encoder take it from the next layer.
    pub ethertype: Option<EtherType>,
}

impl Ethernet {
    /// Length of the header.
    pub const LEN: usize = 14;

    /// A header whose EtherType comes from the next layer.
    pub fn new(dst: MacAddr, src: MacAddr) -> Self {
        Ethernet {
            dst,
            src,
            ethertype: None,
        }
    }

    /// Sets the EtherType explicitly.
    #[must_use]
    pub fn with_ethertype(mut self, t: EtherType) -> Self {
        self.ethertype = Some(t);
        self
    }

    /// Parses the header at the front of `buf`.
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(EthernetView::parse(buf)?.decode())
    }
}

impl<T: AsRef<[u8]>> EthernetView<T> {
    /// The owned value: copies the header out of a checked view.
    pub fn decode(&self) -> Ethernet {
        let v = self;
        Ethernet {
            dst: v.dst(),
            src: v.src(),
            ethertype: Some(v.ethertype()),
        }
    }
}

pub(crate) fn step_ethernet(buf: &[u8]) -> Result<Step> {
    let t = EtherType(
        EthHeader::at(LayerKind::Ethernet, buf, 0, "header")?
            .ethertype
            .get(),
    );
    Ok(Step {
        header_len: Ethernet::LEN,
        end: buf.len(),
        next: Next::Ethertype(t),
    })
}

impl Protocol for Ethernet {
    const KIND: LayerKind = LayerKind::Ethernet;

    fn header_len(&self) -> usize {
        Self::LEN
    }

    fn emit(&self, buf: &mut [u8], ctx: &EmitContext) -> Result<()> {
        emit_room(LayerKind::Ethernet, buf, Self::LEN)?;
        let ethertype = self
            .ethertype
            .or(ctx.next_ethertype)
            .ok_or(Error::Unencodable {
                layer: LayerKind::Ethernet,
                what: "ethertype",
                reason: "not set, and the next layer has no EtherType",
            })?;
        let h = EthHeader {
            dst: self.dst.0,
            src: self.src.0,
            ethertype: U16::new(ethertype.0),
        };
        h.write_to(buf);
        Ok(())
    }

    fn from_layer(layer: &Layer) -> Option<&Self> {
        match layer {
            Layer::Ethernet(v) => Some(v),
            _ => None,
        }
    }

    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self> {
        match layer {
            Layer::Ethernet(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Ethernet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ethernet(dst={},ethertype={},src={})",
            Quoted(self.dst),
            Opt(self.ethertype),
            Quoted(self.src)
        )
    }
}

/// A checked, zero-copy view of a VLAN tag: the 4 bytes after a TPID (0x8100, 0x88a8, ...).
#[derive(Debug, Clone, Copy)]
pub struct VlanView<T: AsRef<[u8]>> {
    buffer: T,
    /// The fixed header, read once by the constructor: accessors never see a short buffer.
    hdr: VlanHeader,
}

crate::bytes::header_view!(VlanView, VlanHeader, LayerKind::Vlan, "tag");

impl<T: AsRef<[u8]>> VlanView<T> {
    /// Length of a tag after its TPID.
    pub const HEADER_LEN: usize = 4;

    /// Wraps `buffer`, checking that it holds a whole tag.
    pub fn parse(buffer: T) -> Result<Self> {
        let hdr = VlanHeader::read(LayerKind::Vlan, buffer.as_ref(), "tag")?;
        Ok(VlanView { buffer, hdr })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn h(&self) -> &VlanHeader {
        &self.hdr
    }

    /// The 16-bit tag control information.
    pub fn tci(&self) -> u16 {
        self.h().tci.get()
    }

    /// Priority code point (3 bits).
    pub fn pcp(&self) -> u8 {
        #[allow(clippy::cast_possible_truncation)]
        let v = (self.tci() >> 13) as u8;
        v
    }

    /// Drop eligible indicator (formerly CFI).
    pub fn dei(&self) -> bool {
        self.tci() & 0x1000 != 0
    }

    /// VLAN identifier (12 bits).
    pub fn vid(&self) -> u16 {
        self.tci() & 0x0fff
    }

    /// EtherType of what follows the tag.
    pub fn ethertype(&self) -> EtherType {
        EtherType(self.h().ethertype.get())
    }

    /// Everything after the tag.
    pub fn payload(&self) -> &[u8] {
        crate::bytes::tail(self.buffer.as_ref(), Self::HEADER_LEN)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> VlanView<T> {
    fn set_tci(&mut self, tci: u16) {
        if let Some(h) = VlanHeader::view_mut(self.buffer.as_mut()) {
            h.tci.set(tci);
        }
        self.reload();
    }

    /// Sets the VLAN identifier (low 12 bits of `vid`).
    pub fn set_vid(&mut self, vid: u16) {
        let tci = (self.tci() & 0xf000) | (vid & 0x0fff);
        self.set_tci(tci);
    }

    /// Sets the priority code point (low 3 bits of `pcp`).
    pub fn set_pcp(&mut self, pcp: u8) {
        let tci = (self.tci() & 0x1fff) | (u16::from(pcp & 7) << 13);
        self.set_tci(tci);
    }

    /// Sets the EtherType of what follows.
    pub fn set_ethertype(&mut self, t: EtherType) {
        if let Some(h) = VlanHeader::view_mut(self.buffer.as_mut()) {
            h.ethertype.set(t.0);
        }
        self.reload();
    }
}

/// A VLAN tag (Ryu's `vlan`, or `svlan` for an 802.1ad S-tag): the TPID that announced it,
/// priority, drop eligibility, VLAN id and the inner EtherType.
///
/// The TPID (0x8100 for an 802.1Q C-tag, 0x88a8 for an 802.1ad S-tag, 0x9100 for the
/// pre-standard QinQ tag) sits at the end of the layer before the tag, as that layer's
/// EtherType. [`Packet::parse`](crate::Packet::parse) keeps it in [`tpid`](Vlan::tpid), and
/// encoding writes it back there when that layer's EtherType is left unset (`None`), so a
/// stack of 0x8100 + 0x8100 tags stays one. A tag built without a TPID (`tpid: None`, as
/// [`Vlan::new`] makes it) gets the default choice: 0x88a8 for a tag that another tag follows,
/// 0x8100 otherwise. An EtherType set on the layer before is written as set, and wins over
/// `tpid`.
///
/// JSON (feature `serde`) is os-ken's `to_jsondict()`: `{"cfi": 0, "ethertype": 2048, "pcp": 0,
/// "vid": 10}`, the tag keyed `vlan` in a [`Packet`](crate::Packet)'s layers, or `svlan` for an
/// S-tag (TPID 0x88a8), as os-ken names its classes. The TPID the key implies (0x8100 for
/// `vlan`, 0x88a8 for `svlan`) is not written; another TPID is written as `"tpid": <number>`,
/// and a TPID left to the encoder as `"tpid": null`. Reading, a missing `tpid` is the one the
/// key implies (0x8100 for a tag read on its own), and `cfi` may be `0`/`1` (os-ken) or
/// `false`/`true`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(from = "VlanJson", into = "VlanJson")
)]
pub struct Vlan {
    /// The TPID that announces the tag (the EtherType of the layer before it); `None` lets the
    /// encoder choose (0x88a8 when another tag follows, 0x8100 otherwise). Parsing a whole
    /// frame sets it; [`Vlan::parse`], which sees only the 4 bytes after the TPID, leaves it
    /// `None`. In JSON see [the type's documentation](Vlan).
    pub tpid: Option<EtherType>,
    /// Priority code point (0–7).
    pub pcp: u8,
    /// Drop eligible indicator (Ryu calls it `cfi`).
    pub cfi: bool,
    /// VLAN identifier (0–4095).
    pub vid: u16,
    /// EtherType of what follows; `None` lets the encoder take it from the next layer.
    pub ethertype: Option<EtherType>,
}

impl Vlan {
    /// Length of a tag after its TPID.
    pub const LEN: usize = 4;

    /// A tag with the given VLAN id, priority 0.
    pub fn new(vid: u16) -> Self {
        Vlan {
            vid,
            ..Vlan::default()
        }
    }

    /// Parses the tag at the front of `buf` (the bytes after the TPID).
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(VlanView::parse(buf)?.decode())
    }

    /// The same tag announced by `tpid` (0x8100, 0x88a8 or 0x9100).
    #[must_use]
    pub fn with_tpid(mut self, tpid: EtherType) -> Self {
        self.tpid = Some(tpid);
        self
    }

    /// The TPID the encoder writes for this tag when `following_is_tag` tells whether another
    /// tag comes right after it: [`tpid`](Vlan::tpid) when set, else the default choice.
    pub fn tpid_or_default(&self, following_is_tag: bool) -> EtherType {
        match self.tpid {
            Some(t) => t,
            None if following_is_tag => EtherType::QINQ,
            None => EtherType::VLAN,
        }
    }

    /// Ryu's class name for the tag: `svlan` for an 802.1ad S-tag (TPID 0x88a8), `vlan`
    /// otherwise (an unset TPID included).
    pub(crate) fn ryu_name(&self) -> &'static str {
        if self.tpid == Some(EtherType::QINQ) {
            "svlan"
        } else {
            "vlan"
        }
    }

    /// The TCI this tag encodes to.
    pub fn tci(&self) -> u16 {
        (u16::from(self.pcp & 7) << 13) | (u16::from(self.cfi) << 12) | (self.vid & 0x0fff)
    }
}

impl<T: AsRef<[u8]>> VlanView<T> {
    /// The owned value: copies the tag out of a checked view. The view does not see the TPID
    /// before it, so `tpid` is `None` ([`PacketView::decode`](crate::PacketView::decode) fills
    /// it in).
    pub fn decode(&self) -> Vlan {
        let v = self;
        Vlan {
            tpid: None,
            pcp: v.pcp(),
            cfi: v.dei(),
            vid: v.vid(),
            ethertype: Some(v.ethertype()),
        }
    }
}

pub(crate) fn step_vlan(buf: &[u8]) -> Result<Step> {
    let t = EtherType(
        VlanHeader::at(LayerKind::Vlan, buf, 0, "tag")?
            .ethertype
            .get(),
    );
    Ok(Step {
        header_len: Vlan::LEN,
        end: buf.len(),
        next: Next::Ethertype(t),
    })
}

impl Protocol for Vlan {
    const KIND: LayerKind = LayerKind::Vlan;

    fn header_len(&self) -> usize {
        Self::LEN
    }

    fn emit(&self, buf: &mut [u8], ctx: &EmitContext) -> Result<()> {
        emit_room(LayerKind::Vlan, buf, Self::LEN)?;
        if self.pcp > 7 || self.vid > 0x0fff {
            return Err(Error::Unencodable {
                layer: LayerKind::Vlan,
                what: "tci",
                reason: "pcp must be 0-7 and vid 0-4095",
            });
        }
        let ethertype = self
            .ethertype
            .or(ctx.next_ethertype)
            .ok_or(Error::Unencodable {
                layer: LayerKind::Vlan,
                what: "ethertype",
                reason: "not set, and the next layer has no EtherType",
            })?;
        VlanHeader {
            tci: U16::new(self.tci()),
            ethertype: U16::new(ethertype.0),
        }
        .write_to(buf);
        Ok(())
    }

    fn from_layer(layer: &Layer) -> Option<&Self> {
        match layer {
            Layer::Vlan(v) => Some(v),
            _ => None,
        }
    }

    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self> {
        match layer {
            Layer::Vlan(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Vlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}(cfi={},ethertype={},pcp={},vid={})",
            self.ryu_name(),
            u8::from(self.cfi),
            Opt(self.ethertype),
            self.pcp,
            self.vid
        )
    }
}

/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for EthernetView<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}
/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for VlanView<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

/// [`Vlan`]'s JSON object (os-ken's attributes, alphabetical), with the TPID written only when
/// the key does not imply it.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct VlanJson {
    #[serde(with = "bool_int")]
    cfi: bool,
    ethertype: Option<EtherType>,
    pcp: u8,
    /// Outer `None`: the field is absent (the TPID the key implies); `Some(None)`: `null`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    tpid: Option<Option<EtherType>>,
    vid: u16,
}

#[cfg(feature = "serde")]
impl VlanJson {
    /// The JSON of `v` under a key that implies `implied`.
    pub(crate) fn new(v: &Vlan, implied: EtherType) -> Self {
        VlanJson {
            cfi: v.cfi,
            ethertype: v.ethertype,
            pcp: v.pcp,
            tpid: (v.tpid != Some(implied)).then_some(v.tpid),
            vid: v.vid,
        }
    }

    /// The tag, read under a key that implies `implied`.
    pub(crate) fn into_vlan(self, implied: EtherType) -> Vlan {
        Vlan {
            tpid: self.tpid.unwrap_or(Some(implied)),
            pcp: self.pcp,
            cfi: self.cfi,
            vid: self.vid,
            ethertype: self.ethertype,
        }
    }
}

/// A tag on its own reads and writes as under the `vlan` key.
#[cfg(feature = "serde")]
impl From<VlanJson> for Vlan {
    fn from(j: VlanJson) -> Self {
        j.into_vlan(EtherType::VLAN)
    }
}

#[cfg(feature = "serde")]
impl From<Vlan> for VlanJson {
    fn from(v: Vlan) -> Self {
        VlanJson::new(&v, EtherType::VLAN)
    }
}

/// A field that is present: `null` is `Some(None)` (an absent one is `None`, by `default`).
#[cfg(feature = "serde")]
fn present<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> core::result::Result<Option<Option<EtherType>>, D::Error> {
    <Option<EtherType> as serde::Deserialize>::deserialize(d).map(Some)
}

/// os-ken's `0`/`1` for a flag; `false`/`true` are read too.
#[cfg(feature = "serde")]
mod bool_int {
    use core::fmt;

    pub(super) fn serialize<S: serde::Serializer>(v: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(u8::from(*v))
    }

    pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("0, 1, false or true")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<bool, E> {
                Ok(v)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<bool, E> {
                match v {
                    0 => Ok(false),
                    1 => Ok(true),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Unsigned(v), &self)),
                }
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<bool, E> {
                match v {
                    0 => Ok(false),
                    1 => Ok(true),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Signed(v), &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}
