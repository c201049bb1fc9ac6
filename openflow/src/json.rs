//! JSON in the shape of Ryu/os-ken's `to_jsondict()`, and parsing from it (feature `serde`).
//!
//! [`Message::to_jsondict`] renders a message the way os-ken's `msg.to_jsondict()` does:
//! `{"OFPFlowMod": {"buffer_id": .., "match": {"OFPMatch": {"length": .., "oxm_fields":
//! [{"OXMTlv": {"field": "in_port", "mask": null, "value": 1}}], "type": 1}}, "instructions":
//! [{"OFPInstructionActions": {"actions": [...], "len": .., "type": 4}}], ...}}`: one object per
//! os-ken class, keyed by the class name, with os-ken's attribute names; the `len`/`length`
//! fields os-ken shows; MAC addresses as `"0a:1b:.."`, IPv4 and IPv6 addresses as text (IPv6
//! in glibc's `inet_ntop` notation, which os-ken's netaddr uses); bytes in base64; OXM fields by
//! os-ken's names, including its Nicira (`reg0`, `ct_state`, `tun_ipv4_src`, ...) and ONF
//! (`pbb_uca`, `tcp_flags`) fields. Nicira actions are decoded into os-ken's `NXAction*`
//! classes (`NXActionRegLoad`, `NXActionLearn`, `NXActionCT`, ... see [`NX_ACTIONS`]), the
//! ONF flow monitor request into `ONFFlowMonitorStatsRequest`.
//!
//! [`Message::from_jsondict`] is the inverse: it reads that JSON (os-ken's, or ours) back into
//! a [`Message`]. Lengths (`len`, `length`, `actions_len`, `match_len`) are computed on encode,
//! so they may be left out (as os-ken's own JSON test does), and are not checked. The class
//! name decides the kind of action, instruction, band or property, so their `type` (and an NX
//! action's `subtype`) may be left out too, but must agree when present; the `type` of an
//! `OFPInstructionActions` (write, apply or clear), of a table feature property and of the
//! `*Unknown` classes is needed. Every other attribute is required; unknown attributes are
//! ignored. Errors name the JSON path (`$.OFPFlowMod.match.OFPMatch.oxm_fields[1].OXMTlv.value`).
//!
//! # Lossless
//! `Message::from_jsondict(&m.to_jsondict(), m.xid)` gives back `m` for every message the
//! codec parses. Where os-ken's JSON would lose bytes, the JSON keeps them, in os-ken's shape
//! where it has one and with the smallest extension otherwise:
//! - a Nicira action whose bytes os-ken's class would not give back exactly (non-zero
//!   padding, a subtype os-ken does not decode, an NXM header with a mask bit, ...) is an
//!   `NXActionUnknown` (`subtype` and base64 `data`), as os-ken renders unknown subtypes;
//! - an OXM TLV os-ken cannot name, or whose length does not fit its type, is
//!   `{"field": "field_<class << 7 | field>", "value": <base64>, "mask": <base64 or null>}`,
//!   os-ken's notation for unknown fields (for an experimenter class, `value` starts with the
//!   experimenter id);
//! - things os-ken drops or cannot decode get a class of their own: `OFPHelloElemUnknown`,
//!   `OFPActionUnknown`, `OFPInstructionExperimenter`, `OFPInstructionUnknown`,
//!   `OFPMeterBandUnknown`, `OFPQueuePropUnknown`, `OFPUnknownStatsRequest`/`Reply` and
//!   `OFPUnknownMessage` (each with `type`, lengths and base64 `data`);
//!   `OFPTableFeaturePropUnknown` is os-ken's own;
//! - extra keys appear only when the value is not the one os-ken's shape implies: `reserved`
//!   in `OFPSwitchFeatures` when non-zero, `data` in `OFPMeterBandExperimenter`,
//!   `OFPInstructionId` and `OFPActionId` when non-empty;
//! - strings os-ken decodes (port, table and description names) that are not UTF-8 (ASCII for
//!   the descriptions) are arrays of byte values; a table feature experimenter property whose
//!   data is not a whole number of 32-bit words has base64 `data` instead of os-ken's list;
//!   an integer over 64 bits (a 128-bit `ct_label` or `xxreg`) is a decimal string;
//! - the version bitmap of a hello lists bit 31 of each word too (os-ken skips it).
//!
//! An OFPT_PACKET_OUT's `data` may also be os-ken's packet library JSON
//! (`{"Packet": {"protocols": [{"ethernet": {..}}, {"ipv4": {..}}, ..]}}`) in `from_jsondict`;
//! the layers are read with the `packet` crate's serde support and serialized.
//!
//! Experimenter messages (OFPT_EXPERIMENTER) stay `OFPExperimenter` with base64 data: the ONF
//! bundle and Nicira packet-in2/set-packet-in-format messages os-ken decodes are not decoded.
//!
//! [`Match`], [`OxmField`], [`Action`] and [`Instruction`] have `to_jsondict`/`from_jsondict`
//! of their own.
//!
//! [`Message::ryu_str`] prints a message as os-ken prints `str(msg)` (Ryu's notation), from the
//! same tree; [`python_str`] prints any part of a tree (`{"OFPMatch": {..}}`) so.
//!
//! ```
//! use sdnwire_openflow::action::Action;
//! use sdnwire_openflow::flow_mod::FlowMod;
//! use sdnwire_openflow::oxm::Match;
//! use sdnwire_openflow::{Body, Encode, Message};
//!
//! let fm = FlowMod::add()
//!     .priority(123)
//!     .matching(Match::new().in_port(1u32))
//!     .apply_actions([Action::output(2u32)]);
//! let m = Message::new(7, Body::FlowMod(fm));
//! let j = m.to_jsondict();
//! assert_eq!(j["OFPFlowMod"]["priority"], 123);
//! assert_eq!(
//!     j["OFPFlowMod"]["match"]["OFPMatch"]["oxm_fields"][0],
//!     serde_json::json!({"OXMTlv": {"field": "in_port", "mask": null, "value": 1}})
//! );
//! assert_eq!(
//!     j["OFPFlowMod"]["instructions"][0]["OFPInstructionActions"]["actions"][0],
//!     serde_json::json!({"OFPActionOutput": {"len": 16, "max_len": 65535, "port": 2, "type": 0}})
//! );
//! // And back, with the xid os-ken's JSON does not carry.
//! let back = Message::from_jsondict(&j, 7).unwrap();
//! assert_eq!(back.to_vec().unwrap(), m.to_vec().unwrap());
//! ```

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use core::fmt::{self, Write as _};
use core::net::{Ipv4Addr, Ipv6Addr};

