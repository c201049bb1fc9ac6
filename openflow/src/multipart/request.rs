//! Requests: the bodies a controller sends (`ofp_multipart_request`).

use super::*;

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// The body of a FLOW or AGGREGATE request (`ofp_flow_stats_request`,
/// `ofp_aggregate_stats_request`): which flows to report.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FlowStatsRequest {
    /// The table to read, or [`TableId::ALL`].
    pub table_id: TableId,
    /// Only flows that output to this port ([`PortNo::ANY`]: any).
    pub out_port: PortNo,
    /// Only flows that output to this group ([`GroupId::ANY`]: any).
    pub out_group: GroupId,
    /// Only flows whose cookie equals this under `cookie_mask`.
    pub cookie: u64,
    /// Bits of the cookie to compare (0: don't compare).
    pub cookie_mask: u64,
    /// Only flows that this match covers.
    pub match_: Match,
}

impl FlowStatsRequest {
    /// Flows of every table covered by `match_`, with no output or cookie restriction.
    pub fn new(match_: Match) -> FlowStatsRequest {
        FlowStatsRequest {
            table_id: TableId::ALL,
            out_port: PortNo::ANY,
            out_group: GroupId::ANY,
            cookie: 0,
            cookie_mask: 0,
            match_,
        }
    }

    /// Only flows of table `table_id`.
    #[must_use]
    pub fn table(mut self, table_id: impl Into<TableId>) -> Self {
        self.table_id = table_id.into();
        self
    }

    /// Only flows with an output to `port`.
    #[must_use]
    pub fn out_port(mut self, port: impl Into<PortNo>) -> Self {
        self.out_port = port.into();
        self
    }

    /// Only flows with an output to `group`.
    #[must_use]
    pub fn out_group(mut self, group: impl Into<GroupId>) -> Self {
        self.out_group = group.into();
        self
    }

    /// Only flows whose cookie matches `cookie` under `mask`.
    #[must_use]
    pub fn cookie(mut self, cookie: u64, mask: u64) -> Self {
        self.cookie = cookie;
        self.cookie_mask = mask;
        self
    }

    /// Parses the request body (with its match, which must end the body).
    pub fn parse(r: &mut Reader<'_>) -> Result<FlowStatsRequest> {
        let table_id = TableId(r.u8("ofp_flow_stats_request.table_id")?);
        r.pad(3, "ofp_flow_stats_request.pad")?;
        let out_port = PortNo(r.u32("ofp_flow_stats_request.out_port")?);
        let out_group = GroupId(r.u32("ofp_flow_stats_request.out_group")?);
        r.pad(4, "ofp_flow_stats_request.pad2")?;
        let cookie = r.u64("ofp_flow_stats_request.cookie")?;
        let cookie_mask = r.u64("ofp_flow_stats_request.cookie_mask")?;
        let match_ = Match::parse(r)?;
        Ok(FlowStatsRequest {
            table_id,
            out_port,
            out_group,
            cookie,
            cookie_mask,
            match_,
        })
    }
}

crate::codec::impl_encode!(FlowStatsRequest);

impl WireWrite for FlowStatsRequest {
    fn encoded_len(&self) -> usize {
        FLOW_STATS_REQUEST_LEN + self.match_.encoded_len()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u8(self.table_id.0);
        put_zeros(out, 3);
        out.put_u32(self.out_port.0);
        out.put_u32(self.out_group.0);
        put_zeros(out, 4);
        out.put_u64(self.cookie);
        out.put_u64(self.cookie_mask);
        self.match_.write(out)
    }
}

impl fmt::Display for FlowStatsRequest {
    /// As ovs-ofctl prints the request: ` table=1 out_port=2 out_group=3
    /// cookie=0x1/0xff in_port=1` (each part only when it restricts anything).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.table_id != TableId::ALL {
            write!(f, " table={}", self.table_id.0)?;
        }
        if self.out_port != PortNo::ANY {
            write!(f, " out_port={}", self.out_port)?;
        }
        if self.out_group != GroupId::ANY {
            write!(f, " out_group={}", self.out_group.0)?;
        }
        if self.cookie_mask != 0 {
            write!(f, " cookie={:#x}/{:#x}", self.cookie, self.cookie_mask)?;
        }
        if !self.match_.is_empty() {
            write!(f, " {}", self.match_)?;
        }
        Ok(())
    }
}

