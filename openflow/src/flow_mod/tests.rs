extern crate std;

use super::test_support::*;
use super::*;
use crate::action::test_support::arb_damage;
use crate::codec_error::Error;
use crate::oxm::{OxmField, OFPVID_NONE, OFPVID_PRESENT};
use crate::simple::testutil::*;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use proptest::prelude::*;
use sdnwire_packet::MacAddr;

const CORPUS: &[&str] = &[
    "4-2-ofp_flow_mod",
    "4-3-ofp_flow_mod",
    "4-46-ofp_flow_mod",
    "4-60-ofp_flow_mod",
    "libofproto-OFP13-flow_mod",
    "libofproto-OFP13-flow_mod_conjunction",
    "libofproto-OFP13-flow_mod_match_conj",
    "ovs-ofctl-of13-action_conjunction",
    "ovs-ofctl-of13-action_controller",
    "ovs-ofctl-of13-action_controller2",
    "ovs-ofctl-of13-action_ct",
    "ovs-ofctl-of13-action_ct_clear",
    "ovs-ofctl-of13-action_ct_exec",
    "ovs-ofctl-of13-action_ct_nat",
    "ovs-ofctl-of13-action_ct_nat_v6",
    "ovs-ofctl-of13-action_dec_ttl_cnt_ids",
    "ovs-ofctl-of13-action_fintimeout",
    "ovs-ofctl-of13-action_learn",
    "ovs-ofctl-of13-action_note",
    "ovs-ofctl-of13-action_output_trunc",
    "ovs-ofctl-of13-action_resubmit",
    "ovs-ofctl-of13-action_sample",
    "ovs-ofctl-of13-action_sample2",
    "ovs-ofctl-of13-action_stack_pop",
    "ovs-ofctl-of13-action_stack_push",
    "ovs-ofctl-of13-match_conj",
    "ovs-ofctl-of13-match_load_nx_register",
    "ovs-ofctl-of13-match_move_nx_register",
    "ovs-ofctl-of13-match_pkt_mark",
    "ovs-ofctl-of13-match_pkt_mark_masked",
];

fn mac(s: &str) -> MacAddr {
    s.parse().unwrap()
}

fn parse(b: &[u8]) -> Result<FlowMod> {
    parse_bytes(b, FlowMod::parse_body)
}

#[test]
fn os_ken_corpus() {
    for &name in CORPUS {
        let Some(msg) = corpus(name) else { return };
        let fm: FlowMod = parse_msg(&msg);
        // The view agrees with the owned parse.
        let mut r = body(&msg, MsgType::FLOW_MOD);
        let v = FlowModView::parse(&mut r).unwrap();
        v.validate().unwrap();
        assert_eq!(v.decode().unwrap(), fm, "{name}");
        assert_eq!(v.to_string(), fm.to_string(), "{name}");
        assert_eq!(v.ofp_print().to_string(), fm.ofp_print().to_string());

        let Some(json) = corpus_json(name) else {
            return;
        };
        let j = &json["OFPFlowMod"];
        assert_eq!(j["cookie"], fm.cookie, "{name}");
        assert_eq!(j["cookie_mask"], fm.cookie_mask, "{name}");
        assert_eq!(j["table_id"], fm.table_id.0, "{name}");
        assert_eq!(j["command"], fm.command.0, "{name}");
        assert_eq!(j["idle_timeout"], fm.idle_timeout, "{name}");
        assert_eq!(j["hard_timeout"], fm.hard_timeout, "{name}");
        assert_eq!(j["priority"], fm.priority, "{name}");
        assert_eq!(j["buffer_id"], fm.buffer_id.0, "{name}");
        assert_eq!(j["out_port"], fm.out_port.0, "{name}");
        assert_eq!(j["out_group"], fm.out_group.0, "{name}");
        assert_eq!(j["flags"], fm.flags.0, "{name}");
        let jm = &j["match"]["OFPMatch"];
        assert_eq!(jm["length"], fm.match_.length(), "{name}");
        assert_eq!(
            jm["oxm_fields"].as_array().unwrap().len(),
            fm.match_.fields.len(),
            "{name}"
        );
        let ji = j["instructions"].as_array().unwrap();
        assert_eq!(ji.len(), fm.instructions.len(), "{name}");
        for (i, ji) in fm.instructions.iter().zip(ji) {
            let (kind, v) = ji.as_object().unwrap().iter().next().unwrap();
            assert_eq!(v["type"], i.instruction_type().0, "{name}: {kind}");
            assert_eq!(v["len"], i.encoded_len(), "{name}: {kind}");
            match i {
                Instruction::ApplyActions(a) | Instruction::WriteActions(a) => {
                    check_actions(name, a, &v["actions"])
                }
                Instruction::GotoTable(t) => assert_eq!(v["table_id"], t.0),
                Instruction::Meter(m) => assert_eq!(v["meter_id"], m.0),
                other => panic!("{name}: unexpected {other:?}"),
            }
        }
    }
}

