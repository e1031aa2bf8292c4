//! What a simulation run is asked to do: the strategy, the workload, the latencies,
//! the cache's size, the faults, and how much of the run to record.
//!
//! [`SimConfig::validate`] turns every absurd value (NaN rates, zero users, a
//! million-fold slowdown, ...) into a [`SimError`], so the rest of the simulator can
//! trust its input and never has to panic. It also owns how keys are named, because
//! the log, the cache and the database must all agree on it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The most requests one run may simulate.
pub const MAX_REQUESTS: u32 = 10_000_000;
/// The most distinct keys (and database rows) one run may use.
pub const MAX_KEYS: u32 = 1_000_000;
/// The most users one run may name.
pub const MAX_USERS: u32 = 100_000_000;
/// The largest padded row, in bytes.
pub const MAX_VALUE_BYTES: u32 = 65_536;
/// The largest TTL: one year.
pub const MAX_TTL_SECS: u64 = 31_536_000;
/// The largest cache or database latency per operation: one minute.
pub const MAX_LATENCY_US: u64 = 60_000_000;
/// The largest cache capacity: 1 TiB.
pub const MAX_CAPACITY_BYTES: u64 = 1 << 40;
/// The longest write-behind flush interval: one day.
pub const MAX_FLUSH_INTERVAL_MS: u64 = 86_400_000;
/// The most scheduled faults.
pub const MAX_FAULTS: usize = 10_000;
/// The most log lines or sampled events one run may keep.
pub const MAX_RECORDED: usize = 100_000;
/// The longest key prefix.
pub const MAX_PREFIX_BYTES: usize = 64;

/// How the application combines the cache and the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Strategy {
    /// Every read and write goes to the database.
    NoCache,
    /// Lazy loading: read the cache; on a miss, read the database and store the row.
    CacheAside,
    /// Every write goes to the database and to the cache.
    WriteThrough,
    /// Writes go to the cache; the database is updated later, in batches.
    WriteBehind,
    /// Like cache-aside, but the cache layer (not the app) loads missing rows.
    ReadThrough,
    /// Cache-aside that reloads a hot entry shortly before its TTL runs out.
    RefreshAhead,
}

impl Strategy {
    pub const ALL: [Strategy; 6] = [
        Strategy::NoCache,
        Strategy::CacheAside,
        Strategy::WriteThrough,
        Strategy::WriteBehind,
        Strategy::ReadThrough,
        Strategy::RefreshAhead,
    ];

    /// A stable identifier, for URLs and storage.
    pub fn id(self) -> &'static str {
        match self {
            Strategy::NoCache => "no-cache",
            Strategy::CacheAside => "cache-aside",
            Strategy::WriteThrough => "write-through",
            Strategy::WriteBehind => "write-behind",
            Strategy::ReadThrough => "read-through",
            Strategy::RefreshAhead => "refresh-ahead",
        }
    }

    pub fn from_id(id: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|s| s.id() == id)
    }

    /// The name a learner reads.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::NoCache => "No cache",
            Strategy::CacheAside => "Cache-aside (lazy loading)",
            Strategy::WriteThrough => "Write-through",
            Strategy::WriteBehind => "Write-behind",
            Strategy::ReadThrough => "Read-through",
            Strategy::RefreshAhead => "Refresh-ahead",
        }
    }

    /// What the application sends, in one sentence.
    pub fn summary(self) -> &'static str {
        match self {
            Strategy::NoCache => "Every read and every write is a database query.",
            Strategy::CacheAside => {
                "Reads try GET first; a miss reads the database and stores the row with SET ... EX. \
                 Writes go to the database (and DEL the cached copy if invalidation is on)."
            }
            Strategy::WriteThrough => {
                "Reads as cache-aside. Every write updates the database, then the cache (SET ... EX)."
            }
            Strategy::WriteBehind => {
                "Reads as cache-aside. Writes go to the cache only; a flusher writes the newest \
                 value of each changed key to the database every flush interval."
            }
            Strategy::ReadThrough => {
                "The same commands as cache-aside, but the cache layer loads missing rows from the \
                 database, so the application only ever talks to the cache."
            }
            Strategy::RefreshAhead => {
                "Cache-aside that also asks PTTL on every read; a hit close to expiry reloads the \
                 row in the background, so hot keys rarely miss."
            }
        }
    }

    /// False only for [`Strategy::NoCache`].
    pub fn uses_cache(self) -> bool {
        self != Strategy::NoCache
    }
}

