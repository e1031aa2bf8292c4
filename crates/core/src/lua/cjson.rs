//! The `cjson` library Redis 7.0 gives scripts (lua-cjson 2.1.0 with
//! Redis's patches): `cjson.encode`, `cjson.decode`, `cjson.null` and the
//! configuration functions, with lua-cjson's behaviour and messages.
//!
//! - Encoding: a table whose keys are all positive integers is an array
//!   (holes become `null`, and a too sparse one is an error); any other
//!   table is an object, with number keys written as strings. Numbers use
//!   `%.14g`; strings escape `"`, `\`, `/`, control bytes and DEL, and pass
//!   other bytes through untouched.
//! - Decoding: JSON as lua-cjson reads it, which includes what C's `strtod`
//!   accepts where a number starts (hex, `inf`, `nan`, a leading `+`) unless
//!   `decode_invalid_numbers(false)`; `null` is [`Value::Null`]. The input
//!   ends at its first NUL byte, as it does for the C parser.
//! - Both directions walk with an explicit stack rather than recursion, and
//!   stop at the configured depth, or where Lua's C stack (8000 slots) would
//!   have run out under Redis.
//!
//! Each `cjson` table (the global one, and each made by `cjson.new()`) has
//! its own settings, shared by its functions through an upvalue. Redis
//! keeps the global table's settings from one script to the next; here each
//! script starts from the defaults.

use std::cell::RefCell;
use std::rc::Rc;

use super::format;
use super::interp::{Interp, LuaError};
use super::stdlib::{bad_arg, check_num, check_str, set_field};
use super::value::{Cell, Function, LuaStr, NativeFn, Table, TableRef, Value};

type LResult<T> = Result<T, LuaError>;
type Rets = LResult<Vec<Value>>;

/// Lua 5.1's `LUAI_MAXCSTACK`: the stack slots a C function may use, which
/// bounds how deep lua-cjson can nest when the depth limits are raised.
const MAX_C_STACK: i64 = 8000;

/// Output is counted against the memory budget in steps of this many bytes.
const CHARGE_STEP: usize = 1 << 16;

// ---- configuration -----------------------------------------------------------------

/// One `cjson` table's settings (lua-cjson's `json_config_t`).
#[derive(Clone, Copy)]
struct Config {
    sparse_convert: i32,
    sparse_ratio: i32,
    sparse_safe: i32,
    encode_max_depth: i32,
    decode_max_depth: i32,
    /// 0: refuse NaN and infinities, 1: write them (`nan`, `inf`), 2: write `null`.
    encode_invalid_numbers: i32,
    decode_invalid_numbers: i32,
    keep_buffer: i32,
    precision: i32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            sparse_convert: 0,
            sparse_ratio: 2,
            sparse_safe: 10,
            encode_max_depth: 1000,
            decode_max_depth: 1000,
            encode_invalid_numbers: 0,
            decode_invalid_numbers: 1,
            keep_buffer: 1,
            precision: 14,
        }
    }
}

impl Config {
    fn to_values(self) -> Vec<Value> {
        [
            self.sparse_convert,
            self.sparse_ratio,
            self.sparse_safe,
            self.encode_max_depth,
            self.decode_max_depth,
            self.encode_invalid_numbers,
            self.decode_invalid_numbers,
            self.keep_buffer,
            self.precision,
        ]
        .iter()
        .map(|&n| Value::Num(f64::from(n)))
        .collect()
    }

    /// The settings kept in a function's first upvalue (a table of numbers
    /// that scripts can't reach); the defaults if it is missing.
    fn load(up: &[Cell]) -> Config {
        let mut c = Config::default();
        let Some(cell) = up.first() else {
            return c;
        };
        let Value::Table(t) = &*cell.borrow() else {
            return c;
        };
        let t = t.borrow();
        let fields = [
            &mut c.sparse_convert,
            &mut c.sparse_ratio,
            &mut c.sparse_safe,
            &mut c.encode_max_depth,
            &mut c.decode_max_depth,
            &mut c.encode_invalid_numbers,
            &mut c.decode_invalid_numbers,
            &mut c.keep_buffer,
            &mut c.precision,
        ];
        for (slot, v) in fields.into_iter().zip(t.arr.iter()) {
            if let Value::Num(n) = v {
                *slot = *n as i32;
            }
        }
        // Keep the values in the ranges the setters allow.
        c.precision = c.precision.clamp(1, 14);
        c.encode_invalid_numbers = c.encode_invalid_numbers.clamp(0, 2);
        c
    }

    fn save(self, up: &[Cell]) {
        if let Some(cell) = up.first() {
            *cell.borrow_mut() = Value::new_table(Table::from_array(self.to_values()));
        }
    }
}

/// A new `cjson` table with default settings.
fn module() -> Table {
    let cfg: Cell = Rc::new(RefCell::new(Value::new_table(Table::from_array(
        Config::default().to_values(),
    ))));
    let fns: [(&'static str, NativeFn); 10] = [
        ("encode", json_encode),
        ("decode", json_decode),
        ("encode_sparse_array", cfg_encode_sparse_array),
        ("encode_max_depth", cfg_encode_max_depth),
        ("decode_max_depth", cfg_decode_max_depth),
        ("encode_number_precision", cfg_encode_number_precision),
        ("encode_keep_buffer", cfg_encode_keep_buffer),
        ("encode_invalid_numbers", cfg_encode_invalid_numbers),
        ("decode_invalid_numbers", cfg_decode_invalid_numbers),
        ("new", cjson_new),
    ];
    let mut t = Table::default();
    for (name, f) in fns {
        let func = Value::Func(Rc::new(Function::Native {
            name,
            f,
            upvals: vec![cfg.clone()],
        }));
        set_field(&mut t, name, func);
    }
    set_field(&mut t, "null", Value::Null);
    set_field(&mut t, "_NAME", Value::str(b"cjson"));
    set_field(&mut t, "_VERSION", Value::str(b"2.1.0"));
    t
}

/// Sets the global `cjson`.
pub fn open(interp: &mut Interp<'_>) {
    let t = Value::new_table(module());
    let g = interp.globals.clone();
    set_field(&mut g.borrow_mut(), "cjson", t);
}

fn cjson_new(interp: &mut Interp<'_>, _: &[Cell], _: Vec<Value>) -> Rets {
    Ok(vec![interp.table(module())?])
}

/// C's `(int)(lua_Integer)n` on x86-64: what `luaL_checkinteger` gives an
/// `int` setting (out-of-range and NaN convert to `INT64_MIN`, whose low
/// half is 0).
fn c_int(n: f64) -> i32 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    let wide = if n > -TWO_63 && n < TWO_63 {
        n as i64
    } else {
        i64::MIN
    };
    wide as i32
}

/// `found too many arguments` when there are more than `n`.
fn arg_count(args: &[Value], n: usize, fname: &str) -> LResult<()> {
    if args.len() > n {
        return Err(bad_arg(n, fname, "found too many arguments"));
    }
    Ok(())
}

fn given(args: &[Value], i: usize) -> bool {
    !matches!(args.get(i), None | Some(Value::Nil))
}

/// An integer setting: sets it from argument `i` when given (the range
/// error always names argument #1, as lua-cjson's does) and returns it.
fn integer_option(
    args: &[Value],
    i: usize,
    fname: &str,
    setting: &mut i32,
    min: i32,
    max: i32,
) -> LResult<Value> {
    if given(args, i) {
        let v = c_int(check_num(args, i, fname)?);
        if v < min || v > max {
            return Err(bad_arg(
                0,
                fname,
                &format!("expected integer between {min} and {max}"),
            ));
        }
        *setting = v;
    }
    Ok(Value::Num(f64::from(*setting)))
}

/// An enumerated setting: a boolean (true is `bool_true`) or one of the
/// option names. Returns it as a boolean when it is off or `bool_true`,
/// else as its name.
fn enum_option(
    args: &[Value],
    i: usize,
    fname: &str,
    setting: &mut i32,
    options: &[&str],
    bool_true: i32,
) -> LResult<Value> {
    if given(args, i) {
        if let Some(Value::Bool(b)) = args.get(i) {
            *setting = i32::from(*b) * bool_true;
        } else {
            let name = check_str(args, i, fname)?;
            match options.iter().position(|o| o.as_bytes() == &name[..]) {
                Some(p) => *setting = p as i32,
                None => {
                    let msg = format!("invalid option '{}'", String::from_utf8_lossy(&name));
                    return Err(bad_arg(i, fname, &msg));
                }
            }
        }
    }
    if *setting == 0 || *setting == bool_true {
        return Ok(Value::Bool(*setting != 0));
    }
    let name = usize::try_from(*setting)
        .ok()
        .and_then(|s| options.get(s))
        .copied()
        .unwrap_or("");
    Ok(Value::str(name.as_bytes()))
}

const ON_OFF: &[&str] = &["off", "on"];

