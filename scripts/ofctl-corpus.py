#!/usr/bin/env python3
"""Regenerates openflow/testdata/ofctl_flows.tsv: flows in ovs-ofctl notation and how Open
vSwitch encodes them, as `ovs-ofctl -O OpenFlow13 -mmmmm parse-flow LINE` prints them.

Each line of the fixture is `ok<TAB>FLOW<TAB>HEX` (the whole OFPT_FLOW_MOD, xid 1) or
`err<TAB>FLOW<TAB>OVS's error`. The flows come from the field and action tables below (every
field OVS implements in OpenFlow 1.3 that the parser knows, exact and masked, with and without
its prerequisites; every action and instruction, with the match it needs and without), the
flows the Ryu book's applications install (examples/src/apps), and combinations of those drawn
with a fixed seed.

It also regenerates openflow/testdata/ofctl_groups.tsv the same way: groups in add-group
notation and `ovs-ofctl -O OpenFlow13 -mmmmm parse-group`'s OFPT_GROUP_MOD (or its error);
openflow/testdata/ofctl_meters.tsv: Open vSwitch 3.1 has no parse-meter, so each meter goes
through `ovs-ofctl --no-names -O OpenFlow13 add-meter unix:SOCKET METER` to a socket this
script listens on as a switch (HELLO, BARRIER and ECHO replies), which records the
OFPT_METER_MOD ovs-ofctl sends (its xid set to 1 in the fixture); and
openflow/testdata/ofctl_flow_mods.tsv: `add-flows` lines with `modify`, `modify_strict`,
`delete` and `delete_strict`, whose FLOW_MODs are captured the same way from `ovs-ofctl
[--strict] mod-flows` and `del-flows` (parse-flow only makes additions).

Usage: scripts/ofctl-corpus.py [OUT [GROUPS_OUT [METERS_OUT [FLOW_MODS_OUT]]]]   (needs
ovs-ofctl; Open vSwitch 3.1 made the fixtures)
"""
import os
import random
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading

OUT = sys.argv[1] if len(sys.argv) > 1 else "openflow/testdata/ofctl_flows.tsv"
GROUPS_OUT = sys.argv[2] if len(sys.argv) > 2 else "openflow/testdata/ofctl_groups.tsv"
METERS_OUT = sys.argv[3] if len(sys.argv) > 3 else "openflow/testdata/ofctl_meters.tsv"
FLOW_MODS_OUT = sys.argv[4] if len(sys.argv) > 4 else "openflow/testdata/ofctl_flow_mods.tsv"

