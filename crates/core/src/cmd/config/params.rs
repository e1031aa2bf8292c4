//! The parameters CONFIG knows: Redis 7.0's name, default and kind of each
//! (config.c's `standardConfig` table), and the aliases of renamed ones.

pub(super) const POLICIES: &[&str] = &[
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
pub(super) enum ConfigKind {
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
    /// `latency-tracking-info-percentiles`: numbers from 0 to 100.
    Percentiles,
}

/// One parameter CONFIG GET/SET knows: its name as Redis registers it and its kind.
/// Aliases (`hash-max-ziplist-entries`) are entries of their own, as in Redis.
pub(super) struct ConfigSpec {
    pub(super) name: &'static str,
    /// Redis 7.0's default, as CONFIG GET prints it.
    pub(super) default: &'static str,
    pub(super) kind: ConfigKind,
    /// Left out of pattern matches (`CONFIG GET *`), as Redis's hidden
    /// (test-only) settings are; CONFIG GET by name still finds it.
    pub(super) hidden: bool,
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

pub(super) static CONFIG_SPECS: &[ConfigSpec] = &[
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
    spec(
        "latency-tracking-info-percentiles",
        "50 99 99.9",
        ConfigKind::Percentiles,
    ),
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
    spec("masterauth", "", ConfigKind::Text),
    spec("masteruser", "", ConfigKind::Text),
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

pub(super) fn config_spec(name: &[u8]) -> Option<&'static ConfigSpec> {
    CONFIG_SPECS
        .iter()
        .find(|s| s.name.as_bytes().eq_ignore_ascii_case(name))
}

/// The other name of a renamed parameter (7.0's listpack names and their ziplist aliases).
pub(super) fn config_alias(name: &str) -> Option<&'static str> {
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
