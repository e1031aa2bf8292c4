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
mod tests {
    //! Expected values were produced by Redis 7.0's Lua 5.1 (`redis-server`
    //! 7.0.15, `EVAL` with `pcall`, results joined with `,` the way
    //! `tostring` shows them).

    use super::*;

    /// Which Lua function a case exercises.
    #[derive(Clone, Copy, Debug)]
    enum K {
        /// `string.find(s, p [, init])`
        F,
        /// `string.match(s, p [, init])`
        M,
        /// `for a, b in string.gmatch(s, p)`: each `a,b`, joined with `|`
        GM,
        /// `string.gsub(s, p, repl)` with a string replacement
        G,
    }

    /// The optional third argument.
    #[derive(Clone, Copy, Debug)]
    enum A {
        I(i64),
        S(&'static [u8]),
    }

    fn push_value(out: &mut Vec<u8>, v: CaptureValue<'_>) {
        match v {
            CaptureValue::Bytes(b) => out.extend_from_slice(b),
            CaptureValue::Position(p) => out.extend_from_slice(p.to_string().as_bytes()),
        }
    }

    /// Lua 5.1's `str_find_aux` start position (0-based).
    fn start_pos(len: usize, init: Option<i64>) -> usize {
        let len = i64::try_from(len).unwrap_or(i64::MAX);
        let mut init = init.unwrap_or(1);
        if init < 0 {
            init += len + 1;
        }
        usize::try_from((init - 1).clamp(0, len)).unwrap_or(0)
    }

    fn lua_find(s: &[u8], p: &[u8], init: Option<i64>) -> Result<Vec<u8>, String> {
        let init = start_pos(s.len(), init);
        if is_plain(p) {
            let hit = if p.is_empty() {
                Some(init)
            } else {
                s.get(init..)
                    .unwrap_or(&[])
                    .windows(p.len())
                    .position(|w| w == p)
                    .map(|i| i + init)
            };
            return Ok(match hit {
                Some(i) => format!("{},{}", i + 1, i + p.len()).into_bytes(),
                None => b"nil".to_vec(),
            });
        }
        let Some(m) = find(s, p, init)? else {
            return Ok(b"nil".to_vec());
        };
        let mut out = format!("{},{}", m.start + 1, m.end).into_bytes();
        for i in 0..m.captures.len() {
            out.push(b',');
            push_value(&mut out, capture_value(s, &m, i)?);
        }
        Ok(out)
    }

    /// All of a match's values (the whole match when there are no captures).
    fn values(s: &[u8], m: &Match, out: &mut Vec<u8>, at_least: usize) -> Result<(), String> {
        let n = m.captures.len().max(1);
        for i in 0..n.max(at_least) {
            if i > 0 {
                out.push(b',');
            }
            if i < n {
                push_value(out, capture_value(s, m, i)?);
            } else {
                out.extend_from_slice(b"nil");
            }
        }
        Ok(())
    }

    fn lua_match(s: &[u8], p: &[u8], init: Option<i64>) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        match find(s, p, start_pos(s.len(), init))? {
            Some(m) => values(s, &m, &mut out, 0)?,
            None => out.extend_from_slice(b"nil"),
        }
        Ok(out)
    }

    fn lua_gmatch(s: &[u8], p: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut src = 0;
        while src <= s.len() {
            match match_at(s, p, src)? {
                Some(m) => {
                    if !out.is_empty() {
                        out.push(b'|');
                    }
                    values(s, &m, &mut out, 2)?;
                    src = if m.end == src { m.end + 1 } else { m.end };
                }
                None => src += 1,
            }
        }
        Ok(out)
    }

    fn lua_gsub(s: &[u8], p: &[u8], repl: &[u8]) -> Result<Vec<u8>, String> {
        let (anchor, p) = split_anchor(p);
        let mut out = Vec::new();
        let mut src = 0;
        let mut n = 0;
        loop {
            let m = match_at(s, p, src)?;
            if let Some(m) = &m {
                n += 1;
                expand_replacement(s, m, repl, &mut out)?;
            }
            match m {
                Some(m) if m.end > src => src = m.end,
                _ => match s.get(src) {
                    Some(&c) => {
                        out.push(c);
                        src += 1;
                    }
                    None => break,
                },
            }
            if anchor {
                break;
            }
        }
        out.extend_from_slice(s.get(src..).unwrap_or(&[]));
        out.extend_from_slice(format!(",{n}").as_bytes());
        Ok(out)
    }