# field: (prerequisite shorthand or "", exact values, masked values)
FIELDS = {
    "in_port": ("", ["1", "2", "65534", "LOCAL", "CONTROLLER", "0xfffffffe", "0xff00", "70000", "ANY", "foo"], []),
    "dl_src": ("", ["00:00:00:00:00:01", "0a:1b:2c:3d:4e:5f", "1:2:3:4:5:6", "00:00:00:00:00"], ["01:00:00:00:00:00/01:00:00:00:00:00", "00:11:22:33:44:55/ff:ff:ff:00:00:00", "00:00:00:00:00:01/00:00:00:00:00:00"]),
    "dl_dst": ("", ["ff:ff:ff:ff:ff:ff", "00:00:00:00:00:02"], ["01:00:00:00:00:00/01:00:00:00:00:00", "00:00:5e:00:01:00/ff:ff:ff:ff:ff:00"]),
    "eth_src": ("", ["00:00:00:00:00:03"], ["00:00:00:00:00:03/ff:ff:ff:ff:ff:ff"]),
    "eth_dst": ("", ["00:00:00:00:00:04"], []),
    "dl_type": ("", ["0x0800", "0x86dd", "0x0806", "0x8847", "0x88cc", "2048", "0x10000"], ["0x0800/0xff00"]),
    "eth_type": ("", ["0x8035", "0x8809"], []),
    "dl_vlan": ("", ["0", "1", "100", "4095", "0xffff", "4096"], []),
    "dl_vlan_pcp": ("", ["0", "3", "7", "8"], []),
    "vlan_tci": ("", ["0", "0x1064", "0x0000", "0xffff"], ["0x1000/0x1000", "0x0064/0x0fff", "0x6000/0xe000", "0/0"]),
    "vlan_vid": ("", ["5", "0x1005", "0x1fff", "0x2000"], ["0x1000/0x1000", "0x1005/0x1fff", "5/0xfff"]),
    "vlan_pcp": ("", ["0", "5", "9"], []),
    "mpls_label": ("mpls", ["0", "16", "1048575", "1048576"], []),
    "mpls_tc": ("mpls", ["0", "7", "8"], []),
    "mpls_bos": ("mpls", ["0", "1", "2"], []),
    "mpls_ttl": ("mpls", ["64"], []),
    "nw_src": ("ip", ["10.0.0.1", "192.168.1.255", "300.0.0.1"], ["10.0.0.0/8", "10.0.0.0/24", "10.0.0.0/255.0.255.0", "0.0.0.0/0", "10.0.0.1/32", "10.0.0.0/33"]),
    "nw_dst": ("ip", ["10.0.0.2"], ["172.16.0.0/12"]),
    "ip_src": ("ip", ["1.2.3.4"], ["1.2.3.0/24"]),
    "ip_dst": ("ip", ["5.6.7.8"], []),
    "nw_proto": ("ip", ["1", "6", "17", "47", "256"], []),
    "ip_proto": ("ipv6", ["58", "132"], []),
    "nw_tos": ("ip", ["0", "4", "5", "252", "255"], []),
    "ip_dscp": ("ip", ["0", "46", "63", "64"], []),
    "nw_ecn": ("ip", ["0", "1", "3", "4"], []),
    "ip_ecn": ("ipv6", ["2"], []),
    "nw_ttl": ("ip", ["0", "1", "64", "255"], []),
    "ip_frag": ("ip", ["no", "yes", "first", "later", "not_later", "maybe"], []),
    "nw_frag": ("ipv6", ["later"], []),
    "ipv6_src": ("ipv6", ["2001:db8::1", "::1", "fe80::1", "::ffff:1.2.3.4", "2001:db8::g"], ["2001:db8::/32", "2001:db8::/64", "fe80::/ffff:ffff::", "::/0"]),
    "ipv6_dst": ("ipv6", ["ff02::1"], ["ff00::/8"]),
    "ipv6_label": ("ipv6", ["0", "5", "0xfffff", "0x100000"], ["0x12345/0xf0000", "1/0xfffff"]),
    "arp_op": ("arp", ["1", "2", "256"], []),
    "arp_spa": ("arp", ["10.0.0.1"], ["10.0.0.0/24"]),
    "arp_tpa": ("arp", ["10.0.0.2"], ["10.0.0.0/255.255.0.0"]),
    "arp_sha": ("arp", ["00:00:00:00:00:05"], ["00:00:00:00:00:00/ff:00:00:00:00:00"]),
    "arp_tha": ("arp", ["00:00:00:00:00:06"], ["ff:ff:ff:00:00:00/ff:ff:ff:00:00:00"]),
    "tp_src": ("tcp", ["0", "80", "65535", "65536"], ["0x50/0xfff0", "0/0x8000"]),
    "tp_dst": ("udp", ["53"], ["0x100/0xff00"]),
    "tcp_src": ("tcp", ["22"], ["0x16/0xffff"]),
    "tcp_dst": ("tcp", ["443"], []),
    "udp_src": ("udp", ["67"], []),
    "udp_dst": ("udp", ["68"], ["0/0xfc00"]),
    "sctp_src": ("sctp", ["9"], []),
    "sctp_dst": ("sctp", ["10"], ["0x10/0xfff0"]),
    "tcp_flags": ("tcp", ["0x002", "+syn", "+syn-ack", "-rst+fin", "+ns", "+cwr+ece", "0x1000", "+bogus"], ["0x012/0x012", "0/0x004"]),
    "icmp_type": ("icmp", ["0", "8", "255", "256"], []),
    "icmp_code": ("icmp", ["0", "3"], []),
    "icmpv4_type": ("icmp", ["3"], []),
    "icmpv6_type": ("icmp6", ["128", "135", "136"], []),
    "icmpv6_code": ("icmp6", ["0", "1"], []),
    "nd_target": ("icmp6,icmp_type=135,icmp_code=0", ["fe80::1", "2001:db8::5"], ["fe80::/64"]),
    "nd_sll": ("icmp6,icmp_type=135,icmp_code=0", ["00:00:00:00:00:07"], ["00:00:00:00:00:00/ff:ff:ff:00:00:00"]),
    "nd_tll": ("icmp6,icmp_type=136,icmp_code=0", ["00:00:00:00:00:08"], []),
    "tun_id": ("", ["0", "5", "0xffffffffffffffff", "0x10000000000000000"], ["0x5/0xff", "0/0"]),
    "tunnel_id": ("", ["0x1234"], []),
    "tun_src": ("", ["10.1.1.1"], ["10.1.0.0/16"]),
    "tun_dst": ("", ["10.1.1.2"], []),
    "tun_ipv6_src": ("", ["2001:db8::10"], ["2001:db8::/48"]),
    "tun_ipv6_dst": ("", ["2001:db8::11"], []),
    "tun_gbp_id": ("", ["5"], ["0x10/0xf0"]),
    "tun_gbp_flags": ("", ["1"], ["0x8/0x8"]),
    "metadata": ("", ["0", "1", "0xffffffffffffffff"], ["0x1/0x1", "0x100/0xff00", "0/0"]),
    "reg0": ("", ["0", "1", "0xffffffff", "0x100000000"], ["0x1/0x1", "0xff00/0xff00"]),
    "reg1": ("", ["5"], []),
    "reg7": ("", ["7"], ["7/7"]),
    "reg8": ("", ["8"], []),
    "reg15": ("", ["15"], ["0/0xf"]),
    "reg16": ("", ["1"], []),
    "xreg0": ("", ["1", "0x100000000"], ["0xffffffff/0xffff0000ffff0000"]),
    "xreg3": ("", ["3"], []),
    "xreg7": ("", ["0x7"], []),
    "pkt_mark": ("", ["1", "0xffffffff"], ["0x10/0xf0"]),
    "ct_state": ("", ["+trk", "+trk+new", "-trk", "+est-rel+rpl", "+inv", "+snat+dnat", "0x20", "+foo"], ["0x21/0x21"]),
    "ct_zone": ("", ["0", "1", "65535", "65536"], ["1/1"]),
    "ct_mark": ("", ["1", "0xffffffff"], ["0x1/0x1"]),
    "ct_label": ("", ["1", "0xffffffffffffffffffffffffffffffff"], ["0x1/0x1", "0x1000000000000000000/0xf000000000000000000"]),
    "dp_hash": ("", ["1"], ["0x1/0xf"]),
    "recirc_id": ("", ["1", "0xffffffff"], []),
    "conj_id": ("", ["5"], []),
    "actset_output": ("", ["1", "LOCAL"], []),
}

SHORTHANDS = ["ip", "ipv6", "icmp", "icmp6", "tcp", "tcp6", "udp", "udp6", "sctp", "sctp6",
              "arp", "rarp", "mpls", "mplsm"]

