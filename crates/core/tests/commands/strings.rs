//! GET SET (and options) SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET MSETNX
//! APPEND STRLEN GETRANGE SETRANGE SUBSTR LCS.

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

#[test]
fn mget_mset() {
    check(
        &[
            "MSET a 1 b 2 c 3",
            "MGET a b c nosuch",
            "MGET a a",
            "MSET a x a y",
            "GET a",
            "MSET a",
            "MSET a 1 b",
            "SET t v EX 100",
            "MSET t w",
            "TTL t",
        ],
        r#"
        > MSET a 1 b 2 c 3
        OK
        > MGET a b c nosuch
        1) "1"
        2) "2"
        3) "3"
        4) (nil)
        > MGET a a
        1) "1"
        2) "1"
        > MSET a x a y
        OK
        > GET a
        "y"
        > MSET a
        (error) ERR wrong number of arguments for 'mset' command
        > MSET a 1 b
        (error) ERR wrong number of arguments for 'mset' command
        > SET t v EX 100
        OK
        > MSET t w
        OK
        > TTL t
        (integer) -1
    "#,
    );
}

#[test]
fn msetnx() {
    check(
        &[
            "MSETNX a 1 b 2",
            "MGET a b",
            "MSETNX a x c 3",
            "MGET a c",
            "MSETNX c 3 c 4",
            "GET c",
            "MSETNX d 1 e",
            "MSETNX",
        ],
        r#"
        > MSETNX a 1 b 2
        (integer) 1
        > MGET a b
        1) "1"
        2) "2"
        > MSETNX a x c 3
        (integer) 0
        > MGET a c
        1) "1"
        2) (nil)
        > MSETNX c 3 c 4
        (integer) 1
        > GET c
        "4"
        > MSETNX d 1 e
        (error) ERR wrong number of arguments for 'msetnx' command
        > MSETNX
        (error) ERR wrong number of arguments for 'msetnx' command
    "#,
    );
}

#[test]
fn append() {
    check(
        &[
            "APPEND k hello",
            "APPEND k \" world\"",
            "GET k",
            "APPEND k \"\"",
            "APPEND empty \"\"",
            "EXISTS empty",
            "APPEND b \"\\x00\"",
            "APPEND b \"\\xff\"",
            "GET b",
            "SET n 10",
            "APPEND n 5",
            "INCR n",
            "SET t v EX 100",
            "APPEND t x",
            "TTL t",
        ],
        r#"
        > APPEND k hello
        (integer) 5
        > APPEND k " world"
        (integer) 11
        > GET k
        "hello world"
        > APPEND k ""
        (integer) 11
        > APPEND empty ""
        (integer) 0
        > EXISTS empty
        (integer) 1
        > APPEND b "\x00"
        (integer) 1
        > APPEND b "\xff"
        (integer) 2
        > GET b
        "\x00\xff"
        > SET n 10
        OK
        > APPEND n 5
        (integer) 3
        > INCR n
        (integer) 106
        > SET t v EX 100
        OK
        > APPEND t x
        (integer) 2
        > TTL t
        (integer) 100
    "#,
    );
}

#[test]
fn strlen() {
    check(
        &[
            "STRLEN nosuch",
            "SET s hello",
            "STRLEN s",
            "SET s 12345",
            "STRLEN s",
            "STRLEN",
        ],
        r#"
        > STRLEN nosuch
        (integer) 0
        > SET s hello
        OK
        > STRLEN s
        (integer) 5
        > SET s 12345
        OK
        > STRLEN s
        (integer) 5
        > STRLEN
        (error) ERR wrong number of arguments for 'strlen' command
    "#,
    );
}

#[test]
fn getrange() {
    check(
        &[
            "SET s \"This is a string\"",
            "GETRANGE s 0 3",
            "GETRANGE s -3 -1",
            "GETRANGE s 0 -1",
            "GETRANGE s 10 100",
            "GETRANGE s 5 3",
            "GETRANGE s -1 -5",
            "GETRANGE s -100 5",
            "GETRANGE s -100 -50",
            "GETRANGE s 16 20",
            "GETRANGE s 3 -100",
            "GETRANGE s 0 -16",
            "GETRANGE s 0 -17",
            "GETRANGE s -9223372036854775808 9223372036854775807",
            "GETRANGE s x 1",
            "GETRANGE nosuch 0 -1",
            "SET e \"\"",
            "GETRANGE e 0 -1",
            "SUBSTR s 0 3",
            "SUBSTR s x 1",
        ],
        r#"
        > SET s "This is a string"
        OK
        > GETRANGE s 0 3
        "This"
        > GETRANGE s -3 -1
        "ing"
        > GETRANGE s 0 -1
        "This is a string"
        > GETRANGE s 10 100
        "string"
        > GETRANGE s 5 3
        ""
        > GETRANGE s -1 -5
        ""
        > GETRANGE s -100 5
        "This i"
        > GETRANGE s -100 -50
        "T"
        > GETRANGE s 16 20
        ""
        > GETRANGE s 3 -100
        ""
        > GETRANGE s 0 -16
        "T"
        > GETRANGE s 0 -17
        "T"
        > GETRANGE s -9223372036854775808 9223372036854775807
        "This is a string"
        > GETRANGE s x 1
        (error) ERR value is not an integer or out of range
        > GETRANGE nosuch 0 -1
        ""
        > SET e ""
        OK
        > GETRANGE e 0 -1
        ""
        > SUBSTR s 0 3
        "This"
        > SUBSTR s x 1
        (error) ERR value is not an integer or out of range
    "#,
    );
}

