//! Connection and server commands: PING, SELECT, FLUSH*, INFO, CONFIG, COMMAND,
//! CLIENT, HELLO, DEBUG.

use super::{int32_arg, is, range_long};
use crate::engine::{Client, Engine, NUM_DBS};
use crate::error::{CmdError, CmdResult};
use crate::glob;
use crate::reply::Reply;
use crate::table::{self, CommandSpec, COMMANDS};

pub const REDIS_VERSION: &str = "7.0.15";

/// The `<CMD> <subcommand> ...` help reply Redis gives for every `HELP` subcommand.
pub(crate) fn help_reply(cmd: &str, lines: &[&str]) -> Reply {
    let mut out = vec![Reply::Status(format!(
        "{cmd} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    ))];
    out.extend(lines.iter().map(|l| Reply::Status((*l).to_string())));
    out.push(Reply::Status("HELP".to_string()));
    out.push(Reply::Status("    Prints this help.".to_string()));
    Reply::Array(out)
}

pub fn ping(e: &mut Engine, c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() > 2 {
        return Err(CmdError::WrongArity("ping".to_string()));
    }
    if c.resp == 2 && e.pubsub.is_subscribed(c.id) {
        // A RESP2 subscriber can only read pushes, so PING answers in their shape.
        return Ok(Reply::Array(vec![
            Reply::bulk("pong"),
            Reply::Bulk(super::take(&mut argv, 1)),
        ]));
    }
    Ok(if argv.len() == 2 {
        Reply::Bulk(super::take(&mut argv, 1))
    } else {
        Reply::Status("PONG".into())
    })
}

pub fn echo(_e: &mut Engine, _c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Bulk(super::take(&mut argv, 1)))
}

pub fn quit(_e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    c.close_after_reply = true;
    Ok(Reply::ok())
}

pub fn reset(e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    super::tx::discard_tx(e, c);
    e.pubsub.remove_client(c.id, false);
    c.reply_off = false;
    c.reply_skip_next = false;
    c.db = 0;
    c.resp = 2;
    c.name = None;
    Ok(Reply::Status("RESET".to_string()))
}

pub fn select(_e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    // getIntFromObjectOrReply without a custom message.
    let id = range_long(&argv[1], i64::from(i32::MIN), i64::from(i32::MAX), None)?;
    if id < 0 || id >= NUM_DBS as i64 {
        return Err(CmdError::DbIndexOutOfRange);
    }
    c.db = id as usize;
    Ok(Reply::ok())
}

pub fn swapdb(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let a = int32_arg(&argv[1], Some("invalid first DB index"))?;
    let b = int32_arg(&argv[2], Some("invalid second DB index"))?;
    let range = 0..NUM_DBS as i64;
    if !range.contains(&a) || !range.contains(&b) {
        return Err(CmdError::DbIndexOutOfRange);
    }
    touch_watched_in(e, a as usize);
    touch_watched_in(e, b as usize);
    e.dbs.swap(a as usize, b as usize);
    touch_watched_in(e, a as usize);
    touch_watched_in(e, b as usize);
    // Clients blocked on keys that now exist in their db may be served.
    if !e.blocked.is_empty() {
        for db in [a as usize, b as usize] {
            let keys: Vec<Vec<u8>> = e.dbs[db].iter().map(|(k, _)| k.clone()).collect();
            for k in keys {
                e.blocked.touch(db, &k);
            }
        }
    }
    e.dirty();
    Ok(Reply::ok())
}

pub fn dbsize(e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(e.db_mut(c.db).len() as i64))
}

/// `[ASYNC|SYNC]`: both free memory at once here.
fn flush_mode(argv: &[Vec<u8>]) -> Result<(), CmdError> {
    match argv.len() {
        1 => Ok(()),
        2 if is(&argv[1], "sync") || is(&argv[1], "async") => Ok(()),
        _ => Err(CmdError::Syntax),
    }
}

/// FLUSH*/SWAPDB invalidate the transactions watching keys that existed.
fn touch_watched_in(e: &mut Engine, db: usize) {
    e.signal_blocked_in(db);
    for key in e.watch.keys_in_db(db) {
        if e.dbs.get(db).is_some_and(|d| d.contains(&key)) {
            e.watch.touch(db, &key);
        }
    }
}

pub fn flushdb(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    flush_mode(&argv)?;
    touch_watched_in(e, c.db);
    e.db_mut(c.db).clear();
    e.dirty();
    // Replicated even when the database was already empty.
    e.force_propagation();
    Ok(Reply::ok())
}

pub fn flushall(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    flush_mode(&argv)?;
    for db in 0..NUM_DBS {
        touch_watched_in(e, db);
    }
    for d in &mut e.dbs {
        d.clear();
    }
    e.dirty();
    // Replicated even when every database was already empty.
    e.force_propagation();
    Ok(Reply::ok())
}

pub fn time(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    let now = e.now_us;
    Ok(Reply::Array(vec![
        Reply::Bulk((now / 1_000_000).to_string().into_bytes()),
        Reply::Bulk((now % 1_000_000).to_string().into_bytes()),
    ]))
}

pub fn hello(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut j = 1;
    let mut proto = None;
    if argv.len() >= 2 {
        let ver = crate::num::parse_i64(&argv[1])
            .ok_or_else(|| CmdError::err("Protocol version is not an integer or out of range"))?;
        if !(2..=3).contains(&ver) {
            return Err(CmdError::Custom(
                "NOPROTO unsupported protocol version".to_string(),
            ));
        }
        proto = Some(ver as u8);
        j = 2;
    }
    let mut name = None;
    while j < argv.len() {
        let more = argv.len() - j - 1;
        if is(&argv[j], "auth") && more >= 2 {
            j += 3;
        } else if is(&argv[j], "setname") && more >= 1 {
            check_client_name(&argv[j + 1])?;
            name = Some(argv[j + 1].clone());
            j += 2;
        } else {
            return Err(CmdError::Custom(format!(
                "ERR Syntax error in HELLO option '{}'",
                crate::engine::printable(&argv[j], 128)
            )));
        }
    }
    if let Some(n) = name {
        c.name = (!n.is_empty()).then_some(n);
    }
    let _ = e;
    if let Some(p) = proto {
        c.resp = p;
    }
    Ok(Reply::Map(vec![
        (Reply::bulk("server"), Reply::bulk("redis")),
        (Reply::bulk("version"), Reply::bulk(REDIS_VERSION)),
        (Reply::bulk("proto"), Reply::Integer(i64::from(c.resp))),
        (Reply::bulk("id"), Reply::Integer(c.id as i64)),
        (Reply::bulk("mode"), Reply::bulk("standalone")),
        (Reply::bulk("role"), Reply::bulk("master")),
        (Reply::bulk("modules"), Reply::Array(vec![])),
    ]))
}

fn check_client_name(name: &[u8]) -> Result<(), CmdError> {
    if name.iter().any(|&b| !(b'!'..=b'~').contains(&b)) {
        return Err(CmdError::err(
            "Client names cannot contain spaces, newlines or special characters.",
        ));
    }
    Ok(())
}

pub fn client_id(_e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(c.id as i64))
}

