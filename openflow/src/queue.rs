//! OFPT_QUEUE_GET_CONFIG_REQUEST and OFPT_QUEUE_GET_CONFIG_REPLY: the queues of a port and
//! their properties (`ofp_packet_queue`, `ofp_queue_prop_*`).
//!
//! [`QueueGetConfigReplyView`] walks a received reply without allocating: [`PacketQueues`]
//! yields each queue, [`QueueProps`] each property of a queue, both as `Result`s that name the
//! offset of a bad length. The owned [`QueueGetConfigReply`] is built from it.
//!
//! Lengths are checked against the spec's minimums and against the enclosing structure: a
//! queue's `len` must cover its 16-byte header and its properties must fill it exactly; a
//! property's `len` must be at least 8 (16 for the rate and experimenter properties, exactly 16
//! for the rate properties). Lengths need not be multiples of 8 (os-ken's corpus has queues of
//! 65 bytes); whatever length was parsed is encoded back.

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;

use crate::codec::{len16, put_zeros, MessageBody, Reader, WireWrite};
use crate::codec_error::{Error, Result};
use crate::header::MsgType;
use crate::types::PortNo;

/// OFPQ_ALL: all queues (in queue statistics requests).
pub const OFPQ_ALL: u32 = 0xffff_ffff;
/// OFPQ_MIN_RATE_UNCFG / OFPQ_MAX_RATE_UNCFG: the rate is not configured.
pub const OFPQ_RATE_UNCFG: u16 = 0xffff;

/// OFPQT_MIN_RATE.
pub const OFPQT_MIN_RATE: u16 = 1;
/// OFPQT_MAX_RATE.
pub const OFPQT_MAX_RATE: u16 = 2;
/// OFPQT_EXPERIMENTER.
pub const OFPQT_EXPERIMENTER: u16 = 0xffff;

/// Length of `ofp_packet_queue` before its properties.
pub const PACKET_QUEUE_HEADER_LEN: usize = 16;
/// Length of `ofp_queue_prop_header`.
pub const QUEUE_PROP_HEADER_LEN: usize = 8;
/// Length of `ofp_queue_prop_min_rate` and `ofp_queue_prop_max_rate`.
pub const QUEUE_PROP_RATE_LEN: usize = 16;
/// Length of `ofp_queue_prop_experimenter` before its data.
pub const QUEUE_PROP_EXPERIMENTER_LEN: usize = 16;

/// OFPT_QUEUE_GET_CONFIG_REQUEST (`ofp_queue_get_config_request`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct QueueGetConfigRequest {
    /// The port whose queues are wanted, or [`PortNo::ANY`] for all ports.
    pub port: PortNo,
}

impl QueueGetConfigRequest {
    /// Body length.
    pub const LEN: usize = 8;

    /// A request for the queues of `port`.
    pub fn new(port: impl Into<PortNo>) -> QueueGetConfigRequest {
        QueueGetConfigRequest { port: port.into() }
    }
}

impl MessageBody for QueueGetConfigRequest {
    const TYPE: MsgType = MsgType::QUEUE_GET_CONFIG_REQUEST;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        let port = PortNo(r.u32("ofp_queue_get_config_request.port")?);
        r.pad(4, "ofp_queue_get_config_request.pad")?;
        r.finish("ofp_queue_get_config_request")?;
        Ok(QueueGetConfigRequest { port })
    }
}

crate::codec::impl_encode!(QueueGetConfigRequest);

impl WireWrite for QueueGetConfigRequest {
    fn encoded_len(&self) -> usize {
        QueueGetConfigRequest::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u32(self.port.0);
        put_zeros(out, 4);
        Ok(())
    }
}

impl fmt::Display for QueueGetConfigRequest {
    /// `OFPT_QUEUE_GET_CONFIG_REQUEST port=ANY`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OFPT_QUEUE_GET_CONFIG_REQUEST port={}", self.port)
    }
}

