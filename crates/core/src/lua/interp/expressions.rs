//! Evaluating expressions: values of names, indexing (with `__index` and
//! `__newindex`), closures, table constructors and unary operators.

use super::*;

impl Interp<'_> {
    /// Evaluates a list of expressions; the last one may give several values.
    pub(super) fn list(&mut self, f: &mut Frame, exprs: &[Expr]) -> LResult<Vec<Value>> {
        let mut out = Vec::with_capacity(exprs.len());
        for (i, e) in exprs.iter().enumerate() {
            if i + 1 == exprs.len() && e.is_multi() {
                out.extend(self.multi(f, e)?);
            } else {
                out.push(self.eval(f, e)?);
            }
        }
        Ok(out)
    }

    /// All the values of a call or `...`.
    pub(super) fn multi(&mut self, f: &mut Frame, e: &Expr) -> LResult<Vec<Value>> {
        match e {
            Expr::Call { func, args, line } => {
                let fv = self.eval(f, func)?;
                let args = self.list(f, args)?;
                self.call(&fv, args, *line, Desc::Expr(func))
            }
            Expr::Method {
                obj,
                name,
                args,
                line,
            } => {
                let o = self.eval(f, obj)?;
                let key = Value::Str(name.clone());
                let m = self.index(&o, &key, *line, Desc::Expr(obj))?;
                let mut full = Vec::with_capacity(args.len() + 1);
                full.push(o);
                full.extend(self.list(f, args)?);
                self.call(&m, full, *line, Desc::Method(name))
            }
            Expr::Vararg => Ok(f.varargs.clone()),
            e => Ok(vec![self.eval(f, e)?]),
        }
    }

    pub(super) fn closure(&mut self, f: &mut Frame, proto: &Rc<FuncProto>) -> Value {
        let upvals = proto
            .upvals
            .iter()
            .map(|src| match src {
                UpvalSource::Local(slot) => f.cell(*slot),
                UpvalSource::Upval(i) => f
                    .upvals
                    .get(*i)
                    .cloned()
                    .unwrap_or_else(|| Rc::new(RefCell::new(Value::Nil))),
            })
            .collect();
        Value::Func(Rc::new(Function::Lua {
            proto: proto.clone(),
            upvals,
        }))
    }

    pub(super) fn eval(&mut self, f: &mut Frame, e: &Expr) -> LResult<Value> {
        if self.stack.exhausted() {
            let line = self.call_lines.last().copied().unwrap_or(0);
            return Err(self.rt_error(line, "stack overflow".into()));
        }
        Ok(match e {
            Expr::Nil => Value::Nil,
            Expr::True => Value::Bool(true),
            Expr::False => Value::Bool(false),
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Vararg => f.varargs.first().cloned().unwrap_or_default(),
            Expr::Function(p) => self.closure(f, p),
            Expr::Local(slot, _) => f.get(*slot),
            Expr::Upval(i, _) => f.upval(*i),
            Expr::Global(name, line) => self.global(name, *line)?,
            Expr::Index { obj, key, line } => self.eval_index(f, obj, key, *line)?,
            Expr::Call { .. } | Expr::Method { .. } => {
                self.multi(f, e)?.into_iter().next().unwrap_or_default()
            }
            Expr::Paren(inner) => self.eval(f, inner)?,
            Expr::And(a, b) => {
                let l = self.eval(f, a)?;
                if l.truthy() {
                    self.eval(f, b)?
                } else {
                    l
                }
            }
            Expr::Or(a, b) => {
                let l = self.eval(f, a)?;
                if l.truthy() {
                    l
                } else {
                    self.eval(f, b)?
                }
            }
            Expr::Un { op, expr, line } => self.unary(f, *op, expr, *line)?,
            Expr::Bin { op, lhs, rhs, line } => {
                let a = self.eval(f, lhs)?;
                let b = self.eval(f, rhs)?;
                self.binary(*op, a, b, *line, lhs, rhs)?
            }
            Expr::Table {
                items,
                fields,
                order,
                line,
            } => self.constructor(f, items, fields, order, *line)?,
        })
    }

    #[inline(never)]
    fn global(&mut self, name: &LuaStr, line: u32) -> LResult<Value> {
        let key = Value::Str(name.clone());
        let v = self.globals.borrow().get(&key);
        if !matches!(v, Value::Nil) {
            return Ok(v);
        }
        // A missing global goes through the globals' metatable, where the
        // host decides (Redis's raises "nonexistent global variable").
        let globals = Value::Table(self.globals.clone());
        self.index(&globals, &key, line, Desc::None)
    }

    #[inline(never)]
    fn eval_index(&mut self, f: &mut Frame, obj: &Expr, key: &Expr, line: u32) -> LResult<Value> {
        let o = self.eval(f, obj)?;
        let k = self.eval(f, key)?;
        // The common case first: a plain table that has the key.
        if let Value::Table(t) = &o {
            let v = t.borrow().get(&k);
            if !matches!(v, Value::Nil) {
                return Ok(v);
            }
        }
        self.index(&o, &k, line, Desc::Expr(obj))
    }

    #[inline(never)]
    fn unary(&mut self, f: &mut Frame, op: UnOp, expr: &Expr, line: u32) -> LResult<Value> {
        let v = self.eval(f, expr)?;
        Ok(match op {
            UnOp::Not => Value::Bool(!v.truthy()),
            UnOp::Neg => match v.to_number() {
                Some(n) => Value::Num(-n),
                None if !matches!(metamethod(&v, "__unm"), Value::Nil) => {
                    let h = metamethod(&v, "__unm");
                    let r = self.call(&h, vec![v.clone(), v], line, Desc::None)?;
                    r.into_iter().next().unwrap_or_default()
                }
                None => {
                    let m = type_error("perform arithmetic on", &describe(expr), &v);
                    return Err(self.rt_error(line, m));
                }
            },
            UnOp::Len => match &v {
                Value::Str(s) => Value::Num(s.len() as f64),
                Value::Table(t) => Value::Num(t.borrow().border() as f64),
                _ => {
                    let m = type_error("get length of", &describe(expr), &v);
                    return Err(self.rt_error(line, m));
                }
            },
        })
    }

    #[inline(never)]
    fn constructor(
        &mut self,
        f: &mut Frame,
        items: &[Expr],
        fields: &[(Expr, Expr)],
        order: &[bool],
        line: u32,
    ) -> LResult<Value> {
        // As Lua 5.1 builds it: both parts sized up front (a trailing call
        // or `...` not counted), keyed fields stored as they come, and the
        // positional items in batches of 50 (SETLIST), each batch when the
        // field after it starts, the last at the end; so they win over an
        // earlier `[1] = ...`.
        let multret = order.last() == Some(&true) && items.last().is_some_and(Expr::is_multi);
        let mut t = Table::with_sizes(
            size_hint(items.len() - usize::from(multret)),
            size_hint(fields.len()),
        );
        let mut list = Vec::new();
        let mut stored = 0;
        let (mut item, mut field) = (0, 0);
        for (n, positional) in order.iter().enumerate() {
            if list.len() == FIELDS_PER_FLUSH {
                t.set_list(stored + 1, std::mem::take(&mut list));
                stored += FIELDS_PER_FLUSH;
            }
            if *positional {
                let Some(e) = items.get(item) else { break };
                item += 1;
                if n + 1 == order.len() && e.is_multi() {
                    list.extend(self.multi(f, e)?);
                } else {
                    list.push(self.eval(f, e)?);
                }
            } else {
                let Some((k, v)) = fields.get(field) else {
                    break;
                };
                field += 1;
                let k = self.eval(f, k)?;
                let v = self.eval(f, v)?;
                t.set(k, v).map_err(|m| self.rt_error(line, m.into()))?;
            }
        }
        t.set_list(stored + 1, list);
        self.table(t)
    }

    /// `obj[key]`, through `__index` when the table lacks it.
    pub fn index(&mut self, obj: &Value, key: &Value, line: u32, desc: Desc<'_>) -> LResult<Value> {
        let mut cur = obj.clone();
        for level in 0..100 {
            let handler = match &cur {
                Value::Table(t) => {
                    let t = t.borrow();
                    let v = t.get(key);
                    if !matches!(v, Value::Nil) {
                        return Ok(v);
                    }
                    match &t.meta {
                        None => return Ok(Value::Nil),
                        Some(m) => m.borrow().get_str("__index"),
                    }
                }
                Value::Str(_) => Value::Table(self.string_lib.clone()),
                v => {
                    let d = if level == 0 {
                        desc.text()
                    } else {
                        String::new()
                    };
                    return Err(self.rt_error(line, type_error("index", &d, v)));
                }
            };
            match handler {
                Value::Nil => return Ok(Value::Nil),
                Value::Func(_) => {
                    let r = self.call(&handler, vec![cur, key.clone()], line, Desc::None)?;
                    return Ok(r.into_iter().next().unwrap_or_default());
                }
                h => cur = h,
            }
        }
        Err(self.rt_error(line, "loop in gettable".into()))
    }

    /// `obj[key] = v`, through `__newindex` when the table lacks the key.
    pub fn set_index(
        &mut self,
        obj: &Value,
        key: Value,
        v: Value,
        line: u32,
        desc: Desc<'_>,
    ) -> LResult<()> {
        let mut cur = obj.clone();
        for level in 0..100 {
            let handler = match &cur {
                Value::Table(t) => {
                    let tb = t.borrow_mut();
                    if tb.readonly {
                        return Err(
                            self.rt_error(line, "Attempt to modify a readonly table".into())
                        );
                    }
                    let present = !matches!(tb.get(&key), Value::Nil);
                    let h = if present {
                        Value::Nil
                    } else {
                        tb.meta
                            .as_ref()
                            .map_or(Value::Nil, |m| m.borrow().get_str("__newindex"))
                    };
                    if matches!(h, Value::Nil) {
                        drop(tb);
                        self.charge(32)?;
                        let mut tb = t.borrow_mut();
                        return tb.set(key, v).map_err(|m| self.rt_error(line, m.into()));
                    }
                    h
                }
                other => {
                    let d = if level == 0 {
                        desc.text()
                    } else {
                        String::new()
                    };
                    return Err(self.rt_error(line, type_error("index", &d, other)));
                }
            };
            match handler {
                Value::Func(_) => {
                    self.call(&handler, vec![cur, key, v], line, Desc::None)?;
                    return Ok(());
                }
                h => cur = h,
            }
        }
        Err(self.rt_error(line, "loop in settable".into()))
    }
}
