//! The animated App → Cache → Database diagram, minus the DOM: where the nodes sit,
//! which way each kind of request travels, and which requests get a dot at all.
//!
//! A run handles thousands of requests a second; drawing each would be a blur and
//! would cost more than simulating them. The diagram samples instead: at most
//! [`DOTS_PER_SEC`] new dots per lane, spread evenly over the requests handled since
//! the last frame, except that the first request of each kind (the first miss, the
//! first write) always gets one, because that is the one a learner is looking for.
//! When two strategies run side by side, the same requests are drawn in both lanes,
//! so a dot that hits in one lane can be seen missing in the other.

use cachelab_core::sim::{Outcome, RequestEvent, Strategy};

/// Size of one lane of the diagram, in SVG user units.
pub const LANE_WIDTH: f64 = 480.0;
pub const LANE_HEIGHT: f64 = 124.0;

/// Node centres in a lane.
pub const APP: (f64, f64) = (64.0, 50.0);
pub const CACHE: (f64, f64) = (240.0, 50.0);
pub const DB: (f64, f64) = (416.0, 50.0);
/// Control point of the App ⇝ Database curve, which passes under the cache: the
/// application querying the database itself.
pub const ARC_CONTROL: (f64, f64) = (240.0, 158.0);

/// Dot speed, in units per millisecond.
pub const SPEED: f64 = 0.55;
/// New dots per lane per second, at most.
pub const DOTS_PER_SEC: f64 = 14.0;
/// Dots in flight per lane, at most.
pub const MAX_DOTS: usize = 48;

/// SVG path data of the App ⇝ Database curve (for drawing the link).
pub fn arc_d() -> String {
    format!(
        "M{} {}Q{} {} {} {}",
        APP.0, APP.1, ARC_CONTROL.0, ARC_CONTROL.1, DB.0, DB.1
    )
}

/// How a dot looks: the request's fate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DotKind {
    /// A read the cache answered.
    Hit,
    /// A read the cache didn't have.
    Miss,
    /// A read straight from the database (no cache).
    DbRead,
    /// A write (to the database, the cache, or both).
    Write,
    /// Write-behind's background flush, cache → database.
    Flush,
}

impl DotKind {
    pub fn class(self) -> &'static str {
        match self {
            DotKind::Hit => "dot-hit",
            DotKind::Miss => "dot-miss",
            DotKind::DbRead => "dot-db",
            DotKind::Write => "dot-write",
            DotKind::Flush => "dot-flush",
        }
    }

    pub fn legend(self) -> &'static str {
        match self {
            DotKind::Hit => "hit",
            DotKind::Miss => "miss",
            DotKind::DbRead => "database read",
            DotKind::Write => "write",
            DotKind::Flush => "flush",
        }
    }

    pub fn of(outcome: Outcome) -> DotKind {
        match outcome {
            Outcome::Hit | Outcome::HitRefreshed => DotKind::Hit,
            Outcome::Miss => DotKind::Miss,
            Outcome::DbRead => DotKind::DbRead,
            Outcome::DbWrite
            | Outcome::DbWriteInvalidate
            | Outcome::WriteThrough
            | Outcome::WriteQueued => DotKind::Write,
        }
    }
}

/// One stop on a route: straight to a node, or along the curve under the cache.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Leg {
    To((f64, f64)),
    Arc((f64, f64)),
}

/// The legs after leaving the app, for a request of `strategy` that ended in
/// `outcome`. Every request starts and ends at the app, as its response does.
fn legs(strategy: Strategy, outcome: Outcome) -> &'static [Leg] {
    use Leg::{Arc, To};
    const CACHE_ROUND: &[Leg] = &[To(CACHE), To(APP)];
    const DB_ROUND: &[Leg] = &[Arc(DB), Arc(APP)];
    const DB_THEN_CACHE: &[Leg] = &[Arc(DB), Arc(APP), To(CACHE), To(APP)];
    match outcome {
        Outcome::Hit | Outcome::HitRefreshed | Outcome::WriteQueued => CACHE_ROUND,
        Outcome::Miss if strategy == Strategy::ReadThrough => {
            &[To(CACHE), To(DB), To(CACHE), To(APP)]
        }
        // GET (nil), SELECT, then SET ... EX.
        Outcome::Miss => &[To(CACHE), To(APP), Arc(DB), Arc(APP), To(CACHE), To(APP)],
        Outcome::DbRead | Outcome::DbWrite => DB_ROUND,
        Outcome::DbWriteInvalidate | Outcome::WriteThrough => DB_THEN_CACHE,
    }
}

