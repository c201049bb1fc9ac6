//! Ryu's `ofctl_v1_3` in Rust, sans-I/O: the user's JSON of Ryu's REST API (`ofctl_rest`) to
//! OpenFlow values and back, with Ryu's field names in matches (`dl_dst`, `nw_src`, `tp_dst`,
//! ...) and Ryu's action strings (`OUTPUT:2`, `SET_FIELD: {eth_dst:...}`), which differ from
//! `to_jsondict`'s, so that scripts written for Ryu's `ofctl_rest` work unchanged.
//!
//! Each function names the os-ken function (`os_ken/lib/ofctl_v1_3.py`) whose output it gives;
//! `tests/ofctl_osken.rs` feeds the same messages through both and compares.
//!
//! Where Ryu logs and goes on, these functions refuse, naming what is wrong: an unknown match
//! field or action type, or a value that does not convert (Ryu would install a broader flow
//! than the user asked for, or fail inside the switch's connection).

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde_json::{json, Map, Value};

use sdnwire_openflow::action::{Action, ActionList};
use sdnwire_openflow::flow_mod::{FlowMod, FlowModCommand, FlowModFlags};
use sdnwire_openflow::group_mod::{Bucket, GroupMod, GroupModCommand, GroupType};
use sdnwire_openflow::instruction::{Instruction, InstructionList};
use sdnwire_openflow::meter_mod::{MeterBand, MeterFlags, MeterMod, MeterModCommand};
use sdnwire_openflow::multipart::{
    AggregateStats, Desc, FlowStats, FlowStatsRequest, GroupDesc, GroupStats, MeterConfig,
    MeterStats, MultipartFlags, MultipartRequest, PortStats,
};
use sdnwire_openflow::oxm::Match;
use sdnwire_openflow::port::Port;
use sdnwire_openflow::{BufferId, Encode, GroupId, MeterId, PortNo, TableId};

/// A request the REST API refuses (HTTP 400), with what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfctlError(pub String);

impl fmt::Display for OfctlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for OfctlError {}

fn err<T>(text: impl fmt::Display) -> Result<T, OfctlError> {
    Err(OfctlError(text.to_string()))
}

type R<T> = Result<T, OfctlError>;

// ------------------------------------------------------------------ numbers

/// Python's `int(str(v), 0)` (`ofctl_utils.str_to_int`): a JSON integer, or a string in
/// decimal or with a `0x`, `0o` or `0b` prefix.
pub fn str_to_int(v: &Value) -> R<i128> {
    match v {
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Ok(i128::from(i)),
            (None, Some(u)) => Ok(i128::from(u)),
            _ => err(format_args!("{n} is not an integer")),
        },
        Value::String(s) => {
            parse_int(s).ok_or_else(|| OfctlError(format!("{s:?} is not an integer")))
        }
        other => err(format_args!("{other} is not an integer")),
    }
}

/// Python's `int(s, 0)`: surrounding whitespace, a sign, a `0x`/`0o`/`0b` prefix (any case)
/// or a decimal without leading zeros, single underscores between digits (and one right after
/// a prefix). A sign after the prefix (`0x-5`) is refused, as Python refuses it. ASCII digits
/// only; values outside `i128` are `None`.
fn parse_int(s: &str) -> Option<i128> {
    let t = s.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let lower = t.to_ascii_lowercase();
    let (radix, digits) = if let Some(h) = lower.strip_prefix("0x") {
        (16, h.strip_prefix('_').unwrap_or(h))
    } else if let Some(o) = lower.strip_prefix("0o") {
        (8, o.strip_prefix('_').unwrap_or(o))
    } else if let Some(b) = lower.strip_prefix("0b") {
        (2, b.strip_prefix('_').unwrap_or(b))
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits
            .chars()
            .all(|c| c == '_' || (c.is_ascii() && c.is_digit(radix)))
    {
        return None;
    }
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    // Python refuses "010" in base 0 (but takes "00").
    if radix == 10 && digits.starts_with('0') && digits.bytes().any(|c| c != b'0') {
        return None;
    }
    let magnitude = u128::from_str_radix(&digits, radix).ok()?;
    if neg {
        0i128.checked_sub_unsigned(magnitude)
    } else {
        i128::try_from(magnitude).ok()
    }
}

fn uint<T: TryFrom<i128>>(v: &Value, what: &str) -> R<T> {
    let n = str_to_int(v)?;
    T::try_from(n).map_err(|_| OfctlError(format!("{what}: {n} is out of range")))
}

/// The reserved numbers of one kind and their names (`OFPP_`, `OFPTT_`, ...), as
/// `OFCtlUtil` gives and takes them.
struct Reserved {
    prefix: &'static str,
    names: &'static [(u32, &'static str)],
}

