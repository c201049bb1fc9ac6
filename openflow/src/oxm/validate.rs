//! [`Match::validate`] and [`Match::validate_with`]: prerequisites, duplicates, masks and
//! value widths, under the OpenFlow 1.3 specification's rules or Open vSwitch's.

use super::*;
use crate::error_message::BadMatchCode;

/// Which switch's rules [`Match::validate_with`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MatchRules {
    /// The OpenFlow 1.3 specification (§7.2.3.6-8, Tables 11 and 12): the 40 basic fields,
    /// masks only where Table 12 allows them, prerequisites as Table 12 states them (an ICMPv4
    /// field needs `ip_proto=1`, which needs an IP `eth_type`), before the field.
    #[default]
    OpenFlow13,
    /// What Open vSwitch 3.1 accepts in an OpenFlow 1.3 FLOW_MOD, and with which
    /// `OFPET_BAD_MATCH` code it refuses the rest (its `lib/nx-match.c` and `lib/meta-flow`
    /// rules, compared flow by flow with a running Open vSwitch in the tests):
    /// - masks on more fields than the spec: TCP, UDP and SCTP ports and the neighbour
    ///   discovery fields take any mask; a mask of all zeros or all ones is accepted on every
    ///   field (all zeros leaves the field out, so a later repeat is not a duplicate);
    /// - fields it does not implement are `OFPBMC_BAD_FIELD`: `in_phy_port`, `pbb_isid`,
    ///   `ipv6_exthdr`, unknown field numbers and lengths that fit no field; it knows three
    ///   basic fields of later versions: `tcp_flags` (42), `actset_output` (43) and
    ///   `packet_type` (44);
    /// - prerequisites read the values matched so far: ICMPv4 fields need `eth_type=0x0800`,
    ///   ICMPv6 fields `eth_type=0x86dd`, ARP fields take RARP (`eth_type=0x8035`) too,
    ///   neighbour discovery fields need `icmpv6_code` 0 when an earlier field sets it;
    /// - values: `arp_op` fits 8 bits, `in_port` is below `0xff00` or a reserved port
    ///   (`0xffffff00` and up).
    ///
    /// Fields of other classes (Nicira's, experimenters') are checked for duplicates only.
    OpenVswitch,
}

