//! Differential test against os-ken's `os_ken.lib.xflow.sflow` (the maintained Ryu) on the Open
//! vSwitch fixtures, where it overlaps: the datagram header, flow and counters sample headers,
//! each record's enterprise/format/length, the sampled header record, extended switch and the
//! generic interface counters. os-ken decodes nothing else (no expanded samples, no other
//! records), raises on an IPv6 agent, and (ORACLES.md) swaps ifStatus's bits: its
//! `ifOperStatus` is bit 0 (which sFlow defines as ifAdminStatus) and its `ifAdminStatus` bit 1;
//! we compare with the swap undone and say so here.
//!
//! Runs `.venv/bin/python` of the workspace (or `$PEER_PYTHON`); when it or os-ken is missing
//! the test skips (`sdnwire_testkit::require!`; a failure when CI=true).

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::fmt::Write as _;
use std::process::Command;

#[allow(unused_imports)]
use sdnwire_sflow::{CodecError, Encode};
use sdnwire_sflow::{CounterRecordView, DatagramView, FlowRecordView, SampleView};
use sdnwire_testkit::{require, Peer};

const SCRIPT: &str = r#"
import ipaddress
import sys
from os_ken.lib.xflow import sflow
for path in sys.argv[1:]:
    m = sflow.sFlow.parser(open(path, 'rb').read())
    agent = m.agent_address  # os-ken gives an IPv4 agent address as an integer
    agent = ipaddress.ip_address(agent) if isinstance(agent, int) else agent
    print("D", m.version, agent, m.sub_agent_id, m.sequence_number, m.uptime, m.samples_num)
    for s in m.samples:
        print("S", s.enterprise, s.sample_format, s.sample_length)
        x = s.sample
        if s.sample_format == 1:
            print("F", x.sequence_number, x.source_id_type, x.source_id_index, x.sampling_rate,
                  x.sample_pool, x.drops, x.input_if, x.output_if, x.flow_records_num)
            for r in x.flow_records:
                print("R", r.enterprise, r.flow_data_format, r.flow_data_length)
                d = r.flow_data
                if r.flow_data_format == 1:
                    h = d.header[:d.header_size]  # a list of 1-byte bytes objects in os-ken 4.2
                    h = b"".join(h) if h and isinstance(h[0], bytes) else bytes(h)
                    print("H", d.header_protocol, d.frame_length, d.stripped, d.header_size, h.hex())
                elif r.flow_data_format == 1001:
                    print("X", d.src_vlan, d.src_priority, d.dest_vlan, d.dest_priority)
        elif s.sample_format == 2:
            print("C", x.sequence_number, x.source_id_type, x.source_id_index, x.counters_records_num)
            for r in x.counters_records:
                print("R", r.enterprise, r.counter_data_format, r.counter_data_length)
                d = r.counter_data
                if r.counter_data_format == 1:
                    print("G", d.ifIndex, d.ifType, d.ifSpeed, d.ifDirection,
                          d.ifOperStatus, d.ifAdminStatus,  # os-ken's names swapped: bit 0, bit 1
                          d.ifInOctets, d.ifInUcastPkts, d.ifInMulticastPkts, d.ifInBroadcastPkts,
                          d.ifInDiscards, d.ifInErrors, d.ifInUnknownProtos, d.ifOutOctets,
                          d.ifOutUcastPkts, d.ifOutMulticastPkts, d.ifOutBroadcastPkts,
                          d.ifOutDiscards, d.ifOutErrors, d.ifPromiscuousMode)
"#;