/// Runs a setter on the table's settings, keeping what it changed even when
/// a later argument is refused (as lua-cjson does).
fn configure(up: &[Cell], f: impl FnOnce(&mut Config) -> Rets) -> Rets {
    let mut cfg = Config::load(up);
    let r = f(&mut cfg);
    cfg.save(up);
    r
}

fn cfg_encode_sparse_array(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "encode_sparse_array";
    arg_count(&args, 3, NAME)?;
    configure(up, |c| {
        let convert = enum_option(&args, 0, NAME, &mut c.sparse_convert, ON_OFF, 1)?;
        let ratio = integer_option(&args, 1, NAME, &mut c.sparse_ratio, 0, i32::MAX)?;
        let safe = integer_option(&args, 2, NAME, &mut c.sparse_safe, 0, i32::MAX)?;
        Ok(vec![convert, ratio, safe])
    })
}

fn cfg_encode_max_depth(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "encode_max_depth";
    arg_count(&args, 1, NAME)?;
    configure(up, |c| {
        integer_option(&args, 0, NAME, &mut c.encode_max_depth, 1, i32::MAX).map(|v| vec![v])
    })
}

fn cfg_decode_max_depth(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "decode_max_depth";
    arg_count(&args, 1, NAME)?;
    configure(up, |c| {
        integer_option(&args, 0, NAME, &mut c.decode_max_depth, 1, i32::MAX).map(|v| vec![v])
    })
}

fn cfg_encode_number_precision(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "encode_number_precision";
    arg_count(&args, 1, NAME)?;
    configure(up, |c| {
        integer_option(&args, 0, NAME, &mut c.precision, 1, 14).map(|v| vec![v])
    })
}

fn cfg_encode_keep_buffer(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "encode_keep_buffer";
    arg_count(&args, 1, NAME)?;
    configure(up, |c| {
        enum_option(&args, 0, NAME, &mut c.keep_buffer, ON_OFF, 1).map(|v| vec![v])
    })
}

fn cfg_encode_invalid_numbers(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "encode_invalid_numbers";
    arg_count(&args, 1, NAME)?;
    configure(up, |c| {
        let options = &["off", "on", "null"];
        enum_option(&args, 0, NAME, &mut c.encode_invalid_numbers, options, 1).map(|v| vec![v])
    })
}

fn cfg_decode_invalid_numbers(_: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    const NAME: &str = "decode_invalid_numbers";
    arg_count(&args, 1, NAME)?;
    configure(up, |c| {
        enum_option(&args, 0, NAME, &mut c.decode_invalid_numbers, ON_OFF, 1).map(|v| vec![v])
    })
}

// ---- encoding ----------------------------------------------------------------------

fn json_encode(interp: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    if args.len() != 1 {
        return Err(bad_arg(0, "encode", "expected 1 argument"));
    }
    let mut enc = Encoder {
        cfg: Config::load(up),
        out: Vec::new(),
        charged: 0,
        stack: Vec::new(),
        slots: 1,
    };
    enc.run(interp, &args[0])?;
    let out = std::mem::take(&mut enc.out);
    interp.charge(out.len().saturating_sub(enc.charged))?;
    Ok(vec![Value::Str(out.into())])
}

/// A table being written.
enum Open {
    /// An array: its length and the next index to write.
    Array {
        t: TableRef,
        len: usize,
        next: usize,
    },
    /// An object: the last key written (nil before the first).
    Object { t: TableRef, key: Value },
}

struct Encoder {
    cfg: Config,
    out: Vec<u8>,
    /// How much of `out` has been counted against the memory budget.
    charged: usize,
    stack: Vec<Open>,
    /// The Lua stack slots lua-cjson would be using at this point: the
    /// argument, plus one per open array (the element) and two per open
    /// object (the key and the value).
    slots: i64,
}

fn serialise_error(type_name: &str, reason: &str) -> LuaError {
    LuaError::msg(format!("Cannot serialise {type_name}: {reason}"))
}

impl Encoder {
    fn run(&mut self, interp: &mut Interp<'_>, root: &Value) -> LResult<()> {
        self.value(root)?;
        loop {
            let step = match self.stack.last_mut() {
                None => return Ok(()),
                Some(Open::Array { t, len, next }) => {
                    if *next > *len {
                        None
                    } else {
                        let i = *next;
                        *next += 1;
                        Some((i > 1, t.borrow().get_int(i), None))
                    }
                }
                Some(Open::Object { t, key }) => {
                    let entry = t.borrow().next(key).ok().flatten();
                    match entry {
                        None => None,
                        Some((k, v)) => {
                            let first = matches!(key, Value::Nil);
                            *key = k.clone();
                            Some((!first, v, Some(k)))
                        }
                    }
                }
            };
            match step {
                None => {
                    let closing = match self.stack.pop() {
                        Some(Open::Array { .. }) => {
                            self.slots -= 1;
                            b']'
                        }
                        _ => {
                            self.slots -= 2;
                            b'}'
                        }
                    };
                    self.out.push(closing);
                }
                Some((comma, v, key)) => {
                    if comma {
                        self.out.push(b',');
                    }
                    if let Some(k) = key {
                        self.key(&k)?;
                    }
                    self.value(&v)?;
                }
            }
            if self.out.len() - self.charged >= CHARGE_STEP {
                interp.charge(self.out.len() - self.charged)?;
                self.charged = self.out.len();
            }
        }
    }

    fn key(&mut self, k: &Value) -> LResult<()> {
        match k {
            Value::Num(n) => {
                self.out.push(b'"');
                self.number(*n)?;
                self.out.extend_from_slice(b"\":");
            }
            Value::Str(s) => {
                self.string(s);
                self.out.push(b':');
            }
            other => {
                return Err(serialise_error(
                    other.type_name(),
                    "table key must be a number or string",
                ))
            }
        }
        Ok(())
    }

    /// Writes a scalar, or opens a table (its items follow from `run`).
    fn value(&mut self, v: &Value) -> LResult<()> {
        match v {
            Value::Str(s) => self.string(s),
            Value::Num(n) => self.number(*n)?,
            Value::Bool(true) => self.out.extend_from_slice(b"true"),
            Value::Bool(false) => self.out.extend_from_slice(b"false"),
            Value::Nil | Value::Null => self.out.extend_from_slice(b"null"),
            Value::Table(t) => self.open_table(t)?,
            Value::Func(_) => return Err(serialise_error("function", "type not supported")),
        }
        Ok(())
    }

    fn open_table(&mut self, t: &TableRef) -> LResult<()> {
        let depth = self.stack.len() as i64 + 1;
        if depth > i64::from(self.cfg.encode_max_depth) || self.slots + 3 > MAX_C_STACK {
            return Err(LuaError::msg(format!(
                "Cannot serialise, excessive nesting ({depth})"
            )));
        }
        match self.array_length(t)? {
            Some(len) => {
                self.out.push(b'[');
                self.slots += 1;
                self.stack.push(Open::Array {
                    t: t.clone(),
                    len,
                    next: 1,
                });
            }
            None => {
                self.out.push(b'{');
                self.slots += 2;
                self.stack.push(Open::Object {
                    t: t.clone(),
                    key: Value::Nil,
                });
            }
        }
        Ok(())
    }

    /// The length of a table that is an array (keys 1..n, with holes if not
    /// too sparse), or None for an object. An empty table is an object.
    fn array_length(&self, t: &TableRef) -> LResult<Option<usize>> {
        let t = t.borrow();
        // lua-cjson keeps the largest key in a C int: a key of 2^31 or more
        // converts to INT_MIN (x86-64), which makes the table an object.
        let mut max: i32 = 0;
        let mut items: i32 = 0;
        let mut key = Value::Nil;
        while let Ok(Some((k, _))) = t.next(&key) {
            match k {
                Value::Num(n) if n >= 1.0 && n.floor() == n => {
                    if n > f64::from(max) {
                        max = if n < 2_147_483_648.0 {
                            n as i32
                        } else {
                            i32::MIN
                        };
                    }
                    items = items.wrapping_add(1);
                }
                _ => return Ok(None),
            }
            key = k;
        }
        let cfg = &self.cfg;
        if cfg.sparse_ratio > 0
            && max > items.wrapping_mul(cfg.sparse_ratio)
            && max > cfg.sparse_safe
        {
            if cfg.sparse_convert == 0 {
                return Err(serialise_error("table", "excessively sparse array"));
            }
            return Ok(None);
        }
        Ok(usize::try_from(max).ok().filter(|&n| n > 0))
    }

    fn number(&mut self, n: f64) -> LResult<()> {
        match self.cfg.encode_invalid_numbers {
            0 if !n.is_finite() => {
                return Err(serialise_error("number", "must not be NaN or Inf"));
            }
            1 if n.is_nan() => {
                self.out.extend_from_slice(b"nan");
                return Ok(());
            }
            2 if !n.is_finite() => {
                self.out.extend_from_slice(b"null");
                return Ok(());
            }
            _ => {}
        }
        let precision = usize::try_from(self.cfg.precision).unwrap_or(14);
        let text = format::fmt_float(b'g', b"", None, Some(precision), n);
        self.out.extend_from_slice(text.as_bytes());
        Ok(())
    }

