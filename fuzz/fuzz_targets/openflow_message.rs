//! `Message::parse` and `MessageView::parse` on arbitrary bytes.
//!
//! When the input's first byte has its top bit clear (half the inputs, and every real
//! OpenFlow 1.3 message), a valid-looking header is forced on it so that the body parsers are
//! reached: version 4, type = the input's second byte modulo 32 (the 30 types of 1.3 and two
//! unknown ones), length = the input's length. Inputs with the top bit set are parsed as they
//! are.
//!
//! Checks: no panic; if `Message::parse` accepts the bytes, encoding gives them back exactly,
//! `MessageView::parse` accepts them too and its `decode` is equal; the typed body views
//! (PACKET_IN, MULTIPART_REPLY, FLOW_MOD, ERROR, ECHO) agree with the owned body both ways
//! (the view's `decode` succeeds exactly when the owned parse does, with an equal value) and
//! print the same `Display` text; every `Display` runs.
#![no_main]

mod openflow_common;

use libfuzzer_sys::fuzz_target;
use openflow_common::{exact, show};
use sdnwire_openflow::{Body, BodyView, Message, MessageView};

/// Compares a typed view with the owned body of the same message.
///
/// `view_owned` is the view's `decode()`, `owned` the body `Message::parse` gave (if any).
fn agree<T: PartialEq + std::fmt::Debug, E: std::fmt::Debug>(
    what: &str,
    view_owned: Result<T, E>,
    owned: Option<&T>,
) {
    match (view_owned, owned) {
        (Ok(v), Some(o)) => assert_eq!(&v, o, "{what}: view's decode differs from the owned parse"),
        (Ok(v), None) => panic!("{what}: the view decodes but Message::parse fails\nview: {v:?}"),
        (Err(e), Some(o)) => {
            panic!(
                "{what}: Message::parse accepts but the view's decode fails: {e:?}\nowned: {o:?}"
            )
        }
        (Err(_), None) => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let mut buf = data.to_vec();
    if buf.len() >= 8 && buf.len() <= 0xffff && buf[0] & 0x80 == 0 {
        buf[0] = 4;
        buf[1] %= 32;
        let len = (buf.len() as u16).to_be_bytes();
        buf[2..4].copy_from_slice(&len);
    }
    let bytes = &buf[..];

    let owned = Message::parse(bytes);
    let view = MessageView::parse(bytes);

    if let Ok(m) = &owned {
        exact("Message", bytes, m);
        assert_eq!(m.msg_type().0, bytes[1]);
        assert_eq!(m.header().map(|h| usize::from(h.length)), Ok(bytes.len()));
        let Ok(v) = &view else {
            panic!("Message::parse accepts but MessageView::parse fails: {view:?}\nmessage: {m:?}");
        };
        assert_eq!(v.decode().as_ref(), Ok(m), "MessageView::decode differs");
        show(m);
    }

    let Ok(v) = view else {
        return;
    };
    assert_eq!(v.bytes(), bytes);
    assert_eq!(usize::from(v.header.length), bytes.len());
    let body = owned.as_ref().ok().map(|m| &m.body);
    match &v.body {
        BodyView::PacketIn(p) => {
            let o = match body {
                Some(Body::PacketIn(o)) => Some(o),
                _ => None,
            };
            agree("PACKET_IN", p.decode(), o);
            let text = show(p);
            if let Some(o) = o {
                assert_eq!(text, show(o), "PacketInView and PacketIn print differently");
                assert_eq!(p.in_port(), o.in_port(), "in_port differs");
                assert_eq!(p.match_len(), o.match_.length());
            }
            assert_eq!(p.validate().is_ok(), p.decode().is_ok());
            let _ = std::hint::black_box((p.is_buffered(), p.packet().is_ok()));
        }
        BodyView::MultipartReply(r) => {
            let o = match body {
                Some(Body::MultipartReply(o)) => Some(o),
                _ => None,
            };
            agree("MULTIPART_REPLY", r.decode(), o);
            assert_eq!(
                r.validate().is_ok(),
                r.decode().is_ok(),
                "validate and decode disagree"
            );
            let text = show(r);
            if let Some(o) = o {
                assert_eq!(
                    text,
                    show(o),
                    "MultipartReplyView and MultipartReply print differently"
                );
            }
        }
        BodyView::FlowMod(f) => {
            let o = match body {
                Some(Body::FlowMod(o)) => Some(o),
                _ => None,
            };
            agree("FLOW_MOD", f.decode(), o);
            assert_eq!(
                f.validate().is_ok(),
                f.decode().is_ok(),
                "validate and decode disagree"
            );
            let text = show(f);
            if let Some(o) = o {
                assert_eq!(text, show(o), "FlowModView and FlowMod print differently");
            }
        }
        BodyView::Error(e) => {
            let o = match body {
                Some(Body::Error(o)) => Some(o),
                _ => None,
            };
            agree("ERROR", Ok::<_, ()>(e.decode()), o);
            show(e);
        }
        BodyView::EchoRequest(e) | BodyView::EchoReply(e) => {
            let o = match body {
                Some(Body::EchoRequest(o) | Body::EchoReply(o)) => Some(o),
                _ => None,
            };
            agree("ECHO", Ok::<_, ()>(e.decode()), o);
            show(e);
        }
        BodyView::Other(b) => {
            assert_eq!(b.len(), bytes.len() - 8);
        }
        _ => {}
    }
});
