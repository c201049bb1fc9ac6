//! Flow filters in sFlow-RT's syntax, parsed once into a tree and evaluated per sample.
//!
//! ```text
//! filter  := or
//! or      := and ('|' and)*
//! and     := unary ('&' unary)*
//! unary   := '!' unary | '(' or ')' | compare
//! compare := key ('=' | '!=') value (',' value)*      any of the values (!=: none of them)
//!          | key '~' value                            regular expression (feature `regex`)
//! value   := bare text up to one of & | ( ) , or space | "double-quoted text"
//! ```
//!
//! A value is read by the key's kind when the filter is parsed: IPv4 and IPv6 addresses with an
//! optional `/prefix` (`ipsource=10.0.0.0/8`), MACs as 12 hex digits with or without `:`/`-`
//! (`macsource=000c29a1b2c3`), numbers in decimal or `0x` hex, `true`/`false`. A regular
//! expression matches the value as [`write_value`](super::keys::write_value) writes it
//! (`ipsource~^10\.`), unanchored as the `regex` crate's `is_match` is.
//!
//! A comparison with a field the sample does not have (the TCP port of a UDP packet) is false
//! for `=` and `~` and true for `!=`.
//!
//! Errors give the byte offset in the filter text: `expected '=', '!=' or '~' at offset 9`.

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::keys::{Fields, Key, KeyKind};
use super::DefinitionError;

/// Deepest nesting of parentheses and `!` accepted (the evaluator recurses).
pub const MAX_DEPTH: usize = 32;

/// A value to compare a key with: `(field & mask) == value` over the key's width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pattern {
    value: [u8; 16],
    mask: [u8; 16],
}

impl Pattern {
    #[inline]
    fn matches(&self, field: &[u8; 16]) -> bool {
        field
            .iter()
            .zip(self.mask.iter().zip(self.value.iter()))
            .all(|(f, (m, v))| f & m == *v)
    }
}

#[derive(Debug, Clone)]
enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    Cmp {
        key: Key,
        negate: bool,
        any_of: Vec<Pattern>,
    },
    #[cfg(feature = "regex")]
    Regex {
        key: Key,
        re: regex::Regex,
    },
}

impl Expr {
    fn eval(&self, f: &Fields) -> bool {
        match self {
            Expr::Or(v) => v.iter().any(|e| e.eval(f)),
            Expr::And(v) => v.iter().all(|e| e.eval(f)),
            Expr::Not(e) => !e.eval(f),
            Expr::Cmp {
                key,
                negate,
                any_of,
            } => {
                let mut b = [0u8; 16];
                if !f.write(*key, &mut b) {
                    return *negate;
                }
                any_of.iter().any(|p| p.matches(&b)) != *negate
            }
            #[cfg(feature = "regex")]
            Expr::Regex { key, re } => {
                let mut b = [0u8; 16];
                if !f.write(*key, &mut b) {
                    return false;
                }
                let mut s = super::keys::StackStr::new();
                let _ = super::keys::write_value(
                    &mut s,
                    *key,
                    b.get(..key.width()).unwrap_or_default(),
                );
                re.is_match(s.as_str())
            }
        }
    }
}

/// A parsed filter expression.
#[derive(Debug, Clone)]
pub struct Filter {
    expr: Expr,
    text: String,
}

impl Filter {
    /// Parses `text` (see the module documentation for the syntax).
    ///
    /// ```
    /// use sdnwire_sflow_analytics::Filter;
    /// assert!(Filter::parse("ipprotocol=6&tcpdestinationport=80,443").is_ok());
    /// let err = Filter::parse("ipprotocol=6&tcpport=80").unwrap_err();
    /// assert_eq!(err.to_string(), "unknown key `tcpport` at offset 13");
    /// ```
    pub fn parse(text: &str) -> Result<Filter, DefinitionError> {
        let mut p = Parser {
            s: text.as_bytes(),
            text,
            pos: 0,
        };
        let expr = p.or(0)?;
        p.skip_ws();
        if p.pos < p.s.len() {
            return Err(p.expected("'&', '|' or the end of the filter"));
        }
        Ok(Filter {
            expr,
            text: text.to_string(),
        })
    }

