//! Bit operations on strings: SETBIT, GETBIT and BITCOUNT.

use super::{int_arg, is};
use crate::bytes::Bytes;
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::notify;
use crate::reply::Reply;
use crate::value::{Str, StrOrigin, Value};

/// `getBitOffsetFromArgument`: a bit offset whose byte fits proto-max-bulk-len.
fn bit_offset(e: &Engine, arg: &[u8]) -> Result<u64, CmdError> {
    let bad = || CmdError::err("bit offset is not an integer or out of range");
    let v = crate::num::parse_i64(arg).ok_or_else(bad)?;
    if v < 0 || (v as u64 >> 3) >= e.config.proto_max_bulk_len as u64 {
        return Err(bad());
    }
    Ok(v as u64)
}

pub fn setbit(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let offset = bit_offset(e, &argv[2])?;
    let bad_bit = || CmdError::err("bit is not an integer or out of range");
    let on = crate::num::parse_i64(&argv[3]).ok_or_else(bad_bit)?;
    if on & !1 != 0 {
        return Err(bad_bit());
    }
    let byte = (offset >> 3) as usize;
    let now = e.now_ms();
    let mut grown = false;
    let s = match e.lookup_write(c.db, &argv[1]) {
        Some(Value::Str(s)) => s,
        Some(_) => return Err(CmdError::WrongType),
        None => {
            grown = true;
            e.db_mut(c.db).insert(
                argv[1].clone(),
                Value::Str(Str {
                    bytes: Bytes::default(),
                    origin: StrOrigin::Raw,
                }),
                now,
            );
            match e.db_mut(c.db).get_mut(&argv[1]) {
                Some(Value::Str(s)) => s,
                _ => return Err(CmdError::WrongType),
            }
        }
    };
    let grew = s.bytes.len() < byte + 1;
    if grew {
        s.bytes.to_mut().resize(byte + 1, 0);
        grown = true;
    }
    s.origin = StrOrigin::Raw;
    let mask = 1u8 << (7 - (offset & 7));
    let old = s.bytes[byte] & mask != 0;
    if on == 1 {
        s.bytes[byte] |= mask;
    } else {
        s.bytes[byte] &= !mask;
    }
    // Only a change is a write (replicated, signalled, notified), as in Redis.
    if grown || old != (on == 1) {
        e.signal_key(c.db, &argv[1]);
        e.notify(notify::STRING, "setbit", &argv[1], c.db);
    }
    Ok(Reply::Integer(i64::from(old)))
}

pub fn getbit(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let offset = bit_offset(e, &argv[2])?;
    let s = match e.lookup_read(c.db, &argv[1]) {
        None => return Ok(Reply::Integer(0)),
        Some(Value::Str(s)) => s,
        Some(_) => return Err(CmdError::WrongType),
    };
    let byte = (offset >> 3) as usize;
    let bit = s
        .bytes
        .get(byte)
        .is_some_and(|b| b & (1u8 << (7 - (offset & 7))) != 0);
    Ok(Reply::Integer(i64::from(bit)))
}

pub fn bitcount(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let bytes = match e.lookup_read(c.db, &argv[1]) {
        None => return Ok(Reply::Integer(0)),
        Some(Value::Str(s)) => s.bytes.to_vec(),
        Some(_) => return Err(CmdError::WrongType),
    };
    let strlen = bytes.len() as i64;
    let (mut first_mask, mut last_mask) = (0u8, 0u8);
    let (start, end) = match argv.len() {
        2 => (0, strlen - 1),
        4 | 5 => {
            let mut start = int_arg(&argv[2])?;
            let mut end = int_arg(&argv[3])?;
            let isbit = match argv.get(4) {
                None => false,
                Some(a) if is(a, "bit") => true,
                Some(a) if is(a, "byte") => false,
                Some(_) => return Err(CmdError::Syntax),
            };
            let total = if isbit { strlen << 3 } else { strlen };
            if start < 0 && end < 0 && start > end {
                return Ok(Reply::Integer(0));
            }
            if start < 0 {
                start = start.saturating_add(total);
            }
            if end < 0 {
                end = end.saturating_add(total);
            }
            start = start.max(0);
            end = end.max(0);
            if end >= total {
                end = total - 1;
            }
            if isbit && start <= end {
                first_mask = !((1u16 << (8 - (start & 7))) - 1) as u8;
                last_mask = ((1u16 << (7 - (end & 7))) - 1) as u8;
                start >>= 3;
                end >>= 3;
            }
            (start, end)
        }
        _ => return Err(CmdError::Syntax),
    };
    if start > end || start < 0 || end < 0 {
        return Ok(Reply::Integer(0));
    }
    let (s, t) = (start as usize, end as usize);
    let mut count: i64 = bytes[s..=t].iter().map(|b| i64::from(b.count_ones())).sum();
    if first_mask != 0 {
        count -= i64::from((bytes[s] & first_mask).count_ones());
    }
    if last_mask != 0 {
        count -= i64::from((bytes[t] & last_mask).count_ones());
    }
    Ok(Reply::Integer(count))
}
