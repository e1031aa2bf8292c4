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

mod expressions;
mod statements;

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
}

/// `obj.key`: an index by a name.
fn field(obj: Expr, key: LuaStr, line: u32) -> Expr {
    Expr::Index {
        obj: Box::new(obj),
        key: Box::new(Expr::Str(key)),
        line,
    }
}
