//! Binary operators, equality and ordering, with their metamethods
//! (`__add` and the rest, `__concat`, `__eq`, `__lt`, `__le`).

use super::*;

impl Interp<'_> {
    #[inline(never)]
    pub(super) fn binary(
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
