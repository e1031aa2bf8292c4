//! Stream commands: XADD/XRANGE/XDEL/XTRIM/XREAD, consumer groups (XGROUP,
//! XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM) and XINFO/XSETID.

use super::{int_arg, is, range_long};
use crate::engine::{printable, Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::notify;
use crate::repl::args;
use crate::reply::Reply;
use crate::types::stream::{Consumer, Fields, Group, NodeLimits, PendingEntry, Stream, StreamId};
use crate::value::Value;

fn invalid_id() -> CmdError {
    CmdError::err("Invalid stream ID specified as stream command argument")
}

/// C's `strtoull` as `string2ull` falls back to it: leading space, a sign, digits.
fn strtoull(s: &[u8]) -> Option<u64> {
    if let Some(v) = crate::num::parse_i64(s) {
        return (v >= 0).then_some(v as u64);
    }
    let s = &s[s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len())..];
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: u64 = 0;
    for &d in digits {
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

/// `streamGenericParseIDOrReply`. Returns the ID and whether the sequence was
/// given (false for `ms-*`, only accepted when `allow_auto_seq`).
fn parse_id_full(
    arg: &[u8],
    missing_seq: u64,
    strict: bool,
    allow_auto_seq: bool,
) -> Result<(StreamId, bool), CmdError> {
    if arg.len() > 127 {
        return Err(invalid_id());
    }
    let arg = &arg[..arg.iter().position(|&b| b == 0).unwrap_or(arg.len())];
    if arg == b"-" || arg == b"+" {
        if strict {
            return Err(invalid_id());
        }
        return Ok((
            if arg == b"-" {
                StreamId::MIN
            } else {
                StreamId::MAX
            },
            true,
        ));
    }
    let (ms_part, seq_part) = match arg.iter().position(|&b| b == b'-') {
        Some(i) => (&arg[..i], Some(&arg[i + 1..])),
        None => (arg, None),
    };
    let ms = strtoull(ms_part).ok_or_else(invalid_id)?;
    match seq_part {
        Some(b"*") if allow_auto_seq => Ok((StreamId::new(ms, 0), false)),
        Some(sq) => Ok((
            StreamId::new(ms, strtoull(sq).ok_or_else(invalid_id)?),
            true,
        )),
        None => Ok((StreamId::new(ms, missing_seq), true)),
    }
}

fn parse_strict(arg: &[u8]) -> Result<StreamId, CmdError> {
    parse_id_full(arg, 0, true, false).map(|(id, _)| id)
}

/// `streamParseIntervalIDOrReply`: `(` makes the bound exclusive.
fn parse_interval(arg: &[u8], missing_seq: u64) -> Result<(StreamId, bool), CmdError> {
    if arg.len() > 1 && arg[0] == b'(' {
        Ok((parse_id_full(&arg[1..], missing_seq, true, false)?.0, true))
    } else {
        Ok((parse_id_full(arg, missing_seq, false, false)?.0, false))
    }
}

fn id_reply(id: StreamId) -> Reply {
    Reply::bulk(id.to_bytes())
}

fn entry_reply(id: StreamId, fields: &Fields) -> Reply {
    let mut f = Vec::with_capacity(fields.len() * 2);
    for (k, v) in fields {
        f.push(Reply::bulk(&k[..]));
        f.push(Reply::bulk(&v[..]));
    }
    Reply::Array(vec![id_reply(id), Reply::Array(f)])
}

/// The stream at `key` looked up for writing (XADD, XTRIM, XDEL, XGROUP, XSETID).
fn read_stream<'a>(
    e: &'a mut Engine,
    db: usize,
    key: &[u8],
) -> Result<Option<&'a mut Stream>, CmdError> {
    match e.lookup_write(db, key) {
        None => Ok(None),
        Some(Value::Stream(s)) => Ok(Some(s)),
        Some(_) => Err(CmdError::WrongType),
    }
}

/// The stream at `key` looked up as Redis's `lookupKeyRead` does (a hit or a
/// miss, and a `keymiss` event), handed out mutable for the consumer group
/// bookkeeping of XREADGROUP, XACK and XCLAIM.
fn lookup_stream<'a>(
    e: &'a mut Engine,
    db: usize,
    key: &[u8],
) -> Result<Option<&'a mut Stream>, CmdError> {
    match e.lookup_read(db, key) {
        None => return Ok(None),
        Some(Value::Stream(_)) => {}
        Some(_) => return Err(CmdError::WrongType),
    }
    Ok(stream_at(e, db, key))
}

