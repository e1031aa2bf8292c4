//! The `cmsgpack` library Redis bundles (lua-cmsgpack 0.4.0): MessagePack
//! for scripts.
//!
//! - `cmsgpack.pack(v1, v2, ...)` encodes each argument and returns the
//!   encodings back to back in one string;
//! - `cmsgpack.unpack(s)` decodes every value in `s` and returns them all;
//! - `cmsgpack.unpack_one(s [, offset])` decodes one value starting at the
//!   0-based `offset` and returns the offset of what follows (-1 at the end)
//!   and the value;
//! - `cmsgpack.unpack_limit(s, limit [, offset])` does the same for up to
//!   `limit` values (with both 0 it is `unpack`: no offset is returned).
//!
//! Encoding follows the C library: numbers with an exact 64-bit integer
//! value become the smallest integer format, others a float32 when that is
//! exact, else a float64; strings use fixstr, str8, str16 or str32 headers;
//! a table is an array when its keys are exactly 1..n, else a map; tables
//! nested [`MAX_NESTING`] deep (as a cycle would be), functions and
//! userdata (`cjson.null`) become nil. Decoding knows every type but bin,
//! ext and fixext ("Bad data format in input."); uint64 values of 2^63 and
//! up come back negative, as Redis's `lua_pushinteger` makes them.
//!
//! The C library works on Lua's stack, which holds at most 8000 values for
//! a C function: deep input or many results stop with its "stack overflow
//! (...)" errors at the same points here, counted with a model of that
//! stack. Decoding keeps its open tables in a list rather than recursing,
//! so deep input can't exhaust the host's stack. Packing counts its output
//! against the script's memory budget as it grows (a cycle through wide
//! tables packs 16 levels of copies), and both directions let the host stop
//! a script that has run too long.
//!
//! Maps are written in `pairs` order, which here is insertion order (in
//! Redis, Lua's hash order), so a map of several keys may pack its entries
//! in a different order.

use super::interp::{ErrorKind, Interp, LuaError, MEMORY_BUDGET, STEP_CHECK};
use super::stdlib::{check_num, check_str, native, set_field};
use super::value::{Cell, Key, NativeFn, Table, TableRef, Value};

type LResult<T> = Result<T, LuaError>;
type Rets = LResult<Vec<Value>>;

/// Tables nested this deep are packed as nil (LUACMSGPACK_MAX_NESTING).
pub const MAX_NESTING: usize = 16;

/// How many values a C function may keep on Lua 5.1's stack
/// (LUAI_MAXCSTACK).
const C_STACK_SLOTS: usize = 8000;

/// What each table slot filled while decoding is charged, on top of what
/// `Interp::table` charges for the finished table.
const SLOT_CHARGE: usize = 8;

const TOO_MANY_RESULTS: &str =
    "too many return values at once; use unpack_one or unpack_limit instead.";

/// Installs the global `cmsgpack`.
pub fn open(interp: &mut Interp<'_>) {
    let fns: [(&'static str, NativeFn); 4] = [
        ("pack", pack),
        ("unpack", unpack),
        ("unpack_one", unpack_one),
        ("unpack_limit", unpack_limit),
    ];
    let mut t = Table::default();
    for (name, f) in fns {
        set_field(&mut t, name, native(name, f));
    }
    for (name, text) in [
        ("_NAME", "cmsgpack"),
        ("_VERSION", "lua-cmsgpack 0.4.0"),
        ("_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo"),
        ("_DESCRIPTION", "MessagePack C implementation for Lua"),
    ] {
        set_field(&mut t, name, Value::str(text.as_bytes()));
    }
    let g = interp.globals.clone();
    set_field(&mut g.borrow_mut(), "cmsgpack", Value::new_table(t));
}

/// `luaL_checkstack`: fails when `used` values plus `more` would not fit on
/// a C function's stack.
fn reserve(used: usize, more: usize, what: &str) -> LResult<()> {
    if used.saturating_add(more) > C_STACK_SLOTS {
        return Err(LuaError::msg(format!("stack overflow ({what})")));
    }
    Ok(())
}

/// Counts a unit of work (a value packed or unpacked); every
/// [`STEP_CHECK`] of them the host is asked whether the script has run too
/// long, as the interpreter does between statements.
fn tick(interp: &mut Interp<'_>, work: &mut u64) -> LResult<()> {
    *work += 1;
    if (*work).is_multiple_of(STEP_CHECK) && interp.host.over_time() {
        return Err(LuaError {
            kind: ErrorKind::Killed(interp.timeout_message.into()),
            line: None,
        });
    }
    Ok(())
}

/// C's `(int64_t)d` on x86-64: truncation toward zero, and i64::MIN for
/// NaN and anything out of range.
fn c_int64(d: f64) -> i64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if (-TWO_63..TWO_63).contains(&d) {
        d as i64
    } else {
        i64::MIN
    }
}

// ---- pack ---------------------------------------------------------------------

fn pack(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let n = args.len();
    if n == 0 {
        return Err(LuaError::msg(
            "bad argument #0 to 'pack' (MessagePack pack needs input.)",
        ));
    }
    // The arguments stay on the stack, and the C code asks for as many
    // slots again for the encoded pieces.
    if n.saturating_mul(2) > C_STACK_SLOTS {
        return Err(LuaError::msg(
            "bad argument #0 to 'pack' (Too many arguments for MessagePack pack.)",
        ));
    }
    let mut packer = Packer {
        out: Vec::new(),
        room: MEMORY_BUDGET.saturating_sub(interp.allocated),
        work: 0,
    };
    for (i, v) in args.iter().enumerate() {
        // The arguments and the pieces encoded so far are on the stack; the
        // value is copied above them.
        let used = n + i;
        reserve(used, 1, "in function mp_check")?;
        packer.value(interp, v, 0, used + 1)?;
    }
    Ok(vec![interp.string(packer.out)?])
}

struct Packer {
    out: Vec<u8>,
    /// How much output the memory budget has room for.
    room: usize,
    /// Values packed so far (see [`tick`]).
    work: u64,
}

impl Packer {
    /// Appends `v`, a value `level` tables deep, that sits on top of a stack
    /// of `top` values.
    fn value(
        &mut self,
        interp: &mut Interp<'_>,
        v: &Value,
        level: usize,
        top: usize,
    ) -> LResult<()> {
        tick(interp, &mut self.work)?;
        match v {
            Value::Str(s) => self.string(s),
            Value::Bool(b) => self.out.push(if *b { 0xc3 } else { 0xc2 }),
            Value::Num(n) => self.number(*n),
            Value::Table(t) if level < MAX_NESTING => self.table(interp, t, level, top)?,
            _ => self.out.push(0xc0),
        }
        if self.out.len() > self.room {
            // More than the budget allows: fails with "not enough memory".
            interp.charge(self.out.len())?;
        }
        Ok(())
    }

