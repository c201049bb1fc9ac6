//! Ethernet MAC addresses.

use core::fmt;
use core::str::FromStr;

/// A 48-bit IEEE 802 MAC address, printed and parsed as `00:03:47:8c:a1:b3`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct MacAddr(pub [u8; 6]);

impl MacAddr {
    /// `ff:ff:ff:ff:ff:ff`.
    pub const BROADCAST: MacAddr = MacAddr([0xff; 6]);
    /// `00:00:00:00:00:00`.
    pub const ZERO: MacAddr = MacAddr([0; 6]);
    /// `01:80:c2:00:00:02`, the slow protocols (LACP, marker) multicast address.
    pub const SLOW_PROTOCOLS: MacAddr = MacAddr([0x01, 0x80, 0xc2, 0x00, 0x00, 0x02]);
    /// `01:80:c2:00:00:0e`, the LLDP nearest-bridge multicast address.
    pub const LLDP_NEAREST_BRIDGE: MacAddr = MacAddr([0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e]);

    /// Builds an address from its six octets.
    pub const fn new(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8) -> Self {
        MacAddr([a, b, c, d, e, f])
    }

    /// The six octets.
    pub const fn octets(&self) -> [u8; 6] {
        self.0
    }

    /// Reads an address from the first six bytes of `b`, if there are six.
    pub fn from_slice(b: &[u8]) -> Option<Self> {
        b.first_chunk::<6>().map(|o| MacAddr(*o))
    }

    /// The group bit (I/G) is set: multicast or broadcast.
    pub const fn is_multicast(&self) -> bool {
        self.0[0] & 1 == 1
    }

    /// `ff:ff:ff:ff:ff:ff`.
    pub fn is_broadcast(&self) -> bool {
        *self == Self::BROADCAST
    }

    /// Neither multicast nor broadcast.
    pub const fn is_unicast(&self) -> bool {
        !self.is_multicast()
    }

    /// The locally administered bit (U/L) is set.
    pub const fn is_local(&self) -> bool {
        self.0[0] & 2 == 2
    }

    /// The Ethernet multicast address of an IPv4 group (RFC 1112 §6.4: `01:00:5e` + low 23 bits).
    pub const fn from_ipv4_multicast(group: core::net::Ipv4Addr) -> Self {
        let o = group.octets();
        MacAddr([0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]])
    }

    /// The Ethernet multicast address of an IPv6 group (RFC 2464 §7: `33:33` + low 32 bits).
    pub const fn from_ipv6_multicast(group: core::net::Ipv6Addr) -> Self {
        let o = group.octets();
        MacAddr([0x33, 0x33, o[12], o[13], o[14], o[15]])
    }
}

impl From<[u8; 6]> for MacAddr {
    fn from(o: [u8; 6]) -> Self {
        MacAddr(o)
    }
}

impl From<MacAddr> for [u8; 6] {
    fn from(m: MacAddr) -> Self {
        m.0
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

impl fmt::Debug for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MacAddr({self})")
    }
}

/// The error of [`MacAddr::from_str`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid MAC address (expected six hex octets separated by ':' or '-')")]
pub struct ParseMacError;

impl FromStr for MacAddr {
    type Err = ParseMacError;

    /// Parses `00:03:47:8c:a1:b3` (or with `-` separators; one or two hex digits an octet).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let sep = if s.contains('-') { '-' } else { ':' };
        let mut out = [0u8; 6];
        let mut parts = s.split(sep);
        for o in out.iter_mut() {
            let p = parts.next().ok_or(ParseMacError)?;
            if p.is_empty() || p.len() > 2 {
                return Err(ParseMacError);
            }
            *o = u8::from_str_radix(p, 16).map_err(|_| ParseMacError)?;
        }
        if parts.next().is_some() {
            return Err(ParseMacError);
        }
        Ok(MacAddr(out))
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for MacAddr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for MacAddr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = MacAddr;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a MAC address like \"00:03:47:8c:a1:b3\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<MacAddr, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn display_and_parse() {
        let m: MacAddr = "00:03:47:8c:a1:b3".parse().unwrap();
        assert_eq!(m.0, [0x00, 0x03, 0x47, 0x8c, 0xa1, 0xb3]);
        assert_eq!(m.to_string(), "00:03:47:8c:a1:b3");
        assert_eq!("0-3-47-8C-A1-B3".parse::<MacAddr>().unwrap(), m);
        for bad in [
            "",
            "00:03:47:8c:a1",
            "00:03:47:8c:a1:b3:00",
            "000:03:47:8c:a1:b3",
            "zz:03:47:8c:a1:b3",
            "00:03:47:8c:a1:",
        ] {
            assert_eq!(bad.parse::<MacAddr>(), Err(ParseMacError), "{bad}");
        }
    }

    #[test]
    fn multicast_mapping() {
        let m = MacAddr::from_ipv4_multicast(core::net::Ipv4Addr::new(225, 128, 0, 1));
        assert_eq!(m.to_string(), "01:00:5e:00:00:01");
        assert!(m.is_multicast() && !m.is_broadcast());
        assert!(MacAddr::BROADCAST.is_broadcast() && MacAddr::BROADCAST.is_multicast());
        let m6 = MacAddr::from_ipv6_multicast("ff02::1:ff00:1234".parse().unwrap());
        assert_eq!(m6.to_string(), "33:33:ff:00:12:34");
    }
}
