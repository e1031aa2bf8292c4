//! One run: the real engine as the cache, the simulated database, the request stream
//! and the strategy that connects them, advanced request by request on a simulated
//! clock.
//!
//! Every cache operation is a real command through [`Engine::execute`], and every
//! decision is taken from the real reply: a hit is a GET that returned a value, and
//! the row's version inside that value tells whether the read was stale. Capacity is
//! configured with CONFIG SET only; eviction is entirely the engine's.
//!
//! The timing model, stated plainly:
//! - requests arrive 1/rate apart; each is handled at its arrival instant (all its
//!   commands carry that time), and its latency is the sum of the cache and database
//!   costs along its path. Requests never overlap, so there is no stampede: the
//!   first miss has stored the row before the next request looks.
//! - Background work (refresh-ahead reloads, write-behind flushes) adds database
//!   queries but no request latency.
//! - The engine's active expiry runs every 100 ms of simulated time (hz 10). After a
//!   long idle gap only the last 10 cycles run: earlier ones could expire keys a
//!   little sooner, but no command could have seen the difference.

mod background;
mod report;

use std::collections::VecDeque;

use super::config::{Fault, FaultKind, SimConfig, SimError, Strategy};
use super::database::{parse_row, Database, INITIAL_VERSION};
use super::log::{Actor, CommandLog, LogLine, Op, Record, ReplyNote};
use super::metrics::{ratio, LatencyHistogram, Metrics, SeriesPoint};
use super::workload::{Request, RequestKind, RequestStream};
use super::EPOCH_US;
use crate::{Client, Engine, Reply};

pub use report::{AppliedFault, Outcome, Progress, RequestEvent, SimResult};

use background::EXPIRE_CYCLE_US;
/// What the simulator knows about one key beyond the database row.
#[derive(Clone, Copy, Debug, Default)]
struct KeyState {
    /// The newest version that still exists somewhere (database or write-behind queue).
    latest: u32,
    /// The last version handed out; versions are never reused.
    issued: u32,
    /// Write-behind: the version waiting to be flushed, 0 for none.
    pending: u32,
    /// The cached row was written and has not been read since.
    unread: bool,
}

#[derive(Clone, Debug, Default)]
struct Counters {
    reads: u64,
    writes: u64,
    hits: u64,
    misses: u64,
    db_reads: u64,
    db_writes: u64,
    cache_commands: u64,
    cache_writes: u64,
    cache_errors: u64,
    stale_reads: u64,
    wasted_writes: u64,
    lost_writes: u64,
    refreshes: u64,
    read_latency_sum: u64,
    write_latency_sum: u64,
}

/// The counters at the previous series point, for the windowed values.
#[derive(Clone, Debug, Default)]
struct Window {
    reads: u64,
    hits: u64,
    db_queries: u64,
    latency: LatencyHistogram,
}

/// A run that can be advanced a few requests at a time (for animation) and have
/// faults injected between steps.
#[derive(Clone, Debug)]
pub struct Simulation {
    cfg: SimConfig,
    engine: Engine,
    client: Client,
    stream: RequestStream,
    db: Database,
    keys: Vec<KeyState>,
    /// Stands in for a key id outside `keys` (never produced; see `key_mut`).
    scratch: KeyState,
    /// Write-behind: keys with a pending write, in the order they were first queued.
    queue: Vec<u32>,
    /// Write-behind: acknowledged writes waiting in the queue (several per key possible).
    queued_writes: u64,
    db_cost_us: u64,
    next_expire_us: u64,
    next_flush_us: u64,
    /// Scheduled faults, in request order, and the next one to apply.
    faults: Vec<Fault>,
    next_fault: usize,
    /// Faults injected with [`Simulation::inject`], applied before the next request.
    injected: Vec<FaultKind>,
    applied: Vec<AppliedFault>,
    counters: Counters,
    latency: LatencyHistogram,
    window: Window,
    series: Vec<SeriesPoint>,
    events: VecDeque<RequestEvent>,
    log: CommandLog,
    /// Cached rows written and not read yet (the keys with `unread` set).
    unread: u64,
    done: u32,
    now_us: u64,
    finished: bool,
}

