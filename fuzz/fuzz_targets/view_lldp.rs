//! `LldpView` and the owned `Lldp`: checked view, accessors, TLV iterator and decoding, setter,
//! round trip.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::lldp::{LldpTlv, LldpTlvView, LldpView};
use sdnwire_packet::Lldp;
use std::hint::black_box;

fuzz_target!(|data: &[u8]| {
    common::owned_round_trip(data, Lldp::parse(data));
    let Ok(v) = LldpView::parse(data) else {
        return;
    };
    assert!(v.pdu_len() <= data.len() && v.as_bytes().len() == v.pdu_len());
    black_box((
        v.has_end(),
        v.chassis_id_subtype(),
        v.chassis_id(),
        v.port_id_subtype(),
        v.port_id(),
        v.ttl(),
    ));
    let mut end = 0;
    let (n, err) = common::drain(v.tlvs(), |t: LldpTlvView<'_>| {
        assert_eq!(t.offset, end, "TLVs are not contiguous");
        end = t.offset + t.wire_len();
        let owned: LldpTlv = t.decode();
        assert_eq!(owned.tlv_type(), t.tlv_type);
        assert_eq!(
            owned.info(),
            t.info,
            "a decoded TLV does not give back its information string"
        );
        assert_eq!(owned.info_len(), t.info.len());
        black_box((owned.typelen(), owned.wire_len(), owned.to_string()));
    });
    assert!(!err, "the TLV iterator failed over a checked view");
    assert!(n >= 3, "a checked LLDPDU has chassis ID, port ID and TTL");
    assert_eq!(end, v.pdu_len(), "the TLVs do not cover the PDU");
    let mut buf = data.to_vec();
    let mut m = LldpView::parse(&mut buf[..]).expect("same bytes");
    m.set_ttl(0);
    assert_eq!(m.ttl(), 0);
    assert_eq!(m.pdu_len(), v.pdu_len());
});