pub fn client_getname(_e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::opt_bulk(c.name.clone()))
}

pub fn client_setname(_e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    check_client_name(&argv[2])?;
    c.name = (!argv[2].is_empty()).then(|| argv[2].clone());
    Ok(Reply::ok())
}

/// CLIENT REPLY ON|OFF|SKIP: OFF and SKIP are not answered themselves; pushes
/// (Pub/Sub messages) still go out, as in Redis.
pub fn client_reply(_e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if is(&argv[2], "on") {
        c.reply_off = false;
        c.reply_skip = false;
        Ok(Reply::ok())
    } else if is(&argv[2], "off") {
        c.reply_off = true;
        Ok(Reply::Sequence(Vec::new()))
    } else if is(&argv[2], "skip") {
        if !c.reply_off {
            c.reply_skip_next = true;
        }
        Ok(Reply::Sequence(Vec::new()))
    } else {
        Err(CmdError::Syntax)
    }
}

pub fn client_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "CLIENT",
        &[
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
        ],
    ))
}

// ---- INFO ----------------------------------------------------------------------

/// Every section this engine reports, in Redis's order, and whether plain `INFO`
/// (`default`) includes it; `all` and `everything` include them all.
const SECTIONS: &[(&str, bool)] = &[
    ("server", true),
    ("clients", true),
    ("memory", true),
    ("persistence", true),
    ("stats", true),
    ("replication", true),
    ("cpu", true),
    ("commandstats", false),
    ("errorstats", false),
    ("keyspace", true),
];

pub fn info(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let wanted: Vec<String> = argv[1..]
        .iter()
        .map(|a| String::from_utf8_lossy(a).to_ascii_lowercase())
        .collect();
    let asked = |w: &str| wanted.iter().any(|x| x == w);
    let all = asked("all") || asked("everything");
    let default = wanted.is_empty() || asked("default");
    let mut out = String::new();
    for &(section, in_default) in SECTIONS {
        if !(all || (default && in_default) || asked(section)) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        out.push_str(&info_section(e, section));
    }
    Ok(Reply::Bulk(out.into_bytes()))
}

