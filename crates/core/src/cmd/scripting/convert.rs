//! Conversions between replies and Lua values, both ways, as Redis 7.0
//! makes them for RESP2 (`redisProtocolToLuaType`, `luaReplyToRedisReply`).

use super::*;

/// How deep a reply may nest before the conversion gives up with Redis's
/// "reached lua stack limit" (a table that contains itself). Redis stops
/// near 8000 levels; this stays well inside what every consumer of a reply
/// (encoders, the console's formatter, drops) can recurse through.
const MAX_REPLY_DEPTH: usize = 1000;

/// A Lua value as the reply EVAL sends (luaReplyToRedisReply).
pub(super) fn to_reply(v: Value) -> Reply {
    to_reply_at(v, 0)
}

fn to_reply_at(v: Value, depth: usize) -> Reply {
    if depth >= MAX_REPLY_DEPTH {
        return Reply::Error(b"ERR reached lua stack limit".to_vec());
    }
    match v {
        Value::Str(s) => Reply::bulk(s.to_vec()),
        Value::Bool(true) => Reply::Integer(1),
        Value::Num(n) => Reply::Integer(c_long_long(n)),
        Value::Table(t) => {
            let t = t.borrow();
            if let Value::Str(err) = t.get_str("err") {
                return Reply::Error(one_line(&err));
            }
            if let Value::Str(ok) = t.get_str("ok") {
                return Reply::Status(String::from_utf8_lossy(&one_line(&ok)).into_owned());
            }
            if let Value::Num(d) = t.get_str("double") {
                return Reply::Double(d);
            }
            let mut items = Vec::new();
            let mut i = 1;
            loop {
                let v = t.get_int(i);
                if matches!(v, Value::Nil) {
                    break;
                }
                items.push(to_reply_at(v, depth + 1));
                i += 1;
            }
            Reply::Array(items)
        }
        _ => Reply::Nil,
    }
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
/// (redisProtocolToLuaType, RESP2).
pub(super) fn from_reply(interp: &mut Interp<'_>, r: Reply) -> Result<Value, LuaError> {
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
                values.push(from_reply(interp, item)?);
            }
            interp.table(Table::from_array(values))?
        }
        Reply::Sequence(mut replies) if !replies.is_empty() => {
            let first = replies.swap_remove(0);
            from_reply(interp, first)?
        }
        _ => Value::Bool(false),
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
