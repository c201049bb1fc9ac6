//! Negative tests (every length and padding check) and property tests.

use super::*;

// ---- negative tests -------------------------------------------------------------------

fn reply_err(body: &[u8]) -> Error {
    parse_bytes(body, MultipartReply::parse_body).unwrap_err()
}

fn request_err(body: &[u8]) -> Error {
    parse_bytes(body, MultipartRequest::parse_body).unwrap_err()
}

fn reply_body(body: MultipartReplyBody) -> Vec<u8> {
    MultipartReply::new(body).to_vec().unwrap()
}

/// The multipart header: truncated, non-zero padding.
#[test]
fn negative_header() {
    let good = MultipartRequest::desc().to_vec().unwrap();
    for n in 0..8 {
        assert!(
            matches!(request_err(&good[..n]), Error::Truncated { .. }),
            "{n}"
        );
        assert!(
            matches!(reply_err(&good[..n]), Error::Truncated { .. }),
            "{n}"
        );
    }
    for i in 4..8 {
        let mut b = good.clone();
        b[i] = 1;
        assert_eq!(request_err(&b).offset().unwrap(), 8 + i);
        assert_eq!(reply_err(&b).offset().unwrap(), 8 + i, "{i}");
    }
}

/// Request bodies: empty ones must be empty; fixed ones exactly their size, zero padding.
#[test]
fn negative_request_bodies() {
    for t in [0u16, 3, 7, 8, 11, 13] {
        let mut b = vec![0, 0, 0, 0, 0, 0, 0, 0, 0];
        b[..2].copy_from_slice(&t.to_be_bytes());
        assert_eq!(
            request_err(&b),
            Error::TrailingBytes {
                what: "ofp_multipart_request body",
                offset: 16,
                extra: 1
            },
            "{t}"
        );
    }
    for (t, pad_at) in [
        (4u16, Some(4)),
        (5, None),
        (6, Some(4)),
        (9, Some(4)),
        (10, Some(4)),
    ] {
        let mut b = vec![0u8; 16];
        b[..2].copy_from_slice(&t.to_be_bytes());
        assert!(parse_bytes(&b, MultipartRequest::parse_body).is_ok());
        assert!(
            matches!(request_err(&b[..15]), Error::Truncated { .. }),
            "{t}"
        );
        b.push(0);
        assert!(
            matches!(request_err(&b), Error::TrailingBytes { offset: 24, .. }),
            "{t}"
        );
        b.pop();
        if let Some(p) = pad_at {
            b[8 + p] = 1;
            assert_eq!(request_err(&b).offset().unwrap(), 16 + p, "{t}");
        }
    }
    // Flow stats request: every truncation, the padding, a bad match, trailing bytes.
    let good = MultipartRequest::flow_stats(Match::new().in_port(PortNo(1)), TableId(0))
        .to_vec()
        .unwrap();
    for n in 8..good.len() {
        assert!(request_err(&good[..n]).offset().unwrap() >= 16, "{n}");
    }
    for i in [9, 10, 11, 20, 21, 22, 23] {
        let mut b = good.clone();
        b[i] = 1;
        assert_eq!(request_err(&b).offset().unwrap(), 8 + i, "{i}");
    }
    let mut b = good.clone();
    b[8 + 32 + 3] = 200; // match length past the end
    assert!(matches!(
        request_err(&b),
        Error::BadLength { offset: 50, .. }
    ));
    let mut b = good.clone();
    b.extend_from_slice(&[0; 8]);
    assert!(matches!(request_err(&b), Error::TrailingBytes { .. }));
    // Table features request: an entry too short.
    let b = [0, 12, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0];
    assert!(matches!(
        request_err(&b),
        Error::BadLength {
            offset: 16,
            value: 8,
            ..
        }
    ));
}

