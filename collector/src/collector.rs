//! The collector's state: the analytics engine, the flow definitions as sFlow-RT's users wrote
//! them, and the counters of every agent. The HTTP API ([`crate::api`]) reads and changes it;
//! the UDP listeners feed it datagrams. No I/O here: the service owns sockets and the clock.

use core::net::IpAddr;
use core::time::Duration;
use std::collections::{BTreeMap, HashMap};

use sdnwire_sflow_analytics::sdnwire_sflow::{Address, DatagramView};
use sdnwire_sflow_analytics::{
    Config as EngineConfig, DatagramStatus, DefinitionError, Engine, Event, Flow, FlowDefinition,
    Instant,
};

use crate::log;

/// The keys every flow definition is given in front of the user's, so that flows are kept per
/// agent and data source as sFlow-RT keeps them (`/metric/10.0.0.1/tcp1` answers for one
/// agent). Their width (16 + 4 bytes) counts against the engine's flow key size.
const HIDDEN_KEYS: &str = "agent,inputifindex";

/// The suffix of the hidden frames definition that an `avg:` value divides by.
const FRAMES_SUFFIX: &str = "\u{1}frames";

/// Smallest and largest `n` (flows kept per data source for `topKeys`), as sFlow-RT clamps.
const N_RANGE: (u32, u32) = (5, 20);
/// Smallest and largest smoothing time constant `t` in seconds, as sFlow-RT clamps.
const T_RANGE: (f64, f64) = (0.2, 600.0);

/// How a flow's value is reported: the prefix of sFlow-RT's `value` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueMode {
    /// `rate:X` or plain `X`: X per second (frames, bytes or a numeric key times the sampling
    /// rate).
    Rate,
    /// `count:X`: packets per second of the flow (X must be a value the engine knows; the flow
    /// counts frames).
    Count,
    /// `avg:X`: the mean of X per packet of the flow (X per second over frames per second).
    Avg,
}

/// A flow definition as sFlow-RT's REST API takes it (`PUT /flow/{name}/json`) and the XML
/// `<flow>` element gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowSpec {
    /// Comma-separated flow keys (`ipsource,ipdestination`).
    pub keys: String,
    /// `frames`, `bytes` or a numeric key, with an optional `rate:`, `count:` or `avg:` prefix.
    pub value: String,
    /// sFlow-RT's filter expression, if any.
    pub filter: Option<String>,
    /// Largest flows reported per data source (`topKeys`), 5 to 20 (default 5).
    pub n: u32,
    /// Smoothing time constant in seconds, 0.2 to 600 (default 2).
    pub t: f64,
}

impl FlowSpec {
    /// A definition with sFlow-RT's defaults (`n` 5, `t` 2 s) and no filter.
    pub fn new(keys: &str, value: &str) -> FlowSpec {
        FlowSpec {
            keys: keys.into(),
            value: value.into(),
            filter: None,
            n: N_RANGE.0,
            t: 2.0,
        }
    }

    /// The value's mode and the engine value under it.
    fn value_mode(&self) -> (ValueMode, &str) {
        let v = self.value.trim();
        match v.split_once(':') {
            Some(("rate", x)) => (ValueMode::Rate, x),
            Some(("count", x)) => (ValueMode::Count, x),
            Some(("avg", x)) => (ValueMode::Avg, x),
            _ => (ValueMode::Rate, v),
        }
    }
}

/// A flow definition refused.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SpecError {
    /// A flow name that is empty, too long or has other characters than letters, digits, `-`,
    /// `_` and `.`.
    BadName(String),
    /// No keys.
    NoKeys,
    /// A value prefix other than `rate:`, `count:` and `avg:`.
    BadValuePrefix(String),
    /// `n` or `t` out of what a number can be (not finite).
    BadNumber(&'static str),
    /// The engine refused the keys, value or filter (offsets count in the attribute's text).
    Definition {
        /// Which attribute: `keys`, `value` or `filter`.
        attribute: &'static str,
        /// The engine's reason.
        error: DefinitionError,
    },
}

