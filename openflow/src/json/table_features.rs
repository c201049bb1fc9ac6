//! Table features and their properties.

use super::*;

json_struct! {
    table_features_to, table_features_from: TableFeatures "OFPTableFeaturesStats" {
        "config" => config,
        "max_entries" => max_entries,
        "metadata_match" => metadata_match,
        "metadata_write" => metadata_write,
        "name" => name as Name,
        "properties" => properties,
        "table_id" => table_id
        ; computed "length" => |s| nu(s.encoded_len())
    }
}

attr_fns! {
    TableFeatureProp: table_prop_to, table_prop_from;
}

// ---------------------------------------------------------------------------------------------
// Table features
// ---------------------------------------------------------------------------------------------

pub(super) fn id_to(name: &str, type_: u16, len: usize, data: &[u8]) -> Value {
    let mut v = cls(name, [("len", nu(len)), ("type", n(type_))]);
    if !data.is_empty() {
        add(&mut v, "data", b64v(data));
    }
    v
}

pub(super) fn id_from(v: &Value, p: &P<'_>, name: &str) -> R<(u16, Vec<u8>)> {
    let o = expect_class(v, p, name)?;
    let data = match o.opt("data") {
        Some(d) => bytes(d, &o.p.k("data"))?,
        None => Vec::new(),
    };
    Ok((o.u16("type")?, data))
}

pub(super) fn oxm_id_to(id: &OxmId) -> Value {
    let h = id.header;
    let name = match (id.experimenter, oxm_by_key(K::Std(h.class(), h.field()))) {
        (None, Some(d)) => d.name.to_owned(),
        _ => unknown_name(h.class(), h.field()),
    };
    let fields = [
        ("hasmask", n(u8::from(h.hasmask()))),
        ("length", n(h.length())),
        ("type", Value::String(name)),
    ];
    match id.experimenter {
        None => cls("OFPOxmId", fields),
        Some(e) => {
            let mut v = cls("OFPExperimenterOxmId", fields);
            add(&mut v, "exp_id", n(e));
            v
        }
    }
}

pub(super) fn oxm_id_from(v: &Value, p: &P<'_>) -> R<OxmId> {
    let (name, m) = class_of(v, p)?;
    let o = O { m, p: p.k(name) };
    let exp = match name {
        "OFPOxmId" => None,
        "OFPExperimenterOxmId" => Some(o.u32("exp_id")?),
        other => return Err(p.err(format!("unknown OXM ID class {other}"))),
    };
    let (class, field, _, _) = oxm_name_parts(o.str("type")?, &o.p.k("type"))?;
    let hasmask = match o.opt("hasmask") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(x) => num::<u8>(x, &o.p.k("hasmask"))? != 0,
    };
    let length = match o.opt("length") {
        Some(x) => num(x, &o.p.k("length"))?,
        None => 0,
    };
    let header = OxmHeader::new(class, field, hasmask, length);
    if (class == OFPXMC_EXPERIMENTER) != exp.is_some() {
        return Err(o
            .p
            .err("OFPExperimenterOxmId is for class 0xffff, OFPOxmId for the others"));
    }
    Ok(OxmId {
        header,
        experimenter: exp,
    })
}

