//! OFPT_ERROR: every error type and code of OpenFlow 1.3.5 by name, and the experimenter
//! error.
//!
//! An error is a type ([`ErrorType`]), a code whose meaning depends on the type (one open
//! newtype per type: [`BadActionCode`], [`FlowModFailedCode`], ...), and data: for most types
//! at least the first 64 bytes of the request that failed, for HELLO_FAILED an ASCII
//! explanation. An experimenter error (type 0xffff, `ofp_error_experimenter_msg`) has an
//! experimenter-defined code and an experimenter id before its data; Open vSwitch's
//! (under Nicira's and the ONF's ids) decode to named codes through
//! [`ErrorMsg::vendor_error`] ([`VendorError`], [`NxErrorCode`], [`OnfErrorCode`]).
//!
//! ```
//! use sdnwire_openflow::error_message::{BadActionCode, ErrorMsg};
//! let e = ErrorMsg::new(BadActionCode::BAD_OUT_PORT, Vec::new());
//! assert_eq!(e.name().to_string(), "OFPET_BAD_ACTION/OFPBAC_BAD_OUT_PORT");
//! ```

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;

use crate::codec::{MessageBody, Reader, WireWrite};
use crate::codec_error::{Error, Result};
use crate::header::{Header, MsgType, HEADER_LEN, OFP_VERSION};

/// How many bytes of a failed request an error carries (spec: at least 64, or the whole
/// request when shorter).
pub const ERROR_DATA_LEN: usize = 64;

crate::types::open_enum! {
    /// An error type (`ofp_error_type`, OFPET_*). Open: any value parses.
    pub struct ErrorType(u16) as "OFPET_" {
        /// OFPET_HELLO_FAILED: the hello protocol failed ([`HelloFailedCode`]).
        HELLO_FAILED = 0,
        /// OFPET_BAD_REQUEST: the request was not understood ([`BadRequestCode`]).
        BAD_REQUEST = 1,
        /// OFPET_BAD_ACTION: error in an action ([`BadActionCode`]).
        BAD_ACTION = 2,
        /// OFPET_BAD_INSTRUCTION: error in an instruction list ([`BadInstructionCode`]).
        BAD_INSTRUCTION = 3,
        /// OFPET_BAD_MATCH: error in a match ([`BadMatchCode`]).
        BAD_MATCH = 4,
        /// OFPET_FLOW_MOD_FAILED: problem modifying a flow entry ([`FlowModFailedCode`]).
        FLOW_MOD_FAILED = 5,
        /// OFPET_GROUP_MOD_FAILED: problem modifying a group entry ([`GroupModFailedCode`]).
        GROUP_MOD_FAILED = 6,
        /// OFPET_PORT_MOD_FAILED: a PORT_MOD failed ([`PortModFailedCode`]).
        PORT_MOD_FAILED = 7,
        /// OFPET_TABLE_MOD_FAILED: a TABLE_MOD failed ([`TableModFailedCode`]).
        TABLE_MOD_FAILED = 8,
        /// OFPET_QUEUE_OP_FAILED: a queue operation failed ([`QueueOpFailedCode`]).
        QUEUE_OP_FAILED = 9,
        /// OFPET_SWITCH_CONFIG_FAILED: a switch config request failed
        /// ([`SwitchConfigFailedCode`]).
        SWITCH_CONFIG_FAILED = 10,
        /// OFPET_ROLE_REQUEST_FAILED: a role request failed ([`RoleRequestFailedCode`]).
        ROLE_REQUEST_FAILED = 11,
        /// OFPET_METER_MOD_FAILED: error in a meter ([`MeterModFailedCode`]).
        METER_MOD_FAILED = 12,
        /// OFPET_TABLE_FEATURES_FAILED: setting table features failed
        /// ([`TableFeaturesFailedCode`]).
        TABLE_FEATURES_FAILED = 13,
        /// OFPET_EXPERIMENTER: an experimenter error (`ofp_error_experimenter_msg`).
        EXPERIMENTER = 0xffff,
    }
}

impl ErrorType {
    /// The full name of `code` under this type (`OFPBAC_BAD_OUT_PORT`), if both are known.
    pub fn code_name(self, code: u16) -> Option<&'static str> {
        match self.0 {
            0 => HelloFailedCode(code).name(),
            1 => BadRequestCode(code).name(),
            2 => BadActionCode(code).name(),
            3 => BadInstructionCode(code).name(),
            4 => BadMatchCode(code).name(),
            5 => FlowModFailedCode(code).name(),
            6 => GroupModFailedCode(code).name(),
            7 => PortModFailedCode(code).name(),
            8 => TableModFailedCode(code).name(),
            9 => QueueOpFailedCode(code).name(),
            10 => SwitchConfigFailedCode(code).name(),
            11 => RoleRequestFailedCode(code).name(),
            12 => MeterModFailedCode(code).name(),
            13 => TableFeaturesFailedCode(code).name(),
            _ => None,
        }
    }
}

// `OFPET_BAD_ACTION`, or `OFPET_UNKNOWN(20)`.

/// An error code of a known error type: lets [`ErrorMsg::new`] take the code alone
/// (`BadActionCode::BAD_OUT_PORT`) and fill in the type.
pub trait ErrorCode: Copy {
    /// The error type the code belongs to.
    const TYPE: ErrorType;
    /// The code number.
    fn code(self) -> u16;
}

macro_rules! error_codes {
    (
        $(#[$meta:meta])*
        $name:ident: $ty:ident, $prefix:literal {
            $( $(#[$cmeta:meta])* $code:ident = $v:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub u16);

        impl $name {
            $( $(#[$cmeta])* pub const $code: $name = $name($v); )*

            /// The spec's full name (`OFPBAC_BAD_OUT_PORT`), if the code is known.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $v => Some(concat!($prefix, stringify!($code))), )*
                    _ => None,
                }
            }
        }

        impl ErrorCode for $name {
            const TYPE: ErrorType = ErrorType::$ty;
            fn code(self) -> u16 {
                self.0
            }
        }

        impl fmt::Display for $name {
            /// The spec's name, or the error type's code prefix and the number
            /// (`OFPBAC_99`).
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, concat!($prefix, "{}"), self.0),
                }
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self)
            }
        }

        impl From<$name> for ErrorMsg {
            /// An error with this code and no data.
            fn from(c: $name) -> ErrorMsg {
                ErrorMsg::new(c, Vec::new())
            }
        }
    };
}

error_codes! {
    /// OFPET_HELLO_FAILED codes (`ofp_hello_failed_code`).
    HelloFailedCode: HELLO_FAILED, "OFPHFC_" {
        /// No compatible version.
        INCOMPATIBLE = 0,
        /// Permissions error.
        EPERM = 1,
    }
}

