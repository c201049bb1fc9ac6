//! OFPT_GROUP_MOD (`ofp_group_mod`) and group buckets (`ofp_bucket`), which group
//! description multipart replies reuse.
//!
//! A bucket starts with its own 16-bit length, which covers the 16-byte bucket header and its
//! actions: at least 16, a multiple of 8 and within the bucket list. [`BucketsView`] walks a
//! bucket list without allocating.

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;

use crate::action::{Action, ActionsView};
use crate::codec::{fmt_items, len16, put_zeros, MessageBody, Reader, WireWrite};
use crate::codec_error::Result;
use crate::header::MsgType;
use crate::types::{GroupId, PortNo};

/// Length of `ofp_bucket` without its actions.
pub const BUCKET_LEN: usize = 16;
/// Length of the GROUP_MOD body before its buckets (`ofp_group_mod` minus the header).
pub const GROUP_MOD_BODY_LEN: usize = 8;

crate::types::open_enum! {
    /// A group mod command (`ofp_group_mod_command`). Open: any value parses.
    pub struct GroupModCommand(u16) as "OFPGC_" {
        /// OFPGC_ADD: a new group.
        ADD = 0,
        /// OFPGC_MODIFY: modify all matching groups.
        MODIFY = 1,
        /// OFPGC_DELETE: delete all matching groups.
        DELETE = 2,
    }
}

crate::types::open_enum! {
    /// A group type (`ofp_group_type`). Open: any value parses.
    pub struct GroupType(u8) as "OFPGT_" {
        /// OFPGT_ALL: all buckets (multicast/broadcast).
        ALL = 0,
        /// OFPGT_SELECT: one bucket (multipath).
        SELECT = 1,
        /// OFPGT_INDIRECT: the single bucket.
        INDIRECT = 2,
        /// OFPGT_FF: the first live bucket (fast failover).
        FF = 3,
    }
    /// ovs-ofctl's name (`all`, `select`, `indirect`, `ff`), if known.
    ofctl_name {
        0 => "all",
        1 => "select",
        2 => "indirect",
        3 => "ff",
    }
}

/// A group bucket (`ofp_bucket`), owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bucket {
    /// Relative weight (select groups only; 0 otherwise).
    pub weight: u16,
    /// Port whose liveness decides the bucket's (fast failover only; [`PortNo::ANY`]
    /// otherwise).
    pub watch_port: PortNo,
    /// Group whose liveness decides the bucket's (fast failover only; [`GroupId::ANY`]
    /// otherwise).
    pub watch_group: GroupId,
    /// The bucket's actions.
    pub actions: Vec<Action>,
}

impl Bucket {
    /// A bucket for all/indirect groups: weight 0, nothing watched.
    pub fn new(actions: Vec<Action>) -> Bucket {
        Bucket {
            weight: 0,
            watch_port: PortNo::ANY,
            watch_group: GroupId::ANY,
            actions,
        }
    }

    /// A bucket for select groups with a weight.
    pub fn weighted(weight: u16, actions: Vec<Action>) -> Bucket {
        Bucket {
            weight,
            ..Bucket::new(actions)
        }
    }

    /// A bucket for fast-failover groups, live while `watch_port` is up.
    pub fn watching(watch_port: impl Into<PortNo>, actions: Vec<Action>) -> Bucket {
        Bucket {
            watch_port: watch_port.into(),
            ..Bucket::new(actions)
        }
    }

    /// Parses one bucket, checking its length field and those of its actions.
    pub fn parse(r: &mut Reader<'_>) -> Result<Bucket> {
        BucketView::parse(r)?.decode()
    }
}

crate::codec::owned_list_fns!(Bucket, BucketsView, "a bucket", "bucket");

crate::codec::impl_encode!(Bucket);

impl WireWrite for Bucket {
    fn encoded_len(&self) -> usize {
        BUCKET_LEN + Action::list_len(&self.actions)
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u16(len16("ofp_bucket", self.encoded_len())?);
        out.put_u16(self.weight);
        out.put_u32(self.watch_port.0);
        out.put_u32(self.watch_group.0);
        put_zeros(out, 4);
        Action::encode_list(&self.actions, out)
    }
}

impl Bucket {
    /// Displays the bucket as ovs-ofctl prints it after `bucket=` in a group of type
    /// `group_type` (see [`DisplayBucket`]).
    pub fn display(&self, group_type: GroupType) -> DisplayBucket<'_> {
        DisplayBucket {
            bucket: BucketSource::Owned(self),
            group_type,
        }
    }
}