const PORTS: Reserved = Reserved {
    prefix: "OFPP_",
    names: &[
        (0xffff_ff00, "MAX"),
        (0xffff_fff8, "IN_PORT"),
        (0xffff_fff9, "TABLE"),
        (0xffff_fffa, "NORMAL"),
        (0xffff_fffb, "FLOOD"),
        (0xffff_fffc, "ALL"),
        (0xffff_fffd, "CONTROLLER"),
        (0xffff_fffe, "LOCAL"),
        (0xffff_ffff, "ANY"),
    ],
};
const TABLES: Reserved = Reserved {
    prefix: "OFPTT_",
    names: &[(0xfe, "MAX"), (0xff, "ALL")],
};
const GROUPS: Reserved = Reserved {
    prefix: "OFPG_",
    names: &[
        (0xffff_ff00, "MAX"),
        (0xffff_fffc, "ALL"),
        (0xffff_ffff, "ANY"),
    ],
};
const QUEUES: Reserved = Reserved {
    prefix: "OFPQ_",
    names: &[(0xffff_ffff, "ALL")],
};
const METERS: Reserved = Reserved {
    prefix: "OFPM_",
    names: &[
        (0xffff_0000, "MAX"),
        (0xffff_fffd, "SLOWPATH"),
        (0xffff_fffe, "CONTROLLER"),
        (0xffff_ffff, "ALL"),
    ],
};
const CMLS: Reserved = Reserved {
    prefix: "OFPCML_",
    names: &[(0xffe5, "MAX"), (0xffff, "NO_BUFFER")],
};

impl Reserved {
    /// `_reserved_num_to_user`: the name of a reserved number, else the number.
    fn to_user(&self, n: u32) -> Value {
        match self.names.iter().find(|r| r.0 == n) {
            Some((_, name)) => Value::from(*name),
            None => Value::from(n),
        }
    }

    /// `_reserved_num_from_user`: a number, or a reserved name with or without its prefix.
    fn read(&self, v: &Value, what: &str) -> R<u32> {
        if let Ok(n) = str_to_int(v) {
            return u32::try_from(n)
                .map_err(|_| OfctlError(format!("{what}: {n} is out of range")));
        }
        let Value::String(s) = v else {
            return err(format_args!("{what}: {v} is neither a number nor a name"));
        };
        let up = s.to_ascii_uppercase();
        let name = up.strip_prefix(self.prefix).unwrap_or(&up);
        match self.names.iter().find(|r| r.1 == name) {
            Some((n, _)) => Ok(*n),
            None => err(format_args!(
                "{what}: {s:?} is not a reserved {}* name",
                self.prefix
            )),
        }
    }
}

/// A port number as Ryu's REST API gives it: `"CONTROLLER"`, `"LOCAL"`, ... or the number.
pub fn port_to_user(p: PortNo) -> Value {
    PORTS.to_user(p.0)
}

/// `v[k]`, `Null` when absent.
fn at<'a>(v: &'a Value, k: &str) -> &'a Value {
    v.get(k).unwrap_or(&Value::Null)
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

// ------------------------------------------------------------------ matches

/// The OXM field name a Ryu match key stands for (`keys` of `to_match`).
fn oxm_name(key: &str) -> &str {
    match key {
        "dl_dst" => "eth_dst",
        "dl_src" => "eth_src",
        "dl_type" => "eth_type",
        "dl_vlan" => "vlan_vid",
        "nw_src" => "ipv4_src",
        "nw_dst" => "ipv4_dst",
        "nw_proto" => "ip_proto",
        other => other,
    }
}

/// How `to_match` converts a field's value.
#[derive(Clone, Copy)]
enum Conv {
    Port,
    Int,
    MaskedInt,
    Eth,
    Ip,
    Vid,
}

fn conv_of(field: &str) -> Option<Conv> {
    Some(match field {
        "in_port" => Conv::Port,
        "metadata" | "pbb_isid" | "tunnel_id" | "ipv6_exthdr" => Conv::MaskedInt,
        "eth_dst" | "eth_src" | "arp_sha" | "arp_tha" | "ipv6_nd_sll" | "ipv6_nd_tll" => Conv::Eth,
        "ipv4_src" | "ipv4_dst" | "arp_spa" | "arp_tpa" | "ipv6_src" | "ipv6_dst"
        | "ipv6_nd_target" => Conv::Ip,
        "vlan_vid" => Conv::Vid,
        "in_phy_port" | "eth_type" | "vlan_pcp" | "ip_dscp" | "ip_ecn" | "ip_proto" | "tp_src"
        | "tp_dst" | "tcp_src" | "tcp_dst" | "udp_src" | "udp_dst" | "sctp_src" | "sctp_dst"
        | "icmpv4_type" | "icmpv4_code" | "arp_op" | "ipv6_flabel" | "icmpv6_type"
        | "icmpv6_code" | "mpls_label" | "mpls_tc" | "mpls_bos" => Conv::Int,
        _ => return None,
    })
}

const OFPVID_PRESENT: i128 = 0x1000;

fn int_value(n: i128, what: &str) -> R<Value> {
    u64::try_from(n)
        .map(Value::from)
        .map_err(|_| OfctlError(format!("{what}: {n} is out of range")))
}

/// A prefix length as a netmask of the address's family (netaddr's `IPNetwork.netmask`).
fn netmask(addr: &str, bits: &str, what: &str) -> R<String> {
    let bits: u32 = bits
        .parse()
        .map_err(|_| OfctlError(format!("{what}: bad prefix length {bits:?}")))?;
    match addr.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) if bits <= 32 => {
            let m = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            Ok(Ipv4Addr::from(m).to_string())
        }
        Ok(IpAddr::V6(_)) if bits <= 128 => {
            let m = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            Ok(Ipv6Addr::from(m).to_string())
        }
        _ => err(format_args!(
            "{what}: {addr}/{bits} is not an address with a prefix"
        )),
    }
}