#[test]
fn corpus_prints_as_ovs() {
    // The corpus flow mods OVS accepts whose fields and actions are all standard.
    for name in ["4-3-ofp_flow_mod", "4-46-ofp_flow_mod"] {
        let Some(msg) = corpus(name) else { return };
        let fm: FlowMod = parse_msg(&msg);
        let Some(line) = ovs_line(MsgType::FLOW_MOD, &fm) else {
            return;
        };
        assert_eq!(fm.ofp_print().to_string(), line, "{name}");
    }
    let Some(msg) = corpus("4-46-ofp_flow_mod") else {
        return;
    };
    let fm: FlowMod = parse_msg(&msg);
    assert_eq!(
        fm.to_string(),
        "table=1,buffer_id=0xffff,priority=123,dl_dst=f2:0b:a4:7d:f8:ea \
             actions=meter:1,write_actions(output:6)"
    );
}

#[test]
fn builder() {
    let fm = FlowMod::add()
        .priority(1)
        .matching(Match::new().in_port(1).eth_dst(mac("00:00:00:00:00:02")))
        .apply_actions([Action::output(2)]);
    assert_eq!(
        fm,
        FlowMod {
            cookie: 0,
            cookie_mask: 0,
            table_id: TableId(0),
            command: FlowModCommand::ADD,
            idle_timeout: 0,
            hard_timeout: 0,
            priority: 1,
            buffer_id: BufferId::NO_BUFFER,
            out_port: PortNo::ANY,
            out_group: GroupId::ANY,
            flags: FlowModFlags::EMPTY,
            match_: Match::new().in_port(1).eth_dst([0, 0, 0, 0, 0, 2]),
            instructions: vec![Instruction::apply_actions(vec![Action::output(2)])].into(),
        }
    );
    assert_eq!(
        fm.to_string(),
        "table=0,priority=1,in_port=1,dl_dst=00:00:00:00:00:02 actions=output:2"
    );
    assert_eq!(
        fm.ofp_print().to_string(),
        "ADD priority=1,in_port=1,dl_dst=00:00:00:00:00:02 actions=output:2"
    );
    // Wire layout: 40 fixed bytes, the match (in_port, eth_dst: 4 + 8 + 10 = 22, padded
    // to 24), apply-actions with one output.
    let b = fm.to_vec().unwrap();
    assert_eq!(
        b,
        hex(
            "0000000000000000 0000000000000000 00 00 0000 0000 0001 ffffffff
                 ffffffff ffffffff 0000 0000
                 0001 0016 80000004 00000001 80000606 000000000002 0000
                 0004 0018 00000000 0000 0010 00000002 ffff 000000000000"
        )
    );
    assert_eq!(parse(&b).unwrap(), fm);

    let d = FlowMod::delete();
    assert_eq!(d.table_id, TableId::ALL);
    assert_eq!((d.out_port, d.out_group), (PortNo::ANY, GroupId::ANY));
    assert_eq!(d.priority, OFP_DEFAULT_PRIORITY);
    assert_eq!(d.to_string(), "delete table=255");
    assert_eq!(
        FlowMod::delete_strict().command,
        FlowModCommand::DELETE_STRICT
    );
    assert_eq!(FlowMod::delete_strict().table_id, TableId::ALL);
    assert_eq!(FlowMod::modify().command, FlowModCommand::MODIFY);
    assert_eq!(FlowMod::modify().table_id, TableId(0));
    assert_eq!(
        FlowMod::modify_strict().command,
        FlowModCommand::MODIFY_STRICT
    );
    assert_eq!(
        FlowMod::modify_strict().to_string(),
        "modify_strict table=0,priority=32768 actions=drop"
    );

    // Every setter.
    let fm = FlowMod::add()
        .table(TableId(3))
        .idle_timeout(10)
        .hard_timeout(20)
        .cookie(0x55)
        .cookie_mask(0xff)
        .flags(FlowModFlags::SEND_FLOW_REM | FlowModFlags::CHECK_OVERLAP)
        .buffer_id(BufferId(7))
        .out_port(PortNo(9))
        .out_group(GroupId(4));
    assert_eq!(fm.table_id, TableId(3));
    // Plain numbers convert.
    let lit = FlowMod::add()
        .table(1)
        .goto_table(2)
        .meter(3)
        .out_group(4)
        .out_port(5);
    assert_eq!(
        lit.to_string(),
        "table=1,out_port=5,out_group=4,priority=32768 actions=meter:3,goto_table:2"
    );
    assert_eq!((fm.idle_timeout, fm.hard_timeout), (10, 20));
    assert_eq!((fm.cookie, fm.cookie_mask), (0x55, 0xff));
    assert_eq!(fm.flags, FlowModFlags(3));
    assert_eq!(fm.buffer_id, BufferId(7));
    assert_eq!((fm.out_port, fm.out_group), (PortNo(9), GroupId(4)));
    assert_eq!(
        fm.to_string(),
        "cookie=0x55/0xff,table=3,out_port=9,out_group=4,buffer_id=0x7,idle_timeout=10,\
             hard_timeout=20,send_flow_rem,check_overlap,priority=32768 actions=drop"
    );
}

