//! Number parsing and formatting with Redis's exact rules.
//!
//! - [`parse_i64`] is Redis's `string2ll`: the strict integer syntax used for
//!   every integer argument and for integer-encoded string values.
//! - [`parse_f64`] is Redis's `string2d` (C `strtod` plus Redis's checks),
//!   used for ZADD scores and other double arguments.
//! - [`format_double`] is how Redis 7.0 replies with a double (`%.17g`).
//! - [`LongDouble`] reproduces INCRBYFLOAT / HINCRBYFLOAT exactly: Redis
//!   parses with `strtold`, adds in x87 80-bit `long double` and prints
//!   `%.17Lf` with trailing zeros removed; this type does the same in
//!   software, bit for bit (differentially tested against glibc).
//! - [`format_incrbyfloat`] is the `f64` approximation of that output, for
//!   callers that only have an `f64`.

/// Parses a signed 64-bit integer with Redis's `string2ll` rules.
///
/// Accepted: an optional `-` followed by digits, no leading zeros (except the
/// single string `0`), at most 20 bytes, within `i64`. Rejected: empty input,
/// `+1`, ` 1`, `1 `, `01`, `-0`, `-`, overflow.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    // LONG_STR_SIZE is 21: strings of 21 bytes or more are refused outright.
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (negative, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    match digits.first() {
        Some(b'1'..=b'9') => {}
        _ => return None,
    }
    // 20 digits (the first non-zero) are at least 10^19, beyond i64 either
    // way; 19 never overflow a u64, so the loop needs no checked arithmetic
    // (which costs a 128-bit multiply call in wasm32).
    if digits.len() > 19 {
        return None;
    }
    let mut magnitude: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        magnitude = magnitude * 10 + u64::from(d - b'0');
    }
    if negative {
        // Up to 2^63 is fine: -(2^63) is i64::MIN.
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Parses a double with Redis's `string2d` rules (C `strtod` plus checks).
///
/// The whole input must be what `strtod` accepts:
/// - decimal: `[+-]` digits with an optional `.` (at least one digit in all),
///   then an optional exponent `e[+-]digits`;
/// - hexadecimal: `[+-]0x` hex digits with an optional `.`, then an optional
///   binary exponent `p[+-]digits` (`0x1p3` is 8);
/// - `inf` or `infinity`, any case, with an optional sign.
///
/// Rejected: empty input, any whitespace, trailing garbage, NaN in any
/// spelling, and finite literals that overflow to infinity (`1e400`) or
/// underflow to zero (`1e-400`) — `strtod` reports those with `ERANGE`, which
/// Redis refuses. Results that merely become subnormal are accepted. `-0` is
/// accepted and returns negative zero.
pub fn parse_f64(s: &[u8]) -> Option<f64> {
    let (negative, body) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        Some(_) => (false, s),
        None => return None,
    };
    let signed = |v: f64| if negative { -v } else { v };

    if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
        return Some(signed(f64::INFINITY));
    }

    let (value, nonzero_digits) = match body {
        [b'0', b'x' | b'X', hex @ ..] => parse_hex_body(hex)?,
        _ => {
            let nonzero = check_decimal_syntax(body)?;
            // The syntax is validated and ASCII; Rust's parser rounds correctly.
            let text = std::str::from_utf8(body).ok()?;
            (text.parse::<f64>().ok()?, nonzero)
        }
    };
    // strtod's ERANGE cases that Redis refuses.
    if value.is_infinite() || value.is_nan() || (value == 0.0 && nonzero_digits) {
        return None;
    }
    Some(signed(value))
}

/// Checks `digits [. digits] [e [+-] digits]` with at least one mantissa
/// digit; returns whether the mantissa has a non-zero digit.
fn check_decimal_syntax(b: &[u8]) -> Option<bool> {
    let mut i = 0;
    let mut digits = 0usize;
    let mut nonzero = false;
    let mut seen_point = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                nonzero |= c != b'0';
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    (i == b.len()).then_some(nonzero)
}