fn info_section(e: &Engine, section: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut kv = |k: &str, v: String| lines.push(format!("{k}:{v}"));
    let uptime_s = e.now_us.saturating_sub(e.start_us.unwrap_or(e.now_us)) / 1_000_000;
    let title = match section {
        "server" => {
            kv("redis_version", REDIS_VERSION.into());
            kv("redis_git_sha1", "00000000".into());
            kv("redis_mode", "standalone".into());
            kv("os", "CacheLab".into());
            kv("arch_bits", "64".into());
            kv("multiplexing_api", "cachelab".into());
            kv("process_id", "1".into());
            kv("run_id", "cac4e1ab000000000000000000000000000000c1".into());
            kv("uptime_in_seconds", uptime_s.to_string());
            kv("uptime_in_days", (uptime_s / 86_400).to_string());
            kv("hz", e.config.hz.to_string());
            kv("configured_hz", e.config.hz.to_string());
            "Server"
        }
        "clients" => {
            kv("connected_clients", e.connected_clients.to_string());
            kv("maxclients", "10000".into());
            kv("blocked_clients", e.blocked.len().to_string());
            "Clients"
        }
        "memory" => {
            let used = e.used_memory();
            kv("used_memory", used.to_string());
            kv("used_memory_human", human_bytes(used));
            kv("maxmemory", e.config.maxmemory.to_string());
            kv("maxmemory_human", human_bytes(e.config.maxmemory));
            kv("maxmemory_policy", e.config.maxmemory_policy.clone());
            "Memory"
        }
        "persistence" => {
            kv("loading", "0".into());
            kv("rdb_changes_since_last_save", e.dirty.to_string());
            kv("rdb_bgsave_in_progress", "0".into());
            kv("aof_enabled", "0".into());
            kv("aof_rewrite_in_progress", "0".into());
            "Persistence"
        }
        "stats" => {
            let s = &e.stats;
            kv(
                "total_connections_received",
                s.total_connections_received.to_string(),
            );
            kv(
                "total_commands_processed",
                s.total_commands_processed.to_string(),
            );
            kv("expired_keys", s.expired_keys.to_string());
            kv("evicted_keys", s.evicted_keys.to_string());
            kv("keyspace_hits", s.keyspace_hits.to_string());
            kv("keyspace_misses", s.keyspace_misses.to_string());
            let (channels, patterns, shard) = e.pubsub.totals();
            kv("pubsub_channels", channels.to_string());
            kv("pubsub_patterns", patterns.to_string());
            kv("pubsubshard_channels", shard.to_string());
            kv("total_error_replies", s.total_error_replies.to_string());
            // MIGRATE is not supported, so no connection is ever cached.
            kv("migrate_cached_sockets", "0".into());
            "Stats"
        }
        "replication" => {
            kv("role", "master".into());
            kv("connected_slaves", e.connected_replicas().to_string());
            kv("master_repl_offset", e.repl.offset().to_string());
            "Replication"
        }
        "cpu" => {
            kv("used_cpu_sys", "0.000000".into());
            kv("used_cpu_user", "0.000000".into());
            "CPU"
        }
        "commandstats" => {
            // The core reads no clock, so it can't time a command: usec is 0.
            let mut stats: Vec<_> = e.stats.commandstats.values().collect();
            stats.sort_by_key(|s| s.spec.full_name());
            for s in stats {
                kv(
                    &format!("cmdstat_{}", s.spec.full_name()),
                    format!(
                        "calls={},usec=0,usec_per_call=0.00,rejected_calls={},failed_calls={}",
                        s.calls, s.rejected_calls, s.failed_calls
                    ),
                );
            }
            "Commandstats"
        }
        "errorstats" => {
            for (code, count) in &e.stats.errorstats {
                kv(&format!("errorstat_{code}"), format!("count={count}"));
            }
            "Errorstats"
        }
        _ => {
            for (i, d) in e.dbs.iter().enumerate() {
                if !d.is_empty() {
                    kv(
                        &format!("db{i}"),
                        format!("keys={},expires={},avg_ttl=0", d.len(), d.expires_len()),
                    );
                }
            }
            "Keyspace"
        }
    };
    let mut s = format!("# {title}\r\n");
    for l in lines {
        s.push_str(&l);
        s.push_str("\r\n");
    }
    s
}

fn human_bytes(n: u64) -> String {
    let f = n as f64;
    if n < 1024 {
        format!("{n}B")
    } else if f < 1024.0 * 1024.0 {
        format!("{:.2}K", f / 1024.0)
    } else if f < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.2}M", f / (1024.0 * 1024.0))
    } else {
        format!("{:.2}G", f / (1024.0 * 1024.0 * 1024.0))
    }
}

// ---- CONFIG --------------------------------------------------------------------

/// Redis's `memtoull`: digits then an optional unit (`b`, `k`, `kb`, `m`, `mb`, `g`,
/// `gb`, any case; k = 1000, kb = 1024). The multiplication wraps, as in C.
fn memtoull(v: &[u8]) -> Option<u64> {
    if v.first() == Some(&b'-') {
        return None;
    }
    let digits = v.iter().take_while(|b| b.is_ascii_digit()).count();
    let unit = &v[digits..];
    let mul: u64 = match unit.to_ascii_lowercase().as_slice() {
        b"" | b"b" => 1,
        b"k" => 1000,
        b"kb" => 1024,
        b"m" => 1000 * 1000,
        b"mb" => 1024 * 1024,
        b"g" => 1000 * 1000 * 1000,
        b"gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    if digits >= 128 {
        return None;
    }
    let mut val: u64 = 0;
    for &b in &v[..digits] {
        // strtoull saturates at ULLONG_MAX (ERANGE), which memtoull does not check.
        val = val.saturating_mul(10).saturating_add(u64::from(b - b'0'));
    }
    Some(val.wrapping_mul(mul))
}

const POLICIES: &[&str] = &[
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "noeviction",
];

/// How Redis 7.0 parses and checks a parameter (config.c's `standardConfig`).
#[derive(Clone, Copy)]
enum ConfigKind {
    /// `yes` or `no`.
    Bool,
    /// An integer with Redis's bounds; `unsigned` types compare (and report) their
    /// bounds as unsigned, `memory` accepts units, `percent` accepts `N%`.
    Num {
        min: i64,
        max: u64,
        unsigned: bool,
        memory: bool,
        percent: bool,
    },
    Enum(&'static [&'static str]),
    /// Free text (or a format the engine does not check).
    Text,
    /// Only settable at startup.
    Immutable,
    /// Refused while `enable-protected-configs` is `no`, its default (`dir`, `dbfilename`).
    Protected,
    /// `notify-keyspace-events`: event class letters, shown in canonical order.
    NotifyEvents,
}

/// One parameter CONFIG GET/SET knows: its name as Redis registers it and its kind.
/// Aliases (`hash-max-ziplist-entries`) are entries of their own, as in Redis.
struct ConfigSpec {
    name: &'static str,
    kind: ConfigKind,
}

