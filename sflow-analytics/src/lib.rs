//! The analytics engine: sFlow samples in, flows, top-N and interface metrics out, the way
//! sFlow-RT turns them into its REST API's `/activeflows`, `/metric` and Graphite output.
//!
//! The engine is a sans-I/O machine, shaped as the workspace's other state machines: it is made
//! with [`Engine::new`]`(config, now)` and reads time only as the [`Instant`]
//! (`sdnwire_packet::time::Instant`) the caller hands it (a simulation starts at
//! [`Instant::ZERO`], a real runtime uses `sdnwire_packet::time::Clock`). The caller feeds it
//! datagrams (or decoded samples) with the current [`Instant`], asks it questions, and drains
//! its events:
//!
//! * inputs: [`Engine::handle_datagram`] (bytes as received on UDP 6343), or the pieces:
//!   [`Engine::handle_agent_datagram`], [`Engine::handle_flow_sample`],
//!   [`Engine::handle_counter_sample`]; [`Engine::handle_timeout`] when
//!   [`Engine::poll_timeout`]'s instant has come (idle flows and interfaces are dropped then, and
//!   also during any input);
//! * queries: [`Engine::top`] (the largest flows of a definition), [`Engine::metric`] (sFlow-RT's
//!   `/metric/{agent}/{metric}`: values per agent and interface, or `max:`/`min:`/`sum:`/`avg:`
//!   across them), [`Engine::write_graphite_metrics`] and [`Engine::write_graphite_flows`]
//!   (Graphite plaintext lines, with a wall-clock timestamp the caller passes);
//! * outputs: [`Engine::poll_event`] (a table full, an agent restarted, or [`Event::Resync`]
//!   when the bounded queue was full: no event is lost silently, see [`Event`]).
//!
//! Bad input is an `Err` from [`Engine::handle_datagram`] (with the byte offset) counted in
//! [`Stats::bad_datagrams`], never an event: a flood of it cannot crowd events out.
//!
//! Time never goes backwards for the engine: a `now` earlier than the last one counts as the
//! last one. Memory is bounded by configuration: [`FlowDefinition::with_max_flows`] per
//! definition, [`Config::max_interfaces`], [`Config::max_agents`], [`Config::max_events`].
//!
//! ```
//! use core::time::Duration;
//! use sdnwire_sflow_analytics::{Config, Engine, FlowDefinition, FlowSampleInput, HeaderProtocol};
//! use sdnwire_sflow_analytics::Instant;
//! use sdnwire_packet::{Encode, Ethernet, Ipv4, MacAddr, Tcp};
//!
//! let start = Instant::ZERO; // a virtual clock
//! let mut engine = Engine::new(Config::default(), start);
//! engine.add_flow(FlowDefinition::new("pairs", "ipsource,ipdestination", "bytes")?)?;
//! let frame = (Ethernet::new(MacAddr::new(0, 0, 0, 0, 0, 2), MacAddr::new(0, 0, 0, 0, 0, 1))
//!     / Ipv4::new("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap())
//!     / Tcp::new(40000, 80, sdnwire_packet::tcp::TcpFlags::ACK))
//!     .to_vec()
//!     .unwrap();
//! // One 1000-byte packet in 100 sampled every 10 ms: 10 000 000 bytes per second... for 60 s.
//! for i in 0..6000 {
//!     let sample = FlowSampleInput {
//!         agent: "192.0.2.1".parse().unwrap(),
//!         input_ifindex: 1,
//!         output_ifindex: 2,
//!         sampling_rate: 100,
//!         frame_length: 1000,
//!         header_protocol: HeaderProtocol::ETHERNET,
//!         header: &frame,
//!     };
//!     engine.handle_flow_sample(start + Duration::from_millis(10 * i), &sample);
//! }
//! let top = engine.top("pairs", 5).unwrap();
//! assert_eq!(top[0].key, "10.0.0.1,10.0.0.2");
//! assert!((top[0].value - 10_000_000.0).abs() < 0.01 * 10_000_000.0);
//! # Ok::<(), sdnwire_sflow_analytics::DefinitionError>(())
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]
// Parsers face hostile input: no panicking index, unwrap, expect or panic in library code
// (the workspace lints warn everywhere; here they are errors outside tests).
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]
extern crate alloc;

