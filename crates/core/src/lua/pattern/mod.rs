//! Lua 5.1 pattern matching on byte strings (the engine behind
//! `string.find`, `string.match`, `string.gmatch` and `string.gsub`).
//!
//! The semantics follow Lua 5.1's `lstrlib.c` closely, including its quirks:
//!
//! * A pattern ends at its first `\0` byte (5.1 walks patterns as C strings;
//!   `%z` is the way to match a zero byte).
//! * Errors are found lazily, while matching: `string.find("abc", "x[")`
//!   returns nil because the matcher never reaches the bad `[`.
//! * Character classes use the C locale: bytes >= 0x80 are in no class.
//!
//! The matcher does not recurse. Where Lua's C code calls itself to try an
//! alternative (`?`, `*`, `+`, `-`, captures), this one pushes a frame onto
//! an explicit backtracking stack, so neither a long subject nor a long
//! pattern can overflow the native stack. The stack holds at most one frame
//! per pattern byte, so its size is bounded by the pattern's length.

/// Lua 5.1's `LUA_MAXCAPTURES`.
pub const MAX_CAPTURES: usize = 32;

/// Lua 5.1's `SPECIALS`: a pattern without any of these is searched as plain
/// text by `string.find`.
const SPECIALS: &[u8] = b"^$*+?.([%-";

const ERR_ENDS_WITH_ESCAPE: &str = "malformed pattern (ends with '%')";
const ERR_MISSING_BRACKET: &str = "malformed pattern (missing ']')";
const ERR_FRONTIER: &str = "missing '[' after '%f' in pattern";
const ERR_UNBALANCED: &str = "unbalanced pattern";
const ERR_CAPTURE_INDEX: &str = "invalid capture index";
const ERR_PATTERN_CAPTURE: &str = "invalid pattern capture";
const ERR_UNFINISHED: &str = "unfinished capture";
const ERR_TOO_MANY: &str = "too many captures";

/// One capture's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capture {
    /// A substring capture: the byte range `start..end` of the subject.
    Span(usize, usize),
    /// A position capture `()`: the 1-based position, as Lua returns it.
    Position(usize),
    /// A capture whose `(` has no `)` (pattern `"(a"`). Lua 5.1 reports
    /// `unfinished capture` only when such a capture's value is used, so the
    /// match itself succeeds; [`capture_value`] and [`expand_replacement`]
    /// give the error.
    Unfinished,
}

/// A successful match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Byte offset of the first matched byte.
    pub start: usize,
    /// Byte offset just past the match (exclusive).
    pub end: usize,
    /// The pattern's captures, in order; empty when the pattern has none.
    pub captures: Vec<Capture>,
}

/// The value of one capture, as Lua pushes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureValue<'a> {
    /// A substring of the subject.
    Bytes(&'a [u8]),
    /// A 1-based position (from `()`).
    Position(usize),
}

/// Splits a leading `^` off `pattern`: `(true, rest)` when it is anchored.
/// `string.find`, `string.match` and `string.gsub` honour the anchor;
/// Lua 5.1's `string.gmatch` does not (there `^` is an ordinary byte).
pub fn split_anchor(pattern: &[u8]) -> (bool, &[u8]) {
    match pattern.split_first() {
        Some((b'^', rest)) => (true, rest),
        _ => (false, pattern),
    }
}

/// True when the pattern has no special characters (none of `^$*+?.([%-`),
/// so `string.find` may search it as plain text. Like Lua 5.1 (which uses
/// `strpbrk`), only the bytes before the first `\0` are examined.
pub fn is_plain(pattern: &[u8]) -> bool {
    !truncate_at_nul(pattern)
        .iter()
        .any(|b| SPECIALS.contains(b))
}

/// Tries to match `pattern` against `subject` starting exactly at byte
/// `init` (no scanning forward). A leading `^` is NOT treated as an anchor
/// here (see [`split_anchor`]); it is matched literally, as in Lua 5.1's
/// `gmatch`. Returns `Ok(None)` when `init > subject.len()`.
pub fn match_at(subject: &[u8], pattern: &[u8], init: usize) -> Result<Option<Match>, String> {
    if init > subject.len() {
        return Ok(None);
    }
    let mut m = Matcher::new(subject, pattern);
    m.try_at(init)
}