/// The body of an experimenter multipart request or reply
/// (`ofp_experimenter_multipart_header` and data), kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ExperimenterMultipart {
    /// Experimenter id.
    pub experimenter: u32,
    /// Experimenter-defined type.
    pub exp_type: u32,
    /// Everything after `exp_type`.
    pub data: Vec<u8>,
}

impl ExperimenterMultipart {
    /// Parses the body: the two ids, then everything left in `r` as data.
    pub fn parse(r: &mut Reader<'_>) -> Result<ExperimenterMultipart> {
        Ok(ExperimenterMultipartView::parse(r)?.decode())
    }

    /// The borrowed form.
    pub fn as_ref(&self) -> ExperimenterMultipartView<'_> {
        ExperimenterMultipartView {
            experimenter: self.experimenter,
            exp_type: self.exp_type,
            data: &self.data,
        }
    }
}

crate::codec::impl_encode!(ExperimenterMultipart);

impl WireWrite for ExperimenterMultipart {
    fn encoded_len(&self) -> usize {
        EXPERIMENTER_MULTIPART_LEN + self.data.len()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u32(self.experimenter);
        out.put_u32(self.exp_type);
        out.put_slice(&self.data);
        Ok(())
    }
}

impl fmt::Display for ExperimenterMultipart {
    /// `experimenter=0x4f4e4600 exp_type=1870 data=...` (hex).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_ref().fmt(f)
    }
}

/// An experimenter multipart body, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExperimenterMultipartView<'a> {
    /// Experimenter id.
    pub experimenter: u32,
    /// Experimenter-defined type.
    pub exp_type: u32,
    /// Everything after `exp_type`.
    pub data: &'a [u8],
}

impl<'a> ExperimenterMultipartView<'a> {
    /// Parses the body: the two ids, then everything left in `r` as data.
    pub fn parse(r: &mut Reader<'a>) -> Result<ExperimenterMultipartView<'a>> {
        Ok(ExperimenterMultipartView {
            experimenter: r.u32("ofp_experimenter_multipart_header.experimenter")?,
            exp_type: r.u32("ofp_experimenter_multipart_header.exp_type")?,
            data: r.rest(),
        })
    }

    /// The owned body.
    pub fn decode(&self) -> ExperimenterMultipart {
        ExperimenterMultipart {
            experimenter: self.experimenter,
            exp_type: self.exp_type,
            data: self.data.to_vec(),
        }
    }
}

impl fmt::Display for ExperimenterMultipartView<'_> {
    /// `experimenter=0x4f4e4600 exp_type=1870 data=...` (hex).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "experimenter={:#x} exp_type={} data=",
            self.experimenter, self.exp_type
        )?;
        fmt_hex(f, self.data)
    }
}

