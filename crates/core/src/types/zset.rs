//! Sorted sets: a member → score dict plus a skiplist ordered by (score, member).
//! The encoding reported is `listpack` until the set outgrows
//! `zset-max-listpack-entries` or gets a member longer than `zset-max-listpack-value`,
//! then `skiplist` for good. Both encodings order elements the same way, so one
//! structure serves both and ZRANK stays O(log N).

use super::skiplist::{NodeRef, SkipList};
use super::Limits;
use crate::bytes::Bytes;
use crate::db::Map;

#[derive(Clone, Debug, Default)]
pub struct ZSet {
    pub dict: Map<Bytes, f64>,
    pub list: SkipList,
    pub listpack: bool,
}

impl ZSet {
    pub fn new() -> ZSet {
        ZSet {
            dict: Map::default(),
            list: SkipList::new(),
            listpack: true,
        }
    }

    pub fn len(&self) -> usize {
        self.dict.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dict.is_empty()
    }

    pub fn encoding(&self) -> &'static str {
        if self.listpack {
            "listpack"
        } else {
            "skiplist"
        }
    }

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.dict.get(member).copied()
    }

    /// Inserts or updates; returns the previous score.
    pub fn insert(&mut self, member: &[u8], score: f64, limits: &Limits) -> Option<f64> {
        match self.dict.get_mut(member) {
            Some(old) => {
                let prev = *old;
                if prev != score {
                    *old = score;
                    self.list.update_score(prev, member, score);
                }
                Some(prev)
            }
            None => {
                if self.listpack
                    && (self.dict.len() + 1 > limits.zset_entries
                        || member.len() > limits.zset_value)
                {
                    self.listpack = false;
                }
                self.dict.insert(Bytes::from(member), score);
                self.list.insert(score, member.to_vec());
                None
            }
        }
    }

    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let score = self.dict.swap_remove(member)?;
        self.list.delete(score, member);
        Some(score)
    }

    /// 0-based rank in ascending order.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        let score = self.score(member)?;
        self.list.rank(score, member).map(|r| r - 1)
    }

    /// The element at 0-based ascending rank.
    pub fn at_rank(&self, rank: usize) -> Option<NodeRef> {
        self.list.by_rank(rank + 1)
    }

    pub fn entry(&self, n: NodeRef) -> (&[u8], f64) {
        (self.list.member(n), self.list.score(n))
    }
}
