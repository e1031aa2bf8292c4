//! Blocking pops: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX and
//! BZMPOP. Each tries its non-blocking form first; when there is nothing to take it
//! returns `CmdError::WouldBlock`, and the engine parks the client until a write
//! signals one of its keys or its timeout (on the engine's clock) passes.

use super::float_arg_msg;
use super::list::{self, End};
use super::zset;
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::repl::args;
use crate::reply::Reply;
use crate::value::Value;

/// `getTimeoutFromObjectOrReply` in seconds: the absolute deadline, None for 0.
fn timeout(e: &Engine, arg: &[u8]) -> Result<Option<u64>, CmdError> {
    let secs = float_arg_msg(arg, "timeout is not a float or out of range")?;
    // Rounded up: 0.0001 s waits 1 ms, it does not mean "for ever".
    let ms = (secs * 1000.0).ceil() as i64;
    if ms < 0 {
        return Err(CmdError::err("timeout is negative"));
    }
    if ms == 0 {
        return Ok(None);
    }
    let now = e.now_ms() as i64;
    if ms > i64::MAX - now {
        return Err(CmdError::err("timeout is out of range"));
    }
    Ok(Some((ms + now) as u64))
}

fn block(keys: Vec<Vec<u8>>, deadline_ms: Option<u64>, nil_reply: Reply) -> CmdError {
    CmdError::WouldBlock {
        keys,
        deadline_ms,
        nil_reply,
        rewritten: None,
    }
}

fn bpop(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>, end: End) -> CmdResult {
    let last = argv.len() - 1;
    let deadline = timeout(e, &argv[last])?;
    for key in &argv[1..last] {
        if list::write_list(e, c.db, key)?.is_some() {
            let v = list::pop_many(e, c.db, key, end, 1);
            if let Some(v) = v.into_iter().next() {
                // Replicated as the plain pop.
                e.propagate_as(|| args([end.pop_command(), key]));
                return Ok(Reply::Array(vec![Reply::bulk(&key[..]), Reply::bulk(v)]));
            }
        }
    }
    Err(block(argv[1..last].to_vec(), deadline, Reply::NilArray))
}

pub fn blpop(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    bpop(e, c, argv, End::Left)
}

pub fn brpop(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    bpop(e, c, argv, End::Right)
}

fn bmove(
    e: &mut Engine,
    c: &mut Client,
    argv: &[Vec<u8>],
    from: End,
    to: End,
    timeout_arg: &[u8],
) -> CmdResult {
    let deadline = timeout(e, timeout_arg)?;
    if list::write_list(e, c.db, &argv[1])?.is_some() {
        list::write_list(e, c.db, &argv[2])?;
        if let Some(v) = list::move_element(e, c.db, &argv[1], &argv[2], from, to)? {
            // Replicated as LMOVE (with the sides as given, or as Redis names them
            // when it serves a blocked client) or RPOPLPUSH.
            let served = e.repl.serving_blocked;
            e.propagate_as(|| {
                if argv.len() == 4 {
                    args([b"RPOPLPUSH", &argv[1], &argv[2]])
                } else if served {
                    args([b"LMOVE", &argv[1], &argv[2], from.word(), to.word()])
                } else {
                    args([b"LMOVE", &argv[1], &argv[2], &argv[3], &argv[4]])
                }
            });
            return Ok(Reply::bulk(v));
        }
    }
    Err(block(vec![argv[1].clone()], deadline, Reply::Nil))
}

pub fn blmove(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let from = list::parse_end(&argv[3])?;
    let to = list::parse_end(&argv[4])?;
    bmove(e, c, &argv, from, to, &argv[5])
}

pub fn brpoplpush(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    bmove(e, c, &argv, End::Right, End::Left, &argv[3])
}

pub fn blmpop(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let deadline = timeout(e, &argv[1])?;
    let args = list::parse_lmpop(&argv, 2)?;
    match list::mpop(e, c.db, &args)? {
        Some(r) => Ok(r),
        None => Err(block(args.keys, deadline, Reply::NilArray)),
    }
}

fn bzpop(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>, max: bool) -> CmdResult {
    let last = argv.len() - 1;
    let deadline = timeout(e, &argv[last])?;
    for key in &argv[1..last] {
        match e.lookup_write(c.db, key) {
            None => continue,
            Some(Value::ZSet(_)) => {}
            Some(_) => return Err(CmdError::WrongType),
        }
        if let Some((m, s)) = zset::pop_from(e, c.db, key, max, 1).into_iter().next() {
            e.propagate_as(|| args([zset::pop_command(max), key]));
            return Ok(Reply::Array(vec![
                Reply::bulk(&key[..]),
                Reply::bulk(m),
                Reply::Double(s),
            ]));
        }
    }
    Err(block(argv[1..last].to_vec(), deadline, Reply::NilArray))
}

pub fn bzpopmin(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    bzpop(e, c, argv, false)
}

pub fn bzpopmax(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    bzpop(e, c, argv, true)
}

pub fn bzmpop(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let deadline = timeout(e, &argv[1])?;
    let args = zset::parse_zmpop(&argv, 2)?;
    match zset::zmpop_from(e, c.db, &args)? {
        Some(r) => Ok(r),
        None => Err(block(args.keys, deadline, Reply::NilArray)),
    }
}
