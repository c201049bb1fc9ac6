#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::action::ActionType;
use crate::instruction::InstructionType;
use crate::message::{Body, Message};
use crate::multipart::{MultipartFlags, MultipartReply, MultipartReplyBody};
use crate::oxm::OxmHeader;
use crate::table_features::{ActionId, InstructionId, TableFeatureProp as P};
use crate::types::TableId;
use sdnwire_packet::Encode as _;

/// A real Open vSwitch's first TABLE_FEATURES reply (tables 0 to 11).
const OVS_PART0: &[u8] = include_bytes!("../../../testdata/ovs-table-features-reply-part0.bin");

fn abbrev(names: &[&str]) -> String {
    let mut s = String::new();
    abbreviated(&mut s, names, 0);
    s
}

#[test]
fn names_abbreviate_as_ovs_prints_them() {
    assert_eq!(abbrev(&["eth_src", "eth_dst"]), "eth_{src,dst}");
    assert_eq!(abbrev(&["reg0", "reg1", "reg2"]), "reg0...reg2");
    // Two numbered names stay apart.
    assert_eq!(abbrev(&["xreg0", "xreg1"]), "xreg0 xreg1");
    assert_eq!(abbrev(&["metadata", "in_port"]), "metadata in_port");
    assert_eq!(abbrev(&["reg9", "reg10", "reg11"]), "reg9...reg11");
    assert_eq!(
        abbrev(&["ct_state", "ct_nw_src", "ct_nw_dst", "ct_tp_src"]),
        "ct_{state,nw_{src,dst},tp_src}"
    );
}

/// Open vSwitch 3.1's `ovs-ofctl ofp-print` of [`OVS_PART0`].
const OVS_PART0_TEXT: &str = "OFPST_TABLE_FEATURES reply (OF1.3) (xid=0x2): flags=[more]
  table 0:
    metadata: match=0xffffffffffffffff write=0xffffffffffffffff
    max_entries=1000000
    instructions (table miss and others):
      next tables: 1-253
      instructions: meter apply_actions clear_actions write_actions write_metadata goto_table
      Write-Actions and Apply-Actions features:
        actions: output group set_field strip_vlan push_vlan mod_nw_ttl dec_ttl set_mpls_ttl dec_mpls_ttl push_mpls pop_mpls set_queue
        supported on Set-Field: tun_{id,src,dst,ipv6_{src,dst},flags,gbp_{id,flags},erspan_{idx,ver,dir,hwid},metadata0...metadata63} metadata in_{port,port_oxm} pkt_mark ct_{mark,label} reg0...reg15 xreg0...xreg7 xxreg0...xxreg3 eth_{src,dst} vlan_{tci,vid,pcp} mpls_{label,tc,ttl} ip_{src,dst} ipv6_{src,dst,label} nw_tos ip_dscp nw_{ecn,ttl} arp_{op,spa,tpa,sha,tha} tcp_{src,dst} udp_{src,dst} sctp_{src,dst} icmp_{type,code} icmpv6_{type,code} nd_{target,sll,tll,reserved,options_type} nsh_{flags,spi,si,c1...c4,ttl}
    matching:
      arbitrary mask: dp_hash tun_{id,src,dst,ipv6_{src,dst},flags,gbp_{id,flags},erspan_{idx,ver,dir,hwid},gtpu_{flags,msgtype},metadata0...metadata63} metadata pkt_mark ct_{state,mark,label,nw_{src,dst},ipv6_{src,dst},tp_{src,dst}} reg0...reg15 xreg0...xreg7 xxreg0...xxreg3 eth_{src,dst} vlan_{tci,vid} ip_{src,dst} ipv6_{src,dst,label} ip_frag arp_{spa,tpa,sha,tha} tcp_{src,dst,flags} udp_{src,dst} sctp_{src,dst} nd_{target,sll,tll} nsh_{flags,c1...c4}
      exact match or wildcard: recirc_id packet_type conj_id in_{port,port_oxm} actset_output ct_{zone,nw_proto} eth_type vlan_pcp mpls_{label,tc,bos,ttl} nw_{proto,tos} ip_dscp nw_{ecn,ttl} arp_op icmp_{type,code} icmpv6_{type,code} nd_{reserved,options_type} nsh_{mdtype,np,spi,si,ttl}

  tables 1...11: ditto";

