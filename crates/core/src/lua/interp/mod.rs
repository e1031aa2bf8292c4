//! The tree-walking interpreter: frames of local slots (captured locals live
//! in shared cells), calls, metatables (`__index`, `__newindex`, `__call`),
//! and errors that carry a Lua value and the line they happened on.
//!
//! Limits keep any script from taking the host down: calls nest at most
//! [`MAX_DEPTH`] deep ("stack overflow"), strings and tables grow within a
//! memory budget ("not enough memory"), and every [`STEP_CHECK`] steps the
//! host is asked whether the script has run too long.
//!
//! This module holds the interpreter's state and limits; `calls`,
//! `statements`, `expressions` and `operators` each add the part of
//! `impl Interp` their name says.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use super::ast::*;
use super::table::{size_hint, FIELDS_PER_FLUSH};
use super::value::{Cell, Function, LuaStr, Table, TableRef, Value};

mod calls;
mod expressions;
mod operators;
mod statements;

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
    /// The protocol (2 or 3) the script's commands reply in.
    fn protocol(&self) -> u8 {
        2
    }
    /// `redis.setresp(n)`: the commands that follow reply in RESP`n`.
    fn set_protocol(&mut self, _resp: u8) {}
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
        self.charge(16 * t.slot_count() + 64)?;
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
