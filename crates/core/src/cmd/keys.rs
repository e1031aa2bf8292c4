//! Generic key commands: DEL, EXISTS, TYPE, RENAME, COPY, MOVE, KEYS, SCAN,
//! RANDOMKEY and OBJECT.

use super::{is, range_long};
use crate::engine::{Client, Engine, NUM_DBS};
use crate::error::{CmdError, CmdResult};
use crate::glob;
use crate::notify;
use crate::reply::Reply;

/// DEL and UNLINK (the engine frees memory the same way for both).
pub fn del(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut n = 0;
    for key in &argv[1..] {
        if e.lookup_quiet(c.db, key) {
            e.db_mut(c.db).remove(key);
            e.notify(notify::GENERIC, "del", key, c.db);
            n += 1;
        }
    }
    if n > 0 {
        e.dirty();
    }
    Ok(Reply::Integer(n))
}

pub fn exists(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut n = 0;
    for key in &argv[1..] {
        if e.lookup_read_notouch(c.db, key).is_some() {
            n += 1;
        }
    }
    Ok(Reply::Integer(n))
}

pub fn touch(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut n = 0;
    for key in &argv[1..] {
        if e.lookup_read(c.db, key).is_some() {
            n += 1;
        }
    }
    Ok(Reply::Integer(n))
}

pub fn type_(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let name = e
        .lookup_read_notouch(c.db, &argv[1])
        .map_or("none", |v| v.type_name());
    Ok(Reply::Status(name.to_string()))
}

fn rename_generic(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>, nx: bool) -> CmdResult {
    let same = argv[1] == argv[2];
    if !e.lookup_quiet(c.db, &argv[1]) {
        return Err(CmdError::NoSuchKey);
    }
    let now = e.now_ms();
    e.db_mut(c.db).touch(&argv[1], now);
    if same {
        return Ok(if nx { Reply::Integer(0) } else { Reply::ok() });
    }
    if e.lookup_quiet(c.db, &argv[2]) {
        if nx {
            return Ok(Reply::Integer(0));
        }
        e.db_mut(c.db).remove(&argv[2]);
    }
    let now = e.now_ms();
    let d = e.db_mut(c.db);
    if let Some((entry, at)) = d.remove_entry(&argv[1]) {
        d.insert(&argv[2], entry.value, now);
        if let Some(at) = at {
            d.set_expire(&argv[2], at);
        }
    }
    e.notify(notify::GENERIC, "rename_from", &argv[1], c.db);
    e.notify(notify::GENERIC, "rename_to", &argv[2], c.db);
    e.dirty();
    Ok(if nx { Reply::Integer(1) } else { Reply::ok() })
}

pub fn rename(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    rename_generic(e, c, argv, false)
}

pub fn renamenx(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    rename_generic(e, c, argv, true)
}

/// `getIntFromObjectOrReply` then `selectDb`, as MOVE and COPY ... DB parse a db index.
fn db_index_arg(arg: &[u8]) -> Result<usize, CmdError> {
    let id = range_long(arg, i64::from(i32::MIN), i64::from(i32::MAX), None)?;
    if id < 0 || id >= NUM_DBS as i64 {
        return Err(CmdError::DbIndexOutOfRange);
    }
    Ok(id as usize)
}

