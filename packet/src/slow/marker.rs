//! The marker protocol's PDU (802.1AX-2014 §6.5.3, subtype 2).

use super::*;

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

crate::notation::open_newtype_fmt!(MarkerTlvType);

/// Checks a marker PDU at the front of `buf`.
fn check_marker(buf: &[u8]) -> Result<()> {
    let layer = LayerKind::Marker;
    let w = MarkerWire::at(layer, buf, 0, "PDU")?;
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
    /// The fixed fields, read once by the constructor: accessors never see a short buffer.
    hdr: MarkerWire,
}

crate::bytes::header_view!(MarkerView, MarkerWire, LayerKind::Marker, "PDU");

impl<T: AsRef<[u8]>> MarkerView<T> {
    /// Length of a marker PDU.
    pub const LEN: usize = 110;

    /// Wraps `buffer`, checking the subtype, the TLV length and the terminator.
    pub fn parse(buffer: T) -> Result<Self> {
        check_marker(buffer.as_ref())?;
        let hdr = MarkerWire::read(LayerKind::Marker, buffer.as_ref(), "PDU")?;
        Ok(MarkerView { buffer, hdr })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    /// The PDU's 110 bytes.
    pub fn as_bytes(&self) -> &[u8] {
        crate::bytes::slice(self.buffer.as_ref(), 0, Self::LEN)
    }

    fn w(&self) -> &MarkerWire {
        &self.hdr
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
        crate::bytes::slice(self.buffer.as_ref(), 20, Self::LEN)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> MarkerView<T> {
    /// Sets the TLV type: a responder can turn a received information PDU into its response
    /// in place.
    pub fn set_tlv_type(&mut self, t: MarkerTlvType) {
        if let Some(w) = MarkerWire::view_mut(self.buffer.as_mut()) {
            w.tlv_type = t.0;
            self.hdr.tlv_type = t.0;
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

/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for MarkerView<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}
