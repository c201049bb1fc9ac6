//! OFPT_PACKET_IN (`ofp_packet_in`): a packet the switch sends to the controller.
//!
//! The body is 16 fixed bytes (buffer id, total length, reason, table id, cookie), an
//! `ofp_match` padded to a multiple of 8 (the packet's pipeline fields: `in_port`, metadata,
//! tunnel id, ...), 2 bytes of zero padding, then the packet's bytes up to the end of the
//! message.
//!
//! This is the hottest decode path of a controller, so [`PacketInView::parse`] does as
//! little as it can: it reads the fixed fields, checks the match's type, length and padding
//! and the 2 pad bytes, and borrows the rest; it neither allocates nor walks the OXM list.
//! [`PacketInView::in_port`] scans the OXM TLVs only up to `in_port` (which switches put
//! first), [`PacketInView::match_`] checks and returns the whole match, and
//! [`PacketInView::packet`] decodes the frame with [`sdnwire_packet::PacketView`], zero-copy.
//!
//! Contract: after [`PacketInView::parse`] succeeds no accessor panics; accessors that
//! walk the OXM list return `Result`/`Option`. [`PacketIn`]'s parse checks everything, and
//! whatever it accepts encodes back to identical bytes.

use core::fmt;
use sdnwire_inline::InlineVec;

use bytes::BufMut;
use sdnwire_packet::wire::FixedLayout;
use sdnwire_packet::PacketView;

use crate::codec::{pad8, put_zeros, round8, MessageBody, Reader, WireWrite};
use crate::codec_error::Result;
use crate::header::MsgType;
use crate::oxm::{
    ofb, read_match_head, Match, MatchView, OxmIter, MATCH_HEADER_LEN, OFPMT_OXM,
    OFPXMC_OPENFLOW_BASIC,
};
use crate::types::{BufferId, PortNo, TableId};
use crate::wire::{pad_is_zero, PacketInHead};

/// Length of the PACKET_IN body before the match.
pub const PACKET_IN_FIXED_LEN: usize = 16;

crate::types::open_enum! {
    /// Why a packet was sent to the controller (`ofp_packet_in_reason`). Open: any value
    /// parses.
    pub struct PacketInReason(u8) as "OFPR_" {
        /// OFPR_NO_MATCH: no matching flow (the table-miss flow sent it).
        NO_MATCH = 0,
        /// OFPR_ACTION: an output action to the controller.
        ACTION = 1,
        /// OFPR_INVALID_TTL: the packet has an invalid TTL.
        INVALID_TTL = 2,
    }
    /// The name `ovs-ofctl` prints after `via` (`no_match`, `action`, `invalid_ttl`, and
    /// OpenFlow 1.4's `action_set`, `group`, `packet_out` for 3 to 5), if it has one.
    ofctl_name {
        0 => "no_match",
        1 => "action",
        2 => "invalid_ttl",
        3 => "action_set",
        4 => "group",
        5 => "packet_out",
    }
}

/// What a PACKET_OUT answering a PACKET_IN needs from it; implemented by [`PacketIn`] and
/// [`PacketInView`] (see [`PacketOut::from_packet_in`](crate::packet_out::PacketOut::from_packet_in)).
pub trait PacketInFields {
    /// The switch's buffer holding the packet, or [`BufferId::NO_BUFFER`].
    fn buffer_id(&self) -> BufferId;
    /// The port the packet came in on (the match's `in_port`).
    fn in_port(&self) -> Option<PortNo>;
    /// The packet's bytes (all of it, or the first `miss_send_len`/`max_len` bytes when
    /// buffered).
    fn data(&self) -> &[u8];
}