pub fn copy(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut dst = c.db;
    let mut replace = false;
    let mut j = 3;
    while j < argv.len() {
        let more = argv.len() - j - 1;
        if is(&argv[j], "replace") {
            replace = true;
        } else if is(&argv[j], "db") && more >= 1 {
            dst = db_index_arg(&argv[j + 1])?;
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    if dst == c.db && argv[1] == argv[2] {
        return Err(CmdError::SameObject);
    }
    let Some(value) = e.lookup_read(c.db, &argv[1]).cloned() else {
        return Ok(Reply::Integer(0));
    };
    let at = e.db_mut(c.db).expire_at(&argv[1]);
    if e.lookup_quiet(dst, &argv[2]) {
        if !replace {
            return Ok(Reply::Integer(0));
        }
        e.db_mut(dst).remove(&argv[2]);
    }
    let now = e.now_ms();
    let d = e.db_mut(dst);
    d.insert(&argv[2], value, now);
    if let Some(at) = at {
        d.set_expire(&argv[2], at);
    }
    e.notify(notify::GENERIC, "copy_to", &argv[2], dst);
    e.dirty();
    Ok(Reply::Integer(1))
}

pub fn move_(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let dst = db_index_arg(&argv[2])?;
    if dst == c.db {
        return Err(CmdError::SameObject);
    }
    if !e.lookup_quiet(c.db, &argv[1]) {
        return Ok(Reply::Integer(0));
    }
    if e.lookup_quiet(dst, &argv[1]) {
        return Ok(Reply::Integer(0));
    }
    let now = e.now_ms();
    if let Some((entry, at)) = e.db_mut(c.db).remove_entry(&argv[1]) {
        let d = e.db_mut(dst);
        d.insert(&argv[1], entry.value, now);
        if let Some(at) = at {
            d.set_expire(&argv[1], at);
        }
    }
    e.notify(notify::GENERIC, "move_from", &argv[1], c.db);
    e.notify(notify::GENERIC, "move_to", &argv[1], dst);
    e.dirty();
    Ok(Reply::Integer(1))
}

pub fn keys(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let pattern = &argv[1];
    let all = pattern.as_slice() == b"*";
    let now = e.now_ms();
    let d = e.db_mut(c.db);
    let out = d
        .iter()
        .filter(|(k, _)| all || glob::matches(pattern, k, false))
        .filter(|(k, _)| d.expire_at(k).is_none_or(|at| at >= now))
        .map(|(k, _)| Reply::bulk(k))
        .collect();
    Ok(Reply::Array(out))
}

/// `strtoul` as SCAN parses its cursor: optional sign, digits, nothing after.
pub(crate) fn parse_cursor(arg: &[u8]) -> Result<u64, CmdError> {
    let bad = || CmdError::err("invalid cursor");
    if arg.first().is_some_and(|b| b.is_ascii_whitespace()) {
        return Err(bad());
    }
    let (neg, digits) = match arg.first() {
        Some(b'-') => (true, &arg[1..]),
        Some(b'+') => (false, &arg[1..]),
        _ => (false, arg),
    };
    if digits.is_empty() {
        // strtoul consumed nothing: the cursor is 0 when the whole string is empty.
        return if arg.is_empty() { Ok(0) } else { Err(bad()) };
    }
    let mut v: u64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return Err(bad());
        }
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or_else(bad)?;
    }
    Ok(if neg { v.wrapping_neg() } else { v })
}

pub(crate) struct ScanOptions {
    pub count: usize,
    pub pattern: Option<Vec<u8>>,
    pub kind: Option<Vec<u8>>,
}

/// Parses `[MATCH pattern] [COUNT count] [TYPE type]` from `argv[from..]`.
pub(crate) fn parse_scan_options(
    argv: &[Vec<u8>],
    from: usize,
    allow_type: bool,
) -> Result<ScanOptions, CmdError> {
    let mut o = ScanOptions {
        count: 10,
        pattern: None,
        kind: None,
    };
    let mut i = from;
    while i < argv.len() {
        let left = argv.len() - i;
        if is(&argv[i], "count") && left >= 2 {
            let n = super::int_arg(&argv[i + 1])?;
            if n < 1 {
                return Err(CmdError::Syntax);
            }
            o.count = usize::try_from(n).unwrap_or(usize::MAX);
        } else if is(&argv[i], "match") && left >= 2 {
            o.pattern = (argv[i + 1].as_slice() != b"*").then(|| argv[i + 1].clone());
        } else if is(&argv[i], "type") && allow_type && left >= 2 {
            o.kind = Some(argv[i + 1].clone());
        } else {
            return Err(CmdError::Syntax);
        }
        i += 2;
    }
    Ok(o)
}

/// The slots one SCAN-family call visits, from the top index down, and the cursor
/// to return (0 when the walk is complete).
pub(crate) fn scan_window(cursor: u64, len: usize, count: usize) -> (u64, Vec<usize>) {
    let len = len as u64;
    let start = if cursor == 0 || cursor > len {
        len
    } else {
        cursor
    };
    let stop = start.saturating_sub(count as u64);
    ((stop), (stop..start).rev().map(|i| i as usize).collect())
}

