//! redis-cli's console rules: the line tokenizer and the TTY reply formatter.
//!
//! Both halves follow redis-cli 7.0.15 byte for byte:
//!
//! - [`tokenize`] splits a typed line into arguments the way `sdssplitargs`
//!   does (quotes, escapes, `\xHH`). The server's inline protocol uses the very
//!   same rules, so [`tokenize_bytes`] is shared with [`crate::resp`].
//! - [`format_reply`] renders a reply the way `cliFormatReplyTTY` does when
//!   stdout is a terminal: `(integer) 1`, `(nil)`, quoted bulk strings and
//!   numbered, indented arrays.
//!
//! The C code works on NUL-terminated strings; where that is observable (a NUL
//! byte ends the line for the tokenizer, a status or error text is cut at its
//! first NUL when printed) we reproduce it.

use crate::Reply;

/// The line had unbalanced quotes (or a closing quote glued to more text);
/// redis-cli prints `Invalid argument(s)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidArguments;

impl std::fmt::Display for InvalidArguments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Invalid argument(s)")
    }
}

impl std::error::Error for InvalidArguments {}

/// Splits a console line into arguments like redis-cli (sdssplitargs).
///
/// An empty or all-blank line yields `Ok(vec![])`; `""` yields one empty
/// argument.
pub fn tokenize(line: &str) -> Result<Vec<Vec<u8>>, InvalidArguments> {
    tokenize_bytes(line.as_bytes())
}

