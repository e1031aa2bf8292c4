//! `cmsgpack.unpack`, `unpack_one` and `unpack_limit`: MessagePack to
//! values, with open tables kept in a list rather than recursion.

use super::*;

pub(super) fn unpack(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let s = check_str(&args, 0, "unpack")?;
    // All the arguments stay on the stack below the results.
    unpack_full(interp, &s, args.len(), 0, 0)
}

pub(super) fn unpack_one(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let offset = opt_integer(&args, 1, "unpack_one")?;
    let s = check_str(&args, 0, "unpack_one")?;
    unpack_full(interp, &s, 1, 1, offset)
}

pub(super) fn unpack_limit(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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
