//! Link Layer Discovery Protocol (IEEE 802.1AB-2016), EtherType 0x88cc.
//!
//! An LLDPDU is a list of TLVs, each with a 16-bit header of a 7-bit type and a 9-bit length
//! (of the information string, header excluded):
//!
//! ```text
//!  0                   1                   2
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 ...
//! +-------------+-----------------+-------------------------------+
//! | type (7)    | length (9)      | information string (length)   |
//! +-------------+-----------------+-------------------------------+
//!
//! | Chassis ID (1) | Port ID (2) | TTL (3) | optional TLVs ... | End (0, length 0) |
//!
//! Chassis ID / Port ID info: subtype (1) | ID (1..=255)
//! TTL info:                  seconds (2)
//! System capabilities info:  system capabilities (2) | enabled capabilities (2)
//! Management address info:   address length (1, = 1 + address bytes) | address subtype (1) |
//!                            address | interface subtype (1) | interface number (4) |
//!                            OID length (1) | OID
//! Organizationally specific: OUI (3) | subtype (1) | information
//! ```
//!
//! # What is accepted
//!
//! * The first three TLVs must be Chassis ID (length 2 to 256), Port ID (length 2 to 256) and
//!   TTL (length 2), as 802.1AB's LLDPDU validation rules and os-ken ask; otherwise the
//!   PDU is an error at the offending TLV's offset.
//! * The PDU ends just after the End of LLDPDU TLV (type 0), which must have length 0 (an error
//!   otherwise). Bytes after it are trailer (Ethernet padding). A PDU **without** End TLV runs
//!   to the end of the buffer it is given and is accepted: 802.1AB-2016 (§8.4) made the End TLV
//!   optional, since the frame's length bounds the PDU. Its [`Lldp::tlvs`] then has no
//!   [`LldpTlv::End`], and emitting it writes none, so the round trip is exact. (In an Ethernet
//!   frame padded with zeros the padding reads as an End TLV, and the rest as trailer.)
//! * Every TLV's information string must fit in the buffer (an error at the TLV otherwise).
//! * TLVs after the first three are decoded by type when their information string has the
//!   structure the type calls for; a TLV of a type this crate does not model, or whose string
//!   does not have that structure (a system capabilities TLV that is not 4 bytes long, a
//!   management address whose inner lengths disagree with the TLV's, an organizationally
//!   specific TLV shorter than 4 bytes, a later TTL that is not 2 bytes long), is kept raw as
//!   [`LldpTlv::Other`]: 802.1AB says to skip such a TLV, not the PDU, and we keep it so that
//!   nothing is dropped. Either way it is written back unchanged.
//!
//! TLV lengths (and the management address's inner lengths) are always computed from the
//! values on emit; a parsed TLV's lengths are by construction the ones its values give.
//!
//! Contract (smoltcp's `new_checked`): once [`LldpView::parse`] succeeds, no accessor panics and
//! the TLV iterator cannot fail; [`Protocol::emit`] and [`Encode`] never panic: a
//! short buffer is `ErrorKind::ShortBuffer`, a value that does not fit its field
//! `ErrorKind::Unencodable`.

use alloc::vec::Vec;
use core::fmt;

use crate::bytes::{be16, be32, put16, put_bytes};
use crate::encode::Encode;
use crate::error::{need, Error, LayerKind, Result};
use crate::ethernet::Ethernet;
use crate::layer::{emit_room, EmitContext, Next, Protocol, Step};
use crate::mac::MacAddr;
use crate::notation::{List, PyBytes};
use crate::stack::{Layer, Packet};

/// Most bytes a TLV's information string can hold (9-bit length).
pub const MAX_INFO_LEN: usize = 511;

/// System capabilities bits (802.1AB-2016 Table 8-4), for
/// [`LldpTlv::SystemCapabilities`].
pub mod cap {
    /// Other.
    pub const OTHER: u16 = 1 << 0;
    /// Repeater (IETF RFC 2108).
    pub const REPEATER: u16 = 1 << 1;
    /// MAC bridge (IEEE 802.1D).
    pub const MAC_BRIDGE: u16 = 1 << 2;
    /// WLAN access point (IEEE 802.11 MIB).
    pub const WLAN_ACCESS_POINT: u16 = 1 << 3;
    /// Router (IETF RFC 1812).
    pub const ROUTER: u16 = 1 << 4;
    /// Telephone (IETF RFC 4293).
    pub const TELEPHONE: u16 = 1 << 5;
    /// DOCSIS cable device (IETF RFC 4639 and RFC 4546).
    pub const DOCSIS: u16 = 1 << 6;
    /// Station only (IETF RFC 4293).
    pub const STATION_ONLY: u16 = 1 << 7;
    /// C-VLAN component (IEEE 802.1Q).
    pub const CVLAN: u16 = 1 << 8;
    /// S-VLAN component (IEEE 802.1Q).
    pub const SVLAN: u16 = 1 << 9;
    /// Two-port MAC relay (IEEE 802.1Q).
    pub const TPMR: u16 = 1 << 10;
}

/// An LLDP TLV type (7 bits). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct LldpTlvType(pub u8);

impl LldpTlvType {
    /// End of LLDPDU.
    pub const END: LldpTlvType = LldpTlvType(0);
    /// Chassis ID (mandatory, first).
    pub const CHASSIS_ID: LldpTlvType = LldpTlvType(1);
    /// Port ID (mandatory, second).
    pub const PORT_ID: LldpTlvType = LldpTlvType(2);
    /// Time to live (mandatory, third).
    pub const TTL: LldpTlvType = LldpTlvType(3);
    /// Port description.
    pub const PORT_DESCRIPTION: LldpTlvType = LldpTlvType(4);
    /// System name.
    pub const SYSTEM_NAME: LldpTlvType = LldpTlvType(5);
    /// System description.
    pub const SYSTEM_DESCRIPTION: LldpTlvType = LldpTlvType(6);
    /// System capabilities.
    pub const SYSTEM_CAPABILITIES: LldpTlvType = LldpTlvType(7);
    /// Management address.
    pub const MANAGEMENT_ADDRESS: LldpTlvType = LldpTlvType(8);
    /// Organizationally specific.
    pub const ORGANIZATIONALLY_SPECIFIC: LldpTlvType = LldpTlvType(127);
}

crate::notation::open_newtype_fmt!(LldpTlvType);

/// A chassis ID subtype (802.1AB-2016 Table 8-2). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct ChassisIdSubtype(pub u8);

impl ChassisIdSubtype {
    /// Chassis component (entPhysicalAlias, IETF RFC 6933).
    pub const CHASSIS_COMPONENT: ChassisIdSubtype = ChassisIdSubtype(1);
    /// Interface alias (ifAlias, IETF RFC 2863).
    pub const INTERFACE_ALIAS: ChassisIdSubtype = ChassisIdSubtype(2);
    /// Port component (entPhysicalAlias).
    pub const PORT_COMPONENT: ChassisIdSubtype = ChassisIdSubtype(3);
    /// MAC address (6 bytes).
    pub const MAC_ADDRESS: ChassisIdSubtype = ChassisIdSubtype(4);
    /// Network address (an IANA address family number, then the address).
    pub const NETWORK_ADDRESS: ChassisIdSubtype = ChassisIdSubtype(5);
    /// Interface name (ifName).
    pub const INTERFACE_NAME: ChassisIdSubtype = ChassisIdSubtype(6);
    /// Locally assigned.
    pub const LOCALLY_ASSIGNED: ChassisIdSubtype = ChassisIdSubtype(7);
}

crate::notation::open_newtype_fmt!(ChassisIdSubtype);

/// A port ID subtype (802.1AB-2016 Table 8-3). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct PortIdSubtype(pub u8);

impl PortIdSubtype {
    /// Interface alias (ifAlias).
    pub const INTERFACE_ALIAS: PortIdSubtype = PortIdSubtype(1);
    /// Port component (entPhysicalAlias).
    pub const PORT_COMPONENT: PortIdSubtype = PortIdSubtype(2);
    /// MAC address (6 bytes).
    pub const MAC_ADDRESS: PortIdSubtype = PortIdSubtype(3);
    /// Network address.
    pub const NETWORK_ADDRESS: PortIdSubtype = PortIdSubtype(4);
    /// Interface name (ifName).
    pub const INTERFACE_NAME: PortIdSubtype = PortIdSubtype(5);
    /// Agent circuit ID (IETF RFC 3046).
    pub const AGENT_CIRCUIT_ID: PortIdSubtype = PortIdSubtype(6);
    /// Locally assigned.
    pub const LOCALLY_ASSIGNED: PortIdSubtype = PortIdSubtype(7);
}

