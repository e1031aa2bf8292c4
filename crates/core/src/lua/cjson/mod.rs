//! The `cjson` library Redis 7.0 gives scripts (lua-cjson 2.1.0 with
//! Redis's patches): `cjson.encode`, `cjson.decode`, `cjson.null` and the
//! configuration functions, with lua-cjson's behaviour and messages.
//!
//! - Encoding: a table whose keys are all positive integers is an array
//!   (holes become `null`, and a too sparse one is an error); any other
//!   table is an object, with number keys written as strings. Numbers use
//!   `%.14g`; strings escape `"`, `\`, `/`, control bytes and DEL, and pass
//!   other bytes through untouched.
//! - Decoding: JSON as lua-cjson reads it, which includes what C's `strtod`
//!   accepts where a number starts (hex, `inf`, `nan`, a leading `+`) unless
//!   `decode_invalid_numbers(false)`; `null` is [`Value::Null`]. The input
//!   ends at its first NUL byte, as it does for the C parser.
//! - Both directions walk with an explicit stack rather than recursion, and
//!   stop at the configured depth, or where Lua's C stack (8000 slots) would
//!   have run out under Redis.
//!
//! Each `cjson` table (the global one, and each made by `cjson.new()`) has
//! its own settings, shared by its functions through an upvalue. Redis
//! keeps the global table's settings from one script to the next; here each
//! script starts from the defaults.

use std::cell::RefCell;
use std::rc::Rc;

use super::format;
use super::interp::{Interp, LuaError};
use super::stdlib::{bad_arg, check_num, check_str, set_field};
use super::value::{Cell, Function, LuaStr, NativeFn, Table, TableRef, Value};

mod decode;
mod encode;
#[cfg(test)]
mod tests;

use decode::json_decode;
use encode::json_encode;

type LResult<T> = Result<T, LuaError>;
type Rets = LResult<Vec<Value>>;

/// Lua 5.1's `LUAI_MAXCSTACK`: the stack slots a C function may use, which
/// bounds how deep lua-cjson can nest when the depth limits are raised.
const MAX_C_STACK: i64 = 8000;

/// Output is counted against the memory budget in steps of this many bytes.
const CHARGE_STEP: usize = 1 << 16;

// ---- configuration -----------------------------------------------------------------

/// One `cjson` table's settings (lua-cjson's `json_config_t`).
#[derive(Clone, Copy)]
struct Config {
    sparse_convert: i32,
    sparse_ratio: i32,
    sparse_safe: i32,
    encode_max_depth: i32,
    decode_max_depth: i32,
    /// 0: refuse NaN and infinities, 1: write them (`nan`, `inf`), 2: write `null`.
    encode_invalid_numbers: i32,
    decode_invalid_numbers: i32,
    keep_buffer: i32,
    precision: i32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            sparse_convert: 0,
            sparse_ratio: 2,
            sparse_safe: 10,
            encode_max_depth: 1000,
            decode_max_depth: 1000,
            encode_invalid_numbers: 0,
            decode_invalid_numbers: 1,
            keep_buffer: 1,
            precision: 14,
        }
    }
}

impl Config {
    fn to_values(self) -> Vec<Value> {
        [
            self.sparse_convert,
            self.sparse_ratio,
            self.sparse_safe,
            self.encode_max_depth,
            self.decode_max_depth,
            self.encode_invalid_numbers,
            self.decode_invalid_numbers,
            self.keep_buffer,
            self.precision,
        ]
        .iter()
        .map(|&n| Value::Num(f64::from(n)))
        .collect()
    }