#[test]
fn builder_orders_instructions() {
    // Instructions go where the switch executes them, whatever the call order; apply and
    // write actions accumulate; goto/meter/metadata replace.
    let fm = FlowMod::add()
        .goto_table(TableId(9))
        .write_metadata(1, 0xff)
        .write_actions([Action::output(1)])
        .clear_actions()
        .apply_actions([Action::pop_vlan()])
        .meter(MeterId(5))
        .apply_actions([Action::output(2)])
        .write_actions([Action::group(GroupId(3))])
        .goto_table(TableId(4))
        .meter(MeterId(6))
        .clear_actions()
        .write_metadata(2, 0xf);
    assert_eq!(
        fm.instructions,
        vec![
            Instruction::Meter(MeterId(6)),
            Instruction::apply_actions(vec![Action::pop_vlan(), Action::output(2)]),
            Instruction::ClearActions,
            Instruction::write_actions(vec![Action::output(1), Action::group(GroupId(3))]),
            Instruction::WriteMetadata {
                metadata: 2,
                mask: 0xf
            },
            Instruction::GotoTable(TableId(4)),
        ]
    );
    assert_eq!(
        fm.applied_actions(),
        Some(&[Action::pop_vlan(), Action::output(2)][..])
    );
    let fm = FlowMod::add()
        .instruction(Instruction::Experimenter {
            experimenter: 1,
            data: vec![0; 8],
        })
        .instructions([
            Instruction::GotoTable(TableId(2)),
            Instruction::Meter(MeterId(1)),
        ]);
    let types: Vec<u16> = fm
        .instructions
        .iter()
        .map(|i| i.instruction_type().0)
        .collect();
    assert_eq!(types, [6, 1, 0xffff]);
}

#[test]
fn flags_and_commands() {
    let f = FlowModFlags::ALL | FlowModFlags(0x100);
    assert!(f.contains(FlowModFlags::NO_BYT_COUNTS | FlowModFlags::RESET_COUNTS));
    assert!(!FlowModFlags::SEND_FLOW_REM.contains(FlowModFlags::CHECK_OVERLAP));
    assert_eq!(f.unknown(), FlowModFlags(0x100));
    assert_eq!(
        f.to_string(),
        "SEND_FLOW_REM|CHECK_OVERLAP|RESET_COUNTS|NO_PKT_COUNTS|NO_BYT_COUNTS|0x100"
    );
    assert_eq!(FlowModFlags::EMPTY.to_string(), "0");
    assert_eq!((f & !FlowModFlags::ALL), FlowModFlags(0x100));
    let mut g = FlowModFlags::EMPTY;
    g |= FlowModFlags::RESET_COUNTS;
    assert_eq!(g.ofctl_names().collect::<Vec<_>>(), ["reset_counts"]);
    assert_eq!(
        format!("{:?}", FlowModCommand::DELETE_STRICT),
        "FlowModCommand(OFPFC_DELETE_STRICT)"
    );
    assert_eq!(FlowModCommand(9).to_string(), "OFPFC_UNKNOWN(9)");
    let fm = FlowMod::new(FlowModCommand(9)).flags(FlowModFlags(0x21));
    assert_eq!(
        fm.to_string(),
        "cmd:9 table=0,send_flow_rem,flags=0x20,priority=32768 actions=drop"
    );
    assert_eq!(
        fm.ofp_print().to_string(),
        "cmd:9 send_flow_rem flags:0x20 actions=drop"
    );
}

