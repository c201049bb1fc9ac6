//! The OpenFlow header every message starts with, and message type numbers.

use core::fmt;

use bytes::BufMut;

use crate::codec::{Reader, WireWrite};
use crate::codec_error::{Error, Result};

/// OpenFlow 1.3's version number on the wire.
pub const OFP_VERSION: u8 = 0x04;

/// Length of the header.
pub const HEADER_LEN: usize = 8;

crate::types::open_enum! {
    /// An OpenFlow message type (`ofp_type`). Open: any value parses.
    pub struct MsgType(u8) as "OFPT_" {
        /// OFPT_HELLO.
        HELLO = 0,
        /// OFPT_ERROR.
        ERROR = 1,
        /// OFPT_ECHO_REQUEST.
        ECHO_REQUEST = 2,
        /// OFPT_ECHO_REPLY.
        ECHO_REPLY = 3,
        /// OFPT_EXPERIMENTER.
        EXPERIMENTER = 4,
        /// OFPT_FEATURES_REQUEST.
        FEATURES_REQUEST = 5,
        /// OFPT_FEATURES_REPLY.
        FEATURES_REPLY = 6,
        /// OFPT_GET_CONFIG_REQUEST.
        GET_CONFIG_REQUEST = 7,
        /// OFPT_GET_CONFIG_REPLY.
        GET_CONFIG_REPLY = 8,
        /// OFPT_SET_CONFIG.
        SET_CONFIG = 9,
        /// OFPT_PACKET_IN.
        PACKET_IN = 10,
        /// OFPT_FLOW_REMOVED.
        FLOW_REMOVED = 11,
        /// OFPT_PORT_STATUS.
        PORT_STATUS = 12,
        /// OFPT_PACKET_OUT.
        PACKET_OUT = 13,
        /// OFPT_FLOW_MOD.
        FLOW_MOD = 14,
        /// OFPT_GROUP_MOD.
        GROUP_MOD = 15,
        /// OFPT_PORT_MOD.
        PORT_MOD = 16,
        /// OFPT_TABLE_MOD.
        TABLE_MOD = 17,
        /// OFPT_MULTIPART_REQUEST.
        MULTIPART_REQUEST = 18,
        /// OFPT_MULTIPART_REPLY.
        MULTIPART_REPLY = 19,
        /// OFPT_BARRIER_REQUEST.
        BARRIER_REQUEST = 20,
        /// OFPT_BARRIER_REPLY.
        BARRIER_REPLY = 21,
        /// OFPT_QUEUE_GET_CONFIG_REQUEST.
        QUEUE_GET_CONFIG_REQUEST = 22,
        /// OFPT_QUEUE_GET_CONFIG_REPLY.
        QUEUE_GET_CONFIG_REPLY = 23,
        /// OFPT_ROLE_REQUEST.
        ROLE_REQUEST = 24,
        /// OFPT_ROLE_REPLY.
        ROLE_REPLY = 25,
        /// OFPT_GET_ASYNC_REQUEST.
        GET_ASYNC_REQUEST = 26,
        /// OFPT_GET_ASYNC_REPLY.
        GET_ASYNC_REPLY = 27,
        /// OFPT_SET_ASYNC.
        SET_ASYNC = 28,
        /// OFPT_METER_MOD.
        METER_MOD = 29,
    }
}

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