    fn number(&mut self, n: f64) {
        let i = c_int64(n);
        if i as f64 == n {
            self.integer(i);
        } else {
            let single = n as f32;
            if f64::from(single) == n {
                self.out.push(0xca);
                self.out.extend_from_slice(&single.to_bits().to_be_bytes());
            } else {
                self.out.push(0xcb);
                self.out.extend_from_slice(&n.to_bits().to_be_bytes());
            }
        }
    }

    /// The shortest format for `i` among those the C library picks from.
    fn integer(&mut self, i: i64) {
        let out = &mut self.out;
        if i >= 0 {
            if i < 0x80 {
                out.push(i as u8);
            } else if i <= 0xff {
                out.extend_from_slice(&[0xcc, i as u8]);
            } else if i <= 0xffff {
                out.push(0xcd);
                out.extend_from_slice(&(i as u16).to_be_bytes());
            } else if i <= 0xffff_ffff {
                out.push(0xce);
                out.extend_from_slice(&(i as u32).to_be_bytes());
            } else {
                out.push(0xcf);
                out.extend_from_slice(&(i as u64).to_be_bytes());
            }
        } else if i >= -32 {
            out.push(i as u8);
        } else if i >= -0x80 {
            out.extend_from_slice(&[0xd0, i as u8]);
        } else if i >= -0x8000 {
            out.push(0xd1);
            out.extend_from_slice(&(i as i16).to_be_bytes());
        } else if i >= i64::from(i32::MIN) {
            out.push(0xd2);
            out.extend_from_slice(&(i as i32).to_be_bytes());
        } else {
            out.push(0xd3);
            out.extend_from_slice(&i.to_be_bytes());
        }
    }

    fn string(&mut self, s: &[u8]) {
        let len = s.len();
        if len < 32 {
            self.out.push(0xa0 | len as u8);
        } else if len <= 0xff {
            self.out.extend_from_slice(&[0xd9, len as u8]);
        } else if len <= 0xffff {
            self.out.push(0xda);
            self.out.extend_from_slice(&(len as u16).to_be_bytes());
        } else {
            self.out.push(0xdb);
            self.out.extend_from_slice(&(len as u32).to_be_bytes());
        }
        self.out.extend_from_slice(s);
    }

    /// An array or map header: the fix form (`fix` | n) up to 15 entries,
    /// else `wide16` with a 16-bit count, else the next code with 32 bits.
    fn header(&mut self, fix: u8, wide16: u8, n: usize) {
        if n <= 15 {
            self.out.push(fix | n as u8);
        } else if n <= 0xffff {
            self.out.push(wide16);
            self.out.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            self.out.push(wide16 + 1);
            self.out.extend_from_slice(&(n as u32).to_be_bytes());
        }
    }

    fn table(
        &mut self,
        interp: &mut Interp<'_>,
        t: &TableRef,
        level: usize,
        top: usize,
    ) -> LResult<()> {
        reserve(top, 2, "in function table_is_an_array")?;
        let len = array_len(&t.borrow());
        match len {
            Some(len) => {
                self.header(0x90, 0xdc, len);
                reserve(top, 1, "in function mp_encode_lua_table_as_array")?;
                for i in 1..=len {
                    let v = t.borrow().get_int(i);
                    self.value(interp, &v, level + 1, top + 1)?;
                }
            }
            None => {
                reserve(top, 3, "in function mp_encode_lua_table_as_map")?;
                let (count, slots) = {
                    let t = t.borrow();
                    let live = |v: &Value| !matches!(v, Value::Nil);
                    let count = t.arr.iter().filter(|v| live(v)).count()
                        + t.hash.values().filter(|v| live(v)).count();
                    (count, t.arr.len() + t.hash.len())
                };
                self.header(0x80, 0xde, count);
                // Entry by entry (nothing can change the table meanwhile),
                // rather than copying them all: the same table may be open
                // at every level of a cycle. The C code walks the table with
                // a key, a value and a copy of the key above it: the key is
                // encoded from the top of that, the value from one below.
                for slot in 0..slots {
                    let Some((k, v)) = entry(&t.borrow(), slot) else {
                        continue;
                    };
                    self.value(interp, &k, level + 1, top + 3)?;
                    self.value(interp, &v, level + 1, top + 2)?;
                }
            }
        }
        Ok(())
    }
}

/// Some(n) when the keys of `t` are exactly 1..n: all positive integers
/// that fit a C int, as many as the largest of them.
fn array_len(t: &Table) -> Option<usize> {
    let mut count = 0usize;
    let mut max = 0f64;
    for (i, v) in t.arr.iter().enumerate() {
        if !matches!(v, Value::Nil) {
            count += 1;
            max = max.max((i + 1) as f64);
        }
    }
    for (k, v) in &t.hash {
        if matches!(v, Value::Nil) {
            continue;
        }
        let Key::Num(bits) = k else {
            return None;
        };
        let n = f64::from_bits(*bits);
        if !(n > 0.0 && n <= f64::from(i32::MAX) && n.fract() == 0.0) {
            return None;
        }
        count += 1;
        max = max.max(n);
    }
    (max == count as f64).then_some(count)
}

/// The entry in `slot` of `t` (the array part's slots, then the hash
/// part's: `next` order), or None for an empty one.
fn entry(t: &Table, slot: usize) -> Option<(Value, Value)> {
    let (k, v) = match t.arr.get(slot) {
        Some(v) => (Value::Num((slot + 1) as f64), v),
        None => {
            let (k, v) = t.hash.get_index(slot.checked_sub(t.arr.len())?)?;
            (k.to_value(), v)
        }
    };
    (!matches!(v, Value::Nil)).then(|| (k, v.clone()))
}

// ---- unpack -------------------------------------------------------------------

fn unpack(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let s = check_str(&args, 0, "unpack")?;
    // All the arguments stay on the stack below the results.
    unpack_full(interp, &s, args.len(), 0, 0)
}

fn unpack_one(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let offset = opt_integer(&args, 1, "unpack_one")?;
    let s = check_str(&args, 0, "unpack_one")?;
    unpack_full(interp, &s, 1, 1, offset)
}

fn unpack_limit(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let limit = c_int64(check_num(&args, 1, "unpack_limit")?);
    let offset = opt_integer(&args, 2, "unpack_limit")?;
    let s = check_str(&args, 0, "unpack_limit")?;
    unpack_full(interp, &s, 1, limit, offset)
}