/// Which keys requests pick.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Popularity {
    /// Every key is equally likely.
    Uniform,
    /// Key k (1-based) is picked with probability proportional to 1 / k^s: a few hot
    /// keys and a long tail. s = 1 is the classic Zipf law.
    Zipf { s: f64 },
}

/// Something that goes wrong during a run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum FaultKind {
    /// The cache restarts empty (FLUSHALL). Write-behind loses its queued writes.
    CacheRestart,
    /// From now on every database operation takes `factor` times as long.
    /// `factor = 1.0` makes the database healthy again.
    DbSlow { factor: f64 },
}

/// A fault scheduled before request number `at_request` (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    pub at_request: u32,
    pub kind: FaultKind,
}

/// Everything one run needs. Times are simulated; nothing here reads a clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimConfig {
    pub strategy: Strategy,
    /// How many users send the requests (request i comes from user i mod users).
    /// Users only label requests: the application uses one cache connection.
    pub users: u32,
    /// Total number of requests.
    pub requests: u32,
    /// Requests per simulated second, evenly spaced.
    pub rate_per_sec: f64,
    /// The share of requests that are reads, 0.0 to 1.0.
    pub read_ratio: f64,
    /// Number of distinct keys (database rows).
    pub keys: u32,
    /// Keys are named `{key_prefix}{id}`, id from 1; with a single key the key is
    /// the prefix itself (`page:home`).
    pub key_prefix: String,
    pub popularity: Popularity,
    /// Rows are padded with a `"pad"` field to about this many bytes (0: no padding).
    pub value_bytes: u32,
    /// TTL of cached entries in seconds; 0 stores them without a TTL.
    pub ttl_secs: u64,
    /// Cost of one round trip to the cache.
    pub cache_latency_us: u64,
    /// Cost of one database query before any slowdown.
    pub db_latency_us: u64,
    /// The cache's `maxmemory` in bytes, set with CONFIG SET together with
    /// `maxmemory-policy allkeys-lru`. None leaves the cache unbounded.
    pub capacity_bytes: Option<u64>,
    /// Cache-aside, read-through and refresh-ahead writes: DEL the cached copy after
    /// updating the database. Off, the cache keeps the old row until its TTL ends,
    /// which is the lazy loading the lesson describes (stale reads bounded by TTL).
    pub invalidate_on_write: bool,
    /// Write-behind: how often queued writes are flushed to the database.
    pub flush_interval_ms: u64,
    /// Refresh-ahead: reload a hit whose remaining TTL is below this share of the TTL.
    pub refresh_threshold: f64,
    pub seed: u64,
    pub faults: Vec<Fault>,
    /// How many log lines to keep: the first half and the most recent half.
    pub log_limit: usize,
    /// Keep one request event in this many.
    pub sample_every: u32,
    /// How many sampled request events to keep (the most recent).
    pub event_limit: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            strategy: Strategy::CacheAside,
            users: 1_000,
            requests: 10_000,
            rate_per_sec: 1_000.0,
            read_ratio: 0.9,
            keys: 1_000,
            key_prefix: "user:".to_string(),
            popularity: Popularity::Zipf { s: 1.0 },
            value_bytes: 0,
            ttl_secs: 60,
            cache_latency_us: 500,
            db_latency_us: 10_000,
            capacity_bytes: None,
            invalidate_on_write: false,
            flush_interval_ms: 1_000,
            refresh_threshold: 0.2,
            seed: 42,
            faults: Vec::new(),
            log_limit: 200,
            sample_every: 1,
            event_limit: 1_000,
        }
    }
}

