//! Nicira actions in ovs-ofctl's notation (`resubmit(1,2)`, `load:0x1->NXM_NX_REG0[4..31]`,
//! `ct(commit,nat(src=10.0.0.1))`, `learn(table=1,...)`), as Open vSwitch 3.1 prints them
//! (its `format_*` functions of `lib/ofp-actions.c`, `learn_format`, `mf_format_subfield`).
//!
//! [`NxAction::ovs_text`] gives the text, or `None` where Open vSwitch would refuse the
//! action (a subfield past its field's end, the Nicira forms of `dec_ttl`, `set_queue` and
//! the MPLS actions, which it takes in OpenFlow 1.0 and 1.1 only) or the text needs a field
//! name this crate does not know;
//! [`NxAction::reads_back`] says whether [`crate::ofctl`] reads that text back as the same
//! action (its bytes exactly), which is when `Action`'s `Display` uses it.

use alloc::format;
use alloc::string::String;
use core::fmt::Write as _;
use core::net::Ipv6Addr;

use super::{NxAction, NxCt, NxLearn, NxLearnDst, NxLearnSrc, NxNat};
use crate::action::Action;
use crate::ofctl::fields;
use crate::oxm::OxmHeader;
use crate::types::PortNo;

/// `NAME[]`, `NAME[bit]` or `NAME[start..end]`, as `mf_format_subfield`; `None` for a field
/// without a name or bits outside it.
fn subfield(hdr: OxmHeader, ofs: u16, n_bits: u16) -> Option<String> {
    let (name, width) = fields::nxm_name(hdr.0)?;
    let end = u32::from(ofs) + u32::from(n_bits);
    if n_bits == 0 || end > u32::from(width) {
        return None;
    }
    Some(if ofs == 0 && n_bits == width {
        format!("{name}[]")
    } else if n_bits == 1 {
        format!("{name}[{ofs}]")
    } else {
        format!("{name}[{ofs}..{}]", end - 1)
    })
}

/// A subfield from Nicira's packed `ofs << 6 | (n_bits - 1)`.
fn packed(hdr: OxmHeader, ofs_nbits: u16) -> Option<String> {
    subfield(hdr, ofs_nbits >> 6, (ofs_nbits & 0x3f) + 1)
}

/// A 16-bit port as `ofputil_format_port` prints it: the reserved name (with Open vSwitch's
/// own `UNSET`, 0xfff7) or the number.
fn port16(p: u16) -> String {
    match PortNo(0xffff_0000 | u32::from(p)).reserved_name() {
        Some(n) if p >= 0xfff8 => n.into(),
        _ if p == 0xfff7 => "UNSET".into(),
        _ => format!("{p}"),
    }
}

/// Bytes as `ds_put_hex`: `0x` and the digits without leading zero bytes (the first byte
/// without its leading zero), `0` when all are zero.
fn put_hex(b: &[u8]) -> String {
    let mut s = String::new();
    for x in b.iter().skip_while(|x| **x == 0) {
        if s.is_empty() {
            let _ = write!(s, "0x{x:x}");
        } else {
            let _ = write!(s, "{x:02x}");
        }
    }
    if s.is_empty() {
        s.push('0');
    }
    s
}

