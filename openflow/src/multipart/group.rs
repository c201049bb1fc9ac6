//! OFPMP_GROUP, OFPMP_GROUP_DESC and OFPMP_GROUP_FEATURES replies.

use super::*;

/// A bucket's counters in group statistics (`ofp_bucket_counter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct BucketCounter {
    /// Packets processed by the bucket.
    pub packet_count: u64,
    /// Bytes processed by the bucket.
    pub byte_count: u64,
}

impl BucketCounter {
    /// Encoded length.
    pub const LEN: usize = BUCKET_COUNTER_LEN;

    /// Parses the structure.
    pub fn parse(r: &mut Reader<'_>) -> Result<BucketCounter> {
        Ok(BucketCounter {
            packet_count: r.u64("ofp_bucket_counter.packet_count")?,
            byte_count: r.u64("ofp_bucket_counter.byte_count")?,
        })
    }
}

crate::codec::impl_encode!(BucketCounter);

impl WireWrite for BucketCounter {
    fn encoded_len(&self) -> usize {
        Self::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u64(self.packet_count);
        out.put_u64(self.byte_count);
        Ok(())
    }
}

/// The fixed part of `ofp_group_stats`.
#[derive(Clone, Copy)]
struct GroupHead {
    group_id: GroupId,
    ref_count: u32,
    packet_count: u64,
    byte_count: u64,
    duration_sec: u32,
    duration_nsec: u32,
}

impl GroupHead {
    fn fmt(
        &self,
        f: &mut fmt::Formatter<'_>,
        buckets: impl Iterator<Item = Result<BucketCounter>>,
    ) -> fmt::Result {
        write!(f, "group_id={},", self.group_id.0)?;
        if self.duration_sec != u32::MAX {
            write!(
                f,
                "duration={},",
                DisplayDuration {
                    sec: self.duration_sec,
                    nsec: self.duration_nsec
                }
            )?;
        }
        write!(
            f,
            "ref_count={},packet_count={},byte_count={}",
            self.ref_count, self.packet_count, self.byte_count
        )?;
        for (i, b) in buckets.enumerate() {
            match b {
                // As OVS, buckets whose packet count is not available are not shown.
                Ok(b) if b.packet_count == u64::MAX => {}
                Ok(b) => write!(
                    f,
                    ",bucket{i}:packet_count={},byte_count={}",
                    b.packet_count, b.byte_count
                )?,
                Err(e) => write!(f, ",<error: {e}>")?,
            }
        }
        Ok(())
    }
}

/// One group's statistics (`ofp_group_stats`), owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct GroupStats {
    /// The group.
    pub group_id: GroupId,
    /// Flows or groups that forward to this group.
    pub ref_count: u32,
    /// Packets processed by the group.
    pub packet_count: u64,
    /// Bytes processed by the group.
    pub byte_count: u64,
    /// Seconds the group has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// One counter per bucket.
    pub bucket_stats: Vec<BucketCounter>,
}

impl GroupStats {
    /// Parses one entry (see [`GroupStatsView::parse`]).
    pub fn parse(r: &mut Reader<'_>) -> Result<GroupStats> {
        GroupStatsView::parse(r)?.decode()
    }

    fn head(&self) -> GroupHead {
        GroupHead {
            group_id: self.group_id,
            ref_count: self.ref_count,
            packet_count: self.packet_count,
            byte_count: self.byte_count,
            duration_sec: self.duration_sec,
            duration_nsec: self.duration_nsec,
        }
    }
}

crate::codec::impl_encode!(GroupStats);

impl WireWrite for GroupStats {
    fn encoded_len(&self) -> usize {
        GROUP_STATS_LEN + BUCKET_COUNTER_LEN * self.bucket_stats.len()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u16(len16("ofp_group_stats", self.encoded_len())?);
        put_zeros(out, 2);
        out.put_u32(self.group_id.0);
        out.put_u32(self.ref_count);
        put_zeros(out, 4);
        out.put_u64(self.packet_count);
        out.put_u64(self.byte_count);
        out.put_u32(self.duration_sec);
        out.put_u32(self.duration_nsec);
        self.bucket_stats.iter().try_for_each(|b| b.write(out))
    }
}

impl fmt::Display for GroupStats {
    /// As ovs-ofctl: `group_id=1,duration=9.609036s,ref_count=2,packet_count=123,
    /// byte_count=12345,bucket0:packet_count=234,byte_count=2345` (without the duration when
    /// `duration_sec` is all ones, without buckets whose packet count is all ones).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.head().fmt(f, self.bucket_stats.iter().map(|b| Ok(*b)))
    }
}

