//! `EthernetView` and the owned `Ethernet`: checked view, accessors, setters, round trip.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::ethernet::EthernetView;
use sdnwire_packet::{EtherType, Ethernet, MacAddr};
use std::hint::black_box;

fuzz_target!(|data: &[u8]| {
    common::owned_round_trip(data, Ethernet::parse(data));
    let Ok(v) = EthernetView::parse(data) else {
        return;
    };
    black_box((v.dst(), v.src(), v.ethertype(), v.payload()));
    assert_eq!(
        v.payload().len(),
        data.len() - EthernetView::<&[u8]>::HEADER_LEN
    );
    let mut buf = data.to_vec();
    let mut m = EthernetView::parse(&mut buf[..]).expect("same length");
    m.set_dst(MacAddr::BROADCAST);
    m.set_src(MacAddr::new(0, 1, 2, 3, 4, 5));
    m.set_ethertype(EtherType::IPV6);
    black_box(m.payload_mut());
    assert_eq!(m.dst(), MacAddr::BROADCAST);
    assert_eq!(m.ethertype(), EtherType::IPV6);
    assert_eq!(
        &buf[14..],
        &data[14..],
        "a header setter wrote into the payload"
    );
    black_box(v.into_inner());
});
