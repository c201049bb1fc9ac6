//! Flow and metric definitions in the XML sFlow-RT's users keep, the configuration file, and
//! the binary loading them at start.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::indexing_slicing, clippy::std_instead_of_core)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use sdnwire_collector::collector::FlowSpec;
use sdnwire_collector::config::{parse_flows, parse_metrics, Config, ConfigError};
use serde_json::json;

const FLOWS: &str = r#"<?xml version="1.0"?>
<flows>
  <flow name="tcp1" keys="ipsource,ipdestination,tcpsourceport,tcpdestinationport" value="frames" filter="ipsource=192.168.16.10&amp;ipdestination=192.168.16.11"/>
  <flow name="flood3" keys="ipdestination" value="frames" n="10" t="5"/>
</flows>
"#;

const METRICS: &str = "<metrics>flood3,tcp1,sum:ifinpkts,avg:ifinpkts,max:ifinerrors</metrics>";

#[test]
fn flows_and_metrics_files_read() {
    let flows = parse_flows("flows.xml", FLOWS).unwrap();
    assert_eq!(flows.len(), 2);
    assert_eq!(flows[0].0, "tcp1");
    assert_eq!(
        flows[0].1,
        FlowSpec {
            keys: "ipsource,ipdestination,tcpsourceport,tcpdestinationport".into(),
            value: "frames".into(),
            // `&amp;` is the XML for sFlow-RT's `&` (and).
            filter: Some("ipsource=192.168.16.10&ipdestination=192.168.16.11".into()),
            n: 5,
            t: 2.0,
        }
    );
    assert_eq!((flows[1].1.n, flows[1].1.t), (10, 5.0));
    assert_eq!(
        parse_metrics("metrics.xml", METRICS).unwrap(),
        [
            "flood3",
            "tcp1",
            "sum:ifinpkts",
            "avg:ifinpkts",
            "max:ifinerrors"
        ]
    );
}

fn err(r: Result<impl core::fmt::Debug, ConfigError>) -> ConfigError {
    r.expect_err("expected an error")
}

#[test]
fn errors_name_the_file_line_column_and_attribute() {
    // An unknown key: the position is the `keys` attribute's value on line 3.
    let text = "<flows>\n  <flow name=\"a\" keys=\"ipsource\"/>\n  <flow name=\"b\"\n        keys=\"ipsource,ipdest\"/>\n</flows>";
    let e = err(parse_flows("f.xml", text));
    assert_eq!((e.line, e.column), (4, 15), "{e}");
    assert_eq!(
        e.to_string(),
        "f.xml:4:15: <flow> attribute `keys`: flow `b`: keys: unknown key `ipdest` at offset 9"
    );
    // A bad filter, a bad value, a bad number.
    let e = err(parse_flows(
        "f.xml",
        "<flows><flow name=\"a\" keys=\"ipsource\" filter=\"ipsource=\"/></flows>",
    ));
    assert!(
        e.to_string()
            .starts_with("f.xml:1:47: <flow> attribute `filter`: flow `a`: filter: "),
        "{e}"
    );
    let e = err(parse_flows(
        "f.xml",
        "<flows><flow name=\"a\" keys=\"ipsource\" value=\"pkts\"/></flows>",
    ));
    assert!(e.to_string().contains("attribute `value`"), "{e}");
    let e = err(parse_flows(
        "f.xml",
        "<flows><flow name=\"a\" keys=\"ipsource\" n=\"many\"/></flows>",
    ));
    assert_eq!(
        e.to_string(),
        "f.xml:1:42: <flow> attribute `n`: expected a count, got `many`"
    );
    // Missing and unknown attributes, duplicates, wrong elements.
    let e = err(parse_flows(
        "f.xml",
        "<flows>\n<flow keys=\"ipsource\"/></flows>",
    ));
    assert_eq!(
        e.to_string(),
        "f.xml:2:1: <flow>: attribute `name` is required"
    );
    let e = err(parse_flows(
        "f.xml",
        "<flows><flow name=\"a\" keys=\"ipsource\" vlaue=\"bytes\"/></flows>",
    ));
    assert!(e.to_string().contains("unknown attribute `vlaue`"), "{e}");
    let e = err(parse_flows(
        "f.xml",
        "<flows><flow name=\"a\" keys=\"ipsource\"/><flow name=\"a\" keys=\"ipsource\"/></flows>",
    ));
    assert!(e.to_string().contains("flow `a` is defined twice"), "{e}");
    let e = err(parse_flows("f.xml", "<flows><flo name=\"a\"/></flows>"));
    assert!(e.to_string().contains("unexpected element <flo>"), "{e}");
    let e = err(parse_flows("f.xml", "<flow name=\"a\" keys=\"ipsource\"/>"));
    assert!(
        e.to_string()
            .contains("expected <flows> as the root element"),
        "{e}"
    );
    // Not well-formed XML: the parser's position.
    let e = err(parse_flows(
        "f.xml",
        "<flows>\n  <flow name=\"a\" keys=\"x\">\n</flows>",
    ));
    assert_eq!(e.line, 3, "{e}");
    assert!(e.to_string().contains("not well-formed XML"), "{e}");
    // Metrics: a bad aggregate or an element inside.
    let e = err(parse_metrics(
        "m.xml",
        "<metrics>tcp1,\n median:ifinpkts</metrics>",
    ));
    assert!(
        e.to_string()
            .contains("`median:ifinpkts`: unknown aggregate `median:`"),
        "{e}"
    );
    let e = err(parse_metrics("m.xml", "<metrics><m/></metrics>"));
    assert!(e.to_string().contains("not elements"), "{e}");
}

