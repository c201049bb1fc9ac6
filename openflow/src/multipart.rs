//! MULTIPART_REQUEST and MULTIPART_REPLY (`ofp_multipart_request` / `ofp_multipart_reply`):
//! statistics, descriptions and table features, for every multipart type of OpenFlow 1.3.
//!
//! ```text
//! body: type:16 flags:16 pad:32 then the type's body
//!   request                              reply
//!   DESC            -                    ofp_desc (1056 bytes: 4 strings of 256, serial 32)
//!   FLOW/AGGREGATE  ofp_flow_stats_req.  ofp_flow_stats[] / ofp_aggregate_stats_reply
//!   TABLE           -                    ofp_table_stats[]
//!   PORT_STATS      port_no, pad         ofp_port_stats[]
//!   QUEUE           port_no, queue_id    ofp_queue_stats[]
//!   GROUP           group_id, pad        ofp_group_stats[] (with bucket counters)
//!   GROUP_DESC      -                    ofp_group_desc[] (with buckets)
//!   GROUP_FEATURES  -                    ofp_group_features
//!   METER/CONFIG    meter_id, pad        ofp_meter_stats[] / ofp_meter_config[]
//!   METER_FEATURES  -                    ofp_meter_features
//!   TABLE_FEATURES  ofp_table_features[] ofp_table_features[]
//!   PORT_DESC       -                    ofp_port[]
//!   EXPERIMENTER    experimenter, exp_type, data (both ways)
//! ```
//!
//! - [`MultipartRequest`] and [`MultipartReply`] are the owned bodies (both
//!   [`MessageBody`]); requests have builders for what a controller asks
//!   ([`MultipartRequest::flow_stats`], [`MultipartRequest::port_stats`], ...).
//! - [`MultipartReplyView`] is the zero-copy view of a reply: fixed bodies are decoded, arrays
//!   are [`Entries`] iterators that check each entry's length as they reach it and allocate
//!   nothing ([`FlowStatsView`] borrows its match and instructions, [`TableFeaturesView`] its
//!   properties, ...).
//! - Flow statistics print in `ovs-ofctl dump-flows` notation; the other entries in a short
//!   form close to `ovs-ofctl`'s.
//!
//! ```
//! use sdnwire_openflow::multipart::{MultipartReply, MultipartReplyBody};
//! use sdnwire_openflow::multipart::{FlowStats, MultipartRequest};
//! use sdnwire_openflow::oxm::Match;
//! use sdnwire_openflow::{BodyView, Encode, MessageView};
//!
//! // The controller asks for the flows of table 0 that match in_port=1 ...
//! let request = MultipartRequest::flow_stats(Match::new().in_port(1u32), 0);
//! assert_eq!(request.to_string(), "OFPST_FLOW request: table=0 in_port=1");
//! let body = request.to_vec()?;
//! # let reply = MultipartReply::new(MultipartReplyBody::Flow(vec![
//! #     FlowStats::new(1, Match::new().in_port(1u32), vec![]),
//! # ]));
//! # let msg = sdnwire_openflow::Message::new(1, sdnwire_openflow::Body::MultipartReply(reply))
//! #     .to_vec()?;
//!
//! // ... and reads the switch's reply (`msg`, a whole message) without allocating.
//! let MessageView { body: BodyView::MultipartReply(reply), .. } = MessageView::parse(&msg)? else {
//!     panic!("not a multipart reply");
//! };
//! for flow in reply.flow_stats().into_iter().flatten() {
//!     let flow = flow?;
//!     assert_eq!(flow.priority, 1);
//!     assert_eq!(
//!         flow.to_string(),
//!         "cookie=0x0, duration=0s, table=0, n_packets=0, n_bytes=0, priority=1,in_port=1 \
//!          actions=drop"
//!     );
//! }
//! if reply.more() {
//!     // more parts of this reply follow
//! }
//! # Ok::<(), sdnwire_openflow::Error>(())
//! ```
//!
//! Multipart types this codec does not know are kept raw; padding must be zero and bodies that
//! the spec leaves empty must be empty, so every accepted body encodes back to identical
//! bytes. A reply larger than one message is split by the switch into several messages with
//! [`MultipartFlags::MORE`] set on all but the last; each message parses on its own.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

