//! Serving blocked clients (BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK, ...): a
//! write signals its key, `serve_ready` re-runs the parked commands that can
//! now be answered, deadlines on the engine's clock time the rest out, and the
//! replies wait in `take_unblocked` for the host to deliver.

use super::*;

impl Engine {
    /// Ends the wait of blocked client `id` with `reply`: the client is no longer
    /// parked, the call counts in commandstats (Redis counts a blocked command when
    /// it is answered), and the reply queues for [`Engine::take_unblocked`], behind
    /// the pushes that reached the client while it waited (later pushes go out
    /// after it).
    pub(crate) fn unblock(&mut self, id: u64, reply: Reply) {
        if let Some(p) = self.blocked.unpark(id) {
            if let Ok(spec) = resolve(&p.argv) {
                self.stats.count_call(
                    spec,
                    reply.is_error(),
                    p.duration_us,
                    self.config.latency_tracking,
                );
            }
            // Redis logs a blocked command when it is answered, except WAIT.
            if let (Some(args), false) = (&p.slow_args, is_wait(&p.argv)) {
                self.log_if_slow(&p.client, Some(args), p.duration_us);
            }
        }
        let reply = if self.pubsub.has_pending() {
            self.with_own_pushes(id, reply)
        } else {
            reply
        };
        // Invalidations of keys its own command changed follow the reply.
        let reply = if self.after_reply.is_empty() {
            reply
        } else {
            let mut parts = vec![reply];
            parts.append(&mut self.after_reply);
            Reply::Sequence(parts)
        };
        self.blocked.outbox.push((id, reply));
    }

    /// `disconnectAllBlockedClients` (a master turning replica): every blocked
    /// client gets an UNBLOCKED error, and then the host disconnects it (see
    /// [`Engine::take_closing_clients`]). The call counts as a success in
    /// commandstats and the error in errorstats, as in Redis.
    pub(crate) fn disconnect_all_blocked(&mut self) {
        let ids: Vec<u64> = self.blocked.parked.keys().copied().collect();
        for id in ids {
            if let Some(p) = self.blocked.unpark(id) {
                if let Ok(spec) = resolve(&p.argv) {
                    self.stats.count_call(spec, false, p.duration_us, false);
                }
            }
            let reply = Reply::error(
                "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)",
            );
            let reply = if self.pubsub.has_pending() {
                self.with_own_pushes(id, reply)
            } else {
                reply
            };
            self.blocked.outbox.push((id, reply));
            self.repl.close_client(id);
        }
    }

    /// Puts the pushes the client's own command produced for it (a RESP3 client
    /// publishing to a channel it listens to, a keyspace event of its own write)
    /// in front of its reply, where Redis writes them.
    pub(super) fn with_own_pushes(&mut self, id: u64, reply: Reply) -> Reply {
        let mut pushes = self.pubsub.take(id);
        if pushes.is_empty() {
            return reply;
        }
        match reply {
            Reply::Sequence(parts) => pushes.extend(parts),
            other => pushes.push(other),
        }
        Reply::Sequence(pushes)
    }

    /// Serves clients blocked on keys that writes made ready, oldest first.
    pub(crate) fn serve_ready(&mut self) {
        while let Some((db, key)) = self.blocked.next_ready() {
            for id in self.blocked.waiting_on(db, &key) {
                let Some(p) = self.blocked.parked.get(&id).cloned() else {
                    continue;
                };
                let Ok(spec) = resolve(&p.argv) else { continue };
                let Some(handler) = spec.handler else {
                    continue;
                };
                if spec.name == "xreadgroup" {
                    if let Some(err) = self.xreadgroup_gone(db, &key, &p.argv) {
                        self.unblock(id, Reply::error(err));
                        continue;
                    }
                }
                // A key that now holds another type keeps its clients waiting, as in
                // Redis; a type error from elsewhere (BLMOVE's destination) is the reply.
                let expected = match spec.name {
                    "bzpopmin" | "bzpopmax" | "bzmpop" => "zset",
                    "xread" | "xreadgroup" => "stream",
                    _ => "list",
                };
                let key_fits = self
                    .dbs
                    .get(db)
                    .and_then(|d| d.get(&key))
                    .is_some_and(|v| v.type_name() == expected);
                let mut c = p.client.clone();
                // Serving a client is an execution unit of its own: its effects
                // (LPOP for BLPOP, LMOVE for BLMOVE, ...) go out when it ends.
                let outer = self
                    .repl
                    .on()
                    .then(|| self.repl.begin(p.argv.clone(), self.dirty));
                self.repl.serving_blocked = true;
                let caller = std::mem::replace(&mut self.current_client, id);
                let result = handler(self, &mut c, served_on(spec.name, &p.argv, &key));
                self.current_client = caller;
                self.repl.serving_blocked = false;
                if let Some(outer) = outer {
                    self.repl.end(outer, spec, c.db, self.dirty);
                }
                if matches!(result, Err(CmdError::WouldBlock { .. }))
                    || (matches!(result, Err(CmdError::WrongType)) && !key_fits)
                {
                    // Still waiting: anything for it goes out with its other pushes.
                    for push in std::mem::take(&mut self.after_reply) {
                        self.pubsub.push_to(id, push);
                    }
                }
                match result {
                    Err(CmdError::WouldBlock { .. }) => {}
                    Err(CmdError::WrongType) if !key_fits => {}
                    Ok(r) => self.unblock(id, r),
                    Err(e) => self.unblock(id, Reply::Error(e.into_bytes())),
                }
            }
        }
    }

