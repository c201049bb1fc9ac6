use crate::CodecError as _;
extern crate std;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use proptest::prelude::*;
use sdnwire_packet::MacAddr;
use serde_json::Value;

use super::*;
use crate::action::test_support::*;
use crate::action::Action;
use crate::group_mod::Bucket;
use crate::port::{PortConfig, PortFeatures, PortState};
use crate::simple::testutil::{parse_bytes, reply_view};
use crate::table_features::test_support::arb_table_features;

// ---- helpers ------------------------------------------------------------------------

/// Parses a reply through the view and the owned type; checks that they agree (values and
/// Display), that the view validates, and that encoding gives the same bytes.
fn exact_reply(m: &[u8]) -> (MultipartReplyView<'_>, MultipartReply) {
    let v = reply_view(m).unwrap();
    v.validate().unwrap();
    let o = v.decode().unwrap();
    assert_eq!(o, parse_bytes(&m[8..], MultipartReply::parse_body).unwrap());
    assert_eq!(o.to_vec().unwrap(), &m[8..], "encode is not byte-identical");
    assert_eq!(o.encoded_len(), m.len() - 8);
    assert_eq!(o.to_string(), v.to_string());
    assert_eq!(o.multipart_type(), v.multipart_type());
    assert_eq!(o.more(), v.more());
    (v, o)
}

fn exact_request(m: &[u8]) -> MultipartRequest {
    assert_eq!(m[1], 18);
    let r = parse_bytes(&m[8..], MultipartRequest::parse_body).unwrap();
    assert_eq!(r.to_vec().unwrap(), &m[8..], "encode is not byte-identical");
    r
}

/// What ovs-ofctl prints on the title line after `(xid=0x..):`.
fn ovs_title_rest(printed: &str) -> &str {
    let line = printed.lines().next().unwrap();
    line.split_once("):").map_or("", |(_, r)| r.trim())
}

/// What we print on the title line after the colon.
fn our_title_rest(s: &str) -> &str {
    let line = s.lines().next().unwrap();
    line.split_once(':').map_or("", |(_, r)| r.trim())
}

fn check_match_json(m: &Match, j: &Value) {
    let j = &j["OFPMatch"];
    assert_eq!(j["type"], 1);
    assert_eq!(j["length"], m.length());
    let f = j["oxm_fields"].as_array().unwrap();
    assert_eq!(f.len(), m.fields.len());
    for (x, j) in m.fields.iter().zip(f) {
        assert_eq!(j["OXMTlv"]["field"], x.name().unwrap_or("?"));
    }
}

fn check_instruction_json(i: &Instruction, j: &Value) {
    let (name, b) = j.as_object().unwrap().iter().next().unwrap();
    assert_eq!(b["type"], i.instruction_type().0, "{name}");
    assert_eq!(b["len"], i.encoded_len(), "{name}");
    match (name.as_str(), i) {
        ("OFPInstructionGotoTable", Instruction::GotoTable(t)) => {
            assert_eq!(b["table_id"], t.0)
        }
        ("OFPInstructionWriteMetadata", Instruction::WriteMetadata { metadata, mask }) => {
            assert_eq!(b["metadata"], *metadata);
            assert_eq!(b["metadata_mask"], *mask);
        }
        ("OFPInstructionMeter", Instruction::Meter(m)) => assert_eq!(b["meter_id"], m.0),
        ("OFPInstructionActions", Instruction::ClearActions) => {
            assert_eq!(b["actions"].as_array().unwrap().len(), 0)
        }
        ("OFPInstructionActions", Instruction::WriteActions(a) | Instruction::ApplyActions(a)) => {
            let ja = b["actions"].as_array().unwrap();
            assert_eq!(ja.len(), a.len());
            for (a, j) in a.iter().zip(ja) {
                check_action_json(a, j);
            }
        }
        (n, i) => panic!("os-ken's {n} decoded as {i:?}"),
    }
}

fn body_of<'a>(json: &'a Value, key: &str) -> &'a Value {
    &json[key]["body"]
}

// ---- os-ken's corpus: requests --------------------------------------------------------

