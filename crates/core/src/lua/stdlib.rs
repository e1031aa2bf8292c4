//! The standard library a Redis script sees: the base functions and the
//! `string`, `table` and `math` libraries of Lua 5.1, with their argument
//! checks and messages (`bad argument #1 to 'sub' (string expected, got
//! nil)`).

use std::cell::RefCell;
use std::rc::Rc;

use super::format::{self, Piece};
use super::interp::{Desc, ErrorKind, Interp, LuaError};
use super::pattern::{self, CaptureValue, Match};
use super::value::{Cell, Function, Key, LuaStr, NativeFn, Table, TableRef, Value};

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

// ---- base -----------------------------------------------------------------------------

/// `tostring`, with `__tostring`.
pub fn tostring(interp: &mut Interp<'_>, v: &Value) -> LResult<LuaStr> {
    Ok(match v {
        Value::Nil => "nil".as_bytes().into(),
        Value::Bool(b) => if *b { "true" } else { "false" }.as_bytes().into(),
        Value::Num(n) => format::fmt_number(*n).into_bytes().into(),
        Value::Str(s) => s.clone(),
        Value::Table(t) => {
            let h = t
                .borrow()
                .meta
                .as_ref()
                .map(|m| m.borrow().get_str("__tostring"));
            if let Some(h @ Value::Func(_)) = h {
                let r = interp.call_from_native(&h, vec![v.clone()])?;
                return match r.into_iter().next() {
                    Some(Value::Str(s)) => Ok(s),
                    Some(Value::Num(n)) => Ok(format::fmt_number(n).into_bytes().into()),
                    _ => Err(LuaError::msg("'__tostring' must return a string")),
                };
            }
            format!("table: {:p}", Rc::as_ptr(t)).into_bytes().into()
        }
        Value::Func(f) => match f.as_ref() {
            Function::Native { .. } => format!("function: {:p}", Rc::as_ptr(f)),
            Function::Lua { .. } => format!("function: {:p}", Rc::as_ptr(f)),
        }
        .into_bytes()
        .into(),
        // glibc's `%p` of a NULL pointer.
        Value::Null => "userdata: (nil)".as_bytes().into(),
    })
}

fn base_assert(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    if arg(&args, 0).truthy() {
        return Ok(args);
    }
    match args.get(1) {
        None | Some(Value::Nil) => Err(LuaError::msg("assertion failed!")),
        Some(_) => Err(LuaError::msg(String::from_utf8_lossy(&check_str(
            &args, 1, "assert",
        )?))),
    }
}

fn base_error(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let v = arg(&args, 0);
    let level = opt_int(&args, 1, "error", 1)?;
    let text = match &v {
        Value::Str(_) | Value::Num(_) => v.to_str(),
        _ => None,
    };
    match (text, level) {
        (Some(s), 1) => Err(LuaError::msg(String::from_utf8_lossy(&s))),
        (Some(s), l) if l >= 2 => {
            // The position of the function `l - 1` calls up.
            let lines = &interp.call_lines;
            let at = lines.len().checked_sub(l as usize);
            let msg = String::from_utf8_lossy(&s).into_owned();
            let msg = match at.and_then(|i| lines.get(i)) {
                Some(line) if at != Some(0) => format!("{}:{line}: {msg}", interp.chunk),
                _ => msg,
            };
            Err(LuaError::value(Value::Str(msg.into_bytes().into())))
        }
        _ => Err(LuaError::value(v)),
    }
}

fn base_getmetatable(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let meta = match arg(&args, 0) {
        Value::Table(t) => t.borrow().meta.clone(),
        Value::Str(_) => {
            let mut m = Table::default();
            set(&mut m, "__index", Value::Table(interp.string_lib.clone()));
            Some(Rc::new(RefCell::new(m)))
        }
        _ => None,
    };
    match meta {
        None => one(Value::Nil),
        Some(m) => {
            let protected = m.borrow().get_str("__metatable");
            if matches!(protected, Value::Nil) {
                one(Value::Table(m))
            } else {
                one(protected)
            }
        }
    }
}

