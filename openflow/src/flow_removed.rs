//! OFPT_FLOW_REMOVED (`ofp_flow_removed`): the switch tells the controller a flow that had
//! the `SEND_FLOW_REM` flag is gone.
//!
//! The body is 40 fixed bytes (cookie, priority, reason, table id, duration, timeouts,
//! packet and byte counts), then an `ofp_match` padded to a multiple of 8, which ends the
//! message.
//!
//! Contract: [`FlowRemovedView::parse`] checks the fixed part, the match (header, length,
//! TLV framing, padding) and that nothing follows; no accessor fails afterwards, and
//! whatever [`FlowRemoved`]'s parse accepts encodes back to identical bytes.

use core::fmt;

use bytes::BufMut;

use crate::codec::{MessageBody, Reader, WireWrite};
use crate::codec_error::Result;
use crate::flow_mod::fmt_priority_match;
use crate::header::MsgType;
use crate::oxm::{Match, MatchView};
use crate::types::TableId;

/// `$ty { .. }` with the fixed fields of `ofp_flow_removed` (cookie to byte_count) copied
/// from `$from`, then the fields in braces: the one list of those fields that
/// [`FlowRemoved`], [`FlowRemovedView`] and `Head` share.
macro_rules! with_head {
    ($ty:ident, $from:expr, { $($field:ident $(: $value:expr)?),* $(,)? }) => {{
        let h = &$from;
        $ty {
            cookie: h.cookie,
            priority: h.priority,
            reason: h.reason,
            table_id: h.table_id,
            duration_sec: h.duration_sec,
            duration_nsec: h.duration_nsec,
            idle_timeout: h.idle_timeout,
            hard_timeout: h.hard_timeout,
            packet_count: h.packet_count,
            byte_count: h.byte_count,
            $($field $(: $value)?,)*
        }
    }};
}

/// Length of the FLOW_REMOVED body before the match.
pub const FLOW_REMOVED_FIXED_LEN: usize = 40;

crate::types::open_enum! {
    /// Why a flow was removed (`ofp_flow_removed_reason`). Open: any value parses.
    pub struct FlowRemovedReason(u8) as "OFPRR_" {
        /// OFPRR_IDLE_TIMEOUT: the flow was idle for `idle_timeout` seconds.
        IDLE_TIMEOUT = 0,
        /// OFPRR_HARD_TIMEOUT: the flow's `hard_timeout` passed.
        HARD_TIMEOUT = 1,
        /// OFPRR_DELETE: a DELETE flow mod removed it.
        DELETE = 2,
        /// OFPRR_GROUP_DELETE: a group it used was deleted.
        GROUP_DELETE = 3,
    }
    /// The name `ovs-ofctl` prints after `reason=` (`idle`, `hard`, `delete`,
    /// `group_delete`, and OpenFlow 1.4's `meter_delete` and `eviction` for 4 and 5), if it
    /// has one.
    ofctl_name {
        0 => "idle",
        1 => "hard",
        2 => "delete",
        3 => "group_delete",
        4 => "meter_delete",
        5 => "eviction",
    }
}

/// The body of OFPT_FLOW_REMOVED, owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FlowRemoved {
    /// The flow's cookie.
    pub cookie: u64,
    /// The flow's priority.
    pub priority: u16,
    /// Why it was removed.
    pub reason: FlowRemovedReason,
    /// Its table.
    pub table_id: TableId,
    /// How long it lived: seconds ...
    pub duration_sec: u32,
    /// ... and nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// Its idle timeout.
    pub idle_timeout: u16,
    /// Its hard timeout.
    pub hard_timeout: u16,
    /// Packets it matched.
    pub packet_count: u64,
    /// Bytes it matched.
    pub byte_count: u64,
    /// Its match (os-ken's `match`).
    pub match_: Match,
}

crate::codec::impl_encode!(FlowRemoved);

impl WireWrite for FlowRemoved {
    fn encoded_len(&self) -> usize {
        FLOW_REMOVED_FIXED_LEN + self.match_.encoded_len()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        self.head().write(out);
        self.match_.write(out)
    }
}

