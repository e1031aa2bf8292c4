//! The base functions: `type`, `tostring`, `tonumber`, `pairs`, `pcall`,
//! `error`, `select`, `unpack`, `setmetatable`, `loadstring` and the rest.

use super::*;

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

pub(super) fn base_assert(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn base_error(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn base_getmetatable(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn base_setmetatable(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn base_ipairs(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "ipairs")?;
    Ok(vec![
        native("ipairs_iter", ipairs_iter),
        Value::Table(t),
        Value::Num(0.0),
    ])
}

pub(super) fn base_next(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "next")?;
    let r = t.borrow().next(&arg(&args, 1));
    match r {
        Ok(Some((k, v))) => Ok(vec![k, v]),
        Ok(None) => one(Value::Nil),
        Err(_) => Err(LuaError::msg("invalid key to 'next'")),
    }
}

pub(super) fn base_pairs(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "pairs")?;
    let next = interp.globals.borrow().get_str("next");
    let next = if matches!(next, Value::Func(_)) {
        next
    } else {
        native("next", base_next)
    };
    Ok(vec![next, Value::Table(t), Value::Nil])
}

pub(super) fn base_pcall(interp: &mut Interp<'_>, _: &[Cell], mut args: Vec<Value>) -> Rets {
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

pub(super) fn base_xpcall(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn base_rawequal(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let a = check_any(&args, 0, "rawequal")?;
    let b = check_any(&args, 1, "rawequal")?;
    one(Value::Bool(a.raw_eq(&b)))
}

pub(super) fn base_rawget(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "rawget")?;
    let k = check_any(&args, 1, "rawget")?;
    let v = t.borrow().get(&k);
    one(v)
}

pub(super) fn base_rawset(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn base_select(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn base_tonumber(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn base_tostring(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let v = check_any(&args, 0, "tostring")?;
    one(Value::Str(tostring(interp, &v)?))
}

pub(super) fn base_type(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let v = check_any(&args, 0, "type")?;
    one(Value::str(v.type_name().as_bytes()))
}

pub(super) fn base_unpack(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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
pub(super) fn base_loadstring(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let s = check_str(&args, 0, "loadstring")?;
    let name = match args.get(1) {
        None | Some(Value::Nil) => s.clone(),
        Some(_) => check_str(&args, 1, "loadstring")?,
    };
    if s.first() == Some(&0x1b) {
        let msg = format!("{}: binary chunks are not loaded", chunk_id(&name));
        return Ok(vec![Value::Nil, Value::Str(msg.into_bytes().into())]);
    }
    match crate::lua::parser::parse_chunk(&s) {
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
pub(super) fn str_dump(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn base_gc(_: &mut Interp<'_>, _: &[Cell], _: Vec<Value>) -> Rets {
    num(0.0)
}
