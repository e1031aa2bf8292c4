//! The engine: sixteen databases, server-wide state, clients and the dispatcher.
//!
//! `Engine::execute` is the only way commands get in. It takes one command as a list
//! of binary-safe arguments plus "now" (unix µs) from the caller, looks the command up
//! in the [`table`](crate::table), checks arity there (handlers never count their own
//! arguments), and runs the handler. Nothing in here reads a clock or does I/O.
//!
//! The rest of the engine's methods live beside this file:
//! - `keyspace.rs`: key lookups with lazy expiry, hit/miss counting and write
//!   signals, and the active expiry cycle;
//! - `memory.rs`: `used_memory` and eviction under `maxmemory`;
//! - `serve.rs`: clients blocked by BLPOP and friends: serving them when their
//!   keys get data, timing them out, and handing their replies to the host.

mod keyspace;
mod memory;
mod serve;

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
    /// Commands queued since MULTI; None outside a transaction.
    pub(crate) tx: Option<Vec<Vec<Vec<u8>>>>,
    /// A command failed to queue: EXEC will answer EXECABORT.
    pub(crate) tx_error: bool,
    /// WATCHed keys: (db, key, was it already expired when watched).
    pub(crate) watched: Vec<(usize, Vec<u8>, bool)>,
    /// Running the commands of EXEC: blocking commands must not block.
    pub(crate) in_exec: bool,
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
    /// The peer's IP address, as the host reports it (ROLE and INFO list replicas by it).
    pub(crate) ip: Option<String>,
    /// The port a replica announced with REPLCONF listening-port (0 if none).
    pub(crate) listening_port: i32,
}

