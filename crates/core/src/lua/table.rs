//! Lua 5.1's table, slot for slot, so that `pairs` and `next` walk a table in
//! the order Redis's Lua does: `cjson.encode` writes an object's keys, and a
//! script returns what it collected, in the same order as redis-server.
//!
//! A table has an array part for the keys 1..n and a hash part of 2^k nodes.
//! A key's main position comes from its hash (Lua 5.1's string hash over
//! every byte, as Redis builds it; a number's two 32-bit halves summed; a
//! boolean itself); collisions chain through the nodes, the colliding node
//! moving out when it is not in its own main position (Brent's variation).
//! Free nodes are taken from the end. When none is left, the table is
//! rehashed: the array part becomes the largest power of two that would be
//! more than half full, and everything else goes to a new hash part, sized
//! for what is left, and re-inserted from its last node to its first.
//!
//! As in Lua, setting a missing key (even to nil) takes a node, a key set to
//! nil keeps its node until the next rehash, and the table constructor sizes
//! both parts up front. One difference: Lua's collector, when it runs in the
//! middle of a script, can retire the keys of nil-valued nodes; here they
//! stay until the next rehash. Tables and functions used as keys hash by
//! address, which differs from run to run in Redis too.

use std::rc::Rc;

use super::value::{InvalidKey, Value};

/// Lua's MAXBITS: the array part holds at most 2^26 slots.
const MAXBITS: usize = 26;
const MAXASIZE: usize = 1 << MAXBITS;
/// Lua's LFIELDS_PER_FLUSH: a constructor stores its list items in batches.
pub const FIELDS_PER_FLUSH: usize = 50;
/// The end of a collision chain.
const NONE: usize = usize::MAX;

struct Node {
    /// Nil while the node has never held a key.
    key: Value,
    val: Value,
    next: usize,
}

impl Default for Node {
    fn default() -> Node {
        Node {
            key: Value::Nil,
            val: Value::Nil,
            next: NONE,
        }
    }
}

/// Where a key's value lives.
#[derive(Clone, Copy)]
enum Slot {
    Array(usize),
    Node(usize),
}

/// A Lua table.
#[derive(Default)]
pub struct Table {
    array: Vec<Value>,
    /// The hash part; empty stands for Lua's shared dummy node.
    node: Vec<Node>,
    /// Free nodes are searched for below this index.
    lastfree: usize,
    pub meta: Option<super::value::TableRef>,
    /// Redis's protected tables (`redis`, the globals): writes fail.
    pub readonly: bool,
}

/// Lua 5.1's string hash, as Redis builds it (every byte, from the last).
fn str_hash(s: &[u8]) -> u32 {
    let mut h = s.len() as u32;
    for &b in s.iter().rev() {
        h ^= (h << 5).wrapping_add(h >> 2).wrapping_add(u32::from(b));
    }
    h
}

/// `lua_number2int` (x86-64: truncation, out of range is INT_MIN) and the
/// check that the number is that integer.
fn int_key(n: f64) -> Option<i32> {
    let k = if (-2_147_483_648.0..2_147_483_648.0).contains(&n) {
        n as i32
    } else {
        i32::MIN
    };
    (f64::from(k) == n).then_some(k)
}

/// The array index a key stands for, when it could live in an array part.
fn array_candidate(key: &Value) -> Option<usize> {
    match key {
        Value::Num(n) => int_key(*n)
            .filter(|&k| k > 0 && k as usize <= MAXASIZE)
            .map(|k| k as usize),
        _ => None,
    }
}

/// ceil(log2(x)) for x >= 1.
fn ceil_log2(x: usize) -> usize {
    (usize::BITS - (x.max(1) - 1).leading_zeros()) as usize
}

/// What a constructor's size hint becomes after Lua stores it in a byte
/// (`luaO_fb2int(luaO_int2fb(x))`: rounded up to 4 significant bits).
pub fn size_hint(x: usize) -> usize {
    let (mut m, mut e) = (x, 0u32);
    while m >= 16 {
        m = (m + 1) >> 1;
        e += 1;
    }
    m.checked_shl(e).unwrap_or(usize::MAX).min(MAXASIZE)
}

