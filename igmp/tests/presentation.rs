//! `Display` in `ovs-appctl mdb/show`'s words, and (with the `serde` feature) events,
//! transmits, counters and state snapshots as JSON.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

mod support;

use sdnwire_igmp::{Config, Egress, Event, QuerierInfo, Tag, Transmit, TransmitKind, VlanId};
use sdnwire_packet::igmp::RecordType;
use sdnwire_packet::MacAddr;
use support::*;

#[test]
fn events_transmits_and_memberships_display() {
    let v10 = VlanId::new(10).unwrap();
    let g = ip("239.1.1.1");
    assert_eq!(VlanId::UNTAGGED.to_string(), "untagged");
    assert_eq!(v10.to_string(), "10");
    assert_eq!(VlanId::new(4096), None);
    let cases = [
        (
            Event::GroupAdded {
                vlan: v10,
                group: g,
                ports: vec![1, 3],
            },
            "group added: vlan 10 group 239.1.1.1 ports 1,3",
        ),
        (
            Event::MemberChanged {
                vlan: VlanId::UNTAGGED,
                group: g,
                ports: vec![2],
            },
            "member changed: vlan untagged group 239.1.1.1 ports 2",
        ),
        (
            Event::GroupRemoved {
                vlan: v10,
                group: g,
            },
            "group removed: vlan 10 group 239.1.1.1",
        ),
        (
            Event::RouterPortAdded { vlan: v10, port: 4 },
            "router port added: vlan 10 port 4",
        ),
        (
            Event::QuerierChanged {
                vlan: v10,
                querier: Some(QuerierInfo {
                    address: ip("10.0.0.1"),
                    port: Some(4),
                    mac: MacAddr::new(2, 0, 0, 0, 0, 1),
                    version: 2,
                }),
            },
            "querier changed: vlan 10 querier 10.0.0.1 port 4 v2",
        ),
        (
            Event::QuerierChanged {
                vlan: v10,
                querier: None,
            },
            "querier changed: vlan 10 no querier",
        ),
        (Event::Resync, "resync"),
    ];
    for (ev, text) in cases {
        assert_eq!(ev.to_string(), text);
    }
    let tx = Transmit {
        kind: TransmitKind::ForwardedReport,
        vlan: v10,
        tag: Tag::InFrame,
        egress: Egress::RouterPorts { except: Some(3) },
    };
    assert_eq!(
        tx.to_string(),
        "forwarded report vlan 10: router ports except 3"
    );
    let tx = Transmit {
        kind: TransmitKind::GeneralQuery,
        vlan: VlanId::UNTAGGED,
        tag: Tag::None,
        egress: Egress::Flood { except: None },
    };
    assert_eq!(tx.to_string(), "general query vlan untagged: flood");

    let mut sim = Sim::new(snooper(Config::default()));
    sim.frame(
        3,
        &v3_report(ip("10.0.0.3"), RecordType::IS_EX, g, &["10.0.0.9"]),
    );
    sim.frame(
        5,
        &v3_report(
            ip("10.0.0.5"),
            RecordType::IS_IN,
            g,
            &["10.0.0.7", "10.0.0.8"],
        ),
    );
    let rows: Vec<String> = sim.sn.memberships().map(|m| m.to_string()).collect();
    assert_eq!(
        rows,
        [
            "    3  untagged  239.1.1.1        exclude v3 excluded 10.0.0.9",
            "    5  untagged  239.1.1.1        include v3 sources 10.0.0.7,10.0.0.8",
        ]
    );
}

#[cfg(feature = "serde")]
#[test]
fn events_transmits_and_snapshots_as_json() {
    let v10 = VlanId::new(10).unwrap();
    let ev = Event::GroupAdded {
        vlan: v10,
        group: ip("239.1.1.1"),
        ports: vec![1, 3],
    };
    let json = serde_json::to_string(&ev).unwrap();
    assert_eq!(
        json,
        r#"{"GroupAdded":{"vlan":10,"group":"239.1.1.1","ports":[1,3]}}"#
    );
    assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), ev);
    let ev = Event::GroupRemoved {
        vlan: VlanId::UNTAGGED,
        group: ip("239.1.1.1"),
    };
    let json = serde_json::to_string(&ev).unwrap();
    assert_eq!(
        json,
        r#"{"GroupRemoved":{"vlan":null,"group":"239.1.1.1"}}"#
    );
    assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), ev);
    assert!(serde_json::from_str::<VlanId>("4096").is_err());
    let tx = Transmit {
        kind: TransmitKind::GroupQuery,
        vlan: v10,
        tag: Tag::Push(10),
        egress: Egress::Port(3),
    };
    let back: Transmit = serde_json::from_str(&serde_json::to_string(&tx).unwrap()).unwrap();
    assert_eq!(back, tx);
    let mut config = Config::default();
    let back: Config = serde_json::from_str(&serde_json::to_string(&config).unwrap()).unwrap();
    // The hash key is never serialised (a fresh one is drawn): everything else round-trips.
    config.hash_key = back.hash_key;
    assert_eq!(back, config);
    let mut sim = Sim::new(snooper(Config::default()));
    sim.frame(3, &v2_report(ip("10.0.0.3"), ip("239.1.1.1")));
    let snapshot: Vec<_> = sim.sn.memberships().collect();
    let json = serde_json::to_value(&snapshot).unwrap();
    assert_eq!(json[0]["port"], 3);
    assert_eq!(json[0]["mode"], "Exclude");
    let stats = serde_json::to_value(sim.sn.stats()).unwrap();
    assert_eq!(stats["reports"], 1);
}

#[cfg(feature = "serde")]
#[test]
fn config_json_never_carries_the_hash_key() {
    use sdnwire_igmp::HashKey;
    let mut config = Config {
        robustness: 3,
        max_vlans: 7,
        hash_key: HashKey::new(0x1111_2222_3333_4444, 0x5555_6666_7777_8888),
        ..Config::default()
    };
    let json = serde_json::to_string(&config).unwrap();
    assert!(!json.contains("hash_key"), "{json}");
    assert!(
        !json.contains(&0x1111_2222_3333_4444_u64.to_string()),
        "{json}"
    );
    assert!(
        !json.contains(&0x5555_6666_7777_8888_u64.to_string()),
        "{json}"
    );
    let back: Config = serde_json::from_str(&json).unwrap();
    // A fresh key is drawn; everything else round-trips.
    assert_ne!(back.hash_key, config.hash_key);
    config.hash_key = back.hash_key;
    assert_eq!(back, config);
    assert_eq!(back.robustness, 3);
    assert_eq!(back.max_vlans, 7);
}
