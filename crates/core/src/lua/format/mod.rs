//! Number formatting as Lua 5.1 does it on x86-64 glibc (what Redis 7.0's
//! embedded Lua prints): `tostring` of numbers (C's `"%.14g"`) and the
//! pieces of `string.format`.
//!
//! Floating-point digits come from Rust's formatter, which rounds exactly
//! (ties to even on the exact binary value, like glibc's `printf`); the
//! layout rules of C's `%e`, `%f` and `%g` are applied on top.
//!
//! Widths and precisions are at most 99 (Lua 5.1 accepts two digits at most);
//! the functions here clamp larger values to 99, so output stays bounded.

/// Lua 5.1's `FLAGS`.
const FLAGS: &[u8] = b"-+ #0";

/// The largest width or precision a format spec can carry (two digits).
const MAX_WIDTH: usize = 99;

/// `2^63` as an `f64`.
const TWO_63: f64 = 9_223_372_036_854_775_808.0;

/// `2^31` as an `f64`.
const TWO_31: f64 = 2_147_483_648.0;

/// Lua 5.1's `tostring` for numbers: C's `"%.14g"`, so `0.33333333333333`,
/// `1e+15`, `100`, `-0`, `inf`, `-inf`. A NaN prints as `-nan` when its sign
/// bit is set and `nan` otherwise, as glibc does: on x86-64, `0/0` yields a
/// NaN with the sign bit set (Redis prints `tostring(0/0)` as `-nan` and
/// `tostring(-(0/0))` as `nan`), while Rust's `f64::NAN` has it clear.
pub fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e14 {
        // An integer of at most 14 digits prints in full under %.14g.
        if n == 0.0 && n.is_sign_negative() {
            return "-0".to_string();
        }
        return (n as i64).to_string();
    }
    fmt_float(b'g', b"", None, Some(14), n)
}

/// C `printf`'s `%e`/`%E`/`%f`/`%g`/`%G` (also `%F`) for one `f64`, with
/// `flags` a subset of `"-+ #0"` (repeats allowed), an optional width and an
/// optional precision (`None` means 6). Any other `conv` is treated as `%g`.
/// Infinities and NaNs print as `inf`/`nan` (upper-case for `E`, `G`, `F`),
/// padded with spaces even under the `0` flag.
pub fn fmt_float(
    conv: u8,
    flags: &[u8],
    width: Option<usize>,
    precision: Option<usize>,
    n: f64,
) -> String {
    let f = Flags::new(flags);
    let upper = conv.is_ascii_uppercase();
    let precision = precision.unwrap_or(6).min(MAX_WIDTH);
    let sign = if n.is_sign_negative() {
        "-"
    } else if f.plus {
        "+"
    } else if f.space {
        " "
    } else {
        ""
    };
    let (body, zero_pad) = if n.is_finite() {
        let x = n.abs();
        let body = match conv.to_ascii_lowercase() {
            b'e' => exp_style(x, precision, f.alt, upper),
            b'f' => fixed_style(x, precision, f.alt),
            _ => general_style(x, precision, f.alt, upper),
        };
        (body, f.zero)
    } else {
        let text = match (n.is_nan(), upper) {
            (true, false) => "nan",
            (true, true) => "NAN",
            (false, false) => "inf",
            (false, true) => "INF",
        };
        (text.to_string(), false)
    };
    let out = pad(sign.as_bytes(), body.as_bytes(), width, f.minus, zero_pad);
    String::from_utf8(out).unwrap_or_default()
}

/// One piece of a `string.format` format string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text to copy. A `%%` becomes a separate one-byte `"%"` piece.
    Literal(&'a [u8]),
    /// A conversion, which consumes one argument.
    Spec(Spec),
}

/// A conversion spec: `%[flags][width][.precision]conv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// The flag bytes as written (a subset of `"-+ #0"`, possibly repeated,
    /// at most 5 of them).
    pub flags: Vec<u8>,
    /// The width (at most 99).
    pub width: Option<usize>,
    /// The precision (at most 99); `Some(0)` for a bare `.`.
    pub precision: Option<usize>,
    /// One of `c d i o u x X e E f g G q s`.
    pub conv: u8,
}

