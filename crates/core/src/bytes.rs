//! [`Bytes`]: a byte string kept inline when short, for the keys of the
//! keyspace's dicts, the bytes of string values, and bulk replies.
//!
//! A lookup in a big keyspace is a few cache misses: the hash index, the entry,
//! then the key's bytes to compare and the value's bytes to reply with. Most keys
//! and many values are short (`user:1001`, `key:000000012345`, `42`), so up to
//! [`INLINE`] bytes live inside the entry itself: no extra miss and no
//! allocation. Longer ones go to the heap, as a `Vec` that APPEND and SETRANGE
//! grow in place. Either way a `Bytes` hashes, compares and borrows exactly as
//! the `[u8]` it holds, so maps keyed by it are looked up with a plain `&[u8]`.
//!
//! A reply is built the same way: ZRANGE's ten members or HGETALL's fields are
//! copied into their `Reply::Bulk`s without an allocation each.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, DerefMut};

/// The longest byte string kept inline.
pub const INLINE: usize = 22;

#[derive(Clone)]
pub enum Bytes {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Vec<u8>),
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes::Inline {
            len: 0,
            bytes: [0; INLINE],
        }
    }
}

impl Bytes {
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Bytes::Inline { len, bytes } => &bytes[..usize::from(*len).min(INLINE)],
            Bytes::Heap(b) => b,
        }
    }

    pub fn to_vec(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }

    /// The bytes as a `Vec` to change in place (moved to the heap if inline).
    pub fn to_mut(&mut self) -> &mut Vec<u8> {
        if let Bytes::Inline { .. } = self {
            *self = Bytes::Heap(self.as_bytes().to_vec());
        }
        match self {
            Bytes::Heap(v) => v,
            Bytes::Inline { .. } => unreachable!("moved to the heap above"), // ok: the `if let` just above made it a heap string
        }
    }

    /// The bytes as a `Vec`, without copying if they are on the heap.
    pub fn into_vec(self) -> Vec<u8> {
        match self {
            Bytes::Heap(v) => v,
            inline => inline.as_bytes().to_vec(),
        }
    }
}

impl From<&[u8]> for Bytes {
    fn from(b: &[u8]) -> Bytes {
        if b.len() <= INLINE {
            let mut bytes = [0; INLINE];
            copy_short(&mut bytes, 0, b);
            Bytes::Inline {
                len: b.len() as u8,
                bytes,
            }
        } else {
            Bytes::Heap(b.to_vec())
        }
    }
}

impl From<Vec<u8>> for Bytes {
    /// Short strings are copied inline (and the Vec freed); long ones keep
    /// their allocation.
    fn from(v: Vec<u8>) -> Bytes {
        if v.len() <= INLINE {
            Bytes::from(v.as_slice())
        } else {
            Bytes::Heap(v)
        }
    }
}

impl Bytes {
    /// `n` in decimal, as INCR stores it: always inline (at most 20 bytes),
    /// so a counter changes without an allocation.
    pub fn from_i64(n: i64) -> Bytes {
        let magnitude = n.unsigned_abs();
        if magnitude < 100_000_000 {
            // Up to 8 digits come as one word from a register (see `push_u64`).
            let mut bytes = [0u8; INLINE];
            bytes[0] = b'-';
            let sign = usize::from(n < 0);
            let len = crate::num::decimal_len(magnitude);
            let word = crate::num::eight_digits(magnitude as u32) >> (8 * (8 - len));
            bytes[sign..sign + 8].copy_from_slice(&word.to_le_bytes());
            return Bytes::Inline {
                len: (sign + len) as u8,
                bytes,
            };
        }
        let mut digits = [0u8; 20];
        let start = crate::num::digits_u64(&mut digits, n.unsigned_abs());
        let mut bytes = [0u8; INLINE];
        let mut len = 0;
        if n < 0 {
            bytes[0] = b'-';
            len = 1;
        }
        copy_short(&mut bytes, len, &digits[start..]);
        let end = len + digits.len() - start;
        Bytes::Inline {
            len: end as u8,
            bytes,
        }
    }
}

/// Copies `src` to `dst[at..]` (at most [`INLINE`] bytes in all) with a few
/// fixed-size copies that may overlap, as memcpy does for short lengths: a
/// copy of variable length is a call (in wasm, out to the host's memmove).
#[inline]
fn copy_short(dst: &mut [u8; INLINE], at: usize, src: &[u8]) {
    let n = src.len();
    let Some(dst) = dst.get_mut(at..at + n) else {
        return; // ok: callers keep at + n within INLINE
    };
    if n >= 8 {
        dst[..8].copy_from_slice(&src[..8]);
        if n > 16 {
            dst[8..16].copy_from_slice(&src[8..16]);
        }
        dst[n - 8..].copy_from_slice(&src[n - 8..]);
    } else if n >= 4 {
        dst[..4].copy_from_slice(&src[..4]);
        dst[n - 4..].copy_from_slice(&src[n - 4..]);
    } else if n > 0 {
        dst[0] = src[0];
        dst[n / 2] = src[n / 2];
        dst[n - 1] = src[n - 1];
    }
}

