//! String commands: GET/SET and their variants, ranges, counters and LCS.

use super::{int_arg, is, take};
use crate::bytes::Bytes;
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::notify;
use crate::num::{self, LongDouble};
use crate::repl::args;
use crate::reply::Reply;
use crate::value::{Str, StrOrigin, Value};

/// Reads a string value: `Ok(None)` if missing, WRONGTYPE for other types.
fn read_str<'a>(e: &'a mut Engine, db: usize, key: &[u8]) -> Result<Option<&'a Str>, CmdError> {
    match e.lookup_read(db, key) {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        #[allow(unreachable_patterns)]
        Some(_) => Err(CmdError::WrongType),
    }
}

fn write_str<'a>(
    e: &'a mut Engine,
    db: usize,
    key: &[u8],
) -> Result<Option<&'a mut Str>, CmdError> {
    match e.lookup_write(db, key) {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        #[allow(unreachable_patterns)]
        Some(_) => Err(CmdError::WrongType),
    }
}

/// `checkStringLength`: the result of a string operation may not exceed proto-max-bulk-len.
fn check_len(e: &Engine, size: u64, append: u64) -> Result<(), CmdError> {
    match size.checked_add(append) {
        Some(t) if t <= e.config.proto_max_bulk_len as u64 => Ok(()),
        _ => Err(CmdError::err(
            "string exceeds maximum allowed size (proto-max-bulk-len)",
        )),
    }
}

