//! Nicira actions (os-ken's `os_ken.ofproto.nx_actions`): `NXAction*` classes, written from
//! and read into the codec's typed [`NxAction`].

use super::*;
use crate::nicira::{
    NxAction, NxBundle, NxController2, NxCt, NxFlowSpec, NxLearn, NxLearnDst, NxLearnSrc, NxNat,
    NxSubtype,
};

/// A field header by os-ken's name (`reg0`), `None` for one os-ken cannot name.
fn hdr(h: OxmHeader) -> Option<Value> {
    header_name(h.0).map(Value::String)
}

fn hdr_of(o: &O<'_, '_>, key: &str) -> R<OxmHeader> {
    header_of(o.str(key)?, &o.p.k(key)).map(OxmHeader)
}

/// A header that may be 0 (os-ken shows `zero` for it, a name otherwise).
fn hdr_or(h: u32, zero: Value) -> Option<Value> {
    if h == 0 {
        Some(zero)
    } else {
        header_name(h).map(Value::String)
    }
}

fn hdr_or_of(o: &O<'_, '_>, key: &str) -> R<u32> {
    let p = o.p.k(key);
    match o.get(key)? {
        Value::String(s) if s.is_empty() => Ok(0),
        Value::String(s) => header_of(s, &p),
        other => num(other, &p),
    }
}

fn u16_list(o: &O<'_, '_>, key: &str) -> R<Vec<u16>> {
    let p = o.p.k(key);
    o.list(key)?
        .iter()
        .enumerate()
        .map(|(i, x)| num(x, &p.i(i)))
        .collect()
}

fn subfield(field: OxmHeader, ofs: u16) -> Option<Value> {
    Some(Value::Array(vec![hdr(field)?, n(ofs)]))
}

