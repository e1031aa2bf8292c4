//! Listpacks (Redis's `listpack.c`), the compact encoding of small hashes and
//! sorted sets, of quicklist nodes and of stream nodes.
//!
//! [`Listpack`] builds one the way `lpAppend` does (a string that reads as an
//! integer is stored as an integer); [`parse`] checks one as thoroughly as
//! `lpValidateIntegrity` with deep sanitization and returns its entries.

use crate::num;

const HEADER: usize = 6;
const EOF: u8 = 0xff;
/// The element count in the header when it no longer fits 16 bits.
const COUNT_UNKNOWN: usize = u16::MAX as usize;

/// One listpack element as stored: an integer or a byte string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item<'a> {
    Int(i64),
    Str(&'a [u8]),
}

impl Item<'_> {
    /// The element as Redis hands it out: integers in decimal.
    pub fn to_bytes(self) -> Vec<u8> {
        match self {
            Item::Int(v) => v.to_string().into_bytes(),
            Item::Str(s) => s.to_vec(),
        }
    }

    /// `lpGetIntegerIfValid`: the integer an element holds or spells.
    pub fn as_int(self) -> Option<i64> {
        match self {
            Item::Int(v) => Some(v),
            Item::Str(s) => num::parse_i64(s),
        }
    }

    pub fn eq_bytes(self, other: &[u8]) -> bool {
        match self {
            Item::Str(s) => s == other,
            Item::Int(v) => num::parse_i64(other) == Some(v),
        }
    }
}

/// A listpack under construction.
#[derive(Clone, Debug)]
pub struct Listpack {
    buf: Vec<u8>,
    count: usize,
}

impl Default for Listpack {
    fn default() -> Self {
        Listpack::new()
    }
}

/// Bytes `lpEncodeBacklen` needs for an entry of `l` bytes.
fn backlen_size(l: u64) -> usize {
    match l {
        0..=127 => 1,
        128..=16382 => 2,
        16383..=2097150 => 3,
        2097151..=268435454 => 4,
        _ => 5,
    }
}

fn push_backlen(buf: &mut Vec<u8>, l: u64) {
    match backlen_size(l) {
        1 => buf.push(l as u8),
        2 => buf.extend_from_slice(&[(l >> 7) as u8, (l & 127) as u8 | 128]),
        3 => buf.extend_from_slice(&[
            (l >> 14) as u8,
            ((l >> 7) & 127) as u8 | 128,
            (l & 127) as u8 | 128,
        ]),
        4 => buf.extend_from_slice(&[
            (l >> 21) as u8,
            ((l >> 14) & 127) as u8 | 128,
            ((l >> 7) & 127) as u8 | 128,
            (l & 127) as u8 | 128,
        ]),
        _ => buf.extend_from_slice(&[
            (l >> 28) as u8,
            ((l >> 21) & 127) as u8 | 128,
            ((l >> 14) & 127) as u8 | 128,
            ((l >> 7) & 127) as u8 | 128,
            (l & 127) as u8 | 128,
        ]),
    }
}

impl Listpack {
    pub fn new() -> Listpack {
        Listpack {
            buf: vec![0; HEADER],
            count: 0,
        }
    }

    /// `lpAppend`: stores `ele` as an integer when it spells one.
    pub fn push(&mut self, ele: &[u8]) {
        match num::parse_i64(ele) {
            Some(v) => self.push_int(v),
            None => self.push_str(ele),
        }
    }

    /// `lpAppendInteger`.
    pub fn push_int(&mut self, v: i64) {
        let start = self.buf.len();
        let b = &mut self.buf;
        if (0..=127).contains(&v) {
            b.push(v as u8);
        } else if (-4096..=4095).contains(&v) {
            let u = if v < 0 { (1 << 13) + v } else { v } as u64;
            b.extend_from_slice(&[(u >> 8) as u8 | 0xc0, u as u8]);
        } else if (-32768..=32767).contains(&v) {
            b.push(0xf1);
            b.extend_from_slice(&(v as i16).to_le_bytes());
        } else if (-8_388_608..=8_388_607).contains(&v) {
            b.push(0xf2);
            b.extend_from_slice(&(v as i32).to_le_bytes()[..3]);
        } else if (-2_147_483_648..=2_147_483_647).contains(&v) {
            b.push(0xf3);
            b.extend_from_slice(&(v as i32).to_le_bytes());
        } else {
            b.push(0xf4);
            b.extend_from_slice(&v.to_le_bytes());
        }
        let len = (b.len() - start) as u64;
        push_backlen(b, len);
        self.count += 1;
    }

