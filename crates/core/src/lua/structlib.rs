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
mod tests {
    use super::{c_to_i64, c_to_u64};

    use crate::lua::testing::{eval_err as eval, HX};

    /// Scripts and what redis-server 7.0.15 replied (as redis-cli prints it).
    const CASES: &[(&str, &str)] = &[
        (r#"return struct.pack('>I2', 258)"#, r#""\x01\x02""#),
        (r#"return struct.pack('<i3', -2)"#, r#""\xfe\xff\xff""#),
        (
            r#"return {hx(struct.pack('>i8', 1e20)), hx(struct.pack('>i8', -1e20)), hx(struct.pack('>i8', 0/0)), hx(struct.pack('>i8', 2^63)), hx(struct.pack('>i8', 1.5e19)), hx(struct.pack('>i8', 2^64)), hx(struct.pack('>i8', 1/0)), hx(struct.pack('>I8', -1)), hx(struct.pack('>i8', -2^63-5000))}"#,
            r#"1) "0000000000000000"
2) "8000000000000000"
3) "8000000000000000"
4) "8000000000000000"
5) "d02ab486cedc0000"
6) "0000000000000000"
7) "0000000000000000"
8) "ffffffffffffffff"
9) "8000000000000000""#,
        ),
        (
            r#"return {hx(struct.pack('<i12', -2)), hx(struct.pack('>i12', -2)), hx(struct.pack('>I3', 2^24+5)), hx(struct.pack('<i0', 5)), hx(struct.pack('>b', 300)), hx(struct.pack('>b', -1.7)), hx(struct.pack('<h', 1.9)), hx(struct.pack('bBhHlLTiI', -1, 255, -2, 65535, -3, 4, 5, -6, 7))}"#,
            r#"1) "feffffffffffffff00000000"
2) "00000000fffffffffffffffe"
3) "000005"
4) ""
5) "2c"
6) "ff"
7) "0100"
8) "fffffefffffffdffffffffffffff04000000000000000500000000000000faffffff07000000""#,
        ),
        (
            r#"return {tostring(struct.unpack('>i12', struct.pack('>i12', -2))), tostring(struct.unpack('<i12', struct.pack('<i12', -2))), tostring(struct.unpack('>i9', string.rep(string.char(255), 9))), tostring(struct.unpack('>i9', string.char(0,0,0,0,0,0,0,0,128))), tostring(struct.unpack('>i9', string.char(0,0,0,0,0,0,0,0,64))), tostring(struct.unpack('>i16', string.char(0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,200))), tostring(struct.unpack('>I9', string.char(1,0,0,0,0,0,0,0,5))), tostring(struct.unpack('>i12', string.rep(string.char(0), 11) .. string.char(128))), tostring(struct.unpack('>i12', string.rep(string.char(0), 8) .. string.char(128, 0, 0, 0)))}"#,
            r#"1) "-2"
2) "-2"
3) "-1"
4) "-128"
5) "64"
6) "200"
7) "5"
8) "128"
9) "-2147483648""#,
        ),
        (
            r#"local r = {} for n = 1, 8 do for _, v in ipairs({-1, 1, 2^(8*n-1) - 1, -2^(8*n-1)}) do r[#r+1] = tostring(struct.unpack('<i' .. n, struct.pack('<i' .. n, v))) .. '/' .. tostring(struct.unpack('>I' .. n, struct.pack('>I' .. n, v))) end end return r"#,
            r#" 1) "-1/255"
 2) "1/1"
 3) "127/127"
 4) "-128/128"
 5) "-1/65535"
 6) "1/1"
 7) "32767/32767"
 8) "-32768/32768"
 9) "-1/16777215"
