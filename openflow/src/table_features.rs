//! Table features (`ofp_table_features` and its properties), the body of the TABLE_FEATURES
//! multipart request and reply.
//!
//! ```text
//! ofp_table_features (64 bytes, then properties):
//!   length:16 table_id:8 pad:40 name:[32] metadata_match:64 metadata_write:64
//!   config:32 max_entries:32 properties...
//! property: type:16 length:16 body... pad to a multiple of 8
//! ```
//!
//! `length` of a table features entry covers the header and every property with its padding;
//! a property's `length` covers its header and body but not the padding that follows it (zero
//! bytes up to the next multiple of 8). The property bodies are lists of IDs:
//! - instruction and action IDs are the 4-byte header of an instruction or action (`type`,
//!   `len`), with the experimenter id after it for experimenter ones: `len` says how long
//!   each ID is (at least 4);
//! - OXM IDs are 32-bit OXM headers, followed by a 32-bit experimenter id when the class is
//!   `OFPXMC_EXPERIMENTER` (0xffff);
//! - next tables are one table id per byte;
//! - experimenter properties carry `experimenter`, `exp_type` and raw data.
//!
//! Properties of unknown types are kept raw. [`TableFeaturesView`] and
//! [`TableFeaturePropsView`] walk a table features entry without allocating: every length is
//! checked as it is reached, and an accepted entry encodes back to identical bytes.

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;

use crate::action::ActionType;
use crate::codec::{len16, list_len, pad8, put_zeros, write_list, Reader, WireWrite};
use crate::codec_error::{Error, Result};
use crate::instruction::InstructionType;
use crate::multipart::Entries;
use crate::oxm::{basic_field_info, OxmHeader, OFPXMC_EXPERIMENTER, OFPXMC_OPENFLOW_BASIC};
use crate::port::nul_terminated_str;
use crate::table_mod::TableConfig;
use crate::types::TableId;

/// Length of `ofp_table_features` without its properties.
pub const TABLE_FEATURES_LEN: usize = 64;
/// OFP_MAX_TABLE_NAME_LEN: bytes of the table name field, NUL terminator included.
pub const MAX_TABLE_NAME_LEN: usize = 32;
/// Length of a property header (`type`, `length`).
pub const PROP_HEADER_LEN: usize = 4;
/// Length of an experimenter property without its data.
pub const PROP_EXPERIMENTER_LEN: usize = 12;
/// Length of an instruction or action ID without experimenter data.
pub const ID_HEADER_LEN: usize = 4;

crate::types::open_enum! {
    /// A table feature property type (`ofp_table_feature_prop_type`). Open: any value parses.
    pub struct TableFeaturePropType(u16) as "OFPTFPT_", unknown "{:#06x}" {
        /// OFPTFPT_INSTRUCTIONS.
        INSTRUCTIONS = 0,
        /// OFPTFPT_INSTRUCTIONS_MISS.
        INSTRUCTIONS_MISS = 1,
        /// OFPTFPT_NEXT_TABLES.
        NEXT_TABLES = 2,
        /// OFPTFPT_NEXT_TABLES_MISS.
        NEXT_TABLES_MISS = 3,
        /// OFPTFPT_WRITE_ACTIONS.
        WRITE_ACTIONS = 4,
        /// OFPTFPT_WRITE_ACTIONS_MISS.
        WRITE_ACTIONS_MISS = 5,
        /// OFPTFPT_APPLY_ACTIONS.
        APPLY_ACTIONS = 6,
        /// OFPTFPT_APPLY_ACTIONS_MISS.
        APPLY_ACTIONS_MISS = 7,
        /// OFPTFPT_MATCH.
        MATCH = 8,
        /// OFPTFPT_WILDCARDS.
        WILDCARDS = 10,
        /// OFPTFPT_WRITE_SETFIELD.
        WRITE_SETFIELD = 12,
        /// OFPTFPT_WRITE_SETFIELD_MISS.
        WRITE_SETFIELD_MISS = 13,
        /// OFPTFPT_APPLY_SETFIELD.
        APPLY_SETFIELD = 14,
        /// OFPTFPT_APPLY_SETFIELD_MISS.
        APPLY_SETFIELD_MISS = 15,
        /// OFPTFPT_EXPERIMENTER.
        EXPERIMENTER = 0xfffe,
        /// OFPTFPT_EXPERIMENTER_MISS.
        EXPERIMENTER_MISS = 0xffff,
    }
}

impl TableFeaturePropType {
    /// True for the `_MISS` variants (which describe the table-miss flow entry).
    pub const fn is_miss(self) -> bool {
        matches!(self.0, 1 | 3 | 5 | 7 | 13 | 15 | 0xffff)
    }

    /// The C structure name used in error messages.
    const fn what(self) -> &'static str {
        match self.0 {
            0 | 1 => "ofp_table_feature_prop_instructions",
            2 | 3 => "ofp_table_feature_prop_next_tables",
            4..=7 => "ofp_table_feature_prop_actions",
            8 | 10 | 12..=15 => "ofp_table_feature_prop_oxm",
            0xfffe | 0xffff => "ofp_table_feature_prop_experimenter",
            _ => "ofp_table_feature_prop_header",
        }
    }
}

/// Writes `name` in lower case (`APPLY_ACTIONS` → `apply_actions`) without allocating.
fn write_lower(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    name.chars()
        .try_for_each(|c| fmt::Write::write_char(f, c.to_ascii_lowercase()))
}

fn fmt_hex(f: &mut fmt::Formatter<'_>, data: &[u8]) -> fmt::Result {
    data.iter().try_for_each(|b| write!(f, "{b:02x}"))
}

