//! The syntax tree the parser builds and the interpreter walks. Names are
//! resolved while parsing: a local is a slot in its function's frame, an
//! upvalue an index into the closure's captured cells, anything else a
//! global.

use std::cell::Cell as StdCell;
use std::rc::Rc;

use super::value::LuaStr;

/// A compiled function (the script itself is one, taking `...`).
pub struct FuncProto {
    pub params: usize,
    pub vararg: bool,
    /// Frame size: the most slots live at once.
    pub slots: usize,
    pub body: Block,
    /// Where each upvalue comes from in the enclosing function, when the
    /// closure is created.
    pub upvals: Vec<UpvalSource>,
    pub upval_names: Vec<LuaStr>,
    /// Which parameters are captured by an inner function (they live in cells).
    pub param_decls: Vec<Rc<LocalDecl>>,
    pub line: u32,
}

#[derive(Clone, Copy)]
pub enum UpvalSource {
    /// A local (a slot holding a cell) of the enclosing function.
    Local(usize),
    /// An upvalue of the enclosing function.
    Upval(usize),
}

/// A local variable's declaration: its slot, and whether any inner function
/// captures it (then the slot holds a shared cell instead of a value).
pub struct LocalDecl {
    pub slot: usize,
    pub name: LuaStr,
    pub captured: StdCell<bool>,
}

pub type Block = Vec<Stat>;

pub enum Stat {
    Expr(Expr),
    Local {
        decls: Vec<Rc<LocalDecl>>,
        exprs: Vec<Expr>,
        line: u32,
    },
    /// `local function f`: f is in scope inside its own body.
    LocalFunction {
        decl: Rc<LocalDecl>,
        func: Rc<FuncProto>,
    },
    Assign {
        targets: Vec<Expr>,
        exprs: Vec<Expr>,
        line: u32,
    },
    Do(Block),
    While {
        cond: Expr,
        body: Block,
        line: u32,
    },
    Repeat {
        body: Block,
        cond: Expr,
    },
    If {
        arms: Vec<(Expr, Block)>,
        otherwise: Option<Block>,
    },
    NumFor {
        var: Rc<LocalDecl>,
        start: Expr,
        limit: Expr,
        step: Option<Expr>,
        body: Block,
        line: u32,
    },
    GenFor {
        vars: Vec<Rc<LocalDecl>>,
        exprs: Vec<Expr>,
        body: Block,
        line: u32,
    },
    Return {
        exprs: Vec<Expr>,
        line: u32,
    },
    Break,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Concat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
    Len,
}

pub enum Expr {
    Nil,
    True,
    False,
    Num(f64),
    Str(LuaStr),
    Vararg,
    Function(Rc<FuncProto>),
    Local(usize, LuaStr),
    Upval(usize, LuaStr),
    Global(LuaStr, u32),
    Index {
        obj: Box<Expr>,
        key: Box<Expr>,
        line: u32,
    },
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        line: u32,
    },
    Method {
        obj: Box<Expr>,
        name: LuaStr,
        args: Vec<Expr>,
        line: u32,
    },
    Bin {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        line: u32,
    },
    Un {
        op: UnOp,
        expr: Box<Expr>,
        line: u32,
    },
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Table {
        items: Vec<Expr>,
        fields: Vec<(Expr, Expr)>,
        /// Order of evaluation: `true` for a positional item, in source order.
        order: Vec<bool>,
        line: u32,
    },
    /// `(f())`: one value only.
    Paren(Box<Expr>),
}

impl Expr {
    /// Whether the expression can produce several values (a call or `...`).
    pub fn is_multi(&self) -> bool {
        matches!(self, Expr::Call { .. } | Expr::Method { .. } | Expr::Vararg)
    }
}
