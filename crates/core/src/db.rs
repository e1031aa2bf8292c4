//! One database of the keyspace: the key → value dict and the separate expiry dict.
//!
//! Like Redis, values live in one map whatever their type (so WRONGTYPE is possible and
//! every type shares one key order), and deadlines live in a second map that holds only
//! keys with a TTL. Both are insertion-ordered vectors with a hash index
//! (`IndexMap`), which gives O(1) lookups, O(1) random sampling (RANDOMKEY, active
//! expiry, eviction) and a SCAN that never misses a key present for the whole scan:
//! removal swaps the last entry into the hole, and SCAN walks indices from the top
//! down, so an entry can only ever move from the visited part into the visited part.
//!
//! Expiry is lazy here: [`Db::expire_if_needed`] deletes a key whose deadline has
//! passed. The active cycle lives in `engine`.

use std::hash::{BuildHasherDefault, Hasher};

use indexmap::IndexMap;

use crate::bytes::Bytes;
use crate::value::Value;

/// A small, fast, deterministic hasher (FxHash-like, with a final avalanche).
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Hasher for KeyHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(SEED);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            h = (h.rotate_left(5) ^ tail_word(rest)).wrapping_mul(SEED);
        }
        self.0 = h;
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(SEED);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(SEED);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // murmur3's finalizer: every input bit reaches every output bit, so keys
        // that differ only in their last digits still spread over all buckets.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// The last 1 to 7 bytes of a key as a little-endian word, zero-padded:
/// two fixed-size reads that may overlap, not a copy of variable length
/// (which is a call, and in wasm a slow one).
#[inline]
pub(crate) fn tail_word(rest: &[u8]) -> u64 {
    let n = rest.len();
    let (lo, hi) = if n >= 4 {
        (le_u32(&rest[..4]), le_u32(&rest[n - 4..]) << ((n - 4) * 8))
    } else if n >= 2 {
        (le_u16(&rest[..2]), le_u16(&rest[n - 2..]) << ((n - 2) * 8))
    } else {
        (rest.first().map_or(0, |&b| u64::from(b)), 0)
    };
    // Where the reads overlap they hold the same bytes in the same places.
    lo | hi
}

#[inline]
fn le_u32(b: &[u8]) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(b);
    u64::from(u32::from_le_bytes(w))
}

#[inline]
fn le_u16(b: &[u8]) -> u64 {
    let mut w = [0u8; 2];
    w.copy_from_slice(b);
    u64::from(u16::from_le_bytes(w))
}

/// A key to look up in a keyspace dict: hashes as its `[u8]` (so as the
/// `Bytes` it may match), and compares keys of up to 16 bytes with two
/// fixed-size reads from each side instead of a memcmp call (in wasm a
/// byte-by-byte loop). Every lookup by key in [`Db`] goes through it.
#[derive(Clone, Copy)]
pub(crate) struct Key<'a>(pub(crate) &'a [u8]);

impl std::hash::Hash for Key<'_> {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl indexmap::Equivalent<Bytes> for Key<'_> {
    #[inline]
    fn equivalent(&self, key: &Bytes) -> bool {
        let (a, b) = (self.0, key.as_bytes());
        let n = a.len();
        if n != b.len() {
            false
        } else if n > 16 {
            a == b
        } else if n >= 8 {
            le_u64(&a[..8]) == le_u64(&b[..8]) && le_u64(&a[n - 8..]) == le_u64(&b[n - 8..])
        } else {
            tail_word(a) == tail_word(b)
        }
    }
}

#[inline]
pub(crate) fn le_u64(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[..8]);
    u64::from_le_bytes(w)
}

pub type BuildKeyHasher = BuildHasherDefault<KeyHasher>;
pub type Map<K, V> = IndexMap<K, V, BuildKeyHasher>;

