//! Key lookups as commands see them: lazy expiry on every access, keyspace
//! hits and misses, access times for LRU/LFU, the signals a write sends
//! (WATCH, blocked clients, keyspace notifications), and the active expiry
//! cycle that samples keys with a TTL like Redis's `activeExpireCycle`.

use super::*;

impl Engine {
    /// Looks a key up for reading: expires it if due, counts a hit or a miss, and
    /// marks the access.
    pub(crate) fn lookup_read(&mut self, db: usize, key: &[u8]) -> Option<&Value> {
        let now = self.now_ms();
        if !self.expire_quietly(db, key) {
            // One hash lookup on the hot path: find, mark the access, hand out.
            if let Some(i) = self
                .dbs
                .get(db)
                .and_then(|d| d.dict.get_index_of(&crate::db::Key(key)))
            {
                self.stats.keyspace_hits += 1;
                let r = self.lfu_draw();
                let lfu = self.config.lfu;
                let (_, e) = self.dbs.get_mut(db)?.dict.get_index_mut(i)?;
                touch(e, now, lfu, r);
                return Some(&e.value);
            }
        }
        self.stats.keyspace_misses += 1;
        self.notify(crate::notify::KEY_MISS, "keymiss", key, db);
        None
    }

    /// Deletes `key` if its deadline has passed (counting it and signalling
    /// watchers). Returns true if it did. Costs nothing when no key has a TTL.
    #[inline]
    fn expire_quietly(&mut self, db: usize, key: &[u8]) -> bool {
        self.expire_if_due(db, key, false)
    }

    /// `expireIfNeeded`. On a replica, expiry is the master's business: under
    /// the master client keys never expire, and for anyone else a key past its
    /// deadline only reads as missing; it is deleted only when a write looks it
    /// up (`force`, a writable replica).
    #[inline]
    fn expire_if_due(&mut self, db: usize, key: &[u8], force: bool) -> bool {
        let now = self.now_ms();
        // CLIENT PAUSE holds the dataset still: a read sees the key gone, but it stays.
        let frozen = !force && self.dataset_frozen();
        let Some(d) = self.dbs.get_mut(db) else {
            return false;
        };
        if d.expires.is_empty() {
            return false;
        }
        if frozen {
            return d.expire_at(key).is_some_and(|at| at < now);
        }
        if self.repl.master.is_some() {
            if self.repl.applying_master {
                return false;
            }
            if !force {
                return d.expire_at(key).is_some_and(|at| at < now);
            }
        }
        if !d.expire_if_needed(key, now) {
            return false;
        }
        self.stats.expired_keys += 1;
        // An expiry is not a write of the command that noticed it (no `dirty`), but
        // watchers and blocked clients hear of it, and replicas get a DEL.
        self.notify(crate::notify::EXPIRED, "expired", key, db);
        self.key_changed(db, key);
        self.propagate_deletion(db, key, "lazyfree-lazy-expire");
        true
    }

    /// Like [`Engine::lookup_read`] without marking the access (EXISTS, TYPE, TTL, OBJECT).
    pub(crate) fn lookup_read_notouch(&mut self, db: usize, key: &[u8]) -> Option<&Value> {
        if self.lookup_quiet(db, key) {
            self.stats.keyspace_hits += 1;
            self.dbs.get(db).and_then(|d| d.get(key))
        } else {
            self.stats.keyspace_misses += 1;
            self.notify(crate::notify::KEY_MISS, "keymiss", key, db);
            None
        }
    }

    /// Like [`Engine::lookup_read_notouch`] without a `keymiss` event (OBJECT,
    /// MEMORY USAGE: Redis's LOOKUP_NONOTIFY).
    pub(crate) fn lookup_read_nonotify(&mut self, db: usize, key: &[u8]) -> Option<&Value> {
        if self.lookup_quiet(db, key) {
            self.stats.keyspace_hits += 1;
            self.dbs.get(db).and_then(|d| d.get(key))
        } else {
            self.stats.keyspace_misses += 1;
            None
        }
    }

    /// Records a write.
    #[inline]
    pub(crate) fn dirty(&mut self) {
        self.dirty += 1;
    }

    /// Records a write to `key`: WATCHers of it lose their transaction and clients
    /// blocked on it get a chance to be served.
    #[inline]
    pub(crate) fn signal_key(&mut self, db: usize, key: &[u8]) {
        self.dirty += 1;
        self.key_changed_by(db, key, self.current_client);
    }

    /// Tells watchers and blocked clients that `key` changed, without counting a
    /// write (expiry and eviction are not writes of the running command).
    #[inline]
    pub(crate) fn key_changed(&mut self, db: usize, key: &[u8]) {
        self.key_changed_by(db, key, 0);
    }