impl Table {
    /// A table with room for `narray` items and `nhash` keyed fields
    /// (`lua_createtable`, a constructor's OP_NEWTABLE).
    pub fn with_sizes(narray: usize, nhash: usize) -> Table {
        // Sized as asked up to a million slots a part (a constructor that
        // long grows as its items are stored instead).
        const MAX_PRESIZE: usize = 1 << 20;
        let mut t = Table::default();
        t.array = vec![Value::Nil; narray.min(MAX_PRESIZE)];
        t.set_node_vector(nhash.min(MAX_PRESIZE));
        t
    }

    /// The table C code makes with `lua_newtable` and `t[i] = values[i-1]`
    /// for i = 1..n (replies, KEYS and ARGV, decoded JSON arrays).
    pub fn from_array(values: Vec<Value>) -> Table {
        let mut t = Table::default();
        if values.is_empty() {
            return t;
        }
        if values.iter().all(|v| !matches!(v, Value::Nil)) {
            // Appending 1, 2, ... rehashes at each power of two and ends
            // with everything in an array part of the next power of two.
            let size = values.len().next_power_of_two().min(MAXASIZE);
            if values.len() <= size {
                t.array = values;
                t.array.resize(size, Value::Nil);
                return t;
            }
        }
        for (i, v) in values.into_iter().enumerate() {
            let _ = t.set(Value::Num((i + 1) as f64), v);
        }
        t
    }

    /// The array part and hash part slots (for memory accounting).
    pub fn slot_count(&self) -> usize {
        self.array.len() + self.node.len()
    }

    /// The entry in slot `i` (`next` order: the array part, then the
    /// nodes), or None when the slot holds nil.
    pub fn slot(&self, i: usize) -> Option<(Value, Value)> {
        let (k, v) = match self.array.get(i) {
            Some(v) => (Value::Num((i + 1) as f64), v),
            None => {
                let n = self.node.get(i - self.array.len())?;
                (n.key.clone(), &n.val)
            }
        };
        (!matches!(v, Value::Nil)).then(|| (k, v.clone()))
    }

