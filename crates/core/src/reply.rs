//! Replies as the engine produces them, independent of any wire format.
//!
//! `Reply` is what every command handler returns. The server encodes it as RESP2
//! (`Reply::write_resp`); the browser console prints it the way redis-cli does
//! (`crate::cli::format_reply`).

/// One reply, mirroring RESP2's reply kinds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// `+OK`: a status line. Never contains CR or LF.
    Status(String),
    /// `-ERR ...`: an error line, including its prefix (`ERR`, `WRONGTYPE`, ...).
    /// Bytes, because Redis echoes user bytes (an unknown command's name) verbatim.
    Error(Vec<u8>),
    /// `:5`
    Integer(i64),
    /// `$5\r\nhello`: binary-safe bytes.
    Bulk(Vec<u8>),
    /// `$-1`: the null bulk string.
    Nil,
    /// `*-1`: the null array (e.g. EXEC after a failed WATCH, BLPOP timeout).
    NilArray,
    /// `*N`: an array of replies, possibly nested.
    Array(Vec<Reply>),
}

impl Reply {
    pub fn ok() -> Reply {
        Reply::Status("OK".to_string())
    }

    pub fn bulk(bytes: impl Into<Vec<u8>>) -> Reply {
        Reply::Bulk(bytes.into())
    }

    /// A bulk string holding `s`, or nil.
    pub fn opt_bulk(value: Option<Vec<u8>>) -> Reply {
        value.map_or(Reply::Nil, Reply::Bulk)
    }

    pub fn error(msg: impl Into<String>) -> Reply {
        Reply::Error(msg.into().into_bytes())
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// Appends this reply in RESP2 encoding to `out`.
    pub fn write_resp(&self, out: &mut Vec<u8>) {
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
                push_int(out, *n);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Bulk(b) => {
                out.push(b'$');
                push_int(out, b.len() as i64);
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(b);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Nil => out.extend_from_slice(b"$-1\r\n"),
            Reply::NilArray => out.extend_from_slice(b"*-1\r\n"),
            Reply::Array(items) => {
                out.push(b'*');
                push_int(out, items.len() as i64);
                out.extend_from_slice(b"\r\n");
                for item in items {
                    item.write_resp(out);
                }
            }
        }
    }

    /// The RESP2 encoding of this reply as a fresh buffer.
    pub fn to_resp(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_resp(&mut out);
        out
    }
}

fn push_int(out: &mut Vec<u8>, n: i64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let neg = n < 0;
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if neg {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[i..]);
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
}
