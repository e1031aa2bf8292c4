//! Runs a `.redis` script against redis-server and cachelab-server side by side
//! and collects every reply that differs.
//!
//! A script never stops at the first mismatch: all of them are reported with the
//! line, the command and both replies, so one run shows the whole picture.

use std::collections::BTreeSet;
use std::fmt;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::resp::{escape, Connection, Reply, Value};
use crate::script::{self, Compare, Step};

mod compare;

pub use compare::unordered_key;
use compare::{mask_monitor, same};

/// How long `!wait-expired` waits for a key to disappear.
const EXPIRE_DEADLINE: Duration = Duration::from_secs(5);
/// How long `!block` waits for a command to block.
const BLOCK_DEADLINE: Duration = Duration::from_secs(5);
/// A full `!scan-all` iteration may take at most this many SCAN calls.
const MAX_SCAN_CALLS: usize = 100_000;

/// Commands sent (and not compared) before every script, so one script's settings
/// never leak into the next.
const PRELUDE: &[&[&str]] = &[
    &["FLUSHALL"],
    &["CONFIG", "SET", "maxmemory-policy", "noeviction"],
    &["CONFIG", "SET", "maxmemory", "0"],
    &["CONFIG", "SET", "proto-max-bulk-len", "536870912"],
    &["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
    &["CONFIG", "SET", "notify-keyspace-events", ""],
    &["REPLICAOF", "NO", "ONE"],
    &["CONFIG", "SET", "replica-read-only", "yes"],
    &["CONFIG", "SET", "replica-serve-stale-data", "yes"],
    &["CONFIG", "SET", "slowlog-log-slower-than", "10000"],
    &["CONFIG", "SET", "slowlog-max-len", "128"],
    &["SLOWLOG", "RESET"],
    &["CONFIG", "SET", "latency-monitor-threshold", "0"],
    &["CONFIG", "SET", "latency-tracking", "yes"],
    &[
        "CONFIG",
        "SET",
        "latency-tracking-info-percentiles",
        "50 99 99.9",
    ],
    &["LATENCY", "RESET"],
];

#[derive(Clone, Debug)]
pub struct Mismatch {
    pub script: String,
    pub line: usize,
    pub text: String,
    pub redis: String,
    pub cachelab: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}:{}: {}", self.script, self.line, self.text)?;
        writeln!(f, "    redis:    {}", self.redis)?;
        write!(f, "    cachelab: {}", self.cachelab)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub script: String,
    /// Lines whose replies were compared (exactly, unordered, approximately, or
    /// through a wait/scan directive).
    pub compared: usize,
    /// Lines run on both servers without comparing (`!ignore`).
    pub ignored: usize,
    pub mismatches: Vec<Mismatch>,
}

/// The replies one server gave to one step; an I/O error ends the list.
type Replies = Vec<Result<Reply, String>>;

/// One client connection to each server.
struct Pair {
    redis_addr: SocketAddr,
    cachelab_addr: SocketAddr,
    redis: Connection,
    cachelab: Connection,
    /// The connections' CLIENT IDs (redis, cachelab), for `{id:<n>}` arguments.
    ids: (Vec<u8>, Vec<u8>),
}

impl Pair {
    fn connect(redis_addr: SocketAddr, cachelab_addr: SocketAddr) -> Result<Pair, String> {
        let redis =
            Connection::connect(redis_addr).map_err(|e| format!("connect to redis-server: {e}"))?;
        let mut cachelab =
            Connection::connect(cachelab_addr).map_err(|e| format!("connect to cachelab: {e}"))?;
        let mut redis = redis;
        let id_of = |conn: &mut Connection, who: &str| match conn.call_str(&["CLIENT", "ID"]) {
            Ok(Reply {
                value: Value::Integer(id),
                ..
            }) => Ok(id.to_string().into_bytes()),
            other => Err(format!("CLIENT ID on {who}: {other:?}")),
        };
        let ids = (
            id_of(&mut redis, "redis-server")?,
            id_of(&mut cachelab, "cachelab")?,
        );
        Ok(Pair {
            redis_addr,
            cachelab_addr,
            redis,
            cachelab,
            ids,
        })
    }

    fn reconnect(&mut self) -> Result<(), String> {
        *self = Pair::connect(self.redis_addr, self.cachelab_addr)?;
        Ok(())
    }

