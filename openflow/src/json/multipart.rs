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
                ("match", match_to(&Match::from(fields))),
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

json_attrs! {
    flow_stats_request_fields, flow_stats_request_from: FlowStatsRequest {
        "cookie" => cookie,
        "cookie_mask" => cookie_mask,
        "match" => match_,
        "out_group" => out_group,
        "out_port" => out_port,
        "table_id" => table_id,
    }
}

json_struct! {
    flow_stats_to, flow_stats_from: FlowStats "OFPFlowStats" {
        "byte_count" => byte_count,
        "cookie" => cookie,
        "duration_nsec" => duration_nsec,
        "duration_sec" => duration_sec,
        "flags" => flags,
        "hard_timeout" => hard_timeout,
        "idle_timeout" => idle_timeout,
        "instructions" => instructions,
        "match" => match_,
        "packet_count" => packet_count,
        "priority" => priority,
        "table_id" => table_id
        ; computed "length" => |s| nu(s.encoded_len())
    }

    desc_to, desc_from: Desc "OFPDescStats" {
        "dp_desc" => dp_desc as DescStr,
        "hw_desc" => hw_desc as DescStr,
        "mfr_desc" => mfr_desc as DescStr,
        "serial_num" => serial_num as DescStr,
        "sw_desc" => sw_desc as DescStr,
    }

    table_stats_to, table_stats_from: TableStats "OFPTableStats" {
        "active_count" => active_count,
        "lookup_count" => lookup_count,
        "matched_count" => matched_count,
        "table_id" => table_id,
    }

    port_stats_to, port_stats_from: PortStats "OFPPortStats" {
        "collisions" => collisions,
        "duration_nsec" => duration_nsec,
        "duration_sec" => duration_sec,
        "port_no" => port_no,
        "rx_bytes" => rx_bytes,
        "rx_crc_err" => rx_crc_err,
        "rx_dropped" => rx_dropped,
        "rx_errors" => rx_errors,
        "rx_frame_err" => rx_frame_err,
        "rx_over_err" => rx_over_err,
        "rx_packets" => rx_packets,
        "tx_bytes" => tx_bytes,
        "tx_dropped" => tx_dropped,
        "tx_errors" => tx_errors,
        "tx_packets" => tx_packets,
    }

    queue_stats_to, queue_stats_from: QueueStats "OFPQueueStats" {
        "duration_nsec" => duration_nsec,
        "duration_sec" => duration_sec,
        "port_no" => port_no,
        "queue_id" => queue_id,
        "tx_bytes" => tx_bytes,
        "tx_errors" => tx_errors,
        "tx_packets" => tx_packets,
    }

    group_stats_to, group_stats_from: GroupStats "OFPGroupStats" {
        "bucket_stats" => bucket_stats,
        "byte_count" => byte_count,
        "duration_nsec" => duration_nsec,
        "duration_sec" => duration_sec,
        "group_id" => group_id,
        "packet_count" => packet_count,
        "ref_count" => ref_count
        ; computed "length" => |s| nu(s.encoded_len())
    }

    group_desc_to, group_desc_from: GroupDesc "OFPGroupDescStats" {
        "buckets" => buckets,
        "group_id" => group_id,
        "type" => type_
        ; computed "length" => |s| nu(s.encoded_len())
    }

    meter_stats_to, meter_stats_from: MeterStats "OFPMeterStats" {
        "band_stats" => band_stats,
        "byte_in_count" => byte_in_count,
        "duration_nsec" => duration_nsec,
        "duration_sec" => duration_sec,
        "flow_count" => flow_count,
        "meter_id" => meter_id,
        "packet_in_count" => packet_in_count
        ; computed "len" => |s| nu(s.encoded_len())
    }

    meter_config_to, meter_config_from: MeterConfig "OFPMeterConfigStats" {
        "bands" => bands,
        "flags" => flags,
        "meter_id" => meter_id
        ; computed "length" => |s| nu(s.encoded_len())
    }

    bucket_counter_to, bucket_counter_from: BucketCounter "OFPBucketCounter" {
        "byte_count" => byte_count,
        "packet_count" => packet_count,
    }

    meter_band_stats_to, meter_band_stats_from: MeterBandStats "OFPMeterBandStats" {
        "byte_band_count" => byte_band_count,
        "packet_band_count" => packet_band_count,
    }

    aggregate_stats_to, aggregate_stats_from: AggregateStats "OFPAggregateStats" {
        "byte_count" => byte_count,
        "flow_count" => flow_count,
        "packet_count" => packet_count,
    }

    group_features_to, group_features_from: GroupFeatures "OFPGroupFeaturesStats" {
        "actions" => actions,
        "capabilities" => capabilities,
        "max_groups" => max_groups,
        "types" => types,
    }

    meter_features_to, meter_features_from: MeterFeatures "OFPMeterFeaturesStats" {
        "band_types" => band_types,
        "capabilities" => capabilities,
        "max_bands" => max_bands,
        "max_color" => max_color,
        "max_meter" => max_meter,
    }

    experimenter_multipart_to, experimenter_multipart_from: ExperimenterMultipart "OFPExperimenterMultipart" {
        "data" => data as Bytes,
        "exp_type" => exp_type,
        "experimenter" => experimenter,
    }
}

attr_newtype!(
    TableId(u8),
    PortNo(u32),
    GroupId(u32),
    MeterId(u32),
    FlowModFlags(u16),
    GroupType(u8),
    MeterFlags(u16),
    GroupCapabilities(u32),
);

attr_fns! {
    Match: match_to, match_from;
    Instruction: instruction_to, instruction_from;
    Bucket: bucket_to, bucket_from;
    MeterBand: band_to, band_from;
    BucketCounter: bucket_counter_to, bucket_counter_from;
    MeterBandStats: meter_band_stats_to, meter_band_stats_from;
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
