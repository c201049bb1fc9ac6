//! Whole OpenFlow 1.3 messages: the header and a typed body, owned ([`Message`]) or borrowed
//! ([`MessageView`]).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;

use crate::async_config::AsyncConfig;
use crate::codec::{MessageBody, Reader, WireWrite};
use crate::codec_error::Result;
use crate::error_message::{ErrorMsg, ErrorMsgView};
use crate::features::SwitchFeatures;
use crate::flow_mod::{FlowMod, FlowModView};
use crate::flow_removed::FlowRemoved;
use crate::group_mod::GroupMod;
use crate::header::{Header, MsgType, HEADER_LEN, OFP_VERSION};
use crate::hello::Hello;
use crate::meter_mod::MeterMod;
use crate::multipart::{MultipartReply, MultipartReplyView, MultipartRequest};
use crate::packet_in::{PacketIn, PacketInView};
use crate::packet_out::PacketOut;
use crate::port::{PortMod, PortStatus};
use crate::queue::{QueueGetConfigReply, QueueGetConfigRequest};
use crate::role::Role;
use crate::simple::{
    BarrierReply, BarrierRequest, Echo, EchoView, Experimenter, FeaturesRequest, GetAsyncRequest,
    GetConfigRequest,
};
use crate::switch_config::SwitchConfig;
use crate::table_mod::TableMod;

/// The body of a message, by type.
///
/// Alone, a body encodes ([`Encode`](crate::Encode)) to the bytes after the message header.
///
/// A `Body` is as large as its largest variant, the FLOW_MOD with its inline match and
/// instruction and action lists (a [`Message`] takes 648 bytes on 64-bit targets; 96 with
/// vectors): the price of decoding a common PACKET_IN or FLOW_MOD (up to 2 instructions of up
/// to 4 actions, a match of up to 4 fields) without an allocation.
// The large variants are the common ones (PACKET_IN, FLOW_MOD) and stay unboxed on purpose.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Body {
    /// OFPT_HELLO.
    Hello(Hello),
    /// OFPT_ERROR.
    Error(ErrorMsg),
    /// OFPT_ECHO_REQUEST.
    EchoRequest(Echo),
    /// OFPT_ECHO_REPLY.
    EchoReply(Echo),
    /// OFPT_EXPERIMENTER.
    Experimenter(Experimenter),
    /// OFPT_FEATURES_REQUEST.
    FeaturesRequest,
    /// OFPT_FEATURES_REPLY.
    FeaturesReply(SwitchFeatures),
    /// OFPT_GET_CONFIG_REQUEST.
    GetConfigRequest,
    /// OFPT_GET_CONFIG_REPLY.
    GetConfigReply(SwitchConfig),
    /// OFPT_SET_CONFIG.
    SetConfig(SwitchConfig),
    /// OFPT_PACKET_IN.
    PacketIn(PacketIn),
    /// OFPT_FLOW_REMOVED.
    FlowRemoved(FlowRemoved),
    /// OFPT_PORT_STATUS.
    PortStatus(PortStatus),
    /// OFPT_PACKET_OUT.
    PacketOut(PacketOut),
    /// OFPT_FLOW_MOD.
    FlowMod(FlowMod),
    /// OFPT_GROUP_MOD.
    GroupMod(GroupMod),
    /// OFPT_PORT_MOD.
    PortMod(PortMod),
    /// OFPT_TABLE_MOD.
    TableMod(TableMod),
    /// OFPT_MULTIPART_REQUEST.
    MultipartRequest(MultipartRequest),
    /// OFPT_MULTIPART_REPLY.
    MultipartReply(MultipartReply),
    /// OFPT_BARRIER_REQUEST.
    BarrierRequest,
    /// OFPT_BARRIER_REPLY.
    BarrierReply,
    /// OFPT_QUEUE_GET_CONFIG_REQUEST.
    QueueGetConfigRequest(QueueGetConfigRequest),
    /// OFPT_QUEUE_GET_CONFIG_REPLY.
    QueueGetConfigReply(QueueGetConfigReply),
    /// OFPT_ROLE_REQUEST.
    RoleRequest(Role),
    /// OFPT_ROLE_REPLY.
    RoleReply(Role),
    /// OFPT_GET_ASYNC_REQUEST.
    GetAsyncRequest,
    /// OFPT_GET_ASYNC_REPLY.
    GetAsyncReply(AsyncConfig),
    /// OFPT_SET_ASYNC.
    SetAsync(AsyncConfig),
    /// OFPT_METER_MOD.
    MeterMod(MeterMod),
    /// A message type OpenFlow 1.3 does not define, kept raw.
    Unknown {
        /// The type number.
        msg_type: MsgType,
        /// The body.
        data: Vec<u8>,
    },
}