/// Bytes as `format_hex_arg`: two digits each, joined by `.`.
fn hex_arg(b: &[u8]) -> String {
    let mut s = String::new();
    for (i, x) in b.iter().enumerate() {
        if i > 0 {
            s.push('.');
        }
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// `%#x`: `0` for zero.
fn chex(v: u64) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

/// Packet-in reasons by `ofputil_packet_in_reason_to_string`'s names.
fn reason(r: u8) -> String {
    match r {
        0 => "no_match".into(),
        1 => "action".into(),
        2 => "invalid_ttl".into(),
        3 => "action_set".into(),
        4 => "group".into(),
        5 => "packet_out".into(),
        // Open vSwitch 3.1 prints nothing after `reason=` for a reason it has no name for.
        _ => String::new(),
    }
}

impl NxAction {
    /// The action as `ovs-ofctl` prints it (Open vSwitch 3.1), or `None` where Open vSwitch
    /// would not decode it or the text needs a name this crate does not know.
    pub fn ovs_text(&self) -> Option<String> {
        use NxAction as A;
        Some(match self {
            A::Resubmit { in_port } => format!("resubmit:{}", port16(*in_port)),
            A::ResubmitTable { in_port, table_id } => {
                if *in_port != 0xfff8 && *table_id == 255 {
                    format!("resubmit:{}", port16(*in_port))
                } else {
                    let p = if *in_port == 0xfff8 {
                        String::new()
                    } else {
                        port16(*in_port)
                    };
                    let t = if *table_id == 255 {
                        String::new()
                    } else {
                        format!("{table_id}")
                    };
                    format!("resubmit({p},{t})")
                }
            }
            A::SetTunnel { tun_id } => format!("set_tunnel:{}", chex(u64::from(*tun_id))),
            A::SetTunnel64 { tun_id } => format!("set_tunnel64:{}", chex(*tun_id)),
            A::PopQueue => "pop_queue".into(),
            A::RegMove {
                n_bits,
                src_ofs,
                dst_ofs,
                src_field,
                dst_field,
            } => format!(
                "move:{}->{}",
                subfield(*src_field, *src_ofs, *n_bits)?,
                subfield(*dst_field, *dst_ofs, *n_bits)?
            ),
            A::RegLoad {
                ofs_nbits,
                dst,
                value,
            } => {
                let n = (ofs_nbits & 0x3f) + 1;
                if n < 64 && value >> n != 0 {
                    return None;
                }
                format!("load:{}->{}", chex(*value), packed(*dst, *ofs_nbits)?)
            }
            A::Note(n) => format!("note:{}", hex_arg(n)),
            A::OutputReg { ofs_nbits, src, .. } | A::OutputReg2 { ofs_nbits, src, .. } => {
                format!("output:{}", packed(*src, *ofs_nbits)?)
            }
            A::Learn(l) => learn(l)?,
            A::Exit => "exit".into(),
            A::DecTtlCntIds(ids) => {
                let mut s = String::from("dec_ttl(");
                for (i, id) in ids.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    let _ = write!(s, "{id}");
                }
                s.push(')');
                s
            }
            A::FinTimeout {
                fin_idle_timeout,
                fin_hard_timeout,
            } => {
                let mut parts = alloc::vec::Vec::new();
                if *fin_idle_timeout != 0 {
                    parts.push(format!("idle_timeout={fin_idle_timeout}"));
                }
                if *fin_hard_timeout != 0 {
                    parts.push(format!("hard_timeout={fin_hard_timeout}"));
                }
                format!("fin_timeout({})", parts.join(","))
            }
            A::Controller {
                max_len,
                controller_id,
                reason: r,
            } => controller(*max_len, *controller_id, *r, None, false),
            A::Controller2(c) => controller(
                c.max_len.unwrap_or(u16::MAX),
                c.controller_id.unwrap_or(0),
                c.reason.unwrap_or(1),
                c.userdata.as_deref(),
                c.pause,
            ),
            A::StackPush { start, field, end } => {
                format!("push:{}", subfield(*field, *start, *end)?)
            }
            A::StackPop { start, field, end } => format!("pop:{}", subfield(*field, *start, *end)?),
            A::Sample {
                probability,
                collector_set_id,
                obs_domain_id,
                obs_point_id,
            } => format!(
                "sample(probability={probability},collector_set_id={collector_set_id},\
                 obs_domain_id={obs_domain_id},obs_point_id={obs_point_id})"
            ),
            A::Sample2 {
                probability,
                collector_set_id,
                obs_domain_id,
                obs_point_id,
                sampling_port,
            } => {
                let mut s = format!(
                    "sample(probability={probability},collector_set_id={collector_set_id},\
                     obs_domain_id={obs_domain_id},obs_point_id={obs_point_id}"
                );
                if *sampling_port != u16::MAX {
                    let _ = write!(s, ",sampling_port={}", port16(*sampling_port));
                }
                s.push(')');
                s
            }
            A::Conjunction {
                clause,
                n_clauses,
                id,
            } => {
                if !(2..=64).contains(n_clauses) || clause >= n_clauses {
                    return None;
                }
                format!("conjunction({id},{}/{n_clauses})", u16::from(*clause) + 1)
            }
            A::Ct(ct) => ct_text(ct)?,
            A::Nat(n) => nat(n)?,
            A::OutputTrunc { port, max_len } => {
                format!("output(port={},max_len={max_len})", port16(*port))
            }
            A::CtClear => "ct_clear".into(),
            A::DecNshTtl => "dec_nsh_ttl".into(),
            A::Multipath {
                fields,
                basis,
                algorithm,
                max_link,
                arg,
                ofs_nbits,
                dst,
            } => {
                let alg = match algorithm {
                    0 => "modulo_n",
                    1 => "hash_threshold",
                    2 => "hrw",
                    3 => "iter_hash",
                    _ => return None,
                };
                format!(
                    "multipath({},{basis},{alg},{},{arg},{})",
                    hash_fields(*fields)?,
                    u32::from(*max_link) + 1,
                    packed(*dst, *ofs_nbits)?
                )
            }
            A::Bundle(b) | A::BundleLoad(b) => {
                let alg = match b.algorithm {
                    0 => "active_backup",
                    1 => "hrw",
                    _ => return None,
                };
                // Members are ports (`NXM_OF_IN_PORT`).
                if b.slave_type != 0x0000_0002 {
                    return None;
                }
                let mut s = format!(
                    "{}({},{},{alg},ofport,",
                    if matches!(self, A::Bundle(_)) {
                        "bundle"
                    } else {
                        "bundle_load"
                    },
                    hash_fields(b.fields)?,
                    b.basis
                );
                if matches!(self, A::BundleLoad(_)) {
                    s.push_str(&packed(OxmHeader(b.dst), b.ofs_nbits)?);
                    s.push(',');
                }
                s.push_str("members:");
                for (i, m) in b.slaves.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str(&port16(*m));
                }
                s.push(')');
                s
            }
            A::RegLoad2(f) => {
                // NXAST_REG_LOAD2 prints as a set_field.
                let t = format!("{}", Action::SetField(f.clone()));
                if t.contains("->oxm(") {
                    return None;
                }
                t
            }
            // Open vSwitch takes these Nicira forms in OpenFlow 1.0 and 1.1 only (1.3 has
            // its own actions for them): it refuses them here (OFPBAC_BAD_VENDOR_TYPE).
            A::SetQueue { .. }
            | A::DecTtl
            | A::PushMpls { .. }
            | A::PopMpls { .. }
            | A::SetMplsTtl { .. }
            | A::DecMplsTtl
            | A::SetMplsLabel { .. }
            | A::SetMplsTc { .. } => return None,
        })
    }

    /// Whether [`crate::ofctl`] reads [`ovs_text`](Self::ovs_text) back as exactly this
    /// action, in a flow whose match meets the action's prerequisites. Where it does not
    /// (Open vSwitch itself writes the text as another encoding: NXAST_RESUBMIT's
    /// `resubmit:1` as NXAST_RESUBMIT_TABLE, NXAST_SET_TUNNEL's `set_tunnel:0x5` as a
    /// set-field of `tun_id`; or the parser does not read it: `bundle(...)`,
    /// `multipath(...)`), `Action`'s `Display` keeps the raw `experimenter(0x2320,data=...)`
    /// form.
    pub fn reads_back(&self) -> bool {
        use NxAction as A;
        if self.ovs_text().is_none() {
            return false;
        }
        match self {
            A::ResubmitTable { in_port, table_id } => {
                (*in_port < 0xff00 || *in_port >= 0xfff8)
                    && *in_port != 0xffff
                    && !(*in_port == 0xfff8 && *table_id == 255)
            }
            A::RegMove {
                src_field,
                dst_field,
                ..
            } => exact_name(*src_field) && exact_name(*dst_field),
            A::RegLoad { dst, .. } => exact_name(*dst),
            A::StackPush { field, .. } | A::StackPop { field, .. } => exact_name(*field),
            A::OutputReg { max_len, src, .. } => *max_len == u16::MAX && exact_name(*src),
            A::Note(_) | A::PopQueue | A::Exit | A::CtClear | A::FinTimeout { .. } => true,
            A::Conjunction { .. } => true,
            A::OutputTrunc { port, max_len } => {
                // The parser takes a port number or LOCAL (the other reserved ports cannot
                // be truncated to).
                *max_len >= 14 && (*port < 0xff00 || *port == 0xfffe)
            }
            A::DecTtlCntIds(ids) => !ids.is_empty(),
            A::Controller {
                controller_id,
                reason,
                ..
            } => !(*reason == 1 && *controller_id == 0) && *reason <= 5,
            A::Controller2(c) => {
                (c.userdata.as_ref().is_some_and(|u| !u.is_empty()) || c.pause)
                    && c.userdata.as_ref().is_none_or(|u| !u.is_empty())
                    && c.max_len != Some(u16::MAX)
                    && c.controller_id != Some(0)
                    && c.reason.is_none_or(|r| r != 1 && r <= 5)
            }
            A::Sample { probability, .. } => *probability != 0,
            A::Sample2 {
                probability,
                sampling_port,
                ..
            } => *probability != 0 && *sampling_port != u16::MAX && *sampling_port != 0xfff7,
            A::Learn(l) => learn_reads_back(l),
            A::Ct(ct) => ct_reads_back(ct),
            _ => false,
        }
    }
}