/// Every multipart request of os-ken's corpus: parsed, encoded back exactly, compared with
/// os-ken's JSON, and (where ovs-ofctl has the same notation) printed as ovs-ofctl does.
#[test]
fn os_ken_requests() {
    let cases: [(&str, &str, bool); 16] = [
        ("4-11-ofp_flow_stats_request", "OFPFlowStatsRequest", true),
        ("4-24-ofp_desc_request", "OFPDescStatsRequest", true),
        (
            "4-25-ofp_aggregate_stats_request",
            "OFPAggregateStatsRequest",
            true,
        ),
        ("4-27-ofp_table_stats_request", "OFPTableStatsRequest", true),
        ("4-29-ofp_port_stats_request", "OFPPortStatsRequest", true),
        (
            "4-31-ofp_group_features_request",
            "OFPGroupFeaturesStatsRequest",
            true,
        ),
        // OVS prints OpenFlow 1.5's group_id/port fields for these two.
        (
            "4-33-ofp_group_desc_request",
            "OFPGroupDescStatsRequest",
            false,
        ),
        ("4-37-ofp_queue_stats_request", "OFPQueueStatsRequest", true),
        (
            "4-47-ofp_meter_config_request",
            "OFPMeterConfigStatsRequest",
            true,
        ),
        ("4-49-ofp_meter_stats_request", "OFPMeterStatsRequest", true),
        (
            "4-51-ofp_meter_features_request",
            "OFPMeterFeaturesStatsRequest",
            true,
        ),
        (
            "4-53-ofp_port_desc_request",
            "OFPPortDescStatsRequest",
            false,
        ),
        (
            "4-55-ofp_table_features_request",
            "OFPTableFeaturesStatsRequest",
            false,
        ),
        ("4-57-ofp_group_stats_request", "OFPGroupStatsRequest", true),
        (
            "4-61-ofp_experimenter_request",
            "OFPExperimenterStatsRequest",
            false,
        ),
        (
            "4-63-onf_flow_monitor_request",
            "ONFFlowMonitorStatsRequest",
            false,
        ),
    ];
    for (name, key, same_text) in cases {
        let Some((m, json)) = corpus(&format!("{name}.packet")) else {
            return;
        };
        let r = exact_request(&m);
        let j = &json[key];
        if key != "ONFFlowMonitorStatsRequest" {
            assert_eq!(j["type"], r.multipart_type().0, "{name}");
        }
        assert_eq!(j["flags"], r.flags.0, "{name}");
        match &r.body {
            MultipartRequestBody::Flow(f) | MultipartRequestBody::Aggregate(f) => {
                assert_eq!(j["table_id"], f.table_id.0);
                assert_eq!(j["out_port"], f.out_port.0);
                assert_eq!(j["out_group"], f.out_group.0);
                assert_eq!(j["cookie"], f.cookie);
                assert_eq!(j["cookie_mask"], f.cookie_mask);
                check_match_json(&f.match_, &j["match"]);
            }
            MultipartRequestBody::PortStats { port_no } => {
                assert_eq!(j["port_no"], port_no.0)
            }
            MultipartRequestBody::Queue { port_no, queue_id } => {
                assert_eq!(j["port_no"], port_no.0);
                assert_eq!(j["queue_id"], *queue_id);
            }
            MultipartRequestBody::Group { group_id } => assert_eq!(j["group_id"], group_id.0),
            MultipartRequestBody::Meter { meter_id }
            | MultipartRequestBody::MeterConfig { meter_id } => {
                assert_eq!(j["meter_id"], meter_id.0)
            }
            MultipartRequestBody::TableFeatures(t) => {
                assert_eq!(t.len(), j["body"].as_array().unwrap().len())
            }
            MultipartRequestBody::Experimenter(e) if e.experimenter == 0x4f4e_4600 => {
                // ONF's flow monitor request (ONFMP_FLOW_MONITOR, 1870), kept raw: the
                // first of its two ofp_flow_monitor_requests starts the data.
                assert_eq!(e.exp_type, 1870);
                let first = &j["body"][0]["ONFFlowMonitorRequest"];
                let d = &e.data;
                assert_eq!(first["id"], u32::from_be_bytes(d[0..4].try_into().unwrap()));
                assert_eq!(first["flags"], u16::from_be_bytes([d[4], d[5]]));
                assert_eq!(first["match_len"], u16::from_be_bytes([d[6], d[7]]));
                assert_eq!(
                    first["out_port"],
                    u32::from_be_bytes(d[8..12].try_into().unwrap())
                );
                assert_eq!(first["table_id"], d[12]);
                assert_eq!(j["body"].as_array().unwrap().len(), 2);
            }
            MultipartRequestBody::Experimenter(e) => {
                assert_eq!(j["experimenter"], e.experimenter);
                assert_eq!(j["exp_type"], e.exp_type);
                assert_eq!(base64(j["data"].as_str().unwrap()), e.data);
            }
            MultipartRequestBody::Desc
            | MultipartRequestBody::Table
            | MultipartRequestBody::GroupDesc
            | MultipartRequestBody::GroupFeatures
            | MultipartRequestBody::MeterFeatures
            | MultipartRequestBody::PortDesc => {}
            other => panic!("{name}: {other:?}"),
        }
        let Some(printed) = ofp_print(&m) else {
            return;
        };
        let ours = r.to_string();
        if same_text {
            assert_eq!(our_title_rest(&ours), ovs_title_rest(&printed), "{name}");
        }
        if let Some(n) = r.multipart_type().ofctl_name() {
            if r.multipart_type() != MultipartType::EXPERIMENTER {
                assert!(printed.starts_with(&format!("{n} request")), "{printed}");
                assert!(ours.starts_with(&format!("{n} request")), "{ours}");
            }
        }
    }
}

// ---- os-ken's corpus: replies ---------------------------------------------------------

#[test]
fn os_ken_desc_reply() {
    let Some((m, json)) = corpus("4-0-ofp_desc_reply.packet") else {
        return;
    };
    let (v, o) = exact_reply(&m);
    let d = v.desc().unwrap();
    let j = &body_of(&json, "OFPDescStatsReply")["OFPDescStats"];
    assert_eq!(j["mfr_desc"], d.mfr());
    assert_eq!(j["hw_desc"], d.hw());
    assert_eq!(j["sw_desc"], d.sw());
    assert_eq!(j["serial_num"], d.serial());
    assert_eq!(j["dp_desc"], d.dp());
    assert_eq!(
        o.body,
        MultipartReplyBody::Desc(Box::new(Desc::new("mfr", "hw", "sw", "serial", "dp")))
    );
    assert_eq!(
        v.to_string(),
        "OFPST_DESC reply: Manufacturer: mfr, Hardware: hw, Software: sw, \
             Serial Num: serial, DP Description: dp"
    );
    let Some(printed) = ofp_print(&m) else {
        return;
    };
    for (k, val) in [
        ("Manufacturer", d.mfr()),
        ("Hardware", d.hw()),
        ("Software", d.sw()),
        ("Serial Num", d.serial()),
        ("DP Description", d.dp()),
    ] {
        assert!(printed.contains(&format!("{k}: {val}\n")), "{printed}");
    }
}

/// The four flow entries of os-ken's 4-12 (every action type, Nicira and other
/// experimenter actions, set-field of an ONF experimenter field), compared with os-ken's
/// JSON; the first three print exactly as ovs-ofctl prints them (OVS refuses the fourth,
/// which has two write-actions instructions).
#[test]
fn os_ken_flow_stats_reply() {
    let Some((m, json)) = corpus("4-12-ofp_flow_stats_reply.packet") else {
        return;
    };
    let (v, o) = exact_reply(&m);
    let MultipartReplyBody::Flow(flows) = &o.body else {
        panic!("{o:?}")
    };
    let jb = body_of(&json, "OFPFlowStatsReply").as_array().unwrap();
    assert_eq!(flows.len(), jb.len());
    for ((f, view), j) in flows.iter().zip(v.flow_stats().unwrap()).zip(jb) {
        let view = view.unwrap();
        let j = &j["OFPFlowStats"];
        assert_eq!(j["length"], f.encoded_len());
        assert_eq!(view.length(), f.encoded_len());
        assert_eq!(j["table_id"], f.table_id.0);
        assert_eq!(j["duration_sec"], f.duration_sec);
        assert_eq!(j["duration_nsec"], f.duration_nsec);
        assert_eq!(j["priority"], f.priority);
        assert_eq!(j["idle_timeout"], f.idle_timeout);
        assert_eq!(j["hard_timeout"], f.hard_timeout);
        assert_eq!(j["flags"], f.flags.0);
        assert_eq!(j["cookie"], f.cookie);
        assert_eq!(j["packet_count"], f.packet_count);
        assert_eq!(j["byte_count"], f.byte_count);
        check_match_json(&f.match_, &j["match"]);
        let ji = j["instructions"].as_array().unwrap();
        assert_eq!(ji.len(), f.instructions.len());
        for (i, j) in f.instructions.iter().zip(ji) {
            check_instruction_json(i, j);
        }
        assert_eq!(view.to_string(), f.to_string());
        assert_eq!(&view.decode().unwrap(), f);
    }
    let Some(printed) = ofp_print(&m) else {
        return;
    };
    let ours: Vec<String> = flows.iter().map(|f| format!(" {f}")).collect();
    let theirs: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with(" cookie="))
        .collect();
    assert_eq!(theirs.len(), 3, "{printed}");
    assert_eq!(&ours[..3], &theirs[..]);
}

