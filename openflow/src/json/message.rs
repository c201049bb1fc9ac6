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

json_attrs! {
    config_attrs, config_from: SwitchConfig {
        "flags" => flags,
        "miss_send_len" => miss_send_len,
    }

    role_attrs, role_from: Role {
        "generation_id" => generation_id,
        "role" => role,
    }

    async_attrs, async_from: AsyncConfig {
        "flow_removed_mask" => flow_removed_mask,
        "packet_in_mask" => packet_in_mask,
        "port_status_mask" => port_status_mask,
    }
}

/// A body two message classes share, as class `name`.
fn shared_class<T>(name: &str, body: &T, attrs: fn(&mut Value, &T)) -> Value {
    let mut v = cls(name, []);
    attrs(&mut v, body);
    v
}

pub(super) fn config_to(name: &str, c: &SwitchConfig) -> Value {
    shared_class(name, c, config_attrs)
}

pub(super) fn role_to(name: &str, r: &Role) -> Value {
    shared_class(name, r, role_attrs)
}

pub(super) fn async_to(name: &str, a: &AsyncConfig) -> Value {
    shared_class(name, a, async_attrs)
}

json_struct! {
    experimenter_to, experimenter_from: Experimenter "OFPExperimenter" {
        "data" => data as Bytes,
        "exp_type" => exp_type,
        "experimenter" => experimenter,
    }

    packet_in_to, packet_in_from: PacketIn "OFPPacketIn" {
        "buffer_id" => buffer_id,
        "cookie" => cookie,
        "data" => data as Bytes,
        "match" => match_,
        "reason" => reason,
        "table_id" => table_id,
        "total_len" => total_len,
    }

    flow_removed_to, flow_removed_from: FlowRemoved "OFPFlowRemoved" {
        "byte_count" => byte_count,
        "cookie" => cookie,
        "duration_nsec" => duration_nsec,
        "duration_sec" => duration_sec,
        "hard_timeout" => hard_timeout,
        "idle_timeout" => idle_timeout,
        "match" => match_,
        "packet_count" => packet_count,
        "priority" => priority,
        "reason" => reason,
        "table_id" => table_id,
    }

    port_status_to, port_status_from: PortStatus "OFPPortStatus" {
        "desc" => desc,
        "reason" => reason,
    }

    packet_out_to, packet_out_from: PacketOut "OFPPacketOut" {
        "actions" => actions,
        "buffer_id" => buffer_id,
        "data" => data as PacketOutData,
        "in_port" => in_port
        ; computed "actions_len" => |s| nu(Action::list_len(&s.actions))
    }

    flow_mod_to, flow_mod_from: FlowMod "OFPFlowMod" {
        "buffer_id" => buffer_id,
        "command" => command,
        "cookie" => cookie,
        "cookie_mask" => cookie_mask,
        "flags" => flags,
        "hard_timeout" => hard_timeout,
        "idle_timeout" => idle_timeout,
        "instructions" => instructions,
        "match" => match_,
        "out_group" => out_group,
        "out_port" => out_port,
        "priority" => priority,
        "table_id" => table_id,
    }

    group_mod_to, group_mod_from: GroupMod "OFPGroupMod" {
        "buckets" => buckets,
        "command" => command,
        "group_id" => group_id,
        "type" => type_,
    }

    port_mod_to, port_mod_from: PortMod "OFPPortMod" {
        "advertise" => advertise,
        "config" => config,
        "hw_addr" => hw_addr as Mac,
        "mask" => mask,
        "port_no" => port_no,
    }

    table_mod_to, table_mod_from: TableMod "OFPTableMod" {
        "config" => config,
        "table_id" => table_id,
    }

    queue_get_config_request_to, queue_get_config_request_from: QueueGetConfigRequest "OFPQueueGetConfigRequest" {
        "port" => port,
    }

    queue_get_config_reply_to, queue_get_config_reply_from: QueueGetConfigReply "OFPQueueGetConfigReply" {
        "port" => port,
        "queues" => queues,
    }

    meter_mod_to, meter_mod_from: MeterMod "OFPMeterMod" {
        "bands" => bands,
        "command" => command,
        "flags" => flags,
        "meter_id" => meter_id,
    }
}

attr_newtype!(
    BufferId(u32),
    ConfigFlags(u16),
    ControllerRole(u32),
    PacketInReason(u8),
    FlowRemovedReason(u8),
    FlowModCommand(u8),
    GroupModCommand(u16),
    MeterModCommand(u16),
    PortConfig(u32),
    PortFeatures(u32),
    PortState(u32),
    PortReason(u8),
    TableConfig(u32),
);

attr_fns! {
    Action: action_to, action_from;
    Port: port_to, port_from;
    PacketQueue: queue_to, queue_from;
}

/// PACKET_OUT's `data`: base64, or the packet os-ken's JSON may carry (see
/// [`packet_out_data`]).
pub(super) struct PacketOutData;

impl table::Via<Vec<u8>> for PacketOutData {
    fn to_json(x: &Vec<u8>) -> Value {
        b64v(x)
    }
    fn from_json(v: &Value, p: &P<'_>) -> R<Vec<u8>> {
        packet_out_data(v, p)
    }
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
        layers: layers.into(),
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
        "OFPExperimenter" => Body::Experimenter(Experimenter::read_attrs(&o)?),
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
        "OFPPacketIn" => Body::PacketIn(PacketIn::read_attrs(&o)?),
        "OFPFlowRemoved" => Body::FlowRemoved(FlowRemoved::read_attrs(&o)?),
        "OFPPortStatus" => Body::PortStatus(PortStatus::read_attrs(&o)?),
        "OFPPacketOut" => Body::PacketOut(PacketOut::read_attrs(&o)?),
        "OFPFlowMod" => Body::FlowMod(FlowMod::read_attrs(&o)?),
        "OFPGroupMod" => Body::GroupMod(GroupMod::read_attrs(&o)?),
        "OFPPortMod" => Body::PortMod(PortMod::read_attrs(&o)?),
        "OFPTableMod" => Body::TableMod(TableMod::read_attrs(&o)?),
        "OFPBarrierRequest" => Body::BarrierRequest,
        "OFPBarrierReply" => Body::BarrierReply,
        "OFPQueueGetConfigRequest" => {
            Body::QueueGetConfigRequest(QueueGetConfigRequest::read_attrs(&o)?)
        }
        "OFPQueueGetConfigReply" => Body::QueueGetConfigReply(QueueGetConfigReply::read_attrs(&o)?),
        "OFPRoleRequest" | "OFPRoleReply" => {
            let r = role_from(&o)?;
            if name == "OFPRoleRequest" {
                Body::RoleRequest(r)
            } else {
                Body::RoleReply(r)
            }
        }
        "OFPGetAsyncRequest" => Body::GetAsyncRequest,
        "OFPGetAsyncReply" => Body::GetAsyncReply(async_from(&o)?),
        "OFPSetAsync" => Body::SetAsync(async_from(&o)?),
        "OFPMeterMod" => Body::MeterMod(MeterMod::read_attrs(&o)?),
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
