//! Lazy and active expiry: what reads see of a key past its deadline, and what the
//! active cycle removes.

use super::{check, Session};
use cachelab_core::Reply;

#[test]
fn lazy_expiry_when_active_expiry_is_off() {
    check(
        &[
            "DEBUG SET-ACTIVE-EXPIRE 0",
            "SET a v PX 100",
            "SET b v",
            "+200ms",
            "@active-expire",
            "DBSIZE",
            "GET a",
            "DBSIZE",
        ],
        r#"
        > DEBUG SET-ACTIVE-EXPIRE 0
        OK
        > SET a v PX 100
        OK
        > SET b v
        OK
        > +200ms
        > @active-expire
        > DBSIZE
        (integer) 2
        > GET a
        (nil)
        > DBSIZE
        (integer) 1
    "#,
    );
}

#[test]
fn active_expiry_removes_keys_nobody_touches() {
    check(
        &[
            "SET a v PX 100",
            "SET b v",
            "+200ms",
            "DBSIZE",
            "@active-expire",
            "DBSIZE",
            "DEBUG SET-ACTIVE-EXPIRE 0",
            "SET c v PX 1",
            "+1ms",
            "@active-expire",
            "DBSIZE",
            "DEBUG SET-ACTIVE-EXPIRE 1",
            "@active-expire",
            "DBSIZE",
        ],
        r#"
        > SET a v PX 100
        OK
        > SET b v
        OK
        > +200ms
        > DBSIZE
        (integer) 2
        > @active-expire
        > DBSIZE
        (integer) 1
        > DEBUG SET-ACTIVE-EXPIRE 0
        OK
        > SET c v PX 1
        OK
        > +1ms
        > @active-expire
        > DBSIZE
        (integer) 2
        > DEBUG SET-ACTIVE-EXPIRE 1
        OK
        > @active-expire
        > DBSIZE
        (integer) 2
    "#,
    );
}

#[test]
fn active_expiry_empties_large_expired_sets() {
    let mut s = Session::new();
    for i in 0..2000 {
        s.exec(&format!(
            "SET k:{i} v PX {}",
            if i % 2 == 0 { 10 } else { 1_000_000 }
        ));
    }
    s.exec("SET forever v");
    s.now_us += 20_000;
    // Redis may need a few cycles (it stops when under 10% of a sample expired);
    // we keep calling it as the server's timer would.
    for _ in 0..1000 {
        s.engine.active_expire_cycle(s.now_us);
    }
    let Reply::Integer(n) = s.exec("DBSIZE") else {
        panic!()
    };
    assert!(
        n <= 1001 + 100,
        "active expiry left {n} keys, most of them expired"
    );
    assert!(n >= 1001, "active expiry deleted live keys: {n}");
    let Reply::Array(keys) = s.exec("KEYS *") else {
        panic!()
    };
    assert_eq!(keys.len(), 1001);
}

