//! Ryu's notation: the text os-ken prints for `str(msg)` of a parsed OpenFlow 1.3 message,
//! rendered from the [`to_jsondict`](Message::to_jsondict) tree, which already carries os-ken's
//! class and attribute names.
//!
//! os-ken's `StringifyMixin.__str__` prints `Class(attr=repr(value),...)`: attributes sorted by
//! name (a `namedtuple` class keeps its fields' order), values in Python's `repr`: integers in
//! decimal, `None`, `True`, strings `'...'`, bytes `b'...'` with Python's escapes, lists
//! `[a, b]`, tuples `(a, b)`. Two classes print otherwise: `OFPMatch(oxm_fields={'in_port': 1,
//! 'eth_dst': ('00:00:00:00:00:01', 'ff:ff:ff:00:00:00')})` (a dict in the fields' wire order,
//! a masked value as a `(value, mask)` tuple) and `OFPActionSetField(vlan_vid=4098)`. A message
//! starts with its header: `version=0x4,msg_type=0xa,msg_len=0x54,xid=0x0,`.
//!
//! What the JSON carries differently from os-ken's Python objects is put back: base64 `data`
//! is bytes again, the port, table and description names (text in the JSON) are bytes, a
//! 128-bit OXM value (a decimal string in the JSON) is an integer, and the `src`/`dst` of a
//! learn action's flow specs are tuples.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use serde_json::{Map, Value};

use super::{b64_decode, OXM, T};
use crate::codec::WireWrite;
use crate::message::Message;

impl Message {
    /// The message as os-ken prints `str(msg)` of it (Ryu's notation), character for
    /// character: `version=0x4,msg_type=0xa,msg_len=0x..,xid=0x..,OFPPacketIn(buffer_id=..,
    /// cookie=..,data=b'..',match=OFPMatch(oxm_fields={'in_port': 1}),reason=0,table_id=0,
    /// total_len=..)`.
    ///
    /// It is rendered from [`to_jsondict()`](Message::to_jsondict)'s tree, which has os-ken's
    /// class and attribute names, by os-ken's `StringifyMixin` rules: `Class(attr=value,...)`,
    /// attributes sorted by name (a class os-ken makes from a `namedtuple`, such as `OFPPort`
    /// or `OFPPortStats`, keeps its fields' order), values in Python's `repr`: integers in
    /// decimal, `None`, `True`, strings `'...'`, bytes `b'...'` with Python's escapes, lists
    /// `[a, b]`, tuples `(a, b)`. `OFPMatch` prints its fields as a dict in wire order
    /// (`OFPMatch(oxm_fields={'in_port': 1, 'eth_dst': ('00:00:00:00:00:01',
    /// 'ff:ff:ff:00:00:00')})`, a masked value as a `(value, mask)` tuple) and
    /// `OFPActionSetField` its one field (`OFPActionSetField(vlan_vid=4098)`). What the JSON
    /// carries differently from os-ken's Python objects is put back: base64 `data` is bytes,
    /// port, table and description names are bytes, a 128-bit OXM value is an integer; what
    /// os-ken leaves out is left out (a hello's elements other than the version bitmap, and
    /// bit 31 of each bitmap word; a packet-in's data past its `total_len`; the attributes the JSON adds only when not zero or empty:
    /// `reserved` of `OFPSwitchFeatures`, `data` of `OFPMeterBandExperimenter`,
    /// `OFPInstructionId` and `OFPActionId`).
    ///
    /// os-ken parses only the messages a switch sends (and FLOW_MOD); for the others this is
    /// what it prints for the message object a Ryu application builds and sends (the header
    /// filled in by `serialize()`). The classes this crate adds to os-ken's JSON where os-ken
    /// would lose bytes (`OFPActionUnknown`, `OFPUnknownMessage`, ...; see the
    /// [`json`](crate::json) docs) print by the same rules; os-ken has no text for those.
    ///
    /// ```
    /// use sdnwire_openflow::action::Action;
    /// use sdnwire_openflow::flow_mod::FlowMod;
    /// use sdnwire_openflow::oxm::Match;
    /// use sdnwire_openflow::{Body, Message};
    ///
    /// let fm = FlowMod::add()
    ///     .priority(1)
    ///     .matching(Match::new().in_port(1u32))
    ///     .apply_actions([Action::output(2u32)]);
    /// let m = Message::new(7, Body::FlowMod(fm));
    /// assert_eq!(
    ///     m.ryu_str(),
    ///     "version=0x4,msg_type=0xe,msg_len=0x58,xid=0x7,OFPFlowMod(buffer_id=4294967295,\
    ///      command=0,cookie=0,cookie_mask=0,flags=0,hard_timeout=0,idle_timeout=0,\
    ///      instructions=[OFPInstructionActions(actions=[OFPActionOutput(len=16,\
    ///      max_len=65535,port=2,type=0)],len=24,type=4)],\
    ///      match=OFPMatch(oxm_fields={'in_port': 1}),out_group=4294967295,\
    ///      out_port=4294967295,priority=1,table_id=0)"
    /// );
    /// ```
    pub fn ryu_str(&self) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            "version=0x4,msg_type={:#x},msg_len={:#x},xid={:#x},",
            self.msg_type().0,
            self.encoded_len(),
            self.xid
        );
        value(&mut s, &self.to_jsondict(), Attr::Plain);
        s
    }
}

