//! GET and SET (with every option), SETNX, SETEX, PSETEX, GETSET, GETDEL, GETEX.
//! MGET/MSET, APPEND, STRLEN and the range commands are in string_ops.rs.

use super::check;

#[test]
fn get_set_binary_safe() {
    check(
        &[
            "SET k v",
            "GET k",
            "SET k \"\\x00\\xff\"",
            "GET k",
            "STRLEN k",
            "SET k \"\"",
            "GET k",
            "GET nosuch",
        ],
        r#"
        > SET k v
        OK
        > GET k
        "v"
        > SET k "\x00\xff"
        OK
        > GET k
        "\x00\xff"
        > STRLEN k
        (integer) 2
        > SET k ""
        OK
        > GET k
        ""
        > GET nosuch
        (nil)
    "#,
    );
}

#[test]
fn set_nx_xx() {
    check(
        &[
            "SET k v NX",
            "SET k w NX",
            "GET k",
            "SET k w XX",
            "GET k",
            "SET n v XX",
            "EXISTS n",
            "SET k v NX XX",
            "SET k v XX NX",
            "SET k v nx nx",
        ],
        r#"
        > SET k v NX
        OK
        > SET k w NX
        (nil)
        > GET k
        "v"
        > SET k w XX
        OK
        > GET k
        "w"
        > SET n v XX
        (nil)
        > EXISTS n
        (integer) 0
        > SET k v NX XX
        (error) ERR syntax error
        > SET k v XX NX
        (error) ERR syntax error
        > SET k v nx nx
        (nil)
    "#,
    );
}

#[test]
fn set_get_option() {
    check(
        &[
            "SET k v1 GET",
            "SET k v2 GET",
            "GET k",
            "SET k v3 NX GET",
            "SET k v4 XX GET",
            "SET a v XX GET",
            "EXISTS a",
            "SET k v5 GET GET",
        ],
        r#"
        > SET k v1 GET
        (nil)
        > SET k v2 GET
        "v1"
        > GET k
        "v2"
        > SET k v3 NX GET
        "v2"
        > SET k v4 XX GET
        "v2"
        > SET a v XX GET
        (nil)
        > EXISTS a
        (integer) 0
        > SET k v5 GET GET
        "v4"
    "#,
    );
}

#[test]
fn set_expire_options() {
    check(
        &[
            "SET k v EX 10",
            "TTL k",
            "PTTL k",
            "SET k v PX 1500",
            "PTTL k",
            "TTL k",
            "SET k v EXAT 1700000100",
            "TTL k",
            "SET k v PXAT 1700000000250",
            "PTTL k",
            "+250ms",
            "GET k",
            "SET k v EX 10 EX 20",
            "TTL k",
        ],
        r#"
        > SET k v EX 10
        OK
        > TTL k
        (integer) 10
        > PTTL k
        (integer) 10000
        > SET k v PX 1500
        OK
        > PTTL k
        (integer) 1500
        > TTL k
        (integer) 2
        > SET k v EXAT 1700000100
        OK
        > TTL k
        (integer) 100
        > SET k v PXAT 1700000000250
        OK
        > PTTL k
        (integer) 250
        > +250ms
        > GET k
        "v"
        > SET k v EX 10 EX 20
        OK
        > TTL k
        (integer) 20
    "#,
    );
}

#[test]
fn set_expire_option_combinations() {
    check(
        &[
            "SET k v EX 10 PX 100",
            "SET k v PX 10 EXAT 100",
            "SET k v EXAT 10 PXAT 100",
            "SET k v EX 10 KEEPTTL",
            "SET k v KEEPTTL EX 10",
            "SET k v KEEPTTL PXAT 10",
            "SET k v EX",
            "SET k v PX",
            "SET k v NOSUCH",
            "SET k v EX 10 NOSUCH",
            "EXISTS k",
        ],
        r#"
        > SET k v EX 10 PX 100
        (error) ERR syntax error
        > SET k v PX 10 EXAT 100
        (error) ERR syntax error
        > SET k v EXAT 10 PXAT 100
        (error) ERR syntax error
        > SET k v EX 10 KEEPTTL
        (error) ERR syntax error
        > SET k v KEEPTTL EX 10
        (error) ERR syntax error
        > SET k v KEEPTTL PXAT 10
        (error) ERR syntax error
        > SET k v EX
        (error) ERR syntax error
        > SET k v PX
        (error) ERR syntax error
        > SET k v NOSUCH
        (error) ERR syntax error
        > SET k v EX 10 NOSUCH
        (error) ERR syntax error
        > EXISTS k
        (integer) 0
    "#,
    );
}

