//! DUMP/RESTORE between CacheLab and a real redis-server 7.0, both ways: every
//! type in every encoding is built on both servers, DUMPed on one, RESTOREd on
//! the other, and the restored key must read exactly like the original
//! (contents, TTL-free metadata, OBJECT ENCODING).
//!
//! Without redis-server the test prints a notice and passes, unless
//! `CACHELAB_REQUIRE_ALL=1`.

use std::net::SocketAddr;

use cachelab_tests::resp::{Connection, Value};
use cachelab_tests::servers::{CachelabServer, RedisServer};

/// Commands that build the keys, run on both servers.
fn setup() -> Vec<Vec<String>> {
    let mut cmds: Vec<Vec<String>> = Vec::new();
    let mut c = |parts: &[&str]| cmds.push(parts.iter().map(|s| s.to_string()).collect());
    c(&["SET", "str:small", "hello"]);
    c(&["SET", "str:int", "-123456"]);
    c(&["SET", "str:bigint", "9223372036854775807"]);
    let long = "abc".repeat(400);
    c(&["SET", "str:long", &long]);
    let noise: String = (0..3000u32)
        .map(|i| char::from(b'!' + (i.wrapping_mul(2_654_435_761) >> 25) as u8 % 90))
        .collect();
    c(&["SET", "str:noise", &noise]);
    c(&["RPUSH", "list:small", "a", "1", "-2", "300000", "hello"]);
    for i in 0..2000 {
        c(&["RPUSH", "list:nodes", &format!("item-{i}")]);
        c(&["LPUSH", "list:lpush", &format!("{i}")]);
    }
    let big = "x".repeat(10_000);
    c(&["RPUSH", "list:big", &big, "small", &big]);
    c(&["HSET", "hash:lp", "f", "v", "n", "12", "neg", "-7"]);
    for i in 0..600 {
        c(&[
            "HSET",
            "hash:ht",
            &format!("field{i}"),
            &format!("value{i}"),
        ]);
        c(&["SADD", "set:bigints", &i.to_string()]);
    }
    c(&["HSET", "hash:longval", "f", &"v".repeat(100)]);
    c(&[
        "SADD",
        "set:ints",
        "5",
        "-1",
        "70000",
        "9223372036854775807",
    ]);
    c(&["SADD", "set:strs", "apple", "banana", "cherry", "1"]);
    c(&[
        "ZADD", "zset:lp", "1", "a", "2.5", "b", "-3", "c", "inf", "d", "0.1", "e",
    ]);
    for i in 0..200 {
        c(&[
            "ZADD",
            "zset:sl",
            &format!("{}.25", i % 17),
            &format!("m{i}"),
        ]);
    }
    c(&["ZADD", "zset:longmember", "1", &"m".repeat(100)]);
    for i in 1..=250 {
        c(&[
            "XADD",
            "stream",
            &format!("{i}-1"),
            "f",
            &i.to_string(),
            "g",
            "x",
        ]);
    }
    c(&["XADD", "stream", "251-0", "other", "fields"]);
    c(&["XDEL", "stream", "3-1", "120-1", "251-0"]);
    c(&["XGROUP", "CREATE", "stream", "g1", "0"]);
    c(&["XGROUP", "CREATE", "stream", "g2", "100-0"]);
    c(&[
        "XREADGROUP",
        "GROUP",
        "g1",
        "alice",
        "COUNT",
        "3",
        "STREAMS",
        "stream",
        ">",
    ]);
    c(&[
        "XREADGROUP",
        "GROUP",
        "g1",
        "bob",
        "COUNT",
        "2",
        "STREAMS",
        "stream",
        ">",
    ]);
    c(&["XACK", "stream", "g1", "2-1"]);
    c(&["XGROUP", "CREATECONSUMER", "stream", "g2", "idle"]);
    c(&["XADD", "stream:empty", "1-1", "a", "b"]);
    c(&["XDEL", "stream:empty", "1-1"]);
    cmds
}

const KEYS: &[&str] = &[
    "str:small",
    "str:int",
    "str:bigint",
    "str:long",
    "str:noise",
    "list:small",
    "list:nodes",
    "list:lpush",
    "list:big",
    "hash:lp",
    "hash:ht",
    "hash:longval",
    "set:ints",
    "set:strs",
    "set:bigints",
    "zset:lp",
    "zset:sl",
    "zset:longmember",
    "stream",
    "stream:empty",
];

fn call(conn: &mut Connection, argv: &[Vec<u8>]) -> Value {
    conn.call(argv).expect("server answers").value
}

