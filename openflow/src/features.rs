//! OFPT_FEATURES_REPLY (`ofp_switch_features`): the switch's datapath id, buffers, tables and
//! capabilities. A fixed structure: the owned value is also the view.

use core::fmt;
use core::str::FromStr;

use bytes::BufMut;

use crate::codec::{put_zeros, MessageBody, Reader, WireWrite};
use crate::codec_error::Result;
use crate::header::MsgType;
use crate::port::bitset;

/// A datapath id: 64 bits that identify a switch, printed as 16 hex digits
/// (`000008606e7f74e7`) as ovs-ofctl prints it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct DatapathId(pub u64);

impl fmt::Display for DatapathId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for DatapathId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatapathId({self})")
    }
}

impl From<u64> for DatapathId {
    fn from(v: u64) -> Self {
        DatapathId(v)
    }
}

impl From<DatapathId> for u64 {
    fn from(v: DatapathId) -> Self {
        v.0
    }
}

/// The string is not a datapath id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseDatapathIdError;

impl fmt::Display for ParseDatapathIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a datapath id is 1 to 16 hex digits, optionally with 0x or colons")
    }
}

impl core::error::Error for ParseDatapathIdError {}

impl FromStr for DatapathId {
    type Err = ParseDatapathIdError;

    /// Parses hex digits (`000008606e7f74e7`, `0x1`, `00:00:08:60:6e:7f:74:e7`).
    fn from_str(s: &str) -> core::result::Result<Self, Self::Err> {
        let s = s
            .strip_prefix("0x")
            .or_else(|| s.strip_prefix("0X"))
            .unwrap_or(s);
        let mut v: u64 = 0;
        let mut digits = 0;
        for c in s.chars() {
            if c == ':' {
                continue;
            }
            let d = c.to_digit(16).ok_or(ParseDatapathIdError)?;
            digits += 1;
            if digits > 16 {
                return Err(ParseDatapathIdError);
            }
            v = (v << 4) | u64::from(d);
        }
        if digits == 0 {
            return Err(ParseDatapathIdError);
        }
        Ok(DatapathId(v))
    }
}

bitset! {
    /// Switch capabilities (`ofp_capabilities`, OFPC_*).
    pub struct Capabilities(u32) {
        /// OFPC_FLOW_STATS: flow statistics.
        const FLOW_STATS = 1 << 0 => "FLOW_STATS";
        /// OFPC_TABLE_STATS: table statistics.
        const TABLE_STATS = 1 << 1 => "TABLE_STATS";
        /// OFPC_PORT_STATS: port statistics.
        const PORT_STATS = 1 << 2 => "PORT_STATS";
        /// OFPC_GROUP_STATS: group statistics.
        const GROUP_STATS = 1 << 3 => "GROUP_STATS";
        /// OFPC_IP_REASM: can reassemble IP fragments.
        const IP_REASM = 1 << 5 => "IP_REASM";
        /// OFPC_QUEUE_STATS: queue statistics.
        const QUEUE_STATS = 1 << 6 => "QUEUE_STATS";
        /// OFPC_PORT_BLOCKED: the switch blocks looping ports.
        const PORT_BLOCKED = 1 << 8 => "PORT_BLOCKED";
    }
}

/// OFPT_FEATURES_REPLY (`ofp_switch_features`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SwitchFeatures {
    /// The datapath id: the low 48 bits are often a MAC address, the top 16 bits are
    /// implementer-defined.
    pub datapath_id: DatapathId,
    /// How many packets the switch can buffer at once.
    pub n_buffers: u32,
    /// How many flow tables the switch has.
    pub n_tables: u8,
    /// Which connection this is: 0 for the main connection, else an auxiliary one.
    pub auxiliary_id: u8,
    /// Capabilities.
    pub capabilities: Capabilities,
    /// The `reserved` field, kept as found.
    pub reserved: u32,
}