use sdnwire_packet::MacAddr;
use serde_json::{Map, Value};

use crate::action::{Action, ActionType};
use crate::async_config::AsyncConfig;
use crate::codec::WireWrite;
use crate::error_message::{ErrorMsg, ErrorType};
use crate::features::{Capabilities, DatapathId, SwitchFeatures};
use crate::flow_mod::{FlowMod, FlowModCommand, FlowModFlags};
use crate::flow_removed::{FlowRemoved, FlowRemovedReason};
use crate::group_mod::{Bucket, GroupMod, GroupModCommand, GroupType};
use crate::header::{Header, MsgType};
use crate::hello::{Hello, HelloElement};
use crate::instruction::{Instruction, InstructionType};
use crate::message::{Body, Message};
use crate::meter_mod::{MeterBand, MeterBandType, MeterFlags, MeterMod, MeterModCommand};
use crate::multipart::{
    AggregateStats, BucketCounter, Desc, ExperimenterMultipart, FlowStats, FlowStatsRequest,
    GroupCapabilities, GroupDesc, GroupFeatures, GroupStats, MeterBandStats, MeterConfig,
    MeterFeatures, MeterStats, MultipartFlags, MultipartReply, MultipartReplyBody,
    MultipartRequest, MultipartRequestBody, MultipartType, PortStats, QueueStats, TableStats,
};
use crate::oxm::{Match, OxmField, OxmHeader, RawOxm, OFPMT_OXM, OFPXMC_EXPERIMENTER};
use crate::packet_in::{PacketIn, PacketInReason};
use crate::packet_out::PacketOut;
use crate::port::{Port, PortConfig, PortFeatures, PortMod, PortReason, PortState, PortStatus};
use crate::queue::{PacketQueue, QueueGetConfigReply, QueueGetConfigRequest, QueueProp};
use crate::role::{ControllerRole, Role};
use crate::simple::{
    BarrierReply, BarrierRequest, Echo, Experimenter, FeaturesRequest, GetAsyncRequest,
    GetConfigRequest,
};
use crate::switch_config::{ConfigFlags, SwitchConfig};
use crate::table_features::{
    ActionId, InstructionId, OxmId, TableFeatureProp, TableFeaturePropType, TableFeatures,
};
use crate::table_mod::{TableConfig, TableMod};
use crate::types::{BufferId, GroupId, MeterId, PortNo, TableId};

/// Why a JSON value could not be read as a message: where, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// The JSON path of the offending value (`$.OFPFlowMod.match.OFPMatch.oxm_fields[0]`).
    pub path: String,
    /// What was expected or found.
    pub reason: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

impl core::error::Error for JsonError {}

type R<T> = core::result::Result<T, JsonError>;