/// The body of OFPT_PACKET_IN, owned.
///
/// Decoding a common PACKET_IN allocates nothing: the match keeps up to 4 fields inline (see
/// [`Match`]) and `data` a frame of up to [`PacketInData::INLINE`] (128) bytes, what Open
/// vSwitch sends at its default `miss_send_len` and what an ARP, ping or TCP SYN frame takes
/// unbuffered. The cost is the value's size: 320 bytes (64 with vectors).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PacketIn {
    /// The switch's buffer holding the packet, or [`BufferId::NO_BUFFER`].
    pub buffer_id: BufferId,
    /// Length of the whole frame (`data` may hold less when buffered).
    pub total_len: u16,
    /// Why the packet was sent.
    pub reason: PacketInReason,
    /// The table that sent it.
    pub table_id: TableId,
    /// The cookie of the flow that sent it (all ones when none).
    pub cookie: u64,
    /// The packet's pipeline fields (os-ken's `match`).
    pub match_: Match,
    /// The packet (or its first bytes).
    pub data: PacketInData,
}

/// The frame of a [`PacketIn`]: up to 128 bytes inline, on the heap past that. It dereferences
/// to `[u8]`, compares with slices, arrays and vectors, and converts from and into `Vec<u8>`.
pub type PacketInData = InlineVec<u8, 128>;

impl PacketIn {
    /// An unbuffered packet-in of the whole `data`, as a table miss of table 0 sends it:
    /// reason NO_MATCH, cookie 0, the match holding `in_port` only. `total_len` is
    /// `data.len()` (saturated at 65535).
    pub fn new(in_port: impl Into<PortNo>, data: impl Into<PacketInData>) -> PacketIn {
        let data = data.into();
        PacketIn {
            buffer_id: BufferId::NO_BUFFER,
            total_len: u16::try_from(data.len()).unwrap_or(u16::MAX),
            reason: PacketInReason::NO_MATCH,
            table_id: TableId(0),
            cookie: 0,
            match_: Match::new().in_port(in_port.into()),
            data,
        }
    }

    /// The match's `in_port`.
    pub fn in_port(&self) -> Option<PortNo> {
        self.match_.get_in_port()
    }

    /// Decodes the packet's layers, zero-copy (see [`sdnwire_packet::PacketView`]).
    pub fn packet(&self) -> sdnwire_packet::Result<PacketView<'_>> {
        PacketView::parse(&self.data)
    }
}

impl PacketInFields for PacketIn {
    fn buffer_id(&self) -> BufferId {
        self.buffer_id
    }
    fn in_port(&self) -> Option<PortNo> {
        PacketIn::in_port(self)
    }
    fn data(&self) -> &[u8] {
        &self.data
    }
}

crate::codec::impl_encode!(PacketIn);

impl WireWrite for PacketIn {
    fn encoded_len(&self) -> usize {
        PACKET_IN_FIXED_LEN + self.match_.encoded_len() + 2 + self.data.len()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u32(self.buffer_id.0);
        out.put_u16(self.total_len);
        out.put_u8(self.reason.0);
        out.put_u8(self.table_id.0);
        out.put_u64(self.cookie);
        self.match_.write(out)?;
        put_zeros(out, 2);
        out.put_slice(&self.data);
        Ok(())
    }
}

impl MessageBody for PacketIn {
    const TYPE: MsgType = MsgType::PACKET_IN;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        PacketInView::parse(r)?.decode()
    }
}

/// The body of OFPT_PACKET_IN, borrowed: fixed fields decoded, match and data borrowed.
/// Parsing neither allocates nor walks the OXM list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacketInView<'a> {
    /// The switch's buffer holding the packet, or [`BufferId::NO_BUFFER`].
    pub buffer_id: BufferId,
    /// Length of the whole frame.
    pub total_len: u16,
    /// Why the packet was sent.
    pub reason: PacketInReason,
    /// The table that sent it.
    pub table_id: TableId,
    /// The cookie of the flow that sent it.
    pub cookie: u64,
    /// The packet (or its first bytes), borrowed from the message.
    pub data: &'a [u8],
    /// The whole `ofp_match`, padding included.
    match_bytes: &'a [u8],
    /// The OXM TLVs (after the match header, before its padding).
    oxms: &'a [u8],
    /// Offset of the match in the message.
    match_offset: usize,
}

