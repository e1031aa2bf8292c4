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
    let mut magnitude: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        magnitude = magnitude
            .checked_mul(10)?
            .checked_add(u64::from(d - b'0'))?;
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
    const CHUNK: u64 = 1_000_000_000;
    // u64::MAX has 20 digits: two full chunks of nine and a top part of two.
    let mut buf = [0u8; 20];
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
    out.extend_from_slice(&buf[end..]);
}

/// Appends `n` in decimal, with a `-` if negative.
pub fn push_i64(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    push_u64(out, n.unsigned_abs());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn i64_accepts() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"1"), Some(1));
        assert_eq!(parse_i64(b"-1"), Some(-1));
        assert_eq!(parse_i64(b"1234567890"), Some(1_234_567_890));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
    }

    #[test]
    fn i64_rejects() {
        for bad in [
            &b""[..],
            b"-",
            b"+1",
            b" 1",
            b"1 ",
            b"01",
            b"00",
            b"-0",
            b"-01",
            b"1.0",
            b"1e3",
            b"0x10",
            b"abc",
            b"1a",
            b"\x001",
            b"9223372036854775808",
            b"-9223372036854775809",
            b"18446744073709551616",
            b"99999999999999999999",
            b"-99999999999999999999",
            b"100000000000000000000",
            b"--1",
            "１".as_bytes(),
        ] {
            assert_eq!(parse_i64(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
        // 21 bytes is refused even though the value would fit.
        assert_eq!(parse_i64(b"000000000000000000001"), None);
    }

    fn f(s: &str) -> Option<f64> {
        parse_f64(s.as_bytes())
    }

    #[test]
    fn f64_decimal() {
        assert_eq!(f("0"), Some(0.0));
        assert_eq!(f("1"), Some(1.0));
        assert_eq!(f("-1.5"), Some(-1.5));
        assert_eq!(f("+2.25"), Some(2.25));
        assert_eq!(f(".5"), Some(0.5));
        assert_eq!(f("5."), Some(5.0));
        assert_eq!(f("-.5"), Some(-0.5));
        assert_eq!(f("1e3"), Some(1000.0));
        assert_eq!(f("1E+3"), Some(1000.0));
        assert_eq!(f("2.5e-3"), Some(0.0025));
        assert_eq!(f("1.e2"), Some(100.0));
        assert_eq!(f("007"), Some(7.0));
        assert_eq!(f("0.1"), Some(0.1));
        assert_eq!(f("1.7976931348623157e308"), Some(f64::MAX));
        assert_eq!(f("4.9e-324"), Some(f64::from_bits(1)));
        assert_eq!(f("2.4703282292062328e-324"), Some(f64::from_bits(1)));
        assert_eq!(f("0e999999999999999999999"), Some(0.0));
        let neg_zero = f("-0").unwrap();
        assert!(neg_zero == 0.0 && neg_zero.is_sign_negative());
    }

    #[test]
    fn f64_infinities() {
        assert_eq!(f("inf"), Some(f64::INFINITY));
        assert_eq!(f("+inf"), Some(f64::INFINITY));
        assert_eq!(f("-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(f("INF"), Some(f64::INFINITY));
        assert_eq!(f("Infinity"), Some(f64::INFINITY));
        assert_eq!(f("-INFINITY"), Some(f64::NEG_INFINITY));
        assert_eq!(f("infin"), None);
        assert_eq!(f("infinit"), None);
        assert_eq!(f("infinityy"), None);
        assert_eq!(f("+-inf"), None);
    }

    #[test]
    fn f64_hex() {
        assert_eq!(f("0x1p3"), Some(8.0));
        assert_eq!(f("0X1P3"), Some(8.0));
        assert_eq!(f("0x10"), Some(16.0));
        assert_eq!(f("-0x1.8"), Some(-1.5));
        assert_eq!(f("0x.8"), Some(0.5));
        assert_eq!(f("0x1.p1"), Some(2.0));
        assert_eq!(f("0xAbC"), Some(2748.0));
        assert_eq!(f("0x1p-1074"), Some(f64::from_bits(1)));
        assert_eq!(f("0x1.fffffffffffffp1023"), Some(f64::MAX));
        assert_eq!(f("0x0p99999"), Some(0.0));
        // Rounding: 2^53 + 1 is a tie and goes to even; + 3 rounds up.
        assert_eq!(f("0x20000000000001"), Some(9007199254740992.0));
        assert_eq!(f("0x20000000000003"), Some(9007199254740996.0));
        // A dropped non-zero digit breaks the tie upwards.
        assert_eq!(
            f("0x200000000000010000001"),
            Some(f("0x20000000000002p28").unwrap())
        );
        // Overflow and underflow are ERANGE: refused.
        assert_eq!(f("0x1p1024"), None);
        assert_eq!(f("0x1p-1076"), None);
        assert_eq!(f("0x1.fffffffffffff8p1023"), None);
        // Half of the smallest subnormal ties to zero; a hair more rounds up.
        assert_eq!(f("0x1p-1075"), None);
        assert_eq!(f("0x1.00001p-1075"), Some(f64::from_bits(1)));
        for bad in [
            "0x", "0x.", "0xp1", "0x1p", "0x1p+", "0xg", "0x1.2.3", "0x 1", "0x1 ",
        ] {
            assert_eq!(f(bad), None, "{bad}");
        }
    }

    #[test]
    fn f64_rejects() {
        for bad in [
            "", " 1", "1 ", "\t1", "1\n", "nan", "NaN", "-nan", "nan(123)", "1e", "1e+", "e5", ".",
            "-", "+", "1,5", "1_000", "1.2.3", "--1", "1e5.5", "0x1p3x", "1e400", "-1e400",
            "1e-400", "-2e-324", "1.8e308", "abc", "1\u{0}",
        ] {
            assert_eq!(f(bad), None, "{bad:?}");
        }
        assert_eq!(parse_f64(b"1\xff"), None);
    }

    #[test]
    fn g17_format() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (-1.0, "-1"),
            (3.5, "3.5"),
            (1000.0, "1000"),
            (1.1, "1.1000000000000001"),
            (0.1, "0.10000000000000001"),
            (0.5, "0.5"),
            (2.5, "2.5"),
            (1e20, "1e+20"),
            (1e16, "10000000000000000"),
            (1e17, "1e+17"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (99999999999999999.0, "1e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1.0000000000000001e-05"),
            (0.00012, "0.00012"),
            (1e-10, "1e-10"),
            (1.5e-7, "1.4999999999999999e-07"),
            (1e100, "1e+100"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (f64::from_bits(1), "4.9406564584124654e-324"),
            (-123.456, "-123.456"),
            (1e15 + 0.25, "1000000000000000.2"),
            (1e15 + 0.75, "1000000000000000.8"),
            (4503599627370496.0, "4503599627370496"),
            (9007199254740993.0, "9007199254740992"),
            (0.3, "0.29999999999999999"),
            (2.0 / 3.0, "0.66666666666666663"),
            (12345.678, "12345.678"),
            (-42.0, "-42"),
            (999999999999999.0, "999999999999999"),
            (-999999999999999.0, "-999999999999999"),
            (1e15, "1000000000000000"),
        ];
        for &(v, want) in cases {
            assert_eq!(format_double(v), want, "{v:e}");
        }
        assert_eq!(format_double(f64::INFINITY), "inf");
        assert_eq!(format_double(f64::NEG_INFINITY), "-inf");
        assert_eq!(format_g17(f64::NAN), "nan");
        assert_eq!(format_g17(-f64::NAN), "-nan");
    }

    #[test]
    fn incrbyfloat_format() {
        let cases: &[(f64, &str)] = &[
            (10.6, "10.6"),
            (10.5 + 0.1, "10.6"),
            (3.0, "3"),
            (5.0e3, "5000"),
            (1e-5, "0.00001"),
            (0.0, "0"),
            (-0.0, "0"),
            (-1.5, "-1.5"),
            (1e20, "100000000000000000000"),
            (1e-17, "0.00000000000000001"),
            (1.2e-17, "0.00000000000000001"),
            (4e-18, "0"),
            (-4e-18, "0"),
            (-6e-18, "-0.00000000000000001"),
            (0.1 + 0.2, "0.30000000000000004"),
            (3.0000000000000004, "3.0000000000000004"),
            (123456.789, "123456.789"),
            (-7.25, "-7.25"),
        ];
        for &(v, want) in cases {
            assert_eq!(format_incrbyfloat(v), want, "{v:e}");
        }
        // Shortest form has 18 decimals: rounded at the 17th.
        let v = parse_f64(b"0.0123456789012345678").unwrap_or(0.0);
        assert_eq!(format_incrbyfloat(v), "0.01234567890123457");
        assert_eq!(format_incrbyfloat(f64::INFINITY), "inf");
        assert_eq!(format_incrbyfloat(f64::NEG_INFINITY), "-inf");
        let big = format_incrbyfloat(f64::MAX);
        assert_eq!(big.len(), 309);
        assert!(big.starts_with("17976931348623157"));
    }

    fn ld(s: &str) -> LongDouble {
        match LongDouble::parse(s.as_bytes()) {
            Some(v) => v,
            None => panic!("{s} did not parse"),
        }
    }

    fn incr(a: &str, b: &str) -> String {
        ld(a).add(ld(b)).to_human_string()
    }

    #[test]
    fn long_double_incrbyfloat_examples() {
        // The Redis documentation's examples.
        assert_eq!(incr("10.50", "0.1"), "10.6");
        assert_eq!(incr("5.0e3", "2.0e2"), "5200");
        // Where long double noise shows in Redis's 17 decimals.
        assert_eq!(incr("8512", "-39147.6"), "-30635.60000000000000142");
        assert_eq!(incr("47201.03", "44545"), "91746.03000000000000114");
        assert_eq!(incr("15019.385", "19650.5"), "34669.88499999999999801");
        // Where f64 would show noise and long double does not.
        assert_eq!(incr("0.1", "0.2"), "0.3");
        assert_eq!(incr("0.2", "0.1"), "0.3");
        assert_eq!(incr("3", "0"), "3");
        assert_eq!(incr("0", "0"), "0");
        assert_eq!(incr("-0", "-0"), "0");
        assert_eq!(incr("1", "-1"), "0");
        assert_eq!(incr("1e-20", "0"), "0");
        assert_eq!(incr("-1e-20", "0"), "0");
        assert_eq!(incr("1e18", "1"), "1000000000000000001");
        // At 1e20 the long double spacing is 8: adding 1 is lost.
        assert_eq!(incr("1e20", "1"), "100000000000000000000");
        assert_eq!(incr("-7.25", "0"), "-7.25");
        assert_eq!(
            LongDouble::from_i64(i64::MIN).to_human_string(),
            "-9223372036854775808"
        );
        assert_eq!(
            LongDouble::from_i64(i64::MAX).to_human_string(),
            "9223372036854775807"
        );
        assert_eq!(
            LongDouble::from_i64(12).add(ld("0.5")).to_human_string(),
            "12.5"
        );
    }

    #[test]
    fn long_double_parse_rules() {
        for bad in [
            "",
            " 1",
            "1 ",
            "nan",
            "-nan",
            "1e5000",
            "-1e5000",
            "1e-5000",
            "0x1p16384",
            "1\0",
            "abc",
            "1e",
            "0x",
        ] {
            assert_eq!(LongDouble::parse(bad.as_bytes()), None, "{bad:?}");
        }
        assert_eq!(LongDouble::parse(b"1\x002"), None);
        assert!(LongDouble::parse(b"inf").is_some_and(|v| v.is_infinite()));
        assert!(LongDouble::parse(b"-Infinity").is_some_and(|v| v.is_infinite()));
        assert!(LongDouble::parse(b"1e4000").is_some_and(|v| v.is_finite()));
        assert!(LongDouble::parse(b"1e-4940").is_some_and(|v| v.is_finite()));
        assert!(LongDouble::parse(b"0e99999").is_some_and(|v| v.is_finite()));
        // string2ld refuses inputs of MAX_LONG_DOUBLE_CHARS (5120) bytes or more.
        let long = format!("0.{}", "1".repeat(5117));
        assert!(LongDouble::parse(long.as_bytes()).is_some());
        let too_long = "1".repeat(5120);
        assert_eq!(LongDouble::parse(too_long.as_bytes()), None);
    }

    #[test]
    fn long_double_special_sums() {
        let inf = ld("inf");
        let ninf = ld("-inf");
        assert!(inf.add(ninf).is_nan());
        assert!((inf + ld("1")).is_infinite());
        assert!(!inf.add(ld("1")).is_finite());
        assert_eq!(inf.to_human_string(), "inf");
        assert_eq!(ninf.to_human_string(), "-inf");
        // Overflow of the sum.
        let max = ld("1.18973149535723176502e4932");
        assert!(max.is_finite());
        assert!(max.add(max).is_infinite());
        // Exact cancellation gives +0.
        assert_eq!(ld("5.5").add(ld("-5.5")).to_bits(), 0);
        // to_bits of 1.0: exponent 16383, integer bit set.
        assert_eq!(ld("1").to_bits(), (16383u128 << 64) | (1u128 << 63));
        assert_eq!(
            ld("-2").to_bits(),
            (1u128 << 79) | (16384u128 << 64) | (1u128 << 63)
        );
    }

    #[test]
    fn i64_format() {
        assert_eq!(format_i64(0), "0");
        assert_eq!(format_i64(-42), "-42");
        assert_eq!(format_i64(i64::MIN), "-9223372036854775808");
        assert_eq!(format_i64(i64::MAX), "9223372036854775807");
        let mut out = b"x".to_vec();
        push_u64(&mut out, u64::MAX);
        push_u64(&mut out, 0);
        push_u64(&mut out, 10);
        assert_eq!(out, b"x18446744073709551615010");
        for n in [
            9,
            999_999_999,
            1_000_000_000,
            1_000_000_001,
            4_294_967_296,
            1_000_000_000_000_000_000,
            10_000_000_000_000_000_000,
        ] {
            let mut out = Vec::new();
            push_u64(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }

    #[test]
    fn roundtrip_format_then_parse() {
        for v in [
            0.1,
            1.1,
            1e-300,
            5e-324,
            1.7976931348623157e308,
            -2.5,
            1e22,
            123.456,
        ] {
            let s = format_double(v);
            assert_eq!(parse_f64(s.as_bytes()), Some(v), "{s}");
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn i64_round_trips(v in any::<i64>()) {
                prop_assert_eq!(parse_i64(format_i64(v).as_bytes()), Some(v));
            }

            /// Whole numbers take the integer shortcut, and match Rust's own
            /// formatting of the integer.
            #[test]
            fn g17_whole_numbers(n in -999_999_999_999_999i64..=999_999_999_999_999) {
                prop_assert_eq!(format_double(n as f64), n.to_string());
            }

            #[test]
            fn g17_round_trips(bits in any::<u64>()) {
                let v = f64::from_bits(bits);
                prop_assume!(v.is_finite());
                let text = format_double(v);
                let back = parse_f64(text.as_bytes());
                prop_assert_eq!(back.map(f64::to_bits), Some(bits), "{}", text);
            }

            #[test]
            fn parse_f64_never_panics(s in "[0-9a-fA-FxXpPeE.+\\- infINFnaNty]{0,30}") {
                let _ = parse_f64(s.as_bytes());
                let _ = LongDouble::parse(s.as_bytes());
            }

            #[test]
            fn long_double_is_exact_for_integers(a in -(1i64 << 62)..(1i64 << 62), b in -(1i64 << 62)..(1i64 << 62)) {
                let sum = LongDouble::from_i64(a).add(LongDouble::from_i64(b));
                prop_assert_eq!(sum.to_human_string(), (i128::from(a) + i128::from(b)).to_string());
                let parsed = LongDouble::parse(a.to_string().as_bytes());
                prop_assert_eq!(parsed, Some(LongDouble::from_i64(a)));
            }

            #[test]
            fn incrbyfloat_text_is_plain(v in -1e300f64..1e300) {
                let text = format_incrbyfloat(v);
                prop_assert!(!text.contains('e') && !text.ends_with('.'));
                if text.contains('.') {
                    prop_assert!(!text.ends_with('0'));
                }
            }
        }
    }
}
