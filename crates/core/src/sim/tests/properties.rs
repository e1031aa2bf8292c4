//! Property tests: any valid configuration runs, deterministically, and its numbers
//! add up; any configuration at all runs or is refused, never panics.

use super::*;
use crate::sim::Strategy as Sim;
use proptest::prelude::*;
use proptest::strategy::Strategy;

fn strategy() -> impl Strategy<Value = Sim> {
    prop::sample::select(Sim::ALL.to_vec())
}

fn fault() -> impl Strategy<Value = Fault> {
    (
        0u32..3_000,
        prop_oneof![
            Just(FaultKind::CacheRestart),
            (0.01f64..100.0).prop_map(|factor| FaultKind::DbSlow { factor })
        ],
    )
        .prop_map(|(at_request, kind)| Fault { at_request, kind })
}

prop_compose! {
    fn config()(
        strategy in strategy(),
        users in 1u32..100,
        requests in 1u32..2_000,
        rate in 0.01f64..100_000.0,
        read_ratio in 0.0f64..=1.0,
        keys in 1u32..3_000,
        zipf in prop::option::of(0.01f64..4.0),
        value_bytes in 0u32..2_000,
        ttl_secs in 0u64..100,
        cache_latency_us in 0u64..10_000,
        db_latency_us in 0u64..100_000,
        capacity_keys in prop::option::of(0u32..500),
        invalidate_on_write: bool,
        flush_interval_ms in 1u64..10_000,
        refresh_threshold in 0.01f64..0.99,
        seed: u64,
        faults in prop::collection::vec(fault(), 0..4),
        log_limit in 0usize..50,
        sample_every in 1u32..20,
        event_limit in 0usize..50,
    ) -> SimConfig {
        let mut cfg = SimConfig {
            strategy, users, requests, rate_per_sec: rate, read_ratio, keys,
            key_prefix: "k:".to_string(),
            popularity: zipf.map_or(Popularity::Uniform, |s| Popularity::Zipf { s }),
            value_bytes, ttl_secs, cache_latency_us, db_latency_us, capacity_bytes: None,
            invalidate_on_write, flush_interval_ms, refresh_threshold, seed, faults,
            log_limit, sample_every, event_limit,
        };
        cfg.capacity_bytes = capacity_keys.map(|k| cfg.capacity_for_keys(k));
        cfg
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any valid configuration runs, deterministically, and its numbers add up.
    #[test]
    fn valid_configurations_run_and_add_up(cfg in config()) {
        let a = run(&cfg).expect("valid");
        let m = &a.metrics;
        prop_assert_eq!(m.requests, u64::from(cfg.requests));
        prop_assert_eq!(m.reads + m.writes, m.requests);
        prop_assert_eq!(m.db_queries, m.db_reads + m.db_writes);
        if cfg.strategy.uses_cache() {
            prop_assert_eq!(m.hits + m.misses, m.reads);
        }
        if cfg.strategy != Sim::WriteBehind {
            prop_assert_eq!(m.lost_writes + m.pending_writes, 0);
        }
        if cfg.strategy == Sim::WriteThrough || cfg.strategy == Sim::NoCache {
            // Write-through can serve a stale row only if the cache refused a SET.
            prop_assert!(m.stale_reads == 0 || m.cache_errors > 0);
        }
        prop_assert!(m.wasted_writes <= m.cache_writes);
        prop_assert!(a.log.len() <= cfg.log_limit);
        prop_assert!(a.events.len() <= cfg.event_limit);
        prop_assert!(a.series.len() <= 101);
        prop_assert_eq!(&run(&cfg).expect("valid"), &a);
    }

    /// Any configuration at all either runs or is refused: never a panic.
    #[test]
    fn any_configuration_runs_or_is_refused(
        cfg in config(),
        users: u32, requests in 0u32..3_000, rate: f64, read_ratio: f64, keys: u32, s: f64,
        ttl_secs: u64, db_latency_us: u64, capacity: Option<u64>, flush_interval_ms: u64,
        refresh_threshold: f64, factor: f64, prefix in "\\PC{0,70}",
    ) {
        let cfg = SimConfig {
            users, requests, rate_per_sec: rate, read_ratio, keys: keys % 5_000,
            popularity: Popularity::Zipf { s }, ttl_secs, db_latency_us, capacity_bytes: capacity,
            flush_interval_ms, refresh_threshold, key_prefix: prefix,
            faults: vec![Fault { at_request: 1, kind: FaultKind::DbSlow { factor } }],
            ..cfg
        };
        if let Ok(mut sim) = Simulation::new(cfg) {
            sim.step(500);
            let _ = sim.inject(FaultKind::DbSlow { factor });
            sim.run_to_end();
            let _ = sim.result();
        }
    }
}
