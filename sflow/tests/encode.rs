//! `Encode` on every owned type: exactly `encoded_len()` bytes, a short buffer is
//! `ShortBuffer` (never a panic), a value past its field's range on the wire is `Unencodable`
//! (never cut), `encode_append` leaves the vector as it was on an error; `Display` prints
//! sflowtool's text and a view prints what its decoded value prints; every owned type has serde.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

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

/// Every buffer shorter than `encoded_len()` is `ShortBuffer` with the right sizes; the exact
/// length and a longer buffer give `encoded_len()` bytes and leave the rest untouched;
/// `to_vec` and `encode_append` agree.
fn check_all_lengths<T: Encode<Error = Error>>(v: &T) {
    let n = v.encoded_len();
    for short in 0..n {
        let mut buf = vec![0u8; short];
        let e = v.encode(&mut buf).unwrap_err();
        assert_eq!(
            e,
            Error::ShortBuffer {
                needed: n,
                available: short
            }
        );
        assert_eq!(e.kind(), ErrorKind::ShortBuffer);
        assert_eq!(e.offset(), None);
    }
    let mut buf = vec![0xa5u8; n + 7];
    assert_eq!(v.encode(&mut buf).unwrap(), n);
    assert!(buf[n..].iter().all(|b| *b == 0xa5));
    let bytes = v.to_vec().unwrap();
    assert_eq!(bytes, buf[..n]);
    let mut out = vec![1, 2, 3];
    assert_eq!(v.encode_append(&mut out).unwrap(), n);
    assert_eq!(out[..3], [1, 2, 3]);
    assert_eq!(out[3..], bytes[..]);
}

/// `err` is `Unencodable` for `field` with `value`.
fn unencodable(err: Error, field: &str, value: u64) {
    assert_eq!(err.kind(), ErrorKind::Unencodable, "{err}");
    assert_eq!(err.field(), Some(field), "{err}");
    assert_eq!(err.value(), Some(value), "{err}");
    assert_eq!(err.offset(), None);
}

fn every_flow_record() -> Vec<FlowRecord> {
    vec![
        FlowRecord::RawHeader(RawPacketHeader::default()),
        FlowRecord::Ethernet(EthernetFrame::default()),
        FlowRecord::Ipv4(Ipv4Data::default()),
        FlowRecord::Ipv6(Ipv6Data::default()),
        FlowRecord::ExtendedSwitch(ExtendedSwitch::default()),
        FlowRecord::ExtendedRouter(ExtendedRouter::default()),
        FlowRecord::ExtendedGateway(ExtendedGateway::default()),
        FlowRecord::ExtendedUser(ExtendedUser::default()),
        FlowRecord::ExtendedUrl(ExtendedUrl::default()),
        FlowRecord::ExtendedMpls(ExtendedMpls::default()),
        FlowRecord::ExtendedNat(ExtendedNat::default()),
        FlowRecord::ExtendedMplsTunnel(ExtendedMplsTunnel::default()),
        FlowRecord::ExtendedMplsVc(ExtendedMplsVc::default()),
        FlowRecord::ExtendedMplsFtn(ExtendedMplsFtn::default()),
        FlowRecord::ExtendedMplsLdpFec(ExtendedMplsLdpFec::default()),
        FlowRecord::ExtendedVlanTunnel(ExtendedVlanTunnel::default()),
        FlowRecord::Ieee80211Payload(Ieee80211Payload::default()),
        FlowRecord::Ieee80211Rx(Ieee80211Rx::default()),
        FlowRecord::Ieee80211Tx(Ieee80211Tx::default()),
        FlowRecord::Ieee80211Aggregation(Ieee80211Aggregation::default()),
        FlowRecord::ExtendedNatPort(ExtendedNatPort::default()),
        FlowRecord::L2TunnelEgress(EthernetFrame::default()),
        FlowRecord::L2TunnelIngress(EthernetFrame::default()),
        FlowRecord::Ipv4TunnelEgress(Ipv4Data::default()),
        FlowRecord::Ipv4TunnelIngress(Ipv4Data::default()),
        FlowRecord::Ipv6TunnelEgress(Ipv6Data::default()),
        FlowRecord::Ipv6TunnelIngress(Ipv6Data::default()),
        FlowRecord::DecapEgress(ExtendedDecap::default()),
        FlowRecord::DecapIngress(ExtendedDecap::default()),
        FlowRecord::VniEgress(ExtendedVni::default()),
        FlowRecord::VniIngress(ExtendedVni::default()),
        FlowRecord::ExtendedEgressQueue(ExtendedEgressQueue::default()),
        FlowRecord::ExtendedFunction(ExtendedFunction::default()),
        FlowRecord::ExtendedTransitDelay(ExtendedTransitDelay::default()),
        FlowRecord::ExtendedQueueDepth(ExtendedQueueDepth::default()),
        FlowRecord::ExtendedSocketIpv4(ExtendedSocketIpv4::default()),
        FlowRecord::ExtendedSocketIpv6(ExtendedSocketIpv6::default()),
        FlowRecord::ExtendedProxySocketIpv4(ExtendedSocketIpv4::default()),
        FlowRecord::ExtendedProxySocketIpv6(ExtendedSocketIpv6::default()),
        FlowRecord::ExtendedTcpInfo(ExtendedTcpInfo::default()),
        FlowRecord::ExtendedEntities(ExtendedEntities::default()),
        FlowRecord::Unknown(UnknownRecord {
            format: DataFormat {
                enterprise: 4413,
                format: 7,
            },
            data: Opaque {
                data: vec![1, 2, 3, 4, 5].into(),
                padding: [9, 8, 7],
            },
        }),
    ]
}