/// Lua 5.1's `str_find_aux` scan: when the pattern starts with `^` it is
/// anchored and only `init` is tried; otherwise `init`, `init + 1`, ...,
/// `subject.len()` (inclusive: an empty match at the very end is possible).
/// `init` beyond the subject is clamped to its length, as Lua does.
/// Returns the first match.
pub fn find(subject: &[u8], pattern: &[u8], init: usize) -> Result<Option<Match>, String> {
    let (anchor, pattern) = split_anchor(pattern);
    let mut m = Matcher::new(subject, pattern);
    let mut s = init.min(subject.len());
    loop {
        if let Some(found) = m.try_at(s)? {
            return Ok(Some(found));
        }
        if anchor || s >= subject.len() {
            return Ok(None);
        }
        s += 1;
    }
}

/// The value of capture `i` (0-based) as Lua gives it. For a pattern with no
/// captures, index 0 is the whole match; any other missing index is
/// `Err("invalid capture index")`, and an unfinished capture is
/// `Err("unfinished capture")`.
pub fn capture_value<'a>(
    subject: &'a [u8],
    m: &Match,
    i: usize,
) -> Result<CaptureValue<'a>, String> {
    match m.captures.get(i) {
        Some(Capture::Span(a, b)) => Ok(CaptureValue::Bytes(slice(subject, *a, *b))),
        Some(Capture::Position(p)) => Ok(CaptureValue::Position(*p)),
        Some(Capture::Unfinished) => Err(ERR_UNFINISHED.to_string()),
        None if i == 0 && m.captures.is_empty() => {
            Ok(CaptureValue::Bytes(slice(subject, m.start, m.end)))
        }
        None => Err(ERR_CAPTURE_INDEX.to_string()),
    }
}

/// Expands a `gsub` replacement string for match `m`, appending to `out`:
/// `%0` is the whole match, `%1`..`%9` the captures (`%1` is the whole match
/// when the pattern has no captures), and `%` followed by any other byte is
/// that byte (so `%%` is a percent). A `%` at the very end adds a `\0` byte,
/// as Lua 5.1 does (it reads the string's terminator). A position capture
/// adds its number in decimal. A reference to a missing capture is
/// `Err("invalid capture index")`, to an unfinished one
/// `Err("unfinished capture")`.
pub fn expand_replacement(
    subject: &[u8],
    m: &Match,
    repl: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), String> {
    let mut bytes = repl.iter();
    while let Some(&b) = bytes.next() {
        if b != b'%' {
            out.push(b);
            continue;
        }
        let c = bytes.next().copied().unwrap_or(0);
        if !c.is_ascii_digit() {
            out.push(c);
        } else if c == b'0' {
            out.extend_from_slice(slice(subject, m.start, m.end));
        } else {
            let index = usize::from(c - b'1');
            match capture_value(subject, m, index)? {
                CaptureValue::Bytes(s) => out.extend_from_slice(s),
                CaptureValue::Position(p) => out.extend_from_slice(p.to_string().as_bytes()),
            }
        }
    }
    Ok(())
}

/// `subject[a..b]`, or empty when the range is not inside `subject`.
fn slice(subject: &[u8], a: usize, b: usize) -> &[u8] {
    subject.get(a..b).unwrap_or(&[])
}

/// The part of `pattern` before its first `\0`.
fn truncate_at_nul(pattern: &[u8]) -> &[u8] {
    match pattern.iter().position(|&b| b == 0) {
        Some(n) => pattern.get(..n).unwrap_or(pattern),
        None => pattern,
    }
}

/// C-locale `isalpha` & co., with Lua 5.1's class letters. Upper-case
/// letters complement the class; any other byte stands for itself.
fn match_class(c: u8, class: u8) -> bool {
    let res = match class.to_ascii_lowercase() {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c.is_ascii_control(),
        b'd' => c.is_ascii_digit(),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        // C's isspace includes the vertical tab (0x0B), unlike
        // `u8::is_ascii_whitespace`.
        b's' => c == b' ' || (0x09..=0x0d).contains(&c),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        b'z' => c == 0,
        _ => return class == c,
    };
    if class.is_ascii_uppercase() {
        !res
    } else {
        res
    }
}

/// The state of a capture while matching.
#[derive(Clone, Copy, Debug)]
enum CapLen {
    Unfinished,
    Position,
    Len(usize),
}