/// The stream at `key` without another lookup (the command looked it up already).
fn stream_at<'a>(e: &'a mut Engine, db: usize, key: &[u8]) -> Option<&'a mut Stream> {
    match e.db_mut(db).get_mut(key) {
        Some(Value::Stream(s)) => Some(s),
        _ => None,
    }
}

fn node_limits(e: &Engine) -> NodeLimits {
    let limits = e.limits();
    let bytes = limits.stream_node_bytes;
    NodeLimits {
        entries: limits.stream_node_entries,
        bytes: if bytes == 0 || bytes > 1 << 30 {
            1 << 30
        } else {
            bytes
        },
    }
}

#[derive(Default)]
struct TrimArgs {
    maxlen: Option<usize>,
    minid: Option<StreamId>,
    approx: bool,
    limit: u64,
    /// Where the MAXLEN/MINID value is (`trim_strategy_arg_idx`).
    arg_at: usize,
}

/// `streamParseAddOrTrimArgsOrReply`. For XADD also returns the ID argument
/// position (None when missing) and NOMKSTREAM.
fn parse_add_or_trim(
    e: &Engine,
    argv: &[Vec<u8>],
    xadd: bool,
) -> Result<(TrimArgs, Option<usize>, bool), CmdError> {
    let mut t = TrimArgs::default();
    let mut nomk = false;
    let mut limit_given = false;
    let mut id_at = None;
    let mut i = 2;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        let a = &argv[i];
        if xadd && a.as_slice() == b"*" {
            id_at = Some(i);
            break;
        } else if (is(a, "maxlen") || is(a, "minid")) && more > 0 {
            if t.maxlen.is_some() || t.minid.is_some() {
                return Err(CmdError::err(
                    "syntax error, MAXLEN and MINID options at the same time are not compatible",
                ));
            }
            t.approx = false;
            let next = &argv[i + 1];
            if more >= 2 && next.as_slice() == b"~" {
                t.approx = true;
                i += 1;
            } else if more >= 2 && next.as_slice() == b"=" {
                i += 1;
            }
            t.arg_at = i + 1;
            if is(a, "maxlen") {
                let n = int_arg(&argv[i + 1])?;
                if n < 0 {
                    return Err(CmdError::err("The MAXLEN argument must be >= 0."));
                }
                t.maxlen = Some(usize::try_from(n).unwrap_or(usize::MAX));
            } else {
                t.minid = Some(parse_strict(&argv[i + 1])?);
            }
            i += 1;
        } else if is(a, "limit") && more > 0 {
            let n = int_arg(&argv[i + 1])?;
            if n < 0 {
                return Err(CmdError::err("The LIMIT argument must be >= 0."));
            }
            t.limit = n as u64;
            limit_given = true;
            i += 1;
        } else if xadd && is(a, "nomkstream") {
            nomk = true;
        } else if xadd {
            id_at = Some(i);
            break;
        } else {
            return Err(CmdError::Syntax);
        }
        i += 1;
    }
    let strategy = t.maxlen.is_some() || t.minid.is_some();
    if t.limit > 0 && !strategy {
        return Err(CmdError::err(
            "syntax error, LIMIT cannot be used without specifying a trimming strategy",
        ));
    }
    if !xadd && !strategy {
        return Err(CmdError::err(
            "syntax error, XTRIM must be called with a trimming strategy",
        ));
    }
    if limit_given {
        if !t.approx {
            return Err(CmdError::err(
                "syntax error, LIMIT cannot be used without the special ~ option",
            ));
        }
    } else if t.approx {
        let per_node = node_limits(e).entries as u64;
        t.limit = (100 * per_node).clamp(1, 10_000);
        if per_node == 0 {
            t.limit = 10_000;
        }
    } else {
        t.limit = 0;
    }
    Ok((t, id_at, nomk))
}

/// `streamRewriteTrimArgument`: what an approximate trim left, as the exact
/// MAXLEN (the length) or MINID (the first ID, deleted entries of the first node
/// included) that replicas apply.
fn exact_trim_value(s: &Stream, trim: &TrimArgs) -> Vec<u8> {
    if trim.maxlen.is_some() {
        s.len().to_string().into_bytes()
    } else {
        let first = s.nodes.keys().next().copied().unwrap_or(StreamId::MAX);
        first.to_string().into_bytes()
    }
}

