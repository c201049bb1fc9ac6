//! Actions (`OFPAction*`).

use super::*;

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

pub(super) fn action_to(a: &Action) -> Value {
    let len = nu(a.encoded_len());
    let t = n(a.action_type().0);
    let simple = |name: &str| cls(name, [("len", len.clone()), ("type", t.clone())]);
    match a {
        Action::Output { port, max_len } => cls(
            "OFPActionOutput",
            [
                ("len", len),
                ("max_len", n(*max_len)),
                ("port", n(port.0)),
                ("type", t),
            ],
        ),
        Action::CopyTtlOut => simple("OFPActionCopyTtlOut"),
        Action::CopyTtlIn => simple("OFPActionCopyTtlIn"),
        Action::SetMplsTtl(v) => cls(
            "OFPActionSetMplsTtl",
            [("len", len), ("mpls_ttl", n(*v)), ("type", t)],
        ),
        Action::DecMplsTtl => simple("OFPActionDecMplsTtl"),
        Action::PushVlan(e) => cls(
            "OFPActionPushVlan",
            [("ethertype", n(*e)), ("len", len), ("type", t)],
        ),
        Action::PopVlan => simple("OFPActionPopVlan"),
        Action::PushMpls(e) => cls(
            "OFPActionPushMpls",
            [("ethertype", n(*e)), ("len", len), ("type", t)],
        ),
        Action::PopMpls(e) => cls(
            "OFPActionPopMpls",
            [("ethertype", n(*e)), ("len", len), ("type", t)],
        ),
        Action::SetQueue(q) => cls(
            "OFPActionSetQueue",
            [("len", len), ("queue_id", n(*q)), ("type", t)],
        ),
        Action::Group(g) => cls(
            "OFPActionGroup",
            [("group_id", n(g.0)), ("len", len), ("type", t)],
        ),
        Action::SetNwTtl(v) => cls(
            "OFPActionSetNwTtl",
            [("len", len), ("nw_ttl", n(*v)), ("type", t)],
        ),
        Action::DecNwTtl => simple("OFPActionDecNwTtl"),
        Action::SetField(f) => cls(
            "OFPActionSetField",
            [("field", oxm_to(f)), ("len", len), ("type", t)],
        ),
        Action::PushPbb(e) => cls(
            "OFPActionPushPbb",
            [("ethertype", n(*e)), ("len", len), ("type", t)],
        ),
        Action::PopPbb => simple("OFPActionPopPbb"),
        Action::Nicira(nx) => {
            if let Some(v) = nx_to(nx) {
                return v;
            }
            match nx.to_data().ok().as_deref().and_then(nx_data_to) {
                Some(v) => v,
                None => cls(
                    "OFPActionExperimenterUnknown",
                    [
                        ("data", Value::Null),
                        ("experimenter", n(NX_EXPERIMENTER_ID)),
                        ("len", len),
                        ("type", t),
                    ],
                ),
            }
        }
        Action::Experimenter { experimenter, data } => {
            if *experimenter == NX_EXPERIMENTER_ID {
                if let Some(v) = nx_data_to(data) {
                    return v;
                }
            }
            cls(
                "OFPActionExperimenterUnknown",
                [
                    ("data", b64v(data)),
                    ("experimenter", n(*experimenter)),
                    ("len", len),
                    ("type", t),
                ],
            )
        }
        Action::Unknown { data, .. } => cls(
            "OFPActionUnknown",
            [("data", b64v(data)), ("len", len), ("type", t)],
        ),
    }
}

/// Zero-pads experimenter data so that the 8-byte header plus the data is a multiple of 8.
pub(super) fn pad8_vec(mut v: Vec<u8>) -> Vec<u8> {
    v.resize(v.len().div_ceil(8) * 8, 0);
    v
}

pub(super) fn action_from(v: &Value, p: &P<'_>) -> R<Action> {
    let (name, m) = class_of(v, p)?;
    let o = O { m, p: p.k(name) };
    if name.starts_with("NXAction") {
        o.check("type", u64::from(ActionType::EXPERIMENTER.0))?;
        let data = if name == "NXActionUnknown" {
            nx_unknown_from(&o)?
        } else {
            nx_from(name, &o)?
                .to_data()
                .map_err(|e| o.p.err(e.to_string()))?
        };
        // What parsing these bytes gives: typed when the typed action is exact.
        return Ok(experimenter_action(NX_EXPERIMENTER_ID, &data));
    }
    let a = match name {
        "OFPActionOutput" => Action::Output {
            port: PortNo(o.u32("port")?),
            max_len: o.u16("max_len")?,
        },
        "OFPActionCopyTtlOut" => Action::CopyTtlOut,
        "OFPActionCopyTtlIn" => Action::CopyTtlIn,
        "OFPActionSetMplsTtl" => Action::SetMplsTtl(o.u8("mpls_ttl")?),
        "OFPActionDecMplsTtl" => Action::DecMplsTtl,
        "OFPActionPushVlan" => Action::PushVlan(o.u16("ethertype")?),
        "OFPActionPopVlan" => Action::PopVlan,
        "OFPActionPushMpls" => Action::PushMpls(o.u16("ethertype")?),
        "OFPActionPopMpls" => Action::PopMpls(o.u16("ethertype")?),
        "OFPActionSetQueue" => Action::SetQueue(o.u32("queue_id")?),
        "OFPActionGroup" => Action::Group(GroupId(o.u32("group_id")?)),
        "OFPActionSetNwTtl" => Action::SetNwTtl(o.u8("nw_ttl")?),
        "OFPActionDecNwTtl" => Action::DecNwTtl,
        "OFPActionSetField" => Action::SetField(oxm_from(o.get("field")?, &o.p.k("field"))?),
        "OFPActionPushPbb" => Action::PushPbb(o.u16("ethertype")?),
        "OFPActionPopPbb" => Action::PopPbb,
        "OFPActionExperimenterUnknown" => Action::Experimenter {
            experimenter: o.u32("experimenter")?,
            data: pad8_vec(o.bytes("data")?),
        },
        "OFPActionUnknown" => Action::Unknown {
            type_: ActionType(o.u16("type")?),
            data: o.bytes("data")?,
        },
        other => return Err(p.err(format!("unknown action class {other}"))),
    };
    o.check("type", u64::from(a.action_type().0))?;
    Ok(a)
}
