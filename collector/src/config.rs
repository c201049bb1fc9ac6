//! The configuration file and the flow and metric definitions, all in XML, the format
//! sFlow-RT's users keep their flow definitions in:
//!
//! ```xml
//! <collector>
//!   <sflow listen="0.0.0.0:6343"/>            <!-- repeatable; [::]:6343 for IPv6 -->
//!   <http listen="127.0.0.1:8008" max-body="65536" max-connections="64" header-timeout="10"/>
//!   <log level="info"/>                        <!-- off, error, warn, info, debug -->
//!   <engine max-agents="4096" max-interfaces="65536" max-definitions="64"
//!           metric-timeout="60" agent-timeout="300"/>
//!   <flows>
//!     <flow name="tcp1" keys="ipsource,ipdestination,tcpsourceport,tcpdestinationport"
//!           value="frames" filter="ipsource=192.168.16.10&amp;ipdestination=192.168.16.11"/>
//!   </flows>
//!   <metrics>flood3,tcp1,sum:ifinpkts,avg:ifinpkts,max:ifinerrors</metrics>
//!   <graphite server="127.0.0.1:2003" prefix="sflow" interval="10" per-agent="false"
//!             buffer="10000"/>
//! </collector>
//! ```
//!
//! Every element is optional. A `<flows>` or `<metrics>` file given with `--flows` or
//! `--metrics` has that element as its root. Errors name the file, the line and column, and the
//! element or attribute at fault; unknown elements and attributes are errors too (a typo must
//! not be silently ignored).

use core::fmt;
use core::net::SocketAddr;
use core::time::Duration;

use roxmltree::{Document, Node};
use sdnwire_sflow_analytics::Config as EngineConfig;

use crate::collector::{valid_name, FlowSpec};
use crate::log::Level;

/// Where Graphite lines go, sflow2graphite style.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphiteConfig {
    /// The carbon plaintext listener (`HOST:PORT`, usually port 2003).
    pub server: String,
    /// The first component of every path.
    pub prefix: String,
    /// How often the metrics are pushed.
    pub interval: Duration,
    /// One path per agent (`PREFIX.AGENT.metric`) rather than one across agents.
    pub per_agent: bool,
    /// Most lines kept while carbon is unreachable; older lines are dropped (and counted).
    pub buffer: usize,
}

impl Default for GraphiteConfig {
    fn default() -> Self {
        GraphiteConfig {
            server: "127.0.0.1:2003".into(),
            prefix: "sflow".into(),
            interval: Duration::from_secs(10),
            per_agent: false,
            buffer: 10_000,
        }
    }
}

/// The whole configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// UDP addresses sFlow datagrams come in on (default `0.0.0.0:6343`).
    pub sflow_listen: Vec<SocketAddr>,
    /// The REST API's address (default `127.0.0.1:8008`, sFlow-RT's port).
    pub http_listen: SocketAddr,
    /// Largest request body taken; a larger one is answered 413.
    pub max_body: usize,
    /// Most HTTP connections served at once (1 to 65 536); further ones wait to be accepted.
    pub max_connections: usize,
    /// Time a client has to send a request's headers (and, once they came, its body); an
    /// idle keep-alive connection is closed after it too.
    pub header_timeout: Duration,
    /// The log level.
    pub log_level: Level,
    /// The analytics engine's bounds and timeouts.
    pub engine: EngineConfig,
    /// Flow definitions applied at start, as `PUT /flow/{name}/json` would.
    pub flows: Vec<(String, FlowSpec)>,
    /// The metrics pushed to Graphite (flow names and interface metrics, with an optional
    /// `max:`, `min:`, `sum:` or `avg:` prefix).
    pub metrics: Vec<String>,
    /// Graphite output, if any.
    pub graphite: Option<GraphiteConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            sflow_listen: vec![SocketAddr::from(([0, 0, 0, 0], 6343))],
            http_listen: SocketAddr::from(([127, 0, 0, 1], 8008)),
            max_body: 64 * 1024,
            max_connections: 64,
            header_timeout: Duration::from_secs(10),
            log_level: Level::Info,
            engine: EngineConfig::default(),
            flows: Vec::new(),
            metrics: Vec::new(),
            graphite: None,
        }
    }
}

/// A configuration or definitions file that does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file (as given), or `<text>`.
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
    /// What is wrong, naming the element or attribute.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

impl core::error::Error for ConfigError {}

/// The reader of one file: its name and text, for errors with positions.
struct Reader<'d, 'i> {
    file: &'d str,
    doc: &'d Document<'i>,
}