const INT_MAX: u64 = i32::MAX as u64;
const LONG_MAX: u64 = i64::MAX as u64;

const fn int(min: i64, max: u64) -> ConfigKind {
    ConfigKind::Num {
        min,
        max,
        unsigned: false,
        memory: false,
        percent: false,
    }
}
const fn uint(min: i64, max: u64) -> ConfigKind {
    ConfigKind::Num {
        min,
        max,
        unsigned: true,
        memory: false,
        percent: false,
    }
}
const fn mem(min: i64, max: u64, unsigned: bool) -> ConfigKind {
    ConfigKind::Num {
        min,
        max,
        unsigned,
        memory: true,
        percent: false,
    }
}
const fn spec(name: &'static str, kind: ConfigKind) -> ConfigSpec {
    ConfigSpec { name, kind }
}

static CONFIG_SPECS: &[ConfigSpec] = &[
    spec("active-expire-effort", int(1, 10)),
    spec("activerehashing", ConfigKind::Bool),
    spec(
        "appendfsync",
        ConfigKind::Enum(&["everysec", "always", "no"]),
    ),
    spec("appendonly", ConfigKind::Bool),
    spec("busy-reply-threshold", int(0, LONG_MAX)),
    spec("databases", ConfigKind::Immutable),
    spec("dbfilename", ConfigKind::Protected),
    spec("dir", ConfigKind::Protected),
    spec("hash-max-listpack-entries", uint(0, LONG_MAX)),
    spec("hash-max-listpack-value", mem(0, LONG_MAX, true)),
    spec("hash-max-ziplist-entries", uint(0, LONG_MAX)),
    spec("hash-max-ziplist-value", mem(0, LONG_MAX, true)),
    spec("hz", int(0, INT_MAX)),
    spec("latency-tracking", ConfigKind::Bool),
    spec("lazyfree-lazy-eviction", ConfigKind::Bool),
    spec("lazyfree-lazy-expire", ConfigKind::Bool),
    spec("lazyfree-lazy-server-del", ConfigKind::Bool),
    spec("lazyfree-lazy-user-del", ConfigKind::Bool),
    spec("lazyfree-lazy-user-flush", ConfigKind::Bool),
    spec("lfu-decay-time", int(0, INT_MAX)),
    spec("lfu-log-factor", int(0, INT_MAX)),
    spec("list-compress-depth", int(0, INT_MAX)),
    spec("list-max-listpack-size", int(i32::MIN as i64, INT_MAX)),
    spec("list-max-ziplist-size", int(i32::MIN as i64, INT_MAX)),
    spec("lua-time-limit", int(0, LONG_MAX)),
    spec("maxclients", uint(1, u32::MAX as u64)),
    spec("maxmemory", mem(0, u64::MAX, true)),
    spec(
        "maxmemory-clients",
        ConfigKind::Num {
            min: -100,
            max: LONG_MAX,
            unsigned: false,
            memory: true,
            percent: true,
        },
    ),
    spec("maxmemory-eviction-tenacity", int(0, 100)),
    spec("maxmemory-policy", ConfigKind::Enum(POLICIES)),
    spec("maxmemory-samples", int(1, INT_MAX)),
    spec("min-replicas-max-lag", int(0, INT_MAX)),
    spec("min-replicas-to-write", int(0, INT_MAX)),
    spec("min-slaves-max-lag", int(0, INT_MAX)),
    spec("min-slaves-to-write", int(0, INT_MAX)),
    spec("notify-keyspace-events", ConfigKind::NotifyEvents),
    spec("port", int(0, 65535)),
    spec("proto-max-bulk-len", mem(1024 * 1024, LONG_MAX, false)),
    spec("rdbchecksum", ConfigKind::Immutable),
    spec("rdbcompression", ConfigKind::Bool),
    spec("repl-backlog-size", mem(1, LONG_MAX, false)),
    spec("repl-diskless-sync", ConfigKind::Bool),
    spec("repl-diskless-sync-delay", int(0, INT_MAX)),
    spec("repl-ping-replica-period", int(1, INT_MAX)),
    spec("repl-ping-slave-period", int(1, INT_MAX)),
    spec("repl-timeout", int(1, INT_MAX)),
    spec("replica-read-only", ConfigKind::Bool),
    spec("replica-serve-stale-data", ConfigKind::Bool),
    spec(
        "sanitize-dump-payload",
        ConfigKind::Enum(&["no", "yes", "clients"]),
    ),
    spec("save", ConfigKind::Text),
    spec("set-max-intset-entries", uint(0, LONG_MAX)),
    spec("slave-read-only", ConfigKind::Bool),
    spec("slave-serve-stale-data", ConfigKind::Bool),
    spec("slowlog-log-slower-than", int(-1, LONG_MAX)),
    spec("slowlog-max-len", uint(0, LONG_MAX)),
    spec("stream-node-max-bytes", mem(0, LONG_MAX, true)),
    spec("stream-node-max-entries", int(0, LONG_MAX)),
    spec("timeout", int(0, INT_MAX)),
    spec("zset-max-listpack-entries", uint(0, LONG_MAX)),
    spec("zset-max-listpack-value", mem(0, LONG_MAX, true)),
    spec("zset-max-ziplist-entries", uint(0, LONG_MAX)),
    spec("zset-max-ziplist-value", mem(0, LONG_MAX, true)),
];

