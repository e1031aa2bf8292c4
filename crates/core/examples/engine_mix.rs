//! The native half of `cargo xtask bench`'s wasm/native comparison: the engine
//! command mix of `benches/common/mix.rs`, [`mix::RUNS`] times on fresh
//! engines, one `engine_mix: run ...` line per run. Build it with the release
//! profile, like the server:
//!
//! ```text
//! cargo run --release -p cachelab-core --example engine_mix
//! ```

#[path = "../benches/common/mix.rs"]
mod mix;

use std::time::Instant;

fn main() {
    let commands = if cfg!(debug_assertions) {
        mix::COMMANDS / 10
    } else {
        mix::COMMANDS
    };
    let origin = Instant::now();
    let now_ms = || origin.elapsed().as_secs_f64() * 1000.0;
    for run in 1..=mix::RUNS {
        let elapsed_ms = mix::run_mix(commands, now_ms);
        println!("{}", mix::report(run, mix::RUNS, commands, elapsed_ms));
    }
}