/// Reads the header of an instruction or action ID and returns its type and the bytes after
/// the header.
fn parse_id<'a>(r: &mut Reader<'a>, what: &'static str) -> Result<(u16, &'a [u8])> {
    let len_at = r.offset() + 2;
    let ty = r.peek_u16(0, what)?;
    let len = usize::from(r.peek_u16(2, what)?);
    if len < ID_HEADER_LEN {
        return Err(Reader::bad_length(
            what,
            len_at,
            len,
            "below the 4-byte ID header",
        ));
    }
    if len > r.remaining() {
        return Err(Reader::bad_length(
            what,
            len_at,
            len,
            "past the end of the property",
        ));
    }
    let mut id = r.sub(len, what)?;
    id.bytes(ID_HEADER_LEN, what)?;
    Ok((ty, id.rest()))
}

macro_rules! id_type {
    (
        $(#[$meta:meta])*
        $owned:ident, $borrowed:ident, $list:ident, $ty:ident, $what:literal, $noun:literal
    ) => {
        $(#[$meta])*
        ///
        /// `data` is what follows the 4-byte header (the experimenter id and anything after
        /// it, for experimenter IDs), so that the ID's `len` is `4 + data.len()`.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $owned {
            #[doc = concat!("The ", $noun, " type.")]
            pub type_: $ty,
            /// Everything after `type` and `len`.
            pub data: Vec<u8>,
        }

        impl $owned {
            #[doc = concat!("The ID of a standard ", $noun, " type (4 bytes).")]
            pub fn new(type_: $ty) -> Self {
                Self { type_, data: Vec::new() }
            }

            #[doc = concat!("The ID of an experimenter ", $noun, " (8 bytes).")]
            pub fn experimenter(experimenter: u32) -> Self {
                Self {
                    type_: $ty::EXPERIMENTER,
                    data: experimenter.to_be_bytes().to_vec(),
                }
            }

            /// The experimenter id, for an experimenter ID with at least 4 bytes of data.
            pub fn experimenter_id(&self) -> Option<u32> {
                self.as_ref().experimenter_id()
            }

            /// The borrowed form.
            pub fn as_ref(&self) -> $borrowed<'_> {
                $borrowed { type_: self.type_, data: &self.data }
            }

            /// Parses one ID, checking its `len` (at least 4, within `r`).
            pub fn parse(r: &mut Reader<'_>) -> Result<Self> {
                $borrowed::parse(r).map(|i| i.decode())
            }
        }

        crate::codec::impl_encode!($owned);

        impl WireWrite for $owned {
            fn encoded_len(&self) -> usize {
                ID_HEADER_LEN + self.data.len()
            }

            fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
                let len = len16($what, self.encoded_len())?;
                out.put_u16(self.type_.0);
                out.put_u16(len);
                out.put_slice(&self.data);
                Ok(())
            }
        }

        impl fmt::Display for $owned {
            /// See the borrowed form's `Display`.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.as_ref().fmt(f)
            }
        }

        #[doc = concat!("An ", $noun, " ID borrowed from a property.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $borrowed<'a> {
            #[doc = concat!("The ", $noun, " type.")]
            pub type_: $ty,
            /// Everything after `type` and `len`.
            pub data: &'a [u8],
        }

        impl<'a> $borrowed<'a> {
            /// Reads one ID, checking its `len` (at least 4, within `r`).
            pub fn parse(r: &mut Reader<'a>) -> Result<Self> {
                let (ty, data) = parse_id(r, $what)?;
                Ok(Self { type_: $ty(ty), data })
            }

            /// The experimenter id, for an experimenter ID with at least 4 bytes of data.
            pub fn experimenter_id(&self) -> Option<u32> {
                match (self.type_, self.data.first_chunk::<4>()) {
                    ($ty::EXPERIMENTER, Some(e)) => Some(u32::from_be_bytes(*e)),
                    _ => None,
                }
            }

            /// The owned ID.
            pub fn decode(&self) -> $owned {
                $owned { type_: self.type_, data: self.data.to_vec() }
            }
        }

        impl fmt::Display for $borrowed<'_> {
            /// The type's name in lower case (`goto_table`, `output`), `experimenter(0x2320)`
            /// for experimenter IDs, the number for unknown types; extra data follows in hex
            /// after `/`.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let rest = match (self.experimenter_id(), self.type_.name()) {
                    (Some(e), _) => {
                        write!(f, "experimenter({e:#x})")?;
                        self.data.get(4..).unwrap_or(&[])
                    }
                    (None, Some(n)) => {
                        write_lower(f, n)?;
                        self.data
                    }
                    (None, None) => {
                        write!(f, "{}", self.type_.0)?;
                        self.data
                    }
                };
                if !rest.is_empty() {
                    f.write_str("/")?;
                    fmt_hex(f, rest)?;
                }
                Ok(())
            }
        }

        crate::codec::reader_list! {
            #[doc = concat!("A borrowed list of ", $noun, " IDs, walked without allocating. After")]
            /// the first error it yields nothing more.
            pub struct $list<'a> of $borrowed<'a> => $owned {
                parse: $borrowed::parse,
                from_reader: ,
                check_first: false,
                validate("Checks every ID without allocating."): |_i| Ok(()),
                decode("Decodes every ID."): |i| Ok(i.decode()),
            }
        }
    };
}

id_type! {
    /// An instruction ID in an instructions property: the header of an instruction the table
    /// supports.
    InstructionId, InstructionIdView, InstructionIdsView, InstructionType,
    "ofp_table_feature_prop_instructions.instruction_ids", "instruction"
}

id_type! {
    /// An action ID in an actions property: the header of an action the table supports.
    ActionId, ActionIdView, ActionIdsView, ActionType,
    "ofp_table_feature_prop_actions.action_ids", "action"
}