fn every_counter_record() -> Vec<CounterRecord> {
    vec![
        CounterRecord::GenericInterface(GenericInterface::default()),
        CounterRecord::Ethernet(EthernetCounters::default()),
        CounterRecord::TokenRing(TokenRingCounters::default()),
        CounterRecord::Vg(VgCounters::default()),
        CounterRecord::Vlan(VlanCounters::default()),
        CounterRecord::Ieee80211(Ieee80211Counters::default()),
        CounterRecord::Lag(LagPortStats::default()),
        CounterRecord::Processor(Processor::default()),
        CounterRecord::Radio(RadioUtilization::default()),
        CounterRecord::OpenFlowPort(OpenFlowPort::default()),
        CounterRecord::PortName(PortName::default()),
        CounterRecord::HostDescription(HostDescription::default()),
        CounterRecord::HostAdapters(HostAdapters::default()),
        CounterRecord::HostParent(HostParent::default()),
        CounterRecord::HostCpu(HostCpu::default()),
        CounterRecord::HostMemory(HostMemory::default()),
        CounterRecord::HostDiskIo(HostDiskIo::default()),
        CounterRecord::HostNetIo(HostNetIo::default()),
        CounterRecord::Mib2Ip(Mib2Ip::default()),
        CounterRecord::Mib2Icmp(Mib2Icmp::default()),
        CounterRecord::Mib2Tcp(Mib2Tcp::default()),
        CounterRecord::Mib2Udp(Mib2Udp::default()),
        CounterRecord::VirtNode(VirtNode::default()),
        CounterRecord::VirtCpu(VirtCpu::default()),
        CounterRecord::VirtMemory(VirtMemory::default()),
        CounterRecord::VirtDiskIo(VirtDiskIo::default()),
        CounterRecord::VirtNetIo(HostNetIo::default()),
        CounterRecord::AppResources(AppResources::default()),
        CounterRecord::OvsDp(OvsDpStats::default()),
        CounterRecord::Unknown(UnknownRecord {
            format: DataFormat {
                enterprise: 0,
                format: 10,
            },
            data: Opaque::from(&[1u8, 2][..]),
        }),
    ]
}

