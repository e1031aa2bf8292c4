//! Calling functions: Lua closures run in a fresh frame, native ones get
//! their arguments as a vector; `__call` handlers; and how a native
//! function's argument errors name it the way the script called it.

use super::*;

impl Interp<'_> {
    /// Calls a function value with `args` from Lua code at `line`.
    pub fn call(
        &mut self,
        f: &Value,
        args: Vec<Value>,
        line: u32,
        desc: Desc<'_>,
    ) -> LResult<Vec<Value>> {
        self.call_at(f, args, Some(line), desc)
    }

    /// Calls a function; `at` is None when the caller is native code (its
    /// errors then carry no position, as `luaL_where` finds no Lua code).
    fn call_at(
        &mut self,
        f: &Value,
        args: Vec<Value>,
        at: Option<u32>,
        desc: Desc<'_>,
    ) -> LResult<Vec<Value>> {
        let line = at.unwrap_or_else(|| self.call_lines.last().copied().unwrap_or(0));
        let func = match f {
            Value::Func(func) => func.clone(),
            Value::Table(t) => {
                let handler = t
                    .borrow()
                    .meta
                    .as_ref()
                    .map(|m| m.borrow().get_str("__call"));
                match handler {
                    Some(h @ Value::Func(_)) => {
                        let mut full = Vec::with_capacity(args.len() + 1);
                        full.push(f.clone());
                        full.extend(args);
                        return self.call_at(&h, full, at, desc);
                    }
                    _ => return Err(self.rt_error(line, type_error("call", &desc.text(), f))),
                }
            }
            _ => return Err(self.rt_error(line, type_error("call", &desc.text(), f))),
        };
        self.step()?;
        if self.depth >= MAX_DEPTH || self.stack.exhausted() {
            return Err(self.rt_error(line, "stack overflow".into()));
        }
        self.depth += 1;
        self.line = line;
        self.call_lines.push(line);
        let result = match func.as_ref() {
            Function::Native { f, upvals, .. } => f(self, upvals, args),
            Function::Lua { proto, upvals } => self.run_function(proto, upvals.clone(), args),
        };
        self.call_lines.pop();
        self.depth -= 1;
        let native = matches!(func.as_ref(), Function::Native { .. });
        result.map_err(|mut e| {
            if let (true, ErrorKind::Msg(m)) = (native, &e.kind) {
                // luaL_argerror names the function as the caller called it.
                let mut m = rename_function(m, desc);
                if matches!(desc, Desc::Method(_)) {
                    m = renumber_for_method(&m);
                }
                e.kind = ErrorKind::Msg(m);
            }
            if e.line.is_none() {
                e.line = Some(line);
                if let ErrorKind::Msg(m) = &e.kind {
                    let m = positioned(self.chunk, at, m);
                    e.kind = ErrorKind::Value(Value::Str(m.into_bytes().into()));
                }
            }
            e
        })
    }

    /// Calls a function value from native code (pcall, gsub, sort).
    pub fn call_from_native(&mut self, f: &Value, args: Vec<Value>) -> LResult<Vec<Value>> {
        self.call_at(f, args, None, Desc::None)
    }

    pub fn run_function(
        &mut self,
        proto: &Rc<FuncProto>,
        upvals: Vec<Cell>,
        mut args: Vec<Value>,
    ) -> LResult<Vec<Value>> {
        let mut frame = Frame {
            slots: (0..proto.slots).map(|_| Slot::Val(Value::Nil)).collect(),
            varargs: Vec::new(),
            upvals,
        };
        if proto.vararg && args.len() > proto.params {
            frame.varargs = args.split_off(proto.params);
        }
        let mut args = args.into_iter();
        for d in &proto.param_decls {
            frame.declare(d, args.next().unwrap_or_default());
        }
        match self.block(&mut frame, &proto.body)? {
            Flow::Return(v) => Ok(v),
            Flow::Normal | Flow::Break => Ok(Vec::new()),
        }
    }
}

/// luaL_argerror for a method call (`s:rep(x)`): the object is argument 0,
/// so "bad argument #2" is #1, and #1 is "calling 'rep' on bad self".
fn renumber_for_method(m: &str) -> String {
    let Some(rest) = m.strip_prefix("bad argument #") else {
        return m.to_string();
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let Ok(n) = digits.parse::<u32>() else {
        return m.to_string();
    };
    let tail = &rest[digits.len()..];
    if n > 1 {
        return format!("bad argument #{}{tail}", n - 1);
    }
    // " to 'rep' (msg)" -> "calling 'rep' on bad self (msg)"
    match tail.strip_prefix(" to ") {
        Some(t) => match t.find(" (") {
            Some(i) => format!("calling {} on bad self{}", &t[..i], &t[i..]),
            None => m.to_string(),
        },
        None => m.to_string(),
    }
}

/// The name Lua 5.1's getfuncname finds for a called function: the
/// variable, field or method it was called through, or none (`'?'`) for
/// the result of an expression or a call from native code.
fn called_name(desc: Desc<'_>) -> Option<String> {
    fn of_expr(e: &Expr) -> Option<String> {
        let text = |n: &[u8]| Some(String::from_utf8_lossy(n).into_owned());
        match e {
            Expr::Local(_, n) | Expr::Upval(_, n) | Expr::Global(n, _) => text(n),
            Expr::Index { key, .. } => match key.as_ref() {
                Expr::Str(k) => text(k),
                _ => None,
            },
            Expr::Paren(inner) => of_expr(inner),
            _ => None,
        }
    }
    match desc {
        Desc::None => None,
        Desc::Expr(e) => of_expr(e),
        Desc::Method(n) => Some(String::from_utf8_lossy(n).into_owned()),
    }
}

/// "bad argument #1 to 'rep' (...)" with the function named as it was called.
fn rename_function(m: &str, desc: Desc<'_>) -> String {
    let Some(rest) = m.strip_prefix("bad argument #") else {
        return m.to_string();
    };
    let Some(at) = rest.find(" to '") else {
        return m.to_string();
    };
    let name_start = at + " to '".len();
    let Some(len) = rest.get(name_start..).and_then(|r| r.find('\'')) else {
        return m.to_string();
    };
    let name = called_name(desc).unwrap_or_else(|| "?".into());
    let (head, tail) = (&rest[..name_start], &rest[name_start + len..]);
    format!("bad argument #{head}{name}{tail}")
}
