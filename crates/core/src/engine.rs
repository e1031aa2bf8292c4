//! The engine: sixteen databases, server-wide state, clients and the dispatcher.
//!
//! `Engine::execute` is the only way commands get in. It takes one command as a list
//! of binary-safe arguments plus "now" (unix µs) from the caller, looks the command up
//! in the [`table`](crate::table), checks arity there (handlers never count their own
//! arguments), and runs the handler. Nothing in here reads a clock or does I/O.

use crate::db::Db;
use crate::error::CmdError;
use crate::reply::Reply;
use crate::table::{self, CommandSpec};
use crate::value::Value;

pub const NUM_DBS: usize = 16;

/// One connection's state: its db, name and (later) transaction state.
#[derive(Clone, Debug)]
pub struct Client {
    pub id: u64,
    pub db: usize,
    pub name: Option<Vec<u8>>,
    pub(crate) close_after_reply: bool,
}

impl Client {
    /// True after QUIT: the caller sends the reply, then closes the connection.
    pub fn should_close(&self) -> bool {
        self.close_after_reply
    }

    /// True inside MULTI (redis-cli shows `(TX)` in the prompt).
    pub fn in_multi(&self) -> bool {
        false
    }
}

/// Settings that CONFIG GET/SET expose and the engine honours.
#[derive(Clone, Debug)]
pub struct Config {
    pub hz: u32,
    pub proto_max_bulk_len: usize,
    pub maxmemory: u64,
    pub maxmemory_policy: String,
    pub maxmemory_samples: u32,
    pub active_expire_enabled: bool,
    /// Parameters the engine accepts and reports but does not act on (persistence,
    /// encodings it does not model yet, ...), with Redis's defaults.
    pub extra: std::collections::BTreeMap<&'static str, String>,
    pub(crate) limits: crate::types::Limits,
}

/// Redis parameters CONFIG GET/SET accept beyond the ones in [`Config`]'s fields.
pub const KNOWN_CONFIGS: &[(&str, &str)] = &[
    ("activerehashing", "yes"),
    ("appendonly", "no"),
    ("appendfsync", "everysec"),
    ("busy-reply-threshold", "5000"),
    ("dir", "/"),
    ("dbfilename", "dump.rdb"),
    ("hash-max-listpack-entries", "128"),
    ("hash-max-listpack-value", "64"),
    ("hash-max-ziplist-entries", "128"),
    ("hash-max-ziplist-value", "64"),
    ("latency-tracking", "yes"),
    ("lazyfree-lazy-eviction", "no"),
    ("lazyfree-lazy-expire", "no"),
    ("lazyfree-lazy-server-del", "no"),
    ("lazyfree-lazy-user-del", "no"),
    ("lazyfree-lazy-user-flush", "no"),
    ("lfu-decay-time", "1"),
    ("lfu-log-factor", "10"),
    ("list-compress-depth", "0"),
    ("list-max-listpack-size", "-2"),
    ("list-max-ziplist-size", "-2"),
    ("lua-time-limit", "5000"),
    ("maxclients", "10000"),
    ("notify-keyspace-events", ""),
    ("port", "6379"),
    ("rdbcompression", "yes"),
    ("rdbchecksum", "yes"),
    ("save", ""),
    ("set-max-intset-entries", "512"),
    ("slowlog-log-slower-than", "10000"),
    ("slowlog-max-len", "128"),
    ("stream-node-max-bytes", "4096"),
    ("stream-node-max-entries", "100"),
    ("timeout", "0"),
    ("zset-max-listpack-entries", "128"),
    ("zset-max-listpack-value", "64"),
    ("zset-max-ziplist-entries", "128"),
    ("zset-max-ziplist-value", "64"),
];