use alloc::format;

/// Flow mods built with the builder covering every match field and action OVS 3.1 takes
/// in OpenFlow 1.3 (not in_phy_port, pbb_isid, ipv6_exthdr, copy_ttl_*, push/pop_pbb),
/// every instruction, flag and command.
fn ovs_flow_mods() -> Vec<FlowMod> {
    let ip = |m: Match| m.eth_type(0x0800);
    let ip6 = |m: Match| m.eth_type(0x86dd);
    vec![
        FlowMod::add()
            .priority(1)
            .matching(Match::new().in_port(1).eth_dst(mac("00:00:00:00:00:02")))
            .apply_actions([Action::output(2)]),
        FlowMod::add()
            .table(TableId(1))
            .priority(100)
            .cookie(0x1234_5678_9abc_def0)
            .idle_timeout(10)
            .hard_timeout(300)
            .flags(FlowModFlags::ALL)
            .matching(
                ip(Match::new()
                    .in_port(3)
                    .metadata_masked(0x100, 0xff00)
                    .eth_dst_masked(mac("01:00:00:00:00:00"), mac("01:00:00:00:00:00"))
                    .eth_src(mac("f2:0b:a4:7d:f8:ea"))
                    .vlan_vid(OFPVID_PRESENT | 10)
                    .vlan_pcp(3))
                .ip_dscp(46)
                .ip_ecn(1)
                .ip_proto(6)
                .ipv4_src_masked([10, 0, 0, 0], [255, 255, 255, 0])
                .ipv4_dst([10, 0, 0, 2])
                .tcp_src(1234)
                .tcp_dst(80),
            )
            .apply_actions([
                Action::set_field(OxmField::Ipv4Dst([10, 0, 0, 3].into(), None)),
                Action::set_field(OxmField::TcpDst(8080)),
                Action::set_field(OxmField::EthSrc(mac("00:00:00:00:00:01"), None)),
                Action::set_field(OxmField::IpDscp(10)),
                Action::dec_nw_ttl(),
                Action::set_nw_ttl(9),
                Action::set_queue(3),
                Action::output(2),
                Action::output_to_controller(128),
            ])
            .goto_table(TableId(2)),
        FlowMod::add()
            .matching(
                ip(Match::new())
                    .ip_proto(17)
                    .udp_src(67)
                    .udp_dst(68)
                    .tunnel_id_masked(0x10, 0xff),
            )
            .apply_actions([
                Action::set_field(OxmField::UdpSrc(1)),
                Action::flood(),
                Action::in_port(),
            ]),
        FlowMod::add()
            .priority(5)
            .matching(ip(Match::new()).ip_proto(132).sctp_src(1).sctp_dst(2))
            .apply_actions([
                Action::set_field(OxmField::SctpDst(3)),
                Action::output(PortNo::LOCAL),
            ]),
        FlowMod::add()
            .matching(ip(Match::new()).ip_proto(1).icmpv4_type(8).icmpv4_code(0))
            .apply_actions([
                Action::set_field(OxmField::Icmpv4Type(0)),
                Action::output(PortNo::NORMAL),
            ]),
        FlowMod::add()
            .matching(
                Match::new()
                    .eth_type(0x0806)
                    .arp_op(1)
                    .arp_spa_masked([10, 0, 0, 0], [255, 0, 0, 0])
                    .arp_tpa([10, 0, 0, 1])
                    .arp_sha(mac("00:00:00:00:00:0a"))
                    .arp_tha_masked(mac("00:00:00:00:00:00"), mac("ff:ff:ff:00:00:00")),
            )
            .apply_actions([
                Action::set_field(OxmField::ArpOp(2)),
                Action::set_field(OxmField::ArpSpa([10, 0, 0, 1].into(), None)),
                Action::set_field(OxmField::ArpSha(mac("00:00:00:00:00:0b"), None)),
                Action::output(PortNo::IN_PORT),
            ]),
        FlowMod::add()
            .matching(
                ip6(Match::new())
                    .ipv6_src_masked(
                        "2001:db8::".parse::<core::net::Ipv6Addr>().unwrap(),
                        "ffff:ffff::".parse::<core::net::Ipv6Addr>().unwrap(),
                    )
                    .ipv6_dst("2001:db8::1".parse::<core::net::Ipv6Addr>().unwrap())
                    .ipv6_flabel_masked(0x12340, 0xffff0)
                    .ip_proto(58)
                    .icmpv6_type(135)
                    .icmpv6_code(0)
                    .ipv6_nd_target("fe80::1".parse::<core::net::Ipv6Addr>().unwrap())
                    .ipv6_nd_sll(mac("00:00:00:00:00:0c")),
            )
            .apply_actions([
                Action::set_field(OxmField::Ipv6Src("2001:db8::2".parse().unwrap(), None)),
                Action::set_field(OxmField::Ipv6NdTarget("fe80::2".parse().unwrap())),
                Action::output(PortNo::ALL),
            ]),
        FlowMod::add()
            .matching(
                ip6(Match::new())
                    .ip_proto(58)
                    .icmpv6_type(136)
                    .ipv6_nd_tll(mac("00:00:00:00:00:0d")),
            )
            .apply_actions([Action::set_field(OxmField::Ipv6NdTll(mac(
                "00:00:00:00:00:0e",
            )))]),
        FlowMod::add()
            .matching(ip6(Match::new()).ip_proto(6).tcp_dst(22))
            .apply_actions([Action::set_field(OxmField::Ipv6Flabel(7, None))]),
        FlowMod::add()
            .matching(
                Match::new()
                    .eth_type(0x8847)
                    .mpls_label(100)
                    .mpls_tc(2)
                    .mpls_bos(1),
            )
            .apply_actions([
                Action::set_field(OxmField::MplsLabel(200)),
                Action::set_field(OxmField::MplsTc(3)),
                Action::SetMplsTtl(7),
                Action::DecMplsTtl,
                Action::pop_mpls(0x0800),
                Action::output(4),
            ]),
        FlowMod::add().matching(ip(Match::new())).apply_actions([
            Action::push_mpls(),
            Action::set_field(OxmField::MplsLabel(5)),
            Action::push_vlan(),
            Action::set_field(OxmField::VlanVid(OFPVID_PRESENT | 7, None)),
            Action::set_field(OxmField::VlanPcp(2)),
            Action::output(5),
        ]),
        FlowMod::add()
            .matching(Match::new().vlan_vid(OFPVID_NONE))
            .apply_actions([Action::push_vlan_8021ad(), Action::group(GroupId(7))]),
        FlowMod::add()
            .matching(Match::new().vlan_vid_masked(OFPVID_PRESENT, OFPVID_PRESENT))
            .apply_actions([Action::pop_vlan(), Action::output(1)]),
        FlowMod::add()
            .table(TableId(3))
            .meter(MeterId(1))
            .apply_actions([Action::output(1)])
            .clear_actions()
            .write_actions([Action::output(2), Action::group(GroupId(1))])
            .write_metadata(0x1, 0xff)
            .goto_table(TableId(4)),
        FlowMod::add().write_metadata(0xff, u64::MAX),
        FlowMod::add().priority(0),
        FlowMod::add().cookie(u64::MAX).priority(65535),
        FlowMod::modify()
            .matching(Match::new().in_port(1))
            .apply_actions([Action::output(3)]),
        FlowMod::modify_strict()
            .table(TableId(2))
            .priority(7)
            .cookie(0x10)
            .cookie_mask(0xf0)
            .matching(Match::new().in_port(1))
            .apply_actions([Action::output(3)]),
        FlowMod::delete(),
        FlowMod::delete()
            .cookie(0x5)
            .cookie_mask(u64::MAX)
            .out_port(2)
            .out_group(GroupId(7))
            .matching(Match::new().in_port(1)),
        FlowMod::delete_strict()
            .table(TableId(0))
            .priority(9)
            .out_port(PortNo::CONTROLLER)
            .matching(ip(Match::new()).ipv4_dst([192, 168, 0, 1])),
    ]
}

