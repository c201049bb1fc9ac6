//! The Ryu book's applications.

pub mod icmp_responder;
pub mod simple_monitor;
pub mod simple_switch_13;

pub use icmp_responder::IcmpResponder;
pub use simple_monitor::SimpleMonitor;
pub use simple_switch_13::SimpleSwitch13;
