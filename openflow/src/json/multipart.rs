//! Multipart requests and replies (`OFPxxxStatsRequest`/`OFPxxxStatsReply`).

use super::*;

// ---------------------------------------------------------------------------------------------
// Multipart
// ---------------------------------------------------------------------------------------------

/// Class names of multipart requests and replies, by type.
pub(super) const MP_NAMES: [(u16, &str, &str); 15] = [
    (0, "OFPDescStatsRequest", "OFPDescStatsReply"),
    (1, "OFPFlowStatsRequest", "OFPFlowStatsReply"),
    (2, "OFPAggregateStatsRequest", "OFPAggregateStatsReply"),
    (3, "OFPTableStatsRequest", "OFPTableStatsReply"),
    (4, "OFPPortStatsRequest", "OFPPortStatsReply"),
    (5, "OFPQueueStatsRequest", "OFPQueueStatsReply"),
    (6, "OFPGroupStatsRequest", "OFPGroupStatsReply"),
    (7, "OFPGroupDescStatsRequest", "OFPGroupDescStatsReply"),
    (
        8,
        "OFPGroupFeaturesStatsRequest",
        "OFPGroupFeaturesStatsReply",
    ),
    (9, "OFPMeterStatsRequest", "OFPMeterStatsReply"),
    (10, "OFPMeterConfigStatsRequest", "OFPMeterConfigStatsReply"),
    (
        11,
        "OFPMeterFeaturesStatsRequest",
        "OFPMeterFeaturesStatsReply",
    ),
    (
        12,
        "OFPTableFeaturesStatsRequest",
        "OFPTableFeaturesStatsReply",
    ),
    (13, "OFPPortDescStatsRequest", "OFPPortDescStatsReply"),
    (
        0xffff,
        "OFPExperimenterStatsRequest",
        "OFPExperimenterStatsReply",
    ),
];

pub(super) const ONFMP_FLOW_MONITOR: u32 = 1870;

pub(super) fn mp_name(t: MultipartType, reply: bool) -> &'static str {
    match MP_NAMES.iter().find(|(x, _, _)| *x == t.0) {
        Some((_, q, r)) => {
            if reply {
                r
            } else {
                q
            }
        }
        None if reply => "OFPUnknownStatsReply",
        None => "OFPUnknownStatsRequest",
    }
}

pub(super) fn flow_stats_request_fields(v: &mut Value, r: &FlowStatsRequest) {
    add(v, "cookie", n(r.cookie));
    add(v, "cookie_mask", n(r.cookie_mask));
    add(v, "match", match_to(&r.match_));
    add(v, "out_group", n(r.out_group.0));
    add(v, "out_port", n(r.out_port.0));
    add(v, "table_id", n(r.table_id.0));
}

pub(super) fn flow_stats_request_from(o: &O<'_, '_>) -> R<FlowStatsRequest> {
    Ok(FlowStatsRequest {
        table_id: TableId(o.u8("table_id")?),
        out_port: PortNo(o.u32("out_port")?),
        out_group: GroupId(o.u32("out_group")?),
        cookie: o.u64("cookie")?,
        cookie_mask: o.u64("cookie_mask")?,
        match_: match_from(o.get("match")?, &o.p.k("match"))?,
    })
}

/// The ONF flow monitor request os-ken decodes (`ONFFlowMonitorRequest` entries), if the
/// data is a list of them that encodes back identically.
pub(super) fn onf_flow_monitor_to(data: &[u8]) -> Option<Value> {
    let mut c = Cur(data);
    let mut entries = Vec::new();
    while !c.0.is_empty() {
        let id = c.u32()?;
        let flags = c.u16()?;
        let match_len = c.u16()?;
        let out_port = c.u32()?;
        let table_id = c.u8()?;
        c.take(3)?;
        let oxms = c.take(usize::from(match_len))?;
        c.take(usize::from(match_len).div_ceil(8) * 8 - usize::from(match_len))?;
        let mut r = crate::codec::Reader::new(oxms, 0);
        let mut fields = Vec::new();
        while !r.is_empty() {
            fields.push(OxmField::parse(&mut r).ok()?);
        }
        entries.push(cls(
            "ONFFlowMonitorRequest",
            [
                ("flags", n(flags)),
                ("id", n(id)),
                ("match", match_to(&Match { fields })),
                ("match_len", n(match_len)),
                ("out_port", n(out_port)),
                ("table_id", n(table_id)),
            ],
        ));
    }
    let v = Value::Array(entries);
    let back = onf_flow_monitor_from(&v, &P::ROOT).ok()?;
    (back == data).then_some(v)
}

