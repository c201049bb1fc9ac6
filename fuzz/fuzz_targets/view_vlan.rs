//! `VlanView` and the owned `Vlan`: checked view, accessors, setters, round trip.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::ethernet::VlanView;
use sdnwire_packet::{EtherType, Vlan};
use std::hint::black_box;

fuzz_target!(|data: &[u8]| {
    common::owned_round_trip(data, Vlan::parse(data));
    let Ok(v) = VlanView::parse(data) else {
        return;
    };
    let (tci, pcp, dei, vid) = (v.tci(), v.pcp(), v.dei(), v.vid());
    assert_eq!(tci, (u16::from(pcp) << 13) | (u16::from(dei) << 12) | vid);
    black_box((v.ethertype(), v.payload()));
    let mut buf = data.to_vec();
    let mut m = VlanView::parse(&mut buf[..]).expect("same length");
    m.set_vid(0xffff);
    m.set_pcp(0xff);
    m.set_ethertype(EtherType::ARP);
    assert_eq!(
        (m.vid(), m.pcp(), m.dei(), m.ethertype()),
        (0x0fff, 7, dei, EtherType::ARP)
    );
    assert_eq!(&buf[4..], &data[4..], "a tag setter wrote into the payload");
});
