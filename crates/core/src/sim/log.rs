//! The command log: what the simulated application actually sent, as redis-cli lines
//! a learner could type (`GET user:42`, `SET user:42 '{"id":42,"v":7}' EX 60`), with
//! the replies as redis-cli prints them; plus the database statements, marked as
//! such.
//!
//! A 100k-request run sends hundreds of thousands of commands, so recording must
//! cost next to nothing: entries are kept as small records and only turned into text
//! when someone asks. The log keeps the first half of its limit (the cold start is
//! the instructive part) and the most recent half (what a running animation shows);
//! sequence numbers reveal the gap between the two.

use std::collections::VecDeque;

use serde::Serialize;

use super::config::SimConfig;
use super::database::encode_row;
use crate::cli;
use crate::num::push_u64;
use crate::Reply;

/// Who issued a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Actor {
    /// Configuring the cache before the run (CONFIG SET).
    Setup,
    /// The application, serving a request.
    App,
    /// The cache layer itself (read-through loads).
    Cache,
    /// Refresh-ahead's background reload.
    Refresher,
    /// Write-behind's background flush.
    Flusher,
    /// A fault button (FLUSHALL for a cache restart).
    Operator,
}

/// Where a command went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Target {
    Cache,
    Database,
}

/// One rendered log line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogLine {
    /// Position among all commands of the run, from 0.
    pub seq: u64,
    /// Simulated µs since the start of the run.
    pub t_us: u64,
    /// The request this command served, if any.
    pub request: Option<u32>,
    pub actor: Actor,
    pub target: Target,
    /// For the cache: a redis-cli line that sends exactly the arguments the
    /// simulator sent. For the database: an SQL statement.
    pub command: String,
    /// For the cache: the reply as redis-cli prints it.
    pub reply: String,
}

/// A command, compactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Get(u32),
    Pttl(u32),
    /// SET key row [EX ttl]; the row is (key, version).
    Set {
        key: u32,
        version: u32,
        ttl_secs: u64,
    },
    Del(u32),
    FlushAll,
    ConfigMaxmemory(u64),
    ConfigPolicyLru,
    DbSelect(u32),
    DbUpdate {
        key: u32,
        version: u32,
    },
}

impl Op {
    /// The arguments this command sends to the cache (None for database statements).
    pub(crate) fn argv(&self, cfg: &SimConfig) -> Option<Vec<Vec<u8>>> {
        let key = |id: u32| {
            let mut k = Vec::with_capacity(cfg.key_prefix.len() + 10);
            cfg.write_key(id, &mut k);
            k
        };
        Some(match *self {
            Op::Get(k) => vec![b"GET".to_vec(), key(k)],
            Op::Pttl(k) => vec![b"PTTL".to_vec(), key(k)],
            Op::Del(k) => vec![b"DEL".to_vec(), key(k)],
            Op::Set {
                key: k,
                version,
                ttl_secs,
            } => {
                let mut row = Vec::with_capacity(cfg.value_bytes as usize + 24);
                encode_row(k, version, cfg.value_bytes, &mut row);
                if ttl_secs == 0 {
                    vec![b"SET".to_vec(), key(k), row]
                } else {
                    let mut ttl = Vec::with_capacity(8);
                    push_u64(&mut ttl, ttl_secs);
                    vec![b"SET".to_vec(), key(k), row, b"EX".to_vec(), ttl]
                }
            }
            Op::FlushAll => vec![b"FLUSHALL".to_vec()],
            Op::ConfigMaxmemory(n) => {
                vec![
                    b"CONFIG".to_vec(),
                    b"SET".to_vec(),
                    b"maxmemory".to_vec(),
                    n.to_string().into_bytes(),
                ]
            }
            Op::ConfigPolicyLru => {
                vec![
                    b"CONFIG".to_vec(),
                    b"SET".to_vec(),
                    b"maxmemory-policy".to_vec(),
                    b"allkeys-lru".to_vec(),
                ]
            }
            Op::DbSelect(_) | Op::DbUpdate { .. } => return None,
        })
    }
}

