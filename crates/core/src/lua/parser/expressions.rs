//! Expressions, by Lua 5.1's operator priorities: simple and suffixed
//! expressions, calls, table constructors and function bodies' arguments.

use super::*;

impl Parser<'_> {
    pub(super) fn exprlist(&mut self) -> PResult<Vec<Expr>> {
        let mut v = vec![self.expr()?];
        while self.test_next(&Tok::Char(b','))? {
            v.push(self.expr()?);
        }
        Ok(v)
    }

    pub(super) fn expr(&mut self) -> PResult<Expr> {
        self.subexpr(0)
    }

    fn subexpr(&mut self, limit: u8) -> PResult<Expr> {
        self.enter()?;
        let line = self.lx.line;
        let unop = match self.lx.tok {
            Tok::Not => Some(UnOp::Not),
            Tok::Char(b'-') => Some(UnOp::Neg),
            Tok::Char(b'#') => Some(UnOp::Len),
            _ => None,
        };
        let mut lhs = match unop {
            Some(op) => {
                self.lx.advance()?;
                let e = self.subexpr(UNARY_PRIORITY)?;
                match (op, &e) {
                    // Constant folding of negative numerals, as Lua's code generator does.
                    (UnOp::Neg, Expr::Num(n)) => Expr::Num(-n),
                    _ => Expr::Un {
                        op,
                        expr: Box::new(e),
                        line,
                    },
                }
            }
            None => self.simple_expr()?,
        };
        loop {
            // `and` and `or` have the lowest priorities, 2 and 1.
            let (op, left, right) = match self.lx.tok {
                Tok::And => (None, 2, 2),
                Tok::Or => (None, 1, 1),
                ref t => match binop(t) {
                    Some((op, l, r)) => (Some(op), l, r),
                    None => break,
                },
            };
            if left <= limit {
                break;
            }
            let is_and = self.lx.tok == Tok::And;
            let line = self.lx.line;
            self.lx.advance()?;
            let rhs = self.subexpr(right)?;
            lhs = match op {
                Some(op) => Expr::Bin {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                    line,
                },
                None if is_and => Expr::And(Box::new(lhs), Box::new(rhs)),
                None => Expr::Or(Box::new(lhs), Box::new(rhs)),
            };
        }
        self.leave();
        Ok(lhs)
    }

    fn simple_expr(&mut self) -> PResult<Expr> {
        let e = match &self.lx.tok {
            Tok::Num(n) => Expr::Num(*n),
            Tok::Str(s) => Expr::Str(s.clone()),
            Tok::Nil => Expr::Nil,
            Tok::True => Expr::True,
            Tok::False => Expr::False,
            Tok::Dots => {
                if !self.fs().vararg {
                    return Err(self
                        .lx
                        .error_near("cannot use '...' outside a vararg function"));
                }
                Expr::Vararg
            }
            Tok::Char(b'{') => return self.constructor(),
            Tok::Function => {
                let line = self.lx.line;
                self.lx.advance()?;
                return Ok(Expr::Function(self.body(false, line)?));
            }
            _ => return self.primary_expr(),
        };
        self.lx.advance()?;
        Ok(e)
    }

    fn prefix_expr(&mut self) -> PResult<Expr> {
        match &self.lx.tok {
            Tok::Name(_) => {
                let n = self.name()?;
                Ok(self.var(n))
            }
            Tok::Char(b'(') => {
                let line = self.lx.line;
                self.lx.advance()?;
                let e = self.expr()?;
                self.expect_match(Tok::Char(b')'), Tok::Char(b'('), line)?;
                Ok(Expr::Paren(Box::new(e)))
            }
            _ => Err(self.lx.error_near("unexpected symbol")),
        }
    }

    pub(super) fn primary_expr(&mut self) -> PResult<Expr> {
        let mut e = self.prefix_expr()?;
        loop {
            let line = self.lx.line;
            match self.lx.tok {
                Tok::Char(b'.') => {
                    self.lx.advance()?;
                    let key = self.name()?;
                    e = field(e, key, line);
                }
                Tok::Char(b'[') => {
                    self.lx.advance()?;
                    let key = self.expr()?;
                    self.consume(Tok::Char(b']'))?;
                    e = Expr::Index {
                        obj: Box::new(e),
                        key: Box::new(key),
                        line,
                    };
                }
                Tok::Char(b':') => {
                    self.lx.advance()?;
                    let name = self.name()?;
                    let args = self.call_args()?;
                    e = Expr::Method {
                        obj: Box::new(e),
                        name,
                        args,
                        line,
                    };
                }
                Tok::Char(b'(') | Tok::Str(_) | Tok::Char(b'{') => {
                    let args = self.call_args()?;
                    e = Expr::Call {
                        func: Box::new(e),
                        args,
                        line,
                    };
                }
                _ => return Ok(e),
            }
        }
    }

    fn call_args(&mut self) -> PResult<Vec<Expr>> {
        match &self.lx.tok {
            Tok::Str(s) => {
                let s = s.clone();
                self.lx.advance()?;
                Ok(vec![Expr::Str(s)])
            }
            Tok::Char(b'{') => Ok(vec![self.constructor()?]),
            Tok::Char(b'(') => {
                let line = self.lx.line;
                if line != self.lx.last_line {
                    return Err(SyntaxError {
                        line,
                        msg: "ambiguous syntax (function call x new statement) near '('".into(),
                    });
                }
                self.lx.advance()?;
                let args = if self.lx.tok == Tok::Char(b')') {
                    Vec::new()
                } else {
                    self.exprlist()?
                };
                self.expect_match(Tok::Char(b')'), Tok::Char(b'('), line)?;
                Ok(args)
            }
            _ => Err(self.lx.error_near("function arguments expected")),
        }
    }

    fn constructor(&mut self) -> PResult<Expr> {
        let line = self.lx.line;
        self.consume(Tok::Char(b'{'))?;
        let mut items = Vec::new();
        let mut fields = Vec::new();
        let mut order = Vec::new();
        while self.lx.tok != Tok::Char(b'}') {
            let named = matches!(self.lx.tok, Tok::Name(_)) && self.lx.peek()? == &Tok::Char(b'=');
            match &self.lx.tok {
                Tok::Name(_) if named => {
                    let k = self.name()?;
                    self.lx.advance()?;
                    let v = self.expr()?;
                    fields.push((Expr::Str(k), v));
                    order.push(false);
                }
                Tok::Char(b'[') => {
                    self.lx.advance()?;
                    let k = self.expr()?;
                    self.consume(Tok::Char(b']'))?;
                    self.consume(Tok::Char(b'='))?;
                    let v = self.expr()?;
                    fields.push((k, v));
                    order.push(false);
                }
                _ => {
                    items.push(self.expr()?);
                    order.push(true);
                }
            }
            if !self.test_next(&Tok::Char(b','))? && !self.test_next(&Tok::Char(b';'))? {
                break;
            }
        }
        self.expect_match(Tok::Char(b'}'), Tok::Char(b'{'), line)?;
        Ok(Expr::Table {
            items,
            fields,
            order,
            line,
        })
    }
}