fn every_sample() -> Vec<Sample> {
    let flow = FlowSample {
        sequence_number: 7,
        source_id: DataSource { class: 0, index: 3 },
        sampling_rate: 400,
        sample_pool: 4000,
        drops: 1,
        input: Interface::if_index(3),
        output: Interface {
            format: 2,
            value: 5,
        },
        records: every_flow_record().into(),
    };
    let counters = CountersSample {
        sequence_number: 8,
        source_id: DataSource { class: 0, index: 3 },
        records: every_counter_record().into(),
    };
    vec![
        Sample::Flow(flow.clone()),
        Sample::Counters(counters.clone()),
        Sample::ExpandedFlow(flow.clone()),
        Sample::ExpandedCounters(counters),
        Sample::Discarded(DiscardedSample {
            sequence_number: 1,
            source_id: DataSource {
                class: 0,
                index: 1 << 30,
            },
            drops: 2,
            input: 1 << 31,
            output: 4,
            reason: 259,
            records: flow.records[..3].to_vec().into(),
        }),
        Sample::Unknown(UnknownSample {
            format: DataFormat {
                enterprise: 0,
                format: 9,
            },
            data: Opaque {
                data: vec![0xaa; 6].into(),
                padding: [0, 0, 0],
            },
        }),
    ]
}

fn every_datagram() -> Datagram {
    Datagram {
        agent_address: Address::V6("2001:db8::1".parse().unwrap()),
        sub_agent_id: 2,
        sequence_number: 3,
        uptime: 4,
        samples: every_sample(),
    }
}

#[test]
fn every_owned_type_encodes_exactly_and_refuses_a_short_buffer() {
    check_all_lengths(&AppResources::default());
    check_all_lengths(&EthernetCounters::default());
    check_all_lengths(&EthernetFrame::default());
    check_all_lengths(&ExtendedDecap::default());
    check_all_lengths(&ExtendedEgressQueue::default());
    check_all_lengths(&ExtendedEntities::default());
    check_all_lengths(&ExtendedFunction::default());
    check_all_lengths(&ExtendedGateway::default());
    check_all_lengths(&ExtendedMpls::default());
    check_all_lengths(&ExtendedMplsFtn::default());
    check_all_lengths(&ExtendedMplsLdpFec::default());
    check_all_lengths(&ExtendedMplsTunnel::default());
    check_all_lengths(&ExtendedMplsVc::default());
    check_all_lengths(&ExtendedNat::default());
    check_all_lengths(&ExtendedNatPort::default());
    check_all_lengths(&ExtendedQueueDepth::default());
    check_all_lengths(&ExtendedRouter::default());
    check_all_lengths(&ExtendedSocketIpv4::default());
    check_all_lengths(&ExtendedSocketIpv6::default());
    check_all_lengths(&ExtendedSwitch::default());
    check_all_lengths(&ExtendedTcpInfo::default());
    check_all_lengths(&ExtendedTransitDelay::default());
    check_all_lengths(&ExtendedUrl::default());
    check_all_lengths(&ExtendedUser::default());
    check_all_lengths(&ExtendedVlanTunnel::default());
    check_all_lengths(&ExtendedVni::default());
    check_all_lengths(&GenericInterface::default());
    check_all_lengths(&HostAdapters::default());
    check_all_lengths(&HostCpu::default());
    check_all_lengths(&HostDescription::default());
    check_all_lengths(&HostDiskIo::default());
    check_all_lengths(&HostMemory::default());
    check_all_lengths(&HostNetIo::default());
    check_all_lengths(&HostParent::default());
    check_all_lengths(&Ieee80211Aggregation::default());
    check_all_lengths(&Ieee80211Counters::default());
    check_all_lengths(&Ieee80211Payload::default());
    check_all_lengths(&Ieee80211Rx::default());
    check_all_lengths(&Ieee80211Tx::default());
    check_all_lengths(&Ipv4Data::default());
    check_all_lengths(&Ipv6Data::default());
    check_all_lengths(&LagPortStats::default());
    check_all_lengths(&Mib2Icmp::default());
    check_all_lengths(&Mib2Ip::default());
    check_all_lengths(&Mib2Tcp::default());
    check_all_lengths(&Mib2Udp::default());
    check_all_lengths(&OpenFlowPort::default());
    check_all_lengths(&OvsDpStats::default());
    check_all_lengths(&PortName::default());
    check_all_lengths(&Processor::default());
    check_all_lengths(&RadioUtilization::default());
    check_all_lengths(&RawPacketHeader::default());
    check_all_lengths(&TokenRingCounters::default());
    check_all_lengths(&VgCounters::default());
    check_all_lengths(&VirtCpu::default());
    check_all_lengths(&VirtDiskIo::default());
    check_all_lengths(&VirtMemory::default());
    check_all_lengths(&VirtNode::default());
    check_all_lengths(&VlanCounters::default());
    for r in every_flow_record() {
        check_all_lengths(&r);
    }
    for r in every_counter_record() {
        check_all_lengths(&r);
    }
    for s in every_sample() {
        check_all_lengths(&s);
        match &s {
            Sample::Flow(f) => {
                check_all_lengths(f);
                check_all_lengths(&Expanded(f));
            }
            Sample::Counters(c) => {
                check_all_lengths(c);
                check_all_lengths(&Expanded(c));
            }
            Sample::Discarded(d) => check_all_lengths(d),
            Sample::Unknown(u) => check_all_lengths(u),
            _ => {}
        }
    }
    check_all_lengths(&every_datagram());
    check_all_lengths(&Datagram::default());
    check_all_lengths(&UnknownRecord::default());
    check_all_lengths(&Address::V4("192.0.2.1".parse().unwrap()));
    check_all_lengths(&Address::Unknown);
    check_all_lengths(&Opaque::from(&b"abcde"[..]));
    check_all_lengths(&XdrString::from("eth0"));
    check_all_lengths(&PaddedMac::default());
    check_all_lengths(&Adapter {
        if_index: 4,
        macs: vec![PaddedMac::default(); 3],
    });
    check_all_lengths(&AsPathSegment {
        segment_type: 2,
        asns: vec![65000, 65001],
    });
    check_all_lengths(&FlowRecord::ExtendedGateway(ExtendedGateway {
        dst_as_path: vec![AsPathSegment {
            segment_type: 2,
            asns: vec![65000, 65001],
        }],
        communities: vec![1, 2],
        ..Default::default()
    }));
    check_all_lengths(&CounterRecord::HostAdapters(HostAdapters {
        adapters: vec![Adapter {
            if_index: 4,
            macs: vec![PaddedMac::default(); 2],
        }],
    }));
    for bytes in fixtures() {
        check_all_lengths(&Datagram::parse(&bytes).unwrap());
    }
}