pub(super) fn onf_flow_monitor_from(v: &Value, p: &P<'_>) -> R<Vec<u8>> {
    let a = v.as_array().ok_or_else(|| p.err("expected an array"))?;
    let mut out = Vec::new();
    for (i, e) in a.iter().enumerate() {
        let ep = p.i(i);
        let o = expect_class(e, &ep, "ONFFlowMonitorRequest")?;
        let m = match_from(o.get("match")?, &o.p.k("match"))?;
        let mut oxms = Vec::new();
        for f in &m.fields {
            f.write(&mut oxms)
                .map_err(|e| o.p.k("match").err(e.to_string()))?;
        }
        let match_len =
            u16::try_from(oxms.len()).map_err(|_| o.p.k("match").err("match too long"))?;
        out.extend(o.u32("id")?.to_be_bytes());
        out.extend(o.u16("flags")?.to_be_bytes());
        out.extend(match_len.to_be_bytes());
        out.extend(o.u32("out_port")?.to_be_bytes());
        out.push(o.u8("table_id")?);
        out.extend([0, 0, 0]);
        out.extend(&oxms);
        out.resize(out.len() + oxms.len().div_ceil(8) * 8 - oxms.len(), 0);
    }
    Ok(out)
}

pub(super) fn mp_request_to(r: &MultipartRequest) -> Value {
    use MultipartRequestBody as B;
    let t = r.body.multipart_type();
    let mut v = cls(
        mp_name(t, false),
        [("flags", n(r.flags.0)), ("type", n(t.0))],
    );
    match &r.body {
        B::Desc | B::Table | B::GroupDesc | B::GroupFeatures | B::MeterFeatures | B::PortDesc => {}
        B::Flow(f) | B::Aggregate(f) => flow_stats_request_fields(&mut v, f),
        B::PortStats { port_no } => add(&mut v, "port_no", n(port_no.0)),
        B::Queue { port_no, queue_id } => {
            add(&mut v, "port_no", n(port_no.0));
            add(&mut v, "queue_id", n(*queue_id));
        }
        B::Group { group_id } => add(&mut v, "group_id", n(group_id.0)),
        B::Meter { meter_id } | B::MeterConfig { meter_id } => {
            add(&mut v, "meter_id", n(meter_id.0))
        }
        B::TableFeatures(tf) => add(&mut v, "body", list(tf, table_features_to)),
        B::Experimenter(e) => {
            if e.experimenter == ONF_EXPERIMENTER_ID && e.exp_type == ONFMP_FLOW_MONITOR {
                if let Some(body) = onf_flow_monitor_to(&e.data) {
                    return cls(
                        "ONFFlowMonitorStatsRequest",
                        [
                            ("body", body),
                            ("exp_type", n(e.exp_type)),
                            ("experimenter", n(e.experimenter)),
                            ("flags", n(r.flags.0)),
                            ("type", n(t.0)),
                        ],
                    );
                }
            }
            add(&mut v, "data", b64v(&e.data));
            add(&mut v, "exp_type", n(e.exp_type));
            add(&mut v, "experimenter", n(e.experimenter));
        }
        B::Unknown { data, .. } => add(&mut v, "data", b64v(data)),
    }
    v
}

pub(super) fn mp_type_of(name: &str, reply: bool) -> Option<MultipartType> {
    MP_NAMES
        .iter()
        .find(|(_, q, r)| *(if reply { r } else { q }) == name)
        .map(|(t, _, _)| MultipartType(*t))
}