#[test]
fn expired_keys_are_invisible_to_every_read() {
    check(
        &[
            "DEBUG SET-ACTIVE-EXPIRE 0",
            "SET k v PX 10",
            "+10ms",
            "EXISTS k",
            "SET k v PX 10",
            "+10ms",
            "TYPE k",
            "SET k v PX 10",
            "+10ms",
            "TTL k",
            "SET k v PX 10",
            "+10ms",
            "STRLEN k",
            "SET k v PX 10",
            "+10ms",
            "SET k w NX",
            "SET k v PX 10",
            "+10ms",
            "APPEND k x",
            "SET k 5 PX 10",
            "+10ms",
            "INCR k",
            "SET k v PX 10",
            "+10ms",
            "RENAME k j",
            "SET k v PX 10",
            "+10ms",
            "MOVE k 1",
            "SET k v PX 10",
            "+10ms",
            "COPY k j",
            "SET k v PX 10",
            "+10ms",
            "OBJECT ENCODING k",
            "SET k v PX 10",
            "+10ms",
            "PERSIST k",
            "SET k v PX 10",
            "+10ms",
            "EXPIRE k 100",
            "SET k v PX 10",
            "+10ms",
            "MGET k",
            "SET k v PX 10",
            "+10ms",
            "RANDOMKEY",
            "SET k v PX 10",
            "+10ms",
            "SCAN 0",
        ],
        r#"
        > DEBUG SET-ACTIVE-EXPIRE 0
        OK
        > SET k v PX 10
        OK
        > +10ms
        > EXISTS k
        (integer) 1
        > SET k v PX 10
        OK
        > +10ms
        > TYPE k
        string
        > SET k v PX 10
        OK
        > +10ms
        > TTL k
        (integer) 0
        > SET k v PX 10
        OK
        > +10ms
        > STRLEN k
        (integer) 1
        > SET k v PX 10
        OK
        > +10ms
        > SET k w NX
        (nil)
        > SET k v PX 10
        OK
        > +10ms
        > APPEND k x
        (integer) 2
        > SET k 5 PX 10
        OK
        > +10ms
        > INCR k
        (integer) 6
        > SET k v PX 10
        OK
        > +10ms
        > RENAME k j
        OK
        > SET k v PX 10
        OK
        > +10ms
        > MOVE k 1
        (integer) 1
        > SET k v PX 10
        OK
        > +10ms
        > COPY k j
        (integer) 1
        > SET k v PX 10
        OK
        > +10ms
        > OBJECT ENCODING k
        "embstr"
        > SET k v PX 10
        OK
        > +10ms
        > PERSIST k
        (integer) 1
        > SET k v PX 10
        OK
        > +10ms
        > EXPIRE k 100
        (integer) 1
        > SET k v PX 10
        OK
        > +10ms
        > MGET k
        1) "v"
        > SET k v PX 10
        OK
        > +10ms
        > RANDOMKEY
        "k"
        > SET k v PX 10
        OK
        > +10ms
        > SCAN 0
        1) "0"
        2) 1) "k"
    "#,
    );
}

#[test]
fn a_key_lives_through_its_deadline_millisecond() {
    // keyIsExpired is `now > when`; EXPIRE-style commands delete when `when <= now`.
    check(
        &[
            "SET k v PX 100",
            "+100ms",
            "PTTL k",
            "TTL k",
            "GET k",
            "DBSIZE",
            "+1ms",
            "GET k",
            "SET k v PXAT 1700000000101",
            "GET k",
            "PTTL k",
            "SET k v PXAT 1700000000100",
            "EXISTS k",
            "DBSIZE",
            "SET k v",
            "PEXPIREAT k 1700000000101",
            "EXISTS k",
            "SET k v",
            "GETEX k PXAT 1700000000101",
            "EXISTS k",
        ],
        r#"
        > SET k v PX 100
        OK
        > +100ms
        > PTTL k
        (integer) 0
        > TTL k
        (integer) 0
        > GET k
        "v"
        > DBSIZE
        (integer) 1
        > +1ms
        > GET k
        (nil)
        > SET k v PXAT 1700000000101
        OK
        > GET k
        "v"
        > PTTL k
        (integer) 0
        > SET k v PXAT 1700000000100
        OK
        > EXISTS k
        (integer) 0
        > DBSIZE
        (integer) 0
        > SET k v
        OK
        > PEXPIREAT k 1700000000101
        (integer) 1
        > EXISTS k
        (integer) 0
        > SET k v
        OK
        > GETEX k PXAT 1700000000101
        "v"
        > EXISTS k
        (integer) 0
    "#,
    );
}

#[test]
fn active_expiry_spares_keys_at_their_deadline() {
    check(
        &[
            "SET k v PX 100",
            "+100ms",
            "@active-expire",
            "DBSIZE",
            "+1ms",
            "@active-expire",
            "DBSIZE",
        ],
        r#"
        > SET k v PX 100
        OK
        > +100ms
        > @active-expire
        > DBSIZE
        (integer) 1
        > +1ms
        > @active-expire
        > DBSIZE
        (integer) 0
    "#,
    );
}