    fn run(kind: K, s: &[u8], p: &[u8], arg: Option<A>) -> Vec<u8> {
        let int = match arg {
            Some(A::I(i)) => Some(i),
            _ => None,
        };
        let res = match (kind, arg) {
            (K::F, _) => lua_find(s, p, int),
            (K::M, _) => lua_match(s, p, int),
            (K::GM, _) => lua_gmatch(s, p),
            (K::G, Some(A::S(r))) => lua_gsub(s, p, r),
            (K::G, _) => Err("bad case".to_string()),
        };
        res.unwrap_or_else(|e| format!("ERR:{e}").into_bytes())
    }

    #[allow(clippy::type_complexity)]
    #[rustfmt::skip]
    const CASES: &[(K, &[u8], &[u8], Option<A>, &[u8])] = &[
        (K::F, b"hello", b"l+", None, b"3,4"),
        (K::F, b"hello", b"l*", None, b"1,0"),
        (K::F, b"hello", b"l-", None, b"1,0"),
        (K::F, b"hello", b"l?", None, b"1,0"),
        (K::F, b"hello", b"hel?l", None, b"1,4"),
        (K::F, b"hello", b"he?a?l", None, b"1,3"),
        (K::F, b"aaab", b"a-b", None, b"1,4"),
        (K::F, b"aaab", b"[ab]-b", None, b"1,4"),
        (K::F, b"hello world", b"o w", None, b"5,7"),
        (K::F, b"abc", b"a.c", None, b"1,3"),
        (K::F, b"abc", b".-b", None, b"1,2"),
        (K::F, b"", b"a*", None, b"1,0"),
        (K::F, b"", b"a+", None, b"nil"),
        (K::F, b"hello", b"l", Some(A::I(4)), b"4,4"),
        (K::F, b"hello", b"", Some(A::I(6)), b"6,5"),
        (K::F, b"hello", b"", Some(A::I(10)), b"6,5"),
        (K::F, b"hello", b"l", Some(A::I(-2)), b"4,4"),
        (K::F, b"hello", b"h", Some(A::I(-10)), b"1,1"),
        (K::F, b"hello", b"^h", None, b"1,1"),
        (K::F, b"hello", b"^e", None, b"nil"),
        (K::F, b"hello", b"o$", None, b"5,5"),
        (K::F, b"hello", b"l$", None, b"nil"),
        (K::F, b"a$b", b"$b", None, b"2,3"),
        (K::F, b"a^b", b"a^b", None, b"1,3"),
        (K::F, b"hello", b"^hello$", None, b"1,5"),
        (K::F, b"hello", b"^", None, b"1,0"),
        (K::F, b"hello", b"$", None, b"6,5"),
        (K::F, b"hello", b"^l", Some(A::I(3)), b"3,3"),
        (K::F, b"x$", b"x%$", None, b"1,2"),
        (K::F, b"hello", b"(l)(l)", None, b"3,4,l,l"),
        (K::F, b"hello", b"()ll()", None, b"3,4,3,5"),
        (K::F, b"hello", b"(h)(e)(l)(l)(o)", None, b"1,5,h,e,l,l,o"),
        (K::F, b"  x = 10 ", b"(%w+)%s*=%s*(%d+)", None, b"3,8,x,10"),
        (K::F, b"THE (quick) fox", b"%((%a+)%)", None, b"5,11,quick"),
        (K::F, b"hello", b"(l+)", None, b"3,4,ll"),
        (K::F, b"abc", b"((a)(b))", None, b"1,2,ab,a,b"),
        (K::F, b"abc", b"(a(b(c)))", None, b"1,3,abc,bc,c"),
        (K::F, b"abc", b"()", None, b"1,0,1"),
        (K::F, b"abc", b"a()", None, b"1,1,2"),
        (K::F, b"hello", b"(l*)", None, b"1,0,"),
        (K::F, b"hello", b"(x?)", None, b"1,0,"),
        (K::F, b"hello hello", b"(h%a+) %1", None, b"1,11,hello"),
        (K::F, b"abab", b"(ab)%1", None, b"1,4,ab"),
        (K::F, b"abc", b"()a%1", None, b"nil"),
        (K::F, b"xaax", b"(a)%1", None, b"2,3,a"),
        (K::F, b"say \"hi\" or 'yo'", b"([\"'])(.-)%1", None, b"5,8,\",hi"),
        (K::F, b"aXbXc", b"(%u).-%1", None, b"2,4,X"),
        (K::F, b"f(a(b)c)d", b"%b()", None, b"2,8"),
        (K::F, b"x{{}", b"%b{}", None, b"3,4"),
        (K::F, b"[[]]", b"%b[]", None, b"1,4"),
        (K::F, b"((", b"%b()", None, b"nil"),
        (K::F, b"a(b)c", b"a%b()c", None, b"1,5"),
        (K::F, b"'a'", b"%b''", None, b"1,3"),
        (K::F, b"if (a and (b)) then", b"%b()", None, b"4,14"),
        (K::F, b"THE (quick) fox", b"%f[%a]%a+", None, b"1,3"),
        (K::F, b"hello world", b"%f[%w]%w+$", None, b"7,11"),
        (K::F, b"abc", b"%f[%z]", None, b"4,3"),
        (K::F, b"abc", b"%f[%a]", None, b"1,0"),
        (K::F, b"abc", b"%f[^%z]", None, b"1,0"),
        (K::F, b"THE (quick) fox", b"%f[%l]%a+", None, b"6,10"),
        (K::F, b"abc-]", b"[%]]", None, b"5,5"),
        (K::F, b"a]b", b"[]]", None, b"2,2"),
        (K::F, b"x-a", b"[a-]+", None, b"2,3"),
        (K::F, b"abc123", b"[^%a]+", None, b"4,6"),
        (K::F, b"x^y", b"[%^]", None, b"2,2"),
        (K::F, b"x^y", b"[x^]+", None, b"1,2"),
        (K::F, b"hello", b"[l-o]+", None, b"3,5"),
        (K::F, b"ABCdef", b"[A-Z]+", None, b"1,3"),
        (K::F, b"a.b", b"[.]", None, b"2,2"),
        (K::F, b"a]]b", b"[^]]+", None, b"1,1"),
        (K::F, b"a-z", b"[%a-]+", None, b"1,3"),
        (K::F, b"a1_b2", b"[%d_]+", None, b"2,3"),
        (K::F, b"xyz", b"[^xyz]", None, b"nil"),
        (K::F, b"--a", b"[-a]+", None, b"1,3"),
        (K::F, b"z-a", b"[z-a]", None, b"nil"),
        (K::F, b"b", b"[a-c-e]", None, b"1,1"),
        (K::F, b"-", b"[a-c-e]", None, b"1,1"),
        (K::F, b"\x80\xff", b"[\x80-\xff]+", None, b"1,2"),
        (K::F, b"\x80\xff", b"%a", None, b"nil"),
        (K::F, b"a%b", b"[%%]", None, b"2,2"),
        (K::F, b"hello 123", b"%D+", None, b"1,6"),
        (K::F, b"  abc", b"%S+", None, b"3,5"),
        (K::F, b"a\0b", b"%z", None, b"2,2"),
        (K::F, b"a\0b", b"[%z]", None, b"2,2"),
        (K::F, b"a\0b", b"%Z+", None, b"1,1"),
        (K::F, b"a\x09b\x0bc", b"%s+", None, b"2,2"),
        (K::F, b"tab\x0bvt", b"%c", None, b"4,4"),
        (K::F, b"x.y", b"%.", None, b"2,2"),
        (K::F, b"DEADbeefZ", b"%x+", None, b"1,8"),
        (K::F, b"hello, world!", b"%p", None, b"6,6"),
        (K::F, b"aBc", b"%u", None, b"2,2"),
        (K::F, b"ABc", b"%l", None, b"3,3"),
        (K::F, b"a_b", b"%W", None, b"2,2"),
        (K::F, b"12ab", b"%A+", None, b"1,2"),
        (K::F, b"a1", b"%w%d", None, b"1,2"),
        (K::F, b"a\0(b", b"\0(", None, b"2,3"),
        (K::M, b"a\0(b", b"\0(", None, b""),
        (K::M, b"abc", b"b\0z", None, b"b"),
        (K::F, b"a+b", b"+", None, b"2,2"),
        (K::F, b"a.b", b".", None, b"1,1"),
        (K::F, b"hello", b"x[", None, b"nil"),
        (K::F, b"hello", b"h[", None, b"ERR:malformed pattern (missing ']')"),
        (K::F, b"hello", b"%", None, b"ERR:malformed pattern (ends with '%')"),
        (K::F, b"hello", b"h%", None, b"ERR:malformed pattern (ends with '%')"),
        (K::F, b"abc", b"x%1", None, b"nil"),
        (K::F, b"abc", b"%1", None, b"ERR:invalid capture index"),
        (K::F, b"abc", b"%0", None, b"ERR:invalid capture index"),
        (K::F, b"abc", b"(a", None, b"ERR:unfinished capture"),
        (K::M, b"abc", b"a)", None, b"ERR:invalid pattern capture"),
        (K::F, b"abc", b"%bx", None, b"ERR:unbalanced pattern"),
        (K::F, b"abc", b"%b", None, b"ERR:unbalanced pattern"),
        (K::F, b"abc", b"%fx", None, b"ERR:missing '[' after '%f' in pattern"),
        (K::F, b"abc", b"%f", None, b"ERR:missing '[' after '%f' in pattern"),
        (K::F, b"hello", b"[a", None, b"ERR:malformed pattern (missing ']')"),
        (K::F, b"hello", b"[a%", None, b"ERR:malformed pattern (missing ']')"),
        (K::F, b"hello", b"[^", None, b"ERR:malformed pattern (missing ']')"),
        (K::F, b"hello", b"[]", None, b"ERR:malformed pattern (missing ']')"),
        (K::F, b"hello", b"(h)%2", None, b"ERR:invalid capture index"),
        (K::F, b"hello", b"(h%1)", None, b"ERR:invalid capture index"),
        (K::F, b"abc", b"()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()", None, b"ERR:too many captures"),
        (K::F, b"abc", b"()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()()", None, b"1,0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"),
        (K::F, b"abc", b"(a)(b))", None, b"ERR:invalid pattern capture"),
        (K::M, b"abc", b"((a)", None, b"ERR:unfinished capture"),
        (K::M, b"  trim  ", b"^%s*(.-)%s*$", None, b"trim"),
        (K::M, b"2024-01-15", b"(%d+)-(%d+)-(%d+)", None, b"2024,01,15"),
        (K::M, b"hello", b"()ll()", None, b"3,5"),
        (K::M, b"hello", b"xyz", None, b"nil"),
        (K::M, b"hello", b"l+", None, b"ll"),
        (K::M, b"hello", b"^(h)(e)", None, b"h,e"),
        (K::M, b"key = value", b"(%w+) = (%w+)", None, b"key,value"),
        (K::M, b"hello", b"(h)(x*)", None, b"h,"),
        (K::M, b"hello", b".", Some(A::I(-1)), b"o"),
        (K::M, b"[[x]]", b"%[(%b[])%]", None, b"[x]"),
        (K::GM, b"hello world from Lua", b"%a+", None, b"hello,nil|world,nil|from,nil|Lua,nil"),
        (K::GM, b"key=val, k2=v2", b"(%w+)=(%w+)", None, b"key,val|k2,v2"),
        (K::GM, b"abc", b"", None, b",nil|,nil|,nil|,nil"),
        (K::GM, b"^a^a", b"^a", None, b"^a,nil|^a,nil"),
        (K::GM, b"abc", b"()", None, b"1,nil|2,nil|3,nil|4,nil"),
        (K::GM, b"a,b,,c", b"([^,]*)", None, b"a,nil|,nil|b,nil|,nil|,nil|c,nil|,nil"),
        (K::GM, b"one two", b"%a*", None, b"one,nil|,nil|two,nil|,nil"),
        (K::GM, b"abc", b"(a", None, b"ERR:unfinished capture"),
        (K::G, b"hello world", b"o", Some(A::S(b"0")), b"hell0 w0rld,2"),
        (K::G, b"hello", b"", Some(A::S(b"-")), b"-h-e-l-l-o-,6"),
        (K::G, b"hello world", b"(%w+)", Some(A::S(b"<%1>")), b"<hello> <world>,2"),
        (K::G, b"hello", b"l", Some(A::S(b"%%")), b"he%%o,2"),
        (K::G, b"abc", b"%w", Some(A::S(b"%0%0")), b"aabbcc,3"),
        (K::G, b"hello world", b"^h", Some(A::S(b"H")), b"Hello world,1"),
        (K::G, b"abc", b"^", Some(A::S(b"x")), b"xabc,1"),
        (K::G, b"abc", b"$", Some(A::S(b"x")), b"abcx,1"),
        (K::G, b"abc", b"b*", Some(A::S(b"-")), b"-a--c-,4"),
        (K::G, b"abc", b"(a)(b", Some(A::S(b"x")), b"xc,1"),
        (K::G, b"abc", b"(a)(b", Some(A::S(b"%1")), b"ac,1"),
        (K::G, b"abc", b"(a)(b", Some(A::S(b"%2")), b"ERR:unfinished capture"),
        (K::G, b"abc", b"a", Some(A::S(b"x%")), b"x\0bc,1"),
        (K::G, b"abc", b"a", Some(A::S(b"%q%2")), b"ERR:invalid capture index"),
        (K::G, b"abc", b"()a", Some(A::S(b"[%1]")), b"[1]bc,1"),
        (K::G, b"hello world", b"(o)", Some(A::S(b"%2")), b"ERR:invalid capture index"),
        (K::G, b"hello world", b"o", Some(A::S(b"%1")), b"hello world,2"),
        (K::G, b"hello world", b"o", Some(A::S(b"%2")), b"ERR:invalid capture index"),
        (K::G, b"abc", b"%w", Some(A::S(b"%x")), b"xxx,3"),
        (K::G, b"a b c", b"%s", Some(A::S(b"%%s")), b"a%sb%sc,2"),
        (K::G, b"hello", b"(l)(l)", Some(A::S(b"%2%1")), b"hello,1"),
        (K::G, b"abc", b"", Some(A::S(b"")), b"abc,4"),
        (K::G, b"x = 1, y = 2", b"(%w+) = (%w+)", Some(A::S(b"%2 = %1")), b"1 = x, 2 = y,2"),
        (K::G, b"abc", b"^a*", Some(A::S(b"-")), b"-bc,1"),
        (K::G, b"aaa", b"a-", Some(A::S(b"-")), b"-a-a-a-,4"),
        (K::G, b"hello", b"x*", Some(A::S(b".")), b".h.e.l.l.o.,6"),
    ];

