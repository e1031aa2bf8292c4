//! The counters behind INFO stats, commandstats and errorstats.

use crate::reply::Reply;
use crate::table::CommandSpec;

#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub total_connections_received: u64,
    pub total_commands_processed: u64,
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub expired_keys: u64,
    pub evicted_keys: u64,
    /// Error replies sent, and how many of each error code (the first word:
    /// `ERR`, `WRONGTYPE`, ...), as INFO's `total_error_replies` and errorstats.
    pub total_error_replies: u64,
    pub errorstats: std::collections::BTreeMap<String, u64>,
    /// INFO commandstats, per command (subcommands apart).
    pub(crate) commandstats: CommandStats,
    /// INFO's instantaneous_ops_per_sec.
    pub(crate) ops_rate: OpsRate,
}

/// Commands per second, as Redis's `trackInstantaneousMetric` measures them:
/// a sample every 100 ms of engine time (the hosts' timer beat), averaged over
/// the last 16.
#[derive(Clone, Debug, Default)]
pub(crate) struct OpsRate {
    samples: [u64; 16],
    next: usize,
    /// Engine time and command count at the last sample.
    last: Option<(u64, u64)>,
}

impl OpsRate {
    /// Takes a sample if 100 ms passed since the last one.
    pub(crate) fn track(&mut self, now_ms: u64, commands: u64) {
        match self.last {
            Some((at, _)) if now_ms < at.saturating_add(100) => {}
            Some((at, count)) => {
                let ops = commands.saturating_sub(count).saturating_mul(1000) / (now_ms - at);
                self.samples[self.next] = ops;
                self.next = (self.next + 1) % self.samples.len();
                self.last = Some((now_ms, commands));
            }
            None => self.last = Some((now_ms, commands)),
        }
    }

    pub(crate) fn per_second(&self) -> u64 {
        self.samples.iter().sum::<u64>() / self.samples.len() as u64
    }
}

/// The commandstats lines. Every command touches them, so a top-level command
/// finds its line by its position in the table; subcommands are keyed by the
/// address of their static table entry.
#[derive(Clone, Debug, Default)]
pub(crate) struct CommandStats {
    top: Vec<Option<CommandStat>>,
    sub: std::collections::HashMap<usize, CommandStat, crate::db::BuildKeyHasher>,
}

impl CommandStats {
    fn get_or_insert(&mut self, spec: &'static CommandSpec) -> &mut CommandStat {
        let fresh = || CommandStat {
            spec,
            calls: 0,
            rejected_calls: 0,
            failed_calls: 0,
            usec: 0,
            histogram: None,
        };
        let commands = crate::table::COMMANDS;
        let offset = (spec as *const CommandSpec as usize).wrapping_sub(commands.as_ptr() as usize)
            / std::mem::size_of::<CommandSpec>().max(1);
        if commands.get(offset).is_some_and(|c| std::ptr::eq(c, spec)) {
            if self.top.len() < commands.len() {
                self.top.resize(commands.len(), None);
            }
            if let Some(slot) = self.top.get_mut(offset) {
                return slot.get_or_insert_with(fresh);
            }
        }
        self.sub
            .entry(spec as *const CommandSpec as usize)
            .or_insert_with(fresh)
    }

    /// Every command that has a line, in no particular order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &CommandStat> {
        self.top.iter().flatten().chain(self.sub.values())
    }
}

/// One command's line in INFO commandstats.
#[derive(Clone)]
pub(crate) struct CommandStat {
    pub spec: &'static CommandSpec,
    /// Times it ran (a blocked command counts once, when it is answered).
    pub calls: u64,
    /// Refused before running (wrong arity, OOM, ...).
    pub rejected_calls: u64,
    /// Ran and answered with an error.
    pub failed_calls: u64,
    /// Time spent running it, by the host's stopwatch.
    pub usec: u64,
    /// Its calls' times (LATENCY HISTOGRAM, INFO latencystats), from the
    /// first call recorded while `latency-tracking` was on.
    pub(crate) histogram: Option<crate::latency::Histogram>,
}