/// An OXM ID in a match, wildcards or set-field property: an OXM header, followed by the
/// experimenter id when the class is `OFPXMC_EXPERIMENTER`.
///
/// A fixed 4- or 8-byte structure: the owned value is also the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OxmId {
    /// The OXM header (the `length` field is whatever the switch put there, usually the
    /// field's payload length).
    pub header: OxmHeader,
    /// The experimenter id: present exactly when the header's class is
    /// `OFPXMC_EXPERIMENTER` (0xffff).
    pub experimenter: Option<u32>,
}

impl OxmId {
    /// The ID of an OpenFlow-basic field (`OFPXMT_OFB_*`), with `hasmask` clear and the
    /// field's value length (0 for fields 1.3 does not define).
    pub fn basic(field: u8) -> OxmId {
        let len = basic_field_info(field).map_or(0, |i| i.len);
        OxmId {
            header: OxmHeader::new(
                OFPXMC_OPENFLOW_BASIC,
                field,
                false,
                u8::try_from(len).unwrap_or(0),
            ),
            experimenter: None,
        }
    }

    /// The ID of a field of a class other than the experimenter class.
    pub fn new(header: OxmHeader) -> OxmId {
        OxmId {
            header,
            experimenter: None,
        }
    }

    /// The ID of an experimenter field (class `OFPXMC_EXPERIMENTER`).
    pub fn experimenter(field: u8, hasmask: bool, length: u8, experimenter: u32) -> OxmId {
        OxmId {
            header: OxmHeader::new(OFPXMC_EXPERIMENTER, field, hasmask, length),
            experimenter: Some(experimenter),
        }
    }

    /// Reads one OXM ID.
    pub fn parse(r: &mut Reader<'_>) -> Result<OxmId> {
        let header = OxmHeader(r.u32("ofp_table_feature_prop_oxm.oxm_ids")?);
        let experimenter = if header.class() == OFPXMC_EXPERIMENTER {
            Some(r.u32("ofp_table_feature_prop_oxm.oxm_ids.experimenter")?)
        } else {
            None
        };
        Ok(OxmId {
            header,
            experimenter,
        })
    }
}

crate::codec::impl_encode!(OxmId);

impl WireWrite for OxmId {
    fn encoded_len(&self) -> usize {
        if self.experimenter.is_some() {
            8
        } else {
            4
        }
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        let exp_class = self.header.class() == OFPXMC_EXPERIMENTER;
        if exp_class != self.experimenter.is_some() {
            return Err(Error::Unencodable {
                what: "ofp_table_feature_prop_oxm.oxm_ids",
                reason: "an OXM ID has an experimenter id exactly when its class is 0xffff",
            });
        }
        out.put_u32(self.header.0);
        if let Some(e) = self.experimenter {
            out.put_u32(e);
        }
        Ok(())
    }
}

impl fmt::Display for OxmId {
    /// The field's name for OpenFlow-basic fields (`eth_dst`), `class:field` for the others
    /// (`0x0001:31`), then `/mask` when `hasmask` is set and `(experimenter=0x2320)` for
    /// experimenter fields.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.header.basic_name() {
            Some(n) => f.write_str(n)?,
            None => write!(f, "{:#06x}:{}", self.header.class(), self.header.field())?,
        }
        if self.header.hasmask() {
            f.write_str("/mask")?;
        }
        if let Some(e) = self.experimenter {
            write!(f, "(experimenter={e:#x})")?;
        }
        Ok(())
    }
}

/// A borrowed list of OXM IDs, walked without allocating. After the first error it yields
/// nothing more.
#[derive(Debug, Clone)]
pub struct OxmIdsView<'a> {
    r: Reader<'a>,
    failed: bool,
}

impl<'a> OxmIdsView<'a> {
    /// A list over `buf`, whose first byte is at `base` in the message. Unchecked: each item
    /// is checked as it is read (one that fails yields an error and ends the iteration), so
    /// nothing panics; the parent view's `parse` gives lists whose length was checked.
    pub fn new_unchecked(buf: &'a [u8], base: usize) -> Self {
        OxmIdsView {
            r: Reader::new(buf, base),
            failed: false,
        }
    }

    /// The list's bytes (what has not been iterated yet).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.r.peek_rest()
    }

    /// True when the list holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.r.is_empty()
    }

    /// Checks every ID without allocating.
    pub fn validate(&self) -> Result<()> {
        self.clone().try_for_each(|i| i.map(|_| ()))
    }

    /// Decodes every ID.
    pub fn decode(&self) -> Result<Vec<OxmId>> {
        self.clone().collect()
    }
}

impl Iterator for OxmIdsView<'_> {
    type Item = Result<OxmId>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.r.is_empty() {
            return None;
        }
        let item = OxmId::parse(&mut self.r);
        self.failed = item.is_err();
        Some(item)
    }
}

impl core::iter::FusedIterator for OxmIdsView<'_> {}

