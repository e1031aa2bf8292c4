//! Replication: the stream of writes a master sends to its replicas, built the way
//! Redis 7.0 builds it.
//!
//! A replica attaches with SYNC: it gets a snapshot ([`Engine::sync_payload`]) and from
//! then on the effects of every command, as RESP multibulk arrays. The engine only
//! builds the stream; the host (cachelab-server) drains it with
//! [`Engine::take_replication_stream`] after each batch and writes it to every
//! replica connection.
//!
//! What goes into the stream follows Redis's `call()`:
//! - a command that changed the dataset (the engine's `dirty` counter moved) is
//!   propagated with its arguments, unless its handler rewrote them (SET EX →
//!   `SET PXAT`, EXPIRE → `PEXPIREAT`, BLPOP → `LPOP`, INCRBYFLOAT → `SET KEEPTTL`...),
//!   prevented it (SPOP with a count, XREADGROUP: they propagate other commands
//!   instead) or forced it (FLUSHALL on an empty keyspace);
//! - handlers add further effects with [`Engine::also_propagate`], and a lazily
//!   expired key adds a `DEL`;
//! - all the effects of one execution unit (a command, a whole EXEC, one served
//!   blocked client) are sent together when it ends, wrapped in MULTI/EXEC when there
//!   is more than one (except for SCAN and RANDOMKEY, and for the DELs of active
//!   expiry and eviction);
//! - a `SELECT` goes first whenever the effect's database is not the one the
//!   replicas last selected (none right after a SYNC).
//!
//! With no replica attached (always, in the browser) every hook is a single branch
//! and nothing is recorded.

use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::table::CommandSpec;

/// One effect to propagate: a command in the context of a database.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Effect {
    db: usize,
    argv: Vec<Vec<u8>>,
}

/// How the command running now is propagated (the client flags and `c->argv` that
/// Redis's `call()` consults afterwards).
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    /// The arguments to propagate if the command changed the dataset.
    argv: Vec<Vec<u8>>,
    /// preventCommandPropagation: the handler propagated other commands instead.
    prevent: bool,
    /// forceCommandPropagation: propagate even if nothing changed.
    force: bool,
    /// The engine's `dirty` counter when the command started.
    dirty_before: u64,
}

/// The replication state of the engine (Redis's `server.also_propagate`,
/// `server.slaveseldb`, `master_repl_offset`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Replication {
    /// The host can stream to replicas (set by cachelab-server; never in the browser).
    accepting: bool,
    /// Attached replicas. Propagation is on while this is non-zero.
    replicas: usize,
    /// The command running now; `None` outside a command.
    frame: Option<Frame>,
    /// How many commands are running inside each other (EXEC runs its queue).
    depth: usize,
    /// Effects of the execution unit in progress.
    pending: Vec<Effect>,
    /// Stream bytes the host has not taken yet.
    out: Vec<u8>,
    /// The database the replicas have selected; `None` forces a SELECT.
    selected: Option<usize>,
    /// Bytes ever written to the stream (INFO's `master_repl_offset`).
    offset: u64,
    /// Replicas that acknowledged the stream (REPLCONF ACK): (client id, unix s).
    acks: Vec<(u64, u64)>,
    /// The unix second the replication cron last ran, and how many times it ran.
    cron_second: Option<u64>,
    cron_loops: u64,
    /// A blocked client is being served (BLMOVE then propagates `left`/`right` in
    /// lower case, as Redis's `serveClientBlockedOnList` does).
    pub(crate) serving_blocked: bool,
}

impl Replication {
    /// True when effects are being recorded.
    #[inline]
    pub(crate) fn on(&self) -> bool {
        self.replicas > 0
    }

    pub(crate) fn replicas(&self) -> usize {
        self.replicas
    }

    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// Starts a command (`call()`): returns the frame of the command it runs inside.
    pub(crate) fn begin(&mut self, argv: Vec<Vec<u8>>, dirty: u64) -> Option<Frame> {
        self.depth += 1;
        self.frame.replace(Frame {
            argv,
            prevent: false,
            force: false,
            dirty_before: dirty,
        })
    }