/// A queue property (`ofp_queue_prop_*`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QueueProp {
    /// OFPQT_MIN_RATE: guaranteed minimum rate, in 1/10 of a percent of the port's rate;
    /// above 1000 (such as [`OFPQ_RATE_UNCFG`]) means disabled.
    MinRate {
        /// The rate.
        rate: u16,
    },
    /// OFPQT_MAX_RATE: maximum rate, in 1/10 of a percent; above 1000 means disabled.
    MaxRate {
        /// The rate.
        rate: u16,
    },
    /// OFPQT_EXPERIMENTER: an experimenter property, its data kept raw.
    Experimenter {
        /// The experimenter id.
        experimenter: u32,
        /// The bytes after the 16-byte property header, up to the property's `len`.
        data: Vec<u8>,
    },
    /// A property of another type, kept raw.
    Unknown {
        /// The property type.
        property: u16,
        /// The bytes after the 8-byte property header, up to the property's `len`.
        data: Vec<u8>,
    },
}

impl QueueProp {
    /// The property type.
    pub fn property(&self) -> u16 {
        match self {
            QueueProp::MinRate { .. } => OFPQT_MIN_RATE,
            QueueProp::MaxRate { .. } => OFPQT_MAX_RATE,
            QueueProp::Experimenter { .. } => OFPQT_EXPERIMENTER,
            QueueProp::Unknown { property, .. } => *property,
        }
    }

    /// The borrowed form.
    pub fn as_ref(&self) -> QueuePropView<'_> {
        match self {
            QueueProp::MinRate { rate } => QueuePropView::MinRate { rate: *rate },
            QueueProp::MaxRate { rate } => QueuePropView::MaxRate { rate: *rate },
            QueueProp::Experimenter { experimenter, data } => QueuePropView::Experimenter {
                experimenter: *experimenter,
                data,
            },
            QueueProp::Unknown { property, data } => QueuePropView::Unknown {
                property: *property,
                data,
            },
        }
    }
}

crate::codec::impl_encode!(QueueProp);

impl WireWrite for QueueProp {
    fn encoded_len(&self) -> usize {
        match self {
            QueueProp::MinRate { .. } | QueueProp::MaxRate { .. } => QUEUE_PROP_RATE_LEN,
            QueueProp::Experimenter { data, .. } => QUEUE_PROP_EXPERIMENTER_LEN + data.len(),
            QueueProp::Unknown { data, .. } => QUEUE_PROP_HEADER_LEN + data.len(),
        }
    }

    /// Fails for an `Unknown` property whose type is one of the modelled ones (it would not
    /// parse back as `Unknown`) or a property too long for its length field.
    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        if let QueueProp::Unknown { property, .. } = self {
            if matches!(
                *property,
                OFPQT_MIN_RATE | OFPQT_MAX_RATE | OFPQT_EXPERIMENTER
            ) {
                return Err(Error::Unencodable {
                    what: "ofp_queue_prop_header",
                    reason: "an Unknown property with a known type: use its variant",
                });
            }
        }
        let len = len16("ofp_queue_prop_header", self.encoded_len())?;
        out.put_u16(self.property());
        out.put_u16(len);
        put_zeros(out, 4);
        match self {
            QueueProp::MinRate { rate } | QueueProp::MaxRate { rate } => {
                out.put_u16(*rate);
                put_zeros(out, 6);
            }
            QueueProp::Experimenter { experimenter, data } => {
                out.put_u32(*experimenter);
                put_zeros(out, 4);
                out.put_slice(data);
            }
            QueueProp::Unknown { data, .. } => out.put_slice(data),
        }
        Ok(())
    }
}

impl fmt::Display for QueueProp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_ref().fmt(f)
    }
}

/// A queue property of a received reply, borrowing the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QueuePropView<'a> {
    /// OFPQT_MIN_RATE.
    MinRate {
        /// The rate, in 1/10 of a percent.
        rate: u16,
    },
    /// OFPQT_MAX_RATE.
    MaxRate {
        /// The rate, in 1/10 of a percent.
        rate: u16,
    },
    /// OFPQT_EXPERIMENTER.
    Experimenter {
        /// The experimenter id.
        experimenter: u32,
        /// The data after the 16-byte header.
        data: &'a [u8],
    },
    /// Another property type.
    Unknown {
        /// The property type.
        property: u16,
        /// The data after the 8-byte header.
        data: &'a [u8],
    },
}

impl QueuePropView<'_> {
    /// The owned property.
    pub fn decode(&self) -> QueueProp {
        match *self {
            QueuePropView::MinRate { rate } => QueueProp::MinRate { rate },
            QueuePropView::MaxRate { rate } => QueueProp::MaxRate { rate },
            QueuePropView::Experimenter { experimenter, data } => QueueProp::Experimenter {
                experimenter,
                data: data.to_vec(),
            },
            QueuePropView::Unknown { property, data } => QueueProp::Unknown {
                property,
                data: data.to_vec(),
            },
        }
    }
}