/// `nx_hash_fields` by `flow_hash_fields_to_str`'s names.
fn hash_fields(f: u16) -> Option<&'static str> {
    Some(match f {
        0 => "eth_src",
        1 => "symmetric_l4",
        2 => "symmetric_l3l4",
        3 => "symmetric_l3l4+udp",
        4 => "nw_src",
        5 => "nw_dst",
        6 => "symmetric_l3",
        _ => return None,
    })
}

/// `CONTROLLER:N` or `controller(reason=..,max_len=..,id=..,userdata=..,pause)`.
fn controller(max_len: u16, id: u16, r: u8, userdata: Option<&[u8]>, pause: bool) -> String {
    let userdata = userdata.filter(|u| !u.is_empty());
    if r == 1 && id == 0 && userdata.is_none() && !pause {
        return format!("CONTROLLER:{max_len}");
    }
    let mut parts = alloc::vec::Vec::new();
    if r != 1 {
        parts.push(format!("reason={}", reason(r)));
    }
    if max_len != u16::MAX {
        parts.push(format!("max_len={max_len}"));
    }
    if id != 0 {
        parts.push(format!("id={id}"));
    }
    if let Some(u) = userdata {
        parts.push(format!("userdata={}", hex_arg(u)));
    }
    if pause {
        parts.push("pause".into());
    }
    format!("controller({})", parts.join(","))
}

