//! `MarkerView` and the owned `Marker`: checked view, accessors, setter, round trip.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::slow::{MarkerTlvType, MarkerView};
use sdnwire_packet::Marker;
use std::hint::black_box;

fuzz_target!(|data: &[u8]| {
    common::owned_round_trip(data, Marker::parse(data));
    let Ok(v) = MarkerView::parse(data) else {
        return;
    };
    black_box((
        v.version(),
        v.tlv_type(),
        v.requester_port(),
        v.requester_system(),
    ));
    black_box((
        v.requester_transaction_id(),
        v.pad(),
        v.reserved(),
        v.as_bytes(),
    ));
    assert_eq!(v.as_bytes().len(), Marker::LEN);
    let mut buf = data.to_vec();
    let mut m = MarkerView::parse(&mut buf[..]).expect("same bytes");
    m.set_tlv_type(MarkerTlvType::RESPONSE);
    assert_eq!(m.tlv_type(), MarkerTlvType::RESPONSE);
    assert_eq!(m.requester_transaction_id(), v.requester_transaction_id());
});
