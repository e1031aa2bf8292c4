use super::*;

type Args = Vec<Vec<u8>>;

fn args(list: &[&[u8]]) -> Args {
    list.iter().map(|a| a.to_vec()).collect()
}

fn parse_once(buf: &[u8]) -> Result<Option<(Args, usize)>, ProtocolError> {
    RequestParser::new().parse(buf)
}

fn err(msg: &str) -> Result<Option<(Args, usize)>, ProtocolError> {
    Err(ProtocolError(msg.to_string()))
}

/// Parses every complete request in `buf` with a fresh parser per request.
fn parse_all(buf: &[u8]) -> (Vec<Args>, Result<usize, ProtocolError>) {
    let mut parser = RequestParser::new();
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let rest = buf.get(pos..).unwrap_or(&[]);
        if rest.is_empty() {
            return (out, Ok(pos));
        }
        match parser.parse(rest) {
            Ok(Some((a, used))) => {
                assert!(used > 0 && used <= rest.len());
                out.push(a);
                pos += used;
            }
            Ok(None) => return (out, Ok(pos)),
            Err(e) => return (out, Err(e)),
        }
    }
}

/// Feeds `buf` in two reads split at `split`, the way a server would:
/// parse after each read, drop consumed bytes.
fn parse_split(buf: &[u8], split: usize) -> (Vec<Args>, Result<usize, ProtocolError>) {
    let mut parser = RequestParser::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    let mut consumed = 0;
    for chunk in [&buf[..split], &buf[split..]] {
        pending.extend_from_slice(chunk);
        loop {
            if pending.is_empty() {
                break;
            }
            match parser.parse(&pending) {
                Ok(Some((a, used))) => {
                    out.push(a);
                    consumed += used;
                    pending.drain(..used);
                }
                Ok(None) => break,
                Err(e) => return (out, Err(e)),
            }
        }
    }
    (out, Ok(consumed))
}

