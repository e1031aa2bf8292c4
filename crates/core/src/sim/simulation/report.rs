//! What a run reports: each sampled request's outcome, the faults that struck, where
//! the run stands and, at the end, everything together.

use serde::Serialize;

use crate::sim::config::{FaultKind, Strategy};
use crate::sim::log::LogLine;
use crate::sim::metrics::{Metrics, SeriesPoint};
use crate::sim::workload::RequestKind;

/// What happened to one request, for the animated diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Outcome {
    /// The cache answered.
    Hit,
    /// The cache answered, and the entry was reloaded in the background because it
    /// was close to expiring (refresh-ahead).
    HitRefreshed,
    /// The cache had nothing: the row came from the database and was stored in the
    /// cache (by the application, or by the cache itself for read-through).
    Miss,
    /// Read from the database; there is no cache.
    DbRead,
    /// Written to the database only.
    DbWrite,
    /// Written to the database, then the cached copy deleted.
    DbWriteInvalidate,
    /// Written to the database and the cache.
    WriteThrough,
    /// Written to the cache; the database write is queued.
    WriteQueued,
}

impl Outcome {
    /// Reads the cache answered.
    pub fn is_hit(self) -> bool {
        matches!(self, Outcome::Hit | Outcome::HitRefreshed)
    }

    /// The request waited for the database.
    pub fn waited_for_db(self) -> bool {
        !matches!(
            self,
            Outcome::Hit | Outcome::HitRefreshed | Outcome::WriteQueued
        )
    }
}

/// One sampled request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RequestEvent {
    pub index: u32,
    pub user: u32,
    /// Simulated µs since the start of the run.
    pub t_us: u64,
    /// Key id (see [`SimConfig::key_name`]).
    pub key: u32,
    pub kind: RequestKind,
    pub outcome: Outcome,
    pub latency_us: u64,
    /// The read returned an older version than the newest.
    pub stale: bool,
}

/// A fault that has taken effect.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AppliedFault {
    /// It took effect just before this request.
    pub at_request: u32,
    pub t_us: u64,
    pub kind: FaultKind,
    /// Write-behind writes lost by this fault.
    pub lost_writes: u64,
}

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
    /// Simulated µs of the last request handled.
    pub t_us: u64,
    pub finished: bool,
}

/// Everything a run produced.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimResult {
    pub strategy: Strategy,
    pub metrics: Metrics,
    /// The initial point, then one point each time another 1% of the requests is
    /// done (every request when there are fewer than 100).
    pub series: Vec<SeriesPoint>,
    /// Sampled requests: one in `sample_every`, the most recent `event_limit`.
    pub events: Vec<RequestEvent>,
    /// The first ⌈log_limit/2⌉ commands and the most recent ⌊log_limit/2⌋.
    pub log: Vec<LogLine>,
    /// How many commands were sent in all (cache and database).
    pub log_total: u64,
    pub faults: Vec<AppliedFault>,
}
