//! Bookkeeping for clients that wait on keys: WATCH (optimistic transactions) and
//! blocking commands (BLPOP and friends).
//!
//! Both hang off [`Engine::signal_key`](crate::engine::Engine), which every write
//! calls: a signalled key invalidates the transactions watching it and queues the
//! clients blocked on it to be served once the current command finishes.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::engine::Client;
use crate::reply::Reply;

/// Who watches which key: key → (db, client id) pairs.
#[derive(Clone, Debug, Default)]
pub struct WatchIndex {
    by_key: HashMap<Vec<u8>, Vec<(usize, u64)>>,
    /// Clients whose transaction can no longer succeed.
    pub(crate) dirty: HashSet<u64>,
}

impl WatchIndex {
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    pub fn watch(&mut self, db: usize, key: &[u8], client: u64) {
        let v = self.by_key.entry(key.to_vec()).or_default();
        if !v.contains(&(db, client)) {
            v.push((db, client));
        }
    }

    pub fn unwatch_all(&mut self, client: u64, keys: &[(usize, Vec<u8>, bool)]) {
        for (db, key, _) in keys {
            if let Some(v) = self.by_key.get_mut(key.as_slice()) {
                v.retain(|&(d, c)| !(d == *db && c == client));
                if v.is_empty() {
                    self.by_key.remove(key.as_slice());
                }
            }
        }
        self.dirty.remove(&client);
    }

    #[inline]
    pub fn touch(&mut self, db: usize, key: &[u8]) {
        if let Some(v) = self.by_key.get(key) {
            for &(d, c) in v {
                if d == db {
                    self.dirty.insert(c);
                }
            }
        }
    }

    /// Every watched key of `db`, for FLUSHDB/FLUSHALL/SWAPDB.
    pub fn keys_in_db(&self, db: usize) -> Vec<Vec<u8>> {
        self.by_key
            .iter()
            .filter(|(_, v)| v.iter().any(|&(d, _)| d == db))
            .map(|(k, _)| k.clone())
            .collect()
    }
}

/// A client parked by a blocking command.
#[derive(Clone, Debug)]
pub struct Parked {
    pub client: Client,
    pub argv: Vec<Vec<u8>>,
    pub keys: Vec<Vec<u8>>,
    /// Absolute deadline in unix ms; None waits forever.
    pub deadline_ms: Option<u64>,
    /// How long the command ran before it blocked; it counts when it is answered.
    pub(crate) duration_us: u64,
    /// Its arguments as the slow log keeps them (when the log is on).
    pub(crate) slow_args: Option<Box<crate::slowlog::Args>>,
}

#[derive(Clone, Debug, Default)]
pub struct BlockedIndex {
    /// Parked clients by id, in the order they blocked.
    pub(crate) parked: indexmap::IndexMap<u64, Parked>,
    /// key → (db, client id) in FIFO order.
    by_key: HashMap<Vec<u8>, VecDeque<(usize, u64)>>,
    /// Keys signalled since the last serving round.
    pub(crate) ready: VecDeque<(usize, Vec<u8>)>,
    ready_set: HashSet<(usize, Vec<u8>)>,
    /// Replies for clients that got unblocked, for the caller to deliver.
    pub(crate) outbox: Vec<(u64, Reply)>,
}

impl BlockedIndex {
    pub fn len(&self) -> usize {
        self.parked.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parked.is_empty()
    }

    pub fn park(&mut self, p: Parked) {
        for k in &p.keys {
            self.by_key
                .entry(k.clone())
                .or_default()
                .push_back((p.client.db, p.client.id));
        }
        self.parked.insert(p.client.id, p);
    }

    pub fn unpark(&mut self, id: u64) -> Option<Parked> {
        let p = self.parked.shift_remove(&id)?;
        for k in &p.keys {
            if let Some(q) = self.by_key.get_mut(k.as_slice()) {
                q.retain(|&(_, c)| c != id);
                if q.is_empty() {
                    self.by_key.remove(k.as_slice());
                }
            }
        }
        Some(p)
    }

    #[inline]
    pub fn touch(&mut self, db: usize, key: &[u8]) {
        if let Some(q) = self.by_key.get(key) {
            if q.iter().any(|&(d, _)| d == db) && self.ready_set.insert((db, key.to_vec())) {
                self.ready.push_back((db, key.to_vec()));
            }
        }
    }

    pub fn next_ready(&mut self) -> Option<(usize, Vec<u8>)> {
        let r = self.ready.pop_front()?;
        self.ready_set.remove(&r);
        Some(r)
    }

    /// Every key some client in `db` is blocked on.
    pub fn keys_in_db(&self, db: usize) -> Vec<Vec<u8>> {
        self.by_key
            .iter()
            .filter(|(_, q)| q.iter().any(|&(d, _)| d == db))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Clients blocked on `key` in `db`, oldest first.
    pub fn waiting_on(&self, db: usize, key: &[u8]) -> Vec<u64> {
        self.by_key
            .get(key)
            .map(|q| {
                q.iter()
                    .filter(|&&(d, _)| d == db)
                    .map(|&(_, c)| c)
                    .collect()
            })
            .unwrap_or_default()
    }
}