error_codes! {
    /// OFPET_BAD_REQUEST codes (`ofp_bad_request_code`).
    BadRequestCode: BAD_REQUEST, "OFPBRC_" {
        /// `ofp_header.version` not supported.
        BAD_VERSION = 0,
        /// `ofp_header.type` not supported.
        BAD_TYPE = 1,
        /// `ofp_multipart_request.type` not supported.
        BAD_MULTIPART = 2,
        /// Experimenter id not supported.
        BAD_EXPERIMENTER = 3,
        /// Experimenter type not supported.
        BAD_EXP_TYPE = 4,
        /// Permissions error.
        EPERM = 5,
        /// Wrong request length for the type.
        BAD_LEN = 6,
        /// The buffer has already been used.
        BUFFER_EMPTY = 7,
        /// The buffer does not exist.
        BUFFER_UNKNOWN = 8,
        /// The table id is invalid or does not exist.
        BAD_TABLE_ID = 9,
        /// Denied because the controller is slave.
        IS_SLAVE = 10,
        /// Invalid port.
        BAD_PORT = 11,
        /// Invalid packet in a packet-out.
        BAD_PACKET = 12,
        /// A multipart request overflowed the assigned buffer.
        MULTIPART_BUFFER_OVERFLOW = 13,
    }
}

error_codes! {
    /// OFPET_BAD_ACTION codes (`ofp_bad_action_code`).
    BadActionCode: BAD_ACTION, "OFPBAC_" {
        /// Unknown action type.
        BAD_TYPE = 0,
        /// Length problem in actions.
        BAD_LEN = 1,
        /// Unknown experimenter id.
        BAD_EXPERIMENTER = 2,
        /// Unknown action type for the experimenter id.
        BAD_EXP_TYPE = 3,
        /// Problem validating an output port.
        BAD_OUT_PORT = 4,
        /// Bad action argument.
        BAD_ARGUMENT = 5,
        /// Permissions error.
        EPERM = 6,
        /// Cannot handle this many actions.
        TOO_MANY = 7,
        /// Problem validating an output queue.
        BAD_QUEUE = 8,
        /// Invalid group id in a group action.
        BAD_OUT_GROUP = 9,
        /// The action cannot apply to this match, or a set-field lacks its prerequisite.
        MATCH_INCONSISTENT = 10,
        /// The action order is unsupported for an apply-actions instruction.
        UNSUPPORTED_ORDER = 11,
        /// The action uses an unsupported tag or encapsulation.
        BAD_TAG = 12,
        /// Unsupported field type in a set-field action.
        BAD_SET_TYPE = 13,
        /// Length problem in a set-field action.
        BAD_SET_LEN = 14,
        /// Bad argument in a set-field action.
        BAD_SET_ARGUMENT = 15,
    }
}

error_codes! {
    /// OFPET_BAD_INSTRUCTION codes (`ofp_bad_instruction_code`).
    BadInstructionCode: BAD_INSTRUCTION, "OFPBIC_" {
        /// Unknown instruction.
        UNKNOWN_INST = 0,
        /// The switch or table does not support the instruction.
        UNSUP_INST = 1,
        /// Invalid table id.
        BAD_TABLE_ID = 2,
        /// Metadata value unsupported by the datapath.
        UNSUP_METADATA = 3,
        /// Metadata mask unsupported by the datapath.
        UNSUP_METADATA_MASK = 4,
        /// Unknown experimenter id.
        BAD_EXPERIMENTER = 5,
        /// Unknown instruction for the experimenter id.
        BAD_EXP_TYPE = 6,
        /// Length problem in instructions.
        BAD_LEN = 7,
        /// Permissions error.
        EPERM = 8,
    }
}

error_codes! {
    /// OFPET_BAD_MATCH codes (`ofp_bad_match_code`).
    BadMatchCode: BAD_MATCH, "OFPBMC_" {
        /// Unsupported match type.
        BAD_TYPE = 0,
        /// Length problem in the match.
        BAD_LEN = 1,
        /// The match uses an unsupported tag or encapsulation.
        BAD_TAG = 2,
        /// Unsupported datalink address mask.
        BAD_DL_ADDR_MASK = 3,
        /// Unsupported network address mask.
        BAD_NW_ADDR_MASK = 4,
        /// Unsupported combination of fields masked or omitted.
        BAD_WILDCARDS = 5,
        /// Unsupported field type.
        BAD_FIELD = 6,
        /// Unsupported value in a field.
        BAD_VALUE = 7,
        /// Unsupported mask.
        BAD_MASK = 8,
        /// A prerequisite was not met.
        BAD_PREREQ = 9,
        /// A field type was duplicated.
        DUP_FIELD = 10,
        /// Permissions error.
        EPERM = 11,
    }
}

error_codes! {
    /// OFPET_FLOW_MOD_FAILED codes (`ofp_flow_mod_failed_code`).
    FlowModFailedCode: FLOW_MOD_FAILED, "OFPFMFC_" {
        /// Unspecified error.
        UNKNOWN = 0,
        /// The table is full.
        TABLE_FULL = 1,
        /// The table does not exist.
        BAD_TABLE_ID = 2,
        /// Overlapping flow with CHECK_OVERLAP set.
        OVERLAP = 3,
        /// Permissions error.
        EPERM = 4,
        /// Unsupported idle or hard timeout.
        BAD_TIMEOUT = 5,
        /// Unsupported or unknown command.
        BAD_COMMAND = 6,
        /// Unsupported or unknown flags.
        BAD_FLAGS = 7,
    }
}

error_codes! {
    /// OFPET_GROUP_MOD_FAILED codes (`ofp_group_mod_failed_code`).
    GroupModFailedCode: GROUP_MOD_FAILED, "OFPGMFC_" {
        /// A group ADD tried to replace an existing group.
        GROUP_EXISTS = 0,
        /// The group id is invalid.
        INVALID_GROUP = 1,
        /// Unequal load sharing in select groups is unsupported.
        WEIGHT_UNSUPPORTED = 2,
        /// The group table is full.
        OUT_OF_GROUPS = 3,
        /// Too many buckets for a group.
        OUT_OF_BUCKETS = 4,
        /// Groups that forward to groups are unsupported.
        CHAINING_UNSUPPORTED = 5,
        /// The group cannot watch the given port or group.
        WATCH_UNSUPPORTED = 6,
        /// The group would cause a loop.
        LOOP = 7,
        /// A group MODIFY for a group that does not exist.
        UNKNOWN_GROUP = 8,
        /// Not deleted: another group forwards to it.
        CHAINED_GROUP = 9,
        /// Unsupported or unknown group type.
        BAD_TYPE = 10,
        /// Unsupported or unknown command.
        BAD_COMMAND = 11,
        /// Error in a bucket.
        BAD_BUCKET = 12,
        /// Error in a watch port or group.
        BAD_WATCH = 13,
        /// Permissions error.
        EPERM = 14,
    }
}

