//! Section 4: the page's gzip weight, navigation-to-console readiness, and the
//! simulator's 100k-request run as a learner starts it in the built site.

use super::*;

// ---- 4. page: weight and readiness ---------------------------------------------------

pub(super) fn site_section(options: &BenchOptions, summary: &mut Summary) -> Result {
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
    let (ok, stdout) = run_site_example("bench_readiness", &[options.loads], &dist)?;
    let times = parse_readiness_output(&stdout);
    if !ok || times.is_empty() {
        return Err("bench_readiness failed".into());
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
    site_sim(options, summary, &dist)
}

/// Fresh pages of `bench_sim_site`, and Run presses on each.
const SITE_SIM_PAGES: usize = 5;
const SITE_SIM_RUNS: usize = 3;

/// The visualizer's 100,000-request run in the built site, pressed the way a learner
/// does: on a fresh page, after it is ready and its idle-time warm-up is done. The
/// first press of each page is the figure; the later ones are printed beside it.
fn site_sim(options: &BenchOptions, summary: &mut Summary, dist: &Path) -> Result {
    let pages = [options.loads.max(SITE_SIM_PAGES), SITE_SIM_RUNS];
    let (ok, stdout) = run_site_example("bench_sim_site", &pages, dist)?;
    let pages = parse_site_sim_output(&stdout);
    if !ok || pages.is_empty() {
        return Err("bench_sim_site failed".into());
    }
    let (first, later) = first_and_later(&pages);
    for (what, samples) in [("first Run of a page", &first), ("later Runs", &later)] {
        let Some(ms) = median(samples) else { continue };
        let met = ms <= TARGET_SIM_MS;
        println!(
            "  site, {what:<20} {ms:>8.1} ms (median of {})   target <= {TARGET_SIM_MS:.0} ms   {}",
            samples.len(),
            if met { "ok" } else { "MISSES TARGET" }
        );
        summary.figure(
            &format!("simulator 100k requests, site, {what}"),
            format!("{ms:.1} ms"),
            &format!("<= {TARGET_SIM_MS:.0} ms"),
            Some(met),
        );
    }
    Ok(())
}

/// Runs `cargo run -p cachelab-tests --example NAME -- ARGS` against the built site
/// in `dist`, echoing its output. Returns whether it succeeded, and its stdout.
fn run_site_example(name: &str, args: &[usize], dist: &Path) -> Result<(bool, String)> {
    let mut example = cmd("cargo");
    example
        .args(["run", "-p", "cachelab-tests", "--example", name, "--"])
        .args(args.iter().map(usize::to_string))
        .env("CACHELAB_DIST", dist)
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("CACHELAB_CHROMIUM", CHROMIUM);
    println!("xtask: $ {}", CommandLine(&example));
    let output = example
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| format!("cannot run {name}: {err}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    print!("{stdout}");
    if !output.status.success() {
        println!("xtask: {name} failed ({})", output.status);
    }
    Ok((output.status.success(), stdout))
}

/// The run times of each `bench_sim_site: page K/N: ...; 100000 requests in ms: A B C`
/// line, first press first.
pub(super) fn parse_site_sim_output(output: &str) -> Vec<Vec<f64>> {
    output
        .lines()
        .filter(|line| line.starts_with("bench_sim_site: page "))
        .filter_map(|line| {
            let (_, times) = line.split_once("requests in ms: ")?;
            times
                .split_whitespace()
                .map(|t| t.parse().ok())
                .collect::<Option<Vec<f64>>>()
        })
        .filter(|runs| !runs.is_empty())
        .collect()
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
pub(super) fn parse_readiness_output(output: &str) -> Vec<f64> {
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
