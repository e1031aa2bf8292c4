//! Configurations: absurd ones are refused with a reason, edge ones run.

use super::*;

#[test]
fn absurd_configurations_are_refused_with_a_reason() {
    let ok = SimConfig::default();
    assert_eq!(ok.validate(), Ok(()));
    let bad = [
        SimConfig {
            users: 0,
            ..ok.clone()
        },
        SimConfig {
            requests: 0,
            ..ok.clone()
        },
        SimConfig {
            requests: MAX_REQUESTS + 1,
            ..ok.clone()
        },
        SimConfig {
            rate_per_sec: f64::NAN,
            ..ok.clone()
        },
        SimConfig {
            rate_per_sec: f64::INFINITY,
            ..ok.clone()
        },
        SimConfig {
            rate_per_sec: 0.0,
            ..ok.clone()
        },
        SimConfig {
            read_ratio: 1.5,
            ..ok.clone()
        },
        SimConfig {
            keys: 0,
            ..ok.clone()
        },
        SimConfig {
            keys: MAX_KEYS + 1,
            ..ok.clone()
        },
        SimConfig {
            key_prefix: String::new(),
            ..ok.clone()
        },
        SimConfig {
            key_prefix: "a b".to_string(),
            ..ok.clone()
        },
        SimConfig {
            key_prefix: "it's".to_string(),
            ..ok.clone()
        },
        SimConfig {
            popularity: Popularity::Zipf { s: 0.0 },
            ..ok.clone()
        },
        SimConfig {
            popularity: Popularity::Zipf { s: f64::NAN },
            ..ok.clone()
        },
        SimConfig {
            ttl_secs: u64::MAX,
            ..ok.clone()
        },
        SimConfig {
            db_latency_us: u64::MAX,
            ..ok.clone()
        },
        SimConfig {
            capacity_bytes: Some(0),
            ..ok.clone()
        },
        SimConfig {
            capacity_bytes: Some(u64::MAX),
            ..ok.clone()
        },
        SimConfig {
            flush_interval_ms: 0,
            ..ok.clone()
        },
        SimConfig {
            refresh_threshold: 1.0,
            ..ok.clone()
        },
        SimConfig {
            sample_every: 0,
            ..ok.clone()
        },
        SimConfig {
            log_limit: usize::MAX,
            ..ok.clone()
        },
        SimConfig {
            faults: vec![Fault {
                at_request: 1,
                kind: FaultKind::DbSlow { factor: -1.0 },
            }],
            ..ok.clone()
        },
    ];
    for cfg in bad {
        let err = Simulation::new(cfg.clone()).expect_err("refused");
        assert!(err.to_string().contains("out of range"), "{err}");
    }
    assert_eq!(
        SimConfig { users: 0, ..ok }
            .validate()
            .unwrap_err()
            .to_string(),
        "users = 0 is out of range (allowed: 1 to 100,000,000)"
    );
}

#[test]
fn edge_configurations_run() {
    let edges = [
        SimConfig {
            requests: 1,
            keys: 1,
            ..SimConfig::default()
        },
        SimConfig {
            rate_per_sec: 0.001,
            requests: 50,
            ..SimConfig::default()
        },
        SimConfig {
            rate_per_sec: 10_000_000.0,
            requests: 5_000,
            ..SimConfig::default()
        },
        SimConfig {
            keys: MAX_KEYS,
            requests: 2_000,
            popularity: Popularity::Zipf { s: 10.0 },
            ..SimConfig::default()
        },
        SimConfig {
            keys: MAX_KEYS,
            requests: 2_000,
            popularity: Popularity::Zipf { s: 0.01 },
            ..SimConfig::default()
        },
        SimConfig {
            capacity_bytes: Some(1),
            requests: 500,
            ..SimConfig::default()
        },
        SimConfig {
            strategy: Strategy::WriteBehind,
            flush_interval_ms: 1,
            rate_per_sec: 0.01,
            requests: 20,
            ..SimConfig::default()
        },
        SimConfig {
            value_bytes: 65_536,
            requests: 200,
            log_limit: 0,
            event_limit: 0,
            ..SimConfig::default()
        },
        SimConfig {
            ttl_secs: 1,
            cache_latency_us: 0,
            db_latency_us: 0,
            requests: 3_000,
            ..SimConfig::default()
        },
        SimConfig {
            faults: vec![Fault {
                at_request: u32::MAX,
                kind: FaultKind::CacheRestart,
            }],
            ..SimConfig::default()
        },
    ];
    for cfg in edges {
        let r = run_ok(&cfg);
        assert_eq!(r.metrics.requests, u64::from(cfg.requests));
    }
    // A cache smaller than the engine's own overhead refuses every SET with OOM.
    let r = run_ok(&SimConfig {
        capacity_bytes: Some(1),
        requests: 500,
        ..SimConfig::default()
    });
    assert!(r.metrics.cache_errors > 0 && r.metrics.hits == 0);
    assert!(r.log.iter().any(|l| l.reply.starts_with("(error) OOM")));
    // 99,000 simulated seconds at 0.001 requests/s, with a 1 ms flush interval and
    // 100 ms expiry cycles, still runs instantly: idle ticks are skipped.
    let r = run_ok(&SimConfig {
        strategy: Strategy::WriteBehind,
        flush_interval_ms: 1,
        rate_per_sec: 0.001,
        requests: 100,
        ..SimConfig::default()
    });
    assert_eq!(r.metrics.sim_time_us, 99_000_000_000);
}