use bytes::BufMut;

use crate::codec::{len16, pad8, put_zeros, round8, MessageBody, Reader, WireWrite};
use crate::codec_error::{Error, Result};
use crate::flow_mod::FlowModFlags;
use crate::group_mod::{Bucket, BucketsView, GroupType};
use crate::header::MsgType;
use crate::instruction::{Instruction, InstructionList, InstructionsView};
use crate::meter_mod::{BandsView, MeterBand, MeterFlags};
use crate::oxm::{Match, MatchView, MATCH_HEADER_LEN, OFPMT_OXM};
use crate::port::{bitset, nul_terminated_str, Port};
use crate::queue::OFPQ_ALL;
use crate::table_features::{TableFeatures, TableFeaturesView};
use crate::types::{GroupId, MeterId, PortNo, TableId};
use crate::wire::{oxm_framing_ok, pad_is_zero, FlowStatsHead};
use sdnwire_packet::wire::FixedLayout;

/// Length of the multipart header after the OpenFlow header (`type`, `flags`, `pad`).
pub const MULTIPART_HEADER_LEN: usize = 8;
/// Length of `ofp_flow_stats_request` (and aggregate) without its match.
pub const FLOW_STATS_REQUEST_LEN: usize = 32;
/// Length of `ofp_flow_stats` without its match and instructions.
pub const FLOW_STATS_LEN: usize = 48;
/// DESC_STR_LEN: the manufacturer, hardware, software and datapath description fields.
pub const DESC_STR_LEN: usize = 256;
/// SERIAL_NUM_LEN: the serial number field.
pub const SERIAL_NUM_LEN: usize = 32;
/// Length of `ofp_desc`.
pub const DESC_LEN: usize = 4 * DESC_STR_LEN + SERIAL_NUM_LEN;
/// Length of `ofp_aggregate_stats_reply`.
pub const AGGREGATE_STATS_LEN: usize = 24;
/// Length of `ofp_table_stats`.
pub const TABLE_STATS_LEN: usize = 24;
/// Length of `ofp_port_stats`.
pub const PORT_STATS_LEN: usize = 112;
/// Length of `ofp_queue_stats`.
pub const QUEUE_STATS_LEN: usize = 40;
/// Length of `ofp_group_stats` without its bucket counters.
pub const GROUP_STATS_LEN: usize = 40;
/// Length of `ofp_bucket_counter`.
pub const BUCKET_COUNTER_LEN: usize = 16;
/// Length of `ofp_group_desc` without its buckets.
pub const GROUP_DESC_LEN: usize = 8;
/// Length of `ofp_group_features`.
pub const GROUP_FEATURES_LEN: usize = 40;
/// Length of `ofp_meter_stats` without its band statistics.
pub const METER_STATS_LEN: usize = 40;
/// Length of `ofp_meter_band_stats`.
pub const METER_BAND_STATS_LEN: usize = 16;
/// Length of `ofp_meter_config` without its bands.
pub const METER_CONFIG_LEN: usize = 8;
/// Length of `ofp_meter_features`.
pub const METER_FEATURES_LEN: usize = 16;
/// Length of `ofp_experimenter_multipart_header`.
pub const EXPERIMENTER_MULTIPART_LEN: usize = 8;
/// OFP_DEFAULT_PRIORITY: the priority ovs-ofctl leaves out when printing flows.
pub const DEFAULT_PRIORITY: u16 = 0x8000;

