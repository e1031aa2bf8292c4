//! `cargo xtask install`: bring this machine's tools to the versions the build
//! needs, skipping everything that is already right (the recipe is
//! /work/shared/TOOLCHAIN.md).
//!
//! - the wasm32 target;
//! - Trunk 0.21.14 (`cargo install --locked`, ~10 minutes the first time);
//! - wasm-bindgen-cli at the version in Cargo.lock (without `--locked`);
//! - wasm-opt from npm's binaryen 132 under `~/.local/wasm-tools`;
//! - with `--system` (implied by `test` and `bench`): Debian's redis-server,
//!   redis-tools, chromium and chromium-driver through apt.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::util::{self, cmd, home, on_path, probe, run, Result};

const TRUNK_VERSION: &str = "0.21.14";
const BINARYEN_VERSION: &str = "132.0.0";
const WASM_OPT_MAJOR: u32 = 132;
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Debian packages for the test and bench steps, each with a file that shows
/// it is installed.
const SYSTEM_PACKAGES: &[(&str, &str)] = &[
    ("redis-server", "/usr/bin/redis-server"),
    ("redis-tools", "/usr/bin/redis-cli"),
    ("redis-tools", "/usr/bin/redis-benchmark"),
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
];

/// Installs what is missing. `system` adds the apt packages.
pub fn install(system: bool) -> Result {
    if system {
        install_system_packages()?;
    }
    install_wasm_target()?;
    install_trunk()?;
    install_wasm_bindgen()?;
    install_wasm_opt()?;
    println!("xtask: tools are ready");
    Ok(())
}

fn install_wasm_target() -> Result {
    let installed = probe(Command::new("rustup").args(["target", "list", "--installed"]))
        .ok_or("rustup is not on PATH; install Rust with rustup first")?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("xtask: {WASM_TARGET} target: ok");
        return Ok(());
    }
    println!("xtask: installing the {WASM_TARGET} target");
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

fn install_trunk() -> Result {
    let found = probe(Command::new("trunk").arg("--version")).unwrap_or_default();
    if version_words(&found).any(|v| v == TRUNK_VERSION) {
        println!("xtask: trunk {TRUNK_VERSION}: ok");
        return Ok(());
    }
    println!("xtask: installing trunk {TRUNK_VERSION} (takes ~10 min the first time)");
    run(Command::new("cargo").args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))
}

fn install_wasm_bindgen() -> Result {
    let wanted = wasm_bindgen_version()?;
    let found = probe(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if version_words(&found).any(|v| v == wanted) {
        println!("xtask: wasm-bindgen-cli {wanted}: ok");
        return Ok(());
    }
    println!("xtask: installing wasm-bindgen-cli {wanted} (takes ~4 min the first time)");
    // Not --locked: its lockfile wants a crate version this registry lacks.
    run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &wanted]))
}

fn install_wasm_opt() -> Result {
    let wasm_opt = util::wasm_tools_bin().join("wasm-opt");
    let found = probe(Command::new(&wasm_opt).arg("--version")).unwrap_or_default();
    if wasm_opt_major(&found) == Some(WASM_OPT_MAJOR) {
        println!("xtask: wasm-opt {WASM_OPT_MAJOR}: ok");
        return Ok(());
    }
    if !on_path("npm") {
        apt_install(&["npm"])?;
    }
    println!("xtask: installing wasm-opt (binaryen {BINARYEN_VERSION} from npm)");
    let prefix = home().join(".local/wasm-tools");
    fs::create_dir_all(&prefix).map_err(|err| format!("creating {}: {err}", prefix.display()))?;
    run(Command::new("npm")
        .arg("install")
        .arg("--prefix")
        .arg(&prefix)
        .arg(format!("binaryen@{BINARYEN_VERSION}")))
}

fn install_system_packages() -> Result {
    let mut missing: Vec<&str> = Vec::new();
    for &(package, file) in SYSTEM_PACKAGES {
        if !Path::new(file).exists() && !missing.contains(&package) {
            missing.push(package);
        }
    }
    if missing.is_empty() {
        println!("xtask: redis-server, redis-tools, chromium, chromedriver: ok");
        return Ok(());
    }
    apt_install(&missing)?;
    // Debian may start its own redis-server on 6379; tests and benchmarks start
    // private servers on free ports, so it is harmless.
    Ok(())
}

/// `apt-get update` then `apt-get install -y`, through sudo unless root.
fn apt_install(packages: &[&str]) -> Result {
    println!(
        "xtask: installing {} with apt (takes ~1 min)",
        packages.join(" ")
    );
    let is_root = probe(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    let apt = |args: &[&str]| -> Command {
        let mut command = if is_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(&mut apt(&["update"]))?;
    let mut install = apt(&["install", "-y"]);
    install.args(packages);
    run(&mut install)
}

/// The `wasm-bindgen` version in Cargo.lock (creating the lockfile if needed).
pub fn wasm_bindgen_version() -> Result<String> {
    let lock_path = util::root().join("Cargo.lock");
    if !lock_path.exists() {
        run(cmd("cargo").arg("generate-lockfile"))?;
    }
    let lock = fs::read_to_string(&lock_path)
        .map_err(|err| format!("reading {}: {err}", lock_path.display()))?;
    let versions = locked_versions(&lock, "wasm-bindgen");
    match versions.as_slice() {
        [version] => Ok(version.clone()),
        [] => Err("Cargo.lock has no wasm-bindgen package".to_string()),
        _ => Err(format!(
            "Cargo.lock has several wasm-bindgen versions ({}); the CLI must match exactly one",
            versions.join(", ")
        )),
    }
}

/// Every version of package `name` in a Cargo.lock.
fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let wanted_name = format!("name = \"{name}\"");
    lock.split("[[package]]")
        .filter(|entry| entry.lines().any(|line| line.trim() == wanted_name))
        .filter_map(|entry| {
            entry.lines().find_map(|line| {
                let value = line.trim().strip_prefix("version = \"")?;
                Some(value.trim_end_matches('"').to_string())
            })
        })
        .collect()
}

/// The whitespace-separated words of a `--version` output, without a leading
/// `v`: `trunk 0.21.14` yields `trunk`, `0.21.14`.
fn version_words(output: &str) -> impl Iterator<Item = &str> {
    output
        .split_whitespace()
        .map(|word| word.trim_start_matches('v'))
}

/// `wasm-opt version 132 (version_132)` gives 132.
fn wasm_opt_major(output: &str) -> Option<u32> {
    let rest = output.split("version ").nth(1)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_versions_from_cargo_lock() {
        let lock = r#"
[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "wasm-bindgen-futures"
version = "0.4.80"
"#;
        assert_eq!(locked_versions(lock, "wasm-bindgen"), ["0.2.130"]);
        assert_eq!(locked_versions(lock, "wasm-bindgen-futures"), ["0.4.80"]);
        assert!(locked_versions(lock, "yew").is_empty());
    }

    #[test]
    fn parses_tool_versions() {
        assert!(version_words("trunk 0.21.14\n").any(|v| v == "0.21.14"));
        assert!(!version_words("trunk 0.21.140").any(|v| v == "0.21.14"));
        assert!(version_words("wasm-bindgen 0.2.130").any(|v| v == "0.2.130"));
        assert_eq!(
            wasm_opt_major("wasm-opt version 132 (version_132)\n"),
            Some(132)
        );
        assert_eq!(wasm_opt_major("wasm-opt version 108"), Some(108));
        assert_eq!(wasm_opt_major(""), None);
    }
}
