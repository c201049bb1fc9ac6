//! sFlow-RT's REST API over the [`Collector`]: one function, [`handle`], from a request's
//! method, path, query and body to a status and a body. The HTTP server ([`crate::server`])
//! only moves bytes; everything a request means is decided here, so the whole API is tested
//! without sockets too.
//!
//! | path | methods | answer |
//! | --- | --- | --- |
//! | `/flow/{name}/json` | `GET`, `PUT`, `DELETE` | the definition `{"keys","value","filter","n","t"}`; `PUT` takes one (204), `DELETE` removes it (204) |
//! | `/flows/json` | `GET` | every definition, by name |
//! | `/metric/{agents}/{metrics}/json` | `GET` | one object per metric: `metricName`, `metricValue`, `metricN`, `agent`, `dataSource`, `lastUpdate`, `lastUpdateMin`, `lastUpdateMax`, and for flows `topKeys` |
//! | `/metric/{agent}/json` | `GET` | every metric of the agent, as `"{ifindex}.{metric}": value` |
//! | `/dump/{agents}/{metrics}/json` | `GET` | every value per agent and data source, not aggregated |
//! | `/activeflows/{agents}/{name}/json` | `GET` | the flows `[{key, value, agent, dataSource}]` (`maxFlows`, `minValue`, `aggMode=max\|sum`) |
//! | `/agents/json` | `GET` | the agents heard from, by address (`agent=` selects) |
//! | `/metrics/json` | `GET` | every active metric and the milliseconds since it was last updated |
//! | `/analyzer/json` | `GET` | the collector's counters (datagrams, samples, drops) |
//! | `/version` | `GET` | the version, as text |
//! | `/prometheus/metrics/{agents}/{metrics}/txt` | `GET` | Prometheus text exposition |
//! | `/`, `/ui/` | `GET` | a page that charts the top flows and interface rates live (HTML, inline script, nothing loaded from elsewhere) |
//!
//! `{agents}` is `ALL` or addresses separated by `;`; `{metrics}` is comma-separated flow names
//! and interface metrics, each with an optional `max:` (the default), `min:`, `sum:` or `avg:`
//! prefix. A bad request gets a 4xx status and a JSON body `{"error": "...", "status": N}`.

use core::fmt::Write as _;
use core::net::IpAddr;
use core::time::Duration;
use std::collections::{BTreeMap, HashMap, HashSet};

use sdnwire_sflow_analytics::{Instant, Metric};
use serde_json::{json, Map, Value};

use crate::collector::{Collector, FlowSpec, SourceFlow};

/// An answer: status, content type and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, v: &Value) -> Reply {
        Reply {
            status,
            content_type: "application/json",
            body: serde_json::to_vec(v).unwrap_or_default(),
        }
    }

    /// A 4xx or 5xx answer with the JSON error body `{"error": message, "status": status}`.
    pub fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply::json(
            status,
            &json!({ "error": message.into(), "status": status }),
        )
    }

    fn text(content_type: &'static str, body: String) -> Reply {
        Reply {
            status: 200,
            content_type,
            body: body.into_bytes(),
        }
    }

    fn no_content() -> Reply {
        Reply {
            status: 204,
            content_type: "application/json",
            body: Vec::new(),
        }
    }
}

