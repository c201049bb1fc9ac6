//! An sFlow collector: listens for sFlow v5 datagrams on UDP (6343 by default), feeds them to
//! `sdnwire_sflow_analytics::Engine`, and every few seconds prints the top flows of each flow
//! definition and the interface metrics, as tables or as Graphite plaintext lines.
//!
//! ```text
//! sflow_collector [--listen ADDR] [--interval SECS] [--top N] [--flow NAME;KEYS;VALUE[;FILTER]]...
//!                 [--time-constant SECS] [--graphite PREFIX] [--graphite-tcp HOST:PORT]
//!                 [--duration SECS]
//! ```
//!
//! Point Open vSwitch at it (`ovs-vsctl -- --id=@s create sflow agent=lo
//! target=\"127.0.0.1:6343\" sampling=64 polling=10 -- set bridge br0 sflow=@s`) and watch.
//! Every decision is the engine's; this program only owns the socket and the clock.

use core::time::Duration;
use std::io::Write as _;
use std::net::{TcpStream, UdpSocket};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser;
use sdnwire_packet::time::Clock;
use sdnwire_sflow_analytics::{Config, Engine, Event, FlowDefinition, Metric};

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "sflow_collector",
    about = "An sFlow v5 collector: top flows and interface metrics every --interval, as \
             tables or Graphite plaintext lines."
)]
struct Options {
    /// UDP address to receive sFlow on
    #[arg(long, value_name = "ADDR", default_value = "0.0.0.0:6343")]
    listen: String,
    /// Report every SECS seconds
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = seconds)]
    interval: Duration,
    /// Flows per definition in a report
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,
    /// A flow definition, sFlow-RT style, e.g.
    /// 'web;ipsource,ipdestination;bytes;ipprotocol=6&tcpdestinationport=80' (repeatable;
    /// default: 'pairs;ipsource,ipdestination;bytes' and 'protocols;ipprotocol;frames')
    #[arg(long = "flow", value_name = "NAME;KEYS;VALUE[;FILTER]")]
    flows: Vec<String>,
    /// Smoothing time constant of the flow rates [default: 10]
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    time_constant: Option<Duration>,
    /// Print Graphite plaintext lines instead of tables
    #[arg(long, value_name = "PREFIX")]
    graphite: Option<String>,
    /// Send the Graphite lines to a carbon server
    #[arg(long, value_name = "HOST:PORT", requires = "graphite")]
    graphite_tcp: Option<String>,
    /// Exit after SECS seconds [default: run until killed]
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    duration: Option<Duration>,
}

/// A positive number of seconds.
fn seconds(v: &str) -> Result<Duration, String> {
    v.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0)
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("expected a positive number of seconds, got `{v}`"))
}

/// The command line, with the default flow definitions when none is given.
fn parse_args<I, T>(args: I) -> Result<Options, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let mut o = Options::try_parse_from(args)?;
    if o.flows.is_empty() {
        o.flows = vec![
            "pairs;ipsource,ipdestination;bytes".into(),
            "protocols;ipprotocol;frames".into(),
        ];
    }
    Ok(o)
}

/// `NAME;KEYS;VALUE[;FILTER]` to a definition.
fn definition(spec: &str, tau: Duration) -> Result<FlowDefinition, String> {
    let mut parts = spec.splitn(4, ';');
    let (Some(name), Some(keys), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!(
            "--flow `{spec}`: expected NAME;KEYS;VALUE[;FILTER]"
        ));
    };
    let mut def = FlowDefinition::new(name, keys, value)
        .map_err(|e| format!("--flow `{spec}`: {e}"))?
        .with_time_constant(tau);
    if let Some(filter) = parts.next() {
        def = def
            .with_filter(filter)
            .map_err(|e| format!("--flow `{spec}`: filter: {e}"))?;
    }
    Ok(def)
}

/// The metrics shown in the interface table.
const TABLE: [Metric; 6] = [
    Metric::IfInOctets,
    Metric::IfOutOctets,
    Metric::IfInPkts,
    Metric::IfOutPkts,
    Metric::IfInUtilization,
    Metric::IfOutUtilization,
];

