//! The standard library a Redis script sees: the base functions and the
//! `string`, `table` and `math` libraries of Lua 5.1, with their argument
//! checks and messages (`bad argument #1 to 'sub' (string expected, got
//! nil)`).

use std::cell::RefCell;
use std::rc::Rc;

use super::format::{self, Piece};
use super::pattern::{self, CaptureValue, Match};
use super::value::{Cell, Function, LuaStr, NativeFn, Table, TableRef, Value};
use crate::lua::interp::{Desc, ErrorKind, Interp, LuaError};

mod base;
mod math;
mod string;
mod table;

use base::*;
pub use base::{nonexistent_global_metatable, tostring};
use math::*;
pub use math::{lrand48, srand48};
use string::*;
use table::*;

type LResult<T> = Result<T, LuaError>;
type Rets = LResult<Vec<Value>>;

// ---- argument checks ------------------------------------------------------------

pub fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

fn got(args: &[Value], i: usize) -> &'static str {
    args.get(i).map_or("no value", Value::type_name)
}

pub fn bad_arg(i: usize, fname: &str, msg: &str) -> LuaError {
    LuaError::msg(format!("bad argument #{} to '{fname}' ({msg})", i + 1))
}

fn expected(args: &[Value], i: usize, fname: &str, what: &str) -> LuaError {
    bad_arg(i, fname, &format!("{what} expected, got {}", got(args, i)))
}

pub fn check_num(args: &[Value], i: usize, fname: &str) -> LResult<f64> {
    match args.get(i).and_then(Value::to_number) {
        Some(n) => Ok(n),
        None => Err(expected(args, i, fname, "number")),
    }
}

pub fn check_int(args: &[Value], i: usize, fname: &str) -> LResult<i64> {
    check_num(args, i, fname).map(|n| n as i64)
}

fn opt_int(args: &[Value], i: usize, fname: &str, default: i64) -> LResult<i64> {
    match args.get(i) {
        None | Some(Value::Nil) => Ok(default),
        Some(_) => check_int(args, i, fname),
    }
}

pub fn check_str(args: &[Value], i: usize, fname: &str) -> LResult<LuaStr> {
    match args.get(i).and_then(Value::to_str) {
        Some(s) => Ok(s),
        None => Err(expected(args, i, fname, "string")),
    }
}

pub fn check_table(args: &[Value], i: usize, fname: &str) -> LResult<TableRef> {
    match args.get(i) {
        Some(Value::Table(t)) => Ok(t.clone()),
        _ => Err(expected(args, i, fname, "table")),
    }
}

fn check_any(args: &[Value], i: usize, fname: &str) -> LResult<Value> {
    match args.get(i) {
        Some(v) => Ok(v.clone()),
        None => Err(bad_arg(i, fname, "value expected")),
    }
}

fn one(v: Value) -> Rets {
    Ok(vec![v])
}

fn num(n: f64) -> Rets {
    one(Value::Num(n))
}

// ---- registration ---------------------------------------------------------------

pub fn native(name: &'static str, f: NativeFn) -> Value {
    Value::Func(Rc::new(Function::Native {
        name,
        f,
        upvals: Vec::new(),
    }))
}

fn set(t: &mut Table, name: &str, v: Value) {
    let _ = t.set(Value::str(name.as_bytes()), v);
}

