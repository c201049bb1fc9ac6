//! `Match::validate_with` against the rules it names.
//!
//! - [`MatchRules::OpenFlow13`] against Table 12 of the OpenFlow 1.3.5 specification, field by
//!   field: maskability and prerequisites.
//! - [`MatchRules::OpenVswitch`] against a running Open vSwitch (the private one of
//!   `sdnwire_testkit::ovs`): a few hundred matches over every OXM field OVS 3.1 or the spec
//!   knows (masked and unmasked, zero and all-ones masks, values too wide, prerequisites
//!   present, missing, wrong or after the field, repeats) are installed as FLOW_MODs, and OVS's
//!   verdict (accepted, or the OFPT_ERROR type and code) must be ours for every one. The same
//!   session sends requests that OVS refuses with its experimenter (Nicira and ONF) errors,
//!   which must decode to their names. Skipped loudly without Open vSwitch; a failure under
//!   CI=true.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]
#![allow(clippy::cast_possible_truncation)]

use std::collections::BTreeMap;
use std::io::{Read, Write};

use sdnwire_openflow::error_message::{BadMatchCode, ErrorMsg, ErrorType, VendorError};
use sdnwire_openflow::oxm::{
    basic_field_info, ofb, Match, MatchError, MatchRules, OxmField, OFPXMC_OPENFLOW_BASIC,
};
use sdnwire_openflow::{Body, Encode, Message};

// ------------------------------------------------------------------ the spec's Table 12

/// A field of Table 12: its number, whether it is maskable, and a match that satisfies its
/// prerequisites (theirs included), in order.
struct Row {
    field: u8,
    maskable: bool,
    prereq: fn() -> Match,
}

fn none() -> Match {
    Match::new()
}
fn ip() -> Match {
    Match::new().eth_type(0x0800)
}
fn ip6() -> Match {
    Match::new().eth_type(0x86dd)
}

/// Table 12 of the OpenFlow 1.3.5 specification, written from the spec.
fn table12() -> Vec<Row> {
    let r = |field, maskable, prereq| Row {
        field,
        maskable,
        prereq,
    };
    vec![
        r(ofb::IN_PORT, false, none),
        r(ofb::IN_PHY_PORT, false, || Match::new().in_port(1)),
        r(ofb::METADATA, true, none),
        r(ofb::ETH_DST, true, none),
        r(ofb::ETH_SRC, true, none),
        r(ofb::ETH_TYPE, false, none),
        r(ofb::VLAN_VID, true, none),
        r(ofb::VLAN_PCP, false, || Match::new().vlan_vid(0x1001)),
        r(ofb::IP_DSCP, false, ip),
        r(ofb::IP_ECN, false, ip6),
        r(ofb::IP_PROTO, false, ip),
        r(ofb::IPV4_SRC, true, ip),
        r(ofb::IPV4_DST, true, ip),
        r(ofb::TCP_SRC, false, || ip().ip_proto(6)),
        r(ofb::TCP_DST, false, || ip6().ip_proto(6)),
        r(ofb::UDP_SRC, false, || ip().ip_proto(17)),
        r(ofb::UDP_DST, false, || ip().ip_proto(17)),
        r(ofb::SCTP_SRC, false, || ip().ip_proto(132)),
        r(ofb::SCTP_DST, false, || ip().ip_proto(132)),
        r(ofb::ICMPV4_TYPE, false, || ip().ip_proto(1)),
        // The spec's prerequisites are transitive only: ip_proto=1 over IPv6 satisfies them.
        r(ofb::ICMPV4_CODE, false, || ip6().ip_proto(1)),
        r(ofb::ARP_OP, false, || Match::new().eth_type(0x0806)),
        r(ofb::ARP_SPA, true, || Match::new().eth_type(0x0806)),
        r(ofb::ARP_TPA, true, || Match::new().eth_type(0x0806)),
        r(ofb::ARP_SHA, true, || Match::new().eth_type(0x0806)),
        r(ofb::ARP_THA, true, || Match::new().eth_type(0x0806)),
        r(ofb::IPV6_SRC, true, ip6),
        r(ofb::IPV6_DST, true, ip6),
        r(ofb::IPV6_FLABEL, true, ip6),
        r(ofb::ICMPV6_TYPE, false, || ip6().ip_proto(58)),
        r(ofb::ICMPV6_CODE, false, || ip6().ip_proto(58)),
        r(ofb::IPV6_ND_TARGET, false, || {
            ip6().ip_proto(58).icmpv6_type(136)
        }),
        r(ofb::IPV6_ND_SLL, false, || {
            ip6().ip_proto(58).icmpv6_type(135)
        }),
        r(ofb::IPV6_ND_TLL, false, || {
            ip6().ip_proto(58).icmpv6_type(136)
        }),
        r(ofb::MPLS_LABEL, false, || Match::new().eth_type(0x8847)),
        r(ofb::MPLS_TC, false, || Match::new().eth_type(0x8848)),
        r(ofb::MPLS_BOS, false, || Match::new().eth_type(0x8847)),
        r(ofb::PBB_ISID, true, || Match::new().eth_type(0x88e7)),
        r(ofb::TUNNEL_ID, true, none),
        r(ofb::IPV6_EXTHDR, true, ip6),
    ]
}