/// Fixed reply bodies must be exactly their size.
#[test]
fn negative_fixed_replies() {
    for (body, len, pad) in [
        (MultipartReplyBody::Desc(Box::default()), DESC_LEN, None),
        (
            MultipartReplyBody::Aggregate(AggregateStats::default()),
            AGGREGATE_STATS_LEN,
            Some(20),
        ),
        (
            MultipartReplyBody::GroupFeatures(GroupFeatures::default()),
            GROUP_FEATURES_LEN,
            None,
        ),
        (
            MultipartReplyBody::MeterFeatures(MeterFeatures::default()),
            METER_FEATURES_LEN,
            Some(14),
        ),
    ] {
        let b = reply_body(body);
        assert_eq!(b.len(), 8 + len);
        assert_eq!(
            reply_err(&b[..b.len() - 1]),
            Error::Truncated {
                what: match len {
                    DESC_LEN => "ofp_desc",
                    AGGREGATE_STATS_LEN => "ofp_aggregate_stats_reply",
                    GROUP_FEATURES_LEN => "ofp_group_features",
                    _ => "ofp_meter_features",
                },
                offset: 16,
                needed: len,
                available: len - 1
            }
        );
        let mut long = b.clone();
        long.push(0);
        assert_eq!(
            reply_err(&long),
            Error::TrailingBytes {
                what: "ofp_multipart_reply body",
                offset: 16 + len,
                extra: 1
            }
        );
        if let Some(p) = pad {
            let mut bad = b.clone();
            bad[8 + p] = 1;
            assert_eq!(reply_err(&bad).offset().unwrap(), 16 + p);
        }
    }
}

/// Experimenter bodies need their two ids; the data is whatever follows.
#[test]
fn negative_experimenter() {
    let good = MultipartRequest::experimenter(1, 2, vec![])
        .to_vec()
        .unwrap();
    assert_eq!(good.len(), 16);
    for n in 8..16 {
        let e = request_err(&good[..n]);
        assert!(matches!(e, Error::Truncated { .. }), "{n}: {e}");
        let e = reply_err(&good[..n]);
        assert!(matches!(e, Error::Truncated { .. }), "{n}: {e}");
    }
    let r = parse_bytes(&good, MultipartReply::parse_body).unwrap();
    assert_eq!(
        r.body,
        MultipartReplyBody::Experimenter(ExperimenterMultipart {
            experimenter: 1,
            exp_type: 2,
            data: vec![]
        })
    );
    let v = MultipartReplyView::parse(&mut Reader::new(&good, 8)).unwrap();
    assert_eq!(
        v.experimenter().unwrap().decode().as_ref(),
        v.experimenter().unwrap()
    );
    assert!(format!("{:?}", v.flow_stats()).contains("None"));
    let table = reply_body(MultipartReplyBody::Table(vec![TableStats::default()]));
    let list = MultipartReplyView::parse(&mut Reader::new(&table, 8))
        .unwrap()
        .table_stats()
        .unwrap();
    assert_eq!(format!("{list:?}"), "Entries { offset: 16, bytes: 24 }");
    assert!(!list.is_empty());
    assert_eq!(list.as_bytes().len(), 24);
    let mut it = list.clone();
    assert!(it.next().is_some() && it.next().is_none() && it.next().is_none());
}

/// Arrays of fixed-size entries: a partial entry at the end, non-zero padding.
#[test]
fn negative_fixed_entries() {
    let bodies = [
        (
            reply_body(MultipartReplyBody::Table(vec![TableStats::default(); 2])),
            TABLE_STATS_LEN,
            vec![1usize, 2, 3],
        ),
        (
            reply_body(MultipartReplyBody::PortStats(vec![PortStats::default(); 2])),
            PORT_STATS_LEN,
            vec![4, 5, 6, 7],
        ),
        (
            reply_body(MultipartReplyBody::Queue(vec![QueueStats::default(); 2])),
            QUEUE_STATS_LEN,
            vec![],
        ),
        (
            reply_body(MultipartReplyBody::PortDesc(vec![Port::default(); 2])),
            Port::LEN,
            vec![4, 5, 6, 7, 14, 15],
        ),
    ];
    for (b, len, pads) in bodies {
        for cut in 1..len {
            let short = &b[..b.len() - cut];
            let e = reply_err(short);
            assert_eq!(
                e,
                Error::Truncated {
                    what: e_what(&e),
                    offset: 16 + len,
                    needed: len,
                    available: len - cut
                }
            );
            // The view yields the first entry, then the error, then nothing.
            let v = MultipartReplyView::parse(&mut Reader::new(short, 8)).unwrap();
            assert!(v.validate().is_err());
            assert!(v.to_string().contains("<error:"));
        }
        for p in pads {
            let mut bad = b.clone();
            bad[8 + len + p] = 1;
            assert_eq!(reply_err(&bad).offset().unwrap(), 16 + len + p);
        }
    }
}