crate::notation::open_newtype_fmt!(PortIdSubtype);

// ---------------------------------------------------------------------------------------------
// TLV framing and iteration
// ---------------------------------------------------------------------------------------------

/// A borrowed TLV: its type and information string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LldpTlvView<'a> {
    /// The TLV type.
    pub tlv_type: LldpTlvType,
    /// The information string (the `length` bytes after the header).
    pub info: &'a [u8],
    /// Offset of the TLV's header from the start of the PDU.
    pub offset: usize,
}

impl LldpTlvView<'_> {
    /// The owned, decoded TLV.
    pub fn decode(&self) -> LldpTlv {
        LldpTlv::from_parts(self.tlv_type, self.info)
    }

    /// Bytes the TLV takes on the wire.
    pub fn wire_len(&self) -> usize {
        2 + self.info.len()
    }
}

impl From<LldpTlvView<'_>> for LldpTlv {
    fn from(r: LldpTlvView<'_>) -> Self {
        r.decode()
    }
}

/// Iterator over the TLVs of an LLDPDU, End TLV included; it stops after the End TLV or at the
/// end of the buffer.
///
/// Yields `Err` once (and then stops) on a TLV that does not fit the buffer or an End TLV of
/// non-zero length; over a checked [`LldpView`] that cannot happen. Allocates nothing.
#[derive(Debug, Clone)]
pub struct LldpTlvs<'a> {
    buf: &'a [u8],
    off: usize,
    done: bool,
}

impl<'a> LldpTlvs<'a> {
    /// Iterates over the TLVs at the front of `pdu` (which need not be checked).
    pub fn new(pdu: &'a [u8]) -> Self {
        LldpTlvs {
            buf: pdu,
            off: 0,
            done: false,
        }
    }

    /// Offset of the next TLV; once the iterator is done, where the PDU ends.
    pub fn offset(&self) -> usize {
        self.off
    }
}

impl<'a> Iterator for LldpTlvs<'a> {
    type Item = Result<LldpTlvView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.off >= self.buf.len() {
            self.done = true;
            return None;
        }
        let off = self.off;
        if let Err(e) = need(LayerKind::Lldp, self.buf, off, 2, "TLV header") {
            self.done = true;
            return Some(Err(e));
        }
        let typelen = be16(self.buf, off);
        #[allow(clippy::cast_possible_truncation)]
        let t = (typelen >> 9) as u8;
        let len = usize::from(typelen & 0x01ff);
        if t == LldpTlvType::END.0 && len != 0 {
            self.done = true;
            return Some(Err(Error::BadLength {
                layer: LayerKind::Lldp,
                offset: off,
                field: "end_tlv_length",
                value: len,
                reason: "the End of LLDPDU TLV has length 0",
            }));
        }
        if let Err(e) = need(
            LayerKind::Lldp,
            self.buf,
            off + 2,
            len,
            "TLV information string",
        ) {
            self.done = true;
            return Some(Err(e));
        }
        let info = self.buf.get(off + 2..off + 2 + len).unwrap_or(&[]);
        self.off = off + 2 + len;
        if t == LldpTlvType::END.0 {
            self.done = true;
        }
        Some(Ok(LldpTlvView {
            tlv_type: LldpTlvType(t),
            info,
            offset: off,
        }))
    }
}

impl core::iter::FusedIterator for LldpTlvs<'_> {}

// ---------------------------------------------------------------------------------------------
// View
// ---------------------------------------------------------------------------------------------

/// Where the mandatory TLVs of a checked LLDPDU are.
#[derive(Debug, Clone, Copy, Default)]
struct Layout {
    /// Length of the PDU.
    len: usize,
    /// Length of the chassis ID TLV's information string.
    chassis_len: usize,
    /// Offset of the port ID TLV.
    port: usize,
    /// Length of the port ID TLV's information string.
    port_len: usize,
    /// Offset of the TTL TLV.
    ttl: usize,
    /// The PDU ends with an End TLV.
    has_end: bool,
}

