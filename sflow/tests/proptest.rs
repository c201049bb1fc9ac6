//! Property tests: anything that decodes re-encodes to the same bytes, and any owned value
//! encodes to bytes that decode to that value.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::cast_possible_truncation)] // test inputs are small
use proptest::prelude::*;
use sdnwire_sflow::*;

fn fixtures() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata");
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    v.sort();
    v.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// The owned datagram built the long way: the views walked sample by sample and record by
/// record, each record's view decoded on its own (`FlowRecordView::decode`,
/// `CounterRecordView::decode`). `Datagram::parse` decodes records straight from their framing
/// and must give the same value, or the same first error.
fn by_views(bytes: &[u8]) -> Result<Datagram> {
    let v = DatagramView::parse(bytes)?;
    let flow = |f: &FlowSampleView<'_>| -> Result<FlowSample> {
        Ok(FlowSample {
            sequence_number: f.sequence_number(),
            source_id: f.source_id(),
            sampling_rate: f.sampling_rate(),
            sample_pool: f.sample_pool(),
            drops: f.drops(),
            input: f.input(),
            output: f.output(),
            records: f
                .records()
                .map(|r| r.and_then(|r| r.decode()))
                .collect::<Result<_>>()?,
        })
    };
    let counters = |c: &CountersSampleView<'_>| -> Result<CountersSample> {
        Ok(CountersSample {
            sequence_number: c.sequence_number(),
            source_id: c.source_id(),
            records: c
                .records()
                .map(|r| r.and_then(|r| r.decode()))
                .collect::<Result<_>>()?,
        })
    };
    let mut samples = vec![];
    for s in v.samples() {
        samples.push(match s? {
            SampleView::Flow(f) => Sample::Flow(flow(&f)?),
            SampleView::ExpandedFlow(f) => Sample::ExpandedFlow(flow(&f)?),
            SampleView::Counters(c) => Sample::Counters(counters(&c)?),
            SampleView::ExpandedCounters(c) => Sample::ExpandedCounters(counters(&c)?),
            SampleView::Discarded(d) => Sample::Discarded(DiscardedSample {
                sequence_number: d.sequence_number(),
                source_id: d.source_id(),
                drops: d.drops(),
                input: d.input(),
                output: d.output(),
                reason: d.reason(),
                records: d
                    .records()
                    .map(|r| r.and_then(|r| r.decode()))
                    .collect::<Result<_>>()?,
            }),
            SampleView::Unknown(u) => Sample::Unknown(u.decode()),
            other => panic!("a sample kind this test does not know: {other:?}"),
        });
    }
    Ok(Datagram {
        agent_address: v.agent_address(),
        sub_agent_id: v.sub_agent_id(),
        sequence_number: v.sequence_number(),
        uptime: v.uptime(),
        samples,
    })
}

/// The owned form decodes exactly when the views walk a datagram without error (with the same
/// error when they do not), to the value the views decode to record by record, and re-encodes
/// to the same bytes.
fn check_exact(bytes: &[u8]) {
    let walked = DatagramView::parse(bytes).and_then(|d| d.validate());
    let parsed = Datagram::parse(bytes);
    let views = by_views(bytes);
    assert!(
        same(&parsed, &views),
        "one-pass decode differs from the views': {parsed:?} vs {views:?}"
    );
    match parsed {
        Ok(d) => {
            assert!(walked.is_ok());
            assert_eq!(d.encoded_len(), bytes.len());
            assert_eq!(d.to_vec().unwrap(), bytes);
        }
        Err(e) => assert_eq!(walked, Err(e), "owned failed where the views did not"),
    }
}

