//! Conversions between replies and Lua values, both ways, as Redis 7.0
//! makes them (`redisProtocolToLuaType`, `luaReplyToRedisReply`).
//!
//! A script's commands reply in RESP2 unless it calls `redis.setresp(3)`.
//! Then RESP3's shapes reach Lua as tables with one field naming the type
//! (`map`, `set`, `double`, `big_number`, `verbatim_string`), null is nil
//! and booleans are booleans. The same fields in a script's result make
//! the RESP3 reply, whatever the script's protocol; only a boolean result
//! depends on it.

use super::*;

/// How deep a reply may nest before the conversion gives up with Redis's
/// "reached lua stack limit" (a table that contains itself). Redis stops
/// near 8000 levels; this stays well inside what every consumer of a reply
/// (encoders, the console's formatter, drops) can recurse through.
const MAX_REPLY_DEPTH: usize = 1000;

/// A Lua value as the reply EVAL sends (luaReplyToRedisReply); `resp` is
/// the script's protocol (`redis.setresp`).
pub(super) fn to_reply(v: Value, resp: u8) -> Reply {
    to_reply_at(v, resp, 0)
}

fn to_reply_at(v: Value, resp: u8, depth: usize) -> Reply {
    if depth >= MAX_REPLY_DEPTH {
        return Reply::Error(b"ERR reached lua stack limit".to_vec());
    }
    match v {
        Value::Str(s) => Reply::bulk(s.to_vec()),
        Value::Bool(b) if resp >= 3 => Reply::Bool(b),
        Value::Bool(true) => Reply::Integer(1),
        Value::Num(n) => Reply::Integer(c_long_long(n)),
        Value::Table(t) => table_reply(&t.borrow(), resp, depth),
        _ => Reply::Nil,
    }
}

/// A table as a reply: the first of its type fields that is set, checked
/// in Redis's order, or else an array of its items 1..n up to the first nil.
fn table_reply(t: &Table, resp: u8, depth: usize) -> Reply {
    if let Value::Str(err) = t.get_str("err") {
        return Reply::Error(one_line(&err));
    }
    if let Value::Str(ok) = t.get_str("ok") {
        return Reply::Status(String::from_utf8_lossy(&one_line(&ok)).into_owned());
    }
    if let Value::Num(d) = t.get_str("double") {
        return Reply::Double(d);
    }
    if let Value::Str(digits) = t.get_str("big_number") {
        return Reply::BigNumber(one_line(&digits));
    }
    if let Value::Table(v) = t.get_str("verbatim_string") {
        let v = v.borrow();
        if let (Value::Str(format), Value::Str(text)) = (v.get_str("format"), v.get_str("string")) {
            return Reply::Verbatim(verbatim_format(&format), text.to_vec());
        }
    }
    if let Value::Table(m) = t.get_str("map") {
        let pairs = m
            .borrow()
            .entries()
            .map(|(k, v)| {
                (
                    to_reply_at(k, resp, depth + 1),
                    to_reply_at(v, resp, depth + 1),
                )
            })
            .collect();
        return Reply::Map(pairs);
    }
    if let Value::Table(s) = t.get_str("set") {
        let members = s
            .borrow()
            .entries()
            .map(|(k, _)| to_reply_at(k, resp, depth + 1))
            .collect();
        return Reply::Set(members);
    }
    let mut items = Vec::new();
    let mut i = 1;
    loop {
        let v = t.get_int(i);
        if matches!(v, Value::Nil) {
            break;
        }
        items.push(to_reply_at(v, resp, depth + 1));
        i += 1;
    }
    Reply::Array(items)
}

/// addReplyVerbatim's three format bytes: the C string's first three,
/// padded with spaces.
fn verbatim_format(format: &[u8]) -> [u8; 3] {
    let mut out = [b' '; 3];
    for (o, &b) in out.iter_mut().zip(format.iter().take_while(|&&b| b != 0)) {
        *o = b;
    }
    out
}

/// C's `(long long)` cast as x86-64 does it: out of range (and NaN) is the
/// "integer indefinite" value, i64::MIN.
fn c_long_long(n: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if n.is_nan() || !(-LIMIT..LIMIT).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

fn one_line(s: &[u8]) -> Vec<u8> {
    s.iter()
        .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b })
        .collect()
}

/// A command's reply as the Lua value `redis.call` returns
/// (redisProtocolToLuaType), in the script's protocol.
pub(super) fn from_reply(interp: &mut Interp<'_>, r: Reply) -> Result<Value, LuaError> {
    if interp.host.protocol() >= 3 {
        from_resp3(interp, r)
    } else {
        from_resp2(interp, r)
    }
}

