//! Replication: the stream of writes a master sends to its replicas, built the way
//! Redis 7.0 builds it.
//!
//! A replica attaches with SYNC (or PSYNC): it gets a snapshot (the dataset as an
//! RDB file carrying the replication ID and offset) and from then on the effects of
//! every command, as RESP multibulk arrays. The engine only builds the stream; the
//! host (cachelab-server) drains it with [`Engine::take_replication_stream`] after
//! each batch and writes it to every replica connection.
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
//! and nothing is recorded. Nor is anything recorded while the engine is itself a
//! replica: it relays its master's stream, byte for byte ([`crate::replica`]).

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

/// An attached replica, as ROLE and INFO replication list it.
#[derive(Clone, Debug)]
pub(crate) struct ReplicaInfo {
    pub(crate) id: u64,
    pub(crate) ip: Option<String>,
    /// The port it announced with REPLCONF listening-port (0 if none).
    pub(crate) port: i32,
    /// The offset it last acknowledged with REPLCONF ACK.
    pub(crate) ack_offset: u64,
    /// The unix second of its last REPLCONF ACK, if any.
    pub(crate) ack_s: Option<u64>,
    /// The unix second it attached (the lag counts from there until it acks).
    pub(crate) since_s: u64,
}

/// The replication state of the engine (Redis's `server.also_propagate`,
/// `server.slaveseldb`, `master_repl_offset`, the replication IDs, and, on a
/// replica, the link to the master).
#[derive(Clone, Debug)]
pub(crate) struct Replication {
    /// The host can stream to replicas (set by cachelab-server; never in the browser).
    accepting: bool,
    /// Attached replicas, in the order they attached.
    pub(crate) replicas: Vec<ReplicaInfo>,
    /// Effects are recorded: replicas are attached and this engine is a master (a
    /// replica relays its master's stream instead; see [`crate::replica`]).
    feeding: bool,
    /// The command running now; `None` outside a command.
    frame: Option<Frame>,
    /// How many commands are running inside each other (EXEC runs its queue).
    depth: usize,
    /// Effects of the execution unit in progress.
    pending: Vec<Effect>,
    /// Stream bytes the host has not taken yet.
    pub(crate) out: Vec<u8>,
    /// The database the replicas have selected; `None` forces a SELECT.
    pub(crate) selected: Option<usize>,
    /// Bytes ever written to the stream (INFO's `master_repl_offset`); on a
    /// replica, the master's offset it has processed.
    pub(crate) offset: u64,
    /// The unix second the replication cron last ran, and how many times it ran.
    cron_second: Option<u64>,
    cron_loops: u64,
    /// A blocked client is being served (BLMOVE then propagates `left`/`right` in
    /// lower case, as Redis's `serveClientBlockedOnList` does).
    pub(crate) serving_blocked: bool,
    /// The replication ID (`server.replid`), the previous one (`replid2`) and
    /// the first offset the current one is valid from (`second_replid_offset`).
    pub(crate) replid: String,
    pub(crate) replid2: String,
    pub(crate) second_offset: i64,
    /// Where new replication IDs come from (apart from the engine's own
    /// generator, so its random sequence stays what it was).
    id_seed: u64,
    /// The master this engine replicates from (REPLICAOF host port).
    pub(crate) master: Option<crate::replica::MasterLink>,
    /// Moves on every change of master (REPLICAOF host port, REPLICAOF NO ONE),
    /// so the host can tell a link it should drop.
    pub(crate) link_epoch: u64,
    /// Clients the host must disconnect: replicas let go and clients unblocked
    /// by a change of role.
    pub(crate) closing: Vec<u64>,
    /// The master client's command is running (keys do not expire under it).
    pub(crate) applying_master: bool,
    /// A WAIT asked the replicas for their offsets (see `request_acks`).
    getack_pending: bool,
}

impl Default for Replication {
    fn default() -> Self {
        let mut r = Replication {
            accepting: false,
            getack_pending: false,
            replicas: Vec::new(),
            feeding: false,
            frame: None,
            depth: 0,
            pending: Vec::new(),
            out: Vec::new(),
            selected: None,
            offset: 0,
            cron_second: None,
            cron_loops: 0,
            serving_blocked: false,
            replid: String::new(),
            replid2: "0".repeat(40),
            second_offset: -1,
            id_seed: 0x9e37_79b9_7f4a_7c15,
            master: None,
            link_epoch: 0,
            closing: Vec::new(),
            applying_master: false,
        };
        r.replid = r.new_replid();
        r
    }
}

impl Replication {
    /// True when effects are being recorded.
    #[inline]
    pub(crate) fn on(&self) -> bool {
        self.feeding
    }

