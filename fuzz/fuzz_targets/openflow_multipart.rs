//! `MultipartReplyView` walked completely (every iterator, every nested view: flow stats with
//! their match, instructions and actions; group stats and their bucket counters; group
//! descriptions, buckets and actions; meter stats and band counters; meter configurations and
//! bands; table features, properties and their ID lists; ports, tables, queues, description,
//! experimenter), agreeing with the owned `MultipartReply`.
//!
//! Input: a whole message. Unless the first byte has its top bit set, the header is forced to
//! a 1.3 MULTIPART_REPLY of the input's length, and a multipart type the codec does not know
//! is mapped onto a known one (`byte 9 % 15`, 14 meaning EXPERIMENTER), so that the body
//! parsers are reached.
//!
//! Checks: no panic; the view walk meets an error exactly when the owned parse fails;
//! otherwise every entry and nested item equals the owned one, counts agree, the owned reply
//! encodes back to the body bytes, `validate` agrees with `decode`, and view and owned print
//! the same `Display` text.
#![no_main]

mod openflow_common;

use libfuzzer_sys::fuzz_target;
use openflow_common::{exact, show, Walk};
use sdnwire_openflow::action::{Action, ActionView, ActionsView};
use sdnwire_openflow::codec::{MessageBody, Reader};
use sdnwire_openflow::group_mod::Bucket;
use sdnwire_openflow::instruction::{Instruction, InstructionView};
use sdnwire_openflow::multipart::{
    Entries, Entry, FlowStatsView, GroupDescView, GroupStatsView, MeterConfigView, MeterStatsView,
    MultipartReply, MultipartReplyBody as O, MultipartReplyBodyView as B,
};
use sdnwire_openflow::table_features::{
    TableFeatureProp as P, TableFeaturePropView as PR, TableFeaturesView,
};
use sdnwire_openflow::{Body, BodyView, Message, MessageView};

/// Walks fixed-size entries (the view is the owned value).
fn fixed<'a, T>(w: &mut Walk, e: Entries<'a, T>, owned: Option<&[T]>)
where
    T: Entry<'a, Owned = T> + PartialEq + std::fmt::Debug,
{
    let n = w.drain(e, |_, i, v: T| {
        if let Some(o) = owned {
            assert_eq!(&v, &o[i], "fixed entry {i} differs");
        }
    });
    if let Some(o) = owned {
        assert_eq!(n, o.len(), "entry count differs");
    }
}

fn actions(w: &mut Walk, list: ActionsView<'_>, owned: Option<&[Action]>) {
    let n = w.drain(list, |w, i, a: ActionView<'_>| {
        if let Some(o) = w.ok(a.decode()) {
            if let Some(owned) = owned {
                assert_eq!(o, owned[i], "action {i} differs");
            }
            assert_eq!(show(&a), show(&o));
        }
    });
    if let Some(o) = owned {
        assert_eq!(n, o.len(), "action count differs");
    }
}

fn flow(w: &mut Walk, f: FlowStatsView<'_>, o: Option<&sdnwire_openflow::multipart::FlowStats>) {
    let _ = (
        f.length(),
        f.table_id,
        f.priority,
        f.cookie,
        f.packet_count,
        f.byte_count,
    );
    let m = f.match_.decode();
    let nf = w.drain(f.match_.fields(), |_, _, x| {
        let _ = (x.typed(), x.value(), x.mask());
    });
    assert_eq!(nf, m.fields.len());
    let insts = o.map(|o| &o.instructions[..]);
    let n = w.drain(f.instructions.clone(), |w, i, ins: InstructionView<'_>| {
        let oi = insts.map(|v| &v[i]);
        let nested = match oi {
            Some(Instruction::ApplyActions(a) | Instruction::WriteActions(a)) => Some(&a[..]),
            _ => None,
        };
        if let Some(acts) = ins.actions() {
            actions(w, acts, nested);
        }
        if let (Some(t), Some(oi)) = (w.ok(ins.decode()), oi) {
            assert_eq!(&t, oi, "instruction {i} differs");
        }
    });
    let owned = w.ok(f.decode());
    if let Some(o) = o {
        assert_eq!(n, o.instructions.len());
        assert_eq!(o.match_, m);
        assert_eq!(owned.as_ref(), Some(o), "FlowStatsView::decode differs");
        assert_eq!(
            show(&f),
            show(o),
            "FlowStatsView and FlowStats print differently"
        );
        assert_eq!(f.length(), sdnwire_openflow::Encode::encoded_len(o));
    }
}

