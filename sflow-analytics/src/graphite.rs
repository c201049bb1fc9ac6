//! Graphite plaintext output: `prefix.agent.ifindex.metric value timestamp` lines.
//!
//! The engine has no clock: the caller passes the wall-clock timestamp (seconds since the Unix
//! epoch) that the lines carry. Path components are made Graphite-safe: `.`, `:`, `,`, spaces
//! and `/` become `_` (agent `10.0.0.1` is written `10_0_0_1`). Values that are not finite are
//! left out.

use alloc::string::String;
use core::fmt::Write;

use super::Engine;

/// Appends `s` to `out` with the characters Graphite reads as separators replaced by `_`.
pub fn push_component(out: &mut String, s: &str) {
    out.extend(s.chars().map(|c| match c {
        '.' | ':' | ',' | '/' | '\\' => '_',
        c if c.is_whitespace() || c.is_control() => '_',
        c => c,
    }));
}

fn push_line(out: &mut String, path: &str, value: f64, timestamp: u64) {
    if value.is_finite() {
        let _ = writeln!(out, "{path} {value} {timestamp}");
    }
}

impl Engine {
    /// Appends one line per metric of every interface, sorted by agent, ifindex and metric:
    /// `prefix.agent.ifindex.metric value timestamp`. An empty `prefix` leaves it out.
    ///
    /// ```
    /// use sdnwire_sflow_analytics::{Config, Engine};
    /// let engine = Engine::new(Config::default(), sdnwire_sflow_analytics::Instant::ZERO);
    /// let mut out = String::new();
    /// engine.write_graphite_metrics(&mut out, "sflow", 1_700_000_000);
    /// assert!(out.is_empty());
    /// ```
    pub fn write_graphite_metrics(&self, out: &mut String, prefix: &str, timestamp: u64) {
        let mut ifaces: alloc::vec::Vec<_> = self.interfaces().collect();
        ifaces.sort_unstable();
        let mut path = String::new();
        for (agent, ifindex) in ifaces {
            let Some(values) = self.interface_values(agent, ifindex) else {
                continue;
            };
            for (metric, value) in values {
                path.clear();
                if !prefix.is_empty() {
                    path.push_str(prefix);
                    path.push('.');
                }
                push_component(&mut path, &alloc::format!("{agent}"));
                let _ = write!(path, ".{ifindex}.{metric}");
                push_line(out, &path, value, timestamp);
            }
        }
    }

    /// Appends one line per flow of the `n` largest of the definition `name`:
    /// `prefix.name.key1.key2... value timestamp` (each key value made Graphite-safe). False if
    /// there is no such definition.
    pub fn write_graphite_flows(
        &self,
        out: &mut String,
        prefix: &str,
        name: &str,
        n: usize,
        timestamp: u64,
    ) -> bool {
        let Some(top) = self.top(name, n) else {
            return false;
        };
        let mut path = String::new();
        for flow in top {
            path.clear();
            if !prefix.is_empty() {
                path.push_str(prefix);
                path.push('.');
            }
            push_component(&mut path, name);
            for part in flow.parts() {
                path.push('.');
                push_component(&mut path, part);
            }
            push_line(out, &path, flow.value, timestamp);
        }
        true
    }
}
