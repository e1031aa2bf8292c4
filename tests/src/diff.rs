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

fn is_cursor(v: &Value) -> bool {
    matches!(v, Value::Bulk(Some(b)) if !b.is_empty() && b.iter().all(u8::is_ascii_digit))
}

/// A canonical encoding in which arrays are multisets. A SCAN-like
/// `[cursor, [items]]` reply is reduced to its items.
pub fn unordered_key(v: &Value) -> Vec<u8> {
    match v {
        Value::Array(Some(items)) => {
            if items.len() == 2 && is_cursor(&items[0]) && matches!(items[1], Value::Array(Some(_)))
            {
                return unordered_key(&items[1]);
            }
            let mut parts: Vec<Vec<u8>> = items.iter().map(unordered_key).collect();
            parts.sort();
            let mut out = format!("*{}\r\n", parts.len()).into_bytes();
            for p in parts {
                out.extend_from_slice(&p);
            }
            out
        }
        other => other.encode(),
    }
}

fn same(compare: Compare, r: &Reply, c: &Reply) -> bool {
    match compare {
        Compare::Exact => r.raw == c.raw,
        // Nothing to compare, except that both succeeded or both failed.
        Compare::Ignore => matches!(r.value, Value::Error(_)) == matches!(c.value, Value::Error(_)),
        Compare::Unordered => unordered_key(&r.value) == unordered_key(&c.value),
        Compare::Approx(n) => approx_eq(&r.value, &c.value, n.unsigned_abs()),
        Compare::Clients => match (&r.value, &c.value) {
            (Value::Bulk(Some(a)), Value::Bulk(Some(b))) => mask_clients(a) == mask_clients(b),
            _ => r.raw == c.raw,
        },
        Compare::SlowLog => slowlog_key(&r.value) == slowlog_key(&c.value),
        Compare::Histogram => histogram_key(&r.value) == histogram_key(&c.value),
        Compare::DebugObject => mask_debug_object(&r.raw) == mask_debug_object(&c.raw),
    }
}

