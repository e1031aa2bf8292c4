//! The replica side of replication: REPLICAOF (and SLAVEOF), ROLE, the state of
//! the link to the master, and the master client that applies its stream.
//!
//! REPLICAOF host port makes the engine a replica the way Redis 7.0's
//! `replicationSetMaster` does: clients blocked on keys are released with an
//! UNBLOCKED error (and disconnected), the engine stops feeding its own
//! replicas (what runs from then on, even the rest of an EXEC, is not
//! propagated), and the link starts in the `connect` state. The engine does no
//! I/O, so the host (cachelab-server) makes the connection: it watches
//! [`Engine::master_target`], reports each step with
//! [`Engine::set_master_link_state`] and [`Engine::begin_master_sync`], hands
//! the snapshot to [`Engine::load_master_snapshot`] and every command of the
//! stream to [`Engine::execute_from_master`], and sends the master what
//! [`Engine::take_master_reply`] and [`Engine::master_ack`] give. Every call
//! carries the epoch of the target it was made for; once the master changed,
//! calls for an older epoch are refused, so a link that lost the race can do
//! no harm.
//!
//! While a replica:
//! - writes from clients are refused with READONLY (`replica-read-only`), and
//!   while the link is down, commands without the `stale` flag get MASTERDOWN
//!   (`replica-serve-stale-data no`); inside MULTI, EXEC re-checks both;
//! - commands from the master run as the master client: no replies, no
//!   READONLY, keys never expire under it, and its offset counts the bytes
//!   applied; the same bytes are relayed to this engine's own replicas;
//! - keys are not expired by the replica itself (no active expiry; a lookup by
//!   a client reports an expired key as missing without deleting it), and
//!   maxmemory does not evict (`replica-ignore-maxmemory`).
//!
//! REPLICAOF NO ONE turns the engine back into a master with a new
//! replication ID (the old one becomes the secondary ID), and lets its
//! replicas go so they resynchronize.

use crate::cmd::{is, range_long};
use crate::engine::{Client, Engine, NUM_DBS};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;

/// The state of the link to the master, as ROLE names it (Redis's
/// `repl_state`, with the handshake states folded into one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// Waiting to (re)connect (`REPL_STATE_CONNECT`).
    Connect,
    /// The TCP connection is being made.
    Connecting,
    /// Connected: PING, REPLCONF and PSYNC are being exchanged.
    Handshake,
    /// The master's snapshot is arriving (`REPL_STATE_TRANSFER`).
    Sync,
    /// The snapshot is loaded and the stream flows.
    Connected,
}

impl LinkState {
    /// The word ROLE shows.
    pub fn name(self) -> &'static str {
        match self {
            LinkState::Connect => "connect",
            LinkState::Connecting => "connecting",
            LinkState::Handshake => "handshake",
            LinkState::Sync => "sync",
            LinkState::Connected => "connected",
        }
    }
}

/// The master a host should connect to, for [`Engine::master_target`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MasterTarget {
    pub host: String,
    pub port: u16,
    /// Identifies this target in the link calls.
    pub epoch: u64,
}

/// Why a link call was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MasterLinkError {
    /// The master changed (or the engine is a master again): drop this link.
    Obsolete,
    /// The snapshot did not load; the dataset is empty and the link must start
    /// over, as after a failed transfer in Redis.
    Snapshot(String),
}

/// The link to the master (Redis's `masterhost`, `masterport`, `repl_state`,
/// `server.master`).
#[derive(Clone, Debug)]
pub(crate) struct MasterLink {
    /// As REPLICAOF gave it, up to the first NUL (a C string in Redis).
    pub(crate) host: Vec<u8>,
    pub(crate) port: u16,
    pub(crate) state: LinkState,
    /// The master client, while the link is up.
    pub(crate) client: Option<Client>,
    /// Unix ms of the last data from the master.
    pub(crate) last_io_ms: u64,
    /// Unix ms the link went down, if it was ever up.
    pub(crate) down_since_ms: Option<u64>,
    /// FULLRESYNC's replication ID and offset, until the snapshot is loaded.
    sync: (Option<String>, Option<u64>),
    /// The snapshot's size (0 when the master sends it up to an EOF mark, -1
    /// until its header arrived) and the bytes read so far, while it arrives.
    pub(crate) transfer: (i64, u64),
    /// Stream bytes of a transaction the master client has open: they count
    /// (and are relayed) once its EXEC has run, as in Redis.
    pending: Vec<u8>,
    /// REPLCONF ACKs to send to the master.
    reply: Vec<u8>,
}