# action: (match it needs or "", forms)
ACTIONS = [
    ("", ["output:1", "output:65534", "output:LOCAL", "output:0xfffffffe", "output:ANY", "output:0", "output:70000",
          "1", "2,3", "normal", "NORMAL", "flood", "all", "local", "in_port", "LOCAL", "IN_PORT", "TABLE", "ANY",
          "controller", "CONTROLLER", "controller:100", "controller:0", "controller:65535", "CONTROLLER:65535",
          "controller(max_len=128)", "controller(reason=no_match)", "controller(reason=invalid_ttl,max_len=64)",
          "controller(id=3)", "controller(reason=action)", "controller(reason=bogus)",
          "drop", "drop,output:1",
          "group:1", "group:4294967040", "group:foo",
          "set_queue:0", "set_queue:5",
          "push_vlan:0x8100", "push_vlan:0x88a8", "push_vlan:0x0800",
          "push_mpls:0x8847", "push_mpls:0x8848", "push_mpls:0x0800",
          "mod_vlan_vid:5", "mod_vlan_vid:4095", "mod_vlan_vid:4096", "mod_vlan_pcp:3", "mod_vlan_pcp:8",
          "set_vlan_vid:5", "set_vlan_pcp:2",
          "mod_dl_src:00:00:00:00:00:01", "mod_dl_dst:0a:0b:0c:0d:0e:0f", "mod_dl_dst:xx",
          "set_field:00:00:00:00:00:09->eth_src", "set_field:00:00:00:00:00:09->dl_dst",
          "set_field:5->reg0", "set_field:0xffffffff->reg15", "set_field:5/7->reg0", "set_field:0x500/0xf00->reg3",
          "set_field:0x5/0x5->reg1", "set_field:1->pkt_mark", "set_field:0x10/0xff->pkt_mark",
          "set_field:5->tun_id", "set_field:0x5/0xff->tun_id", "set_field:1.2.3.4->tun_src",
          "set_field:0x1/0x1->metadata", "set_field:5->metadata", "set_field:1->ct_mark",
          "set_field:5->vlan_vid", "set_field:5->foo", "set_field:5", "set_field:0x5/0x0->reg1", "set_field:0/0->reg1,output:1",
          "set_tunnel:5", "set_tunnel:0xffffffff", "set_tunnel64:0x100000000",
          "load:1->NXM_NX_REG1[]", "load:0xff->NXM_NX_REG0[0..7]", "load:1->NXM_NX_REG2[5]",
          "load:0x1234->NXM_NX_REG3[16..31]", "load:0->NXM_OF_VLAN_TCI[]", "load:1->NXM_NX_TUN_ID[]",
          "load:0x5->OXM_OF_METADATA[]", "load:0x5->OXM_OF_METADATA[0..31]", "load:1->NXM_NX_PKT_MARK[]",
          "load:0x100->NXM_NX_REG0[0..7]", "load:1->NXM_NX_REG0[32]", "load:1->reg0[0..3]",
          "load:0xa->NXM_OF_ETH_DST[0..7]",
          "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]", "move:NXM_NX_REG0[]->NXM_NX_REG1[]",
          "move:NXM_NX_REG0[0..15]->NXM_NX_REG1[16..31]", "move:NXM_OF_IN_PORT[]->NXM_NX_REG2[0..15]",
          "move:NXM_NX_TUN_ID[0..31]->NXM_NX_REG3[]", "move:NXM_NX_REG0[]->NXM_NX_REG1[0..15]",
          "move:reg0[]->reg1[]",
          "resubmit:1", "resubmit:3", "resubmit(,2)", "resubmit(1,2)", "resubmit(IN_PORT,3)", "resubmit(,255)",
          "resubmit:LOCAL", "resubmit(,)",
          "note:", "note:01", "note:01.02", "note:0102030405", "note:00.11.22.33.44.55.66", "note:zz",
          "exit", "ct_clear", "pop_queue",
          "conjunction(1,1/2)", "conjunction(1,2/2)", "conjunction(5,3/4)", "conjunction(1,3/2)",
          "conjunction(1,1/1)", "conjunction(0xffffffff,1/64)",
          "ct", "ct(commit)", "ct(commit,zone=5)", "ct(zone=1,table=2)", "ct(table=10)", "ct(commit,force)",
          "ct(force)", "ct(commit,alg=ftp)", "ct(commit,alg=tftp)", "ct(zone=NXM_NX_REG0[0..15])",
          "ct(commit,exec(set_field:1->ct_mark))", "ct(commit,exec(set_field:0x1/0x1->ct_mark))",
          "ct(commit,exec(set_field:1->ct_label))", "ct(exec(set_field:1->ct_mark))",
          "ct(commit,exec(output:1))", "ct(bogus)",
          "output:NXM_NX_REG0[]", "output:NXM_NX_REG1[0..15]",
          "write_metadata:0x1", "write_metadata:0x1/0x1", "write_metadata:0xff00/0xff00",
          "goto_table:1", "goto_table:254", "goto_table:255",
          "meter:1", "meter:2,output:1", "clear_actions", "clear_actions,goto_table:2",
          "write_actions(output:1)", "write_actions(group:1,set_queue:1)", "write_actions(drop)",
          "output:1,write_actions(output:2),goto_table:3", "output:1,clear_actions,write_actions(output:2),write_metadata:1/1,goto_table:3",
          "meter:1,output:1,clear_actions,write_actions(output:2),write_metadata:1/1,goto_table:3",
          "goto_table:3,output:1", "write_actions(output:1),clear_actions", "goto_table:1,goto_table:2",
          "apply_actions(output:1)", "bogus", "learn(table=1)", "clone(output:1)",
          "learn()", "learn(table=2,priority=5,idle_timeout=10,hard_timeout=20,fin_idle_timeout=1,fin_hard_timeout=2,cookie=0x5)",
          "learn(send_flow_rem,delete_learned)", "learn(table=10,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])",
          "learn(table=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15])",
          "learn(NXM_OF_ETH_TYPE[]=0x800,NXM_OF_IP_SRC[]=NXM_OF_IP_DST[],load:0x1->NXM_NX_REG1[])",
          "learn(eth_type=0x86dd,load:5->NXM_NX_REG2[0..7])", "learn(dl_dst=00:00:00:00:00:01,output:NXM_NX_REG0[0..15])",
          "learn(NXM_NX_REG0[0..7]=0x5,load:NXM_NX_REG1[]->NXM_NX_REG2[])", "learn(NXM_NX_REG0[]=NXM_NX_REG1[0..15])",
          "learn(table=255)", "learn(limit=10)", "learn(NXM_OF_ETH_TYPE[]=0x10000)", "learn(bogus)", "learn(load:0x100->NXM_NX_REG0[0..7])",
          "learn(in_port=1)", "learn(load:NXM_NX_REG0[]->NXM_OF_ETH_DST[])",
          "clone(output:1,output:2)", "clone(set_field:5->reg0,resubmit(,2))", "clone()", "clone(drop)", "clone(clone(output:3))",
          "clone(bogus)", "output:1,clone(mod_dl_src:00:00:00:00:00:01,output:2)", "output:1,output:2,output:3",
          "dec_ttl", "mod_nw_ttl:5", "dec_mpls_ttl", "set_mpls_ttl:5", "pop_vlan", "strip_vlan",
          "mod_nw_src:1.2.3.4", "mod_tp_src:1", "fin_timeout(idle_timeout=5)"]),
    ("ip", ["dec_ttl", "dec_ttl(1)", "dec_ttl(1,2,3)", "mod_nw_ttl:5", "set_nw_ttl:64",
            "mod_nw_src:1.2.3.4", "mod_nw_dst:10.0.0.1", "mod_nw_tos:8", "mod_nw_tos:5", "mod_nw_ecn:1",
            "set_field:1.2.3.4->ip_src", "set_field:10.0.0.1->nw_dst", "set_field:46->ip_dscp",
            "set_field:2->nw_ecn", "set_field:2->ip_ecn", "set_field:6->nw_proto",
            "set_field:1.2.3.4/255.255.255.0->ip_src", "load:0x01020304->NXM_OF_IP_SRC[]",
            "move:NXM_OF_IP_SRC[]->NXM_OF_IP_DST[]", "mod_tp_src:1",
            "push_mpls:0x8847,set_mpls_label:10", "push_mpls:0x8847,mod_nw_ttl:3"]),
    ("ip", ["ct(nat)", "ct(commit,nat(src=10.0.0.1))", "ct(commit,nat(dst=10.0.0.1))",
            "ct(commit,nat(src=10.0.0.1-10.0.0.5))", "ct(commit,nat(src=10.0.0.1:80))",
            "ct(commit,nat(src=10.0.0.1-10.0.0.5:100-200,random))", "ct(commit,nat(dst=10.0.0.1:80-90,persistent,hash))",
            "ct(commit,nat(src=10.0.0.1,random,hash))", "ct(commit,nat(persistent))", "ct(commit,nat(src=10.0.0.1,dst=10.0.0.2))",
            "ct(commit,nat(src=[2001:db8::1]))", "ct(commit,nat(src=bogus))", "ct(commit,nat(src=10.0.0.1),exec(set_field:1->ct_mark))",
            "ct(table=1,zone=2,nat)", "nat(src=10.0.0.1)",
            "output(port=1,max_len=100)", "output(port=2,max_len=14)", "output(port=1,max_len=13)",
            "output(port=LOCAL,max_len=64)", "output(port=CONTROLLER,max_len=64)", "output(port=1)", "output(max_len=64)",
            "sample(probability=100,collector_set_id=1,obs_domain_id=2,obs_point_id=3)",
            "sample(probability=65535)", "sample(probability=0)", "sample(collector_set_id=1)",
            "sample(probability=100,collector_set_id=1,obs_domain_id=2,obs_point_id=3,sampling_port=5)",
            "sample(probability=10,sampling_port=LOCAL)", "sample(probability=10,ingress)",
            "enqueue:1:2", "enqueue(1,2)"]),
    ("ipv6", ["ct(commit,nat(src=[2001:db8::1]))", "ct(commit,nat(dst=[2001:db8::1]-[2001:db8::5]:80-90))",
              "ct(commit,nat(src=10.0.0.1))", "ct(nat(dst=[::1]:5,random))"]),
    ("ipv6", ["dec_ttl", "set_field:2001:db8::1->ipv6_src", "set_field:::1->ipv6_dst", "set_field:5->ipv6_label",
              "mod_nw_src:1.2.3.4", "set_field:fe80::1/64->ipv6_src"]),
    ("tcp", ["mod_tp_src:80", "mod_tp_dst:8080", "set_field:80->tcp_src", "set_field:443->tp_dst",
             "set_field:53->udp_src", "fin_timeout(idle_timeout=5)", "fin_timeout(hard_timeout=10,idle_timeout=3)",
             "fin_timeout(foo=1)", "move:NXM_OF_TCP_SRC[]->NXM_OF_TCP_DST[]", "load:80->NXM_OF_TCP_DST[]"]),
    ("udp", ["mod_tp_src:67", "mod_tp_dst:68", "set_field:53->udp_dst", "set_field:80->tcp_src"]),
    ("sctp", ["mod_tp_src:1", "set_field:5->sctp_src"]),
    ("icmp", ["set_field:8->icmp_type", "set_field:0->icmp_code"]),
    ("icmp6", ["set_field:128->icmpv6_type", "set_field:0->icmpv6_code"]),
    ("icmp6,icmp_type=135,icmp_code=0", ["set_field:fe80::1->nd_target", "set_field:00:00:00:00:00:01->nd_sll"]),
    ("arp", ["set_field:1->arp_op", "set_field:10.0.0.1->arp_spa", "set_field:10.0.0.2->arp_tpa",
             "set_field:00:00:00:00:00:01->arp_sha", "set_field:00:00:00:00:00:02->arp_tha",
             "move:NXM_OF_ETH_SRC[]->NXM_NX_ARP_SHA[]", "load:2->NXM_OF_ARP_OP[]"]),
    ("mpls", ["dec_mpls_ttl", "set_mpls_ttl:5", "set_mpls_label:5", "set_mpls_label:1048576", "set_mpls_tc:3",
              "pop_mpls:0x0800", "pop_mpls:0x86dd", "set_field:7->mpls_label", "set_field:1->mpls_tc",
              "set_field:1->mpls_bos", "pop_mpls:0x0800,dec_ttl", "push_vlan:0x8100"]),
    ("dl_vlan=5", ["pop_vlan", "strip_vlan", "strip_vlan,output:1", "mod_vlan_vid:7", "mod_vlan_pcp:3",
                   "set_field:7->vlan_vid", "set_field:4103->vlan_vid", "set_field:3->vlan_pcp", "pop_vlan,pop_vlan"]),
    ("vlan_tci=0x1000/0x1000", ["pop_vlan", "set_field:10->vlan_vid"]),
    ("dl_type=0x0800", ["dec_ttl", "push_vlan:0x8100,set_field:4106->vlan_vid,output:2"]),
]