/// A JSON path, built on the stack while descending and rendered only for an error.
#[derive(Clone, Copy)]
struct P<'a> {
    up: Option<&'a P<'a>>,
    seg: Seg<'a>,
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Root,
    Key(&'a str),
    Idx(usize),
}

impl<'a> P<'a> {
    const ROOT: P<'static> = P {
        up: None,
        seg: Seg::Root,
    };

    fn k<'b>(&'b self, key: &'b str) -> P<'b> {
        P {
            up: Some(self),
            seg: Seg::Key(key),
        }
    }

    fn i(&self, i: usize) -> P<'_> {
        P {
            up: Some(self),
            seg: Seg::Idx(i),
        }
    }

    fn render(&self, out: &mut String) {
        if let Some(up) = self.up {
            up.render(out);
        }
        match self.seg {
            Seg::Root => out.push('$'),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Idx(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }

    fn err(&self, reason: impl Into<String>) -> JsonError {
        let mut path = String::new();
        self.render(&mut path);
        JsonError {
            path,
            reason: reason.into(),
        }
    }
}

/// An os-ken class object: `{"ClassName": {attributes}}`.
fn class_of<'v>(v: &'v Value, p: &P<'_>) -> R<(&'v str, &'v Map<String, Value>)> {
    let o = v
        .as_object()
        .ok_or_else(|| p.err("expected an object {\"ClassName\": {...}}"))?;
    let mut it = o.iter();
    match (it.next(), it.next()) {
        (Some((k, Value::Object(m))), None) => Ok((k.as_str(), m)),
        _ => Err(p.err("expected an object with one key, a class name, holding an object")),
    }
}

/// The attributes of a class object, with their path.
struct O<'v, 'p> {
    m: &'v Map<String, Value>,
    p: P<'p>,
}

fn uint_of(v: &Value) -> Option<u64> {
    v.as_u64()
}

impl<'v> O<'v, '_> {
    fn get(&self, key: &str) -> R<&'v Value> {
        self.m
            .get(key)
            .ok_or_else(|| self.p.err(format!("missing attribute \"{key}\"")))
    }

    fn opt(&self, key: &str) -> Option<&'v Value> {
        self.m.get(key).filter(|v| !v.is_null())
    }

    fn num<T: TryFrom<u64>>(&self, key: &str) -> R<T> {
        num(self.get(key)?, &self.p.k(key))
    }

    fn u8(&self, key: &str) -> R<u8> {
        self.num(key)
    }

    fn u16(&self, key: &str) -> R<u16> {
        self.num(key)
    }

    fn u32(&self, key: &str) -> R<u32> {
        self.num(key)
    }

    fn u64(&self, key: &str) -> R<u64> {
        self.num(key)
    }

    fn bytes(&self, key: &str) -> R<Vec<u8>> {
        bytes(self.get(key)?, &self.p.k(key))
    }

    fn list(&self, key: &str) -> R<&'v Vec<Value>> {
        self.get(key)?
            .as_array()
            .ok_or_else(|| self.p.k(key).err("expected an array"))
    }

    fn str(&self, key: &str) -> R<&'v str> {
        self.get(key)?
            .as_str()
            .ok_or_else(|| self.p.k(key).err("expected a string"))
    }

    /// Checks an optional `type`-like attribute against the value the class implies.
    fn check(&self, key: &str, expected: u64) -> R<()> {
        match self.opt(key) {
            None => Ok(()),
            Some(v) if uint_of(v) == Some(expected) => Ok(()),
            Some(_) => Err(self
                .p
                .k(key)
                .err(format!("expected {expected} for this class"))),
        }
    }
}

fn num<T: TryFrom<u64>>(v: &Value, p: &P<'_>) -> R<T> {
    uint_of(v).and_then(|n| T::try_from(n).ok()).ok_or_else(|| {
        p.err(format!(
            "expected an unsigned integer of at most {} bits",
            8 * core::mem::size_of::<T>()
        ))
    })
}

fn u32_list(v: &Value, p: &P<'_>) -> R<Vec<u32>> {
    let a = v.as_array().ok_or_else(|| p.err("expected an array"))?;
    a.iter().enumerate().map(|(i, x)| num(x, &p.i(i))).collect()
}

/// Bytes: base64 (os-ken's encoding of `bytes` attributes) or, leniently, an array of byte
/// values.
fn bytes(v: &Value, p: &P<'_>) -> R<Vec<u8>> {
    match v {
        Value::String(s) => b64_decode(s).ok_or_else(|| p.err("invalid base64")),
        Value::Array(a) => a.iter().enumerate().map(|(i, x)| num(x, &p.i(i))).collect(),
        _ => Err(p.err("expected base64 bytes")),
    }
}