/// Ryu's notation of a `to_jsondict()` tree (a message's body, a match, an action, an
/// instruction: `{"OFPMatch": {...}}`): what os-ken's `str()` of the object prints, by the
/// rules of [`Message::ryu_str`]. Text is escaped as Python's `repr` escapes ASCII and
/// Latin-1; above U+00FF, the code points Python escapes as not printable (format characters,
/// separators other than the space, private-use, surrogate and unassigned code points) are
/// written as they are, where Python writes `\uXXXX`: the trees of this crate have no such
/// text (what comes from the wire as arbitrary bytes is printed as `bytes`), a tree built by
/// hand may.
///
/// ```
/// use sdnwire_openflow::oxm::Match;
///
/// let m = Match::new().in_port(1u32);
/// assert_eq!(
///     sdnwire_openflow::json::python_str(&m.to_jsondict()),
///     "OFPMatch(oxm_fields={'in_port': 1})"
/// );
/// ```
pub fn python_str(tree: &Value) -> String {
    let mut s = String::new();
    value(&mut s, tree, Attr::Plain);
    s
}

/// How an attribute's JSON value maps back to its Python type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attr {
    /// As the JSON says.
    Plain,
    /// `bytes` in base64 (`data`).
    Base64,
    /// `bytes` shown as text in the JSON (or as an array of byte values when not UTF-8).
    TextBytes,
    /// A tuple shown as a JSON array.
    Tuple,
}

/// The fields of os-ken's `namedtuple` classes, in their order (their `str()` keeps it).
const NAMEDTUPLES: &[(&str, &[&str])] = &[
    (
        "OFPAggregateStats",
        &["packet_count", "byte_count", "flow_count"],
    ),
    (
        "OFPDescStats",
        &["mfr_desc", "hw_desc", "sw_desc", "serial_num", "dp_desc"],
    ),
    (
        "OFPExperimenterMultipart",
        &["experimenter", "exp_type", "data"],
    ),
    (
        "OFPGroupFeaturesStats",
        &["types", "capabilities", "max_groups", "actions"],
    ),
    (
        "OFPMeterFeaturesStats",
        &[
            "max_meter",
            "band_types",
            "capabilities",
            "max_bands",
            "max_color",
        ],
    ),
    (
        "OFPPort",
        &[
            "port_no",
            "hw_addr",
            "name",
            "config",
            "state",
            "curr",
            "advertised",
            "supported",
            "peer",
            "curr_speed",
            "max_speed",
        ],
    ),
    (
        "OFPPortStats",
        &[
            "port_no",
            "rx_packets",
            "tx_packets",
            "rx_bytes",
            "tx_bytes",
            "rx_dropped",
            "tx_dropped",
            "rx_errors",
            "tx_errors",
            "rx_frame_err",
            "rx_over_err",
            "rx_crc_err",
            "collisions",
            "duration_sec",
            "duration_nsec",
        ],
    ),
    (
        "OFPQueueStats",
        &[
            "port_no",
            "queue_id",
            "tx_bytes",
            "tx_packets",
            "tx_errors",
            "duration_sec",
            "duration_nsec",
        ],
    ),
    (
        "OFPTableStats",
        &["table_id", "active_count", "lookup_count", "matched_count"],
    ),
];