/// Writes a rate in 1/10 of a percent as ovs-ofctl does (`5.0%`), `uncfg` for 0xffff.
fn fmt_rate(f: &mut fmt::Formatter<'_>, name: &str, rate: u16) -> fmt::Result {
    if rate == OFPQ_RATE_UNCFG {
        write!(f, "{name}:uncfg")
    } else {
        write!(f, "{name}:{}.{}%", rate / 10, rate % 10)
    }
}

impl fmt::Display for QueuePropView<'_> {
    /// `min_rate:5.0%`, `max_rate:100.0%`, `experimenter:0x2320(4 bytes)`, `prop7(8 bytes)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            QueuePropView::MinRate { rate } => fmt_rate(f, "min_rate", rate),
            QueuePropView::MaxRate { rate } => fmt_rate(f, "max_rate", rate),
            QueuePropView::Experimenter { experimenter, data } => {
                write!(f, "experimenter:{experimenter:#x}({} bytes)", data.len())
            }
            QueuePropView::Unknown { property, data } => {
                write!(f, "prop{property}({} bytes)", data.len())
            }
        }
    }
}

/// Iterator over the properties of a queue; stops after the first error.
#[derive(Debug, Clone)]
pub struct QueueProps<'a> {
    r: Reader<'a>,
    failed: bool,
}

impl<'a> QueueProps<'a> {
    fn next_prop(&mut self) -> Result<QueuePropView<'a>> {
        let start = self.r.offset();
        let available = self.r.remaining();
        let property = self.r.peek_u16(0, "ofp_queue_prop_header.property")?;
        let len = usize::from(self.r.peek_u16(2, "ofp_queue_prop_header.len")?);
        let min = match property {
            OFPQT_MIN_RATE | OFPQT_MAX_RATE => QUEUE_PROP_RATE_LEN,
            OFPQT_EXPERIMENTER => QUEUE_PROP_EXPERIMENTER_LEN,
            _ => QUEUE_PROP_HEADER_LEN,
        };
        if len < min {
            return Err(Reader::bad_length(
                "ofp_queue_prop_header.len",
                start + 2,
                len,
                match min {
                    QUEUE_PROP_HEADER_LEN => "below the 8-byte property header",
                    _ => "below the 16 bytes of this property",
                },
            ));
        }
        if len > available {
            return Err(Reader::bad_length(
                "ofp_queue_prop_header.len",
                start + 2,
                len,
                "past the end of the queue",
            ));
        }
        if matches!(property, OFPQT_MIN_RATE | OFPQT_MAX_RATE) && len != QUEUE_PROP_RATE_LEN {
            return Err(Reader::bad_length(
                "ofp_queue_prop_header.len",
                start + 2,
                len,
                "a rate property is exactly 16 bytes",
            ));
        }
        let mut p = self.r.sub(len, "ofp_queue_prop")?;
        p.u16("ofp_queue_prop_header.property")?;
        p.u16("ofp_queue_prop_header.len")?;
        p.pad(4, "ofp_queue_prop_header.pad")?;
        Ok(match property {
            OFPQT_MIN_RATE | OFPQT_MAX_RATE => {
                let rate = p.u16("ofp_queue_prop_rate.rate")?;
                p.pad(6, "ofp_queue_prop_rate.pad")?;
                if property == OFPQT_MIN_RATE {
                    QueuePropView::MinRate { rate }
                } else {
                    QueuePropView::MaxRate { rate }
                }
            }
            OFPQT_EXPERIMENTER => {
                let experimenter = p.u32("ofp_queue_prop_experimenter.experimenter")?;
                p.pad(4, "ofp_queue_prop_experimenter.pad")?;
                QueuePropView::Experimenter {
                    experimenter,
                    data: p.rest(),
                }
            }
            _ => QueuePropView::Unknown {
                property,
                data: p.rest(),
            },
        })
    }
}

impl<'a> Iterator for QueueProps<'a> {
    type Item = Result<QueuePropView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.r.is_empty() {
            return None;
        }
        let p = self.next_prop();
        self.failed = p.is_err();
        Some(p)
    }
}