/// Why [`Match::validate`] or [`Match::validate_with`] refuses a match. `index` is the position
/// of the offending field in [`Match::fields`], `header` its OXM header; [`MatchError::code`]
/// is the `OFPET_BAD_MATCH` code a switch answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MatchError {
    /// The same field appears twice (OVS: `OFPBMC_DUP_FIELD`).
    #[error("field {index} ({header}) repeats field {first}")]
    Duplicate {
        /// The second occurrence.
        index: usize,
        /// Its header.
        header: OxmHeader,
        /// The first occurrence.
        first: usize,
    },
    /// A prerequisite of the field (spec §7.2.3.6, Table 12) is not in the match, or has
    /// another value (OVS: `OFPBMC_BAD_PREREQ`).
    #[error("field {index} ({header}) needs {requires}")]
    MissingPrerequisite {
        /// The field.
        index: usize,
        /// Its header.
        header: OxmHeader,
        /// The prerequisite, in the spec's words (`"eth_type=0x0800"`).
        requires: &'static str,
    },
    /// The prerequisite is there, but after the field; the spec wants prerequisites first.
    #[error("field {index} ({header}) needs {requires} before it, found at field {at}")]
    PrerequisiteAfter {
        /// The field.
        index: usize,
        /// Its header.
        header: OxmHeader,
        /// The prerequisite.
        requires: &'static str,
        /// Where the prerequisite is.
        at: usize,
    },
    /// The value has 1 bits where the mask has 0 bits (OVS: `OFPBMC_BAD_WILDCARDS`).
    #[error("field {index} ({header}): value has bits set outside the mask")]
    ValueOutsideMask {
        /// The field.
        index: usize,
        /// Its header.
        header: OxmHeader,
    },
    /// The value has bits beyond the field's width: a `vlan_pcp` above 7, a `vlan_vid`
    /// above `0x1fff`, ... (OVS: `OFPBMC_BAD_VALUE`). Masks may be wider (OVS ignores the
    /// extra bits).
    #[error("field {index} ({header}): value wider than the field's {bits} bits")]
    TooWide {
        /// The field.
        index: usize,
        /// Its header.
        header: OxmHeader,
        /// The field's width.
        bits: u32,
    },
    /// A basic-class TLV that could not be typed: unknown field number, wrong length, or a
    /// mask on a field that allows none (OVS: `OFPBMC_BAD_FIELD` / `OFPBMC_BAD_LEN` /
    /// `OFPBMC_BAD_MASK`).
    #[error("field {index} ({header}): {reason}")]
    MalformedBasic {
        /// The field.
        index: usize,
        /// Its header.
        header: OxmHeader,
        /// What is wrong.
        reason: &'static str,
    },
    /// An experimenter TLV too short for its 4-byte experimenter id.
    #[error("field {index} ({header}): experimenter OXM shorter than its experimenter id")]
    ShortExperimenter {
        /// The field.
        index: usize,
        /// Its header.
        header: OxmHeader,
    },
    /// A basic-class field the rules do not know in this form: under
    /// [`MatchRules::OpenVswitch`], a field Open vSwitch does not implement (`in_phy_port`,
    /// `pbb_isid`, `ipv6_exthdr`), an unknown field number, or a length that fits no field
    /// (OVS: `OFPBMC_BAD_FIELD`).
    #[error("field {index} ({header}): field not supported")]
    UnknownField {
        /// The field.
        index: usize,
        /// Its header.
        header: OxmHeader,
    },
    /// A mask on a field that allows none, other than all zeros or all ones, under
    /// [`MatchRules::OpenVswitch`] (OVS: `OFPBMC_BAD_MASK`).
    #[error("field {index} ({header}): mask on a field that allows none")]
    BadMask {
        /// The field.
        index: usize,
        /// Its header.
        header: OxmHeader,
    },
    /// A value the rules refuse for another reason than its width: under
    /// [`MatchRules::OpenVswitch`], a port between `0xff00` and `0xfffffeff`
    /// (OVS: `OFPBMC_BAD_VALUE`).
    #[error("field {index} ({header}): {reason}")]
    BadValue {
        /// The field.
        index: usize,
        /// Its header.
        header: OxmHeader,
        /// What is wrong.
        reason: &'static str,
    },
}

impl MatchError {
    /// The `OFPET_BAD_MATCH` code a switch answers this problem with (Open vSwitch's, checked
    /// against a running one for [`MatchRules::OpenVswitch`]; the spec's names otherwise).
    pub fn code(&self) -> BadMatchCode {
        match self {
            MatchError::Duplicate { .. } => BadMatchCode::DUP_FIELD,
            MatchError::MissingPrerequisite { .. } | MatchError::PrerequisiteAfter { .. } => {
                BadMatchCode::BAD_PREREQ
            }
            MatchError::ValueOutsideMask { .. } => BadMatchCode::BAD_WILDCARDS,
            MatchError::TooWide { .. } | MatchError::BadValue { .. } => BadMatchCode::BAD_VALUE,
            MatchError::MalformedBasic { reason, .. } => match *reason {
                REASON_UNKNOWN => BadMatchCode::BAD_FIELD,
                REASON_MASK => BadMatchCode::BAD_MASK,
                _ => BadMatchCode::BAD_LEN,
            },
            MatchError::ShortExperimenter { .. } => BadMatchCode::BAD_LEN,
            MatchError::UnknownField { .. } => BadMatchCode::BAD_FIELD,
            MatchError::BadMask { .. } => BadMatchCode::BAD_MASK,
        }
    }

    /// The position of the offending field in [`Match::fields`].
    pub fn index(&self) -> usize {
        match *self {
            MatchError::Duplicate { index, .. }
            | MatchError::MissingPrerequisite { index, .. }
            | MatchError::PrerequisiteAfter { index, .. }
            | MatchError::ValueOutsideMask { index, .. }
            | MatchError::TooWide { index, .. }
            | MatchError::MalformedBasic { index, .. }
            | MatchError::ShortExperimenter { index, .. }
            | MatchError::UnknownField { index, .. }
            | MatchError::BadMask { index, .. }
            | MatchError::BadValue { index, .. } => index,
        }
    }
}

const REASON_UNKNOWN: &str = "unknown OpenFlow-basic field";
const REASON_MASK: &str = "mask on a field that allows none";
const REASON_LEN: &str = "length does not fit the field's type";

