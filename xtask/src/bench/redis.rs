//! Section 1: redis-benchmark against redis-server and cachelab-server, alternating,
//! pinned to separate cores, with ours/redis per row.

use super::*;

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

pub(super) fn redis_section(options: &BenchOptions, summary: &mut Summary) -> Result {
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
    let scaling = zset_scaling(redis_port, ours_port, summary);
    drop(ours);
    drop(redis);
    scaling
}

/// Runs redis-benchmark once and returns (command, requests per second) per
/// command it reports.
fn redis_benchmark(
    workload: &Workload,
    port: u16,
    pipeline: u32,
    requests: u32,
) -> Result<Vec<(String, f64)>> {
    run_redis_benchmark(
        port,
        pipeline,
        requests,
        KEYSPACE,
        workload.tests,
        workload.command,
    )
}

/// redis-benchmark with `-t tests` (when not empty) or a custom `command`.
fn run_redis_benchmark(
    port: u16,
    pipeline: u32,
    requests: u32,
    keyspace: &str,
    tests: &str,
    command: &[&str],
) -> Result<Vec<(String, f64)>> {
    let mut bench = pinned(CLIENT_CPU, "redis-benchmark");
    bench
        .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q"])
        .args(["-n", &requests.to_string(), "-r", keyspace])
        .args(["-P", &pipeline.to_string()]);
    if !tests.is_empty() {
        bench.args(["-t", tests]);
    }
    bench.args(command);
    let output = bench
        .stdin(Stdio::null())
        .output()
        .map_err(|err| format!("cannot run redis-benchmark: {err}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let results = parse_benchmark_output(&stdout);
    if !output.status.success() || results.is_empty() {
        return Err(format!(
            "`{}` failed ({}):\n{}{}",
            CommandLine(&bench),
            output.status,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(results)
}

// ---- sorted-set scaling against Redis -------------------------------------------------

/// Set sizes of the scaling table.
const SCALING_SIZES: [(&str, u32); 2] = [("1k", 1_000), ("1M", 1_000_000)];
/// Pipeline depth for the scaling table: deep enough that the server, not the
/// client, is the bottleneck on a large set.
const SCALING_PIPELINE: u32 = 64;
const SCALING_REQUESTS: u32 = 200_000;
const SCALING_ROUNDS: usize = 3;

/// The same ZADD (score update of a random existing member) and ZRANK as the
/// criterion benches, sent to both servers on sorted sets of 1k and 1M members:
/// per-op time in µs (1 / throughput at `-P 64`) and how much it grows from 1k to
/// 1M. A skiplist's per-op time grows with N by more than log N alone, because its
/// steps miss the CPU cache once the set outgrows it; Redis's table shows how much
/// of the criterion growth is that.
fn zset_scaling(redis_port: u16, ours_port: u16, summary: &mut Summary) -> Result {
    let servers = [("redis", redis_port), ("ours", ours_port)];
    // (command, size) -> per server, µs per op of each round.
    let mut table: Vec<(String, &str, [Vec<f64>; 2])> = Vec::new();
    for (size_name, n) in SCALING_SIZES {
        let key = format!("zscale:{size_name}");
        let keyspace = n.to_string();
        // Fill: 3n random ZADDs reach ~95% of the n possible members.
        for (_, port) in servers {
            run_redis_benchmark(
                port,
                SCALING_PIPELINE,
                n.saturating_mul(3).max(10_000),
                &keyspace,
                "",
                &["zadd", &key, "__rand_int__", "m:__rand_int__"],
            )?;
        }
        let commands: [&[&str]; 2] = [
            &["zadd", &key, "__rand_int__", "m:__rand_int__"],
            &["zrank", &key, "m:__rand_int__"],
        ];
        for command in commands {
            let mut per_server: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
            for _ in 0..SCALING_ROUNDS {
                for (i, (_, port)) in servers.iter().enumerate() {
                    let results = run_redis_benchmark(
                        *port,
                        SCALING_PIPELINE,
                        SCALING_REQUESTS,
                        &keyspace,
                        "",
                        command,
                    )?;
                    if let Some((_, ops)) = results.first() {
                        per_server[i].push(1e6 / ops);
                    }
                }
            }
            table.push((command[0].to_uppercase(), size_name, per_server));
        }
    }
    println!(
        "\nsorted-set scaling, server-bound (-P {SCALING_PIPELINE}): µs per op, medians of {SCALING_ROUNDS}"
    );
    println!("  command  members    redis µs    ours µs   ours/redis time");
    for (command, size, per_server) in &table {
        let (Some(r), Some(o)) = (median(&per_server[0]), median(&per_server[1])) else {
            continue;
        };
        println!(
            "  {command:<7}  {size:>7}  {r:>10.3} {o:>10.3}   {:>8.2}",
            o / r
        );
    }
    for command in ["ZADD", "ZRANK"] {
        let at = |size: &str, server: usize| {
            table
                .iter()
                .find(|(c, s, _)| c == command && *s == size)
                .and_then(|(_, _, per)| median(&per[server]))
        };
        let growth = |server| Some(at("1M", server)? / at("1k", server)?);
        if let (Some(redis), Some(ours)) = (growth(0), growth(1)) {
            println!("  {command} growth 1k -> 1M: redis {redis:.1}x, ours {ours:.1}x");
            summary.figure(
                &format!("{command} per-op growth 1k -> 1M, server-bound, vs redis"),
                format!("ours {ours:.1}x, redis {redis:.1}x"),
                "(as Redis)",
                None,
            );
        }
    }
    Ok(())
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
pub(super) fn parse_benchmark_output(output: &str) -> Vec<(String, f64)> {
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