crate::types::open_enum! {
    /// A multipart type (`ofp_multipart_type`). Open: any value parses.
    pub struct MultipartType(u16) as "OFPMP_", unknown "{:#06x}" {
        /// OFPMP_DESC: switch description.
        DESC = 0,
        /// OFPMP_FLOW: individual flow statistics.
        FLOW = 1,
        /// OFPMP_AGGREGATE: aggregate flow statistics.
        AGGREGATE = 2,
        /// OFPMP_TABLE: flow table statistics.
        TABLE = 3,
        /// OFPMP_PORT_STATS: port statistics.
        PORT_STATS = 4,
        /// OFPMP_QUEUE: queue statistics.
        QUEUE = 5,
        /// OFPMP_GROUP: group counters.
        GROUP = 6,
        /// OFPMP_GROUP_DESC: group descriptions.
        GROUP_DESC = 7,
        /// OFPMP_GROUP_FEATURES: group features.
        GROUP_FEATURES = 8,
        /// OFPMP_METER: meter statistics.
        METER = 9,
        /// OFPMP_METER_CONFIG: meter configuration.
        METER_CONFIG = 10,
        /// OFPMP_METER_FEATURES: meter features.
        METER_FEATURES = 11,
        /// OFPMP_TABLE_FEATURES: table features.
        TABLE_FEATURES = 12,
        /// OFPMP_PORT_DESC: port descriptions.
        PORT_DESC = 13,
        /// OFPMP_EXPERIMENTER.
        EXPERIMENTER = 0xffff,
    }
    /// ovs-ofctl's name for messages of this type (`OFPST_FLOW`, `OFPST_PORT`,
    /// `OFPST_PORT_DESC`), if the type is known.
    ofctl_name {
        0 => "OFPST_DESC",
        1 => "OFPST_FLOW",
        2 => "OFPST_AGGREGATE",
        3 => "OFPST_TABLE",
        4 => "OFPST_PORT",
        5 => "OFPST_QUEUE",
        6 => "OFPST_GROUP",
        7 => "OFPST_GROUP_DESC",
        8 => "OFPST_GROUP_FEATURES",
        9 => "OFPST_METER",
        10 => "OFPST_METER_CONFIG",
        11 => "OFPST_METER_FEATURES",
        12 => "OFPST_TABLE_FEATURES",
        13 => "OFPST_PORT_DESC",
        0xffff => "OFPST_EXPERIMENTER",
    }
}

bitset! {
    /// Multipart flags (`ofp_multipart_request_flags` / `ofp_multipart_reply_flags`).
    pub struct MultipartFlags(u16) {
        /// OFPMPF_REQ_MORE / OFPMPF_REPLY_MORE: more messages of this request or reply follow.
        const MORE = 1 << 0 => "more";
    }
}

impl MultipartFlags {
    /// OFPMPF_REQ_MORE: more requests follow.
    pub const REQ_MORE: MultipartFlags = MultipartFlags::MORE;
    /// OFPMPF_REPLY_MORE: more replies follow.
    pub const REPLY_MORE: MultipartFlags = MultipartFlags::MORE;
}

bitset! {
    /// Group capabilities in group features (`ofp_group_capabilities`, OFPGFC_*).
    pub struct GroupCapabilities(u32) {
        /// OFPGFC_SELECT_WEIGHT: weights in select groups.
        const SELECT_WEIGHT = 1 << 0 => "select_weight";
        /// OFPGFC_SELECT_LIVENESS: liveness in select groups.
        const SELECT_LIVENESS = 1 << 1 => "select_liveness";
        /// OFPGFC_CHAINING: groups may point to groups.
        const CHAINING = 1 << 2 => "chaining";
        /// OFPGFC_CHAINING_CHECKS: the switch checks chaining for loops and deletes.
        const CHAINING_CHECKS = 1 << 3 => "chaining_checks";
    }
}