/// The body of a multipart request, by type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MultipartRequestBody {
    /// OFPMP_DESC (empty body).
    Desc,
    /// OFPMP_FLOW.
    Flow(FlowStatsRequest),
    /// OFPMP_AGGREGATE.
    Aggregate(FlowStatsRequest),
    /// OFPMP_TABLE (empty body).
    Table,
    /// OFPMP_PORT_STATS (`ofp_port_stats_request`).
    PortStats {
        /// The port, or [`PortNo::ANY`] for all.
        port_no: PortNo,
    },
    /// OFPMP_QUEUE (`ofp_queue_stats_request`).
    Queue {
        /// The port, or [`PortNo::ANY`] for all.
        port_no: PortNo,
        /// The queue, or [`OFPQ_ALL`] for all.
        queue_id: u32,
    },
    /// OFPMP_GROUP (`ofp_group_stats_request`).
    Group {
        /// The group, or [`GroupId::ALL`] for all.
        group_id: GroupId,
    },
    /// OFPMP_GROUP_DESC (empty body).
    GroupDesc,
    /// OFPMP_GROUP_FEATURES (empty body).
    GroupFeatures,
    /// OFPMP_METER (`ofp_meter_multipart_request`).
    Meter {
        /// The meter, or [`MeterId::ALL`] for all.
        meter_id: MeterId,
    },
    /// OFPMP_METER_CONFIG (`ofp_meter_multipart_request`).
    MeterConfig {
        /// The meter, or [`MeterId::ALL`] for all.
        meter_id: MeterId,
    },
    /// OFPMP_METER_FEATURES (empty body).
    MeterFeatures,
    /// OFPMP_TABLE_FEATURES: empty to ask for the switch's table features, or the features
    /// to set.
    TableFeatures(Vec<TableFeatures>),
    /// OFPMP_PORT_DESC (empty body).
    PortDesc,
    /// OFPMP_EXPERIMENTER.
    Experimenter(ExperimenterMultipart),
    /// A multipart type this codec does not know, kept raw. (With a known type number it
    /// encodes, but parses back as that type.)
    Unknown {
        /// The multipart type.
        type_: MultipartType,
        /// The body after the multipart header.
        data: Vec<u8>,
    },
}

impl MultipartRequestBody {
    /// The multipart type number.
    pub fn multipart_type(&self) -> MultipartType {
        match self {
            Self::Desc => MultipartType::DESC,
            Self::Flow(_) => MultipartType::FLOW,
            Self::Aggregate(_) => MultipartType::AGGREGATE,
            Self::Table => MultipartType::TABLE,
            Self::PortStats { .. } => MultipartType::PORT_STATS,
            Self::Queue { .. } => MultipartType::QUEUE,
            Self::Group { .. } => MultipartType::GROUP,
            Self::GroupDesc => MultipartType::GROUP_DESC,
            Self::GroupFeatures => MultipartType::GROUP_FEATURES,
            Self::Meter { .. } => MultipartType::METER,
            Self::MeterConfig { .. } => MultipartType::METER_CONFIG,
            Self::MeterFeatures => MultipartType::METER_FEATURES,
            Self::TableFeatures(_) => MultipartType::TABLE_FEATURES,
            Self::PortDesc => MultipartType::PORT_DESC,
            Self::Experimenter(_) => MultipartType::EXPERIMENTER,
            Self::Unknown { type_, .. } => *type_,
        }
    }

    /// Parses the body of a request of type `ty`; `r` must hold exactly the body.
    pub fn parse(ty: MultipartType, r: &mut Reader<'_>) -> Result<MultipartRequestBody> {
        let body = match ty {
            MultipartType::DESC => Self::Desc,
            MultipartType::FLOW => Self::Flow(FlowStatsRequest::parse(r)?),
            MultipartType::AGGREGATE => Self::Aggregate(FlowStatsRequest::parse(r)?),
            MultipartType::TABLE => Self::Table,
            MultipartType::PORT_STATS => {
                let port_no = PortNo(r.u32("ofp_port_stats_request.port_no")?);
                r.pad(4, "ofp_port_stats_request.pad")?;
                Self::PortStats { port_no }
            }
            MultipartType::QUEUE => Self::Queue {
                port_no: PortNo(r.u32("ofp_queue_stats_request.port_no")?),
                queue_id: r.u32("ofp_queue_stats_request.queue_id")?,
            },
            MultipartType::GROUP => {
                let group_id = GroupId(r.u32("ofp_group_stats_request.group_id")?);
                r.pad(4, "ofp_group_stats_request.pad")?;
                Self::Group { group_id }
            }
            MultipartType::GROUP_DESC => Self::GroupDesc,
            MultipartType::GROUP_FEATURES => Self::GroupFeatures,
            MultipartType::METER | MultipartType::METER_CONFIG => {
                let meter_id = MeterId(r.u32("ofp_meter_multipart_request.meter_id")?);
                r.pad(4, "ofp_meter_multipart_request.pad")?;
                if ty == MultipartType::METER {
                    Self::Meter { meter_id }
                } else {
                    Self::MeterConfig { meter_id }
                }
            }
            MultipartType::METER_FEATURES => Self::MeterFeatures,
            MultipartType::TABLE_FEATURES => Self::TableFeatures(TableFeatures::parse_list(r)?),
            MultipartType::PORT_DESC => Self::PortDesc,
            MultipartType::EXPERIMENTER => Self::Experimenter(ExperimenterMultipart::parse(r)?),
            _ => Self::Unknown {
                type_: ty,
                data: r.rest().to_vec(),
            },
        };
        r.finish("ofp_multipart_request body")?;
        Ok(body)
    }
}

