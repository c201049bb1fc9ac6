//! The asynchronous message configuration (`ofp_async_config`), the body of both
//! GET_ASYNC_REPLY and SET_ASYNC: which PACKET_IN, PORT_STATUS and FLOW_REMOVED reasons a
//! controller receives, once for the master/equal role and once for the slave role.
//!
//! Each mask has a bit per reason (`1 << reason`). Element 0 of each array applies when the
//! controller is master or equal, element 1 when it is slave ([`AsyncRole`]).
//!
//! Being shared by two message types, [`AsyncConfig`] has [`AsyncConfig::parse`] and no
//! [`MessageBody`](crate::codec::MessageBody) implementation; the message enum dispatches on the
//! header's type. Its `Display` is the part after the message type.

use core::fmt;

use bytes::BufMut;

use crate::codec::{Reader, WireWrite};
use crate::codec_error::Result;
use crate::port::bitset;

bitset! {
    /// The PACKET_IN reasons of a packet-in mask (`1 << OFPR_*`).
    pub struct PacketInMask(u32) {
        /// OFPR_NO_MATCH: no matching flow (table-miss flow entry).
        const NO_MATCH = 1 << 0 => "no_match";
        /// OFPR_ACTION: an output action sent the packet to the controller.
        const ACTION = 1 << 1 => "action";
        /// OFPR_INVALID_TTL: the packet has an invalid TTL.
        const INVALID_TTL = 1 << 2 => "invalid_ttl";
    }
}

bitset! {
    /// The PORT_STATUS reasons of a port-status mask (`1 << OFPPR_*`).
    pub struct PortStatusMask(u32) {
        /// OFPPR_ADD: a port was added.
        const ADD = 1 << 0 => "add";
        /// OFPPR_DELETE: a port was removed.
        const DELETE = 1 << 1 => "delete";
        /// OFPPR_MODIFY: a port changed.
        const MODIFY = 1 << 2 => "modify";
    }
}

bitset! {
    /// The FLOW_REMOVED reasons of a flow-removed mask (`1 << OFPRR_*`).
    pub struct FlowRemovedMask(u32) {
        /// OFPRR_IDLE_TIMEOUT: the idle timeout expired.
        const IDLE_TIMEOUT = 1 << 0 => "idle";
        /// OFPRR_HARD_TIMEOUT: the hard timeout expired.
        const HARD_TIMEOUT = 1 << 1 => "hard";
        /// OFPRR_DELETE: evicted by a DELETE flow mod.
        const DELETE = 1 << 2 => "delete";
        /// OFPRR_GROUP_DELETE: the group the flow used was removed.
        const GROUP_DELETE = 1 << 3 => "group_delete";
    }
}

/// The bit of a reason number in a mask: `1 << reason`, or 0 for a reason above 31 (which no
/// mask can select).
pub const fn reason_bit(reason: u8) -> u32 {
    if reason < 32 {
        1 << reason
    } else {
        0
    }
}

/// Which half of each mask pair: the one for a master or equal controller, or the one for a
/// slave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum AsyncRole {
    /// Element 0: the controller is master or equal.
    MasterOrEqual,
    /// Element 1: the controller is slave.
    Slave,
}

/// The body of GET_ASYNC_REPLY and SET_ASYNC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AsyncConfig {
    /// PACKET_IN reasons, `[master/equal, slave]` (see [`PacketInMask`]).
    pub packet_in_mask: [u32; 2],
    /// PORT_STATUS reasons, `[master/equal, slave]` (see [`PortStatusMask`]).
    pub port_status_mask: [u32; 2],
    /// FLOW_REMOVED reasons, `[master/equal, slave]` (see [`FlowRemovedMask`]).
    pub flow_removed_mask: [u32; 2],
}

fn get(pair: &[u32; 2], role: AsyncRole) -> u32 {
    let [m, s] = *pair;
    match role {
        AsyncRole::MasterOrEqual => m,
        AsyncRole::Slave => s,
    }
}

fn slot(pair: &mut [u32; 2], role: AsyncRole) -> &mut u32 {
    let [m, s] = pair;
    match role {
        AsyncRole::MasterOrEqual => m,
        AsyncRole::Slave => s,
    }
}

impl AsyncConfig {
    /// Body length.
    pub const LEN: usize = 24;

    /// The PACKET_IN mask for `role`.
    pub fn packet_in(&self, role: AsyncRole) -> PacketInMask {
        PacketInMask(get(&self.packet_in_mask, role))
    }

    /// The PORT_STATUS mask for `role`.
    pub fn port_status(&self, role: AsyncRole) -> PortStatusMask {
        PortStatusMask(get(&self.port_status_mask, role))
    }

    /// The FLOW_REMOVED mask for `role`.
    pub fn flow_removed(&self, role: AsyncRole) -> FlowRemovedMask {
        FlowRemovedMask(get(&self.flow_removed_mask, role))
    }