/// How attribute `attr` of class `class` maps back to Python.
fn attr_kind(class: &str, attr: &str) -> Attr {
    match (class, attr) {
        ("OFPPort" | "OFPTableFeaturesStats", "name")
        | ("OFPDescStats", "mfr_desc" | "hw_desc" | "sw_desc" | "serial_num" | "dp_desc") => {
            Attr::TextBytes
        }
        ("NXFlowSpecMatch" | "NXFlowSpecLoad" | "NXFlowSpecOutput", "src" | "dst") => Attr::Tuple,
        (_, "data") => Attr::Base64,
        _ => Attr::Plain,
    }
}

fn value(out: &mut String, v: &Value, kind: Attr) {
    match v {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => match kind {
            Attr::Base64 => match b64_decode(s) {
                Some(b) => bytes_repr(out, &b),
                None => str_repr(out, s),
            },
            Attr::TextBytes => bytes_repr(out, s.as_bytes()),
            Attr::Plain | Attr::Tuple => str_repr(out, s),
        },
        Value::Array(a) => match kind {
            // Bytes the JSON shows as their values (a name that is not UTF-8).
            Attr::TextBytes if a.iter().all(|x| x.as_u64().is_some_and(|x| x < 256)) => {
                let b: Vec<u8> = a
                    .iter()
                    .filter_map(|x| x.as_u64().and_then(|x| u8::try_from(x).ok()))
                    .collect();
                bytes_repr(out, &b);
            }
            Attr::Tuple => sequence(out, a, '(', ')'),
            _ => sequence(out, a, '[', ']'),
        },
        Value::Object(o) => match class_of(o) {
            Some((name, attrs)) => class(out, name, attrs),
            None => dict(out, o),
        },
    }
}

/// `{"Name": {attrs}}`: an os-ken class.
fn class_of(o: &Map<String, Value>) -> Option<(&str, &Map<String, Value>)> {
    if o.len() != 1 {
        return None;
    }
    let (k, v) = o.iter().next()?;
    let attrs = v.as_object()?;
    k.starts_with(|c: char| c.is_ascii_uppercase())
        .then_some((k.as_str(), attrs))
}

fn sequence(out: &mut String, a: &[Value], open: char, close: char) {
    out.push(open);
    for (i, x) in a.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        value(out, x, Attr::Plain);
    }
    if open == '(' && a.len() == 1 {
        out.push(',');
    }
    out.push(close);
}

fn dict(out: &mut String, o: &Map<String, Value>) {
    out.push('{');
    for (i, (k, v)) in o.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        str_repr(out, k);
        out.push_str(": ");
        value(out, v, Attr::Plain);
    }
    out.push('}');
}

