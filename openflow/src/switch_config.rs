//! The switch configuration (`ofp_switch_config`), the body of both GET_CONFIG_REPLY and
//! SET_CONFIG: IP fragment handling and how many bytes of a packet go to the controller.
//!
//! Being shared by two message types, [`SwitchConfig`] has [`SwitchConfig::parse`] and no
//! [`MessageBody`](crate::codec::MessageBody) implementation; the message enum dispatches on the
//! header's type. Its `Display` is the part after the message type: `frags=normal
//! miss_send_len=128`.

use core::fmt;

use bytes::BufMut;

use crate::codec::{Reader, WireWrite};
use crate::codec_error::Result;
use crate::types::OFPCML_NO_BUFFER;

/// Configuration flags (`ofp_config_flags`): the IP fragment handling in the low two bits.
/// Open: other bits are kept as found.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct ConfigFlags(pub u16);

impl ConfigFlags {
    /// OFPC_FRAG_NORMAL: no special handling for fragments.
    pub const FRAG_NORMAL: ConfigFlags = ConfigFlags(0);
    /// OFPC_FRAG_DROP: drop fragments.
    pub const FRAG_DROP: ConfigFlags = ConfigFlags(1);
    /// OFPC_FRAG_REASM: reassemble (only if the switch has OFPC_IP_REASM).
    pub const FRAG_REASM: ConfigFlags = ConfigFlags(2);
    /// OFPC_FRAG_MASK: the bits that hold the fragment handling.
    pub const FRAG_MASK: ConfigFlags = ConfigFlags(3);

    /// The fragment handling: one of `FRAG_NORMAL`, `FRAG_DROP`, `FRAG_REASM`, or 3 (which
    /// the spec leaves undefined and Open vSwitch calls `nx-match`).
    pub const fn frag(self) -> ConfigFlags {
        ConfigFlags(self.0 & Self::FRAG_MASK.0)
    }

    /// The same flags with the fragment handling replaced by `frag`'s.
    #[must_use]
    pub const fn with_frag(self, frag: ConfigFlags) -> ConfigFlags {
        ConfigFlags((self.0 & !Self::FRAG_MASK.0) | (frag.0 & Self::FRAG_MASK.0))
    }

    /// The bits outside the fragment handling (none are defined in OpenFlow 1.3).
    pub const fn other_bits(self) -> u16 {
        self.0 & !Self::FRAG_MASK.0
    }

    /// ovs-ofctl's name for the fragment handling: `normal`, `drop`, `reassemble`,
    /// `nx-match`.
    pub const fn frag_name(self) -> &'static str {
        match self.0 & Self::FRAG_MASK.0 {
            0 => "normal",
            1 => "drop",
            2 => "reassemble",
            _ => "nx-match",
        }
    }
}

impl fmt::Display for ConfigFlags {
    /// `frags=normal`, then `flags=0x..` for any other bit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "frags={}", self.frag_name())?;
        if self.other_bits() != 0 {
            write!(f, " flags={:#x}", self.other_bits())?;
        }
        Ok(())
    }
}

impl fmt::Debug for ConfigFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConfigFlags({self})")
    }
}

/// The body of GET_CONFIG_REPLY and SET_CONFIG (`ofp_switch_config` after the header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SwitchConfig {
    /// Fragment handling.
    pub flags: ConfigFlags,
    /// Bytes of a packet sent to the controller by the table-miss flow entry (OFPCML_MAX or
    /// less buffers the packet; [`OFPCML_NO_BUFFER`] sends it whole).
    pub miss_send_len: u16,
}

impl Default for SwitchConfig {
    /// Normal fragment handling and the spec's default `miss_send_len` of 128 bytes.
    fn default() -> Self {
        SwitchConfig {
            flags: ConfigFlags::FRAG_NORMAL,
            miss_send_len: SwitchConfig::DEFAULT_MISS_SEND_LEN,
        }
    }
}

impl SwitchConfig {
    /// Body length.
    pub const LEN: usize = 4;
    /// OFP_DEFAULT_MISS_SEND_LEN.
    pub const DEFAULT_MISS_SEND_LEN: u16 = 128;

    /// A configuration with normal fragment handling.
    pub fn new(miss_send_len: u16) -> SwitchConfig {
        SwitchConfig {
            flags: ConfigFlags::FRAG_NORMAL,
            miss_send_len,
        }
    }

    /// A configuration that sends whole packets to the controller, unbuffered.
    pub fn no_buffer() -> SwitchConfig {
        SwitchConfig::new(OFPCML_NO_BUFFER)
    }

