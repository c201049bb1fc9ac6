//! The two ways an [`Item`] is printed: text (one line per item, continued on the lines that
//! follow for multi-line notations) and JSON lines.
//!
//! Text: `FRAME TIME SRC > DST MESSAGE`, where `TIME` is seconds since the capture's first
//! frame and `MESSAGE` is
//! - an OpenFlow message in `ovs-ofctl ofp-print`'s notation (the `Display` of
//!   `sdnwire-openflow`'s `Message`; multi-line bodies continue on the next lines, as
//!   ovs-ofctl prints them), or with [`Notation::Ryu`] in Ryu's: what os-ken prints for
//!   `str(msg)` (`Message::ryu_str()`, one line);
//! - an sFlow datagram in sflowtool's text (`startDatagram` ... `endDatagram`, on the lines
//!   after the item's);
//! - a LACPDU, marker PDU, IGMP or MLD message in Ryu's notation (`lacp(...)`,
//!   `igmpv3_report(...)`, `icmpv6(...)`);
//! - for what does not decode, the error with its offset (and the message's bytes in hex, as
//!   ovs-ofctl dumps them), gaps and skipped bytes with their stream offsets.
//!
//! JSON: one object per line with `frame`, `time` (seconds since the Unix epoch), `protocol`,
//! `src` and `dst`, and `message`: os-ken's `to_jsondict()` for OpenFlow (with `xid` and
//! `type` beside it), the sFlow crate's JSON (close to `sflowtool -J`) for sFlow, os-ken's
//! packet JSON (`{"lacp": {...}}`, `{"igmpv3_report": {...}}`) for the others; or `error` and
//! `offset`, `gap`, `skipped`.

use core::fmt::{self, Write as _};
use core::str::FromStr;
use core::time::Duration;

use sdnwire_openflow::CodecError as _;
use sdnwire_packet::stack::Layer;
use serde_json::{json, Map, Value};

use crate::decode::{Content, Endpoints, Item};

/// A value's serde JSON (whose serializers do not fail on these types; should one, the error
/// is the value).
macro_rules! to_value {
    ($v:expr) => {
        serde_json::to_value($v).unwrap_or_else(|e| json!({ "serialization_error": e.to_string() }))
    };
}

/// Seconds and microseconds: `12.000345`.
pub fn seconds(d: Duration) -> String {
    format!("{}.{:06}", d.as_secs(), d.subsec_micros())
}

/// How the text shows an OpenFlow message (the other protocols have one notation each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Notation {
    /// `ovs-ofctl ofp-print`'s: `OFPT_FLOW_MOD (OF1.3) (xid=0x2): ADD priority=1 ...`.
    #[default]
    Ofctl,
    /// Ryu's, what os-ken prints for `str(msg)`: `version=0x4,msg_type=0xe,msg_len=0x50,
    /// xid=0x2,OFPFlowMod(buffer_id=4294967295,...)`.
    Ryu,
}

impl Notation {
    /// The name the command line uses: `ofctl`, `ryu`.
    pub const fn name(self) -> &'static str {
        match self {
            Notation::Ofctl => "ofctl",
            Notation::Ryu => "ryu",
        }
    }
}

impl fmt::Display for Notation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Notation {
    type Err = String;

    /// `ofctl` (or `ovs-ofctl`), `ryu` (or `os-ken`), in any case.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "ofctl" | "ovs-ofctl" => Ok(Notation::Ofctl),
            "ryu" | "os-ken" | "osken" => Ok(Notation::Ryu),
            other => Err(format!("unknown notation {other:?}: expected ofctl or ryu")),
        }
    }
}

/// The text of `item`, its time given since `origin` (the first frame's time), OpenFlow in
/// ovs-ofctl's notation. Ends with a line feed.
pub fn text(item: &Item, origin: Duration) -> String {
    text_in(item, origin, Notation::Ofctl)
}

