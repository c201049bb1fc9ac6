//! The owned values' inline storage at its edges: exactly as many records, header bytes and
//! string bytes as are kept inline, and one more, encode and decode back to the same value
//! and the same bytes (through `Datagram::parse` and through the views), with the storage each
//! size calls for.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::cast_possible_truncation)] // bytes counted from 0 on purpose

use sdnwire_sflow::*;

/// `d` encodes, decodes to itself both ways, and re-encodes to the same bytes.
fn round_trips(d: &Datagram) -> Datagram {
    let bytes = d.to_vec().unwrap();
    let owned = Datagram::parse(&bytes).unwrap();
    assert_eq!(&owned, d);
    assert_eq!(
        DatagramView::parse(&bytes).unwrap().decode().unwrap(),
        owned
    );
    assert_eq!(owned.to_vec().unwrap(), bytes);
    owned
}

fn header(len: usize) -> FlowRecord {
    FlowRecord::RawHeader(RawPacketHeader {
        header_protocol: HeaderProtocol(1),
        frame_length: 1500,
        stripped: 4,
        header: Opaque::from((0..len).map(|i| i as u8).collect::<Vec<u8>>()),
    })
}

fn port_name(len: usize) -> CounterRecord {
    CounterRecord::PortName(PortName {
        name: XdrString::from("p".repeat(len).as_str()),
    })
}

fn datagram(samples: Vec<Sample>) -> Datagram {
    Datagram {
        agent_address: Address::V4([192, 0, 2, 1].into()),
        samples,
        ..Default::default()
    }
}

#[test]
fn record_lists_round_trip_at_and_past_the_inline_room() {
    let flow_inline = FlowRecordList::INLINE;
    let counters_inline = CounterRecordList::INLINE;
    assert_eq!((flow_inline, counters_inline), (4, 5));
    for n in [
        0,
        1,
        flow_inline - 1,
        flow_inline,
        flow_inline + 1,
        2 * flow_inline + 1,
    ] {
        let records: Vec<FlowRecord> = (0..n).map(|i| header(i * 7)).collect();
        let d = datagram(vec![
            Sample::Flow(FlowSample {
                records: records.clone().into(),
                ..Default::default()
            }),
            Sample::ExpandedFlow(FlowSample {
                records: records.clone().into(),
                ..Default::default()
            }),
            Sample::Discarded(DiscardedSample {
                records: records.into(),
                ..Default::default()
            }),
        ]);
        let owned = round_trips(&d);
        for s in &owned.samples {
            let list = match s {
                Sample::Flow(f) | Sample::ExpandedFlow(f) => &f.records,
                Sample::Discarded(f) => &f.records,
                _ => unreachable!(),
            };
            assert_eq!(list.len(), n);
            assert_eq!(list.is_inline(), n <= flow_inline, "{n} flow records");
        }
    }
    for n in [
        0,
        counters_inline - 1,
        counters_inline,
        counters_inline + 1,
        13,
    ] {
        let records: Vec<CounterRecord> = (0..n).map(|i| port_name(i % 40)).collect();
        let d = datagram(vec![
            Sample::Counters(CountersSample {
                records: records.clone().into(),
                ..Default::default()
            }),
            Sample::ExpandedCounters(CountersSample {
                records: records.into(),
                ..Default::default()
            }),
        ]);
        let owned = round_trips(&d);
        for s in &owned.samples {
            let (Sample::Counters(c) | Sample::ExpandedCounters(c)) = s else {
                unreachable!()
            };
            assert_eq!(c.records.len(), n);
            assert_eq!(
                c.records.is_inline(),
                n <= counters_inline,
                "{n} counter records"
            );
        }
    }
}

