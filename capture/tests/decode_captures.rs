//! `sdnwire-decode` on captures of the project's own captured bytes (see `common`): message
//! counts per type, decoded fields, ovs-ofctl's, Ryu's and sflowtool's text, JSON; pcap, pcapng, stdin and
//! Linux cooked captures; reordered, repeated, overlapping and lost segments; malformed
//! messages.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::std_instead_of_core, clippy::cast_possible_truncation)]

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::*;
use pcap_file::DataLink;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_sdnwire-decode");

/// A file of this test's own in the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sdnwire-decode");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs the decoder; (stdout, stderr, exit code).
fn run(args: &[&str], stdin: Option<&[u8]>) -> (String, String, i32) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        String::from_utf8(out.stdout).unwrap(),
        stderr,
        out.status.code().unwrap_or(-1),
    )
}

fn decode_file(name: &str, bytes: &[u8], args: &[&str]) -> String {
    let path = scratch(name);
    std::fs::write(&path, bytes).unwrap();
    let mut a = args.to_vec();
    a.push(path.to_str().unwrap());
    let (out, err, code) = run(&a, None);
    assert_eq!(code, 0, "{err}");
    out
}

fn json_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The message types (`OFPT_...`) of the OpenFlow items sent by `src`.
fn types_from(items: &[Value], src: &str) -> Vec<String> {
    items
        .iter()
        .filter(|v| v["protocol"] == "openflow" && v["src"] == src)
        .filter_map(|v| v["type"].as_str().map(str::to_string))
        .collect()
}

/// The type Open vSwitch's fixture of `name` has (`ovs-desc-reply` is a multipart reply).
fn fixture_type(name: &str) -> &'static str {
    let n = name.trim_start_matches("ovs-");
    match n {
        _ if n.starts_with("error") => "OFPT_ERROR",
        _ if n.ends_with("-reply")
            && !n.starts_with("echo")
            && !n.starts_with("barrier")
            && !n.starts_with("features") =>
        {
            "OFPT_MULTIPART_REPLY"
        }
        _ if n.starts_with("table-features") => "OFPT_MULTIPART_REPLY",
        "barrier-reply" => "OFPT_BARRIER_REPLY",
        "echo-reply" => "OFPT_ECHO_REPLY",
        "echo-request" => "OFPT_ECHO_REQUEST",
        "features-reply" => "OFPT_FEATURES_REPLY",
        "hello" => "OFPT_HELLO",
        "packet-in" => "OFPT_PACKET_IN",
        other => panic!("fixture {other} of unknown type"),
    }
}

const SWITCH: &str = "192.0.2.2:41000";
const CONTROLLER: &str = "192.0.2.1:6653";

/// Every protocol, with the switch's OpenFlow bytes in 100-byte segments of which two are
/// swapped, one is sent twice and one is re-sent overlapping its neighbours.
fn everything() -> Vec<Vec<u8>> {
    openflow_connection(6653, Cut::Every(100), |mut segs| {
        segs.swap(3, 4);
        let again = segs[6].clone();
        segs.insert(9, again);
        segs.insert(12, overlapping(6653, 950, 120));
        segs
    })
    .into_iter()
    .chain(sflow_frames(6343))
    .chain(lacp_frames())
    .chain(multicast_frames())
    .collect()
}