/// The text of `item`, its time given since `origin` (the first frame's time), OpenFlow in
/// `notation`. Ends with a line feed.
pub fn text_in(item: &Item, origin: Duration, notation: Notation) -> String {
    let mut s = format!(
        "{} {} {} ",
        item.frame,
        seconds(item.time.saturating_sub(origin)),
        item.endpoints
    );
    match &item.content {
        Content::OpenFlow {
            stream_offset,
            bytes,
            message,
        } => match message {
            Ok(m) => match notation {
                Notation::Ofctl => {
                    let _ = write!(s, "{m}");
                }
                Notation::Ryu => s.push_str(&m.ryu_str()),
            },
            Err(e) => {
                let _ = write!(
                    s,
                    "OpenFlow message of {} bytes at stream byte {stream_offset} does not decode: {e}",
                    bytes.len()
                );
                s.push('\n');
                hex_dump(&mut s, bytes);
            }
        },
        Content::Sflow(Ok(d)) => {
            let _ = write!(s, "sFlow datagram, {} samples\n{d}", d.samples.len());
        }
        Content::Sflow(Err(e)) => {
            let _ = write!(s, "sFlow datagram does not decode: {e}");
        }
        Content::Lacp(v) => {
            let _ = write!(s, "{v}");
        }
        Content::Marker(v) => {
            let _ = write!(s, "{v}");
        }
        Content::Igmp(v) => {
            let _ = write!(s, "{v}");
        }
        Content::Mld(v) => {
            let _ = write!(s, "{v}");
        }
        Content::Malformed(e) => {
            let _ = write!(s, "{} does not decode: {e}", item.protocol);
        }
        Content::Gap { stream_offset, len } => {
            let _ = write!(
                s,
                "{}: {len} bytes missing from the TCP stream at stream byte {stream_offset}",
                item.protocol
            );
        }
        Content::Skipped {
            stream_offset,
            len,
            reason,
        } => {
            let _ = write!(
                s,
                "{}: {len} bytes skipped at stream byte {stream_offset}: {reason}",
                item.protocol
            );
        }
    }
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// `bytes` as ovs-ofctl dumps a message it cannot decode: offset, 16 bytes in hex.
fn hex_dump(s: &mut String, bytes: &[u8]) {
    for (i, line) in bytes.chunks(16).enumerate() {
        let _ = write!(s, "{:08x} ", i * 16);
        for (j, b) in line.iter().enumerate() {
            s.push(if j == 8 { '-' } else { ' ' });
            let _ = write!(s, "{b:02x}");
        }
        s.push('\n');
    }
}

/// The JSON object of `item`.
pub fn json(item: &Item) -> Value {
    let mut o = Map::new();
    o.insert("frame".into(), json!(item.frame));
    o.insert("time".into(), json!(item.time.as_secs_f64()));
    o.insert("protocol".into(), json!(item.protocol.name()));
    match item.endpoints {
        Endpoints::Socket { src, dst } => {
            o.insert("src".into(), json!(src.to_string()));
            o.insert("dst".into(), json!(dst.to_string()));
        }
        Endpoints::Ip { src, dst } => {
            o.insert("src".into(), json!(src.to_string()));
            o.insert("dst".into(), json!(dst.to_string()));
        }
        Endpoints::Mac { src, dst } => {
            o.insert("src".into(), json!(src.to_string()));
            o.insert("dst".into(), json!(dst.to_string()));
        }
        Endpoints::Unknown => {}
    }
    match &item.content {
        Content::OpenFlow {
            stream_offset,
            bytes,
            message,
        } => {
            o.insert("stream_offset".into(), json!(stream_offset));
            match message {
                Ok(m) => {
                    o.insert("xid".into(), json!(m.xid));
                    o.insert("type".into(), json!(m.msg_type().to_string()));
                    o.insert("message".into(), m.to_jsondict());
                }
                Err(e) => {
                    o.insert("error".into(), json!(e.to_string()));
                    o.insert("offset".into(), json!(e.offset()));
                    o.insert("hex".into(), json!(hex(bytes)));
                }
            }
        }
        Content::Sflow(Ok(d)) => {
            o.insert("message".into(), to_value!(d));
        }
        Content::Sflow(Err(e)) => {
            o.insert("error".into(), json!(e.to_string()));
            o.insert("offset".into(), json!(e.offset()));
        }
        Content::Lacp(v) => {
            o.insert("message".into(), to_value!(&Layer::from(v.clone())));
        }
        Content::Marker(v) => {
            o.insert("message".into(), to_value!(&Layer::from(v.clone())));
        }
        Content::Igmp(v) => {
            o.insert("message".into(), to_value!(&Layer::Igmp(v.clone())));
        }
        Content::Mld(v) => {
            o.insert("message".into(), to_value!(&Layer::Icmpv6(v.clone())));
        }
        Content::Malformed(e) => {
            o.insert("error".into(), json!(e.to_string()));
            o.insert("offset".into(), json!(e.offset()));
        }
        Content::Gap { stream_offset, len } => {
            o.insert(
                "gap".into(),
                json!({"stream_offset": stream_offset, "len": len}),
            );
        }
        Content::Skipped {
            stream_offset,
            len,
            reason,
        } => {
            o.insert(
                "skipped".into(),
                json!({"stream_offset": stream_offset, "len": len, "reason": reason.to_string()}),
            );
        }
    }
    Value::Object(o)
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
