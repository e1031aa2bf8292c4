//! Serializing values the way `rdbSaveObjectType` and `rdbSaveObject` do.

use super::listpack::Listpack;
use super::{intset, lzf, types, EncodeOptions};
use crate::num;
use crate::types::set::Set;
use crate::types::stream::{Stream, StreamId};
use crate::value::Value;

/// Elements this long or longer get a quicklist node of their own ("plain").
const PACKED_THRESHOLD: usize = 1 << 30;
/// `SIZE_SAFETY_LIMIT` and `SIZE_ESTIMATE_OVERHEAD` of quicklist.c.
const SIZE_SAFETY_LIMIT: usize = 8192;
const SIZE_ESTIMATE_OVERHEAD: usize = 8;
const OPTIMIZATION_LEVEL: [usize; 5] = [4096, 8192, 16384, 32768, 65536];
const STREAM_SAMEFIELDS: i64 = 1 << 1;

/// One quicklist node: a listpack of elements, or one big element alone.
pub(crate) enum Node<'a> {
    Packed(Listpack),
    Plain(&'a [u8]),
}

impl Node<'_> {
    /// The node's `sz`: its listpack's bytes, or the element's length.
    pub(crate) fn size(&self) -> usize {
        match self {
            Node::Packed(lp) => lp.total_bytes(),
            Node::Plain(item) => item.len(),
        }
    }
}

/// A list as quicklist nodes for `list-max-listpack-size` `fill`, split where
/// pushing the elements one by one at the tail (`quicklistPushTail`) would
/// split them.
pub(crate) fn quicklist_nodes<'a>(
    items: impl Iterator<Item = &'a [u8]>,
    fill: i32,
) -> Vec<Node<'a>> {
    let allow = |lp: &Listpack, sz: usize| {
        let new_sz = lp.total_bytes() + sz + SIZE_ESTIMATE_OVERHEAD;
        let level = usize::try_from(-i64::from(fill) - 1)
            .ok()
            .and_then(|i| OPTIMIZATION_LEVEL.get(i));
        match level {
            Some(&limit) if fill < 0 && new_sz <= limit => true,
            _ if new_sz > SIZE_SAFETY_LIMIT => false,
            _ => i64::try_from(lp.len()).unwrap_or(i64::MAX) < i64::from(fill),
        }
    };
    let mut nodes: Vec<Node<'_>> = Vec::new();
    for item in items {
        if item.len() >= PACKED_THRESHOLD {
            nodes.push(Node::Plain(item));
            continue;
        }
        match nodes.last_mut() {
            Some(Node::Packed(lp)) if allow(lp, item.len()) => lp.push(item),
            _ => {
                let mut lp = Listpack::new();
                lp.push(item);
                nodes.push(Node::Packed(lp));
            }
        }
    }
    nodes
}

/// An output buffer with RDB's primitive encodings.
pub struct Writer<'o> {
    pub out: Vec<u8>,
    opts: &'o EncodeOptions,
    lzf: lzf::Compressor,
}