pub mod filter;
pub mod flows;
pub mod graphite;
pub mod keys;
pub mod metrics;
pub mod query;

use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;
use core::time::Duration;
use std::collections::HashMap;

pub use sdnwire_sflow;
pub use sdnwire_sflow::Instant;

pub use filter::Filter;
pub use flows::{Flow, FlowDefinition, FlowTableStats, FlowValue, Overflow};
pub use keys::{Fields, FlowSampleInput, HeaderProtocol, Key, KeyKind};
pub use metrics::{CounterSampleInput, Metric};
pub use query::{Aggregate, MetricResult, QueryError};

use flows::FlowTable;
use metrics::Interface;

use sdnwire_sflow::{
    Address, CounterRecordView, CountersSampleView, DatagramView, FlowRecordView, FlowSampleView,
    SampleView,
};

/// A flow definition, a filter or a value that does not parse, or a definition the engine
/// cannot take. Offsets count bytes from the start of the text that was parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DefinitionError {
    /// A key name that is not one of [`Key::ALL`].
    #[error("unknown key `{name}` at offset {offset}")]
    UnknownKey {
        /// The name as written.
        name: String,
        /// Where it starts.
        offset: usize,
    },
    /// A value that does not read as the key's kind.
    #[error("bad value `{value}` for {key} at offset {offset}: expected {expected}")]
    BadValue {
        /// The key compared with.
        key: &'static str,
        /// The value as written.
        value: String,
        /// Where it starts.
        offset: usize,
        /// What the key takes.
        expected: &'static str,
    },
    /// Something else than the grammar allows here.
    #[error("expected {expected} at offset {offset}, found {found}")]
    Expected {
        /// What the grammar allows.
        expected: &'static str,
        /// What is there (a quoted character, or "the end of the filter").
        found: String,
        /// Where.
        offset: usize,
    },
    /// `~` in a build without the `regex` feature.
    #[error("`~` (regular expression) at offset {offset} needs the `regex` feature of sflow")]
    RegexUnavailable {
        /// Where the `~` is.
        offset: usize,
    },
    /// A regular expression the `regex` crate refuses.
    #[error("bad regular expression at offset {offset}: {reason}")]
    BadRegex {
        /// Where the expression starts.
        offset: usize,
        /// The `regex` crate's message.
        reason: String,
    },
    /// Parentheses or `!` nested deeper than [`filter::MAX_DEPTH`].
    #[error("filter nested deeper than {max} levels at offset {offset}")]
    TooDeep {
        /// The limit.
        max: usize,
        /// Where the limit was passed.
        offset: usize,
    },
    /// Keys wider together than a compact flow key.
    #[error("the keys take {width} bytes, more than the {max} a flow key holds")]
    KeyTooWide {
        /// Their width.
        width: usize,
        /// [`flows::MAX_KEY_BYTES`].
        max: usize,
    },
    /// A value that is not `frames`, `bytes` or a numeric key.
    #[error("unknown value `{value}`: expected frames, bytes or a numeric key")]
    BadValueName {
        /// The value as written.
        value: String,
    },
    /// [`Engine::add_flow`] with the name of a definition the engine has.
    #[error("a flow definition named `{name}` exists")]
    DuplicateName {
        /// The name.
        name: String,
    },
    /// [`Engine::add_flow`] beyond [`Config::max_definitions`].
    #[error("the engine holds at most {max} flow definitions")]
    TooManyDefinitions {
        /// The limit.
        max: usize,
    },
}