fn quad(a: (f64, f64), c: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    (
        u * u * a.0 + 2.0 * u * t * c.0 + t * t * b.0,
        u * u * a.1 + 2.0 * u * t * c.1 + t * t * b.1,
    )
}

/// The polyline a dot follows, starting at `start`.
fn polyline(start: (f64, f64), legs: &[Leg]) -> Vec<(f64, f64)> {
    const ARC_STEPS: u32 = 16;
    let mut pts = vec![start];
    let mut at = start;
    for leg in legs {
        match *leg {
            Leg::To(p) => pts.push(p),
            Leg::Arc(p) => {
                for i in 1..=ARC_STEPS {
                    pts.push(quad(
                        at,
                        ARC_CONTROL,
                        p,
                        f64::from(i) / f64::from(ARC_STEPS),
                    ));
                }
            }
        }
        at = match *leg {
            Leg::To(p) | Leg::Arc(p) => p,
        };
    }
    pts
}

fn length(pts: &[(f64, f64)]) -> f64 {
    pts.windows(2)
        .map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1))
        .sum()
}

/// The point `dist` along `pts` (clamped to its ends).
pub fn point_along(pts: &[(f64, f64)], mut dist: f64) -> (f64, f64) {
    for w in pts.windows(2) {
        let seg = (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1);
        if dist <= seg && seg > 0.0 {
            let t = dist / seg;
            return (
                w[0].0 + (w[1].0 - w[0].0) * t,
                w[0].1 + (w[1].1 - w[0].1) * t,
            );
        }
        dist -= seg;
    }
    pts.last().copied().unwrap_or_default()
}

#[derive(Clone, Debug, PartialEq)]
struct Dot {
    lane: usize,
    kind: DotKind,
    stale: bool,
    pts: Vec<(f64, f64)>,
    length: f64,
    born_ms: f64,
}

/// A dot as drawn this frame, in lane coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct DotView {
    /// Stable while the dot lives, for keyed rendering.
    pub id: u64,
    pub lane: usize,
    pub x: f64,
    pub y: f64,
    pub kind: DotKind,
    /// A read that returned an outdated row.
    pub stale: bool,
}

/// Chooses which of a batch of requests get a dot. `kinds` holds one fingerprint per
/// request (its outcome in every lane): each fingerprint not in `seen` yet is chosen
/// (and remembered), then evenly spaced others, up to `budget` in all (never fewer
/// than the first-of-a-kind ones). Returns indices into `kinds`, in order.
pub fn pick<T: PartialEq + Copy>(kinds: &[T], budget: usize, seen: &mut Vec<T>) -> Vec<usize> {
    let events = kinds;
    let mut chosen: Vec<usize> = Vec::new();
    for (i, k) in kinds.iter().enumerate() {
        if !seen.contains(k) {
            seen.push(*k);
            chosen.push(i);
        }
    }
    let room = budget.saturating_sub(chosen.len());
    if room > 0 && !events.is_empty() {
        // Centre each pick in its share of the batch: with 4 picks of 100, 12, 37, ...
        let step = (events.len() as f64 / room as f64).max(1.0);
        let mut k = step / 2.0;
        let mut added = 0;
        while added < room && (k as usize) < events.len() {
            let i = k as usize;
            if !chosen.contains(&i) {
                chosen.push(i);
                added += 1;
            }
            k += step;
        }
    }
    chosen.sort_unstable();
    chosen.dedup();
    chosen
}

/// The dots in flight and the sampling state.
#[derive(Clone, Debug, Default)]
pub struct Animator {
    dots: Vec<Dot>,
    next_id: u64,
    ids: Vec<u64>,
    /// Outcome combinations (lane 0, lane 1) already drawn once in this run.
    seen: Vec<(Outcome, Option<Outcome>)>,
    /// Dots earned but not yet spawned (fractional).
    allowance: f64,
    last_ms: Option<f64>,
}