pub(super) fn mp_request_from(name: &str, o: &O<'_, '_>) -> R<MultipartRequest> {
    use MultipartRequestBody as B;
    let flags = MultipartFlags(o.u16("flags")?);
    if name == "ONFFlowMonitorStatsRequest" {
        o.check("type", 0xffff)?;
        let data = onf_flow_monitor_from(o.get("body")?, &o.p.k("body"))?;
        let experimenter = match o.opt("experimenter") {
            Some(_) => o.u32("experimenter")?,
            None => ONF_EXPERIMENTER_ID,
        };
        let exp_type = match o.opt("exp_type") {
            Some(_) => o.u32("exp_type")?,
            None => ONFMP_FLOW_MONITOR,
        };
        return Ok(MultipartRequest {
            flags,
            body: B::Experimenter(ExperimenterMultipart {
                experimenter,
                exp_type,
                data,
            }),
        });
    }
    let t = if name == "OFPUnknownStatsRequest" {
        MultipartType(o.u16("type")?)
    } else {
        let t = mp_type_of(name, false).ok_or_else(|| o.p.err("unknown class"))?;
        o.check("type", u64::from(t.0))?;
        t
    };
    let body = match t.0 {
        0 => B::Desc,
        1 => B::Flow(flow_stats_request_from(o)?),
        2 => B::Aggregate(flow_stats_request_from(o)?),
        3 => B::Table,
        4 => B::PortStats {
            port_no: PortNo(o.u32("port_no")?),
        },
        5 => B::Queue {
            port_no: PortNo(o.u32("port_no")?),
            queue_id: o.u32("queue_id")?,
        },
        6 => B::Group {
            group_id: GroupId(o.u32("group_id")?),
        },
        7 => B::GroupDesc,
        8 => B::GroupFeatures,
        9 => B::Meter {
            meter_id: MeterId(o.u32("meter_id")?),
        },
        10 => B::MeterConfig {
            meter_id: MeterId(o.u32("meter_id")?),
        },
        11 => B::MeterFeatures,
        12 => B::TableFeatures(from_list(o, "body", table_features_from)?),
        13 => B::PortDesc,
        0xffff if name != "OFPUnknownStatsRequest" => B::Experimenter(ExperimenterMultipart {
            experimenter: o.u32("experimenter")?,
            exp_type: o.u32("exp_type")?,
            data: o.bytes("data")?,
        }),
        _ => B::Unknown {
            type_: t,
            data: o.bytes("data")?,
        },
    };
    Ok(MultipartRequest { flags, body })
}

pub(super) fn flow_stats_to(s: &FlowStats) -> Value {
    cls(
        "OFPFlowStats",
        [
            ("byte_count", n(s.byte_count)),
            ("cookie", n(s.cookie)),
            ("duration_nsec", n(s.duration_nsec)),
            ("duration_sec", n(s.duration_sec)),
            ("flags", n(s.flags.0)),
            ("hard_timeout", n(s.hard_timeout)),
            ("idle_timeout", n(s.idle_timeout)),
            ("instructions", list(&s.instructions, instruction_to)),
            ("length", nu(s.encoded_len())),
            ("match", match_to(&s.match_)),
            ("packet_count", n(s.packet_count)),
            ("priority", n(s.priority)),
            ("table_id", n(s.table_id.0)),
        ],
    )
}

pub(super) fn flow_stats_from(v: &Value, p: &P<'_>) -> R<FlowStats> {
    let o = expect_class(v, p, "OFPFlowStats")?;
    Ok(FlowStats {
        table_id: TableId(o.u8("table_id")?),
        duration_sec: o.u32("duration_sec")?,
        duration_nsec: o.u32("duration_nsec")?,
        priority: o.u16("priority")?,
        idle_timeout: o.u16("idle_timeout")?,
        hard_timeout: o.u16("hard_timeout")?,
        flags: FlowModFlags(o.u16("flags")?),
        cookie: o.u64("cookie")?,
        packet_count: o.u64("packet_count")?,
        byte_count: o.u64("byte_count")?,
        match_: match_from(o.get("match")?, &o.p.k("match"))?,
        instructions: from_list(&o, "instructions", instruction_from)?,
    })
}

pub(super) fn desc_to(d: &Desc) -> Value {
    cls(
        "OFPDescStats",
        [
            ("dp_desc", name_text(&d.dp_desc, true)),
            ("hw_desc", name_text(&d.hw_desc, true)),
            ("mfr_desc", name_text(&d.mfr_desc, true)),
            ("serial_num", name_text(&d.serial_num, true)),
            ("sw_desc", name_text(&d.sw_desc, true)),
        ],
    )
}