macro_rules! body_dispatch {
    ($self:expr, $v:ident => $e:expr, unit => $u:expr, unknown($d:ident) => $ue:expr) => {
        match $self {
            Body::Hello($v) => $e,
            Body::Error($v) => $e,
            Body::EchoRequest($v) | Body::EchoReply($v) => $e,
            Body::Experimenter($v) => $e,
            Body::FeaturesReply($v) => $e,
            Body::GetConfigReply($v) | Body::SetConfig($v) => $e,
            Body::PacketIn($v) => $e,
            Body::FlowRemoved($v) => $e,
            Body::PortStatus($v) => $e,
            Body::PacketOut($v) => $e,
            Body::FlowMod($v) => $e,
            Body::GroupMod($v) => $e,
            Body::PortMod($v) => $e,
            Body::TableMod($v) => $e,
            Body::MultipartRequest($v) => $e,
            Body::MultipartReply($v) => $e,
            Body::QueueGetConfigRequest($v) => $e,
            Body::QueueGetConfigReply($v) => $e,
            Body::RoleRequest($v) | Body::RoleReply($v) => $e,
            Body::GetAsyncReply($v) | Body::SetAsync($v) => $e,
            Body::MeterMod($v) => $e,
            Body::FeaturesRequest
            | Body::GetConfigRequest
            | Body::BarrierRequest
            | Body::BarrierReply
            | Body::GetAsyncRequest => $u,
            Body::Unknown { data: $d, .. } => $ue,
        }
    };
}

impl Body {
    /// The message type this body is sent as.
    pub fn msg_type(&self) -> MsgType {
        match self {
            Body::Hello(_) => MsgType::HELLO,
            Body::Error(_) => MsgType::ERROR,
            Body::EchoRequest(_) => MsgType::ECHO_REQUEST,
            Body::EchoReply(_) => MsgType::ECHO_REPLY,
            Body::Experimenter(_) => MsgType::EXPERIMENTER,
            Body::FeaturesRequest => MsgType::FEATURES_REQUEST,
            Body::FeaturesReply(_) => MsgType::FEATURES_REPLY,
            Body::GetConfigRequest => MsgType::GET_CONFIG_REQUEST,
            Body::GetConfigReply(_) => MsgType::GET_CONFIG_REPLY,
            Body::SetConfig(_) => MsgType::SET_CONFIG,
            Body::PacketIn(_) => MsgType::PACKET_IN,
            Body::FlowRemoved(_) => MsgType::FLOW_REMOVED,
            Body::PortStatus(_) => MsgType::PORT_STATUS,
            Body::PacketOut(_) => MsgType::PACKET_OUT,
            Body::FlowMod(_) => MsgType::FLOW_MOD,
            Body::GroupMod(_) => MsgType::GROUP_MOD,
            Body::PortMod(_) => MsgType::PORT_MOD,
            Body::TableMod(_) => MsgType::TABLE_MOD,
            Body::MultipartRequest(_) => MsgType::MULTIPART_REQUEST,
            Body::MultipartReply(_) => MsgType::MULTIPART_REPLY,
            Body::BarrierRequest => MsgType::BARRIER_REQUEST,
            Body::BarrierReply => MsgType::BARRIER_REPLY,
            Body::QueueGetConfigRequest(_) => MsgType::QUEUE_GET_CONFIG_REQUEST,
            Body::QueueGetConfigReply(_) => MsgType::QUEUE_GET_CONFIG_REPLY,
            Body::RoleRequest(_) => MsgType::ROLE_REQUEST,
            Body::RoleReply(_) => MsgType::ROLE_REPLY,
            Body::GetAsyncRequest => MsgType::GET_ASYNC_REQUEST,
            Body::GetAsyncReply(_) => MsgType::GET_ASYNC_REPLY,
            Body::SetAsync(_) => MsgType::SET_ASYNC,
            Body::MeterMod(_) => MsgType::METER_MOD,
            Body::Unknown { msg_type, .. } => *msg_type,
        }
    }

