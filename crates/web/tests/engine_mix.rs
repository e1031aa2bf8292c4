//! The wasm half of `cargo xtask bench`'s wasm/native comparison: the engine
//! command mix of crates/core/benches/common/mix.rs (the same file the native
//! example `crates/core/examples/engine_mix.rs` runs), timed with
//! `performance.now()` in headless Chromium. It lives in this crate so that it
//! is built with the web crate's profile settings, as the site is.
//!
//! ```text
//! CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
//!   cargo test --release -p cachelab-web --target wasm32-unknown-unknown \
//!   --test engine_mix -- --nocapture
//! ```
//!
//! Debug builds (as in `cargo xtask test`) run one short pass as a smoke test.
#![cfg(target_arch = "wasm32")]

#[path = "../../core/benches/common/mix.rs"]
mod mix;

// Linked for its global allocator, so the mix allocates as the site does.
use cachelab_web as _;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn engine_mix() {
    let (commands, runs) = if cfg!(debug_assertions) {
        (mix::COMMANDS / 10, 1)
    } else {
        (mix::COMMANDS, mix::RUNS)
    };
    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .expect("performance");
    for run in 1..=runs {
        let elapsed_ms = mix::run_mix(commands, || performance.now());
        let line = mix::report(run, runs, commands, elapsed_ms);
        console_log!("{line}");
    }
}