#[test]
fn os_ken_aggregate_reply() {
    let Some((m, json)) = corpus("4-26-ofp_aggregate_stats_reply.packet") else {
        return;
    };
    let (v, _) = exact_reply(&m);
    let a = v.aggregate_stats().unwrap();
    let j = &body_of(&json, "OFPAggregateStatsReply")["OFPAggregateStats"];
    assert_eq!(j["packet_count"], a.packet_count);
    assert_eq!(j["byte_count"], a.byte_count);
    assert_eq!(j["flow_count"], a.flow_count);
    let Some(printed) = ofp_print(&m) else {
        return;
    };
    assert_eq!(ovs_title_rest(&printed), our_title_rest(&v.to_string()));
}

#[test]
fn os_ken_table_stats_reply() {
    let Some((m, json)) = corpus("4-28-ofp_table_stats_reply.packet") else {
        return;
    };
    let (v, _) = exact_reply(&m);
    let jb = body_of(&json, "OFPTableStatsReply").as_array().unwrap();
    let t: Vec<TableStats> = v.table_stats().unwrap().map(|t| t.unwrap()).collect();
    assert_eq!(t.len(), jb.len());
    for (t, j) in t.iter().zip(jb) {
        let j = &j["OFPTableStats"];
        assert_eq!(j["table_id"], t.table_id.0);
        assert_eq!(j["active_count"], t.active_count);
        assert_eq!(j["lookup_count"], t.lookup_count);
        assert_eq!(j["matched_count"], t.matched_count);
    }
    assert_eq!(t[1].to_string(), "table 1: active=4, lookup=4, matched=4");
}

#[test]
fn os_ken_port_stats_reply() {
    let Some((m, json)) = corpus("4-30-ofp_port_stats_reply.packet") else {
        return;
    };
    let (v, _) = exact_reply(&m);
    let jb = body_of(&json, "OFPPortStatsReply").as_array().unwrap();
    let p: Vec<PortStats> = v.port_stats().unwrap().map(|p| p.unwrap()).collect();
    assert_eq!(p.len(), jb.len());
    for (p, j) in p.iter().zip(jb) {
        let j = &j["OFPPortStats"];
        assert_eq!(j["port_no"], p.port_no.0);
        for (k, val) in [
            ("rx_packets", p.rx_packets),
            ("tx_packets", p.tx_packets),
            ("rx_bytes", p.rx_bytes),
            ("tx_bytes", p.tx_bytes),
            ("rx_dropped", p.rx_dropped),
            ("tx_dropped", p.tx_dropped),
            ("rx_errors", p.rx_errors),
            ("tx_errors", p.tx_errors),
            ("rx_frame_err", p.rx_frame_err),
            ("rx_over_err", p.rx_over_err),
            ("rx_crc_err", p.rx_crc_err),
            ("collisions", p.collisions),
        ] {
            assert_eq!(j[k], val, "{k}");
        }
        assert_eq!(j["duration_sec"], p.duration_sec);
        assert_eq!(j["duration_nsec"], p.duration_nsec);
    }
    let Some(printed) = ofp_print(&m) else {
        return;
    };
    // ovs-ofctl's three lines per port, on one line.
    let lines: Vec<&str> = printed.lines().skip(1).map(str::trim).collect();
    for (i, p) in p.iter().enumerate() {
        let theirs = format!("{} {} {}", lines[3 * i], lines[3 * i + 1], lines[3 * i + 2])
            .replace("port  ", "port ");
        assert_eq!(p.to_string(), theirs);
    }
}

#[test]
fn os_ken_group_features_reply() {
    let Some((m, json)) = corpus("4-32-ofp_group_features_reply.packet") else {
        return;
    };
    let (v, _) = exact_reply(&m);
    let g = v.group_features().unwrap();
    let j = &body_of(&json, "OFPGroupFeaturesStatsReply")["OFPGroupFeaturesStats"];
    assert_eq!(j["types"], g.types);
    assert_eq!(j["capabilities"], g.capabilities.0);
    for i in 0..4 {
        assert_eq!(j["max_groups"][i], g.max_groups[i]);
        assert_eq!(j["actions"][i], g.actions[i]);
    }
    assert!(g.supports(GroupType::ALL) && g.supports(GroupType::FF));
    assert!(!g.supports(GroupType(4)) && !g.supports(GroupType(200)));
    assert_eq!(
        g.capabilities,
        GroupCapabilities::SELECT_WEIGHT | GroupCapabilities::CHAINING
    );
}

#[test]
fn os_ken_group_desc_reply() {
    let Some((m, json)) = corpus("4-34-ofp_group_desc_reply.packet") else {
        return;
    };
    let (v, o) = exact_reply(&m);
    let MultipartReplyBody::GroupDesc(g) = &o.body else {
        panic!()
    };
    let jb = body_of(&json, "OFPGroupDescStatsReply").as_array().unwrap();
    assert_eq!(g.len(), jb.len());
    for (g, j) in g.iter().zip(jb) {
        let j = &j["OFPGroupDescStats"];
        assert_eq!(j["length"], g.encoded_len());
        assert_eq!(j["type"], g.type_.0);
        assert_eq!(j["group_id"], g.group_id.0);
        let jbk = j["buckets"].as_array().unwrap();
        assert_eq!(jbk.len(), g.buckets.len());
        for (b, j) in g.buckets.iter().zip(jbk) {
            let j = &j["OFPBucket"];
            assert_eq!(j["weight"], b.weight);
            assert_eq!(j["watch_port"], b.watch_port.0);
            assert_eq!(j["watch_group"], b.watch_group.0);
            for (a, j) in b.actions.iter().zip(j["actions"].as_array().unwrap()) {
                check_action_json(a, j);
            }
        }
    }
    let Some(printed) = ofp_print(&m) else {
        return;
    };
    assert_eq!(printed.lines().nth(1).unwrap(), format!(" {}", g[0]));
    assert_eq!(
        v.group_desc().unwrap().next().unwrap().unwrap().to_string(),
        g[0].to_string()
    );
}

#[test]
fn os_ken_queue_stats_reply() {
    let Some((m, json)) = corpus("4-38-ofp_queue_stats_reply.packet") else {
        return;
    };
    let (v, _) = exact_reply(&m);
    let q: Vec<QueueStats> = v.queue_stats().unwrap().map(|q| q.unwrap()).collect();
    let jb = body_of(&json, "OFPQueueStatsReply").as_array().unwrap();
    assert_eq!(q.len(), jb.len());
    for (q, j) in q.iter().zip(jb) {
        let j = &j["OFPQueueStats"];
        assert_eq!(j["port_no"], q.port_no.0);
        assert_eq!(j["queue_id"], q.queue_id);
        assert_eq!(j["tx_bytes"], q.tx_bytes);
        assert_eq!(j["tx_packets"], q.tx_packets);
        assert_eq!(j["tx_errors"], q.tx_errors);
        assert_eq!(j["duration_sec"], q.duration_sec);
        assert_eq!(j["duration_nsec"], q.duration_nsec);
    }
    let Some(printed) = ofp_print(&m) else {
        return;
    };
    let theirs: Vec<&str> = printed.lines().skip(1).map(str::trim).collect();
    let ours: Vec<String> = q.iter().map(ToString::to_string).collect();
    assert_eq!(ours, theirs);
}

