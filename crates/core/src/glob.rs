//! Redis's glob-style pattern matching (stringmatchlen).
//!
//! The results are those of Redis 7.0.15's `stringmatchlen`, quirks included:
//!
//! - `*` matches any run of bytes; consecutive stars act as one.
//! - `?` matches one byte.
//! - `[abc]`, `[^abc]`, `[a-c]`: a class. Ranges may be written backwards
//!   (`[c-a]`). Inside a class `\x` matches `x` *case-sensitively even in
//!   nocase mode*. A `-` directly before the closing `]` makes a range ending
//!   in `]` (`[a-]` is the range `]`..`a`, and the class is then unterminated).
//!   Range bounds compare as C `char`, which is signed on x86-64, so bytes
//!   0x80..=0xff sort *below* ASCII inside ranges.
//! - An unterminated class (`[abc` at the end of the pattern) still matches one
//!   byte against the listed members; a lone `[` at the end matches nothing,
//!   while `[^` at the end matches any byte.
//! - `\x` outside a class matches `x` literally; a trailing `\` matches `\`.
//! - nocase folds only ASCII letters (C locale `tolower`).
//! - An empty subject matches only the empty pattern: `*` does NOT match the
//!   empty string in `stringmatchlen` (KEYS and SCAN special-case the pattern
//!   `*` before calling it, which callers must do too).
//!
//! Redis matches recursively, with an early exit that keeps the work
//! polynomial. Here the pattern is first split into one-byte matchers and
//! stars, then matched with the classic iterative backtracking over the last
//! star: O(pattern × subject) time, constant stack, same answers. (Every
//! matcher other than `*` consumes exactly one byte, which is what makes
//! backtracking to the last star sufficient.)

/// True if `s` matches `pattern` with Redis's rules (`*`, `?`, `[a-c]`, `[^x]`, `\` escapes).
pub fn matches(pattern: &[u8], s: &[u8], nocase: bool) -> bool {
    if s.is_empty() {
        return pattern.is_empty();
    }
    let compiled = compile(pattern);
    let toks = compiled.tokens.as_slice();

    let mut ti = 0usize;
    let mut si = 0usize;
    // Token index after the last star seen, and the subject offset it was
    // last tried at.
    let mut backtrack: Option<(usize, usize)> = None;
    while let Some(&c) = s.get(si) {
        match toks.get(ti) {
            Some(Token::Star) => {
                ti += 1;
                backtrack = Some((ti, si));
                continue;
            }
            Some(tok) if compiled.token_matches(tok, c, nocase) => {
                ti += 1;
                si += 1;
                continue;
            }
            _ => {}
        }
        match backtrack {
            Some((after_star, tried_at)) => {
                let next = tried_at.saturating_add(1);
                backtrack = Some((after_star, next));
                ti = after_star;
                si = next;
            }
            None => return false,
        }
    }
    toks.get(ti..)
        .is_some_and(|rest| rest.iter().all(|t| matches!(t, Token::Star)))
}

/// One matcher of a compiled pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    /// `*` (a run of them).
    Star,
    /// `?`
    Any,
    /// A literal byte (possibly escaped).
    Literal(u8),
    /// A bracket class: its members are `items[start..end]`.
    Class {
        negate: bool,
        start: usize,
        end: usize,
    },
}

/// One member of a bracket class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Member {
    /// `\x`: compared exactly, ignoring nocase.
    Escaped(u8),
    /// `a-z`, bounds as written (possibly reversed).
    Range(u8, u8),
    /// A plain byte.
    Byte(u8),
}

struct Compiled {
    tokens: Vec<Token>,
    members: Vec<Member>,
}