    #[test]
    fn cases_match_redis() {
        let mut failures = Vec::new();
        for &(kind, s, p, arg, want) in CASES {
            let got = run(kind, s, p, arg);
            if got != want {
                failures.push(format!(
                    "{kind:?} {:?} {:?} {arg:?}: got {:?}, want {:?}",
                    String::from_utf8_lossy(s),
                    String::from_utf8_lossy(p),
                    String::from_utf8_lossy(&got),
                    String::from_utf8_lossy(want),
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// For each class letter: how many of the 256 bytes `%x` matches and the
    /// sum of those bytes, from Redis.
    #[test]
    fn classes_cover_the_c_locale() {
        let want: &[(u8, usize, usize)] = &[
            (b'a', 52, 4862),
            (b'c', 33, 623),
            (b'd', 10, 525),
            (b'l', 26, 2847),
            (b'p', 32, 2086),
            (b's', 6, 87),
            (b'u', 26, 2015),
            (b'w', 62, 5387),
            (b'x', 22, 1527),
            (b'z', 1, 0),
            (b'A', 204, 27778),
            (b'C', 223, 32017),
            (b'D', 246, 32115),
            (b'L', 230, 29793),
            (b'P', 224, 30554),
            (b'S', 250, 32553),
            (b'U', 230, 30625),
            (b'W', 194, 27253),
            (b'X', 234, 31113),
            (b'Z', 255, 32640),
        ];
        for &(class, count, sum) in want {
            let pattern = [b'^', b'%', class, b'$'];
            let bytes: Vec<usize> = (0..=255u8)
                .filter(|&b| matches!(find(&[b], &pattern, 0), Ok(Some(_))))
                .map(usize::from)
                .collect();
            assert_eq!(bytes.len(), count, "%{}", char::from(class));
            assert_eq!(bytes.iter().sum::<usize>(), sum, "%{}", char::from(class));
            // The same class inside a set.
            let set = [b'[', b'%', class, b']'];
            let in_set = (0..=255u8)
                .filter(|&b| matches!(match_at(&[b], &set, 0), Ok(Some(_))))
                .count();
            assert_eq!(in_set, count, "[%{}]", char::from(class));
        }
        // A non-class letter after '%' is the letter itself.
        assert_eq!(run(K::F, b"a%q", b"%q", None), b"3,3");
    }

    #[test]
    fn unfinished_captures_fail_only_when_used() {
        assert_eq!(
            match_at(b"abc", b"(a)(b", 0),
            Ok(Some(Match {
                start: 0,
                end: 2,
                captures: vec![Capture::Span(0, 1), Capture::Unfinished],
            }))
        );
        let Ok(Some(m)) = match_at(b"abc", b"(a)(b", 0) else {
            panic!("no match");
        };
        assert_eq!(capture_value(b"abc", &m, 0), Ok(CaptureValue::Bytes(b"a")));
        assert_eq!(
            capture_value(b"abc", &m, 1),
            Err("unfinished capture".to_string())
        );
    }

    #[test]
    fn long_subjects_do_not_recurse() {
        let mut s = vec![b'a'; 1 << 20];
        let m = find(&s, b"a*", 0).unwrap_or(None);
        assert_eq!(m.map(|m| (m.start, m.end)), Some((0, 1 << 20)));
        s.push(b'x');
        let m = find(&s, b".-x", 0).unwrap_or(None);
        assert_eq!(m.map(|m| (m.start, m.end)), Some((0, s.len())));
        let m = find(&s, b"^(a-)(a*)x$", 0).unwrap_or(None);
        assert_eq!(
            m.map(|m| m.captures),
            Some(vec![Capture::Span(0, 0), Capture::Span(0, 1 << 20)])
        );
        // Backtracking into a back-reference (quadratic, so a shorter
        // subject): Redis gives 1, 4097 and a capture of 2047 bytes, as one
        // `a?` gives a byte back so that the rest splits evenly.
        let mut short = vec![b'a'; 4096];
        short.push(b'x');
        let m = find(&short, b"a?a?a?(a+)%1x", 0).unwrap_or(None);
        assert_eq!(
            m.map(|m| (m.start, m.end, m.captures)),
            Some((0, 4097, vec![Capture::Span(2, 2 + 2047)]))
        );
        // gsub over the whole subject, one match per byte.
        let out = lua_gsub(&s, b"a", b"b").unwrap_or_default();
        assert_eq!(out.len(), s.len() + ",1048576".len());
    }

    #[test]
    fn long_patterns_do_not_recurse() {
        // 100 000 optional items, each a backtracking point: Lua 5.1 would
        // recurse once per item.
        let pattern = b"a?".repeat(100_000);
        let subject = vec![b'a'; 1000];
        let m = find(&subject, &pattern, 0).unwrap_or(None);
        assert_eq!(m.map(|m| m.end), Some(1000));
        let mut pattern = b"a-".repeat(50_000);
        pattern.push(b'$');
        let m = find(&subject, &pattern, 0).unwrap_or(None);
        assert_eq!(m.map(|m| m.end), Some(1000));
        // Many backtracking points that all fail.
        let mut pattern = b"a*".repeat(5);
        pattern.push(b'b');
        assert_eq!(find(&subject[..20], &pattern, 0), Ok(None));
    }

    #[test]
    fn helpers() {
        assert!(is_plain(b"hello world"));
        assert!(is_plain(b"a)b]c"));
        assert!(!is_plain(b"a.b"));
        assert!(!is_plain(b"50%"));
        assert!(is_plain(b"\0(")); // only the part before the NUL counts
        assert_eq!(split_anchor(b"^ab"), (true, &b"ab"[..]));
        assert_eq!(split_anchor(b"a^b"), (false, &b"a^b"[..]));
        assert_eq!(split_anchor(b""), (false, &b""[..]));

        // match_at neither scans nor treats '^' as an anchor.
        assert_eq!(match_at(b"xab", b"ab", 0), Ok(None));
        assert_eq!(
            match_at(b"xab", b"ab", 1),
            Ok(Some(Match {
                start: 1,
                end: 3,
                captures: vec![]
            }))
        );
        assert_eq!(
            match_at(b"^ab", b"^a", 0).map(|m| m.map(|m| m.end)),
            Ok(Some(2))
        );
        assert_eq!(match_at(b"ab", b"", 3), Ok(None));
        assert_eq!(
            match_at(b"ab", b"", 2).map(|m| m.map(|m| m.end)),
            Ok(Some(2))
        );
        assert_eq!(
            find(b"ab", b"", 99).map(|m| m.map(|m| m.start)),
            Ok(Some(2))
        );

        let m = Match {
            start: 1,
            end: 4,
            captures: vec![],
        };
        assert_eq!(
            capture_value(b"hello", &m, 0),
            Ok(CaptureValue::Bytes(b"ell"))
        );
        assert_eq!(
            capture_value(b"hello", &m, 1),
            Err("invalid capture index".to_string())
        );
        let m = Match {
            start: 1,
            end: 4,
            captures: vec![Capture::Position(2), Capture::Span(2, 4)],
        };
        assert_eq!(
            capture_value(b"hello", &m, 0),
            Ok(CaptureValue::Position(2))
        );
        assert_eq!(
            capture_value(b"hello", &m, 1),
            Ok(CaptureValue::Bytes(b"ll"))
        );
        let mut out = Vec::new();
        assert_eq!(
            expand_replacement(b"hello", &m, b"<%0|%1|%2|%a%%>", &mut out),
            Ok(())
        );
        assert_eq!(out, b"<ell|2|ll|a%>");
        assert_eq!(
            expand_replacement(b"hello", &m, b"%3", &mut out),
            Err("invalid capture index".to_string())
        );
        // Out-of-range spans (a Match built by hand) never panic.
        let bogus = Match {
            start: 7,
            end: 2,
            captures: vec![Capture::Span(3, 99)],
        };
        assert_eq!(
            capture_value(b"hello", &bogus, 0),
            Ok(CaptureValue::Bytes(b""))
        );
        assert_eq!(
            expand_replacement(b"hello", &bogus, b"%0%1", &mut out),
            Ok(())
        );
    }

    /// Every pattern built from a small alphabet, against a few subjects:
    /// no panics, and `find` agrees with `match_at` at the found position.
    #[test]
    fn no_panics_on_odd_patterns() {
        let alphabet: &[u8] = b"a%[]^-()$.*+?bf1z\0";
        let subjects: &[&[u8]] = &[b"", b"a", b"ab(]a", b"%[^-$\0"];
        let mut pattern = Vec::new();
        for len in 0..=4u32 {
            let total = alphabet.len().pow(len);
            for mut n in 0..total {
                pattern.clear();
                for _ in 0..len {
                    pattern.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                for &s in subjects {
                    let _ = find(s, &pattern, 0);
                    let _ = match_at(s, &pattern, 1);
                    let _ = match_at(s, &pattern, s.len() + 1);
                }
            }
        }
    }
}
