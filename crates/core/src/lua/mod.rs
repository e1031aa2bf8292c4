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
//! - [`sha1`] names scripts;
//! - [`bitlib`] and [`structlib`] are Redis's `bit` (LuaBitOp) and `struct`
//!   libraries;
//! - [`cjson`] is Redis's `cjson` library (`cjson.encode`, `cjson.decode`).
//!
//! The `redis` library and the commands live in `cmd::scripting` (EVAL,
//! SCRIPT) and `cmd::functions` (FUNCTION, FCALL).
//!
//! [`table`] is Lua 5.1's table, slot for slot, so `pairs` walks in Redis's
//! order.
//!
//! Deviations from Redis's Lua: calls nest at most [`interp::MAX_DEPTH`] deep (less
//! where the host's stack is small, see [`interp::StackGuard`]); there are
//! no coroutines; `string.dump` makes no bytecode (and `loadstring` refuses
//! binary chunks, as Redis does); code `loadstring` compiles reports its
//! runtime errors under the script's chunk name.

pub mod ast;
pub mod bitlib;
pub mod cjson;
pub mod format;
pub mod interp;
pub mod lexer;
pub mod msgpack;
pub mod parser;
pub mod pattern;
pub mod sha1;
pub mod stdlib;
pub mod structlib;
pub mod table;
pub mod value;

use std::rc::Rc;

/// Compiles a chunk (`chunk` names it in messages: `user_script`);
/// Err is Lua's message (`user_script:1: unexpected symbol near '<eof>'`).
pub fn compile(src: &[u8], chunk: &str) -> Result<Rc<ast::FuncProto>, String> {
    parser::parse_chunk(src).map_err(|e| interp::positioned(chunk, Some(e.line), &e.msg))
}

/// What the libraries' tests share: running a script the way a client does.
#[cfg(test)]
pub(crate) mod testing {
    /// What redis-cli (`--no-raw`) prints for `EVAL script 0`.
    pub fn eval(script: &str) -> String {
        let mut e = crate::Engine::new();
        let mut c = e.new_client();
        let reply = e.execute(
            &mut c,
            vec![b"EVAL".to_vec(), script.as_bytes().to_vec(), b"0".to_vec()],
            1,
        );
        crate::cli::format_reply(&reply)
    }

    /// [`eval`] without the ` script: <sha>, on ...` suffix of errors.
    pub fn eval_err(script: &str) -> String {
        let out = eval(script);
        match out.find(" script: ") {
            Some(i) => out[..i].to_string(),
            None => out,
        }
    }

    /// A hex dump helper to put in front of scripts that call `hx`.
    pub const HX: &str = "local function hx(s) return (string.gsub(s, '.', function(c) \
                          return string.format('%02x', string.byte(c)) end)) end; ";
}