impl SwitchFeatures {
    /// Body length.
    pub const LEN: usize = 24;
}

impl MessageBody for SwitchFeatures {
    const TYPE: MsgType = MsgType::FEATURES_REPLY;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        let datapath_id = DatapathId(r.u64("ofp_switch_features.datapath_id")?);
        let n_buffers = r.u32("ofp_switch_features.n_buffers")?;
        let n_tables = r.u8("ofp_switch_features.n_tables")?;
        let auxiliary_id = r.u8("ofp_switch_features.auxiliary_id")?;
        r.pad(2, "ofp_switch_features.pad")?;
        let capabilities = Capabilities(r.u32("ofp_switch_features.capabilities")?);
        let reserved = r.u32("ofp_switch_features.reserved")?;
        r.finish("ofp_switch_features")?;
        Ok(SwitchFeatures {
            datapath_id,
            n_buffers,
            n_tables,
            auxiliary_id,
            capabilities,
            reserved,
        })
    }
}

crate::codec::impl_encode!(SwitchFeatures);

impl WireWrite for SwitchFeatures {
    fn encoded_len(&self) -> usize {
        SwitchFeatures::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u64(self.datapath_id.0);
        out.put_u32(self.n_buffers);
        out.put_u8(self.n_tables);
        out.put_u8(self.auxiliary_id);
        put_zeros(out, 2);
        out.put_u32(self.capabilities.0);
        out.put_u32(self.reserved);
        Ok(())
    }
}