    /// True if the sample's fields pass the filter.
    #[inline]
    pub fn matches(&self, f: &Fields) -> bool {
        self.expr.eval(f)
    }

    /// The filter's text, as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn found(&self) -> String {
        match self.text.get(self.pos..).and_then(|t| t.chars().next()) {
            Some(c) => alloc::format!("'{c}'"),
            None => "the end of the filter".to_string(),
        }
    }

    fn expected(&self, expected: &'static str) -> DefinitionError {
        DefinitionError::Expected {
            expected,
            found: self.found(),
            offset: self.pos,
        }
    }

    fn or(&mut self, depth: usize) -> Result<Expr, DefinitionError> {
        let mut v = Vec::new();
        v.push(self.and(depth)?);
        while self.eat(b'|') {
            v.push(self.and(depth)?);
        }
        Ok(if v.len() == 1 {
            v.pop().unwrap_or(Expr::And(Vec::new()))
        } else {
            Expr::Or(v)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Expr, DefinitionError> {
        let mut v = Vec::new();
        v.push(self.unary(depth)?);
        while self.eat(b'&') {
            v.push(self.unary(depth)?);
        }
        Ok(if v.len() == 1 {
            v.pop().unwrap_or(Expr::And(Vec::new()))
        } else {
            Expr::And(v)
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, DefinitionError> {
        self.skip_ws();
        if depth >= MAX_DEPTH {
            return Err(DefinitionError::TooDeep {
                max: MAX_DEPTH,
                offset: self.pos,
            });
        }
        if self.eat(b'!') {
            return Ok(Expr::Not(Box::new(self.unary(depth + 1)?)));
        }
        if self.eat(b'(') {
            let e = self.or(depth + 1)?;
            if !self.eat(b')') {
                return Err(self.expected("')'"));
            }
            return Ok(e);
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Expr, DefinitionError> {
        self.skip_ws();
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
        {
            self.pos += 1;
        }
        let name = self.text.get(start..self.pos).unwrap_or_default();
        if name.is_empty() {
            return Err(self.expected("a key name, '(' or '!'"));
        }
        let key = Key::from_name(name).ok_or_else(|| DefinitionError::UnknownKey {
            name: name.to_string(),
            offset: start,
        })?;
        self.skip_ws();
        let op_at = self.pos;
        let negate = match (self.peek(), self.s.get(self.pos + 1).copied()) {
            (Some(b'='), _) => {
                self.pos += 1;
                false
            }
            (Some(b'!'), Some(b'=')) => {
                self.pos += 2;
                true
            }
            (Some(b'~'), _) => {
                self.pos += 1;
                return self.regex(key, op_at);
            }
            _ => return Err(self.expected("'=', '!=' or '~'")),
        };
        let mut any_of = Vec::new();
        loop {
            let (value, at) = self.value()?;
            any_of.push(
                pattern(key, value).ok_or_else(|| DefinitionError::BadValue {
                    key: key.name(),
                    value: value.to_string(),
                    offset: at,
                    expected: expected(key.kind()),
                })?,
            );
            if !self.eat(b',') {
                break;
            }
        }
        Ok(Expr::Cmp {
            key,
            negate,
            any_of,
        })
    }

    /// A bare or quoted value and its offset.
    fn value(&mut self) -> Result<(&str, usize), DefinitionError> {
        self.skip_ws();
        let start = self.pos;
        if self.peek() == Some(b'"') {
            self.pos += 1;
            let body = self.pos;
            while self.peek().is_some_and(|c| c != b'"') {
                self.pos += 1;
            }
            if self.peek() != Some(b'"') {
                return Err(DefinitionError::Expected {
                    expected: "a closing '\"'",
                    found: "the end of the filter".to_string(),
                    offset: self.pos,
                });
            }
            let v = self.text.get(body..self.pos).unwrap_or_default();
            self.pos += 1;
            return Ok((v, body));
        }
        while self.peek().is_some_and(|c| {
            !matches!(c, b'&' | b'|' | b'(' | b')' | b',' | b'"') && !c.is_ascii_whitespace()
        }) {
            self.pos += 1;
        }
        let v = self.text.get(start..self.pos).unwrap_or_default();
        if v.is_empty() {
            return Err(self.expected("a value"));
        }
        Ok((v, start))
    }

    #[cfg(feature = "regex")]
    fn regex(&mut self, key: Key, _op_at: usize) -> Result<Expr, DefinitionError> {
        let (v, at) = self.value()?;
        let re = regex::RegexBuilder::new(v)
            .size_limit(1 << 20)
            .build()
            .map_err(|e| DefinitionError::BadRegex {
                offset: at,
                reason: e.to_string(),
            })?;
        Ok(Expr::Regex { key, re })
    }

    #[cfg(not(feature = "regex"))]
    fn regex(&mut self, _key: Key, op_at: usize) -> Result<Expr, DefinitionError> {
        Err(DefinitionError::RegexUnavailable { offset: op_at })
    }
}

fn expected(kind: KeyKind) -> &'static str {
    match kind {
        KeyKind::Ipv4 => "an IPv4 address or prefix (10.0.0.0/8)",
        KeyKind::Ipv6 => "an IPv6 address or prefix (2001:db8::/32)",
        KeyKind::Ip => "an IPv4 or IPv6 address or prefix",
        KeyKind::Mac => "a MAC address (000c29a1b2c3 or 00:0c:29:a1:b2:c3)",
        KeyKind::Number => "a number that fits the key",
        KeyKind::Bool => "true or false",
    }
}

/// A mask of `bits` leading ones over `N` bytes.
fn prefix_mask<const N: usize>(bits: u32) -> [u8; N] {
    let mut m = [0u8; N];
    for (b, lo) in m.iter_mut().zip((0u32..).step_by(8)) {
        *b = match bits.saturating_sub(lo) {
            0 => 0,
            n if n >= 8 => 0xff,
            n => 0xffu8 << (8 - n),
        };
    }
    m
}

fn put(value: &[u8], mask: &[u8]) -> Pattern {
    let mut p = Pattern {
        value: [0; 16],
        mask: [0; 16],
    };
    for ((pv, pm), (v, m)) in p
        .value
        .iter_mut()
        .zip(p.mask.iter_mut())
        .zip(value.iter().zip(mask.iter()))
    {
        *pm = *m;
        *pv = v & m;
    }
    p
}

/// `addr` or `addr/len`.
fn split_prefix(s: &str, max: u32) -> Option<(&str, u32)> {
    match s.split_once('/') {
        Some((a, l)) => {
            let l: u32 = l.parse().ok()?;
            (l <= max).then_some((a, l))
        }
        None => Some((s, max)),
    }
}

fn pattern(key: Key, s: &str) -> Option<Pattern> {
    match key.kind() {
        KeyKind::Ipv4 => {
            let (a, l) = split_prefix(s, 32)?;
            let a: Ipv4Addr = a.parse().ok()?;
            Some(put(&a.octets(), &prefix_mask::<4>(l)))
        }
        KeyKind::Ipv6 => {
            let (a, l) = split_prefix(s, 128)?;
            let a: Ipv6Addr = a.parse().ok()?;
            Some(put(&a.octets(), &prefix_mask::<16>(l)))
        }
        KeyKind::Ip => {
            let (addr, len) = match s.split_once('/') {
                Some((a, l)) => (a, Some(l.parse::<u32>().ok()?)),
                None => (s, None),
            };
            let (a, l) = match addr.parse::<IpAddr>().ok()? {
                IpAddr::V4(v4) => (v4.to_ipv6_mapped(), 96 + len.unwrap_or(32)),
                IpAddr::V6(v6) => (v6, len.unwrap_or(128)),
            };
            if l > 128 {
                return None;
            }
            Some(put(&a.octets(), &prefix_mask::<16>(l)))
        }
        KeyKind::Mac => {
            let mut out = [0u8; 6];
            let hex: Vec<u8> = s.bytes().filter(|c| !matches!(c, b':' | b'-')).collect();
            if hex.len() != 12 {
                return None;
            }
            for (o, pair) in out.iter_mut().zip(hex.chunks(2)) {
                let pair = core::str::from_utf8(pair).ok()?;
                *o = u8::from_str_radix(pair, 16).ok()?;
            }
            Some(put(&out, &[0xff; 6]))
        }
        KeyKind::Number => {
            let n = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                Some(h) => u64::from_str_radix(h, 16).ok()?,
                None => s.parse::<u64>().ok()?,
            };
            let w = key.width();
            if w < 8 && n >> (8 * w) != 0 {
                return None;
            }
            let be = n.to_be_bytes();
            let bytes = be.get(8 - w..)?;
            Some(put(bytes, &[0xff; 8]))
        }
        KeyKind::Bool => match s {
            "true" => Some(put(&[1], &[0xff])),
            "false" => Some(put(&[0], &[0xff])),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{FlowSampleInput, HeaderProtocol};
    use alloc::string::ToString;
    use sdnwire_packet::{Encode, Ethernet, Ipv4, MacAddr, Tcp, Udp};

    fn fields(udp: bool, src: &str, dport: u16) -> Fields {
        let eth = Ethernet::new(
            MacAddr::new(0, 0x0c, 0x29, 1, 2, 3),
            MacAddr::new(2, 0, 0, 0, 0, 1),
        );
        let ip = Ipv4::new(src.parse().unwrap(), "192.0.2.9".parse().unwrap());
        let frame = if udp {
            (eth / ip / Udp::new(1234, dport)).to_vec().unwrap()
        } else {
            (eth / ip / Tcp::new(1234, dport, sdnwire_packet::tcp::TcpFlags::ACK))
                .to_vec()
                .unwrap()
        };
        Fields::decode(&FlowSampleInput {
            agent: "10.1.1.1".parse().unwrap(),
            input_ifindex: 1,
            output_ifindex: 2,
            sampling_rate: 1,
            frame_length: 64,
            header_protocol: HeaderProtocol::ETHERNET,
            header: &frame,
        })
    }

    fn m(filter: &str, f: &Fields) -> bool {
        Filter::parse(filter).unwrap().matches(f)
    }

    #[test]
    fn evaluates_sflow_rt_expressions() {
        let web = fields(false, "10.0.0.1", 80);
        let dns = fields(true, "10.9.0.1", 53);
        assert!(m("ipprotocol=6&tcpdestinationport=80", &web));
        assert!(!m("ipprotocol=6&tcpdestinationport=80", &dns));
        assert!(m("tcpdestinationport=80,443", &web));
        assert!(m("udpdestinationport=53|tcpdestinationport=80", &dns));
        assert!(m("ipsource=10.0.0.0/16", &web));
        assert!(!m("ipsource=10.0.0.0/16", &dns));
        assert!(m("ipsource!=10.0.0.0/16", &dns));
        assert!(m("!(ipprotocol=17)", &web));
        assert!(m(
            "( ipprotocol = 17 | ipprotocol=6 ) & ipdestination=192.0.2.9",
            &dns
        ));
        assert!(m(
            "macdestination=00:0c:29:01:02:03&macsource=020000000001",
            &web
        ));
        assert!(m("isunicast=true&agent=10.1.1.1&inputifindex=1", &web));
        assert!(m("agent=10.1.0.0/16", &web));
        assert!(!m("agent=10.2.0.0/16|agent=::1", &web));
        assert!(Filter::parse("agent=10.0.0.0/33").is_err());
        assert!(m("ethernetprotocol=0x0800", &web));
        // A field the sample lacks: '=' false, '!=' true.
        assert!(!m("tcpdestinationport=53", &dns));
        assert!(m("tcpdestinationport!=53", &dns));
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = |s: &str| Filter::parse(s).unwrap_err();
        assert_eq!(
            e("ipprotocol=6&tcpport=80"),
            DefinitionError::UnknownKey {
                name: "tcpport".into(),
                offset: 13
            }
        );
        assert_eq!(
            e("ipprotocol=300").to_string(),
            "bad value `300` for ipprotocol at offset 11: expected a number that fits the key"
        );
        assert_eq!(
            e("ipsource=10.0.0.256"),
            DefinitionError::BadValue {
                key: "ipsource",
                value: "10.0.0.256".into(),
                offset: 9,
                expected: "an IPv4 address or prefix (10.0.0.0/8)"
            }
        );
        assert_eq!(
            e("ipprotocol 6").to_string(),
            "expected '=', '!=' or '~' at offset 11, found '6'"
        );
        assert_eq!(
            e("(ipprotocol=6"),
            DefinitionError::Expected {
                expected: "')'",
                found: "the end of the filter".into(),
                offset: 13
            }
        );
        assert!(matches!(
            e("ipprotocol=6)"),
            DefinitionError::Expected { offset: 12, .. }
        ));
        assert!(matches!(e(""), DefinitionError::Expected { offset: 0, .. }));
        assert!(matches!(
            e("ipprotocol="),
            DefinitionError::Expected { offset: 11, .. }
        ));
        assert!(matches!(
            e("ipprotocol=6&"),
            DefinitionError::Expected { offset: 13, .. }
        ));
        assert!(matches!(
            e("macsource=0011"),
            DefinitionError::BadValue { .. }
        ));
        assert!(matches!(
            e("ipsource=10.0.0.0/33"),
            DefinitionError::BadValue { .. }
        ));
        assert!(matches!(
            e("agent=\"10.0.0.1"),
            DefinitionError::Expected { .. }
        ));
        let deep = "(".repeat(100) + "ipprotocol=6" + &")".repeat(100);
        assert!(matches!(e(&deep), DefinitionError::TooDeep { .. }));
        let nots = "!".repeat(100) + "ipprotocol=6";
        assert!(matches!(e(&nots), DefinitionError::TooDeep { .. }));
    }

    #[cfg(not(feature = "regex"))]
    #[test]
    fn regex_needs_the_feature() {
        assert_eq!(
            Filter::parse("ipprotocol=6&ipsource~^10\\.").unwrap_err(),
            DefinitionError::RegexUnavailable { offset: 21 }
        );
    }

    #[cfg(feature = "regex")]
    #[test]
    fn regex_matches_the_written_value() {
        let web = fields(false, "10.0.0.1", 80);
        assert!(m("ipsource~^10\\.0\\.", &web));
        assert!(!m("ipsource~^10\\.9\\.", &web));
        assert!(m("macsource~\"^02|^03\"", &web));
        assert!(!m("udpsourceport~.", &web));
        assert!(matches!(
            Filter::parse("ipsource~(").unwrap_err(),
            DefinitionError::Expected { .. } | DefinitionError::BadRegex { .. }
        ));
        assert!(matches!(
            Filter::parse("ipsource~\"(\"").unwrap_err(),
            DefinitionError::BadRegex { offset: 10, .. }
        ));
    }

    #[test]
    fn prefix_masks() {
        assert_eq!(prefix_mask::<4>(0), [0, 0, 0, 0]);
        assert_eq!(prefix_mask::<4>(12), [0xff, 0xf0, 0, 0]);
        assert_eq!(prefix_mask::<4>(32), [0xff; 4]);
    }
}