impl<'i> Reader<'_, 'i> {
    fn err_at(&self, pos: usize, message: String) -> ConfigError {
        let p = self.doc.text_pos_at(pos);
        ConfigError {
            file: self.file.into(),
            line: p.row,
            column: p.col,
            message,
        }
    }

    fn err(&self, node: Node<'_, 'i>, message: String) -> ConfigError {
        self.err_at(node.range().start, message)
    }

    /// An error at attribute `name` of `node` (its value's position).
    fn attr_err(&self, node: Node<'_, 'i>, name: &str, message: String) -> ConfigError {
        let pos = node
            .attribute_node(name)
            .map_or(node.range().start, |a| a.range_value().start);
        self.err_at(
            pos,
            format!("<{}> attribute `{name}`: {message}", node.tag_name().name()),
        )
    }

    fn only_attributes(&self, node: Node<'_, 'i>, allowed: &[&str]) -> Result<(), ConfigError> {
        for a in node.attributes() {
            if !allowed.contains(&a.name()) {
                return Err(self.err_at(
                    a.range().start,
                    format!(
                        "<{}>: unknown attribute `{}` (known: {})",
                        node.tag_name().name(),
                        a.name(),
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    fn parse_attr<T: core::str::FromStr>(
        &self,
        node: Node<'_, 'i>,
        name: &str,
        what: &str,
    ) -> Result<Option<T>, ConfigError> {
        match node.attribute(name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| self.attr_err(node, name, format!("expected {what}, got `{v}`"))),
        }
    }

    fn seconds(&self, node: Node<'_, 'i>, name: &str) -> Result<Option<Duration>, ConfigError> {
        match self.parse_attr::<f64>(node, name, "a number of seconds")? {
            None => Ok(None),
            Some(s) => Duration::try_from_secs_f64(s)
                .ok()
                .filter(|d| !d.is_zero())
                .map(Some)
                .ok_or_else(|| {
                    self.attr_err(
                        node,
                        name,
                        format!("expected a positive number of seconds, got `{s}`"),
                    )
                }),
        }
    }

    fn elements<'a>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
        node.children().filter(Node::is_element)
    }

    /// `<flows>`: each `<flow name keys value filter n t/>`.
    fn flows(&self, node: Node<'_, 'i>) -> Result<Vec<(String, FlowSpec)>, ConfigError> {
        self.only_attributes(node, &[])?;
        let mut out: Vec<(String, FlowSpec)> = Vec::new();
        for f in Self::elements(node) {
            if f.tag_name().name() != "flow" {
                return Err(self.err(
                    f,
                    format!(
                        "<flows>: unexpected element <{}> (expected <flow>)",
                        f.tag_name().name()
                    ),
                ));
            }
            self.only_attributes(f, &["name", "keys", "value", "filter", "n", "t"])?;
            let name = f
                .attribute("name")
                .ok_or_else(|| self.err(f, "<flow>: attribute `name` is required".into()))?;
            if !valid_name(name) {
                return Err(self.attr_err(
                    f,
                    "name",
                    format!("`{name}`: 1 to 64 letters, digits, `-`, `_` or `.`"),
                ));
            }
            if out.iter().any(|(n, _)| n == name) {
                return Err(self.attr_err(f, "name", format!("flow `{name}` is defined twice")));
            }
            let keys = f.attribute("keys").ok_or_else(|| {
                self.err(
                    f,
                    format!("<flow name=\"{name}\">: attribute `keys` is required"),
                )
            })?;
            let mut spec = FlowSpec::new(keys, f.attribute("value").unwrap_or("bytes"));
            spec.filter = f.attribute("filter").map(str::to_string);
            if let Some(n) = self.parse_attr::<u32>(f, "n", "a count")? {
                spec.n = n;
            }
            if let Some(t) = self.parse_attr::<f64>(f, "t", "a number of seconds")? {
                spec.t = t;
            }
            // Check it as the collector will, so that the error points at the attribute.
            if let Err(e) = crate::collector::check_spec(name, &spec) {
                let attr = e.attribute().unwrap_or("name");
                return Err(self.attr_err(f, attr, format!("flow `{name}`: {e}")));
            }
            out.push((name.into(), spec));
        }
        Ok(out)
    }

    /// `<metrics>a,b,sum:c</metrics>`.
    fn metrics(&self, node: Node<'_, 'i>) -> Result<Vec<String>, ConfigError> {
        self.only_attributes(node, &[])?;
        if let Some(e) = Self::elements(node).next() {
            return Err(self.err(
                e,
                "<metrics>: expected a comma-separated list of metric names, not elements".into(),
            ));
        }
        let text: String = node.children().filter_map(|c| c.text()).collect();
        let mut out = Vec::new();
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if let Err(m) = crate::api::check_metric_item(item) {
                return Err(self.err(node, format!("<metrics>: `{item}`: {m}")));
            }
            out.push(item.to_string());
        }
        Ok(out)
    }
}

/// The document of `text`, or its XML error with a position.
fn document<'i>(file: &str, text: &'i str) -> Result<Document<'i>, ConfigError> {
    Document::parse(text).map_err(|e| {
        let p = e.pos();
        ConfigError {
            file: file.into(),
            line: p.row,
            column: p.col,
            message: format!("not well-formed XML: {e}"),
        }
    })
}

