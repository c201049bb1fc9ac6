//! Messages: one os-ken class per message type.

use super::*;

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

pub(super) fn hello_elem_to(e: &HelloElement) -> Value {
    match e {
        HelloElement::VersionBitmap(words) => {
            let versions = words
                .iter()
                .enumerate()
                .flat_map(|(i, w)| {
                    (0..32u64)
                        .filter(move |s| (w >> s) & 1 == 1)
                        .map(move |s| Value::from(32 * u64::try_from(i).unwrap_or(0) + s))
                })
                .collect();
            cls(
                "OFPHelloElemVersionBitmap",
                [
                    ("length", nu(e.length())),
                    ("type", n(e.type_())),
                    ("versions", Value::Array(versions)),
                ],
            )
        }
        HelloElement::Unknown { type_, data } => cls(
            "OFPHelloElemUnknown",
            [
                ("data", b64v(data)),
                ("length", nu(e.length())),
                ("type", n(*type_)),
            ],
        ),
    }
}

pub(super) fn hello_to(h: &Hello) -> Value {
    cls("OFPHello", [("elements", list(&h.elements, hello_elem_to))])
}

pub(super) fn hello_elem_from(v: &Value, p: &P<'_>) -> R<HelloElement> {
    let (name, m) = class_of(v, p)?;
    let o = O { m, p: p.k(name) };
    match name {
        "OFPHelloElemVersionBitmap" => {
            o.check("type", 1)?;
            let vp = o.p.k("versions");
            let versions: Vec<u64> = o
                .list("versions")?
                .iter()
                .enumerate()
                .map(|(i, x)| num(x, &vp.i(i)))
                .collect::<R<_>>()?;
            let needed = versions.iter().map(|v| v / 32 + 1).max().unwrap_or(0);
            let words = match o.opt("length") {
                Some(l) => {
                    let l: u64 = num(l, &o.p.k("length"))?;
                    if l < 4 || l % 4 != 0 || (l - 4) / 4 < needed {
                        return Err(o.p.k("length").err("does not fit the versions"));
                    }
                    (l - 4) / 4
                }
                None => needed,
            };
            let words = usize::try_from(words).map_err(|_| o.p.k("length").err("too long"))?;
            if words > 0x4000 {
                return Err(o.p.k("length").err("too long"));
            }
            let mut bm = vec![0u32; words];
            for v in versions {
                let w = usize::try_from(v / 32).unwrap_or(usize::MAX);
                if let Some(x) = bm.get_mut(w) {
                    *x |= 1 << (v % 32);
                }
            }
            Ok(HelloElement::VersionBitmap(bm))
        }
        "OFPHelloElemUnknown" => Ok(HelloElement::Unknown {
            type_: o.u16("type")?,
            data: o.bytes("data")?,
        }),
        other => Err(p.err(format!("unknown hello element class {other}"))),
    }
}

pub(super) fn error_to(e: &ErrorMsg) -> Value {
    match e.experimenter {
        Some(exp) => cls(
            "OFPErrorMsg",
            [
                ("code", Value::Null),
                ("data", b64v(&e.data)),
                ("exp_type", n(e.code)),
                ("experimenter", n(exp)),
                ("type", n(e.type_.0)),
            ],
        ),
        None => cls(
            "OFPErrorMsg",
            [
                ("code", n(e.code)),
                ("data", b64v(&e.data)),
                ("type", n(e.type_.0)),
            ],
        ),
    }
}

pub(super) fn error_from(o: &O<'_, '_>) -> R<ErrorMsg> {
    let type_ = ErrorType(o.u16("type")?);
    let data = o.bytes("data")?;
    Ok(if type_ == ErrorType::EXPERIMENTER {
        ErrorMsg::experimenter(o.u16("exp_type")?, o.u32("experimenter")?, data)
    } else {
        ErrorMsg {
            type_,
            code: o.u16("code")?,
            experimenter: None,
            data,
        }
    })
}

pub(super) fn config_to(name: &str, c: &SwitchConfig) -> Value {
    cls(
        name,
        [
            ("flags", n(c.flags.0)),
            ("miss_send_len", n(c.miss_send_len)),
        ],
    )
}

pub(super) fn config_from(o: &O<'_, '_>) -> R<SwitchConfig> {
    Ok(SwitchConfig {
        flags: ConfigFlags(o.u16("flags")?),
        miss_send_len: o.u16("miss_send_len")?,
    })
}

