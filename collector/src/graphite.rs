//! Graphite output as sflow2graphite sends it: every `interval`, the configured metrics (the
//! `<metrics>` list: flow names and interface metrics with an optional `max:`, `min:`,
//! `sum:` or `avg:` prefix, valued as `/metric/ALL/{metric}/json` values them) go to a carbon
//! plaintext listener as `PREFIX.metric value timestamp` lines, or
//! `PREFIX.AGENT.metric value timestamp` with `per-agent`. Path components are made
//! Graphite-safe (`.` and `:` become `_`: `sum:ifinpkts` is `sum_ifinpkts`, agent `10.0.0.1`
//! is `10_0_0_1`).
//!
//! Carbon may restart: lines wait in a bounded buffer (`buffer` lines) while it is
//! unreachable, the oldest dropped first when the buffer is full (counted, and logged once per
//! outage), and the connection is made again at every interval. A closed connection is noticed
//! before writing (carbon never writes to us: a read that sees the end of the stream means it
//! went away), so lines are not written into a dead socket; a line cut by a connection that
//! breaks during the write is sent again whole on the next connection. A write that carbon
//! does not take within one interval (at least a second: a carbon that accepts and stops
//! reading) drops the connection the same way: `graphiteConnected` goes false and the lines
//! stay buffered.

use core::time::Duration;
use std::collections::VecDeque;
use std::time::{SystemTime, UNIX_EPOCH};

use sdnwire_packet::time::Clock;
use sdnwire_sflow_analytics::graphite::push_component;
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;

use crate::collector::Collector;
use crate::config::GraphiteConfig;
use crate::log;
use crate::server::{lock, Shared};

/// Counters of the Graphite output (in `/analyzer/json`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GraphiteStats {
    /// Lines written to carbon.
    pub lines_sent: u64,
    /// Lines dropped because the buffer was full while carbon was unreachable.
    pub lines_dropped: u64,
    /// Connections made to carbon.
    pub connects: u64,
    /// Whether a connection is up.
    pub connected: bool,
}

/// The lines of one interval: one per metric (per agent with `per_agent`) that has a value.
/// Metric items that name nothing known are skipped (their error is returned beside).
pub fn lines(
    c: &Collector,
    metrics: &[String],
    prefix: &str,
    per_agent: bool,
    timestamp: u64,
) -> (Vec<String>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for item in metrics {
        match crate::api::metric_values(c, item, per_agent) {
            Ok(values) => {
                for (agent, v) in values {
                    if !v.is_finite() {
                        continue;
                    }
                    let mut path = String::new();
                    if !prefix.is_empty() {
                        path.push_str(prefix);
                        path.push('.');
                    }
                    if let Some(a) = agent {
                        push_component(&mut path, &a.to_string());
                        path.push('.');
                    }
                    push_component(&mut path, item);
                    out.push(format!("{path} {v} {timestamp}\n"));
                }
            }
            Err(e) => errors.push(format!("{item}: {e}")),
        }
    }
    (out, errors)
}

/// The bounded buffer of lines waiting for carbon.
#[derive(Debug)]
struct Buffer {
    lines: VecDeque<String>,
    max: usize,
    /// Dropped since the last log line.
    dropped_unlogged: u64,
}

impl Buffer {
    /// Queues `line`, dropping the oldest when full; true if one was dropped.
    fn push(&mut self, line: String) -> bool {
        let mut dropped = false;
        while self.lines.len() >= self.max.max(1) {
            self.lines.pop_front();
            self.dropped_unlogged += 1;
            dropped = true;
        }
        self.lines.push_back(line);
        dropped
    }
}

