//! Ready-made scenarios for the lesson, each a configuration plus the strategy to
//! show beside it. They are plain data; the numbers and claims in their
//! descriptions are checked by the simulator's tests, so the text cannot drift from
//! what the simulator shows.

use serde::Serialize;

use super::config::{Fault, FaultKind, Popularity, SimConfig, Strategy};

/// A named scenario: run `config`, and the same requests with `compare_with`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Preset {
    /// A stable identifier, for URLs.
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub config: SimConfig,
    /// The strategy shown side by side, on the same request stream.
    pub compare_with: Strategy,
}

/// The lesson's scenarios, in teaching order.
pub fn presets() -> Vec<Preset> {
    let base = SimConfig {
        log_limit: 60,
        sample_every: 10,
        event_limit: 1_000,
        ..SimConfig::default()
    };
    let small_cache = {
        let cfg = SimConfig {
            strategy: Strategy::CacheAside,
            users: 10_000,
            requests: 50_000,
            rate_per_sec: 1_000.0,
            read_ratio: 1.0,
            keys: 20_000,
            popularity: Popularity::Zipf { s: 1.0 },
            value_bytes: 1_000,
            ttl_secs: 300,
            sample_every: 50,
            ..base.clone()
        };
        SimConfig {
            capacity_bytes: Some(cfg.capacity_for_keys(1_000)),
            ..cfg
        }
    };
    vec![
        Preset {
            id: "homepage",
            name: "10,000 users load the homepage (TTL 60 s)",
            description: "Ten thousand users open the homepage within ten seconds. Without a cache, \
                          every visit is a database query: 10,000 queries. With cache-aside, the first \
                          visit misses, reads the database and stores the page for 60 seconds; the \
                          other 9,999 are served from the cache, and the database sees 1 query.",
            config: SimConfig {
                strategy: Strategy::CacheAside,
                users: 10_000,
                requests: 10_000,
                rate_per_sec: 1_000.0,
                read_ratio: 1.0,
                keys: 1,
                key_prefix: "page:home".to_string(),
                popularity: Popularity::Uniform,
                ttl_secs: 60,
                cache_latency_us: 1_000,
                db_latency_us: 20_000,
                ..base.clone()
            },
            compare_with: Strategy::NoCache,
        },
        Preset {
            id: "stale-reads",
            name: "Lazy loading serves stale data until the TTL ends",
            description: "Profiles are read often and updated now and then. Cache-aside only writes \
                          to the database, so a cached profile stays old until its 30-second TTL \
                          runs out: about one read in eight is stale. Double the TTL and the stale \
                          reads double too, while the misses drop. Write-through updates the cache \
                          on every write, so no read is ever stale.",
            config: SimConfig {
                strategy: Strategy::CacheAside,
                users: 2_000,
                requests: 60_000,
                rate_per_sec: 500.0,
                read_ratio: 0.95,
                keys: 2_000,
                popularity: Popularity::Uniform,
                ttl_secs: 30,
                ..base.clone()
            },
            compare_with: Strategy::WriteThrough,
        },
        Preset {
            id: "write-through-rarely-read",
            name: "Write-through on rarely read data",
            description: "Nine requests in ten are writes, spread over 20,000 rows. Write-through \
                          copies every write into the cache, and most of those copies are never read \
                          before they are overwritten or expire: wasted cache writes. Cache-aside \
                          only caches what someone asked for.",
            config: SimConfig {
                strategy: Strategy::WriteThrough,
                users: 5_000,
                requests: 50_000,
                rate_per_sec: 500.0,
                read_ratio: 0.1,
                keys: 20_000,
                popularity: Popularity::Uniform,
                ttl_secs: 60,
                ..base.clone()
            },
            compare_with: Strategy::CacheAside,
        },
        Preset {
            id: "write-behind-crash",
            name: "Write-behind and a crash",
            description: "Writes go to the cache and are flushed to the database every 5 seconds. \
                          12.5 seconds in, the cache restarts: every write since the last flush is \
                          lost. Write-through, beside it, loses nothing but waits for the database \
                          on every write.",
            config: SimConfig {
                strategy: Strategy::WriteBehind,
                users: 1_000,
                requests: 20_000,
                rate_per_sec: 1_000.0,
                read_ratio: 0.5,
                keys: 1_000,
                popularity: Popularity::Zipf { s: 1.0 },
                ttl_secs: 300,
                flush_interval_ms: 5_000,
                faults: vec![Fault { at_request: 12_500, kind: FaultKind::CacheRestart }],
                ..base.clone()
            },
            compare_with: Strategy::WriteThrough,
        },
        Preset {
            id: "small-cache",
            name: "A cache too small for the data",
            description: "20,000 rows of about 1 KB, but the cache's maxmemory only fits about 1,000 \
                          of them, with allkeys-lru. The engine evicts the least recently used keys; \
                          because a few rows are far more popular than the rest, most reads still hit.",
            config: small_cache,
            compare_with: Strategy::NoCache,
        },
        Preset {
            id: "slow-database",
            name: "The database slows down",
            description: "Halfway through, every database query becomes ten times slower. Without a \
                          cache every request feels it; with cache-aside only the misses do.",
            config: SimConfig {
                strategy: Strategy::CacheAside,
                users: 5_000,
                requests: 40_000,
                rate_per_sec: 1_000.0,
                read_ratio: 1.0,
                keys: 5_000,
                popularity: Popularity::Zipf { s: 1.1 },
                ttl_secs: 60,
                faults: vec![Fault { at_request: 20_000, kind: FaultKind::DbSlow { factor: 10.0 } }],
                ..base.clone()
            },
            compare_with: Strategy::NoCache,
        },
        Preset {
            id: "refresh-ahead",
            name: "Refresh-ahead keeps hot keys warm",
            description: "With a short 10-second TTL, cache-aside misses on popular keys every time \
                          they expire. Refresh-ahead reloads a popular entry in the background when \
                          less than 20% of its TTL is left, so those reads keep hitting.",
            config: SimConfig {
                strategy: Strategy::RefreshAhead,
                users: 5_000,
                requests: 60_000,
                rate_per_sec: 1_000.0,
                read_ratio: 1.0,
                keys: 2_000,
                popularity: Popularity::Zipf { s: 1.2 },
                ttl_secs: 10,
                ..base
            },
            compare_with: Strategy::CacheAside,
        },
    ]
}
