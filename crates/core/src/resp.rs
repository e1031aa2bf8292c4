//! The RESP2 request parser: multibulk requests and inline (telnet) commands.
//!
//! This mirrors Redis 7.0.15's `processInlineBuffer` and
//! `processMultibulkBuffer`, including their quirks:
//!
//! - A request starting with `*` is multibulk, anything else is inline.
//! - Line searches behave like C's `strchr` on the NUL-terminated query buffer:
//!   a NUL byte before the line terminator hides the terminator, so the request
//!   stays incomplete until the "too big" limit (64 KiB) is exceeded.
//! - A multibulk header line ends at `\r`, and the byte after `\r` is skipped
//!   without checking that it is `\n`; likewise the two bytes after a bulk
//!   payload are skipped unchecked.
//! - `*0` and `*-N` are empty requests (the caller ignores an empty argv, as
//!   Redis does); so is an empty inline line.
//!
//! Error texts are exactly what Redis sends after `-` (for example
//! `ERR Protocol error: invalid multibulk length`). After an error Redis
//! replies and then closes the connection; the caller should do the same.
//!
//! # Incremental use
//!
//! [`RequestParser::parse`] is handed the unconsumed bytes of the connection
//! (starting at the beginning of the next request). When it returns
//! `Ok(None)` it remembers how far it got, so the next call must be handed
//! the same bytes, possibly followed by more: feeding a large request in many
//! small reads then costs time linear in its size, and huge payloads are never
//! rescanned. If the buffer passed is shorter than what was remembered, the
//! parser starts over from the beginning of the buffer. After `Ok(Some(..))`
//! or `Err(..)` nothing is remembered. Call [`RequestParser::reset`] when
//! reusing a parser for an unrelated byte stream.
//!
//! Redis reads at most 16 KiB per read and parses after every read; a server
//! that wants the "too big ..." errors to trigger at exactly the same moments
//! should do the same.

use std::fmt;

/// A protocol violation: the full error line Redis sends (without the leading
/// `-` and trailing CRLF), e.g. `ERR Protocol error: invalid bulk length`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolError(pub String);

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProtocolError {}

impl ProtocolError {
    fn new(msg: &str) -> ProtocolError {
        ProtocolError(format!("ERR Protocol error: {msg}"))
    }
}

/// Redis's `PROTO_INLINE_MAX_SIZE`.
pub const DEFAULT_MAX_INLINE_LEN: usize = 64 * 1024;
/// Redis's default `proto-max-bulk-len`.
pub const DEFAULT_MAX_BULK_LEN: usize = 512 * 1024 * 1024;
/// The largest multibulk count Redis accepts (`INT_MAX`).
const MAX_MULTIBULK_LEN: i64 = i32::MAX as i64;
/// With authentication pending, Redis refuses bigger counts and lengths.
const UNAUTH_MAX_MULTIBULK_LEN: i64 = 10;
const UNAUTH_MAX_BULK_LEN: i64 = 16 * 1024;

/// What kind of request the remembered progress belongs to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Kind {
    #[default]
    None,
    Inline,
    Multibulk,
}

/// Progress through an incomplete request, kept between calls.
#[derive(Clone, Debug, Default)]
struct Progress {
    kind: Kind,
    /// Offset of the first byte not yet turned into a header or an argument.
    pos: usize,
    /// Offset from which the search for the current line's end resumes:
    /// the bytes in `pos..scan` contain no terminator and no NUL.
    scan: usize,
    /// Arguments still to read; `None` until the `*N` line has been read.
    remaining: Option<usize>,
    /// Length of the bulk being read; `None` until its `$N` line has been read.
    bulk_len: Option<usize>,
    args: Vec<Vec<u8>>,
}

/// Parses RESP2 requests (see the module documentation).
#[derive(Clone, Debug)]
pub struct RequestParser {
    /// `proto-max-bulk-len`: longer bulk arguments are refused.
    pub max_bulk_len: usize,
    /// Longest inline request or header line accepted without a terminator.
    pub max_inline_len: usize,
    /// Set while the connection still has to authenticate: Redis then refuses
    /// multibulk counts above 10 and bulk lengths above 16384.
    pub auth_required: bool,
    progress: Progress,
}

