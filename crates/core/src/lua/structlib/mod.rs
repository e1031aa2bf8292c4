//! The `struct` library Redis bundles (Roberto Ierusalimschy's struct 0.2,
//! with Redis's overflow fixes): `struct.pack(fmt, ...)`,
//! `struct.unpack(fmt, data [, pos])` and `struct.size(fmt)`.
//!
//! A format is a sequence of options, read up to its first zero byte:
//!
//! - `>` big endian, `<` little endian (the default, x86's), `!n` align
//!   fields to at most `n` bytes (`!` alone: 8; the default is 1), ` `
//!   ignored;
//! - `b`/`B` char, `h`/`H` short, `l`/`L` long, `T` size_t, `in`/`In` an
//!   integer of `n` bytes (default 4, at most 32): lower case signed;
//! - `f` float, `d` double, `x` one zero byte of padding;
//! - `cn` a string of `n` bytes (default 1; `c0` in `pack` takes the whole
//!   string, in `unpack` the length unpacked just before), `s` a
//!   zero-terminated string.
//!
//! Numbers become integers the way the C library's casts do on x86-64
//! (truncation, and 2^63 for what doesn't fit), so out-of-range values pack
//! to the same bytes as in Redis.

use super::interp::{ErrorKind, Interp, LuaError};
use super::stdlib::{bad_arg, check_num, check_str, native, set_field};
use super::value::{Cell, Table, Value};

type LResult<T> = Result<T, LuaError>;
type Rets = LResult<Vec<Value>>;

/// The widest `i`/`I` option.
const MAX_INT_SIZE: u64 = 32;
/// `!` without a number: the strictest alignment of a C type.
const MAX_ALIGN: u64 = 8;
/// Lua 5.1's cap on the values a C function may have on its stack
/// (LUAI_MAXCSTACK): `unpack` stops with "too many results" before it.
const STACK_LIMIT: usize = 8000;

/// 2^63 as a double.
const TWO_63: f64 = 9_223_372_036_854_775_808.0;

/// C's `(long long)d` on x86-64: truncation, and i64::MIN for NaN and
/// anything out of range (`cvttsd2si`).
fn c_to_i64(d: f64) -> i64 {
    if (-TWO_63..TWO_63).contains(&d) {
        d as i64
    } else {
        i64::MIN
    }
}

/// C's `(unsigned long long)d` as GCC compiles it for x86-64: below 2^63 a
/// signed conversion, above it a signed conversion of `d - 2^63` with the
/// top bit flipped back (so 2^64 and up give 0).
fn c_to_u64(d: f64) -> u64 {
    if d.is_nan() {
        1 << 63
    } else if d < TWO_63 {
        c_to_i64(d) as u64
    } else {
        (c_to_i64(d - TWO_63) as u64) ^ (1 << 63)
    }
}

/// Byte order and maximum alignment, as the control options set them.
struct Header {
    big: bool,
    align: u64,
}

impl Header {
    fn new() -> Header {
        Header {
            big: false,
            align: 1,
        }
    }
}

/// A format being read, option by option.
struct Format<'a> {
    text: &'a [u8],
    at: usize,
}

