//! Streams: entries ordered by ID in a B-tree, with the listpack "nodes" Redis packs
//! them into modelled as counts, so approximate trimming (`~`) removes exactly the
//! whole nodes Redis would. Consumer groups keep a pending-entries list (PEL) per
//! group and per consumer.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A stream entry ID, `ms-seq`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

impl StreamId {
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    pub const MAX: StreamId = StreamId {
        ms: u64::MAX,
        seq: u64::MAX,
    };

    pub fn new(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    /// The next ID, or None past the maximum.
    pub fn incr(self) -> Option<StreamId> {
        if self.seq == u64::MAX {
            if self.ms == u64::MAX {
                None
            } else {
                Some(StreamId::new(self.ms + 1, 0))
            }
        } else {
            Some(StreamId::new(self.ms, self.seq + 1))
        }
    }

    /// The previous ID, or None before 0-0.
    pub fn decr(self) -> Option<StreamId> {
        if self.seq == 0 {
            if self.ms == 0 {
                None
            } else {
                Some(StreamId::new(self.ms - 1, u64::MAX))
            }
        } else {
            Some(StreamId::new(self.ms, self.seq - 1))
        }
    }

    pub fn is_zero(self) -> bool {
        self == StreamId::MIN
    }

    /// `ms-seq`, as replies and the replication stream spell it.
    pub fn to_bytes(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(24);
        crate::num::push_u64(&mut out, self.ms);
        out.push(b'-');
        crate::num::push_u64(&mut out, self.seq);
        out
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

pub type Fields = Vec<(Vec<u8>, Vec<u8>)>;

/// One listpack node as far as trimming cares.
#[derive(Clone, Debug)]
pub struct Node {
    /// Entries ever appended to the node (live and deleted).
    pub total: usize,
    /// Live entries.
    pub live: usize,
    pub bytes: usize,
    pub last: StreamId,
}

#[derive(Clone, Debug)]
pub struct PendingEntry {
    pub consumer: Vec<u8>,
    pub delivery_ms: u64,
    pub delivery_count: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Consumer {
    pub seen_ms: u64,
    pub pel: BTreeSet<StreamId>,
}

#[derive(Clone, Debug, Default)]
pub struct Group {
    pub last_id: StreamId,
    /// Logical count of entries read, or None when unknown (Redis's -1).
    pub entries_read: Option<u64>,
    pub pel: BTreeMap<StreamId, PendingEntry>,
    pub consumers: BTreeMap<Vec<u8>, Consumer>,
}

#[derive(Clone, Debug, Default)]
pub struct Stream {
    pub entries: BTreeMap<StreamId, Fields>,
    /// Nodes keyed by their first ("master") ID.
    pub nodes: BTreeMap<StreamId, Node>,
    pub last_id: StreamId,
    pub max_deleted: StreamId,
    pub entries_added: u64,
    pub groups: BTreeMap<Vec<u8>, Group>,
}

/// Node limits (`stream-node-max-entries`, `stream-node-max-bytes`).
#[derive(Clone, Copy, Debug)]
pub struct NodeLimits {
    pub entries: usize,
    pub bytes: usize,
}

impl Default for NodeLimits {
    fn default() -> Self {
        NodeLimits {
            entries: 100,
            bytes: 4096,
        }
    }
}

fn entry_bytes(fields: &Fields) -> usize {
    fields
        .iter()
        .map(|(f, v)| f.len() + v.len() + 4)
        .sum::<usize>()
        + 8
}

impl Stream {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The first live ID (Redis's `first_id`), 0-0 when empty.
    pub fn first_id(&self) -> StreamId {
        self.entries.keys().next().copied().unwrap_or_default()
    }

    /// The last live ID (`streamLastValidID`), 0-0 when empty.
    pub fn last_valid_id(&self) -> StreamId {
        self.entries.keys().next_back().copied().unwrap_or_default()
    }

    /// Appends with an ID already checked to be above `last_id`.
    pub fn append(&mut self, id: StreamId, fields: Fields, limits: NodeLimits) {
        let bytes = entry_bytes(&fields);
        let new_node = match self.nodes.iter_mut().next_back() {
            Some((_, n)) => {
                if n.bytes + bytes >= limits.bytes
                    || (limits.entries > 0 && n.total >= limits.entries)
                {
                    true
                } else {
                    n.total += 1;
                    n.live += 1;
                    n.bytes += bytes;
                    n.last = id;
                    false
                }
            }
            None => true,
        };
        if new_node {
            self.nodes.insert(
                id,
                Node {
                    total: 1,
                    live: 1,
                    bytes: bytes + 16,
                    last: id,
                },
            );
        }
        self.entries.insert(id, fields);
        self.last_id = id;
        self.entries_added += 1;
    }

    fn node_of(&self, id: StreamId) -> Option<StreamId> {
        self.nodes.range(..=id).next_back().map(|(k, _)| *k)
    }

    /// Deletes one entry (XDEL); true if it existed.
    pub fn delete(&mut self, id: StreamId) -> bool {
        if self.entries.remove(&id).is_none() {
            return false;
        }
        if let Some(k) = self.node_of(id) {
            if let Some(n) = self.nodes.get_mut(&k) {
                n.live = n.live.saturating_sub(1);
                if n.live == 0 {
                    self.nodes.remove(&k);
                }
            }
        }
        if id > self.max_deleted {
            self.max_deleted = id;
        }
        true
    }

    /// `streamTrim`: MAXLEN or MINID, exact or approximate (whole nodes only),
    /// at most `limit` entries (0: no limit). Returns how many were deleted.
    pub fn trim(
        &mut self,
        maxlen: Option<usize>,
        minid: Option<StreamId>,
        approx: bool,
        limit: u64,
    ) -> u64 {
        let mut deleted: u64 = 0;
        loop {
            if maxlen.is_some_and(|m| self.len() <= m) {
                break;
            }
            let Some((&master, node)) = self.nodes.iter().next() else {
                break;
            };
            let entries = node.live as u64;
            if limit > 0 && deleted + entries > limit {
                break;
            }
            let remove_node = match (maxlen, minid) {
                (Some(m), _) => self.len() as u64 - entries >= m as u64,
                (None, Some(min)) => node.last < min,
                _ => false,
            };
            if remove_node {
                let ids: Vec<StreamId> = self
                    .entries
                    .range(master..=node.last)
                    .map(|(k, _)| *k)
                    .collect();
                for id in ids {
                    self.entries.remove(&id);
                }
                self.nodes.remove(&master);
                deleted += entries;
                continue;
            }
            if approx {
                break;
            }
            let last = node.last;
            let ids: Vec<StreamId> = self.entries.range(master..=last).map(|(k, _)| *k).collect();
            for id in ids {
                let stop = match (maxlen, minid) {
                    (Some(m), _) => self.len() <= m,
                    (None, Some(min)) => id >= min,
                    _ => true,
                };
                if stop {
                    break;
                }
                self.entries.remove(&id);
                if let Some(n) = self.nodes.get_mut(&master) {
                    n.live = n.live.saturating_sub(1);
                }
                deleted += 1;
            }
            if self.nodes.get(&master).is_some_and(|n| n.live == 0) {
                self.nodes.remove(&master);
            }
            break;
        }
        deleted
    }

    /// `streamRangeHasTombstones` from `start` to the end.
    pub fn has_tombstones_from(&self, start: StreamId) -> bool {
        if self.is_empty() || self.max_deleted.is_zero() {
            return false;
        }
        if self.first_id() > self.max_deleted {
            return false;
        }
        start <= self.max_deleted
    }

    /// `streamEstimateDistanceFromFirstEverEntry`.
    pub fn estimate_distance(&self, id: StreamId) -> Option<u64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if self.is_empty() && id <= self.last_id {
            return Some(self.entries_added);
        }
        if id == self.last_id {
            return Some(self.entries_added);
        } else if id > self.last_id {
            return None;
        }
        let first = self.first_id();
        if self.max_deleted.is_zero() || self.max_deleted < first {
            if id < first {
                return Some(self.entries_added - self.len() as u64);
            } else if id == first {
                return Some(self.entries_added - self.len() as u64 + 1);
            }
        }
        None
    }

    /// The lag XINFO GROUPS reports, or None when it cannot be known.
    pub fn lag(&self, g: &Group) -> Option<u64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if let Some(read) = g.entries_read {
            if !self.has_tombstones_from(g.last_id) {
                return Some(self.entries_added.saturating_sub(read));
            }
        }
        self.estimate_distance(g.last_id)
            .map(|read| self.entries_added.saturating_sub(read))
    }

    /// Moves a group's last-delivered ID past `id`, maintaining entries-read as
    /// Redis does.
    pub fn advance_group(&mut self, group: &[u8], id: StreamId) {
        let tomb = self.has_tombstones_from(id);
        let estimate = self.estimate_distance(id);
        let added = self.entries_added;
        if let Some(g) = self.groups.get_mut(group) {
            if id > g.last_id {
                match g.entries_read {
                    Some(r) if !tomb => g.entries_read = Some(r + 1),
                    _ if added > 0 => g.entries_read = estimate,
                    _ => {}
                }
                g.last_id = id;
            }
        }
    }

    pub fn radix_keys(&self) -> usize {
        self.nodes.len()
    }
}