/// SCAN walks the dict's slots from the top index down. A deletion moves the last
/// entry (already visited) into the hole, so entries never slip past the cursor.
pub fn scan(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let cursor = parse_cursor(&argv[1])?;
    let opts = parse_scan_options(&argv, 2, true)?;
    let d = e.db_mut(c.db);
    let (next, idx) = scan_window(cursor, d.len(), opts.count);
    let found: Vec<Vec<u8>> = idx
        .into_iter()
        .filter_map(|i| d.key_at(i).map(<[u8]>::to_vec))
        .collect();
    let mut out = Vec::new();
    for key in found {
        if let Some(p) = &opts.pattern {
            if !glob::matches(p, &key, false) {
                continue;
            }
        }
        if !e.lookup_quiet(c.db, &key) {
            continue;
        }
        if let Some(t) = &opts.kind {
            let name = e.db_mut(c.db).get(&key).map_or("none", |v| v.type_name());
            if !t.eq_ignore_ascii_case(name.as_bytes()) {
                continue;
            }
        }
        out.push(Reply::bulk(key));
    }
    Ok(Reply::Array(vec![
        Reply::bulk(next.to_string().into_bytes()),
        Reply::Array(out),
    ]))
}

pub fn randomkey(e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    loop {
        let len = e.db_mut(c.db).len();
        if len == 0 {
            return Ok(Reply::Nil);
        }
        let i = e.random_below(len);
        let Some(key) = e.db_mut(c.db).key_at(i).map(<[u8]>::to_vec) else {
            return Ok(Reply::Nil);
        };
        if e.lookup_quiet(c.db, &key) {
            return Ok(Reply::bulk(key));
        }
    }
}

const LFU_NOT_SELECTED: &str = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
const LFU_SELECTED: &str = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

pub fn object_encoding(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(match e.lookup_read_nonotify(c.db, &argv[2]) {
        Some(v) => Reply::bulk(v.encoding()),
        None => Reply::Nil,
    })
}

pub fn object_freq(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if e.lookup_read_nonotify(c.db, &argv[2]).is_none() {
        return Ok(Reply::Nil);
    }
    if e.config.lfu.is_none() {
        return Err(CmdError::Custom(LFU_NOT_SELECTED.to_string()));
    }
    let (now, lfu) = (e.now_ms(), e.config.lfu);
    let freq = match (e.db_mut(c.db).entry(&argv[2]), lfu) {
        (Some(en), Some(lfu)) => crate::lfu::decayed(en.freq, en.lru_ms, now, lfu),
        (Some(en), None) => en.freq,
        (None, _) => crate::db::LFU_INIT_VAL,
    };
    Ok(Reply::Integer(i64::from(freq)))
}

pub fn object_idletime(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if e.lookup_read_nonotify(c.db, &argv[2]).is_none() {
        return Ok(Reply::Nil);
    }
    if e.config.lfu.is_some() {
        return Err(CmdError::Custom(LFU_SELECTED.to_string()));
    }
    let now = e.now_ms();
    let last = e.db_mut(c.db).entry(&argv[2]).map_or(now, |en| en.lru_ms);
    Ok(Reply::Integer(crate::db::idle_seconds(now, last) as i64))
}

pub fn object_refcount(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let Some(v) = e.lookup_read_nonotify(c.db, &argv[2]) else {
        return Ok(Reply::Nil);
    };
    // Redis shares the integers 0..10000 between keys and reports them as immortal.
    let shared = match v {
        crate::value::Value::Str(s) if s.encoding() == "int" => {
            crate::num::parse_i64(&s.bytes).is_some_and(|n| (0..10_000).contains(&n))
        }
        _ => false,
    };
    Ok(Reply::Integer(if shared { i64::from(i32::MAX) } else { 1 }))
}

pub fn object_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(super::server::help_reply(
        "OBJECT",
        &[
            "ENCODING <key>",
            "    Return the internal representation used to store the value of <key>.",
            "FREQ <key>",
            "    Return the logarithmic access frequency counter of <key> (LFU policies only).",
            "IDLETIME <key>",
            "    Return the seconds since <key> was last read or written (LRU policies).",
            "REFCOUNT <key>",
            "    Return how many references the value of <key> has.",
        ],
    ))
}
