//! Latency diagnostics: the latency monitor behind LATENCY LATEST/HISTORY/
//! GRAPH/DOCTOR/RESET, and the per-command histograms behind LATENCY
//! HISTOGRAM and INFO latencystats.
//!
//! Durations come from the host's stopwatch (see [`crate::slowlog`]).
//!
//! - **Monitor.** With `latency-monitor-threshold` set to N ms, every event
//!   (a command, an active expiry cycle, an eviction cycle) that takes N ms or
//!   more is a sample of its event class. Each class keeps its 160 latest
//!   samples, one per second (the worst of that second), and its all-time
//!   maximum, as Redis does.
//! - **Histograms.** With `latency-tracking yes` (the default) every call of a
//!   command is recorded in nanoseconds into a histogram with Redis's
//!   parameters: HdrHistogram buckets of 2 significant digits from 1 ns to
//!   1 s. Percentiles and the cumulative distribution are read off them the
//!   way Redis's bundled `hdr_histogram` does, so equal samples give equal
//!   replies.

use indexmap::IndexMap;

/// Samples kept per event class (Redis's `LATENCY_TS_LEN`).
const SERIES_LEN: usize = 160;

/// One event class: a ring of (unix seconds, ms) samples, 0 time for unused.
#[derive(Clone, Debug)]
pub(crate) struct Series {
    next: usize,
    max: u64,
    samples: Vec<(u64, u64)>,
}

impl Series {
    fn new() -> Series {
        Series {
            next: 0,
            max: 0,
            samples: vec![(0, 0); SERIES_LEN],
        }
    }

    /// The samples oldest first.
    pub(crate) fn history(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        (0..SERIES_LEN)
            .map(move |j| self.samples[(self.next + j) % SERIES_LEN])
            .filter(|&(time, _)| time != 0)
    }

    /// The newest sample.
    pub(crate) fn latest(&self) -> (u64, u64) {
        self.samples[(self.next + SERIES_LEN - 1) % SERIES_LEN]
    }

    pub(crate) fn max(&self) -> u64 {
        self.max
    }
}

/// The latency monitor's event classes, in the order they first occurred.
#[derive(Clone, Debug, Default)]
pub(crate) struct Monitor {
    events: IndexMap<String, Series>,
}

impl Monitor {
    /// Redis's `latencyAddSample`: a sample in the same second as the last
    /// one only raises it.
    pub(crate) fn add(&mut self, event: &str, latency_ms: u64, now_s: u64) {
        let series = self
            .events
            .entry(event.to_string())
            .or_insert_with(Series::new);
        series.max = series.max.max(latency_ms);
        let prev = (series.next + SERIES_LEN - 1) % SERIES_LEN;
        if series.samples[prev].0 == now_s {
            series.samples[prev].1 = series.samples[prev].1.max(latency_ms);
            return;
        }
        series.samples[series.next] = (now_s, latency_ms);
        series.next = (series.next + 1) % SERIES_LEN;
    }