#[test]
fn ovs_decodes_what_we_build() {
    for fm in ovs_flow_mods() {
        let Some(line) = ovs_line(MsgType::FLOW_MOD, &fm) else {
            return;
        };
        assert_eq!(fm.ofp_print().to_string(), line, "{fm:?}");
    }
}

/// Canonical form for comparing flow mods that went through ovs-ofctl: match fields
/// sorted, instructions in execution order, empty apply-actions dropped.
fn canonical(mut fm: FlowMod) -> FlowMod {
    fm.match_
        .fields
        .sort_by_key(|f| (f.class(), f.field(), format!("{f:?}")));
    fm.instructions
        .retain(|i| !matches!(i, Instruction::ApplyActions(a) if a.is_empty()));
    fm.instructions.sort_by_key(|i| rank(i.instruction_type()));
    // max_len only matters for the controller port: ovs-ofctl writes 0 elsewhere.
    for i in &mut fm.instructions {
        if let Instruction::ApplyActions(a) | Instruction::WriteActions(a) = i {
            for a in a {
                if let Action::Output { port, max_len } = a {
                    if *port != PortNo::CONTROLLER {
                        *max_len = 0;
                    }
                }
            }
        }
    }
    fm
}

#[test]
fn ovs_parses_our_display() {
    // ovs-ofctl parse-flow reads our Display of every add and encodes the same flow mod.
    for fm in ovs_flow_mods() {
        if fm.command != FlowModCommand::ADD {
            continue;
        }
        let text = fm.to_string();
        let Some(msg) = ovs_parse_flow(&text) else {
            return;
        };
        let got: FlowMod = parse_exact(&msg, MsgType::FLOW_MOD, FlowMod::parse_body);
        assert_eq!(canonical(got), canonical(fm.clone()), "{text}");
    }
}