impl<'o> Writer<'o> {
    pub fn new(opts: &'o EncodeOptions) -> Writer<'o> {
        Writer {
            out: Vec::new(),
            opts,
            lzf: lzf::Compressor::new(),
        }
    }

    pub fn byte(&mut self, b: u8) {
        self.out.push(b);
    }

    /// `rdbSaveLen`: 6, 14, 32 or 64 bits.
    pub fn len(&mut self, len: u64) {
        if len < 1 << 6 {
            self.out.push(len as u8);
        } else if len < 1 << 14 {
            self.out
                .extend_from_slice(&[(len >> 8) as u8 | 0x40, len as u8]);
        } else if len <= u64::from(u32::MAX) {
            self.out.push(0x80);
            self.out.extend_from_slice(&(len as u32).to_be_bytes());
        } else {
            self.out.push(0x81);
            self.out.extend_from_slice(&len.to_be_bytes());
        }
    }

    /// `rdbSaveMillisecondTime`: 8 bytes, little endian.
    pub fn millis(&mut self, t: i64) {
        self.out.extend_from_slice(&t.to_le_bytes());
    }

    /// `rdbEncodeInteger`: the 8, 16 or 32-bit string encodings.
    fn encoded_int(&mut self, v: i64) -> bool {
        if let Ok(b) = i8::try_from(v) {
            self.out.extend_from_slice(&[0xc0, b as u8]);
        } else if let Ok(h) = i16::try_from(v) {
            self.out.push(0xc1);
            self.out.extend_from_slice(&h.to_le_bytes());
        } else if let Ok(w) = i32::try_from(v) {
            self.out.push(0xc2);
            self.out.extend_from_slice(&w.to_le_bytes());
        } else {
            return false;
        }
        true
    }

    /// `rdbSaveRawString`: an integer encoding for short numbers, LZF for
    /// compressible strings over 20 bytes, else length and bytes.
    pub fn string(&mut self, s: &[u8]) {
        if s.len() <= 11 {
            if let Some(v) = num::parse_i64(s) {
                if self.encoded_int(v) {
                    return;
                }
            }
        }
        if self.opts.compress && s.len() > 20 {
            if let Some(c) = self.lzf.compress(s, s.len() - 4) {
                self.out.push(0xc3);
                self.len(c.len() as u64);
                self.len(s.len() as u64);
                self.out.extend_from_slice(&c);
                return;
            }
        }
        self.len(s.len() as u64);
        self.out.extend_from_slice(s);
    }

    /// `rdbSaveLongLongAsStringObject`.
    fn int_string(&mut self, v: i64) {
        if !self.encoded_int(v) {
            let s = v.to_string();
            self.len(s.len() as u64);
            self.out.extend_from_slice(s.as_bytes());
        }
    }

    fn stream_id(&mut self, id: StreamId) {
        self.out.extend_from_slice(&id.ms.to_be_bytes());
        self.out.extend_from_slice(&id.seq.to_be_bytes());
    }

    /// `rdbSaveObject`.
    pub fn object(&mut self, v: &Value) {
        match v {
            Value::Str(s) => {
                if s.encoding() == "int" {
                    self.int_string(num::parse_i64(&s.bytes).unwrap_or(0));
                } else {
                    self.string(&s.bytes);
                }
            }
            Value::List(items) => self.quicklist(items.iter().map(Vec::as_slice)),
            Value::Set(Set::Ints(v)) => self.string(&intset::encode(v)),
            Value::Set(Set::Table(m)) => {
                self.len(m.len() as u64);
                for k in m.keys() {
                    self.string(k);
                }
            }
            Value::ZSet(z) if z.listpack => {
                let mut lp = Listpack::new();
                for (score, member) in z.list.iter() {
                    lp.push(member);
                    // zzlInsertAt: integral scores as integers, others as text.
                    match double2ll(score) {
                        Some(i) => lp.push_int(i),
                        None => lp.push(d2string(score).as_bytes()),
                    }
                }
                self.string(&lp.finish());
            }
            Value::ZSet(z) => {
                // Highest first, as Redis walks its skiplist from the tail.
                self.len(z.len() as u64);
                for (score, member) in z.list.iter().rev() {
                    self.string(member);
                    self.out.extend_from_slice(&score.to_le_bytes());
                }
            }
            Value::Hash(h) if h.listpack => {
                let mut lp = Listpack::new();
                for (f, v) in h.map.iter() {
                    lp.push(f);
                    lp.push(v);
                }
                self.string(&lp.finish());
            }
            Value::Hash(h) => {
                self.len(h.len() as u64);
                for (f, v) in h.map.iter() {
                    self.string(f);
                    self.string(v);
                }
            }
            Value::Stream(s) => self.stream(s),
        }
    }

    /// A list as quicklist nodes (see [`quicklist_nodes`]).
    fn quicklist<'a>(&mut self, items: impl Iterator<Item = &'a [u8]>) {
        let nodes = quicklist_nodes(items, self.opts.list_fill);
        self.len(nodes.len() as u64);
        for node in nodes {
            match node {
                Node::Plain(item) => {
                    self.len(1);
                    self.string(item);
                }
                Node::Packed(lp) => {
                    self.len(2);
                    self.string(&lp.finish());
                }
            }
        }
    }

