//! The clients the engine knows, for CLIENT LIST and CLIENT INFO.
//!
//! A [`Client`] belongs to its connection, so the engine keeps a record of each
//! one: where it connects from (as the host tells it), when it connected, and a
//! copy of what the list shows (db, name, last command, MULTI queue), refreshed
//! after each of its commands.
//!
//! The fields are Redis 7.0's `CLIENT LIST` line, in its order. The buffer and
//! memory fields describe Redis's own query and output buffers; the engine has
//! none, so `qbuf` is the size of the request being run (as RESP, where Redis
//! still holds it; 0 for other clients), `qbuf-free`, `rbs`, `rbp`, `obl`, `oll`
//! and `omem` are 0, and
//! `argv-mem`, `multi-mem` and `tot-mem` count the argument bytes the engine holds
//! (the running command's, and those queued by MULTI).

use std::collections::{BTreeMap, BTreeSet};

use super::{Client, Engine};

/// Where a client connects from and to, as the host reports it.
#[derive(Clone, Debug)]
pub struct ConnInfo {
    /// `ip:port` of the peer.
    pub addr: String,
    /// `ip:port` of the local end.
    pub laddr: String,
    /// The socket's file descriptor, or -1 (Redis's value for a client without one).
    pub fd: i64,
}

impl Default for ConnInfo {
    fn default() -> ConnInfo {
        ConnInfo {
            addr: "127.0.0.1:0".to_string(),
            laddr: "127.0.0.1:6379".to_string(),
            fd: -1,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct ClientRecord {
    conn: ConnInfo,
    /// Engine time of the connection and of the last command; None until the
    /// engine has seen a time (a client created before any command).
    created_ms: Option<u64>,
    last_ms: Option<u64>,
    /// (container, name) of the last command, e.g. (Some("client"), "list").
    last_cmd: Option<(Option<&'static str>, &'static str)>,
    name: Option<Vec<u8>>,
    db: usize,
    /// Commands queued by MULTI, or -1 outside a transaction.
    multi: i64,
    multi_mem: usize,
    resp: u8,
    master: bool,
    replica: bool,
    monitor: bool,
    no_evict: bool,
}

impl ClientRecord {
    /// `ip:port` of the peer.
    pub(crate) fn addr(&self) -> &str {
        &self.conn.addr
    }

    /// Takes what the list shows from `client`, as of `now_ms`.
    fn copy_from(&mut self, client: &Client, now_ms: u64) {
        self.created_ms.get_or_insert(now_ms);
        self.last_ms = Some(now_ms);
        self.last_cmd = client.last_cmd;
        self.db = client.db;
        self.resp = client.resp;
        self.master = client.master;
        self.replica = client.replica;
        self.monitor = client.monitor;
        self.no_evict = client.no_evict;
        match &client.tx {
            Some(queue) => {
                // Redis's mstate.argv_len_sums: the bytes, plus a pointer per argument.
                // A queue only grows until EXEC or DISCARD, so count just what
                // was added since the last look (all of it for a new transaction).
                let seen = usize::try_from(self.multi).unwrap_or(0);
                let (from, base) = if seen <= queue.len() {
                    (seen, self.multi_mem)
                } else {
                    (0, 0)
                };
                let new = queue.get(from..).unwrap_or_default();
                let added: usize = new.iter().flatten().map(|a| a.len() + 8).sum();
                self.multi = queue.len() as i64;
                self.multi_mem = base + added;
            }
            None => {
                self.multi = -1;
                self.multi_mem = 0;
            }
        }
        if self.name != client.name {
            self.name.clone_from(&client.name);
        }
    }
}

/// Every connected client's record, by id (so in connection order).
pub(crate) type Registry = BTreeMap<u64, ClientRecord>;

/// Clients that CLIENT KILL disconnected while their connections are still open.
#[derive(Clone, Debug, Default)]
pub(crate) struct Killed {
    /// Not yet handed to the host ([`Engine::take_killed_clients`]).
    pub(crate) pending: Vec<u64>,
    /// Killed and not yet dropped by their host: their commands are refused.
    pub(crate) gone: BTreeSet<u64>,
}

/// Which clients CLIENT KILL disconnects: every filter given must match.
#[derive(Clone, Debug, Default)]
pub(crate) struct KillFilter {
    pub(crate) addr: Option<Vec<u8>>,
    pub(crate) laddr: Option<Vec<u8>>,
    pub(crate) kind: Option<ClientType>,
    pub(crate) id: Option<u64>,
    /// Leave the caller alone (the new form's default).
    pub(crate) skip_me: bool,
}

/// `CLIENT LIST TYPE <type>`'s names (Redis's getClientTypeByName).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ClientType {
    Normal,
    Replica,
    Pubsub,
    Master,
}

impl ClientType {
    pub(crate) fn from_name(name: &[u8]) -> Option<ClientType> {
        let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
        if is("normal") {
            Some(ClientType::Normal)
        } else if is("slave") || is("replica") {
            Some(ClientType::Replica)
        } else if is("pubsub") {
            Some(ClientType::Pubsub)
        } else if is("master") {
            Some(ClientType::Master)
        } else {
            None
        }
    }
}

impl Engine {
    /// Records where client `client` connects from (shown by CLIENT LIST and
    /// CLIENT INFO). Hosts without sockets may leave the defaults.
    pub fn set_client_conn(&mut self, client: &Client, conn: ConnInfo) {
        if let Some(r) = self.clients.get_mut(&client.id) {
            r.conn = conn;
        }
    }

    pub(crate) fn register_client(&mut self, id: u64) {
        let now = (self.now_us > 0).then(|| self.now_ms());
        self.clients.insert(
            id,
            ClientRecord {
                created_ms: now,
                last_ms: now,
                multi: -1,
                resp: 2,
                ..ClientRecord::default()
            },
        );
    }

    /// CLIENT KILL: disconnects every client `filter` matches, in connection
    /// order, and returns how many. Another client goes at once, as Redis's
    /// `freeClient` does: out of CLIENT LIST and the client count, unblocked,
    /// unsubscribed; its host closes the connection (see
    /// [`Engine::take_killed_clients`]). The caller itself is closed after
    /// this reply.
    pub(crate) fn kill_clients(&mut self, me: &mut Client, filter: &KillFilter) -> usize {
        let matches = |id: u64, r: &ClientRecord| {
            filter
                .addr
                .as_ref()
                .is_none_or(|a| a == r.conn.addr.as_bytes())
                && filter
                    .laddr
                    .as_ref()
                    .is_none_or(|a| a == r.conn.laddr.as_bytes())
                && filter.kind.is_none_or(|k| self.client_type(id, r) == k)
                && filter.id.is_none_or(|want| want == id)
                && !(filter.skip_me && id == me.id)
        };
        let victims: Vec<u64> = self
            .clients
            .iter()
            .filter(|(id, r)| matches(**id, r))
            .map(|(id, _)| *id)
            .collect();
        for &id in &victims {
            if id == me.id {
                me.close_after_reply = true;
            } else {
                self.kill_client(id);
            }
        }
        victims.len()
    }

    fn kill_client(&mut self, id: u64) {
        if self.clients.remove(&id).is_none() {
            return;
        }
        self.connected_clients = self.connected_clients.saturating_sub(1);
        self.blocked.unpark(id);
        self.pubsub.remove_client(id, true);
        self.monitors.retain(|&m| m != id);
        self.tracking.disable(id);
        self.detach_replica_id(id);
        self.killed.pending.push(id);
        self.killed.gone.insert(id);
    }

    /// True if client `id` is connected (CLIENT TRACKING's REDIRECT check).
    pub(crate) fn client_exists(&self, id: i64) -> bool {
        u64::try_from(id).is_ok_and(|id| self.clients.contains_key(&id))
    }

    /// The protocol client `id` speaks (2 if unknown).
    pub(crate) fn client_resp(&self, id: u64) -> u8 {
        self.clients.get(&id).map_or(2, |r| r.resp)
    }

    /// True for a client CLIENT KILL disconnected: whatever it sends now is
    /// not run.
    pub(crate) fn is_killed(&self, id: u64) -> bool {
        !self.killed.gone.is_empty() && self.killed.gone.contains(&id)
    }

    /// The clients CLIENT KILL disconnected since the last call. Their hosts
    /// close their connections (redis-cli then reports "Server closed the
    /// connection") and drop them with [`Engine::drop_client`].
    pub fn take_killed_clients(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.killed.pending)
    }

    /// Copies what CLIENT LIST shows of `client` after one of its commands.
    pub(crate) fn refresh_client(&mut self, client: &Client) {
        let now = self.now_ms();
        if let Some(r) = self.clients.get_mut(&client.id) {
            r.copy_from(client, now);
        }
    }

    fn client_type(&self, id: u64, r: &ClientRecord) -> ClientType {
        if r.master {
            ClientType::Master
        } else if r.replica {
            ClientType::Replica
        } else if self.pubsub.is_subscribed(id) {
            ClientType::Pubsub
        } else {
            ClientType::Normal
        }
    }

    /// The `CLIENT LIST` lines (each ending in `\n`) of the clients `ids` in that
    /// order (unknown ids skipped), or of every client of type `only`. The caller
    /// `me` is shown as it is now, running `argv`: its arguments count in
    /// `argv-mem`, and the request they came in (as RESP) in `qbuf`, which is
    /// where Redis still holds it while the command runs.
    pub(crate) fn client_lines(
        &self,
        me: &Client,
        argv: &[Vec<u8>],
        ids: Option<&[u64]>,
        only: Option<ClientType>,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let argv_mem: usize = argv.iter().map(Vec::len).sum();
        let digits = |n: usize| n.to_string().len();
        let qbuf = 1
            + digits(argv.len())
            + 2
            + argv
                .iter()
                .map(|a| 1 + digits(a.len()) + 2 + a.len() + 2)
                .sum::<usize>();
        let mut line = |id: u64, r: &ClientRecord| {
            // The caller as it is now: its record is refreshed after the command.
            let mine;
            let (r, running) = if id == me.id {
                let mut now = r.clone();
                now.copy_from(me, self.now_ms());
                mine = now;
                (&mine, (argv_mem, qbuf))
            } else {
                (r, (0, 0))
            };
            if only.is_some_and(|t| self.client_type(id, r) != t) {
                return;
            }
            self.client_line(&mut out, id, r, running);
            out.push(b'\n');
        };
        match ids {
            Some(ids) => {
                for &id in ids {
                    if let Some(r) = self.clients.get(&id) {
                        line(id, r);
                    }
                }
            }
            None => {
                for (&id, r) in &self.clients {
                    line(id, r);
                }
            }
        }
        out
    }

    /// One client's fields, as Redis 7.0's catClientInfoString writes them.
    /// One client's line; `(argv_mem, qbuf)` describe the command it is running.
    fn client_line(
        &self,
        out: &mut Vec<u8>,
        id: u64,
        r: &ClientRecord,
        (argv_mem, qbuf): (usize, usize),
    ) {
        let now = self.now_ms();
        let secs = |since: Option<u64>| since.map_or(0, |t| now.saturating_sub(t) / 1000);
        let mut flags = String::new();
        if r.monitor {
            flags.push('O');
        } else if r.replica {
            flags.push('S');
        }
        if r.master {
            flags.push('M');
        }
        if self.pubsub.is_subscribed(id) {
            flags.push('P');
        }
        if r.multi >= 0 {
            flags.push('x');
        }
        if self.blocked.parked.contains_key(&id) || self.paused.postponed.contains(&id) {
            flags.push('b');
        }
        let tracking = self.tracking.clients.get(&id);
        if let Some(mode) = tracking {
            flags.push('t');
            if mode.broken {
                flags.push('R');
            }
            if mode.bcast {
                flags.push('B');
            }
        }
        if r.no_evict {
            flags.push('e');
        }
        if flags.is_empty() {
            flags.push('N');
        }
        let (sub, psub, ssub) = self.pubsub.counts(id);
        let cmd = match r.last_cmd {
            Some((Some(parent), name)) => format!("{parent}|{name}"),
            Some((None, name)) => name.to_string(),
            None => "NULL".to_string(),
        };
        let text = format!(
            "id={id} addr={} laddr={} fd={} name=",
            r.conn.addr, r.conn.laddr, r.conn.fd
        );
        out.extend_from_slice(text.as_bytes());
        if let Some(name) = &r.name {
            out.extend_from_slice(name);
        }
        let text = format!(
            " age={} idle={} flags={flags} db={} sub={sub} psub={psub} ssub={ssub} multi={} \
             qbuf={qbuf} qbuf-free=0 argv-mem={argv_mem} multi-mem={} rbs=0 rbp=0 obl=0 oll=0 omem=0 \
             tot-mem={} events=r cmd={cmd} user=default redir={} resp={}",
            secs(r.created_ms),
            secs(r.last_ms),
            r.db,
            r.multi,
            r.multi_mem,
            argv_mem + r.multi_mem,
            tracking.map_or(-1, |m| m.redirect as i64),
            r.resp
        );
        out.extend_from_slice(text.as_bytes());
    }
}