#[test]
fn configuration_file() {
    let c = Config::parse(
        "c.xml",
        &format!(
            r#"<collector>
  <sflow listen="127.0.0.1:16343"/>
  <sflow listen="[::1]:16343"/>
  <http listen="127.0.0.1:18008" max-body="4096" max-connections="8" header-timeout="2.5"/>
  <log level="debug"/>
  <engine max-agents="10" metric-timeout="30"/>
  {}
  {METRICS}
  <graphite server="127.0.0.1:2003" prefix="net" interval="5" per-agent="true" buffer="100"/>
</collector>"#,
            FLOWS.trim_start_matches("<?xml version=\"1.0\"?>\n")
        ),
    )
    .unwrap();
    assert_eq!(c.sflow_listen.len(), 2);
    assert!(c.sflow_listen[1].is_ipv6());
    assert_eq!(c.http_listen.port(), 18008);
    assert_eq!((c.max_body, c.max_connections), (4096, 8));
    assert_eq!(c.header_timeout.as_millis(), 2500);
    assert_eq!(c.engine.max_agents, 10);
    assert_eq!(c.flows.len(), 2);
    assert_eq!(c.metrics.len(), 5);
    let g = c.graphite.unwrap();
    assert_eq!(
        (
            g.prefix.as_str(),
            g.interval.as_secs(),
            g.per_agent,
            g.buffer
        ),
        ("net", 5, true, 100)
    );
    // Defaults.
    let d = Config::parse("c.xml", "<collector/>").unwrap();
    assert_eq!(d.http_listen.to_string(), "127.0.0.1:8008");
    assert_eq!(d.sflow_listen[0].to_string(), "0.0.0.0:6343");
    assert!(d.graphite.is_none());
    let e = err(Config::parse(
        "c.xml",
        "<collector>\n  <http listen=\"localhost\"/>\n</collector>",
    ));
    assert_eq!(
        e.to_string(),
        "c.xml:2:17: <http> attribute `listen`: expected an address such as 127.0.0.1:8008, got `localhost`"
    );
    let e = err(Config::parse("c.xml", "<collector><snmp/></collector>"));
    assert!(e.to_string().contains("unknown element <snmp>"), "{e}");
}

/// The binary: `--flows` applies the definitions as `PUT /flow` would; a bad file stops it
/// with the file, line and attribute.
#[test]
fn binary_loads_definitions_at_start() {
    let dir = std::env::temp_dir().join(format!("sflow-collector-xml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let flows = dir.join("flows.xml");
    let metrics = dir.join("metrics.xml");
    std::fs::write(&flows, FLOWS).unwrap();
    std::fs::write(&metrics, METRICS).unwrap();
    let bin = env!("CARGO_BIN_EXE_sflow-collector");
    let mut child = Command::new(bin)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--http",
            "127.0.0.1:0",
            "--flows",
        ])
        .arg(&flows)
        .arg("--metrics")
        .arg(&metrics)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the collector says where it listens")
            .unwrap();
        if let Some(a) = line.strip_prefix("sflow-collector: info: REST API on http://") {
            break a.parse().unwrap();
        }
    };
    let all = common::get(addr, "/flows/json").json();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        all,
        json!({
            "flood3": {"keys": "ipdestination", "value": "frames", "n": 10, "t": 5.0},
            "tcp1": {
                "keys": "ipsource,ipdestination,tcpsourceport,tcpdestinationport",
                "value": "frames",
                "filter": "ipsource=192.168.16.10&ipdestination=192.168.16.11",
                "n": 5,
                "t": 2.0
            }
        })
    );
    // A bad definitions file: exit status 2, the error on stderr.
    std::fs::write(
        &flows,
        "<flows>\n<flow name=\"x\" keys=\"nokey\"/>\n</flows>",
    )
    .unwrap();
    let out = Command::new(bin)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--http",
            "127.0.0.1:0",
            "--flows",
        ])
        .arg(&flows)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("flows.xml:2:22: <flow> attribute `keys`: flow `x`: keys: unknown key `nokey` at offset 0"),
        "{stderr}"
    );
    // --help works and exits 0.
    let out = Command::new(bin).arg("--help").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("--flows <FILE>"));
    let _ = std::fs::remove_dir_all(&dir);
}
