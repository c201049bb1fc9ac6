//! `Packet::parse` and `PacketView::parse` on arbitrary frames.
//!
//! * nothing panics;
//! * when `Packet::parse` succeeds, `serialize` gives back the frame exactly, and `PacketView`
//!   succeeds too and finds the same layers (up to its `MAX_VIEW_LAYERS`), and its typed
//!   accessors work;
//! * `Packet::parse_partial` never fails, and its packet (undecoded rest as payload)
//!   serializes back to the frame exactly as well.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdnwire_packet::stack::MAX_VIEW_LAYERS;
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
            // The view stops recording after MAX_VIEW_LAYERS layers, so it may accept a frame
            // whose deeper layers are malformed; below that it must fail where parse fails.
            if partial.layers.len() < MAX_VIEW_LAYERS && view.is_ok() {
                panic!("Packet::parse fails ({e}) but PacketView::parse accepts");
            }
            return;
        }
    };
    let view = match view {
        Ok(v) => v,
        Err(e) => panic!("Packet::parse accepts, PacketView::parse fails: {e}"),
    };
    let kinds: Vec<LayerKind> = pkt.layers.iter().map(Layer::kind).collect();
    let view_kinds: Vec<LayerKind> = view.spans().iter().map(|s| s.kind).collect();
    let n = kinds.len().min(MAX_VIEW_LAYERS);
    assert_eq!(
        view_kinds,
        kinds[..n],
        "PacketView finds other layers than Packet::parse"
    );
    if kinds.len() <= MAX_VIEW_LAYERS {
        assert_eq!(view.payload(), pkt.payload.as_slice(), "payloads differ");
        assert_eq!(view.trailer(), pkt.trailer.as_slice(), "trailers differ");
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