/// A bucket in ovs-ofctl notation: `weight:W,` when the weight is not the group type's
/// default (1 for select groups, 0 otherwise), `watch_port:P,` and `watch_group:G,` when set,
/// then `actions=...` (`actions=drop` when empty).
#[derive(Debug, Clone)]
pub struct DisplayBucket<'a> {
    bucket: BucketSource<'a>,
    group_type: GroupType,
}

#[derive(Debug, Clone)]
enum BucketSource<'a> {
    Owned(&'a Bucket),
    Borrowed(BucketView<'a>),
}

impl fmt::Display for DisplayBucket<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (weight, watch_port, watch_group) = match &self.bucket {
            BucketSource::Owned(b) => (b.weight, b.watch_port, b.watch_group),
            BucketSource::Borrowed(b) => (b.weight, b.watch_port, b.watch_group),
        };
        let default_weight = u16::from(self.group_type == GroupType::SELECT);
        if weight != default_weight {
            write!(f, "weight:{weight},")?;
        }
        if watch_port != PortNo::ANY {
            write!(f, "watch_port:{watch_port},")?;
        }
        if watch_group != GroupId::ANY {
            write!(f, "watch_group:{},", watch_group.0)?;
        }
        match &self.bucket {
            BucketSource::Owned(b) => write!(f, "actions={}", Action::display_list(&b.actions)),
            BucketSource::Borrowed(b) => write!(f, "actions={}", b.actions),
        }
    }
}

/// A bucket borrowed from an encoded list.
#[derive(Debug, Clone)]
pub struct BucketView<'a> {
    /// Relative weight.
    pub weight: u16,
    /// Watched port.
    pub watch_port: PortNo,
    /// Watched group.
    pub watch_group: GroupId,
    /// The bucket's actions, checked when iterated.
    pub actions: ActionsView<'a>,
}

impl<'a> BucketView<'a> {
    /// Reads one bucket from `r`, checking its length field (at least 16, a multiple of 8,
    /// within `r`) and its padding; the actions are checked when iterated.
    pub fn parse(r: &mut Reader<'a>) -> Result<BucketView<'a>> {
        let len_at = r.offset();
        let len = usize::from(r.peek_u16(0, "ofp_bucket.len")?);
        if len < BUCKET_LEN {
            return Err(Reader::bad_length(
                "ofp_bucket",
                len_at,
                len,
                "below the 16-byte bucket header",
            ));
        }
        if len % 8 != 0 {
            return Err(Reader::bad_length(
                "ofp_bucket",
                len_at,
                len,
                "not a multiple of 8",
            ));
        }
        if len > r.remaining() {
            return Err(Reader::bad_length(
                "ofp_bucket",
                len_at,
                len,
                "past the end of the bucket list",
            ));
        }
        let mut b = r.sub(len, "ofp_bucket")?;
        b.u16("ofp_bucket.len")?;
        let weight = b.u16("ofp_bucket.weight")?;
        let watch_port = PortNo(b.u32("ofp_bucket.watch_port")?);
        let watch_group = GroupId(b.u32("ofp_bucket.watch_group")?);
        b.pad(4, "ofp_bucket.pad")?;
        let actions = ActionsView::from_reader(b);
        Ok(BucketView {
            weight,
            watch_port,
            watch_group,
            actions,
        })
    }

    /// Checks the bucket's actions without allocating.
    pub fn validate(&self) -> Result<()> {
        self.actions.validate()
    }

    /// The owned bucket.
    pub fn decode(&self) -> Result<Bucket> {
        Ok(Bucket {
            weight: self.weight,
            watch_port: self.watch_port,
            watch_group: self.watch_group,
            actions: self.actions.decode()?,
        })
    }
}

impl<'a> BucketView<'a> {
    /// Displays the bucket as ovs-ofctl prints it in a group of type `group_type` (see
    /// [`DisplayBucket`]).
    pub fn display(&self, group_type: GroupType) -> DisplayBucket<'a> {
        DisplayBucket {
            bucket: BucketSource::Borrowed(self.clone()),
            group_type,
        }
    }
}

