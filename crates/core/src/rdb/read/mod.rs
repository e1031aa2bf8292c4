//! Deserializing values the way `rdbLoadObject` does, with every check that
//! Redis makes under `sanitize-dump-payload yes` (and a few more that keep our
//! structures consistent), so any bytes give a value or an error, never a
//! panic.

use std::collections::VecDeque;

use super::listpack::{self, Item};
use super::{intset, lzf, types, ziplist, zipmap, RdbError};
use crate::bytes::Bytes;
use crate::db::Map;
use crate::num;
use crate::types::hash::Hash;
use crate::types::set::Set;
use crate::types::stream::StreamId;
use crate::types::zset::ZSet;
use crate::types::Limits;
use crate::value::{Str, Value};

mod stream;

type Result<T> = std::result::Result<T, RdbError>;

/// `LISTPACK_MAX_SAFETY_SIZE`: what `lpSafeToAdd` allows.
const LISTPACK_MAX_SAFETY_SIZE: usize = 1 << 30;

fn corrupt(why: &'static str) -> RdbError {
    RdbError::Corrupt(why)
}

/// A cursor over RDB bytes.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }

    /// True when every byte has been read.
    pub fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// Bytes read so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or(RdbError::Eof)?;
        let s = self.buf.get(self.pos..end).ok_or(RdbError::Eof)?;
        self.pos = end;
        Ok(s)
    }

    pub fn byte(&mut self) -> Result<u8> {
        Ok(self.bytes(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.bytes(N)?);
        Ok(a)
    }

    /// `rdbLoadLenByRef`: a length, or (flag set) a special string encoding.
    pub fn len_enc(&mut self) -> Result<(u64, bool)> {
        let b = self.byte()?;
        match b >> 6 {
            3 => Ok((u64::from(b & 0x3f), true)),
            0 => Ok((u64::from(b & 0x3f), false)),
            1 => Ok(((u64::from(b & 0x3f) << 8) | u64::from(self.byte()?), false)),
            _ if b == 0x80 => Ok((u64::from(u32::from_be_bytes(self.array()?)), false)),
            _ if b == 0x81 => Ok((u64::from_be_bytes(self.array()?), false)),
            _ => Err(corrupt("unknown length encoding")),
        }
    }

    /// `rdbLoadLen` where Redis ignores the encoded flag.
    pub fn len(&mut self) -> Result<u64> {
        Ok(self.len_enc()?.0)
    }

    /// A count of things that each take at least one more byte: anything
    /// larger than what is left cannot be satisfied.
    fn count(&mut self) -> Result<u64> {
        self.len()
    }

    /// `rdbLoadMillisecondTime`: 8 bytes, little endian.
    pub fn millis(&mut self) -> Result<i64> {
        Ok(i64::from_le_bytes(self.array()?))
    }

    pub fn u32_le(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn binary_double(&mut self) -> Result<f64> {
        Ok(f64::from_le_bytes(self.array()?))
    }

    /// `rdbLoadDoubleValue`: the pre-RDB-8 text form of a double.
    fn text_double(&mut self) -> Result<f64> {
        match self.byte()? {
            255 => Ok(f64::NEG_INFINITY),
            254 => Ok(f64::INFINITY),
            253 => Ok(f64::NAN),
            n => strtod_prefix(self.bytes(usize::from(n))?).ok_or(corrupt("bad double")),
        }
    }

    /// `rdbGenericLoadStringObject`: raw, integer-encoded or LZF bytes.
    pub fn string(&mut self) -> Result<Vec<u8>> {
        let (len, encoded) = self.len_enc()?;
        if !encoded {
            let n = usize::try_from(len).map_err(|_| RdbError::Eof)?;
            return Ok(self.bytes(n)?.to_vec());
        }
        let v: i64 = match len {
            0 => i64::from(self.byte()? as i8),
            1 => i64::from(i16::from_le_bytes(self.array()?)),
            2 => i64::from(i32::from_le_bytes(self.array()?)),
            3 => {
                let clen = usize::try_from(self.len()?).map_err(|_| RdbError::Eof)?;
                let ulen = usize::try_from(self.len()?).map_err(|_| RdbError::Eof)?;
                let c = self.bytes(clen)?;
                return lzf::decompress(c, ulen).ok_or(corrupt("invalid LZF compressed string"));
            }
            _ => return Err(corrupt("unknown string encoding")),
        };
        Ok(v.to_string().into_bytes())
    }

    fn stream_id(&mut self) -> Result<StreamId> {
        let raw: [u8; 16] = self.array()?;
        Ok(id_from_key(&raw))
    }
}

fn id_from_key(raw: &[u8]) -> StreamId {
    let mut ms = [0u8; 8];
    let mut seq = [0u8; 8];
    ms.copy_from_slice(&raw[..8]);
    seq.copy_from_slice(&raw[8..16]);
    StreamId::new(u64::from_be_bytes(ms), u64::from_be_bytes(seq))
}

/// C's `strtod` (and `sscanf("%lg")`) on a byte string: the value of the
/// longest prefix that reads as a number, None if none does.
pub fn strtod_prefix(s: &[u8]) -> Option<f64> {
    let s = &s[..s.iter().position(|&b| b == 0).unwrap_or(s.len())];
    let start = s
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .unwrap_or(s.len());
    let s = &s[start..];
    let (neg, body) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let signed = |v: f64| if neg { -v } else { v };
    let lower: Vec<u8> = body.iter().take(8).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"inf") {
        return Some(signed(f64::INFINITY));
    }
    if lower.starts_with(b"nan") {
        return Some(f64::NAN);
    }
    if lower.starts_with(b"0x") {
        let end = body
            .iter()
            .skip(2)
            .position(|b| !(b.is_ascii_hexdigit() || matches!(b, b'.' | b'p' | b'P' | b'+' | b'-')))
            .map_or(body.len(), |p| p + 2);
        for cut in (3..=end).rev() {
            if let Some(v) = body.get(..cut).and_then(num::parse_f64) {
                return Some(signed(v));
            }
        }
    }
    let mut i = 0;
    let digits = |i: &mut usize| {
        let from = *i;
        while body.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    let mut n = digits(&mut i);
    if body.get(i) == Some(&b'.') {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return None;
    }
    if matches!(body.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(body.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if digits(&mut j) > 0 {
            i = j;
        }
    }
    let text = std::str::from_utf8(&body[..i]).ok()?;
    let text = text.strip_suffix('.').unwrap_or(text);
    let text = if text.starts_with('.') {
        format!("0{text}")
    } else {
        text.to_string()
    };
    text.parse::<f64>().ok().map(signed)
}

/// `zzlGetScore`: a score as a listpack holds it.
fn lp_score(item: Item<'_>) -> f64 {
    match item {
        Item::Int(v) => v as f64,
        Item::Str(s) => strtod_prefix(&s[..s.len().min(127)]).unwrap_or(0.0),
    }
}

fn big_limits() -> Limits {
    Limits {
        hash_entries: usize::MAX,
        hash_value: usize::MAX,
        zset_entries: usize::MAX,
        zset_value: usize::MAX,
        set_intset_entries: usize::MAX,
        ..Limits::default()
    }
}

/// Field/value (or member/score) pairs from a listpack or ziplist, refusing an
/// odd count or a repeated first half, as `lpPairsValidateIntegrityAndDups`.
fn pairs<'a>(items: &'a [Item<'a>]) -> Result<Vec<(Vec<u8>, Item<'a>)>> {
    if !items.len().is_multiple_of(2) {
        return Err(corrupt("odd number of elements in pairs"));
    }
    let mut seen: Map<Vec<u8>, ()> = Map::default();
    let mut out = Vec::with_capacity(items.len() / 2);
    for pair in items.chunks_exact(2) {
        let field = pair[0].to_bytes();
        if seen.insert(field.clone(), ()).is_some() {
            return Err(corrupt("duplicate fields"));
        }
        out.push((field, pair[1]));
    }
    Ok(out)
}

fn hash_from_pairs(pairs: Vec<(Vec<u8>, Item<'_>)>, limits: &Limits) -> Result<Value> {
    if pairs.is_empty() {
        return Err(RdbError::EmptyKey);
    }
    let mut h = Hash::new();
    for (f, v) in pairs {
        h.map.insert(Bytes::from(f), Bytes::from(v.to_bytes()));
    }
    h.listpack = h.len() <= limits.hash_entries;
    Ok(Value::Hash(h))
}

fn zset_from_pairs(pairs: Vec<(Vec<u8>, Item<'_>)>, limits: &Limits) -> Result<Value> {
    if pairs.is_empty() {
        return Err(RdbError::EmptyKey);
    }
    let big = big_limits();
    let mut z = ZSet::new();
    for (member, score) in pairs {
        let score = lp_score(score);
        if score.is_nan() {
            return Err(corrupt("zset with NaN score"));
        }
        z.insert(&member, score, &big);
    }
    z.listpack = z.len() <= limits.zset_entries;
    Ok(Value::ZSet(Box::new(z)))
}

/// `rdbLoadObject` for the type byte `rdbtype`.
pub fn object(r: &mut Reader<'_>, rdbtype: u8, limits: &Limits) -> Result<Value> {
    match rdbtype {
        types::STRING => Ok(Value::Str(Str::stored(r.string()?))),
        types::LIST => {
            let n = r.count()?;
            if n == 0 {
                return Err(RdbError::EmptyKey);
            }
            let mut list = VecDeque::new();
            for _ in 0..n {
                list.push_back(r.string()?);
            }
            Ok(Value::List(list))
        }
        types::SET => load_set(r, limits),
        types::ZSET | types::ZSET_2 => load_zset(r, rdbtype == types::ZSET_2, limits),
        types::HASH => load_hash(r, limits),
        types::LIST_QUICKLIST | types::LIST_QUICKLIST_2 => {
            load_quicklist(r, rdbtype == types::LIST_QUICKLIST_2)
        }
        types::HASH_ZIPMAP => {
            let blob = r.string()?;
            let pairs = zipmap::parse(&blob).ok_or(corrupt("zipmap integrity check failed"))?;
            let mut h = Hash::new();
            let mut maxlen = 0;
            for (f, v) in pairs {
                maxlen = maxlen.max(f.len()).max(v.len());
                if h.map.insert(Bytes::from(f), Bytes::from(v)).is_some() {
                    return Err(corrupt("hash zipmap with dup elements"));
                }
            }
            h.listpack = h.len() <= limits.hash_entries && maxlen <= limits.hash_value;
            Ok(Value::Hash(h))
        }
        types::LIST_ZIPLIST => {
            let blob = r.string()?;
            let items =
                ziplist::parse(&blob).ok_or(corrupt("list ziplist integrity check failed"))?;
            if items.is_empty() {
                return Err(RdbError::EmptyKey);
            }
            Ok(Value::List(items.into_iter().map(Item::to_bytes).collect()))
        }
        types::SET_INTSET => {
            let blob = r.string()?;
            let ints = intset::parse(&blob).ok_or(corrupt("intset integrity check failed"))?;
            let mut set = Set::Ints(ints);
            if set.len() > limits.set_intset_entries {
                let members = set.members();
                let mut m = Map::default();
                m.reserve(members.len());
                for k in members {
                    m.insert(k, ());
                }
                set = Set::Table(m);
            }
            Ok(Value::Set(set))
        }
        types::ZSET_ZIPLIST | types::ZSET_LISTPACK | types::HASH_ZIPLIST | types::HASH_LISTPACK => {
            let blob = r.string()?;
            let items = if matches!(rdbtype, types::ZSET_ZIPLIST | types::HASH_ZIPLIST) {
                ziplist::parse(&blob)
            } else {
                listpack::parse(&blob)
            }
            .ok_or(corrupt("ziplist or listpack integrity check failed"))?;
            let pairs = pairs(&items)?;
            if matches!(rdbtype, types::ZSET_ZIPLIST | types::ZSET_LISTPACK) {
                zset_from_pairs(pairs, limits)
            } else {
                hash_from_pairs(pairs, limits)
            }
        }
        types::STREAM_LISTPACKS | types::STREAM_LISTPACKS_2 => {
            stream::load_stream(r, rdbtype == types::STREAM_LISTPACKS_2)
        }
        types::MODULE | types::MODULE_2 => Err(corrupt("module data without a module")),
        _ => Err(corrupt("unknown object type")),
    }
}

fn load_set(r: &mut Reader<'_>, limits: &Limits) -> Result<Value> {
    let n = r.count()?;
    if n == 0 {
        return Err(RdbError::EmptyKey);
    }
    let max = limits.set_intset_entries.min(1 << 30) as u64;
    let mut ints: Option<Vec<i64>> = (n <= max).then(Vec::new);
    let mut table: Map<Vec<u8>, ()> = Map::default();
    for _ in 0..n {
        let member = r.string()?;
        if let Some(v) = ints.as_mut() {
            if let Some(i) = num::parse_i64(&member) {
                v.push(i);
                continue;
            }
            // Not an integer: from here on a hashtable, as setTypeConvert.
            for i in v.drain(..) {
                if table.insert(i.to_string().into_bytes(), ()).is_some() {
                    return Err(corrupt("duplicate set members"));
                }
            }
            ints = None;
        }
        if table.insert(member, ()).is_some() {
            return Err(corrupt("duplicate set members"));
        }
    }
    match ints {
        Some(mut v) => {
            v.sort_unstable();
            if v.windows(2).any(|w| w[0] == w[1]) {
                return Err(corrupt("duplicate set members"));
            }
            Ok(Value::Set(Set::Ints(v)))
        }
        None => Ok(Value::Set(Set::Table(table))),
    }
}

fn load_zset(r: &mut Reader<'_>, binary: bool, limits: &Limits) -> Result<Value> {
    let n = r.count()?;
    if n == 0 {
        return Err(RdbError::EmptyKey);
    }
    let big = big_limits();
    let mut z = ZSet::new();
    let (mut maxlen, mut total) = (0usize, 0usize);
    for _ in 0..n {
        let member = r.string()?;
        let score = if binary {
            r.binary_double()?
        } else {
            r.text_double()?
        };
        if score.is_nan() {
            return Err(corrupt("zset with NaN score"));
        }
        maxlen = maxlen.max(member.len());
        total = total.saturating_add(member.len());
        if z.insert(&member, score, &big).is_some() {
            return Err(corrupt("duplicate zset fields"));
        }
    }
    z.listpack = z.len() <= limits.zset_entries
        && maxlen <= limits.zset_value
        && total <= LISTPACK_MAX_SAFETY_SIZE;
    Ok(Value::ZSet(Box::new(z)))
}

fn load_hash(r: &mut Reader<'_>, limits: &Limits) -> Result<Value> {
    let n = r.count()?;
    if n == 0 {
        return Err(RdbError::EmptyKey);
    }
    let mut h = Hash::new();
    h.listpack = n <= limits.hash_entries as u64;
    let mut lp_bytes = 7usize;
    for _ in 0..n {
        let field = r.string()?;
        let value = r.string()?;
        if h.listpack {
            let add = field.len() + value.len();
            if field.len() > limits.hash_value
                || value.len() > limits.hash_value
                || lp_bytes.saturating_add(add) > LISTPACK_MAX_SAFETY_SIZE
            {
                h.listpack = false;
            } else {
                lp_bytes = lp_bytes.saturating_add(add + 22);
            }
        }
        if h.map
            .insert(Bytes::from(field), Bytes::from(value))
            .is_some()
        {
            return Err(corrupt("duplicate hash fields"));
        }
    }
    Ok(Value::Hash(h))
}

fn load_quicklist(r: &mut Reader<'_>, v2: bool) -> Result<Value> {
    let n = r.count()?;
    if n == 0 {
        return Err(RdbError::EmptyKey);
    }
    let mut list = VecDeque::new();
    for _ in 0..n {
        let container = if v2 { r.len()? } else { 2 };
        if container != 1 && container != 2 {
            return Err(corrupt("quicklist integrity check failed"));
        }
        let data = r.string()?;
        if data.is_empty() {
            return Err(corrupt("empty quicklist node"));
        }
        if container == 1 {
            list.push_back(data);
            continue;
        }
        let items = if v2 {
            listpack::parse(&data)
        } else {
            ziplist::parse(&data)
        }
        .ok_or(corrupt("quicklist node integrity check failed"))?;
        list.extend(items.into_iter().map(Item::to_bytes));
    }
    if list.is_empty() {
        return Err(RdbError::EmptyKey);
    }
    Ok(Value::List(list))
}

#[cfg(test)]
mod tests {
    use super::strtod_prefix;

    #[test]
    fn strtod_reads_prefixes() {
        assert_eq!(strtod_prefix(b"1.5"), Some(1.5));
        assert_eq!(strtod_prefix(b"  -2e3xyz"), Some(-2000.0));
        assert_eq!(strtod_prefix(b"3."), Some(3.0));
        assert_eq!(strtod_prefix(b".25"), Some(0.25));
        assert_eq!(strtod_prefix(b"1e"), Some(1.0));
        assert_eq!(strtod_prefix(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(strtod_prefix(b"0x10"), Some(16.0));
        assert!(strtod_prefix(b"nan").is_some_and(f64::is_nan));
        assert_eq!(strtod_prefix(b"abc"), None);
        assert_eq!(strtod_prefix(b""), None);
        assert_eq!(strtod_prefix(b"1e999"), Some(f64::INFINITY));
    }
}