/// Answers one request. `path` is the request target's path (percent-encoded as received),
/// `query` the text after `?`. `now` advances the collector's clock first, so rates and
/// `lastUpdate` are read at the time of the request.
pub fn handle(
    c: &mut Collector,
    now: Instant,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> Reply {
    c.handle_timeout(now);
    let segments: Result<Vec<String>, Reply> = path
        .strip_prefix('/')
        .unwrap_or(path)
        .split('/')
        .map(percent_decode)
        .collect();
    let segments = match segments {
        Ok(s) => s,
        Err(r) => return r,
    };
    let query = match parse_query(query.unwrap_or("")) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    let q = &query;
    match seg.as_slice() {
        [""] | ["ui", ""] => only_get(method, || {
            Reply::text("text/html; charset=utf-8", UI_PAGE.into())
        }),
        ["version"] => only_get(method, || {
            Reply::text("text/plain", env!("CARGO_PKG_VERSION").to_string())
        }),
        ["analyzer", "json"] => only_get(method, || analyzer(c)),
        ["agents", "json"] => only_get(method, || agents(c, q)),
        ["metrics", "json"] => only_get(method, || metrics(c)),
        ["flows", "json"] => only_get(method, || flows(c)),
        ["flow", name, "json"] => match method {
            "GET" | "HEAD" => match c.flow(name) {
                Some(spec) => Reply::json(200, &spec_json(spec)),
                None => Reply::error(404, format!("no flow definition named `{name}`")),
            },
            "PUT" | "POST" => put_flow(c, name, body),
            "DELETE" => {
                if c.delete_flow(name) {
                    Reply::no_content()
                } else {
                    Reply::error(404, format!("no flow definition named `{name}`"))
                }
            }
            m => method_not_allowed(m, "GET, PUT, DELETE"),
        },
        ["metric", agent, "json"] => only_get(method, || agent_metrics(c, agent)),
        ["metric", agents, items, "json"] => {
            only_get(method, || metric(c, agents, items, q, false))
        }
        ["dump", agents, items, "json"] => only_get(method, || metric(c, agents, items, q, true)),
        ["activeflows", agents, name, "json"] => {
            only_get(method, || active_flows(c, agents, name, q))
        }
        ["prometheus", "metrics", agents, items, "txt"] => {
            only_get(method, || prometheus(c, agents, items))
        }
        _ => Reply::error(404, format!("no such resource: {path}")),
    }
}

/// The page `GET /` and `GET /ui/` serve: one HTML file with inline script that polls this
/// API (same-origin paths only) and draws the top flows and interface rates as SVG lines.
const UI_PAGE: &str = include_str!("ui.html");

fn only_get(method: &str, f: impl FnOnce() -> Reply) -> Reply {
    if method == "GET" || method == "HEAD" {
        f()
    } else {
        method_not_allowed(method, "GET")
    }
}

fn method_not_allowed(method: &str, allowed: &str) -> Reply {
    Reply::error(
        405,
        format!("method {method} not allowed here (allowed: {allowed})"),
    )
}

/// Query parameters in order, decoded.
type Query = Vec<(String, String)>;

fn query_get<'q>(q: &'q Query, name: &str) -> Option<&'q str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// `%XX` decoded (and, in a query, `+` as a space); text that is not UTF-8 is a 400.
fn percent_decode(s: &str) -> Result<String, Reply> {
    decode(s, false)
}

fn decode(s: &str, plus_is_space: bool) -> Result<String, Reply> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'%' => {
                let hex = b
                    .get(i + 1..i + 3)
                    // Two hex digits exactly (`from_str_radix` alone takes a sign: `%+1`).
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| core::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| Reply::error(400, format!("bad percent-encoding in `{s}`")))?;
                out.push(hex);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
        .map_err(|_| Reply::error(400, format!("`{s}` is not UTF-8 once decoded")))
}

fn parse_query(q: &str) -> Result<Query, Reply> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Ok((decode(k, true)?, decode(v, true)?))
        })
        .collect()
}

/// `ALL` (`None`) or addresses separated by `;`.
fn parse_agents(s: &str) -> Result<Option<Vec<IpAddr>>, Reply> {
    if s == "ALL" {
        return Ok(None);
    }
    s.split(';')
        .map(|a| {
            a.trim().parse().map_err(|_| {
                Reply::error(
                    400,
                    format!("bad agent `{a}`: expected ALL or IP addresses separated by `;`"),
                )
            })
        })
        .collect::<Result<Vec<IpAddr>, Reply>>()
        .map(Some)
}

