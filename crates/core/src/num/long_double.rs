//! Exact emulation of Redis's `long double` arithmetic (x86-64: x87 80-bit), for
//! INCRBYFLOAT and HINCRBYFLOAT.

use super::*;

/// Redis's `MAX_LONG_DOUBLE_CHARS`: `string2ld` refuses inputs this long.
const MAX_LONG_DOUBLE_CHARS: usize = 5 * 1024;
/// Bit position of the lowest bit an 80-bit long double can hold (subnormals).
const LD_LOWEST_BIT: i64 = -16445;
/// Largest exponent of the leading bit of a finite 80-bit long double.
const LD_MAX_TOP: i64 = 16383;

/// An x87 80-bit extended-precision value, as Redis uses for INCRBYFLOAT and
/// HINCRBYFLOAT on x86-64: a 64-bit mantissa, round-to-nearest-even.
///
/// This gives byte-exact results where formatting an `f64` cannot (for example
/// `INCRBYFLOAT` of `8512` by `-39147.6` replies `-30635.60000000000000142`
/// in Redis). Typical use, mirroring `incrbyfloatCommand`:
///
/// ```
/// use cachelab_core::num::LongDouble;
/// let (Some(current), Some(incr)) = (LongDouble::parse(b"10.50"), LongDouble::parse(b"0.1")) else {
///     return; // "value is not a valid float"
/// };
/// let sum = current.add(incr);
/// assert!(sum.is_finite());                             // else "increment would produce NaN or Infinity"
/// assert_eq!(sum.to_human_string(), "10.6");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LongDouble {
    negative: bool,
    class: LdClass,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LdClass {
    Zero,
    /// `mantissa * 2^exp`, mantissa non-zero, rounded to 64 significant bits.
    Finite {
        mantissa: u64,
        exp: i64,
    },
    Inf,
    Nan,
}

impl LongDouble {
    pub const ZERO: LongDouble = LongDouble {
        negative: false,
        class: LdClass::Zero,
    };