/// Runs `ovs-ofctl -O OpenFlow13 add-flows` on `lines` against a fake switch (this
/// test, on a TCP port) and returns the FLOW_MODs ovs-ofctl sends, or None when
/// ovs-ofctl is missing.
fn ovs_add_flows(lines: &str) -> Option<Vec<FlowMod>> {
    if !sdnwire_testkit::require(&[sdnwire_testkit::Peer::OvsOfctl]) {
        return None;
    }
    use std::io::{Read, Write};
    let file = std::env::temp_dir().join(format!("flow_mod_test_{}.txt", std::process::id()));
    std::fs::write(&file, lines).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let child = std::process::Command::new("ovs-ofctl")
        .args(["-O", "OpenFlow13", "--no-names", "add-flows"])
        .arg(format!("tcp:127.0.0.1:{port}"))
        .arg(&file)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => panic!("ovs-ofctl: {e}"),
    };
    struct Kill<'a>(&'a mut std::process::Child);
    impl Drop for Kill<'_> {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let guard = Kill(&mut child);
    listener.set_nonblocking(false).unwrap();
    let (mut s, _) = listener.accept().unwrap();
    s.set_read_timeout(Some(core::time::Duration::from_secs(20)))
        .unwrap();
    s.write_all(&[4, 0, 0, 8, 0, 0, 0, 0]).unwrap(); // HELLO, OpenFlow 1.3
    let mut got = Vec::new();
    loop {
        let mut h = [0u8; 8];
        if s.read_exact(&mut h).is_err() {
            break; // ovs-ofctl is done
        }
        let len = usize::from(u16::from_be_bytes([h[2], h[3]]));
        let mut m = h.to_vec();
        m.resize(len, 0);
        s.read_exact(&mut m[8..]).unwrap();
        match MsgType(m[1]) {
            MsgType::FLOW_MOD => got.push(parse_exact(&m, MsgType::FLOW_MOD, FlowMod::parse_body)),
            MsgType::BARRIER_REQUEST => {
                s.write_all(&[4, 21, 0, 8, m[4], m[5], m[6], m[7]]).unwrap();
            }
            MsgType::ECHO_REQUEST => {
                m[1] = 3;
                s.write_all(&m).unwrap();
            }
            _ => {}
        }
    }
    let status = guard.0.wait().unwrap();
    let mut err = String::new();
    if let Some(e) = guard.0.stderr.as_mut() {
        let _ = e.read_to_string(&mut err);
    }
    drop(guard);
    let _ = std::fs::remove_file(&file);
    assert!(status.success(), "ovs-ofctl add-flows failed: {err}");
    Some(got)
}

#[test]
fn ovs_ofctl_sends_our_display() {
    // Every command: our Display as lines of an `ovs-ofctl add-flows` file; ovs-ofctl
    // parses them and sends (to us, as a fake switch) the flow mods we built.
    let fms = ovs_flow_mods();
    let lines: String = fms.iter().map(|fm| format!("{fm}\n")).collect();
    let Some(got) = ovs_add_flows(&lines) else {
        return;
    };
    assert_eq!(got.len(), fms.len(), "{lines}");
    for (g, fm) in got.into_iter().zip(fms) {
        assert_eq!(canonical(g), canonical(fm.clone()), "{fm}");
    }
}

// ------------------------------------------------------------------ negative

/// An ADD with match in_port=1 (16 bytes with padding) and apply-actions(output:2):
/// body offsets: fixed 0..40, match 40..56, instruction 56..80 (message offsets +8).
fn sample() -> Vec<u8> {
    FlowMod::add()
        .matching(Match::new().in_port(1))
        .apply_actions([Action::output(2)])
        .to_vec()
        .unwrap()
}