#[derive(Clone, Copy, Debug)]
struct Cap {
    init: usize,
    len: CapLen,
}

/// What to do when the matcher backtracks to this point.
#[derive(Clone, Copy, Debug)]
enum Frame {
    /// Undo the opening of the newest capture.
    PopCapture,
    /// Reopen capture `l` (undo its closing).
    ReopenCapture(usize),
    /// Resume matching at subject `s`, pattern `p`.
    Resume { s: usize, p: usize },
    /// Greedy repetition of the item `p..ep` from `s`: `count` repetitions
    /// are still to be tried, from `count` down to 0.
    MaxExpand { s: usize, ep: usize, count: usize },
    /// Lazy repetition of the item `p..ep`: the rest of the pattern failed
    /// at `s`; try one more repetition.
    MinExpand { s: usize, p: usize, ep: usize },
}

/// What one step of matching decided.
enum Step {
    /// Continue at subject `s`, pattern `p`.
    Go(usize, usize),
    /// The whole pattern matched, ending at `s`.
    Done(usize),
    /// This path failed: backtrack.
    Fail,
}

struct Matcher<'a> {
    src: &'a [u8],
    pat: &'a [u8],
    level: usize,
    caps: [Cap; MAX_CAPTURES],
    stack: Vec<Frame>,
}

impl<'a> Matcher<'a> {
    fn new(src: &'a [u8], pattern: &'a [u8]) -> Self {
        Matcher {
            src,
            pat: truncate_at_nul(pattern),
            level: 0,
            caps: [Cap {
                init: 0,
                len: CapLen::Unfinished,
            }; MAX_CAPTURES],
            stack: Vec::new(),
        }
    }

    /// Pattern byte `i`, or 0 past the end (the C string's terminator).
    fn pb(&self, i: usize) -> u8 {
        self.pat.get(i).copied().unwrap_or(0)
    }

    /// Subject byte `i`, or 0 past the end (the Lua string's terminator,
    /// which `%f` and `%b` look at).
    fn sb(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(0)
    }

    /// Matches the whole pattern at subject position `init`.
    fn try_at(&mut self, init: usize) -> Result<Option<Match>, String> {
        self.level = 0;
        self.stack.clear();
        let Some(end) = self.run(init)? else {
            return Ok(None);
        };
        let captures = self
            .caps
            .iter()
            .take(self.level)
            .map(|cap| match cap.len {
                CapLen::Unfinished => Capture::Unfinished,
                CapLen::Position => Capture::Position(cap.init.saturating_add(1)),
                CapLen::Len(n) => Capture::Span(cap.init, cap.init.saturating_add(n)),
            })
            .collect();
        Ok(Some(Match {
            start: init,
            end,
            captures,
        }))
    }

    /// The backtracking loop: returns where the match ends, if it matches.
    fn run(&mut self, init: usize) -> Result<Option<usize>, String> {
        let (mut s, mut p) = (init, 0);
        loop {
            match self.step(s, p)? {
                Step::Go(s2, p2) => {
                    s = s2;
                    p = p2;
                }
                Step::Done(end) => return Ok(Some(end)),
                Step::Fail => match self.backtrack() {
                    Some((s2, p2)) => {
                        s = s2;
                        p = p2;
                    }
                    None => return Ok(None),
                },
            }
        }
    }

    /// Pops frames until one offers another alternative; undoes capture
    /// changes on the way.
    fn backtrack(&mut self) -> Option<(usize, usize)> {
        while let Some(frame) = self.stack.pop() {
            match frame {
                Frame::PopCapture => self.level = self.level.saturating_sub(1),
                Frame::ReopenCapture(l) => {
                    if let Some(cap) = self.caps.get_mut(l) {
                        cap.len = CapLen::Unfinished;
                    }
                }
                Frame::Resume { s, p } => return Some((s, p)),
                Frame::MaxExpand { s, ep, count } => {
                    if let Some(fewer) = count.checked_sub(1) {
                        self.stack.push(Frame::MaxExpand {
                            s,
                            ep,
                            count: fewer,
                        });
                        return Some((s.saturating_add(fewer), ep.saturating_add(1)));
                    }
                }
                Frame::MinExpand { s, p, ep } => {
                    if s < self.src.len() && self.single_match(self.sb(s), p, ep) {
                        let next = s + 1;
                        self.stack.push(Frame::MinExpand { s: next, p, ep });
                        return Some((next, ep.saturating_add(1)));
                    }
                }
            }
        }
        None
    }