impl<'a> Format<'a> {
    /// The format up to its first zero byte (the C library reads a C string).
    fn new(text: &'a [u8]) -> Format<'a> {
        let end = text.iter().position(|&c| c == 0).unwrap_or(text.len());
        Format {
            text: text.get(..end).unwrap_or_default(),
            at: 0,
        }
    }

    fn next_opt(&mut self) -> Option<u8> {
        let c = self.text.get(self.at).copied()?;
        self.at += 1;
        Some(c)
    }

    /// The number written next in the format, or `default` if there's none.
    fn number(&mut self, default: u64) -> LResult<u64> {
        let mut n: Option<u64> = None;
        while let Some(d) = self.text.get(self.at).filter(|c| c.is_ascii_digit()) {
            let v = n.unwrap_or(0) * 10 + u64::from(d - b'0');
            if v > i32::MAX as u64 {
                return Err(LuaError::msg("integral size overflow"));
            }
            n = Some(v);
            self.at += 1;
        }
        Ok(n.unwrap_or(default))
    }

    /// The size of option `opt` (reading its number, if it takes one); 0
    /// for options that aren't fields.
    fn size_of(&mut self, opt: u8) -> LResult<u64> {
        Ok(match opt {
            b'b' | b'B' | b'x' => 1,
            b'h' | b'H' => 2,
            b'f' => 4,
            b'l' | b'L' | b'T' | b'd' => 8,
            b'c' => self.number(1)?,
            b'i' | b'I' => {
                let n = self.number(4)?;
                if n > MAX_INT_SIZE {
                    return Err(LuaError::msg(format!(
                        "integral size {n} is larger than limit of {MAX_INT_SIZE}"
                    )));
                }
                n
            }
            _ => 0,
        })
    }

    /// Applies a control option (`>`, `<`, `!n`, space); anything else is
    /// not an option at all.
    fn control(
        &mut self,
        interp: &Interp<'_>,
        opt: u8,
        h: &mut Header,
        fname: &str,
    ) -> LResult<()> {
        match opt {
            b' ' => {}
            b'>' => h.big = true,
            b'<' => h.big = false,
            b'!' => {
                let a = self.number(MAX_ALIGN)?;
                if !a.is_power_of_two() {
                    return Err(LuaError::msg(format!("alignment {a} is not a power of 2")));
                }
                h.align = a;
            }
            _ => return Err(invalid_option(interp, opt, fname)),
        }
        Ok(())
    }
}

/// "bad argument #1 to 'pack' (invalid format option 'y')". The option is
/// quoted as the raw byte, which a Rust message can't hold when it isn't
/// ASCII: then the error is built as a byte string, positioned at the line
/// of the call.
fn invalid_option(interp: &Interp<'_>, opt: u8, fname: &str) -> LuaError {
    if opt.is_ascii() {
        let c = char::from(opt);
        return bad_arg(0, fname, &format!("invalid format option '{c}'"));
    }
    let line = interp.call_lines.last().copied().unwrap_or(0);
    let mut text = format!(
        "{}:{line}: bad argument #1 to '{fname}' (invalid format option '",
        interp.chunk
    )
    .into_bytes();
    text.push(opt);
    text.extend_from_slice(b"')");
    LuaError {
        kind: ErrorKind::Value(Value::Str(text.into())),
        line: Some(line),
    }
}

/// The zero bytes that align a field of `size` bytes at offset `len`.
fn padding(len: u64, h: &Header, opt: u8, size: u64) -> u64 {
    if size == 0 || opt == b'c' {
        return 0;
    }
    let unit = size.min(h.align);
    let mask = unit.wrapping_sub(1);
    unit.wrapping_sub(len & mask) & mask
}

/// Installs the global `struct`.
pub fn open(interp: &mut Interp<'_>) {
    let mut t = Table::default();
    set_field(&mut t, "pack", native("pack", pack));
    set_field(&mut t, "unpack", native("unpack", unpack));
    set_field(&mut t, "size", native("size", size));
    let g = interp.globals.clone();
    set_field(&mut g.borrow_mut(), "struct", Value::new_table(t));
}

// ---- pack -----------------------------------------------------------------------------

/// What `pack` finds at argument `i`, for "got ...": right after the last
/// argument C's `pack` keeps a nil, so a missing value is "nil" there.
fn pack_got(args: &[Value], i: usize) -> &'static str {
    match args.get(i) {
        Some(v) => v.type_name(),
        None if i == args.len() => "nil",
        None => "no value",
    }
}

fn pack_num(args: &[Value], i: usize) -> LResult<f64> {
    match args.get(i).and_then(Value::to_number) {
        Some(n) => Ok(n),
        None => Err(bad_arg(
            i,
            "pack",
            &format!("number expected, got {}", pack_got(args, i)),
        )),
    }
}

fn pack_str(args: &[Value], i: usize) -> LResult<super::value::LuaStr> {
    match args.get(i).and_then(Value::to_str) {
        Some(s) => Ok(s),
        None => Err(bad_arg(
            i,
            "pack",
            &format!("string expected, got {}", pack_got(args, i)),
        )),
    }
}