#[test]
fn every_protocol_of_the_projects_captures_is_decoded() {
    let frames = everything();
    let out = decode_file("everything.pcap", &pcap(&frames), &["--json"]);
    let items = json_lines(&out);
    // Nothing failed: no error, no gap, no skipped bytes.
    for v in &items {
        assert!(
            v.get("error").is_none() && v.get("gap").is_none() && v.get("skipped").is_none(),
            "{v}"
        );
    }
    let count = |p: &str| items.iter().filter(|v| v["protocol"] == p).count();
    let switch = switch_messages();
    assert_eq!(
        count("openflow"),
        switch.len() + controller_messages().len()
    );
    assert_eq!(count("sflow"), 7);
    assert_eq!(count("lacp"), 2);
    assert_eq!(count("igmp"), 2);

    // The controller's messages, in order, and the switch's: each fixture once, in order,
    // whatever the segments did.
    assert_eq!(
        types_from(&items, CONTROLLER),
        [
            "OFPT_HELLO",
            "OFPT_FEATURES_REQUEST",
            "OFPT_FLOW_MOD",
            "OFPT_FLOW_MOD",
            "OFPT_BARRIER_REQUEST"
        ]
    );
    let want: Vec<&str> = switch.iter().map(|(n, _)| fixture_type(n)).collect();
    assert_eq!(types_from(&items, SWITCH), want);
    let from_switch: Vec<&Value> = items
        .iter()
        .filter(|v| v["protocol"] == "openflow" && v["src"] == SWITCH)
        .collect();
    let mut offset = 0u64;
    for (v, (name, bytes)) in from_switch.iter().zip(&switch) {
        assert_eq!(v["stream_offset"], offset, "{name}");
        assert_eq!(v["dst"], CONTROLLER);
        offset += bytes.len() as u64;
    }

    // Decoded fields, in os-ken's JSON.
    let by_type = |t: &str| items.iter().find(|v| v["type"] == t).unwrap();
    let features = &by_type("OFPT_FEATURES_REPLY")["message"]["OFPSwitchFeatures"];
    assert_eq!(features["datapath_id"], 1);
    assert_eq!(features["n_tables"], 254);
    let pin = &by_type("OFPT_PACKET_IN")["message"]["OFPPacketIn"];
    assert_eq!(pin["total_len"], 98);
    assert_eq!(pin["buffer_id"], 0xffff_ffffu32);
    assert_eq!(
        pin["match"]["OFPMatch"]["oxm_fields"][0]["OXMTlv"]["field"],
        "in_port"
    );
    let learned = items
        .iter()
        .find(|v| v["type"] == "OFPT_FLOW_MOD" && v["xid"] == 4)
        .unwrap();
    assert_eq!(learned["message"]["OFPFlowMod"]["priority"], 1);

    // sFlow: Open vSwitch's agent, its counter samples and the flow samples of a ping.
    let sflow: Vec<&Value> = items.iter().filter(|v| v["protocol"] == "sflow").collect();
    for d in &sflow {
        assert_eq!(d["message"]["agentAddress"]["V4"], "127.0.0.1");
        assert_eq!(d["dst"], "192.0.2.1:6343");
    }
    let samples = |kind: &str| {
        sflow
            .iter()
            .flat_map(|d| d["message"]["samples"].as_array().unwrap())
            .filter(|s| s.get(kind).is_some())
            .count()
    };
    assert!(
        samples("Counters") >= 5,
        "counter samples: {}",
        samples("Counters")
    );
    assert!(samples("Flow") >= 2, "flow samples: {}", samples("Flow"));

    // LACP: the Cisco switch's actor system; IGMP: the group the host joined.
    let lacp: Vec<&Value> = items.iter().filter(|v| v["protocol"] == "lacp").collect();
    assert_eq!(
        lacp[0]["message"]["lacp"]["actor"]["system"],
        "00:13:c4:12:0f:00"
    );
    assert_eq!(lacp[0]["src"], "00:13:c4:12:0f:0d");
    let igmp = items
        .iter()
        .find(|v| v["message"].get("igmp").is_some())
        .unwrap();
    assert_eq!(
        igmp["message"]["igmp"]["igmpv3_report"]["records"][0]["address"],
        "225.0.0.1"
    );
    assert_eq!(igmp["dst"], "224.0.0.22");
    let mld = items
        .iter()
        .find(|v| v["message"].get("icmpv6").is_some())
        .unwrap();
    assert_eq!(mld["message"]["icmpv6"]["type"], 143);

    // Frames and times: the last message of the switch completes in a frame after the
    // reordered ones, and times are the capture's.
    assert_eq!(
        lacp[0]["time"].as_f64().unwrap(),
        time(frames.len() - 4).as_secs_f64()
    );
}

#[test]
fn text_is_ovs_ofctl_ryu_and_sflowtool_notation() {
    let out = decode_file("text.pcap", &pcap(&everything()), &[]);
    // One line per message prefixed by frame, time, endpoints (and the lines of multi-line
    // texts after it).
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(
            "3 0.002000 192.0.2.1:6653 > 192.0.2.2:41000 OFPT_HELLO (OF1.3) (xid=0x1):"
        ),
        "{}",
        lines[0]
    );
    assert!(out.contains(
        "192.0.2.1:6653 > 192.0.2.2:41000 OFPT_FLOW_MOD (OF1.3) (xid=0x4): ADD priority=1,in_port=2,dl_dst=00:00:00:00:00:01 actions=output:1\n"
    ));
    assert!(out.contains(
        "192.0.2.2:41000 > 192.0.2.1:6653 OFPT_PACKET_IN (OF1.3) (xid=0x0): cookie=0x0 total_len=98 in_port=1 (via no_match) data_len=98 (unbuffered)\nicmp,vlan_tci=0x0000,"
    ));
    // sflowtool's text after the item line.
    assert!(out.contains("192.0.2.2:50000 > 192.0.2.1:6343 sFlow datagram, "));
    assert!(out.contains(
        "\nstartDatagram =================================\ndatagramVersion 5\nagent 127.0.0.1\n"
    ));
    // Ryu's notation for LACP, IGMP and MLD: exactly os-ken's repr of the same frames.
    assert!(out.contains(&format!(
        "00:13:c4:12:0f:0d > 01:80:c2:00:00:02 {CISCO_1_REPR}\n"
    )));
    assert!(out.contains(&format!(
        "00:13:c4:12:0f:0d > 01:80:c2:00:00:02 {CISCO_20_REPR}\n"
    )));
    let igmp = ryu_layer("igmpv3_report.ryu.txt", "igmpv3_report");
    assert!(
        out.contains(&format!("10.0.0.1 > 224.0.0.22 {igmp}\n")),
        "{igmp}"
    );
    let mld = ryu_layer("mldv2_report.ryu.txt", "icmpv6");
    assert!(out.contains(&format!(":: > ff02::16 {mld}\n")), "{mld}");
}