#[test]
fn bytes_round_trip_at_and_past_the_inline_room() {
    let h = Opaque::INLINE;
    assert_eq!(h, 128);
    for len in [0, 1, h - 1, h, h + 1, 2 * h + 3] {
        // A sampled header, an unknown record's data and an unknown sample's data.
        let unknown = Opaque::from(vec![0x5a; len]);
        let d = datagram(vec![
            Sample::Flow(FlowSample {
                records: vec![
                    header(len),
                    FlowRecord::Unknown(UnknownRecord {
                        format: DataFormat {
                            enterprise: 4413,
                            format: 9,
                        },
                        data: unknown.clone(),
                    }),
                ]
                .into(),
                ..Default::default()
            }),
            Sample::Unknown(UnknownSample {
                format: DataFormat {
                    enterprise: 9,
                    format: 1,
                },
                data: unknown,
            }),
        ]);
        let owned = round_trips(&d);
        let Sample::Flow(f) = &owned.samples[0] else {
            unreachable!()
        };
        let (FlowRecord::RawHeader(r), FlowRecord::Unknown(u)) = (&f.records[0], &f.records[1])
        else {
            unreachable!()
        };
        assert_eq!(r.header.data.len(), len);
        assert_eq!(r.header.data.is_inline(), len <= h, "{len}-byte header");
        assert_eq!(
            u.data.data.is_inline(),
            len <= h,
            "{len}-byte unknown record"
        );
        assert_eq!(
            r.header.data,
            (0..len).map(|i| i as u8).collect::<Vec<u8>>()
        );
    }
    let s = XdrString::INLINE;
    assert_eq!(s, 32);
    for len in [0, 1, s - 1, s, s + 1, 2 * s + 1] {
        let d = datagram(vec![Sample::Counters(CountersSample {
            records: vec![port_name(len)].into(),
            ..Default::default()
        })]);
        let owned = round_trips(&d);
        let Sample::Counters(c) = &owned.samples[0] else {
            unreachable!()
        };
        let CounterRecord::PortName(p) = &c.records[0] else {
            unreachable!()
        };
        assert_eq!(p.name.data.len(), len);
        assert_eq!(p.name.data.is_inline(), len <= s, "{len}-byte string");
        assert_eq!(p.name.to_string(), "p".repeat(len));
    }
}

/// A sampled header longer than the inline room is put on the heap at its exact length, in a
/// flow sample (whose records are built in their list, the header's bytes copied in after), an
/// expanded one, and a discarded-packet sample (whose records are built aside, then pushed),
/// as the views' decode puts it: one allocation of the header's length per long header, no
/// room rounded up, nothing freed and allocated again.
#[test]
fn a_long_headers_heap_room_is_its_length_on_every_path() {
    let h = Opaque::INLINE;
    for len in [h, h + 1, 2 * h + 3, 1500] {
        let records = || -> FlowRecordList { vec![header(len)].into() };
        let d = datagram(vec![
            Sample::Flow(FlowSample {
                records: records(),
                ..Default::default()
            }),
            Sample::ExpandedFlow(FlowSample {
                records: records(),
                ..Default::default()
            }),
            Sample::Discarded(DiscardedSample {
                records: records(),
                ..Default::default()
            }),
        ]);
        let bytes = d.to_vec().unwrap();
        let mut parsed = None;
        let info = allocation_counter::measure(|| parsed = Some(Datagram::parse(&bytes).unwrap()));
        let parsed = parsed.unwrap();
        assert_eq!(parsed, d);
        let long = if len > h { 3 } else { 0 };
        assert_eq!(info.count_total, 1 + long, "{len}-byte headers: {info:?}");
        let samples = 3 * core::mem::size_of::<Sample>() as u64;
        assert_eq!(
            info.bytes_total,
            samples + long * len as u64,
            "{len}-byte headers: {info:?}"
        );
        // The views' record-by-record decode, for the same room.
        let view = DatagramView::parse(&bytes).unwrap();
        let mut by_views = vec![];
        for s in view.samples() {
            let records = match s.unwrap() {
                SampleView::Flow(f) | SampleView::ExpandedFlow(f) => f.records(),
                SampleView::Discarded(d) => d.records(),
                other => panic!("{other:?}"),
            };
            for r in records {
                by_views.push(r.unwrap().decode().unwrap());
            }
        }
        let headers = parsed.samples.iter().map(|s| match s {
            Sample::Flow(f) | Sample::ExpandedFlow(f) => &f.records[0],
            Sample::Discarded(d) => &d.records[0],
            other => panic!("{other:?}"),
        });
        assert_eq!(by_views.len(), 3);
        for (r, v) in headers.zip(&by_views) {
            let (FlowRecord::RawHeader(r), FlowRecord::RawHeader(v)) = (r, v) else {
                panic!("{r:?} / {v:?}")
            };
            assert_eq!(r.header.data.capacity(), len.max(h), "{len}-byte header");
            assert_eq!(r.header.data.capacity(), v.header.data.capacity());
            assert_eq!(r.header.data.is_inline(), len <= h);
        }
    }
}

