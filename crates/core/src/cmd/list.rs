//! List commands. Lists are `VecDeque`s: pushes and pops at either end are O(1),
//! and OBJECT ENCODING reports `quicklist` as Redis 7.0 does.

use std::collections::VecDeque;

use super::{int_arg, is, range_long};
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::notify;
use crate::reply::Reply;
use crate::value::Value;

pub(crate) type List = VecDeque<Vec<u8>>;

pub(crate) fn read_list<'a>(
    e: &'a mut Engine,
    db: usize,
    key: &[u8],
) -> Result<Option<&'a List>, CmdError> {
    match e.lookup_read(db, key) {
        None => Ok(None),
        Some(Value::List(l)) => Ok(Some(l)),
        Some(_) => Err(CmdError::WrongType),
    }
}

pub(crate) fn write_list<'a>(
    e: &'a mut Engine,
    db: usize,
    key: &[u8],
) -> Result<Option<&'a mut List>, CmdError> {
    match e.lookup_write(db, key) {
        None => Ok(None),
        Some(Value::List(l)) => Ok(Some(l)),
        Some(_) => Err(CmdError::WrongType),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum End {
    Left,
    Right,
}

impl End {
    /// The pop a blocking or multi-key pop is propagated as.
    pub(crate) fn pop_command(self) -> &'static [u8] {
        match self {
            End::Left => b"LPOP",
            End::Right => b"RPOP",
        }
    }

    /// The word Redis propagates for a side it chose itself (`shared.left`).
    pub(crate) fn word(self) -> &'static [u8] {
        match self {
            End::Left => b"left",
            End::Right => b"right",
        }
    }
}

/// `getListPositionFromObjectOrReply`: LEFT or RIGHT.
pub(crate) fn parse_end(arg: &[u8]) -> Result<End, CmdError> {
    if is(arg, "left") {
        Ok(End::Left)
    } else if is(arg, "right") {
        Ok(End::Right)
    } else {
        Err(CmdError::Syntax)
    }
}

/// The keyspace event of a push (or pop) at `end`.
fn event(end: End, push: bool) -> &'static str {
    match (end, push) {
        (End::Left, true) => "lpush",
        (End::Right, true) => "rpush",
        (End::Left, false) => "lpop",
        (End::Right, false) => "rpop",
    }
}

fn pop_end(l: &mut List, end: End) -> Option<Vec<u8>> {
    match end {
        End::Left => l.pop_front(),
        End::Right => l.pop_back(),
    }
}

fn push_end(l: &mut List, end: End, v: Vec<u8>) {
    match end {
        End::Left => l.push_front(v),
        End::Right => l.push_back(v),
    }
}

fn push_generic(
    e: &mut Engine,
    c: &mut Client,
    mut argv: Vec<Vec<u8>>,
    end: End,
    only_existing: bool,
) -> CmdResult {
    let key = std::mem::take(&mut argv[1]);
    let len = match write_list(e, c.db, &key)? {
        Some(l) => {
            for v in argv.drain(2..) {
                push_end(l, end, v);
            }
            l.len()
        }
        None if only_existing => return Ok(Reply::Integer(0)),
        None => {
            let mut l = List::with_capacity(argv.len() - 2);
            for v in argv.drain(2..) {
                push_end(&mut l, end, v);
            }
            let n = l.len();
            let now = e.now_ms();
            e.db_mut(c.db).insert(&key, Value::List(l), now);
            n
        }
    };
    e.signal_key(c.db, &key);
    e.notify(notify::LIST, event(end, true), &key, c.db);
    Ok(Reply::Integer(len as i64))
}

pub fn lpush(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    push_generic(e, c, argv, End::Left, false)
}

pub fn rpush(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    push_generic(e, c, argv, End::Right, false)
}

pub fn lpushx(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    push_generic(e, c, argv, End::Left, true)
}

pub fn rpushx(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    push_generic(e, c, argv, End::Right, true)
}

