//! Which frames carry sFlow, LACP/marker, IGMP and MLD: the decoder's answer against
//! tshark's dissectors, frame by frame, on the project's captures and on the real session.
//! Skipped, loudly, without tshark.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::std_instead_of_core, clippy::cast_possible_truncation)]

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::*;
use sdnwire_capture::decode::{Config, Decoder, Protocol};
use sdnwire_capture::read::CaptureReader;
use sdnwire_testkit::{require, Peer};

/// The frame numbers tshark's display filter `filter` selects.
fn tshark_frames(path: &std::path::Path, extra: &[&str], filter: &str) -> Vec<u64> {
    let out = Command::new(sdnwire_testkit::tshark())
        .arg("-r")
        .arg(path)
        .args(extra)
        .args(["-Y", filter, "-T", "fields", "-e", "frame.number"])
        .output()
        .unwrap();
    assert!(out.status.success(), "tshark: {out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect()
}

/// The frame numbers of our items, per protocol.
fn our_frames(bytes: &[u8], config: Config) -> BTreeMap<Protocol, Vec<u64>> {
    let mut d = Decoder::new(config);
    let mut items = Vec::new();
    for (i, r) in CaptureReader::new(bytes).unwrap().enumerate() {
        d.frame(i as u64 + 1, &r.unwrap(), &mut items);
    }
    let mut m: BTreeMap<Protocol, Vec<u64>> = BTreeMap::new();
    for i in items {
        m.entry(i.protocol).or_default().push(i.frame);
    }
    m
}

fn agree(path: &std::path::Path, extra: &[&str], config: Config) {
    let ours = our_frames(&std::fs::read(path).unwrap(), config);
    let get = |p| ours.get(&p).cloned().unwrap_or_default();
    assert_eq!(
        get(Protocol::Sflow),
        tshark_frames(path, extra, "sflow"),
        "sFlow"
    );
    assert_eq!(
        get(Protocol::Lacp),
        tshark_frames(path, extra, "slow"),
        "LACP"
    );
    let mut igmp = tshark_frames(
        path,
        extra,
        "igmp || icmpv6.type >= 130 && icmpv6.type <= 132 || icmpv6.type == 143",
    );
    igmp.dedup();
    assert_eq!(get(Protocol::Igmp), igmp, "IGMP and MLD");
}

#[test]
fn the_frames_of_each_protocol_are_the_ones_tshark_finds() {
    require!(Peer::Tshark);
    let frames: Vec<Vec<u8>> = openflow_connection(6653, Cut::Every(100), |s| s)
        .into_iter()
        .chain(sflow_frames(6343))
        .chain(lacp_frames())
        .chain(multicast_frames())
        .collect();
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("tshark-agree.pcap");
    std::fs::write(&path, pcap(&frames)).unwrap();
    agree(&path, &[], Config::default());

    let session = root().join("capture/testdata/ovs-session.pcapng");
    let mut config = Config::default();
    config.sflow_ports.push(16343);
    config.openflow_ports.push(16633);
    agree(&session, &["-d", "udp.port==16343,sflow"], config);
}