    /// Ends the command started by the matching [`Replication::begin`]: records it if
    /// it changed the dataset (or was forced), and at the outermost level sends the
    /// whole execution unit.
    pub(crate) fn end(&mut self, outer: Option<Frame>, spec: &CommandSpec, db: usize, dirty: u64) {
        let frame = std::mem::replace(&mut self.frame, outer);
        self.depth = self.depth.saturating_sub(1);
        if let Some(f) = frame {
            // EXEC is never propagated itself: its commands are (see `flush`).
            if spec.name != "exec" && !f.prevent && (dirty != f.dirty_before || f.force) {
                self.pending.push(Effect { db, argv: f.argv });
            }
        }
        if self.depth == 0 {
            // CMD_TOUCHES_ARBITRARY_KEYS: their lazy-expiry DELs are not a transaction.
            let arbitrary = spec.parent.is_none() && matches!(spec.name, "scan" | "randomkey");
            self.flush(!arbitrary);
        }
    }

    /// Adds an effect of the running execution unit (`alsoPropagate`).
    pub(crate) fn push(&mut self, db: usize, argv: Vec<Vec<u8>>) {
        self.pending.push(Effect { db, argv });
    }

    /// Sends the pending effects (`propagatePendingCommands`), in a MULTI/EXEC when
    /// there are several and `transaction` allows it.
    pub(crate) fn flush(&mut self, transaction: bool) {
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        if !self.on() {
            return;
        }
        let wrap = transaction && pending.len() > 1;
        if let (true, Some(first)) = (wrap, pending.first()) {
            self.feed(first.db, &[b"MULTI"]);
        }
        for e in &pending {
            self.feed(e.db, &e.argv);
        }
        if let (true, Some(last)) = (wrap, pending.last()) {
            self.feed(last.db, &[b"EXEC"]);
        }
    }

    /// `replicationFeedSlaves`: SELECT if needed, then the command as a multibulk.
    /// `None` (a PING) is sent in whatever database is selected.
    fn feed<A: AsRef<[u8]>>(&mut self, db: impl Into<Option<usize>>, argv: &[A]) {
        let start = self.out.len();
        let db = db.into();
        if let (Some(db), true) = (db, self.selected != db) {
            let id = db.to_string();
            encode(&mut self.out, &[b"SELECT".as_slice(), id.as_bytes()]);
            self.selected = Some(db);
        }
        encode(&mut self.out, argv);
        self.offset += (self.out.len() - start) as u64;
    }
}

