//! `bench_sim_100k`: the strategy simulator's speed in wasm, in headless Chromium. It
//! runs the core's benchmark configuration (`sim::benchmark_config()`: 100,000
//! cache-aside requests over 10,000 Zipf keys, with a cache small enough to evict) the
//! way the visualizer's "instant" speed does, and prints the time of each run. The
//! target is 100 ms or less; the figure is printed, not asserted, so a loaded machine
//! reports instead of failing. It lives in this crate so that it is built with the web
//! crate's profile settings, as the site is.
//!
//! ```text
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test --release -p cachelab-web \
//!   --target wasm32-unknown-unknown --test sim_bench -- --nocapture
//! ```
//!
//! Debug builds (as in `cargo xtask test`) run one short pass as a smoke test.
#![cfg(target_arch = "wasm32")]

use cachelab_core::sim::{self, SimConfig};
// Linked for its global allocator, so the simulation allocates as the site does.
use cachelab_web as _;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Runs per page load in release builds. Run 1 is what a learner's first click
/// costs (the browser still runs baseline code while it optimizes in the
/// background); the later runs show the optimized speed.
const RUNS: usize = 8;

#[wasm_bindgen_test]
fn bench_sim_100k() {
    let full = sim::benchmark_config();
    let (cfg, runs) = if cfg!(debug_assertions) {
        (
            SimConfig {
                requests: full.requests / 10,
                ..full
            },
            1,
        )
    } else {
        (full, RUNS)
    };
    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .expect("performance");
    let mut times = Vec::with_capacity(runs);
    let mut first = None;
    for run in 1..=runs {
        let start = performance.now();
        let r = sim::run(&cfg).expect("the benchmark configuration is valid");
        let elapsed = performance.now() - start;
        times.push(elapsed);
        assert_eq!(r.metrics.requests, u64::from(cfg.requests));
        match &first {
            None => first = Some(r.metrics),
            Some(m) => assert_eq!(&r.metrics, m, "runs are deterministic"),
        }
        // One line per run, parsed by `cargo xtask bench`.
        console_log!(
            "bench_sim_100k: run {run}/{runs}: {} requests in {elapsed:.2} ms",
            cfg.requests
        );
    }
    let best = times.iter().copied().fold(f64::INFINITY, f64::min);
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let m = first.expect("at least one run");
    let message = format!(
        "bench_sim_100k: {} requests: best {best:.1} ms, median {median:.1} ms over {runs} run(s) \
         [{}] (target <= 100 ms); hit ratio {:.3}, {} db queries, {} evicted",
        m.requests,
        times
            .iter()
            .map(|t| format!("{t:.1}"))
            .collect::<Vec<_>>()
            .join(", "),
        m.hit_ratio,
        m.db_queries,
        m.evicted_keys
    );
    web_sys::console::log_1(&message.clone().into());
    console_log!("{message}");
}
