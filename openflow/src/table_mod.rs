//! OFPT_TABLE_MOD (`ofp_table_mod`): configures a flow table. In OpenFlow 1.3 the only config
//! bits (OFPTC_DEPRECATED_MASK) are deprecated, so the message is rarely more than a table id.

use core::fmt;

use bytes::BufMut;

use crate::codec::{put_zeros, MessageBody, Reader, WireWrite};
use crate::codec_error::Result;
use crate::header::MsgType;
use crate::types::TableId;

/// Table configuration flags (`ofp_table_config`). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct TableConfig(pub u32);

impl TableConfig {
    /// OFPTC_DEPRECATED_MASK: the bits OpenFlow 1.1 and 1.2 used for the table-miss
    /// behaviour, deprecated in 1.3.
    pub const DEPRECATED_MASK: TableConfig = TableConfig(3);
}

impl fmt::Display for TableConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#x}", self.0)
    }
}

impl fmt::Debug for TableConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TableConfig({self})")
    }
}

/// OFPT_TABLE_MOD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TableMod {
    /// The table to configure, or [`TableId::ALL`].
    pub table_id: TableId,
    /// The configuration.
    pub config: TableConfig,
}

impl TableMod {
    /// Body length.
    pub const LEN: usize = 8;

    /// A TABLE_MOD of `table_id` with `config`.
    pub fn new(table_id: TableId, config: TableConfig) -> TableMod {
        TableMod { table_id, config }
    }
}

impl MessageBody for TableMod {
    const TYPE: MsgType = MsgType::TABLE_MOD;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        let table_id = TableId(r.u8("ofp_table_mod.table_id")?);
        r.pad(3, "ofp_table_mod.pad")?;
        let config = TableConfig(r.u32("ofp_table_mod.config")?);
        r.finish("ofp_table_mod")?;
        Ok(TableMod { table_id, config })
    }
}

crate::codec::impl_encode!(TableMod);

impl WireWrite for TableMod {
    fn encoded_len(&self) -> usize {
        TableMod::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u8(self.table_id.0);
        put_zeros(out, 3);
        out.put_u32(self.config.0);
        Ok(())
    }
}

impl fmt::Display for TableMod {
    /// `OFPT_TABLE_MOD table_id=1` (`table_id=ALL_TABLES` for 255), then `config=0x..` when
    /// not zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OFPT_TABLE_MOD table_id=")?;
        if self.table_id == TableId::ALL {
            f.write_str("ALL_TABLES")?;
        } else {
            write!(f, "{}", self.table_id.0)?;
        }
        if self.config.0 != 0 {
            write!(f, " config={}", self.config)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec_error::Error;
    use crate::simple::testutil::*;
    use alloc::string::ToString;
    use proptest::prelude::*;

    #[test]
    fn os_ken_corpus() {
        for name in ["4-23-ofp_table_mod", "libofproto-OFP13-table_mod"] {
            let Some(msg) = corpus(name) else { return };
            let t: TableMod = parse_msg(&msg);
            let Some(json) = corpus_json(name) else {
                return;
            };
            let j = &json["OFPTableMod"];
            assert_eq!(u64::from(t.table_id.0), j["table_id"].as_u64().unwrap());
            assert_eq!(u64::from(t.config.0), j["config"].as_u64().unwrap());
            assert_eq!(t.to_string(), "OFPT_TABLE_MOD table_id=ALL_TABLES");
        }
    }

    #[test]
    fn negative_lengths() {
        let good = TableMod::new(TableId(1), TableConfig(0)).to_vec().unwrap();
        for n in 0..good.len() {
            let e = parse_bytes(&good[..n], TableMod::parse_body).unwrap_err();
            assert!(matches!(e, Error::Truncated { .. }), "{n}: {e}");
        }
        let mut long = good.clone();
        long.push(0);
        assert!(matches!(
            parse_bytes(&long, TableMod::parse_body),
            Err(Error::TrailingBytes { offset: 16, .. })
        ));
        let mut bad_pad = good;
        bad_pad[2] = 1;
        assert_eq!(
            parse_bytes(&bad_pad, TableMod::parse_body),
            Err(Error::BadValue {
                what: "ofp_table_mod.pad",
                offset: 10,
                value: 1,
                expected: "zero padding"
            })
        );
    }

    #[test]
    fn ovs_decodes_what_we_encode() {
        let t = TableMod::new(TableId(7), TableConfig::DEPRECATED_MASK);
        let Some(s) = ofp_print(&message(MsgType::TABLE_MOD, &t)) else {
            return;
        };
        assert!(
            s.contains("OFPT_TABLE_MOD") && s.contains("table_id=7"),
            "{s}"
        );
        assert_eq!(t.to_string(), "OFPT_TABLE_MOD table_id=7 config=0x3");
    }

    proptest! {
        #[test]
        fn any_bytes(mut b in proptest::collection::vec(any::<u8>(), 6..10), zero_pad: bool) {
            if zero_pad {
                b[1..4].fill(0);
            }
            if let Ok(t) = parse_bytes(&b, TableMod::parse_body) {
                prop_assert_eq!(t.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn owned(table_id: u8, config: u32) {
            let t = TableMod::new(TableId(table_id), TableConfig(config));
            let b = t.to_vec().unwrap();
            prop_assert_eq!(parse_bytes(&b, TableMod::parse_body).unwrap(), t);
        }
    }
}