/// A TLV of basic field `field` with the value zero (and an all-ones mask when `masked`).
fn zero_tlv(field: u8, masked: bool) -> OxmField {
    let len = basic_field_info(field).unwrap().len;
    let mut payload = vec![0u8; len];
    if masked {
        payload.extend(core::iter::repeat_n(0xff, len));
    }
    OxmField::from_parts(OFPXMC_OPENFLOW_BASIC, field, masked, &payload)
}

fn with(m: Match, f: OxmField) -> Match {
    let mut m = m;
    m.fields.push(f);
    m
}

#[test]
fn openflow13_rules_follow_table_12() {
    let rows = table12();
    assert_eq!(rows.len(), 40);
    for (n, row) in rows.iter().enumerate() {
        assert_eq!(usize::from(row.field), n, "Table 12 is in field order");
        let info = basic_field_info(row.field).unwrap();
        assert_eq!(info.maskable, row.maskable, "{}", info.name);
        let name = info.name;
        let prereq = (row.prereq)();
        // With its prerequisites first: valid, masked or not as Table 12 allows.
        let m = with(prereq.clone(), zero_tlv(row.field, false));
        assert_eq!(m.validate(), Ok(()), "{name}: {m}");
        let masked = with(prereq.clone(), zero_tlv(row.field, true));
        let at = prereq.fields.len();
        match masked.validate() {
            Ok(()) => assert!(row.maskable, "{name}: a mask is refused by Table 12"),
            Err(e) => {
                assert!(!row.maskable, "{name}: {e}");
                assert_eq!(
                    (e.index(), e.code()),
                    (at, BadMatchCode::BAD_MASK),
                    "{name}"
                );
            }
        }
        if prereq.fields.is_empty() {
            continue;
        }
        // Without the last prerequisite: missing; with it after the field: after.
        let mut partial = prereq.clone();
        let last = partial.fields.pop().unwrap();
        let e = with(partial.clone(), zero_tlv(row.field, false))
            .validate()
            .unwrap_err();
        assert!(
            matches!(e, MatchError::MissingPrerequisite { index, .. } if index == at - 1),
            "{name}: {e}"
        );
        assert_eq!(e.code(), BadMatchCode::BAD_PREREQ);
        let mut after = with(partial, zero_tlv(row.field, false));
        after.fields.push(last);
        let e = after.validate().unwrap_err();
        assert!(
            matches!(e, MatchError::PrerequisiteAfter { index, at: a, .. }
                if index == at - 1 && a == at),
            "{name}: {e}"
        );
    }
    // Fields 40 and up are not OpenFlow 1.3's.
    for f in 40..=44u8 {
        let m = Match::new().push(OxmField::from_parts(0x8000, f, false, &[0; 4]));
        assert_eq!(m.validate().unwrap_err().code(), BadMatchCode::BAD_FIELD);
    }
}

// ------------------------------------------------------------------ against Open vSwitch

/// xorshift64*: deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Value lengths of the basic fields the test sends: the spec's 40 and the three of
/// OpenFlow 1.5 that OVS takes in 1.3 (tcp_flags, actset_output, packet_type); 40 and 41
/// are unknown to both.
fn field_len(f: u8) -> usize {
    match f {
        0..=39 => basic_field_info(f).unwrap().len,
        42 => 2,
        _ => 4,
    }
}