impl Client {
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
    pub(crate) watch: crate::blocking::WatchIndex,
    pub(crate) blocked: crate::blocking::BlockedIndex,
    /// Channel and pattern subscriptions, and the pushes waiting for each client.
    pub(crate) pubsub: crate::pubsub::PubSub,
    /// Writes since start (INFO's rdb_changes_since_last_save).
    pub(crate) dirty: u64,
    /// Set by a handler that signalled exactly the keys it changed (SMOVE leaves
    /// an unchanged destination alone), so the dispatcher does not signal all of
    /// the command's keys.
    pub(crate) signalled_exactly: bool,
    rng: u64,
    /// The replication stream (see [`crate::repl`]).
    pub(crate) repl: crate::repl::Replication,
    /// SAVE, BGSAVE, LASTSAVE, SHUTDOWN and the `save` points.
    pub(crate) persistence: crate::persistence::Persistence,
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
            watch: Default::default(),
            blocked: Default::default(),
            pubsub: Default::default(),
            dirty: 0,
            signalled_exactly: false,
            rng: 0x2545_f491_4f6c_dd1d,
            repl: Default::default(),
            persistence: crate::persistence::Persistence {
                last_ok: true,
                ..Default::default()
            },
        }
    }

    pub fn new_client(&mut self) -> Client {
        let id = self.next_client_id;
        self.next_client_id += 1;
        self.connected_clients += 1;
        self.stats.total_connections_received += 1;
        Client {
            id,
            db: 0,
            name: None,
            close_after_reply: false,
            tx: None,
            tx_error: false,
            watched: Vec::new(),
            in_exec: false,
            resp: 2,
            replica: false,
            reply_off: false,
            reply_skip_next: false,
            reply_skip: false,
            master: false,
            ip: None,
            listening_port: 0,
        }
    }

    /// Forgets a client whose connection closed: its watches, any block, its
    /// subscriptions and the pushes it has not been sent yet.
    pub fn drop_client(&mut self, client: &Client) {
        self.connected_clients = self.connected_clients.saturating_sub(1);
        self.watch.unwatch_all(client.id, &client.watched);
        self.blocked.unpark(client.id);
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

    /// Runs one command. `now_us` is the caller's clock, in unix microseconds.
    ///
    /// Blocking commands never block here: they answer as inside MULTI (nil when
    /// there is nothing to pop). Use [`Engine::execute_blocking`] where a client can
    /// wait.
    pub fn execute(&mut self, client: &mut Client, argv: Vec<Vec<u8>>, now_us: u64) -> Reply {
        match self.run(client, argv, now_us, false) {
            Exec::Reply(r) => r,
            Exec::Blocked => Reply::NilArray,
        }
    }

    /// Runs one command for a client that may block (BLPOP and friends). A blocked
    /// client's reply arrives later through [`Engine::take_unblocked`].
    pub fn execute_blocking(
        &mut self,
        client: &mut Client,
        argv: Vec<Vec<u8>>,
        now_us: u64,
    ) -> Exec {
        self.run(client, argv, now_us, true)
    }

    fn run(
        &mut self,
        client: &mut Client,
        argv: Vec<Vec<u8>>,
        now_us: u64,
        may_block: bool,
    ) -> Exec {
        self.set_time(now_us);
        let mut out = self.dispatch(client, argv, may_block);
        if let Exec::Reply(reply) = &out {
            self.stats.count_errors(reply);
        }
        if client.reply_off || client.reply_skip {
            if let Exec::Reply(r) = out {
                out = Exec::Reply(only_pushes(r));
            }
        }
        // Redis's resetClient: a SKIP covers exactly the next command.
        client.reply_skip = std::mem::take(&mut client.reply_skip_next);
        self.serve_ready();
        if self.config.notify_keyspace_events != 0 {
            // `new` events of keys created by serving blocked clients.
            self.flush_created();
        }
        out
    }

    fn dispatch(&mut self, client: &mut Client, argv: Vec<Vec<u8>>, may_block: bool) -> Exec {
        use crate::table::flag;
        let spec = match resolve(&argv) {
            Ok(s) => s,
            Err(e) => {
                if let Some(spec) = spec_for_stats(&argv) {
                    self.stats.count_rejected(spec);
                }
                let exec = spec_name_is(&argv, "exec");
                return Exec::Reply(self.reject(client, exec, e.into_bytes()));
            }
        };
        let exec = spec.parent.is_none() && spec.name == "exec";
        // What a command (or, for EXEC, any command it has queued) may do.
        let may = |f: u32| {
            spec.has_flag(f)
                || (exec
                    && client
                        .tx
                        .as_ref()
                        .is_some_and(|q| q.iter().any(|a| resolve(a).is_ok_and(|s| s.has_flag(f)))))
        };
        if client.tx.is_some() && spec.has_flag(flag::NO_MULTI) {
            let why = b"ERR Command not allowed inside a transaction".to_vec();
            self.stats.count_rejected(spec);
            return Exec::Reply(self.reject(client, exec, why));
        }
        // processCommand's memory check comes before queueing: a write that could
        // grow memory is refused (and spoils the transaction) when over maxmemory.
        // EXEC counts as such a write when it has one queued.
        if self.config.maxmemory > 0 {
            let denyoom = may(flag::DENYOOM);
            if !self.perform_evictions() && denyoom {
                let why = b"OOM command not allowed when used memory > 'maxmemory'.".to_vec();
                self.stats.count_rejected(spec);
                return Exec::Reply(self.reject(client, exec, why));
            }
        }
        // min-replicas-to-write: writes need enough replicas that acknowledged lately.
        if !self.enough_good_replicas() && may(flag::WRITE) {
            let why = b"NOREPLICAS Not enough good replicas to write.".to_vec();
            self.stats.count_rejected(spec);
            return Exec::Reply(self.reject(client, exec, why));
        }
        // A read-only replica takes writes from its master only.
        if self.is_replica()
            && !client.master
            && may(flag::WRITE)
            && self.config_is("replica-read-only", "yes")
        {
            let why = b"READONLY You can't write against a read only replica.".to_vec();
            self.stats.count_rejected(spec);
            return Exec::Reply(self.reject(client, exec, why));
        }
        if client.replica && (may(flag::WRITE) || may(flag::READONLY)) {
            let why = b"ERR Replica can't interact with the keyspace".to_vec();
            self.stats.count_rejected(spec);
            return Exec::Reply(self.reject(client, exec, why));
        }
        if client.resp == 2
            && self.pubsub.is_subscribed(client.id)
            && !allowed_when_subscribed(spec)
        {
            let why = format!(
                "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
                spec.full_name()
            );
            self.stats.count_rejected(spec);
            return Exec::Reply(self.reject(client, exec, why.into_bytes()));
        }
        // A replica whose master is out of reach may be told to serve no stale
        // data: only commands flagged `stale` run (EXEC: if all it queued are).
        if self.is_replica() && self.refuses_stale() {
            let stale_ok = |s: &CommandSpec| s.has_flag(flag::STALE);
            let denied = !stale_ok(spec)
                || (exec
                    && client
                        .tx
                        .as_ref()
                        .is_some_and(|q| q.iter().any(|a| resolve(a).is_ok_and(|s| !stale_ok(s)))));
            if denied {
                let why = b"MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
                    .to_vec();
                self.stats.count_rejected(spec);
                return Exec::Reply(self.reject(client, exec, why));
            }
        }
        if let Some(queue) = client.tx.as_mut() {
            if spec.parent.is_some()
                || !matches!(
                    spec.name,
                    "exec" | "discard" | "multi" | "watch" | "quit" | "reset"
                )
            {
                queue.push(argv);
                return Exec::Reply(Reply::Status("QUEUED".to_string()));
            }
        }
        self.call(spec, client, argv, may_block)
    }

    /// processCommand's `rejectCommand`: the error spoils an open transaction, and a
    /// rejected EXEC aborts (and discards) it, even outside MULTI.
    fn reject(&mut self, client: &mut Client, exec: bool, error: Vec<u8>) -> Reply {
        if client.tx.is_some() {
            client.tx_error = true;
        }
        if !exec {
            return Reply::Error(error);
        }
        crate::cmd::tx::discard_tx(self, client);
        let why = error.strip_prefix(b"ERR ").unwrap_or(&error);
        let mut msg = b"EXECABORT Transaction discarded because of: ".to_vec();
        msg.extend_from_slice(why);
        Reply::Error(msg)
    }

    /// Runs a resolved command (also used by EXEC for each queued command).
    pub(crate) fn call(
        &mut self,
        spec: &'static CommandSpec,
        client: &mut Client,
        argv: Vec<Vec<u8>>,
        may_block: bool,
    ) -> Exec {
        let Some(handler) = spec.handler else {
            return Exec::Reply(Reply::Error(
                CmdError::WrongArity(spec.full_name()).into_bytes(),
            ));
        };
        self.stats.total_commands_processed += 1;
        let maxmemory = self.config.maxmemory > 0;
        let keep = spec
            .has_flag(crate::table::flag::BLOCKING)
            .then(|| argv.clone());
        // Handlers of keyed writes only count the write (`dirty`); signal the keys
        // the table says they touched, so WATCH and blocked clients see it.
        let keyed_write = spec.has_flag(crate::table::flag::WRITE)
            && spec.first_key > 0
            && (!self.watch.is_empty() || !self.blocked.is_empty());
        let written = keyed_write.then(|| {
            (
                self.dirty,
                spec.key_positions(argv.len())
                    .map(|i| argv[i].clone())
                    .collect::<Vec<_>>(),
            )
        });
        let db = client.db;
        let resync = (maxmemory && spec.has_flag(crate::table::flag::WRITE) && spec.first_key > 0)
            .then(|| {
                spec.key_positions(argv.len())
                    .map(|i| argv[i].clone())
                    .collect::<Vec<_>>()
            });
        // Redis's call(): remember how to propagate this command.
        let outer = self
            .repl
            .on()
            .then(|| self.repl.begin(argv.clone(), self.dirty));
        self.signalled_exactly = false;
        let result = handler(self, client, argv);
        if let Some(outer) = outer {
            self.repl.end(outer, spec, client.db, self.dirty);
        }
        if let Some(keys) = resync {
            for k in &keys {
                self.dbs[db].resync(k);
            }
        }
        if let Some((before, keys)) = written {
            if self.dirty != before && !self.signalled_exactly {
                for k in &keys {
                    self.signal_key(db, k);
                }
            }
        }
        let parks = may_block && !client.in_exec;
        match &result {
            Err(CmdError::WouldBlock { .. }) if parks => {}
            Ok(r) => self.stats.count_call(spec, r.is_error()),
            Err(CmdError::WouldBlock { .. }) => self.stats.count_call(spec, false),
            Err(_) => self.stats.count_call(spec, true),
        }
        if self.config.notify_keyspace_events != 0 {
            self.flush_created();
        }
        let exec = match result {
            Ok(r) => Exec::Reply(r),
            Err(CmdError::WouldBlock {
                keys,
                deadline_ms,
                nil_reply,
                rewritten,
            }) => {
                if parks {
                    self.blocked.park(crate::blocking::Parked {
                        client: client.clone(),
                        argv: rewritten.or(keep).unwrap_or_default(),
                        keys,
                        deadline_ms,
                    });
                    Exec::Blocked
                } else {
                    Exec::Reply(nil_reply)
                }
            }
            Err(e) => Exec::Reply(Reply::Error(e.into_bytes())),
        };
        match exec {
            Exec::Reply(r) if self.pubsub.has_pending() => {
                Exec::Reply(self.with_own_pushes(client.id, r))
            }
            other => other,
        }
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
        };
        // CONFIG SET validated it, so only a bad built-in default could fail here.
        self.save_points = self
            .extra
            .get("save")
            .and_then(|text| crate::persistence::parse_save_points(text))
            .unwrap_or_default();
        self.min_replicas = (
            get("min-replicas-to-write", 0) as u64,
            get("min-replicas-max-lag", 10) as u64,
        );
    }
}