pub(super) fn desc_from(v: &Value, p: &P<'_>) -> R<Desc> {
    let o = expect_class(v, p, "OFPDescStats")?;
    let s = |k: &str| -> R<&Value> { o.get(k) };
    Ok(Desc {
        mfr_desc: name_of(s("mfr_desc")?, &o.p.k("mfr_desc"))?,
        hw_desc: name_of(s("hw_desc")?, &o.p.k("hw_desc"))?,
        sw_desc: name_of(s("sw_desc")?, &o.p.k("sw_desc"))?,
        serial_num: name_of(s("serial_num")?, &o.p.k("serial_num"))?,
        dp_desc: name_of(s("dp_desc")?, &o.p.k("dp_desc"))?,
    })
}

pub(super) fn table_stats_to(s: &TableStats) -> Value {
    cls(
        "OFPTableStats",
        [
            ("active_count", n(s.active_count)),
            ("lookup_count", n(s.lookup_count)),
            ("matched_count", n(s.matched_count)),
            ("table_id", n(s.table_id.0)),
        ],
    )
}

pub(super) fn port_stats_to(s: &PortStats) -> Value {
    cls(
        "OFPPortStats",
        [
            ("collisions", n(s.collisions)),
            ("duration_nsec", n(s.duration_nsec)),
            ("duration_sec", n(s.duration_sec)),
            ("port_no", n(s.port_no.0)),
            ("rx_bytes", n(s.rx_bytes)),
            ("rx_crc_err", n(s.rx_crc_err)),
            ("rx_dropped", n(s.rx_dropped)),
            ("rx_errors", n(s.rx_errors)),
            ("rx_frame_err", n(s.rx_frame_err)),
            ("rx_over_err", n(s.rx_over_err)),
            ("rx_packets", n(s.rx_packets)),
            ("tx_bytes", n(s.tx_bytes)),
            ("tx_dropped", n(s.tx_dropped)),
            ("tx_errors", n(s.tx_errors)),
            ("tx_packets", n(s.tx_packets)),
        ],
    )
}

pub(super) fn port_stats_from(v: &Value, p: &P<'_>) -> R<PortStats> {
    let o = expect_class(v, p, "OFPPortStats")?;
    Ok(PortStats {
        port_no: PortNo(o.u32("port_no")?),
        rx_packets: o.u64("rx_packets")?,
        tx_packets: o.u64("tx_packets")?,
        rx_bytes: o.u64("rx_bytes")?,
        tx_bytes: o.u64("tx_bytes")?,
        rx_dropped: o.u64("rx_dropped")?,
        tx_dropped: o.u64("tx_dropped")?,
        rx_errors: o.u64("rx_errors")?,
        tx_errors: o.u64("tx_errors")?,
        rx_frame_err: o.u64("rx_frame_err")?,
        rx_over_err: o.u64("rx_over_err")?,
        rx_crc_err: o.u64("rx_crc_err")?,
        collisions: o.u64("collisions")?,
        duration_sec: o.u32("duration_sec")?,
        duration_nsec: o.u32("duration_nsec")?,
    })
}

pub(super) fn queue_stats_to(s: &QueueStats) -> Value {
    cls(
        "OFPQueueStats",
        [
            ("duration_nsec", n(s.duration_nsec)),
            ("duration_sec", n(s.duration_sec)),
            ("port_no", n(s.port_no.0)),
            ("queue_id", n(s.queue_id)),
            ("tx_bytes", n(s.tx_bytes)),
            ("tx_errors", n(s.tx_errors)),
            ("tx_packets", n(s.tx_packets)),
        ],
    )
}

pub(super) fn queue_stats_from(v: &Value, p: &P<'_>) -> R<QueueStats> {
    let o = expect_class(v, p, "OFPQueueStats")?;
    Ok(QueueStats {
        port_no: PortNo(o.u32("port_no")?),
        queue_id: o.u32("queue_id")?,
        tx_bytes: o.u64("tx_bytes")?,
        tx_packets: o.u64("tx_packets")?,
        tx_errors: o.u64("tx_errors")?,
        duration_sec: o.u32("duration_sec")?,
        duration_nsec: o.u32("duration_nsec")?,
    })
}

