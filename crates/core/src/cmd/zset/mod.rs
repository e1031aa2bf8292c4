//! Sorted set commands. Scores print with Redis 7.0's `%.17g` rules
//! ([`num::format_double`]); ranges by rank, score and lex all walk the skiplist
//! from an O(log N) starting point.

use super::hash::random_picks;
use super::list::clamp_range;
use super::{is, range_long, strtod_arg};
use crate::bytes::Bytes;
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::notify;
use crate::num;
use crate::reply::Reply;
use crate::types::skiplist::{LazyMember, NodeRef};
use crate::types::zset::ZSet;
use crate::types::Limits;
use crate::value::Value;

mod ops;
mod range;

pub use ops::*;
pub use range::*;

pub(crate) fn read_zset<'a>(
    e: &'a mut Engine,
    db: usize,
    key: &[u8],
) -> Result<Option<&'a ZSet>, CmdError> {
    match e.lookup_read(db, key) {
        None => Ok(None),
        Some(Value::ZSet(z)) => Ok(Some(z)),
        Some(_) => Err(CmdError::WrongType),
    }
}

fn write_zset<'a>(
    e: &'a mut Engine,
    db: usize,
    key: &[u8],
) -> Result<Option<&'a mut ZSet>, CmdError> {
    match e.lookup_write(db, key) {
        None => Ok(None),
        Some(Value::ZSet(z)) => Ok(Some(z)),
        Some(_) => Err(CmdError::WrongType),
    }
}

/// A score: a RESP3 double, or a `%.17g` bulk string in RESP2.
fn score_reply(s: f64) -> Reply {
    Reply::Double(s)
}

/// A score as ZSCAN sends it: always a string.
fn score_text(s: f64) -> Reply {
    Reply::bulk(num::format_double(s).into_bytes())
}

/// `getDoubleFromObjectOrReply` for scores: strict, no NaN.
pub(crate) fn score_arg(arg: &[u8], msg: Option<&str>) -> Result<f64, CmdError> {
    match num::parse_f64(arg) {
        Some(v) if !v.is_nan() => Ok(v),
        _ => Err(msg.map_or(CmdError::NotFloat, CmdError::err)),
    }
}

#[derive(Default, Clone, Copy)]
struct AddFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    incr: bool,
}

enum AddOutcome {
    Added(f64),
    Updated(f64),
    Same(f64),
    Nop,
}

/// `zsetAdd`: one member under the ZADD flags. Err means the result would be NaN.
fn zset_add(
    z: &mut ZSet,
    member: &[u8],
    mut score: f64,
    f: AddFlags,
    limits: &Limits,
) -> Result<AddOutcome, CmdError> {
    let nan = || CmdError::err("resulting score is not a number (NaN)");
    match z.score(member) {
        Some(cur) => {
            if f.nx {
                return Ok(AddOutcome::Nop);
            }
            if f.incr {
                score += cur;
                if score.is_nan() {
                    return Err(nan());
                }
            }
            if (f.lt && score >= cur) || (f.gt && score <= cur) {
                return Ok(AddOutcome::Nop);
            }
            if score != cur {
                z.insert(member, score, limits);
                Ok(AddOutcome::Updated(score))
            } else {
                Ok(AddOutcome::Same(score))
            }
        }
        None if f.xx => Ok(AddOutcome::Nop),
        None => {
            z.insert(member, score, limits);
            Ok(AddOutcome::Added(score))
        }
    }
}