fn base_setmetatable(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "setmetatable")?;
    let meta = match args.get(1) {
        Some(Value::Nil) => None,
        Some(Value::Table(m)) => Some(m.clone()),
        _ => return Err(bad_arg(1, "setmetatable", "nil or table expected")),
    };
    let protected = t
        .borrow()
        .meta
        .as_ref()
        .is_some_and(|m| !matches!(m.borrow().get_str("__metatable"), Value::Nil));
    if protected {
        return Err(LuaError::msg("cannot change a protected metatable"));
    }
    if t.borrow().readonly {
        return Err(LuaError::msg("Attempt to modify a readonly table"));
    }
    t.borrow_mut().meta = meta;
    one(Value::Table(t))
}

fn ipairs_iter(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "ipairs")?;
    let i = check_int(&args, 1, "ipairs")? + 1;
    let v = t.borrow().get_int(i.max(0) as usize);
    if matches!(v, Value::Nil) {
        return one(Value::Nil);
    }
    Ok(vec![Value::Num(i as f64), v])
}

fn base_ipairs(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "ipairs")?;
    Ok(vec![
        native("ipairs_iter", ipairs_iter),
        Value::Table(t),
        Value::Num(0.0),
    ])
}

fn base_next(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "next")?;
    let r = t.borrow().next(&arg(&args, 1));
    match r {
        Ok(Some((k, v))) => Ok(vec![k, v]),
        Ok(None) => one(Value::Nil),
        Err(_) => Err(LuaError::msg("invalid key to 'next'")),
    }
}

fn base_pairs(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "pairs")?;
    let next = interp.globals.borrow().get_str("next");
    let next = if matches!(next, Value::Func(_)) {
        next
    } else {
        native("next", base_next)
    };
    Ok(vec![next, Value::Table(t), Value::Nil])
}

fn base_pcall(interp: &mut Interp<'_>, _: &[Cell], mut args: Vec<Value>) -> Rets {
    let f = check_any(&args, 0, "pcall")?;
    args.remove(0);
    match interp.call_from_native(&f, args) {
        Ok(mut r) => {
            r.insert(0, Value::Bool(true));
            Ok(r)
        }
        Err(e) if matches!(e.kind, ErrorKind::Killed(_)) => Err(e),
        Err(e) => {
            // Redis's pcall: an error table's `err` text stands for the table.
            let v = e.into_value();
            let err = match &v {
                Value::Table(t) => match t.borrow().get_str("err") {
                    s @ Value::Str(_) => Some(s),
                    _ => None,
                },
                _ => None,
            };
            Ok(vec![Value::Bool(false), err.unwrap_or(v)])
        }
    }
}

fn base_xpcall(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let f = check_any(&args, 0, "xpcall")?;
    let handler = arg(&args, 1);
    match interp.call_from_native(&f, Vec::new()) {
        Ok(mut r) => {
            r.insert(0, Value::Bool(true));
            Ok(r)
        }
        Err(e) if matches!(e.kind, ErrorKind::Killed(_)) => Err(e),
        Err(e) => {
            let mut r = interp.call_from_native(&handler, vec![e.into_value()])?;
            r.truncate(1);
            r.insert(0, Value::Bool(false));
            Ok(r)
        }
    }
}

fn base_rawequal(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let a = check_any(&args, 0, "rawequal")?;
    let b = check_any(&args, 1, "rawequal")?;
    one(Value::Bool(a.raw_eq(&b)))
}

fn base_rawget(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "rawget")?;
    let k = check_any(&args, 1, "rawget")?;
    let v = t.borrow().get(&k);
    one(v)
}

fn base_rawset(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "rawset")?;
    let k = check_any(&args, 1, "rawset")?;
    let v = check_any(&args, 2, "rawset")?;
    if t.borrow().readonly {
        return Err(LuaError::msg("Attempt to modify a readonly table"));
    }
    interp.charge(32)?;
    t.borrow_mut().set(k, v).map_err(LuaError::msg)?;
    one(Value::Table(t))
}