/// A field's value (and mask) in `to_jsondict`'s OXMTlv shape.
fn convert(field: &str, c: Conv, v: &Value) -> R<(Value, Value)> {
    let s = |v: &Value| -> R<String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            other => err(format_args!("{field}: {other} is not a string")),
        }
    };
    Ok(match c {
        Conv::Port => (Value::from(PORTS.read(v, field)?), Value::Null),
        Conv::Int => (int_value(str_to_int(v)?, field)?, Value::Null),
        Conv::MaskedInt => match v {
            Value::String(t) if t.contains('/') => {
                let (a, m) = t.split_once('/').unwrap_or((t, ""));
                (
                    int_value(str_to_int(&Value::from(a))?, field)?,
                    int_value(str_to_int(&Value::from(m))?, field)?,
                )
            }
            _ => (int_value(str_to_int(v)?, field)?, Value::Null),
        },
        Conv::Eth => {
            let t = s(v)?;
            match t.split_once('/') {
                Some((a, m)) => (Value::from(a), Value::from(m)),
                None => (Value::from(t), Value::Null),
            }
        }
        Conv::Ip => {
            let t = s(v)?;
            match t.split_once('/') {
                Some((a, m)) if !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()) => {
                    (Value::from(a), Value::from(netmask(a, m, field)?))
                }
                Some((a, m)) => (Value::from(a), Value::from(m)),
                None => (Value::from(t), Value::Null),
            }
        }
        Conv::Vid => match v {
            Value::Number(_) => (
                int_value(str_to_int(v)? | OFPVID_PRESENT, field)?,
                Value::Null,
            ),
            Value::String(t) if t.contains('/') => {
                let (a, m) = t.split_once('/').unwrap_or((t, ""));
                (
                    int_value(str_to_int(&Value::from(a))?, field)?,
                    int_value(str_to_int(&Value::from(m))?, field)?,
                )
            }
            Value::String(t) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => (
                int_value(str_to_int(v)? | OFPVID_PRESENT, field)?,
                Value::Null,
            ),
            _ => (int_value(str_to_int(v)?, field)?, Value::Null),
        },
    })
}

/// `to_match`: a match from Ryu's match attributes (old and new field names; `tp_src`/
/// `tp_dst` by the IP protocol; `nw_src`/`nw_dst` of ARP as `arp_spa`/`arp_tpa`), its fields
/// in OXM type order as os-ken's `OFPMatch` sorts them.
pub fn match_from_user(attrs: &Map<String, Value>) -> R<Match> {
    let mut attrs = attrs.clone();
    let arp = Value::from(0x0806);
    if attrs.get("dl_type") == Some(&arp) || attrs.get("eth_type") == Some(&arp) {
        for (from, to) in [("nw_src", "arp_spa"), ("nw_dst", "arp_tpa")] {
            if !attrs.contains_key(to) {
                if let Some(v) = attrs.remove(from) {
                    attrs.insert(to.to_owned(), v);
                }
            }
        }
    }
    // A later key of the same field replaces an earlier one, as in a Python dict.
    let mut fields: Vec<(String, Value)> = Vec::new();
    for (key, value) in &attrs {
        let mut name = oxm_name(key).to_owned();
        let Some(c) = conv_of(&name) else {
            return err(format_args!("unknown match field {key:?}"));
        };
        if name == "tp_src" || name == "tp_dst" {
            let proto = attrs
                .get("nw_proto")
                .or_else(|| attrs.get("ip_proto"))
                .map(str_to_int)
                .transpose()?
                .unwrap_or(0);
            let l4 = match proto {
                6 => "tcp",
                17 => "udp",
                _ => {
                    return err(format_args!(
                        "{key} needs nw_proto (ip_proto) 6 or 17, not {proto}"
                    ))
                }
            };
            name = format!("{l4}_{}", &name[3..]);
        }
        let (v, m) = convert(&name, c, value)?;
        let tlv = json!({"OXMTlv": {"field": name, "value": v, "mask": m}});
        match fields.iter_mut().find(|f| f.0 == name) {
            Some(f) => f.1 = tlv,
            None => fields.push((name, tlv)),
        }
    }
    let tlvs: Vec<Value> = fields.into_iter().map(|f| f.1).collect();
    let mut m = Match::from_jsondict(&json!({"OFPMatch": {"oxm_fields": tlvs, "type": 1}}))
        .map_err(|e| OfctlError(format!("match: {e}")))?;
    m.fields.sort_by_key(|f| (f.class(), f.field()));
    Ok(m)
}

/// `match_to_str`: a match with Ryu's field names; VLAN ids as `match_vid_to_str`, reserved
/// ports by name, masked values as `value/mask`.
pub fn match_to_user(m: &Match) -> Value {
    let mut out = Map::new();
    let j = m.to_jsondict();
    let fields = at(at(&j, "OFPMatch"), "oxm_fields")
        .as_array()
        .cloned()
        .unwrap_or_default();
    for f in fields {
        let t = at(&f, "OXMTlv");
        let name = at(t, "field").as_str().unwrap_or_default();
        let key = match name {
            "eth_src" => "dl_src",
            "eth_dst" => "dl_dst",
            "eth_type" => "dl_type",
            "vlan_vid" => "dl_vlan",
            "ipv4_src" => "nw_src",
            "ipv4_dst" => "nw_dst",
            "ip_proto" => "nw_proto",
            "tcp_src" | "udp_src" => "tp_src",
            "tcp_dst" | "udp_dst" => "tp_dst",
            other => other,
        };
        let (value, mask) = (at(t, "value"), at(t, "mask"));
        let v = if key == "dl_vlan" {
            let val = value.as_u64().unwrap_or(0);
            Value::from(match mask.as_u64() {
                Some(m) => format!("0x{val:04x}/0x{m:04x}"),
                None if val & 0x1000 != 0 => (val & !0x1000).to_string(),
                None => format!("0x{val:04x}"),
            })
        } else if key == "in_port" {
            value
                .as_u64()
                .and_then(|p| u32::try_from(p).ok())
                .map_or_else(|| value.clone(), |p| PORTS.to_user(p))
        } else if mask.is_null() {
            value.clone()
        } else {
            Value::from(format!("{}/{}", text(value), text(mask)))
        };
        out.entry(key.to_owned()).or_insert(v);
    }
    Value::Object(out)
}