/// A queue (`ofp_packet_queue`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PacketQueue {
    /// The queue id.
    pub queue_id: u32,
    /// The port the queue is attached to.
    pub port: PortNo,
    /// The queue's properties.
    pub properties: Vec<QueueProp>,
}

impl PacketQueue {
    /// A queue with a minimum and a maximum rate (in 1/10 of a percent).
    pub fn with_rates(
        queue_id: u32,
        port: impl Into<PortNo>,
        min_rate: u16,
        max_rate: u16,
    ) -> PacketQueue {
        PacketQueue {
            queue_id,
            port: port.into(),
            properties: alloc::vec![
                QueueProp::MinRate { rate: min_rate },
                QueueProp::MaxRate { rate: max_rate },
            ],
        }
    }
}

crate::codec::impl_encode!(PacketQueue);

impl WireWrite for PacketQueue {
    fn encoded_len(&self) -> usize {
        PACKET_QUEUE_HEADER_LEN
            + self
                .properties
                .iter()
                .map(WireWrite::encoded_len)
                .sum::<usize>()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        let len = len16("ofp_packet_queue", self.encoded_len())?;
        out.put_u32(self.queue_id);
        out.put_u32(self.port.0);
        out.put_u16(len);
        put_zeros(out, 6);
        for p in &self.properties {
            p.write(out)?;
        }
        Ok(())
    }
}

impl fmt::Display for PacketQueue {
    /// `queue 1 (port 1): min_rate:5.0% max_rate:100.0%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "queue {} (port {}):", self.queue_id, self.port)?;
        for p in &self.properties {
            write!(f, " {p}")?;
        }
        Ok(())
    }
}

/// A queue of a received reply, borrowing the message.
#[derive(Debug, Clone)]
pub struct PacketQueueView<'a> {
    /// The queue id.
    pub queue_id: u32,
    /// The port the queue is attached to.
    pub port: PortNo,
    props: Reader<'a>,
}

impl<'a> PacketQueueView<'a> {
    /// The properties.
    pub fn properties(&self) -> QueueProps<'a> {
        QueueProps {
            r: self.props.clone(),
            failed: false,
        }
    }

    /// The owned queue (fails on the first bad property).
    pub fn decode(&self) -> Result<PacketQueue> {
        Ok(PacketQueue {
            queue_id: self.queue_id,
            port: self.port,
            properties: self
                .properties()
                .map(|p| p.map(|p| p.decode()))
                .collect::<Result<Vec<_>>>()?,
        })
    }
}

/// Iterator over the queues of a reply; stops after the first error.
#[derive(Debug, Clone)]
pub struct PacketQueues<'a> {
    r: Reader<'a>,
    failed: bool,
}

impl<'a> PacketQueues<'a> {
    fn next_queue(&mut self) -> Result<PacketQueueView<'a>> {
        let start = self.r.offset();
        let len = usize::from(self.r.peek_u16(8, "ofp_packet_queue.len")?);
        if len < PACKET_QUEUE_HEADER_LEN {
            return Err(Reader::bad_length(
                "ofp_packet_queue.len",
                start + 8,
                len,
                "below the 16-byte queue header",
            ));
        }
        if len > self.r.remaining() {
            return Err(Reader::bad_length(
                "ofp_packet_queue.len",
                start + 8,
                len,
                "past the end of the message",
            ));
        }
        let mut q = self.r.sub(len, "ofp_packet_queue")?;
        let queue_id = q.u32("ofp_packet_queue.queue_id")?;
        let port = PortNo(q.u32("ofp_packet_queue.port")?);
        q.u16("ofp_packet_queue.len")?;
        q.pad(6, "ofp_packet_queue.pad")?;
        let base = q.offset();
        Ok(PacketQueueView {
            queue_id,
            port,
            props: Reader::new(q.rest(), base),
        })
    }
}

impl<'a> Iterator for PacketQueues<'a> {
    type Item = Result<PacketQueueView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.r.is_empty() {
            return None;
        }
        let q = self.next_queue();
        self.failed = q.is_err();
        Some(q)
    }
}

/// A received QUEUE_GET_CONFIG_REPLY, borrowing the message.
#[derive(Debug, Clone)]
pub struct QueueGetConfigReplyView<'a> {
    /// The port the request asked about.
    pub port: PortNo,
    queues: Reader<'a>,
}

