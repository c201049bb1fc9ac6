//! Nicira actions (os-ken's `os_ken.ofproto.nx_actions`): `NXAction*` classes.

use super::*;

// ---------------------------------------------------------------------------------------------
// Nicira actions (os_ken.ofproto.nx_actions)
// ---------------------------------------------------------------------------------------------

/// One field of a fixed-layout Nicira action body (after the subtype).
#[derive(Debug, Clone, Copy)]
pub(super) enum F {
    U8(&'static str),
    U16(&'static str),
    U32(&'static str),
    U64(&'static str),
    Pad(usize),
    /// A 4-byte NXM/OXM header, shown by os-ken's field name.
    Hdr(&'static str),
}

/// How a Nicira action's body is laid out.
#[derive(Debug, Clone, Copy)]
pub(super) enum Nx {
    Fixed(&'static [F]),
    Note,
    RegLoad2,
    Learn,
    Controller2,
    DecTtlCntIds,
    Ct,
    Nat,
    Bundle { load: bool },
}

use F::{Hdr, Pad, U16, U32, U64, U8};

pub(super) const EMPTY6: &[F] = &[Pad(6)];
pub(super) const STACK: &[F] = &[U16("start"), Hdr("field"), U16("end"), Pad(4)];
pub(super) const MPLS: &[F] = &[U16("ethertype"), Pad(4)];

/// The Nicira action subtypes decoded into os-ken's classes, with the class names.
pub const NX_ACTIONS: &[(u16, &str)] = &[
    (1, "NXActionResubmit"),
    (2, "NXActionSetTunnel"),
    (4, "NXActionSetQueue"),
    (5, "NXActionPopQueue"),
    (6, "NXActionRegMove"),
    (7, "NXActionRegLoad"),
    (8, "NXActionNote"),
    (9, "NXActionSetTunnel64"),
    (10, "NXActionMultipath"),
    (12, "NXActionBundle"),
    (13, "NXActionBundleLoad"),
    (14, "NXActionResubmitTable"),
    (15, "NXActionOutputReg"),
    (16, "NXActionLearn"),
    (17, "NXActionExit"),
    (18, "NXActionDecTtl"),
    (19, "NXActionFinTimeout"),
    (20, "NXActionController"),
    (21, "NXActionDecTtlCntIds"),
    (23, "NXActionPushMpls"),
    (24, "NXActionPopMpls"),
    (25, "NXActionSetMplsTtl"),
    (26, "NXActionDecMplsTtl"),
    (27, "NXActionStackPush"),
    (28, "NXActionStackPop"),
    (29, "NXActionSample"),
    (30, "NXActionSetMplsLabel"),
    (31, "NXActionSetMplsTc"),
    (32, "NXActionOutputReg2"),
    (33, "NXActionRegLoad2"),
    (34, "NXActionConjunction"),
    (35, "NXActionCT"),
    (36, "NXActionNAT"),
    (37, "NXActionController2"),
    (38, "NXActionSample2"),
    (39, "NXActionOutputTrunc"),
    (43, "NXActionCTClear"),
    (48, "NXActionDecNshTtl"),
];

pub(super) fn nx_layout(subtype: u16) -> Option<Nx> {
    Some(match subtype {
        1 => Nx::Fixed(&[U16("in_port"), Pad(4)]),
        2 => Nx::Fixed(&[Pad(2), U32("tun_id")]),
        4 => Nx::Fixed(&[Pad(2), U32("queue_id")]),
        5 | 17 | 18 | 26 | 43 | 48 => Nx::Fixed(EMPTY6),
        6 => Nx::Fixed(&[
            U16("n_bits"),
            U16("src_ofs"),
            U16("dst_ofs"),
            Hdr("src_field"),
            Hdr("dst_field"),
        ]),
        7 => Nx::Fixed(&[U16("ofs_nbits"), Hdr("dst"), U64("value")]),
        8 => Nx::Note,
        9 => Nx::Fixed(&[Pad(6), U64("tun_id")]),
        10 => Nx::Fixed(&[
            U16("fields"),
            U16("basis"),
            Pad(2),
            U16("algorithm"),
            U16("max_link"),
            U32("arg"),
            Pad(2),
            U16("ofs_nbits"),
            Hdr("dst"),
        ]),
        12 => Nx::Bundle { load: false },
        13 => Nx::Bundle { load: true },
        14 => Nx::Fixed(&[U16("in_port"), U8("table_id"), Pad(3)]),
        15 => Nx::Fixed(&[U16("ofs_nbits"), Hdr("src"), U16("max_len"), Pad(6)]),
        16 => Nx::Learn,
        19 => Nx::Fixed(&[U16("fin_idle_timeout"), U16("fin_hard_timeout"), Pad(2)]),
        20 => Nx::Fixed(&[U16("max_len"), U16("controller_id"), U8("reason"), Pad(1)]),
        21 => Nx::DecTtlCntIds,
        23 | 24 => Nx::Fixed(MPLS),
        25 => Nx::Fixed(&[U8("ttl"), Pad(5)]),
        27 | 28 => Nx::Fixed(STACK),
        29 => Nx::Fixed(&[
            U16("probability"),
            U32("collector_set_id"),
            U32("obs_domain_id"),
            U32("obs_point_id"),
        ]),
        30 => Nx::Fixed(&[Pad(2), U32("label")]),
        31 => Nx::Fixed(&[U8("tc"), Pad(5)]),
        32 => Nx::Fixed(&[U16("ofs_nbits"), U16("max_len"), Hdr("src"), Pad(6)]),
        33 => Nx::RegLoad2,
        34 => Nx::Fixed(&[U8("clause"), U8("n_clauses"), U32("id")]),
        35 => Nx::Ct,
        36 => Nx::Nat,
        37 => Nx::Controller2,
        38 => Nx::Fixed(&[
            U16("probability"),
            U32("collector_set_id"),
            U32("obs_domain_id"),
            U32("obs_point_id"),
            U16("sampling_port"),
            Pad(6),
        ]),
        39 => Nx::Fixed(&[U16("port"), U32("max_len")]),
        _ => return None,
    })
}

pub(super) fn nx_name(subtype: u16) -> Option<&'static str> {
    NX_ACTIONS
        .iter()
        .find(|(s, _)| *s == subtype)
        .map(|(_, n)| *n)
}

pub(super) fn nx_subtype(name: &str) -> Option<u16> {
    NX_ACTIONS.iter().find(|(_, n)| *n == name).map(|(s, _)| *s)
}

/// A little big-endian cursor over a Nicira action body; every read is checked.
pub(super) struct Cur<'a> {
    pub(super) b: &'a [u8],
}

impl<'a> Cur<'a> {
    pub(super) fn take(&mut self, k: usize) -> Option<&'a [u8]> {
        if self.b.len() < k {
            return None;
        }
        let (h, t) = self.b.split_at(k);
        self.b = t;
        Some(h)
    }
    pub(super) fn u8(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }
    pub(super) fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes(self.take(2)?.try_into().ok()?))
    }
    pub(super) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }
    pub(super) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_be_bytes(self.take(8)?.try_into().ok()?))
    }
}

