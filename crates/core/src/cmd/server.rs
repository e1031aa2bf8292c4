//! Connection and server commands: PING, SELECT, FLUSH*, CLIENT, HELLO, DEBUG,
//! FUNCTION, MEMORY. INFO, CONFIG and COMMAND have files of their own.

use super::{int32_arg, int_arg, is, range_long};
use crate::engine::{Client, Engine, NUM_DBS};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;

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

fn check_client_name(name: &[u8]) -> Result<(), CmdError> {
    if name.iter().any(|&b| !(b'!'..=b'~').contains(&b)) {
        return Err(CmdError::err(
            "Client names cannot contain spaces, newlines or special characters.",
        ));
    }
    Ok(())
}

pub fn client_id(_e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(c.id as i64))
}

pub fn client_getname(_e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::opt_bulk(c.name.clone()))
}

pub fn client_setname(_e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    check_client_name(&argv[2])?;
    c.name = (!argv[2].is_empty()).then(|| argv[2].clone());
    Ok(Reply::ok())
}

/// CLIENT REPLY ON|OFF|SKIP: OFF and SKIP are not answered themselves; pushes
/// (Pub/Sub messages) still go out, as in Redis.
pub fn client_reply(_e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if is(&argv[2], "on") {
        c.reply_off = false;
        c.reply_skip = false;
        Ok(Reply::ok())
    } else if is(&argv[2], "off") {
        c.reply_off = true;
        Ok(Reply::Sequence(Vec::new()))
    } else if is(&argv[2], "skip") {
        if !c.reply_off {
            c.reply_skip_next = true;
        }
        Ok(Reply::Sequence(Vec::new()))
    } else {
        Err(CmdError::Syntax)
    }
}

/// `CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id [id ...]]`, parsed as
/// Redis 7.0 does: TYPE only with exactly one argument, ID with one or more.
pub fn client_list(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let text = if argv.len() == 4 && is(&argv[2], "type") {
        let Some(kind) = crate::engine::ClientType::from_name(&argv[3]) else {
            let mut msg = b"ERR Unknown client type '".to_vec();
            msg.extend_from_slice(&argv[3]);
            msg.push(b'\'');
            return Err(CmdError::Raw(msg));
        };
        e.client_lines(c, &argv, None, Some(kind))
    } else if argv.len() > 3 && is(&argv[2], "id") {
        let mut ids = Vec::with_capacity(argv.len() - 3);
        for arg in &argv[3..] {
            match crate::num::parse_i64(arg) {
                Some(id) => ids.push(u64::try_from(id).unwrap_or(0)),
                None => return Err(CmdError::err("Invalid client ID")),
            }
        }
        e.client_lines(c, &argv, Some(&ids), None)
    } else if argv.len() != 2 {
        return Err(CmdError::Syntax);
    } else {
        e.client_lines(c, &argv, None, None)
    };
    Ok(Reply::bulk(text))
}

/// `CLIENT KILL ip:port` (replies OK, or an error if no client matched; may
/// kill the caller) or `CLIENT KILL <filter> <value> ...` with ID, TYPE, USER,
/// ADDR, LADDR and SKIPME (replies how many it killed; skips the caller unless
/// SKIPME no).
pub fn client_kill(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut filter = crate::engine::KillFilter::default();
    let old_form = argv.len() == 3;
    if old_form {
        filter.addr = Some(argv[2].clone());
    } else {
        filter.skip_me = true;
        for pair in argv[2..].chunks(2) {
            let [option, value] = pair else {
                return Err(CmdError::Syntax);
            };
            if is(option, "id") {
                let id = super::range_long(
                    value,
                    1,
                    i64::MAX,
                    Some("client-id should be greater than 0"),
                )?;
                filter.id = Some(id as u64);
            } else if is(option, "type") {
                let Some(kind) = crate::engine::ClientType::from_name(value) else {
                    let mut msg = b"ERR Unknown client type '".to_vec();
                    msg.extend_from_slice(value);
                    msg.push(b'\'');
                    return Err(CmdError::Raw(msg));
                };
                filter.kind = Some(kind);
            } else if is(option, "addr") {
                filter.addr = Some(value.clone());
            } else if is(option, "laddr") {
                filter.laddr = Some(value.clone());
            } else if is(option, "user") {
                // Every client is the default user's: that filter matches all.
                if value.as_slice() != b"default" {
                    let mut msg = b"ERR No such user '".to_vec();
                    msg.extend_from_slice(value);
                    msg.push(b'\'');
                    return Err(CmdError::Raw(msg));
                }
            } else if is(option, "skipme") {
                filter.skip_me = if is(value, "yes") {
                    true
                } else if is(value, "no") {
                    false
                } else {
                    return Err(CmdError::Syntax);
                };
            } else {
                return Err(CmdError::Syntax);
            }
        }
    }
    let killed = e.kill_clients(c, &filter);
    Ok(match (old_form, killed) {
        (true, 0) => return Err(CmdError::err("No such client")),
        (true, _) => Reply::ok(),
        (false, n) => Reply::Integer(n as i64),
    })
}

