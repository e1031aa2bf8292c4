//! `cargo xtask fuzz [secs]`: every cargo-fuzz target in crates/core/fuzz for
//! a fixed time each. Needs a nightly toolchain; installs cargo-fuzz if absent.

use std::fs;
use std::process::Command;

use crate::util::{probe, root, run, Result};

pub fn fuzz(seconds: u64) -> Result {
    let core = root().join("crates/core");
    let targets_dir = core.join("fuzz/fuzz_targets");
    let mut targets: Vec<String> = match fs::read_dir(&targets_dir) {
        Ok(entries) => entries
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                if path.extension()? != "rs" {
                    return None;
                }
                Some(path.file_stem()?.to_string_lossy().into_owned())
            })
            .collect(),
        Err(_) => {
            println!(
                "xtask: no fuzz targets ({} does not exist)",
                targets_dir.display()
            );
            return Ok(());
        }
    };
    targets.sort();

    let nightly = probe(Command::new("cargo").args(["+nightly", "--version"]))
        .is_some_and(|v| v.starts_with("cargo "));
    if !nightly {
        return Err("fuzzing needs a nightly toolchain: rustup toolchain install nightly".into());
    }
    let has_cargo_fuzz = probe(Command::new("cargo").args(["+nightly", "fuzz", "--version"]))
        .is_some_and(|v| v.starts_with("cargo-fuzz"));
    if !has_cargo_fuzz {
        println!("xtask: installing cargo-fuzz (takes a few minutes the first time)");
        run(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))?;
    }

    for target in &targets {
        println!("xtask: fuzzing {target} for {seconds}s");
        run(Command::new("cargo")
            .current_dir(&core)
            .args(["+nightly", "fuzz", "run", target, "--"])
            .arg(format!("-max_total_time={seconds}")))?;
    }
    println!("xtask: fuzzed {} target(s), no crashes", targets.len());
    Ok(())
}
