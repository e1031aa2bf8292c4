//! CLIENT and its subcommands: names, ids, CLIENT LIST/INFO/KILL, CLIENT REPLY,
//! CLIENT UNBLOCK, NO-EVICT and client-side caching (TRACKING, CACHING,
//! GETREDIR, TRACKINGINFO). The records they read live in `engine/clients.rs`
//! and `tracking.rs`.

use super::server::help_reply;
use super::{int_arg, is};
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;

pub(crate) fn check_client_name(name: &[u8]) -> Result<(), CmdError> {
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
/// A client type name of CLIENT LIST TYPE and CLIENT KILL TYPE, with Redis's error.
fn client_type_arg(name: &[u8]) -> Result<crate::engine::ClientType, CmdError> {
    crate::engine::ClientType::from_name(name).ok_or_else(|| {
        let mut msg = b"ERR Unknown client type '".to_vec();
        msg.extend_from_slice(name);
        msg.push(b'\'');
        CmdError::Raw(msg)
    })
}

pub fn client_list(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let text = if argv.len() == 4 && is(&argv[2], "type") {
        let kind = client_type_arg(&argv[3])?;
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
                filter.kind = Some(client_type_arg(value)?);
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
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]",
            "    Control server assisted client side caching.",
            "TRACKINGINFO",
            "    Report tracking status for the current connection.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
        ],
    ))
}

/// CLIENT PAUSE timeout [WRITE|ALL]: hold back all commands, or those that
/// could write, for `timeout` ms (see `engine/pause.rs`).
pub fn client_pause(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() > 4 {
        return Err(super::subcommand_syntax_error("CLIENT", &argv));
    }
    let writes_only = match argv.get(3) {
        None => false,
        Some(mode) if is(mode, "write") => true,
        Some(mode) if is(mode, "all") => false,
        Some(_) => return Err(CmdError::err("CLIENT PAUSE mode must be WRITE or ALL")),
    };
    let ms = super::timeout_ms_arg(&argv[2])?;
    // Redis 7.0 adds the time without a check: an end past the range wraps
    // into the past, and the pause is over before it starts.
    let now = e.now_ms();
    let end = if ms <= (i64::MAX as u64).saturating_sub(now) {
        ms + now
    } else {
        0
    };
    e.pause_clients(end, writes_only);
    Ok(Reply::ok())
}

/// CLIENT UNPAUSE: ends the pause; the commands it held back run again.
pub fn client_unpause(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    e.unpause_clients();
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
