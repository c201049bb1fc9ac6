//! The page on `GET /` and `GET /ui/`: served as HTML, loading nothing from elsewhere; and, in a
//! real browser (Debian's headless Chromium), drawing the top flows and interface rates from
//! datagrams sent to the collector. The browser test is skipped loudly when `chromium` is
//! missing (a failure under CI=true).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::indexing_slicing, clippy::std_instead_of_core)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::*;
use sdnwire_collector::config::Config;
use sdnwire_testkit::{require, Peer};

#[test]
fn page_is_html_and_loads_nothing_from_elsewhere() {
    let svc = start(Config::default());
    let a = svc.http_addr;
    let root = get(a, "/");
    assert_eq!(root.status, 200);
    assert_eq!(
        root.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let ui = get(a, "/ui/");
    assert_eq!(ui.status, 200);
    assert_eq!(ui.body, root.body);
    assert_eq!(request(a, "POST", "/", Some("")).status, 405);
    let html = String::from_utf8(root.body).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // No external script, style, image, font or frame; no other origin named anywhere except
    // the SVG namespace (an identifier, never fetched).
    for banned in [
        "src=",
        "href=",
        "<link",
        "@import",
        "url(",
        "<iframe",
        "XMLHttpRequest",
    ] {
        assert!(!html.contains(banned), "`{banned}` in the page");
    }
    let other_origins: Vec<&str> = html
        .match_indices("://")
        .map(|(i, _)| &html[i.saturating_sub(8)..(i + 30).min(html.len())])
        .filter(|s| !s.contains("http://www.w3.org/2000/svg"))
        .collect();
    assert!(other_origins.is_empty(), "{other_origins:?}");
    // Every request goes through `api(path)` with an absolute same-origin path; `fetch` is
    // called in that one place only.
    assert_eq!(html.matches("fetch(").count(), 1);
    let calls: Vec<&str> = html
        .match_indices("api(")
        .map(|(i, _)| &html[i + 4..])
        .filter(|rest| !rest.starts_with("path)")) // the definition
        .collect();
    assert!(calls.len() >= 3, "{calls:?}");
    for rest in calls {
        assert!(
            rest.starts_with("\"/"),
            "api call not on an absolute path: {:.40}",
            rest
        );
    }
    // The paths it polls answer.
    for path in ["/flows/json", "/dump/ALL/ifinoctets/json"] {
        assert_eq!(get(a, path).status, 200, "{path}");
    }
}

/// A folder removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs headless Chromium on `url` with `args`, killed after 120 s; returns its stdout.
fn chromium(profile: &Path, args: &[&str], url: &str) -> String {
    let mut child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--hide-scrollbars",
            "--window-size=1000,900",
            "--virtual-time-budget=12000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).unwrap();
        s
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium {args:?}: {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium {args:?} did not finish within 120 s");
        }
        sleep(Duration::from_millis(100));
    }
    reader.join().unwrap()
}

/// The `d` attributes of the `<path class="series">` elements in `svg` (serialized DOM).
fn series_paths(svg: &str) -> Vec<String> {
    svg.match_indices("<path class=\"series\" d=\"")
        .map(|(i, m)| {
            let rest = &svg[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// A PNG's width, height and RGB(A) pixels (8-bit RGB or RGBA, non-interlaced: what
/// Chromium writes), with the five PNG row filters undone.
fn decode_png(png: &[u8]) -> (usize, usize, usize, Vec<u8>) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let mut at = 8;
    let (mut w, mut h, mut channels) = (0, 0, 0);
    let mut idat = Vec::new();
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        let kind = &png[at + 4..at + 8];
        let data = &png[at + 8..at + 8 + len];
        match kind {
            b"IHDR" => {
                w = u32::from_be_bytes(data[0..4].try_into().unwrap()) as usize;
                h = u32::from_be_bytes(data[4..8].try_into().unwrap()) as usize;
                assert_eq!(data[8], 8, "bit depth");
                channels = match data[9] {
                    2 => 3,
                    6 => 4,
                    t => panic!("PNG colour type {t}"),
                };
                assert_eq!(data[12], 0, "interlaced");
            }
            b"IDAT" => idat.extend_from_slice(data),
            _ => {}
        }
        at += 12 + len;
    }
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&idat).unwrap();
    let stride = w * channels;
    assert_eq!(raw.len(), h * (stride + 1));
    let mut out = vec![0u8; h * stride];
    for y in 0..h {
        let filter = raw[y * (stride + 1)];
        let line = &raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)];
        for x in 0..stride {
            let a = if x >= channels {
                out[y * stride + x - channels] as i16
            } else {
                0
            };
            let b = if y > 0 {
                out[(y - 1) * stride + x] as i16
            } else {
                0
            };
            let c = if y > 0 && x >= channels {
                out[(y - 1) * stride + x - channels] as i16
            } else {
                0
            };
            let pred = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => {
                    let p = a + b - c;
                    let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                f => panic!("PNG filter {f}"),
            };
            out[y * stride + x] = line[x].wrapping_add(u8::try_from(pred).unwrap());
        }
    }
    (w, h, channels, out)
}

