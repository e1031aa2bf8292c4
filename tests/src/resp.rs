//! A tiny blocking RESP2 client: send one command, read exactly one reply.
//!
//! It keeps the reply's raw bytes (what the differential tests compare) next to
//! a parsed [`Value`] (what unordered comparisons and polling loops look at).
//! Deliberately independent of `cachelab_core::resp`, so a bug there cannot hide
//! itself in the tests.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// One parsed RESP2 reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Status(Vec<u8>),
    Error(Vec<u8>),
    Integer(i64),
    /// `None` is the null bulk string `$-1`.
    Bulk(Option<Vec<u8>>),
    /// `None` is the null array `*-1`.
    Array(Option<Vec<Value>>),
}

impl Value {
    /// The RESP2 encoding of this value.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode_into(&mut out);
        out
    }

    fn encode_into(&self, out: &mut Vec<u8>) {
        match self {
            Value::Status(s) => {
                out.push(b'+');
                out.extend_from_slice(s);
                out.extend_from_slice(b"\r\n");
            }
            Value::Error(s) => {
                out.push(b'-');
                out.extend_from_slice(s);
                out.extend_from_slice(b"\r\n");
            }
            Value::Integer(n) => out.extend_from_slice(format!(":{n}\r\n").as_bytes()),
            Value::Bulk(None) => out.extend_from_slice(b"$-1\r\n"),
            Value::Bulk(Some(b)) => {
                out.extend_from_slice(format!("${}\r\n", b.len()).as_bytes());
                out.extend_from_slice(b);
                out.extend_from_slice(b"\r\n");
            }
            Value::Array(None) => out.extend_from_slice(b"*-1\r\n"),
            Value::Array(Some(items)) => {
                out.extend_from_slice(format!("*{}\r\n", items.len()).as_bytes());
                for item in items {
                    item.encode_into(out);
                }
            }
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Integer(n) => Some(*n),
            _ => None,
        }
    }
}

/// A reply: its exact bytes on the wire and its parsed form.
#[derive(Clone, Debug)]
pub struct Reply {
    pub raw: Vec<u8>,
    pub value: Value,
}

/// One blocking connection.
pub struct Connection {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

/// Replies larger than this are refused: a runaway server must not eat the test's memory.
const MAX_BULK: usize = 64 << 20;
const MAX_DEPTH: usize = 64;

impl Connection {
    pub fn connect(addr: SocketAddr) -> io::Result<Connection> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(20)))?;
        stream.set_write_timeout(Some(Duration::from_secs(20)))?;
        let writer = stream.try_clone()?;
        Ok(Connection {
            reader: BufReader::new(stream),
            writer,
        })
    }

    /// Sends `argv` without reading the reply (a command that blocks).
    pub fn send(&mut self, argv: &[Vec<u8>]) -> io::Result<()> {
        self.writer.write_all(&encode_request(argv))
    }

    /// Sends `argv` as a RESP2 multibulk request and reads one reply.
    pub fn call(&mut self, argv: &[Vec<u8>]) -> io::Result<Reply> {
        self.writer.write_all(&encode_request(argv))?;
        self.read_reply()
    }

    /// Convenience for fixed ASCII commands.
    pub fn call_str(&mut self, argv: &[&str]) -> io::Result<Reply> {
        let argv: Vec<Vec<u8>> = argv.iter().map(|a| a.as_bytes().to_vec()).collect();
        self.call(&argv)
    }

    /// Reads one complete reply.
    pub fn read_reply(&mut self) -> io::Result<Reply> {
        let mut raw = Vec::new();
        let value = read_value(&mut self.reader, &mut raw, 0)?;
        Ok(Reply { raw, value })
    }
}