pub(super) fn group_stats_to(s: &GroupStats) -> Value {
    cls(
        "OFPGroupStats",
        [
            ("bucket_stats", list(&s.bucket_stats, bucket_counter_to)),
            ("byte_count", n(s.byte_count)),
            ("duration_nsec", n(s.duration_nsec)),
            ("duration_sec", n(s.duration_sec)),
            ("group_id", n(s.group_id.0)),
            ("length", nu(s.encoded_len())),
            ("packet_count", n(s.packet_count)),
            ("ref_count", n(s.ref_count)),
        ],
    )
}

pub(super) fn group_stats_from(v: &Value, p: &P<'_>) -> R<GroupStats> {
    let o = expect_class(v, p, "OFPGroupStats")?;
    Ok(GroupStats {
        group_id: GroupId(o.u32("group_id")?),
        ref_count: o.u32("ref_count")?,
        packet_count: o.u64("packet_count")?,
        byte_count: o.u64("byte_count")?,
        duration_sec: o.u32("duration_sec")?,
        duration_nsec: o.u32("duration_nsec")?,
        bucket_stats: from_list(&o, "bucket_stats", bucket_counter_from)?,
    })
}

pub(super) fn group_desc_to(g: &GroupDesc) -> Value {
    cls(
        "OFPGroupDescStats",
        [
            ("buckets", list(&g.buckets, bucket_to)),
            ("group_id", n(g.group_id.0)),
            ("length", nu(g.encoded_len())),
            ("type", n(g.type_.0)),
        ],
    )
}

pub(super) fn group_desc_from(v: &Value, p: &P<'_>) -> R<GroupDesc> {
    let o = expect_class(v, p, "OFPGroupDescStats")?;
    Ok(GroupDesc {
        type_: GroupType(o.u8("type")?),
        group_id: GroupId(o.u32("group_id")?),
        buckets: from_list(&o, "buckets", bucket_from)?,
    })
}

pub(super) fn meter_stats_to(s: &MeterStats) -> Value {
    cls(
        "OFPMeterStats",
        [
            ("band_stats", list(&s.band_stats, meter_band_stats_to)),
            ("byte_in_count", n(s.byte_in_count)),
            ("duration_nsec", n(s.duration_nsec)),
            ("duration_sec", n(s.duration_sec)),
            ("flow_count", n(s.flow_count)),
            ("len", nu(s.encoded_len())),
            ("meter_id", n(s.meter_id.0)),
            ("packet_in_count", n(s.packet_in_count)),
        ],
    )
}

pub(super) fn meter_stats_from(v: &Value, p: &P<'_>) -> R<MeterStats> {
    let o = expect_class(v, p, "OFPMeterStats")?;
    Ok(MeterStats {
        meter_id: MeterId(o.u32("meter_id")?),
        flow_count: o.u32("flow_count")?,
        packet_in_count: o.u64("packet_in_count")?,
        byte_in_count: o.u64("byte_in_count")?,
        duration_sec: o.u32("duration_sec")?,
        duration_nsec: o.u32("duration_nsec")?,
        band_stats: from_list(&o, "band_stats", meter_band_stats_from)?,
    })
}

pub(super) fn meter_config_to(c: &MeterConfig) -> Value {
    cls(
        "OFPMeterConfigStats",
        [
            ("bands", list(&c.bands, band_to)),
            ("flags", n(c.flags.0)),
            ("length", nu(c.encoded_len())),
            ("meter_id", n(c.meter_id.0)),
        ],
    )
}

pub(super) fn meter_config_from(v: &Value, p: &P<'_>) -> R<MeterConfig> {
    let o = expect_class(v, p, "OFPMeterConfigStats")?;
    Ok(MeterConfig {
        flags: MeterFlags(o.u16("flags")?),
        meter_id: MeterId(o.u32("meter_id")?),
        bands: from_list(&o, "bands", band_from)?,
    })
}

pub(super) fn instruction_id_to(i: &InstructionId) -> Value {
    id_to("OFPInstructionId", i.type_.0, i.encoded_len(), &i.data)
}

pub(super) fn instruction_id_from(v: &Value, p: &P<'_>) -> R<InstructionId> {
    let (ty, data) = id_from(v, p, "OFPInstructionId")?;
    Ok(InstructionId {
        type_: InstructionType(ty),
        data,
    })
}

pub(super) fn action_id_to(i: &ActionId) -> Value {
    id_to("OFPActionId", i.type_.0, i.encoded_len(), &i.data)
}