impl Simulation {
    /// Validates `cfg`, creates the engine and configures its capacity.
    pub fn new(cfg: SimConfig) -> Result<Simulation, SimError> {
        cfg.validate()?;
        let mut engine = Engine::new();
        let client = engine.new_client();
        let mut faults = cfg.faults.clone();
        faults.sort_by_key(|f| f.at_request);
        let mut sim = Simulation {
            stream: RequestStream::new(&cfg),
            db: Database::new(cfg.keys),
            keys: vec![
                KeyState {
                    latest: INITIAL_VERSION,
                    issued: INITIAL_VERSION,
                    pending: 0,
                    unread: false
                };
                cfg.keys as usize
            ],
            scratch: KeyState::default(),
            queue: Vec::new(),
            queued_writes: 0,
            db_cost_us: cfg.db_latency_us,
            next_expire_us: EXPIRE_CYCLE_US,
            next_flush_us: cfg.flush_interval_ms.saturating_mul(1_000),
            faults,
            next_fault: 0,
            injected: Vec::new(),
            applied: Vec::new(),
            counters: Counters::default(),
            latency: LatencyHistogram::default(),
            window: Window::default(),
            series: Vec::with_capacity(101),
            events: VecDeque::with_capacity(cfg.event_limit.min(4_096)),
            log: CommandLog::new(cfg.log_limit),
            unread: 0,
            done: 0,
            now_us: 0,
            finished: false,
            engine,
            client,
            cfg,
        };
        if sim.cfg.strategy.uses_cache() {
            if let Some(bytes) = sim.cfg.capacity_bytes {
                for op in [Op::ConfigMaxmemory(bytes), Op::ConfigPolicyLru] {
                    if let (Reply::Error(e), _) = sim.cache(Actor::Setup, None, op) {
                        return Err(SimError::CacheRefused(
                            String::from_utf8_lossy(&e).into_owned(),
                        ));
                    }
                }
            }
        }
        sim.push_series_point();
        Ok(sim)
    }

    pub fn config(&self) -> &SimConfig {
        &self.cfg
    }

