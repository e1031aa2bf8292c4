//! Set commands, including the algebra (SINTER/SUNION/SDIFF and their STORE forms).

use super::hash::random_picks;
use super::{range_long, take};
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::notify;
use crate::repl::args;
use crate::reply::Reply;
use crate::types::set::Set;
use crate::value::Value;

fn read_set<'a>(e: &'a mut Engine, db: usize, key: &[u8]) -> Result<Option<&'a Set>, CmdError> {
    match e.lookup_read(db, key) {
        None => Ok(None),
        Some(Value::Set(s)) => Ok(Some(s)),
        Some(_) => Err(CmdError::WrongType),
    }
}

fn write_set<'a>(
    e: &'a mut Engine,
    db: usize,
    key: &[u8],
) -> Result<Option<&'a mut Set>, CmdError> {
    match e.lookup_write(db, key) {
        None => Ok(None),
        Some(Value::Set(s)) => Ok(Some(s)),
        Some(_) => Err(CmdError::WrongType),
    }
}

fn members_reply(s: &Set) -> Reply {
    Reply::Set(s.members().into_iter().map(Reply::bulk).collect())
}

pub fn sadd(e: &mut Engine, c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    let limits = e.limits();
    let key = take(&mut argv, 1);
    let added = match write_set(e, c.db, &key)? {
        Some(s) => argv[2..].iter().filter(|m| s.add(m, &limits)).count(),
        None => {
            let mut s = Set::for_member(&argv[2]);
            let n = argv[2..].iter().filter(|m| s.add(m, &limits)).count();
            let now = e.now_ms();
            e.db_mut(c.db).insert(&key, Value::Set(s), now);
            n
        }
    };
    if added > 0 {
        e.signal_key(c.db, &key);
        e.notify(notify::SET, "sadd", &key, c.db);
    }
    Ok(Reply::Integer(added as i64))
}

pub fn srem(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let Some(s) = write_set(e, c.db, &argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    let mut n = 0;
    for m in &argv[2..] {
        if s.remove(m) {
            n += 1;
            if s.is_empty() {
                break;
            }
        }
    }
    let empty = s.is_empty();
    if empty {
        e.db_mut(c.db).remove(&argv[1]);
    }
    if n > 0 {
        e.signal_key(c.db, &argv[1]);
        e.notify(notify::SET, "srem", &argv[1], c.db);
        if empty {
            e.notify(notify::GENERIC, "del", &argv[1], c.db);
        }
    }
    Ok(Reply::Integer(n))
}

pub fn smembers(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(read_set(e, c.db, &argv[1])?.map_or(Reply::Set(vec![]), members_reply))
}

pub fn sismember(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(i64::from(
        read_set(e, c.db, &argv[1])?.is_some_and(|s| s.contains(&argv[2])),
    )))
}

pub fn smismember(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let s = read_set(e, c.db, &argv[1])?;
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|m| Reply::Integer(i64::from(s.is_some_and(|s| s.contains(m)))))
            .collect(),
    ))
}

pub fn scard(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(
        read_set(e, c.db, &argv[1])?.map_or(0, |s| s.len() as i64),
    ))
}

pub fn spop(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() > 3 {
        return Err(CmdError::Syntax);
    }
    let count = match argv.get(2) {
        Some(a) => Some(range_long(
            a,
            0,
            i64::MAX,
            Some("value is out of range, must be positive"),
        )?),
        None => None,
    };
    let Some(s) = write_set(e, c.db, &argv[1])? else {
        return Ok(if count.is_some() {
            Reply::Set(vec![])
        } else {
            Reply::Nil
        });
    };
    let size = s.len();
    let want = match count {
        None => 1,
        Some(0) => return Ok(Reply::Set(vec![])),
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX).min(size),
    };
    let mut popped = Vec::with_capacity(want);
    e.notify(notify::SET, "spop", &argv[1], c.db);
    if want == size && count.is_some() {
        if let Some(Value::Set(s)) = e.db_mut(c.db).remove(&argv[1]) {
            popped = s.members();
        }
        e.notify(notify::GENERIC, "del", &argv[1], c.db);
    } else {
        for _ in 0..want {
            let len = match e.db_mut(c.db).get(&argv[1]) {
                Some(Value::Set(s)) => s.len(),
                _ => 0,
            };
            if len == 0 {
                break;
            }
            let i = e.random_below(len);
            if let Some(Value::Set(s)) = e.db_mut(c.db).get_mut(&argv[1]) {
                if let Some(m) = s.get_index(i) {
                    s.remove(&m);
                    popped.push(m);
                }
            }
        }
        if matches!(e.db_mut(c.db).get(&argv[1]), Some(Value::Set(s)) if s.is_empty()) {
            e.db_mut(c.db).remove(&argv[1]);
            e.notify(notify::GENERIC, "del", &argv[1], c.db);
        }
    }
    e.signal_key(c.db, &argv[1]);
    // SPOP is replicated as what it removed: SREM key member, DEL key when a
    // count took the whole set, or one SREM per member otherwise.
    if e.replicating() {
        let key = &argv[1];
        match count {
            None => {
                if let Some(m) = popped.first() {
                    e.propagate_as(|| args([b"SREM", key, m]));
                }
            }
            Some(_) if want == size => e.propagate_as(|| args([b"DEL", key])),
            Some(_) => {
                for m in &popped {
                    e.also_propagate(c.db, || args([b"SREM", key, m]));
                }
                e.prevent_propagation();
            }
        }
    }
    Ok(match count {
        None => popped.pop().map_or(Reply::Nil, Reply::bulk),
        Some(_) => Reply::Set(popped.into_iter().map(Reply::bulk).collect()),
    })
}

