//! The scanner: script bytes to tokens, with Lua 5.1's rules for numbers,
//! strings (short, with escapes, and long `[==[ ]==]`), comments and the
//! messages its errors carry (`unfinished string near '"abc'`).

use super::value::LuaStr;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Name(LuaStr),
    Str(LuaStr),
    Num(f64),
    // Keywords.
    And,
    Break,
    Do,
    Else,
    Elseif,
    End,
    False,
    For,
    Function,
    If,
    In,
    Local,
    Nil,
    Not,
    Or,
    Repeat,
    Return,
    Then,
    True,
    Until,
    While,
    // Symbols.
    Concat,
    Dots,
    Eq,
    Ge,
    Le,
    Ne,
    /// Any other single byte: `+ - * / % ^ # < > = ( ) { } [ ] ; : , .` and
    /// the bytes Lua has no use for (the parser rejects those).
    Char(u8),
    Eof,
}

const KEYWORDS: [(&str, Tok); 21] = [
    ("and", Tok::And),
    ("break", Tok::Break),
    ("do", Tok::Do),
    ("else", Tok::Else),
    ("elseif", Tok::Elseif),
    ("end", Tok::End),
    ("false", Tok::False),
    ("for", Tok::For),
    ("function", Tok::Function),
    ("if", Tok::If),
    ("in", Tok::In),
    ("local", Tok::Local),
    ("nil", Tok::Nil),
    ("not", Tok::Not),
    ("or", Tok::Or),
    ("repeat", Tok::Repeat),
    ("return", Tok::Return),
    ("then", Tok::Then),
    ("true", Tok::True),
    ("until", Tok::Until),
    ("while", Tok::While),
];

/// How a token is named in messages (`luaX_token2str`), for the tokens that
/// have a fixed spelling.
pub fn token_name(t: &Tok) -> String {
    match t {
        Tok::Name(_) => "<name>".into(),
        Tok::Str(_) => "<string>".into(),
        Tok::Num(_) => "<number>".into(),
        Tok::Concat => "..".into(),
        Tok::Dots => "...".into(),
        Tok::Eq => "==".into(),
        Tok::Ge => ">=".into(),
        Tok::Le => "<=".into(),
        Tok::Ne => "~=".into(),
        Tok::Eof => "<eof>".into(),
        Tok::Char(c) if c.is_ascii_control() => format!("char({c})"),
        Tok::Char(c) => char::from(*c).to_string(),
        kw => KEYWORDS
            .iter()
            .find(|(_, k)| k == kw)
            .map_or_else(String::new, |(s, _)| (*s).to_string()),
    }
}

pub struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    pub line: u32,
    /// The current token, its raw text (for `near '...'`) and line.
    pub tok: Tok,
    raw: Vec<u8>,
    /// One token of lookahead, when the parser asked for it.
    ahead: Option<(Tok, Vec<u8>, u32)>,
    /// The line of the token before the current one (`lastline`).
    pub last_line: u32,
}

/// The error of a scan or parse: the message as Lua formats it, without the
/// chunk name and line (the caller adds `user_script:N:`), and the line.
pub struct SyntaxError {
    pub line: u32,
    pub msg: String,
}

pub type LexResult<T> = Result<T, SyntaxError>;

