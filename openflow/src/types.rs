//! Numbers with reserved values that many messages share: ports, buffers, tables, groups,
//! meters. All are open newtypes: any value parses, the constants name the reserved ones.

use core::fmt;

/// A port number (`ofp_port_no`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct PortNo(pub u32);

impl PortNo {
    /// OFPP_MAX: the largest physical or logical port number.
    pub const MAX: PortNo = PortNo(0xffff_ff00);
    /// OFPP_IN_PORT: send the packet out the port it came in on.
    pub const IN_PORT: PortNo = PortNo(0xffff_fff8);
    /// OFPP_TABLE: submit the packet to the first flow table (packet-out only).
    pub const TABLE: PortNo = PortNo(0xffff_fff9);
    /// OFPP_NORMAL: forward with the switch's non-OpenFlow pipeline.
    pub const NORMAL: PortNo = PortNo(0xffff_fffa);
    /// OFPP_FLOOD: flood along the non-OpenFlow pipeline's spanning tree.
    pub const FLOOD: PortNo = PortNo(0xffff_fffb);
    /// OFPP_ALL: all standard ports but the input port.
    pub const ALL: PortNo = PortNo(0xffff_fffc);
    /// OFPP_CONTROLLER: send to the controller.
    pub const CONTROLLER: PortNo = PortNo(0xffff_fffd);
    /// OFPP_LOCAL: the switch's local networking stack.
    pub const LOCAL: PortNo = PortNo(0xffff_fffe);
    /// OFPP_ANY: no port (wildcard in requests and output of flow mods).
    pub const ANY: PortNo = PortNo(0xffff_ffff);

    /// The reserved name (`"CONTROLLER"`), if the number is a reserved port.
    pub const fn reserved_name(self) -> Option<&'static str> {
        Some(match self.0 {
            0xffff_fff8 => "IN_PORT",
            0xffff_fff9 => "TABLE",
            0xffff_fffa => "NORMAL",
            0xffff_fffb => "FLOOD",
            0xffff_fffc => "ALL",
            0xffff_fffd => "CONTROLLER",
            0xffff_fffe => "LOCAL",
            0xffff_ffff => "ANY",
            _ => return None,
        })
    }
}

impl fmt::Display for PortNo {
    /// As ovs-ofctl prints it: a number, or the reserved name (`CONTROLLER`, `LOCAL`, ...).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reserved_name() {
            Some(n) => f.write_str(n),
            None => self.0.fmt(f),
        }
    }
}

impl fmt::Debug for PortNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PortNo({self})")
    }
}

impl From<u32> for PortNo {
    fn from(v: u32) -> Self {
        PortNo(v)
    }
}

/// A switch buffer id; [`BufferId::NO_BUFFER`] means the packet is not buffered.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct BufferId(pub u32);

impl BufferId {
    /// OFP_NO_BUFFER.
    pub const NO_BUFFER: BufferId = BufferId(0xffff_ffff);
}

/// OFPCML_MAX: the largest `max_len` that asks the switch to buffer the packet.
pub const OFPCML_MAX: u16 = 0xffe5;
/// OFPCML_NO_BUFFER: send the whole packet to the controller, unbuffered.
pub const OFPCML_NO_BUFFER: u16 = 0xffff;

/// A flow table id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct TableId(pub u8);

impl TableId {
    /// OFPTT_MAX: the last usable table number.
    pub const MAX: TableId = TableId(0xfe);
    /// OFPTT_ALL: wildcard table (flow mod delete, stats requests).
    pub const ALL: TableId = TableId(0xff);
}

/// A group id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct GroupId(pub u32);

impl GroupId {
    /// OFPG_MAX: the last usable group number.
    pub const MAX: GroupId = GroupId(0xffff_ff00);
    /// OFPG_ALL: all groups (group delete, stats requests).
    pub const ALL: GroupId = GroupId(0xffff_fffc);
    /// OFPG_ANY: no group (wildcard).
    pub const ANY: GroupId = GroupId(0xffff_ffff);
}

/// A meter id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct MeterId(pub u32);

impl MeterId {
    /// OFPM_MAX: the last usable meter number.
    pub const MAX: MeterId = MeterId(0xffff_0000);
    /// OFPM_SLOWPATH: the meter for the slow datapath.
    pub const SLOWPATH: MeterId = MeterId(0xffff_fffd);
    /// OFPM_CONTROLLER: the meter for packets sent to the controller.
    pub const CONTROLLER: MeterId = MeterId(0xffff_fffe);
    /// OFPM_ALL: all meters (stats requests, delete).
    pub const ALL: MeterId = MeterId(0xffff_ffff);
}

impl From<u32> for GroupId {
    fn from(v: u32) -> Self {
        GroupId(v)
    }
}

