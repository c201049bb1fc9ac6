//! Replies: the owned [`MultipartReply`] and the zero-copy [`MultipartReplyView`].

use super::*;
use crate::codec::{list_len, write_list};

// ---------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------

/// The body of a multipart reply, by type, owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MultipartReplyBody {
    /// OFPMP_DESC (boxed: the description is 1056 bytes).
    Desc(Box<Desc>),
    /// OFPMP_FLOW.
    Flow(Vec<FlowStats>),
    /// OFPMP_AGGREGATE.
    Aggregate(AggregateStats),
    /// OFPMP_TABLE.
    Table(Vec<TableStats>),
    /// OFPMP_PORT_STATS.
    PortStats(Vec<PortStats>),
    /// OFPMP_QUEUE.
    Queue(Vec<QueueStats>),
    /// OFPMP_GROUP.
    Group(Vec<GroupStats>),
    /// OFPMP_GROUP_DESC.
    GroupDesc(Vec<GroupDesc>),
    /// OFPMP_GROUP_FEATURES.
    GroupFeatures(GroupFeatures),
    /// OFPMP_METER.
    Meter(Vec<MeterStats>),
    /// OFPMP_METER_CONFIG.
    MeterConfig(Vec<MeterConfig>),
    /// OFPMP_METER_FEATURES.
    MeterFeatures(MeterFeatures),
    /// OFPMP_TABLE_FEATURES.
    TableFeatures(Vec<TableFeatures>),
    /// OFPMP_PORT_DESC.
    PortDesc(Vec<Port>),
    /// OFPMP_EXPERIMENTER.
    Experimenter(ExperimenterMultipart),
    /// A multipart type this codec does not know, kept raw.
    Unknown {
        /// The multipart type.
        type_: MultipartType,
        /// The body after the multipart header.
        data: Vec<u8>,
    },
}

impl MultipartReplyBody {
    /// The multipart type number.
    pub fn multipart_type(&self) -> MultipartType {
        match self {
            Self::Desc(_) => MultipartType::DESC,
            Self::Flow(_) => MultipartType::FLOW,
            Self::Aggregate(_) => MultipartType::AGGREGATE,
            Self::Table(_) => MultipartType::TABLE,
            Self::PortStats(_) => MultipartType::PORT_STATS,
            Self::Queue(_) => MultipartType::QUEUE,
            Self::Group(_) => MultipartType::GROUP,
            Self::GroupDesc(_) => MultipartType::GROUP_DESC,
            Self::GroupFeatures(_) => MultipartType::GROUP_FEATURES,
            Self::Meter(_) => MultipartType::METER,
            Self::MeterConfig(_) => MultipartType::METER_CONFIG,
            Self::MeterFeatures(_) => MultipartType::METER_FEATURES,
            Self::TableFeatures(_) => MultipartType::TABLE_FEATURES,
            Self::PortDesc(_) => MultipartType::PORT_DESC,
            Self::Experimenter(_) => MultipartType::EXPERIMENTER,
            Self::Unknown { type_, .. } => *type_,
        }
    }
}

crate::codec::impl_encode!(MultipartReplyBody);

impl WireWrite for MultipartReplyBody {
    fn encoded_len(&self) -> usize {
        match self {
            Self::Desc(d) => d.encoded_len(),
            Self::Flow(v) => list_len(v),
            Self::Aggregate(a) => a.encoded_len(),
            Self::Table(v) => list_len(v),
            Self::PortStats(v) => list_len(v),
            Self::Queue(v) => list_len(v),
            Self::Group(v) => list_len(v),
            Self::GroupDesc(v) => list_len(v),
            Self::GroupFeatures(g) => g.encoded_len(),
            Self::Meter(v) => list_len(v),
            Self::MeterConfig(v) => list_len(v),
            Self::MeterFeatures(m) => m.encoded_len(),
            Self::TableFeatures(v) => list_len(v),
            Self::PortDesc(v) => list_len(v),
            Self::Experimenter(e) => e.encoded_len(),
            Self::Unknown { data, .. } => data.len(),
        }
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        match self {
            Self::Desc(d) => d.write(out),
            Self::Flow(v) => write_list(v, out),
            Self::Aggregate(a) => a.write(out),
            Self::Table(v) => write_list(v, out),
            Self::PortStats(v) => write_list(v, out),
            Self::Queue(v) => write_list(v, out),
            Self::Group(v) => write_list(v, out),
            Self::GroupDesc(v) => write_list(v, out),
            Self::GroupFeatures(g) => g.write(out),
            Self::Meter(v) => write_list(v, out),
            Self::MeterConfig(v) => write_list(v, out),
            Self::MeterFeatures(m) => m.write(out),
            Self::TableFeatures(v) => write_list(v, out),
            Self::PortDesc(v) => write_list(v, out),
            Self::Experimenter(e) => e.write(out),
            Self::Unknown { data, .. } => {
                out.put_slice(data);
                Ok(())
            }
        }
    }
}

