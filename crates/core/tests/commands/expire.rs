//! EXPIRE PEXPIRE EXPIREAT PEXPIREAT (NX XX GT LT) TTL PTTL EXPIRETIME PEXPIRETIME
//! PERSIST. Lazy and active expiry are in `expiry.rs`.

use super::check;

#[test]
fn ttl_family_on_missing_and_persistent_keys() {
    check(
        &[
            "TTL nosuch",
            "PTTL nosuch",
            "EXPIRETIME nosuch",
            "PEXPIRETIME nosuch",
            "SET k v",
            "TTL k",
            "PTTL k",
            "EXPIRETIME k",
            "PEXPIRETIME k",
        ],
        r#"
        > TTL nosuch
        (integer) -2
        > PTTL nosuch
        (integer) -2
        > EXPIRETIME nosuch
        (integer) -2
        > PEXPIRETIME nosuch
        (integer) -2
        > SET k v
        OK
        > TTL k
        (integer) -1
        > PTTL k
        (integer) -1
        > EXPIRETIME k
        (integer) -1
        > PEXPIRETIME k
        (integer) -1
    "#,
    );
}

#[test]
fn expire_and_the_clock() {
    check(
        &[
            "SET k v",
            "EXPIRE k 10",
            "TTL k",
            "PTTL k",
            "EXPIRETIME k",
            "PEXPIRETIME k",
            "+1500ms",
            "TTL k",
            "PTTL k",
            "+8499ms",
            "TTL k",
            "PTTL k",
            "+1ms",
            "PTTL k",
            "GET k",
        ],
        r#"
        > SET k v
        OK
        > EXPIRE k 10
        (integer) 1
        > TTL k
        (integer) 10
        > PTTL k
        (integer) 10000
        > EXPIRETIME k
        (integer) 1700000010
        > PEXPIRETIME k
        (integer) 1700000010000
        > +1500ms
        > TTL k
        (integer) 9
        > PTTL k
        (integer) 8500
        > +8499ms
        > TTL k
        (integer) 0
        > PTTL k
        (integer) 1
        > +1ms
        > PTTL k
        (integer) 0
        > GET k
        "v"
    "#,
    );
}

#[test]
fn ttl_rounds_to_the_nearest_second() {
    check(
        &[
            "SET k v PX 1499",
            "TTL k",
            "SET k v PX 1500",
            "TTL k",
            "SET k v PX 499",
            "TTL k",
            "SET k v PX 500",
            "TTL k",
        ],
        r#"
        > SET k v PX 1499
        OK
        > TTL k
        (integer) 1
        > SET k v PX 1500
        OK
        > TTL k
        (integer) 2
        > SET k v PX 499
        OK
        > TTL k
        (integer) 0
        > SET k v PX 500
        OK
        > TTL k
        (integer) 1
    "#,
    );
}

#[test]
fn pexpire_expireat_pexpireat() {
    check(
        &[
            "SET k v",
            "PEXPIRE k 2500",
            "PTTL k",
            "TTL k",
            "EXPIREAT k 1700000100",
            "TTL k",
            "EXPIRETIME k",
            "PEXPIREAT k 1700000100500",
            "PTTL k",
            "EXPIRETIME k",
            "PEXPIREAT k 1700000100499",
            "EXPIRETIME k",
            "EXPIRE nosuch 10",
            "PEXPIREAT nosuch 10",
        ],
        r#"
        > SET k v
        OK
        > PEXPIRE k 2500
        (integer) 1
        > PTTL k
        (integer) 2500
        > TTL k
        (integer) 3
        > EXPIREAT k 1700000100
        (integer) 1
        > TTL k
        (integer) 100
        > EXPIRETIME k
        (integer) 1700000100
        > PEXPIREAT k 1700000100500
        (integer) 1
        > PTTL k
        (integer) 100500
        > EXPIRETIME k
        (integer) 1700000101
        > PEXPIREAT k 1700000100499
        (integer) 1
        > EXPIRETIME k
        (integer) 1700000100
        > EXPIRE nosuch 10
        (integer) 0
        > PEXPIREAT nosuch 10
        (integer) 0
    "#,
    );
}