impl MasterLink {
    fn new(host: Vec<u8>, port: u16) -> MasterLink {
        MasterLink {
            host,
            port,
            state: LinkState::Connect,
            client: None,
            last_io_ms: 0,
            down_since_ms: None,
            sync: (None, None),
            transfer: (0, 0),
            pending: Vec::new(),
            reply: Vec::new(),
        }
    }

    pub(crate) fn host_text(&self) -> String {
        String::from_utf8_lossy(&self.host).into_owned()
    }
}

/// `REPLCONF ACK <offset>` as a RESP array.
fn ack_command(offset: u64) -> Vec<u8> {
    let offset = offset.to_string();
    let mut out = Vec::new();
    out.extend_from_slice(b"*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$");
    out.extend_from_slice(offset.len().to_string().as_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(offset.as_bytes());
    out.extend_from_slice(b"\r\n");
    out
}

/// REPLICAOF host port | REPLICAOF NO ONE (and SLAVEOF): `replicaofCommand`.
pub fn replicaof(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if is(&argv[1], "no") && is(&argv[2], "one") {
        if e.repl.master.is_some() {
            e.unset_master();
        }
        return Ok(Reply::ok());
    }
    if c.replica {
        // It would have to be let go together with the other replicas.
        return Err(CmdError::err(
            "Command is not valid when client is a replica.",
        ));
    }
    let port = range_long(&argv[2], 0, 65535, Some("Invalid master port"))? as u16;
    let host: Vec<u8> = argv[1].iter().copied().take_while(|&b| b != 0).collect();
    if let Some(m) = &e.repl.master {
        if m.host.eq_ignore_ascii_case(&host) && m.port == port {
            return Ok(Reply::Status(
                "OK Already connected to specified master".to_string(),
            ));
        }
    }
    e.set_master(host, port);
    Ok(Reply::ok())
}

/// ROLE: `master`, the offset and the replicas (address, port, acknowledged
/// offset); or `slave`, the master's address and port, the link state and the
/// offset processed (-1 while the link is not up).
pub fn role(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    let Some(m) = &e.repl.master else {
        let replicas = e
            .repl
            .replicas
            .iter()
            .filter_map(|r| {
                Some(Reply::Array(vec![
                    Reply::bulk(r.ip.clone()?),
                    Reply::bulk(r.port.to_string()),
                    Reply::bulk(r.ack_offset.to_string()),
                ]))
            })
            .collect();
        return Ok(Reply::Array(vec![
            Reply::bulk("master"),
            Reply::Integer(e.repl.offset as i64),
            Reply::Array(replicas),
        ]));
    };
    let offset = if m.client.is_some() {
        e.repl.offset as i64
    } else {
        -1
    };
    Ok(Reply::Array(vec![
        Reply::bulk("slave"),
        Reply::bulk(&m.host[..]),
        Reply::Integer(i64::from(m.port)),
        Reply::bulk(m.state.name()),
        Reply::Integer(offset),
    ]))
}

impl Engine {
    /// `replicationSetMaster`.
    fn set_master(&mut self, host: Vec<u8>, port: u16) {
        self.drop_master_link();
        // Clients blocked on a master would wait forever on a replica.
        self.disconnect_all_blocked();
        // The replicas stay: they get this engine's new master's stream once it
        // is connected (after a full sync they are let go and resync).
        self.repl.link_epoch += 1;
        self.repl.master = Some(MasterLink::new(host, port));
        self.repl.refresh();
    }

    /// `replicationUnsetMaster`.
    fn unset_master(&mut self) {
        self.drop_master_link();
        self.repl.master = None;
        self.repl.link_epoch += 1;
        // shiftReplicationId: a new history starts here.
        let replid = self.repl.new_replid();
        self.repl.replid2 = std::mem::replace(&mut self.repl.replid, replid);
        self.repl.second_offset = self.repl.offset as i64 + 1;
        // They must learn of the new ID: let them go, they will resync.
        self.repl.disconnect_replicas();
        // The stream to the next replicas starts with a SELECT.
        self.repl.selected = None;
        self.repl.refresh();
    }

    /// Frees the master client, if the link is up.
    fn drop_master_link(&mut self) {
        if let Some(m) = self.repl.master.as_mut() {
            if m.client.take().is_some() {
                self.connected_clients = self.connected_clients.saturating_sub(1);
            }
            m.pending.clear();
            m.reply.clear();
        }
    }

    /// The link of target `epoch`, if that is still the master.
    fn link(&mut self, epoch: u64) -> Option<&mut MasterLink> {
        if epoch != self.repl.link_epoch {
            return None;
        }
        self.repl.master.as_mut()
    }

    /// The master the host should be connected to, if the engine is a replica.
    pub fn master_target(&self) -> Option<MasterTarget> {
        self.repl.master.as_ref().map(|m| MasterTarget {
            host: m.host_text(),
            port: m.port,
            epoch: self.repl.link_epoch,
        })
    }

    /// Changes whenever the master does (REPLICAOF): a cheap way for the host
    /// to notice that it must look at [`Engine::master_target`] again.
    pub fn master_epoch(&self) -> u64 {
        self.repl.link_epoch
    }

    /// The state of the link to the master, if the engine is a replica.
    pub fn master_link_state(&self) -> Option<LinkState> {
        self.repl.master.as_ref().map(|m| m.state)
    }

    /// The host reports how the link of target `epoch` is doing: connecting,
    /// in the handshake, or down again (`Connect`). A link that goes down frees
    /// the master client (a transaction it had open is forgotten). `Connected`
    /// is only reached through [`Engine::load_master_snapshot`]. Returns false
    /// if the target is obsolete.
    pub fn set_master_link_state(&mut self, epoch: u64, state: LinkState, now_us: u64) -> bool {
        let now_ms = now_us / 1000;
        let Some(link) = self.link(epoch) else {
            return false;
        };
        if state == LinkState::Connected || state == link.state {
            return true;
        }
        let was_up = link.state == LinkState::Connected;
        link.state = state;
        link.transfer = (0, 0);
        if was_up {
            // replicationHandleMasterDisconnection
            link.down_since_ms = Some(now_ms);
            self.drop_master_link();
        }
        true
    }

    /// The master answered PSYNC with `+FULLRESYNC <replid> <offset>` (both
    /// `None` for a master that only knows SYNC): the snapshot comes next.
    /// Returns false if the target is obsolete.
    pub fn begin_master_sync(
        &mut self,
        epoch: u64,
        replid: Option<String>,
        offset: Option<u64>,
        now_us: u64,
    ) -> bool {
        let Some(link) = self.link(epoch) else {
            return false;
        };
        link.state = LinkState::Sync;
        link.sync = (replid, offset);
        link.transfer = (-1, 0);
        link.last_io_ms = now_us / 1000;
        true
    }

    /// How much of the snapshot has arrived, of `size` bytes (0 when it ends
    /// with an EOF mark, -1 before its header): INFO's `master_sync_*` lines.
    /// Returns false if the target is obsolete.
    pub fn master_sync_progress(&mut self, epoch: u64, size: i64, read: u64, now_us: u64) -> bool {
        let Some(link) = self.link(epoch) else {
            return false;
        };
        link.transfer = (size, read);
        link.last_io_ms = now_us / 1000;
        true
    }

    /// Replaces the dataset with the master's snapshot (`readSyncBulkPayload`):
    /// this engine's replicas are let go (they must resync from the new data),
    /// every database is emptied and the snapshot loaded, keeping keys past
    /// their deadline for the master to delete. The link is then up: the
    /// master client is created in the database the stream continues in, and
    /// the engine takes the master's replication ID and offset.
    pub fn load_master_snapshot(
        &mut self,
        epoch: u64,
        rdb: &[u8],
        now_us: u64,
    ) -> Result<(), MasterLinkError> {
        if self.link(epoch).is_none() {
            return Err(MasterLinkError::Obsolete);
        }
        self.set_time(now_us);
        self.drop_master_link();
        self.repl.disconnect_replicas();
        // emptyData: transactions watching existing keys fail, waiters re-check.
        for db in 0..NUM_DBS {
            self.signal_blocked_in(db);
            for key in self.watch.keys_in_db(db) {
                if self.dbs.get(db).is_some_and(|d| d.contains(&key)) {
                    self.watch.touch(db, &key);
                }
            }
        }
        for d in &mut self.dbs {
            d.clear();
        }
        let loaded = crate::rdb::keyspace::load_from_master(self, rdb, now_us / 1000);
        for db in 0..NUM_DBS {
            self.signal_blocked_in(db);
        }
        let stream_db = match loaded {
            Ok(db) => db,
            Err(err) => {
                if let Some(link) = self.link(epoch) {
                    link.state = LinkState::Connect;
                    link.transfer = (0, 0);
                }
                return Err(MasterLinkError::Snapshot(err.to_string()));
            }
        };
        let mut client = self.new_client();
        // The link to the master is no incoming connection.
        self.stats.total_connections_received =
            self.stats.total_connections_received.saturating_sub(1);
        client.master = true;
        client.db = stream_db;
        let Some(link) = self.link(epoch) else {
            return Err(MasterLinkError::Obsolete);
        };
        let (replid, offset) = std::mem::take(&mut link.sync);
        link.client = Some(client);
        link.state = LinkState::Connected;
        link.down_since_ms = None;
        link.last_io_ms = now_us / 1000;
        link.transfer = (0, 0);
        link.pending.clear();
        link.reply.clear();
        let replid = match replid {
            Some(id) => id,
            None => self.repl.new_replid(),
        };
        self.repl.replid = replid;
        self.repl.offset = offset.unwrap_or(0);
        self.repl.replid2 = "0".repeat(40);
        self.repl.second_offset = -1;
        self.serve_ready();
        Ok(())
    }

    /// Runs one command of the master's stream as the master client. `raw` is
    /// the command's bytes as received: they advance the offset and are relayed
    /// to this engine's own replicas. The command's reply is dropped. Returns
    /// false if the target is obsolete or the link is not up.
    pub fn execute_from_master(
        &mut self,
        epoch: u64,
        argv: Vec<Vec<u8>>,
        raw: &[u8],
        now_us: u64,
    ) -> bool {
        let Some(link) = self.link(epoch) else {
            return false;
        };
        let Some(mut client) = link.client.take() else {
            return false;
        };
        link.last_io_ms = now_us / 1000;
        if !argv.is_empty() {
            // The reply goes nowhere; errors still count, as in Redis.
            self.repl.applying_master = true;
            self.execute(&mut client, argv, now_us);
            self.repl.applying_master = false;
        }
        // processCommandAndResetClient: the offset moves once a transaction is
        // complete, and only then are its bytes relayed.
        let Some(link) = self.link(epoch) else {
            // The master changed under its own command; its client goes.
            self.connected_clients = self.connected_clients.saturating_sub(1);
            return false;
        };
        link.pending.extend_from_slice(raw);
        let bytes = if client.in_multi() {
            Vec::new()
        } else {
            std::mem::take(&mut link.pending)
        };
        link.client = Some(client);
        self.repl.relay(&bytes);
        true
    }

    /// GETACK: a connected replica answers its master with REPLCONF ACK and
    /// the offset processed before this command.
    pub(crate) fn queue_master_ack(&mut self) {
        let offset = self.repl.offset;
        if let Some(link) = self.repl.master.as_mut() {
            if link.state == LinkState::Connected {
                link.reply.extend_from_slice(&ack_command(offset));
            }
        }
    }

    /// What the replica must send its master now (answers to REPLCONF GETACK),
    /// if anything. `None` if the target is obsolete.
    pub fn take_master_reply(&mut self, epoch: u64) -> Option<Vec<u8>> {
        self.link(epoch).map(|l| std::mem::take(&mut l.reply))
    }

    /// `REPLCONF ACK <offset>`, which a replica sends its master every second
    /// (and right after loading the snapshot), while the link is up.
    pub fn master_ack(&mut self, epoch: u64) -> Option<Vec<u8>> {
        let offset = self.repl.offset;
        let link = self.link(epoch)?;
        link.client.as_ref()?;
        Some(ack_command(offset))
    }

    /// True while the engine is a replica.
    #[inline]
    pub(crate) fn is_replica(&self) -> bool {
        self.repl.master.is_some()
    }

    /// The engine is a replica whose link to the master is not up, and
    /// `replica-serve-stale-data` is `no`: commands without the `stale` flag
    /// are refused.
    pub(crate) fn refuses_stale(&self) -> bool {
        self.repl
            .master
            .as_ref()
            .is_some_and(|m| m.state != LinkState::Connected)
            && self.config_is("replica-serve-stale-data", "no")
    }

    /// True if the stored setting `name` has the value `value`.
    pub(crate) fn config_is(&self, name: &str, value: &str) -> bool {
        self.config.extra.get(name).is_some_and(|v| v == value)
    }
}
