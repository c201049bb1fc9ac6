use super::*;
use crate::action::test_support::{arb_action, arb_oxm};
use crate::codec::Reader;
use crate::multipart::MultipartType;
use crate::nicira::NxAction;
use proptest::prelude::*;
use serde_json::json;

fn round_trip(m: &Message) -> Value {
    let j = m.to_jsondict();
    let back = Message::from_jsondict(&j, m.xid).unwrap();
    let bytes = m.to_vec().unwrap();
    // The value read back is `m`, or what parsing `m`'s bytes gives (Nicira data built raw
    // reads back typed, as parsing types it).
    let parsed = Message::parse(&bytes).unwrap();
    assert!(&back == m || back == parsed, "{j}\n{back:?}\n{m:?}");
    assert_eq!(back.to_vec().unwrap(), bytes);
    j
}

fn flow_mod(instructions: Vec<Instruction>, match_: Match) -> Message {
    let mut fm = FlowMod::new(FlowModCommand(0));
    fm.instructions = instructions.into();
    fm.match_ = match_;
    Message::new(1, Body::FlowMod(fm))
}

fn apply(actions: Vec<Action>) -> Message {
    flow_mod(vec![Instruction::apply_actions(actions)], Match::new())
}

#[test]
fn base64_like_python() {
    for (raw, b64) in [
        (&b""[..], ""),
        (b"f", "Zg=="),
        (b"fo", "Zm8="),
        (b"foo", "Zm9v"),
        (b"hoge", "aG9nZQ=="),
        (b"\xff\xfe\x00", "//4A"),
    ] {
        assert_eq!(b64_encode(raw), b64);
        assert_eq!(b64_decode(b64).unwrap(), raw);
    }
    assert_eq!(b64_decode("Zm8").unwrap(), b"fo");
    for bad in ["Z", "Zm9v=Zg", "Zm$v", "Zg==="] {
        assert!(b64_decode(bad).is_none(), "{bad}");
    }
}