impl<'a> Lexer<'a> {
    pub fn new(src: &'a [u8]) -> LexResult<Lexer<'a>> {
        let mut lx = Lexer {
            src,
            pos: 0,
            line: 1,
            tok: Tok::Eof,
            raw: Vec::new(),
            ahead: None,
            last_line: 1,
        };
        // A first line starting with `#` (a shebang) is skipped, as luaL_loadbuffer
        // does not, but Redis scripts never start so; keep Lua's plain behaviour.
        lx.advance()?;
        Ok(lx)
    }

    /// The text to show after `near` for the current token.
    pub fn near(&self) -> String {
        match &self.tok {
            Tok::Name(_) | Tok::Str(_) | Tok::Num(_) => String::from_utf8_lossy(&self.raw).into(),
            t => token_name(t),
        }
    }

    pub fn error_near(&self, msg: &str) -> SyntaxError {
        SyntaxError {
            line: self.line,
            msg: format!("{msg} near '{}'", self.near()),
        }
    }

    /// Moves to the next token.
    pub fn advance(&mut self) -> LexResult<()> {
        self.last_line = self.line;
        if let Some((t, raw, line)) = self.ahead.take() {
            self.tok = t;
            self.raw = raw;
            self.line = line;
            return Ok(());
        }
        let (t, raw) = self.scan()?;
        self.tok = t;
        self.raw = raw;
        Ok(())
    }

    /// The token after the current one.
    pub fn peek(&mut self) -> LexResult<&Tok> {
        if self.ahead.is_none() {
            let line = self.line;
            let (t, raw) = self.scan()?;
            let scanned_line = self.line;
            self.line = line;
            self.ahead = Some((t, raw, scanned_line));
        }
        match &self.ahead {
            Some((t, _, _)) => Ok(t),
            None => Ok(&Tok::Eof),
        }
    }

    fn cur(&self) -> u8 {
        self.src.get(self.pos).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    fn newline(&mut self) {
        // `\n`, `\r`, `\n\r` and `\r\n` each count as one line break.
        let first = self.cur();
        self.pos += 1;
        let second = self.cur();
        if !self.at_end() && (second == b'\n' || second == b'\r') && second != first {
            self.pos += 1;
        }
        self.line += 1;
    }

    fn scan(&mut self) -> LexResult<(Tok, Vec<u8>)> {
        loop {
            if self.at_end() {
                return Ok((Tok::Eof, Vec::new()));
            }
            let c = self.cur();
            match c {
                b'\n' | b'\r' => self.newline(),
                b' ' | b'\t' | 0x0b | 0x0c => self.pos += 1,
                b'-' => {
                    if self.src.get(self.pos + 1) != Some(&b'-') {
                        self.pos += 1;
                        return Ok((Tok::Char(b'-'), Vec::new()));
                    }
                    self.pos += 2;
                    if self.cur() == b'[' {
                        let save = self.pos;
                        if let Some(level) = self.long_bracket_level() {
                            self.long_string(level, true)?;
                            continue;
                        }
                        self.pos = save;
                    }
                    while !self.at_end() && !matches!(self.cur(), b'\n' | b'\r') {
                        self.pos += 1;
                    }
                }
                b'[' => {
                    let save = self.pos;
                    match self.long_bracket_level() {
                        Some(level) => {
                            let s = self.long_string(level, false)?;
                            let raw = s.clone();
                            return Ok((Tok::Str(s.into()), raw));
                        }
                        None => {
                            // `[=` without a second `[` is an error in 5.1.
                            if self.pos > save + 1 {
                                return Err(SyntaxError {
                                    line: self.line,
                                    msg: "invalid long string delimiter near '['".into(),
                                });
                            }
                            self.pos = save + 1;
                            return Ok((Tok::Char(b'['), Vec::new()));
                        }
                    }
                }
                b'=' => return Ok(self.two(b'=', Tok::Eq, Tok::Char(b'='))),
                b'<' => return Ok(self.two(b'=', Tok::Le, Tok::Char(b'<'))),
                b'>' => return Ok(self.two(b'=', Tok::Ge, Tok::Char(b'>'))),
                b'~' => return Ok(self.two(b'=', Tok::Ne, Tok::Char(b'~'))),
                b'"' | b'\'' => return self.short_string(c),
                b'.' => {
                    if self.src.get(self.pos + 1) == Some(&b'.') {
                        if self.src.get(self.pos + 2) == Some(&b'.') {
                            self.pos += 3;
                            return Ok((Tok::Dots, Vec::new()));
                        }
                        self.pos += 2;
                        return Ok((Tok::Concat, Vec::new()));
                    }
                    if self.src.get(self.pos + 1).is_some_and(u8::is_ascii_digit) {
                        return self.number();
                    }
                    self.pos += 1;
                    return Ok((Tok::Char(b'.'), Vec::new()));
                }
                b'0'..=b'9' => return self.number(),
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let start = self.pos;
                    while self.cur().is_ascii_alphanumeric() || self.cur() == b'_' {
                        if self.at_end() {
                            break;
                        }
                        self.pos += 1;
                    }
                    let word = &self.src[start..self.pos];
                    let raw = word.to_vec();
                    if let Some((_, k)) = KEYWORDS.iter().find(|(s, _)| s.as_bytes() == word) {
                        return Ok((k.clone(), raw));
                    }
                    return Ok((Tok::Name(word.into()), raw));
                }
                c => {
                    self.pos += 1;
                    return Ok((Tok::Char(c), Vec::new()));
                }
            }
        }
    }

    fn two(&mut self, second: u8, both: Tok, one: Tok) -> (Tok, Vec<u8>) {
        self.pos += 1;
        if self.cur() == second && !self.at_end() {
            self.pos += 1;
            (both, Vec::new())
        } else {
            (one, Vec::new())
        }
    }

    /// At `[`: the level of a long bracket `[==[` (consumed), or None (the
    /// position is then after the `[` and any `=`).
    fn long_bracket_level(&mut self) -> Option<usize> {
        self.pos += 1;
        let mut level = 0;
        while self.cur() == b'=' && !self.at_end() {
            level += 1;
            self.pos += 1;
        }
        if self.cur() == b'[' && !self.at_end() {
            self.pos += 1;
            Some(level)
        } else {
            None
        }
    }

    fn long_string(&mut self, level: usize, comment: bool) -> LexResult<Vec<u8>> {
        let mut out = Vec::new();
        // A newline right after the opening bracket is skipped.
        if matches!(self.cur(), b'\n' | b'\r') && !self.at_end() {
            self.newline();
        }
        loop {
            if self.at_end() {
                let what = if comment { "comment" } else { "string" };
                return Err(SyntaxError {
                    line: self.line,
                    msg: format!("unfinished long {what} near '<eof>'"),
                });
            }
            let c = self.cur();
            match c {
                b']' => {
                    let mut p = self.pos + 1;
                    let mut l = 0;
                    while self.src.get(p) == Some(&b'=') {
                        l += 1;
                        p += 1;
                    }
                    if l == level && self.src.get(p) == Some(&b']') {
                        self.pos = p + 1;
                        return Ok(out);
                    }
                    out.push(b']');
                    self.pos += 1;
                }
                b'\n' | b'\r' => {
                    out.push(b'\n');
                    self.newline();
                }
                _ => {
                    if !comment {
                        out.push(c);
                    }
                    self.pos += 1;
                }
            }
        }
    }

    fn short_string(&mut self, quote: u8) -> LexResult<(Tok, Vec<u8>)> {
        let mut raw = vec![quote];
        let mut out = Vec::new();
        self.pos += 1;
        loop {
            if self.at_end() {
                return Err(SyntaxError {
                    line: self.line,
                    msg: "unfinished string near '<eof>'".into(),
                });
            }
            let c = self.cur();
            match c {
                b'\n' | b'\r' => {
                    return Err(SyntaxError {
                        line: self.line,
                        msg: format!("unfinished string near '{}'", String::from_utf8_lossy(&raw)),
                    });
                }
                b'\\' => {
                    self.pos += 1;
                    raw.push(b'\\');
                    let e = self.cur();
                    if self.at_end() {
                        continue;
                    }
                    let byte = match e {
                        b'a' => 7,
                        b'b' => 8,
                        b'f' => 12,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'v' => 11,
                        b'\n' | b'\r' => {
                            out.push(b'\n');
                            raw.push(b'\n');
                            self.newline();
                            continue;
                        }
                        b'0'..=b'9' => {
                            let mut v: u32 = 0;
                            let mut i = 0;
                            while i < 3 && self.cur().is_ascii_digit() && !self.at_end() {
                                v = v * 10 + u32::from(self.cur() - b'0');
                                raw.push(self.cur());
                                self.pos += 1;
                                i += 1;
                            }
                            if v > 255 {
                                return Err(SyntaxError {
                                    line: self.line,
                                    msg: format!(
                                        "escape sequence too large near '{}'",
                                        String::from_utf8_lossy(&raw)
                                    ),
                                });
                            }
                            out.push(v as u8);
                            continue;
                        }
                        other => other,
                    };
                    raw.push(e);
                    out.push(byte);
                    self.pos += 1;
                }
                c if c == quote => {
                    self.pos += 1;
                    raw.push(c);
                    return Ok((Tok::Str(out.into()), raw));
                }
                c => {
                    raw.push(c);
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn number(&mut self) -> LexResult<(Tok, Vec<u8>)> {
        let start = self.pos;
        while self.cur().is_ascii_digit() || self.cur() == b'.' {
            if self.at_end() {
                break;
            }
            self.pos += 1;
        }
        if matches!(self.cur(), b'e' | b'E') && !self.at_end() {
            self.pos += 1;
            if matches!(self.cur(), b'+' | b'-') && !self.at_end() {
                self.pos += 1;
            }
        }
        while (self.cur().is_ascii_alphanumeric() || self.cur() == b'_') && !self.at_end() {
            self.pos += 1;
        }
        let text = &self.src[start..self.pos];
        match str_to_number(text) {
            Some(n) => Ok((Tok::Num(n), text.to_vec())),
            None => Err(SyntaxError {
                line: self.line,
                msg: format!("malformed number near '{}'", String::from_utf8_lossy(text)),
            }),
        }
    }
}

/// Lua 5.1's `luaO_str2d`: a decimal number as `strtod` reads it (no `inf` or
/// `nan` words, which Lua rejects as they are not numerals) or a hexadecimal
/// integer `0x...`, with surrounding whitespace allowed.
pub fn str_to_number(s: &[u8]) -> Option<f64> {
    let is_space = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let start = s.iter().position(|c| !is_space(c))?;
    let end = s.iter().rposition(|c| !is_space(c))? + 1;
    let t = &s[start..end];
    let (neg, body) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if body.len() > 2 && (body.starts_with(b"0x") || body.starts_with(b"0X")) {
        // strtoul: wraps like C's unsigned long, then converted to a double.
        let mut v: u64 = 0;
        for &c in &body[2..] {
            let d = char::from(c).to_digit(16)?;
            v = v.wrapping_mul(16).wrapping_add(u64::from(d));
        }
        let v = v as f64;
        return Some(if neg { -v } else { v });
    }
    // Only digits, one dot, and an exponent: what strtod would consume whole.
    let mut seen_digit = false;
    let mut i = 0;
    while i < body.len() && body[i].is_ascii_digit() {
        i += 1;
        seen_digit = true;
    }
    if i < body.len() && body[i] == b'.' {
        i += 1;
        while i < body.len() && body[i].is_ascii_digit() {
            i += 1;
            seen_digit = true;
        }
    }
    if !seen_digit {
        return None;
    }
    if i < body.len() && matches!(body[i], b'e' | b'E') {
        let mut j = i + 1;
        if j < body.len() && matches!(body[j], b'+' | b'-') {
            j += 1;
        }
        let digits = j;
        while j < body.len() && body[j].is_ascii_digit() {
            j += 1;
        }
        if j == digits {
            return None;
        }
        i = j;
    }
    if i != body.len() {
        return None;
    }
    let text = std::str::from_utf8(t).ok()?;
    let text = text.strip_prefix('+').unwrap_or(text);
    text.parse::<f64>().ok()
}