/// Why a configuration (or a fault injected mid-run) was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// A parameter is outside what the simulator accepts.
    OutOfRange {
        field: &'static str,
        value: String,
        allowed: &'static str,
    },
    /// The cache refused one of the setup commands (CONFIG SET).
    CacheRefused(String),
    /// The run has finished: there is nothing left to inject a fault into.
    Finished,
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::OutOfRange {
                field,
                value,
                allowed,
            } => {
                write!(f, "{field} = {value} is out of range (allowed: {allowed})")
            }
            SimError::CacheRefused(reply) => write!(f, "the cache refused the setup: {reply}"),
            SimError::Finished => f.write_str("the simulation has finished"),
        }
    }
}

impl std::error::Error for SimError {}

fn out_of_range(field: &'static str, value: impl fmt::Display, allowed: &'static str) -> SimError {
    SimError::OutOfRange {
        field,
        value: value.to_string(),
        allowed,
    }
}

fn check_u64(
    field: &'static str,
    v: u64,
    lo: u64,
    hi: u64,
    allowed: &'static str,
) -> Result<(), SimError> {
    if (lo..=hi).contains(&v) {
        Ok(())
    } else {
        Err(out_of_range(field, v, allowed))
    }
}

/// `lo <= v <= hi`, and false for NaN.
fn check_f64(
    field: &'static str,
    v: f64,
    lo: f64,
    hi: f64,
    allowed: &'static str,
) -> Result<(), SimError> {
    if v >= lo && v <= hi {
        Ok(())
    } else {
        Err(out_of_range(field, v, allowed))
    }
}

impl FaultKind {
    /// Checks the fault's own parameters.
    pub fn validate(&self) -> Result<(), SimError> {
        match *self {
            FaultKind::CacheRestart => Ok(()),
            FaultKind::DbSlow { factor } => {
                check_f64("fault factor", factor, 0.01, 1_000.0, "0.01 to 1000")
            }
        }
    }
}

