//! IGMP's time codes: max response codes and QQIC (RFC 3376 §4.1.1, §4.1.7).

use super::*;

// ---------------------------------------------------------------------------------------------
// Time codes

/// Decodes the floating-point format of RFC 3376 §4.1.1 / §4.1.7 used by the Max Resp Code and
/// QQIC fields: a code below 128 is the value itself; otherwise
/// `(mant | 0x10) << (exp + 3)` with `exp` in bits 4–6 and `mant` in bits 0–3. The result is in
/// the field's unit (1/10 s for Max Resp Code, seconds for QQIC), at most 31744.
pub const fn decode_float(code: u8) -> u16 {
    if code < 0x80 {
        code as u16
    } else {
        let exp = (code >> 4) & 0x07;
        let mant = (code & 0x0f) as u16;
        (mant | 0x10) << (exp + 3)
    }
}

/// Encodes `value` in the floating-point format of RFC 3376 §4.1.1, rounding **up**: the code
/// is the one whose [`decode_float`] is the smallest representable value not below `value`.
/// Values above 31744 (the largest representable) saturate to code 0xff.
///
/// Rounding up means a querier never announces a shorter response time (or query interval)
/// than it asked for; its own timers should use the decoded value.
pub const fn encode_float(value: u32) -> u8 {
    if value < 0x80 {
        // Fits: checked just above.
        #[allow(clippy::cast_possible_truncation)]
        return value as u8;
    }
    let mut exp = 0u32;
    while exp < 8 {
        let unit = 1u32 << (exp + 3);
        let mant = value.div_ceil(unit);
        if mant <= 0x1f {
            // exp < 8 and mant <= 31: both fit in a byte.
            #[allow(clippy::cast_possible_truncation)]
            return 0x80 | ((exp as u8) << 4) | ((mant as u8) & 0x0f);
        }
        exp += 1;
    }
    0xff
}

/// `d` in whole units of `unit_nanos`, rounded up, saturating at `u32::MAX`.
pub(super) fn ceil_units(d: Duration, unit_nanos: u128) -> u32 {
    u32::try_from(d.as_nanos().div_ceil(unit_nanos)).unwrap_or(u32::MAX)
}

const TENTH_NANOS: u128 = 100_000_000;
const SECOND_NANOS: u128 = 1_000_000_000;

/// The response time an IGMPv3 Max Resp Code stands for (RFC 3376 §4.1.1, units of 1/10 s).
pub fn max_resp_code_to_duration(code: u8) -> Duration {
    Duration::from_millis(u64::from(decode_float(code)) * 100)
}

/// The IGMPv3 Max Resp Code for `d`: `d` rounded up to 1/10 s, then [`encode_float`] (rounds
/// up; saturates at 3174.4 s).
pub fn duration_to_max_resp_code(d: Duration) -> u8 {
    encode_float(ceil_units(d, TENTH_NANOS))
}

/// The interval an IGMPv3 QQIC stands for (RFC 3376 §4.1.7, seconds).
pub fn qqic_to_duration(code: u8) -> Duration {
    Duration::from_secs(u64::from(decode_float(code)))
}

/// The IGMPv3 QQIC for `d`: `d` rounded up to whole seconds, then [`encode_float`] (rounds up;
/// saturates at 31744 s).
pub fn duration_to_qqic(d: Duration) -> u8 {
    encode_float(ceil_units(d, SECOND_NANOS))
}

/// The response time an IGMPv2 Max Resp Time stands for (RFC 2236 §2.2, units of 1/10 s).
pub fn max_resp_time_to_duration(time: u8) -> Duration {
    Duration::from_millis(u64::from(time) * 100)
}

/// The IGMPv2 Max Resp Time for `d`: `d` rounded up to 1/10 s, saturating at 255 (25.5 s).
/// Note that 0 in a query makes it an IGMPv1 query; the query constructors use at least 1.
pub fn duration_to_max_resp_time(d: Duration) -> u8 {
    u8::try_from(ceil_units(d, TENTH_NANOS)).unwrap_or(u8::MAX)
}