    /// Redis's `string2ld`: C `strtold` on the whole input, refusing empty
    /// input, inputs of 5120 bytes or more, leading whitespace, trailing
    /// garbage, NaN, and literals that overflow (to infinity) or underflow
    /// (to zero). `inf`/`infinity` are accepted (the callers then reject the
    /// infinite result). The long double range is much wider than `f64`'s:
    /// `1e400` is accepted here.
    pub fn parse(s: &[u8]) -> Option<LongDouble> {
        if s.is_empty() || s.len() >= MAX_LONG_DOUBLE_CHARS {
            return None;
        }
        let (negative, body) = match s.split_first() {
            Some((b'-', rest)) => (true, rest),
            Some((b'+', rest)) => (false, rest),
            _ => (false, s),
        };
        if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
            return Some(LongDouble {
                negative,
                class: LdClass::Inf,
            });
        }
        let value = match body {
            [b'0', b'x' | b'X', hex @ ..] => parse_ld_hex(negative, hex)?,
            _ => parse_ld_decimal(negative, body)?,
        };
        // ERANGE overflow is refused; so is underflow to zero, which the
        // helpers already reported as None.
        match value.class {
            LdClass::Inf | LdClass::Nan => None,
            _ => Some(value),
        }
    }

    /// The exact value of an integer (what Redis does for integer-encoded
    /// strings: every `i64` fits a 64-bit mantissa).
    pub fn from_i64(v: i64) -> LongDouble {
        if v == 0 {
            return LongDouble::ZERO;
        }
        round_ld(v < 0, u128::from(v.unsigned_abs()), 0, false)
    }

    /// The exact value of a double (C's implicit `double` to `long double`).
    pub fn from_f64(v: f64) -> LongDouble {
        let negative = v.is_sign_negative();
        if v.is_nan() {
            return LongDouble {
                negative,
                class: LdClass::Nan,
            };
        }
        if v.is_infinite() {
            return LongDouble {
                negative,
                class: LdClass::Inf,
            };
        }
        if v == 0.0 {
            return LongDouble {
                negative,
                class: LdClass::Zero,
            };
        }
        let bits = v.to_bits();
        let exp_field = ((bits >> 52) & 0x7ff) as i64;
        let fraction = bits & ((1u64 << 52) - 1);
        let (mantissa, exp) = if exp_field == 0 {
            (fraction, -1074)
        } else {
            (fraction | (1u64 << 52), exp_field - 1075)
        };
        round_ld(negative, u128::from(mantissa), exp, false)
    }

    pub fn is_finite(&self) -> bool {
        matches!(self.class, LdClass::Zero | LdClass::Finite { .. })
    }

    pub fn is_nan(&self) -> bool {
        matches!(self.class, LdClass::Nan)
    }

    pub fn is_infinite(&self) -> bool {
        matches!(self.class, LdClass::Inf)
    }

    /// IEEE addition, rounded to nearest even (also available as `+`).
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, other: LongDouble) -> LongDouble {
        use LdClass::*;
        let nan = LongDouble {
            negative: false,
            class: Nan,
        };
        match (self.class, other.class) {
            (Nan, _) | (_, Nan) => nan,
            (Inf, Inf) if self.negative != other.negative => nan,
            (Inf, _) => self,
            (_, Inf) => other,
            (Zero, Zero) => LongDouble {
                negative: self.negative && other.negative,
                class: Zero,
            },
            (Zero, _) => other,
            (_, Zero) => self,
            (
                Finite {
                    mantissa: ma,
                    exp: ea,
                },
                Finite {
                    mantissa: mb,
                    exp: eb,
                },
            ) => {
                // `a` is the operand with the larger exponent.
                let (a_neg, ma, ea, b_neg, mb, eb) = if ea >= eb {
                    (self.negative, ma, ea, other.negative, mb, eb)
                } else {
                    (other.negative, mb, eb, self.negative, ma, ea)
                };
                // Widen `a` by 63 bits so that guard bits survive.
                let big_a = u128::from(ma) << 63;
                let exp = ea - 63;
                let d = exp - eb;
                let (big_b, sticky, exp) = if d <= 0 {
                    // `b` fits exactly at `a`'s widened scale.
                    let shift = u32::try_from(-d).unwrap_or(0).min(63);
                    (u128::from(mb) << shift, false, exp)
                } else if d >= 128 {
                    (0, true, exp)
                } else {
                    let d = u32::try_from(d).unwrap_or(127);
                    let wide = u128::from(mb);
                    (wide >> d, wide & ((1u128 << d) - 1) != 0, exp)
                };
                if a_neg == b_neg {
                    return round_ld(a_neg, big_a + big_b, exp, sticky);
                }
                if sticky {
                    // b's true magnitude is slightly above big_b (and far
                    // below big_a): the difference is just below big_a - big_b.
                    return round_ld(a_neg, big_a - big_b - 1, exp, true);
                }
                match big_a.cmp(&big_b) {
                    std::cmp::Ordering::Greater => round_ld(a_neg, big_a - big_b, exp, false),
                    std::cmp::Ordering::Less => round_ld(b_neg, big_b - big_a, exp, false),
                    std::cmp::Ordering::Equal => LongDouble::ZERO,
                }
            }
        }
    }

    /// The x87 80-bit encoding (sign, 15-bit biased exponent, 64-bit
    /// mantissa with explicit integer bit) in the low 80 bits.
    pub fn to_bits(&self) -> u128 {
        let sign = u128::from(self.negative) << 79;
        match self.class {
            LdClass::Zero => sign,
            LdClass::Inf => sign | (0x7fff << 64) | (1 << 63),
            LdClass::Nan => sign | (0x7fff << 64) | (0b11 << 62),
            LdClass::Finite { mantissa, exp } => {
                if mantissa >> 63 == 1 {
                    let biased = u128::try_from(exp + 63 + 16383).unwrap_or(0) & 0x7fff;
                    sign | (biased << 64) | u128::from(mantissa)
                } else {
                    sign | u128::from(mantissa)
                }
            }
        }
    }

    /// Redis's `ld2string(..., LD_STR_HUMAN)`: `%.17Lf`, trailing zeros and a
    /// trailing `.` removed, `-0` turned into `0`; `inf` / `-inf` for
    /// infinities.
    pub fn to_human_string(&self) -> String {
        let sign = if self.negative { "-" } else { "" };
        let mut s = match self.class {
            LdClass::Inf => return format!("{sign}inf"),
            LdClass::Nan => return format!("{sign}nan"),
            LdClass::Zero => format!("{sign}0.00000000000000000"),
            LdClass::Finite { mantissa, exp } if exp >= 0 => {
                let shift = usize::try_from(exp).unwrap_or(0);
                let digits = Big::from_u64(mantissa).shl(shift).to_decimal();
                format!("{sign}{digits}.00000000000000000")
            }
            LdClass::Finite { mantissa, exp } => {
                // Round mantissa * 10^17 / 2^k to an integer, ties to even.
                const SCALE: u128 = 100_000_000_000_000_000;
                let k = exp.unsigned_abs();
                let scaled = u128::from(mantissa) * SCALE;
                let q = if k >= 128 {
                    0
                } else {
                    let k = u32::try_from(k).unwrap_or(127);
                    let q = scaled >> k;
                    let rem = scaled & ((1u128 << k) - 1);
                    let half = 1u128 << (k - 1);
                    q + u128::from(rem > half || (rem == half && q & 1 == 1))
                };
                format!("{sign}{}.{:017}", q / SCALE, q % SCALE)
            }
        };
        let trimmed = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(trimmed);
        if s == "-0" {
            s = "0".to_string();
        }
        s
    }
}

