//! Warming the simulator up before the learner's first run.
//!
//! A browser starts WebAssembly on a quick baseline compiler and swaps in optimized
//! code only for the functions that have run hot, compiled in the background. Left
//! alone, the learner's first "Run" would pay for all of that: in headless Chromium a
//! 100,000-request run takes about twice as long the first time as the second.
//!
//! So once the page is idle, the visualizer plays a short run of every strategy in
//! small slices ([`Warmup::step`]), on the same engine paths a real run takes (GET,
//! SET EX, DEL, PTTL, eviction, active expiry, write-behind flushes). Nothing of it
//! is shown or kept. It stops as soon as the learner starts a run, and the section's
//! `data-warmup` says where it is: `running`, `done` or `stopped`.

use cachelab_core::sim::{self, SimConfig, Simulation, Strategy};

/// Requests per strategy: enough for the hot functions to be optimized, small
/// enough to finish within a second of idle time on a slow laptop.
pub const REQUESTS_PER_STRATEGY: u32 = 4_000;

/// Requests per slice: a few milliseconds of baseline code, so a click or a key
/// press never waits long behind one.
pub const SLICE: u32 = 500;

/// The warm-up runs still to play, and the one being played.
pub struct Warmup {
    pending: Vec<SimConfig>,
    current: Option<Simulation>,
    done_requests: u64,
}

impl Default for Warmup {
    fn default() -> Warmup {
        Warmup::new()
    }
}

impl Warmup {
    /// One run per strategy that uses the cache: the core's benchmark
    /// configuration (Zipf keys, a TTL, a cache small enough to evict), shortened.
    pub fn new() -> Warmup {
        let base = sim::benchmark_config();
        let pending = Strategy::ALL
            .into_iter()
            .filter(|s| s.uses_cache())
            .rev()
            .map(|strategy| SimConfig {
                strategy,
                requests: REQUESTS_PER_STRATEGY,
                log_limit: 0,
                event_limit: 0,
                ..base.clone()
            })
            .collect();
        Warmup {
            pending,
            current: None,
            done_requests: 0,
        }
    }

    /// Plays up to `requests` more requests; true once every run has finished.
    pub fn step(&mut self, requests: u32) -> bool {
        let mut left = requests;
        while left > 0 {
            if self.current.as_ref().is_none_or(Simulation::is_finished) {
                self.current = None;
                let Some(cfg) = self.pending.pop() else {
                    return true;
                };
                // The configurations are valid by construction; a refused one is skipped.
                self.current = Simulation::new(cfg).ok();
                continue;
            }
            let Some(run) = self.current.as_mut() else {
                continue;
            };
            let before = run.progress().done;
            let after = run.step(left).done;
            let played = after.saturating_sub(before);
            self.done_requests += u64::from(played);
            // A finished run plays nothing more: the next loop picks the next one.
            left = left.saturating_sub(played.max(1));
        }
        self.is_done()
    }

    pub fn is_done(&self) -> bool {
        self.pending.is_empty() && self.current.as_ref().is_none_or(Simulation::is_finished)
    }

    /// Requests played so far, all runs together.
    pub fn done_requests(&self) -> u64 {
        self.done_requests
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plays_every_cache_strategy_then_stops() {
        let strategies = Strategy::ALL.iter().filter(|s| s.uses_cache()).count() as u64;
        assert!(strategies >= 5);
        let mut w = Warmup::new();
        assert!(!w.is_done());
        let mut slices = 0;
        while !w.step(SLICE) {
            slices += 1;
            assert!(slices < 1_000, "the warm-up never ends");
        }
        assert_eq!(
            w.done_requests(),
            strategies * u64::from(REQUESTS_PER_STRATEGY)
        );
        assert!(w.is_done());
        // Done stays done, and plays nothing more.
        assert!(w.step(SLICE));
        assert_eq!(
            w.done_requests(),
            strategies * u64::from(REQUESTS_PER_STRATEGY)
        );
    }

    #[test]
    fn a_slice_plays_at_most_its_size() {
        let mut w = Warmup::new();
        w.step(SLICE);
        assert_eq!(w.done_requests(), u64::from(SLICE));
        // A slice that crosses from one run into the next plays the rest of both.
        w.step(REQUESTS_PER_STRATEGY);
        assert_eq!(w.done_requests(), u64::from(SLICE + REQUESTS_PER_STRATEGY));
    }
}