impl Default for Config {
    fn default() -> Self {
        Config {
            hz: 10,
            proto_max_bulk_len: 512 * 1024 * 1024,
            maxmemory: 0,
            maxmemory_policy: "noeviction".to_string(),
            maxmemory_samples: 5,
            active_expire_enabled: true,
            extra: KNOWN_CONFIGS.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            limits: crate::types::Limits::default(),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub total_connections_received: u64,
    pub total_commands_processed: u64,
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub expired_keys: u64,
    pub evicted_keys: u64,
}

/// What the key panel shows for one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyOverview {
    pub key: Vec<u8>,
    pub kind: &'static str,
    /// Remaining time to live in ms, if the key has a TTL.
    pub ttl_ms: Option<u64>,
}

#[derive(Clone, Debug)]
pub struct Engine {
    pub(crate) dbs: Vec<Db>,
    pub(crate) config: Config,
    pub(crate) stats: Stats,
    /// The time of the command being executed, in unix µs.
    pub(crate) now_us: u64,
    /// The first time the engine saw, for INFO's uptime.
    pub(crate) start_us: Option<u64>,
    next_client_id: u64,
    pub(crate) connected_clients: u64,
    /// Writes since start (INFO's rdb_changes_since_last_save).
    pub(crate) dirty: u64,
    rng: u64,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    pub fn new() -> Engine {
        Engine {
            dbs: (0..NUM_DBS).map(|_| Db::default()).collect(),
            config: Config::default(),
            stats: Stats::default(),
            now_us: 0,
            start_us: None,
            next_client_id: 1,
            connected_clients: 0,
            dirty: 0,
            rng: 0x2545_f491_4f6c_dd1d,
        }
    }

    pub fn new_client(&mut self) -> Client {
        let id = self.next_client_id;
        self.next_client_id += 1;
        self.connected_clients += 1;
        self.stats.total_connections_received += 1;
        Client { id, db: 0, name: None, close_after_reply: false }
    }