/// Appends the low `size` bytes of `value` (zeros past its 8 bytes).
fn put_int(out: &mut Vec<u8>, value: u64, big: bool, size: u64) {
    let bytes = value.to_le_bytes();
    let field = (0..size).map(|i| {
        usize::try_from(i)
            .ok()
            .and_then(|i| bytes.get(i))
            .copied()
            .unwrap_or(0)
    });
    if big {
        let start = out.len();
        out.extend(field);
        if let Some(written) = out.get_mut(start..) {
            written.reverse();
        }
    } else {
        out.extend(field);
    }
}

fn pack(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let text = check_str(&args, 0, "pack")?;
    let mut fmt = Format::new(&text);
    let mut h = Header::new();
    let mut out: Vec<u8> = Vec::new();
    // Bytes of copied strings, charged as they are added.
    let mut charged = 0usize;
    let mut next = 1;
    while let Some(opt) = fmt.next_opt() {
        let size = fmt.size_of(opt)?;
        let pad = padding(out.len() as u64, &h, opt, size);
        out.extend((0..pad).map(|_| 0u8));
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let n = pack_num(&args, next)?;
                next += 1;
                let value = if n < 0.0 {
                    c_to_i64(n) as u64
                } else {
                    c_to_u64(n)
                };
                put_int(&mut out, value, h.big, size);
            }
            b'x' => out.push(0),
            b'f' => {
                let f = pack_num(&args, next)? as f32;
                next += 1;
                out.extend_from_slice(&if h.big {
                    f.to_be_bytes()
                } else {
                    f.to_le_bytes()
                });
            }
            b'd' => {
                let d = pack_num(&args, next)?;
                next += 1;
                out.extend_from_slice(&if h.big {
                    d.to_be_bytes()
                } else {
                    d.to_le_bytes()
                });
            }
            b'c' | b's' => {
                let s = pack_str(&args, next)?;
                next += 1;
                let take = if size == 0 { s.len() as u64 } else { size };
                let piece = usize::try_from(take)
                    .ok()
                    .and_then(|n| s.get(..n))
                    // C reports the argument after the string.
                    .ok_or_else(|| bad_arg(next, "pack", "string too short"))?;
                interp.charge(piece.len())?;
                charged += piece.len();
                out.extend_from_slice(piece);
                if opt == b's' {
                    out.push(0);
                }
            }
            _ => fmt.control(interp, opt, &mut h, "pack")?,
        }
    }
    interp.charge(out.len().saturating_sub(charged))?;
    Ok(vec![Value::Str(out.into())])
}

// ---- unpack ---------------------------------------------------------------------------

/// The integer in `bytes` (up to 32 of them; only the last 8 read count).
/// A signed value is sign-extended from its top bit, which for fields over
/// 8 bytes is the bit x86's shift (count modulo 64) picks, as in Redis.
fn get_int(bytes: &[u8], big: bool, signed: bool) -> f64 {
    let fold = |l: u64, b: &u8| (l << 8) | u64::from(*b);
    let mut l = if big {
        bytes.iter().fold(0, fold)
    } else {
        bytes.iter().rev().fold(0, fold)
    };
    if !signed {
        return l as f64;
    }
    let bits = (bytes.len() as u32).wrapping_mul(8).wrapping_sub(1) & 63;
    let mask = u64::MAX << bits;
    if l & mask != 0 {
        l |= mask;
    }
    l as i64 as f64
}

fn too_short() -> LuaError {
    bad_arg(1, "unpack", "data string too short")
}

/// `data[pos..pos + size]`, when it's all there.
fn field(data: &[u8], pos: u64, size: u64) -> LResult<&[u8]> {
    let start = usize::try_from(pos).map_err(|_| too_short())?;
    let len = usize::try_from(size).map_err(|_| too_short())?;
    start
        .checked_add(len)
        .and_then(|end| data.get(start..end))
        .ok_or_else(too_short)
}

