//! The tree-walking interpreter: frames of local slots (captured locals live
//! in shared cells), calls, metatables (`__index`, `__newindex`, `__call`),
//! and errors that carry a Lua value and the line they happened on.
//!
//! Limits keep any script from taking the host down: calls nest at most
//! [`MAX_DEPTH`] deep ("stack overflow"), strings and tables grow within a
//! memory budget ("not enough memory"), and every [`STEP_CHECK`] steps the
//! host is asked whether the script has run too long.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use super::ast::*;
use super::value::{Cell, Function, LuaStr, Table, TableRef, Value};

/// How deep Lua calls may nest. Lua 5.1 allows more; the interpreter runs
/// on the host's stack, so it stops well before that could overflow.
pub const MAX_DEPTH: usize = 120;

/// How often (in statements and calls) the host's time check runs.
pub const STEP_CHECK: u64 = 1 << 14;

/// The bytes of strings and table slots one script may allocate.
pub const MEMORY_BUDGET: usize = 256 << 20;

/// How much of the host's stack a script may use, measured from where the
/// interpreter (or the parser) started. Frames are several times larger in
/// debug builds; each budget leaves room on the stack it runs on: 1 MB in
/// wasm (Rust's default there), 2 MB for test and server threads.
const STACK_BUDGET: usize = match (cfg!(debug_assertions), cfg!(target_arch = "wasm32")) {
    (false, _) => 384 << 10,
    (true, true) => 640 << 10,
    (true, false) => 1_280 << 10,
};

/// Stops recursion before the host's stack runs out, whatever the build's
/// frame sizes: it compares the address of a local with the one it saw
/// when created.
#[derive(Clone, Copy)]
pub struct StackGuard {
    base: usize,
}

impl StackGuard {
    #[inline(never)]
    pub fn new() -> StackGuard {
        let marker = 0u8;
        StackGuard {
            base: std::hint::black_box(&marker) as *const u8 as usize,
        }
    }

    /// True when the stack has grown past the budget since `new`.
    #[inline(never)]
    pub fn exhausted(&self) -> bool {
        let marker = 0u8;
        let here = std::hint::black_box(&marker) as *const u8 as usize;
        self.base.abs_diff(here) > STACK_BUDGET
    }
}

impl Default for StackGuard {
    fn default() -> Self {
        StackGuard::new()
    }
}

/// What the interpreter needs from its host.
pub trait Host {
    /// Called every [`STEP_CHECK`] steps: true stops the script (it has run
    /// longer than the host allows).
    fn over_time(&mut self) -> bool;
    /// Runs a command for `redis.call` / `redis.pcall`.
    fn command(&mut self, argv: Vec<Vec<u8>>) -> crate::reply::Reply;
}

/// A raised error.
pub struct LuaError {
    pub kind: ErrorKind,
    /// The line of the innermost Lua code running when it was raised.
    pub line: Option<u32>,
}

pub enum ErrorKind {
    /// A message that still needs the position of the calling Lua code
    /// (what `luaL_error` adds): raised by native functions.
    Msg(String),
    /// An error value, final (`error(v)`, runtime errors with their position).
    Value(Value),
    /// The script was stopped: no `pcall` catches it.
    Killed(String),
}

impl LuaError {
    pub fn msg(m: impl Into<String>) -> LuaError {
        LuaError {
            kind: ErrorKind::Msg(m.into()),
            line: None,
        }
    }

    pub fn value(v: Value) -> LuaError {
        LuaError {
            kind: ErrorKind::Value(v),
            line: None,
        }
    }

    /// The error as a Lua value (what `pcall` returns). Messages raised by
    /// native code got their position where Lua code called it.
    pub fn into_value(self) -> Value {
        match self.kind {
            ErrorKind::Value(v) => v,
            ErrorKind::Msg(m) | ErrorKind::Killed(m) => Value::Str(m.into_bytes().into()),
        }
    }
}

/// `user_script:N: msg`: Lua's luaL_where for a chunk named `@user_script`
/// (EVAL) or `@user_function` (FUNCTION LOAD).
pub fn positioned(chunk: &str, line: Option<u32>, msg: &str) -> String {
    match line {
        Some(l) => format!("{chunk}:{l}: {msg}"),
        None => msg.to_string(),
    }
}

type LResult<T> = Result<T, LuaError>;