/// Equal; or, where both hold a float field that is NaN (a host CPU load made of arbitrary
/// bytes: then neither equals itself, and `==` says nothing), both encode, to the same bytes
/// (the floats' bits included), and print the same text (every field, the variants' names).
/// Only there: a value that equals itself is compared with `==` alone.
fn same(a: &Result<Datagram>, b: &Result<Datagram>) -> bool {
    #[allow(clippy::eq_op)] // NaN is what is looked for
    let has_nan = |d: &Datagram| d != d;
    a == b
        || match (a, b) {
            (Ok(x), Ok(y)) if has_nan(x) && has_nan(y) => match (x.to_vec(), y.to_vec()) {
                (Ok(ex), Ok(ey)) => ex == ey && format!("{x:?}") == format!("{y:?}"),
                _ => false,
            },
            _ => false,
        }
}

/// `same` lets a NaN through and nothing else: the NaN case proptest found (a host CPU load of
/// bits 0x7f800001) is the same as itself, and not the same as a NaN of other bits, as a
/// value with one other field changed, or as a number.
#[test]
fn the_nan_tolerant_comparison_still_sees_a_difference() {
    let with = |load: f32, seq: u32| -> Result<Datagram> {
        let cpu = CounterRecord::HostCpu(HostCpu {
            base: HostCpuBase {
                load_fifteen: load,
                ..Default::default()
            },
            steal: None,
        });
        Ok(Datagram {
            agent_address: Address::V4([10, 0, 0, 1].into()),
            sequence_number: seq,
            samples: vec![Sample::Counters(CountersSample {
                records: vec![cpu].into(),
                ..Default::default()
            })],
            ..Default::default()
        })
    };
    let nan = f32::from_bits(0x7f80_0001);
    assert!(nan.is_nan());
    assert!(with(nan, 1) != with(nan, 1));
    assert!(same(&with(nan, 1), &with(nan, 1)));
    assert!(!same(&with(nan, 1), &with(f32::from_bits(0x7fc0_0000), 1)));
    assert!(!same(&with(nan, 1), &with(nan, 2)));
    assert!(!same(&with(nan, 1), &with(1.0, 1)));
}

fn padding(len: usize) -> impl Strategy<Value = [u8; 3]> {
    let n = pad_len(len);
    any::<[u8; 3]>().prop_map(move |mut p| {
        for b in p.iter_mut().skip(n) {
            *b = 0;
        }
        p
    })
}

fn opaque(max: usize) -> impl Strategy<Value = Opaque> {
    proptest::collection::vec(any::<u8>(), 0..max)
        .prop_flat_map(|data| (Just(data.clone()), padding(data.len())))
        .prop_map(|(data, padding)| Opaque {
            data: data.into(),
            padding,
        })
}

fn string(max: usize) -> impl Strategy<Value = XdrString> {
    opaque(max).prop_map(|o| XdrString {
        data: o.data.as_slice().into(),
        padding: o.padding,
    })
}

fn mac() -> impl Strategy<Value = sdnwire_packet::MacAddr> {
    any::<[u8; 6]>().prop_map(sdnwire_packet::MacAddr)
}

fn padded_mac() -> impl Strategy<Value = PaddedMac> {
    (mac(), any::<[u8; 2]>()).prop_map(|(mac, padding)| PaddedMac { mac, padding })
}

fn address() -> impl Strategy<Value = Address> {
    prop_oneof![
        Just(Address::Unknown),
        any::<[u8; 4]>().prop_map(|a| Address::V4(a.into())),
        any::<[u8; 16]>().prop_map(|a| Address::V6(a.into())),
    ]
}

fn unknown_record() -> impl Strategy<Value = UnknownRecord> {
    (1u32..0xf_ffff, any::<u32>(), opaque(40)).prop_map(|(e, f, data)| UnknownRecord {
        format: DataFormat {
            enterprise: e,
            format: f & 0xfff,
        },
        data,
    })
}

