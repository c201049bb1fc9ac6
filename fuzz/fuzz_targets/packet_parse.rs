//! `Packet::parse` and `PacketView::parse` on arbitrary frames.
//!
//! * nothing panics;
//! * when `Packet::parse` succeeds, `serialize` gives back the frame exactly, and `PacketView`
//!   succeeds too and finds the same layers (any number: past `MAX_VIEW_LAYERS` it walks the
//!   frame again), its typed and n-th accessors work, and it decodes to the same packet;
//! * when `Packet::parse` fails, `PacketView::parse` fails with the same error;
//! * `Packet::parse_partial` never fails, and its packet (undecoded rest as payload)
//!   serializes back to the frame exactly as well.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::{Encode, Layer, LayerKind, Packet, PacketView};
use std::hint::black_box;

fuzz_target!(|frame: &[u8]| {
    let (partial, err) = Packet::parse_partial(frame);
    match partial.to_vec() {
        Ok(b) => assert_eq!(
            b, frame,
            "parse_partial → serialize differs (error: {err:?})\n{partial:?}"
        ),
        Err(e) => panic!("parse_partial's packet does not serialize: {e}\n{partial:?}"),
    }
    black_box(partial.to_string());

    let parsed = Packet::parse(frame);
    let view = PacketView::parse(frame);
    match (&parsed, err) {
        (Ok(p), None) => assert_eq!(p, &partial, "parse and parse_partial disagree"),
        (Err(e), Some(e2)) => assert_eq!(e, &e2, "parse and parse_partial report other errors"),
        (r, e) => panic!("parse gave {r:?}, parse_partial's error is {e:?}"),
    }
    let pkt = match parsed {
        Ok(p) => p,
        Err(e) => {
            // The view walks every layer, however deep: it fails where parse fails.
            match view {
                Ok(_) => panic!("Packet::parse fails ({e}) but PacketView::parse accepts"),
                Err(ve) => assert_eq!(ve, e, "PacketView::parse and Packet::parse errors differ"),
            }
            return;
        }
    };
    let view = match view {
        Ok(v) => v,
        Err(e) => panic!("Packet::parse accepts, PacketView::parse fails: {e}"),
    };
    let kinds: Vec<LayerKind> = pkt.layers.iter().map(Layer::kind).collect();
    let view_kinds: Vec<LayerKind> = view.spans().map(|s| s.kind).collect();
    assert_eq!(
        view_kinds, kinds,
        "PacketView finds other layers than Packet::parse"
    );
    assert_eq!(view.layer_count(), kinds.len());
    assert_eq!(view.payload(), pkt.payload.as_slice(), "payloads differ");
    assert_eq!(view.trailer(), pkt.trailer.as_slice(), "trailers differ");
    assert_eq!(
        view.decode(),
        pkt,
        "PacketView::decode differs from Packet::parse"
    );
    // The n-th accessors count the layers of a kind as the packet has them.
    let count = |k| kinds.iter().filter(|&&x| x == k).count();
    for n in 0..=count(LayerKind::Vlan) {
        assert_eq!(view.nth_vlan(n).is_some(), n < count(LayerKind::Vlan));
    }
    for n in 0..=count(LayerKind::Ipv4) {
        assert_eq!(view.nth_ipv4(n).is_some(), n < count(LayerKind::Ipv4));
        assert_eq!(
            pkt.nth::<sdnwire_packet::Ipv4>(n).is_some(),
            n < count(LayerKind::Ipv4)
        );
    }
    for n in 0..=count(LayerKind::Ipv6) {
        assert_eq!(view.nth_ipv6(n).is_some(), n < count(LayerKind::Ipv6));
    }
    for s in view.spans() {
        assert!(
            s.start + s.header_len <= s.end && s.end <= frame.len(),
            "bad span {s:?}"
        );
    }
    // Every typed accessor of the view must give a view when the layer is there.
    let has = |k| view_kinds.contains(&k);
    assert_eq!(view.ethernet().is_some(), has(LayerKind::Ethernet));
    assert_eq!(view.vlan().is_some(), has(LayerKind::Vlan));
    assert_eq!(view.arp().is_some(), has(LayerKind::Arp));
    assert_eq!(view.ipv4().is_some(), has(LayerKind::Ipv4));
    assert_eq!(view.icmp().is_some(), has(LayerKind::Icmp));
    assert_eq!(view.udp().is_some(), has(LayerKind::Udp));
    assert_eq!(view.tcp().is_some(), has(LayerKind::Tcp));
    assert_eq!(view.ipv6().is_some(), has(LayerKind::Ipv6));
    assert_eq!(view.icmpv6().is_some(), has(LayerKind::Icmpv6));
    assert_eq!(view.igmp().is_some(), has(LayerKind::Igmp));
    assert_eq!(view.lacp().is_some(), has(LayerKind::Lacp));
    assert_eq!(view.marker().is_some(), has(LayerKind::Marker));
    assert_eq!(view.lldp().is_some(), has(LayerKind::Lldp));

    match pkt.to_vec() {
        Ok(b) => assert_eq!(b, frame, "parse → serialize differs\n{pkt:?}"),
        Err(e) => panic!("a parsed packet does not serialize: {e}\n{pkt:?}"),
    }
    assert_eq!(pkt.encoded_len(), frame.len());
    black_box(pkt.to_string());
});