/// A value plus the bookkeeping Redis keeps in its object header.
#[derive(Clone, Debug)]
pub struct Entry {
    pub value: Value,
    /// Last access, in ms of engine time (OBJECT IDLETIME, LRU eviction).
    pub lru_ms: u64,
    /// The size this entry was last accounted at (see [`Db::used`]).
    pub size: usize,
    /// The logarithmic access counter OBJECT FREQ reports under LFU policies
    /// (see [`crate::lfu`]). It starts at Redis's `LFU_INIT_VAL`; under an LFU
    /// policy, `lru_ms` doubles as the time of its last decay, as in Redis.
    pub freq: u8,
}

/// Seconds a key has been idle, as Redis's LRU clock counts them: the clock
/// ticks in whole seconds, so an access at 10.9 s read at 11.1 s is 1 s old.
#[inline]
pub(crate) fn idle_seconds(now_ms: u64, lru_ms: u64) -> u64 {
    (now_ms / 1000).saturating_sub(lru_ms / 1000)
}

/// Redis's `LFU_INIT_VAL`: the counter of a new key.
pub const LFU_INIT_VAL: u8 = 5;

/// Bytes one key costs besides its value: the dict entry and the key itself.
fn entry_cost(key: &[u8], value: &Value) -> usize {
    key.len() + 56 + value.mem_size()
}

#[derive(Default, Clone, Debug)]
pub struct Db {
    pub(crate) dict: Map<Bytes, Entry>,
    pub(crate) expires: Map<Bytes, u64>,
    /// Estimated bytes of all entries, kept up to date by insert/remove and by
    /// [`Db::resync`] after commands that change values in place.
    used: usize,
    /// Keys created since the engine last asked, while keyspace notifications
    /// for new keys are on (see [`crate::notify`]); `None` while they are off.
    created: Option<Vec<Vec<u8>>>,
}

impl Db {
    pub fn len(&self) -> usize {
        self.dict.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dict.is_empty()
    }

    pub fn expires_len(&self) -> usize {
        self.expires.len()
    }

    /// The key's deadline in unix ms, if it has one.
    pub fn expire_at(&self, key: &[u8]) -> Option<u64> {
        if self.expires.is_empty() {
            return None;
        }
        self.expires.get(&Key(key)).copied()
    }

    /// Deletes `key` if its deadline has passed. Returns true if it was deleted.
    #[inline]
    pub fn expire_if_needed(&mut self, key: &[u8], now_ms: u64) -> bool {
        match self.expire_at(key) {
            // Redis's keyIsExpired: a key lives through its deadline millisecond.
            Some(at) if at < now_ms => {
                self.remove(key);
                true
            }
            _ => false,
        }
    }

    pub fn contains(&self, key: &[u8]) -> bool {
        self.dict.contains_key(&Key(key))
    }

    pub fn get(&self, key: &[u8]) -> Option<&Value> {
        self.dict.get(&Key(key)).map(|e| &e.value)
    }

    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut Value> {
        self.dict.get_mut(&Key(key)).map(|e| &mut e.value)
    }

    pub fn entry(&self, key: &[u8]) -> Option<&Entry> {
        self.dict.get(&Key(key))
    }

    /// Marks an access for LRU and OBJECT IDLETIME.
    #[inline]
    pub fn touch(&mut self, key: &[u8], now_ms: u64) {
        if let Some(e) = self.dict.get_mut(&Key(key)) {
            e.lru_ms = now_ms;
        }
    }

    /// Inserts or overwrites the value and keeps any TTL (callers clear it when the
    /// command demands, e.g. SET without KEEPTTL). The key is copied only if new.
    pub fn insert(&mut self, key: &[u8], value: Value, now_ms: u64) {
        let size = entry_cost(key, &value);
        match self.dict.get_mut(&Key(key)) {
            Some(e) => {
                self.used = self.used.saturating_sub(e.size) + size;
                e.value = value;
                e.lru_ms = now_ms;
                e.size = size;
            }
            None => {
                self.used += size;
                if let Some(created) = &mut self.created {
                    created.push(key.to_vec());
                }
                self.dict.insert(
                    Bytes::from(key),
                    Entry {
                        value,
                        lru_ms: now_ms,
                        size,
                        freq: LFU_INIT_VAL,
                    },
                );
            }
        }
    }