fn base_select(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let n = args.len() as i64;
    if let Some(Value::Str(s)) = args.first() {
        if s.first() == Some(&b'#') {
            return num((n - 1) as f64);
        }
    }
    let mut i = check_int(&args, 0, "select")?;
    if i < 0 {
        i += n;
    } else if i > n {
        i = n;
    }
    if i < 1 {
        return Err(bad_arg(0, "select", "index out of range"));
    }
    Ok(args.into_iter().skip(i as usize).collect())
}

fn base_tonumber(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let base = opt_int(&args, 1, "tonumber", 10)?;
    if base == 10 {
        check_any(&args, 0, "tonumber")?;
        return one(arg(&args, 0).to_number().map_or(Value::Nil, Value::Num));
    }
    let s = check_str(&args, 0, "tonumber")?;
    if !(2..=36).contains(&base) {
        return Err(bad_arg(1, "tonumber", "base out of range"));
    }
    // strtoul: optional spaces and sign, then digits of the base; only
    // trailing spaces may follow.
    let text = String::from_utf8_lossy(&s);
    let t = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty() {
        return one(Value::Nil);
    }
    let mut v: u64 = 0;
    for c in digits.chars() {
        match c.to_digit(base as u32) {
            Some(d) => v = v.wrapping_mul(base as u64).wrapping_add(u64::from(d)),
            None => return one(Value::Nil),
        }
    }
    let v = if neg { v.wrapping_neg() } else { v };
    num(v as f64)
}

fn base_tostring(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let v = check_any(&args, 0, "tostring")?;
    one(Value::Str(tostring(interp, &v)?))
}

fn base_type(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let v = check_any(&args, 0, "type")?;
    one(Value::str(v.type_name().as_bytes()))
}

fn base_unpack(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "unpack")?;
    let i = opt_int(&args, 1, "unpack", 1)?;
    let len = t.borrow().border() as i64;
    let j = opt_int(&args, 2, "unpack", len)?;
    if i > j {
        return Ok(Vec::new());
    }
    let n = j.saturating_sub(i).saturating_add(1);
    if n >= 8000 {
        return Err(LuaError::msg("too many results to unpack"));
    }
    let t = t.borrow();
    Ok((i..=j)
        .map(|k| {
            if k >= 1 {
                t.get_int(k as usize)
            } else {
                t.get(&Value::Num(k as f64))
            }
        })
        .collect())
}

/// `loadstring(s [, chunkname])`: the chunk as a function, or nil and the
/// message. Binary chunks are refused (Redis doesn't load bytecode).
fn base_loadstring(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let s = check_str(&args, 0, "loadstring")?;
    let name = match args.get(1) {
        None | Some(Value::Nil) => s.clone(),
        Some(_) => check_str(&args, 1, "loadstring")?,
    };
    if s.first() == Some(&0x1b) {
        let msg = format!("{}: binary chunks are not loaded", chunk_id(&name));
        return Ok(vec![Value::Nil, Value::Str(msg.into_bytes().into())]);
    }
    match super::parser::parse_chunk(&s) {
        Ok(proto) => one(Value::Func(Rc::new(Function::Lua {
            proto,
            upvals: Vec::new(),
        }))),
        Err(e) => {
            let msg = format!("{}:{}: {}", chunk_id(&name), e.line, e.msg);
            Ok(vec![Value::Nil, Value::Str(msg.into_bytes().into())])
        }
    }
}

/// Lua 5.1's luaO_chunkid for a chunk loaded from a string: its first line
/// in `[string "..."]`, cut to fit 60 bytes.
fn chunk_id(source: &[u8]) -> String {
    const ROOM: usize = 60 - 16;
    let line_end = source
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(source.len());
    let len = line_end.min(ROOM);
    let text = String::from_utf8_lossy(&source[..len]);
    if len < source.len() {
        format!("[string \"{text}...\"]")
    } else {
        format!("[string \"{text}\"]")
    }
}