#[test]
fn a_real_open_vswitch_reply_prints_as_ovs_ofctl_prints_it() {
    let m = Message::parse(OVS_PART0).unwrap();
    assert_eq!(m.to_string(), OVS_PART0_TEXT);
}

fn basic(field: u8, masked: bool) -> crate::table_features::OxmId {
    let mut id = crate::table_features::OxmId::basic(field);
    if masked {
        let h = id.header;
        id.header = OxmHeader::new(h.class(), h.field(), true, h.length() * 2);
    }
    id
}

fn insts(types: &[u16]) -> Vec<InstructionId> {
    types
        .iter()
        .map(|t| InstructionId::new(InstructionType(*t)))
        .collect()
}

fn acts(types: &[u16]) -> Vec<ActionId> {
    types
        .iter()
        .map(|t| ActionId::new(ActionType(*t)))
        .collect()
}

/// A table with every required property: goto-table and apply-actions, next tables after
/// it, output and set-field, in_port exact, eth_dst masked, ip_proto exact and not
/// wildcardable, set-field on eth_dst.
fn table(id: u8, name: &str) -> TableFeatures {
    let mut t = TableFeatures::new(id, name);
    t.metadata_match = 0xff;
    t.max_entries = 100;
    t.properties = vec![
        P::Instructions {
            miss: false,
            ids: insts(&[1, 4]),
        },
        P::NextTables {
            miss: false,
            table_ids: (id + 1..=5).map(TableId).collect(),
        },
        P::WriteActions {
            miss: false,
            ids: acts(&[0, 25]),
        },
        P::ApplyActions {
            miss: false,
            ids: acts(&[0, 25]),
        },
        P::Match(vec![basic(0, false), basic(3, true), basic(10, false)]),
        P::Wildcards(vec![basic(0, false), basic(3, false)]),
        P::WriteSetfield {
            miss: false,
            ids: vec![basic(3, false)],
        },
        P::ApplySetfield {
            miss: false,
            ids: vec![basic(3, false)],
        },
    ];
    t
}

fn reply(tables: Vec<TableFeatures>) -> Message {
    Message::new(
        7,
        Body::MultipartReply(MultipartReply {
            flags: MultipartFlags(0),
            body: MultipartReplyBody::TableFeatures(tables),
        }),
    )
}