    /// The entries in `next` order.
    pub fn entries(&self) -> impl Iterator<Item = (Value, Value)> + '_ {
        (0..self.slot_count()).filter_map(|i| self.slot(i))
    }

    /// The values of the hash part that aren't nil.
    pub fn hash_values(&self) -> impl Iterator<Item = &Value> {
        self.node
            .iter()
            .map(|n| &n.val)
            .filter(|v| !matches!(v, Value::Nil))
    }

    /// A key's main position in the hash part (which must not be empty).
    fn main_position(&self, key: &Value) -> usize {
        let size = self.node.len();
        let by_mod = |h: u32| (h % ((size as u32 - 1) | 1)) as usize;
        match key {
            Value::Num(n) if *n == 0.0 => 0,
            Value::Num(n) => {
                let bits = n.to_bits();
                by_mod((bits as u32).wrapping_add((bits >> 32) as u32))
            }
            Value::Str(s) => self.str_position(s),
            Value::Bool(b) => usize::from(*b) & (size - 1),
            Value::Table(t) => by_mod(Rc::as_ptr(t) as *const u8 as usize as u32),
            Value::Func(f) => by_mod(Rc::as_ptr(f) as *const u8 as usize as u32),
            Value::Null | Value::Nil => 0,
        }
    }

    /// A string's main position (the hash part must not be empty).
    fn str_position(&self, s: &[u8]) -> usize {
        str_hash(s) as usize & (self.node.len() - 1)
    }

    /// The node holding `key` in the hash part.
    fn find_node(&self, key: &Value) -> Option<usize> {
        if self.node.is_empty() {
            return None;
        }
        let mut i = self.main_position(key);
        loop {
            let n = self.node.get(i)?;
            if n.key.raw_eq(key) {
                return Some(i);
            }
            i = n.next;
        }
    }

    fn find(&self, key: &Value) -> Option<Slot> {
        match key {
            Value::Nil => return None,
            Value::Num(n) => {
                if let Some(k) = int_key(*n) {
                    if k >= 1 && k as usize <= self.array.len() {
                        return Some(Slot::Array(k as usize - 1));
                    }
                }
            }
            _ => {}
        }
        self.find_node(key).map(Slot::Node)
    }

    fn at(&mut self, slot: Slot) -> &mut Value {
        match slot {
            Slot::Array(i) => &mut self.array[i],
            Slot::Node(i) => &mut self.node[i].val,
        }
    }

    pub fn get(&self, key: &Value) -> Value {
        match self.find(key) {
            Some(Slot::Array(i)) => self.array[i].clone(),
            Some(Slot::Node(i)) => self.node[i].val.clone(),
            None => Value::Nil,
        }
    }

    /// A string field, without making a key value for it (the reply
    /// conversions read several from every table).
    pub fn get_str(&self, key: &str) -> Value {
        if self.node.is_empty() {
            return Value::Nil;
        }
        let key = key.as_bytes();
        let mut i = self.str_position(key);
        while let Some(n) = self.node.get(i) {
            if matches!(&n.key, Value::Str(s) if **s == *key) {
                return n.val.clone();
            }
            i = n.next;
        }
        Value::Nil
    }

    pub fn get_int(&self, i: usize) -> Value {
        match i.checked_sub(1).and_then(|j| self.array.get(j)) {
            Some(v) => v.clone(),
            None => self.get(&Value::Num(i as f64)),
        }
    }

    /// `t[key] = value` (luaH_set): a missing key takes a node even when
    /// the value is nil. Err for a nil or NaN key.
    pub fn set(&mut self, key: Value, value: Value) -> Result<(), &'static str> {
        let slot = match self.find(&key) {
            Some(slot) => slot,
            None => match key {
                Value::Nil => return Err("table index is nil"),
                Value::Num(n) if n.is_nan() => return Err("table index is NaN"),
                key => self.new_key(key),
            },
        };
        *self.at(slot) = value;
        Ok(())
    }

    /// Lua's newkey: a slot for a key the table doesn't hold, rehashing
    /// when the hash part is full.
    fn new_key(&mut self, key: Value) -> Slot {
        if let Some(slot) = self.place(&key) {
            return slot;
        }
        self.rehash(&key);
        if let Some(slot) = self.find(&key).or_else(|| self.place(&key)) {
            return slot;
        }
        // The rehash made room for the key; should it not have, grow
        // the hash part rather than fail.
        let (array, hash) = (self.array.len(), self.node.len());
        self.resize(array, 2 * hash + 1);
        match self.place(&key) {
            Some(slot) => slot,
            None => Slot::Node(0),
        }
    }

    /// Puts a new key in its main position or a free node (moving a
    /// colliding node that isn't in its own main position); None when the
    /// hash part has no free node.
    fn place(&mut self, key: &Value) -> Option<Slot> {
        if self.node.is_empty() {
            return None;
        }
        let mut mp = self.main_position(key);
        if !matches!(self.node[mp].val, Value::Nil) {
            let free = self.free_position()?;
            let other = self.main_position(&self.node[mp].key);
            if other != mp {
                // The colliding node is out of its main position: move it
                // to the free node, and take its place.
                let mut prev = other;
                while self.node[prev].next != mp {
                    prev = self.node[prev].next;
                    if prev == NONE {
                        return None; // unreachable: mp is on its chain
                    }
                }
                self.node[prev].next = free;
                self.node[free] = std::mem::take(&mut self.node[mp]);
            } else {
                // It is in its own main position: chain the new key after it.
                self.node[free].next = self.node[mp].next;
                self.node[mp].next = free;
                mp = free;
            }
        }
        self.node[mp].key = key.clone();
        Some(Slot::Node(mp))
    }

    fn free_position(&mut self) -> Option<usize> {
        while self.lastfree > 0 {
            self.lastfree -= 1;
            if matches!(self.node[self.lastfree].key, Value::Nil) {
                return Some(self.lastfree);
            }
        }
        None
    }

    fn set_node_vector(&mut self, size: usize) {
        if size == 0 {
            self.node = Vec::new();
            self.lastfree = 0;
        } else {
            let size = 1usize << ceil_log2(size).min(MAXBITS);
            self.node = (0..size).map(|_| Node::default()).collect();
            self.lastfree = size;
        }
    }

    /// Sizes both parts for the keys in use plus `extra` (Lua's rehash).
    fn rehash(&mut self, extra: &Value) {
        // nums[i]: how many integer keys lie in (2^(i-1), 2^i].
        let mut nums = [0usize; MAXBITS + 1];
        let count = |k: usize, nums: &mut [usize; MAXBITS + 1]| {
            nums[ceil_log2(k).min(MAXBITS)] += 1;
        };
        let mut in_array = 0;
        for (i, v) in self.array.iter().enumerate() {
            if !matches!(v, Value::Nil) {
                count(i + 1, &mut nums);
                in_array += 1;
            }
        }
        let mut total = in_array;
        for n in self.node.iter().rev() {
            if !matches!(n.val, Value::Nil) {
                if let Some(k) = array_candidate(&n.key) {
                    count(k, &mut nums);
                    in_array += 1;
                }
                total += 1;
            }
        }
        if let Some(k) = array_candidate(extra) {
            count(k, &mut nums);
            in_array += 1;
        }
        total += 1;
        let (array_size, to_array) = compute_sizes(&nums, in_array);
        self.resize(array_size, total - to_array);
    }

    fn resize(&mut self, array_size: usize, hash_size: usize) {
        let old_nodes = std::mem::take(&mut self.node);
        if array_size > self.array.len() {
            self.array.resize(array_size, Value::Nil);
        }
        self.set_node_vector(hash_size);
        if array_size < self.array.len() {
            let vanishing = self.array.split_off(array_size);
            for (j, v) in vanishing.into_iter().enumerate() {
                if !matches!(v, Value::Nil) {
                    let _ = self.set(Value::Num((array_size + j + 1) as f64), v);
                }
            }
        }
        for n in old_nodes.into_iter().rev() {
            if !matches!(n.val, Value::Nil) {
                let _ = self.set(n.key, n.val);
            }
        }
    }

    /// A constructor's list items `first, first+1, ...` (OP_SETLIST): the
    /// array part grows to hold them all first.
    pub fn set_list(&mut self, first: usize, values: Vec<Value>) {
        if values.is_empty() {
            return;
        }
        let last = first + values.len() - 1;
        if last > self.array.len() && last <= MAXASIZE {
            let hash_size = self.node.len();
            self.resize(last, hash_size);
        }
        for (i, v) in values.into_iter().enumerate().rev() {
            let _ = self.set(Value::Num((first + i) as f64), v);
        }
    }

    /// The `#` operator: a border, found as Lua's luaH_getn finds one.
    pub fn border(&self) -> usize {
        let j = self.array.len();
        if j > 0 && matches!(self.array[j - 1], Value::Nil) {
            let (mut lo, mut hi) = (0usize, j);
            while hi - lo > 1 {
                let m = (lo + hi) / 2;
                if matches!(self.array[m - 1], Value::Nil) {
                    hi = m;
                } else {
                    lo = m;
                }
            }
            return lo;
        }
        if self.node.is_empty() {
            return j;
        }
        // unbound_search: double past the array part, then bisect.
        let present = |i: usize| !matches!(self.get_int(i), Value::Nil);
        let (mut lo, mut hi) = (j, j + 1);
        while present(hi) {
            lo = hi;
            hi *= 2;
            if hi > i32::MAX as usize {
                let mut i = 1;
                while present(i) {
                    i += 1;
                }
                return i - 1;
            }
        }
        while hi - lo > 1 {
            let m = (lo + hi) / 2;
            if present(m) {
                lo = m;
            } else {
                hi = m;
            }
        }
        lo
    }

    /// `next(t, key)`: the entry after `key` (nil: the first), or None at the
    /// end. Err when `key` is not in the table.
    pub fn next(&self, key: &Value) -> Result<Option<(Value, Value)>, InvalidKey> {
        let start = match self.find(key) {
            _ if matches!(key, Value::Nil) => 0,
            Some(Slot::Array(i)) => i + 1,
            Some(Slot::Node(i)) => self.array.len() + i + 1,
            None => return Err(InvalidKey),
        };
        Ok((start..self.slot_count()).find_map(|i| self.slot(i)))
    }

    /// Empties the table (breaking any cycle through it).
    pub fn clear(&mut self) {
        let mut pending = Vec::new();
        self.drain_into(&mut pending);
        super::value::drop_iteratively(pending);
    }

    /// Moves out the tables and functions this table holds (values, keys,
    /// metatable), leaving it empty.
    pub(super) fn drain_into(&mut self, pending: &mut Vec<Value>) {
        let nested = |v: &Value| matches!(v, Value::Table(_) | Value::Func(_));
        pending.extend(self.array.drain(..).filter(nested));
        for n in self.node.drain(..) {
            pending.extend([n.key, n.val].into_iter().filter(nested));
        }
        self.lastfree = 0;
        if let Some(m) = self.meta.take() {
            pending.push(Value::Table(m));
        }
    }
}

