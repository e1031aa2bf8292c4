//! The visualizer's form: which scenario, which strategies, every simulation
//! parameter as the learner types it, and how fast to play the run.
//!
//! The parameters are data: [`FIELDS`] lists each number field once (label, unit,
//! range, step, help), and the view draws the form from it. [`Form`] is the pure
//! reducer behind the form. It keeps what was typed apart from the last valid value,
//! so a half-typed number never reaches the simulator, and [`Form::config`] turns the
//! valid values into a [`SimConfig`], in the learner's units (ms, %, rows) converted
//! to the simulator's (µs, shares, bytes).

use cachelab_core::sim::{
    presets, FaultKind, Popularity, Preset, SimConfig, Strategy, MAX_CAPACITY_BYTES,
};

use super::format::grouped;

/// The number fields, in form order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldId {
    Users,
    Requests,
    Rate,
    ReadPercent,
    Keys,
    ZipfS,
    Ttl,
    CacheLatency,
    DbLatency,
    Capacity,
    Flush,
    Seed,
}

/// One number field of the form.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FieldSpec {
    pub id: FieldId,
    /// Used in the element id (`sim-<key>`) and the test hook (`sim-param-<key>`).
    pub key: &'static str,
    pub label: &'static str,
    /// Shown after the input; empty for plain counts.
    pub unit: &'static str,
    pub min: f64,
    pub max: f64,
    pub step: f64,
    pub integer: bool,
    /// One sentence under the field: what it changes.
    pub help: &'static str,
    /// A range slider instead of a number box.
    pub slider: bool,
}

/// Where each field sits in the form, in order.
pub const FIELDS: [FieldSpec; 12] = [
    FieldSpec {
        id: FieldId::Users,
        key: "users",
        label: "Users",
        unit: "",
        min: 1.0,
        max: 1_000_000.0,
        step: 1.0,
        integer: true,
        help: "Who sends the requests, in turn.",
        slider: false,
    },
    FieldSpec {
        id: FieldId::Requests,
        key: "requests",
        label: "Requests",
        unit: "",
        min: 1.0,
        max: 1_000_000.0,
        step: 1.0,
        integer: true,
        help: "How many requests the run simulates.",
        slider: false,
    },
    FieldSpec {
        id: FieldId::Rate,
        key: "rate",
        label: "Request rate",
        unit: "/s",
        min: 0.1,
        max: 100_000.0,
        step: 0.1,
        integer: false,
        help: "Requests per simulated second, evenly spaced.",
        slider: false,
    },
    FieldSpec {
        id: FieldId::ReadPercent,
        key: "reads",
        label: "Reads",
        unit: "%",
        min: 0.0,
        max: 100.0,
        step: 1.0,
        integer: false,
        help: "The rest of the requests are writes.",
        slider: true,
    },
    FieldSpec {
        id: FieldId::Keys,
        key: "keys",
        label: "Distinct keys",
        unit: "",
        min: 1.0,
        max: 1_000_000.0,
        step: 1.0,
        integer: true,
        help: "Rows in the database that requests pick from.",
        slider: false,
    },
    FieldSpec {
        id: FieldId::ZipfS,
        key: "zipf-s",
        label: "Zipf exponent",
        unit: "",
        min: 0.01,
        max: 10.0,
        step: 0.01,
        integer: false,
        help: "Higher means a few keys get most requests.",
        slider: false,
    },
    FieldSpec {
        id: FieldId::Ttl,
        key: "ttl",
        label: "TTL",
        unit: "s",
        min: 0.0,
        max: 31_536_000.0,
        step: 1.0,
        integer: true,
        help: "SET … EX on every cached row; 0 stores rows without expiry.",
        slider: false,
    },
    FieldSpec {
        id: FieldId::CacheLatency,
        key: "cache-latency",
        label: "Cache latency",
        unit: "ms",
        min: 0.0,
        max: 60_000.0,
        step: 0.1,
        integer: false,
        help: "One round trip to the cache.",
        slider: false,
    },
    FieldSpec {
        id: FieldId::DbLatency,
        key: "db-latency",
        label: "Database latency",
        unit: "ms",
        min: 0.0,
        max: 60_000.0,
        step: 0.1,
        integer: false,
        help: "One database query.",
        slider: false,
    },
    FieldSpec {
        id: FieldId::Capacity,
        key: "capacity",
        label: "Cache capacity",
        unit: "rows",
        min: 0.0,
        max: 1_000_000.0,
        step: 1.0,
        integer: true,
        help: "maxmemory sized for this many rows, with allkeys-lru; 0 is unlimited.",
        slider: false,
    },
    FieldSpec {
        id: FieldId::Flush,
        key: "flush",
        label: "Write-behind flush every",
        unit: "s",
        min: 0.001,
        max: 86_400.0,
        step: 0.1,
        integer: false,
        help: "How often queued writes reach the database.",
        slider: false,
    },
    FieldSpec {
        id: FieldId::Seed,
        key: "seed",
        label: "Seed",
        unit: "",
        min: 0.0,
        // The largest integer a JavaScript number (and an f64) holds exactly.
        max: 9_007_199_254_740_991.0,
        step: 1.0,
        integer: true,
        help: "Same seed, same requests: runs are repeatable.",
        slider: false,
    },
];

