//! Client-side caching (CLIENT TRACKING), as Redis 7.0 does it.
//!
//! A tracking client keeps copies of values in its own memory and the server
//! tells it when they go stale:
//! - in the default mode the server remembers which keys each tracking client
//!   read, and on the first change of such a key (a write, an expiry, an
//!   eviction) sends that client an invalidation and forgets the pair;
//! - in BCAST mode the client names key prefixes instead, and is told of every
//!   change to a matching key; those invalidations are gathered and sent once per
//!   batch of commands (Redis sends them before the event loop sleeps, and hosts
//!   call [`Engine::broadcast_invalidations`] at the same point);
//! - OPTIN / OPTOUT track only the reads that follow `CLIENT CACHING yes` /
//!   everything but those that follow `CLIENT CACHING no`; NOLOOP skips keys the
//!   client changed itself.
//!
//! An invalidation goes to the client itself as a RESP3 `invalidate` push, or,
//! with REDIRECT, to another client: as a push if that one speaks RESP3, as a
//! message on `__redis__:invalidate` if it is subscribed in RESP2. A flush
//! invalidates everything with a null. The key table is shared by all databases,
//! as in Redis.

use std::collections::{BTreeMap, BTreeSet};

use crate::db::Map;
use crate::engine::Engine;
use crate::reply::Reply;

/// The Pub/Sub channel RESP2 redirections receive invalidations on.
pub const INVALIDATE_CHANNEL: &[u8] = b"__redis__:invalidate";

/// How one client tracks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Mode {
    /// Client id invalidations go to (0: the client itself).
    pub(crate) redirect: u64,
    pub(crate) bcast: bool,
    pub(crate) optin: bool,
    pub(crate) optout: bool,
    pub(crate) noloop: bool,
    /// CLIENT CACHING yes (OPTIN) or no (OPTOUT) was given for the next command.
    pub(crate) caching: bool,
    /// The redirection's client disconnected.
    pub(crate) broken: bool,
    /// BCAST prefixes ("" for every key).
    pub(crate) prefixes: Vec<Vec<u8>>,
}

/// Keys changed under one BCAST prefix since the last broadcast.
#[derive(Clone, Debug, Default)]
struct Prefix {
    clients: BTreeSet<u64>,
    /// Key → the client that changed it last (0: none, an expiry or eviction).
    changed: BTreeMap<Vec<u8>, u64>,
}

/// The server-wide tracking state.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tracking {
    /// Tracking clients by id.
    pub(crate) clients: BTreeMap<u64, Mode>,
    /// Key → the clients that read it since its last change (default mode).
    table: Map<Vec<u8>, BTreeSet<u64>>,
    /// Rounds in a row the table stayed over `tracking-table-max-keys`.
    over_limit_rounds: usize,
    /// How many (key, client) pairs `table` holds.
    items: usize,
    prefixes: BTreeMap<Vec<u8>, Prefix>,
}

impl Tracking {
    /// True while some client tracks: the only check the command path pays
    /// otherwise.
    #[inline]
    pub(crate) fn active(&self) -> bool {
        !self.clients.is_empty()
    }

    /// INFO's tracking_total_keys, tracking_total_items, tracking_total_prefixes.
    pub(crate) fn totals(&self) -> (usize, usize, usize) {
        (self.table.len(), self.items, self.prefixes.len())
    }

    /// Whether a read by `id` now should be remembered (default mode, and the
    /// OPTIN/OPTOUT choice allows it).
    pub(crate) fn remembers_reads_of(&self, id: u64) -> bool {
        self.clients
            .get(&id)
            .is_some_and(|m| !(m.bcast || (m.optin && !m.caching) || (m.optout && m.caching)))
    }

    pub(crate) fn remember(&mut self, id: u64, key: &[u8]) {
        let ids = self.table.entry(key.to_vec()).or_default();
        if ids.insert(id) {
            self.items += 1;
        }
    }

    /// Starts (or changes) tracking for `id`.
    pub(crate) fn enable(&mut self, id: u64, mut mode: Mode) {
        let old_prefixes = self
            .clients
            .get(&id)
            .map(|m| m.prefixes.clone())
            .unwrap_or_default();
        if mode.bcast {
            let mut prefixes = old_prefixes;
            let wanted = if mode.prefixes.is_empty() {
                vec![Vec::new()]
            } else {
                std::mem::take(&mut mode.prefixes)
            };
            for p in wanted {
                if self
                    .prefixes
                    .entry(p.clone())
                    .or_default()
                    .clients
                    .insert(id)
                {
                    prefixes.push(p);
                }
            }
            mode.prefixes = prefixes;
        }
        self.clients.insert(id, mode);
    }

    /// Stops tracking for `id` (CLIENT TRACKING off, RESET, a disconnection).
    pub(crate) fn disable(&mut self, id: u64) {
        let Some(mode) = self.clients.remove(&id) else {
            return;
        };
        for p in mode.prefixes {
            if let Some(state) = self.prefixes.get_mut(&p) {
                state.clients.remove(&id);
                if state.clients.is_empty() {
                    self.prefixes.remove(&p);
                }
            }
        }
    }

    /// The first of `wanted` that overlaps one of `id`'s prefixes or another
    /// of `wanted`, with Redis's message.
    pub(crate) fn prefix_collision(&self, id: u64, wanted: &[Vec<u8>]) -> Option<String> {
        let overlap = |a: &[u8], b: &[u8]| {
            let n = a.len().min(b.len());
            a[..n] == b[..n]
        };
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let existing = self.clients.get(&id).map_or(&[][..], |m| &m.prefixes[..]);
        for (i, p) in wanted.iter().enumerate() {
            if let Some(old) = existing.iter().find(|old| overlap(old, p)) {
                return Some(format!(
                    "Prefix '{}' overlaps with an existing prefix '{}'. Prefixes for a single client must not overlap.",
                    text(p),
                    text(old)
                ));
            }
            if let Some(other) = wanted[i + 1..].iter().find(|o| overlap(p, o)) {
                return Some(format!(
                    "Prefix '{}' overlaps with another provided prefix '{}'. Prefixes for a single client must not overlap.",
                    text(p),
                    text(other)
                ));
            }
        }
        None
    }
}