#[test]
fn os_ken_meter_config_reply() {
    let Some((m, json)) = corpus("4-48-ofp_meter_config_reply.packet") else {
        return;
    };
    let (v, o) = exact_reply(&m);
    let MultipartReplyBody::MeterConfig(c) = &o.body else {
        panic!()
    };
    let jb = body_of(&json, "OFPMeterConfigStatsReply")
        .as_array()
        .unwrap();
    assert_eq!(c.len(), jb.len());
    for (c, j) in c.iter().zip(jb) {
        let j = &j["OFPMeterConfigStats"];
        assert_eq!(j["length"], c.encoded_len());
        assert_eq!(j["flags"], c.flags.0);
        assert_eq!(j["meter_id"], c.meter_id.0);
        let jband = j["bands"].as_array().unwrap();
        assert_eq!(jband.len(), c.bands.len());
        for (b, j) in c.bands.iter().zip(jband) {
            let j = &j["OFPMeterBandDrop"];
            assert_eq!(j["type"], b.band_type().0);
            assert_eq!(j["len"], b.encoded_len());
            assert_eq!(j["rate"], b.rate());
            assert_eq!(j["burst_size"], b.burst_size());
        }
    }
    let Some(printed) = ofp_print(&m) else {
        return;
    };
    // ovs-ofctl's lines of the entry, on one line.
    let theirs = printed.lines().skip(1).collect::<Vec<_>>().join(" ");
    assert_eq!(c[0].to_string(), theirs);
    assert_eq!(
        v.meter_config()
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .to_string(),
        theirs
    );
}

#[test]
fn os_ken_meter_stats_reply() {
    let Some((m, json)) = corpus("4-50-ofp_meter_stats_reply.packet") else {
        return;
    };
    let (v, o) = exact_reply(&m);
    let MultipartReplyBody::Meter(s) = &o.body else {
        panic!()
    };
    let jb = body_of(&json, "OFPMeterStatsReply").as_array().unwrap();
    assert_eq!(s.len(), jb.len());
    for (s, j) in s.iter().zip(jb) {
        let j = &j["OFPMeterStats"];
        assert_eq!(j["len"], s.encoded_len());
        assert_eq!(j["meter_id"], s.meter_id.0);
        assert_eq!(j["flow_count"], s.flow_count);
        assert_eq!(j["packet_in_count"], s.packet_in_count);
        assert_eq!(j["byte_in_count"], s.byte_in_count);
        assert_eq!(j["duration_sec"], s.duration_sec);
        assert_eq!(j["duration_nsec"], s.duration_nsec);
        let jbs = j["band_stats"].as_array().unwrap();
        assert_eq!(jbs.len(), s.band_stats.len());
        for (b, j) in s.band_stats.iter().zip(jbs) {
            assert_eq!(
                j["OFPMeterBandStats"]["packet_band_count"],
                b.packet_band_count
            );
            assert_eq!(j["OFPMeterBandStats"]["byte_band_count"], b.byte_band_count);
        }
    }
    let Some(printed) = ofp_print(&m) else {
        return;
    };
    let theirs = printed.lines().skip(1).collect::<Vec<_>>().join(" ");
    assert_eq!(s[0].to_string(), theirs);
    assert_eq!(
        v.meter_stats()
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .to_string(),
        theirs
    );
}

#[test]
fn os_ken_meter_features_reply() {
    let Some((m, json)) = corpus("4-52-ofp_meter_features_reply.packet") else {
        return;
    };
    let (v, _) = exact_reply(&m);
    let f = v.meter_features().unwrap();
    // os-ken shows the (single) ofp_meter_features as a list of one.
    let j = &body_of(&json, "OFPMeterFeaturesStatsReply")[0]["OFPMeterFeaturesStats"];
    assert_eq!(j["max_meter"], f.max_meter);
    assert_eq!(j["band_types"], f.band_types);
    assert_eq!(j["capabilities"], f.capabilities);
    assert_eq!(j["max_bands"], f.max_bands);
    assert_eq!(j["max_color"], f.max_color);
    let Some(printed) = ofp_print(&m) else {
        return;
    };
    let theirs = printed.lines().skip(1).collect::<Vec<_>>().join(" ");
    assert_eq!(f.to_string(), theirs);
}

#[test]
fn os_ken_port_desc_reply() {
    let Some((m, json)) = corpus("4-54-ofp_port_desc_reply.packet") else {
        return;
    };
    let (v, _) = exact_reply(&m);
    let ports: Vec<Port> = v.port_desc().unwrap().map(|p| p.unwrap()).collect();
    let jb = body_of(&json, "OFPPortDescStatsReply").as_array().unwrap();
    assert_eq!(ports.len(), jb.len());
    for (p, j) in ports.iter().zip(jb) {
        let j = &j["OFPPort"];
        assert_eq!(j["port_no"], p.port_no.0);
        assert_eq!(j["name"], p.name());
        assert_eq!(j["hw_addr"], p.hw_addr.to_string());
        assert_eq!(j["config"], p.config.0);
        assert_eq!(j["state"], p.state.0);
        assert_eq!(j["curr"], p.curr.0);
        assert_eq!(j["advertised"], p.advertised.0);
        assert_eq!(j["supported"], p.supported.0);
        assert_eq!(j["peer"], p.peer.0);
        assert_eq!(j["curr_speed"], p.curr_speed);
        assert_eq!(j["max_speed"], p.max_speed);
    }
}