fn index(id: FieldId) -> usize {
    FIELDS.iter().position(|f| f.id == id).unwrap_or(0)
}

pub fn spec(id: FieldId) -> &'static FieldSpec {
    &FIELDS[index(id)]
}

/// How fast a run plays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Speed {
    Slow,
    #[default]
    Normal,
    Fast,
    /// Compute the whole run at once; no animation.
    Instant,
}

impl Speed {
    pub const ALL: [Speed; 4] = [Speed::Slow, Speed::Normal, Speed::Fast, Speed::Instant];

    pub fn id(self) -> &'static str {
        match self {
            Speed::Slow => "slow",
            Speed::Normal => "normal",
            Speed::Fast => "fast",
            Speed::Instant => "instant",
        }
    }

    pub fn from_id(id: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|s| s.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Speed::Slow => "Slow (30 s)",
            Speed::Normal => "Normal (10 s)",
            Speed::Fast => "Fast (3 s)",
            Speed::Instant => "Instant (no animation)",
        }
    }

    /// How long the whole run takes to play, in real milliseconds.
    pub fn duration_ms(self) -> Option<f64> {
        match self {
            Speed::Slow => Some(30_000.0),
            Speed::Normal => Some(10_000.0),
            Speed::Fast => Some(3_000.0),
            Speed::Instant => None,
        }
    }
}

/// Edits the form understands.
#[derive(Clone, Debug, PartialEq)]
pub enum FormAction {
    /// A preset id; anything else (such as `"custom"`) keeps the values and marks the
    /// form as custom.
    Preset(String),
    Strategy(Strategy),
    Compare(Option<Strategy>),
    /// The text now in a number field.
    Field(FieldId, String),
    Zipf(bool),
    Invalidate(bool),
    Speed(Speed),
    /// Drop the scenario's scheduled faults.
    ClearScheduledFaults,
}

/// The form's state. Values are in the form's units (ms, %, rows).
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// The preset the values came from; `None` once a parameter is edited.
    pub preset: Option<&'static str>,
    pub strategy: Strategy,
    pub compare: Option<Strategy>,
    pub zipf: bool,
    pub invalidate: bool,
    pub speed: Speed,
    values: [f64; FIELDS.len()],
    texts: [String; FIELDS.len()],
    errors: [Option<String>; FIELDS.len()],
    /// What the form doesn't edit (key prefix, row size, scheduled faults, log and
    /// sampling sizes), from the last preset.
    base: SimConfig,
}

/// The preset the page opens with: the lesson's homepage story.
pub const DEFAULT_PRESET: &str = "homepage";

impl Default for Form {
    fn default() -> Self {
        let preset = presets()
            .into_iter()
            .find(|p| p.id == DEFAULT_PRESET)
            .unwrap_or_else(|| Preset {
                id: "custom",
                name: "Custom",
                description: "",
                config: SimConfig {
                    log_limit: 60,
                    sample_every: 10,
                    ..SimConfig::default()
                },
                compare_with: Strategy::NoCache,
            });
        Form::from_preset(&preset, Speed::default())
    }
}

impl Form {
    pub fn from_preset(p: &Preset, speed: Speed) -> Form {
        let cfg = &p.config;
        let mut values = [0.0; FIELDS.len()];
        let zipf_s = match cfg.popularity {
            Popularity::Zipf { s } => s,
            Popularity::Uniform => 1.0,
        };
        for f in &FIELDS {
            values[index(f.id)] = match f.id {
                FieldId::Users => cfg.users.into(),
                FieldId::Requests => cfg.requests.into(),
                FieldId::Rate => cfg.rate_per_sec,
                FieldId::ReadPercent => (cfg.read_ratio * 100.0 * 100.0).round() / 100.0,
                FieldId::Keys => cfg.keys.into(),
                FieldId::ZipfS => zipf_s,
                FieldId::Ttl => cfg.ttl_secs as f64,
                FieldId::CacheLatency => cfg.cache_latency_us as f64 / 1_000.0,
                FieldId::DbLatency => cfg.db_latency_us as f64 / 1_000.0,
                FieldId::Capacity => cfg.capacity_bytes.map_or(0.0, |b| rows_for(cfg, b).into()),
                FieldId::Flush => cfg.flush_interval_ms as f64 / 1_000.0,
                FieldId::Seed => cfg.seed as f64,
            };
        }
        let texts = std::array::from_fn(|i| number_text(values[i]));
        Form {
            preset: Some(p.id),
            strategy: cfg.strategy,
            compare: Some(p.compare_with),
            zipf: matches!(cfg.popularity, Popularity::Zipf { .. }),
            invalidate: cfg.invalidate_on_write,
            speed,
            values,
            texts,
            errors: Default::default(),
            base: cfg.clone(),
        }
    }