fn selected(agents: &Option<Vec<IpAddr>>, a: IpAddr) -> bool {
    agents.as_ref().is_none_or(|l| l.contains(&a))
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn spec_json(spec: &FlowSpec) -> Value {
    let mut m = Map::new();
    m.insert("keys".into(), json!(spec.keys));
    m.insert("value".into(), json!(spec.value));
    if let Some(f) = &spec.filter {
        m.insert("filter".into(), json!(f));
    }
    m.insert("n".into(), json!(spec.n));
    m.insert("t".into(), json!(spec.t));
    Value::Object(m)
}

/// A flow definition from the JSON body of `PUT /flow/{name}/json`.
pub fn spec_from_json(body: &[u8]) -> Result<FlowSpec, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let Value::Object(o) = v else {
        return Err(
            "the body must be a JSON object {\"keys\": ..., \"value\": ..., \"filter\": ...}"
                .into(),
        );
    };
    let string = |name: &str| -> Result<Option<String>, String> {
        match o.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Array(a)) if name == "keys" => a
                .iter()
                .map(|k| k.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .map(|l| Some(l.join(",")))
                .ok_or_else(|| format!("`{name}`: expected a string or a list of strings")),
            Some(_) => Err(format!("`{name}`: expected a string")),
        }
    };
    let keys = string("keys")?.ok_or("`keys` is required")?;
    let value = string("value")?.unwrap_or_else(|| "bytes".into());
    let mut spec = FlowSpec::new(&keys, &value);
    spec.filter = string("filter")?;
    match o.get("n") {
        None | Some(Value::Null) => {}
        Some(n) => {
            // sFlow-RT clamps `n` to 5..=20: any whole number is taken and clamped later.
            let n = n.as_u64().ok_or("`n`: expected a whole number")?;
            spec.n = u32::try_from(n).unwrap_or(u32::MAX);
        }
    }
    match o.get("t") {
        None | Some(Value::Null) => {}
        Some(t) => spec.t = t.as_f64().ok_or("`t`: expected a number")?,
    }
    Ok(spec)
}

fn put_flow(c: &mut Collector, name: &str, body: &[u8]) -> Reply {
    let spec = match spec_from_json(body) {
        Ok(s) => s,
        Err(e) => return Reply::error(400, e),
    };
    match c.set_flow(name, spec) {
        Ok(()) => Reply::no_content(),
        Err(e) => Reply::error(400, format!("flow `{name}`: {e}")),
    }
}

fn flows(c: &Collector) -> Reply {
    let m: Map<String, Value> = c
        .flows()
        .iter()
        .map(|(n, s)| (n.clone(), spec_json(s)))
        .collect();
    Reply::json(200, &Value::Object(m))
}

fn analyzer(c: &Collector) -> Reply {
    let s = c.engine().stats();
    let (mut evicted, mut refused) = (0, 0);
    for d in c.engine().definitions() {
        if let Some(f) = c.engine().flow_stats(d.name()) {
            evicted += f.evicted;
            refused += f.refused;
        }
    }
    let up = c.now().saturating_duration_since(c.start());
    Reply::json(
        200,
        &json!({
            "sFlowDatagramsReceived": s.datagrams,
            "sFlowDatagramsBad": s.bad_datagrams,
            "sFlowDatagramsDuplicate": s.duplicate_datagrams,
            "sFlowDatagramsUntracked": c.stats.agents_untracked,
            "sFlowFlowSamples": s.flow_samples,
            "sFlowCounterSamples": s.counter_samples,
            "sFlowAgentRestarts": s.agent_restarts,
            "sFlowAgentsRefused": s.agents_refused,
            "sFlowInterfacesRefused": s.interfaces_refused,
            "flowsEvicted": evicted,
            "flowsRefused": refused,
            "eventsDropped": s.events_dropped,
            "agents": c.agents().len(),
            "flowDefinitions": c.flows().len(),
            "httpRequests": c.stats.http_requests,
            "httpClientErrors": c.stats.http_client_errors,
            "graphiteLinesSent": c.graphite.lines_sent,
            "graphiteLinesDropped": c.graphite.lines_dropped,
            "graphiteConnects": c.graphite.connects,
            "graphiteConnected": c.graphite.connected,
            "uptime": ms(up),
        }),
    )
}