    /// Sends `argv` to both servers and reads `n` replies from each (stopping at
    /// an I/O error, which becomes a description instead of a reply).
    /// `argv_r` goes to redis-server and `argv_c` to cachelab (they differ only
    /// in `{id:<n>}` arguments).
    fn call_n(&mut self, argv_r: &[Vec<u8>], argv_c: &[Vec<u8>], n: usize) -> (Replies, Replies) {
        let read = |conn: &mut Connection, argv: &[Vec<u8>]| {
            let mut out = vec![conn.call(argv).map_err(|e| format!("<I/O error: {e}>"))];
            while out.len() < n && out.last().is_some_and(Result::is_ok) {
                out.push(conn.read_reply().map_err(|e| format!("<I/O error: {e}>")));
            }
            out
        };
        let r = read(&mut self.redis, argv_r);
        let c = read(&mut self.cachelab, argv_c);
        (r, c)
    }

    /// Reads one more reply (a pushed message) from both servers.
    fn read(&mut self) -> (Result<Reply, String>, Result<Reply, String>) {
        let r = self
            .redis
            .read_reply()
            .map_err(|e| format!("<I/O error: {e}>"));
        let c = self
            .cachelab
            .read_reply()
            .map_err(|e| format!("<I/O error: {e}>"));
        (r, c)
    }

    /// Sends `argv` to both servers. An I/O error (say, a server closed the
    /// connection) becomes a description instead of a reply.
    fn call(&mut self, argv: &[Vec<u8>]) -> (Result<Reply, String>, Result<Reply, String>) {
        let r = self
            .redis
            .call(argv)
            .map_err(|e| format!("<I/O error: {e}>"));
        let c = self
            .cachelab
            .call(argv)
            .map_err(|e| format!("<I/O error: {e}>"));
        (r, c)
    }
}

fn show(r: &Result<Reply, String>) -> String {
    match r {
        Ok(reply) => escape(&reply.raw),
        Err(e) => e.clone(),
    }
}

