//! Hash commands.

use super::{int_arg, is, range_long, take};
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::notify;
use crate::num::{self, LongDouble};
use crate::reply::Reply;
use crate::types::hash::Hash;
use crate::value::Value;

fn read_hash<'a>(e: &'a mut Engine, db: usize, key: &[u8]) -> Result<Option<&'a Hash>, CmdError> {
    match e.lookup_read(db, key) {
        None => Ok(None),
        Some(Value::Hash(h)) => Ok(Some(h)),
        Some(_) => Err(CmdError::WrongType),
    }
}

/// The hash at `key`, created empty if missing.
fn hash_or_create<'a>(e: &'a mut Engine, db: usize, key: &[u8]) -> Result<&'a mut Hash, CmdError> {
    match e.lookup_write(db, key) {
        Some(Value::Hash(_)) => {}
        Some(_) => return Err(CmdError::WrongType),
        None => {
            let now = e.now_ms();
            e.db_mut(db).insert(key, Value::Hash(Hash::new()), now);
        }
    }
    match e.db_mut(db).get_mut(key) {
        Some(Value::Hash(h)) => Ok(h),
        _ => Err(CmdError::WrongType),
    }
}

fn check_type(e: &mut Engine, db: usize, key: &[u8]) -> Result<bool, CmdError> {
    match e.lookup_write(db, key) {
        None => Ok(false),
        Some(Value::Hash(_)) => Ok(true),
        Some(_) => Err(CmdError::WrongType),
    }
}

fn hset_generic(e: &mut Engine, c: &mut Client, mut argv: Vec<Vec<u8>>, name: &str) -> CmdResult {
    if argv.len() % 2 == 1 {
        return Err(CmdError::WrongArity(name.to_string()));
    }
    let limits = e.limits();
    let key = take(&mut argv, 1);
    let h = hash_or_create(e, c.db, &key)?;
    let mut created = 0;
    let mut i = 2;
    while i + 1 < argv.len() {
        let f = take(&mut argv, i);
        let v = take(&mut argv, i + 1);
        created += i64::from(h.set(f, v, &limits));
        i += 2;
    }
    e.signal_key(c.db, &key);
    e.notify(notify::HASH, "hset", &key, c.db);
    Ok(if name == "hmset" {
        Reply::ok()
    } else {
        Reply::Integer(created)
    })
}

pub fn hset(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    hset_generic(e, c, argv, "hset")
}

pub fn hmset(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    hset_generic(e, c, argv, "hmset")
}

pub fn hsetnx(e: &mut Engine, c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    let limits = e.limits();
    let key = take(&mut argv, 1);
    let exists = check_type(e, c.db, &key)?;
    if exists {
        if let Some(Value::Hash(h)) = e.db_mut(c.db).get(&key) {
            if h.get(&argv[2]).is_some() {
                return Ok(Reply::Integer(0));
            }
        }
    }
    let h = hash_or_create(e, c.db, &key)?;
    h.set(take(&mut argv, 2), take(&mut argv, 3), &limits);
    e.signal_key(c.db, &key);
    e.notify(notify::HASH, "hset", &key, c.db);
    Ok(Reply::Integer(1))
}

pub fn hget(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(read_hash(e, c.db, &argv[1])?
        .and_then(|h| h.get(&argv[2]))
        .map_or(Reply::Nil, Reply::bulk))
}

pub fn hmget(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let h = read_hash(e, c.db, &argv[1])?;
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|f| h.and_then(|h| h.get(f)).map_or(Reply::Nil, Reply::bulk))
            .collect(),
    ))
}

