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

fn read_zset<'a>(e: &'a mut Engine, db: usize, key: &[u8]) -> Result<Option<&'a ZSet>, CmdError> {
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
    Reply::Bulk(num::format_double(s).into_bytes())
}

/// `getDoubleFromObjectOrReply` for scores: strict, no NaN.
fn score_arg(arg: &[u8], msg: Option<&str>) -> Result<f64, CmdError> {
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
        e.db_mut(c.db)
            .insert(key.clone(), Value::ZSet(Box::new(z)), now);
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

/// Elements of a score range in order (reversed if `rev`), after `offset`, at most
/// `limit` (negative: no limit).
fn collect_score(z: &ZSet, r: &ScoreRange, rev: bool, offset: i64, limit: i64) -> Vec<NodeRef> {
    collect(
        z,
        rev,
        offset,
        limit,
        |s, _| !r.gte_min(s),
        |s, _| r.lte_max(s),
        |s, _| r.gte_min(s),
        |s, _| r.lte_max(s),
    )
}

fn collect_lex(z: &ZSet, r: &LexRange, rev: bool, offset: i64, limit: i64) -> Vec<NodeRef> {
    collect(
        z,
        rev,
        offset,
        limit,
        |_, m| !r.gte_min(m.get()),
        |_, m| r.lte_max(m.get()),
        |_, m| r.gte_min(m),
        |_, m| r.lte_max(m),
    )
}

#[allow(clippy::too_many_arguments)]
fn collect(
    z: &ZSet,
    rev: bool,
    offset: i64,
    limit: i64,
    below_min: impl Fn(f64, LazyMember<'_>) -> bool,
    within_max: impl Fn(f64, LazyMember<'_>) -> bool,
    gte_min: impl Fn(f64, &[u8]) -> bool,
    lte_max: impl Fn(f64, &[u8]) -> bool,
) -> Vec<NodeRef> {
    let mut out = Vec::new();
    if offset < 0 || (offset > 0 && offset as u64 >= z.len() as u64) {
        return out;
    }
    let l = &z.list;
    let mut node = if rev {
        l.last_within(&within_max)
    } else {
        l.first_not_below(&below_min)
    };
    // The starting point must itself be in range.
    if let Some(n) = node {
        let (s, m) = (l.score(n), l.member(n));
        if !(gte_min(s, m) && lte_max(s, m)) {
            node = None;
        }
    }
    let mut skip = offset;
    while let Some(n) = node {
        if skip == 0 {
            break;
        }
        skip -= 1;
        node = if rev { l.prev(n) } else { l.next(n) };
    }
    let mut left = limit;
    while let Some(n) = node {
        if left == 0 {
            break;
        }
        let (s, m) = (l.score(n), l.member(n));
        if rev && !gte_min(s, m) || !rev && !lte_max(s, m) {
            break;
        }
        out.push(n);
        left -= 1;
        node = if rev { l.prev(n) } else { l.next(n) };
    }
    out
}

fn collect_rank(z: &ZSet, start: i64, end: i64, rev: bool) -> Vec<NodeRef> {
    let Some((s, t)) = clamp_range(start, end, z.len()) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(t - s + 1);
    let first = if rev { z.len() - 1 - s } else { s };
    let mut node = z.at_rank(first);
    while let Some(n) = node {
        if out.len() == t - s + 1 {
            break;
        }
        out.push(n);
        node = if rev { z.list.prev(n) } else { z.list.next(n) };
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RangeKind {
    Auto,
    Rank,
    Score,
    Lex,
}

/// `zrangeGenericCommand` for ZRANGE, ZREVRANGE, Z[REV]RANGEBY{SCORE,LEX} and
/// ZRANGESTORE. `first` is the index of the source key.
fn zrange_generic(
    e: &mut Engine,
    c: &mut Client,
    argv: &[Vec<u8>],
    first: usize,
    store: bool,
    mut kind: RangeKind,
    mut rev: Option<bool>,
) -> CmdResult {
    let (mut withscores, mut offset, mut limit) = (false, 0i64, -1i64);
    let mut j = first + 3;
    while j < argv.len() {
        let left = argv.len() - j - 1;
        if !store && is(&argv[j], "withscores") {
            withscores = true;
        } else if is(&argv[j], "limit") && left >= 2 {
            offset = super::int_arg(&argv[j + 1])?;
            limit = super::int_arg(&argv[j + 2])?;
            j += 2;
        } else if rev.is_none() && is(&argv[j], "rev") {
            rev = Some(true);
        } else if kind == RangeKind::Auto && is(&argv[j], "bylex") {
            kind = RangeKind::Lex;
        } else if kind == RangeKind::Auto && is(&argv[j], "byscore") {
            kind = RangeKind::Score;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    let rev = rev.unwrap_or(false);
    if kind == RangeKind::Auto {
        kind = RangeKind::Rank;
    }
    if limit != -1 && kind == RangeKind::Rank {
        return Err(CmdError::err(
            "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        ));
    }
    if withscores && kind == RangeKind::Lex {
        return Err(CmdError::err(
            "syntax error, WITHSCORES not supported in combination with BYLEX",
        ));
    }
    let (mut lo, mut hi) = (&argv[first + 1], &argv[first + 2]);
    if rev && kind != RangeKind::Rank {
        std::mem::swap(&mut lo, &mut hi);
    }
    enum Parsed {
        Rank(i64, i64),
        Score(ScoreRange),
        Lex(LexRange),
    }
    let parsed = match kind {
        RangeKind::Score => Parsed::Score(parse_score_range(lo, hi)?),
        RangeKind::Lex => Parsed::Lex(parse_lex_range(lo, hi)?),
        _ => Parsed::Rank(super::int_arg(lo)?, super::int_arg(hi)?),
    };
    let src = &argv[first];
    let items: Vec<(Vec<u8>, f64)> = match read_zset(e, c.db, src)? {
        None => Vec::new(),
        Some(z) => {
            let nodes = match &parsed {
                Parsed::Rank(s, t) => collect_rank(z, *s, *t, rev),
                Parsed::Score(r) => collect_score(z, r, rev, offset, limit),
                Parsed::Lex(r) => collect_lex(z, r, rev, offset, limit),
            };
            nodes
                .into_iter()
                .map(|n| (z.list.member(n).to_vec(), z.list.score(n)))
                .collect()
        }
    };
    if store {
        let n = items.len();
        store_zset(e, c.db, &argv[1], items, "zrangestore");
        return Ok(Reply::Integer(n as i64));
    }
    Ok(pairs_reply(items, withscores))
}

/// Members, or member/score pairs (nested in RESP3, flat in RESP2).
fn pairs_reply(items: Vec<(Vec<u8>, f64)>, withscores: bool) -> Reply {
    if withscores {
        Reply::Pairs(
            items
                .into_iter()
                .map(|(m, s)| (Reply::Bulk(m), score_reply(s)))
                .collect(),
        )
    } else {
        Reply::Array(items.into_iter().map(|(m, _)| Reply::Bulk(m)).collect())
    }
}

/// Replaces `dst` with a sorted set of `items` (deleting it when empty), choosing
/// the encoding from the final size as Redis does for stored results. `event` is
/// the keyspace event of a non-empty result.
fn store_zset(e: &mut Engine, db: usize, dst: &[u8], items: Vec<(Vec<u8>, f64)>, event: &str) {
    let limits = e.limits();
    let now = e.now_ms();
    if items.is_empty() {
        // An empty result only writes if it deletes an existing destination.
        if e.db_mut(db).remove(dst).is_none() {
            return;
        }
        e.notify(notify::GENERIC, "del", dst, db);
    } else {
        let mut z = ZSet::new();
        for (m, s) in &items {
            z.insert(
                m,
                *s,
                &Limits {
                    zset_entries: usize::MAX,
                    zset_value: usize::MAX,
                    ..limits
                },
            );
        }
        z.listpack = items.len() <= limits.zset_entries
            && items.iter().all(|(m, _)| m.len() <= limits.zset_value);
        e.db_mut(db)
            .set(dst.to_vec(), Value::ZSet(Box::new(z)), now);
        e.notify(notify::ZSET, event, dst, db);
    }
    e.signal_key(db, dst);
}

pub fn zrange(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zrange_generic(e, c, &argv, 1, false, RangeKind::Auto, None)
}

pub fn zrangestore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zrange_generic(e, c, &argv, 2, true, RangeKind::Auto, None)
}

pub fn zrevrange(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zrange_generic(e, c, &argv, 1, false, RangeKind::Rank, Some(true))
}

pub fn zrangebyscore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zrange_generic(e, c, &argv, 1, false, RangeKind::Score, Some(false))
}

pub fn zrevrangebyscore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zrange_generic(e, c, &argv, 1, false, RangeKind::Score, Some(true))
}

pub fn zrangebylex(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zrange_generic(e, c, &argv, 1, false, RangeKind::Lex, Some(false))
}

pub fn zrevrangebylex(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zrange_generic(e, c, &argv, 1, false, RangeKind::Lex, Some(true))
}

pub fn zcount(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let r = parse_score_range(&argv[2], &argv[3])?;
    let Some(z) = read_zset(e, c.db, &argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    Ok(Reply::Integer(count_between(
        z,
        |s, _| !r.gte_min(s),
        |s, _| r.lte_max(s),
        r.is_empty(),
    )))
}

pub fn zlexcount(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let r = parse_lex_range(&argv[2], &argv[3])?;
    let Some(z) = read_zset(e, c.db, &argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    Ok(Reply::Integer(count_between(
        z,
        |_, m| !r.gte_min(m.get()),
        |_, m| r.lte_max(m.get()),
        false,
    )))
}

/// Counts a range in O(log N) with two rank lookups.
fn count_between(
    z: &ZSet,
    below: impl Fn(f64, LazyMember<'_>) -> bool,
    within: impl Fn(f64, LazyMember<'_>) -> bool,
    empty: bool,
) -> i64 {
    if empty {
        return 0;
    }
    let l = &z.list;
    let (Some(first), Some(last)) = (l.first_not_below(&below), l.last_within(&within)) else {
        return 0;
    };
    let r1 = l.rank(l.score(first), l.member(first)).unwrap_or(0) as i64;
    let r2 = l.rank(l.score(last), l.member(last)).unwrap_or(0) as i64;
    (r2 - r1 + 1).max(0)
}

enum RemRange {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

fn zremrange_generic(
    e: &mut Engine,
    c: &mut Client,
    argv: Vec<Vec<u8>>,
    which: RemRange,
) -> CmdResult {
    let Some(z) = write_zset(e, c.db, &argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    let nodes = match &which {
        RemRange::Rank(s, t) => collect_rank(z, *s, *t, false),
        RemRange::Score(r) => collect_score(z, r, false, 0, -1),
        RemRange::Lex(r) => collect_lex(z, r, false, 0, -1),
    };
    let members: Vec<Vec<u8>> = nodes
        .into_iter()
        .map(|n| z.list.member(n).to_vec())
        .collect();
    for m in &members {
        z.remove(m);
    }
    let empty = z.is_empty();
    if empty {
        e.db_mut(c.db).remove(&argv[1]);
    }
    if !members.is_empty() {
        e.signal_key(c.db, &argv[1]);
        let event = match which {
            RemRange::Rank(..) => "zremrangebyrank",
            RemRange::Score(_) => "zremrangebyscore",
            RemRange::Lex(_) => "zremrangebylex",
        };
        e.notify(notify::ZSET, event, &argv[1], c.db);
        if empty {
            e.notify(notify::GENERIC, "del", &argv[1], c.db);
        }
    }
    Ok(Reply::Integer(members.len() as i64))
}

pub fn zremrangebyrank(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let r = RemRange::Rank(super::int_arg(&argv[2])?, super::int_arg(&argv[3])?);
    zremrange_generic(e, c, argv, r)
}

pub fn zremrangebyscore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let r = RemRange::Score(parse_score_range(&argv[2], &argv[3])?);
    zremrange_generic(e, c, argv, r)
}

pub fn zremrangebylex(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let r = RemRange::Lex(parse_lex_range(&argv[2], &argv[3])?);
    zremrange_generic(e, c, argv, r)
}

// ---- pops ------------------------------------------------------------------------

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
                .flat_map(|(m, s)| [Reply::Bulk(m), score_reply(s)])
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
                Reply::Bulk(key.clone()),
                Reply::Array(
                    items
                        .into_iter()
                        .map(|(m, s)| Reply::Array(vec![Reply::Bulk(m), score_reply(s)]))
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Union,
    Inter,
    Diff,
}

#[derive(Clone, Copy)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

fn aggregate(a: Aggregate, target: &mut f64, v: f64) {
    match a {
        Aggregate::Sum => {
            *target += v;
            // inf + -inf: Redis keeps the convention of 0.
            if target.is_nan() {
                *target = 0.0;
            }
        }
        Aggregate::Min => *target = target.min(v),
        Aggregate::Max => *target = target.max(v),
    }
}

/// One operand: a sorted set or a plain set (every member scores 1).
enum Operand {
    Missing,
    Z(Vec<(Vec<u8>, f64)>, crate::db::Map<Bytes, f64>),
}

impl Operand {
    fn len(&self) -> usize {
        match self {
            Operand::Missing => 0,
            Operand::Z(v, _) => v.len(),
        }
    }

    fn get(&self, m: &[u8]) -> Option<f64> {
        match self {
            Operand::Missing => None,
            Operand::Z(_, d) => d.get(m).copied(),
        }
    }
}

fn load_operand(e: &mut Engine, db: usize, key: &[u8]) -> Result<Operand, CmdError> {
    Ok(match e.lookup_read(db, key) {
        None => Operand::Missing,
        Some(Value::ZSet(z)) => {
            let items: Vec<(Vec<u8>, f64)> = z.list.iter().map(|(s, m)| (m.to_vec(), s)).collect();
            Operand::Z(items, z.dict.clone())
        }
        Some(Value::Set(s)) => {
            let items: Vec<(Vec<u8>, f64)> = s.members().into_iter().map(|m| (m, 1.0)).collect();
            let d = items
                .iter()
                .map(|(m, s)| (Bytes::from(m.as_slice()), *s))
                .collect();
            Operand::Z(items, d)
        }
        Some(_) => return Err(CmdError::WrongType),
    })
}

/// `zunionInterDiffGenericCommand`.
fn zsetop(
    e: &mut Engine,
    c: &mut Client,
    argv: &[Vec<u8>],
    dst: Option<&[u8]>,
    numkeys_idx: usize,
    op: SetOp,
    card_only: bool,
) -> CmdResult {
    let name = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
    let setnum = super::int_arg(&argv[numkeys_idx])?;
    if setnum < 1 {
        return Err(CmdError::err(format!(
            "at least 1 input key is needed for '{name}' command"
        )));
    }
    if setnum as u64 > (argv.len() - numkeys_idx - 1) as u64 {
        return Err(CmdError::Syntax);
    }
    let setnum = setnum as usize;
    let mut srcs = Vec::with_capacity(setnum);
    for k in &argv[numkeys_idx + 1..numkeys_idx + 1 + setnum] {
        srcs.push(load_operand(e, c.db, k)?);
    }
    let mut weights = vec![1.0f64; setnum];
    let mut agg = Aggregate::Sum;
    let mut withscores = false;
    let mut limit = 0i64;
    let mut j = numkeys_idx + 1 + setnum;
    while j < argv.len() {
        let remaining = argv.len() - j;
        if op != SetOp::Diff && !card_only && remaining > setnum && is(&argv[j], "weights") {
            j += 1;
            for w in weights.iter_mut() {
                *w = score_arg(&argv[j], Some("weight value is not a float"))?;
                j += 1;
            }
        } else if op != SetOp::Diff && !card_only && remaining >= 2 && is(&argv[j], "aggregate") {
            let a = &argv[j + 1];
            agg = if is(a, "sum") {
                Aggregate::Sum
            } else if is(a, "min") {
                Aggregate::Min
            } else if is(a, "max") {
                Aggregate::Max
            } else {
                return Err(CmdError::Syntax);
            };
            j += 2;
        } else if dst.is_none() && !card_only && is(&argv[j], "withscores") {
            withscores = true;
            j += 1;
        } else if card_only && remaining >= 2 && is(&argv[j], "limit") {
            limit = range_long(&argv[j + 1], 0, i64::MAX, Some("LIMIT can't be negative"))?;
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let weighted = |s: f64, w: f64| {
        let v = s * w;
        if v.is_nan() {
            0.0
        } else {
            v
        }
    };
    let mut result: crate::db::Map<Vec<u8>, f64> = crate::db::Map::default();
    match op {
        SetOp::Inter => {
            let mut order: Vec<usize> = (0..setnum).collect();
            order.sort_by_key(|&i| srcs[i].len());
            if srcs.iter().all(|s| !matches!(s, Operand::Missing)) {
                if let Operand::Z(items, _) = &srcs[order[0]] {
                    'outer: for (m, s) in items {
                        let mut score = weighted(*s, weights[order[0]]);
                        for &i in &order[1..] {
                            match srcs[i].get(m) {
                                Some(v) => aggregate(agg, &mut score, weighted(v, weights[i])),
                                None => continue 'outer,
                            }
                        }
                        result.insert(m.clone(), score);
                        if card_only && limit > 0 && result.len() as i64 >= limit {
                            break;
                        }
                    }
                }
            }
        }
        SetOp::Union => {
            for (i, src) in srcs.iter().enumerate() {
                if let Operand::Z(items, _) = src {
                    for (m, s) in items {
                        let v = weighted(*s, weights[i]);
                        match result.get_mut(m) {
                            Some(t) => aggregate(agg, t, v),
                            None => {
                                result.insert(m.clone(), v);
                            }
                        }
                    }
                }
            }
        }
        SetOp::Diff => {
            if let Operand::Z(items, _) = &srcs[0] {
                for (m, s) in items {
                    if !srcs[1..].iter().any(|o| o.get(m).is_some()) {
                        result.insert(m.clone(), *s);
                    }
                }
            }
        }
    }
    if card_only {
        return Ok(Reply::Integer(result.len() as i64));
    }
    let mut items: Vec<(Vec<u8>, f64)> = result.into_iter().collect();
    items.sort_by(|a, b| crate::types::skiplist::cmp_entry(a.1, &a.0, b.1, &b.0));
    match dst {
        Some(d) => {
            let n = items.len();
            let event = match op {
                SetOp::Union => "zunionstore",
                SetOp::Inter => "zinterstore",
                SetOp::Diff => "zdiffstore",
            };
            store_zset(e, c.db, d, items, event);
            Ok(Reply::Integer(n as i64))
        }
        None => Ok(pairs_reply(items, withscores)),
    }
}

pub fn zunion(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zsetop(e, c, &argv, None, 1, SetOp::Union, false)
}

pub fn zinter(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zsetop(e, c, &argv, None, 1, SetOp::Inter, false)
}

pub fn zdiff(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zsetop(e, c, &argv, None, 1, SetOp::Diff, false)
}

pub fn zunionstore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let dst = argv[1].clone();
    zsetop(e, c, &argv, Some(&dst), 2, SetOp::Union, false)
}

pub fn zinterstore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let dst = argv[1].clone();
    zsetop(e, c, &argv, Some(&dst), 2, SetOp::Inter, false)
}

pub fn zdiffstore(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let dst = argv[1].clone();
    zsetop(e, c, &argv, Some(&dst), 2, SetOp::Diff, false)
}

pub fn zintercard(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    zsetop(e, c, &argv, None, 1, SetOp::Inter, true)
}

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
            .map_or(Reply::Nil, |(m, _)| Reply::Bulk(m.to_vec())));
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
                out.push(Reply::Bulk(m.to_vec()));
                out.push(score_text(s));
            }
        }
        0
    } else {
        let (next, idx) = super::keys::scan_window(cursor, z.len(), opts.count);
        for i in idx {
            if let Some((m, s)) = z.dict.get_index(i) {
                if matches(m) {
                    out.push(Reply::Bulk(m.to_vec()));
                    out.push(score_text(*s));
                }
            }
        }
        next
    };
    Ok(Reply::Array(vec![
        Reply::Bulk(next.to_string().into_bytes()),
        Reply::Array(out),
    ]))
}
