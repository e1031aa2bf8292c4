//! Memory: the `used_memory` estimate and eviction under `maxmemory` with
//! Redis's sampled (approximated) LRU, LFU, random and TTL policies.

use super::*;

impl Engine {
    /// An estimate of the bytes in use, in the spirit of Redis's `used_memory`: a
    /// fixed base (an empty Redis uses a little under 1 MB) plus every database's
    /// keys, values and deadlines.
    pub fn used_memory(&self) -> u64 {
        const BASE: u64 = 860_000;
        BASE + self.dbs.iter().map(|d| d.used() as u64).sum::<u64>()
    }

    /// Brings the estimate up to date before INFO shows it. With maxmemory set,
    /// every write already re-accounts the keys it touched; without it, writes
    /// skip that, so a value grown in place (ZADD to an existing set, APPEND) is
    /// re-accounted here, every key at once.
    /// Nothing is recounted when no write happened since the last time.
    pub(crate) fn refresh_used_memory(&mut self) {
        if self.config.maxmemory == 0 && self.memory_counted_at != Some(self.dirty) {
            for d in &mut self.dbs {
                d.resync_all();
            }
            self.memory_counted_at = Some(self.dirty);
        }
    }

    /// Evicts keys under the maxmemory policy until memory fits. Returns false when
    /// it cannot get under the limit (noeviction, or no candidates left).
    pub(crate) fn perform_evictions(&mut self) -> bool {
        let max = self.config.maxmemory;
        if max == 0 {
            return true;
        }
        // A replica's memory follows its master's dataset.
        if self.is_replica() && self.config_is("replica-ignore-maxmemory", "yes") {
            return true;
        }
        // During CLIENT PAUSE nothing is evicted (writes wait anyway).
        if self.dataset_frozen() {
            return self.used_memory() <= max;
        }
        let mut fits = true;
        let started = (self.used_memory() > max)
            .then(|| self.latency_start())
            .flatten();
        while self.used_memory() > max {
            let Some((db, key)) = self.pick_victim() else {
                fits = false;
                break;
            };
            self.dbs[db].remove(&key);
            self.stats.evicted_keys += 1;
            self.key_changed(db, &key);
            self.propagate_deletion(db, &key, "lazyfree-lazy-eviction");
            self.notify(crate::notify::EVICTED, "evicted", &key, db);
        }
        self.latency_end("eviction-cycle", started);
        // Evictions are sent at once, never as a transaction.
        self.repl.flush(false);
        fits
    }

    /// Redis's approximated eviction: sample `maxmemory-samples` keys per database
    /// (from all keys, or from keys with a TTL for volatile-* policies) and take the
    /// best candidate: the least recently used, the least frequently used, the
    /// nearest deadline, or any.
    fn pick_victim(&mut self) -> Option<(usize, Vec<u8>)> {
        #[derive(PartialEq)]
        enum Pick {
            Lru,
            Lfu(crate::lfu::Lfu),
            Ttl,
            Random,
        }
        let policy = self.config.maxmemory_policy.as_str();
        if policy == "noeviction" {
            return None;
        }
        let volatile = policy.starts_with("volatile");
        let pick = if policy.ends_with("-ttl") {
            Pick::Ttl
        } else if policy.ends_with("-random") {
            Pick::Random
        } else if let Some(lfu) = self.config.lfu {
            Pick::Lfu(lfu)
        } else {
            Pick::Lru
        };
        let now = self.now_ms();
        let samples = self.config.maxmemory_samples.max(1) as usize;
        // (rank, db, dict index): lower rank = better victim.
        let mut best: Option<(u64, usize, usize)> = None;
        for db in 0..self.dbs.len() {
            let n = if volatile {
                self.dbs[db].expires_len()
            } else {
                self.dbs[db].len()
            };
            if n == 0 {
                continue;
            }
            for _ in 0..samples.min(n) {
                let i = self.random_below(n);
                let d = &self.dbs[db];
                let slot = if volatile {
                    d.expire_entry_at(i)
                        .and_then(|(k, _)| d.dict.get_index_of(k))
                } else {
                    Some(i)
                };
                let Some(slot) = slot else { continue };
                let Some((key, entry)) = d.dict.get_index(slot) else {
                    continue;
                };
                let rank = match pick {
                    Pick::Ttl => d.expire_at(key).unwrap_or(u64::MAX),
                    Pick::Random => 0,
                    Pick::Lru => entry.lru_ms,
                    // The least frequently used: the lowest decayed counter.
                    Pick::Lfu(lfu) => {
                        u64::from(crate::lfu::decayed(entry.freq, entry.lru_ms, now, lfu))
                    }
                };
                if best.is_none_or(|(r, _, _)| rank < r) {
                    best = Some((rank, db, slot));
                }
            }
            if pick == Pick::Random && best.is_some() {
                break;
            }
        }
        let (_, db, slot) = best?;
        Some((db, self.dbs[db].key_at(slot)?.to_vec()))
    }
}