impl Default for RequestParser {
    fn default() -> Self {
        RequestParser::new()
    }
}

/// The outcome of one parse attempt.
type Parsed = Result<Option<(Vec<Vec<u8>>, usize)>, ProtocolError>;

impl RequestParser {
    pub fn new() -> RequestParser {
        RequestParser {
            max_bulk_len: DEFAULT_MAX_BULK_LEN,
            max_inline_len: DEFAULT_MAX_INLINE_LEN,
            auth_required: false,
            progress: Progress::default(),
        }
    }

    /// Forgets any remembered progress.
    pub fn reset(&mut self) {
        self.progress = Progress::default();
    }

    /// Parses one request from the start of `buf`.
    ///
    /// Returns `Ok(None)` if more bytes are needed, or the arguments and the
    /// number of bytes the request occupied. An empty argument vector means
    /// an empty request (blank inline line, `*0`, `*-1`) to be skipped.
    #[allow(clippy::type_complexity)]
    pub fn parse(&mut self, buf: &[u8]) -> Result<Option<(Vec<Vec<u8>>, usize)>, ProtocolError> {
        let Some(&first) = buf.first() else {
            self.reset();
            return Ok(None);
        };
        let kind = if first == b'*' {
            Kind::Multibulk
        } else {
            Kind::Inline
        };
        let p = &self.progress;
        if p.kind != kind || p.pos > buf.len() || p.scan > buf.len() {
            self.progress = Progress {
                kind,
                ..Progress::default()
            };
        }
        let result = match kind {
            Kind::Multibulk => self.parse_multibulk(buf),
            _ => self.parse_inline(buf),
        };
        if !matches!(result, Ok(None)) {
            self.reset();
        }
        result
    }

    fn parse_inline(&mut self, buf: &[u8]) -> Parsed {
        let from = self.progress.scan;
        match find_line_end(buf, from, b'\n') {
            Found::At(newline) => {
                let end = match newline.checked_sub(1) {
                    Some(before) if buf.get(before) == Some(&b'\r') => before,
                    _ => newline,
                };
                let line = buf.get(..end).unwrap_or(&[]);
                match crate::cli::tokenize_bytes(line) {
                    Ok(args) => Ok(Some((args, newline.saturating_add(1)))),
                    Err(_) => Err(ProtocolError::new("unbalanced quotes in request")),
                }
            }
            Found::Blocked(at) => {
                self.progress.scan = at;
                if buf.len() > self.max_inline_len {
                    Err(ProtocolError::new("too big inline request"))
                } else {
                    Ok(None)
                }
            }
        }
    }