    /// Parses a body of type `t`. `r` holds exactly the body; all of it must be used.
    pub fn parse(t: MsgType, r: &mut Reader<'_>) -> Result<Body> {
        let b = match t {
            MsgType::HELLO => Body::Hello(Hello::parse_body(r)?),
            MsgType::ERROR => Body::Error(ErrorMsg::parse_body(r)?),
            MsgType::ECHO_REQUEST => Body::EchoRequest(Echo::parse(r)?),
            MsgType::ECHO_REPLY => Body::EchoReply(Echo::parse(r)?),
            MsgType::EXPERIMENTER => Body::Experimenter(Experimenter::parse_body(r)?),
            MsgType::FEATURES_REQUEST => {
                FeaturesRequest::parse_body(r)?;
                Body::FeaturesRequest
            }
            MsgType::FEATURES_REPLY => Body::FeaturesReply(SwitchFeatures::parse_body(r)?),
            MsgType::GET_CONFIG_REQUEST => {
                GetConfigRequest::parse_body(r)?;
                Body::GetConfigRequest
            }
            MsgType::GET_CONFIG_REPLY => Body::GetConfigReply(SwitchConfig::parse(r)?),
            MsgType::SET_CONFIG => Body::SetConfig(SwitchConfig::parse(r)?),
            MsgType::PACKET_IN => Body::PacketIn(PacketIn::parse_body(r)?),
            MsgType::FLOW_REMOVED => Body::FlowRemoved(FlowRemoved::parse_body(r)?),
            MsgType::PORT_STATUS => Body::PortStatus(PortStatus::parse_body(r)?),
            MsgType::PACKET_OUT => Body::PacketOut(PacketOut::parse_body(r)?),
            MsgType::FLOW_MOD => Body::FlowMod(FlowMod::parse_body(r)?),
            MsgType::GROUP_MOD => Body::GroupMod(GroupMod::parse_body(r)?),
            MsgType::PORT_MOD => Body::PortMod(PortMod::parse_body(r)?),
            MsgType::TABLE_MOD => Body::TableMod(TableMod::parse_body(r)?),
            MsgType::MULTIPART_REQUEST => Body::MultipartRequest(MultipartRequest::parse_body(r)?),
            MsgType::MULTIPART_REPLY => Body::MultipartReply(MultipartReply::parse_body(r)?),
            MsgType::BARRIER_REQUEST => {
                BarrierRequest::parse_body(r)?;
                Body::BarrierRequest
            }
            MsgType::BARRIER_REPLY => {
                BarrierReply::parse_body(r)?;
                Body::BarrierReply
            }
            MsgType::QUEUE_GET_CONFIG_REQUEST => {
                Body::QueueGetConfigRequest(QueueGetConfigRequest::parse_body(r)?)
            }
            MsgType::QUEUE_GET_CONFIG_REPLY => {
                Body::QueueGetConfigReply(QueueGetConfigReply::parse_body(r)?)
            }
            MsgType::ROLE_REQUEST => Body::RoleRequest(Role::parse(r)?),
            MsgType::ROLE_REPLY => Body::RoleReply(Role::parse(r)?),
            MsgType::GET_ASYNC_REQUEST => {
                GetAsyncRequest::parse_body(r)?;
                Body::GetAsyncRequest
            }
            MsgType::GET_ASYNC_REPLY => Body::GetAsyncReply(AsyncConfig::parse(r)?),
            MsgType::SET_ASYNC => Body::SetAsync(AsyncConfig::parse(r)?),
            MsgType::METER_MOD => Body::MeterMod(MeterMod::parse_body(r)?),
            other => Body::Unknown {
                msg_type: other,
                data: r.rest().to_vec(),
            },
        };
        r.finish("message body")?;
        Ok(b)
    }
}

crate::codec::impl_encode!(Body);

impl WireWrite for Body {
    fn encoded_len(&self) -> usize {
        body_dispatch!(self, v => v.encoded_len(), unit => 0, unknown(d) => d.len())
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        body_dispatch!(self, v => v.write(out), unit => Ok(()), unknown(d) => {
            out.put_slice(d);
            Ok(())
        })
    }
}

/// A whole OpenFlow 1.3 message: transaction id and body.
///
/// ```
/// use sdnwire_openflow::{Message, Body, Encode};
/// let m = Message::new(7, Body::BarrierRequest);
/// let bytes = m.to_vec().unwrap();
/// assert_eq!(bytes, [4, 20, 0, 8, 0, 0, 0, 7]);
/// assert_eq!(Message::parse(&bytes).unwrap(), m);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Transaction id.
    pub xid: u32,
    /// The body, by type.
    pub body: Body,
}

