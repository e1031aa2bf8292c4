//! The simulator's specification, as tests: the lesson's numbers, the strategies'
//! guarantees (and their failures), determinism, and robustness on any input.

mod config;
mod properties;

use super::*;
use crate::{cli, Engine};

fn preset(id: &str) -> Preset {
    presets()
        .into_iter()
        .find(|p| p.id == id)
        .expect("preset exists")
}

fn run_ok(cfg: &SimConfig) -> SimResult {
    run(cfg).expect("valid config")
}

/// One key read by everyone: the homepage.
fn homepage(requests: u32, rate: f64, ttl: u64, strategy: Strategy) -> SimConfig {
    SimConfig {
        strategy,
        requests,
        rate_per_sec: rate,
        read_ratio: 1.0,
        keys: 1,
        key_prefix: "page:home".to_string(),
        popularity: Popularity::Uniform,
        ttl_secs: ttl,
        ..SimConfig::default()
    }
}

#[test]
fn homepage_preset_one_query_with_cache_aside_ten_thousand_without() {
    let p = preset("homepage");
    assert_eq!(p.compare_with, Strategy::NoCache);
    let (cached, uncached) = compare(&p.config, p.compare_with).unwrap();
    assert_eq!(cached.metrics.requests, 10_000);
    assert_eq!(cached.metrics.db_queries, 1);
    assert_eq!((cached.metrics.hits, cached.metrics.misses), (9_999, 1));
    assert_eq!(uncached.metrics.db_queries, 10_000);
    assert_eq!(uncached.metrics.hits + uncached.metrics.misses, 0);
    // The lesson's "about 1 ms" for the 9,999 cache hits.
    assert_eq!(cached.metrics.p95_latency_us, p.config.cache_latency_us);
    assert_eq!(uncached.metrics.p95_latency_us, p.config.db_latency_us);
}

#[test]
fn cache_aside_queries_the_database_once_per_ttl_window() {
    // 100 s of requests, TTL 30 s: loads at 0, 30, 60 and 90 s.
    let r = run_ok(&SimConfig {
        log_limit: MAX_RECORDED,
        ..homepage(10_000, 100.0, 30, Strategy::CacheAside)
    });
    assert_eq!(r.metrics.sim_time_us, 99_990_000);
    assert_eq!(r.metrics.db_queries, 4);
    assert_eq!(r.metrics.misses, 4);
    // As in Redis, a key expires once its deadline has passed: the request at exactly
    // 30.000 s still hits, the one 10 ms later misses.
    let misses: Vec<u64> = r
        .log
        .iter()
        .filter(|l| l.command.starts_with("SELECT"))
        .map(|l| l.t_us)
        .collect();
    assert_eq!(misses, vec![0, 30_010_000, 60_020_000, 90_030_000]);
    // Without a TTL, one load serves the whole run.
    assert_eq!(
        run_ok(&homepage(10_000, 100.0, 0, Strategy::CacheAside))
            .metrics
            .db_queries,
        1
    );
    assert_eq!(
        run_ok(&homepage(10_000, 100.0, 30, Strategy::NoCache))
            .metrics
            .db_queries,
        10_000
    );
}