/// Something the caller may want to know; drained with [`Engine::poll_event`].
///
/// Every event carries totals, not differences, so that the state accessors can always stand
/// in for the events: the totals of [`Event::FlowTableFull`] are those of
/// [`Engine::flow_stats`], those of [`Event::InterfaceTableFull`] and
/// [`Event::AgentTableFull`] those of [`Engine::stats`], and an [`Event::AgentRestarted`]'s
/// `restarts` is that agent's [`AgentInfo::restarts`] in [`Engine::agent_infos`].
///
/// The queue is bounded ([`Config::max_events`]). When it is full the engine drops what it
/// cannot queue (counted in [`Stats::events_dropped`]) and queues one [`Event::Resync`]
/// instead; nothing more is queued until the runtime has taken that `Resync`. The runtime
/// then reads the accessors above, which are always the truth, and goes on with the events
/// that follow.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Event {
    /// A flow table was full: flows were evicted or refused since the last such event of the
    /// definition (at most one per definition per second).
    FlowTableFull {
        /// The definition's name.
        definition: String,
        /// Flows evicted in all since the definition was added ([`FlowTableStats::evicted`]).
        total_evicted: u64,
        /// Flows refused in all since the definition was added ([`FlowTableStats::refused`]).
        total_refused: u64,
    },
    /// Counter samples were refused because [`Config::max_interfaces`] interfaces were known
    /// (at most one event per second).
    InterfaceTableFull {
        /// Counter samples refused in all ([`Stats::interfaces_refused`]).
        total_refused: u64,
    },
    /// Agents were not followed because [`Config::max_agents`] were known (at most one event
    /// per second).
    AgentTableFull {
        /// Datagrams of agents not followed, in all ([`Stats::agents_refused`]).
        total_refused: u64,
    },
    /// An agent's datagram sequence number or uptime went backwards: it restarted, and the
    /// counters of its interfaces were taken as a new baseline (no rate spike).
    AgentRestarted {
        /// The agent.
        agent: IpAddr,
        /// Its sub-agent.
        sub_agent: u32,
        /// Restarts of this (agent, sub-agent) seen while the engine follows it
        /// ([`AgentInfo::restarts`]).
        restarts: u64,
    },
    /// The event queue was full and events were dropped: read [`Engine::flow_stats`] of each
    /// definition, [`Engine::stats`] and [`Engine::agent_infos`] for the state they would
    /// have told.
    Resync,
}

/// What the engine follows of an (agent, sub-agent): [`Engine::agent_infos`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AgentInfo {
    /// The agent's address.
    pub agent: IpAddr,
    /// The sub-agent.
    pub sub_agent: u32,
    /// The latest datagram sequence number.
    pub sequence_number: u32,
    /// The latest uptime, in milliseconds.
    pub uptime_ms: u32,
    /// Restarts seen since the engine began to follow it.
    pub restarts: u64,
}

/// The engine's bounds and timeouts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Most flow definitions.
    pub max_definitions: usize,
    /// Most (agent, ifindex) interfaces with metrics.
    pub max_interfaces: usize,
    /// Most (agent, sub-agent) pairs whose sequence numbers are followed.
    pub max_agents: usize,
    /// Most events queued, [`Event::Resync`] included (at least 1 is used). When the queue is
    /// full, new events are dropped (counted in [`Stats::events_dropped`]) and a `Resync` takes
    /// the last place.
    pub max_events: usize,
    /// An interface without a counter sample for this long is forgotten (its metrics go).
    pub metric_timeout: Duration,
    /// An agent without a datagram for this long is forgotten.
    pub agent_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_definitions: 64,
            max_interfaces: 65_536,
            max_agents: 4096,
            max_events: 256,
            metric_timeout: Duration::from_secs(60),
            agent_timeout: Duration::from_secs(300),
        }
    }
}

/// The engine's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Datagrams given to [`Engine::handle_datagram`].
    pub datagrams: u64,
    /// Datagrams that did not decode. Such a datagram changes nothing else: it is checked
    /// whole before any of it is taken.
    pub bad_datagrams: u64,
    /// Datagrams ignored as repeats (same agent, sub-agent, sequence number and uptime).
    pub duplicate_datagrams: u64,
    /// Flow samples taken.
    pub flow_samples: u64,
    /// Counter samples taken.
    pub counter_samples: u64,
    /// Agent restarts seen.
    pub agent_restarts: u64,
    /// Counter samples refused because the interface table was full.
    pub interfaces_refused: u64,
    /// Datagrams from agents beyond [`Config::max_agents`].
    pub agents_refused: u64,
    /// Events dropped because the queue was full (each time, an [`Event::Resync`] says so).
    pub events_dropped: u64,
    /// [`Event::Resync`] events queued.
    pub resyncs: u64,
}

/// What the engine knows of an (agent, sub-agent).
#[derive(Debug, Clone, Copy)]
struct AgentState {
    sequence: u32,
    uptime_ms: u32,
    last: f64,
    restarts: u64,
}

