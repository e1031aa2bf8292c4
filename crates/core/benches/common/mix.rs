//! The engine command mix that is timed both natively and in the browser, so
//! that `cargo xtask bench` can print the wasm/native slowdown of the very same
//! work: 100k SET/GET/INCR/EXPIRE commands straight into `Engine::execute`, building each
//! argv inside the timed loop, as a client or the RESP parser would. The
//! numbers in keys and values are written with the engine's own digit writer:
//! `format!` would time `core::fmt` (whose integer formatting is several times
//! slower in wasm) rather than the engine.
//!
//! One source file, included with `#[path]` by
//! - `crates/core/examples/engine_mix.rs` (native, `cargo run --release`), and
//! - `crates/web/tests/engine_mix.rs` (wasm32 in headless Chromium,
//!   `cargo test --release --target wasm32-unknown-unknown`).
//!
//! Both print `engine_mix: run K/N: C commands in X ms` lines, which xtask
//! parses.

use cachelab_core::num::push_u64;
use cachelab_core::Engine;

/// Commands per run.
pub const COMMANDS: u64 = 100_000;

/// Runs per process; the first half is warm-up, which `cargo xtask bench`
/// leaves out of its median: V8 tiers wasm up over several runs, and on two
/// cores the browser's own start-up work competes with the first ~20.
pub const RUNS: usize = 40;

/// Runs the mix on a fresh engine and returns the elapsed milliseconds of the
/// command loop as measured by `now_ms` (engine creation and teardown are not
/// timed). Panics if any command fails.
pub fn run_mix(commands: u64, now_ms: impl Fn() -> f64) -> f64 {
    let mut engine = Engine::new();
    let mut client = engine.new_client();
    let t0_us = 1_700_000_000_000_000;
    let start = now_ms();
    for i in 0..commands {
        let key = text(b"key:", i % 1000);
        let argv = match i % 4 {
            0 => vec![b"SET".to_vec(), key, text(b"value-", i)],
            1 => vec![b"GET".to_vec(), key],
            2 => vec![b"INCR".to_vec(), text(b"counter:", i % 100)],
            _ => vec![b"EXPIRE".to_vec(), key, b"100".to_vec()],
        };
        let reply = engine.execute(&mut client, argv, t0_us + i);
        assert!(!reply.is_error(), "command {i} failed: {reply:?}");
    }
    let elapsed_ms = now_ms() - start;
    drop(engine);
    elapsed_ms
}

/// `prefix` followed by `n` in decimal.
fn text(prefix: &[u8], n: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(prefix.len() + 20);
    out.extend_from_slice(prefix);
    push_u64(&mut out, n);
    out
}

/// The line both shells print for run `run` of `runs`.
pub fn report(run: usize, runs: usize, commands: u64, elapsed_ms: f64) -> String {
    format!(
        "engine_mix: run {run}/{runs}: {commands} commands in {elapsed_ms:.2} ms ({:.0} commands/s)",
        commands as f64 / (elapsed_ms / 1000.0)
    )
}
