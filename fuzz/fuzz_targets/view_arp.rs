//! `ArpView` and the owned `Arp`: checked view, accessors, round trip.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::arp::ArpView;
use sdnwire_packet::Arp;
use std::hint::black_box;

fuzz_target!(|data: &[u8]| {
    common::owned_round_trip(data, Arp::parse(data));
    let Ok(v) = ArpView::parse(data) else {
        return;
    };
    black_box((
        v.htype(),
        v.ptype(),
        v.oper(),
        v.is_empty(),
        v.is_ethernet_ipv4(),
    ));
    let (h, p) = (usize::from(v.hlen()), usize::from(v.plen()));
    assert_eq!(v.len(), 8 + 2 * (h + p));
    assert!(v.len() <= data.len());
    assert_eq!(
        (v.sha().len(), v.spa().len(), v.tha().len(), v.tpa().len()),
        (h, p, h, p)
    );
    black_box((v.sender_mac(), v.target_mac(), v.sender_ip(), v.target_ip()));
    if v.is_ethernet_ipv4() {
        assert!(v.sender_mac().is_some() && v.target_ip().is_some());
    }
});
