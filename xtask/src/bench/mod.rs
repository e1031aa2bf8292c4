//! `cargo xtask bench`: every performance figure CacheLab promises, each
//! printed next to its target, measured in one run on this machine.
//!
//! 1. **Server vs Redis**: redis-benchmark against Debian's redis-server and
//!    our release `cachelab-server`, both running for the whole session on
//!    free ports. For each workload and pipeline depth the runs alternate
//!    redis, ours, redis, ours, ... so drift on the machine (thermal, other
//!    load) hits both alike; the table shows medians and ours/redis (≥ 1.0).
//!    The client and the servers are pinned to different cores when there are two.
//! 2. **Engine alone**: the core's criterion benches (`crates/core/benches`),
//!    then SET/GET/INCR per-op times and the ZADD/ZRANK scaling table from 1k
//!    to 1M members (O(log N): the 1M/1k ratio should stay near 2).
//! 3. **wasm vs native**: the same 100k SET/GET/INCR/EXPIRE mix
//!    (`crates/core/benches/common/mix.rs`) natively (release example) and in
//!    headless Chromium (a wasm-bindgen test of the web crate, built with the
//!    cargo profile the site uses), alternating; slowdown wasm/native (≤ 1.3).
//!    Then the strategy simulator: 100,000 cache-aside requests
//!    (`sim::benchmark_config`) in headless Chromium, in fresh pages: the
//!    first call right after the module loads (compilation included, printed
//!    without a target) and the later ones (≤ 100 ms).
//! 4. **Page**: dist/ rebuilt with Trunk, gzip -9 of its .wasm + .js
//!    (≤ 300 kB), navigation → usable console over cold loads (≤ 500 ms), and
//!    the visualizer's 100,000-request run pressed in fresh pages of the built
//!    site after its idle-time warm-up, as a learner would (first press and
//!    later ones, ≤ 100 ms).
//!
//! A section that fails (say the web crate doesn't build) is reported and the
//! others still run; the command then fails at the end. Timings are never
//! asserted: a figure above target is printed as such, not an error.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::util::{
    cmd, free_port, human_duration, root, run, target_dir, ChildGuard, CommandLine, Result,
};
use crate::web;

mod criterion;
mod page;
mod redis;
mod wasm;

use criterion::criterion_section;
use page::site_section;
use redis::redis_section;
use wasm::{engine_mix_section, sim_section};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

// ---- targets ---------------------------------------------------------------------

/// ours/redis ops/s, per row.
const TARGET_RATIO: f64 = 1.0;
/// wasm time / native time for the engine mix.
const TARGET_WASM_SLOWDOWN: f64 = 1.3;
/// Milliseconds for the 100k-request strategy simulation in wasm.
const TARGET_SIM_MS: f64 = 100.0;
/// gzip -9 bytes of dist/*.wasm + dist/*.js (kB = 1000 bytes).
const TARGET_PAGE_GZIP: u64 = 300_000;
/// Navigation start to a usable console, median of cold loads.
const TARGET_READY_MS: f64 = 500.0;

/// Options of `cargo xtask bench`.
pub struct BenchOptions {
    /// Alternating rounds per configuration (redis-benchmark and the engine
    /// mix); the tables show medians.
    pub rounds: usize,
    /// Cold page loads for the readiness median.
    pub loads: usize,
    pub redis: bool,
    pub criterion: bool,
    pub wasm: bool,
    pub site: bool,
}

/// The closing summary: one line per figure, with its target.
#[derive(Default)]
struct Summary {
    lines: Vec<String>,
    failed: Vec<String>,
}

impl Summary {
    fn figure(&mut self, what: &str, value: String, target: &str, met: Option<bool>) {
        let verdict = match met {
            Some(true) => "ok",
            Some(false) => "MISSES TARGET",
            None => "",
        };
        self.lines.push(format!(
            "{what:<58} {value:>26}   target {target:<14} {verdict}"
        ));
    }
}

pub fn bench(options: &BenchOptions) -> Result {
    let started = Instant::now();
    let mut summary = Summary::default();
    type Section = fn(&BenchOptions, &mut Summary) -> Result;
    let sections: [(&str, bool, Section); 5] = [
        (
            "redis-benchmark: cachelab-server vs redis-server",
            options.redis,
            redis_section,
        ),
        (
            "engine alone: criterion",
            options.criterion,
            criterion_section,
        ),
        (
            "engine mix: wasm vs native",
            options.wasm,
            engine_mix_section,
        ),
        (
            "simulator: 100k requests in wasm",
            options.wasm,
            sim_section,
        ),
        (
            "page: weight, readiness and the simulator in the site",
            options.site,
            site_section,
        ),
    ];
    for (name, enabled, section) in sections {
        if !enabled {
            continue;
        }
        println!("\nxtask: ==> {name}");
        let t0 = Instant::now();
        if let Err(err) = section(options, &mut summary) {
            println!("xtask: FAILED: {name}: {err}");
            summary.failed.push(format!("{name}: {err}"));
        }
        println!("xtask: {name}: {}", human_duration(t0.elapsed()));
    }

    println!("\nxtask: bench summary (medians; kB = 1000 bytes)");
    for line in &summary.lines {
        println!("  {line}");
    }
    for failure in &summary.failed {
        println!("  FAILED: {failure}");
    }
    println!("  total bench time {}", human_duration(started.elapsed()));
    if summary.failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} bench section(s) failed", summary.failed.len()))
    }
}

