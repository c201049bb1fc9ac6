//! The Ryu book's applications, and [`APPS`], the one table that registers them: the
//! controller's `--app` option, its `--help` text and the tests all read it. Adding an
//! application is a module here and one row in [`APPS`].

pub mod icmp_responder;
pub mod simple_monitor;
pub mod simple_switch_13;
pub mod simple_switch_igmp_13;
pub mod simple_switch_lacp_13;

pub use icmp_responder::IcmpResponder;
pub use simple_monitor::SimpleMonitor;
pub use simple_switch_13::SimpleSwitch13;
pub use simple_switch_igmp_13::SimpleSwitchIgmp13;
pub use simple_switch_lacp_13::SimpleSwitchLacp13;

use core::fmt;

use crate::app::App;
use crate::settings::Settings;

/// An application the controller can run: its command-line name, a line of help, and how to
/// make one instance (for one switch connection) from the settings.
#[derive(Clone, Copy)]
pub struct AppInfo {
    /// The name `--app` takes, which is also [`App::name`] of what `make` returns.
    pub name: &'static str,
    /// One line for `--help`.
    pub about: &'static str,
    /// A fresh instance, for a new switch connection.
    pub make: fn(&Settings) -> Box<dyn App>,
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
        make: |_| Box::new(SimpleSwitch13::new()),
    },
    AppInfo {
        name: "simple_monitor",
        about: "flow and port statistics every --monitor-interval",
        make: |s| Box::new(SimpleMonitor::new(s.monitor_interval, s.json)),
    },
    AppInfo {
        name: "icmp_responder",
        about: "answers ARP and ping for a host of its own (--responder-mac, --responder-ip)",
        make: |s| Box::new(IcmpResponder::new(s.responder_mac, s.responder_ip)),
    },
    AppInfo {
        name: "simple_switch_lacp_13",
        about: "switching hub + LACP on --lacp-ports",
        make: |s| Box::new(SimpleSwitchLacp13::new(s.lacp_ports.clone())),
    },
    AppInfo {
        name: "simple_switch_igmp_13",
        about: "switching hub + IGMP snooping (querier on --igmp-querier, snooper elsewhere)",
        make: |s| Box::new(SimpleSwitchIgmp13::new(s.igmp.clone())),
    },
];

/// The application registered under `name`.
pub fn find(name: &str) -> Option<&'static AppInfo> {
    APPS.iter().find(|a| a.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_app_makes_an_app_of_its_name() {
        let settings = Settings::default();
        let mut names: Vec<&str> = APPS.iter().map(|a| a.name).collect();
        for a in APPS {
            assert_eq!((a.make)(&settings).name(), a.name);
            assert_eq!(find(a.name), Some(a));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), APPS.len(), "names are unique");
        assert_eq!(find("nope"), None);
    }
}