error_codes! {
    /// OFPET_PORT_MOD_FAILED codes (`ofp_port_mod_failed_code`).
    PortModFailedCode: PORT_MOD_FAILED, "OFPPMFC_" {
        /// The port does not exist.
        BAD_PORT = 0,
        /// The hardware address does not match the port.
        BAD_HW_ADDR = 1,
        /// Invalid config.
        BAD_CONFIG = 2,
        /// Invalid advertise.
        BAD_ADVERTISE = 3,
        /// Permissions error.
        EPERM = 4,
    }
}

error_codes! {
    /// OFPET_TABLE_MOD_FAILED codes (`ofp_table_mod_failed_code`).
    TableModFailedCode: TABLE_MOD_FAILED, "OFPTMFC_" {
        /// The table does not exist.
        BAD_TABLE = 0,
        /// Invalid config.
        BAD_CONFIG = 1,
        /// Permissions error.
        EPERM = 2,
    }
}

error_codes! {
    /// OFPET_QUEUE_OP_FAILED codes (`ofp_queue_op_failed_code`).
    QueueOpFailedCode: QUEUE_OP_FAILED, "OFPQOFC_" {
        /// Invalid port, or the port does not exist.
        BAD_PORT = 0,
        /// The queue does not exist.
        BAD_QUEUE = 1,
        /// Permissions error.
        EPERM = 2,
    }
}

error_codes! {
    /// OFPET_SWITCH_CONFIG_FAILED codes (`ofp_switch_config_failed_code`).
    SwitchConfigFailedCode: SWITCH_CONFIG_FAILED, "OFPSCFC_" {
        /// Invalid flags.
        BAD_FLAGS = 0,
        /// Invalid miss_send_len.
        BAD_LEN = 1,
        /// Permissions error.
        EPERM = 2,
    }
}

error_codes! {
    /// OFPET_ROLE_REQUEST_FAILED codes (`ofp_role_request_failed_code`).
    RoleRequestFailedCode: ROLE_REQUEST_FAILED, "OFPRRFC_" {
        /// Stale message: old generation id.
        STALE = 0,
        /// Role change unsupported.
        UNSUP = 1,
        /// Invalid role.
        BAD_ROLE = 2,
    }
}

error_codes! {
    /// OFPET_METER_MOD_FAILED codes (`ofp_meter_mod_failed_code`).
    MeterModFailedCode: METER_MOD_FAILED, "OFPMMFC_" {
        /// Unspecified error.
        UNKNOWN = 0,
        /// A meter ADD tried to replace an existing meter.
        METER_EXISTS = 1,
        /// The meter id is invalid.
        INVALID_METER = 2,
        /// A meter MODIFY for a meter that does not exist.
        UNKNOWN_METER = 3,
        /// Unsupported or unknown command.
        BAD_COMMAND = 4,
        /// Unsupported flags.
        BAD_FLAGS = 5,
        /// Unsupported rate.
        BAD_RATE = 6,
        /// Unsupported burst size.
        BAD_BURST = 7,
        /// Unsupported band.
        BAD_BAND = 8,
        /// Unsupported band value.
        BAD_BAND_VALUE = 9,
        /// No more meters available.
        OUT_OF_METERS = 10,
        /// Too many bands for a meter.
        OUT_OF_BANDS = 11,
    }
}

error_codes! {
    /// OFPET_TABLE_FEATURES_FAILED codes (`ofp_table_features_failed_code`).
    TableFeaturesFailedCode: TABLE_FEATURES_FAILED, "OFPTFFC_" {
        /// The table does not exist.
        BAD_TABLE = 0,
        /// Invalid metadata mask.
        BAD_METADATA = 1,
        /// Unknown property type.
        BAD_TYPE = 2,
        /// Length problem in properties.
        BAD_LEN = 3,
        /// Unsupported property value.
        BAD_ARGUMENT = 4,
        /// Permissions error.
        EPERM = 5,
    }
}

/// Open vSwitch's experimenter id for Nicira extensions (`NX_VENDOR_ID`): the id of its
/// [`NxErrorCode`] errors.
pub const NX_EXPERIMENTER: u32 = 0x0000_2320;
/// The Open Networking Foundation's experimenter id (`ONF_VENDOR_ID`): Open vSwitch sends
/// errors that OpenFlow 1.4 and later define ([`OnfErrorCode`]) under it in OpenFlow 1.3.
pub const ONF_EXPERIMENTER: u32 = 0x4f4e_4600;

macro_rules! experimenter_codes {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$cmeta:meta])* $code:ident = $v:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[cfg_attr(
            feature = "serde",
            derive(serde::Serialize, serde::Deserialize),
            serde(transparent)
        )]
        pub struct $name(pub u16);

        impl $name {
            $( $(#[$cmeta])* pub const $code: $name = $name($v); )*

            /// The name `ovs-ofctl ofp-print` gives the code, if Open vSwitch 3.1 defines it
            /// for OpenFlow 1.3.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $v => Some(stringify!($code)), )*
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            /// The name, or `exp_code=N` for a code Open vSwitch does not define.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, "exp_code={}", self.0),
                }
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self)
            }
        }
    };
}