/// DEBUG OBJECT's status line with `Value at:<address>`, `lru:<clock>` and
/// `lru_seconds_idle` masked (the servers' clocks tick over whole seconds at
/// different moments; OBJECT IDLETIME's lines check idle times, with `!approx`).
fn mask_debug_object(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw)
        .split(' ')
        .map(|field| match field.split_once(':') {
            Some(("at" | "lru" | "lru_seconds_idle", _)) => "*".to_string(),
            _ => field.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A LATENCY HISTOGRAM reply (RESP2: `[name, [calls, n, histogram_usec,
/// [...]], ...]`) without the buckets, its commands in any order (Redis lists
/// them in its hash tables' order).
fn histogram_key(v: &Value) -> Vec<u8> {
    let Value::Array(Some(items)) = v else {
        return v.encode();
    };
    let mut pairs: Vec<Vec<u8>> = items
        .chunks(2)
        .map(|pair| {
            let mut out = Vec::new();
            for item in pair {
                match item {
                    Value::Array(Some(f)) if f.len() == 4 => {
                        for field in &f[..3] {
                            out.extend_from_slice(&field.encode());
                        }
                    }
                    other => out.extend_from_slice(&other.encode()),
                }
            }
            out
        })
        .collect();
    pairs.sort();
    let mut out = format!("*{}\r\n", items.len()).into_bytes();
    for p in pairs {
        out.extend_from_slice(&p);
    }
    out
}

/// A SLOWLOG GET reply reduced to what two servers share: per entry, the
/// arguments and the client name. Anything else (an error) as it is.
fn slowlog_key(v: &Value) -> Vec<u8> {
    match v {
        Value::Array(Some(entries)) => {
            let mut out = format!("*{}\r\n", entries.len()).into_bytes();
            for e in entries {
                match e {
                    Value::Array(Some(f)) if f.len() == 6 => {
                        out.extend_from_slice(&f[3].encode());
                        out.extend_from_slice(&f[5].encode());
                    }
                    other => out.extend_from_slice(&other.encode()),
                }
            }
            out
        }
        other => other.encode(),
    }
}

/// CLIENT LIST's fields that name the connection or measure time and buffers,
/// which no two servers share.
const CLIENT_VOLATILE: &[&str] = &[
    "id",
    "addr",
    "laddr",
    "fd",
    "age",
    "idle",
    "qbuf-free",
    "argv-mem",
    "multi-mem",
    "rbs",
    "rbp",
    "obl",
    "oll",
    "omem",
    "tot-mem",
];

/// CLIENT LIST text with the values of [`CLIENT_VOLATILE`] fields replaced by `*`.
fn mask_clients(text: &[u8]) -> String {
    String::from_utf8_lossy(text)
        .split('\n')
        .map(|line| {
            line.split(' ')
                .map(|field| match field.split_once('=') {
                    Some((k, _)) if CLIENT_VOLATILE.contains(&k) => format!("{k}=*"),
                    _ => field.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A MONITOR line (`+<secs>.<micros> [<db> <addr>] "arg" ...`) with the time
/// and the client's address replaced by `*`; anything else as it is.
fn mask_monitor(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let masked = text.strip_prefix('+').and_then(|line| {
        let (time, rest) = line.split_once(" [")?;
        let (secs, micros) = time.split_once('.')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(secs) || micros.len() != 6 || !digits(micros) {
            return None;
        }
        let (db, rest) = rest.split_once(' ')?;
        let (_addr, args) = rest.split_once("] ")?;
        Some(format!("+* [{db} *] {args}"))
    });
    masked.unwrap_or_else(|| text.into_owned())
}

/// Equal, except that integers (also inside arrays) may differ by at most `n`.
fn approx_eq(r: &Value, c: &Value, n: u64) -> bool {
    match (r, c) {
        (Value::Integer(a), Value::Integer(b)) => a.abs_diff(*b) <= n,
        (Value::Array(Some(a)), Value::Array(Some(b))) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| approx_eq(x, y, n))
        }
        _ => r == c,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_mask_only_the_connection_values() {
        let a = b"id=4 addr=127.0.0.1:5 laddr=127.0.0.1:6379 fd=8 name=x age=3 idle=0 flags=N db=0 qbuf=26 cmd=client|list\n";
        let b = b"id=9 addr=127.0.0.1:7 laddr=127.0.0.1:7000 fd=11 name=x age=0 idle=1 flags=N db=0 qbuf=26 cmd=client|list\n";
        assert_eq!(mask_clients(a), mask_clients(b));
        // The request's own size is compared: both servers hold it in qbuf.
        let other_qbuf = b"id=9 addr=127.0.0.1:7 laddr=127.0.0.1:7000 fd=11 name=x age=0 idle=1 flags=N db=0 qbuf=0 cmd=client|list\n";
        assert_ne!(mask_clients(a), mask_clients(other_qbuf));
        let other_db = b"id=9 addr=127.0.0.1:7 laddr=127.0.0.1:7000 fd=11 name=x age=0 idle=1 flags=N db=1 qbuf=0 cmd=client|list\n";
        assert_ne!(mask_clients(a), mask_clients(other_db));
        assert_ne!(mask_clients(a), mask_clients(b"id=4\n"));
    }

    #[test]
    fn monitor_lines_mask_the_time_and_address_only() {
        let a = b"+1700000000.123456 [0 127.0.0.1:5] \"SET\" \"k\"";
        let b = b"+1795771439.287000 [0 127.0.0.1:50001] \"SET\" \"k\"";
        assert_eq!(mask_monitor(a), mask_monitor(b));
        assert_eq!(mask_monitor(a), "+* [0 *] \"SET\" \"k\"");
        let other_db = b"+1795771439.287000 [1 127.0.0.1:50001] \"SET\" \"k\"";
        assert_ne!(mask_monitor(a), mask_monitor(other_db));
        // Not a monitor line: compared as it is.
        assert_eq!(mask_monitor(b"+OK"), "+OK");
    }

    #[test]
    fn approx_tolerates_integers_inside_arrays_only() {
        let row = |idle: i64, count: i64| {
            Value::Array(Some(vec![
                Value::Bulk(Some(b"1-1".to_vec())),
                Value::Integer(idle),
                Value::Integer(count),
            ]))
        };
        assert!(approx_eq(&row(3, 2), &row(0, 2), 5));
        assert!(!approx_eq(&row(9, 2), &row(0, 2), 5));
        assert!(!approx_eq(
            &Value::Integer(1),
            &Value::Bulk(Some(b"1".to_vec())),
            5
        ));
        assert!(!approx_eq(&Value::Array(Some(vec![])), &row(0, 2), 5));
    }

    fn arr(items: Vec<Value>) -> Value {
        Value::Array(Some(items))
    }

    fn bulk(s: &str) -> Value {
        Value::Bulk(Some(s.as_bytes().to_vec()))
    }

    #[test]
    fn unordered_ignores_order_and_scan_cursors() {
        assert_eq!(
            unordered_key(&arr(vec![bulk("a"), bulk("b")])),
            unordered_key(&arr(vec![bulk("b"), bulk("a")]))
        );
        assert_ne!(
            unordered_key(&arr(vec![bulk("a"), bulk("a")])),
            unordered_key(&arr(vec![bulk("a")]))
        );
        let scan_a = arr(vec![bulk("17"), arr(vec![bulk("x"), bulk("y")])]);
        let scan_b = arr(vec![bulk("0"), arr(vec![bulk("y"), bulk("x")])]);
        assert_eq!(unordered_key(&scan_a), unordered_key(&scan_b));
        assert_ne!(unordered_key(&Value::Integer(1)), unordered_key(&bulk("1")));
    }
}
