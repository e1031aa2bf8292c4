//! The key panel's view model: which keys to list, how to print them and their TTLs.

use cachelab_core::engine::KeyOverview;

/// Rows beyond this are summarised as "… and N more"; the DOM stays small even after a
/// script creates thousands of keys.
pub const KEY_ROW_LIMIT: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRow {
    /// The key, printable: invalid UTF-8 and control characters appear as `\xHH`.
    pub key: String,
    /// `string`, `list`, `hash`, `set`, `zset`, `stream`.
    pub kind: &'static str,
    pub ttl_ms: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyList {
    pub rows: Vec<KeyRow>,
    /// How many keys exist beyond `rows`.
    pub hidden: usize,
}

impl KeyList {
    pub fn total(&self) -> usize {
        self.rows.len() + self.hidden
    }
}

/// Sorts keys bytewise (Redis's own order is a hash order, which would make rows jump
/// around) and keeps the first `limit`.
pub fn key_list(mut overview: Vec<KeyOverview>, limit: usize) -> KeyList {
    overview.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    let hidden = overview.len().saturating_sub(limit);
    let rows = overview
        .into_iter()
        .take(limit)
        .map(|o| KeyRow {
            key: display_key(&o.key),
            kind: o.kind,
            ttl_ms: o.ttl_ms,
        })
        .collect();
    KeyList { rows, hidden }
}

pub fn display_key(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for ch in chunk.valid().chars() {
            if ch.is_control() {
                let mut buf = [0u8; 4];
                for b in ch.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            } else {
                out.push(ch);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// A countdown that reads well when refreshed ten times a second: tenths below ten
/// seconds, then `42s`, `1m 05s`, `2h 03m`, `3d 04h`.
pub fn format_ttl(ms: u64) -> String {
    let s = ms / 1000;
    if ms < 10_000 {
        format!("{}.{}s", s, (ms % 1000) / 100)
    } else if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else if s < 86_400 {
        format!("{}h {:02}m", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}d {:02}h", s / 86_400, (s % 86_400) / 3600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ov(key: &[u8], ttl_ms: Option<u64>) -> KeyOverview {
        KeyOverview {
            key: key.to_vec(),
            kind: "string",
            ttl_ms,
        }
    }

    #[test]
    fn rows_are_sorted_and_capped() {
        let list = key_list(vec![ov(b"b", None), ov(b"a", Some(5)), ov(b"c", None)], 2);
        let keys: Vec<&str> = list.rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(list.rows[0].ttl_ms, Some(5));
        assert_eq!(list.hidden, 1);
        assert_eq!(list.total(), 3);
    }

    #[test]
    fn unprintable_bytes_are_escaped() {
        assert_eq!(display_key(b"user:1"), "user:1");
        assert_eq!(display_key("caf\u{e9}".as_bytes()), "caf\u{e9}");
        assert_eq!(display_key(b"a\nb\xff"), "a\\x0ab\\xff");
    }

    #[test]
    fn ttls_count_down_readably() {
        assert_eq!(format_ttl(0), "0.0s");
        assert_eq!(format_ttl(4_250), "4.2s");
        assert_eq!(format_ttl(42_000), "42s");
        assert_eq!(format_ttl(65_000), "1m 05s");
        assert_eq!(format_ttl(7_380_000), "2h 03m");
        assert_eq!(format_ttl(273_600_000), "3d 04h");
    }
}
