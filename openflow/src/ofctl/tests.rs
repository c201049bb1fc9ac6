//! Unit tests of the ovs-ofctl parser (the corpus against Open vSwitch is in
//! `tests/ofctl_corpus.rs`).
use super::*;
use crate::types::{GroupId, PortNo, TableId};
use crate::Encode;

fn hex(fm: &FlowMod) -> String {
    let m = crate::Message::new(1, crate::Body::FlowMod(fm.clone()));
    m.to_vec()
        .unwrap()
        .iter()
        .map(|b| alloc::format!("{b:02x}"))
        .collect()
}

#[test]
fn matches_ovs_bytes() {
    // ovs-ofctl -O OpenFlow13 -mmmmm parse-flow (Open vSwitch 3.1).
    let fm = parse_flow("priority=1,tcp,in_port=2,dl_dst=00:00:00:00:00:01,reg0=5,tp_dst=80 actions=output:1,load:1->NXM_NX_REG1[],ct(commit,zone=5)").unwrap();
    assert_eq!(
        hex(&fm),
        concat!(
            "040e00a800000001000000000000000000000000000000000000000000000001",
            "ffffffffffffffffffffffff000000000001002f800000040000000280000606",
            "00000000000180000a020800800014010680001c020050000100040000000500",
            "000400480000000000000010000000010000000000000000ffff001800002320",
            "0007001f000102040000000000000001ffff0018000023200023000100000000",
            "0005ff0000000000",
        )
    );
}

#[test]
fn errors_name_token_and_column() {
    let e = parse_flow("priority=1,foo=2 actions=drop").unwrap_err();
    assert_eq!((e.column(), e.token()), (12, "foo"));
    let e = parse_flow("in_port=1 actions=output:1,bogus").unwrap_err();
    assert_eq!((e.column(), e.token()), (28, "bogus"));
}

#[test]
fn command_forms() {
    let fm = parse_flow_line("delete in_port=1").unwrap();
    assert_eq!(fm.command, FlowModCommand::DELETE);
    assert_eq!(fm.table_id, TableId::ALL);
    let fm = parse_del_flows(
        "table=2,out_port=3,out_group=4,cookie=0x5/0xff,in_port=1",
        true,
    )
    .unwrap();
    assert_eq!(fm.command, FlowModCommand::DELETE_STRICT);
    assert_eq!(
        (fm.table_id, fm.out_port, fm.out_group),
        (TableId(2), PortNo(3), GroupId(4))
    );
    assert_eq!((fm.cookie, fm.cookie_mask), (5, 0xff));
    assert!(parse_del_flows("in_port=1 actions=drop", false).is_err());
    let fm = parse_mod_flows("in_port=1 actions=output:2", false).unwrap();
    assert_eq!(fm.command, FlowModCommand::MODIFY);
    assert!(parse_mod_flows("in_port=1", false).is_err());
    assert_eq!(
        parse_flow_line("modify_strict priority=5,in_port=1 actions=drop")
            .unwrap()
            .command,
        FlowModCommand::MODIFY_STRICT
    );
    let e = parse_flow("cookie=1/1 actions=drop").unwrap_err();
    assert_eq!(e.message(), "flow additions cannot use a cookie mask");
    for line in [
        "delete in_port=1",
        "delete_strict priority=5,in_port=1",
        "delete table=1,cookie=0x5/0xff,out_port=2,out_group=3",
        "modify cookie=0x5/0xff,in_port=1 actions=output:2",
        "modify_strict priority=7,tcp,tp_dst=80 actions=drop",
        "delete",
    ] {
        let fm = parse_flow_line(line).unwrap();
        let back = parse_flow_line(&fm.to_string()).unwrap();
        assert_eq!(back, fm, "{line} printed {fm}");
    }
}

#[test]
fn actions_alone() {
    let ins = parse_actions("output:1,write_actions(group:2),goto_table:3").unwrap();
    assert_eq!(ins.len(), 3);
    assert!(parse_actions("mod_tp_src:1").is_err());
    assert_eq!(parse_actions("drop").unwrap(), []);
}

#[test]
fn conjunction_goes_with_note_only() {
    assert!(parse_flow("ip actions=conjunction(1,1/2),note:01,conjunction(2,2/2)").is_ok());
    let e = parse_flow("ip actions=conjunction(1,1/2),mod_vlan_vid:5,dec_ttl").unwrap_err();
    assert_eq!(e.token(), "mod_vlan_vid:5");
    let e = parse_flow("ip actions=conjunction(1,1/2),goto_table:1").unwrap_err();
    assert!(e.message().contains("instruction"), "{e}");
}

