//! Ranges of a sorted set: ZRANGE and its BYSCORE/BYLEX/REV forms, ZRANGESTORE,
//! ZCOUNT, ZLEXCOUNT and ZREMRANGEBY*.

use super::*;

/// Elements of a score range in order (reversed if `rev`), after `offset`, at most
/// `limit` (negative: no limit).
pub(super) fn collect_score(
    z: &ZSet,
    r: &ScoreRange,
    rev: bool,
    offset: i64,
    limit: i64,
) -> Vec<NodeRef> {
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

pub(super) fn collect_lex(
    z: &ZSet,
    r: &LexRange,
    rev: bool,
    offset: i64,
    limit: i64,
) -> Vec<NodeRef> {
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
pub(super) fn collect(
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

pub(super) fn collect_rank(z: &ZSet, start: i64, end: i64, rev: bool) -> Vec<NodeRef> {
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
pub(super) enum RangeKind {
    Auto,
    Rank,
    Score,
    Lex,
}

/// `zrangeGenericCommand` for ZRANGE, ZREVRANGE, Z[REV]RANGEBY{SCORE,LEX} and
/// ZRANGESTORE. `first` is the index of the source key.
pub(super) fn zrange_generic(
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
            offset = crate::cmd::int_arg(&argv[j + 1])?;
            limit = crate::cmd::int_arg(&argv[j + 2])?;
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
        _ => Parsed::Rank(crate::cmd::int_arg(lo)?, crate::cmd::int_arg(hi)?),
    };
    let src = &argv[first];
    let items: Vec<(Bytes, f64)> = match read_zset(e, c.db, src)? {
        None => Vec::new(),
        Some(z) => {
            let nodes = match &parsed {
                Parsed::Rank(s, t) => collect_rank(z, *s, *t, rev),
                Parsed::Score(r) => collect_score(z, r, rev, offset, limit),
                Parsed::Lex(r) => collect_lex(z, r, rev, offset, limit),
            };
            nodes
                .into_iter()
                .map(|n| (Bytes::from(z.list.member(n)), z.list.score(n)))
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
pub(super) fn pairs_reply<M: Into<Bytes>>(items: Vec<(M, f64)>, withscores: bool) -> Reply {
    if withscores {
        Reply::Pairs(
            items
                .into_iter()
                .map(|(m, s)| (Reply::bulk(m), score_reply(s)))
                .collect(),
        )
    } else {
        Reply::Array(items.into_iter().map(|(m, _)| Reply::bulk(m)).collect())
    }
}

/// Replaces `dst` with a sorted set of `items` (deleting it when empty), choosing
/// the encoding from the final size as Redis does for stored results. `event` is
/// the keyspace event of a non-empty result.
pub(crate) fn store_zset<M: AsRef<[u8]>>(
    e: &mut Engine,
    db: usize,
    dst: &[u8],
    items: Vec<(M, f64)>,
    event: &str,
) {
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
                m.as_ref(),
                *s,
                &Limits {
                    zset_entries: usize::MAX,
                    zset_value: usize::MAX,
                    ..limits
                },
            );
        }
        z.listpack = items.len() <= limits.zset_entries
            && items
                .iter()
                .all(|(m, _)| m.as_ref().len() <= limits.zset_value);
        e.db_mut(db).set(dst, Value::ZSet(Box::new(z)), now);
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
pub(super) fn count_between(
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

pub(super) enum RemRange {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

pub(super) fn zremrange_generic(
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
    let r = RemRange::Rank(
        crate::cmd::int_arg(&argv[2])?,
        crate::cmd::int_arg(&argv[3])?,
    );
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
