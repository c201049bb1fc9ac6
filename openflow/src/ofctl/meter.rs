//! Meters in `ovs-ofctl add-meter` notation.

use alloc::format;
use alloc::vec::Vec;

use super::{err, fields, finish, ParseError, Tok, R};
use crate::meter_mod::{MeterBand, MeterFlags, MeterMod, MeterModCommand};
use crate::types::MeterId;

/// `strtok_r` over a line, as OVS cuts a meter: tokens between delimiters (which may change
/// from one call to the next), empty ones skipped, with their positions.
struct Strtok<'a> {
    t: Tok<'a>,
    pos: usize,
}

impl<'a> Strtok<'a> {
    fn next(&mut self, delims: &[u8]) -> Option<Tok<'a>> {
        let b = self.t.text.as_bytes();
        while b.get(self.pos).is_some_and(|c| delims.contains(c)) {
            self.pos += 1;
        }
        if self.pos >= b.len() {
            return None;
        }
        let start = self.pos;
        while b.get(self.pos).is_some_and(|c| !delims.contains(c)) {
            self.pos += 1;
        }
        let tok = self.t.sub(start, self.pos);
        // strtok_r consumes the delimiter that ends the token.
        if self.pos < b.len() {
            self.pos += 1;
        }
        Some(tok)
    }
}

const NAME: &[u8] = b"=, \t\r\n";
const VALUE: &[u8] = b", \t\r\n";

/// Parses an `ovs-ofctl add-meter` argument (Open vSwitch 3.1, OpenFlow 1.3):
/// `meter=N,kbps|pktps[,burst][,stats],bands=type=drop,rate=R[,burst_size=B]
/// [type=dscp_remark,rate=R,prec_level=P ...]`: an OFPMC_ADD [`MeterMod`].
///
/// As OVS: `meter` is 1 to 0xffff0000, `all`, `slowpath` or `controller`; a rate unit
/// (`kbps` or `pktps`) is required; each band starts with `type=` (`drop`, `dscp_remark`)
/// and needs a `rate`; `burst_size` goes with the `burst` flag and only with it;
/// `prec_level` with `dscp_remark` bands and only with them.
pub fn parse_meter(line: &str) -> Result<MeterMod, ParseError> {
    let t = Tok { text: line, at: 0 };
    parse(t, MeterModCommand::ADD).map_err(|e| finish(line, e))
}

/// Parses a meter as [`MeterMod`]'s `Display` prints it (`ovs-ofctl ofp-print`'s body):
/// `ADD`, `MOD` or `DEL`, then the meter as [`parse_meter`] reads it (`DEL meter=N` without
/// flags or bands). Without a command word: an add.
pub fn parse_meter_line(line: &str) -> Result<MeterMod, ParseError> {
    let trimmed = line.trim_start_matches([' ', '\t', '\r', '\n']);
    let lead = line.len() - trimmed.len();
    let word_len = trimmed
        .find([' ', '\t', '\r', '\n', ','])
        .unwrap_or(trimmed.len());
    let (command, skip) = match trimmed.get(..word_len) {
        Some("ADD") => (MeterModCommand::ADD, lead + word_len),
        Some("MOD") => (MeterModCommand::MODIFY, lead + word_len),
        Some("DEL") => (MeterModCommand::DELETE, lead + word_len),
        _ => (MeterModCommand::ADD, 0),
    };
    let t = Tok {
        text: line.get(skip..).unwrap_or(""),
        at: skip,
    };
    parse(t, command).map_err(|e| finish(line, e))
}