enum Slot {
    Val(Value),
    Cell(Cell),
}

struct Frame {
    slots: Vec<Slot>,
    varargs: Vec<Value>,
    upvals: Vec<Cell>,
}

impl Frame {
    fn get(&self, i: usize) -> Value {
        match self.slots.get(i) {
            Some(Slot::Val(v)) => v.clone(),
            Some(Slot::Cell(c)) => c.borrow().clone(),
            None => Value::Nil,
        }
    }

    fn set(&mut self, i: usize, v: Value) {
        match self.slots.get_mut(i) {
            Some(Slot::Val(slot)) => *slot = v,
            Some(Slot::Cell(c)) => *c.borrow_mut() = v,
            None => {}
        }
    }

    /// Starts a new local in its slot (a fresh cell when it is captured).
    fn declare(&mut self, d: &LocalDecl, v: Value) {
        let slot = if d.captured.get() {
            Slot::Cell(Rc::new(RefCell::new(v)))
        } else {
            Slot::Val(v)
        };
        if let Some(s) = self.slots.get_mut(d.slot) {
            *s = slot;
        }
    }

    fn cell(&mut self, i: usize) -> Cell {
        match self.slots.get_mut(i) {
            Some(Slot::Cell(c)) => c.clone(),
            Some(s) => {
                let v = match s {
                    Slot::Val(v) => std::mem::take(v),
                    Slot::Cell(_) => Value::Nil,
                };
                let c = Rc::new(RefCell::new(v));
                *s = Slot::Cell(c.clone());
                c
            }
            None => Rc::new(RefCell::new(Value::Nil)),
        }
    }

    fn upval(&self, i: usize) -> Value {
        self.upvals
            .get(i)
            .map_or(Value::Nil, |c| c.borrow().clone())
    }
}

enum Flow {
    Normal,
    Break,
    Return(Vec<Value>),
}

pub struct Interp<'h> {
    pub host: &'h mut dyn Host,
    pub globals: TableRef,
    /// The `string` table, where string values find their methods.
    pub string_lib: TableRef,
    depth: usize,
    steps: u64,
    /// Bytes allocated so far, against [`MEMORY_BUDGET`].
    pub allocated: usize,
    /// Every table made, to break reference cycles when the script ends.
    made: Vec<Weak<RefCell<Table>>>,
    /// Call-site lines of the running Lua calls (for `error(msg, 2)`).
    pub call_lines: Vec<u32>,
    /// Redis's rand48 state (the engine keeps it between scripts).
    pub rand48: u64,
    stack: StackGuard,
    /// The chunk's name in messages: `user_script` or `user_function`.
    pub chunk: &'static str,
    /// A recent line of the running code (calls and loops record theirs),
    /// where a script stopped for its time is said to be.
    line: u32,
    /// While a library loads (FUNCTION LOAD): the functions it registered.
    pub registry: Option<Vec<Registered>>,
    /// The message a script stopped for running too long gets.
    pub timeout_message: &'static str,
}

/// A function a library registered while loading.
pub struct Registered {
    pub name: LuaStr,
    pub callback: Value,
    pub description: Option<LuaStr>,
    pub flags: u32,
}

impl Drop for Interp<'_> {
    fn drop(&mut self) {
        for t in [&self.globals, &self.string_lib] {
            if let Ok(mut t) = t.try_borrow_mut() {
                t.clear();
            }
        }
        for t in self.made.drain(..) {
            if let Some(t) = t.upgrade() {
                if let Ok(mut t) = t.try_borrow_mut() {
                    t.clear();
                }
            }
        }
    }
}

/// What an operand is, for naming it in an error; only turned into text
/// when there is an error.
#[derive(Clone, Copy)]
pub enum Desc<'a> {
    None,
    Expr(&'a Expr),
    Method(&'a [u8]),
}

impl Desc<'_> {
    fn text(self) -> String {
        match self {
            Desc::None => String::new(),
            Desc::Expr(e) => describe(e),
            Desc::Method(n) => format!("method '{}'", String::from_utf8_lossy(n)),
        }
    }
}