/// One table feature property, owned.
///
/// Properties that come in a normal and a `_MISS` flavour (the latter describes the table-miss
/// flow entry) carry `miss`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TableFeatureProp {
    /// OFPTFPT_INSTRUCTIONS(_MISS): the instructions the table supports.
    Instructions {
        /// True for OFPTFPT_INSTRUCTIONS_MISS.
        miss: bool,
        /// The instruction IDs.
        ids: Vec<InstructionId>,
    },
    /// OFPTFPT_NEXT_TABLES(_MISS): the tables a goto-table may go to.
    NextTables {
        /// True for OFPTFPT_NEXT_TABLES_MISS.
        miss: bool,
        /// The table ids.
        table_ids: Vec<TableId>,
    },
    /// OFPTFPT_WRITE_ACTIONS(_MISS): the actions a write-actions instruction may hold.
    WriteActions {
        /// True for OFPTFPT_WRITE_ACTIONS_MISS.
        miss: bool,
        /// The action IDs.
        ids: Vec<ActionId>,
    },
    /// OFPTFPT_APPLY_ACTIONS(_MISS): the actions an apply-actions instruction may hold.
    ApplyActions {
        /// True for OFPTFPT_APPLY_ACTIONS_MISS.
        miss: bool,
        /// The action IDs.
        ids: Vec<ActionId>,
    },
    /// OFPTFPT_MATCH: the fields the table can match on (`hasmask` set when maskable).
    Match(Vec<OxmId>),
    /// OFPTFPT_WILDCARDS: the fields the table can wildcard.
    Wildcards(Vec<OxmId>),
    /// OFPTFPT_WRITE_SETFIELD(_MISS): the fields a written set-field action may set.
    WriteSetfield {
        /// True for OFPTFPT_WRITE_SETFIELD_MISS.
        miss: bool,
        /// The OXM IDs.
        ids: Vec<OxmId>,
    },
    /// OFPTFPT_APPLY_SETFIELD(_MISS): the fields an applied set-field action may set.
    ApplySetfield {
        /// True for OFPTFPT_APPLY_SETFIELD_MISS.
        miss: bool,
        /// The OXM IDs.
        ids: Vec<OxmId>,
    },
    /// OFPTFPT_EXPERIMENTER(_MISS), kept raw.
    Experimenter {
        /// True for OFPTFPT_EXPERIMENTER_MISS.
        miss: bool,
        /// Experimenter id.
        experimenter: u32,
        /// Experimenter-defined type.
        exp_type: u32,
        /// Everything after `exp_type` up to the property's length (padding excluded).
        data: Vec<u8>,
    },
    /// A property type this codec does not know, kept raw.
    Unknown {
        /// The property type.
        type_: TableFeaturePropType,
        /// Everything after `type` and `length` up to the property's length (padding
        /// excluded).
        data: Vec<u8>,
    },
}

impl TableFeatureProp {
    /// The property's type number.
    pub fn prop_type(&self) -> TableFeaturePropType {
        use TableFeaturePropType as T;
        let pick = |miss: bool, normal: T, missed: T| if miss { missed } else { normal };
        match self {
            Self::Instructions { miss, .. } => pick(*miss, T::INSTRUCTIONS, T::INSTRUCTIONS_MISS),
            Self::NextTables { miss, .. } => pick(*miss, T::NEXT_TABLES, T::NEXT_TABLES_MISS),
            Self::WriteActions { miss, .. } => pick(*miss, T::WRITE_ACTIONS, T::WRITE_ACTIONS_MISS),
            Self::ApplyActions { miss, .. } => pick(*miss, T::APPLY_ACTIONS, T::APPLY_ACTIONS_MISS),
            Self::Match(_) => T::MATCH,
            Self::Wildcards(_) => T::WILDCARDS,
            Self::WriteSetfield { miss, .. } => {
                pick(*miss, T::WRITE_SETFIELD, T::WRITE_SETFIELD_MISS)
            }
            Self::ApplySetfield { miss, .. } => {
                pick(*miss, T::APPLY_SETFIELD, T::APPLY_SETFIELD_MISS)
            }
            Self::Experimenter { miss, .. } => pick(*miss, T::EXPERIMENTER, T::EXPERIMENTER_MISS),
            Self::Unknown { type_, .. } => *type_,
        }
    }

    /// The property's `length` field: header and body, without the padding.
    pub fn length(&self) -> usize {
        PROP_HEADER_LEN
            + match self {
                Self::Instructions { ids, .. } => list_len(ids),
                Self::NextTables { table_ids, .. } => table_ids.len(),
                Self::WriteActions { ids, .. } | Self::ApplyActions { ids, .. } => list_len(ids),
                Self::Match(ids)
                | Self::Wildcards(ids)
                | Self::WriteSetfield { ids, .. }
                | Self::ApplySetfield { ids, .. } => list_len(ids),
                Self::Experimenter { data, .. } => 8 + data.len(),
                Self::Unknown { data, .. } => data.len(),
            }
    }

    /// Parses one property and the zero padding after it.
    pub fn parse(r: &mut Reader<'_>) -> Result<TableFeatureProp> {
        TableFeaturePropView::parse(r)?.decode()
    }
}

crate::codec::impl_encode!(TableFeatureProp);

impl WireWrite for TableFeatureProp {
    fn encoded_len(&self) -> usize {
        let len = self.length();
        len + pad8(len)
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        let ty = self.prop_type();
        let len = self.length();
        out.put_u16(ty.0);
        out.put_u16(len16(ty.what(), len)?);
        match self {
            Self::Instructions { ids, .. } => write_list(ids, out)?,
            Self::NextTables { table_ids, .. } => table_ids.iter().for_each(|t| out.put_u8(t.0)),
            Self::WriteActions { ids, .. } | Self::ApplyActions { ids, .. } => {
                write_list(ids, out)?
            }
            Self::Match(ids)
            | Self::Wildcards(ids)
            | Self::WriteSetfield { ids, .. }
            | Self::ApplySetfield { ids, .. } => write_list(ids, out)?,
            Self::Experimenter {
                experimenter,
                exp_type,
                data,
                ..
            } => {
                out.put_u32(*experimenter);
                out.put_u32(*exp_type);
                out.put_slice(data);
            }
            Self::Unknown { data, .. } => out.put_slice(data),
        }
        put_zeros(out, pad8(len));
        Ok(())
    }
}