#[test]
fn negative_lengths() {
    let good = sample();
    assert_eq!(good.len(), 80);
    assert!(parse(&good).is_ok());
    // Truncated anywhere in the fixed part or the match.
    for n in 0..56 {
        let e = parse(&good[..n]).unwrap_err();
        assert!(
            matches!(e, Error::Truncated { .. } | Error::BadLength { .. }),
            "{n}: {e}"
        );
    }
    // No instructions at all is fine (actions=drop).
    assert_eq!(parse(&good[..56]).unwrap().instructions, vec![]);
    // Truncated inside the instruction: its length runs past the end.
    for n in 57..80 {
        let e = parse(&good[..n]).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Truncated { .. } | Error::BadLength { offset: 66, .. }
            ),
            "{n}: {e}"
        );
    }

    let with = |at: usize, v: &[u8]| {
        let mut b = good.clone();
        b[at..at + v.len()].copy_from_slice(v);
        b
    };
    // Fixed padding.
    assert_eq!(
        parse(&with(39, &[1])),
        Err(Error::BadValue {
            what: "ofp_flow_mod.pad",
            offset: 47,
            value: 1,
            expected: "zero padding"
        })
    );
    // Match type, length below 4, length past the end, padding.
    assert!(matches!(
        parse(&with(40, &[0, 0])),
        Err(Error::BadValue {
            what: "ofp_match.type",
            offset: 48,
            ..
        })
    ));
    assert!(matches!(
        parse(&with(42, &[0, 3])),
        Err(Error::BadLength {
            what: "ofp_match.length",
            offset: 50,
            value: 3,
            ..
        })
    ));
    assert!(matches!(
        parse(&with(42, &[0, 200])),
        Err(Error::BadLength {
            what: "ofp_match.length",
            offset: 50,
            value: 200,
            ..
        })
    ));
    // A length that cuts the OXM TLV: the TLV runs past the match.
    assert!(parse(&with(42, &[0, 10])).is_err());
    assert!(matches!(
        parse(&with(55, &[1])),
        Err(Error::BadValue {
            what: "ofp_match.pad",
            offset: 63,
            ..
        })
    ));
    // Instruction length below 8, not a multiple of 8, past the end.
    for (len, reason) in [
        (4u8, "below the 8-byte minimum of an instruction"),
        (12, "not a multiple of 8"),
        (32, "past the end of the instruction list"),
    ] {
        let b = with(58, &[0, len]);
        assert_eq!(
            parse(&b),
            Err(Error::BadLength {
                what: "ofp_instruction_actions",
                offset: 66,
                value: usize::from(len),
                reason
            }),
            "{len}"
        );
        // The view parses (instructions are checked when walked) but does not validate.
        let mut r = crate::codec::Reader::new(&b, 8);
        let v = FlowModView::parse(&mut r).unwrap();
        assert!(v.validate().is_err());
        assert!(v.decode().is_err());
        assert!(v.to_string().contains("<error:"), "{v}");
    }
    // The output action's length (at body 60+2): 8 is too short for an output.
    assert!(matches!(
        parse(&with(66, &[0, 8])),
        Err(Error::BadLength { offset: 74, .. })
    ));
    // Action list shorter than the instruction says: the action runs past it.
    assert!(matches!(
        parse(&with(58, &[0, 16])),
        Err(Error::BadLength { .. }) | Err(Error::Truncated { .. })
    ));
    // Trailing bytes that are not an instruction.
    let mut long = good.clone();
    long.extend_from_slice(&[0, 1, 0]);
    assert!(matches!(
        parse(&long),
        Err(Error::Truncated { offset: 88, .. })
    ));
}

#[test]
fn unencodable() {
    // A match too long for its 16-bit length.
    let mut m = Match::new();
    for _ in 0..6000 {
        m = m.ipv6_src("::1".parse::<core::net::Ipv6Addr>().unwrap());
    }
    assert!(matches!(
        FlowMod::add().matching(m).to_vec(),
        Err(Error::Unencodable { .. })
    ));
}

// ------------------------------------------------------------------ proptest