/// Lua's computesizes: the array size that keeps more than half of its
/// slots in use, and how many keys go there.
fn compute_sizes(nums: &[usize; MAXBITS + 1], candidates: usize) -> (usize, usize) {
    let (mut a, mut to_array, mut size) = (0, 0, 0);
    let mut twotoi = 1usize;
    for &count in nums {
        if twotoi / 2 >= candidates {
            break;
        }
        if count > 0 {
            a += count;
            if a > twotoi / 2 {
                size = twotoi;
                to_array = a;
            }
        }
        if a == candidates {
            break;
        }
        twotoi *= 2;
    }
    (size, to_array)
}

// Dropping the head of a long chain (a linked list of tables `{next = ...}`)
// would drop each link inside the previous one's drop and overflow the
// stack; this drop dismantles chains with a worklist.
impl Drop for Table {
    fn drop(&mut self) {
        let mut pending = Vec::new();
        self.drain_into(&mut pending);
        super::value::drop_iteratively(pending);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::str(x.as_bytes())
    }

    fn keys(t: &Table) -> Vec<String> {
        let mut out = Vec::new();
        let mut k = Value::Nil;
        while let Ok(Some((key, _))) = t.next(&k) {
            out.push(match &key {
                Value::Str(b) => String::from_utf8_lossy(b).into_owned(),
                Value::Num(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => "?".into(),
            });
            k = key;
        }
        out
    }

    #[test]
    fn string_hash_is_lua_51s_over_every_byte() {
        // Computed by hand from luaS_newlstr with Redis's step of 1.
        assert_eq!(str_hash(b""), 0);
        // "a": 1 ^ ((1 << 5) + (1 >> 2) + 97) = 1 ^ 129.
        assert_eq!(str_hash(b"a"), 128);
        assert_eq!(str_hash(b"ab"), 5161);
        assert_eq!(str_hash(b"name"), 7_404_122);
    }

    #[test]
    fn appended_items_stay_in_a_power_of_two_array_part() {
        let mut t = Table::default();
        for i in 1..=5 {
            t.set(Value::Num(f64::from(i)), Value::Bool(true)).unwrap();
        }
        assert_eq!(t.array.len(), 8);
        assert!(t.node.is_empty());
        assert_eq!(t.border(), 5);
        let fast = Table::from_array(vec![Value::Bool(true); 5]);
        assert_eq!(fast.array.len(), 8);
    }

    #[test]
    fn a_key_set_to_nil_keeps_its_node_until_a_rehash() {
        let mut t = Table::default();
        t.set(s("a"), Value::Num(1.0)).unwrap();
        t.set(s("a"), Value::Nil).unwrap();
        assert_eq!(t.node.len(), 1);
        assert!(t.next(&s("a")).is_ok(), "next goes on from a dead key");
        assert_eq!(keys(&t), Vec::<String>::new());
        // A missing key set to nil still takes a node.
        t.set(s("b"), Value::Nil).unwrap();
        assert!(t.set(Value::Nil, Value::Num(1.0)).is_err());
        assert!(t.set(Value::Num(f64::NAN), Value::Num(1.0)).is_err());
    }

    #[test]
    fn next_refuses_a_key_the_table_lacks() {
        let t = Table::from_array(vec![Value::Num(1.0)]);
        assert!(t.next(&s("nope")).is_err());
        assert!(t.next(&Value::Num(2.0)).is_err());
        assert!(matches!(t.next(&Value::Num(1.0)), Ok(None)));
    }

    #[test]
    fn size_hints_round_up_to_four_significant_bits() {
        assert_eq!(size_hint(0), 0);
        assert_eq!(size_hint(15), 15);
        assert_eq!(size_hint(16), 16);
        assert_eq!(size_hint(17), 18);
        assert_eq!(size_hint(100), 104);
    }

    #[test]
    fn borders_with_holes_follow_luas_search() {
        // Redis answers 1 for `t[1]=1 t[2]=nil t[3]=3 return #t`: the
        // rehash for key 3 shrinks the array part to [1] and puts 3 in
        // the hash part, where the search past the array stops at 2.
        let t = Table::from_array(vec![Value::Num(1.0), Value::Nil, Value::Num(3.0)]);
        assert_eq!(t.array.len(), 1);
        assert_eq!(t.border(), 1);
        assert!(Table::from_array(Vec::new()).array.is_empty());
        let mut u = Table::default();
        u.set(Value::Num(2.0), Value::Num(2.0)).unwrap();
        assert_eq!(u.border(), 0);
    }
}
