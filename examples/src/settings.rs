//! The controller's command line.

use core::net::Ipv4Addr;
use core::net::SocketAddr;
use core::time::Duration;

use sdnwire_openflow::connection::Config;
use sdnwire_packet::MacAddr;

use crate::app::App;
use crate::apps::simple_switch_igmp_13::IgmpSettings;
use crate::apps::{
    IcmpResponder, SimpleMonitor, SimpleSwitch13, SimpleSwitchIgmp13, SimpleSwitchLacp13,
};

/// The usage text.
pub const USAGE: &str = "\
usage: controller [OPTIONS]

An OpenFlow 1.3 controller running the Ryu book's applications. Switches connect to it (several
at once); every application runs on every switch.

options:
  --listen ADDR              address to listen on [127.0.0.1:6653] (port 0: any free port;
                             the address is logged as 'listening on ADDR')
  --app LIST                 applications, comma-separated [simple_switch_13]:
                               simple_switch_13  switching hub (learns MACs, installs flows)
                               simple_monitor    flow and port statistics every interval
                               icmp_responder    answers ARP and ping for a host of its own
                               simple_switch_lacp_13  switching hub + LACP on --lacp-ports
                               simple_switch_igmp_13  switching hub + IGMP snooping (querier
                                                 on --igmp-querier, snooper elsewhere)
  --monitor-interval DUR     simple_monitor's interval [10s]
  --json                     simple_monitor prints os-ken-shaped JSON instead of tables
  --lacp-ports LIST          simple_switch_lacp_13's LACP group, comma-separated port
                             numbers [1,2]
  --igmp-querier DPID|none   simple_switch_igmp_13's querier switch (datapath id, hex) [1]
  --igmp-server-port N       the querier's port to the multicast server [2]
  --igmp-querier-ip IP       source address of the querier's queries [10.0.0.254]
  --igmp-query-interval DUR  between the querier's general queries [60s]
  --igmp-response-interval DUR  max response time of its general queries [10s]
  --responder-mac MAC        icmp_responder's address [0a:e4:1c:d1:3e:44]
  --responder-ip IP          icmp_responder's IPv4 address [192.0.2.9]
  --echo-interval DUR        send ECHO_REQUEST after this long without a message [5s]
  --echo-timeout DUR         dead when the echo goes unanswered this long [5s]
  --handshake-timeout DUR    dead when HELLO/FEATURES/PORT_DESC take longer [10s]
  -h, --help                 this text

DUR is seconds (\"2\", \"0.5\", \"2s\") or milliseconds (\"500ms\").
Logs go to stderr, the monitor's reports to stdout.
";

/// An application named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppKind {
    /// [`SimpleSwitch13`].
    SimpleSwitch13,
    /// [`SimpleMonitor`].
    SimpleMonitor,
    /// [`IcmpResponder`].
    IcmpResponder,
    /// [`SimpleSwitchLacp13`].
    SimpleSwitchLacp13,
    /// [`SimpleSwitchIgmp13`].
    SimpleSwitchIgmp13,
}

impl AppKind {
    /// Its command-line name.
    pub fn name(self) -> &'static str {
        match self {
            AppKind::SimpleSwitch13 => "simple_switch_13",
            AppKind::SimpleMonitor => "simple_monitor",
            AppKind::IcmpResponder => "icmp_responder",
            AppKind::SimpleSwitchLacp13 => "simple_switch_lacp_13",
            AppKind::SimpleSwitchIgmp13 => "simple_switch_igmp_13",
        }
    }

    fn parse(s: &str) -> Result<AppKind, String> {
        [
            AppKind::SimpleSwitch13,
            AppKind::SimpleMonitor,
            AppKind::IcmpResponder,
            AppKind::SimpleSwitchLacp13,
            AppKind::SimpleSwitchIgmp13,
        ]
        .into_iter()
        .find(|k| k.name() == s)
        .ok_or_else(|| format!("unknown application {s:?}"))
    }
}