/// An entry of a multipart array, read by [`Entries`]: a borrowed view (or, for fixed-size
/// entries, the owned value itself).
pub trait Entry<'a>: Sized {
    /// The owned form.
    type Owned;

    /// Reads one entry, checking its length.
    fn parse_entry(r: &mut Reader<'a>) -> Result<Self>;

    /// Reads one well-formed entry off `buf` (whose first byte is at `base` in the message),
    /// with its length: the common case, which [`Entries`] tries before
    /// [`parse_entry`](Self::parse_entry). `None` sends the entry to `parse_entry`, which
    /// builds the error; an implementation accepts only what `parse_entry` accepts, with the
    /// same value. Provided: always `None`.
    #[inline(always)]
    fn parse_fast(buf: &'a [u8], base: usize) -> Option<(Self, usize)> {
        let _ = (buf, base);
        None
    }

    /// Checks the entry's nested lists (instructions, actions, buckets, properties) without
    /// allocating. Fixed-size entries have nothing more to check.
    fn validate_entry(&self) -> Result<()> {
        Ok(())
    }

    /// The owned entry.
    fn decode_entry(&self) -> Result<Self::Owned>;

    /// The owned entry appended to `out`, as [`Entries::decode`] fills its vector: the value
    /// and error of [`decode_entry`](Self::decode_entry), and on an error `out` is as it was
    /// (an implementation that fills the entry in place takes it back out). Provided:
    /// `decode_entry`, pushed; entries with lists place the entry in `out` first and fill its
    /// lists there.
    #[inline]
    fn decode_push(&self, out: &mut Vec<Self::Owned>) -> Result<()> {
        out.push(self.decode_entry()?);
        Ok(())
    }

    /// The number of entries in `buf` (exact for a well-formed array, at most that many
    /// otherwise), to size the vector [`Entries::decode`] fills; 0 when unknown.
    fn count_entries(_buf: &[u8]) -> usize {
        0
    }
}

/// A borrowed array of multipart entries (flow stats, port stats, table features, ports ...),
/// walked without allocating. Each entry's length is checked when it is reached; after the
/// first error the iterator yields nothing more.
pub struct Entries<'a, T> {
    /// The entries not yet iterated.
    rest: &'a [u8],
    /// Offset of `rest` in the message.
    offset: usize,
    failed: bool,
    _entry: PhantomData<fn() -> T>,
}

impl<T> Clone for Entries<'_, T> {
    fn clone(&self) -> Self {
        Entries {
            rest: self.rest,
            offset: self.offset,
            failed: self.failed,
            _entry: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Entries<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entries")
            .field("offset", &self.offset)
            .field("bytes", &self.rest.len())
            .finish()
    }
}

impl<'a, T> Entries<'a, T> {
    /// An array over `buf`, whose first byte is at `base` in the message. Unchecked: each
    /// entry is checked as it is read (one that fails yields an error and ends the
    /// iteration), so nothing panics.
    pub fn new_unchecked(buf: &'a [u8], base: usize) -> Self {
        Entries {
            rest: buf,
            offset: base,
            failed: false,
            _entry: PhantomData,
        }
    }

    /// An array over everything `r` holds.
    pub fn from_reader(r: Reader<'a>) -> Self {
        Entries::new_unchecked(r.peek_rest(), r.offset())
    }

    /// The array's bytes (what has not been iterated yet).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.rest
    }

    /// True when the array holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

impl<'a, T: Entry<'a>> Entries<'a, T> {
    /// Checks every entry and everything nested in it, without allocating.
    pub fn validate(&self) -> Result<()> {
        self.clone().try_for_each(|e| e?.validate_entry())
    }

    /// Decodes every entry.
    pub fn decode(&self) -> Result<Vec<T::Owned>> {
        let mut out = Vec::with_capacity(T::count_entries(self.as_bytes()));
        for e in self.clone() {
            e?.decode_push(&mut out)?;
        }
        Ok(out)
    }
}

impl<'a, T: Entry<'a>> Iterator for Entries<'a, T> {
    type Item = Result<T>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        // The common case first (as the action and instruction lists do): after an error
        // `rest` still starts with the entry that failed, which `parse_fast` declines too.
        crate::codec::list_next(
            &mut self.rest,
            &mut self.offset,
            &mut self.failed,
            T::parse_fast,
            T::parse_entry,
        )
    }
}