crate::codec::impl_encode!(MultipartRequestBody);

impl WireWrite for MultipartRequestBody {
    fn encoded_len(&self) -> usize {
        match self {
            Self::Desc
            | Self::Table
            | Self::GroupDesc
            | Self::GroupFeatures
            | Self::MeterFeatures
            | Self::PortDesc => 0,
            Self::Flow(f) | Self::Aggregate(f) => f.encoded_len(),
            Self::PortStats { .. }
            | Self::Queue { .. }
            | Self::Group { .. }
            | Self::Meter { .. }
            | Self::MeterConfig { .. } => 8,
            Self::TableFeatures(t) => t.iter().map(WireWrite::encoded_len).sum(),
            Self::Experimenter(e) => e.encoded_len(),
            Self::Unknown { data, .. } => data.len(),
        }
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        match self {
            Self::Desc
            | Self::Table
            | Self::GroupDesc
            | Self::GroupFeatures
            | Self::MeterFeatures
            | Self::PortDesc => {}
            Self::Flow(f) | Self::Aggregate(f) => f.write(out)?,
            Self::PortStats { port_no } => {
                out.put_u32(port_no.0);
                put_zeros(out, 4);
            }
            Self::Queue { port_no, queue_id } => {
                out.put_u32(port_no.0);
                out.put_u32(*queue_id);
            }
            Self::Group { group_id } => {
                out.put_u32(group_id.0);
                put_zeros(out, 4);
            }
            Self::Meter { meter_id } | Self::MeterConfig { meter_id } => {
                out.put_u32(meter_id.0);
                put_zeros(out, 4);
            }
            Self::TableFeatures(t) => t.iter().try_for_each(|t| t.write(out))?,
            Self::Experimenter(e) => e.write(out)?,
            Self::Unknown { data, .. } => out.put_slice(data),
        }
        Ok(())
    }
}

/// The body of OFPT_MULTIPART_REQUEST, owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MultipartRequest {
    /// Flags ([`MultipartFlags::REQ_MORE`] when more requests of this multipart follow).
    pub flags: MultipartFlags,
    /// The type-specific body (it decides the `type` field).
    pub body: MultipartRequestBody,
}

impl From<MultipartRequestBody> for MultipartRequest {
    fn from(body: MultipartRequestBody) -> Self {
        MultipartRequest::new(body)
    }
}

impl MultipartRequest {
    /// A request with no flags.
    pub fn new(body: MultipartRequestBody) -> MultipartRequest {
        MultipartRequest {
            flags: MultipartFlags::EMPTY,
            body,
        }
    }

    /// The switch description (DESC).
    pub fn desc() -> MultipartRequest {
        Self::new(MultipartRequestBody::Desc)
    }

    /// The statistics of the flows of `table_id` ([`TableId::ALL`] for every table) that
    /// `match_` covers, with no output or cookie restriction (see [`FlowStatsRequest`] for
    /// those, and [`MultipartRequest::flow_stats_with`]).
    pub fn flow_stats(match_: Match, table_id: impl Into<TableId>) -> MultipartRequest {
        Self::new(MultipartRequestBody::Flow(
            FlowStatsRequest::new(match_).table(table_id),
        ))
    }

    /// A FLOW request with every restriction given.
    pub fn flow_stats_with(request: FlowStatsRequest) -> MultipartRequest {
        Self::new(MultipartRequestBody::Flow(request))
    }

