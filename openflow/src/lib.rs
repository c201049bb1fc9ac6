//! A zero-copy OpenFlow 1.3 (1.3.5) codec and a sans-I/O connection state machine.
//!
//! Every message, in both directions, decodes from bytes and encodes back to the same bytes.
//! The crate follows the workspace's conventions:
//! - **views** (`FooView`, made with `FooView::parse`): [`MessageView::parse`] checks a whole
//!   message (header, and the typed bodies: [`BodyView`]); the views of its parts
//!   ([`flow_mod::FlowModView`], [`packet_in::PacketInView`], [`action::ActionView`],
//!   [`oxm::MatchView`], the multipart entries, ...) borrow the message buffer and iterate over
//!   variable parts (OXM fields, actions, instructions, multipart entries) with iterators of
//!   `Result` items that allocate nothing; code that reads every action and instruction of a
//!   flow can hand them to an [`action::ActionVisitor`] / [`instruction::InstructionVisitor`]
//!   instead (one method per kind, each item dispatched once), and read a match's checked TLVs
//!   as plain items ([`oxm::MatchView::tlvs`]). Parts are parsed from a [`codec::Reader`]
//!   positioned in the message, so that error offsets count from the start of the message;
//! - **owned values** (`Foo`, public fields, builders) from a view with `view.decode()`, or from
//!   bytes with [`Message::parse`];
//! - **encoding** through [`Encode`] (`sdnwire_packet`'s, re-exported), on every owned type:
//!   into the caller's buffer (a short one is [`Error::ShortBuffer`]), `to_vec`,
//!   `encode_append`; a value that does not fit its field is [`Error::Unencodable`], never
//!   truncated;
//! - **errors**: one [`Error`], with the workspace's [`CodecError`] view of it (kind, structure,
//!   field, offset from the start of the message, value);
//! - **presentation**: `Display` in `ovs-ofctl`'s notation on every owned type and view (a view
//!   prints what its decoded value prints); with the `serde` feature, `Serialize` and
//!   `Deserialize` in the shape of os-ken's `to_jsondict()` (see `json`).
//!
//! [`Framer`] cuts a byte stream into messages (sans-I/O, any chunking); with `std`,
//! `Connection` runs the datapath side of a controller's connection without I/O.
//!
//! Padding must be zero, as the spec says; the parser refuses anything else, so that every
//! message it accepts encodes back to identical bytes.
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

pub mod codec;
pub mod codec_error;
pub mod framing;
pub mod header;
pub mod types;
mod wire;

pub mod action;
pub mod async_config;
pub mod connection;
pub mod error_message;
#[cfg(feature = "fake-switch")]
#[cfg_attr(docsrs, doc(cfg(feature = "fake-switch")))]
pub mod fake;
pub mod features;
pub mod flow_mod;
pub mod flow_removed;
pub mod group_mod;
pub mod hello;
/// [`InlineVec`], the owned values' storage of a match's fields and a PACKET_IN's frame, and
/// [`IntoIter`](inline::IntoIter), its items moved out (the crate `sdnwire-inline`, re-exported
/// here as `sdnwire-sflow` re-exports it).
pub mod inline {
    pub use sdnwire_inline::{InlineVec, IntoIter};
}
pub mod instruction;
#[cfg(feature = "serde")]
pub mod json;
pub mod message;
pub mod meter_mod;
pub mod multipart;
pub mod nicira;
pub mod ofctl;
mod ofp_print;
pub mod oxm;
pub mod packet_in;
pub mod packet_out;
pub mod port;
pub mod queue;
pub mod role;
pub mod simple;
pub mod switch_config;
pub mod table_features;
pub mod table_mod;

// The modules' names before 0.1.0 (see CHANGELOG.md): kept so that existing code still builds.
#[doc(hidden)]
pub use codec_error as error;
#[doc(hidden)]
pub use error_message as error_msg;
#[doc(hidden)]
pub use switch_config as config;

pub use codec_error::{Error, Result};
pub use connection::{Connection, Event};
pub use framing::{Frame, Framer};
pub use header::{Header, MsgType, OFP_VERSION};
/// The vector [`oxm::MatchFields`] and [`packet_in::PacketInData`] are (re-exported from
/// `sdnwire-inline`, so that users need not depend on it to name it).
pub use inline::InlineVec;
pub use message::{Body, BodyView, Message, MessageView};
/// The workspace's time type, which [`Connection`] reads time as (re-exported from
/// `sdnwire-packet`, so that users need not depend on it to name it).
pub use sdnwire_packet::time::Instant;
pub use sdnwire_packet::{CodecError, Encode, ErrorKind};
pub use types::{BufferId, GroupId, MeterId, PortNo, TableId, OFPCML_MAX, OFPCML_NO_BUFFER};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