/// `string.dump`: the interpreter has no bytecode, so this is a token
/// `loadstring` recognises as a binary chunk (and refuses, as Redis does).
fn str_dump(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    match args.first() {
        Some(Value::Func(_)) => one(Value::str(b"\x1bLua")),
        _ => Err(expected(&args, 0, "dump", "function")),
    }
}

/// A metatable whose `__index` raises Redis's error for a global that
/// doesn't exist (Redis puts one on the globals and on FUNCTION LOAD's
/// `redis` table).
pub fn nonexistent_global_metatable() -> TableRef {
    let mut meta = Table::default();
    set(
        &mut meta,
        "__index",
        native("__index", |_, _, args| {
            let name = match args.get(1) {
                Some(Value::Str(s)) => String::from_utf8_lossy(s).into_owned(),
                _ => "?".into(),
            };
            Err(LuaError::msg(format!(
                "Script attempted to access nonexistent global variable '{name}'"
            )))
        }),
    );
    Rc::new(RefCell::new(meta))
}

fn base_gc(_: &mut Interp<'_>, _: &[Cell], _: Vec<Value>) -> Rets {
    num(0.0)
}

// ---- string ------------------------------------------------------------------------

/// Lua's posrelat: a negative position counts from the end.
fn posrelat(pos: i64, len: usize) -> i64 {
    if pos < 0 {
        (len as i64) + pos + 1
    } else {
        pos
    }
}

fn str_len(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    num(check_str(&args, 0, "len")?.len() as f64)
}

fn str_sub(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let s = check_str(&args, 0, "sub")?;
    let l = s.len();
    let mut i = posrelat(check_int(&args, 1, "sub")?, l);
    let mut j = posrelat(opt_int(&args, 2, "sub", -1)?, l);
    if i < 1 {
        i = 1;
    }
    if j > l as i64 {
        j = l as i64;
    }
    if i > j {
        return one(Value::str(b""));
    }
    let v = s[(i - 1) as usize..j as usize].to_vec();
    one(interp.string(v)?)
}

fn map_bytes(interp: &mut Interp<'_>, args: &[Value], name: &str, f: fn(u8) -> u8) -> Rets {
    let s = check_str(args, 0, name)?;
    let v: Vec<u8> = s.iter().map(|&c| f(c)).collect();
    one(interp.string(v)?)
}

fn str_upper(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    map_bytes(interp, &args, "upper", |c| c.to_ascii_uppercase())
}

fn str_lower(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    map_bytes(interp, &args, "lower", |c| c.to_ascii_lowercase())
}

fn str_reverse(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let s = check_str(&args, 0, "reverse")?;
    let v: Vec<u8> = s.iter().rev().copied().collect();
    one(interp.string(v)?)
}

fn str_rep(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let s = check_str(&args, 0, "rep")?;
    let n = check_int(&args, 1, "rep")?;
    if n <= 0 || s.is_empty() {
        return one(Value::str(b""));
    }
    let total = (s.len() as u128) * (n as u128);
    if total > super::interp::MEMORY_BUDGET as u128 {
        return Err(LuaError {
            kind: ErrorKind::Killed("not enough memory".into()),
            line: None,
        });
    }
    interp.charge(total as usize)?;
    one(Value::Str(s.repeat(n as usize).into()))
}

fn str_byte(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let s = check_str(&args, 0, "byte")?;
    let l = s.len();
    let i = posrelat(opt_int(&args, 1, "byte", 1)?, l);
    let j = posrelat(opt_int(&args, 2, "byte", i)?, l);
    let i = i.max(1);
    let j = j.min(l as i64);
    if i > j {
        return Ok(Vec::new());
    }
    Ok(s[(i - 1) as usize..j as usize]
        .iter()
        .map(|&b| Value::Num(f64::from(b)))
        .collect())
}

fn str_char(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let mut out = Vec::with_capacity(args.len());
    for i in 0..args.len() {
        let c = check_int(&args, i, "char")?;
        if !(0..=255).contains(&c) {
            return Err(bad_arg(i, "char", "invalid value"));
        }
        out.push(c as u8);
    }
    one(interp.string(out)?)
}