    /// The aggregate statistics of the flows of `table_id` that `match_` covers.
    pub fn aggregate_stats(match_: Match, table_id: impl Into<TableId>) -> MultipartRequest {
        Self::new(MultipartRequestBody::Aggregate(
            FlowStatsRequest::new(match_).table(table_id),
        ))
    }

    /// An AGGREGATE request with every restriction given.
    pub fn aggregate_stats_with(request: FlowStatsRequest) -> MultipartRequest {
        Self::new(MultipartRequestBody::Aggregate(request))
    }

    /// The statistics of every table (TABLE).
    pub fn table_stats() -> MultipartRequest {
        Self::new(MultipartRequestBody::Table)
    }

    /// The statistics of `port` ([`PortNo::ANY`] for every port).
    pub fn port_stats(port: impl Into<PortNo>) -> MultipartRequest {
        Self::new(MultipartRequestBody::PortStats {
            port_no: port.into(),
        })
    }

    /// The statistics of queue `queue_id` ([`OFPQ_ALL`]) of `port` ([`PortNo::ANY`]).
    pub fn queue_stats(port: impl Into<PortNo>, queue_id: u32) -> MultipartRequest {
        Self::new(MultipartRequestBody::Queue {
            port_no: port.into(),
            queue_id,
        })
    }

    /// The counters of `group` ([`GroupId::ALL`] for every group).
    pub fn group_stats(group: impl Into<GroupId>) -> MultipartRequest {
        Self::new(MultipartRequestBody::Group {
            group_id: group.into(),
        })
    }

    /// The description of every group (GROUP_DESC).
    pub fn group_desc() -> MultipartRequest {
        Self::new(MultipartRequestBody::GroupDesc)
    }

    /// The group features (GROUP_FEATURES).
    pub fn group_features() -> MultipartRequest {
        Self::new(MultipartRequestBody::GroupFeatures)
    }

    /// The statistics of `meter` ([`MeterId::ALL`] for every meter).
    pub fn meter_stats(meter: impl Into<MeterId>) -> MultipartRequest {
        Self::new(MultipartRequestBody::Meter {
            meter_id: meter.into(),
        })
    }

    /// The configuration of `meter` ([`MeterId::ALL`] for every meter).
    pub fn meter_config(meter: impl Into<MeterId>) -> MultipartRequest {
        Self::new(MultipartRequestBody::MeterConfig {
            meter_id: meter.into(),
        })
    }

    /// The meter features (METER_FEATURES).
    pub fn meter_features() -> MultipartRequest {
        Self::new(MultipartRequestBody::MeterFeatures)
    }

    /// The switch's table features (TABLE_FEATURES with an empty body).
    pub fn table_features() -> MultipartRequest {
        Self::new(MultipartRequestBody::TableFeatures(Vec::new()))
    }

    /// Sets the switch's table features (TABLE_FEATURES with a body; a long list must be
    /// split over several requests with [`MultipartFlags::REQ_MORE`]).
    pub fn set_table_features(tables: Vec<TableFeatures>) -> MultipartRequest {
        Self::new(MultipartRequestBody::TableFeatures(tables))
    }

    /// The description of every port (PORT_DESC).
    pub fn port_desc() -> MultipartRequest {
        Self::new(MultipartRequestBody::PortDesc)
    }

    /// An experimenter request.
    pub fn experimenter(experimenter: u32, exp_type: u32, data: Vec<u8>) -> MultipartRequest {
        Self::new(MultipartRequestBody::Experimenter(ExperimenterMultipart {
            experimenter,
            exp_type,
            data,
        }))
    }
}

multipart_envelope!(
    MultipartRequest,
    REQ_MORE,
    "more requests of this multipart follow"
);

impl MessageBody for MultipartRequest {
    const TYPE: MsgType = MsgType::MULTIPART_REQUEST;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        let ty = MultipartType(r.u16("ofp_multipart_request.type")?);
        let flags = MultipartFlags(r.u16("ofp_multipart_request.flags")?);
        r.pad(4, "ofp_multipart_request.pad")?;
        let body = MultipartRequestBody::parse(ty, r)?;
        Ok(MultipartRequest { flags, body })
    }
}

