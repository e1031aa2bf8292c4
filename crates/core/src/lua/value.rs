//! Lua values: nil, booleans, numbers (f64, as in Lua 5.1), byte strings,
//! tables, functions and the NULL light userdata (`cjson.null`). Tables and closures are shared (`Rc<RefCell<_>>`);
//! the interpreter breaks the cycles a script made when the script ends.

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::FuncProto;
use super::interp::{Interp, LuaError};
pub use super::table::Table;

pub type LuaStr = Rc<[u8]>;
pub type TableRef = Rc<RefCell<Table>>;
pub type Cell = Rc<RefCell<Value>>;

/// A native function: the interpreter, the function's own upvalues (state
/// such as a `gmatch` iterator's position) and the arguments.
pub type NativeFn = fn(&mut Interp<'_>, &[Cell], Vec<Value>) -> Result<Vec<Value>, LuaError>;

pub enum Function {
    Lua {
        proto: Rc<FuncProto>,
        upvals: Vec<Cell>,
    },
    Native {
        name: &'static str,
        f: NativeFn,
        upvals: Vec<Cell>,
    },
}

#[derive(Clone, Default)]
pub enum Value {
    #[default]
    Nil,
    Bool(bool),
    Num(f64),
    Str(LuaStr),
    Table(TableRef),
    Func(Rc<Function>),
    /// The light userdata NULL: `cjson.null`, JSON's null (`type` is
    /// "userdata"; it is true, and equal only to itself).
    Null,
}

impl Value {
    pub fn str(s: &[u8]) -> Value {
        Value::Str(s.into())
    }

    pub fn truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Bool(_) => "boolean",
            Value::Num(_) => "number",
            Value::Str(_) => "string",
            Value::Table(_) => "table",
            Value::Func(_) => "function",
            Value::Null => "userdata",
        }
    }

    /// The number this value converts to in arithmetic (`"10" + 1`).
    pub fn to_number(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Str(s) => super::lexer::str_to_number(s),
            _ => None,
        }
    }

    /// The string this value converts to in concatenation (numbers only).
    pub fn to_str(&self) -> Option<LuaStr> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Num(n) => Some(super::format::fmt_number(*n).into_bytes().into()),
            _ => None,
        }
    }

    /// Raw equality (`rawequal`, and `==` without metamethods).
    pub fn raw_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Num(a), Value::Num(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Table(a), Value::Table(b)) => Rc::ptr_eq(a, b),
            (Value::Func(a), Value::Func(b)) => Rc::ptr_eq(a, b),
            (Value::Null, Value::Null) => true,
            _ => false,
        }
    }

    pub fn new_table(t: Table) -> Value {
        Value::Table(Rc::new(RefCell::new(t)))
    }
}

/// `next` was given a key the table does not hold.
#[derive(Debug)]
pub struct InvalidKey;

// Dropping the head of a long chain (closures calling closures, tables
// holding tables) would drop each link inside the previous one's drop and
// overflow the stack; these drops dismantle chains with a worklist.

impl Drop for Function {
    fn drop(&mut self) {
        let upvals = match self {
            Function::Lua { upvals, .. } | Function::Native { upvals, .. } => {
                std::mem::take(upvals)
            }
        };
        let pending = upvals
            .into_iter()
            .filter_map(|c| Rc::try_unwrap(c).ok().map(RefCell::into_inner))
            .collect();
        drop_iteratively(pending);
    }
}

/// Drops values, taking apart the tables and functions no one else holds
/// one level at a time.
pub(super) fn drop_iteratively(mut pending: Vec<Value>) {
    while let Some(v) = pending.pop() {
        match v {
            Value::Table(t) => {
                if let Ok(cell) = Rc::try_unwrap(t) {
                    let mut table = cell.into_inner();
                    table.drain_into(&mut pending);
                }
            }
            Value::Func(f) => {
                if let Ok(mut func) = Rc::try_unwrap(f) {
                    let upvals = match &mut func {
                        Function::Lua { upvals, .. } | Function::Native { upvals, .. } => {
                            std::mem::take(upvals)
                        }
                    };
                    pending.extend(
                        upvals
                            .into_iter()
                            .filter_map(|c| Rc::try_unwrap(c).ok().map(RefCell::into_inner)),
                    );
                }
            }
            _ => {}
        }
    }
}