#[test]
fn the_log_shows_the_lazy_loading_commands() {
    let r = run_ok(&SimConfig {
        log_limit: 10,
        ..preset("homepage").config
    });
    let lines: Vec<(Target, &str, &str)> = r
        .log
        .iter()
        .take(5)
        .map(|l| (l.target, l.command.as_str(), l.reply.as_str()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (Target::Cache, "GET page:home", "(nil)"),
            (
                Target::Database,
                "SELECT * FROM pages WHERE id = 1",
                r#"{"id":1,"v":1}"#
            ),
            (
                Target::Cache,
                r#"SET page:home '{"id":1,"v":1}' EX 60"#,
                "OK"
            ),
            (Target::Cache, "GET page:home", r#""{\"id\":1,\"v\":1}""#),
            (Target::Cache, "GET page:home", r#""{\"id\":1,\"v\":1}""#),
        ]
    );
    assert_eq!(r.log.len(), 10);
    assert_eq!(r.log_total, 10_002);
    assert_eq!(
        r.log.last().map(|l| l.seq),
        Some(10_001),
        "the tail is the most recent commands"
    );
}

/// Replaying the logged cache commands on a fresh engine gives the logged replies:
/// the log is exactly what was sent.
#[test]
fn the_log_replays_on_a_fresh_engine() {
    for strategy in [
        Strategy::CacheAside,
        Strategy::WriteThrough,
        Strategy::WriteBehind,
        Strategy::RefreshAhead,
    ] {
        let cfg = SimConfig {
            strategy,
            requests: 3_000,
            keys: 50,
            ttl_secs: 2,
            read_ratio: 0.7,
            invalidate_on_write: true,
            faults: vec![Fault {
                at_request: 1_500,
                kind: FaultKind::CacheRestart,
            }],
            log_limit: MAX_RECORDED,
            ..SimConfig::default()
        };
        let r = run_ok(&cfg);
        assert!(r.log_total < MAX_RECORDED as u64 / 2, "whole log kept");
        let mut e = Engine::new();
        let mut c = e.new_client();
        let mut replayed = 0;
        for line in r.log.iter().filter(|l| l.target == Target::Cache) {
            let argv = cli::tokenize(&line.command).expect("valid redis-cli line");
            let reply = e.execute(&mut c, argv, EPOCH_US + line.t_us);
            assert_eq!(
                cli::format_reply(&reply),
                line.reply,
                "{strategy:?}: {}",
                line.command
            );
            replayed += 1;
        }
        assert_eq!(replayed, r.metrics.cache_commands);
    }
}

#[test]
fn write_through_never_serves_a_stale_read() {
    for (popularity, capacity) in [
        (Popularity::Zipf { s: 1.0 }, None),
        (Popularity::Uniform, Some(2_000)),
    ] {
        let mut cfg = SimConfig {
            strategy: Strategy::WriteThrough,
            requests: 30_000,
            read_ratio: 0.7,
            keys: 5_000,
            popularity,
            ttl_secs: 30,
            ..SimConfig::default()
        };
        cfg.capacity_bytes = capacity.map(|k| cfg.capacity_for_keys(k));
        cfg.faults = vec![Fault {
            at_request: 10_000,
            kind: FaultKind::CacheRestart,
        }];
        let wt = run_ok(&cfg);
        assert_eq!(wt.metrics.stale_reads, 0);
        assert!(wt.metrics.hits > 0 && wt.metrics.writes > 0);
        // The same requests with lazy loading do serve stale rows (TTL-bounded)...
        let lazy = run_ok(&SimConfig {
            strategy: Strategy::CacheAside,
            ..cfg.clone()
        });
        assert!(lazy.metrics.stale_reads > 0, "{popularity:?}");
        // ...unless writes invalidate the cached copy.
        let del = run_ok(&SimConfig {
            strategy: Strategy::CacheAside,
            invalidate_on_write: true,
            ..cfg
        });
        assert_eq!(del.metrics.stale_reads, 0);
    }
    let p = preset("stale-reads");
    let (lazy, wt) = compare(&p.config, p.compare_with).unwrap();
    assert_eq!(wt.metrics.stale_reads, 0);
    // "About one read in eight is stale."
    let share = lazy.metrics.stale_reads as f64 / lazy.metrics.reads as f64;
    assert!((0.1..0.16).contains(&share), "{share}");
    // "Double the TTL and the stale reads double too, while the misses drop."
    let longer = run_ok(&SimConfig {
        ttl_secs: 60,
        ..p.config.clone()
    });
    let ratio = longer.metrics.stale_reads as f64 / lazy.metrics.stale_reads as f64;
    assert!((1.7..2.3).contains(&ratio), "{ratio}");
    assert!(longer.metrics.misses < lazy.metrics.misses);
}

/// The writes since the last flush, counted straight from the request stream.
fn writes_between(cfg: &SimConfig, from_us: u64, before_index: u32) -> u64 {
    RequestStream::new(cfg)
        .filter(|r| r.kind == RequestKind::Write && r.t_us >= from_us && r.index < before_index)
        .count() as u64
}

#[test]
fn write_behind_loses_exactly_the_writes_queued_at_the_crash() {
    let p = preset("write-behind-crash");
    let cfg = &p.config;
    // Flushes every 5 s; the crash comes before request 12,500 (12.5 s): the writes
    // from 10 s on are queued.
    let expected = writes_between(cfg, 10_000_000, 12_500);
    assert!(expected > 1_000, "{expected}");
    let (wb, wt) = compare(cfg, p.compare_with).unwrap();
    assert_eq!(wb.metrics.lost_writes, expected);
    assert_eq!(wb.faults.len(), 1);
    assert_eq!(wb.faults[0].lost_writes, expected);
    assert_eq!(wb.faults[0].t_us, 12_500_000);
    assert_eq!(wt.metrics.lost_writes, 0);
    // Write-behind acknowledges writes at cache speed.
    assert_eq!(
        wb.metrics.mean_write_latency_us,
        cfg.cache_latency_us as f64
    );
    assert!(wt.metrics.mean_write_latency_us > wb.metrics.mean_write_latency_us);
    // The writes since the last flush (15 s; the run ends at 19.999 s) are pending, not lost.
    assert_eq!(
        wb.metrics.pending_writes,
        writes_between(cfg, 15_000_000, u32::MAX)
    );
    // Coalescing: fewer database writes than application writes.
    assert!(
        wb.metrics.db_writes
            < wb.metrics.writes - wb.metrics.lost_writes - wb.metrics.pending_writes
    );
}

#[test]
fn a_crash_injected_mid_run_loses_the_queue() {
    let cfg = SimConfig {
        strategy: Strategy::WriteBehind,
        requests: 5_000,
        read_ratio: 0.5,
        flush_interval_ms: 1_000,
        ..SimConfig::default()
    };
    let mut sim = Simulation::new(cfg.clone()).unwrap();
    sim.step(2_300); // up to 2.299 s; the last flush was at 2 s
    sim.inject(FaultKind::CacheRestart).unwrap();
    sim.step(1);
    // The button press shows in the log's recent half right away.
    let flush = sim
        .log_since(0)
        .into_iter()
        .find(|l| l.command == "FLUSHALL")
        .expect("logged");
    assert_eq!(
        (flush.actor, flush.request, flush.reply.as_str()),
        (Actor::Operator, Some(2_300), "OK")
    );
    sim.run_to_end();
    let expected = writes_between(&cfg, 2_000_000, 2_300);
    assert_eq!(sim.metrics().lost_writes, expected);
    assert_eq!(sim.applied_faults()[0].at_request, 2_300);
    assert_eq!(sim.inject(FaultKind::CacheRestart), Err(SimError::Finished));
    assert!(sim.inject(FaultKind::DbSlow { factor: f64::NAN }).is_err());
}

#[test]
fn same_seed_same_result_different_seed_different_result() {
    let cfg = SimConfig {
        requests: 20_000,
        keys: 2_000,
        read_ratio: 0.8,
        ttl_secs: 5,
        log_limit: 100,
        sample_every: 7,
        faults: vec![
            Fault {
                at_request: 5_000,
                kind: FaultKind::CacheRestart,
            },
            Fault {
                at_request: 9_000,
                kind: FaultKind::DbSlow { factor: 3.5 },
            },
        ],
        ..SimConfig::default()
    };
    for strategy in Strategy::ALL {
        let cfg = SimConfig {
            strategy,
            ..cfg.clone()
        };
        let a = run_ok(&cfg);
        let b = run_ok(&cfg);
        assert_eq!(a, b, "{strategy:?}");
        assert_eq!(a.series.len(), 101);
        let c = run_ok(&SimConfig {
            seed: 43,
            ..cfg.clone()
        });
        assert_ne!(a.events, c.events, "{strategy:?}");
        if strategy.uses_cache() {
            assert_ne!(a.metrics, c.metrics, "{strategy:?}");
        }
    }
}

#[test]
fn every_strategy_answers_the_same_requests() {
    let cfg = SimConfig {
        requests: 5_000,
        read_ratio: 0.6,
        event_limit: 5_000,
        ..SimConfig::default()
    };
    let expected: Vec<(u32, u32, RequestKind)> = RequestStream::new(&cfg)
        .map(|r| (r.index, r.key, r.kind))
        .collect();
    for strategy in Strategy::ALL {
        let r = run_ok(&SimConfig {
            strategy,
            ..cfg.clone()
        });
        let seen: Vec<(u32, u32, RequestKind)> =
            r.events.iter().map(|e| (e.index, e.key, e.kind)).collect();
        assert_eq!(seen, expected, "{strategy:?}");
    }
}

#[test]
fn zipf_hits_more_than_uniform_in_the_same_cache() {
    let mut cfg = SimConfig {
        requests: 50_000,
        read_ratio: 1.0,
        keys: 10_000,
        ttl_secs: 600,
        value_bytes: 200,
        ..SimConfig::default()
    };
    cfg.capacity_bytes = Some(cfg.capacity_for_keys(1_000));
    let zipf = run_ok(&SimConfig {
        popularity: Popularity::Zipf { s: 1.0 },
        ..cfg.clone()
    });
    let uniform = run_ok(&SimConfig {
        popularity: Popularity::Uniform,
        ..cfg
    });
    assert!(
        zipf.metrics.hit_ratio > uniform.metrics.hit_ratio + 0.2,
        "zipf {} uniform {}",
        zipf.metrics.hit_ratio,
        uniform.metrics.hit_ratio
    );
}

#[test]
fn a_cache_that_is_too_small_evicts() {
    let p = preset("small-cache");
    let cfg = &p.config;
    let r = run_ok(cfg);
    assert!(
        r.metrics.evicted_keys > 1_000,
        "evicted {}",
        r.metrics.evicted_keys
    );
    assert!(
        r.metrics.hit_ratio > 0.4,
        "hit ratio {}",
        r.metrics.hit_ratio
    );
    // The cache stayed about its size: eviction runs before each command, so at most
    // the last row stored can be over.
    let mut sim = Simulation::new(cfg.clone()).unwrap();
    sim.run_to_end();
    let capacity = cfg.capacity_bytes.unwrap();
    assert!(
        sim.engine().used_memory() <= capacity + 2_000,
        "{} > {}",
        sim.engine().used_memory(),
        capacity
    );
    // About 1,000 rows fit (shorter keys than the measured one leave a little room).
    assert!(sim.engine().db(0).map_or(0, |d| d.len()) <= 1_050);
    // The same run without a limit never evicts.
    let unbounded = run_ok(&SimConfig {
        capacity_bytes: None,
        ..cfg.clone()
    });
    assert_eq!(unbounded.metrics.evicted_keys, 0);
    assert!(unbounded.metrics.hit_ratio > r.metrics.hit_ratio);
}

#[test]
fn wasted_writes_are_counted_once_each() {
    // Only writes to one key: every SET is overwritten or left unread at the end.
    let writes_only = SimConfig {
        strategy: Strategy::WriteThrough,
        requests: 100,
        read_ratio: 0.0,
        keys: 1,
        ..SimConfig::default()
    };
    let r = run_ok(&writes_only);
    assert_eq!(
        (r.metrics.cache_writes, r.metrics.wasted_writes),
        (100, 100)
    );
    // One load, read ever after: nothing wasted.
    let r = run_ok(&homepage(1_000, 100.0, 0, Strategy::CacheAside));
    assert_eq!((r.metrics.cache_writes, r.metrics.wasted_writes), (1, 0));
    // One load per TTL window, each read afterwards: nothing wasted either.
    let r = run_ok(&homepage(10_000, 100.0, 30, Strategy::CacheAside));
    assert_eq!((r.metrics.cache_writes, r.metrics.wasted_writes), (4, 0));
    // The preset: write-through wastes most of its cache writes, cache-aside few.
    let p = preset("write-through-rarely-read");
    let (wt, ca) = compare(&p.config, p.compare_with).unwrap();
    assert!(
        wt.metrics.wasted_writes * 10 > wt.metrics.cache_writes * 8,
        "{:?}",
        wt.metrics
    );
    assert!(wt.metrics.wasted_writes > 5 * ca.metrics.wasted_writes);
    assert!(wt.metrics.db_writes == ca.metrics.db_writes);
}

#[test]
fn refresh_ahead_keeps_hot_keys_warm() {
    let p = preset("refresh-ahead");
    let (ra, ca) = compare(&p.config, p.compare_with).unwrap();
    assert!(ra.metrics.refreshes > 0);
    assert!(
        ra.metrics.hit_ratio > ca.metrics.hit_ratio,
        "{} vs {}",
        ra.metrics.hit_ratio,
        ca.metrics.hit_ratio
    );
    assert!(ra.metrics.mean_latency_us < ca.metrics.mean_latency_us);
    assert!(ra.events.iter().any(|e| e.outcome == Outcome::HitRefreshed));
}

#[test]
fn read_through_sends_what_cache_aside_sends() {
    let cfg = SimConfig {
        requests: 5_000,
        ..SimConfig::default()
    };
    let ca = run_ok(&cfg);
    let rt = run_ok(&SimConfig {
        strategy: Strategy::ReadThrough,
        ..cfg
    });
    assert_eq!(
        SimResult {
            strategy: Strategy::CacheAside,
            log: vec![],
            ..rt.clone()
        },
        SimResult {
            log: vec![],
            ..ca.clone()
        }
    );
    assert!(rt
        .log
        .iter()
        .any(|l| l.actor == Actor::Cache && l.target == Target::Database));
    assert!(!ca.log.iter().any(|l| l.actor == Actor::Cache));
}

#[test]
fn a_slow_database_hurts_misses_only() {
    let p = preset("slow-database");
    let (ca, none) = compare(&p.config, p.compare_with).unwrap();
    let before = &ca.series[50];
    let after = ca.series.last().unwrap();
    assert_eq!(before.requests, 20_000);
    assert!(after.window_mean_latency_us > before.window_mean_latency_us);
    let none_after = none.series.last().unwrap();
    assert_eq!(
        none_after.window_p95_latency_us,
        p.config.db_latency_us * 10
    );
    assert!(after.window_mean_latency_us * 5.0 < none_after.window_mean_latency_us);
    assert_eq!(ca.faults[0].t_us, 20_000_000);
}

#[test]
fn series_and_metrics_hang_together() {
    for strategy in Strategy::ALL {
        let cfg = SimConfig {
            strategy,
            requests: 12_345,
            invalidate_on_write: strategy == Strategy::ReadThrough,
            faults: vec![Fault {
                at_request: 3_000,
                kind: FaultKind::CacheRestart,
            }],
            ..SimConfig::default()
        };
        let r = run_ok(&cfg);
        let m = &r.metrics;
        assert_eq!(m.requests, 12_345);
        assert_eq!(m.reads + m.writes, m.requests);
        assert_eq!(m.db_queries, m.db_reads + m.db_writes);
        if strategy.uses_cache() {
            assert_eq!(m.hits + m.misses, m.reads, "{strategy:?}");
        } else {
            assert_eq!((m.hits, m.misses, m.db_queries), (0, 0, m.requests));
        }
        assert!(m.wasted_writes <= m.cache_writes);
        assert_eq!(m.cache_errors, 0);
        assert_eq!(r.series.len(), 101);
        assert_eq!(r.series[0].requests, 0);
        assert_eq!(r.series[100].requests, 12_345);
        assert_eq!(r.series[100].db_queries, m.db_queries);
        assert_eq!(r.series[100].wasted_writes, m.wasted_writes);
        assert!(r
            .series
            .windows(2)
            .all(|w| w[0].t_us <= w[1].t_us && w[0].requests < w[1].requests));
        let window_total: u64 = r.series.iter().map(|p| p.window_db_queries).sum();
        assert_eq!(window_total, m.db_queries);
    }
    // Fewer than 100 requests: a point per request.
    let r = run_ok(&SimConfig {
        requests: 7,
        ..SimConfig::default()
    });
    assert_eq!(
        r.series.iter().map(|p| p.requests).collect::<Vec<_>>(),
        vec![0, 1, 2, 3, 4, 5, 6, 7]
    );
}

#[test]
fn stepping_matches_running_and_events_can_be_polled() {
    let cfg = SimConfig {
        requests: 3_000,
        sample_every: 3,
        ..SimConfig::default()
    };
    let whole = run_ok(&cfg);
    let mut sim = Simulation::new(cfg).unwrap();
    let mut polled = Vec::new();
    let mut next = 0;
    loop {
        let p = sim.step(7);
        let fresh = sim.events_since(next);
        if let Some(last) = fresh.last() {
            next = last.index + 1;
        }
        polled.extend(fresh);
        if p.finished {
            assert_eq!((p.done, p.total), (3_000, 3_000));
            break;
        }
    }
    assert_eq!(sim.result(), whole);
    assert_eq!(polled, whole.events);
    assert!(polled.iter().all(|e| e.index % 3 == 0));
    assert_eq!(
        sim.step(10).done,
        3_000,
        "stepping past the end is harmless"
    );
}

/// The native time of the benchmark run, printed (run with --nocapture); timing is
/// never asserted.
#[test]
fn benchmark_run_time() {
    let cfg = benchmark_config();
    let started = std::time::Instant::now();
    let r = run_ok(&cfg);
    let elapsed = started.elapsed();
    println!(
        "benchmark_config: {} requests in {:.1} ms (hit ratio {:.3}, {} db queries, {} evicted)",
        r.metrics.requests,
        elapsed.as_secs_f64() * 1e3,
        r.metrics.hit_ratio,
        r.metrics.db_queries,
        r.metrics.evicted_keys
    );
    assert_eq!(r.metrics.requests, 100_000);
}

/// Prints every preset's numbers side by side (run with --nocapture).
#[test]
fn preset_numbers() {
    for p in presets() {
        p.config.validate().unwrap();
        let (a, b) = compare(&p.config, p.compare_with).unwrap();
        for r in [&a, &b] {
            let m = &r.metrics;
            println!(
                "{:28} {:14} hit {:.3} db {:6} (r {:6} w {:6}) mean {:8.0} µs p95 {:6} µs stale {:5} wasted {:6} lost {:5} evicted {:6} expired {:6}",
                p.id,
                r.strategy.id(),
                m.hit_ratio,
                m.db_queries,
                m.db_reads,
                m.db_writes,
                m.mean_latency_us,
                m.p95_latency_us,
                m.stale_reads,
                m.wasted_writes,
                m.lost_writes,
                m.evicted_keys,
                m.expired_keys
            );
        }
    }
}