fn check_lldp(buf: &[u8]) -> Result<Layout> {
    let layer = LayerKind::Lldp;
    need(layer, buf, 0, 2, "chassis ID TLV")?;
    let mut it = LldpTlvs::new(buf);
    let mut lay = Layout::default();
    let mandatory: [(u8, &'static str, &'static str, usize, usize, &'static str); 3] = [
        (
            1,
            "1 (chassis ID) as the first TLV",
            "chassis_id_length",
            2,
            256,
            "a chassis ID holds a subtype and 1 to 255 bytes",
        ),
        (
            2,
            "2 (port ID) as the second TLV",
            "port_id_length",
            2,
            256,
            "a port ID holds a subtype and 1 to 255 bytes",
        ),
        (
            3,
            "3 (TTL) as the third TLV",
            "ttl_length",
            2,
            2,
            "a TTL TLV holds 2 bytes",
        ),
    ];
    for (want, expected, lname, min, max, reason) in mandatory {
        let at = it.offset();
        let tlv = match it.next() {
            Some(r) => r?,
            None => return Err(Error::truncated(layer, at, "mandatory TLV", 2, 0)),
        };
        if tlv.tlv_type.0 != want {
            return Err(Error::BadValue {
                layer,
                offset: tlv.offset,
                field: "tlv_type",
                value: u64::from(tlv.tlv_type.0),
                expected,
            });
        }
        let len = tlv.info.len();
        if len < min || len > max {
            return Err(Error::BadLength {
                layer,
                offset: tlv.offset,
                field: lname,
                value: len,
                reason,
            });
        }
        match want {
            1 => lay.chassis_len = len,
            2 => {
                lay.port = tlv.offset;
                lay.port_len = len;
            }
            _ => lay.ttl = tlv.offset,
        }
    }
    loop {
        // A PDU without End that ends one byte before the buffer does (a 59-byte frame padded
        // to 60): that byte cannot hold a TLV header, so it is padding, not a truncated TLV.
        if buf.len().saturating_sub(it.offset()) < 2 {
            break;
        }
        match it.next() {
            None => break,
            Some(tlv) => {
                if tlv?.tlv_type == LldpTlvType::END {
                    lay.has_end = true;
                }
            }
        }
    }
    lay.len = it.offset();
    Ok(lay)
}

/// A checked, zero-copy view of an LLDPDU.
///
/// The buffer may run past the PDU (padding); [`pdu_len`](LldpView::pdu_len) says where the
/// PDU ends.
#[derive(Debug, Clone, Copy)]
pub struct LldpView<T: AsRef<[u8]>> {
    buffer: T,
    lay: Layout,
}

impl<T: AsRef<[u8]>> LldpView<T> {
    /// Wraps `buffer`, checking the mandatory TLVs, that every TLV fits, and the End TLV.
    pub fn parse(buffer: T) -> Result<Self> {
        let lay = check_lldp(buffer.as_ref())?;
        Ok(LldpView { buffer, lay })
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    /// Length of the PDU (End TLV included).
    pub fn pdu_len(&self) -> usize {
        self.lay.len
    }

    /// True when the PDU ends with an End of LLDPDU TLV (false when it runs to the end of
    /// the buffer without one).
    pub fn has_end(&self) -> bool {
        self.lay.has_end
    }

    /// The PDU's bytes (without whatever follows it in the buffer).
    pub fn as_bytes(&self) -> &[u8] {
        crate::bytes::slice(self.buffer.as_ref(), 0, self.lay.len)
    }

    /// The TLVs, End TLV included.
    pub fn tlvs(&self) -> LldpTlvs<'_> {
        LldpTlvs::new(self.as_bytes())
    }

    /// The chassis ID subtype.
    pub fn chassis_id_subtype(&self) -> ChassisIdSubtype {
        ChassisIdSubtype(self.as_bytes().get(2).copied().unwrap_or(0))
    }

    /// The chassis ID (after its subtype).
    pub fn chassis_id(&self) -> &[u8] {
        crate::bytes::slice(self.as_bytes(), 3, 2 + self.lay.chassis_len)
    }

    /// The port ID subtype.
    pub fn port_id_subtype(&self) -> PortIdSubtype {
        PortIdSubtype(self.as_bytes().get(self.lay.port + 2).copied().unwrap_or(0))
    }

    /// The port ID (after its subtype).
    pub fn port_id(&self) -> &[u8] {
        let p = self.lay.port;
        crate::bytes::slice(self.as_bytes(), p + 3, p + 2 + self.lay.port_len)
    }

    /// Time to live, seconds (0: forget this neighbour now).
    pub fn ttl(&self) -> u16 {
        be16(self.as_bytes(), self.lay.ttl + 2)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> LldpView<T> {
    /// Sets the time to live (a sender shutting down sends 0).
    pub fn set_ttl(&mut self, ttl: u16) {
        put16(self.buffer.as_mut(), self.lay.ttl + 2, ttl);
    }
}

// ---------------------------------------------------------------------------------------------
// Owned TLVs
// ---------------------------------------------------------------------------------------------

/// One LLDP TLV, decoded (Ryu's `ChassisID`, `PortID`, `TTL`, ... classes).
///
/// Byte strings are kept as bytes, as os-ken keeps them: 802.1AB does not promise UTF-8.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum LldpTlv {
    /// End of LLDPDU (type 0, length 0).
    End,
    /// Chassis ID (type 1).
    ChassisId {
        /// What the ID is.
        subtype: ChassisIdSubtype,
        /// The ID (6 bytes for [`ChassisIdSubtype::MAC_ADDRESS`]).
        chassis_id: Vec<u8>,
    },
    /// Port ID (type 2).
    PortId {
        /// What the ID is.
        subtype: PortIdSubtype,
        /// The ID.
        port_id: Vec<u8>,
    },
    /// Time to live (type 3).
    Ttl {
        /// Seconds the receiver keeps the information (0: forget it now).
        ttl: u16,
    },
    /// Port description (type 4).
    PortDescription {
        /// The description.
        port_description: Vec<u8>,
    },
    /// System name (type 5).
    SystemName {
        /// The name.
        system_name: Vec<u8>,
    },
    /// System description (type 6).
    SystemDescription {
        /// The description.
        system_description: Vec<u8>,
    },
    /// System capabilities (type 7); bits in [`cap`].
    SystemCapabilities {
        /// Capabilities the system has.
        system_cap: u16,
        /// Capabilities that are enabled.
        enabled_cap: u16,
    },
    /// Management address (type 8).
    ManagementAddress {
        /// Address family (IANA address family numbers: 1 IPv4, 2 IPv6, 6 802 MAC).
        addr_subtype: u8,
        /// The address (1 to 31 bytes).
        addr: Vec<u8>,
        /// Interface numbering subtype (1 unknown, 2 ifIndex, 3 system port number).
        intf_subtype: u8,
        /// Interface number.
        intf_num: u32,
        /// Object identifier (BER-encoded), often empty.
        oid: Vec<u8>,
    },
    /// Organizationally specific (type 127).
    OrganizationallySpecific {
        /// The organization's OUI.
        oui: [u8; 3],
        /// The organization's subtype.
        subtype: u8,
        /// The information, as the organization defines it.
        info: Vec<u8>,
    },
    /// A TLV of a type this crate does not model, or whose information string does not have
    /// the structure its type calls for; kept raw.
    Other {
        /// The TLV type (0 to 127).
        tlv_type: LldpTlvType,
        /// The information string.
        info: Vec<u8>,
    },
}

impl LldpTlv {
    /// A chassis ID of subtype MAC address.
    pub fn chassis_mac(mac: MacAddr) -> Self {
        LldpTlv::ChassisId {
            subtype: ChassisIdSubtype::MAC_ADDRESS,
            chassis_id: mac.0.to_vec(),
        }
    }

    /// A port ID of subtype interface name.
    pub fn port_name(name: impl Into<Vec<u8>>) -> Self {
        LldpTlv::PortId {
            subtype: PortIdSubtype::INTERFACE_NAME,
            port_id: name.into(),
        }
    }

    /// A time-to-live TLV.
    pub fn ttl(ttl: u16) -> Self {
        LldpTlv::Ttl { ttl }
    }

    /// A system name TLV.
    pub fn system_name(name: impl Into<Vec<u8>>) -> Self {
        LldpTlv::SystemName {
            system_name: name.into(),
        }
    }

    /// A port description TLV.
    pub fn port_description(d: impl Into<Vec<u8>>) -> Self {
        LldpTlv::PortDescription {
            port_description: d.into(),
        }
    }

    /// A system description TLV.
    pub fn system_description(d: impl Into<Vec<u8>>) -> Self {
        LldpTlv::SystemDescription {
            system_description: d.into(),
        }
    }

    /// The TLV of `tlv_type` with information string `info`, decoded by type (see the module
    /// doc for when it is kept as [`LldpTlv::Other`]). From a view, use
    /// [`LldpTlvView::decode`].
    pub fn from_parts(tlv_type: LldpTlvType, info: &[u8]) -> Self {
        let other = || LldpTlv::Other {
            tlv_type,
            info: info.to_vec(),
        };
        let rest = crate::bytes::tail(info, 1);
        match (tlv_type, info.first()) {
            (LldpTlvType::END, None) => LldpTlv::End,
            (LldpTlvType::CHASSIS_ID, Some(&s)) => LldpTlv::ChassisId {
                subtype: ChassisIdSubtype(s),
                chassis_id: rest.to_vec(),
            },
            (LldpTlvType::PORT_ID, Some(&s)) => LldpTlv::PortId {
                subtype: PortIdSubtype(s),
                port_id: rest.to_vec(),
            },
            (LldpTlvType::TTL, _) if info.len() == 2 => LldpTlv::Ttl { ttl: be16(info, 0) },
            (LldpTlvType::PORT_DESCRIPTION, _) => LldpTlv::PortDescription {
                port_description: info.to_vec(),
            },
            (LldpTlvType::SYSTEM_NAME, _) => LldpTlv::SystemName {
                system_name: info.to_vec(),
            },
            (LldpTlvType::SYSTEM_DESCRIPTION, _) => LldpTlv::SystemDescription {
                system_description: info.to_vec(),
            },
            (LldpTlvType::SYSTEM_CAPABILITIES, _) if info.len() == 4 => {
                LldpTlv::SystemCapabilities {
                    system_cap: be16(info, 0),
                    enabled_cap: be16(info, 2),
                }
            }
            (LldpTlvType::MANAGEMENT_ADDRESS, _) => {
                decode_management_address(info).unwrap_or_else(other)
            }
            (LldpTlvType::ORGANIZATIONALLY_SPECIFIC, _) => match info.first_chunk::<4>() {
                Some(&[a, b, c, subtype]) => LldpTlv::OrganizationallySpecific {
                    oui: [a, b, c],
                    subtype,
                    info: crate::bytes::tail(info, 4).to_vec(),
                },
                None => other(),
            },
            _ => other(),
        }
    }

    /// The TLV type.
    pub fn tlv_type(&self) -> LldpTlvType {
        match self {
            LldpTlv::End => LldpTlvType::END,
            LldpTlv::ChassisId { .. } => LldpTlvType::CHASSIS_ID,
            LldpTlv::PortId { .. } => LldpTlvType::PORT_ID,
            LldpTlv::Ttl { .. } => LldpTlvType::TTL,
            LldpTlv::PortDescription { .. } => LldpTlvType::PORT_DESCRIPTION,
            LldpTlv::SystemName { .. } => LldpTlvType::SYSTEM_NAME,
            LldpTlv::SystemDescription { .. } => LldpTlvType::SYSTEM_DESCRIPTION,
            LldpTlv::SystemCapabilities { .. } => LldpTlvType::SYSTEM_CAPABILITIES,
            LldpTlv::ManagementAddress { .. } => LldpTlvType::MANAGEMENT_ADDRESS,
            LldpTlv::OrganizationallySpecific { .. } => LldpTlvType::ORGANIZATIONALLY_SPECIFIC,
            LldpTlv::Other { tlv_type, .. } => *tlv_type,
        }
    }

    /// Length of the information string (the TLV's length field).
    pub fn info_len(&self) -> usize {
        match self {
            LldpTlv::End => 0,
            LldpTlv::ChassisId { chassis_id: b, .. } | LldpTlv::PortId { port_id: b, .. } => {
                1usize.saturating_add(b.len())
            }
            LldpTlv::Ttl { .. } => 2,
            LldpTlv::PortDescription {
                port_description: b,
            }
            | LldpTlv::SystemName { system_name: b }
            | LldpTlv::SystemDescription {
                system_description: b,
            }
            | LldpTlv::Other { info: b, .. } => b.len(),
            LldpTlv::SystemCapabilities { .. } => 4,
            LldpTlv::ManagementAddress { addr, oid, .. } => {
                8usize.saturating_add(addr.len()).saturating_add(oid.len())
            }
            LldpTlv::OrganizationallySpecific { info, .. } => 4usize.saturating_add(info.len()),
        }
    }

    /// Bytes the TLV takes on the wire (header included).
    pub fn wire_len(&self) -> usize {
        self.info_len().saturating_add(2)
    }

    /// The 16-bit header: type in the top 7 bits, length in the low 9 (as os-ken's `typelen`,
    /// which is what `Display` shows; out-of-range values are shown masked).
    pub fn typelen(&self) -> u16 {
        #[allow(clippy::cast_possible_truncation)]
        let len = (self.info_len() & 0x01ff) as u16;
        (u16::from(self.tlv_type().0 & 0x7f) << 9) | len
    }

    /// The information string as it goes on the wire.
    pub fn info(&self) -> Vec<u8> {
        let mut out = alloc::vec![0u8; self.info_len()];
        self.write_info(&mut out);
        out
    }

    /// Says why the TLV cannot be encoded, if it cannot.
    fn check_encodable(&self) -> Result<()> {
        let bad = |reason| {
            Err(Error::Unencodable {
                layer: LayerKind::Lldp,
                what: "TLV",
                reason,
            })
        };
        if self.tlv_type().0 > 127 {
            return bad("a TLV type is 7 bits (0 to 127)");
        }
        if self.info_len() > MAX_INFO_LEN {
            return bad("an information string is at most 511 bytes (9-bit length)");
        }
        if let LldpTlv::ManagementAddress { addr, oid, .. } = self {
            if addr.len() >= 255 || oid.len() > 255 {
                return bad("a management address or OID is longer than its 8-bit length field");
            }
        }
        if let LldpTlv::Other {
            tlv_type: LldpTlvType::END,
            info,
        } = self
        {
            if !info.is_empty() {
                return bad("an End TLV has length 0");
            }
        }
        Ok(())
    }

    /// Writes the information string to the front of `out` (truncated if `out` is short).
    fn write_info(&self, out: &mut [u8]) {
        match self {
            LldpTlv::End => {}
            LldpTlv::ChassisId {
                subtype: ChassisIdSubtype(s),
                chassis_id: b,
            }
            | LldpTlv::PortId {
                subtype: PortIdSubtype(s),
                port_id: b,
            } => {
                put_bytes(out, 0, &[*s]);
                put_bytes(out, 1, b);
            }
            LldpTlv::Ttl { ttl } => put16(out, 0, *ttl),
            LldpTlv::PortDescription {
                port_description: b,
            }
            | LldpTlv::SystemName { system_name: b }
            | LldpTlv::SystemDescription {
                system_description: b,
            }
            | LldpTlv::Other { info: b, .. } => put_bytes(out, 0, b),
            LldpTlv::SystemCapabilities {
                system_cap,
                enabled_cap,
            } => {
                put16(out, 0, *system_cap);
                put16(out, 2, *enabled_cap);
            }
            LldpTlv::ManagementAddress {
                addr_subtype,
                addr,
                intf_subtype,
                intf_num,
                oid,
            } => {
                #[allow(clippy::cast_possible_truncation)]
                let addr_len = addr.len().saturating_add(1).min(255) as u8;
                #[allow(clippy::cast_possible_truncation)]
                let oid_len = oid.len().min(255) as u8;
                put_bytes(out, 0, &[addr_len, *addr_subtype]);
                put_bytes(out, 2, addr);
                let p = 2 + addr.len();
                put_bytes(out, p, &[*intf_subtype]);
                crate::bytes::put32(out, p + 1, *intf_num);
                put_bytes(out, p + 5, &[oid_len]);
                put_bytes(out, p + 6, oid);
            }
            LldpTlv::OrganizationallySpecific { oui, subtype, info } => {
                put_bytes(out, 0, oui);
                put_bytes(out, 3, &[*subtype]);
                put_bytes(out, 4, info);
            }
        }
    }
}

fn decode_management_address(info: &[u8]) -> Option<LldpTlv> {
    let addr_len = usize::from(*info.first()?);
    if addr_len == 0 {
        return None;
    }
    let addr_subtype = *info.get(1)?;
    let addr = info.get(2..1 + addr_len)?;
    let p = 1 + addr_len;
    let intf_subtype = *info.get(p)?;
    let intf_num = info.get(p + 1..p + 5).map(|b| be32(b, 0))?;
    let oid_len = usize::from(*info.get(p + 5)?);
    if p + 6 + oid_len != info.len() {
        return None;
    }
    let oid = info.get(p + 6..)?;
    Some(LldpTlv::ManagementAddress {
        addr_subtype,
        addr: addr.to_vec(),
        intf_subtype,
        intf_num,
        oid: oid.to_vec(),
    })
}

impl fmt::Display for LldpTlv {
    /// os-ken's repr of the TLV as its parser builds it (`tlv_info`, `len` and `typelen`
    /// included); a [`LldpTlv::Other`] shows as os-ken's base class `LLDPBasicTLV`, with its
    /// `tlv_type`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.info();
        let info = PyBytes(&info);
        let len = self.info_len();
        let tl = self.typelen();
        match self {
            LldpTlv::End => write!(f, "End(len={len},tlv_info={info},typelen={tl})"),
            LldpTlv::ChassisId { subtype, chassis_id } => write!(
                f,
                "ChassisID(chassis_id={},len={len},subtype={subtype},tlv_info={info},typelen={tl})",
                PyBytes(chassis_id)
            ),
            LldpTlv::PortId { subtype, port_id } => write!(
                f,
                "PortID(len={len},port_id={},subtype={subtype},tlv_info={info},typelen={tl})",
                PyBytes(port_id)
            ),
            LldpTlv::Ttl { ttl } => write!(f, "TTL(len={len},tlv_info={info},ttl={ttl},typelen={tl})"),
            LldpTlv::PortDescription { .. } => write!(f, "PortDescription(len={len},tlv_info={info},typelen={tl})"),
            LldpTlv::SystemName { .. } => write!(f, "SystemName(len={len},tlv_info={info},typelen={tl})"),
            LldpTlv::SystemDescription { .. } => {
                write!(f, "SystemDescription(len={len},tlv_info={info},typelen={tl})")
            }
            LldpTlv::SystemCapabilities { system_cap, enabled_cap } => write!(
                f,
                "SystemCapabilities(enabled_cap={enabled_cap},len={len},system_cap={system_cap},tlv_info={info},typelen={tl})"
            ),
            LldpTlv::ManagementAddress { addr_subtype, addr, intf_subtype, intf_num, oid } => write!(
                f,
                "ManagementAddress(addr={},addr_len={},addr_subtype={addr_subtype},intf_num={intf_num},\
                 intf_subtype={intf_subtype},len={len},oid={},oid_len={},tlv_info={info},typelen={tl})",
                PyBytes(addr),
                addr.len() + 1,
                PyBytes(oid),
                oid.len()
            ),
            LldpTlv::OrganizationallySpecific { oui, subtype, info: data } => write!(
                f,
                "OrganizationallySpecific(info={},len={len},oui={},subtype={subtype},tlv_info={info},typelen={tl})",
                PyBytes(data),
                PyBytes(oui)
            ),
            LldpTlv::Other { tlv_type, .. } => {
                write!(f, "LLDPBasicTLV(len={len},tlv_info={info},tlv_type={tlv_type},typelen={tl})")
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Owned LLDPDU
// ---------------------------------------------------------------------------------------------

/// An LLDPDU (Ryu's `lldp`): its TLVs in order, End TLV included when the PDU has one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Lldp {
    /// The TLVs, in wire order.
    pub tlvs: Vec<LldpTlv>,
}

impl Lldp {
    /// The common LLDPDU: chassis ID of subtype MAC address, port ID of subtype interface
    /// name, TTL, End.
    pub fn new(chassis: MacAddr, port_name: impl Into<Vec<u8>>, ttl: u16) -> Self {
        Lldp {
            tlvs: alloc::vec![
                LldpTlv::chassis_mac(chassis),
                LldpTlv::port_name(port_name),
                LldpTlv::ttl(ttl),
                LldpTlv::End
            ],
        }
    }

    /// An LLDPDU of the given TLVs, as they are (no End TLV is added).
    pub fn from_tlvs(tlvs: Vec<LldpTlv>) -> Self {
        Lldp { tlvs }
    }

    /// Adds an optional TLV, before the End TLV if there is one.
    #[must_use]
    pub fn with(mut self, tlv: LldpTlv) -> Self {
        self.push(tlv);
        self
    }

    /// Adds an optional TLV, before the End TLV if there is one.
    pub fn push(&mut self, tlv: LldpTlv) {
        match self.tlvs.last() {
            Some(LldpTlv::End) => {
                let at = self.tlvs.len() - 1;
                self.tlvs.insert(at, tlv);
            }
            _ => self.tlvs.push(tlv),
        }
    }

    /// The chassis ID (subtype, ID) of the first chassis ID TLV.
    pub fn chassis_id(&self) -> Option<(ChassisIdSubtype, &[u8])> {
        self.tlvs.iter().find_map(|t| match t {
            LldpTlv::ChassisId {
                subtype,
                chassis_id,
            } => Some((*subtype, chassis_id.as_slice())),
            _ => None,
        })
    }

    /// The port ID (subtype, ID) of the first port ID TLV.
    pub fn port_id(&self) -> Option<(PortIdSubtype, &[u8])> {
        self.tlvs.iter().find_map(|t| match t {
            LldpTlv::PortId { subtype, port_id } => Some((*subtype, port_id.as_slice())),
            _ => None,
        })
    }

    /// The time to live of the first TTL TLV.
    pub fn ttl(&self) -> Option<u16> {
        self.tlvs.iter().find_map(|t| match t {
            LldpTlv::Ttl { ttl } => Some(*ttl),
            _ => None,
        })
    }

    /// The system name, if there is a system name TLV.
    pub fn system_name(&self) -> Option<&[u8]> {
        self.tlvs.iter().find_map(|t| match t {
            LldpTlv::SystemName { system_name } => Some(system_name.as_slice()),
            _ => None,
        })
    }

    /// Parses the LLDPDU at the front of `buf`; bytes after its End TLV are ignored.
    pub fn parse(buf: &[u8]) -> Result<Self> {
        Ok(LldpView::parse(buf)?.decode())
    }

    /// A whole Ethernet frame carrying this PDU from `src` to the nearest-bridge address
    /// `01:80:c2:00:00:0e`, padded to 60 bytes.
    pub fn to_frame(&self, src: MacAddr) -> Result<Vec<u8>> {
        (Ethernet::new(MacAddr::LLDP_NEAREST_BRIDGE, src) / self.clone())
            .with_min_len(Packet::ETHERNET_MIN_LEN)
            .to_vec()
    }
}

impl<T: AsRef<[u8]>> LldpView<T> {
    /// The owned value: copies the TLVs out of a checked view.
    pub fn decode(&self) -> Lldp {
        let v = self;
        let mut tlvs = Vec::new();
        for tlv in v.tlvs().flatten() {
            tlvs.push(tlv.decode());
        }
        Lldp { tlvs }
    }
}

pub(crate) fn step_lldp(buf: &[u8]) -> Result<Step> {
    let len = check_lldp(buf)?.len;
    Ok(Step {
        header_len: len,
        end: len,
        next: Next::Payload,
    })
}

impl Protocol for Lldp {
    const KIND: LayerKind = LayerKind::Lldp;

    fn header_len(&self) -> usize {
        self.tlvs
            .iter()
            .fold(0usize, |n, t| n.saturating_add(t.wire_len()))
    }

    fn emit(&self, buf: &mut [u8], _ctx: &EmitContext) -> Result<()> {
        emit_room(LayerKind::Lldp, buf, self.header_len())?;
        for t in &self.tlvs {
            t.check_encodable()?;
        }
        let mut off = 0usize;
        for t in &self.tlvs {
            put16(buf, off, t.typelen());
            if let Some(out) = buf.get_mut(off + 2..) {
                t.write_info(out);
            }
            off += t.wire_len();
        }
        // What we write must be an LLDPDU a receiver accepts: the mandatory TLVs first, in
        // order, with their lengths in range (an empty chassis ID, say, is refused here).
        match check_lldp(crate::bytes::slice(buf, 0, off)) {
            Ok(lay) if lay.len == off => Ok(()),
            _ => Err(Error::Unencodable {
                layer: LayerKind::Lldp,
                what: "LLDPDU",
                reason: "not a valid LLDPDU: chassis ID, port ID and TTL must come first, \
                         with IDs of 1 to 255 bytes and End (if any) last",
            }),
        }
    }

    fn from_layer(layer: &Layer) -> Option<&Self> {
        match layer {
            Layer::Lldp(v) => Some(v),
            _ => None,
        }
    }

    fn from_layer_mut(layer: &mut Layer) -> Option<&mut Self> {
        match layer {
            Layer::Lldp(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Lldp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lldp(tlvs={})", List(&self.tlvs))
    }
}

/// One TLV on its own: the 16-bit type and length, then the information string. A type past
/// 127 or an information string past [`MAX_INFO_LEN`] (511) bytes does not fit its field and
/// is [`Error::Unencodable`].
impl Encode for LldpTlv {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.wire_len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        let n = self.wire_len();
        let out = crate::encode::room(buf, n)?;
        self.check_encodable()?;
        put16(out, 0, self.typelen());
        if let Some(info) = out.get_mut(2..) {
            self.write_info(info);
        }
        Ok(n)
    }
}

/// What the decoded value prints (Ryu's notation).
impl<T: AsRef<[u8]>> fmt::Display for LldpView<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}
/// What the decoded value prints.
impl fmt::Display for LldpTlvView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.decode(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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

    /// A real capture of lldpd (Ubuntu 14.04 host, MUD URL patch): tcpdump's
    /// tests/lldp_mudurl.pcap, frame 1. Chassis ID and port ID are the interface MAC, then
    /// system name, description, capabilities, IPv4 and IPv6 management addresses, port
    /// description, IEEE 802.1 link aggregation and 802.3 MAC/PHY TLVs, the MUD URL, End.
    const LLDPD: &str = "0180c200000e002354c2570288cc020704002354c25702040703002354c25702060200780a1c75707374616972732e6f66636f75727365696d72696768742e636f6d0c5c5562756e74752031342e30342e35204c5453204c696e757820332e31332e302d3130362d67656e6572696320233135332d5562756e747520534d50205475652044656320362031353a34353a313320555443203230313620693638360e04009c0008100c05013e0cad7202000000020010181102200108a810060004022354fffec25702020000000200080465746830fe0900120f030100000000fe0900120f0103ecc30010fe4000005e0168747470733a2f2f696d72696768742e6d75642e6578616d706c652e636f6d2f2e77656c6c2d6b6e6f776e2f6d75642f76312f766f6d697476322e300000";
    /// os-ken 2.x `repr(packet.Packet(frame).protocols[1])` for LLDPD.
    const LLDPD_REPR: &str = r#"lldp(tlvs=[ChassisID(chassis_id=b'\x00#T\xc2W\x02',len=7,subtype=4,tlv_info=b'\x04\x00#T\xc2W\x02',typelen=519), PortID(len=7,port_id=b'\x00#T\xc2W\x02',subtype=3,tlv_info=b'\x03\x00#T\xc2W\x02',typelen=1031), TTL(len=2,tlv_info=b'\x00x',ttl=120,typelen=1538), SystemName(len=28,tlv_info=b'upstairs.ofcourseimright.com',typelen=2588), SystemDescription(len=92,tlv_info=b'Ubuntu 14.04.5 LTS Linux 3.13.0-106-generic #153-Ubuntu SMP Tue Dec 6 15:45:13 UTC 2016 i686',typelen=3164), SystemCapabilities(enabled_cap=8,len=4,system_cap=156,tlv_info=b'\x00\x9c\x00\x08',typelen=3588), ManagementAddress(addr=b'>\x0c\xadr',addr_len=5,addr_subtype=1,intf_num=2,intf_subtype=2,len=12,oid=b'',oid_len=0,tlv_info=b'\x05\x01>\x0c\xadr\x02\x00\x00\x00\x02\x00',typelen=4108), ManagementAddress(addr=b' \x01\x08\xa8\x10\x06\x00\x04\x02#T\xff\xfe\xc2W\x02',addr_len=17,addr_subtype=2,intf_num=2,intf_subtype=2,len=24,oid=b'',oid_len=0,tlv_info=b'\x11\x02 \x01\x08\xa8\x10\x06\x00\x04\x02#T\xff\xfe\xc2W\x02\x02\x00\x00\x00\x02\x00',typelen=4120), PortDescription(len=4,tlv_info=b'eth0',typelen=2052), OrganizationallySpecific(info=b'\x01\x00\x00\x00\x00',len=9,oui=b'\x00\x12\x0f',subtype=3,tlv_info=b'\x00\x12\x0f\x03\x01\x00\x00\x00\x00',typelen=65033), OrganizationallySpecific(info=b'\x03\xec\xc3\x00\x10',len=9,oui=b'\x00\x12\x0f',subtype=1,tlv_info=b'\x00\x12\x0f\x01\x03\xec\xc3\x00\x10',typelen=65033), OrganizationallySpecific(info=b'https://imright.mud.example.com/.well-known/mud/v1/vomitv2.0',len=64,oui=b'\x00\x00^',subtype=1,tlv_info=b'\x00\x00^\x01https://imright.mud.example.com/.well-known/mud/v1/vomitv2.0',typelen=65088), End(len=0,tlv_info=b'',typelen=0)])"#;

    /// A real capture of a Cisco Catalyst 3560 (IOS 12.2(44)SE): tcpdump's
    /// tests/LLDP_and_CDP.pcap, frame 3.
    const CISCO: &str = "0180c200000e00192fa7b28d88cc02070400192fa7b28d040d0155706c696e6b20746f205331060200780a0c53322e636973636f2e636f6d0cbe436973636f20494f5320536f6674776172652c20433335363020536f667477617265202843333536302d414456495053455256494345534b392d4d292c2056657273696f6e2031322e322834342953452c2052454c4541534520534f4654574152452028666331290a436f707972696768742028632920313938362d3230303820627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564205361742030352d4a616e2d30382030303a3135206279207765696c697508134769676162697445746865726e6574302f31330e0400140004fe060080c2010001fe0900120f0103c03600100000";
    /// os-ken's repr of CISCO's LLDPDU.
    const CISCO_REPR: &str = r#"lldp(tlvs=[ChassisID(chassis_id=b'\x00\x19/\xa7\xb2\x8d',len=7,subtype=4,tlv_info=b'\x04\x00\x19/\xa7\xb2\x8d',typelen=519), PortID(len=13,port_id=b'Uplink to S1',subtype=1,tlv_info=b'\x01Uplink to S1',typelen=1037), TTL(len=2,tlv_info=b'\x00x',ttl=120,typelen=1538), SystemName(len=12,tlv_info=b'S2.cisco.com',typelen=2572), SystemDescription(len=190,tlv_info=b'Cisco IOS Software, C3560 Software (C3560-ADVIPSERVICESK9-M), Version 12.2(44)SE, RELEASE SOFTWARE (fc1)\nCopyright (c) 1986-2008 by Cisco Systems, Inc.\nCompiled Sat 05-Jan-08 00:15 by weiliu',typelen=3262), PortDescription(len=19,tlv_info=b'GigabitEthernet0/13',typelen=2067), SystemCapabilities(enabled_cap=4,len=4,system_cap=20,tlv_info=b'\x00\x14\x00\x04',typelen=3588), OrganizationallySpecific(info=b'\x00\x01',len=6,oui=b'\x00\x80\xc2',subtype=1,tlv_info=b'\x00\x80\xc2\x01\x00\x01',typelen=65030), OrganizationallySpecific(info=b'\x03\xc06\x00\x10',len=9,oui=b'\x00\x12\x0f',subtype=1,tlv_info=b'\x00\x12\x0f\x01\x03\xc06\x00\x10',typelen=65033), End(len=0,tlv_info=b'',typelen=0)])"#;

    /// The LLDP frame os-ken's topology discovery (os_ken/topology/switches.py,
    /// `LLDPPacket.lldp_packet(dpid=1, port_no=2, dl_addr='00:00:00:00:00:02', ttl=120)`)
    /// sends, as os-ken 2.x builds it: padded to 60 bytes after the End TLV.
    const OSKEN_TOPOLOGY: &str = "0180c200000e00000000000288cc021607647069643a3030303030303030303030303030303104050200000002060200780000000000000000000000";
    /// os-ken's repr of it.
    const OSKEN_TOPOLOGY_REPR: &str = r"lldp(tlvs=[ChassisID(chassis_id=b'dpid:0000000000000001',len=22,subtype=7,tlv_info=b'\x07dpid:0000000000000001',typelen=534), PortID(len=5,port_id=b'\x00\x00\x00\x02',subtype=2,tlv_info=b'\x02\x00\x00\x00\x02',typelen=1029), TTL(len=2,tlv_info=b'\x00x',ttl=120,typelen=1538), End(len=0,tlv_info=b'',typelen=0)])";

    /// os-ken 2.x serializing `lldp(tlvs=[ChassisID(subtype=4, chassis_id=02:00:00:00:00:01),
    /// PortID(subtype=5, port_id=b'eth0'), TTL(ttl=120), End()])` from 02:00:00:00:00:01
    /// (padded to 60 bytes).
    const OSKEN_BUILT: &str = "0180c200000e02000000000188cc02070402000000000104050565746830060200780000000000000000000000000000000000000000000000000000";

    #[test]
    fn lldpd_frame() {
        let f = hex(LLDPD);
        assert_eq!(f.len(), 302);
        let pkt = Packet::parse(&f).unwrap();
        let l = pkt.get::<Lldp>().unwrap();
        assert_eq!(l.to_string(), LLDPD_REPR);
        assert_eq!(l.tlvs.len(), 13);
        let mac = [0x00u8, 0x23, 0x54, 0xc2, 0x57, 0x02];
        assert_eq!(
            l.chassis_id(),
            Some((ChassisIdSubtype::MAC_ADDRESS, &mac[..]))
        );
        assert_eq!(l.port_id(), Some((PortIdSubtype::MAC_ADDRESS, &mac[..])));
        assert_eq!(l.ttl(), Some(120));
        assert_eq!(l.system_name(), Some(&b"upstairs.ofcourseimright.com"[..]));
        assert_eq!(
            l.tlvs[6],
            LldpTlv::ManagementAddress {
                addr_subtype: 1,
                addr: vec![62, 12, 173, 114],
                intf_subtype: 2,
                intf_num: 2,
                oid: vec![]
            }
        );
        assert_eq!(
            l.tlvs[5],
            LldpTlv::SystemCapabilities {
                system_cap: 0x9c,
                enabled_cap: cap::WLAN_ACCESS_POINT
            }
        );
        assert_eq!(l.tlvs.last(), Some(&LldpTlv::End));
        assert!(pkt.payload.is_empty() && pkt.trailer.is_empty());
        assert_eq!(pkt.to_vec().unwrap(), f);

        let v = LldpView::parse(&f[14..]).unwrap();
        assert_eq!(v.pdu_len(), 288);
        assert!(v.has_end());
        assert_eq!(v.chassis_id_subtype(), ChassisIdSubtype::MAC_ADDRESS);
        assert_eq!(v.chassis_id(), &mac[..]);
        assert_eq!(v.port_id_subtype(), PortIdSubtype::MAC_ADDRESS);
        assert_eq!(v.port_id(), &mac[..]);
        assert_eq!(v.ttl(), 120);
        let offsets: Vec<usize> = v.tlvs().map(|t| t.unwrap().offset).collect();
        assert_eq!(&offsets[..4], [0, 9, 18, 22]);
        assert_eq!(*offsets.last().unwrap(), 286);
        assert_eq!(v.tlvs().map(|t| t.unwrap().wire_len()).sum::<usize>(), 288);
        let view = crate::PacketView::parse(&f).unwrap();
        assert_eq!(view.bytes(LayerKind::Lldp).unwrap().len(), 288);
    }

    #[test]
    fn cisco_frame() {
        let f = hex(CISCO);
        let pkt = Packet::parse(&f).unwrap();
        let l = pkt.get::<Lldp>().unwrap();
        assert_eq!(l.to_string(), CISCO_REPR);
        assert_eq!(
            l.port_id(),
            Some((PortIdSubtype::INTERFACE_ALIAS, &b"Uplink to S1"[..]))
        );
        assert_eq!(
            l.tlvs[7],
            LldpTlv::OrganizationallySpecific {
                oui: [0x00, 0x80, 0xc2],
                subtype: 1,
                info: vec![0, 1]
            }
        );
        assert_eq!(pkt.to_vec().unwrap(), f);
    }

    #[test]
    fn osken_topology_frame_with_padding() {
        let f = hex(OSKEN_TOPOLOGY);
        assert_eq!(f.len(), 60);
        let pkt = Packet::parse(&f).unwrap();
        let l = pkt.get::<Lldp>().unwrap();
        assert_eq!(l.to_string(), OSKEN_TOPOLOGY_REPR);
        assert_eq!(l.header_len(), 37);
        assert!(pkt.payload.is_empty());
        assert_eq!(pkt.trailer, [0; 9]);
        assert_eq!(pkt.to_vec().unwrap(), f);
        assert_eq!(
            format!("{pkt}"),
            format!(
                "ethernet(dst='01:80:c2:00:00:0e',ethertype=35020,src='00:00:00:00:00:02'), {OSKEN_TOPOLOGY_REPR}, b'{}'",
                "\\x00".repeat(9)
            )
        );
    }

    #[test]
    fn common_constructor_matches_osken() {
        let src = MacAddr::new(2, 0, 0, 0, 0, 1);
        let l = Lldp::new(src, "eth0", 120);
        let f = l.to_frame(src).unwrap();
        assert_eq!(f, hex(OSKEN_BUILT));
        assert_eq!(Packet::parse(&f).unwrap().get::<Lldp>(), Some(&l));
        let l = l
            .with(LldpTlv::system_name("sw1"))
            .with(LldpTlv::port_description("uplink"));
        assert_eq!(l.tlvs.len(), 6);
        assert_eq!(l.tlvs[3], LldpTlv::system_name("sw1"));
        assert_eq!(l.tlvs.last(), Some(&LldpTlv::End));
        assert_eq!(l.system_name(), Some(&b"sw1"[..]));
        let mut no_end = Lldp::from_tlvs(vec![LldpTlv::chassis_mac(src)]);
        no_end.push(LldpTlv::ttl(1));
        assert_eq!(no_end.tlvs[1], LldpTlv::ttl(1));
    }

    #[test]
    fn view_set_ttl() {
        let mut b = hex(LLDPD)[14..].to_vec();
        let mut v = LldpView::parse(&mut b[..]).unwrap();
        v.set_ttl(0);
        assert_eq!(v.ttl(), 0);
        assert_eq!(Lldp::parse(&b).unwrap().ttl(), Some(0));
    }

    /// Chassis ID (MAC), port ID "p1", TTL 120: the mandatory TLVs, 18 bytes.
    fn mandatory() -> Vec<u8> {
        hex("0207 04 020000000001  0403 05 7031  0602 0078")
    }

    #[test]
    fn pdu_without_end_runs_to_buffer_end() {
        let b = mandatory();
        let v = LldpView::parse(&b[..]).unwrap();
        assert!(!v.has_end());
        assert_eq!(v.pdu_len(), 18);
        let l = Lldp::parse(&b).unwrap();
        assert_eq!(l.tlvs.len(), 3);
        assert_eq!(l.to_vec().unwrap(), b);
        // In a frame padded with zeros, the padding reads as the End TLV.
        let mut f = hex("0180c200000e 020000000001 88cc");
        f.extend_from_slice(&b);
        f.resize(60, 0);
        let pkt = Packet::parse(&f).unwrap();
        assert_eq!(pkt.get::<Lldp>().unwrap().tlvs.last(), Some(&LldpTlv::End));
        assert_eq!(pkt.trailer.len(), 60 - 14 - 20);
        assert_eq!(pkt.to_vec().unwrap(), f);
    }

    #[test]
    fn lldp_negative() {
        let m = mandatory();
        let err = |b: &[u8]| {
            let e = Lldp::parse(b).unwrap_err();
            assert!(step_lldp(b).is_err());
            assert_eq!(e.layer(), LayerKind::Lldp);
            e
        };
        assert!(matches!(
            err(&[]),
            Error::Truncated {
                offset: 0,
                needed: 2,
                available: 0,
                ..
            }
        ));
        assert!(matches!(
            err(&[2]),
            Error::Truncated {
                offset: 0,
                needed: 2,
                available: 1,
                ..
            }
        ));
        // Information string past the buffer.
        for n in 2..9 {
            assert!(
                matches!(
                    err(&m[..n]),
                    Error::Truncated {
                        offset: 2,
                        needed: 7,
                        ..
                    }
                ),
                "{n}"
            );
        }
        // The buffer ends after the chassis ID: the port ID is missing.
        assert!(matches!(
            err(&m[..9]),
            Error::Truncated {
                offset: 9,
                what: "mandatory TLV",
                ..
            }
        ));
        assert!(matches!(
            err(&m[..10]),
            Error::Truncated {
                offset: 9,
                needed: 2,
                available: 1,
                ..
            }
        ));
        // Wrong order / End too early.
        let mut c = m.clone();
        c[0] = 0x04; // port ID first
        assert!(matches!(
            err(&c),
            Error::BadValue {
                offset: 0,
                field: "tlv_type",
                value: 2,
                ..
            }
        ));
        let mut c = m[..9].to_vec();
        c.extend_from_slice(&[0, 0]);
        assert!(matches!(
            err(&c),
            Error::BadValue {
                offset: 9,
                value: 0,
                ..
            }
        ));
        // Mandatory TLV lengths.
        let c = hex("0201 04  0403 05 7031  0602 0078");
        assert!(matches!(
            err(&c),
            Error::BadLength {
                offset: 0,
                field: "chassis_id_length",
                value: 1,
                ..
            }
        ));
        let mut c = vec![0x03, 0x01, 0x07];
        c.extend_from_slice(&[b'x'; 256]);
        assert!(matches!(
            err(&c),
            Error::BadLength {
                offset: 0,
                value: 257,
                ..
            }
        ));
        let c = hex("0207 04 020000000001  0401 05  0602 0078");
        assert!(matches!(
            err(&c),
            Error::BadLength {
                offset: 9,
                field: "port_id_length",
                ..
            }
        ));
        let c = hex("0207 04 020000000001  0403 05 7031  0603 007800");
        assert!(matches!(
            err(&c),
            Error::BadLength {
                offset: 14,
                field: "ttl_length",
                value: 3,
                ..
            }
        ));
        // End with a length, and a TLV running past the buffer, after the mandatory ones.
        let mut c = m.clone();
        c.extend_from_slice(&[0x00, 0x01, 0x00]);
        assert!(matches!(
            err(&c),
            Error::BadLength {
                offset: 18,
                field: "end_tlv_length",
                value: 1,
                ..
            }
        ));
        let mut c = m.clone();
        c.extend_from_slice(&[0x0a, 0x05, b'a']);
        assert!(matches!(
            err(&c),
            Error::Truncated {
                offset: 20,
                needed: 5,
                available: 1,
                ..
            }
        ));
        // One byte after the mandatory TLVs of a PDU without End cannot hold a TLV header:
        // it is padding (a 59-byte frame padded to 60), not a truncated TLV.
        let mut c = m.clone();
        c.push(0x0a);
        assert_eq!(Lldp::parse(&c).unwrap(), Lldp::parse(&m).unwrap());
        assert_eq!(step_lldp(&c).unwrap().end, m.len());
        // In a frame, offsets count from the frame's first byte.
        let mut c = m.clone();
        c.extend_from_slice(&[0x0a, 0x05, b'a']);
        let mut f = hex("0180c200000e 020000000001 88cc");
        f.extend_from_slice(&c);
        assert!(matches!(
            Packet::parse(&f),
            Err(Error::Truncated { offset: 34, .. })
        ));
    }

    #[test]
    fn odd_tlvs_are_kept_raw() {
        let mut b = mandatory();
        b.extend_from_slice(&hex("0e03 000400 \
             1008 05010a0000010200 \
             fe03 00120f \
             0603 007800 \
             1204 deadbeef \
             0200 \
             100f 05010a00000102000000030 32b0601 \
             0000"));
        let l = Lldp::parse(&b).unwrap();
        let t = &l.tlvs[3..];
        assert_eq!(
            t[0],
            LldpTlv::Other {
                tlv_type: LldpTlvType::SYSTEM_CAPABILITIES,
                info: vec![0, 4, 0]
            }
        );
        assert!(matches!(
            &t[1],
            LldpTlv::Other {
                tlv_type: LldpTlvType::MANAGEMENT_ADDRESS,
                ..
            }
        ));
        assert!(matches!(
            &t[2],
            LldpTlv::Other {
                tlv_type: LldpTlvType::ORGANIZATIONALLY_SPECIFIC,
                ..
            }
        ));
        assert!(matches!(
            &t[3],
            LldpTlv::Other {
                tlv_type: LldpTlvType::TTL,
                ..
            }
        ));
        assert_eq!(
            t[4],
            LldpTlv::Other {
                tlv_type: LldpTlvType(9),
                info: vec![0xde, 0xad, 0xbe, 0xef]
            }
        );
        assert_eq!(
            t[5],
            LldpTlv::Other {
                tlv_type: LldpTlvType::CHASSIS_ID,
                info: vec![]
            }
        );
        assert_eq!(
            t[6],
            LldpTlv::ManagementAddress {
                addr_subtype: 1,
                addr: vec![10, 0, 0, 1],
                intf_subtype: 2,
                intf_num: 3,
                oid: vec![0x2b, 6, 1]
            }
        );
        assert_eq!(t[7], LldpTlv::End);
        assert_eq!(l.to_vec().unwrap(), b);
        assert_eq!(
            t[4].to_string(),
            r"LLDPBasicTLV(len=4,tlv_info=b'\xde\xad\xbe\xef',tlv_type=9,typelen=4612)"
        );
        // os-ken 2.x's repr of the same management address TLV.
        assert_eq!(
            t[6].to_string(),
            r"ManagementAddress(addr=b'\n\x00\x00\x01',addr_len=5,addr_subtype=1,intf_num=3,intf_subtype=2,len=15,oid=b'+\x06\x01',oid_len=3,tlv_info=b'\x05\x01\n\x00\x00\x01\x02\x00\x00\x00\x03\x03+\x06\x01',typelen=4111)"
        );
    }

    #[test]
    fn emit_errors() {
        let base = || Lldp::new(MacAddr::ZERO, "p", 1);
        for bad in [
            LldpTlv::system_name(vec![b'x'; 512]),
            LldpTlv::Other {
                tlv_type: LldpTlvType(128),
                info: vec![],
            },
            LldpTlv::Other {
                tlv_type: LldpTlvType::END,
                info: vec![1],
            },
            LldpTlv::ManagementAddress {
                addr_subtype: 1,
                addr: vec![0; 255],
                intf_subtype: 1,
                intf_num: 0,
                oid: vec![],
            },
            LldpTlv::ManagementAddress {
                addr_subtype: 1,
                addr: vec![0; 4],
                intf_subtype: 1,
                intf_num: 0,
                oid: vec![0; 256],
            },
        ] {
            assert!(matches!(
                base().with(bad).to_vec(),
                Err(Error::Unencodable {
                    layer: LayerKind::Lldp,
                    ..
                })
            ));
        }
        assert_eq!(
            base()
                .with(LldpTlv::system_name(vec![b'x'; 511]))
                .to_vec()
                .unwrap()
                .len(),
            9 + 4 + 4 + 513 + 2
        );
        let mut short = [0u8; 10];
        assert!(base().emit(&mut short, &EmitContext::default()).is_err());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_round_trip() {
        let l = Lldp::parse(&hex(LLDPD)[14..]).unwrap();
        let j = serde_json::to_string(&l).unwrap();
        assert_eq!(serde_json::from_str::<Lldp>(&j).unwrap(), l);
    }

    fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 0..max)
    }

    fn optional_tlv() -> impl Strategy<Value = LldpTlv> {
        prop_oneof![
            (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..300)).prop_map(|(s, id)| {
                LldpTlv::ChassisId {
                    subtype: ChassisIdSubtype(s),
                    chassis_id: id,
                }
            }),
            (any::<u8>(), bytes(40)).prop_map(|(s, id)| LldpTlv::PortId {
                subtype: PortIdSubtype(s),
                port_id: id
            }),
            any::<u16>().prop_map(LldpTlv::ttl),
            proptest::collection::vec(any::<u8>(), 0..=511).prop_map(LldpTlv::port_description),
            bytes(40).prop_map(LldpTlv::system_name),
            bytes(40).prop_map(LldpTlv::system_description),
            (any::<u16>(), any::<u16>()).prop_map(|(s, e)| LldpTlv::SystemCapabilities {
                system_cap: s,
                enabled_cap: e
            }),
            (any::<u8>(), bytes(32), any::<u8>(), any::<u32>(), bytes(40)).prop_map(
                |(a, addr, i, n, oid)| {
                    LldpTlv::ManagementAddress {
                        addr_subtype: a,
                        addr,
                        intf_subtype: i,
                        intf_num: n,
                        oid,
                    }
                }
            ),
            (any::<[u8; 3]>(), any::<u8>(), bytes(60)).prop_map(|(oui, subtype, info)| {
                LldpTlv::OrganizationallySpecific { oui, subtype, info }
            }),
            (9u8..127, bytes(60)).prop_map(|(t, info)| LldpTlv::Other {
                tlv_type: LldpTlvType(t),
                info
            }),
        ]
    }

    fn lldp_strategy() -> impl Strategy<Value = Lldp> {
        (
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 1..=255),
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 1..=255),
            any::<u16>(),
            proptest::collection::vec(optional_tlv(), 0..5),
            any::<bool>(),
        )
            .prop_map(|(cs, cid, ps, pid, ttl, rest, end)| {
                let mut tlvs = vec![
                    LldpTlv::ChassisId {
                        subtype: ChassisIdSubtype(cs),
                        chassis_id: cid,
                    },
                    LldpTlv::PortId {
                        subtype: PortIdSubtype(ps),
                        port_id: pid,
                    },
                    LldpTlv::ttl(ttl),
                ];
                tlvs.extend(rest);
                if end {
                    tlvs.push(LldpTlv::End);
                }
                Lldp { tlvs }
            })
    }

    fn check_round_trip(b: &[u8]) {
        match Lldp::parse(b) {
            Ok(l) => {
                let st = step_lldp(b).unwrap();
                assert_eq!((st.header_len, st.end), (l.header_len(), l.header_len()));
                assert_eq!(l.to_vec().unwrap(), &b[..st.end]);
                let _ = l.to_string();
            }
            Err(_) => assert!(step_lldp(b).is_err()),
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_round_trip(b in bytes(200)) {
            check_round_trip(&b);
        }

        #[test]
        fn nearly_valid_bytes_round_trip(tail in proptest::collection::vec(
            prop_oneof![Just(0u8), Just(2), Just(4), Just(0x0e), Just(0x10), Just(0xfe), any::<u8>()], 0..120)
        ) {
            let mut b = mandatory();
            b.extend_from_slice(&tail);
            check_round_trip(&b);
        }

        #[test]
        fn owned_values_round_trip(l in lldp_strategy(), pad in 0usize..20) {
            let b = l.to_vec().unwrap();
            prop_assert_eq!(b.len(), l.header_len());
            prop_assert_eq!(&Lldp::parse(&b).unwrap(), &l);
            let f = l.to_frame(MacAddr::new(2, 0, 0, 0, 0, 9)).unwrap();
            let pkt = Packet::parse(&f).unwrap();
            let mut want = l.clone();
            if !l.tlvs.contains(&LldpTlv::End) && f.len() >= 14 + b.len() + 2 {
                // Padding zeros read as the End TLV (one byte of padding is no TLV: trailer).
                want.tlvs.push(LldpTlv::End);
            }
            prop_assert_eq!(pkt.get::<Lldp>().unwrap(), &want);
            prop_assert_eq!(pkt.to_vec().unwrap(), f);
            if l.tlvs.contains(&LldpTlv::End) {
                let mut padded = b.clone();
                padded.resize(b.len() + pad, 0xa5);
                prop_assert_eq!(&Lldp::parse(&padded).unwrap(), &l);
            }
        }
    }
}