/// The body of OFPT_MULTIPART_REPLY, owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MultipartReply {
    /// Flags ([`MultipartFlags::REPLY_MORE`] when more replies of this multipart follow).
    pub flags: MultipartFlags,
    /// The type-specific body (it decides the `type` field).
    pub body: MultipartReplyBody,
}

impl From<MultipartReplyBody> for MultipartReply {
    fn from(body: MultipartReplyBody) -> Self {
        MultipartReply::new(body)
    }
}

impl MultipartReply {
    /// A reply with no flags.
    pub fn new(body: MultipartReplyBody) -> MultipartReply {
        MultipartReply {
            flags: MultipartFlags::EMPTY,
            body,
        }
    }
}

multipart_envelope!(MultipartReply, REPLY_MORE, "more replies follow");

impl MessageBody for MultipartReply {
    const TYPE: MsgType = MsgType::MULTIPART_REPLY;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        MultipartReplyView::parse(r)?.decode()
    }
}

/// The body of a multipart reply, by type, borrowed: fixed bodies decoded, arrays as
/// [`Entries`] iterators.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum MultipartReplyBodyView<'a> {
    /// OFPMP_DESC.
    Desc(DescView<'a>),
    /// OFPMP_FLOW.
    Flow(Entries<'a, FlowStatsView<'a>>),
    /// OFPMP_AGGREGATE.
    Aggregate(AggregateStats),
    /// OFPMP_TABLE.
    Table(Entries<'a, TableStats>),
    /// OFPMP_PORT_STATS.
    PortStats(Entries<'a, PortStats>),
    /// OFPMP_QUEUE.
    Queue(Entries<'a, QueueStats>),
    /// OFPMP_GROUP.
    Group(Entries<'a, GroupStatsView<'a>>),
    /// OFPMP_GROUP_DESC.
    GroupDesc(Entries<'a, GroupDescView<'a>>),
    /// OFPMP_GROUP_FEATURES.
    GroupFeatures(GroupFeatures),
    /// OFPMP_METER.
    Meter(Entries<'a, MeterStatsView<'a>>),
    /// OFPMP_METER_CONFIG.
    MeterConfig(Entries<'a, MeterConfigView<'a>>),
    /// OFPMP_METER_FEATURES.
    MeterFeatures(MeterFeatures),
    /// OFPMP_TABLE_FEATURES.
    TableFeatures(Entries<'a, TableFeaturesView<'a>>),
    /// OFPMP_PORT_DESC.
    PortDesc(Entries<'a, Port>),
    /// OFPMP_EXPERIMENTER.
    Experimenter(ExperimenterMultipartView<'a>),
    /// An unknown multipart type.
    Unknown {
        /// The multipart type.
        type_: MultipartType,
        /// The body after the multipart header.
        data: &'a [u8],
    },
}

/// The body of OFPT_MULTIPART_REPLY, borrowed from the message.
///
/// [`MultipartReplyView::parse`] checks the multipart header and decodes fixed bodies
/// (description, aggregate, group and meter features) exactly; arrays are walked by
/// [`Entries`], which check each entry's length as they reach it, so that reading a reply
/// allocates nothing. [`MultipartReplyView::validate`] checks everything at once.
#[derive(Debug, Clone)]
pub struct MultipartReplyView<'a> {
    /// Flags ([`MultipartFlags::REPLY_MORE`]).
    pub flags: MultipartFlags,
    /// The body.
    pub body: MultipartReplyBodyView<'a>,
}

macro_rules! accessor {
    ($($(#[$m:meta])* $name:ident -> $variant:ident : $t:ty;)*) => {$(
        $(#[$m])*
        pub fn $name(&self) -> Option<$t> {
            match &self.body {
                MultipartReplyBodyView::$variant(v) => Some(v.clone()),
                _ => None,
            }
        }
    )*};
}

impl<'a> MultipartReplyView<'a> {
    /// Reads a reply body (the message after its 8-byte header; `r` must hold exactly the
    /// body). Fixed-size bodies must be exactly their size.
    pub fn parse(r: &mut Reader<'a>) -> Result<MultipartReplyView<'a>> {
        let ty = MultipartType(r.u16("ofp_multipart_reply.type")?);
        let flags = MultipartFlags(r.u16("ofp_multipart_reply.flags")?);
        r.pad(4, "ofp_multipart_reply.pad")?;
        use MultipartReplyBodyView as B;
        let body = match ty {
            MultipartType::DESC => B::Desc(DescView::parse(r)?),
            MultipartType::FLOW => B::Flow(Entries::from_reader(r.clone())),
            MultipartType::AGGREGATE => B::Aggregate(AggregateStats::parse(r)?),
            MultipartType::TABLE => B::Table(Entries::from_reader(r.clone())),
            MultipartType::PORT_STATS => B::PortStats(Entries::from_reader(r.clone())),
            MultipartType::QUEUE => B::Queue(Entries::from_reader(r.clone())),
            MultipartType::GROUP => B::Group(Entries::from_reader(r.clone())),
            MultipartType::GROUP_DESC => B::GroupDesc(Entries::from_reader(r.clone())),
            MultipartType::GROUP_FEATURES => B::GroupFeatures(GroupFeatures::parse(r)?),
            MultipartType::METER => B::Meter(Entries::from_reader(r.clone())),
            MultipartType::METER_CONFIG => B::MeterConfig(Entries::from_reader(r.clone())),
            MultipartType::METER_FEATURES => B::MeterFeatures(MeterFeatures::parse(r)?),
            MultipartType::TABLE_FEATURES => B::TableFeatures(Entries::from_reader(r.clone())),
            MultipartType::PORT_DESC => B::PortDesc(Entries::from_reader(r.clone())),
            MultipartType::EXPERIMENTER => B::Experimenter(ExperimenterMultipartView::parse(r)?),
            _ => B::Unknown {
                type_: ty,
                data: r.peek_rest(),
            },
        };
        // Arrays and raw bodies take everything; fixed bodies must end the message.
        match body {
            B::Desc(_) | B::Aggregate(_) | B::GroupFeatures(_) | B::MeterFeatures(_) => {
                r.finish("ofp_multipart_reply body")?
            }
            _ => {
                r.rest();
            }
        }
        Ok(MultipartReplyView { flags, body })
    }

    /// True when [`MultipartFlags::REPLY_MORE`] is set: more replies follow.
    pub fn more(&self) -> bool {
        self.flags.contains(MultipartFlags::REPLY_MORE)
    }

    /// The multipart type.
    pub fn multipart_type(&self) -> MultipartType {
        self.body.multipart_type()
    }

    accessor! {
        /// The flow statistics, if this is a FLOW reply.
        flow_stats -> Flow: Entries<'a, FlowStatsView<'a>>;
        /// The table statistics, if this is a TABLE reply.
        table_stats -> Table: Entries<'a, TableStats>;
        /// The port statistics, if this is a PORT_STATS reply.
        port_stats -> PortStats: Entries<'a, PortStats>;
        /// The queue statistics, if this is a QUEUE reply.
        queue_stats -> Queue: Entries<'a, QueueStats>;
        /// The group statistics, if this is a GROUP reply.
        group_stats -> Group: Entries<'a, GroupStatsView<'a>>;
        /// The group descriptions, if this is a GROUP_DESC reply.
        group_desc -> GroupDesc: Entries<'a, GroupDescView<'a>>;
        /// The meter statistics, if this is a METER reply.
        meter_stats -> Meter: Entries<'a, MeterStatsView<'a>>;
        /// The meter configurations, if this is a METER_CONFIG reply.
        meter_config -> MeterConfig: Entries<'a, MeterConfigView<'a>>;
        /// The table features, if this is a TABLE_FEATURES reply.
        table_features -> TableFeatures: Entries<'a, TableFeaturesView<'a>>;
        /// The port descriptions, if this is a PORT_DESC reply.
        port_desc -> PortDesc: Entries<'a, Port>;
        /// The switch description, if this is a DESC reply.
        desc -> Desc: DescView<'a>;
        /// The aggregate statistics, if this is an AGGREGATE reply.
        aggregate_stats -> Aggregate: AggregateStats;
        /// The group features, if this is a GROUP_FEATURES reply.
        group_features -> GroupFeatures: GroupFeatures;
        /// The meter features, if this is a METER_FEATURES reply.
        meter_features -> MeterFeatures: MeterFeatures;
        /// The experimenter body, if this is an EXPERIMENTER reply.
        experimenter -> Experimenter: ExperimenterMultipartView<'a>;
    }

    /// Checks every entry and everything nested in it, without allocating.
    pub fn validate(&self) -> Result<()> {
        use MultipartReplyBodyView as B;
        match &self.body {
            B::Flow(e) => e.validate(),
            B::Table(e) => e.validate(),
            B::PortStats(e) => e.validate(),
            B::Queue(e) => e.validate(),
            B::Group(e) => e.validate(),
            B::GroupDesc(e) => e.validate(),
            B::Meter(e) => e.validate(),
            B::MeterConfig(e) => e.validate(),
            B::TableFeatures(e) => e.validate(),
            B::PortDesc(e) => e.validate(),
            B::Desc(_)
            | B::Aggregate(_)
            | B::GroupFeatures(_)
            | B::MeterFeatures(_)
            | B::Experimenter(_)
            | B::Unknown { .. } => Ok(()),
        }
    }

    /// The owned reply.
    pub fn decode(&self) -> Result<MultipartReply> {
        use MultipartReplyBody as O;
        use MultipartReplyBodyView as B;
        let body = match &self.body {
            B::Desc(d) => O::Desc(Box::new(d.decode())),
            B::Flow(e) => O::Flow(e.decode_flows()?),
            B::Aggregate(a) => O::Aggregate(*a),
            B::Table(e) => O::Table(e.decode()?),
            B::PortStats(e) => O::PortStats(e.decode()?),
            B::Queue(e) => O::Queue(e.decode()?),
            B::Group(e) => O::Group(e.decode()?),
            B::GroupDesc(e) => O::GroupDesc(e.decode()?),
            B::GroupFeatures(g) => O::GroupFeatures(*g),
            B::Meter(e) => O::Meter(e.decode()?),
            B::MeterConfig(e) => O::MeterConfig(e.decode()?),
            B::MeterFeatures(m) => O::MeterFeatures(*m),
            B::TableFeatures(e) => O::TableFeatures(e.decode()?),
            B::PortDesc(e) => O::PortDesc(e.decode()?),
            B::Experimenter(e) => O::Experimenter(e.decode()),
            B::Unknown { type_, data } => O::Unknown {
                type_: *type_,
                data: data.to_vec(),
            },
        };
        Ok(MultipartReply {
            flags: self.flags,
            body,
        })
    }
}

fn fmt_entries<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    items: impl Iterator<Item = Result<T>>,
) -> fmt::Result {
    crate::codec::fmt_items(f, items, "", "\n ", |f, i| i.fmt(f))
}

impl fmt::Display for MultipartReplyView<'_> {
    /// ovs-ofctl's title (`OFPST_FLOW reply flags=[more]:`), then one entry per line, each in
    /// its own `Display` form (flow statistics as `dump-flows` prints them); fixed bodies
    /// follow the title on the same line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_title(f, self.multipart_type(), "reply", self.flags)?;
        fmt_reply_body_view(f, &self.body)
    }
}

impl MultipartReplyBodyView<'_> {
    /// The multipart type of this body.
    pub fn multipart_type(&self) -> MultipartType {
        use MultipartReplyBodyView as B;
        match self {
            B::Desc(_) => MultipartType::DESC,
            B::Flow(_) => MultipartType::FLOW,
            B::Aggregate(_) => MultipartType::AGGREGATE,
            B::Table(_) => MultipartType::TABLE,
            B::PortStats(_) => MultipartType::PORT_STATS,
            B::Queue(_) => MultipartType::QUEUE,
            B::Group(_) => MultipartType::GROUP,
            B::GroupDesc(_) => MultipartType::GROUP_DESC,
            B::GroupFeatures(_) => MultipartType::GROUP_FEATURES,
            B::Meter(_) => MultipartType::METER,
            B::MeterConfig(_) => MultipartType::METER_CONFIG,
            B::MeterFeatures(_) => MultipartType::METER_FEATURES,
            B::TableFeatures(_) => MultipartType::TABLE_FEATURES,
            B::PortDesc(_) => MultipartType::PORT_DESC,
            B::Experimenter(_) => MultipartType::EXPERIMENTER,
            B::Unknown { type_, .. } => *type_,
        }
    }
}

impl fmt::Display for MultipartReplyBodyView<'_> {
    /// As [`MultipartReplyBody`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_title(f, self.multipart_type(), "reply", MultipartFlags::EMPTY)?;
        fmt_reply_body_view(f, self)
    }
}

fn fmt_reply_body_view(
    f: &mut fmt::Formatter<'_>,
    body: &MultipartReplyBodyView<'_>,
) -> fmt::Result {
    use MultipartReplyBodyView as B;
    match body {
        B::Desc(d) => write!(f, " {d}"),
        B::Flow(e) => fmt_entries(f, e.clone()),
        B::Aggregate(a) => write!(f, " {a}"),
        B::Table(e) => fmt_entries(f, e.clone()),
        B::PortStats(e) => fmt_entries(f, e.clone()),
        B::Queue(e) => fmt_entries(f, e.clone()),
        B::Group(e) => fmt_entries(f, e.clone()),
        B::GroupDesc(e) => fmt_entries(f, e.clone()),
        B::GroupFeatures(g) => write!(f, " {g}"),
        B::Meter(e) => fmt_entries(f, e.clone()),
        B::MeterConfig(e) => fmt_entries(f, e.clone()),
        B::MeterFeatures(m) => write!(f, " {m}"),
        B::TableFeatures(e) => fmt_entries(f, e.clone()),
        B::PortDesc(e) => fmt_entries(f, e.clone()),
        B::Experimenter(e) => write!(f, " {e}"),
        B::Unknown { data, .. } => {
            f.write_str(" data=")?;
            fmt_hex(f, data)
        }
    }
}

impl fmt::Display for MultipartReply {
    /// As [`MultipartReplyView`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_title(f, self.multipart_type(), "reply", self.flags)?;
        fmt_reply_body(f, &self.body)
    }
}

