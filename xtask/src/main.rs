//! `cargo xtask`: CacheLab's developer commands, in plain Rust with no
//! dependencies, so a fresh machine needs nothing but rustup and the package
//! registries (see /work/shared/TOOLCHAIN.md).
//!
//! Modules: [`install`] (tools), [`web`] (`build`, `serve`), [`ci`] (`test`),
//! [`bench`], [`fuzz`], and [`util`] (processes, paths, ports).

mod bench;
mod ci;
mod fuzz;
mod install;
mod util;
mod web;

use std::process::ExitCode;

use util::Result;

const HELP: &str = "\
cargo xtask: CacheLab developer commands

Usage: cargo xtask <command> [options]

Commands:
  install [--system]   install the wasm32 target, trunk, wasm-bindgen-cli and wasm-opt
                       at the pinned versions (skips what is already right);
                       --system also apt-installs redis-server, redis-tools,
                       chromium and chromium-driver
  build                cargo fetch, then trunk build --release into dist/
  serve [--port P]     build and serve the app on http://127.0.0.1:P/ (default 8080)
  test                 everything CI runs: fmt, clippy (host and wasm32), dist/,
                       release server, host tests (differential and E2E), wasm tests
  bench [--rounds N] [--loads N] [--no-redis] [--no-criterion] [--no-wasm] [--no-site]
                       every performance figure next to its target: redis-benchmark
                       against redis-server and cachelab-server (alternating, N
                       rounds, default 5, medians); the core's criterion benches (SET/GET/INCR,
                       ZADD/ZRANK scaling); the engine mix in wasm vs native
                       (alternating, N but at least 5 rounds); the 100k-request
                       simulator in wasm (first and later runs of fresh pages);
                       dist/ rebuilt, its gzip weight and navigation-to-console
                       time over --loads cold loads (default 5)
  fuzz [SECS]          run each crates/core/fuzz target for SECS seconds (default 60)
  help, --help         print this help

Every command except help installs missing tools first.";

fn main() -> ExitCode {
    util::prepend_tool_dirs_to_path();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(args: &[String]) -> Result {
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => {
            println!("{HELP}");
            return Ok(());
        }
    };
    let mut options = Options::new(command, rest);
    match command {
        "help" | "--help" | "-h" => {
            println!("{HELP}");
            Ok(())
        }
        "install" => {
            let system = options.flag("--system");
            options.finish()?;
            install::install(system)
        }
        "build" => {
            options.finish()?;
            install::install(false)?;
            web::build()
        }
        "serve" => {
            let port = options.value("--port")?.unwrap_or(8080);
            options.finish()?;
            install::install(false)?;
            web::serve(port)
        }
        "test" => {
            options.finish()?;
            ci::test()
        }
        "bench" => {
            let rounds = options.value("--rounds")?.unwrap_or(5).max(1);
            let loads = options.value("--loads")?.unwrap_or(5).max(1);
            let bench_options = bench::BenchOptions {
                rounds,
                loads,
                redis: !options.flag("--no-redis"),
                criterion: !options.flag("--no-criterion"),
                wasm: !options.flag("--no-wasm"),
                site: !options.flag("--no-site"),
            };
            options.finish()?;
            install::install(true)?;
            bench::bench(&bench_options)
        }
        "fuzz" => {
            let seconds = options.positional()?.unwrap_or(60);
            options.finish()?;
            fuzz::fuzz(seconds)
        }
        other => Err(format!("unknown command '{other}'; see cargo xtask --help")),
    }
}

/// The options after a subcommand, consumed as the subcommand asks for them;
/// anything left over is an error.
struct Options<'a> {
    command: &'a str,
    rest: Vec<&'a str>,
}

impl<'a> Options<'a> {
    fn new(command: &'a str, rest: &'a [String]) -> Self {
        Options {
            command,
            rest: rest.iter().map(String::as_str).collect(),
        }
    }

    fn flag(&mut self, name: &str) -> bool {
        let before = self.rest.len();
        self.rest.retain(|arg| *arg != name);
        self.rest.len() != before
    }

    /// `--name V` or `--name=V`.
    fn value<T: std::str::FromStr>(&mut self, name: &str) -> Result<Option<T>> {
        let prefix = format!("{name}=");
        let found = self
            .rest
            .iter()
            .position(|arg| *arg == name || arg.starts_with(&prefix));
        let Some(i) = found else {
            return Ok(None);
        };
        let arg = self.rest.remove(i);
        let text = match arg.strip_prefix(&prefix) {
            Some(text) => text,
            None if i < self.rest.len() => self.rest.remove(i),
            None => return Err(format!("{name} needs a value")),
        };
        text.parse()
            .map(Some)
            .map_err(|_| format!("invalid value for {name}: '{text}'"))
    }

    /// The first argument that isn't an option.
    fn positional<T: std::str::FromStr>(&mut self) -> Result<Option<T>> {
        let Some(i) = self.rest.iter().position(|arg| !arg.starts_with('-')) else {
            return Ok(None);
        };
        let text = self.rest.remove(i);
        text.parse()
            .map(Some)
            .map_err(|_| format!("invalid argument '{text}'"))
    }

    fn finish(self) -> Result {
        match self.rest.first() {
            None => Ok(()),
            Some(arg) => Err(format!(
                "unexpected argument '{arg}' for '{}'; see cargo xtask --help",
                self.command
            )),
        }
    }
}