/// `CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT]
/// [NOLOOP]`: client-side caching (see `tracking.rs`), with Redis's checks in
/// Redis's order.
pub fn client_tracking(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let mut mode = crate::tracking::Mode::default();
    let mut j = 3;
    while j < argv.len() {
        let more = j + 1 < argv.len();
        let a = &argv[j];
        if is(a, "redirect") && more {
            j += 1;
            if mode.redirect != 0 {
                return Err(CmdError::err(
                    "A client can only redirect to a single other client",
                ));
            }
            let id = int_arg(&argv[j])?;
            if !e.client_exists(id) {
                return Err(CmdError::err(
                    "The client ID you want redirect to does not exist",
                ));
            }
            mode.redirect = id as u64;
        } else if is(a, "bcast") {
            mode.bcast = true;
        } else if is(a, "optin") {
            mode.optin = true;
        } else if is(a, "optout") {
            mode.optout = true;
        } else if is(a, "noloop") {
            mode.noloop = true;
        } else if is(a, "prefix") && more {
            j += 1;
            mode.prefixes.push(argv[j].clone());
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    if is(&argv[2], "off") {
        e.tracking.disable(c.id);
        return Ok(Reply::ok());
    }
    if !is(&argv[2], "on") {
        return Err(CmdError::Syntax);
    }
    if !mode.bcast && !mode.prefixes.is_empty() {
        return Err(CmdError::err(
            "PREFIX option requires BCAST mode to be enabled",
        ));
    }
    if let Some(old) = e.tracking.clients.get(&c.id) {
        if old.bcast != mode.bcast {
            return Err(CmdError::err(
                "You can't switch BCAST mode on/off before disabling tracking for this client, \
                 and then re-enabling it with a different mode.",
            ));
        }
    }
    if mode.bcast && (mode.optin || mode.optout) {
        return Err(CmdError::err(
            "OPTIN and OPTOUT are not compatible with BCAST",
        ));
    }
    if mode.optin && mode.optout {
        return Err(CmdError::err(
            "You can't specify both OPTIN mode and OPTOUT mode",
        ));
    }
    if let Some(old) = e.tracking.clients.get(&c.id) {
        if (mode.optin && old.optout) || (mode.optout && old.optin) {
            return Err(CmdError::err(
                "You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, \
                 and then re-enabling it with a different mode.",
            ));
        }
    }
    if mode.bcast {
        if let Some(msg) = e.tracking.prefix_collision(c.id, &mode.prefixes) {
            return Err(CmdError::err(msg));
        }
    }
    e.tracking.enable(c.id, mode);
    Ok(Reply::ok())
}

/// `CLIENT CACHING YES|NO`: whether the next command's reads are tracked
/// (OPTIN / OPTOUT modes).
pub fn client_caching(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let Some(mode) = e.tracking.clients.get_mut(&c.id) else {
        return Err(CmdError::err(
            "CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
        ));
    };
    if is(&argv[2], "yes") {
        if !mode.optin {
            return Err(CmdError::err(
                "CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.",
            ));
        }
    } else if is(&argv[2], "no") {
        if !mode.optout {
            return Err(CmdError::err(
                "CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.",
            ));
        }
    } else {
        return Err(CmdError::Syntax);
    }
    mode.caching = true;
    Ok(Reply::ok())
}

/// `CLIENT GETREDIR`: the client invalidations are redirected to, 0 for none,
/// -1 when not tracking.
pub fn client_getredir(e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(
        e.tracking
            .clients
            .get(&c.id)
            .map_or(-1, |m| m.redirect as i64),
    ))
}

/// `CLIENT TRACKINGINFO`: flags, redirect and prefixes of the caller's tracking.
pub fn client_trackinginfo(e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    let mode = e.tracking.clients.get(&c.id);
    let mut flags = vec![if mode.is_some() { "on" } else { "off" }];
    let mut prefixes = Vec::new();
    if let Some(m) = mode {
        let optional = [
            (m.bcast, "bcast"),
            (m.optin, "optin"),
            (m.optin && m.caching, "caching-yes"),
            (m.optout, "optout"),
            (m.optout && m.caching, "caching-no"),
            (m.noloop, "noloop"),
            (m.broken, "broken_redirect"),
        ];
        flags.extend(optional.iter().filter(|(on, _)| *on).map(|(_, f)| *f));
        prefixes = m.prefixes.clone();
        prefixes.sort();
    }
    Ok(Reply::Map(vec![
        (
            Reply::bulk("flags"),
            Reply::Set(flags.into_iter().map(Reply::bulk).collect()),
        ),
        (
            Reply::bulk("redirect"),
            Reply::Integer(mode.map_or(-1, |m| m.redirect as i64)),
        ),
        (
            Reply::bulk("prefixes"),
            Reply::Array(prefixes.into_iter().map(Reply::bulk).collect()),
        ),
    ]))
}

/// `CLIENT INFO`: the caller's own CLIENT LIST line.
pub fn client_info(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::bulk(e.client_lines(c, &argv, Some(&[c.id]), None)))
}

