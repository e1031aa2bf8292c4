//! A run in progress: one [`Simulation`] per strategy on the same configuration (so
//! on the same requests), advanced in lockstep, with faults applied to every lane
//! before the same request.
//!
//! The page advances a run a few hundred requests per animation frame ([`due`] says
//! how many, from real time, so a slow frame catches up instead of stretching the
//! run), and polls it for what the diagram draws ([`Run::poll`]) and what the charts,
//! metrics and log show ([`Run::lane_view`]).

use cachelab_core::sim::{
    AppliedFault, FaultKind, LogLine, Metrics, RequestEvent, SeriesPoint, SimConfig, SimError,
    Simulation, Strategy,
};

/// How many requests should be done `elapsed_ms` into a run that plays `total`
/// requests in `duration_ms`.
pub fn due(total: u32, elapsed_ms: f64, duration_ms: f64) -> u32 {
    // NaN and non-positive durations mean "all at once".
    if duration_ms.is_nan() || duration_ms <= 0.0 || elapsed_ms >= duration_ms {
        return total;
    }
    let share = (elapsed_ms / duration_ms).max(0.0);
    ((f64::from(total) * share).ceil() as u32).min(total)
}

/// What the diagram needs from one frame of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Poll {
    /// Per lane: its strategy and the sampled requests handled since the last poll.
    pub events: Vec<(Strategy, Vec<RequestEvent>)>,
    /// Per lane: whether write-behind flushed to the database since the last poll.
    pub flushed: Vec<bool>,
}

/// One strategy's state, as the view shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneView {
    pub strategy: Strategy,
    pub metrics: Metrics,
    pub series: Vec<SeriesPoint>,
    pub faults: Vec<AppliedFault>,
    /// Keys in the cache right now.
    pub cached_keys: u64,
    /// The kept command log (empty unless asked for).
    pub log: Vec<LogLine>,
    /// Commands sent in all, kept or not.
    pub log_total: u64,
}

pub struct Run {
    lanes: Vec<Simulation>,
    cfg: SimConfig,
    /// The next request index the diagram hasn't seen.
    next_event: u32,
    /// Database writes per lane at the last poll (write-behind flush detection).
    db_writes: Vec<u64>,
    /// Whether "database slow" is on.
    db_slow: bool,
}

