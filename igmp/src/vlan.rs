//! The VLAN a snooper instance runs in: an 802.1Q VLAN id or the untagged VLAN.

use core::fmt;

/// A VLAN: an 802.1Q VLAN id (0 to 4095) or [`VlanId::UNTAGGED`].
///
/// VLANs order by id, the untagged VLAN last. `Display` prints the id, or `untagged`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "Option<u16>", into = "Option<u16>")
)]
pub struct VlanId(u16);

impl VlanId {
    /// Untagged traffic.
    pub const UNTAGGED: VlanId = VlanId(4096);

    /// VLAN `vid`, or `None` above 4095.
    pub const fn new(vid: u16) -> Option<VlanId> {
        if vid < 4096 {
            Some(VlanId(vid))
        } else {
            None
        }
    }

    /// The 802.1Q VLAN id, `None` for the untagged VLAN.
    pub const fn vid(self) -> Option<u16> {
        if self.0 < 4096 {
            Some(self.0)
        } else {
            None
        }
    }

    /// Whether this is an 802.1Q VLAN (not [`VlanId::UNTAGGED`]).
    pub const fn is_tagged(self) -> bool {
        self.0 < 4096
    }

    /// `vid & 0x0fff` (the 12 bits of an 802.1Q tag).
    pub(crate) const fn from_tag(vid: u16) -> VlanId {
        VlanId(vid & 0x0fff)
    }

    /// 0..=4096: the untagged VLAN is 4096.
    pub(crate) const fn code(self) -> u32 {
        self.0 as u32
    }

    pub(crate) fn from_code(code: u32) -> VlanId {
        u16::try_from(code)
            .ok()
            .and_then(VlanId::new)
            .unwrap_or(VlanId::UNTAGGED)
    }
}

impl Default for VlanId {
    /// [`VlanId::UNTAGGED`].
    fn default() -> Self {
        VlanId::UNTAGGED
    }
}

impl From<VlanId> for Option<u16> {
    fn from(v: VlanId) -> Option<u16> {
        v.vid()
    }
}

impl TryFrom<Option<u16>> for VlanId {
    type Error = &'static str;
    /// `None`: untagged; `Some(vid)`: an 802.1Q VLAN (refused above 4095).
    fn try_from(v: Option<u16>) -> Result<VlanId, &'static str> {
        match v {
            None => Ok(VlanId::UNTAGGED),
            Some(vid) => VlanId::new(vid).ok_or("VLAN id above 4095"),
        }
    }
}

impl fmt::Display for VlanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.vid() {
            Some(v) => fmt::Display::fmt(&v, f),
            None => f.pad("untagged"),
        }
    }
}
