//! Metric queries shaped like sFlow-RT's `/metric/{agent}/{metric}`.
//!
//! `agents` is `ALL` or agent addresses separated by `;` (`10.0.0.1;10.0.0.2`). `metrics` is a
//! comma-separated list of metric names, each either plain (`ifinoctets`: one result per
//! agent and interface that has it) or with an aggregate prefix (`max:ifinoctets`: one result
//! across every matching interface, with the agent and ifindex of the extreme for `max:` and
//! `min:`).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::net::IpAddr;

use super::metrics::Metric;
use super::Engine;

/// How values across agents and interfaces are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// The largest value.
    Max,
    /// The smallest value.
    Min,
    /// The sum of the values.
    Sum,
    /// The mean of the values.
    Avg,
}

impl Aggregate {
    /// The prefix's name (`max`).
    pub fn name(self) -> &'static str {
        match self {
            Aggregate::Max => "max",
            Aggregate::Min => "min",
            Aggregate::Sum => "sum",
            Aggregate::Avg => "avg",
        }
    }

    fn from_name(s: &str) -> Option<Aggregate> {
        Some(match s {
            "max" => Aggregate::Max,
            "min" => Aggregate::Min,
            "sum" => Aggregate::Sum,
            "avg" => Aggregate::Avg,
            _ => return None,
        })
    }
}

/// One value of a metric query.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricResult {
    /// The metric as asked (`ifinoctets`, `max:ifinoctets`).
    pub metric_name: String,
    /// The agent (for `sum:` and `avg:`, or when nothing matched, `None`).
    pub agent: Option<IpAddr>,
    /// The interface (same rule as `agent`).
    pub ifindex: Option<u32>,
    /// The value; `None` when no interface has the metric.
    pub value: Option<f64>,
    /// How many interfaces the value covers.
    pub count: usize,
}

/// A metric query that does not parse. Offsets count bytes in the text that was parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// A metric name that is not one of [`Metric::ALL`].
    #[error("unknown metric `{name}` at offset {offset}")]
    UnknownMetric {
        /// The name as written.
        name: String,
        /// Where it starts.
        offset: usize,
    },
    /// A prefix that is not `max`, `min`, `sum` or `avg`.
    #[error("unknown aggregate `{name}` at offset {offset}: expected max, min, sum or avg")]
    UnknownAggregate {
        /// The prefix as written.
        name: String,
        /// Where it starts.
        offset: usize,
    },
    /// An agent that is not `ALL` or an IP address.
    #[error("bad agent `{agent}` at offset {offset}: expected ALL or an IP address")]
    BadAgent {
        /// The agent as written.
        agent: String,
        /// Where it starts.
        offset: usize,
    },
}

/// Splits `s` at `sep`, with each part's offset and surrounding spaces trimmed.
fn parts(s: &str, sep: char) -> impl Iterator<Item = (&str, usize)> {
    let mut off = 0;
    s.split(sep).map(move |p| {
        let at = off + (p.len() - p.trim_start().len());
        off += p.len() + sep.len_utf8();
        (p.trim(), at)
    })
}

/// Parses `agents`: `None` for `ALL`.
fn parse_agents(agents: &str) -> Result<Option<Vec<IpAddr>>, QueryError> {
    if agents.trim() == "ALL" {
        return Ok(None);
    }
    parts(agents, ';')
        .map(|(a, at)| {
            a.parse().map_err(|_| QueryError::BadAgent {
                agent: a.to_string(),
                offset: at,
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

impl Engine {
    /// Answers `/metric/{agents}/{metrics}` (see the [module documentation](self)).
    ///
    /// Plain metrics come out sorted by agent and ifindex.
    pub fn metric(&self, agents: &str, metrics: &str) -> Result<Vec<MetricResult>, QueryError> {
        let agents = parse_agents(agents)?;
        let mut queries = Vec::new();
        for (q, at) in parts(metrics, ',') {
            let (agg, name, name_at) = match q.split_once(':') {
                Some((a, n)) => {
                    let agg =
                        Aggregate::from_name(a).ok_or_else(|| QueryError::UnknownAggregate {
                            name: a.to_string(),
                            offset: at,
                        })?;
                    (Some(agg), n, at + a.len() + 1)
                }
                None => (None, q, at),
            };
            let m = Metric::from_name(name).ok_or_else(|| QueryError::UnknownMetric {
                name: name.to_string(),
                offset: name_at,
            })?;
            queries.push((q, agg, m));
        }
        let mut ifaces: Vec<(IpAddr, u32)> = self
            .interfaces()
            .filter(|(a, _)| agents.as_ref().is_none_or(|list| list.contains(a)))
            .collect();
        ifaces.sort_unstable();
        let mut out = Vec::new();
        for (q, agg, m) in queries {
            let values = ifaces
                .iter()
                .filter_map(|&(a, i)| self.interface_metric(a, i, m).map(|v| (a, i, v)));
            match agg {
                None => out.extend(values.map(|(a, i, v)| MetricResult {
                    metric_name: q.to_string(),
                    agent: Some(a),
                    ifindex: Some(i),
                    value: Some(v),
                    count: 1,
                })),
                Some(agg) => out.push(aggregate(q, agg, values)),
            }
        }
        Ok(out)
    }
}

fn aggregate(
    name: &str,
    agg: Aggregate,
    values: impl Iterator<Item = (IpAddr, u32, f64)>,
) -> MetricResult {
    let mut r = MetricResult {
        metric_name: name.to_string(),
        agent: None,
        ifindex: None,
        value: None,
        count: 0,
    };
    let mut sum = 0.0;
    for (a, i, v) in values {
        r.count += 1;
        sum += v;
        let better = match (agg, r.value) {
            (_, None) => true,
            (Aggregate::Max, Some(best)) => v > best,
            (Aggregate::Min, Some(best)) => v < best,
            _ => false,
        };
        if better && matches!(agg, Aggregate::Max | Aggregate::Min) {
            r.value = Some(v);
            r.agent = Some(a);
            r.ifindex = Some(i);
        }
    }
    match agg {
        Aggregate::Sum if r.count > 0 => r.value = Some(sum),
        Aggregate::Avg if r.count > 0 => r.value = Some(sum / r.count as f64),
        _ => {}
    }
    r
}