FLOW_KEYWORDS = [
    "priority=0", "priority=1", "priority=65535", "priority=65536", "priority=32768",
    "table=0", "table=1", "table=254", "table=255", "table=256",
    "cookie=0", "cookie=0x1", "cookie=0xffffffffffffffff", "cookie=1/1",
    "idle_timeout=0", "idle_timeout=10", "idle_timeout=65535", "idle_timeout=65536",
    "hard_timeout=30", "hard_timeout=65535",
    "send_flow_rem", "check_overlap", "reset_counts", "no_packet_counts", "no_byte_counts",
    "send_flow_rem,check_overlap,reset_counts,no_packet_counts,no_byte_counts",
    "duration=1.5s", "n_packets=5", "n_bytes=100", "out_port=1", "out_group=1", "importance=5",
    "priority=1,table=1,cookie=0x5,idle_timeout=3,hard_timeout=4",
]

# The flows the Ryu book's applications install (examples/src/apps), in ovs-ofctl notation.
RYU_BOOK = [
    # simple_switch_13 and simple_monitor: table-miss, then learned MACs.
    "priority=0 actions=CONTROLLER:65535",
    "priority=0 actions=controller",
    "priority=1,in_port=1,dl_dst=00:00:00:00:00:01 actions=output:2",
    "priority=1,in_port=2,dl_dst=00:00:00:00:00:02 actions=output:1",
    "priority=1,in_port=3,dl_dst=00:00:00:00:00:03 actions=output:1",
    "priority=1,in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02 actions=output:2",
    # simple_switch_lacp_13: LACPDUs to the controller.
    "priority=65535,in_port=1,dl_src=00:00:00:00:00:11,dl_type=0x8809 actions=CONTROLLER:65509",
    "priority=65535,in_port=2,dl_src=00:00:00:00:00:12,dl_type=0x8809 actions=CONTROLLER:65509",
    # simple_switch_igmp_13: IGMP to the controller, multicast groups to their ports.
    "priority=65535,ip,nw_proto=2 actions=CONTROLLER:65535",
    "priority=65535,igmp actions=CONTROLLER:65535",
    "priority=65535,in_port=1,ip,nw_dst=239.1.1.1 actions=output:2,output:3",
    "priority=65535,in_port=2,ip,nw_dst=225.0.0.1 actions=output:1",
    # icmp_responder: ICMP echo and ARP to the controller.
    "priority=0,icmp actions=CONTROLLER:65535",
    "priority=0,arp actions=CONTROLLER:65535",
    "priority=10,icmp,icmp_type=8 actions=CONTROLLER:128",
    # The Ryu book's flow examples (switching hub, traffic monitor, REST, QoS, firewall).
    "priority=1,in_port=1,dl_dst=00:00:00:00:00:02 actions=output:2",
    "table=0,priority=1,ip,nw_src=10.0.0.1,nw_dst=10.0.0.2 actions=output:2",
    "priority=100,ip,nw_dst=10.0.0.1,nw_proto=17,tp_dst=5002 actions=set_queue:1,goto_table:1",
    "table=1,priority=0 actions=normal",
    "priority=65534,arp actions=normal",
    "priority=1,ip,nw_src=10.0.0.2,nw_dst=10.0.0.3,nw_proto=1 actions=normal",
    "priority=1,tcp,nw_src=10.0.0.2,nw_dst=10.0.0.3,tp_dst=80 actions=drop",
    "priority=1,dl_vlan=110,ip,nw_src=172.16.10.10 actions=normal",
    "priority=1,ip,nw_dst=10.0.0.0/24 actions=dec_ttl,mod_dl_src:00:00:00:00:00:01,mod_dl_dst:00:00:00:00:00:02,output:2",
    "priority=0 actions=goto_table:1",
    "table=1,priority=0,ip actions=meter:1,output:2",
]