/// Runs every line of `src` on both servers (after [`PRELUDE`]) and reports.
/// `Err` means the script could not be run at all (parse error, no connection).
pub fn run_script(
    name: &str,
    src: &str,
    redis: SocketAddr,
    cachelab: SocketAddr,
) -> Result<Outcome, String> {
    let lines = script::parse(src).map_err(|e| format!("{name}: {e}"))?;
    let mut pair = Pair::connect(redis, cachelab)?;
    // Clients 2, 3, ... of `!on`, connected on first use.
    let mut others: Vec<Option<Pair>> = Vec::new();
    for cmd in PRELUDE {
        let argv: Vec<Vec<u8>> = cmd.iter().map(|a| a.as_bytes().to_vec()).collect();
        let _ = pair.call(&argv);
    }
    let mut out = Outcome {
        script: name.to_string(),
        ..Outcome::default()
    };
    // Connections left blocked by `!block`, open until the script ends.
    let mut blocked: Vec<Connection> = Vec::new();
    for line in &lines {
        let mut mismatch = |redis: String, cachelab: String| {
            out.mismatches.push(Mismatch {
                script: name.to_string(),
                line: line.number,
                text: line.text.clone(),
                redis,
                cachelab,
            });
        };
        if let Some((conn, replies, compare, argv)) = line.step.command() {
            let (argv_r, argv_c) = with_ids(argv, &mut pair, &mut others, redis, cachelab)?;
            let client = client_pair(&mut pair, &mut others, conn, redis, cachelab)?;
            let (r, c) = client.call_n(&argv_r, &argv_c, replies);
            let all_same = r.len() == c.len()
                && r.iter().zip(&c).all(|pair| match pair {
                    (Ok(rr), Ok(cr)) => same(compare, rr, cr),
                    // Both servers closed the connection (CLIENT KILL). Whether
                    // the next read sees EOF or a reset depends on TCP timing
                    // (data arriving after the close), not on the server.
                    (Err(_), Err(_)) => true,
                    _ => false,
                });
            if !all_same {
                let join = |v: &[Result<Reply, String>]| v.iter().map(show).collect::<String>();
                mismatch(join(&r), join(&c));
            }
            if compare == Compare::Ignore {
                out.ignored += 1;
            } else {
                out.compared += 1;
            }
            let quit = argv
                .first()
                .is_some_and(|n| n.eq_ignore_ascii_case(b"quit"));
            if quit || r.iter().chain(&c).any(Result::is_err) {
                client.reconnect()?;
            }
            continue;
        }
        match &line.step {
            Step::Run { .. } | Step::RunOn { .. } => {}
            Step::Read { conn, monitor } => {
                out.compared += 1;
                let client = client_pair(&mut pair, &mut others, *conn, redis, cachelab)?;
                let (r, c) = client.read();
                let key = |raw: &[u8]| {
                    if *monitor {
                        mask_monitor(raw)
                    } else {
                        String::from_utf8_lossy(raw).into_owned()
                    }
                };
                match (&r, &c) {
                    (Ok(rr), Ok(cr)) if key(&rr.raw) == key(&cr.raw) => {}
                    _ => mismatch(show(&r), show(&c)),
                }
                if r.is_err() || c.is_err() {
                    client.reconnect()?;
                }
            }
            Step::WaitExpired { key } => {
                out.compared += 1;
                let (r, c) = wait_expired(&mut pair, key);
                if r.is_err() || c.is_err() {
                    mismatch(
                        r.err().unwrap_or_else(|| "expired".into()),
                        c.err().unwrap_or_else(|| "expired".into()),
                    );
                }
            }
            Step::InfoFields { section, fields } => {
                out.compared += 1;
                let argv = vec![b"INFO".to_vec(), section.clone()];
                let (r, c) = pair.call(&argv);
                let pick = |reply: &Result<Reply, String>| match reply {
                    Ok(Reply {
                        value: Value::Bulk(Some(text)),
                        ..
                    }) => {
                        let text = String::from_utf8_lossy(text);
                        fields
                            .iter()
                            .map(|f| {
                                let prefix = format!("{f}:");
                                let v = text.lines().find_map(|l| l.strip_prefix(prefix.as_str()));
                                format!("{f}:{}", v.unwrap_or("<missing>"))
                            })
                            .collect::<Vec<_>>()
                            .join(" ")
                    }
                    Ok(other) => escape(&other.raw),
                    Err(e) => e.clone(),
                };
                let (r, c) = (pick(&r), pick(&c));
                if r != c {
                    mismatch(r, c);
                }
            }
            Step::Block { argv } => {
                out.compared += 1;
                let r = block_on(pair.redis_addr, &mut pair.redis, argv, &mut blocked);
                let c = block_on(pair.cachelab_addr, &mut pair.cachelab, argv, &mut blocked);
                if r.is_err() || c.is_err() {
                    mismatch(
                        r.err().unwrap_or_else(|| "blocked".into()),
                        c.err().unwrap_or_else(|| "blocked".into()),
                    );
                }
            }
            Step::Sleep { ms } => std::thread::sleep(Duration::from_millis(*ms)),
            Step::ScanAll { pattern, extra } => {
                out.compared += 1;
                let r = scan_all(&mut pair.redis, pattern, extra);
                let c = scan_all(&mut pair.cachelab, pattern, extra);
                match (r, c) {
                    (Ok(r), Ok(c)) if r == c => {}
                    (Ok(r), Ok(c)) => {
                        let only = |a: &BTreeSet<Vec<u8>>, b: &BTreeSet<Vec<u8>>| {
                            let keys: Vec<String> = a
                                .difference(b)
                                .map(|k| format!("\"{}\"", escape(k)))
                                .collect();
                            format!("{} keys, only here: [{}]", a.len(), keys.join(", "))
                        };
                        mismatch(only(&r, &c), only(&c, &r));
                    }
                    (r, c) => mismatch(
                        r.map_or_else(|e| e, |s| format!("{} keys", s.len())),
                        c.map_or_else(|e| e, |s| format!("{} keys", s.len())),
                    ),
                }
            }
        }
    }
    Ok(out)
}

/// The `blocked_clients` count of INFO clients.
fn blocked_clients(conn: &mut Connection) -> Result<i64, String> {
    let reply = conn
        .call_str(&["INFO", "clients"])
        .map_err(|e| format!("<I/O error: {e}>"))?;
    let Value::Bulk(Some(text)) = &reply.value else {
        return Err(escape(&reply.raw));
    };
    String::from_utf8_lossy(text)
        .lines()
        .find_map(|l| l.strip_prefix("blocked_clients:"))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| "INFO clients has no blocked_clients".to_string())
}