/// Action lists nest at most 100 deep, the flow's own list included, as in OVS
/// (`ovs-ofctl parse-flow` takes 99 nested `clone(`s and refuses 100 with "Action nested too
/// deeply"); deeper text is refused, not a stack overflow.
#[test]
fn nesting_is_bounded_as_in_open_vswitch() {
    let nested = |n: usize, open: &str, close: &str| {
        alloc::format!("actions={}drop{}", open.repeat(n), close.repeat(n))
    };
    assert!(parse_flow(&nested(99, "clone(", ")")).is_ok());
    let e = parse_flow(&nested(100, "clone(", ")")).unwrap_err();
    assert_eq!(e.message(), "Action nested too deeply");
    // write_actions is a level too: 98 clones inside it are the most OVS takes.
    let wa = |n: usize| {
        alloc::format!(
            "actions=write_actions({}drop{})",
            "clone(".repeat(n),
            ")".repeat(n)
        )
    };
    assert!(parse_flow(&wa(98)).is_ok());
    assert!(parse_flow(&wa(99)).is_err());
    for (open, close) in [("clone(", ")"), ("write_actions(", ")"), ("ct(exec(", "))")] {
        let line = alloc::format!("ip,{}", nested(100_000, open, close));
        assert!(parse_flow(&line).is_err(), "{open}");
        let line = alloc::format!("{open}{}", "clone(".repeat(100_000));
        assert!(parse_actions(&line).is_err(), "{open}");
    }
}

/// `ct_mark` and `ct_label` are set only inside `ct(exec(...))`, whatever the action
/// (`set_field`, `load`, `move`) and however nested, as ovs-ofctl requires ("cannot set CT
/// fields outside of ct action").
#[test]
fn ct_fields_are_set_only_inside_ct() {
    for a in [
        "set_field:1->ct_mark",
        "write_actions(set_field:1->ct_mark)",
        "clone(set_field:1->ct_label)",
        "load:1->NXM_NX_CT_MARK[]",
        "move:NXM_NX_REG0[]->NXM_NX_CT_MARK[]",
        "clone(load:1->NXM_NX_CT_LABEL[0..3])",
        "ct(exec(clone(set_field:1->ct_mark)))",
    ] {
        let e = parse_flow(&alloc::format!("ip,actions={a}")).unwrap_err();
        assert!(e.message().contains("outside of ct action"), "{a}: {e}");
    }
    for a in [
        "ct(commit,exec(set_field:1->ct_mark))",
        "ct(commit,exec(load:1->NXM_NX_CT_MARK[]))",
        "ct(commit,exec(set_field:1/3->ct_mark,set_field:2->ct_label))",
    ] {
        parse_flow(&alloc::format!("ip,actions={a}")).unwrap();
    }
}

/// A value wider than its field's bits is refused, in `set_field` (as ovs-ofctl refuses it:
/// "9 is not a valid value for field vlan_pcp") and in a match (where ovs-ofctl silently keeps
/// only the field's bits: `dl_vlan_pcp=9` would match PCP 1).
#[test]
fn values_wider_than_their_field_are_refused() {
    for (pre, field, bad, good) in [
        ("vlan_tci=0x1000/0x1000", "vlan_pcp", "8", "7"),
        ("vlan_tci=0x1000/0x1000", "vlan_vid", "0x2001", "0x1001"),
        ("ip", "ip_dscp", "64", "63"),
        ("ip", "nw_ecn", "4", "3"),
        ("ipv6", "ipv6_label", "0x100000", "0xfffff"),
        ("mpls", "mpls_label", "0x100000", "0xfffff"),
        ("mpls", "mpls_tc", "8", "7"),
        ("arp", "arp_op", "256", "255"),
    ] {
        let line = alloc::format!("{pre},actions=set_field:{bad}->{field}");
        let e = parse_flow(&line).unwrap_err();
        assert!(e.message().contains("not a valid value"), "{line}: {e}");
        parse_flow(&alloc::format!("{pre},actions=set_field:{good}->{field}")).unwrap();
    }
    for (pre, field, bad, good) in [
        ("", "dl_vlan_pcp", "9", "7"),
        ("", "vlan_pcp", "8", "7"),
        ("", "dl_vlan", "4096", "4095"),
        ("", "vlan_vid", "0x2000", "0x1fff"),
        ("ip,", "ip_dscp", "64", "63"),
        ("ip,", "nw_tos", "3", "252"),
        ("ip,", "nw_ecn", "4", "3"),
        ("ipv6,", "ipv6_label", "0x100000", "0xfffff"),
        ("mpls,", "mpls_label", "0x100000", "0xfffff"),
        ("mpls,", "mpls_tc", "8", "7"),
        ("mpls,", "mpls_bos", "2", "1"),
        ("arp,", "arp_op", "300", "255"),
        ("", "ct_state", "0x100", "0xff"),
        ("tcp,", "tcp_flags", "0x1000", "0xfff"),
    ] {
        let line = alloc::format!("{pre}{field}={bad},actions=drop");
        assert!(parse_flow(&line).is_err(), "{line}");
        parse_flow(&alloc::format!("{pre}{field}={good},actions=drop")).unwrap();
    }
    // OpenFlow 1.0's "no VLAN tag" stays.
    parse_flow("dl_vlan=0xffff,actions=drop").unwrap();
}