    /// Re-accounts `key` after its value was changed in place.
    pub fn resync(&mut self, key: &[u8]) {
        if let Some(e) = self.dict.get_mut(&Key(key)) {
            let size = entry_cost(key, &e.value);
            self.used = self.used.saturating_sub(e.size) + size;
            e.size = size;
        }
    }

    /// Re-accounts every key (after CONFIG SET maxmemory, say).
    pub fn resync_all(&mut self) {
        let mut used = 0;
        for (k, e) in self.dict.iter_mut() {
            e.size = entry_cost(k, &e.value);
            used += e.size;
        }
        self.used = used;
    }

    /// Estimated bytes used by this database's keys, values and deadlines.
    pub fn used(&self) -> usize {
        self.used + self.expires.len() * 40
    }

    /// Overwrites the value and drops the TTL, as SET does.
    pub fn set(&mut self, key: &[u8], value: Value, now_ms: u64) {
        self.persist(key);
        self.insert(key, value, now_ms);
    }

    pub fn remove(&mut self, key: &[u8]) -> Option<Value> {
        if !self.expires.is_empty() {
            self.expires.swap_remove(&Key(key));
        }
        let e = self.dict.swap_remove(&Key(key))?;
        self.used = self.used.saturating_sub(e.size);
        Some(e.value)
    }

    pub fn remove_entry(&mut self, key: &[u8]) -> Option<(Entry, Option<u64>)> {
        let at = if self.expires.is_empty() {
            None
        } else {
            self.expires.swap_remove(&Key(key))
        };
        let e = self.dict.swap_remove(&Key(key))?;
        self.used = self.used.saturating_sub(e.size);
        Some((e, at))
    }

    /// Sets a deadline on an existing key.
    pub fn set_expire(&mut self, key: &[u8], at_ms: u64) {
        if let Some(k) = self.expires.get_mut(&Key(key)) {
            *k = at_ms;
        } else if self.dict.contains_key(&Key(key)) {
            self.expires.insert(Bytes::from(key), at_ms);
        }
    }

    /// Removes the deadline. Returns true if there was one.
    pub fn persist(&mut self, key: &[u8]) -> bool {
        !self.expires.is_empty() && self.expires.swap_remove(&Key(key)).is_some()
    }

    pub fn clear(&mut self) {
        self.dict = Map::default();
        self.expires = Map::default();
        self.used = 0;
    }

    /// Starts (or stops) noting the keys [`Db::insert`] creates.
    pub(crate) fn track_created(&mut self, on: bool) {
        self.created = on.then(Vec::new);
    }

    /// The keys created since the last call, oldest first.
    pub(crate) fn take_created(&mut self) -> Vec<Vec<u8>> {
        match &mut self.created {
            Some(created) if !created.is_empty() => std::mem::take(created),
            _ => Vec::new(),
        }
    }

    pub fn key_at(&self, index: usize) -> Option<&[u8]> {
        self.dict.get_index(index).map(|(k, _)| k.as_bytes())
    }

    pub fn expire_entry_at(&self, index: usize) -> Option<(&[u8], u64)> {
        self.expires
            .get_index(index)
            .map(|(k, v)| (k.as_bytes(), *v))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &Entry)> {
        self.dict.iter().map(|(k, e)| (k.as_bytes(), e))
    }
}

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    use super::*;

    #[test]
    fn a_tail_word_is_the_bytes_zero_padded() {
        let bytes = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77];
        for n in 1..=7 {
            let mut w = [0u8; 8];
            w[..n].copy_from_slice(&bytes[..n]);
            assert_eq!(tail_word(&bytes[..n]), u64::from_le_bytes(w), "{n} bytes");
        }
    }

    #[test]
    fn keys_that_differ_in_their_tail_hash_apart() {
        let hash = |k: &[u8]| BuildKeyHasher::default().hash_one(k);
        assert_ne!(hash(b"counter:1"), hash(b"counter:2"));
        assert_ne!(hash(b"abcdefgh1"), hash(b"abcdefgh10"));
        assert_eq!(hash(b"key:000000012345"), hash(b"key:000000012345"));
    }
}