    pub fn apply(&mut self, action: FormAction) {
        match action {
            FormAction::Preset(id) => match presets().into_iter().find(|p| p.id == id) {
                Some(p) => *self = Form::from_preset(&p, self.speed),
                None => self.preset = None,
            },
            FormAction::Strategy(s) => self.strategy = s,
            FormAction::Compare(s) => self.compare = s,
            FormAction::Field(id, text) => {
                let i = index(id);
                match parse(spec(id), &text) {
                    Ok(v) => {
                        self.values[i] = v;
                        self.errors[i] = None;
                    }
                    Err(e) => self.errors[i] = Some(e),
                }
                self.texts[i] = text;
                self.preset = None;
            }
            FormAction::Zipf(on) => {
                self.zipf = on;
                self.preset = None;
            }
            FormAction::Invalidate(on) => {
                self.invalidate = on;
                self.preset = None;
            }
            FormAction::Speed(s) => self.speed = s,
            FormAction::ClearScheduledFaults => {
                self.base.faults.clear();
                self.preset = None;
            }
        }
    }

    pub fn value(&self, id: FieldId) -> f64 {
        self.values[index(id)]
    }

    /// What the field shows: the learner's text, even when it doesn't parse.
    pub fn text(&self, id: FieldId) -> &str {
        &self.texts[index(id)]
    }

    pub fn error(&self, id: FieldId) -> Option<&str> {
        self.errors[index(id)].as_deref()
    }

    /// Whether a field matters for the chosen strategies (the view dims the others).
    pub fn relevant(&self, id: FieldId) -> bool {
        let strategies = [Some(self.strategy), self.compare];
        let any = |pred: fn(Strategy) -> bool| strategies.iter().flatten().any(|&s| pred(s));
        match id {
            FieldId::ZipfS => self.zipf,
            FieldId::Flush => any(|s| s == Strategy::WriteBehind),
            FieldId::Ttl | FieldId::CacheLatency | FieldId::Capacity => any(Strategy::uses_cache),
            _ => true,
        }
    }

    /// Whether the invalidate-on-write switch matters for the chosen strategies.
    pub fn invalidate_relevant(&self) -> bool {
        [Some(self.strategy), self.compare]
            .iter()
            .flatten()
            .any(|s| {
                matches!(
                    s,
                    Strategy::CacheAside | Strategy::ReadThrough | Strategy::RefreshAhead
                )
            })
    }

    /// The strategies to run: the main one, then the comparison if it differs.
    pub fn strategies(&self) -> Vec<Strategy> {
        let mut out = vec![self.strategy];
        if let Some(b) = self.compare.filter(|&b| b != self.strategy) {
            out.push(b);
        }
        out
    }

    pub fn scheduled_faults(&self) -> &[cachelab_core::sim::Fault] {
        &self.base.faults
    }