    fn string(&mut self, s: &[u8]) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.reserve(s.len() + 2);
        self.out.push(b'"');
        for &b in s {
            let short = match b {
                b'"' => b'"',
                b'\\' => b'\\',
                b'/' => b'/',
                0x08 => b'b',
                b'\t' => b't',
                b'\n' => b'n',
                0x0c => b'f',
                b'\r' => b'r',
                0..=0x1f | 0x7f => {
                    self.out.extend_from_slice(b"\\u00");
                    self.out.push(HEX[usize::from(b >> 4)]);
                    self.out.push(HEX[usize::from(b & 0xf)]);
                    continue;
                }
                _ => {
                    self.out.push(b);
                    continue;
                }
            };
            self.out.push(b'\\');
            self.out.push(short);
        }
        self.out.push(b'"');
    }
}

// ---- decoding ----------------------------------------------------------------------

fn json_decode(interp: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    if args.len() != 1 {
        return Err(bad_arg(0, "decode", "expected 1 argument"));
    }
    let text = check_str(&args, 0, "decode")?;
    // Only the first character of JSON text is sure to be ASCII, which is
    // enough to tell UTF-16 and UTF-32 apart (RFC 4627).
    if text.len() >= 2 && (text[0] == 0 || text[1] == 0) {
        return Err(LuaError::msg(
            "JSON parser does not support UTF-16 or UTF-32",
        ));
    }
    let cfg = Config::load(up);
    let mut p = Parser {
        end: text.iter().position(|&b| b == 0).unwrap_or(text.len()),
        data: text,
        pos: 0,
        invalid_numbers: cfg.decode_invalid_numbers != 0,
    };
    let v = p.document(interp, &cfg)?;
    Ok(vec![v])
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    ObjBegin,
    ObjEnd,
    ArrBegin,
    ArrEnd,
    Str,
    Num,
    Bool,
    Null,
    Colon,
    Comma,
    End,
    Error,
}

/// A token, where it starts (0-based) and what it holds.
struct Token {
    kind: Kind,
    index: usize,
    text: Vec<u8>,
    num: f64,
    flag: bool,
    /// What went wrong, for `Kind::Error`.
    error: &'static str,
}

impl Token {
    fn new(kind: Kind, index: usize) -> Token {
        Token {
            kind,
            index,
            text: Vec::new(),
            num: 0.0,
            flag: false,
            error: "",
        }
    }

    fn error(index: usize, what: &'static str) -> Token {
        Token {
            error: what,
            ..Token::new(Kind::Error, index)
        }
    }

    /// How lua-cjson names a token it did not expect.
    fn found(&self) -> &'static str {
        match self.kind {
            Kind::ObjBegin => "T_OBJ_BEGIN",
            Kind::ObjEnd => "T_OBJ_END",
            Kind::ArrBegin => "T_ARR_BEGIN",
            Kind::ArrEnd => "T_ARR_END",
            Kind::Str => "T_STRING",
            Kind::Num => "T_NUMBER",
            Kind::Bool => "T_BOOLEAN",
            Kind::Null => "T_NULL",
            Kind::Colon => "T_COLON",
            Kind::Comma => "T_COMMA",
            Kind::End => "T_END",
            Kind::Error => self.error,
        }
    }
}

fn parse_error(expected: &str, t: &Token) -> LuaError {
    LuaError::msg(format!(
        "Expected {expected} but found {} at character {}",
        t.found(),
        t.index + 1
    ))
}

/// An array or object being read.
enum Building {
    Array(Vec<Value>),
    Object { t: Table, key: LuaStr },
}

struct Parser {
    data: LuaStr,
    /// Where the text ends for the parser: its first NUL byte.
    end: usize,
    pos: usize,
    invalid_numbers: bool,
}

impl Parser {
    /// The byte at `i`, or 0 past the end (C's terminating NUL).
    fn at(&self, i: usize) -> u8 {
        if i < self.end {
            self.data.get(i).copied().unwrap_or(0)
        } else {
            0
        }
    }

    /// Whether the text at `i` starts with `word`, ignoring ASCII case.
    fn starts_with_ci(&self, i: usize, word: &[u8]) -> bool {
        word.iter()
            .enumerate()
            .all(|(k, &w)| self.at(i + k).to_ascii_lowercase() == w)
    }

    fn starts_with(&self, i: usize, word: &[u8]) -> bool {
        word.iter().enumerate().all(|(k, &w)| self.at(i + k) == w)
    }