impl<const N: usize> From<&[u8; N]> for Bytes {
    fn from(b: &[u8; N]) -> Bytes {
        Bytes::from(&b[..])
    }
}

impl From<&str> for Bytes {
    fn from(s: &str) -> Bytes {
        Bytes::from(s.as_bytes())
    }
}

impl From<String> for Bytes {
    fn from(s: String) -> Bytes {
        Bytes::from(s.into_bytes())
    }
}

impl From<&Bytes> for Bytes {
    fn from(b: &Bytes) -> Bytes {
        b.clone()
    }
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl DerefMut for Bytes {
    fn deref_mut(&mut self) -> &mut [u8] {
        match self {
            Bytes::Inline { len, bytes } => &mut bytes[..usize::from(*len).min(INLINE)],
            Bytes::Heap(v) => v,
        }
    }
}

impl Borrow<[u8]> for Bytes {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// Hashes as the `[u8]` it holds, as `Borrow` requires.
impl Hash for Bytes {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl PartialEq for Bytes {
    fn eq(&self, other: &Bytes) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Bytes {}

impl Ord for Bytes {
    fn cmp(&self, other: &Bytes) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl PartialOrd for Bytes {
    fn partial_cmp(&self, other: &Bytes) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq<[u8]> for Bytes {
    fn eq(&self, other: &[u8]) -> bool {
        self.as_bytes() == other
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_bytes(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Map;

    #[test]
    fn short_strings_are_inline_and_long_ones_on_the_heap() {
        for len in [0, 1, INLINE - 1, INLINE, INLINE + 1, 100] {
            let bytes: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let k = Bytes::from(bytes.clone());
            assert_eq!(k.as_bytes(), bytes.as_slice());
            assert_eq!(k, Bytes::from(bytes.as_slice()));
            assert_eq!(
                matches!(k, Bytes::Inline { .. }),
                len <= INLINE,
                "len {len}"
            );
            assert_eq!(k.clone().into_vec(), bytes);
        }
    }

    #[test]
    fn changing_in_place_moves_to_the_heap() {
        let mut b = Bytes::from(&b"abc"[..]);
        b.to_mut().extend_from_slice(b"def");
        assert_eq!(b.as_bytes(), b"abcdef");
        assert!(matches!(b, Bytes::Heap(_)));
        b.to_mut().resize(40, b'x');
        assert_eq!(b.len(), 40);
        assert_eq!(Bytes::default().as_bytes(), b"");
    }

    #[test]
    fn short_copies_land_every_byte() {
        let src: Vec<u8> = (1..=INLINE as u8).collect();
        for at in 0..=2 {
            for n in 0..=INLINE - at {
                let mut dst = [0u8; INLINE];
                copy_short(&mut dst, at, &src[..n]);
                let mut want = [0u8; INLINE];
                want[at..at + n].copy_from_slice(&src[..n]);
                assert_eq!(dst, want, "{n} bytes at {at}");
            }
        }
    }

    #[test]
    fn integers_are_written_inline_in_decimal() {
        let mut samples = vec![0, 7, -1, 10, 99_999_999, 100_000_000, -99_999_999];
        samples.extend([-100_000_000, 999_999_999, 1_000_000_000, -1_000_000_001]);
        samples.extend([i64::MAX, i64::MIN]);
        samples.extend((0..40_000).map(|i| i * 2_503 - 50_000_000));
        for n in samples {
            let b = Bytes::from_i64(n);
            assert_eq!(b.as_bytes(), n.to_string().as_bytes());
            assert!(matches!(b, Bytes::Inline { .. }), "{n}");
        }
    }

    #[test]
    fn a_map_keyed_by_bytes_is_looked_up_with_slices() {
        let mut m: Map<Bytes, u32> = Map::default();
        m.insert(Bytes::from(&b"user:1"[..]), 1);
        m.insert(Bytes::from(vec![b'x'; 40]), 2);
        assert_eq!(m.get(&b"user:1"[..]), Some(&1));
        assert_eq!(m.get(vec![b'x'; 40].as_slice()), Some(&2));
        assert_eq!(m.get(&b"user:2"[..]), None);
        // Binary-safe: a NUL byte and a trailing zero are part of the key.
        m.insert(Bytes::from(&b"a\0"[..]), 3);
        assert_eq!(m.get(&b"a"[..]), None);
        assert_eq!(m.get(&b"a\0"[..]), Some(&3));
    }
}
