use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::codec::Reader;

/// One typed action of every subtype.
fn every_subtype() -> Vec<NxAction> {
    use NxAction as A;
    let reg0 = OxmHeader(0x0001_0004);
    let reg1 = OxmHeader(0x0001_0204);
    let bundle = NxBundle {
        algorithm: 1,
        fields: 2,
        basis: 3,
        slave_type: 0x0000_0002,
        ofs_nbits: 0,
        dst: 0,
        slaves: vec![1, 2, 3],
    };
    vec![
        A::Resubmit { in_port: 3 },
        A::SetTunnel { tun_id: 0x1234 },
        A::SetQueue { queue_id: 7 },
        A::PopQueue,
        A::RegMove {
            n_bits: 16,
            src_ofs: 0,
            dst_ofs: 8,
            src_field: reg0,
            dst_field: reg1,
        },
        A::RegLoad {
            ofs_nbits: 0x1f,
            dst: reg0,
            value: 0xdead_beef,
        },
        A::Note(vec![1, 2, 3, 4, 5, 6]),
        A::SetTunnel64 { tun_id: u64::MAX },
        A::Multipath {
            fields: 0,
            basis: 50,
            algorithm: 1,
            max_link: 3,
            arg: 9,
            ofs_nbits: 0x1f,
            dst: reg0,
        },
        A::Bundle(bundle.clone()),
        A::BundleLoad(NxBundle {
            ofs_nbits: 0x1f,
            dst: reg0.0,
            ..bundle
        }),
        A::ResubmitTable {
            in_port: 0xfff8,
            table_id: 1,
        },
        A::OutputReg {
            ofs_nbits: 0x1f,
            src: reg0,
            max_len: 128,
        },
        A::Learn(Box::new(NxLearn {
            idle_timeout: 10,
            hard_timeout: 20,
            priority: 1,
            cookie: 0x99,
            flags: 0,
            table_id: 1,
            fin_idle_timeout: 0,
            fin_hard_timeout: 0,
            specs: vec![
                NxFlowSpec {
                    n_bits: 48,
                    src: NxLearnSrc::Field {
                        field: OxmHeader(0x0000_0406),
                        ofs: 0,
                    },
                    dst: NxLearnDst::Match {
                        field: OxmHeader(0x0000_0206),
                        ofs: 0,
                    },
                },
                NxFlowSpec {
                    n_bits: 12,
                    src: NxLearnSrc::Immediate(vec![0, 5]),
                    dst: NxLearnDst::Load {
                        field: reg0,
                        ofs: 0,
                    },
                },
                NxFlowSpec {
                    n_bits: 16,
                    src: NxLearnSrc::Field {
                        field: OxmHeader(0x0000_0002),
                        ofs: 0,
                    },
                    dst: NxLearnDst::Output,
                },
            ],
        })),
        A::Exit,
        A::DecTtl,
        A::FinTimeout {
            fin_idle_timeout: 5,
            fin_hard_timeout: 6,
        },
        A::Controller {
            max_len: 128,
            controller_id: 1,
            reason: 1,
        },
        A::DecTtlCntIds(vec![1, 2, 3, 4, 5]),
        A::PushMpls { ethertype: 0x8847 },
        A::PopMpls { ethertype: 0x0800 },
        A::SetMplsTtl { ttl: 9 },
        A::DecMplsTtl,
        A::StackPush {
            start: 0,
            field: reg0,
            end: 31,
        },
        A::StackPop {
            start: 0,
            field: reg1,
            end: 31,
        },
        A::Sample {
            probability: 100,
            collector_set_id: 1,
            obs_domain_id: 2,
            obs_point_id: 3,
        },
        A::SetMplsLabel { label: 100 },
        A::SetMplsTc { tc: 3 },
        A::OutputReg2 {
            ofs_nbits: 0x1f,
            max_len: 64,
            src: reg0,
        },
        A::RegLoad2(OxmField::Metadata(5, Some(0xff))),
        A::Conjunction {
            clause: 0,
            n_clauses: 2,
            id: 11,
        },
        A::Ct(NxCt {
            flags: 1,
            zone_src: 0,
            zone_ofs_nbits: 5,
            recirc_table: 255,
            alg: 21,
            actions: vec![
                Action::Nicira(A::Nat(Box::new(NxNat {
                    flags: 1,
                    range_ipv4_min: Some([10, 0, 0, 1].into()),
                    range_ipv4_max: Some([10, 0, 0, 9].into()),
                    range_ipv6_min: None,
                    range_ipv6_max: Some(core::net::Ipv6Addr::LOCALHOST),
                    range_proto_min: Some(1024),
                    range_proto_max: None,
                }))),
                Action::Output {
                    port: crate::PortNo(1),
                    max_len: 0,
                },
            ],
        }),
        A::Nat(Box::default()),
        A::Controller2(NxController2 {
            max_len: Some(128),
            controller_id: Some(2),
            reason: Some(1),
            userdata: Some(vec![1, 2, 3, 4, 5]),
            pause: true,
        }),
        A::Controller2(NxController2::default()),
        A::Sample2 {
            probability: 1,
            collector_set_id: 2,
            obs_domain_id: 3,
            obs_point_id: 4,
            sampling_port: 5,
        },
        A::OutputTrunc {
            port: 1,
            max_len: 100,
        },
        A::CtClear,
        A::DecNshTtl,
    ]
}

