//! Bit operations on strings: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, and BITFIELD
//! with BITFIELD_RO.
//!
//! Bit 0 is the most significant bit of the first byte, and a string reads as if
//! followed by endless zero bytes; writing past its end pads it with zeros.

use super::{int_arg, is};
use crate::bytes::Bytes;
use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::notify;
use crate::reply::Reply;
use crate::value::{Str, StrOrigin, Value};

/// `getBitOffsetFromArgument`: a bit offset whose byte fits proto-max-bulk-len.
fn bit_offset(e: &Engine, arg: &[u8]) -> Result<u64, CmdError> {
    field_offset(e, arg, None)
}

/// BITFIELD's offsets: a bit offset as [`bit_offset`], or with `field_bits`,
/// also `#N` for the Nth field of that many bits.
fn field_offset(e: &Engine, arg: &[u8], field_bits: Option<u32>) -> Result<u64, CmdError> {
    let bad = || CmdError::err("bit offset is not an integer or out of range");
    let (times, digits) = match (arg.split_first(), field_bits) {
        (Some((b'#', rest)), Some(bits)) => (i64::from(bits), rest),
        _ => (1, arg),
    };
    let v = crate::num::parse_i64(digits)
        .ok_or_else(bad)?
        .wrapping_mul(times);
    if v < 0 || (v as u64 >> 3) >= e.config.proto_max_bulk_len as u64 {
        return Err(bad());
    }
    Ok(v as u64)
}

/// Redis's `lookupStringForBitCommand`: the string at `key`, created or padded with
/// zero bytes to at least `len` bytes, marked raw; and whether it was created or
/// grew (which makes the command a write even if no bit changes).
fn string_for_bits<'a>(
    e: &'a mut Engine,
    db: usize,
    key: &[u8],
    len: usize,
) -> Result<(&'a mut Str, bool), CmdError> {
    let now = e.now_ms();
    let created = match e.lookup_write(db, key) {
        Some(Value::Str(_)) => false,
        Some(_) => return Err(CmdError::WrongType),
        None => {
            let empty = Value::Str(Str {
                bytes: Bytes::default(),
                origin: StrOrigin::Raw,
            });
            e.db_mut(db).insert(key, empty, now);
            true
        }
    };
    let Some(Value::Str(s)) = e.db_mut(db).get_mut(key) else {
        return Err(CmdError::WrongType);
    };
    let grew = s.bytes.len() < len;
    if grew {
        s.bytes.to_mut().resize(len, 0);
    }
    s.origin = StrOrigin::Raw;
    Ok((s, created || grew))
}

