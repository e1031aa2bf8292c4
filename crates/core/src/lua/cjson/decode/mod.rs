//! `cjson.decode`: JSON text to Lua values. A tokenizer that reads what
//! lua-cjson reads, and a parser that builds tables with an explicit stack.

use super::*;

mod number;

pub(super) fn json_decode(interp: &mut Interp<'_>, up: &[Cell], args: Vec<Value>) -> Rets {
    if args.len() != 1 {
        return Err(bad_arg(0, "decode", "expected 1 argument"));
    }
    let text = check_str(&args, 0, "decode")?;
    // Only the first character of JSON text is sure to be ASCII, which is
    // enough to tell UTF-16 and UTF-32 apart (RFC 4627).
    if text.len() >= 2 && (text[0] == 0 || text[1] == 0) {
        return Err(LuaError::msg(
            "JSON parser does not support UTF-16 or UTF-32",
        ));
    }
    let cfg = Config::load(up);
    let mut p = Parser {
        end: text.iter().position(|&b| b == 0).unwrap_or(text.len()),
        data: text,
        pos: 0,
        invalid_numbers: cfg.decode_invalid_numbers != 0,
    };
    let v = p.document(interp, &cfg)?;
    Ok(vec![v])
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    ObjBegin,
    ObjEnd,
    ArrBegin,
    ArrEnd,
    Str,
    Num,
    Bool,
    Null,
    Colon,
    Comma,
    End,
    Error,
}

/// A token, where it starts (0-based) and what it holds.
struct Token {
    kind: Kind,
    index: usize,
    text: Vec<u8>,
    num: f64,
    flag: bool,
    /// What went wrong, for `Kind::Error`.
    error: &'static str,
}

impl Token {
    fn new(kind: Kind, index: usize) -> Token {
        Token {
            kind,
            index,
            text: Vec::new(),
            num: 0.0,
            flag: false,
            error: "",
        }
    }

    fn error(index: usize, what: &'static str) -> Token {
        Token {
            error: what,
            ..Token::new(Kind::Error, index)
        }
    }

    /// How lua-cjson names a token it did not expect.
    fn found(&self) -> &'static str {
        match self.kind {
            Kind::ObjBegin => "T_OBJ_BEGIN",
            Kind::ObjEnd => "T_OBJ_END",
            Kind::ArrBegin => "T_ARR_BEGIN",
            Kind::ArrEnd => "T_ARR_END",
            Kind::Str => "T_STRING",
            Kind::Num => "T_NUMBER",
            Kind::Bool => "T_BOOLEAN",
            Kind::Null => "T_NULL",
            Kind::Colon => "T_COLON",
            Kind::Comma => "T_COMMA",
            Kind::End => "T_END",
            Kind::Error => self.error,
        }
    }
}

fn parse_error(expected: &str, t: &Token) -> LuaError {
    LuaError::msg(format!(
        "Expected {expected} but found {} at character {}",
        t.found(),
        t.index + 1
    ))
}

/// An array or object being read.
enum Building {
    Array(Vec<Value>),
    Object { t: Table, key: LuaStr },
}

struct Parser {
    data: LuaStr,
    /// Where the text ends for the parser: its first NUL byte.
    end: usize,
    pos: usize,
    invalid_numbers: bool,
}

impl Parser {
    /// The byte at `i`, or 0 past the end (C's terminating NUL).
    fn at(&self, i: usize) -> u8 {
        if i < self.end {
            self.data.get(i).copied().unwrap_or(0)
        } else {
            0
        }
    }

    /// Whether the text at `i` starts with `word`, ignoring ASCII case.
    fn starts_with_ci(&self, i: usize, word: &[u8]) -> bool {
        word.iter()
            .enumerate()
            .all(|(k, &w)| self.at(i + k).to_ascii_lowercase() == w)
    }

    fn starts_with(&self, i: usize, word: &[u8]) -> bool {
        word.iter().enumerate().all(|(k, &w)| self.at(i + k) == w)
    }