/// How a datagram's header compares with the agent's previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatagramStatus {
    /// The first datagram of the agent, or the next one.
    New,
    /// A datagram sent before the previous one (reordered in the network): its flow samples
    /// count, stale counter samples are ignored by their own sequence numbers.
    Late,
    /// The same sequence number and uptime as the previous one: ignore the datagram.
    Duplicate,
    /// The agent restarted: its interfaces take a new baseline.
    Restarted,
}

/// Sequence numbers at most this far behind the previous datagram's are a reordering; further
/// behind (or an uptime more than [`RESTART_UPTIME_MS`] behind), a restart.
const LATE_WINDOW: u32 = 64;
/// An uptime this much behind the previous datagram's means the agent restarted.
const RESTART_UPTIME_MS: u32 = 10_000;
/// How often the tables are swept for idle entries.
const SWEEP_INTERVAL: Duration = Duration::from_secs(1);

/// The analytics engine. See the [module documentation](self).
#[derive(Debug)]
pub struct Engine {
    config: Config,
    epoch: Instant,
    last_now: Instant,
    /// The latest `now` seen (the engine's clock never goes backwards).
    latest: Instant,
    /// Seconds from `epoch` to `latest`.
    t: f64,
    /// When the next sweep is due: an exact instant, so that `handle_timeout` at the instant
    /// `poll_timeout` returned always sweeps.
    next_sweep: Instant,
    tables: Vec<FlowTable>,
    interfaces: HashMap<(IpAddr, u32), Interface>,
    agents: HashMap<(IpAddr, u32), AgentState>,
    events: VecDeque<Event>,
    resync_queued: bool,
    stats: Stats,
    reported_interfaces_refused: u64,
    reported_agents_refused: u64,
}

impl Engine {
    /// An engine with no flow definitions, running from `now` (the origin of its rates and
    /// timeouts): [`Engine::poll_timeout`] is valid at once.
    pub fn new(config: Config, now: Instant) -> Engine {
        Engine {
            config,
            epoch: now,
            last_now: now,
            latest: now,
            t: 0.0,
            next_sweep: now.saturating_add(SWEEP_INTERVAL),
            tables: Vec::new(),
            interfaces: HashMap::new(),
            agents: HashMap::new(),
            events: VecDeque::new(),
            resync_queued: false,
            stats: Stats::default(),
            reported_interfaces_refused: 0,
            reported_agents_refused: 0,
        }
    }

    // ---- configuration ----

    /// Adds a flow definition; its flows start empty.
    pub fn add_flow(&mut self, def: FlowDefinition) -> Result<(), DefinitionError> {
        if self.tables.iter().any(|t| t.def.name() == def.name()) {
            return Err(DefinitionError::DuplicateName {
                name: def.name().into(),
            });
        }
        if self.tables.len() >= self.config.max_definitions {
            return Err(DefinitionError::TooManyDefinitions {
                max: self.config.max_definitions,
            });
        }
        self.tables.push(FlowTable::new(def));
        Ok(())
    }

    /// Removes the flow definition named `name` and its flows; false if there is none.
    pub fn remove_flow(&mut self, name: &str) -> bool {
        let before = self.tables.len();
        self.tables.retain(|t| t.def.name() != name);
        before != self.tables.len()
    }