impl<'a> QueueGetConfigReplyView<'a> {
    /// Reads the fixed part and takes the rest of `r` as the queues (checked while
    /// iterating).
    pub fn parse(r: &mut Reader<'a>) -> Result<QueueGetConfigReplyView<'a>> {
        let port = PortNo(r.u32("ofp_queue_get_config_reply.port")?);
        r.pad(4, "ofp_queue_get_config_reply.pad")?;
        let base = r.offset();
        Ok(QueueGetConfigReplyView {
            port,
            queues: Reader::new(r.rest(), base),
        })
    }

    /// The queues.
    pub fn queues(&self) -> PacketQueues<'a> {
        PacketQueues {
            r: self.queues.clone(),
            failed: false,
        }
    }

    /// The owned reply (fails on the first bad queue or property).
    pub fn decode(&self) -> Result<QueueGetConfigReply> {
        let mut queues = Vec::new();
        for q in self.queues() {
            queues.push(q?.decode()?);
        }
        Ok(QueueGetConfigReply {
            port: self.port,
            queues,
        })
    }
}

/// OFPT_QUEUE_GET_CONFIG_REPLY (`ofp_queue_get_config_reply`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct QueueGetConfigReply {
    /// The port the request asked about.
    pub port: PortNo,
    /// The queues.
    pub queues: Vec<PacketQueue>,
}

impl QueueGetConfigReply {
    /// Length of the fixed part.
    pub const MIN_LEN: usize = 8;
}

impl MessageBody for QueueGetConfigReply {
    const TYPE: MsgType = MsgType::QUEUE_GET_CONFIG_REPLY;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        QueueGetConfigReplyView::parse(r)?.decode()
    }
}

crate::codec::impl_encode!(QueueGetConfigReply);

impl WireWrite for QueueGetConfigReply {
    fn encoded_len(&self) -> usize {
        QueueGetConfigReply::MIN_LEN
            + self
                .queues
                .iter()
                .map(WireWrite::encoded_len)
                .sum::<usize>()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u32(self.port.0);
        put_zeros(out, 4);
        for q in &self.queues {
            q.write(out)?;
        }
        Ok(())
    }
}

impl fmt::Display for QueueGetConfigReply {
    /// `OFPT_QUEUE_GET_CONFIG_REPLY port=1 queue 1 (port 1): min_rate:5.0% max_rate:100.0%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OFPT_QUEUE_GET_CONFIG_REPLY port={}", self.port)?;
        for q in &self.queues {
            write!(f, " {q}")?;
        }
        Ok(())
    }
}

