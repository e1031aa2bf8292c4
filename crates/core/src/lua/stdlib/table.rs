//! The `table` library: `insert`, `remove`, `concat`, `sort`, `getn`.

use super::*;

pub(super) fn tab_getn(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let t = check_table(&args, 0, "getn")?;
    let n = t.borrow().border();
    num(n as f64)
}

pub(super) fn tab_maxn(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn tab_insert(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn tab_remove(_: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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

pub(super) fn tab_concat(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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
        if out.len() > crate::lua::interp::MEMORY_BUDGET {
            return Err(LuaError::msg("not enough memory"));
        }
        k += 1;
    }
    drop(tb);
    one(interp.string(out)?)
}

pub(super) fn tab_sort(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
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