/// `luaL_optinteger(L, i, 0)`.
fn opt_integer(args: &[Value], i: usize, fname: &str) -> LResult<i64> {
    match args.get(i) {
        None | Some(Value::Nil) => Ok(0),
        Some(_) => Ok(c_int64(check_num(args, i, fname)?)),
    }
}

/// Decodes up to `limit` values from `offset` on, with `held` values
/// already on the stack. With both 0, decodes everything and returns just
/// the values; otherwise the next offset (-1 at the end) comes first.
fn unpack_full(interp: &mut Interp<'_>, s: &[u8], held: usize, limit: i64, offset: i64) -> Rets {
    let len = s.len();
    if offset < 0 || limit < 0 {
        // Redis's message shows the input's length as the limit.
        return Err(LuaError::msg(format!(
            "Invalid request to unpack with offset of {} and limit of {}.",
            offset as i32, len as i32
        )));
    }
    let start = match usize::try_from(offset) {
        Ok(o) if o <= len => o,
        _ => {
            return Err(LuaError::msg(format!(
                "Start offset {} greater than input length {}.",
                offset as i32, len as i32
            )))
        }
    };
    let all = limit == 0 && offset == 0;
    let limit = if all { i64::from(i32::MAX) } else { limit };
    let mut reader = Reader {
        s,
        pos: start,
        work: 0,
    };
    let mut out = Vec::new();
    while reader.pos < len && (out.len() as i64) < limit {
        let v = decode(interp, &mut reader, held + out.len())?;
        out.push(v);
    }
    if !all {
        reserve(held + out.len(), 1, "in function mp_unpack_full")?;
        let next = if reader.pos >= len {
            -1.0
        } else {
            reader.pos as f64
        };
        out.insert(0, Value::Num(next));
    }
    Ok(out)
}

fn missing_bytes() -> LuaError {
    LuaError::msg("Missing bytes in input.")
}

fn bad_format() -> LuaError {
    LuaError::msg("Bad data format in input.")
}

struct Reader<'a> {
    s: &'a [u8],
    pos: usize,
    /// Values read so far (see [`tick`]).
    work: u64,
}

impl<'a> Reader<'a> {
    /// The next `n` bytes, consumed.
    fn take(&mut self, n: usize) -> LResult<&'a [u8]> {
        let s: &'a [u8] = self.s;
        let rest = s.get(self.pos..).unwrap_or_default();
        let bytes = rest.get(..n).ok_or_else(missing_bytes)?;
        self.pos += n;
        Ok(bytes)
    }

    /// A big-endian unsigned number of `n` (at most 8) bytes.
    fn uint(&mut self, n: usize) -> LResult<u64> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    fn len(&mut self, n: usize) -> LResult<usize> {
        // At most 32 bits: fits any usize this builds for.
        Ok(self.uint(n)? as usize)
    }
}

/// What one type byte (and its length or payload) starts.
enum Item {
    Value(Value),
    Array(usize),
    Map(usize),
}

/// Reads the next value's type byte and, for scalars, the whole value;
/// `used` values are on the stack.
fn item(interp: &mut Interp<'_>, r: &mut Reader<'_>, used: usize) -> LResult<Item> {
    let tag = r.take(1)?.first().copied().unwrap_or_default();
    reserve(used, 1, TOO_MANY_RESULTS)?;
    tick(interp, &mut r.work)?;
    let num = |n: f64| Ok(Item::Value(Value::Num(n)));
    match tag {
        0x00..=0x7f => num(f64::from(tag)),
        0x80..=0x8f => Ok(Item::Map(usize::from(tag & 0x0f))),
        0x90..=0x9f => Ok(Item::Array(usize::from(tag & 0x0f))),
        0xa0..=0xbf => string(interp, r, usize::from(tag & 0x1f)),
        0xc0 => Ok(Item::Value(Value::Nil)),
        0xc2 => Ok(Item::Value(Value::Bool(false))),
        0xc3 => Ok(Item::Value(Value::Bool(true))),
        0xca => num(f64::from(f32::from_bits(r.uint(4)? as u32))),
        0xcb => num(f64::from_bits(r.uint(8)?)),
        0xcc => num(r.uint(1)? as f64),
        0xcd => num(r.uint(2)? as f64),
        0xce => num(r.uint(4)? as f64),
        // Pushed as a lua_Integer: the top bit makes it negative.
        0xcf => num(r.uint(8)? as i64 as f64),
        0xd0 => num(f64::from(r.uint(1)? as u8 as i8)),
        0xd1 => num(f64::from(r.uint(2)? as u16 as i16)),
        0xd2 => num(f64::from(r.uint(4)? as u32 as i32)),
        0xd3 => num(r.uint(8)? as i64 as f64),
        0xd9 => {
            let n = r.len(1)?;
            string(interp, r, n)
        }
        0xda => {
            let n = r.len(2)?;
            string(interp, r, n)
        }
        0xdb => {
            let n = r.len(4)?;
            string(interp, r, n)
        }
        0xdc => Ok(Item::Array(r.len(2)?)),
        0xdd => Ok(Item::Array(r.len(4)?)),
        0xde => Ok(Item::Map(r.len(2)?)),
        0xdf => Ok(Item::Map(r.len(4)?)),
        0xe0..=0xff => num(f64::from(tag as i8)),
        // 0xc1 (never used), bin, ext and fixext.
        _ => Err(bad_format()),
    }
}

fn string(interp: &mut Interp<'_>, r: &mut Reader<'_>, n: usize) -> LResult<Item> {
    let bytes = r.take(n)?;
    Ok(Item::Value(interp.string(bytes.to_vec())?))
}

/// A table being filled while decoding.
enum Open {
    Array {
        t: Table,
        next: usize,
        left: usize,
    },
    Map {
        t: Table,
        key: Option<Value>,
        left: usize,
    },
}

