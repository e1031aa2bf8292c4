//! How the visualizer prints numbers: metric values, latencies and simulated time.
//!
//! Two registers, on purpose. The `data-testid` metric hooks hold [`plain`] values
//! (`10000`, `99.99%`), which tests and copy-paste read without guessing at
//! separators; prose and axis labels use [`grouped`] (`10,000`) and the short forms
//! (`12k`, `1.5 ms`).

/// An integer with no grouping: `10000`.
pub fn plain(n: u64) -> String {
    n.to_string()
}

/// An integer grouped by thousands with commas: `10,000`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A share as a percentage with at most two decimals, trailing zeros dropped:
/// `99.99%`, `50%`, `0%`. A share below 1 never prints as `100%` and one above 0
/// never prints as `0%`, so "every read hit" and "no read hit" are only ever said
/// when they are true.
pub fn percent(share: f64) -> String {
    if !share.is_finite() || share <= 0.0 {
        return "0%".to_string();
    }
    if share >= 1.0 {
        return "100%".to_string();
    }
    let hundredths = (share * 10_000.0).round().clamp(1.0, 9_999.0) as u64;
    let whole = hundredths / 100;
    let frac = hundredths % 100;
    match frac {
        0 => format!("{whole}%"),
        f if f % 10 == 0 => format!("{whole}.{}%", f / 10),
        f => format!("{whole}.{f:02}%"),
    }
}

/// A latency in µs, in the unit that reads best: `250 µs`, `1 ms`, `10.5 ms`, `1.2 s`.
pub fn latency(us: f64) -> String {
    if !us.is_finite() || us <= 0.0 {
        return "0 ms".to_string();
    }
    if us < 1_000.0 {
        return format!("{} µs", us.round() as u64);
    }
    let ms = us / 1_000.0;
    if ms < 1_000.0 {
        return format!("{} ms", trim(ms, if ms < 100.0 { 1 } else { 0 }));
    }
    format!("{} s", trim(ms / 1_000.0, 2))
}

/// Simulated time since the start of a run: `0 s`, `4.2 s`, `2 min 05 s`.
pub fn sim_time(us: u64) -> String {
    let secs = us as f64 / 1e6;
    if secs < 60.0 {
        return format!("{} s", trim(secs, 1));
    }
    let whole = us / 1_000_000;
    let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60);
    if h > 0 {
        format!("{h} h {m:02} min")
    } else {
        format!("{m} min {s:02} s")
    }
}

/// A log line's time stamp: seconds with milliseconds, `12.345`.
pub fn stamp(us: u64) -> String {
    format!("{}.{:03}", us / 1_000_000, us / 1_000 % 1_000)
}

/// A compact axis label: `0`, `950`, `12k`, `1.5k`, `2M`, `0.5`.
pub fn axis(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{}M", trim(v / 1e6, 1))
    } else if a >= 1e4 {
        format!("{}k", trim(v / 1e3, 0))
    } else if a >= 1e3 {
        format!("{}k", trim(v / 1e3, 1))
    } else {
        trim(v, if a < 10.0 { 1 } else { 0 })
    }
}

/// `v` with at most `decimals` decimals, trailing zeros (and a bare point) removed.
pub fn trim(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" {
            "0".to_string()
        } else {
            s.to_string()
        }
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(plain(10_000), "10000");
        for (n, s) in [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1_000, "1,000"),
            (10_000, "10,000"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(grouped(n), s);
        }
    }

    #[test]
    fn percentages_never_round_to_a_lie() {
        for (share, s) in [
            (0.0, "0%"),
            (f64::NAN, "0%"),
            (1.0, "100%"),
            (0.9999, "99.99%"),
            (0.99999, "99.99%"),
            (0.000_001, "0.01%"),
            (0.5, "50%"),
            (0.912, "91.2%"),
            (0.6105, "61.05%"),
        ] {
            assert_eq!(percent(share), s, "{share}");
        }
    }

    #[test]
    fn latencies_and_times() {
        assert_eq!(latency(0.0), "0 ms");
        assert_eq!(latency(500.0), "500 µs");
        assert_eq!(latency(1_000.0), "1 ms");
        assert_eq!(latency(10_500.0), "10.5 ms");
        assert_eq!(latency(963.4), "963 µs");
        assert_eq!(latency(123_456.0), "123 ms");
        assert_eq!(latency(1_234_000.0), "1.23 s");
        assert_eq!(sim_time(0), "0 s");
        assert_eq!(sim_time(4_230_000), "4.2 s");
        assert_eq!(sim_time(125_000_000), "2 min 05 s");
        assert_eq!(sim_time(7_300_000_000), "2 h 01 min");
        assert_eq!(stamp(12_345_678), "12.345");
        assert_eq!(stamp(5_000), "0.005");
    }

    #[test]
    fn axis_labels() {
        for (v, s) in [
            (0.0, "0"),
            (0.5, "0.5"),
            (2.5, "2.5"),
            (950.0, "950"),
            (1_500.0, "1.5k"),
            (12_000.0, "12k"),
            (2_000_000.0, "2M"),
        ] {
            assert_eq!(axis(v), s);
        }
    }
}