#[test]
fn setrange() {
    check(
        &[
            "SETRANGE k 0 hello",
            "SETRANGE k 6 world",
            "GET k",
            "SETRANGE k 0 H",
            "SETRANGE k 13 !",
            "GET k",
            "SETRANGE k 2 \"\"",
            "SETRANGE k 100 \"\"",
            "STRLEN k",
            "SETRANGE new 5 \"\"",
            "EXISTS new",
            "SETRANGE new 3 x",
            "GET new",
            "SETRANGE new -1 x",
            "SETRANGE new x y",
            "SETRANGE new 536870912 x",
            "SETRANGE new 9223372036854775807 x",
            "SETRANGE nosuch 536870912 x",
            "EXISTS nosuch",
            "SET t v EX 100",
            "SETRANGE t 0 w",
            "TTL t",
        ],
        r#"
        > SETRANGE k 0 hello
        (integer) 5
        > SETRANGE k 6 world
        (integer) 11
        > GET k
        "hello\x00world"
        > SETRANGE k 0 H
        (integer) 11
        > SETRANGE k 13 !
        (integer) 14
        > GET k
        "Hello\x00world\x00\x00!"
        > SETRANGE k 2 ""
        (integer) 14
        > SETRANGE k 100 ""
        (integer) 14
        > STRLEN k
        (integer) 14
        > SETRANGE new 5 ""
        (integer) 0
        > EXISTS new
        (integer) 0
        > SETRANGE new 3 x
        (integer) 4
        > GET new
        "\x00\x00\x00x"
        > SETRANGE new -1 x
        (error) ERR offset is out of range
        > SETRANGE new x y
        (error) ERR value is not an integer or out of range
        > SETRANGE new 536870912 x
        (error) ERR string exceeds maximum allowed size (proto-max-bulk-len)
        > SETRANGE new 9223372036854775807 x
        (error) ERR string exceeds maximum allowed size (proto-max-bulk-len)
        > SETRANGE nosuch 536870912 x
        (error) ERR string exceeds maximum allowed size (proto-max-bulk-len)
        > EXISTS nosuch
        (integer) 0
        > SET t v EX 100
        OK
        > SETRANGE t 0 w
        (integer) 1
        > TTL t
        (integer) 100
    "#,
    );
}

#[test]
fn lcs() {
    check(
        &[
            "MSET key1 ohmytext key2 mynewtext",
            "LCS key1 key2",
            "LCS key1 key2 LEN",
            "LCS key1 key2 IDX",
            "LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN",
            "LCS key1 key2 IDX WITHMATCHLEN",
            "LCS key1 nosuch",
            "LCS nosuch1 nosuch2 IDX",
        ],
        r#"
        > MSET key1 ohmytext key2 mynewtext
        OK
        > LCS key1 key2
        "mytext"
        > LCS key1 key2 LEN
        (integer) 6
        > LCS key1 key2 IDX
        1) "matches"
        2) 1) 1) 1) (integer) 4
                 2) (integer) 7
              2) 1) (integer) 5
                 2) (integer) 8
           2) 1) 1) (integer) 2
                 2) (integer) 3
              2) 1) (integer) 0
                 2) (integer) 1
        3) "len"
        4) (integer) 6
        > LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN
        1) "matches"
        2) 1) 1) 1) (integer) 4
                 2) (integer) 7
              2) 1) (integer) 5
                 2) (integer) 8
              3) (integer) 4
        3) "len"
        4) (integer) 6
        > LCS key1 key2 IDX WITHMATCHLEN
        1) "matches"
        2) 1) 1) 1) (integer) 4
                 2) (integer) 7
              2) 1) (integer) 5
                 2) (integer) 8
              3) (integer) 4
           2) 1) 1) (integer) 2
                 2) (integer) 3
              2) 1) (integer) 0
                 2) (integer) 1
              3) (integer) 2
        3) "len"
        4) (integer) 6
        > LCS key1 nosuch
        ""
        > LCS nosuch1 nosuch2 IDX
        1) "matches"
        2) (empty array)
        3) "len"
        4) (integer) 0
    "#,
    );
}

#[test]
fn lcs_errors() {
    check(
        &[
            "MSET a abc b abd",
            "LCS a b LEN IDX",
            "LCS a b IDX MINMATCHLEN x",
            "LCS a b IDX MINMATCHLEN",
            "LCS a b NOSUCH",
            "LCS a",
            "LCS a b IDX MINMATCHLEN -3",
        ],
        r#"
        > MSET a abc b abd
        OK
        > LCS a b LEN IDX
        (error) ERR If you want both the length and indexes, please just use IDX.
        > LCS a b IDX MINMATCHLEN x
        (error) ERR value is not an integer or out of range
        > LCS a b IDX MINMATCHLEN
        (error) ERR syntax error
        > LCS a b NOSUCH
        (error) ERR syntax error
        > LCS a
        (error) ERR wrong number of arguments for 'lcs' command
        > LCS a b IDX MINMATCHLEN -3
        1) "matches"
        2) 1) 1) 1) (integer) 0
                 2) (integer) 1
              2) 1) (integer) 0
                 2) (integer) 1
        3) "len"
        4) (integer) 2
    "#,
    );
}
