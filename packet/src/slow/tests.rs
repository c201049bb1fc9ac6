use super::*;
use crate::error::CodecError;
use alloc::format;
use alloc::string::ToString;
use alloc::vec;
use proptest::prelude::*;

fn hex(s: &str) -> Vec<u8> {
    let s: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
    s.chunks(2)
        .map(|c| u8::from_str_radix(core::str::from_utf8(c).unwrap(), 16).unwrap())
        .collect()
}

/// An LACPDU as Linux bonding (drivers/net/bonding/bond_3ad.c) sends it, built field by
/// field from the driver's defaults, not captured: `ad_actor_sys_prio` 65535, actor system
/// = the bond's MAC (here a KVM NIC's 52:54:00:12:34:56), port priority 255, key 9
/// (speed AD_LINK_SPEED_1000MBPS = 4 shifted left once, | 1 for full duplex), port 2 (the
/// second slave), state 0x3d (activity, aggregation, in sync, collecting, distributing),
/// collector max delay 0 (AD_COLLECTOR_MAX_DELAY). The Ethernet source is the slave's own
/// MAC; the frame is `sizeof(struct lacpdu_header)` = 124 bytes, so no padding. The partner
/// is the Cisco switch of tcpdump's tests/LACP.pcap.
const LINUX_BOND: &str = "0180c2000002 525400123457 8809 \
    0101 0114 ffff 525400123456 0009 00ff 0002 3d 000000 \
    0214 8000 000e8316f500 000d 8000 0019 3d 000000 \
    0310 0000 000000000000000000000000 \
    0000 0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
/// os-ken 2.x `repr(packet.Packet(frame).protocols[1])` for LINUX_BOND.
const LINUX_BOND_REPR: &str = "lacp(actor_key=9,actor_port=2,actor_port_priority=255,actor_state_activity=1,actor_state_aggregation=1,actor_state_collecting=1,actor_state_defaulted=0,actor_state_distributing=1,actor_state_expired=0,actor_state_synchronization=1,actor_state_timeout=0,actor_system='52:54:00:12:34:56',actor_system_priority=65535,collector_max_delay=0,partner_key=13,partner_port=25,partner_port_priority=32768,partner_state_activity=1,partner_state_aggregation=1,partner_state_collecting=1,partner_state_defaulted=0,partner_state_distributing=1,partner_state_expired=0,partner_state_synchronization=1,partner_state_timeout=0,partner_system='00:0e:83:16:f5:00',partner_system_priority=32768,version=1)";

/// A real capture: frame 1 of tcpdump's tests/LACP.pcap (a Cisco switch, 2009), actor
/// expired, partner with short timeout.
const CISCO_1: &str = "0180c20000020013c4120f0d88090101011480000013c4120f00000d800000168500000002148000000e8316f500000d80000019360000000310800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
/// os-ken's repr of CISCO_1's LACPDU.
const CISCO_1_REPR: &str = "lacp(actor_key=13,actor_port=22,actor_port_priority=32768,actor_state_activity=1,actor_state_aggregation=1,actor_state_collecting=0,actor_state_defaulted=0,actor_state_distributing=0,actor_state_expired=1,actor_state_synchronization=0,actor_state_timeout=0,actor_system='00:13:c4:12:0f:00',actor_system_priority=32768,collector_max_delay=32768,partner_key=13,partner_port=25,partner_port_priority=32768,partner_state_activity=0,partner_state_aggregation=1,partner_state_collecting=1,partner_state_defaulted=0,partner_state_distributing=1,partner_state_expired=0,partner_state_synchronization=0,partner_state_timeout=1,partner_system='00:0e:83:16:f5:00',partner_system_priority=32768,version=1)";
/// Frame 20 of the same capture: both sides collecting and distributing.
const CISCO_20: &str = "0180c20000020013c4120f0d88090101011480000013c4120f00000d800000163d00000002148000000e8316f500000d800000193c0000000310800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
/// os-ken's repr of CISCO_20's LACPDU.
const CISCO_20_REPR: &str = "lacp(actor_key=13,actor_port=22,actor_port_priority=32768,actor_state_activity=1,actor_state_aggregation=1,actor_state_collecting=1,actor_state_defaulted=0,actor_state_distributing=1,actor_state_expired=0,actor_state_synchronization=1,actor_state_timeout=0,actor_system='00:13:c4:12:0f:00',actor_system_priority=32768,collector_max_delay=32768,partner_key=13,partner_port=25,partner_port_priority=32768,partner_state_activity=0,partner_state_aggregation=1,partner_state_collecting=1,partner_state_defaulted=0,partner_state_distributing=1,partner_state_expired=0,partner_state_synchronization=1,partner_state_timeout=0,partner_system='00:0e:83:16:f5:00',partner_system_priority=32768,version=1)";