pub(super) fn action_id_from(v: &Value, p: &P<'_>) -> R<ActionId> {
    let (ty, data) = id_from(v, p, "OFPActionId")?;
    Ok(ActionId {
        type_: ActionType(ty),
        data,
    })
}

pub(super) fn bucket_counter_to(b: &BucketCounter) -> Value {
    cls(
        "OFPBucketCounter",
        [
            ("byte_count", n(b.byte_count)),
            ("packet_count", n(b.packet_count)),
        ],
    )
}

pub(super) fn bucket_counter_from(v: &Value, p: &P<'_>) -> R<BucketCounter> {
    let o = expect_class(v, p, "OFPBucketCounter")?;
    Ok(BucketCounter {
        packet_count: o.u64("packet_count")?,
        byte_count: o.u64("byte_count")?,
    })
}

pub(super) fn meter_band_stats_to(b: &MeterBandStats) -> Value {
    cls(
        "OFPMeterBandStats",
        [
            ("byte_band_count", n(b.byte_band_count)),
            ("packet_band_count", n(b.packet_band_count)),
        ],
    )
}

pub(super) fn meter_band_stats_from(v: &Value, p: &P<'_>) -> R<MeterBandStats> {
    let o = expect_class(v, p, "OFPMeterBandStats")?;
    Ok(MeterBandStats {
        packet_band_count: o.u64("packet_band_count")?,
        byte_band_count: o.u64("byte_band_count")?,
    })
}

pub(super) fn table_stats_from(v: &Value, p: &P<'_>) -> R<TableStats> {
    let o = expect_class(v, p, "OFPTableStats")?;
    Ok(TableStats {
        table_id: TableId(o.u8("table_id")?),
        active_count: o.u32("active_count")?,
        lookup_count: o.u64("lookup_count")?,
        matched_count: o.u64("matched_count")?,
    })
}

pub(super) fn aggregate_stats_to(a: &AggregateStats) -> Value {
    cls(
        "OFPAggregateStats",
        [
            ("byte_count", n(a.byte_count)),
            ("flow_count", n(a.flow_count)),
            ("packet_count", n(a.packet_count)),
        ],
    )
}

pub(super) fn aggregate_stats_from(v: &Value, p: &P<'_>) -> R<AggregateStats> {
    let b = expect_class(v, p, "OFPAggregateStats")?;
    Ok(AggregateStats {
        packet_count: b.u64("packet_count")?,
        byte_count: b.u64("byte_count")?,
        flow_count: b.u32("flow_count")?,
    })
}

pub(super) fn group_features_to(g: &GroupFeatures) -> Value {
    cls(
        "OFPGroupFeaturesStats",
        [
            ("actions", list(&g.actions, |x: &u32| n(*x))),
            ("capabilities", n(g.capabilities.0)),
            ("max_groups", list(&g.max_groups, |x: &u32| n(*x))),
            ("types", n(g.types)),
        ],
    )
}

pub(super) fn group_features_from(v: &Value, p: &P<'_>) -> R<GroupFeatures> {
    let b = expect_class(v, p, "OFPGroupFeaturesStats")?;
    Ok(GroupFeatures {
        types: b.u32("types")?,
        capabilities: GroupCapabilities(b.u32("capabilities")?),
        max_groups: u32_quad(&b, "max_groups")?,
        actions: u32_quad(&b, "actions")?,
    })
}

pub(super) fn meter_features_to(f: &MeterFeatures) -> Value {
    cls(
        "OFPMeterFeaturesStats",
        [
            ("band_types", n(f.band_types)),
            ("capabilities", n(f.capabilities)),
            ("max_bands", n(f.max_bands)),
            ("max_color", n(f.max_color)),
            ("max_meter", n(f.max_meter)),
        ],
    )
}

pub(super) fn meter_features_from(v: &Value, p: &P<'_>) -> R<MeterFeatures> {
    let b = expect_class(v, p, "OFPMeterFeaturesStats")?;
    Ok(MeterFeatures {
        max_meter: b.u32("max_meter")?,
        band_types: b.u32("band_types")?,
        capabilities: b.u32("capabilities")?,
        max_bands: b.u8("max_bands")?,
        max_color: b.u8("max_color")?,
    })
}