fn agents(c: &Collector, q: &Query) -> Reply {
    let wanted: Vec<&str> = q
        .iter()
        .filter(|(k, _)| k == "agent")
        .map(|(_, v)| v.as_str())
        .collect();
    let now = c.now();
    let mut list: Vec<_> = c.agents().iter().collect();
    list.sort_by_key(|(a, _)| **a);
    let mut m = Map::new();
    for (agent, a) in list {
        let name = agent.to_string();
        if !wanted.is_empty() && !wanted.contains(&name.as_str()) {
            continue;
        }
        let mut o = json!({
            "sFlowDatagramsReceived": a.datagrams,
            "sFlowDatagramsBad": a.bad_datagrams,
            "sFlowDatagramsDuplicates": a.duplicates,
            "sFlowAgentRestarts": a.restarts,
            "sFlowDatagramSource": a.source.map(|s| vec![s.to_string()]).unwrap_or_default(),
            "firstSeen": ms(now.saturating_duration_since(a.first_seen)),
            "lastSeen": ms(now.saturating_duration_since(a.last_seen)),
        });
        if let (Some(e), Value::Object(o)) = (&a.last_error, &mut o) {
            o.insert("lastError".into(), json!(e));
        }
        m.insert(name, o);
    }
    Reply::json(200, &Value::Object(m))
}

fn metrics(c: &Collector) -> Reply {
    let mut ages: BTreeMap<String, Duration> = BTreeMap::new();
    let e = c.engine();
    for (agent, ifindex) in e.interfaces() {
        let Some(age) = e.interface_last_update(agent, ifindex) else {
            continue;
        };
        if let Some(values) = e.interface_values(agent, ifindex) {
            for (m, _) in values {
                let slot = ages.entry(m.name().to_string()).or_insert(age);
                *slot = (*slot).min(age);
            }
        }
    }
    for name in c.flows().keys() {
        if let Some(youngest) = c
            .source_flows(name)
            .unwrap_or_default()
            .iter()
            .map(|f| f.last_update)
            .min()
        {
            ages.insert(name.clone(), youngest);
        }
    }
    let m: Map<String, Value> = ages.into_iter().map(|(k, v)| (k, json!(ms(v)))).collect();
    Reply::json(200, &Value::Object(m))
}

fn agent_metrics(c: &Collector, agent: &str) -> Reply {
    let agent: IpAddr = match agent.parse() {
        Ok(a) => a,
        Err(_) => return Reply::error(400, format!("bad agent `{agent}`: expected an IP address")),
    };
    let e = c.engine();
    let mut ifaces: Vec<u32> = e
        .interfaces()
        .filter(|(a, _)| *a == agent)
        .map(|(_, i)| i)
        .collect();
    ifaces.sort_unstable();
    let mut m = Map::new();
    for i in ifaces {
        if let Some(values) = e.interface_values(agent, i) {
            for (metric, v) in values {
                m.insert(format!("{i}.{}", metric.name()), json!(v));
            }
        }
    }
    Reply::json(200, &Value::Object(m))
}

/// How values across data sources are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Agg {
    Max,
    Min,
    Sum,
    Avg,
}

/// One query item: `[agg:]name`.
fn parse_item(item: &str) -> Result<(Agg, &str), Reply> {
    match item.split_once(':') {
        None => Ok((Agg::Max, item)),
        Some((p, name)) => {
            let agg = match p {
                "max" => Agg::Max,
                "min" => Agg::Min,
                "sum" => Agg::Sum,
                "avg" => Agg::Avg,
                "var" | "sdev" | "med" | "q1" | "q2" | "q3" | "iqr" | "any" => {
                    return Err(Reply::error(
                        400,
                        format!(
                            "aggregate `{p}:` is not supported (max:, min:, sum: and avg: are)"
                        ),
                    ))
                }
                _ => {
                    return Err(Reply::error(
                        400,
                        format!("unknown aggregate `{p}:` in `{item}`"),
                    ))
                }
            };
            Ok((agg, name))
        }
    }
}

/// Checks the syntax of one metric item (`[agg:]name`) as `/metric` reads it.
pub fn check_metric_item(item: &str) -> Result<(), String> {
    let (_, name) = parse_item(item).map_err(|r| {
        serde_json::from_slice::<Value>(&r.body)
            .ok()
            .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_default()
    })?;
    if name.is_empty() {
        return Err("empty metric name".into());
    }
    Ok(())
}