/// Decodes one value with `used` values on the stack below it. Tables
/// being filled wait in a list; on Lua's stack each holds itself and the
/// index or key being filled, which bounds how deep input may nest.
fn decode(interp: &mut Interp<'_>, r: &mut Reader<'_>, used: usize) -> LResult<Value> {
    let mut open: Vec<Open> = Vec::new();
    // Stack slots the open tables hold above `used`.
    let mut held = 0usize;
    loop {
        let mut value = match item(interp, r, used + held)? {
            Item::Value(v) => v,
            Item::Array(len) => {
                reserve(used + held + 1, 1, "in function mp_decode_to_lua_array")?;
                if len == 0 {
                    interp.table(Table::default())?
                } else {
                    open.push(Open::Array {
                        t: Table::default(),
                        next: 1,
                        left: len,
                    });
                    held += 2;
                    continue;
                }
            }
            Item::Map(0) => interp.table(Table::default())?,
            Item::Map(len) => {
                open.push(Open::Map {
                    t: Table::default(),
                    key: None,
                    left: len,
                });
                held += 1;
                continue;
            }
        };
        // Store the value, closing the tables it completes.
        loop {
            let complete = match open.last_mut() {
                None => return Ok(value),
                Some(Open::Array { t, next, left }) => {
                    interp.charge(SLOT_CHARGE)?;
                    // A positive integer key: this can't fail.
                    let _ = t.set(Value::Num(*next as f64), value);
                    *next += 1;
                    *left = left.saturating_sub(1);
                    *left == 0
                }
                Some(Open::Map { t, key, left }) => match key.take() {
                    None => {
                        *key = Some(value);
                        held += 1;
                        break;
                    }
                    Some(k) => {
                        held = held.saturating_sub(1);
                        interp.charge(SLOT_CHARGE)?;
                        // A nil or NaN key: Lua's own error, without a position.
                        t.set(k, value)
                            .map_err(|m| LuaError::value(Value::str(m.as_bytes())))?;
                        *left = left.saturating_sub(1);
                        *left == 0
                    }
                },
            };
            if !complete {
                break;
            }
            let t = match open.pop() {
                Some(Open::Array { t, .. }) => {
                    held = held.saturating_sub(2);
                    t
                }
                Some(Open::Map { t, .. }) => {
                    held = held.saturating_sub(1);
                    t
                }
                None => Table::default(),
            };
            value = interp.table(t)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lua::testing::{eval_err as eval, HX};

    /// Scripts and what redis-server 7.0.15 replied (as redis-cli prints it).
    const CASES: &[(&str, &str)] = &[
        (
            r##"return hx(cmsgpack.pack(0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, 2^53, -1, -32, -33, -128, -129, -32768, -32769, -2^31, -2^31-1, -2^63))"##,
            r##""00017fcc80ccffcd0100cdffffce00010000ceffffffffcf0000000100000000cf0020000000000000ffe0d0dfd080d1ff7fd18000d2ffff7fffd280000000d3ffffffff7fffffffd38000000000000000""##,
        ),
        (
            r##"return hx(cmsgpack.pack(2^63, 2^64, -2^63-2^11, 1/0, -1/0, 0/0, -0, 0.5, 0.1, 1e300, 3.4028234663852886e38, 1e-45, 2^-149, -1.5, 1e10 + 0.5))"##,
            r##""ca5f000000ca5f800000cbc3e0000000000001ca7f800000caff800000cbfff800000000000000ca3f000000cb3fb999999999999acb7e37e43c8800759cca7f7fffffcb3696d601ad376ab9ca00000001cabfc00000cb4202a05f20040000""##,
        ),
        (
            r##"return hx(cmsgpack.pack(0.1))"##,
            r##""cb3fb999999999999a""##,
        ),
        (
            r##"return hx(cmsgpack.pack(-1099511627776))"##,
            r##""d3ffffff0000000000""##,
        ),
        (
            r##"return hx(cmsgpack.pack('', 'a', string.rep('x', 31), string.rep('x', 32)))"##,
            r##""a0a161bf78787878787878787878787878787878787878787878787878787878787878d9207878787878787878787878787878787878787878787878787878787878787878""##,
        ),
        (
            r##"return {hx(string.sub(cmsgpack.pack(string.rep('x', 255)), 1, 4)), hx(string.sub(cmsgpack.pack(string.rep('x', 256)), 1, 4)), hx(string.sub(cmsgpack.pack(string.rep('x', 65535)), 1, 4)), hx(string.sub(cmsgpack.pack(string.rep('x', 65536)), 1, 6)), #cmsgpack.pack(string.rep('x', 65536))}"##,
            r##"1) "d9ff7878"
2) "da010078"
3) "daffff78"
4) "db0001000078"
5) (integer) 65541"##,
        ),
        (
            r##"return hx(cmsgpack.pack(true, false, nil, {}, {1,2}, {[1]=1,[3]=3}, {a=1}, {[1.5]=2}, {[0]=1}, {[-1]=1}, {[2]=2}))"##,
            r##""c3c2c090920102820101030381a1610181ca3fc000000281000181ff01810202""##,
        ),
        (
            r##"return hx(cmsgpack.pack(type, cjson.null, {f=type}, {type}, {[type]=1}))"##,
            r##""c0c081a166c091c081c001""##,
        ),
        (
            r##"return {hx(string.sub(cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16}), 1, 4)), hx(string.sub(cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15}), 1, 2))}"##,
            r##"1) "dc001001"
2) "9f01""##,
        ),
        (
            r##"local t = {} for i = 1, 65536 do t[i] = 1 end return {hx(string.sub(cmsgpack.pack(t), 1, 6)), #cmsgpack.pack(t)}"##,
            r##"1) "dd0001000001"
2) (integer) 65541"##,
        ),
        (
            r##"local t = {} for i = 1, 16 do t['k'..i] = 1 end return {hx(string.sub(cmsgpack.pack(t), 1, 3)), #cmsgpack.pack(t)}"##,
            r##"1) "de0010"
2) (integer) 74"##,
        ),
        (
            r##"local t = {} for i = 1, 65536 do t['k'..i] = 1 end return {hx(string.sub(cmsgpack.pack(t), 1, 5)), #cmsgpack.pack(t)}"##,
            r##"1) "df00010000"
2) (integer) 513187"##,
        ),
        (
            r##"local t = {} t[1] = t return hx(cmsgpack.pack(t))"##,
            r##""91919191919191919191919191919191c0""##,
        ),
        (
            r##"local t = {} t.a = t return hx(cmsgpack.pack(t))"##,
            r##""81a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a161c0""##,
        ),
        (
            r##"local t = {{{{{{{{{{{{{{{{{{1}}}}}}}}}}}}}}}}}} return hx(cmsgpack.pack(t))"##,
            r##""91919191919191919191919191919191c0""##,
        ),
        (
            r##"local t = {1,2,3} t[2] = nil return hx(cmsgpack.pack(t))"##,
            r##""8201010303""##,
        ),
        (
            r##"local t = {1,2,3} t[3] = nil return hx(cmsgpack.pack(t))"##,
            r##""920102""##,
        ),
        (
            r##"return hx(cmsgpack.pack({[2^31] = 1}, {[2^31-1] = 1}, {[1]=1, [2]=2, [2.5]=3}, {[true]=1}, {[1]='a', [2.0]='b'}))"##,
            r##""81ce800000000181ce7fffffff018301010202ca402000000381c30192a161a162""##,
        ),
        (
            r##"return hx(cmsgpack.pack(setmetatable({}, {__index = function() return 1 end}), setmetatable({1}, {__len = function() return 5 end})))"##,
            r##""909101""##,
        ),
        (r##"return hx(cmsgpack.pack(12, 'x'))"##, r##""0ca178""##),
        (
            r##"return cmsgpack._NAME .. '|' .. cmsgpack._VERSION .. '|' .. cmsgpack._COPYRIGHT .. '|' .. cmsgpack._DESCRIPTION"##,
            r##""cmsgpack|lua-cmsgpack 0.4.0|Copyright (C) 2012, Salvatore Sanfilippo|MessagePack C implementation for Lua""##,
        ),
        (
            r##"return {cmsgpack.unpack(cmsgpack.pack({1, 2, 3}))}"##,
            r##"1) 1) (integer) 1
   2) (integer) 2
   3) (integer) 3"##,
        ),
        (
            r##"return cmsgpack.unpack(cmsgpack.pack({1, 'two', {3, {4.5, true}}, false}))"##,
            r##"1) (integer) 1
2) "two"
3) 1) (integer) 3
   2) 1) (integer) 4
      2) (integer) 1