/// Tables built to reach each branch of the layout: `ditto` runs and a named `ditto`, split
/// table-miss instructions, `(same ...)` lines, separate write and apply actions, fields OVS
/// does not know, and the errors OVS reports (after the tables it printed).
#[test]
fn tables_print_as_ovs_ofctl_prints_them() {
    let mut t2 = table(2, "");
    // Table-miss properties that differ, apply-actions unlike write-actions.
    t2.properties.push(P::Instructions {
        miss: true,
        ids: insts(&[1]),
    });
    let mut t3 = table(3, "");
    t3.properties[3] = P::ApplyActions {
        miss: false,
        ids: acts(&[0, 17, 18]),
    };
    let mut t4 = table(4, "");
    t4.max_entries = 5;
    // OXM ids OVS does not know (a length not the field's) are left out.
    let mut t6 = table(0, "");
    t6.properties[4] = P::Match(vec![
        basic(0, false),
        crate::table_features::OxmId::new(OxmHeader::new(0x8000, 3, false, 0)),
    ]);
    // A masked wildcard: OVS refuses it, after printing the tables before.
    let mut t7 = table(1, "");
    t7.properties[5] = P::Wildcards(vec![basic(3, true)]);
    // A required property missing.
    let mut t8 = table(1, "");
    t8.properties.remove(6);
    // Experimenter and unknown properties are ignored; next table 255 is refused.
    let mut t9 = table(0, "");
    t9.properties.push(P::Experimenter {
        miss: false,
        experimenter: 0x2320,
        exp_type: 1,
        data: vec![],
    });
    t9.properties[1] = P::NextTables {
        miss: false,
        table_ids: vec![TableId(1), TableId(255)],
    };
    let cases = [
        reply(vec![
            table(0, "first"),
            table(1, ""),
            table(2, ""),
            table(3, "named"),
        ]),
        reply(vec![table(0, ""), t2, t3, t4, table(5, "")]),
        reply(vec![t6, t7]),
        reply(vec![table(0, ""), t8]),
        reply(vec![t9]),
    ];
    // Open vSwitch 3.1's `ovs-ofctl ofp-print` of each (up to the error line where it
    // refuses the message; the hex dump after it is the one every refused message gets).
    let expected = [
        r#"OFPST_TABLE_FEATURES reply (OF1.3) (xid=0x7):
  table 0 ("first"):
    metadata: match=0xff write=0
    max_entries=100
    instructions (table miss and others):
      next tables: 1-5
      instructions: apply_actions goto_table
      Write-Actions and Apply-Actions features:
        actions: output set_field
        supported on Set-Field: eth_dst
    matching:
      arbitrary mask: eth_dst
      exact match or wildcard: in_port_oxm
      must exact match: nw_proto

  tables 1...2: ditto

  table 3 ("named"): ditto"#,
        r#"OFPST_TABLE_FEATURES reply (OF1.3) (xid=0x7):
  table 0:
    metadata: match=0xff write=0
    max_entries=100
    instructions (table miss and others):
      next tables: 1-5
      instructions: apply_actions goto_table
      Write-Actions and Apply-Actions features:
        actions: output set_field
        supported on Set-Field: eth_dst
    matching:
      arbitrary mask: eth_dst
      exact match or wildcard: in_port_oxm
      must exact match: nw_proto

  table 2:
    metadata: match=0xff write=0
    max_entries=100
    instructions (other than table miss):
      next tables: 3-5
      (same instructions)
      (same actions)
    instructions (table miss):
      next tables: 3-5
      instructions: goto_table
      (same actions)
    (same matching)

  table 3:
    metadata: match=0xff write=0
    max_entries=100
    instructions (table miss and others):
      next tables: 4-5
      (same instructions)
      Write-Actions features:
        actions: output set_field
        supported on Set-Field: eth_dst
      Apply-Actions features:
        actions: output strip_vlan push_vlan
        supported on Set-Field: eth_dst
    (same matching)

  table 4:
    metadata: match=0xff write=0
    max_entries=5
    instructions (table miss and others):
      next tables: 5
      (same instructions)
      Write-Actions and Apply-Actions features:
        actions: output set_field
        supported on Set-Field: eth_dst
    (same matching)

  table 5:
    metadata: match=0xff write=0
    max_entries=100
    (same instructions)
    (same matching)"#,
        r#"OFPST_TABLE_FEATURES reply (OF1.3) (xid=0x7):
  table 0:
    metadata: match=0xff write=0
    max_entries=100
    instructions (table miss and others):
      next tables: 1-5
      instructions: apply_actions goto_table
      Write-Actions and Apply-Actions features:
        actions: output set_field
        supported on Set-Field: eth_dst
    matching:
      exact match or wildcard: in_port_oxm
***decode error: OFPBMC_BAD_MASK***"#,
        r#"OFPST_TABLE_FEATURES reply (OF1.3) (xid=0x7):
  table 0:
    metadata: match=0xff write=0
    max_entries=100
    instructions (table miss and others):
      next tables: 1-5
      instructions: apply_actions goto_table
      Write-Actions and Apply-Actions features:
        actions: output set_field
        supported on Set-Field: eth_dst
    matching:
      arbitrary mask: eth_dst
      exact match or wildcard: in_port_oxm
      must exact match: nw_proto
***decode error: OFPTFFC_BAD_FEATURES***"#,
        r#"OFPST_TABLE_FEATURES reply (OF1.3) (xid=0x7): ***decode error: OFPBPC_BAD_VALUE***"#,
    ];
    for (m, want) in cases.iter().zip(expected) {
        let got = m.to_string();
        let got = match got.find("***\n") {
            Some(i) => &got[..i + 3],
            None => &got,
        };
        assert_eq!(got, want, "{}", hex(&m.to_vec().unwrap()));
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| alloc::format!("{b:02x}")).collect()
}
