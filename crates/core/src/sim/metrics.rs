//! Counting what happened: the [`Metrics`] of a run, the [`SeriesPoint`]s that chart
//! them over simulated time, and exact latency percentiles.
//!
//! A request's latency in this model is a sum of fixed cache and database costs, so
//! a run produces only a handful of distinct latencies; counting requests per
//! latency gives exact percentiles in a few bytes. This module only counts: it never
//! decides what a request did.

use serde::Serialize;

/// The totals of a run (or of the run so far).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub requests: u64,
    pub reads: u64,
    pub writes: u64,
    /// Reads served by the cache (GET returned a value).
    pub hits: u64,
    /// Reads that asked the cache and found nothing (GET returned nil).
    pub misses: u64,
    /// hits / reads (0 without reads; always 0 without a cache).
    pub hit_ratio: f64,
    /// db_reads + db_writes, including background ones (refreshes, flushes).
    pub db_queries: u64,
    pub db_reads: u64,
    pub db_writes: u64,
    /// Commands sent to the cache, setup and faults included.
    pub cache_commands: u64,
    /// SETs the cache accepted.
    pub cache_writes: u64,
    /// Error replies from the cache (for instance OOM when nothing can be evicted).
    pub cache_errors: u64,
    pub mean_latency_us: f64,
    pub mean_read_latency_us: f64,
    pub mean_write_latency_us: f64,
    pub p95_latency_us: u64,
    pub max_latency_us: u64,
    /// Reads that returned an older version than the newest one that exists.
    pub stale_reads: u64,
    /// Rows written to the cache and never read before they were overwritten,
    /// deleted, evicted, expired or flushed, or before the run ended.
    pub wasted_writes: u64,
    /// Write-behind writes still queued when the cache restarted.
    pub lost_writes: u64,
    /// Write-behind writes still queued (not lost) at the end of the run.
    pub pending_writes: u64,
    /// Refresh-ahead background reloads.
    pub refreshes: u64,
    /// From the engine's own counters (INFO stats), for this run.
    pub evicted_keys: u64,
    pub expired_keys: u64,
    /// Simulated time from the first request to the last.
    pub sim_time_us: u64,
}

/// One sample of the metrics over time. `window_*` fields cover the requests since
/// the previous point; the others are totals so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SeriesPoint {
    /// Simulated µs since the start of the run.
    pub t_us: u64,
    pub requests: u64,
    pub hit_ratio: f64,
    pub window_hit_ratio: f64,
    pub db_queries: u64,
    pub window_db_queries: u64,
    pub mean_latency_us: f64,
    pub window_mean_latency_us: f64,
    pub p95_latency_us: u64,
    pub window_p95_latency_us: u64,
    pub stale_reads: u64,
    pub wasted_writes: u64,
    pub lost_writes: u64,
    pub evicted_keys: u64,
    pub expired_keys: u64,
    /// Keys in the cache at that moment.
    pub cached_keys: u64,
}

/// Exact latency distribution: how many requests took each distinct latency, as a
/// short list sorted by latency (a run has a handful of distinct values).
#[derive(Clone, Debug, Default)]
pub struct LatencyHistogram {
    counts: Vec<(u64, u64)>,
    /// Where the previous latency was found: most requests repeat it.
    last: usize,
    n: u64,
    sum: u64,
}

impl LatencyHistogram {
    pub fn record(&mut self, latency_us: u64) {
        self.n += 1;
        self.sum = self.sum.saturating_add(latency_us);
        if let Some((l, c)) = self.counts.get_mut(self.last) {
            if *l == latency_us {
                *c += 1;
                return;
            }
        }
        match self.counts.binary_search_by_key(&latency_us, |&(l, _)| l) {
            Ok(i) => {
                if let Some((_, c)) = self.counts.get_mut(i) {
                    *c += 1;
                }
                self.last = i;
            }
            Err(i) => {
                self.counts.insert(i, (latency_us, 1));
                self.last = i;
            }
        }
    }

    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum as f64 / self.n as f64
        }
    }

    pub fn max(&self) -> u64 {
        self.counts.last().map_or(0, |&(l, _)| l)
    }

    /// The nearest-rank percentile: the smallest latency that at least `pct`% of
    /// requests did not exceed. 0 when empty.
    pub fn percentile(&self, pct: u64) -> u64 {
        let rank = (u128::from(self.n) * u128::from(pct.min(100)))
            .div_ceil(100)
            .max(1);
        let mut seen: u128 = 0;
        for &(latency, count) in &self.counts {
            seen += u128::from(count);
            if seen >= rank {
                return latency;
            }
        }
        0
    }

    pub fn clear(&mut self) {
        self.counts.clear();
        self.last = 0;
        self.n = 0;
        self.sum = 0;
    }
}

/// hits / reads, 0 without reads.
pub fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_exact() {
        let mut h = LatencyHistogram::default();
        assert_eq!((h.percentile(95), h.mean(), h.max()), (0, 0.0, 0));
        h.record(21_000);
        for _ in 0..95 {
            h.record(1_000);
        }
        for _ in 0..4 {
            h.record(21_000);
        }
        h.record(5_000);
        assert_eq!(h.percentile(95), 5_000);
        h.record(21_000);
        assert_eq!(h.percentile(95), 21_000);
        assert_eq!(h.percentile(50), 1_000);
        assert_eq!(h.max(), 21_000);
        h.clear();
        assert_eq!((h.percentile(95), h.mean()), (0, 0.0));
    }
}