/// Decodes Nicira action data (subtype and body) into os-ken's class, when the class gives
/// back exactly these bytes; `None` otherwise (the caller falls back to `NXActionUnknown`).
pub(super) fn nx_to(data: &[u8]) -> Option<Value> {
    let (st, body) = data.split_first_chunk::<2>()?;
    let subtype = u16::from_be_bytes(*st);
    let len = nu(8 + data.len());
    let mut v = cls(
        nx_name(subtype).unwrap_or("NXActionUnknown"),
        [
            ("experimenter", n(NX_EXPERIMENTER_ID)),
            ("len", len),
            ("subtype", n(subtype)),
            ("type", n(ActionType::EXPERIMENTER.0)),
        ],
    );
    let decoded = nx_layout(subtype).and_then(|l| nx_decode(l, body, &mut v));
    if decoded.is_some() {
        // Keep the class only if it encodes back to the same bytes.
        let (name, m) = class_of(&v, &P::ROOT).ok()?;
        let o = O {
            m,
            p: P::ROOT.k(name),
        };
        if nx_from(name, &o).ok().as_deref() == Some(data) {
            return Some(v);
        }
    }
    Some(cls(
        "NXActionUnknown",
        [
            ("data", b64v(body)),
            ("experimenter", n(NX_EXPERIMENTER_ID)),
            ("len", nu(8 + data.len())),
            ("subtype", n(subtype)),
            ("type", n(ActionType::EXPERIMENTER.0)),
        ],
    ))
}