/// A reply, compactly: the common ones without allocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ReplyNote {
    Ok,
    Nil,
    Int(i64),
    /// A bulk reply that is a row (id, version).
    Row(u32, u32),
    Other(Reply),
}

impl ReplyNote {
    /// `row` is [`parse_row`](super::database::parse_row) of the reply when it is a
    /// bulk string.
    pub(crate) fn of(reply: &Reply, row: Option<(u32, u32)>) -> ReplyNote {
        match (reply, row) {
            (Reply::Status(s), _) if s == "OK" => ReplyNote::Ok,
            (Reply::Nil, _) => ReplyNote::Nil,
            (Reply::Integer(n), _) => ReplyNote::Int(*n),
            (Reply::Bulk(_), Some((id, v))) => ReplyNote::Row(id, v),
            (other, _) => ReplyNote::Other(other.clone()),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Record {
    pub seq: u64,
    pub t_us: u64,
    pub request: Option<u32>,
    pub actor: Actor,
    pub op: Op,
    pub reply: ReplyNote,
}

/// The first `head_cap` records and the last `tail_cap`.
#[derive(Clone, Debug)]
pub(crate) struct CommandLog {
    head: Vec<Record>,
    head_cap: usize,
    tail: VecDeque<Record>,
    tail_cap: usize,
    next_seq: u64,
}

impl CommandLog {
    pub(crate) fn new(limit: usize) -> CommandLog {
        let head_cap = limit.div_ceil(2);
        let tail_cap = limit / 2;
        CommandLog {
            head: Vec::with_capacity(head_cap),
            head_cap,
            tail: VecDeque::with_capacity(tail_cap),
            tail_cap,
            next_seq: 0,
        }
    }

    /// False when nothing is kept at all (limit 0): callers skip building records.
    pub(crate) fn enabled(&self) -> bool {
        self.head_cap > 0
    }

    /// How many commands have been logged, kept or not.
    pub(crate) fn total(&self) -> u64 {
        self.next_seq
    }

    /// Records one command; `make` builds the record given its sequence number.
    pub(crate) fn push(&mut self, make: impl FnOnce(u64) -> Record) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.head.len() < self.head_cap {
            self.head.push(make(seq));
        } else if self.tail_cap > 0 {
            if self.tail.len() == self.tail_cap {
                self.tail.pop_front();
            }
            self.tail.push_back(make(seq));
        }
    }

    /// The kept lines with a sequence number of at least `from`, in order.
    pub(crate) fn lines_from(&self, from: u64, cfg: &SimConfig) -> Vec<LogLine> {
        self.head
            .iter()
            .chain(self.tail.iter())
            .filter(|r| r.seq >= from)
            .map(|r| render(r, cfg))
            .collect()
    }
}

fn render(r: &Record, cfg: &SimConfig) -> LogLine {
    let (target, command, reply) = match r.op.argv(cfg) {
        Some(argv) => (Target::Cache, cli_line(&argv), render_reply(&r.reply, cfg)),
        None => {
            let table = cfg.table_name();
            match r.op {
                Op::DbUpdate { key, version } => {
                    let mut row = Vec::new();
                    encode_row(key, version, cfg.value_bytes, &mut row);
                    let row = String::from_utf8_lossy(&row).into_owned();
                    (
                        Target::Database,
                        format!("UPDATE {table} SET data = '{row}' WHERE id = {key}"),
                        "UPDATE 1".to_string(),
                    )
                }
                Op::DbSelect(key) => {
                    let row = match r.reply {
                        ReplyNote::Row(id, v) => {
                            let mut row = Vec::new();
                            encode_row(id, v, cfg.value_bytes, &mut row);
                            String::from_utf8_lossy(&row).into_owned()
                        }
                        _ => "(0 rows)".to_string(),
                    };
                    (
                        Target::Database,
                        format!("SELECT * FROM {table} WHERE id = {key}"),
                        row,
                    )
                }
                _ => (Target::Database, String::new(), String::new()),
            }
        }
    };
    LogLine {
        seq: r.seq,
        t_us: r.t_us,
        request: r.request,
        actor: r.actor,
        target,
        command,
        reply,
    }
}

fn render_reply(note: &ReplyNote, cfg: &SimConfig) -> String {
    let reply = match note {
        ReplyNote::Ok => Reply::ok(),
        ReplyNote::Nil => Reply::Nil,
        ReplyNote::Int(n) => Reply::Integer(*n),
        ReplyNote::Row(id, v) => {
            let mut row = Vec::new();
            encode_row(*id, *v, cfg.value_bytes, &mut row);
            Reply::bulk(row)
        }
        ReplyNote::Other(r) => r.clone(),
    };
    cli::format_reply(&reply)
}

/// A redis-cli line that [`cli::tokenize`] turns back into exactly `argv`: plain
/// words stay bare, printable ones with quotes go in single quotes (JSON reads
/// best that way), anything else in redis-cli's double-quoted escapes.
pub fn cli_line(argv: &[Vec<u8>]) -> String {
    let mut out = String::new();
    for (i, arg) in argv.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let printable = arg.iter().all(|b| (0x21..=0x7e).contains(b));
        if !arg.is_empty() && printable && !arg.iter().any(|b| matches!(b, b'"' | b'\'' | b'\\')) {
            out.push_str(&String::from_utf8_lossy(arg));
        } else if !arg.is_empty() && printable && !arg.iter().any(|b| matches!(b, b'\'' | b'\\')) {
            out.push('\'');
            out.push_str(&String::from_utf8_lossy(arg));
            out.push('\'');
        } else {
            out.push_str(&cli::repr(arg));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_lines_round_trip_through_the_tokenizer() {
        let cases: Vec<Vec<Vec<u8>>> = vec![
            vec![b"GET".to_vec(), b"user:42".to_vec()],
            vec![
                b"SET".to_vec(),
                b"user:42".to_vec(),
                br#"{"id":42,"v":7}"#.to_vec(),
                b"EX".to_vec(),
                b"60".to_vec(),
            ],
            vec![
                b"SET".to_vec(),
                b"a b".to_vec(),
                b"".to_vec(),
                b"it's".to_vec(),
                b"back\\slash".to_vec(),
                vec![0, 255, b'\n'],
            ],
        ];
        for argv in cases {
            let line = cli_line(&argv);
            assert_eq!(cli::tokenize(&line).as_ref(), Ok(&argv), "{line}");
        }
        assert_eq!(
            cli_line(&[
                b"SET".to_vec(),
                b"user:42".to_vec(),
                br#"{"id":42,"v":7}"#.to_vec()
            ]),
            r#"SET user:42 '{"id":42,"v":7}'"#
        );
    }

    #[test]
    fn the_log_keeps_its_head_and_its_tail() {
        let mut log = CommandLog::new(5);
        let cfg = SimConfig::default();
        for i in 0..100u32 {
            log.push(|seq| Record {
                seq,
                t_us: 0,
                request: Some(i),
                actor: Actor::App,
                op: Op::Get(i),
                reply: ReplyNote::Nil,
            });
        }
        let seqs: Vec<u64> = log.lines_from(0, &cfg).iter().map(|l| l.seq).collect();
        assert_eq!(seqs, vec![0, 1, 2, 98, 99]);
        assert_eq!(log.total(), 100);
        assert_eq!(log.lines_from(99, &cfg).len(), 1);
        let line = &log.lines_from(0, &cfg)[1];
        assert_eq!(
            (line.command.as_str(), line.reply.as_str()),
            ("GET user:1", "(nil)")
        );
        assert!(!CommandLog::new(0).enabled());
    }
}
