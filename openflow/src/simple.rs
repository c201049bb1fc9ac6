//! Small message bodies: ECHO_REQUEST/REPLY, EXPERIMENTER, and the empty bodies
//! (FEATURES_REQUEST, GET_CONFIG_REQUEST, BARRIER_REQUEST, BARRIER_REPLY, GET_ASYNC_REQUEST).
//!
//! [`Echo`] is shared by ECHO_REQUEST and ECHO_REPLY, so it has [`Echo::parse`] and no
//! [`MessageBody`] implementation; the message enum dispatches on the header's type.

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;

use crate::codec::{MessageBody, Reader, WireWrite};
use crate::codec_error::Result;
use crate::header::MsgType;

/// Writes at most `max` bytes of `data` as hex, with `...` when cut.
pub(crate) fn fmt_hex(f: &mut fmt::Formatter<'_>, data: &[u8], max: usize) -> fmt::Result {
    for b in data.iter().take(max) {
        write!(f, "{b:02x}")?;
    }
    if data.len() > max {
        f.write_str("...")?;
    }
    Ok(())
}

/// The body of ECHO_REQUEST and ECHO_REPLY: arbitrary data, echoed back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Echo {
    /// The payload.
    pub data: Vec<u8>,
}

impl Echo {
    /// An echo carrying `data`.
    pub fn new(data: impl Into<Vec<u8>>) -> Echo {
        Echo { data: data.into() }
    }

    /// Parses an echo body (every byte left is data).
    pub fn parse(r: &mut Reader<'_>) -> Result<Echo> {
        Ok(EchoView::parse(r)?.decode())
    }
}

crate::codec::impl_encode!(Echo);

impl WireWrite for Echo {
    fn encoded_len(&self) -> usize {
        self.data.len()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_slice(&self.data);
        Ok(())
    }
}

impl fmt::Display for Echo {
    /// `4 bytes of payload: 686f6765` (the message type is in the header, not here).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        EchoView { data: &self.data }.fmt(f)
    }
}

/// A borrowed echo body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EchoView<'a> {
    /// The payload.
    pub data: &'a [u8],
}

impl<'a> EchoView<'a> {
    /// Takes every byte left as the payload.
    pub fn parse(r: &mut Reader<'a>) -> Result<EchoView<'a>> {
        Ok(EchoView { data: r.rest() })
    }

    /// The owned body.
    pub fn decode(&self) -> Echo {
        Echo {
            data: self.data.to_vec(),
        }
    }
}

impl fmt::Display for EchoView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes of payload", self.data.len())?;
        if !self.data.is_empty() {
            f.write_str(": ")?;
            fmt_hex(f, self.data, 32)?;
        }
        Ok(())
    }
}

/// OFPT_EXPERIMENTER (`ofp_experimenter_header`): an experimenter id, a type, and data this
/// codec keeps raw.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Experimenter {
    /// The experimenter id (an IEEE OUI in the low 24 bits, or an ONF-assigned id).
    pub experimenter: u32,
    /// The experimenter-defined type.
    pub exp_type: u32,
    /// Experimenter-defined data.
    pub data: Vec<u8>,
}

impl Experimenter {
    /// Fixed part of the body: experimenter and exp_type.
    pub const MIN_LEN: usize = 8;
}

impl MessageBody for Experimenter {
    const TYPE: MsgType = MsgType::EXPERIMENTER;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        Ok(ExperimenterView::parse(r)?.decode())
    }
}

crate::codec::impl_encode!(Experimenter);

impl WireWrite for Experimenter {
    fn encoded_len(&self) -> usize {
        Experimenter::MIN_LEN + self.data.len()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u32(self.experimenter);
        out.put_u32(self.exp_type);
        out.put_slice(&self.data);
        Ok(())
    }
}

impl fmt::Display for Experimenter {
    /// `OFPT_EXPERIMENTER experimenter=0x2320 exp_type=7 data=...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ExperimenterView {
            experimenter: self.experimenter,
            exp_type: self.exp_type,
            data: &self.data,
        }
        .fmt(f)
    }
}

/// A borrowed EXPERIMENTER body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ExperimenterView<'a> {
    /// The experimenter id.
    pub experimenter: u32,
    /// The experimenter-defined type.
    pub exp_type: u32,
    /// Experimenter-defined data.
    pub data: &'a [u8],
}