impl<'a> PacketInView<'a> {
    /// Reads the body (everything after the header): the fixed fields; the match's type
    /// (must be [`OFPMT_OXM`], [`Error::BadValue`](crate::Error::BadValue) otherwise), length
    /// (at least 4 and within the body, [`Error::BadLength`](crate::Error::BadLength)
    /// otherwise) and zero padding; the 2 zero pad bytes; the data is the rest. The OXM TLVs
    /// are not walked: see [`PacketInView::match_`].
    #[inline]
    pub fn parse(r: &mut Reader<'a>) -> Result<PacketInView<'a>> {
        r.fast_or_general(
            |b, base| PacketInView::parse_fast(b, base).map(|p| (p, b.len())),
            PacketInView::parse_general,
        )
    }

    /// The whole body in one pass over the slice (`body` starts at `base` in the message): the
    /// fixed part and match header as one zerocopy struct, the match's padding and the 2 pad
    /// bytes as two integer tests. `None` on anything [`PacketInView::parse_general`] would
    /// refuse (it then builds the exact error).
    #[inline(always)]
    pub(crate) fn parse_fast(body: &'a [u8], base: usize) -> Option<PacketInView<'a>> {
        let (h, _) = PacketInHead::ref_from_front(body).ok()?;
        let len = usize::from(h.match_len.get());
        if h.match_type.get() != OFPMT_OXM || len < MATCH_HEADER_LEN {
            return None;
        }
        let match_end = PACKET_IN_FIXED_LEN + round8(len);
        let (front, pad2_data) = body.split_at_checked(match_end)?;
        let (pad2, data) = pad2_data.split_first_chunk::<2>()?;
        // `front` holds the 16 fixed bytes and the padded match (at least 8 bytes).
        if !pad_is_zero(front, match_end, pad8(len))? || pad2 != &[0, 0] {
            return None;
        }
        let match_bytes = front.get(PACKET_IN_FIXED_LEN..)?;
        let oxms = match_bytes.get(MATCH_HEADER_LEN..len)?;
        Some(PacketInView {
            buffer_id: BufferId(h.buffer_id.get()),
            total_len: h.total_len.get(),
            reason: PacketInReason(h.reason),
            table_id: TableId(h.table_id),
            cookie: h.cookie.get(),
            data,
            match_bytes,
            oxms,
            match_offset: base + PACKET_IN_FIXED_LEN,
        })
    }

    /// Field by field through `r`, with an exact error for whatever is wrong.
    #[cold]
    #[inline(never)]
    pub(crate) fn parse_general(r: &mut Reader<'a>) -> Result<PacketInView<'a>> {
        let buffer_id = BufferId(r.u32("ofp_packet_in.buffer_id")?);
        let total_len = r.u16("ofp_packet_in.total_len")?;
        let reason = PacketInReason(r.u8("ofp_packet_in.reason")?);
        let table_id = TableId(r.u8("ofp_packet_in.table_id")?);
        let cookie = r.u64("ofp_packet_in.cookie")?;
        let match_offset = r.offset();
        let match_start = r.peek_rest();
        let len = read_match_head(r)?;
        let oxms = r.bytes(len - MATCH_HEADER_LEN, "ofp_match.oxm_fields")?;
        r.pad(pad8(len), "ofp_match.pad")?;
        // Everything up to here was read, so the slice is there.
        let match_bytes = match_start.get(..round8(len)).unwrap_or_default();
        r.pad(2, "ofp_packet_in.pad")?;
        let data = r.rest();
        Ok(PacketInView {
            buffer_id,
            total_len,
            reason,
            table_id,
            cookie,
            data,
            match_bytes,
            oxms,
            match_offset,
        })
    }

    /// The match, after checking the framing of every OXM TLV.
    pub fn match_(&self) -> Result<MatchView<'a>> {
        MatchView::parse(&mut Reader::new(self.match_bytes, self.match_offset))
    }

    /// The OXM TLVs in wire order, checked one by one as they are reached.
    pub fn oxm_fields(&self) -> OxmIter<'a> {
        OxmIter::new_unchecked(self.oxms, self.match_offset + MATCH_HEADER_LEN)
    }

    /// The match's `length` field (4 + the TLVs, without padding).
    pub fn match_len(&self) -> usize {
        MATCH_HEADER_LEN + self.oxms.len()
    }

    /// The first well-formed `in_port` of the match. Walks the OXM TLVs only up to it
    /// (switches put it first) and stops at the first malformed TLV.
    #[inline]
    pub fn in_port(&self) -> Option<PortNo> {
        for f in self.oxm_fields() {
            let f = f.ok()?;
            if f.class() == OFPXMC_OPENFLOW_BASIC && f.field() == ofb::IN_PORT && !f.hasmask() {
                if let Ok(b) = <[u8; 4]>::try_from(f.payload()) {
                    return Some(PortNo(u32::from_be_bytes(b)));
                }
            }
        }
        None
    }

    /// True when the switch buffered the packet (`buffer_id` is not
    /// [`BufferId::NO_BUFFER`]).
    pub fn is_buffered(&self) -> bool {
        self.buffer_id != BufferId::NO_BUFFER
    }

    /// Decodes the packet's layers, zero-copy (see [`sdnwire_packet::PacketView`]).
    pub fn packet(&self) -> sdnwire_packet::Result<PacketView<'a>> {
        PacketView::parse(self.data)
    }