impl MessageBody for FlowRemoved {
    const TYPE: MsgType = MsgType::FLOW_REMOVED;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        Ok(FlowRemovedView::parse(r)?.decode())
    }
}

impl FlowRemoved {
    fn head(&self) -> Head {
        with_head!(Head, self, {})
    }
}

#[derive(Debug, Clone, Copy)]
struct Head {
    cookie: u64,
    priority: u16,
    reason: FlowRemovedReason,
    table_id: TableId,
    duration_sec: u32,
    duration_nsec: u32,
    idle_timeout: u16,
    hard_timeout: u16,
    packet_count: u64,
    byte_count: u64,
}

impl Head {
    fn write<B: BufMut>(&self, out: &mut B) {
        out.put_u64(self.cookie);
        out.put_u16(self.priority);
        out.put_u8(self.reason.0);
        out.put_u8(self.table_id.0);
        out.put_u32(self.duration_sec);
        out.put_u32(self.duration_nsec);
        out.put_u16(self.idle_timeout);
        out.put_u16(self.hard_timeout);
        out.put_u64(self.packet_count);
        out.put_u64(self.byte_count);
    }
}

/// The body of OFPT_FLOW_REMOVED, borrowed: the fixed fields decoded, the match a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowRemovedView<'a> {
    /// Cookie.
    pub cookie: u64,
    /// Priority.
    pub priority: u16,
    /// Reason.
    pub reason: FlowRemovedReason,
    /// Table.
    pub table_id: TableId,
    /// Seconds the flow lived.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// Idle timeout.
    pub idle_timeout: u16,
    /// Hard timeout.
    pub hard_timeout: u16,
    /// Packet count.
    pub packet_count: u64,
    /// Byte count.
    pub byte_count: u64,
    /// The match, checked by [`FlowRemovedView::parse`].
    pub match_: MatchView<'a>,
}

impl<'a> FlowRemovedView<'a> {
    /// Reads the body (everything after the header): the fixed fields, then the match (see
    /// [`Match::parse`] for its checks), which must end the body
    /// ([`Error::TrailingBytes`](crate::Error::TrailingBytes) otherwise).
    pub fn parse(r: &mut Reader<'a>) -> Result<FlowRemovedView<'a>> {
        let cookie = r.u64("ofp_flow_removed.cookie")?;
        let priority = r.u16("ofp_flow_removed.priority")?;
        let reason = FlowRemovedReason(r.u8("ofp_flow_removed.reason")?);
        let table_id = TableId(r.u8("ofp_flow_removed.table_id")?);
        let duration_sec = r.u32("ofp_flow_removed.duration_sec")?;
        let duration_nsec = r.u32("ofp_flow_removed.duration_nsec")?;
        let idle_timeout = r.u16("ofp_flow_removed.idle_timeout")?;
        let hard_timeout = r.u16("ofp_flow_removed.hard_timeout")?;
        let packet_count = r.u64("ofp_flow_removed.packet_count")?;
        let byte_count = r.u64("ofp_flow_removed.byte_count")?;
        let match_ = MatchView::parse(r)?;
        r.finish("ofp_flow_removed")?;
        Ok(FlowRemovedView {
            cookie,
            priority,
            reason,
            table_id,
            duration_sec,
            duration_nsec,
            idle_timeout,
            hard_timeout,
            packet_count,
            byte_count,
            match_,
        })
    }

    /// The owned body.
    pub fn decode(&self) -> FlowRemoved {
        with_head!(FlowRemoved, self, {
            match_: self.match_.decode(),
        })
    }

    fn head(&self) -> Head {
        with_head!(Head, self, {})
    }
}

/// A duration as OVS prints it: seconds, then no decimals, 3 when the nanoseconds are whole
/// milliseconds, or as many as needed; then `s`.
struct Duration(u32, u32);

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (sec, nsec) = (self.0, self.1);
        write!(f, "{sec}")?;
        if nsec > 0 {
            if nsec % 1_000_000 == 0 {
                write!(f, ".{:03}", nsec / 1_000_000)?;
            } else {
                // `%09u` (more digits when nsec is a second or more), trailing zeros cut.
                let digits = nsec
                    .checked_ilog10()
                    .map_or(1, |l| usize::try_from(l).unwrap_or(9) + 1);
                let mut width = digits.max(9);
                let mut v = nsec;
                while v % 10 == 0 {
                    v /= 10;
                    width -= 1;
                }
                write!(f, ".{v:0width$}")?;
            }
        }
        f.write_str("s")
    }
}

