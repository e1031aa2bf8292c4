//! The sorted set's order: a skiplist with spans, as in Redis (p = 1/4, 32 levels).
//!
//! Every node lives in one flat slab of 8-byte cells, its header and its levels side by
//! side, much like Redis's `zskiplistNode` with its flexible level array:
//!
//! ```text
//! [score] [backward | member slot << 32] [level 0: forward | span << 32] ... [level h-1]
//! ```
//!
//! A node is named by the offset of its first cell, so there is no unsafe code and no
//! reference counting, and a step of a search reads one place in memory: the next node's
//! score and its levels are neighbours. (Nodes as separate structs with a heap-allocated
//! level array cost two cache misses a step, and made ZADD on a large set half as fast
//! as Redis.) Members sit in a side table, read only on a score tie and for output.
//! Freed nodes are reused by height, freed member slots by slot.
//!
//! Every forward link records its span (how many nodes it skips), which makes rank
//! queries and rank-based access O(log N).

use std::cmp::Ordering;

use crate::bytes::Bytes;

const MAX_LEVEL: usize = 32;
const NIL: u32 = u32::MAX;
const HEAD: u32 = 0;

/// Cell offsets within a node.
const SCORE: usize = 0;
const LINK: usize = 1;
const LEVELS: usize = 2;

#[derive(Clone, Debug)]
pub struct SkipList {
    /// Every node's cells; the head (all [`MAX_LEVEL`] levels) is at offset 0.
    slab: Vec<u64>,
    /// Member bytes (inline when short: a tie costs one miss, not two) and
    /// node height, by member slot.
    members: Vec<(Bytes, u8)>,
    /// Freed nodes by height - 1.
    free_nodes: Vec<Vec<u32>>,
    free_members: Vec<u32>,
    tail: u32,
    len: usize,
    level: usize,
    rng: u64,
}

/// A handle on one element, valid until the list is next modified.
pub type NodeRef = u32;

/// A node's member, read only if asked for: a search by score never touches it.
#[derive(Clone, Copy)]
pub struct LazyMember<'a> {
    list: &'a SkipList,
    node: NodeRef,
}

impl<'a> LazyMember<'a> {
    pub fn get(self) -> &'a [u8] {
        self.list.member(self.node)
    }
}

/// Orders (score, member) pairs the way Redis does: by score, then by member bytes.
#[inline]
pub fn cmp_entry(s1: f64, m1: &[u8], s2: f64, m2: &[u8]) -> Ordering {
    match s1.partial_cmp(&s2) {
        Some(Ordering::Equal) | None => m1.cmp(m2),
        Some(o) => o,
    }
}

#[inline]
fn pack(low: u32, high: u32) -> u64 {
    u64::from(low) | u64::from(high) << 32
}

impl Default for SkipList {
    fn default() -> Self {
        SkipList::new()
    }
}

