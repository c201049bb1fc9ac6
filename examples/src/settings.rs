//! The controller's command line, parsed by `clap`; the applications it can run are the
//! registry's ([`crate::apps::APPS`]).

use core::net::Ipv4Addr;
use core::net::SocketAddr;
use core::time::Duration;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{CommandFactory, Parser};
use sdnwire_openflow::connection::Config;
use sdnwire_packet::MacAddr;

use crate::app::App;
use crate::apps::simple_switch_igmp_13::IgmpSettings;
use crate::apps::{AppInfo, APPS};

/// The command line as `clap` reads it; [`Settings`] is what the controller uses.
#[derive(Debug, Parser)]
#[command(
    name = "controller",
    about = "An OpenFlow 1.3 controller running the Ryu book's applications. Switches connect \
             to it (several at once); every application runs on every switch.",
    after_help = "DUR is seconds (\"2\", \"0.5\", \"2s\") or milliseconds (\"500ms\").\n\
                  Logs go to stderr, the monitor's reports to stdout."
)]
struct Cli {
    /// Address to listen on (port 0: any free port; the address is logged as 'listening on
    /// ADDR')
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:6653")]
    listen: SocketAddr,
    /// Applications, comma-separated
    #[arg(
        long = "app",
        visible_alias = "apps",
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "simple_switch_13",
        value_parser = app_parser()
    )]
    apps: Vec<&'static AppInfo>,
    /// simple_monitor's interval
    #[arg(long, value_name = "DUR", default_value = "10s", value_parser = parse_duration)]
    monitor_interval: Duration,
    /// simple_monitor prints os-ken-shaped JSON instead of tables
    #[arg(long)]
    json: bool,
    /// simple_switch_lacp_13's LACP group, comma-separated port numbers
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "1,2"
    )]
    lacp_ports: Vec<u32>,
    /// simple_switch_igmp_13's querier switch (datapath id, hex), or none
    #[arg(long, value_name = "DPID|none", default_value = "1", value_parser = parse_querier)]
    igmp_querier: ::core::option::Option<u64>,
    /// The querier's port to the multicast server
    #[arg(long, value_name = "N", default_value = "2")]
    igmp_server_port: u32,
    /// Source address of the querier's queries
    #[arg(long, value_name = "IP", default_value = "10.0.0.254")]
    igmp_querier_ip: Ipv4Addr,
    /// Between the querier's general queries
    #[arg(long, value_name = "DUR", default_value = "60s", value_parser = parse_duration)]
    igmp_query_interval: Duration,
    /// Max response time of its general queries
    #[arg(long, value_name = "DUR", default_value = "10s", value_parser = parse_duration)]
    igmp_response_interval: Duration,
    /// icmp_responder's address
    #[arg(long, value_name = "MAC", default_value = "0a:e4:1c:d1:3e:44")]
    responder_mac: MacAddr,
    /// icmp_responder's IPv4 address
    #[arg(long, value_name = "IP", default_value = "192.0.2.9")]
    responder_ip: Ipv4Addr,
    /// Send ECHO_REQUEST after this long without a message
    #[arg(long, value_name = "DUR", default_value = "5s", value_parser = parse_duration)]
    echo_interval: Duration,
    /// Dead when the echo goes unanswered this long
    #[arg(long, value_name = "DUR", default_value = "5s", value_parser = parse_duration)]
    echo_timeout: Duration,
    /// Dead when HELLO/FEATURES/PORT_DESC take longer
    #[arg(long, value_name = "DUR", default_value = "10s", value_parser = parse_duration)]
    handshake_timeout: Duration,
}

/// `--app`'s values: the registry's names, each with its line of help.
fn app_parser() -> impl TypedValueParser<Value = &'static AppInfo> {
    PossibleValuesParser::new(
        APPS.iter()
            .map(|a| PossibleValue::new(a.name).help(a.about)),
    )
    .try_map(|name| crate::apps::find(&name).ok_or("unknown application"))
}

/// `--igmp-querier`: a datapath id in hex (`0x` optional), or `none`.
fn parse_querier(s: &str) -> Result<Option<u64>, String> {
    if s == "none" {
        return Ok(None);
    }
    u64::from_str_radix(s.trim_start_matches("0x"), 16)
        .map(Some)
        .map_err(|e| format!("{e}"))
}