/// Pops up to `count` elements (at least one is present); deletes the emptied key
/// (Redis's `listElementsRemoved`).
pub(crate) fn pop_many(
    e: &mut Engine,
    db: usize,
    key: &[u8],
    end: End,
    count: usize,
) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut empty = false;
    if let Some(Value::List(l)) = e.db_mut(db).get_mut(key) {
        while out.len() < count {
            match pop_end(l, end) {
                Some(v) => out.push(v),
                None => break,
            }
        }
        empty = l.is_empty();
    }
    e.notify(notify::LIST, event(end, false), key, db);
    if empty {
        e.db_mut(db).remove(key);
        e.notify(notify::GENERIC, "del", key, db);
    }
    e.signal_key(db, key);
    out
}

fn pop_generic(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>, end: End) -> CmdResult {
    if argv.len() > 3 {
        return Err(CmdError::WrongArity(
            if end == End::Left { "lpop" } else { "rpop" }.to_string(),
        ));
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
    if write_list(e, c.db, &argv[1])?.is_none() {
        return Ok(if count.is_some() {
            Reply::NilArray
        } else {
            Reply::Nil
        });
    }
    match count {
        Some(0) => Ok(Reply::Array(vec![])),
        None => Ok(pop_many(e, c.db, &argv[1], end, 1)
            .pop()
            .map_or(Reply::Nil, Reply::bulk)),
        Some(n) => Ok(Reply::Array(
            pop_many(
                e,
                c.db,
                &argv[1],
                end,
                usize::try_from(n).unwrap_or(usize::MAX),
            )
            .into_iter()
            .map(Reply::bulk)
            .collect(),
        )),
    }
}

pub fn lpop(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    pop_generic(e, c, argv, End::Left)
}

pub fn rpop(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    pop_generic(e, c, argv, End::Right)
}

pub fn llen(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(
        read_list(e, c.db, &argv[1])?.map_or(0, |l| l.len() as i64),
    ))
}

/// Normalizes a Redis start/stop pair against `len`; None when the range is empty.
pub(crate) fn clamp_range(mut start: i64, mut end: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    if start < 0 {
        start = start.saturating_add(len);
    }
    if end < 0 {
        end = end.saturating_add(len);
    }
    if start < 0 {
        start = 0;
    }
    if start > end || start >= len {
        return None;
    }
    if end >= len {
        end = len - 1;
    }
    Some((start as usize, end as usize))
}

pub fn lrange(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let start = int_arg(&argv[2])?;
    let end = int_arg(&argv[3])?;
    let Some(l) = read_list(e, c.db, &argv[1])? else {
        return Ok(Reply::Array(vec![]));
    };
    Ok(Reply::Array(match clamp_range(start, end, l.len()) {
        Some((s, t)) => l.range(s..=t).map(|v| Reply::bulk(&v[..])).collect(),
        None => vec![],
    }))
}

/// An index into the list, negative from the tail.
fn list_index(len: usize, index: i64) -> Option<usize> {
    let i = if index < 0 {
        (len as i64).checked_add(index)?
    } else {
        index
    };
    (i >= 0 && (i as u64) < len as u64).then_some(i as usize)
}

pub fn lindex(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let index = int_arg(&argv[2])?;
    let Some(l) = read_list(e, c.db, &argv[1])? else {
        return Ok(Reply::Nil);
    };
    Ok(list_index(l.len(), index)
        .and_then(|i| l.get(i))
        .map_or(Reply::Nil, |v| Reply::bulk(&v[..])))
}

pub fn lset(e: &mut Engine, c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    let index = int_arg(&argv[2])?;
    let value = std::mem::take(&mut argv[3]);
    let Some(l) = write_list(e, c.db, &argv[1])? else {
        return Err(CmdError::NoSuchKey);
    };
    let Some(i) = list_index(l.len(), index) else {
        return Err(CmdError::err("index out of range"));
    };
    l[i] = value;
    e.signal_key(c.db, &argv[1]);
    e.notify(notify::LIST, "lset", &argv[1], c.db);
    Ok(Reply::ok())
}