#[test]
fn page_charts_flows_and_interfaces_in_headless_chromium() {
    require!(Peer::Tool("chromium"));
    let svc = start(Config::default());
    let a = svc.http_addr;
    let to = svc.sflow_addrs[0];
    let r = request(
        a,
        "PUT",
        "/flow/pairs/json",
        Some(r#"{"keys":"ipsource,ipdestination","value":"bytes"}"#),
    );
    assert_eq!(r.status, 204);

    // An agent that keeps sending while the browser polls: two TCP flows 3:1 on ifindex 1 and
    // counters of ifindex 1 growing by 125 000 octets per 100 ms (1.25 MB/s).
    let stop = Arc::new(AtomicBool::new(false));
    let sender = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let sock = agent_socket();
            let big = tcp_frame([10, 0, 0, 1], [10, 0, 0, 2], 40000, 80);
            let small = tcp_frame([10, 0, 0, 3], [10, 0, 0, 4], 40001, 443);
            let mut seq = 0u32;
            let mut counters = 0u32;
            while !stop.load(Ordering::Relaxed) {
                seq += 1;
                let f = if seq % 4 == 0 { &small } else { &big };
                let mut samples = vec![flow_sample(seq, 1, 100, f, 1000)];
                if seq % 10 == 0 {
                    counters += 1;
                    samples.push(counter_sample(
                        counters,
                        1,
                        u64::from(counters) * 125_000,
                        counters * 100,
                        0,
                    ));
                }
                sock.send_to(&datagram("192.0.2.1", seq, seq * 10, samples), to)
                    .unwrap();
                sleep(Duration::from_millis(10));
            }
        })
    };
    // Data is there before the browser starts.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let f = get(a, "/activeflows/ALL/pairs/json").json();
        let d = get(a, "/dump/ALL/ifinoctets/json").json();
        if !f.as_array().unwrap().is_empty() && !d.as_array().unwrap().is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "no flows or counters: {f} {d}");
        sleep(Duration::from_millis(100));
    }

    let dir = std::env::temp_dir().join(format!("collector-ui-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let dir = TempDir(dir);
    let url = format!("http://{a}/ui/");

    // 1. The DOM after 12 s of the page's (virtual) time: both charts hold series with several
    //    points each, and the legends name the flows and the interface.
    let dom = chromium(&dir.0.join("profile-dom"), &["--dump-dom"], &url);
    let flows_at = dom
        .find("<svg id=\"flows\"")
        .expect("flows chart in the DOM");
    let ifaces_at = dom
        .find("<svg id=\"ifaces\"")
        .expect("interfaces chart in the DOM");
    let flows_svg = &dom[flows_at..ifaces_at];
    let ifaces_svg = &dom[ifaces_at..];
    let flow_paths = series_paths(flows_svg);
    let iface_paths = series_paths(ifaces_svg);
    assert_eq!(flow_paths.len(), 2, "two flows drawn: {flows_svg:.2000}");
    assert_eq!(
        iface_paths.len(),
        1,
        "one interface drawn: {ifaces_svg:.2000}"
    );
    for d in flow_paths.iter().chain(&iface_paths) {
        let points = d.matches(['M', 'L']).count();
        assert!(points >= 3, "a line of {points} points: {d}");
    }
    assert!(dom.contains("10.0.0.1,10.0.0.2"), "flow key in the legend");
    assert!(dom.contains("10.0.0.3,10.0.0.4"), "flow key in the legend");
    assert!(
        dom.contains("192.0.2.1 ifindex 1"),
        "interface in the legend"
    );
    assert!(
        dom.contains("updated "),
        "status line says the last poll worked"
    );

    // 2. The screenshot: a PNG of the window's size in which the first series' colour
    //    (#1f77b4) is actually painted, among many colours (text, axes, lines).
    let shot = dir.0.join("page.png");
    chromium(
        &dir.0.join("profile-shot"),
        &[&format!("--screenshot={}", shot.display())],
        &url,
    );
    stop.store(true, Ordering::Relaxed);
    sender.join().unwrap();
    let png = std::fs::read(&shot).unwrap();
    let (w, h, channels, pixels) = decode_png(&png);
    assert_eq!((w, h), (1000, 900));
    let mut colours = std::collections::HashSet::new();
    let mut first_series = 0usize;
    for p in pixels.chunks_exact(channels) {
        colours.insert((p[0], p[1], p[2]));
        if (p[0], p[1], p[2]) == (0x1f, 0x77, 0xb4) {
            first_series += 1;
        }
    }
    assert!(
        colours.len() > 20,
        "{} colours: a blank page?",
        colours.len()
    );
    assert!(
        first_series > 100,
        "{first_series} pixels of the first series' colour"
    );
}