#[test]
fn os_ken_group_stats_reply() {
    let Some((m, json)) = corpus("4-58-ofp_group_stats_reply.packet") else {
        return;
    };
    let (v, o) = exact_reply(&m);
    let MultipartReplyBody::Group(g) = &o.body else {
        panic!()
    };
    let jb = body_of(&json, "OFPGroupStatsReply").as_array().unwrap();
    assert_eq!(g.len(), jb.len());
    for (g, j) in g.iter().zip(jb) {
        let j = &j["OFPGroupStats"];
        assert_eq!(j["length"], g.encoded_len());
        assert_eq!(j["group_id"], g.group_id.0);
        assert_eq!(j["ref_count"], g.ref_count);
        assert_eq!(j["packet_count"], g.packet_count);
        assert_eq!(j["byte_count"], g.byte_count);
        assert_eq!(j["duration_sec"], g.duration_sec);
        assert_eq!(j["duration_nsec"], g.duration_nsec);
        let jbs = j["bucket_stats"].as_array().unwrap();
        assert_eq!(jbs.len(), g.bucket_stats.len());
        for (b, j) in g.bucket_stats.iter().zip(jbs) {
            assert_eq!(j["OFPBucketCounter"]["packet_count"], b.packet_count);
            assert_eq!(j["OFPBucketCounter"]["byte_count"], b.byte_count);
        }
    }
    let Some(printed) = ofp_print(&m) else {
        return;
    };
    assert_eq!(printed.lines().nth(1).unwrap(), format!(" {}", g[0]));
    assert_eq!(
        v.group_stats()
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .to_string(),
        g[0].to_string()
    );
}

#[test]
fn os_ken_experimenter_reply() {
    let Some((m, json)) = corpus("4-62-ofp_experimenter_reply.packet") else {
        return;
    };
    let (v, _) = exact_reply(&m);
    let e = v.experimenter().unwrap();
    let j = &body_of(&json, "OFPExperimenterStatsReply")["OFPExperimenterMultipart"];
    assert_eq!(j["experimenter"], e.experimenter);
    assert_eq!(j["exp_type"], e.exp_type);
    assert_eq!(base64(j["data"].as_str().unwrap()), e.data);
    assert_eq!(
        v.to_string(),
        "OFPST_EXPERIMENTER reply: experimenter=0xdeadbeaf exp_type=3405674359 \
             data=74657374646174613939393939393939"
    );
}

#[test]
fn os_ken_table_features_reply_accessors() {
    let Some((m, json)) = corpus("4-56-ofp_table_features_reply.packet") else {
        return;
    };
    let (v, _) = exact_reply(&m);
    assert!(v.more());
    assert_eq!(json["OFPTableFeaturesStatsReply"]["flags"], 1);
    assert_eq!(v.table_features().unwrap().count(), 10);
    assert!(v.flow_stats().is_none() && v.desc().is_none() && v.port_desc().is_none());
    assert!(v
        .to_string()
        .starts_with("OFPST_TABLE_FEATURES reply flags=[more]:\n table 0 (\"私のテーブル\")"));
}

// ---- Display against ovs-ofctl ----------------------------------------------------------

fn flow(priority: u16, m: Match, i: Vec<Instruction>) -> FlowStats {
    FlowStats::new(priority, m, i)
}

/// Flow statistics print exactly as `ovs-ofctl` prints them: durations (whole, millisecond,
/// finer), cookie, table, counters, timeouts, flags, default priority left out, empty match,
/// several instructions.
#[test]
fn flow_stats_display_matches_ovs() {
    let out = |p: u32| Action::output(PortNo(p));
    let mut a = flow(
        1,
        Match::new()
            .in_port(PortNo(1))
            .eth_dst(MacAddr([0, 0, 0, 0, 0, 2])),
        vec![Instruction::apply_actions(vec![out(2)])],
    );
    a.duration_sec = 1;
    a.duration_nsec = 500_000_000;
    a.packet_count = 3;
    a.byte_count = 294;
    let mut b = flow(DEFAULT_PRIORITY, Match::new(), vec![]);
    b.idle_timeout = 10;
    b.hard_timeout = 20;
    b.flags = FlowModFlags::ALL;
    b.cookie = 0xabc;
    b.table_id = TableId(3);
    let mut c = flow(
        DEFAULT_PRIORITY,
        Match::new().eth_type(0x0800u16),
        vec![
            Instruction::write_metadata(0x1, 0xff),
            Instruction::goto_table(TableId(2)),
        ],
    );
    c.duration_nsec = 480_000;
    c.flags = FlowModFlags::SEND_FLOW_REM;
    let mut d = flow(
        0,
        Match::new().eth_type(0x0806u16),
        vec![
            Instruction::apply_actions(vec![]),
            Instruction::clear_actions(),
            Instruction::write_actions(vec![Action::output_to_controller(128)]),
        ],
    );
    d.duration_sec = 7;
    d.cookie = u64::MAX;
    d.packet_count = u64::MAX;
    let flows = vec![a, b, c, d];
    let r = MultipartReply::new(MultipartReplyBody::Flow(flows.clone())).with_more(true);
    let m = msg(19, &r.to_vec().unwrap());
    let (v, _) = exact_reply(&m);
    let Some(printed) = ofp_print(&m) else {
        return;
    };
    let theirs: Vec<&str> = printed.lines().skip(1).collect();
    let ours: Vec<String> = flows.iter().map(|f| format!(" {f}")).collect();
    assert_eq!(ours, theirs, "{printed}");
    assert_eq!(
        ours[0],
        " cookie=0x0, duration=1.500s, table=0, n_packets=3, n_bytes=294, \
             priority=1,in_port=1,dl_dst=00:00:00:00:00:02 actions=output:2"
    );
    assert_eq!(
        ours[1],
        " cookie=0xabc, duration=0s, table=3, n_packets=0, n_bytes=0, idle_timeout=10, \
             hard_timeout=20, send_flow_rem check_overlap reset_counts no_packet_counts \
             no_byte_counts actions=drop"
    );
    assert!(printed.starts_with("OFPST_FLOW reply (OF1.3) (xid=0x1): flags=[more]"));
    assert!(v
        .to_string()
        .starts_with("OFPST_FLOW reply flags=[more]:\n cookie="));
    // Unknown flag bits (OVS refuses them) print in hex.
    let mut e = flows[1].clone();
    e.flags = FlowModFlags(0x21);
    assert!(e
        .to_string()
        .contains(", send_flow_rem flags:0x20 actions=drop"));
}

#[test]
fn durations() {
    for (s, ns, want) in [
        (0, 0, "0s"),
        (5, 0, "5s"),
        (1, 500_000_000, "1.500s"),
        (1, 1_000_000, "1.001s"),
        (0, 480_000, "0.00048s"),
        (358, 115_277_000, "358.115277s"),
        (0, 1, "0.000000001s"),
        (u32::MAX, 999_999_999, "4294967295.999999999s"),
    ] {
        assert_eq!(DisplayDuration { sec: s, nsec: ns }.to_string(), want);
    }
}