/// Significant bits of a value (beyond them a value is too wide).
fn field_bits(f: u8) -> u32 {
    match f {
        0..=39 => basic_field_info(f).unwrap().bits,
        42 => 12,
        _ => 32,
    }
}

/// Prerequisite contexts for field `f`: OVS's, and variants that break them or that only one
/// of the two rule sets takes.
fn contexts(f: u8) -> Vec<Match> {
    let arp = || Match::new().eth_type(0x0806);
    let rarp = || Match::new().eth_type(0x8035);
    let icmp6 = |t: u8| ip6().ip_proto(58).icmpv6_type(t);
    match f {
        ofb::IN_PHY_PORT => vec![Match::new().in_port(1)],
        ofb::VLAN_PCP => vec![
            Match::new().vlan_vid(0x1001),
            Match::new().vlan_vid(0),
            Match::new().vlan_vid_masked(0x1000, 0x1000),
        ],
        ofb::IP_DSCP | ofb::IP_ECN | ofb::IP_PROTO => vec![ip(), ip6(), arp()],
        ofb::IPV4_SRC | ofb::IPV4_DST => vec![ip(), ip6()],
        ofb::TCP_SRC | ofb::TCP_DST | 42 => {
            vec![ip().ip_proto(6), ip6().ip_proto(6), ip().ip_proto(17)]
        }
        ofb::UDP_SRC | ofb::UDP_DST => vec![ip6().ip_proto(17), ip().ip_proto(6)],
        ofb::SCTP_SRC | ofb::SCTP_DST => vec![ip().ip_proto(132), ip().ip_proto(17)],
        ofb::ICMPV4_TYPE | ofb::ICMPV4_CODE => vec![ip().ip_proto(1), ip6().ip_proto(1)],
        ofb::ARP_OP | ofb::ARP_SPA | ofb::ARP_TPA | ofb::ARP_SHA | ofb::ARP_THA => {
            vec![arp(), rarp(), ip()]
        }
        ofb::IPV6_SRC | ofb::IPV6_DST | ofb::IPV6_FLABEL | ofb::IPV6_EXTHDR => vec![ip6(), ip()],
        ofb::ICMPV6_TYPE | ofb::ICMPV6_CODE => vec![ip6().ip_proto(58), ip().ip_proto(58)],
        ofb::IPV6_ND_TARGET => vec![
            icmp6(135),
            icmp6(136).icmpv6_code(0),
            icmp6(135).icmpv6_code(3),
            icmp6(128),
        ],
        ofb::IPV6_ND_SLL => vec![icmp6(135), icmp6(136), icmp6(135).icmpv6_code(1)],
        ofb::IPV6_ND_TLL => vec![icmp6(136), icmp6(135)],
        ofb::MPLS_LABEL | ofb::MPLS_TC | ofb::MPLS_BOS => {
            vec![
                Match::new().eth_type(0x8847),
                Match::new().eth_type(0x8848),
                ip(),
            ]
        }
        ofb::PBB_ISID => vec![Match::new().eth_type(0x88e7)],
        ofb::ETH_DST | ofb::ETH_SRC | ofb::ETH_TYPE | ofb::VLAN_VID => vec![
            Match::new(),
            Match::new().push(OxmField::from_parts(0x8000, 44, false, &[0, 1, 0x88, 0x47])),
        ],
        _ => vec![Match::new()],
    }
}

