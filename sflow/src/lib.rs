//! sFlow version 5: a zero-copy datagram codec.
//!
//! The codec reads and writes every structure of sflow_version_5.txt and of the extensions
//! that switches, Open vSwitch and host-sflow send (802.11, LAG, OpenFlow port, port name,
//! tunnels, host and virtual-machine counters, discarded packets). Three layers:
//!
//! 1. **Views**: [`DatagramView::parse`] checks the header; [`DatagramView::samples`] iterates
//!    over [`SampleView`]s and each sample's `records()` over [`FlowRecordView`]s or
//!    [`CounterRecordView`]s. Every length is checked against the enclosing structure as the
//!    walk goes, errors say what and at which byte offset, and nothing is allocated.
//! 2. **Owned types**: [`Datagram`], [`Sample`], [`FlowRecord`], [`CounterRecord`] and one
//!    struct per record, with public fields, made from a view with `view.decode()` (or
//!    [`Datagram::parse`]) and encoded with the workspace's [`Encode`] trait
//!    (`encoded_len()`, `encode(&mut [u8])`, `to_vec()`, `encode_append(&mut Vec<u8>)`): build
//!    an sFlow agent with them. Unknown samples and records (any enterprise or format this
//!    crate does not decode) are kept as (enterprise, format, bytes), and the XDR padding after
//!    opaques, strings and MAC addresses is kept as the agent sent it, so that
//!    `Datagram::parse(b)?.to_vec()? == b`.
//! 3. **Presentation**: `Display` in sflowtool's text (`sampleSequenceNo 1`, `ifInOctets
//!    1250`, one `name value` line per field; a view prints what its decoded value prints),
//!    `Debug`, and with the `serde` feature JSON in camelCase, close to `sflowtool -J`.
//!
//! Errors implement the workspace's [`CodecError`] (`kind()`, `field()`, `offset()`, ...).
//!
//! ```
//! use sdnwire_sflow::{Address, CounterRecord, CountersSample, DataSource, Datagram, DatagramView,
//!             Encode, FlowRecord, FlowSample, GenericInterface, Interface, RawPacketHeader,
//!             HeaderProtocol, Sample, SampleView, FlowRecordView};
//!
//! // An agent builds a datagram...
//! let dgram = Datagram {
//!     agent_address: Address::V4("192.0.2.1".parse().unwrap()),
//!     sequence_number: 1,
//!     uptime: 60_000,
//!     samples: vec![
//!         Sample::Flow(FlowSample {
//!             sequence_number: 1,
//!             source_id: DataSource { class: 0, index: 3 },
//!             sampling_rate: 400,
//!             sample_pool: 400,
//!             input: Interface::if_index(3),
//!             output: Interface::if_index(4),
//!             records: vec![FlowRecord::RawHeader(RawPacketHeader {
//!                 header_protocol: HeaderProtocol::ETHERNET,
//!                 frame_length: 64,
//!                 stripped: 4,
//!                 header: vec![0xff; 14].into(),
//!             })].into(),
//!             ..Default::default()
//!         }),
//!         Sample::Counters(CountersSample {
//!             sequence_number: 1,
//!             source_id: DataSource { class: 0, index: 3 },
//!             records: vec![CounterRecord::GenericInterface(GenericInterface {
//!                 if_index: 3,
//!                 if_speed: 10_000_000_000,
//!                 if_status: 3,
//!                 ..Default::default()
//!             })].into(),
//!         }),
//!     ],
//!     ..Default::default()
//! };
//! let bytes = dgram.to_vec().unwrap();
//! assert_eq!(bytes.len(), dgram.encoded_len());
//!
//! // ...and a collector walks it without allocating.
//! let view = DatagramView::parse(&bytes).unwrap();
//! let mut frames = 0u64;
//! for sample in view.samples() {
//!     if let SampleView::Flow(flow) = sample.unwrap() {
//!         for record in flow.records() {
//!             if let FlowRecordView::RawHeader(h) = record.unwrap() {
//!                 frames += u64::from(flow.sampling_rate());
//!                 assert_eq!(h.header().len(), 14);
//!             }
//!         }
//!     }
//! }
//! assert_eq!(frames, 400);
//! assert_eq!(Datagram::parse(&bytes).unwrap(), dgram);
//! assert!(dgram.to_string().contains("meanSkipCount 400\n"));
//!
//! // A value the wire cannot carry is an error, never cut: a compact flow sample has 24 bits
//! // for the source index.
//! let mut too_big = dgram.clone();
//! if let Sample::Flow(f) = &mut too_big.samples[0] {
//!     f.source_id.index = 1 << 24;
//! }
//! assert!(too_big.to_vec().is_err());
//! ```
//!
//! Contract (as smoltcp's): once a view is built its accessors cannot fail or panic; iterators
//! yield `Err` for the first bad length and then stop. [`Encode::encode`] never panics: it
//! writes exactly `encoded_len()` bytes, a shorter buffer is [`Error::ShortBuffer`] and a
//! value that does not fit its field on the wire (a compact sample's source index past 2^24 -
//! 1 or ifIndex past 2^30 - 1, an enterprise past 2^20 - 1, a length or count past 2^32 - 1)
//! is [`Error::Unencodable`]: nothing is truncated or changed silently. Nothing in the codec
//! panics on any input (fuzzed).
//!
//! The analytics engine built on this codec (flows, top-N, interface metrics, Graphite lines
//! in the sFlow-RT model) is the crate `sdnwire-sflow-analytics`.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Parsers face hostile input: no panicking index, unwrap, expect or panic in library code
// (the workspace lints warn everywhere; here they are errors outside tests).
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod fixed_layout;
mod text;

pub mod counters;
pub mod datagram;
pub mod error;
pub mod flow;
/// [`InlineVec`], the owned values' list and byte storage (the crate `sdnwire-inline`,
/// re-exported here).
pub mod inline {
    pub use sdnwire_inline::{InlineVec, IntoIter};
}
pub mod record;
pub mod sample;
pub mod xdr;

pub use counters::*;
pub use datagram::{Datagram, DatagramView};
pub use error::{Error, Result};
pub use flow::*;
pub use inline::InlineVec;
pub use record::{DataFormat, Records, UnknownRecord, UnknownRecordView};
pub use sample::*;
pub use sdnwire_packet::time::Instant;
pub use sdnwire_packet::{CodecError, Encode, ErrorKind};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
pub use xdr::{pad_len, Address, Opaque, PaddedMac, U32Array, XdrString};