pub fn client_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "CLIENT",
        &[
            "CACHING (YES|NO)",
            "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
            "GETREDIR",
            "    Return the client ID we are redirecting to when tracking is enabled.",
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "    * ID id [id ...]",
            "      Return clients of specified IDs only.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]",
            "    Control server assisted client side caching.",
            "TRACKINGINFO",
            "    Report tracking status for the current connection.",
        ],
    ))
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

pub fn debug_sleep(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::ok())
}

pub fn debug_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "DEBUG",
        &[
            "RELOAD [MERGE] [NOFLUSH] [NOSAVE]",
            "    Write a snapshot, empty the keyspace and load the snapshot back.",
            "    * NOSAVE: load the last snapshot as it is, without writing a new one.",
            "    * NOFLUSH: load into the keyspace as it is; a key in both is an error...",
            "    * MERGE: ...unless MERGE is given, then the snapshot's key wins.",
            "SET-ACTIVE-EXPIRE <0|1>",
            "    Switch the active expiry cycle off or on; lazy expiry always runs.",
            "SLEEP <seconds>",
            "    Accepted for compatibility; the engine owns no clock and returns at once.",
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

// ---- FUNCTION ------------------------------------------------------------------
// The engine has no scripting engine, so no function library can ever be loaded:
// FLUSH has nothing to remove and LIST nothing to show. LOAD is not offered.

pub fn function_flush(_e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    match argv.len() {
        2 => Ok(Reply::ok()),
        3 if is(&argv[2], "sync") || is(&argv[2], "async") => Ok(Reply::ok()),
        _ => Err(CmdError::err(
            "FUNCTION FLUSH only supports SYNC|ASYNC option",
        )),
    }
}

pub fn function_list(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Array(vec![]))
}

pub fn function_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "FUNCTION",
        &[
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries (CacheLab has no scripting engine, so there are none).",
            "LIST [LIBRARYNAME pattern] [WITHCODE]",
            "    Return the loaded libraries: always none here.",
        ],
    ))
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
    Ok(Reply::Verbatim("txt", text.to_string()))
}

/// MEMORY MALLOC-STATS: Redis's answer when its allocator is not jemalloc.
pub fn memory_malloc_stats(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::bulk("Stats not supported for the current allocator"))
}

/// MEMORY PURGE: nothing for this allocator to give back.
pub fn memory_purge(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::ok())
}

/// CLIENT NO-EVICT ON|OFF: this engine never evicts clients; the flag shows
/// in CLIENT LIST (`e`), as in Redis.
pub fn client_no_evict(_e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if is(&argv[2], "on") {
        c.no_evict = true;
    } else if is(&argv[2], "off") {
        c.no_evict = false;
    } else {
        return Err(CmdError::Syntax);
    }
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

/// CLIENT UNBLOCK id [TIMEOUT|ERROR]: releases a client blocked by BLPOP and friends,
/// with its timeout reply or an UNBLOCKED error. 1 if that client was blocked.
pub fn client_unblock(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let id = crate::cmd::int_arg(&argv[2])?;
    let as_error = match argv.get(3) {
        None => false,
        Some(a) if is(a, "timeout") => false,
        Some(a) if is(a, "error") => true,
        Some(_) => {
            return Err(CmdError::err(
                "CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
            ))
        }
    };
    if id < 0 || !e.blocked.parked.contains_key(&(id as u64)) {
        return Ok(Reply::Integer(0));
    }
    let reply = if as_error {
        Reply::error("UNBLOCKED client unblocked via CLIENT UNBLOCK")
    } else {
        Reply::NilArray
    };
    e.unblock(id as u64, reply);
    Ok(Reply::Integer(1))
}