/// `*N\r\n$len\r\narg\r\n...`.
pub fn encode_request(argv: &[Vec<u8>]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", argv.len()).into_bytes();
    for a in argv {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// Reads one `\r\n`-terminated line, returning it without the terminator.
fn read_line(r: &mut impl BufRead, raw: &mut Vec<u8>) -> io::Result<Vec<u8>> {
    let mut line = Vec::new();
    let n = r.read_until(b'\n', &mut line)?;
    if n == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "connection closed",
        ));
    }
    raw.extend_from_slice(&line);
    if !line.ends_with(b"\r\n") {
        return Err(bad(format!(
            "line without CRLF: {:?}",
            String::from_utf8_lossy(&line)
        )));
    }
    line.truncate(line.len() - 2);
    Ok(line)
}

fn parse_len(text: &[u8]) -> io::Result<i64> {
    std::str::from_utf8(text)
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or_else(|| bad(format!("bad length {:?}", String::from_utf8_lossy(text))))
}

fn read_value(r: &mut impl BufRead, raw: &mut Vec<u8>, depth: usize) -> io::Result<Value> {
    if depth > MAX_DEPTH {
        return Err(bad("reply nested too deeply"));
    }
    let line = read_line(r, raw)?;
    let (kind, rest) = line.split_first().ok_or_else(|| bad("empty reply line"))?;
    match kind {
        b'+' => Ok(Value::Status(rest.to_vec())),
        b'-' => Ok(Value::Error(rest.to_vec())),
        b':' => Ok(Value::Integer(parse_len(rest)?)),
        b'$' => {
            let n = parse_len(rest)?;
            if n < 0 {
                return Ok(Value::Bulk(None));
            }
            let n = usize::try_from(n).map_err(|_| bad("bulk too long"))?;
            if n > MAX_BULK {
                return Err(bad(format!(
                    "bulk of {n} bytes is larger than the client accepts"
                )));
            }
            let mut buf = vec![0u8; n + 2];
            r.read_exact(&mut buf)?;
            raw.extend_from_slice(&buf);
            if !buf.ends_with(b"\r\n") {
                return Err(bad("bulk without CRLF"));
            }
            buf.truncate(n);
            Ok(Value::Bulk(Some(buf)))
        }
        b'*' => {
            let n = parse_len(rest)?;
            if n < 0 {
                return Ok(Value::Array(None));
            }
            let mut items = Vec::new();
            for _ in 0..n {
                items.push(read_value(r, raw, depth + 1)?);
            }
            Ok(Value::Array(Some(items)))
        }
        other => Err(bad(format!("unknown reply type byte {other:#04x}"))),
    }
}

/// Shows bytes the way a Rust byte-string literal would: printable ASCII as is,
/// everything else escaped. Used in mismatch reports.
pub fn escape(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            b'\t' => s.push_str("\\t"),
            b'\\' => s.push_str("\\\\"),
            b'"' => s.push_str("\\\""),
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> io::Result<Reply> {
        let mut r = BufReader::new(bytes);
        let mut raw = Vec::new();
        let value = read_value(&mut r, &mut raw, 0)?;
        Ok(Reply { raw, value })
    }

    #[test]
    fn parses_every_kind_and_keeps_raw_bytes() {
        let wire = b"*6\r\n+OK\r\n-ERR x\r\n:-5\r\n$3\r\na\r\n\r\n$-1\r\n*-1\r\n";
        let reply = parse(wire).unwrap();
        assert_eq!(reply.raw, wire);
        assert_eq!(
            reply.value,
            Value::Array(Some(vec![
                Value::Status(b"OK".to_vec()),
                Value::Error(b"ERR x".to_vec()),
                Value::Integer(-5),
                Value::Bulk(Some(b"a\r\n".to_vec())),
                Value::Bulk(None),
                Value::Array(None),
            ]))
        );
        assert_eq!(reply.value.encode(), wire);
    }

    #[test]
    fn rejects_truncated_and_malformed_replies() {
        assert!(parse(b"$5\r\nab\r\n").is_err());
        assert!(parse(b"?x\r\n").is_err());
        assert!(parse(b"+OK\n").is_err());
        assert!(parse(b"").is_err());
    }

    #[test]
    fn escapes_for_reports() {
        assert_eq!(escape(b"+OK\r\n"), "+OK\\r\\n");
        assert_eq!(escape(b"\x00\xff\"\\"), "\\x00\\xff\\\"\\\\");
    }
}
