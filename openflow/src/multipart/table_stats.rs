//! OFPMP_TABLE replies: table statistics (`ofp_table_stats`).

use super::*;

/// One table's statistics (`ofp_table_stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TableStats {
    /// The table.
    pub table_id: TableId,
    /// Active flow entries.
    pub active_count: u32,
    /// Packets looked up in the table.
    pub lookup_count: u64,
    /// Packets that hit the table.
    pub matched_count: u64,
}

impl TableStats {
    /// Encoded length.
    pub const LEN: usize = TABLE_STATS_LEN;

    /// Parses the structure.
    pub fn parse(r: &mut Reader<'_>) -> Result<TableStats> {
        let table_id = TableId(r.u8("ofp_table_stats.table_id")?);
        r.pad(3, "ofp_table_stats.pad")?;
        Ok(TableStats {
            table_id,
            active_count: r.u32("ofp_table_stats.active_count")?,
            lookup_count: r.u64("ofp_table_stats.lookup_count")?,
            matched_count: r.u64("ofp_table_stats.matched_count")?,
        })
    }
}

crate::codec::impl_encode!(TableStats);

impl WireWrite for TableStats {
    fn encoded_len(&self) -> usize {
        Self::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u8(self.table_id.0);
        put_zeros(out, 3);
        out.put_u32(self.active_count);
        out.put_u64(self.lookup_count);
        out.put_u64(self.matched_count);
        Ok(())
    }
}

impl fmt::Display for TableStats {
    /// As ovs-ofctl (on one line): `table 0: active=4, lookup=4, matched=4`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "table {}: active={}, lookup={}, matched={}",
            self.table_id.0, self.active_count, self.lookup_count, self.matched_count
        )
    }
}
