//! The parser: tokens to a syntax tree, following Lua 5.1's grammar,
//! operator priorities and error messages (`'end' expected (to close
//! 'function' at line 1) near '<eof>'`), resolving every name to a local
//! slot, an upvalue or a global as it goes.

use std::cell::Cell as StdCell;
use std::rc::Rc;

use super::ast::*;
use super::interp::StackGuard;
use super::lexer::{token_name, LexResult, Lexer, SyntaxError, Tok};
use super::value::LuaStr;

/// Lua's LUAI_MAXCCALLS: how deep expressions and blocks may nest.
const MAX_LEVELS: u32 = 200;

/// Parses a whole chunk into the function that runs it (with `...`).
pub fn parse_chunk(src: &[u8]) -> Result<Rc<FuncProto>, SyntaxError> {
    let mut p = Parser {
        lx: Lexer::new(src)?,
        funcs: vec![FuncState::new(true)],
        levels: 0,
        stack: StackGuard::new(),
    };
    let body = p.block()?;
    if p.lx.tok != Tok::Eof {
        return Err(p.lx.error_near("'<eof>' expected"));
    }
    let fs = p.funcs.pop().unwrap_or_else(|| FuncState::new(true));
    Ok(Rc::new(fs.finish(body, 0, Vec::new(), 1)))
}

struct FuncState {
    actives: Vec<Rc<LocalDecl>>,
    next_slot: usize,
    max_slots: usize,
    upvals: Vec<(LuaStr, UpvalSource)>,
    vararg: bool,
    loops: usize,
}

impl FuncState {
    fn new(vararg: bool) -> FuncState {
        FuncState {
            actives: Vec::new(),
            next_slot: 0,
            max_slots: 0,
            upvals: Vec::new(),
            vararg,
            loops: 0,
        }
    }

    fn finish(
        self,
        body: Block,
        params: usize,
        param_decls: Vec<Rc<LocalDecl>>,
        line: u32,
    ) -> FuncProto {
        let (upval_names, upvals) = self.upvals.into_iter().unzip();
        FuncProto {
            params,
            vararg: self.vararg,
            slots: self.max_slots,
            body,
            upvals,
            upval_names,
            param_decls,
            line,
        }
    }
}

enum VarRef {
    Local(Rc<LocalDecl>),
    Upval(usize),
}

struct Parser<'a> {
    lx: Lexer<'a>,
    funcs: Vec<FuncState>,
    levels: u32,
    stack: StackGuard,
}

type PResult<T> = LexResult<T>;

fn is_block_end(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Else | Tok::Elseif | Tok::End | Tok::Until | Tok::Eof
    )
}

/// Binary operators with their left and right priorities (Lua 5.1's table).
fn binop(t: &Tok) -> Option<(BinOp, u8, u8)> {
    Some(match t {
        Tok::Char(b'+') => (BinOp::Add, 6, 6),
        Tok::Char(b'-') => (BinOp::Sub, 6, 6),
        Tok::Char(b'*') => (BinOp::Mul, 7, 7),
        Tok::Char(b'/') => (BinOp::Div, 7, 7),
        Tok::Char(b'%') => (BinOp::Mod, 7, 7),
        Tok::Char(b'^') => (BinOp::Pow, 10, 9),
        Tok::Concat => (BinOp::Concat, 5, 4),
        Tok::Eq => (BinOp::Eq, 3, 3),
        Tok::Ne => (BinOp::Ne, 3, 3),
        Tok::Char(b'<') => (BinOp::Lt, 3, 3),
        Tok::Le => (BinOp::Le, 3, 3),
        Tok::Char(b'>') => (BinOp::Gt, 3, 3),
        Tok::Ge => (BinOp::Ge, 3, 3),
        _ => return None,
    })
}

const UNARY_PRIORITY: u8 = 8;