pub fn srandmember(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() > 3 {
        return Err(CmdError::Syntax);
    }
    let count = match argv.get(2) {
        Some(a) => Some(range_long(a, -i64::MAX, i64::MAX, None)?),
        None => None,
    };
    let Some(s) = read_set(e, c.db, &argv[1])? else {
        return Ok(if count.is_some() {
            Reply::Array(vec![])
        } else {
            Reply::Nil
        });
    };
    let size = s.len();
    let picks = match count {
        None => vec![e.random_below(size)],
        Some(n) => random_picks(e, size, n),
    };
    let Some(Value::Set(s)) = e.db_mut(c.db).get(&argv[1]) else {
        return Ok(Reply::Nil);
    };
    let items: Vec<Reply> = picks
        .into_iter()
        .filter_map(|i| s.get_index(i))
        .map(Reply::bulk)
        .collect();
    Ok(match count {
        None => items.into_iter().next().unwrap_or(Reply::Nil),
        Some(_) => Reply::Array(items),
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Inter,
    Union,
    Diff,
}

/// Loads the operand sets (None for a missing key), failing on a wrong type. For
/// SINTER any missing key makes the result empty (None).
fn operands(
    e: &mut Engine,
    db: usize,
    keys: &[Vec<u8>],
    op: Op,
) -> Result<Option<Vec<Option<Set>>>, CmdError> {
    let mut sets = Vec::with_capacity(keys.len());
    for k in keys {
        match read_set(e, db, k)? {
            Some(s) => sets.push(Some(s.clone())),
            None => sets.push(None),
        }
    }
    // Every key is type-checked first; then an empty operand empties SINTER.
    if op == Op::Inter && sets.iter().any(Option::is_none) {
        return Ok(None);
    }
    Ok(Some(sets))
}

/// The result members in the order Redis would produce them.
fn compute(sets: &[Option<Set>], op: Op, limits: &crate::types::Limits) -> Set {
    match op {
        Op::Inter => {
            let mut order: Vec<&Set> = sets.iter().flatten().collect();
            order.sort_by_key(|s| s.len());
            let Some((first, rest)) = order.split_first() else {
                return Set::default();
            };
            let keep: Vec<Vec<u8>> = first
                .members()
                .into_iter()
                .filter(|m| rest.iter().all(|s| s.contains(m)))
                .collect();
            Set::from_members(keep.iter().map(Vec::as_slice), limits)
        }
        Op::Union => {
            let mut out = Set::default();
            for s in sets.iter().flatten() {
                for m in s.members() {
                    out.add(&m, limits);
                }
            }
            out
        }
        Op::Diff => {
            let mut out = Set::default();
            if let Some(Some(first)) = sets.first() {
                for m in first.members() {
                    if !sets[1..].iter().flatten().any(|s| s.contains(&m)) {
                        out.add(&m, limits);
                    }
                }
            }
            out
        }
    }
}

fn setop(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>, op: Op, store: bool) -> CmdResult {
    let limits = e.limits();
    let keys = if store { &argv[2..] } else { &argv[1..] };
    let result = match operands(e, c.db, keys, op)? {
        Some(sets) => compute(&sets, op, &limits),
        None => Set::default(),
    };
    if !store {
        return Ok(members_reply(&result));
    }
    let n = result.len();
    let now = e.now_ms();
    let d = e.db_mut(c.db);
    if n == 0 {
        // An empty result only writes if it deletes an existing destination.
        if d.remove(&argv[1]).is_none() {
            return Ok(Reply::Integer(0));
        }
        e.notify(notify::GENERIC, "del", &argv[1], c.db);
    } else {
        d.set(&argv[1], Value::Set(result), now);
        let event = match op {
            Op::Inter => "sinterstore",
            Op::Union => "sunionstore",
            Op::Diff => "sdiffstore",
        };
        e.notify(notify::SET, event, &argv[1], c.db);
    }
    e.signal_key(c.db, &argv[1]);
    Ok(Reply::Integer(n as i64))
}

pub fn sinter(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    setop(e, c, argv, Op::Inter, false)
}

pub fn sunion(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    setop(e, c, argv, Op::Union, false)
}

pub fn sdiff(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    setop(e, c, argv, Op::Diff, false)
}

pub fn sinterstore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    setop(e, c, argv, Op::Inter, true)
}

pub fn sunionstore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    setop(e, c, argv, Op::Union, true)
}

