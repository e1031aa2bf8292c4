//! `cargo xtask bench`: redis-benchmark against Debian's redis-server and our
//! release `cachelab-server`, side by side on this machine, then the core's
//! criterion benches if there are any.
//!
//! Both servers run for the whole session, on free ports. For each workload
//! and pipeline depth the runs alternate redis, ours, redis, ours, ... so that
//! drift on the machine (thermal, other load) hits both alike.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::{cmd, free_port, root, run, target_dir, ChildGuard, CommandLine, Result};

/// One redis-benchmark workload: either built-in tests (`-t`) or a custom
/// command given after the options. Adding a benchmark means adding a row.
struct Workload {
    /// `-t` value, e.g. `"set,get,incr"`; empty for a custom command.
    tests: &'static str,
    /// A custom command, e.g. `&["zadd", "myz", "__rand_int__", "member:__rand_int__"]`.
    command: &'static [&'static str],
}

const WORKLOADS: &[Workload] = &[Workload {
    tests: "set,get,incr",
    command: &[],
}];

/// Pipeline depths (`-P`) and how many requests (`-n`) each run makes.
const PIPELINES: &[(u32, u32)] = &[(1, 100_000), (32, 200_000)];

/// Key space for `__rand_int__` (`-r`).
const KEYSPACE: &str = "100000";

/// One line of the result table: requests per second, one sample per round.
struct Row {
    pipeline: u32,
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
    fn row(&mut self, pipeline: u32, command: String) -> &mut Row {
        let found = self
            .rows
            .iter()
            .position(|row| row.pipeline == pipeline && row.command == command);
        let index = found.unwrap_or_else(|| {
            self.rows.push(Row {
                pipeline,
                command,
                redis: Vec::new(),
                ours: Vec::new(),
            });
            self.rows.len() - 1
        });
        &mut self.rows[index]
    }
}

/// Options of `cargo xtask bench`.
pub struct BenchOptions {
    /// Alternating rounds per configuration; the table shows the median.
    pub rounds: usize,
    /// Also run `cargo bench -p cachelab-core` when crates/core/benches exists.
    pub criterion: bool,
}

pub fn bench(options: &BenchOptions) -> Result {
    run(cmd("cargo").args(["build", "--release", "-p", "cachelab-server"]))?;
    let ours_bin = target_dir().join("release/cachelab-server");

    let redis_port = free_port()?;
    let mut redis = ChildGuard::spawn(
        "redis-server",
        Command::new("/usr/bin/redis-server")
            .args(["--port", &redis_port.to_string()])
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .args(["--daemonize", "no"])
            .stdout(Stdio::null()),
    )?;
    let ours_port = free_port()?;
    let mut ours = ChildGuard::spawn(
        "cachelab-server",
        Command::new(&ours_bin)
            .args(["--port", &ours_port.to_string()])
            .stdout(Stdio::null()),
    )?;
    redis.wait_for_port(redis_port, Duration::from_secs(20))?;
    ours.wait_for_port(ours_port, Duration::from_secs(20))?;

    let mut table = Table::default();
    for workload in WORKLOADS {
        for &(pipeline, requests) in PIPELINES {
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
                        let row = table.row(pipeline, name);
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

    if options.criterion && root().join("crates/core/benches").is_dir() {
        run(cmd("cargo").args(["bench", "-p", "cachelab-core"]))?;
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
    let mut command = Command::new("redis-benchmark");
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
        "{:<width$}  {:>8}  {:>14}  {:>14}  {:>11}",
        "command", "pipeline", "redis ops/s", "ours ops/s", "ours/redis"
    );
    for row in &table.rows {
        let cell = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.0}"));
        let (redis, ours) = (median(&row.redis), median(&row.ours));
        let ratio = match (redis, ours) {
            (Some(r), Some(o)) if r > 0.0 => format!("{:.2}", o / r),
            _ => "-".to_string(),
        };
        println!(
            "{:<width$}  {:>8}  {:>14}  {:>14}  {ratio:>11}",
            row.command,
            row.pipeline,
            cell(redis),
            cell(ours)
        );
    }
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
}