/// Other entries print as ovs-ofctl prints them (on one line where ovs-ofctl uses
/// several).
#[test]
fn other_entries_display_matches_ovs() {
    let bodies = vec![
        MultipartReplyBody::Aggregate(AggregateStats {
            packet_count: 1,
            byte_count: 2,
            flow_count: 3,
        }),
        MultipartReplyBody::Queue(vec![
            QueueStats {
                port_no: PortNo::LOCAL,
                queue_id: 7,
                tx_bytes: 10,
                tx_packets: 1,
                tx_errors: 2,
                duration_sec: 3,
                duration_nsec: 4_000_000,
            },
            QueueStats {
                port_no: PortNo(2),
                ..QueueStats::default()
            },
        ]),
        MultipartReplyBody::Group(vec![GroupStats {
            group_id: GroupId(9),
            ref_count: 1,
            packet_count: 5,
            byte_count: 6,
            duration_sec: 2,
            duration_nsec: 0,
            bucket_stats: vec![
                BucketCounter {
                    packet_count: 1,
                    byte_count: 2,
                },
                BucketCounter {
                    packet_count: 3,
                    byte_count: 4,
                },
            ],
        }]),
        MultipartReplyBody::GroupDesc(vec![GroupDesc {
            type_: GroupType::SELECT,
            group_id: GroupId(4),
            buckets: vec![
                Bucket::weighted(5, vec![Action::output(PortNo(1))]),
                Bucket::weighted(1, vec![]),
            ],
        }]),
        MultipartReplyBody::Meter(vec![MeterStats {
            meter_id: MeterId(1),
            flow_count: 2,
            packet_in_count: 3,
            byte_in_count: 4,
            duration_sec: 5,
            duration_nsec: 6_000_000,
            band_stats: vec![MeterBandStats {
                packet_band_count: 7,
                byte_band_count: 8,
            }],
        }]),
        MultipartReplyBody::MeterConfig(vec![MeterConfig {
            flags: MeterFlags::KBPS | MeterFlags::BURST,
            meter_id: MeterId(2),
            bands: vec![MeterBand::drop(100, 10), MeterBand::dscp_remark(200, 20, 1)],
        }]),
        MultipartReplyBody::MeterFeatures(MeterFeatures {
            max_meter: 10,
            band_types: 0b110,
            capabilities: 0xf,
            max_bands: 2,
            max_color: 3,
        }),
    ];
    for body in bodies {
        let r = MultipartReply::new(body);
        let m = msg(19, &r.to_vec().unwrap());
        exact_reply(&m);
        let Some(printed) = ofp_print(&m) else {
            return;
        };
        let ours = r.to_string();
        let our_lines: Vec<&str> = ours.lines().skip(1).collect();
        let their_lines: Vec<&str> = printed.lines().skip(1).collect();
        match &r.body {
            MultipartReplyBody::Aggregate(_) => {
                assert_eq!(our_title_rest(&ours), ovs_title_rest(&printed))
            }
            MultipartReplyBody::Queue(q) => {
                assert_eq!(ovs_title_rest(&printed), format!("{} queues", q.len()));
                let ours: Vec<&str> = our_lines.iter().map(|l| l.trim()).collect();
                let theirs: Vec<&str> = their_lines.iter().map(|l| l.trim()).collect();
                assert_eq!(ours, theirs);
            }
            MultipartReplyBody::Group(_) | MultipartReplyBody::GroupDesc(_) => {
                assert_eq!(our_lines, their_lines)
            }
            MultipartReplyBody::MeterFeatures(_) => {
                assert_eq!(our_title_rest(&ours), their_lines.join(" "))
            }
            _ => {
                assert_eq!(our_lines.len(), 1);
                assert_eq!(our_lines[0].trim(), their_lines.join(" "))
            }
        }
    }
}

/// Counters and durations that are all ones ("not available") print as ovs-ofctl prints
/// them: `?`, or not at all.
#[test]
fn unavailable_counters_match_ovs() {
    let m = u64::MAX;
    let bodies = vec![
        MultipartReplyBody::PortStats(vec![PortStats {
            port_no: PortNo(1),
            rx_packets: m,
            tx_packets: m,
            rx_bytes: m,
            tx_bytes: m,
            rx_dropped: m,
            tx_dropped: m,
            rx_errors: m,
            tx_errors: m,
            rx_frame_err: m,
            rx_over_err: m,
            rx_crc_err: m,
            collisions: m,
            duration_sec: u32::MAX,
            duration_nsec: 0,
        }]),
        MultipartReplyBody::Queue(vec![QueueStats {
            port_no: PortNo(1),
            queue_id: 1,
            tx_bytes: m,
            tx_packets: m,
            tx_errors: m,
            duration_sec: u32::MAX,
            duration_nsec: 0,
        }]),
        MultipartReplyBody::Group(vec![GroupStats {
            group_id: GroupId(1),
            ref_count: u32::MAX,
            packet_count: m,
            byte_count: m,
            duration_sec: u32::MAX,
            duration_nsec: 0,
            bucket_stats: vec![
                BucketCounter {
                    packet_count: m,
                    byte_count: 1,
                },
                BucketCounter {
                    packet_count: 2,
                    byte_count: m,
                },
            ],
        }]),
        MultipartReplyBody::Flow(vec![FlowStats {
            packet_count: m,
            byte_count: m,
            ..FlowStats::new(1, Match::new(), vec![])
        }]),
    ];
    for body in bodies {
        let r = MultipartReply::new(body);
        let m = msg(19, &r.to_vec().unwrap());
        let (v, _) = exact_reply(&m);
        let Some(printed) = ofp_print(&m) else {
            return;
        };
        let theirs: Vec<&str> = printed
            .lines()
            .skip(1)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let theirs = theirs.join(" ").replace("port  ", "port ");
        let ours = v.to_string();
        let ours = ours.split_once('\n').unwrap().1.trim();
        assert_eq!(ours, theirs);
    }
}

/// Port statistics with every counter set print as ovs-ofctl's three lines do.
#[test]
fn port_stats_display_matches_ovs() {
    let p = PortStats {
        port_no: PortNo(3),
        rx_packets: 1,
        tx_packets: 2,
        rx_bytes: 3,
        tx_bytes: 4,
        rx_dropped: 5,
        tx_dropped: 6,
        rx_errors: 7,
        tx_errors: 8,
        rx_frame_err: 9,
        rx_over_err: 10,
        rx_crc_err: 11,
        collisions: 12,
        duration_sec: 13,
        duration_nsec: 14_000_000,
    };
    let r = MultipartReply::new(MultipartReplyBody::PortStats(vec![p]));
    let m = msg(19, &r.to_vec().unwrap());
    exact_reply(&m);
    let Some(printed) = ofp_print(&m) else {
        return;
    };
    let theirs: Vec<&str> = printed.lines().skip(1).map(str::trim).collect();
    assert_eq!(
        p.to_string(),
        format!("{} {} {}", theirs[0], theirs[1], theirs[2]).replace("port  ", "port ")
    );
}

// ---- builders -------------------------------------------------------------------------