/// Hex numbers and bytes are hex digits only: Rust's `from_str_radix` also takes a sign
/// (`0x+5`), which ovs-ofctl refuses ("0x+5: bad syntax for reg0 value", "bad hex digit in
/// `note' argument").
#[test]
fn hex_takes_no_sign() {
    for line in [
        "priority=0x+5,actions=drop",
        "reg0=0x+5,actions=drop",
        "tcp,tp_dst=0x+50,actions=drop",
        "actions=note:+a+b",
        "oxm:0x8000:3=0x+1+1+1+1+1+1,actions=drop",
        "actions=set_field:0x+1->oxm(class=0x8000,field=40)",
        "actions=experimenter(0x2320,data=+1+2+3+4+5+6+7+8)",
        "actions=write_metadata:0x-1",
    ] {
        assert!(parse_flow(line).is_err(), "{line}");
    }
    assert!(parse_meter("meter=0+7,kbps,bands=type=drop,rate=1").is_err());
    parse_meter("meter=07,kbps,bands=type=drop,rate=1").unwrap();
    parse_flow("reg0=0x5,actions=note:0a.0b").unwrap();
}

/// `output:FIELD[..]` (NXAST_OUTPUT_REG) checks its field's prerequisites, as ovs-ofctl does
/// ("source field ipv6_src lacks correct prerequisites"), and refuses more than 64 bits, which
/// its `ofs_nbits` cannot hold (ovs-ofctl writes `ipv6_src[]` as `NXM_NX_IPV6_SRC[1..64]`).
#[test]
fn output_from_a_field_checks_width_and_prerequisites() {
    assert!(parse_flow("actions=output:NXM_NX_IPV6_SRC[0..63]").is_err());
    assert!(parse_flow("ip,actions=output:NXM_NX_IPV6_SRC[0..63]").is_err());
    assert!(parse_flow("ipv6,actions=output:NXM_NX_IPV6_SRC[]").is_err());
    // ovs-ofctl -O OpenFlow13 -mmmmm parse-flow 'ipv6,actions=output:NXM_NX_IPV6_SRC[0..63]'
    let fm = parse_flow("ipv6,actions=output:NXM_NX_IPV6_SRC[0..63]").unwrap();
    assert_eq!(
        hex(&fm),
        concat!(
            "040e006000000001000000000000000000000000000000000000000000008000",
            "ffffffffffffffffffffffff000000000001000a80000a0286dd000000000000",
            "0004002000000000ffff001800002320000f003f00012610ffff000000000000",
        )
    );
    parse_flow("actions=output:NXM_NX_REG0[]").unwrap();
}

/// An IPv4 address's numbers go up to 255: ovs-ofctl takes `300.0.0.1` as 44.0.0.1 (its
/// `%hhu` scan), in a match and in `set_field`; we refuse it.
#[test]
fn ipv4_numbers_above_255_are_refused() {
    for line in [
        "ip,nw_src=300.0.0.1,actions=drop",
        "ip,nw_dst=10.0.0.0/255.256.0.0,actions=drop",
        "arp,arp_tpa=1.2.3.256,actions=drop",
        "tun_dst=1.2.3.4096,actions=drop",
        "ip,actions=set_field:300.1.1.1->ip_src",
    ] {
        assert!(parse_flow(line).is_err(), "{line}");
    }
    let fm = parse_flow("ip,nw_src=255.0.0.1,actions=drop").unwrap();
    assert!(fm.to_string().contains("nw_src=255.0.0.1"), "{fm}");
}