#[test]
fn simple_multibulk() {
    assert_eq!(
        parse_once(b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"),
        Ok(Some((args(&[b"GET", b"k"]), 20)))
    );
    assert_eq!(
        parse_once(b"*1\r\n$0\r\n\r\n"),
        Ok(Some((args(&[b""]), 10)))
    );
}

#[test]
fn binary_payload() {
    let buf = b"*1\r\n$5\r\na\r\n\0b\r\n";
    assert_eq!(parse_once(buf), Ok(Some((args(&[b"a\r\n\0b"]), buf.len()))));
}

#[test]
fn empty_multibulk() {
    assert_eq!(parse_once(b"*0\r\n"), Ok(Some((vec![], 4))));
    assert_eq!(parse_once(b"*-1\r\n"), Ok(Some((vec![], 5))));
    assert_eq!(parse_once(b"*-5\r\nPING\r\n"), Ok(Some((vec![], 5))));
}

#[test]
fn incomplete_multibulk() {
    for buf in [
        &b"*"[..],
        b"*2",
        b"*2\r",
        b"*2\r\n",
        b"*2\r\n$3",
        b"*2\r\n$3\r",
        b"*2\r\n$3\r\nGET",
        b"*2\r\n$3\r\nGET\r",
        b"*2\r\n$3\r\nGET\r\n$1\r\nk\r",
    ] {
        assert_eq!(
            parse_once(buf),
            Ok(None),
            "{:?}",
            String::from_utf8_lossy(buf)
        );
    }
}

#[test]
fn invalid_multibulk_length() {
    let e = err("ERR Protocol error: invalid multibulk length");
    assert_eq!(parse_once(b"*x\r\n"), e);
    assert_eq!(parse_once(b"*\r\n"), e);
    assert_eq!(parse_once(b"*+1\r\n"), e);
    assert_eq!(parse_once(b"*01\r\n"), e);
    assert_eq!(parse_once(b"*1 \r\n"), e);
    assert_eq!(parse_once(b"*2147483648\r\n"), e);
    assert_eq!(parse_once(b"*99999999999999999999\r\n"), e);
    // INT_MAX itself is accepted; the request is then merely incomplete.
    assert_eq!(parse_once(b"*2147483647\r\n"), Ok(None));
}

#[test]
fn header_terminator_is_only_cr() {
    // The byte after '\r' is skipped without being checked.
    assert_eq!(
        parse_once(b"*1\rX$4\rYPING\r\n"),
        Ok(Some((args(&[b"PING"]), 14)))
    );
    // Same for the two bytes after the payload.
    assert_eq!(
        parse_once(b"*2\r\n$1\r\naXY$1\r\nbZZ"),
        Ok(Some((args(&[b"a", b"b"]), 18)))
    );
    // A bare '\n' does not end a header line.
    assert_eq!(parse_once(b"*1\n$4\nPING\n"), Ok(None));
}

#[test]
fn expected_dollar() {
    assert_eq!(
        parse_once(b"*1\r\n+foo\r\n"),
        err("ERR Protocol error: expected '$', got '+'")
    );
    assert_eq!(
        parse_once(b"*2\r\n$1\r\na\r\n:1\r\n"),
        err("ERR Protocol error: expected '$', got ':'")
    );
    // CR and LF are shown as spaces.
    assert_eq!(
        parse_once(b"*1\r\n\r\n"),
        err("ERR Protocol error: expected '$', got ' '")
    );
    assert_eq!(
        parse_once(b"*1\r\n\n\r\n"),
        err("ERR Protocol error: expected '$', got ' '")
    );
    // The error only comes once the header line is complete.
    assert_eq!(parse_once(b"*1\r\nfoo"), Ok(None));
    assert_eq!(parse_once(b"*1\r\nfoo\r"), Ok(None));
}

#[test]
fn invalid_bulk_length() {
    let e = err("ERR Protocol error: invalid bulk length");
    assert_eq!(parse_once(b"*1\r\n$-1\r\n"), e);
    assert_eq!(parse_once(b"*1\r\n$\r\n"), e);
    assert_eq!(parse_once(b"*1\r\n$abc\r\n"), e);
    assert_eq!(parse_once(b"*1\r\n$01\r\n"), e);
    assert_eq!(parse_once(b"*1\r\n$-0\r\n"), e);
    assert_eq!(parse_once(b"*1\r\n$536870913\r\n"), e);
    assert_eq!(parse_once(b"*1\r\n$536870912\r\n"), Ok(None));
    let mut small = RequestParser::new();
    small.max_bulk_len = 3;
    assert_eq!(small.parse(b"*1\r\n$4\r\nabcd\r\n"), e);
    assert_eq!(
        small.parse(b"*1\r\n$3\r\nabc\r\n"),
        Ok(Some((args(&[b"abc"]), 13)))
    );
}

#[test]
fn too_big_count_strings() {
    let mut buf = b"*".to_vec();
    buf.extend(std::iter::repeat_n(b'1', 64 * 1024 - 1));
    assert_eq!(buf.len(), 64 * 1024);
    assert_eq!(parse_once(&buf), Ok(None));
    buf.push(b'1');
    assert_eq!(
        parse_once(&buf),
        err("ERR Protocol error: too big mbulk count string")
    );

    let mut buf = b"*1\r\n$".to_vec();
    buf.extend(std::iter::repeat_n(b'1', 64 * 1024 - 1));
    assert_eq!(parse_once(&buf), Ok(None));
    buf.push(b'1');
    assert_eq!(
        parse_once(&buf),
        err("ERR Protocol error: too big bulk count string")
    );
}

#[test]
fn nul_hides_header_terminator() {
    // strchr stops at the NUL: Redis keeps waiting for more data.
    assert_eq!(parse_once(b"*1\0\r\n"), Ok(None));
    assert_eq!(parse_once(b"*1\r\n$1\0\r\nx\r\n"), Ok(None));
    let mut buf = b"*1\0\r\n".to_vec();
    buf.resize(64 * 1024 + 1, b'\r');
    assert_eq!(
        parse_once(&buf),
        err("ERR Protocol error: too big mbulk count string")
    );
}

#[test]
fn unauthenticated_limits() {
    let mut p = RequestParser::new();
    p.auth_required = true;
    assert_eq!(
        p.parse(b"*11\r\n"),
        err("ERR Protocol error: unauthenticated multibulk length")
    );
    assert_eq!(p.parse(b"*10\r\n"), Ok(None));
    p.reset();
    assert_eq!(
        p.parse(b"*1\r\n$16385\r\n"),
        err("ERR Protocol error: unauthenticated bulk length")
    );
    assert_eq!(p.parse(b"*1\r\n$16384\r\n"), Ok(None));
}

#[test]
fn inline_commands() {
    assert_eq!(parse_once(b"PING\r\n"), Ok(Some((args(&[b"PING"]), 6))));
    assert_eq!(parse_once(b"PING\n"), Ok(Some((args(&[b"PING"]), 5))));
    assert_eq!(
        parse_once(b"set k \"a b\\x41\"\r\n"),
        Ok(Some((args(&[b"set", b"k", b"a bA"]), 17)))
    );
    assert_eq!(parse_once(b"\r\n"), Ok(Some((vec![], 2))));
    assert_eq!(parse_once(b"\n"), Ok(Some((vec![], 1))));
    assert_eq!(parse_once(b"   \n"), Ok(Some((vec![], 4))));
    // Only one '\r' is removed; the other is a separator anyway.
    assert_eq!(parse_once(b"a\r\r\n"), Ok(Some((args(&[b"a"]), 4))));
    assert_eq!(parse_once(b"PING"), Ok(None));
    assert_eq!(parse_once(b"PING\r"), Ok(None));
}

#[test]
fn inline_errors() {
    assert_eq!(
        parse_once(b"set k \"v\r\n"),
        err("ERR Protocol error: unbalanced quotes in request")
    );
    assert_eq!(
        parse_once(b"get 'a'b\n"),
        err("ERR Protocol error: unbalanced quotes in request")
    );
    let mut buf = vec![b'a'; 64 * 1024];
    assert_eq!(parse_once(&buf), Ok(None));
    buf.push(b'a');
    assert_eq!(
        parse_once(&buf),
        err("ERR Protocol error: too big inline request")
    );
    // A long line that is complete is fine.
    buf.push(b'\n');
    let (a, used) = parse_once(&buf).unwrap().unwrap();
    assert_eq!((a.len(), used), (1, buf.len()));
}

#[test]
fn inline_nul_hides_newline() {
    assert_eq!(parse_once(b"get a\0b\r\nPING\r\n"), Ok(None));
    let mut buf = b"x\0\n".to_vec();
    buf.resize(64 * 1024 + 1, b'\n');
    assert_eq!(
        parse_once(&buf),
        err("ERR Protocol error: too big inline request")
    );
}

#[test]
fn pipelined_requests() {
    let buf: &[u8] = b"*1\r\n$4\r\nPING\r\nECHO hi\r\n*0\r\n\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n*-1\r\nGET k\n";
    let (reqs, end) = parse_all(buf);
    assert_eq!(end, Ok(buf.len()));
    assert_eq!(
        reqs,
        vec![
            args(&[b"PING"]),
            args(&[b"ECHO", b"hi"]),
            vec![],
            vec![],
            args(&[b"SET", b"k", b"v1"]),
            vec![],
            args(&[b"GET", b"k"]),
        ]
    );
}

#[test]
fn pipelined_error_after_good_requests() {
    let buf: &[u8] = b"*1\r\n$4\r\nPING\r\n*1\r\n$x\r\n*1\r\n$4\r\nPING\r\n";
    let (reqs, end) = parse_all(buf);
    assert_eq!(reqs, vec![args(&[b"PING"])]);
    assert_eq!(
        end,
        Err(ProtocolError(
            "ERR Protocol error: invalid bulk length".into()
        ))
    );
}

#[test]
fn every_split_point_gives_the_same_result() {
    let buf: &[u8] = b"*2\r\n$4\r\nECHO\r\n$5\r\nhe\0lo\r\nINLINE \"q x\" 'y'\r\n*1\r\n$0\r\n\r\n\n*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$10\r\n0123456789\r\n";
    let expected = parse_all(buf);
    assert_eq!(expected.1, Ok(buf.len()));
    assert_eq!(expected.0.len(), 5);
    for split in 0..=buf.len() {
        assert_eq!(parse_split(buf, split), expected, "split at {split}");
        // A fresh parser on every prefix never fails and never overreads.
        let (_, end) = parse_all(&buf[..split]);
        assert!(matches!(end, Ok(n) if n <= split), "prefix {split}");
    }
}

#[test]
fn byte_by_byte_feeding() {
    let buf: &[u8] = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$300\r\n";
    let mut full = buf.to_vec();
    full.extend(std::iter::repeat_n(b'z', 300));
    full.extend_from_slice(b"\r\nPING\r\n");
    let mut parser = RequestParser::new();
    let mut pending = Vec::new();
    let mut out = Vec::new();
    for &b in &full {
        pending.push(b);
        while !pending.is_empty() {
            match parser.parse(&pending) {
                Ok(Some((a, used))) => {
                    out.push(a);
                    pending.drain(..used);
                }
                Ok(None) => break,
                Err(e) => panic!("{e}"),
            }
        }
    }
    assert_eq!(out.len(), 2);
    assert_eq!(out[0][2], vec![b'z'; 300]);
    assert_eq!(out[1], args(&[b"PING"]));
}

#[test]
fn errors_during_incremental_feeding() {
    let buf: &[u8] = b"*2\r\n$3\r\nGET\r\n:1\r\n";
    for split in 0..=buf.len() {
        assert_eq!(
            parse_split(buf, split).1,
            Err(ProtocolError(
                "ERR Protocol error: expected '$', got ':'".into()
            )),
            "split {split}"
        );
    }
}

#[test]
fn shorter_buffer_restarts() {
    let mut p = RequestParser::new();
    assert_eq!(p.parse(b"*2\r\n$3\r\nGET\r\n$1"), Ok(None));
    // A different, shorter buffer: progress is discarded.
    assert_eq!(p.parse(b"PING\n"), Ok(Some((args(&[b"PING"]), 5))));
    assert_eq!(p.parse(b"*2\r\n$3\r\nGET\r\n$1"), Ok(None));
    assert_eq!(p.parse(b"*1"), Ok(None));
    assert_eq!(p.parse(b"*1\r\n$1\r\nx\r\n"), Ok(Some((args(&[b"x"]), 11))));
    assert_eq!(p.parse(b""), Ok(None));
}

#[test]
fn huge_declared_bulk_is_not_rescanned() {
    let mut p = RequestParser::new();
    let mut buf = b"*1\r\n$100000000\r\n".to_vec();
    assert_eq!(p.parse(&buf), Ok(None));
    buf.extend(std::iter::repeat_n(b'a', 1000));
    assert_eq!(p.parse(&buf), Ok(None));
    let mut p = RequestParser::new();
    p.max_bulk_len = usize::MAX;
    assert_eq!(p.parse(b"*1\r\n$9223372036854775807\r\n"), Ok(None));
}

#[test]
fn non_ascii_in_expected_dollar() {
    assert_eq!(
        parse_once(b"*1\r\n\xff\r\n"),
        err("ERR Protocol error: expected '$', got '\u{ff}'")
    );
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    type Outcome = (Vec<Vec<Vec<u8>>>, Option<ProtocolError>);

    fn small() -> RequestParser {
        let mut p = RequestParser::new();
        p.max_inline_len = 40;
        p.max_bulk_len = 30;
        p
    }

    fn run(body: &[u8], chunk: usize) -> (Outcome, usize) {
        let mut parser = small();
        let mut out: Outcome = (Vec::new(), None);
        let mut pending = Vec::new();
        for part in body.chunks(chunk.max(1)) {
            pending.extend_from_slice(part);
            while !pending.is_empty() {
                match parser.parse(&pending) {
                    Ok(Some((argv, used))) => {
                        assert!(used >= 1 && used <= pending.len());
                        out.0.push(argv);
                        pending.drain(..used);
                    }
                    Ok(None) => break,
                    Err(e) => {
                        out.1 = Some(e);
                        return (out, pending.len());
                    }
                }
            }
        }
        (out, pending.len())
    }

    fn resp_like() -> impl Strategy<Value = Vec<u8>> {
        let token = prop_oneof![
            Just(b"*".to_vec()),
            Just(b"$".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\r".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"*2\r\n".to_vec()),
            Just(b"$3\r\nabc\r\n".to_vec()),
            Just(b"$0\r\n\r\n".to_vec()),
            Just(b"\"a b\"".to_vec()),
            Just(b"'".to_vec()),
            Just(b" ".to_vec()),
            Just(b"\0".to_vec()),
            Just(b"-1".to_vec()),
            (0u8..10).prop_map(|d| vec![b'0' + d]),
            any::<u8>().prop_map(|b| vec![b]),
        ];
        proptest::collection::vec(token, 0..30).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn chunked_feeding_matches_whole_buffer(body in resp_like(), chunk in 1usize..9) {
            let (whole, whole_rest) = run(&body, body.len().max(1));
            let (pieces, pieces_rest) = run(&body, chunk);
            let too_big = |o: &Outcome| o.1.as_ref().is_some_and(|e| e.0.contains("too big"));
            if !too_big(&whole) && !too_big(&pieces) {
                prop_assert_eq!(&whole, &pieces);
                if whole.1.is_none() {
                    prop_assert_eq!(whole_rest, pieces_rest);
                }
            }
        }

        #[test]
        fn encoded_requests_parse_back(reqs in proptest::collection::vec(
            proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..20), 1..5), 1..5)) {
            let mut buf = Vec::new();
            for argv in &reqs {
                buf.extend_from_slice(format!("*{}\r\n", argv.len()).as_bytes());
                for a in argv {
                    buf.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
                    buf.extend_from_slice(a);
                    buf.extend_from_slice(b"\r\n");
                }
            }
            for chunk in [1, 7, buf.len()] {
                let (out, rest) = run(&buf, chunk);
                prop_assert_eq!(&out.0, &reqs);
                prop_assert_eq!(out.1, None);
                prop_assert_eq!(rest, 0);
            }
        }
    }
}