    /// Recomputes [`Replication::on`] after replicas or the role changed.
    pub(crate) fn refresh(&mut self) {
        self.feeding = !self.replicas.is_empty() && self.master.is_none();
        if !self.feeding {
            self.pending.clear();
        }
    }

    pub(crate) fn replicas(&self) -> usize {
        self.replicas.len()
    }

    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// `replicationRequestAckFromSlaves`: asks every replica for its offset
    /// with `REPLCONF GETACK *` (part of the stream, like the pings), sent once
    /// the command has run, so it is not counted as the caller's own write.
    pub(crate) fn request_acks(&mut self) {
        self.getack_pending = self.on();
    }

    /// Sends the GETACK [`Replication::request_acks`] asked for, if any.
    pub(crate) fn send_pending_getack(&mut self) {
        if std::mem::take(&mut self.getack_pending) && self.on() {
            self.feed(None, &[b"REPLCONF".as_slice(), b"GETACK", b"*"]);
        }
    }

    /// A fresh 40-character replication ID.
    pub(crate) fn new_replid(&mut self) -> String {
        let mut id = String::with_capacity(40);
        for _ in 0..40 {
            // splitmix64
            self.id_seed = self.id_seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.id_seed;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            id.push(char::from(b"0123456789abcdef"[(z % 16) as usize]));
        }
        id
    }

    /// `disconnectSlaves`: every replica is let go (the host closes them).
    pub(crate) fn disconnect_replicas(&mut self) {
        let ids: Vec<u64> = self.replicas.drain(..).map(|r| r.id).collect();
        for id in ids {
            self.close_client(id);
        }
        self.refresh();
    }

    /// Asks the host to disconnect client `id`. Only a host with connections
    /// (one that accepts replicas) collects these.
    pub(crate) fn close_client(&mut self, id: u64) {
        if self.accepting {
            self.closing.push(id);
        }
    }