// ------------------------------------------------------------------ actions

fn b64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let b = [
            c.first().copied().unwrap_or(0),
            c.get(1).copied().unwrap_or(0),
            c.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= c.len() {
                let idx = usize::try_from((n >> shift) & 63).unwrap_or(0);
                s.push(char::from(A.get(idx).copied().unwrap_or(b'A')));
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// Python's `repr` of a JSON value inside a tuple.
fn py_repr(v: &Value) -> String {
    match v {
        Value::String(s) => format!("'{s}'"),
        other => other.to_string(),
    }
}

/// `action_to_str`.
pub fn action_to_user(a: &Action) -> String {
    match a {
        Action::Output { port, .. } => format!("OUTPUT:{}", text(&port_to_user(*port))),
        Action::CopyTtlOut => "COPY_TTL_OUT".into(),
        Action::CopyTtlIn => "COPY_TTL_IN".into(),
        Action::SetMplsTtl(t) => format!("SET_MPLS_TTL:{t}"),
        Action::DecMplsTtl => "DEC_MPLS_TTL".into(),
        Action::PushVlan(e) => format!("PUSH_VLAN:{e}"),
        Action::PopVlan => "POP_VLAN".into(),
        Action::PushMpls(e) => format!("PUSH_MPLS:{e}"),
        Action::PopMpls(e) => format!("POP_MPLS:{e}"),
        Action::SetQueue(q) => format!("SET_QUEUE:{}", text(&QUEUES.to_user(*q))),
        Action::Group(g) => format!("GROUP:{}", text(&GROUPS.to_user(g.0))),
        Action::SetNwTtl(t) => format!("SET_NW_TTL:{t}"),
        Action::DecNwTtl => "DEC_NW_TTL".into(),
        Action::SetField(f) => {
            let j = f.to_jsondict();
            let t = at(&j, "OXMTlv");
            let value = if at(t, "mask").is_null() {
                text(at(t, "value"))
            } else {
                format!("({}, {})", py_repr(at(t, "value")), py_repr(at(t, "mask")))
            };
            format!("SET_FIELD: {{{}:{value}}}", text(at(t, "field")))
        }
        Action::PushPbb(e) => format!("PUSH_PBB:{e}"),
        Action::PopPbb => "POP_PBB".into(),
        Action::Experimenter {
            experimenter, data, ..
        } => {
            format!(
                "EXPERIMENTER: {{experimenter:{experimenter}, data:{}}}",
                b64(data)
            )
        }
        Action::Nicira(_) => {
            // os-ken prints Nicira actions its own way (ofctl_nicira_ext); here they print as
            // the experimenter action they are on the wire.
            let bytes = a.to_vec().unwrap_or_default();
            format!(
                "EXPERIMENTER: {{experimenter:{}, data:{}}}",
                0x2320,
                b64(bytes.get(8..).unwrap_or_default())
            )
        }
        _ => "UNKNOWN".into(),
    }
}

/// `actions_to_str`: the instructions of a flow as Ryu's REST API lists them.
pub fn actions_to_user(instructions: &[Instruction]) -> Vec<Value> {
    let mut out = Vec::new();
    for i in instructions {
        match i {
            Instruction::ApplyActions(a) => {
                out.extend(a.iter().map(|a| Value::from(action_to_user(a))));
            }
            Instruction::WriteActions(a) if !a.is_empty() => {
                let w: Vec<Value> = a.iter().map(|a| Value::from(action_to_user(a))).collect();
                out.push(json!({ "WRITE_ACTIONS": w }));
            }
            Instruction::ClearActions => out.push(Value::from("CLEAR_ACTIONS")),
            Instruction::GotoTable(t) => {
                out.push(Value::from(format!(
                    "GOTO_TABLE:{}",
                    text(&TABLES.to_user(u32::from(t.0)))
                )));
            }
            Instruction::WriteMetadata { metadata, mask } => out.push(Value::from(if *mask != 0 {
                format!("WRITE_METADATA:0x{metadata:x}/0x{mask:x}")
            } else {
                format!("WRITE_METADATA:0x{metadata:x}")
            })),
            Instruction::Meter(m) => {
                out.push(Value::from(format!("METER:{}", text(&METERS.to_user(m.0)))));
            }
            _ => {}
        }
    }
    out
}

fn get<'a>(d: &'a Map<String, Value>, k: &str) -> Option<&'a Value> {
    d.get(k).filter(|v| !v.is_null())
}