experimenter_codes! {
    /// The `exp_code` of an OFPET_EXPERIMENTER error with experimenter id
    /// [`NX_EXPERIMENTER`], as Open vSwitch 3.1 sends them in OpenFlow 1.3 (the "NX1.2+"
    /// codes of its `include/openvswitch/ofp-errors.h`). Open: any value parses.
    NxErrorCode {
        /// Invalid NXM or OXM match.
        NXBRC_NXM_INVALID = 2,
        /// Unknown NXM field type (with its mask bit and length).
        NXBRC_NXM_BAD_TYPE = 3,
        /// A must-be-zero field is not zero.
        NXBRC_MUST_BE_ZERO = 4,
        /// Invalid reason in a port status message.
        NXBRC_BAD_REASON = 5,
        /// A flow monitor ADD tried to replace an existing monitor.
        OFPMOFC_MONITOR_EXISTS = 6,
        /// Unsupported flow monitor flags.
        OFPMOFC_BAD_FLAGS = 7,
        /// A flow monitor MODIFY for a monitor that does not exist.
        OFPMOFC_UNKNOWN_MONITOR = 8,
        /// Invalid event in a flow monitor reply.
        NXBRC_FM_BAD_EVENT = 9,
        /// The error cannot be expressed in this OpenFlow version.
        NXBRC_UNENCODABLE_ERROR = 10,
        /// A must-be-zero action argument is not zero.
        NXBAC_MUST_BE_ZERO = 11,
        /// Generic hardware error.
        NXFMFC_HARDWARE = 12,
        /// A flow mod names a table that does not exist.
        NXFMFC_BAD_TABLE_ID = 13,
        /// Bad conjunction action (not the only action, or a bad clause count).
        NXBAC_BAD_CONJUNCTION = 15,
        /// Unsupported TLV table mod command.
        NXTTMFC_BAD_COMMAND = 16,
        /// Invalid option length in a TLV table mod.
        NXTTMFC_BAD_OPT_LEN = 17,
        /// Tunnel metadata field index out of range.
        NXTTMFC_BAD_FIELD_IDX = 18,
        /// The TLV options exceed what the switch supports.
        NXTTMFC_TABLE_FULL = 19,
        /// The tunnel metadata field index is already mapped.
        NXTTMFC_ALREADY_MAPPED = 20,
        /// The option is already mapped to another field.
        NXTTMFC_DUP_ENTRY = 21,
        /// The datapath does not support this operation.
        NXR_NOT_SUPPORTED = 34,
        /// Stale continuation (the switch restarted or the bridge went away).
        NXR_STALE = 35,
        /// The protocol is not configured on this bridge.
        NXST_NOT_CONFIGURED = 36,
        /// A flow uses a tunnel metadata field that is not mapped.
        NXFMFC_INVALID_TLV_FIELD = 37,
        /// The TLV mapping to delete is in use by a flow.
        NXTTMFC_INVALID_TLV_DEL = 38,
        /// Unsupported packet type in an encap or decap action.
        NXBAC_BAD_HEADER_TYPE = 39,
        /// Unknown encap or decap property.
        NXBAC_UNKNOWN_ED_PROP = 40,
        /// Bad encap or decap property.
        NXBAC_BAD_ED_PROP = 41,
        /// The action needs connection tracking the datapath lacks.
        NXBAC_CT_DATAPATH_SUPPORT = 42,
        /// The match needs connection tracking the datapath lacks.
        NXBMC_CT_DATAPATH_SUPPORT = 43,
        /// A table appears more than once.
        NXTFFC_DUP_TABLE = 44,
    }
}

experimenter_codes! {
    /// The `exp_code` of an OFPET_EXPERIMENTER error with experimenter id
    /// [`ONF_EXPERIMENTER`], as Open vSwitch 3.1 sends them in OpenFlow 1.3 (errors that
    /// OpenFlow 1.4 and later define, and ONF extensions to 1.3). Open: any value parses.
    OnfErrorCode {
        /// Unspecified bundle error.
        OFPBFC_UNKNOWN = 2300,
        /// Bundle permissions error.
        OFPBFC_EPERM = 2301,
        /// The bundle id does not exist.
        OFPBFC_BAD_ID = 2302,
        /// The bundle id already exists.
        OFPBFC_BUNDLE_EXIST = 2303,
        /// The bundle is closed.
        OFPBFC_BUNDLE_CLOSED = 2304,
        /// Too many bundles.
        OFPBFC_OUT_OF_BUNDLES = 2305,
        /// Unsupported or unknown bundle control type.
        OFPBFC_BAD_TYPE = 2306,
        /// Unsupported, unknown or inconsistent bundle flags.
        OFPBFC_BAD_FLAGS = 2307,
        /// Length problem in a bundled message.
        OFPBFC_MSG_BAD_LEN = 2308,
        /// Inconsistent or duplicate xid in a bundle.
        OFPBFC_MSG_BAD_XID = 2309,
        /// Unsupported message in this bundle.
        OFPBFC_MSG_UNSUP = 2310,
        /// Unsupported combination of messages in this bundle.
        OFPBFC_MSG_CONFLICT = 2311,
        /// Too many messages in the bundle.
        OFPBFC_MSG_TOO_MANY = 2312,
        /// A message of the bundle failed.
        OFPBFC_MSG_FAILED = 2313,
        /// The bundle took too long.
        OFPBFC_TIMEOUT = 2314,
        /// A bundle holds the resource.
        OFPBFC_BUNDLE_IN_PROGRESS = 2315,
        /// Unsupported flow priority.
        OFPFMFC_BAD_PRIORITY = 2360,
        /// Invalid async configuration.
        OFPACFC_INVALID = 2370,
        /// Unsupported async configuration.
        OFPACFC_UNSUPPORTED = 2371,
        /// Async configuration permissions error.
        OFPACFC_EPERM = 2372,
        /// An instruction appears twice.
        OFPBIC_DUP_INST = 2600,
        /// Timeout during a multipart request.
        OFPBRC_MULTIPART_REQUEST_TIMEOUT = 2640,
        /// Timeout during a multipart reply.
        OFPBRC_MULTIPART_REPLY_TIMEOUT = 2641,
        /// A set-field action carries a mask.
        OFPBAC_BAD_SET_MASK = 4250,
        /// Too many properties.
        OFPBPC_TOO_MANY = 4443,
        /// A property type appears twice.
        OFPBPC_DUP_TYPE = 4444,
        /// Unknown property experimenter id.
        OFPBPC_BAD_EXPERIMENTER = 4445,
        /// Unknown property exp_type for the experimenter id.
        OFPBPC_BAD_EXP_TYPE = 4446,
        /// Unknown property value for the experimenter id.
        OFPBPC_BAD_EXP_VALUE = 4447,
        /// Property permissions error.
        OFPBPC_EPERM = 4448,
    }
}

/// An OFPET_EXPERIMENTER error by experimenter ([`ErrorMsg::vendor_error`]).
///
/// `Display` gives the name `ovs-ofctl ofp-print` prints (`NXBAC_BAD_CONJUNCTION`,
/// `OFPBIC_DUP_INST`), or `experimenter=0x2320 exp_code=99` for a code it does not define.
/// [`ErrorMsg`] keeps the experimenter id and code as numbers, so an unknown one re-encodes
/// to its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VendorError {
    /// Experimenter id [`NX_EXPERIMENTER`].
    Nicira(NxErrorCode),
    /// Experimenter id [`ONF_EXPERIMENTER`].
    Onf(OnfErrorCode),
    /// Another experimenter.
    Other {
        /// The experimenter id.
        experimenter: u32,
        /// The experimenter-defined code.
        code: u16,
    },
}