fn class(out: &mut String, name: &str, attrs: &Map<String, Value>) {
    match name {
        "OFPMatch" => return match_str(out, attrs),
        "OFPActionSetField" => {
            if let Some((field, v)) = attrs.get("field").and_then(oxm) {
                out.push_str("OFPActionSetField(");
                out.push_str(field);
                out.push('=');
                oxm_value(out, field, v);
                out.push(')');
                return;
            }
        }
        _ => {}
    }
    out.push_str(name);
    out.push('(');
    let order: Vec<&str> = match NAMEDTUPLES.iter().find(|(n, _)| *n == name) {
        Some((_, fields)) => fields.to_vec(),
        None => {
            // inspect.getmembers() sorts by name, whatever order the map keeps.
            let mut keys: Vec<&str> = attrs.keys().map(String::as_str).collect();
            keys.sort_unstable();
            keys
        }
    };
    let mut first = true;
    for k in order {
        let Some(v) = attrs.get(k) else { continue };
        if not_in_osken(name, k) {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(k);
        out.push('=');
        match (name, k, v) {
            // os-ken keeps only the version bitmap elements of a hello, and reads bits 0 to 30
            // of each bitmap word.
            ("OFPHello", "elements", Value::Array(a)) => {
                let kept: Vec<Value> = a
                    .iter()
                    .filter(|e| e.get("OFPHelloElemUnknown").is_none())
                    .cloned()
                    .collect();
                sequence(out, &kept, '[', ']');
            }
            // os-ken keeps no more of a packet-in's data than its total_len (the rest it
            // takes for padding).
            ("OFPPacketIn", "data", Value::String(d)) => match b64_decode(d) {
                Some(b) => {
                    let total = attrs
                        .get("total_len")
                        .and_then(Value::as_u64)
                        .and_then(|t| usize::try_from(t).ok())
                        .unwrap_or(usize::MAX);
                    bytes_repr(out, b.get(..total).unwrap_or(&b));
                }
                None => str_repr(out, d),
            },
            ("OFPHelloElemVersionBitmap", "versions", Value::Array(a)) => {
                let kept: Vec<Value> = a
                    .iter()
                    .filter(|v| v.as_u64().is_none_or(|v| v % 32 != 31))
                    .cloned()
                    .collect();
                sequence(out, &kept, '[', ']');
            }
            _ => value(out, v, attr_kind(name, k)),
        }
    }
    out.push(')');
}

/// The attributes this crate's JSON adds, only when they are not what os-ken's shape implies
/// (os-ken's objects have no such attribute: its `str()` does not show them).
fn not_in_osken(class: &str, attr: &str) -> bool {
    matches!(
        (class, attr),
        ("OFPSwitchFeatures", "reserved")
            | (
                "OFPMeterBandExperimenter" | "OFPInstructionId" | "OFPActionId",
                "data"
            )
    )
}

/// An OXM TLV of the JSON: `{"OXMTlv": {"field": .., "value": .., "mask": ..}}` → its name and
/// the TLV's attributes.
fn oxm(v: &Value) -> Option<(&str, &Map<String, Value>)> {
    let tlv = v.get("OXMTlv")?.as_object()?;
    Some((tlv.get("field")?.as_str()?, tlv))
}

/// os-ken's user value of OXM field `field`'s TLV: the value, or `(value, mask)`.
fn oxm_value(out: &mut String, field: &str, tlv: &Map<String, Value>) {
    let v = tlv.get("value").unwrap_or(&Value::Null);
    match tlv.get("mask") {
        Some(m) if !m.is_null() => {
            out.push('(');
            oxm_scalar(out, field, v);
            out.push_str(", ");
            oxm_scalar(out, field, m);
            out.push(')');
        }
        _ => oxm_scalar(out, field, v),
    }
}

/// An OXM value or mask of field `field`: an integer (a decimal string in the JSON when over
/// 64 bits), an address as text, or the base64 text of a field os-ken does not know (a `str`
/// in os-ken too, even when all its characters are digits).
fn oxm_scalar(out: &mut String, field: &str, v: &Value) {
    match v {
        Value::String(s) if is_int_field(field) && s.bytes().all(|b| b.is_ascii_digit()) => {
            out.push_str(s);
        }
        _ => value(out, v, Attr::Plain),
    }
}

/// A field os-ken knows as an integer (only those have a value over 64 bits as a decimal
/// string in the JSON; the others, `field_N`, have base64 text).
fn is_int_field(field: &str) -> bool {
    OXM.iter()
        .any(|d| d.name == field && matches!(d.t, T::Int(_)))
}

/// `OFPMatch(oxm_fields={...})`: os-ken's `dict()` of the fields, in wire order (a field that
/// appears twice keeps its first place and its last value, as a Python dict does).
fn match_str(out: &mut String, attrs: &Map<String, Value>) {
    let mut fields: Vec<(&str, &Map<String, Value>)> = Vec::new();
    // Each name's place in `fields`: a match of a message holds up to 16,000 fields.
    let mut place: BTreeMap<&str, usize> = BTreeMap::new();
    for f in attrs
        .get("oxm_fields")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        if let Some((name, tlv)) = oxm(f) {
            match place.get(name).and_then(|&i| fields.get_mut(i)) {
                Some(slot) => slot.1 = tlv,
                None => {
                    place.insert(name, fields.len());
                    fields.push((name, tlv));
                }
            }
        }
    }
    out.push_str("OFPMatch(oxm_fields={");
    for (i, (name, tlv)) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        str_repr(out, name);
        out.push_str(": ");
        oxm_value(out, name, tlv);
    }
    out.push_str("})");
}

