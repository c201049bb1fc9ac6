//! Differential test: every field this crate decodes, compared with what tshark decodes from the
//! same bytes.
//!
//! `scripts/gen_frames.py` (scapy, fixed seed) writes a few thousand frames of every protocol the
//! crate decodes into a pcap; tshark dissects it (`-T json`, read by the small JSON reader below,
//! which keeps keys in order and keeps duplicate keys); the test reads the pcap itself, parses
//! every frame with [`Packet::parse`] and compares, layer by layer, every field with tshark's
//! value for that frame and layer. It also checks, for every frame, that parse → serialize gives
//! back the exact bytes, that [`PacketView`] finds the same layers, that the layer list matches
//! tshark's `frame.protocols` (for the protocols this crate decodes) and that the trailer is
//! tshark's padding/trailer.
//!
//! Mismatches are collected and reported together (the first 30 in full, then a count per
//! layer and field). Where tshark and this crate legitimately differ, a comment says so and the
//! comparison works around it; known crate bugs would go, by name, into [`KNOWN_CRATE_BUGS`].
//!
//! Peers: `tshark` on PATH (or `$TSHARK`) and a Python with scapy (`$PEER_PYTHON`, else
//! `<repo>/.venv/bin/python`); `scripts/install-peers.sh` installs both. Without them the test
//! skips (`sdnwire_testkit::require`: a loud SKIPPED line, recorded for the run's summary),
//! except under `CI=true`, where it fails.
//!
//! Knobs: `DIFF_FRAMES` (default 3000) and `DIFF_SEED` (default 1) go to the generator;
//! `DIFF_KEEP=1` keeps the temporary directory with the pcap and tshark's JSON; `DIFF_ALL=1`
//! lists every mismatch instead of the first 30.

// Not library code: the workspace's panic-free lints are for the library crates' src/.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::indexing_slicing, clippy::panic)]

use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};
use core::sync::atomic::{AtomicUsize, Ordering};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sdnwire_testkit::Peer;

use sdnwire_packet::icmp::IcmpData;
use sdnwire_packet::icmpv6::{Icmpv6Data, Icmpv6View, NdOption};
use sdnwire_packet::igmp::{max_resp_code_to_duration, GroupRecord};
use sdnwire_packet::ipv4::{Ipv4Options, Ipv4View};
use sdnwire_packet::ipv6::{Ipv6ExtHeader, Ipv6Option, Routing};
use sdnwire_packet::lldp::LldpTlv;
use sdnwire_packet::slow::{LacpInfo, LacpState};
use sdnwire_packet::tcp::{TcpOption, TcpView};
use sdnwire_packet::Encode;
use sdnwire_packet::{
    Arp, EtherType, Ethernet, Icmp, Icmpv6, Igmp, IpProtocol, Ipv4, Ipv6, Lacp, Layer, LayerKind,
    Lldp, MacAddr, Marker, Packet, PacketView, Span, Tcp, Udp, Vlan,
};

const DEFAULT_FRAMES: usize = 3000;
const DEFAULT_SEED: u64 = 1;

/// Crate bugs that this test has found and that are not fixed yet: (name, does this mismatch
/// belong to it). A mismatch a rule matches is counted under its name and does not fail the
/// test; the report lists the counts. Empty means every mismatch fails.
#[allow(clippy::type_complexity)]
const KNOWN_CRATE_BUGS: &[(&str, fn(&Mismatch) -> bool)] = &[];

// ------------------------------------------------------------------------------------------
// The test

