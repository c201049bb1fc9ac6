//! Differential tests against Wireshark's sFlow dissector (tshark 4.0):
//! - every field we decode from the Open vSwitch fixtures equals tshark's decoding;
//! - datagrams our encoder builds with every record type tshark knows, filled with distinctive
//!   values, decode in tshark to the values we set.
//!
//! tshark 4.0.17's known sFlow faults (ORACLES.md), compared around:
//! - it does not skip a counter record it does not know (OVS sends 1004, 1005, 2203, 2207;
//!   2000-2010 and 2100-2104 are unknown to it too): the fields after such a record in the
//!   same sample are garbage, so for a sample with one we compare only what comes before it
//!   (its format and length included);
//! - the sampled header is shown with its XDR padding: we expect header + padding bytes;
//! - `tcp_flags`/`tos` of the IPv4/IPv6 data records are read from the top byte of the 32-bit
//!   field: not compared (their bit fields are in IGNORED);
//! - for a record of a non-zero enterprise the format is shown as `data_format >> 24`: the
//!   encoder test uses enterprise 0 only, and `sflow.enterprise` is not compared;
//! - seen here: BGP communities are shown under the `sflow_245.dstAS` field name, an AS path
//!   segment's length has no field, and the 802.11 tx `transmissions` is shown as
//!   retransmissions (n - 1), and the LAG port state's four bytes are shown as one word (compared) with four booleans
//!   that do not reflect the bytes (not compared).
//!
//! When tshark is missing the tests skip (`sdnwire_testkit::require!`; a failure when CI=true).

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::cast_possible_truncation)] // test inputs are small
use core::fmt::Write as _;
use std::io::Write as _;
use std::process::Command;

use sdnwire_sflow::*;
use sdnwire_testkit::{require, Peer};

/// A pcap of UDP datagrams to port 6343, one per payload.
fn pcap(payloads: &[Vec<u8>]) -> Vec<u8> {
    let frames: Vec<Vec<u8>> = payloads
        .iter()
        .map(|p| {
            let mut f = vec![0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x08, 0x00];
            let total = 20 + 8 + p.len();
            f.extend_from_slice(&[
                0x45,
                0,
                (total >> 8) as u8,
                total as u8,
                0,
                0,
                0,
                0,
                64,
                17,
                0,
                0,
            ]);
            f.extend_from_slice(&[127, 0, 0, 1, 127, 0, 0, 1]);
            f.extend_from_slice(&40000u16.to_be_bytes());
            f.extend_from_slice(&6343u16.to_be_bytes());
            f.extend_from_slice(&((8 + p.len()) as u16).to_be_bytes());
            f.extend_from_slice(&[0, 0]);
            f.extend_from_slice(p);
            f
        })
        .collect();
    sdnwire_testkit::pcap::write(&frames)
}

/// Fields that we do not compare: containers, bit views of fields compared whole, the
/// enterprise (see the module doc), the combined hex forms.
const IGNORED: &[&str] = &[
    "sflow.enterprise",
    "sflow.flow_sample.output_interface",
    "sflow.flow_sample.input_interface_format",
    "sflow.lag_port.padding",
    "sflow.lag_port.actor_admin_state",
    "sflow.lag_port.actor_oper_state",
    "sflow.lag_port.partner_admin_state",
    "sflow.lag_port.partner_oper_state",
    "sflow.lag_port.reserved",
    "sflow_245.ip.tcp_flag.cwr",
    "sflow_245.ip.tcp_flag.ece",
    "sflow_245.ip.tcp_flag.urg",
    "sflow_245.ip.tcp_flag.ack",
    "sflow_245.ip.tcp_flag.psh",
    "sflow_245.ip.tcp_flag.rst",
    "sflow_245.ip.tcp_flag.syn",
    "sflow_245.ip.tcp_flag.fin",
    "sflow_245.ipv4_precedence_type",
    "sflow_245.ipv4_delay",
    "sflow_245.ipv4_throughput",
    "sflow_245.ipv4_reliability",
    "sflow_245.ipv4_cost",
    "sflow_5.extended_80211.oui",
    "sflow_5.extended_80211.suite_type",
];