/// Splits a pattern into tokens, moving through it exactly as Redis's
/// matcher does. Reads past the end see a NUL byte, like the C code reading
/// the terminator of its (always NUL-terminated) pattern.
fn compile(pattern: &[u8]) -> Compiled {
    let n = pattern.len();
    let at = |i: usize| -> u8 { pattern.get(i).copied().unwrap_or(0) };
    let mut tokens = Vec::new();
    let mut members = Vec::new();
    let mut i = 0usize;
    while i < n {
        match at(i) {
            b'*' => {
                while at(i + 1) == b'*' {
                    i += 1;
                }
                tokens.push(Token::Star);
                i += 1;
            }
            b'?' => {
                tokens.push(Token::Any);
                i += 1;
            }
            b'[' => {
                let mut j = i + 1;
                let negate = at(j) == b'^';
                if negate {
                    j += 1;
                }
                let start = members.len();
                loop {
                    let left = n.saturating_sub(j);
                    let c = at(j);
                    if c == b'\\' && left >= 2 {
                        j += 1;
                        members.push(Member::Escaped(at(j)));
                    } else if c == b']' {
                        break;
                    } else if left == 0 {
                        // Unterminated: step back onto the last byte so the
                        // common "advance past the token" lands on the end.
                        j = j.saturating_sub(1);
                        break;
                    } else if left >= 3 && at(j + 1) == b'-' {
                        members.push(Member::Range(c, at(j + 2)));
                        j += 2;
                    } else {
                        members.push(Member::Byte(c));
                    }
                    j += 1;
                }
                tokens.push(Token::Class {
                    negate,
                    start,
                    end: members.len(),
                });
                i = j + 1;
            }
            b'\\' => {
                if n - i >= 2 {
                    i += 1;
                }
                tokens.push(Token::Literal(at(i)));
                i += 1;
            }
            other => {
                tokens.push(Token::Literal(other));
                i += 1;
            }
        }
    }
    Compiled { tokens, members }
}

/// C's `tolower` in the C locale, on a `char` value promoted to `int`.
fn lower(c: i32) -> i32 {
    if (i32::from(b'A')..=i32::from(b'Z')).contains(&c) {
        c + 32
    } else {
        c
    }
}

/// A byte as a (signed, x86-64) C `char` promoted to `int`.
fn as_c_char(b: u8) -> i32 {
    i32::from(b as i8)
}

fn same_byte(p: u8, c: u8, nocase: bool) -> bool {
    if nocase {
        lower(as_c_char(p)) == lower(as_c_char(c))
    } else {
        p == c
    }
}

