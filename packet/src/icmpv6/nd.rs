//! Neighbor Discovery bodies and options (RFC 4861).

use super::*;

/// A Neighbor Discovery option, kept as a raw TLV (RFC 4861 §4.6).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NdOption {
    /// Option type ([`NdOption::SLA`], ...).
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub type_: u8,
    /// Length of the whole option in 8-byte units; `None` computes it from `data`.
    pub length: Option<u8>,
    /// The option after its type and length bytes.
    pub data: Vec<u8>,
}

impl NdOption {
    /// Source link-layer address.
    pub const SLA: u8 = 1;
    /// Target link-layer address.
    pub const TLA: u8 = 2;
    /// Prefix information.
    pub const PI: u8 = 3;
    /// Redirected header.
    pub const RH: u8 = 4;
    /// MTU.
    pub const MTU: u8 = 5;

    /// An option of `type_` holding `data` (2 + its length should be a multiple of 8).
    pub fn new(type_: u8, data: impl Into<Vec<u8>>) -> Self {
        NdOption {
            type_,
            length: None,
            data: data.into(),
        }
    }

    /// A source link-layer address option for an Ethernet address.
    pub fn source_link_addr(mac: MacAddr) -> Self {
        Self::new(Self::SLA, mac.octets())
    }

    /// A target link-layer address option for an Ethernet address.
    pub fn target_link_addr(mac: MacAddr) -> Self {
        Self::new(Self::TLA, mac.octets())
    }

    /// An MTU option.
    pub fn mtu(mtu: u32) -> Self {
        let [a, b, c, d] = mtu.to_be_bytes();
        Self::new(Self::MTU, [0, 0, a, b, c, d])
    }

    /// The Ethernet address of a source or target link-layer address option.
    pub fn link_addr(&self) -> Option<MacAddr> {
        match self.type_ {
            Self::SLA | Self::TLA => MacAddr::from_slice(&self.data),
            _ => None,
        }
    }

    pub(super) fn len(&self) -> usize {
        2 + self.data.len()
    }

    pub(super) fn computed_length(&self) -> Option<u8> {
        let n = self.len();
        if n % 8 == 0 {
            u8::try_from(n / 8).ok()
        } else {
            None
        }
    }
}

/// Neighbor solicitation / advertisement body (Ryu's `nd_neighbor`), RFC 4861 §4.3–4.4.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NdNeighbor {
    /// The three top bits of the first word: R, S, O flags of an advertisement
    /// ([`NdNeighbor::ROUTER`], ...).
    pub res: u8,
    /// The 29 reserved bits after them.
    pub reserved: u32,
    /// Target address.
    pub dst: Ipv6Addr,
    /// Options.
    pub options: Vec<NdOption>,
}

impl NdNeighbor {
    /// R flag: the sender is a router.
    pub const ROUTER: u8 = 4;
    /// S flag: sent in response to a solicitation.
    pub const SOLICITED: u8 = 2;
    /// O flag: override an existing cache entry.
    pub const OVERRIDE: u8 = 1;

    pub(super) fn len(&self) -> usize {
        20 + self.options.iter().map(NdOption::len).sum::<usize>()
    }
}

/// Router solicitation body (Ryu's `nd_router_solicit`), RFC 4861 §4.1.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NdRouterSolicit {
    /// The reserved 32 bits.
    pub res: u32,
    /// Options.
    pub options: Vec<NdOption>,
}

/// Router advertisement body (Ryu's `nd_router_advert`), RFC 4861 §4.2.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NdRouterAdvert {
    /// Current hop limit.
    pub ch_l: u8,
    /// M and O flags (the top 2 bits of the flags byte).
    pub res: u8,
    /// The other 6 bits of the flags byte (home agent, router preference, proxy, reserved).
    pub flags: u8,
    /// Router lifetime in seconds.
    pub rou_l: u16,
    /// Reachable time in milliseconds.
    pub rea_t: u32,
    /// Retransmission timer in milliseconds.
    pub ret_t: u32,
    /// Options.
    pub options: Vec<NdOption>,
}