/// Parses what follows `0x` in a hexadecimal float and rounds it to the
/// nearest `f64` (ties to even), as glibc's `strtod` does. Returns the
/// (unsigned) value and whether any mantissa digit was non-zero.
fn parse_hex_body(b: &[u8]) -> Option<(f64, bool)> {
    let hex = scan_hex_float(b, 60)?;
    // Below 2^60 by construction.
    let mantissa = hex.mantissa as u64;
    let nonzero = mantissa != 0 || hex.sticky;
    Some((compose_binary(mantissa, hex.exp2, hex.sticky), nonzero))
}

/// The digits of a hexadecimal float (after `0x`): `mantissa * 2^exp2`, plus
/// `sticky` when non-zero digits beyond the mantissa's width were dropped.
pub(crate) struct HexFloat {
    pub mantissa: u128,
    pub exp2: i64,
    pub sticky: bool,
}

/// Scans `h.hhh[p±d]` (the part after `0x`), keeping up to `max_bits` bits of
/// mantissa (at most 128). None if there is no digit, the exponent has no
/// digits, or anything follows.
pub(crate) fn scan_hex_float(b: &[u8], max_bits: u32) -> Option<HexFloat> {
    let spill = max_bits.clamp(4, 128) - 4;
    let mut i = 0;
    let mut mantissa: u128 = 0;
    let mut exp2: i64 = 0;
    let mut sticky = false;
    let mut digits = 0usize;
    let mut seen_point = false;
    while let Some(&c) = b.get(i) {
        if c == b'.' && !seen_point {
            seen_point = true;
            i += 1;
            continue;
        }
        let Some(d) = char::from(c).to_digit(16) else {
            break;
        };
        digits += 1;
        if mantissa >> spill == 0 {
            mantissa = mantissa * 16 + u128::from(d);
            if seen_point {
                exp2 = exp2.saturating_sub(4);
            }
        } else {
            sticky |= d != 0;
            if !seen_point {
                exp2 = exp2.saturating_add(4);
            }
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'p' | b'P') = b.get(i) {
        i += 1;
        let negative = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e: i64 = 0;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            // Saturate far beyond any exponent that matters.
            e = e
                .saturating_mul(10)
                .saturating_add(i64::from(c - b'0'))
                .min(1 << 40);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp2 = exp2.saturating_add(if negative { -e } else { e });
    }
    if i != b.len() {
        return None;
    }
    Some(HexFloat {
        mantissa,
        exp2,
        sticky,
    })
}

/// `2^k` for `k` in `-1074..=1023`.
fn pow2(k: i64) -> f64 {
    if k >= -1022 {
        let biased = u64::try_from(k.saturating_add(1023)).unwrap_or(0).min(2046);
        f64::from_bits(biased << 52)
    } else {
        let shift = u32::try_from(k.saturating_add(1074)).unwrap_or(0).min(51);
        f64::from_bits(1u64 << shift)
    }
}

/// Rounds `mantissa * 2^exp2` (+ a sticky bit below it) to the nearest f64,
/// ties to even; overflows to infinity and underflows to zero.
fn compose_binary(mantissa: u64, exp2: i64, sticky: bool) -> f64 {
    if mantissa == 0 {
        return 0.0;
    }
    let bits = i64::from(64 - mantissa.leading_zeros());
    // Exponent of the leading one bit.
    let top = exp2.saturating_add(bits - 1);
    if top > 1023 {
        return f64::INFINITY;
    }
    if top < -1075 {
        return 0.0;
    }
    // Lowest bit position representable for this magnitude.
    let low = (top - 52).max(-1074);
    let shift = low - exp2;
    let q: u64 = if shift <= 0 {
        // Exact: at most 53 significant bits land on representable positions.
        mantissa << u32::try_from(-shift).unwrap_or(0).min(63)
    } else {
        let shift = u32::try_from(shift).unwrap_or(127).min(127);
        let wide = u128::from(mantissa);
        let q = wide >> shift;
        let rem = wide & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let round_up = rem > half || (rem == half && (sticky || q & 1 == 1));
        u64::try_from(q).unwrap_or(u64::MAX) + u64::from(round_up)
    };
    // q <= 2^53, so the conversion is exact and so is the product (or it
    // overflows to infinity when rounding carried past the largest finite).
    (q as f64) * pow2(low)
}

/// Formats a double the way Redis 7.0 replies with one (`addReplyDouble`):
/// `inf` / `-inf`, otherwise C's `%.17g`.
///
/// Examples: `1.1` → `1.1000000000000001`, `0.1` → `0.10000000000000001`,
/// `3.5` → `3.5`, `1000` → `1000`, `1e20` → `1e+20`, `1e-5` →
/// `1.0000000000000001e-05`, `-0.0` → `-0`.
///
/// Redis also has `d2string`, which prints integral values in ±2^62 through
/// its integer formatter, but in 7.0 that is only used for the internal
/// listpack encoding of sorted-set scores; what clients see is always
/// `%.17g`. Both print negative zero as `-0` (`%.17g` keeps the sign, and
/// `d2string` checks `1.0/value < 0`), so `ZADD z -0 m` then `ZSCORE z m`
/// replies `-0`.
pub fn format_double(v: f64) -> String {
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    format_g17(v)
}

/// C's `printf("%.17g", v)` as glibc prints it.
pub fn format_g17(v: f64) -> String {
    const PRECISION: i32 = 17;
    if v.is_nan() {
        return if v.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    // A whole number below 10^15 has at most 16 digits, all exact, and %.17g
    // prints it without a point or an exponent: the integer itself. Scores are
    // often whole, and this skips the formatting below.
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format_i64(v as i64);
    }
    // 17 significant digits, correctly rounded (ties to even on the exact
    // binary value, like glibc): "d.dddddddddddddddde<exp>".
    let sci = format!("{:.16e}", v.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if v < 0.0 { "-" } else { "" };

    if !(-4..PRECISION).contains(&exp) {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let rest = rest.trim_end_matches('0');
        let point = if rest.is_empty() { "" } else { "." };
        let exp_sign = if exp < 0 { '-' } else { '+' };
        format!(
            "{sign}{first}{point}{rest}e{exp_sign}{:02}",
            exp.unsigned_abs()
        )
    } else if exp >= 0 {
        let split = usize::try_from(exp)
            .unwrap_or(0)
            .saturating_add(1)
            .min(digits.len());
        let (int_part, frac) = digits.split_at(split);
        let frac = frac.trim_end_matches('0');
        let point = if frac.is_empty() { "" } else { "." };
        format!("{sign}{int_part}{point}{frac}")
    } else {
        let zeros = "0".repeat(usize::try_from(-exp - 1).unwrap_or(0));
        let frac = digits.trim_end_matches('0');
        format!("{sign}0.{zeros}{frac}")
    }
}

/// Formats an INCRBYFLOAT / HINCRBYFLOAT result.
///
/// Redis computes these in 80-bit `long double` and prints `%.17Lf`, then
/// strips trailing zeros and a trailing `.`, and finally turns `-0` into `0`
/// (so negative zero, and any negative value that rounds to zero at 17
/// decimals, prints `0`).
///
/// **Deviation:** we compute in `f64`, whose 53-bit mantissa cannot carry
/// Redis's extra precision. Printing an `f64` with `%.17f` would expose its
/// binary noise (`10.6` would become `10.59999999999999964`), so instead we
/// print the shortest decimal that round-trips to the same `f64`, in plain
/// (non-exponent) notation, rounded to 17 decimals when it is longer than
/// that. This matches Redis whenever the long double result prints as a short
/// decimal (`10.5 + 0.1` → `10.6`, `3.0e3` → `3000`), but differs whenever
/// the long double's own rounding noise reaches the 17th decimal (Redis
/// prints `8512 + -39147.6` as `-30635.60000000000000142`), when `f64`
/// rounding error shows up (`0.1 + 0.2` gives `0.30000000000000004` here and
/// `0.3` in Redis), and for very large magnitudes. Use [`LongDouble`] for
/// byte-exact results.
pub fn format_incrbyfloat(v: f64) -> String {
    if v.is_nan() {
        return if v.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let mut s = format!("{v}");
    let decimals = s.split_once('.').map_or(0, |(_, frac)| frac.len());
    if decimals > 17 {
        s = format!("{v:.17}");
    }
    if s.contains('.') {
        let trimmed = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(trimmed);
    }
    if s == "-0" {
        s = "0".to_string();
    }
    s
}

mod long_double;

pub use long_double::LongDouble;

/// Formats an integer (Redis's `ll2string`).
pub fn format_i64(v: i64) -> String {
    let mut out = Vec::with_capacity(20);
    push_i64(&mut out, v);
    String::from_utf8(out).unwrap_or_default()
}

/// Appends the decimal digits of `n`. Every reply length and integer goes
/// through here, so it is a plain digit loop rather than `core::fmt`, which is
/// much slower (in wasm above all).
pub fn push_u64(out: &mut Vec<u8>, n: u64) {
    if n < 100_000_000 {
        // Up to 8 digits are made in a register and appended as one word,
        // then the bytes past the digits are cut off: no copy of variable
        // length (a memcpy call, in wasm a call out to the host).
        let len = decimal_len(n);
        let word = eight_digits(n as u32) >> (8 * (8 - len));
        let at = out.len();
        out.extend_from_slice(&word.to_le_bytes());
        out.truncate(at + len);
        return;
    }
    let mut buf = [0u8; 20];
    let start = digits_u64(&mut buf, n);
    out.extend_from_slice(&buf[start..]);
}

/// Writes the decimal digits of `n` at the end of `buf` and returns where
/// they start (u64::MAX has 20 digits).
pub fn digits_u64(buf: &mut [u8; 20], n: u64) -> usize {
    const CHUNK: u64 = 1_000_000_000;
    let mut end = buf.len();
    let mut rest = n;
    // Nine digits at a time in 32-bit arithmetic: 64-bit division is a helper
    // call in wasm32, and most numbers never need it.
    while rest >= CHUNK {
        let mut part = (rest % CHUNK) as u32;
        rest /= CHUNK;
        for _ in 0..9 {
            end -= 1;
            buf[end] = b'0' + (part % 10) as u8;
            part /= 10;
        }
    }
    let mut part = rest as u32;
    loop {
        end -= 1;
        buf[end] = b'0' + (part % 10) as u8;
        part /= 10;
        if part == 0 {
            break;
        }
    }
    end
}

/// How many decimal digits `n` has.
#[inline]
pub fn decimal_len(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |l| l as usize + 1)
}

/// The 8 decimal digits of `n` (below 10^8, with leading zeros) as ASCII,
/// the first digit in the lowest byte. The divisions by 10^4, 100 and 10
/// run on all lanes of one word at once, with multiplies and shifts.
#[inline]
pub fn eight_digits(n: u32) -> u64 {
    let n = u64::from(n);
    // Two lanes of 32 bits: the first 4 digits, then the last 4.
    let x = (n / 10_000) | ((n % 10_000) << 32);
    // x / 100 in each lane: 10486 / 2^20 is 1/100 closely enough below 10^4.
    let hundreds = ((x * 10_486) >> 20) & 0x0000_007f_0000_007f;
    // Four lanes of 16 bits, two digits each.
    let x = hundreds | ((x - 100 * hundreds) << 16);
    // x / 10 in each lane: 103 / 2^10 is 1/10 closely enough below 100.
    let tens = ((x * 103) >> 10) & 0x000f_000f_000f_000f;
    // Eight lanes of one digit each.
    let x = tens | ((x - 10 * tens) << 8);
    x + 0x3030_3030_3030_3030
}

/// Appends `n` in decimal, with a `-` if negative.
pub fn push_i64(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    push_u64(out, n.unsigned_abs());
}

#[cfg(test)]
mod tests;