/// One value of one data source.
#[derive(Debug, Clone)]
struct Point {
    agent: IpAddr,
    data_source: u32,
    value: f64,
    age: Duration,
    /// For flows: the data source's flows, largest first.
    flows: Vec<SourceFlow>,
}

/// The data sources' values of `name` (a flow or an interface metric), or `None` if the name
/// is neither.
fn points(
    c: &Collector,
    agents: &Option<Vec<IpAddr>>,
    name: &str,
    filter: &[(Metric, Vec<f64>)],
) -> Option<Vec<Point>> {
    let e = c.engine();
    if c.flow(name).is_some() {
        let mut by_source: BTreeMap<(IpAddr, u32), Vec<SourceFlow>> = BTreeMap::new();
        for f in c.source_flows(name).unwrap_or_default() {
            if selected(agents, f.agent) {
                by_source
                    .entry((f.agent, f.data_source))
                    .or_default()
                    .push(f);
            }
        }
        return Some(
            by_source
                .into_iter()
                .filter_map(|((agent, data_source), flows)| {
                    let top = flows.first()?;
                    Some(Point {
                        agent,
                        data_source,
                        value: top.value,
                        age: flows
                            .iter()
                            .map(|f| f.last_update)
                            .min()
                            .unwrap_or_default(),
                        flows,
                    })
                })
                .collect(),
        );
    }
    let metric = Metric::from_name(name)?;
    let mut ifaces: Vec<(IpAddr, u32)> = e
        .interfaces()
        .filter(|(a, _)| selected(agents, *a))
        .filter(|&(a, i)| {
            filter.iter().all(|(m, allowed)| {
                e.interface_metric(a, i, *m)
                    .is_some_and(|v| allowed.contains(&v))
            })
        })
        .collect();
    ifaces.sort_unstable();
    Some(
        ifaces
            .into_iter()
            .filter_map(|(agent, data_source)| {
                Some(Point {
                    agent,
                    data_source,
                    value: e.interface_metric(agent, data_source, metric)?,
                    age: e.interface_last_update(agent, data_source)?,
                    flows: Vec::new(),
                })
            })
            .collect(),
    )
}

/// sFlow-RT's query filter: `metric=value` pairs (a metric may repeat: any of its values).
fn metric_filter(q: &Query) -> Result<Vec<(Metric, Vec<f64>)>, Reply> {
    let mut out: Vec<(Metric, Vec<f64>)> = Vec::new();
    for (k, v) in q {
        if matches!(k.as_str(), "maxFlows" | "minValue" | "aggMode") {
            continue;
        }
        let m = Metric::from_name(k).ok_or_else(|| {
            Reply::error(
                400,
                format!("query `{k}={v}`: `{k}` is not an interface metric"),
            )
        })?;
        let n: f64 = v
            .parse()
            .map_err(|_| Reply::error(400, format!("query `{k}={v}`: expected a number")))?;
        match out.iter_mut().find(|(x, _)| *x == m) {
            Some((_, l)) => l.push(n),
            None => out.push((m, vec![n])),
        }
    }
    Ok(out)
}

fn top_keys(flows: &[SourceFlow], n: usize, sum: bool) -> Value {
    let mut merged: Vec<(String, f64, Duration)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for f in flows {
        match index.get(f.key.as_str()) {
            Some(&i) => {
                if let Some(m) = merged.get_mut(i) {
                    m.1 = if sum { m.1 + f.value } else { m.1.max(f.value) };
                    m.2 = m.2.min(f.last_update);
                }
            }
            None => {
                index.insert(&f.key, merged.len());
                merged.push((f.key.clone(), f.value, f.last_update));
            }
        }
    }
    merged.sort_by(|a, b| b.1.total_cmp(&a.1));
    merged.truncate(n);
    Value::Array(
        merged
            .into_iter()
            .map(|(key, value, age)| json!({"key": key, "value": value, "lastUpdate": ms(age)}))
            .collect(),
    )
}

