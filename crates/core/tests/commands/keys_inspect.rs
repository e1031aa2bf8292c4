//! KEYS RANDOMKEY OBJECT.

use super::{check, Session};
use cachelab_core::Reply;

fn sorted_keys(s: &mut Session, pattern: &str) -> Vec<String> {
    let Reply::Array(items) = s.exec_argv(vec![b"KEYS".to_vec(), pattern.as_bytes().to_vec()])
    else {
        panic!("KEYS {pattern}")
    };
    let mut keys: Vec<String> = items
        .into_iter()
        .map(|r| match r {
            Reply::Bulk(b) => String::from_utf8_lossy(&b).into_owned(),
            other => panic!("{other:?}"),
        })
        .collect();
    keys.sort();
    keys
}

#[test]
fn keys_glob_patterns() {
    let mut s = Session::new();
    for k in [
        "hello", "hallo", "hxllo", "hllo", "heeeello", "hbllo", "h[llo", "h*llo", "h\\llo", "a",
        "b", "c", "x", "-",
    ] {
        s.exec_argv(vec![b"SET".to_vec(), k.as_bytes().to_vec(), b"v".to_vec()]);
    }
    let cases: &[(&str, &[&str])] = &[
        (
            "h?llo",
            &[
                "h*llo", "h[llo", "h\\llo", "hallo", "hbllo", "hello", "hxllo",
            ],
        ),
        (
            "h*llo",
            &[
                "h*llo", "h[llo", "h\\llo", "hallo", "hbllo", "heeeello", "hello", "hllo", "hxllo",
            ],
        ),
        ("h[ae]llo", &["hallo", "hello"]),
        (
            "h[^e]llo",
            &["h*llo", "h[llo", "h\\llo", "hallo", "hbllo", "hxllo"],
        ),
        ("h[a-b]llo", &["hallo", "hbllo"]),
        ("h[b-a]llo", &["hallo", "hbllo"]),
        ("[a-c]", &["a", "b", "c"]),
        ("[^x]", &["-", "a", "b", "c"]),
        ("[^a-c]", &["-", "x"]),
        ("h\\[llo", &["h[llo"]),
        ("h\\*llo", &["h*llo"]),
        ("h\\\\llo", &["h\\llo"]),
        ("h\\?llo", &[]),
        ("[\\-]", &["-"]),
        ("[a\\-c]", &["-", "a", "c"]),
        ("h[", &[]),
        ("?", &["-", "a", "b", "c", "x"]),
        (
            "*",
            &[
                "-", "a", "b", "c", "h*llo", "h[llo", "h\\llo", "hallo", "hbllo", "heeeello",
                "hello", "hllo", "hxllo", "x",
            ],
        ),
        ("H*", &[]),
        ("", &[]),
    ];
    for (pattern, want) in cases {
        assert_eq!(
            sorted_keys(&mut s, pattern),
            want.to_vec(),
            "KEYS {pattern}"
        );
    }
}

#[test]
fn keys_skips_expired_keys_and_checks_arity() {
    check(
        &[
            "SET a 1",
            "SET b 2 PX 10",
            "KEYS *",
            "+10ms",
            "KEYS *",
            "DBSIZE",
            "KEYS",
            "KEYS a b",
        ],
        r#"
        > SET a 1
        OK
        > SET b 2 PX 10
        OK
        > KEYS *
        1) "a"
        2) "b"
        > +10ms
        > KEYS *
        1) "a"
        2) "b"
        > DBSIZE
        (integer) 2
        > KEYS
        (error) ERR wrong number of arguments for 'keys' command
        > KEYS a b
        (error) ERR wrong number of arguments for 'keys' command
    "#,
    );
}

#[test]
fn randomkey() {
    check(
        &[
            "RANDOMKEY",
            "SET only v",
            "RANDOMKEY",
            "RANDOMKEY x",
            "SET gone v PX 5",
            "DEL only",
            "+5ms",
            "RANDOMKEY",
        ],
        r#"
        > RANDOMKEY
        (nil)
        > SET only v
        OK
        > RANDOMKEY
        "only"
        > RANDOMKEY x
        (error) ERR wrong number of arguments for 'randomkey' command
        > SET gone v PX 5
        OK
        > DEL only
        (integer) 1
        > +5ms
        > RANDOMKEY
        "gone"
    "#,
    );
}

#[test]
fn randomkey_returns_every_key_eventually() {
    let mut s = Session::new();
    s.exec("MSET a 1 b 2 c 3");
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..200 {
        if let Reply::Bulk(k) = s.exec("RANDOMKEY") {
            seen.insert(k);
        }
    }
    assert_eq!(seen.len(), 3);
}