pub fn setbit(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let offset = bit_offset(e, &argv[2])?;
    let bad_bit = || CmdError::err("bit is not an integer or out of range");
    let on = crate::num::parse_i64(&argv[3]).ok_or_else(bad_bit)?;
    if on & !1 != 0 {
        return Err(bad_bit());
    }
    let byte = (offset >> 3) as usize;
    let (s, grown) = string_for_bits(e, c.db, &argv[1], byte + 1)?;
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

/// The range rules of BITCOUNT and BITPOS: negative indexes count back from `total`
/// (bytes or bits), then both ends are clamped to `0..total` (an empty range has
/// start > end).
fn clamp_range(mut start: i64, mut end: i64, total: i64) -> (i64, i64) {
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
    (start, end)
}

pub fn bitcount(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let bytes = match e.lookup_read(c.db, &argv[1]) {
        None => return Ok(Reply::Integer(0)),
        Some(Value::Str(s)) => s.bytes.as_bytes(),
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
            (start, end) = clamp_range(start, end, total);
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

/// The first bit equal to `bit` in `bytes`, which are read as if followed by zero
/// bytes: -1 when looking for a 1 in all-zero bytes, `8 * len` when looking for a 0
/// in all-one bytes (Redis's `redisBitpos`).
fn first_bit(bytes: &[u8], bit: bool) -> i64 {
    let skip = if bit { 0 } else { 0xff };
    match bytes.iter().position(|&b| b != skip) {
        Some(i) => {
            let b = bytes[i];
            let within = if bit {
                b.leading_zeros()
            } else {
                (!b).leading_zeros()
            };
            (i as i64) * 8 + i64::from(within)
        }
        None if bit => -1,
        None => bytes.len() as i64 * 8,
    }
}

/// BITPOS key bit [start [end [BYTE|BIT]]]
pub fn bitpos(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    let bit = int_arg(&argv[2])?;
    if bit != 0 && bit != 1 {
        return Err(CmdError::err("The bit argument must be 1 or 0."));
    }
    let bit = bit == 1;
    // A missing key is an endless run of zeros.
    let bytes = match e.lookup_read(c.db, &argv[1]) {
        None => return Ok(Reply::Integer(if bit { -1 } else { 0 })),
        Some(Value::Str(s)) => s.bytes.as_bytes(),
        Some(_) => return Err(CmdError::WrongType),
    };
    let strlen = bytes.len() as i64;
    // The range in bits, inclusive, and whether the caller gave its end.
    let (first, last, end_given) = match argv.len() {
        3 => (0, strlen * 8 - 1, false),
        4..=6 => {
            let mut start = int_arg(&argv[3])?;
            let isbit = match argv.get(5) {
                None => false,
                Some(a) if is(a, "bit") => true,
                Some(a) if is(a, "byte") => false,
                Some(_) => return Err(CmdError::Syntax),
            };
            let mut end = match argv.get(4) {
                Some(a) => int_arg(a)?,
                None => strlen - 1,
            };
            let total = if isbit { strlen * 8 } else { strlen };
            (start, end) = clamp_range(start, end, total);
            if start > end {
                return Ok(Reply::Integer(-1));
            }
            if isbit {
                (start, end, true)
            } else {
                (start * 8, end * 8 + 7, argv.len() >= 5)
            }
        }
        _ => return Err(CmdError::Syntax),
    };
    if first > last {
        return Ok(Reply::Integer(-1));
    }
    // Whole bytes between the partial ones at either edge.
    let at = |i: i64| -> bool { bytes[(i >> 3) as usize] & (0x80 >> (i & 7)) != 0 };
    let mut i = first;
    while i <= last && i & 7 != 0 {
        if at(i) == bit {
            return Ok(Reply::Integer(i));
        }
        i += 1;
    }
    let whole_end = (last + 1) & !7;
    if i < whole_end {
        let pos = first_bit(&bytes[(i >> 3) as usize..(whole_end >> 3) as usize], bit);
        if pos >= 0 && pos < whole_end - i {
            return Ok(Reply::Integer(i + pos));
        }
        i = whole_end;
    }
    while i <= last {
        if at(i) == bit {
            return Ok(Reply::Integer(i));
        }
        i += 1;
    }
    // Not found. Past an implicit end the string continues with zero bits, so a 0
    // is found right after it.
    Ok(Reply::Integer(if !bit && !end_given {
        last + 1
    } else {
        -1
    }))
}

/// BITOP AND|OR|XOR|NOT destkey key [key ...]
pub fn bitop(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    #[derive(Clone, Copy, PartialEq)]
    enum Op {
        And,
        Or,
        Xor,
        Not,
    }
    let op = match &argv[1] {
        a if is(a, "and") => Op::And,
        a if is(a, "or") => Op::Or,
        a if is(a, "xor") => Op::Xor,
        a if is(a, "not") => Op::Not,
        _ => return Err(CmdError::Syntax),
    };
    if op == Op::Not && argv.len() != 4 {
        return Err(CmdError::err(
            "BITOP NOT must be called with a single source key.",
        ));
    }
    let mut sources: Vec<Vec<u8>> = Vec::with_capacity(argv.len() - 3);
    for key in &argv[3..] {
        match e.lookup_read(c.db, key) {
            None => sources.push(Vec::new()),
            Some(Value::Str(s)) => sources.push(s.bytes.to_vec()),
            Some(_) => return Err(CmdError::WrongType),
        }
    }
    let maxlen = sources.iter().map(Vec::len).max().unwrap_or(0);
    let byte = |src: &Vec<u8>, j: usize| src.get(j).copied().unwrap_or(0);
    let mut out = vec![0u8; maxlen];
    for (j, o) in out.iter_mut().enumerate() {
        let mut v = byte(&sources[0], j);
        for src in &sources[1..] {
            match op {
                Op::And => v &= byte(src, j),
                Op::Or => v |= byte(src, j),
                Op::Xor => v ^= byte(src, j),
                Op::Not => {}
            }
        }
        *o = if op == Op::Not { !v } else { v };
    }
    let dest = &argv[2];
    if maxlen > 0 {
        let now = e.now_ms();
        let value = Value::Str(Str {
            bytes: Bytes::from(out),
            origin: StrOrigin::Raw,
        });
        e.db_mut(c.db).set(dest, value, now);
        e.signal_key(c.db, dest);
        e.notify(notify::STRING, "set", dest, c.db);
    } else if e.db_mut(c.db).remove(dest).is_some() {
        e.signal_key(c.db, dest);
        e.notify(notify::GENERIC, "del", dest, c.db);
    }
    Ok(Reply::Integer(maxlen as i64))
}

/// What BITFIELD does when a value does not fit its type.
#[derive(Clone, Copy, PartialEq)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

#[derive(Clone, Copy, PartialEq)]
enum FieldOp {
    Get,
    Set(i64),
    IncrBy(i64),
}

/// One parsed BITFIELD operation.
struct Field {
    op: FieldOp,
    signed: bool,
    bits: u32,
    offset: u64,
    overflow: Overflow,
}

/// `i1`..`i64` or `u1`..`u63` (Redis's `getBitfieldTypeFromArgument`).
fn field_type(arg: &[u8]) -> Result<(bool, u32), CmdError> {
    let bad = || {
        CmdError::err(
            "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
        )
    };
    let signed = match arg.first() {
        Some(b'i') => true,
        Some(b'u') => false,
        _ => return Err(bad()),
    };
    let bits = crate::num::parse_i64(&arg[1..]).ok_or_else(bad)?;
    let max = if signed { 64 } else { 63 };
    if !(1..=max).contains(&bits) {
        return Err(bad());
    }
    Ok((signed, bits as u32))
}

/// Reads `bits` bits at bit `offset` as an unsigned number; bits past the end of
/// `bytes` read as 0.
fn get_bits(bytes: &[u8], offset: u64, bits: u32) -> u64 {
    let mut v = 0u64;
    for j in 0..u64::from(bits) {
        let pos = offset + j;
        let bit = usize::try_from(pos >> 3)
            .ok()
            .and_then(|i| bytes.get(i))
            .is_some_and(|b| b & (0x80 >> (pos & 7)) != 0);
        v = (v << 1) | u64::from(bit);
    }
    v
}

/// Writes the low `bits` bits of `value` at bit `offset` (the bytes are long enough).
fn set_bits(bytes: &mut [u8], offset: u64, bits: u32, value: u64) {
    for j in 0..u64::from(bits) {
        let pos = offset + j;
        let on = value & (1u64 << (u64::from(bits) - 1 - j)) != 0;
        if let Some(b) = usize::try_from(pos >> 3)
            .ok()
            .and_then(|i| bytes.get_mut(i))
        {
            let mask = 0x80 >> (pos & 7);
            if on {
                *b |= mask;
            } else {
                *b &= !mask;
            }
        }
    }
}

/// Sign-extends a `bits`-bit two's complement number.
fn signed_of(raw: u64, bits: u32) -> i64 {
    if bits < 64 && raw & (1u64 << (bits - 1)) != 0 {
        (raw | (u64::MAX << bits)) as i64
    } else {
        raw as i64
    }
}

/// `value + incr` in an unsigned field of `bits` bits: the result, or None when it
/// overflows under FAIL (Redis's `checkUnsignedBitfieldOverflow`).
fn unsigned_add(value: u64, incr: i64, bits: u32, overflow: Overflow) -> Option<u64> {
    let max = (1u64 << bits) - 1;
    let wrapped = value.wrapping_add(incr as u64) & max;
    let max_incr = max.wrapping_sub(value) as i64;
    let min_incr = value.wrapping_neg() as i64;
    let limit = if value > max || (incr > 0 && incr > max_incr) {
        max
    } else if incr < 0 && incr < min_incr {
        0
    } else {
        return Some(value.wrapping_add(incr as u64));
    };
    match overflow {
        Overflow::Wrap => Some(wrapped),
        Overflow::Sat => Some(limit),
        Overflow::Fail => None,
    }
}

/// `value + incr` in a signed field of `bits` bits, as [`unsigned_add`]
/// (Redis's `checkSignedBitfieldOverflow`).
fn signed_add(value: i64, incr: i64, bits: u32, overflow: Overflow) -> Option<i64> {
    let max = if bits == 64 {
        i64::MAX
    } else {
        (1i64 << (bits - 1)) - 1
    };
    let min = -max - 1;
    let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
    let min_incr = min.wrapping_sub(value);
    let limit = if value > max
        || (bits != 64 && incr > max_incr)
        || (value >= 0 && incr > 0 && incr > max_incr)
    {
        max
    } else if value < min
        || (bits != 64 && incr < min_incr)
        || (value < 0 && incr < 0 && incr < min_incr)
    {
        min
    } else {
        return Some(value.wrapping_add(incr));
    };
    match overflow {
        Overflow::Wrap => {
            let sum = (value as u64).wrapping_add(incr as u64);
            let wrapped = if bits < 64 {
                signed_of(sum & ((1u64 << bits) - 1), bits)
            } else {
                sum as i64
            };
            Some(wrapped)
        }
        Overflow::Sat => Some(limit),
        Overflow::Fail => None,
    }
}

/// BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset
/// increment] [OVERFLOW WRAP|SAT|FAIL] ...
pub fn bitfield(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    bitfield_generic(e, c, &argv, false)
}

/// BITFIELD_RO key [GET type offset ...]
pub fn bitfield_ro(e: &mut Engine, c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    bitfield_generic(e, c, &argv, true)
}

fn bitfield_generic(
    e: &mut Engine,
    c: &mut Client,
    argv: &[Vec<u8>],
    read_only: bool,
) -> CmdResult {
    // Parse everything first: an error anywhere means nothing runs.
    let mut fields: Vec<Field> = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut highest_write: Option<u64> = None;
    let mut j = 2;
    while j < argv.len() {
        let more = argv.len() - j - 1;
        let sub = &argv[j];
        let takes_value = if is(sub, "get") && more >= 2 {
            false
        } else if (is(sub, "set") || is(sub, "incrby")) && more >= 3 {
            true
        } else if is(sub, "overflow") && more >= 1 {
            let kind = &argv[j + 1];
            overflow = if is(kind, "wrap") {
                Overflow::Wrap
            } else if is(kind, "sat") {
                Overflow::Sat
            } else if is(kind, "fail") {
                Overflow::Fail
            } else {
                return Err(CmdError::err("Invalid OVERFLOW type specified"));
            };
            j += 2;
            continue;
        } else {
            return Err(CmdError::Syntax);
        };
        let (signed, bits) = field_type(&argv[j + 1])?;
        let offset = field_offset(e, &argv[j + 2], Some(bits))?;
        let op = if takes_value {
            let last = offset + u64::from(bits) - 1;
            highest_write = Some(highest_write.map_or(last, |h| h.max(last)));
            let v = int_arg(&argv[j + 3])?;
            if is(sub, "set") {
                FieldOp::Set(v)
            } else {
                FieldOp::IncrBy(v)
            }
        } else {
            FieldOp::Get
        };
        fields.push(Field {
            op,
            signed,
            bits,
            offset,
            overflow,
        });
        j += if takes_value { 4 } else { 3 };
    }

    let Some(highest) = highest_write else {
        // Only GETs: read without creating anything.
        let bytes = match e.lookup_read(c.db, &argv[1]) {
            None => &[][..],
            Some(Value::Str(s)) => s.bytes.as_bytes(),
            Some(_) => return Err(CmdError::WrongType),
        };
        let replies = fields
            .iter()
            .map(|f| {
                let raw = get_bits(bytes, f.offset, f.bits);
                Reply::Integer(if f.signed {
                    signed_of(raw, f.bits)
                } else {
                    raw as i64
                })
            })
            .collect();
        return Ok(Reply::Array(replies));
    };
    if read_only {
        return Err(CmdError::err(
            "BITFIELD_RO only supports the GET subcommand",
        ));
    }

    // Make room up to the farthest bit written, as SETBIT does.
    let len = usize::try_from(highest >> 3)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let (s, grown) = string_for_bits(e, c.db, &argv[1], len)?;
    let bytes = s.bytes.to_mut();
    let mut changes = 0u64;
    let mut replies = Vec::with_capacity(fields.len());
    for f in &fields {
        let raw = get_bits(bytes, f.offset, f.bits);
        let (incr, set) = match f.op {
            FieldOp::Get => {
                replies.push(Reply::Integer(if f.signed {
                    signed_of(raw, f.bits)
                } else {
                    raw as i64
                }));
                continue;
            }
            FieldOp::Set(v) => (0, Some(v)),
            FieldOp::IncrBy(v) => (v, None),
        };
        // (the reply, the bits to store) or None when FAIL stops the write.
        let outcome = if f.signed {
            let old = signed_of(raw, f.bits);
            match set {
                Some(v) => signed_add(v, 0, f.bits, f.overflow).map(|new| (old, new as u64)),
                None => signed_add(old, incr, f.bits, f.overflow).map(|new| (new, new as u64)),
            }
        } else {
            match set {
                Some(v) => {
                    unsigned_add(v as u64, 0, f.bits, f.overflow).map(|new| (raw as i64, new))
                }
                None => unsigned_add(raw, incr, f.bits, f.overflow).map(|new| (new as i64, new)),
            }
        };
        match outcome {
            Some((reply, new)) => {
                let mask = if f.bits == 64 {
                    u64::MAX
                } else {
                    (1u64 << f.bits) - 1
                };
                set_bits(bytes, f.offset, f.bits, new);
                if grown || raw != new & mask {
                    changes += 1;
                }
                replies.push(Reply::Integer(reply));
            }
            None => replies.push(Reply::Nil),
        }
    }
    if changes > 0 {
        e.signal_key(c.db, &argv[1]);
        e.notify(notify::STRING, "setbit", &argv[1], c.db);
        for _ in 1..changes {
            e.dirty();
        }
    }
    Ok(Reply::Array(replies))
}