    /// Checks the OXM TLVs without allocating.
    pub fn validate(&self) -> Result<()> {
        self.match_().map(|_| ())
    }

    /// The owned match: the TLVs' framing checked and counted in one walk, then decoded into
    /// a vector allocated once at its size ([`PacketInView::match_`] builds the error).
    #[inline]
    fn decode_match(&self) -> Result<Match> {
        match crate::oxm::oxm_count(self.oxms) {
            Some(n) => Ok(MatchView::from_checked(self.oxms, self.match_offset).decode_counted(n)),
            None => Ok(self.match_()?.decode()),
        }
    }

    /// The owned message of this body with transaction id `xid`, as [`decode`](Self::decode)
    /// gives its body, built where it is returned: the fixed fields first, then the match's
    /// fields and the frame copied into their inline (or exactly sized) storage in place, so
    /// that the large value is not moved on its way out.
    #[inline]
    pub(crate) fn decode_message(&self, xid: u32) -> Result<crate::Message> {
        let Some(n) = crate::oxm::oxm_count(self.oxms) else {
            // A broken TLV: `decode` builds its error.
            return self
                .decode()
                .map(|p| crate::Message::new(xid, crate::Body::PacketIn(p)));
        };
        // The lists are filled first and moved into the result last, as its final
        // expression, so that the 648-byte `Message` is built in the caller's slot.
        let mut fields = crate::oxm::MatchFields::new();
        fields.reserve_exact(n);
        MatchView::from_checked(self.oxms, self.match_offset).decode_append::<false>(&mut fields);
        let data = PacketInData::from_slice(self.data);
        Ok(crate::Message {
            xid,
            body: crate::Body::PacketIn(PacketIn {
                buffer_id: self.buffer_id,
                total_len: self.total_len,
                reason: self.reason,
                table_id: self.table_id,
                cookie: self.cookie,
                match_: Match { fields },
                data,
            }),
        })
    }

    /// The owned body (checks the OXM TLVs).
    pub fn decode(&self) -> Result<PacketIn> {
        Ok(PacketIn {
            buffer_id: self.buffer_id,
            total_len: self.total_len,
            reason: self.reason,
            table_id: self.table_id,
            cookie: self.cookie,
            match_: self.decode_match()?,
            data: PacketInData::from_slice(self.data),
        })
    }
}

impl PacketInFields for PacketInView<'_> {
    fn buffer_id(&self) -> BufferId {
        self.buffer_id
    }
    fn in_port(&self) -> Option<PortNo> {
        PacketInView::in_port(self)
    }
    fn data(&self) -> &[u8] {
        self.data
    }
}

struct Head {
    buffer_id: BufferId,
    total_len: u16,
    reason: PacketInReason,
    table_id: TableId,
    cookie: u64,
    data_len: usize,
}