/// `to_action`: one action from Ryu's action dictionary; `None` for the types that are
/// instructions (`WRITE_ACTIONS`, `GOTO_TABLE`, ...).
fn action_from_user(d: &Map<String, Value>) -> R<Option<Action>> {
    let t = d.get("type").and_then(Value::as_str).unwrap_or_default();
    let need = |k: &str| -> R<&Value> {
        get(d, k).ok_or_else(|| OfctlError(format!("action {t} needs {k:?}")))
    };
    Ok(Some(match t {
        "COPY_TTL_OUT" => Action::CopyTtlOut,
        "COPY_TTL_IN" => Action::CopyTtlIn,
        "DEC_MPLS_TTL" => Action::DecMplsTtl,
        "POP_VLAN" => Action::PopVlan,
        "DEC_NW_TTL" => Action::DecNwTtl,
        "POP_PBB" => Action::PopPbb,
        "PUSH_VLAN" => Action::PushVlan(uint(need("ethertype")?, "ethertype")?),
        "PUSH_MPLS" => Action::PushMpls(uint(need("ethertype")?, "ethertype")?),
        "POP_MPLS" => Action::PopMpls(uint(need("ethertype")?, "ethertype")?),
        "PUSH_PBB" => Action::PushPbb(uint(need("ethertype")?, "ethertype")?),
        "OUTPUT" => {
            let port = match get(d, "port") {
                Some(p) => PORTS.read(p, "port")?,
                None => PortNo::ANY.0,
            };
            let max_len = match get(d, "max_len") {
                Some(m) => CMLS.read(m, "max_len")?,
                None => 0xffe5,
            };
            let max_len = u16::try_from(max_len)
                .map_err(|_| OfctlError(format!("max_len {max_len} is out of range")))?;
            Action::Output {
                port: PortNo(port),
                max_len,
            }
        }
        "SET_MPLS_TTL" => Action::SetMplsTtl(uint(need("mpls_ttl")?, "mpls_ttl")?),
        "SET_QUEUE" => Action::SetQueue(QUEUES.read(need("queue_id")?, "queue_id")?),
        "GROUP" => Action::Group(GroupId(GROUPS.read(need("group_id")?, "group_id")?)),
        "SET_NW_TTL" => Action::SetNwTtl(uint(need("nw_ttl")?, "nw_ttl")?),
        "SET_FIELD" => {
            let field = need("field")?;
            let value = need("value")?;
            let j = json!({"OFPActionSetField": {"field": {"OXMTlv": {
                "field": field, "value": value, "mask": null}}}});
            Action::from_jsondict(&j).map_err(|e| OfctlError(format!("SET_FIELD: {e}")))?
        }
        "EXPERIMENTER" => {
            let experimenter = uint(need("experimenter")?, "experimenter")?;
            let data = match get(d, "data_type")
                .and_then(Value::as_str)
                .unwrap_or("ascii")
            {
                "ascii" => get(d, "data")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .as_bytes()
                    .to_vec(),
                other => {
                    return err(format_args!(
                        "EXPERIMENTER: data_type {other:?} unsupported (ascii only)"
                    ))
                }
            };
            Action::experimenter(experimenter, data)
        }
        _ => return Ok(None),
    }))
}

/// `to_actions`: the instructions of a flow from Ryu's `actions` list: actions in one
/// APPLY_ACTIONS instruction, last; `WRITE_ACTIONS`, `CLEAR_ACTIONS`, `GOTO_TABLE`,
/// `WRITE_METADATA` and `METER` as their instructions, in the order given.
pub fn instructions_from_user(acts: &[Value]) -> R<InstructionList> {
    let mut inst = InstructionList::new();
    let mut apply = ActionList::new();
    for a in acts {
        let Value::Object(d) = a else {
            return err(format_args!("an action is an object, not {a}"));
        };
        if let Some(action) = action_from_user(d)? {
            apply.push(action);
            continue;
        }
        let t = d.get("type").and_then(Value::as_str).unwrap_or_default();
        match t {
            "WRITE_ACTIONS" => {
                let mut w = ActionList::new();
                for x in d
                    .get("actions")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let Value::Object(xd) = x else {
                        return err(format_args!("an action is an object, not {x}"));
                    };
                    match action_from_user(xd)? {
                        Some(a) => w.push(a),
                        None => {
                            return err(format_args!("unknown action type in WRITE_ACTIONS: {x}"))
                        }
                    }
                }
                if !w.is_empty() {
                    inst.push(Instruction::WriteActions(w));
                }
            }
            "CLEAR_ACTIONS" => inst.push(Instruction::ClearActions),
            "GOTO_TABLE" => {
                let t = TABLES.read(get(d, "table_id").unwrap_or(&Value::Null), "table_id")?;
                let t = u8::try_from(t)
                    .map_err(|_| OfctlError(format!("table_id {t} is out of range")))?;
                inst.push(Instruction::GotoTable(TableId(t)));
            }
            "WRITE_METADATA" => {
                let metadata = uint(get(d, "metadata").unwrap_or(&Value::Null), "metadata")?;
                let mask = match get(d, "metadata_mask") {
                    Some(m) => uint(m, "metadata_mask")?,
                    None => u64::MAX,
                };
                inst.push(Instruction::WriteMetadata { metadata, mask });
            }
            "METER" => {
                let m = METERS.read(get(d, "meter_id").unwrap_or(&Value::Null), "meter_id")?;
                inst.push(Instruction::Meter(MeterId(m)));
            }
            other => return err(format_args!("unknown action type {other:?}")),
        }
    }
    if !apply.is_empty() {
        inst.push(Instruction::ApplyActions(apply));
    }
    Ok(inst)
}

// ------------------------------------------------------------------ requests and replies

fn obj<'a>(v: &'a Value, what: &str) -> R<&'a Map<String, Value>> {
    v.as_object()
        .ok_or_else(|| OfctlError(format!("{what} must be a JSON object")))
}