/// One table feature property borrowed from a table features entry; ID lists are checked
/// when iterated (or by [`TableFeaturePropView::validate`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum TableFeaturePropView<'a> {
    /// OFPTFPT_INSTRUCTIONS(_MISS).
    Instructions {
        /// True for the `_MISS` type.
        miss: bool,
        /// The instruction IDs.
        ids: InstructionIdsView<'a>,
    },
    /// OFPTFPT_NEXT_TABLES(_MISS): one table id per byte.
    NextTables {
        /// True for the `_MISS` type.
        miss: bool,
        /// The table ids.
        table_ids: &'a [u8],
    },
    /// OFPTFPT_WRITE_ACTIONS(_MISS).
    WriteActions {
        /// True for the `_MISS` type.
        miss: bool,
        /// The action IDs.
        ids: ActionIdsView<'a>,
    },
    /// OFPTFPT_APPLY_ACTIONS(_MISS).
    ApplyActions {
        /// True for the `_MISS` type.
        miss: bool,
        /// The action IDs.
        ids: ActionIdsView<'a>,
    },
    /// OFPTFPT_MATCH.
    Match(OxmIdsView<'a>),
    /// OFPTFPT_WILDCARDS.
    Wildcards(OxmIdsView<'a>),
    /// OFPTFPT_WRITE_SETFIELD(_MISS).
    WriteSetfield {
        /// True for the `_MISS` type.
        miss: bool,
        /// The OXM IDs.
        ids: OxmIdsView<'a>,
    },
    /// OFPTFPT_APPLY_SETFIELD(_MISS).
    ApplySetfield {
        /// True for the `_MISS` type.
        miss: bool,
        /// The OXM IDs.
        ids: OxmIdsView<'a>,
    },
    /// OFPTFPT_EXPERIMENTER(_MISS).
    Experimenter {
        /// True for the `_MISS` type.
        miss: bool,
        /// Experimenter id.
        experimenter: u32,
        /// Experimenter-defined type.
        exp_type: u32,
        /// The data, padding excluded.
        data: &'a [u8],
    },
    /// An unknown property type.
    Unknown {
        /// The property type.
        type_: TableFeaturePropType,
        /// Everything after the header, padding excluded.
        data: &'a [u8],
    },
}

impl<'a> TableFeaturePropView<'a> {
    /// Reads one property from `r`, checking its `length` (at least 4, at least 12 for
    /// experimenter properties, within `r`) and the zero padding after it up to a multiple of
    /// 8 (which must be within `r` too). ID lists are checked when iterated.
    pub fn parse(r: &mut Reader<'a>) -> Result<TableFeaturePropView<'a>> {
        let start = r.offset();
        let ty = TableFeaturePropType(r.peek_u16(0, "ofp_table_feature_prop_header.type")?);
        let len = usize::from(r.peek_u16(2, "ofp_table_feature_prop_header.length")?);
        let what = ty.what();
        let len_at = start + 2;
        let exp = matches!(
            ty,
            TableFeaturePropType::EXPERIMENTER | TableFeaturePropType::EXPERIMENTER_MISS
        );
        if len < PROP_HEADER_LEN {
            return Err(Reader::bad_length(
                what,
                len_at,
                len,
                "below the 4-byte property header",
            ));
        }
        if exp && len < PROP_EXPERIMENTER_LEN {
            return Err(Reader::bad_length(
                what,
                len_at,
                len,
                "below the 12-byte experimenter property",
            ));
        }
        if len > r.remaining() {
            return Err(Reader::bad_length(
                what,
                len_at,
                len,
                "past the end of the table features",
            ));
        }
        let mut p = r.sub(len, what)?;
        r.pad(pad8(len), "ofp_table_feature_prop.pad")?;
        p.bytes(PROP_HEADER_LEN, what)?;
        let base = p.offset();
        let miss = ty.is_miss();
        use TableFeaturePropType as T;
        Ok(match ty {
            T::INSTRUCTIONS | T::INSTRUCTIONS_MISS => Self::Instructions {
                miss,
                ids: InstructionIdsView::new_unchecked(p.rest(), base),
            },
            T::NEXT_TABLES | T::NEXT_TABLES_MISS => Self::NextTables {
                miss,
                table_ids: p.rest(),
            },
            T::WRITE_ACTIONS | T::WRITE_ACTIONS_MISS => Self::WriteActions {
                miss,
                ids: ActionIdsView::new_unchecked(p.rest(), base),
            },
            T::APPLY_ACTIONS | T::APPLY_ACTIONS_MISS => Self::ApplyActions {
                miss,
                ids: ActionIdsView::new_unchecked(p.rest(), base),
            },
            T::MATCH => Self::Match(OxmIdsView::new_unchecked(p.rest(), base)),
            T::WILDCARDS => Self::Wildcards(OxmIdsView::new_unchecked(p.rest(), base)),
            T::WRITE_SETFIELD | T::WRITE_SETFIELD_MISS => Self::WriteSetfield {
                miss,
                ids: OxmIdsView::new_unchecked(p.rest(), base),
            },
            T::APPLY_SETFIELD | T::APPLY_SETFIELD_MISS => Self::ApplySetfield {
                miss,
                ids: OxmIdsView::new_unchecked(p.rest(), base),
            },
            T::EXPERIMENTER | T::EXPERIMENTER_MISS => Self::Experimenter {
                miss,
                experimenter: p.u32("ofp_table_feature_prop_experimenter.experimenter")?,
                exp_type: p.u32("ofp_table_feature_prop_experimenter.exp_type")?,
                data: p.rest(),
            },
            _ => Self::Unknown {
                type_: ty,
                data: p.rest(),
            },
        })
    }

    /// The property's type number.
    pub fn prop_type(&self) -> TableFeaturePropType {
        use TableFeaturePropType as T;
        let pick = |miss: bool, normal: T, missed: T| if miss { missed } else { normal };
        match self {
            Self::Instructions { miss, .. } => pick(*miss, T::INSTRUCTIONS, T::INSTRUCTIONS_MISS),
            Self::NextTables { miss, .. } => pick(*miss, T::NEXT_TABLES, T::NEXT_TABLES_MISS),
            Self::WriteActions { miss, .. } => pick(*miss, T::WRITE_ACTIONS, T::WRITE_ACTIONS_MISS),
            Self::ApplyActions { miss, .. } => pick(*miss, T::APPLY_ACTIONS, T::APPLY_ACTIONS_MISS),
            Self::Match(_) => T::MATCH,
            Self::Wildcards(_) => T::WILDCARDS,
            Self::WriteSetfield { miss, .. } => {
                pick(*miss, T::WRITE_SETFIELD, T::WRITE_SETFIELD_MISS)
            }
            Self::ApplySetfield { miss, .. } => {
                pick(*miss, T::APPLY_SETFIELD, T::APPLY_SETFIELD_MISS)
            }
            Self::Experimenter { miss, .. } => pick(*miss, T::EXPERIMENTER, T::EXPERIMENTER_MISS),
            Self::Unknown { type_, .. } => *type_,
        }
    }

    /// Checks every ID of the property without allocating.
    pub fn validate(&self) -> Result<()> {
        match self {
            Self::Instructions { ids, .. } => ids.validate(),
            Self::WriteActions { ids, .. } | Self::ApplyActions { ids, .. } => ids.validate(),
            Self::Match(ids)
            | Self::Wildcards(ids)
            | Self::WriteSetfield { ids, .. }
            | Self::ApplySetfield { ids, .. } => ids.validate(),
            Self::NextTables { .. } | Self::Experimenter { .. } | Self::Unknown { .. } => Ok(()),
        }
    }

    /// The owned property.
    pub fn decode(&self) -> Result<TableFeatureProp> {
        Ok(match self {
            Self::Instructions { miss, ids } => TableFeatureProp::Instructions {
                miss: *miss,
                ids: ids.decode()?,
            },
            Self::NextTables { miss, table_ids } => TableFeatureProp::NextTables {
                miss: *miss,
                table_ids: table_ids.iter().map(|&t| TableId(t)).collect(),
            },
            Self::WriteActions { miss, ids } => TableFeatureProp::WriteActions {
                miss: *miss,
                ids: ids.decode()?,
            },
            Self::ApplyActions { miss, ids } => TableFeatureProp::ApplyActions {
                miss: *miss,
                ids: ids.decode()?,
            },
            Self::Match(ids) => TableFeatureProp::Match(ids.decode()?),
            Self::Wildcards(ids) => TableFeatureProp::Wildcards(ids.decode()?),
            Self::WriteSetfield { miss, ids } => TableFeatureProp::WriteSetfield {
                miss: *miss,
                ids: ids.decode()?,
            },
            Self::ApplySetfield { miss, ids } => TableFeatureProp::ApplySetfield {
                miss: *miss,
                ids: ids.decode()?,
            },
            Self::Experimenter {
                miss,
                experimenter,
                exp_type,
                data,
            } => TableFeatureProp::Experimenter {
                miss: *miss,
                experimenter: *experimenter,
                exp_type: *exp_type,
                data: data.to_vec(),
            },
            Self::Unknown { type_, data } => TableFeatureProp::Unknown {
                type_: *type_,
                data: data.to_vec(),
            },
        })
    }
}

/// A borrowed list of properties (the tail of a table features entry), walked without
/// allocating. After the first error it yields nothing more.
#[derive(Debug, Clone)]
pub struct TableFeaturePropsView<'a> {
    r: Reader<'a>,
    failed: bool,
}

impl<'a> TableFeaturePropsView<'a> {
    /// A list over `buf`, whose first byte is at `base` in the message. Unchecked: each item
    /// is checked as it is read (one that fails yields an error and ends the iteration), so
    /// nothing panics; the parent view's `parse` gives lists whose length was checked.
    pub fn new_unchecked(buf: &'a [u8], base: usize) -> Self {
        TableFeaturePropsView {
            r: Reader::new(buf, base),
            failed: false,
        }
    }

    /// The list's bytes (what has not been iterated yet).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.r.peek_rest()
    }

    /// True when the list holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.r.is_empty()
    }

    /// Checks every property and every ID without allocating.
    pub fn validate(&self) -> Result<()> {
        self.clone().try_for_each(|p| p?.validate())
    }

    /// Decodes every property.
    pub fn decode(&self) -> Result<Vec<TableFeatureProp>> {
        self.clone().map(|p| p?.decode()).collect()
    }
}