/// `{"ClassName": {fields}}`.
fn cls<const N: usize>(name: &str, fields: [(&str, Value); N]) -> Value {
    let mut m = Map::new();
    for (k, v) in fields {
        m.insert(k.to_owned(), v);
    }
    let mut outer = Map::new();
    outer.insert(name.to_owned(), Value::Object(m));
    Value::Object(outer)
}

/// Adds an attribute to a class object made by [`cls`].
fn add(v: &mut Value, key: &str, val: Value) {
    if let Some(m) = v
        .as_object_mut()
        .and_then(|o| o.values_mut().next())
        .and_then(Value::as_object_mut)
    {
        m.insert(key.to_owned(), val);
    }
}

fn n(x: impl Into<u64>) -> Value {
    Value::from(x.into())
}

fn nu(x: usize) -> Value {
    Value::from(u64::try_from(x).unwrap_or(u64::MAX))
}

fn b64v(b: &[u8]) -> Value {
    Value::String(b64_encode(b))
}

fn list<T>(items: &[T], f: impl Fn(&T) -> Value) -> Value {
    Value::Array(items.iter().map(f).collect())
}

fn from_list<T>(o: &O<'_, '_>, key: &str, f: impl Fn(&Value, &P<'_>) -> R<T>) -> R<Vec<T>> {
    let p = o.p.k(key);
    o.list(key)?
        .iter()
        .enumerate()
        .map(|(i, v)| f(v, &p.i(i)))
        .collect()
}

fn bytes_list(b: &[u8]) -> Value {
    Value::Array(b.iter().map(|&x| n(x)).collect())
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, as Python's `base64.b64encode`.
fn b64_encode(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len().div_ceil(3) * 4);
    for c in b.chunks(3) {
        let v = c
            .iter()
            .enumerate()
            .fold(0u32, |a, (i, &x)| a | u32::from(x) << (16 - 8 * i));
        for i in 0..4 {
            if i <= c.len() {
                let idx = usize::try_from((v >> (18 - 6 * i)) & 63).unwrap_or(0);
                s.push(char::from(B64.get(idx).copied().unwrap_or(b'A')));
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// Standard base64; padding optional, no whitespace.
fn b64_decode(s: &str) -> Option<Vec<u8>> {
    let t = s.trim_end_matches('=');
    if s.len() - t.len() > 2 || t.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(t.len() / 4 * 3 + 2);
    let mut acc = 0u32;
    let mut bits = 0;
    for ch in t.bytes() {
        let v = match ch {
            b'A'..=b'Z' => ch - b'A',
            b'a'..=b'z' => ch - b'a' + 26,
            b'0'..=b'9' => ch - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).unwrap_or(0));
        }
    }
    Some(out)
}

fn mac_text(m: &MacAddr) -> Value {
    let [o0, o1, o2, o3, o4, o5] = m.octets();
    Value::String(format!(
        "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        o0, o1, o2, o3, o4, o5
    ))
}

fn mac_of(v: &Value, p: &P<'_>) -> R<MacAddr> {
    v.as_str()
        .and_then(|s| s.parse::<MacAddr>().ok())
        .ok_or_else(|| p.err("expected a MAC address \"xx:xx:xx:xx:xx:xx\""))
}

fn ipv4_text(a: Ipv4Addr) -> Value {
    Value::String(a.to_string())
}

/// IPv6 text as glibc's `inet_ntop` writes it (os-ken goes through netaddr, which uses it):
/// the longest run of two or more zero words (the first of equal runs) becomes `::`, and an
/// address whose first 96 bits are zero (beyond `::1`-like values up to `::ffff`) or an
/// IPv4-mapped address ends in dotted decimal.
fn ipv6_string(a: &Ipv6Addr) -> String {
    let w = a.segments();
    let mut run: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < 8 {
        if w.get(i) == Some(&0) {
            let start = i;
            while w.get(i) == Some(&0) {
                i += 1;
            }
            let len = i - start;
            if len >= 2 && run.is_none_or(|(_, l)| len > l) {
                run = Some((start, len));
            }
        } else {
            i += 1;
        }
    }
    let dotted = match run {
        Some((0, 6)) => true,
        Some((0, 5)) => w.get(5) == Some(&0xffff),
        _ => false,
    };
    let mut s = String::new();
    let mut i = 0;
    while i < 8 {
        if let Some((b, l)) = run {
            if i == b {
                s.push_str("::");
                i += l;
                continue;
            }
        }
        let after_run = run.is_some_and(|(b, l)| i == b + l);
        if i != 0 && !after_run {
            s.push(':');
        }
        if dotted && i == 6 {
            let [.., x, y, z, t] = a.octets();
            let _ = write!(s, "{x}.{y}.{z}.{t}");
            break;
        }
        let _ = write!(s, "{:x}", w.get(i).copied().unwrap_or(0));
        i += 1;
    }
    s
}

fn ipv6_text(a: &Ipv6Addr) -> Value {
    Value::String(ipv6_string(a))
}

fn ipv4_of(v: &Value, p: &P<'_>) -> R<Ipv4Addr> {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| p.err("expected an IPv4 address"))
}

fn ipv6_of(v: &Value, p: &P<'_>) -> R<Ipv6Addr> {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| p.err("expected an IPv6 address"))
}

/// A fixed-size name field: NULs at the end stripped (as os-ken's `rstrip(b'\0')`), then UTF-8
/// (`ascii` for os-ken's ASCII-typed strings) text, or an array of byte values when it is not.
fn name_text(b: &[u8], ascii: bool) -> Value {
    let end = b.iter().rposition(|&x| x != 0).map_or(0, |i| i + 1);
    let t = b.get(..end).unwrap_or(&[]);
    match core::str::from_utf8(t) {
        Ok(s) if !ascii || s.is_ascii() => Value::String(s.to_owned()),
        _ => bytes_list(t),
    }
}

/// The inverse of [`name_text`], zero-padded to `N` bytes.
fn name_of<const N: usize>(v: &Value, p: &P<'_>) -> R<[u8; N]> {
    let b: Vec<u8> = match v {
        Value::String(s) => s.as_bytes().to_vec(),
        Value::Array(_) => bytes(v, p)?,
        _ => return Err(p.err("expected a string")),
    };
    let mut out = [0u8; N];
    if b.len() > N {
        return Err(p.err(format!("longer than {N} bytes")));
    }
    for (o, x) in out.iter_mut().zip(b) {
        *o = x;
    }
    Ok(out)
}

mod table;

mod action;
mod instruction;
mod message;
mod multipart;
mod nicira;
mod oxm;
mod port;
mod ryu;
mod table_features;

pub use crate::nicira::NX_ACTIONS;
use crate::nicira::{experimenter_action, Cur, NX_EXPERIMENTER_ID};
use action::*;
use instruction::*;
use message::*;
use multipart::*;
use nicira::*;
use oxm::*;
use port::*;
pub use ryu::python_str;
use table::{
    attr_fns, attr_newtype, json_attrs, json_struct, Attr, Bytes, DescStr, JsonClass, Mac, Name,
};
use table_features::*;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

impl Message {
    /// The message as os-ken's `to_jsondict()` renders it (see the [module](self) docs). The
    /// xid is not part of it, as in os-ken.
    pub fn to_jsondict(&self) -> Value {
        body_to(&self.body)
    }

    /// Reads a message from os-ken's `to_jsondict()` shape (see the [module](self) docs), with
    /// the transaction id `xid` (os-ken's JSON does not carry one; an `xid` attribute is
    /// ignored).
    pub fn from_jsondict(v: &Value, xid: u32) -> Result<Message, JsonError> {
        Ok(Message {
            xid,
            body: body_from(v, &P::ROOT)?,
        })
    }
}

/// `Serialize` through `to_jsondict()`, `Deserialize` through `from_jsondict()`: one JSON
/// shape for both.
macro_rules! serde_via_jsondict {
    ($t:ty, |$v:ident| $from:expr) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&self.to_jsondict(), s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                let $v = <Value as serde::Deserialize>::deserialize(d)?;
                $from.map_err(serde::de::Error::custom)
            }
        }
    };
}