/// Every request a controller sends, as built by the builders: ovs-ofctl decodes it and
/// (where its notation is the same as ours) prints what we print; it parses back equal.
#[test]
fn request_builders() {
    let m = Match::new().in_port(PortNo(1)).eth_type(0x0800u16);
    let full = FlowStatsRequest::new(m.clone())
        .table(TableId(1))
        .out_port(PortNo(2))
        .out_group(GroupId(3))
        .cookie(0x10, 0xff);
    let cases: Vec<(MultipartRequest, Option<&str>)> = vec![
        (MultipartRequest::desc(), Some("")),
        (
            MultipartRequest::flow_stats(m.clone(), TableId(0)),
            Some("table=0 ip,in_port=1"),
        ),
        (
            MultipartRequest::flow_stats(Match::new(), TableId::ALL),
            Some(""),
        ),
        (MultipartRequest::flow_stats_with(full.clone()), None),
        (
            MultipartRequest::aggregate_stats(m.clone(), TableId::ALL),
            Some("ip,in_port=1"),
        ),
        (MultipartRequest::aggregate_stats_with(full), None),
        (MultipartRequest::table_stats(), Some("")),
        (
            MultipartRequest::port_stats(PortNo::ANY),
            Some("port_no=ANY"),
        ),
        (MultipartRequest::port_stats(PortNo(7)), Some("port_no=7")),
        (
            MultipartRequest::queue_stats(PortNo::ANY, OFPQ_ALL),
            Some("port=ANY queue=ALL"),
        ),
        (
            MultipartRequest::queue_stats(PortNo(1), 2),
            Some("port=1 queue=2"),
        ),
        (
            MultipartRequest::group_stats(GroupId::ALL),
            Some("group_id=ALL"),
        ),
        (
            MultipartRequest::group_stats(GroupId(5)),
            Some("group_id=5"),
        ),
        (MultipartRequest::group_desc(), None),
        (MultipartRequest::group_features(), Some("")),
        (
            MultipartRequest::meter_stats(MeterId::ALL),
            Some("meter=all"),
        ),
        (MultipartRequest::meter_config(MeterId(7)), Some("meter=7")),
        (MultipartRequest::meter_features(), Some("")),
        (MultipartRequest::table_features(), Some("")),
        (MultipartRequest::port_desc(), None),
    ];
    for (r, same) in cases {
        let b = r.to_vec().unwrap();
        assert_eq!(b.len(), r.encoded_len());
        let back = parse_bytes(&b, MultipartRequest::parse_body).unwrap();
        assert_eq!(back, r);
        assert!(!r.more());
        let m = msg(18, &b);
        let Some(printed) = ofp_print(&m) else {
            return;
        };
        assert!(!printed.contains("error"), "{printed}");
        let name = r.multipart_type().ofctl_name().unwrap();
        assert!(printed.starts_with(&format!("{name} request")), "{printed}");
        let ours = r.to_string();
        assert!(ours.starts_with(&format!("{name} request:")), "{ours}");
        if let Some(want) = same {
            assert_eq!(ovs_title_rest(&printed), want, "{printed}");
            assert_eq!(our_title_rest(&ours), want);
        }
    }
    // Flow requests with every restriction: ovs-ofctl shows them in its own order.
    let r = MultipartRequest::flow_stats_with(
        FlowStatsRequest::new(Match::new())
            .table(TableId(1))
            .out_port(PortNo(2))
            .out_group(GroupId(3))
            .cookie(0x10, 0xff),
    );
    assert_eq!(
        r.to_string(),
        "OFPST_FLOW request: table=1 out_port=2 out_group=3 cookie=0x10/0xff"
    );
    let e = MultipartRequest::experimenter(0x2320, 5, vec![1, 2]).with_more(true);
    assert!(e.more());
    assert_eq!(
        e.to_string(),
        "OFPST_EXPERIMENTER request flags=[more]: experimenter=0x2320 exp_type=5 data=0102"
    );
    assert!(!e.clone().with_more(false).more());
    assert_eq!(
        MultipartRequest::from(MultipartRequestBody::Table).flags,
        MultipartFlags::EMPTY
    );
    assert_eq!(MultipartFlags::REQ_MORE, MultipartFlags::REPLY_MORE);
    assert_eq!(MultipartFlags::MORE.to_string(), "more");
    assert_eq!(MultipartType::PORT_STATS.to_string(), "OFPMP_PORT_STATS");
    assert_eq!(MultipartType(99).to_string(), "OFPMP_UNKNOWN(0x0063)");
    assert_eq!(
        format!("{:?}", MultipartType(0)),
        "MultipartType(OFPMP_DESC)"
    );
}

#[test]
fn unknown_types_kept_raw() {
    let body = [0, 99, 0, 1, 0, 0, 0, 0, 1, 2, 3];
    let r = parse_bytes(&body, MultipartRequest::parse_body).unwrap();
    assert_eq!(
        r.body,
        MultipartRequestBody::Unknown {
            type_: MultipartType(99),
            data: vec![1, 2, 3]
        }
    );
    assert!(r.more());
    assert_eq!(r.to_vec().unwrap(), body);
    assert_eq!(
        r.to_string(),
        "OFPST_UNKNOWN(0x63) request flags=[more]: data=010203"
    );
    let o = parse_bytes(&body, MultipartReply::parse_body).unwrap();
    assert_eq!(o.to_vec().unwrap(), body);
    let v = MultipartReplyView::parse(&mut Reader::new(&body, 8)).unwrap();
    assert_eq!(v.multipart_type(), MultipartType(99));
    assert!(matches!(
        v.body,
        MultipartReplyBodyView::Unknown {
            data: [1, 2, 3],
            ..
        }
    ));
    assert_eq!(
        v.to_string(),
        "OFPST_UNKNOWN(0x63) reply flags=[more]: data=010203"
    );
    v.validate().unwrap();
}

#[test]
fn message_view_checks_header() {
    let r = MultipartReply::new(MultipartReplyBody::Table(vec![]));
    let mut m = msg(19, &r.to_vec().unwrap());
    assert!(reply_view(&m).is_ok());
    m[1] = 18;
    assert!(matches!(
        crate::MessageView::parse(&m).unwrap().body,
        crate::BodyView::Other(_)
    ));
    m[1] = 19;
    m[3] += 1;
    assert!(matches!(
        reply_view(&m),
        Err(Error::BadLength { offset: 2, .. })
    ));
    m[3] -= 1;
    m[0] = 1;
    assert!(matches!(reply_view(&m), Err(Error::BadVersion { .. })));
}

mod negative;

// ---- `Entries` (its entry's fast path first) against the entry's general parser, for
// every multipart type whose body is an array of entries.