/// `streamRewriteApproxSpecifier` plus the value: `~ N` becomes `= <exact>`.
fn set_exact_trim(argv: &mut [Vec<u8>], trim: &TrimArgs, value: Vec<u8>) {
    if let Some(tilde) = trim.arg_at.checked_sub(1).and_then(|i| argv.get_mut(i)) {
        *tilde = b"=".to_vec();
    }
    if let Some(arg) = argv.get_mut(trim.arg_at) {
        *arg = value;
    }
}

pub fn xadd(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let (trim, id_at, nomk) = parse_add_or_trim(e, &argv, true)?;
    let field_pos = id_at.map_or(argv.len() + 1, |i| i + 1);
    if field_pos > argv.len() || argv.len() - field_pos < 2 || (argv.len() - field_pos) % 2 == 1 {
        return Err(CmdError::WrongArity("xadd".to_string()));
    }
    let id_arg = id_at.map(|i| &argv[i]).filter(|a| a.as_slice() != b"*");
    let given = match id_arg {
        Some(a) => Some(parse_id_full(a, 0, true, true)?),
        None => None,
    };
    if let Some((id, true)) = given {
        if id.is_zero() {
            return Err(CmdError::err(
                "The ID specified in XADD must be greater than 0-0",
            ));
        }
    }
    let now = e.now_ms();
    let limits = node_limits(e);
    if read_stream(e, c.db, &argv[1])?.is_none() {
        if nomk {
            return Ok(Reply::Nil);
        }
        e.db_mut(c.db)
            .insert(&argv[1], Value::Stream(Box::default()), now);
    }
    let Some(s) = read_stream(e, c.db, &argv[1])? else {
        return Ok(Reply::Nil);
    };
    if s.last_id == StreamId::MAX {
        return Err(CmdError::err(
            "The stream has exhausted the last possible ID, unable to add more items",
        ));
    }
    let too_small = || {
        CmdError::err(
            "The ID specified in XADD is equal or smaller than the target stream top item",
        )
    };
    let id = match given {
        Some((id, true)) => id,
        Some((id, false)) => {
            if s.last_id.ms == id.ms {
                if s.last_id.seq == u64::MAX {
                    return Err(too_small());
                }
                StreamId::new(id.ms, s.last_id.seq + 1)
            } else {
                id
            }
        }
        None => {
            if now > s.last_id.ms {
                StreamId::new(now, 0)
            } else {
                s.last_id.incr().ok_or_else(too_small)?
            }
        }
    };
    if id <= s.last_id {
        return Err(too_small());
    }
    let fields: Fields = argv[field_pos..]
        .chunks_exact(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();
    s.append(id, fields, limits);
    let trimmed = if trim.maxlen.is_some() || trim.minid.is_some() {
        s.trim(trim.maxlen, trim.minid, trim.approx, trim.limit)
    } else {
        0
    };
    let exact_trim = trim.approx.then(|| exact_trim_value(s, &trim));
    e.signal_key(c.db, &argv[1]);
    // Replicas get the ID actually used and an exact trim.
    let id_given = matches!(given, Some((_, true)));
    e.propagate_edit(|argv| {
        if let Some(value) = exact_trim {
            set_exact_trim(argv, &trim, value);
        }
        if let (false, Some(i)) = (id_given, id_at) {
            argv[i] = id.to_bytes();
        }
    });
    e.notify(notify::STREAM, "xadd", &argv[1], c.db);
    if trimmed > 0 {
        e.notify(notify::STREAM, "xtrim", &argv[1], c.db);
    }
    Ok(id_reply(id))
}

pub fn xtrim(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let (trim, _, _) = parse_add_or_trim(e, &argv, false)?;
    let Some(s) = read_stream(e, c.db, &argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    let n = s.trim(trim.maxlen, trim.minid, trim.approx, trim.limit);
    if n > 0 {
        let exact_trim = trim.approx.then(|| exact_trim_value(s, &trim));
        e.signal_key(c.db, &argv[1]);
        e.propagate_edit(|argv| {
            if let Some(value) = exact_trim {
                set_exact_trim(argv, &trim, value);
            }
        });
        e.notify(notify::STREAM, "xtrim", &argv[1], c.db);
    }
    Ok(Reply::Integer(n as i64))
}

pub fn xlen(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(
        lookup_stream(e, c.db, &argv[1])?.map_or(0, |s| s.len() as i64),
    ))
}

pub fn xdel(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let ids = argv[2..]
        .iter()
        .map(|a| parse_strict(a))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(s) = read_stream(e, c.db, &argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    let n = ids.into_iter().filter(|id| s.delete(*id)).count();
    if n > 0 {
        e.signal_key(c.db, &argv[1]);
        e.notify(notify::STREAM, "xdel", &argv[1], c.db);
    }
    Ok(Reply::Integer(n as i64))
}

fn range_generic(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>, rev: bool) -> CmdResult {
    let (start_arg, end_arg) = if rev {
        (&argv[3], &argv[2])
    } else {
        (&argv[2], &argv[3])
    };
    let (mut start, sx) = parse_interval(start_arg, 0)?;
    if sx {
        start = start
            .incr()
            .ok_or_else(|| CmdError::err("invalid start ID for the interval"))?;
    }
    let (mut end, ex) = parse_interval(end_arg, u64::MAX)?;
    if ex {
        end = end
            .decr()
            .ok_or_else(|| CmdError::err("invalid end ID for the interval"))?;
    }
    let mut count: Option<u64> = None;
    let mut j = 4;
    while j < argv.len() {
        if is(&argv[j], "count") && j + 1 < argv.len() {
            count = Some(int_arg(&argv[j + 1])?.max(0) as u64);
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let Some(s) = lookup_stream(e, c.db, &argv[1])? else {
        return Ok(Reply::Array(vec![]));
    };
    if count == Some(0) {
        return Ok(Reply::NilArray);
    }
    if start > end {
        return Ok(Reply::Array(vec![]));
    }
    let limit = count.map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let range = s.entries.range(start..=end);
    let out: Vec<Reply> = if rev {
        range
            .rev()
            .take(limit)
            .map(|(id, f)| entry_reply(*id, f))
            .collect()
    } else {
        range
            .take(limit)
            .map(|(id, f)| entry_reply(*id, f))
            .collect()
    };
    Ok(Reply::Array(out))
}

pub fn xrange(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    range_generic(e, c, argv, false)
}

pub fn xrevrange(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    range_generic(e, c, argv, true)
}

mod group;
mod info;
mod read;

pub use group::*;
pub use info::*;
pub use read::*;
use read::{setid_effect, xclaim_effect};

// ---- XSETID ----------------------------------------------------------------------------

pub fn xsetid(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let id = parse_strict(&argv[2])?;
    let mut entries_added: Option<u64> = None;
    let mut max_xdel = StreamId::MIN;
    let mut i = 3;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        if is(&argv[i], "entriesadded") && more > 0 {
            let n = int_arg(&argv[i + 1])?;
            if n < 0 {
                return Err(CmdError::err("entries_added must be positive"));
            }
            entries_added = Some(n as u64);
            i += 2;
        } else if is(&argv[i], "maxdeletedid") && more > 0 {
            max_xdel = parse_strict(&argv[i + 1])?;
            if id < max_xdel {
                return Err(CmdError::err(
                    "The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
                ));
            }
            i += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let Some(s) = read_stream(e, c.db, &argv[1])? else {
        return Err(CmdError::NoSuchKey);
    };
    if !s.is_empty() {
        if id < s.last_valid_id() {
            return Err(CmdError::err(
                "The ID specified in XSETID is smaller than the target stream top item",
            ));
        }
        if entries_added.is_some_and(|n| (s.len() as u64) > n) {
            return Err(CmdError::err(
                "The entries_added specified in XSETID is smaller than the target stream length",
            ));
        }
    }
    if id < s.max_deleted {
        return Err(CmdError::err(
            "The ID specified in XSETID is smaller than current max_deleted_entry_id",
        ));
    }
    s.last_id = id;
    if let Some(n) = entries_added {
        s.entries_added = n;
    }
    if !max_xdel.is_zero() {
        s.max_deleted = max_xdel;
    }
    e.signal_key(c.db, &argv[1]);
    e.notify(notify::STREAM, "xsetid", &argv[1], c.db);
    Ok(Reply::ok())
}