#[test]
fn persist() {
    check(
        &[
            "SET k v EX 10",
            "PERSIST k",
            "TTL k",
            "PERSIST k",
            "PERSIST nosuch",
            "+20s",
            "GET k",
            "PERSIST",
            "PERSIST a b",
        ],
        r#"
        > SET k v EX 10
        OK
        > PERSIST k
        (integer) 1
        > TTL k
        (integer) -1
        > PERSIST k
        (integer) 0
        > PERSIST nosuch
        (integer) 0
        > +20s
        > GET k
        "v"
        > PERSIST
        (error) ERR wrong number of arguments for 'persist' command
        > PERSIST a b
        (error) ERR wrong number of arguments for 'persist' command
    "#,
    );
}

#[test]
fn expiring_in_the_past_deletes_the_key() {
    check(
        &[
            "SET k v",
            "EXPIRE k 0",
            "EXISTS k",
            "SET k v",
            "EXPIRE k -1",
            "EXISTS k",
            "SET k v",
            "PEXPIRE k -100",
            "EXISTS k",
            "SET k v",
            "EXPIREAT k 1",
            "EXISTS k",
            "SET k v",
            "PEXPIREAT k 1700000000000",
            "EXISTS k",
            "SET k v",
            "PEXPIREAT k 1700000000001",
            "PTTL k",
        ],
        r#"
        > SET k v
        OK
        > EXPIRE k 0
        (integer) 1
        > EXISTS k
        (integer) 0
        > SET k v
        OK
        > EXPIRE k -1
        (integer) 1
        > EXISTS k
        (integer) 0
        > SET k v
        OK
        > PEXPIRE k -100
        (integer) 1
        > EXISTS k
        (integer) 0
        > SET k v
        OK
        > EXPIREAT k 1
        (integer) 1
        > EXISTS k
        (integer) 0
        > SET k v
        OK
        > PEXPIREAT k 1700000000000
        (integer) 1
        > EXISTS k
        (integer) 0
        > SET k v
        OK
        > PEXPIREAT k 1700000000001
        (integer) 1
        > PTTL k
        (integer) 1
    "#,
    );
}

#[test]
fn expire_overflow_and_invalid_values() {
    check(
        &[
            "SET k v",
            "EXPIRE k 9223372036854775807",
            "EXPIRE k 9223372036854775",
            "EXPIRE k 9223372036854774",
            "PEXPIRE k 9223372036854775807",
            "PEXPIRE k 9223372036854775000",
            "EXPIREAT k 9223372036854775807",
            "EXPIREAT k 9223372036854775",
            "EXPIRETIME k",
            "PEXPIREAT k 9223372036854775807",
            "PEXPIRETIME k",
            "EXPIRE k -9223372036854775",
            "EXPIRE k -9223372036854776",
            "EXISTS k",
            "SET k v",
            "EXPIRE k 9223372036854775808",
            "EXPIRE k abc",
            "EXPIRE k 1.5",
            "EXPIRE k \" 10\"",
            "TTL k",
            "EXPIRE k",
        ],
        r#"
        > SET k v
        OK
        > EXPIRE k 9223372036854775807
        (error) ERR invalid expire time in 'expire' command
        > EXPIRE k 9223372036854775
        (error) ERR invalid expire time in 'expire' command
        > EXPIRE k 9223372036854774
        (error) ERR invalid expire time in 'expire' command
        > PEXPIRE k 9223372036854775807
        (error) ERR invalid expire time in 'pexpire' command
        > PEXPIRE k 9223372036854775000
        (error) ERR invalid expire time in 'pexpire' command
        > EXPIREAT k 9223372036854775807
        (error) ERR invalid expire time in 'expireat' command
        > EXPIREAT k 9223372036854775
        (integer) 1
        > EXPIRETIME k
        (integer) 9223372036854775
        > PEXPIREAT k 9223372036854775807
        (integer) 1
        > PEXPIRETIME k
        (integer) 9223372036854775807
        > EXPIRE k -9223372036854775
        (integer) 1
        > EXPIRE k -9223372036854776
        (error) ERR invalid expire time in 'expire' command
        > EXISTS k
        (integer) 0
        > SET k v
        OK
        > EXPIRE k 9223372036854775808
        (error) ERR value is not an integer or out of range
        > EXPIRE k abc
        (error) ERR value is not an integer or out of range
        > EXPIRE k 1.5
        (error) ERR value is not an integer or out of range
        > EXPIRE k " 10"
        (error) ERR value is not an integer or out of range
        > TTL k
        (integer) -1
        > EXPIRE k
        (error) ERR wrong number of arguments for 'expire' command
    "#,
    );
}