impl From<u32> for MeterId {
    fn from(v: u32) -> Self {
        MeterId(v)
    }
}

impl From<u8> for TableId {
    fn from(v: u8) -> Self {
        TableId(v)
    }
}

impl From<u32> for BufferId {
    fn from(v: u32) -> Self {
        BufferId(v)
    }
}

impl fmt::Display for BufferId {
    /// In hex, as ovs-ofctl prints `buffer=0x...`; `NO_BUFFER` for OFP_NO_BUFFER.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            BufferId::NO_BUFFER => f.write_str("NO_BUFFER"),
            BufferId(b) => write!(f, "{b:#x}"),
        }
    }
}

impl fmt::Display for TableId {
    /// The number, `ALL` for OFPTT_ALL.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TableId::ALL => f.write_str("ALL"),
            TableId(t) => t.fmt(f),
        }
    }
}

impl fmt::Display for GroupId {
    /// The number, `ALL` and `ANY` for the reserved ids (ovs-ofctl's `group_id=`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            GroupId::ALL => f.write_str("ALL"),
            GroupId::ANY => f.write_str("ANY"),
            GroupId(g) => g.fmt(f),
        }
    }
}

impl fmt::Display for MeterId {
    /// The number, `all`, `slowpath` and `controller` for the reserved ids (ovs-ofctl's
    /// `meter=`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            MeterId::ALL => f.write_str("all"),
            MeterId::SLOWPATH => f.write_str("slowpath"),
            MeterId::CONTROLLER => f.write_str("controller"),
            MeterId(m) => m.fmt(f),
        }
    }
}

/// Declares an open enumeration newtype (`Foo(pub uN)`, etherparse's idiom): named constants,
/// `name()` (the spec's name without its prefix), `Display` as the spec's name
/// (`OFPFC_ADD`, `OFPFC_UNKNOWN(9)` for a value without a name), `Debug` as
/// `FlowModCommand(OFPFC_ADD)`, and serde as the number.
///
/// `unknown "{:#06x}"` after the prefix sets how a value without a name prints inside
/// `PREFIX_UNKNOWN(..)` (`{}` by default). An optional `ofctl_name { value => "name", ... }`
/// table after the constants gives `ofctl_name()`: the word ovs-ofctl prints for a value
/// (which may name values the constants do not), documented by the attributes before it.
macro_rules! open_enum {
    (@fmt $name:ident, $prefix:literal) => {
        $crate::types::spec_name_fmt!($name, $prefix, "{}");
    };
    (@fmt $name:ident, $prefix:literal, $unknown:literal) => {
        $crate::types::spec_name_fmt!($name, $prefix, $unknown);
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident($ty:ty) as $prefix:literal $(, unknown $unknown:literal)? {
            $( $(#[$cmeta:meta])* $konst:ident = $val:literal, )*
        }
        $(#[$ometa:meta])*
        ofctl_name {
            $( $oval:literal => $oname:literal, )*
        }
    ) => {
        $crate::types::open_enum! {
            $(#[$meta])*
            pub struct $name($ty) as $prefix $(, unknown $unknown)? {
                $( $(#[$cmeta])* $konst = $val, )*
            }
        }

        impl $name {
            $(#[$ometa])*
            pub const fn ofctl_name(self) -> Option<&'static str> {
                match self.0 {
                    $( $oval => Some($oname), )*
                    _ => None,
                }
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident($ty:ty) as $prefix:literal $(, unknown $unknown:literal)? {
            $( $(#[$cmeta:meta])* $konst:ident = $val:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[cfg_attr(
            feature = "serde",
            derive(serde::Serialize, serde::Deserialize),
            serde(transparent)
        )]
        pub struct $name(pub $ty);

        impl $name {
            $( $(#[$cmeta])* pub const $konst: $name = $name($val); )*

            #[doc = concat!("The spec's name without the `", $prefix, "` prefix, if known.")]
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $val => Some(stringify!($konst)), )*
                    _ => None,
                }
            }
        }

        $crate::types::open_enum!(@fmt $name, $prefix $(, $unknown)?);
    };
}
pub(crate) use open_enum;

/// `Display` for an open newtype with a `name()`: the spec's name with its prefix
/// (`OFPAT_OUTPUT`), `PREFIX_UNKNOWN(value)` in the `unknown` format otherwise; `Debug` as
/// `Type(Display)`.
macro_rules! spec_name_fmt {
    ($name:ident, $prefix:literal, $unknown:literal) => {
        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(n) => write!(f, concat!($prefix, "{}"), n),
                    None => write!(f, concat!($prefix, "UNKNOWN(", $unknown, ")"), self.0),
                }
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self)
            }
        }
    };
}
pub(crate) use spec_name_fmt;
