//! Running statements: blocks, assignments, locals and the loops.

use super::*;

impl Interp<'_> {
    pub(super) fn block(&mut self, f: &mut Frame, b: &Block) -> LResult<Flow> {
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
}
