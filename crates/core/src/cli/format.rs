//! The TTY reply formatter: what redis-cli 7.0.15 prints for a reply in a
//! terminal, in raw mode (`INFO` and friends) and in subscribed mode.

use crate::Reply;

/// Renders a reply exactly as redis-cli prints it in a terminal (no trailing newline).
///
/// This is `cliFormatReplyTTY`: array elements are numbered `1) `, the number
/// right-aligned to the width of the largest index; the first line of an
/// element follows its number directly, and every later line of a nested array
/// is indented by the parent's indent plus (index width + 2) spaces.
///
/// A [`Reply::Sequence`] (SUBSCRIBE with several channels) prints as its replies
/// one after the other, as redis-cli reads and prints each.
pub fn format_reply(reply: &Reply) -> String {
    if has_sequence(reply) {
        return as_read(reply)
            .iter()
            .map(format_reply)
            .collect::<Vec<_>>()
            .join("\n");
    }
    // redis-cli speaks RESP2: maps arrive flattened and doubles as strings.
    let shaped;
    let reply = if reply.has_resp3_shapes() {
        shaped = reply.to_resp2_shape();
        &shaped
    } else {
        reply
    };
    /// One array being printed: its items, the next item to print, the indent
    /// (in spaces) of its continuation lines, and the width of its indices.
    struct Frame<'a> {
        items: &'a [Reply],
        next: usize,
        indent: usize,
        width: usize,
    }

    fn open(items: &[Reply], indent: usize) -> Frame<'_> {
        Frame {
            items,
            next: 0,
            indent,
            width: decimal_width(items.len()),
        }
    }

    let mut out = String::new();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    match reply {
        Reply::Array(items) if !items.is_empty() => stack.push(open(items, 0)),
        other => push_scalar(&mut out, other),
    }

    while let Some(frame) = stack.last_mut() {
        let Some(item) = frame.items.get(frame.next) else {
            stack.pop();
            continue;
        };
        if frame.next > 0 {
            push_spaces(&mut out, frame.indent);
        }
        let number = frame.next.saturating_add(1).to_string();
        push_spaces(&mut out, frame.width.saturating_sub(number.len()));
        out.push_str(&number);
        out.push_str(") ");
        frame.next += 1;

        let child_indent = frame.indent.saturating_add(frame.width).saturating_add(2);
        match item {
            Reply::Array(items) if !items.is_empty() => stack.push(open(items, child_indent)),
            other => push_scalar(&mut out, other),
        }
    }

    if out.ends_with('\n') {
        out.pop();
    }
    out
}

/// True if a [`Reply::Sequence`] is anywhere in the tree.
fn has_sequence(reply: &Reply) -> bool {
    let mut stack = vec![reply];
    while let Some(r) = stack.pop() {
        match r {
            Reply::Sequence(_) => return true,
            Reply::Array(items) | Reply::Set(items) | Reply::Push(items) => stack.extend(items),
            Reply::Map(pairs) | Reply::Pairs(pairs) | Reply::Grouped(pairs) => {
                stack.extend(pairs.iter().flat_map(|(k, v)| [k, v]));
            }
            _ => {}
        }
    }
    false
}

/// The replies a RESP2 client reads off the wire for `reply`, Sequences dissolved.
///
/// Usually that is one reply per part of a top-level Sequence. A Sequence inside
/// an array (SUBSCRIBE with two channels inside MULTI) makes Redis write more
/// items than the array's length announces: the client's array ends early and
/// the rest reads as further replies, and so it does here.
fn as_read(reply: &Reply) -> Vec<Reply> {
    /// A RESP2 token: an array header with its length, or a scalar.
    enum Token {
        Array(usize),
        Scalar(Reply),
    }
    let shaped = reply.to_resp2_shape();
    let mut tokens = Vec::new();
    let mut stack = vec![&shaped];
    while let Some(r) = stack.pop() {
        match r {
            Reply::Array(items) => {
                tokens.push(Token::Array(items.len()));
                stack.extend(items.iter().rev());
            }
            Reply::Sequence(parts) => stack.extend(parts.iter().rev()),
            other => tokens.push(Token::Scalar(other.clone())),
        }
    }
    // Re-read the tokens as a client would: (items still expected, items so far).
    let mut out = Vec::new();
    let mut open: Vec<(usize, Vec<Reply>)> = Vec::new();
    for token in tokens {
        let mut done = match token {
            Token::Array(0) => Reply::Array(Vec::new()),
            Token::Array(n) => {
                open.push((n, Vec::with_capacity(n)));
                continue;
            }
            Token::Scalar(r) => r,
        };
        loop {
            let Some((want, items)) = open.last_mut() else {
                out.push(done);
                break;
            };
            items.push(done);
            if items.len() < *want {
                break;
            }
            let Some((_, items)) = open.pop() else { break };
            done = Reply::Array(items);
        }
    }
    // An array still short of items (the client would wait): show what came.
    while let Some((_, items)) = open.pop() {
        let done = Reply::Array(items);
        match open.last_mut() {
            Some((_, parent)) => parent.push(done),
            None => out.push(done),
        }
    }
    out
}

