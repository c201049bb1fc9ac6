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

use sdnwire_packet::time::Clock;
use sdnwire_sflow_analytics::{Config, Engine, Event, FlowDefinition, Metric};

const USAGE: &str = "\
usage: sflow_collector [options]
  --listen ADDR               UDP address to receive sFlow on (default 0.0.0.0:6343)
  --interval SECS             report every SECS seconds (default 5)
  --top N                     flows per definition in a report (default 10)
  --flow 'NAME;KEYS;VALUE[;FILTER]'
                              a flow definition, sFlow-RT style, e.g.
                              'web;ipsource,ipdestination;bytes;ipprotocol=6&tcpdestinationport=80'
                              (repeatable; default: 'pairs;ipsource,ipdestination;bytes' and
                              'protocols;ipprotocol;frames')
  --time-constant SECS        smoothing time constant of the flow rates (default 10)
  --graphite PREFIX           print Graphite plaintext lines instead of tables
  --graphite-tcp HOST:PORT    send the Graphite lines to a carbon server (with --graphite)
  --duration SECS             exit after SECS seconds (default: run until killed)
  --help                      this text
";

struct Options {
    listen: String,
    interval: Duration,
    top: usize,
    flows: Vec<String>,
    time_constant: Duration,
    graphite: Option<String>,
    graphite_tcp: Option<String>,
    duration: Option<Duration>,
}

fn seconds(v: &str, what: &str) -> Result<Duration, String> {
    v.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("{what}: expected a positive number of seconds, got `{v}`"))
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut o = Options {
        listen: "0.0.0.0:6343".into(),
        interval: Duration::from_secs(5),
        top: 10,
        flows: Vec::new(),
        time_constant: FlowDefinition::DEFAULT_TIME_CONSTANT,
        graphite: None,
        graphite_tcp: None,
        duration: None,
    };
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--help" | "-h" => return Ok(None),
            "--listen" => o.listen = value("--listen")?,
            "--interval" => o.interval = seconds(&value("--interval")?, "--interval")?,
            "--top" => {
                let v = value("--top")?;
                o.top = v.parse().map_err(|_| format!("--top: bad number `{v}`"))?;
            }
            "--flow" => o.flows.push(value("--flow")?),
            "--time-constant" => {
                o.time_constant = seconds(&value("--time-constant")?, "--time-constant")?
            }
            "--graphite" => o.graphite = Some(value("--graphite")?),
            "--graphite-tcp" => o.graphite_tcp = Some(value("--graphite-tcp")?),
            "--duration" => o.duration = Some(seconds(&value("--duration")?, "--duration")?),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if o.flows.is_empty() {
        o.flows = vec![
            "pairs;ipsource,ipdestination;bytes".into(),
            "protocols;ipprotocol;frames".into(),
        ];
    }
    Ok(Some(o))
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
    let o = match parse_args(std::env::args().skip(1)) {
        Ok(Some(o)) => o,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("sflow_collector: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // The one clock of the program, counted from here: the engine's time, the reports' and
    // `--duration`'s, all as the workspace's `Instant`.
    let clock = Clock::new();
    let mut engine = Engine::new(Config::default(), clock.now());
    for spec in &o.flows {
        if let Err(e) = definition(spec, o.time_constant).and_then(|d| {
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
