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
    Reply::Bulk(id.to_string().into_bytes())
}

fn entry_reply(id: StreamId, fields: &Fields) -> Reply {
    let mut f = Vec::with_capacity(fields.len() * 2);
    for (k, v) in fields {
        f.push(Reply::Bulk(k.clone()));
        f.push(Reply::Bulk(v.clone()));
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
    let get = |k: &str, d: usize| {
        e.config
            .extra
            .get(k)
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(d)
    };
    let bytes = get("stream-node-max-bytes", 4096);
    NodeLimits {
        entries: get("stream-node-max-entries", 100),
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
            .insert(argv[1].clone(), Value::Stream(Box::default()), now);
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
            argv[i] = id.to_string().into_bytes();
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

// ---- XREAD / XREADGROUP -----------------------------------------------------------

fn nogroup_read(key: &[u8], group: &[u8]) -> CmdError {
    CmdError::Custom(format!(
        "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option",
        printable(key, usize::MAX),
        printable(group, usize::MAX)
    ))
}

/// XREAD and XREADGROUP (`group` = Some((group, consumer))).
fn read_generic(
    e: &mut Engine,
    c: &mut Client,
    mut argv: Vec<Vec<u8>>,
    xreadgroup: bool,
) -> CmdResult {
    let name = if xreadgroup { "xreadgroup" } else { "xread" };
    let mut block: Option<Option<u64>> = None;
    let mut count: u64 = 0;
    let mut streams_at = 0;
    let mut group: Option<(Vec<u8>, Vec<u8>)> = None;
    let mut noack = false;
    let mut i = 1;
    while i < argv.len() {
        let more = argv.len() - i - 1;
        let a = &argv[i];
        if is(a, "block") && more > 0 {
            i += 1;
            let ms = int_arg(&argv[i])
                .map_err(|_| CmdError::err("timeout is not an integer or out of range"))?;
            if ms < 0 {
                return Err(CmdError::err("timeout is negative"));
            }
            block = Some(if ms == 0 {
                None
            } else {
                Some(e.now_ms().saturating_add(ms as u64))
            });
        } else if is(a, "count") && more > 0 {
            i += 1;
            count = int_arg(&argv[i])?.max(0) as u64;
        } else if is(a, "streams") && more > 0 {
            streams_at = i + 1;
            if !(argv.len() - streams_at).is_multiple_of(2) {
                let symbol = if xreadgroup { '>' } else { '$' };
                return Err(CmdError::err(format!(
                    "Unbalanced '{name}' list of streams: for each stream key an ID or '{symbol}' must be specified."
                )));
            }
            break;
        } else if is(a, "group") && more >= 2 {
            if !xreadgroup {
                return Err(CmdError::err(
                    "The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            group = Some((argv[i + 1].clone(), argv[i + 2].clone()));
            i += 2;
        } else if is(a, "noack") {
            if !xreadgroup {
                return Err(CmdError::err(
                    "The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            noack = true;
        } else {
            return Err(CmdError::Syntax);
        }
        i += 1;
    }
    if streams_at == 0 {
        return Err(CmdError::Syntax);
    }
    if xreadgroup && group.is_none() {
        return Err(CmdError::err("Missing GROUP option for XREADGROUP"));
    }
    let n = (argv.len() - streams_at) / 2;
    // IDs: None for ">", Some(id) otherwise ("$" resolved to the last ID).
    let mut ids: Vec<Option<StreamId>> = Vec::with_capacity(n);
    for k in 0..n {
        let key = argv[streams_at + k].clone();
        let id_arg = argv[streams_at + n + k].clone();
        let last = match lookup_stream(e, c.db, &key)? {
            Some(s) => {
                if let Some((g, _)) = &group {
                    if !s.groups.contains_key(g) {
                        return Err(nogroup_read(&key, g));
                    }
                }
                Some(s.last_id)
            }
            None => {
                if let Some((g, _)) = &group {
                    return Err(nogroup_read(&key, g));
                }
                None
            }
        };
        if id_arg.as_slice() == b"$" {
            if xreadgroup {
                return Err(CmdError::err("The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."));
            }
            let id = last.unwrap_or_default();
            // A blocked XREAD must wait for entries after the ID "$" meant now.
            argv[streams_at + n + k] = id.to_string().into_bytes();
            ids.push(Some(id));
        } else if id_arg.as_slice() == b">" {
            if !xreadgroup {
                return Err(CmdError::err("The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."));
            }
            ids.push(None);
        } else {
            ids.push(Some(parse_strict(&id_arg)?));
        }
    }
    let now = e.now_ms();
    let limit = if count == 0 {
        usize::MAX
    } else {
        usize::try_from(count).unwrap_or(usize::MAX)
    };
    // XREADGROUP is replicated through what it changed (XCLAIM, XGROUP ...).
    if xreadgroup {
        e.prevent_propagation();
    }
    let replicating = e.replicating();
    let mut out = Vec::new();
    for k in 0..n {
        let key = argv[streams_at + k].clone();
        let Some(s) = lookup_stream(e, c.db, &key)? else {
            continue;
        };
        let mut created_consumer = false;
        match &group {
            None => {
                let gt = ids[k].unwrap_or_default();
                if s.is_empty() || s.last_valid_id() <= gt {
                    continue;
                }
                let Some(start) = gt.incr() else { continue };
                let items: Vec<Reply> = s
                    .entries
                    .range(start..)
                    .take(limit)
                    .map(|(id, f)| entry_reply(*id, f))
                    .collect();
                out.push((Reply::Bulk(key), Reply::Array(items)));
            }
            Some((gname, cname)) => {
                let history = ids[k];
                let Some(g) = s.groups.get(gname) else {
                    continue;
                };
                if history.is_none() && (s.is_empty() || s.last_valid_id() <= g.last_id) {
                    continue;
                }
                // What replicas must apply (see streamPropagateXCLAIM and friends).
                let mut effects: Vec<Vec<Vec<u8>>> = Vec::new();
                let g = s.groups.get_mut(gname).map(|g| {
                    created_consumer = !g.consumers.contains_key(cname);
                    let created = created_consumer;
                    g.consumers.entry(cname.clone()).or_default().seen_ms = now;
                    if created && noack && replicating {
                        effects.push(args([b"XGROUP", b"CREATECONSUMER", &key, gname, cname]));
                    }
                    g.last_id
                });
                let Some(group_last) = g else { continue };
                let items = match history {
                    Some(from) => {
                        // The consumer's own pending entries after `from`.
                        let Some(g) = s.groups.get_mut(gname) else {
                            continue;
                        };
                        let pel: Vec<StreamId> = g
                            .consumers
                            .get(cname)
                            .map(|cons| {
                                cons.pel
                                    .range(from.incr().unwrap_or(StreamId::MAX)..)
                                    .take(limit)
                                    .copied()
                                    .collect()
                            })
                            .unwrap_or_default();
                        let mut items = Vec::new();
                        for id in pel {
                            if let Some(p) = g.pel.get_mut(&id) {
                                p.delivery_ms = now;
                                p.delivery_count += 1;
                            }
                            items.push(match s.entries.get(&id) {
                                Some(f) => entry_reply(id, f),
                                None => Reply::Array(vec![id_reply(id), Reply::NilArray]),
                            });
                        }
                        items
                    }
                    None => {
                        let Some(start) = group_last.incr() else {
                            continue;
                        };
                        let picked: Vec<(StreamId, Fields)> = s
                            .entries
                            .range(start..)
                            .take(limit)
                            .map(|(id, f)| (*id, f.clone()))
                            .collect();
                        let mut items = Vec::with_capacity(picked.len());
                        for (id, f) in picked {
                            s.advance_group(gname, id);
                            if !noack {
                                if let Some(g) = s.groups.get_mut(gname) {
                                    if let Some(old) = g.pel.get(&id).map(|p| p.consumer.clone()) {
                                        if let Some(oc) = g.consumers.get_mut(&old) {
                                            oc.pel.remove(&id);
                                        }
                                    }
                                    let nack = PendingEntry {
                                        consumer: cname.clone(),
                                        delivery_ms: now,
                                        delivery_count: 1,
                                    };
                                    if replicating {
                                        let id_arg = id.to_string().into_bytes();
                                        effects.push(xclaim_effect(
                                            &key, gname, &id_arg, &nack, g.last_id,
                                        ));
                                    }
                                    g.pel.insert(id, nack);
                                    g.consumers.entry(cname.clone()).or_default().pel.insert(id);
                                }
                            }
                            items.push(entry_reply(id, &f));
                        }
                        if noack && replicating && !items.is_empty() {
                            if let Some(g) = s.groups.get(gname) {
                                effects.push(setid_effect(&key, gname, g));
                            }
                        }
                        items
                    }
                };
                out.push((Reply::Bulk(key.clone()), Reply::Array(items)));
                e.dirty();
                for effect in effects {
                    e.also_propagate(c.db, || effect);
                }
                if created_consumer {
                    e.notify(notify::STREAM, "xgroup-createconsumer", &key, c.db);
                }
            }
        }
    }
    if !out.is_empty() {
        return Ok(Reply::Grouped(out));
    }
    match block {
        Some(deadline_ms) => Err(CmdError::WouldBlock {
            keys: argv[streams_at..streams_at + n].to_vec(),
            deadline_ms,
            nil_reply: Reply::NilArray,
            rewritten: Some(argv),
        }),
        None => Ok(Reply::NilArray),
    }
}

/// `streamPropagateXCLAIM`: an idempotent XCLAIM that gives a replica the same
/// pending entry (owner, delivery time and count) and the group's last ID.
fn xclaim_effect(
    key: &[u8],
    group: &[u8],
    id: &[u8],
    nack: &PendingEntry,
    last_id: StreamId,
) -> Vec<Vec<u8>> {
    args([
        b"XCLAIM",
        key,
        group,
        &nack.consumer,
        b"0",
        id,
        b"TIME",
        nack.delivery_ms.to_string().as_bytes(),
        b"RETRYCOUNT",
        nack.delivery_count.to_string().as_bytes(),
        b"FORCE",
        b"JUSTID",
        b"LASTID",
        last_id.to_string().as_bytes(),
    ])
}

/// `streamPropagateGroupID`: XGROUP SETID key group last-id ENTRIESREAD n.
fn setid_effect(key: &[u8], group: &[u8], g: &Group) -> Vec<Vec<u8>> {
    let read = g
        .entries_read
        .map_or_else(|| "-1".to_string(), |n| n.to_string());
    args([
        b"XGROUP",
        b"SETID",
        key,
        group,
        g.last_id.to_string().as_bytes(),
        b"ENTRIESREAD",
        read.as_bytes(),
    ])
}

pub fn xread(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    read_generic(e, c, argv, false)
}

pub fn xreadgroup(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    read_generic(e, c, argv, true)
}

// ---- XGROUP ------------------------------------------------------------------------

fn nogroup(key: &[u8], group: &[u8]) -> CmdError {
    CmdError::Custom(format!(
        "NOGROUP No such key '{}' or consumer group '{}'",
        printable(key, usize::MAX),
        printable(group, usize::MAX)
    ))
}

/// Looks up the stream and group for XGROUP subcommands with Redis's errors.
fn xgroup_target<'a>(
    e: &'a mut Engine,
    c: &Client,
    argv: &[Vec<u8>],
    mkstream: bool,
    needs_group: bool,
) -> Result<Option<&'a mut Stream>, CmdError> {
    let exists = read_stream(e, c.db, &argv[2])?.is_some();
    if !exists && !mkstream {
        return Err(CmdError::err("The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."));
    }
    let s = read_stream(e, c.db, &argv[2])?;
    if needs_group && s.as_ref().is_none_or(|s| !s.groups.contains_key(&argv[3])) {
        return Err(CmdError::Custom(format!(
            "NOGROUP No such consumer group '{}' for key name '{}'",
            printable(&argv[3], usize::MAX),
            printable(&argv[2], usize::MAX)
        )));
    }
    Ok(s)
}

fn parse_entries_read(
    argv: &[Vec<u8>],
    from: usize,
    allow_mkstream: bool,
) -> Result<(bool, Option<Option<u64>>), CmdError> {
    let mut mkstream = false;
    let mut entries_read = None;
    let mut i = from;
    while i < argv.len() {
        if allow_mkstream && is(&argv[i], "mkstream") {
            mkstream = true;
            i += 1;
        } else if is(&argv[i], "entriesread") && i + 1 < argv.len() {
            let n = int_arg(&argv[i + 1])?;
            if n < 0 && n != -1 {
                return Err(CmdError::err(
                    "value for ENTRIESREAD must be positive or -1",
                ));
            }
            entries_read = Some((n >= 0).then_some(n as u64));
            i += 2;
        } else {
            return Err(CmdError::Custom(format!(
                "ERR unknown subcommand or wrong number of arguments for '{}'. Try XGROUP HELP.",
                printable(&argv[1], 128)
            )));
        }
    }
    Ok((mkstream, entries_read))
}

pub fn xgroup_create(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let (mkstream, entries_read) = parse_entries_read(&argv, 5, true)?;
    let now = e.now_ms();
    let exists = xgroup_target(e, c, &argv, mkstream, false)?.map(|s| s.last_id);
    let id = if argv[4].as_slice() == b"$" {
        exists.unwrap_or_default()
    } else {
        parse_strict(&argv[4])?
    };
    if exists.is_none() {
        e.db_mut(c.db)
            .insert(argv[2].clone(), Value::Stream(Box::default()), now);
    }
    let Some(s) = read_stream(e, c.db, &argv[2])? else {
        return Ok(Reply::ok());
    };
    if s.groups.contains_key(&argv[3]) {
        return Err(CmdError::Custom(
            "BUSYGROUP Consumer Group name already exists".to_string(),
        ));
    }
    s.groups.insert(
        argv[3].clone(),
        Group {
            last_id: id,
            entries_read: entries_read.flatten(),
            ..Group::default()
        },
    );
    e.signal_key(c.db, &argv[2]);
    e.notify(notify::STREAM, "xgroup-create", &argv[2], c.db);
    Ok(Reply::ok())
}

pub fn xgroup_setid(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let (_, entries_read) = parse_entries_read(&argv, 5, false)?;
    let Some(s) = xgroup_target(e, c, &argv, false, true)? else {
        return Ok(Reply::ok());
    };
    // SETID takes "-" and "+" too (a non-strict ID), unlike CREATE.
    let id = if argv[4].as_slice() == b"$" {
        s.last_id
    } else {
        parse_id_full(&argv[4], 0, false, false)?.0
    };
    if let Some(g) = s.groups.get_mut(&argv[3]) {
        g.last_id = id;
        g.entries_read = entries_read.flatten();
    }
    e.signal_key(c.db, &argv[2]);
    e.notify(notify::STREAM, "xgroup-setid", &argv[2], c.db);
    Ok(Reply::ok())
}

pub fn xgroup_destroy(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let Some(s) = xgroup_target(e, c, &argv, false, false)? else {
        return Ok(Reply::Integer(0));
    };
    let removed = s.groups.remove(&argv[3]).is_some();
    if removed {
        e.signal_key(c.db, &argv[2]);
        e.notify(notify::STREAM, "xgroup-destroy", &argv[2], c.db);
    }
    Ok(Reply::Integer(i64::from(removed)))
}

pub fn xgroup_createconsumer(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let now = e.now_ms();
    let Some(s) = xgroup_target(e, c, &argv, false, true)? else {
        return Ok(Reply::Integer(0));
    };
    let Some(g) = s.groups.get_mut(&argv[3]) else {
        return Ok(Reply::Integer(0));
    };
    if g.consumers.contains_key(&argv[4]) {
        return Ok(Reply::Integer(0));
    }
    g.consumers.insert(
        argv[4].clone(),
        Consumer {
            seen_ms: now,
            ..Consumer::default()
        },
    );
    e.signal_key(c.db, &argv[2]);
    e.notify(notify::STREAM, "xgroup-createconsumer", &argv[2], c.db);
    Ok(Reply::Integer(1))
}

pub fn xgroup_delconsumer(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let Some(s) = xgroup_target(e, c, &argv, false, true)? else {
        return Ok(Reply::Integer(0));
    };
    let Some(g) = s.groups.get_mut(&argv[3]) else {
        return Ok(Reply::Integer(0));
    };
    let Some(cons) = g.consumers.remove(&argv[4]) else {
        return Ok(Reply::Integer(0));
    };
    for id in &cons.pel {
        g.pel.remove(id);
    }
    e.signal_key(c.db, &argv[2]);
    e.notify(notify::STREAM, "xgroup-delconsumer", &argv[2], c.db);
    Ok(Reply::Integer(cons.pel.len() as i64))
}

pub fn xgroup_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(super::server::help_reply(
        "XGROUP",
        &[
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group (MKSTREAM creates the stream, ENTRIESREAD sets the read counter).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.",
        ],
    ))
}

// ---- acknowledgements and claims ---------------------------------------------------------

pub fn xack(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    // Like Redis: no stream or no group answers 0 before the IDs are parsed.
    let has_group =
        lookup_stream(e, c.db, &argv[1])?.is_some_and(|s| s.groups.contains_key(&argv[2]));
    if !has_group {
        return Ok(Reply::Integer(0));
    }
    let ids = argv[3..]
        .iter()
        .map(|a| parse_strict(a))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(s) = stream_at(e, c.db, &argv[1]) else {
        return Ok(Reply::Integer(0));
    };
    let Some(g) = s.groups.get_mut(&argv[2]) else {
        return Ok(Reply::Integer(0));
    };
    let mut n = 0;
    for id in ids {
        if let Some(p) = g.pel.remove(&id) {
            if let Some(cons) = g.consumers.get_mut(&p.consumer) {
                cons.pel.remove(&id);
            }
            n += 1;
        }
    }
    if n > 0 {
        e.signal_key(c.db, &argv[1]);
    }
    Ok(Reply::Integer(n))
}

pub fn xpending(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let argc = argv.len();
    if argc != 3 && !(6..=9).contains(&argc) {
        return Err(CmdError::Syntax);
    }
    let mut range = None;
    if argc >= 6 {
        let mut at = 3;
        let mut minidle = 0i64;
        if is(&argv[3], "idle") {
            minidle = int_arg(&argv[4])?;
            if argc < 8 {
                return Err(CmdError::Syntax);
            }
            at += 2;
        }
        let count = int_arg(&argv[at + 2])?.max(0) as u64;
        let (mut start, sx) = parse_interval(&argv[at], 0)?;
        if sx {
            start = start
                .incr()
                .ok_or_else(|| CmdError::err("invalid start ID for the interval"))?;
        }
        let (mut end, ex) = parse_interval(&argv[at + 1], u64::MAX)?;
        if ex {
            end = end
                .decr()
                .ok_or_else(|| CmdError::err("invalid end ID for the interval"))?;
        }
        let consumer = argv.get(at + 3).cloned();
        range = Some((minidle, start, end, count, consumer));
    }
    let now = e.now_ms();
    let Some(s) = lookup_stream(e, c.db, &argv[1])? else {
        return Err(nogroup(&argv[1], &argv[2]));
    };
    let Some(g) = s.groups.get(&argv[2]) else {
        return Err(nogroup(&argv[1], &argv[2]));
    };
    let Some((minidle, start, end, count, consumer)) = range else {
        if g.pel.is_empty() {
            return Ok(Reply::Array(vec![
                Reply::Integer(0),
                Reply::Nil,
                Reply::Nil,
                Reply::NilArray,
            ]));
        }
        let first = g.pel.keys().next().copied().unwrap_or_default();
        let last = g.pel.keys().next_back().copied().unwrap_or_default();
        let per: Vec<Reply> = g
            .consumers
            .iter()
            .filter(|(_, cons)| !cons.pel.is_empty())
            .map(|(name, cons)| {
                Reply::Array(vec![
                    Reply::Bulk(name.clone()),
                    Reply::Bulk(cons.pel.len().to_string().into_bytes()),
                ])
            })
            .collect();
        return Ok(Reply::Array(vec![
            Reply::Integer(g.pel.len() as i64),
            id_reply(first),
            id_reply(last),
            Reply::Array(per),
        ]));
    };
    let ids: Vec<StreamId> = match &consumer {
        Some(name) => match g.consumers.get(name) {
            Some(cons) => cons.pel.iter().copied().collect(),
            None => return Ok(Reply::Array(vec![])),
        },
        None => g.pel.keys().copied().collect(),
    };
    let mut out = Vec::new();
    let mut left = count;
    for id in ids.into_iter().filter(|id| *id >= start) {
        if left == 0 || id > end {
            break;
        }
        let Some(p) = g.pel.get(&id) else { continue };
        let idle = now as i64 - p.delivery_ms as i64;
        if minidle != 0 && idle < minidle {
            continue;
        }
        left -= 1;
        out.push(Reply::Array(vec![
            id_reply(id),
            Reply::Bulk(p.consumer.clone()),
            Reply::Integer(idle.max(0)),
            Reply::Integer(p.delivery_count as i64),
        ]));
    }
    Ok(Reply::Array(out))
}

/// Hands pending entry `id` to `consumer`, as XCLAIM/XAUTOCLAIM do.
fn transfer(
    g: &mut Group,
    id: StreamId,
    consumer: &[u8],
    delivery_ms: u64,
    count: Option<u64>,
    bump: bool,
) {
    let Some(p) = g.pel.get_mut(&id) else { return };
    let old = std::mem::replace(&mut p.consumer, consumer.to_vec());
    p.delivery_ms = delivery_ms;
    match count {
        Some(n) => p.delivery_count = n,
        None if bump => p.delivery_count += 1,
        None => {}
    }
    if old != consumer {
        if let Some(oc) = g.consumers.get_mut(&old) {
            oc.pel.remove(&id);
        }
    }
    g.consumers
        .entry(consumer.to_vec())
        .or_default()
        .pel
        .insert(id);
}

pub fn xclaim(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let now = e.now_ms();
    match lookup_stream(e, c.db, &argv[1])? {
        Some(s) if s.groups.contains_key(&argv[2]) => {}
        _ => return Err(nogroup(&argv[1], &argv[2])),
    }
    let minidle = int_arg(&argv[4])
        .map_err(|_| CmdError::err("Invalid min-idle-time argument for XCLAIM"))?
        .max(0);
    let mut j = 5;
    let mut ids = Vec::new();
    while j < argv.len() {
        match parse_strict(&argv[j]) {
            Ok(id) => ids.push(id),
            Err(_) => break,
        }
        j += 1;
    }
    let (mut force, mut justid) = (false, false);
    let mut delivery: Option<i64> = None;
    let mut retry: Option<i64> = None;
    let mut last_id = StreamId::MIN;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        let a = &argv[j];
        if is(a, "force") {
            force = true;
        } else if is(a, "justid") {
            justid = true;
        } else if is(a, "idle") && more > 0 {
            j += 1;
            let v = int_arg(&argv[j])
                .map_err(|_| CmdError::err("Invalid IDLE option argument for XCLAIM"))?;
            delivery = Some(now as i64 - v);
        } else if is(a, "time") && more > 0 {
            j += 1;
            delivery = Some(
                int_arg(&argv[j])
                    .map_err(|_| CmdError::err("Invalid TIME option argument for XCLAIM"))?,
            );
        } else if is(a, "retrycount") && more > 0 {
            j += 1;
            retry = Some(
                int_arg(&argv[j])
                    .map_err(|_| CmdError::err("Invalid RETRYCOUNT option argument for XCLAIM"))?,
            );
        } else if is(a, "lastid") && more > 0 {
            j += 1;
            last_id = parse_strict(&argv[j])?;
        } else {
            return Err(CmdError::Custom(format!(
                "ERR Unrecognized XCLAIM option '{}'",
                printable(a, usize::MAX)
            )));
        }
        j += 1;
    }
    let delivery_ms = match delivery {
        Some(d) if d >= 0 && d <= now as i64 => d as u64,
        _ => now,
    };
    // XCLAIM is replicated as one idempotent XCLAIM per entry it changed, or as
    // XGROUP SETID when it only moved the group's last ID.
    e.prevent_propagation();
    let replicating = e.replicating();
    let Some(s) = stream_at(e, c.db, &argv[1]) else {
        return Err(nogroup(&argv[1], &argv[2]));
    };
    let consumer = argv[3].clone();
    let mut out = Vec::new();
    let mut changed = false;
    let mut effects: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut propagate_last_id = false;
    if let Some(g) = s.groups.get_mut(&argv[2]) {
        if last_id > g.last_id {
            g.last_id = last_id;
            propagate_last_id = true;
        }
    }
    let mut created_consumer = false;
    for (k, id) in ids.into_iter().enumerate() {
        let id_arg = &argv[5 + k];
        let exists = s.entries.contains_key(&id);
        let Some(g) = s.groups.get_mut(&argv[2]) else {
            break;
        };
        if !exists {
            if let Some(p) = g.pel.remove(&id) {
                if replicating {
                    effects.push(xclaim_effect(&argv[1], &argv[2], id_arg, &p, g.last_id));
                }
                propagate_last_id = false;
                if let Some(oc) = g.consumers.get_mut(&p.consumer) {
                    oc.pel.remove(&id);
                }
                changed = true;
            }
            continue;
        }
        let fresh = !g.pel.contains_key(&id);
        if fresh {
            if !force {
                continue;
            }
            // streamCreateNACK starts the delivery count at 1.
            g.pel.insert(
                id,
                PendingEntry {
                    consumer: Vec::new(),
                    delivery_ms,
                    delivery_count: 1,
                },
            );
        } else if minidle > 0 {
            let idle = now as i64 - g.pel.get(&id).map_or(0, |p| p.delivery_ms as i64);
            if idle < minidle {
                continue;
            }
        }
        created_consumer |= !g.consumers.contains_key(&consumer);
        g.consumers.entry(consumer.clone()).or_default().seen_ms = now;
        transfer(
            g,
            id,
            &consumer,
            delivery_ms,
            retry.filter(|r| *r >= 0).map(|r| r as u64),
            !justid,
        );
        if let (true, Some(p)) = (replicating, g.pel.get(&id)) {
            effects.push(xclaim_effect(&argv[1], &argv[2], id_arg, p, g.last_id));
        }
        propagate_last_id = false;
        changed = true;
        out.push(if justid {
            id_reply(id)
        } else {
            s.entries
                .get(&id)
                .map_or(Reply::Nil, |f| entry_reply(id, f))
        });
    }
    if propagate_last_id {
        if let (true, Some(g)) = (replicating, s.groups.get(&argv[2])) {
            effects.push(setid_effect(&argv[1], &argv[2], g));
        }
        changed = true;
    }
    if changed {
        e.signal_key(c.db, &argv[1]);
    }
    for effect in effects {
        e.also_propagate(c.db, || effect);
    }
    if created_consumer {
        e.notify(notify::STREAM, "xgroup-createconsumer", &argv[1], c.db);
    }
    Ok(Reply::Array(out))
}

pub fn xautoclaim(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let now = e.now_ms();
    // Redis looks the key up first; a wrong type is only reported after parsing.
    let found = match e.lookup_read(c.db, &argv[1]) {
        None => None,
        Some(Value::Stream(_)) => Some(true),
        Some(_) => Some(false),
    };
    let minidle = int_arg(&argv[4])
        .map_err(|_| CmdError::err("Invalid min-idle-time argument for XAUTOCLAIM"))?
        .max(0);
    let (mut start, sx) = parse_interval(&argv[5], 0)?;
    if sx {
        start = start
            .incr()
            .ok_or_else(|| CmdError::err("invalid start ID for the interval"))?;
    }
    let mut count: i64 = 100;
    let mut justid = false;
    let mut j = 6;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        if is(&argv[j], "count") && more > 0 {
            count = range_long(&argv[j + 1], 1, i64::MAX / 16, Some("COUNT must be > 0"))?;
            j += 1;
        } else if is(&argv[j], "justid") {
            justid = true;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    match found {
        Some(false) => return Err(CmdError::WrongType),
        None => return Err(nogroup(&argv[1], &argv[2])),
        Some(true) => {}
    }
    // Replicated as one idempotent XCLAIM per entry it changed.
    e.prevent_propagation();
    let replicating = e.replicating();
    let Some(s) = stream_at(e, c.db, &argv[1]) else {
        return Err(nogroup(&argv[1], &argv[2]));
    };
    if !s.groups.contains_key(&argv[2]) {
        return Err(nogroup(&argv[1], &argv[2]));
    }
    let consumer = argv[3].clone();
    let mut effects: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut created_consumer = false;
    let mut attempts = count.saturating_mul(10);
    let mut out = Vec::new();
    let mut deleted = Vec::new();
    let candidates: Vec<StreamId> = s
        .groups
        .get(&argv[2])
        .map(|g| g.pel.range(start..).map(|(k, _)| *k).collect())
        .unwrap_or_default();
    let mut next = StreamId::MIN;
    let mut idx = 0;
    while attempts > 0 && count > 0 && idx < candidates.len() {
        attempts -= 1;
        let id = candidates[idx];
        idx += 1;
        let exists = s.entries.contains_key(&id);
        let Some(g) = s.groups.get_mut(&argv[2]) else {
            break;
        };
        if !exists {
            if let Some(p) = g.pel.remove(&id) {
                if replicating {
                    let id_arg = id.to_string().into_bytes();
                    effects.push(xclaim_effect(&argv[1], &argv[2], &id_arg, &p, g.last_id));
                }
                if let Some(oc) = g.consumers.get_mut(&p.consumer) {
                    oc.pel.remove(&id);
                }
            }
            deleted.push(id_reply(id));
            count -= 1;
            continue;
        }
        let idle = now as i64 - g.pel.get(&id).map_or(0, |p| p.delivery_ms as i64);
        if minidle > 0 && idle < minidle {
            continue;
        }
        created_consumer |= !g.consumers.contains_key(&consumer);
        g.consumers.entry(consumer.clone()).or_default().seen_ms = now;
        transfer(g, id, &consumer, now, None, !justid);
        if let (true, Some(p)) = (replicating, g.pel.get(&id)) {
            let id_arg = id.to_string().into_bytes();
            effects.push(xclaim_effect(&argv[1], &argv[2], &id_arg, p, g.last_id));
        }
        out.push(if justid {
            id_reply(id)
        } else {
            s.entries
                .get(&id)
                .map_or(Reply::Nil, |f| entry_reply(id, f))
        });
        count -= 1;
    }
    if let Some(id) = candidates.get(idx) {
        next = *id;
    }
    e.signal_key(c.db, &argv[1]);
    for effect in effects {
        e.also_propagate(c.db, || effect);
    }
    if created_consumer {
        e.notify(notify::STREAM, "xgroup-createconsumer", &argv[1], c.db);
    }
    Ok(Reply::Array(vec![
        id_reply(next),
        Reply::Array(out),
        Reply::Array(deleted),
    ]))
}

// ---- XINFO / XSETID ----------------------------------------------------------------------

fn kv(out: &mut Vec<(Reply, Reply)>, k: &str, v: Reply) {
    out.push((Reply::bulk(k), v));
}

pub fn xinfo_stream(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut full = false;
    let mut count: usize = 10;
    let mut j = 3;
    while j < argv.len() {
        if !full && is(&argv[j], "full") {
            full = true;
            j += 1;
        } else if full && is(&argv[j], "count") && j + 1 < argv.len() {
            let n = int_arg(&argv[j + 1])?;
            count = if n <= 0 {
                usize::MAX
            } else {
                usize::try_from(n).unwrap_or(usize::MAX)
            };
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let now = e.now_ms();
    let Some(s) = lookup_stream(e, c.db, &argv[2])? else {
        return Err(CmdError::NoSuchKey);
    };
    let mut out = Vec::new();
    kv(&mut out, "length", Reply::Integer(s.len() as i64));
    kv(
        &mut out,
        "radix-tree-keys",
        Reply::Integer(s.radix_keys() as i64),
    );
    kv(
        &mut out,
        "radix-tree-nodes",
        Reply::Integer((s.radix_keys() + 1) as i64),
    );
    kv(&mut out, "last-generated-id", id_reply(s.last_id));
    kv(&mut out, "max-deleted-entry-id", id_reply(s.max_deleted));
    kv(
        &mut out,
        "entries-added",
        Reply::Integer(s.entries_added as i64),
    );
    kv(&mut out, "recorded-first-entry-id", id_reply(s.first_id()));
    if !full {
        kv(&mut out, "groups", Reply::Integer(s.groups.len() as i64));
        kv(
            &mut out,
            "first-entry",
            s.entries
                .iter()
                .next()
                .map_or(Reply::Nil, |(id, f)| entry_reply(*id, f)),
        );
        kv(
            &mut out,
            "last-entry",
            s.entries
                .iter()
                .next_back()
                .map_or(Reply::Nil, |(id, f)| entry_reply(*id, f)),
        );
        return Ok(Reply::Map(out));
    }
    kv(
        &mut out,
        "entries",
        Reply::Array(
            s.entries
                .iter()
                .take(count)
                .map(|(id, f)| entry_reply(*id, f))
                .collect(),
        ),
    );
    let mut groups = Vec::new();
    for (name, g) in &s.groups {
        let mut gr = Vec::new();
        kv(&mut gr, "name", Reply::Bulk(name.clone()));
        kv(&mut gr, "last-delivered-id", id_reply(g.last_id));
        kv(
            &mut gr,
            "entries-read",
            g.entries_read
                .map_or(Reply::Nil, |n| Reply::Integer(n as i64)),
        );
        kv(
            &mut gr,
            "lag",
            s.lag(g).map_or(Reply::Nil, |n| Reply::Integer(n as i64)),
        );
        kv(&mut gr, "pel-count", Reply::Integer(g.pel.len() as i64));
        let pel = g
            .pel
            .iter()
            .take(count)
            .map(|(id, p)| {
                Reply::Array(vec![
                    id_reply(*id),
                    Reply::Bulk(p.consumer.clone()),
                    Reply::Integer(p.delivery_ms as i64),
                    Reply::Integer(p.delivery_count as i64),
                ])
            })
            .collect();
        kv(&mut gr, "pending", Reply::Array(pel));
        let mut consumers = Vec::new();
        for (cname, cons) in &g.consumers {
            let mut cr = Vec::new();
            kv(&mut cr, "name", Reply::Bulk(cname.clone()));
            kv(&mut cr, "seen-time", Reply::Integer(cons.seen_ms as i64));
            kv(&mut cr, "pel-count", Reply::Integer(cons.pel.len() as i64));
            let pending = cons
                .pel
                .iter()
                .take(count)
                .filter_map(|id| g.pel.get(id).map(|p| (id, p)))
                .map(|(id, p)| {
                    Reply::Array(vec![
                        id_reply(*id),
                        Reply::Integer(p.delivery_ms as i64),
                        Reply::Integer(p.delivery_count as i64),
                    ])
                })
                .collect();
            kv(&mut cr, "pending", Reply::Array(pending));
            consumers.push(Reply::Map(cr));
        }
        kv(&mut gr, "consumers", Reply::Array(consumers));
        groups.push(Reply::Map(gr));
    }
    let _ = now;
    kv(&mut out, "groups", Reply::Array(groups));
    Ok(Reply::Map(out))
}

pub fn xinfo_groups(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let Some(s) = lookup_stream(e, c.db, &argv[2])? else {
        return Err(CmdError::NoSuchKey);
    };
    let mut out = Vec::new();
    for (name, g) in &s.groups {
        let mut gr = Vec::new();
        kv(&mut gr, "name", Reply::Bulk(name.clone()));
        kv(
            &mut gr,
            "consumers",
            Reply::Integer(g.consumers.len() as i64),
        );
        kv(&mut gr, "pending", Reply::Integer(g.pel.len() as i64));
        kv(&mut gr, "last-delivered-id", id_reply(g.last_id));
        kv(
            &mut gr,
            "entries-read",
            g.entries_read
                .map_or(Reply::Nil, |n| Reply::Integer(n as i64)),
        );
        kv(
            &mut gr,
            "lag",
            s.lag(g).map_or(Reply::Nil, |n| Reply::Integer(n as i64)),
        );
        out.push(Reply::Map(gr));
    }
    Ok(Reply::Array(out))
}

pub fn xinfo_consumers(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let now = e.now_ms();
    let Some(s) = lookup_stream(e, c.db, &argv[2])? else {
        return Err(CmdError::NoSuchKey);
    };
    let Some(g) = s.groups.get(&argv[3]) else {
        return Err(CmdError::Custom(format!(
            "NOGROUP No such consumer group '{}' for key name '{}'",
            printable(&argv[3], usize::MAX),
            printable(&argv[2], usize::MAX)
        )));
    };
    let out = g
        .consumers
        .iter()
        .map(|(name, cons)| {
            let mut cr = Vec::new();
            kv(&mut cr, "name", Reply::Bulk(name.clone()));
            kv(&mut cr, "pending", Reply::Integer(cons.pel.len() as i64));
            kv(
                &mut cr,
                "idle",
                Reply::Integer(now.saturating_sub(cons.seen_ms) as i64),
            );
            Reply::Map(cr)
        })
        .collect();
    Ok(Reply::Array(out))
}

pub fn xinfo_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(super::server::help_reply(
        "XINFO",
        &[
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.",
        ],
    ))
}

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
