//! Lua values: nil, booleans, numbers (f64, as in Lua 5.1), byte strings,
//! tables, functions and the NULL light userdata (`cjson.null`). Tables and closures are shared (`Rc<RefCell<_>>`);
//! the interpreter breaks the cycles a script made when the script ends.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use indexmap::IndexMap;

use super::ast::FuncProto;
use super::interp::{Interp, LuaError};
use crate::db::BuildKeyHasher;

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

/// A table key: any value but nil and NaN. Numbers are kept by their bits
/// (with -0 folded into 0), tables and functions by identity.
#[derive(Clone)]
pub enum Key {
    Bool(bool),
    Num(u64),
    Str(LuaStr),
    Table(TableRef),
    Func(Rc<Function>),
    Null,
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        match (self, other) {
            (Key::Bool(a), Key::Bool(b)) => a == b,
            (Key::Num(a), Key::Num(b)) => a == b,
            (Key::Str(a), Key::Str(b)) => a == b,
            (Key::Table(a), Key::Table(b)) => Rc::ptr_eq(a, b),
            (Key::Func(a), Key::Func(b)) => Rc::ptr_eq(a, b),
            (Key::Null, Key::Null) => true,
            _ => false,
        }
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Key::Bool(b) => b.hash(state),
            Key::Num(n) => n.hash(state),
            Key::Str(s) => s.hash(state),
            Key::Table(t) => (Rc::as_ptr(t) as *const u8 as usize).hash(state),
            Key::Func(f) => (Rc::as_ptr(f) as *const u8 as usize).hash(state),
            Key::Null => 0u8.hash(state),
        }
    }
}

impl Key {
    /// The key for `v`; Err names why it can't be one ("table index is nil").
    pub fn from_value(v: &Value) -> Result<Key, &'static str> {
        Ok(match v {
            Value::Nil => return Err("table index is nil"),
            Value::Bool(b) => Key::Bool(*b),
            Value::Num(n) if n.is_nan() => return Err("table index is NaN"),
            Value::Num(n) => Key::Num(if *n == 0.0 { 0 } else { n.to_bits() }),
            Value::Str(s) => Key::Str(s.clone()),
            Value::Table(t) => Key::Table(t.clone()),
            Value::Func(f) => Key::Func(f.clone()),
            Value::Null => Key::Null,
        })
    }

    pub fn to_value(&self) -> Value {
        match self {
            Key::Bool(b) => Value::Bool(*b),
            Key::Num(n) => Value::Num(f64::from_bits(*n)),
            Key::Str(s) => Value::Str(s.clone()),
            Key::Table(t) => Value::Table(t.clone()),
            Key::Func(f) => Value::Func(f.clone()),
            Key::Null => Value::Null,
        }
    }
}

/// `next` was given a key the table does not hold.
#[derive(Debug)]
pub struct InvalidKey;

/// A Lua table: an array part for the keys 1..n and a hash part, kept in
/// insertion order (so `pairs` is deterministic; real Lua's order is its
/// hash order). A field set to nil stays in the hash part as a tombstone
/// until the next insertion of a new key, so `next` can go on walking.
#[derive(Default)]
pub struct Table {
    pub arr: Vec<Value>,
    pub hash: IndexMap<Key, Value, BuildKeyHasher>,
    pub meta: Option<TableRef>,
    /// Redis's protected tables (`redis`, the globals): writes fail.
    pub readonly: bool,
    tombstones: usize,
}

/// The array index a number stands for, if it is a positive integer.
fn array_index(n: f64) -> Option<usize> {
    if n >= 1.0 && n <= (u32::MAX as f64) && n.fract() == 0.0 {
        Some(n as usize)
    } else {
        None
    }
}

impl Table {
    pub fn from_array(values: Vec<Value>) -> Table {
        let mut t = Table::default();
        t.arr = values;
        t
    }

    pub fn get(&self, key: &Value) -> Value {
        if let Value::Num(n) = key {
            if let Some(i) = array_index(*n) {
                if let Some(v) = self.arr.get(i - 1) {
                    return v.clone();
                }
            }
        }
        match Key::from_value(key) {
            Ok(k) => self.hash.get(&k).cloned().unwrap_or(Value::Nil),
            Err(_) => Value::Nil,
        }
    }

    pub fn get_str(&self, key: &str) -> Value {
        self.hash
            .get(&Key::Str(key.as_bytes().into()))
            .cloned()
            .unwrap_or(Value::Nil)
    }

    pub fn get_int(&self, i: usize) -> Value {
        match i.checked_sub(1).and_then(|j| self.arr.get(j)) {
            Some(v) => v.clone(),
            None => self.get(&Value::Num(i as f64)),
        }
    }