4) (nil)"##,
        ),
        (
            r##"local t = cmsgpack.unpack(cmsgpack.pack({a = 1, b = {c = 'd'}})) return {t.a, t.b.c}"##,
            r##"1) (integer) 1
2) "d""##,
        ),
        (
            r##"return {cmsgpack.unpack(cmsgpack.pack(1, 'a', 2.5, nil, true))}"##,
            r##"1) (integer) 1
2) "a"
3) (integer) 2"##,
        ),
        (
            r##"return select('#', cmsgpack.unpack(cmsgpack.pack(1, 'a', 2.5, nil, true)))"##,
            r##"(integer) 5"##,
        ),
        (
            r##"local a = {x=nil,y=5} local b = {x=a} a['x'] = b local encoded = cmsgpack.pack(a) local re = cmsgpack.unpack(encoded) assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.y == re.y) assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x) assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x == nil) return {hx(encoded), re.x.x.x.x.x.x.x.x.y == re.y, re.y == 5}"##,
            r##"1) "82a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a178c0"
2) (integer) 1
3) (integer) 1"##,
        ),
        (
            r##"return {cmsgpack.unpack_one('abc', 2^32)}"##,
            r##"(error) ERR user_script:1: Start offset 0 greater than input length 3."##,
        ),
        (
            r##"return {cmsgpack.unpack_one('abc', 2^32+1)}"##,
            r##"(error) ERR user_script:1: Start offset 1 greater than input length 3."##,
        ),
        (
            r##"return {cmsgpack.unpack_one('abc', -2^32+1)}"##,
            r##"(error) ERR user_script:1: Invalid request to unpack with offset of 1 and limit of 3."##,
        ),
        (
            r##"return {cmsgpack.unpack_one('abc', -1)}"##,
            r##"(error) ERR user_script:1: Invalid request to unpack with offset of -1 and limit of 3."##,
        ),
        (
            r##"return {cmsgpack.unpack_one('abc', 5)}"##,
            r##"(error) ERR user_script:1: Start offset 5 greater than input length 3."##,
        ),
        (
            r##"return {cmsgpack.unpack_one('\1\2\3', 1.9)}"##,
            r##"1) (integer) 2
2) (integer) 2"##,
        ),
        (
            r##"return {cmsgpack.unpack_one('\1\2\3', '1')}"##,
            r##"1) (integer) 2
2) (integer) 2"##,
        ),
        (
            r##"return {cmsgpack.unpack_one('\1\2\3', 'x')}"##,
            r##"(error) ERR user_script:1: bad argument #2 to 'unpack_one' (number expected, got string)"##,
        ),
        (
            r##"return {cmsgpack.unpack_one('\1\2\3', 0/0)}"##,
            r##"(error) ERR user_script:1: Invalid request to unpack with offset of 0 and limit of 3."##,
        ),
        (
            r##"return {cmsgpack.unpack_one('\1\2\3', 1e300)}"##,
            r##"(error) ERR user_script:1: Invalid request to unpack with offset of 0 and limit of 3."##,
        ),
        (
            r##"return {cmsgpack.unpack_one(nil, 'x')}"##,
            r##"(error) ERR user_script:1: bad argument #2 to 'unpack_one' (number expected, got string)"##,
        ),
        (
            r##"return {cmsgpack.unpack_one(nil)}"##,
            r##"(error) ERR user_script:1: bad argument #1 to 'unpack_one' (string expected, got nil)"##,
        ),
        (
            r##"return {cmsgpack.unpack_one()}"##,
            r##"(error) ERR user_script:1: bad argument #1 to 'unpack_one' (string expected, got no value)"##,
        ),
        (
            r##"return {cmsgpack.unpack_one(123)}"##,
            r##"1) (integer) 1
2) (integer) 49"##,
        ),
        (
            r##"return {cmsgpack.unpack(123)}"##,
            r##"1) (integer) 49
2) (integer) 50
3) (integer) 51"##,
        ),
        (
            r##"return {cmsgpack.unpack()}"##,
            r##"(error) ERR user_script:1: bad argument #1 to 'unpack' (string expected, got no value)"##,
        ),
        (
            r##"return {cmsgpack.unpack({})}"##,
            r##"(error) ERR user_script:1: bad argument #1 to 'unpack' (string expected, got table)"##,
        ),
        (
            r##"return {cmsgpack.unpack_limit('\1\2\3')}"##,
            r##"(error) ERR user_script:1: bad argument #2 to 'unpack_limit' (number expected, got no value)"##,
        ),
        (
            r##"return {cmsgpack.unpack_limit('\1\2\3', 0)}"##,
            r##"1) (integer) 1
2) (integer) 2
3) (integer) 3"##,
        ),
        (
            r##"return {cmsgpack.unpack_limit('\1\2\3', 0, 1)}"##,
            r##"1) (integer) 1"##,
        ),
        (
            r##"return {cmsgpack.unpack_limit('\1\2\3', 2)}"##,
            r##"1) (integer) 2
2) (integer) 1
3) (integer) 2"##,
        ),
        (
            r##"return {cmsgpack.unpack_limit('\1\2\3', 2, 1)}"##,
            r##"1) (integer) -1
2) (integer) 2
3) (integer) 3"##,
        ),
        (
            r##"return {cmsgpack.unpack_limit('\1\2\3', 5, 1)}"##,
            r##"1) (integer) -1
2) (integer) 2
3) (integer) 3"##,
        ),
        (
            r##"return {cmsgpack.unpack_limit('\1\2\3', 1, 3)}"##,
            r##"1) (integer) -1"##,
        ),
        (
            r##"return {cmsgpack.unpack_limit('\1\2\3', -1, 1)}"##,
            r##"(error) ERR user_script:1: Invalid request to unpack with offset of 1 and limit of 3."##,
        ),
        (
            r##"return {cmsgpack.unpack_limit('\1\2\3', 'x')}"##,
            r##"(error) ERR user_script:1: bad argument #2 to 'unpack_limit' (number expected, got string)"##,
        ),
        (
            r##"return {cmsgpack.unpack_limit(nil, 'a', 'b')}"##,
            r##"(error) ERR user_script:1: bad argument #2 to 'unpack_limit' (number expected, got string)"##,
        ),
        (
            r##"return {cmsgpack.unpack_limit(nil, 1, 'b')}"##,
            r##"(error) ERR user_script:1: bad argument #3 to 'unpack_limit' (number expected, got string)"##,
        ),
        (
            r##"return {cmsgpack.unpack_limit(nil, 1)}"##,
            r##"(error) ERR user_script:1: bad argument #1 to 'unpack_limit' (string expected, got nil)"##,
        ),
        (
            r##"return {cmsgpack.unpack_limit('', 1)}"##,
            r##"1) (integer) -1"##,
        ),
        (
            r##"return {cmsgpack.unpack_one('')}"##,
            r##"1) (integer) -1"##,
        ),
        (r##"return {cmsgpack.unpack('')}"##, r##"(empty array)"##),
        (
            r##"return select('#', cmsgpack.unpack(''))"##,
            r##"(integer) 0"##,
        ),
        (
            r##"return {cmsgpack.unpack('\1\2', 'extra', 'args')}"##,
            r##"1) (integer) 1
2) (integer) 2"##,
        ),
        (r##"return cmsgpack.unpack('\192')"##, r##"(nil)"##),
        (
            r##"return select('#', cmsgpack.unpack('\192\192'))"##,
            r##"(integer) 2"##,
        ),
        (
            r##"return {cmsgpack.unpack('\204')}"##,
            r##"(error) ERR user_script:1: Missing bytes in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\193')}"##,
            r##"(error) ERR user_script:1: Bad data format in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\196\1a')}"##,
            r##"(error) ERR user_script:1: Bad data format in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\199\1\1a')}"##,
            r##"(error) ERR user_script:1: Bad data format in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\212\1\1')}"##,
            r##"(error) ERR user_script:1: Bad data format in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\1\193')}"##,
            r##"(error) ERR user_script:1: Bad data format in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\147\1')}"##,
            r##"(error) ERR user_script:1: Missing bytes in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\147\1\193')}"##,
            r##"(error) ERR user_script:1: Bad data format in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\129\1')}"##,
            r##"(error) ERR user_script:1: Missing bytes in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\129\192\192')}"##,
            r##"(error) ERR table index is nil"##,
        ),
        (
            r##"return {cmsgpack.unpack('\129\203\255\248\0\0\0\0\0\0\1')}"##,
            r##"(error) ERR table index is NaN"##,
        ),
        (
            r##"return {pcall(cmsgpack.unpack, '\129\192\1')}"##,
            r##"1) (nil)
2) "table index is nil""##,
        ),
        (
            r##"return {cmsgpack.unpack('\129\1\192')}"##,
            r##"1) (empty array)"##,
        ),
        (
            r##"local t = cmsgpack.unpack('\130\1\2\1\3') return t[1]"##,
            r##"(integer) 3"##,
        ),
        (
            r##"local t = cmsgpack.unpack('\147\1\192\3') return {#t, t[1], t[2], t[3]}"##,
            r##"1) (integer) 1
2) (integer) 1"##,
        ),
        (
            r##"local t = cmsgpack.unpack('\147\192\2\3') return {#t, t[1], t[2], t[3]}"##,
            r##"1) (integer) 0"##,
        ),
        (
            r##"return {cmsgpack.unpack('\204\255\205\1\0\206\255\255\255\255\207\255\255\255\255\255\255\255\255\207\127\255\255\255\255\255\255\255\207\0\32\0\0\0\0\0\1')}"##,
            r##"1) (integer) 255
2) (integer) 256
3) (integer) 4294967295
4) (integer) -1
5) (integer) -9223372036854775808
6) (integer) 9007199254740992"##,
        ),
        (
            r##"return {cmsgpack.unpack('\208\128\209\255\128\209\128\0\210\255\255\255\255\210\128\0\0\0\211\128\0\0\0\0\0\0\0\211\255\255\255\255\255\255\255\254\224\255\127')}"##,
            r##" 1) (integer) -128
 2) (integer) -128
 3) (integer) -32768
 4) (integer) -1
 5) (integer) -2147483648
 6) (integer) -9223372036854775808
 7) (integer) -2
 8) (integer) -32
 9) (integer) -1