    /// Parses the body; it must be exactly 4 bytes.
    pub fn parse(r: &mut Reader<'_>) -> Result<SwitchConfig> {
        let flags = ConfigFlags(r.u16("ofp_switch_config.flags")?);
        let miss_send_len = r.u16("ofp_switch_config.miss_send_len")?;
        r.finish("ofp_switch_config")?;
        Ok(SwitchConfig {
            flags,
            miss_send_len,
        })
    }
}

crate::codec::impl_encode!(SwitchConfig);

impl WireWrite for SwitchConfig {
    fn encoded_len(&self) -> usize {
        SwitchConfig::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u16(self.flags.0);
        out.put_u16(self.miss_send_len);
        Ok(())
    }
}

impl fmt::Display for SwitchConfig {
    /// `frags=normal miss_send_len=128`, as ovs-ofctl prints it after the message type.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} miss_send_len={}", self.flags, self.miss_send_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec_error::Error;
    use crate::header::MsgType;
    use crate::simple::testutil::*;
    use alloc::string::ToString;
    use proptest::prelude::*;

    #[test]
    fn os_ken_corpus() {
        for (name, ty, key) in [
            ("4-7-ofp_set_config", MsgType::SET_CONFIG, "OFPSetConfig"),
            (
                "4-9-ofp_get_config_reply",
                MsgType::GET_CONFIG_REPLY,
                "OFPGetConfigReply",
            ),
            (
                "libofproto-OFP13-set_config",
                MsgType::SET_CONFIG,
                "OFPSetConfig",
            ),
            (
                "libofproto-OFP13-get_config_reply",
                MsgType::GET_CONFIG_REPLY,
                "OFPGetConfigReply",
            ),
        ] {
            let Some(msg) = corpus(name) else { return };
            let c = parse_exact(&msg, ty, SwitchConfig::parse);
            let Some(json) = corpus_json(name) else {
                return;
            };
            let j = &json[key];
            assert_eq!(u64::from(c.flags.0), j["flags"].as_u64().unwrap(), "{name}");
            assert_eq!(
                u64::from(c.miss_send_len),
                j["miss_send_len"].as_u64().unwrap(),
                "{name}"
            );
            assert_eq!(c.to_string(), "frags=normal miss_send_len=128");
        }
    }

    #[test]
    fn flags() {
        let f = ConfigFlags(0x0106);
        assert_eq!(f.frag(), ConfigFlags::FRAG_REASM);
        assert_eq!(f.other_bits(), 0x0104);
        assert_eq!(f.to_string(), "frags=reassemble flags=0x104");
        assert_eq!(f.with_frag(ConfigFlags::FRAG_DROP), ConfigFlags(0x0105));
        assert_eq!(ConfigFlags(3).frag_name(), "nx-match");
        assert_eq!(SwitchConfig::default(), SwitchConfig::new(128));
        assert_eq!(SwitchConfig::no_buffer().miss_send_len, 0xffff);
    }

    #[test]
    fn negative_lengths() {
        for n in 0..4 {
            let e = parse_bytes(&[0u8; 4][..n], SwitchConfig::parse).unwrap_err();
            assert!(matches!(e, Error::Truncated { .. }), "{n}: {e}");
        }
        assert_eq!(
            parse_bytes(&[0u8; 5], SwitchConfig::parse),
            Err(Error::TrailingBytes {
                what: "ofp_switch_config",
                offset: 12,
                extra: 1
            })
        );
    }

    #[test]
    fn ovs_decodes_what_we_encode() {
        let c = SwitchConfig {
            flags: ConfigFlags::FRAG_DROP,
            miss_send_len: 0xffe5,
        };
        let Some(s) = ofp_print(&message(MsgType::SET_CONFIG, &c)) else {
            return;
        };
        assert!(
            s.contains("OFPT_SET_CONFIG") && s.contains("frags=drop miss_send_len=65509"),
            "{s}"
        );
        let c = SwitchConfig {
            flags: ConfigFlags::FRAG_REASM,
            miss_send_len: 0xffff,
        };
        let s = ofp_print(&message(MsgType::GET_CONFIG_REPLY, &c)).unwrap();
        assert!(
            s.contains("OFPT_GET_CONFIG_REPLY")
                && s.contains("frags=reassemble miss_send_len=65535"),
            "{s}"
        );
        assert!(s.contains(&c.to_string()), "{s}");
    }

    proptest! {
        #[test]
        fn any_bytes(b in proptest::collection::vec(any::<u8>(), 0..8)) {
            if let Ok(c) = parse_bytes(&b, SwitchConfig::parse) {
                prop_assert_eq!(c.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn owned(flags: u16, miss_send_len: u16) {
            let c = SwitchConfig { flags: ConfigFlags(flags), miss_send_len };
            let b = c.to_vec().unwrap();
            prop_assert_eq!(parse_bytes(&b, SwitchConfig::parse).unwrap(), c);
        }
    }
}