fn unpack(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let text = check_str(&args, 0, "unpack")?;
    let data = check_str(&args, 1, "unpack")?;
    let len = data.len() as u64;
    let start = match args.get(2) {
        None | Some(Value::Nil) => 1,
        Some(_) => c_to_i64(check_num(&args, 2, "unpack")?),
    };
    // C keeps the position in a size_t: a negative start is a huge offset.
    let mut pos = start as u64;
    if pos == 0 {
        return Err(bad_arg(2, "unpack", "offset must be 1 or greater"));
    }
    pos -= 1;
    let mut fmt = Format::new(&text);
    let mut h = Header::new();
    let mut out: Vec<Value> = Vec::new();
    while let Some(opt) = fmt.next_opt() {
        let mut size = fmt.size_of(opt)?;
        pos = pos.wrapping_add(padding(pos, &h, opt, size));
        if size > len || pos > len - size {
            return Err(too_short());
        }
        if args.len() + out.len() + 2 > STACK_LIMIT {
            return Err(LuaError::msg("stack overflow (too many results)"));
        }
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let bytes = field(&data, pos, size)?;
                out.push(Value::Num(get_int(bytes, h.big, opt.is_ascii_lowercase())));
            }
            b'x' => {}
            b'f' => {
                let bytes: [u8; 4] = field(&data, pos, 4)?.try_into().map_err(|_| too_short())?;
                let f = if h.big {
                    f32::from_be_bytes(bytes)
                } else {
                    f32::from_le_bytes(bytes)
                };
                out.push(Value::Num(f64::from(f)));
            }
            b'd' => {
                let bytes: [u8; 8] = field(&data, pos, 8)?.try_into().map_err(|_| too_short())?;
                out.push(Value::Num(if h.big {
                    f64::from_be_bytes(bytes)
                } else {
                    f64::from_le_bytes(bytes)
                }));
            }
            b'c' => {
                if size == 0 {
                    // The length is the result just before, which it replaces.
                    let Some(n) = out.last().and_then(Value::to_number) else {
                        return Err(LuaError::msg("format 'c0' needs a previous size"));
                    };
                    out.pop();
                    size = c_to_u64(n);
                    if size > len || pos > len - size {
                        return Err(too_short());
                    }
                }
                let bytes = field(&data, pos, size)?.to_vec();
                out.push(interp.string(bytes)?);
            }
            b's' => {
                let rest = field(&data, pos, len - pos)?;
                let Some(end) = rest.iter().position(|&c| c == 0) else {
                    return Err(LuaError::msg("unfinished string in data"));
                };
                let bytes = rest.get(..end).unwrap_or_default().to_vec();
                out.push(interp.string(bytes)?);
                size = end as u64 + 1;
            }
            _ => fmt.control(interp, opt, &mut h, "unpack")?,
        }
        pos = pos.wrapping_add(size);
    }
    out.push(Value::Num(pos.wrapping_add(1) as i64 as f64));
    Ok(out)
}

// ---- size -----------------------------------------------------------------------------

/// `struct.size(fmt)`: the bytes `pack` makes of the format. Letters that
/// aren't options count as nothing here (only other characters are
/// checked); `s` and `c0` have no fixed size.
fn size(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let text = check_str(&args, 0, "size")?;
    let mut fmt = Format::new(&text);
    let mut h = Header::new();
    let mut pos: u64 = 0;
    while let Some(opt) = fmt.next_opt() {
        let size = fmt.size_of(opt)?;
        pos = pos.wrapping_add(padding(pos, &h, opt, size));
        if opt == b's' {
            return Err(bad_arg(0, "size", "option 's' has no fixed size"));
        }
        if opt == b'c' && size == 0 {
            return Err(bad_arg(0, "size", "option 'c0' has no fixed size"));
        }
        if !opt.is_ascii_alphanumeric() {
            fmt.control(interp, opt, &mut h, "size")?;
        }
        pos = pos.wrapping_add(size);
    }
    Ok(vec![Value::Num(pos as i64 as f64)])
}

#[cfg(test)]
mod tests;
