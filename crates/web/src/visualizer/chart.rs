//! The metric charts, as plain SVG: which metrics are charted, how their axes are
//! scaled, and the path data of each line. No chart library, no DOM: this module
//! returns strings and numbers, and the view puts them into `<path d=…>`.
//!
//! Charts share the x axis, simulated time from 0 to the end of the run, so a line
//! grows from left to right as a run plays and two strategies line up request for
//! request.

use cachelab_core::sim::SeriesPoint;

use super::format;

/// The chart's drawing area, in SVG user units (the view scales it to fit).
pub const WIDTH: f64 = 300.0;
pub const HEIGHT: f64 = 96.0;

/// The metrics that get a chart, in display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartKind {
    HitRatio,
    DbQueries,
    Latency,
    StaleReads,
    WastedWrites,
    LostWrites,
}

impl ChartKind {
    pub const ALL: [ChartKind; 6] = [
        ChartKind::HitRatio,
        ChartKind::DbQueries,
        ChartKind::Latency,
        ChartKind::StaleReads,
        ChartKind::WastedWrites,
        ChartKind::LostWrites,
    ];

    pub fn title(self) -> &'static str {
        match self {
            ChartKind::HitRatio => "Hit ratio",
            ChartKind::DbQueries => "Database queries",
            ChartKind::Latency => "Latency",
            ChartKind::StaleReads => "Stale reads",
            ChartKind::WastedWrites => "Wasted cache writes",
            ChartKind::LostWrites => "Lost writes",
        }
    }

    /// What the line shows, for the chart's description.
    pub fn explain(self) -> &'static str {
        match self {
            ChartKind::HitRatio => "Share of reads the cache answered, per 1% of the run.",
            ChartKind::DbQueries => "Queries the database has answered so far.",
            ChartKind::Latency => "Mean (solid) and 95th percentile (dashed) per 1% of the run.",
            ChartKind::StaleReads => "Reads that returned an older version than the newest.",
            ChartKind::WastedWrites => "Rows written to the cache and never read.",
            ChartKind::LostWrites => "Acknowledged writes that never reached the database.",
        }
    }

    /// The charted values of one point: the main line, and a second one (p95) for
    /// latency.
    pub fn values(self, p: &SeriesPoint) -> (f64, Option<f64>) {
        match self {
            ChartKind::HitRatio => (p.window_hit_ratio, None),
            ChartKind::DbQueries => (p.db_queries as f64, None),
            ChartKind::Latency => (
                p.window_mean_latency_us,
                Some(p.window_p95_latency_us as f64),
            ),
            ChartKind::StaleReads => (p.stale_reads as f64, None),
            ChartKind::WastedWrites => (p.wasted_writes as f64, None),
            ChartKind::LostWrites => (p.lost_writes as f64, None),
        }
    }

    /// How a y value is labelled on the axis.
    pub fn label(self, v: f64) -> String {
        match self {
            ChartKind::HitRatio => format!("{}%", format::trim(v * 100.0, 0)),
            ChartKind::Latency => format::latency(v),
            _ => format::axis(v),
        }
    }
}

/// The smallest "nice" number (1, 2 or 5 times a power of ten) at or above `v`; 1
/// for nothing to show.
pub fn nice_ceiling(v: f64) -> f64 {
    if !v.is_finite() || v <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powi(v.log10().floor() as i32);
    for m in [1.0, 2.0, 5.0, 10.0] {
        // A little slack so 1000.0000001 from float noise still counts as 1000.
        if v <= m * power * (1.0 + 1e-9) {
            return m * power;
        }
    }
    10.0 * power
}

/// The first point (the start of the run) carries no window: its window values are 0
/// only because nothing has happened yet, so windowed lines start at the second.
fn skip_empty_window(kind: ChartKind) -> usize {
    match kind {
        ChartKind::HitRatio | ChartKind::Latency => 1,
        _ => 0,
    }
}

/// One strategy's line(s) in a chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Line {
    pub main: String,
    pub second: Option<String>,
}

/// A whole chart: the y scale and every lane's lines.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartModel {
    pub kind: ChartKind,
    pub y_max: f64,
    /// Gridlines: (y position, label), bottom to top.
    pub ticks: Vec<(f64, String)>,
    pub lines: Vec<Line>,
}

/// Builds `kind`'s chart over lanes' series. `x_end_us` is the simulated time at the
/// end of the run, so unfinished lines leave room to grow.
pub fn build(kind: ChartKind, lanes: &[&[SeriesPoint]], x_end_us: u64) -> ChartModel {
    let skip = skip_empty_window(kind);
    let y_max = match kind {
        ChartKind::HitRatio => 1.0,
        _ => {
            let peak = lanes
                .iter()
                .flat_map(|s| s.iter().skip(skip))
                .map(|p| {
                    let (a, b) = kind.values(p);
                    a.max(b.unwrap_or(0.0))
                })
                .fold(0.0, f64::max);
            // A floor keeps an empty or tiny chart's axis sensible: counts read
            // 0 / 5 / 10 rather than 0 / 0.5 / 1, latencies at least up to 1 ms.
            let floor = if kind == ChartKind::Latency {
                1_000.0
            } else {
                10.0
            };
            nice_ceiling(peak).max(floor)
        }
    };
    let x_end = (x_end_us as f64).max(1.0);
    let lines = lanes
        .iter()
        .map(|series| {
            let pts = series.iter().skip(skip);
            let main = path(
                pts.clone().map(|p| (p.t_us as f64, kind.values(p).0)),
                x_end,
                y_max,
            );
            let second = (kind == ChartKind::Latency).then(|| {
                path(
                    pts.map(|p| (p.t_us as f64, kind.values(p).1.unwrap_or(0.0))),
                    x_end,
                    y_max,
                )
            });
            Line { main, second }
        })
        .collect();
    let ticks = [0.0, 0.5, 1.0]
        .iter()
        .map(|&f| (y(f * y_max, y_max), kind.label(f * y_max)))
        .collect();
    ChartModel {
        kind,
        y_max,
        ticks,
        lines,
    }
}

