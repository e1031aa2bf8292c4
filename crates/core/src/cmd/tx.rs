//! Transactions: MULTI, EXEC, DISCARD, WATCH and UNWATCH.
//!
//! Commands are queued on the client while MULTI is open (the dispatcher does the
//! queueing and flags EXECABORT when a command fails to queue). EXEC runs the queue
//! unless a WATCHed key was written, flushed or expired in the meantime.

use crate::engine::{resolve, Client, Engine, Exec};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;

pub fn multi(_e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    open_transaction(c)
}

/// MULTI's work, which touches the client alone (so a server can do it
/// while a script holds the engine).
pub(crate) fn open_transaction(c: &mut Client) -> CmdResult {
    if c.tx.is_some() {
        return Err(CmdError::err("MULTI calls can not be nested"));
    }
    c.tx = Some(Vec::new());
    c.tx_error = false;
    Ok(Reply::ok())
}

pub(crate) fn unwatch_all(e: &mut Engine, c: &mut Client) {
    let watched = std::mem::take(&mut c.watched);
    e.watch.unwatch_all(c.id, &watched);
}

/// The reply of an EXEC refused before it ran (rejectCommand's
/// execCommandAbort): the refusal, in EXECABORT's words.
pub(crate) fn exec_abort(refusal: &[u8]) -> Reply {
    let why = refusal.strip_prefix(b"ERR ").unwrap_or(refusal);
    let mut msg = b"EXECABORT Transaction discarded because of: ".to_vec();
    msg.extend_from_slice(why);
    Reply::Error(msg)
}

pub(crate) fn discard_tx(e: &mut Engine, c: &mut Client) {
    c.tx = None;
    c.tx_error = false;
    unwatch_all(e, c);
}

pub fn discard(e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    if c.tx.is_none() {
        return Err(CmdError::err("DISCARD without MULTI"));
    }
    discard_tx(e, c);
    Ok(Reply::ok())
}

/// A watched key that is logically expired now but was not when watched.
fn watched_key_expired(e: &Engine, c: &Client) -> bool {
    let now = e.now_ms();
    c.watched.iter().any(|(db, key, was_expired)| {
        !was_expired
            && e.dbs
                .get(*db)
                .and_then(|d| d.expire_at(key))
                .is_some_and(|at| at < now)
    })
}

pub fn exec(e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    let Some(queue) = c.tx.take() else {
        return Err(CmdError::err("EXEC without MULTI"));
    };
    let dirty = e.watch.dirty.contains(&c.id) || watched_key_expired(e, c);
    if c.tx_error {
        discard_tx(e, c);
        return Err(CmdError::Custom(
            "EXECABORT Transaction discarded because of previous errors.".to_string(),
        ));
    }
    if dirty {
        discard_tx(e, c);
        return Ok(Reply::NilArray);
    }
    unwatch_all(e, c);
    let mut replies = Vec::with_capacity(queue.len());
    c.in_exec = true;
    for argv in queue {
        let reply = match resolve(&argv) {
            Ok(spec) => match e.call(spec, c, argv, false) {
                Exec::Reply(r) => r,
                // call() neither parks nor postpones inside EXEC.
                Exec::Blocked | Exec::Postponed(_) => Reply::NilArray,
            },
            Err(err) => Reply::Error(err.into_bytes()),
        };
        replies.push(reply);
    }
    c.in_exec = false;
    Ok(Reply::Array(replies))
}

pub fn watch(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if c.tx.is_some() {
        return Err(CmdError::err("WATCH inside MULTI is not allowed"));
    }
    let now = e.now_ms();
    for key in &argv[1..] {
        if c.watched.iter().any(|(d, k, _)| *d == c.db && k == key) {
            continue;
        }
        let expired = e
            .dbs
            .get(c.db)
            .and_then(|d| d.expire_at(key))
            .is_some_and(|at| at < now);
        e.watch.watch(c.db, key, c.id);
        c.watched.push((c.db, key.clone(), expired));
    }
    Ok(Reply::ok())
}

pub fn unwatch(e: &mut Engine, c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    unwatch_all(e, c);
    Ok(Reply::ok())
}