/// tshark's sFlow fields, per packet, in order.
fn tshark(payloads: &[Vec<u8>]) -> Vec<Vec<(String, String)>> {
    let dir = std::env::temp_dir().join(format!(
        "sflow-tshark-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("d.pcap");
    std::fs::File::create(&file)
        .unwrap()
        .write_all(&pcap(payloads))
        .unwrap();
    let out = Command::new(sdnwire_testkit::tshark())
        .arg("-r")
        .arg(&file)
        .args(["-T", "pdml"])
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout);
    let mut packets = vec![];
    for pkt in text.split("<packet>").skip(1) {
        let mut fields = vec![];
        for line in pkt.lines() {
            let Some(rest) = line.trim_start().strip_prefix("<field name=\"") else {
                continue;
            };
            let Some((name, rest)) = rest.split_once('"') else {
                continue;
            };
            if !name.starts_with("sflow") || IGNORED.contains(&name) {
                continue;
            }
            let Some((_, show)) = rest.split_once(" show=\"") else {
                continue;
            };
            let show = show.split('"').next().unwrap_or("");
            fields.push((
                name.to_string(),
                show.replace("&quot;", "\"").replace("&amp;", "&"),
            ));
        }
        packets.push(fields);
    }
    assert_eq!(
        packets.len(),
        payloads.len(),
        "tshark: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    packets
}

/// What tshark should show for a datagram, per sample (index 0: the datagram header); a
/// `true` flag marks a sample cut after a record tshark does not know.
struct Expect {
    parts: Vec<(Vec<(String, String)>, bool)>,
}

impl Expect {
    fn push(&mut self, name: &str, v: impl ToString) {
        self.parts
            .last_mut()
            .unwrap()
            .0
            .push((name.to_string(), v.to_string()));
    }
    fn cut(&mut self) {
        self.parts.last_mut().unwrap().1 = true;
    }
}

fn hex_colons(b: &[u8]) -> String {
    let mut s = String::new();
    for (i, x) in b.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        write!(s, "{x:02x}").unwrap();
    }
    s
}

fn mac(m: sdnwire_packet::MacAddr) -> String {
    m.to_string()
}

fn addr(e: &mut Expect, a: Address, v4: &str, v6: &str) {
    match a {
        Address::V4(a) => e.push(v4, a),
        Address::V6(a) => e.push(v6, a),
        Address::Unknown => {}
    }
}

fn expect(bytes: &[u8]) -> Expect {
    let d = DatagramView::parse(bytes).unwrap();
    let mut e = Expect {
        parts: vec![(vec![], false)],
    };
    e.push("sflow_245.version", 5);
    e.push(
        "sflow_245.agenttype",
        match d.agent_address() {
            Address::V4(_) => 1,
            Address::V6(_) => 2,
            Address::Unknown => 0,
        },
    );
    addr(
        &mut e,
        d.agent_address(),
        "sflow_245.agent",
        "sflow_245.agent.v6",
    );
    e.push("sflow_245.sub_agent_id", d.sub_agent_id());
    e.push("sflow_245.sequence_number", d.sequence_number());
    e.push("sflow_245.sysuptime", d.uptime());
    e.push("sflow_245.numsamples", d.sample_count());
    for s in d.samples() {
        let s = s.unwrap();
        e.parts.push((vec![], false));
        e.push("sflow_245.sampletype", s.data_format().format);
        match s {
            SampleView::Flow(f) => {
                e.push(
                    "sflow_5.sample_length",
                    32 + f
                        .records()
                        .map(|r| 8 + record_len(&r.unwrap()))
                        .sum::<usize>(),
                );
                e.push("sflow.flow_sample.sequence_number", f.sequence_number());
                e.push("sflow.flow_sample.source_id_class", f.source_id().class);
                e.push("sflow.flow_sample.index", f.source_id().index);
                e.push("sflow.flow_sample.sampling_rate", f.sampling_rate());
                e.push("sflow.flow_sample.sample_pool", f.sample_pool());
                e.push("sflow.flow_sample.dropped_packets", f.drops());
                e.push("sflow.flow_sample.input_interface", f.input().value);
                e.push(
                    "sflow.flow_sample.output_interface_format",
                    f.output().format,
                );
                e.push("sflow.flow_sample.output_interface_value", f.output().value);
                e.push("sflow.flow_sample.flow_record", f.record_count());
                for r in f.records() {
                    if !flow_record(&mut e, r.unwrap()) {
                        e.cut();
                        break;
                    }
                }
            }
            SampleView::Counters(c) => {
                e.push(
                    "sflow_5.sample_length",
                    12 + c
                        .records()
                        .map(|r| 8 + counter_len(&r.unwrap()))
                        .sum::<usize>(),
                );
                e.push("sflow.counters_sample.sequence_number", c.sequence_number());
                e.push("sflow.counters_sample.source_id_type", c.source_id().class);
                e.push("sflow.counters_sample.source_id_index", c.source_id().index);
                e.push("sflow.counters_sample.counters_records", c.record_count());
                for r in c.records() {
                    if !counter_record(&mut e, r.unwrap()) {
                        e.cut();
                        break;
                    }
                }
            }
            other => panic!("not in these tests: {other:?}"),
        }
    }
    e
}

fn record_len(r: &FlowRecordView<'_>) -> usize {
    r.decode().unwrap().encoded_len() - 8
}
fn counter_len(r: &CounterRecordView<'_>) -> usize {
    r.decode().unwrap().encoded_len() - 8
}

/// Pushes what tshark shows for a flow record; false if tshark does not decode it.
fn flow_record(e: &mut Expect, r: FlowRecordView<'_>) -> bool {
    e.push("sflow_245.flow_record_format", r.data_format().format);
    e.push("sflow_5.flow_data_length", record_len(&r));
    match r {
        FlowRecordView::RawHeader(h) => {
            e.push("sflow_245.header_protocol", h.header_protocol().0);
            e.push("sflow_245.header.frame_length", h.frame_length());
            e.push("sflow_245.header.payload_stripped", h.stripped());
            e.push("sflow_245.header.sampled_header_length", h.header().len());
            // tshark shows the padding as part of the header.
            e.push(
                "sflow_245.header",
                hex_colons(&[h.header(), h.padding()].concat()),
            );
        }
        FlowRecordView::Ethernet(x) => {
            e.push("sflow_245.ethernet.length", x.length());
            e.push("sflow_245.ethernet.source_mac_address", mac(x.src_mac()));
            e.push(
                "sflow_245.ethernet.destination_mac_address",
                mac(x.dst_mac()),
            );
            e.push("sflow_245.ethernet.packet_type", x.eth_type());
        }
        FlowRecordView::Ipv4(x) => {
            e.push("sflow_245.ip.length", x.length());
            e.push("sflow.ip_protocol", x.protocol());
            e.push("sflow_245.ipv4_src", x.src_ip());
            e.push("sflow_245.ipv4_dst", x.dst_ip());
            e.push("sflow_245.ip.source_port", x.src_port());
            e.push("sflow.ip.destination_port", x.dst_port());
        }
        FlowRecordView::Ipv6(x) => {
            e.push("sflow_245.ip.length", x.length());
            e.push("sflow.ip_protocol", x.protocol());
            e.push("sflow_245.ipv6_src", x.src_ip());
            e.push("sflow_245.ipv6_dst", x.dst_ip());
            e.push("sflow_245.ip.source_port", x.src_port());
            e.push("sflow.ip.destination_port", x.dst_port());
            e.push("sflow_245.ipv6_priority", x.priority());
        }
        FlowRecordView::ExtendedSwitch(x) => {
            e.push("sflow_245.vlan.in", x.src_vlan());
            e.push("sflow_245.pri.in", x.src_priority());
            e.push("sflow_245.vlan.out", x.dst_vlan());
            e.push("sflow_245.pri.out", x.dst_priority());
        }
        FlowRecordView::ExtendedRouter(x) => {
            addr(e, x.next_hop, "sflow_245.nexthop", "sflow_245.nexthop.v6");
            e.push("sflow_245.nexthop.src_mask", x.src_mask_len);
            e.push("sflow_245.nexthop.dst_mask", x.dst_mask_len);
        }
        FlowRecordView::ExtendedGateway(x) => {
            addr(e, x.next_hop(), "sflow_245.nexthop", "sflow_245.nexthop.v6");
            e.push("sflow_245.as", x.as_number());
            e.push("sflow_245.srcAS", x.src_as());
            e.push("sflow_245.peerAS", x.src_peer_as());
            e.push("sflow_245.dstASentries", x.dst_as_path().count());
            for seg in x.dst_as_path() {
                // tshark shows no field for a segment's length.
                e.push("sflow.as_type", seg.segment_type);
                for a in seg.asns.iter() {
                    e.push("sflow_245.dstAS", a);
                }
            }
            e.push("sflow_245.communityEntries", x.communities().len());
            for c in x.communities().iter() {
                // tshark 4.0 shows communities under the dstAS field's name.
                e.push("sflow_245.dstAS", c);
            }
            e.push("sflow_245.localpref", x.local_pref());
        }
        FlowRecordView::ExtendedUser(x) => {
            e.push(
                "sflow_5.extended_user.source_character_set",
                x.src_charset(),
            );
            e.push(
                "sflow_5.extended_user.source_user_string_length",
                x.src_user().len(),
            );
            e.push(
                "sflow_5.extended_user.source_user",
                String::from_utf8_lossy(x.src_user()),
            );
            e.push(
                "sflow_5.extended_user.destination_character_set",
                x.dst_charset(),
            );
            e.push(
                "sflow_5.extended_user.destination_user_string_length",
                x.dst_user().len(),
            );
            e.push(
                "sflow_5.extended_user.destination_user",
                String::from_utf8_lossy(x.dst_user()),
            );
        }
        FlowRecordView::ExtendedUrl(x) => {
            e.push("sflow_5.extended_url.direction", x.direction());
            e.push("sflow_5.extended_url.url_length", x.url().len());
            e.push("sflow_5.extended_url.url", String::from_utf8_lossy(x.url()));
            e.push("sflow_5.extended_url.host_length", x.host().len());
            e.push(
                "sflow_5.extended_url.host",
                String::from_utf8_lossy(x.host()),
            );
        }
        FlowRecordView::ExtendedMplsTunnel(x) => {
            e.push(
                "sflow_5.extended_mpls_tunnel.name_length",
                x.tunnel_lsp_name().len(),
            );
            e.push(
                "sflow_5.extended_mpls_tunnel.tunnel_name",
                String::from_utf8_lossy(x.tunnel_lsp_name()),
            );
            e.push("sflow_5.extended_mpls_tunnel.id", x.tunnel_id());
            e.push("sflow_5.extended_mpls_tunnel.cos_value", x.tunnel_cos());
        }
        FlowRecordView::ExtendedMplsVc(x) => {
            e.push(
                "sflow_5.extended_mpls_vc.instance_name_length",
                x.vc_instance_name().len(),
            );
            e.push(
                "sflow_5.extended_mpls_vc.vc_instance_name",
                String::from_utf8_lossy(x.vc_instance_name()),
            );
            e.push("sflow_5.extended_mpls_vc.id", x.vll_vc_id());
            e.push("sflow_5.extended_mpls_vc.label_cos_value", x.vc_label_cos());
        }
        FlowRecordView::ExtendedMplsFtn(x) => {
            e.push(
                "sflow_5.extended_mpls.ftn_description_length",
                x.mpls_ftn_descr().len(),
            );
            e.push(
                "sflow_5.extended_mpls.ftn_description",
                String::from_utf8_lossy(x.mpls_ftn_descr()),
            );
            e.push("sflow_5.extended_mpls.ftn_mask", x.mpls_ftn_mask());
        }
        FlowRecordView::ExtendedMplsLdpFec(x) => {
            e.push(
                "sflow_5.extended_mpls.fec_address_prefix_length",
                x.fec_addr_prefix_length(),
            );
        }
        FlowRecordView::ExtendedVlanTunnel(x) => {
            e.push(
                "sflow_5.extended_vlan_tunnel.number_of_layers",
                x.stack().len(),
            );
            for t in x.stack().iter() {
                e.push("sflow_5.extended_vlan_tunnel.tpid_tci_pair", t);
            }
        }
        FlowRecordView::Ieee80211Rx(x) => {
            e.push(
                "sflow_5.extended_80211.rx.ssid",
                String::from_utf8_lossy(x.ssid()),
            );
            e.push("sflow_5.extended_80211.rx.bssid", mac(x.bssid()));
            e.push("sflow_5.extended_80211.rx.version", x.version());
            e.push("sflow_5.extended_80211.rx.channel", x.channel());
            e.push("sflow_5.extended_80211.rx.speed", x.speed());
            e.push("sflow_5.extended_80211.rx.rsni", x.rsni());
            e.push("sflow_5.extended_80211.rx.rcpi", x.rcpi());
            e.push(
                "sflow_5.extended_80211.rx.packet_duration",
                x.packet_duration_us(),
            );
        }
        FlowRecordView::Ieee80211Tx(x) => {
            e.push(
                "sflow_5.extended_80211.tx.ssid",
                String::from_utf8_lossy(x.ssid()),
            );
            e.push("sflow_5.extended_80211.tx.bssid", mac(x.bssid()));
            e.push("sflow_5.extended_80211.tx.version", x.version());
            // tshark shows retransmissions: transmissions - 1 (sflow_80211.txt: n > 1 means
            // n - 1 retransmissions).
            e.push(
                "sflow_5.extended_80211.tx.retransmissions",
                x.transmissions().saturating_sub(1),
            );
            e.push(
                "sflow_5.extended_80211.tx.packet_duration",
                x.packet_duration_us(),
            );
            e.push(
                "sflow_5.extended_80211.tx.retransmission_duration",
                x.retrans_duration_us(),
            );
            e.push("sflow_5.extended_80211.tx.channel", x.channel());
            e.push("sflow_5.extended_80211.tx.speed", x.speed());
            e.push("sflow_5.extended_80211.tx.power", x.power_mw());
        }
        _ => return false,
    }
    true
}

/// Pushes what tshark shows for a counter record; false if tshark does not decode it.
fn counter_record(e: &mut Expect, r: CounterRecordView<'_>) -> bool {
    e.push("sflow_245.counters_record_format", r.data_format().format);
    e.push("sflow_5.flow_data_length", counter_len(&r));
    match r {
        CounterRecordView::GenericInterface(g) => {
            e.push("sflow_245.ifindex", g.if_index());
            e.push("sflow_245.iftype", g.if_type());
            e.push("sflow_245.ifspeed", g.if_speed());
            e.push("sflow_245.ifdirection", g.if_direction());
            e.push("sflow_245.ifadmin_status", g.if_status() & 1);
            e.push("sflow_245.ifoper_status", (g.if_status() >> 1) & 1);
            e.push("sflow_245.ifinoct", g.if_in_octets());
            e.push("sflow_245.ifinpkt", g.if_in_ucast_pkts());
            e.push("sflow_245.ifinmcast", g.if_in_multicast_pkts());
            e.push("sflow_245.ifinbcast", g.if_in_broadcast_pkts());
            e.push("sflow_245.ifindisc", g.if_in_discards());
            e.push("sflow_245.ifinerr", g.if_in_errors());
            e.push("sflow_245.ifinunk", g.if_in_unknown_protos());
            e.push("sflow_245.ifoutoct", g.if_out_octets());
            e.push("sflow_245.ifoutpkt", g.if_out_ucast_pkts());
            e.push("sflow_245.ifoutmcast", g.if_out_multicast_pkts());
            e.push("sflow_245.ifoutbcast", g.if_out_broadcast_pkts());
            e.push("sflow_245.ifoutdisc", g.if_out_discards());
            e.push("sflow_245.ifouterr", g.if_out_errors());
            e.push("sflow_245.ifpromisc", g.if_promiscuous_mode());
        }
        CounterRecordView::Ethernet(x) => {
            let v = x.decode();
            for (n, val) in [
                ("AlignmentErrors", v.dot3_stats_alignment_errors),
                ("FCSErrors", v.dot3_stats_fcs_errors),
                (
                    "SingleCollisionFrames",
                    v.dot3_stats_single_collision_frames,
                ),
                (
                    "MultipleCollisionFrames",
                    v.dot3_stats_multiple_collision_frames,
                ),
                ("SQETestErrors", v.dot3_stats_sqe_test_errors),
                ("DeferredTransmissions", v.dot3_stats_deferred_transmissions),
                ("LateCollisions", v.dot3_stats_late_collisions),
                ("ExcessiveCollisions", v.dot3_stats_excessive_collisions),
                (
                    "InternalMacTransmitErrors",
                    v.dot3_stats_internal_mac_transmit_errors,
                ),
                ("CarrierSenseErrors", v.dot3_stats_carrier_sense_errors),
                ("FrameTooLongs", v.dot3_stats_frame_too_longs),
                (
                    "InternalMacReceiveErrors",
                    v.dot3_stats_internal_mac_receive_errors,
                ),
                ("SymbolErrors", v.dot3_stats_symbol_errors),
            ] {
                e.push(&format!("sflow_245.dot3Stats{n}"), val);
            }
        }
        CounterRecordView::Vlan(x) => {
            e.push("sflow_245.vlan_id", x.vlan_id());
            e.push("sflow_245.octets", x.octets());
            e.push("sflow_245.ucastPkts", x.ucast_pkts());
            e.push("sflow_245.multicastPkts", x.multicast_pkts());
            e.push("sflow_245.broadcastPkts", x.broadcast_pkts());
            e.push("sflow_245.discards", x.discards());
        }
        CounterRecordView::Processor(x) => {
            e.push("sflow_5.cpu_5s", x.five_sec_cpu());
            e.push("sflow_5.cpu_1m", x.one_min_cpu());
            e.push("sflow_5.cpu_5m", x.five_min_cpu());
            e.push("sflow_5.total_memory", x.total_memory());
            e.push("sflow_5.free_memory", x.free_memory());
        }
        CounterRecordView::Radio(x) => {
            e.push("sflow_5.elapsed_time", x.elapsed_time());
            e.push("sflow_5.on_channel_time", x.on_channel_time());
            e.push("sflow_5.channel_busy_time", x.on_channel_busy_time());
        }
        CounterRecordView::Lag(x) => {
            e.push("sflow.lag_port.actor_system_id", mac(x.actor_system_id()));
            e.push(
                "sflow.lag_port.partner_oper_system_id",
                mac(x.partner_system_id()),
            );
            e.push("sflow.lag_port.attached_agg_id", x.attached_agg_id());
            // tshark 4.0 reads the four state bytes as one 32-bit word (compared whole); its
            // four per-state booleans do not show the bytes' values (IGNORED).
            let word = u32::from_be_bytes([
                x.actor_admin_state(),
                x.actor_oper_state(),
                x.partner_admin_state(),
                x.partner_oper_state(),
            ]);
            e.push("sflow.lag_port.state", format!("0x{word:08x}"));
            e.push("sflow.lag_port.lacpdus.rx", x.lacpdus_rx());
            e.push("sflow.lag_port.marker_pdus.rx", x.marker_pdus_rx());
            e.push(
                "sflow.lag_port.marker_response_pdus.rx",
                x.marker_response_pdus_rx(),
            );
            e.push("sflow.lag_port.unknown.rx", x.unknown_rx());
            e.push("sflow.lag_port.illegal.rx", x.illegal_rx());
            e.push("sflow.lag_port.lacpdus.tx", x.lacpdus_tx());
            e.push("sflow.lag_port.marker_pdus.tx", x.marker_pdus_tx());
            e.push(
                "sflow.lag_port.marker_response_pdus.tx",
                x.marker_response_pdus_tx(),
            );
        }
        _ => return false,
    }
    true
}

/// Compares tshark's fields with ours, sample by sample.
fn compare(name: &str, ours: &Expect, theirs: &[(String, String)]) -> usize {
    // Split tshark's list at each sample type.
    let mut parts: Vec<Vec<(String, String)>> = vec![vec![]];
    for f in theirs {
        if f.0 == "sflow_245.sampletype" {
            parts.push(vec![]);
        }
        parts.last_mut().unwrap().push(f.clone());
    }
    assert_eq!(parts.len(), ours.parts.len(), "{name}: sample count");
    let mut compared = 0;
    for (i, ((want, cut), got)) in ours.parts.iter().zip(&parts).enumerate() {
        let got = if *cut {
            &got[..want.len().min(got.len())]
        } else {
            &got[..]
        };
        for (j, (w, g)) in want.iter().zip(got).enumerate() {
            assert_eq!(
                w, g,
                "{name}: sample {i} field {j}\n ours:   {want:?}\n tshark: {got:?}"
            );
        }
        assert_eq!(
            want.len(),
            got.len(),
            "{name}: sample {i}\n ours:   {want:?}\n tshark: {got:?}"
        );
        compared += want.len();
    }
    compared
}

#[test]
fn ovs_fixtures_decode_as_tshark_decodes_them() {
    require!(Peer::Tshark);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    files.sort();
    let payloads: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let theirs = tshark(&payloads);
    let mut total = 0;
    for ((f, p), t) in files.iter().zip(&payloads).zip(&theirs) {
        total += compare(&f.display().to_string(), &expect(p), t);
    }
    assert!(total > 500, "compared {total} fields");
}

/// A datagram with every record type tshark decodes, each field a distinctive value.
fn every_record() -> Vec<Datagram> {
    let mac = |x: u8| sdnwire_packet::MacAddr::new(0x02, x, x, x, x, x);
    let flow = FlowSample {
        sequence_number: 7001,
        source_id: DataSource {
            class: 0,
            index: 17,
        },
        sampling_rate: 4096,
        sample_pool: 987_654,
        drops: 3,
        input: Interface::if_index(17),
        output: Interface {
            format: 0,
            value: 23,
        },
        records: vec![
            FlowRecord::RawHeader(RawPacketHeader {
                header_protocol: HeaderProtocol::ETHERNET,
                frame_length: 1518,
                stripped: 4,
                header: (0..61u8).collect::<Vec<_>>().into(),
            }),
            FlowRecord::Ethernet(EthernetFrame {
                length: 1514,
                src_mac: mac(1).into(),
                dst_mac: mac(2).into(),
                eth_type: 0x0800,
            }),
            FlowRecord::Ipv4(Ipv4Data {
                length: 1500,
                protocol: 6,
                src_ip: "192.0.2.10".parse().unwrap(),
                dst_ip: "198.51.100.20".parse().unwrap(),
                src_port: 43210,
                dst_port: 443,
                tcp_flags: 0x12,
                tos: 0x28,
            }),
            FlowRecord::Ipv6(Ipv6Data {
                length: 1280,
                protocol: 17,
                src_ip: "2001:db8::1".parse().unwrap(),
                dst_ip: "2001:db8::2".parse().unwrap(),
                src_port: 5353,
                dst_port: 53,
                tcp_flags: 0,
                priority: 5,
            }),
            FlowRecord::ExtendedSwitch(ExtendedSwitch {
                src_vlan: 100,
                src_priority: 3,
                dst_vlan: 200,
                dst_priority: 5,
            }),
            FlowRecord::ExtendedRouter(ExtendedRouter {
                next_hop: Address::V4("203.0.113.1".parse().unwrap()),
                src_mask_len: 24,
                dst_mask_len: 16,
            }),
            FlowRecord::ExtendedRouter(ExtendedRouter {
                next_hop: Address::V6("2001:db8::fe".parse().unwrap()),
                src_mask_len: 64,
                dst_mask_len: 48,
            }),
            FlowRecord::ExtendedGateway(ExtendedGateway {
                next_hop: Address::V4("203.0.113.2".parse().unwrap()),
                as_number: 65001,
                src_as: 65002,
                src_peer_as: 65003,
                dst_as_path: vec![AsPathSegment {
                    segment_type: 2,
                    asns: vec![65010, 65011, 65012],
                }],
                communities: vec![0xfde8_0001, 0xfde8_0002],
                local_pref: 150,
            }),
            FlowRecord::ExtendedUser(ExtendedUser {
                src_charset: 106,
                src_user: "alice".into(),
                dst_charset: 106,
                dst_user: "bob1".into(),
            }),
            FlowRecord::ExtendedUrl(ExtendedUrl {
                direction: 2,
                url: "/index.html".into(),
                host: "example.org".into(),
            }),
            FlowRecord::ExtendedMplsTunnel(ExtendedMplsTunnel {
                tunnel_lsp_name: "lsp-a".into(),
                tunnel_id: 77,
                tunnel_cos: 5,
            }),
            FlowRecord::ExtendedMplsVc(ExtendedMplsVc {
                vc_instance_name: "vc9".into(),
                vll_vc_id: 909,
                vc_label_cos: 2,
            }),
            FlowRecord::ExtendedMplsFtn(ExtendedMplsFtn {
                mpls_ftn_descr: "ftn".into(),
                mpls_ftn_mask: 0xffff_ff00,
            }),
            FlowRecord::ExtendedMplsLdpFec(ExtendedMplsLdpFec {
                fec_addr_prefix_length: 22,
            }),
            FlowRecord::ExtendedVlanTunnel(ExtendedVlanTunnel {
                stack: vec![0x8100_0064, 0x88a8_00c8],
            }),
            FlowRecord::Ieee80211Rx(Ieee80211Rx {
                ssid: "lab-net".into(),
                bssid: mac(9).into(),
                version: 4,
                channel: 36,
                speed: 300_000_000,
                rsni: 40,
                rcpi: 120,
                packet_duration_us: 250,
            }),
            FlowRecord::Ieee80211Tx(Ieee80211Tx {
                ssid: "lab".into(),
                bssid: mac(10).into(),
                version: 3,
                transmissions: 2,
                packet_duration_us: 300,
                retrans_duration_us: 150,
                channel: 11,
                speed: 54_000_000,
                power_mw: 100,
            }),
        ]
        .into(),
    };
    let counters = CountersSample {
        sequence_number: 8001,
        source_id: DataSource {
            class: 0,
            index: 17,
        },
        records: vec![
            CounterRecord::GenericInterface(GenericInterface {
                if_index: 17,
                if_type: 6,
                if_speed: 25_000_000_000,
                if_direction: 1,
                if_status: 1, // admin up, oper down: tells the bits apart
                if_in_octets: 0x1_0000_0001,
                if_in_ucast_pkts: 11,
                if_in_multicast_pkts: 12,
                if_in_broadcast_pkts: 13,
                if_in_discards: 14,
                if_in_errors: 15,
                if_in_unknown_protos: 16,
                if_out_octets: 0x2_0000_0002,
                if_out_ucast_pkts: 21,
                if_out_multicast_pkts: 22,
                if_out_broadcast_pkts: 23,
                if_out_discards: 24,
                if_out_errors: 25,
                if_promiscuous_mode: 2,
            }),
            CounterRecord::Ethernet(EthernetCounters {
                dot3_stats_alignment_errors: 101,
                dot3_stats_fcs_errors: 102,
                dot3_stats_single_collision_frames: 103,
                dot3_stats_multiple_collision_frames: 104,
                dot3_stats_sqe_test_errors: 105,
                dot3_stats_deferred_transmissions: 106,
                dot3_stats_late_collisions: 107,
                dot3_stats_excessive_collisions: 108,
                dot3_stats_internal_mac_transmit_errors: 109,
                dot3_stats_carrier_sense_errors: 110,
                dot3_stats_frame_too_longs: 111,
                dot3_stats_internal_mac_receive_errors: 112,
                dot3_stats_symbol_errors: 113,
            }),
            CounterRecord::Vlan(VlanCounters {
                vlan_id: 300,
                octets: 123_456_789_012,
                ucast_pkts: 31,
                multicast_pkts: 32,
                broadcast_pkts: 33,
                discards: 34,
            }),
            CounterRecord::Processor(Processor {
                five_sec_cpu: 41,
                one_min_cpu: 42,
                five_min_cpu: 43,
                total_memory: 1 << 34,
                free_memory: 1 << 30,
            }),
            CounterRecord::Radio(RadioUtilization {
                elapsed_time: 1000,
                on_channel_time: 900,
                on_channel_busy_time: 450,
            }),
            CounterRecord::Lag(LagPortStats {
                actor_system_id: mac(3).into(),
                partner_system_id: mac(4).into(),
                attached_agg_id: 5,
                actor_admin_state: 0x04,
                actor_oper_state: 0x3d,
                partner_admin_state: 0x02,
                partner_oper_state: 0x35,
                lacpdus_rx: 51,
                marker_pdus_rx: 52,
                marker_response_pdus_rx: 53,
                unknown_rx: 54,
                illegal_rx: 55,
                lacpdus_tx: 56,
                marker_pdus_tx: 57,
                marker_response_pdus_tx: 58,
            }),
        ]
        .into(),
    };
    let base = Datagram {
        agent_address: Address::V4("192.0.2.99".parse().unwrap()),
        sub_agent_id: 3,
        sequence_number: 4242,
        uptime: 3_600_000,
        samples: vec![Sample::Flow(flow), Sample::Counters(counters)],
    };
    let mut v6 = base.clone();
    v6.agent_address = Address::V6("2001:db8::99".parse().unwrap());
    vec![base, v6]
}

#[test]
fn datagrams_we_build_decode_in_tshark_to_the_values_we_set() {
    require!(Peer::Tshark);
    let dgrams = every_record();
    let payloads: Vec<Vec<u8>> = dgrams.iter().map(|d| d.to_vec().unwrap()).collect();
    for (d, p) in dgrams.iter().zip(&payloads) {
        assert_eq!(&Datagram::parse(p).unwrap(), d);
    }
    let theirs = tshark(&payloads);
    for (i, (p, t)) in payloads.iter().zip(&theirs).enumerate() {
        let ours = expect(p);
        assert!(
            ours.parts.iter().all(|(_, cut)| !cut),
            "every record is one tshark knows"
        );
        let n = compare(&format!("built datagram {i}"), &ours, t);
        assert!(n > 200, "compared {n}");
    }
}
