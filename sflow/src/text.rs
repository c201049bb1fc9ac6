//! The text form of `Display`: sflowtool's, one `fieldName value` line per field, with its
//! `startSample`/`endSample` markers around samples and `flowBlock_tag`/`counterBlock_tag`
//! lines before records.
//!
//! Field names are sflowtool's where it names the datagram and sample fields
//! (`agentSubId`, `packetSequenceNo`, `sysUpTime`, `sampleSequenceNo`, `sourceId`,
//! `meanSkipCount`, `samplePool`, `dropEvents`, `inputPort`, `outputPort`, `headerProtocol`,
//! `sampledPacketSize`, `strippedBytes`, `headerLen`, `headerBytes`, ...); for the fields of
//! the records they are the camelCase of the Rust field names, which follow the names of the
//! sFlow specifications as sflowtool does (`ifInOctets`, `dot3StatsFCSErrors` reads
//! `dot3StatsFcsErrors`). Values print as sflowtool prints them: MAC addresses as twelve hex
//! digits, bytes as `0A-0B-0C`, addresses dotted or in IPv6 notation.

use alloc::vec::Vec;
use core::fmt::{self, Write as _};
use core::net::{Ipv4Addr, Ipv6Addr};
use sdnwire_packet::MacAddr;

use crate::xdr::{write_hex, Address, Opaque, PaddedMac, XdrString};

/// A value printed in sflowtool's notation.
pub(crate) trait SfValue {
    fn sf(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

macro_rules! plain {
    ($($t:ty),*) => { $( impl SfValue for $t {
        fn sf(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { write!(f, "{self}") }
    } )* };
}
plain!(u8, u32, u64, i32, f32, Ipv4Addr, Ipv6Addr);

impl SfValue for MacAddr {
    fn sf(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}
impl SfValue for PaddedMac {
    fn sf(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.mac.sf(f)
    }
}
impl<const N: usize> SfValue for [u8; N] {
    fn sf(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, self)
    }
}
impl SfValue for Address {
    fn sf(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}
impl SfValue for XdrString {
    fn sf(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}
impl SfValue for Opaque {
    fn sf(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &self.data)
    }
}
impl SfValue for Vec<u32> {
    fn sf(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                f.write_char(',')?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

/// Writes `snake_name` in camelCase.
pub(crate) fn camel(f: &mut fmt::Formatter<'_>, snake: &str) -> fmt::Result {
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            f.write_char(c.to_ascii_uppercase())?;
            up = false;
        } else {
            f.write_char(c)?;
        }
    }
    Ok(())
}

/// One `fieldName value` line, the name given in snake_case.
pub(crate) fn line(f: &mut fmt::Formatter<'_>, snake: &str, v: &dyn SfValue) -> fmt::Result {
    camel(f, snake)?;
    f.write_char(' ')?;
    v.sf(f)?;
    f.write_char('\n')
}

/// One `name value` line, the name given as sflowtool writes it.
pub(crate) fn named(f: &mut fmt::Formatter<'_>, name: &str, v: impl fmt::Display) -> fmt::Result {
    writeln!(f, "{name} {v}")
}