pub(super) fn nx_decode(l: Nx, body: &[u8], v: &mut Value) -> Option<()> {
    let mut c = Cur { b: body };
    match l {
        Nx::Fixed(fields) => {
            for f in fields {
                match *f {
                    U8(k) => add(v, k, n(c.u8()?)),
                    U16(k) => add(v, k, n(c.u16()?)),
                    U32(k) => add(v, k, n(c.u32()?)),
                    U64(k) => add(v, k, n(c.u64()?)),
                    Pad(k) => {
                        c.take(k)?;
                    }
                    Hdr(k) => add(v, k, Value::String(header_name(c.u32()?)?)),
                }
            }
        }
        Nx::Note => add(v, "note", bytes_list(body)),
        Nx::RegLoad2 => {
            let h = OxmHeader(c.u32()?);
            let payload = c.take(usize::from(h.length()))?;
            let (name, value, mask) = oxm_parts_json(h.class(), h.field(), h.hasmask(), payload);
            add(v, "dst", name);
            add(v, "value", value);
            add(v, "mask", mask);
        }
        Nx::Learn => {
            for k in ["idle_timeout", "hard_timeout", "priority"] {
                add(v, k, n(c.u16()?));
            }
            add(v, "cookie", n(c.u64()?));
            add(v, "flags", n(c.u16()?));
            add(v, "table_id", n(c.u8()?));
            c.take(1)?;
            add(v, "fin_idle_timeout", n(c.u16()?));
            add(v, "fin_hard_timeout", n(c.u16()?));
            let mut specs = Vec::new();
            while !c.b.is_empty() {
                let hdr = c.u16()?;
                if hdr == 0 {
                    continue;
                }
                let n_bits = hdr & 0x3ff;
                let subfield = |c: &mut Cur<'_>| -> Option<Value> {
                    let name = header_name(c.u32()?)?;
                    Some(Value::Array(vec![Value::String(name), n(c.u16()?)]))
                };
                let src = if (hdr >> 13) & 1 == 0 {
                    subfield(&mut c)?
                } else {
                    let k = usize::from(n_bits).div_ceil(16) * 2;
                    let b = c.take(k)?;
                    if k > 16 {
                        return None;
                    }
                    value_json(T::Int(k), b)
                };
                let (class, dst) = match (hdr >> 11) & 3 {
                    0 => ("NXFlowSpecMatch", subfield(&mut c)?),
                    1 => ("NXFlowSpecLoad", subfield(&mut c)?),
                    2 => ("NXFlowSpecOutput", Value::String(String::new())),
                    _ => return None,
                };
                specs.push(cls(
                    class,
                    [("dst", dst), ("n_bits", n(n_bits)), ("src", src)],
                ));
            }
            add(v, "specs", Value::Array(specs));
        }
        Nx::Controller2 => {
            c.take(6)?;
            while !c.b.is_empty() {
                let t = c.u16()?;
                let plen = c.u16()?;
                match t {
                    0 => {
                        add(v, "max_len", n(c.u16()?));
                        c.take(2)?;
                    }
                    1 => {
                        add(v, "controller_id", n(c.u16()?));
                        c.take(2)?;
                    }
                    2 => {
                        add(v, "reason", n(c.u8()?));
                        c.take(3)?;
                    }
                    3 => {
                        let k = usize::from(plen.checked_sub(4)?);
                        let r4 = k.div_ceil(4) * 4;
                        let size = if r4 > 4 && r4 % 8 == 0 { r4 + 4 } else { r4 };
                        let b = c.take(size)?;
                        add(v, "userdata", bytes_list(b.get(..k)?));
                    }
                    4 => {
                        c.take(4)?;
                        add(v, "pause", Value::Bool(true));
                    }
                    _ => return None,
                }
            }
        }
        Nx::DecTtlCntIds => {
            let k = c.u16()?;
            c.take(4)?;
            let ids = (0..k).map(|_| c.u16().map(n)).collect::<Option<Vec<_>>>()?;
            add(v, "cnt_ids", Value::Array(ids));
        }
        Nx::Ct => {
            add(v, "flags", n(c.u16()?));
            let zone = c.u32()?;
            add(
                v,
                "zone_src",
                Value::String(if zone == 0 {
                    String::new()
                } else {
                    header_name(zone)?
                }),
            );
            add(v, "zone_ofs_nbits", n(c.u16()?));
            add(v, "recirc_table", n(c.u8()?));
            c.take(3)?;
            add(v, "alg", n(c.u16()?));
            let mut r = crate::codec::Reader::new(c.b, 0);
            let actions = Action::parse_list(&mut r).ok()?;
            add(v, "actions", list(&actions, action_to));
        }
        Nx::Nat => {
            c.take(2)?;
            add(v, "flags", n(c.u16()?));
            let present = c.u16()?;
            let has = |bit: u16| present & bit != 0;
            let ip4 = |bit: u16, c: &mut Cur<'_>| -> Option<Value> {
                Some(if has(bit) {
                    ipv4_text(<[u8; 4]>::try_from(c.take(4)?).ok()?.into())
                } else {
                    Value::String(String::new())
                })
            };
            let a = ip4(1, &mut c)?;
            add(v, "range_ipv4_min", a);
            let a = ip4(2, &mut c)?;
            add(v, "range_ipv4_max", a);
            for (bit, k) in [(4, "range_ipv6_min"), (8, "range_ipv6_max")] {
                let a = if has(bit) {
                    ipv6_text(&<[u8; 16]>::try_from(c.take(16)?).ok()?.into())
                } else {
                    Value::String(String::new())
                };
                add(v, k, a);
            }
            for (bit, k) in [(16, "range_proto_min"), (32, "range_proto_max")] {
                let a = if has(bit) { n(c.u16()?) } else { Value::Null };
                add(v, k, a);
            }
        }
        Nx::Bundle { load } => {
            add(v, "algorithm", n(c.u16()?));
            add(v, "fields", n(c.u16()?));
            add(v, "basis", n(c.u16()?));
            add(v, "slave_type", n(c.u32()?));
            let k = c.u16()?;
            add(v, "n_slaves", n(k));
            let ofs_nbits = c.u16()?;
            let dst = c.u32()?;
            c.take(4)?;
            if load {
                add(v, "ofs_nbits", n(ofs_nbits));
                let d = if dst == 0 {
                    n(0u8)
                } else {
                    Value::String(header_name(dst)?)
                };
                add(v, "dst", d);
            } else {
                // os-ken's NXActionBundle always shows (and writes) 0 for these.
                add(v, "ofs_nbits", n(0u8));
                add(v, "dst", n(0u8));
            }
            let slaves = (0..k).map(|_| c.u16().map(n)).collect::<Option<Vec<_>>>()?;
            add(v, "slaves", Value::Array(slaves));
        }
    }
    Some(())
}