/// The first run of each page (or process), and all the later ones together.
fn first_and_later(pages: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>) {
    let first = pages
        .iter()
        .filter_map(|runs| runs.first().copied())
        .collect();
    let later = pages
        .iter()
        .flat_map(|runs| runs.iter().skip(1).copied())
        .collect();
    (first, later)
}

fn median(samples: &[f64]) -> Option<f64> {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::criterion::{format_count, format_ns, json_number_after};
    use super::page::{parse_readiness_output, parse_site_sim_output};
    use super::redis::parse_benchmark_output;
    use super::wasm::{parse_runs, MIX_INFIX, MIX_PREFIX};
    use super::*;

    #[test]
    fn parses_quiet_output_with_progress_lines() {
        let output = "SET: rps=101234.0 (overall: 99000.0) avg_msec=0.300 (overall: 0.310)\r\
                      SET: 105485.23 requests per second, p50=0.247 msec\n\
                      GET: rps=0.0 (overall: nan) avg_msec=nan (overall: nan)\r\
                      GET: 110011.00 requests per second, p50=0.231 msec\n\
                      zadd myz __rand_int__ member:__rand_int__: 9000.50 requests per second, p50=1.0 msec\n";
        assert_eq!(
            parse_benchmark_output(output),
            vec![
                ("SET".to_string(), 105485.23),
                ("GET".to_string(), 110011.0),
                (
                    "zadd myz __rand_int__ member:__rand_int__".to_string(),
                    9000.5
                ),
            ]
        );
    }

    #[test]
    fn parses_site_sim_lines() {
        let output = "bench_sim_site: page 1/2: warm-up done 1497 ms after navigation; \
                      100000 requests in ms: 82.3 76.2 76.1\n\
                      noise\n\
                      bench_sim_site: page 2/2: warm-up done 1356 ms after navigation; \
                      100000 requests in ms: 83.9\n\
                      bench_sim_site: page 3/3: broken; 100000 requests in ms: 1 x\n";
        assert_eq!(
            parse_site_sim_output(output),
            vec![vec![82.3, 76.2, 76.1], vec![83.9]]
        );
    }

    #[test]
    fn median_of_rounds() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0]), Some(2.5));
    }

    #[test]
    fn reads_criterion_median() {
        let json = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":3.0},"point_estimate":2.5,"standard_error":0.1},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.5,"upper_bound":2.5},"point_estimate":1.875e3,"standard_error":0.2}}"#;
        assert_eq!(
            json_number_after(json, &["\"median\"", "\"point_estimate\":"]),
            Some(1875.0)
        );
        assert_eq!(json_number_after(json, &["\"nope\""]), None);
    }

    #[test]
    fn parses_engine_mix_lines() {
        let output = "running 1 test\n\
                      engine_mix: run 1/7: 100000 commands in 41.20 ms (2427184 commands/s)\n\
                      log output:\n    engine_mix: run 2/7: 100000 commands in 30.5 ms (3278688 commands/s)\n\
                      test engine_mix ... ok\n";
        assert_eq!(parse_runs(output, MIX_PREFIX, MIX_INFIX), vec![41.2, 30.5]);
        let sim = "bench_sim_100k: run 1/8: 100000 requests in 104.80 ms\n\
                   bench_sim_100k: 100000 requests: best 56.1 ms, median 59.6 ms\n\
                   bench_sim_100k: run 2/8: 100000 requests in 71.5 ms\n";
        assert_eq!(
            parse_runs(sim, "bench_sim_100k: run ", " requests in "),
            vec![104.8, 71.5]
        );
    }

    #[test]
    fn parses_readiness_lines() {
        let output = "readiness: run 1/2: 312.4 ms (ready after 312.4 ms (app mark); ...)\n\
                      readiness: run 2/2: 298.0 ms (ready after 298.0 ms (app mark))\n\
                      readiness: median 305.2 ms\n";
        assert_eq!(parse_readiness_output(output), vec![312.4, 298.0]);
    }

    #[test]
    fn formats_figures() {
        assert_eq!(format_ns(512.3), "512 ns");
        assert_eq!(format_ns(17_571.0), "17.6 µs");
        assert_eq!(format_count(1_000), "1k");
        assert_eq!(format_count(1_000_000), "1M");
    }
}
