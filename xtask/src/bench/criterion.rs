//! Section 2: the core's criterion benches, and the ZADD/ZRANK scaling table.

use super::*;

/// Sorted-set sizes in crates/core/benches/engine.rs.
const ZSET_SIZES: [u64; 4] = [1_000, 10_000, 100_000, 1_000_000];

// ---- 2. criterion ------------------------------------------------------------------

pub(super) fn criterion_section(_options: &BenchOptions, summary: &mut Summary) -> Result {
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
pub(super) fn json_number_after(json: &str, keys: &[&str]) -> Option<f64> {
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

pub(super) fn format_ns(ns: f64) -> String {
    if ns >= 10_000.0 {
        format!("{:.1} µs", ns / 1000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

pub(super) fn format_count(n: u64) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}