fn metric(c: &Collector, agents: &str, items: &str, q: &Query, dump: bool) -> Reply {
    let agents = match parse_agents(agents) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let filter = match metric_filter(q) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let items = match split_items(items) {
        Ok(i) => i,
        Err(r) => return r,
    };
    // Each name's points once per request, however many items name it.
    let mut cache: HashMap<String, Option<Vec<Point>>> = HashMap::new();
    let mut dumped: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for item in items {
        if dump {
            let names: Vec<String> = if item == "ALL" {
                let mut all: Vec<String> =
                    Metric::ALL.iter().map(|m| m.name().to_string()).collect();
                all.extend(c.flows().keys().cloned());
                all
            } else {
                vec![item.to_string()]
            };
            for name in names {
                // A data source's entry once, however often the request names it.
                if !dumped.insert(name.clone()) {
                    continue;
                }
                let Some(points) = cached(&mut cache, c, &agents, &name, &filter) else {
                    return Reply::error(404, format!("unknown metric `{name}`: neither a flow definition nor an interface metric"));
                };
                let n = c.flow(&name).map_or(0, |s| s.n as usize);
                for p in points {
                    let mut o = json!({
                        "agent": p.agent.to_string(),
                        "dataSource": p.data_source.to_string(),
                        "metricName": name,
                        "metricValue": p.value,
                        "lastUpdate": ms(p.age),
                    });
                    if c.flow(&name).is_some() {
                        if let Value::Object(o) = &mut o {
                            o.insert("topKeys".into(), top_keys(&p.flows, n, false));
                        }
                    }
                    out.push(o);
                }
            }
            continue;
        }
        let (agg, name) = match parse_item(item) {
            Ok(x) => x,
            Err(r) => return r,
        };
        let Some(points) = cached(&mut cache, c, &agents, name, &filter) else {
            return Reply::error(
                404,
                format!(
                    "unknown metric `{name}`: neither a flow definition nor an interface metric"
                ),
            );
        };
        out.push(aggregate(c, name, agg, points));
    }
    Reply::json(200, &Value::Array(out))
}

/// The points of `name`, computed once per request.
fn cached<'a>(
    cache: &'a mut HashMap<String, Option<Vec<Point>>>,
    c: &Collector,
    agents: &Option<Vec<IpAddr>>,
    name: &str,
    filter: &[(Metric, Vec<f64>)],
) -> Option<&'a [Point]> {
    cache
        .entry(name.to_string())
        .or_insert_with(|| points(c, agents, name, filter))
        .as_deref()
}

/// Most metric items one `/metric`, `/dump` or `/prometheus` request may name (each item can
/// cost a pass over every flow of a definition, under the lock the sFlow intake shares).
pub const MAX_METRIC_ITEMS: usize = 64;

/// The comma-separated items of a request, trimmed: an empty item, or more than
/// [`MAX_METRIC_ITEMS`], is a 400.
fn split_items(items: &str) -> Result<Vec<&str>, Reply> {
    let mut out = Vec::new();
    for item in items.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(Reply::error(400, format!("empty metric name in `{items}`")));
        }
        if out.len() == MAX_METRIC_ITEMS {
            return Err(Reply::error(
                400,
                format!("more than {MAX_METRIC_ITEMS} metric items in one request"),
            ));
        }
        out.push(item);
    }
    Ok(out)
}