/// Number of decimal digits of `n` (at least 1).
/// True for the commands whose replies redis-cli prints raw even in a terminal
/// (INFO, CLIENT LIST/INFO, MEMORY DOCTOR, LATENCY DOCTOR/GRAPH, LOLWUT, ...).
pub fn prints_raw(argv: &[Vec<u8>]) -> bool {
    let is = |i: usize, w: &str| {
        argv.get(i)
            .is_some_and(|a| a.eq_ignore_ascii_case(w.as_bytes()))
    };
    let argc = argv.len();
    is(0, "info")
        || is(0, "lolwut")
        || (argc >= 2
            && is(0, "debug")
            && (is(1, "htstats") || is(1, "htstats-key") || is(1, "client-eviction")))
        || (argc >= 2 && is(0, "memory") && (is(1, "malloc-stats") || is(1, "doctor")))
        || (argc == 2 && is(0, "cluster") && (is(1, "nodes") || is(1, "info")))
        || (argc >= 2 && is(0, "client") && (is(1, "list") || is(1, "info")))
        || (argc == 3 && is(0, "latency") && is(1, "graph"))
        || (argc == 2 && is(0, "latency") && is(1, "doctor"))
}

/// redis-cli's raw format (`cliFormatReplyRaw`): strings as they are, arrays one
/// element per line, nil as nothing. CRLF line ends become plain newlines.
pub fn format_reply_raw(reply: &Reply) -> String {
    let mut out = Vec::new();
    if reply.has_resp3_shapes() {
        push_raw(&mut out, &reply.to_resp2_shape());
    } else {
        push_raw(&mut out, reply);
    }
    String::from_utf8_lossy(&out).replace("\r\n", "\n")
}

fn push_raw(out: &mut Vec<u8>, reply: &Reply) {
    match reply {
        Reply::Status(s) => out.extend_from_slice(s.as_bytes()),
        Reply::Error(e) => out.extend_from_slice(e),
        Reply::Integer(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Reply::Bulk(b) => out.extend_from_slice(b),
        Reply::Nil | Reply::NilArray => {}
        // RESP3 shapes were flattened by the caller.
        Reply::Map(_)
        | Reply::Pairs(_)
        | Reply::Grouped(_)
        | Reply::Set(_)
        | Reply::Double(_)
        | Reply::HumanDouble(_)
        | Reply::Verbatim(..)
        | Reply::Bool(_)
        | Reply::BigNumber(_) => {}
        Reply::Array(items) | Reply::Push(items) | Reply::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b'\n');
                }
                push_raw(out, item);
            }
        }
    }
}

/// What redis-cli prints in a terminal for this command's reply: raw for the
/// commands in [`prints_raw`], the TTY format otherwise.
pub fn format_reply_for(argv: &[Vec<u8>], reply: &Reply) -> String {
    if prints_raw(argv) && !reply.is_error() {
        format_reply_raw(reply).trim_end_matches('\n').to_string()
    } else {
        format_reply(reply)
    }
}

/// What redis-cli prints when it enters Pub/Sub mode, before the first reply.
pub const READING_MESSAGES: &str = "Reading messages... (press Ctrl-C to quit)";

/// True for SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE: after sending one, redis-cli
/// enters Pub/Sub mode whatever the reply. It prints [`READING_MESSAGES`], then
/// every reply and message as it arrives ([`format_reply`]), and accepts no more
/// commands: Ctrl-C reconnects (a fresh connection, so no subscriptions), and an
/// error reply ends the mode.
pub fn enters_pubsub_mode(argv: &[Vec<u8>]) -> bool {
    argv.first().is_some_and(|name| {
        ["subscribe", "psubscribe", "ssubscribe"]
            .iter()
            .any(|c| name.eq_ignore_ascii_case(c.as_bytes()))
    })
}

/// redis-cli's output for the reply of a command that entered Pub/Sub mode (see
/// [`enters_pubsub_mode`]): the banner, then each reply (one confirmation per
/// channel), and whether it is still in Pub/Sub mode afterwards.
///
/// ```text
/// Reading messages... (press Ctrl-C to quit)
/// 1) "subscribe"
/// 2) "news"
/// 3) (integer) 1
/// ```
pub fn format_pubsub_reply(reply: &Reply) -> (String, bool) {
    let mut text = String::from(READING_MESSAGES);
    let mut listening = true;
    for part in reply.parts() {
        text.push('\n');
        text.push_str(&format_reply(part));
        if part.is_error() {
            // redis-cli stops reading at the first error and leaves the mode.
            listening = false;
            break;
        }
    }
    (text, listening)
}

fn decimal_width(mut n: usize) -> usize {
    let mut width = 1;
    while n >= 10 {
        n /= 10;
        width += 1;
    }
    width
}

