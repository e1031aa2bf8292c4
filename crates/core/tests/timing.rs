//! Command timing through the engine (SLOWLOG, LATENCY, INFO commandstats and
//! latencystats), with a stopwatch that ticks a fixed amount each time it is
//! read, so every duration is known.

use std::cell::Cell;

use cachelab_core::engine::Exec;
use cachelab_core::{cli, Engine, Reply};

/// 2023-11-14T22:13:20Z, in µs.
const T0: u64 = 1_700_000_000_000_000;

thread_local! {
    static TICKS: Cell<u64> = const { Cell::new(0) };
}

/// Each reading is 7 µs after the last: a command that reads it twice took 7 µs.
fn ticking() -> u64 {
    TICKS.with(|t| {
        t.set(t.get() + 7);
        t.get()
    })
}

/// Each reading is 20 ms after the last: every command is slow.
fn stalling() -> u64 {
    TICKS.with(|t| {
        t.set(t.get() + 20_000);
        t.get()
    })
}

fn args(line: &str) -> Vec<Vec<u8>> {
    cli::tokenize(line).expect("test lines are well quoted")
}

fn run(e: &mut Engine, c: &mut cachelab_core::Client, line: &str) -> Reply {
    e.execute(c, args(line), T0)
}

/// SLOWLOG GET's entries as (duration, arguments, client name).
fn entries(reply: &Reply) -> Vec<(i64, Vec<String>, String)> {
    let Reply::Array(entries) = reply else {
        panic!("SLOWLOG GET answered {reply:?}");
    };
    entries
        .iter()
        .map(|e| match e {
            Reply::Array(f) => match (&f[2], &f[3], &f[5]) {
                (Reply::Integer(d), Reply::Array(a), Reply::Bulk(name)) => (
                    *d,
                    a.iter()
                        .map(|x| match x {
                            Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
                            other => panic!("argument {other:?}"),
                        })
                        .collect(),
                    String::from_utf8_lossy(name).into_owned(),
                ),
                _ => panic!("entry {e:?}"),
            },
            _ => panic!("entry {e:?}"),
        })
        .collect()
}

fn texts(words: &str) -> Vec<String> {
    words.split(' ').map(str::to_string).collect()
}

#[test]
fn durations_come_from_the_stopwatch_and_debug_sleep() {
    let mut e = Engine::new();
    e.set_stopwatch(ticking);
    let mut c = e.new_client();
    run(&mut e, &mut c, "CONFIG SET slowlog-log-slower-than 0");
    run(&mut e, &mut c, "CLIENT SETNAME timer");
    run(&mut e, &mut c, "SET k v");
    run(&mut e, &mut c, "DEBUG SLEEP 0.25");
    assert_eq!(e.take_sleep(), 250_000, "the host is told to sleep");
    assert_eq!(e.take_sleep(), 0);
    let got = entries(&run(&mut e, &mut c, "SLOWLOG GET 2"));
    assert_eq!(
        got,
        vec![
            (250_007, texts("DEBUG SLEEP 0.25"), "timer".into()),
            (7, texts("SET k v"), "timer".into()),
        ]
    );
    // INFO commandstats adds them up per command.
    let Reply::Bulk(info) = run(&mut e, &mut c, "INFO commandstats") else {
        panic!("INFO is text");
    };
    let info = String::from_utf8_lossy(&info);
    assert!(
        info.contains("cmdstat_set:calls=1,usec=7,usec_per_call=7.00,"),
        "{info}"
    );
    assert!(
        info.contains("cmdstat_debug:calls=1,usec=250007,usec_per_call=250007.00,"),
        "{info}"
    );
}

