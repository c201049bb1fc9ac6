extern crate std;

use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;
use core::net::{Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use sdnwire_packet::MacAddr;

use super::test_support::*;
use super::*;
use crate::nicira::NxAction;
use crate::oxm::RawOxm;

fn hex(s: &str) -> Vec<u8> {
    let s: alloc::string::String = s.split_whitespace().collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn parse_all(b: &[u8]) -> Result<Vec<Action>> {
    Action::parse_list(&mut Reader::new(b, 0))
}

fn encode_all(a: &[Action]) -> Vec<u8> {
    let mut v = Vec::new();
    Action::encode_list(a, &mut v).unwrap();
    assert_eq!(v.len(), Action::list_len(a));
    v
}

/// Every spec action: its bytes, its ovs-ofctl notation.
fn fixtures() -> Vec<(Action, &'static str, &'static str)> {
    vec![
        (
            Action::output(2),
            "0000 0010 00000002 ffff 000000000000",
            "output:2",
        ),
        (
            Action::output_to_controller(65535),
            "0000 0010 fffffffd ffff 000000000000",
            "CONTROLLER:65535",
        ),
        (
            Action::output_max_len(PortNo::CONTROLLER, 128),
            "0000 0010 fffffffd 0080 000000000000",
            "CONTROLLER:128",
        ),
        (
            Action::in_port(),
            "0000 0010 fffffff8 ffff 000000000000",
            "IN_PORT",
        ),
        (
            Action::flood(),
            "0000 0010 fffffffb ffff 000000000000",
            "FLOOD",
        ),
        (
            Action::output(PortNo::ALL),
            "0000 0010 fffffffc ffff 000000000000",
            "ALL",
        ),
        (
            Action::output(PortNo::LOCAL),
            "0000 0010 fffffffe ffff 000000000000",
            "LOCAL",
        ),
        (
            Action::output(PortNo::NORMAL),
            "0000 0010 fffffffa ffff 000000000000",
            "NORMAL",
        ),
        (
            Action::output(PortNo::TABLE),
            "0000 0010 fffffff9 ffff 000000000000",
            "TABLE",
        ),
        (Action::CopyTtlOut, "000b 0008 00000000", "copy_ttl_out"),
        (Action::CopyTtlIn, "000c 0008 00000000", "copy_ttl_in"),
        (
            Action::SetMplsTtl(5),
            "000f 0008 05000000",
            "set_mpls_ttl(5)",
        ),
        (Action::DecMplsTtl, "0010 0008 00000000", "dec_mpls_ttl"),
        (
            Action::push_vlan(),
            "0011 0008 8100 0000",
            "push_vlan:0x8100",
        ),
        (
            Action::push_vlan_8021ad(),
            "0011 0008 88a8 0000",
            "push_vlan:0x88a8",
        ),
        (Action::pop_vlan(), "0012 0008 00000000", "pop_vlan"),
        (
            Action::push_mpls(),
            "0013 0008 8847 0000",
            "push_mpls:0x8847",
        ),
        (
            Action::pop_mpls(0x0800),
            "0014 0008 0800 0000",
            "pop_mpls:0x0800",
        ),
        (Action::set_queue(3), "0015 0008 00000003", "set_queue:3"),
        (Action::group(GroupId(1)), "0016 0008 00000001", "group:1"),
        (Action::set_nw_ttl(9), "0017 0008 09000000", "mod_nw_ttl:9"),
        (Action::dec_nw_ttl(), "0018 0008 00000000", "dec_ttl"),
        (
            Action::PushPbb(0x88e7),
            "001a 0008 88e7 0000",
            "push_pbb:0x88e7",
        ),
        (Action::PopPbb, "001b 0008 00000000", "pop_pbb"),
        (
            Action::set_field(OxmField::Ipv4Dst(Ipv4Addr::new(10, 0, 0, 1), None)),
            "0019 0010 80001804 0a000001 00000000",
            "set_field:10.0.0.1->ip_dst",
        ),
        (
            Action::set_field(OxmField::VlanVid(0x1005, None)),
            "0019 0010 80000c02 1005 000000000000",
            "set_field:4101->vlan_vid",
        ),
        (
            Action::set_field(OxmField::EthDst(
                MacAddr([0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]),
                None,
            )),
            "0019 0010 80000606 aabbccddeeff 0000",
            "set_field:aa:bb:cc:dd:ee:ff->eth_dst",
        ),
        (
            Action::set_field(OxmField::Ipv6Src(Ipv6Addr::LOCALHOST, None)),
            "0019 0018 80003410 00000000000000000000000000000001",
            "set_field:::1->ipv6_src",
        ),
        (
            Action::set_field(OxmField::Metadata(1, None)),
            "0019 0010 80000408 0000000000000001",
            "set_field:0x1->metadata",
        ),
        (
            Action::Nicira(NxAction::Note(hex("040506070000"))),
            "ffff 0010 00002320 0008 040506070000",
            // ovs-ofctl ofp-print of os-ken's NXActionNote fixture.
            "note:04.05.06.07.00.00",
        ),
        (
            // resubmit(,1)
            Action::Nicira(NxAction::ResubmitTable {
                in_port: 0xfff8,
                table_id: 1,
            }),
            "ffff 0010 00002320 000e fff8 01 000000",
            "resubmit(,1)",
        ),
        (
            // A subtype the codec does not type, and a typed one with non-zero padding:
            // both stay raw, byte for byte.
            Action::experimenter(0x2320, hex("00c8 010203040506")),
            "ffff 0010 00002320 00c8 010203040506",
            "experimenter(0x2320,data=00c8010203040506)",
        ),
        (
            Action::experimenter(0x2320, hex("000e fff8 01 000700")),
            "ffff 0010 00002320 000e fff8 01 000700",
            "experimenter(0x2320,data=000efff801000700)",
        ),
        (
            Action::experimenter(0x4f4e4600, hex("0001 020304050607")),
            "ffff 0010 4f4e4600 0001 020304050607",
            "experimenter(0x4f4e4600,data=0001020304050607)",
        ),
        (
            Action::Unknown {
                type_: ActionType(0x1234),
                data: hex("0102030405060708 090a0b0c"),
            },
            "1234 0010 0102030405060708 090a0b0c",
            "unknown_action(type=0x1234,data=0102030405060708090a0b0c)",
        ),
    ]
}

#[test]
fn fixtures_encode_parse_display() {
    for (action, bytes, text) in fixtures() {
        let bytes = hex(bytes);
        assert_eq!(action.to_vec().unwrap(), bytes, "{action:?}");
        assert_eq!(action.encoded_len(), bytes.len());
        let mut r = Reader::new(&bytes, 0);
        assert_eq!(Action::parse(&mut r).unwrap(), action);
        assert!(r.is_empty());
        assert_eq!(action.to_string(), text);
        let view = ActionView::parse(&mut Reader::new(&bytes, 0)).unwrap();
        assert_eq!(view.to_string(), text);
        assert_eq!(view.action_type(), action.action_type());
        assert_eq!(view.decode().unwrap(), action);
    }
}

#[test]
fn list_display_and_views() {
    let list = vec![
        Action::push_vlan(),
        Action::set_field(OxmField::VlanVid(0x1000 | 10, None)),
        Action::output(1),
        Action::output_to_controller(OFPCML_NO_BUFFER),
    ];
    let text = "push_vlan:0x8100,set_field:4106->vlan_vid,output:1,CONTROLLER:65535";
    assert_eq!(Action::display_list(&list).to_string(), text);
    assert_eq!(Action::display_list(&[]).to_string(), "drop");
    let bytes = encode_all(&list);
    let view = ActionsView::new_unchecked(&bytes, 0);
    assert_eq!(view.to_string(), text);
    assert_eq!(ActionsView::new_unchecked(&[], 0).to_string(), "drop");
    assert_eq!(view.decode().unwrap(), list);
    assert_eq!(view.as_bytes(), &bytes[..]);
    // Walking the view allocates nothing and gives the fixed actions decoded.
    let ports: Vec<PortNo> = view
        .clone()
        .filter_map(|a| match a.unwrap() {
            ActionView::Output { port, .. } => Some(port),
            _ => None,
        })
        .collect();
    assert_eq!(ports, [PortNo(1), PortNo::CONTROLLER]);
    match view.clone().nth(1).unwrap().unwrap() {
        ActionView::SetField(s) => {
            assert_eq!(s.oxm_bytes(), &hex("80000c02 100a")[..]);
            assert_eq!(s.offset(), 12);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(parse_all(&bytes).unwrap(), list);
}

/// ovs-ofctl decodes what we encode and prints what our `Display` prints.
#[test]
fn ofctl_agrees() {
    use OxmField as F;
    let mac = MacAddr([0x00, 0x11, 0x22, 0x33, 0x44, 0x55]);
    let v6: Ipv6Addr = "2001:db8::1".parse().unwrap();
    let lists: Vec<Vec<Action>> = vec![
        vec![
            Action::output(1),
            Action::output(65279),
            Action::output_to_controller(0),
            Action::in_port(),
            Action::flood(),
            Action::output(PortNo::ALL),
            Action::output(PortNo::LOCAL),
            Action::output(PortNo::NORMAL),
            Action::output(PortNo::TABLE),
        ],
        vec![
            Action::push_vlan(),
            Action::push_vlan_8021ad(),
            Action::pop_vlan(),
            Action::push_mpls(),
            Action::PushMpls(0x8848),
            Action::pop_mpls(0x0800),
            Action::SetMplsTtl(7),
            Action::DecMplsTtl,
            Action::set_queue(3),
            Action::group(GroupId(1)),
            Action::set_nw_ttl(64),
            Action::dec_nw_ttl(),
        ],
        vec![
            Action::set_field(F::Metadata(0, None)),
            Action::set_field(F::Metadata(0xfeed, None)),
            Action::set_field(F::EthDst(mac, None)),
            Action::set_field(F::EthSrc(mac, None)),
            Action::set_field(F::VlanVid(0x1000 | 4094, None)),
            Action::set_field(F::VlanPcp(5)),
            Action::set_field(F::IpDscp(46)),
            Action::set_field(F::IpEcn(3)),
            Action::set_field(F::Ipv4Src(Ipv4Addr::new(192, 168, 0, 1), None)),
            Action::set_field(F::Ipv4Dst(Ipv4Addr::new(10, 0, 0, 1), None)),
            Action::set_field(F::TcpSrc(80)),
            Action::set_field(F::TcpDst(443)),
            Action::set_field(F::UdpSrc(53)),
            Action::set_field(F::UdpDst(67)),
            Action::set_field(F::SctpSrc(1)),
            Action::set_field(F::SctpDst(2)),
        ],
        vec![
            Action::set_field(F::Icmpv4Type(8)),
            Action::set_field(F::Icmpv4Code(0)),
            Action::set_field(F::ArpOp(2)),
            Action::set_field(F::ArpSpa(Ipv4Addr::new(1, 2, 3, 4), None)),
            Action::set_field(F::ArpTpa(Ipv4Addr::new(5, 6, 7, 8), None)),
            Action::set_field(F::ArpSha(mac, None)),
            Action::set_field(F::ArpTha(mac, None)),
            Action::set_field(F::Ipv6Src(v6, None)),
            Action::set_field(F::Ipv6Dst("fe80::1:2".parse().unwrap(), None)),
            Action::set_field(F::Ipv6Flabel(0x12345, None)),
            Action::set_field(F::Icmpv6Type(135)),
            Action::set_field(F::Icmpv6Code(0)),
            Action::set_field(F::Ipv6NdTarget(v6)),
            Action::set_field(F::Ipv6NdSll(mac)),
            Action::set_field(F::Ipv6NdTll(mac)),
            Action::set_field(F::MplsLabel(100)),
            Action::set_field(F::MplsTc(1)),
            Action::set_field(F::TunnelId(0x10, None)),
        ],
        vec![],
    ];
    for list in lists {
        let m = packet_out(&encode_all(&list));
        let Some(printed) = ofp_print(&m) else {
            return;
        };
        assert!(
            printed.starts_with("OFPT_PACKET_OUT (OF1.3)"),
            "ovs-ofctl refused {list:?}:\n{printed}"
        );
        assert!(!printed.contains("decode error"), "{printed}");
        let ofctl = field_after(&printed, "actions=");
        assert_eq!(Action::display_list(&list).to_string(), ofctl);
    }
}

/// os-ken's PACKET_OUT messages: actions as os-ken's JSON says, exact round trip.
#[test]
fn os_ken_packet_out() {
    for name in [
        "4-1-ofp_packet_out.packet",
        "libofproto-OFP13-ofp_packet_out_packet_library.packet",
    ] {
        let Some((m, json)) = corpus(name) else {
            return;
        };
        let alen = usize::from(u16::from_be_bytes([m[16], m[17]]));
        let abytes = &m[24..24 + alen];
        let list = Action::parse_list(&mut Reader::new(abytes, 24)).unwrap();
        let expected = json["OFPPacketOut"]["actions"].as_array().unwrap();
        assert_eq!(list.len(), expected.len(), "{name}");
        for (a, j) in list.iter().zip(expected) {
            check_action_json(a, j);
        }
        assert_eq!(encode_all(&list), abytes, "{name}");
    }
}

/// Every action of os-ken's FLOW_MODs (spec actions in 4-2, Nicira experimenter actions
/// in ovs-ofctl-of13-*) decodes as os-ken's JSON says and encodes back unchanged.
#[test]
fn os_ken_flow_mod_actions() {
    let mut names = corpus_names("ovs-ofctl-of13-");
    names.extend(corpus_names("libofproto-OFP13-flow_mod"));
    names.extend(["4-2", "4-3", "4-46", "4-60"].map(|n| alloc::format!("{n}-ofp_flow_mod.packet")));
    let mut seen = 0;
    for name in names {
        let Some((m, json)) = corpus(&name) else {
            return;
        };
        if m[1] != 14 {
            continue;
        }
        let (off, insts) = flow_mod_instructions(&m);
        let mut r = Reader::new(insts, off);
        let jinsts = json["OFPFlowMod"]["instructions"].as_array().unwrap();
        for ji in jinsts {
            let ty = u16::from_be_bytes([r.peek_rest()[0], r.peek_rest()[1]]);
            let len = usize::from(u16::from_be_bytes([r.peek_rest()[2], r.peek_rest()[3]]));
            let mut ir = r.sub(len, "instruction").unwrap();
            if ty != 3 && ty != 4 {
                continue;
            }
            ir.bytes(8, "header").unwrap();
            let abytes = ir.peek_rest();
            let list = Action::parse_list(&mut ir).unwrap();
            let ja = ji["OFPInstructionActions"]["actions"].as_array().unwrap();
            assert_eq!(list.len(), ja.len(), "{name}");
            for (a, j) in list.iter().zip(ja) {
                check_action_json(a, j);
                seen += 1;
            }
            assert_eq!(encode_all(&list), abytes, "{name}");
        }
    }
    assert!(seen > 30, "only {seen} actions checked");
}

fn err(b: &str) -> Error {
    parse_all(&hex(b)).unwrap_err()
}

#[test]
fn bad_lengths() {
    // Fewer than 4 bytes: no header.
    assert!(matches!(err("0000 00"), Error::Truncated { offset: 0, .. }));
    // len below 8.
    assert!(matches!(
        err("0012 0004 00000000"),
        Error::BadLength {
            offset: 2,
            value: 4,
            ..
        }
    ));
    assert!(matches!(
        err("0012 0000 00000000"),
        Error::BadLength {
            offset: 2,
            value: 0,
            ..
        }
    ));
    // Not a multiple of 8.
    assert!(matches!(
        err("ffff 000c 00002320 00000000"),
        Error::BadLength {
            offset: 2,
            value: 12,
            ..
        }
    ));
    // Past the end of the list (second action at 8).
    assert!(matches!(
        err("0012 0008 00000000 0000 0010 00000001 ffff 0000"),
        Error::BadLength {
            offset: 10,
            value: 16,
            ..
        }
    ));
    // Fixed-size actions with another length.
    assert!(matches!(
        err("0000 0008 00000001"),
        Error::BadLength {
            offset: 2,
            value: 8,
            ..
        }
    ));
    assert!(matches!(
        err("0000 0018 00000001 ffff 000000000000 0000000000000000"),
        Error::BadLength {
            offset: 2,
            value: 24,
            ..
        }
    ));
    assert!(matches!(
        err("0012 0010 00000000 0000000000000000"),
        Error::BadLength {
            offset: 2,
            value: 16,
            ..
        }
    ));
    assert!(matches!(
        err("0016 0010 00000001 0000000000000000"),
        Error::BadLength {
            offset: 2,
            value: 16,
            ..
        }
    ));
    // Set-field: OXM runs past the action (payload 6 in an 8-byte action).
    assert!(matches!(
        err("0019 0008 80000606"),
        Error::BadLength {
            offset: 7,
            value: 6,
            ..
        }
    ));
    // Set-field: OXM length 4 in a 24-byte action: 16 bytes would do.
    assert!(matches!(
        err("0019 0018 80001804 0a000001 00000000 0000000000000000"),
        Error::BadLength {
            offset: 7,
            value: 4,
            ..
        }
    ));
    // Set-field: an empty OXM (length 0) in an 8-byte action is fine, and its OXM
    // header is the action's last 4 bytes.
    assert_eq!(
        parse_all(&hex("0019 0008 00010000")).unwrap(),
        vec![Action::SetField(OxmField::Raw(RawOxm {
            class: 1,
            field: 0,
            hasmask: false,
            payload: vec![]
        }))]
    );
}

#[test]
fn bad_padding_and_trailing() {
    assert!(matches!(
        err("0000 0010 00000002 ffff 000000000001"),
        Error::BadValue { offset: 15, .. }
    ));
    assert!(matches!(
        err("0012 0008 00000100"),
        Error::BadValue { offset: 6, .. }
    ));
    assert!(matches!(
        err("0019 0010 80001804 0a000001 00000001"),
        Error::BadValue { offset: 15, .. }
    ));
    assert!(matches!(
        err("0011 0008 8100 0001"),
        Error::BadValue { offset: 7, .. }
    ));
    // A list with a second action cut short: truncated header.
    assert!(matches!(
        err("0012 0008 00000000 0012"),
        Error::Truncated { offset: 8, .. }
    ));
    // Offsets count from the reader's base.
    let b = hex("0012 0004 00000000");
    match Action::parse_list(&mut Reader::new(&b, 100)).unwrap_err() {
        Error::BadLength { offset, .. } => assert_eq!(offset, 102),
        e => panic!("{e}"),
    }
}

#[test]
fn iteration_stops_after_error() {
    let b = hex("0012 0008 00000000 0012 0004 00000000 0012 0008 00000000");
    let mut it = ActionsView::new_unchecked(&b, 0);
    assert_eq!(it.next().unwrap().unwrap(), ActionView::PopVlan);
    assert!(it.next().unwrap().is_err());
    assert!(it.next().is_none());
    assert!(ActionsView::new_unchecked(&b, 0).validate().is_err());
    assert!(ActionsView::new_unchecked(&b, 0)
        .to_string()
        .contains("<error:"));
}

#[test]
fn unencodable() {
    let a = Action::Unknown {
        type_: ActionType::OUTPUT,
        data: vec![0; 12],
    };
    assert!(matches!(a.to_vec(), Err(Error::Unencodable { .. })));
    let a = Action::experimenter(1, vec![1, 2, 3]);
    assert!(matches!(a.to_vec(), Err(Error::Unencodable { .. })));
    let a = Action::Unknown {
        type_: ActionType(99),
        data: vec![0; 3],
    };
    assert!(matches!(a.to_vec(), Err(Error::Unencodable { .. })));
    let a = Action::experimenter(1, vec![0; 65528]);
    assert!(matches!(a.to_vec(), Err(Error::Unencodable { .. })));
    let a = Action::experimenter(1, vec![0; 65520]);
    assert_eq!(a.to_vec().unwrap().len(), 65528);
}

#[test]
fn names() {
    assert_eq!(ActionType::SET_FIELD.to_string(), "OFPAT_SET_FIELD");
    assert_eq!(ActionType(99).to_string(), "OFPAT_UNKNOWN(0x0063)");
    assert_eq!(
        alloc::format!("{:?}", ActionType::OUTPUT),
        "ActionType(OFPAT_OUTPUT)"
    );
    for t in (0..=30).chain([0xffff]) {
        let t = ActionType(t);
        assert_eq!(
            t.name().is_some(),
            !matches!(t.0, 1..=10 | 13 | 14 | 28..=30)
        );
    }
}

/// Byte strings shaped like action lists (plausible types and lengths, random content,
/// mostly zero padding), so that the parser's accepting paths are exercised.
fn arb_list_bytes() -> impl Strategy<Value = Vec<u8>> {
    let one = (
        prop_oneof![(0u16..30), Just(0xffffu16), Just(25u16), any::<u16>()],
        0usize..4,
        proptest::collection::vec(prop_oneof![3 => Just(0u8), 1 => any::<u8>()], 28),
        prop_oneof![4 => Just(None), 1 => (0u16..40).prop_map(Some)],
    )
        .prop_map(|(ty, n, body, badlen)| {
            let len = match ty {
                0 => 16,
                25 => 8 + 8 * n,
                _ if ActionType(ty).fixed_len().is_some() => 8,
                _ => 8 + 8 * n,
            };
            let len = badlen.map_or(len, usize::from);
            let mut v = Vec::new();
            v.extend_from_slice(&ty.to_be_bytes());
            v.extend_from_slice(&u16::try_from(len).unwrap().to_be_bytes());
            let mut body = body;
            if ty == 25 {
                // A basic OXM header whose length fits the action, mostly.
                body[0] = 0x80;
                body[3] =
                    u8::try_from((len.saturating_sub(8) + 4).min(200)).unwrap() - (body[4] & 3);
            }
            v.extend_from_slice(&body[..len.saturating_sub(4).min(28)]);
            v
        });
    proptest::collection::vec(one, 0..5).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn any_bytes_round_trip(b in proptest::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(list) = parse_all(&b) {
            prop_assert_eq!(encode_all(&list), b);
        }
    }

    #[test]
    fn shaped_bytes_round_trip(b in arb_list_bytes()) {
        let view = ActionsView::new_unchecked(&b, 0);
        if let Ok(list) = parse_all(&b) {
            prop_assert!(view.validate().is_ok());
            prop_assert_eq!(encode_all(&list), b);
        }
    }

    #[test]
    fn values_round_trip(list in proptest::collection::vec(arb_action(), 0..6)) {
        let b = encode_all(&list);
        prop_assert_eq!(parse_all(&b).unwrap(), list.clone());
        for (a, r) in list.iter().zip(ActionsView::new_unchecked(&b, 0)) {
            prop_assert_eq!(&r.unwrap().decode().unwrap(), a);
        }
        // Display never panics, and views print what owned values print.
        prop_assert_eq!(
            ActionsView::new_unchecked(&b, 0).to_string(),
            Action::display_list(&list).to_string()
        );
    }
}

#[test]
fn raw_set_field_display() {
    let a = Action::set_field(OxmField::Raw(RawOxm {
        class: 1,
        field: 0,
        hasmask: false,
        payload: vec![0, 0, 0, 5],
    }));
    // Nicira's registers by their ovs-ofctl name.
    assert_eq!(a.to_string(), "set_field:0x5->reg0");
    let b = a.to_vec().unwrap();
    assert_eq!(b, hex("0019 0010 00010004 00000005 00000000"));
    assert_eq!(parse_all(&b).unwrap(), vec![a]);
}