fn field_or<T>(
    d: &Map<String, Value>,
    k: &str,
    default: T,
    f: impl FnOnce(&Value) -> R<T>,
) -> R<T> {
    match get(d, k) {
        Some(v) => f(v),
        None => Ok(default),
    }
}

/// A flow statistics filter of Ryu's REST API.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowFilter {
    /// The request's fields.
    pub request: FlowStatsRequest,
    /// The multipart request's flags (Ryu passes the filter's `flags` there).
    pub flags: u16,
    /// Only flows of this priority (OpenFlow has no such filter: applied to the reply).
    pub priority: Option<u16>,
}

/// The flow statistics filter of `get_flow_stats` (and `get_aggregate_flow_stats`) from
/// Ryu's filter object (`null`: everything).
pub fn flow_filter_from_user(filter: &Value) -> R<FlowFilter> {
    let empty = Map::new();
    let d = if filter.is_null() {
        &empty
    } else {
        obj(filter, "the filter")?
    };
    let mut r = FlowStatsRequest::new(Match::new());
    let flags = field_or(d, "flags", 0, |v| uint(v, "flags"))?;
    r.table_id = TableId(field_or(d, "table_id", 0xff, |v| {
        let t = TABLES.read(v, "table_id")?;
        u8::try_from(t).map_err(|_| OfctlError(format!("table_id {t} is out of range")))
    })?);
    r.out_port = PortNo(field_or(d, "out_port", PortNo::ANY.0, |v| {
        PORTS.read(v, "out_port")
    })?);
    r.out_group = GroupId(field_or(d, "out_group", GroupId::ANY.0, |v| {
        GROUPS.read(v, "out_group")
    })?);
    r.cookie = field_or(d, "cookie", 0, |v| uint(v, "cookie"))?;
    r.cookie_mask = field_or(d, "cookie_mask", 0, |v| uint(v, "cookie_mask"))?;
    r.match_ = match get(d, "match") {
        Some(m) => match_from_user(obj(m, "match")?)?,
        None => Match::new(),
    };
    let priority = match get(d, "priority") {
        Some(p) => {
            let p = str_to_int(p)?;
            if p < 0 {
                None
            } else {
                Some(
                    u16::try_from(p)
                        .map_err(|_| OfctlError(format!("priority {p} is out of range")))?,
                )
            }
        }
        None => None,
    };
    Ok(FlowFilter {
        request: r,
        flags,
        priority,
    })
}

/// The FLOW_STATS request of a filter.
pub fn flow_stats_request(f: &FlowFilter) -> MultipartRequest {
    let mut r = MultipartRequest::flow_stats_with(f.request.clone());
    r.flags = MultipartFlags(f.flags);
    r
}

/// The AGGREGATE request of a filter.
pub fn aggregate_request(f: &FlowFilter) -> MultipartRequest {
    let mut r = MultipartRequest::aggregate_stats_with(f.request.clone());
    r.flags = MultipartFlags(f.flags);
    r
}

/// `get_flow_stats`'s list.
pub fn flow_stats_to_user(flows: &[FlowStats], priority: Option<u16>) -> Vec<Value> {
    flows
        .iter()
        .filter(|f| priority.is_none_or(|p| p == f.priority))
        .map(|f| {
            json!({
                "priority": f.priority,
                "cookie": f.cookie,
                "idle_timeout": f.idle_timeout,
                "hard_timeout": f.hard_timeout,
                "byte_count": f.byte_count,
                "duration_sec": f.duration_sec,
                "duration_nsec": f.duration_nsec,
                "packet_count": f.packet_count,
                "length": f.encoded_len(),
                "flags": f.flags.0,
                "actions": actions_to_user(&f.instructions),
                "match": match_to_user(&f.match_),
                "table_id": TABLES.to_user(u32::from(f.table_id.0)),
            })
        })
        .collect()
}

/// `get_aggregate_flow_stats`'s entry.
pub fn aggregate_to_user(a: &AggregateStats) -> Value {
    json!({
        "packet_count": a.packet_count,
        "byte_count": a.byte_count,
        "flow_count": a.flow_count,
    })
}

/// `get_port_stats`'s list.
pub fn port_stats_to_user(ports: &[PortStats]) -> Vec<Value> {
    ports
        .iter()
        .map(|s| {
            json!({
                "rx_packets": s.rx_packets,
                "tx_packets": s.tx_packets,
                "rx_bytes": s.rx_bytes,
                "tx_bytes": s.tx_bytes,
                "rx_dropped": s.rx_dropped,
                "tx_dropped": s.tx_dropped,
                "rx_errors": s.rx_errors,
                "tx_errors": s.tx_errors,
                "rx_frame_err": s.rx_frame_err,
                "rx_over_err": s.rx_over_err,
                "rx_crc_err": s.rx_crc_err,
                "collisions": s.collisions,
                "duration_sec": s.duration_sec,
                "duration_nsec": s.duration_nsec,
                "port_no": port_to_user(s.port_no),
            })
        })
        .collect()
}

/// `get_port_desc`'s list.
pub fn port_desc_to_user(ports: &[Port]) -> Vec<Value> {
    ports
        .iter()
        .map(|p| {
            json!({
                "hw_addr": p.hw_addr.to_string(),
                "name": p.name(),
                "config": p.config.0,
                "state": p.state.0,
                "curr": p.curr.0,
                "advertised": p.advertised.0,
                "supported": p.supported.0,
                "peer": p.peer.0,
                "curr_speed": p.curr_speed,
                "max_speed": p.max_speed,
                "port_no": port_to_user(p.port_no),
            })
        })
        .collect()
}