#[test]
fn without_a_stopwatch_commands_take_no_time() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    run(&mut e, &mut c, "CONFIG SET slowlog-log-slower-than 0");
    run(&mut e, &mut c, "PING");
    assert_eq!(
        entries(&run(&mut e, &mut c, "SLOWLOG GET 1")),
        vec![(0, texts("PING"), String::new())]
    );
    // The default threshold, 10 ms, keeps everything else out.
    run(&mut e, &mut c, "CONFIG SET slowlog-log-slower-than 10000");
    run(&mut e, &mut c, "SLOWLOG RESET");
    run(&mut e, &mut c, "KEYS *");
    assert_eq!(run(&mut e, &mut c, "SLOWLOG LEN"), Reply::Integer(0));
    // ... unless a DEBUG SLEEP makes the command slow.
    run(&mut e, &mut c, "DEBUG SLEEP 0.01");
    assert_eq!(
        entries(&run(&mut e, &mut c, "SLOWLOG GET")),
        vec![(10_000, texts("DEBUG SLEEP 0.01"), String::new())]
    );
}

#[test]
fn a_sleep_inside_exec_counts_for_the_command_and_the_exec() {
    let mut e = Engine::new();
    e.set_stopwatch(ticking);
    let mut c = e.new_client();
    run(&mut e, &mut c, "CONFIG SET slowlog-log-slower-than 100000");
    run(&mut e, &mut c, "MULTI");
    run(&mut e, &mut c, "DEBUG SLEEP 0.2");
    run(&mut e, &mut c, "PING");
    run(&mut e, &mut c, "EXEC");
    // EXEC is never logged; the command that slept is.
    let got = entries(&run(&mut e, &mut c, "SLOWLOG GET"));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1, texts("DEBUG SLEEP 0.2"));
    let Reply::Bulk(info) = run(&mut e, &mut c, "INFO commandstats") else {
        panic!("INFO is text");
    };
    let info = String::from_utf8_lossy(&info);
    let exec = info
        .lines()
        .find(|l| l.starts_with("cmdstat_exec:"))
        .expect("EXEC has a line");
    let usec: u64 = exec
        .split(',')
        .find_map(|f| f.strip_prefix("usec="))
        .and_then(|v| v.parse().ok())
        .expect("usec");
    assert!(usec >= 200_000, "{exec}");
}

#[test]
fn a_blocked_command_is_logged_when_it_is_answered() {
    let mut e = Engine::new();
    e.set_stopwatch(ticking);
    let mut waiter = e.new_client();
    let mut pusher = e.new_client();
    run(&mut e, &mut pusher, "CONFIG SET slowlog-log-slower-than 0");
    run(&mut e, &mut pusher, "SLOWLOG RESET");
    let blocked = e.execute_blocking(&mut waiter, args("BLPOP q 0"), T0);
    assert_eq!(blocked, Exec::Blocked);
    assert_eq!(run(&mut e, &mut pusher, "SLOWLOG LEN"), Reply::Integer(1));
    run(&mut e, &mut pusher, "RPUSH q x");
    let got = entries(&run(&mut e, &mut pusher, "SLOWLOG GET 2"));
    assert_eq!(got[0].1, texts("BLPOP q 0"));
    assert_eq!(got[1].1, texts("RPUSH q x"));
}

#[test]
fn secrets_in_config_set_are_redacted() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    run(&mut e, &mut c, "CONFIG SET slowlog-log-slower-than 0");
    run(&mut e, &mut c, "SLOWLOG RESET");
    run(&mut e, &mut c, "CONFIG SET masterauth hunter2");
    run(&mut e, &mut c, "CONFIG SET hz 10 requirepass hunter2");
    let got = entries(&run(&mut e, &mut c, "SLOWLOG GET 2"));
    assert_eq!(got[0].1, texts("CONFIG SET hz 10 requirepass (redacted)"));
    assert_eq!(got[1].1, texts("CONFIG SET masterauth (redacted)"));
}