    fn parse_multibulk(&mut self, buf: &[u8]) -> Parsed {
        let len = buf.len();
        let p = &mut self.progress;

        if p.remaining.is_none() {
            let cr = match find_line_end(buf, p.scan, b'\r') {
                Found::At(cr) => cr,
                Found::Blocked(at) => {
                    p.scan = at;
                    if len > self.max_inline_len {
                        return Err(ProtocolError::new("too big mbulk count string"));
                    }
                    return Ok(None);
                }
            };
            // The byte after '\r' must be there too (it is skipped unchecked).
            if cr.saturating_add(2) > len {
                p.scan = cr;
                return Ok(None);
            }
            let count = match buf.get(1..cr).and_then(crate::num::parse_i64) {
                Some(n) if n <= MAX_MULTIBULK_LEN => n,
                _ => return Err(ProtocolError::new("invalid multibulk length")),
            };
            if count > UNAUTH_MAX_MULTIBULK_LEN && self.auth_required {
                return Err(ProtocolError::new("unauthenticated multibulk length"));
            }
            let after = cr.saturating_add(2);
            let Ok(count) = usize::try_from(count) else {
                // Zero or negative: an empty request.
                return Ok(Some((Vec::new(), after)));
            };
            if count == 0 {
                return Ok(Some((Vec::new(), after)));
            }
            p.pos = after;
            p.scan = after;
            p.remaining = Some(count);
            p.bulk_len = None;
            p.args = Vec::with_capacity(count.min(1024));
        }

        while let Some(remaining) = p.remaining.filter(|&n| n > 0) {
            let bulk_len = match p.bulk_len {
                Some(n) => n,
                None => {
                    let start = p.pos;
                    let cr = match find_line_end(buf, p.scan.max(start), b'\r') {
                        Found::At(cr) => cr,
                        Found::Blocked(at) => {
                            p.scan = at;
                            if len.saturating_sub(start) > self.max_inline_len {
                                return Err(ProtocolError::new("too big bulk count string"));
                            }
                            return Ok(None);
                        }
                    };
                    if cr.saturating_add(2) > len {
                        p.scan = cr;
                        return Ok(None);
                    }
                    let first = buf.get(start).copied().unwrap_or(b'\r');
                    if first != b'$' {
                        return Err(ProtocolError(format!(
                            "ERR Protocol error: expected '$', got '{}'",
                            printf_char(first)
                        )));
                    }
                    let digits = buf.get(start.saturating_add(1)..cr).unwrap_or(&[]);
                    let n = match crate::num::parse_i64(digits) {
                        Some(n) if n >= 0 => n,
                        _ => return Err(ProtocolError::new("invalid bulk length")),
                    };
                    let n = match usize::try_from(n) {
                        Ok(n) if n <= self.max_bulk_len => n,
                        _ => return Err(ProtocolError::new("invalid bulk length")),
                    };
                    if self.auth_required && n > UNAUTH_MAX_BULK_LEN as usize {
                        return Err(ProtocolError::new("unauthenticated bulk length"));
                    }
                    p.pos = cr.saturating_add(2);
                    p.scan = p.pos;
                    p.bulk_len = Some(n);
                    n
                }
            };

            // The payload plus two trailing bytes (normally CRLF, not checked).
            let Some(needed) = bulk_len.checked_add(2) else {
                return Ok(None);
            };
            if len.saturating_sub(p.pos) < needed {
                return Ok(None);
            }
            let end = p.pos.saturating_add(bulk_len);
            let Some(payload) = buf.get(p.pos..end) else {
                return Ok(None);
            };
            p.args.push(payload.to_vec());
            p.pos = p.pos.saturating_add(needed);
            p.scan = p.pos;
            p.bulk_len = None;
            p.remaining = Some(remaining.saturating_sub(1));
        }

        let args = std::mem::take(&mut p.args);
        Ok(Some((args, p.pos)))
    }
}

/// Where a line search stopped.
enum Found {
    /// The terminator is at this offset.
    At(usize),
    /// No terminator is visible yet; the search may resume from this offset
    /// (a NUL byte sits there, or it is the end of the buffer).
    Blocked(usize),
}

/// Searches `buf[from..]` for `terminator` the way `strchr` does on a
/// NUL-terminated buffer: a NUL byte ends the search unsuccessfully.
fn find_line_end(buf: &[u8], from: usize, terminator: u8) -> Found {
    let rest = buf.get(from..).unwrap_or(&[]);
    match rest.iter().position(|&b| b == terminator || b == 0) {
        Some(i) => {
            let at = from.saturating_add(i);
            if rest.get(i) == Some(&0) {
                Found::Blocked(at)
            } else {
                Found::At(at)
            }
        }
        None => Found::Blocked(buf.len()),
    }
}

/// How `%c` shows a byte in an error reply: Redis replaces CR and LF with
/// spaces so the reply stays one line. A byte above 0x7f goes out raw in
/// Redis; a Rust `String` cannot hold it, so it is shown as the Latin-1
/// character with that code.
fn printf_char(b: u8) -> char {
    match b {
        b'\r' | b'\n' => ' ',
        other => char::from(other),
    }
}

#[cfg(test)]
mod tests;