    /// One step of Lua 5.1's `match` at subject `s`, pattern `p`.
    fn step(&mut self, s: usize, p: usize) -> Result<Step, String> {
        if p >= self.pat.len() {
            return Ok(Step::Done(s));
        }
        match self.pb(p) {
            b'(' => {
                if self.pb(p + 1) == b')' {
                    self.start_capture(s, p + 2, CapLen::Position)
                } else {
                    self.start_capture(s, p + 1, CapLen::Unfinished)
                }
            }
            b')' => self.end_capture(s, p + 1),
            b'$' if p + 1 == self.pat.len() => Ok(if s == self.src.len() {
                Step::Done(s)
            } else {
                Step::Fail
            }),
            b'%' => match self.pb(p + 1) {
                b'b' => Ok(match self.match_balance(s, p + 2)? {
                    Some(s2) => Step::Go(s2, p + 4),
                    None => Step::Fail,
                }),
                b'f' => self.frontier(s, p + 2),
                d if d.is_ascii_digit() => Ok(match self.match_capture(s, d)? {
                    Some(s2) => Step::Go(s2, p + 2),
                    None => Step::Fail,
                }),
                _ => self.item(s, p),
            },
            _ => self.item(s, p),
        }
    }

    /// A single-byte item (`x`, `.`, `%a`, `[set]`) with its optional
    /// quantifier.
    fn item(&mut self, s: usize, p: usize) -> Result<Step, String> {
        let ep = self.class_end(p)?;
        let m = s < self.src.len() && self.single_match(self.sb(s), p, ep);
        Ok(match self.pb(ep) {
            b'?' => {
                if m {
                    self.stack.push(Frame::Resume { s, p: ep + 1 });
                    Step::Go(s + 1, ep + 1)
                } else {
                    Step::Go(s, ep + 1)
                }
            }
            b'*' => self.max_expand(s, p, ep),
            b'+' => {
                if m {
                    self.max_expand(s + 1, p, ep)
                } else {
                    Step::Fail
                }
            }
            b'-' => {
                self.stack.push(Frame::MinExpand { s, p, ep });
                Step::Go(s, ep + 1)
            }
            _ => {
                if m {
                    Step::Go(s + 1, ep)
                } else {
                    Step::Fail
                }
            }
        })
    }

    /// Greedy repetition: take as many as possible, then give back one at a
    /// time on backtracking.
    fn max_expand(&mut self, s: usize, p: usize, ep: usize) -> Step {
        let count = self
            .src
            .get(s..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&c| self.single_match(c, p, ep))
            .count();
        self.stack.push(Frame::MaxExpand { s, ep, count });
        Step::Go(s + count, ep + 1)
    }

    fn start_capture(&mut self, s: usize, p: usize, len: CapLen) -> Result<Step, String> {
        let Some(cap) = self.caps.get_mut(self.level) else {
            return Err(ERR_TOO_MANY.to_string());
        };
        *cap = Cap { init: s, len };
        self.level += 1;
        self.stack.push(Frame::PopCapture);
        Ok(Step::Go(s, p))
    }

    fn end_capture(&mut self, s: usize, p: usize) -> Result<Step, String> {
        let l = self.capture_to_close()?;
        if let Some(cap) = self.caps.get_mut(l) {
            cap.len = CapLen::Len(s.saturating_sub(cap.init));
        }
        self.stack.push(Frame::ReopenCapture(l));
        Ok(Step::Go(s, p))
    }

    /// The newest capture that is still open.
    fn capture_to_close(&self) -> Result<usize, String> {
        self.caps
            .iter()
            .take(self.level)
            .rposition(|c| matches!(c.len, CapLen::Unfinished))
            .ok_or_else(|| ERR_PATTERN_CAPTURE.to_string())
    }