/// A value for field `f` that fits its width (`wide`: with every bit set).
fn value(r: &mut Rng, f: u8, wide: bool) -> Vec<u8> {
    let len = field_len(f);
    if wide {
        return vec![0xff; len];
    }
    if matches!(f, ofb::IN_PORT | 43) {
        let ports: [u32; 12] = [
            1,
            2,
            0xfeff,
            0xff00,
            0xffff,
            0x1_0000,
            0xffff_feff,
            0xffff_ff00,
            0xffff_fff8,
            0xffff_fffc,
            0xffff_fffd,
            0xffff_ffff,
        ];
        return ports[r.below(ports.len() as u64) as usize]
            .to_be_bytes()
            .to_vec();
    }
    if f == 44 {
        // packet_type: Ethernet (0), or an ethertype packet type (namespace 1).
        return [[0u8, 0, 0, 0], [0, 1, 0x08, 0], [0, 1, 0x86, 0xdd]][r.below(3) as usize].to_vec();
    }
    let mut v = r.bytes(len);
    let bits = field_bits(f);
    let extra = (8 * len as u32).saturating_sub(bits);
    if extra > 0 {
        // Clear the bits above the width, in the leading bytes.
        for (i, b) in v.iter_mut().enumerate() {
            let first_bit = 8 * i as u32;
            if first_bit + 8 <= extra {
                *b = 0;
            } else if first_bit < extra {
                *b &= 0xff >> (extra - first_bit);
            }
        }
    }
    v
}

/// Mask kinds: random (value masked to fit), all ones, all zeros (value zero), and one that
/// leaves value bits outside.
fn masked(r: &mut Rng, v: &[u8], kind: u64) -> Vec<u8> {
    let m: Vec<u8> = match kind {
        0 => r.bytes(v.len()),
        1 => vec![0xff; v.len()],
        2 => vec![0; v.len()],
        _ => {
            let mut m = vec![0xff; v.len()];
            *m.last_mut().unwrap() = 0xf0;
            let mut v = v.to_vec();
            *v.last_mut().unwrap() |= 0x0f;
            return [v, m].concat();
        }
    };
    let v: Vec<u8> = v.iter().zip(&m).map(|(a, b)| a & b).collect();
    [v, m].concat()
}

fn tlv(f: u8, payload: &[u8], hasmask: bool) -> OxmField {
    OxmField::from_parts(OFPXMC_OPENFLOW_BASIC, f, hasmask, payload)
}

/// The matches of the differential test.
fn cases() -> Vec<Match> {
    let mut r = Rng(0x0f_5eed_2026);
    let mut out = Vec::new();
    for f in 0..=44u8 {
        for ctx in contexts(f) {
            // Unmasked: fitting, and too wide where the width is not whole bytes.
            let v = value(&mut r, f, false);
            out.push(with(ctx.clone(), tlv(f, &v, false)));
            if field_bits(f) < 8 * field_len(f) as u32 {
                out.push(with(ctx.clone(), tlv(f, &value(&mut r, f, true), false)));
            }
            // Masked, four kinds of mask.
            for kind in 0..4 {
                let v = value(&mut r, f, false);
                out.push(with(ctx.clone(), tlv(f, &masked(&mut r, &v, kind), true)));
            }
            // The prerequisites after the field.
            if !ctx.fields.is_empty() {
                let mut m = Match::new().push(tlv(f, &v, false));
                m.fields.extend(ctx.fields.iter().cloned());
                out.push(m);
            }
            // Repeated, exactly and after an all-zeros mask.
            let once = with(ctx.clone(), tlv(f, &v, false));
            out.push(with(once, tlv(f, &v, false)));
            let zero = masked(&mut r, &v, 2);
            let wild = with(ctx.clone(), tlv(f, &zero, true));
            out.push(with(wild, tlv(f, &v, false)));
        }
    }
    // A TLV of the wrong length for its field, and one field unknown to everyone.
    for f in [ofb::IN_PORT, ofb::ETH_TYPE, ofb::METADATA, ofb::TCP_SRC] {
        let len = field_len(f);
        out.push(Match::new().push(tlv(f, &vec![0; len + 1], false)));
        out.push(Match::new().push(tlv(f, &vec![0; len - 1], false)));
    }
    out.push(Match::new().push(tlv(127, &[0; 4], false)));
    out
}

fn read_msg(s: &mut std::net::TcpStream) -> Vec<u8> {
    let mut h = [0u8; 8];
    s.read_exact(&mut h).unwrap();
    let len = usize::from(u16::from_be_bytes([h[2], h[3]]));
    let mut m = h.to_vec();
    m.resize(len, 0);
    s.read_exact(&mut m[8..]).unwrap();
    m
}