#[test]
fn ipv6_text_like_os_ken() {
    // What os-ken (netaddr over glibc's inet_ntop) prints for these addresses.
    for (a, text) in [
        ("::", "::"),
        ("::1", "::1"),
        ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
        ("::1.2.3.4", "::1.2.3.4"),
        ("1::", "1::"),
        ("1:0:0:1:0:0:0:1", "1:0:0:1::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("::ffff:0:0", "::ffff:0.0.0.0"),
        ("0:0:1::", "0:0:1::"),
        ("fe80::1:0:0:0", "fe80::1:0:0:0"),
        ("::ffff:ffff:1.2.3.4", "::ffff:ffff:102:304"),
        ("64:ff9b::1.2.3.4", "64:ff9b::102:304"),
        ("::0.0.1.0", "::100"),
        ("::0.1.0.0", "::0.1.0.0"),
        ("::ffff", "::ffff"),
        ("1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"),
        ("fe80::f00b:a4ff:fe48:28a5", "fe80::f00b:a4ff:fe48:28a5"),
    ] {
        assert_eq!(ipv6_string(&a.parse().unwrap()), text, "{a}");
    }
}

#[test]
fn oxm_fields() {
    let mac = MacAddr([0xf2, 0x0b, 0xa4, 0x7d, 0xf8, 0xea]);
    let cases = [
        (
            OxmField::EthDst(mac, Some(MacAddr([0xff; 6]))),
            json!({"field": "eth_dst", "mask": "ff:ff:ff:ff:ff:ff", "value": "f2:0b:a4:7d:f8:ea"}),
        ),
        (
            OxmField::InPort(PortNo(6)),
            json!({"field": "in_port", "mask": null, "value": 6}),
        ),
        (
            OxmField::Ipv4Src(
                Ipv4Addr::new(10, 0, 0, 0),
                Some(Ipv4Addr::new(255, 0, 0, 0)),
            ),
            json!({"field": "ipv4_src", "mask": "255.0.0.0", "value": "10.0.0.0"}),
        ),
        (
            OxmField::Ipv6NdTarget("fe80::a60:6eff:fe7f:74e7".parse().unwrap()),
            json!({"field": "ipv6_nd_target", "mask": null, "value": "fe80::a60:6eff:fe7f:74e7"}),
        ),
        (
            OxmField::PbbIsid(0xabcdef, None),
            json!({"field": "pbb_isid", "mask": null, "value": 11259375}),
        ),
        // Nicira register 5, masked (NXM_1 field 5).
        (
            OxmField::from_parts(1, 5, true, &[0, 0, 0xab, 0xcd, 0, 0, 0xff, 0xff]),
            json!({"field": "reg5", "mask": 65535, "value": 43981}),
        ),
        // ONF's EXT-256 pbb_uca: experimenter id, exp_type 2560, value.
        (
            OxmField::from_parts(0xffff, 0, false, &[0x4f, 0x4e, 0x46, 0, 0x0a, 0, 1]),
            json!({"field": "pbb_uca", "mask": null, "value": 1}),
        ),
        // A basic field 1.3 does not define: os-ken's field_N, base64.
        (
            OxmField::from_parts(0x8000, 45, false, &[0, 1]),
            json!({"field": "field_4194349", "mask": null, "value": "AAE="}),
        ),
        // in_port with a wrong length.
        (
            OxmField::from_parts(0x8000, 0, false, &[0, 1]),
            json!({"field": "field_4194304", "mask": null, "value": "AAE="}),
        ),
        // An unknown experimenter field: the value starts with the experimenter id.
        (
            OxmField::from_parts(0xffff, 9, true, &[0, 0, 0, 7, 1, 2]),
            json!({"field": "field_8388489", "mask": "Ag==", "value": "AAAABwE="}),
        ),
        // A 128-bit ct_label beyond 64 bits: a decimal string.
        (
            OxmField::from_parts(
                1,
                108,
                false,
                &[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
            ),
            json!({"field": "ct_label", "mask": null, "value": "1329227995784915872903807060280344578"}),
        ),
    ];
    for (f, j) in cases {
        let v = f.to_jsondict();
        assert_eq!(v, json!({ "OXMTlv": j }), "{f:?}");
        assert_eq!(OxmField::from_jsondict(&v).unwrap(), f);
    }
}

#[test]
fn match_shape() {
    let m = Match::new()
        .in_port(6u32)
        .eth_src(MacAddr([0xf2, 0x0b, 0xa4, 0x7d, 0xf8, 0xea]));
    let j = m.to_jsondict();
    assert_eq!(
        j,
        json!({"OFPMatch": {"length": 22, "type": 1, "oxm_fields": [
            {"OXMTlv": {"field": "in_port", "mask": null, "value": 6}},
            {"OXMTlv": {"field": "eth_src", "mask": null, "value": "f2:0b:a4:7d:f8:ea"}}]}})
    );
    assert_eq!(Match::from_jsondict(&j).unwrap(), m);
    let e = Match::from_jsondict(&json!({"OFPMatch": {"type": 0, "oxm_fields": []}}));
    assert_eq!(e.unwrap_err().path, "$.OFPMatch.type");
}

#[test]
fn standard_actions() {
    let a = Action::output_max_len(6u32, 65535);
    assert_eq!(
        a.to_jsondict(),
        json!({"OFPActionOutput": {"len": 16, "max_len": 65535, "port": 6, "type": 0}})
    );
    let all = vec![
        Action::output(1u32),
        Action::CopyTtlOut,
        Action::CopyTtlIn,
        Action::SetMplsTtl(3),
        Action::DecMplsTtl,
        Action::PushVlan(0x8100),
        Action::PopVlan,
        Action::PushMpls(0x8847),
        Action::PopMpls(0x0800),
        Action::SetQueue(3),
        Action::Group(GroupId(99)),
        Action::SetNwTtl(10),
        Action::DecNwTtl,
        Action::set_field(OxmField::VlanVid(0x1102, None)),
        Action::PushPbb(0x88e7),
        Action::PopPbb,
        Action::experimenter(101, b"\x00\x01\x02\x03\x04\x05\x06\x07".to_vec()),
        Action::Unknown {
            type_: ActionType(0x1234),
            data: vec![1, 2, 3, 4],
        },
    ];
    for a in &all {
        assert_eq!(&Action::from_jsondict(&a.to_jsondict()).unwrap(), a);
    }
    let j = Action::experimenter(101, b"\x00\x01\x02\x03\x04\x05\x06\x07".to_vec()).to_jsondict();
    assert_eq!(
        j,
        json!({"OFPActionExperimenterUnknown": {"data": "AAECAwQFBgc=", "experimenter": 101, "len": 16, "type": 65535}})
    );
    round_trip(&apply(all));
}

/// Nicira experimenter data: subtype, body.
fn nx(subtype: u16, body: &[u8]) -> Action {
    let mut data = subtype.to_be_bytes().to_vec();
    data.extend_from_slice(body);
    Action::experimenter(NX_EXPERIMENTER_ID, data)
}

#[test]
fn nicira_actions() {
    // NXAST_REG_LOAD: ofs_nbits, dst (NXM_NX_REG0, 4 bytes), value.
    let a = nx(
        7,
        &[0x01, 0x1b, 0, 1, 0, 4, 0, 0, 0, 0, 0x0d, 0xea, 0xdb, 0xee],
    );
    assert_eq!(
        a.to_jsondict(),
        json!({"NXActionRegLoad": {"dst": "reg0", "experimenter": 8992, "len": 24,
            "ofs_nbits": 283, "subtype": 7, "type": 65535, "value": 233495534}})
    );
    // NXAST_RESUBMIT_TABLE, and the same with non-zero padding: os-ken's class would
    // lose that byte, so it stays NXActionUnknown.
    let a = nx(14, &[0x04, 0xd2, 99, 0, 0, 0]);
    assert_eq!(a.to_jsondict()["NXActionResubmitTable"]["table_id"], 99);
    let b = nx(14, &[0x04, 0xd2, 99, 0, 7, 0]);
    assert_eq!(
        b.to_jsondict(),
        json!({"NXActionUnknown": {"data": "BNJjAAcA", "experimenter": 8992, "len": 16,
            "subtype": 14, "type": 65535}})
    );
    // A subtype os-ken does not decode.
    let c = nx(200, &[1, 2, 3, 4, 5, 6]);
    assert_eq!(c.to_jsondict()["NXActionUnknown"]["subtype"], 200);
    // NXAST_CT with a nested set_field, and NXAST_NAT inside.
    let ct_body = {
        let mut b = vec![0, 1, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0, 0, 0];
        Action::set_field(OxmField::from_parts(1, 107, false, &[0, 0x65, 0x43, 0x21]))
            .write(&mut b)
            .unwrap();
        b
    };
    let ct = nx(35, &ct_body);
    let j = ct.to_jsondict();
    assert_eq!(
        j["NXActionCT"]["actions"][0]["OFPActionSetField"]["field"]["OXMTlv"]["field"],
        "ct_mark"
    );
    assert_eq!(j["NXActionCT"]["zone_src"], "");
    // What the codec makes of these bytes: typed where exact, raw otherwise.
    let parse = |a: &Action| Action::parse(&mut Reader::new(&a.to_vec().unwrap(), 0)).unwrap();
    assert!(matches!(
        parse(&a),
        Action::Nicira(NxAction::ResubmitTable {
            in_port: 1234,
            table_id: 99
        })
    ));
    assert!(matches!(parse(&b), Action::Experimenter { .. }));
    assert!(matches!(parse(&c), Action::Experimenter { .. }));
    assert!(matches!(parse(&ct), Action::Nicira(NxAction::Ct(_))));
    for a in [a, b, c, ct] {
        let back = Action::from_jsondict(&a.to_jsondict()).unwrap();
        assert_eq!(back, parse(&a));
        assert_eq!(back.to_jsondict(), a.to_jsondict());
    }
    // Too short for a subtype: a plain experimenter action.
    let d = Action::experimenter(NX_EXPERIMENTER_ID, vec![0; 0]);
    assert!(d
        .to_jsondict()
        .get("OFPActionExperimenterUnknown")
        .is_some());
    assert_eq!(NX_ACTIONS.len(), 38);
}

#[test]
fn instructions() {
    let all = vec![
        Instruction::GotoTable(TableId(1)),
        Instruction::WriteMetadata {
            metadata: 5,
            mask: 0xff,
        },
        Instruction::write_actions(vec![Action::output(1u32)]),
        Instruction::apply_actions(vec![]),
        Instruction::ClearActions,
        Instruction::Meter(MeterId(1)),
        Instruction::Experimenter {
            experimenter: 7,
            data: vec![1, 2, 3, 4, 5, 6, 7, 8],
        },
        Instruction::Unknown {
            type_: InstructionType(9),
            data: vec![0, 0, 0, 0],
        },
    ];
    assert_eq!(
        all[1].to_jsondict(),
        json!({"OFPInstructionWriteMetadata": {"len": 24, "metadata": 5, "metadata_mask": 255, "type": 2}})
    );
    assert_eq!(
        all[4].to_jsondict(),
        json!({"OFPInstructionActions": {"actions": [], "len": 8, "type": 5}})
    );
    for i in &all {
        assert_eq!(&Instruction::from_jsondict(&i.to_jsondict()).unwrap(), i);
    }
    round_trip(&flow_mod(all, Match::new().eth_type(0x800u16)));
    let bad = json!({"OFPInstructionActions": {"actions": [
        {"OFPActionPopVlan": {}}], "type": 5}});
    let e = Instruction::from_jsondict(&bad).unwrap_err();
    assert_eq!(e.path, "$.OFPInstructionActions.actions");
}

#[test]
fn messages_os_ken_loses_bytes_of() {
    // Bit 31 of a version bitmap word (os-ken lists bits 0..30 only), an unknown element.
    let h = Message::new(
        0,
        Body::Hello(Hello {
            elements: vec![
                HelloElement::VersionBitmap(vec![0x8000_0010, 0]),
                HelloElement::Unknown {
                    type_: 9,
                    data: vec![1, 2, 3],
                },
            ],
        }),
    );
    let j = round_trip(&h);
    assert_eq!(
        j["OFPHello"]["elements"][0],
        json!({"OFPHelloElemVersionBitmap": {"length": 12, "type": 1, "versions": [4, 31]}})
    );
    assert_eq!(
        j["OFPHello"]["elements"][1]["OFPHelloElemUnknown"]["data"],
        "AQID"
    );

    let f = Message::new(
        0,
        Body::FeaturesReply(SwitchFeatures {
            datapath_id: DatapathId(1),
            n_buffers: 2,
            n_tables: 3,
            auxiliary_id: 0,
            capabilities: Capabilities(0x4f),
            reserved: 5,
        }),
    );
    assert_eq!(round_trip(&f)["OFPSwitchFeatures"]["reserved"], 5);

    let mut port = Port::new(1u32, MacAddr([1, 2, 3, 4, 5, 6]), "eth0");
    assert_eq!(port_to(&port)["OFPPort"]["name"], "eth0");
    port.name = [0; 16];
    port.name[..3].copy_from_slice(&[b'a', 0xff, b'b']);
    let ps = Message::new(
        0,
        Body::PortStatus(PortStatus {
            reason: PortReason(0),
            desc: port,
        }),
    );
    assert_eq!(
        round_trip(&ps)["OFPPortStatus"]["desc"]["OFPPort"]["name"],
        json!([97, 255, 98])
    );

    let mut tf = TableFeatures::new(0u8, "t");
    tf.properties = vec![
        TableFeatureProp::Experimenter {
            miss: true,
            experimenter: 1,
            exp_type: 2,
            data: vec![1, 2, 3],
        },
        TableFeatureProp::Unknown {
            type_: TableFeaturePropType(77),
            data: vec![4, 5],
        },
    ];
    let tfr = Message::new(
        0,
        Body::MultipartReply(MultipartReply {
            flags: MultipartFlags(0),
            body: MultipartReplyBody::TableFeatures(vec![tf]),
        }),
    );
    let j = round_trip(&tfr);
    let props = &j["OFPTableFeaturesStatsReply"]["body"][0]["OFPTableFeaturesStats"]["properties"];
    assert_eq!(props[0]["OFPTableFeaturePropExperimenter"]["data"], "AQID");
    assert_eq!(
        props[1],
        json!({"OFPTableFeaturePropUnknown": {"data": "BAU=", "length": 6, "type": 77}})
    );

    for body in [
        Body::Unknown {
            msg_type: MsgType(99),
            data: vec![1, 2],
        },
        Body::MultipartReply(MultipartReply {
            flags: MultipartFlags(1),
            body: MultipartReplyBody::Unknown {
                type_: MultipartType(99),
                data: vec![3],
            },
        }),
        Body::MultipartRequest(MultipartRequest {
            flags: MultipartFlags(0),
            body: MultipartRequestBody::Unknown {
                type_: MultipartType(98),
                data: vec![],
            },
        }),
        Body::MeterMod(MeterMod {
            command: MeterModCommand(0),
            flags: MeterFlags(1),
            meter_id: MeterId(1),
            bands: vec![
                MeterBand::Experimenter {
                    rate: 1,
                    burst_size: 2,
                    experimenter: 3,
                    data: vec![0, 0, 0, 9, 0, 0, 0, 0],
                },
                MeterBand::Unknown {
                    type_: MeterBandType(7),
                    rate: 1,
                    burst_size: 2,
                    data: vec![0; 4],
                },
            ],
        }),
    ] {
        round_trip(&Message::new(3, body));
    }
}

#[test]
fn errors_name_the_path() {
    let e = Message::from_jsondict(&json!({"OFPFlowMod": {}}), 0).unwrap_err();
    assert_eq!(e.path, "$.OFPFlowMod");
    // Attributes are read in the table's order, os-ken's (alphabetical): the first missing
    // one is named.
    assert!(e.reason.contains("\"buffer_id\""), "{e}");
    let mut j = apply(vec![]).to_jsondict();
    j["OFPFlowMod"]["match"] = json!({"OFPMatch": {"oxm_fields": [
        {"OXMTlv": {"field": "in_port", "mask": null, "value": "one"}}]}});
    let e = Message::from_jsondict(&j, 0).unwrap_err();
    assert_eq!(
        e.path,
        "$.OFPFlowMod.match.OFPMatch.oxm_fields[0].OXMTlv.value"
    );
    assert_eq!(
        e.to_string(),
        "$.OFPFlowMod.match.OFPMatch.oxm_fields[0].OXMTlv.value: expected an unsigned integer"
    );
    let e = Message::from_jsondict(&json!({"OFPNoSuchThing": {}}), 0).unwrap_err();
    assert_eq!(e.path, "$");
    let e = Message::from_jsondict(&json!([1]), 0).unwrap_err();
    assert_eq!(e.path, "$");
    j["OFPFlowMod"]["match"] = json!({"OFPMatch": {"oxm_fields": [
        {"OXMTlv": {"field": "no_such_field", "value": 1}}]}});
    let e = Message::from_jsondict(&j, 0).unwrap_err();
    assert_eq!(
        e.path,
        "$.OFPFlowMod.match.OFPMatch.oxm_fields[0].OXMTlv.field"
    );
}

/// Nicira experimenter data for a subtype: the body, zero-padded to the action's length.
fn arb_nx() -> impl Strategy<Value = Action> {
    let subtypes: Vec<u16> = NX_ACTIONS.iter().map(|(s, _)| *s).chain([3, 99]).collect();
    (
        proptest::sample::select(subtypes),
        proptest::collection::vec(any::<u8>(), 0..64),
        0usize..4,
        any::<bool>(),
    )
        .prop_map(|(st, mut body, zeros, sparse)| {
            if sparse {
                // Mostly zeros, so that fixed layouts and their padding often fit.
                for (i, b) in body.iter_mut().enumerate() {
                    if i % 5 != 0 {
                        *b = 0;
                    }
                }
            }
            body.extend(core::iter::repeat_n(0, zeros));
            let mut data = st.to_be_bytes().to_vec();
            data.extend(body);
            Action::experimenter(NX_EXPERIMENTER_ID, pad8_vec(data))
        })
}

proptest! {
    #[test]
    fn actions_round_trip(actions in proptest::collection::vec(prop_oneof![arb_action(), arb_nx()], 0..6)) {
        let m = apply(actions);
        // Combinations that do not encode are rejected cases: proptest fails the test when
        // too many are, so the round trip is checked on most of what is generated.
        prop_assume!(m.to_vec().is_ok());
        round_trip(&m);
    }

    #[test]
    fn oxm_round_trip(fields in proptest::collection::vec(arb_oxm(), 0..6)) {
        let m = flow_mod(vec![], Match::from(fields));
        prop_assume!(m.to_vec().is_ok());
        round_trip(&m);
    }

    /// Whatever parses as a flow mod's actions reads back from its JSON.
    #[test]
    fn parsed_actions_round_trip(body in proptest::collection::vec(any::<u8>(), 0..48), st in 0u16..50) {
        let mut data = st.to_be_bytes().to_vec();
        data.extend(body);
        let data = pad8_vec(data);
        let a = Action::experimenter(NX_EXPERIMENTER_ID, data.clone());
        let back = Action::from_jsondict(&a.to_jsondict()).unwrap();
        prop_assert_eq!(back.to_vec().unwrap(), a.to_vec().unwrap());
        prop_assert_eq!(back, experimenter_action(NX_EXPERIMENTER_ID, &data));
    }
}