/// Everything the command line sets.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The applications, in the order given.
    pub apps: Vec<&'static AppInfo>,
    /// The monitor's interval.
    pub monitor_interval: Duration,
    /// The monitor prints JSON.
    pub json: bool,
    /// The responder's MAC address.
    pub responder_mac: MacAddr,
    /// The responder's IPv4 address.
    pub responder_ip: Ipv4Addr,
    /// simple_switch_lacp_13's LACP group (OpenFlow port numbers).
    pub lacp_ports: Vec<u32>,
    /// simple_switch_igmp_13's querier and timers.
    pub igmp: IgmpSettings,
    /// The settings of every switch connection.
    pub connection: Config,
}

impl Default for Settings {
    /// What an empty command line gives.
    fn default() -> Self {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 6653)),
            apps: APPS.iter().take(1).collect(),
            monitor_interval: Duration::from_secs(10),
            json: false,
            responder_mac: crate::apps::icmp_responder::DEFAULT_MAC,
            responder_ip: crate::apps::icmp_responder::DEFAULT_IP,
            lacp_ports: vec![1, 2],
            igmp: IgmpSettings::default(),
            connection: Config::default(),
        }
    }
}

/// Parses a duration: seconds (`2`, `0.5`, `2s`) or milliseconds (`500ms`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let bad = || format!("invalid duration {s:?} (seconds, or milliseconds with 'ms')");
    let (num, scale) = if let Some(ms) = s.strip_suffix("ms") {
        (ms, 1e-3)
    } else {
        (s.strip_suffix('s').unwrap_or(s), 1.0)
    };
    let v: f64 = num.trim().parse().map_err(|_| bad())?;
    Duration::try_from_secs_f64(v * scale).map_err(|_| bad())
}