    pub(crate) fn get(&self, event: &[u8]) -> Option<(&str, &Series)> {
        let event = std::str::from_utf8(event).ok()?;
        self.events
            .get_key_value(event)
            .map(|(name, series)| (name.as_str(), series))
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Series)> {
        self.events.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Forgets the classes named `event` (any case), or all of them; returns
    /// how many were forgotten.
    pub(crate) fn reset(&mut self, event: Option<&[u8]>) -> usize {
        let before = self.events.len();
        match event {
            None => self.events.clear(),
            Some(name) => self
                .events
                .retain(|k, _| !k.as_bytes().eq_ignore_ascii_case(name)),
        }
        before - self.events.len()
    }
}

/// Statistics of one event class for LATENCY DOCTOR (Redis's
/// `analyzeLatencyForEvent`): sample count, average, mean absolute
/// deviation, and the seconds from the oldest sample to now.
pub(crate) struct Analysis {
    pub samples: u64,
    pub avg: u64,
    pub mad: u64,
    pub period: u64,
}

pub(crate) fn analyze(series: &Series, now_s: u64) -> Analysis {
    let samples: Vec<(u64, u64)> = series.history().collect();
    let n = samples.len() as u64;
    if n == 0 {
        return Analysis {
            samples: 0,
            avg: 0,
            mad: 0,
            period: 0,
        };
    }
    let avg = samples.iter().map(|s| s.1).sum::<u64>() / n;
    let mad = samples.iter().map(|s| s.1.abs_diff(avg)).sum::<u64>() / n;
    let oldest = samples.iter().map(|s| s.0).min().unwrap_or(now_s);
    Analysis {
        samples: n,
        avg,
        mad,
        period: now_s.saturating_sub(oldest).max(1),
    }
}

// ---- the ASCII graph of LATENCY GRAPH --------------------------------------

/// Columns of the graph, and rows of it above the labels.
const GRAPH_COLS: usize = 80;
const GRAPH_ROWS: usize = 4;

/// LATENCY GRAPH's text: a title line, a rule, then the samples as a filled
/// sparkline (`_`, `o`, `#` steps, `|` below the top) with each sample's age
/// written vertically beneath it, 80 columns per block.
pub(crate) fn graph(event: &str, series: &Series, now_s: u64) -> String {
    let samples: Vec<(u64, u64)> = series.history().collect();
    let low = samples.iter().map(|s| s.1).min().unwrap_or(0);
    let high = samples.iter().map(|s| s.1).max().unwrap_or(0);
    let mut out = format!(
        "{event} - high {high} ms, low {low} ms (all time high {} ms)\n",
        series.max
    );
    out.push_str(&"-".repeat(GRAPH_COLS));
    out.push('\n');
    let labels: Vec<String> = samples
        .iter()
        .map(|&(time, _)| age_label(now_s.saturating_sub(time)))
        .collect();
    let values: Vec<u64> = samples.iter().map(|s| s.1).collect();
    for (block, start) in (0..values.len()).step_by(GRAPH_COLS).enumerate() {
        if block > 0 {
            out.push('\n');
        }
        let end = (start + GRAPH_COLS).min(values.len());
        render_block(
            &mut out,
            &values[start..end],
            &labels[start..end],
            low,
            high,
        );
    }
    out
}

/// "12s", "3m", "5h" or "2d" ago.
fn age_label(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

fn render_block(out: &mut String, values: &[u64], labels: &[String], low: u64, high: u64) {
    const FILL: [char; 3] = ['_', 'o', '#'];
    let steps = (FILL.len() * GRAPH_ROWS) as f64;
    let range = if high == low {
        1.0
    } else {
        (high - low) as f64
    };
    let step_of = |v: u64| {
        // As Redis computes it: the product truncated, then the quotient.
        let step = (((v - low) as f64 * steps) as i64 as f64 / range) as i64;
        step.clamp(0, steps as i64 - 1)
    };
    for row in 0..GRAPH_ROWS {
        let line: String = values
            .iter()
            .map(|&v| {
                let index = step_of(v) - ((GRAPH_ROWS - row - 1) * FILL.len()) as i64;
                match usize::try_from(index) {
                    Ok(i) if i < FILL.len() => FILL[i],
                    Ok(_) => '|',
                    Err(_) => ' ',
                }
            })
            .collect();
        out.push_str(&line);
        out.push('\n');
    }
    // A blank row, then the labels one character per row.
    out.push_str(&" ".repeat(values.len()));
    out.push('\n');
    let longest = labels.iter().map(String::len).max().unwrap_or(0);
    for i in 0..longest {
        let line: String = labels
            .iter()
            .map(|l| l.as_bytes().get(i).map_or(' ', |&b| char::from(b)))
            .collect();
        out.push_str(&line);
        out.push('\n');
    }
}

// ---- per-command histograms ------------------------------------------------

/// HdrHistogram's layout for Redis's parameters: values 1 ns ..= 1 s with 2
/// significant digits give 256 sub-buckets (the lower half of each bucket
/// after the first repeats the previous one, so 128 new ones per bucket) and
/// 23 buckets.
const SUB_HALF_MAGNITUDE: u32 = 7;
const SUB_HALF: usize = 1 << SUB_HALF_MAGNITUDE;
const SUB_MASK: u64 = (2 * SUB_HALF as u64) - 1;
const BUCKETS: usize = 23;
const COUNTS: usize = (BUCKETS + 1) * SUB_HALF;
/// Redis's `LATENCY_HISTOGRAM_MIN_VALUE` and `_MAX_VALUE`, in ns.
const LOWEST: u64 = 1;
const HIGHEST: u64 = 1_000_000_000;

#[derive(Clone)]
pub(crate) struct Histogram {
    counts: Box<[u64]>,
    total: u64,
}

impl std::fmt::Debug for Histogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Histogram")
            .field("total", &self.total)
            .finish()
    }
}

