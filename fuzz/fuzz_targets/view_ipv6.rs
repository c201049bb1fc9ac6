//! `Ipv6View` and the owned `Ipv6`: checked view, accessors, extension-header iterator,
//! setters, round trip.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::ipv6::{ExtHeaderView, Ipv6View};
use sdnwire_packet::Ipv6;
use std::hint::black_box;
use std::net::Ipv6Addr;

fuzz_target!(|data: &[u8]| {
    common::owned_round_trip(data, Ipv6::parse(data));
    let Ok(v) = Ipv6View::parse(data) else {
        return;
    };
    black_box((
        v.version(),
        v.traffic_class(),
        v.flow_label(),
        v.next_header(),
        v.hop_limit(),
    ));
    black_box((v.src(), v.dst(), v.payload(), v.upper_layer_payload()));
    assert!(v.end() <= data.len() && v.end() == 40 + usize::from(v.payload_len()));
    let up = v.upper_layer();
    assert!(
        40 <= up.offset && up.offset <= v.end(),
        "upper layer offset {up:?} out of bounds"
    );
    assert_eq!(v.header_len(), up.offset);
    let mut last_end = 40;
    let (_, err) = common::drain(v.ext_headers(), |h: ExtHeaderView<'_>| {
        assert_eq!(h.offset(), last_end, "extension headers are not contiguous");
        last_end = h.offset() + h.bytes().len();
        assert_eq!(h.data().len() + 2, h.bytes().len());
        black_box((h.kind(), h.next_header()));
        let owned = h.decode();
        // Options: the checked view's iterator cannot fail, and agrees with the owned header;
        // every option re-encodes to its bytes.
        if let Some(opts) = h.options() {
            let views: Vec<_> = opts
                .map(|o| o.expect("option framing is checked by parse").decode())
                .collect();
            let mut back = Vec::new();
            for o in &views {
                sdnwire_packet::Encode::encode_append(o, &mut back).expect("an option encodes");
            }
            assert_eq!(back, h.data(), "options do not re-encode to their bytes");
            assert_eq!(owned.options(), Some(Ok(views)));
        }
        // Routing: view and owned agree; a decoded header re-encodes to its data.
        let r = h.routing();
        assert_eq!(r, owned.routing(), "routing: view and owned disagree");
        if let Some(Ok(r)) = r {
            assert_eq!(
                r.to_data().ok().as_deref(),
                Some(h.data()),
                "routing does not re-encode"
            );
            black_box(r.to_string());
        }
        black_box((
            owned.fragment_fields(),
            owned.routing_fields(),
            owned.computed_size(),
            owned.to_string(),
        ));
    });
    assert!(
        !err,
        "the extension-header iterator failed over a checked view"
    );
    assert_eq!(
        last_end, up.offset,
        "the walk and the iterator disagree on where headers end"
    );

    let mut buf = data.to_vec();
    let mut m = Ipv6View::parse(&mut buf[..]).expect("same bytes");
    m.set_hop_limit(data[0]);
    m.set_traffic_class(data[1]);
    m.set_flow_label(u32::from_be_bytes([data[2], data[3], data[4], data[5]]));
    m.set_src(Ipv6Addr::LOCALHOST);
    m.set_dst(Ipv6Addr::UNSPECIFIED);
    assert_eq!((m.hop_limit(), m.traffic_class()), (data[0], data[1]));
    assert_eq!(
        m.flow_label(),
        u32::from_be_bytes([data[2], data[3], data[4], data[5]]) & 0xf_ffff
    );
    assert_eq!(m.version(), v.version(), "a setter changed the version");
    assert_eq!(m.upper_layer(), up, "a setter changed the header chain");
});
