use super::*;

#[test]
fn bucket_edges_follow_hdr_with_two_significant_digits() {
    // Values below 256 are exact; then each doubling halves the resolution.
    assert_eq!(highest_equivalent(1), 1);
    assert_eq!(highest_equivalent(255), 255);
    assert_eq!(highest_equivalent(256), 257);
    assert_eq!(highest_equivalent(1024), 1031);
    assert_eq!(highest_equivalent(1_000_000), 1_003_519);
    assert_eq!(lowest_equivalent(1_000_000), 999_424);
    for v in [1u64, 77, 256, 1000, 65_536, 999_999_999, HIGHEST] {
        let i = counts_index(v);
        assert!(i < COUNTS, "{v}");
        assert_eq!(value_at_index(i), lowest_equivalent(v), "{v}");
    }
}

#[test]
fn percentiles_read_the_highest_equivalent_value() {
    let mut h = Histogram::default();
    for us in [1u64, 1, 1, 2, 100] {
        h.record(us * 1000);
    }
    assert_eq!(h.total(), 5);
    // 1 µs = 1000 ns sits in [1000, 1003]: Redis prints 1.003.
    assert_eq!(h.value_at_percentile(50.0), 1003);
    assert_eq!(h.value_at_percentile(80.0), 2007);
    assert_eq!(h.value_at_percentile(99.0), 100_351);
    assert_eq!(h.value_at_percentile(0.0), 1000);
}

#[test]
fn the_cumulative_distribution_doubles_from_1024_ns() {
    let mut h = Histogram::default();
    for ns in [0u64, 500, 1500, 1500, 40_000, 5_000_000_000] {
        h.record(ns);
    }
    // 0 and 500 ns count at the first level (1 µs), 1.5 µs at 2 µs,
    // 40 µs at 66 µs (65536 ns, 2 digits), and anything over 1 s as 1 s,
    // at the level past it.
    assert_eq!(
        h.cumulative(),
        vec![(1, 2), (2, 4), (66, 5), (1_082_130, 6)]
    );
    assert_eq!(Histogram::default().cumulative(), vec![]);
}

#[test]
fn samples_in_one_second_keep_the_worst() {
    let mut m = Monitor::default();
    m.add("command", 150, 1000);
    m.add("command", 120, 1000);
    m.add("command", 300, 1000);
    m.add("command", 200, 1002);
    let (_, series) = m.get(b"command").expect("recorded");
    assert_eq!(
        series.history().collect::<Vec<_>>(),
        vec![(1000, 300), (1002, 200)]
    );
    assert_eq!(series.latest(), (1002, 200));
    assert_eq!(series.max(), 300);
    assert!(m.get(b"COMMAND").is_none(), "event names are exact");
    assert_eq!(m.reset(Some(b"COMMAND")), 1, "RESET ignores case");
    assert!(m.is_empty());
}

#[test]
fn a_series_keeps_its_last_160_seconds() {
    let mut m = Monitor::default();
    for t in 1..=200 {
        m.add("expire-cycle", t, t);
    }
    let (_, series) = m.get(b"expire-cycle").expect("recorded");
    let history: Vec<_> = series.history().collect();
    assert_eq!(history.len(), 160);
    assert_eq!(history[0], (41, 41));
    assert_eq!(history[159], (200, 200));
    let a = analyze(series, 200);
    assert_eq!((a.samples, a.avg, a.mad, a.period), (160, 120, 40, 159));
}

#[test]
fn the_graph_draws_steps_and_ages() {
    let mut m = Monitor::default();
    m.add("command", 100, 1000);
    m.add("command", 400, 1030);
    m.add("command", 250, 1070);
    let (event, series) = m.get(b"command").expect("recorded");
    let text = graph(event, series, 1075);
    let expected = "command - high 400 ms, low 100 ms (all time high 400 ms)\n".to_string()
        + &"-".repeat(80)
        + "\n"
        + " # \n"
        + " |_\n"
        + " ||\n"
        + "_||\n"
        + "   \n"
        // 75 s, 45 s and 5 s ago, written downwards.
        + "145\n"
        + "m5s\n"
        + " s \n";
    assert_eq!(text, expected);
}

#[test]
fn percentile_settings_parse_and_print_like_redis() {
    assert_eq!(parse_percentiles("50 99 99.9"), Ok(vec![50.0, 99.0, 99.9]));
    assert_eq!(parse_percentiles(""), Ok(vec![]));
    assert!(parse_percentiles("50 x")
        .unwrap_err()
        .starts_with("Invalid"));
    assert!(parse_percentiles("nan").unwrap_err().starts_with("Invalid"));
    assert!(parse_percentiles("101")
        .unwrap_err()
        .contains("[0.0,100.0]"));
    assert!(parse_percentiles("inf")
        .unwrap_err()
        .contains("[0.0,100.0]"));
    assert_eq!(percentile_label(50.0), "50");
    assert_eq!(percentile_label(99.9), "99.9");
    assert_eq!(percentile_label(0.0), "0");
}