fn config_spec(name: &[u8]) -> Option<&'static ConfigSpec> {
    CONFIG_SPECS
        .iter()
        .find(|s| s.name.as_bytes().eq_ignore_ascii_case(name))
}

/// The other name of a renamed parameter (7.0's listpack names and their ziplist aliases).
fn config_alias(name: &str) -> Option<&'static str> {
    const PAIRS: &[(&str, &str)] = &[
        ("hash-max-listpack-entries", "hash-max-ziplist-entries"),
        ("hash-max-listpack-value", "hash-max-ziplist-value"),
        ("zset-max-listpack-entries", "zset-max-ziplist-entries"),
        ("zset-max-listpack-value", "zset-max-ziplist-value"),
        ("list-max-listpack-size", "list-max-ziplist-size"),
        ("busy-reply-threshold", "lua-time-limit"),
        ("min-replicas-max-lag", "min-slaves-max-lag"),
        ("min-replicas-to-write", "min-slaves-to-write"),
        ("repl-ping-replica-period", "repl-ping-slave-period"),
        ("replica-read-only", "slave-read-only"),
        ("replica-serve-stale-data", "slave-serve-stale-data"),
    ];
    PAIRS.iter().find_map(|&(a, b)| {
        if a == name {
            Some(b)
        } else if b == name {
            Some(a)
        } else {
            None
        }
    })
}

/// The current value of a parameter, as CONFIG GET prints it.
fn config_value(e: &Engine, name: &str) -> String {
    let c = &e.config;
    match name {
        "hz" => c.hz.to_string(),
        "maxmemory" => c.maxmemory.to_string(),
        "maxmemory-policy" => c.maxmemory_policy.clone(),
        "maxmemory-samples" => c.maxmemory_samples.to_string(),
        "proto-max-bulk-len" => c.proto_max_bulk_len.to_string(),
        "databases" => NUM_DBS.to_string(),
        "notify-keyspace-events" => crate::notify::flags_to_string(c.notify_keyspace_events),
        _ => c.extra.get(name).cloned().unwrap_or_default(),
    }
}