fn e_what(e: &Error) -> &'static str {
    match e {
        Error::Truncated { what, .. } | Error::BadLength { what, .. } => what,
        _ => "",
    }
}

/// Flow statistics: every length check, the padding, the match inside the entry, broken
/// instructions (found when walking them).
#[test]
fn negative_flow_stats() {
    let f = flow(
        1,
        Match::new().in_port(PortNo(1)),
        vec![Instruction::apply_actions(vec![Action::output(PortNo(2))])],
    );
    let good = reply_body(MultipartReplyBody::Flow(vec![f.clone(), f.clone()]));
    let elen = f.encoded_len();
    assert_eq!(elen, 48 + 16 + 24);
    // The second entry's length: below 56, past the end.
    let at = 8 + elen;
    for (v, reason) in [
        (
            55u16,
            "below the 56-byte minimum (fixed part and an empty match)",
        ),
        (
            u16::try_from(elen + 8).unwrap(),
            "past the end of the multipart body",
        ),
    ] {
        let mut b = good.clone();
        b[at..at + 2].copy_from_slice(&v.to_be_bytes());
        assert_eq!(
            reply_err(&b),
            Error::BadLength {
                what: "ofp_flow_stats",
                offset: 8 + at,
                value: usize::from(v),
                reason
            }
        );
        let v = MultipartReplyView::parse(&mut Reader::new(&b, 8)).unwrap();
        let mut it = v.flow_stats().unwrap();
        assert!(it.next().unwrap().is_ok());
        assert!(it.next().unwrap().is_err());
        assert!(it.next().is_none());
    }
    // A length too short for its match (the match runs past the entry).
    let mut b = good.clone();
    b[at..at + 2].copy_from_slice(&56u16.to_be_bytes());
    assert!(matches!(
        reply_err(&b),
        Error::BadLength {
            what: "ofp_match.length",
            ..
        }
    ));
    // The entry cut short anywhere.
    for n in at + 1..good.len() {
        assert!(reply_err(&good[..n]).offset().unwrap() >= 8 + at, "{n}");
    }
    // Padding.
    for p in [3usize, 20, 21, 22, 23] {
        let mut b = good.clone();
        b[at + p] = 1;
        assert_eq!(reply_err(&b).offset().unwrap(), 8 + at + p, "{p}");
    }
    // Instructions: a bad action length, found by validate and by the owned parse.
    let mut b = good.clone();
    let act_len_at = at + 48 + 16 + 8 + 2;
    b[act_len_at + 1] = 12;
    let v = MultipartReplyView::parse(&mut Reader::new(&b, 8)).unwrap();
    assert_eq!(v.flow_stats().unwrap().count(), 2);
    assert!(v.flow_stats().unwrap().all(|f| f.is_ok()));
    let e = v.validate().unwrap_err();
    assert_eq!(e.offset().unwrap(), 8 + act_len_at);
    assert_eq!(reply_err(&b), e);
    assert!(v.to_string().contains("<error:"));
}

