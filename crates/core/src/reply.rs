//! Replies as the engine produces them, independent of any wire format.
//!
//! `Reply` is what every command handler returns. The server encodes it as RESP2 or
//! RESP3, whichever the client chose with HELLO (`Reply::write_resp_v`); the browser
//! console prints it the way redis-cli does (`crate::cli::format_reply`), which sees
//! the RESP2 shape.
//!
//! Maps, sets, doubles and pairs exist so one handler serves both protocols: RESP2
//! flattens a map into an array and sends a double as a bulk string, exactly as
//! Redis does. Pushes (Pub/Sub) are `>` in RESP3 and plain arrays in RESP2; a
//! `Sequence` is several replies to one command, written back to back.

use crate::bytes::Bytes;

/// One reply. The first variants are RESP2's; the rest are RESP3 shapes with a
/// defined RESP2 fallback.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// `+OK`: a status line. Never contains CR or LF.
    Status(String),
    /// `-ERR ...`: an error line, including its prefix (`ERR`, `WRONGTYPE`, ...).
    /// Bytes, because Redis echoes user bytes (an unknown command's name) verbatim.
    Error(Vec<u8>),
    /// `:5`
    Integer(i64),
    /// `$5\r\nhello`: binary-safe bytes, inline when short (a member, a field,
    /// a small value), so most replies cost no allocation per element.
    Bulk(Bytes),
    /// `$-1`: the null bulk string.
    Nil,
    /// `*-1`: the null array (e.g. EXEC after a failed WATCH, BLPOP timeout).
    NilArray,
    /// `*N`: an array of replies, possibly nested.
    Array(Vec<Reply>),
    /// RESP3 `%N` map; a flat `[k1, v1, k2, v2, ...]` array in RESP2.
    Map(Vec<(Reply, Reply)>),
    /// RESP3 `~N` set; an array in RESP2.
    Set(Vec<Reply>),
    /// RESP3 `,` double; a bulk string (`%.17g`, `inf`, `-inf`) in RESP2.
    Double(f64),
    /// A double as Redis's `addReplyHumanLongDouble` sends it (GEOPOS): `%.17Lf`
    /// with trailing zeros trimmed, a bulk string in RESP2 and a `,` double in RESP3.
    HumanDouble(f64),
    /// RESP3 `=` verbatim text (MEMORY DOCTOR), with its 3-letter format; a bulk
    /// string of the text alone in RESP2.
    Verbatim([u8; 3], Vec<u8>),
    /// RESP3 `#t` / `#f`; `:1` / `:0` in RESP2 (a script's `true` after
    /// `redis.setresp(3)`).
    Bool(bool),
    /// RESP3 `(` big number, its digits as given; a bulk string in RESP2 (a
    /// script's `{big_number = "..."}`).
    BigNumber(Vec<u8>),
    /// Member/score style pairs: `[[a, 1], [b, 2]]` in RESP3, flat
    /// `[a, 1, b, 2]` in RESP2 (ZRANGE WITHSCORES, HRANDFIELD WITHVALUES, ...).
    Pairs(Vec<(Reply, Reply)>),
    /// A RESP3 `%N` map that RESP2 sends as an array of `[key, value]` arrays
    /// (XREAD's streams).
    Grouped(Vec<(Reply, Reply)>),
    /// RESP3 `>N` out-of-band push (Pub/Sub messages and (un)subscribe
    /// confirmations); a plain `*N` array in RESP2.
    Push(Vec<Reply>),
    /// Several replies written back to back, as Redis does when one command answers
    /// more than once: SUBSCRIBE with two channels confirms each, and a RESP3
    /// client's own Pub/Sub pushes come before its command's reply. Inside EXEC's
    /// array they still count as one element, exactly as Redis writes them.
    Sequence(Vec<Reply>),
}

// Replies never carry NaN (Redis refuses to produce one), so equality is total.
impl Eq for Reply {}

impl Reply {
    pub fn ok() -> Reply {
        Reply::Status("OK".to_string())
    }

    pub fn bulk(bytes: impl Into<Bytes>) -> Reply {
        Reply::Bulk(bytes.into())
    }