    /// A blocked XREADGROUP whose stream was deleted (or replaced by another type),
    /// or whose group was destroyed, is released with an error.
    fn xreadgroup_gone(&self, db: usize, key: &[u8], argv: &[Vec<u8>]) -> Option<&'static str> {
        let group = argv
            .iter()
            .position(|a| a.eq_ignore_ascii_case(b"group"))
            .and_then(|i| argv.get(i + 1))?;
        match self.dbs.get(db).and_then(|d| d.get(key)) {
            Some(Value::Stream(s)) if s.groups.contains_key(group) => None,
            Some(Value::Stream(_)) => {
                Some("NOGROUP the consumer group this client was blocked on no longer exists")
            }
            _ => Some("UNBLOCKED the stream key no longer exists"),
        }
    }

    /// Wakes the clients blocked on keys of `db` (after FLUSHDB, FLUSHALL, SWAPDB).
    pub(crate) fn signal_blocked_in(&mut self, db: usize) {
        for key in self.blocked.keys_in_db(db) {
            self.blocked.touch(db, &key);
        }
    }

    /// Times out blocked clients whose deadline has passed (call often; the server
    /// does every 10 ms). Their nil replies join [`Engine::take_unblocked`].
    pub fn expire_blocked(&mut self, now_us: u64) {
        if self.paused.pause.is_some() {
            self.set_time(now_us);
            self.check_pause();
        }
        if self.blocked.is_empty() {
            return;
        }
        let now = now_us / 1000;
        let due: Vec<u64> = self
            .blocked
            .parked
            .values()
            .filter(|p| p.deadline_ms.is_some_and(|d| d <= now))
            .map(|p| p.client.id)
            .collect();
        for id in due {
            // WAIT answers with the replicas that acknowledged by then.
            let reply = match self.blocked.parked.get(&id) {
                Some(p) if is_wait(&p.argv) => Reply::Integer(self.acks_since(p.client.woff)),
                _ => Reply::NilArray,
            };
            self.unblock(id, reply);
        }
    }

    /// Releases the clients in WAIT whose replicas have now acknowledged
    /// enough (after a REPLCONF ACK).
    pub(crate) fn serve_waits(&mut self) {
        let ready: Vec<(u64, i64)> = self
            .blocked
            .parked
            .values()
            .filter(|p| is_wait(&p.argv))
            .filter_map(|p| {
                let wanted = p.argv.get(1).and_then(|n| crate::num::parse_i64(n))?;
                let acks = self.acks_since(p.client.woff);
                (acks >= wanted).then_some((p.client.id, acks))
            })
            .collect();
        for (id, acks) in ready {
            self.unblock(id, Reply::Integer(acks));
        }
    }

    /// How many replicas acknowledged at least `offset` (`replicationCountAcksByOffset`).
    pub(crate) fn acks_since(&self, offset: u64) -> i64 {
        self.repl
            .replicas
            .iter()
            .filter(|r| r.ack_offset >= offset)
            .count() as i64
    }

    /// Replies for clients that were blocked and have now been served or timed out,
    /// as (client id, reply).
    pub fn take_unblocked(&mut self) -> Vec<(u64, Reply)> {
        let out = std::mem::take(&mut self.blocked.outbox);
        for (_, reply) in &out {
            self.stats.count_errors(reply);
        }
        out
    }

    /// How many clients are blocked, on keys or by CLIENT PAUSE.
    pub fn blocked_clients(&self) -> usize {
        self.blocked.len() + self.paused.postponed.len()
    }
}

/// A blocked pop is served from the key that became ready, even when an earlier
/// key of its list got data too (`serveClientsBlockedOnListKey`): the parked
/// command, narrowed to that key.
fn served_on(name: &str, argv: &[Vec<u8>], key: &[u8]) -> Vec<Vec<u8>> {
    match name {
        "blpop" | "brpop" | "bzpopmin" | "bzpopmax" if argv.len() > 3 => {
            let (Some(cmd), Some(timeout)) = (argv.first(), argv.last()) else {
                return argv.to_vec();
            };
            vec![cmd.clone(), key.to_vec(), timeout.clone()]
        }
        "blmpop" | "bzmpop" => {
            let numkeys = argv
                .get(2)
                .and_then(|n| crate::num::parse_i64(n))
                .and_then(|n| usize::try_from(n).ok());
            match numkeys {
                Some(n) if n > 1 && argv.len() > 3 + n => {
                    let mut out = vec![
                        argv[0].clone(),
                        argv[1].clone(),
                        b"1".to_vec(),
                        key.to_vec(),
                    ];
                    out.extend_from_slice(&argv[3 + n..]);
                    out
                }
                _ => argv.to_vec(),
            }
        }
        _ => argv.to_vec(),
    }
}

/// A parked WAIT (its reply is a count of replicas, not a nil).
fn is_wait(argv: &[Vec<u8>]) -> bool {
    argv.first()
        .is_some_and(|n| n.eq_ignore_ascii_case(b"wait"))
}