pub fn hdel(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if !check_type(e, c.db, &argv[1])? {
        return Ok(Reply::Integer(0));
    }
    let mut n = 0;
    let mut empty = false;
    if let Some(Value::Hash(h)) = e.db_mut(c.db).get_mut(&argv[1]) {
        for f in &argv[2..] {
            if h.remove(f) {
                n += 1;
                if h.is_empty() {
                    empty = true;
                    break;
                }
            }
        }
    }
    if empty {
        e.db_mut(c.db).remove(&argv[1]);
    }
    if n > 0 {
        e.signal_key(c.db, &argv[1]);
        e.notify(notify::HASH, "hdel", &argv[1], c.db);
        if empty {
            e.notify(notify::GENERIC, "del", &argv[1], c.db);
        }
    }
    Ok(Reply::Integer(n))
}

pub fn hlen(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(
        read_hash(e, c.db, &argv[1])?.map_or(0, |h| h.len() as i64),
    ))
}

pub fn hstrlen(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(
        read_hash(e, c.db, &argv[1])?
            .and_then(|h| h.get(&argv[2]))
            .map_or(0, |v| v.len() as i64),
    ))
}

pub fn hexists(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(i64::from(
        read_hash(e, c.db, &argv[1])?.is_some_and(|h| h.get(&argv[2]).is_some()),
    )))
}

pub fn hincrby(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let by = int_arg(&argv[3])?;
    let limits = e.limits();
    let h = hash_or_create(e, c.db, &argv[1])?;
    let cur = match h.get(&argv[2]) {
        Some(v) => {
            num::parse_i64(v).ok_or_else(|| CmdError::err("hash value is not an integer"))?
        }
        None => 0,
    };
    let next = cur.checked_add(by).ok_or(CmdError::Overflow)?;
    h.set(argv[2].clone(), next.to_string().into_bytes(), &limits);
    e.signal_key(c.db, &argv[1]);
    e.notify(notify::HASH, "hincrby", &argv[1], c.db);
    Ok(Reply::Integer(next))
}

pub fn hincrbyfloat(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    // Redis adds in 80-bit long double: emulate it bit for bit, as INCRBYFLOAT does.
    let by = LongDouble::parse(&argv[3]).ok_or(CmdError::NotFloat)?;
    if !by.is_finite() {
        return Err(CmdError::err("value is NaN or Infinity"));
    }
    let limits = e.limits();
    let h = hash_or_create(e, c.db, &argv[1])?;
    let cur = match h.get(&argv[2]) {
        Some(v) => {
            LongDouble::parse(v).ok_or_else(|| CmdError::err("hash value is not a float"))?
        }
        None => LongDouble::ZERO,
    };
    let next = cur.add(by);
    if !next.is_finite() {
        return Err(CmdError::IncrFloatNanOrInf);
    }
    let text = next.to_human_string().into_bytes();
    h.set(argv[2].clone(), text.clone(), &limits);
    e.signal_key(c.db, &argv[1]);
    // Replicas get the result, as HSET key field value.
    e.propagate_edit(|argv| {
        argv[0] = b"HSET".to_vec();
        argv[3] = text.clone();
    });
    e.notify(notify::HASH, "hincrbyfloat", &argv[1], c.db);
    Ok(Reply::bulk(text))
}

fn hgetall_generic(
    e: &mut Engine,
    c: &mut Client,
    argv: Vec<Vec<u8>>,
    keys: bool,
    values: bool,
) -> CmdResult {
    let Some(h) = read_hash(e, c.db, &argv[1])? else {
        return Ok(if keys && values {
            Reply::Map(vec![])
        } else {
            Reply::Array(vec![])
        });
    };
    if keys && values {
        return Ok(Reply::Map(
            h.map
                .iter()
                .map(|(k, v)| (Reply::bulk(&k[..]), Reply::bulk(&v[..])))
                .collect(),
        ));
    }
    Ok(Reply::Array(
        h.map
            .iter()
            .map(|(k, v)| Reply::bulk(if keys { k.to_vec() } else { v.to_vec() }))
            .collect(),
    ))
}

pub fn hgetall(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    hgetall_generic(e, c, argv, true, true)
}

pub fn hkeys(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    hgetall_generic(e, c, argv, true, false)
}