impl SkipList {
    pub fn new() -> SkipList {
        let mut slab = vec![0; LEVELS + MAX_LEVEL];
        slab[SCORE] = 0f64.to_bits();
        slab[LINK] = pack(NIL, NIL);
        for cell in &mut slab[LEVELS..] {
            *cell = pack(NIL, 0);
        }
        SkipList {
            slab,
            members: Vec::new(),
            free_nodes: vec![Vec::new(); MAX_LEVEL],
            free_members: Vec::new(),
            tail: NIL,
            len: 0,
            level: 1,
            rng: 0x9e37_79b9_7f4a_7c15,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn random_level(&mut self) -> usize {
        let mut level = 1;
        loop {
            // xorshift64
            let mut x = self.rng;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.rng = x;
            if (x & 0xffff) < 0xffff / 4 && level < MAX_LEVEL {
                level += 1;
            } else {
                return level;
            }
        }
    }

    #[inline]
    fn level_cell(&self, n: u32, lvl: usize) -> u64 {
        self.slab[n as usize + LEVELS + lvl]
    }

    #[inline]
    fn fwd(&self, n: u32, lvl: usize) -> u32 {
        self.level_cell(n, lvl) as u32
    }

    #[inline]
    fn span(&self, n: u32, lvl: usize) -> u32 {
        (self.level_cell(n, lvl) >> 32) as u32
    }

    #[inline]
    fn set_level(&mut self, n: u32, lvl: usize, forward: u32, span: u32) {
        self.slab[n as usize + LEVELS + lvl] = pack(forward, span);
    }

    #[inline]
    fn set_span(&mut self, n: u32, lvl: usize, span: u32) {
        let forward = self.fwd(n, lvl);
        self.set_level(n, lvl, forward, span);
    }

    #[inline]
    fn slot(&self, n: u32) -> usize {
        (self.slab[n as usize + LINK] >> 32) as usize
    }

    #[inline]
    fn backward(&self, n: u32) -> u32 {
        self.slab[n as usize + LINK] as u32
    }

    #[inline]
    fn set_backward(&mut self, n: u32, backward: u32) {
        let slot = self.slot(n) as u32;
        self.slab[n as usize + LINK] = pack(backward, slot);
    }

    /// Orders node `n` against (score, member) like [`cmp_entry`], reading
    /// the node's member only on a score tie.
    #[inline]
    fn cmp_node(&self, n: u32, score: f64, member: &[u8]) -> Ordering {
        match self.score(n).partial_cmp(&score) {
            Some(Ordering::Equal) | None => self.member(n).cmp(member),
            Some(o) => o,
        }
    }

    #[inline]
    fn less_than(&self, n: u32, score: f64, member: &[u8]) -> bool {
        self.cmp_node(n, score, member) == Ordering::Less
    }

    #[inline]
    pub fn score(&self, n: NodeRef) -> f64 {
        f64::from_bits(self.slab[n as usize + SCORE])
    }

    #[inline]
    pub fn member(&self, n: NodeRef) -> &[u8] {
        &self.members[self.slot(n)].0
    }

    fn lazy(&self, node: NodeRef) -> LazyMember<'_> {
        LazyMember { list: self, node }
    }

    pub fn first(&self) -> Option<NodeRef> {
        let f = self.fwd(HEAD, 0);
        (f != NIL).then_some(f)
    }

    pub fn last(&self) -> Option<NodeRef> {
        (self.tail != NIL).then_some(self.tail)
    }

    pub fn next(&self, n: NodeRef) -> Option<NodeRef> {
        let f = self.fwd(n, 0);
        (f != NIL).then_some(f)
    }

    pub fn prev(&self, n: NodeRef) -> Option<NodeRef> {
        let b = self.backward(n);
        (b != NIL).then_some(b)
    }

    /// A node of `height` levels holding (score, member), not yet linked.
    fn alloc(&mut self, height: usize, score: f64, member: Bytes) -> u32 {
        let slot = match self.free_members.pop() {
            Some(slot) => {
                self.members[slot as usize] = (member, height as u8);
                slot
            }
            None => {
                self.members.push((member, height as u8));
                (self.members.len() - 1) as u32
            }
        };
        let n = match self.free_nodes[height - 1].pop() {
            Some(n) => n,
            None => {
                let n = self.slab.len() as u32;
                self.slab.resize(self.slab.len() + LEVELS + height, 0);
                n
            }
        };
        let at = n as usize;
        self.slab[at + SCORE] = score.to_bits();
        self.slab[at + LINK] = pack(NIL, slot);
        for cell in &mut self.slab[at + LEVELS..at + LEVELS + height] {
            *cell = pack(NIL, 0);
        }
        n
    }

    /// Returns node `n` and its member to the free lists; gives back the member.
    fn release(&mut self, n: u32) -> Bytes {
        let slot = self.slot(n);
        let (member, height) = std::mem::take(&mut self.members[slot]);
        self.free_members.push(slot as u32);
        self.free_nodes[usize::from(height) - 1].push(n);
        member
    }

    /// Inserts an element that is not already present.
    pub fn insert(&mut self, score: f64, member: Vec<u8>) -> NodeRef {
        self.insert_bytes(score, Bytes::from(member))
    }

    fn insert_bytes(&mut self, score: f64, member: Bytes) -> NodeRef {
        let mut update = [HEAD; MAX_LEVEL];
        let mut rank = [0u32; MAX_LEVEL];
        let mut x = HEAD;
        for i in (0..self.level).rev() {
            rank[i] = if i == self.level - 1 { 0 } else { rank[i + 1] };
            loop {
                let f = self.fwd(x, i);
                if f != NIL && self.less_than(f, score, &member) {
                    rank[i] += self.span(x, i);
                    x = f;
                } else {
                    break;
                }
            }
            update[i] = x;
        }
        let level = self.random_level();
        if level > self.level {
            for i in self.level..level {
                rank[i] = 0;
                update[i] = HEAD;
                self.set_span(HEAD, i, self.len as u32);
            }
            self.level = level;
        }
        let id = self.alloc(level, score, member);
        for i in 0..level {
            let u = update[i];
            let (fwd, uspan) = (self.fwd(u, i), self.span(u, i));
            self.set_level(id, i, fwd, uspan - (rank[0] - rank[i]));
            self.set_level(u, i, id, (rank[0] - rank[i]) + 1);
        }
        for (i, &u) in update.iter().enumerate().take(self.level).skip(level) {
            self.set_span(u, i, self.span(u, i) + 1);
        }
        self.set_backward(id, if update[0] == HEAD { NIL } else { update[0] });
        let f0 = self.fwd(id, 0);
        if f0 != NIL {
            self.set_backward(f0, id);
        } else {
            self.tail = id;
        }
        self.len += 1;
        id
    }

    /// Unlinks node `x` (whose predecessors are `update`) and frees it; gives
    /// back its member.
    fn unlink(&mut self, x: u32, update: &[u32; MAX_LEVEL]) -> Bytes {
        for (i, &u) in update.iter().enumerate().take(self.level) {
            if self.fwd(u, i) == x {
                let (xs, xf) = (self.span(x, i), self.fwd(x, i));
                self.set_level(u, i, xf, self.span(u, i) + xs - 1);
            } else {
                self.set_span(u, i, self.span(u, i) - 1);
            }
        }
        let f0 = self.fwd(x, 0);
        let back = self.backward(x);
        if f0 != NIL {
            self.set_backward(f0, back);
        } else {
            self.tail = back;
        }
        while self.level > 1 && self.fwd(HEAD, self.level - 1) == NIL {
            self.level -= 1;
        }
        self.len -= 1;
        self.release(x)
    }

    fn find_update(&self, score: f64, member: &[u8]) -> ([u32; MAX_LEVEL], u32) {
        let mut update = [HEAD; MAX_LEVEL];
        let mut x = HEAD;
        for i in (0..self.level).rev() {
            loop {
                let f = self.fwd(x, i);
                if f != NIL && self.less_than(f, score, member) {
                    x = f;
                } else {
                    break;
                }
            }
            update[i] = x;
        }
        (update, self.fwd(x, 0))
    }

    /// Removes the element. Returns false if it was not there.
    pub fn delete(&mut self, score: f64, member: &[u8]) -> bool {
        let (update, x) = self.find_update(score, member);
        if x != NIL && self.score(x) == score && self.member(x) == member {
            self.unlink(x, &update);
            true
        } else {
            false
        }
    }

    /// Changes an element's score; the caller guarantees (old, member) is present.
    pub fn update_score(&mut self, old: f64, member: &[u8], new: f64) {
        let (update, x) = self.find_update(old, member);
        if x == NIL {
            return;
        }
        // Same position: update in place, as Redis does.
        let back = self.backward(x);
        let fwd = self.fwd(x, 0);
        let back_ok = back == NIL || self.cmp_node(back, new, member) == Ordering::Less;
        let fwd_ok = fwd == NIL || self.cmp_node(fwd, new, member) == Ordering::Greater;
        if back_ok && fwd_ok {
            self.slab[x as usize + SCORE] = new.to_bits();
            return;
        }
        let m = self.unlink(x, &update);
        self.insert_bytes(new, m);
    }

    /// 1-based rank of an element, or None.
    pub fn rank(&self, score: f64, member: &[u8]) -> Option<usize> {
        let mut rank: u64 = 0;
        let mut x = HEAD;
        for i in (0..self.level).rev() {
            loop {
                let f = self.fwd(x, i);
                if f == NIL {
                    break;
                }
                if self.cmp_node(f, score, member) != Ordering::Greater {
                    rank += u64::from(self.span(x, i));
                    x = f;
                } else {
                    break;
                }
            }
            // The score first: it is in the node just visited, while the member
            // is another cache miss, worth taking only on a likely match.
            if x != HEAD && self.score(x) == score && self.member(x) == member {
                return Some(rank as usize);
            }
        }
        None
    }

    /// The element at 1-based `rank`.
    pub fn by_rank(&self, rank: usize) -> Option<NodeRef> {
        if rank == 0 || rank > self.len {
            return None;
        }
        let mut traversed: u64 = 0;
        let mut x = HEAD;
        for i in (0..self.level).rev() {
            loop {
                let f = self.fwd(x, i);
                if f != NIL && traversed + u64::from(self.span(x, i)) <= rank as u64 {
                    traversed += u64::from(self.span(x, i));
                    x = f;
                } else {
                    break;
                }
            }
            if traversed == rank as u64 {
                return Some(x);
            }
        }
        None
    }

    /// The first element for which `below(score, member)` is false, where `below` is
    /// monotone (true for a prefix of the list).
    pub fn first_not_below(&self, below: impl Fn(f64, LazyMember<'_>) -> bool) -> Option<NodeRef> {
        let mut x = HEAD;
        for i in (0..self.level).rev() {
            loop {
                let f = self.fwd(x, i);
                if f != NIL && below(self.score(f), self.lazy(f)) {
                    x = f;
                } else {
                    break;
                }
            }
        }
        let f = self.fwd(x, 0);
        (f != NIL).then_some(f)
    }

    /// The last element for which `within(score, member)` is true, where `within`
    /// is true for a prefix of the list.
    pub fn last_within(&self, within: impl Fn(f64, LazyMember<'_>) -> bool) -> Option<NodeRef> {
        let mut x = HEAD;
        for i in (0..self.level).rev() {
            loop {
                let f = self.fwd(x, i);
                if f != NIL && within(self.score(f), self.lazy(f)) {
                    x = f;
                } else {
                    break;
                }
            }
        }
        (x != HEAD).then_some(x)
    }

    /// Iterates (score, member) in order from the first element.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (f64, &[u8])> + '_ {
        let mut v = Vec::with_capacity(self.len);
        let mut x = self.fwd(HEAD, 0);
        while x != NIL {
            v.push((self.score(x), self.member(x)));
            x = self.fwd(x, 0);
        }
        v.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_and_order() {
        let mut s = SkipList::new();
        for i in (0..1000).rev() {
            s.insert(f64::from(i % 10), format!("m{i:04}").into_bytes());
        }
        assert_eq!(s.len(), 1000);
        let all: Vec<(f64, Vec<u8>)> = s.iter().map(|(a, b)| (a, b.to_vec())).collect();
        for w in all.windows(2) {
            assert_eq!(cmp_entry(w[0].0, &w[0].1, w[1].0, &w[1].1), Ordering::Less);
        }
        for (i, (sc, m)) in all.iter().enumerate() {
            assert_eq!(s.rank(*sc, m), Some(i + 1));
            let n = s.by_rank(i + 1).unwrap();
            assert_eq!(s.member(n), m.as_slice());
        }
        for (sc, m) in all.iter().step_by(3) {
            assert!(s.delete(*sc, m));
        }
        assert!(!s.delete(1.0, b"nope"));
        let rest: Vec<Vec<u8>> = s.iter().map(|(_, m)| m.to_vec()).collect();
        for (i, m) in rest.iter().enumerate() {
            let sc = all.iter().find(|(_, x)| x == m).unwrap().0;
            assert_eq!(s.rank(sc, m), Some(i + 1));
        }
        let m = rest[0].clone();
        let sc = all.iter().find(|(_, x)| *x == m).unwrap().0;
        s.update_score(sc, &m, 100.0);
        assert_eq!(s.member(s.last().unwrap()), m.as_slice());
        assert_eq!(s.rank(100.0, &m), Some(s.len()));
    }

    /// Random inserts, deletes and score updates against a sorted Vec, checking
    /// order both ways, ranks and rank lookups as nodes are freed and reused.
    #[test]
    fn matches_a_sorted_model_under_churn() {
        let mut s = SkipList::new();
        let mut model: Vec<(f64, Vec<u8>)> = Vec::new();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for step in 0..4000 {
            let member = format!("m{}", next() % 300).into_bytes();
            let score = (next() % 50) as f64;
            let found = model.iter().position(|(_, m)| *m == member);
            match (next() % 3, found) {
                (0, Some(i)) => {
                    let (old, m) = model.remove(i);
                    assert!(s.delete(old, &m));
                }
                (1, Some(i)) => {
                    let old = model[i].0;
                    model[i].0 = score;
                    s.update_score(old, &member, score);
                }
                (_, None) => {
                    model.push((score, member.clone()));
                    s.insert(score, member);
                }
                _ => {}
            }
            model.sort_by(|a, b| cmp_entry(a.0, &a.1, b.0, &b.1));
            assert_eq!(s.len(), model.len());
            if step % 97 != 0 {
                continue;
            }
            let forward: Vec<(f64, Vec<u8>)> = s.iter().map(|(a, b)| (a, b.to_vec())).collect();
            assert_eq!(forward, model);
            let mut backward = Vec::new();
            let mut n = s.last();
            while let Some(x) = n {
                backward.push((s.score(x), s.member(x).to_vec()));
                n = s.prev(x);
            }
            backward.reverse();
            assert_eq!(backward, model);
            for (i, (sc, m)) in model.iter().enumerate() {
                assert_eq!(s.rank(*sc, m), Some(i + 1));
                assert_eq!(s.by_rank(i + 1).map(|n| s.member(n)), Some(m.as_slice()));
            }
        }
    }
}