/// `nat`, `nat(src=A[-B][:P[-Q]][,persistent][,hash][,random])`, as `format_NAT`.
fn nat(n: &NxNat) -> Option<String> {
    let dir = n.flags & 3;
    if dir == 3 || n.flags & !31 != 0 {
        return None;
    }
    let has_range = n.range_ipv4_min.is_some()
        || n.range_ipv4_max.is_some()
        || n.range_ipv6_min.is_some()
        || n.range_ipv6_max.is_some()
        || n.range_proto_min.is_some()
        || n.range_proto_max.is_some();
    if dir == 0 {
        return (!has_range && n.flags == 0).then(|| "nat".into());
    }
    let mut s = String::from(if dir == 1 { "nat(src" } else { "nat(dst" });
    let pmin = n.range_proto_min.unwrap_or(0);
    let pmax = n.range_proto_max.unwrap_or(0);
    match (
        n.range_ipv4_min,
        n.range_ipv4_max,
        n.range_ipv6_min,
        n.range_ipv6_max,
    ) {
        (None, None, None, None) => {}
        (Some(lo), hi, None, None) => {
            let _ = write!(s, "={lo}");
            if let Some(hi) = hi.filter(|h| !h.is_unspecified() && *h != lo) {
                let _ = write!(s, "-{hi}");
            }
        }
        (None, None, Some(lo), hi) => {
            let v6 = |a: Ipv6Addr| {
                if pmin != 0 {
                    format!("[{a}]")
                } else {
                    format!("{a}")
                }
            };
            let _ = write!(s, "={}", v6(lo));
            if let Some(hi) = hi.filter(|h| !h.is_unspecified() && *h != lo) {
                let _ = write!(s, "-{}", v6(hi));
            }
        }
        _ => return None,
    }
    if pmin != 0 {
        if n.range_ipv4_min.is_none() && n.range_ipv6_min.is_none() {
            return None;
        }
        let _ = write!(s, ":{pmin}");
        if pmax != 0 && pmax != pmin {
            let _ = write!(s, "-{pmax}");
        }
    }
    // Open vSwitch prints the flags only after an address range (`nat(src)` for
    // `nat(src,persistent)`).
    let has_addr = n.range_ipv4_min.is_some() || n.range_ipv6_min.is_some();
    for (bit, name) in [(4, "persistent"), (8, "hash"), (16, "random")] {
        if has_addr && n.flags & bit != 0 {
            s.push(',');
            s.push_str(name);
        }
    }
    s.push(')');
    Some(s)
}