/// Parses the ND options from `off` to the end of `msg`.
/// Walks the ND options from `off` to the end of `msg`, checking every length, and hands each
/// (type, length, data) to `each`. Allocates nothing.
pub(super) fn walk_options(
    msg: &[u8],
    mut off: usize,
    mut each: impl FnMut(u8, u8, &[u8]),
) -> Result<()> {
    while off < msg.len() {
        need(L, msg, off, 2, "ND option")?;
        let length = byte(msg, off + 1);
        let total = usize::from(length) * 8;
        if length == 0 {
            return Err(Error::BadLength {
                layer: L,
                offset: off + 1,
                field: "option length",
                value: 0,
                reason: "an ND option length of 0 is invalid (RFC 4861 §4.6)",
            });
        }
        if total > msg.len() - off {
            return Err(Error::BadLength {
                layer: L,
                offset: off + 1,
                field: "option length",
                value: usize::from(length),
                reason: "the option runs past the end of the message",
            });
        }
        each(byte(msg, off), length, slice(msg, off + 2, off + total));
        off += total;
    }
    Ok(())
}

pub(super) fn parse_options(msg: &[u8], off: usize) -> Result<Vec<NdOption>> {
    let mut v = Vec::new();
    walk_options(msg, off, |type_, length, data| {
        v.push(NdOption {
            type_,
            length: Some(length),
            data: data.to_vec(),
        })
    })?;
    Ok(v)
}

impl fmt::Display for NdOption {
    /// Ryu's `nd_option_sla`, `nd_option_tla`, `nd_option_pi` and `nd_option_mtu`; any other
    /// option shows as the bytes of the whole TLV, as Ryu shows options it does not know.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let length = self.length.or_else(|| self.computed_length()).unwrap_or(0);
        let d = &self.data;
        match self.type_ {
            Self::SLA | Self::TLA if d.len() >= 6 => {
                let name = if self.type_ == Self::SLA {
                    "nd_option_sla"
                } else {
                    "nd_option_tla"
                };
                let mac = MacAddr::from_slice(d).unwrap_or_default();
                write!(
                    f,
                    "{name}(data={},hw_src={},length={length})",
                    BytesOrNone(tail(d, 6)),
                    Quoted(mac)
                )
            }
            Self::PI if d.len() == 30 => write!(
                f,
                "nd_option_pi(length={length},pl={},pre_l={},prefix={},res1={},res2={},val_l={})",
                byte(d, 0),
                be32(d, 6),
                Quoted(addr(d, 14)),
                byte(d, 1) >> 5,
                be32(d, 10),
                be32(d, 2)
            ),
            Self::MTU if d.len() == 6 => {
                write!(f, "nd_option_mtu(length={length},mtu={})", be32(d, 2))
            }
            t => {
                let mut tlv = Vec::with_capacity(self.len());
                tlv.push(t);
                tlv.push(length);
                tlv.extend_from_slice(d);
                PyBytes(&tlv).fmt(f)
            }
        }
    }
}

/// Ryu's single `option` attribute: `None`, the one option, or a list when there are more.
struct OneOption<'a>(&'a [NdOption]);

impl fmt::Display for OneOption<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [] => f.write_str("None"),
            [o] => o.fmt(f),
            more => List(more).fmt(f),
        }
    }
}

impl fmt::Display for NdNeighbor {
    /// Ryu's `nd_neighbor`: the reserved bits are not shown; Ryu keeps one option, several show
    /// as a list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "nd_neighbor(dst={},option={},res={})",
            Quoted(self.dst),
            OneOption(&self.options),
            self.res
        )
    }
}

impl fmt::Display for NdRouterSolicit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "nd_router_solicit(option={},res={})",
            OneOption(&self.options),
            self.res
        )
    }
}

impl fmt::Display for NdRouterAdvert {
    /// Ryu's `nd_router_advert` (the six low flag bits are not shown).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "nd_router_advert(ch_l={},options={},rea_t={},res={},ret_t={},rou_l={})",
            self.ch_l,
            List(&self.options),
            self.rea_t,
            self.res,
            self.ret_t,
            self.rou_l
        )
    }
}
