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
//!    (`sim::benchmark_config`) in headless Chromium, in fresh pages: the first
//!    run of a page (what a learner's first click costs) and the later ones
//!    (≤ 100 ms).
//! 4. **Page**: dist/ rebuilt with Trunk, gzip -9 of its .wasm + .js
//!    (≤ 300 kB), and navigation → usable console over cold loads (≤ 500 ms).
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

// ---- redis-benchmark workloads ----------------------------------------------------

/// One redis-benchmark workload: either built-in tests (`-t`) or a custom
/// command given after the options. Adding a benchmark means adding a row.
struct Workload {
    /// `-t` value, e.g. `"set,get,incr"`; empty for a custom command.
    tests: &'static str,
    /// A custom command, e.g. `&["zadd", "myz", "__rand_int__", "member:__rand_int__"]`.
    command: &'static [&'static str],
    /// Requests (`-n`) per run without pipelining and with `-P 32`.
    requests: (u32, u32),
}

/// Requests for the issue-3 rows, at both pipeline depths: fewer than the
/// string row's 200k with `-P 32`, to keep the whole bench to a few minutes.
const ISSUE3_REQUESTS: (u32, u32) = (100_000, 100_000);

/// In order: `zadd myz` comes before the rows that read `myz`, so it is
/// populated (~63k members after one 100k-request run with `-r 100000`).
const WORKLOADS: &[Workload] = &[
    Workload {
        tests: "set,get,incr",
        command: &[],
        requests: (100_000, 200_000),
    },
    Workload {
        tests: "lpush,lpop,rpush,rpop,sadd,spop,hset",
        command: &[],
        requests: ISSUE3_REQUESTS,
    },
    Workload {
        tests: "",
        command: &["zadd", "myz", "__rand_int__", "member:__rand_int__"],
        requests: ISSUE3_REQUESTS,
    },
    Workload {
        tests: "",
        command: &["zrange", "myz", "0", "9"],
        requests: ISSUE3_REQUESTS,
    },
    Workload {
        tests: "",
        command: &["zscore", "myz", "member:__rand_int__"],
        requests: ISSUE3_REQUESTS,
    },
    Workload {
        tests: "",
        command: &[
            "zrangebyscore",
            "myz",
            "__rand_int__",
            "+inf",
            "limit",
            "0",
            "10",
        ],
        requests: ISSUE3_REQUESTS,
    },
    Workload {
        tests: "",
        command: &["xadd", "s", "*", "f", "v"],
        requests: ISSUE3_REQUESTS,
    },
];

/// Pipeline depths (`-P`).
const PIPELINES: [u32; 2] = [1, 32];

/// Key space for `__rand_int__` (`-r`).
const KEYSPACE: &str = "100000";

// ---- criterion --------------------------------------------------------------------

/// Sorted-set sizes in crates/core/benches/engine.rs.
const ZSET_SIZES: [u64; 4] = [1_000, 10_000, 100_000, 1_000_000];

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
        ("page: weight and readiness", options.site, site_section),
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

// ---- 1. redis-benchmark ------------------------------------------------------------

/// One line of the result table: requests per second, one sample per round.
struct Row {
    pipeline: u32,
    requests: u32,
    command: String,
    redis: Vec<f64>,
    ours: Vec<f64>,
}

/// Rows in the order they were first measured: workload table order, then
/// pipeline depth, then the order redis-benchmark reports commands in.
#[derive(Default)]
struct Table {
    rows: Vec<Row>,
}

impl Table {
    fn row(&mut self, pipeline: u32, requests: u32, command: String) -> &mut Row {
        let found = self
            .rows
            .iter()
            .position(|row| row.pipeline == pipeline && row.command == command);
        let index = found.unwrap_or_else(|| {
            self.rows.push(Row {
                pipeline,
                requests,
                command,
                redis: Vec::new(),
                ours: Vec::new(),
            });
            self.rows.len() - 1
        });
        &mut self.rows[index]
    }
}

