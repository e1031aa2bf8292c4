//! DEL UNLINK EXISTS TYPE TOUCH RENAME RENAMENX COPY MOVE. KEYS, RANDOMKEY and
//! OBJECT are in `keys_inspect.rs`.

use super::check;

#[test]
fn del_unlink() {
    check(
        &[
            "MSET a 1 b 2 c 3",
            "DEL a",
            "DEL a",
            "DEL b c nosuch b",
            "MSET a 1 b 2",
            "UNLINK a b nosuch",
            "DEL",
            "UNLINK",
        ],
        r#"
        > MSET a 1 b 2 c 3
        OK
        > DEL a
        (integer) 1
        > DEL a
        (integer) 0
        > DEL b c nosuch b
        (integer) 2
        > MSET a 1 b 2
        OK
        > UNLINK a b nosuch
        (integer) 2
        > DEL
        (error) ERR wrong number of arguments for 'del' command
        > UNLINK
        (error) ERR wrong number of arguments for 'unlink' command
    "#,
    );
}

#[test]
fn exists_counts_repeats() {
    check(
        &[
            "MSET a 1 b 2",
            "EXISTS a",
            "EXISTS a b nosuch",
            "EXISTS a a a",
            "EXISTS",
        ],
        r#"
        > MSET a 1 b 2
        OK
        > EXISTS a
        (integer) 1
        > EXISTS a b nosuch
        (integer) 2
        > EXISTS a a a
        (integer) 3
        > EXISTS
        (error) ERR wrong number of arguments for 'exists' command
    "#,
    );
}

#[test]
fn type_() {
    check(
        &["SET a 1", "TYPE a", "TYPE nosuch", "TYPE", "TYPE a b"],
        r#"
        > SET a 1
        OK
        > TYPE a
        string
        > TYPE nosuch
        none
        > TYPE
        (error) ERR wrong number of arguments for 'type' command
        > TYPE a b
        (error) ERR wrong number of arguments for 'type' command
    "#,
    );
}

#[test]
fn touch() {
    check(
        &[
            "MSET a 1 b 2",
            "TOUCH a",
            "TOUCH a b nosuch a",
            "TOUCH nosuch",
            "TOUCH",
        ],
        r#"
        > MSET a 1 b 2
        OK
        > TOUCH a
        (integer) 1
        > TOUCH a b nosuch a
        (integer) 3
        > TOUCH nosuch
        (integer) 0
        > TOUCH
        (error) ERR wrong number of arguments for 'touch' command
    "#,
    );
}

#[test]
fn touch_resets_idletime() {
    check(
        &[
            "SET a 1",
            "+10s",
            "OBJECT IDLETIME a",
            "TOUCH a",
            "OBJECT IDLETIME a",
            "+5s",
            "EXISTS a",
            "TYPE a",
            "OBJECT IDLETIME a",
            "GET a",
            "OBJECT IDLETIME a",
        ],
        r#"
        > SET a 1
        OK
        > +10s
        > OBJECT IDLETIME a
        (integer) 10
        > TOUCH a
        (integer) 1
        > OBJECT IDLETIME a
        (integer) 0
        > +5s
        > EXISTS a
        (integer) 1
        > TYPE a
        string
        > OBJECT IDLETIME a
        (integer) 5
        > GET a
        "1"
        > OBJECT IDLETIME a
        (integer) 0
    "#,
    );
}

#[test]
fn rename() {
    check(
        &[
            "SET src v",
            "RENAME src dst",
            "GET dst",
            "EXISTS src",
            "RENAME src dst",
            "RENAME nosuch nosuch",
            "RENAME dst dst",
            "SET other o",
            "RENAME dst other",
            "GET other",
            "RENAME a",
        ],
        r#"
        > SET src v
        OK
        > RENAME src dst
        OK
        > GET dst
        "v"
        > EXISTS src
        (integer) 0
        > RENAME src dst
        (error) ERR no such key
        > RENAME nosuch nosuch
        (error) ERR no such key
        > RENAME dst dst
        OK
        > SET other o
        OK
        > RENAME dst other
        OK
        > GET other
        "v"
        > RENAME a
        (error) ERR wrong number of arguments for 'rename' command
    "#,
    );
}