fn flow_record() -> impl Strategy<Value = FlowRecord> {
    prop_oneof![
        (any::<u32>(), any::<u32>(), any::<u32>(), opaque(140)).prop_map(|(p, f, s, h)| {
            FlowRecord::RawHeader(RawPacketHeader {
                header_protocol: HeaderProtocol(p),
                frame_length: f,
                stripped: s,
                header: h,
            })
        }),
        (any::<u32>(), padded_mac(), padded_mac(), any::<u32>()).prop_map(|(l, s, d, t)| {
            FlowRecord::Ethernet(EthernetFrame {
                length: l,
                src_mac: s,
                dst_mac: d,
                eth_type: t,
            })
        }),
        (any::<[u32; 6]>(), any::<[u8; 4]>(), any::<[u8; 4]>()).prop_map(|(v, s, d)| {
            FlowRecord::Ipv4(Ipv4Data {
                length: v[0],
                protocol: v[1],
                src_ip: s.into(),
                dst_ip: d.into(),
                src_port: v[2],
                dst_port: v[3],
                tcp_flags: v[4],
                tos: v[5],
            })
        }),
        (any::<[u32; 6]>(), any::<[u8; 16]>(), any::<[u8; 16]>()).prop_map(|(v, s, d)| {
            FlowRecord::Ipv6TunnelIngress(Ipv6Data {
                length: v[0],
                protocol: v[1],
                src_ip: s.into(),
                dst_ip: d.into(),
                src_port: v[2],
                dst_port: v[3],
                tcp_flags: v[4],
                priority: v[5],
            })
        }),
        any::<[u32; 4]>().prop_map(|v| FlowRecord::ExtendedSwitch(ExtendedSwitch {
            src_vlan: v[0],
            src_priority: v[1],
            dst_vlan: v[2],
            dst_priority: v[3],
        })),
        (address(), any::<u32>(), any::<u32>()).prop_map(|(a, s, d)| {
            FlowRecord::ExtendedRouter(ExtendedRouter {
                next_hop: a,
                src_mask_len: s,
                dst_mask_len: d,
            })
        }),
        (
            address(),
            any::<[u32; 4]>(),
            proptest::collection::vec(
                (any::<u32>(), proptest::collection::vec(any::<u32>(), 0..5)),
                0..4
            ),
            proptest::collection::vec(any::<u32>(), 0..4)
        )
            .prop_map(|(a, v, path, comm)| {
                FlowRecord::ExtendedGateway(ExtendedGateway {
                    next_hop: a,
                    as_number: v[0],
                    src_as: v[1],
                    src_peer_as: v[2],
                    dst_as_path: path
                        .into_iter()
                        .map(|(t, asns)| AsPathSegment {
                            segment_type: t,
                            asns,
                        })
                        .collect(),
                    communities: comm,
                    local_pref: v[3],
                })
            }),
        (any::<u32>(), string(20), any::<u32>(), string(20)).prop_map(|(a, b, c, d)| {
            FlowRecord::ExtendedUser(ExtendedUser {
                src_charset: a,
                src_user: b,
                dst_charset: c,
                dst_user: d,
            })
        }),
        (any::<u32>(), string(30), string(20)).prop_map(|(d, u, h)| {
            FlowRecord::ExtendedUrl(ExtendedUrl {
                direction: d,
                url: u,
                host: h,
            })
        }),
        (
            address(),
            proptest::collection::vec(any::<u32>(), 0..4),
            proptest::collection::vec(any::<u32>(), 0..4)
        )
            .prop_map(|(a, i, o)| FlowRecord::ExtendedMpls(ExtendedMpls {
                next_hop: a,
                in_stack: i,
                out_stack: o,
            })),
        (address(), address())
            .prop_map(|(s, d)| FlowRecord::ExtendedNat(ExtendedNat { src: s, dst: d })),
        proptest::collection::vec(any::<u32>(), 0..4)
            .prop_map(|s| FlowRecord::ExtendedVlanTunnel(ExtendedVlanTunnel { stack: s })),
        any::<u32>().prop_map(|v| FlowRecord::VniEgress(ExtendedVni { vni: v })),
        (
            string(12),
            mac(),
            any::<[u8; 2]>(),
            any::<[u32; 5]>(),
            any::<u64>()
        )
            .prop_map(|(s, m, pad, v, sp)| {
                FlowRecord::Ieee80211Rx(Ieee80211Rx {
                    ssid: s,
                    bssid: PaddedMac {
                        mac: m,
                        padding: pad,
                    },
                    version: v[0],
                    channel: v[1],
                    speed: sp,
                    rsni: v[2],
                    rcpi: v[3],
                    packet_duration_us: v[4],
                })
            }),
        unknown_record().prop_map(FlowRecord::Unknown),
    ]
}