impl<'a, T: Entry<'a>> core::iter::FusedIterator for Entries<'a, T> {}

/// Checks that a fixed-size entry is all there, for a clean error.
fn need(r: &Reader<'_>, len: usize, what: &'static str) -> Result<()> {
    if r.remaining() < len {
        return Err(Error::Truncated {
            what,
            offset: r.offset(),
            needed: len,
            available: r.remaining(),
        });
    }
    Ok(())
}

/// Implements [`Entry`] for a fixed-size type with `parse` and `LEN`.
macro_rules! fixed_entry {
    ($($t:ty, $what:literal);* $(;)?) => {$(
        impl<'a> Entry<'a> for $t {
            type Owned = $t;

            fn parse_entry(r: &mut Reader<'a>) -> Result<Self> {
                need(r, <$t>::LEN, $what)?;
                <$t>::parse(r)
            }

            fn decode_entry(&self) -> Result<$t> {
                Ok(*self)
            }

            fn count_entries(buf: &[u8]) -> usize {
                buf.len() / <$t>::LEN
            }
        }
    )*};
}

fixed_entry! {
    TableStats, "ofp_table_stats";
    PortStats, "ofp_port_stats";
    QueueStats, "ofp_queue_stats";
    BucketCounter, "ofp_bucket_counter";
    MeterBandStats, "ofp_meter_band_stats";
    Port, "ofp_port";
}

/// Checks a length field of a variable-size entry: at least `min`, within `r`.
fn check_len(
    r: &Reader<'_>,
    len: usize,
    min: usize,
    what: &'static str,
    below: &'static str,
) -> Result<()> {
    if len < min {
        return Err(Reader::bad_length(what, r.offset(), len, below));
    }
    if len > r.remaining() {
        return Err(Reader::bad_length(
            what,
            r.offset(),
            len,
            "past the end of the multipart body",
        ));
    }
    Ok(())
}

/// Prints a duration as ovs-ofctl does: `5s`, `1.500s` (milliseconds exact), `0.00048s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisplayDuration {
    /// Seconds.
    pub sec: u32,
    /// Nanoseconds beyond `sec`.
    pub nsec: u32,
}

impl fmt::Display for DisplayDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.sec)?;
        if self.nsec > 0 {
            let msec = self.nsec / 1_000_000;
            if msec * 1_000_000 == self.nsec {
                write!(f, ".{msec:03}")?;
            } else {
                let mut digits = 9;
                let mut n = self.nsec;
                while n % 10 == 0 {
                    n /= 10;
                    digits -= 1;
                }
                write!(f, ".{n:0digits$}")?;
            }
        }
        f.write_str("s")
    }
}

fn fmt_hex(f: &mut fmt::Formatter<'_>, data: &[u8]) -> fmt::Result {
    data.iter().try_for_each(|b| write!(f, "{b:02x}"))
}

/// A counter as ovs-ofctl prints it: `?` for all ones (the spec's "not available").
struct Counter(u64);

impl fmt::Display for Counter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == u64::MAX {
            f.write_str("?")
        } else {
            self.0.fmt(f)
        }
    }
}

/// What a multipart request and a multipart reply share: the `more` flag (`$more`), the type
/// (their body's), and the encoding of the header before the body.
macro_rules! multipart_envelope {
    ($t:ident, $more:ident, $follow:literal) => {
        impl $t {
            #[doc = concat!("Sets or clears [`MultipartFlags::", stringify!($more), "`] (", $follow, ").")]
            #[must_use]
            pub fn with_more(mut self, more: bool) -> Self {
                if more {
                    self.flags |= MultipartFlags::$more;
                } else {
                    self.flags = MultipartFlags(self.flags.0 & !MultipartFlags::$more.0);
                }
                self
            }

            #[doc = concat!("True when [`MultipartFlags::", stringify!($more), "`] is set: ", $follow, ".")]
            pub fn more(&self) -> bool {
                self.flags.contains(MultipartFlags::$more)
            }

            /// The multipart type.
            pub fn multipart_type(&self) -> MultipartType {
                self.body.multipart_type()
            }
        }

        crate::codec::impl_encode!($t);

        impl WireWrite for $t {
            fn encoded_len(&self) -> usize {
                MULTIPART_HEADER_LEN + self.body.encoded_len()
            }

            fn write<B: bytes::BufMut>(&self, out: &mut B) -> Result<()> {
                out.put_u16(self.multipart_type().0);
                out.put_u16(self.flags.0);
                put_zeros(out, 4);
                self.body.write(out)
            }
        }
    };
}

