//! Page-load benchmark for `cargo xtask bench`: N cold loads of the built site
//! (`dist/`, or `CACHELAB_DIST`), each in a fresh headless Chromium with an
//! empty profile, timed from navigation start to a usable console
//! (`body[data-ready="1"]`) by [`bench_readiness`].
//!
//! ```text
//! cargo run -p cachelab-tests --example bench_readiness -- 5
//! ```
//!
//! Prints one `readiness: run K/N: X ms (...)` line per load, then the median.

use std::process::ExitCode;

use cachelab_tests::e2e::{bench_readiness, Setup};

fn main() -> ExitCode {
    let runs = match std::env::args().nth(1).map(|arg| arg.parse::<usize>()) {
        None => 5,
        Some(Ok(runs)) if runs > 0 => runs,
        Some(_) => {
            eprintln!("usage: bench_readiness [LOADS]  (a positive number, default 5)");
            return ExitCode::FAILURE;
        }
    };
    let setup = match Setup::from_env() {
        Ok(setup) => setup,
        Err(why) => {
            eprintln!("bench_readiness: {why}");
            return ExitCode::FAILURE;
        }
    };
    let results = match bench_readiness(&setup, runs) {
        Ok(results) => results,
        Err(e) => {
            eprintln!("bench_readiness: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut ready: Vec<f64> = Vec::with_capacity(results.len());
    for (i, readiness) in results.iter().enumerate() {
        println!(
            "readiness: run {}/{runs}: {:.1} ms ({readiness})",
            i + 1,
            readiness.ready_ms
        );
        ready.push(readiness.ready_ms);
    }
    ready.sort_by(f64::total_cmp);
    println!("readiness: median {:.1} ms", ready[ready.len() / 2]);
    ExitCode::SUCCESS
}