pub(super) fn table_prop_to(tp: &TableFeatureProp) -> Value {
    let t = n(tp.prop_type().0);
    let length = nu(tp.length());
    match tp {
        TableFeatureProp::Instructions { ids, .. } => cls(
            "OFPTableFeaturePropInstructions",
            [
                ("instruction_ids", list(ids, instruction_id_to)),
                ("length", length),
                ("type", t),
            ],
        ),
        TableFeatureProp::NextTables { table_ids, .. } => cls(
            "OFPTableFeaturePropNextTables",
            [
                ("length", length),
                ("table_ids", list(table_ids, |x: &TableId| n(x.0))),
                ("type", t),
            ],
        ),
        TableFeatureProp::WriteActions { ids, .. } | TableFeatureProp::ApplyActions { ids, .. } => {
            cls(
                "OFPTableFeaturePropActions",
                [
                    ("action_ids", list(ids, action_id_to)),
                    ("length", length),
                    ("type", t),
                ],
            )
        }
        TableFeatureProp::Match(ids)
        | TableFeatureProp::Wildcards(ids)
        | TableFeatureProp::WriteSetfield { ids, .. }
        | TableFeatureProp::ApplySetfield { ids, .. } => cls(
            "OFPTableFeaturePropOxm",
            [
                ("length", length),
                ("oxm_ids", list(ids, oxm_id_to)),
                ("type", t),
            ],
        ),
        TableFeatureProp::Experimenter {
            experimenter,
            exp_type,
            data,
            ..
        } => {
            let words = if data.len() % 4 == 0 {
                Value::Array(
                    data.chunks(4)
                        .map(|c| n(c.iter().fold(0u32, |a, &x| (a << 8) | u32::from(x))))
                        .collect(),
                )
            } else {
                b64v(data)
            };
            cls(
                "OFPTableFeaturePropExperimenter",
                [
                    ("data", words),
                    ("exp_type", n(*exp_type)),
                    ("experimenter", n(*experimenter)),
                    ("length", length),
                    ("type", t),
                ],
            )
        }
        TableFeatureProp::Unknown { data, .. } => cls(
            "OFPTableFeaturePropUnknown",
            [("data", b64v(data)), ("length", length), ("type", t)],
        ),
    }
}

pub(super) fn table_prop_from(v: &Value, p: &P<'_>) -> R<TableFeatureProp> {
    let (name, m) = class_of(v, p)?;
    let o = O { m, p: p.k(name) };
    let t = TableFeaturePropType(o.u16("type")?);
    let miss = t.is_miss();
    let bad_type = || {
        o.p.k("type")
            .err(format!("type {} is not one of {name}", t.0))
    };
    Ok(match name {
        "OFPTableFeaturePropInstructions" => {
            if !matches!(t.0, 0 | 1) {
                return Err(bad_type());
            }
            let ids = from_list(&o, "instruction_ids", instruction_id_from)?;
            TableFeatureProp::Instructions { miss, ids }
        }
        "OFPTableFeaturePropNextTables" => {
            if !matches!(t.0, 2 | 3) {
                return Err(bad_type());
            }
            let table_ids = from_list(&o, "table_ids", |v, p| Ok(TableId(num(v, p)?)))?;
            TableFeatureProp::NextTables { miss, table_ids }
        }
        "OFPTableFeaturePropActions" => {
            let ids = from_list(&o, "action_ids", action_id_from)?;
            match t.0 {
                4 | 5 => TableFeatureProp::WriteActions { miss, ids },
                6 | 7 => TableFeatureProp::ApplyActions { miss, ids },
                _ => return Err(bad_type()),
            }
        }
        "OFPTableFeaturePropOxm" => {
            let ids = from_list(&o, "oxm_ids", oxm_id_from)?;
            match t.0 {
                8 => TableFeatureProp::Match(ids),
                10 => TableFeatureProp::Wildcards(ids),
                12 | 13 => TableFeatureProp::WriteSetfield { miss, ids },
                14 | 15 => TableFeatureProp::ApplySetfield { miss, ids },
                _ => return Err(bad_type()),
            }
        }
        "OFPTableFeaturePropExperimenter" => {
            if !matches!(t.0, 0xfffe | 0xffff) {
                return Err(bad_type());
            }
            let dp = o.p.k("data");
            let data = match o.get("data")? {
                Value::Array(a) => {
                    let mut d = Vec::with_capacity(a.len().saturating_mul(4));
                    for (i, w) in a.iter().enumerate() {
                        d.extend(num::<u32>(w, &dp.i(i))?.to_be_bytes());
                    }
                    d
                }
                other => bytes(other, &dp)?,
            };
            TableFeatureProp::Experimenter {
                miss,
                experimenter: o.u32("experimenter")?,
                exp_type: o.u32("exp_type")?,
                data,
            }
        }
        "OFPTableFeaturePropUnknown" => TableFeatureProp::Unknown {
            type_: t,
            data: o.bytes("data")?,
        },
        other => return Err(p.err(format!("unknown table feature property class {other}"))),
    })
}