/// Whether carbon closed the connection (a read sees the end of the stream or an error).
fn closed(s: &TcpStream) -> bool {
    let mut b = [0u8; 256];
    loop {
        match s.try_read(&mut b) {
            Ok(0) => return true,
            // Carbon does not write; anything it says is read and ignored.
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
}

/// Pushes the metrics every interval, forever.
pub(crate) async fn push(
    config: GraphiteConfig,
    metrics: Vec<String>,
    state: Shared,
    clock: Clock,
) {
    let mut buffer = Buffer {
        lines: VecDeque::new(),
        max: config.buffer,
        dropped_unlogged: 0,
    };
    let mut conn: Option<TcpStream> = None;
    let mut down_since: Option<std::time::Instant> = None;
    let mut logged_errors = false;
    // (tokio's interval refuses a zero period.)
    let mut ticker = tokio::time::interval(config.interval.max(Duration::from_millis(1)));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    log!(
        Info,
        "graphite: {} metrics to {} every {:?}",
        metrics.len(),
        config.server,
        config.interval
    );
    loop {
        ticker.tick().await;
        let ts = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let (new, errors) = {
            let mut c = lock(&state);
            c.handle_timeout(clock.now());
            lines(&c, &metrics, &config.prefix, config.per_agent, ts)
        };
        if !errors.is_empty() && !logged_errors {
            log!(Warn, "graphite: skipped: {}", errors.join("; "));
            logged_errors = true;
        }
        let mut dropped = 0;
        for l in new {
            if buffer.push(l) {
                dropped += 1;
            }
        }
        if dropped > 0 {
            lock(&state).graphite.lines_dropped += dropped;
        }
        if conn.as_ref().is_some_and(closed) {
            log!(
                Warn,
                "graphite: {} closed the connection; buffering up to {} lines",
                config.server,
                config.buffer
            );
            conn = None;
            down_since.get_or_insert_with(std::time::Instant::now);
        }
        if conn.is_none() {
            match tokio::time::timeout(Duration::from_secs(2), TcpStream::connect(&config.server))
                .await
            {
                Ok(Ok(s)) => {
                    let _ = s.set_nodelay(true);
                    match down_since.take() {
                        Some(t) => log!(
                            Info,
                            "graphite: reconnected to {} after {:.1} s; {} lines buffered, {} dropped meanwhile",
                            config.server,
                            t.elapsed().as_secs_f64(),
                            buffer.lines.len(),
                            buffer.dropped_unlogged
                        ),
                        None => log!(Info, "graphite: connected to {}", config.server),
                    }
                    buffer.dropped_unlogged = 0;
                    conn = Some(s);
                    let mut c = lock(&state);
                    c.graphite.connects += 1;
                    c.graphite.connected = true;
                }
                Ok(Err(e)) => {
                    if down_since.is_none() {
                        log!(
                            Warn,
                            "graphite: {}: {e}; buffering up to {} lines",
                            config.server,
                            config.buffer
                        );
                        down_since = Some(std::time::Instant::now());
                    }
                    lock(&state).graphite.connected = false;
                    continue;
                }
                Err(_) => {
                    if down_since.is_none() {
                        log!(
                            Warn,
                            "graphite: {}: connection timed out; buffering up to {} lines",
                            config.server,
                            config.buffer
                        );
                        down_since = Some(std::time::Instant::now());
                    }
                    lock(&state).graphite.connected = false;
                    continue;
                }
            }
        }
        let Some(s) = conn.as_mut() else {
            continue;
        };
        let text: String = buffer.lines.iter().map(String::as_str).collect();
        // A carbon that accepts and stops reading would hold the write (and the ticker) for
        // good: give it one interval (at least a second).
        let write_timeout = config.interval.max(Duration::from_secs(1));
        match tokio::time::timeout(write_timeout, s.write_all(text.as_bytes())).await {
            Ok(Ok(())) => {
                let n = buffer.lines.len() as u64;
                buffer.lines.clear();
                lock(&state).graphite.lines_sent += n;
            }
            failed => {
                let why = match failed {
                    Ok(Err(e)) => e.to_string(),
                    _ => format!("not read for {write_timeout:?}"),
                };
                log!(
                    Warn,
                    "graphite: writing to {}: {why}; buffering up to {} lines",
                    config.server,
                    config.buffer
                );
                conn = None;
                down_since = Some(std::time::Instant::now());
                lock(&state).graphite.connected = false;
            }
        }
    }
}