    /// The settings kept in a function's first upvalue (a table of numbers
    /// that scripts can't reach); the defaults if it is missing.
    fn load(up: &[Cell]) -> Config {
        let mut c = Config::default();
        let Some(cell) = up.first() else {
            return c;
        };
        let Value::Table(t) = &*cell.borrow() else {
            return c;
        };
        let t = t.borrow();
        let fields = [
            &mut c.sparse_convert,
            &mut c.sparse_ratio,
            &mut c.sparse_safe,
            &mut c.encode_max_depth,
            &mut c.decode_max_depth,
            &mut c.encode_invalid_numbers,
            &mut c.decode_invalid_numbers,
            &mut c.keep_buffer,
            &mut c.precision,
        ];
        for (i, slot) in fields.into_iter().enumerate() {
            if let Value::Num(n) = t.get_int(i + 1) {
                *slot = n as i32;
            }
        }
        // Keep the values in the ranges the setters allow.
        c.precision = c.precision.clamp(1, 14);
        c.encode_invalid_numbers = c.encode_invalid_numbers.clamp(0, 2);
        c
    }

    fn save(self, up: &[Cell]) {
        if let Some(cell) = up.first() {
            *cell.borrow_mut() = Value::new_table(Table::from_array(self.to_values()));
        }
    }
}

/// A new `cjson` table with default settings.
fn module() -> Table {
    let cfg: Cell = Rc::new(RefCell::new(Value::new_table(Table::from_array(
        Config::default().to_values(),
    ))));
    let fns: [(&'static str, NativeFn); 10] = [
        ("encode", json_encode),
        ("decode", json_decode),
        ("encode_sparse_array", cfg_encode_sparse_array),
        ("encode_max_depth", cfg_encode_max_depth),
        ("decode_max_depth", cfg_decode_max_depth),
        ("encode_number_precision", cfg_encode_number_precision),
        ("encode_keep_buffer", cfg_encode_keep_buffer),
        ("encode_invalid_numbers", cfg_encode_invalid_numbers),
        ("decode_invalid_numbers", cfg_decode_invalid_numbers),
        ("new", cjson_new),
    ];
    let mut t = Table::default();
    for (name, f) in fns {
        let func = Value::Func(Rc::new(Function::Native {
            name,
            f,
            upvals: vec![cfg.clone()],
        }));
        set_field(&mut t, name, func);
    }
    set_field(&mut t, "null", Value::Null);
    set_field(&mut t, "_NAME", Value::str(b"cjson"));
    set_field(&mut t, "_VERSION", Value::str(b"2.1.0"));
    t
}

/// Sets the global `cjson`.
pub fn open(interp: &mut Interp<'_>) {
    let t = Value::new_table(module());
    let g = interp.globals.clone();
    set_field(&mut g.borrow_mut(), "cjson", t);
}

fn cjson_new(interp: &mut Interp<'_>, _: &[Cell], _: Vec<Value>) -> Rets {
    Ok(vec![interp.table(module())?])
}

/// C's `(int)(lua_Integer)n` on x86-64: what `luaL_checkinteger` gives an
/// `int` setting (out-of-range and NaN convert to `INT64_MIN`, whose low
/// half is 0).
fn c_int(n: f64) -> i32 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    let wide = if n > -TWO_63 && n < TWO_63 {
        n as i64
    } else {
        i64::MIN
    };
    wide as i32
}

/// `found too many arguments` when there are more than `n`.
fn arg_count(args: &[Value], n: usize, fname: &str) -> LResult<()> {
    if args.len() > n {
        return Err(bad_arg(n, fname, "found too many arguments"));
    }
    Ok(())
}

fn given(args: &[Value], i: usize) -> bool {
    !matches!(args.get(i), None | Some(Value::Nil))
}

/// An integer setting: sets it from argument `i` when given (the range
/// error always names argument #1, as lua-cjson's does) and returns it.
fn integer_option(
    args: &[Value],
    i: usize,
    fname: &str,
    setting: &mut i32,
    min: i32,
    max: i32,
) -> LResult<Value> {
    if given(args, i) {
        let v = c_int(check_num(args, i, fname)?);
        if v < min || v > max {
            return Err(bad_arg(
                0,
                fname,
                &format!("expected integer between {min} and {max}"),
            ));
        }
        *setting = v;
    }
    Ok(Value::Num(f64::from(*setting)))
}