/// A prerequisite: some earlier field must satisfy `test`.
struct Prereq {
    test: fn(&OxmField) -> bool,
    text: &'static str,
}

const fn pre(test: fn(&OxmField) -> bool, text: &'static str) -> Prereq {
    Prereq { test, text }
}

fn eth_type_is(f: &OxmField, types: &[u16]) -> bool {
    matches!(f, OxmField::EthType(t) if types.contains(t))
}

fn ip_proto_is(f: &OxmField, p: u8) -> bool {
    matches!(f, OxmField::IpProto(x) if *x == p)
}

const ETH_IP: Prereq = pre(
    |f| eth_type_is(f, &[0x0800, 0x86dd]),
    "eth_type=0x0800 or eth_type=0x86dd",
);
const ETH_IPV4: Prereq = pre(|f| eth_type_is(f, &[0x0800]), "eth_type=0x0800");
const ETH_IPV6: Prereq = pre(|f| eth_type_is(f, &[0x86dd]), "eth_type=0x86dd");
const ETH_ARP: Prereq = pre(|f| eth_type_is(f, &[0x0806]), "eth_type=0x0806");
const ETH_MPLS: Prereq = pre(
    |f| eth_type_is(f, &[0x8847, 0x8848]),
    "eth_type=0x8847 or eth_type=0x8848",
);
const ETH_PBB: Prereq = pre(|f| eth_type_is(f, &[0x88e7]), "eth_type=0x88e7");
const PROTO_TCP: Prereq = pre(|f| ip_proto_is(f, 6), "ip_proto=6");
const PROTO_UDP: Prereq = pre(|f| ip_proto_is(f, 17), "ip_proto=17");
const PROTO_SCTP: Prereq = pre(|f| ip_proto_is(f, 132), "ip_proto=132");
const PROTO_ICMP: Prereq = pre(|f| ip_proto_is(f, 1), "ip_proto=1");
const PROTO_ICMPV6: Prereq = pre(|f| ip_proto_is(f, 58), "ip_proto=58");

const IN_PORT_ANY: Prereq = pre(|f| matches!(f, OxmField::InPort(_)), "in_port");
const VLAN_PRESENT: Prereq = pre(
    |f| matches!(f, OxmField::VlanVid(v, m) if v & m.unwrap_or(u16::MAX) & OFPVID_PRESENT != 0),
    "vlan_vid with OFPVID_PRESENT (vlan_vid!=NONE)",
);
const ND_ANY: Prereq = pre(
    |f| matches!(f, OxmField::Icmpv6Type(135 | 136)),
    "icmpv6_type=135 or icmpv6_type=136",
);
const ND_NS: Prereq = pre(
    |f| matches!(f, OxmField::Icmpv6Type(135)),
    "icmpv6_type=135",
);
const ND_NA: Prereq = pre(
    |f| matches!(f, OxmField::Icmpv6Type(136)),
    "icmpv6_type=136",
);

/// The prerequisites of a typed field, as Table 12 of the spec states them (an ICMPv4 field
/// needs `ip_proto=1`, whose own prerequisite is an IP `eth_type`: the spec allows
/// `ip_proto=1` over IPv6, Open vSwitch does not).
fn prerequisites(f: &OxmField) -> &'static [Prereq] {
    match f {
        OxmField::InPhyPort(_) => &[IN_PORT_ANY],
        OxmField::VlanPcp(_) => &[VLAN_PRESENT],
        OxmField::IpDscp(_) | OxmField::IpEcn(_) | OxmField::IpProto(_) => &[ETH_IP],
        OxmField::Ipv4Src(..) | OxmField::Ipv4Dst(..) => &[ETH_IPV4],
        OxmField::TcpSrc(_) | OxmField::TcpDst(_) => &[PROTO_TCP],
        OxmField::UdpSrc(_) | OxmField::UdpDst(_) => &[PROTO_UDP],
        OxmField::SctpSrc(_) | OxmField::SctpDst(_) => &[PROTO_SCTP],
        OxmField::Icmpv4Type(_) | OxmField::Icmpv4Code(_) => &[PROTO_ICMP],
        OxmField::ArpOp(_)
        | OxmField::ArpSpa(..)
        | OxmField::ArpTpa(..)
        | OxmField::ArpSha(..)
        | OxmField::ArpTha(..) => &[ETH_ARP],
        OxmField::Ipv6Src(..)
        | OxmField::Ipv6Dst(..)
        | OxmField::Ipv6Flabel(..)
        | OxmField::Ipv6Exthdr(..) => &[ETH_IPV6],
        OxmField::Icmpv6Type(_) | OxmField::Icmpv6Code(_) => &[PROTO_ICMPV6],
        OxmField::Ipv6NdTarget(_) => &[ND_ANY],
        OxmField::Ipv6NdSll(_) => &[ND_NS],
        OxmField::Ipv6NdTll(_) => &[ND_NA],
        OxmField::MplsLabel(_) | OxmField::MplsTc(_) | OxmField::MplsBos(_) => &[ETH_MPLS],
        OxmField::PbbIsid(..) => &[ETH_PBB],
        _ => &[],
    }
}

