//! MGET MSET MSETNX APPEND STRLEN GETRANGE SETRANGE SUBSTR LCS.

use super::check;

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