pub(super) fn role_to(name: &str, r: &Role) -> Value {
    cls(
        name,
        [("generation_id", n(r.generation_id)), ("role", n(r.role.0))],
    )
}

pub(super) fn async_to(name: &str, a: &AsyncConfig) -> Value {
    let pair = |x: &[u32; 2]| list(x, |w: &u32| n(*w));
    cls(
        name,
        [
            ("flow_removed_mask", pair(&a.flow_removed_mask)),
            ("packet_in_mask", pair(&a.packet_in_mask)),
            ("port_status_mask", pair(&a.port_status_mask)),
        ],
    )
}

pub(super) fn async_from(o: &O<'_, '_>) -> R<AsyncConfig> {
    Ok(AsyncConfig {
        packet_in_mask: u32_pair(o, "packet_in_mask")?,
        port_status_mask: u32_pair(o, "port_status_mask")?,
        flow_removed_mask: u32_pair(o, "flow_removed_mask")?,
    })
}

pub(super) fn experimenter_to(e: &Experimenter) -> Value {
    cls(
        "OFPExperimenter",
        [
            ("data", b64v(&e.data)),
            ("exp_type", n(e.exp_type)),
            ("experimenter", n(e.experimenter)),
        ],
    )
}

pub(super) fn switch_features_to(f: &SwitchFeatures) -> Value {
    let mut v = cls(
        "OFPSwitchFeatures",
        [
            ("auxiliary_id", n(f.auxiliary_id)),
            ("capabilities", n(f.capabilities.0)),
            ("datapath_id", n(f.datapath_id.0)),
            ("n_buffers", n(f.n_buffers)),
            ("n_tables", n(f.n_tables)),
        ],
    );
    if f.reserved != 0 {
        add(&mut v, "reserved", n(f.reserved));
    }
    v
}

pub(super) fn packet_in_to(pi: &PacketIn) -> Value {
    cls(
        "OFPPacketIn",
        [
            ("buffer_id", n(pi.buffer_id.0)),
            ("cookie", n(pi.cookie)),
            ("data", b64v(&pi.data)),
            ("match", match_to(&pi.match_)),
            ("reason", n(pi.reason.0)),
            ("table_id", n(pi.table_id.0)),
            ("total_len", n(pi.total_len)),
        ],
    )
}

pub(super) fn flow_removed_to(fr: &FlowRemoved) -> Value {
    cls(
        "OFPFlowRemoved",
        [
            ("byte_count", n(fr.byte_count)),
            ("cookie", n(fr.cookie)),
            ("duration_nsec", n(fr.duration_nsec)),
            ("duration_sec", n(fr.duration_sec)),
            ("hard_timeout", n(fr.hard_timeout)),
            ("idle_timeout", n(fr.idle_timeout)),
            ("match", match_to(&fr.match_)),
            ("packet_count", n(fr.packet_count)),
            ("priority", n(fr.priority)),
            ("reason", n(fr.reason.0)),
            ("table_id", n(fr.table_id.0)),
        ],
    )
}

pub(super) fn port_status_to(ps: &PortStatus) -> Value {
    cls(
        "OFPPortStatus",
        [("desc", port_to(&ps.desc)), ("reason", n(ps.reason.0))],
    )
}

pub(super) fn packet_out_to(po: &PacketOut) -> Value {
    cls(
        "OFPPacketOut",
        [
            ("actions", list(&po.actions, action_to)),
            ("actions_len", nu(Action::list_len(&po.actions))),
            ("buffer_id", n(po.buffer_id.0)),
            ("data", b64v(&po.data)),
            ("in_port", n(po.in_port.0)),
        ],
    )
}

pub(super) fn flow_mod_to(fm: &FlowMod) -> Value {
    cls(
        "OFPFlowMod",
        [
            ("buffer_id", n(fm.buffer_id.0)),
            ("command", n(fm.command.0)),
            ("cookie", n(fm.cookie)),
            ("cookie_mask", n(fm.cookie_mask)),
            ("flags", n(fm.flags.0)),
            ("hard_timeout", n(fm.hard_timeout)),
            ("idle_timeout", n(fm.idle_timeout)),
            ("instructions", list(&fm.instructions, instruction_to)),
            ("match", match_to(&fm.match_)),
            ("out_group", n(fm.out_group.0)),
            ("out_port", n(fm.out_port.0)),
            ("priority", n(fm.priority)),
            ("table_id", n(fm.table_id.0)),
        ],
    )
}