fn counter_record() -> impl Strategy<Value = CounterRecord> {
    prop_oneof![
        (any::<[u32; 16]>(), any::<[u64; 3]>()).prop_map(|(v, w)| {
            CounterRecord::GenericInterface(GenericInterface {
                if_index: v[0],
                if_type: v[1],
                if_speed: w[0],
                if_direction: v[2],
                if_status: v[3],
                if_in_octets: w[1],
                if_in_ucast_pkts: v[4],
                if_in_multicast_pkts: v[5],
                if_in_broadcast_pkts: v[6],
                if_in_discards: v[7],
                if_in_errors: v[8],
                if_in_unknown_protos: v[9],
                if_out_octets: w[2],
                if_out_ucast_pkts: v[10],
                if_out_multicast_pkts: v[11],
                if_out_broadcast_pkts: v[12],
                if_out_discards: v[13],
                if_out_errors: v[14],
                if_promiscuous_mode: v[15],
            })
        }),
        (
            padded_mac(),
            padded_mac(),
            any::<u32>(),
            any::<[u8; 4]>(),
            any::<[u32; 8]>()
        )
            .prop_map(|(a, p, id, st, v)| CounterRecord::Lag(LagPortStats {
                actor_system_id: a,
                partner_system_id: p,
                attached_agg_id: id,
                actor_admin_state: st[0],
                actor_oper_state: st[1],
                partner_admin_state: st[2],
                partner_oper_state: st[3],
                lacpdus_rx: v[0],
                marker_pdus_rx: v[1],
                marker_response_pdus_rx: v[2],
                unknown_rx: v[3],
                illegal_rx: v[4],
                lacpdus_tx: v[5],
                marker_pdus_tx: v[6],
                marker_response_pdus_tx: v[7],
            })),
        string(20).prop_map(|n| CounterRecord::PortName(PortName { name: n })),
        (any::<u64>(), any::<u32>()).prop_map(|(d, p)| CounterRecord::OpenFlowPort(OpenFlowPort {
            datapath_id: d,
            port_no: p
        })),
        (
            string(20),
            any::<[u8; 16]>(),
            any::<u32>(),
            any::<u32>(),
            string(10)
        )
            .prop_map(
                |(h, u, m, o, r)| CounterRecord::HostDescription(HostDescription {
                    hostname: h,
                    uuid: u,
                    machine_type: m,
                    os_name: o,
                    os_release: r,
                })
            ),
        (any::<[u32; 17]>(), any::<Option<[u32; 3]>>()).prop_map(|(v, s)| {
            let f = |i: usize| f32::from_bits(v[i] & 0x3fff_ffff); // no NaN: PartialEq
            CounterRecord::HostCpu(HostCpu {
                base: HostCpuBase {
                    load_one: f(0),
                    load_five: f(1),
                    load_fifteen: f(2),
                    proc_run: v[3],
                    proc_total: v[4],
                    cpu_num: v[5],
                    cpu_speed: v[6],
                    uptime: v[7],
                    cpu_user: v[8],
                    cpu_nice: v[9],
                    cpu_system: v[10],
                    cpu_idle: v[11],
                    cpu_wio: v[12],
                    cpu_intr: v[13],
                    cpu_sintr: v[14],
                    interrupts: v[15],
                    contexts: v[16],
                },
                steal: s.map(|s| HostCpuSteal {
                    cpu_steal: s[0],
                    cpu_guest: s[1],
                    cpu_guest_nice: s[2],
                }),
            })
        }),
        proptest::collection::vec(
            (any::<u32>(), proptest::collection::vec(padded_mac(), 0..3)),
            0..3
        )
        .prop_map(|a| CounterRecord::HostAdapters(HostAdapters {
            adapters: a
                .into_iter()
                .map(|(i, macs)| Adapter { if_index: i, macs })
                .collect(),
        })),
        any::<[u32; 6]>().prop_map(|v| CounterRecord::OvsDp(OvsDpStats {
            n_hit: v[0],
            n_missed: v[1],
            n_lost: v[2],
            n_mask_hit: v[3],
            n_flows: v[4],
            n_masks: v[5],
        })),
        unknown_record().prop_map(CounterRecord::Unknown),
    ]
}