    /// A back-reference `%1`..`%9` (`digit` is the ASCII digit).
    fn match_capture(&self, s: usize, digit: u8) -> Result<Option<usize>, String> {
        let cap = usize::from(digit)
            .checked_sub(usize::from(b'1'))
            .filter(|&l| l < self.level)
            .and_then(|l| self.caps.get(l))
            .copied();
        let Some(cap) = cap else {
            return Err(ERR_CAPTURE_INDEX.to_string());
        };
        let len = match cap.len {
            CapLen::Unfinished => return Err(ERR_CAPTURE_INDEX.to_string()),
            // Lua compares the remaining length with the (negative) position
            // marker as an unsigned number: it never matches.
            CapLen::Position => return Ok(None),
            CapLen::Len(n) => n,
        };
        let captured = cap
            .init
            .checked_add(len)
            .and_then(|e| self.src.get(cap.init..e));
        let here = s.checked_add(len).and_then(|e| self.src.get(s..e));
        Ok(match (captured, here) {
            (Some(a), Some(b)) if a == b => Some(s + len),
            _ => None,
        })
    }

    /// `%bxy` with `p` at `x`.
    fn match_balance(&self, s: usize, p: usize) -> Result<Option<usize>, String> {
        if p + 1 >= self.pat.len() {
            return Err(ERR_UNBALANCED.to_string());
        }
        let (open, close) = (self.pb(p), self.pb(p + 1));
        if s >= self.src.len() || self.sb(s) != open {
            return Ok(None);
        }
        let mut depth = 1usize;
        for (i, &c) in self.src.iter().enumerate().skip(s + 1) {
            if c == close {
                depth -= 1;
                if depth == 0 {
                    return Ok(Some(i + 1));
                }
            } else if c == open {
                depth += 1;
            }
        }
        Ok(None)
    }

    /// `%f[set]` with `p` just after `%f`.
    fn frontier(&self, s: usize, p: usize) -> Result<Step, String> {
        if self.pb(p) != b'[' {
            return Err(ERR_FRONTIER.to_string());
        }
        let ep = self.class_end(p)?;
        let previous = match s.checked_sub(1) {
            Some(i) => self.sb(i),
            None => 0,
        };
        let close = ep - 1;
        if self.bracket_class(previous, p, close) || !self.bracket_class(self.sb(s), p, close) {
            Ok(Step::Fail)
        } else {
            Ok(Step::Go(s, ep))
        }
    }

    /// The end (exclusive) of the single-byte class starting at `p`.
    fn class_end(&self, p: usize) -> Result<usize, String> {
        let len = self.pat.len();
        let mut q = p + 1;
        match self.pb(p) {
            b'%' => {
                if q >= len {
                    return Err(ERR_ENDS_WITH_ESCAPE.to_string());
                }
                Ok(q + 1)
            }
            b'[' => {
                if self.pb(q) == b'^' {
                    q += 1;
                }
                // The first byte of the set is taken as is, so `[]]` and
                // `[^]]` contain a `]`.
                loop {
                    if q >= len {
                        return Err(ERR_MISSING_BRACKET.to_string());
                    }
                    let c = self.pb(q);
                    q += 1;
                    if c == b'%' && q < len {
                        q += 1;
                    }
                    if self.pb(q) == b']' {
                        return Ok(q + 1);
                    }
                }
            }
            _ => Ok(q),
        }
    }

    /// Whether byte `c` matches the item `p..ep`.
    fn single_match(&self, c: u8, p: usize, ep: usize) -> bool {
        match self.pb(p) {
            b'.' => true,
            b'%' => match_class(c, self.pb(p + 1)),
            b'[' => self.bracket_class(c, p, ep.saturating_sub(1)),
            x => x == c,
        }
    }

    /// Whether `c` is in the set `[...]` that starts at `p` (the `[`) and
    /// ends at `close` (the `]`).
    fn bracket_class(&self, c: u8, p: usize, close: usize) -> bool {
        let mut p = p;
        let mut found = true;
        if self.pb(p + 1) == b'^' {
            found = false;
            p += 1;
        }
        loop {
            p += 1;
            if p >= close {
                return !found;
            }
            let b = self.pb(p);
            if b == b'%' {
                p += 1;
                if match_class(c, self.pb(p)) {
                    return found;
                }
            } else if self.pb(p + 1) == b'-' && p + 2 < close {
                p += 2;
                if b <= c && c <= self.pb(p) {
                    return found;
                }
            } else if b == c {
                return found;
            }
        }
    }
}

#[cfg(test)]
mod tests;