impl Compiled {
    fn token_matches(&self, tok: &Token, c: u8, nocase: bool) -> bool {
        match *tok {
            Token::Star | Token::Any => true,
            Token::Literal(p) => same_byte(p, c, nocase),
            Token::Class { negate, start, end } => {
                let members = self.members.get(start..end).unwrap_or(&[]);
                let hit = members.iter().any(|m| match *m {
                    Member::Escaped(p) => p == c,
                    Member::Byte(p) => same_byte(p, c, nocase),
                    Member::Range(a, b) => {
                        let (mut lo, mut hi) = (as_c_char(a), as_c_char(b));
                        if lo > hi {
                            std::mem::swap(&mut lo, &mut hi);
                        }
                        let mut v = as_c_char(c);
                        if nocase {
                            lo = lower(lo);
                            hi = lower(hi);
                            v = lower(v);
                        }
                        lo <= v && v <= hi
                    }
                });
                hit != negate
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        matches(p.as_bytes(), s.as_bytes(), false)
    }

    fn mi(p: &str, s: &str) -> bool {
        matches(p.as_bytes(), s.as_bytes(), true)
    }

    /// A direct transcription of Redis's recursive algorithm (without the
    /// early exit, which does not change results), used as a test oracle.
    fn oracle(p: &[u8], s: &[u8], nocase: bool) -> bool {
        fn go(p: &[u8], mut pi: usize, s: &[u8], mut si: usize, nocase: bool) -> bool {
            let pat = |i: usize| p.get(i).copied().unwrap_or(0);
            let lower_b = |b: u8| lower(as_c_char(b));
            while pi < p.len() && si < s.len() {
                let sc = s[si];
                match pat(pi) {
                    b'*' => {
                        while pi < p.len() && pat(pi + 1) == b'*' {
                            pi += 1;
                        }
                        if p.len() - pi == 1 {
                            return true;
                        }
                        while si < s.len() {
                            if go(p, pi + 1, s, si, nocase) {
                                return true;
                            }
                            si += 1;
                        }
                        return false;
                    }
                    b'?' => si += 1,
                    b'[' => {
                        pi += 1;
                        let not = pat(pi) == b'^';
                        if not {
                            pi += 1;
                        }
                        let mut hit = false;
                        loop {
                            let left = p.len() as isize - pi as isize;
                            if pat(pi) == b'\\' && left >= 2 {
                                pi += 1;
                                if pat(pi) == sc {
                                    hit = true;
                                }
                            } else if pat(pi) == b']' {
                                break;
                            } else if left == 0 {
                                pi -= 1;
                                break;
                            } else if left >= 3 && pat(pi + 1) == b'-' {
                                let mut a = as_c_char(pat(pi));
                                let mut b = as_c_char(pat(pi + 2));
                                let mut c = as_c_char(sc);
                                if a > b {
                                    std::mem::swap(&mut a, &mut b);
                                }
                                if nocase {
                                    a = lower(a);
                                    b = lower(b);
                                    c = lower(c);
                                }
                                pi += 2;
                                if c >= a && c <= b {
                                    hit = true;
                                }
                            } else if nocase {
                                if lower_b(pat(pi)) == lower_b(sc) {
                                    hit = true;
                                }
                            } else if pat(pi) == sc {
                                hit = true;
                            }
                            pi += 1;
                        }
                        if not {
                            hit = !hit;
                        }
                        if !hit {
                            return false;
                        }
                        si += 1;
                    }
                    _ => {
                        if pat(pi) == b'\\' && p.len() - pi >= 2 {
                            pi += 1;
                        }
                        let same = if nocase {
                            lower_b(pat(pi)) == lower_b(sc)
                        } else {
                            pat(pi) == sc
                        };
                        if !same {
                            return false;
                        }
                        si += 1;
                    }
                }
                pi += 1;
                if si == s.len() {
                    while pat(pi) == b'*' {
                        pi += 1;
                    }
                    break;
                }
            }
            pi == p.len() && si == s.len()
        }
        go(p, 0, s, 0, nocase)
    }

    #[test]
    fn literals_and_wildcards() {
        assert!(m("hello", "hello"));
        assert!(!m("hello", "hell"));
        assert!(!m("hell", "hello"));
        assert!(m("h?llo", "hello"));
        assert!(m("h?llo", "hallo"));
        assert!(!m("h?llo", "hllo"));
        assert!(m("h*llo", "hllo"));
        assert!(m("h*llo", "heeeello"));
        assert!(m("*", "anything"));
        assert!(m("**", "x"));
        assert!(m("a*", "a"));
        assert!(m("a**", "a"));
        assert!(m("*a", "a"));
        assert!(!m("a*?", "a"));
        assert!(m("a*?", "ab"));
        assert!(m("*b*", "abc"));
        assert!(!m("*b*", "ac"));
        assert!(m("user:*:name", "user:1000:name"));
        assert!(!m("user:*:name", "user:1000:age"));
    }

    #[test]
    fn empty_inputs() {
        assert!(m("", ""));
        assert!(!m("", "a"));
        // stringmatchlen never matches an empty subject against a non-empty
        // pattern, not even "*".
        assert!(!m("*", ""));
        assert!(!m("**", ""));
        assert!(!m("?", ""));
    }

    #[test]
    fn classes() {
        assert!(m("h[ae]llo", "hello"));
        assert!(m("h[ae]llo", "hallo"));
        assert!(!m("h[ae]llo", "hillo"));
        assert!(m("h[^e]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(!m("h[a-b]llo", "hcllo"));
        assert!(m("[c-a]", "b"));
        assert!(m("[0-9][0-9]", "42"));
        assert!(!m("[0-9]", "x"));
        assert!(m("[]", "]") == oracle(b"[]", b"]", false));
        assert!(m("[\\]]", "]"));
        assert!(m("[\\-]", "-"));
        assert!(m("[a-]", "]"));
        assert!(m("[a-]", "_"));
        assert!(!m("[a-]", "b"));
        assert!(m("[-a]", "-"));
        assert!(m("x[abc", "xb"));
        assert!(!m("x[abc", "xd"));
        assert!(!m("[", "["));
        assert!(!m("x[", "x["));
        assert!(m("[^", "z"));
        assert!(m("[^]", "z") == oracle(b"[^]", b"z", false));
    }

    #[test]
    fn escapes() {
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("a\\?b", "a?b"));
        assert!(!m("a\\?b", "axb"));
        assert!(m("\\[x]", "[x]"));
        // A trailing backslash matches itself.
        assert!(m("a\\", "a\\"));
        assert!(m("*\\*", "x*"));
        assert!(!m("*\\*", "x"));
    }

    #[test]
    fn nocase() {
        assert!(mi("HeLLo", "hello"));
        assert!(mi("h*O", "HELLO"));
        assert!(mi("[A-C]x", "bX"));
        assert!(mi("[abc]", "B"));
        assert!(!m("[abc]", "B"));
        // Escaped class members ignore nocase, as in Redis.
        assert!(!mi("[\\a]", "A"));
        assert!(mi("[\\a]", "a"));
        // Range bounds are ordered first, then folded: Z..a becomes z..a,
        // which is empty, so '_' (between 'Z' and 'a') only matches without nocase.
        assert!(!mi("[Z-a]", "_"));
        assert!(m("[Z-a]", "_"));
        // Non-ASCII bytes are not folded.
        assert!(!matches("É".as_bytes(), "é".as_bytes(), true));
    }

    #[test]
    fn high_bytes_sort_below_ascii_in_ranges() {
        // As signed chars, 0xff is -1: [a-\xff] is the range -1..='a'.
        assert!(matches(b"[a-\xff]", b"\xff", false));
        assert!(matches(b"[a-\xff]", b"A", false));
        assert!(!matches(b"[a-\xff]", b"\x80", false));
        assert!(!matches(b"[a-\xff]", b"b", false));
        assert!(matches(b"[\x80-\xff]", b"\x90", false));
        assert!(!matches(b"[\x80-\xff]", b"a", false));
    }

    #[test]
    fn binary_subjects() {
        assert!(matches(b"a?c", b"a\0c", false));
        assert!(matches(b"a\0*", b"a\0zz", false));
        assert!(!matches(b"a\0", b"a", false));
    }

    #[test]
    fn pathological_patterns_are_fast() {
        let pattern = "*a".repeat(5000) + "b";
        let subject = "a".repeat(20000);
        assert!(!m(&pattern, &subject));
        let pattern = "a*".repeat(30) + "b";
        assert!(!m(&pattern, &"a".repeat(10_000)));
        let pattern = "*".repeat(100_000);
        assert!(m(&pattern, "x"));
        let long_pattern = "*?".repeat(200_000);
        assert!(!m(&long_pattern, "short"));
    }

    #[test]
    fn agrees_with_recursive_oracle() {
        let alphabet: &[u8] = b"ab*?[]^-\\A";
        let subjects: &[&[u8]] = &[
            b"", b"a", b"b", b"ab", b"ba", b"aab", b"abab", b"A", b"-", b"]", b"[", b"\\", b"*",
            b"^", b"a]b", b"?", b"aXb", b"Ab",
        ];
        // Every pattern of up to 4 symbols from the alphabet.
        let mut patterns: Vec<Vec<u8>> = vec![vec![]];
        let mut frontier: Vec<Vec<u8>> = vec![vec![]];
        for _ in 0..4 {
            let mut next = Vec::new();
            for p in &frontier {
                for &c in alphabet {
                    let mut q = p.clone();
                    q.push(c);
                    next.push(q);
                }
            }
            patterns.extend(next.iter().cloned());
            frontier = next;
        }
        for p in &patterns {
            for s in subjects {
                for nocase in [false, true] {
                    assert_eq!(
                        matches(p, s, nocase),
                        oracle(p, s, nocase),
                        "pattern {:?} subject {:?} nocase {nocase}",
                        String::from_utf8_lossy(p),
                        String::from_utf8_lossy(s)
                    );
                }
            }
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn agrees_with_oracle_on_random_input(
                pattern in proptest::collection::vec(proptest::sample::select(b"ab*?[]^\\-A".to_vec()), 0..10),
                subject in proptest::collection::vec(proptest::sample::select(b"abAB][*?^-\\".to_vec()), 0..10),
                nocase in any::<bool>(),
            ) {
                prop_assert_eq!(
                    matches(&pattern, &subject, nocase),
                    oracle(&pattern, &subject, nocase)
                );
            }

            #[test]
            fn binary_agrees_with_oracle(
                pattern in proptest::collection::vec(prop_oneof![Just(b'*'), Just(b'?'), Just(b'['), Just(b']'), Just(b'-'), Just(b'\\'), Just(b'^'), any::<u8>()], 0..8),
                subject in proptest::collection::vec(any::<u8>(), 0..8),
                nocase in any::<bool>(),
            ) {
                prop_assert_eq!(matches(&pattern, &subject, nocase), oracle(&pattern, &subject, nocase));
            }
        }
    }
}