/// Appends `argv` as a RESP multibulk array.
fn encode<A: AsRef<[u8]>>(out: &mut Vec<u8>, argv: &[A]) {
    out.push(b'*');
    out.extend_from_slice(argv.len().to_string().as_bytes());
    out.extend_from_slice(b"\r\n");
    for a in argv {
        let a = a.as_ref();
        out.push(b'$');
        out.extend_from_slice(a.len().to_string().as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
}

/// Builds an argument vector from byte strings.
pub(crate) fn args<const N: usize>(parts: [&[u8]; N]) -> Vec<Vec<u8>> {
    parts.iter().map(|p| p.to_vec()).collect()
}

impl Engine {
    /// Lets clients become replicas with SYNC. Only a host that streams
    /// [`Engine::take_replication_stream`] to them (cachelab-server) calls this.
    pub fn accept_replicas(&mut self) {
        self.repl.accepting = true;
    }

    /// The replication stream written since the last call: RESP commands to send,
    /// in order, to every replica connection.
    pub fn take_replication_stream(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.repl.out)
    }

    /// How many replicas are attached.
    pub fn connected_replicas(&self) -> usize {
        self.repl.replicas()
    }

    /// Redis's `replicationCron` (call it often; it acts once per second): every
    /// `repl-ping-replica-period` seconds the replicas get a PING, which they use
    /// to tell a quiet master from a dead link.
    pub fn replication_cron(&mut self, now_us: u64) {
        let second = now_us / 1_000_000;
        if self.repl.cron_second == Some(second) {
            return;
        }
        self.repl.cron_second = Some(second);
        // Counted from 1: unlike Redis, whose first cron run comes before any
        // client, the host may only start calling once replicas are attached.
        self.repl.cron_loops += 1;
        let period = self
            .config
            .extra
            .get("repl-ping-replica-period")
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(10)
            .max(1);
        if self.repl.on() && self.repl.cron_loops.is_multiple_of(period) {
            self.repl.feed(None, &[b"ping"]);
        }
    }

    /// The snapshot a replica receives after SYNC: the whole dataset as an RDB
    /// file (version 10), with expiry times as of `now_ms`.
    pub fn sync_payload(&self, now_ms: u64) -> Vec<u8> {
        crate::rdb::keyspace::save(self, now_ms)
    }

    /// True while replicas are attached, i.e. when handlers should describe their
    /// effects. Check it before building arguments that are only for replicas.
    #[inline]
    pub(crate) fn replicating(&self) -> bool {
        self.repl.on()
    }

    /// `rewriteClientCommandVector`: the running command is propagated as `argv`
    /// (if it changed the dataset).
    #[inline]
    pub(crate) fn propagate_as(&mut self, argv: impl FnOnce() -> Vec<Vec<u8>>) {
        if self.repl.on() {
            if let Some(f) = self.repl.frame.as_mut() {
                f.argv = argv();
            }
        }
    }

    /// `rewriteClientCommandArgument`: edits the arguments the running command will
    /// be propagated with.
    #[inline]
    pub(crate) fn propagate_edit(&mut self, edit: impl FnOnce(&mut Vec<Vec<u8>>)) {
        if self.repl.on() {
            if let Some(f) = self.repl.frame.as_mut() {
                edit(&mut f.argv);
            }
        }
    }

    /// `alsoPropagate`: one more effect of the running command, in database `db`.
    #[inline]
    pub(crate) fn also_propagate(&mut self, db: usize, argv: impl FnOnce() -> Vec<Vec<u8>>) {
        if self.repl.on() {
            self.repl.push(db, argv());
        }
    }

    /// `preventCommandPropagation`: the running command itself is not propagated.
    #[inline]
    pub(crate) fn prevent_propagation(&mut self) {
        if let Some(f) = self.repl.frame.as_mut() {
            f.prevent = true;
        }
    }

    /// `forceCommandPropagation`: the running command is propagated even if it
    /// changed nothing.
    #[inline]
    pub(crate) fn force_propagation(&mut self) {
        if let Some(f) = self.repl.frame.as_mut() {
            f.force = true;
        }
    }

    /// `propagateDeletion`: a key removed by expiry or eviction becomes `DEL` (or
    /// `UNLINK` when the matching lazyfree option is on).
    pub(crate) fn propagate_deletion(&mut self, db: usize, key: &[u8], lazyfree_option: &str) {
        if !self.repl.on() {
            return;
        }
        let lazy = self
            .config
            .extra
            .get(lazyfree_option)
            .is_some_and(|v| v == "yes");
        let name: &[u8] = if lazy { b"UNLINK" } else { b"DEL" };
        self.repl.push(db, args([name, key]));
    }

    /// The DEL or UNLINK a user-requested deletion propagates as
    /// (`lazyfree-lazy-user-del`, `lazyfree-lazy-expire`, ...).
    pub(crate) fn deletion_command(&self, lazyfree_option: &str) -> &'static [u8] {
        if self
            .config
            .extra
            .get(lazyfree_option)
            .is_some_and(|v| v == "yes")
        {
            b"UNLINK"
        } else {
            b"DEL"
        }
    }
}

