//! Connection and server commands: PING, SELECT, FLUSH*, CLIENT, HELLO, DEBUG,
//! FUNCTION, MEMORY. INFO, CONFIG and COMMAND have files of their own.

use super::client::check_client_name;
use super::{int32_arg, is, range_long};
use crate::engine::{Client, Engine, NUM_DBS};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::value::Value;

pub const REDIS_VERSION: &str = "7.0.15";

/// The `<CMD> <subcommand> ...` help reply Redis gives for every `HELP` subcommand.
pub(crate) fn help_reply(cmd: &str, lines: &[&str]) -> Reply {
    let mut out = vec![Reply::Status(format!(
        "{cmd} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    ))];
    out.extend(lines.iter().map(|l| Reply::Status((*l).to_string())));
    out.push(Reply::Status("HELP".to_string()));
    out.push(Reply::Status("    Prints this help.".to_string()));
    Reply::Array(out)
}

pub fn ping(e: &mut Engine, c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() > 2 {
        return Err(CmdError::WrongArity("ping".to_string()));
    }
    if c.resp == 2 && e.pubsub.is_subscribed(c.id) {
        // A RESP2 subscriber can only read pushes, so PING answers in their shape.
        return Ok(Reply::Array(vec![
            Reply::bulk("pong"),
            Reply::bulk(super::take(&mut argv, 1)),
        ]));
    }
    Ok(if argv.len() == 2 {
        Reply::bulk(super::take(&mut argv, 1))
    } else {
        Reply::Status("PONG".into())
    })
}

pub fn echo(_e: &mut Engine, _c: &mut Client, mut argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::bulk(super::take(&mut argv, 1)))
}

pub fn quit(_e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    c.close_after_reply = true;
    Ok(Reply::ok())
}

pub fn reset(e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    super::tx::discard_tx(e, c);
    e.pubsub.remove_client(c.id, false);
    if c.monitor {
        c.monitor = false;
        e.monitors.retain(|&m| m != c.id);
    }
    e.tracking.disable(c.id);
    c.reply_off = false;
    c.reply_skip_next = false;
    c.db = 0;
    c.resp = 2;
    c.name = None;
    Ok(Reply::Status("RESET".to_string()))
}

/// MONITOR: from now on the client is sent a line for every command the server
/// runs (but administrative ones). A second MONITOR gets no reply, as in Redis.
pub fn monitor(e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    if c.in_exec {
        return Err(CmdError::err(
            "MONITOR isn't allowed for DENY BLOCKING client",
        ));
    }
    if c.monitor || c.replica {
        return Ok(Reply::nothing());
    }
    c.monitor = true;
    e.monitors.push(c.id);
    Ok(Reply::ok())
}

pub fn select(_e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    // getIntFromObjectOrReply without a custom message.
    let id = range_long(&argv[1], i64::from(i32::MIN), i64::from(i32::MAX), None)?;
    if id < 0 || id >= NUM_DBS as i64 {
        return Err(CmdError::DbIndexOutOfRange);
    }
    c.db = id as usize;
    Ok(Reply::ok())
}

pub fn swapdb(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let a = int32_arg(&argv[1], Some("invalid first DB index"))?;
    let b = int32_arg(&argv[2], Some("invalid second DB index"))?;
    let range = 0..NUM_DBS as i64;
    if !range.contains(&a) || !range.contains(&b) {
        return Err(CmdError::DbIndexOutOfRange);
    }
    touch_watched_in(e, a as usize);
    touch_watched_in(e, b as usize);
    e.dbs.swap(a as usize, b as usize);
    touch_watched_in(e, a as usize);
    touch_watched_in(e, b as usize);
    // Clients blocked on keys that now exist in their db may be served.
    if !e.blocked.is_empty() {
        for db in [a as usize, b as usize] {
            let keys: Vec<Vec<u8>> = e.dbs[db].iter().map(|(k, _)| k.to_vec()).collect();
            for k in keys {
                e.blocked.touch(db, &k);
            }
        }
    }
    e.dirty();
    Ok(Reply::ok())
}

pub fn dbsize(e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(e.db_mut(c.db).len() as i64))
}

/// `[ASYNC|SYNC]`: both free memory at once here.
fn flush_mode(argv: &[Vec<u8>]) -> Result<(), CmdError> {
    match argv.len() {
        1 => Ok(()),
        2 if is(&argv[1], "sync") || is(&argv[1], "async") => Ok(()),
        _ => Err(CmdError::Syntax),
    }
}

/// FLUSH*/SWAPDB invalidate the transactions watching keys that existed.
fn touch_watched_in(e: &mut Engine, db: usize) {
    e.signal_blocked_in(db);
    for key in e.watch.keys_in_db(db) {
        if e.dbs.get(db).is_some_and(|d| d.contains(&key)) {
            e.watch.touch(db, &key);
        }
    }
}

pub fn flushdb(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    flush_mode(&argv)?;
    touch_watched_in(e, c.db);
    e.db_mut(c.db).clear();
    e.tracking_invalidate_all();
    e.dirty();
    // Replicated even when the database was already empty.
    e.force_propagation();
    Ok(Reply::ok())
}

pub fn flushall(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    flush_mode(&argv)?;
    for db in 0..NUM_DBS {
        touch_watched_in(e, db);
    }
    for d in &mut e.dbs {
        d.clear();
    }
    e.tracking_invalidate_all();
    // With `save` points set, the empty keyspace is saved at once, so a
    // restart cannot bring the flushed keys back.
    if e.has_save_points() {
        e.save_snapshot();
    }
    e.dirty();
    // Replicated even when every database was already empty.
    e.force_propagation();
    Ok(Reply::ok())
}

pub fn time(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    let now = e.now_us;
    Ok(Reply::Array(vec![
        Reply::bulk((now / 1_000_000).to_string().into_bytes()),
        Reply::bulk((now % 1_000_000).to_string().into_bytes()),
    ]))
}

pub fn hello(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut j = 1;
    let mut proto = None;
    if argv.len() >= 2 {
        let ver = crate::num::parse_i64(&argv[1])
            .ok_or_else(|| CmdError::err("Protocol version is not an integer or out of range"))?;
        if !(2..=3).contains(&ver) {
            return Err(CmdError::Custom(
                "NOPROTO unsupported protocol version".to_string(),
            ));
        }
        proto = Some(ver as u8);
        j = 2;
    }
    let mut name = None;
    while j < argv.len() {
        let more = argv.len() - j - 1;
        if is(&argv[j], "auth") && more >= 2 {
            j += 3;
        } else if is(&argv[j], "setname") && more >= 1 {
            check_client_name(&argv[j + 1])?;
            name = Some(argv[j + 1].clone());
            j += 2;
        } else {
            return Err(CmdError::Custom(format!(
                "ERR Syntax error in HELLO option '{}'",
                crate::engine::printable(&argv[j], 128)
            )));
        }
    }
    if let Some(n) = name {
        c.name = (!n.is_empty()).then_some(n);
    }
    let _ = e;
    if let Some(p) = proto {
        c.resp = p;
    }
    Ok(Reply::Map(vec![
        (Reply::bulk("server"), Reply::bulk("redis")),
        (Reply::bulk("version"), Reply::bulk(REDIS_VERSION)),
        (Reply::bulk("proto"), Reply::Integer(i64::from(c.resp))),
        (Reply::bulk("id"), Reply::Integer(c.id as i64)),
        (Reply::bulk("mode"), Reply::bulk("standalone")),
        (Reply::bulk("role"), Reply::bulk("master")),
        (Reply::bulk("modules"), Reply::Array(vec![])),
    ]))
}

// ---- DEBUG ---------------------------------------------------------------------

pub fn debug_set_active_expire(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    e.config.active_expire_enabled = atoi(&argv[2]) != 0;
    Ok(Reply::ok())
}

/// `DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]`: save, then load the file back.
pub fn debug_reload(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let (mut save, mut flush, mut merge) = (true, true, false);
    for arg in &argv[2..] {
        if is(arg, "merge") {
            merge = true;
        } else if is(arg, "noflush") {
            flush = false;
        } else if is(arg, "nosave") {
            save = false;
        } else {
            return Err(CmdError::err(
                "DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.",
            ));
        }
    }
    // Every key may change: invalidate WATCHes and wake blocked clients, as
    // the flush before a load does in Redis.
    for db in 0..NUM_DBS {
        touch_watched_in(e, db);
    }
    e.debug_reload(save, flush, merge)
        .map_err(|text| CmdError::Raw(text.as_bytes().to_vec()))?;
    for db in 0..NUM_DBS {
        touch_watched_in(e, db);
    }
    Ok(Reply::ok())
}

/// DEBUG SLEEP: the engine can't stop, so it records the time; it counts in
/// the command's duration (the slow log shows it) and the server sleeps it
/// before serving anyone else (see [`Engine::take_sleep`]).
pub fn debug_sleep(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    // strtod: a bad number reads as 0, and a negative time doesn't sleep.
    let seconds = argv
        .get(2)
        .and_then(|a| crate::cmd::strtod_arg(a))
        .unwrap_or(0.0);
    if seconds > 0.0 {
        e.sleep((seconds * 1_000_000.0) as u64);
    }
    Ok(Reply::ok())
}

/// DEBUG OBJECT: Redis's one-line summary of a value: where it lives, its
/// reference count, encoding, RDB size and LRU clock, and for a list the
/// shape of its quicklist.
pub fn debug_object(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    // Like Redis, this reads the dict directly: no expiry, no access.
    let Some(entry) = e.dbs.get(c.db).and_then(|d| d.entry(&argv[2])) else {
        return Err(CmdError::err("no such key"));
    };
    let opts = crate::cmd::dump::encode_options(e);
    let value = &entry.value;
    let shared = matches!(value, Value::Str(s) if s.encoding() == "int"
        && crate::num::parse_i64(&s.bytes).is_some_and(|n| (0..10_000).contains(&n)));
    let refcount = if shared { i32::MAX } else { 1 };
    let serialized = crate::rdb::encode_object(value, &opts).1.len();
    let now = e.now_ms();
    // The object's 24-bit LRU field: seconds of the LRU clock, or under an LFU
    // policy the minutes of the last decay and the counter.
    let lru = match e.config.lfu {
        Some(_) => (((entry.lru_ms / 60_000) & 0xffff) << 8) | u64::from(entry.freq),
        None => (entry.lru_ms / 1000) & 0xff_ffff,
    };
    let idle = crate::db::idle_seconds(now, entry.lru_ms);
    let mut line = format!(
        "Value at:{:p} refcount:{refcount} encoding:{} serializedlength:{serialized} lru:{lru} \
         lru_seconds_idle:{idle}",
        std::ptr::from_ref(value),
        value.encoding()
    );
    if let Value::List(items) = value {
        let (nodes, bytes) =
            crate::rdb::quicklist_layout(items.iter().map(Vec::as_slice), opts.list_fill);
        let compressed = e
            .config
            .extra
            .get("list-compress-depth")
            .is_some_and(|d| d != "0");
        line.push_str(&format!(
            " ql_nodes:{nodes} ql_avg_node:{:.2} ql_listpack_max:{} ql_compressed:{} \
             ql_uncompressed_size:{bytes}",
            items.len() as f64 / nodes.max(1) as f64,
            opts.list_fill,
            u8::from(compressed)
        ));
    }
    Ok(Reply::Status(line))
}

pub fn debug_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "DEBUG",
        &[
            "OBJECT <key>",
            "    Show low level info about the value at <key>: its encoding, size in an RDB",
            "    file, LRU clock and, for a list, its quicklist nodes.",
            "RELOAD [MERGE] [NOFLUSH] [NOSAVE]",
            "    Write a snapshot, empty the keyspace and load the snapshot back.",
            "    * NOSAVE: load the last snapshot as it is, without writing a new one.",
            "    * NOFLUSH: load into the keyspace as it is; a key in both is an error...",
            "    * MERGE: ...unless MERGE is given, then the snapshot's key wins.",
            "SET-ACTIVE-EXPIRE <0|1>",
            "    Switch the active expiry cycle off or on; lazy expiry always runs.",
            "SLEEP <seconds>",
            "    Stop the server for <seconds> (decimals allowed).",
        ],
    ))
}

