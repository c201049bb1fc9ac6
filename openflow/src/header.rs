//! The OpenFlow header every message starts with, and message type numbers.

use core::fmt;

use bytes::BufMut;

use crate::codec::{Reader, WireWrite};
use crate::codec_error::{Error, Result};

/// OpenFlow 1.3's version number on the wire.
pub const OFP_VERSION: u8 = 0x04;

/// Length of the header.
pub const HEADER_LEN: usize = 8;

/// An OpenFlow message type (`ofp_type`). Open: any value parses.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct MsgType(pub u8);

impl MsgType {
    /// OFPT_HELLO.
    pub const HELLO: MsgType = MsgType(0);
    /// OFPT_ERROR.
    pub const ERROR: MsgType = MsgType(1);
    /// OFPT_ECHO_REQUEST.
    pub const ECHO_REQUEST: MsgType = MsgType(2);
    /// OFPT_ECHO_REPLY.
    pub const ECHO_REPLY: MsgType = MsgType(3);
    /// OFPT_EXPERIMENTER.
    pub const EXPERIMENTER: MsgType = MsgType(4);
    /// OFPT_FEATURES_REQUEST.
    pub const FEATURES_REQUEST: MsgType = MsgType(5);
    /// OFPT_FEATURES_REPLY.
    pub const FEATURES_REPLY: MsgType = MsgType(6);
    /// OFPT_GET_CONFIG_REQUEST.
    pub const GET_CONFIG_REQUEST: MsgType = MsgType(7);
    /// OFPT_GET_CONFIG_REPLY.
    pub const GET_CONFIG_REPLY: MsgType = MsgType(8);
    /// OFPT_SET_CONFIG.
    pub const SET_CONFIG: MsgType = MsgType(9);
    /// OFPT_PACKET_IN.
    pub const PACKET_IN: MsgType = MsgType(10);
    /// OFPT_FLOW_REMOVED.
    pub const FLOW_REMOVED: MsgType = MsgType(11);
    /// OFPT_PORT_STATUS.
    pub const PORT_STATUS: MsgType = MsgType(12);
    /// OFPT_PACKET_OUT.
    pub const PACKET_OUT: MsgType = MsgType(13);
    /// OFPT_FLOW_MOD.
    pub const FLOW_MOD: MsgType = MsgType(14);
    /// OFPT_GROUP_MOD.
    pub const GROUP_MOD: MsgType = MsgType(15);
    /// OFPT_PORT_MOD.
    pub const PORT_MOD: MsgType = MsgType(16);
    /// OFPT_TABLE_MOD.
    pub const TABLE_MOD: MsgType = MsgType(17);
    /// OFPT_MULTIPART_REQUEST.
    pub const MULTIPART_REQUEST: MsgType = MsgType(18);
    /// OFPT_MULTIPART_REPLY.
    pub const MULTIPART_REPLY: MsgType = MsgType(19);
    /// OFPT_BARRIER_REQUEST.
    pub const BARRIER_REQUEST: MsgType = MsgType(20);
    /// OFPT_BARRIER_REPLY.
    pub const BARRIER_REPLY: MsgType = MsgType(21);
    /// OFPT_QUEUE_GET_CONFIG_REQUEST.
    pub const QUEUE_GET_CONFIG_REQUEST: MsgType = MsgType(22);
    /// OFPT_QUEUE_GET_CONFIG_REPLY.
    pub const QUEUE_GET_CONFIG_REPLY: MsgType = MsgType(23);
    /// OFPT_ROLE_REQUEST.
    pub const ROLE_REQUEST: MsgType = MsgType(24);
    /// OFPT_ROLE_REPLY.
    pub const ROLE_REPLY: MsgType = MsgType(25);
    /// OFPT_GET_ASYNC_REQUEST.
    pub const GET_ASYNC_REQUEST: MsgType = MsgType(26);
    /// OFPT_GET_ASYNC_REPLY.
    pub const GET_ASYNC_REPLY: MsgType = MsgType(27);
    /// OFPT_SET_ASYNC.
    pub const SET_ASYNC: MsgType = MsgType(28);
    /// OFPT_METER_MOD.
    pub const METER_MOD: MsgType = MsgType(29);