impl Engine {
    /// `key` changed (or went away): tell the clients that read it, and note it
    /// for BCAST clients. `by` is the client whose command changed it (0 for an
    /// expiry or eviction).
    pub(crate) fn tracking_invalidate(&mut self, key: &[u8], by: u64) {
        if !self.tracking.prefixes.is_empty() {
            for (prefix, state) in &mut self.tracking.prefixes {
                if key.starts_with(prefix) {
                    state.changed.insert(key.to_vec(), by);
                }
            }
        }
        let Some(ids) = self.tracking.table.swap_remove(key) else {
            return;
        };
        self.tracking.items = self.tracking.items.saturating_sub(ids.len());
        for id in ids {
            let Some(mode) = self.tracking.clients.get(&id) else {
                continue;
            };
            // Keys read before a switch to BCAST are not reported.
            if mode.bcast || (mode.noloop && id == by) {
                continue;
            }
            let keys = Reply::Array(vec![Reply::bulk(key)]);
            self.send_invalidation(id, keys);
        }
    }

    /// Redis's `trackingLimitUsedSlots`: while the key table holds more than
    /// `tracking-table-max-keys` keys (0: no limit), invalidate keys picked at
    /// random, trying harder each time the limit is still not met.
    pub(crate) fn tracking_limit(&mut self) {
        let max = self
            .config
            .extra
            .get("tracking-table-max-keys")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(1_000_000);
        if max == 0 || self.tracking.table.len() <= max {
            self.tracking.over_limit_rounds = 0;
            return;
        }
        let mut effort = 100 * (self.tracking.over_limit_rounds + 1);
        while effort > 0 && !self.tracking.table.is_empty() {
            effort -= 1;
            let i = self.random_below(self.tracking.table.len());
            let Some(key) = self.tracking.table.get_index(i).map(|(k, _)| k.clone()) else {
                break;
            };
            self.tracking_invalidate(&key, 0);
            if self.tracking.table.len() <= max {
                self.tracking.over_limit_rounds = 0;
                return;
            }
        }
        self.tracking.over_limit_rounds += 1;
    }

    /// A flush: every tracking client hears that everything is stale.
    pub(crate) fn tracking_invalidate_all(&mut self) {
        let ids: Vec<u64> = self.tracking.clients.keys().copied().collect();
        for id in ids {
            self.send_invalidation(id, Reply::Nil);
        }
        self.tracking.table.clear();
        self.tracking.items = 0;
    }

    /// Sends BCAST clients the keys changed under their prefixes since the last
    /// call, one message per prefix (without the keys a NOLOOP client changed
    /// itself). Hosts call it after each batch of commands, where Redis's event
    /// loop does before sleeping.
    pub fn broadcast_invalidations(&mut self) {
        if self.tracking.active() {
            self.tracking_limit();
        }
        if self.tracking.prefixes.is_empty() {
            return;
        }
        let mut messages = Vec::new();
        for state in self.tracking.prefixes.values_mut() {
            if state.changed.is_empty() {
                continue;
            }
            let changed = std::mem::take(&mut state.changed);
            for &id in &state.clients {
                let noloop = self.tracking.clients.get(&id).is_some_and(|m| m.noloop);
                let keys: Vec<Reply> = changed
                    .iter()
                    .filter(|(_, by)| !(noloop && **by == id))
                    .map(|(k, _)| Reply::bulk(k.as_slice()))
                    .collect();
                if !keys.is_empty() {
                    messages.push((id, Reply::Array(keys)));
                }
            }
        }
        for (id, keys) in messages {
            self.send_invalidation(id, keys);
        }
    }

    /// Redis's `sendTrackingMessage`: `keys` (an array, or nil for a flush)
    /// to tracking client `id` or its redirection.
    fn send_invalidation(&mut self, id: u64, keys: Reply) {
        let Some(mode) = self.tracking.clients.get_mut(&id) else {
            return;
        };
        let mut to = id;
        if mode.redirect != 0 {
            if !self.clients.contains_key(&mode.redirect) {
                mode.broken = true;
                let redirect = mode.redirect;
                if self.client_resp(id) > 2 {
                    let push = Reply::Push(vec![
                        Reply::bulk("tracking-redir-broken"),
                        Reply::Integer(redirect as i64),
                    ]);
                    self.deliver_push(id, push);
                }
                return;
            }
            to = mode.redirect;
        }
        let message = if self.client_resp(to) > 2 {
            Reply::Push(vec![Reply::bulk("invalidate"), keys])
        } else if to != id && self.pubsub.is_subscribed(to) {
            Reply::Push(vec![
                Reply::bulk("message"),
                Reply::bulk(INVALIDATE_CHANNEL),
                keys,
            ])
        } else {
            // RESP2 has no pushes on a connection that is not subscribed.
            return;
        };
        self.deliver_push(to, message);
    }

    /// A push for `id`: after the reply when `id` is running the command that
    /// caused it, otherwise with the other pushes waiting for it.
    fn deliver_push(&mut self, id: u64, push: Reply) {
        if id == self.current_client {
            self.after_reply.push(push);
        } else {
            self.pubsub.push_to(id, push);
        }
    }
}
