//! `sdnwire-manager`: loads the chosen applications by name and serves OpenFlow 1.3 switches
//! (Ryu's `ryu-manager`). `--help` for the options.

use core::net::{Ipv4Addr, SocketAddr};
use core::time::Duration;
use std::process::ExitCode;

use clap::Parser;
use sdnwire_controller::apps::{self, Settings};
use sdnwire_controller::{Level, Manager, ManagerConfig};
use sdnwire_packet::MacAddr;

#[derive(Debug, Parser)]
#[command(
    name = "sdnwire-manager",
    about = "Runs OpenFlow 1.3 controller applications (Ryu's ryu-manager): every application \
             sees every switch that connects.",
    after_help = after_help()
)]
struct Cli {
    /// An application to load, by name (repeat, or separate by commas)
    #[arg(
        long = "app",
        value_name = "NAME",
        value_delimiter = ',',
        required = true
    )]
    apps: Vec<String>,
    /// Address to listen on (port 0: any free port; logged as 'listening on ADDR')
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:6653")]
    listen: SocketAddr,
    /// What to log on stderr: error, warn, info or debug
    #[arg(long, value_name = "LEVEL", default_value = "info")]
    log_level: Level,
    /// Each application's event queue, in events (full: dropped, counted and reported)
    #[arg(long, value_name = "N", default_value_t = 4096)]
    queue_len: usize,
    /// simple_monitor_13's interval, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    monitor_interval: f64,
    /// simple_monitor_13 prints os-ken-shaped JSON instead of tables
    #[arg(long)]
    json: bool,
    /// icmp_responder's MAC address
    #[arg(long, value_name = "MAC", default_value = "0a:e4:1c:d1:3e:44")]
    responder_mac: MacAddr,
    /// icmp_responder's IPv4 address
    #[arg(long, value_name = "IP", default_value = "192.0.2.9")]
    responder_ip: Ipv4Addr,
    /// The controller's private key (PEM): with --ctl-cert, switches connect with TLS
    /// (Open vSwitch's ssl:)
    #[arg(long, value_name = "FILE", requires = "ctl_cert")]
    ctl_privkey: Option<std::path::PathBuf>,
    /// The controller's certificate (PEM)
    #[arg(long, value_name = "FILE", requires = "ctl_privkey")]
    ctl_cert: Option<std::path::PathBuf>,
    /// CA certificates (PEM) a switch's certificate must be signed by; without it, any switch
    /// is served
    #[arg(long, value_name = "FILE", requires = "ctl_cert")]
    ca_certs: Option<std::path::PathBuf>,
    /// Several controllers: this manager's first role, master or slave (the standby); with
    /// --ha-listen and --ha-peer
    #[arg(long, value_name = "ROLE", value_parser = ["master", "slave"], requires_all = ["ha_listen", "ha_peer"])]
    role: Option<String>,
    /// The UDP address of this manager's heartbeat (loopback)
    #[arg(long, value_name = "ADDR", requires = "role")]
    ha_listen: Option<SocketAddr>,
    /// The other manager's heartbeat address
    #[arg(long, value_name = "ADDR", requires = "role")]
    ha_peer: Option<SocketAddr>,
    /// How long the standby waits without the master's heartbeat before it claims master, in
    /// seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 3.0)]
    ha_lease: f64,
    /// ofctl_rest's address
    #[arg(long, value_name = "IP", default_value = "0.0.0.0")]
    wsapi_host: core::net::IpAddr,
    /// ofctl_rest's port (0: any free port, logged as 'listening on http://ADDR')
    #[arg(long, value_name = "PORT", default_value_t = 8080)]
    wsapi_port: u16,
    /// simple_switch_lacp_13's bonded ports on every switch, comma-separated
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "1,2"
    )]
    lacp_ports: Vec<u32>,
    /// simple_switch_igmp_13's querier switch (datapath id, hex), or none
    #[arg(long, value_name = "DPID|none", default_value = "1", value_parser = parse_querier)]
    igmp_querier: QuerierDpid,
    /// The querier's port to the multicast server
    #[arg(long, value_name = "N", default_value_t = 2)]
    igmp_server_port: u32,
    /// Source address of the querier's queries
    #[arg(long, value_name = "IP", default_value = "10.0.0.254")]
    igmp_querier_ip: Ipv4Addr,
    /// Between the querier's general queries, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    igmp_query_interval: f64,
    /// Max response time of its general queries, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    igmp_response_interval: f64,
}