/// Group and meter statistics: length below 40, past the end, not 40 plus whole
/// counters; padding.
#[test]
fn negative_group_and_meter_stats() {
    let g = GroupStats {
        bucket_stats: vec![BucketCounter::default()],
        ..GroupStats::default()
    };
    let good = reply_body(MultipartReplyBody::Group(vec![g]));
    for (v, reason) in [
        (39u16, "below the 40-byte group stats"),
        (64, "past the end of the multipart body"),
        (48, "not 40 plus a whole number of 16-byte bucket counters"),
    ] {
        let mut b = good.clone();
        b[8..10].copy_from_slice(&v.to_be_bytes());
        assert_eq!(
            reply_err(&b),
            Error::BadLength {
                what: "ofp_group_stats",
                offset: 16,
                value: usize::from(v),
                reason
            }
        );
    }
    for p in [2usize, 3, 12, 13, 14, 15] {
        let mut b = good.clone();
        b[8 + p] = 1;
        assert_eq!(reply_err(&b).offset().unwrap(), 16 + p, "{p}");
    }
    let m = MeterStats {
        band_stats: vec![MeterBandStats::default()],
        ..MeterStats::default()
    };
    let good = reply_body(MultipartReplyBody::Meter(vec![m]));
    for (v, reason) in [
        (39u16, "below the 40-byte meter stats"),
        (64, "past the end of the multipart body"),
        (41, "not 40 plus a whole number of 16-byte band counters"),
    ] {
        let mut b = good.clone();
        b[12..14].copy_from_slice(&v.to_be_bytes());
        assert_eq!(
            reply_err(&b),
            Error::BadLength {
                what: "ofp_meter_stats",
                offset: 20,
                value: usize::from(v),
                reason
            }
        );
    }
    for p in 6..12 {
        let mut b = good.clone();
        b[8 + p] = 1;
        assert_eq!(reply_err(&b).offset().unwrap(), 16 + p, "{p}");
    }
    // Cut inside the length field itself.
    assert!(matches!(reply_err(&good[..13]), Error::Truncated { .. }));
}

/// Group descriptions and meter configurations: length below 8, past the end; broken
/// buckets and bands are found when walked.
#[test]
fn negative_group_desc_and_meter_config() {
    let g = GroupDesc {
        type_: GroupType::ALL,
        group_id: GroupId(1),
        buckets: vec![Bucket::new(vec![Action::output(PortNo(1))])],
    };
    let good = reply_body(MultipartReplyBody::GroupDesc(vec![g]));
    for (v, reason) in [
        (7u16, "below the 8-byte group description"),
        (100, "past the end of the multipart body"),
    ] {
        let mut b = good.clone();
        b[8..10].copy_from_slice(&v.to_be_bytes());
        assert_eq!(
            reply_err(&b),
            Error::BadLength {
                what: "ofp_group_desc",
                offset: 16,
                value: usize::from(v),
                reason
            }
        );
    }
    let mut b = good.clone();
    b[11] = 1;
    assert_eq!(reply_err(&b).offset().unwrap(), 19);
    let mut b = good.clone();
    b[17] = 15; // bucket length below 16
    let v = MultipartReplyView::parse(&mut Reader::new(&b, 8)).unwrap();
    assert!(v.group_desc().unwrap().next().unwrap().is_ok());
    assert_eq!(v.validate().unwrap_err().offset().unwrap(), 24);
    assert_eq!(reply_err(&b).offset().unwrap(), 24);

    let c = MeterConfig {
        flags: MeterFlags::KBPS,
        meter_id: MeterId(1),
        bands: vec![MeterBand::drop(1, 2)],
    };
    let good = reply_body(MultipartReplyBody::MeterConfig(vec![c]));
    for (v, reason) in [
        (7u16, "below the 8-byte meter configuration"),
        (100, "past the end of the multipart body"),
    ] {
        let mut b = good.clone();
        b[8..10].copy_from_slice(&v.to_be_bytes());
        assert_eq!(
            reply_err(&b),
            Error::BadLength {
                what: "ofp_meter_config",
                offset: 16,
                value: usize::from(v),
                reason
            }
        );
    }
    let mut b = good.clone();
    b[19] = 8; // band length below 16
    let v = MultipartReplyView::parse(&mut Reader::new(&b, 8)).unwrap();
    assert!(v.meter_config().unwrap().next().unwrap().is_ok());
    assert_eq!(v.validate().unwrap_err().offset().unwrap(), 26);
    assert_eq!(reply_err(&b).offset().unwrap(), 26);
}

