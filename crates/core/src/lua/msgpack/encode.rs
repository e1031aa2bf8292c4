//! `cmsgpack.pack`: values to MessagePack, with the C library's choice of
//! the smallest format and its stack and nesting limits.

use super::*;

pub(super) fn pack(interp: &mut Interp<'_>, _: &[Cell], args: Vec<Value>) -> Rets {
    let n = args.len();
    if n == 0 {
        return Err(LuaError::msg(
            "bad argument #0 to 'pack' (MessagePack pack needs input.)",
        ));
    }
    // The arguments stay on the stack, and the C code asks for as many
    // slots again for the encoded pieces.
    if n.saturating_mul(2) > C_STACK_SLOTS {
        return Err(LuaError::msg(
            "bad argument #0 to 'pack' (Too many arguments for MessagePack pack.)",
        ));
    }
    let mut packer = Packer {
        out: Vec::new(),
        room: MEMORY_BUDGET.saturating_sub(interp.allocated),
        work: 0,
    };
    for (i, v) in args.iter().enumerate() {
        // The arguments and the pieces encoded so far are on the stack; the
        // value is copied above them.
        let used = n + i;
        reserve(used, 1, "in function mp_check")?;
        packer.value(interp, v, 0, used + 1)?;
    }
    Ok(vec![interp.string(packer.out)?])
}

struct Packer {
    out: Vec<u8>,
    /// How much output the memory budget has room for.
    room: usize,
    /// Values packed so far (see [`tick`]).
    work: u64,
}

impl Packer {
    /// Appends `v`, a value `level` tables deep, that sits on top of a stack
    /// of `top` values.
    fn value(
        &mut self,
        interp: &mut Interp<'_>,
        v: &Value,
        level: usize,
        top: usize,
    ) -> LResult<()> {
        tick(interp, &mut self.work)?;
        match v {
            Value::Str(s) => self.string(s),
            Value::Bool(b) => self.out.push(if *b { 0xc3 } else { 0xc2 }),
            Value::Num(n) => self.number(*n),
            Value::Table(t) if level < MAX_NESTING => self.table(interp, t, level, top)?,
            _ => self.out.push(0xc0),
        }
        if self.out.len() > self.room {
            // More than the budget allows: fails with "not enough memory".
            interp.charge(self.out.len())?;
        }
        Ok(())
    }

    fn number(&mut self, n: f64) {
        let i = c_int64(n);
        if i as f64 == n {
            self.integer(i);
        } else {
            let single = n as f32;
            if f64::from(single) == n {
                self.out.push(0xca);
                self.out.extend_from_slice(&single.to_bits().to_be_bytes());
            } else {
                self.out.push(0xcb);
                self.out.extend_from_slice(&n.to_bits().to_be_bytes());
            }
        }
    }

    /// The shortest format for `i` among those the C library picks from.
    fn integer(&mut self, i: i64) {
        let out = &mut self.out;
        if i >= 0 {
            if i < 0x80 {
                out.push(i as u8);
            } else if i <= 0xff {
                out.extend_from_slice(&[0xcc, i as u8]);
            } else if i <= 0xffff {
                out.push(0xcd);
                out.extend_from_slice(&(i as u16).to_be_bytes());
            } else if i <= 0xffff_ffff {
                out.push(0xce);
                out.extend_from_slice(&(i as u32).to_be_bytes());
            } else {
                out.push(0xcf);
                out.extend_from_slice(&(i as u64).to_be_bytes());
            }
        } else if i >= -32 {
            out.push(i as u8);
        } else if i >= -0x80 {
            out.extend_from_slice(&[0xd0, i as u8]);
        } else if i >= -0x8000 {
            out.push(0xd1);
            out.extend_from_slice(&(i as i16).to_be_bytes());
        } else if i >= i64::from(i32::MIN) {
            out.push(0xd2);
            out.extend_from_slice(&(i as i32).to_be_bytes());
        } else {
            out.push(0xd3);
            out.extend_from_slice(&i.to_be_bytes());
        }
    }

    fn string(&mut self, s: &[u8]) {
        let len = s.len();
        if len < 32 {
            self.out.push(0xa0 | len as u8);
        } else if len <= 0xff {
            self.out.extend_from_slice(&[0xd9, len as u8]);
        } else if len <= 0xffff {
            self.out.push(0xda);
            self.out.extend_from_slice(&(len as u16).to_be_bytes());
        } else {
            self.out.push(0xdb);
            self.out.extend_from_slice(&(len as u32).to_be_bytes());
        }
        self.out.extend_from_slice(s);
    }

    /// An array or map header: the fix form (`fix` | n) up to 15 entries,
    /// else `wide16` with a 16-bit count, else the next code with 32 bits.
    fn header(&mut self, fix: u8, wide16: u8, n: usize) {
        if n <= 15 {
            self.out.push(fix | n as u8);
        } else if n <= 0xffff {
            self.out.push(wide16);
            self.out.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            self.out.push(wide16 + 1);
            self.out.extend_from_slice(&(n as u32).to_be_bytes());
        }
    }

    fn table(
        &mut self,
        interp: &mut Interp<'_>,
        t: &TableRef,
        level: usize,
        top: usize,
    ) -> LResult<()> {
        reserve(top, 2, "in function table_is_an_array")?;
        let len = array_len(&t.borrow());
        match len {
            Some(len) => {
                self.header(0x90, 0xdc, len);
                reserve(top, 1, "in function mp_encode_lua_table_as_array")?;
                for i in 1..=len {
                    let v = t.borrow().get_int(i);
                    self.value(interp, &v, level + 1, top + 1)?;
                }
            }
            None => {
                reserve(top, 3, "in function mp_encode_lua_table_as_map")?;
                let (count, slots) = {
                    let t = t.borrow();
                    (t.entries().count(), t.slot_count())
                };
                self.header(0x80, 0xde, count);
                // Entry by entry (nothing can change the table meanwhile),
                // rather than copying them all: the same table may be open
                // at every level of a cycle. The C code walks the table with
                // a key, a value and a copy of the key above it: the key is
                // encoded from the top of that, the value from one below.
                for slot in 0..slots {
                    let Some((k, v)) = t.borrow().slot(slot) else {
                        continue;
                    };
                    self.value(interp, &k, level + 1, top + 3)?;
                    self.value(interp, &v, level + 1, top + 2)?;
                }
            }
        }
        Ok(())
    }
}

/// Some(n) when the keys of `t` are exactly 1..n: all positive integers
/// that fit a C int, as many as the largest of them.
fn array_len(t: &Table) -> Option<usize> {
    let mut count = 0usize;
    let mut max = 0f64;
    for (k, _) in t.entries() {
        let Value::Num(n) = k else {
            return None;
        };
        if !(n > 0.0 && n <= f64::from(i32::MAX) && n.fract() == 0.0) {
            return None;
        }
        count += 1;
        max = max.max(n);
    }
    (max == count as f64).then_some(count)
}
