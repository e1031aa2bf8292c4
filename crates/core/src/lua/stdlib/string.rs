//! The `string` library: `sub`, `rep`, `byte`, `char`, the pattern
//! functions (`find`, `match`, `gmatch`, `gsub`) and `format`.

use super::*;

/// Lua's posrelat: a negative position counts from the end.
fn posrelat(pos: i64, len: usize) -> i64 {
    if pos < 0 {
        (len as i64) + pos + 1
    } else {
        pos
    }
}

pub(super) fn str_len(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    num(check_str(&args, 0, "len")?.len() as f64)
}

pub(super) fn str_sub(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn str_upper(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    map_bytes(interp, &args, "upper", |c| c.to_ascii_uppercase())
}

pub(super) fn str_lower(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    map_bytes(interp, &args, "lower", |c| c.to_ascii_lowercase())
}

pub(super) fn str_reverse(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let s = check_str(&args, 0, "reverse")?;
    let v: Vec<u8> = s.iter().rev().copied().collect();
    one(interp.string(v)?)
}

pub(super) fn str_rep(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let s = check_str(&args, 0, "rep")?;
    let n = check_int(&args, 1, "rep")?;
    if n <= 0 || s.is_empty() {
        return one(Value::str(b""));
    }
    let total = (s.len() as u128) * (n as u128);
    if total > crate::lua::interp::MEMORY_BUDGET as u128 {
        return Err(LuaError {
            kind: ErrorKind::Killed("not enough memory".into()),
            line: None,
        });
    }
    interp.charge(total as usize)?;
    one(Value::Str(s.repeat(n as usize).into()))
}

pub(super) fn str_byte(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn str_char(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn str_format(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn str_find(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    find_aux(interp, &args, true)
}

pub(super) fn str_match(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn str_gmatch(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn str_gsub(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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