pub(super) fn group_mod_to(g: &GroupMod) -> Value {
    cls(
        "OFPGroupMod",
        [
            ("buckets", list(&g.buckets, bucket_to)),
            ("command", n(g.command.0)),
            ("group_id", n(g.group_id.0)),
            ("type", n(g.type_.0)),
        ],
    )
}

pub(super) fn port_mod_to(pm: &PortMod) -> Value {
    cls(
        "OFPPortMod",
        [
            ("advertise", n(pm.advertise.0)),
            ("config", n(pm.config.0)),
            ("hw_addr", mac_text(&pm.hw_addr)),
            ("mask", n(pm.mask.0)),
            ("port_no", n(pm.port_no.0)),
        ],
    )
}

pub(super) fn table_mod_to(t: &TableMod) -> Value {
    cls(
        "OFPTableMod",
        [("config", n(t.config.0)), ("table_id", n(t.table_id.0))],
    )
}

pub(super) fn queue_get_config_request_to(q: &QueueGetConfigRequest) -> Value {
    cls("OFPQueueGetConfigRequest", [("port", n(q.port.0))])
}

pub(super) fn queue_get_config_reply_to(q: &QueueGetConfigReply) -> Value {
    cls(
        "OFPQueueGetConfigReply",
        [("port", n(q.port.0)), ("queues", list(&q.queues, queue_to))],
    )
}

pub(super) fn meter_mod_to(mm: &MeterMod) -> Value {
    cls(
        "OFPMeterMod",
        [
            ("bands", list(&mm.bands, band_to)),
            ("command", n(mm.command.0)),
            ("flags", n(mm.flags.0)),
            ("meter_id", n(mm.meter_id.0)),
        ],
    )
}

pub(super) fn body_to(b: &Body) -> Value {
    match b {
        Body::Hello(h) => hello_to(h),
        Body::Error(e) => error_to(e),
        Body::EchoRequest(e) => cls("OFPEchoRequest", [("data", b64v(&e.data))]),
        Body::EchoReply(e) => cls("OFPEchoReply", [("data", b64v(&e.data))]),
        Body::Experimenter(e) => experimenter_to(e),
        Body::FeaturesRequest => cls("OFPFeaturesRequest", []),
        Body::FeaturesReply(f) => switch_features_to(f),
        Body::GetConfigRequest => cls("OFPGetConfigRequest", []),
        Body::GetConfigReply(c) => config_to("OFPGetConfigReply", c),
        Body::SetConfig(c) => config_to("OFPSetConfig", c),
        Body::PacketIn(pi) => packet_in_to(pi),
        Body::FlowRemoved(fr) => flow_removed_to(fr),
        Body::PortStatus(ps) => port_status_to(ps),
        Body::PacketOut(po) => packet_out_to(po),
        Body::FlowMod(fm) => flow_mod_to(fm),
        Body::GroupMod(g) => group_mod_to(g),
        Body::PortMod(pm) => port_mod_to(pm),
        Body::TableMod(t) => table_mod_to(t),
        Body::MultipartRequest(r) => mp_request_to(r),
        Body::MultipartReply(r) => mp_reply_to(r),
        Body::BarrierRequest => cls("OFPBarrierRequest", []),
        Body::BarrierReply => cls("OFPBarrierReply", []),
        Body::QueueGetConfigRequest(q) => queue_get_config_request_to(q),
        Body::QueueGetConfigReply(q) => queue_get_config_reply_to(q),
        Body::RoleRequest(r) => role_to("OFPRoleRequest", r),
        Body::RoleReply(r) => role_to("OFPRoleReply", r),
        Body::GetAsyncRequest => cls("OFPGetAsyncRequest", []),
        Body::GetAsyncReply(a) => async_to("OFPGetAsyncReply", a),
        Body::SetAsync(a) => async_to("OFPSetAsync", a),
        Body::MeterMod(mm) => meter_mod_to(mm),
        Body::Unknown { msg_type, data } => cls(
            "OFPUnknownMessage",
            [("data", b64v(data)), ("msg_type", n(msg_type.0))],
        ),
    }
}