    /// Appends `s` as a string element, whatever it spells.
    pub fn push_str(&mut self, s: &[u8]) {
        let start = self.buf.len();
        let b = &mut self.buf;
        let len = s.len();
        if len < 64 {
            b.push(len as u8 | 0x80);
        } else if len < 4096 {
            b.extend_from_slice(&[(len >> 8) as u8 | 0xe0, len as u8]);
        } else {
            b.push(0xf0);
            b.extend_from_slice(&(len as u32).to_le_bytes());
        }
        b.extend_from_slice(s);
        let entry = (b.len() - start) as u64;
        push_backlen(b, entry);
        self.count += 1;
    }

    /// Elements appended so far.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// `lpBytes` of the finished listpack.
    pub fn total_bytes(&self) -> usize {
        self.buf.len() + 1
    }

    /// The finished listpack: header, entries, terminator.
    pub fn finish(mut self) -> Vec<u8> {
        self.buf.push(EOF);
        let total = self.buf.len() as u32;
        let count = self.count.min(COUNT_UNKNOWN) as u16;
        self.buf[..4].copy_from_slice(&total.to_le_bytes());
        self.buf[4..6].copy_from_slice(&count.to_le_bytes());
        self.buf
    }
}

/// Bytes the encoding header of the entry starting with `b` takes
/// (`lpCurrentEncodedSizeBytes`), 0 for an invalid encoding.
fn header_size(b: u8) -> usize {
    match b {
        0x00..=0x7f | 0x80..=0xbf | 0xc0..=0xdf | 0xf1..=0xf4 => 1,
        0xe0..=0xef => 2,
        0xf0 => 5,
        _ => 0,
    }
}

/// `lpDecodeBacklen` reading backwards from `lp[end]`.
fn decode_backlen(lp: &[u8], end: usize) -> Option<u64> {
    let mut val: u64 = 0;
    let mut shift = 0;
    let mut i = end;
    loop {
        let b = *lp.get(i)?;
        val |= u64::from(b & 127) << shift;
        if b & 128 == 0 {
            return Some(val);
        }
        shift += 7;
        if shift > 28 {
            return None;
        }
        i = i.checked_sub(1)?;
    }
}

fn le(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .rev()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// Decodes the (validated) entry at `lp[p..]`.
fn item_at(lp: &[u8], p: usize) -> Option<Item<'_>> {
    let b = *lp.get(p)?;
    let (uval, negstart, negmax): (u64, u64, u64) = match b {
        0x00..=0x7f => return Some(Item::Int(i64::from(b))),
        0x80..=0xbf => {
            let n = usize::from(b & 0x3f);
            return lp.get(p + 1..p + 1 + n).map(Item::Str);
        }
        0xc0..=0xdf => (
            (u64::from(b & 0x1f) << 8) | u64::from(*lp.get(p + 1)?),
            1 << 12,
            8191,
        ),
        0xe0..=0xef => {
            let n = (usize::from(b & 0xf) << 8) | usize::from(*lp.get(p + 1)?);
            return lp.get(p + 2..p + 2 + n).map(Item::Str);
        }
        0xf0 => {
            let n = le(lp.get(p + 1..p + 5)?) as usize;
            return lp
                .get(p + 5..p.checked_add(5)?.checked_add(n)?)
                .map(Item::Str);
        }
        0xf1 => (le(lp.get(p + 1..p + 3)?), 1 << 15, u64::from(u16::MAX)),
        0xf2 => (le(lp.get(p + 1..p + 4)?), 1 << 23, u64::from(u32::MAX >> 8)),
        0xf3 => (le(lp.get(p + 1..p + 5)?), 1 << 31, u64::from(u32::MAX)),
        0xf4 => (le(lp.get(p + 1..p + 9)?), 1 << 63, u64::MAX),
        _ => return None,
    };
    let v = if uval >= negstart {
        -((negmax - uval) as i64) - 1
    } else {
        uval as i64
    };
    Some(Item::Int(v))
}

