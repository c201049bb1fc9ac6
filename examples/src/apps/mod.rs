//! The Ryu book's applications.

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
