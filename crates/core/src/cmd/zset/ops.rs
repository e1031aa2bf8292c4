//! ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD.

use super::*;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SetOp {
    Union,
    Inter,
    Diff,
}

#[derive(Clone, Copy)]
pub(super) enum Aggregate {
    Sum,
    Min,
    Max,
}

pub(super) fn aggregate(a: Aggregate, target: &mut f64, v: f64) {
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
pub(super) enum Operand {
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

pub(super) fn load_operand(e: &mut Engine, db: usize, key: &[u8]) -> Result<Operand, CmdError> {
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
pub(super) fn zsetop(
    e: &mut Engine,
    c: &mut Client,
    argv: &[Vec<u8>],
    dst: Option<&[u8]>,
    numkeys_idx: usize,
    op: SetOp,
    card_only: bool,
) -> CmdResult {
    let name = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
    let setnum = crate::cmd::int_arg(&argv[numkeys_idx])?;
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