#[test]
fn every_record_and_sample_round_trips() {
    let d = every_datagram();
    let bytes = d.to_vec().unwrap();
    assert_eq!(Datagram::parse(&bytes).unwrap(), d);
    // The expanded form of a flow sample carries what the compact one cannot.
    let big = FlowSample {
        source_id: DataSource {
            class: 1 << 8,
            index: 1 << 24,
        },
        input: Interface {
            format: 4,
            value: 1 << 30,
        },
        output: Interface::if_index(u32::MAX),
        ..Default::default()
    };
    let d = Datagram {
        samples: vec![Sample::ExpandedFlow(big)],
        ..Default::default()
    };
    assert_eq!(Datagram::parse(&d.to_vec().unwrap()).unwrap(), d);
    // The largest values the compact forms hold come back unchanged.
    let edge = FlowSample {
        source_id: DataSource {
            class: 0xff,
            index: 0xff_ffff,
        },
        input: Interface {
            format: 3,
            value: 0x3fff_ffff,
        },
        output: Interface {
            format: 1,
            value: 0x3fff_ffff,
        },
        ..Default::default()
    };
    let d = Datagram {
        samples: vec![
            Sample::Flow(edge),
            Sample::Counters(CountersSample {
                source_id: DataSource {
                    class: 0xff,
                    index: 0xff_ffff,
                },
                ..Default::default()
            }),
        ],
        ..Default::default()
    };
    assert_eq!(Datagram::parse(&d.to_vec().unwrap()).unwrap(), d);
}

