//! The engine: sixteen databases, server-wide state, clients and the dispatcher.
//!
//! `Engine::execute` is the only way commands get in. It takes one command as a list
//! of binary-safe arguments plus "now" (unix µs) from the caller, looks the command up
//! in the [`table`](crate::table), checks arity there (handlers never count their own
//! arguments), and runs the handler. Nothing in here reads a clock or does I/O.
//!
//! The rest of the engine's methods live beside this file:
//! - `dispatch.rs`: `execute` itself, the checks before a handler runs, and the call;
//! - `keyspace.rs`: key lookups with lazy expiry, hit/miss counting and write
//!   signals, and the active expiry cycle;
//! - `memory.rs`: `used_memory` and eviction under `maxmemory`;
//! - `serve.rs`: clients blocked by BLPOP and friends: serving them when their
//!   keys get data, timing them out, and handing their replies to the host.

mod clients;
mod dispatch;
mod keyspace;
mod memory;
mod pause;
mod serve;

pub use clients::ConnInfo;
pub(crate) use clients::{ClientType, KillFilter};
pub(crate) use dispatch::{printable, printable_bytes, resolve};

use crate::db::Db;
use crate::error::CmdError;
use crate::reply::Reply;
use crate::value::Value;

pub const NUM_DBS: usize = 16;

/// One connection's state: its db, name and (later) transaction state.
#[derive(Clone, Debug)]
pub struct Client {
    pub id: u64,
    pub db: usize,
    pub name: Option<Vec<u8>>,
    pub(crate) close_after_reply: bool,
    /// Commands queued since MULTI; None outside a transaction.
    pub(crate) tx: Option<Vec<Vec<Vec<u8>>>>,
    /// A command failed to queue: EXEC will answer EXECABORT.
    pub(crate) tx_error: bool,
    /// WATCHed keys: (db, key, was it already expired when watched).
    pub(crate) watched: Vec<(usize, Vec<u8>, bool)>,
    /// EXEC was refused while a script was busy: the transaction is gone,
    /// and its WATCHes go before the client's next command.
    pub(crate) unwatch_pending: bool,
    /// Running the commands of EXEC: blocking commands must not block.
    pub(crate) in_exec: bool,
    /// The client a Lua script runs its commands as.
    pub(crate) in_script: bool,
    /// The protocol chosen with HELLO: 2 (RESP2, the default) or 3.
    pub(crate) resp: u8,
    /// This connection is a replica (after SYNC): it gets the replication stream
    /// instead of replies.
    pub(crate) replica: bool,
    /// CLIENT REPLY OFF: replies are dropped (pushes still go out).
    pub(crate) reply_off: bool,
    /// CLIENT REPLY SKIP was the last command: drop the next command's reply.
    pub(crate) reply_skip_next: bool,
    /// Dropping the reply of the command being run (after CLIENT REPLY SKIP).
    pub(crate) reply_skip: bool,
    /// This is the master client of a replica: the link its master's replication
    /// stream arrives on. It may write to a read-only replica and gets no replies.
    pub(crate) master: bool,
    /// After MONITOR: every command the server runs is sent to it.
    pub(crate) monitor: bool,
    /// The replication offset right after the last of its commands that
    /// propagated something: what WAIT waits for replicas to acknowledge.
    pub(crate) woff: u64,
    /// CLIENT NO-EVICT on.
    pub(crate) no_evict: bool,
    /// The peer's IP address, as the host reports it (ROLE and INFO list replicas by it).
    pub(crate) ip: Option<String>,
    /// The port a replica announced with REPLCONF listening-port (0 if none).
    pub(crate) listening_port: i32,
    /// (container, name) of the last command looked up, for CLIENT LIST's `cmd=`.
    pub(crate) last_cmd: Option<(Option<&'static str>, &'static str)>,
}

impl Client {
    /// True after MONITOR (until RESET): the server sends it a line per command.
    pub fn is_monitor(&self) -> bool {
        self.monitor
    }