impl Animator {
    pub fn new() -> Animator {
        Animator::default()
    }

    /// Takes the requests each lane handled since the last call (the same requests,
    /// lane by lane), spawns dots for a sample of them, and a flush dot for each lane
    /// in `flushed`.
    pub fn feed(&mut self, now_ms: f64, lanes: &[(Strategy, Vec<RequestEvent>)], flushed: &[bool]) {
        let dt = self.last_ms.map_or(0.0, |last| (now_ms - last).max(0.0));
        self.last_ms = Some(now_ms);
        // A short burst is fine after a pause; a long one would be a blob.
        self.allowance = (self.allowance + dt * DOTS_PER_SEC / 1_000.0).min(3.0);
        let Some((_, first)) = lanes.first() else {
            return;
        };
        let budget = self.allowance.floor() as usize;
        // The same request in every lane (lanes sample the same requests, in order).
        let twin = |lane: usize, i: usize| -> Option<&RequestEvent> {
            let (_, events) = lanes.get(lane)?;
            let index = first.get(i)?.index;
            match events.get(i) {
                Some(e) if e.index == index => Some(e),
                _ => events.iter().find(|e| e.index == index),
            }
        };
        let kinds: Vec<(Outcome, Option<Outcome>)> = first
            .iter()
            .enumerate()
            .map(|(i, e)| (e.outcome, twin(1, i).map(|t| t.outcome)))
            .collect();
        let chosen = pick(&kinds, budget, &mut self.seen);
        self.allowance = (self.allowance - chosen.len() as f64).max(0.0);
        for &i in &chosen {
            for (lane, (strategy, _)) in lanes.iter().enumerate() {
                if let Some(e) = twin(lane, i) {
                    let (kind, stale, outcome) = (DotKind::of(e.outcome), e.stale, e.outcome);
                    self.spawn(
                        lane,
                        kind,
                        stale,
                        polyline(APP, legs(*strategy, outcome)),
                        now_ms,
                    );
                }
            }
        }
        for (lane, &f) in flushed.iter().enumerate() {
            if f {
                self.spawn(
                    lane,
                    DotKind::Flush,
                    false,
                    polyline(CACHE, &[Leg::To(DB)]),
                    now_ms,
                );
            }
        }
    }

    fn spawn(
        &mut self,
        lane: usize,
        kind: DotKind,
        stale: bool,
        pts: Vec<(f64, f64)>,
        now_ms: f64,
    ) {
        if self.dots.iter().filter(|d| d.lane == lane).count() >= MAX_DOTS {
            return;
        }
        let length = length(&pts);
        self.dots.push(Dot {
            lane,
            kind,
            stale,
            pts,
            length,
            born_ms: now_ms,
        });
        self.ids.push(self.next_id);
        self.next_id += 1;
    }

    /// Where every live dot is at `now_ms`; dots that have arrived are dropped.
    pub fn frame(&mut self, now_ms: f64) -> Vec<DotView> {
        let mut keep_dots = Vec::with_capacity(self.dots.len());
        let mut keep_ids = Vec::with_capacity(self.ids.len());
        let mut out = Vec::with_capacity(self.dots.len());
        for (dot, id) in self.dots.drain(..).zip(self.ids.drain(..)) {
            let dist = (now_ms - dot.born_ms).max(0.0) * SPEED;
            if dist >= dot.length {
                continue;
            }
            let (x, y) = point_along(&dot.pts, dist);
            out.push(DotView {
                id,
                lane: dot.lane,
                x,
                y,
                kind: dot.kind,
                stale: dot.stale,
            });
            keep_dots.push(dot);
            keep_ids.push(id);
        }
        self.dots = keep_dots;
        self.ids = keep_ids;
        out
    }

    pub fn is_idle(&self) -> bool {
        self.dots.is_empty()
    }