#[test]
fn values_that_do_not_fit_are_unencodable_never_cut() {
    let flow = |f: &dyn Fn(&mut FlowSample)| {
        let mut s = FlowSample::default();
        f(&mut s);
        s
    };
    let cases: Vec<(FlowSample, &str, u64)> = vec![
        (flow(&|s| s.source_id.class = 256), "source id type", 256),
        (
            flow(&|s| s.source_id.index = 1 << 24),
            "source id index",
            1 << 24,
        ),
        (
            flow(&|s| s.source_id.index = u32::MAX),
            "source id index",
            u64::from(u32::MAX),
        ),
        (flow(&|s| s.input.format = 4), "input interface", 4),
        (
            flow(&|s| s.input.value = 1 << 30),
            "input interface",
            1 << 30,
        ),
        (flow(&|s| s.output.format = 7), "output interface", 7),
        (
            flow(&|s| s.output.value = u32::MAX),
            "output interface",
            u64::from(u32::MAX),
        ),
    ];
    for (s, field, value) in cases {
        unencodable(s.to_vec().unwrap_err(), field, value);
        let d = Datagram {
            samples: vec![Sample::Flow(s.clone())],
            ..Default::default()
        };
        unencodable(d.to_vec().unwrap_err(), field, value);
        let mut out = vec![7u8; 3];
        unencodable(d.encode_append(&mut out).unwrap_err(), field, value);
        assert_eq!(out, [7, 7, 7], "encode_append left bytes behind");
        // The expanded form holds them.
        let e = Datagram {
            samples: vec![Sample::ExpandedFlow(s)],
            ..Default::default()
        };
        assert_eq!(Datagram::parse(&e.to_vec().unwrap()).unwrap(), e);
    }
    for (source, field, value) in [
        (
            DataSource {
                class: 300,
                index: 1,
            },
            "source id type",
            300,
        ),
        (
            DataSource {
                class: 0,
                index: 1 << 24,
            },
            "source id index",
            1 << 24,
        ),
    ] {
        assert_eq!(source.to_compact(), None);
        let c = CountersSample {
            source_id: source,
            ..Default::default()
        };
        unencodable(c.to_vec().unwrap_err(), field, value);
        let d = Datagram {
            samples: vec![Sample::Counters(c.clone())],
            ..Default::default()
        };
        unencodable(d.to_vec().unwrap_err(), field, value);
        assert!(Expanded(&c).to_vec().is_ok());
    }
    assert_eq!(
        Interface {
            format: 4,
            value: 0
        }
        .to_compact(),
        None
    );
    assert_eq!(
        Interface {
            format: 0,
            value: 1 << 30
        }
        .to_compact(),
        None
    );
    assert_eq!(
        Interface {
            format: 3,
            value: 1
        }
        .to_compact(),
        Some(0xc000_0001)
    );

    // Enterprise (20 bits) and format (12 bits) of unknown records and samples.
    for (format, field, value) in [
        (
            DataFormat {
                enterprise: 1 << 20,
                format: 1,
            },
            "enterprise",
            1 << 20,
        ),
        (
            DataFormat {
                enterprise: 1,
                format: 4096,
            },
            "format",
            4096,
        ),
    ] {
        assert_eq!(format.to_u32(), None);
        let u = UnknownRecord {
            format,
            data: Opaque::default(),
        };
        unencodable(
            FlowRecord::Unknown(u.clone()).to_vec().unwrap_err(),
            field,
            value,
        );
        unencodable(
            CounterRecord::Unknown(u.clone()).to_vec().unwrap_err(),
            field,
            value,
        );
        let s = Sample::Unknown(UnknownSample {
            format,
            data: Opaque::default(),
        });
        unencodable(s.to_vec().unwrap_err(), field, value);
    }
    assert_eq!(
        DataFormat {
            enterprise: 0xf_ffff,
            format: 0xfff
        }
        .to_u32(),
        Some(u32::MAX)
    );

    // An aggregation inside an aggregation: the decoder refuses it, so the encoder does too.
    for inner in [
        FlowRecord::Ieee80211Aggregation(Ieee80211Aggregation::default()),
        FlowRecord::Unknown(UnknownRecord {
            format: DataFormat::standard(1016),
            data: Opaque::from(&[0u8, 0, 0, 0][..]),
        }),
    ] {
        let agg = Ieee80211Aggregation {
            pdus: vec![vec![
                FlowRecord::RawHeader(RawPacketHeader::default()),
                inner,
            ]],
        };
        unencodable(agg.to_vec().unwrap_err(), "record format", 1016);
        unencodable(
            FlowRecord::Ieee80211Aggregation(agg).to_vec().unwrap_err(),
            "record format",
            1016,
        );
    }
}