    /// The spec's name without the `OFPT_` prefix, if the type is known.
    pub fn name(self) -> Option<&'static str> {
        const NAMES: [&str; 30] = [
            "HELLO",
            "ERROR",
            "ECHO_REQUEST",
            "ECHO_REPLY",
            "EXPERIMENTER",
            "FEATURES_REQUEST",
            "FEATURES_REPLY",
            "GET_CONFIG_REQUEST",
            "GET_CONFIG_REPLY",
            "SET_CONFIG",
            "PACKET_IN",
            "FLOW_REMOVED",
            "PORT_STATUS",
            "PACKET_OUT",
            "FLOW_MOD",
            "GROUP_MOD",
            "PORT_MOD",
            "TABLE_MOD",
            "MULTIPART_REQUEST",
            "MULTIPART_REPLY",
            "BARRIER_REQUEST",
            "BARRIER_REPLY",
            "QUEUE_GET_CONFIG_REQUEST",
            "QUEUE_GET_CONFIG_REPLY",
            "ROLE_REQUEST",
            "ROLE_REPLY",
            "GET_ASYNC_REQUEST",
            "GET_ASYNC_REPLY",
            "SET_ASYNC",
            "METER_MOD",
        ];
        NAMES.get(usize::from(self.0)).copied()
    }
}

crate::types::spec_name_fmt!(MsgType, "OFPT_", "{}");

/// The 8-byte header of every OpenFlow message (`ofp_header`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header {
    /// Protocol version (0x04 for 1.3).
    pub version: u8,
    /// Message type.
    pub msg_type: MsgType,
    /// Length of the whole message, header included.
    pub length: u16,
    /// Transaction id.
    pub xid: u32,
}

impl Header {
    /// Reads a header from the front of `buf` without checking the version, so that a framer
    /// can report a message of another version. Checks that `length` is at least 8.
    #[inline]
    pub fn peek(buf: &[u8]) -> Result<Header> {
        if let Some(a) = buf.first_chunk::<8>() {
            let length = u16::from_be_bytes([a[2], a[3]]);
            if usize::from(length) >= HEADER_LEN {
                return Ok(Header {
                    version: a[0],
                    msg_type: MsgType(a[1]),
                    length,
                    xid: u32::from_be_bytes([a[4], a[5], a[6], a[7]]),
                });
            }
        }
        let mut r = Reader::new(buf, 0);
        let version = r.u8("ofp_header.version")?;
        let msg_type = MsgType(r.u8("ofp_header.type")?);
        let length = r.u16("ofp_header.length")?;
        let xid = r.u32("ofp_header.xid")?;
        if usize::from(length) < HEADER_LEN {
            return Err(Error::BadLength {
                what: "ofp_header.length",
                offset: 2,
                value: usize::from(length),
                reason: "below the 8-byte header",
            });
        }
        Ok(Header {
            version,
            msg_type,
            length,
            xid,
        })
    }

    /// Reads and checks the header of a whole OpenFlow 1.3 message: version 0x04 and
    /// `length` equal to the buffer's length.
    #[inline]
    pub fn parse(msg: &[u8]) -> Result<Header> {
        let h = Header::peek(msg)?;
        if h.version != OFP_VERSION {
            return Err(Error::BadVersion {
                found: h.version,
                offset: 0,
            });
        }
        if usize::from(h.length) != msg.len() {
            return Err(Error::BadLength {
                what: "ofp_header.length",
                offset: 2,
                value: usize::from(h.length),
                reason: if usize::from(h.length) > msg.len() {
                    "larger than the message buffer"
                } else {
                    "smaller than the message buffer"
                },
            });
        }
        Ok(h)
    }

    /// Writes the header.
    pub(crate) fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(self.version);
        out.put_u8(self.msg_type.0);
        out.put_u16(self.length);
        out.put_u32(self.xid);
    }
}

crate::codec::impl_encode!(Header);
impl WireWrite for Header {
    fn encoded_len(&self) -> usize {
        HEADER_LEN
    }

    /// The header as it is, `length` included (a header alone is not checked against a body).
    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        self.put(out);
        Ok(())
    }
}

impl fmt::Display for Header {
    /// As `ovs-ofctl ofp-print` starts a message: `OFPT_FLOW_MOD (OF1.3) (xid=0x7)`, then
    /// ` length=N`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let version = match self.version {
            1 => "1.0",
            2 => "1.1",
            3 => "1.2",
            4 => "1.3",
            5 => "1.4",
            6 => "1.5",
            v => {
                return write!(
                    f,
                    "{} (OF {v:#04x}) (xid={:#x}) length={}",
                    self.msg_type, self.xid, self.length
                )
            }
        };
        write!(
            f,
            "{} (OF{version}) (xid={:#x}) length={}",
            self.msg_type, self.xid, self.length
        )
    }
}