impl VendorError {
    /// The error for experimenter id `experimenter` and code `code`.
    pub fn new(experimenter: u32, code: u16) -> VendorError {
        match experimenter {
            NX_EXPERIMENTER => VendorError::Nicira(NxErrorCode(code)),
            ONF_EXPERIMENTER => VendorError::Onf(OnfErrorCode(code)),
            _ => VendorError::Other { experimenter, code },
        }
    }

    /// The experimenter id.
    pub fn experimenter(self) -> u32 {
        match self {
            VendorError::Nicira(_) => NX_EXPERIMENTER,
            VendorError::Onf(_) => ONF_EXPERIMENTER,
            VendorError::Other { experimenter, .. } => experimenter,
        }
    }

    /// The experimenter-defined code.
    pub fn code(self) -> u16 {
        match self {
            VendorError::Nicira(c) => c.0,
            VendorError::Onf(c) => c.0,
            VendorError::Other { code, .. } => code,
        }
    }

    /// The `ovs-ofctl` name, when Open vSwitch defines the code.
    pub fn name(self) -> Option<&'static str> {
        match self {
            VendorError::Nicira(c) => c.name(),
            VendorError::Onf(c) => c.name(),
            VendorError::Other { .. } => None,
        }
    }
}

impl fmt::Display for VendorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(
                f,
                "experimenter={:#x} exp_code={}",
                self.experimenter(),
                self.code()
            ),
        }
    }
}

impl From<VendorError> for ErrorMsg {
    /// An OFPET_EXPERIMENTER error with this id and code, and no data.
    fn from(v: VendorError) -> ErrorMsg {
        ErrorMsg::experimenter(v.code(), v.experimenter(), Vec::new())
    }
}

/// An error's type and code, printed as `OFPET_BAD_ACTION/OFPBAC_BAD_OUT_PORT`
/// ([`ErrorMsg::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorName {
    /// The type.
    pub type_: ErrorType,
    /// The code (the experimenter-defined code for OFPET_EXPERIMENTER).
    pub code: u16,
}

impl fmt::Display for ErrorName {
    /// `OFPET_BAD_ACTION/OFPBAC_BAD_OUT_PORT`; an unknown code as its number
    /// (`OFPET_BAD_ACTION/99`); an experimenter error as `OFPET_EXPERIMENTER/exp_code=60000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/", self.type_)?;
        match self.type_.code_name(self.code) {
            Some(n) => f.write_str(n),
            None if self.type_ == ErrorType::EXPERIMENTER => write!(f, "exp_code={}", self.code),
            None => write!(f, "{}", self.code),
        }
    }
}

/// OFPT_ERROR (`ofp_error_msg`, or `ofp_error_experimenter_msg` for OFPET_EXPERIMENTER).
///
/// `experimenter` is `Some` exactly when `type_` is [`ErrorType::EXPERIMENTER`]; then `code` is
/// the experimenter-defined code (`exp_code`, os-ken's `exp_type`). Parsing guarantees this;
/// encoding refuses a value that breaks it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ErrorMsg {
    /// The error type.
    pub type_: ErrorType,
    /// The code, whose meaning depends on the type.
    pub code: u16,
    /// The experimenter id of an experimenter error.
    pub experimenter: Option<u32>,
    /// The data: the start of the failed request, an explanation for HELLO_FAILED, or
    /// experimenter-defined.
    pub data: Vec<u8>,
}

impl ErrorMsg {
    /// Length of the fixed part (type, code) of a standard error.
    pub const MIN_LEN: usize = 4;
    /// Length of the fixed part (type, exp_code, experimenter) of an experimenter error.
    pub const EXPERIMENTER_MIN_LEN: usize = 8;

    /// An error with `code` (its type is implied) and `data`.
    pub fn new<C: ErrorCode>(code: C, data: impl Into<Vec<u8>>) -> ErrorMsg {
        ErrorMsg {
            type_: C::TYPE,
            code: code.code(),
            experimenter: None,
            data: data.into(),
        }
    }

    /// The error that answers a failed `request` (the whole message, header included): its data
    /// is the first [`ERROR_DATA_LEN`] (64) bytes of the request, or all of it when shorter.
    /// Send it with the request's xid.
    pub fn for_request<C: ErrorCode>(code: C, request: &[u8]) -> ErrorMsg {
        let n = request.len().min(ERROR_DATA_LEN);
        ErrorMsg::new(code, request.get(..n).unwrap_or(request))
    }

    /// OFPET_HELLO_FAILED with `code` and an ASCII explanation (`"we speak OpenFlow 1.3
    /// only"`), to send before closing a connection whose version negotiation failed.
    pub fn hello_failed(code: HelloFailedCode, reason: &str) -> ErrorMsg {
        ErrorMsg::new(code, reason.as_bytes())
    }

    /// An experimenter error.
    pub fn experimenter(exp_code: u16, experimenter: u32, data: impl Into<Vec<u8>>) -> ErrorMsg {
        ErrorMsg {
            type_: ErrorType::EXPERIMENTER,
            code: exp_code,
            experimenter: Some(experimenter),
            data: data.into(),
        }
    }

    /// The experimenter error, by experimenter, when the type is OFPET_EXPERIMENTER
    /// (`VendorError::Nicira(NxErrorCode::NXBAC_BAD_CONJUNCTION)` for Open vSwitch's
    /// `NXBAC_BAD_CONJUNCTION`).
    pub fn vendor_error(&self) -> Option<VendorError> {
        self.as_ref().vendor_error()
    }

    /// The type and code, printed as `OFPET_BAD_ACTION/OFPBAC_BAD_OUT_PORT`.
    pub fn name(&self) -> ErrorName {
        ErrorName {
            type_: self.type_,
            code: self.code,
        }
    }

    /// True when the error is `code` (type and code both match).
    pub fn is<C: ErrorCode>(&self, code: C) -> bool {
        self.type_ == C::TYPE && self.code == code.code() && self.experimenter.is_none()
    }

    /// The header of the failed request the data starts with, when the type is one whose data
    /// is a request (not HELLO_FAILED, not experimenter) and the data holds 8 bytes.
    pub fn failed_request_header(&self) -> Option<Header> {
        if self.type_ == ErrorType::HELLO_FAILED
            || self.experimenter.is_some()
            || self.data.len() < HEADER_LEN
        {
            return None;
        }
        Header::peek(&self.data).ok()
    }