/// `get_desc_stats`'s object: the DESC reply's attributes as `to_jsondict` gives them.
pub fn desc_to_user(d: &Desc) -> Value {
    d.to_jsondict()
        .get("OFPDescStats")
        .cloned()
        .unwrap_or(Value::Null)
}

/// `mod_flow_entry`: the FLOW_MOD of Ryu's flow entry with `command`.
pub fn flow_mod_from_user(flow: &Value, command: FlowModCommand) -> R<FlowMod> {
    let d = obj(flow, "the flow entry")?;
    let mut f = FlowMod::add();
    f.command = command;
    f.cookie = field_or(d, "cookie", 0, |v| uint(v, "cookie"))?;
    f.cookie_mask = field_or(d, "cookie_mask", 0, |v| uint(v, "cookie_mask"))?;
    f.table_id = TableId(field_or(d, "table_id", 0, |v| {
        let t = TABLES.read(v, "table_id")?;
        u8::try_from(t).map_err(|_| OfctlError(format!("table_id {t} is out of range")))
    })?);
    f.idle_timeout = field_or(d, "idle_timeout", 0, |v| uint(v, "idle_timeout"))?;
    f.hard_timeout = field_or(d, "hard_timeout", 0, |v| uint(v, "hard_timeout"))?;
    f.priority = field_or(d, "priority", 0, |v| uint(v, "priority"))?;
    f.buffer_id = BufferId(field_or(
        d,
        "buffer_id",
        BufferId::NO_BUFFER.0,
        |v| match v {
            Value::String(s) if s == "OFP_NO_BUFFER" || s == "NO_BUFFER" => {
                Ok(BufferId::NO_BUFFER.0)
            }
            other => uint(other, "buffer_id"),
        },
    )?);
    f.out_port = PortNo(field_or(d, "out_port", PortNo::ANY.0, |v| {
        PORTS.read(v, "out_port")
    })?);
    f.out_group = GroupId(field_or(d, "out_group", GroupId::ANY.0, |v| {
        GROUPS.read(v, "out_group")
    })?);
    f.flags = FlowModFlags(field_or(d, "flags", 0, |v| uint(v, "flags"))?);
    f.match_ = match get(d, "match") {
        Some(m) => match_from_user(obj(m, "match")?)?,
        None => Match::new(),
    };
    f.instructions = match get(d, "actions") {
        Some(Value::Array(a)) => instructions_from_user(a)?,
        Some(other) => return err(format_args!("actions must be a list, not {other}")),
        None => InstructionList::new(),
    };
    Ok(f)
}

/// The datapath id of a flow entry (`dpid`, required).
pub fn dpid_of(flow: &Value) -> R<u64> {
    let d = obj(flow, "the flow entry")?;
    match get(d, "dpid") {
        Some(v) => uint(v, "dpid"),
        None => err("the flow entry has no dpid"),
    }
}

// ------------------------------------------------------------------ groups and meters

/// `mod_group_entry`: the GROUP_MOD of Ryu's group entry with `command` (`type` ALL, SELECT,
/// INDIRECT or FF; buckets with `weight`, `watch_port`, `watch_group` and `actions`).
pub fn group_mod_from_user(group: &Value, command: GroupModCommand) -> R<GroupMod> {
    let d = obj(group, "the group entry")?;
    let type_ = match get(d, "type").map_or(Some("ALL"), Value::as_str) {
        Some("ALL") => GroupType::ALL,
        Some("SELECT") => GroupType::SELECT,
        Some("INDIRECT") => GroupType::INDIRECT,
        Some("FF") => GroupType::FF,
        _ => return err(format_args!("unknown group type {}", at(group, "type"))),
    };
    let group_id = GroupId(field_or(d, "group_id", 0, |v| GROUPS.read(v, "group_id"))?);
    let mut buckets = Vec::new();
    for b in get(d, "buckets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let bd = obj(b, "a bucket")?;
        let mut actions = Vec::new();
        for a in get(bd, "actions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            match action_from_user(obj(a, "an action")?)? {
                Some(x) => actions.push(x),
                None => return err(format_args!("unknown action in a bucket: {a}")),
            }
        }
        buckets.push(Bucket {
            weight: field_or(bd, "weight", 0, |v| uint(v, "weight"))?,
            watch_port: PortNo(field_or(bd, "watch_port", PortNo::ANY.0, |v| {
                uint(v, "watch_port")
            })?),
            watch_group: GroupId(field_or(bd, "watch_group", GroupId::ANY.0, |v| {
                uint(v, "watch_group")
            })?),
            actions,
        });
    }
    Ok(GroupMod {
        command,
        type_,
        group_id,
        buckets,
    })
}