/// One metric across data sources, in sFlow-RT's shape.
fn aggregate(c: &Collector, name: &str, agg: Agg, points: &[Point]) -> Value {
    let mut o = Map::new();
    o.insert("metricName".into(), json!(name));
    o.insert("metricN".into(), json!(points.len()));
    if points.is_empty() {
        return Value::Object(o);
    }
    let ages = points.iter().map(|p| ms(p.age));
    o.insert(
        "lastUpdateMax".into(),
        json!(ages.clone().max().unwrap_or(0)),
    );
    o.insert("lastUpdateMin".into(), json!(ages.min().unwrap_or(0)));
    let flow = c.flow(name);
    let n = flow.map_or(0, |s| s.n as usize);
    let all_flows: Vec<SourceFlow> = points
        .iter()
        .flat_map(|p| p.flows.iter().cloned())
        .collect();
    match agg {
        Agg::Max | Agg::Min => {
            let pick = points.iter().reduce(|a, b| {
                let better = if agg == Agg::Max {
                    b.value > a.value
                } else {
                    b.value < a.value
                };
                if better {
                    b
                } else {
                    a
                }
            });
            if let Some(p) = pick {
                o.insert("agent".into(), json!(p.agent.to_string()));
                o.insert("dataSource".into(), json!(p.data_source.to_string()));
                o.insert("lastUpdate".into(), json!(ms(p.age)));
                o.insert("metricValue".into(), json!(p.value));
            }
            if flow.is_some() {
                o.insert("topKeys".into(), top_keys(&all_flows, n, false));
            }
        }
        Agg::Sum | Agg::Avg => {
            let sum: f64 = points.iter().map(|p| p.value).sum();
            let v = if agg == Agg::Sum {
                sum
            } else {
                sum / points.len() as f64
            };
            o.insert("metricValue".into(), json!(v));
            if flow.is_some() {
                o.insert("topKeys".into(), top_keys(&all_flows, n, agg == Agg::Sum));
            }
        }
    }
    Value::Object(o)
}

fn active_flows(c: &Collector, agents: &str, name: &str, q: &Query) -> Reply {
    let agents = match parse_agents(agents) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let Some(flows) = c.source_flows(name) else {
        return Reply::error(404, format!("no flow definition named `{name}`"));
    };
    let max_flows = match query_get(q, "maxFlows").map(str::parse::<usize>) {
        None => 100,
        Some(Ok(n)) => n,
        Some(Err(_)) => return Reply::error(400, "maxFlows: expected a count"),
    };
    let min_value = match query_get(q, "minValue").map(str::parse::<f64>) {
        None => f64::NEG_INFINITY,
        Some(Ok(v)) => v,
        Some(Err(_)) => return Reply::error(400, "minValue: expected a number"),
    };
    let sum = match query_get(q, "aggMode") {
        None | Some("max") => false,
        Some("sum") => true,
        Some(m) => return Reply::error(400, format!("aggMode `{m}`: expected max or sum")),
    };
    // One entry per key: the largest data source's (max) or the total (sum), with the agent
    // and data source of its largest part.
    let mut merged: Vec<(String, f64, IpAddr, u32)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in flows.into_iter().filter(|f| selected(&agents, f.agent)) {
        match index.get(&f.key) {
            Some(&i) => {
                if let Some(m) = merged.get_mut(i) {
                    if sum {
                        m.1 += f.value;
                    }
                }
            }
            None => {
                index.insert(f.key.clone(), merged.len());
                merged.push((f.key, f.value, f.agent, f.data_source));
            }
        }
    }
    merged.sort_by(|a, b| b.1.total_cmp(&a.1));
    let out: Vec<Value> = merged
        .into_iter()
        .filter(|m| m.1 >= min_value)
        .take(max_flows)
        .map(|(key, value, agent, ds)| {
            json!({"key": key, "value": value, "agent": agent.to_string(), "dataSource": ds.to_string()})
        })
        .collect();
    Reply::json(200, &Value::Array(out))
}