fn sample() -> impl Strategy<Value = Sample> {
    let flow = |compact: bool| {
        (
            any::<[u32; 4]>(),
            any::<(u32, u32)>(),
            any::<[(u32, u32); 2]>(),
            proptest::collection::vec(flow_record(), 0..5),
        )
            .prop_map(move |(v, (c, i), io, records)| {
                let (cm, im, fm, vm) = if compact {
                    (0xff, 0xff_ffff, 3, 0x3fff_ffff)
                } else {
                    (u32::MAX, u32::MAX, u32::MAX, u32::MAX)
                };
                FlowSample {
                    sequence_number: v[0],
                    source_id: DataSource {
                        class: c & cm,
                        index: i & im,
                    },
                    sampling_rate: v[1],
                    sample_pool: v[2],
                    drops: v[3],
                    input: Interface {
                        format: io[0].0 & fm,
                        value: io[0].1 & vm,
                    },
                    output: Interface {
                        format: io[1].0 & fm,
                        value: io[1].1 & vm,
                    },
                    records: records.into(),
                }
            })
    };
    let counters = |compact: bool| {
        (
            any::<u32>(),
            any::<(u32, u32)>(),
            proptest::collection::vec(counter_record(), 0..5),
        )
            .prop_map(move |(s, (c, i), records)| CountersSample {
                sequence_number: s,
                source_id: if compact {
                    DataSource {
                        class: c & 0xff,
                        index: i & 0xff_ffff,
                    }
                } else {
                    DataSource { class: c, index: i }
                },
                records: records.into(),
            })
    };
    prop_oneof![
        flow(true).prop_map(Sample::Flow),
        flow(false).prop_map(Sample::ExpandedFlow),
        counters(true).prop_map(Sample::Counters),
        counters(false).prop_map(Sample::ExpandedCounters),
        (
            any::<[u32; 6]>(),
            proptest::collection::vec(flow_record(), 0..3)
        )
            .prop_map(|(v, records)| {
                Sample::Discarded(DiscardedSample {
                    sequence_number: v[0],
                    source_id: DataSource {
                        class: v[1],
                        index: v[2],
                    },
                    drops: v[3],
                    input: v[4],
                    output: v[5],
                    reason: v[0] ^ v[5],
                    records: records.into(),
                })
            }),
        (1u32..0xf_ffff, opaque(30)).prop_map(|(e, data)| Sample::Unknown(UnknownSample {
            format: DataFormat {
                enterprise: e,
                format: 1
            },
            data
        })),
    ]
}

fn datagram() -> impl Strategy<Value = Datagram> {
    (
        address(),
        any::<[u32; 3]>(),
        proptest::collection::vec(sample(), 0..4),
    )
        .prop_map(|(a, v, samples)| Datagram {
            agent_address: a,
            sub_agent_id: v[0],
            sequence_number: v[1],
            uptime: v[2],
            samples,
        })
}