/// The iterator's items over `body` (at offset 16) against the entry's general parser
/// (`general`: field by field, no fast path) called in a loop until the first error, and
/// the entry's fast path against it on the first entry: the fast path accepts only what the
/// general parser accepts, with the same value and length, so that after an error the
/// iterator yields nothing more.
fn entries_equal_general<'a, T: Entry<'a> + core::fmt::Debug>(
    body: &'a [u8],
    general: fn(&mut Reader<'a>) -> Result<T>,
) -> usize {
    let it: Vec<String> = Entries::<T>::new_unchecked(body, 16)
        .map(|x| format!("{x:?}"))
        .collect();
    let mut r = Reader::new(body, 16);
    let mut walk = Vec::new();
    while !r.is_empty() {
        let x = general(&mut r);
        walk.push(format!("{x:?}"));
        if x.is_err() {
            break;
        }
    }
    assert_eq!(it, walk, "{}: {body:02x?}", core::any::type_name::<T>());
    if let Some((fast, len)) = T::parse_fast(body, 16) {
        let mut r = Reader::new(body, 16);
        let slow = general(&mut r);
        assert_eq!(
            format!("{:?}", Ok::<_, Error>(fast)),
            format!("{slow:?}"),
            "{}: {body:02x?}",
            core::any::type_name::<T>()
        );
        assert_eq!(len, body.len() - r.remaining());
    }
    it.len()
}

/// `body` (a reply's bytes after its 16-byte header) read as the entries of `ty`. Flow
/// stats' `parse_entry` takes its fast path first: its general parser is the reference.
fn entries_of_type_equal_general(ty: MultipartType, body: &[u8]) -> usize {
    match ty {
        MultipartType::FLOW => entries_equal_general(body, FlowStatsView::parse_general),
        MultipartType::TABLE => entries_equal_general(body, TableStats::parse_entry),
        MultipartType::PORT_STATS => entries_equal_general(body, PortStats::parse_entry),
        MultipartType::QUEUE => entries_equal_general(body, QueueStats::parse_entry),
        MultipartType::GROUP => entries_equal_general(body, GroupStatsView::parse_entry),
        MultipartType::GROUP_DESC => entries_equal_general(body, GroupDescView::parse_entry),
        MultipartType::METER => entries_equal_general(body, MeterStatsView::parse_entry),
        MultipartType::METER_CONFIG => entries_equal_general(body, MeterConfigView::parse_entry),
        MultipartType::TABLE_FEATURES => {
            entries_equal_general(body, TableFeaturesView::parse_entry)
        }
        MultipartType::PORT_DESC => entries_equal_general(body, Port::parse_entry),
        _ => panic!("{ty:?} has no entries"),
    }
}

/// Every array reply type, from Open vSwitch's replies and built ones, as sent and under
/// every one-byte change (0, 0xff, ±8, bit flips) and truncation of its first 600 body
/// bytes: `Entries` yields what the general parser gives, value or error (same kind, offset).
#[test]
fn entries_equal_the_general_parser_for_every_array_type() {
    let mut replies: Vec<Vec<u8>> = [
        &include_bytes!("../../testdata/ovs-flow-stats-reply.bin")[..],
        &include_bytes!("../../testdata/ovs-port-desc-reply.bin")[..],
        &include_bytes!("../../testdata/ovs-port-stats-reply.bin")[..],
        &include_bytes!("../../testdata/ovs-table-features-reply-part0.bin")[..],
    ]
    .iter()
    .map(|m| m.to_vec())
    .collect();
    let built = vec![
        MultipartReplyBody::Table(vec![
            TableStats {
                table_id: TableId(0),
                active_count: 3,
                lookup_count: 10,
                matched_count: 7,
            },
            TableStats::default(),
        ]),
        MultipartReplyBody::Queue(vec![
            QueueStats {
                port_no: PortNo::LOCAL,
                queue_id: 7,
                tx_bytes: 10,
                tx_packets: 1,
                tx_errors: 2,
                duration_sec: 3,
                duration_nsec: 4_000_000,
            },
            QueueStats::default(),
        ]),
        MultipartReplyBody::Group(vec![GroupStats {
            group_id: GroupId(9),
            ref_count: 1,
            packet_count: 5,
            byte_count: 6,
            duration_sec: 2,
            duration_nsec: 0,
            bucket_stats: vec![
                BucketCounter {
                    packet_count: 1,
                    byte_count: 2,
                },
                BucketCounter {
                    packet_count: 3,
                    byte_count: 4,
                },
            ],
        }]),
        MultipartReplyBody::GroupDesc(vec![
            GroupDesc {
                type_: GroupType::SELECT,
                group_id: GroupId(4),
                buckets: vec![
                    Bucket::weighted(5, vec![Action::output(PortNo(1))]),
                    Bucket::weighted(1, vec![]),
                ],
            },
            GroupDesc {
                type_: GroupType::ALL,
                group_id: GroupId(5),
                buckets: vec![],
            },
        ]),
        MultipartReplyBody::Meter(vec![MeterStats {
            meter_id: MeterId(1),
            flow_count: 2,
            packet_in_count: 3,
            byte_in_count: 4,
            duration_sec: 5,
            duration_nsec: 6_000_000,
            band_stats: vec![MeterBandStats {
                packet_band_count: 7,
                byte_band_count: 8,
            }],
        }]),
        MultipartReplyBody::MeterConfig(vec![
            MeterConfig {
                flags: MeterFlags::KBPS | MeterFlags::BURST,
                meter_id: MeterId(2),
                bands: vec![MeterBand::drop(100, 10), MeterBand::dscp_remark(200, 20, 1)],
            },
            MeterConfig {
                flags: MeterFlags::PKTPS,
                meter_id: MeterId(3),
                bands: vec![],
            },
        ]),
    ];
    for body in built {
        replies.push(msg(19, &MultipartReply::new(body).to_vec().unwrap()));
    }
    let mut types = Vec::new();
    let (mut entries, mut inputs) = (0, 0);
    for m in &replies {
        let ty = MultipartType(u16::from_be_bytes([m[8], m[9]]));
        types.push(ty);
        let body = &m[16..];
        assert!(entries_of_type_equal_general(ty, body) > 0, "{ty:?}");
        let head = &body[..body.len().min(600)];
        for i in 0..head.len() {
            let x = head[i];
            for v in [
                0,
                0xff,
                x ^ 1,
                x ^ 0x80,
                x.wrapping_add(8),
                x.wrapping_sub(8),
            ] {
                let mut b = head.to_vec();
                b[i] = v;
                entries += entries_of_type_equal_general(ty, &b);
                inputs += 1;
            }
            entries += entries_of_type_equal_general(ty, &head[..i]);
            inputs += 1;
        }
    }
    types.sort_by_key(|t| t.0);
    types.dedup();
    assert_eq!(types.len(), 10, "{types:?}");
    assert!(
        inputs > 10_000 && entries > 10_000,
        "{inputs} inputs, {entries} entries"
    );
}
