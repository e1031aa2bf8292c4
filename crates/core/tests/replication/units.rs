//! Execution units with several effects (transactions, commands that write more
//! than once), expiry, eviction and flushes, and the stream commands: XADD's
//! generated id, and the XCLAIMs that XREADGROUP, XCLAIM and XAUTOCLAIM propagate.

use super::*;

#[test]
fn transactions_with_several_effects_are_wrapped_in_multi_exec() {
    let mut s = Setup::new();
    for line in ["MULTI", "SET a 1", "GET a", "SET b 2", "EXEC"] {
        s.run(line);
    }
    assert_eq!(
        s.stream(),
        lines(&["SELECT 0", "MULTI", "SET a 1", "SET b 2", "EXEC"])
    );
    // One write: no wrapping. None: nothing at all.
    for line in [
        "MULTI", "SET a 1", "GET a", "EXEC", "MULTI", "GET a", "EXEC",
    ] {
        s.run(line);
    }
    for line in ["MULTI", "EXEC", "MULTI", "DEL nokey", "EXEC"] {
        s.run(line);
    }
    assert_eq!(s.stream(), lines(&["SET a 1"]));
}

#[test]
fn select_inside_a_transaction_is_propagated_between_its_writes() {
    let mut s = Setup::new();
    s.run("SET x 0");
    s.stream();
    for line in [
        "MULTI", "SELECT 1", "SET a 1", "SELECT 2", "SET b 2", "SELECT 0", "EXEC",
    ] {
        s.run(line);
    }
    assert_eq!(
        s.stream(),
        lines(&["SELECT 1", "MULTI", "SET a 1", "SELECT 2", "SET b 2", "EXEC"])
    );
}

#[test]
fn a_command_with_several_effects_is_a_transaction() {
    let mut s = Setup::new();
    s.run("SET k v PX 10");
    s.stream();
    // The write finds the key expired: the expiry's DEL and the SET go together.
    s.run_at("SET k w", T0 + 20_000);
    assert_eq!(s.stream(), lines(&["MULTI", "DEL k", "SET k w", "EXEC"]));
}

#[test]
fn lazy_expiry_propagates_a_del() {
    let mut s = Setup::new();
    s.run("SET a 1 PX 10");
    s.run("SET b 1 PX 10");
    s.stream();
    let later = T0 + 20_000;
    assert_eq!(s.run_at("GET a", later), "(nil)");
    assert_eq!(s.stream(), lines(&["DEL a"]));
    s.run_at("CONFIG SET lazyfree-lazy-expire yes", later);
    s.run_at("EXISTS b", later);
    assert_eq!(s.stream(), lines(&["UNLINK b"]));
}

#[test]
fn scan_expiring_several_keys_is_not_a_transaction() {
    let mut s = Setup::new();
    s.run("SET a 1 PX 10");
    s.run("SET b 1 PX 10");
    s.stream();
    s.run_at("SCAN 0", T0 + 20_000);
    let mut stream = s.stream();
    stream.sort();
    assert_eq!(stream, lines(&["DEL a", "DEL b"]));
}

#[test]
fn active_expiry_propagates_dels_without_a_transaction() {
    let mut s = Setup::new();
    s.run("SET a 1 PX 10");
    s.run("SET b 1 PX 10");
    s.run("SET c 1");
    s.stream();
    s.e.active_expire_cycle(T0 + 20_000);
    let mut stream = s.stream();
    stream.sort();
    assert_eq!(stream, lines(&["DEL a", "DEL b"]));
}

#[test]
fn evictions_propagate_dels() {
    let mut s = Setup::new();
    s.run("SET a 1");
    s.run("CONFIG SET maxmemory-policy allkeys-random");
    s.stream();
    let limit = s.e.used_memory() + 200;
    s.run(&format!("CONFIG SET maxmemory {limit}"));
    s.run(&format!("SET big {}", "x".repeat(400)));
    // Like Redis, memory is checked before each command.
    s.run("PING");
    let stream = s.stream();
    assert!(
        stream.iter().any(|c| c.starts_with("DEL ")),
        "an eviction is a DEL: {stream:?}"
    );
    assert!(!stream.iter().any(|c| c == "MULTI"), "{stream:?}");
}