10) (integer) 127"##,
        ),
        (
            r##"return {cmsgpack.unpack('\202\63\192\0\0'), tostring(cmsgpack.unpack('\202\127\128\0\0')), tostring(cmsgpack.unpack('\203\63\185\153\153\153\153\153\154')), tostring(cmsgpack.unpack('\202\61\204\204\205'))}"##,
            r##"1) (integer) 1
2) "inf"
3) "0.1"
4) "0.10000000149012""##,
        ),
        (
            r##"return {cmsgpack.unpack('\160\161a\217\3abc\218\0\2ab\219\0\0\0\1z')}"##,
            r##"1) ""
2) "a"
3) "abc"
4) "ab"
5) "z""##,
        ),
        (
            r##"return {cmsgpack.unpack('\217\3ab')}"##,
            r##"(error) ERR user_script:1: Missing bytes in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\219\0\0\0')}"##,
            r##"(error) ERR user_script:1: Missing bytes in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\219\255\255\255\255ab')}"##,
            r##"(error) ERR user_script:1: Missing bytes in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\221\255\255\255\255\1')}"##,
            r##"(error) ERR user_script:1: Missing bytes in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\223\255\255\255\255\1\1')}"##,
            r##"(error) ERR user_script:1: Missing bytes in input."##,
        ),
        (
            r##"return {cmsgpack.unpack('\220\0\2\1\2')}"##,
            r##"1) 1) (integer) 1
   2) (integer) 2"##,
        ),
        (
            r##"return cmsgpack.unpack('\222\0\1\161a\5').a"##,
            r##"(integer) 5"##,
        ),
        (
            r##"return cmsgpack.unpack('\223\0\0\0\1\161a\5').a"##,
            r##"(integer) 5"##,
        ),
        (
            r##"return {cmsgpack.unpack('\221\0\0\0\2\1\2')}"##,
            r##"1) 1) (integer) 1
   2) (integer) 2"##,
        ),
        (
            r##"return {cmsgpack.unpack('\194\195')}"##,
            r##"1) (nil)
2) (integer) 1"##,
        ),
        (
            r##"return {cmsgpack.unpack('\144\128')}"##,
            r##"1) (empty array)
2) (empty array)"##,
        ),
        (
            r##"return select('#', cmsgpack.unpack(string.rep('\1', 7999)))"##,
            r##"(integer) 7999"##,
        ),
        (
            r##"return select('#', cmsgpack.unpack(string.rep('\1', 8000)))"##,
            r##"(error) ERR user_script:1: stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)"##,
        ),
        (
            r##"return select('#', cmsgpack.unpack(string.rep('\1', 7998), 'x'))"##,
            r##"(integer) 7998"##,
        ),
        (
            r##"return select('#', cmsgpack.unpack(string.rep('\1', 7999), 'x'))"##,
            r##"(error) ERR user_script:1: stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)"##,
        ),
        (
            r##"return select('#', cmsgpack.unpack_limit(string.rep('\1', 7999), 10000))"##,
            r##"(error) ERR user_script:1: stack overflow (in function mp_unpack_full)"##,
        ),
        (
            r##"return select('#', cmsgpack.unpack_limit(string.rep('\1', 7998), 10000))"##,
            r##"(integer) 7999"##,
        ),
        (
            r##"return #{cmsgpack.unpack(string.rep('\1', 7999))}"##,
            r##"(integer) 7999"##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3999) .. '\1') return {ok, type(e) == 'table' or e}"##,
            r##"1) (integer) 1
2) (integer) 1"##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 4000) .. '\1') return {ok, type(e) == 'table' or e}"##,
            r##"1) (nil)
