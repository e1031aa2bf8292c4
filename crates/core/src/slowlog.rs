//! The slow log: commands that ran for at least `slowlog-log-slower-than`
//! microseconds, newest first, at most `slowlog-max-len` of them.
//!
//! The engine reads no clock, so how long a command ran comes from a
//! [`Stopwatch`] the host lends it (`Engine::set_stopwatch`): the server uses a
//! monotonic clock, the browser `performance.now()`. Without one every command
//! takes 0 µs. What a command does never depends on the stopwatch; only what
//! SLOWLOG, LATENCY and INFO commandstats/latencystats report.
//!
//! The arguments are copied when the command starts (a handler may take its
//! arguments apart; Redis keeps them alive instead), at most 32 of them and
//! 128 bytes of each, into a buffer that is reused, so timing a command costs
//! no allocation. The copy is skipped where a command cannot come out slow
//! enough, which `call()` decides: without a stopwatch only DEBUG SLEEP takes
//! time, and under thresholds of 1 ms or more a fast-flagged command is only
//! slow when the host stalls; such a command is logged by name
//! (`Args::named`). CONFIG SET is always copied: it can change the threshold
//! it is judged by.

use std::collections::VecDeque;

use crate::reply::Reply;

/// A monotonic clock in microseconds, provided by the host.
pub type Stopwatch = fn() -> u64;

/// Redis's `SLOWLOG_ENTRY_MAX_ARGC`: the last kept argument says how many more there were.
const MAX_ARGC: usize = 32;
/// Redis's `SLOWLOG_ENTRY_MAX_STRING`: longer arguments are cut and say by how much.
const MAX_STRING: usize = 128;

/// The arguments of a command as the slow log keeps them. Every command
/// (when the log is on) is copied here before it runs, so this is kept lean:
/// one byte buffer and fixed arrays, reused from command to command.
#[derive(Clone, Debug)]
pub(crate) struct Args {
    bytes: Vec<u8>,
    /// Kept arguments: where each ends in `bytes`, and how many bytes were cut.
    ends: [u32; MAX_ARGC],
    cuts: [u32; MAX_ARGC],
    kept: usize,
    /// Arguments past the kept ones.
    more: usize,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            bytes: Vec::new(),
            ends: [0; MAX_ARGC],
            cuts: [0; MAX_ARGC],
            kept: 0,
            more: 0,
        }
    }
}

impl Args {
    /// Copies `argv`. With `secrets` (CONFIG SET), the values of the
    /// parameters Redis calls sensitive read `(redacted)`.
    pub(crate) fn fill(&mut self, argv: &[Vec<u8>], secrets: bool) {
        let argc = argv.len();
        let kept = if argc > MAX_ARGC { MAX_ARGC - 1 } else { argc };
        self.bytes.clear();
        for (j, arg) in argv[..kept].iter().enumerate() {
            let (text, cut): (&[u8], usize) = if secrets && is_secret(argv, j) {
                (b"(redacted)", 0)
            } else if arg.len() > MAX_STRING {
                (&arg[..MAX_STRING], arg.len() - MAX_STRING)
            } else {
                (arg, 0)
            };
            self.bytes.extend_from_slice(text);
            // Both fit: at most MAX_ARGC * MAX_STRING bytes are kept, and a
            // cut is less than proto-max-bulk-len's ceiling of 4 GB - 1... or
            // saturates, which only changes the note.
            self.ends[j] = self.bytes.len() as u32;
            self.cuts[j] = u32::try_from(cut).unwrap_or(u32::MAX);
        }
        self.kept = kept;
        self.more = argc - kept;
    }

    /// What is known of a command that was not copied: its name (as the
    /// table spells it) and how many arguments followed.
    pub(crate) fn named(spec: &crate::table::CommandSpec, argc: usize) -> Args {
        let mut args = Args::default();
        let words: Vec<&[u8]> = match spec.parent {
            Some(parent) => vec![parent.as_bytes(), spec.name.as_bytes()],
            None => vec![spec.name.as_bytes()],
        };
        for (j, word) in words.iter().enumerate() {
            args.bytes.extend_from_slice(word);
            args.ends[j] = args.bytes.len() as u32;
        }
        args.kept = words.len();
        args.more = argc.saturating_sub(words.len());
        args
    }