serde_via_jsondict!(Message, |v| Message::from_jsondict(&v, 0));

/// `to_jsondict`/`from_jsondict` for a type, and serde through them.
macro_rules! jsondict {
    ($($(#[$doc:meta])* $t:ty => $to:expr, $from:expr;)*) => {$(
        $(#[$doc])*
        impl $t {
            /// The value in os-ken's `to_jsondict()` shape (see the [module](self) docs); its
            /// `Serialize` writes the same JSON.
            pub fn to_jsondict(&self) -> Value {
                ($to)(self)
            }

            /// Reads the value from os-ken's `to_jsondict()` shape (see the [module](self)
            /// docs); its `Deserialize` reads the same JSON.
            pub fn from_jsondict(v: &Value) -> Result<$t, JsonError> {
                ($from)(v, &P::ROOT)
            }
        }

        serde_via_jsondict!($t, |v| <$t>::from_jsondict(&v));
    )*};
}

/// A body of `Body::$variant`, read through [`body_from`].
macro_rules! body_part {
    ($variant:ident, $what:literal) => {
        |v: &Value, p: &P<'_>| match body_from(v, p)? {
            Body::$variant(x) => Ok(x),
            _ => Err(p.err(concat!("expected ", $what))),
        }
    };
}

/// A body-less message type, read through [`body_from`].
macro_rules! unit_body {
    ($t:ident, $class:literal) => {
        (
            |_: &$t| cls($class, []),
            |v: &Value, p: &P<'_>| match body_from(v, p)? {
                Body::$t => Ok($t),
                _ => Err(p.err(concat!("expected ", $class))),
            },
        )
    };
}