fn str_format(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let fmt = check_str(&args, 0, "format")?;
    let pieces = format::parse_format(&fmt).map_err(LuaError::msg)?;
    let mut out = Vec::new();
    let mut n = 0;
    for p in pieces {
        match p {
            Piece::Literal(l) => out.extend_from_slice(l),
            Piece::Spec(spec) => {
                n += 1;
                if n >= args.len() {
                    return Err(bad_arg(n, "format", "no value"));
                }
                match spec.conv {
                    b'd' | b'i' | b'c' | b'o' | b'u' | b'x' | b'X' => {
                        let v = check_num(&args, n, "format")?;
                        out.extend(format::fmt_integer(&spec, v));
                    }
                    b'e' | b'E' | b'f' | b'g' | b'G' => {
                        let v = check_num(&args, n, "format")?;
                        out.extend(
                            format::fmt_float(
                                spec.conv,
                                &spec.flags,
                                spec.width,
                                spec.precision,
                                v,
                            )
                            .into_bytes(),
                        );
                    }
                    b'q' => out.extend(format::fmt_quoted(&check_str(&args, n, "format")?)),
                    _ => out.extend(format::fmt_string(&spec, &check_str(&args, n, "format")?)),
                }
            }
        }
        interp.charge(0)?;
    }
    one(interp.string(out)?)
}

/// The values of a match's captures (the whole match when there are none).
fn captures(interp: &mut Interp<'_>, s: &[u8], m: &Match, whole_if_none: bool) -> Rets {
    let n = if m.captures.is_empty() && whole_if_none {
        1
    } else {
        m.captures.len()
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        out.push(
            match pattern::capture_value(s, m, i).map_err(LuaError::msg)? {
                CaptureValue::Bytes(b) => interp.string(b.to_vec())?,
                CaptureValue::Position(p) => Value::Num(p as f64),
            },
        );
    }
    Ok(out)
}

fn find_aux(interp: &mut Interp<'_>, args: &[Value], find: bool) -> Rets {
    let name = if find { "find" } else { "match" };
    let s = check_str(args, 0, name)?;
    let p = check_str(args, 1, name)?;
    let l = s.len();
    let init = posrelat(opt_int(args, 2, name, 1)?, l) - 1;
    let init = init.clamp(0, l as i64) as usize;
    if find && (arg(args, 3).truthy() || pattern::is_plain(&p)) {
        let found = if p.is_empty() {
            Some(init)
        } else {
            s[init..]
                .windows(p.len())
                .position(|w| w == &p[..])
                .map(|i| i + init)
        };
        return match found {
            Some(i) => Ok(vec![
                Value::Num((i + 1) as f64),
                Value::Num((i + p.len()) as f64),
            ]),
            None => one(Value::Nil),
        };
    }
    match pattern::find(&s, &p, init).map_err(LuaError::msg)? {
        None => one(Value::Nil),
        Some(m) => {
            if find {
                let mut out = vec![Value::Num((m.start + 1) as f64), Value::Num(m.end as f64)];
                out.extend(captures(interp, &s, &m, false)?);
                Ok(out)
            } else {
                captures(interp, &s, &m, true)
            }
        }
    }
}

fn str_find(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    find_aux(interp, &args, true)
}

fn str_match(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    find_aux(interp, &args, false)
}

fn gmatch_iter(interp: &mut Interp<'_>, up: &[Cell], _: Vec<Value>) -> Rets {
    let (Some(s), Some(p), Some(pos)) = (up.first(), up.get(1), up.get(2)) else {
        return one(Value::Nil);
    };
    let (Value::Str(s), Value::Str(p)) = (s.borrow().clone(), p.borrow().clone()) else {
        return one(Value::Nil);
    };
    let start = match *pos.borrow() {
        Value::Num(n) => n as usize,
        _ => 0,
    };
    let mut src = start;
    while src <= s.len() {
        if let Some(m) = pattern::match_at(&s, &p, src).map_err(LuaError::msg)? {
            let next = if m.end == src { m.end + 1 } else { m.end };
            *pos.borrow_mut() = Value::Num(next as f64);
            return captures(interp, &s, &m, true);
        }
        src += 1;
        interp.charge(0)?;
    }
    *pos.borrow_mut() = Value::Num((s.len() + 1) as f64);
    one(Value::Nil)
}