# Nicira forms whose edge cases the tables above do not reach (appended as they are: the
# combinations below draw from the tables only, so that these change no other line).
NICIRA_EDGES = [
    # NAT ranges: OVS leaves a zero address or port out of the action; IPv6 addresses with
    # and without brackets, mixed.
    "ipv6 actions=ct(commit,nat(src))",
    "ipv6 actions=ct(commit,nat(dst=))",
    "ip actions=ct(commit,nat(src=0.0.0.0))",
    "ip actions=ct(commit,nat(src=0.0.0.0-10.0.0.5))",
    "ip actions=ct(commit,nat(src=10.0.0.1:0))",
    "ip actions=ct(commit,nat(dst=10.0.0.1:0-0))",
    "ipv6 actions=ct(commit,nat(src=::))",
    "ipv6 actions=ct(commit,nat(src=[::]:80))",
    "ipv6 actions=ct(commit,nat(src=::-2001:db8::5))",
    "ipv6 actions=ct(commit,nat(src=2001:db8::1-2001:db8::5))",
    "ipv6 actions=ct(commit,nat(src=2001:db8::1-[2001:db8::5]))",
    "ipv6 actions=ct(commit,nat(src=[2001:db8::1]-2001:db8::5))",
    "ipv6 actions=ct(commit,nat(src=[2001:db8::1]-2001:db8::5:80))",
    "ipv6 actions=ct(commit,nat(src=[2001:db8::1]-[2001:db8::5]:0-80))",
    "ipv6 actions=ct(commit,nat(src=::ffff:10.0.0.1))",
    "ipv6 actions=ct(commit,nat(src=2001:db8::1:80))",
    "ipv6 actions=ct(commit,nat(src=2001:db8::5-2001:db8::1))",
    "ipv6 actions=ct(commit,nat(src=2001:db8::1-))",
    "ipv6 actions=ct(commit,nat(src=[2001:db8::1))",
    "ipv6 actions=ct(commit,nat(src=2001:db8::1]))",
    "ip actions=ct(commit,nat(src=10.0.0.1-[10.0.0.2]))",
    # controller(...) with NXAST_CONTROLLER2's properties: an empty userdata is none.
    "actions=controller(userdata=)",
    "actions=controller(userdata)",
    "actions=controller(userdata=,pause)",
    "actions=controller(userdata=01.02,max_len=100,id=5,reason=no_match,pause)",
    "actions=controller(userdata=0102.03)",
    "actions=controller(userdata=012)",
    "actions=controller(userdata=01.02,userdata=)",
    # Subfields: a field's name alone is the whole field (OVS's mf_parse_subfield).
    "actions=push:reg0",
    "actions=pop:NXM_NX_REG1",
    "actions=push:NXM_NX_REG0[],pop:reg1",
    "actions=load:0x5->reg0",
    "actions=load:0x5->NXM_NX_REG0",
    "actions=move:reg0->reg1",
    "actions=move:NXM_OF_ETH_SRC->NXM_OF_ETH_DST",
    "actions=move:eth_src->reg0",
    "ipv6 actions=move:ipv6_label->reg0[0..19]",
    "actions=load:0x5->OXM_OF_VLAN_VID",
    "actions=learn(load:reg0->reg1)",
    "actions=learn(output:reg0)",
    "actions=learn(reg0=reg1)",
    "actions=output:reg0",
    "actions=output:in_port",
    "actions=output:IN_PORT",
    "actions=output:NXM_NX_REG0",
    "actions=push:bogus",
    # fin_timeout with both timeouts zero prints as `fin_timeout()`, which OVS reads back.
    "tcp actions=fin_timeout()",
    "tcp actions=fin_timeout",
    "tcp actions=fin_timeout(idle_timeout=0)",
]


def ofctl(line, what="parse-flow"):
    p = subprocess.run(["ovs-ofctl", "-O", "OpenFlow13", "-mmmmm", what, line],
                       capture_output=True, text=True)
    if p.returncode != 0:
        msg = p.stderr.strip().splitlines()
        msg = msg[-1] if msg else "error"
        return ("err", msg.replace("ovs-ofctl: ", "").replace("\t", " "))
    hexs = ""
    for l in p.stdout.splitlines():
        m = re.match(r"^[0-9a-f]{8}  (.{47})", l)
        if m:
            hexs += m.group(1).replace(" ", "").replace("-", "")
    return ("ok", hexs)