/// The attributes of a one-class object (`{"OFPSetConfig": {..}}` gives `{..}`).
fn attrs(v: Value) -> Value {
    match v {
        Value::Object(m) if m.len() == 1 => m.into_iter().next().map_or(Value::Null, |(_, a)| a),
        other => other,
    }
}

/// Reads a body shared by two message types: `{"<one of classes>": {..}}`, or the bare
/// attributes, read as the first class.
fn shared_body<T>(
    v: &Value,
    p: &P<'_>,
    classes: [&str; 2],
    pick: impl Fn(Body) -> Option<T>,
) -> R<T> {
    let wrapped;
    let v = match v.as_object() {
        Some(m) if m.len() == 1 && m.keys().all(|k| classes.contains(&k.as_str())) => v,
        _ => {
            let mut m = Map::new();
            m.insert(classes[0].to_owned(), v.clone());
            wrapped = Value::Object(m);
            &wrapped
        }
    };
    pick(body_from(v, p)?)
        .ok_or_else(|| p.err(format!("expected {} or {}", classes[0], classes[1])))
}

fn header_to(h: &Header) -> Value {
    let mut m = Map::new();
    m.insert("msg_len".to_owned(), n(h.length));
    m.insert("msg_type".to_owned(), n(h.msg_type.0));
    m.insert("version".to_owned(), n(h.version));
    m.insert("xid".to_owned(), n(h.xid));
    Value::Object(m)
}

fn header_from(v: &Value, p: &P<'_>) -> R<Header> {
    let m = v.as_object().ok_or_else(|| p.err("expected an object"))?;
    let o = O { m, p: *p };
    Ok(Header {
        version: o.u8("version")?,
        msg_type: MsgType(o.u8("msg_type")?),
        length: o.u16("msg_len")?,
        xid: o.u32("xid")?,
    })
}