pub(super) fn experimenter_multipart_to(e: &ExperimenterMultipart) -> Value {
    cls(
        "OFPExperimenterMultipart",
        [
            ("data", b64v(&e.data)),
            ("exp_type", n(e.exp_type)),
            ("experimenter", n(e.experimenter)),
        ],
    )
}

pub(super) fn experimenter_multipart_from(v: &Value, p: &P<'_>) -> R<ExperimenterMultipart> {
    let b = expect_class(v, p, "OFPExperimenterMultipart")?;
    Ok(ExperimenterMultipart {
        experimenter: b.u32("experimenter")?,
        exp_type: b.u32("exp_type")?,
        data: b.bytes("data")?,
    })
}

pub(super) fn mp_reply_to(r: &MultipartReply) -> Value {
    use MultipartReplyBody as B;
    let t = r.body.multipart_type();
    let body = match &r.body {
        B::Desc(d) => desc_to(d),
        B::Flow(s) => list(s, flow_stats_to),
        B::Aggregate(a) => aggregate_stats_to(a),
        B::Table(s) => list(s, table_stats_to),
        B::PortStats(s) => list(s, port_stats_to),
        B::Queue(s) => list(s, queue_stats_to),
        B::Group(s) => list(s, group_stats_to),
        B::GroupDesc(s) => list(s, group_desc_to),
        B::GroupFeatures(g) => group_features_to(g),
        B::Meter(s) => list(s, meter_stats_to),
        B::MeterConfig(s) => list(s, meter_config_to),
        // os-ken's OFPMeterFeaturesStatsReply is not "single struct": a list of one.
        B::MeterFeatures(f) => Value::Array(vec![meter_features_to(f)]),
        B::TableFeatures(s) => list(s, table_features_to),
        B::PortDesc(s) => list(s, port_to),
        B::Experimenter(e) => experimenter_multipart_to(e),
        B::Unknown { data, .. } => {
            return cls(
                "OFPUnknownStatsReply",
                [
                    ("data", b64v(data)),
                    ("flags", n(r.flags.0)),
                    ("type", n(t.0)),
                ],
            )
        }
    };
    cls(
        mp_name(t, true),
        [("body", body), ("flags", n(r.flags.0)), ("type", n(t.0))],
    )
}

pub(super) fn mp_reply_from(name: &str, o: &O<'_, '_>) -> R<MultipartReply> {
    use MultipartReplyBody as B;
    let flags = MultipartFlags(o.u16("flags")?);
    if name == "OFPUnknownStatsReply" {
        return Ok(MultipartReply {
            flags,
            body: B::Unknown {
                type_: MultipartType(o.u16("type")?),
                data: o.bytes("data")?,
            },
        });
    }
    let t = mp_type_of(name, true).ok_or_else(|| o.p.err("unknown class"))?;
    o.check("type", u64::from(t.0))?;
    let bp = o.p.k("body");
    let body_v = o.get("body")?;
    let body = match t.0 {
        0 => B::Desc(Box::new(desc_from(body_v, &bp)?)),
        1 => B::Flow(from_list(o, "body", flow_stats_from)?),
        2 => B::Aggregate(aggregate_stats_from(body_v, &bp)?),
        3 => B::Table(from_list(o, "body", table_stats_from)?),
        4 => B::PortStats(from_list(o, "body", port_stats_from)?),
        5 => B::Queue(from_list(o, "body", queue_stats_from)?),
        6 => B::Group(from_list(o, "body", group_stats_from)?),
        7 => B::GroupDesc(from_list(o, "body", group_desc_from)?),
        8 => B::GroupFeatures(group_features_from(body_v, &bp)?),
        9 => B::Meter(from_list(o, "body", meter_stats_from)?),
        10 => B::MeterConfig(from_list(o, "body", meter_config_from)?),
        11 => {
            let mut f = from_list(o, "body", meter_features_from)?;
            match (f.pop(), f.is_empty()) {
                (Some(x), true) => B::MeterFeatures(x),
                _ => return Err(bp.err("expected a list of one OFPMeterFeaturesStats")),
            }
        }
        12 => B::TableFeatures(from_list(o, "body", table_features_from)?),
        13 => B::PortDesc(from_list(o, "body", port_from)?),
        _ => B::Experimenter(experimenter_multipart_from(body_v, &bp)?),
    };
    Ok(MultipartReply { flags, body })
}