fn call_str(conn: &mut Connection, argv: &[&str]) -> Value {
    conn.call_str(argv).expect("server answers").value
}

/// Sorts array replies whose order is an implementation detail (hash and set
/// members, pairs of HGETALL).
fn sorted(v: Value, pairs: bool) -> Value {
    match v {
        Value::Array(Some(items)) if pairs => {
            let mut chunks: Vec<Vec<Value>> = items.chunks(2).map(<[Value]>::to_vec).collect();
            chunks.sort_by_key(|c| format!("{c:?}"));
            Value::Array(Some(chunks.concat()))
        }
        Value::Array(Some(mut items)) => {
            items.sort_by_key(|c| format!("{c:?}"));
            Value::Array(Some(items))
        }
        other => other,
    }
}

/// Hides XINFO STREAM FULL's `radix-tree-nodes`, an allocator detail.
fn mask_radix(v: Value) -> Value {
    match v {
        Value::Array(Some(items)) => {
            let mut out = Vec::with_capacity(items.len());
            let mut mask_next = false;
            for item in items {
                if mask_next {
                    out.push(Value::Integer(0));
                    mask_next = false;
                    continue;
                }
                mask_next = item == Value::Bulk(Some(b"radix-tree-nodes".to_vec()));
                out.push(mask_radix(item));
            }
            Value::Array(Some(out))
        }
        other => other,
    }
}

/// Everything observable about a key, in a comparable form.
fn describe(conn: &mut Connection, key: &str) -> Vec<Value> {
    let kind = call_str(conn, &["TYPE", key]);
    let mut out = vec![
        kind.clone(),
        call_str(conn, &["OBJECT", "ENCODING", key]),
        call_str(conn, &["PTTL", key]),
    ];
    let Value::Status(kind) = kind else {
        return out;
    };
    match kind.as_slice() {
        b"string" => out.push(call_str(conn, &["GET", key])),
        b"list" => out.push(call_str(conn, &["LRANGE", key, "0", "-1"])),
        b"hash" => out.push(sorted(call_str(conn, &["HGETALL", key]), true)),
        b"set" => out.push(sorted(call_str(conn, &["SMEMBERS", key]), false)),
        b"zset" => out.push(call_str(conn, &["ZRANGE", key, "0", "-1", "WITHSCORES"])),
        b"stream" => {
            out.push(call_str(conn, &["XRANGE", key, "-", "+"]));
            out.push(mask_radix(call_str(
                conn,
                &["XINFO", "STREAM", key, "FULL"],
            )));
        }
        _ => {}
    }
    out
}

fn connect(addr: SocketAddr) -> Connection {
    Connection::connect(addr).expect("connects")
}

/// DUMPs every key on `from`, RESTOREs it on `to` under another name, and
/// compares what both report.
fn transfer(from: &mut Connection, to: &mut Connection, direction: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for key in KEYS {
        let payload = match call_str(from, &["DUMP", key]) {
            Value::Bulk(Some(p)) => p,
            other => {
                problems.push(format!("{direction}: DUMP {key} gave {other:?}"));
                continue;
            }
        };
        let copy = format!("copy:{key}");
        let reply = call(
            to,
            &[
                b"RESTORE".to_vec(),
                copy.clone().into_bytes(),
                b"0".to_vec(),
                payload,
                b"REPLACE".to_vec(),
            ],
        );
        if reply != Value::Status(b"OK".to_vec()) {
            problems.push(format!("{direction}: RESTORE {key} gave {reply:?}"));
            continue;
        }
        let original = describe(from, key);
        let restored = describe(to, &copy);
        if original != restored {
            problems.push(format!(
                "{direction}: {key} differs\n  original: {original:?}\n  restored: {restored:?}"
            ));
        }
    }
    problems
}

#[test]
fn dumps_restore_across_servers() {
    let Some(redis) = RedisServer::start_or_skip("DUMP interop test") else {
        return;
    };
    let cachelab = CachelabServer::start().expect("cachelab-server starts");
    let mut r = connect(redis.addr);
    let mut c = connect(cachelab.addr);
    for conn in [&mut r, &mut c] {
        call_str(conn, &["FLUSHALL"]);
        for cmd in setup() {
            let argv: Vec<Vec<u8>> = cmd.into_iter().map(String::into_bytes).collect();
            if let Value::Error(e) = call(conn, &argv) {
                panic!("setup failed: {}", String::from_utf8_lossy(&e));
            }
        }
    }
    let mut problems = transfer(&mut c, &mut r, "cachelab -> redis");
    problems.extend(transfer(&mut r, &mut c, "redis -> cachelab"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
