//! How two replies are compared under each `Compare` mode of a script line:
//! byte for byte, as multisets, with tolerances, or with the values that name a
//! connection or measure time masked.

use crate::resp::{Reply, Value};
use crate::script::Compare;

fn is_cursor(v: &Value) -> bool {
    matches!(v, Value::Bulk(Some(b)) if !b.is_empty() && b.iter().all(u8::is_ascii_digit))
}

/// A canonical encoding in which arrays are multisets. A SCAN-like
/// `[cursor, [items]]` reply is reduced to its items.
pub fn unordered_key(v: &Value) -> Vec<u8> {
    match v {
        Value::Array(Some(items)) => {
            if items.len() == 2 && is_cursor(&items[0]) && matches!(items[1], Value::Array(Some(_)))
            {
                return unordered_key(&items[1]);
            }
            let mut parts: Vec<Vec<u8>> = items.iter().map(unordered_key).collect();
            parts.sort();
            let mut out = format!("*{}\r\n", parts.len()).into_bytes();
            for p in parts {
                out.extend_from_slice(&p);
            }
            out
        }
        other => other.encode(),
    }
}

pub(super) fn same(compare: Compare, r: &Reply, c: &Reply) -> bool {
    match compare {
        Compare::Exact => r.raw == c.raw,
        // Nothing to compare, except that both succeeded or both failed.
        Compare::Ignore => matches!(r.value, Value::Error(_)) == matches!(c.value, Value::Error(_)),
        Compare::Unordered => unordered_key(&r.value) == unordered_key(&c.value),
        Compare::Approx(n) => approx_eq(&r.value, &c.value, n.unsigned_abs()),
        Compare::Clients => match (&r.value, &c.value) {
            (Value::Bulk(Some(a)), Value::Bulk(Some(b))) => mask_clients(a) == mask_clients(b),
            _ => r.raw == c.raw,
        },
        Compare::SlowLog => slowlog_key(&r.value) == slowlog_key(&c.value),
        Compare::Histogram => histogram_key(&r.value) == histogram_key(&c.value),
        Compare::DebugObject => mask_debug_object(&r.raw) == mask_debug_object(&c.raw),
    }
}