impl Settings {
    /// Parses a command line (the program name first, as `std::env::args_os` gives it).
    /// `--help` is an `Err` too, of kind `DisplayHelp`: [`clap::Error::exit`] prints either
    /// and exits as a command-line program should (0 for help, 2 for a mistake).
    pub fn try_from_args<I, T>(args: I) -> Result<Settings, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let c = Cli::try_parse_from(args)?;
        let mut connection = Config::default();
        connection.echo_interval = c.echo_interval;
        connection.echo_timeout = c.echo_timeout;
        connection.handshake_timeout = c.handshake_timeout;
        Ok(Settings {
            listen: c.listen,
            apps: c.apps,
            monitor_interval: c.monitor_interval,
            json: c.json,
            responder_mac: c.responder_mac,
            responder_ip: c.responder_ip,
            lacp_ports: c.lacp_ports,
            igmp: IgmpSettings {
                querier_dpid: c.igmp_querier,
                server_port: c.igmp_server_port,
                querier_ip: c.igmp_querier_ip,
                query_interval: c.igmp_query_interval,
                response_interval: c.igmp_response_interval,
            },
            connection,
        })
    }

    /// The `--help` text.
    pub fn help() -> String {
        Cli::command().render_long_help().to_string()
    }

    /// A fresh instance of every application, for a new switch connection.
    pub fn make_apps(&self) -> Vec<Box<dyn App>> {
        self.apps.iter().map(|a| (a.make)(self)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Settings, clap::Error> {
        Settings::try_from_args(core::iter::once("controller").chain(args.iter().copied()))
    }

    fn apps(names: &[&str]) -> Vec<&'static AppInfo> {
        names
            .iter()
            .map(|n| crate::apps::find(n).unwrap())
            .collect()
    }

    #[test]
    fn help_lists_every_registered_app_and_every_option() {
        let help = Settings::help();
        assert!(help.starts_with("An OpenFlow 1.3 controller"), "{help}");
        assert!(help.contains("Usage: controller [OPTIONS]"), "{help}");
        for a in APPS {
            let line = format!("- {}:", a.name);
            assert!(
                help.lines()
                    .any(|l| l.trim_start().starts_with(&line) && l.ends_with(a.about)),
                "{}",
                a.name
            );
        }
        for opt in Cli::command().get_arguments() {
            if let Some(long) = opt.get_long() {
                assert!(help.contains(&format!("--{long}")), "--{long}");
            }
        }
        for default in [
            "[default: 127.0.0.1:6653]",
            "[default: 1,2]",
            "[default: 0a:e4:1c:d1:3e:44]",
        ] {
            assert!(help.contains(default), "{default}\n{help}");
        }
        assert!(help.contains("DUR is seconds"));
        // -h is the short form of the same.
        let e = parse(&["-h"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::DisplayHelp);
        // A mistake names the option and the accepted values.
        let e = parse(&["--app", "nope"]).unwrap_err().to_string();
        assert!(
            e.contains("--app") && e.contains("simple_switch_igmp_13"),
            "{e}"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        for bad in ["", "s", "-1", "1h", "nan", "1e400"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn command_line() {
        let s = parse(&[]).unwrap();
        assert_eq!(
            s,
            Settings::default(),
            "the defaults --help shows are Settings::default()"
        );
        assert_eq!(s.apps, apps(&["simple_switch_13"]));
        assert_eq!(s.listen.to_string(), "127.0.0.1:6653");
        let s = parse(&[
            "--listen=0.0.0.0:7000",
            "--app",
            "simple_switch_13,simple_monitor,icmp_responder",
            "--monitor-interval",
            "500ms",
            "--json",
            "--responder-mac",
            "00:00:00:00:00:02",
            "--responder-ip=10.0.0.2",
            "--echo-interval",
            "1",
            "--echo-timeout",
            "2",
            "--handshake-timeout",
            "3",
        ])
        .unwrap();
        assert_eq!(s.listen.to_string(), "0.0.0.0:7000");
        assert_eq!(
            s.apps,
            apps(&["simple_switch_13", "simple_monitor", "icmp_responder"])
        );
        assert_eq!(s.monitor_interval, Duration::from_millis(500));
        assert!(s.json);
        assert_eq!(s.responder_mac, MacAddr([0, 0, 0, 0, 0, 2]));
        assert_eq!(s.responder_ip, Ipv4Addr::new(10, 0, 0, 2));
        assert_eq!(
            (
                s.connection.echo_interval,
                s.connection.echo_timeout,
                s.connection.handshake_timeout
            ),
            (
                Duration::from_secs(1),
                Duration::from_secs(2),
                Duration::from_secs(3)
            )
        );
        let names: Vec<&str> = s.make_apps().iter().map(|a| a.name()).collect();
        assert_eq!(
            names,
            ["simple_switch_13", "simple_monitor", "icmp_responder"]
        );
        let s = parse(&["--app", "simple_switch_lacp_13", "--lacp-ports", "3,4"]).unwrap();
        assert_eq!(
            (s.apps[0].name, s.lacp_ports),
            ("simple_switch_lacp_13", vec![3, 4])
        );
        assert!(parse(&["--lacp-ports", "1,x"]).is_err());
        let s = parse(&[
            "--app",
            "simple_switch_igmp_13",
            "--igmp-querier",
            "0000000000000002",
            "--igmp-server-port=3",
            "--igmp-querier-ip",
            "10.0.0.254",
            "--igmp-query-interval",
            "2",
            "--igmp-response-interval",
            "500ms",
        ])
        .unwrap();
        assert_eq!(s.apps[0].name, "simple_switch_igmp_13");
        assert_eq!(
            s.igmp,
            IgmpSettings {
                querier_dpid: Some(2),
                server_port: 3,
                querier_ip: Ipv4Addr::new(10, 0, 0, 254),
                query_interval: Duration::from_secs(2),
                response_interval: Duration::from_millis(500),
            }
        );
        assert_eq!(s.make_apps()[0].name(), "simple_switch_igmp_13");
        let s = parse(&["--igmp-querier", "none"]).unwrap();
        assert_eq!(s.igmp.querier_dpid, None);
        assert!(parse(&["--igmp-querier", "xyz"]).is_err());
        assert!(parse(&["--igmp-server-port", "-1"]).is_err());
        assert!(parse(&["--lacp-ports", ""]).is_err());
        assert_eq!(
            parse(&["--help"]).unwrap_err().kind(),
            clap::error::ErrorKind::DisplayHelp
        );
        for bad in [
            &["--app", "nope"][..],
            &["--app", ""],
            &["--listen"],
            &["--listen", "localhost"],
            &["--responder-ip", "1.2.3"],
            &["--frobnicate"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