/// SYNC: the connection becomes a replica. Its reply is the snapshot, which the host
/// sends as `$<len>\r\n<rdb>` (no trailing CRLF); from then on the connection gets
/// the replication stream and no replies.
pub fn sync(e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    if c.replica {
        // syncCommand ignores a replica that asks again.
        return Ok(Reply::nothing());
    }
    if !e.repl.accepting {
        return Err(CmdError::err(
            "SYNC needs a network connection to stream to; this engine has no replica support here",
        ));
    }
    c.replica = true;
    e.repl.replicas += 1;
    // replicationSetupSlaveForFullResync: the next command is preceded by a SELECT.
    e.repl.selected = None;
    let now_ms = e.now_ms();
    Ok(Reply::Bulk(e.sync_payload(now_ms)))
}

/// REPLCONF option value ...: how replicas announce their port, address and
/// capabilities (`replconfCommand`). ACK and GETACK get no reply.
pub fn replconf(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len().is_multiple_of(2) {
        return Err(CmdError::Syntax);
    }
    for pair in argv[1..].chunks_exact(2) {
        let (opt, val) = (&pair[0], &pair[1]);
        if opt.eq_ignore_ascii_case(b"listening-port") {
            crate::cmd::int_arg(val)?;
        } else if opt.eq_ignore_ascii_case(b"ip-address") {
            // NET_HOST_STR_LEN
            if val.len() >= 256 {
                return Err(CmdError::Custom(format!(
                    "ERR REPLCONF ip-address provided by replica instance is too long: {} bytes",
                    val.len()
                )));
            }
        } else if opt.eq_ignore_ascii_case(b"capa") {
            // Capabilities this master does not know are ignored.
        } else if opt.eq_ignore_ascii_case(b"ack") {
            // Only replicas acknowledge; either way there is no reply.
            if c.replica && crate::num::parse_i64(val).is_some() {
                let now = e.now_ms() / 1000;
                match e.repl.acks.iter_mut().find(|(id, _)| *id == c.id) {
                    Some(a) => a.1 = now,
                    None => e.repl.acks.push((c.id, now)),
                }
            }
            return Ok(Reply::nothing());
        } else if opt.eq_ignore_ascii_case(b"getack") {
            // Only a replica answers GETACK (to its master); this never is one.
            return Ok(Reply::nothing());
        } else if opt.eq_ignore_ascii_case(b"rdb-only") {
            crate::cmd::range_long(val, 0, 1, None)?;
        } else if opt.eq_ignore_ascii_case(b"rdb-filter-only") {
            let Ok(filters) = crate::cli::tokenize_bytes(val) else {
                return Err(CmdError::err("Missing rdb-filter-only values"));
            };
            if let Some(f) = filters
                .iter()
                .find(|f| !f.eq_ignore_ascii_case(b"functions"))
            {
                return Err(CmdError::Custom(format!(
                    "ERR Unsupported rdb-filter-only option: {}",
                    crate::engine::printable(f, usize::MAX)
                )));
            }
        } else {
            return Err(CmdError::Custom(format!(
                "ERR Unrecognized REPLCONF option: {}",
                crate::engine::printable(opt, usize::MAX)
            )));
        }
    }
    Ok(Reply::ok())
}

impl Engine {
    /// `checkGoodReplicasStatus`: with min-replicas-to-write set, writes need that
    /// many replicas that acknowledged within min-replicas-max-lag seconds.
    #[inline]
    pub(crate) fn enough_good_replicas(&self) -> bool {
        let (min, max_lag) = self.config.min_replicas;
        if min == 0 || max_lag == 0 {
            return true;
        }
        let now = self.now_ms() / 1000;
        let good = self
            .repl
            .acks
            .iter()
            .filter(|(_, at)| now.saturating_sub(*at) <= max_lag)
            .count();
        good as u64 >= min
    }

    /// Forgets a replica whose connection closed.
    pub(crate) fn detach_replica(&mut self, client: &Client) {
        if client.replica {
            self.repl.acks.retain(|(id, _)| *id != client.id);
            self.repl.replicas = self.repl.replicas.saturating_sub(1);
            if self.repl.replicas == 0 {
                self.repl.pending.clear();
            }
        }
    }
}