    /// The view of this error, borrowing its data.
    pub fn as_ref(&self) -> ErrorMsgView<'_> {
        ErrorMsgView {
            type_: self.type_,
            code: self.code,
            experimenter: self.experimenter,
            data: &self.data,
        }
    }
}

impl MessageBody for ErrorMsg {
    const TYPE: MsgType = MsgType::ERROR;

    fn parse_body(r: &mut Reader<'_>) -> Result<Self> {
        Ok(ErrorMsgView::parse(r)?.decode())
    }
}

crate::codec::impl_encode!(ErrorMsg);

impl WireWrite for ErrorMsg {
    fn encoded_len(&self) -> usize {
        let fixed = match self.experimenter {
            Some(_) => ErrorMsg::EXPERIMENTER_MIN_LEN,
            None => ErrorMsg::MIN_LEN,
        };
        fixed + self.data.len()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        match (self.type_ == ErrorType::EXPERIMENTER, self.experimenter) {
            (true, Some(exp)) => {
                out.put_u16(self.type_.0);
                out.put_u16(self.code);
                out.put_u32(exp);
            }
            (false, None) => {
                out.put_u16(self.type_.0);
                out.put_u16(self.code);
            }
            (true, None) => {
                return Err(Error::Unencodable {
                    what: "ofp_error_experimenter_msg",
                    reason: "OFPET_EXPERIMENTER needs an experimenter id",
                })
            }
            (false, Some(_)) => {
                return Err(Error::Unencodable {
                    what: "ofp_error_msg",
                    reason: "an experimenter id needs type OFPET_EXPERIMENTER",
                })
            }
        }
        out.put_slice(&self.data);
        Ok(())
    }
}

impl fmt::Display for ErrorMsg {
    /// `OFPT_ERROR OFPET_BAD_ACTION/OFPBAC_BAD_OUT_PORT for OFPT_FLOW_MOD xid=0x7 (64 bytes of
    /// data)` (the failed request's type and xid when the data starts with an OpenFlow 1.3
    /// header); HELLO_FAILED with its explanation in quotes; experimenter errors with their id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_ref().fmt(f)
    }
}

/// A received OFPT_ERROR, borrowing its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorMsgView<'a> {
    /// The error type.
    pub type_: ErrorType,
    /// The code (the experimenter-defined code for OFPET_EXPERIMENTER).
    pub code: u16,
    /// The experimenter id, for OFPET_EXPERIMENTER.
    pub experimenter: Option<u32>,
    /// The data.
    pub data: &'a [u8],
}