/// Implements [`Entry`] for a variable-size entry view with `parse` and `decode`;
/// `|view| expr` checks its nested lists.
macro_rules! view_entry {
    ($view:ident => $owned:ty, |$v:ident| $validate:expr) => {
        $crate::multipart::view_entry!($view => $owned, |$v| $validate, count: |_b| 0);
    };
    ($view:ident => $owned:ty, |$v:ident| $validate:expr, count: |$b:ident| $count:expr) => {
        $crate::multipart::view_entry!(
            $view => $owned, |$v| $validate, count: |$b| $count, fast: |_buf, _base| None
        );
    };
    (
        $view:ident => $owned:ty, |$v:ident| $validate:expr, count: |$b:ident| $count:expr,
        fast: |$fb:ident, $fbase:ident| $fast:expr
    ) => {
        impl<'a> $crate::multipart::Entry<'a> for $view<'a> {
            type Owned = $owned;

            #[inline]
            fn parse_entry(r: &mut $crate::codec::Reader<'a>) -> $crate::codec_error::Result<Self> {
                $view::parse(r)
            }

            #[inline(always)]
            fn parse_fast($fb: &'a [u8], $fbase: usize) -> Option<(Self, usize)> {
                $fast
            }

            fn validate_entry(&self) -> $crate::codec_error::Result<()> {
                let $v = self;
                $validate
            }

            fn decode_entry(&self) -> $crate::codec_error::Result<$owned> {
                self.decode()
            }

            fn count_entries($b: &[u8]) -> usize {
                $count
            }
        }
    };
    (
        $view:ident => $owned:ty, |$v:ident| $validate:expr, count: |$b:ident| $count:expr,
        fast: |$fb:ident, $fbase:ident| $fast:expr, in_place
    ) => {
        impl<'a> $crate::multipart::Entry<'a> for $view<'a> {
            type Owned = $owned;

            #[inline]
            fn parse_entry(r: &mut $crate::codec::Reader<'a>) -> $crate::codec_error::Result<Self> {
                $view::parse(r)
            }

            #[inline(always)]
            fn parse_fast($fb: &'a [u8], $fbase: usize) -> Option<(Self, usize)> {
                $fast
            }

            fn validate_entry(&self) -> $crate::codec_error::Result<()> {
                let $v = self;
                $validate
            }

            fn decode_entry(&self) -> $crate::codec_error::Result<$owned> {
                self.decode()
            }

            #[inline]
            fn decode_push(
                &self,
                out: &mut alloc::vec::Vec<$owned>,
            ) -> $crate::codec_error::Result<()> {
                self.decode_push(out)
            }

            fn count_entries($b: &[u8]) -> usize {
                $count
            }
        }
    };
}
pub(crate) use view_entry;

mod desc;
mod flow_stats;
mod group;
mod meter;
mod port_stats;
mod queue_stats;
mod reply;
mod request;
mod split;
mod table_stats;

pub use desc::*;
pub use flow_stats::*;
pub use group::*;
pub use meter::*;
pub use port_stats::*;
pub use queue_stats::*;
pub use reply::*;
pub use request::*;
pub use split::*;
pub use table_stats::*;

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)] // splitting generated u64s into two u32 halves
mod tests;