/// Whether the parser reads `nat`'s text back as `n` (ranges written as it writes them).
fn nat_reads_back(n: &NxNat) -> bool {
    let dir = n.flags & 3;
    let proper = |lo: Option<u16>, hi: Option<u16>| match (lo, hi) {
        (None, None) => true,
        (Some(lo), None) => lo != 0,
        (Some(lo), Some(hi)) => lo != 0 && hi > lo,
        (None, Some(_)) => false,
    };
    let v4 = n.range_ipv4_min.is_some() || n.range_ipv4_max.is_some();
    let v6 = n.range_ipv6_min.is_some() || n.range_ipv6_max.is_some();
    dir != 3
        && n.flags & 24 != 24
        && !(v4 && v6)
        && match (n.range_ipv4_min, n.range_ipv4_max) {
            (None, None) => v6 || (n.range_proto_min.is_none() && n.range_proto_max.is_none()),
            (Some(_), None) => true,
            (Some(lo), Some(hi)) => hi > lo,
            (None, Some(_)) => false,
        }
        && match (n.range_ipv6_min, n.range_ipv6_max) {
            (None, None) => true,
            (Some(_), None) => true,
            (Some(lo), Some(hi)) => hi > lo,
            (None, Some(_)) => false,
        }
        && (v4 || v6 || dir == 0 || n.range_proto_min.is_none())
        && (v4 || v6 || n.flags & 28 == 0)
        && proper(n.range_proto_min, n.range_proto_max)
        && (dir != 0 || n.flags == 0)
}

/// `ct(commit,force,table=N,zone=Z,nat(..),exec(..),alg=A)`, as `format_CT`.
fn ct_text(ct: &NxCt) -> Option<String> {
    if ct.flags & !3 != 0 {
        return None;
    }
    let mut s = String::from("ct(");
    if ct.flags & 1 != 0 {
        s.push_str("commit,");
    }
    if ct.flags & 2 != 0 {
        s.push_str("force,");
    }
    if ct.recirc_table != 255 {
        let _ = write!(s, "table={},", ct.recirc_table);
    }
    if ct.zone_src != 0 {
        let _ = write!(
            s,
            "zone={},",
            packed(OxmHeader(ct.zone_src), ct.zone_ofs_nbits)?
        );
    } else if ct.zone_ofs_nbits != 0 {
        let _ = write!(s, "zone={},", ct.zone_ofs_nbits);
    }
    let mut rest = &ct.actions[..];
    if let Some((Action::Nicira(NxAction::Nat(n)), tail)) = rest.split_first() {
        s.push_str(&nat(n)?);
        s.push(',');
        rest = tail;
    }
    if !rest.is_empty() {
        let _ = write!(s, "exec({:#}),", Action::display_list(rest));
    }
    match ct.alg {
        0 => {}
        21 => s.push_str("alg=ftp,"),
        69 => s.push_str("alg=tftp,"),
        a => {
            let _ = write!(s, "alg={a},");
        }
    }
    if s.ends_with(',') {
        s.pop();
    }
    s.push(')');
    Some(s)
}