/// A datapath id in hex, or none.
#[derive(Debug, Clone, Copy)]
struct QuerierDpid(Option<u64>);

fn parse_querier(s: &str) -> Result<QuerierDpid, String> {
    if s.eq_ignore_ascii_case("none") {
        return Ok(QuerierDpid(None));
    }
    u64::from_str_radix(s.trim_start_matches("0x"), 16)
        .map(|d| QuerierDpid(Some(d)))
        .map_err(|e| format!("{s:?} is not a datapath id in hex: {e}"))
}

fn seconds(name: &str, v: f64) -> Result<Duration, String> {
    if v.is_finite() && v > 0.0 && v < 1e9 {
        Ok(Duration::from_secs_f64(v))
    } else {
        Err(format!("--{name} must be a positive number of seconds"))
    }
}

fn after_help() -> String {
    let mut s = String::from("Applications:\n");
    for a in apps::APPS {
        s.push_str(&format!("  {:<24}{}\n", a.name, a.about));
    }
    s.push_str(
        "Logs go to stderr, reports (the monitor's tables) to stdout. SIGINT or SIGTERM stops it.",
    );
    s
}

fn settings(cli: &Cli) -> Result<Settings, String> {
    let mut s = Settings::default();
    s.monitor_interval = seconds("monitor-interval", cli.monitor_interval)?;
    s.json = cli.json;
    s.responder_mac = cli.responder_mac;
    s.responder_ip = cli.responder_ip;
    s.lacp_ports = cli.lacp_ports.clone();
    s.wsapi = SocketAddr::new(cli.wsapi_host, cli.wsapi_port);
    s.igmp.querier_dpid = cli.igmp_querier.0;
    s.igmp.server_port = cli.igmp_server_port;
    s.igmp.querier_ip = cli.igmp_querier_ip;
    s.igmp.query_interval = seconds("igmp-query-interval", cli.igmp_query_interval)?;
    s.igmp.response_interval = seconds("igmp-response-interval", cli.igmp_response_interval)?;
    Ok(s)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match settings(&cli) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sdnwire-manager: {e}");
            return ExitCode::from(2);
        }
    };
    let mut config = ManagerConfig::default();
    if let (Some(role), Some(listen), Some(peer)) = (&cli.role, cli.ha_listen, cli.ha_peer) {
        let mut r = sdnwire_controller::RoleConfig::new(role == "master", listen, peer);
        match seconds("ha-lease", cli.ha_lease) {
            Ok(l) => r.lease = l,
            Err(e) => {
                eprintln!("sdnwire-manager: {e}");
                return ExitCode::from(2);
            }
        }
        config.roles = Some(r);
    }
    if let (Some(key), Some(cert)) = (&cli.ctl_privkey, &cli.ctl_cert) {
        match sdnwire_controller::tls::server_config(cert, key, cli.ca_certs.as_deref()) {
            Ok(tls) => config.tls = Some(tls),
            Err(e) => {
                eprintln!("sdnwire-manager: {e}");
                return ExitCode::from(2);
            }
        }
    }
    config.level = cli.log_level;
    config.queue_len = cli.queue_len.max(1);
    let mut builder = Manager::builder(config);
    let names: Vec<&str> = cli.apps.iter().map(String::as_str).collect();
    if let Err(e) = apps::load(&mut builder, &names, &settings) {
        eprintln!("sdnwire-manager: {e} (--help lists the applications)");
        return ExitCode::from(2);
    }
    let loaded = builder.names().join(",");
    let manager = builder.build();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("sdnwire-manager: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(async {
        // Caught from here on: a SIGINT right after the start stops it cleanly too.
        let stop = sdnwire_controller::shutdown_signal();
        let listener = tokio::net::TcpListener::bind(cli.listen).await?;
        eprintln!(
            "[manager] listening on {} (applications: {loaded})",
            listener.local_addr()?
        );
        manager.run(listener, stop).await
    });
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sdnwire-manager: {e}");
            ExitCode::FAILURE
        }
    }
}