impl fmt::Display for SwitchFeatures {
    /// ovs-ofctl's text on one line: `OFPT_FEATURES_REPLY dpid:0000000000000001 n_tables:255,
    /// n_buffers:0, auxiliary_id:99, capabilities: FLOW_STATS TABLE_STATS`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "OFPT_FEATURES_REPLY dpid:{} n_tables:{}, n_buffers:{}",
            self.datapath_id, self.n_tables, self.n_buffers
        )?;
        if self.auxiliary_id != 0 {
            write!(f, ", auxiliary_id:{}", self.auxiliary_id)?;
        }
        write!(f, ", capabilities: {}", self.capabilities)?;
        if self.reserved != 0 {
            write!(f, ", reserved:{:#x}", self.reserved)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec_error::Error;
    use crate::simple::testutil::*;
    use crate::CodecError as _;
    use alloc::string::ToString;
    use proptest::prelude::*;

    #[test]
    fn corpus_features_reply() {
        for name in ["4-6-ofp_features_reply", "libofproto-OFP13-features_reply"] {
            let Some(msg) = corpus(name) else { return };
            let f: SwitchFeatures = parse_msg(&msg);
            let Some(json) = corpus_json(name) else {
                return;
            };
            let j = &json["OFPSwitchFeatures"];
            assert_eq!(f.datapath_id.0, j["datapath_id"].as_u64().unwrap());
            assert_eq!(u64::from(f.n_buffers), j["n_buffers"].as_u64().unwrap());
            assert_eq!(u64::from(f.n_tables), j["n_tables"].as_u64().unwrap());
            assert_eq!(
                u64::from(f.auxiliary_id),
                j["auxiliary_id"].as_u64().unwrap()
            );
            assert_eq!(
                u64::from(f.capabilities.0),
                j["capabilities"].as_u64().unwrap()
            );
        }
        let Some(msg) = corpus("4-6-ofp_features_reply") else {
            return;
        };
        let f: SwitchFeatures = parse_msg(&msg);
        assert_eq!(
            f.to_string(),
            "OFPT_FEATURES_REPLY dpid:000008606e7f74e7 n_tables:255, n_buffers:0, \
             auxiliary_id:99, capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS \
             QUEUE_STATS"
        );
    }

    #[test]
    fn datapath_id_text() {
        assert_eq!(DatapathId(1).to_string(), "0000000000000001");
        assert_eq!("0000000000000001".parse(), Ok(DatapathId(1)));
        assert_eq!("0x8606e7f74e7".parse(), Ok(DatapathId(0x8606e7f74e7)));
        assert_eq!(
            "00:00:08:60:6e:7f:74:e7".parse(),
            Ok(DatapathId(0x8606e7f74e7))
        );
        assert_eq!("".parse::<DatapathId>(), Err(ParseDatapathIdError));
        assert_eq!("g".parse::<DatapathId>(), Err(ParseDatapathIdError));
        assert_eq!(
            "00000000000000001".parse::<DatapathId>(),
            Err(ParseDatapathIdError)
        );
    }

    #[test]
    fn capabilities_names() {
        let c = Capabilities::FLOW_STATS | Capabilities::PORT_BLOCKED | Capabilities(1 << 4);
        assert_eq!(c.to_string(), "FLOW_STATS PORT_BLOCKED 0x10");
        assert!(c.contains(Capabilities::FLOW_STATS));
        assert!(!c.contains(Capabilities::IP_REASM));
        assert_eq!(Capabilities::EMPTY.to_string(), "0");
    }

    #[test]
    fn negative_lengths() {
        let good = SwitchFeatures::default().to_vec().unwrap();
        for n in 0..good.len() {
            let e = parse_bytes(&good[..n], SwitchFeatures::parse_body).unwrap_err();
            assert!(matches!(e, Error::Truncated { .. }), "{n}: {e}");
        }
        let mut long = good.clone();
        long.push(0);
        assert_eq!(
            parse_bytes(&long, SwitchFeatures::parse_body),
            Err(Error::TrailingBytes {
                what: "ofp_switch_features",
                offset: 32,
                extra: 1
            })
        );
        let mut bad_pad = good;
        bad_pad[14] = 1;
        assert_eq!(
            parse_bytes(&bad_pad, SwitchFeatures::parse_body)
                .unwrap_err()
                .offset()
                .unwrap(),
            22
        );
    }

    #[test]
    fn ovs_decodes_what_we_encode() {
        let f = SwitchFeatures {
            datapath_id: DatapathId(0x0123_4567_89ab_cdef),
            n_buffers: 256,
            n_tables: 254,
            auxiliary_id: 3,
            capabilities: Capabilities::FLOW_STATS
                | Capabilities::IP_REASM
                | Capabilities::PORT_BLOCKED,
            reserved: 0,
        };
        let Some(s) = ofp_print(&message(MsgType::FEATURES_REPLY, &f)) else {
            return;
        };
        assert!(s.contains("OFPT_FEATURES_REPLY"), "{s}");
        assert!(s.contains("dpid:0123456789abcdef"), "{s}");
        assert!(
            s.contains("n_tables:254, n_buffers:256, auxiliary_id:3"),
            "{s}"
        );
        assert!(
            s.contains("capabilities: FLOW_STATS IP_REASM PORT_BLOCKED"),
            "{s}"
        );
    }

    proptest! {
        #[test]
        fn any_bytes(mut b in proptest::collection::vec(any::<u8>(), 20..28), zero_pad: bool) {
            if zero_pad {
                b[14] = 0;
                b[15] = 0;
            }
            if let Ok(f) = parse_bytes(&b, SwitchFeatures::parse_body) {
                prop_assert_eq!(f.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn owned(dpid: u64, n_buffers: u32, n_tables: u8, auxiliary_id: u8, caps: u32,
                 reserved: u32) {
            let f = SwitchFeatures {
                datapath_id: DatapathId(dpid),
                n_buffers,
                n_tables,
                auxiliary_id,
                capabilities: Capabilities(caps),
                reserved,
            };
            let b = f.to_vec().unwrap();
            prop_assert_eq!(parse_bytes(&b, SwitchFeatures::parse_body).unwrap(), f);
            prop_assert_eq!(DatapathId(dpid).to_string().parse(), Ok(DatapathId(dpid)));
        }
    }
}