#[test]
fn a_stalled_fast_command_is_logged_by_name() {
    let mut e = Engine::new();
    e.set_stopwatch(stalling);
    let mut c = e.new_client();
    // Under a threshold of 1 ms or more, fast commands are not copied ...
    run(&mut e, &mut c, "GET k");
    run(&mut e, &mut c, "INCRBY n 5");
    // ... while the others are (SET is not flagged fast: its GET option).
    run(&mut e, &mut c, "SET k v");
    let got = entries(&run(&mut e, &mut c, "SLOWLOG GET 3"));
    assert_eq!(
        got.iter()
            .map(|(d, a, _)| (*d, a.clone()))
            .collect::<Vec<_>>(),
        vec![
            (20_000, texts("SET k v")),
            (
                20_000,
                vec!["incrby".into(), "... (2 more arguments)".into()]
            ),
            (20_000, vec!["get".into(), "... (1 more arguments)".into()]),
        ]
    );
    // Under a smaller threshold everything is copied.
    run(&mut e, &mut c, "CONFIG SET slowlog-log-slower-than 999");
    run(&mut e, &mut c, "GET k");
    assert_eq!(
        entries(&run(&mut e, &mut c, "SLOWLOG GET 1"))[0].1,
        texts("GET k")
    );
}

#[test]
fn a_host_batch_chains_readings() {
    let mut e = Engine::new();
    e.set_stopwatch(ticking);
    let mut c = e.new_client();
    run(&mut e, &mut c, "CONFIG SET slowlog-log-slower-than 0");
    run(&mut e, &mut c, "SLOWLOG RESET");
    // In a batch each command reads the stopwatch once after the first: the
    // first takes 7 µs (two readings), the next ones 7 µs from the previous end.
    e.begin_batch();
    run(&mut e, &mut c, "SET a 1");
    run(&mut e, &mut c, "SET b 2");
    e.end_batch();
    let before = ticking();
    run(&mut e, &mut c, "SET c 3");
    let after = ticking();
    // Outside the batch a command reads twice again.
    assert_eq!(after - before, 21);
    let got = entries(&run(&mut e, &mut c, "SLOWLOG GET 3"));
    assert_eq!(
        got.iter().map(|(d, _, _)| *d).collect::<Vec<_>>(),
        vec![7, 7, 7]
    );
}

