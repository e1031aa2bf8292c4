//! Numbers as lua-cjson reads them: through C's `strtod`, so decimal and
//! hexadecimal floats, `inf` and `nan`, correctly rounded.

use super::*;

impl Parser {
    /// C's `strtod` (glibc, "C" locale) at `i`: the number and how many
    /// bytes it took, or None when no number starts there.
    pub(super) fn strtod(&self, i: usize) -> Option<(f64, usize)> {
        let mut p = i;
        let negative = match self.at(p) {
            b'-' => {
                p += 1;
                true
            }
            b'+' => {
                p += 1;
                false
            }
            _ => false,
        };
        let signed = |x: f64| if negative { -x } else { x };
        if self.starts_with_ci(p, b"inf") {
            p += 3;
            if self.starts_with_ci(p, b"inity") {
                p += 5;
            }
            return Some((signed(f64::INFINITY), p - i));
        }
        if self.starts_with_ci(p, b"nan") {
            p += 3;
            if self.at(p) == b'(' {
                let mut q = p + 1;
                while self.at(q).is_ascii_alphanumeric() || self.at(q) == b'_' {
                    q += 1;
                }
                if self.at(q) == b')' {
                    p = q + 1;
                }
            }
            return Some((signed(f64::NAN), p - i));
        }
        if self.at(p) == b'0' && self.at(p + 1) | 0x20 == b'x' {
            if let Some((x, len)) = self.hex_float(p + 2) {
                return Some((signed(x), p + 2 + len - i));
            }
        }
        // Decimal: digits with an optional point (at least one digit), then
        // an exponent only if it has digits.
        let mut q = p;
        let mut digits = 0;
        while self.at(q).is_ascii_digit() {
            q += 1;
            digits += 1;
        }
        if self.at(q) == b'.' {
            q += 1;
            while self.at(q).is_ascii_digit() {
                q += 1;
                digits += 1;
            }
        }
        if digits == 0 {
            return None;
        }
        if self.at(q) | 0x20 == b'e' {
            let mut e = q + 1;
            if matches!(self.at(e), b'+' | b'-') {
                e += 1;
            }
            if self.at(e).is_ascii_digit() {
                while self.at(e).is_ascii_digit() {
                    e += 1;
                }
                q = e;
            }
        }
        let text = std::str::from_utf8(self.data.get(p..q)?).ok()?;
        let x: f64 = text.parse().ok()?;
        Some((signed(x), q - i))
    }

    /// The digits of a hex float after `0x` (`1f`, `1.8p3`, `.8`): its value
    /// (correctly rounded) and length, or None without a hex digit.
    fn hex_float(&self, i: usize) -> Option<(f64, usize)> {
        let mut p = i;
        let mut mant: u64 = 0;
        let mut exp: i64 = 0;
        let mut sticky = false;
        let mut digits = 0;
        let mut after_point = false;
        loop {
            let c = self.at(p);
            if c == b'.' && !after_point {
                after_point = true;
                p += 1;
                continue;
            }
            let Some(d) = (c as char).to_digit(16) else {
                break;
            };
            digits += 1;
            if mant < 1 << 60 {
                mant = mant * 16 + u64::from(d);
                if after_point {
                    exp -= 4;
                }
            } else {
                sticky |= d != 0;
                if !after_point {
                    exp += 4;
                }
            }
            p += 1;
        }
        if digits == 0 {
            return None;
        }
        if self.at(p) | 0x20 == b'p' {
            let mut e = p + 1;
            let neg = match self.at(e) {
                b'-' => {
                    e += 1;
                    true
                }
                b'+' => {
                    e += 1;
                    false
                }
                _ => false,
            };
            if self.at(e).is_ascii_digit() {
                let mut v: i64 = 0;
                while self.at(e).is_ascii_digit() {
                    v = (v * 10 + i64::from(self.at(e) - b'0')).min(1 << 20);
                    e += 1;
                }
                exp += if neg { -v } else { v };
                p = e;
            }
        }
        Some((compose(mant, exp, sticky), p - i))
    }
}

/// `mant * 2^exp` as the nearest `f64` (ties to even), where `sticky` says
/// that nonzero digits below `mant` were dropped.
fn compose(mant: u64, exp: i64, sticky: bool) -> f64 {
    if mant == 0 {
        return 0.0;
    }
    let lz = mant.leading_zeros();
    let mant = mant << lz;
    // The value is mant * 2^(exp - lz), mant in [2^63, 2^64): its leading
    // bit has weight 2^top.
    let top = exp - i64::from(lz) + 63;
    if top > 1023 {
        return f64::INFINITY;
    }
    // Bits of `mant` to drop: 11 for a normal number, more below 2^-1022.
    let drop = if top >= -1022 { 11 } else { 11 + (-1022 - top) };
    if drop > 64 {
        return 0.0;
    }
    let (kept, rest, half) = if drop == 64 {
        (0, mant, 1u64 << 63)
    } else {
        (
            mant >> drop,
            mant & ((1u64 << drop) - 1),
            1u64 << (drop - 1),
        )
    };
    let round_up = rest > half || (rest == half && (sticky || kept & 1 == 1));
    let sig = kept + u64::from(round_up);
    if top >= -1022 {
        // sig is in [2^52, 2^53]; 2^53 carries into the exponent.
        let (sig, top) = if sig == 1 << 53 {
            (sig >> 1, top + 1)
        } else {
            (sig, top)
        };
        if top > 1023 {
            return f64::INFINITY;
        }
        let biased = (top + 1023) as u64;
        f64::from_bits((biased << 52) | (sig & ((1 << 52) - 1)))
    } else {
        // Subnormal (a carry to 2^52 gives the smallest normal).
        f64::from_bits(sig)
    }
}

#[cfg(test)]
mod tests {
    use super::compose;

    #[test]
    fn hex_floats_round_to_nearest_even() {
        assert_eq!(compose(1, 0, false), 1.0);
        assert_eq!(compose(3, -1, false), 1.5);
        // 2^53 + 1: a tie, to even (down); with a sticky bit, up.
        let big = (1u64 << 53) + 1;
        assert_eq!(compose(big, 0, false), 9_007_199_254_740_992.0);
        assert_eq!(compose(big, 0, true), 9_007_199_254_740_994.0);
        assert_eq!(compose(1, -1074, false), f64::from_bits(1));
        assert_eq!(compose(1, -1075, false), 0.0);
        assert_eq!(compose(3, -1075, false), f64::from_bits(2));
        assert_eq!(compose(1, 1024, false), f64::INFINITY);
        assert_eq!(compose(u64::MAX, 960, false), f64::INFINITY);
        assert_eq!(compose(u64::MAX, -2000, true), 0.0);
    }
}