#[test]
fn errors_implement_the_codec_error_core() {
    let bytes = &fixtures()[0];
    let e = Datagram::parse(&bytes[..10]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Truncated);
    assert_eq!(e.context(), "sflow");
    assert!(e.offset().unwrap() <= 10);
    assert_eq!(
        e.clone().add_offset(100).offset(),
        Some(e.offset().unwrap() + 100)
    );
    let mut v6 = bytes.clone();
    v6[3] = 6;
    let e = Datagram::parse(&v6).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadVersion);
    assert_eq!(
        (e.field(), e.value(), e.offset()),
        (Some("datagram version"), Some(6), Some(0))
    );
    let mut extra = bytes.clone();
    extra.extend_from_slice(&[0; 4]);
    let e = Datagram::parse(&extra).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TrailingBytes, "{e}");
    assert_eq!(e.offset(), Some(bytes.len()));
    let e = <Error as CodecError>::short_buffer(10, 2);
    assert_eq!(e.kind(), ErrorKind::ShortBuffer);
    assert_eq!(
        e.add_offset(3),
        Error::ShortBuffer {
            needed: 10,
            available: 2
        }
    );
}

#[test]
fn display_is_sflowtool_text_and_views_print_what_they_decode_to() {
    let d = Datagram {
        agent_address: Address::V4("192.0.2.1".parse().unwrap()),
        sequence_number: 9,
        uptime: 60_000,
        samples: vec![
            Sample::Flow(FlowSample {
                sequence_number: 1,
                source_id: DataSource { class: 0, index: 3 },
                sampling_rate: 400,
                sample_pool: 800,
                input: Interface::if_index(3),
                output: Interface {
                    format: 1,
                    value: 2,
                },
                records: vec![FlowRecord::RawHeader(RawPacketHeader {
                    header_protocol: HeaderProtocol::ETHERNET,
                    frame_length: 64,
                    stripped: 4,
                    header: Opaque::from(&[0xffu8, 0x0a][..]),
                })]
                .into(),
                ..Default::default()
            }),
            Sample::Counters(CountersSample {
                sequence_number: 2,
                source_id: DataSource { class: 0, index: 3 },
                records: vec![CounterRecord::GenericInterface(GenericInterface {
                    if_index: 3,
                    if_in_octets: 1250,
                    ..Default::default()
                })]
                .into(),
            }),
        ],
        ..Default::default()
    };
    let text = d.to_string();
    for line in [
        "startDatagram =================================",
        "datagramVersion 5",
        "agent 192.0.2.1",
        "agentSubId 0",
        "packetSequenceNo 9",
        "sysUpTime 60000",
        "samplesInPacket 2",
        "startSample ----------------------",
        "sampleType_tag 0:1",
        "sampleType FLOWSAMPLE",
        "sampleSequenceNo 1",
        "sourceId 0:3",
        "meanSkipCount 400",
        "samplePool 800",
        "dropEvents 0",
        "inputPort 3",
        "outputPort discard=2",
        "flowBlock_tag 0:1",
        "headerProtocol 1",
        "sampledPacketSize 64",
        "strippedBytes 4",
        "headerLen 2",
        "headerBytes FF-0A",
        "endSample   ----------------------",
        "sampleType_tag 0:2",
        "sampleType COUNTERSSAMPLE",
        "counterBlock_tag 0:1",
        "ifIndex 3",
        "ifInOctets 1250",
        "endDatagram   =================================",
    ] {
        assert!(text.lines().any(|l| l == line), "no `{line}` in\n{text}");
    }
    // A view prints what its decoded value prints, down to each sample and record.
    let mut all = fixtures();
    all.push(d.to_vec().unwrap());
    all.push(every_datagram().to_vec().unwrap());
    for bytes in all {
        let view = DatagramView::parse(&bytes).unwrap();
        let owned = view.decode().unwrap();
        assert_eq!(view.to_string(), owned.to_string());
        for (sv, s) in view.samples().zip(&owned.samples) {
            let sv = sv.unwrap();
            assert_eq!(sv.to_string(), s.to_string());
            match (sv, s) {
                (SampleView::Flow(v), Sample::Flow(o)) => {
                    assert_eq!(v.to_string(), o.to_string());
                    for (rv, r) in v.records().zip(&o.records) {
                        assert_eq!(rv.unwrap().to_string(), r.to_string());
                    }
                }
                (SampleView::ExpandedFlow(v), Sample::ExpandedFlow(o)) => {
                    assert_eq!(v.to_string(), Expanded(o).to_string());
                }
                (SampleView::Counters(v), Sample::Counters(o)) => {
                    assert_eq!(v.to_string(), o.to_string());
                    for (rv, r) in v.records().zip(&o.records) {
                        assert_eq!(rv.unwrap().to_string(), r.to_string());
                    }
                }
                (SampleView::ExpandedCounters(v), Sample::ExpandedCounters(o)) => {
                    assert_eq!(v.to_string(), Expanded(o).to_string());
                }
                (SampleView::Discarded(v), Sample::Discarded(o)) => {
                    assert_eq!(v.to_string(), o.to_string());
                }
                (SampleView::Unknown(v), Sample::Unknown(o)) => {
                    assert_eq!(v.to_string(), o.to_string());
                }
                (v, o) => panic!("{v:?} / {o:?}"),
            }
        }
    }
}

