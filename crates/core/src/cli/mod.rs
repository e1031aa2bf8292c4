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
            if in_double || in_single {
                let quote = if in_double { b'"' } else { b'\'' };
                if in_double && c == b'\\' && at(p + 1) == b'x' {
                    if let (Some(hi), Some(lo)) = (hex_value(at(p + 2)), hex_value(at(p + 3))) {
                        current.push(hi * 16 + lo);
                        p += 4;
                        continue;
                    }
                }
                if in_double && c == b'\\' && at(p + 1) != 0 {
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
                } else if in_single && c == b'\\' && at(p + 1) == b'\'' {
                    current.push(b'\'');
                    p += 2;
                } else if c == quote {
                    // A closing quote must be followed by a space or the end.
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

mod format;

pub use format::{
    enters_pubsub_mode, format_pubsub_reply, format_reply, format_reply_for, format_reply_raw,
    prints_raw, repr, READING_MESSAGES,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Reply;

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
        Reply::bulk(s.as_bytes().to_vec())
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
            format_reply(&Reply::bulk(b"a\"b\\c\n\r\t\x07\x08".to_vec())),
            r#""a\"b\\c\n\r\t\a\b""#
        );
        assert_eq!(
            format_reply(&Reply::bulk(vec![
                0x00, 0x01, 0x1f, 0x7f, 0x80, 0xff, b' ', b'~'
            ])),
            r#""\x00\x01\x1f\x7f\x80\xff ~""#
        );
        // UTF-8 is not printable in the C locale: every byte is escaped.
        assert_eq!(format_reply(&bulk("é")), r#""\xc3\xa9""#);
        assert_eq!(
            format_reply(&Reply::bulk(vec![0x0b, 0x0c])),
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
        use crate::Reply;
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
                    Reply::bulk(items.iter().map(|&i| i as u8).collect::<Vec<u8>>()),
                ]);
                let text = format_reply(&reply);
                prop_assert!(text.starts_with("1) "));
            }
        }
    }
}
