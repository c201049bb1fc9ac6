//! `UdpView` and the owned `Udp`: checked view, accessors, checksum setters, round trip.
//! The first 8 input bytes are the pseudo-header's IPv4 addresses.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::udp::UdpView;
use sdnwire_packet::Udp;
use std::hint::black_box;

fuzz_target!(|input: &[u8]| {
    let Some((pair, data)) = common::split_v4_pair(input) else {
        return;
    };
    common::owned_round_trip(data, Udp::parse(data));
    let Ok(v) = UdpView::parse(data) else {
        return;
    };
    black_box((v.src_port(), v.dst_port(), v.is_empty(), v.checksum()));
    assert_eq!(v.payload().len(), usize::from(v.len()) - 8);
    let ok = v.verify_checksum(&pair).is_ok();
    let mut buf = data.to_vec();
    let mut m = UdpView::parse(&mut buf[..]).expect("same bytes");
    m.set_src_port(u16::from_be_bytes([input[0], input[2]]));
    m.set_dst_port(u16::from_be_bytes([input[1], input[3]]));
    // (one way only: a wrong 0x0000 where 0xffff is due may come out right after an update)
    if ok {
        assert!(
            m.verify_checksum(&pair).is_ok(),
            "a port setter broke the checksum"
        );
    }
    m.fill_checksum(&pair);
    assert!(
        m.verify_checksum(&pair).is_ok(),
        "fill_checksum gives a checksum that does not verify"
    );
});