pub fn linsert(e: &mut Engine, c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    let after = if is(&argv[2], "after") {
        true
    } else if is(&argv[2], "before") {
        false
    } else {
        return Err(CmdError::Syntax);
    };
    let value = std::mem::take(&mut argv[4]);
    let Some(l) = write_list(e, c.db, &argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    let Some(pos) = l.iter().position(|v| *v == argv[3]) else {
        return Ok(Reply::Integer(-1));
    };
    l.insert(if after { pos + 1 } else { pos }, value);
    let n = l.len();
    e.signal_key(c.db, &argv[1]);
    e.notify(notify::LIST, "linsert", &argv[1], c.db);
    Ok(Reply::Integer(n as i64))
}

pub fn lrem(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let count = int_arg(&argv[2])?;
    let Some(l) = write_list(e, c.db, &argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    let target = &argv[3];
    let limit = if count == 0 {
        usize::MAX
    } else {
        usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX)
    };
    let mut removed = 0usize;
    if count >= 0 {
        let mut i = 0;
        while i < l.len() && removed < limit {
            if l[i] == *target {
                l.remove(i);
                removed += 1;
            } else {
                i += 1;
            }
        }
    } else {
        let mut i = l.len();
        while i > 0 && removed < limit {
            i -= 1;
            if l[i] == *target {
                l.remove(i);
                removed += 1;
            }
        }
    }
    let empty = l.is_empty();
    if removed > 0 {
        e.signal_key(c.db, &argv[1]);
        e.notify(notify::LIST, "lrem", &argv[1], c.db);
    }
    if empty {
        e.db_mut(c.db).remove(&argv[1]);
        e.notify(notify::GENERIC, "del", &argv[1], c.db);
    }
    Ok(Reply::Integer(removed as i64))
}

pub fn ltrim(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let start = int_arg(&argv[2])?;
    let end = int_arg(&argv[3])?;
    let Some(l) = write_list(e, c.db, &argv[1])? else {
        return Ok(Reply::ok());
    };
    let before = l.len();
    match clamp_range(start, end, l.len()) {
        Some((s, t)) => {
            l.truncate(t + 1);
            l.drain(..s);
        }
        None => l.clear(),
    }
    let removed = before - l.len();
    let empty = l.is_empty();
    e.notify(notify::LIST, "ltrim", &argv[1], c.db);
    if empty {
        e.db_mut(c.db).remove(&argv[1]);
        e.notify(notify::GENERIC, "del", &argv[1], c.db);
    }
    if removed > 0 {
        e.signal_key(c.db, &argv[1]);
    } else {
        // Watchers hear of it, but nothing changed: nothing to replicate.
        e.key_changed(c.db, &argv[1]);
    }
    Ok(Reply::ok())
}

pub fn lpos(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let (mut rank, mut count, mut maxlen) = (1i64, None::<i64>, 0i64);
    let mut j = 3;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        if is(&argv[j], "rank") && more > 0 {
            j += 1;
            rank = range_long(&argv[j], -i64::MAX, i64::MAX, None)?;
            if rank == 0 {
                return Err(CmdError::err("RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"));
            }
        } else if is(&argv[j], "count") && more > 0 {
            j += 1;
            count = Some(range_long(
                &argv[j],
                0,
                i64::MAX,
                Some("COUNT can't be negative"),
            )?);
        } else if is(&argv[j], "maxlen") && more > 0 {
            j += 1;
            maxlen = range_long(&argv[j], 0, i64::MAX, Some("MAXLEN can't be negative"))?;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    let from_tail = rank < 0;
    let rank = rank.unsigned_abs();
    let Some(l) = read_list(e, c.db, &argv[1])? else {
        return Ok(if count.is_some() {
            Reply::Array(vec![])
        } else {
            Reply::Nil
        });
    };
    let len = l.len();
    let mut found = Vec::new();
    let mut matches = 0u64;
    for step in 0..len {
        if maxlen != 0 && step as i64 >= maxlen {
            break;
        }
        let idx = if from_tail { len - 1 - step } else { step };
        if l[idx] == argv[2] {
            matches += 1;
            if matches >= rank {
                found.push(idx as i64);
                match count {
                    None => break,
                    Some(n) if n != 0 && matches - rank + 1 >= n as u64 => break,
                    _ => {}
                }
            }
        }
    }
    Ok(match count {
        Some(_) => Reply::Array(found.into_iter().map(Reply::Integer).collect()),
        None => found.first().map_or(Reply::Nil, |&i| Reply::Integer(i)),
    })
}

/// Moves one element between lists; the caller has checked the source is a
/// non-empty list. Returns the element moved.
pub(crate) fn move_element(
    e: &mut Engine,
    db: usize,
    src: &[u8],
    dst: &[u8],
    from: End,
    to: End,
) -> Result<Option<Vec<u8>>, CmdError> {
    if write_list(e, db, dst)?.is_none() && src != dst {
        // The destination is created below.
    }
    let Some(l) = write_list(e, db, src)? else {
        return Ok(None);
    };
    let Some(v) = pop_end(l, from) else {
        return Ok(None);
    };
    let empty = l.is_empty();
    if src == dst {
        push_end(l, to, v.clone());
    } else {
        if empty {
            e.db_mut(db).remove(src);
        }
        match write_list(e, db, dst)? {
            Some(d) => push_end(d, to, v.clone()),
            None => {
                let now = e.now_ms();
                e.db_mut(db)
                    .insert(dst, Value::List(VecDeque::from([v.clone()])), now);
            }
        }
    }
    e.signal_key(db, src);
    e.signal_key(db, dst);
    // lmoveHandlePush notifies the push first, then the pop and a deletion.
    e.notify(notify::LIST, event(to, true), dst, db);
    e.notify(notify::LIST, event(from, false), src, db);
    if empty && src != dst {
        e.notify(notify::GENERIC, "del", src, db);
    }
    Ok(Some(v))
}

fn lmove_generic(
    e: &mut Engine,
    c: &mut Client,
    argv: &[Vec<u8>],
    from: End,
    to: End,
) -> CmdResult {
    if write_list(e, c.db, &argv[1])?.is_none() {
        return Ok(Reply::Nil);
    }
    // Redis checks the destination's type before popping.
    write_list(e, c.db, &argv[2])?;
    Ok(move_element(e, c.db, &argv[1], &argv[2], from, to)?.map_or(Reply::Nil, Reply::bulk))
}

pub fn lmove(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let from = parse_end(&argv[3])?;
    let to = parse_end(&argv[4])?;
    lmove_generic(e, c, &argv, from, to)
}

pub fn rpoplpush(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    lmove_generic(e, c, &argv, End::Right, End::Left)
}

/// Parsed `numkeys key [key ...] LEFT|RIGHT [COUNT count]` (LMPOP, BLMPOP).
pub(crate) struct MpopArgs {
    pub keys: Vec<Vec<u8>>,
    pub end: End,
    pub count: usize,
}

pub(crate) fn parse_lmpop(argv: &[Vec<u8>], numkeys_idx: usize) -> Result<MpopArgs, CmdError> {
    let (keys, end, count) = super::parse_mpop(argv, numkeys_idx, parse_end)?;
    Ok(MpopArgs { keys, end, count })
}

/// Pops from the first non-empty list: `[key, [elements]]`, or None.
pub(crate) fn mpop(e: &mut Engine, db: usize, args: &MpopArgs) -> Result<Option<Reply>, CmdError> {
    for key in &args.keys {
        if write_list(e, db, key)?.is_some() {
            let items = pop_many(e, db, key, args.end, args.count);
            // Replicas get [LR]POP key <popped>.
            e.propagate_as(|| {
                let n = items.len().to_string();
                crate::repl::args([args.end.pop_command(), key, n.as_bytes()])
            });
            return Ok(Some(Reply::Array(vec![
                Reply::bulk(&key[..]),
                Reply::Array(items.into_iter().map(Reply::bulk).collect()),
            ])));
        }
    }
    Ok(None)
}

pub fn lmpop(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let args = parse_lmpop(&argv, 1)?;
    Ok(mpop(e, c.db, &args)?.unwrap_or(Reply::NilArray))
}