10) "1/1"
11) "8388607/8388607"
12) "-8388608/8388608"
13) "-1/4294967295"
14) "1/1"
15) "2147483647/2147483647"
16) "-2147483648/2147483648"
17) "-1/1099511627775"
18) "1/1"
19) "549755813887/549755813887"
20) "-549755813888/549755813888"
21) "-1/2.8147497671066e+14"
22) "1/1"
23) "1.4073748835533e+14/1.4073748835533e+14"
24) "-1.4073748835533e+14/1.4073748835533e+14"
25) "-1/7.2057594037928e+16"
26) "1/1"
27) "-3.6028797018964e+16/3.6028797018964e+16"
28) "-3.6028797018964e+16/3.6028797018964e+16"
29) "-1/1.844674407371e+19"
30) "1/1"
31) "-9.2233720368548e+18/9.2233720368548e+18"
32) "-9.2233720368548e+18/9.2233720368548e+18""#,
        ),
        (
            r#"return {hx(struct.pack('<f', 1.5)), hx(struct.pack('>d', -0.1)), hx(struct.pack('f', 0.1)), tostring(struct.unpack('f', struct.pack('f', 0.1))), tostring(struct.unpack('>d', struct.pack('>d', 1/3))), tostring(struct.unpack('>f', struct.pack('>f', 1e39))), tostring(struct.unpack('<d', struct.pack('<d', -1/0))), hx(struct.pack('>f', 2^-149))}"#,
            r#"1) "0000c03f"
2) "bfb999999999999a"
3) "cdcccc3d"
4) "0.10000000149012"
5) "0.33333333333333"
6) "inf"
7) "-inf"
8) "00000001""#,
        ),
        (
            r#"return {hx(struct.pack('!4 b i', 1, 2)), hx(struct.pack('! b d', 1, 2)), hx(struct.pack('!2 b i h b x l', 1, 2, 3, 4, 5)), hx(struct.pack('!b c3 i', 1, 'abc', 2)), hx(struct.pack('b s i', 1, 'hi', 2)), hx(struct.pack('c0 c2', 'xyz', 'abcd')), hx(struct.pack('!8 b i3 b d', 1, 2, 3, 4)), hx(struct.pack('>!4 h i', 1, 2))}"#,
            r#"1) "0100000002000000"
2) "01000000000000000000000000000040"
3) "010002000000030004000500000000000000"
4) "0161626302000000"
5) "0168690002000000"
6) "78797a6162"
7) "01000002000003000000000000001040"
8) "0001000000000002""#,
        ),
        (
            r#"return {struct.size('!4 b i'), struct.size('! b d'), struct.size('y'), struct.size('i3 b'), struct.size('!8 b i3'), struct.size('bhilTfdxc7'), struct.size('!bhilTfdxc7'), struct.size('i\0i')}"#,
            r#"1) (integer) 8
2) (integer) 16
3) (integer) 0
4) (integer) 4
5) (integer) 6
6) (integer) 43
7) (integer) 48
8) (integer) 4"#,
        ),
        (
            r#"return {struct.unpack('!4 b i', struct.pack('!4 b i', -5, 70000))}"#,
            r#"1) (integer) -5
2) (integer) 70000
3) (integer) 9"#,
        ),
        (
            r#"return {struct.unpack('c1 c0', '5abcdef')}"#,
            r#"1) "abcde"
2) (integer) 7"#,
        ),
        (
            r#"return {struct.unpack('b c0', '\2abc')}"#,
            r#"1) "ab"
2) (integer) 4"#,
        ),
        (
            r#"return {struct.unpack('b c0 c0', '\1' .. '3abc')}"#,
            r#"1) "abc"
2) (integer) 6"#,
        ),
        (
            r#"return {struct.unpack('ss', 'ab\0cd\0e')}"#,
            r#"1) "ab"
2) "cd"
3) (integer) 7"#,
        ),
        (
            r#"return {struct.unpack('s', 'ab\0cd')}"#,
            r#"1) "ab"
2) (integer) 4"#,
        ),
        (
            r#"return {struct.unpack('b', 'abcd', '2')}"#,
            r#"1) (integer) 98
2) (integer) 3"#,
        ),
        (
            r#"return {struct.unpack('b', 'abcd', nil)}"#,
            r#"1) (integer) 97
2) (integer) 2"#,
        ),
        (
            r#"return {struct.unpack('', 'abc', -5)}"#,
            r#"1) (integer) -5"#,
        ),
        (
            r#"return {struct.unpack('', 'abc', 100)}"#,
            r#"1) (integer) 100"#,
        ),
        (
            r#"return {struct.unpack(' ', 'abc', 4)}"#,
            r#"1) (integer) 4"#,
        ),
        (
            r#"return {struct.unpack('', 'abc', 2^63)}"#,
            r#"1) (integer) -9223372036854775808"#,
        ),
        (
            r#"return {struct.unpack('', 'abc', 2.9)}"#,
            r#"1) (integer) 2"#,
        ),
        (
            r#"return {struct.unpack('i\0i', 'abcd')}"#,
            r#"1) (integer) 1684234849
2) (integer) 5"#,
        ),
        (
            r#"return {struct.unpack('>h x c2 B', '\255\254?xy\7')}"#,
            r#"1) (integer) -2
2) "xy"
3) (integer) 7
4) (integer) 7"#,
        ),
        (r#"return struct.pack('i\0i', 1)"#, r#""\x01\x00\x00\x00""#),
        (r#"return struct.pack('c0', 123)"#, r#""123""#),
        (r#"return struct.pack('s', 'a\0b')"#, r#""a\x00b\x00""#),
        (
            r#"return #{struct.unpack(string.rep('b', 7997), string.rep('a', 8000))}"#,
            r#"(integer) 7998"#,
        ),
        (
            r#"return #{struct.unpack(string.rep('b', 7998), string.rep('a', 8000))}"#,
            r#"(error) ERR user_script:1: stack overflow (too many results)"#,
        ),
        (
            r#"return #{struct.unpack(string.rep('b', 7997)..' ', string.rep('a', 8000))}"#,
            r#"(error) ERR user_script:1: stack overflow (too many results)"#,
        ),
        (
            r#"return #{struct.unpack(string.rep('b', 7996), string.rep('a', 8000), 1)}"#,
            r#"(integer) 7997"#,
        ),
        (
            r#"return #{struct.unpack(string.rep('b', 7997), string.rep('a', 8000), 1)}"#,
            r#"(error) ERR user_script:1: stack overflow (too many results)"#,
        ),
        (
            r#"return struct.pack('y')"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'pack' (invalid format option 'y')"#,
        ),
        (
            r#"return struct.pack('i')"#,
            r#"(error) ERR user_script:1: bad argument #2 to 'pack' (number expected, got nil)"#,
        ),
        (
            r#"return struct.pack('i i', 1)"#,
            r#"(error) ERR user_script:1: bad argument #3 to 'pack' (number expected, got nil)"#,
        ),
        (
            r#"return struct.pack('i33', 1)"#,
            r#"(error) ERR user_script:1: integral size 33 is larger than limit of 32"#,
        ),
        (
            r#"return struct.pack('i99999999999', 1)"#,
            r#"(error) ERR user_script:1: integral size overflow"#,
        ),
        (
            r#"return struct.pack('c2147483648', 1)"#,
            r#"(error) ERR user_script:1: integral size overflow"#,
        ),
        (
            r#"return struct.pack('!3')"#,
            r#"(error) ERR user_script:1: alignment 3 is not a power of 2"#,
        ),
        (
            r#"return struct.pack('!0')"#,
            r#"(error) ERR user_script:1: alignment 0 is not a power of 2"#,
        ),
        (
            r#"return struct.pack('c5', 'ab')"#,
            r#"(error) ERR user_script:1: bad argument #3 to 'pack' (string too short)"#,
        ),
        (
            r#"return struct.pack('b c5', 1, 'ab')"#,
            r#"(error) ERR user_script:1: bad argument #4 to 'pack' (string too short)"#,
        ),
        (
            r#"return struct.pack('c', {})"#,
            r#"(error) ERR user_script:1: bad argument #2 to 'pack' (string expected, got table)"#,
        ),
        (
            r#"return struct.pack('i', 'abc')"#,
            r#"(error) ERR user_script:1: bad argument #2 to 'pack' (number expected, got string)"#,
        ),
        (
            r#"return struct.pack()"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'pack' (string expected, got no value)"#,
        ),
        (
            r#"return struct.pack('s')"#,
            r#"(error) ERR user_script:1: bad argument #2 to 'pack' (string expected, got nil)"#,
        ),
        (
            r#"return struct.pack(5)"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'pack' (invalid format option '5')"#,
        ),
        (
            r#"return struct.pack('=')"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'pack' (invalid format option '=')"#,
        ),
        (
            r#"return struct.unpack('i', 'ab')"#,
            r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"#,
        ),
        (
            r#"return struct.unpack('c0', 'ab')"#,
            r#"(error) ERR user_script:1: format 'c0' needs a previous size"#,
        ),
        (
            r#"return struct.unpack('b c0', '\2a')"#,
            r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"#,
        ),
        (
            r#"return struct.unpack('b c0', 'x')"#,
            r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"#,
        ),
        (
            r#"return struct.unpack('d c0', struct.pack('d', -1) .. 'abc')"#,
            r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"#,
        ),
        (
            r#"return struct.unpack('s', 'abc')"#,
            r#"(error) ERR user_script:1: unfinished string in data"#,
        ),
        (
            r#"return struct.unpack('i', 'abcd', 0)"#,
            r#"(error) ERR user_script:1: bad argument #3 to 'unpack' (offset must be 1 or greater)"#,
        ),
        (
            r#"return struct.unpack('i', 'abcd', -1)"#,
            r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"#,
        ),
        (
            r#"return struct.unpack('i', 'abcd', 'x')"#,
            r#"(error) ERR user_script:1: bad argument #3 to 'unpack' (number expected, got string)"#,
        ),
        (
            r#"return struct.unpack('y', 'abc')"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'unpack' (invalid format option 'y')"#,
        ),
        (
            r#"return struct.unpack('y', 'abc', 10)"#,
            r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"#,
        ),
        (
            r#"return struct.unpack('i')"#,
            r#"(error) ERR user_script:1: bad argument #2 to 'unpack' (string expected, got no value)"#,
        ),
        (
            r#"return struct.unpack()"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'unpack' (string expected, got no value)"#,
        ),
        (
            r#"return struct.unpack('!5', 'abc')"#,
            r#"(error) ERR user_script:1: alignment 5 is not a power of 2"#,
        ),
        (
            r#"return struct.size('s')"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'size' (option 's' has no fixed size)"#,
        ),
        (
            r#"return struct.size('c0')"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'size' (option 'c0' has no fixed size)"#,
        ),
        (
            r#"return struct.size('?')"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'size' (invalid format option '?')"#,
        ),
        (
            r#"return struct.size()"#,
            r#"(error) ERR user_script:1: bad argument #1 to 'size' (string expected, got no value)"#,
        ),
        (
            r#"return struct.size('i40')"#,
            r#"(error) ERR user_script:1: integral size 40 is larger than limit of 32"#,
        ),
        (
            r#"return {pcall(function() return struct.unpack('c0', '') end)}"#,
            r#"1) (nil)
2) "user_script:1: format 'c0' needs a previous size""#,
        ),
        (
            r#"return struct.size(string.rep('c2147483647', 5))"#,
            r#"(integer) 10737418235"#,
        ),
    ];

    #[test]
    fn matches_redis() {
        for (script, want) in CASES {
            let script = if script.contains("hx(") {
                format!("{HX}{script}")
            } else {
                script.to_string()
            };
            assert_eq!(eval(&script), *want, "{script}");
        }
    }

    #[test]
    fn c_casts() {
        assert_eq!(c_to_i64(-1.9), -1);
        assert_eq!(c_to_i64(f64::NAN), i64::MIN);
        assert_eq!(c_to_i64(1e19), i64::MIN);
        assert_eq!(c_to_u64(1.5e19), 15_000_000_000_000_000_000);
        assert_eq!(c_to_u64(1e20), 0);
        assert_eq!(c_to_u64(f64::INFINITY), 0);
        assert_eq!(c_to_u64(f64::NAN), 1 << 63);
        assert_eq!(c_to_u64(-1.0), u64::MAX);
    }

    #[test]
    fn non_ascii_option_is_quoted_raw() {
        let mut e = crate::Engine::new();
        let mut c = e.new_client();
        let reply = e.execute(
            &mut c,
            vec![
                b"EVAL".to_vec(),
                b"return struct.pack('\\200')".to_vec(),
                b"0".to_vec(),
            ],
            1,
        );
        let crate::Reply::Error(msg) = reply else {
            panic!("expected an error, got {reply:?}");
        };
        let want: &[u8] =
            b"ERR user_script:1: bad argument #1 to 'pack' (invalid format option '\xc8')";
        assert!(msg.starts_with(want), "{}", String::from_utf8_lossy(&msg));
    }

    #[test]
    fn huge_sizes_are_refused_without_allocating() {
        // Sizes past the data are refused before anything is copied.
        assert_eq!(
            eval("return struct.unpack('c2147483647', 'abc')"),
            "(error) ERR user_script:1: bad argument #2 to 'unpack' (data string too short)"
        );
        assert_eq!(
            eval("return struct.pack('c2147483647', 'abc')"),
            "(error) ERR user_script:1: bad argument #3 to 'pack' (string too short)"
        );
        // A huge alignment pads no more than the field's own size.
        assert_eq!(
            eval("return struct.pack('!1073741824 x i32', 1)"),
            format!("\"{}\\x01{}\"", "\\x00".repeat(32), "\\x00".repeat(31))
        );
    }
}