impl Run {
    /// One lane per strategy in `strategies` (the first is the main one).
    pub fn new(cfg: &SimConfig, strategies: &[Strategy]) -> Result<Run, SimError> {
        let lanes = strategies
            .iter()
            .map(|&strategy| {
                Simulation::new(SimConfig {
                    strategy,
                    ..cfg.clone()
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Run {
            db_writes: vec![0; lanes.len()],
            lanes,
            cfg: cfg.clone(),
            next_event: 0,
            db_slow: false,
        })
    }

    pub fn config(&self) -> &SimConfig {
        &self.cfg
    }

    pub fn strategies(&self) -> Vec<Strategy> {
        self.lanes.iter().map(|s| s.config().strategy).collect()
    }

    pub fn total(&self) -> u32 {
        self.cfg.requests
    }

    pub fn done(&self) -> u32 {
        self.lanes.first().map_or(0, |s| s.progress().done)
    }

    pub fn is_finished(&self) -> bool {
        self.lanes.iter().all(Simulation::is_finished)
    }

    /// Simulated time of the last request: where the charts' x axis ends.
    pub fn end_time_us(&self) -> u64 {
        let last = self.cfg.requests.saturating_sub(1);
        (f64::from(last) * 1_000_000.0 / self.cfg.rate_per_sec) as u64
    }

    /// Advances every lane until `target` requests are done.
    pub fn step_to(&mut self, target: u32) {
        let n = target.saturating_sub(self.done());
        if n > 0 {
            for lane in &mut self.lanes {
                lane.step(n);
            }
        }
    }

    pub fn run_to_end(&mut self) {
        for lane in &mut self.lanes {
            lane.run_to_end();
        }
    }

    /// Presses a fault button in every lane: it takes effect before the same request.
    pub fn inject(&mut self, kind: FaultKind) -> Result<(), SimError> {
        for lane in &mut self.lanes {
            lane.inject(kind)?;
        }
        if let FaultKind::DbSlow { factor } = kind {
            self.db_slow = factor > 1.0;
        }
        Ok(())
    }

    pub fn db_slow(&self) -> bool {
        self.db_slow
    }

    /// The sampled requests since the last poll, and which lanes flushed.
    pub fn poll(&mut self) -> Poll {
        let from = self.next_event;
        let events: Vec<(Strategy, Vec<RequestEvent>)> = self
            .lanes
            .iter()
            .map(|s| (s.config().strategy, s.events_since(from)))
            .collect();
        self.next_event = self.done();
        let flushed = self
            .lanes
            .iter()
            .zip(&mut self.db_writes)
            .map(|(s, last)| {
                let now = s.metrics().db_writes;
                let flushed = s.config().strategy == Strategy::WriteBehind && now > *last;
                *last = now;
                flushed
            })
            .collect();
        Poll { events, flushed }
    }

    /// What lane `i` shows; the log is rendered only when `with_log` (it costs a few
    /// string allocations per line).
    pub fn lane_view(&self, i: usize, with_log: bool) -> Option<LaneView> {
        let sim = self.lanes.get(i)?;
        let metrics = sim.metrics();
        Some(LaneView {
            strategy: sim.config().strategy,
            // Every cache command and every database query is logged, setup and
            // faults included, so the log's total needs no rendering.
            log_total: metrics.cache_commands + metrics.db_queries,
            metrics,
            series: sim.series().to_vec(),
            faults: sim.applied_faults().to_vec(),
            cached_keys: sim.engine().db(0).map_or(0, |d| d.len() as u64),
            log: if with_log {
                sim.log_since(0)
            } else {
                Vec::new()
            },
        })
    }

    pub fn lane_count(&self) -> usize {
        self.lanes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cachelab_core::sim::{self, presets};

    fn preset(id: &str) -> SimConfig {
        presets()
            .into_iter()
            .find(|p| p.id == id)
            .map(|p| p.config)
            .unwrap()
    }

    #[test]
    fn pacing_follows_real_time() {
        assert_eq!(due(10_000, 0.0, 10_000.0), 0);
        assert_eq!(due(10_000, 1.0, 10_000.0), 1);
        assert_eq!(due(10_000, 5_000.0, 10_000.0), 5_000);
        assert_eq!(due(10_000, 12_000.0, 10_000.0), 10_000);
        assert_eq!(due(3, 1.0, 0.0), 3, "no duration: all at once");
        assert_eq!(due(3, 1.0, f64::NAN), 3);
    }

    #[test]
    fn stepping_in_frames_matches_running_at_once() {
        let cfg = preset("homepage");
        let mut run = Run::new(&cfg, &[Strategy::CacheAside, Strategy::NoCache]).unwrap();
        assert_eq!(run.end_time_us(), 9_999_000);
        let mut polled = 0;
        let mut t = 0.0;
        while !run.is_finished() {
            t += 16.7;
            run.step_to(due(run.total(), t, 2_000.0));
            let poll = run.poll();
            assert_eq!(poll.events.len(), 2);
            assert_eq!(
                poll.events[0].1.len(),
                poll.events[1].1.len(),
                "same requests"
            );
            polled += poll.events[0].1.len();
        }
        assert_eq!(polled, 1_000, "every sampled request is polled once");
        let (a, b) = sim::compare(&cfg, Strategy::NoCache).unwrap();
        let (va, vb) = (
            run.lane_view(0, true).unwrap(),
            run.lane_view(1, true).unwrap(),
        );
        assert_eq!(
            (va.metrics.clone(), vb.metrics.clone()),
            (a.metrics, b.metrics)
        );
        assert_eq!(va.series, a.series);
        assert_eq!(va.log, a.log);
        assert_eq!(va.log_total, a.log_total);
        assert_eq!(vb.log_total, b.log_total);
        assert_eq!(va.cached_keys, 1);
        assert!(run.lane_view(2, false).is_none());
    }

    #[test]
    fn a_fault_hits_every_lane_before_the_same_request() {
        let cfg = SimConfig {
            faults: Vec::new(),
            ..preset("write-behind-crash")
        };
        let mut run = Run::new(&cfg, &[Strategy::WriteBehind, Strategy::WriteThrough]).unwrap();
        run.step_to(7_000);
        run.inject(FaultKind::CacheRestart).unwrap();
        run.inject(FaultKind::DbSlow { factor: 10.0 }).unwrap();
        assert!(run.db_slow());
        run.step_to(7_001);
        let a = run.lane_view(0, false).unwrap();
        let b = run.lane_view(1, false).unwrap();
        assert_eq!(a.faults.len(), 2);
        assert_eq!(a.faults[0].at_request, 7_000);
        assert_eq!(b.faults[0].at_request, 7_000);
        assert!(a.metrics.lost_writes > 0, "write-behind loses its queue");
        assert_eq!(b.metrics.lost_writes, 0, "write-through has nothing queued");
        // The flush detector saw write-behind's flushes.
        let mut run = Run::new(&cfg, &[Strategy::WriteBehind]).unwrap();
        run.step_to(6_000);
        assert_eq!(run.poll().flushed, [true]);
        assert_eq!(run.poll().flushed, [false]);
        run.run_to_end();
        assert!(run.is_finished());
        assert!(run.inject(FaultKind::CacheRestart).is_err());
    }
}