/// Splits a format string as Lua 5.1's `str_format` does, with its errors:
/// `invalid option '%y' to 'format'`, `invalid format (repeated flags)`
/// (6 or more flag bytes) and `invalid format (width or precision too long)`
/// (3 or more digits).
///
/// Lua raises these errors only when it reaches the bad spec, and it first
/// checks that an argument is left for it (`bad argument #n to 'format'
/// (no value)`). To reproduce that order, walk [`format_pieces`] instead.
pub fn parse_format(fmt: &[u8]) -> Result<Vec<Piece<'_>>, String> {
    format_pieces(fmt).collect()
}

/// The pieces of a format string one at a time; see [`parse_format`]. After
/// an `Err` (which stands where the bad spec's piece would be), the
/// iterator ends.
pub fn format_pieces(fmt: &[u8]) -> FormatPieces<'_> {
    FormatPieces { rest: fmt }
}

/// An iterator over the pieces of a format string.
#[derive(Clone, Debug)]
pub struct FormatPieces<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for FormatPieces<'a> {
    type Item = Result<Piece<'a>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest;
        let first = *rest.first()?;
        if first != b'%' {
            let n = rest.iter().position(|&b| b == b'%').unwrap_or(rest.len());
            let (text, tail) = rest.split_at(n);
            self.rest = tail;
            return Some(Ok(Piece::Literal(text)));
        }
        if rest.get(1) == Some(&b'%') {
            self.rest = rest.get(2..).unwrap_or(&[]);
            return Some(Ok(Piece::Literal(rest.get(1..2).unwrap_or(b"%"))));
        }
        let spec = rest.get(1..).unwrap_or(&[]);
        match scan_spec(spec) {
            Ok((s, used)) => {
                self.rest = spec.get(used..).unwrap_or(&[]);
                Some(Ok(Piece::Spec(s)))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

/// Lua 5.1's `scanformat` plus the conversion check: parses the spec after
/// a `%`, returning it and the number of bytes it used.
fn scan_spec(spec: &[u8]) -> Result<(Spec, usize), String> {
    let at = |i: usize| spec.get(i).copied().unwrap_or(0);
    let mut p = 0;
    while at(p) != 0 && FLAGS.contains(&at(p)) {
        p += 1;
    }
    if p > FLAGS.len() {
        return Err("invalid format (repeated flags)".to_string());
    }
    let flags = spec.get(..p).unwrap_or(&[]).to_vec();
    let digits = |p: &mut usize| -> Option<usize> {
        let start = *p;
        let mut value = 0;
        while *p - start < 2 && at(*p).is_ascii_digit() {
            value = value * 10 + usize::from(at(*p) - b'0');
            *p += 1;
        }
        (*p > start).then_some(value)
    };
    let width = digits(&mut p);
    let mut precision = None;
    if at(p) == b'.' {
        p += 1;
        precision = Some(digits(&mut p).unwrap_or(0));
    }
    if at(p).is_ascii_digit() {
        return Err("invalid format (width or precision too long)".to_string());
    }
    let conv = at(p);
    if !b"cdiouxXeEfgGqs".contains(&conv) || conv == 0 {
        // Lua formats the byte with "%c"; a NUL ends the message's string
        // there, so it shows nothing. Bytes >= 0x80 are shown as the
        // Latin-1 character (the error is a Rust string).
        let shown = if conv == 0 {
            String::new()
        } else {
            char::from(conv).to_string()
        };
        return Err(format!("invalid option '%{shown}' to 'format'"));
    }
    Ok((
        Spec {
            flags,
            width,
            precision,
            conv,
        },
        p + 1,
    ))
}

/// An integer conversion (`d i c o u x X`) of a Lua number, as Lua 5.1 on
/// x86-64 does it: `d`/`i` cast the number to a C `long` and `o u x X` to an
/// `unsigned long`, `c` to an `int` (then prints its low byte). The casts
/// truncate toward zero; out-of-range values and NaN behave as the x86-64
/// conversion instructions do (e.g. `%d` of `2^63` or NaN is
/// `-9223372036854775808`, `%x` of `-1` is `ffffffffffffffff`, `%x` of `2^64`
/// is `0`). Flags, width and precision follow C's `printf`. As in Lua 5.1
/// (which measures the result with `strlen`), a `%c` of a zero byte gives
/// only the padding before it. Any other `conv` is treated as `d`.
pub fn fmt_integer(spec: &Spec, n: f64) -> Vec<u8> {
    let f = Flags::new(&spec.flags);
    let width = spec.width.map(|w| w.min(MAX_WIDTH));
    let precision = spec.precision.map(|p| p.min(MAX_WIDTH));
    if spec.conv == b'c' {
        // C's `(int)` cast, then `printf("%c")` prints the low byte.
        let byte = c_int(n) as u8;
        let mut out = pad(b"", &[byte], width, f.minus, false);
        if let Some(nul) = out.iter().position(|&b| b == 0) {
            out.truncate(nul);
        }
        return out;
    }
    let (sign, prefix, digits): (&[u8], &[u8], String) = match spec.conv {
        b'o' | b'u' | b'x' | b'X' => {
            let v = c_ulong(n);
            let digits = match spec.conv {
                b'o' => format!("{v:o}"),
                b'x' => format!("{v:x}"),
                b'X' => format!("{v:X}"),
                _ => v.to_string(),
            };
            let prefix: &[u8] = match spec.conv {
                b'x' if f.alt && v != 0 => b"0x",
                b'X' if f.alt && v != 0 => b"0X",
                _ => b"",
            };
            (b"", prefix, digits)
        }
        _ => {
            let v = c_long(n);
            let sign: &[u8] = if v < 0 {
                b"-"
            } else if f.plus {
                b"+"
            } else if f.space {
                b" "
            } else {
                b""
            };
            (sign, b"", v.unsigned_abs().to_string())
        }
    };
    let mut body = Vec::with_capacity(digits.len());
    match precision {
        // An explicit zero precision prints no digits for zero.
        Some(0) if digits == "0" => {}
        Some(p) => {
            body.resize(p.saturating_sub(digits.len()), b'0');
            body.extend_from_slice(digits.as_bytes());
        }
        None => body.extend_from_slice(digits.as_bytes()),
    }
    if spec.conv == b'o' && f.alt && body.first() != Some(&b'0') {
        body.insert(0, b'0');
    }
    let mut lead = sign.to_vec();
    lead.extend_from_slice(prefix);
    // With a precision, the 0 flag is ignored; zeros go after sign and prefix.
    pad(&lead, &body, width, f.minus, f.zero && precision.is_none())
}

/// `%s` as Lua 5.1 does it: without a precision, a string of 100 bytes or
/// more is copied whole (width ignored); otherwise the C `printf("%s")`
/// rules apply: the string ends at its first `\0`, the precision truncates
/// it, the width pads it with spaces (on the right with the `-` flag; the
/// `0` flag pads with spaces too, as glibc does).
pub fn fmt_string(spec: &Spec, s: &[u8]) -> Vec<u8> {
    if spec.precision.is_none() && s.len() >= 100 {
        return s.to_vec();
    }
    let f = Flags::new(&spec.flags);
    let mut text = s;
    if let Some(nul) = text.iter().position(|&b| b == 0) {
        text = text.get(..nul).unwrap_or(text);
    }
    if let Some(p) = spec.precision {
        text = text.get(..p).unwrap_or(text);
    }
    pad(
        b"",
        text,
        spec.width.map(|w| w.min(MAX_WIDTH)),
        f.minus,
        false,
    )
}

/// `%q`: Lua 5.1's `addquoted`. Wraps the string in double quotes and
/// escapes `"`, `\` and newline with a backslash (the newline stays a real
/// newline), `\r` as `\r` and `\0` as `\000`; every other byte is copied.
pub fn fmt_quoted(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    out.push(b'"');
    for &b in s {
        match b {
            b'"' | b'\\' | b'\n' => {
                out.push(b'\\');
                out.push(b);
            }
            b'\r' => out.extend_from_slice(b"\\r"),
            0 => out.extend_from_slice(b"\\000"),
            _ => out.push(b),
        }
    }
    out.push(b'"');
    out
}

/// The printf flags that matter.
#[derive(Clone, Copy, Debug, Default)]
struct Flags {
    minus: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
}

impl Flags {
    fn new(flags: &[u8]) -> Self {
        let mut f = Flags::default();
        for &b in flags {
            match b {
                b'-' => f.minus = true,
                b'+' => f.plus = true,
                b' ' => f.space = true,
                b'#' => f.alt = true,
                b'0' => f.zero = true,
                _ => {}
            }
        }
        f
    }
}

/// `sign` then `body`, padded to `width`: with spaces on the right when
/// `left`, else with zeros between sign and body when `zero`, else with
/// spaces on the left.
fn pad(sign: &[u8], body: &[u8], width: Option<usize>, left: bool, zero: bool) -> Vec<u8> {
    let len = sign.len() + body.len();
    let extra = width.map_or(0, |w| w.min(MAX_WIDTH).saturating_sub(len));
    let mut out = Vec::with_capacity(len + extra);
    if left {
        out.extend_from_slice(sign);
        out.extend_from_slice(body);
        out.resize(len + extra, b' ');
    } else if zero {
        out.extend_from_slice(sign);
        out.resize(sign.len() + extra, b'0');
        out.extend_from_slice(body);
    } else {
        out.resize(extra, b' ');
        out.extend_from_slice(sign);
        out.extend_from_slice(body);
    }
    out
}

/// The digits of finite `x >= 0` rounded to `precision + 1` significant
/// digits, as (mantissa "d.ddd", decimal exponent).
fn sci_parts(x: f64, precision: usize) -> (String, i32) {
    let s = format!("{:.*e}", precision, x);
    match s.split_once('e') {
        Some((mantissa, exp)) => (mantissa.to_string(), exp.parse().unwrap_or(0)),
        None => (s, 0),
    }
}

/// C's `%e` body for finite `x >= 0`.
fn exp_style(x: f64, precision: usize, alt: bool, upper: bool) -> String {
    let (mantissa, exp) = sci_parts(x, precision);
    join_exp(mantissa, exp, precision == 0 && alt, upper)
}

/// `mantissa` + optional `.` + `e±XX` (at least two exponent digits).
fn join_exp(mut mantissa: String, exp: i32, add_point: bool, upper: bool) -> String {
    if add_point {
        mantissa.push('.');
    }
    let e = if upper { 'E' } else { 'e' };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}{e}{sign}{:02}", exp.unsigned_abs())
}

/// C's `%f` body for finite `x >= 0`.
fn fixed_style(x: f64, precision: usize, alt: bool) -> String {
    let mut s = format!("{:.*}", precision, x);
    if precision == 0 && alt {
        s.push('.');
    }
    s
}

/// C's `%g` body for finite `x >= 0`.
fn general_style(x: f64, precision: usize, alt: bool, upper: bool) -> String {
    let p = precision.max(1);
    let (mantissa, exp) = if x == 0.0 {
        (String::new(), 0)
    } else {
        sci_parts(x, p - 1)
    };
    let p_i32 = i32::try_from(p).unwrap_or(i32::MAX);
    if exp < -4 || exp >= p_i32 {
        let mantissa = if alt {
            mantissa
        } else {
            strip_fraction_zeros(mantissa)
        };
        return join_exp(mantissa, exp, alt && p == 1, upper);
    }
    // Here -4 <= exp < p, so the fraction has p - 1 - exp digits.
    let decimals = usize::try_from(p_i32 - 1 - exp).unwrap_or(0);
    let s = fixed_style(x, decimals, alt);
    if alt {
        s
    } else {
        strip_fraction_zeros(s)
    }
}

/// Drops trailing zeros after a decimal point, and the point if nothing
/// follows it.
fn strip_fraction_zeros(mut s: String) -> String {
    if s.contains('.') {
        let kept = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(kept);
    }
    s
}

/// C's `(long)x` on x86-64 (`cvttsd2si`): truncation, and `i64::MIN` for NaN
/// and out-of-range values.
fn c_long(x: f64) -> i64 {
    if x.is_nan() || !(-TWO_63..TWO_63).contains(&x) {
        i64::MIN
    } else {
        x as i64
    }
}

/// C's `(unsigned long)x` as gcc compiles it for x86-64: values from 2^63 up
/// are converted after subtracting 2^63; everything else (NaN included) as
/// a signed conversion.
fn c_ulong(x: f64) -> u64 {
    if x >= TWO_63 {
        (c_long(x - TWO_63) as u64) ^ (1 << 63)
    } else {
        c_long(x) as u64
    }
}

/// C's `(int)x` on x86-64: truncation, and `i32::MIN` for NaN and
/// out-of-range values.
fn c_int(x: f64) -> i32 {
    if x.is_nan() || !(-TWO_31..TWO_31).contains(&x) {
        i32::MIN
    } else {
        x as i32
    }
}

#[cfg(test)]
mod tests;