fn ours(bytes: &[u8]) -> String {
    let mut o = String::new();
    let d = DatagramView::parse(bytes).unwrap();
    writeln!(
        o,
        "D 5 {} {} {} {} {}",
        d.agent_address(),
        d.sub_agent_id(),
        d.sequence_number(),
        d.uptime(),
        d.sample_count()
    )
    .unwrap();
    for s in d.samples() {
        let s = s.unwrap();
        let len = match &s {
            SampleView::Flow(f) => {
                32 + f
                    .records()
                    .map(|r| 8 + r.unwrap().decode().unwrap().encoded_len() - 8)
                    .sum::<usize>()
            }
            SampleView::Counters(c) => {
                12 + c
                    .records()
                    .map(|r| r.unwrap().decode().unwrap().encoded_len())
                    .sum::<usize>()
            }
            other => panic!("not in the fixtures: {other:?}"),
        };
        writeln!(
            o,
            "S {} {} {}",
            s.data_format().enterprise,
            s.data_format().format,
            len
        )
        .unwrap();
        match s {
            SampleView::Flow(f) => {
                writeln!(
                    o,
                    "F {} {} {} {} {} {} {} {} {}",
                    f.sequence_number(),
                    f.source_id().class,
                    f.source_id().index,
                    f.sampling_rate(),
                    f.sample_pool(),
                    f.drops(),
                    f.input().to_compact().unwrap(),
                    f.output().to_compact().unwrap(),
                    f.record_count()
                )
                .unwrap();
                for r in f.records() {
                    let r = r.unwrap();
                    let len = r.decode().unwrap().encoded_len() - 8;
                    writeln!(
                        o,
                        "R {} {} {}",
                        r.data_format().enterprise,
                        r.data_format().format,
                        len
                    )
                    .unwrap();
                    match r {
                        FlowRecordView::RawHeader(h) => {
                            let hex: String =
                                h.header().iter().map(|b| format!("{b:02x}")).collect();
                            writeln!(
                                o,
                                "H {} {} {} {} {hex}",
                                h.header_protocol().0,
                                h.frame_length(),
                                h.stripped(),
                                h.header().len()
                            )
                            .unwrap();
                        }
                        FlowRecordView::ExtendedSwitch(x) => {
                            writeln!(
                                o,
                                "X {} {} {} {}",
                                x.src_vlan(),
                                x.src_priority(),
                                x.dst_vlan(),
                                x.dst_priority()
                            )
                            .unwrap();
                        }
                        _ => {}
                    }
                }
            }
            SampleView::Counters(c) => {
                writeln!(
                    o,
                    "C {} {} {} {}",
                    c.sequence_number(),
                    c.source_id().class,
                    c.source_id().index,
                    c.record_count()
                )
                .unwrap();
                for r in c.records() {
                    let r = r.unwrap();
                    let len = r.decode().unwrap().encoded_len() - 8;
                    writeln!(
                        o,
                        "R {} {} {}",
                        r.data_format().enterprise,
                        r.data_format().format,
                        len
                    )
                    .unwrap();
                    if let CounterRecordView::GenericInterface(g) = r {
                        let g = g.decode();
                        // os-ken's "ifOperStatus" is bit 0 (our admin_up), its
                        // "ifAdminStatus" bit 1 (our oper_up).
                        writeln!(
                            o,
                            "G {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {}",
                            g.if_index,
                            g.if_type,
                            g.if_speed,
                            g.if_direction,
                            u8::from(g.admin_up()),
                            u8::from(g.oper_up()),
                            g.if_in_octets,
                            g.if_in_ucast_pkts,
                            g.if_in_multicast_pkts,
                            g.if_in_broadcast_pkts,
                            g.if_in_discards,
                            g.if_in_errors,
                            g.if_in_unknown_protos,
                            g.if_out_octets,
                            g.if_out_ucast_pkts,
                            g.if_out_multicast_pkts,
                            g.if_out_broadcast_pkts,
                            g.if_out_discards,
                            g.if_out_errors,
                            g.if_promiscuous_mode
                        )
                        .unwrap();
                    }
                }
            }
            _ => unreachable!(),
        }
    }
    o
}

#[test]
fn ovs_fixtures_decode_as_os_ken_decodes_them() {
    // A missing peer (no venv, no os-ken) skips; a failing comparison script is a failure.
    require!(Peer::Python(&["os_ken.lib.xflow.sflow"]));
    let python = sdnwire_testkit::osken::python();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    files.sort();
    let out = Command::new(&python)
        .arg("-c")
        .arg(SCRIPT)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the os-ken script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs = String::from_utf8(out.stdout).unwrap();
    let ours: String = files
        .iter()
        .map(|f| ours(&std::fs::read(f).unwrap()))
        .collect();
    let generic = ours.lines().filter(|l| l.starts_with("G ")).count();
    assert!(
        generic >= 10,
        "generic interface records compared: {generic}"
    );
    for (i, (a, b)) in ours.lines().zip(theirs.lines()).enumerate() {
        assert_eq!(a, b, "line {i}");
    }
    assert_eq!(ours.lines().count(), theirs.lines().count());
}