/// A reply as RESP2 brings it to Lua: status and error tables, null as
/// false.
fn from_resp2(interp: &mut Interp<'_>, r: Reply) -> Result<Value, LuaError> {
    Ok(match r.to_resp2_shape() {
        Reply::Status(s) => {
            let mut t = Table::default();
            set_field(&mut t, "ok", Value::Str(s.into_bytes().into()));
            interp.table(t)?
        }
        Reply::Error(e) => error_table(interp, &e)?,
        Reply::Integer(n) => Value::Num(n as f64),
        Reply::Bulk(b) => interp.string(b.to_vec())?,
        Reply::Nil | Reply::NilArray => Value::Bool(false),
        Reply::Array(items) => {
            let mut values = Vec::with_capacity(items.len());
            for item in items {
                values.push(from_resp2(interp, item)?);
            }
            interp.table(Table::from_array(values))?
        }
        Reply::Sequence(mut replies) if !replies.is_empty() => {
            let first = replies.swap_remove(0);
            from_resp2(interp, first)?
        }
        _ => Value::Bool(false),
    })
}

/// A reply as RESP3 brings it to Lua: its maps, sets, doubles, big
/// numbers and verbatim strings as tables with a type field, null as nil.
fn from_resp3(interp: &mut Interp<'_>, r: Reply) -> Result<Value, LuaError> {
    let typed = |interp: &mut Interp<'_>, field: &str, v: Value| {
        let mut t = Table::default();
        set_field(&mut t, field, v);
        interp.table(t)
    };
    Ok(match r {
        Reply::Status(_) | Reply::Error(_) | Reply::Integer(_) | Reply::Bulk(_) => {
            from_resp2(interp, r)?
        }
        Reply::Nil | Reply::NilArray => Value::Nil,
        Reply::Bool(b) => Value::Bool(b),
        Reply::Array(items) | Reply::Push(items) => {
            let mut values = Vec::with_capacity(items.len());
            for item in items {
                values.push(from_resp3(interp, item)?);
            }
            interp.table(Table::from_array(values))?
        }
        Reply::Pairs(pairs) => {
            let mut values = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                let pair = vec![from_resp3(interp, k)?, from_resp3(interp, v)?];
                values.push(interp.table(Table::from_array(pair))?);
            }
            interp.table(Table::from_array(values))?
        }
        Reply::Map(pairs) | Reply::Grouped(pairs) => {
            let mut m = Table::default();
            for (k, v) in pairs {
                let k = from_resp3(interp, k)?;
                let v = from_resp3(interp, v)?;
                let _ = m.set(k, v);
            }
            let m = interp.table(m)?;
            typed(interp, "map", m)?
        }
        Reply::Set(items) => {
            let mut s = Table::default();
            for item in items {
                let k = from_resp3(interp, item)?;
                let _ = s.set(k, Value::Bool(true));
            }
            let s = interp.table(s)?;
            typed(interp, "set", s)?
        }
        Reply::Double(d) | Reply::HumanDouble(d) => typed(interp, "double", Value::Num(d))?,
        Reply::BigNumber(digits) => {
            let digits = interp.string(digits)?;
            typed(interp, "big_number", digits)?
        }
        Reply::Verbatim(format, text) => {
            let mut v = Table::default();
            set_field(&mut v, "string", interp.string(text)?);
            set_field(&mut v, "format", Value::Str(format.to_vec().into()));
            let v = interp.table(v)?;
            typed(interp, "verbatim_string", v)?
        }
        Reply::Sequence(mut replies) if !replies.is_empty() => {
            let first = replies.swap_remove(0);
            from_resp3(interp, first)?
        }
        Reply::Sequence(_) => Value::Bool(false),
    })
}

/// `{err = "CODE message"}` (luaPushErrorBuff: an error text without a code gets `ERR`).
pub(super) fn error_table(interp: &mut Interp<'_>, text: &[u8]) -> Result<Value, LuaError> {
    let text = text.strip_suffix(b"\r\n").unwrap_or(text);
    let mut t = Table::default();
    set_field(&mut t, "err", Value::Str(text.into()));
    interp.table(t)
}

/// The error table of a command's error: already counted in the error
/// stats, which the field tells the final reply.
pub(super) fn command_error_table(interp: &mut Interp<'_>, text: &[u8]) -> Result<Value, LuaError> {
    let t = error_table(interp, text)?;
    if let Value::Table(tb) = &t {
        set_field(&mut tb.borrow_mut(), COUNTED, Value::Bool(true));
    }
    Ok(t)
}

/// Redis's field for "this error is already in the error stats".
const COUNTED: &str = "ignore_error_stats_update";

/// Whether a script's result or error is a command's error table.
pub(super) fn already_counted(v: &Value) -> bool {
    match v {
        Value::Table(t) => t.borrow().get_str(COUNTED).truthy(),
        _ => false,
    }
}

/// luaPushErrorBuff for a message given to `redis.error_reply`: `-CODE msg`
/// keeps its code, a bare message gets `ERR`.
pub(super) fn error_text(msg: &[u8]) -> Vec<u8> {
    let rest = msg.strip_prefix(b"-").unwrap_or(msg);
    if rest.contains(&b' ') {
        return rest.to_vec();
    }
    let mut out = b"ERR ".to_vec();
    out.extend_from_slice(rest);
    out
}