pub(super) fn fmt_title(
    f: &mut fmt::Formatter<'_>,
    ty: MultipartType,
    kind: &str,
    flags: MultipartFlags,
) -> fmt::Result {
    match ty.ofctl_name() {
        Some(n) => write!(f, "{n} {kind}")?,
        None => write!(f, "OFPST_UNKNOWN({:#x}) {kind}", ty.0)?,
    }
    if !flags.is_empty() {
        write!(f, " flags=[{flags}]")?;
    }
    f.write_str(":")
}

pub(super) fn fmt_port_any(f: &mut fmt::Formatter<'_>, key: &str, port: PortNo) -> fmt::Result {
    write!(f, " {key}={port}")
}

pub(super) fn fmt_meter_id(f: &mut fmt::Formatter<'_>, meter_id: MeterId) -> fmt::Result {
    match meter_id {
        MeterId::ALL => f.write_str("all"),
        MeterId::SLOWPATH => f.write_str("slowpath"),
        MeterId::CONTROLLER => f.write_str("controller"),
        m => write!(f, "{}", m.0),
    }
}

pub(super) fn fmt_group_id(f: &mut fmt::Formatter<'_>, group_id: GroupId) -> fmt::Result {
    match group_id {
        GroupId::ALL => f.write_str("ALL"),
        GroupId::ANY => f.write_str("ANY"),
        g => write!(f, "{}", g.0),
    }
}

impl fmt::Display for MultipartRequest {
    /// As ovs-ofctl prints a request, on one line: `OFPST_FLOW request: table=0`,
    /// `OFPST_PORT request: port_no=ANY`, `OFPST_QUEUE request: port=ANY queue=ALL`,
    /// `OFPST_METER request: meter=all`; table features to set are listed after the title.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_title(f, self.multipart_type(), "request", self.flags)?;
        fmt_request_body(f, &self.body)
    }
}

impl fmt::Display for MultipartRequestBody {
    /// As the request it makes, without flags: `OFPST_FLOW request: table=0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_title(f, self.multipart_type(), "request", MultipartFlags::EMPTY)?;
        fmt_request_body(f, self)
    }
}

fn fmt_request_body(f: &mut fmt::Formatter<'_>, body: &MultipartRequestBody) -> fmt::Result {
    match body {
        MultipartRequestBody::Flow(r) | MultipartRequestBody::Aggregate(r) => {
            fmt::Display::fmt(r, f)
        }
        MultipartRequestBody::PortStats { port_no } => fmt_port_any(f, "port_no", *port_no),
        MultipartRequestBody::Queue { port_no, queue_id } => {
            fmt_port_any(f, "port", *port_no)?;
            if *queue_id == OFPQ_ALL {
                f.write_str(" queue=ALL")
            } else {
                write!(f, " queue={queue_id}")
            }
        }
        MultipartRequestBody::Group { group_id } => {
            f.write_str(" group_id=")?;
            fmt_group_id(f, *group_id)
        }
        MultipartRequestBody::Meter { meter_id }
        | MultipartRequestBody::MeterConfig { meter_id } => {
            f.write_str(" meter=")?;
            fmt_meter_id(f, *meter_id)
        }
        MultipartRequestBody::TableFeatures(t) => t.iter().try_for_each(|t| write!(f, "\n  {t}")),
        MultipartRequestBody::Experimenter(e) => write!(f, " {e}"),
        MultipartRequestBody::Unknown { data, .. } => {
            f.write_str(" data=")?;
            fmt_hex(f, data)
        }
        MultipartRequestBody::Desc
        | MultipartRequestBody::Table
        | MultipartRequestBody::GroupDesc
        | MultipartRequestBody::GroupFeatures
        | MultipartRequestBody::MeterFeatures
        | MultipartRequestBody::PortDesc => Ok(()),
    }
}