#[test]
fn object_encoding() {
    check(
        &[
            "SET int 123",
            "SET neg -5",
            "SET short hello",
            "SET s44 12345678901234567890123456789012345678901234",
            "SET s45 123456789012345678901234567890123456789012345",
            "SET big 99999999999999999999",
            "SET lead 0123",
            "SET empty \"\"",
            "OBJECT ENCODING int",
            "OBJECT ENCODING neg",
            "OBJECT ENCODING short",
            "OBJECT ENCODING s44",
            "OBJECT ENCODING s45",
            "OBJECT ENCODING big",
            "OBJECT ENCODING lead",
            "OBJECT ENCODING empty",
            "OBJECT ENCODING nosuch",
            "APPEND short x",
            "OBJECT ENCODING short",
            "SETRANGE int 0 9",
            "OBJECT ENCODING int",
            "GETSET short 42",
            "OBJECT ENCODING short",
        ],
        r#"
        > SET int 123
        OK
        > SET neg -5
        OK
        > SET short hello
        OK
        > SET s44 12345678901234567890123456789012345678901234
        OK
        > SET s45 123456789012345678901234567890123456789012345
        OK
        > SET big 99999999999999999999
        OK
        > SET lead 0123
        OK
        > SET empty ""
        OK
        > OBJECT ENCODING int
        "int"
        > OBJECT ENCODING neg
        "int"
        > OBJECT ENCODING short
        "embstr"
        > OBJECT ENCODING s44
        "embstr"
        > OBJECT ENCODING s45
        "raw"
        > OBJECT ENCODING big
        "embstr"
        > OBJECT ENCODING lead
        "embstr"
        > OBJECT ENCODING empty
        "embstr"
        > OBJECT ENCODING nosuch
        (nil)
        > APPEND short x
        (integer) 6
        > OBJECT ENCODING short
        "raw"
        > SETRANGE int 0 9
        (integer) 3
        > OBJECT ENCODING int
        "raw"
        > GETSET short 42
        "hellox"
        > OBJECT ENCODING short
        "int"
    "#,
    );
}

#[test]
fn object_refcount_idletime_freq() {
    check(
        &[
            "SET n 9999",
            "SET m 10000",
            "SET s hello",
            "OBJECT REFCOUNT n",
            "OBJECT REFCOUNT m",
            "OBJECT REFCOUNT s",
            "OBJECT REFCOUNT nosuch",
            "+3s",
            "OBJECT IDLETIME s",
            "OBJECT IDLETIME nosuch",
            "OBJECT FREQ s",
            "OBJECT FREQ nosuch",
            "CONFIG SET maxmemory-policy allkeys-lfu",
            "OBJECT IDLETIME s",
            "OBJECT FREQ nosuch",
        ],
        r#"
        > SET n 9999
        OK
        > SET m 10000
        OK
        > SET s hello
        OK
        > OBJECT REFCOUNT n
        (integer) 2147483647
        > OBJECT REFCOUNT m
        (integer) 1
        > OBJECT REFCOUNT s
        (integer) 1
        > OBJECT REFCOUNT nosuch
        (nil)
        > +3s
        > OBJECT IDLETIME s
        (integer) 3
        > OBJECT IDLETIME nosuch
        (nil)
        > OBJECT FREQ s
        (error) ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.
        > OBJECT FREQ nosuch
        (nil)
        > CONFIG SET maxmemory-policy allkeys-lfu
        OK
        > OBJECT IDLETIME s
        (error) ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.
        > OBJECT FREQ nosuch
        (nil)
    "#,
    );
}

#[test]
fn object_errors() {
    check(
        &[
            "OBJECT",
            "OBJECT NOSUCH",
            "OBJECT ENCODING",
            "OBJECT ENCODING a b",
            "OBJECT HELP x",
        ],
        r#"
        > OBJECT
        (error) ERR wrong number of arguments for 'object' command
        > OBJECT NOSUCH
        (error) ERR unknown subcommand 'NOSUCH'. Try OBJECT HELP.
        > OBJECT ENCODING
        (error) ERR wrong number of arguments for 'object|encoding' command
        > OBJECT ENCODING a b
        (error) ERR wrong number of arguments for 'object|encoding' command
        > OBJECT HELP x
        (error) ERR wrong number of arguments for 'object|help' command
    "#,
    );
}

#[test]
fn object_help_lists_subcommands() {
    let mut s = Session::new();
    let Reply::Array(lines) = s.exec("OBJECT HELP") else {
        panic!("OBJECT HELP is an array")
    };
    let text: Vec<String> = lines
        .iter()
        .map(|l| match l {
            Reply::Status(t) => t.clone(),
            other => panic!("help line {other:?}"),
        })
        .collect();
    assert_eq!(
        text[0],
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    );
    for sub in ["ENCODING", "FREQ", "IDLETIME", "REFCOUNT", "HELP"] {
        assert!(
            text.iter().any(|l| l.starts_with(sub)),
            "OBJECT HELP lacks {sub}"
        );
    }
}
