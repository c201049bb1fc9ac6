//! `LacpView` and the owned `Lacp`: checked view, accessors, TLV iterator, setters, round trip.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::slow::{LacpInfo, LacpState, LacpTlvView, LacpView};
use sdnwire_packet::{Lacp, MacAddr};
use std::hint::black_box;

fuzz_target!(|data: &[u8]| {
    common::owned_round_trip(data, Lacp::parse(data));
    let Ok(v) = LacpView::parse(data) else {
        return;
    };
    assert!(v.pdu_len() <= data.len() && v.as_bytes().len() == v.pdu_len());
    black_box((
        v.subtype(),
        v.version(),
        v.actor(),
        v.partner(),
        v.actor_state(),
        v.partner_state(),
    ));
    black_box((v.collector_max_delay(), v.terminator_offset(), v.reserved()));
    let (_, err) = common::drain(v.tlvs(), |t: LacpTlvView<'_>| {
        assert!(t.offset < v.pdu_len());
        black_box(t.decode());
    });
    assert!(!err, "the TLV iterator failed over a checked view");

    let mut buf = data.to_vec();
    let mut m = LacpView::parse(&mut buf[..]).expect("same bytes");
    let info = LacpInfo::new(
        1,
        MacAddr::new(2, 0, 0, 0, 0, 1),
        3,
        4,
        5,
        LacpState(data[0]),
    );
    m.set_version(data[1]);
    m.set_actor(&info);
    m.set_partner(&info);
    m.set_actor_state(LacpState(data[2]));
    m.set_partner_state(LacpState(data[3]));
    m.set_collector_max_delay(7);
    assert_eq!(m.version(), data[1]);
    assert_eq!(m.actor_state(), LacpState(data[2]));
    assert_eq!(m.partner().system, info.system);
    assert_eq!(
        m.reserved(),
        v.reserved(),
        "a setter changed reserved bytes"
    );
    assert_eq!(
        m.pdu_len(),
        v.pdu_len(),
        "a setter changed the PDU's length"
    );
});