/// The attributes of a typed Nicira action, in os-ken's names; `None` when os-ken could not
/// show it (a field header it has no name for, an immediate wider than 128 bits).
fn nx_fields(a: &NxAction) -> Option<Vec<(&'static str, Value)>> {
    use NxAction as A;
    Some(match a {
        A::Resubmit { in_port } => vec![("in_port", n(*in_port))],
        A::SetTunnel { tun_id } => vec![("tun_id", n(*tun_id))],
        A::SetQueue { queue_id } => vec![("queue_id", n(*queue_id))],
        A::PopQueue | A::Exit | A::DecTtl | A::DecMplsTtl | A::CtClear | A::DecNshTtl => vec![],
        A::RegMove {
            n_bits,
            src_ofs,
            dst_ofs,
            src_field,
            dst_field,
        } => vec![
            ("n_bits", n(*n_bits)),
            ("src_ofs", n(*src_ofs)),
            ("dst_ofs", n(*dst_ofs)),
            ("src_field", hdr(*src_field)?),
            ("dst_field", hdr(*dst_field)?),
        ],
        A::RegLoad {
            ofs_nbits,
            dst,
            value,
        } => vec![
            ("ofs_nbits", n(*ofs_nbits)),
            ("dst", hdr(*dst)?),
            ("value", n(*value)),
        ],
        A::Note(b) => vec![("note", bytes_list(b))],
        A::SetTunnel64 { tun_id } => vec![("tun_id", n(*tun_id))],
        A::Multipath {
            fields,
            basis,
            algorithm,
            max_link,
            arg,
            ofs_nbits,
            dst,
        } => vec![
            ("fields", n(*fields)),
            ("basis", n(*basis)),
            ("algorithm", n(*algorithm)),
            ("max_link", n(*max_link)),
            ("arg", n(*arg)),
            ("ofs_nbits", n(*ofs_nbits)),
            ("dst", hdr(*dst)?),
        ],
        A::Bundle(b) | A::BundleLoad(b) => {
            let load = matches!(a, A::BundleLoad(_));
            vec![
                ("algorithm", n(b.algorithm)),
                ("fields", n(b.fields)),
                ("basis", n(b.basis)),
                ("slave_type", n(b.slave_type)),
                ("n_slaves", nu(b.slaves.len())),
                // os-ken's NXActionBundle always shows (and writes) 0 for these.
                ("ofs_nbits", n(if load { b.ofs_nbits } else { 0 })),
                ("dst", if load { hdr_or(b.dst, n(0u8))? } else { n(0u8) }),
                (
                    "slaves",
                    Value::Array(b.slaves.iter().map(|s| n(*s)).collect()),
                ),
            ]
        }
        A::ResubmitTable { in_port, table_id } => {
            vec![("in_port", n(*in_port)), ("table_id", n(*table_id))]
        }
        A::OutputReg {
            ofs_nbits,
            src,
            max_len,
        } => vec![
            ("ofs_nbits", n(*ofs_nbits)),
            ("src", hdr(*src)?),
            ("max_len", n(*max_len)),
        ],
        A::Learn(l) => {
            let mut specs = Vec::with_capacity(l.specs.len());
            for s in &l.specs {
                let src = match &s.src {
                    NxLearnSrc::Field { field, ofs } => subfield(*field, *ofs)?,
                    NxLearnSrc::Immediate(b) if b.len() <= 16 => value_json(T::Int(b.len()), b),
                    NxLearnSrc::Immediate(_) => return None,
                };
                let (class, dst) = match s.dst {
                    NxLearnDst::Match { field, ofs } => ("NXFlowSpecMatch", subfield(field, ofs)?),
                    NxLearnDst::Load { field, ofs } => ("NXFlowSpecLoad", subfield(field, ofs)?),
                    NxLearnDst::Output => ("NXFlowSpecOutput", Value::String(String::new())),
                };
                specs.push(cls(
                    class,
                    [("dst", dst), ("n_bits", n(s.n_bits)), ("src", src)],
                ));
            }
            vec![
                ("idle_timeout", n(l.idle_timeout)),
                ("hard_timeout", n(l.hard_timeout)),
                ("priority", n(l.priority)),
                ("cookie", n(l.cookie)),
                ("flags", n(l.flags)),
                ("table_id", n(l.table_id)),
                ("fin_idle_timeout", n(l.fin_idle_timeout)),
                ("fin_hard_timeout", n(l.fin_hard_timeout)),
                ("specs", Value::Array(specs)),
            ]
        }
        A::FinTimeout {
            fin_idle_timeout,
            fin_hard_timeout,
        } => vec![
            ("fin_idle_timeout", n(*fin_idle_timeout)),
            ("fin_hard_timeout", n(*fin_hard_timeout)),
        ],
        A::Controller {
            max_len,
            controller_id,
            reason,
        } => vec![
            ("max_len", n(*max_len)),
            ("controller_id", n(*controller_id)),
            ("reason", n(*reason)),
        ],
        A::DecTtlCntIds(ids) => {
            vec![("cnt_ids", Value::Array(ids.iter().map(|i| n(*i)).collect()))]
        }
        A::PushMpls { ethertype } | A::PopMpls { ethertype } => {
            vec![("ethertype", n(*ethertype))]
        }
        A::SetMplsTtl { ttl } => vec![("ttl", n(*ttl))],
        A::StackPush { start, field, end } | A::StackPop { start, field, end } => vec![
            ("start", n(*start)),
            ("field", hdr(*field)?),
            ("end", n(*end)),
        ],
        A::Sample {
            probability,
            collector_set_id,
            obs_domain_id,
            obs_point_id,
        } => vec![
            ("probability", n(*probability)),
            ("collector_set_id", n(*collector_set_id)),
            ("obs_domain_id", n(*obs_domain_id)),
            ("obs_point_id", n(*obs_point_id)),
        ],
        A::SetMplsLabel { label } => vec![("label", n(*label))],
        A::SetMplsTc { tc } => vec![("tc", n(*tc))],
        A::OutputReg2 {
            ofs_nbits,
            max_len,
            src,
        } => vec![
            ("ofs_nbits", n(*ofs_nbits)),
            ("max_len", n(*max_len)),
            ("src", hdr(*src)?),
        ],
        A::RegLoad2(f) => {
            let mut b = Vec::with_capacity(f.encoded_len());
            f.write(&mut b).ok()?;
            let (name, value, mask) =
                oxm_parts_json(f.class(), f.field(), f.hasmask(), b.get(4..)?);
            vec![("dst", name), ("value", value), ("mask", mask)]
        }
        A::Conjunction {
            clause,
            n_clauses,
            id,
        } => vec![
            ("clause", n(*clause)),
            ("n_clauses", n(*n_clauses)),
            ("id", n(*id)),
        ],
        A::Ct(ct) => vec![
            ("flags", n(ct.flags)),
            (
                "zone_src",
                hdr_or(ct.zone_src, Value::String(String::new()))?,
            ),
            ("zone_ofs_nbits", n(ct.zone_ofs_nbits)),
            ("recirc_table", n(ct.recirc_table)),
            ("alg", n(ct.alg)),
            ("actions", list(&ct.actions, action_to)),
        ],
        A::Nat(nat) => {
            let empty = || Value::String(String::new());
            vec![
                ("flags", n(nat.flags)),
                (
                    "range_ipv4_min",
                    nat.range_ipv4_min.map_or_else(empty, ipv4_text),
                ),
                (
                    "range_ipv4_max",
                    nat.range_ipv4_max.map_or_else(empty, ipv4_text),
                ),
                (
                    "range_ipv6_min",
                    nat.range_ipv6_min.map_or_else(empty, |a| ipv6_text(&a)),
                ),
                (
                    "range_ipv6_max",
                    nat.range_ipv6_max.map_or_else(empty, |a| ipv6_text(&a)),
                ),
                (
                    "range_proto_min",
                    nat.range_proto_min.map_or(Value::Null, n),
                ),
                (
                    "range_proto_max",
                    nat.range_proto_max.map_or(Value::Null, n),
                ),
            ]
        }
        A::Controller2(p) => {
            let mut v = Vec::new();
            if let Some(x) = p.max_len {
                v.push(("max_len", n(x)));
            }
            if let Some(x) = p.controller_id {
                v.push(("controller_id", n(x)));
            }
            if let Some(x) = p.reason {
                v.push(("reason", n(x)));
            }
            if let Some(u) = &p.userdata {
                v.push(("userdata", bytes_list(u)));
            }
            if p.pause {
                v.push(("pause", Value::Bool(true)));
            }
            v
        }
        A::Sample2 {
            probability,
            collector_set_id,
            obs_domain_id,
            obs_point_id,
            sampling_port,
        } => vec![
            ("probability", n(*probability)),
            ("collector_set_id", n(*collector_set_id)),
            ("obs_domain_id", n(*obs_domain_id)),
            ("obs_point_id", n(*obs_point_id)),
            ("sampling_port", n(*sampling_port)),
        ],
        A::OutputTrunc { port, max_len } => {
            vec![("port", n(*port)), ("max_len", n(*max_len))]
        }
    })
}