fn str_gmatch(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let s = check_str(&args, 0, "gmatch")?;
    let p = check_str(&args, 1, "gmatch")?;
    let cell = |v: Value| Rc::new(RefCell::new(v));
    one(Value::Func(Rc::new(Function::Native {
        name: "gmatch_iter",
        f: gmatch_iter,
        upvals: vec![
            cell(Value::Str(s)),
            cell(Value::Str(p)),
            cell(Value::Num(0.0)),
        ],
    })))
}

fn str_gsub(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let s = check_str(&args, 0, "gsub")?;
    let p = check_str(&args, 1, "gsub")?;
    let repl = arg(&args, 2);
    if !matches!(
        repl,
        Value::Num(_) | Value::Str(_) | Value::Table(_) | Value::Func(_)
    ) {
        return Err(bad_arg(2, "gsub", "string/function/table expected"));
    }
    let max = opt_int(&args, 3, "gsub", s.len() as i64 + 1)?;
    let (anchor, pat) = pattern::split_anchor(&p);
    let mut out = Vec::with_capacity(s.len());
    let mut src = 0;
    let mut n = 0;
    while n < max {
        let m = pattern::match_at(&s, pat, src).map_err(LuaError::msg)?;
        if let Some(m) = &m {
            n += 1;
            add_value(interp, &s, m, &repl, &mut out)?;
        }
        match m {
            Some(m) if m.end > src => src = m.end,
            _ if src < s.len() => {
                out.push(s[src]);
                src += 1;
            }
            _ => break,
        }
        if anchor {
            break;
        }
        interp.charge(0)?;
    }
    out.extend_from_slice(s.get(src..).unwrap_or(&[]));
    Ok(vec![interp.string(out)?, Value::Num(n as f64)])
}

fn add_value(
    interp: &mut Interp<'_>,
    s: &[u8],
    m: &Match,
    repl: &Value,
    out: &mut Vec<u8>,
) -> LResult<()> {
    let whole = &s[m.start..m.end];
    let v = match repl {
        Value::Str(_) | Value::Num(_) => {
            let r = repl.to_str().unwrap_or_else(|| "".as_bytes().into());
            return pattern::expand_replacement(s, m, &r, out).map_err(LuaError::msg);
        }
        Value::Table(t) => {
            // Only the first capture is looked up (the others may even be unfinished).
            let key = match pattern::capture_value(s, m, 0).map_err(LuaError::msg)? {
                CaptureValue::Bytes(b) => interp.string(b.to_vec())?,
                CaptureValue::Position(p) => Value::Num(p as f64),
            };
            let g = Value::Table(t.clone());
            let line = interp.call_lines.last().copied().unwrap_or(0);
            interp.index(&g, &key, line, Desc::None)?
        }
        f => {
            let caps = captures(interp, s, m, true)?;
            interp
                .call_from_native(f, caps)?
                .into_iter()
                .next()
                .unwrap_or_default()
        }
    };
    match v {
        Value::Nil | Value::Bool(false) => out.extend_from_slice(whole),
        Value::Str(_) | Value::Num(_) => {
            out.extend_from_slice(&v.to_str().unwrap_or_else(|| "".as_bytes().into()))
        }
        other => {
            return Err(LuaError::msg(format!(
                "invalid replacement value (a {})",
                other.type_name()
            )))
        }
    }
    Ok(())
}

// ---- table ---------------------------------------------------------------------------

fn tab_getn(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "getn")?;
    let n = t.borrow().border();
    num(n as f64)
}