/// Every single-bit flip of every byte of every fixture, and every byte set to 0x00 and to
/// 0xff: the one-pass owned decode and the views agree on the value or on the first error,
/// and what decodes re-encodes exactly. (All 255 values of every byte agree too, but take
/// minutes in a debug build.)
#[test]
fn one_byte_mutations_of_the_fixtures_decode_as_the_views_do() {
    let mut decoded = 0usize;
    let mut refused = 0usize;
    for fx in fixtures() {
        check_exact(&fx);
        let mut bytes = fx.clone();
        for i in 0..bytes.len() {
            let b = fx[i];
            for v in (0..8).map(|k| b ^ (1 << k)).chain([0x00, 0xff]) {
                if v == b {
                    continue;
                }
                bytes[i] = v;
                let parsed = Datagram::parse(&bytes);
                assert_eq!(parsed, by_views(&bytes), "byte {i} set to {v}");
                match parsed {
                    Ok(d) => {
                        decoded += 1;
                        assert_eq!(d.to_vec().unwrap(), bytes, "byte {i} set to {v}");
                    }
                    Err(_) => refused += 1,
                }
            }
            bytes[i] = b;
        }
    }
    // Most changes land in counters and stay valid; changes to lengths, counts, formats and
    // the version are refused.
    assert!(decoded > 10_000 && refused > 1_000, "{decoded} {refused}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn owned_values_encode_and_decode_to_themselves(d in datagram()) {
        let bytes = d.to_vec().unwrap();
        prop_assert_eq!(bytes.len(), d.encoded_len());
        let view = DatagramView::parse(&bytes).unwrap();
        view.validate().unwrap();
        prop_assert_eq!(Datagram::parse(&bytes).unwrap(), d);
    }

    #[test]
    fn arbitrary_bytes_that_decode_re_encode_exactly(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        check_exact(&bytes);
    }

    #[test]
    fn mutated_fixtures_that_decode_re_encode_exactly(
        which in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let fx = fixtures();
        let mut bytes = fx[which.index(fx.len())].clone();
        for (at, v) in edits {
            let i = at.index(bytes.len());
            bytes[i] = v;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        check_exact(&bytes);
    }

    /// Known record formats with arbitrary contents, inside valid framing: whatever decodes
    /// re-encodes exactly.
    #[test]
    fn known_records_with_arbitrary_contents(
        recs in proptest::collection::vec((0usize..64, proptest::collection::vec(any::<u8>(), 0..96)), 1..6),
        counters in any::<bool>(),
    ) {
        const FLOW: &[u32] = &[1, 2, 3, 4, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 1016, 1020, 1021, 1023, 1025, 1027, 1029, 1036, 1038, 1039, 1040, 2100, 2101, 2209, 2210];
        const CTR: &[u32] = &[1, 2, 3, 4, 5, 6, 7, 1001, 1002, 1004, 1005, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010, 2100, 2101, 2102, 2103, 2104, 2203, 2207];
        let mut body = vec![];
        for (f, data) in &recs {
            let fmt = if counters { CTR[f % CTR.len()] } else { FLOW[f % FLOW.len()] };
            let mut data = data.clone();
            data.truncate(data.len() & !3);
            body.extend_from_slice(&fmt.to_be_bytes());
            body.extend_from_slice(&(data.len() as u32).to_be_bytes());
            body.extend_from_slice(&data);
        }
        let mut sample = vec![];
        sample.extend_from_slice(&1u32.to_be_bytes());
        sample.extend_from_slice(&3u32.to_be_bytes());
        if !counters {
            sample.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2]);
        }
        sample.extend_from_slice(&(recs.len() as u32).to_be_bytes());
        sample.extend_from_slice(&body);
        let mut d = vec![0, 0, 0, 5, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 1];
        d.extend_from_slice(&(if counters { 2u32 } else { 1u32 }).to_be_bytes());
        d.extend_from_slice(&(sample.len() as u32).to_be_bytes());
        d.extend_from_slice(&sample);
        check_exact(&d);
    }
}