/// An enumerated setting: a boolean (true is `bool_true`) or one of the
/// option names. Returns it as a boolean when it is off or `bool_true`,
/// else as its name.
fn enum_option(
    args: &[Value],
    i: usize,
    fname: &str,
    setting: &mut i32,
    options: &[&str],
    bool_true: i32,
) -> LResult<Value> {
    if given(args, i) {
        if let Some(Value::Bool(b)) = args.get(i) {
            *setting = i32::from(*b) * bool_true;
        } else {
            let name = check_str(args, i, fname)?;
            match options.iter().position(|o| o.as_bytes() == &name[..]) {
                Some(p) => *setting = p as i32,
                None => {
                    let msg = format!("invalid option '{}'", String::from_utf8_lossy(&name));
                    return Err(bad_arg(i, fname, &msg));
                }
            }
        }
    }
    if *setting == 0 || *setting == bool_true {
        return Ok(Value::Bool(*setting != 0));
    }
    let name = usize::try_from(*setting)
        .ok()
        .and_then(|s| options.get(s))
        .copied()
        .unwrap_or("");
    Ok(Value::str(name.as_bytes()))
}

const ON_OFF: &[&str] = &["off", "on"];

/// Runs a setter on the table's settings, keeping what it changed even when
/// a later argument is refused (as lua-cjson does).
fn configure(up: &[Cell], f: impl FnOnce(&mut Config) -> Rets) -> Rets {
    let mut cfg = Config::load(up);
    let r = f(&mut cfg);
    cfg.save(up);
    r
}

fn cfg_encode_sparse_array(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "encode_sparse_array";
    arg_count(&args, 3, NAME)?;
    configure(up, |c| {
        let convert = enum_option(&args, 0, NAME, &mut c.sparse_convert, ON_OFF, 1)?;
        let ratio = integer_option(&args, 1, NAME, &mut c.sparse_ratio, 0, i32::MAX)?;
        let safe = integer_option(&args, 2, NAME, &mut c.sparse_safe, 0, i32::MAX)?;
        Ok(vec![convert, ratio, safe])
    })
}

fn cfg_encode_max_depth(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "encode_max_depth";
    arg_count(&args, 1, NAME)?;
    configure(up, |c| {
        integer_option(&args, 0, NAME, &mut c.encode_max_depth, 1, i32::MAX).map(|v| vec![v])
    })
}

fn cfg_decode_max_depth(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "decode_max_depth";
    arg_count(&args, 1, NAME)?;
    configure(up, |c| {
        integer_option(&args, 0, NAME, &mut c.decode_max_depth, 1, i32::MAX).map(|v| vec![v])
    })
}

fn cfg_encode_number_precision(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "encode_number_precision";
    arg_count(&args, 1, NAME)?;
    configure(up, |c| {
        integer_option(&args, 0, NAME, &mut c.precision, 1, 14).map(|v| vec![v])
    })
}

fn cfg_encode_keep_buffer(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "encode_keep_buffer";
    arg_count(&args, 1, NAME)?;
    configure(up, |c| {
        enum_option(&args, 0, NAME, &mut c.keep_buffer, ON_OFF, 1).map(|v| vec![v])
    })
}

fn cfg_encode_invalid_numbers(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "encode_invalid_numbers";
    arg_count(&args, 1, NAME)?;
    configure(up, |c| {
        let options = &["off", "on", "null"];
        enum_option(&args, 0, NAME, &mut c.encode_invalid_numbers, options, 1).map(|v| vec![v])
    })
}

fn cfg_decode_invalid_numbers(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "decode_invalid_numbers";
    arg_count(&args, 1, NAME)?;
    configure(up, |c| {
        enum_option(&args, 0, NAME, &mut c.decode_invalid_numbers, ON_OFF, 1).map(|v| vec![v])
    })
}