impl std::ops::Add for LongDouble {
    type Output = LongDouble;

    fn add(self, other: LongDouble) -> LongDouble {
        LongDouble::add(self, other)
    }
}

/// Rounds `mag * 2^exp` (plus a sticky bit below it) to a long double.
fn round_ld(negative: bool, mag: u128, exp: i64, sticky: bool) -> LongDouble {
    let make = |class| LongDouble { negative, class };
    if mag == 0 {
        return make(LdClass::Zero);
    }
    let bits = i64::from(128 - mag.leading_zeros());
    let top = exp.saturating_add(bits - 1);
    if top > LD_MAX_TOP {
        return make(LdClass::Inf);
    }
    let mut low = top.saturating_sub(63).max(LD_LOWEST_BIT);
    let shift = low.saturating_sub(exp);
    let q: u128 = if shift <= 0 {
        let s = u32::try_from(shift.unsigned_abs()).unwrap_or(127).min(127);
        mag << s
    } else {
        let (q, round_up) = if shift > 128 {
            (0, false)
        } else if shift == 128 {
            let half = 1u128 << 127;
            (0, mag > half || (mag == half && sticky))
        } else {
            let s = u32::try_from(shift).unwrap_or(127);
            let q = mag >> s;
            let rem = mag & ((1u128 << s) - 1);
            let half = 1u128 << (s - 1);
            (q, rem > half || (rem == half && (sticky || q & 1 == 1)))
        };
        q + u128::from(round_up)
    };
    let mut q = q;
    if q >> 64 != 0 {
        // Rounding carried into a 65th bit.
        q >>= 1;
        low += 1;
        if low + 63 > LD_MAX_TOP {
            return make(LdClass::Inf);
        }
    }
    match u64::try_from(q) {
        Ok(0) => make(LdClass::Zero),
        Ok(mantissa) => make(LdClass::Finite { mantissa, exp: low }),
        Err(_) => make(LdClass::Inf),
    }
}

/// The hexadecimal branch of `strtold` (input after `0x`).
fn parse_ld_hex(negative: bool, b: &[u8]) -> Option<LongDouble> {
    let super::HexFloat {
        mantissa,
        exp2,
        sticky,
    } = super::scan_hex_float(b, 124)?;
    if mantissa == 0 {
        return Some(LongDouble {
            negative,
            class: LdClass::Zero,
        });
    }
    let v = round_ld(negative, mantissa, exp2, sticky);
    // Underflow of a non-zero literal is ERANGE.
    (v.class != LdClass::Zero).then_some(v)
}