    /// Sets the PACKET_IN mask for `role`.
    pub fn set_packet_in(&mut self, role: AsyncRole, mask: PacketInMask) -> &mut Self {
        *slot(&mut self.packet_in_mask, role) = mask.0;
        self
    }

    /// Sets the PORT_STATUS mask for `role`.
    pub fn set_port_status(&mut self, role: AsyncRole, mask: PortStatusMask) -> &mut Self {
        *slot(&mut self.port_status_mask, role) = mask.0;
        self
    }

    /// Sets the FLOW_REMOVED mask for `role`.
    pub fn set_flow_removed(&mut self, role: AsyncRole, mask: FlowRemovedMask) -> &mut Self {
        *slot(&mut self.flow_removed_mask, role) = mask.0;
        self
    }

    /// True when a controller in `role` receives PACKET_INs with reason number `reason`.
    pub fn wants_packet_in(&self, role: AsyncRole, reason: u8) -> bool {
        get(&self.packet_in_mask, role) & reason_bit(reason) != 0
    }

    /// True when a controller in `role` receives PORT_STATUS with reason number `reason`.
    pub fn wants_port_status(&self, role: AsyncRole, reason: u8) -> bool {
        get(&self.port_status_mask, role) & reason_bit(reason) != 0
    }

    /// True when a controller in `role` receives FLOW_REMOVED with reason number `reason`.
    pub fn wants_flow_removed(&self, role: AsyncRole, reason: u8) -> bool {
        get(&self.flow_removed_mask, role) & reason_bit(reason) != 0
    }

    /// Parses the body; it must be exactly 24 bytes.
    pub fn parse(r: &mut Reader<'_>) -> Result<AsyncConfig> {
        let packet_in_mask = [
            r.u32("ofp_async_config.packet_in_mask")?,
            r.u32("ofp_async_config.packet_in_mask")?,
        ];
        let port_status_mask = [
            r.u32("ofp_async_config.port_status_mask")?,
            r.u32("ofp_async_config.port_status_mask")?,
        ];
        let flow_removed_mask = [
            r.u32("ofp_async_config.flow_removed_mask")?,
            r.u32("ofp_async_config.flow_removed_mask")?,
        ];
        r.finish("ofp_async_config")?;
        Ok(AsyncConfig {
            packet_in_mask,
            port_status_mask,
            flow_removed_mask,
        })
    }
}

crate::codec::impl_encode!(AsyncConfig);

impl WireWrite for AsyncConfig {
    fn encoded_len(&self) -> usize {
        AsyncConfig::LEN
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        for v in self
            .packet_in_mask
            .iter()
            .chain(&self.port_status_mask)
            .chain(&self.flow_removed_mask)
        {
            out.put_u32(*v);
        }
        Ok(())
    }
}

/// Writes `label=name,name` or `label=(off)`, then unknown bits in hex.
fn fmt_mask(
    f: &mut fmt::Formatter<'_>,
    label: &str,
    names: impl Iterator<Item = &'static str>,
    unknown: u32,
) -> fmt::Result {
    write!(f, "{label}=")?;
    let mut first = true;
    for n in names {
        if !first {
            f.write_str(",")?;
        }
        first = false;
        f.write_str(n)?;
    }
    if unknown != 0 {
        if !first {
            f.write_str(",")?;
        }
        first = false;
        write!(f, "{unknown:#x}")?;
    }
    if first {
        f.write_str("(off)")?;
    }
    Ok(())
}

impl fmt::Display for AsyncConfig {
    /// ovs-ofctl's table on one line: `primary: packet_in=no_match,action
    /// port_status=add,delete,modify flow_removed=idle,hard; secondary: packet_in=(off) ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (role, label) in [
            (AsyncRole::MasterOrEqual, "primary"),
            (AsyncRole::Slave, "secondary"),
        ] {
            if role == AsyncRole::Slave {
                f.write_str("; ")?;
            }
            write!(f, "{label}: ")?;
            let p = self.packet_in(role);
            fmt_mask(f, "packet_in", p.names(), p.unknown_bits())?;
            f.write_str(" ")?;
            let p = self.port_status(role);
            fmt_mask(f, "port_status", p.names(), p.unknown_bits())?;
            f.write_str(" ")?;
            let p = self.flow_removed(role);
            fmt_mask(f, "flow_removed", p.names(), p.unknown_bits())?;
        }
        Ok(())
    }
}

impl fmt::Display for AsyncRole {
    /// `master` or `slave`, as `ovs-ofctl get-async` titles the two halves.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AsyncRole::MasterOrEqual => "master",
            AsyncRole::Slave => "slave",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec_error::Error;
    use crate::header::MsgType;
    use crate::simple::testutil::*;
    use alloc::string::ToString;
    use proptest::prelude::*;

