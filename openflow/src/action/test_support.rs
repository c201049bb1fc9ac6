extern crate std;

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde_json::Value;
use std::path::PathBuf;

use proptest::prelude::*;

use super::{Action, ActionType};
use crate::codec::WireWrite;
use crate::oxm::{basic_field_info, OxmField};
use crate::types::{GroupId, PortNo};

/// The installed os-ken corpus, or `None` after a loud skip.
fn os_ken_corpus() -> Option<(PathBuf, PathBuf)> {
    if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::OsKenCorpus]) {
        return None;
    }
    Some((
        sdnwire_testkit::osken::packet_data("of13"),
        sdnwire_testkit::osken::json_dir("of13"),
    ))
}

/// A message of os-ken's OF1.3 corpus and its expected JSON.
pub(crate) fn corpus(name: &str) -> Option<(Vec<u8>, Value)> {
    let (packets, jsons) = os_ken_corpus()?;
    let bytes = std::fs::read(packets.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let json = std::fs::read_to_string(jsons.join(std::format!("{name}.json")))
        .unwrap_or_else(|e| panic!("{name}.json: {e}"));
    Some((bytes, serde_json::from_str(&json).unwrap()))
}

/// Every corpus file whose name starts with `prefix`.
pub(crate) fn corpus_names(prefix: &str) -> Vec<String> {
    let Some((packets, _)) = os_ken_corpus() else {
        return Vec::new();
    };
    let mut v: Vec<String> = std::fs::read_dir(packets)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(prefix) && n.ends_with(".packet"))
        .collect();
    v.sort();
    v
}

/// `ovs-ofctl ofp-print HEX` (stdout and stderr), or `None` after a loud skip.
pub(crate) fn ofp_print(msg: &[u8]) -> Option<String> {
    if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::OvsOfctl]) {
        return None;
    }
    let hex: String = msg.iter().map(|b| std::format!("{b:02x}")).collect();
    match std::process::Command::new("ovs-ofctl")
        .args(["ofp-print", &hex])
        .output()
    {
        Ok(o) => Some(
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
        ),
        Err(e) => panic!("ovs-ofctl: {e}"),
    }
}

/// An OpenFlow 1.3 message of type `ty` around `body` (xid 1).
pub(crate) fn msg(ty: u8, body: &[u8]) -> Vec<u8> {
    let mut m = Vec::new();
    m.push(4);
    m.push(ty);
    m.extend_from_slice(&u16::try_from(8 + body.len()).unwrap().to_be_bytes());
    m.extend_from_slice(&1u32.to_be_bytes());
    m.extend_from_slice(body);
    m
}

/// A PACKET_OUT (no buffer, in_port CONTROLLER, no data) carrying `actions`.
pub(crate) fn packet_out(actions: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&0xffff_ffffu32.to_be_bytes());
    b.extend_from_slice(&0xffff_fffdu32.to_be_bytes());
    b.extend_from_slice(&u16::try_from(actions.len()).unwrap().to_be_bytes());
    b.extend_from_slice(&[0; 6]);
    b.extend_from_slice(actions);
    msg(13, &b)
}

/// A FLOW_MOD (ADD, table 0, priority 100, empty match) carrying `instructions`.
pub(crate) fn flow_mod(instructions: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&[0; 16]); // cookie, cookie_mask
    b.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 100]); // table, command, timeouts, priority
    b.extend_from_slice(&[0xff; 12]); // buffer_id, out_port, out_group
    b.extend_from_slice(&[0; 4]); // flags, pad
    b.extend_from_slice(&[0, 1, 0, 4, 0, 0, 0, 0]); // empty OXM match
    b.extend_from_slice(instructions);
    msg(14, &b)
}

/// The instructions of a FLOW_MOD message and their offset.
pub(crate) fn flow_mod_instructions(m: &[u8]) -> (usize, &[u8]) {
    let match_len = usize::from(u16::from_be_bytes([m[50], m[51]]));
    let off = 48 + crate::codec::round8(match_len);
    (off, &m[off..])
}

/// What ovs-ofctl printed after `key` up to the next space.
pub(crate) fn field_after<'a>(printed: &'a str, key: &str) -> &'a str {
    let start = printed
        .find(key)
        .unwrap_or_else(|| panic!("no {key:?} in {printed:?}"))
        + key.len();
    let rest = &printed[start..];
    rest.split([' ', '\n']).next().unwrap()
}

/// Decodes base64 (os-ken's JSON for raw bytes).
pub(crate) fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("bad base64 {c}"),
        }
    };
    let mut out = Vec::new();
    for chunk in s.trim_end_matches('=').as_bytes().chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            acc |= val(c) << (18 - 6 * i);
        }
        let n = chunk.len() * 6 / 8;
        for i in 0..n {
            out.push((acc >> (16 - 8 * i)).to_be_bytes()[3]);
        }
    }
    out
}

