//! sFlow-RT's REST API, end to end: a collector on 127.0.0.1, datagrams built with
//! `sdnwire-sflow` sent over UDP loopback, requests made over `TcpStream`, answers checked key
//! by key against the shapes sFlow-RT's REST reference (sflow-rt.com/reference.php) and its
//! users' clients document.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::indexing_slicing, clippy::cast_possible_truncation)]
#![allow(clippy::std_instead_of_core)]

mod common;

use std::thread::sleep;
use std::time::{Duration, Instant};

use common::*;
use sdnwire_collector::config::Config;
use serde_json::{json, Value};

/// The keys of a JSON object, sorted.
fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

/// Waits until `f` holds (the collector takes UDP datagrams asynchronously).
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        sleep(Duration::from_millis(20));
    }
}

#[test]
fn flow_definitions_put_get_list_delete() {
    let svc = start(Config::default());
    let a = svc.http_addr;
    let body = r#"{"keys": "ipsource,ipdestination,tcpsourceport,tcpdestinationport", "value": "frames", "filter": "ipsource=192.168.16.10&ipdestination=192.168.16.11"}"#;
    let r = request(a, "PUT", "/flow/tcp1/json", Some(body));
    assert_eq!(r.status, 204, "{:?}", String::from_utf8_lossy(&r.body));
    // GET /flow/{name}/json answers the definition with sFlow-RT's defaults filled in
    // (n 5, t 2).
    let r = get(a, "/flow/tcp1/json");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.json(),
        json!({
            "keys": "ipsource,ipdestination,tcpsourceport,tcpdestinationport",
            "value": "frames",
            "filter": "ipsource=192.168.16.10&ipdestination=192.168.16.11",
            "n": 5,
            "t": 2.0
        })
    );
    // n and t are clamped to sFlow-RT's ranges (5..20, 0.2..600 s); value defaults to bytes.
    let r = request(
        a,
        "PUT",
        "/flow/pairs/json",
        Some(r#"{"keys":"ipsource,ipdestination","n":100,"t":0.01}"#),
    );
    assert_eq!(r.status, 204);
    assert_eq!(
        get(a, "/flow/pairs/json").json(),
        json!({"keys": "ipsource,ipdestination", "value": "bytes", "n": 20, "t": 0.2})
    );
    // GET /flows/json: every definition by name.
    let all = get(a, "/flows/json").json();
    assert_eq!(keys(&all), ["pairs", "tcp1"]);
    assert_eq!(all["tcp1"]["value"], "frames");
    // PUT replaces.
    let r = request(
        a,
        "PUT",
        "/flow/pairs/json",
        Some(r#"{"keys":"ipsource","value":"avg:framelength"}"#),
    );
    assert_eq!(r.status, 204);
    assert_eq!(
        get(a, "/flow/pairs/json").json()["value"],
        "avg:framelength"
    );
    // A definition the engine refuses changes nothing: the old one stays.
    let r = request(
        a,
        "PUT",
        "/flow/pairs/json",
        Some(r#"{"keys":"ipsource,nosuchkey"}"#),
    );
    assert_eq!(r.status, 400);
    let e = r.json();
    assert_eq!(keys(&e), ["error", "status"]);
    assert_eq!(e["status"], 400);
    assert_eq!(
        e["error"],
        "flow `pairs`: keys: unknown key `nosuchkey` at offset 9"
    );
    assert_eq!(get(a, "/flow/pairs/json").json()["keys"], "ipsource");
    // DELETE, then it is gone.
    assert_eq!(request(a, "DELETE", "/flow/pairs/json", None).status, 204);
    assert_eq!(get(a, "/flow/pairs/json").status, 404);
    assert_eq!(request(a, "DELETE", "/flow/pairs/json", None).status, 404);
    assert_eq!(keys(&get(a, "/flows/json").json()), ["tcp1"]);
}

#[test]
fn bad_definitions_are_400_with_the_reason() {
    let svc = start(Config::default());
    let a = svc.http_addr;
    for (body, error) in [
        ("not json", "the body is not JSON"),
        ("[1,2]", "the body must be a JSON object"),
        (r#"{"value":"bytes"}"#, "`keys` is required"),
        (r#"{"keys":5}"#, "`keys`: expected a string"),
        (
            r#"{"keys":"ipsource","value":"median:bytes"}"#,
            "value: unknown prefix `median:`",
        ),
        (
            r#"{"keys":"ipsource","value":"packets"}"#,
            "value: unknown value `packets`",
        ),
        (r#"{"keys":"ipsource","filter":"ipsource="}"#, "filter: "),
        (
            r#"{"keys":"ipsource","n":-1}"#,
            "`n`: expected a whole number",
        ),
        (r#"{"keys":"ipsource","t":"x"}"#, "`t`: expected a number"),
        (
            r#"{"keys":"ipsource6,ipdestination6,macsource,macdestination,ipprotocol"}"#,
            "beside the agent and data source",
        ),
    ] {
        let r = request(a, "PUT", "/flow/f/json", Some(body));
        assert_eq!(r.status, 400, "{body}");
        let msg = r.json()["error"].as_str().unwrap().to_string();
        assert!(msg.contains(error), "{body}: {msg}");
    }
    let r = request(
        a,
        "PUT",
        "/flow/bad%20name/json",
        Some(r#"{"keys":"ipsource"}"#),
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("bad flow name"));
    assert_eq!(keys(&get(a, "/flows/json").json()), Vec::<&str>::new());
}

/// Two agents; agent 1 samples two TCP flows 3:1 on ifindex 1, agent 2 one flow (half the
/// small one) on ifindex 7;
/// both send counters for their interfaces one second apart.
#[test]
fn metrics_flows_and_agents_from_datagrams() {
    let svc = start(Config::default());
    let a = svc.http_addr;
    let to = svc.sflow_addrs[0];
    let r = request(
        a,
        "PUT",
        "/flow/tcp/json",
        Some(r#"{"keys":"ipsource,ipdestination","value":"bytes","t":0.2}"#),
    );
    assert_eq!(r.status, 204);
    let r = request(
        a,
        "PUT",
        "/flow/ttl/json",
        Some(r#"{"keys":"ipsource","value":"avg:ipttl","t":0.2}"#),
    );
    assert_eq!(r.status, 204);
    let sock = agent_socket();
    let big = tcp_frame([10, 0, 0, 1], [10, 0, 0, 2], 40000, 80);
    let small = tcp_frame([10, 0, 0, 3], [10, 0, 0, 4], 40001, 443);
    let other = tcp_frame([10, 9, 9, 9], [10, 0, 0, 2], 40002, 22);
    let mut seq1 = 0;
    let mut seq2 = 0;
    let mut send = |agent: &str, samples| {
        let (seq, up) = if agent == "192.0.2.1" {
            seq1 += 1;
            (seq1, 1000 + seq1 * 10)
        } else {
            seq2 += 1;
            (seq2, 5000 + seq2 * 10)
        };
        sock.send_to(&datagram(agent, seq, up, samples), to)
            .unwrap();
    };
    // Counters: a baseline, then +1 000 000 octets / +2000 packets (agent 1) and
    // +3 000 000 octets / +500 packets, +7 errors (agent 2) one second later.
    let first_counters = Instant::now();
    send("192.0.2.1", vec![counter_sample(1, 1, 10_000, 100, 0)]);
    send("192.0.2.2", vec![counter_sample(1, 7, 50_000, 100, 3)]);
    // Flow samples every 10 ms for 1.2 s: 1 in 100 packets of 1000 bytes; the big flow three
    // samples for each of the small one's.
    let start = Instant::now();
    let mut i = 0u32;
    let mut second_counters = start;
    while start.elapsed() < Duration::from_millis(1200) {
        i += 1;
        let f = if i % 4 == 0 { &small } else { &big };
        send("192.0.2.1", vec![flow_sample(i, 1, 100, f, 1000)]);
        if i % 8 == 0 {
            send("192.0.2.2", vec![flow_sample(i, 7, 100, &other, 1000)]);
        }
        if i == 100 {
            second_counters = Instant::now();
            send("192.0.2.1", vec![counter_sample(2, 1, 1_010_000, 2100, 0)]);
            send("192.0.2.2", vec![counter_sample(2, 7, 3_050_000, 600, 10)]);
        }
        sleep(Duration::from_millis(10));
    }
    let sent_at = Instant::now();
    eventually("both agents", || {
        keys(&get(a, "/agents/json").json()).len() == 2
    });

    // /metric/{agent}/{metric}/json: sFlow-RT's reference and its users' clients read
    //   [{"agent": "10.0.0.20", "dataSource": "2", "lastUpdate": 1234, "lastUpdateMax": 1234,
    //     "lastUpdateMin": 1234, "metricN": 2, "metricName": "ifinoctets",
    //     "metricValue": 123.4}]
    // (max: and min: name the agent and data source of the extreme; sum: and avg: do not).
    let r = get(
        a,
        "/metric/ALL/max:ifinoctets,sum:ifinoctets,avg:ifinpkts,max:ifinerrors,ifinoctets/json",
    );
    assert_eq!(r.status, 200);
    let m = r.json();
    let m = m.as_array().unwrap();
    assert_eq!(m.len(), 5);
    assert_eq!(
        keys(&m[0]),
        [
            "agent",
            "dataSource",
            "lastUpdate",
            "lastUpdateMax",
            "lastUpdateMin",
            "metricN",
            "metricName",
            "metricValue"
        ]
    );
    assert_eq!(m[0]["metricName"], "ifinoctets");
    assert_eq!(m[0]["agent"], "192.0.2.2");
    assert_eq!(m[0]["dataSource"], "7");
    assert_eq!(m[0]["metricN"], 2);
    // The rates are the counter deltas over the time between the two counter samples as the
    // collector received them (about 1 s; the test measures it as it sends them).
    let dt = second_counters.duration_since(first_counters).as_secs_f64();
    let near = |v: f64, want: f64| (v / want - 1.0).abs() < 0.08;
    let max_in = m[0]["metricValue"].as_f64().unwrap();
    assert!(near(max_in, 3_000_000.0 / dt), "{max_in} over {dt} s");
    assert_eq!(
        keys(&m[1]),
        [
            "lastUpdateMax",
            "lastUpdateMin",
            "metricN",
            "metricName",
            "metricValue"
        ]
    );
    let sum_in = m[1]["metricValue"].as_f64().unwrap();
    let agent1_in = sum_in - max_in;
    assert!(
        near(agent1_in, 1_000_000.0 / dt),
        "{sum_in} - {max_in} over {dt} s"
    );
    // The two interfaces share one clock: their rates stand 3:1 as the deltas do.
    assert!(
        (max_in / agent1_in - 3.0).abs() < 0.05,
        "{max_in} / {agent1_in}"
    );
    assert_eq!(m[2]["metricName"], "ifinpkts");
    let avg_pkts = m[2]["metricValue"].as_f64().unwrap();
    // (2000 + 500) / 2 packets over the same interval.
    assert!(near(avg_pkts, 1_250.0 / dt), "{avg_pkts} over {dt} s");
    assert_eq!(m[3]["metricName"], "ifinerrors");
    assert_eq!(m[3]["agent"], "192.0.2.2");
    assert_eq!(
        m[4]["metricName"], "ifinoctets",
        "no prefix is max:, as in sFlow-RT"
    );
    assert_eq!(m[4]["metricValue"], m[0]["metricValue"]);
    // lastUpdate: milliseconds since that interface's last counter sample, which came at
    // least as long before the end of the flow samples as the test measured.
    let lu = m[0]["lastUpdate"].as_u64().unwrap();
    let since = sent_at.duration_since(second_counters).as_millis() as u64;
    assert!(lu + 50 >= since && lu < since + 10_000, "{lu} vs {since}");
    assert!(m[0]["lastUpdateMax"].as_u64().unwrap() >= m[0]["lastUpdateMin"].as_u64().unwrap());

    // A flow metric adds topKeys: [{"key": ..., "value": ..., "lastUpdate": ...}].
    let m = get(a, "/metric/ALL/tcp/json").json();
    let m = &m[0];
    assert_eq!(
        keys(m),
        [
            "agent",
            "dataSource",
            "lastUpdate",
            "lastUpdateMax",
            "lastUpdateMin",
            "metricN",
            "metricName",
            "metricValue",
            "topKeys"
        ]
    );
    assert_eq!(m["metricName"], "tcp");
    assert_eq!(
        m["metricN"], 2,
        "two data sources: agent 1 ifindex 1, agent 2 ifindex 7"
    );
    assert_eq!(m["agent"], "192.0.2.1");
    assert_eq!(m["dataSource"], "1");
    let top = m["topKeys"].as_array().unwrap();
    assert_eq!(keys(&top[0]), ["key", "lastUpdate", "value"]);
    assert_eq!(top[0]["key"], "10.0.0.1,10.0.0.2");
    assert_eq!(top[1]["key"], "10.0.0.3,10.0.0.4");
    assert_eq!(top[2]["key"], "10.9.9.9,10.0.0.2");
    let big_rate = top[0]["value"].as_f64().unwrap();
    let small_rate = top[1]["value"].as_f64().unwrap();
    assert_eq!(m["metricValue"].as_f64().unwrap(), big_rate);
    // Injected: 75 samples/s × 100 × 1000 bytes = 7.5 MB/s for the big flow, 2.5 MB/s for the
    // small one; smoothed over t = 0.2 s and decayed since the last sample (the test cannot
    // ask at the instant it sent), so the absolute value is bounded loosely, the ratio tightly.
    assert!((3_000_000.0..8_500_000.0).contains(&big_rate), "{big_rate}");
    assert!(
        (big_rate / small_rate - 3.0).abs() < 0.6,
        "{big_rate} / {small_rate}"
    );
    // Per agent: agent 2 sees only its own flow.
    let m = get(a, "/metric/192.0.2.2/tcp/json").json();
    assert_eq!(m[0]["agent"], "192.0.2.2");
    assert_eq!(m[0]["dataSource"], "7");
    assert_eq!(m[0]["metricN"], 1);
    assert_eq!(m[0]["topKeys"].as_array().unwrap().len(), 1);
    assert_eq!(m[0]["topKeys"][0]["key"], "10.9.9.9,10.0.0.2");
    // avg:ipttl: every frame has TTL 64.
    let m = get(a, "/metric/192.0.2.1/ttl/json").json();
    let ttl = m[0]["metricValue"].as_f64().unwrap();
    assert!((ttl - 64.0).abs() < 1e-6, "{ttl}");
    // Two agents by `;`, and the sFlow-RT query filter `metric=value` selecting data sources.
    let m = get(a, "/metric/192.0.2.1;192.0.2.2/sum:ifinerrors/json").json();
    assert_eq!(m[0]["metricN"], 2);
    let m = get(a, "/metric/ALL/max:ifinoctets/json?ifindex=1").json_or_status();
    assert_eq!(
        m,
        Err(400),
        "ifindex is not an interface metric of the engine"
    );
    let m = get(
        a,
        "/metric/ALL/sum:ifinoctets/json?ifspeed=1000000000&ifspeed=10",
    )
    .json();
    assert_eq!(m[0]["metricN"], 2);
    let m = get(a, "/metric/ALL/sum:ifinoctets/json?ifspeed=10").json();
    assert_eq!(m[0], json!({"metricName": "ifinoctets", "metricN": 0}));

    // /activeflows/{agents}/{name}/json: [{"key", "value", "agent", "dataSource"}], largest
    // first.
    let f = get(a, "/activeflows/ALL/tcp/json").json();
    let f = f.as_array().unwrap();
    assert_eq!(f.len(), 3);
    assert_eq!(keys(&f[0]), ["agent", "dataSource", "key", "value"]);
    assert_eq!(f[0]["key"], "10.0.0.1,10.0.0.2");
    assert_eq!(f[0]["agent"], "192.0.2.1");
    let f = get(a, "/activeflows/ALL/tcp/json?maxFlows=1").json();
    assert_eq!(f.as_array().unwrap().len(), 1);
    let f = get(a, "/activeflows/192.0.2.2/tcp/json").json();
    assert_eq!(f.as_array().unwrap().len(), 1);
    assert_eq!(get(a, "/activeflows/ALL/nosuch/json").status, 404);

    // /dump: every data source's value, not aggregated.
    let d = get(a, "/dump/ALL/ifinoctets/json").json();
    let d = d.as_array().unwrap();
    assert_eq!(d.len(), 2);
    assert_eq!(
        keys(&d[0]),
        [
            "agent",
            "dataSource",
            "lastUpdate",
            "metricName",
            "metricValue"
        ]
    );
    assert_eq!(d[0]["agent"], "192.0.2.1");
    assert_eq!(d[1]["agent"], "192.0.2.2");

    // /agents/json: by address, with the datagram counters.
    let ag = get(a, "/agents/json").json();
    assert_eq!(keys(&ag), ["192.0.2.1", "192.0.2.2"]);
    let a1 = &ag["192.0.2.1"];
    assert_eq!(
        a1["sFlowDatagramsReceived"].as_u64().unwrap(),
        u64::from(seq1)
    );
    assert_eq!(a1["sFlowDatagramsBad"], 0);
    assert_eq!(a1["sFlowDatagramSource"], json!(["127.0.0.1"]));
    assert_eq!(
        keys(&get(a, "/agents/json?agent=192.0.2.2").json()),
        ["192.0.2.2"]
    );

    // /metrics/json: the active metrics, milliseconds since last seen.
    let ms = get(a, "/metrics/json").json();
    for k in ["ifinoctets", "ifinpkts", "ifinerrors", "tcp", "ttl"] {
        assert!(ms[k].as_u64().is_some(), "{k} in {ms}");
    }
    // /metric/{agent}/json: every metric of one agent, by "ifindex.metric".
    let am = get(a, "/metric/192.0.2.2/json").json();
    assert_eq!(am["7.ifinerrors"].as_f64().map(|v| v > 0.0), Some(true));

    // /analyzer/json: the whole collector's counters.
    let an = get(a, "/analyzer/json").json();
    assert_eq!(
        an["sFlowDatagramsReceived"].as_u64().unwrap(),
        u64::from(seq1 + seq2)
    );
    assert_eq!(an["sFlowCounterSamples"], 4);
    assert_eq!(
        an["sFlowFlowSamples"].as_u64().unwrap(),
        u64::from(seq1 + seq2 - 4)
    );
    assert_eq!(an["sFlowDatagramsBad"], 0);

    // /version: text.
    let v = get(a, "/version");
    assert_eq!(v.status, 200);
    assert_eq!(
        String::from_utf8(v.body).unwrap(),
        env!("CARGO_PKG_VERSION")
    );

    // Prometheus text exposition on /prometheus/metrics/{agents}/{metrics}/txt (sFlow-RT's
    // prometheus path; /metrics/json stays sFlow-RT's JSON list).
    let p = get(a, "/prometheus/metrics/ALL/ifinoctets,tcp/txt");
    assert_eq!(p.status, 200);
    let text = String::from_utf8(p.body).unwrap();
    let all = get(a, "/prometheus/metrics/ALL/ALL/txt");
    assert_eq!(all.status, 200);
    let all = String::from_utf8(all.body).unwrap();
    for m in [
        "\nsflow_ifinoctets{",
        "\nsflow_ifspeed{",
        "\nsflow_tcp{",
        "\nsflow_ttl{",
    ] {
        assert!(all.contains(m), "{m} in {all}");
    }
    assert!(
        text.contains(
            "# TYPE sflow_ifinoctets gauge\nsflow_ifinoctets{agent=\"192.0.2.1\",datasource=\"1\"} "
        ),
        "{text}"
    );
    assert!(
        text.contains("sflow_tcp{agent=\"192.0.2.1\",datasource=\"1\",key=\"10.0.0.1,10.0.0.2\"} "),
        "{text}"
    );
    assert!(
        text.contains(&format!("sflow_datagrams_total {}", seq1 + seq2)),
        "{text}"
    );
}

trait JsonOrStatus {
    fn json_or_status(&self) -> Result<Value, u16>;
}

impl JsonOrStatus for Answer {
    fn json_or_status(&self) -> Result<Value, u16> {
        if self.status == 200 {
            Ok(self.json())
        } else {
            Err(self.status)
        }
    }
}

#[test]
fn malformed_datagrams_are_counted_per_agent_and_never_fatal() {
    let svc = start(Config::default());
    let a = svc.http_addr;
    let to = svc.sflow_addrs[0];
    let sock = agent_socket();
    // Garbage: no agent address can be read, so the UDP source stands for the agent.
    sock.send_to(b"not sflow at all", to).unwrap();
    sock.send_to(&[], to).unwrap();
    // A datagram whose header names its agent, then cut short in its sample: refused, so its
    // header is not trusted either and the UDP source stands for the agent.
    let good = datagram("192.0.2.9", 1, 100, vec![counter_sample(1, 1, 1, 1, 0)]);
    sock.send_to(&good[..good.len() - 3], to).unwrap();
    sock.send_to(&good, to).unwrap();
    eventually("four datagrams", || {
        get(a, "/analyzer/json").json()["sFlowDatagramsReceived"] == 4
    });
    let ag = get(a, "/agents/json").json();
    assert_eq!(ag["127.0.0.1"]["sFlowDatagramsBad"], 3);
    assert_eq!(ag["127.0.0.1"]["sFlowDatagramsReceived"], 3);
    assert!(ag["127.0.0.1"]["lastError"]
        .as_str()
        .unwrap()
        .contains("sflow"));
    assert_eq!(ag["192.0.2.9"]["sFlowDatagramsBad"], 0);
    assert_eq!(ag["192.0.2.9"]["sFlowDatagramsReceived"], 1);
    assert_eq!(ag["192.0.2.9"]["sFlowDatagramSource"], json!(["127.0.0.1"]));
    let an = get(a, "/analyzer/json").json();
    assert_eq!(an["sFlowDatagramsBad"], 3);
    assert_eq!(an["sFlowCounterSamples"], 1, "the good datagram was taken");
}

#[test]
fn bad_requests_get_4xx_with_a_json_body() {
    let svc = start(Config {
        max_body: 1024,
        header_timeout: Duration::from_millis(500),
        ..Config::default()
    });
    let a = svc.http_addr;
    for (method, path, status) in [
        ("GET", "/nosuch", 404),
        ("GET", "/metric/ALL/nosuchmetric/json", 404),
        ("GET", "/metric/nonsense/ifinoctets/json", 400),
        ("GET", "/metric/ALL/median:ifinoctets/json", 400),
        ("GET", "/metric/ALL/sdev:ifinoctets/json", 400),
        ("GET", "/metric/ALL/,/json", 400),
        ("GET", "/metric/ALL/ifinoctets/json?ifspeed=fast", 400),
        ("GET", "/metric/ALL/ifinoctets/json?x=%zz", 400),
        ("GET", "/metric/%ff/ifinoctets/json", 400),
        // Two hex digits exactly: `%+1` is not byte 1.
        ("GET", "/flow/a%+1/json", 400),
        ("GET", "/flow/a%1/json", 400),
        ("GET", "/activeflows/ALL/x/json?maxFlows=many", 404),
        ("POST", "/metrics/json", 405),
        ("DELETE", "/flows/json", 405),
        ("PATCH", "/flow/x/json", 405),
    ] {
        let r = request(a, method, path, None);
        assert_eq!(r.status, status, "{method} {path}");
        assert_eq!(
            r.header("content-type"),
            Some("application/json"),
            "{method} {path}"
        );
        let e = r.json();
        assert_eq!(e["status"], status);
        assert!(!e["error"].as_str().unwrap().is_empty());
    }
    // A body over max-body: refused by its Content-Length before it is read...
    let big = format!(r#"{{"keys":"ipsource","filter":"{}"}}"#, "x".repeat(2000));
    let r = request(a, "PUT", "/flow/big/json", Some(&big));
    assert_eq!(r.status, 413);
    assert!(r.json()["error"].as_str().unwrap().contains("1024"));
    // ... and when it comes chunked, without a length, as it is read.
    let chunked = format!(
        "PUT /flow/big/json HTTP/1.1\r\nHost: t\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n",
        big.len()
    );
    let r = raw(a, chunked.as_bytes());
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["status"], 413);
    assert_eq!(get(a, "/flow/big/json").status, 404);
    // Garbage instead of HTTP, and headers past the 16 KiB buffer: hyper answers (400, 431)
    // or closes; the service goes on.
    let mut s = std::net::TcpStream::connect(a).unwrap();
    std::io::Write::write_all(&mut s, b"\x00\x01\x02 garbage \r\n\r\n").unwrap();
    drop(s);
    let huge = format!(
        "GET /version HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\n\r\n",
        "y".repeat(20_000)
    );
    let r = raw(a, huge.as_bytes());
    assert!(r.status == 431 || r.status == 400, "{}", r.status);
    for _ in 0..20 {
        let mut s = std::net::TcpStream::connect(a).unwrap();
        let junk: Vec<u8> = (0..300u32).map(|i| (i * 7919 % 251) as u8).collect();
        let _ = std::io::Write::write_all(&mut s, &junk);
    }
    // A body that never comes in full: 408 after the header timeout; an idle connection and
    // one whose headers never end are closed after it.
    let t = Instant::now();
    let r = raw(
        a,
        b"PUT /flow/slow/json HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{\"keys\"",
    );
    assert_eq!(r.status, 408);
    assert!(t.elapsed() < Duration::from_secs(5));
    let t = Instant::now();
    let r = raw(a, b"GET /version HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(r.status, 200, "answered, then closed when idle");
    assert!(t.elapsed() >= Duration::from_millis(400) && t.elapsed() < Duration::from_secs(5));
    let mut s = std::net::TcpStream::connect(a).unwrap();
    std::io::Write::write_all(&mut s, b"GET /version HTTP/1.1\r\nHo").unwrap();
    let mut rest = Vec::new();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let n = std::io::Read::read_to_end(&mut s, &mut rest).unwrap();
    assert_eq!(
        n,
        0,
        "closed without an answer: {:?}",
        String::from_utf8_lossy(&rest)
    );
    assert_eq!(get(a, "/version").status, 200);
    let an = get(a, "/analyzer/json").json();
    assert!(an["httpRequests"].as_u64().unwrap() >= 16);
}

#[test]
fn metric_items_are_capped_computed_once_and_prefixed_in_prometheus() {
    let svc = start(Config::default());
    let a = svc.http_addr;
    let sock = agent_socket();
    sock.send_to(
        &datagram("192.0.2.1", 1, 100, vec![counter_sample(1, 3, 1000, 10, 0)]),
        svc.sflow_addrs[0],
    )
    .unwrap();
    eventually("ifspeed", || {
        get(a, "/metric/ALL/ifspeed/json").json()[0]["metricValue"].as_f64() == Some(1e9)
    });
    // At most 64 items per request; past it, a 400 that says so.
    let items = |n: usize| vec!["ifspeed"; n].join(",");
    for path in [
        format!("/metric/ALL/{}/json", items(65)),
        format!("/dump/ALL/{}/json", items(65)),
        format!("/prometheus/metrics/ALL/{}/txt", items(65)),
    ] {
        let r = get(a, &path);
        assert_eq!(r.status, 400, "{path}");
        assert!(r.json()["error"].as_str().unwrap().contains("64"));
    }
    // /metric answers every item in its place, as listed (repeats computed once).
    let r = get(a, &format!("/metric/ALL/{}/json", items(64)));
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v.as_array().unwrap().len(), 64);
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["metricValue"] == 1e9));
    let v = get(a, "/metric/ALL/ifspeed,sum:ifspeed,ifspeed/json").json();
    assert_eq!(v.as_array().unwrap().len(), 3, "{v}");
    assert_eq!(v[0], v[2]);
    // /dump gives each data source once, however often the metric is named.
    let once = get(a, "/dump/ALL/ifspeed/json").json();
    assert_eq!(once.as_array().unwrap().len(), 1, "{once}");
    let twice = get(a, "/dump/ALL/ifspeed,ifspeed/json").json();
    assert_eq!(twice.as_array().unwrap().len(), 1, "{twice}");
    // Prometheus takes /metric's prefixed items (the aggregate, without labels) and answers
    // a repeated item once.
    let r = get(
        a,
        "/prometheus/metrics/ALL/max:ifspeed,sum:ifspeed,ifspeed,ifspeed/txt",
    );
    assert_eq!(r.status, 200);
    let text = String::from_utf8(r.body.clone()).unwrap();
    assert!(text.contains("\nsflow_max_ifspeed 1000000000\n"), "{text}");
    assert!(text.contains("\nsflow_sum_ifspeed 1000000000\n"), "{text}");
    assert_eq!(
        text.matches("# TYPE sflow_ifspeed gauge").count(),
        1,
        "{text}"
    );
    assert_eq!(
        text.matches("sflow_ifspeed{agent=\"192.0.2.1\",datasource=\"3\"} 1000000000")
            .count(),
        1,
        "{text}"
    );
    assert_eq!(
        get(a, "/prometheus/metrics/ALL/sdev:ifspeed/txt").status,
        400
    );
}