#[test]
fn set_invalid_expire_times() {
    check(
        &[
            "SET k v EX 0",
            "SET k v EX -1",
            "SET k v PX 0",
            "SET k v EXAT 0",
            "SET k v PXAT -1",
            "SET k v EX abc",
            "SET k v EX 1.5",
            "SET k v EX 9223372036854775",
            "SET k v EX 9223372036854776",
            "SET k v PX 9223372036854775807",
            "SET k v EXAT 9223372036854776",
            "SET k v EX 9223372036854775808",
            "EXISTS k",
        ],
        r#"
        > SET k v EX 0
        (error) ERR invalid expire time in 'set' command
        > SET k v EX -1
        (error) ERR invalid expire time in 'set' command
        > SET k v PX 0
        (error) ERR invalid expire time in 'set' command
        > SET k v EXAT 0
        (error) ERR invalid expire time in 'set' command
        > SET k v PXAT -1
        (error) ERR invalid expire time in 'set' command
        > SET k v EX abc
        (error) ERR value is not an integer or out of range
        > SET k v EX 1.5
        (error) ERR value is not an integer or out of range
        > SET k v EX 9223372036854775
        (error) ERR invalid expire time in 'set' command
        > SET k v EX 9223372036854776
        (error) ERR invalid expire time in 'set' command
        > SET k v PX 9223372036854775807
        (error) ERR invalid expire time in 'set' command
        > SET k v EXAT 9223372036854776
        (error) ERR invalid expire time in 'set' command
        > SET k v EX 9223372036854775808
        (error) ERR value is not an integer or out of range
        > EXISTS k
        (integer) 0
    "#,
    );
}

#[test]
fn set_with_a_deadline_in_the_past_deletes() {
    check(
        &[
            "SET k old",
            "SET k v PXAT 1",
            "GET k",
            "EXISTS k",
            "SET k v EXAT 1 GET",
            "EXISTS k",
        ],
        r#"
        > SET k old
        OK
        > SET k v PXAT 1
        OK
        > GET k
        (nil)
        > EXISTS k
        (integer) 0
        > SET k v EXAT 1 GET
        (nil)
        > EXISTS k
        (integer) 0
    "#,
    );
}

#[test]
fn set_drops_the_ttl_unless_keepttl() {
    check(
        &[
            "SET k v EX 100",
            "SET k w",
            "TTL k",
            "SET k v EX 100",
            "+10s",
            "SET k w KEEPTTL",
            "TTL k",
            "GET k",
            "SET k x KEEPTTL GET",
            "TTL k",
        ],
        r#"
        > SET k v EX 100
        OK
        > SET k w
        OK
        > TTL k
        (integer) -1
        > SET k v EX 100
        OK
        > +10s
        > SET k w KEEPTTL
        OK
        > TTL k
        (integer) 90
        > GET k
        "w"
        > SET k x KEEPTTL GET
        "w"
        > TTL k
        (integer) 90
    "#,
    );
}

#[test]
fn set_expires_lazily_on_the_clock() {
    check(
        &[
            "SET k v PX 100",
            "+99ms",
            "GET k",
            "+1ms",
            "GET k",
            "EXISTS k",
        ],
        r#"
        > SET k v PX 100
        OK
        > +99ms
        > GET k
        "v"
        > +1ms
        > GET k
        "v"
        > EXISTS k
        (integer) 1
    "#,
    );
}

#[test]
fn setnx() {
    check(
        &["SETNX k a", "SETNX k b", "GET k", "SETNX k", "SETNX k a b"],
        r#"
        > SETNX k a
        (integer) 1
        > SETNX k b
        (integer) 0
        > GET k
        "a"
        > SETNX k
        (error) ERR wrong number of arguments for 'setnx' command
        > SETNX k a b
        (error) ERR wrong number of arguments for 'setnx' command
    "#,
    );
}

#[test]
fn setex_psetex() {
    check(
        &[
            "SETEX k 100 v",
            "TTL k",
            "GET k",
            "SETEX k 0 v",
            "SETEX k -5 v",
            "SETEX k abc v",
            "SETEX k 9223372036854776 v",
            "PSETEX p 1500 v",
            "PTTL p",
            "PSETEX p 0 v",
            "PSETEX p x v",
            "+1500ms",
            "GET p",
            "SETEX k 100",
        ],
        r#"
        > SETEX k 100 v
        OK
        > TTL k
        (integer) 100
        > GET k
        "v"
        > SETEX k 0 v
        (error) ERR invalid expire time in 'setex' command
        > SETEX k -5 v
        (error) ERR invalid expire time in 'setex' command
        > SETEX k abc v
        (error) ERR value is not an integer or out of range
        > SETEX k 9223372036854776 v
        (error) ERR invalid expire time in 'setex' command
        > PSETEX p 1500 v
        OK
        > PTTL p
        (integer) 1500
        > PSETEX p 0 v
        (error) ERR invalid expire time in 'psetex' command
        > PSETEX p x v
        (error) ERR value is not an integer or out of range
        > +1500ms
        > GET p
        "v"
        > SETEX k 100
        (error) ERR wrong number of arguments for 'setex' command
    "#,
    );
}