fn buckets(w: &mut Walk, g: GroupDescView<'_>, o: Option<&sdnwire_openflow::multipart::GroupDesc>) {
    let ob: Option<&[Bucket]> = o.map(|o| &o.buckets[..]);
    let n = w.drain(g.buckets.clone(), |w, i, b| {
        let _ = (b.weight, b.watch_port, b.watch_group);
        actions(w, b.actions.clone(), ob.map(|v| &v[i].actions[..]));
        if let (Some(t), Some(ob)) = (w.ok(b.decode()), ob) {
            assert_eq!(t, ob[i], "bucket {i} differs");
        }
        let _ = show(&b.display(g.type_));
    });
    if let Some(o) = o {
        assert_eq!(n, o.buckets.len());
        assert_eq!(g.decode().as_ref(), Ok(o));
        assert_eq!(
            show(&g),
            show(o),
            "GroupDescView and GroupDesc print differently"
        );
    }
}

fn table_features(
    w: &mut Walk,
    t: TableFeaturesView<'_>,
    o: Option<&sdnwire_openflow::table_features::TableFeatures>,
) {
    let _ = (t.name(), t.length(), t.max_entries, t.metadata_match);
    let op = o.map(|o| &o.properties[..]);
    let n = w.drain(t.properties.clone(), |w, i, p: PR<'_>| {
        let oi = op.map(|v| &v[i]);
        match (&p, oi) {
            (PR::Instructions { ids, .. }, o) => {
                let ov = match o {
                    Some(P::Instructions { ids, .. }) => Some(ids),
                    _ => None,
                };
                let n = w.drain(ids.clone(), |_, j, id| {
                    if let Some(ov) = ov {
                        assert_eq!(id.decode(), ov[j]);
                    }
                    let _ = show(&id);
                });
                if let Some(ov) = ov {
                    assert_eq!(n, ov.len());
                }
            }
            (PR::WriteActions { ids, .. } | PR::ApplyActions { ids, .. }, o) => {
                let ov = match o {
                    Some(P::WriteActions { ids, .. } | P::ApplyActions { ids, .. }) => Some(ids),
                    _ => None,
                };
                let n = w.drain(ids.clone(), |_, j, id| {
                    if let Some(ov) = ov {
                        assert_eq!(id.decode(), ov[j]);
                    }
                    let _ = show(&id);
                });
                if let Some(ov) = ov {
                    assert_eq!(n, ov.len());
                }
            }
            (
                PR::Match(ids)
                | PR::Wildcards(ids)
                | PR::WriteSetfield { ids, .. }
                | PR::ApplySetfield { ids, .. },
                o,
            ) => {
                let ov = match o {
                    Some(
                        P::Match(ids)
                        | P::Wildcards(ids)
                        | P::WriteSetfield { ids, .. }
                        | P::ApplySetfield { ids, .. },
                    ) => Some(ids),
                    _ => None,
                };
                let n = w.drain(ids.clone(), |_, j, id| {
                    if let Some(ov) = ov {
                        assert_eq!(id, ov[j]);
                    }
                    let _ = show(&id);
                });
                if let Some(ov) = ov {
                    assert_eq!(n, ov.len());
                }
            }
            _ => {}
        }
        let validated = p.validate().is_ok();
        if let Some(t) = w.ok(p.decode()) {
            assert!(
                validated,
                "TableFeaturePropView::validate fails but decode succeeds"
            );
            assert_eq!(p.prop_type(), t.prop_type());
            if let Some(oi) = oi {
                assert_eq!(&t, oi, "table feature property {i} differs");
            }
        }
    });
    if let Some(o) = o {
        assert_eq!(n, o.properties.len());
        assert_eq!(t.decode().as_ref(), Ok(o));
        assert_eq!(
            show(&t),
            show(o),
            "TableFeaturesView and TableFeatures print differently"
        );
    }
}

