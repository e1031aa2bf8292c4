//! A Lua 5.1 interpreter for Redis scripts (EVAL, EVALSHA, SCRIPT).
//!
//! Written for this engine rather than bound to C Lua, so it builds for wasm
//! with the rest of the core, never panics, and can't take its host down:
//! calls nest to a fixed depth, allocation has a budget, and the host is
//! asked at intervals whether the script has run too long.
//!
//! - [`lexer`] and [`parser`] turn a script into the tree of [`ast`], with
//!   Lua 5.1's syntax errors;
//! - [`interp`] walks it; [`value`] holds the values and tables;
//! - [`stdlib`] is the base, `string`, `table` and `math` libraries, on top of
//!   [`pattern`] (Lua patterns) and [`format`] (`%.14g`, `string.format`);
//! - [`sha1`] names scripts.
//!
//! The `redis` library and the commands live in `cmd::scripting`.
//!
//! Deviations from Redis's Lua: `pairs` walks a table's hash part in
//! insertion order; calls nest at most [`interp::MAX_DEPTH`] deep; there are
//! no coroutines, `loadstring`, `cjson`, `cmsgpack`, `struct` or `bit`.

pub mod ast;
pub mod format;
pub mod interp;
pub mod lexer;
pub mod parser;
pub mod pattern;
pub mod sha1;
pub mod stdlib;
pub mod value;

use std::rc::Rc;

/// Compiles a script body; Err is Lua's message (`user_script:1: unexpected
/// symbol near '<eof>'`).
pub fn compile(src: &[u8]) -> Result<Rc<ast::FuncProto>, String> {
    parser::parse_chunk(src).map_err(|e| interp::positioned(Some(e.line), &e.msg))
}
