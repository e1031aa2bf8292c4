//! Simulator benchmark in the built site for `cargo xtask bench`: PAGES fresh
//! headless Chromiums each load `dist/` (or `CACHELAB_DIST`), wait until the page is
//! ready and the visualizer's idle-time warm-up is done, then press Run RUNS times on
//! a 100,000-request cache-aside run ([`prepare_100k_run`]), as a learner would.
//!
//! ```text
//! cargo run -p cachelab-tests --example bench_sim_site -- 3 3
//! ```
//!
//! Prints one `bench_sim_site: page K/N: ...` line per page, listing the compute time
//! of each run (the first click first); `cargo xtask bench` parses them.
//!
//! [`prepare_100k_run`]: cachelab_tests::e2e::visualizer::prepare_100k_run

use std::process::ExitCode;

use cachelab_tests::e2e::visualizer::bench_site_runs;
use cachelab_tests::e2e::Setup;

fn arg(n: usize, default: usize) -> Option<usize> {
    match std::env::args().nth(n).map(|a| a.parse::<usize>()) {
        None => Some(default),
        Some(Ok(v)) if v > 0 => Some(v),
        Some(_) => None,
    }
}

fn main() -> ExitCode {
    let (Some(pages), Some(runs)) = (arg(1, 3), arg(2, 3)) else {
        eprintln!("usage: bench_sim_site [PAGES] [RUNS]  (positive numbers, default 3 3)");
        return ExitCode::FAILURE;
    };
    let setup = match Setup::from_env() {
        Ok(setup) => setup,
        Err(why) => {
            eprintln!("bench_sim_site: {why}");
            return ExitCode::FAILURE;
        }
    };
    let results = match bench_site_runs(&setup, pages, runs) {
        Ok(results) => results,
        Err(e) => {
            eprintln!("bench_sim_site: {e}");
            return ExitCode::FAILURE;
        }
    };
    for (i, page) in results.iter().enumerate() {
        let runs: Vec<String> = page.runs_ms.iter().map(|ms| format!("{ms:.1}")).collect();
        println!(
            "bench_sim_site: page {}/{pages}: warm-up done {:.0} ms after navigation; \
             100000 requests in ms: {}",
            i + 1,
            page.warmed_at_ms,
            runs.join(" ")
        );
    }
    ExitCode::SUCCESS
}