    /// The cache, for inspection (key panel, INFO). Only the simulation writes to it.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    pub fn progress(&self) -> Progress {
        Progress {
            done: self.done,
            total: self.cfg.requests,
            t_us: self.now_us,
            finished: self.finished,
        }
    }

    /// Handles up to `n` more requests. The last one also closes the run (rows still
    /// unread in the cache then count as wasted writes).
    pub fn step(&mut self, n: u32) -> Progress {
        for _ in 0..n {
            let Some(req) = self.stream.next() else { break };
            self.handle(req);
        }
        if self.done >= self.cfg.requests && !self.finished {
            self.finish();
        }
        self.progress()
    }

    /// Runs every remaining request.
    pub fn run_to_end(&mut self) -> Progress {
        self.step(u32::MAX)
    }

    /// Presses a fault button: the fault takes effect just before the next request.
    pub fn inject(&mut self, kind: FaultKind) -> Result<(), SimError> {
        kind.validate()?;
        if self.finished {
            return Err(SimError::Finished);
        }
        self.injected.push(kind);
        Ok(())
    }

    /// The metrics so far (final once the run has finished).
    pub fn metrics(&self) -> Metrics {
        let c = &self.counters;
        let stats = self.engine.stats();
        Metrics {
            requests: self.done.into(),
            reads: c.reads,
            writes: c.writes,
            hits: c.hits,
            misses: c.misses,
            hit_ratio: ratio(c.hits, c.reads),
            db_queries: c.db_reads + c.db_writes,
            db_reads: c.db_reads,
            db_writes: c.db_writes,
            cache_commands: c.cache_commands,
            cache_writes: c.cache_writes,
            cache_errors: c.cache_errors,
            mean_latency_us: self.latency.mean(),
            mean_read_latency_us: ratio(c.read_latency_sum, c.reads),
            mean_write_latency_us: ratio(c.write_latency_sum, c.writes),
            p95_latency_us: self.latency.percentile(95),
            max_latency_us: self.latency.max(),
            stale_reads: c.stale_reads,
            wasted_writes: c.wasted_writes,
            lost_writes: c.lost_writes,
            pending_writes: self.queued_writes,
            refreshes: c.refreshes,
            evicted_keys: stats.evicted_keys,
            expired_keys: stats.expired_keys,
            sim_time_us: self.now_us,
        }
    }

    pub fn series(&self) -> &[SeriesPoint] {
        &self.series
    }

    /// Kept request events with an index of at least `from`.
    pub fn events_since(&self, from: u32) -> Vec<RequestEvent> {
        self.events
            .iter()
            .filter(|e| e.index >= from)
            .copied()
            .collect()
    }

    /// Kept log lines with a sequence number of at least `from`.
    pub fn log_since(&self, from: u64) -> Vec<LogLine> {
        self.log.lines_from(from, &self.cfg)
    }

    pub fn applied_faults(&self) -> &[AppliedFault] {
        &self.applied
    }

    /// Everything so far, as one value.
    pub fn result(&self) -> SimResult {
        SimResult {
            strategy: self.cfg.strategy,
            metrics: self.metrics(),
            series: self.series.clone(),
            events: self.events.iter().copied().collect(),
            log: self.log_since(0),
            log_total: self.log.total(),
            faults: self.applied.clone(),
        }
    }

    // ---- one request -------------------------------------------------------

    // Never inlined into `step`'s loop: a browser's wasm engine starts on baseline
    // code and swaps in optimized code only at function entry, so the hot path
    // must be a function entered once per request, not one long-running loop.
    #[inline(never)]
    fn handle(&mut self, req: Request) {
        self.run_background_until(req.t_us);
        self.now_us = req.t_us;
        self.apply_faults(req.index);
        let (outcome, latency, stale) = match req.kind {
            RequestKind::Read => self.read(req),
            RequestKind::Write => self.write(req),
        };
        let c = &mut self.counters;
        match req.kind {
            RequestKind::Read => {
                c.reads += 1;
                c.read_latency_sum = c.read_latency_sum.saturating_add(latency);
            }
            RequestKind::Write => {
                c.writes += 1;
                c.write_latency_sum = c.write_latency_sum.saturating_add(latency);
            }
        }
        if stale {
            c.stale_reads += 1;
        }
        self.latency.record(latency);
        self.window.latency.record(latency);
        self.done += 1;
        if self.cfg.event_limit > 0 && req.index.checked_rem(self.cfg.sample_every) == Some(0) {
            if self.events.len() >= self.cfg.event_limit {
                self.events.pop_front();
            }
            self.events.push_back(RequestEvent {
                index: req.index,
                user: req.user,
                t_us: req.t_us,
                key: req.key,
                kind: req.kind,
                outcome,
                latency_us: latency,
                stale,
            });
        }
        // A point each time the done share crosses another whole percent.
        let total = u64::from(self.cfg.requests.max(1));
        let d = u64::from(self.done);
        if d * 100 / total != (d - 1) * 100 / total {
            self.push_series_point();
        }
    }

    fn read(&mut self, req: Request) -> (Outcome, u64, bool) {
        let latest = self.key(req.key).latest;
        let cache_cost = self.cfg.cache_latency_us;
        if !self.cfg.strategy.uses_cache() {
            let v = self.db_read(Actor::App, Some(req.index), req.key);
            return (Outcome::DbRead, self.db_cost_us, v < latest);
        }
        let (reply, row) = self.cache(Actor::App, Some(req.index), Op::Get(req.key));
        // Refresh-ahead pipelines PTTL with the GET: one round trip for both.
        let pttl = if self.cfg.strategy == Strategy::RefreshAhead {
            match self.cache(Actor::App, Some(req.index), Op::Pttl(req.key)).0 {
                Reply::Integer(ms) => ms,
                _ => -2,
            }
        } else {
            -2
        };
        if let Reply::Bulk(_) = reply {
            self.counters.hits += 1;
            let version = row.map(|(_, v)| v);
            self.mark_read(req.key);
            let stale = version.is_some_and(|v| v < latest);
            let ttl_ms = self.cfg.ttl_secs.saturating_mul(1_000) as f64;
            if self.cfg.strategy == Strategy::RefreshAhead
                && pttl >= 0
                && (pttl as f64) < ttl_ms * self.cfg.refresh_threshold
            {
                self.counters.refreshes += 1;
                let v = self.db_read(Actor::Refresher, Some(req.index), req.key);
                self.cache_set(Actor::Refresher, Some(req.index), req.key, v);
                return (Outcome::HitRefreshed, cache_cost, stale);
            }
            return (Outcome::Hit, cache_cost, stale);
        }
        // Nil (or, should the cache fail, an error): load from the database.
        self.counters.misses += 1;
        if self.key(req.key).unread {
            // The cached row vanished (evicted or expired) without ever being read.
            self.forget_unread(req.key, true);
        }
        let loader = if self.cfg.strategy == Strategy::ReadThrough {
            Actor::Cache
        } else {
            Actor::App
        };
        let v = self.db_read(loader, Some(req.index), req.key);
        self.cache_set(loader, Some(req.index), req.key, v);
        let latency = cache_cost
            .saturating_add(self.db_cost_us)
            .saturating_add(cache_cost);
        (Outcome::Miss, latency, v < latest)
    }

    fn write(&mut self, req: Request) -> (Outcome, u64, bool) {
        let version = {
            let st = self.key_mut(req.key);
            st.issued = st.issued.saturating_add(1);
            st.latest = st.issued;
            st.issued
        };
        let cache_cost = self.cfg.cache_latency_us;
        let db_cost = self.db_cost_us;
        let at = Some(req.index);
        match self.cfg.strategy {
            Strategy::NoCache => {
                self.db_write(Actor::App, at, req.key, version);
                (Outcome::DbWrite, db_cost, false)
            }
            Strategy::CacheAside | Strategy::ReadThrough | Strategy::RefreshAhead => {
                self.db_write(Actor::App, at, req.key, version);
                if !self.cfg.invalidate_on_write {
                    return (Outcome::DbWrite, db_cost, false);
                }
                self.cache(Actor::App, at, Op::Del(req.key));
                if self.key(req.key).unread {
                    self.forget_unread(req.key, true);
                }
                (
                    Outcome::DbWriteInvalidate,
                    db_cost.saturating_add(cache_cost),
                    false,
                )
            }
            Strategy::WriteThrough => {
                self.db_write(Actor::App, at, req.key, version);
                self.cache_set(Actor::App, at, req.key, version);
                (
                    Outcome::WriteThrough,
                    db_cost.saturating_add(cache_cost),
                    false,
                )
            }
            Strategy::WriteBehind => {
                self.cache_set(Actor::App, at, req.key, version);
                let st = self.key_mut(req.key);
                let first = st.pending == 0;
                st.pending = version;
                if first {
                    self.queue.push(req.key);
                }
                self.queued_writes += 1;
                (Outcome::WriteQueued, cache_cost, false)
            }
        }
    }

    // ---- the cache and the database ----------------------------------------

    /// Sends one command to the engine, counts it and logs it. Returns the reply
    /// and, for a bulk reply that holds a row, the row's (id, version).
    fn cache(&mut self, actor: Actor, request: Option<u32>, op: Op) -> (Reply, Option<(u32, u32)>) {
        let argv = op.argv(&self.cfg).unwrap_or_default();
        let reply = self
            .engine
            .execute(&mut self.client, argv, EPOCH_US + self.now_us);
        self.counters.cache_commands += 1;
        if reply.is_error() {
            self.counters.cache_errors += 1;
        }
        let row = match &reply {
            Reply::Bulk(bytes) => parse_row(bytes),
            _ => None,
        };
        if self.log.enabled() {
            self.record(request, actor, op, ReplyNote::of(&reply, row));
        }
        (reply, row)
    }

    /// SET key row [EX ttl], and the wasted-write bookkeeping that goes with it.
    fn cache_set(&mut self, actor: Actor, request: Option<u32>, key: u32, version: u32) {
        let op = Op::Set {
            key,
            version,
            ttl_secs: self.cfg.ttl_secs,
        };
        if self.cache(actor, request, op).0.is_error() {
            return;
        }
        self.counters.cache_writes += 1;
        if self.key(key).unread {
            // Overwritten (or re-stored after vanishing) without being read.
            self.counters.wasted_writes += 1;
        } else {
            self.key_mut(key).unread = true;
            self.unread += 1;
        }
    }

    fn mark_read(&mut self, key: u32) {
        if self.key(key).unread {
            self.forget_unread(key, false);
        }
    }

    fn forget_unread(&mut self, key: u32, wasted: bool) {
        self.key_mut(key).unread = false;
        self.unread = self.unread.saturating_sub(1);
        if wasted {
            self.counters.wasted_writes += 1;
        }
    }

    fn db_read(&mut self, actor: Actor, request: Option<u32>, key: u32) -> u32 {
        self.counters.db_reads += 1;
        let v = self.db.read(key);
        self.record(request, actor, Op::DbSelect(key), ReplyNote::Row(key, v));
        v
    }

    fn db_write(&mut self, actor: Actor, request: Option<u32>, key: u32, version: u32) {
        self.counters.db_writes += 1;
        self.db.write(key, version);
        let op = Op::DbUpdate { key, version };
        self.record(request, actor, op, ReplyNote::Int(1));
    }

    /// Logs one command sent (when the log is on), at the current simulated time.
    fn record(&mut self, request: Option<u32>, actor: Actor, op: Op, reply: ReplyNote) {
        if self.log.enabled() {
            let t_us = self.now_us;
            self.log.push(|seq| Record {
                seq,
                t_us,
                request,
                actor,
                op,
                reply,
            });
        }
    }

    fn key(&self, key: u32) -> KeyState {
        key.checked_sub(1)
            .and_then(|i| self.keys.get(i as usize))
            .copied()
            .unwrap_or_default()
    }

    /// The state of `key`. Ids outside the table (which the stream never produces)
    /// share a scratch slot rather than panicking.
    fn key_mut(&mut self, key: u32) -> &mut KeyState {
        match key
            .checked_sub(1)
            .and_then(|i| self.keys.get_mut(i as usize))
        {
            Some(st) => st,
            None => &mut self.scratch,
        }
    }
}