def lines():
    out = []
    for name, (pre, exact, masked) in FIELDS.items():
        for v in exact + masked:
            m = f"{pre},{name}={v}" if pre else f"{name}={v}"
            out.append(f"{m} actions=drop")
            if pre:
                out.append(f"{name}={v} actions=drop")  # without its prerequisites
        out.append(f"{name} actions=drop")  # missing value
        out.append(f"{name}= actions=drop")
    for s in SHORTHANDS:
        out.append(f"{s} actions=drop")
        out.append(f"priority=5,{s},in_port=1 actions=output:2")
    for pre, acts in ACTIONS:
        for a in acts:
            out.append(f"{pre + ' ' if pre else ''}actions={a}")
    for k in FLOW_KEYWORDS:
        out.append(f"{k} actions=drop")
        out.append(f"{k},in_port=1 actions=output:2")
    out += RYU_BOOK
    out += ["", "actions=", "in_port=1", "in_port=1 action=output:2", "in_port=1,actions=output:2",
            "in_port=1 actions output:2", "priority=1 in_port=1 actions=output:2",
            "in_port=1,,dl_type=0x0800 actions=drop", "  in_port=1   actions=output:2  ",
            "in_port=1,in_port=2 actions=drop", "tcp,udp,tp_dst=5 actions=drop", "ip,ipv6 actions=drop",
            "dl_vlan=5,vlan_vid=7 actions=drop", "dl_vlan_pcp=3,dl_vlan=5 actions=drop",
            "vlan_tci=0x1005,dl_vlan_pcp=3 actions=drop", "ip,nw_tos=8,nw_ecn=1,ip_dscp=3 actions=drop",
            "ip,ip_frag=later,tp_src=5 actions=drop", "tcp,ip_frag=later,tp_src=5 actions=drop",
            "arp,nw_proto=2 actions=drop", "ip,arp_op=2 actions=drop", "icmp6,icmp_type=135,nd_target=::1 actions=drop",
            "icmp6,icmp_type=135,icmp_code=0,nd_tll=00:00:00:00:00:01 actions=drop",
            "icmp6,icmp_type=136,icmp_code=0,nd_sll=00:00:00:00:00:01 actions=drop",
            "tcp,icmp_type=3 actions=drop", "mpls,mpls_label=5,mpls_tc=1,mpls_bos=1,mpls_ttl=3 actions=drop",
            "ipv6,ipv6_label=5,nw_src=1.2.3.4 actions=drop", "ip,ipv6_src=::1 actions=drop",
            "ip,ipv6_label=5 actions=drop", "icmp,ipv6_label=0 actions=drop", "arp,ipv6_label=1 actions=drop",
            "ip,nw_ttl=5,tp_src=1 actions=drop", "arp,nw_tos=4,arp_op=1 actions=drop", "mpls,nw_src=1.2.3.4 actions=drop",
            "ipv6,icmp_type=1 actions=drop", "ipv6,nw_proto=1,icmp_type=3 actions=drop", "ip,nd_target=::1 actions=drop",
            "reg0=1,reg0=2 actions=drop", "xreg0=1,reg1=5 actions=drop", "reg1=5,xreg0=1 actions=drop"]
    out += NICIRA_EDGES
    # Combinations: a match of up to four fields, up to three actions, keywords.
    rnd = random.Random(16)
    simple_fields = [(n, p, e + m) for n, (p, e, m) in FIELDS.items()]
    # Consistent ones: a shorthand, fields that need no more than it, actions that need no
    # more than it (most of these OVS accepts).
    needs = {"": {""}, "ip": {"", "ip", "dl_type=0x0800"}, "ipv6": {"", "ipv6"},
             "tcp": {"", "ip", "tcp", "dl_type=0x0800"}, "udp": {"", "ip", "udp", "dl_type=0x0800"},
             "sctp": {"", "ip", "sctp"}, "icmp": {"", "ip", "icmp"}, "icmp6": {"", "ipv6", "icmp6"},
             "arp": {"", "arp"}, "mpls": {"", "mpls"}, "tcp6": {"", "ipv6"}}
    for _ in range(600):
        pre = rnd.choice(list(needs))
        ok_fields = [(n, vals) for n, p, vals in simple_fields if p in needs[pre] and "=" not in p]
        parts = [pre] if pre else []
        for _ in range(rnd.randint(0, 3)):
            n, vals = rnd.choice(ok_fields)
            parts.append(f"{n}={rnd.choice(vals)}")
        if rnd.random() < 0.5:
            parts.append(rnd.choice(FLOW_KEYWORDS[:25]))
        rnd.shuffle(parts)
        groups = [a for p, a in ACTIONS if p in needs[pre]]
        acts = [rnd.choice(rnd.choice(groups)) for _ in range(rnd.randint(1, 3))]
        out.append(f"{','.join(parts)} actions={','.join(acts)}")
    for _ in range(400):
        pre = rnd.choice(["", "ip", "tcp", "udp", "ipv6", "arp", "icmp", "tcp6", "mpls", "sctp"])
        parts = [pre] if pre else []
        for _ in range(rnd.randint(0, 4)):
            n, p, vals = rnd.choice(simple_fields)
            parts.append(f"{n}={rnd.choice(vals)}")
        if rnd.random() < 0.5:
            parts.insert(0, rnd.choice(FLOW_KEYWORDS[:25]))
        rnd.shuffle(parts)
        acts = [rnd.choice(rnd.choice(ACTIONS)[1]) for _ in range(rnd.randint(1, 3))]
        out.append(f"{','.join(parts)} actions={','.join(acts)}")
    seen, uniq = set(), []
    for l in out:
        if l not in seen and "\t" not in l and "\n" not in l:
            seen.add(l)
            uniq.append(l)
    return uniq