impl<'a> Iterator for TableFeaturePropsView<'a> {
    type Item = Result<TableFeaturePropView<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.r.is_empty() {
            return None;
        }
        let item = TableFeaturePropView::parse(&mut self.r);
        self.failed = item.is_err();
        Some(item)
    }
}

impl core::iter::FusedIterator for TableFeaturePropsView<'_> {}

/// Builds a 32-byte NUL-padded table name field from `name`, truncated (at a character
/// boundary) to 31 bytes so that a NUL always ends it.
pub fn table_name(name: &str) -> [u8; MAX_TABLE_NAME_LEN] {
    let mut out = [0u8; MAX_TABLE_NAME_LEN];
    let mut end = name.len().min(MAX_TABLE_NAME_LEN - 1);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    for (o, b) in out.iter_mut().zip(name.as_bytes().iter().take(end)) {
        *o = *b;
    }
    out
}

/// The features of one flow table (`ofp_table_features`), owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TableFeatures {
    /// The table.
    pub table_id: TableId,
    /// The name field exactly as on the wire: NUL-padded, 32 bytes. See
    /// [`TableFeatures::name`] and [`table_name`].
    pub name: [u8; MAX_TABLE_NAME_LEN],
    /// Bits of the metadata the table can match.
    pub metadata_match: u64,
    /// Bits of the metadata the table can write.
    pub metadata_write: u64,
    /// Table configuration (deprecated bits in 1.3).
    pub config: TableConfig,
    /// Maximum number of flow entries.
    pub max_entries: u32,
    /// The properties, in wire order.
    pub properties: Vec<TableFeatureProp>,
}

