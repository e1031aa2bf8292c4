//! The simulated database and the row format it shares with the cache.
//!
//! The database holds one row per key, each with a version that every write bumps.
//! Rows are not stored as text: a row's content is a pure function of its id and
//! version, `{"id":42,"v":7}` (padded with a `"pad"` field when the configuration
//! asks for bigger values), so the versions alone describe the whole table. The same
//! bytes are what the application stores in the cache, and [`parse_row`] reads them
//! back out of a real GET reply: that is how a stale read (an older version than the
//! newest one) is detected.
//!
//! Latency is not modelled here; the simulation charges it per query.

use crate::num::push_u64;

/// Every row starts at this version.
pub const INITIAL_VERSION: u32 = 1;

/// The rows' versions, indexed by key id - 1.
#[derive(Clone, Debug)]
pub struct Database {
    versions: Vec<u32>,
}

impl Database {
    pub fn new(keys: u32) -> Database {
        Database {
            versions: vec![INITIAL_VERSION; keys as usize],
        }
    }

    /// The current version of row `key` (1-based); 0 for a key that doesn't exist.
    pub fn read(&self, key: u32) -> u32 {
        key.checked_sub(1)
            .and_then(|i| self.versions.get(i as usize))
            .copied()
            .unwrap_or(0)
    }

    /// Stores `version` in row `key`; unknown keys are ignored.
    pub fn write(&mut self, key: u32, version: u32) {
        if let Some(v) = key
            .checked_sub(1)
            .and_then(|i| self.versions.get_mut(i as usize))
        {
            *v = version;
        }
    }
}

const PAD_OVERHEAD: usize = r#","pad":"""#.len();

/// Appends the row for (`id`, `version`) to `out`, padded to about `value_bytes`.
///
/// The pad field costs 9 bytes of its own, so a row that is less than 9 bytes short
/// of `value_bytes` is left as it is.
pub fn encode_row(id: u32, version: u32, value_bytes: u32, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(br#"{"id":"#);
    push_u64(out, id.into());
    out.extend_from_slice(br#","v":"#);
    push_u64(out, version.into());
    let natural = out.len() - start + 1;
    let want = value_bytes as usize;
    if want >= natural + PAD_OVERHEAD {
        out.extend_from_slice(br#","pad":""#);
        out.resize(out.len() + (want - natural - PAD_OVERHEAD), b'x');
        out.push(b'"');
    }
    out.push(b'}');
}

/// The (id, version) of a row as [`encode_row`] writes it; None for anything else.
pub fn parse_row(bytes: &[u8]) -> Option<(u32, u32)> {
    let rest = bytes.strip_prefix(br#"{"id":"#)?;
    let (id, rest) = parse_u32(rest)?;
    let rest = rest.strip_prefix(br#","v":"#)?;
    let (version, rest) = parse_u32(rest)?;
    match rest.first() {
        Some(b'}') | Some(b',') => Some((id, version)),
        _ => None,
    }
}

/// Leading decimal digits as a u32, and what follows them.
fn parse_u32(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 10 {
        return None;
    }
    let (num, rest) = bytes.split_at(digits);
    let mut n: u32 = 0;
    for &d in num {
        n = n.checked_mul(10)?.checked_add(u32::from(d - b'0'))?;
    }
    Some((n, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: u32, v: u32, bytes: u32) -> Vec<u8> {
        let mut out = Vec::new();
        encode_row(id, v, bytes, &mut out);
        out
    }

    #[test]
    fn rows_round_trip_and_pad() {
        assert_eq!(row(42, 7, 0), br#"{"id":42,"v":7}"#);
        assert_eq!(parse_row(&row(42, 7, 0)), Some((42, 7)));
        let padded = row(42, 7, 100);
        assert_eq!(padded.len(), 100);
        assert_eq!(parse_row(&padded), Some((42, 7)));
        assert_eq!(
            row(1, 1, 20),
            br#"{"id":1,"v":1}"#,
            "too little room for the pad field"
        );
        assert_eq!(
            parse_row(&row(u32::MAX, u32::MAX, 0)),
            Some((u32::MAX, u32::MAX))
        );
    }

    #[test]
    fn foreign_values_are_not_rows() {
        for bad in [
            &b""[..],
            b"hello",
            br#"{"id":1}"#,
            br#"{"id":1,"v":}"#,
            br#"{"id":99999999999,"v":1}"#,
            br#"{"id":1,"v":2"#,
        ] {
            assert_eq!(parse_row(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn database_ignores_unknown_keys() {
        let mut db = Database::new(3);
        assert_eq!(db.read(1), INITIAL_VERSION);
        db.write(3, 9);
        assert_eq!(db.read(3), 9);
        db.write(0, 5);
        db.write(4, 5);
        assert_eq!((db.read(0), db.read(4)), (0, 0));
    }
}