fn nx_header(class: &str, subtype: u16, len: usize) -> Value {
    cls(
        class,
        [
            ("experimenter", n(NX_EXPERIMENTER_ID)),
            ("len", nu(len)),
            ("subtype", n(subtype)),
            ("type", n(ActionType::EXPERIMENTER.0)),
        ],
    )
}

/// A typed Nicira action as os-ken's class, when os-ken's class reads back to the same action
/// (and so the same bytes); `None` otherwise (the caller writes `NXActionUnknown`).
pub(super) fn nx_to(a: &NxAction) -> Option<Value> {
    let subtype = a.subtype();
    let name = subtype.class_name()?;
    let mut v = nx_header(name, subtype.0, 8 + a.data_len());
    for (k, x) in nx_fields(a)? {
        add(&mut v, k, x);
    }
    let (cname, m) = class_of(&v, &P::ROOT).ok()?;
    let o = O {
        m,
        p: P::ROOT.k(cname),
    };
    (nx_from(cname, &o).ok().as_ref() == Some(a)).then_some(v)
}

/// Raw Nicira experimenter data as os-ken's class: typed when the codec types it (data a user
/// built by hand), `NXActionUnknown` otherwise; `None` without a subtype.
pub(super) fn nx_data_to(data: &[u8]) -> Option<Value> {
    if let Some(v) = NxAction::decode(data).as_ref().and_then(nx_to) {
        return Some(v);
    }
    let (st, body) = data.split_first_chunk::<2>()?;
    let mut v = nx_header("NXActionUnknown", u16::from_be_bytes(*st), 8 + data.len());
    add(&mut v, "data", b64v(body));
    Some(v)
}