/// `configGetCommand`: exact names are echoed as typed; patterns match every
/// parameter name (aliases included). Each parameter appears once.
pub fn config_get(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut matches: Vec<(Vec<u8>, &'static ConfigSpec)> = Vec::new();
    let seen = |m: &[(Vec<u8>, &ConfigSpec)], name: &[u8]| {
        m.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    for pat in &argv[2..] {
        if !pat.iter().any(|b| matches!(b, b'[' | b'*' | b'?')) {
            if let Some(s) = config_spec(pat) {
                if !seen(&matches, pat) {
                    matches.push((pat.clone(), s));
                }
            }
            continue;
        }
        for s in CONFIG_SPECS {
            if !seen(&matches, s.name.as_bytes()) && glob::matches(pat, s.name.as_bytes(), true) {
                matches.push((s.name.as_bytes().to_vec(), s));
            }
        }
    }
    Ok(Reply::Map(
        matches
            .into_iter()
            .map(|(name, s)| (Reply::Bulk(name), Reply::bulk(config_value(e, s.name))))
            .collect(),
    ))
}

/// Parses and checks one value; the text CONFIG GET will show afterwards.
fn config_parse(spec: &ConfigSpec, val: &[u8]) -> Result<String, String> {
    let text = || String::from_utf8_lossy(val).into_owned();
    match spec.kind {
        ConfigKind::Bool => {
            if val.eq_ignore_ascii_case(b"yes") {
                Ok("yes".into())
            } else if val.eq_ignore_ascii_case(b"no") {
                Ok("no".into())
            } else {
                Err("argument must be 'yes' or 'no'".into())
            }
        }
        ConfigKind::Enum(names) => names
            .iter()
            .find(|n| n.as_bytes().eq_ignore_ascii_case(val))
            .map(|n| (*n).to_string())
            .ok_or_else(|| {
                format!(
                    "argument(s) must be one of the following: {}",
                    names.join(", ")
                )
            }),
        ConfigKind::Text | ConfigKind::Immutable | ConfigKind::Protected => Ok(text()),
        ConfigKind::NotifyEvents => crate::notify::parse_flags(val)
            .map(|flags| flags.to_string())
            .ok_or_else(|| "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".into()),
        ConfigKind::Num {
            min,
            max,
            unsigned,
            memory,
            percent,
        } => {
            // numericParseString: memory first, then percent, then a plain integer.
            let mut parsed = None;
            if memory {
                parsed = memtoull(val).map(|v| v as i64);
            }
            if parsed.is_none() && percent && val.len() > 1 && val.ends_with(b"%") {
                parsed = crate::num::parse_i64(&val[..val.len() - 1])
                    .filter(|v| *v >= 0)
                    .map(|v| -v);
            }
            if parsed.is_none() && !memory && !percent {
                parsed = crate::num::parse_i64(val);
            }
            let Some(ll) = parsed else {
                return Err(match (memory, percent) {
                    (true, true) => "argument must be a memory or percent value",
                    (true, false) => "argument must be a memory value",
                    _ => "argument couldn't be parsed into an integer",
                }
                .into());
            };
            // numericBoundaryCheck
            if unsigned {
                let ull = ll as u64;
                if ull > max || ull < min as u64 {
                    return Err(format!(
                        "argument must be between {} and {max} inclusive",
                        min as u64
                    ));
                }
            } else if percent && ll < 0 {
                if ll < min {
                    return Err(format!(
                        "percentage argument must be less or equal to {}",
                        -min
                    ));
                }
                return Ok(format!("{}%", -ll));
            } else if ll < min || (ll >= 0 && ll as u64 > max) {
                return Err(format!(
                    "argument must be between {min} and {max} inclusive"
                ));
            }
            Ok(if memory {
                (ll as u64).to_string()
            } else {
                ll.to_string()
            })
        }
    }
}

/// `configSetCommand`: all parameters are checked, then set together; the first
/// problem in argument order is reported and nothing changes.
pub fn config_set(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() % 2 == 1 {
        return Err(CmdError::Syntax);
    }
    let mut specs: Vec<&'static ConfigSpec> = Vec::new();
    for pair in argv[2..].chunks_exact(2) {
        let Some(s) = config_spec(&pair[0]) else {
            return Err(CmdError::Custom(format!(
                "ERR Unknown option or number of arguments for CONFIG SET - '{}'",
                crate::engine::printable(&pair[0], usize::MAX)
            )));
        };
        let typed = crate::engine::printable(&pair[0], usize::MAX);
        let refused = match s.kind {
            ConfigKind::Immutable => Some("immutable"),
            ConfigKind::Protected => Some("protected"),
            _ => None,
        };
        if let Some(what) = refused {
            return Err(CmdError::Custom(format!(
                "ERR CONFIG SET failed (possibly related to argument '{typed}') - can't set {what} config"
            )));
        }
        if specs.iter().any(|p| std::ptr::eq(*p, s)) {
            return Err(CmdError::Custom(format!(
                "ERR CONFIG SET failed (possibly related to argument '{typed}') - duplicate parameter"
            )));
        }
        specs.push(s);
    }
    let mut next = e.config.clone();
    for (s, pair) in specs.iter().zip(argv[2..].chunks_exact(2)) {
        let value = config_parse(s, &pair[1]).map_err(|why| {
            CmdError::Custom(format!(
                "ERR CONFIG SET failed (possibly related to argument '{}') - {why}",
                s.name
            ))
        })?;
        match s.name {
            // updateHZ: out-of-range values are accepted and capped.
            "hz" => next.hz = value.parse::<i64>().unwrap_or(10).clamp(1, 500) as u32,
            "maxmemory" => next.maxmemory = value.parse().unwrap_or(0),
            "maxmemory-policy" => next.maxmemory_policy = value,
            "maxmemory-samples" => next.maxmemory_samples = value.parse().unwrap_or(5),
            "notify-keyspace-events" => next.notify_keyspace_events = value.parse().unwrap_or(0),
            "proto-max-bulk-len" => {
                next.proto_max_bulk_len = value
                    .parse::<u64>()
                    .map_or(usize::MAX, |v| usize::try_from(v).unwrap_or(usize::MAX));
            }
            name => {
                if let Some((k, _)) = crate::engine::KNOWN_CONFIGS
                    .iter()
                    .find(|(k, _)| *k == name)
                {
                    next.extra.insert(k, value.clone());
                }
                if let Some(alias) = config_alias(name) {
                    if let Some((k, _)) = crate::engine::KNOWN_CONFIGS
                        .iter()
                        .find(|(k, _)| *k == alias)
                    {
                        next.extra.insert(k, value);
                    }
                }
            }
        }
    }
    next.refresh_limits();
    let memory_changed = next.maxmemory != e.config.maxmemory;
    let notify = next.notify_keyspace_events;
    e.config = next;
    e.set_notify_flags(notify);
    if memory_changed {
        for d in &mut e.dbs {
            d.resync_all();
        }
        e.perform_evictions();
    }
    Ok(Reply::ok())
}

pub fn config_resetstat(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    e.stats = crate::engine::Stats::default();
    Ok(Reply::ok())
}

pub fn config_rewrite(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Err(CmdError::err("The server is running without a config file"))
}

pub fn config_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "CONFIG",
        &[
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
        ],
    ))
}

// ---- COMMAND -------------------------------------------------------------------

fn all_specs() -> impl Iterator<Item = &'static CommandSpec> {
    COMMANDS.iter()
}

fn command_info_reply(c: &CommandSpec) -> Reply {
    Reply::Array(vec![
        Reply::bulk(c.full_name()),
        Reply::Integer(i64::from(c.arity)),
        Reply::Array(
            c.flag_names()
                .into_iter()
                .map(|f| Reply::Status(f.to_string()))
                .collect(),
        ),
        Reply::Integer(i64::from(c.first_key)),
        Reply::Integer(i64::from(c.last_key)),
        Reply::Integer(i64::from(c.key_step)),
        Reply::Array(
            c.acl_categories()
                .into_iter()
                .map(|f| Reply::Status(f.to_string()))
                .collect(),
        ),
        Reply::Array(vec![]),
        Reply::Array(vec![]),
        Reply::Array(c.subcommands.iter().map(command_info_reply).collect()),
    ])
}

fn find_spec(name: &[u8]) -> Option<&'static CommandSpec> {
    let s = String::from_utf8_lossy(name).to_ascii_lowercase();
    match s.split_once('|') {
        Some((p, sub)) => table::lookup(p.as_bytes())?.subcommand(sub.as_bytes()),
        None => table::lookup(name),
    }
}

pub fn command_count(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(COMMANDS.len() as i64))
}