impl core::fmt::Display for SpecError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            SpecError::BadName(n) => write!(
                f,
                "bad flow name `{n}`: 1 to 64 letters, digits, `-`, `_` or `.`"
            ),
            SpecError::NoKeys => f.write_str("keys: at least one flow key is needed"),
            SpecError::BadValuePrefix(p) => {
                write!(f, "value: unknown prefix `{p}:` (expected rate:, count: or avg:)")
            }
            SpecError::BadNumber(what) => write!(f, "{what}: not a finite number"),
            SpecError::Definition {
                attribute,
                error: DefinitionError::KeyTooWide { width, max },
            } => write!(
                f,
                "{attribute}: the keys take {} bytes, more than the {} a flow key holds beside the agent and data source",
                width.saturating_sub(20),
                max.saturating_sub(20)
            ),
            SpecError::Definition { attribute, error } => write!(f, "{attribute}: {error}"),
        }
    }
}

impl core::error::Error for SpecError {}

impl SpecError {
    /// The attribute at fault: `name`, `keys`, `value`, `filter`, `n` or `t`.
    pub fn attribute(&self) -> Option<&'static str> {
        Some(match self {
            SpecError::BadName(_) => "name",
            SpecError::NoKeys => "keys",
            SpecError::BadValuePrefix(_) => "value",
            SpecError::BadNumber(what) => what,
            SpecError::Definition { attribute, .. } => attribute,
        })
    }
}

/// Whether `name` can name a flow (it appears in paths and Graphite names).
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// What the collector counts of one agent (sFlow-RT's `/agents/json`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentCounters {
    /// Datagrams received from the agent.
    pub datagrams: u64,
    /// Datagrams that did not decode (counted, logged, otherwise ignored).
    pub bad_datagrams: u64,
    /// Datagrams ignored as repeats.
    pub duplicates: u64,
    /// Restarts seen (sequence number or uptime going back).
    pub restarts: u64,
    /// When the first datagram came.
    pub first_seen: Instant,
    /// When the latest datagram came.
    pub last_seen: Instant,
    /// The UDP source address of the latest datagram.
    pub source: Option<IpAddr>,
    /// The latest decoding error, as text.
    pub last_error: Option<String>,
    /// Bad datagrams not logged since the last line about this agent (rate limit).
    unlogged: u64,
    last_logged: Option<Instant>,
}

/// Counters of the whole collector (sFlow-RT's `/analyzer/json`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CollectorStats {
    /// Datagrams whose agent was not counted in the agent table because it was full
    /// (the engine still took the good ones).
    pub agents_untracked: u64,
    /// HTTP requests answered.
    pub http_requests: u64,
    /// HTTP requests answered with a 4xx status.
    pub http_client_errors: u64,
}

/// One flow of one data source, from the engine's flows of a definition.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFlow {
    /// The agent the flow was sampled by.
    pub agent: IpAddr,
    /// The data source (the input ifIndex of the flow).
    pub data_source: u32,
    /// The user's key values joined by `,`.
    pub key: String,
    /// The flow's value (rate, count or average, per the definition's value prefix).
    pub value: f64,
    /// Time since the flow's last sample.
    pub last_update: Duration,
}

/// The collector's whole state. See the [module documentation](self).
#[derive(Debug)]
pub struct Collector {
    engine: Engine,
    flows: BTreeMap<String, FlowSpec>,
    agents: HashMap<IpAddr, AgentCounters>,
    max_agents: usize,
    /// The collector's counters.
    pub stats: CollectorStats,
    /// The Graphite output's counters.
    pub graphite: crate::graphite::GraphiteStats,
    start: Instant,
    latest: Instant,
}

/// Bad datagrams of one agent are logged at most once per this interval.
const LOG_INTERVAL: Duration = Duration::from_secs(10);