/// Moving the items out of an inline vector allocates nothing (a `Vec`'s `into_iter` does
/// not either), from the front and from the back.
#[test]
fn consuming_an_inline_vector_allocates_nothing() {
    let records: FlowRecordList = (0..4).map(header).collect();
    assert!(records.is_inline());
    let mut out = Vec::with_capacity(4);
    let info = allocation_counter::measure(|| {
        let mut it = records.into_iter();
        assert_eq!(it.len(), 4);
        let last = it.next_back();
        out.extend(it);
        out.extend(last);
    });
    assert_eq!(info.count_total, 0, "{info:?}");
    assert_eq!(out, [header(0), header(1), header(2), header(3)]);
    let spilled: InlineVec<u8, 2> = InlineVec::from(vec![1, 2, 3]);
    assert_eq!(spilled.into_iter().rev().collect::<Vec<_>>(), [3, 2, 1]);
}

/// Slices, arrays and vectors compare with the lists on either side, as with the `Vec`s they
/// replaced.
#[test]
fn slices_and_vectors_compare_on_either_side() {
    let data = Opaque::from(&[1u8, 2, 3][..]).data;
    let bytes: &[u8] = &[1, 2, 3];
    assert!(data == *bytes && data == bytes && data == [1, 2, 3] && data == vec![1, 2, 3]);
    assert!(*bytes == data && bytes == data && vec![1u8, 2, 3] == data);
    assert!([1u8, 2, 3] == data);
    assert_eq!(&[1u8, 2, 3][..], data);
    assert_ne!(bytes[..2], data);
}

/// The memory the owned decode takes for the datagrams that make it take the most per byte:
/// as many empty samples as the bytes allow (each `Sample` is as large as a flow sample with
/// its inline records), or one sample of as many empty records. What `Datagram::parse`
/// documents: at most `size_of::<Sample>() / 8` bytes per byte of datagram.
#[test]
fn the_owned_decode_takes_at_most_a_samples_size_per_8_bytes() {
    let per_byte = core::mem::size_of::<Sample>() / 8;
    assert!(
        core::mem::size_of::<FlowRecord>() <= core::mem::size_of::<Sample>()
            && core::mem::size_of::<CounterRecord>() <= core::mem::size_of::<Sample>()
    );
    let max = 65_507; // the largest UDP payload over IPv4
    let empty = Opaque::default();
    let unknown = |format| UnknownRecord {
        format: DataFormat {
            enterprise: 9,
            format,
        },
        data: empty.clone(),
    };
    let header_len = datagram(vec![]).to_vec().unwrap().len();
    let samples = datagram(
        (0..(max - header_len) / 8)
            .map(|_| {
                Sample::Unknown(UnknownSample {
                    format: unknown(1).format,
                    data: empty.clone(),
                })
            })
            .collect(),
    );
    let records = datagram(vec![Sample::Counters(CountersSample {
        records: (0..(max - header_len - 20) / 8)
            .map(|_| CounterRecord::Unknown(unknown(2)))
            .collect(),
        ..Default::default()
    })]);
    for d in [samples, records] {
        let bytes = d.to_vec().unwrap();
        assert!(
            bytes.len() <= max && bytes.len() > max - 8,
            "{}",
            bytes.len()
        );
        let mut owned = None;
        let info = allocation_counter::measure(|| owned = Some(Datagram::parse(&bytes).unwrap()));
        assert_eq!(owned.unwrap(), d);
        assert!(
            info.bytes_max <= (per_byte * bytes.len()) as u64,
            "{} bytes for a {}-byte datagram ({per_byte} per byte documented)",
            info.bytes_max,
            bytes.len()
        );
        eprintln!(
            "{} bytes at most for a {}-byte datagram",
            info.bytes_max,
            bytes.len()
        );
    }
}

/// JSON does not see the storage: a list serializes as the slice it holds, inline or spilled,
/// and reads back equal.
#[cfg(feature = "serde")]
#[test]
fn json_is_the_vectors_whatever_the_storage() {
    for n in [0, 4, 5, 9] {
        let records: FlowRecordList = (0..n).map(|i| header(i * 40)).collect();
        let json = serde_json::to_value(&records).unwrap();
        assert_eq!(json, serde_json::to_value(records.as_slice()).unwrap());
        assert_eq!(json.as_array().unwrap().len(), n);
        let back: FlowRecordList = serde_json::from_value(json).unwrap();
        assert_eq!(back, records);
    }
    let bytes: InlineVec<u8, 2> = InlineVec::from(vec![1, 2, 3]);
    assert_eq!(serde_json::to_string(&bytes).unwrap(), "[1,2,3]");
}