#[test]
fn getset() {
    check(
        &[
            "GETSET k a",
            "GETSET k b",
            "GET k",
            "SET k v EX 100",
            "GETSET k w",
            "TTL k",
            "GETSET k",
        ],
        r#"
        > GETSET k a
        (nil)
        > GETSET k b
        "a"
        > GET k
        "b"
        > SET k v EX 100
        OK
        > GETSET k w
        "v"
        > TTL k
        (integer) -1
        > GETSET k
        (error) ERR wrong number of arguments for 'getset' command
    "#,
    );
}

#[test]
fn getdel() {
    check(
        &["SET k v", "GETDEL k", "GETDEL k", "EXISTS k", "GETDEL"],
        r#"
        > SET k v
        OK
        > GETDEL k
        "v"
        > GETDEL k
        (nil)
        > EXISTS k
        (integer) 0
        > GETDEL
        (error) ERR wrong number of arguments for 'getdel' command
    "#,
    );
}

#[test]
fn getex() {
    check(
        &[
            "SET k v",
            "GETEX k",
            "TTL k",
            "GETEX k EX 100",
            "TTL k",
            "GETEX k PX 2500",
            "PTTL k",
            "GETEX k EXAT 1700000200",
            "TTL k",
            "GETEX k PXAT 1700000300000",
            "PEXPIRETIME k",
            "GETEX k PERSIST",
            "TTL k",
            "GETEX nosuch",
            "GETEX nosuch EX 10",
            "GETEX nosuch EX 0",
        ],
        r#"
        > SET k v
        OK
        > GETEX k
        "v"
        > TTL k
        (integer) -1
        > GETEX k EX 100
        "v"
        > TTL k
        (integer) 100
        > GETEX k PX 2500
        "v"
        > PTTL k
        (integer) 2500
        > GETEX k EXAT 1700000200
        "v"
        > TTL k
        (integer) 200
        > GETEX k PXAT 1700000300000
        "v"
        > PEXPIRETIME k
        (integer) 1700000300000
        > GETEX k PERSIST
        "v"
        > TTL k
        (integer) -1
        > GETEX nosuch
        (nil)
        > GETEX nosuch EX 10
        (nil)
        > GETEX nosuch EX 0
        (nil)
    "#,
    );
}

#[test]
fn getex_errors() {
    check(
        &[
            "SET k v",
            "GETEX k EX 10 PX 10",
            "GETEX k EX 10 PERSIST",
            "GETEX k PERSIST EX 10",
            "GETEX k KEEPTTL",
            "GETEX k NX",
            "GETEX k GET",
            "GETEX k EX",
            "GETEX k EX 0",
            "GETEX k PX -1",
            "GETEX k EX x",
            "GETEX k NOSUCH",
            "GETEX nosuch NOSUCH",
            "TTL k",
        ],
        r#"
        > SET k v
        OK
        > GETEX k EX 10 PX 10
        (error) ERR syntax error
        > GETEX k EX 10 PERSIST
        (error) ERR syntax error
        > GETEX k PERSIST EX 10
        (error) ERR syntax error
        > GETEX k KEEPTTL
        (error) ERR syntax error
        > GETEX k NX
        (error) ERR syntax error
        > GETEX k GET
        (error) ERR syntax error
        > GETEX k EX
        (error) ERR syntax error
        > GETEX k EX 0
        (error) ERR invalid expire time in 'getex' command
        > GETEX k PX -1
        (error) ERR invalid expire time in 'getex' command
        > GETEX k EX x
        (error) ERR value is not an integer or out of range
        > GETEX k NOSUCH
        (error) ERR syntax error
        > GETEX nosuch NOSUCH
        (error) ERR syntax error
        > TTL k
        (integer) -1
    "#,
    );
}

#[test]
fn getex_with_a_past_deadline_deletes() {
    check(
        &[
            "SET k v",
            "GETEX k PXAT 1",
            "EXISTS k",
            "SET k v",
            "GETEX k EXAT 1",
            "GET k",
        ],
        r#"
        > SET k v
        OK
        > GETEX k PXAT 1
        "v"
        > EXISTS k
        (integer) 0
        > SET k v
        OK
        > GETEX k EXAT 1
        "v"
        > GET k
        (nil)
    "#,
    );
}