/// Sends `argv` on a new connection to `addr` and waits (polling INFO on
/// `control`) until the server counts one more blocked client.
fn block_on(
    addr: SocketAddr,
    control: &mut Connection,
    argv: &[Vec<u8>],
    keep: &mut Vec<Connection>,
) -> Result<(), String> {
    let before = blocked_clients(control)?;
    let mut conn = Connection::connect(addr).map_err(|e| format!("<connect: {e}>"))?;
    conn.send(argv).map_err(|e| format!("<I/O error: {e}>"))?;
    keep.push(conn);
    let deadline = Instant::now() + BLOCK_DEADLINE;
    loop {
        let now = blocked_clients(control)?;
        if now > before {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(format!("did not block: blocked_clients stayed {now}"));
        }
        // Poll interval while the command is on its way.
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Client `conn` (1-based) of a script: the main pair, or another connected on
/// first use.
/// One command's arguments for redis-server and for cachelab.
type ArgvPair = (Vec<Vec<u8>>, Vec<Vec<u8>>);

/// `argv` for each server, with every `{id:<n>}` argument replaced by client
/// `n`'s CLIENT ID there (connecting it if needed).
fn with_ids(
    argv: &[Vec<u8>],
    main: &mut Pair,
    others: &mut Vec<Option<Pair>>,
    redis: SocketAddr,
    cachelab: SocketAddr,
) -> Result<ArgvPair, String> {
    let (mut r, mut c) = (argv.to_vec(), argv.to_vec());
    for (i, arg) in argv.iter().enumerate() {
        let Some(n) = arg
            .strip_prefix(b"{id:")
            .and_then(|rest| rest.strip_suffix(b"}"))
            .and_then(|n| std::str::from_utf8(n).ok())
            .and_then(|n| n.parse::<usize>().ok())
        else {
            continue;
        };
        let pair = client_pair(main, others, n, redis, cachelab)?;
        r[i].clone_from(&pair.ids.0);
        c[i].clone_from(&pair.ids.1);
    }
    Ok((r, c))
}

fn client_pair<'a>(
    main: &'a mut Pair,
    others: &'a mut Vec<Option<Pair>>,
    conn: usize,
    redis: SocketAddr,
    cachelab: SocketAddr,
) -> Result<&'a mut Pair, String> {
    let Some(i) = conn.checked_sub(2) else {
        return Ok(main);
    };
    if others.len() <= i {
        others.resize_with(i + 1, || None);
    }
    let slot = &mut others[i];
    if slot.is_none() {
        *slot = Some(Pair::connect(redis, cachelab)?);
    }
    slot.as_mut()
        .ok_or_else(|| "client not connected".to_string())
}

/// Polls PTTL on both servers until each reports -2 (a condition wait with a
/// deadline, not a sleep). Each side's error says what it last answered.
fn wait_expired(pair: &mut Pair, key: &[u8]) -> (Result<(), String>, Result<(), String>) {
    let argv = vec![b"PTTL".to_vec(), key.to_vec()];
    let deadline = Instant::now() + EXPIRE_DEADLINE;
    let mut done = [false, false];
    let mut last = [String::new(), String::new()];
    while !(done[0] && done[1]) && Instant::now() < deadline {
        for (i, conn) in [&mut pair.redis, &mut pair.cachelab]
            .into_iter()
            .enumerate()
        {
            if done[i] {
                continue;
            }
            match conn.call(&argv) {
                Ok(r) if r.value == Value::Integer(-2) => done[i] = true,
                Ok(r) => last[i] = escape(&r.raw),
                Err(e) => last[i] = format!("<I/O error: {e}>"),
            }
        }
        if !(done[0] && done[1]) {
            // Poll interval while the condition is not met yet.
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    let result = |i: usize| {
        if done[i] {
            Ok(())
        } else {
            Err(format!(
                "still there after {EXPIRE_DEADLINE:?}: PTTL -> {}",
                last[i]
            ))
        }
    };
    (result(0), result(1))
}

/// A full SCAN iteration; the keys seen, or why the iteration broke.
fn scan_all(
    conn: &mut Connection,
    pattern: &[u8],
    extra: &[Vec<u8>],
) -> Result<BTreeSet<Vec<u8>>, String> {
    let mut keys = BTreeSet::new();
    let mut cursor = b"0".to_vec();
    for _ in 0..MAX_SCAN_CALLS {
        let mut argv = vec![
            b"SCAN".to_vec(),
            cursor.clone(),
            b"MATCH".to_vec(),
            pattern.to_vec(),
        ];
        argv.extend(extra.iter().cloned());
        let reply = conn.call(&argv).map_err(|e| format!("<I/O error: {e}>"))?;
        let Value::Array(Some(parts)) = &reply.value else {
            return Err(escape(&reply.raw));
        };
        let (Some(Value::Bulk(Some(next))), Some(Value::Array(Some(items)))) =
            (parts.first(), parts.get(1))
        else {
            return Err(escape(&reply.raw));
        };
        for item in items {
            match item {
                Value::Bulk(Some(k)) => {
                    keys.insert(k.clone());
                }
                _ => return Err(escape(&reply.raw)),
            }
        }
        if next.as_slice() == b"0" {
            return Ok(keys);
        }
        cursor = next.clone();
    }
    Err(format!("SCAN did not finish within {MAX_SCAN_CALLS} calls"))
}