#[test]
fn differential_against_tshark() {
    let Some((python, tshark)) = peers() else {
        return;
    };
    let frames_n = env_num("DIFF_FRAMES", DEFAULT_FRAMES as u64);
    let seed = env_num("DIFF_SEED", DEFAULT_SEED);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = std::env::temp_dir().join(format!("packet-differential-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let pcap = dir.join("frames.pcap");

    let t0 = std::time::Instant::now();
    let out = Command::new(&python)
        .arg(repo.join("scripts/gen_frames.py"))
        .arg(&pcap)
        .arg(frames_n.to_string())
        .arg(seed.to_string())
        .output()
        .expect("run the frame generator");
    assert!(
        out.status.success(),
        "gen_frames.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t_gen = t0.elapsed();

    let out = Command::new(&tshark)
        .args(["-n", "-r"])
        .arg(&pcap)
        .args(["-T", "json"])
        // raw sequence numbers everywhere (SACK edges included), no conversation analysis
        .args([
            "-o",
            "tcp.relative_sequence_numbers:FALSE",
            "-o",
            "tcp.analyze_sequence_numbers:FALSE",
        ])
        // tshark guesses vendor trailers (VSS Monitoring timestamps, Ixia, Gigamon, F5) in
        // bytes after the last protocol: a frame's trailer is just bytes here.
        .args([
            "--disable-protocol",
            "vssmonitoring",
            "--disable-protocol",
            "ixiatrailer",
        ])
        .args([
            "--disable-protocol",
            "gmtrailer",
            "--disable-protocol",
            "f5ethtrailer",
        ])
        .output()
        .expect("run tshark");
    assert!(
        out.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if std::env::var_os("DIFF_KEEP").is_some() {
        std::fs::write(dir.join("tshark.json"), &text).expect("write tshark.json");
    }
    let t_tshark = t0.elapsed() - t_gen;

    let frames = sdnwire_testkit::pcap::frames(&std::fs::read(&pcap).expect("read pcap"));
    let dissected = match parse_json(&text).expect("tshark's JSON") {
        J::Arr(a) => a,
        _ => panic!("tshark's JSON is not an array"),
    };
    assert_eq!(
        frames.len(),
        dissected.len(),
        "tshark dissected another number of frames than the pcap holds"
    );
    assert_eq!(
        frames.len() as u64,
        frames_n,
        "the generator wrote another number of frames than asked"
    );

    let mut out = Vec::new();
    let mut layer_counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (i, (frame, d)) in frames.iter().zip(&dissected).enumerate() {
        let layers = d
            .get("_source")
            .and_then(|s| s.get("layers"))
            .and_then(J::obj)
            .expect("_source.layers");
        compare_frame(i + 1, frame, layers, &mut out, &mut layer_counts);
    }

    // Sort the mismatches into known crate bugs and the rest.
    let mut known: BTreeMap<&str, usize> = BTreeMap::new();
    let mut fails = Vec::new();
    for m in out {
        match KNOWN_CRATE_BUGS.iter().find(|(_, f)| f(&m)) {
            Some((name, _)) => *known.entry(name).or_default() += 1,
            None => fails.push(m),
        }
    }
    eprintln!(
        "differential: {} frames (seed {seed}), generator {:.1} s, tshark {:.1} s, compare {:.1} s; {} field comparisons; layers compared: {:?}",
        frames.len(),
        t_gen.as_secs_f64(),
        t_tshark.as_secs_f64(),
        (t0.elapsed() - t_gen - t_tshark).as_secs_f64(),
        CHECKS.load(Ordering::Relaxed),
        layer_counts
    );
    for (name, n) in &known {
        eprintln!("differential: {n} mismatches allowed as known crate bug `{name}`");
    }
    if fails.is_empty() {
        if std::env::var_os("DIFF_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        return;
    }
    let mut msg = format!(
        "{} mismatches between this crate and tshark (pcap kept in {}):\n",
        fails.len(),
        dir.display()
    );
    let shown = if std::env::var_os("DIFF_ALL").is_some() {
        fails.len()
    } else {
        30
    };
    for m in fails.iter().take(shown) {
        msg += &format!(
            "  frame {:>5} {:<10} {:<40} ours: {:<30} tshark: {}\n",
            m.frame, m.layer, m.field, m.ours, m.theirs
        );
    }
    let mut by_field: BTreeMap<(String, String), usize> = BTreeMap::new();
    for m in &fails {
        *by_field
            .entry((m.layer.clone(), m.field.clone()))
            .or_default() += 1;
    }
    msg += "by layer and field:\n";
    for ((l, f), n) in &by_field {
        msg += &format!("  {n:>5}  {l} {f}\n");
    }
    msg += "first frames with a mismatch:\n";
    let mut shown = Vec::new();
    for m in &fails {
        if !shown.contains(&m.frame) && shown.len() < 5 {
            shown.push(m.frame);
            msg += &format!("  frame {}: {}\n", m.frame, hex(&frames[m.frame - 1]));
        }
    }
    panic!("{msg}");
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// tshark and the venv's Python with scapy, or `None` after a loud skip (a failure under
/// CI=true).
fn peers() -> Option<(PathBuf, PathBuf)> {
    if !sdnwire_testkit::require(&[Peer::Tshark, Peer::Python(&["scapy.all"])]) {
        return None;
    }
    Some((sdnwire_testkit::osken::python(), sdnwire_testkit::tshark()))
}

// ------------------------------------------------------------------------------------------
// Mismatches

/// One field on which this crate and tshark disagree.
#[derive(Debug, Clone)]
struct Mismatch {
    frame: usize,
    layer: String,
    field: String,
    ours: String,
    theirs: String,
}

/// Collects mismatches for one layer of one frame.
struct Cmp<'a> {
    frame: usize,
    layer: String,
    out: &'a mut Vec<Mismatch>,
}

const ABSENT: &str = "<absent>";

/// Field comparisons made (for the summary line).
static CHECKS: AtomicUsize = AtomicUsize::new(0);

impl Cmp<'_> {
    fn miss(&mut self, field: &str, ours: impl fmt::Display, theirs: impl fmt::Display) {
        self.out.push(Mismatch {
            frame: self.frame,
            layer: self.layer.clone(),
            field: field.to_string(),
            ours: ours.to_string(),
            theirs: theirs.to_string(),
        });
    }

    /// Compares `ours` with tshark's value `theirs` of `field`, read with `parse`.
    fn check<T: PartialEq + fmt::Debug>(
        &mut self,
        field: &str,
        ours: T,
        theirs: Option<&str>,
        parse: impl Fn(&str) -> Option<T>,
    ) {
        CHECKS.fetch_add(1, Ordering::Relaxed);
        match theirs {
            None => self.miss(field, format!("{ours:?}"), ABSENT),
            Some(s) => match parse(s) {
                Some(t) if t == ours => {}
                Some(t) => self.miss(field, format!("{ours:?}"), format!("{t:?}")),
                None => self.miss(field, format!("{ours:?}"), format!("unreadable {s:?}")),
            },
        }
    }

    /// A number (decimal or 0x-hex in tshark's output), first occurrence in `o`.
    fn num(&mut self, o: &Obj, field: &str, ours: impl Into<u64>) {
        self.check(field, ours.into(), first(o, field), parse_num);
    }

    /// Like [`Cmp::num`], but only if tshark shows the field at all.
    fn num_if(&mut self, o: &Obj, field: &str, ours: impl Into<u64>) {
        if first(o, field).is_some() {
            self.num(o, field, ours);
        }
    }

    fn flag(&mut self, o: &Obj, field: &str, ours: bool) {
        self.check(field, ours, first(o, field), |s| match s {
            "1" | "True" | "true" => Some(true),
            "0" | "False" | "false" => Some(false),
            _ => None,
        });
    }

    fn mac(&mut self, o: &Obj, field: &str, ours: MacAddr) {
        self.check(field, ours, first(o, field), |s| s.parse().ok());
    }

    fn v4(&mut self, o: &Obj, field: &str, ours: Ipv4Addr) {
        self.check(field, ours, first(o, field), |s| s.parse().ok());
    }

    fn v6(&mut self, o: &Obj, field: &str, ours: Ipv6Addr) {
        self.check(field, ours, first(o, field), |s| s.parse().ok());
    }

    fn bytes(&mut self, o: &Obj, field: &str, ours: &[u8]) {
        self.check(field, Hex(ours.to_vec()), first(o, field), |s| {
            parse_bytes(s).map(Hex)
        });
    }

    /// Every occurrence of `field`, in order, against `ours`.
    fn list<T: PartialEq + fmt::Debug>(
        &mut self,
        o: &Obj,
        field: &str,
        ours: &[T],
        parse: impl Fn(&str) -> Option<T>,
    ) {
        CHECKS.fetch_add(1, Ordering::Relaxed);
        let theirs = all(o, field);
        let parsed: Vec<Option<T>> = theirs.iter().map(|s| parse(s)).collect();
        if parsed.len() != ours.len() || parsed.iter().zip(ours).any(|(t, o)| t.as_ref() != Some(o))
        {
            self.miss(field, format!("{ours:?}"), format!("{theirs:?}"));
        }
    }
}

/// Bytes that print as hex.
#[derive(Clone, PartialEq)]
struct Hex(Vec<u8>);

impl fmt::Debug for Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex(&self.0))
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn parse_num(s: &str) -> Option<u64> {
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

/// tshark's `aa:bb:cc` bytes (or a bare `aabb`).
fn parse_bytes(s: &str) -> Option<Vec<u8>> {
    let s: String = s.chars().filter(|c| *c != ':').collect();
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

// ------------------------------------------------------------------------------------------
// One frame

/// Which tshark protocol names one of our layers may appear as.
fn tshark_names(k: LayerKind) -> &'static [&'static str] {
    match k {
        LayerKind::Ethernet => &["eth"],
        LayerKind::Vlan => &["vlan", "ieee8021ad"],
        LayerKind::Arp => &["arp"],
        LayerKind::Ipv4 => &["ip"],
        LayerKind::Ipv6 => &["ipv6"],
        LayerKind::Icmp => &["icmp"],
        LayerKind::Icmpv6 => &["icmpv6"],
        LayerKind::Igmp => &["igmp"],
        LayerKind::Udp => &["udp"],
        LayerKind::Tcp => &["tcp"],
        LayerKind::Lacp => &["lacp"],
        LayerKind::Marker => &["marker"],
        LayerKind::Lldp => &["lldp"],
        _ => &[],
    }
}

fn kind_of_tshark(name: &str) -> Option<LayerKind> {
    [
        LayerKind::Ethernet,
        LayerKind::Vlan,
        LayerKind::Arp,
        LayerKind::Ipv4,
        LayerKind::Ipv6,
        LayerKind::Icmp,
        LayerKind::Icmpv6,
        LayerKind::Igmp,
        LayerKind::Udp,
        LayerKind::Tcp,
        LayerKind::Lacp,
        LayerKind::Marker,
        LayerKind::Lldp,
    ]
    .into_iter()
    .find(|k| tshark_names(*k).contains(&name))
}

/// Protocols after which this crate's stack ends by design: what follows is payload (an ICMP
/// error's quoted datagram, a UDP payload that tshark dissects as DNS or VXLAN, ...).
fn ends_stack(k: LayerKind) -> bool {
    !matches!(
        k,
        LayerKind::Ethernet | LayerKind::Vlan | LayerKind::Ipv4 | LayerKind::Ipv6
    )
}

/// The layers tshark's `frame.protocols` lists that this crate decodes, cut where this crate's
/// stack ends by design.
fn tshark_stack(protocols: &str) -> Vec<LayerKind> {
    let mut v: Vec<LayerKind> = Vec::new();
    for k in protocols.split(':').filter_map(kind_of_tshark) {
        // tshark lists IGMP twice ("ip:igmp:igmp"): the IGMP dissector hands the message to
        // its per-version part, which registers under the same name.
        if k == LayerKind::Igmp && v.last() == Some(&LayerKind::Igmp) {
            continue;
        }
        v.push(k);
        if ends_stack(k) {
            break;
        }
    }
    v
}

fn compare_frame(
    no: usize,
    frame: &[u8],
    tlayers: &Obj,
    out: &mut Vec<Mismatch>,
    layer_counts: &mut BTreeMap<&'static str, usize>,
) {
    let protocols = tlayers
        .iter()
        .find(|(k, _)| k == "frame")
        .and_then(|(_, v)| v.obj())
        .and_then(|f| first(f, "frame.protocols"))
        .unwrap_or("")
        .to_string();
    let mut c = Cmp {
        frame: no,
        layer: "packet".into(),
        out,
    };
    let pkt = match Packet::parse(frame) {
        Ok(p) => p,
        Err(e) => {
            c.miss(
                "Packet::parse",
                format!("error: {e}"),
                format!("decodes {protocols}"),
            );
            return;
        }
    };
    match pkt.to_vec() {
        Ok(b) if b == frame => {}
        Ok(b) => {
            let at = b
                .iter()
                .zip(frame)
                .position(|(x, y)| x != y)
                .unwrap_or(b.len().min(frame.len()));
            c.miss(
                "parse→serialize",
                format!("{} bytes, differs at {at}", b.len()),
                format!("frame of {} bytes", frame.len()),
            );
        }
        Err(e) => c.miss("parse→serialize", format!("error: {e}"), "the frame"),
    }
    let kinds: Vec<LayerKind> = pkt.layers.iter().map(Layer::kind).collect();
    let view = match PacketView::parse(frame) {
        Ok(v) => v,
        Err(e) => {
            c.miss(
                "PacketView::parse",
                format!("error: {e}"),
                format!("Packet::parse gives {kinds:?}"),
            );
            return;
        }
    };
    let spans: Vec<Span> = view.spans().collect();
    let view_kinds: Vec<LayerKind> = spans.iter().map(|s| s.kind).collect();
    if view_kinds != kinds {
        c.miss(
            "PacketView layers",
            format!("{view_kinds:?}"),
            format!("Packet::parse gives {kinds:?}"),
        );
        return;
    }
    let theirs = tshark_stack(&protocols);
    if theirs != kinds {
        c.miss(
            "layers (frame.protocols)",
            format!("{kinds:?}"),
            format!("{theirs:?} from {protocols}"),
        );
    }

    // tshark's top-level protocol trees, in order.
    let tl: Vec<(&str, &Obj)> = tlayers
        .iter()
        .filter(|(k, _)| k != "frame")
        .filter_map(|(k, v)| v.obj().map(|o| (k.as_str(), o)))
        .collect();
    let mut cursor = 0;
    let mut announced = EtherType(0); // the EtherType that announced the current layer
    let mut vlan_i = 0;
    for (i, (layer, span)) in pkt.layers.iter().zip(&spans).enumerate() {
        let names = tshark_names(layer.kind());
        let Some(pos) = tl
            .get(cursor..)
            .and_then(|r| r.iter().position(|(n, _)| names.contains(n)))
        else {
            continue; // reported with the layer list
        };
        let (tname, o) = tl[cursor + pos];
        cursor += pos + 1;
        let bytes = &frame[span.start..span.end];
        *layer_counts.entry(layer.kind().name()).or_default() += 1;
        let mut c = Cmp {
            frame: no,
            layer: layer.kind().name().to_string(),
            out: c.out,
        };
        match layer {
            Layer::Ethernet(e) => {
                cmp_ethernet(&mut c, o, e);
                announced = e.ethertype.unwrap_or_default();
            }
            Layer::Vlan(v) => {
                c.layer = format!("vlan[{vlan_i}]");
                vlan_i += 1;
                cmp_vlan(&mut c, o, v, tname, announced);
                announced = v.ethertype.unwrap_or_default();
            }
            Layer::Arp(a) => cmp_arp(&mut c, o, a),
            Layer::Ipv4(v) => cmp_ipv4(&mut c, o, v, bytes),
            Layer::Ipv6(v) => cmp_ipv6(&mut c, o, v),
            Layer::Icmp(v) => cmp_icmp(&mut c, o, v),
            Layer::Icmpv6(v) => cmp_icmpv6(&mut c, o, v, bytes),
            Layer::Udp(v) => cmp_udp(&mut c, o, v),
            Layer::Tcp(v) => cmp_tcp(&mut c, o, v, bytes),
            Layer::Igmp(v) => cmp_igmp(&mut c, o, v),
            Layer::Lacp(v) => cmp_lacp(&mut c, o, v),
            Layer::Marker(v) => cmp_marker(&mut c, o, v),
            Layer::Lldp(v) => cmp_lldp(&mut c, o, v),
            other => c.miss(
                "layer",
                format!("{:?}", other.kind()),
                "a layer this test compares",
            ),
        }
        let _ = i;
    }

    // The trailer: what no length field covers. tshark shows it as Ethernet padding (zeros),
    // trailer, or FCS (when it guesses that the last 4 bytes are one), in the Ethernet or the
    // innermost VLAN tree.
    let mut t = Vec::new();
    for (name, o) in &tl {
        if ["eth", "vlan", "ieee8021ad"].contains(name) {
            for f in ["eth.padding", "eth.trailer", "vlan.trailer", "vlan.padding"] {
                for s in all(o, f) {
                    t.extend(parse_bytes(s).unwrap_or_default());
                }
            }
            if let Some(fcs) = first(o, "eth.fcs")
                .and_then(parse_num)
                .and_then(|v| u32::try_from(v).ok())
            {
                t.extend(fcs.to_be_bytes());
            }
        }
    }
    // tshark quirk: its LLDP dissector claims 3 bytes less than the LLDPDU (the last byte of
    // the TLV before the End TLV, and the End TLV), which it then shows as Ethernet trailer.
    if let Some(s) = spans.iter().find(|s| s.kind == LayerKind::Lldp) {
        let last3 = frame.get(s.end.saturating_sub(3)..s.end).unwrap_or(&[]);
        if s.end - s.start >= 3 && t.starts_with(last3) {
            t.drain(..3);
        }
    }
    // tshark quirk: its marker dissector claims the rest of the frame, so it shows no trailer.
    if kinds.contains(&LayerKind::Marker) && t.is_empty() {
        t = pkt.trailer.to_vec();
    }
    if t != pkt.trailer {
        let mut c = Cmp {
            frame: no,
            layer: "packet".into(),
            out: c.out,
        };
        c.miss(
            "trailer (eth.padding/trailer/fcs)",
            hex(&pkt.trailer),
            hex(&t),
        );
    }
}

// ------------------------------------------------------------------------------------------
// Layers

fn cmp_ethernet(c: &mut Cmp, o: &Obj, e: &Ethernet) {
    c.mac(o, "eth.dst", e.dst);
    c.mac(o, "eth.src", e.src);
    c.num(o, "eth.type", e.ethertype.unwrap_or_default().0);
}

fn cmp_vlan(c: &mut Cmp, o: &Obj, v: &Vlan, tname: &str, tpid: EtherType) {
    // tshark dissects an 0x88a8 tag as "ieee8021ad" (with the inner type as ieee8021ah.etype)
    // and 0x8100/0x9100 tags as "vlan".
    let want = if tpid == EtherType::QINQ {
        "ieee8021ad"
    } else {
        "vlan"
    };
    if tname != want {
        c.miss("protocol for the TPID", format!("{tpid:?} → {want}"), tname);
    }
    let (p, etype) = if tname == "ieee8021ad" {
        ("ieee8021ad", "ieee8021ah.etype")
    } else {
        ("vlan", "vlan.etype")
    };
    c.num(o, &format!("{p}.priority"), v.pcp);
    c.flag(o, &format!("{p}.dei"), v.cfi);
    c.num(o, &format!("{p}.id"), v.vid);
    c.num(o, etype, v.ethertype.unwrap_or_default().0);
}

fn cmp_arp(c: &mut Cmp, o: &Obj, a: &Arp) {
    c.num(o, "arp.hw.type", a.hwtype);
    c.num(o, "arp.proto.type", a.proto.0);
    c.num(o, "arp.hw.size", a.hlen());
    c.num(o, "arp.proto.size", a.plen());
    c.num(o, "arp.opcode", a.opcode.0);
    let (sha, spa, tha, tpa) = match &a.raw_addrs {
        Some(r) => (r.sha.clone(), r.spa.clone(), r.tha.clone(), r.tpa.clone()),
        None => (
            a.src_mac.0.to_vec(),
            a.src_ip.octets().to_vec(),
            a.dst_mac.0.to_vec(),
            a.dst_ip.octets().to_vec(),
        ),
    };
    // tshark names an address by what it understood it as: `arp.src.hw_mac` for 6 bytes of
    // Ethernet, `arp.src.proto_ipv4` for 4 bytes of IPv4, else raw bytes (`arp.src.hw`); and
    // shows nothing for a zero-length address.
    for (ours, names) in [
        (sha, ["arp.src.hw_mac", "arp.src.hw"]),
        (spa, ["arp.src.proto_ipv4", "arp.src.proto"]),
        (tha, ["arp.dst.hw_mac", "arp.dst.hw"]),
        (tpa, ["arp.dst.proto_ipv4", "arp.dst.proto"]),
    ] {
        let theirs = names.iter().find_map(|n| first(o, n)).map(|s| {
            s.parse::<Ipv4Addr>()
                .map(|a| a.octets().to_vec())
                .ok()
                .or_else(|| parse_bytes(s))
                .unwrap_or_default()
        });
        if theirs.as_deref().unwrap_or(&[]) != ours.as_slice() {
            c.miss(
                names[0],
                hex(&ours),
                theirs.map_or(ABSENT.to_string(), |t| hex(&t)),
            );
        }
    }
}

fn cmp_ipv4(c: &mut Cmp, o: &Obj, v: &Ipv4, bytes: &[u8]) {
    let ihl = v.header_length.unwrap_or(0);
    c.num(o, "ip.version", 4u8);
    c.num(o, "ip.hdr_len", u64::from(ihl) * 4);
    c.num(o, "ip.dsfield", v.tos);
    c.num(o, "ip.dsfield.dscp", v.tos >> 2);
    c.num(o, "ip.dsfield.ecn", v.tos & 3);
    c.num(o, "ip.len", v.total_length.unwrap_or(0));
    c.num(o, "ip.id", v.identification);
    c.num(o, "ip.flags", v.flags);
    c.flag(o, "ip.flags.rb", v.flags & 4 != 0);
    c.flag(o, "ip.flags.df", v.flags & 2 != 0);
    c.flag(o, "ip.flags.mf", v.flags & 1 != 0);
    c.num(o, "ip.frag_offset", v.offset);
    c.num(o, "ip.ttl", v.ttl);
    c.num(o, "ip.proto", v.proto.unwrap_or_default().0);
    c.num(o, "ip.checksum", v.csum.unwrap_or(0));
    c.v4(o, "ip.src", v.src);
    // tshark quirk (see ORACLES.md): while a source route option is still in progress, tshark
    // shows the route's last hop as ip.dst and the header's destination as ip.cur_rt.
    if first(o, "ip.cur_rt").is_some() {
        c.v4(o, "ip.cur_rt", v.dst);
    } else {
        c.v4(o, "ip.dst", v.dst);
    }

    // Options: tshark lists them under a text item "Options: (N bytes), ..."; each known option
    // as `ip.options.<name>` holding its bytes, each unknown one as a text item
    // "Unknown (0xKK) (N bytes)". Both stop after end-of-list.
    let view = Ipv4View::parse(bytes).expect("Packet::parse accepted it");
    let opts = view.options();
    if opts != v.option.as_slice() {
        c.miss("options (view vs owned)", hex(&v.option), hex(opts));
    }
    let Some((label, tree)) = o.iter().find(|(k, _)| k.starts_with("Options: (")) else {
        if !opts.is_empty() {
            c.miss("Options", hex(opts), ABSENT);
        }
        return;
    };
    let n = label
        .trim_start_matches("Options: (")
        .split(' ')
        .next()
        .and_then(|s| s.parse::<usize>().ok());
    if n != Some(opts.len()) {
        c.miss("Options: (N bytes)", opts.len(), label);
    }
    let tree = tree.obj().unwrap_or(&[]);
    // (kind, length, bytes if tshark shows them, the option's own tree)
    let mut theirs: Vec<(u8, usize, Option<Vec<u8>>, &Obj)> = Vec::new();
    for (i, (k, val)) in tree.iter().enumerate() {
        if let Some(rest) = k.strip_prefix("Unknown (0x") {
            // "Unknown (0x9e) (2 bytes)"
            let kind = rest
                .get(..2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .unwrap_or(0);
            let len = rest
                .split('(')
                .nth(1)
                .and_then(|s| s.split(' ').next())
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            theirs.push((kind, len, None, &[]));
        } else if k.starts_with("ip.options.") && !k.ends_with("_tree") {
            if let Some(b) = val.str().and_then(parse_bytes) {
                theirs.push((
                    b.first().copied().unwrap_or(0),
                    b.len(),
                    Some(b),
                    item_tree(tree, i),
                ));
            }
        }
    }
    let ours: Vec<(u8, usize, Vec<u8>)> = Ipv4Options::new(opts)
        .map(|r| {
            let opt = r.expect("Packet::parse checked the options");
            let raw: Vec<u8> = if opt.kind <= 1 {
                vec![opt.kind]
            } else {
                let mut r = vec![
                    opt.kind,
                    u8::try_from(opt.data.len() + 2).expect("option length"),
                ];
                r.extend_from_slice(opt.data);
                r
            };
            (opt.kind, raw.len(), raw)
        })
        .collect();
    let same = ours.len() == theirs.len()
        && ours
            .iter()
            .zip(&theirs)
            .all(|((k, l, raw), (tk, tl, traw, _))| {
                k == tk && l == tl && traw.as_ref().is_none_or(|t| t == raw)
            });
    if !same {
        let fmt_o: Vec<String> = ours.iter().map(|(_, _, r)| hex(r)).collect();
        let fmt_t: Vec<String> = theirs
            .iter()
            .map(|(k, l, r, _)| {
                r.as_ref()
                    .map_or(format!("unknown {k:#04x}/{l}"), |r| hex(r))
            })
            .collect();
        c.miss("option list", format!("{fmt_o:?}"), format!("{fmt_t:?}"));
        return;
    }
    // The values inside the options tshark decodes.
    for (i, ((kind, _, raw), (_, _, _, t))) in ours.iter().zip(&theirs).enumerate() {
        let f = |n: &str| format!("{n}[{i}]");
        match *kind {
            148 => c.check(
                &f("ip.opt.ra"),
                u64::from(be16(raw, 2)),
                first(t, "ip.opt.ra"),
                parse_num,
            ),
            7 | 68 | 131 | 137 => c.check(
                &f("ip.opt.ptr"),
                u64::from(raw[2]),
                first(t, "ip.opt.ptr"),
                parse_num,
            ),
            _ => {}
        }
        if *kind == 7 || *kind == 131 || *kind == 137 {
            // the addresses of a route option: recorded ones, the next empty slot, the rest
            let addrs: Vec<Ipv4Addr> = raw[3..]
                .chunks_exact(4)
                .map(|b| Ipv4Addr::from(<[u8; 4]>::try_from(b).expect("4 bytes")))
                .collect();
            let theirs: Vec<Ipv4Addr> = t
                .iter()
                .filter(|(k, _)| {
                    matches!(
                        k.as_str(),
                        // (a source route in progress shows its last hop as ip.dst)
                        "ip.rec_rt" | "ip.empty_rt" | "ip.src_rt" | "ip.cur_rt" | "ip.dst"
                    )
                })
                .filter_map(|(_, v)| v.str().and_then(|s| s.parse().ok()))
                .collect();
            if addrs != theirs {
                c.miss(
                    &f("route addresses"),
                    format!("{addrs:?}"),
                    format!("{theirs:?}"),
                );
            }
        }
    }
}

/// The subtree tshark puts right after item `i` of `tree` (`<key>_tree`), or nothing.
fn item_tree(tree: &Obj, i: usize) -> &Obj {
    let key = format!("{}_tree", tree[i].0);
    tree.get(i + 1)
        .filter(|(k, _)| *k == key)
        .and_then(|(_, t)| t.obj())
        .unwrap_or(&[])
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([
        b.get(at).copied().unwrap_or(0),
        b.get(at + 1).copied().unwrap_or(0),
    ])
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([0, 1, 2, 3].map(|i| b.get(at + i).copied().unwrap_or(0)))
}

fn cmp_icmp(c: &mut Cmp, o: &Obj, v: &Icmp) {
    c.num(o, "icmp.type", v.type_.0);
    c.num(o, "icmp.code", v.code);
    c.num(o, "icmp.checksum", v.csum.unwrap_or(0));
    // The 4 bytes after the checksum and the data after them, as our owned value encodes them.
    let body = v.data.to_vec().expect("a parsed body encodes");
    let rest: [u8; 4] = body[..4].try_into().unwrap();
    // What tshark decodes there depends on the type: identifier and sequence number (echo,
    // timestamp, information, ...), a gateway (redirect), unused bytes and a next-hop MTU
    // (destination unreachable), unused bytes (time exceeded).
    c.num_if(o, "icmp.ident", be16(&rest, 0));
    c.num_if(o, "icmp.seq", be16(&rest, 2));
    c.num_if(o, "icmp.mtu", be16(&rest, 2));
    if first(o, "icmp.redir_gw").is_some() {
        c.v4(o, "icmp.redir_gw", Ipv4Addr::from(rest));
    }
    // Unused bytes: bytes 4-7, or 4-5 before an MTU; with an RFC 4884 length (byte 5),
    // byte 4 and bytes 6-7.
    let has_length = first(o, "icmp.length").is_some();
    let has_mtu = first(o, "icmp.mtu").is_some();
    if has_length {
        c.num(o, "icmp.length", rest[1]);
    }
    // A parameter problem's first byte is its pointer: the unused bytes come after it.
    let is_pointer = matches!(v.data, IcmpData::ParamProblem { .. });
    let unused: Vec<Hex> = match (has_length, has_mtu) {
        (true, false) if is_pointer => vec![Hex(rest[2..].to_vec())],
        (false, false) if is_pointer => vec![Hex(rest[1..].to_vec())],
        (true, true) => vec![Hex(rest[..1].to_vec())],
        (true, false) => vec![Hex(rest[..1].to_vec()), Hex(rest[2..].to_vec())],
        (false, true) => vec![Hex(rest[..2].to_vec())],
        (false, false) => vec![Hex(rest.to_vec())],
    };
    if first(o, "icmp.unused").is_some() {
        c.list(o, "icmp.unused", &unused, |s| parse_bytes(s).map(Hex));
    }
    // Fields of the types beyond Ryu's set.
    match &v.data {
        IcmpData::RouterAdvert {
            lifetime, entries, ..
        } => {
            c.num(o, "icmp.num_addrs", u64::try_from(entries.len()).unwrap());
            c.num(o, "icmp.addr_entry_size", 2u8);
            c.num(o, "icmp.lifetime", *lifetime);
            let addrs: Vec<Ipv4Addr> = entries.iter().map(|e| e.addr).collect();
            c.list(o, "icmp.router_address", &addrs, |s| s.parse().ok());
            let prefs: Vec<i32> = entries.iter().map(|e| e.preference).collect();
            c.list(o, "icmp.pref_level", &prefs, |s| s.parse().ok());
        }
        IcmpData::ParamProblem { pointer, .. } => c.num(o, "icmp.pointer", *pointer),
        IcmpData::Timestamp {
            originate,
            receive,
            transmit,
            ..
        } => {
            c.num(o, "icmp.originate_timestamp", *originate);
            c.num(o, "icmp.receive_timestamp", *receive);
            c.num(o, "icmp.transmit_timestamp", *transmit);
        }
        IcmpData::AddrMask { mask, .. } => c.v4(o, "icmp.address_mask", *mask),
        _ => {}
    }
    // An error quotes the invoking datagram: tshark dissects it as an IP layer inside ICMP,
    // leniently (the quote is cut), as `Icmp::quote` does.
    if let Some(ip) = child(o, "ip") {
        match v.quote() {
            Some(Ok(q)) => {
                c.v4(ip, "ip.src", q.ip.src);
                c.v4(ip, "ip.dst", q.ip.dst);
                c.num(ip, "ip.len", q.ip.total_length.unwrap_or(0));
                c.num(ip, "ip.id", q.ip.identification);
                c.num(ip, "ip.ttl", q.ip.ttl);
                c.num(ip, "ip.flags", q.ip.flags);
                c.num(ip, "ip.frag_offset", q.ip.offset);
                c.num(ip, "ip.proto", q.ip.proto.unwrap_or_default().0);
                c.num(ip, "ip.checksum", q.ip.csum.unwrap_or(0));
                if let Some((sp, dp)) = q.ports() {
                    for l4 in ["udp", "tcp"] {
                        if let Some(t) = child(o, l4) {
                            c.num(t, &format!("{l4}.srcport"), sp);
                            c.num(t, &format!("{l4}.dstport"), dp);
                        }
                    }
                }
            }
            Some(Err(e)) => c.miss("quote", format!("{e}"), "a quoted IPv4 header"),
            None => {}
        }
    }
}

fn cmp_udp(c: &mut Cmp, o: &Obj, v: &Udp) {
    c.num(o, "udp.srcport", v.src_port);
    c.num(o, "udp.dstport", v.dst_port);
    c.num(o, "udp.length", v.total_length.unwrap_or(0));
    c.num(o, "udp.checksum", v.csum.unwrap_or(0));
}

fn cmp_tcp(c: &mut Cmp, o: &Obj, v: &Tcp, bytes: &[u8]) {
    c.num(o, "tcp.srcport", v.src_port);
    c.num(o, "tcp.dstport", v.dst_port);
    c.num(o, "tcp.seq_raw", v.seq);
    c.num(o, "tcp.ack_raw", v.ack);
    c.num(o, "tcp.hdr_len", u64::from(v.offset.unwrap_or(0)) * 4);
    let b = v.bits.0;
    c.num(o, "tcp.flags", b);
    // tshark 4.0's tcp.flags.res is one boolean for the 3 reserved bits.
    c.flag(o, "tcp.flags.res", b >> 9 != 0);
    for (name, bit) in [
        ("tcp.flags.ae", 0x100),
        ("tcp.flags.cwr", 0x80),
        ("tcp.flags.ece", 0x40),
        ("tcp.flags.urg", 0x20),
        ("tcp.flags.ack", 0x10),
        ("tcp.flags.push", 0x08),
        ("tcp.flags.reset", 0x04),
        ("tcp.flags.syn", 0x02),
        ("tcp.flags.fin", 0x01),
    ] {
        c.flag(o, name, b & bit != 0);
    }
    c.num(o, "tcp.window_size_value", v.window_size);
    c.num(o, "tcp.checksum", v.csum.unwrap_or(0));
    c.num(o, "tcp.urgent_pointer", v.urgent);

    // Options: the whole area (tcp.options), then each option's bytes (tcp.options.<name>)
    // and decoded values, in order. tshark stops listing after end-of-list; we keep the bytes
    // after it as a Raw item.
    let view = TcpView::parse(bytes).expect("Packet::parse accepted it");
    let area = view.options();
    if area.is_empty() {
        if first(o, "tcp.options").is_some() {
            c.miss("tcp.options", "", first(o, "tcp.options").unwrap_or(""));
        }
        return;
    }
    c.bytes(o, "tcp.options", area);
    let tree = child(o, "tcp.options_tree").unwrap_or(&[]);
    // Each option: `tcp.options.<name>` holding its bytes (and a `_tree` with its fields), or,
    // for MPTCP, only an `mptcp` tree with kind and length.
    let mut items: Vec<(Vec<u8>, Option<usize>, &Obj)> = Vec::new(); // (bytes or [kind], len, tree)
    for (i, (k, val)) in tree.iter().enumerate() {
        if k.starts_with("tcp.options.") && !k.ends_with("_tree") {
            if let Some(b) = val.str().and_then(parse_bytes) {
                let n = b.len();
                items.push((b, Some(n), item_tree(tree, i)));
            }
        } else if let Some(t) = val
            .obj()
            .filter(|t| !k.ends_with("_tree") && first(t, "tcp.option_kind").is_some())
        {
            let kind = first(t, "tcp.option_kind")
                .and_then(parse_num)
                .and_then(|k| u8::try_from(k).ok())
                .unwrap_or(0);
            let len = first(t, "tcp.option_len")
                .and_then(parse_num)
                .and_then(|l| usize::try_from(l).ok());
            items.push((vec![kind], len, t));
        }
    }
    let list = v.option_list();
    let ours: Vec<&TcpOption> = list
        .iter()
        .filter(|op| !matches!(op, TcpOption::Raw(_)))
        .collect();
    let ours_raw: Vec<Vec<u8>> = view
        .option_iter()
        .map(|r| {
            let op = r.expect("Packet::parse checked the options");
            if op.kind <= 1 {
                vec![op.kind]
            } else {
                let mut v = vec![
                    op.kind,
                    u8::try_from(op.data.len() + 2).expect("option length"),
                ];
                v.extend_from_slice(op.data);
                v
            }
        })
        .collect();
    // tshark shows every zero byte after end-of-list as one more end-of-list; this crate reads
    // them as padding (a Raw item). Compare the padding with tshark's extra EOLs, then the
    // options up to the first EOL.
    if let Some(eol) = items
        .iter()
        .position(|(b, l, _)| b.as_slice() == [0] && *l == Some(1))
    {
        let extra: Vec<u8> = items.drain(eol + 1..).flat_map(|(b, _, _)| b).collect();
        let pad: Vec<u8> = match list.last() {
            Some(TcpOption::Raw(p)) => p.clone(),
            _ => Vec::new(),
        };
        if pad != extra {
            c.miss("padding after end-of-list", hex(&pad), hex(&extra));
        }
    }
    let same = ours_raw.len() == items.len()
        && ours_raw.iter().zip(&items).all(|(r, (b, l, _))| match l {
            Some(_) if b.len() > 1 || r.len() == 1 => r == b,
            // kind and length only
            _ => r.first() == b.first() && *l == Some(r.len()),
        });
    if !same {
        let f = |l: &[Vec<u8>]| l.iter().map(|b| hex(b)).collect::<Vec<_>>();
        let t: Vec<Vec<u8>> = items.iter().map(|(b, _, _)| b.clone()).collect();
        c.miss(
            "option list",
            format!("{:?}", f(&ours_raw)),
            format!("{:?}", f(&t)),
        );
        return;
    }
    if ours.len() != items.len() {
        c.miss(
            "options (owned)",
            format!("{ours:?}"),
            format!("{} options", items.len()),
        );
        return;
    }
    for (i, (op, (raw, _, sub))) in ours.iter().zip(&items).enumerate() {
        let kind = raw.first().copied().unwrap_or(0);
        if sub.iter().any(|(k, _)| k == "tcp.option_kind") {
            c.num(sub, "tcp.option_kind", kind);
        }
        let f = |n: &str| format!("{n}[{i}]");
        match op {
            TcpOption::EndOfList => c.check(&f("kind"), 0, Some(&kind.to_string()), parse_num),
            TcpOption::NoOperation => c.check(&f("kind"), 1, Some(&kind.to_string()), parse_num),
            TcpOption::MaximumSegmentSize(m) => c.check(
                &f("tcp.options.mss_val"),
                u64::from(*m),
                first(sub, "tcp.options.mss_val"),
                parse_num,
            ),
            TcpOption::WindowScale(s) => c.check(
                &f("tcp.options.wscale.shift"),
                u64::from(*s),
                first(sub, "tcp.options.wscale.shift"),
                parse_num,
            ),
            TcpOption::SackPermitted => c.check(&f("kind"), 4, Some(&kind.to_string()), parse_num),
            TcpOption::Sack(blocks) => {
                let le: Vec<u64> = blocks.iter().map(|(l, _)| u64::from(*l)).collect();
                let re: Vec<u64> = blocks.iter().map(|(_, r)| u64::from(*r)).collect();
                c.list(sub, "tcp.options.sack_le", &le, parse_num);
                c.list(sub, "tcp.options.sack_re", &re, parse_num);
            }
            TcpOption::Timestamps { ts_val, ts_ecr } => {
                c.check(
                    &f("tcp.options.timestamp.tsval"),
                    u64::from(*ts_val),
                    first(sub, "tcp.options.timestamp.tsval"),
                    parse_num,
                );
                c.check(
                    &f("tcp.options.timestamp.tsecr"),
                    u64::from(*ts_ecr),
                    first(sub, "tcp.options.timestamp.tsecr"),
                    parse_num,
                );
            }
            TcpOption::Unknown { kind: k, data } => {
                let mut r = vec![*k, u8::try_from(data.len() + 2).expect("option length")];
                r.extend_from_slice(data);
                // (an option tshark shows only by kind and length was compared above)
                if raw.len() > 1 && &r != raw {
                    c.miss(&f("unknown option"), hex(&r), hex(raw));
                }
            }
            other => c.miss(&f("option"), format!("{other:?}"), hex(raw)),
        }
    }
}

fn cmp_ipv6(c: &mut Cmp, o: &Obj, v: &Ipv6) {
    c.num(o, "ipv6.version", v.version);
    c.num(o, "ipv6.tclass", v.traffic_class);
    c.num(o, "ipv6.flow", v.flow_label);
    c.num(o, "ipv6.plen", v.payload_length.unwrap_or(0));
    c.num(o, "ipv6.nxt", v.nxt.unwrap_or_default().0);
    c.num(o, "ipv6.hlim", v.hop_limit);
    c.v6(o, "ipv6.src", v.src);
    c.v6(o, "ipv6.dst", v.dst);
    // The extension headers: tshark gives each its own tree, in order.
    let names = [
        "ipv6.hopopts",
        "ipv6.dstopts",
        "ipv6.routing",
        "ipv6.fraghdr",
        "ipv6.ah",
    ];
    let theirs: Vec<(&str, &Obj)> = o
        .iter()
        .filter(|(k, _)| names.contains(&k.as_str()))
        .filter_map(|(k, t)| t.obj().map(|t| (k.as_str(), t)))
        .collect();
    let mut hdrs: &[Ipv6ExtHeader] = &v.ext_hdrs;
    // tshark (reassembling) stops at the fragment header of a first fragment (offset 0, M set):
    // what follows is the start of the fragmentable part, which it leaves to reassembly. This
    // crate goes on decoding the extension headers there. Compare up to the fragment header.
    if let Some(f) = hdrs.iter().position(|h| {
        h.fragment_fields()
            .is_some_and(|(off, more, _)| off == 0 && more)
    }) {
        if theirs.len() == f + 1 {
            hdrs = &hdrs[..=f];
        }
    }
    let ours: Vec<&str> = hdrs.iter().map(|h| ext_name(h.kind)).collect();
    let theirs_names: Vec<&str> = theirs.iter().map(|(n, _)| *n).collect();
    if ours != theirs_names {
        c.miss(
            "extension headers",
            format!("{ours:?}"),
            format!("{theirs_names:?}"),
        );
        return;
    }
    for (i, (h, (name, t))) in hdrs.iter().zip(&theirs).enumerate() {
        let layer = c.layer.clone();
        c.layer = format!("ipv6.ext[{i}]");
        cmp_ext_header(c, t, h, name);
        c.layer = layer;
    }
}

fn ext_name(k: IpProtocol) -> &'static str {
    match k {
        IpProtocol::HOPOPT => "ipv6.hopopts",
        IpProtocol::IPV6_OPTS => "ipv6.dstopts",
        IpProtocol::IPV6_ROUTE => "ipv6.routing",
        IpProtocol::IPV6_FRAG => "ipv6.fraghdr",
        IpProtocol::AH => "ipv6.ah",
        _ => "?",
    }
}

fn cmp_ext_header(c: &mut Cmp, t: &Obj, h: &Ipv6ExtHeader, name: &str) {
    c.num(t, &format!("{name}.nxt"), h.nxt.unwrap_or_default().0);
    match h.kind {
        IpProtocol::HOPOPT | IpProtocol::IPV6_OPTS => {
            c.num(t, &format!("{name}.len"), h.size.unwrap_or(0));
            // The options: type and length of each, Pad1 included, from our decoded options.
            let opts = h
                .options()
                .expect("an options header")
                .expect("Packet::parse checked the option framing");
            let ours: Vec<(u64, Option<u64>)> = opts
                .iter()
                .map(|op| match op {
                    Ipv6Option::Pad1 => (0, None),
                    op => (
                        u64::from(op.option_type()),
                        Some(u64::try_from(op.encoded_len()).unwrap() - 2),
                    ),
                })
                .collect();
            // The values tshark decodes: router alert, jumbo payload length, PadN's bytes.
            let opt_trees = children(t, "ipv6.opt");
            if opt_trees.len() == opts.len() {
                for (op, tree) in opts.iter().zip(&opt_trees) {
                    match op {
                        Ipv6Option::RouterAlert(v) => c.num(tree, "ipv6.opt.router_alert", *v),
                        Ipv6Option::Jumbo(v) => c.num(tree, "ipv6.opt.jumbo", *v),
                        Ipv6Option::PadN(d) if !d.is_empty() => {
                            c.bytes(tree, "ipv6.opt.padn", d);
                        }
                        _ => {}
                    }
                }
            }
            let theirs: Vec<(u64, Option<u64>)> = children(t, "ipv6.opt")
                .iter()
                .map(|op| {
                    (
                        first(op, "ipv6.opt.type")
                            .and_then(parse_num)
                            .unwrap_or(999),
                        first(op, "ipv6.opt.length").and_then(parse_num),
                    )
                })
                .collect();
            if ours != theirs {
                c.miss(
                    "ipv6.opt (type, length)",
                    format!("{ours:?}"),
                    format!("{theirs:?}"),
                );
            }
        }
        IpProtocol::IPV6_ROUTE => {
            c.num(t, "ipv6.routing.len", h.size.unwrap_or(0));
            let (ty, left) = h.routing_fields().unwrap_or_default();
            c.num(t, "ipv6.routing.type", ty);
            c.num(t, "ipv6.routing.segleft", left);
            match h.routing() {
                Some(Ok(Routing::Addresses {
                    routing_type,
                    reserved,
                    addresses,
                    ..
                })) => {
                    let f = if routing_type == 0 {
                        "ipv6.routing.src.addr"
                    } else {
                        "ipv6.routing.mipv6.home_address"
                    };
                    c.list(t, f, &addresses, |s| s.parse().ok());
                    if first(t, "ipv6.routing.src.reserved").is_some() {
                        c.bytes(t, "ipv6.routing.src.reserved", &reserved);
                    }
                }
                Some(Ok(Routing::Srh {
                    last_entry,
                    flags,
                    tag,
                    segments,
                    ..
                })) => {
                    c.num(t, "ipv6.routing.srh.last_entry", last_entry);
                    c.num(t, "ipv6.routing.srh.flags", flags);
                    c.bytes(t, "ipv6.routing.srh.tag", &tag.to_be_bytes());
                    c.list(t, "ipv6.routing.srh.addr", &segments, |s| s.parse().ok());
                }
                Some(Err(e)) => c.miss("routing", e, "a routing header tshark decodes"),
                _ => {}
            }
        }
        IpProtocol::IPV6_FRAG => {
            let (off, more, id) = h.fragment_fields().unwrap_or_default();
            c.num(t, "ipv6.fraghdr.reserved_octet", h.size.unwrap_or(0));
            c.num(t, "ipv6.fraghdr.offset", off);
            c.num(t, "ipv6.fraghdr.reserved_bits", (be16(&h.data, 0) >> 1) & 3);
            c.flag(t, "ipv6.fraghdr.more", more);
            c.num(t, "ipv6.fraghdr.ident", id);
        }
        _ => {}
    }
}

fn cmp_icmpv6(c: &mut Cmp, o: &Obj, v: &Icmpv6, bytes: &[u8]) {
    c.num(o, "icmpv6.type", v.type_.0);
    c.num(o, "icmpv6.code", v.code);
    c.num(o, "icmpv6.checksum", v.csum.unwrap_or(0));
    let quoted = |c: &mut Cmp, data: &[u8]| {
        if let Some(ip) = child(o, "ipv6") {
            if data.len() >= 40 {
                let a = |r: core::ops::Range<usize>| {
                    Ipv6Addr::from(<[u8; 16]>::try_from(&data[r]).expect("16 bytes"))
                };
                c.v6(ip, "ipv6.src", a(8..24));
                c.v6(ip, "ipv6.dst", a(24..40));
            }
        }
    };
    match &v.data {
        Icmpv6Data::Echo(e) => {
            c.num(o, "icmpv6.echo.identifier", e.id);
            c.num(o, "icmpv6.echo.sequence_number", e.seq);
        }
        Icmpv6Data::DestUnreachable { unused, data }
        | Icmpv6Data::TimeExceeded { unused, data } => {
            c.bytes(o, "icmpv6.reserved", &unused.to_be_bytes());
            quoted(c, data);
        }
        Icmpv6Data::PacketTooBig { mtu, data } => {
            c.num(o, "icmpv6.mtu", *mtu);
            quoted(c, data);
        }
        Icmpv6Data::ParamProblem { pointer, data } => {
            c.num(o, "icmpv6.pointer", *pointer);
            quoted(c, data);
        }
        Icmpv6Data::Mld(m) => {
            c.num(o, "icmpv6.mld.maximum_response_delay", m.maxresp);
            c.bytes(o, "icmpv6.reserved", &m.reserved.to_be_bytes());
            c.v6(o, "icmpv6.mld.multicast_address", m.address);
        }
        Icmpv6Data::Mldv2Query(q) => {
            // tshark shows the decoded maximum response delay (ms) and QQI (s), not the codes.
            c.num(o, "icmpv6.mld.maximum_response_code", q.max_resp_delay_ms());
            c.bytes(o, "icmpv6.reserved", &q.reserved.to_be_bytes());
            c.v6(o, "icmpv6.mld.multicast_address", q.address);
            c.num(
                o,
                "icmpv6.mld.flag",
                (q.resv << 4) | (u8::from(q.s_flg) << 3) | q.qrv,
            );
            c.flag(o, "icmpv6.mld.flag.s", q.s_flg);
            c.num(o, "icmpv6.mld.flag.qrv", q.qrv);
            c.num(o, "icmpv6.mld.flag.reserved", q.resv);
            c.num(o, "icmpv6.mld.qqi", q.qqi_secs());
            c.num(o, "icmpv6.mld.nb_sources", q.num.unwrap_or(0));
            c.list(o, "icmpv6.mld.source_address", &q.srcs, |s| s.parse().ok());
            if !q.trailing.is_empty() {
                c.miss(
                    "trailing",
                    hex(&q.trailing),
                    "(tshark: none expected from the generator)",
                );
            }
        }
        Icmpv6Data::Mldv2Report(r) => {
            c.bytes(o, "icmpv6.reserved", &r.reserved.to_be_bytes());
            c.num(o, "icmpv6.mldr.nb_mcast_records", r.record_num.unwrap_or(0));
            let recs = subtrees_with(o, "icmpv6.mldr.mar.record_type");
            if recs.len() != r.records.len() {
                c.miss("records", r.records.len(), recs.len());
                return;
            }
            for (i, (g, t)) in r.records.iter().zip(&recs).enumerate() {
                let layer = c.layer.clone();
                c.layer = format!("icmpv6.record[{i}]");
                c.num(t, "icmpv6.mldr.mar.record_type", g.type_);
                c.num(t, "icmpv6.mldr.mar.aux_data_len", g.aux_len.unwrap_or(0));
                c.num(t, "icmpv6.mldr.mar.nb_sources", g.num.unwrap_or(0));
                c.v6(t, "icmpv6.mldr.mar.multicast_address", g.address);
                c.list(t, "icmpv6.mldr.mar.source_address", &g.srcs, |s| {
                    s.parse().ok()
                });
                if !g.aux.is_empty() {
                    c.bytes(t, "icmpv6.mldr.mar.auxiliary_data", &g.aux);
                }
                c.layer = layer;
            }
            // The zero-copy records (`Icmpv6View::mldv2_records`) against tshark too.
            let Ok(view) = Icmpv6View::parse(bytes) else {
                c.miss("Icmpv6View::parse", "error", "the message");
                return;
            };
            let Some(records) = view.mldv2_records() else {
                c.miss("mldv2_records", "None", "records");
                return;
            };
            let mut n = 0;
            for (i, (g, t)) in records.zip(&recs).enumerate() {
                let layer = c.layer.clone();
                c.layer = format!("icmpv6.record_view[{i}]");
                n += 1;
                let g = match g {
                    Ok(g) => g,
                    Err(e) => {
                        c.miss("record view", format!("error: {e}"), "a record");
                        c.layer = layer;
                        break;
                    }
                };
                c.num(t, "icmpv6.mldr.mar.record_type", g.record_type());
                c.num(t, "icmpv6.mldr.mar.aux_data_len", g.aux_len());
                c.num(t, "icmpv6.mldr.mar.nb_sources", g.num_sources());
                c.v6(t, "icmpv6.mldr.mar.multicast_address", g.address());
                let srcs: Vec<Ipv6Addr> = g.sources().collect();
                c.list(t, "icmpv6.mldr.mar.source_address", &srcs, |s| {
                    s.parse().ok()
                });
                if !g.aux().is_empty() {
                    c.bytes(t, "icmpv6.mldr.mar.auxiliary_data", g.aux());
                }
                c.layer = layer;
            }
            if n != recs.len() {
                c.miss("record views", n, recs.len());
            }
        }
        Icmpv6Data::NdRouterSolicit(r) => {
            c.bytes(o, "icmpv6.reserved", &r.res.to_be_bytes());
            cmp_nd_options(c, o, &r.options);
        }
        Icmpv6Data::NdRouterAdvert(r) => {
            c.num(o, "icmpv6.nd.ra.cur_hop_limit", r.ch_l);
            c.num(o, "icmpv6.nd.ra.flag", (r.res << 6) | r.flags);
            c.num(o, "icmpv6.nd.ra.router_lifetime", r.rou_l);
            c.num(o, "icmpv6.nd.ra.reachable_time", r.rea_t);
            c.num(o, "icmpv6.nd.ra.retrans_timer", r.ret_t);
            cmp_nd_options(c, o, &r.options);
        }
        Icmpv6Data::NdNeighbor(n) => {
            if v.type_.0 == 135 {
                c.bytes(
                    o,
                    "icmpv6.reserved",
                    &((u32::from(n.res) << 29) | n.reserved).to_be_bytes(),
                );
                c.v6(o, "icmpv6.nd.ns.target_address", n.dst);
            } else {
                c.num(
                    o,
                    "icmpv6.nd.na.flag",
                    (u32::from(n.res) << 29) | n.reserved,
                );
                c.flag(o, "icmpv6.nd.na.flag.r", n.res & 4 != 0);
                c.flag(o, "icmpv6.nd.na.flag.s", n.res & 2 != 0);
                c.flag(o, "icmpv6.nd.na.flag.o", n.res & 1 != 0);
                c.v6(o, "icmpv6.nd.na.target_address", n.dst);
            }
            cmp_nd_options(c, o, &n.options);
        }
        Icmpv6Data::Raw(_) => {} // a type this crate does not decode: type, code, checksum only
        other => c.miss(
            "data",
            format!("{other:?}"),
            "an ICMPv6 body this test knows",
        ),
    }
}

fn cmp_nd_options(c: &mut Cmp, o: &Obj, ours: &[NdOption]) {
    let theirs = children(o, "icmpv6.opt");
    if theirs.len() != ours.len() {
        c.miss(
            "ND options",
            format!("{ours:?}"),
            format!("{} options", theirs.len()),
        );
        return;
    }
    for (i, (op, t)) in ours.iter().zip(theirs).enumerate() {
        let layer = c.layer.clone();
        c.layer = format!("icmpv6.opt[{i}]");
        c.num(t, "icmpv6.opt.type", op.type_);
        c.num(t, "icmpv6.opt.length", op.length.unwrap_or(0));
        if let Some(m) = op.link_addr() {
            c.mac(t, "icmpv6.opt.linkaddr", m);
        }
        match op.type_ {
            5 => c.num(t, "icmpv6.opt.mtu", be32(&op.data, 2)),
            3 => {
                c.num(
                    t,
                    "icmpv6.opt.prefix.length",
                    op.data.first().copied().unwrap_or(0),
                );
                c.num(
                    t,
                    "icmpv6.opt.prefix.flag",
                    op.data.get(1).copied().unwrap_or(0),
                );
                c.num(t, "icmpv6.opt.prefix.valid_lifetime", be32(&op.data, 2));
                c.num(t, "icmpv6.opt.prefix.preferred_lifetime", be32(&op.data, 6));
                if let Some(p) = op.data.get(14..30) {
                    c.v6(
                        t,
                        "icmpv6.opt.prefix",
                        Ipv6Addr::from(<[u8; 16]>::try_from(p).expect("16 bytes")),
                    );
                }
            }
            _ => {}
        }
        c.layer = layer;
    }
}

fn cmp_igmp(c: &mut Cmp, o: &Obj, v: &Igmp) {
    match v {
        Igmp::V2(m) => {
            c.num(o, "igmp.type", m.msgtype.0);
            // tshark calls a report of type 0x12 and a query with a zero max response time
            // IGMPv1, and shows that byte as "reserved" then.
            let v1 = m.msgtype.0 == 0x12 || (m.msgtype.0 == 0x11 && m.maxresp == 0);
            c.num(o, "igmp.version", if v1 { 1u8 } else { 2 });
            c.num(
                o,
                if v1 { "igmp.reserved" } else { "igmp.max_resp" },
                m.maxresp,
            );
            c.num(o, "igmp.checksum", m.csum.unwrap_or(0));
            c.v4(o, "igmp.maddr", m.address);
            if !m.additional.is_empty() {
                c.miss(
                    "additional data",
                    hex(&m.additional),
                    "(none expected from the generator)",
                );
            }
        }
        Igmp::V3Query(q) => {
            c.num(o, "igmp.version", 3u8);
            c.num(o, "igmp.type", 0x11u8);
            // tshark shows the decoded max response time (1/10 s) and the raw QQIC; it does not
            // show the 4 reserved bits.
            let tenths = max_resp_code_to_duration(q.maxresp).as_millis() / 100;
            c.num(o, "igmp.max_resp", u64::try_from(tenths).expect("small"));
            c.num(o, "igmp.checksum", q.csum.unwrap_or(0));
            c.v4(o, "igmp.maddr", q.address);
            c.flag(o, "igmp.s", q.s_flg);
            c.num(o, "igmp.qrv", q.qrv);
            c.num(o, "igmp.qqic", q.qqic);
            c.num(o, "igmp.num_src", q.num.unwrap_or(0));
            c.list(o, "igmp.saddr", &q.srcs, |s| s.parse().ok());
            if !q.additional.is_empty() {
                c.miss(
                    "additional data",
                    hex(&q.additional),
                    "(none expected from the generator)",
                );
            }
        }
        Igmp::V3Report(r) => {
            c.num(o, "igmp.version", 3u8);
            c.num(o, "igmp.type", 0x22u8);
            let res: Vec<Hex> = vec![
                Hex(vec![r.reserved1]),
                Hex(r.reserved2.to_be_bytes().to_vec()),
            ];
            c.list(o, "igmp.reserved", &res, |s| parse_bytes(s).map(Hex));
            c.num(o, "igmp.checksum", r.csum.unwrap_or(0));
            c.num(o, "igmp.num_grp_recs", r.record_num.unwrap_or(0));
            let recs = subtrees_with(o, "igmp.record_type");
            if recs.len() != r.records.len() {
                c.miss("group records", r.records.len(), recs.len());
                return;
            }
            for (i, (g, t)) in r.records.iter().zip(recs).enumerate() {
                let layer = c.layer.clone();
                c.layer = format!("igmp.record[{i}]");
                cmp_group_record(c, t, g);
                c.layer = layer;
            }
            if !r.additional.is_empty() {
                c.miss(
                    "additional data",
                    hex(&r.additional),
                    "(none expected from the generator)",
                );
            }
        }
        Igmp::Unknown(u) => {
            // tshark decodes nothing of an unknown type but its type; the rest is igmp.data.
            c.num(o, "igmp.type", u.msgtype.0);
            let mut rest = vec![u.maxresp];
            rest.extend(u.csum.unwrap_or(0).to_be_bytes());
            rest.extend(&u.data);
            c.bytes(o, "igmp.data", &rest);
        }
        other => c.miss(
            "message",
            format!("{other:?}"),
            "an IGMP message this test knows",
        ),
    }
}

fn cmp_group_record(c: &mut Cmp, t: &Obj, g: &GroupRecord) {
    c.num(t, "igmp.record_type", g.type_.0);
    c.num(t, "igmp.aux_data_len", g.aux_len.unwrap_or(0));
    c.num(t, "igmp.num_src", g.num.unwrap_or(0));
    c.v4(t, "igmp.maddr", g.address);
    c.list(t, "igmp.saddr", &g.srcs, |s| s.parse().ok());
    if !g.aux.is_empty() {
        c.bytes(t, "igmp.aux_data", &g.aux);
    }
}

fn cmp_lacp(c: &mut Cmp, o: &Obj, v: &Lacp) {
    c.num(o, "lacp.version", v.version);
    let mut types = vec![1u64, 2, 3];
    let mut lens = vec![20u64, 20, 16];
    for t in &v.tlvs {
        types.push(u64::from(t.tlv_type.0));
        lens.push(u64::try_from(t.wire_len()).expect("small"));
    }
    types.push(0);
    lens.push(0);
    c.list(o, "lacp.tlv_type", &types, parse_num);
    c.list(o, "lacp.tlv_length", &lens, parse_num);
    let sides: [(&str, &LacpInfo, [u8; 3]); 2] = [
        ("actor", &v.actor, v.reserved.actor),
        ("partner", &v.partner, v.reserved.partner),
    ];
    for (side, info, reserved) in sides {
        let f = |n: &str| format!("lacp.{side}.{n}");
        c.num(o, &f("sys_priority"), info.system_priority);
        c.mac(o, &f("sysid"), info.system);
        c.num(o, &f("key"), info.key);
        c.num(o, &f("port_priority"), info.port_priority);
        c.num(o, &f("port"), info.port);
        c.num(o, &f("state"), info.state.0);
        let st: LacpState = info.state;
        for (name, bit) in [
            ("activity", st.activity()),
            ("timeout", st.timeout()),
            ("aggregation", st.aggregation()),
            ("synchronization", st.synchronization()),
            ("collecting", st.collecting()),
            ("distributing", st.distributing()),
            ("defaulted", st.defaulted()),
            ("expired", st.expired()),
        ] {
            c.flag(o, &f(&format!("state.{name}")), bit);
        }
        c.bytes(o, &f("reserved"), &reserved);
    }
    c.num(o, "lacp.collector.max_delay", v.collector_max_delay);
    c.bytes(o, "lacp.coll_reserved", &v.reserved.collector);
    c.bytes(o, "lacp.pad", &v.reserved.terminator);
}

fn cmp_marker(c: &mut Cmp, o: &Obj, v: &Marker) {
    c.num(o, "marker.version", v.version);
    c.list(
        o,
        "marker.tlvType",
        &[u64::from(v.tlv_type.0), 0],
        parse_num,
    );
    c.list(o, "marker.tlvLen", &[16u64, 0], parse_num);
    c.num(o, "marker.requesterPort", v.requester_port);
    c.mac(o, "marker.requesterSystem", v.requester_system);
    c.num(o, "marker.requesterTransId", v.requester_transaction_id);
    c.num(o, "marker.requesterPad", u16::from_be_bytes(v.pad));
    c.bytes(o, "marker.reserved", &v.reserved);
}

/// An LLDP string or ID as tshark shows it: `aa:bb:..` bytes, or text.
fn id_bytes(s: &str) -> Vec<u8> {
    let looks_hex = s
        .split(':')
        .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()));
    if looks_hex {
        parse_bytes(s).unwrap_or_default()
    } else {
        s.as_bytes().to_vec()
    }
}

fn cmp_lldp(c: &mut Cmp, o: &Obj, v: &Lldp) {
    let theirs = subtrees_with(o, "lldp.tlv.type");
    if theirs.len() != v.tlvs.len() {
        let ours: Vec<u8> = v.tlvs.iter().map(|t| t.tlv_type().0).collect();
        let th: Vec<&str> = theirs
            .iter()
            .filter_map(|t| first(t, "lldp.tlv.type"))
            .collect();
        c.miss("TLV types", format!("{ours:?}"), format!("{th:?}"));
        return;
    }
    for (i, (tlv, t)) in v.tlvs.iter().zip(theirs).enumerate() {
        let layer = c.layer.clone();
        c.layer = format!("lldp.tlv[{i}]");
        c.num(t, "lldp.tlv.type", tlv.tlv_type().0);
        c.num(
            t,
            "lldp.tlv.len",
            u64::try_from(tlv.info_len()).expect("small"),
        );
        // An ID: tshark decodes MAC and IPv4 IDs, shows the others as bytes or text.
        let id = |c: &mut Cmp, what: &str, ours: &[u8]| {
            let mac = format!("lldp.{what}.id.mac");
            let ip4 = format!("lldp.{what}.id.ip4");
            let raw = format!("lldp.{what}.id");
            if first(t, &mac).is_some() {
                c.check(&mac, Hex(ours.to_vec()), first(t, &mac), |s| {
                    s.parse::<MacAddr>().ok().map(|m| Hex(m.0.to_vec()))
                });
            } else if first(t, &ip4).is_some() {
                // network address IDs: an address family octet, then the address
                c.num(
                    t,
                    "lldp.network_address.subtype",
                    ours.first().copied().unwrap_or(0),
                );
                c.check(
                    &ip4,
                    Hex(ours.get(1..).unwrap_or(&[]).to_vec()),
                    first(t, &ip4),
                    |s| s.parse::<Ipv4Addr>().ok().map(|a| Hex(a.octets().to_vec())),
                );
            } else {
                c.check(&raw, Hex(ours.to_vec()), first(t, &raw), |s| {
                    Some(Hex(id_bytes(s)))
                });
            }
        };
        match tlv {
            LldpTlv::End => {}
            LldpTlv::ChassisId {
                subtype,
                chassis_id,
            } => {
                c.num(t, "lldp.chassis.subtype", subtype.0);
                id(c, "chassis", chassis_id);
            }
            LldpTlv::PortId { subtype, port_id } => {
                c.num(t, "lldp.port.subtype", subtype.0);
                id(c, "port", port_id);
            }
            LldpTlv::Ttl { ttl } => c.num(t, "lldp.time_to_live", *ttl),
            LldpTlv::PortDescription { port_description } => {
                c.check(
                    "lldp.port.desc",
                    Hex(port_description.clone()),
                    first(t, "lldp.port.desc"),
                    |s| Some(Hex(id_bytes(s))),
                );
            }
            LldpTlv::SystemName { system_name } => {
                c.check(
                    "lldp.tlv.system.name",
                    Hex(system_name.clone()),
                    first(t, "lldp.tlv.system.name"),
                    |s| Some(Hex(id_bytes(s))),
                );
            }
            LldpTlv::SystemDescription { system_description } => {
                c.check(
                    "lldp.tlv.system.desc",
                    Hex(system_description.clone()),
                    first(t, "lldp.tlv.system.desc"),
                    |s| Some(Hex(id_bytes(s))),
                );
            }
            LldpTlv::SystemCapabilities {
                system_cap,
                enabled_cap,
            } => {
                c.num(t, "lldp.tlv.system_cap", *system_cap);
                c.num(t, "lldp.tlv.enable_system_cap", *enabled_cap);
            }
            LldpTlv::ManagementAddress {
                addr_subtype,
                addr,
                intf_subtype,
                intf_num,
                oid,
            } => {
                c.num(
                    t,
                    "lldp.mgn.address.len",
                    u64::try_from(addr.len() + 1).expect("small"),
                );
                c.num(t, "lldp.mgn.address.subtype", *addr_subtype);
                if *addr_subtype == 1 && addr.len() == 4 {
                    c.v4(
                        t,
                        "lldp.mgn.addr.ip4",
                        Ipv4Addr::from(<[u8; 4]>::try_from(addr.as_slice()).expect("4 bytes")),
                    );
                }
                c.num(t, "lldp.mgn.interface.subtype", *intf_subtype);
                c.num(t, "lldp.mgn.interface.number", *intf_num);
                c.num(
                    t,
                    "lldp.mgn.obj.len",
                    u64::try_from(oid.len()).expect("small"),
                );
            }
            LldpTlv::OrganizationallySpecific { oui, subtype, info } => {
                c.num(
                    t,
                    "lldp.orgtlv.oui",
                    u32::from_be_bytes([0, oui[0], oui[1], oui[2]]),
                );
                if *oui == [0x00, 0x80, 0xc2] {
                    // IEEE 802.1
                    c.num(t, "lldp.ieee.802_1.subtype", *subtype);
                    if *subtype == 1 {
                        c.num(t, "lldp.ieee.802_1.port_vlan.id", be16(info, 0));
                    }
                } else if first(t, "lldp.unknown_subtype").is_some() {
                    c.num(t, "lldp.unknown_subtype", *subtype);
                    if !info.is_empty() {
                        c.bytes(t, "lldp.unknown_subtype.content", info);
                    }
                }
            }
            LldpTlv::Other { .. } => {} // type and length only
            other => c.miss("TLV", format!("{other:?}"), "an LLDP TLV this test knows"),
        }
        c.layer = layer;
    }
}

// ------------------------------------------------------------------------------------------
// JSON, with object keys kept in order and duplicates kept (tshark repeats keys for repeated
// fields, and the order of options and records matters).

#[derive(Debug, Clone)]
enum J {
    Str(String),
    Other,
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

type Obj = [(String, J)];

impl J {
    fn obj(&self) -> Option<&Obj> {
        match self {
            J::Obj(o) => Some(o),
            _ => None,
        }
    }

    fn str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }

    fn get(&self, key: &str) -> Option<&J> {
        self.obj()?.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// A nested protocol inside a layer's tree (`ip` and `udp` in an ICMP error, `data`): field
/// lookups do not descend into it.
fn is_protocol_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

/// Every value of `name` in `o` and its subtrees (not in nested protocols), in order.
fn all<'a>(o: &'a Obj, name: &str) -> Vec<&'a str> {
    fn walk<'a>(o: &'a Obj, name: &str, out: &mut Vec<&'a str>) {
        for (k, v) in o {
            match v {
                J::Str(s) if k == name => out.push(s),
                J::Arr(a) if k == name => out.extend(a.iter().filter_map(J::str)),
                J::Obj(c) if !is_protocol_key(k) => walk(c, name, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(o, name, &mut out);
    out
}

fn first<'a>(o: &'a Obj, name: &str) -> Option<&'a str> {
    all(o, name).into_iter().next()
}

/// The direct child object `key` of `o`.
fn child<'a>(o: &'a Obj, key: &str) -> Option<&'a Obj> {
    o.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.obj())
}