impl Collector {
    /// A collector with no flow definitions, running from `now`; `max_agents` bounds the agent
    /// table (the engine's and the collector's).
    pub fn new(engine: EngineConfig, now: Instant) -> Collector {
        let max_agents = engine.max_agents;
        Collector {
            engine: Engine::new(engine, now),
            flows: BTreeMap::new(),
            agents: HashMap::new(),
            max_agents,
            stats: CollectorStats::default(),
            graphite: crate::graphite::GraphiteStats::default(),
            start: now,
            latest: now,
        }
    }

    /// The engine (read-only: definitions go through [`Collector::set_flow`]).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// When the collector started.
    pub fn start(&self) -> Instant {
        self.start
    }

    /// The latest `now` the collector was given.
    pub fn now(&self) -> Instant {
        self.latest
    }

    fn clock(&mut self, now: Instant) -> Instant {
        if now > self.latest {
            self.latest = now;
        }
        self.latest
    }

    /// Takes one datagram received from `from` (the UDP source address). A good datagram is
    /// counted against the agent address in its header; one the engine refused (it does not
    /// decode) is counted against `from`, since its header cannot be trusted, and logged at
    /// most once per 10 s per agent; it is never fatal. Agents silent for longer than the
    /// engine's `agent_timeout` leave the table at [`Collector::handle_timeout`], as they
    /// leave the engine's.
    pub fn handle_datagram(&mut self, now: Instant, from: IpAddr, bytes: &[u8]) {
        let now = self.clock(now);
        let result = self.engine.handle_datagram(now, bytes);
        let agent = match result {
            Ok(_) => match DatagramView::parse(bytes).map(|d| d.agent_address()) {
                Ok(Address::V4(a)) => IpAddr::V4(a),
                Ok(Address::V6(a)) => IpAddr::V6(a),
                _ => from,
            },
            Err(_) => from,
        };
        if !self.agents.contains_key(&agent) && self.agents.len() >= self.max_agents {
            self.stats.agents_untracked += 1;
            if let Err(e) = result {
                log!(
                    Debug,
                    "malformed datagram from agent {agent} (via {from}), not followed: {e}"
                );
            }
            return;
        }
        let a = self.agents.entry(agent).or_insert_with(|| AgentCounters {
            first_seen: now,
            ..AgentCounters::default()
        });
        a.datagrams += 1;
        a.last_seen = now;
        a.source = Some(from);
        match result {
            Ok(DatagramStatus::Duplicate) => a.duplicates += 1,
            Ok(DatagramStatus::Restarted) => a.restarts += 1,
            Ok(_) => {}
            Err(e) => {
                a.bad_datagrams += 1;
                a.unlogged += 1;
                let text = e.to_string();
                let due = a
                    .last_logged
                    .is_none_or(|t| now.saturating_duration_since(t) >= LOG_INTERVAL);
                if due {
                    let more = a.unlogged - 1;
                    if more > 0 {
                        log!(Warn, "malformed datagram from agent {agent} (via {from}): {text} ({more} more since the last line)");
                    } else {
                        log!(
                            Warn,
                            "malformed datagram from agent {agent} (via {from}): {text}"
                        );
                    }
                    a.unlogged = 0;
                    a.last_logged = Some(now);
                } else {
                    log!(
                        Debug,
                        "malformed datagram from agent {agent} (via {from}): {text}"
                    );
                }
                a.last_error = Some(text);
            }
        }
    }

