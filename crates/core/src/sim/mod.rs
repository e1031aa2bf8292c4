//! The caching-strategy simulator: the lesson's strategies (cache-aside, write-through,
//! write-behind, plus read-through and refresh-ahead, and "no cache" to compare
//! against) played out on a simulated clock, with the real engine as the cache.
//!
//! The cache is an [`Engine`](crate::Engine) driven with the very commands each
//! strategy sends (GET, SET ... EX, DEL, PTTL, FLUSHALL, CONFIG SET), and every
//! decision comes from the real replies. The database is simulated: rows with
//! versions, and a latency per query. The run is deterministic: the same
//! configuration (seed included) gives the same result, bit for bit, natively and in
//! wasm, and two strategies given the same configuration answer the same requests.
//!
//! Map of the simulator:
//! - `config`: [`SimConfig`], [`Strategy`], faults, validation ([`SimError`]).
//! - `workload`: the request stream (arrival times, users, reads/writes, keys).
//! - `random`: the seeded generator and Zipf sampling, free of platform maths.
//! - `database`: the simulated database and the row format shared with the cache.
//! - `simulation`: [`Simulation`], which runs the strategies against the engine.
//! - `metrics`: [`Metrics`], the time series and latency percentiles.
//! - `log`: the command log, as redis-cli lines.
//! - `presets`: the lesson's scenarios.
//!
//! Like the rest of the core, the simulator does no I/O, never reads a clock and
//! never panics: [`SimConfig::validate`] refuses absurd parameters up front.
//!
//! ```
//! use cachelab_core::sim::{self, Strategy};
//! let presets = sim::presets();
//! let home = presets.iter().find(|p| p.id == "homepage").ok_or("no homepage preset")?;
//! let (cached, uncached) = sim::compare(&home.config, Strategy::NoCache)?;
//! assert_eq!((cached.metrics.db_queries, uncached.metrics.db_queries), (1, 10_000));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod config;
mod database;
mod log;
mod metrics;
mod presets;
mod random;
mod simulation;
mod workload;

#[cfg(test)]
mod tests;

pub use config::{
    Fault, FaultKind, Popularity, SimConfig, SimError, Strategy, MAX_CAPACITY_BYTES, MAX_KEYS,
    MAX_RECORDED, MAX_REQUESTS,
};
pub use log::{cli_line, Actor, LogLine, Target};
pub use metrics::{Metrics, SeriesPoint};
pub use presets::{presets, Preset};
pub use simulation::{AppliedFault, Outcome, Progress, RequestEvent, SimResult, Simulation};
pub use workload::{Request, RequestKind, RequestStream};

/// The simulated clock starts here (unix µs, November 2023); times in results are
/// relative to it.
pub const EPOCH_US: u64 = 1_700_000_000_000_000;

/// Runs `cfg` to the end.
pub fn run(cfg: &SimConfig) -> Result<SimResult, SimError> {
    let mut sim = Simulation::new(cfg.clone())?;
    sim.run_to_end();
    Ok(sim.result())
}

/// Runs `cfg`, then the same configuration (so the same requests) with `other`.
pub fn compare(cfg: &SimConfig, other: Strategy) -> Result<(SimResult, SimResult), SimError> {
    let first = run(cfg)?;
    let second = run(&SimConfig {
        strategy: other,
        ..cfg.clone()
    })?;
    Ok((first, second))
}

/// The configuration the benchmark harness times: 100,000 requests of cache-aside
/// over 10,000 Zipf-distributed keys, with a cache that holds about 2,000 of them
/// (so the engine evicts), a small log and sampled events.
pub fn benchmark_config() -> SimConfig {
    let cfg = SimConfig {
        strategy: Strategy::CacheAside,
        users: 10_000,
        requests: 100_000,
        rate_per_sec: 1_000.0,
        read_ratio: 0.9,
        keys: 10_000,
        popularity: Popularity::Zipf { s: 1.0 },
        value_bytes: 200,
        ttl_secs: 60,
        log_limit: 200,
        sample_every: 100,
        event_limit: 1_000,
        ..SimConfig::default()
    };
    SimConfig {
        capacity_bytes: Some(cfg.capacity_for_keys(2_000)),
        ..cfg
    }
}