/// Why a basic-class TLV stayed raw.
fn malformed_reason(r: &RawOxm) -> &'static str {
    match basic_field_info(r.field) {
        None => REASON_UNKNOWN,
        Some(i) if r.hasmask && !i.maskable => REASON_MASK,
        Some(_) => REASON_LEN,
    }
}

impl Match {
    /// Checks the match against the OpenFlow 1.3 specification: the same as
    /// [`validate_with(MatchRules::OpenFlow13)`](Match::validate_with).
    pub fn validate(&self) -> Result<(), MatchError> {
        self.validate_with(MatchRules::OpenFlow13)
    }

    /// Checks the match as a switch following `rules` would, stopping at the first problem
    /// (its [`MatchError::code`] is the switch's `OFPBMC_*` answer).
    ///
    /// [`MatchRules::OpenFlow13`] (spec §7.2.3.6-8):
    /// - basic-class TLVs are well formed (known field, right length, mask only where Table 12
    ///   allows one), experimenter TLVs hold their experimenter id;
    /// - no field appears twice;
    /// - values fit the field's width (`vlan_vid` 13 bits, `vlan_pcp` 3, ...) and masked
    ///   values have no 1 bits outside their mask;
    /// - every prerequisite of Table 12 is present with the right value and comes before the
    ///   field (`eth_type=0x0800` before `ipv4_src`, `ip_proto=6` before `tcp_src`, `vlan_vid`
    ///   with `OFPVID_PRESENT` before `vlan_pcp`, ...).
    ///
    /// [`MatchRules::OpenVswitch`]: what Open vSwitch 3.1 accepts, in the order it checks
    /// each field (mask consistency, field, mask, value, prerequisites, duplicates); see
    /// [`MatchRules::OpenVswitch`] for where it departs from the spec.
    ///
    /// Fields of other classes (Nicira's, experimenters') are checked for duplicates only.
    /// Parsing never calls this: a received match is kept as it is.
    pub fn validate_with(&self, rules: MatchRules) -> Result<(), MatchError> {
        match rules {
            MatchRules::OpenFlow13 => self.validate_spec(),
            MatchRules::OpenVswitch => ovs::validate(&self.fields),
        }
    }

    fn validate_spec(&self) -> Result<(), MatchError> {
        for (index, f) in self.fields.iter().enumerate() {
            let header = f.header();
            if let OxmField::Raw(r) = f {
                if r.class == OFPXMC_OPENFLOW_BASIC {
                    return Err(MatchError::MalformedBasic {
                        index,
                        header,
                        reason: malformed_reason(r),
                    });
                }
                if r.class == OFPXMC_EXPERIMENTER && r.experimenter().is_none() {
                    return Err(MatchError::ShortExperimenter { index, header });
                }
            }
            if let Some(first) = self
                .fields
                .iter()
                .take(index)
                .position(|g| same_field(f, g))
            {
                return Err(MatchError::Duplicate {
                    index,
                    header,
                    first,
                });
            }
            if let Some((v, m, bits)) = f.value_bits() {
                let over = |x: u128| bits < 128 && x >> bits != 0;
                if over(v) {
                    return Err(MatchError::TooWide {
                        index,
                        header,
                        bits,
                    });
                }
                // Masks may have bits beyond the field (OVS accepts a vlan_vid mask of 0xffff).
                if let Some(m) = m {
                    if v & !m != 0 {
                        return Err(MatchError::ValueOutsideMask { index, header });
                    }
                }
            }
            for p in prerequisites(f) {
                let before = self.fields.iter().take(index).any(|g| (p.test)(g));
                if before {
                    continue;
                }
                if let Some(at) = self.fields.iter().skip(index + 1).position(|g| (p.test)(g)) {
                    return Err(MatchError::PrerequisiteAfter {
                        index,
                        header,
                        requires: p.text,
                        at: index + 1 + at,
                    });
                }
                return Err(MatchError::MissingPrerequisite {
                    index,
                    header,
                    requires: p.text,
                });
            }
        }
        Ok(())
    }
}

