//! The dispatcher: `Engine::execute` and `execute_blocking`, the checks every command
//! passes before its handler runs (lookup and arity in the command table, MULTI
//! queueing, subscribed mode, replica and maxmemory refusals), the call itself with
//! its bookkeeping, and the error texts for unknown commands.

use super::{Client, Engine, Exec};
use crate::error::CmdError;
use crate::reply::Reply;
use crate::slowlog::{Args, Origin};
use crate::table::{self, CommandSpec};

impl Engine {
    /// Runs one command. `now_us` is the caller's clock, in unix microseconds.
    ///
    /// Blocking commands never block here: they answer as inside MULTI (nil when
    /// there is nothing to pop). Use [`Engine::execute_blocking`] where a client can
    /// wait.
    pub fn execute(&mut self, client: &mut Client, argv: Vec<Vec<u8>>, now_us: u64) -> Reply {
        match self.run(client, argv, now_us, false) {
            Exec::Reply(r) => r,
            // Without a host to wait, nothing blocks or is postponed.
            Exec::Blocked | Exec::Postponed(_) => Reply::NilArray,
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
        self.slept_us = 0;
        if self.is_killed(client.id) {
            // CLIENT KILL closed this connection: nothing it sent is run.
            client.close_after_reply = true;
            return Exec::Reply(Reply::nothing());
        }
        if client.unwatch_pending {
            client.unwatch_pending = false;
            crate::cmd::tx::unwatch_all(self, client);
        }
        if self.tracking.active() {
            self.tracking_limit();
        }
        let mut out = self.dispatch(client, argv, may_block);
        self.repl.send_pending_getack();
        if self.tracking.active() && client.tx.is_none() {
            // CLIENT CACHING covers the next command only (CLIENT commands
            // in between keep it, as Redis resets it after any other).
            let kept = matches!(client.last_cmd, Some((Some("client"), _)));
            if let (false, Some(mode)) = (kept, self.tracking.clients.get_mut(&client.id)) {
                mode.caching = false;
            }
        }
        self.refresh_client(client);
        if let Exec::Reply(reply) = &out {
            // A script's error that a command inside it already counted
            // is not counted again (Redis's ERR_REPLY_FLAG_NO_STATS_UPDATE).
            if !std::mem::take(&mut self.error_counted) {
                self.stats.count_errors(reply);
            }
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
                let known = spec_for_stats(&argv);
                client.last_cmd = known.map(|s| (s.parent, s.name));
                if let Some(spec) = known {
                    self.stats.count_rejected(spec);
                }
                let exec = spec_name_is(&argv, "exec");
                return Exec::Reply(self.reject(client, exec, e.into_bytes()));
            }
        };
        client.last_cmd = Some((spec.parent, spec.name));
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
        // CLIENT PAUSE holds commands back here, after the checks that answer
        // at once (a wrong arity is still an error) and before MULTI queues.
        if self.paused.pause.is_some() && may_block {
            let queued = exec
                && client
                    .tx
                    .as_deref()
                    .is_some_and(Engine::queue_may_replicate);
            if self.postpones(client, spec, queued) {
                self.paused.postponed.push(client.id);
                return Exec::Postponed(argv);
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
        crate::cmd::tx::exec_abort(&error)
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
        // the table says they may change, so WATCH and blocked clients see it.
        let keyed_write = spec.has_flag(crate::table::flag::WRITE)
            && spec.first_key > 0
            && (!self.watch.is_empty() || !self.blocked.is_empty() || self.tracking.active());
        let written = keyed_write.then(|| (self.dirty, written_keys(spec, &argv)));
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
        let offset_before = self.repl.offset();
        self.signalled_exactly = false;
        // MONITOR shows the arguments as the client sent them.
        // Scripts show themselves before the commands they run (see cmd/scripting/mod.rs).
        let monitored = (!self.monitors.is_empty()
            && !spec.has_flag(crate::table::flag::ADMIN | crate::table::flag::SKIP_MONITOR))
        .then(|| argv.clone());
        // A tracking client's reads are remembered, so their changes reach it.
        let read_by_tracker = (self.tracking.active()
            && spec.has_flag(crate::table::flag::READONLY)
            && !spec.has_flag(crate::table::flag::PUBSUB)
            && self.tracking.remembers_reads_of(client.id))
        .then(|| argv.clone());
        // The slow log copies the arguments before the handler takes them apart.
        // A fast command (O(1) or O(log N)) takes a millisecond only when the
        // host stalls, so under such thresholds its copy is skipped (it is
        // most of what timing costs); should one still come out slow, its
        // entry names the command and counts its arguments.
        // Without a stopwatch only DEBUG SLEEP takes time, so only it (or a
        // threshold of 0) needs the copy.
        // CONFIG SET may change the threshold it is then judged by (Redis
        // decides after the command), so it is always a candidate.
        let slower_than = self.config.slowlog_slower_than;
        let config_set = spec.name == "set" && spec.parent == Some("config");
        let slow =
            (slower_than >= 0 || config_set) && !spec.has_flag(crate::table::flag::SKIP_SLOWLOG);
        let copied = slow
            && (slower_than == 0
                || config_set
                || match self.stopwatch {
                    None => spec.parent == Some("debug"),
                    Some(_) => {
                        slower_than < COPY_FAST_COMMANDS_BELOW_US
                            || !spec.has_flag(crate::table::flag::FAST)
                    }
                });
        if copied {
            self.slowlog.scratch.fill(&argv, config_set);
        }
        let argc = argv.len();
        let slept_before = std::mem::take(&mut self.slept_us);
        let started = self.stopwatch_start(client.in_exec);
        let caller = std::mem::replace(&mut self.current_client, client.id);
        let result = handler(self, client, argv);
        let duration_us = self
            .stopwatch_stop(started, client.in_exec)
            .saturating_add(self.slept_us);
        // A DEBUG SLEEP inside EXEC also counts in the EXEC's time.
        self.slept_us = self.slept_us.saturating_add(slept_before);
        if let Some(outer) = outer {
            self.repl.end(outer, spec, client.db, self.dirty);
        }
        if self.repl.offset() != offset_before {
            client.woff = self.repl.offset();
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
        self.current_client = caller;
        if let Some(args) = read_by_tracker {
            for (i, _) in table::keys_of(spec, &args) {
                if let Some(key) = args.get(i) {
                    self.tracking.remember(client.id, key);
                }
            }
        }
        let parks = may_block && !client.in_exec;
        let parked = parks && matches!(result, Err(CmdError::WouldBlock { .. }));
        let track = self.config.latency_tracking;
        match &result {
            Err(CmdError::WouldBlock { .. }) if parks => {}
            Ok(r) => self
                .stats
                .count_call(spec, r.is_error(), duration_us, track),
            Err(CmdError::WouldBlock { .. }) => {
                self.stats.count_call(spec, false, duration_us, track);
            }
            Err(_) => self.stats.count_call(spec, true, duration_us, track),
        }
        if self.config.latency_threshold_ms > 0 {
            let event = if spec.has_flag(crate::table::flag::FAST) {
                "fast-command"
            } else {
                "command"
            };
            self.latency_sample(event, duration_us / 1000);
        }
        // A blocked command is logged when it is answered (see `unblock`).
        let uncopied = || Args::named(spec, argc);
        let slow_args = match (slow, copied, parked) {
            (false, _, _) => None,
            (true, true, true) => Some(Box::new(self.slowlog.scratch.clone())),
            (true, false, true) => Some(Box::new(uncopied())),
            (true, true, false) => {
                self.log_if_slow(client, None, duration_us);
                None
            }
            (true, false, false) => {
                if self
                    .slowlog
                    .is_slow(self.config.slowlog_slower_than, duration_us)
                {
                    self.log_if_slow(client, Some(&uncopied()), duration_us);
                }
                None
            }
        };
        if self.config.notify_keyspace_events != 0 {
            self.flush_created();
        }
        if let Some(argv) = monitored {
            self.feed_monitors(client, &argv);
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
                        duration_us,
                        slow_args,
                    });
                    Exec::Blocked
                } else {
                    Exec::Reply(nil_reply)
                }
            }
            Err(e) => Exec::Reply(Reply::Error(e.into_bytes())),
        };
        let exec = match exec {
            Exec::Reply(r) if self.pubsub.has_pending() => {
                Exec::Reply(self.with_own_pushes(client.id, r))
            }
            other => other,
        };
        // A monitor's line about its own command, and the invalidations of keys
        // it just changed, follow the reply (of the whole EXEC, inside one).
        if client.in_exec || self.after_reply.is_empty() {
            return exec;
        }
        let after = std::mem::take(&mut self.after_reply);
        match exec {
            Exec::Reply(r) => {
                let mut parts = Vec::with_capacity(after.len() + 1);
                parts.push(r);
                parts.extend(after);
                Exec::Reply(Reply::Sequence(parts))
            }
            other => {
                for push in after {
                    self.pubsub.push_to(client.id, push);
                }
                other
            }
        }
    }

    /// Feeds the monitors a command's line before it runs (EVAL, whose
    /// commands follow it).
    pub(crate) fn feed_monitors_now(&mut self, client: &Client, argv: &[Vec<u8>]) {
        if !self.monitors.is_empty() {
            self.feed_monitors(client, argv);
        }
    }

    /// Sends every MONITOR client the line for a command `client` ran: the time,
    /// the db and address (`lua` for a script's), and the arguments quoted. The caller's own line, when
    /// it is itself a monitor, waits in `after_reply`.
    fn feed_monitors(&mut self, client: &Client, argv: &[Vec<u8>]) {
        // A script's commands come from "lua", as in Redis.
        let addr = if client.in_script {
            "lua".to_string()
        } else {
            self.clients
                .get(&client.id)
                .map_or_else(|| "127.0.0.1:0".to_string(), |r| r.addr().to_string())
        };
        let mut line = format!(
            "{}.{:06} [{} {addr}]",
            self.now_us / 1_000_000,
            self.now_us % 1_000_000,
            client.db
        );
        for arg in argv {
            line.push(' ');
            line.push_str(&crate::cli::repr(arg));
        }
        let line = Reply::Status(line);
        for &m in &self.monitors {
            if m == client.id {
                self.after_reply.push(line.clone());
            } else {
                self.pubsub.push_to(m, line.clone());
            }
        }
    }
}