/// Prometheus text exposition: each interface metric per agent and data source, each flow's
/// top flows per agent and data source, and the collector's counters.
fn prometheus(c: &Collector, agents: &str, items: &str) -> Reply {
    let agents = match parse_agents(agents) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let items: Vec<String> = if items == "ALL" {
        let mut all: Vec<String> = Metric::ALL.iter().map(|m| m.name().to_string()).collect();
        all.extend(c.flows().keys().cloned());
        all
    } else {
        match split_items(items) {
            Ok(i) => i.into_iter().map(str::to_string).collect(),
            Err(r) => return r,
        }
    };
    let mut out = String::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for item in &items {
        // One family per item: a repeated item is answered once.
        if !seen.insert(item) {
            continue;
        }
        // `max:`, `min:`, `sum:` and `avg:` as /metric reads them.
        let (agg, name) = match parse_item(item) {
            Ok(x) => x,
            Err(r) => return r,
        };
        let Some(points) = points(c, &agents, name, &[]) else {
            return Reply::error(
                404,
                format!(
                    "unknown metric `{name}`: neither a flow definition nor an interface metric"
                ),
            );
        };
        if points.is_empty() {
            continue;
        }
        let metric = prometheus_name(item);
        let _ = writeln!(out, "# TYPE {metric} gauge");
        if item.contains(':') {
            // An aggregate across the selected data sources: /metric's `metricValue`.
            if let Some(v) = aggregate(c, name, agg, &points)
                .get("metricValue")
                .and_then(Value::as_f64)
                .filter(|v| v.is_finite())
            {
                let _ = writeln!(out, "{metric} {v}");
            }
            continue;
        }
        for p in points {
            if c.flow(name).is_some() {
                for f in p
                    .flows
                    .iter()
                    .take(c.flow(name).map_or(0, |s| s.n as usize))
                {
                    if f.value.is_finite() {
                        let _ = writeln!(
                            out,
                            "{metric}{{agent=\"{}\",datasource=\"{}\",key=\"{}\"}} {}",
                            p.agent,
                            p.data_source,
                            label_value(&f.key),
                            f.value
                        );
                    }
                }
            } else if p.value.is_finite() {
                let _ = writeln!(
                    out,
                    "{metric}{{agent=\"{}\",datasource=\"{}\"}} {}",
                    p.agent, p.data_source, p.value
                );
            }
        }
    }
    let s = c.engine().stats();
    for (name, help, v) in [
        (
            "sflow_datagrams_total",
            "sFlow datagrams received",
            s.datagrams,
        ),
        (
            "sflow_datagrams_bad_total",
            "sFlow datagrams that did not decode",
            s.bad_datagrams,
        ),
        (
            "sflow_flow_samples_total",
            "flow samples taken",
            s.flow_samples,
        ),
        (
            "sflow_counter_samples_total",
            "counter samples taken",
            s.counter_samples,
        ),
    ] {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}"
        );
    }
    Reply::text("text/plain; version=0.0.4", out)
}

/// A Prometheus label value escaped: `\\`, `"` and line feeds.
fn label_value(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// A metric or flow name as a Prometheus metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`), with
/// sFlow-RT's `sflow_` prefix (`sflow_ifinoctets`).
fn prometheus_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("sflow_{s}")
}

/// The values of one metric item (`[agg:]name`) as `/metric/ALL/{item}/json` answers
/// `metricValue`: one across every agent (`None`), or one per agent (`per_agent`). A metric
/// without data gives no value; an item that does not parse or names nothing known is an
/// error message.
pub fn metric_values(
    c: &Collector,
    item: &str,
    per_agent: bool,
) -> Result<Vec<(Option<IpAddr>, f64)>, String> {
    let message = |r: Reply| {
        serde_json::from_slice::<Value>(&r.body)
            .ok()
            .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_default()
    };
    let (agg, name) = parse_item(item).map_err(message)?;
    let points = points(c, &None, name, &[]).ok_or_else(|| {
        format!("unknown metric `{name}`: neither a flow definition nor an interface metric")
    })?;
    let value = |pts: &[Point]| {
        aggregate(c, name, agg, pts)
            .get("metricValue")
            .and_then(Value::as_f64)
    };
    if !per_agent {
        return Ok(value(&points).map(|v| (None, v)).into_iter().collect());
    }
    let mut by_agent: BTreeMap<IpAddr, Vec<Point>> = BTreeMap::new();
    for p in points {
        by_agent.entry(p.agent).or_default().push(p);
    }
    Ok(by_agent
        .into_iter()
        .filter_map(|(a, pts)| value(&pts).map(|v| (Some(a), v)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_escape_backslash_quote_and_line_feed() {
        assert_eq!(label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
        assert_eq!(label_value("10.0.0.1,80"), "10.0.0.1,80");
    }

    #[test]
    fn percent_decoding_takes_two_hex_digits_exactly() {
        assert_eq!(decode("a%41%2cb", false).ok(), Some("aA,b".to_string()));
        assert_eq!(decode("a+b", true).ok(), Some("a b".to_string()));
        for bad in ["%+1", "%-1", "%1", "%", "%1g", "% 1"] {
            assert!(decode(bad, false).is_err(), "{bad}");
        }
    }
}