/// The decimal branch of `strtold`, correctly rounded.
fn parse_ld_decimal(negative: bool, b: &[u8]) -> Option<LongDouble> {
    check_decimal_syntax(b)?;
    let (mantissa_part, exp_part) = match b.iter().position(|&c| c == b'e' || c == b'E') {
        Some(p) => (b.get(..p).unwrap_or(&[]), b.get(p + 1..).unwrap_or(&[])),
        None => (b, &[][..]),
    };
    // Decimal exponent, saturated far beyond the long double range.
    let mut exp10: i64 = 0;
    {
        let (neg, digits) = match exp_part.split_first() {
            Some((b'-', rest)) => (true, rest),
            Some((b'+', rest)) => (false, rest),
            _ => (false, exp_part),
        };
        for &c in digits {
            exp10 = exp10
                .saturating_mul(10)
                .saturating_add(i64::from(c.wrapping_sub(b'0')))
                .min(1 << 40);
        }
        if neg {
            exp10 = -exp10;
        }
    }
    // Significant digits without leading/trailing zeros; value = D * 10^exp10.
    let mut digits: Vec<u8> = Vec::with_capacity(mantissa_part.len());
    let mut seen_point = false;
    for &c in mantissa_part {
        if c == b'.' {
            seen_point = true;
            continue;
        }
        if seen_point {
            exp10 = exp10.saturating_sub(1);
        }
        if digits.is_empty() && c == b'0' {
            continue;
        }
        digits.push(c - b'0');
    }
    while digits.last() == Some(&0) {
        digits.pop();
        exp10 = exp10.saturating_add(1);
    }
    if digits.is_empty() {
        return Some(LongDouble {
            negative,
            class: LdClass::Zero,
        });
    }
    let n = i64::try_from(digits.len()).unwrap_or(i64::MAX);
    // value >= 10^(n-1+exp10): beyond ~1.19e4932 it overflows.
    if n.saturating_sub(1).saturating_add(exp10) > 4933 {
        return None;
    }
    // value < 10^(n+exp10): below half the smallest subnormal (~1.8e-4951)
    // it rounds to zero.
    if n.saturating_add(exp10) < -4952 {
        return None;
    }
    let d = Big::from_decimal_digits(&digits);
    let (mag, exp2, sticky) = if exp10 >= 0 {
        let value = d.mul_pow10(usize::try_from(exp10).unwrap_or(0));
        value.top_bits(120)
    } else {
        let divisor = Big::from_u64(1).mul_pow10(usize::try_from(-exp10).unwrap_or(0));
        // Scale so that the quotient has about 101 bits.
        let s = 101 - (d.bit_len() - divisor.bit_len());
        let (num, den) = if s >= 0 {
            (d.shl(usize::try_from(s).unwrap_or(0)), divisor)
        } else {
            (d, divisor.shl(usize::try_from(-s).unwrap_or(0)))
        };
        let (q, rem_nonzero) = num.div_small_quotient(&den, 103);
        (q, -s, rem_nonzero)
    };
    let v = round_ld(negative, mag, exp2, sticky);
    match v.class {
        LdClass::Zero | LdClass::Inf => None,
        _ => Some(v),
    }
}

/// A minimal unsigned big integer (little-endian base 2^32 limbs), enough
/// for exact decimal <-> binary conversion of long doubles.
#[derive(Clone, Debug)]
struct Big {
    limbs: Vec<u32>,
}