    fn next_token(&mut self) -> Token {
        while matches!(self.at(self.pos), b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
        let start = self.pos;
        let single = match self.at(start) {
            b'{' => Some(Kind::ObjBegin),
            b'}' => Some(Kind::ObjEnd),
            b'[' => Some(Kind::ArrBegin),
            b']' => Some(Kind::ArrEnd),
            b',' => Some(Kind::Comma),
            b':' => Some(Kind::Colon),
            0 => return Token::new(Kind::End, start),
            _ => None,
        };
        if let Some(kind) = single {
            self.pos += 1;
            return Token::new(kind, start);
        }
        match self.at(start) {
            b'"' => self.string_token(),
            b'-' | b'0'..=b'9' => {
                if !self.invalid_numbers && self.is_invalid_number() {
                    return Token::error(start, "invalid number");
                }
                self.number_token()
            }
            b'f' | b'i' | b'I' | b'n' | b'N' | b't' | b'+' => {
                let word = |w: &[u8], kind: Kind, flag: bool| (w.len(), kind, flag);
                let found = if self.starts_with(start, b"true") {
                    Some(word(b"true", Kind::Bool, true))
                } else if self.starts_with(start, b"false") {
                    Some(word(b"false", Kind::Bool, false))
                } else if self.starts_with(start, b"null") {
                    Some(word(b"null", Kind::Null, false))
                } else {
                    None
                };
                match found {
                    Some((len, kind, flag)) => {
                        self.pos += len;
                        Token {
                            flag,
                            ..Token::new(kind, start)
                        }
                    }
                    None if self.invalid_numbers && self.is_invalid_number() => self.number_token(),
                    None => Token::error(start, "invalid token"),
                }
            }
            _ => Token::error(start, "invalid token"),
        }
    }

    /// Whether the number here is one strict JSON forbids but `strtod`
    /// takes: a leading `+`, hex, leading zeros, `inf` or `nan`.
    fn is_invalid_number(&self) -> bool {
        let mut p = self.pos;
        match self.at(p) {
            b'+' => return true,
            b'-' => p += 1,
            _ => {}
        }
        let c = self.at(p);
        if c == b'0' {
            let c2 = self.at(p + 1);
            return c2 | 0x20 == b'x' || c2.is_ascii_digit();
        }
        if c <= b'9' {
            return false;
        }
        self.starts_with_ci(p, b"inf") || self.starts_with_ci(p, b"nan")
    }

    fn number_token(&mut self) -> Token {
        let start = self.pos;
        match self.strtod(start) {
            Some((n, len)) => {
                self.pos = start + len;
                Token {
                    num: n,
                    ..Token::new(Kind::Num, start)
                }
            }
            None => Token::error(start, "invalid number"),
        }
    }

    /// C's `strtod` (glibc, "C" locale) at `i`: the number and how many
    /// bytes it took, or None when no number starts there.
    fn strtod(&self, i: usize) -> Option<(f64, usize)> {
        let mut p = i;
        let negative = match self.at(p) {
            b'-' => {
                p += 1;
                true
            }
            b'+' => {
                p += 1;
                false
            }
            _ => false,
        };
        let signed = |x: f64| if negative { -x } else { x };
        if self.starts_with_ci(p, b"inf") {
            p += 3;
            if self.starts_with_ci(p, b"inity") {
                p += 5;
            }
            return Some((signed(f64::INFINITY), p - i));
        }
        if self.starts_with_ci(p, b"nan") {
            p += 3;
            if self.at(p) == b'(' {
                let mut q = p + 1;
                while self.at(q).is_ascii_alphanumeric() || self.at(q) == b'_' {
                    q += 1;
                }
                if self.at(q) == b')' {
                    p = q + 1;
                }
            }
            return Some((signed(f64::NAN), p - i));
        }
        if self.at(p) == b'0' && self.at(p + 1) | 0x20 == b'x' {
            if let Some((x, len)) = self.hex_float(p + 2) {
                return Some((signed(x), p + 2 + len - i));
            }
        }
        // Decimal: digits with an optional point (at least one digit), then
        // an exponent only if it has digits.
        let mut q = p;
        let mut digits = 0;
        while self.at(q).is_ascii_digit() {
            q += 1;
            digits += 1;
        }
        if self.at(q) == b'.' {
            q += 1;
            while self.at(q).is_ascii_digit() {
                q += 1;
                digits += 1;
            }
        }
        if digits == 0 {
            return None;
        }
        if self.at(q) | 0x20 == b'e' {
            let mut e = q + 1;
            if matches!(self.at(e), b'+' | b'-') {
                e += 1;
            }
            if self.at(e).is_ascii_digit() {
                while self.at(e).is_ascii_digit() {
                    e += 1;
                }
                q = e;
            }
        }
        let text = std::str::from_utf8(self.data.get(p..q)?).ok()?;
        let x: f64 = text.parse().ok()?;
        Some((signed(x), q - i))
    }

    /// The digits of a hex float after `0x` (`1f`, `1.8p3`, `.8`): its value
    /// (correctly rounded) and length, or None without a hex digit.
    fn hex_float(&self, i: usize) -> Option<(f64, usize)> {
        let mut p = i;
        let mut mant: u64 = 0;
        let mut exp: i64 = 0;
        let mut sticky = false;
        let mut digits = 0;
        let mut after_point = false;
        loop {
            let c = self.at(p);
            if c == b'.' && !after_point {
                after_point = true;
                p += 1;
                continue;
            }
            let Some(d) = (c as char).to_digit(16) else {
                break;
            };
            digits += 1;
            if mant < 1 << 60 {
                mant = mant * 16 + u64::from(d);
                if after_point {
                    exp -= 4;
                }
            } else {
                sticky |= d != 0;
                if !after_point {
                    exp += 4;
                }
            }
            p += 1;
        }
        if digits == 0 {
            return None;
        }
        if self.at(p) | 0x20 == b'p' {
            let mut e = p + 1;
            let neg = match self.at(e) {
                b'-' => {
                    e += 1;
                    true
                }
                b'+' => {
                    e += 1;
                    false
                }
                _ => false,
            };
            if self.at(e).is_ascii_digit() {
                let mut v: i64 = 0;
                while self.at(e).is_ascii_digit() {
                    v = (v * 10 + i64::from(self.at(e) - b'0')).min(1 << 20);
                    e += 1;
                }
                exp += if neg { -v } else { v };
                p = e;
            }
        }
        Some((compose(mant, exp, sticky), p - i))
    }

    fn string_token(&mut self) -> Token {
        let start = self.pos;
        self.pos += 1;
        let mut text = Vec::new();
        loop {
            let c = self.at(self.pos);
            match c {
                b'"' => break,
                0 => return Token::error(self.pos, "unexpected end of string"),
                b'\\' => {
                    let plain = match self.at(self.pos + 1) {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 0x08,
                        b't' => b'\t',
                        b'n' => b'\n',
                        b'f' => 0x0c,
                        b'r' => b'\r',
                        b'u' => {
                            if self.unicode_escape(&mut text) {
                                continue;
                            }
                            return Token::error(self.pos, "invalid unicode escape code");
                        }
                        _ => return Token::error(self.pos, "invalid escape code"),
                    };
                    text.push(plain);
                    self.pos += 2;
                }
                _ => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        self.pos += 1;
        Token {
            text,
            ..Token::new(Kind::Str, start)
        }
    }

    fn hex4(&self, i: usize) -> Option<u32> {
        let mut v = 0;
        for k in 0..4 {
            v = v * 16 + (self.at(i + k) as char).to_digit(16)?;
        }
        Some(v)
    }

    /// `\uXXXX` (a surrogate pair takes two) at `pos`, as UTF-8; false if
    /// it is not a valid escape.
    fn unicode_escape(&mut self, out: &mut Vec<u8>) -> bool {
        let Some(mut cp) = self.hex4(self.pos + 2) else {
            return false;
        };
        let mut len = 6;
        if cp & 0xF800 == 0xD800 {
            // A surrogate: it must be a high one followed by a low one.
            if cp & 0x400 != 0 || self.at(self.pos + 6) != b'\\' || self.at(self.pos + 7) != b'u' {
                return false;
            }
            let Some(low) = self.hex4(self.pos + 8) else {
                return false;
            };
            if low & 0xFC00 != 0xDC00 {
                return false;
            }
            cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
            len = 12;
        }
        push_utf8(out, cp);
        self.pos += len;
        true
    }

    /// The whole text: one value and nothing after it.
    fn document(&mut self, interp: &mut Interp<'_>, cfg: &Config) -> LResult<Value> {
        let mut stack: Vec<Building> = Vec::new();
        // lua-cjson's Lua stack use: the argument, one slot per open array
        // (the table) and two per open object (the table and the key).
        let mut slots: i64 = 1;
        let mut tok = self.next_token();
        let result = 'value: loop {
            let mut value = match tok.kind {
                Kind::Str => interp.string(std::mem::take(&mut tok.text))?,
                Kind::Num => Value::Num(tok.num),
                Kind::Bool => Value::Bool(tok.flag),
                Kind::Null => Value::Null,
                Kind::ArrBegin | Kind::ObjBegin => {
                    let array = tok.kind == Kind::ArrBegin;
                    let depth = stack.len() as i64 + 1;
                    let need = if array { 2 } else { 3 };
                    if depth > i64::from(cfg.decode_max_depth) || slots + need > MAX_C_STACK {
                        return Err(LuaError::msg(format!(
                            "Found too many nested data structures ({depth}) at character {}",
                            self.pos
                        )));
                    }
                    tok = self.next_token();
                    let empty = if array {
                        tok.kind == Kind::ArrEnd
                    } else {
                        tok.kind == Kind::ObjEnd
                    };
                    if empty {
                        interp.table(Table::default())?
                    } else if array {
                        slots += 1;
                        stack.push(Building::Array(Vec::new()));
                        continue 'value;
                    } else {
                        let key = self.member_key(interp, &mut tok)?;
                        slots += 2;
                        stack.push(Building::Object {
                            t: Table::default(),
                            key,
                        });
                        tok = self.next_token();
                        continue 'value;
                    }
                }
                _ => return Err(parse_error("value", &tok)),
            };
            // Store the value in the table being built, closing the tables
            // it completes.
            loop {
                let closed = match stack.last_mut() {
                    None => break 'value value,
                    Some(Building::Array(items)) => {
                        // The table charges for its slots too; together
                        // about what a `Value` takes.
                        interp.charge(8)?;
                        items.push(value);
                        tok = self.next_token();
                        match tok.kind {
                            Kind::ArrEnd => true,
                            Kind::Comma => false,
                            _ => return Err(parse_error("comma or array end", &tok)),
                        }
                    }
                    Some(Building::Object { t, key }) => {
                        interp.charge(24)?;
                        let _ = t.set(Value::Str(key.clone()), value);
                        tok = self.next_token();
                        match tok.kind {
                            Kind::ObjEnd => true,
                            Kind::Comma => {
                                tok = self.next_token();
                                *key = self.member_key(interp, &mut tok)?;
                                false
                            }
                            _ => return Err(parse_error("comma or object end", &tok)),
                        }
                    }
                };
                if !closed {
                    tok = self.next_token();
                    continue 'value;
                }
                value = match stack.pop() {
                    Some(Building::Array(items)) => {
                        slots -= 1;
                        interp.table(Table::from_array(items))?
                    }
                    Some(Building::Object { t, .. }) => {
                        slots -= 2;
                        interp.table(t)?
                    }
                    None => break 'value Value::Nil,
                };
            }
        };
        let tok = self.next_token();
        if tok.kind != Kind::End {
            return Err(parse_error("the end", &tok));
        }
        Ok(result)
    }

    /// An object's key (the token just read) and its colon.
    fn member_key(&mut self, interp: &mut Interp<'_>, tok: &mut Token) -> LResult<LuaStr> {
        if tok.kind != Kind::Str {
            return Err(parse_error("object key string", tok));
        }
        interp.charge(tok.text.len())?;
        let key: LuaStr = std::mem::take(&mut tok.text).into();
        let colon = self.next_token();
        if colon.kind != Kind::Colon {
            return Err(parse_error("colon", &colon));
        }
        Ok(key)
    }
}

/// `mant * 2^exp` as the nearest `f64` (ties to even), where `sticky` says
/// that nonzero digits below `mant` were dropped.
fn compose(mant: u64, exp: i64, sticky: bool) -> f64 {
    if mant == 0 {
        return 0.0;
    }
    let lz = mant.leading_zeros();
    let mant = mant << lz;
    // The value is mant * 2^(exp - lz), mant in [2^63, 2^64): its leading
    // bit has weight 2^top.
    let top = exp - i64::from(lz) + 63;
    if top > 1023 {
        return f64::INFINITY;
    }
    // Bits of `mant` to drop: 11 for a normal number, more below 2^-1022.
    let drop = if top >= -1022 { 11 } else { 11 + (-1022 - top) };
    if drop > 64 {
        return 0.0;
    }
    let (kept, rest, half) = if drop == 64 {
        (0, mant, 1u64 << 63)
    } else {
        (
            mant >> drop,
            mant & ((1u64 << drop) - 1),
            1u64 << (drop - 1),
        )
    };
    let round_up = rest > half || (rest == half && (sticky || kept & 1 == 1));
    let sig = kept + u64::from(round_up);
    if top >= -1022 {
        // sig is in [2^52, 2^53]; 2^53 carries into the exponent.
        let (sig, top) = if sig == 1 << 53 {
            (sig >> 1, top + 1)
        } else {
            (sig, top)
        };
        if top > 1023 {
            return f64::INFINITY;
        }
        let biased = (top + 1023) as u64;
        f64::from_bits((biased << 52) | (sig & ((1 << 52) - 1)))
    } else {
        // Subnormal (a carry to 2^52 gives the smallest normal).
        f64::from_bits(sig)
    }
}

/// Appends a code point (at most 0x10FFFF) as UTF-8.
fn push_utf8(out: &mut Vec<u8>, cp: u32) {
    if cp < 0x80 {
        out.push(cp as u8);
    } else if cp < 0x800 {
        out.push(0xC0 | (cp >> 6) as u8);
        out.push(0x80 | (cp & 0x3F) as u8);
    } else if cp < 0x10000 {
        out.push(0xE0 | (cp >> 12) as u8);
        out.push(0x80 | ((cp >> 6) & 0x3F) as u8);
        out.push(0x80 | (cp & 0x3F) as u8);
    } else {
        out.push(0xF0 | ((cp >> 18) & 0x07) as u8);
        out.push(0x80 | ((cp >> 12) & 0x3F) as u8);
        out.push(0x80 | ((cp >> 6) & 0x3F) as u8);
        out.push(0x80 | (cp & 0x3F) as u8);
    }
}

#[cfg(test)]
mod tests {
    //! Each script's reply is what redis-cli printed for it against
    //! redis-server 7.0.15 (every setting changed goes through `cjson.new()`,
    //! as Redis keeps the global table's settings between scripts).

    use crate::{cli, Engine};

    fn check(cases: &[(&str, &str)]) {
        let mut e = Engine::new();
        let mut c = e.new_client();
        let mut failures = Vec::new();
        for (script, want) in cases {
            let argv = vec![b"EVAL".to_vec(), script.as_bytes().to_vec(), b"0".to_vec()];
            let got = cli::format_reply(&e.execute(&mut c, argv, 1));
            if got != *want {
                failures.push(format!("{script}\n  got:  {got}\n  want: {want}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn encodes_values_numbers_and_strings() {
        check(&[
            (
                r#"return cjson.encode({1,2,{a=1}})"#,
                r#""[1,2,{\"a\":1}]""#,
            ),
            (
                r#"return cjson.encode({1.5, -0.25, 1e300, 2^53, 123456789012345, 1/3, -0, 1e-7, 100, 0.1})"#,
                r#""[1.5,-0.25,1e+300,9.007199254741e+15,1.2345678901234e+14,0.33333333333333,-0,1e-07,100,0.1]""#,
            ),
            (
                r#"return cjson.encode(1/0)"#,
                r#"(error) ERR user_script:1: Cannot serialise number: must not be NaN or Inf script: 08ffdaa5e7f117332da21c3b5222c2ede9492c60, on @user_script:1."#,
            ),
            (
                r#"return cjson.encode({0/0})"#,
                r#"(error) ERR user_script:1: Cannot serialise number: must not be NaN or Inf script: a6c343b48c03c3bafb03da1cf2d449674f2f901a, on @user_script:1."#,
            ),
            (
                r#"return cjson.encode(-1/0)"#,
                r#"(error) ERR user_script:1: Cannot serialise number: must not be NaN or Inf script: eeea526afae25161c515bd49cddc89d6cfbf2456, on @user_script:1."#,
            ),
            (
                r#"return {cjson.encode(nil), cjson.encode(cjson.null), cjson.encode(true), cjson.encode({true,false}), cjson.encode('')}"#,
                r#"1) "null"
2) "null"
3) "true"
4) "[true,false]"
5) "\"\"""#,
            ),
            (
                r#"return cjson.encode('a/b"c\\d\1\31\127\n\t\r\b\f\0\200\255 ~')"#,
                r#""\"a\\/b\\\"c\\\\d\\u0001\\u001f\\u007f\\n\\t\\r\\b\\f\\u0000\xc8\xff ~\"""#,
            ),
            (
                r#"return cjson.encode({'a', {b = 'c'}, {}, {{}}})"#,
                r#""[\"a\",{\"b\":\"c\"},{},[{}]]""#,
            ),
        ]);
    }

    #[test]
    fn encodes_arrays_and_objects() {
        check(&[
            (r#"return cjson.encode({[1]=1,[3]=3})"#, r#""[1,null,3]""#),
            (
                r#"return cjson.encode({1,nil,3,nil,5,nil,nil,nil,nil,nil})"#,
                r#""[1,null,3,null,5]""#,
            ),
            (
                r#"return cjson.encode({[1]=1,[30]=3})"#,
                r#"(error) ERR user_script:1: Cannot serialise table: excessively sparse array script: 192b3af9fff8485280fdaa0d9aacd2968bccc465, on @user_script:1."#,
            ),
            (
                r#"return cjson.encode({1,2,3,[11]=1})"#,
                r#"(error) ERR user_script:1: Cannot serialise table: excessively sparse array script: 1557543e147d4e6286952340c85a0f699e85cfe9, on @user_script:1."#,
            ),
            (
                r#"return cjson.encode({1,2,3,x=1})"#,
                r#""{\"1\":1,\"2\":2,\"3\":3,\"x\":1}""#,
            ),
            (
                r#"return {cjson.encode({[0]=1}), cjson.encode({[-1]=1}), cjson.encode({[1.5]=1}), cjson.encode({[2^31]=1}), cjson.encode({[1e20]=1}), cjson.encode({['1']=1})}"#,
                r#"1) "{\"0\":1}"
2) "{\"-1\":1}"
3) "{\"1.5\":1}"
4) "{\"2147483648\":1}"
5) "{\"1e+20\":1}"
6) "{\"1\":1}""#,
            ),
            (
                r#"return cjson.encode({[2^31-1]=1})"#,
                r#"(error) ERR user_script:1: Cannot serialise table: excessively sparse array script: 195bcc41ce386c53ca26b8ed7682b821e944a30d, on @user_script:1."#,
            ),
            (r#"return cjson.encode({})"#, r#""{}""#),
            (
                r#"return cjson.encode({[math.huge]=1})"#,
                r#"(error) ERR user_script:1: Cannot serialise number: must not be NaN or Inf script: 294a06163f94d9dc633babe953da993083d82456, on @user_script:1."#,
            ),
        ]);
    }

    #[test]
    fn refuses_what_json_cannot_hold() {
        check(&[
            (
                r#"return cjson.encode(type)"#,
                r#"(error) ERR user_script:1: Cannot serialise function: type not supported script: ac953d07cf9bd36e9046fead9114bc29ca6b50f7, on @user_script:1."#,
            ),
            (
                r#"return cjson.encode({a=type})"#,
                r#"(error) ERR user_script:1: Cannot serialise function: type not supported script: 4849b87ec489a5d6971cf227d54b030fd0f0a286, on @user_script:1."#,
            ),
            (
                r#"return cjson.encode({[true]=1})"#,
                r#"(error) ERR user_script:1: Cannot serialise boolean: table key must be a number or string script: 376a640005c8509c694166527ca834359bf69aa8, on @user_script:1."#,
            ),
            (
                r#"return cjson.encode({[cjson.null]=1})"#,
                r#"(error) ERR user_script:1: Cannot serialise userdata: table key must be a number or string script: 38d0732dfda40524a3ba751492c95ca160da2395, on @user_script:1."#,
            ),
            (
                r#"return cjson.encode({[{}]=1})"#,
                r#"(error) ERR user_script:1: Cannot serialise table: table key must be a number or string script: d2e2560c1eac16fa2ba971165f1a135f816add6f, on @user_script:1."#,
            ),
            (
                r#"return cjson.encode()"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'encode' (expected 1 argument) script: fc593ea31f478c7ed65c77495cc63edeb9153530, on @user_script:1."#,
            ),
            (
                r#"return cjson.encode(1, 2)"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'encode' (expected 1 argument) script: e3a38cd8c1bb7de419304607b05108c80af53cbc, on @user_script:1."#,
            ),
        ]);
    }

    #[test]
    fn limits_encode_nesting() {
        check(&[
            (
                r#"local t = {} for i=1,1001 do t = {t} end return cjson.encode(t)"#,
                r#"(error) ERR user_script:1: Cannot serialise, excessive nesting (1001) script: 60a8d592ec1780965229cc69a370d9ea6448ad99, on @user_script:1."#,
            ),
            (
                r#"local t = {} for i=1,999 do t = {t} end return #cjson.encode(t)"#,
                r#"(integer) 2000"#,
            ),
            (
                r#"local t = {} for i=1,1000 do t = {a=t} end return cjson.encode(t)"#,
                r#"(error) ERR user_script:1: Cannot serialise, excessive nesting (1001) script: 465235371845aaa0db777655b31647f68ff06f2b, on @user_script:1."#,
            ),
            (
                r#"local t = {} t[1] = t return cjson.encode(t)"#,
                r#"(error) ERR user_script:1: Cannot serialise, excessive nesting (1001) script: 576653f0096d47f87063058b9abe9085cdcd4f41, on @user_script:1."#,
            ),
            (
                r#"local function unlink(t, k) while type(t) == 'table' do local n = t[k] t[k] = nil t = n end end local c = cjson.new() c.encode_max_depth(100000) local t = {} for i=1,9000 do t = {t} end local ok, e = pcall(c.encode, t) unlink(t, 1) return {ok, e}"#,
                r#"1) (nil)
2) "Cannot serialise, excessive nesting (7998)""#,
            ),
            (
                r#"local function unlink(t, k) while type(t) == 'table' do local n = t[k] t[k] = nil t = n end end local c = cjson.new() c.encode_max_depth(100000) local t = {} for i=1,9000 do t = {a=t} end local ok, e = pcall(c.encode, t) unlink(t, 'a') return {ok, e}"#,
                r#"1) (nil)
2) "Cannot serialise, excessive nesting (4000)""#,
            ),
            (
                r#"local function unlink(t, k) while type(t) == 'table' do local n = t[k] t[k] = nil t = n end end local c = cjson.new() c.encode_max_depth(100000) local t = {} for i=1,7990 do t = {t} end local n = #c.encode(t) unlink(t, 1) return n"#,
                r#"(integer) 15982"#,
            ),
            (
                r#"local c = cjson.new() c.encode_max_depth(2) return {pcall(c.encode, {{1}}), pcall(c.encode, {{{}}})}"#,
                r#"1) (integer) 1
2) (nil)
3) "Cannot serialise, excessive nesting (3)""#,
            ),
        ]);
    }

    #[test]
    fn decodes_json() {
        check(&[
            (
                r#"return cjson.decode('[1,2,3]')"#,
                r#"1) (integer) 1
2) (integer) 2
3) (integer) 3"#,
            ),
            (
                r#"return cjson.decode('{"a":[1,"x",true,false,null,-2.5e1]}').a"#,
                r#"1) (integer) 1
2) "x"
3) (integer) 1
4) (nil)
5) (nil)
6) (integer) -25"#,
            ),
            (
                r#"local v = cjson.decode('{"a":1,"b":{"c":[1,{"d":"e"}]},"a":3}') return {v.a, v.b.c[1], v.b.c[2].d}"#,
                r#"1) (integer) 3
2) (integer) 1
3) "e""#,
            ),
            (
                r#"local v = cjson.decode('[null]')[1] return {type(v), tostring(v == cjson.null), tostring(v)}"#,
                r#"1) "userdata"
2) "true"
3) "userdata: (nil)""#,
            ),
            (
                r#"return cjson.decode('"\\u00e9\\ud83d\\ude00\\u0041\\u20ac\\u0000z"')"#,
                r#""\xc3\xa9\xf0\x9f\x98\x80A\xe2\x82\xac\x00z""#,
            ),
            (
                r#"return cjson.decode('"\\/\\b\\f\\n\\r\\t\\\\\\"\1\200"')"#,
                r#""/\b\x0c\n\r\t\\\"\x01\xc8""#,
            ),
            (
                r#"return cjson.decode(' \t\r\n[ ] ') ~= nil"#,
                r#"(integer) 1"#,
            ),
            (
                r#"return {cjson.encode(cjson.decode('[]')), cjson.encode(cjson.decode('{}')), cjson.encode(cjson.decode('{"a":[1,2,{"b":null}]}'))}"#,
                r#"1) "{}"
2) "{}"
3) "{\"a\":[1,2,{\"b\":null}]}""#,
            ),
            (
                r#"return {cjson.decode('0x10'), cjson.decode('-0x10'), cjson.decode('+5'), cjson.decode('1e2'), cjson.decode('012'), cjson.decode('-.5e1'), cjson.decode('1.'), cjson.decode(123)}"#,
                r#"1) (integer) 16
2) (integer) -16
3) (integer) 5
4) (integer) 100
5) (integer) 12
6) (integer) -5
7) (integer) 1
8) (integer) 123"#,
            ),
            (
                r#"return {tostring(cjson.decode('inf')), tostring(cjson.decode('-Infinity')), tostring(cjson.decode('nan')), tostring(cjson.decode('-nan')), tostring(cjson.decode('nan(12_a)')), tostring(cjson.decode('1e400')), tostring(cjson.decode('-1e-400'))}"#,
                r#"1) "inf"
2) "-inf"
3) "nan"
4) "-nan"
5) "nan"
6) "inf"
7) "-0""#,
            ),
            (
                r#"return {tostring(cjson.decode('0x1p4')), tostring(cjson.decode('0x1.8p1')), tostring(cjson.decode('0x.8')), tostring(cjson.decode('0X1P-1074')), tostring(cjson.decode('0x1p-1075')), tostring(cjson.decode('0x1.8p-1074')), tostring(cjson.decode('0x1.fffffffffffff8p0')), tostring(cjson.decode('0x1.fffffffffffff7ffp0')), tostring(cjson.decode('0x10000000000000801p0')), tostring(cjson.decode('0x1p1024')), tostring(cjson.decode('0x1.fffffffffffffp1023'))}"#,
                r#" 1) "16"
 2) "3"
 3) "0.5"
 4) "4.9406564584125e-324"
 5) "0"
 6) "9.8813129168249e-324"
 7) "2"
 8) "2"
 9) "1.844674407371e+19"
