//! [`Match::validate`]: prerequisites (Table 11 of the spec), duplicates, masks and value
//! widths, as OVS checks them.

use super::*;

/// Why [`Match::validate`] refuses a match. `index` is the position of the offending field in
/// [`Match::fields`], `header` its OXM header.
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
}

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

/// The prerequisites of a typed field (Table 12). ICMPv4 and ICMPv6 fields also need the
/// matching `eth_type`, as OVS requires (the spec's transitive rule allows `ip_proto=1` over
/// IPv6, which makes no sense).
fn prerequisites(f: &OxmField) -> &'static [Prereq] {
    match f {
        OxmField::InPhyPort(_) => &[IN_PORT_ANY],
        OxmField::VlanPcp(_) => &[VLAN_PRESENT],
        OxmField::IpDscp(_) | OxmField::IpEcn(_) | OxmField::IpProto(_) => &[ETH_IP],
        OxmField::Ipv4Src(..) | OxmField::Ipv4Dst(..) => &[ETH_IPV4],
        OxmField::TcpSrc(_) | OxmField::TcpDst(_) => &[PROTO_TCP],
        OxmField::UdpSrc(_) | OxmField::UdpDst(_) => &[PROTO_UDP],
        OxmField::SctpSrc(_) | OxmField::SctpDst(_) => &[PROTO_SCTP],
        OxmField::Icmpv4Type(_) | OxmField::Icmpv4Code(_) => &[ETH_IPV4, PROTO_ICMP],
        OxmField::ArpOp(_)
        | OxmField::ArpSpa(..)
        | OxmField::ArpTpa(..)
        | OxmField::ArpSha(..)
        | OxmField::ArpTha(..) => &[ETH_ARP],
        OxmField::Ipv6Src(..)
        | OxmField::Ipv6Dst(..)
        | OxmField::Ipv6Flabel(..)
        | OxmField::Ipv6Exthdr(..) => &[ETH_IPV6],
        OxmField::Icmpv6Type(_) | OxmField::Icmpv6Code(_) => &[ETH_IPV6, PROTO_ICMPV6],
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
        None => "unknown OpenFlow-basic field",
        Some(i) if r.hasmask && !i.maskable => "mask on a field that allows none",
        Some(_) => "length does not fit the field's type",
    }
}

impl Match {
    /// Checks the match as a switch would (spec §7.2.3.6-7, and what OVS refuses), stopping
    /// at the first problem:
    /// - every prerequisite of Table 12 is present with the right value and comes before
    ///   the field (`eth_type=0x0800` before `ipv4_src`, `ip_proto=6` before `tcp_src`,
    ///   `vlan_vid` with `OFPVID_PRESENT` before `vlan_pcp`, ...); as OVS, ICMPv4 fields
    ///   also need `eth_type=0x0800`, ICMPv6 fields `eth_type=0x86dd`, and neighbour
    ///   discovery fields an `icmpv6_code` of 0 if there is one (RFC 4861);
    /// - no field appears twice;
    /// - masked values have no 1 bits outside their mask;
    /// - values fit the field's width (`vlan_vid` 13 bits, `vlan_pcp` 3, ...);
    /// - basic-class TLVs are well formed (known field, right length, mask only where
    ///   allowed), experimenter TLVs hold their experimenter id.
    ///
    /// Fields of other classes (Nicira's, experimenters') are not checked further. Parsing
    /// never calls this: a received match is kept as it is.
    pub fn validate(&self) -> Result<(), MatchError> {
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
            // Duplicates: same class and field (and experimenter).
            let same = |g: &OxmField| {
                g.class() == f.class()
                    && g.field() == f.field()
                    && g.experimenter() == f.experimenter()
            };
            if let Some(first) = self.fields.iter().take(index).position(same) {
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
            // OVS (RFC 4861): neighbour discovery fields need ICMPv6 code 0.
            if matches!(
                f,
                OxmField::Ipv6NdTarget(_) | OxmField::Ipv6NdSll(_) | OxmField::Ipv6NdTll(_)
            ) && self
                .fields
                .iter()
                .any(|g| matches!(g, OxmField::Icmpv6Code(c) if *c != 0))
            {
                return Err(MatchError::MissingPrerequisite {
                    index,
                    header,
                    requires: "icmpv6_code=0 (or no icmpv6_code)",
                });
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
