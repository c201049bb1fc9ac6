//! IGMPv1/v2 messages (RFC 1112, RFC 2236) and IGMPv3 queries (RFC 3376 §4.1).

use super::*;

/// An IGMPv1 or IGMPv2 message (os-ken's `igmp`): a v1/v2 query, a v1 or v2 report, a leave.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IgmpV2 {
    /// Message type (in IGMPv1, version and type: 0x11 query, 0x12 report).
    pub msgtype: IgmpType,
    /// Max Resp Time in 1/10 s (queries; 0 in an IGMPv1 query and in reports and leaves).
    pub maxresp: u8,
    /// Checksum; `None` computes it on emit.
    pub csum: Option<u16>,
    /// Group address (0.0.0.0 in a general query).
    pub address: Ipv4Addr,
    /// Bytes past the 8-byte message (RFC 2236 §2.5), covered by the checksum. Must be empty
    /// for a query, whose length decides its version.
    pub additional: Vec<u8>,
}

impl Default for IgmpV2 {
    /// An IGMPv1 general query, as os-ken's `igmp()` default.
    fn default() -> Self {
        IgmpV2 {
            msgtype: IgmpType::QUERY,
            maxresp: 0,
            csum: None,
            address: Ipv4Addr::UNSPECIFIED,
            additional: Vec::new(),
        }
    }
}

impl IgmpV2 {
    /// Length of the message (without additional data).
    pub const LEN: usize = 8;

    /// A message of type `msgtype` about `address`, checksum computed on emit.
    pub fn new(msgtype: IgmpType, maxresp: u8, address: Ipv4Addr) -> Self {
        IgmpV2 {
            msgtype,
            maxresp,
            address,
            ..IgmpV2::default()
        }
    }

    /// What the message is.
    pub fn kind(&self) -> MessageKind {
        kind_of(self.msgtype.0, self.maxresp, Self::LEN)
    }

    /// For a query, the time within which reports are due (10 s for an IGMPv1 query).
    pub fn max_resp_time(&self) -> Option<Duration> {
        match self.kind() {
            MessageKind::QueryV1 => Some(V1_MAX_RESP_TIME),
            MessageKind::QueryV2 => Some(max_resp_time_to_duration(self.maxresp)),
            _ => None,
        }
    }

    pub(super) fn msg_len(&self) -> usize {
        Self::LEN + self.additional.len()
    }

    pub(super) fn write(&self, out: &mut [u8]) -> Result<()> {
        if self.msgtype == IgmpType::REPORT_V3 {
            return Err(unencodable(
                "msgtype",
                "type 0x22 has the IGMPv3 report layout: use IgmpV3Report",
            ));
        }
        if self.msgtype == IgmpType::QUERY && !self.additional.is_empty() {
            return Err(unencodable(
                "additional",
                "a query's length decides its version: an IGMPv2 query carries no additional data",
            ));
        }
        Header {
            msg_type: self.msgtype.0,
            code: self.maxresp,
            checksum: U16::ZERO,
            group: self.address.octets(),
        }
        .write_to(out);
        put_bytes(out, Self::LEN, &self.additional);
        Ok(())
    }
}

/// An IGMPv3 membership query (os-ken's `igmpv3_query`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IgmpV3Query {
    /// Max Resp Code (floating-point format, 1/10 s: see [`max_resp_code_to_duration`]).
    pub maxresp: u8,
    /// Checksum; `None` computes it on emit.
    pub csum: Option<u16>,
    /// Group address: 0.0.0.0 for a general query.
    pub address: Ipv4Addr,
    /// The 4 reserved bits before the S flag (0–15).
    pub resv: u8,
    /// S flag: suppress router-side processing.
    pub s_flg: bool,
    /// Querier's Robustness Variable (0–7).
    pub qrv: u8,
    /// Querier's Query Interval Code (floating-point format, seconds: see [`qqic_to_duration`]).
    pub qqic: u8,
    /// Number of Sources; `None` counts `srcs` on emit.
    pub num: Option<u16>,
    /// Source addresses (a group-and-source-specific query).
    pub srcs: Vec<Ipv4Addr>,
    /// Bytes past the sources (RFC 3376 §4.1.10), covered by the checksum.
    pub additional: Vec<u8>,
}

impl Default for IgmpV3Query {
    /// A general query with the RFC 3376 §8 defaults: Max Resp Code 100 (10 s), QRV 2, QQIC 125.
    fn default() -> Self {
        IgmpV3Query {
            maxresp: 100,
            csum: None,
            address: Ipv4Addr::UNSPECIFIED,
            resv: 0,
            s_flg: false,
            qrv: DEFAULT_ROBUSTNESS,
            qqic: 125,
            num: None,
            srcs: Vec::new(),
            additional: Vec::new(),
        }
    }
}