pub fn hvals(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    hgetall_generic(e, c, argv, false, true)
}

pub fn hrandfield(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() == 2 {
        let Some(h) = read_hash(e, c.db, &argv[1])? else {
            return Ok(Reply::Nil);
        };
        let len = h.len();
        let i = e.random_below(len);
        let Some(Value::Hash(h)) = e.db_mut(c.db).get(&argv[1]) else {
            return Ok(Reply::Nil);
        };
        return Ok(h.get_index(i).map_or(Reply::Nil, |(k, _)| Reply::bulk(k)));
    }
    let count = range_long(&argv[2], -i64::MAX, i64::MAX, None)?;
    let withvalues = match argv.len() {
        3 => false,
        4 if is(&argv[3], "withvalues") => {
            if !(-i64::MAX / 2..=i64::MAX / 2).contains(&count) {
                return Err(CmdError::OutOfRange);
            }
            true
        }
        _ => return Err(CmdError::Syntax),
    };
    let Some(h) = read_hash(e, c.db, &argv[1])? else {
        return Ok(Reply::Array(vec![]));
    };
    let size = h.len();
    let picks = random_picks(e, size, count);
    let Some(Value::Hash(h)) = e.db_mut(c.db).get(&argv[1]) else {
        return Ok(Reply::Array(vec![]));
    };
    let found = picks.into_iter().filter_map(|i| h.get_index(i));
    Ok(if withvalues {
        Reply::Pairs(
            found
                .map(|(k, v)| (Reply::bulk(k), Reply::bulk(v)))
                .collect(),
        )
    } else {
        Reply::Array(found.map(|(k, _)| Reply::bulk(k)).collect())
    })
}

/// Positions for HRANDFIELD/SRANDMEMBER/ZRANDMEMBER with a count: a negative count
/// allows repeats; a positive one gives distinct positions, all of them (in order)
/// when the count covers the whole collection. Never copies the collection.
pub(crate) fn random_picks(e: &mut Engine, size: usize, count: i64) -> Vec<usize> {
    if count == 0 || size == 0 {
        return Vec::new();
    }
    if count < 0 {
        let n = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
        return (0..n).map(|_| e.random_below(size)).collect();
    }
    let n = usize::try_from(count).unwrap_or(usize::MAX);
    if n >= size {
        return (0..size).collect();
    }
    if n * 3 > size {
        // Many picks: shuffle the index range partially (Floyd would do too).
        let mut idx: Vec<usize> = (0..size).collect();
        for i in 0..n {
            let j = i + e.random_below(size - i);
            idx.swap(i, j);
        }
        idx.truncate(n);
        return idx;
    }
    let mut seen = std::collections::HashSet::with_capacity(n);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let i = e.random_below(size);
        if seen.insert(i) {
            out.push(i);
        }
    }
    out
}

pub fn hscan(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let cursor = super::keys::parse_cursor(&argv[2])?;
    let opts = super::keys::parse_scan_options(&argv, 3, false)?;
    let Some(h) = read_hash(e, c.db, &argv[1])? else {
        return Ok(Reply::Array(vec![Reply::bulk("0"), Reply::Array(vec![])]));
    };
    // A listpack is returned whole, in its own (insertion) order.
    let (next, idx) = if h.listpack {
        (0, (0..h.len()).collect())
    } else {
        super::keys::scan_window(cursor, h.len(), opts.count)
    };
    let mut out = Vec::new();
    for i in idx {
        if let Some((k, v)) = h.get_index(i) {
            if opts
                .pattern
                .as_ref()
                .is_none_or(|p| crate::glob::matches(p, k, false))
            {
                out.push(Reply::bulk(k));
                out.push(Reply::bulk(v));
            }
        }
    }
    Ok(Reply::Array(vec![
        Reply::bulk(next.to_string().into_bytes()),
        Reply::Array(out),
    ]))
}