fn up() -> LacpState {
    LacpState::ACTIVITY
        | LacpState::AGGREGATION
        | LacpState::SYNCHRONIZATION
        | LacpState::COLLECTING
        | LacpState::DISTRIBUTING
}

fn linux_actor() -> LacpInfo {
    LacpInfo::new(
        65535,
        MacAddr::new(0x52, 0x54, 0, 0x12, 0x34, 0x56),
        9,
        255,
        2,
        up(),
    )
}

fn cisco_partner() -> LacpInfo {
    LacpInfo::new(
        32768,
        MacAddr::new(0x00, 0x0e, 0x83, 0x16, 0xf5, 0x00),
        13,
        32768,
        25,
        up(),
    )
}

/// A version-1 PDU head (58 bytes) with the given actor and partner, delay 0.
fn v1_pdu() -> Vec<u8> {
    Lacp::new(linux_actor(), cisco_partner(), 0)
        .to_vec()
        .unwrap()
}

#[test]
fn linux_bonding_frame() {
    let f = hex(LINUX_BOND);
    assert_eq!(f.len(), 124);
    let pkt = Packet::parse(&f).unwrap();
    assert_eq!(pkt.layers.len(), 2);
    let l = pkt.get::<Lacp>().unwrap();
    assert_eq!(l.version, 1);
    assert_eq!(l.actor, linux_actor());
    assert_eq!(l.actor.state.bits(), 0x3d);
    assert_eq!(l.partner, cisco_partner());
    assert_eq!(l.collector_max_delay, 0);
    assert!(l.tlvs.is_empty() && l.reserved.is_zero());
    assert!(pkt.payload.is_empty() && pkt.trailer.is_empty());
    assert_eq!(l.to_string(), LINUX_BOND_REPR);
    assert_eq!(pkt.to_vec().unwrap(), f);
    // Built from values, the frame comes out byte for byte.
    let built = Lacp::new(linux_actor(), cisco_partner(), 0)
        .to_frame(MacAddr::new(0x52, 0x54, 0, 0x12, 0x34, 0x57))
        .unwrap();
    assert_eq!(built, f);
    // Bytes after the PDU (a capture that kept the FCS) are trailer, never PDU.
    let mut g = f.clone();
    g.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
    let pkt = Packet::parse(&g).unwrap();
    assert_eq!(pkt.get::<Lacp>().unwrap(), l);
    assert!(pkt.payload.is_empty());
    assert_eq!(pkt.trailer, [0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(pkt.to_vec().unwrap(), g);
    let view = crate::PacketView::parse(&g).unwrap();
    assert_eq!(view.bytes(LayerKind::Lacp).unwrap().len(), 110);
    assert_eq!(view.trailer(), [0xde, 0xad, 0xbe, 0xef]);
}

#[test]
fn cisco_capture() {
    for (h, repr) in [(CISCO_1, CISCO_1_REPR), (CISCO_20, CISCO_20_REPR)] {
        let f = hex(h);
        let pkt = Packet::parse(&f).unwrap();
        let l = pkt.get::<Lacp>().unwrap();
        assert_eq!(l.to_string(), repr);
        assert_eq!(
            format!("{pkt}"),
            format!(
                "ethernet(dst='01:80:c2:00:00:02',ethertype=34825,src='00:13:c4:12:0f:0d'), {repr}"
            )
        );
        assert_eq!(pkt.to_vec().unwrap(), f);
    }
    let l = Lacp::parse(&hex(CISCO_1)[14..]).unwrap();
    assert_eq!(l.actor.state, LacpState(0x85));
    assert!(
        l.actor.state.expired() && l.actor.state.activity() && !l.actor.state.synchronization()
    );
    assert!(l.partner.state.timeout());
    assert_eq!(l.collector_max_delay, 32768);
}

#[test]
fn view_accessors_and_setters() {
    let mut f = hex(LINUX_BOND);
    let mut v = LacpView::parse(&mut f[14..]).unwrap();
    assert_eq!(v.subtype(), 1);
    assert_eq!(v.version(), 1);
    assert_eq!(v.pdu_len(), 110);
    assert_eq!(v.terminator_offset(), 58);
    assert_eq!(v.actor(), linux_actor());
    assert_eq!(v.partner(), cisco_partner());
    assert_eq!(v.actor_state(), up());
    assert_eq!(v.partner_state(), up());
    assert_eq!(v.collector_max_delay(), 0);
    assert_eq!(v.tlvs().count(), 0);
    assert!(v.reserved().is_zero());
    assert_eq!(v.as_bytes().len(), 110);
    let mut p = cisco_partner();
    p.state.set_synchronization(false);
    v.set_partner(&p);
    v.set_actor_state(up().with_timeout(true));
    v.set_collector_max_delay(7);
    v.set_version(2);
    let l = Lacp::parse(v.as_bytes()).unwrap();
    assert_eq!(l.partner, p);
    assert_eq!(l.actor.state, up() | LacpState::TIMEOUT);
    assert_eq!((l.collector_max_delay, l.version), (7, 2));
    let mut a = linux_actor();
    a.port = 9;
    v.set_actor(&a);
    v.set_partner_state(LacpState::EMPTY);
    assert_eq!(v.actor(), a);
    assert_eq!(v.partner_state(), LacpState::EMPTY);
}

#[test]
fn state_flags() {
    let mut s = LacpState::default();
    s.set_activity(true);
    s.set_aggregation(true);
    s.set_synchronization(true);
    s.set_collecting(true);
    s.set_distributing(true);
    assert_eq!(s, LacpState(0x3d));
    assert_eq!(
        s.to_string(),
        "activity=1,aggregation=1,collecting=1,defaulted=0,distributing=1,expired=0,synchronization=1,timeout=0"
    );
    assert_eq!(
        format!("{s:?}"),
        "LacpState(0x3d: ACTIVITY|AGGREGATION|SYNCHRONIZATION|COLLECTING|DISTRIBUTING)"
    );
    assert_eq!(format!("{:?}", LacpState::EMPTY), "LacpState(0x00)");
    s.set_timeout(true);
    s.set_defaulted(true);
    s.set_expired(true);
    assert_eq!(s.bits(), 0xff);
    assert!(s.timeout() && s.defaulted() && s.expired());
    s.remove(LacpState::COLLECTING | LacpState::DISTRIBUTING);
    assert!(
        !s.collecting()
            && !s.distributing()
            && s.contains(LacpState::ACTIVITY | LacpState::EXPIRED)
    );
    assert_eq!(s & LacpState::TIMEOUT, LacpState::TIMEOUT);
    assert_eq!(!LacpState(0x0f), LacpState(0xf0));
    let mut t = LacpState::EMPTY;
    t |= LacpState::DEFAULTED;
    assert_eq!(u8::from(t), 0x40);
    assert_eq!(
        LacpState::from(0x40u8).with_defaulted(false),
        LacpState::EMPTY
    );
    assert_eq!(
        linux_actor().system_id(),
        (65535, MacAddr::new(0x52, 0x54, 0, 0x12, 0x34, 0x56))
    );
    assert_eq!(linux_actor().port_id(), (255, 2));
}

#[test]
fn version2_tlvs_are_kept() {
    let mut l = Lacp::new(linux_actor(), cisco_partner(), 0);
    l.version = 2;
    l.tlvs = vec![
        LacpTlv::port_algorithm(5),
        LacpTlv::new(LacpTlvType::PORT_CONVERSATION_ID_DIGEST, [0xaa; 18]),
        LacpTlv::new(LacpTlvType::PORT_CONVERSATION_MASK_1, [0x01; 129]),
        LacpTlv::new(LacpTlvType::PORT_CONVERSATION_SERVICE_MAPPING, [0xbb; 16]),
        LacpTlv::new(LacpTlvType(0x42), []),
    ];
    let b = l.to_vec().unwrap();
    assert_eq!(b.len(), 110 + 6 + 20 + 131 + 18 + 2);
    assert_eq!(&b[58..64], [4, 6, 0, 0, 0, 5]);
    assert_eq!(&b[64..66], [5, 20]);
    assert_eq!(&b[84..86], [6, 131]);
    let v = LacpView::parse(&b[..]).unwrap();
    assert_eq!(v.pdu_len(), b.len());
    assert_eq!(v.terminator_offset(), b.len() - 52);
    let types: Vec<u8> = v.tlvs().map(|t| t.unwrap().tlv_type.0).collect();
    assert_eq!(types, [4, 5, 6, 10, 0x42]);
    assert_eq!(v.tlvs().nth(1).unwrap().unwrap().offset, 64);
    assert_eq!(Lacp::parse(&b).unwrap(), l);
    assert!(l.to_string().contains(
        ",partner_system_priority=32768,tlvs=[LacpTlv(tlv_type=4,value=b'\\x00\\x00\\x00\\x05'), LacpTlv(tlv_type=5,value=b'\\xaa"
    ));
    assert!(l
        .to_string()
        .ends_with("LacpTlv(tlv_type=66,value=b'')],version=2)"));
    // In an Ethernet frame with trailing bytes, the PDU still ends 50 bytes after the
    // terminator.
    let mut f = Lacp::new(linux_actor(), cisco_partner(), 0)
        .to_frame(MacAddr::ZERO)
        .unwrap();
    f.truncate(14);
    f.extend_from_slice(&b);
    f.extend_from_slice(&[9, 9, 9]);
    let pkt = Packet::parse(&f).unwrap();
    assert_eq!(pkt.get::<Lacp>().unwrap(), &l);
    assert_eq!(pkt.trailer, [9, 9, 9]);
    assert_eq!(pkt.to_vec().unwrap(), f);
}

#[test]
fn version1_pdu_with_extra_tlvs() {
    // A version-1 PDU whose bytes at 58 form a TLV chain: kept, the PDU grows by the TLV.
    let mut b = v1_pdu();
    b.splice(58..58, [0x42, 4, 0xaa, 0xbb]);
    let l = Lacp::parse(&b).unwrap();
    assert_eq!(l.version, 1);
    assert_eq!(l.tlvs, [LacpTlv::new(LacpTlvType(0x42), [0xaa, 0xbb])]);
    assert_eq!(l.header_len(), 114);
    assert_eq!(l.to_vec().unwrap(), b);
    // Junk that does not form a chain is an error at the offending byte.
    let mut j = v1_pdu();
    j[58] = 0x42;
    j[59] = 1;
    assert!(matches!(
        Lacp::parse(&j),
        Err(Error::BadLength {
            offset: 59,
            field: "tlv_length",
            value: 1,
            ..
        })
    ));
    j[59] = 0xff;
    assert!(matches!(
        Lacp::parse(&j),
        Err(Error::Truncated {
            offset: 58,
            needed: 255,
            available: 52,
            layer: LayerKind::Lacp,
            ..
        })
    ));
    j[58] = 0;
    j[59] = 5;
    assert!(matches!(
        Lacp::parse(&j),
        Err(Error::BadLength {
            offset: 59,
            field: "terminator_length",
            ..
        })
    ));
    // A valid TLV that leaves fewer than 50 bytes after the terminator.
    let mut k = v1_pdu();
    k[58] = 0x42;
    k[59] = 4;
    assert!(matches!(
        Lacp::parse(&k),
        Err(Error::Truncated {
            offset: 64,
            needed: 50,
            available: 46,
            ..
        })
    ));
}

#[test]
fn nonzero_reserved_bytes_round_trip() {
    let mut b = v1_pdu();
    for i in [19usize, 20, 21, 39, 40, 41, 46, 57, 60, 109] {
        b[i] = u8::try_from(i).unwrap();
    }
    let l = Lacp::parse(&b).unwrap();
    assert_eq!(l.reserved.actor, [19, 20, 21]);
    assert_eq!(l.reserved.partner, [39, 40, 41]);
    assert_eq!(l.reserved.collector[0], 46);
    assert_eq!(l.reserved.collector[11], 57);
    assert_eq!(
        (l.reserved.terminator[0], l.reserved.terminator[49]),
        (60, 109)
    );
    assert_eq!(l.actor, linux_actor());
    assert_eq!(l.to_vec().unwrap(), b);
    let s = l.to_string();
    assert!(
        s.contains(",reserved=LacpReserved(actor=b'\\x13\\x14\\x15',collector=b'.\\x00"),
        "{s}"
    );
    assert!(s.ends_with(",version=1)"));
}

#[test]
fn lacp_negative() {
    let b = v1_pdu();
    for n in 0..58 {
        assert!(matches!(
            Lacp::parse(&b[..n]),
            Err(Error::Truncated {
                offset: 0,
                needed: 58,
                layer: LayerKind::Lacp,
                ..
            })
        ));
    }
    for n in 58..60 {
        assert!(
            matches!(
                Lacp::parse(&b[..n]),
                Err(Error::Truncated {
                    offset: 58,
                    needed: 2,
                    ..
                })
            ),
            "{n}"
        );
    }
    for n in 60..110 {
        assert!(
            matches!(
                Lacp::parse(&b[..n]),
                Err(Error::Truncated {
                    offset: 60,
                    needed: 50,
                    ..
                })
            ),
            "{n}"
        );
    }
    let cases: [(usize, u8, usize); 7] = [
        (0, 2, 0),
        (2, 2, 2),
        (3, 19, 3),
        (22, 1, 22),
        (23, 0, 23),
        (42, 0, 42),
        (43, 20, 43),
    ];
    for (at, val, off) in cases {
        let mut c = b.clone();
        c[at] = val;
        let e = Lacp::parse(&c).unwrap_err();
        assert_eq!(e.offset(), Some(off), "{e}");
        assert_eq!(e.layer(), LayerKind::Lacp);
        assert!(
            matches!(e, Error::BadValue { .. } | Error::BadLength { .. }),
            "{e}"
        );
        assert!(step_lacp(&c).is_err());
    }
    // Errors inside a frame are shifted to frame offsets.
    let mut f = hex(LINUX_BOND);
    f[14 + 3] = 21;
    assert!(matches!(
        Packet::parse(&f),
        Err(Error::BadLength {
            offset: 17,
            field: "actor_length",
            ..
        })
    ));
    let (pkt, err) = Packet::parse_partial(&f);
    assert!(err.is_some());
    assert_eq!(pkt.payload.len(), 110);
}

#[test]
fn lacp_emit_errors() {
    let mut l = Lacp::new(linux_actor(), cisco_partner(), 0);
    let mut short = [0u8; 109];
    assert!(matches!(
        l.emit(&mut short, &EmitContext::default()),
        Err(Error::Unencodable { .. })
    ));
    l.tlvs.push(LacpTlv::new(LacpTlvType::TERMINATOR, []));
    assert!(l.to_vec().is_err());
    l.tlvs[0] = LacpTlv::new(LacpTlvType(9), vec![0; 254]);
    assert!(l.to_vec().is_err());
    l.tlvs[0].value.pop();
    assert_eq!(l.to_vec().unwrap().len(), 110 + 255);
    assert_eq!(Lacp::default().header_len(), Lacp::V1_LEN);
}

/// A Marker Information PDU as a Cisco switch (the requester of tests/LACP.pcap) would
/// send it, built from 802.1AX-2014 §6.5.3.3's layout (no capture at hand): port 22,
/// system 00:13:c4:12:0f:00, transaction 0x00000001.
const MARKER_INFO: &str = "0180c2000002 0013c4120f0d 8809 \
    0201 0110 0016 0013c4120f00 00000001 0000 0000 \
    000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

#[test]
fn marker_information_and_response() {
    let f = hex(MARKER_INFO);
    assert_eq!(f.len(), 124);
    let pkt = Packet::parse(&f).unwrap();
    let m = pkt.get::<Marker>().unwrap();
    assert!(m.is_information() && !m.is_response());
    assert_eq!(
        m,
        &Marker::information(22, MacAddr::new(0, 0x13, 0xc4, 0x12, 0x0f, 0), 1)
    );
    assert_eq!(
        m.to_string(),
        "marker(requester_port=22,requester_system='00:13:c4:12:0f:00',requester_transaction_id=1,tlv_type=1,version=1)"
    );
    assert!(pkt.trailer.is_empty());
    assert_eq!(pkt.to_vec().unwrap(), f);
    assert_eq!(
        m.to_frame(MacAddr::new(0, 0x13, 0xc4, 0x12, 0x0f, 0x0d))
            .unwrap(),
        f
    );

    // The response: the same fields, TLV type 2, sent by the partner.
    let r = Marker::response_to(m);
    assert!(r.is_response());
    assert_eq!(
        (
            r.requester_port,
            r.requester_system,
            r.requester_transaction_id
        ),
        (22, m.requester_system, 1)
    );
    let rf = r
        .to_frame(MacAddr::new(0x52, 0x54, 0, 0x12, 0x34, 0x57))
        .unwrap();
    assert_eq!(rf[16], 2);
    assert_eq!(
        &rf[14..],
        &{
            let mut b = f[14..].to_vec();
            b[2] = 2;
            b
        }[..]
    );
    // A responder may also flip the type in place.
    let mut buf = f[14..].to_vec();
    let mut v = MarkerView::parse(&mut buf[..]).unwrap();
    assert_eq!(v.tlv_type(), MarkerTlvType::INFORMATION);
    v.set_tlv_type(MarkerTlvType::RESPONSE);
    assert_eq!(Marker::parse(&buf).unwrap(), r);

    let v = MarkerView::parse(&f[14..]).unwrap();
    assert_eq!(v.version(), 1);
    assert_eq!(v.requester_port(), 22);
    assert_eq!(v.requester_system(), m.requester_system);
    assert_eq!(v.requester_transaction_id(), 1);
    assert_eq!(v.pad(), [0, 0]);
    assert_eq!(v.reserved().len(), 90);
    assert_eq!(v.as_bytes().len(), 110);
    // Padding after the PDU is trailer.
    let mut g = f.clone();
    g.extend_from_slice(&[0; 6]);
    let pkt = Packet::parse(&g).unwrap();
    assert_eq!(pkt.trailer, [0; 6]);
    assert_eq!(pkt.to_vec().unwrap(), g);
}

#[test]
fn marker_keeps_odd_bytes() {
    let mut b = hex(MARKER_INFO)[14..].to_vec();
    b[2] = 7;
    b[16] = 0xaa;
    b[109] = 0xbb;
    let m = Marker::parse(&b).unwrap();
    assert_eq!(m.tlv_type, MarkerTlvType(7));
    assert_eq!(m.pad, [0xaa, 0]);
    assert_eq!(m.reserved[89], 0xbb);
    assert_eq!(m.to_vec().unwrap(), b);
    let s = m.to_string();
    assert!(
        s.starts_with("marker(pad=b'\\xaa\\x00',requester_port=22,"),
        "{s}"
    );
    assert!(
        s.contains(",reserved=b'\\x00") && s.ends_with("\\xbb',tlv_type=7,version=1)"),
        "{s}"
    );
}

#[test]
fn marker_negative() {
    let b = hex(MARKER_INFO)[14..].to_vec();
    for n in 0..110 {
        assert!(matches!(
            Marker::parse(&b[..n]),
            Err(Error::Truncated {
                offset: 0,
                needed: 110,
                layer: LayerKind::Marker,
                ..
            })
        ));
    }
    for (at, val, off) in [(0usize, 1u8, 0usize), (3, 15, 3), (18, 1, 18), (19, 2, 19)] {
        let mut c = b.clone();
        c[at] = val;
        let e = Marker::parse(&c).unwrap_err();
        assert_eq!(
            (e.offset(), e.layer()),
            (Some(off), LayerKind::Marker),
            "{e}"
        );
        assert!(step_marker(&c).is_err());
    }
    let mut short = [0u8; 100];
    assert!(Marker::default()
        .emit(&mut short, &EmitContext::default())
        .is_err());
}

#[test]
fn tlv_iterator_on_unchecked_bytes() {
    let mut b = v1_pdu();
    b[58] = 5;
    b[59] = 3;
    let mut it = LacpTlvs::new(&b[..61]);
    let t = it.next().unwrap().unwrap();
    assert_eq!(
        (t.tlv_type, t.value, t.offset),
        (LacpTlvType(5), &[0u8][..], 58)
    );
    assert!(matches!(
        it.next(),
        Some(Err(Error::Truncated { offset: 61, .. }))
    ));
    assert!(it.next().is_none());
    assert_eq!(LacpTlvs::new(&b[..10]).count(), 1);
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trip() {
    let mut l = Lacp::parse(&hex(CISCO_1)[14..]).unwrap();
    l.reserved.terminator[3] = 1;
    let j = serde_json::to_string(&l).unwrap();
    assert_eq!(serde_json::from_str::<Lacp>(&j).unwrap(), l);
    let m = Marker::information(1, MacAddr::BROADCAST, 2);
    let j = serde_json::to_string(&m).unwrap();
    assert_eq!(serde_json::from_str::<Marker>(&j).unwrap(), m);
}

fn info_strategy() -> impl Strategy<Value = LacpInfo> {
    (
        any::<u16>(),
        any::<[u8; 6]>(),
        any::<u16>(),
        any::<u16>(),
        any::<u16>(),
        any::<u8>(),
    )
        .prop_map(|(a, s, k, pp, p, st)| LacpInfo::new(a, MacAddr(s), k, pp, p, LacpState(st)))
}

fn lacp_strategy() -> impl Strategy<Value = Lacp> {
    let tlv = (1u8..=255, proptest::collection::vec(any::<u8>(), 0..40))
        .prop_map(|(t, v)| LacpTlv::new(LacpTlvType(t), v));
    let reserved = (
        any::<[u8; 3]>(),
        any::<[u8; 3]>(),
        any::<[u8; 12]>(),
        proptest::collection::vec(any::<u8>(), 50),
    )
        .prop_map(|(a, p, c, t)| LacpReserved {
            actor: a,
            partner: p,
            collector: c,
            terminator: t.try_into().unwrap(),
        });
    (
        any::<u8>(),
        info_strategy(),
        info_strategy(),
        any::<u16>(),
        proptest::collection::vec(tlv, 0..4),
        prop_oneof![Just(LacpReserved::ZERO), reserved],
    )
        .prop_map(
            |(version, actor, partner, collector_max_delay, tlvs, reserved)| Lacp {
                version,
                actor,
                partner,
                collector_max_delay,
                tlvs,
                reserved,
            },
        )
}

/// Emitting a parsed PDU gives back exactly the bytes it was parsed from.
fn check_round_trip(bytes: &[u8]) {
    if let Ok(l) = Lacp::parse(bytes) {
        let st = step_lacp(bytes).unwrap();
        assert_eq!(st.header_len, l.header_len());
        assert_eq!(l.to_vec().unwrap(), &bytes[..st.end]);
    } else {
        assert!(step_lacp(bytes).is_err());
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..160)) {
        check_round_trip(&bytes);
        if let Ok(m) = Marker::parse(&bytes) {
            prop_assert_eq!(m.to_vec().unwrap(), &bytes[..110]);
        }
    }

    #[test]
    fn nearly_valid_bytes_round_trip(
        mut bytes in proptest::collection::vec(any::<u8>(), 110..300),
        tlv_area in proptest::collection::vec(prop_oneof![Just(0u8), 2u8..8, any::<u8>()], 0..12),
    ) {
        // A valid head, then bytes that often form short TLV chains.
        for (at, v) in [(0usize, 1u8), (2, 1), (3, 20), (22, 2), (23, 20), (42, 3), (43, 16)] {
            bytes[at] = v;
        }
        for (i, v) in tlv_area.iter().enumerate() {
            bytes[58 + i] = *v;
        }
        check_round_trip(&bytes);
        let mut m = bytes.clone();
        for (at, v) in [(0usize, 2u8), (3, 16), (18, 0), (19, 0)] {
            m[at] = v;
        }
        let marker = Marker::parse(&m).unwrap();
        prop_assert_eq!(marker.to_vec().unwrap(), &m[..110]);
    }

    #[test]
    fn owned_values_round_trip(l in lacp_strategy(), trailer in proptest::collection::vec(any::<u8>(), 0..8)) {
        let mut b = l.to_vec().unwrap();
        prop_assert_eq!(b.len(), l.header_len());
        b.extend_from_slice(&trailer);
        prop_assert_eq!(&Lacp::parse(&b).unwrap(), &l);
        let f = l.to_frame(MacAddr::new(2, 0, 0, 0, 0, 1)).unwrap();
        let pkt = Packet::parse(&f).unwrap();
        prop_assert_eq!(pkt.get::<Lacp>().unwrap(), &l);
        prop_assert_eq!(pkt.to_vec().unwrap(), f);
    }

    #[test]
    fn owned_markers_round_trip(
        version in any::<u8>(), t in any::<u8>(), port in any::<u16>(), sys in any::<[u8; 6]>(),
        id in any::<u32>(), pad in any::<[u8; 2]>(), r in proptest::collection::vec(any::<u8>(), 90),
    ) {
        let m = Marker {
            version,
            tlv_type: MarkerTlvType(t),
            requester_port: port,
            requester_system: MacAddr(sys),
            requester_transaction_id: id,
            pad,
            reserved: r.try_into().unwrap(),
        };
        prop_assert_eq!(Marker::parse(&m.to_vec().unwrap()).unwrap(), m);
    }
}