#[test]
fn every_subtype_round_trips_typed() {
    let all = every_subtype();
    let mut seen: Vec<u16> = all.iter().map(|a| a.subtype().0).collect();
    seen.sort_unstable();
    seen.dedup();
    let known: Vec<u16> = NX_ACTIONS.iter().map(|(s, _)| *s).collect();
    assert_eq!(seen, known, "one example per subtype of NX_ACTIONS");
    for nx in all {
        let data = nx.to_data().unwrap();
        assert_eq!(data.len(), nx.data_len(), "{nx:?}");
        assert_eq!(data.len() % 8, 0, "{nx:?}");
        assert_eq!(NxAction::decode(&data), Some(nx.clone()));
        // Through the action codec: the view names it, decode types it, encoding is exact.
        let a = Action::Nicira(nx.clone());
        let bytes = a.to_vec().unwrap();
        assert_eq!(bytes.len(), 8 + data.len());
        let view = ActionView::parse(&mut Reader::new(&bytes, 0)).unwrap();
        let ActionView::Nicira(v) = view else {
            panic!("{view:?}");
        };
        assert_eq!(v.subtype(), nx.subtype());
        assert_eq!(v.data(), &data[..]);
        assert_eq!(v.typed(), Some(nx.clone()));
        assert_eq!(view.decode().unwrap(), a);
        assert_eq!(Action::parse(&mut Reader::new(&bytes, 0)).unwrap(), a);
        assert!(nx.subtype().class_name().is_some());
    }
}

#[test]
fn inexact_data_stays_raw() {
    for data in [
        &[0x00, 0x0e, 0xff, 0xf8, 0x01, 0x00, 0x07, 0x00][..], // non-zero padding
        &[0x00, 0xc8, 1, 2, 3, 4, 5, 6],                       // unknown subtype
        &[
            0x00, 0x0e, 0xff, 0xf8, 0x01, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
        ], // too long
        &[0x00, 0x01, 0x00],                                   // short body
    ] {
        assert_eq!(NxAction::decode(data), None, "{data:02x?}");
        let a = experimenter_action(NX_EXPERIMENTER_ID, data);
        assert_eq!(
            a,
            Action::Experimenter {
                experimenter: NX_EXPERIMENTER_ID,
                data: data.to_vec()
            }
        );
    }
    // Another experimenter's data is never typed.
    let a = experimenter_action(0x4f4e_4600, &[0x00, 0x0e, 0xff, 0xf8, 0x01, 0, 0, 0]);
    assert!(matches!(a, Action::Experimenter { .. }));
}