fn redis_section(options: &BenchOptions, summary: &mut Summary) -> Result {
    run(cmd("cargo").args(["build", "--release", "-p", "cachelab-server"]))?;
    let ours_bin = target_dir().join("release/cachelab-server");

    let redis_port = free_port()?;
    let mut redis = ChildGuard::spawn(
        "redis-server",
        pinned(SERVER_CPU, "/usr/bin/redis-server")
            .args(["--port", &redis_port.to_string()])
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .args(["--daemonize", "no"])
            .stdout(Stdio::null()),
    )?;
    let ours_port = free_port()?;
    let mut ours = ChildGuard::spawn(
        "cachelab-server",
        pinned(SERVER_CPU, &ours_bin)
            .args(["--port", &ours_port.to_string()])
            // Like redis-server's `--save ""` above: no snapshots mid-run.
            .args(["--save", ""])
            .stdout(Stdio::null()),
    )?;
    redis.wait_for_port(redis_port, Duration::from_secs(20))?;
    ours.wait_for_port(ours_port, Duration::from_secs(20))?;
    println!(
        "xtask: -c 50 clients, -r {KEYSPACE}; set,get,incr with -n {} (-P 1) and -n {} (-P 32); \
         the issue-3 rows with -n {} at both depths, to keep the run short",
        WORKLOADS[0].requests.0, WORKLOADS[0].requests.1, ISSUE3_REQUESTS.0
    );

    let mut table = Table::default();
    for workload in WORKLOADS {
        for pipeline in PIPELINES {
            let requests = if pipeline == 1 {
                workload.requests.0
            } else {
                workload.requests.1
            };
            for round in 0..options.rounds {
                for (is_ours, port) in [(false, redis_port), (true, ours_port)] {
                    let label = if is_ours { "ours" } else { "redis" };
                    let results = redis_benchmark(workload, port, pipeline, requests)
                        .map_err(|err| format!("{label}: {err}"))?;
                    println!(
                        "xtask: round {} -P {pipeline} {label}: {}",
                        round + 1,
                        results
                            .iter()
                            .map(|(name, ops)| format!("{name} {ops:.0}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    for (name, ops) in results {
                        let row = table.row(pipeline, requests, name);
                        if is_ours {
                            row.ours.push(ops);
                        } else {
                            row.redis.push(ops);
                        }
                    }
                }
            }
        }
    }
    drop(ours);
    drop(redis);
    print_table(&table);

    let ratios: Vec<(String, f64)> = table
        .rows
        .iter()
        .filter_map(|row| {
            let (redis, ours) = (median(&row.redis)?, median(&row.ours)?);
            (redis > 0.0).then(|| (format!("{} -P {}", row.command, row.pipeline), ours / redis))
        })
        .collect();
    let below: Vec<&(String, f64)> = ratios.iter().filter(|(_, r)| *r < TARGET_RATIO).collect();
    summary.figure(
        "redis-benchmark rows with ours/redis at or above target",
        format!("{}/{}", ratios.len() - below.len(), ratios.len()),
        &format!(">= {TARGET_RATIO:.1} each"),
        Some(below.is_empty()),
    );
    for (name, ratio) in below {
        summary.figure(
            &format!("  {name}"),
            format!("{ratio:.2}"),
            &format!(">= {TARGET_RATIO:.1}"),
            Some(false),
        );
    }
    Ok(())
}

/// Runs redis-benchmark once and returns (command, requests per second) per
/// command it reports.
fn redis_benchmark(
    workload: &Workload,
    port: u16,
    pipeline: u32,
    requests: u32,
) -> Result<Vec<(String, f64)>> {
    let mut command = pinned(CLIENT_CPU, "redis-benchmark");
    command
        .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q"])
        .args(["-n", &requests.to_string(), "-r", KEYSPACE])
        .args(["-P", &pipeline.to_string()]);
    if !workload.tests.is_empty() {
        command.args(["-t", workload.tests]);
    }
    command.args(workload.command);
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|err| format!("cannot run redis-benchmark: {err}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let results = parse_benchmark_output(&stdout);
    if !output.status.success() || results.is_empty() {
        return Err(format!(
            "`{}` failed ({}):\n{}{}",
            CommandLine(&command),
            output.status,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(results)
}

/// With two or more cores, redis-benchmark runs on one and the server under test
/// on another (`taskset`), so neither the scheduler's placement nor migrations
/// differ between the two servers' runs.
const CLIENT_CPU: &str = "0";
const SERVER_CPU: &str = "1";

/// `program` pinned to `cpu` when the machine has the cores and `taskset`.
fn pinned(cpu: &str, program: impl AsRef<std::ffi::OsStr>) -> Command {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if cores >= 2 && Path::new("/usr/bin/taskset").exists() {
        let mut command = Command::new("/usr/bin/taskset");
        command.args(["-c", cpu]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// Picks `SET: 123456.79 requests per second, p50=...` lines out of
/// redis-benchmark's `-q` output, whose progress lines end in `\r`.
fn parse_benchmark_output(output: &str) -> Vec<(String, f64)> {
    output
        .split(['\r', '\n'])
        .filter_map(|line| {
            let (head, _) = line.split_once("requests per second")?;
            let (name, ops) = head.trim().rsplit_once(' ')?;
            let name = name.trim().trim_end_matches(':').trim();
            Some((name.to_string(), ops.parse().ok()?))
        })
        .collect()
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

fn print_table(table: &Table) {
    let width = table
        .rows
        .iter()
        .map(|row| row.command.len())
        .max()
        .unwrap_or(0)
        .max("command".len());
    println!();
    println!(
        "{:<width$}  {:>3}  {:>7}  {:>12}  {:>12}  {:>10}  {:>6}  ",
        "command", "-P", "-n", "redis ops/s", "ours ops/s", "ours/redis", "target"
    );
    for row in &table.rows {
        let cell = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.0}"));
        let (redis, ours) = (median(&row.redis), median(&row.ours));
        let (ratio, verdict) = match (redis, ours) {
            (Some(r), Some(o)) if r > 0.0 => (
                format!("{:.2}", o / r),
                if o / r >= TARGET_RATIO { "ok" } else { "BELOW" },
            ),
            _ => ("-".to_string(), ""),
        };
        println!(
            "{:<width$}  {:>3}  {:>7}  {:>12}  {:>12}  {ratio:>10}  {:>6}  {verdict}",
            row.command,
            row.pipeline,
            row.requests,
            cell(redis),
            cell(ours),
            format!(">={TARGET_RATIO:.1}"),
        );
    }
}

// ---- 2. criterion ------------------------------------------------------------------

fn criterion_section(_options: &BenchOptions, summary: &mut Summary) -> Result {
    if !root().join("crates/core/benches/engine.rs").is_file() {
        return Err("crates/core/benches/engine.rs is missing".into());
    }
    let started = SystemTime::now();
    run(cmd("cargo").args(["bench", "-p", "cachelab-core", "--bench", "engine"]))?;
    let dir = target_dir().join("criterion");
    // Criterion's median per-iteration time, from this run's estimates only.
    let ns = |id: &str| -> Option<f64> { criterion_median_ns(&dir, id, started) };

    println!("\nengine alone, native (criterion median per op, through Engine::execute, argv allocation included)");
    for (name, id) in [
        ("SET", "commands/set"),
        ("GET", "commands/get"),
        ("INCR", "commands/incr"),
    ] {
        let value = ns(id).map_or("-".into(), format_ns);
        println!("  {name:<5} {value:>10}");
    }

    println!("\nZSET scaling, native: per-op time by members N (build outside the timed loop)");
    let header: String = ZSET_SIZES
        .iter()
        .map(|n| format!("{:>10}", format_count(*n)))
        .collect();
    println!(
        "  {:<6}{header}  {:>9}   (O(log N) ideal: {:.1}x; O(N): {}x)",
        "",
        "1M/1k",
        (1e6f64).ln() / (1e3f64).ln(),
        1000
    );
    for name in ["zadd", "zrank"] {
        let times: Vec<Option<f64>> = ZSET_SIZES
            .iter()
            .map(|n| ns(&format!("zset/{name}/{n}")))
            .collect();
        let cells: String = times
            .iter()
            .map(|t| format!("{:>10}", t.map_or("-".into(), format_ns)))
            .collect();
        let growth = match (
            times.first().copied().flatten(),
            times.last().copied().flatten(),
        ) {
            (Some(small), Some(big)) if small > 0.0 => Some(big / small),
            _ => None,
        };
        let growth_cell = growth.map_or("-".into(), |g| format!("{g:.1}x"));
        println!("  {:<6}{cells}  {growth_cell:>9}", name.to_uppercase());
        summary.figure(
            &format!("{} per op 1k -> 1M members (growth)", name.to_uppercase()),
            format!(
                "{} -> {} ({growth_cell})",
                times[0].map_or("-".into(), format_ns),
                times[3].map_or("-".into(), format_ns)
            ),
            "O(log N) ~2x",
            None,
        );
    }
    Ok(())
}

/// The median point estimate (ns) in criterion's `<dir>/<id>/new/estimates.json`,
/// if that file was written after `since`.
fn criterion_median_ns(dir: &Path, id: &str, since: SystemTime) -> Option<f64> {
    let path = dir.join(id).join("new/estimates.json");
    let modified = fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    if modified < since {
        return None;
    }
    let json = fs::read_to_string(&path).ok()?;
    json_number_after(&json, &["\"median\"", "\"point_estimate\":"])
}

/// The number after the last of `keys`, each searched for after the previous
/// one: enough JSON for criterion's flat estimates file.
fn json_number_after(json: &str, keys: &[&str]) -> Option<f64> {
    let mut rest = json;
    for key in keys {
        rest = &rest[rest.find(key)? + key.len()..];
    }
    let rest = rest.trim_start_matches([':', ' ']);
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

fn format_ns(ns: f64) -> String {
    if ns >= 10_000.0 {
        format!("{:.1} µs", ns / 1000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

fn format_count(n: u64) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

// ---- 3. engine mix: wasm vs native ---------------------------------------------------

/// How the engine mix reports a run: `engine_mix: run K/N: C commands in X ms`.
const MIX_PREFIX: &str = "engine_mix: run ";
const MIX_INFIX: &str = " commands in ";

/// Minimum alternating native/wasm rounds of the engine mix.
const MIX_ROUNDS: usize = 5;

/// Runs per process (of `mix::RUNS`, 15) left out of the median as warm-up.
const MIX_WARMUP: usize = 5;

fn engine_mix_section(options: &BenchOptions, summary: &mut Summary) -> Result {
    let profile = web::site_cargo_profile();
    println!(
        "xtask: native: release profile (as cachelab-server); wasm: cargo profile `{profile}` \
         (the one Trunk builds the site with), without wasm-opt"
    );
    run(cmd("cargo").args([
        "build",
        "--release",
        "-p",
        "cachelab-core",
        "--example",
        "engine_mix",
    ]))?;
    let native_bin = target_dir().join("release/examples/engine_mix");
    run(&mut wasm_test_command(&profile, "engine_mix", true))?;

    let mut native: Vec<Vec<f64>> = Vec::new();
    let mut wasm: Vec<Vec<f64>> = Vec::new();
    // Rounds are cheap here (a few seconds each), so at least MIX_ROUNDS.
    for round in 1..=options.rounds.max(MIX_ROUNDS) {
        let runs = timed_runs(&mut Command::new(&native_bin), MIX_PREFIX, MIX_INFIX)?;
        println!("xtask: round {round} native ms: {}", join_ms(&runs));
        native.push(runs);
        let runs = timed_runs(
            &mut wasm_test_command(&profile, "engine_mix", false),
            MIX_PREFIX,
            MIX_INFIX,
        )?;
        println!("xtask: round {round} wasm   ms: {}", join_ms(&runs));
        wasm.push(runs);
        // Let the browser's processes finish exiting before the native run.
        std::thread::sleep(Duration::from_millis(500));
    }
    // The first MIX_WARMUP runs of each process are warm-up: in Chromium, V8
    // tiers the hot functions up to optimized code over several runs (the
    // wasm times settle by about the 6th). The figure is the median of the rest.
    let warm = |rounds: &[Vec<f64>]| -> Vec<f64> {
        rounds
            .iter()
            .flat_map(|runs| runs.iter().skip(MIX_WARMUP).copied())
            .collect()
    };
    let cold = |rounds: &[Vec<f64>]| -> Vec<f64> {
        rounds
            .iter()
            .filter_map(|runs| runs.first().copied())
            .collect()
    };
    let (Some(native_ms), Some(wasm_ms)) = (median(&warm(&native)), median(&warm(&wasm))) else {
        return Err("no engine_mix timings".into());
    };
    let native_cold = median(&cold(&native)).unwrap_or(f64::NAN);
    let wasm_cold = median(&cold(&wasm)).unwrap_or(f64::NAN);
    // The fastest warm run: what the machine does when nothing else competes
    // for its cores (context for a noisy median; the target uses the median).
    let fastest = |rounds: &[Vec<f64>]| warm(rounds).into_iter().fold(f64::NAN, f64::min);
    let (native_best, wasm_best) = (fastest(&native), fastest(&wasm));
    let slowdown = wasm_ms / native_ms;
    println!(
        "\nengine mix: 100k SET/GET/INCR/EXPIRE through Engine::execute \
         (median of runs {}.. of every round; run 1 = cold)",
        MIX_WARMUP + 1
    );
    println!(
        "  native  {native_ms:>8.2} ms   (cold {native_cold:.2} ms, fastest {native_best:.2} ms)"
    );
    println!(
        "  wasm    {wasm_ms:>8.2} ms   (cold {wasm_cold:.2} ms, fastest {wasm_best:.2} ms)   \
         profile `{profile}`"
    );
    println!(
        "  slowdown wasm/native {slowdown:.2}x   target <= {TARGET_WASM_SLOWDOWN:.1}x   {}   \
         (fastest runs: {:.2}x)",
        if slowdown <= TARGET_WASM_SLOWDOWN {
            "ok"
        } else {
            "MISSES TARGET"
        },
        wasm_best / native_best
    );
    summary.figure(
        "engine mix wasm/native (100k commands)",
        format!("{slowdown:.2}x ({wasm_ms:.1} / {native_ms:.1} ms)"),
        &format!("<= {TARGET_WASM_SLOWDOWN:.1}x"),
        Some(slowdown <= TARGET_WASM_SLOWDOWN),
    );
    Ok(())
}

/// Fresh pages of the simulator benchmark; each runs it `RUNS` (8) times.
const SIM_PAGES: usize = 3;

fn sim_section(options: &BenchOptions, summary: &mut Summary) -> Result {
    let profile = web::site_cargo_profile();
    println!("xtask: wasm built with cargo profile `{profile}` (as the site), without wasm-opt");
    run(&mut wasm_test_command(&profile, "sim_bench", true))?;
    let mut pages: Vec<Vec<f64>> = Vec::new();
    for page in 1..=options.rounds.max(SIM_PAGES) {
        let runs = timed_runs(
            &mut wasm_test_command(&profile, "sim_bench", false),
            "bench_sim_100k: run ",
            " requests in ",
        )?;
        println!("xtask: page {page} ms: {}", join_ms(&runs));
        pages.push(runs);
    }
    let first: Vec<f64> = pages
        .iter()
        .filter_map(|runs| runs.first().copied())
        .collect();
    let later: Vec<f64> = pages
        .iter()
        .flat_map(|runs| runs.iter().skip(1).copied())
        .collect();
    let (Some(first_ms), Some(later_ms)) = (median(&first), median(&later)) else {
        return Err("no bench_sim_100k timings".into());
    };
    let verdict = |ms: f64| {
        if ms <= TARGET_SIM_MS {
            "ok"
        } else {
            "MISSES TARGET"
        }
    };
    println!("\nsimulator: 100k cache-aside requests over 10k Zipf keys, with eviction");
    println!(
        "  first run of a page  {first_ms:>8.1} ms   target <= {TARGET_SIM_MS:.0} ms   {}",
        verdict(first_ms)
    );
    println!(
        "  later runs           {later_ms:>8.1} ms   target <= {TARGET_SIM_MS:.0} ms   {}",
        verdict(later_ms)
    );
    summary.figure(
        "simulator 100k requests, wasm, first run",
        format!("{first_ms:.1} ms"),
        &format!("<= {TARGET_SIM_MS:.0} ms"),
        Some(first_ms <= TARGET_SIM_MS),
    );
    summary.figure(
        "simulator 100k requests, wasm, later runs",
        format!("{later_ms:.1} ms"),
        &format!("<= {TARGET_SIM_MS:.0} ms"),
        Some(later_ms <= TARGET_SIM_MS),
    );
    Ok(())
}

/// `cargo test --profile P -p cachelab-web --target wasm32 --test TEST`,
/// either only building (`--no-run`, output live) or running it.
fn wasm_test_command(profile: &str, test: &str, build_only: bool) -> Command {
    let mut c = cmd("cargo");
    c.args(["test", "--profile", profile, "-p", "cachelab-web"])
        .args(["--target", WASM_TARGET, "--test", test])
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    if build_only {
        c.arg("--no-run");
    } else {
        // Never -q: wasm-bindgen-test-runner rejects --quiet.
        c.args(["--", "--nocapture"]);
    }
    c
}

/// Runs a benchmark binary and returns the milliseconds of each run it reports
/// (see [`parse_runs`]).
fn timed_runs(command: &mut Command, prefix: &str, infix: &str) -> Result<Vec<f64>> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|err| format!("cannot run `{}`: {err}", CommandLine(command)))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let times = parse_runs(&stdout, prefix, infix);
    if !output.status.success() || times.is_empty() {
        return Err(format!(
            "`{}` failed ({}):\n{stdout}{}",
            CommandLine(command),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(times)
}

/// The `X` of each `<prefix>K/N: C<infix>X ms` line, e.g. prefix
/// `engine_mix: run ` and infix ` commands in `.
fn parse_runs(output: &str, prefix: &str, infix: &str) -> Vec<f64> {
    output
        .lines()
        .filter_map(|line| {
            let rest = &line[line.find(prefix)?..];
            let (_, rest) = rest.split_once(infix)?;
            let (ms, _) = rest.split_once(" ms")?;
            ms.trim().parse().ok()
        })
        .collect()
}

fn join_ms(times: &[f64]) -> String {
    times
        .iter()
        .map(|t| format!("{t:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

// ---- 4. page: weight and readiness ---------------------------------------------------

fn site_section(options: &BenchOptions, summary: &mut Summary) -> Result {
    web::build()?;
    let dist = root().join("dist");
    let mut files: Vec<PathBuf> = fs::read_dir(&dist)
        .map_err(|err| format!("reading {}: {err}", dist.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wasm" | "js")))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{} has no .wasm or .js", dist.display()));
    }
    println!("\npage weight (dist/, gzip -9)");
    let (mut raw_total, mut gz_total) = (0u64, 0u64);
    for file in &files {
        let raw = fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        let gz = gzip_size(file)?;
        raw_total += raw;
        gz_total += gz;
        let name = file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        println!(
            "  {name:<44} {:>9.1} kB raw  {:>8.1} kB gz",
            kb(raw),
            kb(gz)
        );
    }
    let met = gz_total <= TARGET_PAGE_GZIP;
    println!(
        "  {:<44} {:>9.1} kB raw  {:>8.1} kB gz   target <= {:.0} kB gz   {}",
        "total .wasm + .js",
        kb(raw_total),
        kb(gz_total),
        kb(TARGET_PAGE_GZIP),
        if met { "ok" } else { "MISSES TARGET" }
    );
    summary.figure(
        "page weight, gzip -9 of dist .wasm + .js",
        format!("{:.1} kB ({gz_total} B)", kb(gz_total)),
        &format!("<= {:.0} kB", kb(TARGET_PAGE_GZIP)),
        Some(met),
    );

    // Navigation → usable console, cold loads in fresh browsers.
    let mut readiness = cmd("cargo");
    readiness
        .args([
            "run",
            "-p",
            "cachelab-tests",
            "--example",
            "bench_readiness",
            "--",
        ])
        .arg(options.loads.to_string())
        .env("CACHELAB_DIST", &dist)
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("CACHELAB_CHROMIUM", CHROMIUM);
    println!("xtask: $ {}", CommandLine(&readiness));
    let output = readiness
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| format!("cannot run bench_readiness: {err}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    let times = parse_readiness_output(&stdout);
    if !output.status.success() || times.is_empty() {
        return Err(format!("bench_readiness failed ({})", output.status));
    }
    let ready = median(&times).unwrap_or(f64::NAN);
    let met = ready <= TARGET_READY_MS;
    println!(
        "  navigation -> usable console: median {ready:.1} ms of {} cold loads   target <= {TARGET_READY_MS:.0} ms   {}",
        times.len(),
        if met { "ok" } else { "MISSES TARGET" }
    );
    summary.figure(
        &format!("navigation -> console ready ({} cold loads)", times.len()),
        format!("{ready:.1} ms"),
        &format!("<= {TARGET_READY_MS:.0} ms"),
        Some(met),
    );
    Ok(())
}

fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1000.0
}

/// Bytes of `gzip -9c file`.
fn gzip_size(file: &Path) -> Result<u64> {
    let output = Command::new("gzip")
        .arg("-9c")
        .arg(file)
        .stdin(Stdio::null())
        .output()
        .map_err(|err| format!("cannot run gzip: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "gzip -9c {} failed ({})",
            file.display(),
            output.status
        ));
    }
    Ok(output.stdout.len() as u64)
}

/// The `X` of each `readiness: run K/N: X ms (...)` line.
fn parse_readiness_output(output: &str) -> Vec<f64> {
    output
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("readiness: run ")?;
            let (_, rest) = rest.split_once(": ")?;
            let (ms, _) = rest.split_once(" ms")?;
            ms.trim().parse().ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
