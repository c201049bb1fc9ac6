//! `TcpView` and the owned `Tcp`: checked view, accessors, option iterator, checksum setters,
//! round trip. The first 8 input bytes are the pseudo-header's IPv4 addresses.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::tcp::{TcpOption, TcpView};
use sdnwire_packet::Tcp;
use std::hint::black_box;

fuzz_target!(|input: &[u8]| {
    let Some((pair, data)) = common::split_v4_pair(input) else {
        return;
    };
    common::owned_round_trip(data, Tcp::parse(data));
    let Ok(v) = TcpView::parse(data) else {
        return;
    };
    black_box((
        v.src_port(),
        v.dst_port(),
        v.seq(),
        v.ack(),
        v.flags(),
        v.window(),
        v.checksum(),
        v.urgent(),
    ));
    assert_eq!(v.header_len(), usize::from(v.data_offset()) * 4);
    assert_eq!(v.options().len() + 20 + v.payload().len(), data.len());
    common::drain(v.option_iter(), |o| {
        black_box(o);
    });
    black_box(TcpOption::parse_all(v.options()));
    let ok = v.verify_checksum(&pair).is_ok();
    let mut buf = data.to_vec();
    let mut m = TcpView::parse(&mut buf[..]).expect("same bytes");
    m.set_src_port(u16::from_be_bytes([input[0], input[2]]));
    m.set_dst_port(u16::from_be_bytes([input[1], input[3]]));
    m.set_window(u16::from_be_bytes([input[4], input[5]]));
    // (one way only: a wrong 0x0000 where 0xffff is due may come out right after an update)
    if ok {
        assert!(
            m.verify_checksum(&pair).is_ok(),
            "a setter broke the checksum"
        );
    }
    m.fill_checksum(&pair);
    assert!(
        m.verify_checksum(&pair).is_ok(),
        "fill_checksum gives a checksum that does not verify"
    );
});