impl<'a> ExperimenterView<'a> {
    /// Parses the body; everything after the two ids is data.
    pub fn parse(r: &mut Reader<'a>) -> Result<ExperimenterView<'a>> {
        let experimenter = r.u32("ofp_experimenter_header.experimenter")?;
        let exp_type = r.u32("ofp_experimenter_header.exp_type")?;
        Ok(ExperimenterView {
            experimenter,
            exp_type,
            data: r.rest(),
        })
    }

    /// The owned body.
    pub fn decode(&self) -> Experimenter {
        Experimenter {
            experimenter: self.experimenter,
            exp_type: self.exp_type,
            data: self.data.to_vec(),
        }
    }
}

impl fmt::Display for ExperimenterView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "OFPT_EXPERIMENTER experimenter={:#x} exp_type={}",
            self.experimenter, self.exp_type
        )?;
        if !self.data.is_empty() {
            f.write_str(" data=")?;
            fmt_hex(f, self.data, 32)?;
        }
        Ok(())
    }
}

macro_rules! empty_body {
    ($(#[$meta:meta])* $name:ident, $ty:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name;

        impl MessageBody for $name {
            const TYPE: MsgType = MsgType::$ty;

            /// Refuses any byte after the header.
            fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
                r.finish($what)?;
                Ok($name)
            }
        }

        crate::codec::impl_encode!($name);

        impl WireWrite for $name {
            fn encoded_len(&self) -> usize {
                0
            }

            fn write<B: BufMut>(&self, _out: &mut B) -> Result<()> {
                Ok(())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!("OFPT_", stringify!($ty)))
            }
        }
    };
}

empty_body!(
    /// OFPT_FEATURES_REQUEST: asks for the switch's FEATURES_REPLY. No body.
    FeaturesRequest,
    FEATURES_REQUEST,
    "OFPT_FEATURES_REQUEST"
);
empty_body!(
    /// OFPT_GET_CONFIG_REQUEST: asks for the switch configuration. No body.
    GetConfigRequest,
    GET_CONFIG_REQUEST,
    "OFPT_GET_CONFIG_REQUEST"
);
empty_body!(
    /// OFPT_BARRIER_REQUEST: asks the switch to finish every earlier message first. No body.
    BarrierRequest,
    BARRIER_REQUEST,
    "OFPT_BARRIER_REQUEST"
);
empty_body!(
    /// OFPT_BARRIER_REPLY: every message before the barrier request has been processed. No
    /// body.
    BarrierReply,
    BARRIER_REPLY,
    "OFPT_BARRIER_REPLY"
);
empty_body!(
    /// OFPT_GET_ASYNC_REQUEST: asks for the asynchronous message configuration. No body.
    GetAsyncRequest,
    GET_ASYNC_REQUEST,
    "OFPT_GET_ASYNC_REQUEST"
);

/// Helpers the tests of this crate's message bodies share: os-ken's corpus, ovs-ofctl, framing.
#[cfg(test)]
pub(crate) mod testutil {
    extern crate std;

    use crate::codec::{MessageBody, Reader, WireWrite};
    use crate::header::{Header, MsgType, OFP_VERSION};
    use alloc::format;
    use alloc::string::String;
    use alloc::vec::Vec;