/// ovs-ofctl's line: see [`PacketIn`]'s `Display`.
fn fmt_packet_in(f: &mut fmt::Formatter<'_>, h: &Head, match_: &dyn fmt::Display) -> fmt::Result {
    let mut sep = "";
    if h.table_id.0 != 0 {
        write!(f, "table_id={}", h.table_id.0)?;
        sep = " ";
    }
    if h.cookie != u64::MAX {
        write!(f, "{sep}cookie={:#x}", h.cookie)?;
        sep = " ";
    }
    write!(f, "{sep}total_len={} {match_} (via ", h.total_len)?;
    match h.reason.ofctl_name() {
        Some(n) => f.write_str(n)?,
        // OVS's own "explicit miss" and "implicit miss", which it prints as nothing.
        None if matches!(h.reason.0, 6 | 7) => {}
        None => write!(f, "{}", h.reason.0)?,
    }
    write!(f, ") data_len={}", h.data_len)?;
    if h.buffer_id == BufferId::NO_BUFFER {
        f.write_str(" (unbuffered)")?;
        if usize::from(h.total_len) != h.data_len {
            f.write_str(" (***total_len != data_len***)")?;
        }
    } else {
        write!(f, " buffer={:#010x}", h.buffer_id.0)?;
        if usize::from(h.total_len) < h.data_len {
            f.write_str(" (***total_len < data_len***)")?;
        }
    }
    Ok(())
}

impl fmt::Display for PacketIn {
    /// As `ovs-ofctl ofp-print` prints the message after `OFPT_PACKET_IN (OF1.3)
    /// (xid=0x0): ` (its first line): `table_id=N` unless 0, `cookie=0x..` unless all ones,
    /// `total_len=N`, the match in ovs-ofctl notation, `(via action)` (the reason),
    /// `data_len=N`, then `(unbuffered)` or `buffer=0x0000000N`, with ovs-ofctl's warnings
    /// when the lengths disagree. Reasons print as ovs-ofctl names them (see
    /// [`PacketInReason::ofctl_name`]; 6 and 7, OVS's internal miss reasons, as nothing),
    /// others as numbers. With an empty match ovs-ofctl leaves two spaces before `(via`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = Head {
            buffer_id: self.buffer_id,
            total_len: self.total_len,
            reason: self.reason,
            table_id: self.table_id,
            cookie: self.cookie,
            data_len: self.data.len(),
        };
        fmt_packet_in(f, &h, &self.match_)
    }
}

/// The match of a view for `Display`: the match, or `<error: ..>` when its TLVs are
/// malformed.
struct ViewMatch<'a>(Result<MatchView<'a>>);

impl fmt::Display for ViewMatch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Ok(m) => m.fmt(f),
            Err(e) => write!(f, "<error: {e}>"),
        }
    }
}