    fn next_token(&mut self) -> Token {
        while matches!(self.at(self.pos), b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
        let start = self.pos;
        let single = match self.at(start) {
            b'{' => Some(Kind::ObjBegin),
            b'}' => Some(Kind::ObjEnd),
            b'[' => Some(Kind::ArrBegin),
            b']' => Some(Kind::ArrEnd),
            b',' => Some(Kind::Comma),
            b':' => Some(Kind::Colon),
            0 => return Token::new(Kind::End, start),
            _ => None,
        };
        if let Some(kind) = single {
            self.pos += 1;
            return Token::new(kind, start);
        }
        match self.at(start) {
            b'"' => self.string_token(),
            b'-' | b'0'..=b'9' => {
                if !self.invalid_numbers && self.is_invalid_number() {
                    return Token::error(start, "invalid number");
                }
                self.number_token()
            }
            b'f' | b'i' | b'I' | b'n' | b'N' | b't' | b'+' => {
                let word = |w: &[u8], kind: Kind, flag: bool| (w.len(), kind, flag);
                let found = if self.starts_with(start, b"true") {
                    Some(word(b"true", Kind::Bool, true))
                } else if self.starts_with(start, b"false") {
                    Some(word(b"false", Kind::Bool, false))
                } else if self.starts_with(start, b"null") {
                    Some(word(b"null", Kind::Null, false))
                } else {
                    None
                };
                match found {
                    Some((len, kind, flag)) => {
                        self.pos += len;
                        Token {
                            flag,
                            ..Token::new(kind, start)
                        }
                    }
                    None if self.invalid_numbers && self.is_invalid_number() => self.number_token(),
                    None => Token::error(start, "invalid token"),
                }
            }
            _ => Token::error(start, "invalid token"),
        }
    }

    /// Whether the number here is one strict JSON forbids but `strtod`
    /// takes: a leading `+`, hex, leading zeros, `inf` or `nan`.
    fn is_invalid_number(&self) -> bool {
        let mut p = self.pos;
        match self.at(p) {
            b'+' => return true,
            b'-' => p += 1,
            _ => {}
        }
        let c = self.at(p);
        if c == b'0' {
            let c2 = self.at(p + 1);
            return c2 | 0x20 == b'x' || c2.is_ascii_digit();
        }
        if c <= b'9' {
            return false;
        }
        self.starts_with_ci(p, b"inf") || self.starts_with_ci(p, b"nan")
    }

    fn number_token(&mut self) -> Token {
        let start = self.pos;
        match self.strtod(start) {
            Some((n, len)) => {
                self.pos = start + len;
                Token {
                    num: n,
                    ..Token::new(Kind::Num, start)
                }
            }
            None => Token::error(start, "invalid number"),
        }
    }

    fn string_token(&mut self) -> Token {
        let start = self.pos;
        self.pos += 1;
        let mut text = Vec::new();
        loop {
            let c = self.at(self.pos);
            match c {
                b'"' => break,
                0 => return Token::error(self.pos, "unexpected end of string"),
                b'\\' => {
                    let plain = match self.at(self.pos + 1) {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 0x08,
                        b't' => b'\t',
                        b'n' => b'\n',
                        b'f' => 0x0c,
                        b'r' => b'\r',
                        b'u' => {
                            if self.unicode_escape(&mut text) {
                                continue;
                            }
                            return Token::error(self.pos, "invalid unicode escape code");
                        }
                        _ => return Token::error(self.pos, "invalid escape code"),
                    };
                    text.push(plain);
                    self.pos += 2;
                }
                _ => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        self.pos += 1;
        Token {
            text,
            ..Token::new(Kind::Str, start)
        }
    }

    fn hex4(&self, i: usize) -> Option<u32> {
        let mut v = 0;
        for k in 0..4 {
            v = v * 16 + (self.at(i + k) as char).to_digit(16)?;
        }
        Some(v)
    }

    /// `\uXXXX` (a surrogate pair takes two) at `pos`, as UTF-8; false if
    /// it is not a valid escape.
    fn unicode_escape(&mut self, out: &mut Vec<u8>) -> bool {
        let Some(mut cp) = self.hex4(self.pos + 2) else {
            return false;
        };
        let mut len = 6;
        if cp & 0xF800 == 0xD800 {
            // A surrogate: it must be a high one followed by a low one.
            if cp & 0x400 != 0 || self.at(self.pos + 6) != b'\\' || self.at(self.pos + 7) != b'u' {
                return false;
            }
            let Some(low) = self.hex4(self.pos + 8) else {
                return false;
            };
            if low & 0xFC00 != 0xDC00 {
                return false;
            }
            cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
            len = 12;
        }
        push_utf8(out, cp);
        self.pos += len;
        true
    }

    /// The whole text: one value and nothing after it.
    fn document(&mut self, interp: &mut Interp<'_>, cfg: &Config) -> LResult<Value> {
        let mut stack: Vec<Building> = Vec::new();
        // lua-cjson's Lua stack use: the argument, one slot per open array
        // (the table) and two per open object (the table and the key).
        let mut slots: i64 = 1;
        let mut tok = self.next_token();
        let result = 'value: loop {
            let mut value = match tok.kind {
                Kind::Str => interp.string(std::mem::take(&mut tok.text))?,
                Kind::Num => Value::Num(tok.num),
                Kind::Bool => Value::Bool(tok.flag),
                Kind::Null => Value::Null,
                Kind::ArrBegin | Kind::ObjBegin => {
                    let array = tok.kind == Kind::ArrBegin;
                    let depth = stack.len() as i64 + 1;
                    let need = if array { 2 } else { 3 };
                    if depth > i64::from(cfg.decode_max_depth) || slots + need > MAX_C_STACK {
                        return Err(LuaError::msg(format!(
                            "Found too many nested data structures ({depth}) at character {}",
                            self.pos
                        )));
                    }
                    tok = self.next_token();
                    let empty = if array {
                        tok.kind == Kind::ArrEnd
                    } else {
                        tok.kind == Kind::ObjEnd
                    };
                    if empty {
                        interp.table(Table::default())?
                    } else if array {
                        slots += 1;
                        stack.push(Building::Array(Vec::new()));
                        continue 'value;
                    } else {
                        let key = self.member_key(interp, &mut tok)?;
                        slots += 2;
                        stack.push(Building::Object {
                            t: Table::default(),
                            key,
                        });
                        tok = self.next_token();
                        continue 'value;
                    }
                }
                _ => return Err(parse_error("value", &tok)),
            };
            // Store the value in the table being built, closing the tables
            // it completes.
            loop {
                let closed = match stack.last_mut() {
                    None => break 'value value,
                    Some(Building::Array(items)) => {
                        // The table charges for its slots too; together
                        // about what a `Value` takes.
                        interp.charge(8)?;
                        items.push(value);
                        tok = self.next_token();
                        match tok.kind {
                            Kind::ArrEnd => true,
                            Kind::Comma => false,
                            _ => return Err(parse_error("comma or array end", &tok)),
                        }
                    }
                    Some(Building::Object { t, key }) => {
                        interp.charge(24)?;
                        let _ = t.set(Value::Str(key.clone()), value);
                        tok = self.next_token();
                        match tok.kind {
                            Kind::ObjEnd => true,
                            Kind::Comma => {
                                tok = self.next_token();
                                *key = self.member_key(interp, &mut tok)?;
                                false
                            }
                            _ => return Err(parse_error("comma or object end", &tok)),
                        }
                    }
                };
                if !closed {
                    tok = self.next_token();
                    continue 'value;
                }
                value = match stack.pop() {
                    Some(Building::Array(items)) => {
                        slots -= 1;
                        interp.table(Table::from_array(items))?
                    }
                    Some(Building::Object { t, .. }) => {
                        slots -= 2;
                        interp.table(t)?
                    }
                    None => break 'value Value::Nil,
                };
            }
        };
        let tok = self.next_token();
        if tok.kind != Kind::End {
            return Err(parse_error("the end", &tok));
        }
        Ok(result)
    }

    /// An object's key (the token just read) and its colon.
    fn member_key(&mut self, interp: &mut Interp<'_>, tok: &mut Token) -> LResult<LuaStr> {
        if tok.kind != Kind::Str {
            return Err(parse_error("object key string", tok));
        }
        interp.charge(tok.text.len())?;
        let key: LuaStr = std::mem::take(&mut tok.text).into();
        let colon = self.next_token();
        if colon.kind != Kind::Colon {
            return Err(parse_error("colon", &colon));
        }
        Ok(key)
    }
}

/// Appends a code point (at most 0x10FFFF) as UTF-8.
fn push_utf8(out: &mut Vec<u8>, cp: u32) {
    if cp < 0x80 {
        out.push(cp as u8);
    } else if cp < 0x800 {
        out.push(0xC0 | (cp >> 6) as u8);
        out.push(0x80 | (cp & 0x3F) as u8);
    } else if cp < 0x10000 {
        out.push(0xE0 | (cp >> 12) as u8);
        out.push(0x80 | ((cp >> 6) & 0x3F) as u8);
        out.push(0x80 | (cp & 0x3F) as u8);
    } else {
        out.push(0xF0 | ((cp >> 18) & 0x07) as u8);
        out.push(0x80 | ((cp >> 12) & 0x3F) as u8);
        out.push(0x80 | ((cp >> 6) & 0x3F) as u8);
        out.push(0x80 | (cp & 0x3F) as u8);
    }
}