/// DEBUG OBJECT's status line with `Value at:<address>`, `lru:<clock>` and
/// `lru_seconds_idle` masked (the servers' clocks tick over whole seconds at
/// different moments; OBJECT IDLETIME's lines check idle times, with `!approx`).
fn mask_debug_object(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw)
        .split(' ')
        .map(|field| match field.split_once(':') {
            Some(("at" | "lru" | "lru_seconds_idle", _)) => "*".to_string(),
            _ => field.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A LATENCY HISTOGRAM reply (RESP2: `[name, [calls, n, histogram_usec,
/// [...]], ...]`) without the buckets, its commands in any order (Redis lists
/// them in its hash tables' order).
fn histogram_key(v: &Value) -> Vec<u8> {
    let Value::Array(Some(items)) = v else {
        return v.encode();
    };
    let mut pairs: Vec<Vec<u8>> = items
        .chunks(2)
        .map(|pair| {
            let mut out = Vec::new();
            for item in pair {
                match item {
                    Value::Array(Some(f)) if f.len() == 4 => {
                        for field in &f[..3] {
                            out.extend_from_slice(&field.encode());
                        }
                    }
                    other => out.extend_from_slice(&other.encode()),
                }
            }
            out
        })
        .collect();
    pairs.sort();
    let mut out = format!("*{}\r\n", items.len()).into_bytes();
    for p in pairs {
        out.extend_from_slice(&p);
    }
    out
}

/// A SLOWLOG GET reply reduced to what two servers share: per entry, the
/// arguments and the client name. Anything else (an error) as it is.
fn slowlog_key(v: &Value) -> Vec<u8> {
    match v {
        Value::Array(Some(entries)) => {
            let mut out = format!("*{}\r\n", entries.len()).into_bytes();
            for e in entries {
                match e {
                    Value::Array(Some(f)) if f.len() == 6 => {
                        out.extend_from_slice(&f[3].encode());
                        out.extend_from_slice(&f[5].encode());
                    }
                    other => out.extend_from_slice(&other.encode()),
                }
            }
            out
        }
        other => other.encode(),
    }
}

/// CLIENT LIST's fields that name the connection or measure time and buffers,
/// which no two servers share.
const CLIENT_VOLATILE: &[&str] = &[
    "id",
    "addr",
    "laddr",
    "fd",
    "age",
    "idle",
    "qbuf-free",
    "argv-mem",
    "multi-mem",
    "rbs",
    "rbp",
    "obl",
    "oll",
    "omem",
    "tot-mem",
];

/// CLIENT LIST text with the values of [`CLIENT_VOLATILE`] fields replaced by `*`.
fn mask_clients(text: &[u8]) -> String {
    String::from_utf8_lossy(text)
        .split('\n')
        .map(|line| {
            line.split(' ')
                .map(|field| match field.split_once('=') {
                    Some((k, _)) if CLIENT_VOLATILE.contains(&k) => format!("{k}=*"),
                    _ => field.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A MONITOR line (`+<secs>.<micros> [<db> <addr>] "arg" ...`) with the time
/// and the client's address (not a script's `lua`) replaced by `*`; anything
/// else as it is.
pub(super) fn mask_monitor(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let masked = text.strip_prefix('+').and_then(|line| {
        let (time, rest) = line.split_once(" [")?;
        let (secs, micros) = time.split_once('.')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(secs) || micros.len() != 6 || !digits(micros) {
            return None;
        }
        let (db, rest) = rest.split_once(' ')?;
        // A script's commands show `lua` where a client shows its address.
        let (addr, args) = rest.split_once("] ")?;
        let addr = if addr == "lua" { "lua" } else { "*" };
        Some(format!("+* [{db} {addr}] {args}"))
    });
    masked.unwrap_or_else(|| text.into_owned())
}

/// Equal, except that integers (also inside arrays) may differ by at most `n`.
fn approx_eq(r: &Value, c: &Value, n: u64) -> bool {
    match (r, c) {
        (Value::Integer(a), Value::Integer(b)) => a.abs_diff(*b) <= n,
        (Value::Array(Some(a)), Value::Array(Some(b))) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| approx_eq(x, y, n))
        }
        _ => r == c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_mask_only_the_connection_values() {
        let a = b"id=4 addr=127.0.0.1:5 laddr=127.0.0.1:6379 fd=8 name=x age=3 idle=0 flags=N db=0 qbuf=26 cmd=client|list\n";
        let b = b"id=9 addr=127.0.0.1:7 laddr=127.0.0.1:7000 fd=11 name=x age=0 idle=1 flags=N db=0 qbuf=26 cmd=client|list\n";
        assert_eq!(mask_clients(a), mask_clients(b));
        // The request's own size is compared: both servers hold it in qbuf.
        let other_qbuf = b"id=9 addr=127.0.0.1:7 laddr=127.0.0.1:7000 fd=11 name=x age=0 idle=1 flags=N db=0 qbuf=0 cmd=client|list\n";
        assert_ne!(mask_clients(a), mask_clients(other_qbuf));
        let other_db = b"id=9 addr=127.0.0.1:7 laddr=127.0.0.1:7000 fd=11 name=x age=0 idle=1 flags=N db=1 qbuf=0 cmd=client|list\n";
        assert_ne!(mask_clients(a), mask_clients(other_db));
        assert_ne!(mask_clients(a), mask_clients(b"id=4\n"));
    }

    #[test]
    fn monitor_lines_mask_the_time_and_address_only() {
        let a = b"+1700000000.123456 [0 127.0.0.1:5] \"SET\" \"k\"";
        let b = b"+1795771439.287000 [0 127.0.0.1:50001] \"SET\" \"k\"";
        assert_eq!(mask_monitor(a), mask_monitor(b));
        assert_eq!(mask_monitor(a), "+* [0 *] \"SET\" \"k\"");
        let other_db = b"+1795771439.287000 [1 127.0.0.1:50001] \"SET\" \"k\"";
        assert_ne!(mask_monitor(a), mask_monitor(other_db));
        // Not a monitor line: compared as it is.
        assert_eq!(mask_monitor(b"+OK"), "+OK");
    }

    #[test]
    fn approx_tolerates_integers_inside_arrays_only() {
        let row = |idle: i64, count: i64| {
            Value::Array(Some(vec![
                Value::Bulk(Some(b"1-1".to_vec())),
                Value::Integer(idle),
                Value::Integer(count),
            ]))
        };
        assert!(approx_eq(&row(3, 2), &row(0, 2), 5));
        assert!(!approx_eq(&row(9, 2), &row(0, 2), 5));
        assert!(!approx_eq(
            &Value::Integer(1),
            &Value::Bulk(Some(b"1".to_vec())),
            5
        ));
        assert!(!approx_eq(&Value::Array(Some(vec![])), &row(0, 2), 5));
    }

    fn arr(items: Vec<Value>) -> Value {
        Value::Array(Some(items))
    }

    fn bulk(s: &str) -> Value {
        Value::Bulk(Some(s.as_bytes().to_vec()))
    }

    #[test]
    fn unordered_ignores_order_and_scan_cursors() {
        assert_eq!(
            unordered_key(&arr(vec![bulk("a"), bulk("b")])),
            unordered_key(&arr(vec![bulk("b"), bulk("a")]))
        );
        assert_ne!(
            unordered_key(&arr(vec![bulk("a"), bulk("a")])),
            unordered_key(&arr(vec![bulk("a")]))
        );
        let scan_a = arr(vec![bulk("17"), arr(vec![bulk("x"), bulk("y")])]);
        let scan_b = arr(vec![bulk("0"), arr(vec![bulk("y"), bulk("x")])]);
        assert_eq!(unordered_key(&scan_a), unordered_key(&scan_b));
        assert_ne!(unordered_key(&Value::Integer(1)), unordered_key(&bulk("1")));
    }
}
