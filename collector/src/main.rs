//! `sflow-collector`: the sFlow collector service. See the crate's README.

// The options' doc comments are the `--help` text, written for a terminal (`<flows>`,
// `[::]:6343`), not rustdoc.
#![allow(rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]

use core::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use sdnwire_collector::config::{self, Config};
use sdnwire_collector::log::{self, Level};
use sdnwire_collector::server::Service;

/// The command line. Options given here override the configuration file.
#[derive(Debug, Parser)]
#[command(
    name = "sflow-collector",
    version,
    about = "An sFlow v5 collector service in the model of sFlow-RT: sFlow on UDP 6343, \
             sFlow-RT's REST API on 127.0.0.1:8008, flow and metric definitions in XML."
)]
struct Options {
    /// Configuration file (XML, <collector> root; see the README)
    #[arg(long, short = 'c', value_name = "FILE")]
    config: Option<PathBuf>,
    /// UDP address to receive sFlow on (repeatable; [::]:6343 for IPv6)
    /// [default: 0.0.0.0:6343]
    #[arg(long = "listen", value_name = "ADDR")]
    listen: Vec<SocketAddr>,
    /// Address of the REST API [default: 127.0.0.1:8008]
    #[arg(long, value_name = "ADDR")]
    http: Option<SocketAddr>,
    /// Flow definitions applied at start (XML, <flows> root)
    #[arg(long, value_name = "FILE")]
    flows: Option<PathBuf>,
    /// Metrics pushed to Graphite (XML, <metrics> root)
    #[arg(long, value_name = "FILE")]
    metrics: Option<PathBuf>,
    /// Largest HTTP request body taken, in bytes [default: 65536]
    #[arg(long, value_name = "BYTES")]
    max_body: Option<usize>,
    /// Push the --metrics to this carbon plaintext listener (HOST:PORT) every
    /// --graphite-interval
    #[arg(long, value_name = "HOST:PORT")]
    graphite: Option<String>,
    /// First component of the Graphite paths [default: sflow]
    #[arg(long, value_name = "PREFIX")]
    graphite_prefix: Option<String>,
    /// Seconds between Graphite pushes [default: 10]
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    graphite_interval: Option<core::time::Duration>,
    /// One Graphite path per agent (PREFIX.AGENT.metric)
    #[arg(long)]
    graphite_per_agent: bool,
    /// Log level on stderr: off, error, warn, info, debug [default: info]
    #[arg(long, value_name = "LEVEL")]
    log_level: Option<Level>,
}

/// A positive number of seconds.
fn seconds(v: &str) -> Result<core::time::Duration, String> {
    v.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0)
        .and_then(|s| core::time::Duration::try_from_secs_f64(s).ok())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("expected a positive number of seconds, got `{v}`"))
}

fn read(path: &PathBuf) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The configuration: the file's (or the defaults), then the command line's options.
fn configure(o: &Options) -> Result<Config, String> {
    let mut c = match &o.config {
        Some(p) => Config::parse(&p.display().to_string(), &read(p)?).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    if !o.listen.is_empty() {
        c.sflow_listen = o.listen.clone();
    }
    if let Some(a) = o.http {
        c.http_listen = a;
    }
    if let Some(n) = o.max_body {
        c.max_body = n;
    }
    if let Some(l) = o.log_level {
        c.log_level = l;
    }
    if let Some(p) = &o.flows {
        let flows =
            config::parse_flows(&p.display().to_string(), &read(p)?).map_err(|e| e.to_string())?;
        for (name, spec) in flows {
            c.flows.retain(|(n, _)| *n != name);
            c.flows.push((name, spec));
        }
    }
    if let Some(p) = &o.metrics {
        c.metrics = config::parse_metrics(&p.display().to_string(), &read(p)?)
            .map_err(|e| e.to_string())?;
    }
    let g = &mut c.graphite;
    if o.graphite.is_some()
        || o.graphite_prefix.is_some()
        || o.graphite_interval.is_some()
        || o.graphite_per_agent
    {
        let g = g.get_or_insert_with(Default::default);
        if let Some(s) = &o.graphite {
            g.server.clone_from(s);
        }
        if let Some(p) = &o.graphite_prefix {
            g.prefix.clone_from(p);
        }
        if let Some(i) = o.graphite_interval {
            g.interval = i;
        }
        g.per_agent |= o.graphite_per_agent;
    }
    if c.graphite.is_some() && c.metrics.is_empty() {
        return Err(
            "Graphite output needs metrics: --metrics FILE or <metrics> in the configuration"
                .into(),
        );
    }
    Ok(c)
}

fn main() -> ExitCode {
    // --help and --version print and exit 0; a mistake prints the usage and exits 2.
    let o = Options::try_parse().unwrap_or_else(|e| e.exit());
    let config = match configure(&o) {
        Ok(c) => c,
        Err(e) => {
            log::set_level(Level::Error);
            sdnwire_collector::log!(Error, "{e}");
            return ExitCode::from(2);
        }
    };
    log::set_level(config.log_level);
    for (name, spec) in &config.flows {
        sdnwire_collector::log!(
            Info,
            "flow {name}: keys {} value {}{}",
            spec.keys,
            spec.value,
            spec.filter
                .as_ref()
                .map(|f| format!(" filter {f}"))
                .unwrap_or_default()
        );
    }
    let service = match Service::bind(config) {
        Ok(s) => s,
        Err(e) => {
            sdnwire_collector::log!(Error, "{e}");
            return ExitCode::FAILURE;
        }
    };
    match service.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            sdnwire_collector::log!(Error, "{e}");
            ExitCode::FAILURE
        }
    }
}