def group_lines():
    out = []
    buckets = ["output:1", "actions=output:2", "actions=output:1,output:2", "mod_dl_src:00:00:00:00:00:01,output:3",
               "actions=set_field:5->reg0,group:7", "actions=dec_ttl,output:4", "actions=drop", "drop",
               "actions=mod_tp_src:5,output:1", "actions=push_vlan:0x8100,mod_vlan_vid:10,output:1",
               "actions=ct(commit),output:1", "actions=resubmit(,2)", "actions=set_queue:1,output:2",
               "actions=learn(table=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[])", "actions=clone(output:1)",
               "actions=bogus", "", "actions=goto_table:1", "actions=write_actions(output:1)"]
    prefix = ["weight:10,", "weight:0,", "watch_port:1,", "watch_group:2,", "watch_port:LOCAL,",
              "watch_port:CONTROLLER,", "watch_port:ANY,", "watch_port:0xff00,", "watch_group:0xffffff01,",
              "weight:1,watch_port:2,watch_group:3,", "bucket_id:1,", "weight:70000,"]
    for t in ["all", "select", "indirect", "ff", "fast_failover", "bogus"]:
        out.append(f"group_id=1,type={t}")
        for b in buckets:
            out.append(f"group_id=1,type={t},bucket={b}")
        for p in prefix:
            out.append(f"group_id=2,type={t},bucket={p}actions=output:1")
        out.append(f"group_id=3,type={t},bucket=output:1,bucket=output:2")
        out.append(f"group_id=3,type={t},bucket=weight:5,output:1,bucket=weight:7,output:2,bucket=weight:1,actions=drop")
        out.append(f"group_id=4,type={t},bucket=watch_port:1,output:1,bucket=watch_port:2,output:2")
    for g in ["0", "1", "0xffffff00", "0xffffff01", "4294967292", "all", "any", "-1", "x"]:
        out.append(f"group_id={g},type=all,bucket=output:1")
    out += ["type=all,bucket=output:1", "group_id=1,bucket=output:1", "group_id=1,type=all,bucket=",
            "group_id=1,type=all,bucket=output:1,selection_method=hash", "group_id=1,type=select,selection_method=hash,bucket=output:1",
            "group_id=1,type=all,foo=1", "add group_id=5,type=all,bucket=output:1", "group_id=5 type=all bucket=output:1",
            "group_id=5,type=all,bucket=output:1 bucket=output:2", "group_id=5,type=all,bucket=actions=output:1,bucket=actions=output:2,bucket=actions=output:3",
            "group_id=5,type=select,bucket=weight:100,actions=output:1,bucket=weight:200,actions=output:2"]
    rnd = random.Random(3)
    good = [b for b in buckets if b and "bogus" not in b and "goto" not in b and "write_actions" not in b]
    for i in range(150):
        t = rnd.choice(["all", "select", "indirect", "ff"])
        n = 1 if t == "indirect" else rnd.randint(1, 4)
        bs = []
        for _ in range(n):
            p = ""
            if t == "select" and rnd.random() < 0.7:
                p += f"weight:{rnd.randint(0, 65535)},"
            if t == "ff" or rnd.random() < 0.2:
                p += rnd.choice([f"watch_port:{rnd.randint(1, 100)},", f"watch_group:{rnd.randint(0, 1000)},"])
            b = rnd.choice(good)
            if not b.startswith("actions=") and b != "drop":
                b = "actions=" + b
            bs.append(f"bucket={p}{b}")
        out.append(f"group_id={rnd.randint(0, 0xffffff00)},type={t}," + ",".join(bs))
    seen, uniq = set(), []
    for l in out:
        if l not in seen:
            seen.add(l)
            uniq.append(l)
    return uniq