impl Big {
    fn from_u64(v: u64) -> Big {
        let mut b = Big {
            limbs: vec![v as u32, (v >> 32) as u32],
        };
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    fn mul_small_add(&mut self, mul: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.limbs {
            let v = u64::from(*limb) * u64::from(mul) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.limbs.push(carry as u32);
        }
        self.trim();
    }

    fn from_decimal_digits(digits: &[u8]) -> Big {
        let mut b = Big { limbs: Vec::new() };
        for chunk in digits.chunks(9) {
            let mut value = 0u32;
            let mut scale = 1u32;
            for &d in chunk {
                value = value * 10 + u32::from(d);
                scale *= 10;
            }
            b.mul_small_add(scale, value);
        }
        b
    }

    fn mul_pow10(mut self, mut k: usize) -> Big {
        while k >= 9 {
            self.mul_small_add(1_000_000_000, 0);
            k -= 9;
        }
        if k > 0 {
            self.mul_small_add(10u32.pow(u32::try_from(k).unwrap_or(0)), 0);
        }
        self
    }

    fn bit_len(&self) -> i64 {
        match self.limbs.last() {
            None => 0,
            Some(&top) => {
                let len = i64::try_from(self.limbs.len()).unwrap_or(i64::MAX);
                (len - 1) * 32 + i64::from(32 - top.leading_zeros())
            }
        }
    }

    fn bit(&self, i: usize) -> bool {
        self.limbs
            .get(i / 32)
            .is_some_and(|&limb| (limb >> (i % 32)) & 1 == 1)
    }

    fn shl(&self, bits: usize) -> Big {
        if self.is_zero() {
            return self.clone();
        }
        let words = bits / 32;
        let rem = bits % 32;
        let mut limbs = vec![0u32; words];
        let mut carry = 0u32;
        for &limb in &self.limbs {
            if rem == 0 {
                limbs.push(limb);
            } else {
                limbs.push((limb << rem) | carry);
                carry = limb >> (32 - rem);
            }
        }
        if carry != 0 {
            limbs.push(carry);
        }
        let mut b = Big { limbs };
        b.trim();
        b
    }

    /// The top `n` (<= 127) bits as an integer, the exponent of its lowest
    /// bit, and whether any bit below them is set.
    fn top_bits(&self, n: i64) -> (u128, i64, bool) {
        let len = self.bit_len();
        let low = (len - n).max(0);
        let mut mag = 0u128;
        let mut i = len;
        while i > low {
            i -= 1;
            mag = (mag << 1) | u128::from(self.bit(usize::try_from(i).unwrap_or(0)));
        }
        let lowu = usize::try_from(low).unwrap_or(0);
        let sticky = (0..lowu).any(|i| self.bit(i));
        (mag, low, sticky)
    }

    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }

    /// `self -= other`, requires `self >= other`.
    fn sub_assign(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            let o = i64::from(other.limbs.get(i).copied().unwrap_or(0));
            let mut v = i64::from(*limb) - o - borrow;
            if v < 0 {
                v += 1 << 32;
                borrow = 1;
            } else {
                borrow = 0;
            }
            *limb = v as u32;
        }
        self.trim();
    }

    fn shr1(&mut self) {
        let mut carry = 0u32;
        for limb in self.limbs.iter_mut().rev() {
            let next = *limb & 1;
            *limb = (*limb >> 1) | (carry << 31);
            carry = next;
        }
        self.trim();
    }

    /// `self / den` when the quotient is known to be below `2^bits`
    /// (bits <= 127); returns the quotient and whether a remainder is left.
    fn div_small_quotient(mut self, den: &Big, bits: usize) -> (u128, bool) {
        let mut shifted = den.shl(bits);
        let mut q = 0u128;
        for bit in (0..=bits).rev() {
            if self.cmp(&shifted) != std::cmp::Ordering::Less {
                self.sub_assign(&shifted);
                if bit < 128 {
                    q |= 1u128 << bit;
                }
            }
            shifted.shr1();
        }
        (q, !self.is_zero())
    }

    fn to_decimal(&self) -> String {
        if self.is_zero() {
            return "0".to_string();
        }
        let mut chunks = Vec::new();
        let mut n = self.limbs.clone();
        while !n.is_empty() {
            let mut rem = 0u64;
            for limb in n.iter_mut().rev() {
                let v = (rem << 32) | u64::from(*limb);
                *limb = (v / 1_000_000_000) as u32;
                rem = v % 1_000_000_000;
            }
            while n.last() == Some(&0) {
                n.pop();
            }
            chunks.push(rem);
        }
        let mut s = String::new();
        for (i, chunk) in chunks.iter().rev().enumerate() {
            if i == 0 {
                s.push_str(&chunk.to_string());
            } else {
                s.push_str(&format!("{chunk:09}"));
            }
        }
        s
    }
}