#[test]
fn desc_fields() {
    let d = Desc::new(
        "Nicira, Inc.",
        "Open vSwitch",
        "3.1.0",
        "None",
        &"x".repeat(300),
    );
    assert_eq!(d.as_ref().dp().len(), 255);
    assert_eq!(d.as_ref().mfr(), "Nicira, Inc.");
    let mut raw = d.clone();
    raw.serial_num[10] = b'j'; // junk after the NUL is kept
    let b = reply_body(MultipartReplyBody::Desc(Box::new(raw.clone())));
    let v = MultipartReplyView::parse(&mut Reader::new(&b, 8)).unwrap();
    assert_eq!(v.desc().unwrap().serial(), "None");
    assert_eq!(v.desc().unwrap().decode(), raw);
    assert_eq!(v.decode().unwrap().to_vec().unwrap(), b);
    assert!(format!("{d:?}").starts_with("Desc { mfr_desc: \"Nicira, Inc.\""));
    let s: [u8; 4] = desc_str("héllo");
    assert_eq!(s, *b"h\xc3\xa9\0");
    let s: [u8; 3] = desc_str("héllo");
    assert_eq!(s, *b"h\0\0");
    let s: [u8; 0] = desc_str("x");
    assert_eq!(s, [0u8; 0]);
}

// ---- proptest -------------------------------------------------------------------------

fn arb_match() -> impl Strategy<Value = Match> {
    proptest::collection::vec(arb_oxm(), 0..4).prop_map(Match::from)
}

fn arb_instruction() -> impl Strategy<Value = Instruction> {
    let actions = || proptest::collection::vec(arb_action(), 0..3);
    prop_oneof![
        any::<u8>().prop_map(|t| Instruction::goto_table(TableId(t))),
        (any::<u64>(), any::<u64>()).prop_map(|(m, k)| Instruction::write_metadata(m, k)),
        actions().prop_map(Instruction::write_actions),
        actions().prop_map(Instruction::apply_actions),
        Just(Instruction::ClearActions),
        any::<u32>().prop_map(|m| Instruction::meter(MeterId(m))),
        (any::<u32>(), 0usize..3).prop_map(|(e, n)| Instruction::Experimenter {
            experimenter: e,
            data: vec![7; 8 * n]
        }),
    ]
}

fn arb_flow_stats() -> impl Strategy<Value = FlowStats> {
    (
        (
            any::<u8>(),
            any::<u32>(),
            any::<u32>(),
            any::<u16>(),
            any::<u16>(),
        ),
        (
            any::<u16>(),
            any::<u16>(),
            any::<u64>(),
            any::<u64>(),
            any::<u64>(),
        ),
        arb_match(),
        proptest::collection::vec(arb_instruction(), 0..3),
    )
        .prop_map(
            |((t, ds, dn, p, it), (ht, fl, c, pc, bc), m, i)| FlowStats {
                table_id: TableId(t),
                duration_sec: ds,
                duration_nsec: dn,
                priority: p,
                idle_timeout: it,
                hard_timeout: ht,
                flags: FlowModFlags(fl),
                cookie: c,
                packet_count: pc,
                byte_count: bc,
                match_: m,
                instructions: i.into(),
            },
        )
}

fn arb_u64s<const N: usize>() -> impl Strategy<Value = [u64; N]> {
    proptest::collection::vec(any::<u64>(), N).prop_map(|v| v.try_into().unwrap())
}

fn arb_port() -> impl Strategy<Value = Port> {
    (
        any::<u32>(),
        any::<[u8; 6]>(),
        any::<[u8; 16]>(),
        proptest::collection::vec(any::<u32>(), 8),
    )
        .prop_map(|(p, mac, name, v)| Port {
            port_no: PortNo(p),
            hw_addr: MacAddr(mac),
            name,
            config: PortConfig(v[0]),
            state: PortState(v[1]),
            curr: PortFeatures(v[2]),
            advertised: PortFeatures(v[3]),
            supported: PortFeatures(v[4]),
            peer: PortFeatures(v[5]),
            curr_speed: v[6],
            max_speed: v[7],
        })
}

fn arb_band() -> impl Strategy<Value = MeterBand> {
    prop_oneof![
        (any::<u32>(), any::<u32>()).prop_map(|(r, b)| MeterBand::drop(r, b)),
        (any::<u32>(), any::<u32>(), any::<u8>())
            .prop_map(|(r, b, p)| MeterBand::dscp_remark(r, b, p)),
        (any::<u32>(), any::<u32>(), any::<u32>(), 0usize..3).prop_map(|(r, b, e, n)| {
            MeterBand::Experimenter {
                rate: r,
                burst_size: b,
                experimenter: e,
                data: vec![3; 8 * n],
            }
        }),
    ]
}