/// Reads os-ken's Nicira class `name` into the typed action (`NXActionUnknown` is not typed:
/// see [`nx_unknown_from`]).
pub(super) fn nx_from(name: &str, o: &O<'_, '_>) -> R<NxAction> {
    use NxAction as A;
    let subtype =
        NxSubtype::from_class_name(name).ok_or_else(|| o.p.err(format!("unknown class {name}")))?;
    o.check("subtype", u64::from(subtype.0))?;
    o.check("experimenter", u64::from(NX_EXPERIMENTER_ID))?;
    let bundle = |load: bool| -> R<NxBundle> {
        let (ofs_nbits, dst) = if load {
            (o.u16("ofs_nbits")?, hdr_or_of(o, "dst")?)
        } else {
            (0, 0)
        };
        let slaves = u16_list(o, "slaves")?;
        if u16::try_from(slaves.len()).is_err() {
            return Err(o.p.k("slaves").err("too many slaves"));
        }
        Ok(NxBundle {
            algorithm: o.u16("algorithm")?,
            fields: o.u16("fields")?,
            basis: o.u16("basis")?,
            slave_type: o.u32("slave_type")?,
            ofs_nbits,
            dst,
            slaves,
        })
    };
    Ok(match subtype.0 {
        1 => A::Resubmit {
            in_port: o.u16("in_port")?,
        },
        2 => A::SetTunnel {
            tun_id: o.u32("tun_id")?,
        },
        4 => A::SetQueue {
            queue_id: o.u32("queue_id")?,
        },
        5 => A::PopQueue,
        6 => A::RegMove {
            n_bits: o.u16("n_bits")?,
            src_ofs: o.u16("src_ofs")?,
            dst_ofs: o.u16("dst_ofs")?,
            src_field: hdr_of(o, "src_field")?,
            dst_field: hdr_of(o, "dst_field")?,
        },
        7 => A::RegLoad {
            ofs_nbits: o.u16("ofs_nbits")?,
            dst: hdr_of(o, "dst")?,
            value: o.u64("value")?,
        },
        8 => A::Note(o.bytes("note")?),
        9 => A::SetTunnel64 {
            tun_id: o.u64("tun_id")?,
        },
        10 => A::Multipath {
            fields: o.u16("fields")?,
            basis: o.u16("basis")?,
            algorithm: o.u16("algorithm")?,
            max_link: o.u16("max_link")?,
            arg: o.u32("arg")?,
            ofs_nbits: o.u16("ofs_nbits")?,
            dst: hdr_of(o, "dst")?,
        },
        12 => A::Bundle(bundle(false)?),
        13 => A::BundleLoad(bundle(true)?),
        14 => A::ResubmitTable {
            in_port: o.u16("in_port")?,
            table_id: o.u8("table_id")?,
        },
        15 => A::OutputReg {
            ofs_nbits: o.u16("ofs_nbits")?,
            src: hdr_of(o, "src")?,
            max_len: o.u16("max_len")?,
        },
        16 => {
            let p = o.p.k("specs");
            let specs = o
                .list("specs")?
                .iter()
                .enumerate()
                .map(|(i, s)| learn_spec(s, &p.i(i)))
                .collect::<R<_>>()?;
            A::Learn(Box::new(NxLearn {
                idle_timeout: o.u16("idle_timeout")?,
                hard_timeout: o.u16("hard_timeout")?,
                priority: o.u16("priority")?,
                cookie: o.u64("cookie")?,
                flags: o.u16("flags")?,
                table_id: o.u8("table_id")?,
                fin_idle_timeout: o.u16("fin_idle_timeout")?,
                fin_hard_timeout: o.u16("fin_hard_timeout")?,
                specs,
            }))
        }
        17 => A::Exit,
        18 => A::DecTtl,
        19 => A::FinTimeout {
            fin_idle_timeout: o.u16("fin_idle_timeout")?,
            fin_hard_timeout: o.u16("fin_hard_timeout")?,
        },
        20 => A::Controller {
            max_len: o.u16("max_len")?,
            controller_id: o.u16("controller_id")?,
            reason: o.u8("reason")?,
        },
        21 => {
            let ids = u16_list(o, "cnt_ids")?;
            if u16::try_from(ids.len()).is_err() {
                return Err(o.p.k("cnt_ids").err("too many ids"));
            }
            A::DecTtlCntIds(ids)
        }
        23 => A::PushMpls {
            ethertype: o.u16("ethertype")?,
        },
        24 => A::PopMpls {
            ethertype: o.u16("ethertype")?,
        },
        25 => A::SetMplsTtl { ttl: o.u8("ttl")? },
        26 => A::DecMplsTtl,
        27 | 28 => {
            let (start, field, end) = (o.u16("start")?, hdr_of(o, "field")?, o.u16("end")?);
            if subtype.0 == 27 {
                A::StackPush { start, field, end }
            } else {
                A::StackPop { start, field, end }
            }
        }
        29 => A::Sample {
            probability: o.u16("probability")?,
            collector_set_id: o.u32("collector_set_id")?,
            obs_domain_id: o.u32("obs_domain_id")?,
            obs_point_id: o.u32("obs_point_id")?,
        },
        30 => A::SetMplsLabel {
            label: o.u32("label")?,
        },
        31 => A::SetMplsTc { tc: o.u8("tc")? },
        32 => A::OutputReg2 {
            ofs_nbits: o.u16("ofs_nbits")?,
            max_len: o.u16("max_len")?,
            src: hdr_of(o, "src")?,
        },
        33 => {
            let mut tlv = Map::new();
            tlv.insert("field".to_owned(), o.get("dst")?.clone());
            tlv.insert("value".to_owned(), o.get("value")?.clone());
            tlv.insert(
                "mask".to_owned(),
                o.opt("mask").cloned().unwrap_or(Value::Null),
            );
            let mut outer = Map::new();
            outer.insert("OXMTlv".to_owned(), Value::Object(tlv));
            A::RegLoad2(oxm_from(&Value::Object(outer), &o.p)?)
        }
        34 => A::Conjunction {
            clause: o.u8("clause")?,
            n_clauses: o.u8("n_clauses")?,
            id: o.u32("id")?,
        },
        35 => A::Ct(NxCt {
            flags: o.u16("flags")?,
            zone_src: hdr_or_of(o, "zone_src")?,
            zone_ofs_nbits: o.u16("zone_ofs_nbits")?,
            recirc_table: o.u8("recirc_table")?,
            alg: o.u16("alg")?,
            actions: from_list(o, "actions", action_from)?,
        }),
        36 => {
            let ip4 = |k: &str| -> R<Option<Ipv4Addr>> {
                match o.opt(k) {
                    None => Ok(None),
                    Some(Value::String(s)) if s.is_empty() => Ok(None),
                    Some(a) => ipv4_of(a, &o.p.k(k)).map(Some),
                }
            };
            let ip6 = |k: &str| -> R<Option<Ipv6Addr>> {
                match o.opt(k) {
                    None => Ok(None),
                    Some(Value::String(s)) if s.is_empty() => Ok(None),
                    Some(a) => ipv6_of(a, &o.p.k(k)).map(Some),
                }
            };
            let proto = |k: &str| -> R<Option<u16>> { o.opt(k).map(|_| o.u16(k)).transpose() };
            A::Nat(Box::new(NxNat {
                flags: o.u16("flags")?,
                range_ipv4_min: ip4("range_ipv4_min")?,
                range_ipv4_max: ip4("range_ipv4_max")?,
                range_ipv6_min: ip6("range_ipv6_min")?,
                range_ipv6_max: ip6("range_ipv6_max")?,
                range_proto_min: proto("range_proto_min")?,
                range_proto_max: proto("range_proto_max")?,
            }))
        }
        37 => {
            let opt16 = |k: &str| o.opt(k).map(|_| o.u16(k)).transpose();
            let userdata = o.opt("userdata").map(|_| o.bytes("userdata")).transpose()?;
            if userdata.as_ref().is_some_and(|u| u.len() > 0xffff - 4) {
                return Err(o.p.k("userdata").err("too long"));
            }
            A::Controller2(NxController2 {
                max_len: opt16("max_len")?,
                controller_id: opt16("controller_id")?,
                reason: o.opt("reason").map(|_| o.u8("reason")).transpose()?,
                userdata,
                pause: match o.opt("pause") {
                    Some(Value::Bool(b)) => *b,
                    None => false,
                    Some(_) => return Err(o.p.k("pause").err("expected a boolean")),
                },
            })
        }
        38 => A::Sample2 {
            probability: o.u16("probability")?,
            collector_set_id: o.u32("collector_set_id")?,
            obs_domain_id: o.u32("obs_domain_id")?,
            obs_point_id: o.u32("obs_point_id")?,
            sampling_port: o.u16("sampling_port")?,
        },
        39 => A::OutputTrunc {
            port: o.u16("port")?,
            max_len: o.u32("max_len")?,
        },
        43 => A::CtClear,
        48 => A::DecNshTtl,
        other => return Err(o.p.err(format!("unknown Nicira subtype {other}"))),
    })
}