    /// Forgets a client whose connection closed.
    pub fn drop_client(&mut self, _client: &Client) {
        self.connected_clients = self.connected_clients.saturating_sub(1);
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    pub fn proto_max_bulk_len(&self) -> usize {
        self.config.proto_max_bulk_len
    }

    pub fn db(&self, index: usize) -> Option<&Db> {
        self.dbs.get(index)
    }

    /// Runs one command. `now_us` is the caller's clock, in unix microseconds.
    pub fn execute(&mut self, client: &mut Client, argv: Vec<Vec<u8>>, now_us: u64) -> Reply {
        self.set_time(now_us);
        match self.dispatch(client, argv) {
            Ok(reply) => reply,
            Err(e) => Reply::Error(e.to_string()),
        }
    }

    fn dispatch(&mut self, client: &mut Client, argv: Vec<Vec<u8>>) -> Result<Reply, CmdError> {
        let spec = resolve(&argv)?;
        let Some(handler) = spec.handler else {
            return Err(CmdError::WrongArity(spec.full_name()));
        };
        self.stats.total_commands_processed += 1;
        handler(self, client, argv)
    }

    pub(crate) fn set_time(&mut self, now_us: u64) {
        self.now_us = now_us;
        if self.start_us.is_none() {
            self.start_us = Some(now_us);
        }
    }

    /// Engine time of the current command in unix ms.
    #[inline]
    pub(crate) fn now_ms(&self) -> u64 {
        self.now_us / 1000
    }

    pub(crate) fn db_mut(&mut self, index: usize) -> &mut Db {
        // ok: client.db is only ever set through SELECT, which checks the range.
        &mut self.dbs[index]
    }

    /// Looks a key up for reading: expires it if due, counts a hit or a miss, and
    /// marks the access.
    pub(crate) fn lookup_read(&mut self, db: usize, key: &[u8]) -> Option<&Value> {
        let now = self.now_ms();
        let found = self.lookup_quiet(db, key);
        if found {
            self.stats.keyspace_hits += 1;
            let d = self.db_mut(db);
            d.touch(key, now);
            d.get(key)
        } else {
            self.stats.keyspace_misses += 1;
            None
        }
    }

    /// Like [`Engine::lookup_read`] without marking the access (EXISTS, TYPE, TTL, OBJECT).
    pub(crate) fn lookup_read_notouch(&mut self, db: usize, key: &[u8]) -> Option<&Value> {
        if self.lookup_quiet(db, key) {
            self.stats.keyspace_hits += 1;
            self.dbs.get(db).and_then(|d| d.get(key))
        } else {
            self.stats.keyspace_misses += 1;
            None
        }
    }

    /// Records a write.
    #[inline]
    pub(crate) fn dirty(&mut self) {
        self.dirty += 1;
    }

    /// Records a write to `key`: WATCHers of it lose their transaction and clients
    /// blocked on it get a chance to be served.
    #[inline]
    pub(crate) fn signal_key(&mut self, db: usize, key: &[u8]) {
        self.dirty += 1;
        let _ = (db, key);
    }

    /// Encoding thresholds from the current configuration.
    #[inline]
    pub(crate) fn limits(&self) -> crate::types::Limits {
        self.config.limits
    }
}

impl Config {
    /// Recomputes the cached encoding thresholds after CONFIG SET.
    pub(crate) fn refresh_limits(&mut self) {
        let get = |k: &str, d: usize| {
            self.extra.get(k).and_then(|v| v.parse::<i64>().ok()).map_or(d, |v| v.max(0) as usize)
        };
        self.limits = crate::types::Limits {
            hash_entries: get("hash-max-listpack-entries", 128),
            hash_value: get("hash-max-listpack-value", 64),
            zset_entries: get("zset-max-listpack-entries", 128),
            zset_value: get("zset-max-listpack-value", 64),
            set_intset_entries: get("set-max-intset-entries", 512),
        };
    }
}

impl Engine {
    /// An estimate of the bytes the keyspace takes, in the spirit of Redis's
    /// `used_memory`: payload plus per-key overhead.
    pub fn used_memory(&self) -> u64 {
        const BASE: u64 = 860_000;
        let mut total = BASE;
        for d in &self.dbs {
            for (k, e) in d.iter() {
                total += k.len() as u64 + e.value.mem_size() as u64 + 56;
            }
            total += d.expires_len() as u64 * 40;
        }
        total
    }

    /// Looks a key up for writing: expires it if due and marks the access.
    pub(crate) fn lookup_write(&mut self, db: usize, key: &[u8]) -> Option<&mut Value> {
        let now = self.now_ms();
        let found = self.lookup_quiet(db, key);
        if !found {
            return None;
        }
        let d = self.db_mut(db);
        d.touch(key, now);
        d.get_mut(key)
    }

    /// Expires the key if due, then reports whether it exists. No stats, no LRU touch.
    pub(crate) fn lookup_quiet(&mut self, db: usize, key: &[u8]) -> bool {
        let now = self.now_ms();
        let d = self.db_mut(db);
        if d.expire_if_needed(key, now) {
            self.stats.expired_keys += 1;
            return false;
        }
        d.contains(key)
    }

    /// A uniformly random number in `0..n` (n > 0) from the engine's own generator,
    /// so runs are reproducible.
    pub(crate) fn random_below(&mut self, n: usize) -> usize {
        // xorshift64*
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        let r = x.wrapping_mul(0x2545_f491_4f6c_dd1d);
        if n == 0 {
            0
        } else {
            ((u128::from(r) * n as u128) >> 64) as usize
        }
    }

