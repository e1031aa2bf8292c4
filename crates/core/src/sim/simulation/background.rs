//! What happens between requests: the engine's active expiry cycles, write-behind
//! flushes and faults, and the bookkeeping at the end of a run and at each
//! percent of it.

use super::{AppliedFault, Simulation};
use crate::sim::config::{FaultKind, Strategy};
use crate::sim::log::{Actor, Op};
use crate::sim::metrics::{ratio, SeriesPoint};
use crate::sim::EPOCH_US;

/// How often the engine's active expiry runs (Redis's default hz is 10).
pub(super) const EXPIRE_CYCLE_US: u64 = 100_000;
/// The most expiry cycles run to catch up after an idle gap.
const MAX_CATCH_UP_CYCLES: u64 = 10;

impl Simulation {
    /// Runs the expiry cycles and write-behind flushes due at or before `t_us`.
    /// The two never touch the same state, so they can run one kind after the other.
    pub(super) fn run_background_until(&mut self, t_us: u64) {
        if self.cfg.strategy.uses_cache() && self.next_expire_us <= t_us {
            let last = t_us - t_us % EXPIRE_CYCLE_US;
            let skip_to = last.saturating_sub((MAX_CATCH_UP_CYCLES - 1) * EXPIRE_CYCLE_US);
            let mut at = self.next_expire_us.max(skip_to);
            while at <= last {
                self.engine.active_expire_cycle(EPOCH_US + at);
                at += EXPIRE_CYCLE_US;
            }
            self.next_expire_us = at;
        }
        if self.cfg.strategy == Strategy::WriteBehind && self.next_flush_us <= t_us {
            let interval = self.cfg.flush_interval_ms.saturating_mul(1_000).max(1);
            // Only the first due flush has anything to do: no writes come in between.
            let at = self.next_flush_us;
            self.flush(at);
            self.next_flush_us = (t_us / interval).saturating_add(1).saturating_mul(interval);
        }
    }

    /// Write-behind: writes the newest queued version of each key to the database.
    fn flush(&mut self, at_us: u64) {
        let queue = std::mem::take(&mut self.queue);
        let saved_now = self.now_us;
        self.now_us = at_us;
        for &key in &queue {
            let version = self.key(key).pending;
            if version != 0 {
                self.db_write(Actor::Flusher, None, key, version);
                self.key_mut(key).pending = 0;
            }
        }
        self.now_us = saved_now;
        self.queued_writes = 0;
        self.queue = queue;
        self.queue.clear();
    }

    pub(super) fn apply_faults(&mut self, index: u32) {
        while let Some(f) = self.faults.get(self.next_fault).copied() {
            if f.at_request > index {
                break;
            }
            self.next_fault += 1;
            self.apply_fault(index, f.kind);
        }
        for kind in std::mem::take(&mut self.injected) {
            self.apply_fault(index, kind);
        }
    }

    fn apply_fault(&mut self, index: u32, kind: FaultKind) {
        let mut lost = 0;
        match kind {
            FaultKind::DbSlow { factor } => {
                let cost = (self.cfg.db_latency_us as f64 * factor).round();
                // Saturating conversion; validated factors keep it far below.
                self.db_cost_us = cost as u64;
            }
            FaultKind::CacheRestart => {
                if self.cfg.strategy.uses_cache() {
                    lost = self.queued_writes;
                    self.counters.lost_writes += lost;
                    self.queued_writes = 0;
                    for key in std::mem::take(&mut self.queue) {
                        let surviving = self.db.read(key);
                        let st = self.key_mut(key);
                        st.pending = 0;
                        st.latest = surviving;
                    }
                    self.cache(Actor::Operator, Some(index), Op::FlushAll);
                    self.counters.wasted_writes += self.unread;
                    self.unread = 0;
                    for st in &mut self.keys {
                        st.unread = false;
                    }
                }
            }
        }
        self.applied.push(AppliedFault {
            at_request: index,
            t_us: self.now_us,
            kind,
            lost_writes: lost,
        });
    }

    pub(super) fn finish(&mut self) {
        self.finished = true;
        // The end of the run: rows nobody read were written for nothing.
        self.counters.wasted_writes += self.unread;
        self.unread = 0;
        for st in &mut self.keys {
            st.unread = false;
        }
        if self
            .series
            .last()
            .is_none_or(|p| p.requests != u64::from(self.done))
        {
            self.push_series_point();
        } else if let Some(p) = self.series.last_mut() {
            p.wasted_writes = self.counters.wasted_writes;
        }
    }

    pub(super) fn push_series_point(&mut self) {
        let m = self.metrics();
        let w = &mut self.window;
        let point = SeriesPoint {
            t_us: self.now_us,
            requests: m.requests,
            hit_ratio: m.hit_ratio,
            window_hit_ratio: ratio(
                m.hits.saturating_sub(w.hits),
                m.reads.saturating_sub(w.reads),
            ),
            db_queries: m.db_queries,
            window_db_queries: m.db_queries.saturating_sub(w.db_queries),
            mean_latency_us: m.mean_latency_us,
            window_mean_latency_us: w.latency.mean(),
            p95_latency_us: m.p95_latency_us,
            window_p95_latency_us: w.latency.percentile(95),
            stale_reads: m.stale_reads,
            wasted_writes: m.wasted_writes,
            lost_writes: m.lost_writes,
            evicted_keys: m.evicted_keys,
            expired_keys: m.expired_keys,
            cached_keys: self.engine.db(0).map_or(0, |d| d.len() as u64),
        };
        w.reads = m.reads;
        w.hits = m.hits;
        w.db_queries = m.db_queries;
        w.latency.clear();
        self.series.push(point);
    }
}