/// `NXActionUnknown`: the experimenter data (subtype, body, zero padding to a multiple of 8).
pub(super) fn nx_unknown_from(o: &O<'_, '_>) -> R<Vec<u8>> {
    o.check("experimenter", u64::from(NX_EXPERIMENTER_ID))?;
    let mut b = o.u16("subtype")?.to_be_bytes().to_vec();
    b.extend(o.bytes("data")?);
    Ok(pad8_vec(b))
}

/// One `NXFlowSpec*` of a learn action.
fn learn_spec(v: &Value, p: &P<'_>) -> R<NxFlowSpec> {
    let (name, m) = class_of(v, p)?;
    let o = O { m, p: p.k(name) };
    let n_bits = o.u16("n_bits")?;
    if n_bits > 0x3ff {
        return Err(o.p.k("n_bits").err("at most 1023"));
    }
    let subfield = |key: &str| -> R<Option<(OxmHeader, u16)>> {
        let sp = o.p.k(key);
        match o.get(key)? {
            Value::Array(a) => match a.as_slice() {
                [Value::String(f), ofs] => {
                    Ok(Some((OxmHeader(header_of(f, &sp)?), num(ofs, &sp.i(1))?)))
                }
                _ => Err(sp.err("expected [\"field\", offset]")),
            },
            _ => Ok(None),
        }
    };
    let src = match subfield("src")? {
        Some((field, ofs)) => NxLearnSrc::Field { field, ofs },
        None => {
            let k = usize::from(n_bits).div_ceil(16) * 2;
            if k > 16 {
                return Err(o.p.k("src").err("an immediate wider than 128 bits"));
            }
            NxLearnSrc::Immediate(value_bytes(T::Int(k), o.get("src")?, &o.p.k("src"))?)
        }
    };
    let dst = match name {
        "NXFlowSpecOutput" => {
            match o.opt("dst") {
                None => {}
                Some(Value::String(s)) if s.is_empty() => {}
                Some(_) => return Err(o.p.k("dst").err("an output spec has dst \"\"")),
            }
            NxLearnDst::Output
        }
        "NXFlowSpecMatch" | "NXFlowSpecLoad" => {
            let (field, ofs) =
                subfield("dst")?.ok_or_else(|| o.p.k("dst").err("expected [\"field\", offset]"))?;
            if name == "NXFlowSpecMatch" {
                NxLearnDst::Match { field, ofs }
            } else {
                NxLearnDst::Load { field, ofs }
            }
        }
        other => return Err(p.err(format!("unknown flow spec class {other}"))),
    };
    Ok(NxFlowSpec { n_bits, src, dst })
}