    /// True after QUIT: the caller sends the reply, then closes the connection.
    pub fn should_close(&self) -> bool {
        self.close_after_reply
    }

    /// The RESP version to encode this client's replies in (2 or 3; see HELLO).
    pub fn protocol(&self) -> u8 {
        self.resp
    }

    /// True inside MULTI (redis-cli shows `(TX)` in the prompt).
    pub fn in_multi(&self) -> bool {
        self.tx.is_some()
    }

    /// True once SYNC made this connection a replica: the host sends it the
    /// replication stream and none of its replies.
    pub fn is_replica(&self) -> bool {
        self.replica
    }

    /// Records the peer's IP address (ROLE and INFO replication show replicas by it).
    pub fn set_peer_ip(&mut self, ip: impl Into<String>) {
        self.ip = Some(ip.into());
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
    /// `notify-keyspace-events` as flags (see [`crate::notify`]); 0 is off.
    pub notify_keyspace_events: u32,
    /// Parameters the engine accepts and reports but does not act on (persistence,
    /// encodings it does not model yet, ...), with Redis's defaults.
    pub extra: std::collections::BTreeMap<&'static str, String>,
    pub(crate) limits: crate::types::Limits,
    /// min-replicas-to-write and min-replicas-max-lag (seconds), cached from
    /// `extra` because every write checks them.
    pub(crate) min_replicas: (u64, u64),
    /// The `save` points as (seconds, changes), cached from `extra` for the cron.
    pub(crate) save_points: Vec<(u64, u64)>,
    /// `lfu-log-factor` and `lfu-decay-time` while an LFU maxmemory policy is
    /// selected: every key access then bumps the key's logarithmic counter.
    pub(crate) lfu: Option<crate::lfu::Lfu>,
    /// `slowlog-log-slower-than` (µs; negative turns the log off) and
    /// `slowlog-max-len`, cached from `extra` because every command checks them.
    pub(crate) slowlog_slower_than: i64,
    pub(crate) slowlog_max_len: usize,
    /// `latency-monitor-threshold` (ms; 0 is off), `latency-tracking` and
    /// `latency-tracking-info-percentiles`.
    pub(crate) latency_threshold_ms: u64,
    pub(crate) latency_tracking: bool,
    pub(crate) latency_percentiles: Vec<f64>,
}

impl Default for Config {
    fn default() -> Self {
        let mut config = Config {
            hz: 10,
            proto_max_bulk_len: 512 * 1024 * 1024,
            maxmemory: 0,
            maxmemory_policy: "noeviction".to_string(),
            maxmemory_samples: 5,
            active_expire_enabled: true,
            notify_keyspace_events: 0,
            extra: crate::cmd::config::stored_defaults()
                .map(|(k, v)| (k, v.to_string()))
                .collect(),
            limits: crate::types::Limits::default(),
            min_replicas: (0, 10),
            save_points: Vec::new(),
            lfu: None,
            slowlog_slower_than: 10_000,
            slowlog_max_len: 128,
            latency_threshold_ms: 0,
            latency_tracking: true,
            latency_percentiles: Vec::new(),
        };
        // The thresholds come from the defaults above, so CONFIG GET and the
        // encodings can never disagree.
        config.refresh_limits();
        config
    }
}

pub use crate::stats::Stats;

/// The outcome of [`Engine::execute_blocking`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exec {
    Reply(Reply),
    /// The client waits; its reply will come from [`Engine::take_unblocked`].
    Blocked,
    /// CLIENT PAUSE holds the command back: send these arguments again once
    /// [`Engine::take_resumed`] names the client.
    Postponed(Vec<Vec<u8>>),
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
    /// What CLIENT LIST shows of each connected client.
    pub(crate) clients: clients::Registry,
    /// Clients CLIENT KILL disconnected whose connections are still open.
    pub(crate) killed: clients::Killed,
    /// Clients in MONITOR mode, in the order they entered it.
    pub(crate) monitors: Vec<u64>,
    /// Client-side caching: who tracks, and the keys they read.
    pub(crate) tracking: crate::tracking::Tracking,
    /// The client whose command is running (0 between commands).
    pub(crate) current_client: u64,
    /// Pushes for the running client that follow its reply (its own invalidations).
    pub(crate) after_reply: Vec<Reply>,
    pub(crate) watch: crate::blocking::WatchIndex,
    pub(crate) blocked: crate::blocking::BlockedIndex,
    /// Channel and pattern subscriptions, and the pushes waiting for each client.
    pub(crate) pubsub: crate::pubsub::PubSub,
    /// Writes since start (INFO's rdb_changes_since_last_save).
    pub(crate) dirty: u64,
    /// `dirty` when INFO last recounted every key's memory (see `memory.rs`).
    memory_counted_at: Option<u64>,
    /// Set by a handler that signalled exactly the keys it changed (SMOVE leaves
    /// an unchanged destination alone), so the dispatcher does not signal all of
    /// the command's keys.
    pub(crate) signalled_exactly: bool,
    rng: u64,
    /// The replication stream (see [`crate::repl`]).
    pub(crate) repl: crate::repl::Replication,
    /// SAVE, BGSAVE, LASTSAVE, SHUTDOWN and the `save` points.
    pub(crate) persistence: crate::persistence::Persistence,
    /// The host's clock for how long commands run (see [`crate::slowlog`]).
    pub(crate) stopwatch: Option<crate::slowlog::Stopwatch>,
    /// Who hears of a script that runs past `busy-reply-threshold` (a server
    /// that keeps answering its other clients); without one such a script
    /// is stopped.
    pub(crate) script_watcher: Option<std::sync::Arc<dyn crate::cmd::scripting::ScriptWatcher>>,
    pub(crate) slowlog: crate::slowlog::SlowLog,
    /// The latency monitor's event classes (LATENCY LATEST, HISTORY, ...).
    pub(crate) latency: crate::latency::Monitor,
    /// DEBUG SLEEP time asked for by the running command: it counts in the
    /// command's duration, and the host sleeps it (see [`Engine::take_sleep`]).
    pub(crate) slept_us: u64,
    sleep_for_host_us: u64,
    /// A host's run of back-to-back commands (see [`Engine::begin_batch`]).
    pub(crate) batch: Batch,
    /// CLIENT PAUSE and the clients it holds back.
    pub(crate) paused: pause::Paused,
    /// The Lua script cache (EVAL, SCRIPT LOAD).
    pub(crate) scripts: crate::cmd::scripting::Scripts,
    /// The running command's error reply was already counted in the error
    /// stats (a script passing on an error of a command it ran).
    pub(crate) error_counted: bool,
}