impl TableFeatures {
    /// A table with the given id and name, no metadata bits, no properties.
    pub fn new(table_id: impl Into<TableId>, name: &str) -> TableFeatures {
        TableFeatures {
            table_id: table_id.into(),
            name: table_name(name),
            metadata_match: 0,
            metadata_write: 0,
            config: TableConfig(0),
            max_entries: 0,
            properties: Vec::new(),
        }
    }

    /// The name: the bytes before the first NUL (cut to their longest valid UTF-8 prefix).
    pub fn name(&self) -> &str {
        nul_terminated_str(&self.name)
    }

    /// Sets the name (see [`table_name`]).
    pub fn set_name(&mut self, name: &str) {
        self.name = table_name(name);
    }

    /// Parses one `ofp_table_features`, its properties and their IDs.
    pub fn parse(r: &mut Reader<'_>) -> Result<TableFeatures> {
        TableFeaturesView::parse(r)?.decode()
    }

    /// Parses a list of table features that fills `r`.
    pub fn parse_list(r: &mut Reader<'_>) -> Result<Vec<TableFeatures>> {
        let list: Entries<'_, TableFeaturesView<'_>> = Entries::from_reader(r.clone());
        r.rest();
        list.decode()
    }
}

crate::codec::impl_encode!(TableFeatures);

impl WireWrite for TableFeatures {
    fn encoded_len(&self) -> usize {
        TABLE_FEATURES_LEN
            + self
                .properties
                .iter()
                .map(WireWrite::encoded_len)
                .sum::<usize>()
    }

    fn write<B: BufMut>(&self, out: &mut B) -> Result<()> {
        out.put_u16(len16("ofp_table_features", self.encoded_len())?);
        out.put_u8(self.table_id.0);
        put_zeros(out, 5);
        out.put_slice(&self.name);
        out.put_u64(self.metadata_match);
        out.put_u64(self.metadata_write);
        out.put_u32(self.config.0);
        out.put_u32(self.max_entries);
        self.properties.iter().try_for_each(|p| p.write(out))
    }
}

/// One `ofp_table_features` borrowed from a message; the properties are checked when
/// iterated (or by [`TableFeaturesView::validate`]).
#[derive(Debug, Clone)]
pub struct TableFeaturesView<'a> {
    /// The table.
    pub table_id: TableId,
    /// The name field as on the wire.
    pub name: &'a [u8; MAX_TABLE_NAME_LEN],
    /// Bits of the metadata the table can match.
    pub metadata_match: u64,
    /// Bits of the metadata the table can write.
    pub metadata_write: u64,
    /// Table configuration.
    pub config: TableConfig,
    /// Maximum number of flow entries.
    pub max_entries: u32,
    /// The properties.
    pub properties: TableFeaturePropsView<'a>,
}

impl<'a> TableFeaturesView<'a> {
    /// Reads one entry from `r`, checking its `length` (at least 64, within `r`) and padding;
    /// the properties are checked when iterated.
    pub fn parse(r: &mut Reader<'a>) -> Result<TableFeaturesView<'a>> {
        let len_at = r.offset();
        let len = usize::from(r.peek_u16(0, "ofp_table_features.length")?);
        if len < TABLE_FEATURES_LEN {
            return Err(Reader::bad_length(
                "ofp_table_features",
                len_at,
                len,
                "below the 64-byte table features header",
            ));
        }
        if len > r.remaining() {
            return Err(Reader::bad_length(
                "ofp_table_features",
                len_at,
                len,
                "past the end of the message",
            ));
        }
        let mut t = r.sub(len, "ofp_table_features")?;
        t.u16("ofp_table_features.length")?;
        let table_id = TableId(t.u8("ofp_table_features.table_id")?);
        t.pad(5, "ofp_table_features.pad")?;
        let name_at = t.offset();
        let name = <&[u8; MAX_TABLE_NAME_LEN]>::try_from(
            t.bytes(MAX_TABLE_NAME_LEN, "ofp_table_features.name")?,
        )
        .map_err(|_| Error::Truncated {
            what: "ofp_table_features.name",
            offset: name_at,
            needed: MAX_TABLE_NAME_LEN,
            available: 0,
        })?;
        let metadata_match = t.u64("ofp_table_features.metadata_match")?;
        let metadata_write = t.u64("ofp_table_features.metadata_write")?;
        let config = TableConfig(t.u32("ofp_table_features.config")?);
        let max_entries = t.u32("ofp_table_features.max_entries")?;
        let base = t.offset();
        Ok(TableFeaturesView {
            table_id,
            name,
            metadata_match,
            metadata_write,
            config,
            max_entries,
            properties: TableFeaturePropsView::new_unchecked(t.rest(), base),
        })
    }

    /// The name: the bytes before the first NUL (cut to their longest valid UTF-8 prefix).
    pub fn name(&self) -> &'a str {
        nul_terminated_str(self.name)
    }

    /// The entry's `length` field.
    pub fn length(&self) -> usize {
        TABLE_FEATURES_LEN + self.properties.as_bytes().len()
    }

    /// Checks every property and ID without allocating.
    pub fn validate(&self) -> Result<()> {
        self.properties.validate()
    }

    /// The owned entry.
    pub fn decode(&self) -> Result<TableFeatures> {
        Ok(TableFeatures {
            table_id: self.table_id,
            name: *self.name,
            metadata_match: self.metadata_match,
            metadata_write: self.metadata_write,
            config: self.config,
            max_entries: self.max_entries,
            properties: self.properties.decode()?,
        })
    }
}

crate::multipart::view_entry!(TableFeaturesView => TableFeatures, |v| v.validate());

