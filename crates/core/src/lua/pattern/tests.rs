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