/// `--notation ryu`: OpenFlow as os-ken prints `str(msg)`, one line each (the comparison with
/// os-ken itself is `tests/osken_str.rs`); the other protocols print as without it.
#[test]
fn openflow_in_ryus_notation() {
    let capture = pcap(&everything());
    let ofctl = decode_file("ryu.pcap", &capture, &[]);
    let ryu = decode_file("ryu.pcap", &capture, &["--notation", "ryu"]);
    assert_eq!(decode_file("ryu.pcap", &capture, &["-n", "RYU"]), ryu);
    assert_eq!(decode_file("ryu.pcap", &capture, &["-n", "ofctl"]), ofctl);
    assert!(ryu.contains(
        "192.0.2.1:6653 > 192.0.2.2:41000 version=0x4,msg_type=0xe,msg_len=0x60,xid=0x4,\
         OFPFlowMod(buffer_id=4294967295,command=0,cookie=0,cookie_mask=0,flags=0,\
         hard_timeout=0,idle_timeout=0,instructions=[OFPInstructionActions(actions=[\
         OFPActionOutput(len=16,max_len=65535,port=1,type=0)],len=24,type=4)],\
         match=OFPMatch(oxm_fields={'in_port': 2, 'eth_dst': '00:00:00:00:00:01'}),\
         out_group=4294967295,out_port=4294967295,priority=1,table_id=0)\n"
    ));
    // Every OpenFlow message on one line; the other protocols' lines as in ofctl's notation.
    let openflow = |l: &&str| l.contains(":6653 ");
    let of_lines: Vec<&str> = ryu.lines().filter(openflow).collect();
    assert_eq!(
        of_lines.len(),
        switch_messages().len() + controller_messages().len()
    );
    for l in &of_lines {
        let text = l.splitn(6, ' ').nth(5).unwrap();
        assert!(text.starts_with("version=0x4,msg_type=0x"), "{l}");
        assert!(text.ends_with(')'), "{l}");
    }
    let rest = |out: &str| -> String {
        let mut keep = String::new();
        let mut skipping = false;
        for l in out.lines() {
            // An item line starts with its frame number and time; ofp-print's continuation
            // lines belong to the OpenFlow item before them.
            let item = l.split(' ').nth(1).is_some_and(|t| t.contains('.'))
                && l.split(' ')
                    .next()
                    .is_some_and(|f| f.parse::<u64>().is_ok());
            if item {
                skipping = openflow(&l);
            }
            if !skipping {
                keep.push_str(l);
                keep.push('\n');
            }
        }
        keep
    };
    assert_eq!(rest(&ryu), rest(&ofctl));
    assert!(rest(&ryu).contains(CISCO_1_REPR));
    // Not with --json, which has a notation of its own.
    let path = scratch("ryu.pcap");
    let path = path.to_str().unwrap();
    let (_, err, code) = run(&["--json", "-n", "ryu", path], None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot be used with"), "{err}");
    let (_, err, code) = run(&["-n", "tcpdump", path], None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("expected ofctl or ryu"), "{err}");
}

#[test]
fn pcapng_stdin_and_linux_cooked_captures_decode_alike() {
    let frames = everything();
    let from_pcap = decode_file("alike.pcap", &pcap(&frames), &[]);
    let from_pcapng = decode_file("alike.pcapng", &pcapng(&frames), &[]);
    assert_eq!(from_pcapng, from_pcap);
    let (from_stdin, err, code) = run(&["-"], Some(&pcapng(&frames)));
    assert_eq!(code, 0, "{err}");
    assert_eq!(from_stdin, from_pcap);
    let (no_arg, _, _) = run(&[], Some(&pcap(&frames)));
    assert_eq!(no_arg, from_pcap);
    // Absolute times: the capture's epoch seconds.
    let abs = decode_file("alike-abs.pcap", &pcap(&frames), &["--absolute-time"]);
    assert!(abs.starts_with("3 1700000000.002000 "), "{}", &abs[..40]);

    // Linux cooked: no Ethernet addresses for LACP, the rest identical.
    let sll: Vec<Vec<u8>> = frames.iter().map(|f| to_sll(f)).collect();
    let from_sll = decode_file(
        "alike-sll.pcap",
        &pcap_with(DataLink::LINUX_SLL, &sll, 65535),
        &[],
    );
    let strip = |s: &str| -> String {
        s.lines()
            .map(|l| l.replace("00:13:c4:12:0f:0d > 01:80:c2:00:00:02", "? > ?"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(from_sll, strip(&from_pcap) + "\n");
    let sll2: Vec<Vec<u8>> = frames.iter().map(|f| to_sll2(f)).collect();
    let from_sll2 = decode_file(
        "alike-sll2.pcap",
        &pcap_with(DataLink::LINUX_SLL2, &sll2, 65535),
        &[],
    );
    assert_eq!(from_sll2, from_sll);

    // Raw IP (no link header): the IP frames alone, every message but LACP's.
    let ip: Vec<Vec<u8>> = frames
        .iter()
        .filter(|f| f[12..14] != [0x88, 0x09])
        .map(|f| f[14..].to_vec())
        .collect();
    let from_raw = decode_file("alike-raw.pcap", &pcap_with(DataLink::RAW, &ip, 65535), &[]);
    let no_lacp: String = from_pcap
        .lines()
        .filter(|l| !l.contains(" lacp("))
        .map(|l| format!("{l}\n"))
        .collect();
    // Frame numbers differ after the LACP frames (there are none in the raw capture): compare
    // what follows the number and time.
    let tail = |s: &str| -> Vec<String> {
        s.lines()
            .map(
                |l| match l.split_once(' ').and_then(|(_, r)| r.split_once(' ')) {
                    Some((_, rest)) if l.starts_with(|c: char| c.is_ascii_digit()) => {
                        rest.to_string()
                    }
                    _ => l.to_string(),
                },
            )
            .collect()
    };
    assert_eq!(tail(&from_raw), tail(&no_lacp));
}

#[test]
fn protocol_filter_and_ports() {
    let frames = everything();
    let out = decode_file(
        "filter.pcap",
        &pcap(&frames),
        &["--json", "--protocol", "lacp,igmp"],
    );
    let items = json_lines(&out);
    assert_eq!(items.len(), 4);
    assert!(items
        .iter()
        .all(|v| v["protocol"] == "lacp" || v["protocol"] == "igmp"));
    let out = decode_file("filter2.pcap", &pcap(&frames), &["--json", "-p", "sflow"]);
    assert_eq!(json_lines(&out).len(), 7);
    let (_, err, code) = run(&["--protocol", "bgp", "x.pcap"], None);
    assert_eq!(code, 2);
    assert!(err.contains("unknown protocol"), "{err}");

    // OpenFlow on another port, and sFlow on another port, only when asked for.
    let other: Vec<Vec<u8>> = openflow_connection(16653, Cut::PerMessage, |s| s)
        .into_iter()
        .chain(sflow_frames(16343))
        .collect();
    let plain = decode_file("ports.pcap", &pcap(&other), &["--json"]);
    assert_eq!(plain, "");
    let asked = decode_file(
        "ports2.pcap",
        &pcap(&other),
        &["--json", "--of-port", "16653", "--sflow-port", "16343"],
    );
    let items = json_lines(&asked);
    assert_eq!(
        items.iter().filter(|v| v["protocol"] == "openflow").count(),
        22
    );
    assert_eq!(items.iter().filter(|v| v["protocol"] == "sflow").count(), 7);
}

#[test]
fn a_lost_segment_is_a_gap_and_decoding_resumes_at_the_next_message() {
    let switch = switch_messages();
    // One message per segment: losing the 6th loses exactly that message.
    let frames = openflow_connection(6653, Cut::PerMessage, |mut segs| {
        segs.remove(5);
        segs
    });
    let items = json_lines(&decode_file("lost.pcap", &pcap(&frames), &["--json"]));
    let want: Vec<&str> = switch
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 5)
        .map(|(_, (n, _))| fixture_type(n))
        .collect();
    assert_eq!(types_from(&items, SWITCH), want);
    let gaps: Vec<&Value> = items.iter().filter(|v| v.get("gap").is_some()).collect();
    assert_eq!(gaps.len(), 1);
    let lost_at: usize = switch[..5].iter().map(|(_, b)| b.len()).sum();
    assert_eq!(gaps[0]["gap"]["stream_offset"], lost_at);
    assert_eq!(gaps[0]["gap"]["len"], switch[5].1.len());
    assert!(items.iter().all(|v| v.get("skipped").is_none()));
    // Reported at the controller's FIN (the last frame), the first ACK past the lost bytes.
    assert_eq!(gaps[0]["frame"], frames.len() as u64);

    // The controller acknowledges every byte up to the 10th message while it is missing the
    // 6th: the capture lost it, and the gap is reported at that ACK, with the 7th to 10th
    // messages held behind it.
    let upto: usize = switch[..10].iter().map(|(_, b)| b.len()).sum();
    let ack_frame = {
        let mut fs = openflow_connection(6653, Cut::PerMessage, |mut segs| {
            segs.remove(5);
            segs
        });
        let cseq = CONTROLLER_ISN.wrapping_add(1).wrapping_add(
            controller_messages()
                .iter()
                .map(|m| m.len() as u32)
                .sum::<u32>(),
        );
        let ack = segment(
            false,
            6653,
            cseq,
            SWITCH_ISN.wrapping_add(1).wrapping_add(upto as u32),
            sdnwire_packet::tcp::TcpFlags::ACK,
            &[],
        );
        // After the handshake (2), the controller's 5 messages and 9 of the switch's.
        let at = 2 + 5 + 9;
        fs.insert(at, ack);
        let items = json_lines(&decode_file("lost-acked.pcap", &pcap(&fs), &["--json"]));
        let gap = items.iter().find(|v| v.get("gap").is_some()).unwrap();
        assert_eq!(gap["gap"]["stream_offset"], lost_at);
        let next = items
            .iter()
            .find(|v| v["stream_offset"] == lost_at + switch[5].1.len())
            .unwrap();
        assert_eq!(next["frame"], gap["frame"]);
        gap["frame"].as_u64().unwrap()
    };
    assert_eq!(ack_frame, 2 + 5 + 9 + 1);

    // 100-byte segments: the messages around the lost bytes are skipped, every other one
    // decodes, and the bytes are accounted for: decoded + skipped + missing = the stream.
    let frames = openflow_connection(6653, Cut::Every(100), |mut segs| {
        segs.remove(12);
        segs
    });
    let out = decode_file("lost2.pcap", &pcap(&frames), &["--json", "-p", "openflow"]);
    let items = json_lines(&out);
    let from_switch: Vec<&Value> = items.iter().filter(|v| v["src"] == SWITCH).collect();
    let total: u64 = switch.iter().map(|(_, b)| b.len() as u64).sum();
    let mut accounted = 0u64;
    let mut decoded = 0;
    for v in &from_switch {
        if let Some(g) = v.get("gap") {
            assert_eq!(g["stream_offset"], 1200);
            assert_eq!(g["len"], 100);
            accounted += 100;
        } else if let Some(s) = v.get("skipped") {
            accounted += s["len"].as_u64().unwrap();
        } else {
            decoded += 1;
            let offset = v["stream_offset"].as_u64().unwrap() as usize;
            let (name, bytes) = switch
                .iter()
                .scan(0usize, |at, m| {
                    let here = *at;
                    *at += m.1.len();
                    Some((here, m))
                })
                .find(|(at, _)| *at == offset)
                .map(|(_, m)| m)
                .unwrap_or_else(|| panic!("a message at {offset}, not a message boundary"));
            assert_eq!(v["type"], fixture_type(name));
            accounted += bytes.len() as u64;
        }
    }
    assert_eq!(accounted, total);
    // The gap spans the end of one message and the start of the next: those two are lost,
    // the framing is found again at the message after them.
    assert_eq!(
        decoded,
        switch.len() - 2,
        "{decoded} of {} decoded",
        switch.len()
    );
}

#[test]
fn malformed_messages_are_reported_with_their_offsets_and_decoding_goes_on() {
    // A FLOW_MOD whose OXM length runs past its match, between two good messages.
    let good = controller_messages();
    let mut bad = good[3].clone();
    bad[8 + 40 + 2..8 + 40 + 4].copy_from_slice(&200u16.to_be_bytes()); // ofp_match.length
    let payload = [good[1].clone(), bad, good[4].clone()].concat();
    let mut frames = vec![
        segment(
            true,
            6653,
            SWITCH_ISN,
            0,
            sdnwire_packet::tcp::TcpFlags::SYN,
            &[],
        ),
        segment(
            true,
            6653,
            SWITCH_ISN.wrapping_add(1),
            0,
            sdnwire_packet::tcp::TcpFlags::ACK,
            &payload,
        ),
    ];
    // An IGMPv3 report that announces more records than it has.
    let mut igmp = multicast_frames()[0].clone();
    let ip_len = 14 + usize::from(igmp[14] & 0x0f) * 4;
    igmp[ip_len + 7] = 9;
    frames.push(igmp);
    // An sFlow datagram cut short.
    let mut sflow = sflow_frames(6343)[0].clone();
    sflow.truncate(14 + 20 + 8 + 40);
    let ip_total = (sflow.len() - 14) as u16;
    sflow[16..18].copy_from_slice(&ip_total.to_be_bytes());
    sflow[14 + 10..14 + 12].copy_from_slice(&[0, 0]);
    let udp_len = (sflow.len() - 34) as u16;
    sflow[14 + 20 + 4..14 + 20 + 6].copy_from_slice(&udp_len.to_be_bytes());
    frames.push(sflow);
    let (out, err, code) = run(&["--json", scratch_file("bad.pcap", &pcap(&frames))], None);
    assert_eq!(code, 0, "{err}");
    let items = json_lines(&out);
    let types: Vec<&str> = items
        .iter()
        .map(|v| v["type"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        types,
        [
            "OFPT_FEATURES_REQUEST",
            "-",
            "OFPT_BARRIER_REQUEST",
            "-",
            "-"
        ]
    );
    let of_err = &items[1];
    assert!(
        of_err["error"].as_str().unwrap().contains("offset"),
        "{of_err}"
    );
    assert!(of_err["offset"].as_u64().is_some(), "{of_err}");
    assert_eq!(of_err["stream_offset"], 8);
    assert_eq!(&of_err["hex"].as_str().unwrap()[..4], "040e");
    assert_eq!(items[3]["protocol"], "igmp");
    assert!(
        items[3]["offset"].as_u64().unwrap() >= ip_len as u64,
        "{}",
        items[3]
    );
    assert_eq!(items[4]["protocol"], "sflow");
    assert!(
        items[4]["error"].as_str().unwrap().contains("offset"),
        "{}",
        items[4]
    );
    // The text says the same, with ovs-ofctl's hex dump of the message.
    let (text, _, _) = run(&[scratch_file("bad.pcap", &pcap(&frames))], None);
    assert!(text.contains(&format!("OpenFlow message of {} bytes at stream byte 8 does not decode: ofp_match.length: bad length 200 at offset 50", good[3].len())), "{text}");
    assert!(
        text.contains(&format!(
            "\n00000000  04 0e 00 {:02x} 00 00 00 04-",
            good[3].len()
        )),
        "{text}"
    );
    assert!(err.contains("3 errors"), "{err}");
}

fn scratch_file(name: &str, bytes: &[u8]) -> &'static str {
    let p = scratch(name);
    std::fs::write(&p, bytes).unwrap();
    Box::leak(p.to_str().unwrap().to_string().into_boxed_str())
}

#[test]
fn frames_cut_by_the_snap_length_leave_gaps_not_panics() {
    let frames = openflow_connection(6653, Cut::Every(200), |s| s);
    let bytes = pcap_with(DataLink::ETHERNET, &frames, 128);
    let items = json_lines(&decode_file("snap.pcap", &bytes, &["--json"]));
    let gaps = items.iter().filter(|v| v.get("gap").is_some()).count();
    assert!(gaps >= 5, "{gaps} gaps");
    // Whatever decodes is a whole fixture message at its own offset.
    for v in items.iter().filter(|v| v.get("type").is_some()) {
        assert!(v["stream_offset"].as_u64().is_some());
    }
}

#[test]
fn a_broken_capture_is_an_error_after_what_it_held() {
    let frames = everything();
    let mut bytes = pcap(&frames);
    // Cut inside the last record.
    bytes.truncate(bytes.len() - 10);
    let path = scratch_file("broken.pcap", &bytes);
    let (out, err, code) = run(&[path], None);
    assert_eq!(code, 1);
    assert!(err.contains("record"), "{err}");
    assert!(out.contains("OFPT_FEATURES_REPLY"));
    let (_, err, code) = run(&[scratch_file("not.pcap", b"GET / HTTP/1.1\r\n\r\n")], None);
    assert_eq!(code, 1);
    assert!(err.contains("not a pcap or pcapng capture"), "{err}");
}

/// A real session (scripts/capture-decoder-fixture.sh): Open vSwitch 3.1 and eleven
/// `ovs-ofctl -O OpenFlow13` commands over TCP on 127.0.0.1:16633, and the sFlow Open vSwitch
/// sent to 127.0.0.1:16343 meanwhile, captured by tshark on the loopback as pcapng.
#[test]
fn a_real_session_between_open_vswitch_and_ovs_ofctl() {
    let capture = root().join("capture/testdata/ovs-session.pcapng");
    let path = capture.to_str().unwrap();
    // On ports of its own: nothing without them.
    let (out, err, code) = run(&["--json", path], None);
    assert_eq!((out.as_str(), code), ("", 0), "{err}");
    let (out, err, code) = run(
        &[
            "--json",
            "--of-port",
            "16633",
            "--sflow-port",
            "16343",
            path,
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("152 frames"), "{err}");
    let items = json_lines(&out);
    for v in &items {
        assert!(
            v.get("error").is_none() && v.get("gap").is_none() && v.get("skipped").is_none(),
            "{v}"
        );
    }
    let count = |t: &str| items.iter().filter(|v| v["type"] == t).count();
    // Eleven connections, each opened with a HELLO both ways.
    let mut conns: Vec<(String, String)> = items
        .iter()
        .filter(|v| v["protocol"] == "openflow")
        .map(|v| {
            let (a, b) = (v["src"].to_string(), v["dst"].to_string());
            if a < b {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect();
    conns.sort();
    conns.dedup();
    assert_eq!(conns.len(), 11);
    assert_eq!(count("OFPT_HELLO"), 22);
    assert_eq!(count("OFPT_FEATURES_REPLY"), 1);
    assert_eq!(count("OFPT_GET_CONFIG_REPLY"), 1);
    // add-flow four times (one refused), del-flows once; each followed by a barrier.
    assert_eq!(count("OFPT_FLOW_MOD"), 5);
    assert_eq!(count("OFPT_BARRIER_REQUEST"), 5);
    assert_eq!(count("OFPT_BARRIER_REPLY"), 5);
    assert_eq!(count("OFPT_MULTIPART_REQUEST"), 5);
    assert_eq!(count("OFPT_MULTIPART_REPLY"), 5);
    let priorities: Vec<u64> = items
        .iter()
        .filter(|v| v["type"] == "OFPT_FLOW_MOD")
        .map(|v| v["message"]["OFPFlowMod"]["priority"].as_u64().unwrap())
        .collect();
    assert_eq!(priorities, [0, 1, 100, 1, 1]);
    // The refused flow (table 254): OFPET_BAD_REQUEST / OFPBRC_EPERM, to that connection.
    let error = items.iter().find(|v| v["type"] == "OFPT_ERROR").unwrap();
    assert_eq!(error["message"]["OFPErrorMsg"]["type"], 1);
    assert_eq!(error["message"]["OFPErrorMsg"]["code"], 5);
    let refused = items
        .iter()
        .find(|v| v["type"] == "OFPT_FLOW_MOD" && v["message"]["OFPFlowMod"]["table_id"] == 254)
        .unwrap();
    assert_eq!(error["dst"], refused["src"]);
    assert_eq!(error["xid"], refused["xid"]);
    // dump-flows: the three flows, the ping counted on priority 1.
    let flows = items
        .iter()
        .find(|v| {
            v["type"] == "OFPT_MULTIPART_REPLY"
                && v["message"]["OFPFlowStatsReply"].get("body").is_some()
        })
        .unwrap();
    let body = flows["message"]["OFPFlowStatsReply"]["body"]
        .as_array()
        .unwrap();
    assert_eq!(body.len(), 3);
    let p1 = body
        .iter()
        .find(|f| f["OFPFlowStats"]["priority"] == 1)
        .unwrap();
    assert_eq!(p1["OFPFlowStats"]["packet_count"], 1);
    // The same in Ryu's notation: the refused flow and its error as os-ken prints them.
    let (text, err, code) = run(&["-q", "-n", "ryu", "--of-port", "16633", path], None);
    assert_eq!(code, 0, "{err}");
    assert_eq!(text.lines().count(), 52);
    assert!(text.contains(
        "79 1.075883 127.0.0.1:33024 > 127.0.0.1:16633 version=0x4,msg_type=0xe,msg_len=0x38,\
         xid=0x2,OFPFlowMod(buffer_id=4294967295,command=0,cookie=0,cookie_mask=0,flags=0,\
         hard_timeout=0,idle_timeout=0,instructions=[],match=OFPMatch(oxm_fields={}),\
         out_group=4294967295,out_port=4294967295,priority=1,table_id=254)\n"
    ));
    assert!(text.contains(
        "81 1.075973 127.0.0.1:16633 > 127.0.0.1:33024 version=0x4,msg_type=0x1,msg_len=0x44,\
         xid=0x2,OFPErrorMsg(code=5,data=b'\\x04\\x0e\\x008\\x00\\x00\\x00\\x02\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\xfe\\x00\\x00\\x00\\x00\\x00\\x00\\x01\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\x00\\x00\\x00\\x00\\x01\\x00\\x04\\x00\\x00\\x00\\x00',type=1)\n"
    ));
    // sFlow: counter samples, and the flow sample of the ping.
    let sflow: Vec<&Value> = items.iter().filter(|v| v["protocol"] == "sflow").collect();
    assert_eq!(sflow.len(), 2);
    assert!(sflow
        .iter()
        .all(|d| d["message"]["agentAddress"]["V4"] == "127.0.0.1"));
    let flow_samples = sflow
        .iter()
        .flat_map(|d| d["message"]["samples"].as_array().unwrap())
        .filter(|s| s.get("Flow").is_some())
        .count();
    assert_eq!(flow_samples, 1);
}

/// Writes `large.pcap` (500 OpenFlow connections in 1448-byte segments, with Open vSwitch's
/// sFlow datagrams between them) in the test's target directory, for timing the release
/// binary: `cargo test -p sdnwire-capture --test decode_captures -- --ignored`, then
/// `time target/release/sdnwire-decode -q target/tmp/sdnwire-decode/large.pcap > /dev/null`.
#[test]
#[ignore]
fn write_a_large_capture_for_timing() {
    let conn = openflow_connection(6653, Cut::Every(1448), |s| s);
    let sflow = sflow_frames(6343);
    let mut frames = Vec::new();
    for c in 0..500u16 {
        let port = 20000 + c;
        for f in &conn {
            let mut f = f.clone();
            for at in [34, 36] {
                if f[at..at + 2] == SWITCH_PORT.to_be_bytes() {
                    f[at..at + 2].copy_from_slice(&port.to_be_bytes());
                }
            }
            frames.push(f);
        }
        frames.extend(sflow.iter().cloned());
    }
    let bytes = pcap(&frames);
    std::fs::write(scratch("large.pcap"), &bytes).unwrap();
    println!("{} frames, {} bytes", frames.len(), bytes.len());
}

#[test]
fn a_capture_that_starts_mid_connection_finds_the_first_message_boundary() {
    let switch = switch_messages();
    // No handshake, and the switch's first 250 bytes not captured: the capture starts in the
    // middle of a message.
    let frames: Vec<Vec<u8>> = openflow_connection(6653, Cut::Every(50), |segs| {
        segs.into_iter().skip(5).collect()
    })
    .into_iter()
    .skip(2)
    .collect();
    let items = json_lines(&decode_file(
        "mid.pcap",
        &pcap(&frames),
        &["--json", "-p", "openflow"],
    ));
    let from_switch: Vec<&Value> = items.iter().filter(|v| v["src"] == SWITCH).collect();
    // First the bytes before the first boundary, skipped...
    let skipped = &from_switch[0]["skipped"];
    assert_eq!(skipped["reason"], "not at an OpenFlow message boundary");
    let first = skipped["len"].as_u64().unwrap();
    // ...then every message from the first whole one on, at its offset in the capture's
    // stream (which starts at the switch's byte 250).
    let starts: Vec<u64> = switch
        .iter()
        .scan(0u64, |at, (_, b)| {
            let here = *at;
            *at += b.len() as u64;
            Some(here)
        })
        .collect();
    let first_whole = starts.iter().position(|&s| s >= 250).unwrap();
    assert_eq!(250 + first, starts[first_whole]);
    let decoded: Vec<&Value> = from_switch[1..].to_vec();
    assert_eq!(decoded.len(), switch.len() - first_whole);
    for (v, (name, _)) in decoded.iter().zip(&switch[first_whole..]) {
        assert_eq!(v["type"], fixture_type(name), "{v}");
    }
    // The controller's direction starts mid-stream too (no SYN captured): its first message
    // is found by the header after it.
    assert_eq!(
        types_from(&items, CONTROLLER),
        [
            "OFPT_HELLO",
            "OFPT_FEATURES_REQUEST",
            "OFPT_FLOW_MOD",
            "OFPT_FLOW_MOD",
            "OFPT_BARRIER_REQUEST"
        ]
    );
}