/// Encodes a Nicira action class (os-ken's attributes) into experimenter data: subtype, body,
/// zero padding to a multiple of 8 with the 8-byte experimenter header.
pub(super) fn nx_from(name: &str, o: &O<'_, '_>) -> R<Vec<u8>> {
    let subtype = if name == "NXActionUnknown" {
        o.u16("subtype")?
    } else {
        let s = nx_subtype(name).ok_or_else(|| o.p.err(format!("unknown class {name}")))?;
        o.check("subtype", u64::from(s))?;
        s
    };
    o.check("experimenter", u64::from(NX_EXPERIMENTER_ID))?;
    let mut b = subtype.to_be_bytes().to_vec();
    let layout = if name == "NXActionUnknown" {
        None
    } else {
        nx_layout(subtype)
    };
    match layout {
        None => b.extend(o.bytes("data")?),
        Some(Nx::Fixed(fields)) => {
            for f in fields {
                match *f {
                    U8(k) => b.push(o.u8(k)?),
                    U16(k) => b.extend(o.u16(k)?.to_be_bytes()),
                    U32(k) => b.extend(o.u32(k)?.to_be_bytes()),
                    U64(k) => b.extend(o.u64(k)?.to_be_bytes()),
                    Pad(k) => b.resize(b.len() + k, 0),
                    Hdr(k) => b.extend(header_of(o.str(k)?, &o.p.k(k))?.to_be_bytes()),
                }
            }
        }
        Some(Nx::Note) => b.extend(o.bytes("note")?),
        Some(Nx::RegLoad2) => {
            let mut tlv = Map::new();
            tlv.insert("field".to_owned(), o.get("dst")?.clone());
            tlv.insert("value".to_owned(), o.get("value")?.clone());
            tlv.insert(
                "mask".to_owned(),
                o.opt("mask").cloned().unwrap_or(Value::Null),
            );
            let mut outer = Map::new();
            outer.insert("OXMTlv".to_owned(), Value::Object(tlv));
            let f = oxm_from(&Value::Object(outer), &o.p)?;
            let at = b.len();
            f.write(&mut b).map_err(|e| o.p.err(e.to_string()))?;
            if b.len() - at < 14 {
                b.resize(at + 14, 0);
            }
        }
        Some(Nx::Learn) => {
            for k in ["idle_timeout", "hard_timeout", "priority"] {
                b.extend(o.u16(k)?.to_be_bytes());
            }
            b.extend(o.u64("cookie")?.to_be_bytes());
            b.extend(o.u16("flags")?.to_be_bytes());
            b.push(o.u8("table_id")?);
            b.push(0);
            b.extend(o.u16("fin_idle_timeout")?.to_be_bytes());
            b.extend(o.u16("fin_hard_timeout")?.to_be_bytes());
            let p = o.p.k("specs");
            for (i, s) in o.list("specs")?.iter().enumerate() {
                learn_spec(s, &p.i(i), &mut b)?;
            }
        }
        Some(Nx::Controller2) => {
            b.resize(b.len() + 6, 0);
            if o.opt("max_len").is_some() {
                b.extend([0, 0, 0, 8]);
                b.extend(o.u16("max_len")?.to_be_bytes());
                b.extend([0, 0]);
            }
            if o.opt("controller_id").is_some() {
                b.extend([0, 1, 0, 8]);
                b.extend(o.u16("controller_id")?.to_be_bytes());
                b.extend([0, 0]);
            }
            if o.opt("reason").is_some() {
                b.extend([0, 2, 0, 5, o.u8("reason")?, 0, 0, 0]);
            }
            if o.opt("userdata").is_some() {
                let u = o.bytes("userdata")?;
                let plen =
                    u16::try_from(4 + u.len()).map_err(|_| o.p.k("userdata").err("too long"))?;
                b.extend([0, 3]);
                b.extend(plen.to_be_bytes());
                let r4 = u.len().div_ceil(4) * 4;
                let pad = if u.len() > 4 && r4 % 8 == 0 {
                    r4 - u.len() + 4
                } else {
                    r4 - u.len()
                };
                b.extend(&u);
                b.resize(b.len() + pad, 0);
            }
            match o.opt("pause") {
                Some(Value::Bool(true)) => b.extend([0, 4, 0, 4, 0, 0, 0, 0]),
                None | Some(Value::Bool(false)) => {}
                Some(_) => return Err(o.p.k("pause").err("expected a boolean")),
            }
        }
        Some(Nx::DecTtlCntIds) => {
            let p = o.p.k("cnt_ids");
            let ids: Vec<u16> = o
                .list("cnt_ids")?
                .iter()
                .enumerate()
                .map(|(i, x)| num(x, &p.i(i)))
                .collect::<R<_>>()?;
            let k = u16::try_from(ids.len()).map_err(|_| p.err("too many ids"))?;
            b.extend(k.to_be_bytes());
            b.extend([0, 0, 0, 0]);
            for id in &ids {
                b.extend(id.to_be_bytes());
            }
            b.resize(b.len() + 2 * (ids.len().div_ceil(4) * 4 - ids.len()), 0);
        }
        Some(Nx::Ct) => {
            b.extend(o.u16("flags")?.to_be_bytes());
            let zp = o.p.k("zone_src");
            let zone = match o.get("zone_src")? {
                Value::String(s) if s.is_empty() => 0,
                Value::String(s) => header_of(s, &zp)?,
                other => num(other, &zp)?,
            };
            b.extend(zone.to_be_bytes());
            b.extend(o.u16("zone_ofs_nbits")?.to_be_bytes());
            b.push(o.u8("recirc_table")?);
            b.extend([0, 0, 0]);
            b.extend(o.u16("alg")?.to_be_bytes());
            let actions = from_list(o, "actions", action_from)?;
            Action::encode_list(&actions, &mut b)
                .map_err(|e| o.p.k("actions").err(e.to_string()))?;
        }
        Some(Nx::Nat) => {
            let mut present = 0u16;
            let mut rest = Vec::new();
            for (bit, k, v6) in [
                (1u16, "range_ipv4_min", false),
                (2, "range_ipv4_max", false),
                (4, "range_ipv6_min", true),
                (8, "range_ipv6_max", true),
            ] {
                match o.opt(k) {
                    None => {}
                    Some(Value::String(s)) if s.is_empty() => {}
                    Some(a) if v6 => {
                        present |= bit;
                        rest.extend(ipv6_of(a, &o.p.k(k))?.octets());
                    }
                    Some(a) => {
                        present |= bit;
                        rest.extend(ipv4_of(a, &o.p.k(k))?.octets());
                    }
                }
            }
            for (bit, k) in [(16u16, "range_proto_min"), (32, "range_proto_max")] {
                if o.opt(k).is_some() {
                    present |= bit;
                    rest.extend(o.u16(k)?.to_be_bytes());
                }
            }
            b.extend([0, 0]);
            b.extend(o.u16("flags")?.to_be_bytes());
            b.extend(present.to_be_bytes());
            b.extend(rest);
        }
        Some(Nx::Bundle { load }) => {
            b.extend(o.u16("algorithm")?.to_be_bytes());
            b.extend(o.u16("fields")?.to_be_bytes());
            b.extend(o.u16("basis")?.to_be_bytes());
            b.extend(o.u32("slave_type")?.to_be_bytes());
            let p = o.p.k("slaves");
            let slaves: Vec<u16> = o
                .list("slaves")?
                .iter()
                .enumerate()
                .map(|(i, x)| num(x, &p.i(i)))
                .collect::<R<_>>()?;
            let k = u16::try_from(slaves.len()).map_err(|_| p.err("too many slaves"))?;
            b.extend(k.to_be_bytes());
            let (ofs, dst) = if load {
                let dp = o.p.k("dst");
                let dst = match o.get("dst")? {
                    Value::String(s) => header_of(s, &dp)?,
                    other => num(other, &dp)?,
                };
                (o.u16("ofs_nbits")?, dst)
            } else {
                (0, 0)
            };
            b.extend(ofs.to_be_bytes());
            b.extend(dst.to_be_bytes());
            b.extend([0, 0, 0, 0]);
            for s in &slaves {
                b.extend(s.to_be_bytes());
            }
        }
    }
    // The 8-byte experimenter header and the data end on a multiple of 8.
    Ok(pad8_vec(b))
}

