//! The metric read-outs: which totals the visualizer prints, under which test hook,
//! and in which words.
//!
//! Each metric's value element carries `data-testid="sim-metric-<hook>"` for the main
//! strategy and `data-testid="sim-compare-metric-<hook>"` for the one beside it. Its
//! text is [`Readout::text`] (counts with no separators, `10000`; the hit ratio as a
//! percentage, `99.99%`; latencies with a unit, `10.5 ms`), and its `data-value`
//! attribute is [`Readout::raw`], the unformatted number (`10000`, `0.9999`, `10500`
//! µs), for tests that want to compare numbers.

use cachelab_core::sim::Metrics;

use super::chart::ChartKind;
use super::format;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Readout {
    HitRatio,
    DbQueries,
    MeanLatency,
    P95Latency,
    StaleReads,
    WastedWrites,
    LostWrites,
}

impl Readout {
    pub const ALL: [Readout; 7] = [
        Readout::HitRatio,
        Readout::DbQueries,
        Readout::MeanLatency,
        Readout::P95Latency,
        Readout::StaleReads,
        Readout::WastedWrites,
        Readout::LostWrites,
    ];

    /// The `data-testid` suffix.
    pub fn hook(self) -> &'static str {
        match self {
            Readout::HitRatio => "hit-ratio",
            Readout::DbQueries => "db-queries",
            Readout::MeanLatency => "mean-latency",
            Readout::P95Latency => "p95-latency",
            Readout::StaleReads => "stale-reads",
            Readout::WastedWrites => "wasted-writes",
            Readout::LostWrites => "lost-writes",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Readout::HitRatio => "hit ratio",
            Readout::DbQueries => "database queries",
            Readout::MeanLatency => "mean",
            Readout::P95Latency => "p95",
            Readout::StaleReads => "stale reads",
            Readout::WastedWrites => "wasted cache writes",
            Readout::LostWrites => "lost writes",
        }
    }

    /// The read-outs shown on a chart's card: the headline, then any secondary one.
    pub fn of_chart(kind: ChartKind) -> &'static [Readout] {
        match kind {
            ChartKind::HitRatio => &[Readout::HitRatio],
            ChartKind::DbQueries => &[Readout::DbQueries],
            ChartKind::Latency => &[Readout::MeanLatency, Readout::P95Latency],
            ChartKind::StaleReads => &[Readout::StaleReads],
            ChartKind::WastedWrites => &[Readout::WastedWrites],
            ChartKind::LostWrites => &[Readout::LostWrites],
        }
    }

    pub fn text(self, m: &Metrics) -> String {
        match self {
            Readout::HitRatio => format::percent(m.hit_ratio),
            Readout::DbQueries => format::plain(m.db_queries),
            Readout::MeanLatency => format::latency(m.mean_latency_us),
            Readout::P95Latency => format::latency(m.p95_latency_us as f64),
            Readout::StaleReads => format::plain(m.stale_reads),
            Readout::WastedWrites => format::plain(m.wasted_writes),
            Readout::LostWrites => format::plain(m.lost_writes),
        }
    }

    pub fn raw(self, m: &Metrics) -> String {
        match self {
            Readout::HitRatio => m.hit_ratio.to_string(),
            Readout::DbQueries => m.db_queries.to_string(),
            Readout::MeanLatency => m.mean_latency_us.to_string(),
            Readout::P95Latency => m.p95_latency_us.to_string(),
            Readout::StaleReads => m.stale_reads.to_string(),
            Readout::WastedWrites => m.wasted_writes.to_string(),
            Readout::LostWrites => m.lost_writes.to_string(),
        }
    }

    /// A value worth flagging (a loss, a stale read): the view tints it.
    pub fn is_bad(self, m: &Metrics) -> bool {
        match self {
            Readout::StaleReads => m.stale_reads > 0,
            Readout::LostWrites => m.lost_writes > 0,
            _ => false,
        }
    }
}

/// A sentence comparing two runs' database load, for the summary under the diagram:
/// "The database answered 1 query with cache-aside and 10,000 with no cache."
pub fn db_sentence(a: (&str, &Metrics), b: Option<(&str, &Metrics)>) -> String {
    let q = |n: u64| {
        format!(
            "{} {}",
            format::grouped(n),
            if n == 1 { "query" } else { "queries" }
        )
    };
    match b {
        None => format!("The database answered {} with {}.", q(a.1.db_queries), a.0),
        Some(b) => {
            let second = if b.1.db_queries == 1 {
                "1".to_string()
            } else {
                format::grouped(b.1.db_queries)
            };
            format!(
                "The database answered {} with {} and {} with {}.",
                q(a.1.db_queries),
                a.0,
                second,
                b.0
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hooks_print_plain_values() {
        let m = Metrics {
            db_queries: 10_000,
            hit_ratio: 0.9999,
            mean_latency_us: 10_500.0,
            p95_latency_us: 500,
            lost_writes: 1_235,
            ..Metrics::default()
        };
        assert_eq!(Readout::DbQueries.text(&m), "10000");
        assert_eq!(Readout::DbQueries.raw(&m), "10000");
        assert_eq!(Readout::HitRatio.text(&m), "99.99%");
        assert_eq!(Readout::HitRatio.raw(&m), "0.9999");
        assert_eq!(Readout::MeanLatency.text(&m), "10.5 ms");
        assert_eq!(Readout::P95Latency.text(&m), "500 µs");
        assert_eq!(Readout::LostWrites.text(&m), "1235");
        assert!(Readout::LostWrites.is_bad(&m));
        assert!(!Readout::StaleReads.is_bad(&m));
        let hooks: Vec<_> = Readout::ALL.iter().map(|r| r.hook()).collect();
        for must in ["db-queries", "hit-ratio", "lost-writes"] {
            assert!(hooks.contains(&must));
        }
        // Every read-out appears on exactly one chart card.
        let mut on_cards: Vec<Readout> = ChartKind::ALL
            .iter()
            .flat_map(|&k| Readout::of_chart(k).iter().copied())
            .collect();
        on_cards.dedup();
        assert_eq!(on_cards, Readout::ALL);
    }

    #[test]
    fn database_sentence() {
        let one = Metrics {
            db_queries: 1,
            ..Metrics::default()
        };
        let many = Metrics {
            db_queries: 10_000,
            ..Metrics::default()
        };
        assert_eq!(
            db_sentence(("cache-aside", &one), Some(("no cache", &many))),
            "The database answered 1 query with cache-aside and 10,000 with no cache."
        );
        assert_eq!(
            db_sentence(("no cache", &many), None),
            "The database answered 10,000 queries with no cache."
        );
    }
}
