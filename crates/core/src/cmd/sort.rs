//! SORT and SORT_RO: sort a list, set or sorted set numerically or
//! lexicographically, optionally by external keys (`BY weight_*`, `BY h_*->field`),
//! fetching other keys (`GET`), with LIMIT and STORE.

use std::cmp::Ordering;

use super::{int_arg, is, strtod_arg};
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::value::Value;

/// `lookupKeyByPattern`: `#` is the element itself; otherwise the first `*` is
/// replaced by the element and `->field` reads a hash field. Only strings (or hash
/// fields) count; anything else is missing.
fn by_pattern(e: &mut Engine, db: usize, pattern: &[u8], elem: &[u8]) -> Option<Vec<u8>> {
    if pattern == b"#" {
        return Some(elem.to_vec());
    }
    let star = pattern.iter().position(|&b| b == b'*')?;
    let rest = &pattern[star + 1..];
    let arrow = rest
        .windows(2)
        .position(|w| w == b"->")
        .filter(|&i| i + 2 < rest.len());
    let (post, field) = match arrow {
        Some(i) => (&rest[..i], Some(&rest[i + 2..])),
        None => (rest, None),
    };
    let mut key = pattern[..star].to_vec();
    key.extend_from_slice(elem);
    key.extend_from_slice(post);
    match (e.lookup_read(db, &key)?, field) {
        (Value::Str(s), None) => Some(s.bytes.to_vec()),
        (Value::Hash(h), Some(f)) => h.get(f).map(<[u8]>::to_vec),
        _ => None,
    }
}

fn sort_generic(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>, readonly: bool) -> CmdResult {
    let (mut desc, mut alpha) = (false, false);
    let (mut limit_start, mut limit_count) = (0i64, -1i64);
    let mut store: Option<Vec<u8>> = None;
    let mut sortby: Option<Vec<u8>> = None;
    let mut dontsort = false;
    let mut gets: Vec<Vec<u8>> = Vec::new();
    let mut j = 2;
    while j < argv.len() {
        let left = argv.len() - j - 1;
        let a = &argv[j];
        if is(a, "asc") {
            desc = false;
        } else if is(a, "desc") {
            desc = true;
        } else if is(a, "alpha") {
            alpha = true;
        } else if is(a, "limit") && left >= 2 {
            limit_start = int_arg(&argv[j + 1])?;
            limit_count = int_arg(&argv[j + 2])?;
            j += 2;
        } else if !readonly && is(a, "store") && left >= 1 {
            store = Some(argv[j + 1].clone());
            j += 1;
        } else if is(a, "by") && left >= 1 {
            dontsort = !argv[j + 1].contains(&b'*');
            sortby = Some(argv[j + 1].clone());
            j += 1;
        } else if is(a, "get") && left >= 1 {
            gets.push(argv[j + 1].clone());
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    let db = c.db;
    let mut is_zset = false;
    let (mut elems, is_set, ordered): (Vec<Vec<u8>>, bool, bool) = match e.lookup_read(db, &argv[1])
    {
        None => (Vec::new(), false, true),
        Some(Value::List(l)) => (l.iter().cloned().collect(), false, true),
        Some(Value::Set(s)) => (s.members(), true, false),
        Some(Value::ZSet(z)) => {
            is_zset = true;
            (
                z.list.iter().map(|(_, m)| m.to_vec()).collect(),
                false,
                true,
            )
        }
        Some(_) => return Err(CmdError::WrongType),
    };
    if dontsort && is_set && (store.is_some() || c.in_script) {
        // A stored set result (or one a script sees) must not depend on
        // hash order: force ALPHA.
        dontsort = false;
        alpha = true;
        sortby = None;
    }
    let len = elems.len() as i64;
    let start = limit_start.max(0);
    let mut end = if limit_count < 0 {
        len - 1
    } else {
        start.saturating_add(limit_count) - 1
    };
    let mut start = start;
    if start >= len {
        start = len - 1;
        end = len - 2;
    }
    if end >= len {
        end = len - 1;
    }
    if dontsort && ordered && desc {
        // Sorted sets (and lists) keep their native order, reversed by DESC for zsets.
        if is_zset {
            elems.reverse();
        }
    }
    if !dontsort {
        let mut keyed: Vec<(Vec<u8>, f64, Option<Vec<u8>>)> = Vec::with_capacity(elems.len());
        let mut conversion_error = false;
        for el in elems {
            let by = match &sortby {
                Some(p) => by_pattern(e, db, p, &el),
                None => Some(el.clone()),
            };
            let mut score = 0.0;
            let mut cmpobj = None;
            if alpha {
                if sortby.is_some() {
                    cmpobj = by;
                }
            } else if let Some(b) = by {
                match strtod_arg(&b) {
                    // strtod overflow (ERANGE) is an error; a literal "inf" is not.
                    Some(v)
                        if v.is_finite()
                            || b.to_ascii_lowercase().windows(3).any(|w| w == b"inf") =>
                    {
                        score = v
                    }
                    _ => conversion_error = true,
                }
            }
            keyed.push((el, score, cmpobj));
        }
        if conversion_error {
            return Err(CmdError::err(
                "One or more scores can't be converted into double",
            ));
        }
        let by_pattern_set = sortby.is_some();
        keyed.sort_by(|a, b| {
            let ord = if !alpha {
                a.1.partial_cmp(&b.1)
                    .unwrap_or(Ordering::Equal)
                    .then_with(|| a.0.cmp(&b.0))
            } else if by_pattern_set {
                match (&a.2, &b.2) {
                    (None, None) => Ordering::Equal,
                    (None, Some(_)) => Ordering::Less,
                    (Some(_), None) => Ordering::Greater,
                    (Some(x), Some(y)) => x.cmp(y),
                }
            } else {
                a.0.cmp(&b.0)
            };
            if desc {
                ord.reverse()
            } else {
                ord
            }
        });
        elems = keyed.into_iter().map(|k| k.0).collect();
    }
    let picked: Vec<Vec<u8>> = if start < 0 || end < start {
        Vec::new()
    } else {
        elems
            .into_iter()
            .skip(start as usize)
            .take((end - start + 1) as usize)
            .collect()
    };
    let mut out: Vec<Option<Vec<u8>>> = Vec::new();
    for el in picked {
        if gets.is_empty() {
            out.push(Some(el));
        } else {
            for g in &gets {
                out.push(by_pattern(e, db, g, &el));
            }
        }
    }
    match store {
        None => Ok(Reply::Array(
            out.into_iter()
                .map(|v| v.map_or(Reply::Nil, Reply::bulk))
                .collect(),
        )),
        Some(dst) => {
            let n = out.len();
            let now = e.now_ms();
            if n > 0 {
                let list = out.into_iter().map(Option::unwrap_or_default).collect();
                e.db_mut(db).set(&dst, Value::List(list), now);
                e.signal_key(db, &dst);
                e.notify(crate::notify::LIST, "sortstore", &dst, db);
            } else if e.db_mut(db).remove(&dst).is_some() {
                // An empty result only writes if it deletes an existing destination.
                e.signal_key(db, &dst);
                e.notify(crate::notify::GENERIC, "del", &dst, db);
            }
            Ok(Reply::Integer(n as i64))
        }
    }
}

pub fn sort(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    sort_generic(e, c, argv, false)
}

pub fn sort_ro(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    sort_generic(e, c, argv, true)
}