jsondict! {
    Body => body_to, body_from;
    Hello => hello_to, body_part!(Hello, "OFPHello");
    ErrorMsg => error_to, body_part!(Error, "OFPErrorMsg");
    Experimenter => experimenter_to, body_part!(Experimenter, "OFPExperimenter");
    SwitchFeatures => switch_features_to, body_part!(FeaturesReply, "OFPSwitchFeatures");
    PacketIn => packet_in_to, body_part!(PacketIn, "OFPPacketIn");
    FlowRemoved => flow_removed_to, body_part!(FlowRemoved, "OFPFlowRemoved");
    PortStatus => port_status_to, body_part!(PortStatus, "OFPPortStatus");
    PacketOut => packet_out_to, body_part!(PacketOut, "OFPPacketOut");
    FlowMod => flow_mod_to, body_part!(FlowMod, "OFPFlowMod");
    GroupMod => group_mod_to, body_part!(GroupMod, "OFPGroupMod");
    PortMod => port_mod_to, body_part!(PortMod, "OFPPortMod");
    TableMod => table_mod_to, body_part!(TableMod, "OFPTableMod");
    MultipartRequest => mp_request_to, body_part!(MultipartRequest, "a multipart request class");
    MultipartReply => mp_reply_to, body_part!(MultipartReply, "a multipart reply class");
    QueueGetConfigRequest => queue_get_config_request_to,
        body_part!(QueueGetConfigRequest, "OFPQueueGetConfigRequest");
    QueueGetConfigReply => queue_get_config_reply_to,
        body_part!(QueueGetConfigReply, "OFPQueueGetConfigReply");
    MeterMod => meter_mod_to, body_part!(MeterMod, "OFPMeterMod");
    FeaturesRequest => unit_body!(FeaturesRequest, "OFPFeaturesRequest").0,
        unit_body!(FeaturesRequest, "OFPFeaturesRequest").1;
    GetConfigRequest => unit_body!(GetConfigRequest, "OFPGetConfigRequest").0,
        unit_body!(GetConfigRequest, "OFPGetConfigRequest").1;
    BarrierRequest => unit_body!(BarrierRequest, "OFPBarrierRequest").0,
        unit_body!(BarrierRequest, "OFPBarrierRequest").1;
    BarrierReply => unit_body!(BarrierReply, "OFPBarrierReply").0,
        unit_body!(BarrierReply, "OFPBarrierReply").1;
    GetAsyncRequest => unit_body!(GetAsyncRequest, "OFPGetAsyncRequest").0,
        unit_body!(GetAsyncRequest, "OFPGetAsyncRequest").1;
    /// The body of OFPT_ECHO_REQUEST and OFPT_ECHO_REPLY: alone, its JSON is the attributes of
    /// os-ken's class (`{"data": ".."}`); `from_jsondict` also reads either class.
    Echo => |e: &Echo| attrs(body_to(&Body::EchoRequest(e.clone()))),
        |v: &Value, p: &P<'_>| shared_body(v, p, ["OFPEchoRequest", "OFPEchoReply"], |b| match b {
            Body::EchoRequest(e) | Body::EchoReply(e) => Some(e),
            _ => None,
        });
    /// The body of OFPT_GET_CONFIG_REPLY and OFPT_SET_CONFIG: alone, its JSON is the attributes
    /// of os-ken's class (`{"flags": .., "miss_send_len": ..}`); `from_jsondict` also reads
    /// either class.
    SwitchConfig => |c: &SwitchConfig| attrs(config_to("OFPSetConfig", c)),
        |v: &Value, p: &P<'_>| shared_body(v, p, ["OFPSetConfig", "OFPGetConfigReply"], |b| match b {
            Body::SetConfig(c) | Body::GetConfigReply(c) => Some(c),
            _ => None,
        });
    /// The body of OFPT_ROLE_REQUEST and OFPT_ROLE_REPLY: alone, its JSON is the attributes of
    /// os-ken's class (`{"generation_id": .., "role": ..}`); `from_jsondict` also reads either
    /// class.
    Role => |r: &Role| attrs(role_to("OFPRoleRequest", r)),
        |v: &Value, p: &P<'_>| shared_body(v, p, ["OFPRoleRequest", "OFPRoleReply"], |b| match b {
            Body::RoleRequest(r) | Body::RoleReply(r) => Some(r),
            _ => None,
        });
    /// The body of OFPT_GET_ASYNC_REPLY and OFPT_SET_ASYNC: alone, its JSON is the attributes
    /// of os-ken's class; `from_jsondict` also reads either class.
    AsyncConfig => |a: &AsyncConfig| attrs(async_to("OFPSetAsync", a)),
        |v: &Value, p: &P<'_>| shared_body(v, p, ["OFPSetAsync", "OFPGetAsyncReply"], |b| match b {
            Body::SetAsync(a) | Body::GetAsyncReply(a) => Some(a),
            _ => None,
        });
    /// os-ken keeps the header in the attributes every message class has (`version`,
    /// `msg_type`, `msg_len`, `xid`) and leaves them out of `to_jsondict()`; alone, a header is
    /// `{"msg_len": .., "msg_type": .., "version": .., "xid": ..}`.
    Header => header_to, header_from;
    /// `{"OFPMatch": {"length": .., "oxm_fields": [..], "type": 1}}`, as os-ken renders it.
    Match => match_to, match_from;
    /// `{"OXMTlv": {"field": "eth_dst", "mask": null, "value": "0a:1b:2c:3d:4e:5f"}}`, with
    /// os-ken's field names and value notation.
    OxmField => oxm_to, oxm_from;
    /// An OXM TLV kept raw: `{"OXMTlv": {"field": "field_<class << 7 | field>", ..}}`, os-ken's
    /// notation for fields it cannot name (see [`OxmField::Raw`]).
    RawOxm => |r: &RawOxm| oxm_to(&OxmField::Raw(r.clone())),
        |v: &Value, p: &P<'_>| match oxm_from(v, p)? {
            OxmField::Raw(r) => Ok(r),
            _ => Err(p.err("expected a TLV os-ken cannot name (a known field reads as OxmField)")),
        };
    /// `{"OFPActionOutput": {"len": 16, "max_len": 65535, "port": 1, "type": 0}}`, and os-ken's
    /// `NXAction*` classes for the Nicira actions of [`NX_ACTIONS`].
    Action => action_to, action_from;
    /// `{"OFPInstructionActions": {"actions": [..], "len": .., "type": 4}}` and the like.
    Instruction => instruction_to, instruction_from;
    /// `{"OFPBucket": {..}}`.
    Bucket => bucket_to, bucket_from;
    /// `{"OFPMeterBandDrop": {..}}` and the other band classes.
    MeterBand => band_to, band_from;
    /// `{"OFPHelloElemVersionBitmap": {..}}` (or `OFPHelloElemUnknown`).
    HelloElement => hello_elem_to, hello_elem_from;
    /// `{"OFPPort": {..}}`.
    Port => port_to, port_from;
    /// `{"OFPQueuePropMinRate": {..}}` and the other property classes.
    QueueProp => queue_prop_to, queue_prop_from;
    /// `{"OFPPacketQueue": {..}}`.
    PacketQueue => queue_to, queue_from;
    /// `{"OFPOxmId": {..}}` (or `OFPExperimenterOxmId`).
    OxmId => oxm_id_to, oxm_id_from;
    /// `{"OFPInstructionId": {..}}`.
    InstructionId => instruction_id_to, instruction_id_from;
    /// `{"OFPActionId": {..}}`.
    ActionId => action_id_to, action_id_from;
    /// `{"OFPTableFeaturePropInstructions": {..}}` and the other property classes.
    TableFeatureProp => table_prop_to, table_prop_from;
    /// `{"OFPTableFeaturesStats": {..}}`.
    TableFeatures => table_features_to, table_features_from;
    /// `{"OFPFlowStats": {..}}`.
    FlowStats => flow_stats_to, flow_stats_from;
    /// `{"OFPAggregateStats": {..}}`.
    AggregateStats => aggregate_stats_to, aggregate_stats_from;
    /// `{"OFPDescStats": {..}}`.
    Desc => desc_to, desc_from;
    /// `{"OFPTableStats": {..}}`.
    TableStats => table_stats_to, table_stats_from;
    /// `{"OFPPortStats": {..}}`.
    PortStats => port_stats_to, port_stats_from;
    /// `{"OFPQueueStats": {..}}`.
    QueueStats => queue_stats_to, queue_stats_from;
    /// `{"OFPBucketCounter": {..}}`.
    BucketCounter => bucket_counter_to, bucket_counter_from;
    /// `{"OFPGroupStats": {..}}`.
    GroupStats => group_stats_to, group_stats_from;
    /// `{"OFPGroupDescStats": {..}}`.
    GroupDesc => group_desc_to, group_desc_from;
    /// `{"OFPGroupFeaturesStats": {..}}`.
    GroupFeatures => group_features_to, group_features_from;
    /// `{"OFPMeterBandStats": {..}}`.
    MeterBandStats => meter_band_stats_to, meter_band_stats_from;
    /// `{"OFPMeterStats": {..}}`.
    MeterStats => meter_stats_to, meter_stats_from;
    /// `{"OFPMeterConfigStats": {..}}`.
    MeterConfig => meter_config_to, meter_config_from;
    /// `{"OFPMeterFeaturesStats": {..}}`.
    MeterFeatures => meter_features_to, meter_features_from;
    /// `{"OFPExperimenterMultipart": {..}}`.
    ExperimenterMultipart => experimenter_multipart_to, experimenter_multipart_from;
    /// The match part of os-ken's `OFPFlowStatsRequest`/`OFPAggregateStatsRequest`: alone, the
    /// attributes `cookie`, `cookie_mask`, `match`, `out_group`, `out_port`, `table_id`.
    FlowStatsRequest => |r: &FlowStatsRequest| {
            let mut v = cls("OFPFlowStatsRequest", []);
            flow_stats_request_fields(&mut v, r);
            attrs(v)
        },
        |v: &Value, p: &P<'_>| {
            let m = v.as_object().ok_or_else(|| p.err("expected an object"))?;
            flow_stats_request_from(&O { m, p: *p })
        };
    /// A request body alone is the os-ken request class it makes with `flags` 0
    /// (`{"OFPPortStatsRequest": {"flags": 0, "port_no": .., "type": 4}}`).
    MultipartRequestBody => |b: &MultipartRequestBody| mp_request_to(&MultipartRequest {
            flags: MultipartFlags(0),
            body: b.clone(),
        }),
        |v: &Value, p: &P<'_>| match body_from(v, p)? {
            Body::MultipartRequest(MultipartRequest { flags: MultipartFlags(0), body }) => Ok(body),
            _ => Err(p.err("expected a multipart request class with flags 0")),
        };
    /// A reply body alone is the os-ken reply class it makes with `flags` 0
    /// (`{"OFPPortStatsReply": {"body": [..], "flags": 0, "type": 4}}`).
    MultipartReplyBody => |b: &MultipartReplyBody| mp_reply_to(&MultipartReply {
            flags: MultipartFlags(0),
            body: b.clone(),
        }),
        |v: &Value, p: &P<'_>| match body_from(v, p)? {
            Body::MultipartReply(MultipartReply { flags: MultipartFlags(0), body }) => Ok(body),
            _ => Err(p.err("expected a multipart reply class with flags 0")),
        };
}

#[cfg(test)]
mod tests;