/// Checks a listpack as `lpValidateIntegrity` does with deep sanitization and
/// returns its elements; None if anything is off.
pub fn parse(lp: &[u8]) -> Option<Vec<Item<'_>>> {
    let size = lp.len();
    if size < HEADER + 1 {
        return None;
    }
    if le(&lp[..4]) != size as u64 || lp[size - 1] != EOF {
        return None;
    }
    let numele = le(&lp[4..6]) as usize;
    let last = size - 1;
    let mut items = Vec::new();
    let mut p = HEADER;
    while lp[p] != EOF {
        let lenbytes = header_size(lp[p]);
        if lenbytes == 0 || p + lenbytes > last {
            return None;
        }
        let b = lp[p];
        let body: u64 = match b {
            0x00..=0x7f => 1,
            0x80..=0xbf => 1 + u64::from(b & 0x3f),
            0xc0..=0xdf => 2,
            0xe0..=0xef => 2 + ((u64::from(b & 0xf) << 8) | u64::from(lp[p + 1])),
            0xf0 => 5 + le(&lp[p + 1..p + 5]),
            0xf1 => 3,
            0xf2 => 4,
            0xf3 => 5,
            _ => 9,
        };
        let back = backlen_size(body) as u64;
        let entry = body + back;
        if (p as u64) + entry > last as u64 {
            return None;
        }
        let next = p + entry as usize;
        if decode_backlen(lp, next - 1)? + back != entry {
            return None;
        }
        items.push(item_at(lp, p)?);
        p = next;
    }
    if p != last {
        return None;
    }
    if numele != COUNT_UNKNOWN && numele != items.len() {
        return None;
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_redis() {
        // RPUSH l a b 1 2 300 -5 hello 70000 on redis-server 7.0.15.
        let mut lp = Listpack::new();
        for e in ["a", "b", "1", "2", "300", "-5", "hello", "70000"] {
            lp.push(e.as_bytes());
        }
        let expected: &[u8] = b"\x23\x00\x00\x00\x08\x00\x81a\x02\x81b\x02\x01\x01\x02\x01\xc1\x2c\x02\xdf\xfb\x02\x85hello\x06\xf2\x70\x11\x01\x04\xff";
        assert_eq!(lp.finish(), expected);
    }

    #[test]
    fn every_encoding_roundtrips() {
        let ints = [
            0,
            127,
            128,
            -1,
            4095,
            -4096,
            4096,
            -4097,
            32767,
            -32768,
            32768,
            8_388_607,
            -8_388_608,
            8_388_608,
            2_147_483_647,
            -2_147_483_648,
            2_147_483_648,
            i64::MAX,
            i64::MIN,
        ];
        let strs: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"x".repeat(63),
            b"x".repeat(64),
            b"y".repeat(4095),
            b"z".repeat(4096),
            b"z".repeat(70_000),
            b"007".to_vec(),
            b"-0".to_vec(),
        ];
        let mut lp = Listpack::new();
        for i in ints {
            lp.push_int(i);
        }
        for s in &strs {
            lp.push(s);
        }
        let bytes = lp.finish();
        let items = parse(&bytes).expect("valid");
        for (item, i) in items.iter().zip(ints) {
            assert_eq!(*item, Item::Int(i));
        }
        for (item, s) in items[ints.len()..].iter().zip(&strs) {
            assert_eq!(*item, Item::Str(s));
        }
    }

    #[test]
    fn rejects_damage() {
        let mut lp = Listpack::new();
        lp.push(b"hello");
        lp.push(b"12");
        let good = lp.finish();
        assert!(parse(&good).is_some());
        for i in 0..good.len() {
            for delta in [1u8, 0x40, 0x80] {
                let mut bad = good.clone();
                bad[i] = bad[i].wrapping_add(delta);
                // Flipping a string byte keeps it valid; anything else must not panic.
                let _ = parse(&bad);
            }
        }
        let mut wrong_count = good.clone();
        wrong_count[4] = 3;
        assert!(parse(&wrong_count).is_none());
        assert!(parse(&good[..good.len() - 1]).is_none());
    }
}
