//! PFADD PFCOUNT PFMERGE PFDEBUG, and the HLL string they keep.

use super::check;

#[test]
fn pfadd_pfcount_pfmerge() {
    check(
        &[
            "PFADD h",
            "GET h",
            "PFADD h a b c d e f g",
            "PFADD h a b",
            "PFCOUNT h",
            "GET h",
            "PFADD h2 foo bar zap zap zap",
            "PFCOUNT h h2 nosuch",
            "PFMERGE m h h2",
            "PFCOUNT m",
            "PFDEBUG ENCODING m",
            "PFDEBUG DECODE h2",
            "PFDEBUG TODENSE h2",
            "PFDEBUG ENCODING h2",
            "STRLEN h2",
            "PFCOUNT h2",
        ],
        r#"
        > PFADD h
        (integer) 1
        > GET h
        "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff"
        > PFADD h a b c d e f g
        (integer) 1
        > PFADD h a b
        (integer) 0
        > PFCOUNT h
        (integer) 7
        > GET h
        "HYLL\x01\x00\x00\x00\a\x00\x00\x00\x00\x00\x00\x00Fm\x80V\x0c\x80D<\x848\x80P\xb1\x84I\x8c\x80Bm\x80BZ"
        > PFADD h2 foo bar zap zap zap
        (integer) 1
        > PFCOUNT h h2 nosuch
        (integer) 10
        > PFMERGE m h h2
        OK
        > PFCOUNT m
        (integer) 10
        > PFDEBUG ENCODING m
        sparse
        > PFDEBUG DECODE h2
        "Z:7348 v:5,1 Z:520 v:2,1 Z:2137 v:1,1 Z:6376"
        > PFDEBUG TODENSE h2
        (integer) 1
        > PFDEBUG ENCODING h2
        dense
        > STRLEN h2
        (integer) 12304
        > PFCOUNT h2
        (integer) 3
    "#,
    );
}

#[test]
fn hll_errors() {
    check(
        &[
            "SET s notanhll",
            "PFADD s a",
            "PFCOUNT h s",
            "LPUSH l a",
            "PFMERGE l",
            "PFDEBUG GETREG nosuch",
            "PFADD h x",
            "PFDEBUG FOO h",
            "SET fake \"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80\\x7f\\xfe\"",
            "PFCOUNT fake",
        ],
        r#"
        > SET s notanhll
        OK
        > PFADD s a
        (error) WRONGTYPE Key is not a valid HyperLogLog string value.
        > PFCOUNT h s
        (error) WRONGTYPE Key is not a valid HyperLogLog string value.
        > LPUSH l a
        (integer) 1
        > PFMERGE l
        (error) WRONGTYPE Operation against a key holding the wrong kind of value
        > PFDEBUG GETREG nosuch
        (error) ERR The specified key does not exist
        > PFADD h x
        (integer) 1
        > PFDEBUG FOO h
        (error) ERR Unknown PFDEBUG subcommand 'FOO'
        > SET fake "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe"
        OK
        > PFCOUNT fake
        (error) INVALIDOBJ Corrupted HLL object detected
    "#,
    );
}