/// A packet-out's data: base64 bytes, or os-ken's packet library JSON.
pub(super) fn packet_out_data(v: &Value, p: &P<'_>) -> R<Vec<u8>> {
    if !v.is_object() {
        return bytes(v, p);
    }
    let o = expect_class(v, p, "Packet")?;
    let layers = from_list(&o, "protocols", |v, p| {
        let (name, m) = class_of(v, p)?;
        let mut attrs = m.clone();
        // os-ken's bytes are base64 and an absent IPv4 option is null; the packet crate's
        // serde form has byte arrays.
        for (k, x) in attrs.iter_mut() {
            if matches!(k.as_str(), "data" | "option") {
                match x {
                    Value::String(s) => {
                        let b =
                            b64_decode(s).ok_or_else(|| p.k(name).k(k).err("invalid base64"))?;
                        *x = bytes_list(&b);
                    }
                    Value::Null => *x = Value::Array(Vec::new()),
                    Value::Object(inner) => {
                        for y in inner.values_mut() {
                            if let Some(Value::String(s)) = y.get("data") {
                                let b = b64_decode(s)
                                    .ok_or_else(|| p.k(name).k(k).err("invalid base64"))?;
                                if let Some(d) = y.get_mut("data") {
                                    *d = bytes_list(&b);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut one = Map::new();
        one.insert(name.to_owned(), Value::Object(attrs));
        serde_json::from_value::<sdnwire_packet::Layer>(Value::Object(one))
            .map_err(|e| p.err(format!("packet library layer {name}: {e}")))
    })?;
    let pkt = sdnwire_packet::Packet {
        layers,
        ..Default::default()
    };
    sdnwire_packet::Encode::to_vec(&pkt).map_err(|e| o.p.err(format!("packet library: {e}")))
}

pub(super) fn body_from(v: &Value, p: &P<'_>) -> R<Body> {
    let (name, m) = class_of(v, p)?;
    let o = O { m, p: p.k(name) };
    Ok(match name {
        "OFPHello" => Body::Hello(Hello {
            elements: from_list(&o, "elements", hello_elem_from)?,
        }),
        "OFPErrorMsg" => Body::Error(error_from(&o)?),
        "OFPEchoRequest" => Body::EchoRequest(Echo {
            data: o.bytes("data")?,
        }),
        "OFPEchoReply" => Body::EchoReply(Echo {
            data: o.bytes("data")?,
        }),
        "OFPExperimenter" => Body::Experimenter(Experimenter {
            experimenter: o.u32("experimenter")?,
            exp_type: o.u32("exp_type")?,
            data: o.bytes("data")?,
        }),
        "OFPFeaturesRequest" => Body::FeaturesRequest,
        "OFPSwitchFeatures" => Body::FeaturesReply(SwitchFeatures {
            datapath_id: DatapathId(o.u64("datapath_id")?),
            n_buffers: o.u32("n_buffers")?,
            n_tables: o.u8("n_tables")?,
            auxiliary_id: o.u8("auxiliary_id")?,
            capabilities: Capabilities(o.u32("capabilities")?),
            reserved: match o.opt("reserved") {
                Some(_) => o.u32("reserved")?,
                None => 0,
            },
        }),
        "OFPGetConfigRequest" => Body::GetConfigRequest,
        "OFPGetConfigReply" => Body::GetConfigReply(config_from(&o)?),
        "OFPSetConfig" => Body::SetConfig(config_from(&o)?),
        "OFPPacketIn" => Body::PacketIn(PacketIn {
            buffer_id: BufferId(o.u32("buffer_id")?),
            total_len: o.u16("total_len")?,
            reason: PacketInReason(o.u8("reason")?),
            table_id: TableId(o.u8("table_id")?),
            cookie: o.u64("cookie")?,
            match_: match_from(o.get("match")?, &o.p.k("match"))?,
            data: o.bytes("data")?,
        }),
        "OFPFlowRemoved" => Body::FlowRemoved(FlowRemoved {
            cookie: o.u64("cookie")?,
            priority: o.u16("priority")?,
            reason: FlowRemovedReason(o.u8("reason")?),
            table_id: TableId(o.u8("table_id")?),
            duration_sec: o.u32("duration_sec")?,
            duration_nsec: o.u32("duration_nsec")?,
            idle_timeout: o.u16("idle_timeout")?,
            hard_timeout: o.u16("hard_timeout")?,
            packet_count: o.u64("packet_count")?,
            byte_count: o.u64("byte_count")?,
            match_: match_from(o.get("match")?, &o.p.k("match"))?,
        }),
        "OFPPortStatus" => Body::PortStatus(PortStatus {
            reason: PortReason(o.u8("reason")?),
            desc: port_from(o.get("desc")?, &o.p.k("desc"))?,
        }),
        "OFPPacketOut" => Body::PacketOut(PacketOut {
            buffer_id: BufferId(o.u32("buffer_id")?),
            in_port: PortNo(o.u32("in_port")?),
            actions: from_list(&o, "actions", action_from)?,
            data: packet_out_data(o.get("data")?, &o.p.k("data"))?,
        }),
        "OFPFlowMod" => Body::FlowMod(FlowMod {
            cookie: o.u64("cookie")?,
            cookie_mask: o.u64("cookie_mask")?,
            table_id: TableId(o.u8("table_id")?),
            command: FlowModCommand(o.u8("command")?),
            idle_timeout: o.u16("idle_timeout")?,
            hard_timeout: o.u16("hard_timeout")?,
            priority: o.u16("priority")?,
            buffer_id: BufferId(o.u32("buffer_id")?),
            out_port: PortNo(o.u32("out_port")?),
            out_group: GroupId(o.u32("out_group")?),
            flags: FlowModFlags(o.u16("flags")?),
            match_: match_from(o.get("match")?, &o.p.k("match"))?,
            instructions: from_list(&o, "instructions", instruction_from)?,
        }),
        "OFPGroupMod" => Body::GroupMod(GroupMod {
            command: GroupModCommand(o.u16("command")?),
            type_: GroupType(o.u8("type")?),
            group_id: GroupId(o.u32("group_id")?),
            buckets: from_list(&o, "buckets", bucket_from)?,
        }),
        "OFPPortMod" => Body::PortMod(PortMod {
            port_no: PortNo(o.u32("port_no")?),
            hw_addr: mac_of(o.get("hw_addr")?, &o.p.k("hw_addr"))?,
            config: PortConfig(o.u32("config")?),
            mask: PortConfig(o.u32("mask")?),
            advertise: PortFeatures(o.u32("advertise")?),
        }),
        "OFPTableMod" => Body::TableMod(TableMod {
            table_id: TableId(o.u8("table_id")?),
            config: TableConfig(o.u32("config")?),
        }),
        "OFPBarrierRequest" => Body::BarrierRequest,
        "OFPBarrierReply" => Body::BarrierReply,
        "OFPQueueGetConfigRequest" => Body::QueueGetConfigRequest(QueueGetConfigRequest {
            port: PortNo(o.u32("port")?),
        }),
        "OFPQueueGetConfigReply" => Body::QueueGetConfigReply(QueueGetConfigReply {
            port: PortNo(o.u32("port")?),
            queues: from_list(&o, "queues", queue_from)?,
        }),
        "OFPRoleRequest" | "OFPRoleReply" => {
            let r = Role {
                role: ControllerRole(o.u32("role")?),
                generation_id: o.u64("generation_id")?,
            };
            if name == "OFPRoleRequest" {
                Body::RoleRequest(r)
            } else {
                Body::RoleReply(r)
            }
        }
        "OFPGetAsyncRequest" => Body::GetAsyncRequest,
        "OFPGetAsyncReply" => Body::GetAsyncReply(async_from(&o)?),
        "OFPSetAsync" => Body::SetAsync(async_from(&o)?),
        "OFPMeterMod" => Body::MeterMod(MeterMod {
            command: MeterModCommand(o.u16("command")?),
            flags: MeterFlags(o.u16("flags")?),
            meter_id: MeterId(o.u32("meter_id")?),
            bands: from_list(&o, "bands", band_from)?,
        }),
        "OFPUnknownMessage" => Body::Unknown {
            msg_type: MsgType(o.u8("msg_type")?),
            data: o.bytes("data")?,
        },
        "ONFFlowMonitorStatsRequest" | "OFPUnknownStatsRequest" => {
            Body::MultipartRequest(mp_request_from(name, &o)?)
        }
        "OFPUnknownStatsReply" => Body::MultipartReply(mp_reply_from(name, &o)?),
        other if mp_type_of(other, false).is_some() => {
            Body::MultipartRequest(mp_request_from(name, &o)?)
        }
        other if mp_type_of(other, true).is_some() => {
            Body::MultipartReply(mp_reply_from(name, &o)?)
        }
        other => return Err(p.err(format!("unknown message class {other}"))),
    })
}