fn arb_reply_body() -> impl Strategy<Value = MultipartReplyBody> {
    use MultipartReplyBody as B;
    let small = |n| 0..n;
    prop_oneof![
        proptest::collection::vec(any::<u8>(), DESC_LEN).prop_map(|v| {
            let mut d = Desc::default();
            d.mfr_desc.copy_from_slice(&v[..256]);
            d.hw_desc.copy_from_slice(&v[256..512]);
            d.sw_desc.copy_from_slice(&v[512..768]);
            d.serial_num.copy_from_slice(&v[768..800]);
            d.dp_desc.copy_from_slice(&v[800..]);
            B::Desc(Box::new(d))
        }),
        proptest::collection::vec(arb_flow_stats(), small(4)).prop_map(B::Flow),
        (any::<u64>(), any::<u64>(), any::<u32>()).prop_map(|(p, b, f)| B::Aggregate(
            AggregateStats {
                packet_count: p,
                byte_count: b,
                flow_count: f
            }
        )),
        proptest::collection::vec(
            (any::<u8>(), any::<u32>(), any::<u64>(), any::<u64>()),
            small(4)
        )
        .prop_map(|v| B::Table(
            v.into_iter()
                .map(|(t, a, l, m)| TableStats {
                    table_id: TableId(t),
                    active_count: a,
                    lookup_count: l,
                    matched_count: m
                })
                .collect()
        )),
        proptest::collection::vec((any::<u32>(), arb_u64s::<12>(), any::<u64>()), small(3))
            .prop_map(|v| B::PortStats(
                v.into_iter()
                    .map(|(p, c, d)| PortStats {
                        port_no: PortNo(p),
                        rx_packets: c[0],
                        tx_packets: c[1],
                        rx_bytes: c[2],
                        tx_bytes: c[3],
                        rx_dropped: c[4],
                        tx_dropped: c[5],
                        rx_errors: c[6],
                        tx_errors: c[7],
                        rx_frame_err: c[8],
                        rx_over_err: c[9],
                        rx_crc_err: c[10],
                        collisions: c[11],
                        duration_sec: (d >> 32) as u32,
                        duration_nsec: d as u32,
                    })
                    .collect()
            )),
        proptest::collection::vec((any::<u32>(), any::<u32>(), arb_u64s::<4>()), small(3))
            .prop_map(|v| B::Queue(
                v.into_iter()
                    .map(|(p, q, c)| QueueStats {
                        port_no: PortNo(p),
                        queue_id: q,
                        tx_bytes: c[0],
                        tx_packets: c[1],
                        tx_errors: c[2],
                        duration_sec: (c[3] >> 32) as u32,
                        duration_nsec: c[3] as u32,
                    })
                    .collect()
            )),
        proptest::collection::vec(
            (
                any::<u32>(),
                any::<u32>(),
                arb_u64s::<3>(),
                proptest::collection::vec(any::<(u64, u64)>(), small(3))
            ),
            small(3)
        )
        .prop_map(|v| B::Group(
            v.into_iter()
                .map(|(g, r, c, b)| GroupStats {
                    group_id: GroupId(g),
                    ref_count: r,
                    packet_count: c[0],
                    byte_count: c[1],
                    duration_sec: (c[2] >> 32) as u32,
                    duration_nsec: c[2] as u32,
                    bucket_stats: b
                        .into_iter()
                        .map(|(p, b)| BucketCounter {
                            packet_count: p,
                            byte_count: b
                        })
                        .collect(),
                })
                .collect()
        )),
        proptest::collection::vec(
            (
                any::<u8>(),
                any::<u32>(),
                proptest::collection::vec(
                    (
                        any::<u16>(),
                        any::<u32>(),
                        any::<u32>(),
                        proptest::collection::vec(arb_action(), small(3))
                    ),
                    small(3)
                )
            ),
            small(3)
        )
        .prop_map(|v| B::GroupDesc(
            v.into_iter()
                .map(|(t, g, b)| GroupDesc {
                    type_: GroupType(t),
                    group_id: GroupId(g),
                    buckets: b
                        .into_iter()
                        .map(|(w, p, g, a)| Bucket {
                            weight: w,
                            watch_port: PortNo(p),
                            watch_group: GroupId(g),
                            actions: a
                        })
                        .collect(),
                })
                .collect()
        )),
        (
            any::<u32>(),
            any::<u32>(),
            any::<[u32; 4]>(),
            any::<[u32; 4]>()
        )
            .prop_map(|(t, c, m, a)| B::GroupFeatures(GroupFeatures {
                types: t,
                capabilities: GroupCapabilities(c),
                max_groups: m,
                actions: a
            })),
        proptest::collection::vec(
            (
                any::<u32>(),
                any::<u32>(),
                arb_u64s::<3>(),
                proptest::collection::vec(any::<(u64, u64)>(), small(3))
            ),
            small(3)
        )
        .prop_map(|v| B::Meter(
            v.into_iter()
                .map(|(m, f, c, b)| MeterStats {
                    meter_id: MeterId(m),
                    flow_count: f,
                    packet_in_count: c[0],
                    byte_in_count: c[1],
                    duration_sec: (c[2] >> 32) as u32,
                    duration_nsec: c[2] as u32,
                    band_stats: b
                        .into_iter()
                        .map(|(p, b)| MeterBandStats {
                            packet_band_count: p,
                            byte_band_count: b
                        })
                        .collect(),
                })
                .collect()
        )),
        proptest::collection::vec(
            (
                any::<u16>(),
                any::<u32>(),
                proptest::collection::vec(arb_band(), small(3))
            ),
            small(3)
        )
        .prop_map(|v| B::MeterConfig(
            v.into_iter()
                .map(|(f, m, b)| MeterConfig {
                    flags: MeterFlags(f),
                    meter_id: MeterId(m),
                    bands: b
                })
                .collect()
        )),
        (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<u8>(),
            any::<u8>()
        )
            .prop_map(|(m, b, c, x, y)| B::MeterFeatures(MeterFeatures {
                max_meter: m,
                band_types: b,
                capabilities: c,
                max_bands: x,
                max_color: y
            })),
        proptest::collection::vec(arb_table_features(), small(3)).prop_map(B::TableFeatures),
        proptest::collection::vec(arb_port(), small(4)).prop_map(B::PortDesc),
        (
            any::<u32>(),
            any::<u32>(),
            proptest::collection::vec(any::<u8>(), small(20))
        )
            .prop_map(|(e, t, d)| B::Experimenter(ExperimenterMultipart {
                experimenter: e,
                exp_type: t,
                data: d
            })),
        (
            14u16..0xffff,
            proptest::collection::vec(any::<u8>(), small(20))
        )
            .prop_map(|(t, d)| B::Unknown {
                type_: MultipartType(t),
                data: d
            }),
    ]
}