    /// The arguments as SLOWLOG GET shows them.
    pub(crate) fn to_vec(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::with_capacity(self.kept + 1);
        let mut start = 0;
        for j in 0..self.kept {
            let end = self.ends[j] as usize;
            let mut arg = self.bytes.get(start..end).unwrap_or_default().to_vec();
            if self.cuts[j] > 0 {
                arg.extend_from_slice(format!("... ({} more bytes)", self.cuts[j]).as_bytes());
            }
            out.push(arg);
            start = end;
        }
        if self.more > 0 {
            out.push(format!("... ({} more arguments)", self.more).into_bytes());
        }
        out
    }
}

/// One logged command.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    id: u64,
    /// Unix seconds of engine time when it ran.
    time: u64,
    duration_us: u64,
    args: Vec<Vec<u8>>,
    /// `ip:port` of the client.
    peer: String,
    /// CLIENT SETNAME's name, or empty.
    name: Vec<u8>,
}

/// Who ran a command and when, for its entry.
pub(crate) struct Origin {
    pub time: u64,
    pub peer: String,
    pub name: Vec<u8>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct SlowLog {
    /// Newest first.
    entries: VecDeque<Entry>,
    /// Ids keep counting across SLOWLOG RESET, as in Redis.
    next_id: u64,
    /// The arguments of the command running now (see [`Args`]).
    pub(crate) scratch: Args,
}

impl SlowLog {
    /// Adds an entry as the newest (Redis's `slowlogPushEntryIfNeeded` once
    /// the command was found slow enough).
    pub(crate) fn push(&mut self, args: Vec<Vec<u8>>, duration_us: u64, origin: Origin) {
        let Origin { time, peer, name } = origin;
        self.entries.push_front(Entry {
            id: self.next_id,
            time,
            duration_us,
            args,
            peer,
            name,
        });
        self.next_id += 1;
    }

    /// Keeps the newest `max_len` entries.
    pub(crate) fn trim(&mut self, max_len: usize) {
        if self.entries.len() > max_len {
            self.entries.truncate(max_len);
        }
    }

    /// Whether a command that ran `duration_us` goes into the log.
    #[inline]
    pub(crate) fn is_slow(&self, slower_than: i64, duration_us: u64) -> bool {
        u64::try_from(slower_than).is_ok_and(|t| duration_us >= t)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn reset(&mut self) {
        self.entries.clear();
    }

    /// SLOWLOG GET: the newest `count` entries (all of them for `None`).
    pub(crate) fn get(&self, count: Option<usize>) -> Reply {
        let count = count.unwrap_or(self.entries.len());
        Reply::Array(
            self.entries
                .iter()
                .take(count)
                .map(|e| {
                    Reply::Array(vec![
                        Reply::Integer(e.id as i64),
                        Reply::Integer(e.time as i64),
                        Reply::Integer(e.duration_us as i64),
                        Reply::Array(e.args.iter().cloned().map(Reply::bulk).collect()),
                        Reply::bulk(e.peer.clone().into_bytes()),
                        Reply::bulk(e.name.clone()),
                    ])
                })
                .collect(),
        )
    }
}

/// Whether argument `j` of `CONFIG SET name value ...` is the value of a
/// parameter Redis flags `SENSITIVE_CONFIG`.
fn is_secret(argv: &[Vec<u8>], j: usize) -> bool {
    const SECRET: [&str; 3] = ["masterauth", "masteruser", "requirepass"];
    j >= 3
        && j % 2 == 1
        && argv.get(j - 1).is_some_and(|name| {
            SECRET
                .iter()
                .any(|s| name.eq_ignore_ascii_case(s.as_bytes()))
        })
}

#[cfg(test)]
mod tests;