    /// Redis's active expiry cycle (run `hz` times a second): for each database, sample
    /// 20 keys that have a TTL, delete the expired ones, and go again while more than
    /// 10% of a sample had expired. A bound on rounds stands in for Redis's time budget.
    pub fn active_expire_cycle(&mut self, now_us: u64) {
        if !self.config.active_expire_enabled {
            return;
        }
        self.set_time(now_us);
        let now = self.now_ms();
        const SAMPLE: usize = 20;
        const MAX_ROUNDS: usize = 64;
        for db in 0..self.dbs.len() {
            for _ in 0..MAX_ROUNDS {
                let n = self.dbs[db].expires_len();
                if n == 0 {
                    break;
                }
                let sample = SAMPLE.min(n);
                let mut expired = 0;
                for _ in 0..sample {
                    let len = self.dbs[db].expires_len();
                    if len == 0 {
                        break;
                    }
                    let i = self.random_below(len);
                    let due = match self.dbs[db].expire_entry_at(i) {
                        Some((k, at)) if at <= now => Some(k.clone()),
                        _ => None,
                    };
                    if let Some(key) = due {
                        self.dbs[db].remove(&key);
                        self.stats.expired_keys += 1;
                        expired += 1;
                    }
                }
                if expired * 10 <= sample {
                    break;
                }
            }
        }
    }

    /// The keys of `db` with their type and remaining TTL, for the browser's key panel.
    /// Keys already past their deadline are left out.
    pub fn key_overview(&self, db: usize, now_us: u64) -> Vec<KeyOverview> {
        let now = now_us / 1000;
        let Some(d) = self.dbs.get(db) else { return Vec::new() };
        d.iter()
            .filter_map(|(k, e)| {
                let at = d.expire_at(k);
                match at {
                    Some(at) if at <= now => None,
                    _ => Some(KeyOverview {
                        key: k.clone(),
                        kind: e.value.type_name(),
                        ttl_ms: at.map(|at| at - now),
                    }),
                }
            })
            .collect()
    }
}

/// Finds the spec that will run `argv`, with Redis's errors for unknown commands,
/// unknown subcommands and wrong arity.
pub(crate) fn resolve(argv: &[Vec<u8>]) -> Result<&'static CommandSpec, CmdError> {
    let Some(name) = argv.first() else {
        return Err(CmdError::err("empty command"));
    };
    let Some(spec) = table::lookup(name) else {
        return Err(unknown_command(argv));
    };
    if spec.subcommands.is_empty() {
        check_arity(spec, argv.len())?;
        return Ok(spec);
    }
    if argv.len() < 2 {
        return Err(CmdError::WrongArity(spec.name.to_string()));
    }
    let Some(sub) = spec.subcommand(&argv[1]) else {
        return Err(CmdError::Custom(format!(
            "ERR unknown subcommand '{}'. Try {} HELP.",
            printable(&argv[1], 128),
            spec.name.to_ascii_uppercase()
        )));
    };
    check_arity(sub, argv.len())?;
    Ok(sub)
}

fn check_arity(spec: &CommandSpec, argc: usize) -> Result<(), CmdError> {
    let ok = if spec.arity >= 0 {
        argc == spec.arity as usize
    } else {
        argc >= spec.arity.unsigned_abs() as usize
    };
    if ok {
        Ok(())
    } else {
        Err(CmdError::WrongArity(spec.full_name()))
    }
}

fn unknown_command(argv: &[Vec<u8>]) -> CmdError {
    let mut args = String::new();
    for a in argv.iter().skip(1) {
        if args.len() >= 128 {
            break;
        }
        let room = 128 - args.len();
        args.push('\'');
        args.push_str(&printable(a, room));
        args.push_str("' ");
    }
    let name = argv.first().map(|n| printable(n, 128)).unwrap_or_default();
    CmdError::Custom(format!("ERR unknown command '{name}', with args beginning with: {args}"))
}

/// How Redis puts user bytes into an error line: cut at the first NUL (C strings),
/// at most `max` bytes, CR/LF turned into spaces.
pub(crate) fn printable(bytes: &[u8], max: usize) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len()).min(max);
    String::from_utf8_lossy(&bytes[..end]).replace(['\r', '\n'], " ")
}
