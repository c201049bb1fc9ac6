use crate::CodecError as _;
extern crate std;

use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;

use proptest::prelude::*;
use serde_json::Value;

use super::test_support::*;
use super::*;
use crate::action::test_support::{corpus, ofp_print};
use crate::multipart::{MultipartRequest, MultipartRequestBody};

/// OVS 3.1.0's first TABLE_FEATURES reply message (tables 0-11 of 254, REPLY_MORE set),
/// captured by scripts/capture-ovs-table-features.sh.
const OVS_PART0: &[u8] = include_bytes!("../../testdata/ovs-table-features-reply-part0.bin");

fn parse_one(b: &[u8]) -> Result<TableFeatures> {
    let mut r = Reader::new(b, 16);
    let t = TableFeatures::parse(&mut r)?;
    r.finish("test")?;
    Ok(t)
}

fn prop_type_name(j: &Value) -> (&str, &Value) {
    let (k, v) = j.as_object().unwrap().iter().next().unwrap();
    (k.as_str(), v)
}

/// Checks one table features entry against os-ken's JSON (`OFPTableFeaturesStats`).
fn check_json(t: &TableFeatures, j: &Value) {
    let j = &j["OFPTableFeaturesStats"];
    assert_eq!(j["table_id"], t.table_id.0);
    assert_eq!(j["name"], t.name());
    assert_eq!(j["metadata_match"], t.metadata_match);
    assert_eq!(j["metadata_write"], t.metadata_write);
    assert_eq!(j["config"], t.config.0);
    assert_eq!(j["max_entries"], t.max_entries);
    assert_eq!(j["length"], t.encoded_len());
    let jp = j["properties"].as_array().unwrap();
    assert_eq!(jp.len(), t.properties.len());
    for (p, j) in t.properties.iter().zip(jp) {
        let (name, b) = prop_type_name(j);
        assert_eq!(b["type"], p.prop_type().0, "{name}");
        assert_eq!(b["length"], p.length(), "{name}");
        match p {
            TableFeatureProp::Instructions { ids, .. } => {
                assert_eq!(name, "OFPTableFeaturePropInstructions");
                let ji = b["instruction_ids"].as_array().unwrap();
                assert_eq!(ji.len(), ids.len());
                for (i, j) in ids.iter().zip(ji) {
                    assert_eq!(j["OFPInstructionId"]["type"], i.type_.0);
                    assert_eq!(j["OFPInstructionId"]["len"], i.encoded_len());
                }
            }
            TableFeatureProp::NextTables { table_ids, .. } => {
                assert_eq!(name, "OFPTableFeaturePropNextTables");
                let jt: Vec<u8> = b["table_ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| u8::try_from(v.as_u64().unwrap()).unwrap())
                    .collect();
                assert_eq!(jt, table_ids.iter().map(|t| t.0).collect::<Vec<_>>());
            }
            TableFeatureProp::WriteActions { ids, .. }
            | TableFeatureProp::ApplyActions { ids, .. } => {
                assert_eq!(name, "OFPTableFeaturePropActions");
                let ja = b["action_ids"].as_array().unwrap();
                assert_eq!(ja.len(), ids.len());
                for (i, j) in ids.iter().zip(ja) {
                    assert_eq!(j["OFPActionId"]["type"], i.type_.0);
                    assert_eq!(j["OFPActionId"]["len"], i.encoded_len());
                }
            }
            TableFeatureProp::Match(ids)
            | TableFeatureProp::Wildcards(ids)
            | TableFeatureProp::WriteSetfield { ids, .. }
            | TableFeatureProp::ApplySetfield { ids, .. } => {
                assert_eq!(name, "OFPTableFeaturePropOxm");
                let jo = b["oxm_ids"].as_array().unwrap();
                assert_eq!(jo.len(), ids.len());
                for (i, j) in ids.iter().zip(jo) {
                    let j = &j["OFPOxmId"];
                    assert_eq!(j["type"], i.header.basic_name().unwrap());
                    assert_eq!(j["hasmask"], u8::from(i.header.hasmask()));
                    assert_eq!(j["length"], i.header.length());
                }
            }
            TableFeatureProp::Experimenter {
                experimenter,
                exp_type,
                data,
                ..
            } => {
                assert_eq!(name, "OFPTableFeaturePropExperimenter");
                assert_eq!(b["experimenter"], *experimenter);
                assert_eq!(b["exp_type"], *exp_type);
                // os-ken shows the data as 32-bit words.
                let words: Vec<u64> = data
                    .chunks(4)
                    .map(|c| u64::from(u32::from_be_bytes(c.try_into().unwrap())))
                    .collect();
                let jw: Vec<u64> = b["data"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_u64().unwrap())
                    .collect();
                assert_eq!(words, jw);
            }
            other => panic!("os-ken's {name} decoded as {other:?}"),
        }
    }
}

/// os-ken's table features request (4-55, REQ_MORE) and reply (4-56, REPLY_MORE): ten
/// tables with every standard property, experimenter properties with 0-2 words of data,
/// a UTF-8 table name; compared with os-ken's JSON field by field, encoded back exactly.
#[test]
fn os_ken_corpus() {
    for (name, key) in [
        (
            "4-55-ofp_table_features_request.packet",
            "OFPTableFeaturesStatsRequest",
        ),
        (
            "4-56-ofp_table_features_reply.packet",
            "OFPTableFeaturesStatsReply",
        ),
    ] {
        let Some((m, json)) = corpus(name) else {
            return;
        };
        let j = &json[key];
        assert_eq!(j["flags"], 1);
        let tables = if m[1] == 18 {
            let r = crate::simple::testutil::parse_exact(
                &m,
                crate::header::MsgType::MULTIPART_REQUEST,
                <MultipartRequest as crate::codec::MessageBody>::parse_body,
            );
            assert!(r.more());
            match r.body {
                MultipartRequestBody::TableFeatures(t) => t,
                other => panic!("{other:?}"),
            }
        } else {
            let v = crate::simple::testutil::reply_view(&m).unwrap();
            assert!(v.more());
            v.validate().unwrap();
            let list = v.table_features().unwrap();
            // The views agree with the owned values, entry by entry.
            for t in list.clone() {
                let t = t.unwrap();
                let o = t.decode().unwrap();
                assert_eq!(t.to_string(), o.to_string());
                assert_eq!(t.name(), o.name());
                assert_eq!(t.length(), o.encoded_len());
            }
            list.decode().unwrap()
        };
        let jb = j["body"].as_array().unwrap();
        assert_eq!(tables.len(), jb.len());
        for (t, j) in tables.iter().zip(jb) {
            check_json(t, j);
        }
        let mut again = Vec::new();
        for t in &tables {
            t.write(&mut again).unwrap();
        }
        assert_eq!(again, &m[16..], "{name}");
    }
}

/// The first part of Open vSwitch 3.1's real table features reply: 12 tables, every
/// standard property type (and the `_MISS` ones), OXM IDs of the NXM, OpenFlow-basic,
/// experimenter (Nicira, ONF) classes, an odd-length next-tables property (257 bytes padded
/// to 264). Parsed without allocating, validated, encoded back exactly, compared with what
/// `ovs-ofctl ofp-print` reads from the same bytes.
#[test]
fn ovs_captured_reply() {
    let v = crate::simple::testutil::reply_view(OVS_PART0).unwrap();
    assert!(v.more());
    v.validate().unwrap();
    let owned = v.decode().unwrap();
    assert_eq!(owned.to_vec().unwrap(), &OVS_PART0[8..]);
    let tables: Vec<TableFeaturesView<'_>> =
        v.table_features().unwrap().map(|t| t.unwrap()).collect();
    assert_eq!(tables.len(), 12);
    let types = [0, 2, 4, 12, 6, 14, 1, 3, 5, 13, 7, 15, 8, 10];
    for (i, t) in tables.iter().enumerate() {
        assert_eq!(usize::from(t.table_id.0), i);
        assert_eq!(t.metadata_match, u64::MAX);
        assert_eq!(t.metadata_write, u64::MAX);
        assert_eq!(t.max_entries, 1_000_000);
        let got: Vec<u16> = t
            .properties
            .clone()
            .map(|p| p.unwrap().prop_type().0)
            .collect();
        assert_eq!(got, types);
        for p in t.properties.clone() {
            match p.unwrap() {
                TableFeaturePropView::NextTables { table_ids, .. } => {
                    let want: Vec<u8> = (t.table_id.0 + 1..=253).collect();
                    assert_eq!(table_ids, &want[..]);
                }
                TableFeaturePropView::Instructions { ids, .. } => {
                    let ids: Vec<u16> = ids.map(|i| i.unwrap().type_.0).collect();
                    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
                }
                TableFeaturePropView::Match(ids) => {
                    let ids: Vec<OxmId> = ids.map(|i| i.unwrap()).collect();
                    assert!(ids.contains(&OxmId::basic(crate::oxm::ofb::IN_PORT)));
                    // Nicira and ONF experimenter fields come with their experimenter id.
                    assert!(ids.iter().any(|i| i.experimenter == Some(0x5ad650)));
                    assert!(ids.iter().any(|i| i.header.class() == 0x0001));
                }
                _ => {}
            }
        }
    }
    assert!(tables[0]
        .to_string()
        .starts_with("table 0 (\"\"): metadata: match=0xffffffffffffffff write=0xffffffffffffffff, max_entries=1000000; instructions: goto_table write_metadata write_actions apply_actions clear_actions meter; next_tables: 1-253; write_actions: output "));
    let Some(printed) = ofp_print(OVS_PART0) else {
        return;
    };
    assert!(printed.contains("flags=[more]"), "{printed}");
    assert!(printed.contains("  table 0:\n    metadata: match=0xffffffffffffffff write=0xffffffffffffffff\n    max_entries=1000000\n"), "{printed}");
    assert!(printed.contains("      next tables: 1-253\n"));
    // OVS prints identical tables as "ditto": tables 1 to 11 differ from table 0 only in
    // their next tables, which OVS does not compare.
    assert!(printed.contains("  tables 1...11: ditto"), "{printed}");
    assert!(printed.contains(
        "instructions: meter apply_actions clear_actions write_actions write_metadata goto_table"
    ));
    // The whole message prints as ovs-ofctl prints it.
    let m = crate::message::Message::parse(OVS_PART0).unwrap();
    assert_eq!(m.to_string(), printed.trim_end());
}

/// Every part of a full capture (254 tables over about 20 messages), when
/// scripts/capture-ovs-table-features.sh was given a directory:
/// `OVS_TABLE_FEATURES_DIR=DIR cargo test -p sdnwire-openflow --lib table_features -- --ignored`.
#[test]
#[ignore = "needs a capture: OVS_TABLE_FEATURES_DIR (scripts/capture-ovs-table-features.sh DIR)"]
fn ovs_full_capture() {
    let dir = std::env::var("OVS_TABLE_FEATURES_DIR").expect("OVS_TABLE_FEATURES_DIR");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let mut next = 0u16;
    let mut total = 0;
    for (i, p) in names.iter().enumerate() {
        let m = std::fs::read(p).unwrap();
        total += m.len();
        let v = crate::simple::testutil::reply_view(&m).unwrap();
        assert_eq!(v.more(), i + 1 < names.len(), "{}", p.display());
        v.validate().unwrap();
        assert_eq!(v.decode().unwrap().to_vec().unwrap(), &m[8..]);
        for t in v.table_features().unwrap() {
            assert_eq!(u16::from(t.unwrap().table_id.0), next);
            next += 1;
        }
    }
    assert_eq!(next, 254);
    std::eprintln!("{} messages, {total} bytes, 254 tables", names.len());
}

#[test]
fn prop_types() {
    assert_eq!(TableFeaturePropType::MATCH.to_string(), "OFPTFPT_MATCH");
    assert_eq!(
        TableFeaturePropType(9).to_string(),
        "OFPTFPT_UNKNOWN(0x0009)"
    );
    assert!(TableFeaturePropType::EXPERIMENTER_MISS.is_miss());
    assert!(!TableFeaturePropType::EXPERIMENTER.is_miss());
    assert!(TableFeaturePropType::NEXT_TABLES_MISS.is_miss());
    assert!(!TableFeaturePropType::WILDCARDS.is_miss());
    for t in 0..=16u16 {
        let p = TableFeaturePropType(t);
        if let Some(n) = p.name() {
            assert_eq!(p.is_miss(), n.ends_with("_MISS"));
        }
    }
}

#[test]
fn display() {
    let t = TableFeatures {
        metadata_match: 0xff,
        max_entries: 100,
        properties: vec![
            TableFeatureProp::Instructions {
                miss: false,
                ids: vec![
                    InstructionId::new(InstructionType::GOTO_TABLE),
                    InstructionId::experimenter(0x2320),
                    InstructionId {
                        type_: InstructionType(9),
                        data: vec![1, 2],
                    },
                ],
            },
            TableFeatureProp::NextTables {
                miss: true,
                table_ids: [1, 2, 3, 5, 7, 8, 255].map(TableId).to_vec(),
            },
            TableFeatureProp::NextTables {
                miss: false,
                table_ids: vec![],
            },
            TableFeatureProp::ApplyActions {
                miss: true,
                ids: vec![
                    ActionId::new(ActionType::SET_FIELD),
                    ActionId::experimenter(0x2320),
                ],
            },
            TableFeatureProp::Match(vec![
                OxmId::basic(3),
                OxmId::new(OxmHeader::new(OFPXMC_OPENFLOW_BASIC, 3, true, 12)),
                OxmId::new(OxmHeader::new(1, 31, false, 4)),
                OxmId::experimenter(11, false, 8, 0x2320),
            ]),
            TableFeatureProp::Wildcards(vec![]),
            TableFeatureProp::Experimenter {
                miss: true,
                experimenter: 0x2320,
                exp_type: 7,
                data: vec![0xab],
            },
            TableFeatureProp::Unknown {
                type_: TableFeaturePropType(9),
                data: vec![0xcd],
            },
        ],
        ..TableFeatures::new(TableId(2), "t\"2")
    };
    assert_eq!(
        t.to_string(),
        "table 2 (\"t\\\"2\"): metadata: match=0xff write=0x0, max_entries=100; \
             instructions: goto_table experimenter(0x2320) 9/0102; \
             next_tables_miss: 1-3,5,7-8,255; next_tables: none; \
             apply_actions_miss: set_field experimenter(0x2320); \
             match: eth_dst eth_dst/mask 0x0001:31 0xffff:11(experimenter=0x2320); \
             wildcards: none; experimenter_miss: experimenter=0x2320 exp_type=7 data=ab; \
             prop9: data=cd"
    );
    let b = t.to_vec().unwrap();
    let v = TableFeaturesView::parse(&mut Reader::new(&b, 0)).unwrap();
    assert_eq!(v.to_string(), t.to_string());
    let mut cfg = t.clone();
    cfg.config = TableConfig(3);
    assert!(cfg.to_string().contains(", config=0x3, max_entries=100"));
}

#[test]
fn names() {
    let mut t = TableFeatures::new(TableId(0), "a-very-long-table-name-that-does-not-fit");
    assert_eq!(t.name(), "a-very-long-table-name-that-doe");
    assert_eq!(t.name[31], 0);
    t.set_name("私のテーブル私のテーブル");
    // 31 bytes would cut the 11th 3-byte character: it is left out.
    assert_eq!(t.name(), "私のテーブル私のテー");
    t.name[5] = 0xff;
    assert_eq!(t.name(), "私\u{306e}".get(..3).unwrap());
}

#[test]
fn owned_ids() {
    let i = InstructionId::experimenter(0x2320);
    assert_eq!(i.experimenter_id(), Some(0x2320));
    assert_eq!(i.to_vec().unwrap(), [0xff, 0xff, 0, 8, 0, 0, 0x23, 0x20]);
    assert_eq!(
        InstructionId::new(InstructionType::METER).experimenter_id(),
        None
    );
    let a = ActionId::parse(&mut Reader::new(&[0, 25, 0, 4], 0)).unwrap();
    assert_eq!(a, ActionId::new(ActionType::SET_FIELD));
    assert_eq!(a.to_string(), "set_field");
    let short = ActionId {
        type_: ActionType::EXPERIMENTER,
        data: vec![1],
    };
    assert_eq!(short.experimenter_id(), None);
    assert_eq!(short.to_string(), "experimenter/01");
    assert_eq!(
        OxmId::parse(&mut Reader::new(
            &[0xff, 0xff, 0x16, 8, 0, 0, 0x23, 0x20],
            0
        ))
        .unwrap(),
        OxmId::experimenter(11, false, 8, 0x2320)
    );
    // An experimenter id only with the experimenter class, and always with it.
    let bad = OxmId {
        header: OxmHeader::new(0x8000, 0, false, 4),
        experimenter: Some(1),
    };
    assert!(matches!(bad.to_vec(), Err(Error::Unencodable { .. })));
    let bad = OxmId {
        header: OxmHeader::new(0xffff, 0, false, 4),
        experimenter: None,
    };
    assert!(matches!(bad.to_vec(), Err(Error::Unencodable { .. })));
    assert_eq!(OxmId::basic(0).header, OxmHeader::new(0x8000, 0, false, 4));
    assert_eq!(OxmId::basic(100).header.length(), 0);
}

/// A table features entry of 64 bytes with `props` after it (the entry's length fixed up).
fn entry(props: &[u8]) -> Vec<u8> {
    let mut b = TableFeatures::new(TableId(1), "x").to_vec().unwrap();
    b.extend_from_slice(props);
    let len = u16::try_from(b.len()).unwrap();
    b[..2].copy_from_slice(&len.to_be_bytes());
    b
}

fn err(b: &[u8]) -> Error {
    parse_one(b).unwrap_err()
}

/// Every length field: the entry's, each property's, each ID's; padding.
#[test]
fn negative_lengths() {
    // Entry length below 64, past the buffer; truncated header.
    let good = entry(&[]);
    assert_eq!(
        parse_one(&good).unwrap(),
        TableFeatures::new(TableId(1), "x")
    );
    for n in 0..good.len() {
        assert!(parse_one(&good[..n]).is_err(), "{n}");
    }
    let mut b = good.clone();
    b[1] = 63;
    assert_eq!(
        err(&b),
        Error::BadLength {
            what: "ofp_table_features",
            offset: 16,
            value: 63,
            reason: "below the 64-byte table features header"
        }
    );
    b[1] = 72;
    assert!(matches!(
        err(&b),
        Error::BadLength {
            offset: 16,
            value: 72,
            ..
        }
    ));
    let mut b = good.clone();
    b[5] = 1;
    assert_eq!(err(&b).offset().unwrap(), 16 + 5);

    // Property length below 4; below 12 for experimenter; past the entry.
    let e = err(&entry(&[0, 0, 0, 3, 0, 0, 0, 0]));
    assert!(
        matches!(
            e,
            Error::BadLength {
                offset: 82,
                value: 3,
                ..
            }
        ),
        "{e}"
    );
    let e = err(&entry(&[
        0xff, 0xfe, 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]));
    assert!(
        matches!(e, Error::BadLength { offset: 82, value: 11, reason, .. }
        if reason.contains("12-byte")),
        "{e}"
    );
    let e = err(&entry(&[0, 2, 0, 9, 1, 2, 3, 4]));
    assert!(
        matches!(
            e,
            Error::BadLength {
                offset: 82,
                value: 9,
                ..
            }
        ),
        "{e}"
    );
    // Padding missing after an odd length, or not zero.
    let e = err(&entry(&[0, 2, 0, 5, 1]));
    assert!(matches!(e, Error::Truncated { offset: 85, .. }), "{e}");
    let e = err(&entry(&[0, 2, 0, 5, 1, 0, 9, 0]));
    assert!(
        matches!(
            e,
            Error::BadValue {
                offset: 86,
                value: 9,
                ..
            }
        ),
        "{e}"
    );
    // A good odd-length property.
    let t = parse_one(&entry(&[0, 2, 0, 5, 1, 0, 0, 0])).unwrap();
    assert_eq!(
        t.properties,
        [TableFeatureProp::NextTables {
            miss: false,
            table_ids: vec![TableId(1)]
        }]
    );

    // Instruction/action ID length below 4, past the property.
    for ty in [0u8, 4] {
        let e = err(&entry(&[0, ty, 0, 8, 0, 1, 0, 3]));
        assert!(
            matches!(
                e,
                Error::BadLength {
                    offset: 86,
                    value: 3,
                    ..
                }
            ),
            "{e}"
        );
        let e = err(&entry(&[0, ty, 0, 8, 0, 1, 0, 5]));
        assert!(
            matches!(
                e,
                Error::BadLength {
                    offset: 86,
                    value: 5,
                    ..
                }
            ),
            "{e}"
        );
        // Fine with an exact length.
        parse_one(&entry(&[0, ty, 0, 8, 0, 1, 0, 4])).unwrap();
    }
    // OXM IDs: a partial header, an experimenter header without its experimenter id.
    let e = err(&entry(&[0, 8, 0, 7, 0x80, 0, 0, 0]));
    assert!(matches!(e, Error::Truncated { offset: 84, .. }), "{e}");
    let e = err(&entry(&[0, 8, 0, 8, 0xff, 0xff, 0, 0]));
    assert!(
        matches!(
            e,
            Error::Truncated {
                offset: 88,
                needed: 4,
                ..
            }
        ),
        "{e}"
    );
    // The view reports ID errors only when the IDs are walked.
    let b = entry(&[0, 8, 0, 8, 0xff, 0xff, 0, 0]);
    let v = TableFeaturesView::parse(&mut Reader::new(&b, 16)).unwrap();
    let p = v.properties.clone().next().unwrap().unwrap();
    assert!(p.validate().is_err());
    assert!(v.validate().is_err());
    assert!(v.to_string().contains("<error:"));
    // Properties after an error are not read.
    let mut it = v.properties.clone();
    assert!(it.next().unwrap().is_ok());
    assert!(it.next().is_none());
    let b = entry(&[0, 0, 0, 3, 0, 0, 0, 0, 0, 2, 0, 4, 0, 0, 0, 0]);
    let v = TableFeaturesView::parse(&mut Reader::new(&b, 16)).unwrap();
    let mut it = v.properties.clone();
    assert!(it.next().unwrap().is_err());
    assert!(it.next().is_none());
}

/// A TABLE_FEATURES request that sets features (here: OVS's own table 0, renamed), which
/// ovs-ofctl decodes.
#[test]
fn set_table_features_request() {
    let v = crate::simple::testutil::reply_view(OVS_PART0).unwrap();
    let mut t = v
        .table_features()
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .decode()
        .unwrap();
    t.set_name("first");
    let r = MultipartRequest::set_table_features(vec![t.clone()]);
    let b = r.to_vec().unwrap();
    assert_eq!(b.len(), 8 + t.encoded_len());
    let Some(printed) = ofp_print(&crate::action::test_support::msg(18, &b)) else {
        return;
    };
    assert!(
        printed.starts_with("OFPST_TABLE_FEATURES request"),
        "{printed}"
    );
    assert!(printed.contains("table 0 (\"first\"):"), "{printed}");
    assert!(printed.contains("max_entries=1000000"), "{printed}");
    assert!(!printed.contains("error"), "{printed}");
    assert!(r
        .to_string()
        .starts_with("OFPST_TABLE_FEATURES request:\n  table 0 (\"first\"): metadata:"));
}

proptest! {
    #[test]
    fn owned_round_trip(t in arb_table_features()) {
        let b = t.to_vec().unwrap();
        prop_assert_eq!(b.len(), t.encoded_len());
        prop_assert_eq!(b.len() % 8, 0);
        let back = parse_one(&b).unwrap();
        prop_assert_eq!(&back, &t);
        let v = TableFeaturesView::parse(&mut Reader::new(&b, 16)).unwrap();
        v.validate().unwrap();
        prop_assert_eq!(v.length(), b.len());
        prop_assert_eq!(v.to_string(), t.to_string());
    }

    #[test]
    fn mutated_bytes(t in arb_table_features(),
                     edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4),
                     cut in any::<usize>()) {
        let mut b = t.to_vec().unwrap();
        for (i, v) in edits {
            let n = b.len();
            b[i % n] = v;
        }
        if cut % 3 == 0 {
            b.truncate(cut % (b.len() + 1));
        }
        if let Ok(back) = parse_one(&b) {
            prop_assert_eq!(back.to_vec().unwrap(), b);
        }
    }

    #[test]
    fn any_bytes(props in proptest::collection::vec(any::<u8>(), 0..64)) {
        let b = entry(&props);
        if let Ok(back) = parse_one(&b) {
            prop_assert_eq!(back.to_vec().unwrap(), b);
        }
    }
}
