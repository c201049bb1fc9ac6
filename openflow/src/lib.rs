//! A zero-copy OpenFlow 1.3 (1.3.5) codec.
//!
//! Every message, in both directions, decodes from bytes and encodes back to the same bytes:
//! - [`Framer`] cuts a byte stream into messages (sans-I/O, any chunking);
//! - [`codec::Reader`] is the bounds-checked cursor every structure is parsed with: errors name
//!   the structure and the offset from the start of the message, and nothing can panic;
//! - owned types with public fields encode through [`codec::Encode`];
//! - views borrow the message buffer and iterate over variable parts (OXM fields, actions,
//!   instructions, multipart entries) without allocating.
//!
//! Padding must be zero, as the spec says; the parser refuses anything else, so that every
//! message it accepts encodes back to identical bytes.
#![no_std]
#![cfg_attr(
    not(test),
    warn(
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
pub mod error;
pub mod framing;
pub mod header;
pub mod types;
mod wire;

pub mod action;
pub mod async_config;
pub mod config;
#[cfg(feature = "std")]
pub mod connection;
pub mod error_msg;
pub mod features;
pub mod flow_mod;
pub mod flow_removed;
pub mod group_mod;
pub mod hello;
pub mod instruction;
#[cfg(feature = "serde")]
pub mod json;
pub mod message;
pub mod meter_mod;
pub mod multipart;
pub mod oxm;
pub mod packet_in;
pub mod packet_out;
pub mod port;
pub mod queue;
pub mod role;
pub mod simple;
pub mod table_features;
pub mod table_mod;

#[cfg(feature = "std")]
pub use connection::{Connection, Event};
pub use error::{Error, Result};
pub use framing::{Frame, Framer};
pub use header::{Header, MsgType, OFP_VERSION};
pub use message::{Body, BodyView, Message, MessageView};
pub use sdnwire_packet::{CodecError, Encode, ErrorKind};
pub use types::{BufferId, GroupId, MeterId, PortNo, TableId, OFPCML_MAX, OFPCML_NO_BUFFER};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
