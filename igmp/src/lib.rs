//! Sans-I/O IGMP snooping (RFC 4541) with RFC 3376 §6 state per (VLAN, group, port).
#![cfg_attr(docsrs, feature(doc_auto_cfg))]
#![cfg_attr(
    not(test),
    warn(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

mod config;
mod frame;
mod state;
mod querier;
mod snooper;
mod types;

pub use config::{Config, QuerierConfig, Unregistered};
pub use querier::Querier;
pub use snooper::Snooper;
pub use types::{
    BadFrame, Egress, Event, FilterMode, Forward, Limit, MembershipRef, QuerierInfo, SourceRef,
    Stats, Transmit, VlanId,
};