fn expect_root(r: &Reader<'_, '_>, name: &str) -> Result<(), ConfigError> {
    let root = r.doc.root_element();
    if root.tag_name().name() != name {
        return Err(r.err(
            root,
            format!(
                "expected <{name}> as the root element, found <{}>",
                root.tag_name().name()
            ),
        ));
    }
    Ok(())
}

/// Flow definitions from a `<flows>` file.
pub fn parse_flows(file: &str, text: &str) -> Result<Vec<(String, FlowSpec)>, ConfigError> {
    let doc = document(file, text)?;
    let r = Reader { file, doc: &doc };
    expect_root(&r, "flows")?;
    r.flows(doc.root_element())
}

/// Metric names from a `<metrics>` file.
pub fn parse_metrics(file: &str, text: &str) -> Result<Vec<String>, ConfigError> {
    let doc = document(file, text)?;
    let r = Reader { file, doc: &doc };
    expect_root(&r, "metrics")?;
    r.metrics(doc.root_element())
}

impl Config {
    /// Reads a `<collector>` configuration (see the [module documentation](self)) over the
    /// defaults.
    pub fn parse(file: &str, text: &str) -> Result<Config, ConfigError> {
        let doc = document(file, text)?;
        let r = Reader { file, doc: &doc };
        expect_root(&r, "collector")?;
        let root = doc.root_element();
        r.only_attributes(root, &[])?;
        let mut c = Config::default();
        let mut sflow = Vec::new();
        for n in Reader::elements(root) {
            match n.tag_name().name() {
                "sflow" => {
                    r.only_attributes(n, &["listen"])?;
                    let a = r
                        .parse_attr(n, "listen", "an address such as 0.0.0.0:6343 or [::]:6343")?
                        .ok_or_else(|| r.err(n, "<sflow>: attribute `listen` is required".into()))?;
                    sflow.push(a);
                }
                "http" => {
                    r.only_attributes(n, &["listen", "max-body", "max-connections", "header-timeout"])?;
                    if let Some(a) = r.parse_attr(n, "listen", "an address such as 127.0.0.1:8008")? {
                        c.http_listen = a;
                    }
                    if let Some(v) = r.parse_attr(n, "max-body", "a number of bytes")? {
                        c.max_body = v;
                    }
                    if let Some(v) = r.parse_attr::<usize>(n, "max-connections", "a count")? {
                        c.max_connections = v.max(1);
                    }
                    if let Some(v) = r.seconds(n, "header-timeout")? {
                        c.header_timeout = v;
                    }
                }
                "log" => {
                    r.only_attributes(n, &["level"])?;
                    if let Some(v) = r.parse_attr(n, "level", "off, error, warn, info or debug")? {
                        c.log_level = v;
                    }
                }
                "engine" => {
                    r.only_attributes(
                        n,
                        &["max-agents", "max-interfaces", "max-definitions", "metric-timeout", "agent-timeout"],
                    )?;
                    if let Some(v) = r.parse_attr(n, "max-agents", "a count")? {
                        c.engine.max_agents = v;
                    }
                    if let Some(v) = r.parse_attr(n, "max-interfaces", "a count")? {
                        c.engine.max_interfaces = v;
                    }
                    if let Some(v) = r.parse_attr(n, "max-definitions", "a count")? {
                        c.engine.max_definitions = v;
                    }
                    if let Some(v) = r.seconds(n, "metric-timeout")? {
                        c.engine.metric_timeout = v;
                    }
                    if let Some(v) = r.seconds(n, "agent-timeout")? {
                        c.engine.agent_timeout = v;
                    }
                }
                "flows" => c.flows.extend(r.flows(n)?),
                "metrics" => c.metrics.extend(r.metrics(n)?),
                "graphite" => {
                    r.only_attributes(n, &["server", "prefix", "interval", "per-agent", "buffer"])?;
                    let mut g = GraphiteConfig::default();
                    if let Some(v) = n.attribute("server") {
                        g.server = v.trim().into();
                    }
                    if let Some(v) = n.attribute("prefix") {
                        g.prefix = v.trim().into();
                    }
                    if let Some(v) = r.seconds(n, "interval")? {
                        g.interval = v;
                    }
                    if let Some(v) = r.parse_attr(n, "per-agent", "true or false")? {
                        g.per_agent = v;
                    }
                    if let Some(v) = r.parse_attr::<usize>(n, "buffer", "a number of lines")? {
                        g.buffer = v.max(1);
                    }
                    c.graphite = Some(g);
                }
                other => {
                    return Err(r.err(
                        n,
                        format!("<collector>: unknown element <{other}> (known: sflow, http, log, engine, flows, metrics, graphite)"),
                    ))
                }
            }
        }
        if !sflow.is_empty() {
            c.sflow_listen = sflow;
        }
        Ok(c)
    }
}