/// Below this slow-log threshold (µs) even fast commands are copied.
const COPY_FAST_COMMANDS_BELOW_US: i64 = 1000;

impl Engine {
    /// Adds the command to the slow log if it ran long enough: the one that
    /// just ran (its arguments are in the slow log's scratch copy), or a
    /// blocked one being answered.
    #[inline]
    pub(crate) fn log_if_slow(&mut self, client: &Client, args: Option<&Args>, duration_us: u64) {
        let slow = self
            .slowlog
            .is_slow(self.config.slowlog_slower_than, duration_us);
        if slow || self.slowlog.len() > self.config.slowlog_max_len {
            self.log_slow(client, args, duration_us, slow);
        }
    }

    #[cold]
    fn log_slow(&mut self, client: &Client, args: Option<&Args>, duration_us: u64, slow: bool) {
        if slow {
            let origin = Origin {
                time: self.now_us / 1_000_000,
                peer: self
                    .clients
                    .get(&client.id)
                    .map_or_else(|| "127.0.0.1:0".to_string(), |r| r.addr().to_string()),
                name: client.name.clone().unwrap_or_default(),
            };
            let args = args.unwrap_or(&self.slowlog.scratch).to_vec();
            self.slowlog.push(args, duration_us, origin);
        }
        self.slowlog.trim(self.config.slowlog_max_len);
    }