/// Port numbers as ovs-ofctl reads them (`ofputil_port_from_string`): decimal only (it
/// refuses `in_port=0xfffe` and `output:0xfffb`), OpenFlow 1.0's reserved numbers
/// 65280..=65535 and OpenFlow 1.1's from 4294967040 (0xffffff00) both taken.
#[test]
fn ports_are_read_as_ovs_ofctl_reads_them() {
    for line in [
        "in_port=0xfffe,actions=drop",
        "in_port=0xfeff,actions=drop",
        "actions=output:0xfffb",
        "actions=resubmit(0xfffe)",
        "in_port=65536,actions=drop",
        "in_port=4294967039,actions=drop",
    ] {
        assert!(parse_flow(line).is_err(), "{line}");
    }
    for (line, port) in [
        ("in_port=4294967294,actions=drop", 0xffff_fffe),
        ("in_port=65534,actions=drop", 0xffff_fffe),
        ("in_port=65280,actions=drop", 0xffff_ff00),
        ("in_port=4294967040,actions=drop", 0xffff_ff00),
        ("in_port=4294967295,actions=drop", 0xffff_ffff),
    ] {
        let fm = parse_flow(line).unwrap();
        assert_eq!(fm.match_.get_in_port(), Some(PortNo(port)), "{line}");
        assert_eq!(parse_flow_line(&fm.to_string()).unwrap(), fm, "{line}");
    }
    let fm = parse_flow("actions=output:4294967293").unwrap();
    assert_eq!(
        fm.instructions,
        parse_flow("actions=CONTROLLER").unwrap().instructions
    );
}

/// A flow's meter instruction names a meter 1..=0xffff0000, as ovs-ofctl requires
/// (OFPMMFC_INVALID_METER for 0 and the virtual meters).
#[test]
fn meter_instruction_ids_are_checked() {
    for m in ["0", "4294901761", "4294967293", "4294967294", "4294967295"] {
        assert!(
            parse_flow(&alloc::format!("actions=meter:{m}")).is_err(),
            "{m}"
        );
    }
    for m in ["1", "4294901760"] {
        parse_flow(&alloc::format!("actions=meter:{m},output:1")).unwrap();
    }
}

/// The fields a `learn` spec matches or loads need their prerequisites in the learned flow,
/// set by an earlier spec's immediate value, not in the flow that learns (OVS's
/// `learn_check`; ovs-ofctl refuses `ip,actions=learn(NXM_OF_IP_SRC[])`).
#[test]
fn learn_checks_prerequisites_in_the_learned_flow() {
    for line in [
        "ip,actions=learn(ip_src=1.2.3.4)",
        "ip,actions=learn(NXM_OF_IP_SRC[])",
        "ip,actions=learn(NXM_OF_ETH_TYPE[],NXM_OF_IP_SRC[])",
        "ip,actions=learn(ip_dst=1.2.3.4,eth_type=0x800)",
        "actions=learn(load:NXM_NX_REG0[]->NXM_OF_IP_SRC[])",
        "tcp,actions=learn(eth_type=0x800,tcp_dst=80)",
    ] {
        assert!(parse_flow(line).is_err(), "{line}");
    }
    for line in [
        "actions=learn(eth_type=0x800,ip_src=1.2.3.4)",
        "ip,actions=learn(eth_type=0x800,NXM_OF_IP_SRC[])",
        "ip,actions=learn(NXM_NX_REG0[]=NXM_OF_IP_SRC[])",
        "ip,actions=learn(load:NXM_OF_IP_SRC[]->NXM_NX_REG0[])",
        "tcp,actions=learn(eth_type=0x800,nw_proto=6,tcp_dst=80)",
        "actions=learn(NXM_OF_ETH_TYPE[]=0x800,load:NXM_NX_REG0[]->NXM_OF_IP_SRC[])",
    ] {
        parse_flow(line).unwrap();
    }
}

/// A NAT range whose end comes before its start is refused, as ovs-ofctl refuses it
/// ("invalid nat range").
#[test]
fn nat_ranges_run_upwards() {
    for r in [
        "src=10.0.0.2-10.0.0.1",
        "src=10.0.0.1:200-100",
        "dst=[::2]-[::1]",
    ] {
        let line = alloc::format!("ipv6,ip,actions=ct(commit,nat({r}))");
        let line = if r.contains('[') {
            line.replace("ipv6,ip,", "ipv6,")
        } else {
            line.replace("ipv6,ip,", "ip,")
        };
        assert!(parse_flow(&line).is_err(), "{line}");
    }
    parse_flow("ip,actions=ct(commit,nat(src=10.0.0.1-10.0.0.2:100-200))").unwrap();
    parse_flow("ip,actions=ct(commit,nat(src=10.0.0.1-10.0.0.1:100-100))").unwrap();
}
