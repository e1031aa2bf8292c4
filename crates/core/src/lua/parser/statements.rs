//! Statements: blocks, `local`, assignments, `if`, the loops, `return`,
//! `break` and function definitions.

use super::*;

impl Parser<'_> {
    pub(super) fn block(&mut self) -> PResult<Block> {
        self.enter()?;
        let mut stats = Vec::new();
        while !is_block_end(&self.lx.tok) {
            if self.lx.tok == Tok::Return {
                stats.push(self.return_stat()?);
                break;
            }
            if self.lx.tok == Tok::Break {
                let line = self.lx.line;
                self.lx.advance()?;
                if self.fs().loops == 0 {
                    return Err(SyntaxError {
                        line,
                        msg: format!("no loop to break near '{}'", self.lx.near()),
                    });
                }
                stats.push(Stat::Break);
                self.test_next(&Tok::Char(b';'))?;
                break;
            }
            let s = self.statement()?;
            stats.push(s);
            self.test_next(&Tok::Char(b';'))?;
        }
        self.leave();
        Ok(stats)
    }

    /// A block in its own scope.
    fn scoped_block(&mut self) -> PResult<Block> {
        let scope = self.scope();
        let b = self.block()?;
        self.close_scope(scope);
        Ok(b)
    }

    /// Ends a loop body. After an error inside it (a function body that
    /// failed leaves its own state on top) the count may already be 0.
    fn leave_loop(&mut self) {
        let fs = self.fs();
        fs.loops = fs.loops.saturating_sub(1);
    }

    fn loop_block(&mut self) -> PResult<Block> {
        self.fs().loops += 1;
        let b = self.scoped_block();
        self.leave_loop();
        b
    }

    fn return_stat(&mut self) -> PResult<Stat> {
        let line = self.lx.line;
        self.lx.advance()?;
        let exprs = if is_block_end(&self.lx.tok) || self.lx.tok == Tok::Char(b';') {
            Vec::new()
        } else {
            self.exprlist()?
        };
        self.test_next(&Tok::Char(b';'))?;
        Ok(Stat::Return { exprs, line })
    }

    fn statement(&mut self) -> PResult<Stat> {
        let line = self.lx.line;
        match self.lx.tok {
            Tok::If => self.if_stat(line),
            Tok::While => {
                self.lx.advance()?;
                let cond = self.expr()?;
                self.consume(Tok::Do)?;
                let body = self.loop_block()?;
                self.expect_match(Tok::End, Tok::While, line)?;
                Ok(Stat::While { cond, body, line })
            }
            Tok::Do => {
                self.lx.advance()?;
                let b = self.scoped_block()?;
                self.expect_match(Tok::End, Tok::Do, line)?;
                Ok(Stat::Do(b))
            }
            Tok::For => self.for_stat(line),
            Tok::Repeat => {
                self.lx.advance()?;
                // The condition sees the body's locals.
                let scope = self.scope();
                self.fs().loops += 1;
                let body = self.block();
                self.leave_loop();
                let body = body?;
                self.expect_match(Tok::Until, Tok::Repeat, line)?;
                let cond = self.expr()?;
                self.close_scope(scope);
                Ok(Stat::Repeat { body, cond })
            }
            Tok::Function => {
                self.lx.advance()?;
                // funcname: NAME {'.' NAME} [':' NAME]
                let n = self.name()?;
                let mut target = self.var(n);
                let mut method = false;
                while let Tok::Char(c @ (b'.' | b':')) = self.lx.tok {
                    self.lx.advance()?;
                    let key = self.name()?;
                    target = field(target, key, line);
                    if c == b':' {
                        method = true;
                        break;
                    }
                }
                let func = self.body(method, line)?;
                Ok(Stat::Assign {
                    targets: vec![target],
                    exprs: vec![Expr::Function(func)],
                    line,
                })
            }
            Tok::Local => {
                self.lx.advance()?;
                if self.test_next(&Tok::Function)? {
                    let name = self.name()?;
                    let decl = self.declare(name);
                    self.activate(decl.clone());
                    let func = self.body(false, line)?;
                    return Ok(Stat::LocalFunction { decl, func });
                }
                let mut names = vec![self.name()?];
                while self.test_next(&Tok::Char(b','))? {
                    names.push(self.name()?);
                }
                let exprs = if self.test_next(&Tok::Char(b'='))? {
                    self.exprlist()?
                } else {
                    Vec::new()
                };
                let decls: Vec<_> = names.into_iter().map(|n| self.declare(n)).collect();
                for d in &decls {
                    self.activate(d.clone());
                }
                Ok(Stat::Local { decls, exprs, line })
            }
            _ => self.expr_stat(line),
        }
    }

    fn if_stat(&mut self, line: u32) -> PResult<Stat> {
        let mut arms = Vec::new();
        // IF or ELSEIF cond THEN block
        loop {
            self.lx.advance()?;
            let cond = self.expr()?;
            self.consume(Tok::Then)?;
            let block = self.scoped_block()?;
            arms.push((cond, block));
            if self.lx.tok != Tok::Elseif {
                break;
            }
        }
        let otherwise = if self.test_next(&Tok::Else)? {
            Some(self.scoped_block()?)
        } else {
            None
        };
        self.expect_match(Tok::End, Tok::If, line)?;
        Ok(Stat::If { arms, otherwise })
    }

    fn for_stat(&mut self, line: u32) -> PResult<Stat> {
        self.lx.advance()?;
        let first = self.name()?;
        match self.lx.tok {
            Tok::Char(b'=') => {
                self.lx.advance()?;
                let start = self.expr()?;
                self.consume(Tok::Char(b','))?;
                let limit = self.expr()?;
                let step = if self.test_next(&Tok::Char(b','))? {
                    Some(self.expr()?)
                } else {
                    None
                };
                self.consume(Tok::Do)?;
                let scope = self.scope();
                let var = self.declare(first);
                self.activate(var.clone());
                let body = self.loop_block()?;
                self.close_scope(scope);
                self.expect_match(Tok::End, Tok::For, line)?;
                Ok(Stat::NumFor {
                    var,
                    start,
                    limit,
                    step,
                    body,
                    line,
                })
            }
            Tok::Char(b',') | Tok::In => {
                let mut names = vec![first];
                while self.test_next(&Tok::Char(b','))? {
                    names.push(self.name()?);
                }
                self.consume(Tok::In)?;
                let exprs = self.exprlist()?;
                self.consume(Tok::Do)?;
                let scope = self.scope();
                let vars: Vec<_> = names.into_iter().map(|n| self.declare(n)).collect();
                for v in &vars {
                    self.activate(v.clone());
                }
                let body = self.loop_block()?;
                self.close_scope(scope);
                self.expect_match(Tok::End, Tok::For, line)?;
                Ok(Stat::GenFor {
                    vars,
                    exprs,
                    body,
                    line,
                })
            }
            _ => Err(self.lx.error_near("'=' or 'in' expected")),
        }
    }

    fn expr_stat(&mut self, line: u32) -> PResult<Stat> {
        let first = self.primary_expr()?;
        if matches!(self.lx.tok, Tok::Char(b'=') | Tok::Char(b',')) {
            let mut targets = vec![first];
            while self.test_next(&Tok::Char(b','))? {
                targets.push(self.primary_expr()?);
            }
            for t in &targets {
                if !matches!(
                    t,
                    Expr::Local(..) | Expr::Upval(..) | Expr::Global(..) | Expr::Index { .. }
                ) {
                    return Err(self.lx.error_near("syntax error"));
                }
            }
            self.consume(Tok::Char(b'='))?;
            let exprs = self.exprlist()?;
            return Ok(Stat::Assign {
                targets,
                exprs,
                line,
            });
        }
        if !matches!(first, Expr::Call { .. } | Expr::Method { .. }) {
            return Err(self.lx.error_near("syntax error"));
        }
        Ok(Stat::Expr(first))
    }

    /// A function body: `(params) block end`, in a new function scope.
    pub(super) fn body(&mut self, method: bool, line: u32) -> PResult<Rc<FuncProto>> {
        self.funcs.push(FuncState::new(false));
        let mut params = Vec::new();
        if method {
            params.push(self.declare("self".as_bytes().into()));
        }
        self.consume(Tok::Char(b'('))?;
        if self.lx.tok != Tok::Char(b')') {
            loop {
                match &self.lx.tok {
                    Tok::Name(_) => {
                        let n = self.name()?;
                        params.push(self.declare(n));
                    }
                    Tok::Dots => {
                        self.lx.advance()?;
                        self.fs().vararg = true;
                        break;
                    }
                    _ => return Err(self.lx.error_near("<name> or '...' expected")),
                }
                if !self.test_next(&Tok::Char(b','))? {
                    break;
                }
            }
        }
        for p in &params {
            self.activate(p.clone());
        }
        self.consume(Tok::Char(b')'))?;
        let body = self.block()?;
        self.expect_match(Tok::End, Tok::Function, line)?;
        let fs = self.funcs.pop().unwrap_or_else(|| FuncState::new(false));
        let n = params.len();
        Ok(Rc::new(fs.finish(body, n, params, line)))
    }
}
