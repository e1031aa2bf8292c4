//! What the console does as redis-cli would, apart from running commands: its
//! prompt, the `N command` repeat prefix, the `(1.10s)` note, and a connection
//! with an address of its own.

use cachelab_core::engine::ConnInfo;
use cachelab_core::{Client, Engine};

/// What redis-cli prints when the server has closed its connection.
pub(super) const CLOSED_ERROR: &str = "Error: Server closed the connection";

/// A new connection to `engine`, with an address of its own (as a redis-cli
/// would have: CLIENT LIST and CLIENT KILL ADDR tell tabs apart by it).
pub(super) fn connect(engine: &mut Engine) -> Client {
    let client = engine.new_client();
    let conn = ConnInfo {
        addr: format!("127.0.0.1:{}", 50_000 + client.id % 10_000),
        laddr: "127.0.0.1:6379".to_string(),
        fd: 7 + (client.id % 1_000) as i64,
    };
    engine.set_client_conn(&client, conn);
    client
}

/// redis-cli's note after a line that took half a second or more: `(1.10s)`. The
/// console measures simulated time, so a clock jump shows in it.
pub(super) fn elapsed_note(elapsed_us: u64) -> Option<String> {
    let ms = elapsed_us / 1000;
    (ms >= 500).then(|| format!("({:.2}s)", ms as f64 / 1000.0))
}

/// redis-cli's prompt: `127.0.0.1:6379[db](TX)> `, the db shown when it isn't 0, and
/// `(subscribed mode)` while subscribed (the form redis-cli 7.2 added for typing
/// commands in Pub/Sub mode, which this console allows).
pub fn prompt(db: usize, in_multi: bool, subscribed: bool) -> String {
    let mut prompt = String::from("127.0.0.1:6379");
    if db != 0 {
        prompt.push_str(&format!("[{db}]"));
    }
    if in_multi {
        prompt.push_str("(TX)");
    }
    if subscribed {
        prompt.push_str("(subscribed mode)");
    }
    prompt.push_str("> ");
    prompt
}

pub(super) fn is(arg: &[u8], word: &str) -> bool {
    arg.eq_ignore_ascii_case(word.as_bytes())
}

/// redis-cli reads a leading integer as a repeat count (`3 INCR n`) when more arguments
/// follow. `Ok(None)`: no repeat prefix; `Err`: a count of zero, negative or too large.
pub(super) fn repeat_prefix(argv: &[Vec<u8>]) -> Result<Option<u64>, ()> {
    if argv.len() < 2 {
        return Ok(None);
    }
    let first = &argv[0];
    // strtol("") consumes nothing yet leaves *endptr == '\0', so redis-cli reads an
    // empty first argument as a repeat count of zero.
    if first.is_empty() {
        return Err(());
    }
    let digits = first
        .strip_prefix(b"-")
        .or_else(|| first.strip_prefix(b"+"))
        .unwrap_or(first);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Ok(None);
    }
    // Out of range parses as 0 and is rejected below, like strtol's ERANGE.
    let n: i64 = std::str::from_utf8(first)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    // The console runs in one browser tab: keep a runaway count from freezing it.
    if n <= 0 || n > MAX_REPEAT {
        return Err(());
    }
    Ok(Some(n as u64))
}

/// The largest `N command` repeat the console accepts.
pub const MAX_REPEAT: i64 = 100_000;