    /// Advances the clock (the engine's sweeps), drops the agents not heard from for longer
    /// than the engine's `agent_timeout` (as the engine drops its own) and logs the engine's
    /// events. Harmless when called early or twice.
    pub fn handle_timeout(&mut self, now: Instant) {
        let now = self.clock(now);
        self.engine.handle_timeout(now);
        let timeout = self.engine.config().agent_timeout;
        self.agents
            .retain(|_, a| now.saturating_duration_since(a.last_seen) <= timeout);
        while let Some(ev) = self.engine.poll_event() {
            match ev {
                Event::Resync => {
                    let s = self.engine.stats();
                    log!(Warn, "engine events dropped ({} in all): {} interface samples refused, {} datagrams of agents not followed", s.events_dropped, s.interfaces_refused, s.agents_refused);
                }
                Event::AgentRestarted {
                    agent, restarts, ..
                } => log!(Info, "agent {agent} restarted ({restarts} restarts seen)"),
                Event::FlowTableFull {
                    definition,
                    total_evicted,
                    total_refused,
                } => log!(Warn, "flow table {} full: {total_evicted} flows evicted, {total_refused} refused in all", definition.trim_end_matches(FRAMES_SUFFIX)),
                ev => log!(Warn, "{ev:?}"),
            }
        }
    }

    /// When [`Collector::handle_timeout`] should next be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.engine.poll_timeout()
    }

    // ---- flow definitions ----

    /// Adds or replaces the flow definition `name` (sFlow-RT's `PUT /flow/{name}/json`): its
    /// flows start empty. A definition that does not parse, or that the engine cannot take,
    /// changes nothing.
    pub fn set_flow(&mut self, name: &str, spec: FlowSpec) -> Result<(), SpecError> {
        let spec = normalize(name, spec)?;
        let defs = engine_definitions(name, &spec)?;
        let old = self.flows.remove(name);
        self.remove_engine_flows(name);
        let mut failure = None;
        for d in defs {
            match self.engine.add_flow(d) {
                Ok(()) => {}
                Err(e) => {
                    failure = Some(SpecError::Definition {
                        attribute: "name",
                        error: e,
                    });
                    break;
                }
            }
        }
        if let Some(e) = failure {
            // Put back what was there.
            self.remove_engine_flows(name);
            if let Some(old) = old {
                if let Ok(defs) = engine_definitions(name, &old) {
                    for d in defs {
                        let _ = self.engine.add_flow(d);
                    }
                }
                self.flows.insert(name.into(), old);
            }
            return Err(e);
        }
        self.flows.insert(name.into(), spec);
        Ok(())
    }

    fn remove_engine_flows(&mut self, name: &str) {
        self.engine.remove_flow(name);
        self.engine.remove_flow(&format!("{name}{FRAMES_SUFFIX}"));
    }

    /// Removes the flow definition `name`; false if there is none.
    pub fn delete_flow(&mut self, name: &str) -> bool {
        if self.flows.remove(name).is_none() {
            return false;
        }
        self.remove_engine_flows(name);
        true
    }

    /// The flow definition `name`.
    pub fn flow(&self, name: &str) -> Option<&FlowSpec> {
        self.flows.get(name)
    }

    /// Every flow definition, by name.
    pub fn flows(&self) -> &BTreeMap<String, FlowSpec> {
        &self.flows
    }

    /// Every flow of definition `name` with its agent and data source, largest first (`None`
    /// if there is no such definition).
    pub fn source_flows(&self, name: &str) -> Option<Vec<SourceFlow>> {
        let spec = self.flows.get(name)?;
        let max = self.engine.flow_stats(name).map_or(0, |s| s.active).max(1);
        let main = self.engine.top(name, max)?;
        let mut out: Vec<SourceFlow> = match spec.value_mode().0 {
            ValueMode::Rate | ValueMode::Count => main.iter().filter_map(split_flow).collect(),
            ValueMode::Avg => {
                let frames_name = format!("{name}{FRAMES_SUFFIX}");
                let n = self
                    .engine
                    .flow_stats(&frames_name)
                    .map_or(0, |s| s.active)
                    .max(1);
                let frames: HashMap<String, f64> = self
                    .engine
                    .top(&frames_name, n)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|f| (f.key, f.value))
                    .collect();
                main.iter()
                    .filter_map(|f| {
                        let per_frame = frames.get(&f.key).copied().filter(|&v| v > 0.0)?;
                        let mut s = split_flow(f)?;
                        s.value /= per_frame;
                        Some(s)
                    })
                    .collect()
            }
        };
        out.sort_by(|a, b| b.value.total_cmp(&a.value));
        Some(out)
    }

    // ---- agents ----

    /// The counters of every agent heard from.
    pub fn agents(&self) -> &HashMap<IpAddr, AgentCounters> {
        &self.agents
    }
}