    /// Relays bytes of the master's stream to this replica's own replicas
    /// (`replicationFeedStreamFromMasterStream`): the same bytes, so every
    /// replica down the chain shares the master's offsets.
    pub(crate) fn relay(&mut self, bytes: &[u8]) {
        if !self.replicas.is_empty() {
            self.out.extend_from_slice(bytes);
        }
        self.offset += bytes.len() as u64;
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
            // Nor are scripts: the commands they run are (effects replication).
            let unit = matches!(
                spec.name,
                "exec" | "eval" | "evalsha" | "eval_ro" | "evalsha_ro" | "fcall" | "fcall_ro"
            );
            if !unit && !f.prevent && (dirty != f.dirty_before || f.force) {
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
    full_resync(e, c, false)
}

/// PSYNC replicationid offset: as SYNC, announced by `+FULLRESYNC <replid>
/// <offset>`. There is no backlog, so a partial resynchronization is never
/// possible: every PSYNC gets the whole snapshot.
pub fn psync(e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    full_resync(e, c, true)
}

/// `syncCommand` for a full resynchronization. For PSYNC the reply is a
/// [`Reply::Sequence`] of the `FULLRESYNC` status and the snapshot.
fn full_resync(e: &mut Engine, c: &mut Client, psync: bool) -> CmdResult {
    if c.replica {
        // syncCommand ignores a replica that asks again.
        return Ok(Reply::nothing());
    }
    if !e.repl.accepting {
        return Err(CmdError::err(
            "SYNC needs a network connection to stream to; this engine has no replica support here",
        ));
    }
    // A replica can feed replicas of its own only what it gets from its master.
    if e.repl
        .master
        .as_ref()
        .is_some_and(|m| m.state != crate::replica::LinkState::Connected)
    {
        return Err(CmdError::Custom(
            "NOMASTERLINK Can't SYNC while not connected with my master".to_string(),
        ));
    }
    let now_ms = e.now_ms();
    c.replica = true;
    e.repl.replicas.push(ReplicaInfo {
        id: c.id,
        ip: c.ip.clone(),
        port: c.listening_port,
        ack_offset: 0,
        ack_s: None,
        since_s: now_ms / 1000,
    });
    // The database the stream continues in: a replica relays its master's
    // stream as it is; a master selects again for the new replica
    // (replicationSetupSlaveForFullResync).
    let stream_db = match e.repl.master.as_ref().and_then(|m| m.client.as_ref()) {
        Some(master) => master.db,
        None => {
            let db = e.repl.selected.unwrap_or(0);
            e.repl.selected = None;
            db
        }
    };
    e.repl.refresh();
    let info = crate::rdb::keyspace::ReplInfo {
        stream_db,
        replid: e.repl.replid.clone(),
        offset: e.repl.offset,
    };
    let rdb = crate::rdb::keyspace::save_for_replica(e, now_ms, &info);
    if psync {
        Ok(Reply::Sequence(vec![
            Reply::Status(format!("FULLRESYNC {} {}", info.replid, info.offset)),
            Reply::bulk(rdb),
        ]))
    } else {
        Ok(Reply::bulk(rdb))
    }
}

/// `WAIT numreplicas timeout`: blocks until `numreplicas` replicas acknowledged
/// the caller's last write (or `timeout` ms passed; 0 waits for ever), and
/// answers how many did. Replicas are asked to acknowledge at once.
pub fn wait(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if e.repl.master.is_some() {
        return Err(CmdError::err(
            "WAIT cannot be used with replica instances. Please also note that since Redis 4.0 \
             if a replica is configured to be writable (which is not the default) writes to \
             replicas are just local and are not propagated.",
        ));
    }
    let wanted = crate::cmd::int_arg(&argv[1])?;
    let timeout = crate::cmd::timeout_ms_arg(&argv[2])?;
    let now = e.now_ms();
    let deadline = match timeout {
        0 => None,
        ms if (i64::MAX as u64)
            .checked_sub(now)
            .is_some_and(|room| ms <= room) =>
        {
            Some(now + ms)
        }
        _ => return Err(CmdError::err("timeout is out of range")),
    };
    let acks = e.acks_since(c.woff);
    if acks >= wanted {
        return Ok(Reply::Integer(acks));
    }
    e.repl.request_acks();
    Err(CmdError::WouldBlock {
        keys: Vec::new(),
        deadline_ms: deadline,
        nil_reply: Reply::Integer(acks),
        rewritten: Some(argv),
    })
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
            // Kept in a C int.
            c.listening_port = crate::cmd::int_arg(val)? as i32;
            if let Some(r) = e.repl.replicas.iter_mut().find(|r| r.id == c.id) {
                r.port = c.listening_port;
            }
        } else if opt.eq_ignore_ascii_case(b"ip-address") {
            // NET_HOST_STR_LEN
            if val.len() >= 256 {
                return Err(CmdError::Custom(format!(
                    "ERR REPLCONF ip-address provided by replica instance is too long: {} bytes",
                    val.len()
                )));
            }
            c.ip = Some(crate::engine::printable(val, usize::MAX));
            if let Some(r) = e.repl.replicas.iter_mut().find(|r| r.id == c.id) {
                r.ip = c.ip.clone();
            }
        } else if opt.eq_ignore_ascii_case(b"capa") {
            // Capabilities this master does not know are ignored.
        } else if opt.eq_ignore_ascii_case(b"ack") {
            // Only replicas acknowledge; either way there is no reply.
            if let (true, Some(offset)) = (c.replica, crate::num::parse_i64(val)) {
                let now = e.now_ms() / 1000;
                if let Some(r) = e.repl.replicas.iter_mut().find(|r| r.id == c.id) {
                    // A replica only ever acknowledges further.
                    r.ack_offset = r.ack_offset.max(u64::try_from(offset).unwrap_or(0));
                    r.ack_s = Some(now);
                }
                if !e.blocked.is_empty() {
                    e.serve_waits();
                }
            }
            return Ok(Reply::nothing());
        } else if opt.eq_ignore_ascii_case(b"getack") {
            // A connected replica answers its master with REPLCONF ACK, whoever asked.
            e.queue_master_ack();
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
    /// many replicas that acknowledged within min-replicas-max-lag seconds. A
    /// replica never counts its own replicas.
    #[inline]
    pub(crate) fn enough_good_replicas(&self) -> bool {
        let (min, max_lag) = self.config.min_replicas;
        if min == 0 || max_lag == 0 || self.repl.master.is_some() {
            return true;
        }
        let now = self.now_ms() / 1000;
        let good = self
            .repl
            .replicas
            .iter()
            .filter(|r| r.ack_s.is_some_and(|at| now.saturating_sub(at) <= max_lag))
            .count();
        good as u64 >= min
    }

    /// Forgets a replica whose connection closed.
    pub(crate) fn detach_replica(&mut self, client: &Client) {
        if client.replica {
            self.detach_replica_id(client.id);
        }
    }

    /// Forgets replica `id`, if it is one.
    pub(crate) fn detach_replica_id(&mut self, id: u64) {
        if self.repl.replicas.iter().any(|r| r.id == id) {
            self.repl.replicas.retain(|r| r.id != id);
            self.repl.refresh();
        }
    }

    /// The replication offset: bytes ever written to the replication stream
    /// (INFO's `master_repl_offset`).
    pub fn replication_offset(&self) -> u64 {
        self.repl.offset()
    }

    /// Clients the host must now disconnect, after writing what they have been
    /// sent: replicas let go (REPLICAOF NO ONE, a new master's snapshot) and
    /// clients whose blocking command a change of role ended.
    pub fn take_closing_clients(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.repl.closing)
    }
}