crate::codec::reader_list! {
    /// A borrowed, encoded bucket list (GROUP_MOD, group description replies), walked without
    /// allocating. After the first error it yields nothing more.
    pub struct BucketsView<'a> of BucketView<'a> => Bucket {
        parse: BucketView::parse,
        from_reader: pub,
        check_first: true,
        validate("Checks every bucket and every action without allocating."): |b| b.validate(),
        decode("Decodes every bucket."): |b| b.decode(),
    }
}

/// The body of OFPT_GROUP_MOD, owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GroupMod {
    /// Add, modify or delete.
    pub command: GroupModCommand,
    /// Group type.
    pub type_: GroupType,
    /// The group.
    pub group_id: GroupId,
    /// The buckets (none for delete).
    pub buckets: Vec<Bucket>,
}

impl GroupMod {
    /// Adds a group.
    pub fn add(type_: GroupType, group_id: impl Into<GroupId>, buckets: Vec<Bucket>) -> Self {
        GroupMod {
            command: GroupModCommand::ADD,
            type_,
            group_id: group_id.into(),
            buckets,
        }
    }

    /// Replaces a group's type and buckets.
    pub fn modify(type_: GroupType, group_id: impl Into<GroupId>, buckets: Vec<Bucket>) -> Self {
        GroupMod {
            command: GroupModCommand::MODIFY,
            ..GroupMod::add(type_, group_id, buckets)
        }
    }

    /// Deletes a group ([`GroupId::ALL`]: every group).
    pub fn delete(group_id: impl Into<GroupId>) -> Self {
        GroupMod {
            command: GroupModCommand::DELETE,
            ..GroupMod::add(GroupType::ALL, group_id, Vec::new())
        }
    }
}

crate::codec::impl_encode!(GroupMod);

impl WireWrite for GroupMod {
    fn encoded_len(&self) -> usize {
        GROUP_MOD_BODY_LEN + Bucket::list_len(&self.buckets)
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u16(self.command.0);
        out.put_u8(self.type_.0);
        out.put_u8(0);
        out.put_u32(self.group_id.0);
        Bucket::encode_list(&self.buckets, out)
    }
}

impl MessageBody for GroupMod {
    const TYPE: MsgType = MsgType::GROUP_MOD;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        GroupModView::parse(r)?.decode()
    }
}

impl fmt::Display for GroupMod {
    /// As ovs-ofctl prints a GROUP_MOD's body (after the line break):
    /// `ADD group_id=1,type=all,bucket=actions=output:1,bucket=...` (`MOD`, `DEL`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_group_head(f, self.command, self.type_, self.group_id)?;
        self.buckets
            .iter()
            .try_for_each(|b| write!(f, ",bucket={}", b.display(self.type_)))
    }
}

fn fmt_group_head(
    f: &mut fmt::Formatter<'_>,
    command: GroupModCommand,
    type_: GroupType,
    group_id: GroupId,
) -> fmt::Result {
    match command {
        GroupModCommand::ADD => f.write_str("ADD")?,
        GroupModCommand::MODIFY => f.write_str("MOD")?,
        GroupModCommand::DELETE => f.write_str("DEL")?,
        c => write!(f, "cmd:{}", c.0)?,
    }
    write!(f, " group_id={}", group_id.0)?;
    match type_.ofctl_name() {
        Some(n) => write!(f, ",type={n}"),
        None => write!(f, ",type={}", type_.0),
    }
}

/// The body of OFPT_GROUP_MOD, borrowed: the fixed part decoded, the buckets a view.
#[derive(Debug, Clone)]
pub struct GroupModView<'a> {
    /// Add, modify or delete.
    pub command: GroupModCommand,
    /// Group type.
    pub type_: GroupType,
    /// The group.
    pub group_id: GroupId,
    /// The buckets, checked when iterated.
    pub buckets: BucketsView<'a>,
}