fn fmt_flow_removed(
    f: &mut fmt::Formatter<'_>,
    h: &Head,
    match_: &dyn fmt::Display,
) -> fmt::Result {
    fmt_priority_match(f, h.priority, match_)?;
    f.write_str(" reason=")?;
    match h.reason.ofctl_name() {
        Some(n) => f.write_str(n)?,
        None => write!(f, "{}", h.reason.0)?,
    }
    if h.table_id != TableId::ALL {
        write!(f, " table_id={}", h.table_id.0)?;
    }
    if h.cookie != 0 {
        write!(f, " cookie:{:#x}", h.cookie)?;
    }
    write!(
        f,
        " duration{} idle{}",
        Duration(h.duration_sec, h.duration_nsec),
        h.idle_timeout
    )?;
    if h.hard_timeout != 0 {
        write!(f, " hard{}", h.hard_timeout)?;
    }
    write!(f, " pkts{} bytes{}", h.packet_count, h.byte_count)
}

impl fmt::Display for FlowRemoved {
    /// As `ovs-ofctl ofp-print` prints the message after `OFPT_FLOW_REMOVED (OF1.3)
    /// (xid=0x0): `: `priority=N,` (unless it is the default 32768) and the match, then
    /// ` reason=idle` (`hard`, `delete`, `group_delete`), ` table_id=N` unless 255,
    /// ` cookie:0x..` unless 0, ` duration3.048825s idle3`, ` hard300` unless 0,
    /// ` pkts1 bytes86`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_flow_removed(f, &self.head(), &self.match_)
    }
}