2) "stack overflow (in function mp_decode_to_lua_array)""##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3999)) return {ok, type(e) == 'table' or e}"##,
            r##"1) (nil)
2) "Missing bytes in input.""##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\129\1', 3999) .. '\1') return {ok, type(e) == 'table' or e}"##,
            r##"1) (integer) 1
2) (integer) 1"##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\129\1', 4000) .. '\1') return {ok, type(e) == 'table' or e}"##,
            r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\129\1', 3998) .. '\1') return {ok, type(e) == 'table' or e}"##,
            r##"1) (integer) 1
2) (integer) 1"##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\129\145', 2666) .. '\1') return {ok, type(e) == 'table' or e}"##,
            r##"1) (nil)
2) "Missing bytes in input.""##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\129\145', 2667) .. '\1') return {ok, type(e) == 'table' or e}"##,
            r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3998) .. '\144') return {ok, type(e) == 'table' or e}"##,
            r##"1) (integer) 1
2) (integer) 1"##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3999) .. '\144') return {ok, type(e) == 'table' or e}"##,
            r##"1) (nil)
2) "stack overflow (in function mp_decode_to_lua_array)""##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3999) .. '\128') return {ok, type(e) == 'table' or e}"##,
            r##"1) (integer) 1
2) (integer) 1"##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3999) .. '\129\1') return {ok, type(e) == 'table' or e}"##,
            r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 3998) .. '\129\1\1') return {ok, type(e) == 'table' or e}"##,
            r##"1) (integer) 1
2) (integer) 1"##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 4000) .. '\193') return {ok, type(e) == 'table' or e}"##,
            r##"1) (nil)
2) "stack overflow (in function mp_decode_to_lua_array)""##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7998) .. '\145\1') return {ok, type(e) == 'table' or e}"##,
            r##"1) (nil)
2) "stack overflow (in function mp_decode_to_lua_array)""##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7997) .. '\145\1') return {ok, type(e) == 'table' or e}"##,
            r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7996) .. '\145\1') return {ok, type(e) == 'table' or e}"##,
            r##"1) (integer) 1
2) (integer) 1"##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\1', 7999) .. '\193') return {ok, type(e) == 'table' or e}"##,
            r##"1) (nil)
