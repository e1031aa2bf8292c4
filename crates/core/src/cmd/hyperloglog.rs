//! HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, and the PFDEBUG and PFSELFTEST
//! internals. The sketch is a string value (see [`crate::types::hll`]), so GET,
//! SET, DUMP and the rest work on it as on any string.

use super::is;
use crate::bytes::Bytes;
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::notify;
use crate::reply::Reply;
use crate::types::hll::{self, Corrupt};
use crate::value::{Str, StrOrigin, Value};

fn not_hll() -> CmdError {
    CmdError::Custom("WRONGTYPE Key is not a valid HyperLogLog string value.".into())
}

fn corrupt(_: Corrupt) -> CmdError {
    CmdError::Custom("INVALIDOBJ Corrupted HLL object detected".into())
}

/// The bytes of an HLL value: WRONGTYPE for another type or a string that is not
/// an HLL (Redis's `isHLLObjectOrReply`).
fn hll_bytes(value: &Value) -> Result<&[u8], CmdError> {
    match value {
        Value::Str(s) if hll::is_hll(&s.bytes) => Ok(s.bytes.as_bytes()),
        Value::Str(_) => Err(not_hll()),
        _ => Err(CmdError::WrongType),
    }
}

/// The HLL at `key` to change in place (checked), or None if the key is missing.
fn hll_mut<'a>(
    e: &'a mut Engine,
    db: usize,
    key: &[u8],
) -> Result<Option<&'a mut Vec<u8>>, CmdError> {
    match e.db_mut(db).get_mut(key) {
        None => Ok(None),
        Some(Value::Str(s)) if hll::is_hll(&s.bytes) => {
            // Redis's dbUnshareStringValue: a changed HLL is a raw string.
            s.origin = StrOrigin::Raw;
            Ok(Some(s.bytes.to_mut()))
        }
        Some(Value::Str(_)) => Err(not_hll()),
        Some(_) => Err(CmdError::WrongType),
    }
}

fn new_hll_value() -> Value {
    Value::Str(Str {
        bytes: Bytes::from(hll::new_sparse()),
        origin: StrOrigin::Raw,
    })
}

/// PFADD key [element ...]
pub fn pfadd(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let max_bytes = e.limits().hll_sparse_max_bytes;
    let mut updated = 0u64;
    match e.lookup_write(c.db, &argv[1]) {
        None => {
            let now = e.now_ms();
            e.db_mut(c.db).insert(&argv[1], new_hll_value(), now);
            updated += 1;
        }
        Some(v) => {
            hll_bytes(v)?;
        }
    }
    let Some(bytes) = hll_mut(e, c.db, &argv[1])? else {
        return Err(corrupt(Corrupt));
    };
    for element in &argv[2..] {
        if hll::add(bytes, element, max_bytes).map_err(corrupt)? {
            updated += 1;
        }
    }
    if updated > 0 {
        hll::invalidate_cache(bytes);
        e.signal_key(c.db, &argv[1]);
        for _ in 1..updated {
            e.dirty();
        }
        e.notify(notify::STRING, "pfadd", &argv[1], c.db);
    }
    Ok(Reply::Integer(i64::from(updated > 0)))
}

/// PFCOUNT key [key ...]
pub fn pfcount(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() > 2 {
        // The cardinality of the union, without touching any key.
        let mut max = vec![0u8; hll::REGISTERS];
        for key in &argv[1..] {
            if let Some(v) = e.lookup_read(c.db, key) {
                hll::merge_into(&mut max, hll_bytes(v)?).map_err(corrupt)?;
            }
        }
        return Ok(Reply::Integer(hll::count_registers(&max) as i64));
    }
    match e.lookup_read(c.db, &argv[1]) {
        None => return Ok(Reply::Integer(0)),
        Some(v) => {
            hll_bytes(v)?;
        }
    }
    let Some(bytes) = hll_mut(e, c.db, &argv[1])? else {
        return Ok(Reply::Integer(0));
    };
    if let Some(card) = hll::cached_count(bytes) {
        return Ok(Reply::Integer(card as i64));
    }
    // Recompute and cache: the value changes, so this is a write as in Redis.
    let card = hll::count(bytes).map_err(corrupt)?;
    hll::set_cached_count(bytes, card);
    e.signal_key(c.db, &argv[1]);
    Ok(Reply::Integer(card as i64))
}