impl<'a> GroupModView<'a> {
    /// Reads the body (everything after the header): the fixed part and its padding; the
    /// buckets take the rest and are checked when iterated.
    pub fn parse(r: &mut Reader<'a>) -> Result<GroupModView<'a>> {
        let command = GroupModCommand(r.u16("ofp_group_mod.command")?);
        let type_ = GroupType(r.u8("ofp_group_mod.type")?);
        r.pad(1, "ofp_group_mod.pad")?;
        let group_id = GroupId(r.u32("ofp_group_mod.group_id")?);
        let rest = r.sub(r.remaining(), "ofp_group_mod.buckets")?;
        Ok(GroupModView {
            command,
            type_,
            group_id,
            buckets: BucketsView::from_reader(rest),
        })
    }

    /// Checks every bucket and action without allocating.
    pub fn validate(&self) -> Result<()> {
        self.buckets.validate()
    }

    /// The owned body.
    pub fn decode(&self) -> Result<GroupMod> {
        Ok(GroupMod {
            command: self.command,
            type_: self.type_,
            group_id: self.group_id,
            buckets: self.buckets.decode()?,
        })
    }
}

impl fmt::Display for GroupModView<'_> {
    /// As [`GroupMod`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_group_head(f, self.command, self.type_, self.group_id)?;
        fmt_items(f, self.buckets.clone(), "", ",", |f, b| {
            write!(f, "bucket={}", b.display(self.type_))
        })
    }
}

impl fmt::Display for Bucket {
    /// As in a group of type `all` (see [`DisplayBucket`]): the weight shows when it is not 0.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display(GroupType::ALL).fmt(f)
    }
}

impl fmt::Display for BucketView<'_> {
    /// As [`Bucket`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display(GroupType::ALL).fmt(f)
    }
}