/// Same class and field (and experimenter): a duplicate.
fn same_field(f: &OxmField, g: &OxmField) -> bool {
    g.class() == f.class() && g.field() == f.field() && g.experimenter() == f.experimenter()
}

/// Open vSwitch 3.1's rules (`lib/nx-match.c` `nx_pull_raw`, `lib/meta-flow.c`).
mod ovs {
    use super::*;

    /// OVS's prerequisite classes (`enum mf_prereqs`) for the basic fields it knows.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Pre {
        None,
        Ethernet,
        Vlan,
        Ipv4,
        Ipv6,
        IpAny,
        Arp,
        Mpls,
        Tcp,
        Udp,
        Sctp,
        Icmpv4,
        Icmpv6,
        Nd,
        NdSolicit,
        NdAdvert,
    }

    impl Pre {
        fn text(self) -> &'static str {
            match self {
                Pre::None => "",
                Pre::Ethernet => "packet_type=Ethernet",
                Pre::Vlan => "vlan_vid with OFPVID_PRESENT (vlan_vid!=NONE)",
                Pre::Ipv4 => "eth_type=0x0800",
                Pre::Ipv6 => "eth_type=0x86dd",
                Pre::IpAny => "eth_type=0x0800 or eth_type=0x86dd",
                Pre::Arp => "eth_type=0x0806 or eth_type=0x8035",
                Pre::Mpls => "eth_type=0x8847 or eth_type=0x8848",
                Pre::Tcp => "eth_type=0x0800 or eth_type=0x86dd, then ip_proto=6",
                Pre::Udp => "eth_type=0x0800 or eth_type=0x86dd, then ip_proto=17",
                Pre::Sctp => "eth_type=0x0800 or eth_type=0x86dd, then ip_proto=132",
                Pre::Icmpv4 => "eth_type=0x0800, then ip_proto=1",
                Pre::Icmpv6 => "eth_type=0x86dd, then ip_proto=58",
                Pre::Nd => "ICMPv6 with icmpv6_type=135 or 136 and icmpv6_code=0",
                Pre::NdSolicit => "ICMPv6 with icmpv6_type=135 and icmpv6_code=0",
                Pre::NdAdvert => "ICMPv6 with icmpv6_type=136 and icmpv6_code=0",
            }
        }
    }

    /// What OVS knows of a basic field: value length, maskability, significant bits,
    /// prerequisite.
    struct Info {
        len: usize,
        maskable: bool,
        bits: u32,
        pre: Pre,
    }

    const fn i(len: usize, maskable: bool, bits: u32, pre: Pre) -> Option<Info> {
        Some(Info {
            len,
            maskable,
            bits,
            pre,
        })
    }

    /// The basic fields OVS 3.1 maps in OpenFlow 1.3 (`meta-flow.h`'s OXM assignments).
    fn info(field: u8) -> Option<Info> {
        match field {
            ofb::IN_PORT => i(4, false, 32, Pre::None),
            ofb::METADATA => i(8, true, 64, Pre::None),
            ofb::ETH_DST | ofb::ETH_SRC => i(6, true, 48, Pre::Ethernet),
            ofb::ETH_TYPE => i(2, false, 16, Pre::Ethernet),
            ofb::VLAN_VID => i(2, true, 13, Pre::Ethernet),
            ofb::VLAN_PCP => i(1, false, 3, Pre::Vlan),
            ofb::IP_DSCP => i(1, false, 6, Pre::IpAny),
            ofb::IP_ECN => i(1, false, 2, Pre::IpAny),
            ofb::IP_PROTO => i(1, false, 8, Pre::IpAny),
            ofb::IPV4_SRC | ofb::IPV4_DST => i(4, true, 32, Pre::Ipv4),
            ofb::TCP_SRC | ofb::TCP_DST => i(2, true, 16, Pre::Tcp),
            ofb::UDP_SRC | ofb::UDP_DST => i(2, true, 16, Pre::Udp),
            ofb::SCTP_SRC | ofb::SCTP_DST => i(2, true, 16, Pre::Sctp),
            ofb::ICMPV4_TYPE | ofb::ICMPV4_CODE => i(1, false, 8, Pre::Icmpv4),
            ofb::ARP_OP => i(2, false, 8, Pre::Arp),
            ofb::ARP_SPA | ofb::ARP_TPA => i(4, true, 32, Pre::Arp),
            ofb::ARP_SHA | ofb::ARP_THA => i(6, true, 48, Pre::Arp),
            ofb::IPV6_SRC | ofb::IPV6_DST => i(16, true, 128, Pre::Ipv6),
            ofb::IPV6_FLABEL => i(4, true, 20, Pre::Ipv6),
            ofb::ICMPV6_TYPE | ofb::ICMPV6_CODE => i(1, false, 8, Pre::Icmpv6),
            ofb::IPV6_ND_TARGET => i(16, true, 128, Pre::Nd),
            ofb::IPV6_ND_SLL => i(6, true, 48, Pre::NdSolicit),
            ofb::IPV6_ND_TLL => i(6, true, 48, Pre::NdAdvert),
            ofb::MPLS_LABEL => i(4, false, 20, Pre::Mpls),
            ofb::MPLS_TC => i(1, false, 3, Pre::Mpls),
            ofb::MPLS_BOS => i(1, false, 1, Pre::Mpls),
            ofb::TUNNEL_ID => i(8, true, 64, Pre::None),
            TCP_FLAGS => i(2, true, 12, Pre::Tcp),
            ACTSET_OUTPUT => i(4, false, 32, Pre::None),
            PACKET_TYPE => i(4, false, 32, Pre::None),
            // in_phy_port, pbb_isid, ipv6_exthdr and the rest: not implemented.
            _ => None,
        }
    }

    /// `OXM_OF_TCP_FLAGS` (OpenFlow 1.5's number, which OVS takes in 1.3 too).
    const TCP_FLAGS: u8 = 42;
    /// `OXM_OF_ACTSET_OUTPUT` (OpenFlow 1.5).
    const ACTSET_OUTPUT: u8 = 43;
    /// `OXM_OF_PACKET_TYPE` (OpenFlow 1.5).
    const PACKET_TYPE: u8 = 44;

    /// A TLV's value and mask as integers (for fields of at most 16 bytes), with the value's
    /// width in bytes as OVS computes it (half the payload when masked).
    fn value_mask(f: &OxmField) -> Option<(usize, u128, Option<u128>)> {
        if let Some((v, m, _)) = f.value_bits() {
            let len = basic_field_info(f.field()).map_or(0, |i| i.len);
            return Some((len, v, m));
        }
        let OxmField::Raw(r) = f else { return None };
        let (v, m) = r.value_mask();
        let width = if r.hasmask {
            v.len().min(m.map_or(0, <[u8]>::len))
        } else {
            v.len()
        };
        let int = |b: &[u8]| -> Option<u128> {
            (b.len() <= 16).then(|| b.iter().fold(0u128, |a, &x| (a << 8) | u128::from(x)))
        };
        let value = int(v.get(..width)?)?;
        let mask = match m {
            Some(m) => Some(int(m.get(..width)?)?),
            None => None,
        };
        Some((width, value, mask))
    }

    /// The low 16 bits (the values here were checked to fit their field).
    fn low16(v: u128) -> u16 {
        u16::try_from(v & 0xffff).unwrap_or(0)
    }

    /// The values of the match so far that OVS's prerequisites read (`struct flow`): zero
    /// where nothing matched.
    #[derive(Default)]
    struct Flow {
        packet_type: Option<(u32, usize)>,
        dl_type: u16,
        nw_proto: u8,
        /// The VLAN TCI and its mask, OVS's way (`OFPVID_PRESENT` is its CFI bit).
        tci: u16,
        tci_mask: u16,
        tp_src: u16,
        tp_dst: u16,
    }

    impl Flow {
        fn dl_type(&self) -> u16 {
            match self.packet_type {
                // An "ethertype" packet type (namespace 1) carries the type itself.
                Some((p, _)) if p >> 16 == 1 => low16(u128::from(p)),
                _ => self.dl_type,
            }
        }

        fn ok(&self, pre: Pre) -> bool {
            let ip_any = matches!(self.dl_type(), 0x0800 | 0x86dd);
            let icmpv6 = self.dl_type() == 0x86dd && self.nw_proto == 58;
            let nd = icmpv6 && self.tp_dst == 0 && matches!(self.tp_src, 135 | 136);
            match pre {
                Pre::None => true,
                Pre::Ethernet => self.packet_type.is_none_or(|(p, _)| p == 0),
                Pre::Vlan => self.tci & OFPVID_PRESENT != 0,
                Pre::Ipv4 => self.dl_type() == 0x0800,
                Pre::Ipv6 => self.dl_type() == 0x86dd,
                Pre::IpAny => ip_any,
                Pre::Arp => matches!(self.dl_type(), 0x0806 | 0x8035),
                Pre::Mpls => matches!(self.dl_type(), 0x8847 | 0x8848),
                Pre::Tcp => ip_any && self.nw_proto == 6,
                Pre::Udp => ip_any && self.nw_proto == 17,
                Pre::Sctp => ip_any && self.nw_proto == 132,
                Pre::Icmpv4 => self.dl_type() == 0x0800 && self.nw_proto == 1,
                Pre::Icmpv6 => icmpv6,
                Pre::Nd => nd,
                Pre::NdSolicit => nd && self.tp_src == 135,
                Pre::NdAdvert => nd && self.tp_src == 136,
            }
        }

        /// Records `vlan_vid` or `vlan_pcp` with mask `m` (zero: wildcarded), as `mf_set`
        /// does: wildcarding one of the two when the other is not matched clears the whole
        /// TCI, `OFPVID_PRESENT` included.
        fn set_vlan(&mut self, field: u8, v: u16, m: u16) {
            const PCP: u16 = 0xe000;
            const VID: u16 = 0x0fff;
            const VID_PRESENT: u16 = VID | OFPVID_PRESENT;
            let (mine, other) = if field == ofb::VLAN_VID {
                (VID_PRESENT, PCP)
            } else {
                (PCP, VID)
            };
            if m != 0 {
                let (v, m) = if field == ofb::VLAN_VID {
                    (v & m & VID_PRESENT, m & VID_PRESENT)
                } else {
                    ((v << 13) | OFPVID_PRESENT, PCP | OFPVID_PRESENT)
                };
                self.tci = (self.tci & !m) | v;
                self.tci_mask |= m;
            } else if self.tci_mask & other != 0 {
                let clear = mine & !OFPVID_PRESENT;
                self.tci &= !clear;
                self.tci_mask &= !clear;
            } else {
                self.tci = 0;
                self.tci_mask = 0;
            }
        }

        /// Whether OVS sees the VLAN field as already matched (`mf_is_all_wild`).
        fn vlan_set(&self, field: u8) -> bool {
            let bits = if field == ofb::VLAN_VID {
                0x1fff
            } else {
                0xe000
            };
            self.tci_mask & bits != 0
        }

        /// Records field `index` (value already masked), as `mf_set` does.
        fn set(&mut self, index: usize, field: u8, v: u128, pre: Pre) {
            let v16 = low16(v);
            match field {
                ofb::ETH_TYPE => self.dl_type = v16,
                ofb::IP_PROTO => self.nw_proto = u8::try_from(v & 0xff).unwrap_or(0),
                ofb::TCP_SRC | ofb::UDP_SRC | ofb::SCTP_SRC => self.tp_src = v16,
                ofb::TCP_DST | ofb::UDP_DST | ofb::SCTP_DST => self.tp_dst = v16,
                ofb::ICMPV4_TYPE | ofb::ICMPV6_TYPE => self.tp_src = v16,
                ofb::ICMPV4_CODE | ofb::ICMPV6_CODE => self.tp_dst = v16,
                PACKET_TYPE => {
                    self.packet_type = Some((u32::try_from(v & 0xffff_ffff).unwrap_or(0), index));
                }
                _ => {}
            }
            // A field with prerequisites pins the packet type to Ethernet
            // (`match_add_ethernet_prereq`).
            if pre != Pre::None && self.packet_type.is_none() {
                self.packet_type = Some((0, index));
            }
        }
    }

    pub(super) fn validate(fields: &[OxmField]) -> Result<(), MatchError> {
        let mut flow = Flow::default();
        // Per basic field number: where it was set with a mask that is not all zeros.
        let mut set_at: [Option<usize>; 64] = [None; 64];
        for (index, f) in fields.iter().enumerate() {
            let header = f.header();
            if f.class() == OFPXMC_EXPERIMENTER && f.experimenter().is_none() {
                return Err(MatchError::ShortExperimenter { index, header });
            }
            let vm = value_mask(f);
            if let Some((_, v, Some(m))) = vm {
                if v & !m != 0 {
                    return Err(MatchError::ValueOutsideMask { index, header });
                }
            }
            if f.class() != OFPXMC_OPENFLOW_BASIC {
                if let Some(first) = fields.iter().take(index).position(|g| same_field(f, g)) {
                    return Err(MatchError::Duplicate {
                        index,
                        header,
                        first,
                    });
                }
                continue;
            }
            let field = f.field();
            let (info, (width, v, m)) = match (info(field), vm) {
                (Some(i), Some(vm)) if vm.0 == i.len => (i, vm),
                _ => return Err(MatchError::UnknownField { index, header }),
            };
            let all = if width >= 16 {
                u128::MAX
            } else {
                (1u128 << (8 * width)) - 1
            };
            let m = m.unwrap_or(all);
            if !info.maskable && m != 0 && m != all {
                return Err(MatchError::BadMask { index, header });
            }
            if info.bits < 128 && v >> info.bits != 0 {
                return Err(MatchError::TooWide {
                    index,
                    header,
                    bits: info.bits,
                });
            }
            if matches!(field, ofb::IN_PORT | ACTSET_OUTPUT) && (0xff00..0xffff_ff00).contains(&v) {
                return Err(MatchError::BadValue {
                    index,
                    header,
                    reason: "port outside 0 to 0xfeff and 0xffffff00 to 0xffffffff",
                });
            }
            if !flow.ok(info.pre) {
                return Err(prerequisite_error(fields, index, header, info.pre));
            }
            let first = match field {
                PACKET_TYPE => flow.packet_type.map(|(_, at)| at),
                ofb::VLAN_VID | ofb::VLAN_PCP if !flow.vlan_set(field) => None,
                _ => set_at.get(usize::from(field)).copied().flatten(),
            };
            if let Some(first) = first {
                return Err(MatchError::Duplicate {
                    index,
                    header,
                    first,
                });
            }
            if matches!(field, ofb::VLAN_VID | ofb::VLAN_PCP) {
                flow.set_vlan(field, low16(v), low16(m));
            }
            if m != 0 {
                if let Some(s) = set_at.get_mut(usize::from(field)) {
                    *s = Some(index);
                }
                flow.set(index, field, v & m, info.pre);
            }
        }
        Ok(())
    }

    /// `MissingPrerequisite`, or `PrerequisiteAfter` when the fields after `index` would
    /// satisfy it.
    fn prerequisite_error(
        fields: &[OxmField],
        index: usize,
        header: OxmHeader,
        pre: Pre,
    ) -> MatchError {
        let requires = pre.text();
        // Replay the match without the field, stopping where the prerequisite holds.
        let mut flow = Flow::default();
        for (at, g) in fields.iter().enumerate() {
            if at == index || g.class() != OFPXMC_OPENFLOW_BASIC {
                continue;
            }
            if let (Some(i), Some((_, v, m))) = (info(g.field()), value_mask(g)) {
                let m = m.unwrap_or(u128::MAX);
                if matches!(g.field(), ofb::VLAN_VID | ofb::VLAN_PCP) {
                    flow.set_vlan(g.field(), low16(v), low16(m));
                }
                if m != 0 {
                    flow.set(at, g.field(), v & m, i.pre);
                }
            }
            if at > index && flow.ok(pre) {
                return MatchError::PrerequisiteAfter {
                    index,
                    header,
                    requires,
                    at,
                };
            }
        }
        MatchError::MissingPrerequisite {
            index,
            header,
            requires,
        }
    }
}