    /// A bulk string holding `s`, or nil.
    pub fn opt_bulk(value: Option<Vec<u8>>) -> Reply {
        value.map_or(Reply::Nil, Reply::bulk)
    }

    /// Verbatim plain text (`txt`).
    pub fn verbatim_text(text: String) -> Reply {
        Reply::Verbatim(*b"txt", text.into_bytes())
    }

    pub fn error(msg: impl Into<String>) -> Reply {
        Reply::Error(msg.into().into_bytes())
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// Appends this reply in RESP2 encoding to `out`.
    pub fn write_resp(&self, out: &mut Vec<u8>) {
        self.write_resp_v(out, 2);
    }

    /// Appends this reply in RESP2 (`proto` 2) or RESP3 (`proto` 3) encoding.
    pub fn write_resp_v(&self, out: &mut Vec<u8>, proto: u8) {
        let resp3 = proto >= 3;
        match self {
            Reply::Status(s) => {
                out.push(b'+');
                out.extend_from_slice(s.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            Reply::Error(s) => {
                out.push(b'-');
                out.extend_from_slice(s);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Integer(n) => {
                out.push(b':');
                crate::num::push_i64(out, *n);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Bulk(b) => push_bulk(out, b),
            Reply::Nil if resp3 => out.extend_from_slice(b"_\r\n"),
            Reply::NilArray if resp3 => out.extend_from_slice(b"_\r\n"),
            Reply::Nil => out.extend_from_slice(b"$-1\r\n"),
            Reply::NilArray => out.extend_from_slice(b"*-1\r\n"),
            Reply::Array(items) => {
                push_len(out, b'*', items.len());
                for item in items {
                    item.write_resp_v(out, proto);
                }
            }
            Reply::Set(items) => {
                push_len(out, if resp3 { b'~' } else { b'*' }, items.len());
                for item in items {
                    item.write_resp_v(out, proto);
                }
            }
            Reply::Map(pairs) => {
                if resp3 {
                    push_len(out, b'%', pairs.len());
                } else {
                    push_len(out, b'*', pairs.len() * 2);
                }
                for (k, v) in pairs {
                    k.write_resp_v(out, proto);
                    v.write_resp_v(out, proto);
                }
            }
            Reply::Grouped(pairs) => {
                push_len(out, if resp3 { b'%' } else { b'*' }, pairs.len());
                for (k, v) in pairs {
                    if !resp3 {
                        out.extend_from_slice(b"*2\r\n");
                    }
                    k.write_resp_v(out, proto);
                    v.write_resp_v(out, proto);
                }
            }
            Reply::Pairs(pairs) => {
                if resp3 {
                    push_len(out, b'*', pairs.len());
                } else {
                    push_len(out, b'*', pairs.len() * 2);
                }
                for (k, v) in pairs {
                    if resp3 {
                        out.extend_from_slice(b"*2\r\n");
                    }
                    k.write_resp_v(out, proto);
                    v.write_resp_v(out, proto);
                }
            }
            Reply::Push(items) => {
                push_len(out, if resp3 { b'>' } else { b'*' }, items.len());
                for item in items {
                    item.write_resp_v(out, proto);
                }
            }
            Reply::Sequence(replies) => {
                for r in replies {
                    r.write_resp_v(out, proto);
                }
            }
            Reply::Verbatim(format, text) => {
                if resp3 {
                    push_len(out, b'=', text.len() + 4);
                    out.extend_from_slice(format);
                    out.push(b':');
                    out.extend_from_slice(text);
                    out.extend_from_slice(b"\r\n");
                } else {
                    push_bulk(out, text);
                }
            }
            Reply::Bool(b) => out.extend_from_slice(match (resp3, b) {
                (true, true) => b"#t\r\n",
                (true, false) => b"#f\r\n",
                (false, true) => b":1\r\n",
                (false, false) => b":0\r\n",
            }),
            Reply::BigNumber(digits) => {
                if resp3 {
                    out.push(b'(');
                    out.extend_from_slice(digits);
                    out.extend_from_slice(b"\r\n");
                } else {
                    push_bulk(out, digits);
                }
            }
            Reply::Double(_) | Reply::HumanDouble(_) => {
                let text = self.double_text();
                if resp3 {
                    out.push(b',');
                    out.extend_from_slice(text.as_bytes());
                    out.extend_from_slice(b"\r\n");
                } else {
                    push_bulk(out, text.as_bytes());
                }
            }
        }
    }

    /// The replies this one stands for, in order: the parts of a
    /// No reply at all (an empty [`Reply::Sequence`]): REPLCONF ACK, or what
    /// CLIENT REPLY OFF leaves of a reply.
    pub fn nothing() -> Reply {
        Reply::Sequence(Vec::new())
    }

    /// [`Reply::Sequence`], or just itself.
    pub fn parts(&self) -> &[Reply] {
        match self {
            Reply::Sequence(replies) => replies,
            other => std::slice::from_ref(other),
        }
    }

    /// True if the tree holds RESP3-only shapes (maps, sets, doubles, pairs, pushes). Walks
    /// with an explicit stack, so arbitrarily deep replies are fine.
    pub fn has_resp3_shapes(&self) -> bool {
        let mut stack = vec![self];
        while let Some(r) = stack.pop() {
            match r {
                Reply::Map(_)
                | Reply::Set(_)
                | Reply::Double(_)
                | Reply::HumanDouble(_)
                | Reply::Verbatim(..)
                | Reply::Bool(_)
                | Reply::BigNumber(_)
                | Reply::Pairs(_)
                | Reply::Grouped(_)
                | Reply::Push(_) => return true,
                Reply::Array(items) | Reply::Sequence(items) => stack.extend(items.iter()),
                _ => {}
            }
        }
        false
    }

    /// The same reply as RESP2 shapes only (maps flattened, doubles as bulk
    /// strings): what a RESP2 client such as redis-cli sees.
    pub fn to_resp2_shape(&self) -> Reply {
        match self {
            Reply::Array(items) | Reply::Set(items) | Reply::Push(items) => {
                Reply::Array(items.iter().map(Reply::to_resp2_shape).collect())
            }
            Reply::Sequence(replies) => {
                Reply::Sequence(replies.iter().map(Reply::to_resp2_shape).collect())
            }
            Reply::Map(pairs) | Reply::Pairs(pairs) => Reply::Array(
                pairs
                    .iter()
                    .flat_map(|(k, v)| [k.to_resp2_shape(), v.to_resp2_shape()])
                    .collect(),
            ),
            Reply::Grouped(pairs) => Reply::Array(
                pairs
                    .iter()
                    .map(|(k, v)| Reply::Array(vec![k.to_resp2_shape(), v.to_resp2_shape()]))
                    .collect(),
            ),
            Reply::Verbatim(_, text) | Reply::BigNumber(text) => Reply::bulk(text.clone()),
            Reply::Bool(b) => Reply::Integer(i64::from(*b)),
            Reply::Double(_) | Reply::HumanDouble(_) => {
                Reply::bulk(self.double_text().into_bytes())
            }
            other => other.clone(),
        }
    }

    /// The text of a double reply (empty for any other reply).
    pub fn double_text(&self) -> String {
        match self {
            Reply::Double(d) => crate::num::format_double(*d),
            Reply::HumanDouble(d) => crate::num::LongDouble::from_f64(*d).to_human_string(),
            _ => String::new(),
        }
    }

    /// The RESP2 encoding of this reply as a fresh buffer.
    pub fn to_resp(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_resp(&mut out);
        out
    }
}

fn push_len(out: &mut Vec<u8>, kind: u8, n: usize) {
    out.push(kind);
    crate::num::push_u64(out, n as u64);
    out.extend_from_slice(b"\r\n");
}

fn push_bulk(out: &mut Vec<u8>, b: &[u8]) {
    push_len(out, b'$', b.len());
    out.extend_from_slice(b);
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resp_encoding() {
        assert_eq!(Reply::ok().to_resp(), b"+OK\r\n");
        assert_eq!(Reply::Integer(-42).to_resp(), b":-42\r\n");
        assert_eq!(
            Reply::Integer(i64::MIN).to_resp(),
            b":-9223372036854775808\r\n"
        );
        assert_eq!(Reply::bulk("hi").to_resp(), b"$2\r\nhi\r\n");
        assert_eq!(Reply::Nil.to_resp(), b"$-1\r\n");
        assert_eq!(Reply::NilArray.to_resp(), b"*-1\r\n");
        assert_eq!(
            Reply::Array(vec![Reply::Integer(1), Reply::Array(vec![])]).to_resp(),
            b"*2\r\n:1\r\n*0\r\n"
        );
    }

    #[test]
    fn pushes_and_sequences() {
        let push = Reply::Push(vec![
            Reply::bulk("message"),
            Reply::bulk("c"),
            Reply::bulk("x"),
        ]);
        let mut resp3 = Vec::new();
        push.write_resp_v(&mut resp3, 3);
        assert_eq!(resp3, b">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nx\r\n");
        assert_eq!(
            push.to_resp(),
            b"*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nx\r\n"
        );
        let seq = Reply::Sequence(vec![push.clone(), Reply::Integer(1)]);
        assert_eq!(
            seq.to_resp(),
            b"*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nx\r\n:1\r\n"
        );
        assert_eq!(seq.parts().len(), 2);
        assert_eq!(Reply::Integer(1).parts(), &[Reply::Integer(1)]);
        assert!(push.has_resp3_shapes());
        assert_eq!(Reply::Sequence(vec![]).to_resp(), b"");
    }

    #[test]
    fn doubles_in_both_protocols() {
        // ZSCORE's %.17g and GEOPOS's trimmed %.17Lf.
        let cases = [
            (Reply::Double(1.5), "1.5"),
            (Reply::Double(0.1), "0.10000000000000001"),
            (
                Reply::HumanDouble(13.361_389_338_970_184),
                "13.36138933897018433",
            ),
            (Reply::HumanDouble(-0.0), "0"),
            (Reply::HumanDouble(180.0), "180"),
        ];
        for (reply, text) in cases {
            assert_eq!(
                reply.to_resp(),
                format!("${}\r\n{text}\r\n", text.len()).as_bytes()
            );
            let mut resp3 = Vec::new();
            reply.write_resp_v(&mut resp3, 3);
            assert_eq!(resp3, format!(",{text}\r\n").as_bytes());
            assert!(reply.has_resp3_shapes());
            assert_eq!(reply.to_resp2_shape(), Reply::bulk(text));
        }
    }

    #[test]
    fn verbatim_text_in_both_protocols() {
        let reply = Reply::verbatim_text("hi\n".to_string());
        assert_eq!(reply.to_resp(), b"$3\r\nhi\n\r\n");
        let mut resp3 = Vec::new();
        reply.write_resp_v(&mut resp3, 3);
        assert_eq!(resp3, b"=7\r\ntxt:hi\n\r\n");
        assert!(reply.has_resp3_shapes());
        assert_eq!(reply.to_resp2_shape(), Reply::bulk("hi\n"));
    }

    #[test]
    fn booleans_and_big_numbers_in_both_protocols() {
        let cases: [(Reply, &[u8], &[u8], Reply); 3] = [
            (Reply::Bool(true), b":1\r\n", b"#t\r\n", Reply::Integer(1)),
            (Reply::Bool(false), b":0\r\n", b"#f\r\n", Reply::Integer(0)),
            (
                Reply::BigNumber(b"-123456789012345678901234567890".to_vec()),
                b"$31\r\n-123456789012345678901234567890\r\n",
                b"(-123456789012345678901234567890\r\n",
                Reply::bulk("-123456789012345678901234567890"),
            ),
        ];
        for (reply, resp2, resp3, shape) in cases {
            assert_eq!(reply.to_resp(), resp2);
            let mut out = Vec::new();
            reply.write_resp_v(&mut out, 3);
            assert_eq!(out, resp3);
            assert!(reply.has_resp3_shapes());
            assert_eq!(reply.to_resp2_shape(), shape);
        }
    }
}