impl<'a> ErrorMsgView<'a> {
    /// Parses the body: type and code (and for OFPET_EXPERIMENTER the experimenter id), then
    /// every byte left as data.
    pub fn parse(r: &mut Reader<'a>) -> Result<ErrorMsgView<'a>> {
        let type_ = ErrorType(r.u16("ofp_error_msg.type")?);
        let code = r.u16("ofp_error_msg.code")?;
        let experimenter = if type_ == ErrorType::EXPERIMENTER {
            Some(r.u32("ofp_error_experimenter_msg.experimenter")?)
        } else {
            None
        };
        Ok(ErrorMsgView {
            type_,
            code,
            experimenter,
            data: r.rest(),
        })
    }

    /// The experimenter error, by experimenter (see [`ErrorMsg::vendor_error`]).
    pub fn vendor_error(&self) -> Option<VendorError> {
        self.experimenter.map(|e| VendorError::new(e, self.code))
    }

    /// The owned error.
    pub fn decode(&self) -> ErrorMsg {
        ErrorMsg {
            type_: self.type_,
            code: self.code,
            experimenter: self.experimenter,
            data: self.data.to_vec(),
        }
    }
}

impl fmt::Display for ErrorMsgView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OFPT_ERROR ")?;
        if let Some(exp) = self.experimenter {
            match VendorError::new(exp, self.code).name() {
                // A known one carries the failed request, as a standard error does.
                Some(name) => {
                    write!(f, "{name} (experimenter={exp:#x} exp_code={})", self.code)?;
                    if let Some(h) = (self.data.len() >= HEADER_LEN)
                        .then(|| Header::peek(self.data).ok())
                        .flatten()
                        .filter(|h| h.version == OFP_VERSION)
                    {
                        write!(f, " for {} xid={:#x}", h.msg_type, h.xid)?;
                    }
                }
                None => write!(
                    f,
                    "OFPET_EXPERIMENTER experimenter={exp:#x} exp_code={}",
                    self.code
                )?,
            }
        } else {
            write!(
                f,
                "{}",
                ErrorName {
                    type_: self.type_,
                    code: self.code
                }
            )?;
            if self.type_ == ErrorType::HELLO_FAILED {
                f.write_str(" \"")?;
                for c in self.data.iter().map(|&b| char::from(b)) {
                    write!(f, "{}", c.escape_default())?;
                }
                return f.write_str("\"");
            }
            if let Some(h) = (self.data.len() >= HEADER_LEN)
                .then(|| Header::peek(self.data).ok())
                .flatten()
                .filter(|h| h.version == OFP_VERSION)
            {
                write!(f, " for {} xid={:#x}", h.msg_type, h.xid)?;
            }
        }
        write!(f, " ({} bytes of data)", self.data.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simple::testutil::*;
    use alloc::format;
    use alloc::string::ToString;
    use alloc::vec;
    use proptest::prelude::*;

    #[test]
    fn os_ken_corpus() {
        for name in ["4-15-ofp_error_msg", "libofproto-OFP13-error_msg"] {
            let Some(msg) = corpus(name) else { return };
            let e: ErrorMsg = parse_msg(&msg);
            let Some(json) = corpus_json(name) else {
                return;
            };
            let j = &json["OFPErrorMsg"];
            assert_eq!(u64::from(e.type_.0), j["type"].as_u64().unwrap());
            assert_eq!(u64::from(e.code), j["code"].as_u64().unwrap());
            assert_eq!(e.experimenter, None);
        }
        let Some(msg) = corpus("4-15-ofp_error_msg") else {
            return;
        };
        let e: ErrorMsg = parse_msg(&msg);
        assert_eq!(e.data, b"fugafuga");
        assert!(e.is(BadActionCode::UNSUPPORTED_ORDER));
        assert_eq!(
            e.to_string(),
            "OFPT_ERROR OFPET_BAD_ACTION/OFPBAC_UNSUPPORTED_ORDER (8 bytes of data)"
        );
        let Some(msg) = corpus("libofproto-OFP13-error_msg") else {
            return;
        };
        let e: ErrorMsg = parse_msg(&msg);
        assert!(e.is(BadMatchCode::BAD_FIELD));
        assert_eq!(
            e.failed_request_header().unwrap().msg_type,
            MsgType::FLOW_MOD
        );
        assert_eq!(
            e.to_string(),
            "OFPT_ERROR OFPET_BAD_MATCH/OFPBMC_BAD_FIELD for OFPT_FLOW_MOD xid=0x0 \
             (8 bytes of data)"
        );
    }

    #[test]
    fn os_ken_experimenter_error() {
        let name = "4-41-ofp_error_msg_experimenter";
        let Some(msg) = corpus(name) else { return };
        let e: ErrorMsg = parse_msg(&msg);
        let Some(json) = corpus_json(name) else {
            return;
        };
        let j = &json["OFPErrorMsg"];
        assert_eq!(u64::from(e.type_.0), j["type"].as_u64().unwrap());
        assert!(j["code"].is_null());
        assert_eq!(u64::from(e.code), j["exp_type"].as_u64().unwrap());
        assert_eq!(e.experimenter.map(u64::from), j["experimenter"].as_u64());
        assert_eq!(j["data"], "amlra2VuIGRhdGE=");
        assert_eq!(e.data, b"jikken data");
        assert_eq!(
            e,
            ErrorMsg::experimenter(60000, 999_999, &b"jikken data"[..])
        );
        assert_eq!(
            e.to_string(),
            "OFPT_ERROR OFPET_EXPERIMENTER experimenter=0xf423f exp_code=60000 \
             (11 bytes of data)"
        );
        assert_eq!(e.failed_request_header(), None);
        assert_eq!(e.name().to_string(), "OFPET_EXPERIMENTER/exp_code=60000");
    }

    #[test]
    fn names() {
        assert_eq!(
            ErrorMsg::from(BadActionCode::BAD_OUT_PORT)
                .name()
                .to_string(),
            "OFPET_BAD_ACTION/OFPBAC_BAD_OUT_PORT"
        );
        let all: [(ErrorType, u16, &str); 14] = [
            (ErrorType::HELLO_FAILED, 1, "OFPHFC_EPERM"),
            (
                ErrorType::BAD_REQUEST,
                13,
                "OFPBRC_MULTIPART_BUFFER_OVERFLOW",
            ),
            (ErrorType::BAD_ACTION, 15, "OFPBAC_BAD_SET_ARGUMENT"),
            (ErrorType::BAD_INSTRUCTION, 8, "OFPBIC_EPERM"),
            (ErrorType::BAD_MATCH, 11, "OFPBMC_EPERM"),
            (ErrorType::FLOW_MOD_FAILED, 7, "OFPFMFC_BAD_FLAGS"),
            (ErrorType::GROUP_MOD_FAILED, 14, "OFPGMFC_EPERM"),
            (ErrorType::PORT_MOD_FAILED, 4, "OFPPMFC_EPERM"),
            (ErrorType::TABLE_MOD_FAILED, 2, "OFPTMFC_EPERM"),
            (ErrorType::QUEUE_OP_FAILED, 2, "OFPQOFC_EPERM"),
            (ErrorType::SWITCH_CONFIG_FAILED, 2, "OFPSCFC_EPERM"),
            (ErrorType::ROLE_REQUEST_FAILED, 2, "OFPRRFC_BAD_ROLE"),
            (ErrorType::METER_MOD_FAILED, 11, "OFPMMFC_OUT_OF_BANDS"),
            (ErrorType::TABLE_FEATURES_FAILED, 5, "OFPTFFC_EPERM"),
        ];
        for (t, last, n) in all {
            assert_eq!(t.code_name(last), Some(n));
            // Every code up to the last is named, the one after is not.
            for c in 0..=last {
                assert!(t.code_name(c).is_some(), "{t} {c}");
            }
            assert_eq!(t.code_name(last + 1), None);
        }
        assert_eq!(ErrorType(14).to_string(), "OFPET_UNKNOWN(14)");
        assert_eq!(
            ErrorName {
                type_: ErrorType::BAD_ACTION,
                code: 99
            }
            .to_string(),
            "OFPET_BAD_ACTION/99"
        );
        assert_eq!(BadActionCode(99).to_string(), "OFPBAC_99");
        assert_eq!(
            format!("{:?}", FlowModFailedCode::OVERLAP),
            "FlowModFailedCode(OFPFMFC_OVERLAP)"
        );
    }

    #[test]
    fn for_request_keeps_64_bytes() {
        let req: Vec<u8> = (0..100).collect();
        let e = ErrorMsg::for_request(BadRequestCode::BAD_LEN, &req);
        assert_eq!(e.data, req[..64]);
        assert_eq!(e.type_, ErrorType::BAD_REQUEST);
        assert_eq!(e.code, 6);
        let e = ErrorMsg::for_request(BadRequestCode::BAD_TYPE, &req[..10]);
        assert_eq!(e.data, req[..10]);
        let h = ErrorMsg::hello_failed(HelloFailedCode::INCOMPATIBLE, "only 1.3\n");
        assert_eq!(
            h.to_string(),
            "OFPT_ERROR OFPET_HELLO_FAILED/OFPHFC_INCOMPATIBLE \"only 1.3\\n\""
        );
        assert_eq!(h.failed_request_header(), None);
    }

    #[test]
    fn negative_lengths() {
        for n in 0..4 {
            let e = parse_bytes(&[0, 1, 0, 6][..n], ErrorMsg::parse_body).unwrap_err();
            assert!(matches!(e, Error::Truncated { .. }), "{n}: {e}");
        }
        for n in 4..8 {
            let e = parse_bytes(&[0xff, 0xff, 0, 6, 0, 0, 0, 1][..n], ErrorMsg::parse_body)
                .unwrap_err();
            assert_eq!(
                e,
                Error::Truncated {
                    what: "ofp_error_experimenter_msg.experimenter",
                    offset: 12,
                    needed: 4,
                    available: n - 4
                }
            );
        }
        // Inconsistent owned values are refused.
        let mut e = ErrorMsg::experimenter(1, 2, vec![]);
        e.experimenter = None;
        assert!(matches!(e.to_vec(), Err(Error::Unencodable { .. })));
        let mut e = ErrorMsg::from(BadRequestCode::EPERM);
        e.experimenter = Some(1);
        assert!(matches!(e.to_vec(), Err(Error::Unencodable { .. })));
    }

    #[test]
    fn ovs_decodes_what_we_encode() {
        // The answer to a bad BARRIER_REQUEST, with the request as data.
        let req = message(MsgType::BARRIER_REQUEST, &crate::simple::BarrierRequest);
        let e = ErrorMsg::for_request(BadRequestCode::BAD_TYPE, &req);
        let Some(s) = ofp_print(&message(MsgType::ERROR, &e)) else {
            return;
        };
        assert!(
            s.contains("OFPT_ERROR") && s.contains("OFPBRC_BAD_TYPE"),
            "{s}"
        );
        assert!(s.contains("OFPT_BARRIER_REQUEST"), "{s}");
        let req = message(
            MsgType::TABLE_MOD,
            &crate::table_mod::TableMod::new(
                crate::types::TableId(9),
                crate::table_mod::TableConfig(0),
            ),
        );
        for e in [
            ErrorMsg::for_request(TableModFailedCode::BAD_TABLE, &req),
            ErrorMsg::for_request(FlowModFailedCode::TABLE_FULL, &req),
            ErrorMsg::for_request(MeterModFailedCode::OUT_OF_METERS, &req),
            ErrorMsg::for_request(GroupModFailedCode::CHAINED_GROUP, &req),
            ErrorMsg::for_request(RoleRequestFailedCode::STALE, &req),
            ErrorMsg::for_request(BadInstructionCode::UNSUP_METADATA_MASK, &req),
        ] {
            let s = ofp_print(&message(MsgType::ERROR, &e)).unwrap();
            let code = e.type_.code_name(e.code).unwrap();
            assert!(s.contains(code), "{code} not in {s}");
            assert!(
                s.contains("OFPT_TABLE_MOD") && s.contains("table_id=9"),
                "{s}"
            );
        }
        let e = ErrorMsg::hello_failed(HelloFailedCode::INCOMPATIBLE, "we speak 1.3 only");
        let s = ofp_print(&message(MsgType::ERROR, &e)).unwrap();
        assert!(
            s.contains("OFPHFC_INCOMPATIBLE") && s.contains("we speak 1.3 only"),
            "{s}"
        );
    }

    #[test]
    fn vendor_errors_by_name() {
        let v = VendorError::new(NX_EXPERIMENTER, 15);
        assert_eq!(v, VendorError::Nicira(NxErrorCode::NXBAC_BAD_CONJUNCTION));
        assert_eq!(v.to_string(), "NXBAC_BAD_CONJUNCTION");
        assert_eq!((v.experimenter(), v.code()), (0x2320, 15));
        let v = VendorError::new(ONF_EXPERIMENTER, 2600);
        assert_eq!(v, VendorError::Onf(OnfErrorCode::OFPBIC_DUP_INST));
        assert_eq!(v.name(), Some("OFPBIC_DUP_INST"));
        // Unknown codes and experimenters stay open and numeric.
        assert_eq!(
            VendorError::new(NX_EXPERIMENTER, 999).to_string(),
            "experimenter=0x2320 exp_code=999"
        );
        assert_eq!(NxErrorCode(999).to_string(), "exp_code=999");
        assert_eq!(
            format!("{:?}", OnfErrorCode(4250)),
            "OnfErrorCode(OFPBAC_BAD_SET_MASK)"
        );
        let other = VendorError::new(7, 3);
        assert_eq!(
            other,
            VendorError::Other {
                experimenter: 7,
                code: 3
            }
        );
        assert_eq!(other.to_string(), "experimenter=0x7 exp_code=3");
        // Byte-exact round trip, known or not.
        for (exp, code) in [(NX_EXPERIMENTER, 15), (NX_EXPERIMENTER, 999), (7, 3)] {
            let e = ErrorMsg::experimenter(code, exp, &b"xyz"[..]);
            let b = e.to_vec().unwrap();
            let back = parse_bytes(&b, ErrorMsg::parse_body).unwrap();
            assert_eq!(back, e);
            assert_eq!(back.to_vec().unwrap(), b);
            assert_eq!(back.vendor_error(), Some(VendorError::new(exp, code)));
            assert_eq!(ErrorMsg::from(VendorError::new(exp, code)).data, b"");
        }
        assert_eq!(ErrorMsg::from(BadRequestCode::EPERM).vendor_error(), None);
        // A known one prints by name, with the failed request.
        let req = message(MsgType::BARRIER_REQUEST, &crate::simple::BarrierRequest);
        let e = ErrorMsg::experimenter(4250, ONF_EXPERIMENTER, req);
        assert_eq!(
            e.to_string(),
            "OFPT_ERROR OFPBAC_BAD_SET_MASK (experimenter=0x4f4e4600 exp_code=4250) \
             for OFPT_BARRIER_REQUEST xid=0x0 (8 bytes of data)"
        );
    }

    #[test]
    fn vendor_error_names_are_ovs_ofctls() {
        // Every named code, as ovs-ofctl prints it in an OpenFlow 1.3 error.
        let req = message(MsgType::BARRIER_REQUEST, &crate::simple::BarrierRequest);
        let mut n = 0;
        for exp in [NX_EXPERIMENTER, ONF_EXPERIMENTER] {
            for code in 0..5000u16 {
                let v = VendorError::new(exp, code);
                let Some(name) = v.name() else { continue };
                n += 1;
                let e = ErrorMsg::experimenter(code, exp, req.clone());
                let Some(s) = ofp_print(&message(MsgType::ERROR, &e)) else {
                    return;
                };
                assert!(s.contains(&format!(" {name}\n")), "{name}: {s}");
            }
        }
        assert_eq!(n, 60);
        // And a code ovs-ofctl does not know is no name of ours.
        let e = ErrorMsg::experimenter(14, NX_EXPERIMENTER, req);
        assert_eq!(e.vendor_error().unwrap().name(), None);
    }

    proptest! {
        #[test]
        fn any_bytes(b in proptest::collection::vec(any::<u8>(), 0..40), exp: bool) {
            let mut b = b;
            if exp && b.len() >= 2 {
                b[0] = 0xff;
                b[1] = 0xff;
            }
            if let Ok(e) = parse_bytes(&b, ErrorMsg::parse_body) {
                prop_assert_eq!(e.to_vec().unwrap(), b);
                let _ = e.to_string();
            }
        }

        #[test]
        fn owned(type_ in 0u16..0xffff, code: u16, experimenter: u32, is_exp: bool,
                 data in proptest::collection::vec(any::<u8>(), 0..80)) {
            let e = if is_exp {
                ErrorMsg::experimenter(code, experimenter, data)
            } else {
                ErrorMsg { type_: ErrorType(type_), code, experimenter: None, data }
            };
            let b = e.to_vec().unwrap();
            prop_assert_eq!(b.len(), e.encoded_len());
            prop_assert_eq!(parse_bytes(&b, ErrorMsg::parse_body).unwrap(), e);
        }
    }
}