    /// A message of os-ken's OF1.3 corpus (`4-10-ofp_hello`), or None after a loud skip when
    /// the corpus is not installed (`sdnwire_testkit::Peer::OsKenCorpus`).
    pub(crate) fn corpus(name: &str) -> Option<Vec<u8>> {
        if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::OsKenCorpus]) {
            return None;
        }
        let p = sdnwire_testkit::osken::packet_data("of13").join(format!("{name}.packet"));
        Some(std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
    }

    /// os-ken's expected JSON for a corpus message, or None after a loud skip.
    pub(crate) fn corpus_json(name: &str) -> Option<serde_json::Value> {
        if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::OsKenCorpus]) {
            return None;
        }
        let p = sdnwire_testkit::osken::json_dir("of13").join(format!("{name}.packet.json"));
        let b = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        Some(serde_json::from_slice(&b).expect("os-ken JSON"))
    }

    /// The body of a whole message, after checking its header.
    pub(crate) fn body(msg: &[u8], ty: MsgType) -> Reader<'_> {
        let h = Header::parse(msg).expect("header");
        assert_eq!(h.msg_type, ty);
        Reader::new(&msg[8..], 8)
    }

    /// Parses a corpus message's body with `parse`, checks that it encodes back to the same
    /// bytes, and returns it.
    pub(crate) fn parse_exact<T: WireWrite>(
        msg: &[u8],
        ty: MsgType,
        parse: impl FnOnce(&mut Reader<'_>) -> crate::Result<T>,
    ) -> T {
        let mut r = body(msg, ty);
        let v = parse(&mut r).expect("parse");
        assert!(r.is_empty(), "parse left bytes");
        let enc = v.to_vec().expect("encode");
        assert_eq!(enc.len(), v.encoded_len());
        assert_eq!(enc, msg[8..], "encode is not byte-identical");
        v
    }

    /// [`parse_exact`] for a message body type.
    pub(crate) fn parse_msg<T: MessageBody + WireWrite>(msg: &[u8]) -> T {
        parse_exact(msg, T::TYPE, T::parse_body)
    }

    /// The MULTIPART_REPLY view of a whole message, through [`crate::MessageView::parse`].
    pub(crate) fn reply_view(
        msg: &[u8],
    ) -> crate::Result<crate::multipart::MultipartReplyView<'_>> {
        match crate::MessageView::parse(msg)?.body {
            crate::BodyView::MultipartReply(v) => Ok(v),
            other => panic!("not a MULTIPART_REPLY: {other:?}"),
        }
    }

    /// A whole message: header (xid 0) and body.
    pub(crate) fn message(ty: MsgType, body: &impl WireWrite) -> Vec<u8> {
        let len = 8 + body.encoded_len();
        let mut v = Vec::new();
        Header {
            version: OFP_VERSION,
            msg_type: ty,
            length: u16::try_from(len).expect("length"),
            xid: 0,
        }
        .put(&mut v);
        body.write(&mut v).expect("encode");
        assert_eq!(v.len(), len);
        v
    }

    /// Parses a body from bytes alone (base offset 8), requiring every byte to be consumed.
    pub(crate) fn parse_bytes<T>(
        b: &[u8],
        parse: impl FnOnce(&mut Reader<'_>) -> crate::Result<T>,
    ) -> crate::Result<T> {
        let mut r = Reader::new(b, 8);
        let v = parse(&mut r)?;
        r.finish("test body")?;
        Ok(v)
    }

    /// `ovs-ofctl ofp-print` of a message, or None when ovs-ofctl is missing (skipped loudly).
    /// Fails when ovs-ofctl reports a decode error.
    pub(crate) fn ofp_print(msg: &[u8]) -> Option<String> {
        if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::OvsOfctl]) {
            return None;
        }
        let hex: String = msg.iter().map(|b| format!("{b:02x}")).collect();
        let out = match std::process::Command::new("ovs-ofctl")
            .args(["ofp-print", &hex])
            .output()
        {
            Ok(o) => o,
            Err(e) => panic!("ovs-ofctl: {e}"),
        };
        let s = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "ovs-ofctl failed: {s}");
        assert!(
            !s.contains("decode error") && !s.contains("WARN"),
            "ovs-ofctl refused {hex}: {s}"
        );
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;
    use crate::codec_error::Error;
    use crate::CodecError as _;
    use alloc::string::ToString;
    use proptest::prelude::*;

    #[test]
    fn echo_corpus() {
        for (name, ty) in [
            ("4-13-ofp_echo_request", MsgType::ECHO_REQUEST),
            ("4-14-ofp_echo_reply", MsgType::ECHO_REPLY),
            ("libofproto-OFP13-echo_request", MsgType::ECHO_REQUEST),
            ("libofproto-OFP13-echo_reply", MsgType::ECHO_REPLY),
        ] {
            let Some(msg) = corpus(name) else { return };
            let e = parse_exact(&msg, ty, Echo::parse);
            let Some(json) = corpus_json(name) else {
                return;
            };
            let key = if ty == MsgType::ECHO_REQUEST {
                "OFPEchoRequest"
            } else {
                "OFPEchoReply"
            };
            let data = json[key]["data"].as_str().unwrap();
            // os-ken's JSON holds the data in base64: "aG9nZQ==" is "hoge".
            let expected: &[u8] = match data {
                "" => b"",
                "aG9nZQ==" => b"hoge",
                other => panic!("unexpected base64 {other}"),
            };
            assert_eq!(e.data, expected, "{name}");
        }
    }

    #[test]
    fn experimenter_corpus() {
        let name = "4-16-ofp_experimenter";
        let Some(msg) = corpus(name) else { return };
        let e: Experimenter = parse_msg(&msg);
        let Some(json) = corpus_json(name) else {
            return;
        };
        let j = &json["OFPExperimenter"];
        assert_eq!(
            u64::from(e.experimenter),
            j["experimenter"].as_u64().unwrap()
        );
        assert_eq!(u64::from(e.exp_type), j["exp_type"].as_u64().unwrap());
        assert_eq!(j["data"], "bmF6bw==");
        assert_eq!(e.data, b"nazo");
        assert_eq!(
            e.to_string(),
            "OFPT_EXPERIMENTER experimenter=0x5e30a78 exp_type=123456789 data=6e617a6f"
        );
    }

    #[test]
    fn empty_bodies_corpus() {
        fn check<T: MessageBody + WireWrite + PartialEq + core::fmt::Debug + Default>(name: &str) {
            let Some(msg) = corpus(name) else { return };
            assert_eq!(parse_msg::<T>(&msg), T::default());
        }
        check::<FeaturesRequest>("4-5-ofp_features_request");
        check::<GetConfigRequest>("4-8-ofp_get_config_request");
        check::<BarrierRequest>("4-17-ofp_barrier_request");
        check::<BarrierReply>("4-18-ofp_barrier_reply");
        check::<GetAsyncRequest>("4-42-ofp_get_async_request");
    }

    #[test]
    fn empty_bodies_refuse_extra_bytes() {
        let e = parse_bytes(&[0], FeaturesRequest::parse_body).unwrap_err();
        assert_eq!(
            e,
            Error::TrailingBytes {
                what: "OFPT_FEATURES_REQUEST",
                offset: 8,
                extra: 1
            }
        );
        assert!(parse_bytes(&[0; 8], BarrierReply::parse_body).is_err());
        assert!(parse_bytes(&[1], GetConfigRequest::parse_body).is_err());
        assert!(parse_bytes(&[0; 3], BarrierRequest::parse_body).is_err());
        assert!(parse_bytes(&[0; 4], GetAsyncRequest::parse_body).is_err());
        assert_eq!(BarrierReply.to_string(), "OFPT_BARRIER_REPLY");
        assert_eq!(FeaturesRequest.to_vec().unwrap(), b"");
    }

    #[test]
    fn experimenter_truncated() {
        for n in 0..8 {
            let e = parse_bytes(&[0u8; 8][..n], Experimenter::parse_body).unwrap_err();
            assert!(matches!(e, Error::Truncated { .. }), "{n}: {e}");
            assert!(e.offset().unwrap() >= 8);
        }
        assert!(parse_bytes(&[0u8; 8], Experimenter::parse_body).is_ok());
    }

    #[test]
    fn ovs_decodes_what_we_encode() {
        let e = Echo::new(&b"ping"[..]);
        let Some(s) = ofp_print(&message(MsgType::ECHO_REQUEST, &e)) else {
            return;
        };
        assert!(
            s.contains("OFPT_ECHO_REQUEST") && s.contains("4 bytes of payload"),
            "{s}"
        );
        let s = ofp_print(&message(MsgType::ECHO_REPLY, &e)).unwrap();
        assert!(s.contains("OFPT_ECHO_REPLY") && s.contains("|ping"), "{s}");
        fn empty<T: MessageBody + WireWrite + Default>() {
            let s = ofp_print(&message(T::TYPE, &T::default())).unwrap();
            assert!(s.contains(&T::TYPE.to_string()), "{s}");
        }
        empty::<FeaturesRequest>();
        empty::<GetConfigRequest>();
        empty::<BarrierRequest>();
        empty::<BarrierReply>();
        empty::<GetAsyncRequest>();
        // Open vSwitch's NXT_SET_PACKET_IN_FORMAT (experimenter NX_VENDOR_ID, type 16,
        // data: a 32-bit format, 1 = nxt_packet_in).
        let x = Experimenter {
            experimenter: 0x0000_2320,
            exp_type: 16,
            data: alloc::vec![0, 0, 0, 1],
        };
        let s = ofp_print(&message(MsgType::EXPERIMENTER, &x)).unwrap();
        assert!(
            s.contains("NXT_SET_PACKET_IN_FORMAT") && s.contains("format=nxt_packet_in"),
            "{s}"
        );
    }

    proptest! {
        #[test]
        fn echo_any_bytes(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            let e = parse_bytes(&b, Echo::parse).unwrap();
            prop_assert_eq!(e.to_vec().unwrap(), b);
        }

        #[test]
        fn experimenter_any_bytes(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(e) = parse_bytes(&b, Experimenter::parse_body) {
                prop_assert_eq!(e.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn experimenter_owned(experimenter: u32, exp_type: u32,
                              data in proptest::collection::vec(any::<u8>(), 0..64)) {
            let x = Experimenter { experimenter, exp_type, data };
            let b = x.to_vec().unwrap();
            prop_assert_eq!(b.len(), x.encoded_len());
            prop_assert_eq!(parse_bytes(&b, Experimenter::parse_body).unwrap(), x);
        }
    }
}