impl fmt::Display for PacketInView<'_> {
    /// As [`PacketIn`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = Head {
            buffer_id: self.buffer_id,
            total_len: self.total_len,
            reason: self.reason,
            table_id: self.table_id,
            cookie: self.cookie,
            data_len: self.data.len(),
        };
        fmt_packet_in(f, &h, &ViewMatch(self.match_()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::test_support::arb_damage;
    use crate::codec_error::Error;
    use crate::flow_mod::test_support::*;
    use crate::simple::testutil::*;
    use alloc::string::ToString;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    const CORPUS: &[&str] = &[
        "4-4-ofp_packet_in",
        "4-59-ofp_packet_in",
        "libofproto-OFP13-packet_in",
    ];

    /// The ARP request of os-ken's 4-4 PACKET_IN.
    const ARP: &str = "ffffffffffff f20ba47df8ea 0806 0001 0800 06 04 0001
                       f20ba47df8ea 0a000001 000000000000 0a000003";

    fn parse(b: &[u8]) -> Result<PacketIn> {
        parse_bytes(b, PacketIn::parse_body)
    }

    fn view(b: &[u8]) -> Result<PacketInView<'_>> {
        let mut r = Reader::new(b, 8);
        let v = PacketInView::parse(&mut r)?;
        r.finish("test body")?;
        Ok(v)
    }

    #[test]
    fn os_ken_corpus() {
        for &name in CORPUS {
            let Some(msg) = corpus(name) else { return };
            let p: PacketIn = parse_msg(&msg);
            let v = view(&msg[8..]).unwrap();
            assert_eq!(v.decode().unwrap(), p, "{name}");
            assert_eq!(v.in_port(), v.match_().unwrap().in_port(), "{name}");
            assert_eq!(v.in_port(), p.in_port(), "{name}");
            assert_eq!(v.match_len(), p.match_.length(), "{name}");
            assert_eq!(v.oxm_fields().count(), p.match_.fields.len(), "{name}");
            assert_eq!(v.to_string(), p.to_string(), "{name}");
            let Some(json) = corpus_json(name) else {
                return;
            };
            let j = &json["OFPPacketIn"];
            assert_eq!(j["buffer_id"], p.buffer_id.0, "{name}");
            assert_eq!(j["total_len"], p.total_len, "{name}");
            assert_eq!(j["reason"], p.reason.0, "{name}");
            assert_eq!(j["table_id"], p.table_id.0, "{name}");
            assert_eq!(j["cookie"], p.cookie, "{name}");
            assert_eq!(b64(j["data"].as_str().unwrap()), p.data, "{name}");
            let jm = &j["match"]["OFPMatch"];
            assert_eq!(jm["length"], p.match_.length(), "{name}");
            assert_eq!(
                jm["oxm_fields"].as_array().unwrap().len(),
                p.match_.fields.len(),
                "{name}"
            );
        }
    }

    #[test]
    fn corpus_values_and_packet() {
        let Some(msg) = corpus("4-4-ofp_packet_in") else {
            return;
        };
        let v = view(&msg[8..]).unwrap();
        assert_eq!(v.buffer_id, BufferId(2));
        assert_eq!(v.total_len, 42);
        assert_eq!(v.reason, PacketInReason::ACTION);
        assert_eq!(v.table_id, TableId(1));
        assert_eq!(v.cookie, 0x0001_0203_0000_0000);
        assert_eq!(v.in_port(), Some(PortNo(6)));
        assert!(v.is_buffered());
        assert_eq!(v.data, hex(ARP));
        let pkt = v.packet().unwrap();
        assert_eq!(pkt.frame(), v.data);
        assert!(pkt.arp().is_some());
        assert!(pkt.ipv4().is_none());
        // The owned form decodes the same.
        let p = v.decode().unwrap();
        assert_eq!(p.packet().unwrap().frame(), &p.data[..]);
        assert_eq!(p.match_.get_arp_op(), Some(1));

        // 4 bytes of data are no Ethernet frame.
        let Some(msg) = corpus("libofproto-OFP13-packet_in") else {
            return;
        };
        let v = view(&msg[8..]).unwrap();
        assert_eq!(v.data.len(), 4);
        assert!(v.packet().is_err());
        assert_eq!(v.in_port(), Some(PortNo(43981)));
    }

    #[test]
    fn corpus_prints_as_ovs() {
        let Some(msg) = corpus("4-4-ofp_packet_in") else {
            return;
        };
        let p: PacketIn = parse_msg(&msg);
        let Some(line) = ovs_line(MsgType::PACKET_IN, &p) else {
            return;
        };
        assert_eq!(p.to_string(), line);
        assert_eq!(
            line,
            "table_id=1 cookie=0x1020300000000 total_len=42 arp,in_port=6,\
             dl_src=f2:0b:a4:7d:f8:ea,dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=10.0.0.1,\
             arp_tpa=10.0.0.3,arp_op=1,arp_sha=f2:0b:a4:7d:f8:ea,arp_tha=00:00:00:00:00:00 \
             (via action) data_len=42 buffer=0x00000002"
        );
    }

    #[test]
    fn ovs_decodes_what_we_build() {
        let frame = hex(ARP);
        let mut cases = vec![
            PacketIn::new(PortNo(1), frame.clone()),
            PacketIn::new(PortNo::LOCAL, vec![]),
            PacketIn {
                buffer_id: BufferId(0x1234),
                total_len: 1500,
                reason: PacketInReason::ACTION,
                table_id: TableId(3),
                cookie: u64::MAX,
                match_: Match::new().in_port(7).metadata(0x55).tunnel_id(0x99),
                data: frame[..20].into(),
            },
            PacketIn {
                reason: PacketInReason::INVALID_TTL,
                cookie: 0xabc,
                ..PacketIn::new(PortNo(2), frame.clone())
            },
        ];
        // The lengths disagree (ovs-ofctl says so), an empty match, reasons beyond 1.3.
        let mut odd = PacketIn::new(PortNo(3), frame.clone());
        odd.total_len = 10;
        cases.push(odd.clone());
        odd.buffer_id = BufferId(1);
        cases.push(odd.clone());
        odd.match_ = Match::new();
        cases.push(odd.clone());
        for r in 3..10 {
            odd.reason = PacketInReason(r);
            cases.push(odd.clone());
        }
        for p in cases {
            let Some(line) = ovs_line(MsgType::PACKET_IN, &p) else {
                return;
            };
            assert_eq!(p.to_string(), line, "{p:?}");
            let b = p.to_vec().unwrap();
            assert_eq!(view(&b).unwrap().to_string(), line);
            assert_eq!(parse(&b).unwrap(), p);
        }
    }

    #[test]
    fn names() {
        assert_eq!(PacketInReason::NO_MATCH.to_string(), "OFPR_NO_MATCH");
        assert_eq!(PacketInReason::INVALID_TTL.name(), Some("INVALID_TTL"));
        assert_eq!(PacketInReason(9).to_string(), "OFPR_UNKNOWN(9)");
        assert_eq!(
            alloc::format!("{:?}", PacketInReason::ACTION),
            "PacketInReason(OFPR_ACTION)"
        );
        assert_eq!(PacketInReason(5).ofctl_name(), Some("packet_out"));
    }

    /// A PACKET_IN body with match in_port=1 (16 bytes padded) and 4 bytes of data: fixed
    /// 0..16, match 16..32 (length at 18), pad 32..34, data 34..38 (message offsets + 8).
    fn sample() -> Vec<u8> {
        PacketIn::new(PortNo(1), vec![1, 2, 3, 4]).to_vec().unwrap()
    }

    #[test]
    fn negative_lengths() {
        let good = sample();
        assert_eq!(good.len(), 38);
        assert!(view(&good).is_ok());
        for n in 0..34 {
            let e = view(&good[..n]).unwrap_err();
            assert!(
                matches!(e, Error::Truncated { .. } | Error::BadLength { .. }),
                "{n}: {e}"
            );
            assert_eq!(parse(&good[..n]).unwrap_err(), e, "{n}");
        }
        // No data is fine.
        assert!(parse(&good[..34]).unwrap().data.is_empty());
        let with = |at: usize, v: &[u8]| {
            let mut b = good.clone();
            b[at..at + v.len()].copy_from_slice(v);
            b
        };
        assert_eq!(
            view(&with(16, &[0, 0])),
            Err(Error::BadValue {
                what: "ofp_match.type",
                offset: 24,
                value: 0,
                expected: "OFPMT_OXM (1)"
            })
        );
        assert!(matches!(
            view(&with(18, &[0, 2])),
            Err(Error::BadLength {
                what: "ofp_match.length",
                offset: 26,
                value: 2,
                ..
            })
        ));
        assert!(matches!(
            view(&with(18, &[0, 40])),
            Err(Error::BadLength {
                what: "ofp_match.length",
                offset: 26,
                value: 40,
                ..
            })
        ));
        // Non-zero match padding, then the 2 pad bytes before the data.
        assert!(matches!(
            view(&with(31, &[9])),
            Err(Error::BadValue {
                what: "ofp_match.pad",
                offset: 39,
                value: 9,
                ..
            })
        ));
        assert_eq!(
            view(&with(33, &[7])),
            Err(Error::BadValue {
                what: "ofp_packet_in.pad",
                offset: 41,
                value: 7,
                expected: "zero padding"
            })
        );
        // A match length of 16 takes the padding into the TLVs: 4 zero bytes are an OXM of
        // class 0, field 0, length 0, kept raw and encoded back.
        let b = with(18, &[0, 16]);
        let p = parse(&b).unwrap();
        assert_eq!(p.match_.fields.len(), 2);
        assert_eq!(p.to_vec().unwrap(), b);
        // 15: 3 bytes of an OXM header: the view parses, the match does not.
        let b = with(18, &[0, 15]);
        assert!(view(&b).is_ok());
        assert!(view(&b).unwrap().match_().is_err());
        assert!(matches!(
            parse(&b),
            Err(Error::Truncated { offset: 36, .. })
        ));
    }

    #[test]
    fn lazy_match() {
        // The view does not walk the OXM TLVs: a malformed TLV after in_port is only seen
        // by match_(), validate() and decode().
        let mut b = PacketIn::new(PortNo(5), vec![0xaa; 14]).to_vec().unwrap();
        // Match length 12 -> 15: in_port then 3 bytes of a TLV header cut short; the
        // padding shrinks from 4 to 1 and the rest moves into the TLV bytes.
        b[18..20].copy_from_slice(&[0, 15]);
        let v = view(&b).unwrap();
        assert_eq!(v.in_port(), Some(PortNo(5)));
        assert!(v.match_().is_err());
        assert!(v.validate().is_err());
        assert!(v.decode().is_err());
        assert!(parse(&b).is_err());
        assert!(v.to_string().contains("<error:"), "{v}");
        // Malformed before in_port: no in_port.
        let mut b = PacketIn::new(PortNo(5), vec![]).to_vec().unwrap();
        b[23] = 9; // in_port's OXM length 4 -> 9: past the match
        let v = view(&b).unwrap();
        assert_eq!(v.in_port(), None);
        // A masked or odd-sized in_port is not taken; a later good one is.
        let p = PacketIn {
            match_: Match::new()
                .push(crate::oxm::OxmField::from_parts(0x8000, 0, true, &[0; 8]))
                .push(crate::oxm::OxmField::from_parts(0x8000, 0, false, &[0; 2]))
                .in_port(9),
            ..PacketIn::new(PortNo(1), vec![])
        };
        let b = p.to_vec().unwrap();
        assert_eq!(view(&b).unwrap().in_port(), Some(PortNo(9)));
        assert_eq!(
            view(&b).unwrap().match_().unwrap().in_port(),
            Some(PortNo(9))
        );
    }

    prop_compose! {
        fn arb_packet_in()(
            buffer: u32, total_len: u16, reason: u8, table: u8, cookie: u64,
            in_port in proptest::option::of(any::<u32>()),
            metadata in proptest::option::of(any::<u64>()),
            eth_type in proptest::option::of(any::<u16>()),
            data in proptest::collection::vec(any::<u8>(), 0..80),
        ) -> PacketIn {
            let mut m = Match::new();
            if let Some(p) = in_port { m = m.in_port(p); }
            if let Some(x) = metadata { m = m.metadata(x); }
            if let Some(x) = eth_type { m = m.eth_type(x); }
            PacketIn {
                buffer_id: BufferId(buffer),
                total_len,
                reason: PacketInReason(reason),
                table_id: TableId(table),
                cookie,
                match_: m,
                data: data.into(),
            }
        }
    }

    proptest! {
        #[test]
        fn owned_round_trip(p in arb_packet_in()) {
            let b = p.to_vec().unwrap();
            prop_assert_eq!(b.len(), p.encoded_len());
            prop_assert_eq!(&parse(&b).unwrap(), &p);
            let v = view(&b).unwrap();
            prop_assert_eq!(v.in_port(), p.in_port());
            prop_assert_eq!(v.data, &p.data[..]);
            prop_assert_eq!(v.to_string(), p.to_string());
        }

        #[test]
        fn any_bytes(p in arb_packet_in(), damage in arb_damage()) {
            let b = damage.apply(p.to_vec().unwrap());
            let owned = parse(&b);
            match view(&b) {
                Ok(v) => {
                    prop_assert_eq!(v.decode(), owned.clone());
                    if let Ok(m) = v.match_() {
                        prop_assert_eq!(v.in_port(), m.in_port());
                    }
                    let _ = v.to_string();
                }
                Err(e) => prop_assert_eq!(Err(e), owned.clone()),
            }
            if let Ok(p) = owned {
                prop_assert_eq!(p.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn random_bytes(b in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(p) = parse(&b) {
                prop_assert_eq!(p.to_vec().unwrap(), b);
            }
        }
    }
}