    /// Sets `key` to `value` (nil deletes). Err for a nil or NaN key.
    pub fn set(&mut self, key: Value, value: Value) -> Result<(), &'static str> {
        if let Value::Num(n) = key {
            if let Some(i) = array_index(n) {
                if i <= self.arr.len() {
                    self.arr[i - 1] = value;
                    if i == self.arr.len() {
                        while matches!(self.arr.last(), Some(Value::Nil)) {
                            self.arr.pop();
                        }
                    }
                    return Ok(());
                }
                if i == self.arr.len() + 1 {
                    if matches!(value, Value::Nil) {
                        self.remove_hashed(&Key::Num(n.to_bits()));
                        return Ok(());
                    }
                    self.remove_hashed(&Key::Num(n.to_bits()));
                    self.arr.push(value);
                    self.migrate();
                    return Ok(());
                }
            }
        }
        let k = Key::from_value(&key)?;
        if matches!(value, Value::Nil) {
            self.remove_hashed(&k);
            return Ok(());
        }
        match self.hash.get_mut(&k) {
            Some(slot) => {
                if matches!(slot, Value::Nil) {
                    self.tombstones = self.tombstones.saturating_sub(1);
                }
                *slot = value;
            }
            None => {
                if self.tombstones > 0 && self.tombstones * 2 >= self.hash.len() {
                    self.hash.retain(|_, v| !matches!(v, Value::Nil));
                    self.tombstones = 0;
                }
                self.hash.insert(k, value);
            }
        }
        Ok(())
    }

    fn remove_hashed(&mut self, k: &Key) {
        if let Some(slot) = self.hash.get_mut(k) {
            if !matches!(slot, Value::Nil) {
                *slot = Value::Nil;
                self.tombstones += 1;
            }
        }
    }

    /// Moves keys n+1, n+2, ... from the hash part into the array part.
    fn migrate(&mut self) {
        if self.hash.is_empty() {
            return;
        }
        loop {
            let next = Key::Num(((self.arr.len() + 1) as f64).to_bits());
            match self.hash.get_mut(&next) {
                Some(v) if !matches!(v, Value::Nil) => {
                    let v = std::mem::take(v);
                    self.tombstones += 1;
                    self.arr.push(v);
                }
                _ => return,
            }
        }
    }

    /// The `#` operator: a border (here the array part's, or past it when the
    /// hash part continues the sequence).
    pub fn border(&self) -> usize {
        let mut n = self.arr.len();
        if n > 0 && matches!(self.arr[n - 1], Value::Nil) {
            // Binary search for a border inside the array part, as Lua does.
            let (mut lo, mut hi) = (0usize, n);
            while hi - lo > 1 {
                let m = (lo + hi) / 2;
                if matches!(self.arr[m - 1], Value::Nil) {
                    hi = m;
                } else {
                    lo = m;
                }
            }
            return lo;
        }
        if self.hash.is_empty() {
            return n;
        }
        while !matches!(self.get(&Value::Num((n + 1) as f64)), Value::Nil) {
            n += 1;
        }
        n
    }

    /// `next(t, key)`: the entry after `key` (nil: the first), or None at the
    /// end. Err when `key` is not in the table.
    pub fn next(&self, key: &Value) -> Result<Option<(Value, Value)>, InvalidKey> {
        let mut start_hash = 0;
        let mut arr_from = 0;
        match key {
            Value::Nil => {}
            Value::Num(n) if array_index(*n).is_some_and(|i| i <= self.arr.len()) => {
                arr_from = array_index(*n).unwrap_or(0);
            }
            k => {
                let k = Key::from_value(k).map_err(|_| InvalidKey)?;
                start_hash = self.hash.get_index_of(&k).ok_or(InvalidKey)? + 1;
                arr_from = self.arr.len();
            }
        }
        if start_hash == 0 {
            for i in arr_from..self.arr.len() {
                if !matches!(self.arr[i], Value::Nil) {
                    return Ok(Some((Value::Num((i + 1) as f64), self.arr[i].clone())));
                }
            }
        }
        for i in start_hash..self.hash.len() {
            if let Some((k, v)) = self.hash.get_index(i) {
                if !matches!(v, Value::Nil) {
                    return Ok(Some((k.to_value(), v.clone())));
                }
            }
        }
        Ok(None)
    }

    /// Stores a constructor's positional items at 1..n (over any keyed
    /// fields with those keys).
    pub fn install_list(&mut self, list: Vec<Value>) {
        if list.is_empty() {
            return;
        }
        if !self.hash.is_empty() {
            for i in 1..=list.len() {
                self.remove_hashed(&Key::Num((i as f64).to_bits()));
            }
        }
        if self.arr.len() <= list.len() {
            self.arr = list;
        } else {
            for (slot, v) in self.arr.iter_mut().zip(list) {
                *slot = v;
            }
        }
        while matches!(self.arr.last(), Some(Value::Nil)) {
            self.arr.pop();
        }
        self.migrate();
    }

    /// Empties the table (breaking any cycle through it).
    pub fn clear(&mut self) {
        let mut pending = Vec::new();
        self.drain_into(&mut pending);
        self.tombstones = 0;
        drop_iteratively(pending);
    }

    /// Moves out the tables and functions this table holds (values, keys,
    /// metatable), leaving it empty.
    fn drain_into(&mut self, pending: &mut Vec<Value>) {
        let nested = |v: &Value| matches!(v, Value::Table(_) | Value::Func(_));
        pending.extend(self.arr.drain(..).filter(nested));
        for (k, v) in self.hash.drain(..) {
            if nested(&v) {
                pending.push(v);
            }
            let k = k.to_value();
            if nested(&k) {
                pending.push(k);
            }
        }
        if let Some(m) = self.meta.take() {
            pending.push(Value::Table(m));
        }
    }
}

// Dropping the head of a long chain (a linked list of tables `{next = ...}`,
// closures calling closures) would drop each link inside the previous one's
// drop and overflow the stack; these drops dismantle chains with a worklist.

impl Drop for Table {
    fn drop(&mut self) {
        let mut pending = Vec::new();
        self.drain_into(&mut pending);
        drop_iteratively(pending);
    }
}

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
fn drop_iteratively(mut pending: Vec<Value>) {
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
