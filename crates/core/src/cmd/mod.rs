//! Command handlers, one file per group, and the small parsing helpers they share.
//!
//! Every handler has the [`Handler`] signature and receives the whole argument vector
//! (name included) after the dispatcher has checked its arity against the table, so
//! handlers index `argv` up to the arity without counting.

pub mod bitmap;
pub mod blocking;
pub mod client;
pub mod command;
pub mod config;
pub mod dump;
pub mod expire;
pub mod functions;
pub mod geo;
pub mod hash;
pub mod hyperloglog;
pub mod info;
pub mod keys;
pub mod latency;
pub mod list;
pub mod persistence;
pub mod pubsub;
pub mod scripting;
pub mod server;
pub mod set;
pub mod slowlog;
pub mod sort;
pub mod stream;
pub mod string;
pub mod tx;
pub mod zset;

use crate::engine::{Client, Engine};
use crate::error::{CmdError, CmdResult};
use crate::num;

pub type Handler = fn(&mut Engine, &mut Client, Vec<Vec<u8>>) -> CmdResult;

/// `getLongLongFromObjectOrReply`: a strict 64-bit integer.
pub(crate) fn int_arg(arg: &[u8]) -> Result<i64, CmdError> {
    num::parse_i64(arg).ok_or(CmdError::NotInteger)
}

/// An integer that must fit a C `int`, with an optional custom error text.
pub(crate) fn int32_arg(arg: &[u8], msg: Option<&str>) -> Result<i64, CmdError> {
    match num::parse_i64(arg) {
        Some(v) if v >= i64::from(i32::MIN) && v <= i64::from(i32::MAX) => Ok(v),
        _ => Err(msg.map_or(CmdError::NotInteger, CmdError::err)),
    }
}

/// A float argument with a command-specific error message.
pub(crate) fn float_arg_msg(arg: &[u8], msg: &str) -> Result<f64, CmdError> {
    match num::parse_f64(arg) {
        Some(v) if !v.is_nan() => Ok(v),
        _ => Err(CmdError::err(msg)),
    }
}

/// Case-insensitive comparison of an argument with an ASCII keyword.
#[inline]
pub(crate) fn is(arg: &[u8], keyword: &str) -> bool {
    arg.eq_ignore_ascii_case(keyword.as_bytes())
}

/// Moves argument `i` out of `argv` without copying it.
#[inline]
pub(crate) fn take(argv: &mut [Vec<u8>], i: usize) -> Vec<u8> {
    argv.get_mut(i).map(std::mem::take).unwrap_or_default()
}

/// `getTimeoutFromObjectOrReply` in milliseconds (WAIT, XREAD BLOCK, CLIENT
/// PAUSE): a non-negative integer, with Redis's two errors.
pub(crate) fn timeout_ms_arg(arg: &[u8]) -> Result<u64, CmdError> {
    let ms = num::parse_i64(arg)
        .ok_or_else(|| CmdError::err("timeout is not an integer or out of range"))?;
    u64::try_from(ms).map_err(|_| CmdError::err("timeout is negative"))
}

/// `addReplySubcommandSyntaxError`: a subcommand Redis knows by name but
/// was given the wrong arguments, named as typed.
pub(crate) fn subcommand_syntax_error(command: &str, argv: &[Vec<u8>]) -> CmdError {
    let mut msg = b"ERR unknown subcommand or wrong number of arguments for '".to_vec();
    let sub = argv.get(1).map(Vec::as_slice).unwrap_or_default();
    msg.extend_from_slice(&crate::engine::printable_bytes(sub, 128));
    msg.extend_from_slice(format!("'. Try {command} HELP.").as_bytes());
    CmdError::Raw(msg)
}

/// `getRangeLongFromObjectOrReply`: an integer within `[min, max]`, with Redis's
/// messages (or `msg` for both failures when given).
pub(crate) fn range_long(
    arg: &[u8],
    min: i64,
    max: i64,
    msg: Option<&str>,
) -> Result<i64, CmdError> {
    let Some(v) = num::parse_i64(arg) else {
        return Err(msg.map_or(CmdError::NotInteger, CmdError::err));
    };
    if v < min || v > max {
        return Err(match msg {
            Some(m) => CmdError::err(m),
            None => CmdError::err(format!(
                "value is out of range, value must between {min} and {max}"
            )),
        });
    }
    Ok(v)
}

/// Redis's `strtod`-based range parsing (ZRANGEBYSCORE and friends): leading
/// white space is skipped and an empty string reads as 0.
pub(crate) fn strtod_arg(arg: &[u8]) -> Option<f64> {
    let start = arg
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .unwrap_or(arg.len());
    let rest = &arg[start..];
    if rest.is_empty() {
        return Some(0.0);
    }
    num::parse_f64(rest).filter(|v| !v.is_nan())
}

/// `numkeys key [key ...] WHERE [COUNT count]`, the shape LMPOP, BLMPOP, ZMPOP and
/// BZMPOP share: the keys, the WHERE word (parsed by `parse_where`) and the count
/// (1 when absent), with Redis's errors.
pub(crate) fn parse_mpop<W>(
    argv: &[Vec<u8>],
    numkeys_idx: usize,
    parse_where: impl Fn(&[u8]) -> Result<W, CmdError>,
) -> Result<(Vec<Vec<u8>>, W, usize), CmdError> {
    let numkeys = range_long(
        &argv[numkeys_idx],
        1,
        i64::MAX,
        Some("numkeys should be greater than 0"),
    )?;
    let where_idx = (numkeys_idx as u64)
        .saturating_add(numkeys as u64)
        .saturating_add(1);
    if where_idx >= argv.len() as u64 {
        return Err(CmdError::Syntax);
    }
    let where_idx = where_idx as usize;
    let side = parse_where(&argv[where_idx])?;
    let mut count = None;
    let mut j = where_idx + 1;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        if count.is_none() && is(&argv[j], "count") && more > 0 {
            j += 1;
            count = Some(range_long(
                &argv[j],
                1,
                i64::MAX,
                Some("count should be greater than 0"),
            )?);
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    let count = usize::try_from(count.unwrap_or(1)).unwrap_or(usize::MAX);
    Ok((argv[numkeys_idx + 1..where_idx].to_vec(), side, count))
}