fn report(engine: &Engine, o: &Options, out: &mut String) {
    use core::fmt::Write as _;
    if let Some(prefix) = &o.graphite {
        let ts = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        engine.write_graphite_metrics(out, prefix, ts);
        for def in engine.definitions() {
            engine.write_graphite_flows(out, prefix, def.name(), o.top, ts);
        }
        return;
    }
    for def in engine.definitions() {
        let _ = writeln!(
            out,
            "== top {} of `{}` (keys {}, {} per second{})",
            o.top,
            def.name(),
            def.keys()
                .iter()
                .map(|k| k.name())
                .collect::<Vec<_>>()
                .join(","),
            def.value().name(),
            def.filter()
                .map(|f| format!(", filter {f}"))
                .unwrap_or_default()
        );
        for f in engine.top(def.name(), o.top).unwrap_or_default() {
            let _ = writeln!(out, "  {:<48} {:>14.1}", f.key, f.value);
        }
    }
    let mut ifaces: Vec<_> = engine.interfaces().collect();
    ifaces.sort_unstable();
    let _ = write!(out, "== interfaces\n  {:<24} {:>8}", "agent", "ifindex");
    for m in TABLE {
        let _ = write!(out, " {:>16}", m.name());
    }
    out.push('\n');
    for (agent, ifindex) in ifaces {
        let _ = write!(out, "  {:<24} {:>8}", agent.to_string(), ifindex);
        for m in TABLE {
            match engine.interface_metric(agent, ifindex, m) {
                Some(v) => {
                    let _ = write!(out, " {v:>16.1}");
                }
                None => {
                    let _ = write!(out, " {:>16}", "-");
                }
            }
        }
        out.push('\n');
    }
    let s = engine.stats();
    let _ = writeln!(
        out,
        "== {} datagrams ({} bad, {} duplicate), {} flow samples, {} counter samples",
        s.datagrams, s.bad_datagrams, s.duplicate_datagrams, s.flow_samples, s.counter_samples
    );
}

/// Logs an engine event; after a `Resync` (events were dropped), the state they would have told.
fn log_event(engine: &Engine, ev: &Event) {
    match ev {
        Event::Resync => {
            let s = engine.stats();
            eprintln!(
                "sflow_collector: events dropped ({} in all): {} interface samples refused, {} datagrams of agents not followed, {} agent restarts",
                s.events_dropped, s.interfaces_refused, s.agents_refused, s.agent_restarts
            );
            for d in engine.definitions() {
                if let Some(f) = engine.flow_stats(d.name()) {
                    eprintln!(
                        "sflow_collector: flow table {}: {} evicted, {} refused in all",
                        d.name(),
                        f.evicted,
                        f.refused
                    );
                }
            }
        }
        ev => eprintln!("sflow_collector: {ev:?}"),
    }
}

fn main() -> ExitCode {
    // --help prints and exits 0; a mistake prints it with the usage and exits 2.
    let o = parse_args(std::env::args_os()).unwrap_or_else(|e| e.exit());
    let time_constant = o
        .time_constant
        .unwrap_or(FlowDefinition::DEFAULT_TIME_CONSTANT);
    // The one clock of the program, counted from here: the engine's time, the reports' and
    // `--duration`'s, all as the workspace's `Instant`.
    let clock = Clock::new();
    let mut engine = Engine::new(Config::default(), clock.now());
    for spec in &o.flows {
        if let Err(e) = definition(spec, time_constant).and_then(|d| {
            engine
                .add_flow(d)
                .map_err(|e| format!("--flow `{spec}`: {e}"))
        }) {
            eprintln!("sflow_collector: {e}");
            return ExitCode::from(2);
        }
    }
    let socket = match UdpSocket::bind(&o.listen) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sflow_collector: cannot listen on {}: {e}", o.listen);
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "sflow_collector: listening on {}",
        socket
            .local_addr()
            .map_or(o.listen.clone(), |a| a.to_string())
    );
    let start = clock.now();
    let mut next_report = start + o.interval;
    let mut buf = vec![0u8; 65_536];
    let mut out = String::new();
    loop {
        let now = clock.now();
        if o.duration.is_some_and(|d| now >= start + d) {
            return ExitCode::SUCCESS;
        }
        if now >= next_report {
            engine.handle_timeout(now);
            while let Some(ev) = engine.poll_event() {
                log_event(&engine, &ev);
            }
            out.clear();
            report(&engine, &o, &mut out);
            print!("{out}");
            let _ = std::io::stdout().flush();
            if let (Some(addr), true) = (&o.graphite_tcp, o.graphite.is_some()) {
                let sent = TcpStream::connect(addr).and_then(|mut s| s.write_all(out.as_bytes()));
                if let Err(e) = sent {
                    eprintln!("sflow_collector: graphite {addr}: {e}");
                }
            }
            next_report += o.interval;
            if next_report < now {
                next_report = now + o.interval;
            }
        }
        // Wake for the next report or the engine's next sweep, whichever comes first.
        let wake = engine
            .poll_timeout()
            .map_or(next_report, |t| t.min(next_report));
        let wait = wake
            .saturating_duration_since(clock.now())
            .max(Duration::from_millis(1));
        let _ = socket.set_read_timeout(Some(wait));
        match socket.recv_from(&mut buf) {
            Ok((n, _from)) => {
                if let Some(d) = buf.get(..n) {
                    if let Err(e) = engine.handle_datagram(clock.now(), d) {
                        eprintln!("sflow_collector: {e}");
                    }
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                engine.handle_timeout(clock.now());
            }
            Err(e) => {
                eprintln!("sflow_collector: receive: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
}