/// How an operand is named in an error (`local 'x'`, `field 'y'`).
fn describe(e: &Expr) -> String {
    let quoted = |kind: &str, n: &[u8]| format!("{kind} '{}'", String::from_utf8_lossy(n));
    match e {
        Expr::Local(_, n) => quoted("local", n),
        Expr::Upval(_, n) => quoted("upvalue", n),
        Expr::Global(n, _) => quoted("global", n),
        Expr::Index { key, .. } => match key.as_ref() {
            Expr::Str(k) => quoted("field", k),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

fn type_error(what: &str, desc: &str, v: &Value) -> String {
    if desc.is_empty() {
        format!("attempt to {what} a {} value", v.type_name())
    } else {
        format!("attempt to {what} {desc} (a {} value)", v.type_name())
    }
}

impl<'h> Interp<'h> {
    pub fn new(host: &'h mut dyn Host) -> Interp<'h> {
        let globals = Rc::new(RefCell::new(Table::default()));
        let string_lib = Rc::new(RefCell::new(Table::default()));
        Interp {
            host,
            globals,
            string_lib,
            depth: 0,
            steps: 0,
            allocated: 0,
            made: Vec::new(),
            call_lines: Vec::new(),
            rand48: 0,
            stack: StackGuard::new(),
            chunk: "user_script",
            line: 0,
            registry: None,
            timeout_message: "Script killed by user with SCRIPT KILL...",
        }
    }

    /// A new table, remembered so that its cycles are broken at the end.
    pub fn table(&mut self, t: Table) -> LResult<Value> {
        self.charge(16 * (t.arr.len() + t.hash.len()) + 64)?;
        let rc = Rc::new(RefCell::new(t));
        if self.made.len() == self.made.capacity() && self.made.len() >= 1024 {
            self.made.retain(|w| w.strong_count() > 0);
        }
        self.made.push(Rc::downgrade(&rc));
        Ok(Value::Table(rc))
    }

    /// Counts `bytes` against the memory budget.
    pub fn charge(&mut self, bytes: usize) -> LResult<()> {
        self.allocated = self.allocated.saturating_add(bytes);
        if self.allocated > MEMORY_BUDGET {
            return Err(LuaError {
                kind: ErrorKind::Killed("not enough memory".into()),
                line: None,
            });
        }
        Ok(())
    }

    /// A new string value, counted against the memory budget.
    pub fn string(&mut self, bytes: Vec<u8>) -> LResult<Value> {
        self.charge(bytes.len())?;
        Ok(Value::Str(bytes.into()))
    }

    fn step(&mut self) -> LResult<()> {
        self.steps += 1;
        if self.steps.is_multiple_of(STEP_CHECK) && self.host.over_time() {
            return Err(LuaError {
                kind: ErrorKind::Killed(self.timeout_message.into()),
                line: (self.line > 0).then_some(self.line),
            });
        }
        Ok(())
    }

    fn rt_error(&self, line: u32, msg: String) -> LuaError {
        LuaError {
            kind: ErrorKind::Value(Value::Str(
                positioned(self.chunk, Some(line), &msg).into_bytes().into(),
            )),
            line: Some(line),
        }
    }

    // ---- calls -------------------------------------------------------------------

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

    // ---- statements --------------------------------------------------------------

    fn block(&mut self, f: &mut Frame, b: &Block) -> LResult<Flow> {
        for s in b {
            match self.stat(f, s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    // Each kind of statement has a function of its own, so that the frame
    // of `stat`, which every nested call passes through, stays small.
    fn stat(&mut self, f: &mut Frame, s: &Stat) -> LResult<Flow> {
        self.step()?;
        match s {
            Stat::Expr(e) => {
                self.multi(f, e)?;
                Ok(Flow::Normal)
            }
            Stat::Local { decls, exprs, .. } => self.local(f, decls, exprs),
            Stat::LocalFunction { decl, func } => {
                f.declare(decl, Value::Nil);
                let closure = self.closure(f, func);
                f.set(decl.slot, closure);
                Ok(Flow::Normal)
            }
            Stat::Assign {
                targets,
                exprs,
                line,
            } => {
                self.assign(f, targets, exprs, *line)?;
                Ok(Flow::Normal)
            }
            Stat::Do(b) => self.block(f, b),
            Stat::While { cond, body, line } => {
                self.line = *line;
                self.while_loop(f, cond, body)
            }
            Stat::Repeat { body, cond } => self.repeat_loop(f, body, cond),
            Stat::If { arms, otherwise } => {
                for (cond, body) in arms {
                    if self.eval(f, cond)?.truthy() {
                        return self.block(f, body);
                    }
                }
                match otherwise {
                    Some(b) => self.block(f, b),
                    None => Ok(Flow::Normal),
                }
            }
            Stat::NumFor {
                var,
                start,
                limit,
                step,
                body,
                line,
            } => self.numeric_for(f, var, [start, limit], step.as_ref(), body, *line),
            Stat::GenFor {
                vars,
                exprs,
                body,
                line,
            } => self.generic_for(f, vars, exprs, body, *line),
            // A tail call `return f()` still runs as a nested call here.
            Stat::Return { exprs, .. } => Ok(Flow::Return(self.list(f, exprs)?)),
            Stat::Break => Ok(Flow::Break),
        }
    }

    #[inline(never)]
    fn local(&mut self, f: &mut Frame, decls: &[Rc<LocalDecl>], exprs: &[Expr]) -> LResult<Flow> {
        let mut values = self.list(f, exprs)?.into_iter();
        for d in decls {
            f.declare(d, values.next().unwrap_or_default());
        }
        Ok(Flow::Normal)
    }

    #[inline(never)]
    fn while_loop(&mut self, f: &mut Frame, cond: &Expr, body: &Block) -> LResult<Flow> {
        while self.eval(f, cond)?.truthy() {
            self.step()?;
            match self.block(f, body)? {
                Flow::Normal => {}
                Flow::Break => break,
                r @ Flow::Return(_) => return Ok(r),
            }
        }
        Ok(Flow::Normal)
    }

    #[inline(never)]
    fn repeat_loop(&mut self, f: &mut Frame, body: &Block, cond: &Expr) -> LResult<Flow> {
        loop {
            self.step()?;
            match self.block(f, body)? {
                Flow::Normal => {}
                Flow::Break => break,
                r @ Flow::Return(_) => return Ok(r),
            }
            if self.eval(f, cond)?.truthy() {
                break;
            }
        }
        Ok(Flow::Normal)
    }

    #[inline(never)]
    fn numeric_for(
        &mut self,
        f: &mut Frame,
        var: &LocalDecl,
        [start, limit]: [&Expr; 2],
        step: Option<&Expr>,
        body: &Block,
        line: u32,
    ) -> LResult<Flow> {
        let num = |v: Value, what: &str, me: &Self| {
            v.to_number()
                .ok_or_else(|| me.rt_error(line, format!("'for' {what} must be a number")))
        };
        let v = self.eval(f, start)?;
        let mut i = num(v, "initial value", self)?;
        let v = self.eval(f, limit)?;
        let limit = num(v, "limit", self)?;
        let step = match step {
            Some(e) => {
                let v = self.eval(f, e)?;
                num(v, "step", self)?
            }
            None => 1.0,
        };
        while (step > 0.0 && i <= limit) || (step <= 0.0 && i >= limit) {
            self.step()?;
            self.line = line;
            f.declare(var, Value::Num(i));
            match self.block(f, body)? {
                Flow::Normal => {}
                Flow::Break => break,
                r @ Flow::Return(_) => return Ok(r),
            }
            i += step;
        }
        Ok(Flow::Normal)
    }

    #[inline(never)]
    fn generic_for(
        &mut self,
        f: &mut Frame,
        vars: &[Rc<LocalDecl>],
        exprs: &[Expr],
        body: &Block,
        line: u32,
    ) -> LResult<Flow> {
        let mut init = self.list(f, exprs)?.into_iter();
        let func = init.next().unwrap_or_default();
        let state = init.next().unwrap_or_default();
        let mut control = init.next().unwrap_or_default();
        loop {
            self.step()?;
            self.line = line;
            let mut results = self
                .call(
                    &func,
                    vec![state.clone(), control.clone()],
                    line,
                    Desc::None,
                )?
                .into_iter();
            let first = results.next().unwrap_or_default();
            if matches!(first, Value::Nil) {
                break;
            }
            control = first.clone();
            let mut values = std::iter::once(first).chain(results);
            for d in vars {
                f.declare(d, values.next().unwrap_or_default());
            }
            match self.block(f, body)? {
                Flow::Normal => {}
                Flow::Break => break,
                r @ Flow::Return(_) => return Ok(r),
            }
        }
        Ok(Flow::Normal)
    }

    fn assign(
        &mut self,
        f: &mut Frame,
        targets: &[Expr],
        exprs: &[Expr],
        line: u32,
    ) -> LResult<()> {
        // The tables and keys of indexed targets are evaluated first.
        let mut places = Vec::with_capacity(targets.len());
        for t in targets {
            places.push(match t {
                Expr::Index { obj, key, line } => {
                    let o = self.eval(f, obj)?;
                    let k = self.eval(f, key)?;
                    Some((o, k, *line, Desc::Expr(obj)))
                }
                _ => None,
            });
        }
        let mut values = self.list(f, exprs)?;
        values.resize(targets.len(), Value::Nil);
        // Lua 5.1 assigns from right to left.
        for ((t, place), v) in targets.iter().zip(places).zip(values).rev() {
            match (t, place) {
                (_, Some((o, k, line, desc))) => self.set_index(&o, k, v, line, desc)?,
                (Expr::Local(slot, _), None) => f.set(*slot, v),
                (Expr::Upval(i, _), None) => {
                    if let Some(c) = f.upvals.get(*i) {
                        *c.borrow_mut() = v;
                    }
                }
                (Expr::Global(name, _), None) => self.set_global(name, v, line)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn set_global(&mut self, name: &LuaStr, v: Value, line: u32) -> LResult<()> {
        let g = Value::Table(self.globals.clone());
        self.set_index(&g, Value::Str(name.clone()), v, line, Desc::None)
    }

    // ---- expressions -------------------------------------------------------------

    /// Evaluates a list of expressions; the last one may give several values.
    fn list(&mut self, f: &mut Frame, exprs: &[Expr]) -> LResult<Vec<Value>> {
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
    fn multi(&mut self, f: &mut Frame, e: &Expr) -> LResult<Vec<Value>> {
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

    fn closure(&mut self, f: &mut Frame, proto: &Rc<FuncProto>) -> Value {
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

    fn eval(&mut self, f: &mut Frame, e: &Expr) -> LResult<Value> {
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
        // Keyed fields are stored as they come; the positional items are
        // stored at the end (Lua's SETLIST), so they win over `[1] = ...`.
        let mut t = Table::default();
        let mut list = Vec::with_capacity(items.len());
        let (mut item, mut field) = (0, 0);
        for (n, positional) in order.iter().enumerate() {
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
        t.install_list(list);
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

    #[inline(never)]
    fn binary(
        &mut self,
        op: BinOp,
        a: Value,
        b: Value,
        line: u32,
        le: &Expr,
        re: &Expr,
    ) -> LResult<Value> {
        let arith = |x: f64, y: f64| match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::Div => x / y,
            BinOp::Mod => x - (x / y).floor() * y,
            _ => x.powf(y),
        };
        match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod | BinOp::Pow => {
                if let (Value::Num(x), Value::Num(y)) = (&a, &b) {
                    return Ok(Value::Num(arith(*x, *y)));
                }
                if let Some(r) = self.binary_meta(op, &a, &b, line) {
                    return r;
                }
                match (a.to_number(), b.to_number()) {
                    (Some(x), Some(y)) => Ok(Value::Num(arith(x, y))),
                    (None, _) => {
                        Err(self
                            .rt_error(line, type_error("perform arithmetic on", &describe(le), &a)))
                    }
                    (_, None) => {
                        Err(self
                            .rt_error(line, type_error("perform arithmetic on", &describe(re), &b)))
                    }
                }
            }
            BinOp::Concat => match (a.to_str(), b.to_str()) {
                (Some(x), Some(y)) => {
                    let mut out = Vec::with_capacity(x.len() + y.len());
                    out.extend_from_slice(&x);
                    out.extend_from_slice(&y);
                    self.string(out)
                }
                (x, _) => {
                    if let Some(r) = self.binary_meta(op, &a, &b, line) {
                        return r;
                    }
                    let (desc, v) = if x.is_none() {
                        (describe(le), &a)
                    } else {
                        (describe(re), &b)
                    };
                    Err(self.rt_error(line, type_error("concatenate", &desc, v)))
                }
            },
            BinOp::Eq => self.equal(&a, &b, line).map(Value::Bool),
            BinOp::Ne => self.equal(&a, &b, line).map(|e| Value::Bool(!e)),
            BinOp::Lt => self.less(&a, &b, false, line).map(Value::Bool),
            BinOp::Le => self.less(&a, &b, true, line).map(Value::Bool),
            // `a > b` is `b < a`, also in the error it gives.
            BinOp::Gt => self.less(&b, &a, false, line).map(Value::Bool),
            BinOp::Ge => self.less(&b, &a, true, line).map(Value::Bool),
        }
    }

    /// The handler of a binary event (`__add`, `__concat`, ...) of either
    /// operand, called; None when neither has one.
    fn binary_meta(
        &mut self,
        op: BinOp,
        a: &Value,
        b: &Value,
        line: u32,
    ) -> Option<LResult<Value>> {
        let event = match op {
            BinOp::Add => "__add",
            BinOp::Sub => "__sub",
            BinOp::Mul => "__mul",
            BinOp::Div => "__div",
            BinOp::Mod => "__mod",
            BinOp::Pow => "__pow",
            BinOp::Concat => "__concat",
            _ => return None,
        };
        let h = match metamethod(a, event) {
            Value::Nil => metamethod(b, event),
            h => h,
        };
        if matches!(h, Value::Nil) {
            return None;
        }
        Some(
            self.call(&h, vec![a.clone(), b.clone()], line, Desc::None)
                .map(|r| r.into_iter().next().unwrap_or_default()),
        )
    }

    /// Lua 5.1's get_compTM: the comparison handler both tables share.
    fn comparison_meta(a: &Value, b: &Value, event: &str) -> Value {
        let (Value::Table(ta), Value::Table(tb)) = (a, b) else {
            return Value::Nil;
        };
        let h1 = metamethod(a, event);
        if matches!(h1, Value::Nil) {
            return Value::Nil;
        }
        let same_meta = match (&ta.borrow().meta, &tb.borrow().meta) {
            (Some(m1), Some(m2)) => Rc::ptr_eq(m1, m2),
            _ => false,
        };
        if same_meta || h1.raw_eq(&metamethod(b, event)) {
            h1
        } else {
            Value::Nil
        }
    }

    /// `a == b`: raw equality, or the tables' shared `__eq`.
    fn equal(&mut self, a: &Value, b: &Value, line: u32) -> LResult<bool> {
        if a.raw_eq(b) {
            return Ok(true);
        }
        let h = Self::comparison_meta(a, b, "__eq");
        if matches!(h, Value::Nil) {
            return Ok(false);
        }
        let r = self.call(&h, vec![a.clone(), b.clone()], line, Desc::None)?;
        Ok(r.first().is_some_and(Value::truthy))
    }

    /// `a < b` (or `a <= b`): numbers, strings byte by byte, or a shared
    /// `__lt` / `__le` handler.
    pub fn less(&mut self, a: &Value, b: &Value, or_equal: bool, line: u32) -> LResult<bool> {
        match (a, b) {
            (Value::Num(x), Value::Num(y)) => Ok(if or_equal { x <= y } else { x < y }),
            (Value::Str(x), Value::Str(y)) => Ok(if or_equal { x <= y } else { x < y }),
            _ if a.type_name() == b.type_name()
                && !matches!(
                    Self::comparison_meta(a, b, if or_equal { "__le" } else { "__lt" }),
                    Value::Nil
                ) =>
            {
                let h = Self::comparison_meta(a, b, if or_equal { "__le" } else { "__lt" });
                let r = self.call(&h, vec![a.clone(), b.clone()], line, Desc::None)?;
                Ok(r.first().is_some_and(Value::truthy))
            }
            _ if or_equal
                && a.type_name() == b.type_name()
                && !matches!(Self::comparison_meta(a, b, "__lt"), Value::Nil) =>
            {
                // a <= b as not (b < a).
                let h = Self::comparison_meta(a, b, "__lt");
                let r = self.call(&h, vec![b.clone(), a.clone()], line, Desc::None)?;
                Ok(!r.first().is_some_and(Value::truthy))
            }
            _ => {
                let (ta, tb) = (a.type_name(), b.type_name());
                let msg = if ta == tb {
                    format!("attempt to compare two {ta} values")
                } else {
                    format!("attempt to compare {ta} with {tb}")
                };
                Err(self.rt_error(line, msg))
            }
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

/// A value's metatable field `event` (tables only: strings have none of
/// the operator events).
fn metamethod(v: &Value, event: &str) -> Value {
    match v {
        Value::Table(t) => t
            .borrow()
            .meta
            .as_ref()
            .map_or(Value::Nil, |m| m.borrow().get_str(event)),
        _ => Value::Nil,
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