crate::codec::display_decoded!(PacketQueueView, QueueGetConfigReplyView);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simple::testutil::*;
    use alloc::string::ToString;
    use alloc::vec;
    use proptest::prelude::*;

    #[test]
    fn os_ken_request() {
        let name = "4-35-ofp_queue_get_config_request";
        let Some(msg) = corpus(name) else { return };
        let q: QueueGetConfigRequest = parse_msg(&msg);
        let Some(json) = corpus_json(name) else {
            return;
        };
        assert_eq!(
            u64::from(q.port.0),
            json["OFPQueueGetConfigRequest"]["port"].as_u64().unwrap()
        );
        assert_eq!(q.to_string(), "OFPT_QUEUE_GET_CONFIG_REQUEST port=ANY");
    }

    #[test]
    fn os_ken_reply() {
        let name = "4-36-ofp_queue_get_config_reply";
        let Some(msg) = corpus(name) else { return };
        let reply: QueueGetConfigReply = parse_msg(&msg);
        let Some(json) = corpus_json(name) else {
            return;
        };
        let j = &json["OFPQueueGetConfigReply"];
        assert_eq!(u64::from(reply.port.0), j["port"].as_u64().unwrap());
        let jq = j["queues"].as_array().unwrap();
        assert_eq!(jq.len(), reply.queues.len());
        for (q, jq) in reply.queues.iter().zip(jq) {
            let jq = &jq["OFPPacketQueue"];
            assert_eq!(u64::from(q.queue_id), jq["queue_id"].as_u64().unwrap());
            assert_eq!(u64::from(q.port.0), jq["port"].as_u64().unwrap());
            assert_eq!(q.encoded_len() as u64, jq["len"].as_u64().unwrap());
            let jp = jq["properties"].as_array().unwrap();
            assert_eq!(jp.len(), q.properties.len());
            for (p, jp) in q.properties.iter().zip(jp) {
                let (key, jp) = jp.as_object().unwrap().iter().next().unwrap();
                assert_eq!(u64::from(p.property()), jp["property"].as_u64().unwrap());
                assert_eq!(p.encoded_len() as u64, jp["len"].as_u64().unwrap());
                match p {
                    QueueProp::MinRate { rate } => {
                        assert_eq!(key, "OFPQueuePropMinRate");
                        assert_eq!(u64::from(*rate), jp["rate"].as_u64().unwrap());
                    }
                    QueueProp::MaxRate { rate } => {
                        assert_eq!(key, "OFPQueuePropMaxRate");
                        assert_eq!(u64::from(*rate), jp["rate"].as_u64().unwrap());
                    }
                    QueueProp::Experimenter { experimenter, data } => {
                        assert_eq!(key, "OFPQueuePropExperimenter");
                        assert_eq!(
                            u64::from(*experimenter),
                            jp["experimenter"].as_u64().unwrap()
                        );
                        let want: Vec<u64> = jp["data"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|x| x.as_u64().unwrap())
                            .collect();
                        let got: Vec<u64> = data.iter().map(|&b| u64::from(b)).collect();
                        assert_eq!(got, want);
                    }
                    other => panic!("unexpected {other:?}"),
                }
            }
        }
        assert_eq!(
            reply.queues[1].to_string(),
            "queue 88 (port 77): min_rate:10.0% max_rate:20.0% experimenter:0x3e7(1 bytes)"
        );
        // The view walks the same message without allocating.
        let mut r = body(&msg, MsgType::QUEUE_GET_CONFIG_REPLY);
        let v = QueueGetConfigReplyView::parse(&mut r).unwrap();
        let ids: Vec<u32> = v.queues().map(|q| q.unwrap().queue_id).collect();
        assert_eq!(ids, [99, 88, 77]);
        let q = v.queues().nth(2).unwrap().unwrap();
        let props: Vec<_> = q.properties().map(|p| p.unwrap()).collect();
        assert_eq!(props[0], QueuePropView::MinRate { rate: 200 });
        assert_eq!(
            props[2],
            QueuePropView::Experimenter {
                experimenter: 999,
                data: &[1, 2]
            }
        );
    }

    fn reply_bytes(props: &[u8]) -> Vec<u8> {
        // port 1, one queue (id 7, port 1) holding `props`.
        let mut b = vec![0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 1];
        let qlen = u16::try_from(16 + props.len()).unwrap();
        b.extend_from_slice(&qlen.to_be_bytes());
        b.extend_from_slice(&[0; 6]);
        b.extend_from_slice(props);
        b
    }

    #[test]
    fn negative_lengths() {
        let parse = |b: &[u8]| parse_bytes(b, QueueGetConfigReply::parse_body);
        // Request: every truncation, extra byte, non-zero padding.
        let req = QueueGetConfigRequest::new(3).to_vec().unwrap();
        for n in 0..req.len() {
            assert!(matches!(
                parse_bytes(&req[..n], QueueGetConfigRequest::parse_body),
                Err(Error::Truncated { .. })
            ));
        }
        let mut long = req.clone();
        long.push(0);
        assert!(matches!(
            parse_bytes(&long, QueueGetConfigRequest::parse_body),
            Err(Error::TrailingBytes { offset: 16, .. })
        ));
        let mut bad = req;
        bad[7] = 1;
        assert!(matches!(
            parse_bytes(&bad, QueueGetConfigRequest::parse_body),
            Err(Error::BadValue { offset: 15, .. })
        ));

        // Reply fixed part.
        for n in 0..8 {
            assert!(matches!(
                parse(&[0u8; 8][..n]),
                Err(Error::Truncated { .. })
            ));
        }
        assert_eq!(parse(&[0u8; 8]).unwrap(), QueueGetConfigReply::default());
        // Queue len below its header, and past the end.
        let mut b = reply_bytes(&[]);
        b[17] = 15;
        assert_eq!(
            parse(&b),
            Err(Error::BadLength {
                what: "ofp_packet_queue.len",
                offset: 24,
                value: 15,
                reason: "below the 16-byte queue header"
            })
        );
        b[17] = 17;
        assert!(matches!(
            parse(&b),
            Err(Error::BadLength {
                offset: 24,
                value: 17,
                ..
            })
        ));
        // A queue header cut short.
        assert!(matches!(
            parse(&reply_bytes(&[])[..17]),
            Err(Error::Truncated { .. })
        ));
        assert!(matches!(
            parse(&reply_bytes(&[])[..20]),
            Err(Error::BadLength {
                offset: 24,
                value: 16,
                ..
            })
        ));
        // Non-zero queue padding.
        let mut b = reply_bytes(&[]);
        b[23] = 5;
        assert!(matches!(parse(&b), Err(Error::BadValue { offset: 31, .. })));

        let min_rate = [0, 1, 0, 16, 0, 0, 0, 0, 0, 50, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            parse(&reply_bytes(&min_rate)).unwrap().queues[0].properties,
            [QueueProp::MinRate { rate: 50 }]
        );
        // Property len below its header / its minimum / not 16 for a rate / past the queue.
        for (len, reason) in [
            (7u8, "below the 8-byte property header"),
            (15, "below the 16 bytes of this property"),
        ] {
            let mut p = min_rate;
            p[3] = len;
            if len == 7 {
                p[1] = 9;
            }
            assert_eq!(
                parse(&reply_bytes(&p)),
                Err(Error::BadLength {
                    what: "ofp_queue_prop_header.len",
                    offset: 34,
                    value: usize::from(len),
                    reason
                })
            );
        }
        let mut p = min_rate.to_vec();
        p[3] = 24;
        p.extend_from_slice(&[0; 8]);
        assert!(matches!(
            parse(&reply_bytes(&p)),
            Err(Error::BadLength {
                offset: 34,
                value: 24,
                reason: "a rate property is exactly 16 bytes",
                ..
            })
        ));
        let mut p = min_rate;
        p[3] = 17;
        assert!(matches!(
            parse(&reply_bytes(&p)),
            Err(Error::BadLength {
                offset: 34,
                value: 17,
                reason: "past the end of the queue",
                ..
            })
        ));
        // A property header cut short inside the queue.
        assert!(matches!(
            parse(&reply_bytes(&min_rate[..3])),
            Err(Error::Truncated { .. })
        ));
        // Non-zero padding in the property header and after the rate.
        let mut p = min_rate;
        p[5] = 1;
        assert!(matches!(
            parse(&reply_bytes(&p)),
            Err(Error::BadValue { offset: 37, .. })
        ));
        let mut p = min_rate;
        p[15] = 1;
        assert!(matches!(
            parse(&reply_bytes(&p)),
            Err(Error::BadValue { offset: 47, .. })
        ));
        // Experimenter property below 16.
        let exp = [0xff, 0xff, 0, 12, 0, 0, 0, 0, 0, 0, 0x23, 0x20];
        assert!(matches!(
            parse(&reply_bytes(&exp)),
            Err(Error::BadLength {
                offset: 34,
                value: 12,
                ..
            })
        ));
        // Unknown properties are kept raw.
        let unk = [0, 9, 0, 11, 0, 0, 0, 0, 1, 2, 3];
        let r = parse(&reply_bytes(&unk)).unwrap();
        assert_eq!(
            r.queues[0].properties,
            [QueueProp::Unknown {
                property: 9,
                data: vec![1, 2, 3]
            }]
        );
        assert_eq!(r.to_vec().unwrap(), reply_bytes(&unk));
        // An Unknown with a modelled type is refused on encode.
        let bad = QueueProp::Unknown {
            property: OFPQT_MIN_RATE,
            data: vec![0; 8],
        };
        assert!(matches!(bad.to_vec(), Err(Error::Unencodable { .. })));
        // The view yields the good queue, then the error, then stops.
        let mut b = reply_bytes(&min_rate);
        b.extend_from_slice(&[0, 0, 0, 8, 0, 0, 0, 1, 0, 3]);
        let mut rd = Reader::new(&b, 8);
        let v = QueueGetConfigReplyView::parse(&mut rd).unwrap();
        let items: Vec<_> = v.queues().collect();
        assert_eq!(items.len(), 2);
        assert!(items[0].is_ok());
        assert!(matches!(items[1], Err(Error::BadLength { value: 3, .. })));
    }

    #[test]
    fn ovs_decodes_what_we_encode() {
        let req = QueueGetConfigRequest::new(PortNo::ANY);
        let Some(s) = ofp_print(&message(MsgType::QUEUE_GET_CONFIG_REQUEST, &req)) else {
            return;
        };
        assert!(
            s.contains("OFPT_QUEUE_GET_CONFIG_REQUEST") && s.contains("port=ANY"),
            "{s}"
        );
        let s = ofp_print(&message(
            MsgType::QUEUE_GET_CONFIG_REQUEST,
            &QueueGetConfigRequest::new(7),
        ))
        .unwrap();
        assert!(s.contains("port=7"), "{s}");
        let reply = QueueGetConfigReply {
            port: PortNo(1),
            queues: vec![
                PacketQueue::with_rates(1, 1, 50, 1000),
                PacketQueue::with_rates(2, 1, 125, 500),
                PacketQueue {
                    queue_id: 3,
                    port: PortNo(1),
                    properties: vec![QueueProp::MaxRate { rate: 300 }],
                },
            ],
        };
        let s = ofp_print(&message(MsgType::QUEUE_GET_CONFIG_REPLY, &reply)).unwrap();
        for want in [
            "OFPT_QUEUE_GET_CONFIG_REPLY",
            "port=1",
            "queue 1: min_rate:5.0% max_rate:100.0%",
            "queue 2: min_rate:12.5% max_rate:50.0%",
            "queue 3: max_rate:30.0%",
        ] {
            assert!(s.contains(want), "{want} not in {s}");
        }
        assert_eq!(
            reply.to_string(),
            "OFPT_QUEUE_GET_CONFIG_REPLY port=1 queue 1 (port 1): min_rate:5.0% \
             max_rate:100.0% queue 2 (port 1): min_rate:12.5% max_rate:50.0% \
             queue 3 (port 1): max_rate:30.0%"
        );
    }

    fn arb_prop() -> impl Strategy<Value = QueueProp> {
        prop_oneof![
            any::<u16>().prop_map(|rate| QueueProp::MinRate { rate }),
            any::<u16>().prop_map(|rate| QueueProp::MaxRate { rate }),
            (any::<u32>(), proptest::collection::vec(any::<u8>(), 0..12))
                .prop_map(|(experimenter, data)| QueueProp::Experimenter { experimenter, data }),
            (3u16..0xffff, proptest::collection::vec(any::<u8>(), 0..12))
                .prop_map(|(property, data)| QueueProp::Unknown { property, data }),
        ]
    }

    fn arb_reply() -> impl Strategy<Value = QueueGetConfigReply> {
        (
            any::<u32>(),
            proptest::collection::vec(
                (
                    any::<u32>(),
                    any::<u32>(),
                    proptest::collection::vec(arb_prop(), 0..4),
                )
                    .prop_map(|(queue_id, port, properties)| PacketQueue {
                        queue_id,
                        port: PortNo(port),
                        properties,
                    }),
                0..4,
            ),
        )
            .prop_map(|(port, queues)| QueueGetConfigReply {
                port: PortNo(port),
                queues,
            })
    }

    proptest! {
        #[test]
        fn owned(reply in arb_reply()) {
            let b = reply.to_vec().unwrap();
            prop_assert_eq!(b.len(), reply.encoded_len());
            prop_assert_eq!(parse_bytes(&b, QueueGetConfigReply::parse_body).unwrap(), reply);
        }

        #[test]
        fn mutated(reply in arb_reply(), i in any::<proptest::sample::Index>(), x: u8) {
            let mut b = reply.to_vec().unwrap();
            let i = i.index(b.len());
            b[i] = x;
            if let Ok(r) = parse_bytes(&b, QueueGetConfigReply::parse_body) {
                prop_assert_eq!(r.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn truncated(reply in arb_reply(), i in any::<proptest::sample::Index>()) {
            let b = reply.to_vec().unwrap();
            let n = i.index(b.len());
            // Cutting a valid reply anywhere either fails or (at a queue boundary) parses to
            // something that encodes back to the cut bytes.
            if let Ok(r) = parse_bytes(&b[..n], QueueGetConfigReply::parse_body) {
                prop_assert_eq!(r.to_vec().unwrap(), &b[..n]);
            }
        }

        #[test]
        fn any_bytes(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(r) = parse_bytes(&b, QueueGetConfigReply::parse_body) {
                prop_assert_eq!(r.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn request_owned(port: u32) {
            let q = QueueGetConfigRequest::new(port);
            let b = q.to_vec().unwrap();
            prop_assert_eq!(parse_bytes(&b, QueueGetConfigRequest::parse_body).unwrap(), q);
        }
    }
}