fn tab_maxn(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "maxn")?;
    let t = t.borrow();
    let mut max: f64 = 0.0;
    let mut k = Value::Nil;
    while let Ok(Some((key, _))) = t.next(&k) {
        if let Value::Num(n) = key {
            max = max.max(n);
        }
        k = key;
    }
    num(max)
}

fn writable(t: &TableRef) -> LResult<()> {
    if t.borrow().readonly {
        return Err(LuaError::msg("Attempt to modify a readonly table"));
    }
    Ok(())
}

fn tab_insert(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "insert")?;
    writable(&t)?;
    let e = t.borrow().border() + 1;
    interp.charge(32)?;
    match args.len() {
        2 => {
            let v = arg(&args, 1);
            let _ = t.borrow_mut().set(Value::Num(e as f64), v);
        }
        3 => {
            let pos = check_int(&args, 1, "insert")?;
            let v = arg(&args, 2);
            let mut tb = t.borrow_mut();
            let e = (e as i64).max(pos);
            let mut i = e;
            while i > pos {
                let prev = tb.get(&Value::Num((i - 1) as f64));
                let _ = tb.set(Value::Num(i as f64), prev);
                i -= 1;
            }
            tb.set(Value::Num(pos as f64), v).map_err(LuaError::msg)?;
        }
        _ => return Err(LuaError::msg("wrong number of arguments to 'insert'")),
    }
    Ok(Vec::new())
}

fn tab_remove(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "remove")?;
    writable(&t)?;
    let e = t.borrow().border() as i64;
    let pos = opt_int(&args, 1, "remove", e)?;
    if e == 0 {
        return Ok(Vec::new());
    }
    if !(1..=e).contains(&pos) {
        return Ok(Vec::new());
    }
    let mut tb = t.borrow_mut();
    let v = tb.get(&Value::Num(pos as f64));
    for i in pos..e {
        let next = tb.get(&Value::Num((i + 1) as f64));
        let _ = tb.set(Value::Num(i as f64), next);
    }
    let _ = tb.set(Value::Num(e as f64), Value::Nil);
    one(v)
}

fn tab_concat(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "concat")?;
    let sep = match args.get(1) {
        None | Some(Value::Nil) => "".as_bytes().into(),
        Some(_) => check_str(&args, 1, "concat")?,
    };
    let i = opt_int(&args, 2, "concat", 1)?;
    let len = t.borrow().border() as i64;
    let j = opt_int(&args, 3, "concat", len)?;
    let mut out = Vec::new();
    let tb = t.borrow();
    let mut k = i;
    while k <= j {
        let v = tb.get(&Value::Num(k as f64));
        match v.to_str() {
            Some(s) if matches!(v, Value::Str(_) | Value::Num(_)) => out.extend_from_slice(&s),
            _ => {
                return Err(LuaError::msg(format!(
                    "invalid value ({}) at index {k} in table for 'concat'",
                    v.type_name()
                )))
            }
        }
        if k != j {
            out.extend_from_slice(&sep);
        }
        if out.len() > super::interp::MEMORY_BUDGET {
            return Err(LuaError::msg("not enough memory"));
        }
        k += 1;
    }
    drop(tb);
    one(interp.string(out)?)
}

fn tab_sort(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "sort")?;
    writable(&t)?;
    let comp = match args.get(1) {
        None | Some(Value::Nil) => None,
        Some(f @ Value::Func(_)) => Some(f.clone()),
        Some(_) => return Err(expected(&args, 1, "sort", "function")),
    };
    let n = t.borrow().border();
    let mut items: Vec<Value> = (1..=n).map(|i| t.borrow().get_int(i)).collect();
    let line = interp.call_lines.last().copied().unwrap_or(0);
    let mut less = |a: &Value, b: &Value| -> LResult<bool> {
        match &comp {
            Some(f) => Ok(interp
                .call_from_native(f, vec![a.clone(), b.clone()])?
                .first()
                .is_some_and(Value::truthy)),
            None => interp.less(a, b, false, line),
        }
    };
    merge_sort(&mut items, &mut less)?;
    let mut tb = t.borrow_mut();
    for (i, v) in items.into_iter().enumerate() {
        let _ = tb.set(Value::Num((i + 1) as f64), v);
    }
    Ok(Vec::new())
}

