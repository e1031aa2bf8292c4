//! The sorted set's order: a skiplist with spans, as in Redis (p = 1/4, 32 levels).
//!
//! Nodes live in an arena (`Vec<Node>`) and link by index, so there is no unsafe code
//! and no reference counting. Every forward link records its span (how many nodes it
//! skips), which makes rank queries and rank-based access O(log N).

use std::cmp::Ordering;

const MAX_LEVEL: usize = 32;
const NIL: u32 = u32::MAX;
const HEAD: u32 = 0;

#[derive(Clone, Debug)]
struct Level {
    forward: u32,
    span: u32,
}

#[derive(Clone, Debug)]
struct Node {
    member: Vec<u8>,
    score: f64,
    backward: u32,
    levels: Vec<Level>,
}

#[derive(Clone, Debug)]
pub struct SkipList {
    nodes: Vec<Node>,
    free: Vec<u32>,
    tail: u32,
    len: usize,
    level: usize,
    rng: u64,
}

/// A handle on one element, valid until the list is next modified.
pub type NodeRef = u32;

/// Orders (score, member) pairs the way Redis does: by score, then by member bytes.
#[inline]
pub fn cmp_entry(s1: f64, m1: &[u8], s2: f64, m2: &[u8]) -> Ordering {
    match s1.partial_cmp(&s2) {
        Some(Ordering::Equal) | None => m1.cmp(m2),
        Some(o) => o,
    }
}

impl Default for SkipList {
    fn default() -> Self {
        SkipList::new()
    }
}

impl SkipList {
    pub fn new() -> SkipList {
        let head = Node {
            member: Vec::new(),
            score: 0.0,
            backward: NIL,
            levels: vec![
                Level {
                    forward: NIL,
                    span: 0
                };
                MAX_LEVEL
            ],
        };
        SkipList {
            nodes: vec![head],
            free: Vec::new(),
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
    fn fwd(&self, n: u32, lvl: usize) -> u32 {
        self.nodes[n as usize].levels[lvl].forward
    }

    #[inline]
    fn span(&self, n: u32, lvl: usize) -> u32 {
        self.nodes[n as usize].levels[lvl].span
    }

    #[inline]
    fn less_than(&self, n: u32, score: f64, member: &[u8]) -> bool {
        let node = &self.nodes[n as usize];
        cmp_entry(node.score, &node.member, score, member) == Ordering::Less
    }

    pub fn score(&self, n: NodeRef) -> f64 {
        self.nodes[n as usize].score
    }

    pub fn member(&self, n: NodeRef) -> &[u8] {
        &self.nodes[n as usize].member
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
        let b = self.nodes[n as usize].backward;
        (b != NIL).then_some(b)
    }

    /// Inserts an element that is not already present.
    pub fn insert(&mut self, score: f64, member: Vec<u8>) -> NodeRef {
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
                self.nodes[HEAD as usize].levels[i].span = self.len as u32;
            }
            self.level = level;
        }
        let node = Node {
            member,
            score,
            backward: NIL,
            levels: vec![
                Level {
                    forward: NIL,
                    span: 0
                };
                level
            ],
        };
        let id = match self.free.pop() {
            Some(id) => {
                self.nodes[id as usize] = node;
                id
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        };
        for i in 0..level {
            let u = update[i] as usize;
            let fwd = self.nodes[u].levels[i].forward;
            let uspan = self.nodes[u].levels[i].span;
            self.nodes[id as usize].levels[i].forward = fwd;
            self.nodes[id as usize].levels[i].span = uspan - (rank[0] - rank[i]);
            self.nodes[u].levels[i].forward = id;
            self.nodes[u].levels[i].span = (rank[0] - rank[i]) + 1;
        }
        for (i, &u) in update.iter().enumerate().take(self.level).skip(level) {
            self.nodes[u as usize].levels[i].span += 1;
        }
        self.nodes[id as usize].backward = if update[0] == HEAD { NIL } else { update[0] };
        let f0 = self.fwd(id, 0);
        if f0 != NIL {
            self.nodes[f0 as usize].backward = id;
        } else {
            self.tail = id;
        }
        self.len += 1;
        id
    }

    fn unlink(&mut self, x: u32, update: &[u32; MAX_LEVEL]) {
        for (i, &u) in update.iter().enumerate().take(self.level) {
            let u = u as usize;
            if self.nodes[u].levels[i].forward == x {
                let xl = &self.nodes[x as usize].levels[i];
                let (xs, xf) = (xl.span, xl.forward);
                self.nodes[u].levels[i].span += xs;
                self.nodes[u].levels[i].span -= 1;
                self.nodes[u].levels[i].forward = xf;
            } else {
                self.nodes[u].levels[i].span -= 1;
            }
        }
        let f0 = self.fwd(x, 0);
        let back = self.nodes[x as usize].backward;
        if f0 != NIL {
            self.nodes[f0 as usize].backward = back;
        } else {
            self.tail = back;
        }
        while self.level > 1 && self.fwd(HEAD, self.level - 1) == NIL {
            self.level -= 1;
        }
        self.len -= 1;
        self.nodes[x as usize].member = Vec::new();
        self.nodes[x as usize].levels = Vec::new();
        self.free.push(x);
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
        if x != NIL
            && self.nodes[x as usize].score == score
            && self.nodes[x as usize].member == member
        {
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
        let back = self.nodes[x as usize].backward;
        let fwd = self.fwd(x, 0);
        let back_ok = back == NIL || {
            let b = &self.nodes[back as usize];
            cmp_entry(b.score, &b.member, new, member) == Ordering::Less
        };
        let fwd_ok = fwd == NIL || {
            let f = &self.nodes[fwd as usize];
            cmp_entry(f.score, &f.member, new, member) == Ordering::Greater
        };
        if back_ok && fwd_ok {
            self.nodes[x as usize].score = new;
            return;
        }
        let m = std::mem::take(&mut self.nodes[x as usize].member);
        self.unlink(x, &update);
        self.insert(new, m);
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
                let n = &self.nodes[f as usize];
                if cmp_entry(n.score, &n.member, score, member) != Ordering::Greater {
                    rank += u64::from(self.span(x, i));
                    x = f;
                } else {
                    break;
                }
            }
            if x != HEAD && self.nodes[x as usize].member == member {
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
    pub fn first_not_below(&self, below: impl Fn(f64, &[u8]) -> bool) -> Option<NodeRef> {
        let mut x = HEAD;
        for i in (0..self.level).rev() {
            loop {
                let f = self.fwd(x, i);
                if f != NIL && below(self.nodes[f as usize].score, &self.nodes[f as usize].member) {
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
    pub fn last_within(&self, within: impl Fn(f64, &[u8]) -> bool) -> Option<NodeRef> {
        let mut x = HEAD;
        for i in (0..self.level).rev() {
            loop {
                let f = self.fwd(x, i);
                if f != NIL && within(self.nodes[f as usize].score, &self.nodes[f as usize].member)
                {
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
            let n = &self.nodes[x as usize];
            v.push((n.score, n.member.as_slice()));
            x = n.levels[0].forward;
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
}