impl SimConfig {
    /// Checks every parameter; the simulator runs only validated configurations.
    pub fn validate(&self) -> Result<(), SimError> {
        check_u64(
            "users",
            self.users.into(),
            1,
            MAX_USERS.into(),
            "1 to 100,000,000",
        )?;
        check_u64(
            "requests",
            self.requests.into(),
            1,
            MAX_REQUESTS.into(),
            "1 to 10,000,000",
        )?;
        check_f64(
            "rate_per_sec",
            self.rate_per_sec,
            0.001,
            10_000_000.0,
            "0.001 to 10,000,000",
        )?;
        check_f64("read_ratio", self.read_ratio, 0.0, 1.0, "0 to 1")?;
        check_u64(
            "keys",
            self.keys.into(),
            1,
            MAX_KEYS.into(),
            "1 to 1,000,000",
        )?;
        let prefix_ok = !self.key_prefix.is_empty()
            && self.key_prefix.len() <= MAX_PREFIX_BYTES
            && self
                .key_prefix
                .bytes()
                .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'\\'));
        if !prefix_ok {
            return Err(out_of_range(
                "key_prefix",
                format!("{:?}", self.key_prefix),
                "1 to 64 printable ASCII characters, no spaces, quotes or backslashes",
            ));
        }
        if let Popularity::Zipf { s } = self.popularity {
            // Below 0.01 the law is uniform in all but name, and the sampler's
            // arithmetic loses precision; use Uniform instead.
            check_f64("popularity.s", s, 0.01, 10.0, "0.01 to 10")?;
        }
        check_u64(
            "value_bytes",
            self.value_bytes.into(),
            0,
            MAX_VALUE_BYTES.into(),
            "0 to 65,536",
        )?;
        check_u64(
            "ttl_secs",
            self.ttl_secs,
            0,
            MAX_TTL_SECS,
            "0 (no TTL) to 31,536,000",
        )?;
        check_u64(
            "cache_latency_us",
            self.cache_latency_us,
            0,
            MAX_LATENCY_US,
            "0 to 60,000,000",
        )?;
        check_u64(
            "db_latency_us",
            self.db_latency_us,
            0,
            MAX_LATENCY_US,
            "0 to 60,000,000",
        )?;
        if let Some(c) = self.capacity_bytes {
            // maxmemory 0 means "no limit" to Redis: ask for None instead.
            check_u64(
                "capacity_bytes",
                c,
                1,
                MAX_CAPACITY_BYTES,
                "1 to 1 TiB, or none",
            )?;
        }
        check_u64(
            "flush_interval_ms",
            self.flush_interval_ms,
            1,
            MAX_FLUSH_INTERVAL_MS,
            "1 to 86,400,000",
        )?;
        if !(self.refresh_threshold > 0.0 && self.refresh_threshold < 1.0) {
            return Err(out_of_range(
                "refresh_threshold",
                self.refresh_threshold,
                "more than 0, less than 1",
            ));
        }
        if self.faults.len() > MAX_FAULTS {
            return Err(out_of_range("faults", self.faults.len(), "at most 10,000"));
        }
        for fault in &self.faults {
            fault.kind.validate()?;
        }
        check_u64(
            "log_limit",
            self.log_limit as u64,
            0,
            MAX_RECORDED as u64,
            "0 to 100,000",
        )?;
        check_u64(
            "sample_every",
            self.sample_every.into(),
            1,
            u32::MAX.into(),
            "at least 1",
        )?;
        check_u64(
            "event_limit",
            self.event_limit as u64,
            0,
            MAX_RECORDED as u64,
            "0 to 100,000",
        )?;
        Ok(())
    }

    /// The key for id `id` (1-based), as the application names it.
    pub fn key_name(&self, id: u32) -> String {
        let mut out = Vec::with_capacity(self.key_prefix.len() + 10);
        self.write_key(id, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Appends the key for `id` to `out`.
    pub(crate) fn write_key(&self, id: u32, out: &mut Vec<u8>) {
        out.extend_from_slice(self.key_prefix.as_bytes());
        if self.keys != 1 {
            crate::num::push_u64(out, id.into());
        }
    }

    /// The table the database statements in the log name: the prefix's leading
    /// letters plus "s" (`user:` → `users`).
    pub fn table_name(&self) -> String {
        let stem: String = self
            .key_prefix
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if stem.is_empty() {
            "items".to_string()
        } else {
            format!("{stem}s")
        }
    }

    /// A `capacity_bytes` that holds about `keys` cached rows of this configuration.
    ///
    /// Measured, not guessed: it stores one row (with the longest key and the TTL)
    /// in a scratch engine and reads the engine's own memory accounting, so it
    /// follows however the engine counts bytes.
    pub fn capacity_for_keys(&self, keys: u32) -> u64 {
        let mut engine = crate::Engine::new();
        let mut client = engine.new_client();
        let base = engine.used_memory();
        let id = self.keys.clamp(1, MAX_KEYS);
        let mut key = Vec::new();
        self.write_key(id, &mut key);
        let mut row = Vec::new();
        super::database::encode_row(
            id,
            super::database::INITIAL_VERSION,
            self.value_bytes,
            &mut row,
        );
        let mut argv = vec![b"SET".to_vec(), key, row];
        if self.ttl_secs > 0 {
            argv.push(b"EX".to_vec());
            argv.push(self.ttl_secs.to_string().into_bytes());
        }
        engine.execute(&mut client, argv, super::EPOCH_US);
        let per_key = engine.used_memory().saturating_sub(base).max(1);
        base.saturating_add(per_key.saturating_mul(keys.into()))
            .min(MAX_CAPACITY_BYTES)
    }
}