fn arb_request_body() -> impl Strategy<Value = MultipartRequestBody> {
    use MultipartRequestBody as B;
    let flow = || {
        (
            any::<u8>(),
            any::<u32>(),
            any::<u32>(),
            any::<u64>(),
            any::<u64>(),
            arb_match(),
        )
            .prop_map(|(t, p, g, c, m, mt)| FlowStatsRequest {
                table_id: TableId(t),
                out_port: PortNo(p),
                out_group: GroupId(g),
                cookie: c,
                cookie_mask: m,
                match_: mt,
            })
    };
    prop_oneof![
        Just(B::Desc),
        flow().prop_map(B::Flow),
        flow().prop_map(B::Aggregate),
        Just(B::Table),
        any::<u32>().prop_map(|p| B::PortStats { port_no: PortNo(p) }),
        (any::<u32>(), any::<u32>()).prop_map(|(p, q)| B::Queue {
            port_no: PortNo(p),
            queue_id: q
        }),
        any::<u32>().prop_map(|g| B::Group {
            group_id: GroupId(g)
        }),
        Just(B::GroupDesc),
        Just(B::GroupFeatures),
        any::<u32>().prop_map(|m| B::Meter {
            meter_id: MeterId(m)
        }),
        any::<u32>().prop_map(|m| B::MeterConfig {
            meter_id: MeterId(m)
        }),
        Just(B::MeterFeatures),
        proptest::collection::vec(arb_table_features(), 0..3).prop_map(B::TableFeatures),
        Just(B::PortDesc),
        (
            any::<u32>(),
            any::<u32>(),
            proptest::collection::vec(any::<u8>(), 0..20)
        )
            .prop_map(|(e, t, d)| B::Experimenter(ExperimenterMultipart {
                experimenter: e,
                exp_type: t,
                data: d
            })),
        (14u16..0xffff, proptest::collection::vec(any::<u8>(), 0..20)).prop_map(|(t, d)| {
            B::Unknown {
                type_: MultipartType(t),
                data: d,
            }
        }),
    ]
}