fn arb_field() -> impl Strategy<Value = OxmField> {
    prop_oneof![
        any::<u32>().prop_map(|p| OxmField::InPort(PortNo(p))),
        (any::<[u8; 6]>(), proptest::option::of(any::<[u8; 6]>()))
            .prop_map(|(v, m)| OxmField::EthDst(MacAddr(v), m.map(MacAddr))),
        any::<u16>().prop_map(OxmField::EthType),
        (any::<u16>(), proptest::option::of(any::<u16>()))
            .prop_map(|(v, m)| OxmField::VlanVid(v & 0x1fff, m.map(|m| m & 0x1fff))),
        (any::<[u8; 4]>(), proptest::option::of(any::<[u8; 4]>()))
            .prop_map(|(v, m)| OxmField::Ipv4Src(v.into(), m.map(Into::into))),
        any::<u16>().prop_map(OxmField::TcpDst),
        (any::<u64>(), proptest::option::of(any::<u64>()))
            .prop_map(|(v, m)| OxmField::Metadata(v, m)),
        (0u16..3, proptest::collection::vec(any::<u8>(), 0..12))
            .prop_map(|(c, p)| { OxmField::from_parts(c, 40, false, &p) }),
    ]
}

fn arb_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (any::<u32>(), any::<u16>()).prop_map(|(p, l)| Action::output_max_len(p, l)),
        any::<u32>().prop_map(|g| Action::group(GroupId(g))),
        any::<u16>().prop_map(Action::PushVlan),
        Just(Action::PopVlan),
        any::<u8>().prop_map(Action::SetNwTtl),
        arb_field().prop_map(Action::SetField),
        (any::<u32>(), proptest::collection::vec(any::<u8>(), 0..3)).prop_map(|(e, d)| {
            let mut data = vec![];
            for x in d {
                data.extend_from_slice(&[x; 8]);
            }
            Action::experimenter(e, data)
        }),
    ]
}

fn arb_instruction() -> impl Strategy<Value = Instruction> {
    prop_oneof![
        any::<u8>().prop_map(|t| Instruction::GotoTable(TableId(t))),
        (any::<u64>(), any::<u64>())
            .prop_map(|(metadata, mask)| Instruction::WriteMetadata { metadata, mask }),
        proptest::collection::vec(arb_action(), 0..4).prop_map(Instruction::write_actions),
        proptest::collection::vec(arb_action(), 0..4).prop_map(Instruction::apply_actions),
        Just(Instruction::ClearActions),
        any::<u32>().prop_map(|m| Instruction::Meter(MeterId(m))),
    ]
}

prop_compose! {
    fn arb_flow_mod()(
        command in 0u8..6,
        cookie: u64, cookie_mask: u64, table: u8, idle: u16, hard: u16, priority: u16,
        buffer: u32, out_port: u32, out_group: u32, flags: u16,
        fields in proptest::collection::vec(arb_field(), 0..6),
        instructions in proptest::collection::vec(arb_instruction(), 0..4),
    ) -> FlowMod {
        FlowMod::new(FlowModCommand(command))
            .cookie(cookie)
            .cookie_mask(cookie_mask)
            .table(TableId(table))
            .idle_timeout(idle)
            .hard_timeout(hard)
            .priority(priority)
            .buffer_id(BufferId(buffer))
            .out_port(out_port)
            .out_group(GroupId(out_group))
            .flags(FlowModFlags(flags))
            .matching(fields.into_iter().collect())
            .instructions(instructions)
    }
}

proptest! {
    #[test]
    fn owned_round_trip(fm in arb_flow_mod()) {
        let b = fm.to_vec().unwrap();
        prop_assert_eq!(b.len(), fm.encoded_len());
        let back = parse(&b).unwrap();
        prop_assert_eq!(&back, &fm);
        let mut r = crate::codec::Reader::new(&b, 8);
        let v = FlowModView::parse(&mut r).unwrap();
        prop_assert_eq!(v.to_string(), fm.to_string());
        prop_assert_eq!(v.ofp_print().to_string(), fm.ofp_print().to_string());
    }

    #[test]
    fn any_bytes(fm in arb_flow_mod(), damage in arb_damage()) {
        // A valid encoding, a few bytes changed, maybe cut short.
        let b = damage.apply(fm.to_vec().unwrap());
        let owned = parse(&b);
        let mut r = crate::codec::Reader::new(&b, 8);
        let view = FlowModView::parse(&mut r).and_then(|v| v.decode());
        prop_assert_eq!(&owned, &view);
        if let Ok(fm) = owned {
            prop_assert_eq!(fm.to_vec().unwrap(), b);
            let _ = fm.to_string();
        }
    }

    #[test]
    fn random_bytes(b in proptest::collection::vec(any::<u8>(), 0..120)) {
        if let Ok(fm) = parse(&b) {
            prop_assert_eq!(fm.to_vec().unwrap(), b);
        }
    }
}

#[allow(dead_code)]
fn unused(_: String) {}