fn register(t: &mut Table, fns: &[(&'static str, NativeFn)]) {
    for (name, f) in fns {
        set(t, name, native(name, *f));
    }
}

/// Fills the globals with the base functions and the libraries.
pub fn open(interp: &mut Interp<'_>) {
    let g = interp.globals.clone();
    let mut globals = g.borrow_mut();
    register(
        &mut globals,
        &[
            ("assert", base_assert),
            ("error", base_error),
            ("getmetatable", base_getmetatable),
            ("ipairs", base_ipairs),
            ("next", base_next),
            ("pairs", base_pairs),
            ("pcall", base_pcall),
            ("rawequal", base_rawequal),
            ("rawget", base_rawget),
            ("rawset", base_rawset),
            ("select", base_select),
            ("setmetatable", base_setmetatable),
            ("tonumber", base_tonumber),
            ("tostring", base_tostring),
            ("type", base_type),
            ("unpack", base_unpack),
            ("xpcall", base_xpcall),
            ("collectgarbage", base_gc),
            ("gcinfo", base_gc),
            ("loadstring", base_loadstring),
        ],
    );
    set(&mut globals, "_VERSION", Value::str(b"Lua 5.1"));
    set(&mut globals, "_G", Value::Table(g.clone()));

    let mut string = Table::default();
    register(
        &mut string,
        &[
            ("byte", str_byte),
            ("dump", str_dump),
            ("char", str_char),
            ("find", str_find),
            ("format", str_format),
            ("gmatch", str_gmatch),
            ("gsub", str_gsub),
            ("len", str_len),
            ("lower", str_lower),
            ("match", str_match),
            ("rep", str_rep),
            ("reverse", str_reverse),
            ("sub", str_sub),
            ("upper", str_upper),
        ],
    );
    *interp.string_lib.borrow_mut() = string;
    set(
        &mut globals,
        "string",
        Value::Table(interp.string_lib.clone()),
    );

    let mut table = Table::default();
    register(
        &mut table,
        &[
            ("concat", tab_concat),
            ("getn", tab_getn),
            ("insert", tab_insert),
            ("maxn", tab_maxn),
            ("remove", tab_remove),
            ("sort", tab_sort),
        ],
    );
    set(&mut globals, "table", Value::new_table(table));

    let mut math = Table::default();
    register(
        &mut math,
        &[
            ("abs", |_, _, a| num(check_num(&a, 0, "abs")?.abs())),
            ("acos", |_, _, a| num(check_num(&a, 0, "acos")?.acos())),
            ("asin", |_, _, a| num(check_num(&a, 0, "asin")?.asin())),
            ("atan", |_, _, a| num(check_num(&a, 0, "atan")?.atan())),
            ("atan2", |_, _, a| {
                num(check_num(&a, 0, "atan2")?.atan2(check_num(&a, 1, "atan2")?))
            }),
            ("ceil", |_, _, a| num(check_num(&a, 0, "ceil")?.ceil())),
            ("cos", |_, _, a| num(check_num(&a, 0, "cos")?.cos())),
            ("cosh", |_, _, a| num(check_num(&a, 0, "cosh")?.cosh())),
            ("deg", |_, _, a| num(check_num(&a, 0, "deg")?.to_degrees())),
            ("exp", |_, _, a| num(check_num(&a, 0, "exp")?.exp())),
            ("floor", |_, _, a| num(check_num(&a, 0, "floor")?.floor())),
            ("fmod", |_, _, a| {
                num(check_num(&a, 0, "fmod")? % check_num(&a, 1, "fmod")?)
            }),
            ("frexp", math_frexp),
            ("ldexp", |_, _, a| {
                let e = check_int(&a, 1, "ldexp")?.clamp(-2000, 2000) as i32;
                num(check_num(&a, 0, "ldexp")? * 2f64.powi(e))
            }),
            ("log", |_, _, a| num(check_num(&a, 0, "log")?.ln())),
            ("log10", |_, _, a| num(check_num(&a, 0, "log10")?.log10())),
            ("max", math_max),
            ("min", math_min),
            ("modf", |_, _, a| {
                let x = check_num(&a, 0, "modf")?;
                let int = x.trunc();
                let frac = if x.is_infinite() { 0.0 } else { x - int };
                Ok(vec![Value::Num(int), Value::Num(frac)])
            }),
            ("pow", |_, _, a| {
                num(check_num(&a, 0, "pow")?.powf(check_num(&a, 1, "pow")?))
            }),
            ("rad", |_, _, a| num(check_num(&a, 0, "rad")?.to_radians())),
            ("random", math_random),
            ("randomseed", math_randomseed),
            ("sin", |_, _, a| num(check_num(&a, 0, "sin")?.sin())),
            ("sinh", |_, _, a| num(check_num(&a, 0, "sinh")?.sinh())),
            ("sqrt", |_, _, a| num(check_num(&a, 0, "sqrt")?.sqrt())),
            ("tan", |_, _, a| num(check_num(&a, 0, "tan")?.tan())),
            ("tanh", |_, _, a| num(check_num(&a, 0, "tanh")?.tanh())),
        ],
    );
    set(&mut math, "huge", Value::Num(f64::INFINITY));
    set(&mut math, "pi", Value::Num(std::f64::consts::PI));
    set(&mut globals, "math", Value::new_table(math));
}

/// Marks a table and the tables inside it read-only (Redis protects the
/// globals and the libraries so that scripts can't change them).
pub fn protect(t: &TableRef) {
    let inner: Vec<TableRef> = {
        let mut tb = t.borrow_mut();
        if tb.readonly {
            return;
        }
        tb.readonly = true;
        tb.hash_values()
            .filter_map(|v| match v {
                Value::Table(t) => Some(t.clone()),
                _ => None,
            })
            .chain(tb.meta.clone())
            .collect()
    };
    for t in inner {
        protect(&t);
    }
}

/// Sets a field of a table (for the glue that builds the `redis` table).
pub fn set_field(t: &mut Table, name: &str, v: Value) {
    let _ = t.set(Value::Str(name.as_bytes().into()), v);
}