/// Walks every entry of a variable-size array, calling `each` with the view and the owned
/// entry.
fn entries<'a, T, F>(w: &mut Walk, e: Entries<'a, T>, owned: Option<&[T::Owned]>, mut each: F)
where
    T: Entry<'a>,
    T::Owned: PartialEq + std::fmt::Debug,
    F: FnMut(&mut Walk, &T, Option<&T::Owned>),
{
    let n = w.drain(e, |w, i, v: T| {
        let o = owned.map(|o| &o[i]);
        each(w, &v, o);
        let valid = v.validate_entry().is_ok();
        if let Some(t) = w.ok(v.decode_entry()) {
            assert!(valid, "validate_entry fails but decode_entry succeeds");
            if let Some(o) = o {
                assert_eq!(&t, o, "entry {i} differs");
            }
        }
    });
    if let Some(o) = owned {
        assert_eq!(n, o.len(), "entry count differs");
    }
}

fuzz_target!(|data: &[u8]| {
    let mut buf = data.to_vec();
    if buf.len() >= 8 && buf.len() <= 0xffff && buf[0] & 0x80 == 0 {
        buf[0] = 4;
        buf[1] = 19;
        let len = (buf.len() as u16).to_be_bytes();
        buf[2..4].copy_from_slice(&len);
        if buf.len() >= 10 {
            let ty = u16::from_be_bytes([buf[8], buf[9]]);
            if ty > 13 && ty != 0xffff {
                let t = u16::from(buf[9] % 15);
                let t = if t == 14 { 0xffff } else { t };
                buf[8..10].copy_from_slice(&t.to_be_bytes());
            }
        }
    }
    let bytes = &buf[..];

    let view = match MessageView::parse(bytes) {
        Ok(MessageView {
            body: BodyView::MultipartReply(v),
            ..
        }) => Ok(v),
        Ok(m) => Err(format!("not a MULTIPART_REPLY: {}", m.header.msg_type)),
        Err(e) => Err(e.to_string()),
    };
    let body_bytes = bytes.get(8..).unwrap_or(&[]);
    // The owned reply, as `Message::parse` gives it (the same header checks as the view's).
    let owned = match Message::parse(bytes) {
        Ok(Message {
            body: Body::MultipartReply(r),
            ..
        }) => Ok(r),
        Ok(m) => Err(format!("not a MULTIPART_REPLY: {}", m.msg_type())),
        Err(e) => Err(e.to_string()),
    };
    if let Ok(o) = &owned {
        let direct = MultipartReply::parse_body(&mut Reader::new(body_bytes, 8));
        assert_eq!(
            direct.as_ref(),
            Ok(o),
            "parse_body differs from Message::parse"
        );
    }
    let Ok(v) = view else {
        assert!(
            owned.is_err(),
            "the owned reply parses but the view refuses it"
        );
        return;
    };
    let o = owned.as_ref().ok();
    if let Some(o) = o {
        exact("MultipartReply", body_bytes, o);
        assert_eq!(v.flags, o.flags);
        assert_eq!(v.more(), o.more());
        assert_eq!(v.multipart_type(), o.multipart_type());
    }
    let ob = o.map(|o| &o.body);

    let mut w = Walk::default();
    match &v.body {
        B::Flow(e) => {
            let own = match ob {
                Some(O::Flow(x)) => Some(&x[..]),
                _ => None,
            };
            let n = w.drain(e.clone(), |w, i, f| flow(w, f, own.map(|x| &x[i])));
            if let Some(own) = own {
                assert_eq!(n, own.len());
            }
            assert!(v.flow_stats().is_some());
        }
        B::Table(e) => fixed(
            &mut w,
            e.clone(),
            match ob {
                Some(O::Table(x)) => Some(x),
                _ => None,
            },
        ),
        B::PortStats(e) => fixed(
            &mut w,
            e.clone(),
            match ob {
                Some(O::PortStats(x)) => Some(x),
                _ => None,
            },
        ),
        B::Queue(e) => fixed(
            &mut w,
            e.clone(),
            match ob {
                Some(O::Queue(x)) => Some(x),
                _ => None,
            },
        ),
        B::PortDesc(e) => fixed(
            &mut w,
            e.clone(),
            match ob {
                Some(O::PortDesc(x)) => Some(x),
                _ => None,
            },
        ),
        B::Group(e) => {
            let own = match ob {
                Some(O::Group(x)) => Some(&x[..]),
                _ => None,
            };
            entries(&mut w, e.clone(), own, |w, g: &GroupStatsView<'_>, o| {
                let _ = show(g);
                fixed(w, g.bucket_stats.clone(), o.map(|o| &o.bucket_stats[..]));
            });
        }
        B::GroupDesc(e) => {
            let own = match ob {
                Some(O::GroupDesc(x)) => Some(&x[..]),
                _ => None,
            };
            entries(&mut w, e.clone(), own, |w, g: &GroupDescView<'_>, o| {
                buckets(w, g.clone(), o)
            });
        }
        B::Meter(e) => {
            let own = match ob {
                Some(O::Meter(x)) => Some(&x[..]),
                _ => None,
            };
            entries(&mut w, e.clone(), own, |w, m: &MeterStatsView<'_>, o| {
                let _ = show(m);
                fixed(w, m.band_stats.clone(), o.map(|o| &o.band_stats[..]));
            });
        }
        B::MeterConfig(e) => {
            let own = match ob {
                Some(O::MeterConfig(x)) => Some(&x[..]),
                _ => None,
            };
            entries(&mut w, e.clone(), own, |w, m: &MeterConfigView<'_>, o| {
                let n = w.drain(m.bands.clone(), |_, j, b| {
                    if let Some(o) = o {
                        assert_eq!(b.decode(), o.bands[j], "band {j} differs");
                    }
                    let _ = (b.band_type(), show(&b.display(m.flags)));
                });
                if let Some(o) = o {
                    assert_eq!(n, o.bands.len());
                    assert_eq!(
                        show(m),
                        show(o),
                        "MeterConfigView and MeterConfig print differently"
                    );
                }
            });
        }
        B::TableFeatures(e) => {
            let own = match ob {
                Some(O::TableFeatures(x)) => Some(&x[..]),
                _ => None,
            };
            entries(&mut w, e.clone(), own, |w, t: &TableFeaturesView<'_>, o| {
                table_features(w, t.clone(), o)
            });
        }
        B::Desc(d) => {
            let _ = (d.mfr(), d.hw(), d.sw(), d.serial(), d.dp(), show(d));
            if let Some(O::Desc(o)) = ob {
                assert_eq!(&d.decode(), &**o);
                assert_eq!(show(d), show(&**o));
            }
        }
        B::Experimenter(x) => {
            if let Some(O::Experimenter(o)) = ob {
                assert_eq!(&x.decode(), o);
            }
        }
        B::Aggregate(a) => {
            if let Some(O::Aggregate(o)) = ob {
                assert_eq!(a, o);
            }
        }
        B::GroupFeatures(g) => {
            if let Some(O::GroupFeatures(o)) = ob {
                assert_eq!(g, o);
            }
        }
        B::MeterFeatures(m) => {
            if let Some(O::MeterFeatures(o)) = ob {
                assert_eq!(m, o);
            }
        }
        B::Unknown { type_, data } => {
            if let Some(O::Unknown { type_: t, data: d }) = ob {
                assert_eq!((type_, *data), (t, &d[..]));
            }
        }
        _ => {}
    }
    // The whole walk meets an error exactly when the owned parse fails.
    assert_eq!(
        w.failed,
        owned.is_err(),
        "the view walk and the owned parse disagree: {:?}",
        owned.as_ref().err()
    );
    assert_eq!(
        v.validate().is_ok(),
        v.decode().is_ok(),
        "validate and decode disagree"
    );
    assert_eq!(
        v.decode().as_ref().ok(),
        o,
        "MultipartReplyView::decode differs"
    );
    let text = show(&v);
    if let Some(o) = o {
        assert_eq!(
            text,
            show(o),
            "MultipartReplyView and MultipartReply print differently"
        );
    }
});