/// Everything the command line sets.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The applications, in the order given.
    pub apps: Vec<AppKind>,
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
    fn default() -> Self {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 6653)),
            apps: vec![AppKind::SimpleSwitch13],
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
    /// Parses the arguments (without the program name). `Ok(None)`: help was asked for.
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Option<Settings>, String> {
        let mut s = Settings::default();
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            // --name=value or --name value
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
                _ => (arg.clone(), None),
            };
            let value = |it: &mut I::IntoIter| {
                inline
                    .clone()
                    .or_else(|| it.next())
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match name.as_str() {
                "-h" | "--help" => return Ok(None),
                "--json" => s.json = true,
                "--listen" => {
                    let v = value(&mut it)?;
                    s.listen = v.parse().map_err(|e| format!("--listen {v:?}: {e}"))?;
                }
                "--app" | "--apps" => {
                    s.apps = value(&mut it)?
                        .split(',')
                        .filter(|a| !a.is_empty())
                        .map(AppKind::parse)
                        .collect::<Result<_, _>>()?;
                }
                "--monitor-interval" => s.monitor_interval = parse_duration(&value(&mut it)?)?,
                "--responder-mac" => {
                    let v = value(&mut it)?;
                    s.responder_mac = v
                        .parse()
                        .map_err(|e| format!("--responder-mac {v:?}: {e}"))?;
                }
                "--responder-ip" => {
                    let v = value(&mut it)?;
                    s.responder_ip = v
                        .parse()
                        .map_err(|e| format!("--responder-ip {v:?}: {e}"))?;
                }
                "--lacp-ports" => {
                    let v = value(&mut it)?;
                    s.lacp_ports = v
                        .split(',')
                        .filter(|p| !p.is_empty())
                        .map(|p| p.trim().parse::<u32>())
                        .collect::<Result<_, _>>()
                        .map_err(|e| format!("--lacp-ports {v:?}: {e}"))?;
                    if s.lacp_ports.is_empty() {
                        return Err("--lacp-ports: no port given".into());
                    }
                }
                "--igmp-querier" => {
                    let v = value(&mut it)?;
                    s.igmp.querier_dpid = if v == "none" {
                        None
                    } else {
                        Some(
                            u64::from_str_radix(v.trim_start_matches("0x"), 16)
                                .map_err(|e| format!("--igmp-querier {v:?}: {e}"))?,
                        )
                    };
                }
                "--igmp-server-port" => {
                    let v = value(&mut it)?;
                    s.igmp.server_port = v
                        .parse()
                        .map_err(|e| format!("--igmp-server-port {v:?}: {e}"))?;
                }
                "--igmp-querier-ip" => {
                    let v = value(&mut it)?;
                    s.igmp.querier_ip = v
                        .parse()
                        .map_err(|e| format!("--igmp-querier-ip {v:?}: {e}"))?;
                }
                "--igmp-query-interval" => {
                    s.igmp.query_interval = parse_duration(&value(&mut it)?)?;
                }
                "--igmp-response-interval" => {
                    s.igmp.response_interval = parse_duration(&value(&mut it)?)?;
                }
                "--echo-interval" => s.connection.echo_interval = parse_duration(&value(&mut it)?)?,
                "--echo-timeout" => s.connection.echo_timeout = parse_duration(&value(&mut it)?)?,
                "--handshake-timeout" => {
                    s.connection.handshake_timeout = parse_duration(&value(&mut it)?)?;
                }
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        if s.apps.is_empty() {
            return Err("--app: no application given".into());
        }
        Ok(Some(s))
    }

    /// A fresh instance of every application, for a new switch connection.
    pub fn make_apps(&self) -> Vec<Box<dyn App>> {
        self.apps
            .iter()
            .map(|k| -> Box<dyn App> {
                match k {
                    AppKind::SimpleSwitch13 => Box::new(SimpleSwitch13::new()),
                    AppKind::SimpleMonitor => {
                        Box::new(SimpleMonitor::new(self.monitor_interval, self.json))
                    }
                    AppKind::IcmpResponder => {
                        Box::new(IcmpResponder::new(self.responder_mac, self.responder_ip))
                    }
                    AppKind::SimpleSwitchIgmp13 => {
                        Box::new(SimpleSwitchIgmp13::new(self.igmp.clone()))
                    }
                    AppKind::SimpleSwitchLacp13 => {
                        Box::new(SimpleSwitchLacp13::new(self.lacp_ports.clone()))
                    }
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Settings>, String> {
        Settings::from_args(args.iter().map(|s| s.to_string()))
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
        let s = parse(&[]).unwrap().unwrap();
        assert_eq!(s.apps, [AppKind::SimpleSwitch13]);
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
        .unwrap()
        .unwrap();
        assert_eq!(s.listen.to_string(), "0.0.0.0:7000");
        assert_eq!(
            s.apps,
            [
                AppKind::SimpleSwitch13,
                AppKind::SimpleMonitor,
                AppKind::IcmpResponder
            ]
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
        let s = parse(&["--app", "simple_switch_lacp_13", "--lacp-ports", "3,4"])
            .unwrap()
            .unwrap();
        assert_eq!(
            (s.apps[0].name(), s.lacp_ports),
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
        .unwrap()
        .unwrap();
        assert_eq!(s.apps[0].name(), "simple_switch_igmp_13");
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
        let s = parse(&["--igmp-querier", "none"]).unwrap().unwrap();
        assert_eq!(s.igmp.querier_dpid, None);
        assert!(parse(&["--igmp-querier", "xyz"]).is_err());
        assert!(parse(&["--igmp-server-port", "-1"]).is_err());
        assert!(parse(&["--lacp-ports", ""]).is_err());
        assert!(parse(&["--help"]).unwrap().is_none());
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