impl Message {
    /// A message with the given transaction id.
    pub fn new(xid: u32, body: Body) -> Self {
        Message { xid, body }
    }

    /// Parses one whole message (as [`Framer`](crate::Framer) cuts them): an OpenFlow 1.3
    /// header whose length equals the buffer's, and a body of its type that uses every byte.
    pub fn parse(bytes: &[u8]) -> Result<Message> {
        // PACKET_IN and FLOW_MOD through the views' one-pass readers (as
        // [`MessageView::parse`]), each body decoded straight into the message returned;
        // everything else, and every body those readers decline, field by field below (which
        // builds the exact error).
        if let Some((h, body)) = bytes.split_first_chunk::<HEADER_LEN>() {
            let length = u16::from_be_bytes([h[2], h[3]]);
            if h[0] == OFP_VERSION && usize::from(length) == bytes.len() {
                let xid = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
                if h[1] == MsgType::PACKET_IN.0 {
                    if let Some(p) = PacketInView::parse_fast(body, HEADER_LEN) {
                        return p.decode_message(xid);
                    }
                } else if h[1] == MsgType::FLOW_MOD.0 {
                    if let Some(v) = FlowModView::parse_fast_unframed(body, HEADER_LEN) {
                        return v.decode_message(xid, bytes);
                    }
                }
            }
        }
        Message::parse_general(bytes)
    }

    /// Every message type, through the header check and each body's parser.
    #[inline(never)]
    pub(crate) fn parse_general(bytes: &[u8]) -> Result<Message> {
        let h = Header::parse(bytes)?;
        let mut r = Reader::new(bytes.get(HEADER_LEN..).unwrap_or(&[]), HEADER_LEN);
        let body = Body::parse(h.msg_type, &mut r)?;
        Ok(Message { xid: h.xid, body })
    }

    /// The message type.
    pub fn msg_type(&self) -> MsgType {
        self.body.msg_type()
    }

    /// The header this message encodes with.
    pub fn header(&self) -> Result<Header> {
        let length = crate::codec::len16("ofp_header.length", self.encoded_len())?;
        Ok(Header {
            version: OFP_VERSION,
            msg_type: self.msg_type(),
            length,
            xid: self.xid,
        })
    }
}

crate::codec::impl_encode!(Message);

impl WireWrite for Message {
    fn encoded_len(&self) -> usize {
        HEADER_LEN + self.body.encoded_len()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        self.header()?.put(out);
        self.body.write(out)
    }
}

impl fmt::Display for Message {
    /// The message as Open vSwitch 3.1's `ovs-ofctl ofp-print` prints it:
    /// `OFPT_FLOW_MOD (OF1.3) (xid=0x7): ADD priority=1,in_port=1 actions=output:2`,
    /// multipart messages by their statistics name (`OFPST_FLOW reply (OF1.3) (xid=0x2):`),
    /// bodies over several indented lines where ofp-print breaks them, and no newline at the
    /// end. The crate's README lists where the text still differs from ovs-ofctl's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::ofp_print::fmt_message(f, self)
    }
}

impl fmt::Display for Body {
    /// `OFPT_FLOW_MOD: <body>` on one line: the type and the body's own `Display` (a
    /// `FlowMod` as its `add-flow` line). [`Message`]'s `Display` is ovs-ofctl's ofp-print
    /// text instead.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_body(f, self)
    }
}

fn fmt_body(f: &mut fmt::Formatter<'_>, body: &Body) -> fmt::Result {
    let name = body.msg_type().to_string();
    f.write_str(&name)?;
    let text = match body {
        Body::Unknown { data, .. } => alloc::format!("{} bytes", data.len()),
        b => {
            body_dispatch!(b, v => alloc::format!("{v}"), unit => String::new(), unknown(_d) => String::new())
        }
    };
    // Bodies that are one message type's own print their type name first; say it once.
    let text = text
        .strip_prefix(name.as_str())
        .map_or(text.as_str(), str::trim_start);
    if text.is_empty() {
        Ok(())
    } else {
        write!(f, ": {text}")
    }
}