impl IgmpV3Query {
    /// Smallest query (no sources).
    pub const MIN_LEN: usize = 12;

    /// A query for `group` (0.0.0.0: general) and `srcs` (empty: not source-specific), with the
    /// defaults of [`IgmpV3Query::default`].
    pub fn new(group: Ipv4Addr, srcs: Vec<Ipv4Addr>) -> Self {
        IgmpV3Query {
            address: group,
            srcs,
            ..IgmpV3Query::default()
        }
    }

    /// Sets the Max Resp Code from a duration ([`duration_to_max_resp_code`]: rounds up).
    #[must_use]
    pub fn with_max_resp(mut self, d: Duration) -> Self {
        self.maxresp = duration_to_max_resp_code(d);
        self
    }

    /// Sets the Querier's Robustness Variable (values above 7 are sent as 0, RFC 3376 §4.1.6).
    #[must_use]
    pub fn with_qrv(mut self, qrv: u8) -> Self {
        self.qrv = if qrv > 7 { 0 } else { qrv };
        self
    }

    /// Sets the QQIC from the querier's query interval ([`duration_to_qqic`]: rounds up).
    #[must_use]
    pub fn with_qqi(mut self, d: Duration) -> Self {
        self.qqic = duration_to_qqic(d);
        self
    }

    /// Sets the S flag.
    #[must_use]
    pub fn with_s_flag(mut self, s: bool) -> Self {
        self.s_flg = s;
        self
    }

    /// The decoded Max Resp Code.
    pub fn max_resp_time(&self) -> Duration {
        max_resp_code_to_duration(self.maxresp)
    }

    /// The decoded QQIC.
    pub fn qqi(&self) -> Duration {
        qqic_to_duration(self.qqic)
    }

    pub(super) fn msg_len(&self) -> usize {
        Self::MIN_LEN + self.srcs.len() * 4 + self.additional.len()
    }

    pub(super) fn write(&self, out: &mut [u8]) -> Result<()> {
        if self.resv > 15 || self.qrv > 7 {
            return Err(unencodable("resv/qrv", "resv must be 0-15 and qrv 0-7"));
        }
        let num = match self.num {
            Some(n) => n,
            None => u16::try_from(self.srcs.len())
                .map_err(|_| unencodable("num", "more than 65535 sources"))?,
        };
        Header {
            msg_type: IgmpType::QUERY.0,
            code: self.maxresp,
            checksum: U16::ZERO,
            group: self.address.octets(),
        }
        .write_to(out);
        let flags = (self.resv << 4) | (u8::from(self.s_flg) << 3) | self.qrv;
        QueryExt {
            flags,
            qqic: self.qqic,
            num_sources: U16::new(num),
        }
        .write_to(out.get_mut(field::FLAGS..).unwrap_or(&mut []));
        let mut at = field::SOURCES;
        for s in &self.srcs {
            put_bytes(out, at, &s.octets());
            at += 4;
        }
        put_bytes(out, at, &self.additional);
        Ok(())
    }
}

impl fmt::Display for IgmpV2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("igmp(")?;
        additional(f, &self.additional)?;
        write!(
            f,
            "address={},csum={},maxresp={},msgtype={})",
            Quoted(self.address),
            Opt(self.csum),
            self.maxresp,
            self.msgtype
        )
    }
}

impl fmt::Display for IgmpV3Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("igmpv3_query(")?;
        additional(f, &self.additional)?;
        write!(
            f,
            "address={},csum={},maxresp={},msgtype={},num={},qqic={},qrv={},",
            Quoted(self.address),
            Opt(self.csum),
            self.maxresp,
            IgmpType::QUERY,
            Opt(self.num),
            self.qqic,
            self.qrv
        )?;
        if self.resv != 0 {
            write!(f, "resv={},", self.resv)?;
        }
        write!(
            f,
            "s_flg={},srcs={})",
            u8::from(self.s_flg),
            Addrs(&self.srcs)
        )
    }
}

/// The message on its own, checksum computed over it when `csum` is `None` (as
/// [`Igmp::V2`] encodes it).
impl Encode for IgmpV2 {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.msg_len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        encode_message(buf, self.msg_len(), self.csum, |out| self.write(out))
    }
}

/// The message on its own, checksum computed over it when `csum` is `None`.
impl Encode for IgmpV3Query {
    type Error = Error;

    fn encoded_len(&self) -> usize {
        self.msg_len()
    }

    fn encode(&self, buf: &mut [u8]) -> Result<usize> {
        encode_message(buf, self.msg_len(), self.csum, |out| self.write(out))
    }
}
