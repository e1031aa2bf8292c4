//! SAVE, BGSAVE, LASTSAVE and SHUTDOWN (the state is in `crate::persistence`).

use super::is;
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;

pub fn save(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    if e.save_snapshot() {
        Ok(Reply::ok())
    } else {
        // Redis answers a failed SAVE with a bare `-ERR` (the cause goes to its log).
        Err(CmdError::Raw(b"ERR".to_vec()))
    }
}

/// `BGSAVE [SCHEDULE]`. The save happens before the reply (see
/// `crate::persistence`); a failure shows in INFO's `rdb_last_bgsave_status`,
/// as a failed child would.
pub fn bgsave(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    match argv.len() {
        1 => {}
        2 if is(&argv[1], "schedule") => {}
        _ => return Err(CmdError::Syntax),
    }
    e.save_snapshot();
    Ok(Reply::Status(
        if c.in_exec {
            // Inside EXEC Redis postpones the fork to its cron and says so.
            "Background saving scheduled"
        } else {
            "Background saving started"
        }
        .to_string(),
    ))
}

pub fn lastsave(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(e.last_save_s() as i64))
}

/// `SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]`: saves if asked to (SAVE) or
/// if `save` points are set (unless NOSAVE), then tells the host to stop. The
/// client gets no reply: its connection closes, as every other does. A failed
/// save stops the shutdown unless FORCE is given.
pub fn shutdown(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let (mut nosave, mut save, mut now, mut force, mut abort) = (false, false, false, false, false);
    for arg in &argv[1..] {
        if is(arg, "nosave") {
            nosave = true;
        } else if is(arg, "save") {
            save = true;
        } else if is(arg, "force") {
            force = true;
        } else if is(arg, "abort") {
            abort = true;
        } else if is(arg, "now") {
            // No replicas are ever waited for, so NOW changes nothing else.
            now = true;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    if (abort && (nosave || save || now || force)) || (nosave && save) {
        return Err(CmdError::Syntax);
    }
    if abort {
        // A shutdown here never waits for replicas, so none is ever pending.
        return Err(CmdError::err("No shutdown in progress."));
    }
    if (save || (!nosave && e.has_save_points())) && !e.save_snapshot() && !force {
        return Err(CmdError::err("Errors trying to SHUTDOWN. Check logs."));
    }
    e.persistence.shutdown = true;
    c.close_after_reply = true;
    Ok(Reply::Sequence(Vec::new()))
}
