//! `IcmpView` and the owned `Icmp`: checked view, accessors, checksum setters, round trip.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::icmp::{IcmpType, IcmpView};
use sdnwire_packet::Icmp;
use std::hint::black_box;

fuzz_target!(|data: &[u8]| {
    common::owned_round_trip(data, Icmp::parse(data));
    let Ok(v) = IcmpView::parse(data) else {
        return;
    };
    black_box((
        v.msg_type(),
        v.code(),
        v.checksum(),
        v.rest_of_header(),
        v.echo_ident(),
        v.echo_seq(),
    ));
    assert_eq!(v.data().len(), data.len() - 8);
    // The quoted datagram of an error: the view and the owned value agree, and nothing the
    // quote reports exceeds what its header says.
    let owned_quote = Icmp::parse(data).ok().and_then(|i| i.quote());
    match v.quote() {
        Some(Ok(q)) => {
            let d = q.decode();
            assert_eq!(
                Some(Ok(d.clone())),
                owned_quote,
                "quote: view and owned disagree"
            );
            black_box((q.ports(), q.missing(), q.l4_cut(), d.to_string()));
        }
        Some(Err(e)) => assert_eq!(Some(Err(e)), owned_quote),
        None => assert!(owned_quote.is_none()),
    }
    let ok = v.verify_checksum().is_ok();
    let mut buf = data.to_vec();
    let mut m = IcmpView::parse(&mut buf[..]).expect("same bytes");
    m.set_msg_type(IcmpType(data[0].wrapping_add(1)));
    assert!(
        !ok || m.verify_checksum().is_ok(),
        "set_msg_type broke the checksum"
    );
    m.fill_checksum();
    assert!(
        m.verify_checksum().is_ok(),
        "fill_checksum gives a checksum that does not verify"
    );
});