/// While a host runs commands back to back, the stopwatch reading that ended
/// one command starts the next.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Batch {
    pub(crate) open: bool,
    pub(crate) mark: Option<u64>,
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
            clients: Default::default(),
            killed: Default::default(),
            monitors: Vec::new(),
            tracking: Default::default(),
            current_client: 0,
            after_reply: Vec::new(),
            watch: Default::default(),
            blocked: Default::default(),
            pubsub: Default::default(),
            dirty: 0,
            memory_counted_at: None,
            signalled_exactly: false,
            rng: 0x2545_f491_4f6c_dd1d,
            repl: Default::default(),
            persistence: crate::persistence::Persistence {
                last_ok: true,
                ..Default::default()
            },
            stopwatch: None,
            script_watcher: None,
            slowlog: Default::default(),
            latency: Default::default(),
            slept_us: 0,
            sleep_for_host_us: 0,
            batch: Batch::default(),
            paused: Default::default(),
            scripts: crate::cmd::scripting::Scripts::new(),
            error_counted: false,
        }
    }

    /// Tells the engine the host is about to run commands back to back (a
    /// pipeline read from one socket), until [`Engine::end_batch`]: each
    /// command is then timed with one stopwatch reading instead of two, and
    /// what the host does between them (writing the previous reply) counts in
    /// the next one's time.
    pub fn begin_batch(&mut self) {
        self.batch = Batch {
            open: true,
            mark: None,
        };
    }

    /// Ends the batch [`Engine::begin_batch`] started: time that passes from
    /// now on (waiting for the network) is nobody's.
    pub fn end_batch(&mut self) {
        self.batch = Batch::default();
    }

    /// Lends the engine a monotonic clock in µs to time commands with (SLOWLOG,
    /// INFO commandstats). Without one, every command takes 0 µs.
    pub fn set_stopwatch(&mut self, stopwatch: crate::slowlog::Stopwatch) {
        self.stopwatch = Some(stopwatch);
    }

    /// Lends the engine a watcher for scripts that run past
    /// `busy-reply-threshold`: they then run on until it says to stop them
    /// (SCRIPT KILL, FUNCTION KILL), as in Redis, instead of being stopped.
    pub fn set_script_watcher(
        &mut self,
        watcher: std::sync::Arc<dyn crate::cmd::scripting::ScriptWatcher>,
    ) {
        self.script_watcher = Some(watcher);
    }

    /// The time DEBUG SLEEP asked the server to stop for since the last call,
    /// in µs. A server sleeps it before serving anyone else, as Redis blocks;
    /// the browser doesn't (the slow log still shows it).
    pub fn take_sleep(&mut self) -> u64 {
        std::mem::take(&mut self.sleep_for_host_us)
    }

    /// A stopwatch reading to time an event with, while the latency monitor
    /// is on (Redis's `latencyStartMonitor`).
    pub(crate) fn latency_start(&self) -> Option<u64> {
        if self.config.latency_threshold_ms == 0 {
            return None;
        }
        self.stopwatch.map(|now| now())
    }

    /// Ends what [`Engine::latency_start`] began: a sample of `event` if it
    /// took the threshold or more.
    pub(crate) fn latency_end(&mut self, event: &str, started: Option<u64>) {
        if let (Some(t0), Some(now)) = (started, self.stopwatch) {
            self.latency_sample(event, now().saturating_sub(t0) / 1000);
        }
    }

    /// Redis's `latencyAddSampleIfNeeded`.
    pub(crate) fn latency_sample(&mut self, event: &str, ms: u64) {
        let threshold = self.config.latency_threshold_ms;
        if threshold > 0 && ms >= threshold {
            self.latency.add(event, ms, self.now_us / 1_000_000);
        }
    }

    /// Records a DEBUG SLEEP of the running command.
    pub(crate) fn sleep(&mut self, us: u64) {
        self.slept_us = self.slept_us.saturating_add(us);
        self.sleep_for_host_us = self.sleep_for_host_us.saturating_add(us);
    }

    pub fn new_client(&mut self) -> Client {
        let id = self.next_client_id;
        self.next_client_id += 1;
        self.connected_clients += 1;
        self.stats.total_connections_received += 1;
        self.register_client(id);
        Client {
            id,
            db: 0,
            name: None,
            close_after_reply: false,
            tx: None,
            tx_error: false,
            watched: Vec::new(),
            in_exec: false,
            in_script: false,
            resp: 2,
            replica: false,
            reply_off: false,
            reply_skip_next: false,
            reply_skip: false,
            master: false,
            monitor: false,
            woff: 0,
            no_evict: false,
            ip: None,
            listening_port: 0,
            unwatch_pending: false,
            last_cmd: None,
        }
    }

    /// Forgets a client whose connection closed: its watches, any block, its
    /// subscriptions and the pushes it has not been sent yet.
    pub fn drop_client(&mut self, client: &Client) {
        // A client CLIENT KILL disconnected was already counted out.
        if self.clients.remove(&client.id).is_some() {
            self.connected_clients = self.connected_clients.saturating_sub(1);
        }
        self.killed.gone.remove(&client.id);
        self.monitors.retain(|&m| m != client.id);
        self.tracking.disable(client.id);
        self.watch.unwatch_all(client.id, &client.watched);
        self.blocked.unpark(client.id);
        self.forget_postponed(client.id);
        self.detach_replica(client);
        self.pubsub.remove_client(client.id, true);
    }

    /// Pub/Sub pushes (messages, from PUBLISH or keyspace notifications) waiting
    /// for the client `id`, oldest first. A client's own pushes come with its
    /// replies instead (see [`Reply::Sequence`]); these are the ones other clients'
    /// commands (or expiry) produced. Shells drain them after running commands.
    pub fn take_pushes(&mut self, id: u64) -> Vec<Reply> {
        self.pubsub.take(id)
    }

    /// Every waiting push, as (client id, push), oldest first per client.
    pub fn take_all_pushes(&mut self) -> Vec<(u64, Reply)> {
        self.pubsub.take_all()
    }

    /// True if some client has pushes waiting.
    pub fn has_pushes(&self) -> bool {
        self.pubsub.has_pending()
    }

    /// True while the client has any channel, pattern or shard subscription
    /// (Redis's "subscribed mode"; in RESP2 only a few commands are allowed).
    pub fn is_subscribed(&self, client: &Client) -> bool {
        self.pubsub.is_subscribed(client.id)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Caps the size of one string (CONFIG SET proto-max-bulk-len without a
    /// command, for hosts with little memory such as a browser tab).
    pub fn set_proto_max_bulk_len(&mut self, bytes: usize) {
        self.config.proto_max_bulk_len = bytes;
    }

    pub fn proto_max_bulk_len(&self) -> usize {
        self.config.proto_max_bulk_len
    }

    pub fn db(&self, index: usize) -> Option<&Db> {
        self.dbs.get(index)
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

    /// Encoding thresholds from the current configuration.
    #[inline]
    pub(crate) fn limits(&self) -> crate::types::Limits {
        self.config.limits
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
}

impl Config {
    /// Recomputes the values cached from `extra` (encoding thresholds, save
    /// points, min-replicas) after CONFIG SET.
    pub(crate) fn refresh_limits(&mut self) {
        let get = |k: &str, d: usize| {
            self.extra
                .get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .map_or(d, |v| v.max(0) as usize)
        };
        self.limits = crate::types::Limits {
            hash_entries: get("hash-max-listpack-entries", 512),
            hash_value: get("hash-max-listpack-value", 64),
            zset_entries: get("zset-max-listpack-entries", 128),
            zset_value: get("zset-max-listpack-value", 64),
            set_intset_entries: get("set-max-intset-entries", 512),
            stream_node_entries: get("stream-node-max-entries", 100),
            stream_node_bytes: get("stream-node-max-bytes", 4096),
            hll_sparse_max_bytes: get(
                "hll-sparse-max-bytes",
                crate::types::hll::DEFAULT_SPARSE_MAX_BYTES,
            ),
        };
        // CONFIG SET validated it, so only a bad built-in default could fail here.
        self.save_points = self
            .extra
            .get("save")
            .and_then(|text| crate::persistence::parse_save_points(text))
            .unwrap_or_default();
        self.lfu = self
            .maxmemory_policy
            .ends_with("-lfu")
            .then(|| crate::lfu::Lfu {
                log_factor: get("lfu-log-factor", 10) as u32,
                decay_minutes: get("lfu-decay-time", 1) as u32,
            });
        self.min_replicas = (
            get("min-replicas-to-write", 0) as u64,
            get("min-replicas-max-lag", 10) as u64,
        );
        self.slowlog_slower_than = self
            .extra
            .get("slowlog-log-slower-than")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(10_000);
        self.slowlog_max_len = get("slowlog-max-len", 128);
        self.latency_threshold_ms = get("latency-monitor-threshold", 0) as u64;
        self.latency_tracking = self
            .extra
            .get("latency-tracking")
            .is_none_or(|v| v == "yes");
        self.latency_percentiles = self
            .extra
            .get("latency-tracking-info-percentiles")
            .and_then(|v| crate::latency::parse_percentiles(v).ok())
            .unwrap_or_default();
    }
}