/// The borrowed body of a message: the hot paths as views that allocate nothing, the rest as
/// its raw bytes (use [`MessageView::decode`] for those).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum BodyView<'a> {
    /// OFPT_PACKET_IN.
    PacketIn(PacketInView<'a>),
    /// OFPT_MULTIPART_REPLY.
    MultipartReply(MultipartReplyView<'a>),
    /// OFPT_FLOW_MOD.
    FlowMod(FlowModView<'a>),
    /// OFPT_ERROR.
    Error(ErrorMsgView<'a>),
    /// OFPT_ECHO_REQUEST.
    EchoRequest(EchoView<'a>),
    /// OFPT_ECHO_REPLY.
    EchoReply(EchoView<'a>),
    /// Any other type: the body's bytes.
    Other(&'a [u8]),
}

/// A message borrowed from its bytes.
#[derive(Debug, Clone)]
pub struct MessageView<'a> {
    /// The header.
    pub header: Header,
    /// The body.
    pub body: BodyView<'a>,
    bytes: &'a [u8],
}

impl<'a> MessageView<'a> {
    /// Views one whole message; validates the header and, for the typed bodies, the body.
    // Always inlined: the PACKET_IN path is small, and in the caller the view is built where
    // it is used instead of being copied out through a 128-byte `Result`.
    #[inline(always)]
    pub fn parse(bytes: &'a [u8]) -> Result<MessageView<'a>> {
        // PACKET_IN, the hottest message of a controller, and FLOW_MOD, the hottest of a
        // switch agent, each in one pass over the slice; everything else, and every error,
        // below.
        if let Some((h, body)) = bytes.split_first_chunk::<HEADER_LEN>() {
            let length = u16::from_be_bytes([h[2], h[3]]);
            if h[0] == OFP_VERSION
                && h[1] == MsgType::PACKET_IN.0
                && usize::from(length) == bytes.len()
            {
                if let Some(p) = PacketInView::parse_fast(body, HEADER_LEN) {
                    return Ok(MessageView {
                        header: Header {
                            version: OFP_VERSION,
                            msg_type: MsgType::PACKET_IN,
                            length,
                            xid: u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
                        },
                        body: BodyView::PacketIn(p),
                        bytes,
                    });
                }
            }
            if h[0] == OFP_VERSION
                && h[1] == MsgType::FLOW_MOD.0
                && usize::from(length) == bytes.len()
            {
                if let Some(v) = FlowModView::parse_fast(body, HEADER_LEN) {
                    return Ok(MessageView {
                        header: Header {
                            version: OFP_VERSION,
                            msg_type: MsgType::FLOW_MOD,
                            length,
                            xid: u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
                        },
                        body: BodyView::FlowMod(v),
                        bytes,
                    });
                }
            }
        }
        MessageView::parse_general(bytes)
    }

    /// Every message type, through the header check and each body's parser.
    #[inline(never)]
    pub(crate) fn parse_general(bytes: &'a [u8]) -> Result<MessageView<'a>> {
        let header = Header::parse(bytes)?;
        let body_bytes = bytes.get(HEADER_LEN..).unwrap_or(&[]);
        let mut r = Reader::new(body_bytes, HEADER_LEN);
        let body = match header.msg_type {
            MsgType::PACKET_IN => BodyView::PacketIn(PacketInView::parse(&mut r)?),
            MsgType::MULTIPART_REPLY => {
                BodyView::MultipartReply(MultipartReplyView::parse(&mut r)?)
            }
            MsgType::FLOW_MOD => BodyView::FlowMod(FlowModView::parse(&mut r)?),
            MsgType::ERROR => BodyView::Error(ErrorMsgView::parse(&mut r)?),
            MsgType::ECHO_REQUEST => BodyView::EchoRequest(EchoView::parse(&mut r)?),
            MsgType::ECHO_REPLY => BodyView::EchoReply(EchoView::parse(&mut r)?),
            _ => BodyView::Other(r.rest()),
        };
        r.finish("message body")?;
        Ok(MessageView {
            header,
            body,
            bytes,
        })
    }

    /// The whole message's bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The owned message.
    pub fn decode(&self) -> Result<Message> {
        Message::parse(self.bytes)
    }
}

impl fmt::Display for BodyView<'_> {
    /// The typed bodies as their views print; any other body as `N bytes`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyView::PacketIn(v) => v.fmt(f),
            BodyView::MultipartReply(v) => v.fmt(f),
            BodyView::FlowMod(v) => v.fmt(f),
            BodyView::Error(v) => v.fmt(f),
            BodyView::EchoRequest(v) | BodyView::EchoReply(v) => v.fmt(f),
            BodyView::Other(b) => write!(f, "{} bytes", b.len()),
        }
    }
}

crate::codec::display_decoded!(MessageView);