/// An OXM value as os-ken's JSON shows it (numbers, address strings).
fn oxm_json(f: &OxmField) -> Option<(Value, Value)> {
    use serde_json::json;
    fn m<T: Into<Value>>(v: T, m: Option<T>) -> (Value, Value) {
        (v.into(), m.map_or(Value::Null, Into::into))
    }
    fn s<T: core::fmt::Display>(v: T, mk: Option<T>) -> (Value, Value) {
        (
            json!(std::format!("{v}")),
            mk.map_or(Value::Null, |x| json!(std::format!("{x}"))),
        )
    }
    Some(match f {
        OxmField::InPort(p) | OxmField::InPhyPort(p) => m(p.0, None),
        OxmField::Metadata(v, k) | OxmField::TunnelId(v, k) => m(*v, *k),
        OxmField::EthDst(v, k)
        | OxmField::EthSrc(v, k)
        | OxmField::ArpSha(v, k)
        | OxmField::ArpTha(v, k) => s(v, k.as_ref()),
        OxmField::Ipv6NdSll(v) | OxmField::Ipv6NdTll(v) => s(v, None),
        OxmField::EthType(v) | OxmField::TcpSrc(v) | OxmField::TcpDst(v) => m(*v, None),
        OxmField::UdpSrc(v) | OxmField::UdpDst(v) | OxmField::SctpSrc(v) => m(*v, None),
        OxmField::SctpDst(v) | OxmField::ArpOp(v) => m(*v, None),
        OxmField::VlanVid(v, k) | OxmField::Ipv6Exthdr(v, k) => m(*v, *k),
        OxmField::VlanPcp(v)
        | OxmField::IpDscp(v)
        | OxmField::IpEcn(v)
        | OxmField::IpProto(v)
        | OxmField::Icmpv4Type(v)
        | OxmField::Icmpv4Code(v)
        | OxmField::Icmpv6Type(v)
        | OxmField::Icmpv6Code(v)
        | OxmField::MplsTc(v)
        | OxmField::MplsBos(v) => m(*v, None),
        OxmField::Ipv4Src(v, k)
        | OxmField::Ipv4Dst(v, k)
        | OxmField::ArpSpa(v, k)
        | OxmField::ArpTpa(v, k) => s(v, k.as_ref()),
        OxmField::Ipv6Src(v, k) | OxmField::Ipv6Dst(v, k) => s(v, k.as_ref()),
        OxmField::Ipv6NdTarget(v) => s(v, None),
        OxmField::Ipv6Flabel(v, k) | OxmField::PbbIsid(v, k) => m(*v, *k),
        OxmField::MplsLabel(v) => m(*v, None),
        OxmField::Raw(_) => return None,
    })
}

/// A set-field OXM: a typed basic field (any of the 40, masked or not) or a raw TLV.
pub(crate) fn arb_oxm() -> impl Strategy<Value = OxmField> {
    prop_oneof![
        (
            0u8..40,
            any::<bool>(),
            proptest::collection::vec(any::<u8>(), 32)
        )
            .prop_map(|(field, mask, bytes)| {
                let info = basic_field_info(field).unwrap();
                let mask = mask && info.maskable;
                let len = info.len * if mask { 2 } else { 1 };
                OxmField::from_parts(0x8000, field, mask, &bytes[..len])
            }),
        (
            any::<u16>(),
            0u8..128,
            any::<bool>(),
            proptest::collection::vec(any::<u8>(), 0..40)
        )
            .prop_map(|(class, field, hasmask, payload)| {
                OxmField::from_parts(class, field, hasmask, &payload)
            }),
    ]
}

/// Any action this codec encodes.
pub(crate) fn arb_action() -> impl Strategy<Value = Action> {
    let data8 = || {
        (0usize..4, proptest::collection::vec(any::<u8>(), 24))
            .prop_map(|(n, b)| b[..8 * n].to_vec())
    };
    prop_oneof![
        (any::<u32>(), any::<u16>()).prop_map(|(p, m)| Action::Output {
            port: PortNo(p),
            max_len: m
        }),
        Just(Action::CopyTtlOut),
        Just(Action::CopyTtlIn),
        any::<u8>().prop_map(Action::SetMplsTtl),
        Just(Action::DecMplsTtl),
        any::<u16>().prop_map(Action::PushVlan),
        Just(Action::PopVlan),
        any::<u16>().prop_map(Action::PushMpls),
        any::<u16>().prop_map(Action::PopMpls),
        any::<u32>().prop_map(Action::SetQueue),
        any::<u32>().prop_map(|g| Action::Group(GroupId(g))),
        any::<u8>().prop_map(Action::SetNwTtl),
        Just(Action::DecNwTtl),
        arb_oxm().prop_map(Action::SetField),
        any::<u16>().prop_map(Action::PushPbb),
        Just(Action::PopPbb),
        (any::<u32>(), data8())
            .prop_map(|(experimenter, data)| Action::Experimenter { experimenter, data }),
        (
            any::<u16>().prop_filter("unknown", |t| ActionType(*t).name().is_none()),
            data8()
        )
            .prop_map(|(t, mut data)| {
                data.extend_from_slice(&[1, 2, 3, 4]);
                Action::Unknown {
                    type_: ActionType(t),
                    data,
                }
            }),
    ]
}