impl std::fmt::Debug for CommandStat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandStat")
            .field("command", &self.spec.full_name())
            .field("calls", &self.calls)
            .field("rejected_calls", &self.rejected_calls)
            .field("failed_calls", &self.failed_calls)
            .field("usec", &self.usec)
            .finish()
    }
}

impl Stats {
    fn command_stat(&mut self, spec: &'static CommandSpec) -> &mut CommandStat {
        // DEBUG parses its own subcommands in Redis: one line for all of them.
        let spec = match spec.parent {
            Some("debug") => crate::table::lookup(b"debug").unwrap_or(spec),
            _ => spec,
        };
        self.commandstats.get_or_insert(spec)
    }

    /// A command ran (or a blocked one was answered); `failed` if with an error.
    /// `track` records the time in the command's latency histogram.
    #[inline]
    pub(crate) fn count_call(
        &mut self,
        spec: &'static CommandSpec,
        failed: bool,
        usec: u64,
        track: bool,
    ) {
        let stat = self.command_stat(spec);
        stat.calls += 1;
        stat.failed_calls += u64::from(failed);
        stat.usec = stat.usec.saturating_add(usec);
        if track {
            // Compare, then multiply: `saturating_mul` is a 128-bit multiply call in wasm32.
            let ns = if usec > u64::MAX / 1000 {
                u64::MAX
            } else {
                usec * 1000
            };
            match &mut stat.histogram {
                Some(h) => h.record(ns),
                None => stat.histogram = Some(crate::latency::Histogram::first(ns)),
            }
        }
    }

    /// A command was refused before it ran.
    pub(crate) fn count_rejected(&mut self, spec: &'static CommandSpec) {
        self.command_stat(spec).rejected_calls += 1;
    }

    /// Redis's `afterErrorReply`: counts an error reply under its code, the text
    /// before the first space within 32 bytes (else `ERR`). Like Redis, at most
    /// 128 codes are tracked; new ones beyond that only count in the total.
    fn count_error(&mut self, error: &[u8]) {
        const MAX_CODES: usize = 128;
        self.total_error_replies += 1;
        let head = &error[..error.len().min(32)];
        let code = match head.iter().position(|&b| b == b' ') {
            Some(end) => String::from_utf8_lossy(&error[..end]).into_owned(),
            None => "ERR".to_string(),
        };
        if let Some(n) = self.errorstats.get_mut(&code) {
            *n += 1;
        } else if self.errorstats.len() < MAX_CODES {
            self.errorstats.insert(code, 1);
        }
    }

    /// Counts the error replies a client is sent: the reply itself, or for EXEC
    /// each queued command's error.
    pub(crate) fn count_errors(&mut self, reply: &Reply) {
        match reply {
            Reply::Error(e) => self.count_error(e),
            // A reply that carries the client's own pushes along.
            Reply::Sequence(parts) => {
                for part in parts {
                    self.count_errors(part);
                }
            }
            Reply::Array(items) => {
                for item in items {
                    if let Reply::Error(e) = item {
                        self.count_error(e);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OpsRate;

    #[test]
    fn ops_rate_averages_sixteen_samples_of_100_ms() {
        let mut r = OpsRate::default();
        r.track(1_000, 0);
        assert_eq!(r.per_second(), 0);
        // 50 commands in 100 ms: 500/s, one sample of 16.
        r.track(1_100, 50);
        assert_eq!(r.per_second(), 500 / 16);
        // Too soon for another sample.
        r.track(1_150, 90);
        assert_eq!(r.per_second(), 500 / 16);
        for i in 2..=16u64 {
            r.track(1_000 + 100 * i, 50 * i);
        }
        assert_eq!(r.per_second(), 500);
        // A jump of the clock spreads the work over the whole gap.
        r.track(1_000 + 1_600 + 10_000, 800 + 100);
        assert_eq!(r.per_second(), (500 * 15 + 10) / 16);
    }
}