/// PFMERGE destkey [sourcekey ...]
pub fn pfmerge(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let max_bytes = e.limits().hll_sparse_max_bytes;
    let mut max = vec![0u8; hll::REGISTERS];
    let mut dense = false;
    // The destination is one of the inputs too.
    for key in &argv[1..] {
        if let Some(v) = e.lookup_read(c.db, key) {
            let bytes = hll_bytes(v)?;
            dense |= !hll::is_sparse(bytes);
            hll::merge_into(&mut max, bytes).map_err(corrupt)?;
        }
    }
    if e.lookup_write(c.db, &argv[1]).is_none() {
        let now = e.now_ms();
        e.db_mut(c.db).insert(&argv[1], new_hll_value(), now);
    }
    let Some(bytes) = hll_mut(e, c.db, &argv[1])? else {
        return Err(corrupt(Corrupt));
    };
    if dense {
        hll::to_dense(bytes).map_err(corrupt)?;
    }
    for (i, &m) in max.iter().enumerate() {
        if m != 0 {
            // As in Redis, a sparse destination that turns out corrupt is left as is.
            let _ = hll::raise(bytes, i, m, max_bytes);
        }
    }
    hll::invalidate_cache(bytes);
    e.signal_key(c.db, &argv[1]);
    e.notify(notify::STRING, "pfadd", &argv[1], c.db);
    Ok(Reply::ok())
}

/// PFDEBUG GETREG|DECODE|ENCODING|TODENSE key
pub fn pfdebug(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let Some(v) = e.lookup_write(c.db, &argv[2]) else {
        return Err(CmdError::err("The specified key does not exist"));
    };
    hll_bytes(v)?;
    let Some(bytes) = hll_mut(e, c.db, &argv[2])? else {
        return Err(CmdError::err("The specified key does not exist"));
    };
    let sub = &argv[1];
    if is(sub, "getreg") {
        let converted = hll::is_sparse(bytes);
        hll::to_dense(bytes).map_err(corrupt)?;
        let regs = hll::registers(bytes);
        if converted {
            e.dirty();
        }
        Ok(Reply::Array(
            regs.into_iter()
                .map(|r| Reply::Integer(i64::from(r)))
                .collect(),
        ))
    } else if is(sub, "decode") {
        if !hll::is_sparse(bytes) {
            return Err(CmdError::err("HLL encoding is not sparse"));
        }
        Ok(Reply::bulk(hll::decode(bytes).map_err(corrupt)?))
    } else if is(sub, "encoding") {
        Ok(Reply::Status(
            if hll::is_sparse(bytes) {
                "sparse"
            } else {
                "dense"
            }
            .into(),
        ))
    } else if is(sub, "todense") {
        let converted = hll::is_sparse(bytes);
        hll::to_dense(bytes).map_err(corrupt)?;
        if converted {
            e.dirty();
        }
        Ok(Reply::Integer(i64::from(converted)))
    } else {
        Err(CmdError::err(format!(
            "Unknown PFDEBUG subcommand '{}'",
            String::from_utf8_lossy(sub)
        )))
    }
}

/// PFSELFTEST
pub fn pfselftest(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    let max_bytes = e.limits().hll_sparse_max_bytes;
    let random = || e.random_below(usize::MAX) as u64;
    match hll::self_test(random, 10_000_000, max_bytes) {
        Ok(()) => Ok(Reply::ok()),
        Err(why) => Err(CmdError::err(why)),
    }
}
