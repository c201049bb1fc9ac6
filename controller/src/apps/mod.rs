//! The Ryu book's applications on the framework, and [`APPS`], the table that registers them
//! by name: the manager's `--app` option, its `--help` text and the tests read it. Adding an
//! application is a module here and one row in [`APPS`].

pub mod icmp_responder;
pub mod igmplib;
pub mod lacplib;
pub mod ofctl;
pub mod ofctl_rest;
mod per_switch;
pub mod simple_monitor_13;
pub mod simple_switch_13;
pub mod simple_switch_igmp_13;
pub mod simple_switch_lacp_13;

pub use icmp_responder::IcmpResponder;
pub use igmplib::IgmpLib;
pub use lacplib::LacpLib;
pub use simple_monitor_13::SimpleMonitor13;
pub use simple_switch_13::{MacTable, SimpleSwitch13};
pub use simple_switch_igmp_13::SimpleSwitchIgmp13;
pub use simple_switch_lacp_13::SimpleSwitchLacp13;

use core::fmt;
use core::net::Ipv4Addr;
use core::time::Duration;

use sdnwire_packet::MacAddr;

use crate::{BuildError, Builder};

/// The applications' settings, from the manager's command line.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Settings {
    /// simple_monitor_13's interval (the book's 10 s).
    pub monitor_interval: Duration,
    /// simple_monitor_13 prints os-ken-shaped JSON instead of tables.
    pub json: bool,
    /// icmp_responder's MAC address.
    pub responder_mac: MacAddr,
    /// icmp_responder's IPv4 address.
    pub responder_ip: Ipv4Addr,
    /// simple_switch_lacp_13's bonded ports, on every switch.
    pub lacp_ports: Vec<u32>,
    /// simple_switch_igmp_13's igmplib settings (the querier switch, ...).
    pub igmp: igmplib::IgmpSettings,
    /// ofctl_rest's address (`ryu-manager`'s `--wsapi-host`, `--wsapi-port`).
    pub wsapi: core::net::SocketAddr,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            monitor_interval: Duration::from_secs(10),
            json: false,
            responder_mac: icmp_responder::DEFAULT_MAC,
            responder_ip: icmp_responder::DEFAULT_IP,
            lacp_ports: vec![1, 2],
            igmp: igmplib::IgmpSettings::default(),
            wsapi: core::net::SocketAddr::from(([0, 0, 0, 0], 8080)),
        }
    }
}

/// An application the manager can load by name: its name, a line of help, and how to add it
/// (and the contexts it requires) to a [`Builder`].
#[derive(Clone, Copy)]
pub struct AppInfo {
    /// The name `--app` takes, which is also the application's [`crate::App::NAME`].
    pub name: &'static str,
    /// One line for `--help`.
    pub about: &'static str,
    /// Adds the application (and its contexts, once) to the builder.
    pub add: fn(&mut Builder, &Settings) -> Result<(), BuildError>,
}

impl fmt::Debug for AppInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for AppInfo {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for AppInfo {}

/// Every application, in the order `--help` lists them.
pub static APPS: &[AppInfo] = &[
    AppInfo {
        name: "simple_switch_13",
        about: "switching hub (learns MACs, installs flows)",
        add: |b, _| b.add(SimpleSwitch13::new()).map(|_| ()),
    },
    AppInfo {
        name: "simple_monitor_13",
        about: "flow and port statistics of every switch every --monitor-interval",
        add: |b, s| {
            b.add(SimpleMonitor13::new(s.monitor_interval, s.json))
                .map(|_| ())
        },
    },
    AppInfo {
        name: "icmp_responder",
        about: "answers ARP and ping for a host of its own (--responder-mac, --responder-ip)",
        add: |b, s| {
            b.add(IcmpResponder::new(s.responder_mac, s.responder_ip))
                .map(|_| ())
        },
    },
    AppInfo {
        name: "simple_switch_lacp_13",
        about: "switching hub over the lacplib context: LACP on --lacp-ports",
        add: |b, s| {
            let lacp = b.context(LacpLib::new)?;
            lacp.add_any(s.lacp_ports.clone());
            b.add(SimpleSwitchLacp13::new(lacp)).map(|_| ())
        },
    },
    AppInfo {
        name: "simple_switch_igmp_13",
        about: "switching hub over the igmplib context: IGMP snooping (querier on --igmp-querier)",
        add: |b, s| {
            let snoop = b.context(IgmpLib::new)?;
            snoop.set_settings(s.igmp.clone());
            b.add(SimpleSwitchIgmp13::new(snoop)).map(|_| ())
        },
    },
    AppInfo {
        name: "ofctl_rest",
        about: "Ryu's REST API for flows and statistics on --wsapi-host:--wsapi-port",
        add: |b, s| b.add(ofctl_rest::OfctlRest::new(s.wsapi)).map(|_| ()),
    },
];

/// The application registered under `name`.
pub fn find(name: &str) -> Option<&'static AppInfo> {
    APPS.iter().find(|a| a.name == name)
}

/// Adds the applications called `names` (with their contexts) to `builder`, as
/// `ryu-manager` loads modules by name.
pub fn load(builder: &mut Builder, names: &[&str], settings: &Settings) -> Result<(), BuildError> {
    for name in names {
        let info = find(name).ok_or_else(|| BuildError::Unknown((*name).to_owned()))?;
        (info.add)(builder, settings)?;
    }
    Ok(())
}
