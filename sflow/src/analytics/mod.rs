//! The analytics engine (being written).