/// Prints table ids as ranges: `1-3,5,7-254`.
fn fmt_table_ids(f: &mut fmt::Formatter<'_>, ids: impl Iterator<Item = u8>) -> fmt::Result {
    let mut run: Option<(u8, u8)> = None;
    let mut first = true;
    let mut flush = |f: &mut fmt::Formatter<'_>, (a, b): (u8, u8)| -> fmt::Result {
        if !first {
            f.write_str(",")?;
        }
        first = false;
        if a == b {
            write!(f, "{a}")
        } else {
            write!(f, "{a}-{b}")
        }
    };
    for t in ids {
        run = match run {
            Some((a, b)) if b.checked_add(1) == Some(t) => Some((a, t)),
            Some(r) => {
                flush(f, r)?;
                Some((t, t))
            }
            None => Some((t, t)),
        };
    }
    match run {
        Some(r) => flush(f, r),
        None => f.write_str("none"),
    }
}

fn fmt_ids<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    items: impl Iterator<Item = Result<T>>,
) -> fmt::Result {
    let mut items = items.peekable();
    if items.peek().is_none() {
        return f.write_str(" none");
    }
    crate::codec::fmt_items(f, items, "", " ", |f, i| i.fmt(f))
}

fn fmt_prop_name(f: &mut fmt::Formatter<'_>, ty: TableFeaturePropType) -> fmt::Result {
    match ty.name() {
        Some(n) => write_lower(f, n)?,
        None => write!(f, "prop{}", ty.0)?,
    }
    f.write_str(":")
}

impl fmt::Display for TableFeaturePropView<'_> {
    /// A short form: the property's name in lower case and its IDs separated by spaces
    /// (`apply_actions: output group set_field`, `next_tables: 1-254`,
    /// `match: in_port metadata/mask eth_dst/mask`), experimenter and unknown properties with
    /// their data in hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_prop_name(f, self.prop_type())?;
        match self {
            Self::Instructions { ids, .. } => fmt_ids(f, ids.clone()),
            Self::NextTables { table_ids, .. } => {
                f.write_str(" ")?;
                fmt_table_ids(f, table_ids.iter().copied())
            }
            Self::WriteActions { ids, .. } | Self::ApplyActions { ids, .. } => {
                fmt_ids(f, ids.clone())
            }
            Self::Match(ids)
            | Self::Wildcards(ids)
            | Self::WriteSetfield { ids, .. }
            | Self::ApplySetfield { ids, .. } => fmt_ids(f, ids.clone()),
            Self::Experimenter {
                experimenter,
                exp_type,
                data,
                ..
            } => {
                write!(
                    f,
                    " experimenter={experimenter:#x} exp_type={exp_type} data="
                )?;
                fmt_hex(f, data)
            }
            Self::Unknown { data, .. } => {
                f.write_str(" data=")?;
                fmt_hex(f, data)
            }
        }
    }
}

impl fmt::Display for TableFeatureProp {
    /// As [`TableFeaturePropView`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_prop_name(f, self.prop_type())?;
        match self {
            Self::Instructions { ids, .. } => fmt_ids(f, ids.iter().map(Ok)),
            Self::NextTables { table_ids, .. } => {
                f.write_str(" ")?;
                fmt_table_ids(f, table_ids.iter().map(|t| t.0))
            }
            Self::WriteActions { ids, .. } | Self::ApplyActions { ids, .. } => {
                fmt_ids(f, ids.iter().map(Ok))
            }
            Self::Match(ids)
            | Self::Wildcards(ids)
            | Self::WriteSetfield { ids, .. }
            | Self::ApplySetfield { ids, .. } => fmt_ids(f, ids.iter().map(Ok)),
            Self::Experimenter {
                experimenter,
                exp_type,
                data,
                ..
            } => {
                write!(
                    f,
                    " experimenter={experimenter:#x} exp_type={exp_type} data="
                )?;
                fmt_hex(f, data)
            }
            Self::Unknown { data, .. } => {
                f.write_str(" data=")?;
                fmt_hex(f, data)
            }
        }
    }
}

fn fmt_table_header(
    f: &mut fmt::Formatter<'_>,
    table_id: TableId,
    name: &str,
    metadata_match: u64,
    metadata_write: u64,
    config: TableConfig,
    max_entries: u32,
) -> fmt::Result {
    write!(
        f,
        "table {} (\"{}\"): metadata: match={:#x} write={:#x}",
        table_id.0,
        name.escape_debug(),
        metadata_match,
        metadata_write
    )?;
    if config.0 != 0 {
        write!(f, ", config={:#x}", config.0)?;
    }
    write!(f, ", max_entries={max_entries}")
}

impl fmt::Display for TableFeaturesView<'_> {
    /// A short one-line form, close to ovs-ofctl's headings:
    /// `table 0 ("classifier"): metadata: match=0xffffffffffffffff write=0xffffffffffffffff,
    /// max_entries=1000000; instructions: meter apply_actions ...; next_tables: 1-253; ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_table_header(
            f,
            self.table_id,
            self.name(),
            self.metadata_match,
            self.metadata_write,
            self.config,
            self.max_entries,
        )?;
        crate::codec::fmt_items(f, self.properties.clone(), "", "; ", |f, p| p.fmt(f))
    }
}

impl fmt::Display for TableFeatures {
    /// As [`TableFeaturesView`]'s `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_table_header(
            f,
            self.table_id,
            self.name(),
            self.metadata_match,
            self.metadata_write,
            self.config,
            self.max_entries,
        )?;
        for p in &self.properties {
            write!(f, "; {p}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod test_support;

impl fmt::Display for OxmIdsView<'_> {
    /// The IDs separated by commas, as in [`TableFeatureProp`]'s `Display`; an ID that fails
    /// its checks prints as `<error: ...>` and ends the list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::codec::fmt_list(f, self.clone(), ",")
    }
}

impl fmt::Display for TableFeaturePropsView<'_> {
    /// One property per line, as in [`TableFeatures`]'s `Display`; a property that fails its
    /// checks prints as `<error: ...>` and ends the list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::codec::fmt_list(f, self.clone(), "\n")
    }
}

#[cfg(test)]
mod tests;