pub fn command_info(_e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() == 2 {
        return Ok(Reply::Array(all_specs().map(command_info_reply).collect()));
    }
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|n| find_spec(n).map_or(Reply::Nil, command_info_reply))
            .collect(),
    ))
}

/// One argument of COMMAND DOCS, from our syntax notation: `[...]` is optional,
/// `A|B` is a oneof, several words make a block, an UPPERCASE word is a pure token.
/// redis-cli builds its hints from this, so oneof and block always carry a nested
/// `arguments` list.
fn doc_arg(text: &str) -> Reply {
    let optional = text.starts_with('[') && text.ends_with(']');
    let inner = if optional {
        &text[1..text.len() - 1]
    } else {
        text
    };
    let mut m = doc_arg_body(inner);
    if optional {
        m.push(Reply::bulk("flags"));
        m.push(Reply::Array(vec![Reply::Status("optional".into())]));
    }
    flat_to_map(m)
}

fn doc_arg_body(text: &str) -> Vec<Reply> {
    let name_of = |t: &str| {
        t.trim_matches(|c| c == '[' || c == ']')
            .replace([' ', '|'], "_")
            .to_ascii_lowercase()
    };
    let alternatives = split_top(text, '|');
    if alternatives.len() > 1 {
        let nested: Vec<Reply> = alternatives
            .iter()
            .map(|a| flat_to_map(doc_arg_body(a)))
            .collect();
        return vec![
            Reply::bulk("name"),
            Reply::bulk(name_of(text)),
            Reply::bulk("type"),
            Reply::bulk("oneof"),
            Reply::bulk("arguments"),
            Reply::Array(nested),
        ];
    }
    let words = split_top(text, ' ');
    if words.len() > 1 {
        let nested: Vec<Reply> = words.iter().map(|w| doc_arg(w)).collect();
        return vec![
            Reply::bulk("name"),
            Reply::bulk(name_of(text)),
            Reply::bulk("type"),
            Reply::bulk("block"),
            Reply::bulk("arguments"),
            Reply::Array(nested),
        ];
    }
    let word = text.trim();
    let is_token = word.chars().any(|c| c.is_ascii_uppercase())
        && !word.chars().any(|c| c.is_ascii_lowercase());
    if is_token {
        return vec![
            Reply::bulk("name"),
            Reply::bulk(word.to_ascii_lowercase()),
            Reply::bulk("type"),
            Reply::bulk("pure-token"),
            Reply::bulk("token"),
            Reply::bulk(word),
        ];
    }
    let kind = if matches!(
        word,
        "key" | "newkey" | "source" | "destination" | "dst" | "src" | "key1" | "key2"
    ) {
        "key"
    } else {
        "string"
    };
    let mut m = vec![
        Reply::bulk("name"),
        Reply::bulk(word),
        Reply::bulk("type"),
        Reply::bulk(kind),
    ];
    if kind == "string" {
        m.push(Reply::bulk("display_text"));
        m.push(Reply::bulk(word));
    } else {
        m.push(Reply::bulk("key_spec_index"));
        m.push(Reply::Integer(0));
    }
    m
}

/// Splits on `sep` outside brackets.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, ch) in text.char_indices() {
        match ch {
            '[' => depth += 1,
            ']' => depth -= 1,
            c if c == sep && depth == 0 => {
                if i > start {
                    out.push(&text[start..i]);
                }
                start = i + ch.len_utf8();
            }
            _ => {}
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// A map built from a flat `[k1, v1, k2, v2, ...]` list (a trailing odd item is dropped).
fn flat_to_map(flat: Vec<Reply>) -> Reply {
    let mut it = flat.into_iter();
    let mut pairs = Vec::new();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        pairs.push((k, v));
    }
    Reply::Map(pairs)
}

fn command_docs_reply(c: &CommandSpec) -> Reply {
    let mut doc = vec![
        Reply::bulk("summary"),
        Reply::bulk(c.summary),
        Reply::bulk("since"),
        Reply::bulk(c.since),
        Reply::bulk("group"),
        Reply::bulk(c.group.name()),
    ];
    if !c.complexity.is_empty() {
        doc.push(Reply::bulk("complexity"));
        doc.push(Reply::bulk(c.complexity));
    }
    let args = table::syntax_tokens(c.syntax);
    if !args.is_empty() {
        doc.push(Reply::bulk("arguments"));
        let mut out: Vec<Reply> = Vec::new();
        for (i, a) in args.iter().enumerate() {
            // "[key ...]" right after "key" marks the previous argument as repeatable.
            if a.ends_with("...]") && i > 0 {
                if let Some(Reply::Array(prev)) = out.last_mut() {
                    prev.push(Reply::bulk("flags"));
                    prev.push(Reply::Array(vec![Reply::Status("multiple".into())]));
                }
                continue;
            }
            out.push(doc_arg(a));
        }
        doc.push(Reply::Array(out));
    }
    if !c.subcommands.is_empty() {
        doc.push(Reply::bulk("subcommands"));
        let mut subs = Vec::new();
        for s in c.subcommands {
            subs.push(Reply::bulk(s.full_name()));
            subs.push(command_docs_reply(s));
        }
        doc.push(flat_to_map(subs));
    }
    flat_to_map(doc)
}

pub fn command_docs(_e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut out = Vec::new();
    let specs: Vec<&CommandSpec> = if argv.len() == 2 {
        all_specs().collect()
    } else {
        argv[2..].iter().filter_map(|n| find_spec(n)).collect()
    };
    for c in specs {
        out.push(Reply::bulk(c.full_name()));
        out.push(command_docs_reply(c));
    }
    Ok(flat_to_map(out))
}