#[test]
fn rename_moves_the_ttl() {
    check(
        &[
            "SET t v EX 100",
            "RENAME t t2",
            "TTL t2",
            "SET t3 x EX 50",
            "SET nottl v",
            "RENAME nottl t3",
            "TTL t3",
            "RENAME t2 t3",
            "TTL t3",
        ],
        r#"
        > SET t v EX 100
        OK
        > RENAME t t2
        OK
        > TTL t2
        (integer) 100
        > SET t3 x EX 50
        OK
        > SET nottl v
        OK
        > RENAME nottl t3
        OK
        > TTL t3
        (integer) -1
        > RENAME t2 t3
        OK
        > TTL t3
        (integer) 100
    "#,
    );
}

#[test]
fn renamenx() {
    check(
        &[
            "MSET a 1 b 2",
            "RENAMENX a b",
            "RENAMENX a c",
            "MGET a b c",
            "RENAMENX c c",
            "RENAMENX nosuch x",
            "RENAMENX nosuch nosuch",
        ],
        r#"
        > MSET a 1 b 2
        OK
        > RENAMENX a b
        (integer) 0
        > RENAMENX a c
        (integer) 1
        > MGET a b c
        1) (nil)
        2) "2"
        3) "1"
        > RENAMENX c c
        (integer) 0
        > RENAMENX nosuch x
        (error) ERR no such key
        > RENAMENX nosuch nosuch
        (error) ERR no such key
    "#,
    );
}

#[test]
fn copy() {
    check(
        &[
            "SET s v",
            "COPY s d",
            "GET d",
            "COPY s d",
            "COPY s d REPLACE",
            "COPY s s",
            "COPY s s DB 0",
            "COPY s s DB 1",
            "COPY s d DB 16",
            "COPY s d DB -1",
            "COPY s d DB x",
            "COPY s d DB",
            "COPY s d NOSUCH",
            "COPY nosuch d",
            "SELECT 1",
            "GET s",
        ],
        r#"
        > SET s v
        OK
        > COPY s d
        (integer) 1
        > GET d
        "v"
        > COPY s d
        (integer) 0
        > COPY s d REPLACE
        (integer) 1
        > COPY s s
        (error) ERR source and destination objects are the same
        > COPY s s DB 0
        (error) ERR source and destination objects are the same
        > COPY s s DB 1
        (integer) 1
        > COPY s d DB 16
        (error) ERR DB index is out of range
        > COPY s d DB -1
        (error) ERR DB index is out of range
        > COPY s d DB x
        (error) ERR value is not an integer or out of range
        > COPY s d DB
        (error) ERR syntax error
        > COPY s d NOSUCH
        (error) ERR syntax error
        > COPY nosuch d
        (integer) 0
        > SELECT 1
        OK
        > GET s
        "v"
    "#,
    );
}

#[test]
fn copy_keeps_the_ttl_and_copies_the_value() {
    check(
        &[
            "SET s v EX 100",
            "COPY s d",
            "TTL d",
            "APPEND d x",
            "GET s",
            "GET d",
            "SET n v",
            "COPY n s REPLACE",
            "TTL s",
        ],
        r#"
        > SET s v EX 100
        OK
        > COPY s d
        (integer) 1
        > TTL d
        (integer) 100
        > APPEND d x
        (integer) 2
        > GET s
        "v"
        > GET d
        "vx"
        > SET n v
        OK
        > COPY n s REPLACE
        (integer) 1
        > TTL s
        (integer) -1
    "#,
    );
}

#[test]
fn move_() {
    check(
        &[
            "SET k v EX 100",
            "MOVE k 1",
            "EXISTS k",
            "MOVE k 1",
            "SELECT 1",
            "TTL k",
            "MOVE k 1",
            "SET x here",
            "SELECT 0",
            "SET x there",
            "MOVE x 1",
            "GET x",
            "MOVE x 16",
            "MOVE x -1",
            "MOVE x abc",
            "MOVE nosuch 1",
            "MOVE nosuch 0",
        ],
        r#"
        > SET k v EX 100
        OK
        > MOVE k 1
        (integer) 1
        > EXISTS k
        (integer) 0
        > MOVE k 1
        (integer) 0
        > SELECT 1
        OK
        > TTL k
        (integer) 100
        > MOVE k 1
        (error) ERR source and destination objects are the same
        > SET x here
        OK
        > SELECT 0
        OK
        > SET x there
        OK
        > MOVE x 1
        (integer) 0
        > GET x
        "there"
        > MOVE x 16
        (error) ERR DB index is out of range
        > MOVE x -1
        (error) ERR DB index is out of range
        > MOVE x abc
        (error) ERR value is not an integer or out of range
        > MOVE nosuch 1
        (integer) 0
        > MOVE nosuch 0
        (error) ERR source and destination objects are the same
    "#,
    );
}
