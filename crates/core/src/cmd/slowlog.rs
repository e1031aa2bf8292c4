//! SLOWLOG GET/LEN/RESET/HELP over the engine's slow log (see [`crate::slowlog`]).

use super::server::help_reply;
use super::{range_long, subcommand_syntax_error};
use crate::engine::{Client, Engine};
use crate::error::CmdResult;
use crate::reply::Reply;

pub fn slowlog_get(e: &mut Engine, _c: &mut Client, argv: Vec<Vec<u8>>) -> CmdResult {
    if argv.len() > 3 {
        return Err(subcommand_syntax_error("SLOWLOG", &argv));
    }
    let count = match argv.get(2) {
        None => Some(10),
        Some(arg) => {
            let n = range_long(
                arg,
                -1,
                i64::MAX,
                Some("count should be greater than or equal to -1"),
            )?;
            usize::try_from(n).ok()
        }
    };
    Ok(e.slowlog.get(count))
}

pub fn slowlog_len(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(Reply::Integer(e.slowlog.len() as i64))
}

pub fn slowlog_reset(e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    e.slowlog.reset();
    Ok(Reply::ok())
}

pub fn slowlog_help(_e: &mut Engine, _c: &mut Client, _argv: Vec<Vec<u8>>) -> CmdResult {
    Ok(help_reply(
        "SLOWLOG",
        &[
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.",
        ],
    ))
}
