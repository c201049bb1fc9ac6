//! TEMPORARY placeholder, replaced by the real module.
#![allow(missing_docs, unreachable_pub, dead_code)]
pub const SUBTYPE_LACP: u8 = 1;
pub const SUBTYPE_MARKER: u8 = 2;
crate::placeholder::placeholder_layer!(Lacp, Lacp, step_lacp, LacpPdu);
mod m { crate::placeholder::placeholder_layer!(Marker, Marker, step_marker, MarkerPdu); }
pub use m::*;
pub(crate) use m::step_marker;
