//! CONFIG GET/SET/RESETSTAT/REWRITE: the settings the engine honours, parsed and
//! printed as Redis 7.0 does.

use super::server::help_reply;
use crate::engine::{Client, Engine, NUM_DBS};
use crate::error::{CmdError, CmdResult};
use crate::glob;
use crate::reply::Reply;

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
    /// Only settable at startup.
    Immutable,
    /// Refused while `enable-protected-configs` is `no`, its default (`dir`, `dbfilename`).
    Protected,
    /// `notify-keyspace-events`: event class letters, shown in canonical order.
    NotifyEvents,
    /// `save`: (seconds, changes) pairs.
    SavePoints,
    /// Free text (file names, addresses), stored as given.
    Text,
}

/// One parameter CONFIG GET/SET knows: its name as Redis registers it and its kind.
/// Aliases (`hash-max-ziplist-entries`) are entries of their own, as in Redis.
struct ConfigSpec {
    name: &'static str,
    /// Redis 7.0's default, as CONFIG GET prints it.
    default: &'static str,
    kind: ConfigKind,
    /// Left out of pattern matches (`CONFIG GET *`), as Redis's hidden
    /// (test-only) settings are; CONFIG GET by name still finds it.
    hidden: bool,
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
const fn spec(name: &'static str, default: &'static str, kind: ConfigKind) -> ConfigSpec {
    ConfigSpec {
        name,
        default,
        kind,
        hidden: false,
    }
}
const fn hidden(name: &'static str, default: &'static str, kind: ConfigKind) -> ConfigSpec {
    ConfigSpec {
        name,
        default,
        kind,
        hidden: true,
    }
}

/// The settings [`Config`](crate::engine::Config) has a field of its own for; the
/// others live in `Config::extra` as text.
const TYPED: &[&str] = &[
    "databases",
    "hz",
    "maxmemory",
    "maxmemory-policy",
    "maxmemory-samples",
    "notify-keyspace-events",
    "proto-max-bulk-len",
];

/// The defaults of the settings kept as text in `Config::extra`.
pub(crate) fn stored_defaults() -> impl Iterator<Item = (&'static str, &'static str)> {
    CONFIG_SPECS
        .iter()
        .filter(|s| !TYPED.contains(&s.name))
        .map(|s| (s.name, s.default))
}

static CONFIG_SPECS: &[ConfigSpec] = &[
    spec(
        "acl-pubsub-default",
        "resetchannels",
        ConfigKind::Enum(&["allchannels", "resetchannels"]),
    ),
    spec("aclfile", "", ConfigKind::Immutable),
    spec("acllog-max-len", "128", uint(0, LONG_MAX)),
    spec("active-defrag-cycle-max", "25", int(1, 99)),
    spec("active-defrag-cycle-min", "1", int(1, 99)),
    spec(
        "active-defrag-ignore-bytes",
        "104857600",
        mem(1, LONG_MAX, true),
    ),
    spec("active-defrag-max-scan-fields", "1000", uint(1, LONG_MAX)),
    spec("active-defrag-threshold-lower", "10", int(0, 1000)),
    spec("active-defrag-threshold-upper", "100", int(0, 1000)),
    spec("active-expire-effort", "1", int(1, 10)),
    spec("activedefrag", "no", ConfigKind::Bool),
    spec("activerehashing", "yes", ConfigKind::Bool),
    spec("always-show-logo", "no", ConfigKind::Immutable),
    spec("aof-disable-auto-gc", "no", ConfigKind::Bool),
    spec("aof-load-truncated", "yes", ConfigKind::Bool),
    spec("aof-rewrite-incremental-fsync", "yes", ConfigKind::Bool),
    spec("aof-timestamp-enabled", "no", ConfigKind::Bool),
    spec("aof-use-rdb-preamble", "yes", ConfigKind::Bool),
    spec("aof_rewrite_cpulist", "", ConfigKind::Immutable),
    spec("appenddirname", "appendonlydir", ConfigKind::Immutable),
    spec("appendfilename", "appendonly.aof", ConfigKind::Immutable),
    spec(
        "appendfsync",
        "everysec",
        ConfigKind::Enum(&["everysec", "always", "no"]),
    ),
    spec("appendonly", "no", ConfigKind::Bool),
    spec(
        "auto-aof-rewrite-min-size",
        "67108864",
        mem(0, LONG_MAX, false),
    ),
    spec("auto-aof-rewrite-percentage", "100", int(0, INT_MAX)),
    spec("bgsave_cpulist", "", ConfigKind::Immutable),
    // The addresses listened on; cachelab-server sets what it really binds.
    spec("bind", "* -::*", ConfigKind::Text),
    spec("bind-source-addr", "", ConfigKind::Text),
    spec("bio_cpulist", "", ConfigKind::Immutable),
    spec("busy-reply-threshold", "5000", int(0, LONG_MAX)),
    spec(
        "client-query-buffer-limit",
        "1073741824",
        mem(1024 * 1024, LONG_MAX, true),
    ),
    spec(
        "cluster-allow-pubsubshard-when-down",
        "yes",
        ConfigKind::Bool,
    ),
    spec("cluster-allow-reads-when-down", "no", ConfigKind::Bool),
    spec("cluster-allow-replica-migration", "yes", ConfigKind::Bool),
    spec("cluster-announce-bus-port", "0", int(0, 65535)),
    spec("cluster-announce-hostname", "", ConfigKind::Text),
    spec("cluster-announce-ip", "", ConfigKind::Text),
    spec("cluster-announce-port", "0", int(0, 65535)),
    spec("cluster-announce-tls-port", "0", int(0, 65535)),
    spec("cluster-config-file", "nodes.conf", ConfigKind::Immutable),
    spec("cluster-enabled", "no", ConfigKind::Immutable),
    spec("cluster-link-sendbuf-limit", "0", mem(0, u64::MAX, true)),
    spec("cluster-migration-barrier", "1", int(0, INT_MAX)),
    spec("cluster-node-timeout", "15000", int(0, LONG_MAX)),
    spec("cluster-port", "0", ConfigKind::Immutable),
    spec(
        "cluster-preferred-endpoint-type",
        "ip",
        ConfigKind::Enum(&["ip", "hostname", "unknown-endpoint"]),
    ),
    spec("cluster-replica-no-failover", "no", ConfigKind::Bool),
    spec("cluster-replica-validity-factor", "10", int(0, INT_MAX)),
    spec("cluster-require-full-coverage", "yes", ConfigKind::Bool),
    spec("cluster-slave-no-failover", "no", ConfigKind::Bool),
    spec("cluster-slave-validity-factor", "10", int(0, INT_MAX)),
    spec("crash-log-enabled", "yes", ConfigKind::Bool),
    spec("crash-memcheck-enabled", "yes", ConfigKind::Bool),
    spec("daemonize", "no", ConfigKind::Immutable),
    spec("databases", "16", ConfigKind::Immutable),
    spec("dbfilename", "dump.rdb", ConfigKind::Protected),
    spec("dir", "/", ConfigKind::Protected),
    spec("disable-thp", "yes", ConfigKind::Immutable),
    spec("dynamic-hz", "yes", ConfigKind::Bool),
    spec("enable-debug-command", "no", ConfigKind::Immutable),
    spec("enable-module-command", "no", ConfigKind::Immutable),
    spec("enable-protected-configs", "no", ConfigKind::Immutable),
    spec("hash-max-listpack-entries", "512", uint(0, LONG_MAX)),
    spec("hash-max-listpack-value", "64", mem(0, LONG_MAX, true)),
    spec("hash-max-ziplist-entries", "512", uint(0, LONG_MAX)),
    spec("hash-max-ziplist-value", "64", mem(0, LONG_MAX, true)),
    spec("hll-sparse-max-bytes", "3000", mem(0, LONG_MAX, true)),
    spec("hz", "10", int(0, INT_MAX)),
    spec("ignore-warnings", "", ConfigKind::Text),
    spec("io-threads", "1", ConfigKind::Immutable),
    spec("io-threads-do-reads", "no", ConfigKind::Immutable),
    spec("jemalloc-bg-thread", "yes", ConfigKind::Bool),
    hidden("key-load-delay", "0", int(-2147483648, INT_MAX)),
    spec("latency-monitor-threshold", "0", int(0, LONG_MAX)),
    spec("latency-tracking", "yes", ConfigKind::Bool),
    spec("lazyfree-lazy-eviction", "no", ConfigKind::Bool),
    spec("lazyfree-lazy-expire", "no", ConfigKind::Bool),
    spec("lazyfree-lazy-server-del", "no", ConfigKind::Bool),
    spec("lazyfree-lazy-user-del", "no", ConfigKind::Bool),
    spec("lazyfree-lazy-user-flush", "no", ConfigKind::Bool),
    spec("lfu-decay-time", "1", int(0, INT_MAX)),
    spec("lfu-log-factor", "10", int(0, INT_MAX)),
    spec("list-compress-depth", "0", int(0, INT_MAX)),
    spec(
        "list-max-listpack-size",
        "-2",
        int(i32::MIN as i64, INT_MAX),
    ),
    spec("list-max-ziplist-size", "-2", int(i32::MIN as i64, INT_MAX)),
    hidden(
        "loading-process-events-interval-bytes",
        "2097152",
        int(1024, INT_MAX),
    ),
    spec("logfile", "", ConfigKind::Immutable),
    spec(
        "loglevel",
        "notice",
        ConfigKind::Enum(&["debug", "verbose", "notice", "warning"]),
    ),
    spec("lua-time-limit", "5000", int(0, LONG_MAX)),
    spec("maxclients", "10000", uint(1, u32::MAX as u64)),
    spec("maxmemory", "0", mem(0, u64::MAX, true)),
    spec(
        "maxmemory-clients",
        "0",
        ConfigKind::Num {
            min: -100,
            max: LONG_MAX,
            unsigned: false,
            memory: true,
            percent: true,
        },
    ),
    spec("maxmemory-eviction-tenacity", "10", int(0, 100)),
    spec("maxmemory-policy", "noeviction", ConfigKind::Enum(POLICIES)),
    spec("maxmemory-samples", "5", int(1, INT_MAX)),
    spec("min-replicas-max-lag", "10", int(0, INT_MAX)),
    spec("min-replicas-to-write", "0", int(0, INT_MAX)),
    spec("min-slaves-max-lag", "10", int(0, INT_MAX)),
    spec("min-slaves-to-write", "0", int(0, INT_MAX)),
    spec("no-appendfsync-on-rewrite", "no", ConfigKind::Bool),
    spec("notify-keyspace-events", "", ConfigKind::NotifyEvents),
    spec(
        "oom-score-adj",
        "no",
        ConfigKind::Enum(&["no", "yes", "relative", "absolute"]),
    ),
    spec("pidfile", "", ConfigKind::Immutable),
    spec("port", "6379", int(0, 65535)),
    spec(
        "proc-title-template",
        "{title} {listen-addr} {server-mode}",
        ConfigKind::Text,
    ),
    spec(
        "propagation-error-behavior",
        "ignore",
        ConfigKind::Enum(&["ignore", "panic", "panic-on-replicas"]),
    ),
    spec("protected-mode", "yes", ConfigKind::Bool),
    spec(
        "proto-max-bulk-len",
        "536870912",
        mem(1024 * 1024, LONG_MAX, false),
    ),
    spec("rdb-del-sync-files", "no", ConfigKind::Bool),
    hidden("rdb-key-save-delay", "0", int(-2147483648, INT_MAX)),
    spec("rdb-save-incremental-fsync", "yes", ConfigKind::Bool),
    spec("rdbchecksum", "yes", ConfigKind::Immutable),
    spec("rdbcompression", "yes", ConfigKind::Bool),
    spec("repl-backlog-size", "1048576", mem(1, LONG_MAX, false)),
    spec("repl-backlog-ttl", "3600", int(0, LONG_MAX)),
    spec("repl-disable-tcp-nodelay", "no", ConfigKind::Bool),
    spec(
        "repl-diskless-load",
        "disabled",
        ConfigKind::Enum(&["disabled", "on-empty-db", "swapdb"]),
    ),
    spec("repl-diskless-sync", "yes", ConfigKind::Bool),
    spec("repl-diskless-sync-delay", "5", int(0, INT_MAX)),
    spec("repl-diskless-sync-max-replicas", "0", int(0, INT_MAX)),
    spec("repl-ping-replica-period", "10", int(1, INT_MAX)),
    spec("repl-ping-slave-period", "10", int(1, INT_MAX)),
    spec("repl-timeout", "60", int(1, INT_MAX)),
    spec("replica-announce-ip", "", ConfigKind::Text),
    spec("replica-announce-port", "0", int(0, 65535)),
    spec("replica-announced", "yes", ConfigKind::Bool),
    spec("replica-ignore-disk-write-errors", "no", ConfigKind::Bool),
    spec("replica-ignore-maxmemory", "yes", ConfigKind::Bool),
    spec("replica-lazy-flush", "no", ConfigKind::Bool),
    spec("replica-priority", "100", int(0, INT_MAX)),
    spec("replica-read-only", "yes", ConfigKind::Bool),
    spec("replica-serve-stale-data", "yes", ConfigKind::Bool),
    spec("replicaof", "", ConfigKind::Immutable),
    spec(
        "sanitize-dump-payload",
        "no",
        ConfigKind::Enum(&["no", "yes", "clients"]),
    ),
    spec("save", "", ConfigKind::SavePoints),
    spec("server_cpulist", "", ConfigKind::Immutable),
    spec("set-max-intset-entries", "512", uint(0, LONG_MAX)),
    spec("set-proc-title", "yes", ConfigKind::Immutable),
    spec("shutdown-timeout", "10", int(0, INT_MAX)),
    spec("slave-announce-ip", "", ConfigKind::Text),
    spec("slave-announce-port", "0", int(0, 65535)),
    spec("slave-ignore-maxmemory", "yes", ConfigKind::Bool),
    spec("slave-lazy-flush", "no", ConfigKind::Bool),
    spec("slave-priority", "100", int(0, INT_MAX)),
    spec("slave-read-only", "yes", ConfigKind::Bool),
    spec("slave-serve-stale-data", "yes", ConfigKind::Bool),
    spec("slaveof", "", ConfigKind::Immutable),
    spec("slowlog-log-slower-than", "10000", int(-1, LONG_MAX)),
    spec("slowlog-max-len", "128", uint(0, LONG_MAX)),
    spec("socket-mark-id", "0", ConfigKind::Immutable),
    spec("stop-writes-on-bgsave-error", "yes", ConfigKind::Bool),
    spec("stream-node-max-bytes", "4096", mem(0, LONG_MAX, true)),
    spec("stream-node-max-entries", "100", int(0, LONG_MAX)),
    spec("supervised", "no", ConfigKind::Immutable),
    spec("syslog-enabled", "no", ConfigKind::Immutable),
    spec("syslog-facility", "local0", ConfigKind::Immutable),
    spec("syslog-ident", "redis", ConfigKind::Immutable),
    spec("tcp-backlog", "511", ConfigKind::Immutable),
    spec("tcp-keepalive", "300", int(0, INT_MAX)),
    spec("timeout", "0", int(0, INT_MAX)),
    spec("tracking-table-max-keys", "1000000", uint(0, LONG_MAX)),
    spec("unixsocket", "", ConfigKind::Immutable),
    spec("unixsocketperm", "0", ConfigKind::Immutable),
    hidden("use-exit-on-panic", "no", ConfigKind::Bool),
    hidden("watchdog-period", "0", int(0, INT_MAX)),
    spec("zset-max-listpack-entries", "128", uint(0, LONG_MAX)),
    spec("zset-max-listpack-value", "64", mem(0, LONG_MAX, true)),
    spec("zset-max-ziplist-entries", "128", uint(0, LONG_MAX)),
    spec("zset-max-ziplist-value", "64", mem(0, LONG_MAX, true)),
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
        ("replica-ignore-maxmemory", "slave-ignore-maxmemory"),
        ("replica-priority", "slave-priority"),
        ("replica-read-only", "slave-read-only"),
        ("replica-serve-stale-data", "slave-serve-stale-data"),
        ("replica-announce-ip", "slave-announce-ip"),
        ("replica-announce-port", "slave-announce-port"),
        ("replica-lazy-flush", "slave-lazy-flush"),
        ("replicaof", "slaveof"),
        ("cluster-replica-no-failover", "cluster-slave-no-failover"),
        (
            "cluster-replica-validity-factor",
            "cluster-slave-validity-factor",
        ),
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
        // The master REPLICAOF set, as "host port" (empty when not a replica).
        "replicaof" | "slaveof" => e.repl.master.as_ref().map_or_else(String::new, |m| {
            format!("{} {}", String::from_utf8_lossy(&m.host), m.port)
        }),
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
        for s in CONFIG_SPECS.iter().filter(|s| !s.hidden) {
            if !seen(&matches, s.name.as_bytes()) && glob::matches(pat, s.name.as_bytes(), true) {
                matches.push((s.name.as_bytes().to_vec(), s));
            }
        }
    }
    Ok(Reply::Map(
        matches
            .into_iter()
            .map(|(name, s)| (Reply::bulk(name), Reply::bulk(config_value(e, s.name))))
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
        ConfigKind::Immutable | ConfigKind::Protected | ConfigKind::Text => Ok(text()),
        ConfigKind::SavePoints => std::str::from_utf8(val)
            .ok()
            .and_then(crate::persistence::parse_save_points)
            .map(|points| crate::persistence::format_save_points(&points))
            .ok_or_else(|| "Invalid save parameters".into()),
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
    set_pairs(e, &argv[2..], false)
}

impl Engine {
    /// Sets a parameter as redis-server's command line does (`--dir /data`):
    /// checked like CONFIG SET, but the protected and immutable ones too.
    pub fn set_startup_config(&mut self, name: &str, value: &str) -> Result<(), String> {
        let pair = [name.as_bytes().to_vec(), value.as_bytes().to_vec()];
        set_pairs(self, &pair, true)
            .map(drop)
            .map_err(|e| String::from_utf8_lossy(&e.into_bytes()).into_owned())
    }
}

/// CONFIG SET's work on `name value` pairs; `startup` also sets protected and
/// immutable parameters.
fn set_pairs(e: &mut Engine, pairs: &[Vec<u8>], startup: bool) -> CmdResult {
    let mut specs: Vec<&'static ConfigSpec> = Vec::new();
    for pair in pairs.chunks_exact(2) {
        let Some(s) = config_spec(&pair[0]) else {
            return Err(CmdError::Custom(format!(
                "ERR Unknown option or number of arguments for CONFIG SET - '{}'",
                crate::engine::printable(&pair[0], usize::MAX)
            )));
        };
        let typed = crate::engine::printable(&pair[0], usize::MAX);
        let refused = match s.kind {
            _ if startup => None,
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
    for (s, pair) in specs.iter().zip(pairs.chunks_exact(2)) {
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
                if let Some((&k, _)) = next.extra.get_key_value(name) {
                    next.extra.insert(k, value.clone());
                }
                if let Some(alias) = config_alias(name) {
                    if let Some((&k, _)) = next.extra.get_key_value(alias) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each setting's default in the table is what a fresh engine reports, so the
    /// typed fields of `Config` and the table can't drift apart.
    #[test]
    fn a_fresh_engine_reports_every_default() {
        let e = Engine::new();
        for s in CONFIG_SPECS {
            assert_eq!(config_value(&e, s.name), s.default, "{}", s.name);
        }
    }
}