/// One group's statistics, borrowed.
#[derive(Debug, Clone)]
pub struct GroupStatsView<'a> {
    /// The group.
    pub group_id: GroupId,
    /// Flows or groups that forward to this group.
    pub ref_count: u32,
    /// Packets processed.
    pub packet_count: u64,
    /// Bytes processed.
    pub byte_count: u64,
    /// Seconds alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// The bucket counters.
    pub bucket_stats: Entries<'a, BucketCounter>,
}

impl<'a> GroupStatsView<'a> {
    /// Reads one entry, checking its `length` (at least 40, within `r`, 40 plus a whole
    /// number of 16-byte bucket counters) and padding.
    pub fn parse(r: &mut Reader<'a>) -> Result<GroupStatsView<'a>> {
        let len = usize::from(r.peek_u16(0, "ofp_group_stats.length")?);
        check_len(
            r,
            len,
            GROUP_STATS_LEN,
            "ofp_group_stats",
            "below the 40-byte group stats",
        )?;
        if (len - GROUP_STATS_LEN) % BUCKET_COUNTER_LEN != 0 {
            return Err(Reader::bad_length(
                "ofp_group_stats",
                r.offset(),
                len,
                "not 40 plus a whole number of 16-byte bucket counters",
            ));
        }
        let mut e = r.sub(len, "ofp_group_stats")?;
        e.u16("ofp_group_stats.length")?;
        e.pad(2, "ofp_group_stats.pad")?;
        let group_id = GroupId(e.u32("ofp_group_stats.group_id")?);
        let ref_count = e.u32("ofp_group_stats.ref_count")?;
        e.pad(4, "ofp_group_stats.pad2")?;
        Ok(GroupStatsView {
            group_id,
            ref_count,
            packet_count: e.u64("ofp_group_stats.packet_count")?,
            byte_count: e.u64("ofp_group_stats.byte_count")?,
            duration_sec: e.u32("ofp_group_stats.duration_sec")?,
            duration_nsec: e.u32("ofp_group_stats.duration_nsec")?,
            bucket_stats: Entries::from_reader(e),
        })
    }

    fn head(&self) -> GroupHead {
        GroupHead {
            group_id: self.group_id,
            ref_count: self.ref_count,
            packet_count: self.packet_count,
            byte_count: self.byte_count,
            duration_sec: self.duration_sec,
            duration_nsec: self.duration_nsec,
        }
    }

    /// The owned entry.
    pub fn decode(&self) -> Result<GroupStats> {
        Ok(GroupStats {
            group_id: self.group_id,
            ref_count: self.ref_count,
            packet_count: self.packet_count,
            byte_count: self.byte_count,
            duration_sec: self.duration_sec,
            duration_nsec: self.duration_nsec,
            bucket_stats: self.bucket_stats.decode()?,
        })
    }
}

view_entry!(GroupStatsView => GroupStats, |v| v.bucket_stats.validate());

impl fmt::Display for GroupStatsView<'_> {
    /// As [`GroupStats`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.head().fmt(f, self.bucket_stats.clone())
    }
}

fn fmt_group_desc_head(
    f: &mut fmt::Formatter<'_>,
    type_: GroupType,
    group_id: GroupId,
) -> fmt::Result {
    write!(f, "group_id={}", group_id.0)?;
    match type_.ofctl_name() {
        Some(n) => write!(f, ",type={n}"),
        None => write!(f, ",type={}", type_.0),
    }
}

/// One group's description (`ofp_group_desc`), owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupDesc {
    /// The group type.
    pub type_: GroupType,
    /// The group.
    pub group_id: GroupId,
    /// The buckets.
    pub buckets: Vec<Bucket>,
}

impl GroupDesc {
    /// Parses one entry (see [`GroupDescView::parse`]).
    pub fn parse(r: &mut Reader<'_>) -> Result<GroupDesc> {
        GroupDescView::parse(r)?.decode()
    }
}

crate::codec::impl_encode!(GroupDesc);

impl WireWrite for GroupDesc {
    fn encoded_len(&self) -> usize {
        GROUP_DESC_LEN + Bucket::list_len(&self.buckets)
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u16(len16("ofp_group_desc", self.encoded_len())?);
        out.put_u8(self.type_.0);
        put_zeros(out, 1);
        out.put_u32(self.group_id.0);
        Bucket::encode_list(&self.buckets, out)
    }
}

impl fmt::Display for GroupDesc {
    /// As ovs-ofctl: `group_id=1,type=all,bucket=weight:1,watch_port:1,watch_group:1,
    /// actions=output:2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_group_desc_head(f, self.type_, self.group_id)?;
        self.buckets
            .iter()
            .try_for_each(|b| write!(f, ",bucket={}", b.display(self.type_)))
    }
}