#[test]
fn expire_nx_xx_gt_lt() {
    check(
        &[
            "SET k v",
            "EXPIRE k 100 XX",
            "EXPIRE k 100 GT",
            "EXPIRE k 100 LT",
            "TTL k",
            "PERSIST k",
            "EXPIRE k 100 NX",
            "EXPIRE k 200 NX",
            "EXPIRE k 200 XX",
            "TTL k",
            "EXPIRE k 100 GT",
            "EXPIRE k 300 GT",
            "EXPIRE k 400 LT",
            "EXPIRE k 50 LT",
            "TTL k",
            "EXPIRE k 60 XX GT",
            "EXPIRE k 10 xx lt",
            "TTL k",
            "EXPIRE nosuch 10 XX",
            "EXPIRE nosuch 10 NX",
        ],
        r#"
        > SET k v
        OK
        > EXPIRE k 100 XX
        (integer) 0
        > EXPIRE k 100 GT
        (integer) 0
        > EXPIRE k 100 LT
        (integer) 1
        > TTL k
        (integer) 100
        > PERSIST k
        (integer) 1
        > EXPIRE k 100 NX
        (integer) 1
        > EXPIRE k 200 NX
        (integer) 0
        > EXPIRE k 200 XX
        (integer) 1
        > TTL k
        (integer) 200
        > EXPIRE k 100 GT
        (integer) 0
        > EXPIRE k 300 GT
        (integer) 1
        > EXPIRE k 400 LT
        (integer) 0
        > EXPIRE k 50 LT
        (integer) 1
        > TTL k
        (integer) 50
        > EXPIRE k 60 XX GT
        (integer) 1
        > EXPIRE k 10 xx lt
        (integer) 1
        > TTL k
        (integer) 10
        > EXPIRE nosuch 10 XX
        (integer) 0
        > EXPIRE nosuch 10 NX
        (integer) 0
    "#,
    );
}

#[test]
fn expire_option_errors() {
    check(
        &[
            "SET k v",
            "EXPIRE k 10 NX XX",
            "EXPIRE k 10 NX GT",
            "EXPIRE k 10 GT LT",
            "EXPIRE k 10 NX NX",
            "EXPIRE k 10 NOSUCH",
            "EXPIRE k 10 GT nosuch",
            "EXPIRE k x NX XX",
            "EXPIRE nosuch 10 NOSUCH",
            "TTL k",
        ],
        r#"
        > SET k v
        OK
        > EXPIRE k 10 NX XX
        (error) ERR NX and XX, GT or LT options at the same time are not compatible
        > EXPIRE k 10 NX GT
        (error) ERR NX and XX, GT or LT options at the same time are not compatible
        > EXPIRE k 10 GT LT
        (error) ERR GT and LT options at the same time are not compatible
        > EXPIRE k 10 NX NX
        (integer) 1
        > EXPIRE k 10 NOSUCH
        (error) ERR Unsupported option NOSUCH
        > EXPIRE k 10 GT nosuch
        (error) ERR Unsupported option nosuch
        > EXPIRE k x NX XX
        (error) ERR NX and XX, GT or LT options at the same time are not compatible
        > EXPIRE nosuch 10 NOSUCH
        (error) ERR Unsupported option NOSUCH
        > TTL k
        (integer) 10
    "#,
    );
}

#[test]
fn negative_expire_with_conditions() {
    check(
        &[
            "SET k v",
            "EXPIRE k -1 GT",
            "EXISTS k",
            "EXPIRE k -1 LT",
            "EXISTS k",
            "SET k v EX 100",
            "EXPIRE k -1 GT",
            "EXPIRE k -1 XX",
            "EXISTS k",
        ],
        r#"
        > SET k v
        OK
        > EXPIRE k -1 GT
        (integer) 0
        > EXISTS k
        (integer) 1
        > EXPIRE k -1 LT
        (integer) 1
        > EXISTS k
        (integer) 0
        > SET k v EX 100
        OK
        > EXPIRE k -1 GT
        (integer) 0
        > EXPIRE k -1 XX
        (integer) 1
        > EXISTS k
        (integer) 0
    "#,
    );
}