2) "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)""##,
        ),
        (
            r##"local ok, e = pcall(cmsgpack.unpack, string.rep('\145', 100000)) return {ok, e}"##,
            r##"1) (nil)
2) "stack overflow (in function mp_decode_to_lua_array)""##,
        ),
        (
            r##"local t = {} for i = 1, 4000 do t[i] = i end return #cmsgpack.pack(unpack(t))"##,
            r##"(integer) 11618"##,
        ),
        (
            r##"local t = {} for i = 1, 4001 do t[i] = i end return #cmsgpack.pack(unpack(t))"##,
            r##"(error) ERR user_script:1: bad argument #0 to 'pack' (Too many arguments for MessagePack pack.)"##,
        ),
        (
            r##"local t = {} for i = 1, 4000 do t[i] = i end t[4000] = {} return #cmsgpack.pack(unpack(t))"##,
            r##"(error) ERR user_script:1: stack overflow (in function table_is_an_array)"##,
        ),
        (
            r##"local t = {} for i = 1, 3999 do t[i] = i end t[3999] = {} return #cmsgpack.pack(unpack(t))"##,
            r##"(integer) 11613"##,
        ),
        (
            r##"local t = {} for i = 1, 3999 do t[i] = i end t[3999] = {{}} return #cmsgpack.pack(unpack(t))"##,
            r##"(error) ERR user_script:1: stack overflow (in function table_is_an_array)"##,
        ),
        (
            r##"local t = {} for i = 1, 3999 do t[i] = i end t[3999] = {a={}} return #cmsgpack.pack(unpack(t))"##,
            r##"(error) ERR user_script:1: stack overflow (in function mp_encode_lua_table_as_map)"##,
        ),
        (
            r##"local t = {} for i = 1, 3998 do t[i] = i end t[3998] = {a={}} return #cmsgpack.pack(unpack(t))"##,
            r##"(integer) 11613"##,
        ),
        (
            r##"local t = {} for i = 1, 3997 do t[i] = i end t[3997] = {[{}]=1} return #cmsgpack.pack(unpack(t))"##,
            r##"(integer) 11609"##,
        ),
        (
            r##"local t = {} for i = 1, 3998 do t[i] = i end t[3998] = {[{}]=1} return #cmsgpack.pack(unpack(t))"##,
            r##"(error) ERR user_script:1: stack overflow (in function table_is_an_array)"##,
        ),
        (
            r##"return cmsgpack.pack()"##,
            r##"(error) ERR user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.)"##,
        ),
        (
            r##"cmsgpack.x = 1 return 1"##,
            r##"(error) ERR user_script:1: Attempt to modify a readonly table"##,
        ),
        (
            r##"local s = cmsgpack.pack(1, 'b', {3}) local o1, v1 = cmsgpack.unpack_one(s) local o2, v2 = cmsgpack.unpack_one(s, o1) local o3, v3 = cmsgpack.unpack_one(s, o2) return {o1, v1, o2, v2, o3, v3[1]}"##,
            r##"1) (integer) 1
2) (integer) 1
3) (integer) 3
4) "b"
5) (integer) -1
6) (integer) 3"##,
        ),
        (
            r##"return {cmsgpack.unpack(cmsgpack.pack(-0.0, 1/0, -1/0, 2^63, -2^63, 2^64, 1e308, 5e-324))}"##,
            r##"1) (integer) 0
2) (integer) -9223372036854775808
3) (integer) -9223372036854775808
4) (integer) -9223372036854775808
5) (integer) -9223372036854775808
6) (integer) -9223372036854775808
7) (integer) -9223372036854775808
8) (integer) 0"##,
        ),
        (
            r##"return {tostring(cmsgpack.unpack(cmsgpack.pack(2^-149))), tostring(cmsgpack.unpack(cmsgpack.pack(5e-324))), tostring(cmsgpack.unpack(cmsgpack.pack(1/3)))}"##,
            r##"1) "1.4012984643248e-45"
2) "4.9406564584125e-324"
3) "0.33333333333333""##,
        ),
    ];

    #[test]
    fn matches_redis() {
        let mut failed = Vec::new();
        for (script, want) in CASES {
            let got = eval(&format!("{HX}{script}"));
            if got != *want {
                failed.push(format!("{script}\n  want: {want}\n  got:  {got}"));
            }
        }
        assert!(failed.is_empty(), "{}", failed.join("\n"));
    }

    /// Redis's own tests (unit/scripting.tcl).
    #[test]
    fn redis_suite() {
        assert_eq!(
            eval(&format!("{HX}return hx(cmsgpack.pack(0.1))")),
            r#""cb3fb999999999999a""#
        );
        assert_eq!(
            eval(&format!("{HX}return hx(cmsgpack.pack(-1099511627776))")),
            r#""d3ffffff0000000000""#
        );
        let smoke = "local str_lt_32 = string.rep('x', 30)
            local str_lt_255 = string.rep('x', 250)
            local str_lt_65535 = string.rep('x', 65530)
            local str_long = string.rep('x', 100000)
            local array_lt_15 = {1, 2, 3, 4, 5}
            local array_lt_65535 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}
            local array_big = {}
            for i=1, 100000 do array_big[i] = i end
            local map_lt_15 = {a=1, b=2}
            local map_big = {}
            for i=1, 100000 do map_big[tostring(i)] = i end
            local some_map = {
                s1=str_lt_32, s2=str_lt_255, s3=str_lt_65535, s4=str_long,
                d1=0.1, i1=1, i2=250, i3=65530, i4=100000, i5=2^40,
                i6=-1, i7=-120, i8=-32000, i9=-1200000, b1=false, b2=true, n=nil,
                a1=array_lt_15, a2=array_lt_65535, a3=array_big,
                m1=map_lt_15, m2=map_big
            }
            local encoded = cmsgpack.pack(some_map)
            local decoded = cmsgpack.unpack(encoded)
            assert(table.concat(some_map) == table.concat(decoded))
            local offset, decoded_one = cmsgpack.unpack_one(encoded, 0)
            assert(table.concat(some_map) == table.concat(decoded_one))
            assert(offset == -1)
            assert(decoded.s4 == str_long and decoded.a3[100000] == 100000)
            assert(decoded.m2['77'] == 77 and decoded.i5 == 2^40 and decoded.d1 == 0.1)
            local encoded_multiple = cmsgpack.pack(str_lt_32, str_lt_255, str_lt_65535, str_long)
            local offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, 0)
            assert(obj == str_lt_32)
            offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset)
            assert(obj == str_lt_255)
            offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset)
            assert(obj == str_lt_65535)
            offset, obj = cmsgpack.unpack_limit(encoded_multiple, 1, offset)
            assert(obj == str_long)
            assert(offset == -1)
            return 'ok'";
        assert_eq!(eval(smoke), r#""ok""#);
        let circular = format!(
            "{HX}local a = {{x=nil,y=5}}
            local b = {{x=a}}
            a['x'] = b
            local encoded = cmsgpack.pack(a)
            local re = cmsgpack.unpack(encoded)
            assert(re)
            assert(re.x)
            assert(re.x.x.y == re.y)
            assert(re.x.x.x.x.y == re.y)
            assert(re.x.x.x.x.x.x.y == re.y)
            assert(re.x.x.x.x.x.x.x.x.x.x.y == re.y)
            assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.y == re.y)
            assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x)
            assert(re.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x == nil)
            return {{hx(encoded), re.x.x.x.x.x.x.x.x.y == re.y, re.y == 5}}"
        );
        assert_eq!(
            eval(&circular),
            "1) \"82a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905\
             a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a178c0\"\n2) (integer) 1\n3) (integer) 1"
        );
    }

    /// Arbitrary bytes never panic, and deep or huge input stops with an
    /// error rather than exhausting the stack or memory.
    #[test]
    fn hostile_input() {
        let deep = eval("return {pcall(cmsgpack.unpack, string.rep('\\221\\0\\0\\0\\1', 100000))}");
        assert!(deep.contains("stack overflow"), "{deep}");
        let maps =
            eval("return {pcall(cmsgpack.unpack, string.rep('\\223\\0\\0\\0\\1\\145', 100000))}");
        assert!(maps.contains("stack overflow"), "{maps}");
        let long = eval("return {pcall(cmsgpack.unpack, '\\219\\255\\255\\255\\255')}");
        assert!(long.contains("Missing bytes"), "{long}");
        let wide = eval("return {pcall(cmsgpack.unpack, '\\221\\255\\255\\255\\255\\1\\2')}");
        assert!(wide.contains("Missing bytes"), "{wide}");
        // Every byte after every prefix of a sample encoding.
        let fuzz =
            "local s = cmsgpack.pack({1, -200, 3.5, 'abc', {k = {true, false}}, 2^40, 1e300})
            local n = 0
            for i = 0, #s do
                for b = 0, 255 do
                    local t = string.sub(s, 1, i) .. string.char(b) .. string.sub(s, i + 2)
                    pcall(cmsgpack.unpack, t)
                    pcall(cmsgpack.unpack_one, t, i)
                    n = n + 1
                end
            end
            return n";
        assert!(eval(fuzz).starts_with("(integer)"));
        // A wide self-reference: the output grows past the memory budget
        // (most of it taken up front, to keep the test quick).
        let big = eval(
            "local pad = string.rep('x', 250 * 1024 * 1024) \
             local t = {} for i = 1, 8 do t[i] = t end return #cmsgpack.pack(t)",
        );
        assert!(big.contains("not enough memory"), "{big}");
    }
}