/// Every byte of every example changed in turn: what types is exactly what it encodes to, and
/// a byte that stops the data from typing was one the encoding wrote as zero padding. Fixed
/// layouts are compared in place, the others by encoding again: both must agree with the
/// encoder.
#[test]
fn typed_only_when_exact() {
    for nx in every_subtype() {
        let data = nx.to_data().unwrap();
        for i in 2..data.len() {
            let mut m = data.clone();
            m[i] ^= 0x5a;
            match NxAction::decode(&m) {
                Some(b) => assert_eq!(b.to_data().unwrap(), m, "{nx:?} byte {i}"),
                None => assert!(
                    data[i] == 0 || !matches!(nx.subtype().0, 1..=7 | 9 | 14 | 15 | 17..=20),
                    "{nx:?} byte {i} is a field"
                ),
            }
        }
    }
}

/// Hostile nesting: ct actions inside ct actions, far deeper than any switch sends. Past
/// [`NX_MAX_NESTING`] the nested data stays raw; nothing overflows and bytes round-trip.
#[test]
fn deep_ct_nesting_is_bounded() {
    let mut inner = Action::Output {
        port: crate::PortNo(1),
        max_len: 0,
    };
    for _ in 0..2000 {
        inner = Action::Nicira(NxAction::Ct(NxCt {
            actions: vec![inner],
            ..NxCt::default()
        }));
        // Keep it as bytes so that building the value does not recurse either.
        let bytes = inner.to_vec().unwrap();
        inner = experimenter_action(NX_EXPERIMENTER_ID, bytes.get(8..).unwrap());
        if bytes.len() > 60_000 {
            break;
        }
    }
    let bytes = inner.to_vec().unwrap();
    let a = Action::parse(&mut Reader::new(&bytes, 0)).unwrap();
    assert_eq!(a.to_vec().unwrap(), bytes);
    let mut depth = 0;
    let mut cur = &a;
    while let Action::Nicira(NxAction::Ct(ct)) = cur {
        depth += 1;
        cur = &ct.actions[0];
    }
    assert!(depth <= NX_MAX_NESTING + 1, "{depth}");
    assert!(matches!(cur, Action::Experimenter { .. }));
}

#[test]
fn unencodable_values_are_errors() {
    let a = NxAction::Learn(Box::new(NxLearn {
        specs: vec![NxFlowSpec {
            n_bits: 12,
            src: NxLearnSrc::Immediate(vec![1, 2, 3]),
            dst: NxLearnDst::Output,
        }],
        ..NxLearn::default()
    }));
    assert!(a.to_data().is_err());
    let a = NxAction::DecTtlCntIds(vec![0; 70_000]);
    assert!(Action::Nicira(a).to_vec().is_err());
}

proptest::proptest! {
    /// Any Nicira data (a known subtype with a random body, or anything) parses into an
    /// action that encodes back to the same bytes, typed or not.
    #[test]
    fn any_data_round_trips(st in 0u16..50, body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
        let mut data = st.to_be_bytes().to_vec();
        data.extend(body);
        data.resize(data.len().div_ceil(8) * 8, 0);
        let mut bytes = vec![0xff, 0xff];
        bytes.extend(u16::try_from(8 + data.len()).unwrap().to_be_bytes());
        bytes.extend(NX_EXPERIMENTER_ID.to_be_bytes());
        bytes.extend(&data);
        if let Ok(a) = Action::parse(&mut Reader::new(&bytes, 0)) {
            proptest::prop_assert_eq!(a.to_vec().unwrap(), bytes.clone());
            if let Action::Nicira(nx) = &a {
                proptest::prop_assert_eq!(nx.to_data().unwrap(), data);
            }
        }
    }
}

/// Typed Nicira actions do not make every `Action` bigger (a flow's action list is a
/// `Vec<Action>`): the large ones are boxed.
#[test]
fn action_size_is_kept() {
    assert!(core::mem::size_of::<NxAction>() <= core::mem::size_of::<OxmField>() + 8);
    assert!(core::mem::size_of::<Action>() <= 48);
    assert!(core::mem::size_of::<ActionView<'_>>() <= 32);
}