fn ct_reads_back(ct: &NxCt) -> bool {
    let zone_ok = ct.zone_src == 0
        || ((ct.zone_ofs_nbits & 0x3f) == 15 && exact_name(OxmHeader(ct.zone_src)));
    let mut rest = &ct.actions[..];
    if let Some((Action::Nicira(NxAction::Nat(n)), tail)) = rest.split_first() {
        if !nat_reads_back(n) {
            return false;
        }
        rest = tail;
    }
    // `exec` holds set_field (or load) of ct_mark and ct_label only.
    let exec_ok = rest.iter().all(|a| match a {
        Action::SetField(f @ crate::oxm::OxmField::Raw(r)) => {
            crate::action::named_set_field(f)
                && r.class == crate::oxm::OFPXMC_NXM_1
                && matches!(r.field, 107 | 108)
        }
        Action::Nicira(n @ NxAction::RegLoad { dst, .. }) => {
            n.reads_back() && matches!(dst.0 >> 9, 0xeb | 0xec)
        }
        _ => false,
    });
    zone_ok && exec_ok && !(ct.flags & 2 != 0 && ct.flags & 1 == 0)
}

/// Whether the name printed for `hdr` reads back as `hdr` itself (`OXM_OF_ETH_DST` prints as
/// `NXM_OF_ETH_DST`, which the parser writes with the NXM header).
fn exact_name(hdr: OxmHeader) -> bool {
    fields::nxm_name(hdr.0)
        .and_then(|(n, _)| fields::nxm_field(n))
        .is_some_and(|(h, _)| h == hdr.0)
}