/// What CLIENT REPLY OFF (or SKIP) lets through of a reply: its pushes.
fn only_pushes(reply: Reply) -> Reply {
    match reply {
        Reply::Push(_) => reply,
        Reply::Sequence(parts) => Reply::Sequence(
            parts
                .into_iter()
                .filter(|p| matches!(p, Reply::Push(_)))
                .collect(),
        ),
        _ => Reply::nothing(),
    }
}

/// The commands a RESP2 client may send while subscribed.
fn allowed_when_subscribed(spec: &CommandSpec) -> bool {
    spec.parent.is_none()
        && matches!(
            spec.name,
            "ping"
                | "subscribe"
                | "ssubscribe"
                | "unsubscribe"
                | "sunsubscribe"
                | "psubscribe"
                | "punsubscribe"
                | "quit"
                | "reset"
        )
}

fn spec_name_is(argv: &[Vec<u8>], name: &str) -> bool {
    argv.first()
        .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
}

/// Finds the spec that will run `argv`, with Redis's errors for unknown commands,
/// unknown subcommands and wrong arity.
/// The command (or subcommand) a refused request counts against in INFO
/// commandstats: the one named, even with the wrong number of arguments.
fn spec_for_stats(argv: &[Vec<u8>]) -> Option<&'static CommandSpec> {
    let spec = table::lookup(argv.first()?)?;
    if spec.subcommands.is_empty() || argv.len() < 2 {
        return Some(spec);
    }
    spec.subcommand(&argv[1])
}

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
        // COMMAND alone is a command of its own.
        if spec.handler.is_some() {
            check_arity(spec, argv.len())?;
            return Ok(spec);
        }
        return Err(CmdError::WrongArity(spec.name.to_string()));
    }
    if spec.has_flag(crate::table::flag::OWN_SUBCOMMANDS) {
        // In Redis DEBUG is one command (arity -2) that parses its own subcommands,
        // so a bad name and a bad argument count get the same reply
        // (`addReplySubcommandSyntaxError`).
        return spec
            .subcommand(&argv[1])
            .filter(|sub| check_arity(sub, argv.len()).is_ok())
            .ok_or_else(|| {
                CmdError::Custom(format!(
                    "ERR unknown subcommand or wrong number of arguments for '{}'. Try DEBUG HELP.",
                    printable(&argv[1], 128)
                ))
            });
    }
    let Some(sub) = spec.subcommand(&argv[1]) else {
        let mut msg = b"ERR unknown subcommand '".to_vec();
        msg.extend_from_slice(&printable_bytes(&argv[1], 128));
        msg.extend_from_slice(
            format!("'. Try {} HELP.", spec.name.to_ascii_uppercase()).as_bytes(),
        );
        return Err(CmdError::Raw(msg));
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
    let mut args: Vec<u8> = Vec::new();
    for a in argv.iter().skip(1) {
        if args.len() >= 128 {
            break;
        }
        let room = 128 - args.len();
        args.push(b'\'');
        args.extend_from_slice(&printable_bytes(a, room));
        args.extend_from_slice(b"' ");
    }
    let mut msg = b"ERR unknown command '".to_vec();
    msg.extend_from_slice(
        &argv
            .first()
            .map(|n| printable_bytes(n, 128))
            .unwrap_or_default(),
    );
    msg.extend_from_slice(b"', with args beginning with: ");
    msg.extend_from_slice(&args);
    CmdError::Raw(msg)
}

/// How Redis puts user bytes into an error line: cut at the first NUL (C strings),
/// at most `max` bytes, CR/LF turned into spaces. The bytes stay as they are.
pub(crate) fn printable_bytes(bytes: &[u8], max: usize) -> Vec<u8> {
    let end = bytes
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(bytes.len())
        .min(max);
    bytes[..end]
        .iter()
        .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b })
        .collect()
}

/// [`printable_bytes`] as text (invalid UTF-8 replaced), for messages built with `format!`.
pub(crate) fn printable(bytes: &[u8], max: usize) -> String {
    let end = bytes
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(bytes.len())
        .min(max);
    String::from_utf8_lossy(&bytes[..end]).replace(['\r', '\n'], " ")
}