#[test]
fn flushes_are_propagated_even_when_empty() {
    let mut s = Setup::new();
    s.run("FLUSHALL");
    s.run("FLUSHDB ASYNC");
    assert_eq!(
        s.stream(),
        lines(&["SELECT 0", "FLUSHALL", "FLUSHDB ASYNC"])
    );
}

#[test]
fn xadd_propagates_the_generated_id_and_an_exact_trim() {
    let mut s = Setup::new();
    s.run("XADD s * a 1");
    s.run("XADD s 5-* a 2");
    s.run("XADD s 6-1 a 3");
    s.run("XADD s MAXLEN ~ 1 * a 4");
    s.run("XTRIM s MAXLEN 1");
    assert_eq!(
        s.stream(),
        vec![
            "SELECT 0".to_string(),
            format!("XADD s {T0_MS}-0 a 1"),
            // 5-* is below the top ID: an error, nothing propagated.
            // 6-1 too.
            format!("XADD s MAXLEN = 2 {T0_MS}-1 a 4"),
            "XTRIM s MAXLEN 1".to_string(),
        ]
    );
}

#[test]
fn xreadgroup_propagates_xclaims() {
    let mut s = Setup::new();
    s.run("XADD s 1-1 a 1");
    s.run("XADD s 2-1 b 2");
    s.run("XGROUP CREATE s g 0");
    s.stream();
    s.run("XREADGROUP GROUP g alice COUNT 1 STREAMS s >");
    s.run("XREADGROUP GROUP g alice STREAMS s 0");
    s.run("XREADGROUP GROUP g bob STREAMS s >");
    let claim = |id: &str, c: &str| {
        format!("XCLAIM s g {c} 0 {id} TIME {T0_MS} RETRYCOUNT 1 FORCE JUSTID LASTID {id}")
    };
    assert_eq!(s.stream(), vec![claim("1-1", "alice"), claim("2-1", "bob")]);
    s.run("XADD s 3-1 c 3");
    s.run("XADD s 4-1 d 4");
    s.stream();
    s.run("XREADGROUP GROUP g carol NOACK STREAMS s >");
    assert_eq!(
        s.stream(),
        lines(&[
            "MULTI",
            "XGROUP CREATECONSUMER s g carol",
            "XGROUP SETID s g 4-1 ENTRIESREAD 4",
            "EXEC",
        ])
    );
}

#[test]
fn xclaim_and_xautoclaim_propagate_xclaims() {
    let mut s = Setup::new();
    s.run("XADD s 1-1 a 1");
    s.run("XADD s 2-1 b 2");
    s.run("XGROUP CREATE s g 0");
    s.run("XREADGROUP GROUP g alice STREAMS s >");
    s.stream();
    s.run("XCLAIM s g bob 0 1-1 JUSTID");
    assert_eq!(
        s.stream(),
        vec![format!(
            "XCLAIM s g bob 0 1-1 TIME {T0_MS} RETRYCOUNT 1 FORCE JUSTID LASTID 2-1"
        )]
    );
    s.run("XAUTOCLAIM s g carol 0 0");
    assert_eq!(
        s.stream(),
        vec![
            "MULTI".to_string(),
            format!("XCLAIM s g carol 0 1-1 TIME {T0_MS} RETRYCOUNT 2 FORCE JUSTID LASTID 2-1"),
            format!("XCLAIM s g carol 0 2-1 TIME {T0_MS} RETRYCOUNT 2 FORCE JUSTID LASTID 2-1"),
            "EXEC".to_string(),
        ]
    );
    s.run("XCLAIM s g bob 0 9-9 LASTID 5-0");
    assert_eq!(s.stream(), lines(&["XGROUP SETID s g 5-0 ENTRIESREAD 2"]));
}