/// The y coordinate of value `v` (SVG y grows downwards).
pub fn y(v: f64, y_max: f64) -> f64 {
    HEIGHT - (v / y_max).clamp(0.0, 1.0) * HEIGHT
}

/// The x coordinate of simulated time `t_us`.
pub fn x(t_us: f64, x_end: f64) -> f64 {
    (t_us / x_end).clamp(0.0, 1.0) * WIDTH
}

/// SVG path data through `points` (time µs, value), e.g. `M0 96L150 48`. A lone
/// point becomes a short flat stroke so it is still visible; no points, an empty
/// string.
pub fn path(points: impl Iterator<Item = (f64, f64)>, x_end: f64, y_max: f64) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut last = (0.0, 0.0);
    for (t, v) in points {
        let p = (x(t, x_end), y(v, y_max));
        // Consecutive points closer than a tenth of a unit add bytes, not detail.
        if count > 0 && (p.0 - last.0).abs() < 0.1 && (p.1 - last.1).abs() < 0.1 {
            continue;
        }
        out.push(if count == 0 { 'M' } else { 'L' });
        out.push_str(&format::trim(p.0, 1));
        out.push(' ');
        out.push_str(&format::trim(p.1, 1));
        last = p;
        count += 1;
    }
    if count == 1 {
        out.push_str(&format!("h{}", if last.0 > WIDTH - 2.0 { -2 } else { 2 }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(t_us: u64, db: u64, hit: f64) -> SeriesPoint {
        SeriesPoint {
            t_us,
            db_queries: db,
            window_hit_ratio: hit,
            ..SeriesPoint::default()
        }
    }

    #[test]
    fn nice_ceilings() {
        for (v, want) in [
            (0.0, 1.0),
            (-3.0, 1.0),
            (f64::NAN, 1.0),
            (1.0, 1.0),
            (1.2, 2.0),
            (3.0, 5.0),
            (7.0, 10.0),
            (10_000.0, 10_000.0),
            (10_001.0, 20_000.0),
            (0.3, 0.5),
            (45_062.0, 50_000.0),
        ] {
            assert!(
                (nice_ceiling(v) - want).abs() < 1e-9,
                "{v} → {}",
                nice_ceiling(v)
            );
        }
    }

    #[test]
    fn paths_map_time_and_value_into_the_box() {
        let d = path(
            [(0.0, 0.0), (50.0, 5.0), (100.0, 10.0)].into_iter(),
            100.0,
            10.0,
        );
        assert_eq!(d, "M0 96L150 48L300 0");
        assert_eq!(path(std::iter::empty(), 1.0, 1.0), "");
        assert_eq!(path([(0.0, 1.0)].into_iter(), 10.0, 1.0), "M0 0h2");
        // Points that land on the same spot are drawn once.
        let d = path((0..1000).map(|i| (f64::from(i) * 1e-6, 1.0)), 10.0, 1.0);
        assert_eq!(d, "M0 0h2");
    }

    #[test]
    fn charts_share_a_scale_across_lanes() {
        let cached = [
            point(0, 0, 0.0),
            point(5_000_000, 1, 1.0),
            point(10_000_000, 1, 1.0),
        ];
        let uncached = [
            point(0, 0, 0.0),
            point(5_000_000, 5_000, 0.0),
            point(10_000_000, 10_000, 0.0),
        ];
        let m = build(ChartKind::DbQueries, &[&cached, &uncached], 10_000_000);
        assert_eq!(m.y_max, 10_000.0);
        assert_eq!(m.lines[1].main, "M0 96L150 48L300 0");
        assert_eq!(m.lines[0].main, "M0 96L150 96L300 96");
        assert_eq!(m.ticks[2], (0.0, "10k".to_string()));
        assert!(m.lines[0].second.is_none());

        let m = build(ChartKind::HitRatio, &[&cached], 20_000_000);
        assert_eq!(m.y_max, 1.0);
        assert_eq!(
            m.lines[0].main, "M75 0L150 0",
            "the empty first window is skipped; the line grows"
        );
        assert_eq!(m.ticks[1].1, "50%");

        let m = build(ChartKind::Latency, &[&cached], 10_000_000);
        assert!(m.lines[0].second.is_some());
        assert_eq!(m.ticks[2].1, "1 ms", "latency axes reach at least 1 ms");
        let m = build(ChartKind::StaleReads, &[&cached], 10_000_000);
        assert_eq!(
            (m.y_max, m.ticks[1].1.as_str()),
            (10.0, "5"),
            "counts: at least 0 to 10"
        );
    }
}