/// (bucket, sub-bucket) of a value.
fn indices(value: u64) -> (u32, u64) {
    let pow2ceiling = 64 - (value | SUB_MASK).leading_zeros();
    let bucket = pow2ceiling - (SUB_HALF_MAGNITUDE + 1);
    (bucket, value >> bucket)
}

fn counts_index(value: u64) -> usize {
    let (bucket, sub) = indices(value);
    (((bucket as usize) + 1) << SUB_HALF_MAGNITUDE) + sub as usize - SUB_HALF
}

fn value_at_index(index: usize) -> u64 {
    let bucket = (index >> SUB_HALF_MAGNITUDE) as i64 - 1;
    let sub = ((index & (SUB_HALF - 1)) + SUB_HALF) as u64;
    if bucket < 0 {
        sub - SUB_HALF as u64
    } else {
        sub << bucket
    }
}

fn lowest_equivalent(value: u64) -> u64 {
    let (bucket, sub) = indices(value);
    sub << bucket
}

fn highest_equivalent(value: u64) -> u64 {
    let (bucket, sub) = indices(value);
    let adjusted = if sub >= 2 * SUB_HALF as u64 {
        bucket + 1
    } else {
        bucket
    };
    lowest_equivalent(value) + (1u64 << adjusted) - 1
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: vec![0; COUNTS].into_boxed_slice(),
            total: 0,
        }
    }
}

impl Histogram {
    /// A histogram holding one call (the allocation stays off the hot path).
    #[cold]
    pub(crate) fn first(ns: u64) -> Histogram {
        let mut h = Histogram::default();
        h.record(ns);
        h
    }

    /// Records one call that took `ns` nanoseconds (clamped to 1 ns ..= 1 s).
    #[inline]
    pub(crate) fn record(&mut self, ns: u64) {
        let value = ns.clamp(LOWEST, HIGHEST);
        if let Some(count) = self.counts.get_mut(counts_index(value)) {
            *count += 1;
            self.total += 1;
        }
    }

    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// `hdr_value_at_percentile`, in ns.
    pub(crate) fn value_at_percentile(&self, percentile: f64) -> u64 {
        let requested = percentile.min(100.0);
        let wanted = (((requested / 100.0) * self.total as f64) + 0.5) as u64;
        let wanted = wanted.max(1);
        let mut seen = 0;
        let mut value = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= wanted {
                value = value_at_index(i);
                break;
            }
        }
        if percentile == 0.0 {
            lowest_equivalent(value)
        } else {
            highest_equivalent(value)
        }
    }

    /// LATENCY HISTOGRAM's `histogram_usec`: (µs, cumulative calls) at 1024 ns
    /// and each doubling, where the count grew (hdr's logarithmic iterator).
    pub(crate) fn cumulative(&self) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        let mut seen = 0;
        let mut counted_to = 0;
        let mut previous = 0;
        let mut level: u64 = 1024;
        while previous < self.total {
            let last = counts_index(level).min(COUNTS - 1);
            while counted_to <= last {
                seen += self.counts[counted_to];
                counted_to += 1;
            }
            if seen > previous {
                out.push((highest_equivalent(level) / 1000, seen));
            }
            previous = seen;
            if level > HIGHEST {
                break;
            }
            level *= 2;
        }
        out
    }
}

/// `latency-tracking-info-percentiles`: numbers between 0 and 100, separated
/// by spaces; `Err` has Redis's message.
pub(crate) fn parse_percentiles(text: &str) -> Result<Vec<f64>, &'static str> {
    text.split_whitespace()
        .map(|word| {
            let p: f64 = word
                .parse()
                .ok()
                .filter(|p: &f64| !p.is_nan())
                .ok_or("Invalid latency-tracking-info-percentiles parameters")?;
            if (0.0..=100.0).contains(&p) {
                Ok(p)
            } else {
                Err("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]")
            }
        })
        .collect()
}

/// A percentile as Redis labels it: `%f`, then trailing zeros (and a bare
/// point) trimmed: "50", "99.9".
pub(crate) fn percentile_label(p: f64) -> String {
    let text = format!("{p:.6}");
    let text = text.trim_end_matches('0');
    text.trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests;
