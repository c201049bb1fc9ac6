//! The connection benchmark's two paths read the same values from the same PACKET_INs
//! (`benches/openflow_connection.rs` asserts it again before timing).

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

#[path = "../benches/ofconn/mod.rs"]
mod ofconn;

#[test]
fn connection_and_views_read_the_same_values() {
    ofconn::check(ofconn::MESSAGES);
    // A stream that is not a whole number of chunks, and one message.
    ofconn::check(ofconn::MESSAGES + 3);
    ofconn::check(1);
}