pub fn command_list(_e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let names = all_specs().map(|c| c.name);
    if argv.len() == 2 {
        return Ok(Reply::Array(names.map(Reply::bulk).collect()));
    }
    if argv.len() != 5 || !is(&argv[2], "filterby") {
        return Err(CmdError::Syntax);
    }
    let value = &argv[4];
    let keep: Vec<Reply> = if is(&argv[3], "pattern") {
        all_specs()
            .filter(|c| glob::matches(value, c.name.as_bytes(), true))
            .map(|c| Reply::bulk(c.name))
            .collect()
    } else if is(&argv[3], "aclcat") {
        let cat = format!("@{}", String::from_utf8_lossy(value).to_ascii_lowercase());
        all_specs()
            .filter(|c| c.acl_categories().contains(&cat.as_str()))
            .map(|c| Reply::bulk(c.name))
            .collect()
    } else if is(&argv[3], "module") {
        Vec::new()
    } else {
        return Err(CmdError::Syntax);
    };
    Ok(Reply::Array(keep))
}

pub fn command_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "COMMAND",
        &[
            "(no subcommand)",
            "    Return details about all commands.",
            "COUNT",
            "    Return the total number of commands.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about commands.",
            "INFO [<command-name> ...]",
            "    Return details about the given commands, or all of them.",
            "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
            "    Return a list of command names.",
        ],
    ))
}

// ---- DEBUG ---------------------------------------------------------------------

pub fn debug_set_active_expire(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    e.config.active_expire_enabled = atoi(&argv[2]) != 0;
    Ok(Reply::ok())
}

pub fn debug_sleep(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::ok())
}

pub fn debug_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "DEBUG",
        &[
            "SET-ACTIVE-EXPIRE <0|1>",
            "    Switch the active expiry cycle off or on; lazy expiry always runs.",
            "SLEEP <seconds>",
            "    Accepted for compatibility; the engine owns no clock and returns at once.",
        ],
    ))
}

/// C's `atoi`: leading digits with an optional sign, garbage after ignored.
fn atoi(s: &[u8]) -> i64 {
    let s = match s.iter().position(|b| !b.is_ascii_whitespace()) {
        Some(i) => &s[i..],
        None => return 0,
    };
    let (neg, rest) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: i64 = 0;
    for &b in rest.iter().take_while(|b| b.is_ascii_digit()) {
        v = v.wrapping_mul(10).wrapping_add(i64::from(b - b'0'));
    }
    if neg {
        -v
    } else {
        v
    }
}

// ---- FUNCTION ------------------------------------------------------------------
// The engine has no scripting engine, so no function library can ever be loaded:
// FLUSH has nothing to remove and LIST nothing to show. LOAD is not offered.

pub fn function_flush(_e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    match argv.len() {
        2 => Ok(Reply::ok()),
        3 if is(&argv[2], "sync") || is(&argv[2], "async") => Ok(Reply::ok()),
        _ => Err(CmdError::err(
            "FUNCTION FLUSH only supports SYNC|ASYNC option",
        )),
    }
}

pub fn function_list(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Array(vec![]))
}

pub fn function_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "FUNCTION",
        &[
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries (CacheLab has no scripting engine, so there are none).",
            "LIST [LIBRARYNAME pattern] [WITHCODE]",
            "    Return the loaded libraries: always none here.",
        ],
    ))
}

// ---- MEMORY --------------------------------------------------------------------

/// MEMORY USAGE: the engine's estimate of the bytes a key takes (key, value and
/// per-key overhead), or nil for a missing key. SAMPLES is accepted; the estimate
/// is computed from element counts, not by sampling.
pub fn memory_usage(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut j = 3;
    while j < argv.len() {
        if is(&argv[j], "samples") && j + 1 < argv.len() {
            crate::cmd::int_arg(&argv[j + 1])?;
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let Some(v) = e.lookup_read_nonotify(c.db, &argv[2]) else {
        return Ok(Reply::Nil);
    };
    Ok(Reply::Integer((v.mem_size() + argv[2].len() + 56) as i64))
}

pub fn memory_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "MEMORY",
        &[
            "USAGE <key> [SAMPLES <count>]",
            "    Return the estimated memory usage in bytes of a key and its value.",
        ],
    ))
}

/// CLIENT UNBLOCK id [TIMEOUT|ERROR]: releases a client blocked by BLPOP and friends,
/// with its timeout reply or an UNBLOCKED error. 1 if that client was blocked.
pub fn client_unblock(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let id = crate::cmd::int_arg(&argv[2])?;
    let as_error = match argv.get(3) {
        None => false,
        Some(a) if is(a, "timeout") => false,
        Some(a) if is(a, "error") => true,
        Some(_) => {
            return Err(CmdError::err(
                "CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
            ))
        }
    };
    let Some(parked) = (id >= 0).then(|| e.blocked.unpark(id as u64)).flatten() else {
        return Ok(Reply::Integer(0));
    };
    if let Ok(spec) = crate::engine::resolve(&parked.argv) {
        e.stats.count_call(spec, as_error);
    }
    let reply = if as_error {
        Reply::error("UNBLOCKED client unblocked via CLIENT UNBLOCK")
    } else {
        Reply::NilArray
    };
    e.release_blocked(id as u64, reply);
    Ok(Reply::Integer(1))
}