    /// The configuration to run, or the first problem, in words.
    pub fn config(&self) -> Result<SimConfig, String> {
        if let Some((f, e)) = FIELDS
            .iter()
            .zip(&self.errors)
            .find_map(|(f, e)| e.as_ref().map(|e| (f, e)))
        {
            return Err(format!("{} — {e}", f.label));
        }
        let v = |id| self.value(id);
        let us = |ms: f64| (ms * 1_000.0).round() as u64;
        let requests = v(FieldId::Requests) as u32;
        let mut cfg = SimConfig {
            strategy: self.strategy,
            users: v(FieldId::Users) as u32,
            requests,
            rate_per_sec: v(FieldId::Rate),
            read_ratio: (v(FieldId::ReadPercent) / 100.0).clamp(0.0, 1.0),
            keys: v(FieldId::Keys) as u32,
            popularity: if self.zipf {
                Popularity::Zipf {
                    s: v(FieldId::ZipfS),
                }
            } else {
                Popularity::Uniform
            },
            ttl_secs: v(FieldId::Ttl) as u64,
            cache_latency_us: us(v(FieldId::CacheLatency)),
            db_latency_us: us(v(FieldId::DbLatency)),
            capacity_bytes: None,
            invalidate_on_write: self.invalidate,
            flush_interval_ms: ((v(FieldId::Flush) * 1_000.0).round() as u64).max(1),
            seed: v(FieldId::Seed) as u64,
            // The animation shows a few dots a second; keeping one request in ten
            // (fewer for huge runs) is plenty and keeps polling cheap.
            sample_every: self.base.sample_every.max(requests / 50_000).max(1),
            event_limit: self.base.event_limit.max(1_000),
            ..self.base.clone()
        };
        // A single key is named by the prefix alone (`page:home`); with more keys a
        // prefix meant for one page would read oddly, so fall back to rows.
        if cfg.keys != 1 && !cfg.key_prefix.ends_with(':') {
            cfg.key_prefix = "item:".to_string();
        }
        let rows = v(FieldId::Capacity) as u32;
        if rows > 0 {
            cfg.capacity_bytes = Some(cfg.capacity_for_keys(rows).min(MAX_CAPACITY_BYTES));
        }
        cfg.validate().map_err(|e| e.to_string())?;
        Ok(cfg)
    }

    /// The `maxmemory` the capacity field asks for, in bytes (None: unlimited, or a
    /// field to fix first).
    pub fn maxmemory(&self) -> Option<u64> {
        self.config().ok().and_then(|c| c.capacity_bytes)
    }

    /// One line that sums the parameters up, for the collapsed form.
    pub fn summary(&self) -> String {
        let v = |id| self.value(id);
        let keys = v(FieldId::Keys) as u64;
        let mut parts = vec![
            format!("{} requests", grouped(v(FieldId::Requests) as u64)),
            format!("{}/s", super::format::trim(v(FieldId::Rate), 1)),
            format!("{}% reads", super::format::trim(v(FieldId::ReadPercent), 1)),
            format!(
                "{} {}{}",
                grouped(keys),
                if keys == 1 { "key" } else { "keys" },
                if keys > 1 && self.zipf { " (Zipf)" } else { "" }
            ),
        ];
        let ttl = v(FieldId::Ttl) as u64;
        parts.push(if ttl == 0 {
            "no TTL".to_string()
        } else {
            format!("TTL {} s", grouped(ttl))
        });
        let rows = v(FieldId::Capacity) as u64;
        if rows > 0 {
            parts.push(format!("room for {} rows", grouped(rows)));
        }
        parts.join(" · ")
    }
}

/// Reads a number field: commas, underscores and spaces between digits are allowed
/// (`10,000`), and the value must be in range (and whole, for integer fields).
pub fn parse(spec: &FieldSpec, text: &str) -> Result<f64, String> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}'))
        .collect();
    if cleaned.is_empty() {
        return Err("enter a number".to_string());
    }
    let v: f64 = cleaned
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| "enter a number".to_string())?;
    if spec.integer && v.fract() != 0.0 {
        return Err("enter a whole number".to_string());
    }
    if v < spec.min || v > spec.max {
        return Err(format!(
            "from {} to {}",
            range_text(spec.min),
            range_text(spec.max)
        ));
    }
    Ok(v)
}

fn range_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        grouped(v as u64)
    } else {
        super::format::trim(v, 3)
    }
}

/// How a value first appears in its field.
fn number_text(v: f64) -> String {
    super::format::trim(v, 3)
}

/// How many rows of `cfg` fit in `bytes` of maxmemory (the inverse of
/// [`SimConfig::capacity_for_keys`]), at least 1.
pub fn rows_for(cfg: &SimConfig, bytes: u64) -> u32 {
    let base = cfg.capacity_for_keys(0);
    let per = cfg.capacity_for_keys(1).saturating_sub(base).max(1);
    let rows = bytes.saturating_sub(base).div_ceil(per);
    u32::try_from(rows).unwrap_or(u32::MAX).max(1)
}

/// A fault, in words: "cache restart", "database ×10 slower".
pub fn fault_name(kind: FaultKind) -> String {
    match kind {
        FaultKind::CacheRestart => "cache restart".to_string(),
        FaultKind::DbSlow { factor: 1.0 } => "database back to normal".to_string(),
        FaultKind::DbSlow { factor } if factor > 1.0 => {
            format!("database ×{} slower", super::format::trim(factor, 1))
        }
        FaultKind::DbSlow { factor } => {
            format!("database ×{} faster", super::format::trim(1.0 / factor, 1))
        }
    }
}

#[cfg(test)]
mod tests;