impl fmt::Display for BucketsView<'_> {
    /// The buckets as an ovs-ofctl group lists them: `bucket=...,bucket=...`; a bucket that
    /// fails its checks prints as `<error: ...>` and ends the list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_items(f, self.clone(), ",", "", |f, b| write!(f, "bucket={b}"))
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use alloc::string::ToString;
    use alloc::vec;
    use alloc::vec::Vec;

    use proptest::prelude::*;

    use super::*;
    use crate::action::test_support::*;
    use crate::codec_error::Error;

    fn hex(s: &str) -> Vec<u8> {
        let s: alloc::string::String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn parse(body: &[u8]) -> Result<GroupMod> {
        let mut r = Reader::new(body, 8);
        let g = GroupMod::parse_body(&mut r)?;
        r.finish("ofp_group_mod")?;
        Ok(g)
    }

    fn check_bucket_json(b: &Bucket, j: &serde_json::Value) {
        let j = &j["OFPBucket"];
        assert_eq!(j["len"], b.encoded_len());
        assert_eq!(j["weight"], b.weight);
        assert_eq!(j["watch_port"], b.watch_port.0);
        assert_eq!(j["watch_group"], b.watch_group.0);
        let ja = j["actions"].as_array().unwrap();
        assert_eq!(b.actions.len(), ja.len());
        for (a, j) in b.actions.iter().zip(ja) {
            check_action_json(a, j);
        }
    }

    #[test]
    fn os_ken_group_mod() {
        let Some((m, json)) = corpus("4-21-ofp_group_mod.packet") else {
            return;
        };
        let g = parse(&m[8..]).unwrap();
        let j = &json["OFPGroupMod"];
        assert_eq!(j["command"], g.command.0);
        assert_eq!(j["type"], g.type_.0);
        assert_eq!(j["group_id"], g.group_id.0);
        let jb = j["buckets"].as_array().unwrap();
        assert_eq!(g.buckets.len(), jb.len());
        for (b, j) in g.buckets.iter().zip(jb) {
            check_bucket_json(b, j);
        }
        assert_eq!(g.to_vec().unwrap(), &m[8..]);
        assert_eq!(
            g.to_string(),
            "ADD group_id=1,type=all,bucket=weight:1,watch_port:1,watch_group:1,actions=output:2"
        );
        let view = GroupModView::parse(&mut Reader::new(&m[8..], 8)).unwrap();
        assert_eq!(view.to_string(), g.to_string());
        assert_eq!(view.decode().unwrap(), g);
        assert_eq!(GroupMod::TYPE, MsgType::GROUP_MOD);
    }

    /// Group description replies reuse the bucket list: os-ken's 4-34, walked with
    /// [`BucketsView`], printed as ovs-ofctl prints it.
    #[test]
    fn os_ken_group_desc_buckets() {
        let Some((m, json)) = corpus("4-34-ofp_group_desc_reply.packet") else {
            return;
        };
        let Some(printed) = ofp_print(&m) else {
            return;
        };
        // Multipart header (16 bytes), then ofp_group_desc: length, type, pad, group_id.
        let len = usize::from(u16::from_be_bytes([m[16], m[17]]));
        let type_ = GroupType(m[18]);
        let bytes = &m[24..16 + len];
        let view = BucketsView::new_unchecked(bytes, 24);
        let jb = json["OFPGroupDescStatsReply"]["body"][0]["OFPGroupDescStats"]["buckets"]
            .as_array()
            .unwrap();
        let buckets = view.decode().unwrap();
        assert_eq!(buckets.len(), jb.len());
        for (b, j) in buckets.iter().zip(jb) {
            check_bucket_json(b, j);
        }
        let mut again = Vec::new();
        Bucket::encode_list(&buckets, &mut again).unwrap();
        assert_eq!(again, bytes);
        for b in view {
            let b = b.unwrap();
            assert!(printed.contains(&alloc::format!("bucket={}", b.display(type_))));
        }
        assert_eq!(
            Bucket::parse_list(&mut Reader::new(bytes, 24)).unwrap(),
            buckets
        );
    }

    fn msg_of(g: &GroupMod) -> Vec<u8> {
        msg(GroupMod::TYPE.0, &g.to_vec().unwrap())
    }

    /// ovs-ofctl decodes the GROUP_MODs we encode and prints what we print.
    #[test]
    fn ofctl_agrees() {
        let out = Action::output;
        let groups = vec![
            GroupMod::add(
                GroupType::ALL,
                GroupId(1),
                vec![
                    Bucket::new(vec![out(2)]),
                    Bucket::new(vec![out(3), Action::output_to_controller(128)]),
                ],
            ),
            GroupMod::modify(
                GroupType::SELECT,
                GroupId(2),
                vec![
                    Bucket::weighted(5, vec![out(2)]),
                    Bucket::weighted(1, vec![out(3)]),
                    Bucket::weighted(0, vec![out(4)]),
                ],
            ),
            GroupMod::delete(GroupId::ALL),
            GroupMod::delete(GroupId(9)),
            GroupMod::add(
                GroupType::FF,
                GroupId(7),
                vec![
                    Bucket::watching(2u32, vec![out(2)]),
                    Bucket {
                        watch_group: GroupId(4),
                        ..Bucket::watching(PortNo::IN_PORT, vec![out(3)])
                    },
                ],
            ),
            GroupMod::add(GroupType::INDIRECT, GroupId::MAX, vec![Bucket::new(vec![])]),
            GroupMod::add(
                GroupType::INDIRECT,
                GroupId(3),
                vec![Bucket::new(vec![
                    Action::push_vlan(),
                    Action::group(GroupId(1)),
                ])],
            ),
            GroupMod::add(GroupType::ALL, GroupId(5), vec![]),
        ];
        for g in groups {
            let Some(printed) = ofp_print(&msg_of(&g)) else {
                return;
            };
            let expected = alloc::format!("OFPT_GROUP_MOD (OF1.3) (xid=0x1):\n {g}\n");
            assert_eq!(printed, expected, "{g:?}");
        }
    }

    fn err(body: &str) -> Error {
        parse(&hex(body)).unwrap_err()
    }

    #[test]
    fn bad_lengths() {
        // Body shorter than its 8 fixed bytes.
        assert!(matches!(
            err("0000 00 00 0000"),
            Error::Truncated { offset: 12, .. }
        ));
        // Bucket length below 16 (at offset 16 in the message).
        assert!(matches!(
            err("0000 00 00 00000001  0008 0000 ffffffff ffffffff 00000000"),
            Error::BadLength {
                offset: 16,
                value: 8,
                ..
            }
        ));
        // Not a multiple of 8.
        assert!(matches!(
            err("0000 00 00 00000001  0014 0000 ffffffff ffffffff 00000000 00000000"),
            Error::BadLength {
                offset: 16,
                value: 20,
                ..
            }
        ));
        // Past the end.
        assert!(matches!(
            err("0000 00 00 00000001  0020 0000 ffffffff ffffffff 00000000"),
            Error::BadLength {
                offset: 16,
                value: 32,
                ..
            }
        ));
        // A bucket cut before its length field.
        assert!(matches!(
            err("0000 00 00 00000001  00"),
            Error::Truncated { offset: 16, .. }
        ));
        // An action inside a bucket: reported at its own offset (32 + 2).
        assert!(matches!(
            err("0000 00 00 00000001  0018 0000 ffffffff ffffffff 00000000 0012 0004 00000000"),
            Error::BadLength {
                offset: 34,
                value: 4,
                ..
            }
        ));
    }

    #[test]
    fn bad_padding() {
        assert!(matches!(
            err("0000 00 01 00000001"),
            Error::BadValue { offset: 11, .. }
        ));
        assert!(matches!(
            err("0000 00 00 00000001  0010 0000 ffffffff ffffffff 00000100"),
            Error::BadValue { offset: 30, .. }
        ));
    }

    #[test]
    fn names() {
        assert_eq!(GroupType::FF.to_string(), "OFPGT_FF");
        assert_eq!(GroupType(9).to_string(), "OFPGT_UNKNOWN(9)");
        assert_eq!(GroupModCommand::DELETE.to_string(), "OFPGC_DELETE");
        assert_eq!(
            alloc::format!("{:?}", GroupModCommand(7)),
            "GroupModCommand(OFPGC_UNKNOWN(7))"
        );
        let g = GroupMod {
            command: GroupModCommand(7),
            type_: GroupType(9),
            group_id: GroupId(1),
            buckets: vec![],
        };
        assert_eq!(g.to_string(), "cmd:7 group_id=1,type=9");
    }

    #[test]
    fn unencodable() {
        let g = GroupMod::add(
            GroupType::ALL,
            GroupId(1),
            vec![Bucket::new(vec![Action::experimenter(1, vec![0; 65520])])],
        );
        assert!(matches!(g.to_vec(), Err(Error::Unencodable { .. })));
    }

    fn arb_bucket() -> impl Strategy<Value = Bucket> {
        (
            any::<u16>(),
            any::<u32>(),
            any::<u32>(),
            proptest::collection::vec(arb_action(), 0..3),
        )
            .prop_map(|(weight, p, g, actions)| Bucket {
                weight,
                watch_port: PortNo(p),
                watch_group: GroupId(g),
                actions,
            })
    }

    fn arb_group_mod() -> impl Strategy<Value = GroupMod> {
        (
            any::<u16>(),
            any::<u8>(),
            any::<u32>(),
            proptest::collection::vec(arb_bucket(), 0..4),
        )
            .prop_map(|(c, t, g, buckets)| GroupMod {
                command: GroupModCommand(c),
                type_: GroupType(t),
                group_id: GroupId(g),
                buckets,
            })
    }

    /// Bodies shaped like GROUP_MODs: buckets of plausible lengths holding pop_vlan actions.
    fn arb_body() -> impl Strategy<Value = Vec<u8>> {
        let bucket = (
            0usize..3,
            proptest::collection::vec(prop_oneof![3 => Just(0u8), 1 => any::<u8>()], 12),
            prop_oneof![4 => Just(None), 1 => (0u16..48).prop_map(Some)],
        )
            .prop_map(|(n, head, badlen)| {
                let len = badlen.map_or(16 + 8 * n, usize::from);
                let mut v = u16::try_from(len).unwrap().to_be_bytes().to_vec();
                v.extend_from_slice(&head[..10]);
                v.extend_from_slice(&[0; 4]);
                for _ in 0..n {
                    v.extend_from_slice(&[0, 18, 0, 8, 0, 0, 0, 0]);
                }
                v
            });
        (
            proptest::collection::vec(any::<u8>(), 8),
            proptest::collection::vec(bucket, 0..4),
        )
            .prop_map(|(mut head, buckets)| {
                head[3] = 0;
                head.extend(buckets.concat());
                head
            })
    }

    proptest! {
        #[test]
        fn any_bytes_round_trip(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(g) = parse(&b) {
                prop_assert_eq!(g.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn shaped_bytes_round_trip(b in arb_body()) {
            let view = GroupModView::parse(&mut Reader::new(&b, 8));
            match parse(&b) {
                Ok(g) => {
                    prop_assert!(view.unwrap().validate().is_ok());
                    prop_assert_eq!(g.to_vec().unwrap(), b);
                }
                Err(_) => prop_assert!(view.map_or(true, |v| v.validate().is_err())),
            }
        }

        #[test]
        fn values_round_trip(g in arb_group_mod()) {
            let b = g.to_vec().unwrap();
            prop_assert_eq!(b.len(), g.encoded_len());
            prop_assert_eq!(parse(&b).unwrap(), g.clone());
            let view = GroupModView::parse(&mut Reader::new(&b, 8)).unwrap();
            prop_assert_eq!(view.to_string(), g.to_string());
        }
    }
}