/// `mod_meter_entry`: the METER_MOD of Ryu's meter entry with `command` (`flags`: one or a
/// list of KBPS, PKTPS, BURST, STATS; bands DROP, DSCP_REMARK or EXPERIMENTER).
pub fn meter_mod_from_user(meter: &Value, command: MeterModCommand) -> R<MeterMod> {
    let d = obj(meter, "the meter entry")?;
    let mut flags = 0u16;
    let list = match get(d, "flags") {
        Some(Value::Array(a)) => a.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    };
    for f in &list {
        flags |= match f.as_str() {
            Some("KBPS") => MeterFlags::KBPS.0,
            Some("PKTPS") => MeterFlags::PKTPS.0,
            Some("BURST") => MeterFlags::BURST.0,
            Some("STATS") => MeterFlags::STATS.0,
            _ => return err(format_args!("unknown meter flag {f}")),
        };
    }
    let meter_id = MeterId(field_or(d, "meter_id", 0, |v| METERS.read(v, "meter_id"))?);
    let mut bands = Vec::new();
    for b in get(d, "bands")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let bd = obj(b, "a band")?;
        let rate = field_or(bd, "rate", 0, |v| uint(v, "rate"))?;
        let burst_size = field_or(bd, "burst_size", 0, |v| uint(v, "burst_size"))?;
        bands.push(match get(bd, "type").and_then(Value::as_str) {
            Some("DROP") => MeterBand::Drop { rate, burst_size },
            Some("DSCP_REMARK") => MeterBand::DscpRemark {
                rate,
                burst_size,
                prec_level: field_or(bd, "prec_level", 0, |v| uint(v, "prec_level"))?,
            },
            Some("EXPERIMENTER") => MeterBand::Experimenter {
                rate,
                burst_size,
                experimenter: field_or(bd, "experimenter", 0, |v| uint(v, "experimenter"))?,
                data: Vec::new(),
            },
            _ => return err(format_args!("unknown band type {}", at(b, "type"))),
        });
    }
    Ok(MeterMod {
        command,
        flags: MeterFlags(flags),
        meter_id,
        bands,
    })
}

/// `get_group_stats`'s list.
pub fn group_stats_to_user(groups: &[GroupStats]) -> Vec<Value> {
    groups
        .iter()
        .map(|g| {
            let buckets: Vec<Value> = g
                .bucket_stats
                .iter()
                .map(|b| json!({"packet_count": b.packet_count, "byte_count": b.byte_count}))
                .collect();
            json!({
                "length": g.encoded_len(),
                "ref_count": g.ref_count,
                "packet_count": g.packet_count,
                "byte_count": g.byte_count,
                "duration_sec": g.duration_sec,
                "duration_nsec": g.duration_nsec,
                "bucket_stats": buckets,
                "group_id": GROUPS.to_user(g.group_id.0),
            })
        })
        .collect()
}

/// `get_group_desc`'s list.
pub fn group_desc_to_user(groups: &[GroupDesc]) -> Vec<Value> {
    groups
        .iter()
        .map(|g| {
            let buckets: Vec<Value> = g
                .buckets
                .iter()
                .map(|b| {
                    json!({
                        "weight": b.weight,
                        "watch_port": b.watch_port.0,
                        "watch_group": b.watch_group.0,
                        "actions": b.actions.iter().map(action_to_user).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let type_ = match g.type_ {
                GroupType::ALL => Value::from("ALL"),
                GroupType::SELECT => Value::from("SELECT"),
                GroupType::INDIRECT => Value::from("INDIRECT"),
                GroupType::FF => Value::from("FF"),
                _ => Value::Null,
            };
            json!({
                "buckets": buckets,
                "group_id": GROUPS.to_user(g.group_id.0),
                "type": type_,
            })
        })
        .collect()
}

/// `get_meter_stats`'s list.
pub fn meter_stats_to_user(meters: &[MeterStats]) -> Vec<Value> {
    meters
        .iter()
        .map(|m| {
            let bands: Vec<Value> = m
                .band_stats
                .iter()
                .map(|b| {
                    json!({"packet_band_count": b.packet_band_count,
                           "byte_band_count": b.byte_band_count})
                })
                .collect();
            json!({
                "len": m.encoded_len(),
                "flow_count": m.flow_count,
                "packet_in_count": m.packet_in_count,
                "byte_in_count": m.byte_in_count,
                "duration_sec": m.duration_sec,
                "duration_nsec": m.duration_nsec,
                "band_stats": bands,
                "meter_id": METERS.to_user(m.meter_id.0),
            })
        })
        .collect()
}

/// `get_meter_config`'s list.
pub fn meter_config_to_user(meters: &[MeterConfig]) -> Vec<Value> {
    meters
        .iter()
        .map(|m| {
            let bands: Vec<Value> = m
                .bands
                .iter()
                .map(|b| match b {
                    MeterBand::Drop { rate, burst_size } => {
                        json!({"rate": rate, "burst_size": burst_size, "type": "DROP"})
                    }
                    MeterBand::DscpRemark {
                        rate,
                        burst_size,
                        prec_level,
                    } => json!({"rate": rate, "burst_size": burst_size, "type": "DSCP_REMARK",
                                "prec_level": prec_level}),
                    MeterBand::Experimenter {
                        rate,
                        burst_size,
                        experimenter,
                        ..
                    } => json!({"rate": rate, "burst_size": burst_size, "type": "EXPERIMENTER",
                                "experimenter": experimenter}),
                    MeterBand::Unknown {
                        rate, burst_size, ..
                    } => json!({"rate": rate, "burst_size": burst_size, "type": ""}),
                    _ => json!({"type": ""}),
                })
                .collect();
            let flags: Vec<&str> = [
                (MeterFlags::KBPS, "KBPS"),
                (MeterFlags::PKTPS, "PKTPS"),
                (MeterFlags::BURST, "BURST"),
                (MeterFlags::STATS, "STATS"),
            ]
            .into_iter()
            .filter(|(f, _)| m.flags.0 & f.0 != 0)
            .map(|(_, n)| n)
            .collect();
            json!({
                "flags": flags,
                "bands": bands,
                "meter_id": METERS.to_user(m.meter_id.0),
            })
        })
        .collect()
}