pub fn sdiffstore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    setop(e, c, argv, Op::Diff, true)
}

pub fn sintercard(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let numkeys = range_long(
        &argv[1],
        1,
        i64::MAX,
        Some("numkeys should be greater than 0"),
    )?;
    if numkeys as u64 > (argv.len() - 2) as u64 {
        return Err(CmdError::err(
            "Number of keys can't be greater than number of args",
        ));
    }
    let numkeys = numkeys as usize;
    let mut limit = 0i64;
    let mut j = 2 + numkeys;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        if super::is(&argv[j], "limit") && more > 0 {
            j += 1;
            limit = range_long(&argv[j], 0, i64::MAX, Some("LIMIT can't be negative"))?;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    let limits = e.limits();
    let Some(sets) = operands(e, c.db, &argv[2..2 + numkeys], Op::Inter)? else {
        return Ok(Reply::Integer(0));
    };
    let n = compute(&sets, Op::Inter, &limits).len() as i64;
    Ok(Reply::Integer(if limit > 0 { n.min(limit) } else { n }))
}

pub fn smove(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let limits = e.limits();
    let src_exists = e.lookup_quiet(c.db, &argv[1]);
    if !src_exists {
        return Ok(Reply::Integer(0));
    }
    write_set(e, c.db, &argv[1])?;
    write_set(e, c.db, &argv[2])?;
    if argv[1] == argv[2] {
        return Ok(Reply::Integer(i64::from(
            read_set(e, c.db, &argv[1])?.is_some_and(|s| s.contains(&argv[3])),
        )));
    }
    let Some(s) = write_set(e, c.db, &argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    if !s.remove(&argv[3]) {
        return Ok(Reply::Integer(0));
    }
    let emptied = s.is_empty();
    e.notify(notify::SET, "srem", &argv[1], c.db);
    if emptied {
        e.db_mut(c.db).remove(&argv[1]);
        e.notify(notify::GENERIC, "del", &argv[1], c.db);
    }
    let added = match write_set(e, c.db, &argv[2])? {
        Some(d) => d.add(&argv[3], &limits),
        None => {
            let mut d = Set::for_member(&argv[3]);
            d.add(&argv[3], &limits);
            let now = e.now_ms();
            e.db_mut(c.db).insert(&argv[2], Value::Set(d), now);
            true
        }
    };
    // Like Redis, the destination only counts as modified (for WATCH) when the
    // member was not there yet.
    e.signal_key(c.db, &argv[1]);
    e.signalled_exactly = true;
    if added {
        e.signal_key(c.db, &argv[2]);
        e.notify(notify::SET, "sadd", &argv[2], c.db);
    }
    Ok(Reply::Integer(1))
}

pub fn sscan(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let cursor = super::keys::parse_cursor(&argv[2])?;
    let opts = super::keys::parse_scan_options(&argv, 3, false)?;
    let Some(s) = read_set(e, c.db, &argv[1])? else {
        return Ok(Reply::Array(vec![Reply::bulk("0"), Reply::Array(vec![])]));
    };
    let small = matches!(s, Set::Ints(_));
    let (next, idx) =
        super::keys::scan_window(cursor, s.len(), if small { usize::MAX } else { opts.count });
    let mut out = Vec::new();
    for i in idx {
        if let Some(m) = s.get_index(i) {
            if opts
                .pattern
                .as_ref()
                .is_none_or(|p| crate::glob::matches(p, &m, false))
            {
                out.push(Reply::bulk(m));
            }
        }
    }
    if small {
        out.reverse();
    }
    Ok(Reply::Array(vec![
        Reply::bulk(next.to_string().into_bytes()),
        Reply::Array(out),
    ]))
}
