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
//! Maps are written in `pairs` order, which is Lua 5.1's hash order as in
//! Redis (see [`crate::lua::table`]).

use super::interp::{ErrorKind, Interp, LuaError, MEMORY_BUDGET, STEP_CHECK};
use super::stdlib::{check_num, check_str, native, set_field};
use super::value::{Cell, NativeFn, Table, TableRef, Value};

mod decode;
mod encode;

use decode::{unpack, unpack_limit, unpack_one};
use encode::pack;

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

// ---- unpack -------------------------------------------------------------------

#[cfg(test)]
mod tests;
