//! DUMP RESTORE: what the differential script cannot show (several clients,
//! the engine's clock), checked by hand against redis-server 7.0.15.

use super::check;

const BAR: &str = r#""\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17""#;

#[test]
fn restore_invalidates_watch() {
    let restore = format!("RESTORE k 0 {BAR}");
    let replace = format!("RESTORE k 0 {BAR} REPLACE");
    check(
        &[
            "WATCH k",
            "@client 2",
            &restore,
            "@client 1",
            "MULTI",
            "PING",
            "EXEC",
            "WATCH k",
            "@client 2",
            &replace,
            "@client 1",
            "MULTI",
            "PING",
            "EXEC",
        ],
        r#"
        > WATCH k
        OK
        > @client 2
        > RESTORE k 0 "\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17"
        OK
        > @client 1
        > MULTI
        OK
        > PING
        QUEUED
        > EXEC
        (nil)
        > WATCH k
        OK
        > @client 2
        > RESTORE k 0 "\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17" REPLACE
        OK
        > @client 1
        > MULTI
        OK
        > PING
        QUEUED
        > EXEC
        (nil)
    "#,
    );
}

#[test]
fn restore_with_a_past_deadline() {
    let past = format!("RESTORE k 1000 {BAR} ABSTTL");
    let past_replace = format!("RESTORE k 1000 {BAR} ABSTTL REPLACE");
    check(
        &[
            "WATCH k",
            &past,
            "EXISTS k",
            "MULTI",
            "PING",
            "EXEC",
            "SET k v",
            "WATCH k",
            "@client 2",
            &past_replace,
            "@client 1",
            "EXISTS k",
            "MULTI",
            "PING",
            "EXEC",
        ],
        r#"
        > WATCH k
        OK
        > RESTORE k 1000 "\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17" ABSTTL
        OK
        > EXISTS k
        (integer) 0
        > MULTI
        OK
        > PING
        QUEUED
        > EXEC
        1) PONG
        > SET k v
        OK
        > WATCH k
        OK
        > @client 2
        > RESTORE k 1000 "\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17" ABSTTL REPLACE
        OK
        > @client 1
        > EXISTS k
        (integer) 0
        > MULTI
        OK
        > PING
        QUEUED
        > EXEC
        (nil)
    "#,
    );
}

#[test]
fn restore_ttls_follow_the_clock() {
    let rel = format!("RESTORE k 1500 {BAR}");
    let abs = format!("RESTORE a 1700000003000 {BAR} ABSTTL");
    check(
        &[
            &rel, "PTTL k", &abs, "PTTL a", "+1500ms", "PTTL k", "GET k", "+1ms", "GET k",
        ],
        r#"
        > RESTORE k 1500 "\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17"
        OK
        > PTTL k
        (integer) 1500
        > RESTORE a 1700000003000 "\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17" ABSTTL
        OK
        > PTTL a
        (integer) 3000
        > +1500ms
        > PTTL k
        (integer) 0
        > GET k
        "bar"
        > +1ms
        > GET k
        (nil)
    "#,
    );
}

#[test]
fn restore_is_refused_over_maxmemory() {
    let restore = format!("RESTORE k 0 {BAR}");
    check(
        &[
            "SET big x",
            "CONFIG SET maxmemory 1",
            &restore,
            "DUMP big",
            "EXISTS k",
        ],
        r#"
        > SET big x
        OK
        > CONFIG SET maxmemory 1
        OK
        > RESTORE k 0 "\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17"
        (error) OOM command not allowed when used memory > 'maxmemory'.
        > DUMP big
        "\x00\x01x\n\x00\"\x80\x86_\xbd\xe8H\xd0"
        > EXISTS k
        (integer) 0
    "#,
    );
}

#[test]
fn idletime_and_freq_depend_on_the_policy() {
    let idle = format!("RESTORE k 0 {BAR} IDLETIME 100");
    let freq = format!("RESTORE f 0 {BAR} FREQ 42");
    check(
        &[
            &idle,
            "OBJECT IDLETIME k",
            &freq,
            "OBJECT IDLETIME f",
            "DEL f",
            "CONFIG SET maxmemory-policy allkeys-lfu",
            &freq,
            "OBJECT FREQ f",
        ],
        r#"
        > RESTORE k 0 "\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17" IDLETIME 100
        OK
        > OBJECT IDLETIME k
        (integer) 100
        > RESTORE f 0 "\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17" FREQ 42
        OK
        > OBJECT IDLETIME f
        (integer) 0
        > DEL f
        (integer) 1
        > CONFIG SET maxmemory-policy allkeys-lfu
        OK
        > RESTORE f 0 "\x00\x03bar\n\x00\xe6\xbeI`\xeef\xfd\x17" FREQ 42
        OK
        > OBJECT FREQ f
        (integer) 42
    "#,
    );
}