fn push_spaces(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// The text of a C string: everything before the first NUL.
fn c_str(s: &str) -> &str {
    match s.find('\0') {
        Some(nul) => s.get(..nul).unwrap_or(""),
        None => s,
    }
}

/// Formats a non-array (or empty array) reply followed by a newline.
fn push_scalar(out: &mut String, reply: &Reply) {
    match reply {
        Reply::Status(s) => out.push_str(c_str(s)),
        Reply::Error(s) => {
            out.push_str("(error) ");
            let text = String::from_utf8_lossy(s);
            out.push_str(c_str(&text));
        }
        Reply::Integer(n) => {
            out.push_str("(integer) ");
            out.push_str(&n.to_string());
        }
        Reply::Bulk(bytes) => push_repr(out, bytes),
        Reply::Nil | Reply::NilArray => out.push_str("(nil)"),
        Reply::Array(_)
        | Reply::Set(_)
        | Reply::Map(_)
        | Reply::Pairs(_)
        | Reply::Grouped(_)
        | Reply::Push(_)
        | Reply::Sequence(_) => out.push_str("(empty array)"),
        Reply::Double(_) | Reply::HumanDouble(_) => push_repr(out, reply.double_text().as_bytes()),
        Reply::Verbatim(_, text) | Reply::BigNumber(text) => push_repr(out, text),
        Reply::Bool(b) => {
            out.push_str("(integer) ");
            out.push_str(if *b { "1" } else { "0" });
        }
    }
    out.push('\n');
}

/// `sdscatrepr`: a double-quoted, escaped rendering of binary data.
pub fn repr(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().saturating_add(2));
    push_repr(&mut out, bytes);
    out
}

fn push_repr(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                out.push_str("\\x");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0x0f)]));
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod pubsub_tests {
    use super::*;

    fn confirmation(verb: &str, ch: &str, n: i64) -> Reply {
        Reply::Push(vec![Reply::bulk(verb), Reply::bulk(ch), Reply::Integer(n)])
    }

    #[test]
    fn subscribe_prints_the_banner_then_each_confirmation() {
        let argv = vec![b"subscribe".to_vec(), b"a".to_vec(), b"b".to_vec()];
        assert!(enters_pubsub_mode(&argv));
        assert!(enters_pubsub_mode(&[b"SSUBSCRIBE".to_vec()]));
        assert!(!enters_pubsub_mode(&[b"unsubscribe".to_vec()]));
        let reply = Reply::Sequence(vec![
            confirmation("subscribe", "a", 1),
            confirmation("subscribe", "b", 2),
        ]);
        assert_eq!(
            format_pubsub_reply(&reply),
            (
                "Reading messages... (press Ctrl-C to quit)\n\
                 1) \"subscribe\"\n2) \"a\"\n3) (integer) 1\n\
                 1) \"subscribe\"\n2) \"b\"\n3) (integer) 2"
                    .to_string(),
                true
            )
        );
        let message = Reply::Push(vec![
            Reply::bulk("message"),
            Reply::bulk("a"),
            Reply::bulk("hi"),
        ]);
        assert_eq!(
            format_reply(&message),
            "1) \"message\"\n2) \"a\"\n3) \"hi\""
        );
    }

    #[test]
    fn an_error_ends_pubsub_mode() {
        let err = Reply::error("ERR wrong number of arguments for 'subscribe' command");
        assert_eq!(
            format_pubsub_reply(&err),
            (
                "Reading messages... (press Ctrl-C to quit)\n\
                 (error) ERR wrong number of arguments for 'subscribe' command"
                    .to_string(),
                false
            )
        );
        // QUEUED (inside MULTI) is no error: redis-cli keeps waiting for messages.
        assert!(format_pubsub_reply(&Reply::Status("QUEUED".into())).1);
    }

    #[test]
    fn replies_inside_exec_read_as_the_wire_splits_them() {
        // MULTI, SUBSCRIBE a b, SSUBSCRIBE s, EXEC: Redis writes `*2`, two
        // confirmations and an error; the array ends after the confirmations.
        let exec = Reply::Array(vec![
            Reply::Sequence(vec![
                confirmation("subscribe", "a", 1),
                confirmation("subscribe", "b", 2),
            ]),
            Reply::error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client"),
        ]);
        assert_eq!(
            format_reply(&exec),
            "1) 1) \"subscribe\"\n   2) \"a\"\n   3) (integer) 1\n\
             2) 1) \"subscribe\"\n   2) \"b\"\n   3) (integer) 2\n\
             (error) ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client"
        );
        assert_eq!(format_reply(&Reply::Sequence(vec![])), "");
        assert_eq!(
            format_reply(&Reply::Array(vec![
                Reply::Sequence(vec![]),
                Reply::Integer(1)
            ])),
            "1) (integer) 1"
        );
    }
}

#[cfg(test)]
mod raw_tests {
    use super::*;

    #[test]
    fn info_prints_raw_with_plain_newlines() {
        let argv = vec![b"INFO".to_vec()];
        let r = Reply::bulk(b"# Server\r\nredis_version:7.0.15\r\n".to_vec());
        assert_eq!(
            format_reply_for(&argv, &r),
            "# Server\nredis_version:7.0.15"
        );
        assert_eq!(
            format_reply_for(&[b"GET".to_vec()], &Reply::bulk("x")),
            "\"x\""
        );
        assert_eq!(
            format_reply_for(&argv, &Reply::error("ERR x")),
            "(error) ERR x"
        );
    }
}