10) "inf"
11) "1.7976931348623e+308""#,
            ),
            (
                r#"return tostring(cjson.decode('0.1') + cjson.decode('0.2'))"#,
                r#""0.3""#,
            ),
            (
                r#"return string.format('%.17g', cjson.decode('2.2250738585072011e-308'))"#,
                r#""2.2250738585072009e-308""#,
            ),
        ]);
    }

    #[test]
    fn reports_decode_errors() {
        check(&[
            (
                r#"return cjson.decode('')"#,
                r#"(error) ERR user_script:1: Expected value but found T_END at character 1 script: 7ff8cf86abed928f4d61a01dcc9713f0117b180a, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode(' ')"#,
                r#"(error) ERR user_script:1: Expected value but found T_END at character 2 script: 0c0eeb95b7e2eb2c5734b8167989b3aab021aacf, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('x')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: 5f58dd5cefb3eb0313af3534f36be4b83e79ae80, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('[1 2]')"#,
                r#"(error) ERR user_script:1: Expected comma or array end but found T_NUMBER at character 4 script: cae89247ef27d42d411c61ae44ff3af6ab258d99, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('[1,]')"#,
                r#"(error) ERR user_script:1: Expected value but found T_ARR_END at character 4 script: d31ab1dd313d99d4ad3dac6e48cdff283bea270c, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('{"a" 1}')"#,
                r#"(error) ERR user_script:1: Expected colon but found T_NUMBER at character 6 script: 3486ee24bfdfc100c738c73355e99954ef01d92f, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('{1:1}')"#,
                r#"(error) ERR user_script:1: Expected object key string but found T_NUMBER at character 2 script: 39975652284445c0a4461fbe58b0a4a1cd6aebc9, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('{"a":1,}')"#,
                r#"(error) ERR user_script:1: Expected object key string but found T_OBJ_END at character 8 script: 7e3659dd873275ff5047e436b0cc31cc91d160e4, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('{"a":1 "b"}')"#,
                r#"(error) ERR user_script:1: Expected comma or object end but found T_STRING at character 8 script: ed604cfa816fcbf85760ca2c8a390a51415cd1aa, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('[1] x')"#,
                r#"(error) ERR user_script:1: Expected the end but found invalid token at character 5 script: 90488ed3df43636c96be19291b12cbc738913942, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('-')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid number at character 1 script: a968c762a4638482bd9ef50dcecdc4504214d87d, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('1e')"#,
                r#"(error) ERR user_script:1: Expected the end but found invalid token at character 2 script: 233eff79cc67a332d1af979291114a1307e115c8, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('0x')"#,
                r#"(error) ERR user_script:1: Expected the end but found invalid token at character 2 script: 18b80eb19bb3289cd0a846b99d6ce8e476a888be, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('"abc')"#,
                r#"(error) ERR user_script:1: Expected value but found unexpected end of string at character 5 script: 30d67c6fb8e066eef4796bfcc59cee500c381744, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('"a\\qb"')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid escape code at character 3 script: 0b7ef200cfebc919089eee8fef383f21467e76c3, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('"a\\')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid escape code at character 3 script: 603bee902913df6dbe85a55fae421863f6994424, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('"a\\u12"')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid unicode escape code at character 3 script: c0cbd4b6d922fa0e6b64bda7a886fd995925bec3, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('"a\\ud800"')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid unicode escape code at character 3 script: 498eaca475970ab0293a229ac963cd50b52bfa25, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('"a\\ud800\\u0041"')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid unicode escape code at character 3 script: c8e6acf97c10c12d70cf007bc3812185b6980288, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('"a\\udc00\\ud800"')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid unicode escape code at character 3 script: 8119e80a2f142ce7cc3434fa2f61a91b86846f49, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('tru')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: b0ae6f0426d6ff93bdff3364f547baa19aa4171b, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('truex')"#,
                r#"(error) ERR user_script:1: Expected the end but found invalid token at character 5 script: 6e70d391cb7729b386bd9fd128f3dd0bfee15744, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('nul')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: 5586fdf8c512d9c8a68678c91a0de23617e84e25, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('infinit')"#,
                r#"(error) ERR user_script:1: Expected the end but found invalid token at character 4 script: 95871b2004a4a3a87cc2f77cc8377772eebf1409, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode(']')"#,
                r#"(error) ERR user_script:1: Expected value but found T_ARR_END at character 1 script: 5a5ce31025521bf6eb7c5a9d396fd071aaf8efec, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('[1}')"#,
                r#"(error) ERR user_script:1: Expected comma or array end but found T_OBJ_END at character 3 script: be8dbdfd14aa59deea458af4f8e102b272261c07, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('{"a":1]')"#,
                r#"(error) ERR user_script:1: Expected comma or object end but found T_ARR_END at character 7 script: eb9eec0a9643e8f592469a108c9bd27e6862b70d, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('[1,2]:')"#,
                r#"(error) ERR user_script:1: Expected the end but found T_COLON at character 6 script: 69e46e1c6666e89c252d96b149476a839c00f084, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('\128')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: 21d0086b1482aaa1b492753387a6c9f8c7cd3f0d, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('a\0')"#,
                r#"(error) ERR user_script:1: JSON parser does not support UTF-16 or UTF-32 script: 69f6bbb096a19f47ab62fd7adb63b632dfb2a6e4, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('\0a')"#,
                r#"(error) ERR user_script:1: JSON parser does not support UTF-16 or UTF-32 script: dd78d9328784e2bc97ce56b69c1960be18a3e442, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('\0')"#,
                r#"(error) ERR user_script:1: Expected value but found T_END at character 1 script: 415c2ca45509b359c98e03d445d505048ec768e3, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('[1,2]\0xyz')"#,
                r#"1) (integer) 1
2) (integer) 2"#,
            ),
            (
                r#"return cjson.decode('"ab\0cd"')"#,
                r#"(error) ERR user_script:1: Expected value but found unexpected end of string at character 4 script: 3f1d7c4537d5073d24a7f06aa3651f26df175ce6, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode(nil)"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'decode' (string expected, got nil) script: a844f6020def000abf40e0ee50e4a4bd8ed32ccd, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode({})"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'decode' (string expected, got table) script: 10c706d54b3ae7d2bcc169d647405abd961145fa, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode()"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'decode' (expected 1 argument) script: 5378278d59343caf5c3375a655dfea5e69ab8a74, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('[1]', 2)"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'decode' (expected 1 argument) script: 3466aa8fbe4f840c792aa41fc801d288fe3b3fc0, on @user_script:1."#,
            ),
        ]);
    }

    #[test]
    fn limits_decode_nesting() {
        check(&[
            (
                r#"return cjson.decode(string.rep('[', 1001) .. string.rep(']', 1001))"#,
                r#"(error) ERR user_script:1: Found too many nested data structures (1001) at character 1001 script: 16688796523d8f6cf1ef0ab4577ccee2204836fc, on @user_script:1."#,
            ),
            (
                r#"return #cjson.decode(string.rep('[', 1000) .. string.rep(']', 1000))"#,
                r#"(integer) 1"#,
            ),
            (
                r#"return cjson.decode(string.rep('{"a":', 1001) .. '1' .. string.rep('}', 1001))"#,
                r#"(error) ERR user_script:1: Found too many nested data structures (1001) at character 5001 script: 61e53886072422c6fe7d36d011546fce66f68a32, on @user_script:1."#,
            ),
            (
                r#"return cjson.decode('  ' .. string.rep('[{"k":', 600))"#,
                r#"(error) ERR user_script:1: Found too many nested data structures (1001) at character 3003 script: 65143b210765c25e9f1ee472ae543941d44ea434, on @user_script:1."#,
            ),
            (
                r#"local c = cjson.new() c.decode_max_depth(100000) return c.decode(string.rep('[', 9000) .. string.rep(']', 9000))"#,
                r#"(error) ERR user_script:1: Found too many nested data structures (7999) at character 7999 script: b130b18a7d9d28b7408c7a638c6782e868b5450b, on @user_script:1."#,
            ),
            (
                r#"local c = cjson.new() c.decode_max_depth(100000) return c.decode(string.rep('{"a":', 9000) .. string.rep('}', 9000))"#,
                r#"(error) ERR user_script:1: Found too many nested data structures (4000) at character 19996 script: 23eafd7a6a4d6c9cbfce55cf93fdbf151c3b22f8, on @user_script:1."#,
            ),
            (
                r#"local c = cjson.new() c.decode_max_depth(2) return c.decode('[[[1]]]')"#,
                r#"(error) ERR user_script:1: Found too many nested data structures (3) at character 3 script: b2f73dafadc8ac47956f7d6605d7497ae651cbdb, on @user_script:1."#,
            ),
        ]);
    }

    #[test]
    fn null_is_a_light_userdata() {
        check(&[
            (
                r#"return {type(cjson.null), tostring(cjson.null), cjson.null == cjson.null, not cjson.null, cjson.null ~= nil, cjson.null ~= false}"#,
                r#"1) "userdata"
2) "userdata: (nil)"
3) (integer) 1
4) (nil)
5) (integer) 1
6) (integer) 1"#,
            ),
            (
                r#"local t = {[cjson.null] = 'x'} return t[cjson.null]"#,
                r#""x""#,
            ),
            (r#"return cjson.null"#, r#"(nil)"#),
            (
                r#"return {1, cjson.null, 3}"#,
                r#"1) (integer) 1
2) (nil)
3) (integer) 3"#,
            ),
            (
                r#"return cjson.null.x"#,
                r#"(error) ERR user_script:1: attempt to index field 'null' (a userdata value) script: 6a60cbe4e8c31299811a326b6e842e21f0f02eac, on @user_script:1."#,
            ),
            (
                r#"return cjson.null < cjson.null"#,
                r#"(error) ERR user_script:1: attempt to compare two userdata values script: 9a9f41bffee81c493b7eef08462bf8fac961492f, on @user_script:1."#,
            ),
        ]);
    }

    #[test]
    fn the_module_table() {
        check(&[
            (
                r#"return {cjson._NAME, cjson._VERSION, cjson.new()._VERSION, type(cjson.new().new), type(cjson.decode)}"#,
                r#"1) "cjson"
2) "2.1.0"
3) "2.1.0"
4) "function"
5) "function""#,
            ),
            (
                r#"cjson.x = 1"#,
                r#"(error) ERR user_script:1: Attempt to modify a readonly table script: 4b2ca7db0bf72ed85cdead5baca2fcaf0f05131c, on @user_script:1."#,
            ),
            (
                r#"cjson.encode = 1"#,
                r#"(error) ERR user_script:1: Attempt to modify a readonly table script: 8217b76c7a501906264bfd0d432550aa1280439c, on @user_script:1."#,
            ),
        ]);
    }

    #[test]
    fn configuration_functions() {
        check(&[
            (
                r#"local c = cjson.new() local r = {c.encode_sparse_array()} for _, f in ipairs({'encode_max_depth', 'decode_max_depth', 'encode_number_precision', 'encode_keep_buffer', 'encode_invalid_numbers', 'decode_invalid_numbers'}) do r[#r + 1] = tostring(c[f]()) end return r"#,
                r#"1) (nil)
2) (integer) 2
3) (integer) 10
4) "1000"
5) "1000"
6) "14"
7) "true"
8) "false"
9) "true""#,
            ),
            (
                r#"return cjson.new().encode_max_depth(1, 2)"#,
                r#"(error) ERR user_script:1: bad argument #2 to 'encode_max_depth' (found too many arguments) script: af22b151e560d9c57efb4ba5f3c58196c5e8db88, on @user_script:1."#,
            ),
            (
                r#"return cjson.new().encode_max_depth(0)"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'encode_max_depth' (expected integer between 1 and 2147483647) script: a352a35427453923eda39b60809ebac11c1af86d, on @user_script:1."#,
            ),
            (
                r#"return cjson.new().encode_max_depth('x')"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'encode_max_depth' (number expected, got string) script: 3686825e6042b814c95d05bae3529c8e0119fcca, on @user_script:1."#,
            ),
            (
                r#"return cjson.new().decode_max_depth(-1)"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'decode_max_depth' (expected integer between 1 and 2147483647) script: 62ecbc767fce3156a804dbaf29cb81121edf9323, on @user_script:1."#,
            ),
            (
                r#"return cjson.new().encode_number_precision(15)"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'encode_number_precision' (expected integer between 1 and 14) script: e6984e9eb26ae49a3ed2a4430cc007f1fd47238b, on @user_script:1."#,
            ),
            (
                r#"return cjson.new().encode_sparse_array(true, -1)"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'encode_sparse_array' (expected integer between 0 and 2147483647) script: d3e5004699cd2824203fdcba3775d6c6bf7ec11d, on @user_script:1."#,
            ),
            (
                r#"return cjson.new().encode_sparse_array(false, 1, -1)"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'encode_sparse_array' (expected integer between 0 and 2147483647) script: 99853246416c1b5997f80870fefcf460d8c74e7e, on @user_script:1."#,
            ),
            (
                r#"return cjson.new().encode_sparse_array('maybe')"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'encode_sparse_array' (invalid option 'maybe') script: e851b312f3cc624e98ea7b07a70cf9ad29924aa0, on @user_script:1."#,
            ),
            (
                r#"return cjson.new().encode_sparse_array(1)"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'encode_sparse_array' (invalid option '1') script: 88bbf5051e49ba1a7b69efa7ed210ef8de66448d, on @user_script:1."#,
            ),
            (
                r#"return cjson.new().encode_sparse_array({})"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'encode_sparse_array' (string expected, got table) script: 633f8f136f6df11238a500d3f53874a2ce8a0a2a, on @user_script:1."#,
            ),
            (
                r#"return cjson.new().encode_sparse_array(nil, nil, nil, nil)"#,
                r#"(error) ERR user_script:1: bad argument #4 to 'encode_sparse_array' (found too many arguments) script: 5f237b7f90682630791e0c320e2a4733107cd6e0, on @user_script:1."#,
            ),
            (
                r#"return cjson.new().encode_invalid_numbers('nope')"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'encode_invalid_numbers' (invalid option 'nope') script: 5b5645936fc588fb36e4c8f2018f4316367dcbb2, on @user_script:1."#,
            ),
            (
                r#"return cjson.new().encode_keep_buffer(5)"#,
                r#"(error) ERR user_script:1: bad argument #1 to 'encode_keep_buffer' (invalid option '5') script: 7a5181319fe86a81a77910645d79c9f0b3aa4848, on @user_script:1."#,
            ),
            (
                r#"local c = cjson.new() return {c.encode_max_depth(' 7 '), c.encode_max_depth(2.9), c.encode_max_depth()}"#,
                r#"1) (integer) 7
2) (integer) 2
3) (integer) 2"#,
            ),
            (
                r#"local c = cjson.new() c.encode_number_precision(3) return {c.encode(math.pi), cjson.encode(math.pi), c.encode({[1/3]=1})}"#,
                r#"1) "3.14"
2) "3.1415926535898"
3) "{\"0.333\":1}""#,
            ),
            (
                r#"local c = cjson.new() return {c.encode_number_precision(1), c.encode(123456), c.encode(0.5), c.encode(0.05)}"#,
                r#"1) (integer) 1
2) "1e+05"
3) "0.5"
4) "0.05""#,
            ),
            (
                r#"local c = cjson.new() return {c.encode_invalid_numbers('null'), c.encode({1/0, 0/0, -1/0}), c.encode({[1/0]=1})}"#,
                r#"1) "null"
2) "[null,null,null]"
3) "{\"null\":1}""#,
            ),
            (
                r#"local c = cjson.new() return {c.encode_invalid_numbers(true), c.encode({1/0, -1/0, 0/0, -(0/0)}), c.encode({[-1/0]=1})}"#,
                r#"1) (integer) 1
2) "[inf,-inf,nan,nan]"
3) "{\"-inf\":1}""#,
            ),
            (
                r#"local c = cjson.new() return {tostring(c.encode_invalid_numbers('on')), tostring(c.encode_invalid_numbers('off')), tostring(c.encode_invalid_numbers(false))}"#,
                r#"1) "true"
2) "false"
3) "false""#,
            ),
            (
                r#"local c = cjson.new() return {c.encode_sparse_array('on', 3, 5)}"#,
                r#"1) (integer) 1
2) (integer) 3
3) (integer) 5"#,
            ),
            (
                r#"local c = cjson.new() c.encode_sparse_array(true) return c.encode({[1]=1,[30]=3})"#,
                r#""{\"1\":1,\"30\":3}""#,
            ),
            (
                r#"local c = cjson.new() c.encode_sparse_array(false, 0) return c.encode({[1]=1,[12]=3})"#,
                r#""[1,null,null,null,null,null,null,null,null,null,null,3]""#,
            ),
            (
                r#"local c = cjson.new() c.encode_sparse_array(false, 2, 100) return c.encode({[1]=1,[12]=3})"#,
                r#""[1,null,null,null,null,null,null,null,null,null,null,3]""#,
            ),
            (
                r#"local c = cjson.new() c.encode_sparse_array(false, 1) return c.encode({[1]=1,[12]=3})"#,
                r#"(error) ERR user_script:1: Cannot serialise table: excessively sparse array script: cd65f027204480c2bca900da92bfaf1c14e11205, on @user_script:1."#,
            ),
            (
                r#"local c = cjson.new() pcall(c.encode_sparse_array, true, -1) return {c.encode_sparse_array()}"#,
                r#"1) (integer) 1
2) (integer) 2
3) (integer) 10"#,
            ),
            (
                r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('0x10')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid number at character 1 script: 4dc6e802d572e1025bc3932ab9f79f042fa54cb2, on @user_script:1."#,
            ),
            (
                r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('-inf')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid number at character 1 script: 430a81567fcada6ab2740869479842f20fa35143, on @user_script:1."#,
            ),
            (
                r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('inf')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: 6e06ecf7d75ed3e273036d7ed1345a12a5e4a1f2, on @user_script:1."#,
            ),
            (
                r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('012')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid number at character 1 script: 05dcc227b76beabe54056d05aed0e7222148e3fa, on @user_script:1."#,
            ),
            (
                r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('+1')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: 7151381d40abb5e48ca06f64f9b9e544ca958c12, on @user_script:1."#,
            ),
            (
                r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('NaN')"#,
                r#"(error) ERR user_script:1: Expected value but found invalid token at character 1 script: 808a447dac84e688da8330c7829babcd3d9f8e23, on @user_script:1."#,
            ),
            (
                r#"local c = cjson.new() c.decode_invalid_numbers(false) return {c.decode('-0.5e1'), c.decode('0'), c.decode('[0,10]')[2]}"#,
                r#"1) (integer) -5
2) (integer) 0
3) (integer) 10"#,
            ),
            (
                r#"local c = cjson.new() return {c.encode_keep_buffer(false), c.encode({1}), c.encode_keep_buffer('on')}"#,
                r#"1) (nil)
2) "[1]"
3) (integer) 1"#,
            ),
            (
                r#"local ok, e = pcall(cjson.decode, '[') return e"#,
                r#""Expected value but found T_END at character 2""#,
            ),
            (
                r#"local ok, e = pcall(cjson.encode, {f = type}) return e"#,
                r#""Cannot serialise function: type not supported""#,
            ),
        ]);
    }

    #[test]
    fn hex_floats_round_to_nearest_even() {
        use super::compose;
        assert_eq!(compose(1, 0, false), 1.0);
        assert_eq!(compose(3, -1, false), 1.5);
        // 2^53 + 1: a tie, to even (down); with a sticky bit, up.
        let big = (1u64 << 53) + 1;
        assert_eq!(compose(big, 0, false), 9_007_199_254_740_992.0);
        assert_eq!(compose(big, 0, true), 9_007_199_254_740_994.0);
        assert_eq!(compose(1, -1074, false), f64::from_bits(1));
        assert_eq!(compose(1, -1075, false), 0.0);
        assert_eq!(compose(3, -1075, false), f64::from_bits(2));
        assert_eq!(compose(1, 1024, false), f64::INFINITY);
        assert_eq!(compose(u64::MAX, 960, false), f64::INFINITY);
        assert_eq!(compose(u64::MAX, -2000, true), 0.0);
    }

    #[test]
    fn no_input_panics() {
        let mut e = Engine::new();
        let mut c = e.new_client();
        let inputs: [&[u8]; 14] = [
            b"\"\\u",
            b"\"\\ud800\\",
            b"\"\\ud800\\u",
            b"\"\\ud800\\udc0",
            b"0x",
            b"0x.",
            b"0x1p",
            b"0x1p-",
            b"-",
            b"+",
            b"nan(",
            b"1e+",
            b"[{\"a\":[",
            b"\xff\xfe",
        ];
        for input in inputs {
            let mut argv = vec![b"EVAL".to_vec()];
            argv.push(b"return cjson.decode(ARGV[1])".to_vec());
            argv.push(b"0".to_vec());
            argv.push(input.to_vec());
            // Any reply will do: what matters is that there is one.
            let _ = e.execute(&mut c, argv, 1);
        }
    }
}