    /// The stopwatch reading a command starts at. Inside a host's batch (see
    /// [`Engine::begin_batch`]) that is where the previous command ended, so
    /// back-to-back commands cost one reading each. A command inside EXEC
    /// reads its own.
    fn stopwatch_start(&mut self, nested: bool) -> Option<u64> {
        let now = self.stopwatch?;
        if nested || !self.batch.open {
            return Some(now());
        }
        Some(self.batch.mark.take().unwrap_or_else(now))
    }

    /// Microseconds since `started`; in a batch the reading also starts the
    /// next command.
    fn stopwatch_stop(&mut self, started: Option<u64>, nested: bool) -> u64 {
        let (Some(now), Some(t0)) = (self.stopwatch, started) else {
            return 0;
        };
        let t1 = now();
        if self.batch.open && !nested {
            self.batch.mark = Some(t1);
        }
        t1.saturating_sub(t0)
    }
}

/// The keys a write command may change: its key arguments except those its key
/// specs only read (SUNIONSTORE's and COPY's sources), which Redis never signals
/// as modified.
fn written_keys(spec: &CommandSpec, argv: &[Vec<u8>]) -> Vec<Vec<u8>> {
    use crate::table::key::{OW, RM, RO, RW};
    table::keys_of(spec, argv)
        .into_iter()
        .filter(|&(_, flags)| flags & RO == 0 || flags & (RW | OW | RM) != 0)
        .filter_map(|(i, _)| argv.get(i).cloned())
        .collect()
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