impl Parser<'_> {
    fn fs(&mut self) -> &mut FuncState {
        // `funcs` is never empty while parsing: parse_chunk pushes the main
        // function and every nested body pushes and pops its own.
        let last = self.funcs.len().saturating_sub(1);
        &mut self.funcs[last]
    }

    fn enter(&mut self) -> PResult<()> {
        self.levels += 1;
        if self.levels > MAX_LEVELS || self.stack.exhausted() {
            return Err(SyntaxError {
                line: self.lx.line,
                msg: "chunk has too many syntax levels".into(),
            });
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.levels = self.levels.saturating_sub(1);
    }

    fn check(&mut self, t: Tok) -> PResult<()> {
        if self.lx.tok != t {
            return Err(self
                .lx
                .error_near(&format!("'{}' expected", token_name(&t))));
        }
        Ok(())
    }

    fn consume(&mut self, t: Tok) -> PResult<()> {
        self.check(t)?;
        self.lx.advance()
    }

    fn test_next(&mut self, t: &Tok) -> PResult<bool> {
        if &self.lx.tok == t {
            self.lx.advance()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Lua's check_match: the closing token, naming the opener's line when it
    /// was on another one.
    fn expect_match(&mut self, what: Tok, who: Tok, line: u32) -> PResult<()> {
        if self.lx.tok == what {
            return self.lx.advance();
        }
        if line == self.lx.line {
            Err(self
                .lx
                .error_near(&format!("'{}' expected", token_name(&what))))
        } else {
            Err(self.lx.error_near(&format!(
                "'{}' expected (to close '{}' at line {line})",
                token_name(&what),
                token_name(&who)
            )))
        }
    }

    fn name(&mut self) -> PResult<LuaStr> {
        match &self.lx.tok {
            Tok::Name(n) => {
                let n = n.clone();
                self.lx.advance()?;
                Ok(n)
            }
            _ => Err(self.lx.error_near("'<name>' expected")),
        }
    }

    // ---- scopes ---------------------------------------------------------------

    fn declare(&mut self, name: LuaStr) -> Rc<LocalDecl> {
        let fs = self.fs();
        let decl = Rc::new(LocalDecl {
            slot: fs.next_slot,
            name,
            captured: StdCell::new(false),
        });
        fs.next_slot += 1;
        fs.max_slots = fs.max_slots.max(fs.next_slot);
        decl
    }

    fn activate(&mut self, decl: Rc<LocalDecl>) {
        self.fs().actives.push(decl);
    }

    fn scope(&mut self) -> (usize, usize) {
        let fs = self.fs();
        (fs.actives.len(), fs.next_slot)
    }

    fn close_scope(&mut self, (actives, slot): (usize, usize)) {
        let fs = self.fs();
        fs.actives.truncate(actives);
        fs.next_slot = slot;
    }

    fn find_var(&mut self, level: usize, name: &LuaStr) -> Option<VarRef> {
        let fs = &self.funcs[level];
        if let Some(d) = fs.actives.iter().rev().find(|d| &d.name == name) {
            return Some(VarRef::Local(d.clone()));
        }
        if let Some(i) = fs.upvals.iter().position(|(n, _)| n == name) {
            return Some(VarRef::Upval(i));
        }
        if level == 0 {
            return None;
        }
        let source = match self.find_var(level - 1, name)? {
            VarRef::Local(d) => {
                d.captured.set(true);
                UpvalSource::Local(d.slot)
            }
            VarRef::Upval(i) => UpvalSource::Upval(i),
        };
        let fs = &mut self.funcs[level];
        fs.upvals.push((name.clone(), source));
        Some(VarRef::Upval(fs.upvals.len() - 1))
    }

    fn var(&mut self, name: LuaStr) -> Expr {
        let level = self.funcs.len().saturating_sub(1);
        match self.find_var(level, &name) {
            Some(VarRef::Local(d)) => Expr::Local(d.slot, name),
            Some(VarRef::Upval(i)) => Expr::Upval(i, name),
            None => Expr::Global(name, self.lx.last_line),
        }
    }

    // ---- statements ----------------------------------------------------------

    fn block(&mut self) -> PResult<Block> {
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
    fn body(&mut self, method: bool, line: u32) -> PResult<Rc<FuncProto>> {
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

    // ---- expressions -----------------------------------------------------------

    fn exprlist(&mut self) -> PResult<Vec<Expr>> {
        let mut v = vec![self.expr()?];
        while self.test_next(&Tok::Char(b','))? {
            v.push(self.expr()?);
        }
        Ok(v)
    }

    fn expr(&mut self) -> PResult<Expr> {
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

    fn primary_expr(&mut self) -> PResult<Expr> {
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

/// `obj.key`: an index by a name.
fn field(obj: Expr, key: LuaStr, line: u32) -> Expr {
    Expr::Index {
        obj: Box::new(obj),
        key: Box::new(Expr::Str(key)),
        line,
    }
}
