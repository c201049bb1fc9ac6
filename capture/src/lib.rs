//! The parts of `sdnwire-decode`, the capture decoder: read a pcap or pcapng capture
//! ([`read`]), find the OpenFlow, sFlow, LACP and IGMP/MLD messages in its frames, with
//! OpenFlow's TCP streams reassembled per direction ([`decode`], [`tcp`]), and print them
//! ([`output`]).
//!
//! ```no_run
//! use sdnwire_capture::decode::{Config, Decoder};
//! use sdnwire_capture::read::CaptureReader;
//!
//! let file = std::fs::File::open("switch.pcapng")?;
//! let mut decoder = Decoder::new(Config::default());
//! let mut items = Vec::new();
//! for (i, record) in CaptureReader::new(file)?.enumerate() {
//!     decoder.frame(i as u64 + 1, &record?, &mut items);
//! }
//! decoder.finish(&mut items);
//! for item in &items {
//!     print!("{}", sdnwire_capture::output::text(item, core::time::Duration::ZERO));
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The library does no I/O of its own beyond the reader it is given: [`tcp::Reassembler`] and
//! [`decode::Decoder`] are sans-I/O and bounded ([`tcp::Limits`], [`decode::Config`]).

// Input from the network and from files is hostile: no panicking index, unwrap, expect or panic
// in library code (the workspace lints warn everywhere; here they are errors outside tests).
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]
pub mod decode;
pub mod output;
pub mod read;
pub mod tcp;