/// `learn(table=..,...,specs)`, as `learn_format`.
fn learn(l: &NxLearn) -> Option<String> {
    let mut s = format!("learn(table={}", l.table_id);
    if l.idle_timeout != 0 {
        let _ = write!(s, ",idle_timeout={}", l.idle_timeout);
    }
    if l.hard_timeout != 0 {
        let _ = write!(s, ",hard_timeout={}", l.hard_timeout);
    }
    if l.fin_idle_timeout != 0 {
        let _ = write!(s, ",fin_idle_timeout={}", l.fin_idle_timeout);
    }
    if l.fin_hard_timeout != 0 {
        let _ = write!(s, ",fin_hard_timeout={}", l.fin_hard_timeout);
    }
    if l.priority != crate::flow_mod::OFP_DEFAULT_PRIORITY {
        let _ = write!(s, ",priority={}", l.priority);
    }
    if l.flags & !3 != 0 {
        return None;
    }
    if l.flags & 1 != 0 {
        s.push_str(",send_flow_rem");
    }
    if l.flags & 2 != 0 {
        s.push_str(",delete_learned");
    }
    if l.cookie != 0 {
        let _ = write!(s, ",cookie={:#x}", l.cookie);
    }
    for spec in &l.specs {
        s.push(',');
        let n = spec.n_bits;
        match (&spec.src, spec.dst) {
            (NxLearnSrc::Immediate(v), NxLearnDst::Match { field, ofs }) => {
                // The value's bytes: n_bits rounded up to bytes, from the end.
                let k = usize::from(n).div_ceil(8);
                let bytes = v.get(v.len().checked_sub(k)?..)?;
                let (_, width) = fields::nxm_name(field.0)?;
                if ofs == 0 && n == width {
                    let d = fields::def_by_header(field.0)?;
                    s.push_str(d.names.first()?);
                    s.push('=');
                    s.push_str(&crate::action::field_value_text(d, bytes)?);
                } else {
                    s.push_str(&subfield(field, ofs, n)?);
                    s.push('=');
                    s.push_str(&put_hex(bytes));
                }
            }
            (NxLearnSrc::Field { field: sf, ofs: so }, NxLearnDst::Match { field, ofs }) => {
                s.push_str(&subfield(field, ofs, n)?);
                if *sf != field || *so != ofs {
                    s.push('=');
                    s.push_str(&subfield(*sf, *so, n)?);
                }
            }
            (NxLearnSrc::Immediate(v), NxLearnDst::Load { field, ofs }) => {
                let k = usize::from(n).div_ceil(8);
                let bytes = v.get(v.len().checked_sub(k)?..)?;
                let _ = write!(s, "load:{}->{}", put_hex(bytes), subfield(field, ofs, n)?);
            }
            (NxLearnSrc::Field { field: sf, ofs: so }, NxLearnDst::Load { field, ofs }) => {
                let _ = write!(
                    s,
                    "load:{}->{}",
                    subfield(*sf, *so, n)?,
                    subfield(field, ofs, n)?
                );
            }
            (NxLearnSrc::Field { field, ofs }, NxLearnDst::Output) => {
                let _ = write!(s, "output:{}", subfield(*field, *ofs, n)?);
            }
            (NxLearnSrc::Immediate(_), NxLearnDst::Output) => return None,
        }
    }
    s.push(')');
    Some(s)
}

/// A learn action reads back when its specs use the forms the parser writes: fields
/// matched or loaded by subfield, immediates loaded (not matched: the parser reads a
/// matched immediate by the field's own notation, which not every field has here).
fn learn_reads_back(l: &NxLearn) -> bool {
    l.table_id != 255
        && l.specs.iter().all(|s| match (&s.src, s.dst) {
            (NxLearnSrc::Immediate(v), NxLearnDst::Load { .. }) => immediate_fits(v, s.n_bits),
            (NxLearnSrc::Immediate(v), NxLearnDst::Match { field, ofs }) => {
                immediate_fits(v, s.n_bits)
                    && fields::nxm_name(field.0).is_some_and(|(_, width)| {
                        if ofs == 0 && s.n_bits == width {
                            // Printed as `name=value`: the parser writes the name's NXM
                            // header (or OXM, for the fields without one).
                            fields::def_by_header(field.0).is_some_and(|d| {
                                crate::ofctl::actions::nxm_header(d) == Some(field.0)
                                    && fields::field(d.names.first().copied().unwrap_or(""))
                                        .is_some_and(|x| core::ptr::eq(x, d))
                            })
                        } else {
                            true
                        }
                    })
            }
            (NxLearnSrc::Immediate(_), _) => false,
            _ => true,
        } && spec_names_exact(s))
}

/// The spec's fields print under names that read back as their own headers.
fn spec_names_exact(s: &super::NxFlowSpec) -> bool {
    let src = match &s.src {
        NxLearnSrc::Field { field, .. } => exact_name(*field),
        NxLearnSrc::Immediate(_) => true,
    };
    let dst = match s.dst {
        NxLearnDst::Match { field, .. } | NxLearnDst::Load { field, .. } => exact_name(field),
        NxLearnDst::Output => true,
    };
    src && dst
}

/// An immediate the parser writes for its printed value: no bit set above `n_bits`.
fn immediate_fits(v: &[u8], n_bits: u16) -> bool {
    let total = v.len() * 8;
    let n = usize::from(n_bits);
    (0..total.saturating_sub(n)).all(|bit| {
        // Bits counted from the most significant end of the immediate.
        v.get(bit / 8).is_some_and(|b| b & (0x80 >> (bit % 8)) == 0)
    })
}