fn mutate(b: &mut Vec<u8>, edits: &[(usize, u8)], cut: usize) {
    for &(i, v) in edits {
        let n = b.len();
        b[i % n] = v;
    }
    if cut % 3 == 0 {
        b.truncate(cut % (b.len() + 1));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn reply_round_trip(body in arb_reply_body(), flags: u16) {
        let r = MultipartReply { flags: MultipartFlags(flags), body };
        let b = r.to_vec().unwrap();
        prop_assert_eq!(b.len(), r.encoded_len());
        let back = parse_bytes(&b, MultipartReply::parse_body).unwrap();
        prop_assert_eq!(&back, &r);
        let v = MultipartReplyView::parse(&mut Reader::new(&b, 8)).unwrap();
        v.validate().unwrap();
        prop_assert_eq!(v.more(), flags & 1 != 0);
        prop_assert_eq!(v.to_string(), r.to_string());
        prop_assert_eq!(v.decode().unwrap(), r);
    }

    #[test]
    fn request_round_trip(body in arb_request_body(), flags: u16) {
        let r = MultipartRequest { flags: MultipartFlags(flags), body };
        let b = r.to_vec().unwrap();
        prop_assert_eq!(b.len(), r.encoded_len());
        prop_assert_eq!(parse_bytes(&b, MultipartRequest::parse_body).unwrap(), r);
    }

    #[test]
    fn reply_mutated(body in arb_reply_body(),
                     edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4),
                     cut: usize) {
        let mut b = MultipartReply::new(body).to_vec().unwrap();
        mutate(&mut b, &edits, cut);
        let owned = parse_bytes(&b, MultipartReply::parse_body);
        if let Ok(o) = &owned {
            prop_assert_eq!(o.to_vec().unwrap(), b.clone());
        }
        // The view accepts what the owned parse accepts, and finds the same errors.
        let mut r = Reader::new(&b, 8);
        match MultipartReplyView::parse(&mut r) {
            Ok(v) => {
                let _ = v.to_string();
                match (v.validate(), owned) {
                    (Ok(()), Ok(o)) => prop_assert_eq!(v.decode().unwrap(), o),
                    (Err(e), Err(f)) => prop_assert_eq!(e, f),
                    (a, b) => prop_assert!(false, "view {:?} owned {:?}", a, b),
                }
            }
            Err(e) => prop_assert_eq!(Err(e), owned.map(|_| ())),
        }
    }

    #[test]
    fn request_mutated(body in arb_request_body(),
                       edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4),
                       cut: usize) {
        let mut b = MultipartRequest::new(body).to_vec().unwrap();
        mutate(&mut b, &edits, cut);
        if let Ok(r) = parse_bytes(&b, MultipartRequest::parse_body) {
            prop_assert_eq!(r.to_vec().unwrap(), b);
        }
    }

    #[test]
    fn any_bytes(t in prop_oneof![0u16..14, Just(0xffff), any::<u16>()], flags: u16,
                 body in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut b = Vec::new();
        b.extend_from_slice(&t.to_be_bytes());
        b.extend_from_slice(&flags.to_be_bytes());
        b.extend_from_slice(&[0; 4]);
        b.extend_from_slice(&body);
        if let Ok(r) = parse_bytes(&b, MultipartReply::parse_body) {
            prop_assert_eq!(r.to_vec().unwrap(), b.clone());
        }
        if let Ok(r) = parse_bytes(&b, MultipartRequest::parse_body) {
            prop_assert_eq!(r.to_vec().unwrap(), b.clone());
        }
    }
}