/// An OFPT_FLOW_MOD ADD in table 0 with `m`, priority `priority`, xid `xid`, and
/// `instructions` (raw bytes).
fn flow_mod(m: &Match, xid: u32, priority: u16, instructions: &[u8]) -> Vec<u8> {
    let mb = m.to_vec().unwrap();
    let len = 8 + 40 + mb.len() + instructions.len();
    let mut v = vec![4, 14];
    v.extend((len as u16).to_be_bytes());
    v.extend(xid.to_be_bytes());
    v.extend([0; 16]); // cookie, cookie_mask
    v.extend([0, 0, 0, 0, 0, 0]); // table, ADD, idle, hard
    v.extend(priority.to_be_bytes());
    v.extend([0xff; 12]); // buffer_id, out_port, out_group
    v.extend([0; 4]); // flags, pad
    v.extend(mb);
    v.extend(instructions);
    v
}

/// Sends `msgs` (xids 0..) and a barrier; returns the ERROR messages OVS answered, by xid.
fn exchange(s: &mut std::net::TcpStream, msgs: &[Vec<u8>]) -> BTreeMap<u32, ErrorMsg> {
    let mut out = msgs.concat();
    out.extend([4, 20, 0, 8, 0xff, 0xff, 0xff, 0xff]); // BARRIER_REQUEST
    s.write_all(&out).unwrap();
    let mut errors = BTreeMap::new();
    loop {
        let bytes = read_msg(s);
        let msg = Message::parse(&bytes).unwrap();
        // Every message OVS sends re-encodes to its bytes.
        assert_eq!(msg.to_vec().unwrap(), bytes);
        match msg.body {
            Body::BarrierReply => break,
            Body::EchoRequest(_) => {
                let mut echo = bytes.clone();
                echo[1] = 3;
                s.write_all(&echo).unwrap();
            }
            Body::Error(e) => {
                errors.insert(msg.xid, e);
            }
            _ => {}
        }
    }
    errors
}