fn zadd_generic(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>, mut f: AddFlags) -> CmdResult {
    let mut ch = false;
    let mut i = 2;
    while i < argv.len() {
        let a = &argv[i];
        if is(a, "nx") {
            f.nx = true;
        } else if is(a, "xx") {
            f.xx = true;
        } else if is(a, "ch") {
            ch = true;
        } else if is(a, "incr") {
            f.incr = true;
        } else if is(a, "gt") {
            f.gt = true;
        } else if is(a, "lt") {
            f.lt = true;
        } else {
            break;
        }
        i += 1;
    }
    let elements = argv.len() - i;
    if !elements.is_multiple_of(2) || elements == 0 {
        return Err(CmdError::Syntax);
    }
    if f.nx && f.xx {
        return Err(CmdError::err(
            "XX and NX options at the same time are not compatible",
        ));
    }
    if (f.nx && (f.gt || f.lt)) || (f.gt && f.lt) {
        return Err(CmdError::err(
            "GT, LT, and/or NX options at the same time are not compatible",
        ));
    }
    if f.incr && elements > 2 {
        return Err(CmdError::err(
            "INCR option supports a single increment-element pair",
        ));
    }
    let mut scores = Vec::with_capacity(elements / 2);
    for j in (i..argv.len()).step_by(2) {
        scores.push(score_arg(&argv[j], None)?);
    }
    let limits = e.limits();
    let key = &argv[1];
    let exists = write_zset(e, c.db, key)?.is_some();
    if !exists {
        if f.xx {
            return Ok(if f.incr {
                Reply::Nil
            } else {
                Reply::Integer(0)
            });
        }
        let mut z = ZSet::new();
        if elements / 2 > limits.zset_entries || argv[i + 1].len() > limits.zset_value {
            z.listpack = false;
        }
        let now = e.now_ms();
        e.db_mut(c.db).insert(key, Value::ZSet(Box::new(z)), now);
    }
    let Some(Value::ZSet(z)) = e.db_mut(c.db).get_mut(key) else {
        return Err(CmdError::WrongType);
    };
    let (mut added, mut updated, mut processed) = (0i64, 0i64, 0i64);
    let mut last = 0.0;
    let mut failed = None;
    for (n, j) in (i..argv.len()).step_by(2).enumerate() {
        match zset_add(z, &argv[j + 1], scores[n], f, &limits) {
            Ok(AddOutcome::Added(s)) => {
                added += 1;
                processed += 1;
                last = s;
            }
            Ok(AddOutcome::Updated(s)) => {
                updated += 1;
                processed += 1;
                last = s;
            }
            Ok(AddOutcome::Same(s)) => {
                processed += 1;
                last = s;
            }
            Ok(AddOutcome::Nop) => {}
            Err(err) => {
                failed = Some(err);
                break;
            }
        }
    }
    let empty = z.is_empty();
    if empty {
        e.db_mut(c.db).remove(key);
    }
    if added + updated > 0 {
        e.signal_key(c.db, key);
        e.notify(
            notify::ZSET,
            if f.incr { "zincr" } else { "zadd" },
            key,
            c.db,
        );
    }
    if let Some(err) = failed {
        return Err(err);
    }
    Ok(if f.incr {
        if processed > 0 {
            score_reply(last)
        } else {
            Reply::Nil
        }
    } else {
        Reply::Integer(if ch { added + updated } else { added })
    })
}

pub fn zadd(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zadd_generic(e, c, argv, AddFlags::default())
}

pub fn zincrby(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zadd_generic(
        e,
        c,
        argv,
        AddFlags {
            incr: true,
            ..AddFlags::default()
        },
    )
}

pub fn zrem(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let Some(z) = write_zset(e, c.db, &argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    let mut n = 0;
    for m in &argv[2..] {
        if z.remove(m).is_some() {
            n += 1;
            if z.is_empty() {
                break;
            }
        }
    }
    let empty = z.is_empty();
    if empty {
        e.db_mut(c.db).remove(&argv[1]);
    }
    if n > 0 {
        e.notify(notify::ZSET, "zrem", &argv[1], c.db);
        if empty {
            e.notify(notify::GENERIC, "del", &argv[1], c.db);
        }
        e.signal_key(c.db, &argv[1]);
    }
    Ok(Reply::Integer(n))
}

pub fn zscore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(read_zset(e, c.db, &argv[1])?
        .and_then(|z| z.score(&argv[2]))
        .map_or(Reply::Nil, score_reply))
}

pub fn zmscore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let z = read_zset(e, c.db, &argv[1])?;
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|m| z.and_then(|z| z.score(m)).map_or(Reply::Nil, score_reply))
            .collect(),
    ))
}

pub fn zcard(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(
        read_zset(e, c.db, &argv[1])?.map_or(0, |z| z.len() as i64),
    ))
}

fn rank_generic(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>, rev: bool) -> CmdResult {
    let Some(z) = read_zset(e, c.db, &argv[1])? else {
        return Ok(Reply::Nil);
    };
    Ok(z.rank(&argv[2]).map_or(Reply::Nil, |r| {
        Reply::Integer(if rev { z.len() - 1 - r } else { r } as i64)
    }))
}

pub fn zrank(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    rank_generic(e, c, argv, false)
}

pub fn zrevrank(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    rank_generic(e, c, argv, true)
}

// ---- ranges ----------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
pub(crate) struct ScoreRange {
    min: f64,
    max: f64,
    minex: bool,
    maxex: bool,
}

impl ScoreRange {
    fn gte_min(&self, v: f64) -> bool {
        if self.minex {
            v > self.min
        } else {
            v >= self.min
        }
    }

    fn lte_max(&self, v: f64) -> bool {
        if self.maxex {
            v < self.max
        } else {
            v <= self.max
        }
    }

    fn is_empty(&self) -> bool {
        self.min > self.max || (self.min == self.max && (self.minex || self.maxex))
    }
}