impl fmt::Display for FlowRemovedView<'_> {
    /// As [`FlowRemoved`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_flow_removed(f, &self.head(), &self.match_)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::test_support::arb_damage;
    use crate::codec_error::Error;
    use crate::flow_mod::test_support::*;
    use crate::flow_mod::OFP_DEFAULT_PRIORITY;
    use crate::simple::testutil::*;
    use crate::types::PortNo;
    use alloc::string::ToString;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    const CORPUS: &[&str] = &["4-40-ofp_flow_removed", "libofproto-OFP13-flow_removed"];

    fn parse(b: &[u8]) -> Result<FlowRemoved> {
        parse_bytes(b, FlowRemoved::parse_body)
    }

    fn view(b: &[u8]) -> Result<FlowRemovedView<'_>> {
        let mut r = Reader::new(b, 8);
        let v = FlowRemovedView::parse(&mut r)?;
        r.finish("test body")?;
        Ok(v)
    }

    #[test]
    fn os_ken_corpus() {
        for &name in CORPUS {
            let Some(msg) = corpus(name) else { return };
            let fr: FlowRemoved = parse_msg(&msg);
            let v = view(&msg[8..]).unwrap();
            assert_eq!(v.decode(), fr, "{name}");
            assert_eq!(v.to_string(), fr.to_string(), "{name}");
            let Some(json) = corpus_json(name) else {
                return;
            };
            let j = &json["OFPFlowRemoved"];
            assert_eq!(j["cookie"], fr.cookie, "{name}");
            assert_eq!(j["priority"], fr.priority, "{name}");
            assert_eq!(j["reason"], fr.reason.0, "{name}");
            assert_eq!(j["table_id"], fr.table_id.0, "{name}");
            assert_eq!(j["duration_sec"], fr.duration_sec, "{name}");
            assert_eq!(j["duration_nsec"], fr.duration_nsec, "{name}");
            assert_eq!(j["idle_timeout"], fr.idle_timeout, "{name}");
            assert_eq!(j["hard_timeout"], fr.hard_timeout, "{name}");
            assert_eq!(j["packet_count"], fr.packet_count, "{name}");
            assert_eq!(j["byte_count"], fr.byte_count, "{name}");
            let jm = &j["match"]["OFPMatch"];
            assert_eq!(jm["length"], fr.match_.length(), "{name}");
            assert_eq!(
                jm["oxm_fields"].as_array().unwrap().len(),
                fr.match_.fields.len(),
                "{name}"
            );
        }
        let Some(msg) = corpus("4-40-ofp_flow_removed") else {
            return;
        };
        let fr: FlowRemoved = parse_msg(&msg);
        let Some(line) = ovs_line(MsgType::FLOW_REMOVED, &fr) else {
            return;
        };
        assert_eq!(fr.to_string(), line);
        assert_eq!(
            line,
            "priority=65535,dl_dst=f2:0b:a4:7d:f8:ea reason=idle table_id=0 \
             duration3.048825s idle3 pkts1 bytes86"
        );
    }

    #[test]
    fn ovs_decodes_what_we_build() {
        let base = FlowRemoved {
            cookie: 0,
            priority: 100,
            reason: FlowRemovedReason::IDLE_TIMEOUT,
            table_id: TableId(0),
            duration_sec: 3,
            duration_nsec: 0,
            idle_timeout: 10,
            hard_timeout: 0,
            packet_count: 5,
            byte_count: 500,
            match_: Match::new()
                .in_port(PortNo(1))
                .eth_type(0x0800)
                .ipv4_dst([10, 0, 0, 1]),
        };
        let mut cases = Vec::new();
        for (nsec, reason, table, cookie, hard, priority) in [
            (0, 0, 0, 0, 0, 100),
            (5_000_000, 1, 3, 0x1234, 30, 1),
            (123_456_789, 2, 255, u64::MAX, 0, OFP_DEFAULT_PRIORITY),
            (500, 3, 254, 1, 1, 0),
            (1_000_000_001, 4, 1, 0, 0, 7),
            (2_000_000_000, 5, 1, 0, 0, 7),
            (u32::MAX, 6, 1, 0, 0, 7),
            (10, 77, 1, 0, 0, 7),
        ] {
            cases.push(FlowRemoved {
                duration_nsec: nsec,
                reason: FlowRemovedReason(reason),
                table_id: TableId(table),
                cookie,
                hard_timeout: hard,
                priority,
                ..base.clone()
            });
        }
        cases.push(FlowRemoved {
            match_: Match::new(),
            priority: OFP_DEFAULT_PRIORITY,
            ..base.clone()
        });
        cases.push(FlowRemoved {
            match_: Match::new(),
            ..base.clone()
        });
        for fr in cases {
            let Some(line) = ovs_line(MsgType::FLOW_REMOVED, &fr) else {
                return;
            };
            assert_eq!(fr.to_string(), line, "{fr:?}");
            let b = fr.to_vec().unwrap();
            assert_eq!(parse(&b).unwrap(), fr);
            assert_eq!(view(&b).unwrap().to_string(), line);
        }
    }

    #[test]
    fn names() {
        assert_eq!(
            FlowRemovedReason::GROUP_DELETE.to_string(),
            "OFPRR_GROUP_DELETE"
        );
        assert_eq!(FlowRemovedReason::HARD_TIMEOUT.name(), Some("HARD_TIMEOUT"));
        assert_eq!(FlowRemovedReason::DELETE.ofctl_name(), Some("delete"));
        assert_eq!(FlowRemovedReason(9).to_string(), "OFPRR_UNKNOWN(9)");
        assert_eq!(
            alloc::format!("{:?}", FlowRemovedReason::IDLE_TIMEOUT),
            "FlowRemovedReason(OFPRR_IDLE_TIMEOUT)"
        );
        assert_eq!(Duration(1, 1).to_string(), "1.000000001s");
        assert_eq!(Duration(0, 100_000_000).to_string(), "0.100s");
        assert_eq!(Duration(0, 120_000_000).to_string(), "0.120s");
        assert_eq!(Duration(0, 123_400_000).to_string(), "0.1234s");
        assert_eq!(Duration(7, 0).to_string(), "7s");
    }

    /// A FLOW_REMOVED body with match in_port=1: fixed 0..40, match 40..56 (length at 42).
    fn sample() -> Vec<u8> {
        FlowRemoved {
            match_: Match::new().in_port(PortNo(1)),
            ..FlowRemoved::default()
        }
        .to_vec()
        .unwrap()
    }

    #[test]
    fn negative_lengths() {
        let good = sample();
        assert_eq!(good.len(), 56);
        assert!(parse(&good).is_ok());
        for n in 0..56 {
            let e = parse(&good[..n]).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::Truncated { .. } | Error::BadLength { offset: 50, .. }
                ),
                "{n}: {e}"
            );
        }
        let mut long = good.clone();
        long.extend_from_slice(&[0; 8]);
        assert_eq!(
            parse(&long),
            Err(Error::TrailingBytes {
                what: "ofp_flow_removed",
                offset: 64,
                extra: 8
            })
        );
        let with = |at: usize, v: &[u8]| {
            let mut b = good.clone();
            b[at..at + v.len()].copy_from_slice(v);
            b
        };
        assert!(matches!(
            parse(&with(40, &[0, 0])),
            Err(Error::BadValue {
                what: "ofp_match.type",
                offset: 48,
                ..
            })
        ));
        assert!(matches!(
            parse(&with(42, &[0, 0])),
            Err(Error::BadLength {
                what: "ofp_match.length",
                offset: 50,
                ..
            })
        ));
        assert!(matches!(
            parse(&with(42, &[0, 17])),
            Err(Error::BadLength {
                what: "ofp_match.length",
                offset: 50,
                ..
            })
        ));
        assert!(matches!(
            parse(&with(55, &[1])),
            Err(Error::BadValue {
                what: "ofp_match.pad",
                offset: 63,
                ..
            })
        ));
        // A TLV longer than the match.
        assert!(matches!(
            parse(&with(47, &[5])),
            Err(Error::BadLength { .. }) | Err(Error::Truncated { .. })
        ));
    }

    prop_compose! {
        fn arb_flow_removed()(
            cookie: u64, priority: u16, reason: u8, table: u8, sec: u32, nsec: u32,
            idle: u16, hard: u16, packets: u64, bytes: u64,
            in_port in proptest::option::of(any::<u32>()),
            metadata in proptest::option::of((any::<u64>(), proptest::option::of(any::<u64>()))),
        ) -> FlowRemoved {
            let mut m = Match::new();
            if let Some(p) = in_port { m = m.in_port(p); }
            if let Some((v, mask)) = metadata {
                m = m.push(crate::oxm::OxmField::Metadata(v, mask));
            }
            FlowRemoved {
                cookie, priority, reason: FlowRemovedReason(reason), table_id: TableId(table),
                duration_sec: sec, duration_nsec: nsec, idle_timeout: idle,
                hard_timeout: hard, packet_count: packets, byte_count: bytes, match_: m,
            }
        }
    }

    proptest! {
        #[test]
        fn owned_round_trip(fr in arb_flow_removed()) {
            let b = fr.to_vec().unwrap();
            prop_assert_eq!(b.len(), fr.encoded_len());
            prop_assert_eq!(&parse(&b).unwrap(), &fr);
            prop_assert_eq!(view(&b).unwrap().to_string(), fr.to_string());
        }

        #[test]
        fn any_bytes(fr in arb_flow_removed(), damage in arb_damage()) {
            let b = damage.apply(fr.to_vec().unwrap());
            let owned = parse(&b);
            prop_assert_eq!(view(&b).map(|v| v.decode()), owned.clone());
            if let Ok(fr) = owned {
                prop_assert_eq!(fr.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn random_bytes(b in proptest::collection::vec(any::<u8>(), 0..80)) {
            if let Ok(fr) = parse(&b) {
                prop_assert_eq!(fr.to_vec().unwrap(), b);
            }
        }
    }
}