pub fn get(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(match read_str(e, c.db, &argv[1])? {
        Some(s) => Reply::bulk(&s.bytes[..]),
        None => Reply::Nil,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ExpireKind {
    Ex,
    Px,
    ExAt,
    PxAt,
}

#[derive(Default)]
struct SetOptions {
    nx: bool,
    xx: bool,
    get: bool,
    keepttl: bool,
    persist: bool,
    expire: Option<(ExpireKind, usize)>,
}

/// `parseExtendedStringArgumentsOrReply`: SET's and GETEX's options, with Redis's
/// rules on which combine.
fn parse_set_options(argv: &[Vec<u8>], from: usize, for_set: bool) -> Result<SetOptions, CmdError> {
    let mut o = SetOptions::default();
    let mut j = from;
    while j < argv.len() {
        let a = &argv[j];
        let has_next = j + 1 < argv.len();
        let timed = |o: &SetOptions, k: ExpireKind| o.expire.is_some_and(|(x, _)| x != k);
        if for_set && is(a, "nx") && !o.xx {
            o.nx = true;
        } else if for_set && is(a, "xx") && !o.nx {
            o.xx = true;
        } else if for_set && is(a, "get") {
            o.get = true;
        } else if for_set && is(a, "keepttl") && !o.persist && o.expire.is_none() {
            o.keepttl = true;
        } else if !for_set && is(a, "persist") && !o.keepttl && o.expire.is_none() {
            o.persist = true;
        } else if let Some(kind) = [
            ("ex", ExpireKind::Ex),
            ("px", ExpireKind::Px),
            ("exat", ExpireKind::ExAt),
            ("pxat", ExpireKind::PxAt),
        ]
        .iter()
        .find(|(n, _)| is(a, n))
        .map(|(_, k)| *k)
        .filter(|k| !o.keepttl && !o.persist && !timed(&o, *k) && has_next)
        {
            o.expire = Some((kind, j + 1));
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    Ok(o)
}

/// `getExpireMillisecondsOrReply`: the absolute deadline in ms.
fn expire_deadline(e: &Engine, cmd: &str, kind: ExpireKind, arg: &[u8]) -> Result<u64, CmdError> {
    let v = int_arg(arg)?;
    let seconds = matches!(kind, ExpireKind::Ex | ExpireKind::ExAt);
    if v <= 0 || (seconds && v > i64::MAX / 1000) {
        return Err(CmdError::InvalidExpire(cmd.to_string()));
    }
    let mut ms = if seconds { v * 1000 } else { v };
    if matches!(kind, ExpireKind::Ex | ExpireKind::Px) {
        ms = ms
            .checked_add(e.now_ms() as i64)
            .ok_or_else(|| CmdError::InvalidExpire(cmd.to_string()))?;
    }
    Ok(ms as u64)
}

/// `setGenericCommand`. Returns whether the write happened (NX/XX may stop it).
/// SET ... GET reads the old value before: the reply is built by the caller,
/// not passed back through here.
fn set_generic(
    e: &mut Engine,
    c: &Client,
    key: &[u8],
    value: Vec<u8>,
    opts: &SetOptions,
    deadline: Option<u64>,
) -> Result<bool, CmdError> {
    let found = e.lookup_write(c.db, key).is_some();
    if (opts.nx && found) || (opts.xx && !found) {
        return Ok(false);
    }
    if let Some(at) = deadline {
        // Replicas get the absolute deadline: SET key value PXAT ms.
        e.propagate_as(|| args([b"SET", key, &value, b"PXAT", at.to_string().as_bytes()]));
    } else if opts.get {
        // ... and never the GET (which may be repeated).
        e.propagate_edit(|argv| {
            let mut i = 0;
            argv.retain(|a| {
                i += 1;
                i <= 3 || !is(a, "get")
            });
        });
    }
    let now = e.now_ms();
    let d = e.db_mut(c.db);
    if opts.keepttl {
        d.insert(key, Value::str(value), now);
    } else {
        d.set(key, Value::str(value), now);
    }
    e.dirty();
    e.notify(notify::STRING, "set", key, c.db);
    if let Some(at) = deadline {
        e.db_mut(c.db).set_expire(key, at);
        e.notify(notify::GENERIC, "expire", key, c.db);
    }
    Ok(true)
}

pub fn set(e: &mut Engine, c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    let opts = parse_set_options(&argv, 3, true)?;
    let deadline = match opts.expire {
        Some((kind, i)) => Some(expire_deadline(e, "set", kind, &argv[i])?),
        None => None,
    };
    let old = if opts.get {
        Some(match read_str(e, c.db, &argv[1])? {
            Some(s) => Reply::bulk(&s.bytes[..]),
            None => Reply::Nil,
        })
    } else {
        None
    };
    let value = take(&mut argv, 2);
    let written = set_generic(e, c, &argv[1], value, &opts, deadline)?;
    Ok(match (old, written) {
        (Some(old), _) => old,
        (None, true) => Reply::ok(),
        (None, false) => Reply::Nil,
    })
}

pub fn setnx(e: &mut Engine, c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    let opts = SetOptions {
        nx: true,
        ..SetOptions::default()
    };
    let value = take(&mut argv, 2);
    let written = set_generic(e, c, &argv[1], value, &opts, None)?;
    Ok(Reply::Integer(i64::from(written)))
}

fn set_with_ttl(
    e: &mut Engine,
    c: &mut Client,
    mut argv: Vec<Vec<u8>>,
    kind: ExpireKind,
    cmd: &str,
) -> CmdResult {
    let deadline = expire_deadline(e, cmd, kind, &argv[2])?;
    let value = take(&mut argv, 3);
    set_generic(
        e,
        c,
        &argv[1],
        value,
        &SetOptions::default(),
        Some(deadline),
    )?;
    Ok(Reply::ok())
}

pub fn setex(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    set_with_ttl(e, c, argv, ExpireKind::Ex, "setex")
}

pub fn psetex(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    set_with_ttl(e, c, argv, ExpireKind::Px, "psetex")
}

pub fn getset(e: &mut Engine, c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    let old = match read_str(e, c.db, &argv[1])? {
        Some(s) => Reply::bulk(&s.bytes[..]),
        None => Reply::Nil,
    };
    let key = take(&mut argv, 1);
    let value = take(&mut argv, 2);
    let now = e.now_ms();
    e.db_mut(c.db).set(&key, Value::str(value), now);
    e.notify(notify::STRING, "set", &key, c.db);
    e.dirty();
    e.propagate_edit(|argv| argv[0] = b"SET".to_vec());
    Ok(old)
}

pub fn getdel(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let old = match read_str(e, c.db, &argv[1])? {
        Some(s) => s.bytes.to_vec(),
        None => return Ok(Reply::Nil),
    };
    e.db_mut(c.db).remove(&argv[1]);
    e.notify(notify::GENERIC, "del", &argv[1], c.db);
    e.dirty();
    let del = e.deletion_command("lazyfree-lazy-user-del");
    e.propagate_as(|| args([del, &argv[1]]));
    Ok(Reply::bulk(old))
}

pub fn getex(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let opts = parse_set_options(&argv, 2, false)?;
    let value = match read_str(e, c.db, &argv[1])? {
        Some(s) => s.bytes.to_vec(),
        None => return Ok(Reply::Nil),
    };
    // Like Redis, the expire time is only validated once the key is known to exist.
    let deadline = match opts.expire {
        Some((kind, i)) => Some((kind, expire_deadline(e, "getex", kind, &argv[i])?)),
        None => None,
    };
    // GETEX itself is never propagated: it becomes DEL, PEXPIREAT or PERSIST.
    let now = e.now_ms();
    let key = &argv[1];
    let event = match deadline {
        Some((ExpireKind::ExAt | ExpireKind::PxAt, at)) if at <= now => {
            e.db_mut(c.db).remove(key);
            let del = e.deletion_command("lazyfree-lazy-expire");
            e.propagate_as(|| args([del, key]));
            e.signal_key(c.db, key);
            Some("del")
        }
        Some((_, at)) => {
            e.db_mut(c.db).set_expire(key, at);
            e.propagate_as(|| args([b"PEXPIREAT", key, at.to_string().as_bytes()]));
            e.signal_key(c.db, key);
            Some("expire")
        }
        None if opts.persist && e.db_mut(c.db).persist(key) => {
            e.propagate_as(|| args([b"PERSIST", key]));
            e.signal_key(c.db, key);
            Some("persist")
        }
        None => None,
    };
    if let Some(event) = event {
        e.notify(notify::GENERIC, event, key, c.db);
    }
    Ok(Reply::bulk(value))
}

pub fn mget(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut out = Vec::with_capacity(argv.len() - 1);
    for key in &argv[1..] {
        out.push(match e.lookup_read(c.db, key) {
            Some(Value::Str(s)) => Reply::bulk(&s.bytes[..]),
            #[allow(unreachable_patterns)]
            _ => Reply::Nil,
        });
    }
    Ok(Reply::Array(out))
}

fn mset_generic(e: &mut Engine, c: &mut Client, mut argv: Vec<Vec<u8>>, nx: bool) -> CmdResult {
    if argv.len().is_multiple_of(2) {
        return Err(CmdError::WrongArity(
            if nx { "msetnx" } else { "mset" }.to_string(),
        ));
    }
    if nx {
        for i in (1..argv.len()).step_by(2) {
            if e.lookup_write(c.db, &argv[i]).is_some() {
                return Ok(Reply::Integer(0));
            }
        }
    }
    let now = e.now_ms();
    for i in (1..argv.len()).step_by(2) {
        let key = take(&mut argv, i);
        let value = take(&mut argv, i + 1);
        e.db_mut(c.db).set(&key, Value::str(value), now);
        e.notify(notify::STRING, "set", &key, c.db);
    }
    e.dirty();
    Ok(if nx { Reply::Integer(1) } else { Reply::ok() })
}

pub fn mset(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    mset_generic(e, c, argv, false)
}

pub fn msetnx(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    mset_generic(e, c, argv, true)
}

pub fn append(e: &mut Engine, c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    let max = e.config.proto_max_bulk_len as u64;
    let len = match write_str(e, c.db, &argv[1])? {
        Some(s) => {
            let total = (s.bytes.len() as u64).checked_add(argv[2].len() as u64);
            if total.is_none_or(|t| t > max) {
                return Err(CmdError::err(
                    "string exceeds maximum allowed size (proto-max-bulk-len)",
                ));
            }
            s.bytes.to_mut().extend_from_slice(&argv[2]);
            s.origin = StrOrigin::Raw;
            s.bytes.len()
        }
        None => {
            let value = take(&mut argv, 2);
            let len = value.len();
            let now = e.now_ms();
            e.db_mut(c.db).insert(&argv[1], Value::str(value), now);
            len
        }
    };
    e.notify(notify::STRING, "append", &argv[1], c.db);
    e.dirty();
    Ok(Reply::Integer(len as i64))
}

pub fn strlen(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(
        read_str(e, c.db, &argv[1])?.map_or(0, |s| s.bytes.len() as i64),
    ))
}

/// GETRANGE and SUBSTR.
pub fn getrange(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut start = int_arg(&argv[2])?;
    let mut end = int_arg(&argv[3])?;
    let Some(s) = read_str(e, c.db, &argv[1])? else {
        return Ok(Reply::bulk(Vec::new()));
    };
    let len = s.bytes.len() as i64;
    if start < 0 && end < 0 && start > end {
        return Ok(Reply::bulk(Vec::new()));
    }
    if start < 0 {
        start = len.saturating_add(start);
    }
    if end < 0 {
        end = len.saturating_add(end);
    }
    start = start.max(0);
    end = end.max(0);
    if end >= len {
        end = len - 1;
    }
    if start > end || len == 0 {
        return Ok(Reply::bulk(Vec::new()));
    }
    Ok(Reply::bulk(&s.bytes[start as usize..=end as usize]))
}

pub fn setrange(e: &mut Engine, c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    let offset = int_arg(&argv[2])?;
    if offset < 0 {
        return Err(CmdError::err("offset is out of range"));
    }
    let offset = offset as u64;
    let value = take(&mut argv, 3);
    let exists = match write_str(e, c.db, &argv[1])? {
        Some(s) => Some(s.bytes.len()),
        None => None,
    };
    match exists {
        None => {
            if value.is_empty() {
                return Ok(Reply::Integer(0));
            }
            check_len(e, offset, value.len() as u64)?;
            let mut bytes = vec![0u8; offset as usize];
            bytes.extend_from_slice(&value);
            let len = bytes.len();
            let now = e.now_ms();
            e.db_mut(c.db).insert(
                &argv[1],
                Value::Str(Str {
                    bytes: Bytes::from(bytes),
                    origin: StrOrigin::Raw,
                }),
                now,
            );
            e.notify(notify::STRING, "setrange", &argv[1], c.db);
            e.dirty();
            Ok(Reply::Integer(len as i64))
        }
        Some(olen) => {
            if value.is_empty() {
                return Ok(Reply::Integer(olen as i64));
            }
            check_len(e, offset, value.len() as u64)?;
            let Some(s) = write_str(e, c.db, &argv[1])? else {
                return Ok(Reply::Integer(0));
            };
            let off = offset as usize;
            let end = off + value.len();
            if s.bytes.len() < end {
                s.bytes.to_mut().resize(end, 0);
            }
            s.bytes[off..end].copy_from_slice(&value);
            s.origin = StrOrigin::Raw;
            let len = s.bytes.len();
            e.notify(notify::STRING, "setrange", &argv[1], c.db);
            e.dirty();
            Ok(Reply::Integer(len as i64))
        }
    }
}

/// The shared body of INCR, DECR, INCRBY and DECRBY. The key keeps its TTL.
fn incr_by(e: &mut Engine, c: &mut Client, key: &[u8], by: i64) -> CmdResult {
    let now = e.now_ms();
    let next = match write_str(e, c.db, key)? {
        Some(s) => {
            let cur = num::parse_i64(&s.bytes).ok_or(CmdError::NotInteger)?;
            let next = cur.checked_add(by).ok_or(CmdError::Overflow)?;
            *s = Str {
                bytes: Bytes::from_i64(next),
                origin: StrOrigin::Stored,
            };
            next
        }
        None => {
            let value = Value::Str(Str {
                bytes: Bytes::from_i64(by),
                origin: StrOrigin::Stored,
            });
            e.db_mut(c.db).insert(key, value, now);
            by
        }
    };
    e.notify(notify::STRING, "incrby", key, c.db);
    e.dirty();
    Ok(Reply::Integer(next))
}

pub fn incr(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    incr_by(e, c, &argv[1], 1)
}

pub fn decr(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    incr_by(e, c, &argv[1], -1)
}

pub fn incrby(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let by = int_arg(&argv[2])?;
    incr_by(e, c, &argv[1], by)
}

pub fn decrby(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let by = int_arg(&argv[2])?;
    if by == i64::MIN {
        return Err(CmdError::err("decrement would overflow"));
    }
    incr_by(e, c, &argv[1], -by)
}

pub fn incrbyfloat(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let now = e.now_ms();
    // Redis adds in 80-bit long double and prints `%.17Lf`: emulate it bit for bit.
    let current = match write_str(e, c.db, &argv[1])? {
        Some(s) => LongDouble::parse(&s.bytes).ok_or(CmdError::NotFloat)?,
        None => LongDouble::ZERO,
    };
    let by = LongDouble::parse(&argv[2]).ok_or(CmdError::NotFloat)?;
    let next = current.add(by);
    if !next.is_finite() {
        return Err(CmdError::IncrFloatNanOrInf);
    }
    let text = next.to_human_string().into_bytes();
    let value = Value::Str(Str {
        bytes: Bytes::from(text.clone()),
        origin: StrOrigin::Built,
    });
    e.db_mut(c.db).insert(&argv[1], value, now);
    e.notify(notify::STRING, "incrbyfloat", &argv[1], c.db);
    e.dirty();
    // Replicas get the result, not the addition (float formatting may differ).
    e.propagate_as(|| args([b"SET", &argv[1], &text, b"KEEPTTL"]));
    Ok(Reply::bulk(text))
}

pub fn lcs(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut fetch = |key: &[u8]| -> Result<Vec<u8>, CmdError> {
        match e.lookup_read(c.db, key) {
            None => Ok(Vec::new()),
            Some(Value::Str(s)) => Ok(s.bytes.to_vec()),
            #[allow(unreachable_patterns)]
            Some(_) => Err(CmdError::err(
                "The specified keys must contain string values",
            )),
        }
    };
    let a = fetch(&argv[1]);
    let b = fetch(&argv[2]);
    let (a, b) = (a?, b?);
    let (mut getidx, mut getlen, mut withmatchlen, mut minmatchlen) = (false, false, false, 0i64);
    let mut j = 3;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        if is(&argv[j], "idx") {
            getidx = true;
        } else if is(&argv[j], "len") {
            getlen = true;
        } else if is(&argv[j], "withmatchlen") {
            withmatchlen = true;
        } else if is(&argv[j], "minmatchlen") && more > 0 {
            minmatchlen = int_arg(&argv[j + 1])?.max(0);
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    if getidx && getlen {
        return Err(CmdError::err(
            "If you want both the length and indexes, please just use IDX.",
        ));
    }
    let (alen, blen) = (a.len(), b.len());
    let cells = (alen as u64 + 1) * (blen as u64 + 1);
    if cells.saturating_mul(4) > e.config.proto_max_bulk_len as u64 {
        return Err(CmdError::err(
            "Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
        ));
    }
    let w = blen + 1;
    let mut dp: Vec<u32> = Vec::new();
    if dp.try_reserve_exact(cells as usize).is_err() {
        return Err(CmdError::err(
            "Insufficient memory, failed allocating transient memory for LCS",
        ));
    }
    dp.resize(cells as usize, 0);
    for i in 1..=alen {
        for j in 1..=blen {
            dp[i * w + j] = if a[i - 1] == b[j - 1] {
                dp[(i - 1) * w + j - 1] + 1
            } else {
                dp[(i - 1) * w + j].max(dp[i * w + j - 1])
            };
        }
    }
    let total = dp[alen * w + blen];
    let computelcs = getidx || !getlen;
    let mut result = vec![0u8; total as usize];
    let mut idx = total as usize;
    let mut matches = Vec::new();
    let (mut a_start, mut a_end, mut b_start, mut b_end) = (alen, 0usize, 0usize, 0usize);
    let (mut i, mut j) = (alen, blen);
    while computelcs && i > 0 && j > 0 {
        let mut emit = false;
        if a[i - 1] == b[j - 1] {
            result[idx - 1] = a[i - 1];
            if a_start == alen {
                a_start = i - 1;
                a_end = i - 1;
                b_start = j - 1;
                b_end = j - 1;
            } else if a_start == i && b_start == j {
                a_start -= 1;
                b_start -= 1;
            } else {
                emit = true;
            }
            if a_start == 0 || b_start == 0 {
                emit = true;
            }
            idx -= 1;
            i -= 1;
            j -= 1;
        } else {
            if dp[(i - 1) * w + j] > dp[i * w + j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
            if a_start != alen {
                emit = true;
            }
        }
        let match_len = a_end.wrapping_sub(a_start).wrapping_add(1);
        if emit {
            if (minmatchlen == 0 || match_len as i64 >= minmatchlen) && getidx {
                let mut m = vec![
                    Reply::Array(vec![
                        Reply::Integer(a_start as i64),
                        Reply::Integer(a_end as i64),
                    ]),
                    Reply::Array(vec![
                        Reply::Integer(b_start as i64),
                        Reply::Integer(b_end as i64),
                    ]),
                ];
                if withmatchlen {
                    m.push(Reply::Integer(match_len as i64));
                }
                matches.push(Reply::Array(m));
            }
            a_start = alen;
        }
    }
    Ok(if getidx {
        Reply::Map(vec![
            (Reply::bulk("matches"), Reply::Array(matches)),
            (Reply::bulk("len"), Reply::Integer(i64::from(total))),
        ])
    } else if getlen {
        Reply::Integer(i64::from(total))
    } else {
        Reply::bulk(result)
    })
}