/// `zslParseRange`: `1.5`, `(1.5`, `-inf`, `+inf`.
pub(crate) fn parse_score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, CmdError> {
    let bad = || CmdError::err("min or max is not a float");
    let one = |a: &[u8]| -> Option<(f64, bool)> {
        match a.strip_prefix(b"(") {
            Some(rest) => strtod_arg(rest).map(|v| (v, true)),
            None => strtod_arg(a).map(|v| (v, false)),
        }
    };
    let (min, minex) = one(min).ok_or_else(bad)?;
    let (max, maxex) = one(max).ok_or_else(bad)?;
    Ok(ScoreRange {
        min,
        max,
        minex,
        maxex,
    })
}

#[derive(Clone, Debug)]
enum LexBound {
    NegInf,
    PosInf,
    Incl(Vec<u8>),
    Excl(Vec<u8>),
}

#[derive(Clone, Debug)]
pub(crate) struct LexRange {
    min: LexBound,
    max: LexBound,
}

fn parse_lex_bound(a: &[u8]) -> Option<LexBound> {
    match a.first() {
        Some(b'+') if a.len() == 1 => Some(LexBound::PosInf),
        Some(b'-') if a.len() == 1 => Some(LexBound::NegInf),
        Some(b'(') => Some(LexBound::Excl(a[1..].to_vec())),
        Some(b'[') => Some(LexBound::Incl(a[1..].to_vec())),
        _ => None,
    }
}

pub(crate) fn parse_lex_range(min: &[u8], max: &[u8]) -> Result<LexRange, CmdError> {
    let bad = || CmdError::err("min or max not valid string range item");
    Ok(LexRange {
        min: parse_lex_bound(min).ok_or_else(bad)?,
        max: parse_lex_bound(max).ok_or_else(bad)?,
    })
}

impl LexRange {
    fn gte_min(&self, m: &[u8]) -> bool {
        match &self.min {
            LexBound::NegInf => true,
            LexBound::PosInf => false,
            LexBound::Incl(b) => m >= b.as_slice(),
            LexBound::Excl(b) => m > b.as_slice(),
        }
    }

    fn lte_max(&self, m: &[u8]) -> bool {
        match &self.max {
            LexBound::NegInf => false,
            LexBound::PosInf => true,
            LexBound::Incl(b) => m <= b.as_slice(),
            LexBound::Excl(b) => m < b.as_slice(),
        }
    }
}

/// Pops up to `count` elements from the min or max end of `key` (a non-empty zset).
/// The pop BZPOPMIN/BZPOPMAX/ZMPOP/BZMPOP are propagated as.
pub(crate) fn pop_command(max: bool) -> &'static [u8] {
    if max {
        b"ZPOPMAX"
    } else {
        b"ZPOPMIN"
    }
}

pub(crate) fn pop_from(
    e: &mut Engine,
    db: usize,
    key: &[u8],
    max: bool,
    count: usize,
) -> Vec<(Vec<u8>, f64)> {
    let mut out = Vec::new();
    let mut empty = false;
    if let Some(Value::ZSet(z)) = e.db_mut(db).get_mut(key) {
        while out.len() < count {
            let n = if max { z.list.last() } else { z.list.first() };
            let Some(n) = n else { break };
            let m = z.list.member(n).to_vec();
            let s = z.list.score(n);
            z.remove(&m);
            out.push((m, s));
        }
        empty = z.is_empty();
    }
    if !out.is_empty() {
        e.notify(
            notify::ZSET,
            if max { "zpopmax" } else { "zpopmin" },
            key,
            db,
        );
    }
    if empty {
        e.db_mut(db).remove(key);
        e.notify(notify::GENERIC, "del", key, db);
    }
    e.signal_key(db, key);
    out
}