/// Every owned type is `Serialize + Deserialize` (compile-time), and the datagrams of every
/// kind come back from JSON (JSON does not carry padding, so values built with zero padding).
#[cfg(feature = "serde")]
#[test]
fn every_owned_type_has_serde() {
    fn has_serde<T: serde::Serialize + serde::de::DeserializeOwned>() {}
    macro_rules! all { ($($t:ty),*) => { $( has_serde::<$t>(); )* } }
    all!(
        AppResources,
        EthernetCounters,
        EthernetFrame,
        ExtendedDecap,
        ExtendedEgressQueue,
        ExtendedEntities,
        ExtendedFunction,
        ExtendedGateway,
        ExtendedMpls,
        ExtendedMplsFtn,
        ExtendedMplsLdpFec,
        ExtendedMplsTunnel,
        ExtendedMplsVc,
        ExtendedNat,
        ExtendedNatPort,
        ExtendedQueueDepth,
        ExtendedRouter,
        ExtendedSocketIpv4,
        ExtendedSocketIpv6,
        ExtendedSwitch,
        ExtendedTcpInfo,
        ExtendedTransitDelay,
        ExtendedUrl,
        ExtendedUser,
        ExtendedVlanTunnel,
        ExtendedVni,
        GenericInterface,
        HostAdapters,
        HostCpu,
        HostDescription,
        HostDiskIo,
        HostMemory,
        HostNetIo,
        HostParent,
        Ieee80211Aggregation,
        Ieee80211Counters,
        Ieee80211Payload,
        Ieee80211Rx,
        Ieee80211Tx,
        Ipv4Data,
        Ipv6Data,
        LagPortStats,
        Mib2Icmp,
        Mib2Ip,
        Mib2Tcp,
        Mib2Udp,
        OpenFlowPort,
        OvsDpStats,
        PortName,
        Processor,
        RadioUtilization,
        RawPacketHeader,
        TokenRingCounters,
        VgCounters,
        VirtCpu,
        VirtDiskIo,
        VirtMemory,
        VirtNode,
        VlanCounters,
        Datagram,
        Sample,
        FlowSample,
        CountersSample,
        DiscardedSample,
        UnknownSample,
        UnknownRecord,
        FlowRecord,
        CounterRecord,
        Address,
        Opaque,
        XdrString,
        PaddedMac,
        DataSource,
        Interface,
        DataFormat,
        HeaderProtocol,
        Adapter,
        AsPathSegment,
        HostCpuBase,
        HostCpuSteal
    );
    let d = every_datagram();
    let json = serde_json::to_string(&d).unwrap();
    let back: Datagram = serde_json::from_str(&json).unwrap();
    assert_eq!(back.to_vec().unwrap().len(), d.encoded_len());
}