/// One `NXFlowSpec*` of a learn action.
pub(super) fn learn_spec(v: &Value, p: &P<'_>, b: &mut Vec<u8>) -> R<()> {
    let (name, m) = class_of(v, p)?;
    let o = O { m, p: p.k(name) };
    let dst_type: u16 = match name {
        "NXFlowSpecMatch" => 0,
        "NXFlowSpecLoad" => 1,
        "NXFlowSpecOutput" => 2,
        other => return Err(p.err(format!("unknown flow spec class {other}"))),
    };
    let n_bits = o.u16("n_bits")?;
    if n_bits > 0x3ff {
        return Err(o.p.k("n_bits").err("at most 1023"));
    }
    let subfield = |key: &str| -> R<Option<(u32, u16)>> {
        let sp = o.p.k(key);
        match o.get(key)? {
            Value::Array(a) => match a.as_slice() {
                [Value::String(f), ofs] => Ok(Some((header_of(f, &sp)?, num(ofs, &sp.i(1))?))),
                _ => Err(sp.err("expected [\"field\", offset]")),
            },
            _ => Ok(None),
        }
    };
    let src = subfield("src")?;
    let src_type = u16::from(src.is_none());
    b.extend(((src_type << 13) | (dst_type << 11) | n_bits).to_be_bytes());
    match src {
        Some((h, ofs)) => {
            b.extend(h.to_be_bytes());
            b.extend(ofs.to_be_bytes());
        }
        None => {
            let k = usize::from(n_bits).div_ceil(16) * 2;
            if k > 16 {
                return Err(o.p.k("src").err("an immediate wider than 128 bits"));
            }
            b.extend(value_bytes(T::Int(k), o.get("src")?, &o.p.k("src"))?);
        }
    }
    if dst_type == 2 {
        match o.opt("dst") {
            None => {}
            Some(Value::String(s)) if s.is_empty() => {}
            Some(_) => return Err(o.p.k("dst").err("an output spec has dst \"\"")),
        }
    } else {
        let (h, ofs) =
            subfield("dst")?.ok_or_else(|| o.p.k("dst").err("expected [\"field\", offset]"))?;
        b.extend(h.to_be_bytes());
        b.extend(ofs.to_be_bytes());
    }
    Ok(())
}