#[test]
fn openvswitch_rules_agree_with_a_running_ovs() {
    let matches = cases();
    assert!(matches.len() > 500, "{}", matches.len());
    let Some(ovs) = sdnwire_testkit::ovs::Ovs::start("match-rules") else {
        return;
    };
    ovs.add_bridge("br0", 1, 2, None);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    ovs.vsctl(&["set-controller", "br0", &format!("tcp:127.0.0.1:{port}")]);
    let (mut s, _) = listener.accept().unwrap();
    s.set_read_timeout(Some(core::time::Duration::from_secs(30)))
        .unwrap();
    s.write_all(&[4, 0, 0, 8, 0, 0, 0, 0]).unwrap(); // HELLO
    assert_eq!(read_msg(&mut s)[1], 0, "HELLO expected");

    let msgs: Vec<Vec<u8>> = matches
        .iter()
        .enumerate()
        .map(|(i, m)| flow_mod(m, i as u32, (i % 60000) as u16 + 1, &[]))
        .collect();
    let errors = exchange(&mut s, &msgs);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut bad = Vec::new();
    for (i, m) in matches.iter().enumerate() {
        let theirs = errors.get(&(i as u32)).map(|e| (e.type_, e.code));
        let ours = m
            .validate_with(MatchRules::OpenVswitch)
            .err()
            .map(|e| (ErrorType::BAD_MATCH, e.code().0));
        let key = theirs.map_or("accepted".to_string(), |(t, c)| {
            t.code_name(c).map_or(format!("{t}/{c}"), str::to_string)
        });
        *counts.entry(key).or_default() += 1;
        if theirs != ours {
            bad.push(format!(
                "{i}: {m:?}\n  {m}\n  ovs:  {theirs:?}\n  ours: {:?}",
                m.validate_with(MatchRules::OpenVswitch)
            ));
        }
    }
    eprintln!("{} matches compared with OVS: {counts:?}", matches.len());
    assert!(
        bad.is_empty(),
        "{} of {} verdicts differ:\n{}",
        bad.len(),
        matches.len(),
        bad.iter().take(25).cloned().collect::<Vec<_>>().join("\n")
    );
    // What OVS installed prints as we print it, masked ports and neighbour discovery fields
    // included (the matches whose raw TLVs are only those).
    let dump = ovs.ofctl(&["dump-flows", "br0"]);
    let mut printed = BTreeMap::new();
    for line in dump.lines().filter(|l| l.contains("priority=")) {
        let rest = line.split("priority=").nth(1).unwrap();
        let rest = rest.strip_suffix("actions=drop").unwrap().trim_end();
        let (prio, text) = rest.split_once(',').unwrap_or((rest, ""));
        printed.insert(prio.parse::<usize>().unwrap(), text.to_string());
    }
    let (mut compared, mut masked_compared) = (0, 0);
    for (i, m) in matches.iter().enumerate() {
        if m.validate_with(MatchRules::OpenVswitch).is_err() {
            continue;
        }
        let ovs_masked = |f: &OxmField| match f {
            OxmField::Raw(r) => {
                r.class == OFPXMC_OPENFLOW_BASIC
                    && r.hasmask
                    && matches!(r.field, 13..=18 | 31..=33)
                    && r.payload.iter().any(|&b| b != 0)
            }
            _ => false,
        };
        if !m
            .fields
            .iter()
            .all(|f| !matches!(f, OxmField::Raw(_)) || ovs_masked(f))
        {
            continue;
        }
        let theirs = printed
            .get(&(i % 60000 + 1))
            .unwrap_or_else(|| panic!("flow {i} not installed: {m}"));
        assert_eq!(*theirs, m.to_string(), "{i}: {m:?}");
        compared += 1;
        masked_compared += usize::from(m.fields.iter().any(ovs_masked));
    }
    eprintln!("{compared} installed flows print as OVS prints them ({masked_compared} with masked ports or ND fields)");
    assert!(masked_compared >= 20, "{masked_compared}");

    // Every verdict class shows up, so that the comparison covers each of them.
    for code in [
        "accepted",
        "OFPBMC_BAD_FIELD",
        "OFPBMC_BAD_MASK",
        "OFPBMC_BAD_VALUE",
        "OFPBMC_BAD_PREREQ",
        "OFPBMC_DUP_FIELD",
        "OFPBMC_BAD_WILDCARDS",
    ] {
        assert!(
            counts.get(code).copied().unwrap_or(0) >= 5,
            "{code}: {counts:?}"
        );
    }

    // Requests OVS refuses with experimenter errors in OpenFlow 1.3.
    let apply = |actions: &[u8]| -> Vec<u8> {
        let mut v = vec![0, 4];
        v.extend(((8 + actions.len()) as u16).to_be_bytes());
        v.extend([0; 4]);
        v.extend(actions);
        v
    };
    let output = [0, 0, 0, 16, 0, 0, 0, 1, 0xff, 0xe5, 0, 0, 0, 0, 0, 0];
    // set_field eth_dst with the mask bit (OpenFlow 1.3 allows none).
    let mut set_field = vec![0, 25, 0, 24, 0x80, 0, 7, 12];
    set_field.extend([
        0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0,
    ]);
    // NXAST_CONJUNCTION with one clause (two to 64 are allowed).
    let conjunction = [0xff, 0xff, 0, 16, 0, 0, 0x23, 0x20, 0, 34, 0, 1, 0, 0, 0, 7];
    let requests = [
        ("OFPBIC_DUP_INST", [apply(&output), apply(&output)].concat()),
        ("OFPBAC_BAD_SET_MASK", apply(&set_field)),
        ("NXBAC_BAD_CONJUNCTION", apply(&conjunction)),
    ];
    let msgs: Vec<Vec<u8>> = requests
        .iter()
        .enumerate()
        .map(|(i, (_, ins))| flow_mod(&Match::new(), i as u32, 7, ins))
        .collect();
    let errors = exchange(&mut s, &msgs);
    for (i, (name, _)) in requests.iter().enumerate() {
        let e = errors
            .get(&(i as u32))
            .unwrap_or_else(|| panic!("{name}: no error"));
        assert_eq!(e.type_, ErrorType::EXPERIMENTER, "{name}: {e}");
        let v = e.vendor_error().unwrap();
        assert_eq!(v.to_string(), *name, "{e}");
        assert!(!matches!(v, VendorError::Other { .. }), "{e}");
        // The data is our request, as for a standard error.
        assert_eq!(e.data[..8], msgs[i][..8], "{name}");
        assert!(e.to_string().contains(name), "{e}");
        assert!(e.to_string().contains("for OFPT_FLOW_MOD"), "{e}");
        eprintln!("{e}");
    }
}