    /// A stream as `RDB_TYPE_STREAM_LISTPACKS_2`: one listpack per node with
    /// the live entries (deleted ones are not kept), then the metadata and the
    /// consumer groups.
    fn stream(&mut self, s: &Stream) {
        let mut keys: Vec<StreamId> = s.nodes.keys().copied().collect();
        if let Some(&first) = s.entries.keys().next() {
            if keys.first().is_none_or(|&k| k > first) {
                keys.insert(0, first);
            }
        }
        let mut nodes: Vec<(StreamId, Vec<u8>)> = Vec::new();
        for (i, &master) in keys.iter().enumerate() {
            let range = match keys.get(i + 1) {
                Some(&next) => s.entries.range(master..next),
                None => s.entries.range(master..),
            };
            let entries: Vec<_> = range.collect();
            let Some((_, first_fields)) = entries.first() else {
                continue;
            };
            let mut lp = Listpack::new();
            lp.push_int(entries.len() as i64);
            lp.push_int(0);
            lp.push_int(first_fields.len() as i64);
            for (f, _) in first_fields.iter() {
                lp.push(f);
            }
            lp.push_int(0);
            for (id, fields) in &entries {
                let same = fields.len() == first_fields.len()
                    && fields
                        .iter()
                        .zip(first_fields.iter())
                        .all(|(a, b)| a.0 == b.0);
                lp.push_int(if same { STREAM_SAMEFIELDS } else { 0 });
                lp.push_int(id.ms.wrapping_sub(master.ms) as i64);
                lp.push_int(id.seq.wrapping_sub(master.seq) as i64);
                let n = fields.len() as i64;
                if !same {
                    lp.push_int(n);
                }
                for (f, v) in fields.iter() {
                    if !same {
                        lp.push(f);
                    }
                    lp.push(v);
                }
                lp.push_int(if same { n + 3 } else { 2 * n + 4 });
            }
            nodes.push((master, lp.finish()));
        }
        self.len(nodes.len() as u64);
        for (master, lp) in &nodes {
            let mut key = [0u8; 16];
            key[..8].copy_from_slice(&master.ms.to_be_bytes());
            key[8..].copy_from_slice(&master.seq.to_be_bytes());
            self.string(&key);
            self.string(lp);
        }
        self.len(s.len() as u64);
        self.len(s.last_id.ms);
        self.len(s.last_id.seq);
        let first = s.first_id();
        self.len(first.ms);
        self.len(first.seq);
        self.len(s.max_deleted.ms);
        self.len(s.max_deleted.seq);
        self.len(s.entries_added);
        self.len(s.groups.len() as u64);
        for (name, g) in &s.groups {
            self.string(name);
            self.len(g.last_id.ms);
            self.len(g.last_id.seq);
            self.len(g.entries_read.unwrap_or(u64::MAX));
            self.len(g.pel.len() as u64);
            for (id, p) in &g.pel {
                self.stream_id(*id);
                self.millis(p.delivery_ms as i64);
                self.len(p.delivery_count);
            }
            self.len(g.consumers.len() as u64);
            for (cname, c) in &g.consumers {
                self.string(cname);
                self.millis(c.seen_ms as i64);
                self.len(c.pel.len() as u64);
                for id in &c.pel {
                    self.stream_id(*id);
                }
            }
        }
    }
}

/// `rdbSaveObjectType`: the RDB type byte for a value in its current encoding.
pub fn object_type(v: &Value) -> u8 {
    match v {
        Value::Str(_) => types::STRING,
        Value::List(_) => types::LIST_QUICKLIST_2,
        Value::Set(Set::Ints(_)) => types::SET_INTSET,
        Value::Set(Set::Table(_)) => types::SET,
        Value::ZSet(z) if z.listpack => types::ZSET_LISTPACK,
        Value::ZSet(_) => types::ZSET_2,
        Value::Hash(h) if h.listpack => types::HASH_LISTPACK,
        Value::Hash(_) => types::HASH,
        Value::Stream(_) => types::STREAM_LISTPACKS_2,
    }
}

/// Redis's `double2ll`: the integer a double is exactly, within ±2^62.
pub fn double2ll(v: f64) -> Option<i64> {
    let bound = (i64::MAX / 2) as f64;
    ((-bound..=bound).contains(&v) && (v as i64) as f64 == v).then_some(v as i64)
}

/// Redis's `d2string`: how a double is spelled inside a listpack.
pub fn d2string(v: f64) -> String {
    if v.is_nan() {
        "nan".to_string()
    } else if v.is_infinite() {
        if v < 0.0 { "-inf" } else { "inf" }.to_string()
    } else if v == 0.0 {
        if v.is_sign_negative() { "-0" } else { "0" }.to_string()
    } else if let Some(i) = double2ll(v) {
        i.to_string()
    } else {
        num::format_g17(v)
    }
}