/// The quote Python's `repr` picks: `'`, unless the text has a `'` and no `"`.
fn quote(has_single: bool, has_double: bool) -> char {
    if has_single && !has_double {
        '"'
    } else {
        '\''
    }
}

/// Python's `repr()` of a `str`.
fn str_repr(out: &mut String, s: &str) {
    let q = quote(s.contains('\''), s.contains('"'));
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            // Control characters, and the Latin-1 ones Python does not print (C1 controls,
            // no-break space, soft hyphen).
            c if (c as u32) < 0x20
                || ((c as u32) >= 0x7f && (c as u32) <= 0xa0)
                || c == '\u{ad}' =>
            {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(q);
}

/// Python's `repr()` of `bytes`.
fn bytes_repr(out: &mut String, b: &[u8]) {
    let q = quote(b.contains(&b'\''), b.contains(&b'"'));
    out.push('b');
    out.push(q);
    for &x in b {
        match x {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            x if char::from(x) == q => {
                out.push('\\');
                out.push(q);
            }
            0x20..=0x7e => out.push(char::from(x)),
            x => {
                let _ = write!(out, "\\x{x:02x}");
            }
        }
    }
    out.push(q);
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    fn b(x: &[u8]) -> String {
        let mut s = String::new();
        bytes_repr(&mut s, x);
        s
    }

    fn t(x: &str) -> String {
        let mut s = String::new();
        str_repr(&mut s, x);
        s
    }

    /// What python3 prints for `repr()` of these.
    #[test]
    fn reprs_are_pythons() {
        assert_eq!(b(b""), "b''");
        assert_eq!(b(b"hoge"), "b'hoge'");
        assert_eq!(b(b"a'b"), "b\"a'b\"");
        assert_eq!(b(b"a'b\""), "b'a\\'b\"'");
        assert_eq!(
            b(b"\x00\t\n\r\\\x7f\x80\xff}"),
            "b'\\x00\\t\\n\\r\\\\\\x7f\\x80\\xff}'"
        );
        assert_eq!(t(""), "''");
        assert_eq!(t("reg0"), "'reg0'");
        assert_eq!(t("it's"), "\"it's\"");
        assert_eq!(t("\u{1}\u{a0}é私"), "'\\x01\\xa0é私'");
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// What os-ken 4.2.2 prints for `str(msg)` of these (capture/tests/osken_str.rs compares
    /// them with os-ken itself): escapes in bytes, bit 31 of a hello bitmap (os-ken skips it),
    /// reserved bits of a features reply (os-ken does not show them), a namedtuple class
    /// (`OFPPort`, in its fields' order) with a name that is not UTF-8.
    #[test]
    fn messages_as_os_ken_prints_them() {
        for (h, text) in [
            (
                "0402001a000000106974277320227122205c2000090a0d7f80ff",
                r#"version=0x4,msg_type=0x2,msg_len=0x1a,xid=0x10,OFPEchoRequest(data=b'it\'s "q" \\ \x00\t\n\r\x7f\x80\xff')"#,
            ),
            (
                "040000180000001200010010800000100000000180000000",
                "version=0x4,msg_type=0x0,msg_len=0x18,xid=0x12,OFPHello(elements=[OFPHelloElemVersionBitmap(length=16,type=1,versions=[4, 32])])",
            ),
            (
                "04060020000000130123456789abcdef00000100fe0000000000004f00000005",
                "version=0x4,msg_type=0x6,msg_len=0x20,xid=0x13,OFPSwitchFeatures(auxiliary_id=0,capabilities=79,datapath_id=81985529216486895,n_buffers=256,n_tables=254)",
            ),
            (
                "040c0050000000140200000000000000000000030000000002000000000300007027ff000000000000000000000000000000000100000004000028080000280000002808000000000098968000989680",
                r#"version=0x4,msg_type=0xc,msg_len=0x50,xid=0x14,OFPPortStatus(desc=OFPPort(port_no=3,hw_addr='02:00:00:00:00:03',name=b"p'\xff",config=1,state=4,curr=10248,advertised=10240,supported=10248,peer=0,curr_speed=10000000,max_speed=10000000),reason=2)"#,
            ),
        ] {
            let m = Message::parse(&hex(h)).unwrap();
            assert_eq!(m.ryu_str(), text);
        }
    }

    /// An OXM field os-ken does not know has its value as base64 text, a `str` in os-ken too,
    /// even when every character is a digit (d7 6d f8 is `1234`): what os-ken 4.2.2 prints
    /// for a match and a set-field of such a field, masked and not.
    #[test]
    fn an_unknown_oxm_fields_base64_is_text_even_when_all_digits() {
        let head =
            "version=0x4,msg_type=0xe,msg_len=0x40,xid=0x30,OFPFlowMod(buffer_id=4294967295,\
                    command=0,cookie=0,cookie_mask=0,flags=0,hard_timeout=0,idle_timeout=0,";
        let tail = "out_group=4294967295,out_port=4294967295,priority=1,table_id=0)";
        let flow_mod =
            "040e004000000030000000000000000000000000000000000000000000000001ffffffffffff\
                        ffffffffffff000000000001";
        for (m, text) in [
            (
                "000b8000c803d76df80000000000",
                "instructions=[],match=OFPMatch(oxm_fields={'field_4194404': '1234'}),",
            ),
            (
                "000e8000c906d76df8d76df80000",
                "instructions=[],match=OFPMatch(oxm_fields={'field_4194404': ('1234', \
                 '1234')}),",
            ),
        ] {
            let m = Message::parse(&hex(&format!("{flow_mod}{m}"))).unwrap();
            assert_eq!(m.ryu_str(), format!("{head}{text}{tail}"));
        }
        let m = Message::parse(&hex(
            "040e005000000030000000000000000000000000000000000000000000000001ffffffffffffffffff\
             ffffff0000000000010004000000000004001800000000001900108000c803d76df80000000000",
        ))
        .unwrap();
        assert_eq!(
            m.ryu_str(),
            "version=0x4,msg_type=0xe,msg_len=0x50,xid=0x30,OFPFlowMod(buffer_id=4294967295,\
             command=0,cookie=0,cookie_mask=0,flags=0,hard_timeout=0,idle_timeout=0,\
             instructions=[OFPInstructionActions(actions=[OFPActionSetField(\
             field_4194404='1234')],len=24,type=4)],match=OFPMatch(oxm_fields={}),\
             out_group=4294967295,out_port=4294967295,priority=1,table_id=0)"
        );
    }

    /// os-ken keeps no more of a packet-in's data than its `total_len` says (the rest it takes
    /// for padding): what os-ken 4.2.2 prints for a packet-in of its corpus with a total_len
    /// of 0.
    #[test]
    fn a_packet_ins_data_is_cut_at_its_total_len() {
        let m = Message::parse(&hex(
            "040a0094000000000000000200000101000102030000000000010050800000040000000680000a0208\
             0680000606ffffffffffff80000806f20ba47df8ea80002a02000180002c040a00000180002e040a00\
             000380003006f20ba47df8ea800032060000000000000000fffffffffffff20ba47df8ea0806000108\
             0006040001f20ba47df8ea0a0000010000000000000a000003",
        ))
        .unwrap();
        assert_eq!(
            m.ryu_str(),
            "version=0x4,msg_type=0xa,msg_len=0x94,xid=0x0,OFPPacketIn(buffer_id=2,\
             cookie=283686884868096,data=b'',match=OFPMatch(oxm_fields={'in_port': 6, \
             'eth_type': 2054, 'eth_dst': 'ff:ff:ff:ff:ff:ff', 'eth_src': 'f2:0b:a4:7d:f8:ea', \
             'arp_op': 1, 'arp_spa': '10.0.0.1', 'arp_tpa': '10.0.0.3', \
             'arp_sha': 'f2:0b:a4:7d:f8:ea', 'arp_tha': '00:00:00:00:00:00'}),reason=1,\
             table_id=1,total_len=0)"
        );
    }

    /// A FLOW_MOD of 64 KiB whose match is 16,367 empty OXM fields of distinct unknown
    /// classes (the most a message holds): its text costs about what its JSON tree does, not
    /// the square of the number of fields (the tree of a hostile message in a capture is
    /// printed by `sdnwire-decode -n ryu`).
    #[cfg(feature = "std")]
    #[test]
    fn a_match_of_many_distinct_fields_prints_in_linear_time() {
        let n: u16 = (65535 - 56 - 8) / 4;
        let mut b = Vec::from(*b"\x04\x0e\0\0\0\0\0\0");
        b.extend_from_slice(&[0; 40]);
        if let Some(x) = b.get_mut(32..44) {
            x.fill(0xff); // buffer_id, out_port, out_group
        }
        b.extend_from_slice(&1u16.to_be_bytes());
        b.extend_from_slice(&(4 + 4 * n).to_be_bytes());
        for i in 0..n {
            b.extend_from_slice(&(0x0100 + (i >> 7)).to_be_bytes());
            b.extend_from_slice(&[((i & 0x7f) as u8) << 1, 0]);
        }
        b.resize(b.len().next_multiple_of(8), 0);
        let len = u16::try_from(b.len()).unwrap();
        b[2..4].copy_from_slice(&len.to_be_bytes());
        let m = Message::parse(&b).unwrap();
        let t = std::time::Instant::now();
        let tree = m.to_jsondict();
        let json = t.elapsed();
        let t = std::time::Instant::now();
        let text = m.ryu_str();
        let ryu = t.elapsed();
        drop(tree);
        assert!(text.contains("oxm_fields={'field_32768': '', 'field_32769': '', "));
        assert!(text.contains(", 'field_49134': ''}"));
        assert_eq!(text.matches("'field_").count(), usize::from(n));
        assert!(ryu < json * 10, "ryu_str {ryu:?}, to_jsondict {json:?}");
    }

    #[test]
    fn tuples_and_dicts() {
        let s = python_str(
            &serde_json::json!({"NXFlowSpecMatch": {"dst": ["vlan_vid", 0], "n_bits": 12,
                "src": ["vlan_vid", 0]}}),
        );
        assert_eq!(
            s,
            "NXFlowSpecMatch(dst=('vlan_vid', 0),n_bits=12,src=('vlan_vid', 0))"
        );
        let s = python_str(
            &serde_json::json!({"OFPMatch": {"length": 4, "type": 1, "oxm_fields": [
                {"OXMTlv": {"field": "in_port", "mask": null, "value": 1}},
                {"OXMTlv": {"field": "ct_label", "mask": "18446744073709551616",
                            "value": "18446744073709551616"}},
                {"OXMTlv": {"field": "in_port", "mask": null, "value": 2}}]}}),
        );
        assert_eq!(
            s,
            "OFPMatch(oxm_fields={'in_port': 2, 'ct_label': (18446744073709551616, \
             18446744073709551616)})"
        );
    }
}