/// Every object named `key` in `o` and its subtrees (not in nested protocols), in order.
fn children<'a>(o: &'a Obj, key: &str) -> Vec<&'a Obj> {
    fn walk<'a>(o: &'a Obj, key: &str, out: &mut Vec<&'a Obj>) {
        for (k, v) in o {
            if let J::Obj(c) = v {
                if k == key {
                    out.push(c);
                } else if !is_protocol_key(k) {
                    walk(c, key, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(o, key, &mut out);
    out
}

/// The subtrees of `o` (at any depth) that hold `field` directly, in order: the group records
/// of an IGMPv3 or MLDv2 report, say, which tshark puts under text labels.
fn subtrees_with<'a>(o: &'a Obj, field: &str) -> Vec<&'a Obj> {
    fn walk<'a>(o: &'a Obj, field: &str, out: &mut Vec<&'a Obj>) {
        for (k, v) in o {
            if let J::Obj(c) = v {
                if c.iter().any(|(k2, _)| k2 == field) {
                    out.push(c);
                } else if !is_protocol_key(k) {
                    walk(c, field, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(o, field, &mut out);
    out
}

fn parse_json(s: &str) -> Result<J, String> {
    let mut p = JsonParser {
        b: s.as_bytes(),
        i: 0,
    };
    let v = p.value()?;
    p.ws();
    if p.i != p.b.len() {
        return Err(format!("trailing characters at {}", p.i));
    }
    Ok(v)
}

struct JsonParser<'a> {
    b: &'a [u8],
    i: usize,
}

impl JsonParser<'_> {
    fn ws(&mut self) {
        while self.b.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn err(&self, what: &str) -> String {
        format!("JSON: {what} at byte {}", self.i)
    }

    fn eat(&mut self, c: u8) -> Result<(), String> {
        self.ws();
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err(&format!("expected {:?}", c as char)))
        }
    }

    fn value(&mut self) -> Result<J, String> {
        self.ws();
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut o = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(J::Obj(o));
                }
                loop {
                    self.ws();
                    let k = self.string()?;
                    self.eat(b':')?;
                    o.push((k, self.value()?));
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(J::Obj(o));
                        }
                        _ => return Err(self.err("expected , or }")),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut a = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(J::Arr(a));
                }
                loop {
                    a.push(self.value()?);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(J::Arr(a));
                        }
                        _ => return Err(self.err("expected , or ]")),
                    }
                }
            }
            Some(b'"') => Ok(J::Str(self.string()?)),
            Some(_) => {
                // number, true, false, null: not used by the comparisons
                while self
                    .b
                    .get(self.i)
                    .is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
                {
                    self.i += 1;
                }
                Ok(J::Other)
            }
            None => Err(self.err("unexpected end")),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        if self.b.get(self.i) != Some(&b'"') {
            return Err(self.err("expected a string"));
        }
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return Err(self.err("unterminated string"));
            };
            self.i += 1;
            match c {
                b'"' => return Ok(String::from_utf8_lossy(&out).into_owned()),
                b'\\' => {
                    let Some(&e) = self.b.get(self.i) else {
                        return Err(self.err("bad escape"));
                    };
                    self.i += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let mut cp = self.hex4()?;
                            if (0xd800..0xdc00).contains(&cp)
                                && self.b.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                cp = 0x10000
                                    + ((cp - 0xd800) << 10)
                                    + (lo.wrapping_sub(0xdc00) & 0x3ff);
                            }
                            let ch = char::from_u32(cp).unwrap_or('\u{fffd}');
                            out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self
            .b
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.err("short \\u escape"))?;
        self.i += 4;
        u32::from_str_radix(
            core::str::from_utf8(h).map_err(|_| self.err("bad \\u"))?,
            16,
        )
        .map_err(|_| self.err("bad \\u"))
    }
}