/// Checks an action against os-ken's JSON for it (`{"OFPActionOutput": {...}}`).
pub(crate) fn check_action_json(a: &Action, j: &Value) {
    let (name, b) = j.as_object().unwrap().iter().next().unwrap();
    assert_eq!(b["type"], a.action_type().0, "{name}: type");
    assert_eq!(b["len"], a.encoded_len(), "{name}: len");
    match (name.as_str(), a) {
        ("OFPActionOutput", Action::Output { port, max_len }) => {
            assert_eq!(b["port"], port.0);
            assert_eq!(b["max_len"], *max_len);
        }
        ("OFPActionCopyTtlOut", Action::CopyTtlOut)
        | ("OFPActionCopyTtlIn", Action::CopyTtlIn)
        | ("OFPActionDecMplsTtl", Action::DecMplsTtl)
        | ("OFPActionPopVlan", Action::PopVlan)
        | ("OFPActionDecNwTtl", Action::DecNwTtl)
        | ("OFPActionPopPbb", Action::PopPbb) => {}
        ("OFPActionSetMplsTtl", Action::SetMplsTtl(t)) => assert_eq!(b["mpls_ttl"], *t),
        ("OFPActionSetNwTtl", Action::SetNwTtl(t)) => assert_eq!(b["nw_ttl"], *t),
        ("OFPActionPushVlan", Action::PushVlan(e))
        | ("OFPActionPushMpls", Action::PushMpls(e))
        | ("OFPActionPopMpls", Action::PopMpls(e))
        | ("OFPActionPushPbb", Action::PushPbb(e)) => assert_eq!(b["ethertype"], *e),
        ("OFPActionSetQueue", Action::SetQueue(q)) => assert_eq!(b["queue_id"], *q),
        ("OFPActionGroup", Action::Group(g)) => assert_eq!(b["group_id"], g.0),
        ("OFPActionSetField", Action::SetField(f)) => {
            let tlv = &b["field"]["OXMTlv"];
            if let OxmField::Raw(raw) = f {
                // os-ken names some experimenter OXMs (ONF's pbb_uca); we keep them raw.
                assert_eq!(raw.class, 0xffff, "{tlv}");
                return;
            }
            assert_eq!(tlv["field"], f.name().unwrap_or("?"), "set_field name");
            let (v, m) = oxm_json(f).unwrap();
            assert_eq!(tlv["value"], v, "set_field value");
            assert_eq!(tlv["mask"], m, "set_field mask");
        }
        ("OFPActionExperimenterUnknown", Action::Experimenter { experimenter, data }) => {
            assert_eq!(b["experimenter"], *experimenter);
            assert_eq!(&base64(b["data"].as_str().unwrap()), data);
        }
        (n, Action::Experimenter { experimenter, data }) if n.starts_with("NX") => {
            assert_eq!(b["experimenter"], *experimenter);
            assert_eq!(b["subtype"], u16::from_be_bytes([data[0], data[1]]));
        }
        (n, Action::Nicira(nx)) if n.starts_with("NX") => {
            assert_eq!(b["experimenter"], crate::nicira::NX_EXPERIMENTER_ID);
            assert_eq!(b["subtype"], nx.subtype().0);
            assert_eq!(nx.subtype().class_name(), Some(n), "{nx:?}");
        }
        (n, a) => panic!("os-ken's {n} decoded as {a:?}"),
    }
}

/// A few bytes changed and maybe a cut: what [`arb_damage`] does to a valid encoding, so that
/// a property test reaches every check of a parser with inputs close to the real ones.
#[derive(Debug, Clone)]
pub(crate) struct Damage {
    edits: Vec<(prop::sample::Index, u8)>,
    cut: Option<prop::sample::Index>,
}

impl Damage {
    /// `b` with the edits made and, if there is a cut, truncated at it.
    pub(crate) fn apply(&self, mut b: Vec<u8>) -> Vec<u8> {
        for (i, x) in &self.edits {
            let i = i.index(b.len());
            b[i] = *x;
        }
        if let Some(cut) = &self.cut {
            b.truncate(cut.index(b.len() + 1));
        }
        b
    }
}

/// Up to three byte edits and, half the time, a cut.
pub(crate) fn arb_damage() -> impl Strategy<Value = Damage> {
    (
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        proptest::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(|(edits, cut)| Damage { edits, cut })
}