    #[test]
    fn os_ken_corpus() {
        for (name, ty, key) in [
            (
                "4-43-ofp_get_async_reply",
                MsgType::GET_ASYNC_REPLY,
                "OFPGetAsyncReply",
            ),
            ("4-44-ofp_set_async", MsgType::SET_ASYNC, "OFPSetAsync"),
        ] {
            let Some(msg) = corpus(name) else { return };
            let a = parse_exact(&msg, ty, AsyncConfig::parse);
            let Some(json) = corpus_json(name) else {
                return;
            };
            let j = &json[key];
            for (field, v) in [
                ("packet_in_mask", a.packet_in_mask),
                ("port_status_mask", a.port_status_mask),
                ("flow_removed_mask", a.flow_removed_mask),
            ] {
                let want: alloc::vec::Vec<u64> = j[field]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap())
                    .collect();
                assert_eq!(want, [u64::from(v[0]), u64::from(v[1])], "{name} {field}");
            }
            assert_eq!(
                a.to_string(),
                "primary: packet_in=no_match,invalid_ttl port_status=add,delete,modify \
                 flow_removed=idle,hard,delete,group_delete; \
                 secondary: packet_in=no_match port_status=add,delete flow_removed=idle,hard"
            );
            assert!(a.wants_packet_in(AsyncRole::MasterOrEqual, 2));
            assert!(!a.wants_packet_in(AsyncRole::Slave, 2));
            assert!(a.wants_flow_removed(AsyncRole::MasterOrEqual, 3));
            assert!(!a.wants_port_status(AsyncRole::Slave, 2));
            assert!(!a.wants_port_status(AsyncRole::Slave, 200));
        }
    }

    #[test]
    fn helpers() {
        let mut a = AsyncConfig::default();
        a.set_packet_in(
            AsyncRole::MasterOrEqual,
            PacketInMask::NO_MATCH | PacketInMask::ACTION,
        )
        .set_port_status(AsyncRole::Slave, PortStatusMask::ALL)
        .set_flow_removed(AsyncRole::Slave, FlowRemovedMask(1 << 9));
        assert_eq!(a.packet_in_mask, [3, 0]);
        assert_eq!(a.port_status_mask, [0, 7]);
        assert_eq!(a.flow_removed_mask, [0, 0x200]);
        assert_eq!(
            a.packet_in(AsyncRole::MasterOrEqual),
            PacketInMask::NO_MATCH | PacketInMask::ACTION
        );
        assert_eq!(reason_bit(3), 8);
        assert_eq!(reason_bit(32), 0);
        assert_eq!(
            a.to_string(),
            "primary: packet_in=no_match,action port_status=(off) flow_removed=(off); \
             secondary: packet_in=(off) port_status=add,delete,modify flow_removed=0x200"
        );
    }

    #[test]
    fn negative_lengths() {
        let good = AsyncConfig::default().to_vec().unwrap();
        assert_eq!(good.len(), 24);
        for n in 0..good.len() {
            let e = parse_bytes(&good[..n], AsyncConfig::parse).unwrap_err();
            assert!(matches!(e, Error::Truncated { .. }), "{n}: {e}");
        }
        let mut long = good;
        long.push(0);
        assert!(matches!(
            parse_bytes(&long, AsyncConfig::parse),
            Err(Error::TrailingBytes { offset: 32, .. })
        ));
    }

    #[test]
    fn ovs_decodes_what_we_encode() {
        let mut a = AsyncConfig::default();
        a.set_packet_in(AsyncRole::MasterOrEqual, PacketInMask::ALL)
            .set_packet_in(AsyncRole::Slave, PacketInMask::ACTION)
            .set_port_status(AsyncRole::MasterOrEqual, PortStatusMask::MODIFY)
            .set_flow_removed(AsyncRole::MasterOrEqual, FlowRemovedMask::GROUP_DELETE)
            .set_flow_removed(AsyncRole::Slave, FlowRemovedMask::DELETE);
        for ty in [MsgType::SET_ASYNC, MsgType::GET_ASYNC_REPLY] {
            let Some(s) = ofp_print(&message(ty, &a)) else {
                return;
            };
            let s: alloc::string::String = s
                .split_whitespace()
                .collect::<alloc::vec::Vec<_>>()
                .join(" ");
            assert!(s.contains(&ty.to_string()), "{s}");
            assert!(
                s.contains(
                    "primary: PACKET_IN: no_match action invalid_ttl PORT_STATUS: modify \
                     FLOW_REMOVED: group_delete"
                ),
                "{s}"
            );
            assert!(
                s.contains("secondary: PACKET_IN: action PORT_STATUS: (off) FLOW_REMOVED: delete"),
                "{s}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_bytes(b in proptest::collection::vec(any::<u8>(), 20..28)) {
            if let Ok(a) = parse_bytes(&b, AsyncConfig::parse) {
                prop_assert_eq!(a.to_vec().unwrap(), b);
            }
        }

        #[test]
        fn owned(p: [u32; 2], s: [u32; 2], fr: [u32; 2]) {
            let a = AsyncConfig { packet_in_mask: p, port_status_mask: s, flow_removed_mask: fr };
            let b = a.to_vec().unwrap();
            prop_assert_eq!(parse_bytes(&b, AsyncConfig::parse).unwrap(), a);
            let _ = a.to_string();
        }
    }
}