def via_socket(args, line, msg_type):
    """`ovs-ofctl ARGS unix:SOCKET LINE` to a socket we serve as a switch: ("ok", hex) of the
    one message of `msg_type` it sent, or ("err", msg)."""
    d = tempfile.mkdtemp(prefix="ofm")
    path = os.path.join(d, "sw.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    srv.settimeout(10)
    got = []

    def serve():
        try:
            c, _ = srv.accept()
        except OSError:
            return
        c.settimeout(5)
        buf = b""
        try:
            c.sendall(struct.pack(">BBHI", 4, 0, 8, 0))  # HELLO, OpenFlow 1.3
            while True:
                data = c.recv(65536)
                if not data:
                    break
                buf += data
                while len(buf) >= 8:
                    _, typ, ln, xid = struct.unpack_from(">BBHI", buf)
                    if ln < 8 or len(buf) < ln:
                        break
                    msg, buf = buf[:ln], buf[ln:]
                    if typ == msg_type:
                        got.append(msg)
                    elif typ == 20:  # BARRIER_REQUEST
                        c.sendall(struct.pack(">BBHI", 4, 21, 8, xid))
                    elif typ == 2:  # ECHO_REQUEST
                        c.sendall(struct.pack(">BBHI", 4, 3, ln, xid) + msg[8:])
        except OSError:
            pass
        c.close()

    t = threading.Thread(target=serve)
    t.start()
    p = subprocess.run(["ovs-ofctl", "--no-names", "-O", "OpenFlow13"] + args + ["unix:" + path, line],
                       capture_output=True, text=True, timeout=30)
    if not got:
        # ovs-ofctl refused the line before connecting: unblock the accept.
        try:
            socket.socket(socket.AF_UNIX).connect(path)
        except OSError:
            pass
    t.join(15)
    srv.close()
    os.unlink(path)
    os.rmdir(d)
    if p.returncode != 0 or len(got) != 1:
        msg = p.stderr.strip().splitlines()
        msg = msg[-1] if msg else "error"
        return ("err", msg.replace("ovs-ofctl: ", "").replace("\t", " "))
    m = bytearray(got[0])
    m[4:8] = b"\x00\x00\x00\x01"
    return ("ok", m.hex())


def meter_lines():
    out = []
    ids = ["1", "2", "100", "0xffff0000", "0xffff0001", "0", "all", "controller", "slowpath", "x", "-1"]
    for m in ids:
        out.append(f"meter={m},kbps,bands=type=drop,rate=1000")
    for flags in ["kbps", "pktps", "kbps,burst", "pktps,burst,stats", "kbps,stats", "burst", "stats", "",
                  "kbps,pktps", "kbps,burst,stats"]:
        for band in ["type=drop,rate=100", "type=drop,rate=100,burst_size=10",
                     "type=dscp_remark,rate=200,prec_level=1", "type=dscp_remark,rate=200,burst_size=20,prec_level=2",
                     "type=drop,rate=100 type=dscp_remark,rate=200,prec_level=1",
                     "type=drop,rate=100,burst_size=10 type=dscp_remark,rate=300,burst_size=30,prec_level=3",
                     "type=drop", "type=drop,rate=0", "type=dscp_remark,rate=5", "type=drop,rate=1,prec_level=1",
                     "rate=100", "type=bogus,rate=1", "type=drop,rate=100,foo=1", "type=drop,rate=4294967295",
                     "type=drop,rate=4294967296", "type=dscp_remark,rate=1,prec_level=256", ""]:
            f = f"{flags}," if flags else ""
            out.append(f"meter=1,{f}bands={band}")
    out += ["meter=1 kbps bands=type=drop rate=10", "meter=1,kbps,band=type=drop,rate=10", "meter=1,kbps",
            "kbps,bands=type=drop,rate=10", "meter=1,kbps,foo=2,bands=type=drop,rate=10",
            "meter=1,kbps,bands=type=drop,rate=10,type=drop,rate=20,type=drop,rate=30",
            "meter=7,pktps,burst,stats,bands=type=drop,rate=0x10,burst_size=010",
            "meter=1,kbps,bands=type=drop,rate=10,burst_size=0"]
    rnd = random.Random(5)
    for _ in range(60):
        flags = [rnd.choice(["kbps", "pktps"])] + [f for f in ["burst", "stats"] if rnd.random() < 0.5]
        bands = []
        for _ in range(rnd.randint(1, 4)):
            b = f"type=drop,rate={rnd.randint(1, 10**6)}" if rnd.random() < 0.5 else \
                f"type=dscp_remark,rate={rnd.randint(1, 10**6)},prec_level={rnd.randint(1, 3)}"
            if "burst" in flags:
                b += f",burst_size={rnd.randint(1, 10**5)}"
            bands.append(b)
        out.append(f"meter={rnd.randint(1, 0xffff0000)},{','.join(flags)},bands={' '.join(bands)}")
    seen, uniq = set(), []
    for l in out:
        if l not in seen:
            seen.add(l)
            uniq.append(l)
    return uniq


COMMANDS = {"modify": ["mod-flows"], "modify_strict": ["--strict", "mod-flows"],
            "delete": ["del-flows"], "delete_strict": ["--strict", "del-flows"]}


def flow_mod_lines(flows):
    """modify/delete lines from the flows that OVS accepts, and their own keywords."""
    rnd = random.Random(7)
    out = []
    accepted = [l for l in flows if " actions=" in l]
    for l in rnd.sample(accepted, min(150, len(accepted))):
        out.append(f"{rnd.choice(['modify', 'modify_strict'])} {l}")
    for l in rnd.sample(accepted, min(150, len(accepted))):
        m = l.split(" actions=")[0].strip(",")
        out.append(f"{rnd.choice(['delete', 'delete_strict'])} {m}")
    for cmd in COMMANDS:
        act = " actions=output:1" if cmd.startswith("modify") else ""
        for k in ["", "in_port=1", "priority=5,in_port=1", "table=2,in_port=1", "table=255,tcp",
                  "cookie=0x5/0xff,in_port=1", "cookie=5,in_port=1", "cookie=0/0", "out_port=2",
                  "out_port=LOCAL,in_port=1", "out_group=3", "out_group=all", "out_port=2,out_group=3,cookie=1/1",
                  "idle_timeout=5,hard_timeout=6", "send_flow_rem,check_overlap", "priority=5", "table=300",
                  "out_port=foo", "reg0=5,ip,nw_src=10.0.0.0/8"]:
            out.append(f"{cmd} {k}{act}".rstrip())
        out.append(f"{cmd} in_port=1 actions=drop")
    seen, uniq = set(), []
    for l in out:
        if l not in seen:
            seen.add(l)
            uniq.append(l)
    return uniq


def main():
    ls = lines()
    with open(OUT, "w") as f:
        f.write("# Flows in ovs-ofctl notation and Open vSwitch 3.1's encoding of them (OpenFlow 1.3,\n")
        f.write("# xid 1), or its error. Regenerate with scripts/ofctl-corpus.py; the test is\n")
        f.write("# openflow/tests/ofctl_corpus.rs.\n")
        n_ok = 0
        accepted = []
        for l in ls:
            kind, what = ofctl(l)
            n_ok += kind == "ok"
            if kind == "ok" and l not in NICIRA_EDGES:
                accepted.append(l)
            f.write(f"{kind}\t{l}\t{what}\n")
    print(f"{len(ls)} flows, {n_ok} accepted by ovs-ofctl, {len(ls) - n_ok} refused -> {OUT}")
    gs = group_lines()
    with open(GROUPS_OUT, "w") as f:
        f.write("# Groups in ovs-ofctl add-group notation and Open vSwitch 3.1's encoding of them\n")
        f.write("# (OFPT_GROUP_MOD, OpenFlow 1.3, xid 1), or its error. Regenerate with\n")
        f.write("# scripts/ofctl-corpus.py; the test is openflow/tests/ofctl_corpus.rs.\n")
        n_ok = 0
        for l in gs:
            kind, what = ofctl(l, "parse-group")
            n_ok += kind == "ok"
            f.write(f"{kind}\t{l}\t{what}\n")
    print(f"{len(gs)} groups, {n_ok} accepted by ovs-ofctl, {len(gs) - n_ok} refused -> {GROUPS_OUT}")
    ms = meter_lines()
    with open(METERS_OUT, "w") as f:
        f.write("# Meters in ovs-ofctl add-meter notation and the OFPT_METER_MOD Open vSwitch 3.1's\n")
        f.write("# ovs-ofctl sends for them (OpenFlow 1.3, captured on a socket, xid set to 1), or its\n")
        f.write("# error. Regenerate with scripts/ofctl-corpus.py; the test is openflow/tests/ofctl_corpus.rs.\n")
        n_ok = 0
        for l in ms:
            kind, what = via_socket(["add-meter"], l, 29)
            n_ok += kind == "ok"
            f.write(f"{kind}\t{l}\t{what}\n")
    print(f"{len(ms)} meters, {n_ok} accepted by ovs-ofctl, {len(ms) - n_ok} refused -> {METERS_OUT}")
    fs = flow_mod_lines(accepted)
    with open(FLOW_MODS_OUT, "w") as f:
        f.write("# add-flows lines that modify and delete, and the OFPT_FLOW_MOD Open vSwitch 3.1's\n")
        f.write("# `ovs-ofctl [--strict] mod-flows|del-flows` sends for them (OpenFlow 1.3, captured on a\n")
        f.write("# socket, xid set to 1), or its error. Regenerate with scripts/ofctl-corpus.py; the test\n")
        f.write("# is openflow/tests/ofctl_corpus.rs.\n")
        n_ok = 0
        for l in fs:
            cmd, _, body = l.partition(" ")
            kind, what = via_socket(COMMANDS[cmd], body, 14)
            n_ok += kind == "ok"
            f.write(f"{kind}\t{l}\t{what}\n")
    print(f"{len(fs)} modify/delete flows, {n_ok} accepted by ovs-ofctl, {len(fs) - n_ok} refused -> {FLOW_MODS_OUT}")


if __name__ == "__main__":
    main()
