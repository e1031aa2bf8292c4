//! `cjson.encode`: Lua values to JSON text, walking tables with an explicit
//! stack.

use super::*;

pub(super) fn json_encode(interp: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
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