/// One group's description, borrowed.
#[derive(Debug, Clone)]
pub struct GroupDescView<'a> {
    /// The group type.
    pub type_: GroupType,
    /// The group.
    pub group_id: GroupId,
    /// The buckets, checked when iterated.
    pub buckets: BucketsView<'a>,
}

impl<'a> GroupDescView<'a> {
    /// Reads one entry, checking its `length` (at least 8, within `r`) and padding; the
    /// buckets fill the rest of the entry and are checked when iterated.
    pub fn parse(r: &mut Reader<'a>) -> Result<GroupDescView<'a>> {
        let len = usize::from(r.peek_u16(0, "ofp_group_desc.length")?);
        check_len(
            r,
            len,
            GROUP_DESC_LEN,
            "ofp_group_desc",
            "below the 8-byte group description",
        )?;
        let mut e = r.sub(len, "ofp_group_desc")?;
        e.u16("ofp_group_desc.length")?;
        let type_ = GroupType(e.u8("ofp_group_desc.type")?);
        e.pad(1, "ofp_group_desc.pad")?;
        let group_id = GroupId(e.u32("ofp_group_desc.group_id")?);
        Ok(GroupDescView {
            type_,
            group_id,
            buckets: BucketsView::from_reader(e),
        })
    }

    /// The owned entry.
    pub fn decode(&self) -> Result<GroupDesc> {
        Ok(GroupDesc {
            type_: self.type_,
            group_id: self.group_id,
            buckets: self.buckets.decode()?,
        })
    }
}

view_entry!(GroupDescView => GroupDesc, |v| v.buckets.validate());

impl fmt::Display for GroupDescView<'_> {
    /// As [`GroupDesc`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_group_desc_head(f, self.type_, self.group_id)?;
        crate::codec::fmt_items(f, self.buckets.clone(), "", ",", |f, b| {
            write!(f, "bucket={}", b.display(self.type_))
        })
    }
}

/// Group features (`ofp_group_features`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct GroupFeatures {
    /// Supported group types: bit `1 << t` for each [`GroupType`] `t`.
    pub types: u32,
    /// Capabilities.
    pub capabilities: GroupCapabilities,
    /// Maximum number of groups of each type (all, select, indirect, fast failover).
    pub max_groups: [u32; 4],
    /// Supported actions for each type: bit `1 << a` for each action type `a`.
    pub actions: [u32; 4],
}

impl GroupFeatures {
    /// Encoded length.
    pub const LEN: usize = GROUP_FEATURES_LEN;

    /// True when group type `t` is supported.
    pub fn supports(&self, t: GroupType) -> bool {
        t.0 < 32 && self.types & (1 << t.0) != 0
    }

    /// Parses the structure.
    pub fn parse(r: &mut Reader<'_>) -> Result<GroupFeatures> {
        need(r, Self::LEN, "ofp_group_features")?;
        let types = r.u32("ofp_group_features.types")?;
        let capabilities = GroupCapabilities(r.u32("ofp_group_features.capabilities")?);
        let mut max_groups = [0u32; 4];
        for m in &mut max_groups {
            *m = r.u32("ofp_group_features.max_groups")?;
        }
        let mut actions = [0u32; 4];
        for a in &mut actions {
            *a = r.u32("ofp_group_features.actions")?;
        }
        Ok(GroupFeatures {
            types,
            capabilities,
            max_groups,
            actions,
        })
    }
}

crate::codec::impl_encode!(GroupFeatures);

impl WireWrite for GroupFeatures {
    fn encoded_len(&self) -> usize {
        Self::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u32(self.types);
        out.put_u32(self.capabilities.0);
        self.max_groups.iter().for_each(|m| out.put_u32(*m));
        self.actions.iter().for_each(|a| out.put_u32(*a));
        Ok(())
    }
}

impl fmt::Display for GroupFeatures {
    /// `types=0xf capabilities=select_weight chaining max_groups=[..] actions=[0x..,..]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.actions;
        write!(
            f,
            "types={:#x} capabilities={} max_groups={:?} actions=[{a:#x},{b:#x},{c:#x},{d:#x}]",
            self.types, self.capabilities, self.max_groups
        )
    }
}

impl fmt::Display for BucketCounter {
    /// `packet_count=N,byte_count=M`, as ovs-ofctl prints each `bucketK:` of a group.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "packet_count={},byte_count={}",
            self.packet_count, self.byte_count
        )
    }
}