    /// [`Engine::key_changed`], naming the client whose command changed the key
    /// (0: none), which a NOLOOP tracking client is not told about.
    #[inline]
    fn key_changed_by(&mut self, db: usize, key: &[u8], by: u64) {
        if self.tracking.active() {
            self.tracking_invalidate(key, by);
        }
        if self.config.maxmemory > 0 {
            if let Some(d) = self.dbs.get_mut(db) {
                d.resync(key);
            }
        }
        if !self.watch.is_empty() {
            self.watch.touch(db, key);
        }
        if !self.blocked.is_empty() {
            self.blocked.touch(db, key);
        }
    }

    /// Looks a key up for writing: expires it if due and marks the access.
    pub(crate) fn lookup_write(&mut self, db: usize, key: &[u8]) -> Option<&mut Value> {
        let now = self.now_ms();
        if self.expire_if_due(db, key, true) {
            return None;
        }
        let r = self.lfu_draw();
        let lfu = self.config.lfu;
        let e = self.dbs.get_mut(db)?.dict.get_mut(&crate::db::Key(key))?;
        touch(e, now, lfu, r);
        Some(&mut e.value)
    }

    /// The random number an LFU counter update needs (none without LFU).
    #[inline]
    fn lfu_draw(&mut self) -> f64 {
        if self.config.lfu.is_some() {
            self.random_below(1 << 30) as f64 / f64::from(1u32 << 30)
        } else {
            0.0
        }
    }

    /// Expires the key if due, then reports whether it exists. No stats, no LRU touch.
    pub(crate) fn lookup_quiet(&mut self, db: usize, key: &[u8]) -> bool {
        !self.expire_quietly(db, key) && self.dbs.get(db).is_some_and(|d| d.contains(key))
    }

    /// Redis's active expiry cycle (run `hz` times a second): for each database, sample
    /// 20 keys that have a TTL, delete the expired ones, and go again while more than
    /// 10% of a sample had expired. A bound on rounds stands in for Redis's time budget.
    pub fn active_expire_cycle(&mut self, now_us: u64) {
        // The same beat samples INFO's instantaneous_ops_per_sec.
        self.stats
            .ops_rate
            .track(now_us / 1000, self.stats.total_commands_processed);
        if !self.config.active_expire_enabled {
            return;
        }
        self.set_time(now_us);
        // A replica's keys expire when its master says so (a DEL in the stream),
        // and nothing expires during CLIENT PAUSE.
        if self.is_replica() || self.check_pause() {
            return;
        }
        let now = self.now_ms();
        let started = self.latency_start();
        const SAMPLE: usize = 20;
        const MAX_ROUNDS: usize = 64;
        for db in 0..self.dbs.len() {
            for _ in 0..MAX_ROUNDS {
                let n = self.dbs[db].expires_len();
                if n == 0 {
                    break;
                }
                let sample = SAMPLE.min(n);
                let mut expired = 0;
                for _ in 0..sample {
                    let len = self.dbs[db].expires_len();
                    if len == 0 {
                        break;
                    }
                    let i = self.random_below(len);
                    let due = match self.dbs[db].expire_entry_at(i) {
                        Some((k, at)) if at < now => Some(k.to_vec()),
                        _ => None,
                    };
                    if let Some(key) = due {
                        self.dbs[db].remove(&key);
                        self.key_changed(db, &key);
                        self.propagate_deletion(db, &key, "lazyfree-lazy-expire");
                        self.stats.expired_keys += 1;
                        self.notify(crate::notify::EXPIRED, "expired", &key, db);
                        expired += 1;
                    }
                }
                if expired * 10 <= sample {
                    break;
                }
            }
        }
        self.latency_end("expire-cycle", started);
        // The cycle's DELs go out together, never as a transaction.
        self.repl.flush(false);
    }

    /// The keys of `db` with their type and remaining TTL, for the browser's key panel.
    /// Keys already past their deadline are left out.
    pub fn key_overview(&self, db: usize, now_us: u64) -> Vec<KeyOverview> {
        let now = now_us / 1000;
        let Some(d) = self.dbs.get(db) else {
            return Vec::new();
        };
        d.iter()
            .filter_map(|(k, e)| {
                let at = d.expire_at(k);
                match at {
                    Some(at) if at < now => None,
                    _ => Some(KeyOverview {
                        key: k.to_vec(),
                        kind: e.value.type_name(),
                        ttl_ms: at.map(|at| at - now),
                    }),
                }
            })
            .collect()
    }
}

/// Marks an access: the time for LRU and OBJECT IDLETIME and, under an LFU policy,
/// the decayed and bumped access counter (Redis's `updateLFU`).
#[inline]
fn touch(e: &mut crate::db::Entry, now_ms: u64, lfu: Option<crate::lfu::Lfu>, r: f64) {
    if let Some(lfu) = lfu {
        let counter = crate::lfu::decayed(e.freq, e.lru_ms, now_ms, lfu);
        e.freq = crate::lfu::incremented(counter, lfu, r);
    }
    e.lru_ms = now_ms;
}
