//! `cargo xtask test`: everything CI checks, in order, stopping at the first
//! failure, with a summary of each step's status and time.
//!
//! The order is cheapest-first (format, lint) and respects dependencies: dist/
//! and the release server binary are built before the host tests, whose E2E
//! and differential tests use them.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::util::{cmd, human_duration, root, run, target_dir, Result};
use crate::{install, web};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// One named step of the pipeline.
struct Step {
    name: &'static str,
    action: Box<dyn Fn() -> Result<Outcome>>,
}

/// How a step that didn't fail ended.
enum Outcome {
    Passed,
    Skipped(String),
}

fn step(name: &'static str, action: impl Fn() -> Result<Outcome> + 'static) -> Step {
    Step {
        name,
        action: Box::new(action),
    }
}

/// A step that is one command.
fn command_step(name: &'static str, make: impl Fn() -> Command + 'static) -> Step {
    step(name, move || run(&mut make()).map(|()| Outcome::Passed))
}

fn steps() -> Vec<Step> {
    vec![
        step("install", || {
            install::install(true).map(|()| Outcome::Passed)
        }),
        command_step("fmt", || {
            let mut c = cmd("cargo");
            c.args(["fmt", "--all", "--check"]);
            c
        }),
        command_step("clippy (host)", || {
            let mut c = cmd("cargo");
            c.args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]);
            c
        }),
        command_step("clippy (wasm32)", || {
            let mut c = cmd("cargo");
            c.args(["clippy", "-p", "cachelab-web", "--target", WASM_TARGET])
                .args(["--", "-D", "warnings"]);
            c
        }),
        step("build web (dist/)", || {
            web::build().map(|()| Outcome::Passed)
        }),
        command_step("build release server", || {
            let mut c = cmd("cargo");
            c.args(["build", "--release", "-p", "cachelab-server"]);
            c
        }),
        command_step("host tests", || {
            let mut c = cmd("cargo");
            c.args(["test", "--workspace"])
                .env("CACHELAB_REDIS_SERVER", "/usr/bin/redis-server")
                .env("CACHELAB_DIST", root().join("dist"))
                .env(
                    "CACHELAB_SERVER_BIN",
                    target_dir().join("release/cachelab-server"),
                )
                .env("CHROMEDRIVER", CHROMEDRIVER)
                .env("CACHELAB_CHROMIUM", "/usr/bin/chromium")
                .env("CACHELAB_REQUIRE_ALL", "1");
            c
        }),
        command_step("wasm tests (cachelab-web)", || {
            wasm_test(&["-p", "cachelab-web"])
        }),
        step("wasm tests (cachelab-core)", || {
            if !root().join("crates/core/tests/wasm.rs").exists() {
                return Ok(Outcome::Skipped("no crates/core/tests/wasm.rs".into()));
            }
            run(&mut wasm_test(&["-p", "cachelab-core", "--test", "wasm"]))
                .map(|()| Outcome::Passed)
        }),
    ]
}

/// `cargo test --target wasm32-unknown-unknown` in headless Chromium through
/// wasm-bindgen-test-runner. Never `-q`: the runner rejects `--quiet`.
fn wasm_test(selection: &[&str]) -> Command {
    let mut c = cmd("cargo");
    c.args(["test", "--target", WASM_TARGET])
        .args(selection)
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    c
}

/// Runs every step; on failure prints `xtask: FAILED: <step>` and the summary.
pub fn test() -> Result {
    let steps = steps();
    let started = Instant::now();
    let mut results: Vec<(&str, String, Option<Duration>)> = Vec::new();
    let mut failed = None;
    for step in &steps {
        if failed.is_some() {
            results.push((step.name, "not run".into(), None));
            continue;
        }
        println!("\nxtask: ==> {}", step.name);
        let t0 = Instant::now();
        let outcome = (step.action)();
        let took = t0.elapsed();
        let status = match outcome {
            Ok(Outcome::Passed) => "ok".to_string(),
            Ok(Outcome::Skipped(why)) => format!("skipped ({why})"),
            Err(err) => {
                println!("xtask: FAILED: {}: {err}", step.name);
                failed = Some(step.name);
                "FAILED".to_string()
            }
        };
        results.push((step.name, status, Some(took)));
    }
    print_summary(&results, started.elapsed());
    match failed {
        Some(name) => Err(format!("FAILED: {name}")),
        None => {
            println!("xtask: all checks passed");
            Ok(())
        }
    }
}

fn print_summary(results: &[(&str, String, Option<Duration>)], total: Duration) {
    let width = results.iter().map(|r| r.0.len()).max().unwrap_or(0);
    println!("\nxtask: summary");
    for (name, status, took) in results {
        let took = took.map(human_duration).unwrap_or_default();
        println!("  {name:<width$}  {took:>7}  {status}");
    }
    println!("  {:<width$}  {:>7}", "total", human_duration(total));
}
