//! `Icmpv6View` and the owned `Icmpv6`: checked view, accessors, checksum, round trip.
//! The first 32 input bytes are the pseudo-header's addresses.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::icmpv6::Icmpv6View;
use sdnwire_packet::{Icmpv6, IpPair};
use std::hint::black_box;
use std::net::Ipv6Addr;

fuzz_target!(|input: &[u8]| {
    let Some((addrs, data)) = input.split_first_chunk::<32>() else {
        return;
    };
    let pair = IpPair::V6(
        Ipv6Addr::from(*addrs.first_chunk::<16>().expect("16")),
        Ipv6Addr::from(*addrs.last_chunk::<16>().expect("16")),
    );
    common::owned_round_trip(data, Icmpv6::parse(data));
    let Ok(v) = Icmpv6View::parse(data) else {
        return;
    };
    black_box((
        v.msg_type(),
        v.code(),
        v.checksum(),
        v.body(),
        v.verify_checksum(&pair).is_ok(),
        v.echo(),
        v.error_fields(),
        v.mld(),
        v.nd_target(),
    ));
    // The view's body check and its ND options agree with the owned decoding.
    let owned = v.decode();
    assert_eq!(
        v.check_body().is_ok(),
        owned.is_ok(),
        "check_body and decode disagree"
    );
    if let Some(opts) = v.nd_options() {
        let views: Result<Vec<_>, _> = opts.map(|o| o.map(|o| o.decode())).collect();
        assert_eq!(
            views.is_ok(),
            owned.is_ok(),
            "nd_options and decode disagree"
        );
    }
    if let Ok(o) = owned {
        black_box((o.data.len(), o.to_string()));
    }
    let mut buf = data.to_vec();
    let mut m = Icmpv6View::parse(&mut buf[..]).expect("same bytes");
    m.fill_checksum(&pair);
    assert!(
        m.verify_checksum(&pair).is_ok(),
        "fill_checksum gives a checksum that does not verify"
    );
    m.set_checksum(0x1234);
    assert_eq!(m.checksum(), 0x1234);
});