/// C's `atoi`: leading digits with an optional sign, garbage after ignored.
fn atoi(s: &[u8]) -> i64 {
    let s = match s.iter().position(|b| !b.is_ascii_whitespace()) {
        Some(i) => &s[i..],
        None => return 0,
    };
    let (neg, rest) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: i64 = 0;
    for &b in rest.iter().take_while(|b| b.is_ascii_digit()) {
        v = v.wrapping_mul(10).wrapping_add(i64::from(b - b'0'));
    }
    if neg {
        -v
    } else {
        v
    }
}

// ---- MEMORY --------------------------------------------------------------------

/// MEMORY USAGE: the engine's estimate of the bytes a key takes (key, value and
/// per-key overhead), or nil for a missing key. SAMPLES is accepted; the estimate
/// is computed from element counts, not by sampling.
pub fn memory_usage(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut j = 3;
    while j < argv.len() {
        if is(&argv[j], "samples") && j + 1 < argv.len() {
            crate::cmd::int_arg(&argv[j + 1])?;
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let Some(v) = e.lookup_read_nonotify(c.db, &argv[2]) else {
        return Ok(Reply::Nil);
    };
    Ok(Reply::Integer((v.mem_size() + argv[2].len() + 56) as i64))
}

/// MEMORY DOCTOR: Redis's report. Below 5 MB it can't judge; above, this
/// engine has none of the allocator troubles (fragmentation, RSS overhead) the
/// report looks for, so it finds nothing.
pub fn memory_doctor(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    e.refresh_used_memory();
    let text = if e.used_memory() < 5 * 1024 * 1024 {
        "Hi Sam, this instance is empty or is using very little memory, my issues detector \
         can't be used in these conditions. Please, leave for your mission on Earth and fill \
         it with some data. The new Sam and I will be back to our programming as soon as I \
         finished rebooting.\n"
    } else {
        "Hi Sam, I can't find any memory issue in your instance. I can only account for what \
         occurs on this base.\n"
    };
    Ok(Reply::verbatim_text(text.to_string()))
}

/// MEMORY MALLOC-STATS: Redis's answer when its allocator is not jemalloc.
pub fn memory_malloc_stats(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::bulk("Stats not supported for the current allocator"))
}

/// MEMORY PURGE: nothing for this allocator to give back.
pub fn memory_purge(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::ok())
}

pub fn memory_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "MEMORY",
        &[
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return the estimated memory usage in bytes of a key and its value.",
        ],
    ))
}
