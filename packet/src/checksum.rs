//! The Internet checksum (RFC 1071), pseudo-headers, and incremental update (RFC 1624).

use core::net::{Ipv4Addr, Ipv6Addr};

/// Adds `data` to a running 32-bit one's-complement accumulator (not yet folded).
///
/// An odd final byte is padded with a zero byte, as RFC 1071 says. Sums of separate pieces can be
/// added together as long as every piece but the last has an even length.
#[inline]
pub fn sum(mut acc: u64, data: &[u8]) -> u64 {
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let v = u64::from_be_bytes(w);
        // Add the two 32-bit halves separately so nothing overflows for any realistic length.
        acc += v >> 32;
        acc += v & 0xffff_ffff;
    }
    let mut rest = chunks.remainder().chunks_exact(2);
    for c in &mut rest {
        if let [a, b] = *c {
            acc += u64::from(u16::from_be_bytes([a, b]));
        }
    }
    if let [last] = rest.remainder() {
        acc += u64::from(*last) << 8;
    }
    acc
}

/// Folds an accumulator into 16 bits (end-around carry), without complementing.
#[inline]
pub fn fold(mut acc: u64) -> u16 {
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    #[allow(clippy::cast_possible_truncation)] // the loop leaves at most 16 bits
    let v = acc as u16;
    v
}

/// The Internet checksum of `data`: the complement of the folded one's-complement sum.
#[inline]
pub fn checksum(data: &[u8]) -> u16 {
    !fold(sum(0, data))
}

/// The accumulator of the IPv4 pseudo-header (RFC 768, RFC 9293 §3.1) for an upper-layer
/// message of `len` bytes.
#[inline]
pub fn pseudo_header_v4(src: Ipv4Addr, dst: Ipv4Addr, protocol: u8, len: u32) -> u64 {
    let mut acc = sum(0, &src.octets());
    acc = sum(acc, &dst.octets());
    acc + u64::from(protocol) + u64::from(len)
}

/// The accumulator of the IPv6 pseudo-header (RFC 8200 §8.1) for an upper-layer message of
/// `len` bytes.
#[inline]
pub fn pseudo_header_v6(src: Ipv6Addr, dst: Ipv6Addr, next_header: u8, len: u32) -> u64 {
    let mut acc = sum(0, &src.octets());
    acc = sum(acc, &dst.octets());
    acc + u64::from(next_header) + u64::from(len)
}

/// RFC 1624 eqn. 3: the new checksum after a 16-bit word covered by `old_checksum` changed
/// from `old` to `new`. `HC' = ~(~HC + ~m + m')`.
///
/// Where the equation gives 0x0000 the result is 0xffff: the two are the same number in one's
/// complement, but 0x0000 fails verification when every other word of the message is zero (the
/// full computation gives 0xffff there), while 0xffff always verifies.
#[inline]
pub fn update16(old_checksum: u16, old: u16, new: u16) -> u16 {
    let acc = u64::from(!old_checksum) + u64::from(!old) + u64::from(new);
    nonzero(!fold(acc))
}

/// The checksum the field should hold, given the sum over the covered data *with* the field
/// holding `found`: the field's contribution is cancelled by adding its negation. Like
/// [`update16`], never 0x0000 (see there).
#[inline]
pub fn expected(sum_with_field: u64, found: u16) -> u16 {
    nonzero(!fold(sum_with_field + u64::from(!found)))
}

#[inline]
fn nonzero(c: u16) -> u16 {
    if c == 0 {
        0xffff
    } else {
        c
    }
}

/// Like [`update16`] for a 32-bit value (two words, e.g. an IPv4 address).
#[inline]
pub fn update32(old_checksum: u16, old: u32, new: u32) -> u16 {
    #[allow(clippy::cast_possible_truncation)]
    let (oh, ol, nh, nl) = (
        (old >> 16) as u16,
        old as u16,
        (new >> 16) as u16,
        new as u16,
    );
    update16(update16(old_checksum, oh, nh), ol, nl)
}

/// Like [`update16`] for any run of bytes of even length that changed from `old` to `new`
/// (both the same length, starting at an even offset of the covered data).
pub fn update_bytes(old_checksum: u16, old: &[u8], new: &[u8]) -> u16 {
    let acc = u64::from(!old_checksum) + u64::from(!fold(sum(0, old))) + sum(0, new);
    nonzero(!fold(acc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1071_example() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (one's complement).
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(fold(sum(0, &data)), 0xddf2);
        assert_eq!(checksum(&data), !0xddf2);
    }

    #[test]
    fn odd_length_pads_with_zero() {
        assert_eq!(fold(sum(0, &[0x12, 0x34, 0x56])), 0x1234 + 0x5600);
    }

    #[test]
    fn ipv4_header_checksum() {
        // A real IPv4 header (ping 10.0.0.1 -> 10.0.0.2) with its checksum 0x26cf zeroed.
        let mut h = [
            0x45, 0x00, 0x00, 0x54, 0xa0, 0x1d, 0x40, 0x00, 0x40, 0x01, 0x00, 0x00, 0x0a, 0x00,
            0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
        ];
        let c = checksum(&h);
        h[10..12].copy_from_slice(&c.to_be_bytes());
        assert_eq!(checksum(&h), 0);
    }

    #[test]
    fn incremental_matches_full() {
        let mut h = [
            0x45u8, 0, 0, 0x54, 0xa0, 0x1d, 0x40, 0, 0x40, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        let c = checksum(&h);
        h[10..12].copy_from_slice(&c.to_be_bytes());
        // TTL 64 -> 63 changes the word at offset 8.
        let old = u16::from_be_bytes([h[8], h[9]]);
        h[8] = 63;
        let new = u16::from_be_bytes([h[8], h[9]]);
        let inc = update16(c, old, new);
        h[10..12].fill(0);
        assert_eq!(inc, checksum(&h));
        let inc2 = update32(
            inc,
            u32::from_be_bytes([10, 0, 0, 2]),
            u32::from_be_bytes([192, 0, 2, 7]),
        );
        h[16..20].copy_from_slice(&[192, 0, 2, 7]);
        assert_eq!(inc2, checksum(&h));
    }
}