/// `isspace` in the C locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The byte-oriented tokenizer behind [`tokenize`] and the inline protocol.
///
/// The rules, as in Redis's `sdssplitargs`:
/// - blanks (C `isspace`) between arguments are skipped;
/// - outside quotes an argument ends at space, tab, CR or LF (a vertical tab
///   or form feed inside an argument is kept as a plain byte);
/// - a `"` or `'` anywhere in an argument opens a quoted section;
/// - inside `"..."`: `\xHH` is one byte, `\n \r \t \b \a` are control bytes,
///   any other `\c` is `c`;
/// - inside `'...'`: only `\'` is an escape;
/// - a closing quote must be followed by a blank or the end of the line;
/// - an unterminated quote is an error;
/// - the line ends at its first NUL byte, as the C string it is in Redis.
pub fn tokenize_bytes(line: &[u8]) -> Result<Vec<Vec<u8>>, InvalidArguments> {
    // C-string view: everything from the first NUL on is invisible.
    let line = match line.iter().position(|&b| b == 0) {
        Some(nul) => line.get(..nul).unwrap_or(&[]),
        None => line,
    };
    // Reads past the end see the terminating NUL, as in C.
    let at = |i: usize| -> u8 { line.get(i).copied().unwrap_or(0) };

    let mut args = Vec::new();
    let mut p = 0usize;
    loop {
        while p < line.len() && is_c_space(at(p)) {
            p += 1;
        }
        if p >= line.len() {
            return Ok(args);
        }

        let mut current = Vec::new();
        let mut in_double = false;
        let mut in_single = false;
        loop {
            let c = at(p);
            if in_double {
                if c == b'\\' && at(p + 1) == b'x' {
                    if let (Some(hi), Some(lo)) = (hex_value(at(p + 2)), hex_value(at(p + 3))) {
                        current.push(hi * 16 + lo);
                        p += 4;
                        continue;
                    }
                }
                if c == b'\\' && at(p + 1) != 0 {
                    let escaped = match at(p + 1) {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    };
                    current.push(escaped);
                    p += 2;
                } else if c == b'"' {
                    let next = at(p + 1);
                    if next != 0 && !is_c_space(next) {
                        return Err(InvalidArguments);
                    }
                    p += 1;
                    break;
                } else if c == 0 {
                    return Err(InvalidArguments);
                } else {
                    current.push(c);
                    p += 1;
                }
            } else if in_single {
                if c == b'\\' && at(p + 1) == b'\'' {
                    current.push(b'\'');
                    p += 2;
                } else if c == b'\'' {
                    let next = at(p + 1);
                    if next != 0 && !is_c_space(next) {
                        return Err(InvalidArguments);
                    }
                    p += 1;
                    break;
                } else if c == 0 {
                    return Err(InvalidArguments);
                } else {
                    current.push(c);
                    p += 1;
                }
            } else {
                match c {
                    b' ' | b'\n' | b'\r' | b'\t' => {
                        p += 1;
                        break;
                    }
                    0 => break,
                    b'"' => {
                        in_double = true;
                        p += 1;
                    }
                    b'\'' => {
                        in_single = true;
                        p += 1;
                    }
                    other => {
                        current.push(other);
                        p += 1;
                    }
                }
            }
        }
        args.push(current);
    }
}

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
        Reply::Map(_) | Reply::Pairs(_) | Reply::Grouped(_) | Reply::Set(_) | Reply::Double(_) => {}
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
        Reply::Double(d) => push_repr(out, crate::num::format_double(*d).as_bytes()),
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
        let r = Reply::Bulk(b"# Server\r\nredis_version:7.0.15\r\n".to_vec());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&[u8]]) -> Vec<Vec<u8>> {
        list.iter().map(|a| a.to_vec()).collect()
    }

    fn ok(line: &str) -> Vec<Vec<u8>> {
        match tokenize(line) {
            Ok(v) => v,
            Err(e) => panic!("{line:?} failed: {e}"),
        }
    }

    fn bulk(s: &str) -> Reply {
        Reply::Bulk(s.as_bytes().to_vec())
    }

    #[test]
    fn tokenize_plain_words() {
        assert_eq!(ok("set foo bar"), args(&[b"set", b"foo", b"bar"]));
        assert_eq!(ok("  set\tfoo   bar  "), args(&[b"set", b"foo", b"bar"]));
        assert_eq!(ok("get\r\n"), args(&[b"get"]));
    }

    #[test]
    fn tokenize_empty_lines() {
        assert_eq!(ok(""), Vec::<Vec<u8>>::new());
        assert_eq!(ok("   \t  "), Vec::<Vec<u8>>::new());
        assert_eq!(ok("\x0b\x0c"), Vec::<Vec<u8>>::new());
    }

    #[test]
    fn tokenize_empty_argument() {
        assert_eq!(ok("set k \"\""), args(&[b"set", b"k", b""]));
        assert_eq!(ok("''"), args(&[b""]));
        assert_eq!(ok("\"\" \"\""), args(&[b"", b""]));
    }

    #[test]
    fn tokenize_double_quote_escapes() {
        assert_eq!(ok(r#""a\nb""#), args(&[b"a\nb"]));
        assert_eq!(ok(r#""\r\t\b\a\\\"""#), args(&[b"\r\t\x08\x07\\\""]));
        assert_eq!(ok(r#""\x41\x7a\xff\x00""#), args(&[b"Az\xff\x00"]));
        assert_eq!(ok(r#""\xAb""#), args(&[b"\xab"]));
        // Not two hex digits: `\x` is an ordinary escape giving `x`.
        assert_eq!(ok(r#""\x4g""#), args(&[b"x4g"]));
        assert_eq!(ok(r#""\x""#), args(&[b"x"]));
        // Unknown escapes give the character itself.
        assert_eq!(ok(r#""\q\'\ ""#), args(&[b"q' "]));
        // Single quotes are plain inside double quotes.
        assert_eq!(ok(r#""it's""#), args(&[b"it's"]));
    }

    #[test]
    fn tokenize_single_quotes() {
        assert_eq!(ok(r"'a b'"), args(&[b"a b"]));
        assert_eq!(ok(r"'it\'s'"), args(&[b"it's"]));
        // Only \' is an escape: backslashes stay.
        assert_eq!(ok(r"'a\nb\\ c'"), args(&[b"a\\nb\\\\ c"]));
        // `\'` is the escape even after another backslash: still unterminated.
        assert_eq!(tokenize(r"'a\\'"), Err(InvalidArguments));
        assert_eq!(ok(r#"'say "hi"'"#), args(&[b"say \"hi\""]));
    }

    #[test]
    fn tokenize_quotes_mid_argument() {
        assert_eq!(ok(r#"foo"bar baz""#), args(&[b"foobar baz"]));
        assert_eq!(ok(r"a'b c' d"), args(&[b"ab c", b"d"]));
    }

    #[test]
    fn tokenize_closing_quote_rules() {
        assert_eq!(tokenize(r#""foo"bar"#), Err(InvalidArguments));
        assert_eq!(tokenize(r"'foo'bar"), Err(InvalidArguments));
        assert_eq!(tokenize(r#""a""b""#), Err(InvalidArguments));
        assert_eq!(ok("\"a\"\tb"), args(&[b"a", b"b"]));
        // A vertical tab counts as a blank after a closing quote.
        assert_eq!(ok("\"a\"\x0bb"), args(&[b"a", b"b"]));
    }

    #[test]
    fn tokenize_unbalanced() {
        assert_eq!(tokenize("\"foo"), Err(InvalidArguments));
        assert_eq!(tokenize("'foo"), Err(InvalidArguments));
        assert_eq!(tokenize("set k \"v"), Err(InvalidArguments));
        assert_eq!(tokenize(r#""foo\""#), Err(InvalidArguments));
        assert_eq!(tokenize(r#""foo\"#), Err(InvalidArguments));
        assert_eq!(tokenize(r"'foo\'"), Err(InvalidArguments));
    }

    #[test]
    fn tokenize_vertical_tab_inside_word() {
        // Only space, tab, CR and LF end an unquoted argument.
        assert_eq!(ok("a\x0bb c"), args(&[b"a\x0bb", b"c"]));
    }

    #[test]
    fn tokenize_utf8_passthrough() {
        assert_eq!(
            ok("set clé 'día'"),
            args(&[b"set", "clé".as_bytes(), "día".as_bytes()])
        );
    }

    #[test]
    fn tokenize_stops_at_nul() {
        assert_eq!(ok("get a\0b c"), args(&[b"get", b"a"]));
        assert_eq!(tokenize("get \"a\0\""), Err(InvalidArguments));
        assert_eq!(tokenize_bytes(b"\0abc"), Ok(vec![]));
    }

    #[test]
    fn format_scalars() {
        assert_eq!(format_reply(&Reply::ok()), "OK");
        assert_eq!(format_reply(&Reply::Status("PONG".into())), "PONG");
        assert_eq!(
            format_reply(&Reply::error("ERR unknown command 'foo'")),
            "(error) ERR unknown command 'foo'"
        );
        assert_eq!(format_reply(&Reply::Integer(5)), "(integer) 5");
        assert_eq!(format_reply(&Reply::Integer(-12)), "(integer) -12");
        assert_eq!(
            format_reply(&Reply::Integer(i64::MIN)),
            "(integer) -9223372036854775808"
        );
        assert_eq!(format_reply(&Reply::Nil), "(nil)");
        assert_eq!(format_reply(&Reply::NilArray), "(nil)");
        assert_eq!(format_reply(&Reply::Array(vec![])), "(empty array)");
        assert_eq!(format_reply(&bulk("hello")), "\"hello\"");
        assert_eq!(format_reply(&bulk("")), "\"\"");
    }

    #[test]
    fn format_status_and_error_cut_at_nul() {
        assert_eq!(format_reply(&Reply::Status("ab\0cd".into())), "ab");
        assert_eq!(format_reply(&Reply::error("ERR x\0y")), "(error) ERR x");
    }

    #[test]
    fn format_bulk_escapes() {
        assert_eq!(
            format_reply(&Reply::Bulk(b"a\"b\\c\n\r\t\x07\x08".to_vec())),
            r#""a\"b\\c\n\r\t\a\b""#
        );
        assert_eq!(
            format_reply(&Reply::Bulk(vec![
                0x00, 0x01, 0x1f, 0x7f, 0x80, 0xff, b' ', b'~'
            ])),
            r#""\x00\x01\x1f\x7f\x80\xff ~""#
        );
        // UTF-8 is not printable in the C locale: every byte is escaped.
        assert_eq!(format_reply(&bulk("é")), r#""\xc3\xa9""#);
        assert_eq!(
            format_reply(&Reply::Bulk(vec![0x0b, 0x0c])),
            r#""\x0b\x0c""#
        );
        assert_eq!(repr(b"x'y"), "\"x'y\"");
    }

    #[test]
    fn format_flat_array() {
        let r = Reply::Array(vec![bulk("a"), Reply::Integer(1), Reply::Nil]);
        assert_eq!(format_reply(&r), "1) \"a\"\n2) (integer) 1\n3) (nil)");
    }

    #[test]
    fn format_twelve_elements_right_aligned() {
        let r = Reply::Array((1..=12).map(|i| bulk(&format!("v{i}"))).collect());
        let expected = " 1) \"v1\"\n 2) \"v2\"\n 3) \"v3\"\n 4) \"v4\"\n 5) \"v5\"\n \
                        6) \"v6\"\n 7) \"v7\"\n 8) \"v8\"\n 9) \"v9\"\n10) \"v10\"\n\
                        11) \"v11\"\n12) \"v12\"";
        assert_eq!(format_reply(&r), expected);
    }

    #[test]
    fn format_ten_elements_width() {
        let r = Reply::Array((0..10).map(Reply::Integer).collect());
        let text = format_reply(&r);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.first(), Some(&" 1) (integer) 0"));
        assert_eq!(lines.last(), Some(&"10) (integer) 9"));
    }

    #[test]
    fn format_xrange_shape() {
        let entry = |id: &str, f: &str, v: &str| {
            Reply::Array(vec![bulk(id), Reply::Array(vec![bulk(f), bulk(v)])])
        };
        let one = Reply::Array(vec![entry("1-0", "f", "v")]);
        assert_eq!(
            format_reply(&one),
            "1) 1) \"1-0\"\n   2) 1) \"f\"\n      2) \"v\""
        );
        let two = Reply::Array(vec![entry("1-0", "a", "1"), entry("2-0", "b", "2")]);
        assert_eq!(
            format_reply(&two),
            "1) 1) \"1-0\"\n   2) 1) \"a\"\n      2) \"1\"\n\
             2) 1) \"2-0\"\n   2) 1) \"b\"\n      2) \"2\""
        );
    }

    #[test]
    fn format_nested_with_wide_indices() {
        // Outer width 2 → nested continuation lines are indented by 4.
        let mut items: Vec<Reply> = (0..9).map(Reply::Integer).collect();
        items.push(Reply::Array(vec![bulk("x"), bulk("y")]));
        let text = format_reply(&Reply::Array(items));
        assert!(
            text.ends_with(" 9) (integer) 8\n10) 1) \"x\"\n    2) \"y\""),
            "{text}"
        );

        // Inner width 2 inside outer width 1: indent 3, then 3 + 4 = 7.
        let inner: Vec<Reply> = (0..10)
            .map(|i| {
                if i == 9 {
                    Reply::Array(vec![bulk("p"), bulk("q")])
                } else {
                    Reply::Integer(i)
                }
            })
            .collect();
        let text = format_reply(&Reply::Array(vec![Reply::Array(inner), bulk("z")]));
        let expected = "1)  1) (integer) 0\n    2) (integer) 1\n    3) (integer) 2\n    \
                        4) (integer) 3\n    5) (integer) 4\n    6) (integer) 5\n    \
                        7) (integer) 6\n    8) (integer) 7\n    9) (integer) 8\n   \
                        10) 1) \"p\"\n       2) \"q\"\n2) \"z\"";
        assert_eq!(text, expected);
    }

    #[test]
    fn format_empty_nested_array() {
        let r = Reply::Array(vec![Reply::Array(vec![]), bulk("a"), Reply::NilArray]);
        assert_eq!(format_reply(&r), "1) (empty array)\n2) \"a\"\n3) (nil)");
        let r = Reply::Array(vec![bulk("0"), Reply::Array(vec![])]);
        assert_eq!(format_reply(&r), "1) \"0\"\n2) (empty array)");
    }

    #[test]
    fn format_deeply_nested_first_elements() {
        let r = Reply::Array(vec![Reply::Array(vec![Reply::Array(vec![
            Reply::Integer(1),
            Reply::Integer(2),
        ])])]);
        assert_eq!(
            format_reply(&r),
            "1) 1) 1) (integer) 1\n      2) (integer) 2"
        );
    }

    #[test]
    fn format_very_deep_nesting_does_not_overflow() {
        let mut r = Reply::Integer(7);
        for _ in 0..100_000 {
            r = Reply::Array(vec![r]);
        }
        let text = format_reply(&r);
        assert!(text.starts_with("1) 1) "));
        assert!(text.ends_with("1) (integer) 7"));
        // Dropping a deeply nested Reply recursively is not this module's concern.
        std::mem::forget(r);
    }

    #[test]
    fn format_errors_and_status_inside_arrays() {
        let r = Reply::Array(vec![Reply::ok(), Reply::error("ERR x"), Reply::Integer(3)]);
        assert_eq!(format_reply(&r), "1) OK\n2) (error) ERR x\n3) (integer) 3");
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn repr_then_tokenize_round_trips(args in proptest::collection::vec(
                proptest::collection::vec(any::<u8>(), 0..12), 0..6)) {
                let line: Vec<String> = args.iter().map(|a| repr(a)).collect();
                prop_assert_eq!(tokenize(&line.join(" ")), Ok(args));
            }

            #[test]
            fn tokenize_never_panics(line in "[ a-c\\\"'x0-9fA\t\n\r\x0b]{0,24}") {
                let _ = tokenize(&line);
            }

            #[test]
            fn format_never_panics(items in proptest::collection::vec(any::<i64>(), 0..120)) {
                let reply = Reply::Array(vec![
                    Reply::Array(items.iter().map(|&i| Reply::Integer(i)).collect()),
                    Reply::Bulk(items.iter().map(|&i| i as u8).collect()),
                ]);
                let text = format_reply(&reply);
                prop_assert!(text.starts_with("1) "));
            }
        }
    }
}
