//! TTL commands: EXPIRE and friends with NX/XX/GT/LT, TTL/PTTL, EXPIRETIME and PERSIST.

use super::int_arg;
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::notify;
use crate::reply::Reply;

#[derive(Default)]
struct Cond {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

/// `parseExtendedExpireArgumentsOrReply`.
fn parse_cond(argv: &[Vec<u8>]) -> Result<Cond, CmdError> {
    let mut c = Cond::default();
    for a in &argv[3..] {
        match a.to_ascii_lowercase().as_slice() {
            b"nx" => c.nx = true,
            b"xx" => c.xx = true,
            b"gt" => c.gt = true,
            b"lt" => c.lt = true,
            _ => {
                return Err(CmdError::Custom(format!(
                    "ERR Unsupported option {}",
                    crate::engine::printable(a, usize::MAX)
                )))
            }
        }
    }
    if c.nx && (c.xx || c.gt || c.lt) {
        return Err(CmdError::err(
            "NX and XX, GT or LT options at the same time are not compatible",
        ));
    }
    if c.gt && c.lt {
        return Err(CmdError::err(
            "GT and LT options at the same time are not compatible",
        ));
    }
    Ok(c)
}

/// `expireGenericCommand`: `relative` adds now; `seconds` scales by 1000.
fn expire_generic(
    e: &mut Engine,
    cl: &mut Client,
    argv: Vec<Vec<u8>>,
    relative: bool,
    seconds: bool,
) -> CmdResult {
    let cond = parse_cond(&argv)?;
    let invalid = || {
        let name = argv[0].to_ascii_lowercase();
        CmdError::InvalidExpire(String::from_utf8_lossy(&name).into_owned())
    };
    let mut when = int_arg(&argv[2])?;
    if seconds {
        // Compare, then multiply: `checked_mul` is a 128-bit multiply call in wasm32.
        const LIMIT: i64 = i64::MAX / 1000;
        if !(-LIMIT..=LIMIT).contains(&when) {
            return Err(invalid());
        }
        when *= 1000;
    }
    if relative {
        when = when.checked_add(e.now_ms() as i64).ok_or_else(invalid)?;
    }
    let key = &argv[1];
    if !e.lookup_quiet(cl.db, key) {
        return Ok(Reply::Integer(0));
    }
    let current = e.db_mut(cl.db).expire_at(key).map(|v| v as i64);
    if (cond.nx && current.is_some())
        || (cond.xx && current.is_none())
        || (cond.gt && current.is_none_or(|cur| when <= cur))
        || (cond.lt && current.is_some_and(|cur| when >= cur))
    {
        return Ok(Reply::Integer(0));
    }
    let now = e.now_ms() as i64;
    let d = e.db_mut(cl.db);
    let event = if when <= now {
        d.remove(key);
        // A deadline in the past is a deletion for replicas too.
        let del = e.deletion_command("lazyfree-lazy-expire");
        e.propagate_as(|| crate::repl::args([del, key]));
        "del"
    } else {
        d.set_expire(key, when as u64);
        // Replicas get the absolute time: PEXPIREAT key ms (options kept).
        let pexpireat = !relative && !seconds;
        e.propagate_edit(|argv| {
            if !pexpireat {
                argv[0] = b"PEXPIREAT".to_vec();
                argv[2] = when.to_string().into_bytes();
            }
        });
        "expire"
    };
    e.notify(notify::GENERIC, event, key, cl.db);
    e.dirty();
    Ok(Reply::Integer(1))
}

pub fn expire(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    expire_generic(e, c, argv, true, true)
}

pub fn pexpire(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    expire_generic(e, c, argv, true, false)
}

pub fn expireat(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    expire_generic(e, c, argv, false, true)
}

pub fn pexpireat(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    expire_generic(e, c, argv, false, false)
}

/// `ttlGenericCommand`: -2 missing, -1 no TTL; seconds are rounded to nearest.
fn ttl_generic(e: &mut Engine, c: &mut Client, key: &[u8], ms: bool, absolute: bool) -> CmdResult {
    if e.lookup_read_notouch(c.db, key).is_none() {
        return Ok(Reply::Integer(-2));
    }
    let Some(at) = e.db_mut(c.db).expire_at(key) else {
        return Ok(Reply::Integer(-1));
    };
    let at = at as i64;
    let ttl = if absolute { at } else { at - e.now_ms() as i64 }.max(0);
    Ok(Reply::Integer(if ms { ttl } else { (ttl + 500) / 1000 }))
}

pub fn ttl(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    ttl_generic(e, c, &argv[1], false, false)
}

pub fn pttl(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    ttl_generic(e, c, &argv[1], true, false)
}

pub fn expiretime(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    ttl_generic(e, c, &argv[1], false, true)
}

pub fn pexpiretime(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    ttl_generic(e, c, &argv[1], true, true)
}

pub fn persist(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if !e.lookup_quiet(c.db, &argv[1]) {
        return Ok(Reply::Integer(0));
    }
    let removed = e.db_mut(c.db).persist(&argv[1]);
    if removed {
        e.notify(notify::GENERIC, "persist", &argv[1], c.db);
        e.dirty();
    }
    Ok(Reply::Integer(i64::from(removed)))
}
