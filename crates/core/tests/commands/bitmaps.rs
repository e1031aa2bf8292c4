//! SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO.

use super::check;

#[test]
fn setbit_getbit_bitcount() {
    check(
        &[
            "SETBIT b 7 1",
            "SETBIT b 7 1",
            "GET b",
            "SETBIT b 23 1",
            "STRLEN b",
            "GETBIT b 23",
            "GETBIT b 1000",
            "BITCOUNT b",
            "BITCOUNT b 16 23 BIT",
            "SETBIT b 1 2",
            "SETBIT b -1 1",
            "SET s foobar",
            "BITCOUNT s 1 -2",
            "BITCOUNT s 5 30 BIT",
            "BITCOUNT s 0 1 bits",
        ],
        r#"
        > SETBIT b 7 1
        (integer) 0
        > SETBIT b 7 1
        (integer) 1
        > GET b
        "\x01"
        > SETBIT b 23 1
        (integer) 0
        > STRLEN b
        (integer) 3
        > GETBIT b 23
        (integer) 1
        > GETBIT b 1000
        (integer) 0
        > BITCOUNT b
        (integer) 2
        > BITCOUNT b 16 23 BIT
        (integer) 1
        > SETBIT b 1 2
        (error) ERR bit is not an integer or out of range
        > SETBIT b -1 1
        (error) ERR bit offset is not an integer or out of range
        > SET s foobar
        OK
        > BITCOUNT s 1 -2
        (integer) 18
        > BITCOUNT s 5 30 BIT
        (integer) 17
        > BITCOUNT s 0 1 bits
        (error) ERR syntax error
    "#,
    );
}

#[test]
fn bitpos() {
    check(
        &[
            "SET p \"\\xff\\xf0\\x00\"",
            "BITPOS p 0",
            "BITPOS p 1 2",
            "BITPOS p 0 7 15 BIT",
            "BITPOS p 0 8 11 BIT",
            "SET ones \"\\xff\\xff\"",
            "BITPOS ones 0",
            "BITPOS ones 0 0 -1",
            "BITPOS nosuch 0",
            "BITPOS nosuch 1",
            "BITPOS p 2",
            "BITPOS p 1 0 1 bad",
        ],
        r#"
        > SET p "\xff\xf0\x00"
        OK
        > BITPOS p 0
        (integer) 12
        > BITPOS p 1 2
        (integer) -1
        > BITPOS p 0 7 15 BIT
        (integer) 12
        > BITPOS p 0 8 11 BIT
        (integer) -1
        > SET ones "\xff\xff"
        OK
        > BITPOS ones 0
        (integer) 16
        > BITPOS ones 0 0 -1
        (integer) -1
        > BITPOS nosuch 0
        (integer) 0
        > BITPOS nosuch 1
        (integer) -1
        > BITPOS p 2
        (error) ERR The bit argument must be 1 or 0.
        > BITPOS p 1 0 1 bad
        (error) ERR syntax error
    "#,
    );
}

#[test]
fn bitop() {
    check(
        &[
            "SET a \"\\x0f\\xf0\"",
            "SET b \"\\xff\"",
            "BITOP AND r a b",
            "GET r",
            "BITOP XOR r a b nosuch",
            "GET r",
            "BITOP NOT r a",
            "GET r",
            "BITOP NOT r a b",
            "BITOP NAND r a",
            "BITOP AND r nosuch",
            "EXISTS r",
            "LPUSH l x",
            "BITOP OR r a l",
        ],
        r#"
        > SET a "\x0f\xf0"
        OK
        > SET b "\xff"
        OK
        > BITOP AND r a b
        (integer) 2
        > GET r
        "\x0f\x00"
        > BITOP XOR r a b nosuch
        (integer) 2
        > GET r
        "\xf0\xf0"
        > BITOP NOT r a
        (integer) 2
        > GET r
        "\xf0\x0f"
        > BITOP NOT r a b
        (error) ERR BITOP NOT must be called with a single source key.
        > BITOP NAND r a
        (error) ERR syntax error
        > BITOP AND r nosuch
        (integer) 0
        > EXISTS r
        (integer) 0
        > LPUSH l x
        (integer) 1
        > BITOP OR r a l
        (error) WRONGTYPE Operation against a key holding the wrong kind of value
    "#,
    );
}

#[test]
fn bitfield() {
    check(
        &[
            "BITFIELD f SET i8 0 -100 GET i8 0 GET u8 0",
            "BITFIELD f SET u8 #1 255 GET u8 8",
            "BITFIELD f OVERFLOW WRAP INCRBY u8 #1 1",
            "BITFIELD f OVERFLOW SAT INCRBY u8 #1 300 INCRBY u8 #1 -1000",
            "BITFIELD f OVERFLOW FAIL INCRBY u8 #1 300 GET u8 #1",
            "BITFIELD f OVERFLOW WRAP SET i8 24 200 INCRBY i8 24 127",
            "BITFIELD f SET i64 64 9223372036854775807 INCRBY i64 64 1",
            "BITFIELD f GET u64 0",
            "BITFIELD f OVERFLOW BAD",
            "BITFIELD f GET u8 0 SET u8 0 x",
            "BITFIELD new OVERFLOW FAIL SET u4 0 100",
            "EXISTS new",
            "BITFIELD_RO f GET u8 0 GET i16 8",
            "BITFIELD_RO f SET u8 0 1",
        ],
        r#"
        > BITFIELD f SET i8 0 -100 GET i8 0 GET u8 0
        1) (integer) 0
        2) (integer) -100
        3) (integer) 156
        > BITFIELD f SET u8 #1 255 GET u8 8
        1) (integer) 0
        2) (integer) 255
        > BITFIELD f OVERFLOW WRAP INCRBY u8 #1 1
        1) (integer) 0
        > BITFIELD f OVERFLOW SAT INCRBY u8 #1 300 INCRBY u8 #1 -1000
        1) (integer) 255
        2) (integer) 0
        > BITFIELD f OVERFLOW FAIL INCRBY u8 #1 300 GET u8 #1
        1) (nil)
        2) (integer) 0
        > BITFIELD f OVERFLOW WRAP SET i8 24 200 INCRBY i8 24 127
        1) (integer) 0
        2) (integer) 71
        > BITFIELD f SET i64 64 9223372036854775807 INCRBY i64 64 1
        1) (integer) 0
        2) (integer) -9223372036854775808
        > BITFIELD f GET u64 0
        (error) ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.
        > BITFIELD f OVERFLOW BAD
        (error) ERR Invalid OVERFLOW type specified
        > BITFIELD f GET u8 0 SET u8 0 x
        (error) ERR value is not an integer or out of range
        > BITFIELD new OVERFLOW FAIL SET u4 0 100
        1) (nil)
        > EXISTS new
        (integer) 1
        > BITFIELD_RO f GET u8 0 GET i16 8
        1) (integer) 156
        2) (integer) 0
        > BITFIELD_RO f SET u8 0 1
        (error) ERR BITFIELD_RO only supports the GET subcommand
    "#,
    );
}