fn info_lines(e: &mut Engine, c: &mut cachelab_core::Client, section: &str) -> Vec<String> {
    let Reply::Bulk(info) = run(e, c, &format!("INFO {section}")) else {
        panic!("INFO is text");
    };
    String::from_utf8_lossy(&info)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn latency_histograms_and_percentiles_record_every_call() {
    let mut e = Engine::new();
    e.set_stopwatch(ticking);
    let mut c = e.new_client();
    run(&mut e, &mut c, "CONFIG RESETSTAT");
    run(&mut e, &mut c, "SET a 1");
    run(&mut e, &mut c, "SET b 2");
    run(&mut e, &mut c, "CLIENT ID");
    let calls = |n: i64, us: i64| {
        Reply::Map(vec![
            (Reply::bulk(b"calls".to_vec()), Reply::Integer(n)),
            (
                Reply::bulk(b"histogram_usec".to_vec()),
                Reply::Map(vec![(Reply::Integer(us), Reply::Integer(n))]),
            ),
        ])
    };
    // 7 µs = 7000 ns, reported at the 8192 ns level: 8 µs.
    assert_eq!(
        run(&mut e, &mut c, "LATENCY HISTOGRAM set client nosuch"),
        Reply::Map(vec![
            (Reply::bulk(b"set".to_vec()), calls(2, 8)),
            (Reply::bulk(b"client|id".to_vec()), calls(1, 8)),
        ])
    );
    assert_eq!(
        run(&mut e, &mut c, "LATENCY HISTOGRAM CLIENT|ID"),
        Reply::Map(vec![(Reply::bulk(b"client|id".to_vec()), calls(1, 8))])
    );
    let stats = info_lines(&mut e, &mut c, "latencystats");
    assert_eq!(stats[0], "# Latencystats");
    assert!(
        stats.contains(&"latency_percentiles_usec_set:p50=7.007,p99=7.007,p99.9=7.007".to_string()),
        "{stats:?}"
    );
    run(
        &mut e,
        &mut c,
        "CONFIG SET latency-tracking-info-percentiles \"0 100\"",
    );
    let stats = info_lines(&mut e, &mut c, "latencystats");
    assert!(
        stats.contains(&"latency_percentiles_usec_set:p0=6.976,p100=7.007".to_string()),
        "{stats:?}"
    );
    // Not in plain INFO; off with latency-tracking.
    assert!(!info_lines(&mut e, &mut c, "")
        .iter()
        .any(|l| l.contains("Latencystats")));
    run(&mut e, &mut c, "CONFIG SET latency-tracking no");
    assert_eq!(
        info_lines(&mut e, &mut c, "latencystats"),
        vec!["# Latencystats"]
    );
    run(&mut e, &mut c, "CONFIG RESETSTAT");
    assert_eq!(run(&mut e, &mut c, "LATENCY HISTOGRAM"), Reply::Map(vec![]));
}

#[test]
fn the_latency_monitor_samples_slow_events() {
    let mut e = Engine::new();
    e.set_stopwatch(ticking);
    let mut c = e.new_client();
    run(&mut e, &mut c, "DEBUG SLEEP 0.5");
    // Off by default.
    assert_eq!(run(&mut e, &mut c, "LATENCY LATEST"), Reply::Array(vec![]));
    run(&mut e, &mut c, "CONFIG SET latency-monitor-threshold 100");
    run(&mut e, &mut c, "DEBUG SLEEP 0.05");
    run(&mut e, &mut c, "DEBUG SLEEP 0.25");
    run(&mut e, &mut c, "MULTI");
    run(&mut e, &mut c, "DEBUG SLEEP 0.125");
    run(&mut e, &mut c, "EXEC");
    let t = (T0 / 1_000_000) as i64;
    // One sample per second, the worst: the 250 ms sleep (the EXEC around the
    // 125 ms one counts too, as a command of its own, but is less).
    assert_eq!(
        run(&mut e, &mut c, "LATENCY LATEST"),
        Reply::Array(vec![Reply::Array(vec![
            Reply::bulk(b"command".to_vec()),
            Reply::Integer(t),
            Reply::Integer(250),
            Reply::Integer(250),
        ])])
    );
    e.execute(&mut c, args("DEBUG SLEEP 0.3"), T0 + 2_000_000);
    assert_eq!(
        e.execute(&mut c, args("LATENCY HISTORY command"), T0 + 2_000_000),
        Reply::Array(vec![
            Reply::Array(vec![Reply::Integer(t), Reply::Integer(250)]),
            Reply::Array(vec![Reply::Integer(t + 2), Reply::Integer(300)]),
        ])
    );
    let Reply::Verbatim(_, doctor) = run(&mut e, &mut c, "LATENCY DOCTOR") else {
        panic!("DOCTOR is text");
    };
    let doctor = String::from_utf8(doctor).expect("DOCTOR's text is UTF-8");
    assert!(
        doctor.contains("1. command: 2 spikes, averaging 275 ms"),
        "{doctor}"
    );
    assert!(doctor.contains("SLOWLOG GET"), "{doctor}");
    assert_eq!(
        run(&mut e, &mut c, "LATENCY RESET nosuch"),
        Reply::Integer(0)
    );
    assert_eq!(
        run(&mut e, &mut c, "LATENCY RESET Command"),
        Reply::Integer(1)
    );
    assert_eq!(
        run(&mut e, &mut c, "LATENCY GRAPH command"),
        Reply::Error(b"ERR No samples available for event 'command'".to_vec())
    );
}

#[test]
fn the_config_set_that_changes_the_threshold_is_judged_by_the_new_one() {
    // With and without a stopwatch: Redis checks the threshold after the command.
    for stopwatch in [false, true] {
        let mut e = Engine::new();
        if stopwatch {
            e.set_stopwatch(ticking);
        }
        let mut c = e.new_client();
        run(&mut e, &mut c, "CONFIG SET slowlog-log-slower-than -1");
        run(&mut e, &mut c, "CONFIG SET slowlog-log-slower-than 0");
        run(&mut e, &mut c, "GET k");
        let got = entries(&run(&mut e, &mut c, "SLOWLOG GET"));
        assert_eq!(
            got.iter().map(|(_, a, _)| a.clone()).collect::<Vec<_>>(),
            vec![
                texts("GET k"),
                texts("CONFIG SET slowlog-log-slower-than 0")
            ],
            "stopwatch: {stopwatch}"
        );
    }
}