    pub fn clear(&mut self) {
        *self = Animator {
            next_id: self.next_id,
            ..Animator::default()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cachelab_core::sim::RequestKind;

    fn event(index: u32, outcome: Outcome) -> RequestEvent {
        RequestEvent {
            index,
            user: index,
            t_us: u64::from(index) * 1_000,
            key: 1,
            kind: RequestKind::Read,
            outcome,
            latency_us: 1_000,
            stale: false,
        }
    }

    #[test]
    fn first_of_each_kind_always_then_evenly_spread() {
        let mut events = vec![Outcome::Hit; 100];
        events[0] = Outcome::Miss;
        let mut seen = Vec::new();
        let chosen = pick(&events, 4, &mut seen);
        assert_eq!(chosen, [0, 1, 25, 75]);
        assert_eq!(seen, [Outcome::Miss, Outcome::Hit]);
        // Kinds already seen get no special treatment; a zero budget draws nothing.
        assert!(pick(&events, 0, &mut seen).is_empty());
        let chosen = pick(&events, 2, &mut seen);
        assert_eq!(chosen, [25, 75]);
        assert!(pick(&[], 5, &mut seen).is_empty());
        // Fingerprints can span lanes: a hit here and a miss there is its own kind.
        let mut seen = Vec::new();
        let both = [(1, 2), (1, 2), (1, 3)];
        assert_eq!(pick(&both, 0, &mut seen), [0, 2]);
    }

    #[test]
    fn routes_start_and_end_at_the_app() {
        for s in Strategy::ALL {
            for o in [
                Outcome::Hit,
                Outcome::Miss,
                Outcome::DbRead,
                Outcome::DbWrite,
                Outcome::DbWriteInvalidate,
                Outcome::WriteThrough,
                Outcome::WriteQueued,
            ] {
                let pts = polyline(APP, legs(s, o));
                assert_eq!(pts.first(), Some(&APP));
                let end = pts.last().unwrap();
                assert!(
                    (end.0 - APP.0).abs() < 1e-9 && (end.1 - APP.1).abs() < 1e-9,
                    "{s:?} {o:?}"
                );
            }
        }
        // The database curve dips under the cache.
        let pts = polyline(APP, legs(Strategy::NoCache, Outcome::DbRead));
        let lowest = pts.iter().map(|p| p.1).fold(0.0, f64::max);
        assert!(lowest > CACHE.1 + 40.0 && lowest < LANE_HEIGHT, "{lowest}");
        // A cache-aside miss travels further (and so takes longer) than a hit.
        let hit = length(&polyline(APP, legs(Strategy::CacheAside, Outcome::Hit)));
        let miss = length(&polyline(APP, legs(Strategy::CacheAside, Outcome::Miss)));
        assert!(miss > 3.0 * hit);
    }

    #[test]
    fn points_along_a_polyline() {
        let pts = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)];
        assert_eq!(point_along(&pts, 5.0), (5.0, 0.0));
        assert_eq!(point_along(&pts, 15.0), (10.0, 5.0));
        assert_eq!(point_along(&pts, 99.0), (10.0, 10.0));
        assert_eq!(point_along(&[], 1.0), (0.0, 0.0));
    }

    #[test]
    fn dots_are_sampled_paired_across_lanes_and_retire() {
        let mut a = Animator::new();
        let lane = |outcome| (0..50).map(|i| event(i, outcome)).collect::<Vec<_>>();
        let lanes = vec![
            (Strategy::CacheAside, lane(Outcome::Hit)),
            (Strategy::NoCache, lane(Outcome::DbRead)),
        ];
        a.feed(0.0, &lanes, &[false, false]);
        // No time has passed, but the first hit is always drawn, in both lanes.
        let dots = a.frame(0.0);
        assert_eq!(dots.len(), 2);
        assert_eq!((dots[0].lane, dots[0].kind), (0, DotKind::Hit));
        assert_eq!((dots[1].lane, dots[1].kind), (1, DotKind::DbRead));
        assert_eq!((dots[0].x, dots[0].y), APP);

        // A second later: at most a few new dots (the allowance is capped).
        a.feed(1_000.0, &lanes, &[false, true]);
        let dots = a.frame(1_000.0);
        let flushes = dots.iter().filter(|d| d.kind == DotKind::Flush).count();
        assert_eq!(flushes, 1);
        assert!(dots.len() <= 2 + 3 * 2 + 1, "{}", dots.len());
        // Long after, everything has arrived.
        assert!(a.frame(60_000.0).is_empty());
        assert!(a.is_idle());
    }
}