    /// The flow definitions, in the order they were added.
    pub fn definitions(&self) -> impl Iterator<Item = &FlowDefinition> {
        self.tables.iter().map(|t| &t.def)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    // ---- inputs ----

    /// Seconds on the engine's clock for `now` (never backwards), sweeping if it is time.
    #[inline]
    fn clock(&mut self, now: Instant) -> f64 {
        // Samples of one datagram share their `now`: the common case costs one comparison.
        if self.last_now == now {
            return self.t;
        }
        self.last_now = now;
        if now > self.latest {
            self.latest = now;
            self.t = now.saturating_duration_since(self.epoch).as_secs_f64();
        }
        if self.latest >= self.next_sweep {
            self.sweep();
        }
        self.t
    }

    /// Takes one flow sample.
    #[inline]
    pub fn handle_flow_sample(&mut self, now: Instant, sample: &FlowSampleInput<'_>) {
        let t = self.clock(now);
        self.stats.flow_samples += 1;
        if self.tables.is_empty() {
            return;
        }
        let fields = Fields::decode(sample);
        for table in &mut self.tables {
            table.add(t, &fields, sample.sampling_rate);
        }
    }

    /// Takes one counter sample: the interface's metrics are updated.
    pub fn handle_counter_sample(&mut self, now: Instant, sample: &CounterSampleInput) {
        let t = self.clock(now);
        self.stats.counter_samples += 1;
        let ifindex = sample
            .generic
            .as_ref()
            .map_or(sample.source_index, |g| g.if_index);
        let id = (sample.agent, ifindex);
        if !self.interfaces.contains_key(&id) {
            if self.interfaces.len() >= self.config.max_interfaces {
                self.stats.interfaces_refused += 1;
                return;
            }
            self.interfaces.insert(id, Interface::new());
        }
        if let Some(i) = self.interfaces.get_mut(&id) {
            i.update(t, sample);
        }
    }

    /// Takes one sFlow datagram as received: follows the agent's sequence number and uptime
    /// ([`Engine::handle_agent_datagram`]), then takes every flow sample's raw packet header
    /// records and every counter sample's generic interface and Ethernet counters (compact and
    /// expanded forms). Other samples and records are skipped.
    ///
    /// The whole datagram (header, every sample and every record of its flow, counter and
    /// discarded-packet samples) is checked before any of it is taken. A datagram that does
    /// not decode is counted in [`Stats::datagrams`] and [`Stats::bad_datagrams`] and its error
    /// returned; nothing else changes (no agent, sequence number, clock, flow, interface,
    /// event or other counter). A [`DatagramStatus::Duplicate`] is not taken at all.
    pub fn handle_datagram(
        &mut self,
        now: Instant,
        datagram: &[u8],
    ) -> Result<DatagramStatus, sdnwire_sflow::Error> {
        self.stats.datagrams += 1;
        let result = self.take_datagram(now, datagram);
        if result.is_err() {
            self.stats.bad_datagrams += 1;
        }
        result
    }

    fn take_datagram(
        &mut self,
        now: Instant,
        datagram: &[u8],
    ) -> Result<DatagramStatus, sdnwire_sflow::Error> {
        let d = DatagramView::parse(datagram)?;
        // Check everything first: refused input must not change any state.
        Self::check_datagram(&d)?;
        let agent = match d.agent_address() {
            Address::V4(a) => IpAddr::V4(a),
            Address::V6(a) => IpAddr::V6(a),
            Address::Unknown => IpAddr::V4(core::net::Ipv4Addr::UNSPECIFIED),
        };
        let status = self.handle_agent_datagram(
            now,
            agent,
            d.sub_agent_id(),
            d.sequence_number(),
            d.uptime(),
        );
        if status == DatagramStatus::Duplicate {
            return Ok(status);
        }
        for sample in d.samples() {
            match sample? {
                SampleView::Flow(f) | SampleView::ExpandedFlow(f) => {
                    self.take_flow_sample(now, agent, &f)?
                }
                SampleView::Counters(c) | SampleView::ExpandedCounters(c) => {
                    self.take_counters_sample(now, agent, &c)?
                }
                _ => {}
            }
        }
        Ok(status)
    }

    /// Walks every sample and record of `d` through the views (no allocation).
    fn check_datagram(d: &DatagramView<'_>) -> Result<(), sdnwire_sflow::Error> {
        for sample in d.samples() {
            match sample? {
                SampleView::Flow(f) | SampleView::ExpandedFlow(f) => {
                    for record in f.records() {
                        record?;
                    }
                }
                SampleView::Counters(c) | SampleView::ExpandedCounters(c) => {
                    for record in c.records() {
                        record?;
                    }
                }
                SampleView::Discarded(x) => {
                    for record in x.records() {
                        record?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn take_flow_sample(
        &mut self,
        now: Instant,
        agent: IpAddr,
        f: &FlowSampleView<'_>,
    ) -> Result<(), sdnwire_sflow::Error> {
        for record in f.records() {
            if let FlowRecordView::RawHeader(h) = record? {
                self.handle_flow_sample(
                    now,
                    &FlowSampleInput {
                        agent,
                        input_ifindex: f.input().ifindex().unwrap_or(0),
                        output_ifindex: f.output().ifindex().unwrap_or(0),
                        sampling_rate: f.sampling_rate(),
                        frame_length: h.frame_length(),
                        header_protocol: h.header_protocol(),
                        header: h.header(),
                    },
                );
            }
        }
        Ok(())
    }

    fn take_counters_sample(
        &mut self,
        now: Instant,
        agent: IpAddr,
        c: &CountersSampleView<'_>,
    ) -> Result<(), sdnwire_sflow::Error> {
        let mut input = CounterSampleInput {
            agent,
            source_index: c.source_id().index,
            sequence: c.sequence_number(),
            generic: None,
            ethernet: None,
        };
        for record in c.records() {
            match record? {
                CounterRecordView::GenericInterface(g) => input.generic = Some(g.decode()),
                CounterRecordView::Ethernet(e) => input.ethernet = Some(e.decode()),
                _ => {}
            }
        }
        if input.generic.is_some() || input.ethernet.is_some() {
            self.handle_counter_sample(now, &input);
        }
        Ok(())
    }

    /// Takes the header of a datagram from `agent`: follows its sequence number and uptime,
    /// and detects restarts (the interfaces of a restarted agent take a new baseline, an
    /// [`Event::AgentRestarted`] is queued). The caller skips a [`DatagramStatus::Duplicate`].
    pub fn handle_agent_datagram(
        &mut self,
        now: Instant,
        agent: IpAddr,
        sub_agent: u32,
        sequence: u32,
        uptime_ms: u32,
    ) -> DatagramStatus {
        let t = self.clock(now);
        let key = (agent, sub_agent);
        let Some(a) = self.agents.get_mut(&key) else {
            if self.agents.len() >= self.config.max_agents {
                self.stats.agents_refused += 1;
            } else {
                self.agents.insert(
                    key,
                    AgentState {
                        sequence,
                        uptime_ms,
                        last: t,
                        restarts: 0,
                    },
                );
            }
            return DatagramStatus::New;
        };
        a.last = t;
        if sequence == a.sequence && uptime_ms == a.uptime_ms {
            self.stats.duplicate_datagrams += 1;
            return DatagramStatus::Duplicate;
        }
        let back = a.sequence.wrapping_sub(sequence);
        let seq_backwards = back <= u32::MAX / 2;
        // Uptime behind by more than the reordering slack (and not its 49.7-day wrap).
        let uptime_back = a.uptime_ms.wrapping_sub(uptime_ms);
        let uptime_reset = uptime_back > RESTART_UPTIME_MS && uptime_back <= u32::MAX / 2;
        if uptime_reset || (seq_backwards && back > LATE_WINDOW) {
            a.sequence = sequence;
            a.uptime_ms = uptime_ms;
            a.restarts += 1;
            let restarts = a.restarts;
            self.stats.agent_restarts += 1;
            for ((ag, _), i) in self.interfaces.iter_mut() {
                if *ag == agent {
                    i.rebaseline();
                }
            }
            self.push_event(Event::AgentRestarted {
                agent,
                sub_agent,
                restarts,
            });
            return DatagramStatus::Restarted;
        }
        if seq_backwards {
            return DatagramStatus::Late;
        }
        a.sequence = sequence;
        a.uptime_ms = uptime_ms;
        DatagramStatus::New
    }

    /// Advances the clock: drops idle flows, interfaces and agents, and queues the table-full
    /// events. Harmless when called early or twice.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.clock(now);
    }

    /// When [`Engine::handle_timeout`] should next be called (the next sweep of the tables:
    /// idle flows, interfaces and agents are dropped and table-full events queued then). No
    /// state changes before it without an input. Always `Some`.
    pub fn poll_timeout(&self) -> Option<Instant> {
        Some(self.next_sweep)
    }

    /// The next event, oldest first. After an [`Event::Resync`], read the state accessors
    /// (see [`Event`]).
    pub fn poll_event(&mut self) -> Option<Event> {
        let e = self.events.pop_front();
        if e == Some(Event::Resync) {
            self.resync_queued = false;
        }
        e
    }

    fn push_event(&mut self, e: Event) {
        let max = self.config.max_events.max(1);
        if self.resync_queued {
            // A Resync waits in the queue: it covers this event too.
            self.stats.events_dropped += 1;
        } else if self.events.len() + 1 >= max {
            // The last place: the Resync that stands for this event and those that follow.
            self.stats.events_dropped += 1;
            self.stats.resyncs += 1;
            self.resync_queued = true;
            self.events.push_back(Event::Resync);
        } else {
            self.events.push_back(e);
        }
    }

    fn sweep(&mut self) {
        let t = self.t;
        self.next_sweep = self.latest.saturating_add(SWEEP_INTERVAL);
        let mut events = Vec::new();
        for table in &mut self.tables {
            table.expire(t);
            let now = (table.stats.evicted, table.stats.refused);
            if now != table.reported_overflow {
                events.push(Event::FlowTableFull {
                    definition: table.def.name().into(),
                    total_evicted: now.0,
                    total_refused: now.1,
                });
                table.reported_overflow = now;
            }
        }
        let metric_timeout = self.config.metric_timeout.as_secs_f64();
        self.interfaces
            .retain(|_, i| t - i.updated <= metric_timeout);
        let agent_timeout = self.config.agent_timeout.as_secs_f64();
        self.agents.retain(|_, a| t - a.last <= agent_timeout);
        if self.stats.interfaces_refused != self.reported_interfaces_refused {
            events.push(Event::InterfaceTableFull {
                total_refused: self.stats.interfaces_refused,
            });
            self.reported_interfaces_refused = self.stats.interfaces_refused;
        }
        if self.stats.agents_refused != self.reported_agents_refused {
            events.push(Event::AgentTableFull {
                total_refused: self.stats.agents_refused,
            });
            self.reported_agents_refused = self.stats.agents_refused;
        }
        for e in events {
            self.push_event(e);
        }
    }

    // ---- queries ----

    /// The `n` largest flows of the definition named `name`, largest first (`None` if there is
    /// no such definition). Rates are read at the engine's latest `now`.
    pub fn top(&self, name: &str, n: usize) -> Option<Vec<Flow>> {
        self.table(name).map(|t| t.top(n, self.t))
    }

    /// The sum of the rates of every active flow of `name`.
    pub fn flow_total(&self, name: &str) -> Option<f64> {
        self.table(name).map(|t| t.total(self.t))
    }

    /// The counters of the flow table of `name`.
    pub fn flow_stats(&self, name: &str) -> Option<FlowTableStats> {
        self.table(name).map(|t| FlowTableStats {
            active: t.len(),
            ..t.stats
        })
    }

    fn table(&self, name: &str) -> Option<&FlowTable> {
        self.tables.iter().find(|t| t.def.name() == name)
    }

    /// The value of `metric` of interface `ifindex` of `agent`, if known.
    pub fn interface_metric(&self, agent: IpAddr, ifindex: u32, metric: Metric) -> Option<f64> {
        self.interfaces.get(&(agent, ifindex))?.get(metric)
    }

    /// How long before the engine's latest `now` the last counter sample of interface
    /// `ifindex` of `agent` was taken (sFlow-RT's `lastUpdate`), if the interface is known.
    pub fn interface_last_update(&self, agent: IpAddr, ifindex: u32) -> Option<Duration> {
        let i = self.interfaces.get(&(agent, ifindex))?;
        Some(Duration::try_from_secs_f64((self.t - i.updated).max(0.0)).unwrap_or(Duration::ZERO))
    }

    /// Every known metric of interface `ifindex` of `agent`, in [`Metric::ALL`] order.
    pub fn interface_values(
        &self,
        agent: IpAddr,
        ifindex: u32,
    ) -> Option<impl Iterator<Item = (Metric, f64)> + '_> {
        Some(self.interfaces.get(&(agent, ifindex))?.values())
    }

    /// Every (agent, ifindex) with metrics.
    pub fn interfaces(&self) -> impl Iterator<Item = (IpAddr, u32)> + '_ {
        self.interfaces.keys().copied()
    }

    /// The engine's counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Active agents (agent, sub-agent) followed.
    pub fn agents(&self) -> usize {
        self.agents.len()
    }

    /// Every (agent, sub-agent) followed, in no particular order: what the
    /// [`Event::AgentRestarted`] events tell, as state.
    pub fn agent_infos(&self) -> impl Iterator<Item = AgentInfo> + '_ {
        self.agents
            .iter()
            .map(|(&(agent, sub_agent), a)| AgentInfo {
                agent,
                sub_agent,
                sequence_number: a.sequence,
                uptime_ms: a.uptime_ms,
                restarts: a.restarts,
            })
    }

    /// The instant the engine was made at (the origin of its clock).
    pub fn start(&self) -> Instant {
        self.epoch
    }
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