impl fmt::Display for MultipartReplyBody {
    /// As the reply it makes, without flags: `OFPST_PORT_DESC reply:` and the ports.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_title(f, self.multipart_type(), "reply", MultipartFlags::EMPTY)?;
        fmt_reply_body(f, self)
    }
}

fn fmt_reply_body(f: &mut fmt::Formatter<'_>, body: &MultipartReplyBody) -> fmt::Result {
    use MultipartReplyBody as O;
    fn all<T: fmt::Display>(f: &mut fmt::Formatter<'_>, v: &[T]) -> fmt::Result {
        fmt_entries(f, v.iter().map(Ok))
    }
    match body {
        O::Desc(d) => write!(f, " {d}"),
        O::Flow(v) => all(f, v),
        O::Aggregate(a) => write!(f, " {a}"),
        O::Table(v) => all(f, v),
        O::PortStats(v) => all(f, v),
        O::Queue(v) => all(f, v),
        O::Group(v) => all(f, v),
        O::GroupDesc(v) => all(f, v),
        O::GroupFeatures(g) => write!(f, " {g}"),
        O::Meter(v) => all(f, v),
        O::MeterConfig(v) => all(f, v),
        O::MeterFeatures(m) => write!(f, " {m}"),
        O::TableFeatures(v) => all(f, v),
        O::PortDesc(v) => all(f, v),
        O::Experimenter(e) => write!(f, " {e}"),
        O::Unknown { data, .. } => {
            f.write_str(" data=")?;
            fmt_hex(f, data)
        }
    }
}

impl<'a, T: Entry<'a> + fmt::Display> fmt::Display for Entries<'a, T> {
    /// One entry per line, each in its own `Display` form, as in the reply's `Display`; an
    /// entry that fails its checks prints as `<error: ...>` and ends the list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::codec::fmt_list(f, self.clone(), "\n")
    }
}
