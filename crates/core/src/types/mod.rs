//! Data structures behind the aggregate types, each reporting the encoding Redis 7.0
//! would use for the same contents.

pub mod geohash;
pub mod hash;
pub mod hll;
pub mod set;
pub mod skiplist;
pub mod stream;
pub mod zset;

/// Encoding thresholds, from CONFIG (`*-max-listpack-*`, `set-max-intset-entries`,
/// `stream-node-max-*`), cached because every write to an aggregate checks them.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub hash_entries: usize,
    pub hash_value: usize,
    pub zset_entries: usize,
    pub zset_value: usize,
    pub set_intset_entries: usize,
    /// `stream-node-max-entries` and `stream-node-max-bytes`.
    pub stream_node_entries: usize,
    pub stream_node_bytes: usize,
    /// `hll-sparse-max-bytes`: the largest sparse HyperLogLog.
    pub hll_sparse_max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            hash_entries: 512,
            hash_value: 64,
            zset_entries: 128,
            zset_value: 64,
            set_intset_entries: 512,
            stream_node_entries: 100,
            stream_node_bytes: 4096,
            hll_sparse_max_bytes: hll::DEFAULT_SPARSE_MAX_BYTES,
        }
    }
}