/// Checks a definition as [`Collector::set_flow`] does, without changing anything.
pub fn check_spec(name: &str, spec: &FlowSpec) -> Result<(), SpecError> {
    let spec = normalize(name, spec.clone())?;
    engine_definitions(name, &spec).map(|_| ())
}

/// The name checked, `n` and `t` clamped to sFlow-RT's ranges, an empty filter removed.
fn normalize(name: &str, mut spec: FlowSpec) -> Result<FlowSpec, SpecError> {
    if !valid_name(name) {
        return Err(SpecError::BadName(name.into()));
    }
    if spec.keys.trim().is_empty() {
        return Err(SpecError::NoKeys);
    }
    if !spec.t.is_finite() {
        return Err(SpecError::BadNumber("t"));
    }
    spec.n = spec.n.clamp(N_RANGE.0, N_RANGE.1);
    spec.t = spec.t.clamp(T_RANGE.0, T_RANGE.1);
    if spec.filter.as_deref().is_some_and(|f| f.trim().is_empty()) {
        spec.filter = None;
    }
    Ok(spec)
}

/// The engine definitions that carry the user's definition.
fn engine_definitions(name: &str, spec: &FlowSpec) -> Result<Vec<FlowDefinition>, SpecError> {
    let (mode, value) = spec.value_mode();
    if let Some((p, _)) = spec.value.trim().split_once(':') {
        if !matches!(p, "rate" | "count" | "avg") {
            return Err(SpecError::BadValuePrefix(p.into()));
        }
    }
    let keys = format!("{HIDDEN_KEYS},{}", spec.keys.trim());
    let tau = Duration::from_secs_f64(spec.t);
    let build = |name: &str, value: &str| -> Result<FlowDefinition, SpecError> {
        let mut d = FlowDefinition::new(name, &keys, value).map_err(|e| {
            let attribute = match e {
                DefinitionError::BadValueName { .. } => "value",
                _ => "keys",
            };
            SpecError::Definition {
                attribute,
                error: shift_key_offset(e),
            }
        })?;
        d = d.with_time_constant(tau);
        if let Some(f) = &spec.filter {
            d = d.with_filter(f).map_err(|error| SpecError::Definition {
                attribute: "filter",
                error,
            })?;
        }
        Ok(d)
    };
    // Check the value even in count mode, where the engine counts frames.
    let main = build(name, value)?;
    Ok(match mode {
        ValueMode::Rate => vec![main],
        ValueMode::Count => vec![build(name, "frames")?],
        ValueMode::Avg => vec![main, build(&format!("{name}{FRAMES_SUFFIX}"), "frames")?],
    })
}

/// An engine error's key offset shifted back over the hidden keys, so that it counts in the
/// user's `keys` text.
fn shift_key_offset(e: DefinitionError) -> DefinitionError {
    match e {
        DefinitionError::UnknownKey { name, offset } => DefinitionError::UnknownKey {
            name,
            offset: offset.saturating_sub(HIDDEN_KEYS.len() + 1),
        },
        e => e,
    }
}

/// Splits an engine flow `agent,ifindex,user keys...` into its parts.
fn split_flow(f: &Flow) -> Option<SourceFlow> {
    let mut parts = f.key.splitn(3, ',');
    let agent = parts.next()?.parse().ok()?;
    let data_source = parts.next()?.parse().ok()?;
    let key = parts.next()?.to_string();
    Some(SourceFlow {
        agent,
        data_source,
        key,
        value: f.value,
        last_update: f.last_update,
    })
}