fn parse(t: Tok<'_>, command: MeterModCommand) -> R<MeterMod> {
    let with_bands = command != MeterModCommand::DELETE;
    let mut mm = MeterMod {
        command,
        flags: MeterFlags::EMPTY,
        meter_id: MeterId(0),
        bands: Vec::new(),
    };
    // Everything after "band...=" is the bands.
    let (head, bands) = if with_bands {
        let Some(i) = t.text.find("band") else {
            return err(t, "must specify bands");
        };
        let after = t.sub(i, t.text.len());
        let Some(j) = after.text.find('=') else {
            return err(after, "must specify bands");
        };
        (t.sub(0, i), Some(after.sub(j + 1, after.text.len())))
    } else {
        (t, None)
    };
    let mut s = Strtok { t: head, pos: 0 };
    while let Some(name) = s.next(NAME) {
        let flag = match name.text {
            "kbps" => MeterFlags::KBPS,
            "pktps" => MeterFlags::PKTPS,
            "burst" => MeterFlags::BURST,
            "stats" => MeterFlags::STATS,
            _ => MeterFlags::EMPTY,
        };
        if with_bands && !flag.is_empty() {
            mm.flags |= flag;
            continue;
        }
        let Some(value) = s.next(VALUE) else {
            return err(name, format!("field {} missing value", name.text));
        };
        if name.text != "meter" {
            return err(name, format!("unknown keyword {}", name.text));
        }
        mm.meter_id = match value.text {
            "all" => MeterId::ALL,
            "controller" => MeterId::CONTROLLER,
            "slowpath" => MeterId::SLOWPATH,
            v => match u32_of(v) {
                Some(m) if m != 0 && m <= MeterId::MAX.0 => MeterId(m),
                Some(_) => return err(value, "invalid value for meter"),
                None => return err(value, format!("invalid numeric format {v}")),
            },
        };
    }
    if mm.meter_id.0 == 0 {
        return err(t, "must specify 'meter'");
    }
    let Some(bands) = bands else {
        return Ok(mm);
    };
    if mm.flags.is_empty() {
        return err(t, "meter must specify either 'kbps' or 'pktps'");
    }
    // Type, rate, burst size, precedence level, and where the band starts.
    let mut raw: Vec<(u8, u32, u32, u8, Tok<'_>)> = Vec::new();
    let mut s = Strtok { t: bands, pos: 0 };
    while let Some(name) = s.next(NAME) {
        let Some(value) = s.next(VALUE) else {
            return err(name, format!("field {} missing value", name.text));
        };
        let num = || u32_of(value.text);
        match (name.text, raw.last_mut()) {
            ("type", _) => {
                let ty = match value.text {
                    "drop" => 1,
                    "dscp_remark" => 2,
                    v => return err(value, format!("field type unknown value {v}")),
                };
                raw.push((ty, 0, 0, 0, name));
            }
            (_, None) => return err(name, "band must start with the 'type' keyword"),
            ("rate", Some(b)) => {
                b.1 = num().map_or_else(
                    || err(value, format!("invalid numeric format {}", value.text)),
                    Ok,
                )?;
            }
            ("burst_size", Some(b)) => {
                b.2 = num().map_or_else(
                    || err(value, format!("invalid numeric format {}", value.text)),
                    Ok,
                )?;
            }
            ("prec_level", Some(b)) => {
                b.3 = match num().and_then(|x| u8::try_from(x).ok()) {
                    Some(p) => p,
                    None => return err(value, format!("invalid numeric format {}", value.text)),
                };
            }
            (n, Some(_)) => return err(name, format!("unknown keyword {n}")),
        }
    }
    if raw.is_empty() {
        return err(bands, "meter must have bands");
    }
    let burst = mm.flags.contains(MeterFlags::BURST);
    for (ty, rate, burst_size, prec, at) in raw {
        if ty == 2 && prec == 0 {
            return err(at, "'dscp_remark' band must have 'prec_level'");
        }
        if ty != 2 && prec != 0 {
            return err(at, "Only 'dscp_remark' band may have 'prec_level'");
        }
        if rate == 0 {
            return err(at, "band must have 'rate'");
        }
        if burst && burst_size == 0 {
            return err(at, "band must have 'burst_size' when 'burst' flag is set");
        }
        if !burst && burst_size != 0 {
            return err(
                at,
                "band may have 'burst_size' only when 'burst' flag is set",
            );
        }
        mm.bands.push(if ty == 1 {
            MeterBand::drop(rate, burst_size)
        } else {
            MeterBand::dscp_remark(rate, burst_size, prec)
        });
    }
    Ok(mm)
}

/// A 32-bit number as OVS's `str_to_u32` reads one (decimal, `0x` hex, or `0` octal).
fn u32_of(s: &str) -> Option<u32> {
    if let Some(o) = s
        .strip_prefix('0')
        .filter(|o| !o.is_empty() && !o.starts_with(['x', 'X']))
    {
        // Octal digits only: `from_str_radix` alone would also take a sign (`0+7`).
        if !o.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return None;
        }
        return u32::from_str_radix(o, 8).ok();
    }
    fields::parse_uint(s).and_then(|x| u32::try_from(x).ok())
}