/// A stable merge sort whose comparison may fail (and may be inconsistent
/// without harm).
fn merge_sort(
    v: &mut Vec<Value>,
    less: &mut dyn FnMut(&Value, &Value) -> LResult<bool>,
) -> LResult<()> {
    if v.len() <= 1 {
        return Ok(());
    }
    let mut right = v.split_off(v.len() / 2);
    merge_sort(v, less)?;
    merge_sort(&mut right, less)?;
    let left = std::mem::take(v);
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut l = left.into_iter().peekable();
    let mut r = right.into_iter().peekable();
    loop {
        match (l.peek(), r.peek()) {
            (Some(a), Some(b)) => {
                if less(b, a)? {
                    out.extend(r.next());
                } else {
                    out.extend(l.next());
                }
            }
            (Some(_), None) => out.extend(l.next()),
            (None, Some(_)) => out.extend(r.next()),
            (None, None) => break,
        }
    }
    *v = out;
    Ok(())
}

// ---- math ------------------------------------------------------------------------------

fn math_max(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let mut m = check_num(&args, 0, "max")?;
    for i in 1..args.len() {
        let x = check_num(&args, i, "max")?;
        if x > m {
            m = x;
        }
    }
    num(m)
}

fn math_min(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let mut m = check_num(&args, 0, "min")?;
    for i in 1..args.len() {
        let x = check_num(&args, i, "min")?;
        if x < m {
            m = x;
        }
    }
    num(m)
}

fn math_frexp(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let x = check_num(&args, 0, "frexp")?;
    if x == 0.0 || !x.is_finite() {
        return Ok(vec![Value::Num(x), Value::Num(0.0)]);
    }
    let mut e = x.abs().log2().floor() as i32 + 1;
    let mut m = x / 2f64.powi(e);
    // Correct for rounding at the edges.
    if m.abs() >= 1.0 {
        m /= 2.0;
        e += 1;
    } else if m.abs() < 0.5 {
        m *= 2.0;
        e -= 1;
    }
    Ok(vec![Value::Num(m), Value::Num(f64::from(e))])
}

/// Redis's rand48 (the state survives from script to script, as in Redis).
pub fn lrand48(state: &mut u64) -> i32 {
    const A: u64 = 0x5_DEEC_E66D;
    const C: u64 = 0xB;
    *state = (A.wrapping_mul(*state).wrapping_add(C)) & ((1 << 48) - 1);
    (*state >> 17) as i32
}

/// The state `redisSrand48(seed)` sets.
pub fn srand48(seed: i32) -> u64 {
    let s = seed as u32;
    (u64::from(s >> 16 & 0xFFFF) << 32) | (u64::from(s & 0xFFFF) << 16) | 0x330E
}

fn math_random(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    const MAX: f64 = i32::MAX as f64;
    let r = f64::from(lrand48(&mut interp.rand48) % i32::MAX) / MAX;
    match args.len() {
        0 => num(r),
        1 => {
            let u = check_int(&args, 0, "random")? as i32;
            if u < 1 {
                return Err(bad_arg(0, "random", "interval is empty"));
            }
            num((r * f64::from(u)).floor() + 1.0)
        }
        2 => {
            let l = check_int(&args, 0, "random")? as i32;
            let u = check_int(&args, 1, "random")? as i32;
            if l > u {
                return Err(bad_arg(1, "random", "interval is empty"));
            }
            num((r * (f64::from(u) - f64::from(l) + 1.0)).floor() + f64::from(l))
        }
        _ => Err(LuaError::msg("wrong number of arguments")),
    }
}

fn math_randomseed(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    interp.rand48 = srand48(check_int(&args, 0, "randomseed")? as i32);
    Ok(Vec::new())
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
        tb.hash
            .values()
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

/// The key of a string field (for reading `ok` / `err` fields).
pub fn str_key(name: &str) -> Key {
    Key::Str(name.as_bytes().into())
}