fn zpop_generic(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>, max: bool) -> CmdResult {
    if argv.len() > 3 {
        return Err(CmdError::WrongArity(
            if max { "zpopmax" } else { "zpopmin" }.to_string(),
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
    if write_zset(e, c.db, &argv[1])?.is_none() {
        return Ok(Reply::Array(vec![]));
    }
    let n = match count {
        Some(0) => return Ok(Reply::Array(vec![])),
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
        None => 1,
    };
    let popped = pop_from(e, c.db, &argv[1], max, n);
    if count.is_none() {
        // Without COUNT the reply stays flat even in RESP3.
        return Ok(Reply::Array(
            popped
                .into_iter()
                .flat_map(|(m, s)| [Reply::bulk(m), score_reply(s)])
                .collect(),
        ));
    }
    Ok(pairs_reply(popped, true))
}

pub fn zpopmin(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zpop_generic(e, c, argv, false)
}

pub fn zpopmax(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zpop_generic(e, c, argv, true)
}

pub(crate) struct ZmpopArgs {
    pub keys: Vec<Vec<u8>>,
    pub max: bool,
    pub count: usize,
}

pub(crate) fn parse_zmpop(argv: &[Vec<u8>], numkeys_idx: usize) -> Result<ZmpopArgs, CmdError> {
    let min_or_max = |a: &[u8]| {
        if is(a, "min") {
            Ok(false)
        } else if is(a, "max") {
            Ok(true)
        } else {
            Err(CmdError::Syntax)
        }
    };
    let (keys, max, count) = super::parse_mpop(argv, numkeys_idx, min_or_max)?;
    Ok(ZmpopArgs { keys, max, count })
}

/// `[key, [[member, score], ...]]` from the first non-empty sorted set, or None.
pub(crate) fn zmpop_from(
    e: &mut Engine,
    db: usize,
    a: &ZmpopArgs,
) -> Result<Option<Reply>, CmdError> {
    for key in &a.keys {
        if write_zset(e, db, key)?.is_some() {
            let items = pop_from(e, db, key, a.max, a.count);
            // Replicas get ZPOPMIN/ZPOPMAX key <popped>.
            e.propagate_as(|| {
                let n = items.len().to_string();
                crate::repl::args([pop_command(a.max), key, n.as_bytes()])
            });
            return Ok(Some(Reply::Array(vec![
                Reply::bulk(&key[..]),
                Reply::Array(
                    items
                        .into_iter()
                        .map(|(m, s)| Reply::Array(vec![Reply::bulk(m), score_reply(s)]))
                        .collect(),
                ),
            ])));
        }
    }
    Ok(None)
}

pub fn zmpop(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let a = parse_zmpop(&argv, 1)?;
    Ok(zmpop_from(e, c.db, &a)?.unwrap_or(Reply::NilArray))
}

// ---- algebra ---------------------------------------------------------------------

pub fn zrandmember(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() == 2 {
        let Some(z) = read_zset(e, c.db, &argv[1])? else {
            return Ok(Reply::Nil);
        };
        let len = z.len();
        let i = e.random_below(len);
        let Some(Value::ZSet(z)) = e.db_mut(c.db).get(&argv[1]) else {
            return Ok(Reply::Nil);
        };
        return Ok(z
            .dict
            .get_index(i)
            .map_or(Reply::Nil, |(m, _)| Reply::bulk(&m[..])));
    }
    let count = range_long(&argv[2], -i64::MAX, i64::MAX, None)?;
    let withscores = match argv.len() {
        3 => false,
        4 if is(&argv[3], "withscores") => {
            if !(-i64::MAX / 2..=i64::MAX / 2).contains(&count) {
                return Err(CmdError::OutOfRange);
            }
            true
        }
        _ => return Err(CmdError::Syntax),
    };
    let Some(z) = read_zset(e, c.db, &argv[1])? else {
        return Ok(Reply::Array(vec![]));
    };
    let size = z.len();
    let all = count >= size as i64;
    let picks = random_picks(e, size, count);
    let Some(Value::ZSet(z)) = e.db_mut(c.db).get(&argv[1]) else {
        return Ok(Reply::Array(vec![]));
    };
    let items: Vec<(Vec<u8>, f64)> = if all {
        // The whole set, in the order Redis's iterator walks it: a listpack from
        // its tail, a skiplist from its head.
        let all: Vec<(Vec<u8>, f64)> = z.list.iter().map(|(s, m)| (m.to_vec(), s)).collect();
        if z.listpack {
            all.into_iter().rev().collect()
        } else {
            all
        }
    } else {
        picks
            .into_iter()
            .filter_map(|i| z.dict.get_index(i))
            .map(|(m, s)| (m.to_vec(), *s))
            .collect()
    };
    Ok(pairs_reply(items, withscores))
}

pub fn zscan(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let cursor = super::keys::parse_cursor(&argv[2])?;
    let opts = super::keys::parse_scan_options(&argv, 3, false)?;
    let Some(z) = read_zset(e, c.db, &argv[1])? else {
        return Ok(Reply::Array(vec![Reply::bulk("0"), Reply::Array(vec![])]));
    };
    let mut out = Vec::new();
    let matches = |m: &[u8]| {
        opts.pattern
            .as_ref()
            .is_none_or(|p| crate::glob::matches(p, m, false))
    };
    let next = if z.listpack {
        for (s, m) in z.list.iter() {
            if matches(m) {
                out.push(Reply::bulk(m));
                out.push(score_text(s));
            }
        }
        0
    } else {
        let (next, idx) = super::keys::scan_window(cursor, z.len(), opts.count);
        for i in idx {
            if let Some((m, s)) = z.dict.get_index(i) {
                if matches(m) {
                    out.push(Reply::bulk(&m[..]));
                    out.push(score_text(*s));
                }
            }
        }
        next
    };
    Ok(Reply::Array(vec![
        Reply::bulk(next.to_string().into_bytes()),
        Reply::Array(out),
    ]))
}
